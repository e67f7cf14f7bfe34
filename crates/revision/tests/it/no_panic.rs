//! A small deterministic fuzz until the real fuzzers come: random files and random
//! graphs must give answers or errors, never panics or hangs.

use std::collections::BTreeSet;
use std::path::Path;

use wildebeest_revision::{Node, RevisionGraph, SumFile, Target, checksum, parse, parse_bytes};

/// xorshift64*, so the test needs no dependency and always sees the same inputs.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

const FRAGMENTS: &[&str] = &[
    "-- wildebeest revision",
    "-- Revision: abc",
    "-- Revision:",
    "-- revision: abc_def",
    "-- Revises: abc",
    "-- Revises: a, b",
    "-- Revises:",
    "-- Message: hi \\n there \\u{",
    "-- Created: 2026",
    "-- X-Key: v",
    "-- +upgrade",
    "-- +UPGRADE x",
    "-- +downgrade",
    "--+downgrade",
    "--",
    "-- note",
    "",
    " ",
    "\t",
    "SELECT 1;",
    "\u{feff}",
    "é",
    "\0",
    "\r",
    "\\",
    ":",
    "-",
    "+",
];

#[test]
fn random_files() {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    for _ in 0..5_000 {
        let lines = rng.below(12);
        let mut text = String::new();
        for _ in 0..lines {
            text.push_str(rng.pick(FRAGMENTS));
            text.push_str(rng.pick(&["\n", "\r\n", "\r", "", " "]));
        }
        let path = Path::new(rng.pick(&[
            "m/abc.sql",
            "m/20260101_000000_abc_x.sql",
            "",
            "/",
            "abc_def",
        ]));
        if let Ok(m) = parse(path, &text) {
            // Whatever parses has both markers and a checksum of the text.
            assert_eq!(m.checksum, checksum(&text));
            assert!(m.upgrade.first_line < m.downgrade.first_line);
        }
        let mut bytes = text.into_bytes();
        if !bytes.is_empty() {
            let at = rng.below(bytes.len());
            bytes[at] = rng.next() as u8;
        }
        let _ = parse_bytes(path, &bytes);
    }
}

#[test]
fn random_sum_files() {
    let fragments = [
        "heads:",
        "heads: a b",
        "total:",
        "total: 0",
        "x.sql",
        "x.sql 0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
        "<<<<<<< HEAD",
        "=======",
        " ",
        "",
        "é",
        "\r",
    ];
    let mut rng = Rng(7);
    for _ in 0..3_000 {
        let mut text = String::new();
        for _ in 0..rng.below(6) {
            text.push_str(rng.pick(&fragments));
            text.push_str(rng.pick(&["\n", "\r\n", "", " "]));
        }
        if let Ok(sum) = SumFile::parse(&text) {
            // Whatever parses renders back to something that parses to the same.
            assert_eq!(SumFile::parse(&sum.render()), Ok(sum));
        }
    }
}

#[test]
fn random_graphs_and_targets() {
    let ids = ["a", "b", "c", "d", "e", "ab", "abc"];
    let targets = [
        "head", "heads", "base", "+1", "+3", "-1", "-2", "a", "ab", "b+1", "c-1", "abc+2", "e-9",
        "z",
    ];
    let mut rng = Rng(42);
    let mut built = 0;
    for _ in 0..3_000 {
        let n = rng.below(ids.len() + 1);
        let nodes: Vec<Node> = (0..n)
            .map(|i| {
                // Mostly a DAG over distinct ids, sometimes a duplicate, a cycle or a
                // missing parent.
                let odd = rng.below(10) == 0;
                let id = if odd {
                    ids[rng.below(ids.len())]
                } else {
                    ids[i]
                };
                let pool = if odd { ids.len() } else { i };
                let parents = (0..rng.below(3))
                    .filter(|_| pool > 0)
                    .map(|_| ids[rng.below(pool)].to_string())
                    .collect();
                Node {
                    id: id.to_string(),
                    parents,
                    path: format!("m/{i}.sql").into(),
                    ..Node::default()
                }
            })
            .collect();
        let Ok(g) = RevisionGraph::new(nodes) else {
            continue;
        };
        built += 1;
        let order = g.topo_order();
        for (k, id) in order.iter().enumerate() {
            for parent in g.parents(id) {
                assert!(order[..k].contains(&parent), "{parent} before {id}");
            }
        }
        let applied: BTreeSet<String> = order
            .iter()
            .filter(|_| rng.below(2) == 0)
            .map(|s| s.to_string())
            .collect();
        for text in targets {
            let Ok(target) = Target::parse(text) else {
                continue;
            };
            if let Ok(plan) = g.upgrade_plan(&applied, &target) {
                assert!(plan.iter().all(|id| !applied.contains(id)));
            }
            if let Ok(plan) = g.downgrade_plan(&applied, &target) {
                assert!(plan.iter().all(|id| applied.contains(id)));
            }
            let _ = g.stamp_set(&target);
            let _ = g.current_heads(&applied);
            if let Ok(upper) = g.target_revisions(&applied, &target) {
                let lower: Vec<String> = applied.iter().take(1).cloned().collect();
                let range = g.range(&lower, &upper).unwrap_or_else(|e| panic!("{e}"));
                // In topological order, and within the upper ends' ancestors.
                assert!(
                    range
                        .iter()
                        .all(|id| upper.iter().any(|u| g.ancestors(u).contains(*id)))
                );
            }
        }
        let _ = g.branch_points();
    }
    // Most inputs must make it past the checks, or the loop tests little.
    assert!(built > 1_000, "{built}");
}
