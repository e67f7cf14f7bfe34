//! A run killed at each statement boundary of a revision without a transaction, then
//! resumed: the data is changed exactly once, or the run stops with advice, and
//! following the advice as written ends green. The kill is the debug build's
//! failpoint (`WILDEBEEST_TEST_ABORT=before:N` / `after:N`: the process aborts right
//! before statement N runs, after its journal says it is about to, or right after it
//! ran, before its journal says so), so every boundary is hit on every run.

use std::path::PathBuf;

use crate::servers::{Server, TestDb};
use crate::util::{TempProject, ok};

/// The output of `args` (stdout and stderr) and its exit status, with the failpoint
/// set to `abort` (`after:2`) when given.
fn run(p: &TempProject, args: &[&str], abort: Option<&str>) -> (String, Option<i32>) {
    let mut cmd = p.cmd(args);
    if let Some(abort) = abort {
        cmd.env("WILDEBEEST_TEST_ABORT", abort);
    }
    let out = cmd.output().unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (text, out.status.code())
}

/// Runs `args`, expecting exit status `code`; returns stdout and stderr together.
fn status(p: &TempProject, args: &[&str], code: i32) -> String {
    let (text, got) = run(p, args, None);
    assert_eq!(got, Some(code), "{args:?}: {text}");
    text
}

/// A project on `db` with one hand-written revision (`header` lines above its
/// sections); returns the project, the revision's file and id.
fn project(
    db: &TestDb,
    header: &str,
    upgrade: &str,
    downgrade: &str,
) -> (TempProject, PathBuf, String) {
    let p = TempProject::init();
    p.write(
        "wildebeest.toml",
        &format!("database_url = \"{}\"\n", db.url),
    );
    ok(&p, &["revision", "-m", "work"]);
    let path = p.migrations().pop().unwrap();
    let text = std::fs::read_to_string(&path).unwrap();
    let head = &text[..text.find("\n\n-- +upgrade").expect("upgrade marker")];
    std::fs::write(
        &path,
        format!("{head}\n{header}\n-- +upgrade\n{upgrade}\n\n-- +downgrade\n{downgrade}\n"),
    )
    .unwrap();
    ok(&p, &["rehash"]);
    let id = path.file_name().unwrap().to_string_lossy()[16..28].to_string();
    (p, path, id)
}

/// The line of `needle` in the file, 1-based.
fn line_of(path: &std::path::Path, needle: &str) -> usize {
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .position(|l| l.contains(needle))
        .unwrap()
        + 1
}

/// The process aborted where the failpoint said (not a clean exit).
fn killed(p: &TempProject, args: &[&str], abort: &str) {
    let (text, code) = run(p, args, Some(abort));
    assert_eq!(code, None, "{args:?} with {abort} was not killed: {text}");
}

