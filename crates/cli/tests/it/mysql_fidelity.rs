//! What a MySQL `schema.sql` says reaches the database exactly or is refused by name
//! with its line (issue "Fidelity"), on the real server: each test named after what
//! broke.

use predicates::prelude::*;
use predicates::str::contains;

use crate::servers::{Server, TestDb};
use crate::util::{TempProject, ok};

/// A project on the test's own MySQL database.
fn project(db: &TestDb) -> TempProject {
    TempProject::on(Some(db))
}

/// A hand-written revision (`revision`, then its sections filled in), rehashed.
fn hand_written(p: &TempProject, message: &str, upgrade: &str, downgrade: &str) {
    ok(p, &["revision", "-m", message]);
    let path = p.migrations().pop().unwrap();
    let text = std::fs::read_to_string(&path).unwrap();
    let text = text
        .replace("-- +upgrade\n", &format!("-- +upgrade\n{upgrade}\n"))
        .replace("-- +downgrade\n", &format!("-- +downgrade\n{downgrade}\n"));
    std::fs::write(&path, text).unwrap();
    ok(p, &["rehash"]);
}

/// The `mysqldump --no-data` (or `mariadb-dump`) of `db`; `None` (the test skipped)
/// when neither is on the PATH.
fn mysqldump(db: &TestDb) -> Option<String> {
    let dumper = ["mariadb-dump", "mysqldump"].into_iter().find(|d| {
        std::process::Command::new(d)
            .arg("--version")
            .output()
            .is_ok()
    });
    let Some(dumper) = dumper else {
        wildebeest_testkit::skip("neither mariadb-dump nor mysqldump is on the PATH");
        return None;
    };
    let out = std::process::Command::new(dumper)
        .args(crate::mysql_routines::dump_args(&db.url))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    Some(String::from_utf8(out.stdout).unwrap())
}

const PARTITIONED_DUMP: &str = "CREATE TABLE t (
  id int NOT NULL,
  y int NOT NULL,
  PRIMARY KEY (id, y)
) ENGINE=InnoDB
/*!50100 PARTITION BY RANGE (y)
(PARTITION p0 VALUES LESS THAN (2000) ENGINE = InnoDB,
 PARTITION p1 VALUES LESS THAN MAXVALUE ENGINE = InnoDB) */;
";

const PARTITIONED_PLAIN: &str = "CREATE TABLE t (
  id int NOT NULL,
  y int NOT NULL,
  PRIMARY KEY (id, y)
)
PARTITION BY HASH (y) PARTITIONS 4;
";

#[test]
fn mysqldump_partition_by_in_a_versioned_comment_is_made_and_checks_clean() {
    let Some(db) = TestDb::new(Server::Mysql, "partdump") else {
        return;
    };
    let p = project(&db);
    p.write("schema.sql", PARTITIONED_DUMP);
    ok(&p, &["migrate", "-m", "init"]);
    let text = std::fs::read_to_string(p.migrations().pop().unwrap()).unwrap();
    assert!(
        text.contains("PARTITION BY RANGE (y) (\n    PARTITION p0 VALUES LESS THAN (2000),"),
        "{text}"
    );
    ok(&p, &["upgrade"]);
    p.cmd(&["migrate", "-m", "again"])
        .assert()
        .success()
        .stdout(contains("No changes"));
    p.cmd(&["check"]).assert().success();
    let parts = db.rows(
        "SELECT PARTITION_NAME FROM information_schema.PARTITIONS \
         WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 't' ORDER BY PARTITION_ORDINAL_POSITION",
    );
    assert_eq!(parts, [["p0"], ["p1"]].map(|r| r.map(String::from)));
}

#[test]
fn plain_partition_by_is_made_and_its_dump_form_is_the_same() {
    let Some(db) = TestDb::new(Server::Mysql, "partplain") else {
        return;
    };
    let p = project(&db);
    p.write("schema.sql", PARTITIONED_PLAIN);
    ok(&p, &["migrate", "-m", "init"]);
    ok(&p, &["upgrade"]);
    p.cmd(&["migrate", "-m", "again"])
        .assert()
        .success()
        .stdout(contains("No changes"));
    p.cmd(&["check"]).assert().success();
    // The mysqldump form of the same is the same to `check` and to `migrate`.
    p.write(
        "schema.sql",
        "CREATE TABLE t (
  id int NOT NULL,
  y int NOT NULL,
  PRIMARY KEY (id, y)
) ENGINE=InnoDB
/*!50100 PARTITION BY HASH (`y`)
PARTITIONS 4 */;
",
    );
    p.cmd(&["check"]).assert().success();
    p.cmd(&["migrate", "-m", "again"])
        .assert()
        .success()
        .stdout(contains("No changes"));
}

