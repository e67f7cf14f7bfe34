//! Upgrade and downgrade plans, stamps and current heads.

use std::collections::BTreeSet;
use std::time::{Duration, Instant};

use wildebeest_revision::{GraphError, Node, RevisionGraph, Target};

use crate::{DIAMOND, FORK, LINEAR, graph, set};

fn target(text: &str) -> Target {
    Target::parse(text).unwrap_or_else(|e| panic!("{text}: {e}"))
}

/// The upgrade plan from `applied` to `to`, or the error message.
fn up(g: &RevisionGraph, applied: &[&str], to: &str) -> Result<Vec<String>, String> {
    g.upgrade_plan(&set(applied), &target(to))
        .map_err(|e| e.to_string())
}

/// The downgrade plan from `applied` to `to`, or the error message.
fn down(g: &RevisionGraph, applied: &[&str], to: &str) -> Result<Vec<String>, String> {
    g.downgrade_plan(&set(applied), &target(to))
        .map_err(|e| e.to_string())
}

fn stamp(g: &RevisionGraph, to: &str) -> Result<BTreeSet<String>, String> {
    g.stamp_set(&target(to)).map_err(|e| e.to_string())
}

fn plan(ids: &[&str]) -> Result<Vec<String>, String> {
    Ok(ids.iter().map(|s| s.to_string()).collect())
}

fn fails(message: &str) -> Result<Vec<String>, String> {
    Err(message.to_string())
}

const ALL: &[&str] = &["a", "b", "c", "d"];

/// Applied revisions, a target, and the expected plan or error message.
type Case<'a> = (&'a [&'a str], &'a str, Result<Vec<String>, String>);

#[test]
fn upgrade_linear() {
    let g = graph(LINEAR);
    let cases: &[Case] = &[
        (&[], "head", plan(&["a", "b", "c", "d"])),
        (&[], "heads", plan(&["a", "b", "c", "d"])),
        (&[], "base", plan(&[])),
        (&[], "b", plan(&["a", "b"])),
        (&[], "+1", plan(&["a"])),
        (&[], "+4", plan(&["a", "b", "c", "d"])),
        (&[], "base+2", plan(&["a", "b"])),
        (&[], "head-1", plan(&["a", "b", "c"])),
        (
            &[],
            "base+5",
            fails("cannot go 5 revisions up from base: only 4 revisions after it"),
        ),
        (
            &[],
            "+5",
            fails("cannot go 5 revisions up: only 4 revisions to apply"),
        ),
        (&["a", "b"], "head", plan(&["c", "d"])),
        (&["a", "b"], "+2", plan(&["c", "d"])),
        (&["a", "b"], "+1", plan(&["c"])),
        (
            &["a", "b"],
            "+3",
            fails("cannot go 3 revisions up: only 2 revisions to apply"),
        ),
        (
            &["a", "b", "c"],
            "+2",
            fails("cannot go 2 revisions up: only 1 revision to apply"),
        ),
        (
            ALL,
            "+1",
            fails("cannot go 1 revision up: only 0 revisions to apply"),
        ),
        (&["a", "b"], "b", plan(&[])),
        // Past the target: an upgrade does not go down (it said "already at a").
        (
            &["a", "b"],
            "a",
            fails(
                "`upgrade a` would go down: the database is at b, above a; use `downgrade a` to go back",
            ),
        ),
        (
            ALL,
            "head-2",
            fails(
                "`upgrade head-2` would go down: the database is at d, above head-2; use `downgrade head-2` to go back",
            ),
        ),
        (&["a", "b"], "c", plan(&["c"])),
        (&["a", "b"], "b+1", plan(&["c"])),
        (&["a", "b"], "a+3", plan(&["c", "d"])),
        (&["a", "b"], "d-1", plan(&["c"])),
        (
            &["a", "b"],
            "a-1",
            fails(
                "`upgrade a-1` would go down: the database is at b, above a-1; use `downgrade a-1` to go back",
            ),
        ),
        (
            &["a"],
            "base",
            fails(
                "`upgrade base` would go down: the database is at a, above base; use `downgrade base` to go back",
            ),
        ),
        (
            &["a", "b"],
            "a-2",
            fails("cannot go 2 revisions down from a: base is only 1 step below it"),
        ),
        (
            &["a", "b"],
            "c-4",
            fails("cannot go 4 revisions down from c: base is only 3 steps below it"),
        ),
        (
            &["a", "b"],
            "b+3",
            fails("cannot go 3 revisions up from b: only 2 revisions after it"),
        ),
        (ALL, "head", plan(&[])),
        (
            &["a"],
            "-1",
            fails(
                "`-1` does not work with upgrade: upgrade takes head, heads, base, a revision, +N, REV+N or REV-N",
            ),
        ),
        (&["a"], "zz", fails("no revision matches \"zz\"")),
    ];
    for (applied, to, expected) in cases {
        assert_eq!(
            &up(&g, applied, to),
            expected,
            "upgrade {to} from {applied:?}"
        );
    }
}

