//! Views on real databases through the binary: `check` finds the view the migrations
//! make right after `upgrade` and reports one dropped by hand; a hand-written `CREATE
//! VIEW` in a migration is followed by the replay; a table renamed under a view on
//! SQLite keeps the view working both ways; a hand-written rename under a view is
//! followed in the view's query where the database rewrites it.

use crate::servers::{Server, TestDb};
use crate::util::{TempProject, hand_write, ok};

const SCHEMA: &str = "\
CREATE TABLE customers (id INTEGER PRIMARY KEY, name VARCHAR(50) NOT NULL);
CREATE TABLE orders (
    id INTEGER PRIMARY KEY,
    customer_id INTEGER NOT NULL REFERENCES customers (id),
    total INTEGER NOT NULL
);
CREATE VIEW spent AS
SELECT c.name, sum(o.total) AS total
FROM customers c JOIN orders o ON o.customer_id = c.id
GROUP BY c.name;
";

/// A project on `db`, or on SQLite (the project's `app.db`) when `None`.
fn project(db: Option<&TestDb>) -> TempProject {
    TempProject::on(db)
}

/// Runs `sql` on the project's database.
fn execute(p: &TempProject, db: Option<&TestDb>, sql: &str) {
    match db {
        Some(db) => db.execute(sql),
        None => rusqlite::Connection::open(p.db())
            .unwrap()
            .execute_batch(sql)
            .unwrap(),
    }
}

