//! The runner on MySQL: a revision that fails half way stops the run with the
//! statement named, and the next run resumes it after its last completed statement.

use std::path::Path;

use wildebeest_revision::{Migration, Target, parse};
use wildebeest_runner::{Backend, Mode, RunError, Runner};

use crate::util::{table, test_db};

fn migration(id: &str, parent: &str, dialect: &str, upgrade: &str, downgrade: &str) -> Migration {
    let text = format!(
        "-- wildebeest revision\n-- Revision: {id}\n-- Revises: {parent}\n-- Message: {id}\n\
         -- Created: 2026-01-01T00:00:00Z\n-- Dialect: {dialect}\n\n-- +upgrade\n{upgrade}\n\n-- +downgrade\n{downgrade}\n"
    );
    parse(Path::new(&format!("{id}.sql")), &text).unwrap()
}

#[test]
fn a_revision_that_fails_half_way_resumes_where_it_stopped() {
    let mut db = test_db!();
    let first = migration(
        "aaa111",
        "",
        "mysql",
        "CREATE TABLE t (id INT NOT NULL PRIMARY KEY);",
        "DROP TABLE t;",
    );
    let broken = migration(
        "bbb222",
        "aaa111",
        "mysql",
        "ALTER TABLE t ADD COLUMN a INT;\nINSERT INTO nowhere VALUES (1);\nALTER TABLE t ADD COLUMN b INT;",
        "ALTER TABLE t DROP COLUMN b;\nALTER TABLE t DROP COLUMN a;",
    );
    let mut backend = db.backend();
    let migrations = vec![first.clone(), broken];
    let mut out = Vec::new();
    let err = Runner::new(&mut backend, &migrations)
        .unwrap()
        .upgrade(&Target::Head, Mode::Execute, &mut out)
        .unwrap_err();
    match &err {
        RunError::Statement(f) => {
            assert_eq!(
                (f.revision.as_str(), f.line, f.sql.as_str()),
                ("bbb222", 10, "INSERT INTO nowhere VALUES (1)")
            );
        }
        other => panic!("{other}"),
    }
    let partial = backend.partial().unwrap().unwrap();
    assert_eq!(
        (partial.revision.as_str(), partial.steps_done),
        ("bbb222", 1)
    );
    let applied: Vec<String> = backend
        .applied()
        .unwrap()
        .into_iter()
        .map(|a| a.revision)
        .collect();
    assert_eq!(applied, ["aaa111"]);

    // What the statement needed is made; the run resumes at it.
    db.exec("CREATE TABLE nowhere (x INT)");
    let same = migration(
        "bbb222",
        "aaa111",
        "mysql",
        "ALTER TABLE t ADD COLUMN a INT;\nINSERT INTO nowhere VALUES (1);\nALTER TABLE t ADD COLUMN b INT;",
        "ALTER TABLE t DROP COLUMN b;\nALTER TABLE t DROP COLUMN a;",
    );
    let migrations = vec![first, same];
    let mut out = Vec::new();
    Runner::new(&mut backend, &migrations)
        .unwrap()
        .upgrade(&Target::Head, Mode::Execute, &mut out)
        .unwrap();
    let out = String::from_utf8(out).unwrap();
    assert!(
        out.starts_with("Resuming bbb222 after statement 1\n"),
        "{out}"
    );
    assert_eq!(backend.partial().unwrap(), None);
    assert_eq!(
        db.rows("SELECT COLUMN_NAME FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 't' ORDER BY ORDINAL_POSITION"),
        table(&[&["id"], &["a"], &["b"]])
    );
    assert_eq!(db.rows("SELECT x FROM nowhere"), table(&[&["1"]]));
}

#[test]
fn a_sqlite_migration_runs_on_mysql_and_back() {
    let mut db = test_db!();
    let m = migration(
        "ccc333",
        "",
        "sqlite",
        "CREATE TABLE \"people\" (id INTEGER PRIMARY KEY, name VARCHAR NOT NULL, born TEXT);\n\
         CREATE INDEX people_name ON people (name);\n\
         ALTER TABLE people ALTER COLUMN born SET NOT NULL;",
        "ALTER TABLE people ALTER COLUMN born DROP NOT NULL;\nDROP INDEX people_name;\nDROP TABLE people;",
    );
    let mut backend = db.backend();
    let migrations = vec![m];
    let mut out = Vec::new();
    let report = Runner::new(&mut backend, &migrations)
        .unwrap()
        .upgrade(&Target::Head, Mode::Execute, &mut out)
        .unwrap();
    assert_eq!(report.revisions.len(), 1);
    let s = backend.inspect().unwrap();
    let people = &s.tables["people"];
    assert_eq!(
        people
            .columns
            .iter()
            .map(|c| (c.name.as_str(), c.ty.to_string(), c.nullable))
            .collect::<Vec<_>>(),
        [
            ("id", "INTEGER".to_string(), false),
            ("name", "VARCHAR(255)".to_string(), false),
            ("born", "TEXT".to_string(), false),
        ]
    );
    assert_eq!(people.indexes[0].name, "people_name");
    let mut out = Vec::new();
    Runner::new(&mut backend, &migrations)
        .unwrap()
        .downgrade(&Target::Base, Mode::Execute, &mut out)
        .unwrap();
    assert!(backend.inspect().unwrap().tables.is_empty());
    assert_eq!(
        db.rows("SELECT revision, operation FROM wildebeest_history ORDER BY id"),
        table(&[&["ccc333", "upgrade"], &["ccc333", "downgrade"]])
    );
}
