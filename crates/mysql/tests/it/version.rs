//! The version and history tables.

use wildebeest_runner::{Applied, Backend, HistoryEntry, Operation, Record};
use wildebeest_schema::{Column, ColumnType, Op, Table};

use crate::util::{script, table, test_db, upgrade};

#[test]
fn without_version_tables_nothing_is_applied_and_nothing_is_created() {
    let mut db = test_db!();
    let mut backend = db.backend();
    assert_eq!(backend.applied().unwrap(), vec![]);
    assert_eq!(backend.history().unwrap(), vec![]);
    assert_eq!(db.rows("SHOW TABLES"), Vec::<Vec<String>>::new());
}

#[test]
fn version_tables_are_created_once_in_innodb() {
    let mut db = test_db!();
    let mut backend = db.backend();
    backend.ensure_version_tables().unwrap();
    backend.ensure_version_tables().unwrap();
    assert_eq!(
        db.rows(
            "SELECT TABLE_NAME, ENGINE FROM information_schema.TABLES \
             WHERE TABLE_SCHEMA = DATABASE() ORDER BY TABLE_NAME"
        ),
        table(&[
            &["wildebeest_history", "InnoDB"],
            &["wildebeest_progress", "InnoDB"],
            &["wildebeest_revisions", "InnoDB"]
        ])
    );
}

#[test]
fn executing_records_the_revision_and_its_history() {
    let mut db = test_db!();
    let mut backend = db.backend();
    backend.ensure_version_tables().unwrap();
    backend.lock().unwrap();
    backend
        .execute(
            &script(&["CREATE TABLE t (a INT)"]),
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
    let history: Vec<HistoryEntry> = backend
        .history()
        .unwrap()
        .into_iter()
        .map(|h| HistoryEntry {
            duration_ms: 0,
            ..h
        })
        .collect();
    let entry = |revision: &str, operation, started_at: &str| HistoryEntry {
        revision: revision.into(),
        operation,
        checksum: format!("sum-{revision}"),
        started_at: started_at.into(),
        duration_ms: 0,
    };
    assert_eq!(
        history,
        vec![
            entry("aaa", Operation::Upgrade, "2026-01-02T03:04:05Z"),
            entry("bbb", Operation::Upgrade, "2026-01-02T03:04:05Z"),
            entry("bbb", Operation::Downgrade, "2026-01-02T03:05:00Z"),
        ]
    );
    assert_eq!(
        db.rows("SELECT COUNT(*) FROM wildebeest_progress"),
        table(&[&["0"]])
    );
}

#[test]
fn revision_ids_are_stored_exactly() {
    let db = test_db!();
    let mut backend = db.backend();
    backend.ensure_version_tables().unwrap();
    // Case differs, and a backslash is no escape.
    for id in ["abc", "ABC", "a\\'b"] {
        backend
            .execute(&script(&[]), &upgrade(id), &Default::default())
            .unwrap();
    }
    let mut ids: Vec<String> = backend
        .applied()
        .unwrap()
        .into_iter()
        .map(|a| a.revision)
        .collect();
    ids.sort();
    assert_eq!(ids, ["ABC", "a\\'b", "abc"]);
}

#[test]
fn an_unknown_operation_in_the_history_is_an_error() {
    let mut db = test_db!();
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
fn loss_counts_what_would_be_destroyed() {
    let mut db = test_db!();
    db.exec(
        "CREATE TABLE t (a VARCHAR(20), b BIGINT, c INT);
         INSERT INTO t VALUES ('short', 1, NULL), ('a bit longer', 5000000000, NULL), (NULL, NULL, NULL)",
    );
    let mut backend = db.backend();
    let cases = [
        ("SELECT COUNT(*) FROM t", Some(3)),
        ("SELECT COUNT(*) FROM t WHERE a IS NOT NULL", Some(2)),
        ("SELECT COUNT(*) FROM t WHERE c IS NOT NULL", Some(0)),
        ("SELECT COUNT(*) FROM t WHERE CHAR_LENGTH(a) > 5", Some(1)),
        (
            "SELECT COUNT(*) FROM t WHERE b NOT BETWEEN -2147483648 AND 2147483647",
            Some(1),
        ),
        ("SELECT COUNT(*) FROM missing", None),
        ("SELECT COUNT(*) FROM t WHERE missing IS NOT NULL", None),
    ];
    for (query, want) in cases {
        assert_eq!(backend.count(query).unwrap(), want, "{query}");
    }
    let err = backend.count("SELECT COUNT(*) FROM").unwrap_err();
    assert!(
        err.message
            .starts_with("cannot check `SELECT COUNT(*) FROM`: "),
        "{err}"
    );
}

#[test]
fn loss_queries_of_ops_count_on_the_database() {
    let mut db = test_db!();
    db.exec(
        "CREATE TABLE t (a VARCHAR(20), b BIGINT, c DECIMAL(10, 2));
         INSERT INTO t VALUES ('short', 1, 1.5), ('a bit longer', 5000000000, 123456.25), (NULL, NULL, NULL)",
    );
    let mut backend = db.backend();
    let alter = |name: &str, from: ColumnType, to: ColumnType| Op::AlterColumn {
        table: "t".into(),
        from: Column::new(name, from),
        to: Column::new(name, to),
    };
    let dec = |p, s| ColumnType::Decimal {
        precision: Some(p),
        scale: Some(s),
    };
    let cases = [
        (Op::DropTable(Table::new("t")), Some(3)),
        (
            Op::DropColumn {
                table: "t".into(),
                column: Column::new("a", ColumnType::Text),
            },
            Some(2),
        ),
        (
            alter(
                "a",
                ColumnType::Varchar(Some(20)),
                ColumnType::Varchar(Some(5)),
            ),
            Some(1),
        ),
        (alter("b", ColumnType::BigInt, ColumnType::Integer), Some(1)),
        (
            alter("b", ColumnType::BigInt, ColumnType::SmallInt),
            Some(1),
        ),
        // 1.50 reads back as 1.5, 123456.25 as 123456.3: both change.
        (alter("c", dec(10, 2), dec(10, 1)), Some(2)),
        (alter("c", dec(10, 2), dec(6, 2)), Some(1)),
        (Op::DropTable(Table::new("missing")), None),
    ];
    for (op, want) in cases {
        let query = backend.loss_query(&op).unwrap();
        assert_eq!(backend.count(&query).unwrap(), want, "{query}");
    }
}
