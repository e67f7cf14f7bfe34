//! The migration lock, one revision's transaction, and the version tables it writes.
//!
//! SQLite has one writer at a time, so the lock is the write transaction itself:
//! `BEGIN IMMEDIATE` takes the write lock (waiting up to the busy timeout for another
//! writer), each revision runs in a `SAVEPOINT` inside it together with its
//! bookkeeping, and `COMMIT` keeps every revision that finished.

use std::time::{Duration, Instant};

use rusqlite::types::ValueRef;
use rusqlite::{Connection, ErrorCode};
use wildebeest_runner::{Activity, Applied, BackendError, HistoryEntry, Operation, Record, Script};

use crate::render::{mentions_word, quote_ident, quote_literal, rebuild_copy_source};

/// The set of applied revisions.
pub const REVISIONS_TABLE: &str = "wildebeest_revisions";
/// Every upgrade, downgrade and stamp, oldest first.
pub const HISTORY_TABLE: &str = "wildebeest_history";

const SAVEPOINT: &str = "wildebeest_revision";

/// The text of an SQLite error, without rusqlite's wrapping.
pub(crate) fn db_message(e: &rusqlite::Error) -> String {
    match e {
        rusqlite::Error::SqliteFailure(_, Some(msg)) => msg.clone(),
        other => other.to_string(),
    }
}

/// Runs one complete statement (which may contain `;`, as a trigger body does),
/// stepping through any rows it returns.
pub(crate) fn run(conn: &Connection, sql: &str) -> Result<(), rusqlite::Error> {
    let mut stmt = conn.prepare(sql)?;
    let mut rows = stmt.raw_query();
    while rows.next()?.is_some() {}
    Ok(())
}

/// A duration for messages: `30 s`, `250 ms`.
fn human(d: Duration) -> String {
    if d.subsec_millis() == 0 && d.as_secs() > 0 {
        format!("{} s", d.as_secs())
    } else {
        format!("{} ms", d.as_millis())
    }
}

/// `BEGIN IMMEDIATE`: the write lock, held until [`unlock`].
pub(crate) fn lock(
    conn: &Connection,
    describe: &str,
    busy_timeout: Duration,
) -> Result<(), BackendError> {
    if !conn.is_autocommit() {
        return Err(BackendError::new(format!(
            "the migration lock on `{describe}` is already held by this connection"
        )));
    }
    conn.execute_batch("BEGIN IMMEDIATE").map_err(|e| match e.sqlite_error_code() {
        Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => BackendError::new(format!(
            "the database `{describe}` is locked by another process (another migration run, or an \
             application writing to it); gave up after waiting {}",
            human(busy_timeout)
        )),
        _ => BackendError::new(format!("cannot lock the database `{describe}`: {}", db_message(&e))),
    })
}

/// `COMMIT`, keeping every revision that finished; nothing when no transaction is
/// open. A failed commit is rolled back, so the lock is released on every path.
pub(crate) fn unlock(conn: &Connection, describe: &str) -> Result<(), BackendError> {
    if conn.is_autocommit() {
        return Ok(());
    }
    if let Err(e) = conn.execute_batch("COMMIT") {
        let rolled_back = conn.execute_batch("ROLLBACK").is_ok() || conn.is_autocommit();
        return Err(BackendError::new(format!(
            "cannot commit the migrations run on `{describe}`: {}{}",
            db_message(&e),
            if rolled_back {
                "; they were rolled back"
            } else {
                ""
            }
        )));
    }
    Ok(())
}

/// The statements that create the version and history tables if they do not exist.
pub(crate) fn version_tables_sql() -> Vec<String> {
    vec![
        format!(
            "CREATE TABLE IF NOT EXISTS {REVISIONS_TABLE} (\n    revision TEXT PRIMARY KEY,\n    \
             checksum TEXT NOT NULL,\n    applied_at TEXT NOT NULL\n)"
        ),
        format!(
            "CREATE TABLE IF NOT EXISTS {HISTORY_TABLE} (\n    id INTEGER PRIMARY KEY AUTOINCREMENT,\n    \
             revision TEXT NOT NULL,\n    operation TEXT NOT NULL,\n    checksum TEXT NOT NULL,\n    \
             started_at TEXT NOT NULL,\n    duration_ms INTEGER NOT NULL\n)"
        ),
    ]
}

