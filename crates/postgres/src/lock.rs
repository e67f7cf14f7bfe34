//! The migration lock, one revision's transaction, and the version tables it writes.
//!
//! The lock is a session-level advisory lock (`pg_advisory_lock`) on a key derived from
//! the schema's name, so runners on different schemas of one database do not wait for
//! each other, and a runner that dies releases it with its connection. Each revision
//! then runs in a transaction of its own together with its bookkeeping: PostgreSQL
//! rolls DDL back with everything else, so a revision is all or nothing.
//!
//! Inside a run (while the lock is held) each revision's transaction commits with
//! `SET LOCAL synchronous_commit TO off`: the commit does not wait for its WAL to reach
//! the disk, which made a run of many small revisions wait for one flush per revision.
//! Atomicity and order are unchanged (a server crash can lose only the last commits,
//! never part of one, and the database is then at an earlier revision that its version
//! table names). Before the lock is released, [`flush`] commits a transaction with
//! the server's own setting, which flushes the WAL of every earlier commit: a run that
//! reports success is as durable as the server is configured to be.
//!
//! A revision that declares `-- Transaction: none` (for `CREATE INDEX CONCURRENTLY`,
//! which refuses to run in a transaction) runs statement by statement instead, and
//! `wildebeest_progress` records after each how far it got, so that a run that stops
//! half way can say so and the next one resumes where it stopped.

use std::thread;
use std::time::{Duration, Instant};

use postgres::error::SqlState;
use postgres::{Client, SimpleQueryMessage};
use wildebeest_runner::{
    Activity, Applied, BackendError, HistoryEntry, Interrupted, Moment, Operation, Partial, Record,
    Script, failpoint,
};

use crate::render::{quote_ident, quote_literal};

/// The set of applied revisions.
pub const REVISIONS_TABLE: &str = "wildebeest_revisions";
/// Every upgrade, downgrade and stamp, oldest first.
pub const HISTORY_TABLE: &str = "wildebeest_history";
/// How far a revision that runs without a transaction got (at most one row).
pub const PROGRESS_TABLE: &str = "wildebeest_progress";

/// The upper half of every wildebeest lock key (`wbmg`), which shows as `classid` in
/// `pg_locks`; the lower half (`objid`) is a hash of the schema's name.
const LOCK_TAG: i64 = 0x7762_6d67;

/// How often a waiting [`lock`] asks for the lock again.
const POLL: Duration = Duration::from_millis(100);

/// The text of a PostgreSQL error: the server's message with its detail and hint, or
/// the driver's description of what went wrong on the way.
pub(crate) fn db_message(e: &postgres::Error) -> String {
    let Some(db) = e.as_db_error() else {
        return e.to_string();
    };
    let mut out = db.message().to_string();
    if let Some(detail) = db.detail() {
        out.push_str(&format!(" ({detail})"));
    }
    if let Some(hint) = db.hint() {
        out.push_str(&format!(" (hint: {hint})"));
    }
    if let Some(advice) = advice(db.code()) {
        out.push_str("; ");
        out.push_str(advice);
    }
    out
}

/// What to do about an error a migration runs into, for the errors whose server
/// message leaves the migration's author guessing.
fn advice(code: &SqlState) -> Option<&'static str> {
    if *code == SqlState::UNSAFE_NEW_ENUM_VALUE_USAGE {
        Some(
            "a value that `ALTER TYPE ... ADD VALUE` adds cannot be used in the transaction \
             that adds it, and a revision is one transaction: move what uses the new value \
             (a default, a row, a check) to a later revision",
        )
    } else {
        None
    }
}

/// The advisory lock key of `schema`: [`LOCK_TAG`] above the 32-bit FNV-1a hash of
/// its name.
pub(crate) fn lock_key(schema: &str) -> i64 {
    let mut hash: u32 = 0x811c_9dc5;
    for b in schema.bytes() {
        hash ^= u32::from(b);
        hash = hash.wrapping_mul(0x0100_0193);
    }
    (LOCK_TAG << 32) | i64::from(hash)
}

/// A duration for messages: `60 s`, `250 ms`.
fn human(d: Duration) -> String {
    if d.subsec_millis() == 0 && d.as_secs() > 0 {
        format!("{} s", d.as_secs())
    } else {
        format!("{} ms", d.as_millis())
    }
}

/// Takes the advisory lock `key`, asking again every [`POLL`] until `timeout` has
/// passed; then the error names the session holding it.
pub(crate) fn lock(
    client: &mut Client,
    key: i64,
    describe: &str,
    timeout: Duration,
) -> Result<(), BackendError> {
    let started = Instant::now();
    loop {
        let got: bool = client
            .query_one("SELECT pg_try_advisory_lock($1)", &[&key])
            .map(|row| row.get(0))
            .map_err(|e| {
                BackendError::new(format!(
                    "cannot take the migration lock on `{describe}`: {}",
                    db_message(&e)
                ))
            })?;
        if got {
            return Ok(());
        }
        let waited = started.elapsed();
        if waited >= timeout {
            let holder = holder(client, key).unwrap_or_else(|e| format!("({e})"));
            return Err(BackendError::new(format!(
                "the migration lock on `{describe}` is held by another session {holder}, \
                 probably another migration run; gave up after waiting {}",
                human(timeout)
            )));
        }
        thread::sleep(POLL.min(timeout - waited));
    }
}

