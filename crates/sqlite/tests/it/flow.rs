//! Migration statements run the way the runner runs them (parse, resolve, plan,
//! wrap, execute), after which the database must match the model.

use wildebeest_runner::{Backend, BackendError};

use crate::util::{Db, assert_synced, migrate, table};

const SETUP: &str = "
CREATE TABLE teams (id INTEGER NOT NULL, name TEXT, PRIMARY KEY (id), UNIQUE (name));
CREATE TABLE people (
    id INTEGER NOT NULL,
    name TEXT,
    email TEXT NOT NULL DEFAULT '',
    team INTEGER,
    PRIMARY KEY (id)
);
CREATE INDEX people_name ON people (name);
CREATE TABLE badges (
    id INTEGER NOT NULL PRIMARY KEY,
    person INTEGER,
    CONSTRAINT badge_person FOREIGN KEY (person) REFERENCES people (id),
    CONSTRAINT badge_id_positive CHECK (id > 0)
);
CREATE TABLE log (what TEXT);
CREATE VIEW named AS SELECT id, name FROM people WHERE name IS NOT NULL;
INSERT INTO teams VALUES (1, 'red'), (2, 'blue');
INSERT INTO people VALUES (1, 'ann', 'a@x', 1), (2, 'bob', 'b@x', 2), (3, 'cy', 'c@x', NULL);
INSERT INTO badges VALUES (1, 1), (2, 3);
-- Last, so that the rows above leave no log.
CREATE TRIGGER people_log AFTER INSERT ON people BEGIN INSERT INTO log VALUES ('hi ' || new.name); END;
";

const PEOPLE: &str = "SELECT id, name, email, team FROM people ORDER BY id";

/// Runs `sql` on a fresh copy of [`SETUP`] and checks: the database matches the
/// model, the rows of every table are kept, the trigger and the view still work,
/// and the foreign keys hold. Returns whether a table was rebuilt.
fn check_keeps_everything(sql: &str) -> bool {
    let db = Db::with(SETUP);
    let before = [
        PEOPLE,
        "SELECT * FROM teams ORDER BY id",
        "SELECT * FROM badges ORDER BY id",
    ]
    .map(|q| db.rows(q));
    let mut backend = db.backend();
    let migrated = migrate(&mut backend, sql).unwrap_or_else(|e| panic!("{sql}: {e:?}"));
    assert_synced(&mut backend, &migrated.after);
    let after = [
        PEOPLE,
        "SELECT * FROM teams ORDER BY id",
        "SELECT * FROM badges ORDER BY id",
    ]
    .map(|q| db.rows(q));
    assert_eq!(after, before, "{sql}");

    let conn = db.conn();
    conn.execute_batch("INSERT INTO people (id, name, email) VALUES (4, 'dee', 'd@x')")
        .unwrap();
    assert_eq!(
        crate::util::rows(&conn, "SELECT what FROM log"),
        table(&[&["hi dee"]]),
        "{sql}"
    );
    assert_eq!(
        crate::util::rows(&conn, "SELECT count(*) FROM named"),
        table(&[&["4"]]),
        "{sql}"
    );
    assert_eq!(
        crate::util::rows(&conn, "PRAGMA foreign_key_check"),
        table(&[]),
        "{sql}"
    );
    assert_eq!(
        db.rows("SELECT revision FROM wildebeest_revisions"),
        table(&[&["r1"]])
    );
    !migrated.script.rebuilt_tables.is_empty()
}

#[test]
fn alter_column_forms_rebuild_the_table_and_keep_everything() {
    for sql in [
        "ALTER TABLE people ALTER COLUMN team TYPE BIGINT",
        "ALTER TABLE people ALTER COLUMN name SET NOT NULL",
        "ALTER TABLE people ALTER COLUMN email DROP NOT NULL",
        "ALTER TABLE people ALTER COLUMN team SET DEFAULT 1",
        "ALTER TABLE people ALTER COLUMN email DROP DEFAULT",
        "ALTER TABLE people ALTER COLUMN email SET DEFAULT lower('X@Y')",
        "ALTER TABLE people ALTER COLUMN team TYPE TEXT, ALTER COLUMN team SET DEFAULT 'none'",
    ] {
        assert!(check_keeps_everything(sql), "{sql}");
    }
}

