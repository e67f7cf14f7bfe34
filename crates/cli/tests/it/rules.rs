//! PostgreSQL rules through the binary: hand-written `CREATE [OR REPLACE] RULE`,
//! `ALTER RULE ... RENAME TO` and `DROP RULE` in a migration are followed by the
//! replay (no warning), made and checked; a rule dropped by hand is drift; SQLite
//! and MySQL refuse a rule by name before anything runs.

use crate::servers::{Server, TestDb};
use crate::util::{TempProject, hand_write, ok, run_text};

#[test]
fn hand_written_rules_are_followed_on_postgres() {
    let Some(db) = TestDb::new(Server::Postgres, "ruleshand") else {
        return;
    };
    let p = TempProject::on(Some(&db));
    ok(&p, &["revision", "-m", "by hand"]);
    hand_write(
        &p,
        "CREATE TABLE item (id int PRIMARY KEY, qty int NOT NULL);\n\n\
         CREATE TABLE item_log (item_id int, note text);\n\n\
         CREATE RULE first AS ON INSERT TO item DO ALSO INSERT INTO item_log VALUES (NEW.id, 'x');\n\n\
         CREATE OR REPLACE RULE first AS ON INSERT TO item\n    DO ALSO INSERT INTO item_log (item_id, note) VALUES (NEW.id, 'added');\n\n\
         ALTER RULE first ON item RENAME TO log_insert;\n\n\
         CREATE RULE keep AS ON DELETE TO item WHERE OLD.qty > 0 DO INSTEAD NOTHING;\n\n\
         CREATE RULE gone AS ON UPDATE TO item DO INSTEAD NOTHING;\n\n\
         DROP RULE gone ON item;\n\n\
         DROP RULE IF EXISTS never ON item;",
        "DROP TABLE item;\n\nDROP TABLE item_log;",
    );
    p.write(
        "schema.sql",
        "CREATE TABLE item (id int PRIMARY KEY, qty int NOT NULL);\n\
         CREATE TABLE item_log (item_id int, note text);\n\
         CREATE RULE log_insert AS ON INSERT TO item\n    \
         DO INSERT INTO item_log (item_id, note) VALUES (new.id, 'added'::text);\n\
         CREATE RULE keep AS ON DELETE TO public.item WHERE (old.qty > 0) DO INSTEAD NOTHING;\n",
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
    // The rules run: an insert is logged, a delete of a row in stock does nothing.
    db.execute("INSERT INTO item VALUES (1, 5); DELETE FROM item WHERE id = 1");
    assert_eq!(db.rows("SELECT count(*) FROM item"), [["1"]]);
    assert_eq!(
        db.rows("SELECT item_id, note FROM item_log"),
        [["1", "added"]]
    );
    // The downgrade drops the tables with their rules; upgrade again, and a rule
    // dropped or changed by hand is drift.
    ok(&p, &["downgrade", "-1", "--allow-data-loss"]);
    ok(&p, &["upgrade"]);
    db.execute("DROP RULE keep ON item");
    let (code, text) = run_text(&p, &["check"]);
    assert_eq!(code, 1, "{text}");
    assert!(text.contains("rule `keep` on `item`"), "{text}");
    db.execute("CREATE RULE keep AS ON DELETE TO item WHERE OLD.qty > 1 DO INSTEAD NOTHING");
    let (code, text) = run_text(&p, &["check"]);
    assert_eq!(code, 1, "{text}");
    assert!(text.contains("rule `keep` on `item`"), "{text}");
}

#[test]
fn a_rule_in_a_migration_is_refused_by_name_on_sqlite() {
    let p = TempProject::init();
    ok(&p, &["revision", "-m", "by hand"]);
    hand_write(
        &p,
        "CREATE TABLE doc (id INTEGER PRIMARY KEY);\n\n\
         CREATE RULE quiet AS ON DELETE TO doc DO INSTEAD NOTHING;",
        "DROP TABLE doc;",
    );
    let (code, text) = run_text(&p, &["upgrade"]);
    assert_eq!(code, 2, "{text}");
    assert!(
        text.contains("rule `quiet` on `doc` is PostgreSQL's (`CREATE RULE`); SQLite has none"),
        "{text}"
    );
    // Nothing ran.
    assert!(
        p.rows("SELECT name FROM sqlite_master WHERE name = 'doc'")
            .is_empty()
    );
}

#[test]
fn a_rule_in_a_migration_is_refused_by_name_on_mysql() {
    let Some(db) = TestDb::new(Server::Mysql, "rulesmysql") else {
        return;
    };
    let p = TempProject::on(Some(&db));
    ok(&p, &["revision", "-m", "by hand"]);
    hand_write(
        &p,
        "CREATE TABLE doc (id INT PRIMARY KEY);\n\n\
         CREATE RULE quiet AS ON DELETE TO doc DO INSTEAD NOTHING;",
        "DROP TABLE doc;",
    );
    let (code, text) = run_text(&p, &["upgrade"]);
    assert_eq!(code, 2, "{text}");
    assert!(
        text.contains("rule `quiet` on `doc` is PostgreSQL's (`CREATE RULE`); MySQL has none"),
        "{text}"
    );
    // Nothing ran.
    assert!(db.rows("SHOW TABLES LIKE 'doc'").is_empty());
}

/// A hand-written `DROP TABLE` of a table another table's rule names, which
/// PostgreSQL refuses, is not followed by the replay, which says why by name.
#[test]
fn dropping_a_table_a_rule_names_is_not_followed_by_the_replay() {
    let p = TempProject::init();
    p.write(
        "wildebeest.toml",
        "database_url = \"postgres://localhost/x\"\n",
    );
    ok(&p, &["revision", "-m", "by hand"]);
    hand_write(
        &p,
        "CREATE TABLE item (id int PRIMARY KEY);\n\n\
         CREATE TABLE item_log (item_id int);\n\n\
         CREATE RULE log_insert AS ON INSERT TO item DO ALSO INSERT INTO item_log VALUES (NEW.id);\n\n\
         DROP TABLE item_log;",
        "DROP TABLE item;",
    );
    p.write("schema.sql", "CREATE TABLE item (id int PRIMARY KEY);\n");
    let (_, text) = run_text(&p, &["migrate", "-m", "x"]);
    assert!(
        text.contains(
            "table `item_log` is named by rule `log_insert` on `item`: drop the rule first; \
             the replayed schema ignores `DROP TABLE item_log`"
        ),
        "{text}"
    );
}