/// Two tables alike, swapped by one `RENAME TABLE`: the schema after the swap reads
/// exactly as before it, so a run killed around it cannot tell whether it ran. It
/// stops, names the statement, and the flag the user gives decides.
#[test]
fn a_table_swap_killed_on_mysql_is_never_run_twice() {
    for (abort, ran) in [("before:1", false), ("after:1", true)] {
        let Some(db) = TestDb::new(Server::Mysql, "swap") else {
            return;
        };
        db.execute(
            "CREATE TABLE a (id INT PRIMARY KEY, v VARCHAR(10)); \
             CREATE TABLE b (id INT PRIMARY KEY, v VARCHAR(10)); \
             INSERT INTO a VALUES (1, 'old'); INSERT INTO b VALUES (1, 'new')",
        );
        let swap = "RENAME TABLE a TO tmp, b TO a, tmp TO b;";
        let (p, path, id) = project(
            &db,
            "",
            &format!("{swap}\nCREATE TABLE done (id INT);"),
            "DROP TABLE done;\nRENAME TABLE a TO tmp, b TO a, tmp TO b;",
        );
        killed(&p, &["upgrade"], abort);
        let swapped = db.rows("SELECT v FROM a") == [["new"]];
        assert_eq!(swapped, ran, "{abort}");

        let text = status(&p, &["upgrade"], 2);
        let file = format!("migrations/{}", path.file_name().unwrap().to_string_lossy());
        let line = line_of(&path, "RENAME TABLE a TO tmp");
        assert!(
            text.contains(&format!(
                "{file}:{line}: revision {id} was interrupted while statement 1 of its upgrade was running, and wildebeest cannot tell whether it ran"
            )) && text.contains(swap.trim_end_matches(';'))
                && text.contains(&format!(
                    "If the statement ran, run `wildebeest upgrade {id} --resume-after 1`; if it did not, run `wildebeest upgrade {id} --resume-at 1`."
                )),
            "{text}"
        );
        // Nothing ran: the tables are as the kill left them.
        assert_eq!(db.rows("SELECT v FROM a") == [["new"]], ran, "{abort}");
        // The wrong statement number, and a flag where nothing is in doubt, are refused.
        let text = status(&p, &["upgrade", &id, "--resume-at", "2"], 2);
        assert!(text.contains("is statement 1"), "{text}");

        // The user checks (`a` holds the rows `b` had: it ran) and says so.
        let flag = if swapped {
            "--resume-after"
        } else {
            "--resume-at"
        };
        ok(&p, &["upgrade", &id, flag, "1"]);
        assert_eq!(db.rows("SELECT v FROM a"), [["new"]], "{abort}");
        assert_eq!(db.rows("SELECT v FROM b"), [["old"]], "{abort}");
        assert_eq!(db.rows("SELECT COUNT(*) FROM done"), [["0"]]);
        let text = status(&p, &["upgrade", "--resume-after", "1"], 2);
        assert!(text.contains("no revision is half done"), "{text}");
    }
}

/// A `CALL` of a procedure that inserts a row: a kill around it is in doubt; the
/// row is there exactly once after the advice is followed.
#[test]
fn a_procedure_call_killed_on_mysql_inserts_its_row_once() {
    for (abort, ran) in [("before:2", false), ("after:2", true)] {
        let Some(db) = TestDb::new(Server::Mysql, "call") else {
            return;
        };
        db.execute("CREATE TABLE t (id INT); CREATE PROCEDURE add_row() INSERT INTO t VALUES (7)");
        let (p, path, id) = project(
            &db,
            "",
            "CREATE TABLE first (id INT);\nCALL add_row();\nCREATE TABLE last (id INT);",
            "DROP TABLE last;\nDROP TABLE first;",
        );
        killed(&p, &["upgrade"], abort);
        let rows = if ran { "1" } else { "0" };
        assert_eq!(db.rows("SELECT COUNT(*) FROM t"), [[rows]], "{abort}");
        // `check` and `current` say the revision is half done, and where.
        let text = status(&p, &["check"], 1);
        assert!(
            text.contains(&format!(
                "revision {id} (migrations/{}) is half done: its upgrade stopped after statement 1 \
                 (the run was killed while statement 2 was running, which may have run)",
                path.file_name().unwrap().to_string_lossy()
            )) && !text.contains("not applied: "),
            "{text}"
        );
        let text = status(&p, &["current"], 0);
        assert!(
            text.contains(&format!("{id} (half done)"))
                && text.contains("statement 2 was running, which may have run"),
            "{text}"
        );
        let text = status(&p, &["upgrade"], 2);
        assert!(
            text.contains("while statement 2 of its upgrade was running")
                && text.contains("CALL add_row()")
                && text.contains(&format!("`wildebeest upgrade {id} --resume-after 2`")),
            "{text}"
        );
        // Saying the opposite of what the schema shows is refused; here it shows
        // nothing, so the user's word is taken.
        let flag = if ran { "--resume-after" } else { "--resume-at" };
        ok(&p, &["upgrade", &id, flag, "2"]);
        assert_eq!(db.rows("SELECT COUNT(*) FROM t"), [["1"]], "{abort}");
        assert_eq!(db.rows("SELECT COUNT(*) FROM last"), [["0"]]);
    }
}

