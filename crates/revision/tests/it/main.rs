//! Integration tests of the public API: one binary, as the house style asks.

mod branches;
mod graph;
mod labels;
mod no_panic;
mod plans;
mod sum;
mod targets;
mod workflow;

use std::collections::BTreeSet;
use std::path::PathBuf;

use wildebeest_revision::{Node, RevisionGraph};

/// A graph from `(id, parents)` in creation order; the file of the i-th is
/// `m/{i:02}_{id}.sql`, so file-name order is creation order.
fn nodes(spec: &[(&str, &[&str])]) -> Vec<Node> {
    spec.iter()
        .enumerate()
        .map(|(i, (id, parents))| Node {
            id: id.to_string(),
            parents: parents.iter().map(|p| p.to_string()).collect(),
            path: PathBuf::from(format!("m/{i:02}_{id}.sql")),
            ..Node::default()
        })
        .collect()
}

/// The graph, or the error message.
fn build(spec: &[(&str, &[&str])]) -> Result<RevisionGraph, String> {
    RevisionGraph::new(nodes(spec)).map_err(|e| e.to_string())
}

fn graph(spec: &[(&str, &[&str])]) -> RevisionGraph {
    build(spec).unwrap_or_else(|e| panic!("{e}"))
}

fn set(ids: &[&str]) -> BTreeSet<String> {
    ids.iter().map(|s| s.to_string()).collect()
}

/// a ← b ← c ← d
const LINEAR: &[(&str, &[&str])] = &[("a", &[]), ("b", &["a"]), ("c", &["b"]), ("d", &["c"])];

/// r ← l1 ← l2 and r ← x1, created r, l1, x1, l2.
const FORK: &[(&str, &[&str])] = &[("r", &[]), ("l1", &["r"]), ("x1", &["r"]), ("l2", &["l1"])];

/// a ← b, a ← c, m revises b and c.
const DIAMOND: &[(&str, &[&str])] = &[("a", &[]), ("b", &["a"]), ("c", &["a"]), ("m", &["b", "c"])];