#[test]
fn hand_written_partition_statements_are_followed_and_a_dropped_one_is_guarded() {
    let Some(db) = TestDb::new(Server::Mysql, "parthand") else {
        return;
    };
    let p = project(&db);
    p.write("schema.sql", PARTITIONED_DUMP);
    ok(&p, &["migrate", "-m", "init"]);
    ok(&p, &["upgrade"]);
    db.execute("INSERT INTO t VALUES (1, 1990), (2, 2010), (3, 2030)");
    // Rows move between partitions, none is lost: no consent asked.
    hand_written(
        &p,
        "split",
        "ALTER TABLE t REORGANIZE PARTITION p1 INTO (PARTITION p1 VALUES LESS THAN (2020), PARTITION p2 VALUES LESS THAN MAXVALUE);",
        "ALTER TABLE t REORGANIZE PARTITION p1, p2 INTO (PARTITION p1 VALUES LESS THAN MAXVALUE);",
    );
    ok(&p, &["upgrade"]);
    p.write(
        "schema.sql",
        &PARTITIONED_DUMP.replace(
            "PARTITION p1 VALUES LESS THAN MAXVALUE ENGINE = InnoDB",
            "PARTITION p1 VALUES LESS THAN (2020), PARTITION p2 VALUES LESS THAN MAXVALUE",
        ),
    );
    p.cmd(&["check"]).assert().success();
    hand_written(
        &p,
        "drop p0",
        "ALTER TABLE t DROP PARTITION p0;",
        "ALTER TABLE t REORGANIZE PARTITION p1 INTO (PARTITION p0 VALUES LESS THAN (2000), PARTITION p1 VALUES LESS THAN (2020));",
    );
    p.cmd(&["upgrade"])
        .assert()
        .code(2)
        .stderr(contains("drops partition `p0` of table `t`"))
        .stderr(contains("1 row"));
    assert_eq!(db.rows("SELECT COUNT(*) FROM t"), [["3"]]);
    ok(&p, &["upgrade", "--allow-data-loss"]);
    assert_eq!(db.rows("SELECT COUNT(*) FROM t"), [["2"]]);
    // The schema that says the same needs no migration, and the database is as it says.
    p.write(
        "schema.sql",
        "CREATE TABLE t (id int NOT NULL, y int NOT NULL, PRIMARY KEY (id, y))
PARTITION BY RANGE (y) (PARTITION p1 VALUES LESS THAN (2020), PARTITION p2 VALUES LESS THAN MAXVALUE);
",
    );
    p.cmd(&["check"]).assert().success();
    p.cmd(&["migrate", "-m", "again"])
        .assert()
        .success()
        .stdout(contains("No changes"));
    // What the model does not follow is named.
    hand_written(&p, "coalesce", "ALTER TABLE t COALESCE PARTITION 1;", "");
    p.cmd(&["migrate", "-m", "again"])
        .assert()
        .stderr(contains("`COALESCE PARTITION` is not followed"));
}

#[test]
fn check_reports_a_table_partitioned_in_the_database_only() {
    let Some(db) = TestDb::new(Server::Mysql, "partdrift") else {
        return;
    };
    let p = project(&db);
    p.write(
        "schema.sql",
        "CREATE TABLE t (id int NOT NULL, y int NOT NULL, PRIMARY KEY (id, y));\n",
    );
    ok(&p, &["migrate", "-m", "init"]);
    ok(&p, &["upgrade"]);
    p.cmd(&["check"]).assert().success();
    db.execute("ALTER TABLE t PARTITION BY HASH (y) PARTITIONS 2");
    p.cmd(&["check"])
        .assert()
        .code(1)
        .stdout(contains("partitioning none -> HASH (y) 2 partitions"));
}

#[test]
fn check_reports_a_partition_dropped_by_hand() {
    let Some(db) = TestDb::new(Server::Mysql, "partdropped") else {
        return;
    };
    let p = project(&db);
    p.write("schema.sql", PARTITIONED_DUMP);
    ok(&p, &["migrate", "-m", "init"]);
    ok(&p, &["upgrade"]);
    db.execute("ALTER TABLE t DROP PARTITION p0");
    p.cmd(&["check"]).assert().code(1).stdout(contains(
        "[p0 LESS THAN (2000), p1 LESS THAN MAXVALUE] -> RANGE (y) [p1 LESS THAN MAXVALUE]",
    ));
}

#[test]
fn mysql_alter_table_add_index_in_schema_sql_is_applied_not_ignored() {
    let Some(db) = TestDb::new(Server::Mysql, "addindex") else {
        return;
    };
    let p = project(&db);
    let schema = "CREATE TABLE t (id int NOT NULL, y int NOT NULL, z text, PRIMARY KEY (id));
ALTER TABLE t ADD INDEX iy (y);
ALTER TABLE t ADD KEY k2 (id, y), ADD UNIQUE KEY uy (y, id);
";
    p.write("schema.sql", schema);
    p.cmd(&["migrate", "-m", "init"])
        .assert()
        .success()
        .stderr(contains("ignores it").not());
    ok(&p, &["upgrade"]);
    p.cmd(&["check"]).assert().success();
    let keys = db.rows(
        "SELECT INDEX_NAME FROM information_schema.STATISTICS \
         WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 't' AND SEQ_IN_INDEX = 1 \
         ORDER BY INDEX_NAME",
    );
    assert_eq!(
        keys,
        [["iy"], ["k2"], ["PRIMARY"], ["uy"]].map(|r| r.map(String::from))
    );

    // A FULLTEXT key is an index of its own kind.
    let schema = format!("{schema}ALTER TABLE t ADD FULLTEXT KEY fz (z);\n");
    p.write("schema.sql", &schema);
    ok(&p, &["migrate", "-m", "fulltext"]);
    ok(&p, &["upgrade"]);
    p.cmd(&["check"]).assert().success();
    let kind = db.rows(
        "SELECT INDEX_TYPE FROM information_schema.STATISTICS \
         WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 't' AND INDEX_NAME = 'fz'",
    );
    assert_eq!(kind, [["FULLTEXT"]]);

    // A key on a prefix is an index like any other.
    let schema = format!("{schema}ALTER TABLE t ADD KEY zp (z(10));\n");
    p.write("schema.sql", &schema);
    ok(&p, &["migrate", "-m", "prefix"]);
    ok(&p, &["upgrade"]);
    p.cmd(&["check"]).assert().success();

    // What the model cannot hold is refused by name with its line, not ignored.
    p.write(
        "schema.sql",
        &format!("{schema}ALTER TABLE t ADD KEY yh USING HASH (y);\n"),
    );
    p.cmd(&["migrate", "-m", "hash"])
        .assert()
        .code(2)
        .stderr(contains(
            "schema.sql:6: table `t`: `KEY yh USING HASH (y)` is in schema.sql, not in the migrations",
        ));
}

