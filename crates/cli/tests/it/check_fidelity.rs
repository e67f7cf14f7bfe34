//! `check` never cries wolf and never misses drift: right after a clean `upgrade` it
//! exits 0 whatever spelling `schema.sql` used (the server reads the migrations'
//! schema back as it reads the database, `Backend::server_form`), and a real change to
//! the database is reported. On the real servers; each case named after what broke.

use predicates::prelude::*;
use predicates::str::contains;

use crate::servers::{Server, TestDb};
use crate::util::TempProject;

/// A project on `db`.
fn project_on(db: &TestDb) -> TempProject {
    let p = TempProject::init();
    p.write(
        "wildebeest.toml",
        &format!("database_url = \"{}\"\n", db.url),
    );
    p
}

/// `schema` migrates, upgrades and checks clean on `server`; `None` when the server's
/// variable is not set.
fn clean(server: Server, test: &str, schema: &str) -> Option<(TestDb, TempProject)> {
    let db = TestDb::new(server, test)?;
    let p = project_on(&db);
    p.write("schema.sql", schema);
    p.cmd(&["migrate", "-m", "one"]).assert().success();
    p.cmd(&["upgrade"]).assert().success();
    p.cmd(&["check"])
        .assert()
        .success()
        .stdout(contains("OK: the database is at head"))
        .stderr(contains("warning").not());
    Some((db, p))
}

/// After a clean upgrade of `schema`, `change` run on the database is drift that
/// `check` reports with `said`.
fn drift_reported(server: Server, test: &str, schema: &str, change: &str, said: &str) {
    let Some((db, p)) = clean(server, test, schema) else {
        return;
    };
    db.execute(change);
    p.cmd(&["check"])
        .assert()
        .code(1)
        .stdout(contains("the database has drifted from its migrations"))
        .stdout(contains(said));
}

macro_rules! pg_clean {
    ($($name:ident: $schema:expr;)*) => {$(
        #[test]
        fn $name() {
            clean(Server::Postgres, stringify!($name), $schema);
        }
    )*};
}

pg_clean! {
    a_check_in_a_list_of_one_is_no_drift:
        "CREATE TABLE t (s text CHECK (s IN ('x')));";
    a_check_equal_to_some_array_is_no_drift:
        "CREATE TABLE t (k text CHECK (k = SOME(ARRAY['a', 'b'])));";
    a_check_with_a_row_comparison_is_no_drift:
        "CREATE TABLE t (a int, b int, CHECK ((a, b) > (0, 0)));";
    an_interval_year_default_is_no_drift:
        "CREATE TABLE t (iv interval DEFAULT INTERVAL '1' YEAR, m interval DEFAULT INTERVAL '2 days');";
    a_numeric_default_written_as_a_string_is_no_drift:
        "CREATE TABLE t (n numeric DEFAULT '1.5', m numeric(5, 2) DEFAULT '-0.50');";
    an_explicit_default_operator_class_is_no_drift:
        "CREATE TABLE t (n text, v varchar(20));\n\
         CREATE INDEX t_n ON t (n text_ops);\n\
         CREATE INDEX t_v ON t (v varchar_ops);";
    json_arrow_expression_indexes_are_no_drift:
        "CREATE TABLE t (j jsonb, d json);\n\
         CREATE INDEX t_j ON t ((j -> 'k'));\n\
         CREATE INDEX t_jt ON t ((j ->> 'k'));\n\
         CREATE INDEX t_d ON t ((d ->> 'a'), (j -> 'b' ->> 'c'));";
    an_empty_array_cast_default_is_no_drift:
        "CREATE TABLE t (a INT[] DEFAULT ARRAY[]::INT[], b text[] DEFAULT '{}'::text[]);";
    array_casts_in_a_check_are_no_drift:
        "CREATE TABLE t (k text, tags text[],\n\
         CHECK (tags::text[] <@ ARRAY['a', 'b']::text[]),\n\
         CHECK (k::text = ANY (ARRAY['x'::varchar, 'y'::varchar]::text[])));";
    array_casts_in_a_partial_index_are_no_drift:
        "CREATE TABLE t (k varchar(10), x int);\n\
         CREATE INDEX t_x ON t (x) WHERE k = ANY (ARRAY['a', 'b']::text[]);\n\
         CREATE INDEX t_y ON t (x) WHERE k::text IN ('c', 'd');";
    two_unnamed_checks_whose_generated_names_collide_are_no_drift:
        "CREATE TABLE averyveryveryveryveryveryveryveryveryveryverylongtablenamexx (\n\
         a int, b int, CHECK (a > 0 AND b > 0), CHECK (a < 100 AND b < 100));";
    two_unnamed_checks_on_one_column_are_no_drift:
        "CREATE TABLE t (x int CHECK (x > 0), CHECK (x < 100));";
    an_enum_column_compared_with_its_labels_is_no_drift:
        "CREATE TYPE mood AS ENUM ('sad', 'ok');\n\
         CREATE TABLE t (m mood DEFAULT 'ok' CHECK (m IN ('ok')), n mood[] DEFAULT ARRAY[]::mood[]);\n\
         CREATE INDEX t_m ON t (m) WHERE m <> 'sad';";
}

