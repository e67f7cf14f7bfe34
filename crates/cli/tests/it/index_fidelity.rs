//! Indexes and constraints reach the database as `schema.sql` writes them, or are
//! refused by name with their line: never built weaker (an index without `NULLS NOT
//! DISTINCT` accepts duplicate NULL rows) and never passed over.

use predicates::prelude::*;
use predicates::str::contains;

use crate::servers::{Server, TestDb};
use crate::util::TempProject;

/// A PostgreSQL project; `migrate` needs no server.
fn postgres_project() -> TempProject {
    let p = TempProject::init();
    p.write(
        "wildebeest.toml",
        "database_url = \"postgres://postgres@127.0.0.1:5432/test\"\n",
    );
    p
}

#[test]
fn index_include_and_storage_parameters_are_refused_by_name_on_sqlite_and_mysql() {
    for (clause, named) in [
        ("INCLUDE (b)", "`INCLUDE (...)` is PostgreSQL's"),
        (
            "WITH (fillfactor=70)",
            "`WITH (fillfactor = 70)` is PostgreSQL's",
        ),
    ] {
        for url in ["sqlite:app.db", "mysql://root@127.0.0.1:3306/test"] {
            let p = TempProject::init();
            p.write("wildebeest.toml", &format!("database_url = \"{url}\"\n"));
            p.write(
                "schema.sql",
                &format!("CREATE TABLE t (a int, b int);\nCREATE INDEX t_a ON t (a) {clause};\n"),
            );
            p.cmd(&["migrate", "-m", "one"])
                .assert()
                .code(2)
                .stderr(contains(format!("schema.sql:2:14: index `t_a`: {named}")));
            assert!(p.migrations().is_empty());
        }
    }
}

#[test]
fn an_explicit_nulls_distinct_index_is_the_plain_one() {
    let p = postgres_project();
    p.write(
        "schema.sql",
        "CREATE TABLE t (a int);\nCREATE UNIQUE INDEX t_a ON t (a) NULLS DISTINCT;\n",
    );
    p.cmd(&["migrate", "-m", "one"]).assert().success();
    assert_eq!(p.migrations().len(), 1);
}

/// `migrate` on `schema` in a SQLite project exits 2 with `message`.
fn refused_on_sqlite(schema: &str, message: &str) {
    let p = TempProject::init();
    p.write("schema.sql", schema);
    p.cmd(&["migrate", "-m", "one"])
        .assert()
        .code(2)
        .stderr(contains(message));
    assert!(p.migrations().is_empty());
}

#[test]
fn a_deferrable_unique_or_primary_key_is_refused_by_name_where_keys_cannot_defer() {
    refused_on_sqlite(
        "CREATE TABLE a (x int);\nALTER TABLE a ADD CONSTRAINT k UNIQUE (x) DEFERRABLE;\n",
        "schema.sql:2:13: `ADD CONSTRAINT k UNIQUE (x) DEFERRABLE` cannot be modeled",
    );
    refused_on_sqlite(
        "CREATE TABLE a (x int, CONSTRAINT k UNIQUE (x) DEFERRABLE INITIALLY DEFERRED);\n",
        "schema.sql:1: table `a` is new and has `CONSTRAINT k UNIQUE (x) DEFERRABLE \
         INITIALLY DEFERRED`, which the model cannot hold",
    );
    refused_on_sqlite(
        "CREATE TABLE a (x int PRIMARY KEY DEFERRABLE);\n",
        "schema.sql:1: table `a` is new and has `column x: PRIMARY KEY DEFERRABLE`",
    );
}