#[test]
fn downgrade_linear() {
    let g = graph(LINEAR);
    let cases: &[Case] = &[
        (ALL, "-1", plan(&["d"])),
        (ALL, "-2", plan(&["d", "c"])),
        (ALL, "-4", plan(&["d", "c", "b", "a"])),
        (
            ALL,
            "-5",
            fails("cannot go 5 revisions down: only 4 applied"),
        ),
        (
            &["a", "b"],
            "-3",
            fails("cannot go 3 revisions down: only 2 applied"),
        ),
        (
            &[],
            "-1",
            fails("cannot go 1 revision down: only 0 applied"),
        ),
        (ALL, "base", plan(&["d", "c", "b", "a"])),
        (&[], "base", plan(&[])),
        (ALL, "b", plan(&["d", "c"])),
        (ALL, "d", plan(&[])),
        (ALL, "c-1", plan(&["d", "c"])),
        (ALL, "a+1", plan(&["d", "c"])),
        (ALL, "a-1", plan(&["d", "c", "b", "a"])),
        (ALL, "head-1", plan(&["d"])),
        (ALL, "head-4", plan(&["d", "c", "b", "a"])),
        (
            ALL,
            "head-5",
            fails("cannot go 5 revisions down from head (d): base is only 4 steps below it"),
        ),
        (ALL, "base+1", plan(&["d", "c", "b"])),
        (
            ALL,
            "a-2",
            fails("cannot go 2 revisions down from a: base is only 1 step below it"),
        ),
        (
            &["a"],
            "b",
            fails("revision b is not applied; downgrade goes back to an applied revision or base"),
        ),
        (
            &["a"],
            "a+1",
            fails("revision b is not applied; downgrade goes back to an applied revision or base"),
        ),
        (
            ALL,
            "head",
            fails(
                "`head` does not work with downgrade: downgrade takes base, a revision, -N, REV-N or REV+N",
            ),
        ),
        (
            ALL,
            "heads",
            fails(
                "`heads` does not work with downgrade: downgrade takes base, a revision, -N, REV-N or REV+N",
            ),
        ),
        (
            ALL,
            "+1",
            fails(
                "`+1` does not work with downgrade: downgrade takes base, a revision, -N, REV-N or REV+N",
            ),
        ),
    ];
    for (applied, to, expected) in cases {
        assert_eq!(
            &down(&g, applied, to),
            expected,
            "downgrade {to} from {applied:?}"
        );
    }
}

#[test]
fn unknown_applied_revisions() {
    let g = graph(LINEAR);
    let one = "the database is at revision zzz, which is not in the migrations folder: restore its file or point wildebeest at the right folder (`wildebeest stamp TARGET --purge` forgets it)";
    assert_eq!(up(&g, &["a", "zzz"], "head"), fails(one));
    assert_eq!(down(&g, &["a", "zzz"], "base"), fails(one));
    assert_eq!(
        up(&g, &["yyy", "a", "zzz"], "head"),
        fails(
            "the database has revisions yyy, zzz, which are not in the migrations folder: restore their files or point wildebeest at the right folder (`wildebeest stamp TARGET --purge` forgets them)"
        )
    );
    assert_eq!(
        g.upgrade_plan(&set(&["zzz"]), &Target::Head),
        Err(GraphError::UnknownApplied {
            ids: vec!["zzz".into()]
        })
    );
    // current_heads still answers, so status can show what the database has.
    assert_eq!(g.current_heads(&set(&["a", "zzz"])), ["a", "zzz"]);
}

