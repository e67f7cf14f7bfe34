//! PostgreSQL functions and procedures through the binary: `check` finds the
//! routines the migrations make right after `upgrade` and reports one changed or
//! dropped by hand; hand-written `CREATE FUNCTION` / `DROP FUNCTION` in a migration
//! are followed by the replay and printed by `upgrade --sql`; a removed routine is
//! dropped and made again by the downgrade; SQLite and MySQL refuse them by name.

use crate::servers::{Server, TestDb};
use crate::util::{TempProject, hand_write, ok};

const SCHEMA: &str = "\
CREATE FUNCTION is_positive(x integer) RETURNS boolean
    LANGUAGE sql IMMUTABLE AS $$ SELECT x > 0; $$;

CREATE TABLE items (
    id INTEGER PRIMARY KEY,
    qty INTEGER NOT NULL CHECK (is_positive(qty))
);

CREATE FUNCTION item_count() RETURNS bigint
    LANGUAGE sql STABLE AS $$ SELECT count(*) FROM items $$;

CREATE PROCEDURE add_item(new_id integer, n integer)
LANGUAGE plpgsql AS $body$
BEGIN
    INSERT INTO items (id, qty) VALUES (new_id, n);
END
$body$;
";

fn project(db: &TestDb) -> TempProject {
    TempProject::on(Some(db))
}

/// The exit status and stdout with stderr.
fn run(p: &TempProject, args: &[&str]) -> (Option<i32>, String) {
    let out = p.cmd(args).output().unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.code(), text)
}

#[test]
fn check_sees_a_routine_changed_or_dropped_by_hand_on_postgres() {
    let Some(db) = TestDb::new(Server::Postgres, "routinecheck") else {
        return;
    };
    let p = project(&db);
    p.write("schema.sql", SCHEMA);
    ok(&p, &["migrate", "-m", "shop"]);
    ok(&p, &["upgrade"]);
    let (code, text) = run(&p, &["check"]);
    assert_eq!(code, Some(0), "check right after upgrade: {text}");
    db.execute("CALL add_item(1, 4)");
    assert_eq!(db.rows("SELECT item_count()"), [["1"]]);
    // Another body under the same signature: drift.
    db.execute(
        "CREATE OR REPLACE FUNCTION item_count() RETURNS bigint \
         LANGUAGE sql STABLE AS $$ SELECT count(*) + 1 FROM items $$",
    );
    let (code, text) = run(&p, &["check"]);
    assert_eq!(code, Some(1), "{text}");
    assert!(text.contains("function `item_count()`"), "{text}");
    // Made again as the migration made it: no drift.
    db.execute(
        "CREATE OR REPLACE FUNCTION item_count() RETURNS bigint \
         LANGUAGE sql STABLE AS $$ SELECT count(*) FROM items $$",
    );
    let (code, text) = run(&p, &["check"]);
    assert_eq!(code, Some(0), "{text}");
    // An overload made by hand, and the procedure dropped by hand: drift.
    db.execute(
        "CREATE FUNCTION is_positive(x bigint) RETURNS boolean LANGUAGE sql AS $$ SELECT x > 0 $$",
    );
    db.execute("DROP PROCEDURE add_item");
    let (code, text) = run(&p, &["check"]);
    assert_eq!(code, Some(1), "{text}");
    assert!(text.contains("function `is_positive(bigint)`"), "{text}");
    assert!(
        text.contains("procedure `add_item(integer, integer)`"),
        "{text}"
    );
}

#[test]
fn a_removed_routine_is_dropped_and_the_downgrade_makes_it_again_on_postgres() {
    let Some(db) = TestDb::new(Server::Postgres, "routinedrop") else {
        return;
    };
    let p = project(&db);
    p.write("schema.sql", SCHEMA);
    ok(&p, &["migrate", "-m", "shop"]);
    ok(&p, &["upgrade"]);
    let without = SCHEMA.replace(
        "CREATE FUNCTION item_count() RETURNS bigint\n    LANGUAGE sql STABLE AS $$ SELECT count(*) FROM items $$;\n",
        "",
    );
    assert_ne!(without, SCHEMA);
    p.write("schema.sql", &without);
    ok(&p, &["migrate", "-m", "no count"]);
    let file = std::fs::read_to_string(p.migrations().last().unwrap()).unwrap();
    let down = &file[file.find("-- +downgrade").unwrap()..];
    assert!(file.contains("DROP FUNCTION item_count();"), "{file}");
    assert!(
        down.contains(
            "CREATE FUNCTION item_count() RETURNS bigint\n    LANGUAGE sql STABLE AS $$ SELECT count(*) FROM items $$;"
        ),
        "{file}"
    );
    assert!(!file.contains("DATA LOSS"), "{file}");
    ok(&p, &["upgrade"]);
    let count = "SELECT count(*) FROM pg_proc WHERE proname = 'item_count' \
                 AND pronamespace = current_schema()::regnamespace";
    assert_eq!(db.rows(count), [["0"]]);
    let (code, text) = run(&p, &["check"]);
    assert_eq!(code, Some(0), "{text}");
    ok(&p, &["downgrade", "-1"]);
    assert_eq!(db.rows(count), [["1"]]);
    p.write("schema.sql", SCHEMA);
    let (code, text) = run(&p, &["check"]);
    assert!(text.contains("1 revision not applied"), "{text}");
    assert!(!text.contains("drifted"), "{text}");
    assert_eq!(code, Some(1), "{text}");
    // A changed return type: dropped and made again, both ways.
    p.write(
        "schema.sql",
        &SCHEMA.replace("RETURNS bigint", "RETURNS integer").replace(
            "SELECT count(*) FROM items",
            "SELECT count(*)::integer FROM items",
        ),
    );
    std::fs::remove_file(p.migrations().last().unwrap()).unwrap();
    ok(&p, &["rehash"]);
    ok(&p, &["migrate", "-m", "narrower"]);
    let file = std::fs::read_to_string(p.migrations().last().unwrap()).unwrap();
    let up = &file[file.find("-- +upgrade").unwrap()..file.find("-- +downgrade").unwrap()];
    let drop = up.find("DROP FUNCTION item_count();").expect(up);
    let create = up
        .find("CREATE FUNCTION item_count() RETURNS integer")
        .expect(up);
    assert!(drop < create, "{up}");
    ok(&p, &["upgrade"]);
    let (code, text) = run(&p, &["check"]);
    assert_eq!(code, Some(0), "{text}");
    ok(&p, &["downgrade", "-1"]);
    assert_eq!(
        db.rows("SELECT pg_typeof(item_count())::text"),
        [["bigint"]]
    );
}

