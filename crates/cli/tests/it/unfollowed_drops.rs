//! Statements that drop or empty stored objects are guarded whether or not the schema
//! model follows them: `DROP TABLE a, b` and `TRUNCATE` count the rows of each table,
//! and what nothing can count (`DROP SCHEMA`, `DROP DATABASE`, PostgreSQL's
//! `CASCADE`, a column dropped from a table the model does not know) needs consent
//! whatever the data. `DELETE` and `UPDATE` are the user's own and run unguarded.

use predicates::str::contains;

use crate::servers::{Server, TestDb};
use crate::util::{TempProject, ok};

/// Replaces the `-- +upgrade` and `-- +downgrade` sections of a migration file.
fn edit_sections(path: &std::path::Path, upgrade: &str, downgrade: &str) {
    let text = std::fs::read_to_string(path).unwrap();
    let head = &text[..text.find("-- +upgrade").expect("upgrade marker")];
    std::fs::write(
        path,
        format!("{head}-- +upgrade\n{upgrade}\n\n-- +downgrade\n{downgrade}\n"),
    )
    .unwrap();
}

/// A project on `db` (SQLite, the project's own file, when `None`).
fn project(db: Option<&TestDb>) -> TempProject {
    let p = TempProject::init();
    if let Some(db) = db {
        p.write(
            "wildebeest.toml",
            &format!("database_url = \"{}\"\n", db.url),
        );
    }
    p
}

/// Adds a hand-written revision with these sections; returns its file name.
fn hand_written(p: &TempProject, name: &str, upgrade: &str, downgrade: &str) -> String {
    let before = p.migrations().len();
    ok(p, &["revision", "-m", name]);
    let path = p.migrations()[before].clone();
    edit_sections(&path, upgrade, downgrade);
    path.file_name().unwrap().to_str().unwrap().to_string()
}

/// Tables `a` (two rows) and `b` (one row), applied.
fn two_tables(p: &TempProject, run: impl Fn(&str)) {
    p.write(
        "schema.sql",
        "CREATE TABLE a (id INTEGER PRIMARY KEY);\nCREATE TABLE b (id INTEGER PRIMARY KEY);\n",
    );
    ok(p, &["migrate", "-m", "tables"]);
    ok(p, &["upgrade"]);
    run("INSERT INTO a (id) VALUES (1), (2)");
    run("INSERT INTO b (id) VALUES (1)");
}

const RECREATE: &str =
    "CREATE TABLE a (id INTEGER PRIMARY KEY);\nCREATE TABLE b (id INTEGER PRIMARY KEY);";

fn drop_of_several_tables(server: Server) {
    let Some(db) = TestDb::new(server, "droplist") else {
        return;
    };
    let p = project(Some(&db));
    two_tables(&p, |sql| db.execute(sql));
    let file = hand_written(&p, "drop both", "DROP TABLE a, b;", RECREATE);
    p.cmd(&["upgrade"])
        .assert()
        .code(2)
        .stderr(contains("upgrade stopped before changing anything"))
        .stderr(contains(format!("{file}:")))
        .stderr(contains(
            "`DROP TABLE a, b` drops table `a` and every row in it; it holds 2 rows",
        ))
        .stderr(contains(
            "`DROP TABLE a, b` drops table `b` and every row in it; it holds 1 row",
        ))
        .stderr(contains("--allow-data-loss"));
    assert_eq!(db.rows("SELECT COUNT(*) FROM a"), [["2"]]);
    assert_eq!(db.rows("SELECT COUNT(*) FROM b"), [["1"]]);
    ok(&p, &["upgrade", "--allow-data-loss"]);
    assert_eq!(
        db.rows(&format!(
            "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = '{}' AND table_name IN ('a', 'b')",
            db.name
        )),
        [["0"]]
    );
    // Empty tables go without consent: the guard counts, it does not forbid.
    ok(&p, &["downgrade", "-1"]);
    ok(&p, &["upgrade"]);
}

#[test]
fn a_hand_written_drop_of_several_tables_is_counted_on_postgres() {
    drop_of_several_tables(Server::Postgres);
}

