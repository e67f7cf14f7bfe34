//! What the model cannot hold (`Table::unmodeled`) is never lost or ignored silently:
//! `migrate` refuses what it would lose, naming schema.sql's line, and `check` reports
//! the same as a difference to write by hand.

use predicates::prelude::*;
use predicates::str::contains;

use crate::util::TempProject;
use crate::util::ok as stdout_of;

/// A project whose migrations are written in MySQL; `migrate` needs no server.
fn mysql_project() -> TempProject {
    let p = TempProject::init();
    p.write(
        "wildebeest.toml",
        "database_url = \"mysql://root@127.0.0.1:3306/test\"\n",
    );
    p
}

/// A hand-written revision (`revision`, then its sections filled in), rehashed.
fn hand_written(p: &TempProject, message: &str, upgrade: &str, downgrade: &str) {
    stdout_of(p, &["revision", "-m", message]);
    let path = p.migrations().pop().unwrap();
    let text = std::fs::read_to_string(&path).unwrap();
    let text = text
        .replace("-- +upgrade\n", &format!("-- +upgrade\n{upgrade}\n"))
        .replace("-- +downgrade\n", &format!("-- +downgrade\n{downgrade}\n"));
    std::fs::write(&path, text).unwrap();
    stdout_of(p, &["rehash"]);
}

const PRICES: &str = "CREATE TABLE t (
  id int NOT NULL,
  price decimal(10,2),
  PRIMARY KEY (id)
);
";

/// A generated column was once an unmodeled part, refused when added; it is modeled
/// now, so it is added as generated (never as a plain column), and a hand-written one
/// is followed by the model like any other.
#[test]
fn an_added_generated_column_is_added_as_generated_not_as_a_plain_column() {
    let p = mysql_project();
    p.write("schema.sql", PRICES);
    stdout_of(&p, &["migrate", "-m", "one"]);
    let with_tax = PRICES.replace(
        "  PRIMARY KEY",
        "  price_tax decimal(10,2) AS (price * 1.2) STORED,\n  PRIMARY KEY",
    );
    p.write("schema.sql", &with_tax);
    p.cmd(&["migrate", "-m", "two"])
        .assert()
        .success()
        .stderr(contains("kept as unmodeled").not());
    let two = std::fs::read_to_string(p.migrations().pop().unwrap()).unwrap();
    assert!(
        two.contains(
            "-- +upgrade\nALTER TABLE t ADD COLUMN price_tax DECIMAL(10, 2) GENERATED ALWAYS AS \
             (price * 1.2) STORED;\n\n-- +downgrade\nALTER TABLE t DROP COLUMN price_tax;\n"
        ),
        "{two}"
    );
    std::fs::remove_file(p.migrations().pop().unwrap()).unwrap();
    stdout_of(&p, &["rehash"]);

    // Written by hand instead, the column and its expression are what the migrations
    // make: nothing more to generate, and changing the expression is seen.
    hand_written(
        &p,
        "tax",
        "ALTER TABLE t ADD COLUMN price_tax decimal(10,2) AS (price * 1.2) STORED;",
        "ALTER TABLE t DROP COLUMN price_tax;",
    );
    p.cmd(&["migrate", "-m", "three"])
        .assert()
        .success()
        .stdout(contains("No changes"));
    p.write("schema.sql", &with_tax.replace("1.2", "1.3"));
    stdout_of(&p, &["migrate", "-m", "four"]);
    let four = std::fs::read_to_string(p.migrations().pop().unwrap()).unwrap();
    assert!(
        four.contains(
            "-- +upgrade\nALTER TABLE t DROP COLUMN price_tax;\n\nALTER TABLE t ADD COLUMN \
             price_tax DECIMAL(10, 2) GENERATED ALWAYS AS (price * 1.3) STORED;\n\n\
             -- +downgrade\nALTER TABLE t DROP COLUMN price_tax;\n\nALTER TABLE t ADD COLUMN \
             price_tax DECIMAL(10, 2) GENERATED ALWAYS AS (price * 1.2) STORED;\n"
        ),
        "{four}"
    );
    // Dropping it makes a downgrade that adds it back generated, not plain, and
    // asks no consent: its values are derived.
    p.write("schema.sql", PRICES);
    stdout_of(&p, &["migrate", "-m", "five"]);
    let five = std::fs::read_to_string(p.migrations().pop().unwrap()).unwrap();
    assert!(
        five.contains(
            "-- +upgrade\nALTER TABLE t DROP COLUMN price_tax;\n\n-- +downgrade\nALTER TABLE t \
             ADD COLUMN price_tax DECIMAL(10, 2) GENERATED ALWAYS AS (price * 1.3) STORED;\n"
        ),
        "{five}"
    );
    assert!(!five.contains("DATA LOSS"), "{five}");
}

