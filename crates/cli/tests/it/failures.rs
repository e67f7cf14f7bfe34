//! A revision that fails: what the messages say happened (rolled back, or partly
//! applied with the statements that committed named), what `current` shows of a
//! revision stopped half way, and how a run goes on from it.

use std::path::{Path, PathBuf};

use crate::servers::{Server, TestDb};
use crate::util::{TempProject, ok};

/// Runs `args`, expecting exit status `code`; returns stdout and stderr together.
fn status(p: &TempProject, args: &[&str], code: i32) -> String {
    let out = p.cmd(args).output().unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(out.status.code(), Some(code), "{args:?}: {text}");
    text
}

/// A project on `db`, or on a SQLite file when `None`.
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

/// Adds a hand-written revision with these sections (and extra header lines), and
/// rehashes; returns its file and id.
fn revision(
    p: &TempProject,
    slug: &str,
    header: &str,
    upgrade: &str,
    downgrade: &str,
) -> (PathBuf, String) {
    ok(p, &["revision", "-m", slug]);
    let path = p
        .migrations()
        .into_iter()
        .rfind(|m| m.to_string_lossy().ends_with(&format!("_{slug}.sql")))
        .unwrap();
    write_sections(p, &path, header, upgrade, downgrade);
    let id = path.file_name().unwrap().to_string_lossy()[16..28].to_string();
    (path, id)
}

/// Replaces the sections of a migration file, as a user does in an editor, and
/// rehashes.
fn write_sections(p: &TempProject, path: &Path, header: &str, upgrade: &str, downgrade: &str) {
    let text = std::fs::read_to_string(path).unwrap();
    let head = &text[..text.find("\n\n-- +upgrade").expect("upgrade marker")];
    std::fs::write(
        path,
        format!("{head}\n{header}\n-- +upgrade\n{upgrade}\n\n-- +downgrade\n{downgrade}\n"),
    )
    .unwrap();
    ok(p, &["rehash"]);
}

/// The file's name as messages show it.
fn shown(path: &Path) -> String {
    format!("migrations/{}", path.file_name().unwrap().to_string_lossy())
}

/// The line of `needle` in the file, 1-based.
fn line_of(path: &Path, needle: &str) -> usize {
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .position(|l| l.contains(needle))
        .unwrap()
        + 1
}

#[test]
fn a_failed_downgrade_in_a_transaction_says_the_database_stays_at_the_revision() {
    let p = project(None);
    revision(
        &p,
        "one",
        "",
        "CREATE TABLE a (id INTEGER PRIMARY KEY);",
        "DROP TABLE a;",
    );
    let (_, two) = revision(
        &p,
        "two",
        "",
        "ALTER TABLE a ADD COLUMN code VARCHAR(10);",
        "ALTER TABLE a DROP COLUMN code;\nDROP TABLE nosuch;",
    );
    ok(&p, &["upgrade"]);
    let text = status(&p, &["downgrade", "-1"], 2);
    assert!(
        text.contains(&format!(
            "revision {two} failed and was rolled back, the database stays at revision {two}: "
        )),
        "{text}"
    );
    assert!(!text.contains("the revision before it"), "{text}");
    assert!(ok(&p, &["current"]).contains(&two));
}

/// `current` read the applied revisions on one connection and the progress journal on
/// another (`--check-heads` the revisions again on a third). An account the server
/// lets connect once an hour shows that it now opens one: `current -v
/// --check-heads` answers as before instead of being refused its second connection.
#[test]
fn current_opens_one_connection() {
    let Some(db) = TestDb::new(Server::Mysql, "oneconn") else {
        return;
    };
    let p = project(Some(&db));
    let (_, one) = revision(
        &p,
        "one",
        "",
        "CREATE TABLE a (id INTEGER PRIMARY KEY);",
        "DROP TABLE a;",
    );
    ok(&p, &["upgrade"]);
    let user = OnceAnHour::create(&db);
    let url = format!(
        "mysql://{}@{}",
        user.0,
        db.url.split_once('@').expect("a URL with a user").1
    );
    let out = ok(
        &p,
        &["--database-url", &url, "current", "-v", "--check-heads"],
    );
    assert!(out.starts_with(&format!("{one} (head)  one\n")), "{out}");
    assert!(out.contains(&format!("  {one}  applied ")), "{out}");
}

