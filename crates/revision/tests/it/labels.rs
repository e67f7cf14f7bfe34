//! Branch labels (`-- Branch-Labels:`) and dependencies (`-- Depends-On:`) on
//! in-memory graphs: inheritance, `LABEL@head`/`@base`/`@+N`, the errors, and how
//! dependencies order upgrades and downgrades without changing the heads.

use wildebeest_revision::{GraphError, Node, RevisionGraph, Target};

use crate::{nodes, set};

/// `spec` as in [`nodes`], then `labels` and `deps` attached by id; a dependency's
/// header is on line 6.
fn with(
    spec: &[(&str, &[&str])],
    labels: &[(&str, &[&str])],
    deps: &[(&str, &[&str])],
) -> Result<RevisionGraph, String> {
    let mut all: Vec<Node> = nodes(spec);
    for node in &mut all {
        let id = node.id.clone();
        let find = |list: &[(&str, &[&str])]| -> Vec<String> {
            list.iter()
                .filter(|(i, _)| *i == id)
                .flat_map(|(_, v)| v.iter().map(|s| s.to_string()))
                .collect()
        };
        node.branch_labels = find(labels);
        node.depends_on = find(deps);
        if !node.depends_on.is_empty() {
            node.depends_on_line = Some(6);
        }
    }
    RevisionGraph::new(all).map_err(|e| e.to_string())
}

fn ok(g: Result<RevisionGraph, String>) -> RevisionGraph {
    g.unwrap_or_else(|e| panic!("{e}"))
}

/// r ← x1 ← x2 (x1 declares x) and r ← y1 ← y2 (y1 declares y), created in that order.
fn two_labelled() -> RevisionGraph {
    ok(with(
        &[
            ("r", &[]),
            ("x1", &["r"]),
            ("x2", &["x1"]),
            ("y1", &["r"]),
            ("y2", &["y1"]),
        ],
        &[("x1", &["x"]), ("y1", &["y"])],
        &[],
    ))
}

fn up(g: &RevisionGraph, applied: &[&str], target: &str) -> Result<Vec<String>, String> {
    let t = Target::parse(target).map_err(|e| e.to_string())?;
    g.upgrade_plan(&set(applied), &t).map_err(|e| e.to_string())
}

fn down(g: &RevisionGraph, applied: &[&str], target: &str) -> Result<Vec<String>, String> {
    let t = Target::parse(target).map_err(|e| e.to_string())?;
    g.downgrade_plan(&set(applied), &t)
        .map_err(|e| e.to_string())
}

fn names(g: &RevisionGraph, applied: &[&str], target: &str) -> Result<Vec<String>, String> {
    let t = Target::parse(target).map_err(|e| e.to_string())?;
    g.target_revisions(&set(applied), &t)
        .map_err(|e| e.to_string())
}

#[test]
fn labels_spread_to_descendants_and_down_a_single_line() {
    let g = two_labelled();
    assert_eq!(g.labels("x1"), ["x"]);
    assert_eq!(g.labels("x2"), ["x"]);
    assert_eq!(g.labels("y2"), ["y"]);
    // r is a branch point: it belongs to both branches, so to neither label.
    assert!(g.labels("r").is_empty());
    assert_eq!(g.label_base("x"), Ok("x1"));

    // On a single line the label reaches down to the root, and a merge gets both.
    let g = ok(with(
        &[
            ("a", &[]),
            ("b", &["a"]),
            ("c", &["b"]),
            ("d", &[]),
            ("m", &["c", "d"]),
        ],
        &[("b", &["line"]), ("d", &["other"])],
        &[],
    ));
    assert_eq!(g.labels("a"), ["line"]);
    assert_eq!(g.labels("c"), ["line"]);
    assert_eq!(g.labels("m"), ["line", "other"]);
    assert_eq!(g.label_base("line"), Ok("a"));
    assert_eq!(g.label_revision("line"), Some("b"));
}