/// SQLite's `ALTER TABLE ... ADD COLUMN` refuses a STORED generated column: the
/// migration says `ADD COLUMN`, and `upgrade` carries it out as a table rebuild whose
/// copy leaves the generated column to SQLite.
#[test]
fn a_stored_generated_column_added_in_sqlite_is_added_by_a_rebuild() {
    let p = TempProject::init();
    p.write(
        "schema.sql",
        "CREATE TABLE t (id INTEGER PRIMARY KEY, a INTEGER);\n",
    );
    stdout_of(&p, &["migrate", "-m", "one"]);
    stdout_of(&p, &["upgrade"]);
    let conn = rusqlite::Connection::open(p.path().join("app.db")).unwrap();
    conn.execute_batch("INSERT INTO t (id, a) VALUES (1, 21)")
        .unwrap();
    p.write(
        "schema.sql",
        "CREATE TABLE t (\n  id INTEGER PRIMARY KEY,\n  a INTEGER,\n  \
         b INTEGER GENERATED ALWAYS AS (a * 2) STORED\n);\n",
    );
    stdout_of(&p, &["migrate", "-m", "two"]);
    let two = std::fs::read_to_string(p.migrations().pop().unwrap()).unwrap();
    assert!(
        two.contains("ALTER TABLE t ADD COLUMN b INTEGER GENERATED ALWAYS AS (a * 2) STORED;"),
        "{two}"
    );
    let script = stdout_of(&p, &["upgrade", "--sql"]);
    assert!(
        script.contains("CREATE TABLE _wildebeest_new_t"),
        "{script}"
    );
    assert!(
        script.contains("INSERT INTO _wildebeest_new_t (id, a) SELECT id, a FROM t"),
        "{script}"
    );
    stdout_of(&p, &["upgrade"]);
    stdout_of(&p, &["check"]);
    let b: i64 = conn
        .query_row("SELECT b FROM t WHERE id = 1", [], |r| r.get(0))
        .unwrap();
    assert_eq!(b, 42);
}

const DOCS_BY_HAND: &str = "CREATE TABLE `doc` (
  `id` int NOT NULL,
  `title` varchar(200),
  `body` text,
  PRIMARY KEY (`id`),
  KEY `ib` (`id`) USING HASH,
  KEY `idx` (`title`) USING HASH
);";

const DOCS: &str = "CREATE TABLE doc (
  id int NOT NULL,
  title varchar(200),
  body text,
  PRIMARY KEY (id),
  KEY ib (id) USING  hash,
  KEY idx (title) USING HASH
);
";

#[test]
fn a_changed_unmodeled_part_of_an_existing_table_is_refused() {
    let p = mysql_project();
    hand_written(&p, "docs", DOCS_BY_HAND, "DROP TABLE doc;");
    // The same parts, quoted and spaced otherwise: no difference.
    p.write("schema.sql", DOCS);
    p.cmd(&["migrate", "-m", "same"])
        .assert()
        .success()
        .stdout(contains("No changes"));
    p.write(
        "schema.sql",
        &DOCS
            .replace("  KEY ib (id) USING  hash,\n", "")
            .replace("(title)", "(title, id)"),
    );
    p.cmd(&["migrate", "-m", "changed"])
        .assert()
        .code(2)
        .stderr(contains(
            "schema.sql:6: table `doc`: `KEY idx (title, id) USING HASH` is in schema.sql, not in the migrations",
        ))
        .stderr(contains(
            "schema.sql:1: table `doc`: `KEY ib (id) USING HASH` is in the migrations, no longer \
             in schema.sql",
        ))
        .stderr(contains(
            "schema.sql:1: table `doc`: `KEY idx (title) USING HASH` is in the migrations, no longer \
             in schema.sql",
        ));
    assert_eq!(p.migrations().len(), 1);
}