/// Creates the version and history tables if they do not exist.
pub(crate) fn ensure_version_tables(conn: &Connection) -> Result<(), BackendError> {
    for s in &version_tables_sql() {
        run(conn, s).map_err(|e| {
            BackendError::new(format!(
                "cannot create the version tables: {}",
                db_message(&e)
            ))
        })?;
    }
    Ok(())
}

fn table_exists(conn: &Connection, name: &str) -> Result<bool, BackendError> {
    conn.query_row(
        "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?1",
        [name],
        |r| r.get::<_, i64>(0),
    )
    .map(|n| n > 0)
    .map_err(|e| BackendError::new(format!("cannot read the schema: {}", db_message(&e))))
}

/// The applied revisions in the order they were applied; empty when the table does
/// not exist.
pub(crate) fn applied(conn: &Connection) -> Result<Vec<Applied>, BackendError> {
    if !table_exists(conn, REVISIONS_TABLE)? {
        return Ok(Vec::new());
    }
    let read = || -> rusqlite::Result<Vec<Applied>> {
        let mut stmt = conn.prepare(&format!(
            "SELECT revision, checksum, applied_at FROM {REVISIONS_TABLE} ORDER BY applied_at, rowid"
        ))?;
        let rows = stmt.query_map([], |r| {
            Ok(Applied {
                revision: r.get(0)?,
                checksum: r.get(1)?,
                applied_at: r.get(2)?,
            })
        })?;
        rows.collect()
    };
    read().map_err(|e| {
        BackendError::new(format!(
            "cannot read `{REVISIONS_TABLE}`: {}",
            db_message(&e)
        ))
    })
}

/// The applied revisions' ids, in no particular order (the primary key's index
/// answers alone); empty when the table does not exist.
pub(crate) fn applied_ids(conn: &Connection) -> Result<Vec<String>, BackendError> {
    if !table_exists(conn, REVISIONS_TABLE)? {
        return Ok(Vec::new());
    }
    let read = || -> rusqlite::Result<Vec<String>> {
        let mut stmt = conn.prepare(&format!("SELECT revision FROM {REVISIONS_TABLE}"))?;
        let rows = stmt.query_map([], |r| r.get(0))?;
        rows.collect()
    };
    read().map_err(|e| {
        BackendError::new(format!(
            "cannot read `{REVISIONS_TABLE}`: {}",
            db_message(&e)
        ))
    })
}

/// The history, oldest first; empty when the table does not exist.
pub(crate) fn history(conn: &Connection) -> Result<Vec<HistoryEntry>, BackendError> {
    if !table_exists(conn, HISTORY_TABLE)? {
        return Ok(Vec::new());
    }
    // id, revision, operation, checksum, started_at, duration_ms
    type Row = (i64, String, String, String, String, i64);
    let read = || -> rusqlite::Result<Vec<Row>> {
        let mut stmt = conn.prepare(&format!(
            "SELECT id, revision, operation, checksum, started_at, duration_ms FROM {HISTORY_TABLE} ORDER BY id"
        ))?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
            ))
        })?;
        rows.collect()
    };
    let rows = read().map_err(|e| {
        BackendError::new(format!("cannot read `{HISTORY_TABLE}`: {}", db_message(&e)))
    })?;
    rows.into_iter()
        .map(
            |(id, revision, operation, checksum, started_at, duration_ms)| {
                let operation = Operation::parse(&operation).ok_or_else(|| {
                    BackendError::new(format!(
                        "`{HISTORY_TABLE}` row {id} has an unknown operation `{operation}`"
                    ))
                })?;
                let duration_ms = u64::try_from(duration_ms).map_err(|_| {
                    BackendError::new(format!(
                        "`{HISTORY_TABLE}` row {id} has a negative duration {duration_ms}"
                    ))
                })?;
                Ok(HistoryEntry {
                    revision,
                    operation,
                    checksum,
                    started_at,
                    duration_ms,
                })
            },
        )
        .collect()
}

/// The bookkeeping for `record`: version rows out and in, then its history rows.
pub(crate) fn bookkeeping_sql(record: &Record, duration_ms: u64) -> Vec<String> {
    let mut out = Vec::new();
    for revision in &record.delete {
        out.push(format!(
            "DELETE FROM {REVISIONS_TABLE} WHERE revision = {}",
            quote_literal(revision)
        ));
    }
    for (revision, checksum) in &record.insert {
        out.push(format!(
            "INSERT INTO {REVISIONS_TABLE} (revision, checksum, applied_at) VALUES ({}, {}, {})",
            quote_literal(revision),
            quote_literal(checksum),
            quote_literal(&record.started_at)
        ));
    }
    out.extend(record.history_sql(HISTORY_TABLE, &duration_ms.to_string(), quote_literal));
    out
}

