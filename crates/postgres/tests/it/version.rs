//! The version, history and progress tables.

use wildebeest_runner::{Applied, Backend, HistoryEntry, Operation, Record};

use crate::util::{db, script, table, upgrade};

#[test]
fn without_version_tables_nothing_is_applied_and_nothing_is_created() {
    let mut db = db!("CREATE TABLE t (a INTEGER)");
    let mut backend = db.backend();
    assert_eq!(backend.applied().unwrap(), vec![]);
    assert_eq!(backend.history().unwrap(), vec![]);
    assert_eq!(backend.partial().unwrap(), None);
    assert_eq!(db.tables(), ["t"]);
}

#[test]
fn version_tables_are_created_once_and_left_out_of_the_schema() {
    let mut db = db!();
    let mut backend = db.backend();
    backend.ensure_version_tables().unwrap();
    backend.ensure_version_tables().unwrap();
    assert_eq!(
        db.tables(),
        [
            "wildebeest_history",
            "wildebeest_progress",
            "wildebeest_revisions"
        ]
    );
    assert_eq!(backend.applied().unwrap(), vec![]);
    assert!(backend.inspect().unwrap().tables.is_empty());
    assert_eq!(
        db.rows(
            "SELECT table_name, column_name, data_type FROM information_schema.columns \
             WHERE table_schema = current_schema() ORDER BY table_name, ordinal_position"
        ),
        table(&[
            &["wildebeest_history", "id", "bigint"],
            &["wildebeest_history", "revision", "text"],
            &["wildebeest_history", "operation", "text"],
            &["wildebeest_history", "checksum", "text"],
            &["wildebeest_history", "started_at", "text"],
            &["wildebeest_history", "duration_ms", "bigint"],
            &["wildebeest_progress", "revision", "text"],
            &["wildebeest_progress", "operation", "text"],
            &["wildebeest_progress", "steps_done", "bigint"],
            &["wildebeest_progress", "error", "text"],
            &["wildebeest_progress", "next_step", "text"],
            &["wildebeest_revisions", "revision", "text"],
            &["wildebeest_revisions", "checksum", "text"],
            &["wildebeest_revisions", "applied_at", "text"],
        ])
    );
}

#[test]
fn executing_records_the_revision_and_its_history() {
    let db = db!();
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
    let entry = |revision: &str, operation, started_at: &str| HistoryEntry {
        revision: revision.into(),
        operation,
        checksum: format!("sum-{revision}"),
        started_at: started_at.into(),
        duration_ms: 0,
    };
    // Durations are measured; zero them to compare the rest exactly.
    let history: Vec<HistoryEntry> = backend
        .history()
        .unwrap()
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
    let db = db!();
    let mut backend = db.backend();
    backend.ensure_version_tables().unwrap();
    backend
        .execute(
            &script(&["SELECT pg_sleep(0.05)"]),
            &upgrade("aaa"),
            &Default::default(),
        )
        .unwrap();
    let history = backend.history().unwrap();
    assert!(history[0].duration_ms >= 50, "{history:?}");
}

#[test]
fn record_sql_is_the_bookkeeping_with_literals() {
    let db = db!();
    let backend = db.backend();
    let stamp = Record {
        operation: Operation::Stamp,
        revision: "it's".into(),
        other_heads: Vec::new(),
        checksum: String::new(),
        insert: vec![("new1".into(), "c1".into())],
        delete: vec!["old".into()],
        started_at: "2026-01-02T03:04:05Z".into(),
    };
    let s = &db.schema;
    assert_eq!(
        backend.record_sql(&stamp),
        [
            format!("DELETE FROM {s}.wildebeest_revisions WHERE revision = 'old'"),
            format!(
                "INSERT INTO {s}.wildebeest_revisions (revision, checksum, applied_at) VALUES ('new1', 'c1', '2026-01-02T03:04:05Z')"
            ),
            format!(
                "INSERT INTO {s}.wildebeest_history (revision, operation, checksum, started_at, duration_ms) VALUES ('it''s', 'stamp', '', '2026-01-02T03:04:05Z', 0)"
            ),
            format!("DELETE FROM {s}.wildebeest_progress"),
        ]
    );
}

#[test]
fn an_unknown_operation_in_the_history_is_an_error() {
    let mut db = db!();
    let mut backend = db.backend();
    backend.ensure_version_tables().unwrap();
    db.exec(
        "INSERT INTO wildebeest_history (revision, operation, checksum, started_at, duration_ms) \
         VALUES ('a', 'sideways', '', '', 0)",
    );
    let err = backend.history().unwrap_err();
    assert_eq!(
        err.message,
        "`wildebeest_history` row 1 has an unknown operation `sideways`"
    );
}

#[test]
fn a_progress_table_without_the_next_step_column_gets_it() {
    // The journal of an earlier version: the next run adds the column that names a
    // statement running outside a transaction, and keeps the row.
    let mut db = db!(
        "CREATE TABLE wildebeest_progress (revision TEXT PRIMARY KEY, operation TEXT NOT NULL, \
         steps_done BIGINT NOT NULL, error TEXT NOT NULL DEFAULT ''); \
         INSERT INTO wildebeest_progress VALUES ('r1', 'upgrade', 2, 'boom')"
    );
    let mut backend = db.backend();
    backend.ensure_version_tables().unwrap();
    backend.ensure_version_tables().unwrap();
    assert_eq!(
        db.rows("SELECT revision, steps_done::text, error, next_step FROM wildebeest_progress"),
        table(&[&["r1", "2", "boom", ""]])
    );
}