#[test]
fn label_targets_name_the_branch_head_base_and_the_labelled_revision() {
    let g = two_labelled();
    assert_eq!(names(&g, &[], "x@head"), Ok(vec!["x2".to_string()]));
    assert_eq!(names(&g, &[], "y@base"), Ok(vec!["r".to_string()]));
    // A bare label is the revision that declares it; here "y" and "x" also start
    // other revisions' ids, which would change what they name silently: refused.
    assert_eq!(
        names(&g, &[], "y"),
        Err(
            "\"y\" is ambiguous: it is the branch label of revision y1 and the start of \
             revision y2's id; type the full id of the one you mean"
                .to_string()
        )
    );
    assert!(g.resolve_prefix("x").is_err());
    let spelled = ok(with(
        &[("r", &[]), ("x1", &["r"]), ("x2", &["x1"])],
        &[("x1", &["xb"])],
        &[],
    ));
    assert_eq!(names(&spelled, &[], "xb"), Ok(vec!["x1".to_string()]));
    assert_eq!(spelled.resolve_prefix("xb"), Ok("x1"));

    // `upgrade x@head` applies only that branch (and what it grew from).
    assert_eq!(
        up(&g, &[], "x@head"),
        Ok(vec!["r".into(), "x1".into(), "x2".into()])
    );
    // `downgrade x@base` undoes the branch and keeps r and the other branch.
    let all = ["r", "x1", "x2", "y1", "y2"];
    assert_eq!(down(&g, &all, "x@base"), Ok(vec!["x2".into(), "x1".into()]));
    assert_eq!(down(&g, &["r", "y1"], "x@base"), Ok(vec![]));
    let stamp = g.stamp_set(&Target::parse("x@base").unwrap_or_else(|e| panic!("{e}")));
    assert_eq!(stamp, Ok(set(&["r"])));
    let stamp = g.stamp_set(&Target::parse("y@head").unwrap_or_else(|e| panic!("{e}")));
    assert_eq!(stamp, Ok(set(&["r", "y1", "y2"])));
}

#[test]
fn relative_label_targets_move_along_their_branch() {
    let g = two_labelled();
    // From the database's revision on the branch (none: below its first revision).
    assert_eq!(up(&g, &[], "x@+1"), Ok(vec!["r".into(), "x1".into()]));
    assert_eq!(
        up(&g, &["r", "y1"], "x@+2"),
        Ok(vec!["x1".into(), "x2".into()])
    );
    assert_eq!(
        up(&g, &["r", "x1", "y1", "y2"], "x@+1"),
        Ok(vec!["x2".into()])
    );
    assert_eq!(
        up(&g, &["r", "x1"], "x@+2"),
        Err("cannot go 2 revisions up: only 1 revision to apply".into())
    );
    assert_eq!(
        down(&g, &["r", "x1", "x2", "y1", "y2"], "x@-1"),
        Ok(vec!["x2".into()])
    );
    // One step down the x branch from x1 undoes x1 alone: r stays for the y branch.
    assert_eq!(down(&g, &["r", "x1", "y1"], "x@-1"), Ok(vec!["x1".into()]));
    assert_eq!(
        down(&g, &["r", "x1", "x2", "y1"], "x@-2"),
        Ok(vec!["x2".into(), "x1".into()])
    );
    assert_eq!(
        down(&g, &["r", "y1"], "x@-1"),
        Err("cannot go 1 revision down: only 0 applied".into())
    );
    assert!(up(&g, &[], "x@-1").is_err_and(|e| e.contains("does not work with upgrade")));
    assert!(down(&g, &["r"], "x@+1").is_err_and(|e| e.contains("does not work with downgrade")));
}

#[test]
fn label_errors_name_the_files() {
    let spec: &[(&str, &[&str])] = &[("r", &[]), ("a", &["r"]), ("b", &["r"])];
    assert_eq!(
        with(spec, &[("a", &["x"]), ("b", &["x"])], &[]).map(|_| ()),
        Err("branch label x is declared twice, in m/01_a.sql and m/02_b.sql: a label names one branch".into())
    );
    assert_eq!(
        with(spec, &[("a", &["b"])], &[]).map(|_| ()),
        Err("m/01_a.sql: branch label b is the id of revision b (m/02_b.sql): a label must not look like another revision".into())
    );
    // The labelled branch forked: x@head cannot choose.
    let g = ok(with(
        &[("r", &[]), ("a", &["r"]), ("b", &["a"]), ("c", &["a"])],
        &[("a", &["x"])],
        &[],
    ));
    assert_eq!(
        names(&g, &[], "x@head"),
        Err("x@head is ambiguous: branch x has 2 heads (b in m/02_b.sql, c in m/03_c.sql); name one of them, or merge them".into())
    );
    assert_eq!(
        up(&g, &[], "nolabel@head"),
        Err("no branch label \"nolabel\": `LABEL@head` and the like take a label a revision declares with `-- Branch-Labels:` (`REV@head` also takes a revision)".into())
    );
    // REV@head, as in alembic: the one head growing from a revision, labelled or not.
    assert_eq!(names(&g, &[], "b@head"), Ok(vec!["b".to_string()]));
    assert_eq!(
        names(&g, &[], "r@head"),
        Err("r@head is ambiguous: branch r has 2 heads (b in m/02_b.sql, c in m/03_c.sql); name one of them, or merge them".into())
    );
    assert_eq!(
        up(&g, &[], "b@head"),
        Ok(vec!["r".into(), "a".into(), "b".into()])
    );
    assert_eq!(
        up(&g, &[], "r@base"),
        Err("no branch label \"r\": `LABEL@head` and the like take a label a revision declares with `-- Branch-Labels:` (`REV@head` also takes a revision)".into())
    );
    assert!(Target::parse("x@tail").is_err());
    assert!(Target::parse("x@+0").is_err());
    assert!(Target::parse("@head").is_err());
}

