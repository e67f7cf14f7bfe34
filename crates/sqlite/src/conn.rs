//! The connection: opening a database file, and the [`Backend`] implementation that
//! ties the other modules together.

use std::cell::RefCell;
use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{Connection, OpenFlags};
use wildebeest_runner::{
    Activity, Applied, Backend, BackendError, Caps, HistoryEntry, Loss, Planned, Record, Script,
    ServerForm, UnmodeledObject,
};
use wildebeest_schema::{Op, Schema};
use wildebeest_sql::{Dialect, Statement};

use crate::lock::db_message;
use crate::{inspect, lock, render, types};

/// How long a statement waits for another connection's lock before it fails.
pub const DEFAULT_BUSY_TIMEOUT: Duration = Duration::from_secs(30);

/// A SQLite database that revisions can be applied to.
///
/// Foreign key enforcement stays off (SQLite's default): dropping a parent table
/// during a migration must never delete child rows, and table rebuilds check foreign
/// keys explicitly before a revision commits.
#[derive(Debug)]
pub struct SqliteBackend {
    conn: Connection,
    /// `None` for an in-memory database.
    path: Option<PathBuf>,
    busy_timeout: Duration,
    /// The database as the statements planned since the run started leave it, none
    /// of which has run yet: where a rebuild reads the table's triggers.
    shadow: RefCell<inspect::Shadow>,
    /// The identity of the file opened (device and inode), to find out after waiting
    /// for the lock that the path still names it.
    identity: Option<(u64, u64)>,
}

/// Turns SQLite's memory statistics off, once per process, before the library's first
/// connection. Wildebeest never reads them, and with them on every allocation and
/// free SQLite makes takes a global mutex and looks up the block's size: after each
/// `ALTER TABLE ... ADD COLUMN` SQLite frees and parses its whole schema again, so
/// over a long run of revisions that bookkeeping grows with the schema and was most
/// of what wildebeest spent above the raw statements. Once the library is in use (an
/// application embedding wildebeest opened a connection first) SQLite refuses the
/// change and keeps its statistics, which costs time, never correctness.
fn configure_library() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        // SAFETY: `sqlite3_config` with `SQLITE_CONFIG_MEMSTATUS` takes one `int`;
        // called after the library is initialized it returns `SQLITE_MISUSE` and
        // changes nothing, and `Once` keeps two threads of this process from calling
        // it together.
        unsafe {
            rusqlite::ffi::sqlite3_config(rusqlite::ffi::SQLITE_CONFIG_MEMSTATUS, 0);
        }
    });
}

/// The device and inode of the file at `path`, where the platform has them.
fn file_identity(path: &Path) -> Option<(u64, u64)> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        std::fs::metadata(path).ok().map(|m| (m.dev(), m.ino()))
    }
    #[cfg(not(unix))]
    {
        let _ = path;
        None
    }
}

/// Removes the database file at `path` (and its journal) if no revision is applied in
/// it and no other connection is using it: for a command that created the file and
/// then failed, so that bad input leaves no empty database behind. The file is
/// removed while holding an exclusive lock, taken without waiting; another run that
/// holds or waits for the lock keeps it (a run that opened the file and locks it
/// afterwards finds it gone, see [`Backend::lock`]). Returns whether it was removed.
pub fn remove_if_unapplied(path: &Path) -> bool {
    configure_library();
    let Ok(conn) = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_WRITE) else {
        return false;
    };
    if conn.busy_timeout(Duration::ZERO).is_err() || conn.execute_batch("BEGIN EXCLUSIVE").is_err()
    {
        return false;
    }
    let unapplied = lock::applied(&conn).is_ok_and(|a| a.is_empty());
    if unapplied {
        for suffix in ["", "-journal", "-wal", "-shm"] {
            let mut p = path.as_os_str().to_owned();
            p.push(suffix);
            let _ = std::fs::remove_file(p);
        }
    }
    let _ = conn.execute_batch("ROLLBACK");
    unapplied
}

