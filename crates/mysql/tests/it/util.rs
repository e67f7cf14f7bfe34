//! Shared helpers: a database of its own per test, and migrations run the way the
//! runner runs them.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use mysql::prelude::Queryable;
use wildebeest_mysql::{MysqlBackend, render_op};
use wildebeest_runner::{Backend, BackendError, Operation, Record, Script, Step};
use wildebeest_schema::{Check, Constraint, ForeignKey, Hints, Op, Schema, Unique, diff};
use wildebeest_sql::{Dialect, parse_statements};

/// The variable that names the server.
pub const URL_VAR: &str = "WILDEBEEST_TEST_MYSQL_URL";

/// A database of its own on the test server, dropped on drop.
pub struct TestDb {
    pub name: String,
    /// The URL of this database.
    pub url: String,
    admin: mysql::Conn,
}

/// The test database, or (when the server is not configured) a note and `return`.
macro_rules! test_db {
    () => {
        match crate::util::TestDb::new() {
            Some(db) => db,
            None => return,
        }
    };
}
pub(crate) use test_db;

static COUNTER: AtomicU64 = AtomicU64::new(0);

/// A name no other test (in this run or a parallel one) uses.
fn unique_name() -> String {
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let mixed = (nanos as u64)
        ^ (u64::from(std::process::id()) << 32)
        ^ n.wrapping_mul(0x9e37_79b9_7f4a_7c15);
    format!("wb_test_{mixed:016x}")
}

/// `url` with its database replaced by `name` (query kept).
fn with_database(url: &str, name: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, format!("?{q}")),
        None => (url, String::new()),
    };
    let after_scheme = base.find("://").map_or(0, |i| i + 3);
    let host_end = base[after_scheme..]
        .find('/')
        .map_or(base.len(), |i| after_scheme + i);
    format!("{}/{name}{query}", &base[..host_end])
}

impl TestDb {
    pub fn new() -> Option<TestDb> {
        let base = wildebeest_testkit::server_url(URL_VAR)?;
        let name = unique_name();
        // The driver knows no `ssl-mode`: the admin connection goes without the query.
        let plain = base.split('?').next().unwrap_or(&base);
        let opts = mysql::Opts::from_url(plain).expect("a mysql:// URL");
        let mut admin = mysql::Conn::new(opts).expect("the test server answers");
        admin
            .query_drop(format!("CREATE DATABASE `{name}`"))
            .expect("a test database");
        admin.query_drop(format!("USE `{name}`")).unwrap();
        Some(TestDb {
            url: with_database(&base, &name),
            name,
            admin,
        })
    }

    pub fn backend(&self) -> MysqlBackend {
        MysqlBackend::connect(&self.url).unwrap()
    }

    /// Runs statements on a plain connection, foreign key checks off (so that tables
    /// can be made in any order).
    pub fn exec(&mut self, sql: &str) {
        self.admin.query_drop("SET FOREIGN_KEY_CHECKS = 0").unwrap();
        for s in wildebeest_sql::split_statements(sql) {
            self.admin
                .query_drop(&s.0)
                .unwrap_or_else(|e| panic!("{}: {e}", s.0));
        }
        self.admin.query_drop("SET FOREIGN_KEY_CHECKS = 1").unwrap();
    }

    /// The rows of `sql`, each value as text (`NULL` for null).
    pub fn rows(&mut self, sql: &str) -> Vec<Vec<String>> {
        let rows: Vec<mysql::Row> = self.admin.query(sql).unwrap();
        rows.into_iter()
            .map(|r| {
                r.unwrap()
                    .into_iter()
                    .map(|v| match v {
                        mysql::Value::NULL => "NULL".to_string(),
                        mysql::Value::Bytes(b) => String::from_utf8_lossy(&b).into_owned(),
                        other => other.as_sql(true),
                    })
                    .collect()
            })
            .collect()
    }

    /// Makes the tables of `schema` as the renderer writes them.
    pub fn create(&mut self, schema: &Schema) {
        let mut sql = Vec::new();
        for t in schema.tables.values() {
            sql.extend(render_op(&Op::CreateTable(t.clone()), &Schema::new()).unwrap());
        }
        self.exec(&sql.join(";\n"));
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        let _ = self
            .admin
            .query_drop(format!("DROP DATABASE IF EXISTS `{}`", self.name));
    }
}

/// Rows written as `[["1", "a"], ...]`.
pub fn table(rows: &[&[&str]]) -> Vec<Vec<String>> {
    rows.iter()
        .map(|r| r.iter().map(|s| s.to_string()).collect())
        .collect()
}

