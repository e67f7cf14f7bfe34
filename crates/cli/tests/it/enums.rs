//! PostgreSQL enum types through the binary: what `migrate` writes, refuses and warns
//! about. No server is needed: `migrate` reads files only.

use predicates::prelude::PredicateBooleanExt;
use predicates::str::contains;

use crate::util::TempProject;

/// A project whose database is a PostgreSQL server that is never contacted.
fn project() -> TempProject {
    let p = TempProject::init();
    p.write(
        "wildebeest.toml",
        "database_url = \"postgresql://nobody@127.0.0.1:9/none\"\n",
    );
    p
}

const PERSON: &str =
    "CREATE TABLE person (id INTEGER PRIMARY KEY, mood mood NOT NULL DEFAULT 'ok');\n";

#[test]
fn migrate_writes_enum_types_before_their_tables() {
    let p = project();
    p.write(
        "schema.sql",
        &format!("{PERSON}CREATE TYPE mood AS ENUM ('sad', 'ok');\n"),
    );
    p.cmd(&["migrate", "-m", "moods"])
        .assert()
        .success()
        .stdout(contains(
            "+ added enum type `mood` ('sad', 'ok')\n+ added table `person`",
        ));
    let text = p.read(&p.migrations()[0].to_string_lossy());
    assert!(
        text.contains(
            "-- +upgrade\nCREATE TYPE mood AS ENUM ('sad', 'ok');\n\nCREATE TABLE person (\n    id INTEGER NOT NULL,\n    mood mood NOT NULL DEFAULT 'ok',"
        ),
        "{text}"
    );
    assert!(
        text.contains("DROP TABLE person;\n\nDROP TYPE mood;"),
        "{text}"
    );
}

#[test]
fn migrate_refuses_to_remove_a_value_a_column_uses() {
    let p = project();
    p.write(
        "schema.sql",
        &format!("CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');\n{PERSON}"),
    );
    p.cmd(&["migrate", "-m", "moods"]).assert().success();
    p.write(
        "schema.sql",
        &format!("CREATE TYPE mood AS ENUM ('ok', 'sad');\n{PERSON}"),
    );
    p.cmd(&["migrate", "-m", "fewer moods"])
        .assert()
        .code(2)
        .stderr(
            contains("cannot generate the migration; nothing was written")
                .and(contains(
                    "enum type `mood` changes from ('sad', 'ok', 'happy') to ('ok', 'sad'), which removes the value 'happy'",
                ))
                .and(contains("column `person.mood` uses the type")),
        );
    assert_eq!(p.migrations().len(), 1);
}

#[test]
fn migrate_warns_when_a_new_value_is_used_in_the_same_revision() {
    let p = project();
    p.write(
        "schema.sql",
        &format!("CREATE TYPE mood AS ENUM ('sad', 'ok');\n{PERSON}"),
    );
    p.cmd(&["migrate", "-m", "moods"]).assert().success();
    p.write(
        "schema.sql",
        &format!(
            "CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');\n{}",
            PERSON.replace("'ok'", "'happy'")
        ),
    );
    p.cmd(&["migrate", "-m", "happier"])
        .assert()
        .success()
        .stdout(contains("+ added value 'happy' to enum type `mood`"))
        .stderr(contains(
            "the migration adds the value 'happy' to enum type `mood` and makes it the default of `person.mood` in the same revision, which PostgreSQL refuses",
        ));
}

#[test]
fn a_postgres_file_with_enum_types_runs_on_sqlite_as_text_columns() {
    let p = TempProject::init();
    p.write(
        "migrations/20260101_000000_aaaaaaaaaaa1_moods.sql",
        "-- wildebeest revision\n-- Revision: aaaaaaaaaaa1\n-- Revises:\n-- Message: moods\n\
         -- Created: 2026-01-01T00:00:00Z\n-- Dialect: postgresql\n\n\
         -- +upgrade\n\
         CREATE TYPE mood AS ENUM ('sad', 'ok');\n\
         CREATE TABLE person (id INTEGER PRIMARY KEY, mood mood NOT NULL DEFAULT 'ok');\n\
         INSERT INTO person VALUES (1, 'sad'), (2, 'ok');\n\
         ALTER TYPE mood ADD VALUE 'happy';\n\
         ALTER TYPE mood RENAME VALUE 'sad' TO 'blue';\n\n\
         -- +downgrade\n\
         DROP TABLE person;\n\
         DROP TYPE mood;\n",
    );
    p.cmd(&["upgrade", "--sql"])
        .assert()
        .success()
        .stdout(contains("mood TEXT NOT NULL DEFAULT 'ok'").and(contains("TYPE").not()));
    p.cmd(&["upgrade"]).assert().success();
    assert_eq!(
        p.rows("SELECT id, mood FROM person ORDER BY id"),
        [["1", "blue"], ["2", "ok"]]
    );
    p.cmd(&["downgrade", "base", "--allow-data-loss"])
        .assert()
        .success();
    assert_eq!(
        p.rows("SELECT count(*) FROM sqlite_master WHERE name = 'person'"),
        [["0"]]
    );
}