#[test]
fn mariadb_auto_increment_and_primary_key_added_together_apply_in_an_order_that_works() {
    let Some(db) = TestDb::new(Server::Mysql, "aipk") else {
        return;
    };
    let p = project(&db);
    let plain = "CREATE TABLE t (id int NOT NULL, y int);\n";
    let keyed = "CREATE TABLE t (id int NOT NULL AUTO_INCREMENT, y int, PRIMARY KEY (id));\n";
    p.write("schema.sql", plain);
    ok(&p, &["migrate", "-m", "plain"]);
    ok(&p, &["upgrade"]);
    p.write("schema.sql", keyed);
    ok(&p, &["migrate", "-m", "keyed"]);
    // Error 1075 came from MODIFY ... AUTO_INCREMENT before ADD PRIMARY KEY, and from
    // DROP PRIMARY KEY before the downgrade's MODIFY.
    ok(&p, &["upgrade"]);
    p.cmd(&["check"]).assert().success();
    db.execute("INSERT INTO t (y) VALUES (1)");
    ok(&p, &["downgrade", "-1"]);
    ok(&p, &["upgrade"]);
    p.cmd(&["check"]).assert().success();
    // The same change the other way round, generated from schema.sql.
    p.write("schema.sql", plain);
    ok(&p, &["migrate", "-m", "unkeyed"]);
    ok(&p, &["upgrade"]);
    p.cmd(&["check"]).assert().success();
    ok(&p, &["downgrade", "-1"]);
    ok(&p, &["upgrade"]);
    p.cmd(&["check"]).assert().success();
}

#[test]
fn mysql_varchar_binary_is_refused_by_name_not_with_a_parser_error() {
    let Some(db) = TestDb::new(Server::Mysql, "vcbinary") else {
        return;
    };
    let p = project(&db);
    p.write(
        "schema.sql",
        "CREATE TABLE t (id int NOT NULL PRIMARY KEY,\n  code varchar(10) BINARY,\n  \
         raw BINARY(16));\n",
    );
    p.cmd(&["migrate", "-m", "init"])
        .assert()
        .code(2)
        .stderr(contains(
            "schema.sql:2: table `t` is new and has `column code: BINARY`, which the model \
             cannot hold",
        ));
    assert!(p.migrations().is_empty());
    // `BINARY(16)` is a type, not the attribute.
    p.write(
        "schema.sql",
        "CREATE TABLE t (id int NOT NULL PRIMARY KEY,\n  raw BINARY(16));\n",
    );
    ok(&p, &["migrate", "-m", "init"]);
    ok(&p, &["upgrade"]);
    p.cmd(&["check"]).assert().success();
}

/// The national types: `NCHAR(n)` is `CHAR(n)` in the national character set (MySQL
/// refuses `NCHAR(3) CHARACTER SET utf8mb3`).
const NATIONAL: &str = "CREATE TABLE t (id int NOT NULL PRIMARY KEY, name NVARCHAR(40), \
                        code NCHAR(3), flag NCHAR);\n";

#[test]
fn mysql_nvarchar_is_no_collation_drift_after_stamp_head() {
    let Some(db) = TestDb::new(Server::Mysql, "nvarstamp") else {
        return;
    };
    let p = project(&db);
    db.execute(NATIONAL);
    p.write("schema.sql", NATIONAL);
    ok(&p, &["migrate", "-m", "init"]);
    ok(&p, &["stamp", "head"]);
    p.cmd(&["check"]).assert().success();
}

#[test]
fn mysql_nvarchar_migrates_upgrades_and_checks_clean() {
    let Some(db) = TestDb::new(Server::Mysql, "nvarflow") else {
        return;
    };
    let p = project(&db);
    p.write("schema.sql", NATIONAL);
    ok(&p, &["migrate", "-m", "init"]);
    ok(&p, &["upgrade"]);
    p.cmd(&["check"]).assert().success();
    let charset = db.rows(
        "SELECT CHARACTER_SET_NAME FROM information_schema.COLUMNS \
         WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 't' AND COLUMN_NAME = 'name'",
    );
    assert_eq!(charset, [["utf8mb3".to_string()]]);
    let national = db.rows(
        "SELECT COLUMN_NAME, COLUMN_TYPE, CHARACTER_SET_NAME FROM information_schema.COLUMNS \
         WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 't' AND COLUMN_NAME IN ('code', 'flag') \
         ORDER BY 1",
    );
    assert_eq!(
        national,
        [
            ["code", "char(3)", "utf8mb3"],
            ["flag", "char(1)", "utf8mb3"]
        ]
    );
}

/// The delete and update rules of the test database's foreign keys, by name.
fn fk_rules(db: &TestDb) -> Vec<Vec<String>> {
    db.rows(&format!(
        "SELECT constraint_name, delete_rule, update_rule \
         FROM information_schema.referential_constraints \
         WHERE constraint_schema = '{}' ORDER BY constraint_name",
        db.name
    ))
}

/// What the server stores for a key written without an action: MariaDB `RESTRICT`,
/// MySQL `NO ACTION`.
fn unwritten_rule(db: &TestDb) -> &'static str {
    let version = db.rows("SELECT VERSION()").remove(0).remove(0);
    if version.contains("MariaDB") {
        "RESTRICT"
    } else {
        "NO ACTION"
    }
}

const FK_ACTIONS: &str = "CREATE TABLE p (id int NOT NULL PRIMARY KEY);
CREATE TABLE c (
  a int, b int, d int, e int,
  CONSTRAINT f_none FOREIGN KEY (a) REFERENCES p (id),
  CONSTRAINT f_no_action FOREIGN KEY (b) REFERENCES p (id) ON DELETE NO ACTION ON UPDATE NO ACTION,
  CONSTRAINT f_restrict FOREIGN KEY (d) REFERENCES p (id) ON DELETE RESTRICT ON UPDATE RESTRICT,
  CONSTRAINT f_mixed FOREIGN KEY (e) REFERENCES p (id) ON DELETE NO ACTION ON UPDATE CASCADE
);
";

