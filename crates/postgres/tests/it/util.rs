//! Shared helpers: a schema of its own per test, dropped when the test ends, and
//! migrations run the way the runner runs them.

use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};
use std::sync::atomic::{AtomicU64, Ordering};

use native_tls::TlsConnector;
use postgres::{Client, SimpleQueryMessage};
use postgres_native_tls::MakeTlsConnector;
use wildebeest_postgres::PgBackend;
use wildebeest_runner::{Backend, BackendError, Operation, Record, Script, Step};
use wildebeest_schema::{Hints, Schema, diff};
use wildebeest_sql::{Dialect, parse_statements};

/// The variable naming the test server.
pub const URL_VAR: &str = "WILDEBEEST_TEST_POSTGRES_URL";

/// Gives the test a [`TestDb`] with `sql` run in its schema, or ends the test (passing)
/// when no test server is configured.
macro_rules! db {
    () => {
        db!("")
    };
    ($sql:expr) => {
        match crate::util::TestDb::with($sql) {
            Some(db) => db,
            None => return,
        }
    };
}
pub(crate) use db;

/// The test server's URL; `None`, saying so, when it is not set.
pub fn url() -> Option<String> {
    wildebeest_testkit::server_url(URL_VAR)
}

/// A name no other test uses: `wb_test_` and 16 hex digits.
pub fn unique_name(prefix: &str) -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let mut h = RandomState::new().build_hasher();
    h.write_u64(COUNTER.fetch_add(1, Ordering::Relaxed));
    h.write_u32(std::process::id());
    format!("{prefix}{:016x}", h.finish())
}

/// A plain connection to the test server (TLS accepted as the URL asks).
pub fn client(url: &str) -> Client {
    let tls = TlsConnector::builder()
        .danger_accept_invalid_certs(true)
        .danger_accept_invalid_hostnames(true)
        .build()
        .unwrap();
    Client::connect(url, MakeTlsConnector::new(tls)).unwrap()
}

/// A schema of its own on the test server, dropped with everything in it when the
/// test ends, however it ends.
pub struct TestDb {
    pub url: String,
    pub schema: String,
    admin: Client,
}

impl TestDb {
    /// A new schema with `sql` run in it.
    pub fn with(sql: &str) -> Option<TestDb> {
        let url = url()?;
        let schema = unique_name("wb_test_");
        let mut admin = client(&url);
        admin
            .batch_execute(&format!("CREATE SCHEMA {schema}"))
            .unwrap();
        let mut db = TestDb { url, schema, admin };
        db.exec(sql);
        Some(db)
    }

    /// A backend on this schema.
    pub fn backend(&self) -> PgBackend {
        PgBackend::connect(&self.url, Some(&self.schema)).unwrap()
    }

    /// Runs `sql` (statements separated by `;`) in this schema.
    pub fn exec(&mut self, sql: &str) {
        self.try_exec(sql).unwrap_or_else(|e| panic!("{sql}: {e}"));
    }

    /// Runs `sql` in this schema, or says why not.
    pub fn try_exec(&mut self, sql: &str) -> Result<(), postgres::Error> {
        self.admin
            .batch_execute(&format!("SET search_path TO {}; {sql}", self.schema))
    }

    /// The rows of `sql`, each column as text (`NULL` for null).
    pub fn rows(&mut self, sql: &str) -> Vec<Vec<String>> {
        let messages = self
            .admin
            .simple_query(&format!("SET search_path TO {}; {sql}", self.schema))
            .unwrap_or_else(|e| panic!("{sql}: {e}"));
        messages
            .iter()
            .filter_map(|m| match m {
                SimpleQueryMessage::Row(r) => Some(
                    (0..r.len())
                        .map(|i| r.get(i).unwrap_or("NULL").to_string())
                        .collect(),
                ),
                _ => None,
            })
            .collect()
    }

    /// The names of the tables of this schema, sorted.
    pub fn tables(&mut self) -> Vec<String> {
        let schema = self.schema.clone();
        self.rows(&format!(
            "SELECT tablename FROM pg_tables WHERE schemaname = '{schema}' ORDER BY tablename"
        ))
        .into_iter()
        .map(|mut r| r.remove(0))
        .collect()
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        let _ = self
            .admin
            .batch_execute(&format!("DROP SCHEMA IF EXISTS {} CASCADE", self.schema));
    }
}

/// Rows written as `[["1", "a"], ...]` from `&[&[&str]]`.
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

/// Runs `sql` (a migration section written in `dialect`) as revision `revision` the
/// way the runner does: parse, resolve against the inspected schema, plan each
/// statement, wrap, and execute under the lock.
pub fn migrate_as(
    db: &mut PgBackend,
    sql: &str,
    dialect: Dialect,
    revision: &str,
) -> Result<Migrated, BackendError> {
    let mut schema = db.inspect()?;
    let (statements, _) = parse_statements(sql, "m.sql", dialect).unwrap();
    let mut script = Script::default();
    for statement in &statements {
        let ops = match &statement.change {
            Some(change) => change
                .resolve(&schema)
                .unwrap_or_else(|e| panic!("{}: {e}", statement.text)),
            None => Vec::new(),
        };
        let mut after = schema.clone();
        for op in &ops {
            op.apply(&mut after).unwrap();
        }
        let planned = db.plan(&schema, statement, &ops, dialect)?;
        script.body.extend(planned.sql.into_iter().map(|sql| Step {
            sql,
            line: Some(statement.line),
        }));
        schema = after;
    }
    db.wrap(&mut script);
    db.lock()?;
    let result = db
        .ensure_version_tables()
        .and_then(|()| db.execute(&script, &upgrade(revision), &Default::default()));
    db.unlock()?;
    result.map(|()| Migrated {
        after: schema,
        script,
    })
}

/// [`migrate_as`] for a PostgreSQL migration, as revision `r1`.
pub fn migrate(db: &mut PgBackend, sql: &str) -> Result<Migrated, BackendError> {
    migrate_as(db, sql, Dialect::Postgres, "r1")
}

/// Asserts that the database's schema is `want` as far as the diff can tell, both ways.
pub fn assert_synced(db: &mut PgBackend, want: &Schema) {
    let got = db.inspect().unwrap();
    let ops = diff(&got, want, &Hints::default());
    let back = diff(want, &got, &Hints::default());
    assert!(
        ops.is_empty() && back.is_empty(),
        "the database differs from the model:\n{ops:#?}\ndatabase: {got:#?}\nmodel: {want:#?}"
    );
}