/// Who holds the advisory lock `key`: `(pid 42, application `x`, user `u`, client
/// 10.0.0.1, connected since 2026-01-02T03:04:05Z)`.
fn holder(client: &mut Client, key: i64) -> Result<String, String> {
    let rows = client
        .query(
            "SELECT a.pid, COALESCE(a.application_name, ''), COALESCE(a.usename::text, ''), \
             COALESCE(host(a.client_addr), 'local socket'), \
             COALESCE(to_char(a.backend_start AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), '') \
             FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid \
             WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1 \
             AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database()) \
             AND l.classid::bigint = $1 AND l.objid::bigint = $2",
            &[&(key >> 32), &(key & 0xffff_ffff)],
        )
        .map_err(|e| format!("cannot tell which session holds it: {}", db_message(&e)))?;
    let Some(row) = rows.first() else {
        return Ok("(which has just released it)".into());
    };
    let pid: i32 = row.get(0);
    let application: String = row.get(1);
    let user: String = row.get(2);
    let client_addr: String = row.get(3);
    let since: String = row.get(4);
    let mut parts = vec![format!("pid {pid}")];
    if !application.is_empty() {
        parts.push(format!("application `{application}`"));
    }
    if !user.is_empty() {
        parts.push(format!("user `{user}`"));
    }
    parts.push(format!("client {client_addr}"));
    if !since.is_empty() {
        parts.push(format!("connected since {since}"));
    }
    Ok(format!("({})", parts.join(", ")))
}

/// Releases the advisory lock `key`.
pub(crate) fn unlock(client: &mut Client, key: i64, describe: &str) -> Result<(), BackendError> {
    client
        .query_one("SELECT pg_advisory_unlock($1)", &[&key])
        .map(|_| ())
        .map_err(|e| {
            BackendError::new(format!(
                "cannot release the migration lock on `{describe}`: {}",
                db_message(&e)
            ))
        })
}

/// Makes every transaction committed so far durable: a transaction that takes a
/// transaction id commits with the session's `synchronous_commit` (the server's
/// setting), and its commit waits for the WAL up to it, which holds every earlier
/// commit, to be flushed.
pub(crate) fn flush(client: &mut Client) -> Result<(), BackendError> {
    client
        .batch_execute("BEGIN; SELECT txid_current(); COMMIT")
        .map_err(|e| {
            let _ = client.batch_execute("ROLLBACK");
            BackendError::new(format!(
                "cannot make the migration run durable (flush its commits): {}",
                db_message(&e)
            ))
        })
}

/// `schema.table`, quoted as needed. The version tables are always named with their
/// schema, so that a migration that changes `search_path` cannot move them.
pub(crate) fn qualified(schema: &str, table: &str) -> String {
    format!("{}.{}", quote_ident(schema), quote_ident(table))
}

/// Whether `schema` has a table called `table`.
fn table_exists(client: &mut Client, schema: &str, table: &str) -> Result<bool, BackendError> {
    client
        .query_one(
            "SELECT EXISTS (SELECT 1 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace \
             WHERE n.nspname = $1 AND c.relname = $2 AND c.relkind IN ('r', 'p'))",
            &[&schema, &table],
        )
        .map(|row| row.get(0))
        .map_err(|e| BackendError::new(format!("cannot read the schema: {}", db_message(&e))))
}

/// Creates the schema (when missing) and the version, history and progress tables in
/// it. Each is created only when it is not there, so that a role that may use but not
/// create them can still run migrations.
pub(crate) fn ensure_version_tables(client: &mut Client, schema: &str) -> Result<(), BackendError> {
    let fail = |e: postgres::Error| {
        BackendError::new(format!(
            "cannot create the version tables in schema `{schema}`: {}",
            db_message(&e)
        ))
    };
    let exists: bool = client
        .query_one(
            "SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = $1)",
            &[&schema],
        )
        .map(|row| row.get(0))
        .map_err(fail)?;
    if !exists {
        client
            .batch_execute(&format!(
                "CREATE SCHEMA IF NOT EXISTS {}",
                quote_ident(schema)
            ))
            .map_err(fail)?;
    }
    for (table, columns) in VERSION_TABLES {
        if !table_exists(client, schema, table)? {
            client
                .batch_execute(&create_table_sql(schema, table, columns))
                .map_err(fail)?;
        } else if table == PROGRESS_TABLE {
            // A journal made by an earlier version lacks `next_step`.
            let has: bool = client
                .query_one(
                    "SELECT EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = to_regclass($1) \
                     AND attname = 'next_step' AND NOT attisdropped)",
                    &[&qualified(schema, PROGRESS_TABLE)],
                )
                .map(|row| row.get(0))
                .map_err(fail)?;
            if !has {
                client
                    .batch_execute(&format!(
                        "ALTER TABLE {} ADD COLUMN IF NOT EXISTS next_step TEXT NOT NULL DEFAULT ''",
                        qualified(schema, PROGRESS_TABLE)
                    ))
                    .map_err(fail)?;
            }
        }
    }
    Ok(())
}