/// Runs one revision in a savepoint: `before`, then the body, the checks and the
/// bookkeeping all or nothing, then `after`.
pub(crate) fn execute(
    conn: &mut Connection,
    script: &Script,
    record: &Record,
    activity: &Activity,
) -> Result<(), BackendError> {
    let started = Instant::now();
    for sql in &script.before {
        run(conn, sql).map_err(|e| BackendError::new(format!("{sql}: {}", db_message(&e))))?;
    }
    run(conn, &format!("SAVEPOINT {SAVEPOINT}")).map_err(|e| {
        BackendError::new(format!(
            "cannot start the revision's transaction: {}",
            db_message(&e)
        ))
    })?;
    let result = revision(conn, script, record, started, activity);
    let ended = match &result {
        Ok(()) => run(conn, &format!("RELEASE {SAVEPOINT}")).map_err(|e| {
            let _ = conn.execute_batch(&format!("ROLLBACK TO {SAVEPOINT}; RELEASE {SAVEPOINT}"));
            BackendError::new(format!("cannot commit the revision: {}", db_message(&e)))
        }),
        // On some errors (a full disk, an I/O error, out of memory) SQLite ends the
        // whole transaction itself: the savepoint is gone, and so is everything this
        // run did before the failing revision.
        Err(_) if conn.is_autocommit() => {
            let _ = conn.execute_batch("PRAGMA legacy_alter_table = OFF");
            Err(BackendError::new(
                "SQLite rolled back the run's whole transaction on this error, so the \
                 revisions this run applied before it, if any, are not applied either",
            ))
        }
        Err(_) => {
            // The rollback undoes the statements but not the connection's settings,
            // which a rebuild that failed half-way may have left changed.
            let undone = conn.execute_batch(&format!(
                "ROLLBACK TO {SAVEPOINT}; RELEASE {SAVEPOINT}; PRAGMA legacy_alter_table = OFF"
            ));
            undone.map_err(|e| {
                BackendError::new(format!(
                    "and cannot roll the failed revision back: {}",
                    db_message(&e)
                ))
            })
        }
    };
    let after: Result<(), BackendError> = script.after.iter().try_for_each(|sql| {
        run(conn, sql).map_err(|e| BackendError::new(format!("{sql}: {}", db_message(&e))))
    });
    match (result, ended) {
        (Err(mut e), Err(rollback)) => {
            e.message = format!("{}; {}", e.message, rollback.message);
            Err(e)
        }
        (Err(e), Ok(())) | (Ok(()), Err(e)) => Err(e),
        (Ok(()), Ok(())) => after,
    }
}

/// The part of [`execute`] inside the savepoint.
fn revision(
    conn: &mut Connection,
    script: &Script,
    record: &Record,
    started: Instant,
    activity: &Activity,
) -> Result<(), BackendError> {
    for (i, step) in script.body.iter().enumerate() {
        activity.statement(&step.sql);
        let ran = match rebuild_copy_source(&step.sql) {
            Some(table) if activity.is_followed() => copy_rows(conn, &step.sql, &table, activity),
            _ => run(conn, &step.sql),
        };
        ran.map_err(|e| BackendError {
            message: db_message(&e),
            step: Some(i),
        })?;
    }
    activity.clear();
    for sql in &script.verify {
        verify(conn, sql)?;
    }
    for table in &script.rebuilt_tables {
        check_dependents(conn, table)?;
    }
    let duration_ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
    for sql in bookkeeping_sql(record, duration_ms) {
        run(conn, &sql).map_err(|e| {
            BackendError::new(format!(
                "cannot record the revision in the version tables: {}",
                db_message(&e)
            ))
        })?;
    }
    Ok(())
}

/// How many virtual machine instructions SQLite runs between two looks at a row
/// copy's progress: some hundreds of rows, so that the looks cost nothing a
/// benchmark can see, and the count a live line shows moves smoothly.
const COPY_LOOK_EVERY: i32 = 10_000;