/// A MySQL account with every right on the test's database that may connect once an
/// hour; dropped on drop.
struct OnceAnHour<'a>(String, &'a TestDb);

impl<'a> OnceAnHour<'a> {
    fn create(db: &'a TestDb) -> Self {
        // MySQL allows 32 characters in a user name.
        let name = format!(
            "wb1c_{}_{:x}",
            std::process::id(),
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .subsec_nanos()
        );
        db.execute(&format!(
            "CREATE USER '{name}'@'%' WITH MAX_CONNECTIONS_PER_HOUR 1"
        ));
        let user = OnceAnHour(name, db);
        db.execute(&format!("GRANT ALL ON `{}`.* TO '{}'@'%'", db.name, user.0));
        user
    }
}

impl Drop for OnceAnHour<'_> {
    fn drop(&mut self) {
        self.1
            .execute(&format!("DROP USER IF EXISTS '{}'@'%'", self.0));
    }
}

/// Revision two of a table `a` adds a column, then fails on its second statement.
fn half_applied_upgrade(server: Server, header: &str) {
    let Some(db) = TestDb::new(server, "halfup") else {
        return;
    };
    let p = project(Some(&db));
    revision(
        &p,
        "one",
        "",
        "CREATE TABLE a (id INTEGER PRIMARY KEY);",
        "DROP TABLE a;",
    );
    let (path, two) = revision(
        &p,
        "two",
        header,
        "ALTER TABLE a ADD COLUMN code VARCHAR(10);\nCREATE TABLE b (id INTEGER PRIMARY KEY);\nALTER TABLE a ADD COLUMN bogus nosuchtype;",
        "ALTER TABLE a DROP COLUMN bogus;\nDROP TABLE b;\nALTER TABLE a DROP COLUMN code;",
    );
    let text = status(&p, &["upgrade"], 2);
    let file = shown(&path);
    let (l1, l2, l3) = (
        line_of(&path, "ADD COLUMN code"),
        line_of(&path, "CREATE TABLE b"),
        line_of(&path, "ADD COLUMN bogus"),
    );
    assert!(
        text.contains(&format!(
            "{file}:{l3}: revision {two} failed half way through its upgrade and is partly applied: "
        )),
        "{text}"
    );
    assert!(
        text.contains(&format!(
            "2 statements before this one committed and stay applied ({file}:{l1}, {file}:{l2}), \
             because each statement of this revision commits on its own. Fix the file and run \
             the upgrade again to resume at this statement, or finish it by hand and run \
             `wildebeest stamp {two}`."
        )),
        "{text}"
    );
    assert!(!text.contains("rolled back"), "{text}");
    assert!(!text.contains("stays at"), "{text}");
    let out = ok(&p, &["current", "-v"]);
    assert!(
        out.contains(&format!(
            "{two} (half done)  two\n  not applied, but its upgrade stopped half way: 2 statements of it committed"
        )),
        "{out}"
    );

    // The failing statement itself is fixed: the run resumes at it.
    write_sections(
        &p,
        &path,
        "",
        "ALTER TABLE a ADD COLUMN code VARCHAR(10);\nCREATE TABLE b (id INTEGER PRIMARY KEY);\nALTER TABLE a ADD COLUMN bogus int;",
        "ALTER TABLE a DROP COLUMN bogus;\nDROP TABLE b;\nALTER TABLE a DROP COLUMN code;",
    );
    let out = ok(&p, &["upgrade"]);
    assert!(
        out.contains(&format!("Resuming {two} after statement 2")),
        "{out}"
    );
    assert!(!ok(&p, &["current"]).contains("half done"));

    // A statement that ran is edited: the resume is refused, and says why.
    ok(&p, &["downgrade", "-1"]);
    write_sections(
        &p,
        &path,
        "",
        "ALTER TABLE a ADD COLUMN code VARCHAR(10);\nCREATE TABLE b (id INTEGER PRIMARY KEY);\nALTER TABLE a ADD COLUMN bogus nosuchtype;",
        "ALTER TABLE a DROP COLUMN bogus;\nDROP TABLE b;\nALTER TABLE a DROP COLUMN code;",
    );
    status(&p, &["upgrade"], 2);
    if server == Server::Mysql {
        write_sections(
            &p,
            &path,
            "",
            "ALTER TABLE a ADD COLUMN code VARCHAR(12);\nCREATE TABLE b (id INTEGER PRIMARY KEY);\nALTER TABLE a ADD COLUMN bogus int;",
            "ALTER TABLE a DROP COLUMN bogus;\nDROP TABLE b;\nALTER TABLE a DROP COLUMN code;",
        );
        let text = status(&p, &["upgrade"], 2);
        assert!(
            text.contains(&format!(
                "cannot resume revision {two} after statement 2: its statements 1 to 2, which ran, read differently now"
            )),
            "{text}"
        );
    }
}