fn check_sees_the_view(db: Option<&TestDb>) {
    let p = project(db);
    p.write("schema.sql", SCHEMA);
    ok(&p, &["migrate", "-m", "shop"]);
    ok(&p, &["upgrade"]);
    let out = p.cmd(&["check"]).output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "check right after upgrade: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    execute(&p, db, "DROP VIEW spent");
    let out = p.cmd(&["check"]).output().unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(text.contains("view `spent`"), "{text}");
    // Made again by hand with another query: still drift.
    execute(
        &p,
        db,
        "CREATE VIEW spent AS SELECT c.name, 0 AS total FROM customers c",
    );
    let out = p.cmd(&["check"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn check_sees_a_view_dropped_by_hand_on_sqlite() {
    check_sees_the_view(None);
}

#[test]
fn check_sees_a_view_dropped_by_hand_on_postgres() {
    if let Some(db) = TestDb::new(Server::Postgres, "viewcheck") {
        check_sees_the_view(Some(&db));
    }
}

#[test]
fn check_sees_a_view_dropped_by_hand_on_mysql() {
    if let Some(db) = TestDb::new(Server::Mysql, "viewcheck") {
        check_sees_the_view(Some(&db));
    }
}

#[test]
fn a_hand_written_create_view_is_replayed() {
    let p = project(None);
    ok(&p, &["revision", "-m", "by hand"]);
    hand_write(
        &p,
        "CREATE TABLE t (a INTEGER, b TEXT);\n\ncreate view v as select a from t where b is not null;",
        "DROP VIEW v;\n\nDROP TABLE t;",
    );
    // The same view spelled otherwise in schema.sql: no change.
    p.write(
        "schema.sql",
        "CREATE TABLE t (a INTEGER, b TEXT);\nCREATE VIEW v AS SELECT a FROM t WHERE b IS NOT NULL;\n",
    );
    let out = p.cmd(&["migrate", "-m", "again"]).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stdout}{stderr}");
    assert!(stdout.starts_with("No changes"), "{stdout}{stderr}");
    assert!(!stderr.contains("not"), "a warning: {stderr}");
    ok(&p, &["upgrade"]);
    let out = p.cmd(&["check"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    // A view dropped by a later hand-written migration is gone from the replay too.
    ok(&p, &["revision", "-m", "drop"]);
    hand_write(
        &p,
        "DROP VIEW IF EXISTS v;",
        "CREATE VIEW v AS SELECT a FROM t WHERE b IS NOT NULL;",
    );
    let out = p.cmd(&["migrate", "-m", "back"]).output().unwrap();
    assert!(out.status.success());
    let file = std::fs::read_to_string(p.migrations().last().unwrap()).unwrap();
    assert!(
        file.contains("CREATE VIEW v AS SELECT a FROM t WHERE b IS NOT NULL"),
        "{file}"
    );
}

#[test]
fn a_table_renamed_under_a_view_on_sqlite() {
    let p = project(None);
    p.write(
        "schema.sql",
        "CREATE TABLE people (id INTEGER PRIMARY KEY, name TEXT NOT NULL);\n\
         CREATE VIEW names AS SELECT name FROM people;\n",
    );
    ok(&p, &["migrate", "-m", "people"]);
    ok(&p, &["upgrade"]);
    execute(
        &p,
        None,
        "INSERT INTO people (id, name) VALUES (1, 'Ada'), (2, 'Bob')",
    );
    p.write(
        "schema.sql",
        "CREATE TABLE persons (id INTEGER PRIMARY KEY, name TEXT NOT NULL);\n\
         CREATE VIEW names AS SELECT name FROM persons;\n",
    );
    ok(
        &p,
        &["migrate", "-m", "rename", "--rename", "people=persons"],
    );
    let file = std::fs::read_to_string(p.migrations().last().unwrap()).unwrap();
    let up = &file[file.find("-- +upgrade").unwrap()..file.find("-- +downgrade").unwrap()];
    let (drop, rename, create) = (
        up.find("DROP VIEW names").expect(up),
        up.find("RENAME TO persons").expect(up),
        up.find("CREATE VIEW names AS SELECT name FROM persons")
            .expect(up),
    );
    assert!(drop < rename && rename < create, "{up}");
    ok(&p, &["upgrade"]);
    let names = |p: &TempProject| -> Vec<String> {
        let c = rusqlite::Connection::open(p.db()).unwrap();
        let mut st = c.prepare("SELECT name FROM names ORDER BY name").unwrap();
        st.query_map([], |r| r.get(0))
            .unwrap()
            .map(Result::unwrap)
            .collect()
    };
    assert_eq!(names(&p), ["Ada", "Bob"]);
    let out = p.cmd(&["check"]).output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    ok(&p, &["downgrade", "-1"]);
    assert_eq!(names(&p), ["Ada", "Bob"]);
    let c = rusqlite::Connection::open(p.db()).unwrap();
    let sql: String = c
        .query_row(
            "SELECT sql FROM sqlite_master WHERE name = 'names'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(sql, "CREATE VIEW names AS SELECT name FROM people");
}

/// A hand-written migration renames a column and then the table a view reads, the
/// view left in place, and `schema.sql` says what the database then holds (`view`):
/// the database rewrites the view (PostgreSQL, SQLite) and the replayed model
/// follows. Returns `check`'s exit status and output after the upgrade, and again
/// after a downgrade and an upgrade.
fn rename_under_a_view(db: Option<&TestDb>, view: &str) -> Vec<(Option<i32>, String)> {
    let p = project(db);
    p.write(
        "schema.sql",
        "CREATE TABLE people (id INTEGER PRIMARY KEY, name VARCHAR(50) NOT NULL);\n\
         CREATE VIEW names AS SELECT p.name, id FROM people p WHERE name <> '';\n",
    );
    ok(&p, &["migrate", "-m", "people"]);
    ok(&p, &["upgrade"]);
    ok(&p, &["revision", "-m", "by hand"]);
    hand_write(
        &p,
        "ALTER TABLE people RENAME COLUMN name TO full_name;\n\nALTER TABLE people RENAME TO persons;",
        "ALTER TABLE persons RENAME TO people;\n\nALTER TABLE people RENAME COLUMN full_name TO name;",
    );
    p.write(
        "schema.sql",
        &format!(
            "CREATE TABLE persons (id INTEGER PRIMARY KEY, full_name VARCHAR(50) NOT NULL);\n{view}\n"
        ),
    );
    let check = |p: &TempProject| {
        let out = p.cmd(&["check"]).output().unwrap();
        (
            out.status.code(),
            format!(
                "{}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            ),
        )
    };
    ok(&p, &["upgrade"]);
    let mut out = vec![check(&p)];
    // Renamed back and again: SQLite now writes both names quoted.
    ok(&p, &["downgrade", "-1"]);
    ok(&p, &["upgrade"]);
    out.push(check(&p));
    out
}

#[test]
fn a_hand_written_rename_under_a_view_on_sqlite() {
    let view = "CREATE VIEW names AS SELECT p.full_name, id FROM persons p WHERE full_name <> '';";
    for (status, text) in rename_under_a_view(None, view) {
        assert_eq!(status, Some(0), "{text}");
    }
}

/// PostgreSQL keeps the view's column under its old name.
#[test]
fn a_hand_written_rename_under_a_view_on_postgres() {
    let view =
        "CREATE VIEW names AS SELECT p.full_name AS name, id FROM persons p WHERE full_name <> '';";
    if let Some(db) = TestDb::new(Server::Postgres, "viewrename") {
        for (status, text) in rename_under_a_view(Some(&db), view) {
            assert_eq!(status, Some(0), "{text}");
        }
    }
}

/// MySQL leaves the view as it was, naming what is gone, and so does the model:
/// `check` cannot build the schema the migrations make and says which view fails
/// (exit 2), rather than pass a broken view.
#[test]
fn a_hand_written_rename_under_a_view_on_mysql() {
    if let Some(db) = TestDb::new(Server::Mysql, "viewrename") {
        for (status, text) in rename_under_a_view(Some(&db), "") {
            assert_eq!(status, Some(2), "{text}");
            assert!(
                text.contains("does not build on this server")
                    && text.contains("in `CREATE VIEW names AS SELECT p.name, id FROM people p"),
                "{text}"
            );
        }
    }
}
