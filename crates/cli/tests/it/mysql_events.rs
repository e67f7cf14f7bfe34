//! MySQL/MariaDB events on the real server through the binary: `check` is clean right
//! after `upgrade` (an event written without `STARTS` included, whose start the server
//! fills in) and reports one dropped or changed by hand; a `mariadb-dump --events` of
//! the database, read as `schema.sql` (its `DELIMITER ;;` sections, versioned
//! comments, definers and `SET TIME_ZONE` statements), is "No changes" for `migrate`
//! and exit 0 for `check`; a hand-written `ALTER EVENT` is refused by name; SQLite and
//! PostgreSQL refuse an event by name.

use std::process::Command;

use crate::mysql_routines::dump_args;
use crate::servers::{Server, TestDb};
use crate::util::{TempProject, ok, run_text};

const SCHEMA: &str = "\
CREATE TABLE counters (id INT PRIMARY KEY, n INT NOT NULL DEFAULT 0)
    DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;

CREATE EVENT tick ON SCHEDULE EVERY 1 DAY DISABLE
DO UPDATE counters SET n = n + 1 WHERE id = 1;

CREATE EVENT sweep ON SCHEDULE EVERY 2 HOUR STARTS '2030-01-01 00:00:00'
    ON COMPLETION PRESERVE DISABLE COMMENT 'clears old rows'
DO BEGIN
    DELETE FROM counters WHERE n > 100;
    UPDATE counters SET n = 0 WHERE id = 2;
END;

CREATE EVENT later ON SCHEDULE AT '2031-06-01 12:00:00' DISABLE
DO DELETE FROM counters WHERE id = 3;
";

#[test]
fn check_sees_an_event_dropped_or_changed_by_hand() {
    let Some(db) = TestDb::new(Server::Mysql, "eventcheck") else {
        return;
    };
    let p = TempProject::on(Some(&db));
    p.write("schema.sql", SCHEMA);
    ok(&p, &["migrate", "-m", "events"]);
    ok(&p, &["upgrade"]);
    let (code, text) = run_text(&p, &["check"]);
    assert_eq!(code, 0, "check right after upgrade: {text}");
    let inspected = ok(&p, &["inspect"]);
    assert!(inspected.contains("CREATE EVENT tick"), "{inspected}");
    db.execute("DROP EVENT sweep");
    let (code, text) = run_text(&p, &["check"]);
    assert_eq!(code, 1, "{text}");
    assert!(text.contains("event `sweep`"), "{text}");
    // Made again by hand with another schedule: still drift.
    db.execute(
        "CREATE EVENT sweep ON SCHEDULE EVERY 3 HOUR STARTS '2030-01-01 00:00:00' \
         ON COMPLETION PRESERVE DISABLE COMMENT 'clears old rows' \
         DO BEGIN DELETE FROM counters WHERE n > 100; UPDATE counters SET n = 0 WHERE id = 2; END",
    );
    let (code, text) = run_text(&p, &["check"]);
    assert_eq!(code, 1, "{text}");
    assert!(text.contains("event `sweep`"), "{text}");
    ok(&p, &["downgrade", "base", "--allow-data-loss"]);
    assert_eq!(
        db.rows("SELECT COUNT(*) FROM information_schema.EVENTS WHERE EVENT_SCHEMA = DATABASE()"),
        vec![vec!["0".to_string()]]
    );
}

#[test]
fn a_mariadb_dump_with_events_is_no_change() {
    let Some(db) = TestDb::new(Server::Mysql, "eventdump") else {
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
    ok(&p, &["migrate", "-m", "events"]);
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
        dump.contains("/*!50106 CREATE*/") && dump.contains("TIME_ZONE"),
        "{dump}"
    );
    p.write("schema.sql", &dump);
    let (code, text) = run_text(&p, &["migrate", "-m", "again"]);
    assert_eq!(code, 0, "{text}");
    assert!(text.contains("No changes"), "{text}");
    let (code, text) = run_text(&p, &["check"]);
    assert_eq!(code, 0, "{text}");
    // A body changed in the dump is a change, dropped and made again.
    p.write("schema.sql", &dump.replace("n > 100", "n > 50"));
    let (code, text) = run_text(&p, &["migrate", "-m", "sweep"]);
    assert_eq!(code, 0, "{text}");
    let migration = std::fs::read_to_string(p.migrations().last().unwrap()).unwrap();
    assert!(
        migration.contains("DROP EVENT sweep") && migration.contains("n > 50"),
        "{migration}"
    );
    ok(&p, &["upgrade"]);
    let (code, text) = run_text(&p, &["check"]);
    assert_eq!(code, 0, "{text}");
    ok(&p, &["downgrade", "base"]);
}

#[test]
fn a_hand_written_alter_event_is_refused_by_name() {
    let Some(db) = TestDb::new(Server::Mysql, "eventalter") else {
        return;
    };
    let p = TempProject::on(Some(&db));
    p.write("schema.sql", SCHEMA);
    ok(&p, &["migrate", "-m", "events"]);
    ok(&p, &["revision", "-m", "alter"]);
    let path = p.migrations().last().unwrap().clone();
    let text = std::fs::read_to_string(&path).unwrap();
    let head = &text[..text.find("-- +upgrade").unwrap()];
    std::fs::write(
        &path,
        format!(
            "{head}-- +upgrade\nALTER EVENT tick ENABLE;\n\n-- +downgrade\nALTER EVENT tick DISABLE;\n"
        ),
    )
    .unwrap();
    ok(&p, &["rehash"]);
    let (code, out) = run_text(&p, &["migrate", "-m", "next"]);
    assert_eq!(code, 2, "{out}");
    assert!(out.contains("ALTER EVENT"), "{out}");
}

#[test]
fn sqlite_and_postgresql_refuse_an_event_by_name() {
    let schema = "CREATE TABLE t (id INTEGER PRIMARY KEY);\n\
                  CREATE EVENT e ON SCHEDULE EVERY 1 DAY DO DELETE FROM t;\n";
    let lite = TempProject::init();
    lite.write("schema.sql", schema);
    let (code, out) = run_text(&lite, &["migrate", "-m", "e"]);
    assert_eq!(code, 2, "{out}");
    assert!(
        out.contains("schema.sql:2") && out.contains("event"),
        "{out}"
    );
    let Some(db) = TestDb::new(Server::Postgres, "eventpg") else {
        return;
    };
    let pg = TempProject::on(Some(&db));
    pg.write("schema.sql", schema);
    let (code, out) = run_text(&pg, &["migrate", "-m", "e"]);
    assert_eq!(code, 2, "{out}");
    assert!(
        out.contains("schema.sql:2") && out.contains("event"),
        "{out}"
    );
}
