//! SQLite type changes: a table rebuild whose copy stores every value through the new
//! column's type affinity. Each copy that would store a value differently (another
//! value, or another storage class) is counted by the data-loss guard and needs
//! consent; one that changes nothing runs without it.

use predicates::str::contains;

use crate::util::{TempProject, ok};

/// Every value of `t.c`, in id order, as `quote(c)` and `typeof(c)` show it.
fn values(p: &TempProject) -> Vec<Vec<String>> {
    p.rows("SELECT quote(c), typeof(c) FROM t ORDER BY id")
}

/// A project at its first revision, `t (id, c <ty>)` holding `rows` (SQL literals).
fn with_column(ty: &str, rows: &[&str]) -> TempProject {
    let p = TempProject::init();
    p.write(
        "schema.sql",
        &format!("CREATE TABLE t (id INTEGER PRIMARY KEY, c {ty});\n"),
    );
    ok(&p, &["migrate", "-m", "one"]);
    ok(&p, &["upgrade"]);
    for (i, v) in rows.iter().enumerate() {
        p.conn()
            .execute_batch(&format!("INSERT INTO t (id, c) VALUES ({}, {v})", i + 1))
            .unwrap();
    }
    p
}

/// `c` becomes `ty` in schema.sql and a migration is generated for it.
fn change_to(p: &TempProject, ty: &str) {
    p.write(
        "schema.sql",
        &format!("CREATE TABLE t (id INTEGER PRIMARY KEY, c {ty});\n"),
    );
    ok(p, &["migrate", "-m", "two"]);
}

fn row(quote: &str, ty: &str) -> Vec<String> {
    vec![quote.to_string(), ty.to_string()]
}

#[test]
fn text_to_integer_that_would_turn_007_into_7_needs_consent() {
    let p = with_column("TEXT", &["'007'", "'1e3'", "' 42'", "'abc'", "NULL"]);
    change_to(&p, "INTEGER");
    let before = values(&p);
    let schema = p.schema_dump();
    p.cmd(&["upgrade"])
        .assert()
        .code(2)
        .stderr(contains("upgrade stopped before changing anything"))
        .stderr(contains("converts column `t.c` from TEXT to INTEGER"))
        .stderr(contains("3 rows"))
        .stderr(contains("--allow-data-loss"));
    assert_eq!(values(&p), before, "a refused upgrade changed values");
    assert_eq!(p.schema_dump(), schema);
    // Consent: the copy converts the three that read as numbers, as asked.
    ok(&p, &["upgrade", "--allow-data-loss"]);
    assert_eq!(
        values(&p),
        vec![
            row("7", "integer"),
            row("1000", "integer"),
            row("42", "integer"),
            row("'abc'", "text"),
            row("NULL", "null"),
        ]
    );
}

#[test]
fn the_downgrade_of_a_type_change_is_guarded_too() {
    let p = with_column("TEXT", &["'abc'"]);
    change_to(&p, "INTEGER");
    // Nothing reads as a number: the upgrade's copy changes nothing, no consent needed.
    ok(&p, &["upgrade"]);
    p.conn()
        .execute_batch("INSERT INTO t (id, c) VALUES (2, 5), (3, 7)")
        .unwrap();
    let before = values(&p);
    // Back to TEXT, the integers would become text.
    p.cmd(&["downgrade", "-1"])
        .assert()
        .code(2)
        .stderr(contains("downgrade stopped before changing anything"))
        .stderr(contains("converts column `t.c` from INTEGER to TEXT"))
        .stderr(contains("2 rows"));
    assert_eq!(values(&p), before);
    ok(&p, &["downgrade", "-1", "--allow-data-loss"]);
    assert_eq!(
        values(&p),
        vec![row("'abc'", "text"), row("'5'", "text"), row("'7'", "text")]
    );
}

#[test]
fn a_type_change_whose_copy_changes_nothing_runs_without_consent() {
    // Text only, into another type of the same affinity.
    let p = with_column("TEXT", &["'007'", "' 42'", "'abc'", "NULL"]);
    let before = values(&p);
    change_to(&p, "VARCHAR(50)");
    assert!(
        !p.read(p.migrations()[1].to_str().unwrap())
            .contains("DATA LOSS"),
        "the same affinity is marked"
    );
    ok(&p, &["upgrade"]);
    assert_eq!(values(&p), before);
    ok(&p, &["downgrade", "-1"]);
    assert_eq!(values(&p), before);
    // Across affinities, with no value the copy would convert: counted, zero, runs.
    change_to(&p, "INTEGER");
    p.conn().execute_batch("UPDATE t SET c = 'x' || c").unwrap();
    let before = values(&p);
    ok(&p, &["upgrade"]);
    assert_eq!(values(&p), before);
}

#[test]
fn integer_to_real_and_real_to_integer_are_counted() {
    let p = with_column("INTEGER", &["1", "2", "NULL"]);
    change_to(&p, "REAL");
    p.cmd(&["upgrade"])
        .assert()
        .code(2)
        .stderr(contains("from INTEGER to REAL"))
        .stderr(contains("2 rows"));
    ok(&p, &["upgrade", "--allow-data-loss"]);
    assert_eq!(
        values(&p),
        vec![row("1.0", "real"), row("2.0", "real"), row("NULL", "null")]
    );
    p.conn()
        .execute_batch("INSERT INTO t (id, c) VALUES (4, 2.5)")
        .unwrap();
    // Back: 1.0 and 2.0 would become integers, 2.5 stays.
    p.cmd(&["downgrade", "-1"])
        .assert()
        .code(2)
        .stderr(contains("from REAL to INTEGER"))
        .stderr(contains("2 rows"));
}

#[test]
fn a_strict_table_is_guarded_and_its_any_column_keeps_values() {
    let p = TempProject::init();
    let schema = |ty: &str| format!("CREATE TABLE t (id INTEGER PRIMARY KEY, c {ty}) STRICT;\n");
    p.write("schema.sql", &schema("TEXT"));
    ok(&p, &["migrate", "-m", "one"]);
    ok(&p, &["upgrade"]);
    p.conn()
        .execute_batch("INSERT INTO t (id, c) VALUES (1, '007'), (2, 'abc')")
        .unwrap();
    // ANY keeps what it is given: no conversion, no consent.
    p.write("schema.sql", &schema("ANY"));
    ok(&p, &["migrate", "-m", "any"]);
    ok(&p, &["upgrade"]);
    assert_eq!(values(&p), vec![row("'007'", "text"), row("'abc'", "text")]);
    // INTEGER converts '007' (and refuses 'abc', which goes first).
    p.conn()
        .execute_batch("DELETE FROM t WHERE id = 2")
        .unwrap();
    p.write("schema.sql", &schema("INTEGER"));
    ok(&p, &["migrate", "-m", "int"]);
    p.cmd(&["upgrade"])
        .assert()
        .code(2)
        .stderr(contains("from ANY to INTEGER"))
        .stderr(contains("1 row"));
    assert_eq!(values(&p), vec![row("'007'", "text")]);
    ok(&p, &["upgrade", "--allow-data-loss"]);
    assert_eq!(values(&p), vec![row("7", "integer")]);
}