/// The statements that create the schema and the version, history and progress tables
/// if missing (also printed at the top of offline scripts).
pub(crate) fn version_tables_sql(schema: &str) -> Vec<String> {
    std::iter::once(format!(
        "CREATE SCHEMA IF NOT EXISTS {}",
        quote_ident(schema)
    ))
    .chain(
        VERSION_TABLES
            .iter()
            .map(|(table, columns)| create_table_sql(schema, table, columns)),
    )
    .collect()
}

fn create_table_sql(schema: &str, table: &str, columns: &str) -> String {
    format!(
        "CREATE TABLE IF NOT EXISTS {} (\n    {columns}\n)",
        qualified(schema, table)
    )
}

/// The version tables and their columns.
const VERSION_TABLES: [(&str, &str); 3] = [
    (
        REVISIONS_TABLE,
        "revision TEXT PRIMARY KEY,\n    checksum TEXT NOT NULL,\n    applied_at TEXT NOT NULL",
    ),
    (
        HISTORY_TABLE,
        "id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,\n    revision TEXT NOT NULL,\n    \
             operation TEXT NOT NULL,\n    checksum TEXT NOT NULL,\n    started_at TEXT NOT NULL,\n    \
             duration_ms BIGINT NOT NULL",
    ),
    (
        PROGRESS_TABLE,
        "revision TEXT PRIMARY KEY,\n    operation TEXT NOT NULL,\n    steps_done BIGINT NOT NULL,\n    \
             error TEXT NOT NULL DEFAULT '',\n    next_step TEXT NOT NULL DEFAULT ''",
    ),
];

/// The rows `select` reads from the version table (`{}` stands for its qualified
/// name); none when the table does not exist.
fn version_rows(
    client: &mut Client,
    schema: &str,
    select: &str,
) -> Result<Vec<postgres::Row>, BackendError> {
    if !table_exists(client, schema, REVISIONS_TABLE)? {
        return Ok(Vec::new());
    }
    let sql = select.replace("{}", &qualified(schema, REVISIONS_TABLE));
    client.query(&sql, &[]).map_err(|e| {
        BackendError::new(format!(
            "cannot read `{REVISIONS_TABLE}`: {}",
            db_message(&e)
        ))
    })
}

/// The applied revisions in the order they were applied; empty when the table does
/// not exist.
pub(crate) fn applied(client: &mut Client, schema: &str) -> Result<Vec<Applied>, BackendError> {
    let rows = version_rows(
        client,
        schema,
        "SELECT revision, checksum, applied_at FROM {} ORDER BY applied_at, revision",
    )?;
    Ok(rows
        .iter()
        .map(|r| Applied {
            revision: r.get(0),
            checksum: r.get(1),
            applied_at: r.get(2),
        })
        .collect())
}

/// The applied revisions' ids, in no particular order; empty when the table does
/// not exist.
pub(crate) fn applied_ids(client: &mut Client, schema: &str) -> Result<Vec<String>, BackendError> {
    let rows = version_rows(client, schema, "SELECT revision FROM {}")?;
    Ok(rows.iter().map(|r| r.get(0)).collect())
}

/// The history, oldest first; empty when the table does not exist.
pub(crate) fn history(
    client: &mut Client,
    schema: &str,
) -> Result<Vec<HistoryEntry>, BackendError> {
    if !table_exists(client, schema, HISTORY_TABLE)? {
        return Ok(Vec::new());
    }
    let rows = client
        .query(
            &format!(
                "SELECT id, revision, operation, checksum, started_at, duration_ms FROM {} ORDER BY id",
                qualified(schema, HISTORY_TABLE)
            ),
            &[],
        )
        .map_err(|e| {
            BackendError::new(format!("cannot read `{HISTORY_TABLE}`: {}", db_message(&e)))
        })?;
    rows.iter()
        .map(|r| {
            let id: i64 = r.get(0);
            let operation: String = r.get(2);
            let duration_ms: i64 = r.get(5);
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
                revision: r.get(1),
                operation,
                checksum: r.get(3),
                started_at: r.get(4),
                duration_ms,
            })
        })
        .collect()
}

/// The revision a run without a transaction left half done, from the progress table.
pub(crate) fn partial(client: &mut Client, schema: &str) -> Result<Option<Partial>, BackendError> {
    if !table_exists(client, schema, PROGRESS_TABLE)? {
        return Ok(None);
    }
    let fail = |e: postgres::Error| {
        BackendError::new(format!(
            "cannot read `{PROGRESS_TABLE}`: {}",
            db_message(&e)
        ))
    };
    let rows = client
        .query(
            &format!(
                // `next_step` read so that a journal of an earlier version, without
                // the column, still reads (`current` runs no migration of it).
                "SELECT revision, operation, steps_done, error, \
                 COALESCE(to_jsonb(p) ->> 'next_step', '') FROM {} p ORDER BY revision LIMIT 1",
                qualified(schema, PROGRESS_TABLE)
            ),
            &[],
        )
        .map_err(fail)?;
    let Some(row) = rows.first() else {
        return Ok(None);
    };
    let revision: String = row.get(0);
    let operation: String = row.get(1);
    let steps_done: i64 = row.get(2);
    let operation = Operation::parse(&operation).ok_or_else(|| {
        BackendError::new(format!(
            "`{PROGRESS_TABLE}` has an unknown operation `{operation}` for revision {revision}"
        ))
    })?;
    let steps_done = usize::try_from(steps_done).unwrap_or(0);
    let (error, next): (String, String) = (row.get(3), row.get(4));
    let error = if error.is_empty() && !next.is_empty() {
        format!(
            "the run was killed while statement {} was running, which may have run",
            steps_done + 1
        )
    } else {
        error
    };
    Ok(Some(Partial {
        revision,
        operation,
        steps_done,
        error,
    }))
}

