//! A PostgreSQL migration file with enum types on MySQL: enum columns are `ENUM(...)`
//! of their labels, and the type statements run nothing of their own.

use wildebeest_runner::Backend;
use wildebeest_schema::{Hints, diff};
use wildebeest_sql::Dialect;

use crate::util::{TestDb, migrate, table};

#[test]
fn postgres_enum_types_run_on_mysql_as_enum_columns() {
    let Some(mut db) = TestDb::new() else {
        return;
    };
    let mut backend = db.backend();
    let done = migrate(
        &mut backend,
        "CREATE TYPE mood AS ENUM ('sad', 'ok');
         CREATE TABLE person (id INTEGER PRIMARY KEY, mood mood NOT NULL DEFAULT 'ok');
         INSERT INTO person VALUES (1, 'sad'), (2, 'ok');
         ALTER TYPE mood ADD VALUE 'happy' BEFORE 'ok';
         ALTER TYPE mood RENAME VALUE 'sad' TO 'blue';",
        Dialect::Postgres,
    )
    .unwrap();
    assert_eq!(done.after.enums["mood"], ["blue", "happy", "ok"]);
    let inspected = backend.inspect().unwrap();
    let got = backend.canonical(&inspected);
    let want = backend.canonical(&done.after);
    assert_eq!(diff(&got, &want, &Hints::default()), []);
    assert_eq!(
        db.rows("SELECT COLUMN_TYPE FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'person' AND COLUMN_NAME = 'mood'"),
        table(&[&["enum('blue','happy','ok')"]])
    );
    assert_eq!(
        db.rows("SELECT id, mood FROM person ORDER BY id"),
        table(&[&["1", "blue"], &["2", "ok"]])
    );
    // A later revision: MySQL cannot report the type back, so the model does not know
    // it, and the statement runs nothing rather than fail.
    let done = migrate(
        &mut backend,
        "ALTER TYPE mood ADD VALUE 'great';",
        Dialect::Postgres,
    )
    .unwrap();
    assert_eq!(done.script.body, []);
}
