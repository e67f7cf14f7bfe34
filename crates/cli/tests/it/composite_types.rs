//! PostgreSQL composite and range types through the binary: `check` right after
//! `upgrade` passes and sees a type changed or made by hand; `inspect` prints them
//! before the tables that use them, and a database adopted from that output checks
//! clean; an attribute dropped while rows hold values in it needs consent; a changed
//! range type a column uses is refused by `migrate` by name; a migration that makes
//! one is refused by name on SQLite and MySQL before anything runs.

use crate::servers::{Server, TestDb};
use crate::util::{TempProject, ok};

/// Runs `args`: `(exit code, stdout and stderr)`.
fn run(p: &TempProject, args: &[&str]) -> (i32, String) {
    crate::util::run_text(p, args)
}

const SCHEMA: &str = "CREATE TYPE money_range AS RANGE (SUBTYPE = NUMERIC);\n\
                      CREATE TYPE address AS (street VARCHAR(80), zip INTEGER, \
                      country TEXT COLLATE \"C\");\n\
                      CREATE TYPE shipment AS (to_address address, budget money_range);\n\
                      CREATE TABLE customer (id INTEGER PRIMARY KEY, home address, \
                      past address[], spend money_range, next shipment);\n";

#[test]
fn check_passes_after_upgrade_and_sees_a_type_changed_by_hand() {
    let Some(db) = TestDb::new(Server::Postgres, "ctype_check") else {
        return;
    };
    let p = TempProject::on(Some(&db));
    p.write("schema.sql", SCHEMA);
    ok(&p, &["migrate", "-m", "customers"]);
    ok(&p, &["upgrade"]);
    let (code, text) = run(&p, &["check"]);
    assert_eq!(code, 0, "check right after upgrade: {text}");
    db.execute(
        "INSERT INTO customer VALUES (1, ROW('Main St', 12345, 'NZ'), \
         ARRAY[ROW('Old Rd', 1, 'NZ')::address], '[10,20)', \
         ROW(ROW('Main St', 12345, 'NZ'), '[1,5)'))",
    );
    assert_eq!(
        db.rows("SELECT (home).zip, upper(spend) FROM customer"),
        [["12345", "20"]]
    );

    db.execute("ALTER TYPE address ADD ATTRIBUTE city TEXT");
    let (code, text) = run(&p, &["check"]);
    assert_eq!(code, 1, "{text}");
    assert!(text.contains("changed composite type `address`"), "{text}");
    db.execute("ALTER TYPE address DROP ATTRIBUTE city");
    let (code, text) = run(&p, &["check"]);
    assert_eq!(code, 0, "{text}");

    // A type made by hand is drift too.
    db.execute("CREATE TYPE extra AS RANGE (SUBTYPE = DATE)");
    let (code, text) = run(&p, &["check"]);
    assert_eq!(code, 1, "{text}");
    assert!(text.contains("added range type `extra`"), "{text}");
}

#[test]
fn a_database_with_composite_and_range_types_is_adopted_from_inspect() {
    let Some(db) = TestDb::new(Server::Postgres, "ctype_adopt") else {
        return;
    };
    db.execute(SCHEMA);
    let p = TempProject::on(Some(&db));
    let (code, text) = run(&p, &["inspect", "--database-url", &db.url]);
    assert_eq!(code, 0, "{text}");
    let range = text.find("CREATE TYPE money_range AS RANGE").expect(&text);
    let address = text.find("CREATE TYPE address AS").expect(&text);
    let shipment = text.find("CREATE TYPE shipment AS").expect(&text);
    let table = text.find("CREATE TABLE customer").expect(&text);
    assert!(
        address < shipment && range < shipment && shipment < table,
        "{text}"
    );
    p.write("schema.sql", &text);
    ok(&p, &["migrate", "-m", "adopted"]);
    ok(&p, &["stamp", "head"]);
    let (code, text) = run(&p, &["check"]);
    assert_eq!(code, 0, "check after adopting: {text}");
}