#[test]
fn mysql_foreign_key_no_action_reaches_the_catalog_as_written() {
    let Some(db) = TestDb::new(Server::Mysql, "fknoaction") else {
        return;
    };
    let p = project(&db);
    p.write("schema.sql", FK_ACTIONS);
    ok(&p, &["migrate", "-m", "init"]);
    ok(&p, &["upgrade"]);
    let none = unwritten_rule(&db);
    let rules = |rows: &[[&str; 3]]| -> Vec<Vec<String>> {
        rows.iter()
            .map(|r| r.iter().map(|s| s.to_string()).collect())
            .collect()
    };
    assert_eq!(
        fk_rules(&db),
        rules(&[
            ["f_mixed", "NO ACTION", "CASCADE"],
            ["f_none", none, none],
            ["f_no_action", "NO ACTION", "NO ACTION"],
            ["f_restrict", "RESTRICT", "RESTRICT"],
        ])
    );
    p.cmd(&["check"]).assert().success();
    p.cmd(&["migrate", "-m", "again"])
        .assert()
        .success()
        .stdout(contains("No changes"));

    // Writing the action on a key that had none changes the key, and back.
    p.write(
        "schema.sql",
        &FK_ACTIONS.replace(
            "FOREIGN KEY (a) REFERENCES p (id),",
            "FOREIGN KEY (a) REFERENCES p (id) ON DELETE NO ACTION,",
        ),
    );
    ok(&p, &["migrate", "-m", "written"]);
    ok(&p, &["upgrade"]);
    assert_eq!(fk_rules(&db)[1], rules(&[["f_none", "NO ACTION", none]])[0]);
    p.cmd(&["check"]).assert().success();
    ok(&p, &["downgrade", "-1"]);
    assert_eq!(fk_rules(&db)[1], rules(&[["f_none", none, none]])[0]);
    ok(&p, &["upgrade"]);
    p.cmd(&["check"]).assert().success();
}

/// One folder written in PostgreSQL's dialect, where no clause is `NO ACTION`: on
/// MySQL the key is `NO ACTION` too, not MariaDB's `RESTRICT`.
#[test]
fn postgres_written_foreign_key_without_action_is_no_action_on_mysql() {
    let Some(db) = TestDb::new(Server::Mysql, "fkpgdialect") else {
        return;
    };
    let p = project(&db);
    p.write(
        "wildebeest.toml",
        &format!(
            "database_url = \"{}\"\nschema_dialect = \"postgresql\"\n",
            db.url
        ),
    );
    p.write(
        "schema.sql",
        "CREATE TABLE p (id integer PRIMARY KEY);
CREATE TABLE c (
  a integer CONSTRAINT f_none REFERENCES p (id),
  d integer CONSTRAINT f_restrict REFERENCES p (id) ON DELETE RESTRICT
);
",
    );
    ok(&p, &["migrate", "-m", "init"]);
    ok(&p, &["upgrade"]);
    assert_eq!(
        fk_rules(&db),
        vec![
            vec!["f_none".to_string(), "NO ACTION".into(), "NO ACTION".into()],
            vec![
                "f_restrict".to_string(),
                "RESTRICT".into(),
                "NO ACTION".into()
            ],
        ]
    );
    p.cmd(&["check"]).assert().success();
}

/// Keys on a column's first characters (`KEY k (title(50))`, in a unique key, mixed
/// with whole columns, by `CREATE INDEX`) are made as written, `check` is clean, a
/// mysqldump of the database read as the schema is no change, a changed length is a
/// drop and a create undone exactly, and a renamed column takes its keys along.
#[test]
fn prefix_keys_are_made_checked_and_round_trip_through_mysqldump() {
    let Some(db) = TestDb::new(Server::Mysql, "prefixindex") else {
        return;
    };
    let p = project(&db);
    p.write(
        "schema.sql",
        "CREATE TABLE meta (\n  id int PRIMARY KEY,\n  meta_key varchar(255),\n  \
         body text,\n  kind int,\n  KEY meta_key (meta_key(191)),\n  \
         UNIQUE KEY meta_kind (kind, meta_key(40))\n) DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;\n\
         CREATE INDEX meta_body ON meta (body(100) DESC, id);\n",
    );
    ok(&p, &["migrate", "-m", "one"]);
    let migration = std::fs::read_to_string(p.migrations().last().unwrap()).unwrap();
    assert!(
        migration.contains("ON meta (meta_key(191))")
            && migration.contains("ON meta (kind, meta_key(40))")
            && migration.contains("ON meta (body(100) DESC, id)"),
        "{migration}"
    );
    ok(&p, &["upgrade"]);
    db.execute("INSERT INTO meta (id, meta_key, body, kind) VALUES (1, 'a', 'x', 1)");
    let sub = db.rows(
        "SELECT INDEX_NAME, COLUMN_NAME, SUB_PART FROM information_schema.STATISTICS \
         WHERE TABLE_SCHEMA = DATABASE() AND SUB_PART IS NOT NULL ORDER BY 1, 2",
    );
    let row = |a: &str, b: &str, c: &str| vec![a.to_string(), b.to_string(), c.to_string()];
    assert_eq!(
        sub,
        vec![
            row("meta_body", "body", "100"),
            row("meta_key", "meta_key", "191"),
            row("meta_kind", "meta_key", "40"),
        ]
    );
    let (code, text) = crate::util::run_text(&p, &["check"]);
    assert_eq!(code, 0, "{text}");
    let (code, text) = crate::util::run_text(&p, &["migrate", "-m", "same"]);
    assert_eq!(code, 0, "{text}");
    assert!(text.contains("No changes"), "{text}");

    let dumper = ["mariadb-dump", "mysqldump"].into_iter().find(|d| {
        std::process::Command::new(d)
            .arg("--version")
            .output()
            .is_ok()
    });
    if let Some(dumper) = dumper {
        let out = std::process::Command::new(dumper)
            .args(crate::mysql_routines::dump_args(&db.url))
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let dump = String::from_utf8(out.stdout).unwrap();
        assert!(dump.contains("`meta_key`(191)"), "{dump}");
        p.write("schema.sql", &dump);
        let (code, text) = crate::util::run_text(&p, &["migrate", "-m", "dumped"]);
        assert_eq!(code, 0, "{text}");
        assert!(text.contains("No changes"), "{text}");
    } else {
        wildebeest_testkit::skip("neither mariadb-dump nor mysqldump is on the PATH");
    }

    // A changed length, and a column renamed under its keys.
    p.write(
        "schema.sql",
        "-- wildebeest: rename meta.meta_key=mkey\n\
         CREATE TABLE meta (\n  id int PRIMARY KEY,\n  mkey varchar(255),\n  \
         body text,\n  kind int,\n  KEY meta_key (mkey(191)),\n  \
         UNIQUE KEY meta_kind (kind, mkey(40))\n) DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;\n\
         CREATE INDEX meta_body ON meta (body(60) DESC, id);\n",
    );
    ok(&p, &["migrate", "-m", "two"]);
    let migration = std::fs::read_to_string(p.migrations().last().unwrap()).unwrap();
    assert!(
        migration.contains("RENAME COLUMN meta_key TO mkey")
            && !migration.contains("DROP INDEX meta_key")
            && migration.contains("ON meta (body(60) DESC, id)")
            && migration.contains("ON meta (body(100) DESC, id)"),
        "{migration}"
    );
    ok(&p, &["upgrade"]);
    let (code, text) = crate::util::run_text(&p, &["check"]);
    assert_eq!(code, 0, "{text}");
    ok(&p, &["downgrade", "-1"]);
    let sub = db.rows(
        "SELECT INDEX_NAME, COLUMN_NAME, SUB_PART FROM information_schema.STATISTICS \
         WHERE TABLE_SCHEMA = DATABASE() AND SUB_PART IS NOT NULL ORDER BY 1, 2",
    );
    assert_eq!(
        sub,
        vec![
            row("meta_body", "body", "100"),
            row("meta_key", "meta_key", "191"),
            row("meta_kind", "meta_key", "40"),
        ]
    );
}