#[test]
fn fork_plans() {
    let g = graph(FORK);
    let everything: &[&str] = &["r", "l1", "l2", "x1"];
    let heads_message = "there are 2 heads (l2, x1): merge them with `wildebeest merge -m MSG l2 x1`, or upgrade to one of them, or `upgrade heads`";
    let cases: &[Case] = &[
        (&[], "head", fails(heads_message)),
        (&[], "head-1", fails(heads_message)),
        (&[], "heads", plan(&["r", "l1", "x1", "l2"])),
        (&[], "l2", plan(&["r", "l1", "l2"])),
        (&[], "x1", plan(&["r", "x1"])),
        (&["r", "l1", "l2"], "x1", plan(&["x1"])),
        (&["r", "l1", "l2"], "heads", plan(&["x1"])),
        (&["r", "l1"], "+1", plan(&["l2"])),
        (
            &["r", "l1"],
            "+2",
            fails("cannot go 2 revisions up: only 1 revision to apply"),
        ),
        (&[], "+1", plan(&["r"])),
        (
            &[],
            "+2",
            fails(
                "revision r has 2 children (l1, x1): a relative step cannot choose between them; name a revision instead",
            ),
        ),
        (
            &["r"],
            "r+1",
            fails(
                "revision r has 2 children (l1, x1): a relative step cannot choose between them; name a revision instead",
            ),
        ),
        (
            &["r", "l1", "x1"],
            "+1",
            fails(
                "the database is at 2 heads (l1, x1): a relative step cannot choose between them; name a revision instead",
            ),
        ),
        (everything, "head", fails(heads_message)),
    ];
    for (applied, to, expected) in cases {
        assert_eq!(
            &up(&g, applied, to),
            expected,
            "upgrade {to} from {applied:?}"
        );
    }
    assert_eq!(
        g.upgrade_plan(&set(&[]), &Target::Head),
        Err(GraphError::MultipleHeads {
            heads: vec!["l2".into(), "x1".into()]
        })
    );

    let cases: &[Case] = &[
        // Downgrading one branch leaves the other alone.
        (everything, "l1", plan(&["l2"])),
        (everything, "r", plan(&["l2", "x1", "l1"])),
        (everything, "x1", plan(&[])),
        (everything, "l2-1", plan(&["l2"])),
        (everything, "base", plan(&["l2", "x1", "l1", "r"])),
        (
            everything,
            "-1",
            fails(
                "the database is at 2 heads (l2, x1): a relative step cannot choose between them; name a revision instead",
            ),
        ),
        (&["r", "l1", "l2"], "-1", plan(&["l2"])),
        (&["r", "l1", "l2"], "-2", plan(&["l2", "l1"])),
        (&["r", "l1", "l2"], "-3", plan(&["l2", "l1", "r"])),
        (
            &["r", "l1", "l2"],
            "x1",
            fails("revision x1 is not applied; downgrade goes back to an applied revision or base"),
        ),
        (&["r", "x1"], "r", plan(&["x1"])),
    ];
    for (applied, to, expected) in cases {
        assert_eq!(
            &down(&g, applied, to),
            expected,
            "downgrade {to} from {applied:?}"
        );
    }

    assert_eq!(g.current_heads(&set(everything)), ["l2", "x1"]);
    assert_eq!(g.current_heads(&set(&["r", "l1"])), ["l1"]);
    assert_eq!(g.current_heads(&set(&[])), Vec::<String>::new());
}

