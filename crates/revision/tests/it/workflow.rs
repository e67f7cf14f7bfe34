//! Files on disk through the graph to a plan, as the CLI will use them.

use std::collections::BTreeSet;
use std::fs;
use std::path::Path;

use wildebeest_revision::{NewMigration, RevisionGraph, Target, file_name, load_dir, render};

fn write(dir: &Path, created: &str, id: &str, parents: &[&str], message: &str) {
    let new = NewMigration {
        id: id.into(),
        parents: parents.iter().map(|p| p.to_string()).collect(),
        message: message.into(),
        created: created.into(),
        upgrade: vec![format!("CREATE TABLE t_{id} (x INTEGER)")],
        downgrade: vec![format!("DROP TABLE t_{id}")],
        extra_headers: vec![("Dialect".into(), "sqlite".into())],
    };
    let path = dir.join(file_name(created, id, message));
    fs::write(path, render(&new)).unwrap_or_else(|e| panic!("{e}"));
}

#[test]
fn directory_to_plan() {
    let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let dir = tmp.path();
    write(
        dir,
        "2026-01-01T00:00:00Z",
        "0a1b2c3d4e5f",
        &[],
        "create users",
    );
    write(
        dir,
        "2026-01-02T00:00:00Z",
        "1b2c3d4e5f60",
        &["0a1b2c3d4e5f"],
        "add email",
    );
    write(
        dir,
        "2026-01-02T00:00:01Z",
        "2c3d4e5f6071",
        &["0a1b2c3d4e5f"],
        "add orders",
    );
    write(
        dir,
        "2026-01-03T00:00:00Z",
        "3d4e5f607182",
        &["1b2c3d4e5f60", "2c3d4e5f6071"],
        "merge",
    );

    let migrations = load_dir(dir).unwrap_or_else(|e| panic!("{e}"));
    let g = RevisionGraph::new(&migrations).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(g.heads(), ["3d4e5f607182"]);
    let applied: BTreeSet<String> = ["0a1b2c3d4e5f".to_string()].into();
    let plan = g.upgrade_plan(&applied, &Target::Head);
    assert_eq!(
        plan,
        Ok(vec![
            "1b2c3d4e5f60".to_string(),
            "2c3d4e5f6071".to_string(),
            "3d4e5f607182".to_string(),
        ])
    );
    let merge = g.get("3d4e5f607182").map(|n| n.path.clone());
    assert_eq!(
        merge,
        Some(dir.join("20260103_000000_3d4e5f607182_merge.sql"))
    );
}

#[test]
fn copied_file_is_a_duplicate_naming_both_files() {
    let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let dir = tmp.path();
    write(
        dir,
        "2026-01-01T00:00:00Z",
        "0a1b2c3d4e5f",
        &[],
        "create users",
    );
    write(dir, "2026-01-05T00:00:00Z", "0a1b2c3d4e5f", &[], "copy");
    let migrations = load_dir(dir).unwrap_or_else(|e| panic!("{e}"));
    let e = RevisionGraph::new(&migrations)
        .map(|_| ())
        .map_err(|e| e.to_string());
    assert_eq!(
        e,
        Err(format!(
            "revision 0a1b2c3d4e5f is defined twice, in {} and {}",
            dir.join("20260101_000000_0a1b2c3d4e5f_create_users.sql")
                .display(),
            dir.join("20260105_000000_0a1b2c3d4e5f_copy.sql").display(),
        ))
    );
}