/// The bookkeeping for `record`: version rows out and in, then a history row.
pub(crate) fn bookkeeping_sql(record: &Record, schema: &str, duration_ms: u64) -> Vec<String> {
    bookkeeping_with(record, schema, &duration_ms.to_string())
}

/// [`bookkeeping_sql`] with the duration as an SQL expression.
fn bookkeeping_with(record: &Record, schema: &str, duration_ms: &str) -> Vec<String> {
    let revisions = qualified(schema, REVISIONS_TABLE);
    let mut out = Vec::new();
    for revision in &record.delete {
        out.push(format!(
            "DELETE FROM {revisions} WHERE revision = {}",
            quote_literal(revision)
        ));
    }
    for (revision, checksum) in &record.insert {
        out.push(format!(
            "INSERT INTO {revisions} (revision, checksum, applied_at) VALUES ({}, {}, {})",
            quote_literal(revision),
            quote_literal(checksum),
            quote_literal(&record.started_at)
        ));
    }
    out.extend(record.history_sql(
        &qualified(schema, HISTORY_TABLE),
        duration_ms,
        quote_literal,
    ));
    if record.operation == Operation::Stamp {
        // A stamp says where the database is, also after a revision without a
        // transaction stopped half way and was finished by hand.
        out.push(format!("DELETE FROM {}", qualified(schema, PROGRESS_TABLE)));
    }
    out
}

/// `SET search_path TO schema, public`: each revision starts on the configured schema,
/// whatever the one before it set. New objects go to `schema`; `public` comes after
/// it, as in PostgreSQL's default path, because that is where extensions put their
/// types and functions (`citext`, `hstore`, PostGIS), which migrations use unqualified.
pub(crate) fn search_path(schema: &str) -> String {
    if schema == "public" {
        "SET search_path TO public".to_string()
    } else {
        format!("SET search_path TO {}, public", quote_ident(schema))
    }
}

/// Runs one revision: `before`, then the body, the checks and the bookkeeping in one
/// transaction (or, for a revision without one, statement by statement with its
/// progress recorded), then `after`.
pub(crate) fn execute(
    client: &mut Client,
    schema: &str,
    script: &Script,
    record: &Record,
    asynchronous: bool,
    activity: &Activity,
) -> Result<(), BackendError> {
    let started = Instant::now();
    let run = |client: &mut Client, sql: &str| {
        client
            .batch_execute(sql)
            .map_err(|e| BackendError::new(format!("{sql}: {}", db_message(&e))))
    };
    let usual = !script.non_transactional
        && script.before.is_empty()
        && script.verify.is_empty()
        && script.first_step == 0;
    if usual {
        // The usual revision in one round trip. A failure rolls all of it back (the
        // `SET` too, which is transactional), and the revision runs again statement by
        // statement below, to tell which statement failed and why.
        let sql = format!(
            "{};\n{}",
            search_path(schema),
            one_round_trip(schema, script, record, asynchronous)
        );
        // Which statement of the round trip the server is at, the client cannot
        // tell; of a revision of one statement, it is that one.
        if let [step] = script.body.as_slice() {
            activity.statement(&step.sql);
        }
        if client.batch_execute(&sql).is_ok() {
            return script.after.iter().try_for_each(|sql| run(client, sql));
        }
        // A failed batch leaves its transaction open and aborted; if the connection
        // itself failed, the statements below report it.
        let _ = client.batch_execute("ROLLBACK");
    }
    run(client, &search_path(schema))?;
    for sql in &script.before {
        run(client, sql)?;
    }
    let result = if script.non_transactional {
        statement_by_statement(client, schema, script, record, started, activity)
    } else {
        in_transaction(
            client,
            schema,
            script,
            record,
            started,
            asynchronous,
            activity,
        )
    };
    let after = script.after.iter().try_for_each(|sql| run(client, sql));
    result.and(after)
}

/// A revision without checks as one simple query: the transaction, the body and the
/// bookkeeping (its duration measured by the server from the query's arrival). Each
/// statement ends on a line of its own, so a trailing `--` comment cannot swallow the
/// separator.
fn one_round_trip(schema: &str, script: &Script, record: &Record, asynchronous: bool) -> String {
    let mut sql = String::from("BEGIN;\n");
    if asynchronous {
        sql.push_str("SET LOCAL synchronous_commit TO off;\n");
    }
    let duration = "(EXTRACT(EPOCH FROM clock_timestamp() - statement_timestamp()) * 1000)::bigint";
    let bookkeeping = bookkeeping_with(record, schema, duration);
    for statement in script.body.iter().map(|s| &s.sql).chain(&bookkeeping) {
        sql.push_str(statement);
        sql.push_str("\n;\n");
    }
    sql.push_str("COMMIT");
    sql
}