/// A database made by hand with keys declared without a name, which MySQL names after
/// their first column (`p`, `q`), then adopted by `stamp head`: with those names
/// written in `schema.sql`, as `inspect` shows them, the first migration names them so
/// and `check` finds the database as its migrations say; a later migration dropping
/// one drops the index the database has.
#[test]
fn hand_made_unnamed_unique_keys_adopted_with_their_mysql_names_check_clean() {
    let Some(db) = TestDb::new(Server::Mysql, "adoptunique") else {
        return;
    };
    db.execute("CREATE TABLE t (id INT PRIMARY KEY, p INT UNIQUE, q INT, UNIQUE (q))");
    let p = project(&db);
    let (_, shown) = crate::util::run_text(&p, &["inspect"]);
    assert!(shown.contains("CONSTRAINT p UNIQUE (p)"), "{shown}");
    assert!(shown.contains("CONSTRAINT q UNIQUE (q)"), "{shown}");
    let schema = "CREATE TABLE t (\n    id INT PRIMARY KEY,\n    p INT,\n    q INT,\n    \
                  CONSTRAINT p UNIQUE (p),\n    CONSTRAINT q UNIQUE (q)\n);\n";
    p.write("schema.sql", schema);
    ok(&p, &["migrate", "-m", "initial"]);
    ok(&p, &["stamp", "head"]);
    ok(&p, &["check"]);
    p.write(
        "schema.sql",
        &schema.replace(",\n    CONSTRAINT q UNIQUE (q)", ""),
    );
    ok(&p, &["migrate", "-m", "drop q"]);
    ok(&p, &["upgrade"]);
    ok(&p, &["check"]);
    let mut indexes = db.rows(&format!(
        "SELECT index_name FROM information_schema.statistics \
         WHERE table_schema = '{}' AND table_name = 't'",
        db.name
    ));
    indexes.sort();
    assert_eq!(
        indexes,
        vec![vec!["PRIMARY".to_string()], vec!["p".to_string()]]
    );
}

const KEY_AND_TABLE_OPTIONS: &str = "CREATE TABLE note (
  id int NOT NULL AUTO_INCREMENT,
  title varchar(200) NOT NULL,
  topic int DEFAULT NULL,
  PRIMARY KEY (id) USING BTREE,
  UNIQUE KEY note_title (title),
  KEY note_topic (topic) COMMENT 'by topic'
) ENGINE=InnoDB AUTO_INCREMENT=5 DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci ROW_FORMAT=COMPRESSED KEY_BLOCK_SIZE=8 STATS_PERSISTENT=1 STATS_SAMPLE_PAGES=12;

CREATE TABLE tally (
  id int NOT NULL,
  PRIMARY KEY (id)
) ENGINE=MyISAM DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci PACK_KEYS=1 CHECKSUM=1 DELAY_KEY_WRITE=1;
";

