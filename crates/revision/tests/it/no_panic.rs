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

/// A migration file that parses: the start of half of the random files, so that the
/// checks on what parses run on many inputs, not on the few that random lines make.
const VALID: &str = "-- wildebeest revision\n-- Revision: abc\n-- Revises:\n-- Message: m\n\
                     -- Created: 2026-01-01T00:00:00Z\n\n-- +upgrade\nSELECT 1;\n\n\
                     -- +downgrade\nSELECT 2;\n";

/// A random migration file: random lines, or [`VALID`] with a few lines inserted,
/// removed or given other line endings.
fn random_migration(rng: &mut Rng) -> String {
    if rng.below(2) == 0 {
        let mut text = String::new();
        for _ in 0..rng.below(12) {
            text.push_str(rng.pick(FRAGMENTS));
            text.push_str(rng.pick(&["\n", "\r\n", "\r", "", " "]));
        }
        return text;
    }
    let mut lines: Vec<String> = VALID.lines().map(str::to_string).collect();
    for _ in 0..rng.below(4) {
        match rng.below(3) {
            0 => {
                let at = rng.below(lines.len() + 1);
                lines.insert(at, rng.pick(FRAGMENTS).to_string());
            }
            1 if !lines.is_empty() => {
                let at = rng.below(lines.len());
                lines.remove(at);
            }
            _ => {
                let at = rng.below(lines.len().max(1));
                if let Some(line) = lines.get_mut(at) {
                    line.push_str(rng.pick(&[" ", "\t", "x", ";"]));
                }
            }
        }
    }
    let end = rng.pick(&["\n", "\r\n"]);
    lines.iter().map(|l| format!("{l}{end}")).collect()
}

#[test]
fn random_files() {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let mut parsed = 0;
    for _ in 0..5_000 {
        let text = random_migration(&mut rng);
        let path = Path::new(rng.pick(&[
            "m/abc.sql",
            "m/20260101_000000_abc_x.sql",
            "",
            "/",
            "abc_def",
        ]));
        if let Ok(m) = parse(path, &text) {
            parsed += 1;
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
    // Enough inputs must parse for the checks above to mean something.
    assert!(parsed >= 1_000, "only {parsed} of 5000 files parsed");
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
    let mut parsed = 0;
    for _ in 0..3_000 {
        let text = if rng.below(2) == 0 {
            let mut text = String::new();
            for _ in 0..rng.below(6) {
                text.push_str(rng.pick(&fragments));
                text.push_str(rng.pick(&["\n", "\r\n", "", " "]));
            }
            text
        } else {
            // A real sum of a random folder, its line endings and trailing blanks
            // changed (which it must read the same), sometimes with a line broken.
            let sum = random_sum(&mut rng);
            let mut lines: Vec<String> = sum.render().lines().map(str::to_string).collect();
            if rng.below(4) == 0 {
                let at = rng.below(lines.len());
                lines[at].push_str(rng.pick(&fragments));
            }
            let end = rng.pick(&["\n", "\r\n"]);
            let mut text: String = lines
                .iter()
                .map(|l| format!("{l}{}{end}", rng.pick(&["", " ", "\t"])))
                .collect();
            for _ in 0..rng.below(3) {
                text.push_str(end);
            }
            text
        };
        if let Ok(sum) = SumFile::parse(&text) {
            parsed += 1;
            // Whatever parses renders back to something that parses to the same.
            assert_eq!(SumFile::parse(&sum.render()), Ok(sum));
        }
    }
    // Random text never carries the right total: half the inputs are real sums.
    assert!(parsed >= 1_000, "only {parsed} of 3000 sum files parsed");
}

/// The sum of a random folder of one to four migrations in a line.
fn random_sum(rng: &mut Rng) -> SumFile {
    let n = 1 + rng.below(4);
    let migrations: Vec<_> = (0..n)
        .map(|i| {
            let parent = if i == 0 {
                String::new()
            } else {
                format!(" r{}", i - 1)
            };
            let text = format!(
                "-- Revision: r{i}\n-- Revises:{parent}\n-- Message: m{}\n\n-- +upgrade\n\
                 SELECT {};\n-- +downgrade\nSELECT 0;\n",
                rng.below(100),
                rng.below(100)
            );
            parse(Path::new(&format!("m/r{i}.sql")), &text).unwrap_or_else(|e| panic!("{e}"))
        })
        .collect();
    let graph = RevisionGraph::new(&migrations).unwrap_or_else(|e| panic!("{e}"));
    SumFile::new(&migrations, &graph)
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