/// The body, checks and bookkeeping in one transaction, rolled back on any error.
fn in_transaction(
    client: &mut Client,
    schema: &str,
    script: &Script,
    record: &Record,
    started: Instant,
    asynchronous: bool,
    activity: &Activity,
) -> Result<(), BackendError> {
    let start = |e: postgres::Error| {
        BackendError::new(format!(
            "cannot start the revision's transaction: {}",
            db_message(&e)
        ))
    };
    let mut tx = client.transaction().map_err(start)?;
    if asynchronous {
        tx.batch_execute("SET LOCAL synchronous_commit TO off")
            .map_err(start)?;
    }
    let mut result = Ok(());
    for (i, step) in script.body.iter().enumerate() {
        activity.statement(&step.sql);
        if let Err(e) = tx.batch_execute(&step.sql) {
            result = Err(BackendError {
                message: db_message(&e),
                step: Some(i),
            });
            break;
        }
    }
    if result.is_ok() {
        // A resumed revision clears the progress its first run recorded.
        let resumed = script.first_step > 0;
        result = finish(&mut tx, schema, script, record, started, resumed);
    }
    match result {
        Ok(()) => tx.commit().map_err(|e| {
            BackendError::new(format!("cannot commit the revision: {}", db_message(&e)))
        }),
        Err(mut e) => {
            if let Err(rollback) = tx.rollback() {
                e.message = format!(
                    "{}; and cannot roll the revision back: {}",
                    e.message,
                    db_message(&rollback)
                );
            }
            Err(e)
        }
    }
}

/// The checks, then the bookkeeping (and, for a revision without a transaction, the
/// removal of its progress row), inside `tx`.
fn finish(
    tx: &mut postgres::Transaction<'_>,
    schema: &str,
    script: &Script,
    record: &Record,
    started: Instant,
    clear_progress: bool,
) -> Result<(), BackendError> {
    for sql in &script.verify {
        verify(tx, sql)?;
    }
    let duration_ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
    let mut sql = bookkeeping_sql(record, schema, duration_ms);
    if clear_progress {
        sql.push(format!(
            "DELETE FROM {} WHERE revision = {}",
            qualified(schema, PROGRESS_TABLE),
            quote_literal(&record.revision)
        ));
    }
    for s in sql {
        tx.batch_execute(&s).map_err(|e| {
            BackendError::new(format!(
                "cannot record the revision in the version tables: {}",
                db_message(&e)
            ))
        })?;
    }
    Ok(())
}

/// Runs a check that must return no rows; the rows it returns make the error.
fn verify(tx: &mut postgres::Transaction<'_>, sql: &str) -> Result<(), BackendError> {
    let messages = tx
        .simple_query(sql)
        .map_err(|e| BackendError::new(format!("{sql}: {}", db_message(&e))))?;
    let rows: Vec<String> = messages
        .iter()
        .filter_map(|m| match m {
            SimpleQueryMessage::Row(row) => Some(
                (0..row.len())
                    .map(|i| row.get(i).unwrap_or("NULL").to_string())
                    .collect::<Vec<_>>()
                    .join(", "),
            ),
            _ => None,
        })
        .collect();
    if rows.is_empty() {
        return Ok(());
    }
    let shown: Vec<String> = rows.iter().take(5).map(|r| format!("({r})")).collect();
    let more = if rows.len() > shown.len() {
        format!(" (and {} more)", rows.len() - shown.len())
    } else {
        String::new()
    };
    Err(BackendError::new(format!(
        "check `{sql}` returned rows: {}{more}",
        shown.join(", ")
    )))
}

