//! Branch points, the revisions a target names, and ranges (for `branches` and
//! `history -r`), and relative downgrades across a merge.

use wildebeest_revision::{RevisionGraph, Target};

use crate::{DIAMOND, FORK, LINEAR, graph, set};

fn names(g: &RevisionGraph, applied: &[&str], target: &str) -> Result<Vec<String>, String> {
    let t = Target::parse(target).map_err(|e| e.to_string())?;
    g.target_revisions(&set(applied), &t)
        .map_err(|e| e.to_string())
}

fn ids(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

fn range(g: &RevisionGraph, lower: &[&str], upper: &[&str]) -> Vec<String> {
    g.range(&ids(lower), &ids(upper))
        .unwrap_or_else(|e| panic!("{e}"))
        .into_iter()
        .map(str::to_string)
        .collect()
}

#[test]
fn branch_points_in_topological_order() {
    assert!(graph(LINEAR).branch_points().is_empty());
    assert_eq!(graph(FORK).branch_points(), ["r"]);
    assert_eq!(graph(DIAMOND).branch_points(), ["a"]);
    // Two forks: the older one first.
    let g = graph(&[
        ("z", &[]),
        ("y", &["z"]),
        ("x", &["z"]),
        ("w", &["y"]),
        ("v", &["y"]),
    ]);
    assert_eq!(g.branch_points(), ["z", "y"]);
}

#[test]
fn what_a_target_names() {
    let g = graph(FORK);
    assert_eq!(names(&g, &[], "heads"), Ok(ids(&["l2", "x1"])));
    assert_eq!(names(&g, &[], "base"), Ok(ids(&[])));
    assert_eq!(names(&g, &[], "l1"), Ok(ids(&["l1"])));
    assert_eq!(
        names(&g, &[], "l"),
        Err("\"l\" is ambiguous: 2 revisions (l1, l2) start with it; type more of the id".into())
    );
    assert_eq!(names(&g, &[], "l2-1"), Ok(ids(&["l1"])));
    assert_eq!(names(&g, &[], "l1-2"), Ok(ids(&[])));
    assert_eq!(names(&g, &["r", "l1"], "-1"), Ok(ids(&["r"])));
    assert_eq!(names(&g, &["r", "l1"], "+1"), Ok(ids(&["l2"])));
    assert_eq!(
        names(&g, &[], "-1"),
        Err("cannot go 1 revision down: only 0 applied".into())
    );
    assert_eq!(
        names(&g, &[], "head"),
        Err("there are 2 heads (l2, x1): merge them with `wildebeest merge -m MSG l2 x1`, or upgrade to one of them, or `upgrade heads`".into())
    );
    let d = graph(DIAMOND);
    assert_eq!(names(&d, &[], "m-1"), Ok(ids(&["b", "c"])));
    assert_eq!(names(&d, &["a", "b", "c", "m"], "-1"), Ok(ids(&["b", "c"])));
}

#[test]
fn ranges_are_inclusive_and_follow_the_graph() {
    let g = graph(LINEAR);
    assert_eq!(range(&g, &[], &["d"]), ["a", "b", "c", "d"]);
    assert_eq!(range(&g, &["b"], &["c"]), ["b", "c"]);
    assert_eq!(range(&g, &["c"], &["b"]), Vec::<String>::new());
    assert_eq!(range(&g, &[], &[]), Vec::<String>::new());

    let f = graph(FORK);
    // From the fork to one head: that branch only.
    assert_eq!(range(&f, &["r"], &["l2"]), ["r", "l1", "l2"]);
    assert_eq!(range(&f, &["l1"], &["l2", "x1"]), ["l1", "l2"]);
    assert_eq!(range(&f, &[], &["l2", "x1"]), ["r", "l1", "x1", "l2"]);

    let d = graph(DIAMOND);
    assert_eq!(range(&d, &["b"], &["m"]), ["b", "m"]);
    assert_eq!(
        d.range(&ids(&["zz"]), &ids(&["m"]))
            .map_err(|e| e.to_string()),
        Err("no revision matches \"zz\"".into())
    );
}

#[test]
fn downgrading_one_branch_leaves_the_other() {
    // r ← a1 ← a2, r ← b1 ← b2, m merges a2 and b2.
    let g = graph(&[
        ("r", &[]),
        ("a1", &["r"]),
        ("b1", &["r"]),
        ("a2", &["a1"]),
        ("b2", &["b1"]),
        ("m", &["a2", "b2"]),
    ]);
    let all = set(&["r", "a1", "b1", "a2", "b2", "m"]);
    let down = |applied: &std::collections::BTreeSet<String>, to: &str| {
        g.downgrade_plan(
            applied,
            &Target::parse(to).unwrap_or_else(|e| panic!("{e}")),
        )
        .map_err(|e| e.to_string())
    };
    assert_eq!(down(&all, "-1"), Ok(ids(&["m"])));
    let unmerged = set(&["r", "a1", "b1", "a2", "b2"]);
    assert_eq!(down(&unmerged, "a1"), Ok(ids(&["a2"])));
    assert_eq!(down(&unmerged, "b1"), Ok(ids(&["b2"])));
    assert_eq!(
        down(&unmerged, "-1"),
        Err("the database is at 2 heads (a2, b2): a relative step cannot choose between them; name a revision instead".into())
    );
    assert_eq!(down(&unmerged, "a2-1"), Ok(ids(&["a2"])));
    assert_eq!(down(&unmerged, "r"), Ok(ids(&["b2", "a2", "b1", "a1"])));
}

#[test]
fn one_step_down_from_a_merge_keeps_what_its_other_parent_needs() {
    // r ← a ← b, m merges b and r itself: `-1` at m lands on b and r, and r's other
    // descendants a and b are b's ancestors (or b), so only m is undone. (Found by the
    // target_resolver fuzz target: a and b used to be undone while b stayed applied.)
    let g = graph(&[("r", &[]), ("a", &["r"]), ("b", &["a"]), ("m", &["b", "r"])]);
    let plan = g
        .downgrade_plan(
            &set(&["r", "a", "b", "m"]),
            &Target::parse("-1").unwrap_or_else(|e| panic!("{e}")),
        )
        .map_err(|e| e.to_string());
    assert_eq!(plan, Ok(ids(&["m"])));
}