#[test]
fn a_check_added_later_on_the_same_column_is_no_drift() {
    // PostgreSQL names the second check `t_x_check1` after the order the two were made
    // in, which the model does not keep.
    let Some((_db, p)) = clean(
        Server::Postgres,
        "addedcheck",
        "CREATE TABLE t (x int CHECK (x > 5));",
    ) else {
        return;
    };
    p.write(
        "schema.sql",
        "CREATE TABLE t (x int CHECK (x > 5) CHECK (x < 10));",
    );
    p.cmd(&["migrate", "-m", "two"]).assert().success();
    p.cmd(&["upgrade"]).assert().success();
    p.cmd(&["check"]).assert().success();
}

#[test]
fn check_leaves_no_scratch_schema_behind_on_postgres() {
    let Some((db, p)) = clean(
        Server::Postgres,
        "noscratch",
        "CREATE TABLE t (a int CHECK (a > 0));",
    ) else {
        return;
    };
    p.cmd(&["check"]).assert().success();
    // A scratch schema is made in a transaction that is rolled back: no session ever
    // sees one committed.
    assert!(
        db.rows("SELECT nspname FROM pg_namespace WHERE nspname LIKE 'wildebeest\\_scratch%'")
            .is_empty()
    );
}

const PG_DRIFT_SCHEMA: &str = "CREATE TYPE mood AS ENUM ('sad', 'ok');
CREATE TABLE t (
    id int PRIMARY KEY,
    s text CHECK (s IN ('x')),
    a int, b int,
    n numeric DEFAULT '1.5',
    iv interval DEFAULT INTERVAL '1' YEAR,
    j jsonb,
    m mood,
    CONSTRAINT t_row CHECK ((a, b) > (0, 0))
);
CREATE INDEX t_p ON t (a) WHERE s = ANY (ARRAY['x', 'y']::text[]);
CREATE INDEX t_j ON t ((j ->> 'k'));
CREATE INDEX t_s ON t (s text_ops);
";

#[test]
fn a_changed_check_expression_is_drift_on_postgres() {
    drift_reported(
        Server::Postgres,
        "driftcheck",
        PG_DRIFT_SCHEMA,
        "ALTER TABLE t DROP CONSTRAINT t_s_check; ALTER TABLE t ADD CHECK (s IN ('x', 'z'))",
        "check constraint on `t`",
    );
}

#[test]
fn a_changed_row_comparison_is_drift_on_postgres() {
    drift_reported(
        Server::Postgres,
        "driftrow",
        PG_DRIFT_SCHEMA,
        "ALTER TABLE t DROP CONSTRAINT t_row; ALTER TABLE t ADD CONSTRAINT t_row CHECK ((a, b) >= (0, 0))",
        "`t_row`",
    );
}

#[test]
fn a_changed_default_is_drift_on_postgres() {
    drift_reported(
        Server::Postgres,
        "driftdefault",
        PG_DRIFT_SCHEMA,
        "ALTER TABLE t ALTER COLUMN n SET DEFAULT '1.25'",
        "changed column `t.n`",
    );
    drift_reported(
        Server::Postgres,
        "driftinterval",
        PG_DRIFT_SCHEMA,
        "ALTER TABLE t ALTER COLUMN iv SET DEFAULT INTERVAL '1' MONTH",
        "changed column `t.iv`",
    );
}

#[test]
fn a_changed_index_predicate_is_drift_on_postgres() {
    drift_reported(
        Server::Postgres,
        "driftpred",
        PG_DRIFT_SCHEMA,
        "DROP INDEX t_p; CREATE INDEX t_p ON t (a) WHERE s = ANY (ARRAY['x', 'w']::text[])",
        "index `t_p`",
    );
}

#[test]
fn a_changed_expression_index_or_operator_class_is_drift_on_postgres() {
    drift_reported(
        Server::Postgres,
        "driftexpr",
        PG_DRIFT_SCHEMA,
        "DROP INDEX t_j; CREATE INDEX t_j ON t ((j -> 'k'))",
        "index `t_j`",
    );
    drift_reported(
        Server::Postgres,
        "driftclass",
        PG_DRIFT_SCHEMA,
        "DROP INDEX t_s; CREATE INDEX t_s ON t (s text_pattern_ops)",
        "index `t_s`",
    );
}

#[test]
fn a_changed_column_type_is_drift_on_postgres() {
    drift_reported(
        Server::Postgres,
        "drifttype",
        PG_DRIFT_SCHEMA,
        "ALTER TABLE t ALTER COLUMN n TYPE numeric(10, 2)",
        "changed column `t.n`",
    );
    drift_reported(
        Server::Postgres,
        "driftenum",
        PG_DRIFT_SCHEMA,
        "ALTER TYPE mood ADD VALUE 'glad'",
        "enum type `mood`",
    );
}

