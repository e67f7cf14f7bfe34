//! Triggers on real databases through the binary: `check` finds the triggers the
//! migrations make right after `upgrade` and reports one dropped or changed by hand
//! (SQLite, MySQL); a hand-written `CREATE TRIGGER` in a migration is followed by the
//! replay; a table renamed under a trigger keeps it; a column a trigger names renamed
//! or dropped by `migrate` has the trigger dropped before and made again after;
//! objects the model does not hold are refused in `schema.sql` by name and line.
//! PostgreSQL's triggers are `pg_triggers`'.

use crate::servers::{Server, TestDb};
use crate::util::{TempProject, hand_write, ok};

const SQLITE_SCHEMA: &str = "\
CREATE TABLE accounts (id INTEGER PRIMARY KEY, balance INTEGER NOT NULL);
CREATE TABLE audit (account_id INTEGER, note TEXT);
CREATE TRIGGER accounts_audit AFTER UPDATE OF balance ON accounts
BEGIN
    INSERT INTO audit VALUES (new.id, 'balance');
END;
";

const MYSQL_SCHEMA: &str = "\
CREATE TABLE accounts (id INT PRIMARY KEY, balance INT NOT NULL);
CREATE TABLE audit (account_id INT, note VARCHAR(20));
CREATE TRIGGER accounts_audit AFTER UPDATE ON accounts FOR EACH ROW
BEGIN
    INSERT INTO audit VALUES (NEW.id, 'balance');
END;
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

/// `check`'s exit status and what it printed.
fn check(p: &TempProject) -> (Option<i32>, String) {
    let out = p.cmd(&["check"]).output().unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.code(), text)
}

fn check_sees_the_trigger(db: Option<&TestDb>, schema: &str, other_body: &str, same: &str) {
    let p = project(db);
    p.write("schema.sql", schema);
    ok(&p, &["migrate", "-m", "accounts"]);
    ok(&p, &["upgrade"]);
    let (code, text) = check(&p);
    assert_eq!(code, Some(0), "check right after upgrade: {text}");
    let inspected = ok(&p, &["inspect"]);
    assert!(
        inspected.contains("CREATE TRIGGER accounts_audit AFTER UPDATE"),
        "{inspected}"
    );
    execute(&p, db, "DROP TRIGGER accounts_audit");
    let (code, text) = check(&p);
    assert_eq!(code, Some(1), "{text}");
    assert!(
        text.contains("removed trigger `accounts_audit` on `accounts`"),
        "{text}"
    );
    // Made again by hand with another body: still drift.
    execute(&p, db, other_body);
    let (code, text) = check(&p);
    assert_eq!(code, Some(1), "{text}");
    assert!(text.contains("trigger `accounts_audit`"), "{text}");
    // Made again as the schema has it, spelled otherwise: no drift.
    execute(&p, db, "DROP TRIGGER accounts_audit");
    execute(&p, db, same);
    let (code, text) = check(&p);
    assert_eq!(code, Some(0), "{text}");
    ok(&p, &["downgrade", "base"]);
}

#[test]
fn check_sees_a_trigger_dropped_or_changed_by_hand_on_sqlite() {
    check_sees_the_trigger(
        None,
        SQLITE_SCHEMA,
        "CREATE TRIGGER accounts_audit AFTER UPDATE OF balance ON accounts \
         BEGIN INSERT INTO audit VALUES (new.id, 'other'); END",
        "create trigger accounts_audit after update of balance on accounts \
         begin insert into audit values (NEW.id, 'balance'); end",
    );
}

#[test]
fn check_sees_a_trigger_dropped_or_changed_by_hand_on_mysql() {
    if let Some(db) = TestDb::new(Server::Mysql, "triggercheck") {
        check_sees_the_trigger(
            Some(&db),
            MYSQL_SCHEMA,
            "CREATE TRIGGER accounts_audit AFTER UPDATE ON accounts FOR EACH ROW \
             INSERT INTO audit VALUES (NEW.id, 'other')",
            "create trigger accounts_audit after update on accounts for each row \
             begin insert into audit values (NEW.id, 'balance'); end",
        );
    }
}

