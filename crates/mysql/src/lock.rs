//! The migration lock, the version tables, and running one revision with a journal of
//! its progress.
//!
//! The lock is a named lock of the server (`GET_LOCK('wildebeest:<database>', ...)`),
//! held by the connection until `RELEASE_LOCK` or until the connection ends.
//!
//! MySQL commits each DDL statement on its own (an implicit commit before and after
//! it), so a revision cannot be rolled back as a whole. [`execute`] therefore runs the
//! body statement by statement and records in `wildebeest_progress` how many
//! statements are done, before each (and after those whose running the schema
//! cannot show); a failure stores its message
//! there, and with it the SQL of the statement to run next, so that a resumed run that
//! would start elsewhere is refused instead of skipping or repeating a statement. Only
//! when every statement is done do the version rows, the history row and the removal
//! of the progress row commit together, in one InnoDB transaction.
//!
//! A run can also stop between a statement and its journal entry (the process is
//! killed, the connection drops). A data statement (`INSERT`, `UPDATE`, `DELETE`,
//! `REPLACE`) therefore commits in one transaction with its journal entry. A DDL
//! statement cannot; instead the journal keeps a fingerprint of the schema
//! ([`fingerprint_before`], computed by the server in the statement that writes the
//! entry) as it was before the next statement. A run that finds a journal
//! that was interrupted (no error recorded) and a schema whose fingerprint differs
//! knows that the statement ran, and goes on after it.

use std::cell::RefCell;
use std::time::{Duration, Instant};

use mysql::Conn;
use wildebeest_runner::{
    Activity, Applied, BackendError, HistoryEntry, Interrupted, Moment, Operation, Partial, Record,
    Script, failpoint,
};

use crate::conn::{
    ER_NO_SUCH_TABLE, Row, error_code, exec, exec_rows, message, query_rows, read_again, run,
};
use crate::render::quote_literal;

/// The set of applied revisions.
pub const REVISIONS_TABLE: &str = "wildebeest_revisions";
/// Every upgrade, downgrade and stamp, oldest first.
pub const HISTORY_TABLE: &str = "wildebeest_history";
/// The revision that is running or stopped half way: how many statements of its body
/// are done, and the error that stopped it.
pub const PROGRESS_TABLE: &str = "wildebeest_progress";

/// The longest name `GET_LOCK` takes.
const MAX_LOCK_NAME: usize = 64;