/// A mysqldump of a database with key comments, table options and a counter moved
/// by rows (`AUTO_INCREMENT=n`, data) was refused as parts the model cannot hold;
/// as `schema.sql` it is now no change and no drift, and an option changed in it is
/// one `ALTER TABLE`.
#[test]
fn a_mysqldump_with_key_comments_and_table_options_is_no_change() {
    let Some(db) = TestDb::new(Server::Mysql, "keyoptionsdump") else {
        return;
    };
    let dumper = ["mariadb-dump", "mysqldump"].into_iter().find(|d| {
        std::process::Command::new(d)
            .arg("--version")
            .output()
            .is_ok()
    });
    let Some(dumper) = dumper else {
        wildebeest_testkit::skip("neither mariadb-dump nor mysqldump is on the PATH");
        return;
    };
    let p = project(&db);
    p.write("schema.sql", KEY_AND_TABLE_OPTIONS);
    ok(&p, &["migrate", "-m", "notes"]);
    ok(&p, &["upgrade"]);
    db.execute("INSERT INTO note (title, topic) VALUES ('a', 1), ('b', 2), ('c', NULL)");
    let out = std::process::Command::new(dumper)
        .args(crate::mysql_routines::dump_args(&db.url))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let dump = String::from_utf8(out.stdout).unwrap();
    assert!(
        dump.contains("COMMENT 'by topic'")
            && dump.contains("AUTO_INCREMENT=4")
            && dump.contains("KEY_BLOCK_SIZE=8")
            && dump.contains("DELAY_KEY_WRITE=1"),
        "{dump}"
    );
    p.write("schema.sql", &dump);
    let (code, text) = crate::util::run_text(&p, &["migrate", "-m", "again"]);
    assert_eq!(code, 0, "{text}");
    assert!(text.contains("No changes"), "{text}");
    let (code, text) = crate::util::run_text(&p, &["check"]);
    assert_eq!(code, 0, "{text}");
    // An option and a comment changed in the dump are changes, made and undone.
    p.write(
        "schema.sql",
        &dump
            .replace("STATS_SAMPLE_PAGES=12", "STATS_SAMPLE_PAGES=30")
            .replace("'by topic'", "'topics'"),
    );
    ok(&p, &["migrate", "-m", "options"]);
    let migration = std::fs::read_to_string(p.migrations().last().unwrap()).unwrap();
    assert!(
        migration.contains("ALTER TABLE note STATS_SAMPLE_PAGES=30")
            && migration.contains("ALTER TABLE note STATS_SAMPLE_PAGES=12")
            && migration.contains("CREATE INDEX note_topic ON note (topic) COMMENT 'topics'"),
        "{migration}"
    );
    ok(&p, &["upgrade"]);
    let (code, text) = crate::util::run_text(&p, &["check"]);
    assert_eq!(code, 0, "{text}");
    ok(&p, &["downgrade", "-1"]);
    let comment = db.rows(
        "SELECT INDEX_COMMENT FROM information_schema.STATISTICS \
         WHERE TABLE_SCHEMA = DATABASE() AND INDEX_NAME = 'note_topic'",
    );
    assert_eq!(comment, vec![vec!["by topic".to_string()]]);
}

/// An invisible column and an index hidden from the optimizer (MariaDB's `IGNORED`,
/// MySQL's `INVISIBLE`), made by hand, were read as a plain column and index, so
/// `check` passed over them; they are modeled now, and `check` names both changes.
#[test]
fn check_names_an_invisible_column_and_an_ignored_index_made_by_hand() {
    let Some(db) = TestDb::new(Server::Mysql, "hiddenparts") else {
        return;
    };
    let p = project(&db);
    p.write(
        "schema.sql",
        "CREATE TABLE note (id int PRIMARY KEY, topic int, KEY note_topic (topic));\n",
    );
    ok(&p, &["migrate", "-m", "notes"]);
    ok(&p, &["upgrade"]);
    ok(&p, &["check"]);
    let version = db.rows("SELECT VERSION()")[0][0].to_ascii_lowercase();
    let hidden = if version.contains("mariadb") {
        "IGNORED"
    } else {
        "INVISIBLE"
    };
    db.execute(&format!("ALTER TABLE note ALTER INDEX note_topic {hidden}"));
    db.execute("ALTER TABLE note ADD COLUMN secret int INVISIBLE");
    let (code, text) = crate::util::run_text(&p, &["check"]);
    assert_eq!(code, 1, "{text}");
    assert!(
        text.contains(&format!(
            "changed index `note_topic` on `note`: visible -> {hidden}"
        )) && text.contains("added column `note.secret` (INTEGER INVISIBLE)"),
        "{text}"
    );
    // Written into schema.sql as the database has them, they are no drift.
    p.write(
        "schema.sql",
        &format!(
            "CREATE TABLE note (id int PRIMARY KEY, topic int, secret int INVISIBLE, \
             KEY note_topic (topic) {hidden});\n"
        ),
    );
    ok(&p, &["migrate", "-m", "hidden"]);
    let migration = std::fs::read_to_string(p.migrations().last().unwrap()).unwrap();
    assert!(
        migration.contains(&format!("ALTER TABLE note ALTER INDEX note_topic {hidden}")),
        "{migration}"
    );
}

/// A key hidden with the other server's word (MySQL's `INVISIBLE` on MariaDB,
/// MariaDB's `IGNORED` on MySQL) is refused by name before anything runs, not sent
/// to fail halfway.
#[test]
fn a_hidden_key_in_the_other_servers_word_is_refused_by_name() {
    let Some(db) = TestDb::new(Server::Mysql, "otherhidden") else {
        return;
    };
    let version = db.rows("SELECT VERSION()")[0][0].to_ascii_lowercase();
    let other = if version.contains("mariadb") {
        "INVISIBLE"
    } else {
        "IGNORED"
    };
    let p = project(&db);
    p.write(
        "schema.sql",
        &format!(
            "CREATE TABLE note (id int PRIMARY KEY, topic int);\n\
             CREATE TABLE tag (id int PRIMARY KEY, topic int, KEY tag_topic (topic) {other});\n"
        ),
    );
    ok(&p, &["migrate", "-m", "notes"]);
    let (code, text) = crate::util::run_text(&p, &["upgrade"]);
    assert_eq!(code, 2, "{text}");
    assert!(
        text.contains(&format!(
            "index `tag_topic` on `tag` is hidden from the optimizer with `{other}`"
        )),
        "{text}"
    );
    let tables = db.rows(
        "SELECT TABLE_NAME FROM information_schema.TABLES \
         WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME IN ('note', 'tag')",
    );
    assert!(tables.is_empty(), "{tables:?}");
}

