//! MySQL stored functions and procedures on the real server through the binary:
//! `check` finds the routines the migrations make right after `upgrade` and reports
//! one dropped or changed by hand; a `mariadb-dump --no-data --routines --triggers
//! --events` of the database, read as `schema.sql` (its `DELIMITER ;;` sections, the
//! definers, the server's `RETURNS int(11)`), is "No changes" for `migrate` and exit 0
//! for `check`; a hand-written `CREATE PROCEDURE` in a migration is followed by the
//! replay; SQLite refuses a routine by name.

use std::process::Command;

use crate::servers::{Server, TestDb};
use crate::util::{TempProject, ok, run_text};

const SCHEMA: &str = "\
CREATE TABLE items (id INT PRIMARY KEY, price INT NOT NULL)
    DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;
CREATE TABLE audit (item_id INT, note VARCHAR(40))
    DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;

CREATE FUNCTION with_tax(p INT) RETURNS INT DETERMINISTIC RETURN p * 2;

CREATE FUNCTION label(n INT) RETURNS VARCHAR(20) DETERMINISTIC COMMENT 'a word'
BEGIN
    IF n > 10 THEN
        RETURN 'many';
    END IF;
    RETURN 'few';
END;

CREATE PROCEDURE note(IN k INT, OUT done INT)
    MODIFIES SQL DATA
    SQL SECURITY INVOKER
BEGIN
    INSERT INTO audit VALUES (k, label(k));
    SET done = 1;
END;

CREATE TRIGGER items_note AFTER INSERT ON items FOR EACH ROW CALL note(NEW.id, @done);
";

/// `check`'s exit status and what it printed.
fn check(p: &TempProject) -> (i32, String) {
    run_text(p, &["check"])
}

#[test]
fn check_sees_a_routine_dropped_or_changed_by_hand_on_mysql() {
    let Some(db) = TestDb::new(Server::Mysql, "routinecheck") else {
        return;
    };
    let p = TempProject::on(Some(&db));
    p.write("schema.sql", SCHEMA);
    ok(&p, &["migrate", "-m", "items"]);
    ok(&p, &["upgrade"]);
    let (code, text) = check(&p);
    assert_eq!(code, 0, "check right after upgrade: {text}");
    db.execute("INSERT INTO items VALUES (12, 5)");
    assert_eq!(
        db.rows("SELECT item_id, note FROM audit"),
        vec![vec!["12".to_string(), "many".to_string()]]
    );
    let inspected = ok(&p, &["inspect"]);
    assert!(
        inspected.contains("CREATE FUNCTION with_tax(p INT) RETURNS int(11)"),
        "{inspected}"
    );
    db.execute("DROP FUNCTION with_tax");
    let (code, text) = check(&p);
    assert_eq!(code, 1, "{text}");
    assert!(text.contains("function `with_tax`"), "{text}");
    // Made again by hand with another body: still drift.
    db.execute("CREATE FUNCTION with_tax(p INT) RETURNS INT DETERMINISTIC RETURN p * 3");
    let (code, text) = check(&p);
    assert_eq!(code, 1, "{text}");
    assert!(text.contains("function `with_tax`"), "{text}");
    // Made again as the schema has it, spelled otherwise: no drift.
    db.execute("DROP FUNCTION with_tax");
    db.execute("create function with_tax(p int) returns int(11) deterministic return p * 2");
    let (code, text) = check(&p);
    assert_eq!(code, 0, "{text}");
    ok(&p, &["downgrade", "base", "--allow-data-loss"]);
    assert_eq!(
        db.rows(
            "SELECT COUNT(*) FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = DATABASE()"
        ),
        vec![vec!["0".to_string()]]
    );
}

/// The server's host, port and user from `url` (`mysql://user[:password]@host:port/db`).
pub(crate) fn dump_args(url: &str) -> Vec<String> {
    let rest = url.strip_prefix("mysql://").unwrap_or(url);
    let (auth, rest) = rest.split_once('@').unwrap_or(("root", rest));
    let (user, password) = auth.split_once(':').unwrap_or((auth, ""));
    let (host_port, db) = rest.split_once('/').unwrap_or((rest, ""));
    let (host, port) = host_port.split_once(':').unwrap_or((host_port, "3306"));
    let mut args = vec![
        format!("--host={host}"),
        format!("--port={port}"),
        format!("--user={user}"),
    ];
    if !password.is_empty() {
        args.push(format!("--password={password}"));
    }
    args.extend(
        [
            "--no-data",
            "--routines",
            "--triggers",
            "--events",
            "--skip-comments",
        ]
        .map(String::from),
    );
    args.push(db.split('?').next().unwrap_or(db).to_string());
    args
}

