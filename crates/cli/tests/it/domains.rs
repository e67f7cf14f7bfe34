//! PostgreSQL domains through the binary: `check` right after `upgrade` passes and
//! sees a domain changed by hand; `inspect` prints them before the tables that use
//! them, and a database adopted from that output checks clean; a hand-written
//! migration's domain statements are followed; `migrate` refuses a new base type by
//! the domain's name; a migration that makes one is refused by name on SQLite before
//! anything runs.

use crate::servers::{Server, TestDb};
use crate::util::{TempProject, ok};

/// Runs `args`: `(exit code, stdout and stderr)`.
fn run(p: &TempProject, args: &[&str]) -> (i32, String) {
    crate::util::run_text(p, args)
}

fn project(db: &TestDb) -> TempProject {
    TempProject::on(Some(db))
}

const SCHEMA: &str = "CREATE DOMAIN rating AS SMALLINT DEFAULT 3 NOT NULL \
                      CHECK (VALUE BETWEEN 1 AND 5);\n\
                      CREATE DOMAIN label AS VARCHAR(40) CONSTRAINT label_trimmed \
                      CHECK (VALUE = btrim(VALUE)) CHECK (VALUE IN ('a', 'b', 'c'));\n\
                      CREATE TABLE review (id INTEGER PRIMARY KEY, stars rating, tag label);\n";

#[test]
fn check_passes_after_upgrade_and_sees_a_domain_changed_by_hand() {
    let Some(db) = TestDb::new(Server::Postgres, "dom_check") else {
        return;
    };
    let p = project(&db);
    p.write("schema.sql", SCHEMA);
    ok(&p, &["migrate", "-m", "reviews"]);
    ok(&p, &["upgrade"]);
    let (code, text) = run(&p, &["check"]);
    assert_eq!(code, 0, "check right after upgrade: {text}");
    // The domain's default and checks hold.
    db.execute("INSERT INTO review (id, tag) VALUES (1, 'a')");
    assert_eq!(db.rows("SELECT stars FROM review"), [["3"]]);

    db.execute("ALTER DOMAIN rating DROP DEFAULT");
    let (code, text) = run(&p, &["check"]);
    assert_eq!(code, 1, "{text}");
    assert!(text.contains("changed domain `rating`"), "{text}");
    db.execute("ALTER DOMAIN rating SET DEFAULT 3");
    let (code, text) = run(&p, &["check"]);
    assert_eq!(code, 0, "{text}");

    db.execute("ALTER DOMAIN label DROP CONSTRAINT label_trimmed");
    let (code, text) = run(&p, &["check"]);
    assert_eq!(code, 1, "{text}");
    assert!(text.contains("changed domain `label`"), "{text}");

    // A domain made by hand is drift too.
    db.execute("CREATE DOMAIN extra AS TEXT");
    let (code, text) = run(&p, &["check"]);
    assert_eq!(code, 1, "{text}");
    assert!(text.contains("added domain `extra`"), "{text}");
}

#[test]
fn a_database_with_domains_is_adopted_from_inspect() {
    let Some(db) = TestDb::new(Server::Postgres, "dom_adopt") else {
        return;
    };
    db.execute(SCHEMA);
    let p = project(&db);
    let (code, text) = run(&p, &["inspect", "--database-url", &db.url]);
    assert_eq!(code, 0, "{text}");
    let domain = text.find("CREATE DOMAIN rating").expect(&text);
    let table = text.find("CREATE TABLE review").expect(&text);
    assert!(domain < table, "{text}");
    p.write("schema.sql", &text);
    ok(&p, &["migrate", "-m", "adopted"]);
    ok(&p, &["stamp", "head"]);
    let (code, text) = run(&p, &["check"]);
    assert_eq!(code, 0, "check after adopting: {text}");
}