/// A revision without a transaction: each statement that can run in a transaction
/// runs in one together with its progress update, so that it and its journal entry
/// commit or vanish together; one that cannot (`CREATE INDEX CONCURRENTLY`, which
/// PostgreSQL refuses in a transaction block) runs on its own between an entry saying
/// it is about to run (`next_step`) and one saying it ran, so that a run killed in
/// between knows which statement is in doubt ([`interrupted`]). The checks and
/// bookkeeping, which clear the progress row, run in a transaction at the end. A
/// failure records its message in the progress row, unless no statement of the
/// revision completed, in which case the row goes: the revision left nothing half done.
fn statement_by_statement(
    client: &mut Client,
    schema: &str,
    script: &Script,
    record: &Record,
    started: Instant,
    activity: &Activity,
) -> Result<(), BackendError> {
    let progress = qualified(schema, PROGRESS_TABLE);
    let revision = record.revision.as_str();
    let record_fail = |e: postgres::Error| {
        BackendError::new(format!(
            "cannot record the revision's progress in `{PROGRESS_TABLE}`: {}",
            db_message(&e)
        ))
    };
    // A resumed run must know whether the statement a killed run was running ran.
    let mut skip = 0;
    {
        let doubt = client
            .query(
                &format!(
                    "SELECT next_step FROM {progress} WHERE revision = $1 AND error = '' AND next_step <> ''"
                ),
                &[&revision],
            )
            .map_err(record_fail)?;
        if let Some(row) = doubt.first() {
            // It may have run, so it must be the statement this run would skip or
            // run again, not one edited since.
            let was: String = row.get(0);
            let now = script.body.first().map_or("", |s| s.sql.as_str());
            if was != now {
                return Err(BackendError::new(format!(
                    "cannot resume revision {revision}: statement {} was running when the run \
                     was killed, so it may have run and cannot change, but it was `{was}` and \
                     planned again it is `{now}`; nothing was run. Put it back as it was, or \
                     finish the revision by hand and `stamp` it",
                    script.first_step + 1
                )));
            }
            match script.interrupted_ran {
                Some(true) => skip = 1,
                Some(false) => {}
                None => {
                    return Err(BackendError::new(format!(
                        "revision {revision} was interrupted while statement {} was running, and \
                         whether it ran was not decided; nothing was run",
                        script.first_step + 1
                    )));
                }
            }
        }
    }
    let first = i64::try_from(script.first_step + skip).unwrap_or(i64::MAX);
    client
        .execute(
            &format!(
                "INSERT INTO {progress} (revision, operation, steps_done, error, next_step) VALUES ($1, $2, $3, '', '') \
                 ON CONFLICT (revision) DO UPDATE SET operation = EXCLUDED.operation, \
                 steps_done = EXCLUDED.steps_done, error = '', next_step = ''"
            ),
            &[&revision, &record.operation.as_str(), &first],
        )
        .map_err(record_fail)?;
    let stopped = |client: &mut Client, done: i64, error: BackendError| {
        let noted = if done == 0 {
            client.execute(
                &format!("DELETE FROM {progress} WHERE revision = $1"),
                &[&revision],
            )
        } else {
            client.execute(
                &format!("UPDATE {progress} SET error = $2, next_step = '' WHERE revision = $1"),
                &[&revision, &error.message],
            )
        };
        match noted {
            Ok(_) => error,
            Err(e) => BackendError {
                message: format!("{}; and {}", error.message, record_fail(e).message),
                ..error
            },
        }
    };
    let mark = format!("UPDATE {progress} SET steps_done = $2, next_step = '' WHERE revision = $1");
    for (i, step) in script.body.iter().enumerate().skip(skip) {
        activity.statement(&step.sql);
        let done = i64::try_from(script.first_step + i).unwrap_or(i64::MAX);
        let number = script.first_step + i + 1;
        let failed = |e: &postgres::Error| {
            let mut message = db_message(e);
            if step.sql.to_ascii_uppercase().contains("CONCURRENTLY") {
                message.push_str(
                    " (a CREATE INDEX CONCURRENTLY that fails leaves an invalid index behind: \
                     drop it before running the revision again)",
                );
            }
            BackendError {
                message,
                step: Some(i),
            }
        };
        // In a transaction with its progress update, when PostgreSQL allows it.
        if !outside_a_transaction(&step.sql) {
            failpoint(Moment::Before, number);
            let mut tx = client.transaction().map_err(record_fail)?;
            match tx.batch_execute(&step.sql) {
                Ok(()) => {
                    failpoint(Moment::After, number);
                    let committed = tx
                        .execute(&mark, &[&revision, &(done + 1)])
                        .and_then(|_| tx.commit());
                    if let Err(e) = committed {
                        return Err(stopped(
                            client,
                            done,
                            BackendError {
                                message: format!(
                                    "the statement and its progress update did not commit: {}",
                                    db_message(&e)
                                ),
                                step: Some(i),
                            },
                        ));
                    }
                    continue;
                }
                Err(e) if !outside_only(&e) => {
                    let _ = tx.rollback();
                    return Err(stopped(client, done, failed(&e)));
                }
                Err(_) => {
                    let _ = tx.rollback();
                }
            }
        }
        // It cannot run in a transaction: the journal says it is about to run.
        client
            .execute(
                &format!("UPDATE {progress} SET next_step = $2 WHERE revision = $1"),
                &[&revision, &step.sql],
            )
            .map_err(record_fail)?;
        failpoint(Moment::Before, number);
        if let Err(e) = client.batch_execute(&step.sql) {
            return Err(stopped(client, done, failed(&e)));
        }
        failpoint(Moment::After, number);
        client
            .execute(&mark, &[&revision, &(done + 1)])
            .map_err(record_fail)?;
    }
    let done = i64::try_from(script.first_step + script.body.len()).unwrap_or(i64::MAX);
    let mut tx = client.transaction().map_err(|e| {
        BackendError::new(format!(
            "cannot start the revision's bookkeeping: {}",
            db_message(&e)
        ))
    })?;
    let result = finish(&mut tx, schema, script, record, started, true);
    let result = match result {
        Ok(()) => tx.commit().map_err(|e| {
            BackendError::new(format!("cannot commit the revision: {}", db_message(&e)))
        }),
        Err(e) => {
            let _ = tx.rollback();
            Err(e)
        }
    };
    result.map_err(|e| stopped(client, done, e))
}

/// Whether `sql` is known to refuse a transaction block (a `CREATE`, `DROP` or
/// `REINDEX` with `CONCURRENTLY` among its first words, `VACUUM`), so that it is not tried in one first.
fn outside_a_transaction(sql: &str) -> bool {
    let words = wildebeest_sql::leading_words(sql, 5);
    match words.first().map(String::as_str) {
        Some("VACUUM") => true,
        Some("CREATE" | "DROP" | "REINDEX") => words.iter().any(|w| w == "CONCURRENTLY"),
        _ => false,
    }
}

