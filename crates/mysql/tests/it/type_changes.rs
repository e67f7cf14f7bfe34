//! Type changes that change stored values as MySQL reads them back, on the shared
//! server: counted, and refused without consent.

use std::path::Path;

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

/// Regression (issue 17, item 5): `VARCHAR(n) -> CHAR(n)` ran unmarked, and MariaDB
/// reads a `CHAR` without its trailing spaces, so 'ab ' became 'ab'.
#[test]
fn varchar_to_char_counts_values_with_trailing_spaces() {
    let mut db = test_db!();
    let mut backend = db.backend();
    let migrations = vec![
        revision(
            "aaaaaaaaaaa1",
            "",
            "CREATE TABLE v (id INT PRIMARY KEY, s VARCHAR(3));",
        ),
        revision(
            "aaaaaaaaaaa2",
            "aaaaaaaaaaa1",
            "ALTER TABLE v MODIFY s CHAR(3);",
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
    db.exec("INSERT INTO v VALUES (1, 'abc'), (2, 'ab'), (3, 'ab '), (4, NULL)");
    let err = Runner::new(&mut backend, &migrations)
        .unwrap()
        .upgrade(&Target::Head, Mode::Execute, &mut out)
        .unwrap_err();
    let RunError::DataLoss { items, .. } = &err else {
        panic!("{err}");
    };
    assert_eq!(items.len(), 1, "{items:?}");
    assert!(
        items[0].contains("`v.s`") && items[0].ends_with("1 row has a value in it"),
        "{items:?}"
    );
    Runner::new(&mut backend, &migrations)
        .unwrap()
        .with_allow_data_loss(true)
        .upgrade(&Target::Head, Mode::Execute, &mut out)
        .unwrap();
    assert_eq!(
        db.rows("SELECT CONCAT('[', s, ']') FROM v WHERE id < 4 ORDER BY id"),
        table(&[&["[abc]"], &["[ab]"], &["[ab]"]])
    );
}