#[test]
fn check_sees_a_trigger_made_by_hand_on_sqlite() {
    let p = project(None);
    p.write("schema.sql", SQLITE_SCHEMA);
    ok(&p, &["migrate", "-m", "accounts"]);
    ok(&p, &["upgrade"]);
    execute(
        &p,
        None,
        "CREATE TRIGGER extra AFTER INSERT ON audit BEGIN SELECT 1; END",
    );
    let (code, text) = check(&p);
    assert_eq!(code, Some(1), "{text}");
    assert!(text.contains("trigger `extra` on `audit`"), "{text}");
}

#[test]
fn a_hand_written_create_trigger_is_replayed_and_a_table_rename_keeps_it() {
    let p = project(None);
    ok(&p, &["revision", "-m", "by hand"]);
    hand_write(
        &p,
        "CREATE TABLE t (a INTEGER);\n\nCREATE TABLE log (a INTEGER);\n\n\
         create trigger t_log after insert on t begin insert into log values (new.a); end;",
        "DROP TRIGGER t_log;\n\nDROP TABLE log;\n\nDROP TABLE t;",
    );
    // The same trigger spelled otherwise in schema.sql: no change, no warning.
    p.write(
        "schema.sql",
        "CREATE TABLE t (a INTEGER);\nCREATE TABLE log (a INTEGER);\n\
         CREATE TRIGGER t_log AFTER INSERT ON t BEGIN INSERT INTO log VALUES (NEW.a); END;\n",
    );
    let out = p.cmd(&["migrate", "-m", "again"]).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stdout}{stderr}");
    assert!(stdout.starts_with("No changes"), "{stdout}{stderr}");
    assert!(!stderr.contains("not"), "a warning: {stderr}");
    ok(&p, &["upgrade"]);
    assert_eq!(check(&p).0, Some(0));

    // The table renamed: the trigger, which does not name it, moves with it.
    p.write(
        "schema.sql",
        "CREATE TABLE u (a INTEGER);\nCREATE TABLE log (a INTEGER);\n\
         CREATE TRIGGER t_log AFTER INSERT ON u BEGIN INSERT INTO log VALUES (NEW.a); END;\n",
    );
    let out = ok(&p, &["migrate", "-m", "rename", "--rename", "t=u"]);
    assert!(!out.contains("trigger"), "{out}");
    ok(&p, &["upgrade"]);
    let (code, text) = check(&p);
    assert_eq!(code, Some(0), "{text}");
    execute(&p, None, "INSERT INTO u VALUES (7)");
    assert_eq!(p.rows("SELECT a FROM log"), vec![vec!["7".to_string()]]);
    // And back: the trigger is on `t` again and fires.
    ok(&p, &["downgrade", "-1"]);
    execute(&p, None, "INSERT INTO t VALUES (8)");
    assert_eq!(
        p.rows("SELECT a FROM log ORDER BY a"),
        vec![vec!["7".to_string()], vec!["8".to_string()]]
    );
}

#[test]
fn objects_the_model_does_not_hold_are_refused_in_schema_sql() {
    for (url, statement, named) in [
        (
            "postgres://localhost/x",
            "CREATE STATISTICS t_stats ON a, a FROM t",
            "creates a statistics object",
        ),
        (
            "sqlite:app.db",
            "CREATE VIRTUAL TABLE docs USING fts5(body)",
            "creates a virtual table",
        ),
        (
            "postgres://localhost/x",
            "CREATE EVENT nightly ON SCHEDULE EVERY 1 DAY DO DELETE FROM t",
            "creates an event",
        ),
    ] {
        let p = TempProject::init();
        p.write("wildebeest.toml", &format!("database_url = \"{url}\"\n"));
        p.write(
            "schema.sql",
            &format!("CREATE TABLE t (a INT);\n{statement};\n"),
        );
        for command in [&["migrate", "-m", "x"][..], &["check"]] {
            let out = p.cmd(command).output().unwrap();
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert_eq!(
                out.status.code(),
                Some(2),
                "{command:?} {statement}: {stderr}"
            );
            assert!(stderr.contains("schema.sql:2:"), "{stderr}");
            assert!(stderr.contains(named), "{stderr}");
        }
        assert!(p.migrations().is_empty());
    }
}