#[test]
fn a_half_applied_upgrade_on_mysql_names_the_statements_that_stay() {
    half_applied_upgrade(Server::Mysql, "");
}

#[test]
fn a_half_applied_upgrade_without_a_transaction_on_postgres_names_the_statements_that_stay() {
    half_applied_upgrade(Server::Postgres, "-- Transaction: none\n");
}

/// Table `a`; revision two adds `code` with a unique key. Returns the project, the
/// second file and its id.
fn two_with_code(db: &TestDb, downgrade_tail: &str) -> (TempProject, PathBuf, String) {
    let p = project(Some(db));
    revision(
        &p,
        "one",
        "",
        "CREATE TABLE a (id INTEGER PRIMARY KEY);",
        "DROP TABLE a;",
    );
    let (path, two) = revision(
        &p,
        "two",
        "",
        "ALTER TABLE a ADD COLUMN code varchar(10);\nALTER TABLE a ADD UNIQUE KEY uq_code (code);",
        &format!(
            "ALTER TABLE a DROP INDEX uq_code;\nALTER TABLE a DROP COLUMN code;{downgrade_tail}"
        ),
    );
    (p, path, two)
}

#[test]
fn an_upgrade_after_a_downgrade_stopped_half_way_is_refused_and_current_shows_it() {
    let Some(db) = TestDb::new(Server::Mysql, "halfdown") else {
        return;
    };
    let (p, path, two) = two_with_code(&db, "\nDROP TABLE nosuch;");
    ok(&p, &["upgrade"]);
    let text = status(&p, &["downgrade", "-1"], 2);
    let file = shown(&path);
    assert!(
        text.contains(&format!(
            "revision {two} failed half way through its downgrade and is partly applied"
        )) && text.contains(&format!(
            "2 statements before this one committed and stay applied ({file}:{}, {file}:{})",
            line_of(&path, "DROP INDEX uq_code"),
            line_of(&path, "DROP COLUMN code"),
        )),
        "{text}"
    );

    // `upgrade` has nothing of its own to do, but the database is not at head.
    let text = status(&p, &["upgrade"], 2);
    assert!(
        text.contains(&format!(
            "revision {two} stopped half way through its downgrade: 2 of its statements committed before one failed ("
        )) && text.contains("nothing was run"),
        "{text}"
    );
    assert!(!text.contains("Nothing to do"), "{text}");

    for args in [&["current"][..], &["current", "-v"]] {
        let out = ok(&p, args);
        assert!(
            out.starts_with(&format!("{two} (half done)  two\n  applied, but its downgrade stopped half way: 2 statements of it committed, stopped by: ")),
            "{out}"
        );
    }

    // With what the statement needed there, the downgrade resumes and finishes;
    // then upgrade works again.
    db.execute("CREATE TABLE nosuch (x int)");
    let out = ok(&p, &["downgrade", "-1"]);
    assert!(
        out.contains(&format!("Resuming {two} after statement 2")),
        "{out}"
    );
    assert!(!ok(&p, &["current"]).contains("half done"));
    ok(&p, &["upgrade"]);
    assert_eq!(
        db.rows("SELECT COUNT(*) FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND INDEX_NAME = 'uq_code'"),
        [["1"]]
    );
}