/// Deferrable keys, inline and added by `ALTER TABLE ... ADD CONSTRAINT` after the
/// table (pg_dump's form, once skipped as no table or index), reach the database:
/// a duplicate is allowed until the commit, `check` compares the deferral, a change
/// of it makes the constraint again, and the downgrade gives it back.
#[test]
fn deferrable_unique_and_primary_keys_reach_the_database_and_defer() {
    let schema = "CREATE TABLE a (id int PRIMARY KEY DEFERRABLE INITIALLY DEFERRED, x int);\n\
                  ALTER TABLE a ADD CONSTRAINT k UNIQUE (x) DEFERRABLE;\n";
    let Some((db, p)) = converges_on_postgres("deferrablekeys", schema) else {
        return;
    };
    let kinds = "SELECT conname::text, condeferrable::text, condeferred::text FROM pg_constraint \
                 WHERE conrelid = 'a'::regclass ORDER BY conname";
    assert_eq!(
        db.rows(kinds),
        [["a_pkey", "true", "true"], ["k", "true", "false"]]
    );
    // Two rows with one key in the middle of a transaction, told apart before commit.
    db.execute(
        "BEGIN; SET CONSTRAINTS k DEFERRED; \
         INSERT INTO a (id, x) VALUES (1, 1), (1, 1); \
         UPDATE a SET id = 2, x = 2 WHERE ctid = (SELECT max(ctid) FROM a); COMMIT",
    );
    assert_eq!(db.rows("SELECT count(*)::text FROM a"), [["2"]]);

    db.execute("ALTER TABLE a DROP CONSTRAINT k; ALTER TABLE a ADD CONSTRAINT k UNIQUE (x)");
    p.cmd(&["check"]).assert().code(1).stdout(contains(
        "unique constraint `k` on `a` (x) deferrable initially immediate",
    ));
    db.execute(
        "ALTER TABLE a DROP CONSTRAINT k; ALTER TABLE a ADD CONSTRAINT k UNIQUE (x) DEFERRABLE",
    );
    p.cmd(&["check"]).assert().success();

    p.write(
        "schema.sql",
        &schema.replace("UNIQUE (x) DEFERRABLE", "UNIQUE (x)"),
    );
    p.cmd(&["migrate", "-m", "three"]).assert().success();
    p.cmd(&["upgrade"]).assert().success();
    p.cmd(&["check"]).assert().success();
    assert_eq!(
        db.rows(kinds),
        [["a_pkey", "true", "true"], ["k", "false", "false"]]
    );
    p.cmd(&["downgrade", "-1"]).assert().success();
    assert_eq!(
        db.rows(kinds),
        [["a_pkey", "true", "true"], ["k", "true", "false"]]
    );
}

/// A project on `db`.
fn project_on(db: &TestDb) -> TempProject {
    let p = TempProject::init();
    p.write(
        "wildebeest.toml",
        &format!("database_url = \"{}\"\n", db.url),
    );
    p
}

/// `schema` migrates, upgrades and checks clean on PostgreSQL, and downgrades to
/// nothing.
fn converges_on_postgres(test: &str, schema: &str) -> Option<(TestDb, TempProject)> {
    let db = TestDb::new(Server::Postgres, test)?;
    let p = project_on(&db);
    p.write("schema.sql", schema);
    p.cmd(&["migrate", "-m", "one"]).assert().success();
    p.cmd(&["upgrade"]).assert().success();
    p.cmd(&["check"]).assert().success();
    p.cmd(&["migrate", "-m", "two"])
        .assert()
        .success()
        .stdout(contains("No changes"));
    Some((db, p))
}

#[test]
fn an_expression_index_with_an_operator_class_upgrades_and_checks_clean() {
    let schema = "CREATE TABLE t (name varchar(20), n text);\n\
                  CREATE INDEX t_lower ON t ((lower(name)) text_pattern_ops);\n\
                  CREATE INDEX t_concat ON t ((n || 'x') text_pattern_ops DESC);\n";
    let Some((db, p)) = converges_on_postgres("exprclass", schema) else {
        return;
    };
    let defs = db.rows(
        "SELECT pg_get_indexdef(indexrelid) FROM pg_index \
         WHERE indrelid = 't'::regclass ORDER BY indexrelid::regclass::text",
    );
    assert_eq!(
        defs.concat(),
        [
            format!(
                "CREATE INDEX t_concat ON {}.t USING btree (((n || 'x'::text)) text_pattern_ops DESC)",
                db.name
            ),
            format!(
                "CREATE INDEX t_lower ON {}.t USING btree (lower((name)::text) text_pattern_ops)",
                db.name
            ),
        ]
    );
    p.cmd(&["downgrade", "base"]).assert().success();
    assert!(
        db.rows("SELECT 1 FROM pg_class WHERE relname = 't_lower'")
            .is_empty()
    );
}