/// A column a trigger names, renamed and then dropped by `migrate`: the trigger is
/// dropped before each change and made again after as the schema writes it, so the
/// database never holds a trigger naming a column that is gone (SQLite refuses to
/// drop such a column; MySQL's trigger would stop working), and the downgrades give
/// each state back.
fn a_column_a_trigger_names_is_renamed_then_dropped(db: Option<&TestDb>, int: &str) {
    let p = project(db);
    let schema = |columns: &str, value: &str| {
        let body = if db.is_some() {
            format!("FOR EACH ROW INSERT INTO audit VALUES (NEW.id, NEW.{value})")
        } else {
            format!("BEGIN INSERT INTO audit VALUES (NEW.id, NEW.{value}); END")
        };
        format!(
            "CREATE TABLE accounts (id {int} PRIMARY KEY, {columns});\n\
             CREATE TABLE audit (account_id {int}, amount {int});\n\
             CREATE TRIGGER accounts_audit AFTER INSERT ON accounts {body};\n"
        )
    };
    let step = |schema: String, args: &[&str]| {
        p.write("schema.sql", &schema);
        let out = ok(&p, args);
        assert!(out.contains("removed trigger `accounts_audit`"), "{out}");
        assert!(out.contains("added trigger `accounts_audit`"), "{out}");
        ok(&p, &["upgrade", "--allow-data-loss"]);
        let (code, text) = check(&p);
        assert_eq!(code, Some(0), "{text}");
    };
    p.write(
        "schema.sql",
        &schema(&format!("balance {int}, spare {int}"), "balance"),
    );
    ok(&p, &["migrate", "-m", "accounts"]);
    ok(&p, &["upgrade"]);
    execute(&p, db, "INSERT INTO accounts VALUES (1, 10, 20)");
    step(
        schema(&format!("amount {int}, spare {int}"), "amount"),
        &[
            "migrate",
            "-m",
            "rename",
            "--rename",
            "accounts.balance=amount",
        ],
    );
    // Renamed, not dropped and added: the value is still there.
    let newest = std::fs::read_to_string(p.migrations().last().unwrap()).unwrap();
    let upgrade = &newest[..newest.find("-- +downgrade").unwrap()];
    assert!(
        upgrade.contains("RENAME COLUMN balance TO amount"),
        "{newest}"
    );
    assert!(!upgrade.contains("DROP COLUMN"), "{newest}");
    step(
        schema(&format!("spare {int}"), "spare"),
        &["migrate", "-m", "drop"],
    );
    execute(&p, db, "INSERT INTO accounts VALUES (2, 30)");
    ok(&p, &["downgrade", "-1", "--allow-data-loss"]);
    execute(&p, db, "INSERT INTO accounts VALUES (3, 40, 50)");
    ok(&p, &["downgrade", "base", "--allow-data-loss"]);
}

#[test]
fn a_column_a_trigger_names_is_renamed_then_dropped_on_sqlite() {
    a_column_a_trigger_names_is_renamed_then_dropped(None, "INTEGER");
}

#[test]
fn a_column_a_trigger_names_is_renamed_then_dropped_on_mysql() {
    if let Some(db) = TestDb::new(Server::Mysql, "triggercolumns") {
        a_column_a_trigger_names_is_renamed_then_dropped(Some(&db), "INT");
    }
}