#[test]
fn check_reports_a_changed_unmodeled_part_of_an_existing_table() {
    let p = TempProject::init();
    hand_written(
        &p,
        "accounts",
        "CREATE TABLE account (id INTEGER PRIMARY KEY, email TEXT UNIQUE ON CONFLICT REPLACE);",
        "DROP TABLE account;",
    );
    p.write(
        "schema.sql",
        "CREATE TABLE account (id INTEGER PRIMARY KEY, email TEXT UNIQUE ON CONFLICT REPLACE);\n",
    );
    stdout_of(&p, &["upgrade"]);
    stdout_of(&p, &["check"]);
    p.write(
        "schema.sql",
        "CREATE TABLE account (\n  id INTEGER PRIMARY KEY,\n  email TEXT UNIQUE ON CONFLICT IGNORE\n);\n",
    );
    p.cmd(&["check"])
        .assert()
        .code(1)
        .stdout(contains(
            "schema.sql:3: table `account`, column `email`: `ON CONFLICT IGNORE` is in \
             schema.sql, not in the migrations",
        ))
        .stdout(contains("write the change by hand"));
    p.cmd(&["migrate", "-m", "ignore"])
        .assert()
        .code(2)
        .stderr(contains("`ON CONFLICT IGNORE` is in schema.sql"));
}

#[test]
fn check_says_a_new_table_migrate_refuses_must_be_written_by_hand() {
    let p = TempProject::init();
    stdout_of(&p, &["upgrade"]);
    p.write(
        "schema.sql",
        "CREATE TABLE account (\n  id INTEGER PRIMARY KEY,\n  email TEXT UNIQUE ON CONFLICT REPLACE\n);\n",
    );
    p.cmd(&["check"])
        .assert()
        .code(1)
        .stdout(contains(
            "schema.sql:3: table `account` is new and has `column email: ON CONFLICT REPLACE`, \
             which the model cannot hold",
        ))
        .stdout(contains("write its CREATE TABLE by hand"))
        .stdout(contains("added table `account`").not());
}

#[test]
fn every_new_table_migrate_refuses_is_named_with_its_line_in_one_error() {
    let p = TempProject::init();
    p.write(
        "schema.sql",
        "CREATE TABLE account (\n  id INTEGER PRIMARY KEY,\n  email TEXT UNIQUE ON CONFLICT REPLACE\n);\n\n\
         CREATE TABLE b (\n  id INTEGER PRIMARY KEY,\n  code TEXT UNIQUE ON CONFLICT IGNORE\n);\n\
         CREATE TABLE c (id INTEGER PRIMARY KEY);\n",
    );
    p.cmd(&["migrate", "-m", "one"])
        .assert()
        .code(2)
        .stderr(contains(
            "schema.sql:3: table `account` is new and has `column email: ON CONFLICT REPLACE`",
        ))
        .stderr(contains(
            "schema.sql:8: table `b` is new and has `column code: ON CONFLICT IGNORE`",
        ))
        .stderr(contains("its whole CREATE TABLE"))
        .stderr(contains("kept as unmodeled").not());
    assert!(p.migrations().is_empty());
}

/// Not an unmodeled part, but the same rule: a downgrade that cannot run on a table
/// with rows says so, and `migrate` warns, rather than fail later.
#[test]
fn a_dropped_not_null_column_without_default_is_warned_about_and_noted_in_the_downgrade() {
    let p = TempProject::init();
    p.write(
        "schema.sql",
        "CREATE TABLE t (id INTEGER PRIMARY KEY, code TEXT NOT NULL, note TEXT);\n",
    );
    stdout_of(&p, &["migrate", "-m", "one"]);
    p.write("schema.sql", "CREATE TABLE t (id INTEGER PRIMARY KEY);\n");
    p.cmd(&["migrate", "-m", "two"])
        .assert()
        .success()
        .stderr(contains(
            "the downgrade adds column `t.code` back NOT NULL without a default",
        ))
        .stderr(contains("adds column `t.note` back").not());
    let text = std::fs::read_to_string(p.migrations().pop().unwrap()).unwrap();
    let downgrade = &text[text.find("-- +downgrade").unwrap()..];
    assert!(
        downgrade.contains(
            "-- NOTE: `t.code` comes back NOT NULL without a default: on a table with rows \
             this needs a default or a backfill first\nALTER TABLE t ADD COLUMN code TEXT NOT NULL"
        ),
        "{downgrade}"
    );
    assert!(!text[..text.find("-- +downgrade").unwrap()].contains("-- NOTE"));
}
