//! PostgreSQL enum types: read back from the catalogs, every op run on the server, a
//! label removed by making the type again, and a new label used too early.

use wildebeest_postgres::render_op;
use wildebeest_runner::Backend;
use wildebeest_schema::{ColumnType, LabelPosition, Op};
use wildebeest_sql::{Dialect, parse_schema};

use crate::util::{assert_synced, db, migrate, migrate_as, table};

const SCHEMA: &str = "
CREATE TYPE mood AS ENUM ('sad', 'ok', 'it''s great');
CREATE TYPE \"Odd Name\" AS ENUM ();
CREATE TABLE person (
    id INTEGER PRIMARY KEY,
    mood mood NOT NULL DEFAULT 'ok',
    odd \"Odd Name\",
    moods mood[],
    CHECK (mood <> 'sad')
);
CREATE INDEX person_mood ON person (mood) WHERE mood <> 'ok';
";

#[test]
fn enum_types_and_their_columns_read_back_as_schema_sql_says_them() {
    let db = db!(SCHEMA);
    // Another schema's types are not this one's.
    let _other = db!("CREATE TYPE mood AS ENUM ('x'); CREATE TYPE elsewhere AS ENUM ()");
    let mut backend = db.backend();
    let got = backend.inspect().unwrap();
    assert_eq!(
        got.enums.keys().collect::<Vec<_>>(),
        ["Odd Name", "mood"],
        "only this schema's enum types"
    );
    assert_eq!(got.enums["mood"], ["sad", "ok", "it's great"]);
    let person = &got.tables["person"];
    assert_eq!(person.columns[1].ty, ColumnType::Enum("mood".into()));
    assert_eq!(person.columns[1].default.as_deref(), Some("'ok'"));
    assert_eq!(person.columns[2].ty, ColumnType::Enum("Odd Name".into()));
    assert_eq!(person.columns[3].ty, ColumnType::EnumArray("mood".into()));
    assert_eq!(person.checks[0].expr, "mood <> 'sad'");
    let (want, _) = parse_schema(SCHEMA, "schema.sql", Dialect::Postgres).unwrap();
    assert_synced(&mut backend, &want);
}

#[test]
fn every_enum_op_runs_and_reads_back() {
    let mut db = db!();
    let mut backend = db.backend();
    let done = migrate_as(
        &mut backend,
        "CREATE TYPE mood AS ENUM ('sad', 'ok');
         CREATE TABLE person (
             id INTEGER PRIMARY KEY,
             mood mood DEFAULT 'ok',
             moods mood[] NOT NULL DEFAULT '{ok,sad}'
         );
         INSERT INTO person (id, mood) VALUES (1, 'sad');
         INSERT INTO person VALUES (2, 'ok', '{}');",
        Dialect::Postgres,
        "r1",
    )
    .unwrap();
    assert_synced(&mut backend, &done.after);
    let done = migrate_as(
        &mut backend,
        "ALTER TYPE mood ADD VALUE 'happy';
         ALTER TYPE mood ADD VALUE IF NOT EXISTS 'meh' BEFORE 'ok';
         ALTER TYPE mood ADD VALUE 'low' AFTER 'sad';
         ALTER TYPE mood ADD VALUE IF NOT EXISTS 'ok';
         ALTER TYPE mood RENAME VALUE 'ok' TO 'fine';
         CREATE TYPE size AS ENUM ('s', 'm');
         ALTER TABLE person ADD COLUMN size size NOT NULL DEFAULT 'm';",
        Dialect::Postgres,
        "r2",
    )
    .unwrap();
    assert_eq!(
        done.after.enums["mood"],
        ["sad", "low", "meh", "fine", "happy"]
    );
    assert_eq!(
        done.after.tables["person"].columns[1].default.as_deref(),
        Some("'fine'"),
        "the default follows the renamed label"
    );
    assert_eq!(
        done.after.tables["person"].columns[2].default.as_deref(),
        Some("'{fine,sad}'"),
        "so does the label in an array's default"
    );
    assert_synced(&mut backend, &done.after);
    assert_eq!(
        db.rows("SELECT id, mood, moods, size FROM person ORDER BY id"),
        table(&[&["1", "sad", "{fine,sad}", "m"], &["2", "fine", "{}", "m"]])
    );
    let done = migrate_as(
        &mut backend,
        "ALTER TABLE person DROP COLUMN size;
         DROP TYPE size;
         ALTER TYPE mood RENAME TO feeling;",
        Dialect::Postgres,
        "r3",
    )
    .unwrap();
    assert_eq!(
        done.after.tables["person"].columns[1].ty,
        ColumnType::Enum("feeling".into())
    );
    assert_eq!(
        done.after.tables["person"].columns[2].ty,
        ColumnType::EnumArray("feeling".into())
    );
    assert_synced(&mut backend, &done.after);
}