/// Every partitioning method the model holds, for the dump round trip.
const PARTITIONED_ALL: &str = "\
CREATE TABLE r (id INT NOT NULL, at DATE NOT NULL, PRIMARY KEY (id, at))
    DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci
PARTITION BY RANGE (YEAR(at)) (PARTITION p0 VALUES LESS THAN (2020), PARTITION p1 VALUES LESS THAN MAXVALUE);
CREATE TABLE rc (a INT NOT NULL, at DATE NOT NULL)
    DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci
PARTITION BY RANGE COLUMNS (a, at) (
    PARTITION p0 VALUES LESS THAN (10, '2024-01-01'),
    PARTITION p1 VALUES LESS THAN (MAXVALUE, MAXVALUE)
);
CREATE TABLE l (id INT NOT NULL, kind INT NOT NULL)
    DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci
PARTITION BY LIST (kind) (PARTITION odd VALUES IN (1, 3, NULL), PARTITION even VALUES IN (2, 4));
CREATE TABLE lc (code CHAR(2) NOT NULL)
    DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci
PARTITION BY LIST COLUMNS (code) (PARTITION eu VALUES IN ('de', 'fr'), PARTITION us VALUES IN ('us'));
CREATE TABLE h (id INT NOT NULL PRIMARY KEY)
    DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci
PARTITION BY LINEAR HASH (id) PARTITIONS 3;
CREATE TABLE k (id INT NOT NULL PRIMARY KEY)
    DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci
PARTITION BY KEY () PARTITIONS 2;
CREATE TABLE hl (id INT NOT NULL)
    DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci
PARTITION BY HASH (id) (PARTITION a, PARTITION b);
";

/// `schema` made by `migrate` and `upgrade` on the test database, checked clean, and
/// its dump used as `schema.sql`: no change and no drift. The project and the dump;
/// `None` when the test is skipped.
fn built_dump_round_trip(db: &TestDb, schema: &str) -> Option<(TempProject, String)> {
    let p = project(db);
    p.write("schema.sql", schema);
    ok(&p, &["migrate", "-m", "init"]);
    ok(&p, &["upgrade"]);
    let (code, text) = crate::util::run_text(&p, &["check"]);
    assert_eq!(code, 0, "{text}");
    let dump = mysqldump(db)?;
    crate::util::dump_is_no_change(&p, &dump, "mysqldump");
    Some((p, dump))
}

#[test]
fn a_mysqldump_of_partitioned_tables_is_no_change_and_no_drift() {
    let Some(db) = TestDb::new(Server::Mysql, "partround") else {
        return;
    };
    let Some((p, dump)) = built_dump_round_trip(&db, PARTITIONED_ALL) else {
        return;
    };
    assert!(dump.contains("PARTITION BY LIST  COLUMNS"), "{dump}");
    // A partition added in the dump is a change: `ADD PARTITION`.
    p.write(
        "schema.sql",
        &dump.replacen(
            "PARTITION `us` VALUES IN ('us') ENGINE = InnoDB",
            "PARTITION `us` VALUES IN ('us') ENGINE = InnoDB, PARTITION `uk` VALUES IN ('uk') ENGINE = InnoDB",
            1,
        ),
    );
    ok(&p, &["migrate", "-m", "uk"]);
    let text = std::fs::read_to_string(p.migrations().pop().unwrap()).unwrap();
    assert!(text.contains("ALTER TABLE lc ADD PARTITION ("), "{text}");
    ok(&p, &["upgrade"]);
    p.cmd(&["check"]).assert().success();
}

/// Every kind of column, key and option a MySQL table has (numbers signed and not,
/// decimals, enums and sets, JSON, the text and blob kinds, bits, years, timestamps
/// updated on change, defaults, generated columns, unique and full-text keys, foreign
/// keys with every action and none, checks, comments, character sets said in every
/// way), for the dump round trip.
const VARIED: &str = "CREATE TABLE parent (
  id int unsigned NOT NULL AUTO_INCREMENT PRIMARY KEY,
  code char(4) NOT NULL,
  UNIQUE KEY parent_code (code)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci COMMENT='parents';
