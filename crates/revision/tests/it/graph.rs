//! Building the graph and asking it about its shape.

use std::collections::BTreeSet;
use std::path::Path;

use wildebeest_revision::{GraphError, RevisionGraph};

use crate::{DIAMOND, FORK, LINEAR, build, graph, nodes};

fn strs(ids: &[&str]) -> BTreeSet<String> {
    ids.iter().map(|s| s.to_string()).collect()
}

#[test]
fn empty() {
    let g = graph(&[]);
    assert!(g.is_empty());
    assert_eq!(g.heads(), Vec::<&str>::new());
    assert_eq!(g.bases(), Vec::<&str>::new());
    assert_eq!(g.topo_order(), Vec::<&str>::new());
}

#[test]
fn linear_chain() {
    let g = graph(LINEAR);
    assert_eq!(g.len(), 4);
    assert_eq!(g.heads(), ["d"]);
    assert_eq!(g.bases(), ["a"]);
    assert_eq!(g.topo_order(), ["a", "b", "c", "d"]);
    assert_eq!(g.parents("b"), ["a"]);
    assert_eq!(g.parents("a"), Vec::<&str>::new());
    assert_eq!(g.children("b"), ["c"]);
    assert_eq!(g.children("d"), Vec::<&str>::new());
    assert_eq!(g.ancestors("c"), strs(&["a", "b", "c"]));
    assert_eq!(g.descendants("b"), strs(&["b", "c", "d"]));
    let b = g.get("b").map(|n| (n.id.as_str(), n.path.as_path()));
    assert_eq!(b, Some(("b", Path::new("m/01_b.sql"))));
    // Unknown ids are simply absent.
    assert!(g.get("zz").is_none());
    assert!(!g.contains("zz"));
    assert_eq!(g.parents("zz"), Vec::<&str>::new());
    assert_eq!(g.children("zz"), Vec::<&str>::new());
    assert_eq!(g.ancestors("zz"), BTreeSet::new());
}

#[test]
fn fork_has_two_heads() {
    let g = graph(FORK);
    assert_eq!(g.heads(), ["l2", "x1"]);
    assert_eq!(g.bases(), ["r"]);
    assert_eq!(g.children("r"), ["l1", "x1"]);
    // Branches interleave in creation (file name) order.
    assert_eq!(g.topo_order(), ["r", "l1", "x1", "l2"]);
}

#[test]
fn topo_order_ties_by_file_name_not_input_order() {
    let mut shuffled = nodes(FORK);
    shuffled.reverse();
    let g = RevisionGraph::new(shuffled).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(g.topo_order(), ["r", "l1", "x1", "l2"]);
}

#[test]
fn topo_order_ties_by_id_when_file_names_are_equal() {
    let mut same = nodes(&[("b", &[]), ("a", &[]), ("c", &["b", "a"])]);
    for n in &mut same {
        n.path = format!("dir_{}/same.sql", n.id).into();
    }
    let g = RevisionGraph::new(same).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(g.topo_order(), ["a", "b", "c"]);
}

#[test]
fn diamond_merge() {
    let g = graph(DIAMOND);
    assert_eq!(g.heads(), ["m"]);
    assert_eq!(g.bases(), ["a"]);
    assert_eq!(g.parents("m"), ["b", "c"]);
    assert_eq!(g.children("a"), ["b", "c"]);
    assert_eq!(g.topo_order(), ["a", "b", "c", "m"]);
    assert_eq!(g.ancestors("m"), strs(&["a", "b", "c", "m"]));
    assert_eq!(g.ancestors("c"), strs(&["a", "c"]));
    assert_eq!(g.descendants("b"), strs(&["b", "m"]));
}

#[test]
fn merge_of_two_bases() {
    let g = graph(&[("a", &[]), ("z", &[]), ("m", &["z", "a"])]);
    assert_eq!(g.bases(), ["a", "z"]);
    assert_eq!(g.heads(), ["m"]);
    // Parents keep file order.
    assert_eq!(g.parents("m"), ["z", "a"]);
    assert_eq!(g.topo_order(), ["a", "z", "m"]);
}

#[test]
fn merge_waits_for_its_later_parent() {
    // The merge's file sorts before one of its parents' (clock skew); parents still
    // come first.
    let g = graph(&[("a", &[]), ("m", &["a", "late"]), ("late", &[])]);
    assert_eq!(g.topo_order(), ["a", "late", "m"]);
}

#[test]
fn duplicate_ids_name_both_files() {
    assert_eq!(
        build(&[("a", &[]), ("b", &["a"]), ("b", &["a"])]).map(|_| ()),
        Err("revision b is defined twice, in m/01_b.sql and m/02_b.sql".into())
    );
    let e = RevisionGraph::new(nodes(&[("x", &[]), ("x", &[])])).map(|_| ());
    assert_eq!(
        e,
        Err(GraphError::DuplicateRevision {
            id: "x".into(),
            paths: ["m/00_x.sql".into(), "m/01_x.sql".into()],
        })
    );
}