#[test]
fn diamond_plans() {
    let g = graph(DIAMOND);
    let all: &[&str] = &["a", "b", "c", "m"];
    assert_eq!(up(&g, &[], "head"), plan(&["a", "b", "c", "m"]));
    assert_eq!(up(&g, &["a", "b"], "head"), plan(&["c", "m"]));
    assert_eq!(up(&g, &["a", "c"], "m"), plan(&["b", "m"]));
    // A relative step into a merge applies the merge's other parent too.
    assert_eq!(up(&g, &["a", "b"], "b+1"), plan(&["c", "m"]));
    assert_eq!(up(&g, &["a", "b", "c"], "heads"), plan(&["m"]));
    // Two current heads that grow into one merge: the step goes there.
    assert_eq!(up(&g, &["a", "b", "c"], "+1"), plan(&["m"]));
    assert_eq!(down(&g, all, "b"), plan(&["m"]));
    assert_eq!(down(&g, all, "a"), plan(&["m", "c", "b"]));
    // One step down from a merge undoes the merge only; the next step would have to
    // choose a branch.
    assert_eq!(down(&g, all, "-1"), plan(&["m"]));
    assert_eq!(down(&g, all, "m-1"), plan(&["m"]));
    assert_eq!(
        down(&g, all, "-2"),
        fails(
            "revision m merges 2 revisions (b, c): a relative step cannot choose between them; name a revision instead"
        )
    );
    assert_eq!(up(&g, &["a", "b"], "m-1"), plan(&["c"]));
    assert_eq!(stamp(&g, "m-1"), Ok(set(&["a", "b", "c"])));
    assert_eq!(
        down(&g, &["a", "b"], "m-1"),
        fails("revision c is not applied; downgrade goes back to an applied revision or base")
    );
    assert_eq!(down(&g, &["a", "b", "c"], "c"), plan(&[]));
    assert_eq!(down(&g, &["a", "b", "c"], "a"), plan(&["c", "b"]));
    assert_eq!(g.current_heads(&set(&["a", "b", "c"])), ["b", "c"]);
    assert_eq!(g.current_heads(&set(all)), ["m"]);
}

/// x ← m, x ← b1 ← b2, h merges m and b2.
const MERGE_WITH_BRANCH: &[(&str, &[&str])] = &[
    ("x", &[]),
    ("m", &["x"]),
    ("b1", &["x"]),
    ("b2", &["b1"]),
    ("h", &["m", "b2"]),
];

#[test]
fn relative_steps_into_a_merge_apply_one_revision_each() {
    // At m, head h merges m with the branch b1 ← b2: the path up is b1, b2, h, and
    // `+N` applies the first N of it (it used to apply all three for `+1` and refuse
    // `+2` and `+3`).
    let g = graph(MERGE_WITH_BRANCH);
    assert_eq!(up(&g, &["x", "m"], "+1"), plan(&["b1"]));
    assert_eq!(up(&g, &["x", "m"], "+2"), plan(&["b1", "b2"]));
    assert_eq!(up(&g, &["x", "m"], "+3"), plan(&["b1", "b2", "h"]));
    assert_eq!(
        up(&g, &["x", "m"], "+4"),
        fails("cannot go 4 revisions up: only 3 revisions to apply")
    );
    // `+1` twice is `+2`: from m and b1 (two current heads growing into h) it goes on.
    assert_eq!(up(&g, &["x", "m", "b1"], "+1"), plan(&["b2"]));
    assert_eq!(up(&g, &["x", "m", "b1"], "+2"), plan(&["b2", "h"]));
    assert_eq!(up(&g, &["x", "m", "b1", "b2"], "+1"), plan(&["h"]));
    // Where `+N` leaves the database.
    let after = |applied: &[&str], t: &str| {
        g.target_revisions(&set(applied), &Target::parse(t).unwrap())
            .map_err(|e| e.to_string())
    };
    assert_eq!(
        after(&["x", "m"], "+1"),
        Ok(vec!["b1".to_string(), "m".to_string()])
    );
    assert_eq!(after(&["x", "m"], "+3"), Ok(vec!["h".to_string()]));
}

#[test]
fn several_bases() {
    let g = graph(&[("a", &[]), ("z", &[]), ("m", &["a", "z"])]);
    assert_eq!(
        up(&g, &[], "+1"),
        fails(
            "there are 2 bases (a, z): a relative step cannot choose between them; name a revision instead"
        )
    );
    assert_eq!(up(&g, &[], "head"), plan(&["a", "z", "m"]));
    assert_eq!(up(&g, &["z"], "head"), plan(&["a", "m"]));
    assert_eq!(down(&g, &["a", "z", "m"], "a"), plan(&["m"]));
    assert_eq!(down(&g, &["a", "z"], "a"), plan(&[]));
    assert_eq!(down(&g, &["a", "z"], "base"), plan(&["z", "a"]));
}

#[test]
fn empty_graph_plans() {
    let g = graph(&[]);
    assert_eq!(up(&g, &[], "head"), plan(&[]));
    assert_eq!(up(&g, &[], "heads"), plan(&[]));
    assert_eq!(
        up(&g, &[], "+1"),
        fails("cannot go 1 revision up: only 0 revisions to apply")
    );
    assert_eq!(down(&g, &[], "base"), plan(&[]));
    assert_eq!(up(&g, &[], "abc"), fails("no revision matches \"abc\""));
    assert_eq!(stamp(&g, "head"), Ok(BTreeSet::new()));
}

