//! PostgreSQL row-level security through the binary: hand-written `ALTER TABLE ...
//! ROW LEVEL SECURITY`, `CREATE POLICY`, `ALTER POLICY` and `DROP POLICY` in a
//! migration are followed by the replay (no warning), made and checked; SQLite
//! refuses them by name before anything runs.

use crate::servers::{Server, TestDb};
use crate::util::{TempProject, hand_write, ok, run_text};

#[test]
fn hand_written_row_level_security_is_followed_on_postgres() {
    let Some(db) = TestDb::new(Server::Postgres, "rlshand") else {
        return;
    };
    let p = TempProject::on(Some(&db));
    ok(&p, &["revision", "-m", "by hand"]);
    hand_write(
        &p,
        "CREATE TABLE doc (id int PRIMARY KEY, owner text NOT NULL, shared boolean NOT NULL);\n\n\
         ALTER TABLE doc ENABLE ROW LEVEL SECURITY;\n\n\
         ALTER TABLE ONLY doc FORCE ROW LEVEL SECURITY;\n\n\
         CREATE POLICY temp ON doc FOR SELECT USING (shared);\n\n\
         ALTER POLICY temp ON doc RENAME TO visible;\n\n\
         ALTER POLICY visible ON doc USING (shared OR owner = current_user);\n\n\
         CREATE POLICY writes ON doc FOR INSERT WITH CHECK (owner = current_user);\n\n\
         CREATE POLICY gone ON doc USING (false);\n\n\
         DROP POLICY gone ON doc;\n\n\
         DROP POLICY IF EXISTS never ON doc;",
        "DROP TABLE doc;",
    );
    p.write(
        "schema.sql",
        "CREATE TABLE doc (id int PRIMARY KEY, owner text NOT NULL, shared boolean NOT NULL);\n\
         ALTER TABLE doc ENABLE ROW LEVEL SECURITY;\n\
         ALTER TABLE doc FORCE ROW LEVEL SECURITY;\n\
         CREATE POLICY visible ON doc FOR SELECT USING (shared OR owner = CURRENT_USER);\n\
         CREATE POLICY writes ON doc FOR INSERT TO public WITH CHECK (owner = CURRENT_USER);\n",
    );
    let out = p.cmd(&["migrate", "-m", "again"]).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stdout}{stderr}");
    assert!(stdout.starts_with("No changes"), "{stdout}{stderr}");
    assert!(stderr.is_empty(), "a warning: {stderr}");
    ok(&p, &["upgrade"]);
    let (code, text) = run_text(&p, &["check"]);
    assert_eq!(code, 0, "{text}");
    // The test's user is a superuser, whom no policy binds: the catalog says what
    // the migration made.
    let policies = "SELECT count(*) FROM pg_policy p JOIN pg_class c ON c.oid = p.polrelid \
                    WHERE c.relname = 'doc' AND c.relnamespace = current_schema()::regnamespace";
    assert_eq!(db.rows(policies), [["2"]]);
    assert_eq!(
        db.rows(
            "SELECT relrowsecurity::text, relforcerowsecurity::text FROM pg_class \
             WHERE relname = 'doc' AND relnamespace = current_schema()::regnamespace"
        ),
        [["true", "true"]]
    );
    // The downgrade drops the table with its policies; upgrade again, and a policy
    // dropped by hand is drift.
    ok(&p, &["downgrade", "-1"]);
    ok(&p, &["upgrade"]);
    db.execute("DROP POLICY writes ON doc");
    let (code, text) = run_text(&p, &["check"]);
    assert_eq!(code, 1, "{text}");
    assert!(text.contains("policy `writes` on `doc`"), "{text}");
}

#[test]
fn row_level_security_in_a_migration_is_refused_by_name_on_sqlite() {
    let p = TempProject::init();
    ok(&p, &["revision", "-m", "by hand"]);
    hand_write(
        &p,
        "CREATE TABLE doc (id INTEGER PRIMARY KEY);\n\n\
         ALTER TABLE doc ENABLE ROW LEVEL SECURITY;\n\n\
         CREATE POLICY mine ON doc USING (true);",
        "DROP TABLE doc;",
    );
    let (code, text) = run_text(&p, &["upgrade"]);
    assert_eq!(code, 2, "{text}");
    assert!(
        text.contains("row-level security is PostgreSQL's"),
        "{text}"
    );
    // Nothing ran.
    assert!(
        p.rows("SELECT name FROM sqlite_master WHERE name = 'doc'")
            .is_empty()
    );
}

#[test]
fn row_level_security_in_a_migration_is_refused_by_name_on_mysql() {
    let Some(db) = TestDb::new(Server::Mysql, "rlsmysql") else {
        return;
    };
    let p = TempProject::on(Some(&db));
    ok(&p, &["revision", "-m", "by hand"]);
    hand_write(
        &p,
        "CREATE TABLE doc (id INT PRIMARY KEY);\n\n\
         CREATE POLICY mine ON doc USING (true);",
        "DROP TABLE doc;",
    );
    let (code, text) = run_text(&p, &["upgrade"]);
    assert_eq!(code, 2, "{text}");
    assert!(
        text.contains("policy `mine` on `doc` is PostgreSQL's row-level security; MySQL has none"),
        "{text}"
    );
    // Nothing ran.
    assert!(db.rows("SHOW TABLES LIKE 'doc'").is_empty());
}