#[test]
fn a_hand_written_drop_of_several_tables_is_counted_on_mysql() {
    drop_of_several_tables(Server::Mysql);
}

fn truncate_is_counted(server: Server) {
    let Some(db) = TestDb::new(server, "truncate") else {
        return;
    };
    let p = project(Some(&db));
    two_tables(&p, |sql| db.execute(sql));
    let file = hand_written(&p, "empty a", "TRUNCATE TABLE a;", "SELECT 1;");
    p.cmd(&["upgrade"])
        .assert()
        .code(2)
        .stderr(contains(format!("{file}:")))
        .stderr(contains(
            "`TRUNCATE TABLE a` empties table `a` and every row in it; it holds 2 rows",
        ));
    assert_eq!(db.rows("SELECT COUNT(*) FROM a"), [["2"]]);
    // The marker in the file is the consent, as the message says.
    let path = p.path().join("migrations").join(&file);
    edit_sections(
        &path,
        "-- wildebeest: allow-data-loss\nTRUNCATE TABLE a;",
        "SELECT 1;",
    );
    ok(&p, &["upgrade"]);
    assert_eq!(db.rows("SELECT COUNT(*) FROM a"), [["0"]]);
    assert_eq!(db.rows("SELECT COUNT(*) FROM b"), [["1"]]);
}

#[test]
fn truncate_is_counted_on_postgres() {
    truncate_is_counted(Server::Postgres);
}

#[test]
fn truncate_is_counted_on_mysql() {
    truncate_is_counted(Server::Mysql);
}

fn uncountable_drop_needs_consent(server: Server, statement: &str) {
    let Some(db) = TestDb::new(server, "uncountable") else {
        return;
    };
    let p = project(Some(&db));
    two_tables(&p, |sql| db.execute(sql));
    let file = hand_written(&p, "drop all", statement, "SELECT 1;");
    // Nothing to count, and still refused: it cannot be told what it would take.
    p.cmd(&["upgrade"])
        .assert()
        .code(2)
        .stderr(contains(format!("{file}:")))
        .stderr(contains("which wildebeest cannot count; it needs consent"))
        .stderr(contains("-- wildebeest: allow-data-loss"));
    ok(&p, &["upgrade", "--allow-data-loss"]);
}

#[test]
fn create_or_replace_table_is_counted_on_mariadb() {
    let Some(db) = TestDb::new(Server::Mysql, "orreplace") else {
        return;
    };
    let p = project(Some(&db));
    two_tables(&p, |sql| db.execute(sql));
    let file = hand_written(
        &p,
        "replace a",
        "CREATE OR REPLACE TABLE a (id INTEGER PRIMARY KEY);",
        "SELECT 1;",
    );
    p.cmd(&["upgrade"])
        .assert()
        .code(2)
        .stderr(contains(format!("{file}:")))
        .stderr(contains(
            "replaces table `a` and every row in it; it holds 2 rows",
        ));
    assert_eq!(db.rows("SELECT COUNT(*) FROM a"), [["2"]]);
    ok(&p, &["upgrade", "--allow-data-loss"]);
    assert_eq!(db.rows("SELECT COUNT(*) FROM a"), [["0"]]);
}

#[test]
fn drop_schema_needs_consent_on_postgres() {
    uncountable_drop_needs_consent(
        Server::Postgres,
        "DROP SCHEMA IF EXISTS wb_never_made_here CASCADE;",
    );
}

/// A PostgreSQL `DO` block whose code drops a table: the model never reads the
/// block, so it ran with a warning and took the table's rows.
#[test]
fn a_do_block_that_drops_a_table_needs_consent_on_postgres() {
    uncountable_drop_needs_consent(
        Server::Postgres,
        "DO $$ BEGIN EXECUTE 'DROP TABLE IF EXISTS b'; END $$;",
    );
}

#[test]
fn drop_database_needs_consent_on_mysql() {
    uncountable_drop_needs_consent(Server::Mysql, "DROP DATABASE IF EXISTS wb_never_made_here;");
}