#[test]
fn an_attribute_dropped_while_rows_hold_values_in_it_needs_consent() {
    let Some(db) = TestDb::new(Server::Postgres, "ctype_loss") else {
        return;
    };
    let p = TempProject::on(Some(&db));
    p.write("schema.sql", SCHEMA);
    ok(&p, &["migrate", "-m", "customers"]);
    ok(&p, &["upgrade"]);
    db.execute("INSERT INTO customer (id, home) VALUES (1, ROW('Main St', 12345, NULL))");
    p.write("schema.sql", &SCHEMA.replace(" zip INTEGER,", ""));
    let (code, text) = run(&p, &["migrate", "-m", "no zip"]);
    assert_eq!(code, 0, "{text}");
    let file = std::fs::read_to_string(p.migrations().last().unwrap()).unwrap();
    assert!(
        file.contains(
            "-- DATA LOSS: drops attribute `zip` of composite type `address` and every value \
             the columns of the type hold in it\nALTER TYPE address DROP ATTRIBUTE zip;"
        ),
        "{file}"
    );
    let (code, text) = run(&p, &["upgrade"]);
    assert_eq!(code, 2, "{text}");
    assert!(text.contains("it would destroy stored data"), "{text}");
    assert!(
        text.contains("1 row holds a value (not NULL) in it"),
        "{text}"
    );
    assert_eq!(db.rows("SELECT (home).zip FROM customer"), [["12345"]]);
    ok(&p, &["upgrade", "--allow-data-loss"]);
    assert_eq!(db.rows("SELECT (home).street FROM customer"), [["Main St"]]);
    let (code, text) = run(&p, &["check"]);
    assert_eq!(code, 0, "{text}");

    // Where no column holds the type, dropping an attribute loses nothing.
    p.write(
        "schema.sql",
        &format!(
            "{}CREATE TYPE unused AS (a INTEGER, b INTEGER);\n",
            SCHEMA.replace(" zip INTEGER,", "")
        ),
    );
    ok(&p, &["migrate", "-m", "unused"]);
    p.write(
        "schema.sql",
        &format!(
            "{}CREATE TYPE unused AS (a INTEGER);\n",
            SCHEMA.replace(" zip INTEGER,", "")
        ),
    );
    ok(&p, &["migrate", "-m", "unused b"]);
    let file = std::fs::read_to_string(p.migrations().last().unwrap()).unwrap();
    let upgrade = file.split("-- +downgrade").next().unwrap();
    assert!(!upgrade.contains("DATA LOSS"), "{file}");
    ok(&p, &["upgrade"]);
}

#[test]
fn a_changed_range_type_a_column_uses_is_refused_by_migrate_by_name() {
    let Some(db) = TestDb::new(Server::Postgres, "ctype_range") else {
        return;
    };
    let p = TempProject::on(Some(&db));
    p.write("schema.sql", SCHEMA);
    ok(&p, &["migrate", "-m", "customers"]);
    p.write(
        "schema.sql",
        &SCHEMA.replace(
            "(SUBTYPE = NUMERIC)",
            "(SUBTYPE = NUMERIC, MULTIRANGE_TYPE_NAME = spends)",
        ),
    );
    let (code, text) = run(&p, &["migrate", "-m", "respan"]);
    assert_eq!(code, 2, "{text}");
    assert!(
        text.contains(
            "range type `money_range` changes or goes while column `customer.spend`, \
             composite type `shipment` still uses it"
        ),
        "{text}"
    );
    assert_eq!(p.migrations().len(), 1, "{text}");
}

/// A migration that makes `sql` on `p`'s database: refused by name before anything
/// runs, `said` in the message.
fn refused_before_anything_runs(p: &TempProject, sql: &str, said: &str) {
    p.write("schema.sql", "CREATE TABLE t (id INTEGER PRIMARY KEY);\n");
    ok(p, &["migrate", "-m", "t"]);
    ok(p, &["revision", "-m", "types"]);
    let path = p.migrations().last().unwrap().clone();
    let text = std::fs::read_to_string(&path).unwrap();
    let text = text
        .replace("-- +upgrade\n", &format!("-- +upgrade\n{sql}\n"))
        .replace("-- +downgrade\n", "-- +downgrade\nDROP TYPE pair;\n");
    std::fs::write(&path, text).unwrap();
    ok(p, &["rehash"]);
    let (code, text) = run(p, &["upgrade"]);
    assert_eq!(code, 2, "{text}");
    assert!(text.contains(said), "{text}");
    // Nothing ran: not even the first revision.
    let (_, current) = run(p, &["current"]);
    assert!(current.contains("base"), "{current}");
}

#[test]
fn a_migration_that_makes_a_composite_or_range_type_is_refused_on_sqlite_and_mysql() {
    let p = TempProject::init();
    refused_before_anything_runs(
        &p,
        "CREATE TYPE pair AS (a INTEGER, b INTEGER);",
        "SQLite has no composite or range types: composite type `pair` is PostgreSQL's",
    );
    // In schema.sql, refused by `migrate` with its line.
    p.write(
        "schema.sql",
        "CREATE TABLE t (id INTEGER PRIMARY KEY);\nCREATE TYPE span AS RANGE (SUBTYPE = INTEGER);\n",
    );
    let (code, text) = run(&p, &["migrate", "-m", "again"]);
    assert_eq!(code, 2, "{text}");
    assert!(
        text.contains("schema.sql:2:1: SQLite has no composite or range types"),
        "{text}"
    );

    let Some(db) = TestDb::new(Server::Mysql, "ctype_mysql") else {
        return;
    };
    let p = TempProject::on(Some(&db));
    refused_before_anything_runs(
        &p,
        "CREATE TYPE pair AS RANGE (SUBTYPE = INTEGER);",
        "MySQL has no composite or range types: range type `pair` is PostgreSQL's",
    );
}
