//! PostgreSQL triggers through the binary: hand-written `CREATE TRIGGER`, `ALTER
//! TABLE ... DISABLE TRIGGER`, `ALTER TRIGGER ... RENAME TO` and `DROP TRIGGER ...
//! ON` in a migration are followed by the replay (no warning), run, and checked; a
//! trigger on a renamed table or column moves with it; `check` names a trigger
//! changed, disabled or dropped by hand.

use crate::servers::{Server, TestDb};
use crate::util::{TempProject, hand_write, ok, run_text};

const FUNCTIONS: &str = "\
CREATE FUNCTION log_it() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO log (what) VALUES (TG_TABLE_NAME || ':' || TG_ARGV[0]);
    RETURN NULL;
END;
$$;

CREATE FUNCTION add_item() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO item (id, qty) VALUES (NEW.id, NEW.qty);
    RETURN NEW;
END;
$$;
";

#[test]
fn hand_written_triggers_are_followed_on_postgres() {
    let Some(db) = TestDb::new(Server::Postgres, "pgtrighand") else {
        return;
    };
    let p = TempProject::on(Some(&db));
    ok(&p, &["revision", "-m", "by hand"]);
    hand_write(
        &p,
        &format!(
            "{FUNCTIONS}\n\
             CREATE TABLE log (id serial PRIMARY KEY, what text NOT NULL);\n\n\
             CREATE TABLE item (id int PRIMARY KEY, qty int NOT NULL);\n\n\
             CREATE VIEW stock AS SELECT id, qty FROM item;\n\n\
             CREATE TRIGGER logged AFTER INSERT ON item FOR EACH ROW EXECUTE FUNCTION log_it('new');\n\n\
             create trigger logged after delete on log for each statement execute procedure log_it('gone');\n\n\
             CREATE TRIGGER stock_add INSTEAD OF INSERT ON stock FOR EACH ROW EXECUTE FUNCTION add_item();\n\n\
             CREATE TRIGGER temp AFTER UPDATE ON item FOR EACH ROW EXECUTE FUNCTION log_it('temp');\n\n\
             ALTER TRIGGER temp ON item RENAME TO changed;\n\n\
             ALTER TABLE item DISABLE TRIGGER changed;\n\n\
             CREATE TRIGGER gone AFTER UPDATE ON item FOR EACH ROW EXECUTE FUNCTION log_it('x');\n\n\
             DROP TRIGGER gone ON item;\n\n\
             DROP TRIGGER IF EXISTS never ON item;"
        ),
        "DROP VIEW stock;\n\nDROP TABLE item;\n\nDROP TABLE log;\n\n\
         DROP FUNCTION add_item();\n\nDROP FUNCTION log_it();",
    );
    // The same triggers in schema.sql, spelled otherwise: no change, no warning.
    p.write(
        "schema.sql",
        &format!(
            "{FUNCTIONS}\n\
             CREATE TABLE log (id serial PRIMARY KEY, what text NOT NULL);\n\
             CREATE TABLE item (id int PRIMARY KEY, qty int NOT NULL);\n\
             CREATE VIEW stock AS SELECT id, qty FROM item;\n\
             CREATE TRIGGER logged AFTER INSERT ON item FOR EACH ROW EXECUTE FUNCTION log_it('new');\n\
             CREATE TRIGGER logged AFTER DELETE ON log FOR EACH STATEMENT EXECUTE FUNCTION log_it('gone');\n\
             CREATE TRIGGER stock_add INSTEAD OF INSERT ON stock FOR EACH ROW EXECUTE FUNCTION add_item();\n\
             CREATE TRIGGER changed AFTER UPDATE ON item FOR EACH ROW EXECUTE FUNCTION log_it('temp');\n\
             ALTER TABLE item DISABLE TRIGGER changed;\n"
        ),
    );
    let out = p.cmd(&["migrate", "-m", "again"]).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stdout}{stderr}");
    assert!(stdout.starts_with("No changes"), "{stdout}{stderr}");
    assert!(stderr.is_empty(), "a warning: {stderr}");
    let (code, script) = run_text(&p, &["upgrade", "--sql"]);
    assert_eq!(code, 0, "{script}");
    assert!(
        script.contains("ALTER TRIGGER temp ON item RENAME TO changed;"),
        "{script}"
    );
    ok(&p, &["upgrade"]);
    let (code, text) = run_text(&p, &["check"]);
    assert_eq!(code, 0, "{text}");
    db.execute("INSERT INTO stock VALUES (1, 2); UPDATE item SET qty = 3; DELETE FROM log");
    db.execute("INSERT INTO item VALUES (2, 1)");
    // The view's insert went to `item` (whose `logged` fired), `changed` is
    // disabled, and `log`'s own `logged` fired for the delete.
    assert_eq!(
        db.rows("SELECT what FROM log ORDER BY id"),
        [["log:gone"], ["item:new"]]
    );

    // A table and a column renamed: the triggers move with the table (PostgreSQL
    // keeps them), and the schema says so with the new names.
    let renamed = |s: &str| {
        s.replace("ON item ", "ON goods ")
            .replace("TABLE item ", "TABLE goods ")
    };
    let schema = p.read("schema.sql");
    let next = renamed(&schema)
        .replace("CREATE TABLE item (", "CREATE TABLE goods (")
        .replace("SELECT id, qty FROM item", "SELECT id, qty FROM goods")
        .replace("INTO item (id, qty)", "INTO goods (id, qty)");
    p.write("schema.sql", &next);
    let out = ok(&p, &["migrate", "-m", "goods", "--rename", "item=goods"]);
    assert!(out.contains("renamed table `item` to `goods`"), "{out}");
    assert!(!out.contains("trigger `logged` on"), "{out}");
    ok(&p, &["upgrade"]);
    let (code, text) = run_text(&p, &["check"]);
    assert_eq!(code, 0, "{text}");
    ok(&p, &["downgrade", "-1"]);
    ok(&p, &["upgrade"]);

    // By hand on the database: a trigger enabled, one dropped, one added.
    db.execute(
        "ALTER TABLE goods ENABLE TRIGGER changed; DROP TRIGGER logged ON log; \
         CREATE TRIGGER extra BEFORE DELETE ON goods FOR EACH ROW EXECUTE FUNCTION log_it('x')",
    );
    let (code, text) = run_text(&p, &["check"]);
    assert_eq!(code, 1, "{text}");
    for named in [
        "trigger `changed` on `goods`",
        "trigger `logged` on `log`",
        "trigger `extra` on `goods`",
    ] {
        assert!(text.contains(named), "{named}: {text}");
    }
}