#[test]
fn hand_written_routines_are_followed_on_postgres() {
    let Some(db) = TestDb::new(Server::Postgres, "routinehand") else {
        return;
    };
    let p = project(&db);
    ok(&p, &["revision", "-m", "by hand"]);
    hand_write(
        &p,
        "create or replace function twice(x int) returns int language sql as $$ select 2 * x; $$;\n\n\
         CREATE FUNCTION twice(x text) RETURNS text LANGUAGE sql AS $$ SELECT x || x $$;\n\n\
         CREATE FUNCTION gone() RETURNS int LANGUAGE sql AS 'SELECT 1';\n\n\
         DROP FUNCTION IF EXISTS gone();\n\n\
         DROP FUNCTION IF EXISTS never(int);",
        "DROP FUNCTION twice(text);\n\nDROP FUNCTION twice(integer);",
    );
    // The same routines spelled otherwise in schema.sql: no change, no warning.
    p.write(
        "schema.sql",
        "CREATE FUNCTION twice(x INT) RETURNS INT LANGUAGE SQL AS $$ select 2 * x; $$;\n\
         CREATE FUNCTION twice(x TEXT) RETURNS TEXT LANGUAGE SQL AS $q$ SELECT x || x $q$;\n",
    );
    let out = p.cmd(&["migrate", "-m", "again"]).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stdout}{stderr}");
    assert!(stdout.starts_with("No changes"), "{stdout}{stderr}");
    assert!(stderr.is_empty(), "a warning: {stderr}");
    let (code, script) = run(&p, &["upgrade", "--sql"]);
    assert_eq!(code, Some(0), "{script}");
    assert!(
        script.contains(
            "CREATE FUNCTION twice(x text) RETURNS text LANGUAGE sql AS $$ SELECT x || x $$;"
        ),
        "{script}"
    );
    assert!(
        script.contains("DROP FUNCTION IF EXISTS gone();"),
        "{script}"
    );
    ok(&p, &["upgrade"]);
    assert_eq!(
        db.rows("SELECT twice(21), twice('ab'::text)"),
        [["42", "abab"]]
    );
    let (code, text) = run(&p, &["check"]);
    assert_eq!(code, Some(0), "{text}");
    // The body changed in schema.sql: replaced in place, and back in the downgrade.
    p.write(
        "schema.sql",
        "CREATE FUNCTION twice(x INT) RETURNS INT LANGUAGE SQL AS $$ select x + x; $$;\n\
         CREATE FUNCTION twice(x TEXT) RETURNS TEXT LANGUAGE SQL AS $q$ SELECT x || x $q$;\n",
    );
    ok(&p, &["migrate", "-m", "plus"]);
    let file = std::fs::read_to_string(p.migrations().last().unwrap()).unwrap();
    assert!(
        file.contains(
            "-- +upgrade\nCREATE OR REPLACE FUNCTION twice(x INT) RETURNS INT LANGUAGE SQL AS $$ select x + x; $$;"
        ),
        "{file}"
    );
    assert!(
        file.contains(
            "-- +downgrade\nCREATE OR REPLACE FUNCTION twice(x int) returns int language sql as $$ select 2 * x; $$;"
        ),
        "{file}"
    );
}

#[test]
fn routines_are_refused_by_name_on_sqlite() {
    let p = TempProject::init();
    p.write(
        "schema.sql",
        "CREATE TABLE t (a INTEGER);\nCREATE FUNCTION f() RETURNS int AS 'SELECT 1';\n",
    );
    let (code, text) = run(&p, &["migrate", "-m", "x"]);
    assert_eq!(code, Some(2), "{text}");
    assert!(text.contains("SQLite has no functions"), "{text}");
    assert!(text.contains("schema.sql:2"), "{text}");
}

#[test]
fn a_postgresql_routine_is_refused_by_name_on_mysql() {
    let Some(db) = TestDb::new(Server::Mysql, "routinemysql") else {
        return;
    };
    let p = project(&db);
    p.write(
        "schema.sql",
        "CREATE TABLE t (a INTEGER);\n\
         CREATE FUNCTION f() RETURNS int AS $$ SELECT 1 $$ LANGUAGE sql;\n",
    );
    let (code, text) = run(&p, &["migrate", "-m", "x"]);
    assert_eq!(code, Some(2), "{text}");
    assert!(
        text.contains("schema.sql:2") && text.contains("is written as PostgreSQL writes one"),
        "{text}"
    );
}