#[test]
fn an_explicit_default_operator_class_is_no_drift_after_upgrade() {
    let schema = "CREATE TABLE t (name varchar(20), n text);\n\
                  CREATE INDEX t_n ON t (n text_ops);\n\
                  CREATE INDEX t_name ON t (name text_ops);\n";
    let Some((_db, p)) = converges_on_postgres("defaultclass", schema) else {
        return;
    };
    p.cmd(&["downgrade", "base"]).assert().success();
}

#[test]
fn a_nulls_not_distinct_index_refuses_duplicate_nulls_after_upgrade() {
    let schema = "CREATE TABLE t (a int, b int);\n\
                  CREATE UNIQUE INDEX t_a ON t (a, b) NULLS NOT DISTINCT;\n";
    let Some((db, p)) = converges_on_postgres("nullsnotdistinct", schema) else {
        return;
    };
    let migration = std::fs::read_to_string(&p.migrations()[0]).unwrap();
    assert!(
        migration.contains("CREATE UNIQUE INDEX t_a ON t (a, b) NULLS NOT DISTINCT"),
        "{migration}"
    );
    db.execute("INSERT INTO t (a, b) VALUES (1, NULL)");
    let server = std::env::var("WILDEBEEST_TEST_POSTGRES_URL").unwrap();
    let mut client = postgres::Client::connect(&server, postgres::NoTls).unwrap();
    let dup = client
        .batch_execute(&format!(
            "INSERT INTO \"{}\".t (a, b) VALUES (1, NULL)",
            db.name
        ))
        .expect_err("a duplicate NULL row was taken");
    assert_eq!(
        dup.code(),
        Some(&postgres::error::SqlState::UNIQUE_VIOLATION),
        "{dup:?}"
    );

    // The clause taken off is a change: the index is made again without it.
    p.write("schema.sql", &schema.replace(" NULLS NOT DISTINCT", ""));
    p.cmd(&["check"])
        .assert()
        .code(1)
        .stdout(contains("nulls not distinct"));
    p.cmd(&["migrate", "-m", "plain"]).assert().success();
    p.cmd(&["upgrade"]).assert().success();
    p.cmd(&["check"]).assert().success();
    let nnd = "SELECT indnullsnotdistinct::text FROM pg_index WHERE indexrelid = 't_a'::regclass";
    assert_eq!(db.rows(nnd), [["false"]]);
    // The downgrade gives the clause back.
    p.cmd(&["downgrade", "-1"]).assert().success();
    assert_eq!(db.rows(nnd), [["true"]]);
    p.cmd(&["downgrade", "base", "--allow-data-loss"])
        .assert()
        .success();
    assert!(
        db.rows("SELECT 1 WHERE to_regclass('t_a') IS NOT NULL")
            .is_empty()
    );
}

/// `INCLUDE (...)` and storage parameters reach the database as written, `check`
/// compares them (one set by hand is drift), a change makes the index again, and the
/// downgrade gives the earlier ones back.
#[test]
fn index_include_and_storage_parameters_reach_the_database_and_are_compared() {
    let schema = "CREATE TABLE t (id int PRIMARY KEY, a int, b text);\n\
                  CREATE UNIQUE INDEX t_cover ON t (a) INCLUDE (b) WITH (fillfactor = 70);\n";
    let Some((db, p)) = converges_on_postgres("includestorage", schema) else {
        return;
    };
    db.execute("INSERT INTO t (id, a, b) VALUES (1, 1, 'x'), (2, 2, 'y')");
    let def = "SELECT pg_get_indexdef('t_cover'::regclass)";
    assert_eq!(
        db.rows(def),
        [[format!(
            "CREATE UNIQUE INDEX t_cover ON {}.t USING btree (a) INCLUDE (b) WITH (fillfactor='70')",
            db.name
        )]]
    );
    db.execute("ALTER INDEX t_cover SET (fillfactor = 60)");
    p.cmd(&["check"])
        .assert()
        .code(1)
        .stdout(contains("with (fillfactor=60)"));
    db.execute("ALTER INDEX t_cover RESET (fillfactor)");
    p.cmd(&["check"])
        .assert()
        .code(1)
        .stdout(contains("include (b)\n"));
    db.execute("ALTER INDEX t_cover SET (fillfactor = 70)");
    p.cmd(&["check"]).assert().success();

    p.write(
        "schema.sql",
        &schema.replace("INCLUDE (b) WITH (fillfactor = 70)", "INCLUDE (id, b)"),
    );
    p.cmd(&["migrate", "-m", "three"]).assert().success();
    p.cmd(&["upgrade"]).assert().success();
    p.cmd(&["check"]).assert().success();
    assert_eq!(
        db.rows(def),
        [[format!(
            "CREATE UNIQUE INDEX t_cover ON {}.t USING btree (a) INCLUDE (id, b)",
            db.name
        )]]
    );
    p.cmd(&["downgrade", "-1"]).assert().success();
    assert_eq!(
        db.rows(def),
        [[format!(
            "CREATE UNIQUE INDEX t_cover ON {}.t USING btree (a) INCLUDE (b) WITH (fillfactor='70')",
            db.name
        )]]
    );
    assert_eq!(db.rows("SELECT count(*)::text FROM t"), [["2"]]);
}