#[test]
fn constraint_changes_rebuild_the_table_and_keep_everything() {
    for sql in [
        "ALTER TABLE people ADD CONSTRAINT people_email_key UNIQUE (email)",
        "ALTER TABLE people ADD UNIQUE (name, email)",
        "ALTER TABLE people ADD FOREIGN KEY (team) REFERENCES teams (id) ON DELETE SET NULL",
        "ALTER TABLE people ADD CONSTRAINT name_long CHECK (length(name) > 1)",
        "ALTER TABLE teams DROP CONSTRAINT teams_name_key",
        "ALTER TABLE badges DROP CONSTRAINT badge_person",
        "ALTER TABLE badges DROP CONSTRAINT badge_id_positive",
        "ALTER TABLE people ADD COLUMN code TEXT UNIQUE",
        "ALTER TABLE people ADD COLUMN joined TEXT DEFAULT CURRENT_TIMESTAMP",
    ] {
        assert!(check_keeps_everything(sql), "{sql}");
    }
}

#[test]
fn what_sqlite_does_itself_runs_as_written() {
    for sql in [
        "ALTER TABLE people ADD COLUMN nick TEXT",
        "ALTER TABLE people ADD COLUMN score INTEGER NOT NULL DEFAULT 0",
        "ALTER TABLE people ADD COLUMN boss INTEGER REFERENCES people (id)",
        "ALTER TABLE teams RENAME COLUMN name TO label",
        "CREATE INDEX people_email ON people (email)",
        "DROP INDEX people_name",
        "CREATE TABLE extra (a INTEGER)",
    ] {
        assert!(!check_keeps_everything(sql), "{sql}");
    }
}

#[test]
fn the_constraints_a_rebuild_adds_are_in_force() {
    let db = Db::with(SETUP);
    let mut backend = db.backend();
    migrate(
        &mut backend,
        "ALTER TABLE people ADD CONSTRAINT people_email_key UNIQUE (email), ADD CHECK (email LIKE '%@%');\n\
         ALTER TABLE people ALTER COLUMN team SET DEFAULT 2;",
    )
    .unwrap();
    let conn = db.conn();
    let err = conn
        .execute_batch("INSERT INTO people (id, email) VALUES (5, 'a@x')")
        .unwrap_err();
    assert_eq!(err.to_string(), "UNIQUE constraint failed: people.email");
    let err = conn
        .execute_batch("INSERT INTO people (id, email) VALUES (5, 'nowhere')")
        .unwrap_err();
    assert!(
        err.to_string().starts_with("CHECK constraint failed"),
        "{err}"
    );
    conn.execute_batch("INSERT INTO people (id, email) VALUES (5, 'e@x')")
        .unwrap();
    assert_eq!(
        crate::util::rows(&conn, "SELECT team FROM people WHERE id = 5"),
        table(&[&["2"]])
    );
}

#[test]
fn renames_mixed_with_a_rebuild_update_the_view_and_the_trigger() {
    let db = Db::with(SETUP);
    let mut backend = db.backend();
    let migrated = migrate(
        &mut backend,
        "ALTER TABLE people ALTER COLUMN team TYPE BIGINT, ADD COLUMN nick TEXT, RENAME COLUMN name TO full_name, RENAME TO persons",
    )
    .unwrap();
    assert_eq!(migrated.script.rebuilt_tables, ["persons"]);
    assert_synced(&mut backend, &migrated.after);
    assert_eq!(
        db.rows("SELECT id, full_name, email, team, nick FROM persons ORDER BY id"),
        table(&[
            &["1", "ann", "a@x", "1", "NULL"],
            &["2", "bob", "b@x", "2", "NULL"],
            &["3", "cy", "c@x", "NULL", "NULL"]
        ])
    );
    let conn = db.conn();
    conn.execute_batch("INSERT INTO persons (id, full_name) VALUES (4, 'dee')")
        .unwrap();
    assert_eq!(
        crate::util::rows(&conn, "SELECT what FROM log"),
        table(&[&["hi dee"]])
    );
    assert_eq!(
        crate::util::rows(&conn, "SELECT count(*) FROM named"),
        table(&[&["4"]])
    );
    // badges' foreign key follows the table's new name.
    assert_eq!(
        crate::util::rows(
            &conn,
            "SELECT \"table\" FROM pragma_foreign_key_list('badges')"
        ),
        table(&[&["persons"]])
    );
}