/// DDL mixed with an `UPDATE`: the update commits with its journal entry and each
/// DDL statement shows in the schema, so a kill at any boundary resumes by itself
/// and the update runs exactly once.
#[test]
fn an_update_between_ddl_killed_on_mysql_runs_once() {
    let upgrade =
        "ALTER TABLE t ADD COLUMN c INT;\nUPDATE t SET v = v + 1;\nCREATE INDEX t_c ON t (c);";
    for n in 1..=3 {
        for moment in ["before", "after"] {
            let abort = format!("{moment}:{n}");
            let Some(db) = TestDb::new(Server::Mysql, "update") else {
                return;
            };
            db.execute("CREATE TABLE t (id INT PRIMARY KEY, v INT); INSERT INTO t VALUES (1, 10)");
            let (p, _, _) = project(
                &db,
                "",
                upgrade,
                "DROP INDEX t_c ON t;\nALTER TABLE t DROP COLUMN c;",
            );
            killed(&p, &["upgrade"], &abort);
            let out = status(&p, &["upgrade"], 0);
            assert!(out.contains("Resuming"), "{abort}: {out}");
            assert_eq!(db.rows("SELECT v FROM t"), [["11"]], "{abort}");
            assert!(!ok(&p, &["current"]).contains("half done"), "{abort}");
        }
    }
}

/// A PostgreSQL revision with `-- Transaction: none`: an `UPDATE` and an
/// `INSERT ... SELECT` commit each with its progress update, and a
/// `CREATE INDEX CONCURRENTLY` (which cannot) is told by its index. Killed before
/// and after each statement, the next `upgrade` finishes it by itself, every
/// statement having run exactly once.
#[test]
fn a_transaction_none_revision_killed_on_postgres_runs_each_statement_once() {
    let upgrade = "UPDATE t SET v = v + 1;\nINSERT INTO u SELECT id, v FROM t;\nCREATE INDEX CONCURRENTLY t_v ON t (v);";
    for n in 1..=3 {
        for moment in ["before", "after"] {
            let abort = format!("{moment}:{n}");
            let Some(db) = TestDb::new(Server::Postgres, "txnone") else {
                return;
            };
            db.execute(
                "CREATE TABLE t (id INT PRIMARY KEY, v INT); INSERT INTO t VALUES (1, 10); \
                 CREATE TABLE u (id INT, v INT)",
            );
            let (p, _, _) = project(
                &db,
                "-- Transaction: none",
                upgrade,
                "DROP INDEX CONCURRENTLY t_v;",
            );
            killed(&p, &["upgrade"], &abort);
            if abort == "before:3" {
                let text = status(&p, &["check"], 1);
                assert!(
                    text.contains("is half done: its upgrade stopped after statement 2 (the run was killed while statement 3 was running, which may have run)")
                        && !text.contains("not applied: "),
                    "{text}"
                );
            }
            let out = status(&p, &["upgrade"], 0);
            assert!(out.contains("Resuming"), "{abort}: {out}");
            assert_eq!(db.rows("SELECT v FROM t"), [["11"]], "{abort}");
            assert_eq!(db.rows("SELECT id, v FROM u"), [["1", "11"]], "{abort}");
            assert_eq!(
                db.rows("SELECT i.indisvalid::text FROM pg_index i WHERE i.indexrelid = to_regclass('t_v')"),
                [["true"]],
                "{abort}"
            );
            assert!(!ok(&p, &["current"]).contains("half done"), "{abort}");
        }
    }
}