#[test]
fn a_user_who_may_not_create_a_schema_is_warned_and_compared_without_the_server() {
    let Some((db, p)) = clean(
        Server::Postgres,
        "noprivilege",
        "CREATE TABLE t (k text CHECK (k IN ('x', 'y')));",
    ) else {
        return;
    };
    let role = format!("{}_r", db.name);
    db.execute(&format!(
        "CREATE ROLE \"{role}\" LOGIN; GRANT USAGE ON SCHEMA \"{0}\" TO \"{role}\"; \
         GRANT SELECT ON ALL TABLES IN SCHEMA \"{0}\" TO \"{role}\"",
        db.name
    ));
    let url = db
        .url
        .replacen("postgres://postgres@", &format!("postgres://{role}@"), 1);
    assert_ne!(url, db.url, "the test server's URL names the user postgres");
    p.write("wildebeest.toml", &format!("database_url = \"{url}\"\n"));
    let out = p.cmd(&["check"]).output().unwrap();
    db.execute(&format!(
        "REVOKE ALL ON ALL TABLES IN SCHEMA \"{0}\" FROM \"{role}\"; \
         REVOKE ALL ON SCHEMA \"{0}\" FROM \"{role}\"; DROP ROLE \"{role}\"",
        db.name
    ));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("the user may not create a schema in this database")
            && stderr.contains("less exact"),
        "{stderr}"
    );
    // Compared as before, without the server's reading: this spelling is one the
    // DB-free forms cover.
    assert_eq!(out.status.code(), Some(0), "{stderr}");
}

macro_rules! mysql_clean {
    ($($name:ident: $schema:expr;)*) => {$(
        #[test]
        fn $name() {
            clean(Server::Mysql, stringify!($name), $schema);
        }
    )*};
}

mysql_clean! {
    mysql_a_check_in_a_list_of_one_is_no_drift:
        "CREATE TABLE t (s varchar(10) CHECK (s IN ('x')));";
    mysql_a_decimal_default_written_as_a_string_is_no_drift:
        "CREATE TABLE t (d decimal(5,2) DEFAULT '1.5', f float DEFAULT '2');";
    mysql_nvarchar_and_checks_across_columns_are_no_drift:
        "CREATE TABLE t (n NVARCHAR(40), a int, b int, CHECK (a < b), CONSTRAINT c2 CHECK (b BETWEEN 1 AND 9));";
}

const MYSQL_DRIFT_SCHEMA: &str = "CREATE TABLE t (
    id int PRIMARY KEY,
    s varchar(10) DEFAULT 'a',
    d decimal(5,2) DEFAULT '1.5',
    CONSTRAINT t_s_in CHECK (s IN ('a', 'b'))
);
CREATE INDEX t_s ON t (s, d);
";

#[test]
fn a_changed_default_check_or_type_is_drift_on_mysql() {
    drift_reported(
        Server::Mysql,
        "mydefault",
        MYSQL_DRIFT_SCHEMA,
        "ALTER TABLE t ALTER COLUMN d SET DEFAULT 1.25",
        "changed column `t.d`",
    );
    drift_reported(
        Server::Mysql,
        "mytype",
        MYSQL_DRIFT_SCHEMA,
        "ALTER TABLE t MODIFY d decimal(6,2) DEFAULT '1.50'",
        "changed column `t.d`",
    );
    drift_reported(
        Server::Mysql,
        "mycheck",
        MYSQL_DRIFT_SCHEMA,
        "ALTER TABLE t DROP CONSTRAINT t_s_in; ALTER TABLE t ADD CONSTRAINT t_s_in CHECK (s IN ('a', 'c'))",
        "check constraint `t_s_in`",
    );
}

#[test]
fn check_drops_a_scratch_database_a_killed_run_left_on_mysql() {
    let Some((db, p)) = clean(
        Server::Mysql,
        "killedscratch",
        "CREATE TABLE t (a int CHECK (a > 0));",
    ) else {
        return;
    };
    // As a run killed between making its scratch database and dropping it leaves it:
    // nobody holds its lock.
    let left = format!("wildebeest_scratch_dead_{}", std::process::id());
    db.execute(&format!("CREATE DATABASE IF NOT EXISTS `{left}`"));
    p.cmd(&["check"]).assert().success();
    assert!(
        db.rows(&format!(
            "SELECT SCHEMA_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = '{left}'"
        ))
        .is_empty()
    );
}

#[test]
fn a_changed_partial_index_is_drift_on_sqlite() {
    let p = TempProject::init();
    p.write(
        "schema.sql",
        "CREATE TABLE t (s NVARCHAR(10) CHECK (s IN ('x')), d DECIMAL(5,2) DEFAULT '1.5');\n\
         CREATE INDEX t_s ON t (s) WHERE d > 1;\n",
    );
    p.cmd(&["migrate", "-m", "one"]).assert().success();
    p.cmd(&["upgrade"]).assert().success();
    p.cmd(&["check"]).assert().success();
    p.conn()
        .execute_batch("DROP INDEX t_s; CREATE INDEX t_s ON t (s) WHERE d > 2;")
        .unwrap();
    p.cmd(&["check"])
        .assert()
        .code(1)
        .stdout(contains("index `t_s`"));
}