#[test]
fn set_not_null_over_nulls_fails_and_changes_nothing() {
    let db = Db::with(&format!(
        "{SETUP}\nINSERT INTO people (id, email) VALUES (9, 'z@x');"
    ));
    let master = db.master();
    let mut backend = db.backend();
    let schema = backend.inspect().unwrap();
    let err = migrate(
        &mut backend,
        "ALTER TABLE people ALTER COLUMN name SET NOT NULL",
    )
    .unwrap_err();
    assert_eq!(
        err,
        BackendError {
            message: "NOT NULL constraint failed: _wildebeest_new_people.name".into(),
            step: Some(1)
        }
    );
    assert_eq!(db.master(), master);
    assert_eq!(backend.inspect().unwrap(), schema);
    assert_eq!(backend.applied().unwrap(), vec![]);
}

#[test]
fn a_foreign_key_the_rows_break_fails_and_changes_nothing() {
    let db = Db::with(&format!(
        "{SETUP}\nINSERT INTO people (id, email, team) VALUES (9, 'z@x', 77);"
    ));
    let master = db.master();
    let mut backend = db.backend();
    let err = migrate(
        &mut backend,
        "ALTER TABLE people ADD FOREIGN KEY (team) REFERENCES teams (id)",
    )
    .unwrap_err();
    assert_eq!(
        err,
        BackendError::new(
            "foreign key check failed: row 9 of `people` has no matching row in `teams`"
        )
    );
    assert_eq!(db.master(), master);
}

#[test]
fn dropping_a_column_a_view_uses_fails_and_changes_nothing() {
    let db = Db::with(SETUP);
    let master = db.master();
    let mut backend = db.backend();
    let err = migrate(&mut backend, "ALTER TABLE people DROP COLUMN name").unwrap_err();
    assert_eq!(
        err.message,
        "view `named` no longer works after table `people` was rebuilt: no such column: name"
    );
    assert_eq!(db.master(), master);
}

#[test]
fn dropping_a_column_a_trigger_uses_fails_and_changes_nothing() {
    let db = Db::with(SETUP);
    let master = db.master();
    let mut backend = db.backend();
    let err = migrate(
        &mut backend,
        "DROP VIEW named;\nALTER TABLE people DROP COLUMN name",
    )
    .unwrap_err();
    assert_eq!(
        err.message,
        "the triggers on `people` (`people_log`) no longer work after table `people` was rebuilt: no such column: new.name"
    );
    assert_eq!(db.master(), master);
}

#[test]
fn a_table_with_parts_the_model_does_not_capture_is_not_rebuilt() {
    let db = Db::with("CREATE TABLE t (a INTEGER, b TEXT UNIQUE ON CONFLICT REPLACE)");
    let mut backend = db.backend();
    let err = migrate(&mut backend, "ALTER TABLE t ALTER COLUMN a SET NOT NULL").unwrap_err();
    assert!(
        err.message
            .contains("table `t` is defined with parts wildebeest does not model"),
        "{}",
        err.message
    );
}

/// A generated column is modeled: the table is rebuilt with it, the copy gives it no
/// value (SQLite refuses one), and SQLite computes it again for every row.
#[test]
fn a_table_with_generated_columns_is_rebuilt_and_computes_them_again() {
    let db = Db::with(
        "CREATE TABLE t (a INTEGER, b INTEGER GENERATED ALWAYS AS (a * 2), \
         c INTEGER GENERATED ALWAYS AS (a + 1) STORED);
         INSERT INTO t (a) VALUES (1), (5);",
    );
    let mut backend = db.backend();
    migrate(&mut backend, "ALTER TABLE t ALTER COLUMN a SET NOT NULL").unwrap();
    assert_eq!(
        db.rows("SELECT a, b, c FROM t ORDER BY a"),
        [["1", "2", "2"], ["5", "10", "6"]]
    );
    assert!(
        db.rows("SELECT sql FROM sqlite_master WHERE name = 't'")[0][0]
            .contains("c INTEGER GENERATED ALWAYS AS (a + 1) STORED"),
    );
}

#[test]
fn inspect_leaves_out_sqlite_wildebeest_and_virtual_tables() {
    let db = Db::with(
        "CREATE TABLE t (id INTEGER PRIMARY KEY AUTOINCREMENT, b TEXT UNIQUE); INSERT INTO t (b) VALUES ('x');
         CREATE VIRTUAL TABLE docs USING fts5(body);",
    );
    let mut backend = db.backend();
    backend.ensure_version_tables().unwrap();
    let schema = backend.inspect().unwrap();
    assert_eq!(schema.tables.keys().collect::<Vec<_>>(), ["t"]);
    let t = &schema.tables["t"];
    assert!(t.indexes.is_empty(), "{t:?}");
    assert!(t.columns[0].auto_increment, "{t:?}");
}