/// The index of an interrupted `CREATE INDEX CONCURRENTLY` left invalid: the next
/// run says so and how to drop it, and after the drop, as written, it finishes.
#[test]
fn an_invalid_index_left_by_a_killed_concurrent_build_is_named_with_working_advice() {
    let Some(db) = TestDb::new(Server::Postgres, "invalidix") else {
        return;
    };
    db.execute("CREATE TABLE t (id INT PRIMARY KEY, v INT); INSERT INTO t VALUES (1, 10), (2, 10)");
    let (p, path, id) = project(
        &db,
        "-- Transaction: none",
        "UPDATE t SET v = v + 1;\nCREATE INDEX CONCURRENTLY t_v ON t (v);",
        "DROP INDEX CONCURRENTLY t_v;",
    );
    killed(&p, &["upgrade"], "before:2");
    // What an interrupted build leaves: an invalid index of that name (made here by a
    // unique build that fails on the duplicates).
    let mut c = postgres::Client::connect(
        &std::env::var("WILDEBEEST_TEST_POSTGRES_URL").unwrap(),
        postgres::NoTls,
    )
    .unwrap();
    let failed = c.batch_execute(&format!(
        "CREATE UNIQUE INDEX CONCURRENTLY t_v ON \"{}\".t (v)",
        db.name
    ));
    assert!(failed.is_err());
    let text = status(&p, &["upgrade"], 2);
    let file = format!("migrations/{}", path.file_name().unwrap().to_string_lossy());
    let line = line_of(&path, "CREATE INDEX CONCURRENTLY");
    let drop = format!("DROP INDEX CONCURRENTLY {}.t_v;", db.name);
    assert!(
        text.contains(&format!(
            "{file}:{line}: revision {id} was interrupted while statement 2 of its upgrade was running, and it left the index t_v invalid"
        )) && text.contains(&format!("drop it with `{drop}`, then run `wildebeest upgrade {id}`")),
        "{text}"
    );
    c.batch_execute(&drop).unwrap();
    ok(&p, &["upgrade", &id]);
    assert_eq!(db.rows("SELECT v FROM t ORDER BY id"), [["11"], ["11"]]);
    assert_eq!(
        db.rows(
            "SELECT i.indisvalid::text FROM pg_index i WHERE i.indexrelid = to_regclass('t_v')"
        ),
        [["true"]]
    );
}

/// A statement that cannot run in a transaction and whose effect cannot be read back
/// (here a procedure that commits): killed after it ran, the next run stops with the
/// flags, and `--resume-after` as advised finishes without running it again.
#[test]
fn a_committing_procedure_killed_on_postgres_is_never_run_twice() {
    let Some(db) = TestDb::new(Server::Postgres, "pgcall") else {
        return;
    };
    db.execute(&format!(
        "CREATE TABLE t (id INT); CREATE PROCEDURE \"{0}\".add_row() LANGUAGE plpgsql AS \
         $$ BEGIN INSERT INTO \"{0}\".t VALUES (7); COMMIT; END $$",
        db.name
    ));
    let (p, _, id) = project(
        &db,
        "-- Transaction: none",
        "CALL add_row();\nCREATE TABLE last (id INT);",
        "DROP TABLE last;",
    );
    killed(&p, &["upgrade"], "after:1");
    assert_eq!(db.rows("SELECT COUNT(*) FROM t"), [["1"]]);
    let text = status(&p, &["upgrade"], 2);
    assert!(
        text.contains("while statement 1 of its upgrade was running, and wildebeest cannot tell whether it ran")
            && text.contains(&format!("`wildebeest upgrade {id} --resume-after 1`")),
        "{text}"
    );
    ok(&p, &["upgrade", &id, "--resume-after", "1"]);
    assert_eq!(db.rows("SELECT COUNT(*) FROM t"), [["1"]]);
    assert_eq!(db.rows("SELECT COUNT(*) FROM last"), [["0"]]);
}

/// A downgrade killed right after a `CALL`: the advice names the downgrade that
/// resumes it, and followed as written it finishes without calling again.
#[test]
fn a_downgrade_killed_after_a_call_on_mysql_resumes_as_advised() {
    let Some(db) = TestDb::new(Server::Mysql, "downcall") else {
        return;
    };
    db.execute("CREATE TABLE t (id INT); CREATE PROCEDURE add_row() INSERT INTO t VALUES (7)");
    let (p, _, id) = project(
        &db,
        "",
        "CREATE TABLE first (id INT);",
        "CALL add_row();\nDROP TABLE first;",
    );
    ok(&p, &["upgrade"]);
    killed(&p, &["downgrade", "base"], "after:1");
    let text = status(&p, &["downgrade", "base"], 2);
    let advice = "wildebeest downgrade base --resume-after 1";
    assert!(
        text.contains(&format!(
            "revision {id} was interrupted while statement 1 of its downgrade was running"
        )) && text.contains(&format!("`{advice}`")),
        "{text}"
    );
    let args: Vec<&str> = advice.split(' ').skip(1).collect();
    ok(&p, &args);
    assert_eq!(db.rows("SELECT COUNT(*) FROM t"), [["1"]]);
    assert!(ok(&p, &["current"]).is_empty());
}