/// A table's storage parameters reach the database, `check` compares them, a change
/// is `ALTER TABLE ... SET` / `RESET` and the downgrade gives the earlier ones back,
/// the rows kept; a migration's `RESET` is followed by the model (no warning).
#[test]
fn table_storage_parameters_reach_the_database_and_are_compared() {
    let schema = "CREATE TABLE t (id int PRIMARY KEY, b text) WITH (fillfactor = 70, autovacuum_enabled = off);\n";
    let Some((db, p)) = converges_on_postgres("tablestorage", schema) else {
        return;
    };
    db.execute("INSERT INTO t (id, b) VALUES (1, 'x')");
    let options = "SELECT array_to_string(reloptions, ',') FROM pg_class WHERE oid = 't'::regclass";
    assert_eq!(db.rows(options), [["autovacuum_enabled=off,fillfactor=70"]]);
    db.execute("ALTER TABLE t SET (fillfactor = 60)");
    p.cmd(&["check"]).assert().code(1).stdout(contains(
        "storage parameters (autovacuum_enabled=off, fillfactor=70) -> (autovacuum_enabled=off, fillfactor=60)",
    ));
    db.execute("ALTER TABLE t SET (fillfactor = 70)");
    p.cmd(&["check"]).assert().success();

    p.write(
        "schema.sql",
        "CREATE TABLE t (id int PRIMARY KEY, b text) WITH (fillfactor = 80);\n",
    );
    p.cmd(&["migrate", "-m", "three"]).assert().success();
    p.cmd(&["upgrade"])
        .assert()
        .success()
        .stderr(contains("warning").not());
    p.cmd(&["check"]).assert().success();
    assert_eq!(db.rows(options), [["fillfactor=80"]]);
    p.cmd(&["downgrade", "-1"])
        .assert()
        .success()
        .stderr(contains("warning").not());
    // Set again in the model's order, which the server keeps.
    assert_eq!(db.rows(options), [["autovacuum_enabled=off,fillfactor=70"]]);
    assert_eq!(db.rows("SELECT b FROM t"), [["x"]]);
}

#[test]
fn a_nulls_not_distinct_index_is_refused_by_name_on_sqlite_and_mysql() {
    let p = TempProject::init();
    p.write(
        "schema.sql",
        "CREATE TABLE t (a int);\nCREATE UNIQUE INDEX t_a ON t (a) NULLS NOT DISTINCT;\n",
    );
    p.cmd(&["migrate", "-m", "one"])
        .assert()
        .code(2)
        .stderr(contains(
            "schema.sql:2:21: index `t_a`: `NULLS NOT DISTINCT` is PostgreSQL's",
        ));
    assert!(p.migrations().is_empty());
}

#[test]
fn a_check_in_a_list_of_one_is_no_drift_after_upgrade() {
    let schema = "CREATE TABLE t (s text CHECK (s IN ('x')), u text CHECK (u NOT IN ('y')));\n";
    let Some((_db, p)) = converges_on_postgres("inlistofone", schema) else {
        return;
    };
    p.cmd(&["downgrade", "base"]).assert().success();
}