/// A trigger's table or name that the model cannot hold is refused by name and
/// line: a trigger on a table of another schema, one defined twice on one table, a
/// state set for a trigger not made above.
#[test]
fn postgres_triggers_the_model_cannot_hold_are_refused_in_schema_sql() {
    for (statement, named) in [
        (
            "CREATE TRIGGER a AFTER INSERT ON other.t FOR EACH ROW EXECUTE FUNCTION f();",
            "objects in schema `other`",
        ),
        (
            "CREATE TRIGGER a AFTER INSERT ON t FOR EACH ROW EXECUTE FUNCTION f();\n\
             CREATE TRIGGER a AFTER DELETE ON t FOR EACH ROW EXECUTE FUNCTION f();",
            "trigger `a` on `t`",
        ),
        (
            "ALTER TABLE t DISABLE TRIGGER nope;",
            "no trigger `nope` on `t`",
        ),
        (
            "CREATE TRIGGER a AFTER INSERT ON u FOR EACH ROW EXECUTE FUNCTION f();",
            "not a table or view these files create",
        ),
        ("ALTER TRIGGER a ON t RENAME TO b;", "ALTER TRIGGER"),
    ] {
        let p = TempProject::init();
        p.write(
            "wildebeest.toml",
            "database_url = \"postgres://localhost/x\"\n",
        );
        p.write(
            "schema.sql",
            &format!("CREATE TABLE t (a INT);\n{statement}\n"),
        );
        for command in [&["migrate", "-m", "x"][..], &["check"]] {
            let out = p.cmd(command).output().unwrap();
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert_eq!(
                out.status.code(),
                Some(2),
                "{command:?} {statement}: {stderr}"
            );
            assert!(stderr.contains("schema.sql:"), "{stderr}");
            assert!(stderr.contains(named), "{named}: {stderr}");
        }
        assert!(p.migrations().is_empty());
    }
}