/// Whether `e` says the statement cannot run inside a transaction block
/// (`CREATE INDEX CONCURRENTLY`, `VACUUM`, a procedure that commits).
fn outside_only(e: &postgres::Error) -> bool {
    e.code().is_some_and(|c| {
        *c == SqlState::ACTIVE_SQL_TRANSACTION || *c == SqlState::INVALID_TRANSACTION_TERMINATION
    })
}

/// For the half-done revision of `record`, killed while a statement that cannot run in
/// a transaction was running (the journal names it and holds no error): whether it
/// ran, told by its effect. The migration lock is the killed run's session's until
/// its server process ends, which is after the statement ended, so the statement is
/// over by now. A `CREATE INDEX CONCURRENTLY` ran when its index is there and valid,
/// did not when it is absent, and left an invalid index behind to drop otherwise; a
/// `DROP INDEX CONCURRENTLY` ran when its index is gone; `REINDEX`, `VACUUM` and
/// `ANALYZE` change nothing when run again. Anything else cannot be told.
pub(crate) fn interrupted(
    client: &mut Client,
    schema: &str,
    record: &Record,
) -> Result<Option<Interrupted>, BackendError> {
    if !table_exists(client, schema, PROGRESS_TABLE)? {
        return Ok(None);
    }
    let fail = |e: postgres::Error| {
        BackendError::new(format!(
            "cannot read `{PROGRESS_TABLE}`: {}",
            db_message(&e)
        ))
    };
    let rows = client
        .query(
            &format!(
                "SELECT next_step FROM {} WHERE revision = $1 AND error = '' AND next_step <> ''",
                qualified(schema, PROGRESS_TABLE)
            ),
            &[&record.revision],
        )
        .map_err(fail)?;
    let Some(row) = rows.first() else {
        return Ok(None);
    };
    let sql: String = row.get(0);
    let words = wildebeest_sql::leading_words(&sql, 6);
    let words: Vec<&str> = words.iter().map(String::as_str).collect();
    // Whether the index is there, valid, and in which schema.
    let mut index = |name: &str| -> Result<Option<(bool, String)>, BackendError> {
        client.batch_execute(&search_path(schema)).map_err(fail)?;
        let rows = client
            .query(
                "SELECT i.indisvalid, n.nspname::text FROM pg_index i \
                 JOIN pg_class c ON c.oid = i.indexrelid \
                 JOIN pg_namespace n ON n.oid = c.relnamespace \
                 WHERE i.indexrelid = to_regclass($1)",
                &[&name],
            )
            .map_err(fail)?;
        Ok(rows.first().map(|r| (r.get(0), r.get(1))))
    };
    let verdict = match words.as_slice() {
        ["CREATE", "INDEX" | "UNIQUE", ..] => match created_index_name(&sql) {
            None => Interrupted::Unknown {
                why: "it names no index, so its index cannot be looked up".to_string(),
            },
            Some(name) => match index(&name)? {
                Some((true, _)) => Interrupted::Ran,
                None => Interrupted::NotRun,
                Some((false, home)) => Interrupted::Broken {
                    what: format!(
                        "the index {name} invalid (PostgreSQL keeps the index of an interrupted \
                         `CREATE INDEX CONCURRENTLY`, unusable): drop it with \
                         `DROP INDEX CONCURRENTLY {}.{name};`",
                        quote_ident(&home)
                    ),
                },
            },
        },
        ["DROP", "INDEX", ..] => match dropped_index_name(&sql) {
            None => Interrupted::Unknown {
                why: "its index name could not be read".to_string(),
            },
            Some(name) => match index(&name)? {
                Some(_) => Interrupted::NotRun,
                None => Interrupted::Ran,
            },
        },
        ["REINDEX" | "VACUUM" | "ANALYZE", ..] => Interrupted::NotRun,
        [first, ..] => Interrupted::Unknown {
            why: format!(
                "it ran outside a transaction, and what a `{first}` statement did cannot be read back"
            ),
        },
        [] => Interrupted::Unknown {
            why: "the statement could not be read".to_string(),
        },
    };
    Ok(Some(verdict))
}

/// The name of the index a `CREATE [UNIQUE] INDEX [CONCURRENTLY] [IF NOT EXISTS] name
/// ON ...` makes, as `to_regclass` reads it (quoted where it was); `None` when it
/// names none.
fn created_index_name(sql: &str) -> Option<String> {
    let mut rest = sql.trim_start();
    for word in [
        "CREATE",
        "UNIQUE",
        "INDEX",
        "CONCURRENTLY",
        "IF",
        "NOT",
        "EXISTS",
    ] {
        rest = strip_word(rest, word).unwrap_or(rest);
    }
    let (name, after) = identifier(rest)?;
    if name.eq_ignore_ascii_case("ON") && !name.starts_with('"') {
        return None;
    }
    strip_word(after, "ON")?;
    Some(name)
}