/// Runs a rebuild's row copy (`sql`, which copies the rows of `table`), telling
/// `activity` how many of the table's rows it has copied so far: the rows counted
/// first, then, every [`COPY_LOOK_EVERY`] instructions, how many rows the copy's scan
/// has stepped over (SQLite's `SQLITE_STMTSTATUS_FULLSCAN_STEP`), read from the
/// progress handler SQLite calls while the statement runs. The statement is the one
/// the plan holds, unchanged: `upgrade --sql` prints what runs.
fn copy_rows(
    conn: &mut Connection,
    sql: &str,
    table: &str,
    activity: &Activity,
) -> Result<(), rusqlite::Error> {
    let total: i64 = conn.query_row(
        &format!("SELECT count(*) FROM {}", quote_ident(table)),
        [],
        |row| row.get(0),
    )?;
    activity.copying(table, u64::try_from(total).unwrap_or(0));
    // SAFETY: the handle is only used by the handler below, which SQLite calls on
    // this thread while it steps a statement of this connection (see `Scans`).
    let scans = Scans(unsafe { conn.handle() });
    let watch = activity.clone();
    let hold = activity.holds_copies() || hold_copy();
    let looking = conn.progress_handler(
        COPY_LOOK_EVERY,
        Some(move || {
            let rows = scans.rows();
            watch.copied(rows);
            if hold && rows > 0 {
                let since = Instant::now();
                while !watch.copy_seen() && since.elapsed() < Duration::from_secs(10) {
                    std::thread::sleep(Duration::from_millis(5));
                }
            }
            // Never interrupts.
            false
        }),
    );
    let ran = run(conn, sql);
    if looking.is_ok() {
        let _ = conn.progress_handler(0, None::<fn() -> bool>);
    }
    activity.copy_done();
    ran
}

/// Whether a row copy waits for a reader to see it part way, once it has copied
/// some rows (`WILDEBEEST_TEST_HOLD_COPY=1`; [`Activity::hold_copies`] in-process):
/// the terminal test of the live line shows a copy's progress however fast the
/// machine copies. Only in debug builds; a release build never reads the variable.
fn hold_copy() -> bool {
    #[cfg(debug_assertions)]
    {
        std::env::var_os("WILDEBEEST_TEST_HOLD_COPY").is_some_and(|v| v == "1")
    }
    #[cfg(not(debug_assertions))]
    {
        false
    }
}

/// A connection's handle, to read the counters of its running statement from its
/// progress handler.
struct Scans(*mut rusqlite::ffi::sqlite3);

// SAFETY: a `Scans` lives in the connection's progress handler, which SQLite calls
// only from inside `sqlite3_step` on the thread stepping a statement of that
// connection, and which is removed (or dropped with the connection) before the
// handle could dangle. It never moves to another thread in use.
unsafe impl Send for Scans {}

impl Scans {
    /// The rows the full-table scans of the connection's running statements have
    /// stepped over so far.
    fn rows(&self) -> u64 {
        use rusqlite::ffi;
        let mut rows = 0u64;
        // SAFETY: the handle is the live connection's (see above). Listing its
        // statements and reading their counters changes nothing in the connection,
        // which is all SQLite asks of a progress handler; the connection's mutex is
        // recursive where there is one.
        unsafe {
            let mut stmt = ffi::sqlite3_next_stmt(self.0, std::ptr::null_mut());
            while !stmt.is_null() {
                if ffi::sqlite3_stmt_busy(stmt) != 0 {
                    let steps =
                        ffi::sqlite3_stmt_status(stmt, ffi::SQLITE_STMTSTATUS_FULLSCAN_STEP, 0);
                    rows += u64::try_from(steps).unwrap_or(0);
                }
                stmt = ffi::sqlite3_next_stmt(self.0, stmt);
            }
        }
        rows
    }
}

