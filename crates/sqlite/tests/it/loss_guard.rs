//! The runner's rule for a loss it cannot count: an op the backend marks as losing
//! data, with no query to count it, never runs without consent (fail closed).

use std::path::Path;

use wildebeest_revision::{Migration, Target, parse};
use wildebeest_runner::{Mode, RunError, Runner};

use crate::util::{Db, table};

fn revision(id: &str, parent: &str, upgrade: &str) -> Migration {
    let name = format!("2026010{}_000000_{id}_m.sql", &id[id.len() - 1..]);
    parse(
        &Path::new("migrations").join(name),
        &format!(
            "-- wildebeest revision\n-- Revision: {id}\n-- Revises: {parent}\n-- Message: m\n\
             -- Created: 2026-01-01T00:00:00Z\n-- Dialect: sqlite\n\n\
             -- +upgrade\n{upgrade}\n\n-- +downgrade\n"
        ),
    )
    .unwrap()
}

/// Regression: `TEXT -> INTEGER` was marked `-- DATA LOSS`, had no count query on
/// SQLite, and ran without consent, the rebuild's copy turning '007' into 7.
#[test]
fn a_marked_type_change_without_a_count_does_not_run_without_consent() {
    let db = Db::with("");
    let mut backend = db.backend();
    let migrations = vec![
        revision(
            "aaaaaaaaaaa1",
            "",
            "CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT);",
        ),
        revision(
            "aaaaaaaaaaa2",
            "aaaaaaaaaaa1",
            "ALTER TABLE t ALTER COLUMN a TYPE INTEGER;",
        ),
    ];
    let mut out = Vec::new();
    Runner::new(&mut backend, &migrations)
        .unwrap()
        .upgrade(
            &Target::Revision("aaaaaaaaaaa1".into()),
            Mode::Execute,
            &mut out,
        )
        .unwrap();
    db.conn()
        .execute_batch("INSERT INTO t VALUES (1, '007'), (2, NULL)")
        .unwrap();
    let err = Runner::new(&mut backend, &migrations)
        .unwrap()
        .upgrade(&Target::Head, Mode::Execute, &mut out)
        .unwrap_err();
    let RunError::DataLoss { items, .. } = &err else {
        panic!("{err}");
    };
    assert_eq!(items.len(), 1, "{items:?}");
    // Refused, naming the file and line, whether SQLite counts the values or not.
    assert!(
        items[0].starts_with(
            "migrations/20260102_000000_aaaaaaaaaaa2_m.sql:9 (revision aaaaaaaaaaa2): converts column `t.a`"
        ),
        "{items:?}"
    );
    assert!(
        items[0].ends_with(
            "this database cannot count the values it would change, so it runs only with consent"
        ) || items[0].ends_with("1 row holds a value that does not fit"),
        "{items:?}"
    );
    let text = err.to_string();
    assert!(text.contains("-- wildebeest: allow-data-loss"), "{text}");
    assert!(text.contains("--allow-data-loss"), "{text}");
    assert_eq!(
        db.rows("SELECT typeof(a), a FROM t WHERE id = 1"),
        table(&[&["text", "007"]])
    );

    // With consent it runs.
    Runner::new(&mut backend, &migrations)
        .unwrap()
        .with_allow_data_loss(true)
        .upgrade(&Target::Head, Mode::Execute, &mut out)
        .unwrap();
    assert_eq!(db.rows("SELECT a FROM t WHERE id = 1"), table(&[&["7"]]));
}