/// The index a `DROP INDEX [CONCURRENTLY] [IF EXISTS] name` drops (possibly
/// schema-qualified), when it drops one.
fn dropped_index_name(sql: &str) -> Option<String> {
    let mut rest = sql.trim_start();
    for word in ["DROP", "INDEX", "CONCURRENTLY", "IF", "EXISTS"] {
        rest = strip_word(rest, word).unwrap_or(rest);
    }
    let (mut name, mut after) = identifier(rest)?;
    if let Some(more) = after.strip_prefix('.') {
        let (second, tail) = identifier(more)?;
        name = format!("{name}.{second}");
        after = tail;
    }
    let tail = after.trim().trim_end_matches(';').trim();
    let plain = tail.is_empty()
        || tail.eq_ignore_ascii_case("CASCADE")
        || tail.eq_ignore_ascii_case("RESTRICT");
    plain.then_some(name)
}

/// `text` after the keyword `word` and the space after it.
fn strip_word<'a>(text: &'a str, word: &str) -> Option<&'a str> {
    let text = text.trim_start();
    let head = text.get(..word.len())?;
    let next = text[word.len()..].chars().next();
    (head.eq_ignore_ascii_case(word) && next.is_none_or(|c| !(c.is_alphanumeric() || c == '_')))
        .then(|| text[word.len()..].trim_start())
}

/// One identifier at the start of `text` as written (`"a b"` with its quotes,
/// `t_v` as it is), and the rest.
fn identifier(text: &str) -> Option<(String, &str)> {
    let text = text.trim_start();
    if let Some(quoted) = text.strip_prefix('"') {
        let mut end = 0;
        let bytes = quoted.as_bytes();
        loop {
            let at = quoted[end..].find('"')? + end;
            if bytes.get(at + 1) == Some(&b'"') {
                end = at + 2;
                continue;
            }
            return Some((format!("\"{}\"", &quoted[..at]), &quoted[at + 1..]));
        }
    }
    let len = text
        .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '$'))
        .unwrap_or(text.len());
    (len > 0).then(|| (text[..len].to_string(), &text[len..]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_index_of_a_concurrent_statement_is_read_as_postgres_names_it() {
        let created = |sql: &str| created_index_name(sql);
        assert_eq!(
            created("CREATE INDEX CONCURRENTLY t_v ON t (v)").as_deref(),
            Some("t_v")
        );
        assert_eq!(
            created("create unique index concurrently if not exists \"A b\"\"c\" on t (v)")
                .as_deref(),
            Some("\"A b\"\"c\"")
        );
        assert_eq!(created("CREATE INDEX CONCURRENTLY ON t (v)"), None);
        let dropped = |sql: &str| dropped_index_name(sql);
        assert_eq!(
            dropped("DROP INDEX CONCURRENTLY IF EXISTS s.t_v;").as_deref(),
            Some("s.t_v")
        );
        assert_eq!(
            dropped("DROP INDEX CONCURRENTLY t_v CASCADE").as_deref(),
            Some("t_v")
        );
        assert_eq!(dropped("DROP INDEX a, b"), None);
        assert!(outside_a_transaction(
            "CREATE INDEX CONCURRENTLY i ON t (v)"
        ));
        assert!(outside_a_transaction("VACUUM t"));
        assert!(!outside_a_transaction("UPDATE t SET concurrently = 1"));
    }

    #[test]
    fn lock_keys_carry_the_tag_and_differ_by_schema() {
        let a = lock_key("public");
        let b = lock_key("app");
        assert_ne!(a, b);
        assert_eq!(a >> 32, LOCK_TAG);
        assert_eq!(b >> 32, LOCK_TAG);
        assert!(a > 0 && b > 0);
        // Stable across versions: other runners compute the same key.
        assert_eq!(lock_key(""), (LOCK_TAG << 32) | 0x811c_9dc5);
    }

    #[test]
    fn bookkeeping_names_the_schema() {
        let record = Record {
            operation: Operation::Upgrade,
            revision: "r1".into(),
            other_heads: Vec::new(),
            checksum: "c".into(),
            insert: vec![("r1".into(), "c".into())],
            delete: vec!["r0".into()],
            started_at: "2026-01-02T03:04:05Z".into(),
        };
        assert_eq!(
            bookkeeping_sql(&record, "My App", 7),
            [
                "DELETE FROM \"My App\".wildebeest_revisions WHERE revision = 'r0'",
                "INSERT INTO \"My App\".wildebeest_revisions (revision, checksum, applied_at) VALUES ('r1', 'c', '2026-01-02T03:04:05Z')",
                "INSERT INTO \"My App\".wildebeest_history (revision, operation, checksum, started_at, duration_ms) VALUES ('r1', 'upgrade', 'c', '2026-01-02T03:04:05Z', 7)",
            ]
        );
    }

    #[test]
    fn a_stamp_ends_a_revision_left_half_done() {
        let record = Record {
            operation: Operation::Stamp,
            revision: "r1".into(),
            other_heads: Vec::new(),
            checksum: String::new(),
            insert: vec![("r1".into(), "c".into())],
            delete: vec![],
            started_at: "2026-01-02T03:04:05Z".into(),
        };
        assert_eq!(
            bookkeeping_sql(&record, "app", 0).last().unwrap(),
            "DELETE FROM app.wildebeest_progress"
        );
    }
}