impl SqliteBackend {
    /// Opens the database file at `path`. With `create`, a missing file is created
    /// (its directory must exist); without, a missing file is an error, so that
    /// read-only commands never leave an empty database behind.
    pub fn open(path: impl AsRef<Path>, create: bool) -> Result<Self, BackendError> {
        configure_library();
        let path = path.as_ref();
        let shown = path.display();
        let fail = |reason: String| {
            BackendError::new(format!("cannot open SQLite database `{shown}`: {reason}"))
        };
        match std::fs::metadata(path) {
            Ok(meta) if meta.is_dir() => return Err(fail("it is a directory".into())),
            Ok(_) => {
                if let Err(e) = std::fs::File::open(path) {
                    return Err(fail(e.to_string()));
                }
            }
            Err(_) if !create => {
                return Err(BackendError::new(format!(
                    "database file `{shown}` does not exist; `wildebeest upgrade` creates it"
                )));
            }
            Err(_) => {
                let dir = path.parent().filter(|d| !d.as_os_str().is_empty());
                if let Some(dir) = dir.filter(|d| !d.is_dir()) {
                    return Err(fail(format!(
                        "directory `{}` does not exist",
                        dir.display()
                    )));
                }
            }
        }
        let mut flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        if create {
            flags |= OpenFlags::SQLITE_OPEN_CREATE;
        }
        let conn = Connection::open_with_flags(path, flags).map_err(|e| fail(db_message(&e)))?;
        let mut backend =
            Self::setup(conn, Some(path.to_path_buf())).map_err(|e| fail(e.message))?;
        backend.identity = file_identity(path);
        Ok(backend)
    }

    /// A new, empty database in memory (for `--sql` against no database, and tests).
    pub fn open_in_memory() -> Result<Self, BackendError> {
        configure_library();
        let conn = Connection::open_in_memory().map_err(|e| {
            BackendError::new(format!(
                "cannot open an in-memory SQLite database: {}",
                db_message(&e)
            ))
        })?;
        Self::setup(conn, None)
    }

    fn setup(conn: Connection, path: Option<PathBuf>) -> Result<Self, BackendError> {
        let mut backend = SqliteBackend {
            conn,
            path,
            busy_timeout: DEFAULT_BUSY_TIMEOUT,
            shadow: RefCell::default(),
            identity: None,
        };
        backend.set_busy_timeout(DEFAULT_BUSY_TIMEOUT)?;
        // Reading the schema is what finds a file that is no database.
        backend
            .conn
            .execute_batch("PRAGMA foreign_keys = OFF; SELECT count(*) FROM sqlite_master")
            .map_err(|e| BackendError::new(db_message(&e)))?;
        Ok(backend)
    }

    /// How long to wait for another connection's lock (default
    /// [`DEFAULT_BUSY_TIMEOUT`]) before [`Backend::lock`] or a statement fails.
    pub fn set_busy_timeout(&mut self, timeout: Duration) -> Result<(), BackendError> {
        self.conn.busy_timeout(timeout).map_err(|e| {
            BackendError::new(format!("cannot set the busy timeout: {}", db_message(&e)))
        })?;
        self.busy_timeout = timeout;
        Ok(())
    }

    /// The database file, `None` for an in-memory database.
    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }
}

impl Backend for SqliteBackend {
    fn caps(&self) -> Caps {
        Caps {
            dialect: Dialect::Sqlite,
            transactional_ddl: true,
        }
    }

    fn describe(&self) -> String {
        match &self.path {
            Some(p) => p.display().to_string(),
            None => ":memory:".into(),
        }
    }

    fn lock(&mut self) -> Result<(), BackendError> {
        self.shadow.get_mut().forget();
        let locked = lock::lock(&self.conn, &self.describe(), self.busy_timeout);
        // A run that created the file and failed removes it again; if that happened
        // while this one waited, the lock is on a file no longer in the folder (SQLite
        // says "disk I/O error"), and whatever this run wrote would be lost with it.
        let moved = match (&self.path, self.identity) {
            (Some(path), Some(opened)) => file_identity(path) != Some(opened),
            _ => false,
        };
        if moved {
            if locked.is_ok() {
                let _ = self.conn.execute_batch("ROLLBACK");
            }
            return Err(BackendError::new(format!(
                "the database file `{}` was removed or replaced while this run waited for its \
                 lock (by another run that created it and failed); nothing was run, run the \
                 command again",
                self.describe()
            )));
        }
        locked
    }

    fn unlock(&mut self) -> Result<(), BackendError> {
        lock::unlock(&self.conn, &self.describe())
    }

    fn ensure_version_tables(&mut self) -> Result<(), BackendError> {
        lock::ensure_version_tables(&self.conn)
    }

    fn version_tables_sql(&self) -> Vec<String> {
        lock::version_tables_sql()
    }

    fn applied(&mut self) -> Result<Vec<Applied>, BackendError> {
        lock::applied(&self.conn)
    }

    fn applied_ids(&mut self) -> Result<Vec<String>, BackendError> {
        lock::applied_ids(&self.conn)
    }

    fn history(&mut self) -> Result<Vec<HistoryEntry>, BackendError> {
        lock::history(&self.conn)
    }