#[test]
fn prefixes_in_targets() {
    let g = graph(&[
        ("abc123", &[]),
        ("abd456", &["abc123"]),
        ("abd789", &["abd456"]),
    ]);
    assert_eq!(up(&g, &[], "abc"), plan(&["abc123"]));
    assert_eq!(up(&g, &[], "abd4+1"), plan(&["abc123", "abd456", "abd789"]));
    assert_eq!(
        up(&g, &[], "abd"),
        fails(
            "\"abd\" is ambiguous: 2 revisions (abd456, abd789) start with it; type more of the id"
        )
    );
    assert_eq!(
        down(&g, &["abc123", "abd456", "abd789"], "abd-1"),
        fails(
            "\"abd\" is ambiguous: 2 revisions (abd456, abd789) start with it; type more of the id"
        )
    );
    assert_eq!(
        down(&g, &["abc123", "abd456", "abd789"], "abc"),
        plan(&["abd789", "abd456"])
    );
    assert_eq!(stamp(&g, "abd4"), Ok(set(&["abc123", "abd456"])));
}

/// The applied set after `stamp to` on a database at `applied`.
fn stamp_onto(g: &RevisionGraph, applied: &[&str], to: &str) -> Result<BTreeSet<String>, String> {
    g.stamp_onto(&target(to), &set(applied))
        .map_err(|e| e.to_string())
}

#[test]
fn stamp_moves_one_branch_and_keeps_the_others() {
    // r ← l1 ← l2 and r ← x1.
    let g = graph(FORK);
    let both = &["r", "l1", "l2", "x1"][..];
    assert_eq!(stamp_onto(&g, both, "l1"), Ok(set(&["r", "l1", "x1"])));
    assert_eq!(stamp_onto(&g, &["r", "x1"], "l2"), Ok(set(both)));
    assert_eq!(
        stamp_onto(&g, &["r", "l1"], "x1"),
        Ok(set(&["r", "l1", "x1"]))
    );
    // Stamping the shared base unmarks everything that grows on it.
    assert_eq!(stamp_onto(&g, both, "r"), Ok(set(&["r"])));
    assert_eq!(stamp_onto(&g, both, "base"), Ok(BTreeSet::new()));
    assert_eq!(stamp_onto(&g, &[], "heads"), Ok(set(both)));
    // Ids the folder no longer has are dropped.
    assert_eq!(stamp_onto(&g, &["r", "gone"], "r"), Ok(set(&["r"])));
    // Through a merge: stamping one parent unmarks the merge, keeps the other side.
    let d = graph(DIAMOND);
    assert_eq!(
        stamp_onto(&d, &["a", "b", "c", "m"], "b"),
        Ok(set(&["a", "b", "c"]))
    );
    assert_eq!(
        stamp_onto(&g, &[], "zz"),
        Err("no revision matches \"zz\"".into())
    );
}

#[test]
fn stamp_sets() {
    let g = graph(LINEAR);
    assert_eq!(stamp(&g, "head"), Ok(set(ALL)));
    assert_eq!(stamp(&g, "heads"), Ok(set(ALL)));
    assert_eq!(stamp(&g, "base"), Ok(BTreeSet::new()));
    assert_eq!(stamp(&g, "b"), Ok(set(&["a", "b"])));
    assert_eq!(stamp(&g, "c-1"), Ok(set(&["a", "b"])));
    assert_eq!(stamp(&g, "a-1"), Ok(BTreeSet::new()));
    assert_eq!(stamp(&g, "a+2"), Ok(set(&["a", "b", "c"])));
    assert_eq!(
        stamp(&g, "+1"),
        Err("`+1` does not work with stamp: stamp takes head, heads, base, a revision, REV+N or REV-N".into())
    );
    assert_eq!(stamp(&g, "zz"), Err("no revision matches \"zz\"".into()));

    let fork = graph(FORK);
    assert_eq!(stamp(&fork, "heads"), Ok(set(&["r", "l1", "l2", "x1"])));
    assert_eq!(stamp(&fork, "l2"), Ok(set(&["r", "l1", "l2"])));
    assert_eq!(
        stamp(&fork, "head"),
        Err("there are 2 heads (l2, x1): merge them with `wildebeest merge -m MSG l2 x1`, or upgrade to one of them, or `upgrade heads`".into())
    );
}

