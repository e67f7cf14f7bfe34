//! PostgreSQL extensions through the binary: `check` right after `upgrade` passes and
//! sees an extension dropped or added by hand; one in another schema is compared
//! when the migrations make it and ignored when they do not; `inspect` prints them;
//! a migration that makes one is refused by name on SQLite before anything runs.
//!
//! An extension's name is unique in the database, and tests run in parallel in one
//! database: each test here uses extensions no other test uses.

use crate::servers::{Server, TestDb};
use crate::util::{TempProject, ok};

/// Runs `args`: `(exit code, stdout and stderr)`.
fn run(p: &TempProject, args: &[&str]) -> (i32, String) {
    crate::util::run_text(p, args)
}

fn project(db: &TestDb) -> TempProject {
    TempProject::on(Some(db))
}

#[test]
fn check_compares_the_extensions_of_the_schema_and_those_the_migrations_name() {
    let Some(db) = TestDb::new(Server::Postgres, "ext_check") else {
        return;
    };
    // Another schema, to hold an extension as `WITH SCHEMA` puts it there.
    let Some(other) = TestDb::new(Server::Postgres, "ext_check_other") else {
        return;
    };
    let p = project(&db);
    p.write(
        "schema.sql",
        &format!(
            "CREATE EXTENSION citext;\n\
             CREATE EXTENSION IF NOT EXISTS cube WITH SCHEMA \"{}\";\n\
             CREATE TABLE member (id INTEGER PRIMARY KEY, email CITEXT NOT NULL UNIQUE);\n",
            other.name
        ),
    );
    ok(&p, &["migrate", "-m", "members"]);
    ok(&p, &["upgrade"]);
    let (code, text) = run(&p, &["check"]);
    assert_eq!(code, 0, "check right after upgrade: {text}");
    assert_eq!(
        db.rows(
            "SELECT e.extname, n.nspname FROM pg_extension e \
             JOIN pg_namespace n ON n.oid = e.extnamespace \
             WHERE e.extname IN ('citext', 'cube') ORDER BY 1"
        ),
        [["citext", db.name.as_str()], ["cube", other.name.as_str()]]
    );
    // Case-insensitive as the extension makes it.
    db.execute("INSERT INTO member VALUES (1, 'Ada@Example.org')");
    assert_eq!(
        db.rows("SELECT id FROM member WHERE email = 'ada@example.ORG'"),
        [["1"]]
    );

    // An extension of this schema the migrations do not make is drift.
    db.execute("CREATE EXTENSION seg");
    let (code, text) = run(&p, &["check"]);
    assert_eq!(code, 1, "{text}");
    assert!(text.contains("+ added extension `seg`"), "{text}");
    db.execute("DROP EXTENSION seg");
    let (code, text) = run(&p, &["check"]);
    assert_eq!(code, 0, "{text}");

    // One the migrations make in another schema, dropped by hand, is drift too.
    db.execute("DROP EXTENSION cube");
    let (code, text) = run(&p, &["check"]);
    assert_eq!(code, 1, "{text}");
    assert!(text.contains("- removed extension `cube`"), "{text}");

    // The downgrade drops both; without CASCADE nothing else goes.
    db.execute(&format!(
        "CREATE EXTENSION cube WITH SCHEMA \"{}\"",
        other.name
    ));
    ok(&p, &["downgrade", "base", "--allow-data-loss"]);
    assert_eq!(
        db.rows("SELECT count(*) FROM pg_extension WHERE extname IN ('citext', 'cube')"),
        [["0"]]
    );
}

#[test]
fn inspect_prints_the_extensions_of_the_schema_first() {
    let Some(db) = TestDb::new(Server::Postgres, "ext_inspect") else {
        return;
    };
    // tablefunc brings composite types, which are the extension's, not objects of the
    // schema to refuse.
    db.execute(
        "CREATE EXTENSION pg_trgm;\n\
         CREATE EXTENSION tablefunc;\n\
         CREATE TABLE doc (id INTEGER PRIMARY KEY, body TEXT);\n\
         CREATE INDEX doc_body ON doc USING gin (body gin_trgm_ops);",
    );
    let p = TempProject::new();
    let (code, text) = run(&p, &["inspect", "--database-url", &db.url]);
    assert_eq!(code, 0, "{text}");
    let ext = text
        .find("CREATE EXTENSION IF NOT EXISTS pg_trgm;")
        .expect(&text);
    let table = text.find("CREATE TABLE doc").expect(&text);
    assert!(ext < table, "{text}");
    assert!(
        text.contains("CREATE EXTENSION IF NOT EXISTS tablefunc;"),
        "{text}"
    );
    assert!(text.contains("gin_trgm_ops"), "{text}");
}

#[test]
fn a_migration_that_makes_an_extension_is_refused_on_sqlite_before_anything_runs() {
    let p = TempProject::init();
    p.write("schema.sql", "CREATE TABLE t (id INTEGER PRIMARY KEY);\n");
    ok(&p, &["migrate", "-m", "t"]);
    ok(&p, &["revision", "-m", "ext"]);
    let path = p.migrations().last().unwrap().clone();
    let text = std::fs::read_to_string(&path).unwrap();
    let text = text
        .replace(
            "-- +upgrade\n",
            "-- +upgrade\nCREATE EXTENSION earthdistance;\n",
        )
        .replace(
            "-- +downgrade\n",
            "-- +downgrade\nDROP EXTENSION earthdistance;\n",
        );
    std::fs::write(&path, text).unwrap();
    ok(&p, &["rehash"]);
    let (code, text) = run(&p, &["upgrade"]);
    assert_eq!(code, 2, "{text}");
    assert!(
        text.contains("SQLite has no extensions: extension `earthdistance` is PostgreSQL's"),
        "{text}"
    );
    let name = path.file_name().unwrap().to_string_lossy().into_owned();
    assert!(text.contains(&name), "{text}");
    // Nothing ran: not even the first revision.
    let (_, current) = run(&p, &["current"]);
    assert!(current.contains("base"), "{current}");

    // In schema.sql, refused by `migrate` with its line.
    p.write(
        "schema.sql",
        "CREATE TABLE t (id INTEGER PRIMARY KEY);\nCREATE EXTENSION earthdistance;\n",
    );
    let (code, text) = run(&p, &["migrate", "-m", "again"]);
    assert_eq!(code, 2, "{text}");
    assert!(
        text.contains("schema.sql:2:1: SQLite has no extensions"),
        "{text}"
    );
}