/// The name of the migration lock of `database`: `wildebeest:<database>`, or for a
/// name too long for MySQL, its start and a stable hash of the whole.
pub(crate) fn lock_name(database: &str) -> String {
    let name = format!("wildebeest:{database}");
    if name.len() <= MAX_LOCK_NAME {
        return name;
    }
    // FNV-1a: the same in every build, so two versions of wildebeest agree.
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for b in database.bytes() {
        hash ^= u64::from(b);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    let suffix = format!(":{hash:016x}");
    let mut cut = MAX_LOCK_NAME - suffix.len();
    while !name.is_char_boundary(cut) {
        cut -= 1;
    }
    format!("{}{suffix}", &name[..cut])
}

/// A duration for messages: `30 s`, `250 ms`.
fn human(d: Duration) -> String {
    if d.subsec_millis() == 0 && d.as_secs() > 0 {
        format!("{} s", d.as_secs())
    } else {
        format!("{} ms", d.as_millis())
    }
}

fn first_value(rows: &[Row]) -> Option<&str> {
    rows.first()
        .and_then(|r| r.first())
        .and_then(|v| v.as_deref())
}

/// `GET_LOCK`, waiting up to `timeout`; on timeout the error says which connection
/// holds the lock, as whom, from where and for how long.
pub(crate) fn lock(
    conn: &RefCell<Conn>,
    database: &str,
    describe: &str,
    timeout: Duration,
) -> Result<(), BackendError> {
    let name = lock_name(database);
    // MySQL takes the timeout in seconds; a fraction rounds up, so that a short
    // timeout still waits.
    let seconds = timeout.as_secs() + u64::from(timeout.subsec_nanos() > 0);
    let got = exec_rows(conn, "SELECT GET_LOCK(?, ?)", (&name, seconds)).map_err(|e| {
        BackendError::new(format!(
            "cannot take the migration lock on `{describe}`: {}",
            message(&e)
        ))
    })?;
    match first_value(&got) {
        Some("1") => Ok(()),
        Some("0") => Err(BackendError::new(format!(
            "the migration lock `{name}` on `{describe}` is held by {}; gave up after waiting {}",
            holder(conn, &name),
            human(timeout)
        ))),
        _ => Err(BackendError::new(format!(
            "cannot take the migration lock `{name}` on `{describe}`: the server returned no answer"
        ))),
    }
}

/// Who holds the lock `name`: `connection 42 (app@10.0.0.7:51234, running for 12 s)`.
fn holder(conn: &RefCell<Conn>, name: &str) -> String {
    let id = exec_rows(conn, "SELECT IS_USED_LOCK(?)", (name,))
        .ok()
        .and_then(|rows| first_value(&rows).map(str::to_string));
    let Some(id) = id else {
        return "another connection (which has released it since)".to_string();
    };
    let who = exec_rows(
        conn,
        "SELECT USER, HOST, TIME FROM information_schema.PROCESSLIST WHERE ID = ?",
        (id.as_str(),),
    );
    match who.as_deref() {
        Ok([row, ..]) => {
            let field = |i: usize| row.get(i).cloned().flatten().unwrap_or_default();
            format!(
                "connection {id} ({}@{}, connected for {} s), probably another migration run",
                field(0),
                field(1),
                field(2)
            )
        }
        _ => format!("connection {id}, probably another migration run"),
    }
}

/// `RELEASE_LOCK`.
pub(crate) fn unlock(
    conn: &RefCell<Conn>,
    database: &str,
    describe: &str,
) -> Result<(), BackendError> {
    let name = lock_name(database);
    let released = exec_rows(conn, "SELECT RELEASE_LOCK(?)", (&name,)).map_err(|e| {
        BackendError::new(format!(
            "cannot release the migration lock on `{describe}`: {}",
            message(&e)
        ))
    })?;
    match first_value(&released) {
        Some("1") => Ok(()),
        _ => Err(BackendError::new(format!(
            "the migration lock `{name}` on `{describe}` was no longer held by this connection"
        ))),
    }
}

/// Creates the version, history and progress tables if they do not exist: InnoDB, so
/// that the bookkeeping of a revision commits as one transaction, and with a binary
/// collation, so that revision ids compare exactly.
pub(crate) fn ensure_version_tables(conn: &RefCell<Conn>) -> Result<(), BackendError> {
    let fail = |e: mysql::Error| {
        BackendError::new(format!("cannot create the version tables: {}", message(&e)))
    };
    for s in &version_tables_sql() {
        run(conn, s).map_err(fail)?;
    }
    // A journal table made by an earlier version lacks the later columns.
    for column in ["schema_before", "steps_ran"] {
        let found = query_rows(
            conn,
            &format!(
                "SELECT COUNT(*) FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() \
                 AND TABLE_NAME = '{PROGRESS_TABLE}' AND COLUMN_NAME = '{column}'"
            ),
        )
        .map_err(fail)?;
        if first_value(&found) == Some("0") {
            run(
                conn,
                &format!(
                    "ALTER TABLE {PROGRESS_TABLE} ADD COLUMN {column} VARCHAR(16) NOT NULL DEFAULT ''"
                ),
            )
            .map_err(fail)?;
        }
    }
    Ok(())
}

/// The digest of the steps that ran before the empty one: a journal that stores it
/// is of this version, one that stores `''` of an older one.
const NOTHING_RAN: &str = "cbf29ce484222325";

/// The digest of the steps that ran: `ran` (the digest of those before `sql`) and
/// `sql`, FNV-1a, the same in every build.
fn ran_after(ran: &str, sql: &str) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for b in ran.bytes().chain([0]).chain(sql.bytes()) {
        hash ^= u64::from(b);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{hash:016x}")
}

/// The parts of the current database's schema that a DDL statement can change, one
/// line per object part, without what data changes (row counts, sizes,
/// `AUTO_INCREMENT`). Each ends in its `WHERE` on the database, so that
/// ` AND TABLE_NAME = ...` narrows it to one table.
const TABLES: &str = "SELECT CONCAT_WS('|', 'T', TABLE_NAME, TABLE_TYPE, IFNULL(ENGINE, ''), \
IFNULL(TABLE_COLLATION, ''), IFNULL(CREATE_OPTIONS, ''), IFNULL(TABLE_COMMENT, '')) \
FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE()";
const COLUMNS: &str = "SELECT CONCAT_WS('|', 'C', TABLE_NAME, COLUMN_NAME, ORDINAL_POSITION, \
IFNULL(COLUMN_DEFAULT, '<none>'), IS_NULLABLE, COLUMN_TYPE, IFNULL(COLLATION_NAME, ''), EXTRA, COLUMN_COMMENT, \
IFNULL(GENERATION_EXPRESSION, '')) FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE()";
const INDEXES: &str = "SELECT CONCAT_WS('|', 'I', TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX, IFNULL(COLUMN_NAME, ''), \
NON_UNIQUE, IFNULL(SUB_PART, ''), INDEX_TYPE) FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE()";
const KEYS: &str = "SELECT CONCAT_WS('|', 'K', TABLE_NAME, CONSTRAINT_NAME, COLUMN_NAME, ORDINAL_POSITION, \
IFNULL(REFERENCED_TABLE_NAME, ''), IFNULL(REFERENCED_COLUMN_NAME, '')) FROM information_schema.KEY_COLUMN_USAGE \
WHERE TABLE_SCHEMA = DATABASE()";
const FOREIGN_KEYS: &str = "SELECT CONCAT_WS('|', 'R', CONSTRAINT_NAME, UPDATE_RULE, DELETE_RULE) \
FROM information_schema.REFERENTIAL_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = DATABASE()";
const CHECKS: &str = "SELECT CONCAT_WS('|', 'X', CONSTRAINT_NAME, CHECK_CLAUSE) \
FROM information_schema.CHECK_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = DATABASE()";
const TRIGGERS: &str = "SELECT CONCAT_WS('|', 'G', TRIGGER_NAME, EVENT_OBJECT_TABLE, EVENT_MANIPULATION, \
ACTION_TIMING, ACTION_STATEMENT) FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = DATABASE()";
const VIEWS: &str = "SELECT CONCAT_WS('|', 'V', TABLE_NAME, VIEW_DEFINITION) FROM information_schema.VIEWS \
WHERE TABLE_SCHEMA = DATABASE()";
const ROUTINES: &str = "SELECT CONCAT_WS('|', 'P', ROUTINE_TYPE, ROUTINE_NAME, ROUTINE_DEFINITION) \
FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = DATABASE()";
/// Whether a table exists, read without opening it.
const EXISTS: &str = "SELECT CONCAT_WS('|', 'E', TABLE_NAME, TABLE_TYPE) FROM information_schema.TABLES \
WHERE TABLE_SCHEMA = DATABASE()";
/// Constraints of one table by name and kind (MySQL 8's `CHECK_CONSTRAINTS` has no
/// table column).
const CONSTRAINTS: &str = "SELECT CONCAT_WS('|', 'X', CONSTRAINT_NAME, CONSTRAINT_TYPE) \
FROM information_schema.TABLE_CONSTRAINTS WHERE TABLE_SCHEMA = DATABASE()";

/// `parts` as one query, each narrowed to the table `table` (a quoted literal) if given.
fn parts_sql(parts: &[&str], table: Option<&str>) -> String {
    let narrow = table
        .map(|t| format!(" AND TABLE_NAME = {t}"))
        .unwrap_or_default();
    parts
        .iter()
        .map(|p| format!("{p}{narrow}"))
        .collect::<Vec<_>>()
        .join(" UNION ALL ")
}

/// A stable hash (FNV-1a, 16 hex digits) of the schema's lines from
/// the whole schema's parts, sorted: it changes when a DDL statement changes the schema.
pub(crate) fn fingerprint(conn: &RefCell<Conn>) -> Result<String, BackendError> {
    let sql = parts_sql(
        &[
            TABLES,
            COLUMNS,
            INDEXES,
            KEYS,
            FOREIGN_KEYS,
            CHECKS,
            TRIGGERS,
            VIEWS,
            ROUTINES,
        ],
        None,
    );
    let rows = query_rows(conn, &sql).map_err(|e| {
        BackendError::new(format!(
            "cannot read the schema's fingerprint: {}",
            message(&e)
        ))
    })?;
    Ok(hash_lines(
        rows.into_iter()
            .map(|r| r.into_iter().next().flatten().unwrap_or_default())
            .collect(),
    ))
}

/// What the journal stores before the DDL statement `next` runs, to tell later whether
/// it ran: the fingerprint of the tables `next` names (`s` and 15 hex digits,
/// computed by the server: [`server_fingerprint`]) when it is a statement the parser
/// models (`CREATE TABLE`, `ALTER TABLE`, `DROP TABLE`, `CREATE INDEX`, `DROP INDEX
/// ... ON`), else of the whole schema ([`fingerprint`]). Reading the whole
/// schema before every statement made a 1,000-revision upgrade quadratic (86 s where
/// `mariadb` runs the DDL in 4.5 s); a table's own rows in `information_schema` are
/// read without opening the others.
pub(crate) fn fingerprint_before(conn: &RefCell<Conn>, next: &str) -> Result<String, BackendError> {
    match server_fingerprint(conn, next)? {
        Some(fingerprint) => Ok(fingerprint),
        None => fingerprint(conn),
    }
}

/// The fingerprint of the schema before `next` taken the way `stored` was: `s` by
/// the server ([`server_fingerprint`]), `t` by this client over the tables `next`
/// names (as versions before the server's did), else of the whole schema. `None`
/// when it cannot be taken that way (an `s` or `t` fingerprint of a statement the
/// parser no longer models).
pub(crate) fn fingerprint_like(
    conn: &RefCell<Conn>,
    next: &str,
    stored: &str,
) -> Result<Option<String>, BackendError> {
    if stored.starts_with('s') {
        server_fingerprint(conn, next)
    } else if stored.starts_with('t') {
        client_fingerprint_before(conn, next)
    } else {
        fingerprint(conn).map(Some)
    }
}

/// The fingerprint of the tables `next` names, read and hashed by this client: `t`
/// and 15 hex digits, as versions before [`server_fingerprint`] stored it.
fn client_fingerprint_before(
    conn: &RefCell<Conn>,
    next: &str,
) -> Result<Option<String>, BackendError> {
    let Some((tables, parts)) = touched_tables(next) else {
        return Ok(None);
    };
    let mut lines = Vec::new();
    for table in &tables {
        let sql = parts_sql(parts.parts(), Some(&quote_literal(table)));
        let rows = query_rows(conn, &sql).map_err(|e| {
            BackendError::new(format!(
                "cannot read the fingerprint of `{table}`: {}",
                message(&e)
            ))
        })?;
        lines.extend(
            rows.into_iter()
                .map(|r| r.into_iter().next().flatten().unwrap_or_default()),
        );
    }
    // `t` and 15 hex digits: the journal's column holds 16 characters, and a
    // whole-schema fingerprint (16 hex digits) never starts with `t`.
    Ok(Some(format!("t{}", &hash_lines(lines)[1..])))
}

/// The fingerprint of the tables a modeled DDL statement names, computed by the
/// server in one query ([`server_fingerprint_sql`]), so that the journal entry before
/// the statement takes it in the same round trip as it is written: `s` and 15 hex
/// digits. `None` for a statement the parser does not model.
fn server_fingerprint(conn: &RefCell<Conn>, next: &str) -> Result<Option<String>, BackendError> {
    let Some((tables, parts)) = touched_tables(next) else {
        return Ok(None);
    };
    let (sql, params) = server_fingerprint_sql(&tables, parts);
    let rows = exec_rows(conn, &format!("SELECT {sql}"), params).map_err(|e| {
        BackendError::new(format!(
            "cannot read the fingerprint of `{}`: {}",
            tables.join("`, `"),
            message(&e)
        ))
    })?;
    Ok(Some(first_value(&rows).unwrap_or_default().to_string()))
}

/// The expression (a subquery) that computes the fingerprint of `tables` as
/// [`server_fingerprint`] stores it, with the table names as its parameters: the sum
/// of each line's MD5 (its first 15 hex digits as a number), modulo 2^60, as 15 hex
/// digits after `s`. A sum needs no order and no `group_concat_max_len`.
fn server_fingerprint_sql(tables: &[String], parts: Parts) -> (String, Vec<mysql::Value>) {
    let mut union = Vec::new();
    let mut params = Vec::new();
    for table in tables {
        for part in parts.parts() {
            union.push(format!("{part} AND TABLE_NAME = ?"));
            params.push(mysql::Value::from(table.as_str()));
        }
    }
    // The union's column takes the first select's name.
    let union = union.join(" UNION ALL ").replacen(
        ") FROM information_schema",
        ") AS l FROM information_schema",
        1,
    );
    let sql = format!(
        "(SELECT CONCAT('s', LPAD(LOWER(CONV(MOD(IFNULL(SUM(CAST(CONV(LEFT(MD5(l), 15), 16, 10) \
         AS UNSIGNED)), 0), 1152921504606846976), 10, 16)), 15, '0')) FROM ({union}) AS fingerprint_lines)"
    );
    (sql, params)
}

/// What of a table a statement can change, so what its fingerprint must read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Parts {
    /// `CREATE TABLE`, `DROP TABLE`: whether it exists (read without opening it).
    Existence,
    /// `CREATE INDEX`, `DROP INDEX`: its indexes.
    Indexes,
    /// `ALTER TABLE`: its options, columns, indexes, keys, foreign keys, constraints.
    Everything,
}