/// r ← a1 ← a2 and r ← b1, where b1 depends on a2 and is created before it.
fn dependent() -> RevisionGraph {
    ok(with(
        &[("r", &[]), ("a1", &["r"]), ("b1", &["r"]), ("a2", &["a1"])],
        &[],
        &[("b1", &["a2"])],
    ))
}

#[test]
fn a_dependency_is_applied_first_but_stays_a_head() {
    let g = dependent();
    assert_eq!(g.heads(), ["a2", "b1"]);
    assert_eq!(g.topo_order(), ["r", "a1", "a2", "b1"]);
    assert_eq!(
        up(&g, &[], "b1"),
        Ok(vec!["r".into(), "a1".into(), "a2".into(), "b1".into()])
    );
    assert_eq!(up(&g, &["r"], "a1"), Ok(vec!["a1".into()]));
    // The version table keeps both heads: b1 is no child of a2.
    assert_eq!(
        g.current_heads(&set(&["r", "a1", "a2", "b1"])),
        ["a2", "b1"]
    );
    assert_eq!(g.dependents("a2"), ["b1"]);
}

#[test]
fn downgrading_a_dependency_undoes_its_dependents_first() {
    let g = dependent();
    let all = ["r", "a1", "a2", "b1"];
    assert_eq!(down(&g, &all, "a1"), Ok(vec!["b1".into(), "a2".into()]));
    // The dependency itself stays applied: so does what depends on it.
    assert_eq!(down(&g, &all, "a2"), Ok(vec![]));
    assert_eq!(
        down(&g, &all, "r"),
        Ok(vec!["b1".into(), "a2".into(), "a1".into()])
    );
}

#[test]
fn dependency_errors_name_the_files() {
    assert_eq!(
        with(&[("a", &[]), ("b", &["a"])], &[], &[("b", &["zz"])]).map(|_| ()),
        Err("m/01_b.sql:6: revision b depends on zz, which no migration file defines".into())
    );
    assert_eq!(
        with(&[("a", &[]), ("b", &["a"])], &[], &[("a", &["b"])]).map(|_| ()),
        Err("revisions a (m/00_a.sql) and b (m/01_b.sql) form a cycle through Depends-On: each revises or depends on the next, and the last on the first".into())
    );
    assert_eq!(
        with(&[("a", &[])], &[], &[("a", &["a"])]).map(|_| ()),
        Err("revision a (m/00_a.sql) depends on itself".into())
    );
    let Err(GraphError::DependencyCycle { revisions }) = RevisionGraph::new({
        let mut n = nodes(&[("a", &[]), ("b", &[]), ("c", &[])]);
        n[0].depends_on = vec!["c".into()];
        n[1].depends_on = vec!["a".into()];
        n[2].depends_on = vec!["b".into()];
        n
    }) else {
        panic!("expected a dependency cycle");
    };
    let ids: Vec<&str> = revisions.iter().map(|(id, _)| id.as_str()).collect();
    assert_eq!(ids, ["a", "c", "b"]);
}

// `stamp LABEL@base` unmarked every branch growing from the revision below the
// labelled branch (all of them for a branch from base), where `downgrade LABEL@base`
// leaves the other branches alone.
#[test]
fn stamp_label_at_base_moves_that_branch_alone() {
    let stamp = |g: &RevisionGraph, applied: &[&str], target: &str| {
        g.stamp_onto(&Target::parse(target).unwrap(), &set(applied))
            .map_err(|e| e.to_string())
    };
    let g = two_labelled();
    let all = ["r", "x1", "x2", "y1", "y2"];
    assert_eq!(stamp(&g, &all, "x@base"), Ok(set(&["r", "y1", "y2"])));
    assert_eq!(stamp(&g, &["r"], "x@base"), Ok(set(&["r"])));
    // A labelled branch that starts at base.
    let g = ok(with(
        &[("a", &[]), ("b", &["a"]), ("c", &[]), ("d", &["c"])],
        &[("c", &["billing"])],
        &[],
    ));
    assert_eq!(
        stamp(&g, &["a", "b", "c", "d"], "billing@base"),
        Ok(set(&["a", "b"]))
    );
    assert_eq!(
        stamp(&g, &["a", "b", "c", "d"], "billing@head"),
        Ok(set(&["a", "b", "c", "d"]))
    );
}