/// A database with triggers made by hand is adopted: `inspect` writes each trigger
/// after its table and function (a disabled one with its `DISABLE TRIGGER`), and
/// `init --from-database` stamps a migration that `check` finds in order.
#[test]
fn a_postgres_database_with_triggers_is_adopted() {
    let Some(db) = TestDb::new(Server::Postgres, "pgtrigadopt") else {
        return;
    };
    db.execute(
        "CREATE TABLE log (id serial PRIMARY KEY, what text NOT NULL);
         CREATE TABLE item (id int PRIMARY KEY, qty int NOT NULL);
         CREATE FUNCTION log_it() RETURNS trigger LANGUAGE plpgsql AS $$
         BEGIN INSERT INTO log (what) VALUES (TG_ARGV[0]); RETURN NULL; END $$;
         CREATE TRIGGER a AFTER UPDATE OF qty ON item FOR EACH ROW
             WHEN (old.qty IS DISTINCT FROM new.qty) EXECUTE PROCEDURE log_it('qty');
         CREATE TRIGGER a AFTER TRUNCATE ON log EXECUTE FUNCTION log_it('t');
         ALTER TABLE log DISABLE TRIGGER a;",
    );
    let p = TempProject::on(Some(&db));
    let text = ok(&p, &["inspect"]);
    let function = text.find("CREATE FUNCTION log_it()").expect(&text);
    let trigger = text
        .find("CREATE TRIGGER a AFTER UPDATE OF qty ON item FOR EACH ROW WHEN (old.qty IS DISTINCT FROM new.qty) EXECUTE FUNCTION log_it('qty');")
        .expect(&text);
    assert!(function < trigger, "{text}");
    assert!(
        text.contains("CREATE TRIGGER a AFTER TRUNCATE ON log FOR EACH STATEMENT EXECUTE FUNCTION log_it('t');\n\nALTER TABLE log DISABLE TRIGGER a;"),
        "{text}"
    );
    let adopted = TempProject::new();
    let out = ok(&adopted, &["init", "--from-database", &db.url]);
    assert!(out.contains("Stamped "), "{out}");
    assert!(
        adopted
            .read("schema.sql")
            .contains("ALTER TABLE log DISABLE TRIGGER a;")
    );
    let (code, text) = run_text(&adopted, &["check"]);
    assert_eq!(code, 0, "{text}");
}

/// A migration written for PostgreSQL with a trigger, run on SQLite: refused by name
/// when the revision is planned, before anything runs.
#[test]
fn a_postgres_trigger_in_a_migration_is_refused_by_name_on_sqlite() {
    let p = TempProject::init();
    ok(&p, &["revision", "-m", "by hand"]);
    let path = p.migrations().last().unwrap().clone();
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains("-- Dialect: sqlite"), "{text}");
    let head = &text[..text.find("-- +upgrade").unwrap()];
    std::fs::write(
        &path,
        format!(
            "{}-- +upgrade\nCREATE TABLE t (a int);\n\n\
             CREATE TRIGGER tr AFTER INSERT ON t FOR EACH ROW EXECUTE FUNCTION f();\n\n\
             -- +downgrade\nDROP TABLE t;\n",
            head.replace("-- Dialect: sqlite", "-- Dialect: postgresql")
        ),
    )
    .unwrap();
    ok(&p, &["rehash"]);
    let (code, text) = run_text(&p, &["upgrade"]);
    assert_eq!(code, 2, "{text}");
    assert!(
        text.contains("trigger `tr` on `t` is PostgreSQL's: it runs a function"),
        "{text}"
    );
    assert!(
        p.rows("SELECT name FROM sqlite_master WHERE name = 't'")
            .is_empty()
    );
}
