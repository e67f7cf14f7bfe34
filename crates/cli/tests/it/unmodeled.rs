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

#[test]
fn an_added_generated_column_is_refused_not_added_as_a_plain_column() {
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
        .code(2)
        .stderr(contains(
            "schema.sql:4: table `t`, new column `price_tax`: the model cannot hold \
             `AS (price * 1.2) STORED`",
        ))
        .stderr(contains("write the change by hand"))
        // One message per problem: no warning about the same part besides the error.
        .stderr(contains("kept as unmodeled").not());
    assert_eq!(p.migrations().len(), 1);

    // Written by hand as the error says, the column and its expression are what the
    // migrations make: nothing more to generate, and changing the expression is seen.
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
    p.cmd(&["migrate", "-m", "four"])
        .assert()
        .code(2)
        .stderr(contains(
            "schema.sql:4: table `t`, column `price_tax`: `AS (price * 1.3) STORED` is in \
             schema.sql, not in the migrations",
        ))
        .stderr(contains(
            "table `t`, column `price_tax`: `AS (price * 1.2) STORED` is in the migrations, \
             no longer in schema.sql",
        ));
    // Dropping it would make a downgrade that adds a plain column back.
    p.write("schema.sql", PRICES);
    p.cmd(&["migrate", "-m", "five"])
        .assert()
        .code(2)
        .stderr(contains("dropped column `price_tax`"));
    assert_eq!(p.migrations().len(), 2);
}

#[test]
fn a_generated_column_added_in_sqlite_is_refused() {
    let p = TempProject::init();
    p.write(
        "schema.sql",
        "CREATE TABLE t (id INTEGER PRIMARY KEY, a INTEGER);\n",
    );
    stdout_of(&p, &["migrate", "-m", "one"]);
    p.write(
        "schema.sql",
        "CREATE TABLE t (\n  id INTEGER PRIMARY KEY,\n  a INTEGER,\n  \
         b INTEGER GENERATED ALWAYS AS (a * 2) STORED\n);\n",
    );
    p.cmd(&["migrate", "-m", "two"])
        .assert()
        .code(2)
        .stderr(contains(
            "schema.sql:4: table `t`, new column `b`: the model cannot hold \
             `GENERATED ALWAYS AS (a * 2) STORED`",
        ));
    assert_eq!(p.migrations().len(), 1);
}

const DOCS_BY_HAND: &str = "CREATE TABLE `doc` (
  `id` int NOT NULL,
  `title` varchar(200),
  `body` text,
  PRIMARY KEY (`id`),
  KEY `ib` (`body`(20)),
  KEY `idx` (`title`(50))
);";

const DOCS: &str = "CREATE TABLE doc (
  id int NOT NULL,
  title varchar(200),
  body text,
  PRIMARY KEY (id),
  KEY ib (body(20)),
  KEY idx (title(50))
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
            .replace("  KEY ib (body(20)),\n", "")
            .replace("title(50)", "title(60)"),
    );
    p.cmd(&["migrate", "-m", "changed"])
        .assert()
        .code(2)
        .stderr(contains(
            "schema.sql:6: table `doc`: `KEY idx (title(60))` is in schema.sql, not in the migrations",
        ))
        .stderr(contains(
            "schema.sql:1: table `doc`: `KEY ib (body(20))` is in the migrations, no longer \
             in schema.sql",
        ))
        .stderr(contains(
            "schema.sql:1: table `doc`: `KEY idx (title(50))` is in the migrations, no longer \
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
         CREATE TABLE b (\n  id INTEGER PRIMARY KEY,\n  total INTEGER GENERATED ALWAYS AS (id * 2) STORED\n);\n\
         CREATE TABLE c (id INTEGER PRIMARY KEY);\n",
    );
    p.cmd(&["migrate", "-m", "one"])
        .assert()
        .code(2)
        .stderr(contains(
            "schema.sql:3: table `account` is new and has `column email: ON CONFLICT REPLACE`",
        ))
        .stderr(contains(
            "schema.sql:8: table `b` is new and has `column total: GENERATED ALWAYS AS (id * 2) STORED`",
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