impl Parts {
    fn parts(self) -> &'static [&'static str] {
        match self {
            Parts::Existence => &[EXISTS],
            Parts::Indexes => &[EXISTS, INDEXES],
            Parts::Everything => &[TABLES, COLUMNS, KEYS, FOREIGN_KEYS, CONSTRAINTS, INDEXES],
        }
    }
}

/// The tables a DDL statement changes and what of them, as the parser reads it;
/// `None` for anything it does not model (then the whole schema is fingerprinted).
fn touched_tables(sql: &str) -> Option<(Vec<String>, Parts)> {
    use wildebeest_schema::{AlterAction, Change};
    let (statements, _) =
        wildebeest_sql::parse_statements(sql, "", wildebeest_sql::Dialect::Mysql).ok()?;
    let [statement] = &statements[..] else {
        return None;
    };
    match statement.change.as_ref()? {
        Change::CreateTable { table, .. } => Some((vec![table.name.clone()], Parts::Existence)),
        Change::DropTable { name, .. } => Some((vec![name.clone()], Parts::Existence)),
        Change::CreateIndex { index, .. } => Some((vec![index.table.clone()], Parts::Indexes)),
        Change::DropIndex { table, .. } => Some((vec![table.clone()?], Parts::Indexes)),
        Change::AlterTable { table, actions } => {
            let mut tables = vec![table.clone()];
            tables.extend(actions.iter().filter_map(|a| match a {
                AlterAction::RenameTable(to) => Some(to.clone()),
                _ => None,
            }));
            Some((tables, Parts::Everything))
        }
        _ => None,
    }
}