/// Runs a check that must return no rows; the rows it returns make the error.
fn verify(conn: &Connection, sql: &str) -> Result<(), BackendError> {
    let fail = |e: rusqlite::Error| BackendError::new(format!("{sql}: {}", db_message(&e)));
    let mut stmt = conn.prepare(sql).map_err(fail)?;
    let names: Vec<String> = stmt.column_names().map(String::from).collect();
    let mut rows = stmt.raw_query();
    let mut found: Vec<Vec<String>> = Vec::new();
    let mut count = 0usize;
    while let Some(row) = rows.next().map_err(fail)? {
        count += 1;
        if found.len() < 5 {
            found.push(
                (0..names.len())
                    .map(|i| show(row.get_ref(i).unwrap_or(ValueRef::Null)))
                    .collect(),
            );
        }
    }
    if count == 0 {
        return Ok(());
    }
    let more = if count > found.len() {
        format!(" (and {} more)", count - found.len())
    } else {
        String::new()
    };
    if names == ["table", "rowid", "parent", "fkid"] {
        let rows: Vec<String> = found
            .iter()
            .map(|r| {
                format!(
                    "row {} of `{}` has no matching row in `{}`",
                    r[1], r[0], r[2]
                )
            })
            .collect();
        return Err(BackendError::new(format!(
            "foreign key check failed: {}{more}",
            rows.join("; ")
        )));
    }
    let rows: Vec<String> = found
        .iter()
        .map(|r| format!("({})", r.join(", ")))
        .collect();
    Err(BackendError::new(format!(
        "check `{sql}` returned rows: {}{more}",
        rows.join(", ")
    )))
}

fn show(v: ValueRef<'_>) -> String {
    match v {
        ValueRef::Null => "NULL".into(),
        ValueRef::Integer(i) => i.to_string(),
        ValueRef::Real(f) => f.to_string(),
        ValueRef::Text(t) => String::from_utf8_lossy(t).into_owned(),
        ValueRef::Blob(b) => format!("<{} bytes>", b.len()),
    }
}

/// Fails when a view or trigger that names `table` no longer compiles after its
/// rebuild (it uses a column that is gone). SQLite checks them when a table is altered
/// in place, but the rebuild's rename runs in legacy mode, which does not; so each is
/// compiled here: a view by preparing a `SELECT` from it, the triggers of a table by
/// preparing an `INSERT`, an `UPDATE` of every column and a `DELETE` on it (prepared
/// only, never run).
fn check_dependents(conn: &Connection, table: &str) -> Result<(), BackendError> {
    let read = || -> rusqlite::Result<Vec<(String, String, String, String)>> {
        let mut stmt = conn.prepare(
            "SELECT type, name, tbl_name, sql FROM sqlite_master WHERE type IN ('view', 'trigger') \
             AND sql IS NOT NULL ORDER BY type DESC, name",
        )?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?;
        rows.collect()
    };
    let objects = read().map_err(|e| {
        BackendError::new(format!(
            "cannot read the views and triggers: {}",
            db_message(&e)
        ))
    })?;
    let mut trigger_tables: Vec<(String, Vec<String>)> = Vec::new();
    for (kind, name, on, sql) in objects {
        if !mentions_word(&sql, table) {
            continue;
        }
        if kind == "view" {
            if let Err(e) = conn.prepare(&format!("SELECT * FROM {}", quote_ident(&name))) {
                return Err(BackendError::new(format!(
                    "view `{name}` no longer works after table `{table}` was rebuilt: {}",
                    db_message(&e)
                )));
            }
            continue;
        }
        match trigger_tables.iter_mut().find(|(t, _)| *t == on) {
            Some((_, names)) => names.push(name),
            None => trigger_tables.push((on, vec![name])),
        }
    }
    for (on, names) in trigger_tables {
        let columns: Vec<String> = conn
            .prepare("SELECT name FROM pragma_table_info(?1)")
            .and_then(|mut stmt| stmt.query_map([&on], |r| r.get(0))?.collect())
            .map_err(|e| {
                BackendError::new(format!(
                    "cannot read the columns of `{on}`: {}",
                    db_message(&e)
                ))
            })?;
        if columns.is_empty() {
            // A view's INSTEAD OF triggers: its own check covers what they read.
            continue;
        }
        let t = quote_ident(&on);
        let set: Vec<String> = columns
            .iter()
            .map(|c| format!("{0} = {0}", quote_ident(c)))
            .collect();
        for sql in [
            format!("INSERT INTO {t} DEFAULT VALUES"),
            format!("UPDATE {t} SET {}", set.join(", ")),
            format!("DELETE FROM {t}"),
        ] {
            if let Err(e) = conn.prepare(&sql) {
                let which = names
                    .iter()
                    .map(|n| format!("`{n}`"))
                    .collect::<Vec<_>>()
                    .join(", ");
                return Err(BackendError::new(format!(
                    "the triggers on `{on}` ({which}) no longer work after table `{table}` was rebuilt: {}",
                    db_message(&e)
                )));
            }
        }
    }
    Ok(())
}