// A revision written for SQLite stopped half way on MySQL, and after the failing
// statement was fixed the resume was refused: planned against the half-changed
// database, the CREATE TABLE that had run (translated for MySQL) now ran as written,
// so it no longer read as the statement that ran.
#[test]
fn a_revision_written_for_another_database_resumes_on_mysql() {
    let Some(db) = TestDb::new(Server::Mysql, "resumexd") else {
        return;
    };
    let p = project(Some(&db));
    let (path, id) = revision(
        &p,
        "one",
        "",
        "CREATE TABLE a (id INTEGER NOT NULL, v TEXT, PRIMARY KEY (id));\nINSERT INTO a (v) VALUES ('x');",
        "DROP TABLE a;",
    );
    let text = std::fs::read_to_string(&path)
        .unwrap()
        .replace("-- Dialect: mysql", "-- Dialect: sqlite");
    std::fs::write(&path, text).unwrap();
    ok(&p, &["rehash"]);
    let text = status(&p, &["upgrade"], 2);
    assert!(
        text.contains("failed half way through its upgrade"),
        "{text}"
    );
    let text = std::fs::read_to_string(&path).unwrap().replace(
        "INSERT INTO a (v) VALUES ('x')",
        "INSERT INTO a (id, v) VALUES (1, 'x')",
    );
    std::fs::write(&path, text).unwrap();
    ok(&p, &["rehash"]);
    let out = ok(&p, &["upgrade"]);
    assert!(
        out.contains(&format!("Resuming {id} after statement 1"))
            && out.contains(&format!("Applied {id}")),
        "{out}"
    );
    assert_eq!(db.rows("SELECT id, v FROM a"), [["1", "x"]]);
    ok(&p, &["downgrade", "base", "--allow-data-loss"]);
}

#[test]
fn a_revision_whose_first_statement_failed_leaves_nothing_half_done_on_mysql() {
    let Some(db) = TestDb::new(Server::Mysql, "firstfail") else {
        return;
    };
    let (p, _, two) = two_with_code(&db, "");
    ok(&p, &["upgrade", "+1"]);
    db.execute("ALTER TABLE a ADD COLUMN code int");
    let text = status(&p, &["upgrade"], 2);
    assert!(
        text.contains(&format!(
            "revision {two} failed at its first statement, so none of it was applied and the database stays at the revision before it"
        )),
        "{text}"
    );
    assert!(!ok(&p, &["current"]).contains("half done"));
    db.execute("ALTER TABLE a DROP COLUMN code");
    ok(&p, &["upgrade"]);
}

#[test]
fn a_refused_connection_is_one_sentence_with_its_cause() {
    let p = TempProject::init();
    for (url, server) in [
        (
            "mysql://root@127.0.0.1:1/test",
            "MySQL at `mysql://root@127.0.0.1:1/test`",
        ),
        (
            "postgres://postgres@127.0.0.1:1/test",
            "PostgreSQL at `postgres://postgres@127.0.0.1:1/test` (schema public)",
        ),
    ] {
        let out = p.cmd(&["--database-url", url, "current"]).output().unwrap();
        assert_eq!(out.status.code(), Some(2));
        assert_eq!(
            String::from_utf8_lossy(&out.stderr),
            format!("error: cannot connect to {server}: Connection refused (os error 111)\n")
        );
    }
}