const MYSQL_FULLTEXT: &str = "CREATE TABLE t (id int PRIMARY KEY, body text);\n\
                              CREATE FULLTEXT INDEX t_body ON t (body);\n";
const POSTGRES_HASH: &str = "CREATE TABLE t (id int PRIMARY KEY, tags text);\n\
                             CREATE INDEX t_tags ON t USING hash (tags);\n";

/// A folder whose `schema.sql` is written in `dialect`, migrated, then upgraded on
/// `db` (SQLite's file when `None`): exit 2 naming the index and what it is, and
/// nothing ran, not even the revision's `CREATE TABLE`.
fn foreign_index_refused(db: Option<&TestDb>, dialect: &str, schema: &str, message: &str) {
    let p = TempProject::on(db);
    let url = db.map_or("sqlite:app.db".to_string(), |d| d.url.clone());
    p.write(
        "wildebeest.toml",
        &format!("database_url = \"{url}\"\nschema_dialect = \"{dialect}\"\n"),
    );
    p.write("schema.sql", schema);
    crate::util::ok(&p, &["migrate", "-m", "one"]);
    let (code, text) = crate::util::run_text(&p, &["upgrade"]);
    assert_eq!(code, 2, "{text}");
    assert!(text.contains(message), "{text}");
    let (_, current) = crate::util::run_text(&p, &["current"]);
    assert!(current.contains("base"), "{current}");
    let tables = match db {
        None => p.rows("SELECT name FROM sqlite_master WHERE name = 't'"),
        Some(db) if db.server == Server::Postgres => db.rows(&format!(
            "SELECT tablename FROM pg_tables WHERE schemaname = '{}' AND tablename = 't'",
            db.name
        )),
        Some(db) => db.rows(&format!(
            "SELECT table_name FROM information_schema.tables \
             WHERE table_schema = '{}' AND table_name = 't'",
            db.name
        )),
    };
    assert!(tables.is_empty(), "{tables:?}");
}

/// MySQL's `FULLTEXT` index, in a folder written for MySQL, was sent to PostgreSQL as
/// `USING FULLTEXT`, which failed at `upgrade`.
#[test]
fn a_mysql_fulltext_index_is_refused_by_name_on_postgres_before_anything_runs() {
    let Some(db) = TestDb::new(Server::Postgres, "fulltextonpg") else {
        return;
    };
    foreign_index_refused(
        Some(&db),
        "mysql",
        MYSQL_FULLTEXT,
        "index `t_body` on `t` is a FULLTEXT index, which is MySQL's: PostgreSQL has no such index",
    );
}

/// On SQLite the `FULLTEXT` index became a plain one.
#[test]
fn a_mysql_fulltext_index_is_refused_by_name_on_sqlite_not_made_plain() {
    foreign_index_refused(
        None,
        "mysql",
        MYSQL_FULLTEXT,
        "index `t_body` on `t` is a FULLTEXT index, which is MySQL's: SQLite has no such index",
    );
}

/// PostgreSQL's access methods became plain B-tree indexes on MySQL and SQLite.
#[test]
fn a_postgres_access_method_is_refused_by_name_on_mysql_and_sqlite() {
    foreign_index_refused(
        None,
        "postgresql",
        POSTGRES_HASH,
        "index `t_tags` on `t` is a `USING hash` index, which is PostgreSQL's: SQLite has no such index",
    );
    let Some(db) = TestDb::new(Server::Mysql, "hashonmysql") else {
        return;
    };
    foreign_index_refused(
        Some(&db),
        "postgresql",
        POSTGRES_HASH,
        "index `t_tags` on `t` is a `USING hash` index, which is PostgreSQL's: MySQL has no such index",
    );
}

/// Each database still builds its own kinds.
#[test]
fn each_database_builds_its_own_index_kinds() {
    for (server, schema, name) in [
        (Server::Mysql, MYSQL_FULLTEXT, "ownfulltext"),
        (Server::Postgres, POSTGRES_HASH, "ownhash"),
    ] {
        let Some(db) = TestDb::new(server, name) else {
            continue;
        };
        let p = TempProject::on(Some(&db));
        p.write("schema.sql", schema);
        crate::util::ok(&p, &["migrate", "-m", "one"]);
        crate::util::ok(&p, &["upgrade"]);
        crate::util::ok(&p, &["check"]);
    }
}