#[test]
fn inspect_names_the_table_it_cannot_read() {
    // SQLite takes ON CONFLICT on a table constraint; the parser does not (yet).
    let db = Db::with(
        "CREATE TABLE fine (a INTEGER);\nCREATE TABLE t (a, b, UNIQUE (a) ON CONFLICT IGNORE)",
    );
    let err = db.backend().inspect().unwrap_err();
    assert!(
        err.message
            .starts_with("cannot read the definition of table `t` from the database: "),
        "{}",
        err.message
    );
    assert!(
        err.message.ends_with(
            "(line 1 of its definition)\nCREATE TABLE t (a, b, UNIQUE (a) ON CONFLICT IGNORE)"
        ),
        "{}",
        err.message
    );
}

#[test]
fn inspect_counts_lines_across_many_multi_line_definitions() {
    // Definitions are read in name order; the broken one comes after many
    // multi-line ones (one with CRLF line ends), and its error is on its third line.
    let mut setup = String::new();
    for i in 0..40 {
        let end = if i % 7 == 0 { "\r\n" } else { "\n" };
        setup.push_str(&format!(
            "CREATE TABLE a{i:02} ({end}  id INTEGER,{end}  b TEXT{end});\n"
        ));
    }
    setup.push_str("CREATE TABLE z (\n  a,\n  b, UNIQUE (a) ON CONFLICT IGNORE\n)");
    let db = Db::with(&setup);
    let err = db.backend().inspect().unwrap_err();
    assert!(
        err.message
            .starts_with("cannot read the definition of table `z` from the database: "),
        "{}",
        err.message
    );
    assert!(
        err.message
            .contains("(line 3 of its definition)\nCREATE TABLE z ("),
        "{}",
        err.message
    );
}

#[test]
fn a_rebuilt_table_is_checked_with_the_tables_that_reference_it() {
    let db = Db::with(SETUP);
    let mut backend = db.backend();
    let migrated = migrate(
        &mut backend,
        "ALTER TABLE people ALTER COLUMN team TYPE BIGINT",
    )
    .unwrap();
    assert_eq!(migrated.script.before, ["PRAGMA foreign_keys = OFF"]);
    assert_eq!(
        migrated.script.verify,
        [
            "PRAGMA foreign_key_check(people)",
            "PRAGMA foreign_key_check(badges)"
        ]
    );
    assert_eq!(migrated.script.after, Vec::<String>::new());
}

#[test]
fn a_rebuild_creates_the_triggers_the_earlier_statements_left() {
    let triggers =
        |db: &Db| db.rows("SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'trigger'");
    // A trigger dropped before the rebuild stays dropped.
    let db = Db::with(SETUP);
    let mut backend = db.backend();
    let migrated = migrate(
        &mut backend,
        "DROP TRIGGER people_log;\nALTER TABLE people ALTER COLUMN team TYPE BIGINT;",
    )
    .unwrap();
    assert_synced(&mut backend, &migrated.after);
    assert_eq!(triggers(&db), Vec::<Vec<String>>::new());
    // One created before it is created again after it.
    let db = Db::with(SETUP);
    let mut backend = db.backend();
    migrate(
        &mut backend,
        "CREATE TRIGGER people_bye AFTER DELETE ON people BEGIN SELECT old.name; END;\n\
         ALTER TABLE people ALTER COLUMN team TYPE BIGINT;",
    )
    .unwrap();
    let names: Vec<String> = triggers(&db).into_iter().map(|r| r[0].clone()).collect();
    assert_eq!(names, ["people_log", "people_bye"]);
    // Renames before it: the trigger as SQLite rewrote it.
    let db = Db::with(SETUP);
    let mut backend = db.backend();
    let migrated = migrate(
        &mut backend,
        "ALTER TABLE people RENAME TO staff;\nALTER TABLE staff RENAME COLUMN name TO full_name;\n\
         ALTER TABLE staff ALTER COLUMN team TYPE BIGINT;",
    )
    .unwrap();
    assert_synced(&mut backend, &migrated.after);
    assert_eq!(
        triggers(&db),
        vec![vec![
            "people_log".to_string(),
            "staff".to_string(),
            "CREATE TRIGGER people_log AFTER INSERT ON \"staff\" BEGIN INSERT INTO log VALUES ('hi ' || new.full_name); END".to_string()
        ]]
    );
}
