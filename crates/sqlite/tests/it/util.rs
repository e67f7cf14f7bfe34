//! Shared helpers: databases in temporary directories, and migrations run the way
//! the runner runs them.

use std::path::PathBuf;

use rusqlite::Connection;
use tempfile::TempDir;
use wildebeest_runner::{Backend, BackendError, Operation, Record, Script, Step};
use wildebeest_schema::{Hints, Schema, diff};
use wildebeest_sql::{Dialect, parse_statements};
use wildebeest_sqlite::SqliteBackend;

/// A database file in its own temporary directory, removed on drop.
pub struct Db {
    /// Keeps the directory until the test ends.
    _dir: TempDir,
    pub path: PathBuf,
}

impl Db {
    /// An empty database file, with `sql` (statements separated by `;`) run in it.
    pub fn with(sql: &str) -> Db {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("app.db");
        let conn = Connection::open(&path).unwrap();
        conn.execute_batch(sql).unwrap();
        Db { _dir: dir, path }
    }

    pub fn backend(&self) -> SqliteBackend {
        SqliteBackend::open(&self.path, false).unwrap()
    }

    /// A plain connection, to look at the data.
    pub fn conn(&self) -> Connection {
        Connection::open(&self.path).unwrap()
    }

    /// The rows of `sql`, each column as text (`NULL` for null).
    pub fn rows(&self, sql: &str) -> Vec<Vec<String>> {
        rows(&self.conn(), sql)
    }

    /// The `sqlite_master` rows (type, name, sql) except SQLite's own and the version
    /// tables, sorted.
    pub fn master(&self) -> Vec<Vec<String>> {
        self.rows(
            "SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'wildebeest%' \
             AND name NOT LIKE 'sqlite%' ORDER BY type, name",
        )
    }
}

pub fn rows(conn: &Connection, sql: &str) -> Vec<Vec<String>> {
    let mut stmt = conn.prepare(sql).unwrap();
    let n = stmt.column_count();
    let mut rows = stmt.query([]).unwrap();
    let mut out = Vec::new();
    while let Some(row) = rows.next().unwrap() {
        out.push(
            (0..n)
                .map(|i| match row.get_ref(i).unwrap() {
                    rusqlite::types::ValueRef::Null => "NULL".to_string(),
                    rusqlite::types::ValueRef::Integer(v) => v.to_string(),
                    rusqlite::types::ValueRef::Real(v) => v.to_string(),
                    rusqlite::types::ValueRef::Text(t) => String::from_utf8_lossy(t).into_owned(),
                    rusqlite::types::ValueRef::Blob(b) => format!("{b:?}"),
                })
                .collect(),
        );
    }
    out
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

/// Runs `sql` (a migration section) as revision `r1` the way the runner does: parse,
/// resolve against the inspected schema, plan each statement, wrap, and execute under
/// the lock.
pub fn migrate(db: &mut SqliteBackend, sql: &str) -> Result<Migrated, BackendError> {
    let mut schema = db.inspect()?;
    db.start_plan();
    let (statements, _) = parse_statements(sql, "m.sql", Dialect::Sqlite).unwrap();
    let mut script = Script::default();
    for statement in &statements {
        let ops = match &statement.change {
            Some(change) => change.resolve(&schema).unwrap(),
            None => Vec::new(),
        };
        let mut after = schema.clone();
        for op in &ops {
            op.apply(&mut after).unwrap();
        }
        let planned = db.plan(&schema, statement, &ops, wildebeest_sql::Dialect::Sqlite)?;
        script.body.extend(planned.sql.into_iter().map(|sql| Step {
            sql,
            line: Some(statement.line),
        }));
        for t in planned.rebuilt_tables {
            if !script.rebuilt_tables.contains(&t) {
                script.rebuilt_tables.push(t);
            }
        }
        schema = after;
    }
    db.wrap(&mut script);
    db.lock()?;
    db.ensure_version_tables()?;
    let result = db.execute(&script, &upgrade("r1"), &Default::default());
    db.unlock()?;
    result.map(|()| Migrated {
        after: schema,
        script,
    })
}

/// Asserts that the database's schema is `want` as far as the diff can tell.
pub fn assert_synced(db: &mut SqliteBackend, want: &Schema) {
    let got = db.inspect().unwrap();
    let ops = diff(&got, want, &Hints::default());
    assert!(
        ops.is_empty(),
        "the database differs from the model:\n{ops:#?}\ndatabase: {got:#?}\nmodel: {want:#?}"
    );
}
