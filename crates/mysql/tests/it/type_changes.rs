//! Type changes that change stored values as MySQL reads them back, on the shared
//! server: counted, and refused without consent.

use std::path::Path;

use wildebeest_mysql::MysqlBackend;
use wildebeest_revision::{Migration, Target, parse};
use wildebeest_runner::{Mode, RunError, Runner};

use crate::util::{table, test_db};

fn revision(id: &str, parent: &str, upgrade: &str) -> Migration {
    let name = format!("2026010{}_000000_{id}_m.sql", &id[id.len() - 1..]);
    parse(
        &Path::new("migrations").join(name),
        &format!(
            "-- wildebeest revision\n-- Revision: {id}\n-- Revises: {parent}\n-- Message: m\n\
             -- Created: 2026-01-01T00:00:00Z\n-- Dialect: mysql\n\n\
             -- +upgrade\n{upgrade}\n\n-- +downgrade\n"
        ),
    )
    .unwrap()
}

/// The two revisions of a test: `create` makes the table, `change` changes it. The
/// first is applied to the database; the second is what the test runs.
fn prepared(backend: &mut MysqlBackend, create: &str, change: &str) -> Vec<Migration> {
    let migrations = vec![
        revision("aaaaaaaaaaa1", "", create),
        revision("aaaaaaaaaaa2", "aaaaaaaaaaa1", change),
    ];
    Runner::new(backend, &migrations)
        .unwrap()
        .upgrade(
            &Target::Revision("aaaaaaaaaaa1".into()),
            Mode::Execute,
            &mut Vec::new(),
        )
        .unwrap();
    migrations
}

/// Upgrades to the head, with or without consent to data loss.
fn upgrade(
    backend: &mut MysqlBackend,
    migrations: &[Migration],
    consent: bool,
) -> Result<(), RunError> {
    Runner::new(backend, migrations)
        .unwrap()
        .with_allow_data_loss(consent)
        .upgrade(&Target::Head, Mode::Execute, &mut Vec::new())
        .map(|_| ())
}

/// Regression (issue 17, item 5): `VARCHAR(n) -> CHAR(n)` ran unmarked, and MariaDB
/// reads a `CHAR` without its trailing spaces, so 'ab ' became 'ab'.
#[test]
fn varchar_to_char_counts_values_with_trailing_spaces() {
    let mut db = test_db!();
    let mut backend = db.backend();
    let migrations = prepared(
        &mut backend,
        "CREATE TABLE v (id INT PRIMARY KEY, s VARCHAR(3));",
        "ALTER TABLE v MODIFY s CHAR(3);",
    );
    db.exec("INSERT INTO v VALUES (1, 'abc'), (2, 'ab'), (3, 'ab '), (4, NULL)");
    let err = upgrade(&mut backend, &migrations, false).unwrap_err();
    let RunError::DataLoss { items, .. } = &err else {
        panic!("{err}");
    };
    assert_eq!(items.len(), 1, "{items:?}");
    assert!(
        items[0].contains("`v.s`") && items[0].ends_with("1 row holds a value that does not fit"),
        "{items:?}"
    );
    upgrade(&mut backend, &migrations, true).unwrap();
    assert_eq!(
        db.rows("SELECT CONCAT('[', s, ']') FROM v WHERE id < 4 ORDER BY id"),
        table(&[&["[abc]"], &["[ab]"], &["[ab]"]])
    );
}

/// A count that fails (here on a character set MySQL does not know) stops the run
/// before anything runs, naming the statement, rather than crashing or skipping it.
#[test]
fn a_count_that_fails_names_the_statement_and_runs_nothing() {
    let mut db = test_db!();
    let mut backend = db.backend();
    let migrations = prepared(
        &mut backend,
        "CREATE TABLE v (id INT PRIMARY KEY, s VARCHAR(3));",
        "ALTER TABLE v MODIFY s VARCHAR(3) CHARACTER SET nosuch;",
    );
    db.exec("INSERT INTO v VALUES (1, 'abc')");
    let err = upgrade(&mut backend, &migrations, false).unwrap_err();
    let text = err.to_string();
    assert!(
        text.starts_with("migrations/20260102_000000_aaaaaaaaaaa2_m.sql:9: (revision aaaaaaaaaaa2) converts column `v.s` to character set nosuch")
            && text.contains("the count that guards it failed, so nothing ran")
            && text.contains("nosuch"),
        "{text}"
    );
    assert_eq!(db.rows("SELECT s FROM v"), table(&[&["abc"]]));
}

/// A collation of another character set converts the text as `CHARACTER SET` does:
/// it is marked, and text the new set lacks is counted before anything runs.
#[test]
fn a_collation_of_another_character_set_is_guarded() {
    let mut db = test_db!();
    let mut backend = db.backend();
    let migrations = prepared(
        &mut backend,
        "CREATE TABLE v (id INT PRIMARY KEY, s VARCHAR(20) CHARACTER SET utf8mb4);",
        "ALTER TABLE v MODIFY s VARCHAR(20) COLLATE latin1_bin;",
    );
    db.exec("INSERT INTO v VALUES (1, '☃ 日本'), (2, 'plain')");
    for consent in [false, true] {
        let err = upgrade(&mut backend, &migrations, consent).unwrap_err();
        let RunError::Unconvertible { items, .. } = &err else {
            panic!("{err}");
        };
        assert!(
            items.len() == 1
                && items[0].contains("converts column `v.s` to character set latin1")
                && items[0]
                    .ends_with("1 row holds in `v.s` that character set latin1 cannot represent"),
            "{items:?}"
        );
    }
    assert_eq!(
        db.rows("SELECT s FROM v ORDER BY id"),
        table(&[&["☃ 日本"], &["plain"]])
    );
}

/// Regression (found by the data-loss oracle): the count of a `BIGINT` narrowed to a
/// `DECIMAL` took `ABS` of the column, which fails on the smallest `BIGINT` (error
/// 1690, out of range), so the run stopped with no count instead of counting.
#[test]
fn the_smallest_bigint_narrowed_to_a_decimal_is_counted() {
    let mut db = test_db!();
    let mut backend = db.backend();
    let migrations = prepared(
        &mut backend,
        "CREATE TABLE n (id INT PRIMARY KEY, v BIGINT);",
        "ALTER TABLE n MODIFY v DECIMAL(5,0);",
    );
    db.exec(
        "INSERT INTO n VALUES (1, -9223372036854775808), (2, 9223372036854775807), \
         (3, 99999), (4, -99999), (5, 100000), (6, NULL)",
    );
    let err = upgrade(&mut backend, &migrations, false).unwrap_err();
    let RunError::DataLoss { items, .. } = &err else {
        panic!("{err}");
    };
    assert_eq!(items.len(), 1, "{items:?}");
    assert!(
        items[0].contains("`n.v`") && items[0].ends_with("3 rows hold a value that does not fit"),
        "{items:?}"
    );
    assert_eq!(
        db.rows("SELECT v FROM n WHERE id = 1"),
        table(&[&["-9223372036854775808"]])
    );
}