#[test]
fn a_mariadb_dump_with_routines_and_triggers_is_no_change() {
    let Some(db) = TestDb::new(Server::Mysql, "routinedump") else {
        return;
    };
    let dumper = ["mariadb-dump", "mysqldump"]
        .into_iter()
        .find(|d| Command::new(d).arg("--version").output().is_ok());
    let Some(dumper) = dumper else {
        wildebeest_testkit::skip("neither mariadb-dump nor mysqldump is on the PATH");
        return;
    };
    let p = TempProject::on(Some(&db));
    p.write("schema.sql", SCHEMA);
    ok(&p, &["migrate", "-m", "items"]);
    ok(&p, &["upgrade"]);
    let out = Command::new(dumper)
        .args(dump_args(&db.url))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let dump = String::from_utf8(out.stdout).unwrap();
    assert!(
        dump.contains("DELIMITER ;;") && dump.contains("DEFINER="),
        "{dump}"
    );
    p.write("schema.sql", &dump);
    let (code, text) = run_text(&p, &["migrate", "-m", "again"]);
    assert_eq!(code, 0, "{text}");
    assert!(text.contains("No changes"), "{text}");
    let (code, text) = check(&p);
    assert_eq!(code, 0, "{text}");
    // A body changed in the dump is a change.
    p.write("schema.sql", &dump.replace("p * 2", "p * 4"));
    let (code, text) = run_text(&p, &["migrate", "-m", "tax"]);
    assert_eq!(code, 0, "{text}");
    let migration = std::fs::read_to_string(p.migrations().last().unwrap()).unwrap();
    assert!(
        migration.contains("DROP FUNCTION with_tax") && migration.contains("p * 4"),
        "{migration}"
    );
    ok(&p, &["upgrade"]);
    let (code, text) = check(&p);
    assert_eq!(code, 0, "{text}");
    ok(&p, &["downgrade", "base"]);
}

#[test]
fn a_hand_written_procedure_is_followed_and_sqlite_refuses_one() {
    let Some(db) = TestDb::new(Server::Mysql, "routinehand") else {
        return;
    };
    let p = TempProject::on(Some(&db));
    p.write("schema.sql", "CREATE TABLE t (id INT PRIMARY KEY);\n");
    ok(&p, &["migrate", "-m", "t"]);
    ok(&p, &["revision", "-m", "proc"]);
    let path = p.migrations().last().unwrap().clone();
    let text = std::fs::read_to_string(&path).unwrap();
    let head = &text[..text.find("-- +upgrade").unwrap()];
    std::fs::write(
        &path,
        format!(
            "{head}-- +upgrade\nDELIMITER //\nCREATE DEFINER=CURRENT_USER PROCEDURE ping() \
             BEGIN SELECT 1; SELECT 2; END //\nDELIMITER ;\n\n-- +downgrade\nDROP PROCEDURE ping;\n"
        ),
    )
    .unwrap();
    ok(&p, &["rehash"]);
    let (code, out) = run_text(&p, &["upgrade"]);
    assert_eq!(code, 0, "{out}");
    assert!(!out.contains("not understood"), "{out}");
    // The model follows it: the schema lacks it, so `migrate` drops it.
    let (code, out) = run_text(&p, &["migrate", "-m", "drop"]);
    assert_eq!(code, 0, "{out}");
    let migration = std::fs::read_to_string(p.migrations().last().unwrap()).unwrap();
    assert!(migration.contains("DROP PROCEDURE ping"), "{migration}");
    ok(&p, &["downgrade", "base"]);

    let lite = TempProject::init();
    lite.write(
        "schema.sql",
        "CREATE TABLE t (id INTEGER PRIMARY KEY);\nCREATE PROCEDURE p() SELECT 1;\n",
    );
    let (code, out) = run_text(&lite, &["migrate", "-m", "p"]);
    assert_eq!(code, 2, "{out}");
    assert!(
        out.contains("schema.sql:2") && out.contains("SQLite has no functions or procedures"),
        "{out}"
    );
}

#[test]
fn an_upgrade_sql_script_with_compound_bodies_runs_in_the_mysql_client() {
    let Some(db) = TestDb::new(Server::Mysql, "routinescript") else {
        return;
    };
    let client = ["mariadb", "mysql"]
        .into_iter()
        .find(|d| Command::new(d).arg("--version").output().is_ok());
    let Some(client) = client else {
        wildebeest_testkit::skip("neither mariadb nor mysql is on the PATH");
        return;
    };
    let p = TempProject::on(Some(&db));
    p.write("schema.sql", SCHEMA);
    ok(&p, &["migrate", "-m", "items"]);
    let script = ok(&p, &["upgrade", "--sql"]);
    assert!(
        script.contains("DELIMITER ;;\nCREATE PROCEDURE note"),
        "{script}"
    );
    let mut args: Vec<String> = dump_args(&db.url)
        .into_iter()
        .filter(|a| {
            a.starts_with("--host")
                || a.starts_with("--port")
                || a.starts_with("--user")
                || a.starts_with("--password")
        })
        .collect();
    args.push(db.name.clone());
    let mut child = Command::new(client)
        .args(&args)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write as _;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(script.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // The script made what `upgrade` makes: `check` finds it in order.
    let (code, text) = check(&p);
    assert_eq!(code, 0, "{text}");
    ok(&p, &["downgrade", "base"]);
}