/// What of a PostgreSQL table, index or key the other databases have no place for
/// (an index's `INCLUDE` and storage parameters, a table's storage parameters, a
/// deferrable key; and an aggregate) was left out by their renderers, without a word, when a folder
/// written for PostgreSQL ran there.
#[test]
fn postgres_only_parts_are_refused_by_name_on_mysql_and_sqlite() {
    let cases = [
        (
            "CREATE TABLE t (id int PRIMARY KEY, a int, b int);\n\
             CREATE INDEX t_a ON t (a) INCLUDE (b);\n",
            "index `t_a` on `t` includes (b), which is PostgreSQL's",
        ),
        (
            "CREATE TABLE t (id int PRIMARY KEY, a int);\n\
             CREATE INDEX t_a ON t (a) WITH (fillfactor = 70);\n",
            "index `t_a` on `t` has storage parameters WITH (fillfactor=70), which is PostgreSQL's",
        ),
        (
            "CREATE TABLE t (id int PRIMARY KEY) WITH (fillfactor = 80);\n",
            "table `t` has storage parameters WITH (fillfactor=80), which is PostgreSQL's",
        ),
        (
            "CREATE TABLE t (id int PRIMARY KEY, a int,\n\
             CONSTRAINT t_a_key UNIQUE (a) DEFERRABLE INITIALLY DEFERRED);\n",
            "on `t` is deferrable, which is PostgreSQL's",
        ),
        (
            "CREATE TABLE t (id int PRIMARY KEY, during tstzrange,\n\
             EXCLUDE USING gist (during WITH &&));\n",
            "exclusion constraint `t_during_excl` on `t` (EXCLUDE USING gist (during WITH &&)), \
             which is PostgreSQL's",
        ),
        (
            "CREATE TABLE t (id int PRIMARY KEY, a int);\n\
             ALTER TABLE t ADD CONSTRAINT t_a_once EXCLUDE (a WITH =);\n",
            "exclusion constraint `t_a_once` on `t` (EXCLUDE USING btree (a WITH =)), which is \
             PostgreSQL's",
        ),
        (
            "CREATE TABLE t (id int PRIMARY KEY, a int, CHECK (a > 0) NO INHERIT);\n",
            "check (a > 0) no inherit on `t` is NO INHERIT, which is PostgreSQL's",
        ),
        (
            "CREATE TABLE t (id int PRIMARY KEY, a int);\n\
             CREATE INDEX t_a ON t (a);\n\
             COMMENT ON INDEX t_a IS 'by a';\n",
            "a comment on index `t_a`, which is PostgreSQL's",
        ),
        (
            "CREATE TABLE t (id int PRIMARY KEY, a int CONSTRAINT a_pos CHECK (a > 0));\n\
             COMMENT ON CONSTRAINT a_pos ON t IS 'positive';\n",
            "a comment on constraint `a_pos` on `t`, which is PostgreSQL's",
        ),
        (
            "CREATE TABLE t (id int PRIMARY KEY, n int);\n\
             CREATE AGGREGATE total(integer) (SFUNC = int4pl, STYPE = integer);\n",
            "aggregate `total(integer)`, which is PostgreSQL's",
        ),
    ];
    let mysql = TestDb::new(Server::Mysql, "pgonlyparts");
    for (schema, message) in cases {
        foreign_index_refused(None, "postgresql", schema, message);
        if let Some(db) = &mysql {
            foreign_index_refused(Some(db), "postgresql", schema, message);
        }
    }
}

