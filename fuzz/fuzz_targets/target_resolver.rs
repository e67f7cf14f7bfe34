//! `Target::parse` and its resolution against a small revision graph built from the
//! input: `upgrade_plan`, `downgrade_plan`, `stamp_set`, `target_revisions`,
//! `current_heads` and `range`.
//!
//! Input layout: byte 0 is the number of revisions (at most 16); then per revision a
//! byte whose bits choose parents among the earlier revisions (bit 7 set: a parent
//! named that does not exist, or the revision itself, so that graph errors are
//! reached too); then a byte whose bits choose applied revisions; the rest is the
//! target as text. Ids share prefixes (`r1`, `r10`, ...) so prefixes can be ambiguous.
//!
//! Invariants checked beyond "no panic":
//! - a parsed target prints as text that parses to the same target;
//! - with an applied set closed under parents, an upgrade plan lists unapplied
//!   revisions once each, parents before children, and leaves the applied set closed;
//!   a downgrade plan lists applied revisions, children first, and leaves it closed;
//! - a stamp set is closed under parents.
#![no_main]

use std::collections::BTreeSet;
use std::path::PathBuf;

use libfuzzer_sys::fuzz_target;
use wildebeest_revision::{Node, RevisionGraph, Target};

fn id(i: usize) -> String {
    format!("r{}", i + 1)
}

fn closed(graph: &RevisionGraph, set: &BTreeSet<String>) -> bool {
    set.iter()
        .all(|id| graph.parents(id).iter().all(|p| set.contains(*p)))
}

fuzz_target!(|data: &[u8]| {
    let Some((&count, rest)) = data.split_first() else {
        return;
    };
    let count = usize::from(count % 17);
    if rest.len() < count + 1 {
        return;
    }
    let (shape, rest) = rest.split_at(count);
    let (&applied_bits, target_bytes) = rest.split_first().expect("length checked");
    let target_text = String::from_utf8_lossy(target_bytes);

    let nodes: Vec<Node> = shape
        .iter()
        .enumerate()
        .map(|(i, &bits)| {
            let mut parents: Vec<String> = (0..i.min(7))
                .filter(|k| bits & (1 << k) != 0)
                .map(|k| id(i - 1 - k))
                .collect();
            if bits & 0x80 != 0 {
                // An id that is missing, or this revision itself (a cycle).
                parents.push(if bits & 0x40 != 0 {
                    id(i)
                } else {
                    "missing".into()
                });
            }
            // Some revisions carry a label (two may carry the same one) or depend
            // on an earlier revision, so label targets and dependency edges are tried.
            let branch_labels = if bits & 0x20 != 0 {
                vec![format!("l{}", i % 3)]
            } else {
                Vec::new()
            };
            let depends_on = if bits & 0x10 != 0 && i > 0 {
                vec![id(i / 2)]
            } else {
                Vec::new()
            };
            Node {
                id: id(i),
                parents,
                path: PathBuf::from(format!("migrations/{}.sql", id(i))),
                message: String::new(),
                created: None,
                branch_labels,
                depends_on_line: (!depends_on.is_empty()).then_some(3),
                depends_on,
            }
        })
        .collect();

    let parsed = Target::parse(&target_text);
    if let Ok(target) = &parsed {
        let shown = target.to_string();
        assert_eq!(Target::parse(&shown).as_ref(), Ok(target), "{shown:?}");
    }
    let graph = match RevisionGraph::new(nodes) {
        Ok(graph) => graph,
        Err(_) => return,
    };

    // Applied: the revisions the bits choose (the first eight), with their ancestors.
    let mut applied = BTreeSet::new();
    for i in (0..count.min(8)).filter(|i| applied_bits & (1 << i) != 0) {
        applied.insert(id(i));
        applied.extend(graph.ancestors(&id(i)));
    }
    assert!(closed(&graph, &applied), "ancestors() is not closed");
    let heads = graph.current_heads(&applied);
    for h in &heads {
        assert!(applied.contains(h));
    }

    let Ok(target) = parsed else {
        return;
    };
    let topo: Vec<&str> = graph.topo_order();
    let position = |id: &str| topo.iter().position(|t| *t == id).expect("in topo order");

    if let Ok(plan) = graph.upgrade_plan(&applied, &target) {
        let mut after = applied.clone();
        for rev in &plan {
            assert!(
                after.insert(rev.clone()),
                "{rev} planned twice or already applied"
            );
            for parent in graph.parents(rev) {
                assert!(
                    after.contains(parent),
                    "{rev} planned before its parent {parent}"
                );
            }
        }
        assert!(plan.windows(2).all(|w| position(&w[0]) < position(&w[1])));
        assert!(closed(&graph, &after));
    }
    if let Ok(plan) = graph.downgrade_plan(&applied, &target) {
        let mut after = applied.clone();
        for rev in &plan {
            assert!(after.remove(rev), "{rev} undone twice or not applied");
            for child in graph.children(rev) {
                assert!(
                    !after.contains(child),
                    "{rev} undone before its child {child}"
                );
            }
        }
        assert!(closed(&graph, &after));
    }
    if let Ok(set) = graph.stamp_set(&target) {
        assert!(closed(&graph, &set), "stamp set not closed: {set:?}");
    }
    if let Ok(revs) = graph.target_revisions(&applied, &target) {
        for rev in &revs {
            assert!(graph.contains(rev));
        }
        if let Ok(range) = graph.range(&heads, &revs) {
            assert!(range.windows(2).all(|w| position(w[0]) < position(w[1])));
        }
    }
});