#[test]
fn drop_table_cascade_that_takes_a_column_of_another_table_needs_consent() {
    let Some(db) = TestDb::new(Server::Postgres, "cascade") else {
        return;
    };
    let p = project(Some(&db));
    hand_written(
        &p,
        "row type",
        "CREATE TABLE a (id INTEGER);\nCREATE TABLE c (id INTEGER, x a);",
        "DROP TABLE c;\nDROP TABLE a;",
    );
    ok(&p, &["upgrade"]);
    // `a` is empty; `c.x`, of a's row type, is what CASCADE would take.
    db.execute("INSERT INTO c VALUES (1, ROW(5))");
    let file = hand_written(&p, "drop a", "DROP TABLE a CASCADE;", "SELECT 1;");
    p.cmd(&["upgrade"])
        .assert()
        .code(2)
        .stderr(contains(format!("{file}:")))
        .stderr(contains(
            "`DROP TABLE a CASCADE` drops tables, with CASCADE also what depends on it",
        ));
    assert_eq!(db.rows("SELECT (x).id FROM c"), [["5"]]);
    ok(&p, &["upgrade", "--allow-data-loss"]);
    assert_eq!(
        db.rows(&format!(
            "SELECT COUNT(*) FROM information_schema.columns WHERE table_schema = '{}' AND table_name = 'c'",
            db.name
        )),
        [["1"]]
    );
}

#[test]
fn a_drop_of_a_table_the_model_does_not_know_is_counted_on_sqlite() {
    let p = project(None);
    two_tables(&p, |sql| p.conn().execute_batch(sql).unwrap());
    // A table made by a statement the model does not follow, then dropped in the next
    // revision of the same run: counted right before that revision.
    hand_written(
        &p,
        "copy",
        "CREATE TABLE copy AS SELECT id FROM a;",
        "DROP TABLE copy;",
    );
    let file = hand_written(&p, "drop copy", "DROP TABLE copy;", "SELECT 1;");
    p.cmd(&["upgrade"])
        .assert()
        .code(2)
        .stderr(contains(format!("{file}:")))
        .stderr(contains(
            "`DROP TABLE copy` drops table `copy` and every row in it; it holds 2 rows",
        ));
    ok(&p, &["upgrade", "--allow-data-loss"]);
    assert!(
        p.rows("SELECT name FROM sqlite_master WHERE name = 'copy'")
            .is_empty()
    );
}

#[test]
fn a_column_dropped_from_a_table_the_model_does_not_know_needs_consent_on_sqlite() {
    let p = project(None);
    two_tables(&p, |sql| p.conn().execute_batch(sql).unwrap());
    let file = hand_written(
        &p,
        "copy and trim",
        "CREATE TABLE copy AS SELECT id, id AS twice FROM a;\nALTER TABLE copy DROP COLUMN twice;",
        "DROP TABLE copy;",
    );
    p.cmd(&["upgrade"])
        .assert()
        .code(2)
        .stderr(contains(format!("{file}:")))
        .stderr(contains(
            "drops a column or partition the schema model does not follow",
        ))
        .stderr(contains("it needs consent"));
    assert!(
        p.rows("SELECT name FROM sqlite_master WHERE name = 'copy'")
            .is_empty()
    );
    // The printed script says so at the statement.
    let script = ok(&p, &["upgrade", "--sql"]);
    assert!(
        script.contains(
            "--   guard: nothing can count this: the run stops unless the statement has consent\nALTER TABLE copy DROP COLUMN twice;"
        ),
        "{script}"
    );
    ok(&p, &["upgrade", "--allow-data-loss"]);
    assert_eq!(p.rows("SELECT id FROM copy ORDER BY id"), [["1"], ["2"]]);
}

#[test]
fn delete_and_update_the_user_wrote_run_unguarded() {
    let p = project(None);
    two_tables(&p, |sql| p.conn().execute_batch(sql).unwrap());
    hand_written(
        &p,
        "clean",
        "DELETE FROM a WHERE id = 1;\nUPDATE b SET id = 5;",
        "SELECT 1;",
    );
    ok(&p, &["upgrade"]);
    assert_eq!(p.rows("SELECT id FROM a"), [["2"]]);
    assert_eq!(p.rows("SELECT id FROM b"), [["5"]]);
}