/// FNV-1a over the lines, sorted, as 16 hex digits.
fn hash_lines(mut lines: Vec<String>) -> String {
    lines.sort();
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for line in &lines {
        for b in line.bytes().chain(std::iter::once(b'\n')) {
            hash ^= u64::from(b);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    }
    format!("{hash:016x}")
}

/// Whether `sql`, which the journal says was about to run when a run was killed, ran:
/// `stored` is the fingerprint the journal took right before it. A data statement
/// commits with its journal entry, so a journal still naming it means it did not. A
/// schema that no longer has the stored fingerprint means the statement ran (nothing
/// else changes it while the migration lock is held). An unchanged schema means it
/// did not only for a statement that changes what the fingerprint reads whenever it
/// runs, or that would change nothing if it ran again ([`effect_shows`]); for any other
/// (a `CALL`, a swap of two tables alike) nothing tells.
pub(crate) fn judge(
    conn: &RefCell<Conn>,
    sql: &str,
    stored: &str,
) -> Result<Interrupted, BackendError> {
    if is_data_statement(sql) {
        return Ok(Interrupted::NotRun);
    }
    if stored.is_empty() {
        return Ok(Interrupted::Unknown {
            why: "the journal holds no fingerprint of the schema before it".to_string(),
        });
    }
    // Taken the way the journal's was: older versions hashed the tables here, or
    // the whole schema.
    let Some(now) = fingerprint_like(conn, sql, stored)? else {
        return Ok(Interrupted::Unknown {
            why: "its tables can no longer be read from it, so the schema cannot be compared \
                  with the fingerprint the journal took before it"
                .to_string(),
        });
    };
    if now != stored {
        return Ok(Interrupted::Ran);
    }
    Ok(match effect_shows(sql) {
        Ok(()) => Interrupted::NotRun,
        Err(why) => Interrupted::Unknown {
            why: format!("the schema is as it was before it, and {why}"),
        },
    })
}

/// `Ok` when `sql`, had it run, would show in the schema's fingerprint, or would
/// change nothing if it ran again: creating, altering and dropping tables, indexes,
/// views, triggers and routines, and renaming tables to names none of them had.
/// Otherwise why not: a `CALL` or `DO` changes rows the schema does not show, a
/// `RENAME TABLE` that reuses a name (a swap) can leave it as it was.
pub(crate) fn effect_shows(sql: &str) -> Result<(), String> {
    let words = wildebeest_sql::leading_words(sql, 4);
    let words: Vec<&str> = words.iter().map(String::as_str).collect();
    let objects = ["TABLE", "INDEX", "VIEW", "TRIGGER", "PROCEDURE", "FUNCTION"];
    let upper = sql.to_ascii_uppercase();
    match words.as_slice() {
        // Run again over a table that exists, it may copy the rows once more.
        ["CREATE", "TABLE", "IF", ..] if upper.contains("SELECT") => Err(
            "a `CREATE TABLE IF NOT EXISTS ... SELECT` over a table that exists may copy rows into it"
                .to_string(),
        ),
        ["CREATE", "UNIQUE" | "FULLTEXT" | "SPATIAL", "INDEX", ..]
        | ["CREATE", "OR", "REPLACE", "VIEW", ..]
        | ["ALTER", "TABLE", ..] => Ok(()),
        ["CREATE" | "DROP", kind, ..] if objects.contains(kind) => Ok(()),
        ["RENAME", "TABLE", ..] => match renamed_tables(sql) {
            Some((from, to)) if from.iter().all(|f| !to.contains(f)) => Ok(()),
            Some(_) => Err("it renames a table to a name another of its renames takes (a swap), which can leave the schema as it was"
                .to_string()),
            None => Err("its table names could not be read".to_string()),
        },
        [first, ..] => Err(format!(
            "a `{first}` statement can change what the schema does not show"
        )),
        [] => Err("the statement could not be read".to_string()),
    }
}

/// The names a `RENAME TABLE a TO b, c TO d` renames from and to, lower-cased
/// (MySQL may compare them so); `None` when it does not read as such.
fn renamed_tables(sql: &str) -> Option<(Vec<String>, Vec<String>)> {
    let trimmed = sql.trim().trim_end_matches(';');
    let at = trimmed.to_ascii_uppercase().find("TABLE")?;
    if !trimmed[..at].trim().eq_ignore_ascii_case("RENAME") {
        return None;
    }
    let rest = &trimmed[at + 5..];
    let (mut from, mut to) = (Vec::new(), Vec::new());
    for pair in rest.split(',') {
        let words: Vec<&str> = pair.split_whitespace().collect();
        let [a, kw, b] = words.as_slice() else {
            return None;
        };
        if !kw.eq_ignore_ascii_case("TO") {
            return None;
        }
        let name = |n: &str| n.replace('`', "").to_lowercase();
        from.push(name(a));
        to.push(name(b));
    }
    Some((from, to))
}

/// Whether `sql` changes only rows (`INSERT`, `UPDATE`, `DELETE`, `REPLACE`), so that
/// it commits in one transaction with its journal entry.
pub(crate) fn is_data_statement(sql: &str) -> bool {
    matches!(
        wildebeest_sql::leading_words(sql, 1)
            .first()
            .map(String::as_str),
        Some("INSERT" | "UPDATE" | "DELETE" | "REPLACE")
    )
}

/// The statements that create the version, history and progress tables if missing
/// (also printed at the top of offline scripts).
pub(crate) fn version_tables_sql() -> Vec<String> {
    let options = "ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin";
    vec![
        format!(
            "CREATE TABLE IF NOT EXISTS {REVISIONS_TABLE} (\n    revision VARCHAR(64) NOT NULL PRIMARY KEY,\n    \
             checksum VARCHAR(128) NOT NULL,\n    applied_at VARCHAR(40) NOT NULL\n) {options}"
        ),
        format!(
            "CREATE TABLE IF NOT EXISTS {HISTORY_TABLE} (\n    id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,\n    \
             revision TEXT NOT NULL,\n    operation VARCHAR(16) NOT NULL,\n    checksum VARCHAR(128) NOT NULL,\n    \
             started_at VARCHAR(40) NOT NULL,\n    duration_ms BIGINT NOT NULL\n) {options}"
        ),
        format!(
            "CREATE TABLE IF NOT EXISTS {PROGRESS_TABLE} (\n    revision VARCHAR(64) NOT NULL PRIMARY KEY,\n    \
             operation VARCHAR(16) NOT NULL,\n    steps_done INT NOT NULL,\n    error TEXT NOT NULL,\n    \
             updated_at VARCHAR(40) NOT NULL,\n    next_step LONGTEXT NOT NULL,\n    \
             schema_before VARCHAR(16) NOT NULL DEFAULT '',\n    \
             steps_ran VARCHAR(16) NOT NULL DEFAULT ''\n) {options}"
        ),
    ]
}

/// The rows of `sql`, or none when its table does not exist (yet).
fn rows_if_table(conn: &RefCell<Conn>, sql: &str, table: &str) -> Result<Vec<Row>, BackendError> {
    match query_rows(conn, sql) {
        Ok(rows) => Ok(rows),
        Err(e) if error_code(&e) == Some(ER_NO_SUCH_TABLE) => Ok(Vec::new()),
        Err(e) => Err(BackendError::new(format!(
            "cannot read `{table}`: {}",
            message(&e)
        ))),
    }
}

fn text(row: &Row, i: usize) -> String {
    row.get(i).cloned().flatten().unwrap_or_default()
}

/// The applied revisions in the order they were applied; empty when the table does
/// not exist.
pub(crate) fn applied(conn: &RefCell<Conn>) -> Result<Vec<Applied>, BackendError> {
    let rows = rows_if_table(
        conn,
        &format!(
            "SELECT revision, checksum, applied_at FROM {REVISIONS_TABLE} ORDER BY applied_at, revision"
        ),
        REVISIONS_TABLE,
    )?;
    Ok(rows
        .iter()
        .map(|r| Applied {
            revision: text(r, 0),
            checksum: text(r, 1),
            applied_at: text(r, 2),
        })
        .collect())
}

/// The applied revisions' ids, in no particular order; empty when the table does
/// not exist.
pub(crate) fn applied_ids(conn: &RefCell<Conn>) -> Result<Vec<String>, BackendError> {
    let rows = rows_if_table(
        conn,
        &format!("SELECT revision FROM {REVISIONS_TABLE}"),
        REVISIONS_TABLE,
    )?;
    Ok(rows.iter().map(|r| text(r, 0)).collect())
}

/// The history, oldest first; empty when the table does not exist.
pub(crate) fn history(conn: &RefCell<Conn>) -> Result<Vec<HistoryEntry>, BackendError> {
    let rows = rows_if_table(
        conn,
        &format!(
            "SELECT id, revision, operation, checksum, started_at, duration_ms FROM {HISTORY_TABLE} ORDER BY id"
        ),
        HISTORY_TABLE,
    )?;
    rows.iter()
        .map(|r| {
            let id = text(r, 0);
            let op = text(r, 2);
            let operation = Operation::parse(&op).ok_or_else(|| {
                BackendError::new(format!(
                    "`{HISTORY_TABLE}` row {id} has an unknown operation `{op}`"
                ))
            })?;
            let duration = text(r, 5);
            let duration_ms = duration.parse::<u64>().map_err(|_| {
                BackendError::new(format!(
                    "`{HISTORY_TABLE}` row {id} has a bad duration `{duration}`"
                ))
            })?;
            Ok(HistoryEntry {
                revision: text(r, 1),
                operation,
                checksum: text(r, 3),
                started_at: text(r, 4),
                duration_ms,
            })
        })
        .collect()
}

/// For the half-done revision of `record`, killed while a statement was running (the
/// journal names it and holds no error): whether that statement ran ([`judge`]).
pub(crate) fn interrupted(
    conn: &RefCell<Conn>,
    record: &Record,
) -> Result<Option<Interrupted>, BackendError> {
    let rows = exec_rows(
        conn,
        &format!(
            "SELECT next_step, schema_before FROM {PROGRESS_TABLE} WHERE revision = ? AND error = ''"
        ),
        (&record.revision,),
    )
    .map_err(|e| BackendError::new(format!("cannot read `{PROGRESS_TABLE}`: {}", message(&e))))?;
    match rows.first() {
        Some(r) if !text(r, 0).is_empty() => judge(conn, &text(r, 0), &text(r, 1)).map(Some),
        _ => Ok(None),
    }
}

/// The revision that stopped half way, from the progress table.
pub(crate) fn partial(conn: &RefCell<Conn>) -> Result<Option<Partial>, BackendError> {
    let rows = rows_if_table(
        conn,
        &format!(
            "SELECT revision, operation, steps_done, error, next_step FROM {PROGRESS_TABLE} ORDER BY updated_at, revision"
        ),
        PROGRESS_TABLE,
    )?;
    let partials: Vec<Partial> = rows
        .iter()
        .map(|r| {
            let revision = text(r, 0);
            let op = text(r, 1);
            let operation = Operation::parse(&op).ok_or_else(|| {
                BackendError::new(format!(
                    "`{PROGRESS_TABLE}` has an unknown operation `{op}` for revision {revision}"
                ))
            })?;
            let steps_done = text(r, 2).parse::<usize>().map_err(|_| {
                BackendError::new(format!(
                    "`{PROGRESS_TABLE}` has a bad statement count for revision {revision}"
                ))
            })?;
            let error = match (text(r, 3), text(r, 4)) {
                (e, next) if e.is_empty() && !next.is_empty() => format!(
                    "the run was killed while statement {} was running, which may have run",
                    steps_done + 1
                ),
                (e, _) if e.is_empty() => "it was interrupted; no error was recorded".to_string(),
                (e, _) => e,
            };
            Ok(Partial {
                revision,
                operation,
                steps_done,
                error,
            })
        })
        .collect::<Result<_, BackendError>>()?;
    match partials.as_slice() {
        [] => Ok(None),
        [one] => Ok(Some(one.clone())),
        _ => Err(BackendError::new(format!(
            "`{PROGRESS_TABLE}` says {} revisions stopped half way ({}); finish or stamp them one at a time",
            partials.len(),
            partials
                .iter()
                .map(|p| p.revision.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ))),
    }
}

/// The bookkeeping for `record`: version rows out and in, its history rows, and the end
/// of the revision's progress journal (for a stamp, of every journal: stamping says
/// what is applied, half-done revisions included).
pub(crate) fn bookkeeping_sql(record: &Record, duration_ms: u64) -> Vec<String> {
    bookkeeping_sql_with(record, duration_ms, quote_literal)
}

/// [`bookkeeping_sql`] with the literals written by `quote`.
fn bookkeeping_sql_with(
    record: &Record,
    duration_ms: u64,
    quote_literal: impl Fn(&str) -> String,
) -> Vec<String> {
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
    out.extend(record.history_sql(HISTORY_TABLE, &duration_ms.to_string(), &quote_literal));
    out.push(match record.operation {
        Operation::Stamp => format!("DELETE FROM {PROGRESS_TABLE}"),
        _ => format!(
            "DELETE FROM {PROGRESS_TABLE} WHERE revision = {}",
            quote_literal(&record.revision)
        ),
    });
    out
}

/// `s` as a literal that reads the same whatever the SQL mode (`NO_BACKSLASH_ESCAPES`
/// or not): its UTF-8 bytes in hex, so that no id is ever read as SQL.
fn hex_literal(s: &str) -> String {
    use std::fmt::Write;
    let mut out = String::with_capacity(12 + 2 * s.len());
    out.push_str("_utf8mb4 X'");
    for b in s.bytes() {
        let _ = write!(out, "{b:02x}");
    }
    out.push('\'');
    out
}

/// Records that statement `done + 1` of `record`'s revision, the DDL statement `next`,
/// is about to run (and so that `done` are done, `ran` their digest), with the
/// fingerprint of the schema before it. For a statement the parser models the server
/// computes the fingerprint in the same statement as the entry ([`server_fingerprint`]),
/// one round trip; for any other this client reads the whole schema's first.
fn journal_next(
    conn: &RefCell<Conn>,
    record: &Record,
    done: usize,
    ran: &str,
    next: &str,
) -> Result<(), BackendError> {
    let fail = |e: mysql::Error| {
        BackendError::new(format!(
            "cannot record the revision's progress in `{PROGRESS_TABLE}`: {}",
            message(&e)
        ))
    };
    let Some((tables, parts)) = touched_tables(next) else {
        let schema = fingerprint(conn)?;
        return progress(conn, record, done, ran, "", next, &schema).map_err(fail);
    };
    let (fingerprint, tables) = server_fingerprint_sql(&tables, parts);
    let sql = format!(
        "INSERT INTO {PROGRESS_TABLE} (revision, operation, steps_done, error, updated_at, next_step, schema_before, steps_ran) \
         SELECT ?, ?, ?, '', DATE_FORMAT(UTC_TIMESTAMP(6), '%Y-%m-%dT%H:%i:%s.%fZ'), ?, {fingerprint}, ? FROM DUAL \
         ON DUPLICATE KEY UPDATE operation = VALUES(operation), steps_done = VALUES(steps_done), \
         error = VALUES(error), updated_at = VALUES(updated_at), next_step = VALUES(next_step), \
         schema_before = VALUES(schema_before), steps_ran = VALUES(steps_ran)"
    );
    let mut params: Vec<mysql::Value> = vec![
        record.revision.as_str().into(),
        record.operation.as_str().into(),
        (done as u64).into(),
        next.into(),
    ];
    params.extend(tables);
    params.push(ran.into());
    use mysql::prelude::Queryable;
    // Failed, the statement changed nothing, so it can be made again.
    read_again(|| {
        conn.borrow_mut()
            .exec_drop(&sql, mysql::Params::Positional(params.clone()))
    })
    .map_err(fail)
}

/// Records that `steps_done` statements of `record`'s revision are done (and the
/// digest of their SQL, `steps_ran`, by which a resumed run checks that they are the
/// ones it skips), the error that stopped the next one (empty while it runs), the
/// SQL of that next one (empty when there is none) and the fingerprint of the schema
/// before it, by which a run that resumes an interrupted one tells whether it ran.
fn progress(
    conn: &RefCell<Conn>,
    record: &Record,
    steps_done: usize,
    steps_ran: &str,
    error: &str,
    next_step: &str,
    schema_before: &str,
) -> Result<(), mysql::Error> {
    exec(
        conn,
        &format!(
            "INSERT INTO {PROGRESS_TABLE} (revision, operation, steps_done, error, updated_at, next_step, schema_before, steps_ran) \
             VALUES (?, ?, ?, ?, DATE_FORMAT(UTC_TIMESTAMP(6), '%Y-%m-%dT%H:%i:%s.%fZ'), ?, ?, ?) \
             ON DUPLICATE KEY UPDATE operation = VALUES(operation), steps_done = VALUES(steps_done), \
             error = VALUES(error), updated_at = VALUES(updated_at), next_step = VALUES(next_step), \
             schema_before = VALUES(schema_before), steps_ran = VALUES(steps_ran)"
        ),
        (
            &record.revision,
            record.operation.as_str(),
            steps_done as u64,
            error,
            next_step,
            schema_before,
            steps_ran,
        ),
    )
}

/// Runs one revision: `before`, the body statement by statement with its progress
/// journaled, the checks, then the bookkeeping in one transaction, then `after`.
///
/// A failing statement leaves the statements before it applied (MySQL committed
/// them): its error is stored in the journal and returned with `step` set to its
/// index in `script.body`. `script.first_step` says where in the revision's whole
/// body the script starts; a run that resumes must start where the journal says.
/// A resumed run whose journal was interrupted (the process died, no error stored)
/// and whose schema no longer has the fingerprint stored before the next statement
/// knows that statement ran, and goes on after it.
///
/// `journal_clear` says that the caller, holding the migration lock, found no journal
/// row at all: then a script that starts a revision afresh has nothing to check
/// against and no row to start, and its first journal entry is the one before its
/// first statement.
///
/// The entry that says a DDL statement ran is written right after it only when the
/// fingerprint cannot tell whether it ran. For a statement whose running always shows
/// in the fingerprint, or that changes nothing when run again ([`effect_shows`]), the
/// next entry (the one before the next statement, which says the same and more) or
/// the bookkeeping (which ends the journal) records it, and a kill before that is
/// judged by the fingerprint, as a kill during the statement is.
pub(crate) fn execute(
    conn: &RefCell<Conn>,
    script: &Script,
    record: &Record,
    activity: &Activity,
    journal_clear: bool,
) -> Result<(), BackendError> {
    let started = Instant::now();
    for sql in &script.before {
        run(conn, sql).map_err(|e| BackendError::new(format!("{sql}: {}", message(&e))))?;
    }
    let journal_fail = |e: mysql::Error| {
        BackendError::new(format!(
            "cannot record the revision's progress in `{PROGRESS_TABLE}`: {}",
            message(&e)
        ))
    };
    let journal = !script.body.is_empty() || script.first_step > 0;
    let mut skip = 0;
    // The digest of the steps done so far, the resumed run's included.
    let mut ran = script
        .ran
        .iter()
        .fold(NOTHING_RAN.to_string(), |d, sql| ran_after(&d, sql));
    let fresh = journal_clear
        && script.first_step == 0
        && script.ran.is_empty()
        && script.interrupted_ran.is_none();
    if journal && !fresh {
        let stopped = check_resume(conn, script, record, &ran)?;
        if let (Some(stored), Some(first)) = (stopped, script.body.first()) {
            // The journal says the first statement was about to run when the run
            // was killed: did it run?
            let ran_first = match script.interrupted_ran {
                Some(said) => said,
                None => match judge(conn, &first.sql, &stored)? {
                    Interrupted::Ran => true,
                    Interrupted::NotRun => false,
                    Interrupted::Unknown { why } | Interrupted::Broken { what: why } => {
                        return Err(BackendError::new(format!(
                            "revision {} was interrupted while statement {} was running, and \
                             whether it ran cannot be told: {why}; nothing was run",
                            record.revision,
                            script.first_step + 1
                        )));
                    }
                },
            };
            if ran_first {
                skip = 1;
                ran = ran_after(&ran, &first.sql);
            }
        }
        progress(conn, record, script.first_step + skip, &ran, "", "", "").map_err(journal_fail)?;
    }
    for (i, step) in script.body.iter().enumerate().skip(skip) {
        activity.statement(&step.sql);
        let done = script.first_step + i;
        let data = is_data_statement(&step.sql);
        // A data statement commits in one transaction with its journal entry. Any
        // other commits on its own: the journal first says it is about to run, with
        // the fingerprint of what it can change, so that a run killed before its
        // entry below can tell by the schema whether it ran, or knows it cannot.
        if data {
            run(conn, "START TRANSACTION").map_err(journal_fail)?;
        } else {
            journal_next(conn, record, done, &ran, &step.sql)?;
        }
        failpoint(Moment::Before, done + 1);
        if let Err(e) = run(conn, &step.sql) {
            if data {
                let _ = run(conn, "ROLLBACK");
            }
            // What stays applied and how to go on is the runner's to say: it knows
            // the statements by file and line.
            let mut text = message(&e);
            // A revision whose first statement failed left nothing half done: its
            // journal goes, as it would on PostgreSQL, and nothing blocks other runs.
            // (A journal that stores an error is never judged by its fingerprint.)
            let noted = if done == 0 {
                exec(
                    conn,
                    &format!("DELETE FROM {PROGRESS_TABLE} WHERE revision = ?"),
                    (&record.revision,),
                )
            } else {
                progress(conn, record, done, &ran, &message(&e), &step.sql, "")
            };
            if let Err(journal) = noted {
                text = format!(
                    "{text}; and recording that in `{PROGRESS_TABLE}` failed: {}",
                    message(&journal)
                );
            }
            return Err(BackendError {
                message: text,
                step: Some(i),
            });
        }
        failpoint(Moment::After, done + 1);
        ran = ran_after(&ran, &step.sql);
        // A statement whose effect the fingerprint tells is recorded by the next
        // entry or by the bookkeeping (see above). Any other is recorded right after
        // it, before anything else is read: a kill leaves it in doubt for one round
        // trip only.
        if !data && effect_shows(&step.sql).is_ok() {
            continue;
        }
        let recorded = progress(conn, record, done + 1, &ran, "", "", "")
            .and_then(|()| if data { run(conn, "COMMIT") } else { Ok(()) });
        if let Err(e) = recorded {
            if data {
                let _ = run(conn, "ROLLBACK");
            }
            return Err(BackendError {
                message: format!(
                    "the statement ran, but recording that in `{PROGRESS_TABLE}` failed: {}; \
                     the journal says {done} {} done{}",
                    message(&e),
                    if done == 1 {
                        "statement is"
                    } else {
                        "statements are"
                    },
                    if data {
                        ", and the statement was rolled back with it"
                    } else {
                        ", and the next run checks whether the statement ran"
                    }
                ),
                step: Some(i),
            });
        }
    }
    for sql in &script.verify {
        let rows = query_rows(conn, sql)
            .map_err(|e| BackendError::new(format!("{sql}: {}", message(&e))))?;
        if !rows.is_empty() {
            return Err(BackendError::new(format!(
                "check `{sql}` returned {} {}",
                rows.len(),
                if rows.len() == 1 { "row" } else { "rows" }
            )));
        }
    }
    let duration_ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
    commit_bookkeeping(conn, record, duration_ms)?;
    script.after.iter().try_for_each(|sql| {
        run(conn, sql).map_err(|e| BackendError::new(format!("{sql}: {}", message(&e))))
    })
}

/// A script that resumes (`first_step > 0`) must start where the journal says the
/// revision stopped, and the steps it skips must be the ones that ran: the runner
/// plans the revision again against the half-changed database, where statements that
/// ran may resolve to other steps (or the user edited them), and running from a
/// shifted point would skip or repeat statements. `ran` is the digest of the skipped
/// steps as planned now ([`Script::ran`]). The statement that failed and those after
/// it may differ: fixing them is how a failed revision goes on. A journal that was
/// interrupted (no error) instead of stopped by a failure also names the statement
/// that was running, which may have run and so must not differ either. A script
/// that starts afresh must find no journal of its revision that says otherwise.
///
/// Returns, for a journal that was interrupted rather than stopped by an error, the
/// schema fingerprint it stored before the statement to run next.
fn check_resume(
    conn: &RefCell<Conn>,
    script: &Script,
    record: &Record,
    ran: &str,
) -> Result<Option<String>, BackendError> {
    let rows = exec_rows(
        conn,
        &format!(
            "SELECT operation, steps_done, next_step, error, schema_before, steps_ran FROM {PROGRESS_TABLE} WHERE revision = ?"
        ),
        (&record.revision,),
    )
    .map_err(|e| BackendError::new(format!("cannot read `{PROGRESS_TABLE}`: {}", message(&e))))?;
    let journal = rows.first().map(|r| {
        (
            text(r, 0),
            text(r, 1).parse::<usize>().unwrap_or(0),
            text(r, 2),
            text(r, 5),
        )
    });
    // Killed while a statement was running: no error, and the journal names the
    // statement it was about to run (none once the statement before was recorded).
    let interrupted = rows
        .first()
        .filter(|r| text(r, 3).is_empty() && !text(r, 2).is_empty())
        .map(|r| text(r, 4));
    let first = script.body.first().map_or("", |s| s.sql.as_str());
    let by_hand = "finish the revision by hand and `stamp` it";
    match journal {
        None if script.first_step == 0 => Ok(None),
        None => Err(BackendError::new(format!(
            "this run would resume revision {} at statement {}, but `{PROGRESS_TABLE}` has no record \
             of it stopping; nothing was run",
            record.revision, script.first_step
        ))),
        Some((op, done, _, _)) if op != record.operation.as_str() || done != script.first_step => {
            Err(BackendError::new(format!(
                "revision {} stopped half way through its {op} after statement {done}, but this run \
                 would {} it from statement {}; nothing was run",
                record.revision,
                record.operation.as_str(),
                script.first_step
            )))
        }
        Some((_, done, _, stored)) if !stored.is_empty() && stored != ran => {
            let what = if done == 1 {
                "statement 1, which ran, reads".to_string()
            } else {
                format!("statements 1 to {done}, which ran, read")
            };
            Err(BackendError::new(format!(
                "cannot resume revision {} after statement {done}: its {what} differently now \
                 (edited, or planned differently against the half-changed database), so the \
                 run cannot tell which of them to skip; nothing was run. Put them back as they \
                 were, or {by_hand}",
                record.revision
            )))
        }
        // Stopped by a failure: the failed statement may have been fixed. A journal
        // of an older version has no digest of what ran and is checked by the
        // statement it names.
        Some((_, done, next, stored))
            if (interrupted.is_some() || (stored.is_empty() && done > 0))
                && !next.is_empty()
                && next != first =>
        {
            let why = if interrupted.is_some() {
                "the run was interrupted while it ran, so it may have run and cannot change"
            } else {
                "this journal, of an older version of wildebeest, can check what ran only by it"
            };
            Err(BackendError::new(format!(
                "cannot resume revision {} after statement {done}: the statement after those that \
                 ran was `{next}`, but planned again it is `{first}` ({why}); nothing was run. \
                 Put it back as it was, or {by_hand}",
                record.revision
            )))
        }
        Some(_) => Ok(interrupted),
    }
}

/// The version rows, the history row and the end of the journal, all or nothing, in
/// one round trip: one transaction, sent as one query of several statements (the
/// server stops at the first that fails, and the transaction is rolled back).
fn commit_bookkeeping(
    conn: &RefCell<Conn>,
    record: &Record,
    duration_ms: u64,
) -> Result<(), BackendError> {
    let fail = |e: mysql::Error| {
        BackendError::new(format!(
            "cannot record the revision in the version tables: {}",
            message(&e)
        ))
    };
    let mut sql = String::from("START TRANSACTION;\n");
    for statement in bookkeeping_sql_with(record, duration_ms, hex_literal) {
        sql.push_str(&statement);
        sql.push_str(";\n");
    }
    sql.push_str("COMMIT");
    if let Err(e) = run(conn, &sql) {
        let _ = run(conn, "ROLLBACK");
        return Err(fail(e));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lock_names_fit_mysql() {
        assert_eq!(lock_name("shop"), "wildebeest:shop");
        let long = "d".repeat(64);
        let name = lock_name(&long);
        assert_eq!(name.len(), MAX_LOCK_NAME);
        assert!(name.starts_with("wildebeest:ddd"), "{name}");
        assert_ne!(lock_name(&"e".repeat(64)), name);
        assert_eq!(lock_name(&long), name);
        // A cut never splits a character.
        let name = lock_name(&"é".repeat(40));
        assert!(name.len() <= MAX_LOCK_NAME, "{name}");
    }

    #[test]
    fn a_statement_whose_effect_the_schema_cannot_show_is_in_doubt() {
        for shows in [
            "CREATE TABLE t (a INT)",
            "create unique index i on t (a)",
            "ALTER TABLE t ADD COLUMN b INT",
            "DROP TABLE IF EXISTS t",
            "CREATE OR REPLACE VIEW v AS SELECT 1",
            "RENAME TABLE a TO b, c TO d",
            "RENAME  TABLE `a` TO `b`;",
        ] {
            assert_eq!(effect_shows(shows), Ok(()), "{shows}");
        }
        for doubt in [
            "CALL add_row()",
            "RENAME TABLE a TO tmp, b TO a, tmp TO b",
            "RENAME TABLE a TO tmp, b TO A, TMP TO b",
            "RENAME TABLE a TO b TO c",
            "DO SLEEP(1)",
            "SET @x = 1",
            "CREATE TABLE IF NOT EXISTS b SELECT * FROM a",
            "",
        ] {
            assert!(effect_shows(doubt).is_err(), "{doubt}");
        }
    }

    #[test]
    fn record_sql_ends_the_journal() {
        let mut record = Record {
            operation: Operation::Upgrade,
            revision: "it's".into(),
            other_heads: Vec::new(),
            checksum: "c".into(),
            insert: vec![("it's".into(), "c".into())],
            delete: vec![],
            started_at: "2026-01-02T03:04:05Z".into(),
        };
        assert_eq!(
            bookkeeping_sql(&record, 7),
            [
                "INSERT INTO wildebeest_revisions (revision, checksum, applied_at) VALUES ('it''s', 'c', '2026-01-02T03:04:05Z')",
                "INSERT INTO wildebeest_history (revision, operation, checksum, started_at, duration_ms) VALUES ('it''s', 'upgrade', 'c', '2026-01-02T03:04:05Z', 7)",
                "DELETE FROM wildebeest_progress WHERE revision = 'it''s'",
            ]
        );
        record.operation = Operation::Stamp;
        record.insert.clear();
        record.delete = vec!["old".into()];
        assert_eq!(
            bookkeeping_sql(&record, 0),
            [
                "DELETE FROM wildebeest_revisions WHERE revision = 'old'",
                "INSERT INTO wildebeest_history (revision, operation, checksum, started_at, duration_ms) VALUES ('it''s', 'stamp', 'c', '2026-01-02T03:04:05Z', 0)",
                "DELETE FROM wildebeest_progress",
            ]
        );
        // A stamp to several heads: a history row for each, none for a list.
        record.other_heads = vec!["b".into()];
        let history: Vec<String> = bookkeeping_sql(&record, 0)
            .into_iter()
            .filter(|s| s.starts_with("INSERT INTO wildebeest_history"))
            .collect();
        assert_eq!(
            history,
            [
                "INSERT INTO wildebeest_history (revision, operation, checksum, started_at, duration_ms) VALUES ('it''s', 'stamp', 'c', '2026-01-02T03:04:05Z', 0)",
                "INSERT INTO wildebeest_history (revision, operation, checksum, started_at, duration_ms) VALUES ('b', 'stamp', 'c', '2026-01-02T03:04:05Z', 0)",
            ]
        );
    }
}
