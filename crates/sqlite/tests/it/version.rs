//! The version and history tables.

use wildebeest_runner::{Applied, Backend, HistoryEntry, Operation, Record};

use crate::util::{Db, script, table, upgrade};

#[test]
fn without_version_tables_nothing_is_applied_and_nothing_is_created() {
    let db = Db::with("CREATE TABLE t (a INTEGER)");
    let mut backend = db.backend();
    assert_eq!(backend.applied().unwrap(), vec![]);
    assert_eq!(backend.history().unwrap(), vec![]);
    assert_eq!(
        db.rows("SELECT name FROM sqlite_master WHERE name LIKE 'wildebeest%'"),
        Vec::<Vec<String>>::new()
    );
}

#[test]
fn version_tables_are_created_once() {
    let db = Db::with("");
    let mut backend = db.backend();
    backend.ensure_version_tables().unwrap();
    backend.ensure_version_tables().unwrap();
    assert_eq!(
        db.rows("SELECT name FROM sqlite_master WHERE name LIKE 'wildebeest%' ORDER BY name"),
        table(&[&["wildebeest_history"], &["wildebeest_revisions"]])
    );
    assert_eq!(backend.applied().unwrap(), vec![]);
}

#[test]
fn executing_records_the_revision_and_its_history() {
    let db = Db::with("");
    let mut backend = db.backend();
    backend.ensure_version_tables().unwrap();
    backend.lock().unwrap();
    backend
        .execute(
            &script(&["CREATE TABLE t (a INTEGER)"]),
            &upgrade("aaa"),
            &Default::default(),
        )
        .unwrap();
    backend
        .execute(&script(&[]), &upgrade("bbb"), &Default::default())
        .unwrap();
    let down = Record {
        operation: Operation::Downgrade,
        revision: "bbb".into(),
        other_heads: Vec::new(),
        checksum: "sum-bbb".into(),
        insert: vec![],
        delete: vec!["bbb".into()],
        started_at: "2026-01-02T03:05:00Z".into(),
    };
    backend
        .execute(&script(&[]), &down, &Default::default())
        .unwrap();
    backend.unlock().unwrap();

    assert_eq!(
        backend.applied().unwrap(),
        vec![Applied {
            revision: "aaa".into(),
            checksum: "sum-aaa".into(),
            applied_at: "2026-01-02T03:04:05Z".into()
        }]
    );
    let history = backend.history().unwrap();
    let entry = |revision: &str, operation, started_at: &str| HistoryEntry {
        revision: revision.into(),
        operation,
        checksum: format!("sum-{revision}"),
        started_at: started_at.into(),
        duration_ms: 0,
    };
    // Durations are measured; zero them to compare the rest exactly.
    let history: Vec<HistoryEntry> = history
        .into_iter()
        .map(|h| HistoryEntry {
            duration_ms: 0,
            ..h
        })
        .collect();
    assert_eq!(
        history,
        vec![
            entry("aaa", Operation::Upgrade, "2026-01-02T03:04:05Z"),
            entry("bbb", Operation::Upgrade, "2026-01-02T03:04:05Z"),
            entry("bbb", Operation::Downgrade, "2026-01-02T03:05:00Z"),
        ]
    );
}

#[test]
fn the_history_measures_the_revision() {
    let db = Db::with("");
    let mut backend = db.backend();
    backend.ensure_version_tables().unwrap();
    // A statement that takes a while: a recursive count to a million.
    let slow = "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1000000) SELECT count(*) FROM n";
    backend
        .execute(&script(&[slow]), &upgrade("aaa"), &Default::default())
        .unwrap();
    let history = backend.history().unwrap();
    assert!(history[0].duration_ms > 0, "{history:?}");
}

#[test]
fn record_sql_is_the_bookkeeping_with_literals() {
    let db = Db::with("");
    let backend = db.backend();
    let stamp = Record {
        operation: Operation::Stamp,
        revision: "it's".into(),
        other_heads: Vec::new(),
        checksum: String::new(),
        insert: vec![("new1".into(), "c1".into()), ("new2".into(), "c2".into())],
        delete: vec!["old".into()],
        started_at: "2026-01-02T03:04:05Z".into(),
    };
    assert_eq!(
        backend.record_sql(&stamp),
        [
            "DELETE FROM wildebeest_revisions WHERE revision = 'old'",
            "INSERT INTO wildebeest_revisions (revision, checksum, applied_at) VALUES ('new1', 'c1', '2026-01-02T03:04:05Z')",
            "INSERT INTO wildebeest_revisions (revision, checksum, applied_at) VALUES ('new2', 'c2', '2026-01-02T03:04:05Z')",
            "INSERT INTO wildebeest_history (revision, operation, checksum, started_at, duration_ms) VALUES ('it''s', 'stamp', '', '2026-01-02T03:04:05Z', 0)",
        ]
    );
}

#[test]
fn an_unknown_operation_in_the_history_is_an_error() {
    let db = Db::with("");
    let mut backend = db.backend();
    backend.ensure_version_tables().unwrap();
    db.conn()
        .execute_batch(
            "INSERT INTO wildebeest_history (revision, operation, checksum, started_at, duration_ms) \
             VALUES ('a', 'sideways', '', '', 0)",
        )
        .unwrap();
    let err = backend.history().unwrap_err();
    assert_eq!(
        err.message,
        "`wildebeest_history` row 1 has an unknown operation `sideways`"
    );
}