#[test]
fn missing_parent_names_the_file_and_the_id() {
    assert_eq!(
        build(&[("a", &[]), ("b", &["a", "zzz"])]).map(|_| ()),
        Err("m/01_b.sql: revision b revises zzz, which no migration file defines".into())
    );
}

#[test]
fn parent_named_twice() {
    assert_eq!(
        build(&[("a", &[]), ("b", &["a", "a"])]).map(|_| ()),
        Err("m/01_b.sql: revision b revises a twice".into())
    );
}

#[test]
fn self_cycle() {
    assert_eq!(
        build(&[("a", &["a"])]).map(|_| ()),
        Err("revision a (m/00_a.sql) revises itself".into())
    );
}

#[test]
fn two_node_cycle() {
    assert_eq!(
        build(&[("r", &[]), ("b", &["a"]), ("a", &["b"])]).map(|_| ()),
        Err("revisions a (m/02_a.sql) and b (m/01_b.sql) form a cycle: each revises the next, and the last revises the first".into())
    );
}

#[test]
fn three_node_cycle() {
    let e = RevisionGraph::new(nodes(&[
        ("r", &[]),
        ("a", &["c"]),
        ("b", &["a"]),
        ("c", &["b", "r"]),
    ]))
    .map(|_| ());
    assert_eq!(
        e,
        Err(GraphError::Cycle {
            revisions: vec![
                ("a".into(), "m/01_a.sql".into()),
                ("c".into(), "m/03_c.sql".into()),
                ("b".into(), "m/02_b.sql".into()),
            ],
        })
    );
    assert_eq!(
        e.map_err(|e| e.to_string()),
        Err("revisions a (m/01_a.sql), c (m/03_c.sql) and b (m/02_b.sql) form a cycle: each revises the next, and the last revises the first".into())
    );
}

#[test]
fn cycle_report_leaves_out_revisions_that_only_hang_off_it() {
    // "aa" revises the cycle b ↔ c but is not on it.
    assert_eq!(
        build(&[("aa", &["b"]), ("b", &["c"]), ("c", &["b"])]).map(|_| ()),
        Err("revisions b (m/01_b.sql) and c (m/02_c.sql) form a cycle: each revises the next, and the last revises the first".into())
    );
}

#[test]
fn resolve_prefix() {
    let g = graph(&[
        ("abc123", &[]),
        ("abc999", &["abc123"]),
        ("abd456", &["abc999"]),
        ("abd", &["abd456"]),
    ]);
    assert_eq!(g.resolve_prefix("abc123"), Ok("abc123"));
    assert_eq!(g.resolve_prefix("abc1"), Ok("abc123"));
    assert_eq!(g.resolve_prefix("abd4"), Ok("abd456"));
    // An exact id wins over the longer ids it is a prefix of.
    assert_eq!(g.resolve_prefix("abd"), Ok("abd"));
    assert_eq!(
        g.resolve_prefix("ab"),
        Err(GraphError::AmbiguousRevision {
            prefix: "ab".into(),
            candidates: vec![
                "abc123".into(),
                "abc999".into(),
                "abd".into(),
                "abd456".into()
            ],
        })
    );
    assert_eq!(
        g.resolve_prefix("abc").map_err(|e| e.to_string()),
        Err(
            "\"abc\" is ambiguous: 2 revisions (abc123, abc999) start with it; type more of the id"
                .into()
        )
    );
    assert_eq!(
        g.resolve_prefix("zz").map_err(|e| e.to_string()),
        Err("no revision matches \"zz\"".into())
    );
    assert_eq!(
        g.resolve_prefix("ABC"),
        Err(GraphError::UnknownRevision("ABC".into()))
    );
    assert_eq!(
        g.resolve_prefix(""),
        Err(GraphError::UnknownRevision(String::new()))
    );
    assert_eq!(
        g.resolve_prefix("abc1234"),
        Err(GraphError::UnknownRevision("abc1234".into()))
    );
}

#[test]
fn ambiguous_prefix_lists_at_most_ten() {
    let spec: Vec<(String, Vec<&str>)> = (0..12).map(|i| (format!("a{i:02}"), vec![])).collect();
    let spec: Vec<(&str, &[&str])> = spec
        .iter()
        .map(|(id, p)| (id.as_str(), p.as_slice()))
        .collect();
    let g = graph(&spec);
    assert_eq!(
        g.resolve_prefix("a").map_err(|e| e.to_string()),
        Err("\"a\" is ambiguous: 12 revisions (a00, a01, a02, a03, a04, a05, a06, a07, a08, a09, …) start with it; type more of the id".into())
    );
}