    fn inspect(&mut self) -> Result<Schema, BackendError> {
        inspect::inspect(&self.conn)
    }

    fn unmodeled_objects(&mut self) -> Result<Vec<UnmodeledObject>, BackendError> {
        inspect::unmodeled_objects(&self.conn)
    }

    fn server_form(&mut self, schema: &Schema) -> Result<ServerForm, BackendError> {
        crate::scratch::server_form(schema)
    }

    /// Enum types (from PostgreSQL migration files) are gone, their columns `TEXT`.
    fn canonical(&self, schema: &Schema) -> Schema {
        crate::types::canonical(schema)
    }

    fn start_plan(&self) {
        self.shadow.borrow_mut().forget();
    }

    /// A rebuild creates the table's triggers again, which the model does not know:
    /// they come from the statements that made them.
    fn plans_follow_history(&self) -> bool {
        true
    }

    fn plan(
        &self,
        before: &Schema,
        statement: &Statement,
        ops: &[Op],
        source: Dialect,
    ) -> Result<Planned, BackendError> {
        let triggers = |table: &str| self.shadow.borrow_mut().triggers(&self.conn, table);
        let cx = render::Context {
            triggers: &triggers,
        };
        // A failed plan abandons the run; the next plan starts a new one.
        let plan = render::plan_ops(before, statement, ops, source, &cx).map_err(|e| {
            self.shadow.borrow_mut().forget();
            BackendError::new(e)
        })?;
        self.shadow.borrow_mut().follow(&plan.sql);
        Ok(Planned {
            sql: plan.sql,
            rebuilt_tables: plan.rebuilt_tables,
        })
    }

    /// For rebuilt tables: foreign keys off before the transaction (a no-op inside
    /// the lock's transaction, where they are off already, but it keeps `--sql`
    /// output safe), and `PRAGMA foreign_key_check` of each rebuilt table and of every
    /// table with a foreign key to it.
    ///
    /// The tables are looked up in the database as the revision's statements leave it
    /// (see `inspect::Shadow`), so a table the revision drops (a new table's
    /// downgrade, which drops the table before the unique constraint it references) is
    /// left out: no table is left to check.
    fn wrap(&self, script: &mut Script) {
        if script.rebuilt_tables.is_empty() {
            return;
        }
        let off = "PRAGMA foreign_keys = OFF".to_string();
        if !script.before.contains(&off) {
            script.before.push(off);
        }
        for table in &script.rebuilt_tables {
            // Should the lookup fail, check every table rather than none.
            let tables = match self.shadow.borrow_mut().tables_to_check(&self.conn, table) {
                Ok(tables) => tables,
                Err(_) => {
                    script.verify.push("PRAGMA foreign_key_check".into());
                    continue;
                }
            };
            for t in &tables {
                let check = inspect::foreign_key_check(t);
                if !script.verify.contains(&check) {
                    script.verify.push(check);
                }
            }
        }
    }

    fn loss_query(&self, op: &Op) -> Option<String> {
        render::loss_query(op)
    }

    /// SQLite's own judgement (`types::data_loss_in`): a type change is marked exactly
    /// when the rebuild's copy can convert a value (across type affinities, also ones
    /// the model calls widening), and counted by SQLite's rules. An enum column is
    /// `TEXT` here, so a label removed from its type changes no stored value.
    fn loss(&self, op: &Op, before: &Schema) -> Option<Loss> {
        if matches!(op, Op::DropEnumValue { .. }) {
            return None;
        }
        types::data_loss_in(op, before).map(|what| Loss {
            what,
            query: render::loss_query(op),
        })
    }

    fn count(&mut self, query: &str) -> Result<Option<u64>, BackendError> {
        match self.conn.query_row(query, [], |row| row.get::<_, i64>(0)) {
            Ok(n) => Ok(Some(n.max(0) as u64)),
            Err(e) => {
                let message = e.to_string();
                if message.starts_with("no such table") || message.starts_with("no such column") {
                    Ok(None)
                } else {
                    Err(BackendError::new(format!(
                        "cannot check `{query}`: {message}"
                    )))
                }
            }
        }
    }

    fn purge_sql(&self) -> Option<String> {
        Some(format!("DELETE FROM {}", lock::REVISIONS_TABLE))
    }

    fn record_sql(&self, record: &Record) -> Vec<String> {
        lock::bookkeeping_sql(record, 0)
    }

    fn execute(
        &mut self,
        script: &Script,
        record: &Record,
        activity: &Activity,
    ) -> Result<(), BackendError> {
        lock::execute(&mut self.conn, script, record, activity)
    }
}