/// The bookkeeping of an upgrade to `revision`.
pub fn upgrade(revision: &str) -> Record {
    Record {
        operation: Operation::Upgrade,
        revision: revision.into(),
        other_heads: Vec::new(),
        checksum: format!("sum-{revision}"),
        insert: vec![(revision.into(), format!("sum-{revision}"))],
        delete: vec![],
        started_at: "2026-01-02T03:04:05Z".into(),
    }
}

/// A script of plain statements.
pub fn script(sql: &[&str]) -> Script {
    Script {
        body: sql
            .iter()
            .enumerate()
            .map(|(i, s)| Step {
                sql: s.to_string(),
                line: Some(i + 1),
            })
            .collect(),
        ..Script::default()
    }
}

/// What [`migrate`] did.
#[derive(Debug)]
pub struct Migrated {
    /// The model after the statements.
    pub after: Schema,
    /// The script that ran.
    pub script: Script,
}

static REVISION: AtomicU64 = AtomicU64::new(0);

/// Runs `sql` (a migration section written in `source`) as a new revision the way
/// the runner does: parse, resolve against the inspected schema, plan each
/// statement, wrap, and execute under the lock.
pub fn migrate(
    db: &mut MysqlBackend,
    sql: &str,
    source: Dialect,
) -> Result<Migrated, BackendError> {
    let mut schema = db.inspect()?;
    let (statements, _) = parse_statements(sql, "m.sql", source).unwrap();
    let mut script = Script::default();
    for statement in &statements {
        let ops = match &statement.change {
            Some(change) => change.resolve(&schema).unwrap_or_default(),
            None => Vec::new(),
        };
        let mut after = schema.clone();
        for op in &ops {
            op.apply(&mut after).unwrap();
        }
        let planned = db.plan(&schema, statement, &ops, source)?;
        script.body.extend(planned.sql.into_iter().map(|sql| Step {
            sql,
            line: Some(statement.line),
        }));
        schema = after;
    }
    db.wrap(&mut script);
    db.lock()?;
    db.ensure_version_tables()?;
    let revision = format!("r{}", REVISION.fetch_add(1, Ordering::Relaxed));
    let result = db.execute(&script, &upgrade(&revision), &Default::default());
    db.unlock()?;
    result.map(|()| Migrated {
        after: schema,
        script,
    })
}

/// `schema` with every constraint name that is the constraint's `sql_name` taken
/// away, as MySQL introspection reads them.
pub fn unnamed(schema: &Schema) -> Schema {
    let mut out = schema.clone();
    for t in out.tables.values_mut() {
        let snapshot = t.clone();
        let strip = |c: Constraint| -> Option<String> {
            let own = c.name().map(str::to_string);
            let default = match c {
                Constraint::Unique(u) => Constraint::Unique(Unique { name: None, ..u }),
                Constraint::ForeignKey(f) => Constraint::ForeignKey(ForeignKey { name: None, ..f }),
                Constraint::Check(ch) => Constraint::Check(Check { name: None, ..ch }),
                pk => pk,
            }
            .sql_name(&snapshot);
            own.filter(|n| *n != default)
        };
        for u in &mut t.uniques {
            u.name = strip(Constraint::Unique(u.clone()));
        }
        for f in &mut t.foreign_keys {
            f.name = strip(Constraint::ForeignKey(f.clone()));
        }
        for c in &mut t.checks {
            c.name = strip(Constraint::Check(c.clone()));
        }
        if let Some(pk) = &mut t.primary_key {
            pk.name = None;
        }
        t.normalize();
    }
    out
}

/// Asserts that the database's schema is `want` as far as the diff can tell, `want`
/// as this server stores it (a foreign key action written as no clause is MariaDB's
/// `RESTRICT` and MySQL's `NO ACTION`).
pub fn assert_synced(db: &mut MysqlBackend, want: &Schema) {
    let got = db.inspect().unwrap();
    let want = &db.canonical(want);
    let ops = diff(&got, want, &Hints::default());
    assert!(
        ops.is_empty(),
        "the database differs from the model:\n{ops:#?}\ndatabase: {got:#?}\nmodel: {want:#?}"
    );
}

/// Parses a schema written for MySQL.
pub fn schema(sql: &str) -> Schema {
    wildebeest_sql::parse_schema(sql, "schema.sql", Dialect::Mysql)
        .unwrap()
        .0
}