#[test]
fn a_label_is_removed_by_making_the_type_again_or_not_at_all() {
    let mut db = db!("CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');
         CREATE TABLE person (
             id INTEGER PRIMARY KEY,
             mood mood NOT NULL DEFAULT 'ok',
             moods mood[] NOT NULL DEFAULT '{ok}',
             CHECK (mood <> 'sad' OR mood = 'sad')
         );
         CREATE INDEX person_mood ON person (mood);
         CREATE INDEX person_unhappy ON person (id) WHERE mood <> 'ok';
         INSERT INTO person VALUES (1, 'sad', '{ok,sad}'), (2, 'ok', '{}');");
    let mut backend = db.backend();
    let before = backend.inspect().unwrap();
    let drop = |value: &str| Op::DropEnumValue {
        name: "mood".into(),
        value: value.into(),
        position: LabelPosition::Last,
    };

    // A row holds 'sad': the conversion fails and nothing changes.
    let sql = render_op(&drop("sad"), &before).unwrap().join(";\n");
    let err = migrate_as(&mut backend, &sql, Dialect::Postgres, "r1").unwrap_err();
    assert!(
        err.message
            .contains("invalid input value for enum mood: \"sad\""),
        "{}",
        err.message
    );
    assert_synced(&mut backend, &before);

    // No row holds 'happy': the type is made again without it, and the array column
    // is converted too; rows, defaults, check and indexes stay.
    let sql = render_op(&drop("happy"), &before).unwrap().join(";\n");
    let done = migrate_as(&mut backend, &sql, Dialect::Postgres, "r2").unwrap();
    let mut want = before.clone();
    drop("happy").apply(&mut want).unwrap();
    assert_eq!(done.after, want);
    assert_synced(&mut backend, &want);
    assert_eq!(
        db.rows("SELECT id, mood, moods FROM person ORDER BY id"),
        table(&[&["1", "sad", "{ok,sad}"], &["2", "ok", "{}"]])
    );
    assert_eq!(
        db.rows("SELECT count(*) FROM pg_type WHERE typname = 'mood_old' AND typnamespace = current_schema()::regnamespace"),
        table(&[&["0"]])
    );
}

#[test]
fn a_new_label_used_in_the_revision_that_adds_it_is_a_clear_error() {
    let mut db = db!("CREATE TYPE mood AS ENUM ('sad', 'ok');
         CREATE TABLE person (id INTEGER PRIMARY KEY, mood mood DEFAULT 'ok');");
    let mut backend = db.backend();
    let before = backend.inspect().unwrap();
    let err = migrate(
        &mut backend,
        "ALTER TYPE mood ADD VALUE 'happy';
         ALTER TABLE person ALTER COLUMN mood SET DEFAULT 'happy';",
    )
    .unwrap_err();
    assert!(
        err.message.contains("unsafe use of new value \"happy\" of enum type mood")
            && err.message.contains(
                "a value that `ALTER TYPE ... ADD VALUE` adds cannot be used in the transaction that adds it"
            )
            && err.message.contains("to a later revision"),
        "{}",
        err.message
    );
    // The revision rolled back whole: the value is not there either.
    assert_synced(&mut backend, &before);
    assert_eq!(
        db.rows(
            "SELECT count(*) FROM pg_enum WHERE enumtypid = 'mood'::regtype AND enumlabel = 'happy'"
        ),
        table(&[&["0"]])
    );
}