/// What of a MySQL table or index the other databases have no place for (an
/// invisible column, a key hidden from the optimizer, a key's comment, a key on a column's prefix, the table options beyond engine, character
/// set, collation and comment) is refused by name when a folder written for MySQL
/// runs there, as MySQL's `FULLTEXT` index is, instead of being left out without a
/// word.
#[test]
fn mysql_only_parts_are_refused_by_name_on_postgres_and_sqlite() {
    let cases = [
        (
            "CREATE TABLE t (id int PRIMARY KEY, a int, KEY t_a (a) COMMENT 'by a');\n",
            "index `t_a` on `t` has a comment (COMMENT 'by a'), which is MySQL's",
        ),
        (
            "CREATE TABLE t (id int PRIMARY KEY, a int);\n\
             ALTER TABLE t ADD INDEX t_a (a) COMMENT 'by a';\n",
            "index `t_a` on `t` has a comment (COMMENT 'by a'), which is MySQL's",
        ),
        (
            "CREATE TABLE t (id int PRIMARY KEY, a varchar(40), KEY t_a (a(5)));\n",
            "index `t_a` on `t` is a key on a prefix (`a`(5)), which is MySQL's",
        ),
        (
            "CREATE TABLE t (id int PRIMARY KEY, a varchar(40));\n\
             CREATE UNIQUE INDEX t_a ON t (id, a(5) DESC);\n",
            "index `t_a` on `t` is a key on a prefix (`a`(5) DESC), which is MySQL's",
        ),
        (
            "CREATE TABLE t (id int PRIMARY KEY) ROW_FORMAT=COMPRESSED STATS_PERSISTENT=0;\n",
            "table `t` has the table options ROW_FORMAT=COMPRESSED STATS_PERSISTENT=0, which is MySQL's",
        ),
        (
            "CREATE TABLE t (id int PRIMARY KEY, a int INVISIBLE);\n",
            "column `t.a` is invisible (INVISIBLE), which is MySQL's",
        ),
        (
            "CREATE TABLE t (id int PRIMARY KEY, a int, KEY t_a (a) IGNORED);\n",
            "index `t_a` on `t` is hidden from the optimizer (IGNORED), which is MySQL's",
        ),
        (
            "CREATE TABLE t (id int PRIMARY KEY, a int);\n\
             CREATE INDEX t_a ON t (a) INVISIBLE;\n",
            "index `t_a` on `t` is hidden from the optimizer (INVISIBLE), which is MySQL's",
        ),
    ];
    let postgres = TestDb::new(Server::Postgres, "mysqlonlyparts");
    for (schema, message) in cases {
        foreign_index_refused(None, "mysql", schema, message);
        if let Some(db) = &postgres {
            foreign_index_refused(Some(db), "mysql", schema, message);
        }
    }
}

/// `USING BTREE` is what a MySQL key is without it, and `AUTO_INCREMENT=n` of a
/// table is its counter, data: neither is refused, nor drift after an upgrade.
#[test]
fn using_btree_and_the_auto_increment_counter_are_no_drift_on_mysql() {
    let Some(db) = TestDb::new(Server::Mysql, "usingbtree") else {
        return;
    };
    let p = TempProject::on(Some(&db));
    p.write(
        "schema.sql",
        "CREATE TABLE t (\n  id int NOT NULL AUTO_INCREMENT,\n  a int,\n  b int,\n  \
         PRIMARY KEY (id) USING BTREE,\n  UNIQUE KEY t_b (b) USING BTREE,\n  \
         KEY t_a USING BTREE (a)\n) ENGINE=InnoDB AUTO_INCREMENT=40;\n",
    );
    crate::util::ok(&p, &["migrate", "-m", "one"]);
    crate::util::ok(&p, &["upgrade"]);
    db.execute("INSERT INTO t (a, b) VALUES (1, 2)");
    crate::util::ok(&p, &["check"]);
}

/// `USING HASH` on a MySQL key stays refused by name: InnoDB builds a B-tree in its
/// place and reports `BTREE`, so holding it would be drift at once.
#[test]
fn a_mysql_hash_key_is_refused_by_name() {
    let p = TempProject::on(None);
    p.write(
        "wildebeest.toml",
        "database_url = \"sqlite:app.db\"\nschema_dialect = \"mysql\"\n",
    );
    p.write(
        "schema.sql",
        "CREATE TABLE t (id int PRIMARY KEY, a int, KEY t_a (a) USING HASH);\n",
    );
    let (code, text) = crate::util::run_text(&p, &["migrate", "-m", "one"]);
    assert_eq!(code, 2, "{text}");
    assert!(
        text.contains("has `KEY t_a (a) USING HASH`, which the model cannot hold"),
        "{text}"
    );
}