#[test]
fn huge_steps_do_not_loop_or_overflow() {
    let g = graph(LINEAR);
    let max = Target::Relative(i64::MAX);
    let min = Target::Relative(i64::MIN);
    assert_eq!(
        g.upgrade_plan(&set(&[]), &max).map_err(|e| e.to_string()),
        fails("cannot go 9223372036854775807 revisions up: only 4 revisions to apply")
    );
    assert_eq!(
        g.downgrade_plan(&set(ALL), &min).map_err(|e| e.to_string()),
        fails("cannot go 9223372036854775808 revisions down: only 4 applied")
    );
    // Zero steps are not parsed, but a caller building one gets a no-op.
    assert_eq!(
        g.upgrade_plan(&set(&["a"]), &Target::Relative(0)),
        Ok(vec![])
    );
    assert_eq!(
        g.downgrade_plan(&set(&["a"]), &Target::Relative(0)),
        Ok(vec![])
    );
    assert_eq!(
        g.upgrade_plan(&set(&["a"]), &Target::RevisionRelative("b".into(), 0)),
        Ok(vec!["b".to_string()])
    );
}

/// A chain of `n` revisions `r00000 ← r00001 ← …`.
fn chain(n: usize) -> Vec<Node> {
    (0..n)
        .map(|i| Node {
            id: format!("r{i:05}"),
            parents: if i == 0 {
                vec![]
            } else {
                vec![format!("r{:05}", i - 1)]
            },
            path: format!("m/{i:05}.sql").into(),
            ..Node::default()
        })
        .collect()
}

#[test]
fn ten_thousand_revisions() {
    const N: usize = 10_000;
    let start = Instant::now();
    let g = RevisionGraph::new(chain(N)).unwrap_or_else(|e| panic!("{e}"));
    // Generous for an unoptimized build on a busy machine; the point is no quadratic
    // blow-up (which would take seconds) and no recursion (which would overflow).
    assert!(
        start.elapsed() < Duration::from_secs(2),
        "{:?}",
        start.elapsed()
    );

    let ids: Vec<String> = (0..N).map(|i| format!("r{i:05}")).collect();
    assert_eq!(g.heads(), ["r09999"]);
    assert_eq!(g.bases(), ["r00000"]);
    assert_eq!(g.topo_order(), ids);
    assert_eq!(g.ancestors("r09999").len(), N);
    assert_eq!(g.descendants("r00000").len(), N);

    let none = BTreeSet::new();
    let all: BTreeSet<String> = ids.iter().cloned().collect();
    assert_eq!(g.upgrade_plan(&none, &Target::Head), Ok(ids.clone()));
    assert_eq!(
        g.upgrade_plan(&none, &Target::Relative(N as i64)),
        Ok(ids.clone())
    );
    let mut reversed = ids.clone();
    reversed.reverse();
    assert_eq!(g.downgrade_plan(&all, &Target::Base), Ok(reversed.clone()));
    assert_eq!(
        g.downgrade_plan(&all, &Target::Relative(-(N as i64))),
        Ok(reversed)
    );
    assert_eq!(
        g.downgrade_plan(&all, &Target::Relative(-(N as i64) - 1)),
        Err(GraphError::PastBase {
            from: None,
            requested: N as u64 + 1,
            available: N as u64
        })
    );
    assert_eq!(g.stamp_set(&Target::Head), Ok(all.clone()));
    assert_eq!(g.current_heads(&all), ["r09999"]);
    assert_eq!(
        g.resolve_prefix("r0999"),
        Err(GraphError::AmbiguousRevision {
            prefix: "r0999".into(),
            candidates: (9990..N).map(|i| format!("r{i:05}")).collect(),
        })
    );
}

#[test]
fn ten_thousand_revision_cycle() {
    const N: usize = 10_000;
    let mut nodes = chain(N);
    nodes[0].parents = vec![format!("r{:05}", N - 1)];
    let Err(GraphError::Cycle { revisions }) = RevisionGraph::new(nodes) else {
        panic!("expected a cycle");
    };
    assert_eq!(revisions.len(), N);
    assert_eq!(revisions[0].0, "r00000");
    // r00000 revises r09999, which revises r09998, …
    assert_eq!(revisions[1].0, "r09999");
}