CREATE TABLE kinds (
  id bigint NOT NULL PRIMARY KEY,
  tiny tinyint(1) NOT NULL DEFAULT 0,
  small smallint unsigned DEFAULT 7,
  med mediumint,
  price decimal(10,2) NOT NULL DEFAULT 0.00,
  ratio double DEFAULT NULL,
  fl float(7,3),
  mood enum('sad','ok','happy') NOT NULL DEFAULT 'ok',
  flags set('a','b','c') DEFAULT 'a,b',
  doc json,
  t1 tinytext, t2 text, t3 mediumtext, t4 longtext,
  b1 tinyblob, b2 blob, b3 mediumblob, b4 longblob,
  bin binary(16), vb varbinary(32),
  bits bit(5) DEFAULT b'101',
  yr year,
  d date DEFAULT '2020-01-01',
  dt datetime(3) DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
  ts timestamp NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
  tm time(2),
  latin varchar(20) CHARACTER SET latin1,
  bincol varchar(20) COLLATE utf8mb4_bin,
  same varchar(20) CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci,
  total decimal(12,2) GENERATED ALWAYS AS (price * 2) STORED,
  virt int AS (small + 1) VIRTUAL,
  note varchar(100) COMMENT 'a note',
  parent_id int unsigned,
  p2 int unsigned, p3 int unsigned, p4 int unsigned, p5 int unsigned, p6 int unsigned,
  CONSTRAINT kinds_price_chk CHECK (price >= 0),
  UNIQUE KEY kinds_note (note),
  FULLTEXT KEY kinds_text (t2, t3),
  KEY kinds_dt (dt),
  CONSTRAINT k_none FOREIGN KEY (parent_id) REFERENCES parent (id),
  CONSTRAINT k_restrict FOREIGN KEY (p2) REFERENCES parent (id) ON DELETE RESTRICT ON UPDATE RESTRICT,
  CONSTRAINT k_no_action FOREIGN KEY (p3) REFERENCES parent (id) ON DELETE NO ACTION ON UPDATE NO ACTION,
  CONSTRAINT k_cascade FOREIGN KEY (p4) REFERENCES parent (id) ON DELETE CASCADE ON UPDATE CASCADE,
  CONSTRAINT k_set_null FOREIGN KEY (p5) REFERENCES parent (id) ON DELETE SET NULL ON UPDATE RESTRICT,
  CONSTRAINT k_mixed FOREIGN KEY (p6) REFERENCES parent (id) ON UPDATE NO ACTION
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci ROW_FORMAT=DYNAMIC COMMENT='all kinds';
CREATE TABLE legacy (
  id int NOT NULL PRIMARY KEY,
  name varchar(50) NOT NULL,
  ascii_code char(3) CHARACTER SET ascii
) DEFAULT CHARSET=latin1;
CREATE TABLE binned (
  id int NOT NULL PRIMARY KEY,
  name varchar(50) NOT NULL,
  u varchar(50) CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci
) DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
";

/// A mysqldump of a database wildebeest built from [`VARIED`] was not the schema
/// the migrations make: MariaDB leaves `ON DELETE RESTRICT` out (a key written so was
/// removed and added back without it), and spells out character sets the file said
/// in fewer words (`CHARACTER SET latin1 COLLATE latin1_swedish_ci`, `CHARACTER SET
/// utf8mb4 COLLATE utf8mb4_bin`). It is now no change and no drift, and what the
/// migrations wrote stays in the catalog.
#[test]
fn a_mysqldump_of_a_varied_database_is_no_change_and_no_drift() {
    let Some(db) = TestDb::new(Server::Mysql, "varieddump") else {
        return;
    };
    let Some((p, dump)) = built_dump_round_trip(&db, VARIED) else {
        return;
    };
    let none = unwritten_rule(&db);
    let restrict_dumped = if none == "RESTRICT" {
        "REFERENCES `parent` (`id`),\n  CONSTRAINT `k_set_null`"
    } else {
        "REFERENCES `parent` (`id`) ON DELETE RESTRICT ON UPDATE RESTRICT,"
    };
    assert!(dump.contains(restrict_dumped), "{dump}");
    let mut rules: Vec<Vec<String>> = fk_rules(&db);
    rules.sort();
    let row = |a: &str, b: &str, c: &str| vec![a.to_string(), b.to_string(), c.to_string()];
    assert_eq!(
        rules,
        vec![
            row("k_cascade", "CASCADE", "CASCADE"),
            row("k_mixed", none, "NO ACTION"),
            row("k_no_action", "NO ACTION", "NO ACTION"),
            row("k_none", none, none),
            row("k_restrict", "RESTRICT", "RESTRICT"),
            row("k_set_null", "SET NULL", "RESTRICT"),
        ]
    );
    // The round trip is no blind spot: an action or a collation changed in the dump
    // is a change.
    for (from, to, change) in [
        (
            "CONSTRAINT `k_restrict` FOREIGN KEY (`p2`) REFERENCES `parent` (`id`)",
            "CONSTRAINT `k_restrict` FOREIGN KEY (`p2`) REFERENCES `parent` (`id`) ON DELETE CASCADE",
            "foreign key `k_restrict`",
        ),
        (
            "CHARACTER SET latin1 COLLATE latin1_swedish_ci",
            "CHARACTER SET latin1 COLLATE latin1_bin",
            "kinds.latin",
        ),
    ] {
        assert!(dump.contains(from), "{from}: {dump}");
        p.write("schema.sql", &dump.replacen(from, to, 1));
        let (code, text) = crate::util::run_text(&p, &["check"]);
        assert!(code == 1 && text.contains(change), "{change}: {text}");
    }
}

/// A database a project built with views of many shapes, dumped by mysqldump and
/// used as the project's `schema.sql`: no changes and no drift. MySQL and MariaDB
/// store a view's query with every name quoted and qualified, `AS` aliases, `USING`
/// as `ON` and functions of their own names (`count(0)`, `ucase`), which read as
/// changed views and made `migrate` write every view again.
#[test]
fn a_mysqldump_of_views_a_project_built_is_no_change_and_no_drift() {
    let Some(db) = TestDb::new(Server::Mysql, "viewdump") else {
        return;
    };
    let p = project(&db);
    // With what MySQL stores in words of its own.
    let shapes = format!(
        "{}\nCREATE VIEW v_mysql AS SELECT c.id, substring(name, 1, 3) AS s, length(name) AS n, \
         total % 3 AS m, date_add(curdate(), INTERVAL 1 DAY) AS d \
         FROM customers c, orders o WHERE o.customer_id = c.id AND NOT (total < 3) \
         AND c.id NOT IN (SELECT customer_id FROM orders WHERE status = \"x\") \
         ORDER BY 1 LIMIT 5 OFFSET 2;\n",
        // The tables' character set as the dump states it.
        crate::pg_dump::VIEW_SHAPES
            .replace(
                "varchar(10));",
                "varchar(10)) DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;"
            )
            .replace(
                "varchar(30));",
                "varchar(30)) DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;"
            )
    );
    p.write("schema.sql", &shapes);
    ok(&p, &["migrate", "-m", "views"]);
    ok(&p, &["upgrade"]);
    let (code, text) = crate::util::run_text(&p, &["check"]);
    assert_eq!(code, 0, "{text}");
    let Some(dump) = mysqldump(&db) else {
        return;
    };
    assert!(
        dump.contains("select `customers`.`name` AS `name`,`orders`.`total` AS `total` from (`customers` join `orders`"),
        "{dump}"
    );
    crate::pg_dump::view_shapes_survive_the_dump(&p, &dump, &shapes);
}