#[test]
fn a_hand_written_migration_with_domain_statements_is_followed() {
    let Some(db) = TestDb::new(Server::Postgres, "dom_hand") else {
        return;
    };
    let p = project(&db);
    p.write("schema.sql", "CREATE TABLE t (id INTEGER PRIMARY KEY);\n");
    ok(&p, &["migrate", "-m", "t"]);
    ok(&p, &["revision", "-m", "domain"]);
    let path = p.migrations().last().unwrap().clone();
    let text = std::fs::read_to_string(&path).unwrap();
    let text = text
        .replace(
            "-- +upgrade\n",
            "-- +upgrade\nCREATE DOMAIN code AS TEXT;\n\
             ALTER DOMAIN code ADD CHECK (length(VALUE) = 3);\n\
             ALTER DOMAIN code SET NOT NULL;\n",
        )
        .replace(
            "-- +downgrade\n",
            "-- +downgrade\nDROP DOMAIN IF EXISTS code;\n",
        );
    std::fs::write(&path, text).unwrap();
    ok(&p, &["rehash"]);
    ok(&p, &["upgrade"]);
    // schema.sql says the same domain: nothing to migrate, and the database agrees.
    p.write(
        "schema.sql",
        "CREATE TABLE t (id INTEGER PRIMARY KEY);\n\
         CREATE DOMAIN code AS TEXT NOT NULL CHECK (length(VALUE) = 3);\n",
    );
    let (code, text) = run(&p, &["check"]);
    assert_eq!(code, 0, "{text}");
    let (code, text) = run(&p, &["migrate", "-m", "nothing"]);
    assert_eq!(code, 0, "{text}");
    assert_eq!(p.migrations().len(), 2, "{text}");
    ok(&p, &["downgrade", "-1"]);
    assert_eq!(
        db.rows("SELECT count(*) FROM pg_type WHERE typname = 'code' AND typtype = 'd'"),
        [["0"]]
    );
}

#[test]
fn a_migration_that_makes_a_domain_is_refused_on_sqlite_before_anything_runs() {
    let p = TempProject::init();
    p.write("schema.sql", "CREATE TABLE t (id INTEGER PRIMARY KEY);\n");
    ok(&p, &["migrate", "-m", "t"]);
    ok(&p, &["revision", "-m", "domain"]);
    let path = p.migrations().last().unwrap().clone();
    let text = std::fs::read_to_string(&path).unwrap();
    let text = text
        .replace(
            "-- +upgrade\n",
            "-- +upgrade\nCREATE DOMAIN code AS TEXT;\n",
        )
        .replace("-- +downgrade\n", "-- +downgrade\nDROP DOMAIN code;\n");
    std::fs::write(&path, text).unwrap();
    ok(&p, &["rehash"]);
    let (code, text) = run(&p, &["upgrade"]);
    assert_eq!(code, 2, "{text}");
    assert!(
        text.contains("SQLite has no domains: domain `code` is PostgreSQL's"),
        "{text}"
    );
    // Nothing ran: not even the first revision.
    let (_, current) = run(&p, &["current"]);
    assert!(current.contains("base"), "{current}");

    // In schema.sql, refused by `migrate` with its line.
    p.write(
        "schema.sql",
        "CREATE TABLE t (id INTEGER PRIMARY KEY);\nCREATE DOMAIN code AS TEXT;\n",
    );
    let (code, text) = run(&p, &["migrate", "-m", "again"]);
    assert_eq!(code, 2, "{text}");
    assert!(
        text.contains("schema.sql:2:1: SQLite has no domains"),
        "{text}"
    );
}

#[test]
fn a_new_base_type_is_refused_by_migrate_with_the_domains_name() {
    let Some(db) = TestDb::new(Server::Postgres, "dom_retype") else {
        return;
    };
    let p = project(&db);
    p.write("schema.sql", SCHEMA);
    ok(&p, &["migrate", "-m", "reviews"]);
    p.write("schema.sql", &SCHEMA.replace("AS SMALLINT", "AS INTEGER"));
    let (code, text) = run(&p, &["migrate", "-m", "retype"]);
    assert_eq!(code, 2, "{text}");
    assert!(
        text.contains(
            "domain `rating` changes its base type or collation (from SMALLINT to INTEGER)"
        ),
        "{text}"
    );
    assert_eq!(p.migrations().len(), 1, "{text}");
}