/// Revision one makes `a (id, old_col, c)` with two NULLs in `c`; revision two drops
/// `old_col` (with consent), then makes `c` NOT NULL with `not_null`, in a file of
/// `dialect`. MySQL commits each statement on its own: the NOT NULL change
/// failed with "Data truncated" after the DROP COLUMN had committed, leaving the
/// revision half applied and the column gone. It must be refused before anything of
/// it runs.
fn not_null_over_nulls_is_refused_before_the_revision_runs(dialect: &str, not_null: &str) {
    let Some(db) = TestDb::new(Server::Mysql, "notnull") else {
        return;
    };
    let p = project(Some(&db));
    revision(
        &p,
        "one",
        "",
        "CREATE TABLE a (id INTEGER PRIMARY KEY, old_col INTEGER, c INTEGER);",
        "DROP TABLE a;",
    );
    ok(&p, &["upgrade"]);
    db.execute("INSERT INTO a (id, old_col, c) VALUES (1, 10, NULL), (2, 20, NULL), (3, 30, 7)");
    let upgrade =
        format!("-- wildebeest: allow-data-loss\nALTER TABLE a DROP COLUMN old_col;\n{not_null}");
    let (path, two) = revision(
        &p,
        "two",
        "",
        &upgrade,
        "ALTER TABLE a ADD COLUMN old_col INTEGER;",
    );
    let in_dialect = || {
        let text = std::fs::read_to_string(&path).unwrap();
        let text = text.replace("-- Dialect: mysql", &format!("-- Dialect: {dialect}"));
        assert!(text.contains(&format!("-- Dialect: {dialect}\n")), "{text}");
        std::fs::write(&path, text).unwrap();
        ok(&p, &["rehash"]);
    };
    in_dialect();
    let text = status(&p, &["upgrade"], 2);
    let line = line_of(&path, not_null);
    assert!(
        text.contains(
            "upgrade stopped before changing anything: these statements would fail half way"
        ),
        "{text}"
    );
    assert!(
        text.contains(&format!(
            "{}:{line} (revision {two}): column `c` of `a` becomes NOT NULL; rows with NULL in it: 2",
            shown(&path)
        )),
        "{text}"
    );
    // Nothing of revision two ran: the dropped column and its values are there.
    assert_eq!(
        db.rows("SELECT id, old_col, c FROM a ORDER BY id"),
        [["1", "10", "NULL"], ["2", "20", "NULL"], ["3", "30", "7"]]
    );
    let current = ok(&p, &["current"]);
    assert!(!current.contains("half done"), "{current}");
    assert!(!current.contains(&two), "{current}");

    // A backfill before the change in the same revision: the database decides.
    write_sections(
        &p,
        &path,
        "",
        &format!(
            "-- wildebeest: allow-data-loss\nALTER TABLE a DROP COLUMN old_col;\nUPDATE a SET c = 0 WHERE c IS NULL;\n{not_null}"
        ),
        "ALTER TABLE a ADD COLUMN old_col INTEGER;",
    );
    in_dialect();
    ok(&p, &["upgrade"]);
    assert_eq!(
        db.rows("SELECT id, c FROM a ORDER BY id"),
        [["1", "0"], ["2", "0"], ["3", "7"]]
    );
}

#[test]
fn a_not_null_modify_over_nulls_is_refused_before_its_revision_runs_on_mysql() {
    not_null_over_nulls_is_refused_before_the_revision_runs(
        "mysql",
        "ALTER TABLE a MODIFY COLUMN c INTEGER NOT NULL;",
    );
}

#[test]
fn a_set_not_null_written_for_postgres_over_nulls_is_refused_before_its_revision_runs_on_mysql() {
    not_null_over_nulls_is_refused_before_the_revision_runs(
        "postgresql",
        "ALTER TABLE a ALTER COLUMN c SET NOT NULL;",
    );
}
