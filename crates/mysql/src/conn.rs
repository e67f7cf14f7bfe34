//! The connection: the URL, TLS, running statements and reading rows, and the
//! [`Backend`] implementation that ties the other modules together.

use std::cell::RefCell;
use std::time::Duration;

use mysql::prelude::Queryable;
use mysql::{Conn, DriverError, Opts, OptsBuilder, SslOpts, Value};
use wildebeest_runner::{
    Activity, Applied, Backend, BackendError, Caps, HistoryEntry, Interrupted, Loss, Partial,
    Planned, Record, Refusal, Requirement, Script, ServerForm, UnmodeledObject,
};
use wildebeest_schema::{Change, Op, Schema};
use wildebeest_sql::{Dialect, Statement};

use crate::charset::Charsets;
use crate::{inspect, lock, render};

/// How long [`Backend::lock`] waits for another runner's migration lock by default.
pub const DEFAULT_LOCK_TIMEOUT: Duration = Duration::from_secs(30);

/// How long connecting (the TCP connection, the handshake and the first queries) may
/// take when the URL sets no `tcp_connect_timeout_ms`.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// What the server is, as far as SQL differences go.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Server {
    /// `VERSION()`, e.g. `10.11.6-MariaDB` or `8.0.36`.
    pub version: String,
    pub mariadb: bool,
    /// `information_schema.STATISTICS` has `EXPRESSION` (MySQL 8.0.13+: functional
    /// index parts).
    pub index_expressions: bool,
    /// The `information_schema.STATISTICS` column that says an index is hidden from
    /// the optimizer: MariaDB's `IGNORED` (10.6+, `YES`), MySQL's `IS_VISIBLE`
    /// (8.0+, `NO`); `None` on a server with neither.
    pub index_visibility: Option<&'static str>,
}

/// How the connection uses TLS, from the URL's `ssl-mode` (as the `mysql` client
/// spells it) or `require_ssl=true`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TlsMode {
    /// No TLS.
    Disabled,
    /// TLS when the server offers it, without checking its certificate (the `mysql`
    /// client's default, and ours).
    Preferred,
    /// TLS or no connection, without checking the certificate.
    Required,
    /// TLS with the certificate checked against trusted roots, not the host name.
    VerifyCa,
    /// TLS with the certificate and host name checked.
    VerifyIdentity,
}

impl TlsMode {
    fn parse(value: &str) -> Option<TlsMode> {
        Some(
            match value.to_ascii_uppercase().replace('-', "_").as_str() {
                "DISABLED" | "DISABLE" | "FALSE" => TlsMode::Disabled,
                "PREFERRED" | "PREFER" => TlsMode::Preferred,
                "REQUIRED" | "REQUIRE" | "TRUE" => TlsMode::Required,
                "VERIFY_CA" => TlsMode::VerifyCa,
                "VERIFY_IDENTITY" | "VERIFY_FULL" => TlsMode::VerifyIdentity,
                _ => return None,
            },
        )
    }

    fn ssl_opts(self, base: Option<&SslOpts>) -> Option<SslOpts> {
        let base = base.cloned().unwrap_or_default();
        match self {
            TlsMode::Disabled => None,
            TlsMode::Preferred | TlsMode::Required => Some(
                base.with_danger_accept_invalid_certs(true)
                    .with_danger_skip_domain_validation(true),
            ),
            TlsMode::VerifyCa => Some(base.with_danger_skip_domain_validation(true)),
            TlsMode::VerifyIdentity => Some(base),
        }
    }
}

/// A MySQL or MariaDB database that revisions can be applied to.
///
/// MySQL commits every DDL statement on its own, so a revision cannot be undone as a
/// whole when one of its statements fails. Instead, `execute` records after each
/// statement how far the revision got (`wildebeest_progress`), so that a run that
/// stopped half way is never mistaken for one that did nothing or everything:
/// [`Backend::partial`] reports it, and the runner resumes it after its last
/// completed statement.
pub struct MysqlBackend {
    /// `None` for a backend made by [`MysqlBackend::offline`].
    conn: Option<RefCell<Conn>>,
    /// The URL without its password, for messages.
    describe: String,
    /// The database the URL names, which everything reads and changes.
    database: String,
    server: Server,
    lock_timeout: Duration,
    /// Whether this connection holds the migration lock.
    locked: bool,
    /// Whether, under the lock, the journal is known to have no row (see
    /// `lock::execute`): set by [`Backend::partial`], cleared by a revision that
    /// stops and by taking or releasing the lock.
    journal_clear: bool,
    /// Indexes that the steps planned so far in this revision drop after a foreign
    /// key (see `render::followups`), so that the migration's own `DROP INDEX` of one
    /// does not fail.
    dropped_indexes: RefCell<Vec<String>>,
    /// The server's character sets, as the last [`Backend::inspect`] read them, to
    /// compare collations in [`Backend::canonical`].
    charsets: Option<Charsets>,
}

impl std::fmt::Debug for MysqlBackend {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MysqlBackend")
            .field("describe", &self.describe)
            .field("server", &self.server)
            .field("locked", &self.locked)
            .finish_non_exhaustive()
    }
}

impl MysqlBackend {
    /// Connects to `url`: `mysql://user:password@host:port/database` (the facade maps
    /// `mariadb://` and strips `+driver` suffixes; `mariadb://` is accepted here too).
    /// The database must be named. TLS follows `ssl-mode=DISABLED|PREFERRED|REQUIRED|
    /// VERIFY_CA|VERIFY_IDENTITY` (default `PREFERRED`, as the `mysql` client), or
    /// `require_ssl=true`; other query parameters are the `mysql` crate's
    /// (`root_cert_path`, ...). Messages never contain the password.
    ///
    /// `tcp_connect_timeout_ms` (default 10000; 0 waits forever) bounds the whole
    /// setup, the handshake and the first queries included: a server that accepts
    /// the connection and never answers is given up. Statements have no read
    /// timeout (a long `ALTER TABLE` must not be cut off).
    pub fn connect(url: &str) -> Result<Self, BackendError> {
        let target = parse_url(url)?;
        let (conn, server) = open(&target)?;
        let fail = |e: &mysql::Error| {
            BackendError::new(format!(
                "cannot connect to MySQL at `{}`: {}",
                target.describe,
                connect_message(e)
            ))
        };
        let conn = RefCell::new(conn);
        make_strict(&conn).map_err(|e| fail(&e))?;
        Ok(MysqlBackend {
            conn: Some(conn),
            describe: target.describe,
            database: target.database,
            server,
            lock_timeout: DEFAULT_LOCK_TIMEOUT,
            locked: false,
            journal_clear: false,
            dropped_indexes: RefCell::default(),
            charsets: None,
        })
    }

    /// Creates the database `url` names (`CREATE DATABASE`, in the server's default
    /// character set), connected without a database, with the URL's user, TLS and
    /// timeout. `Ok(false)`: it existed already, and is left as it was.
    pub fn create_database(url: &str) -> Result<bool, BackendError> {
        let (mut conn, target) = server_only(url)?;
        let fail = |e: mysql::Error| {
            BackendError::new(format!(
                "cannot create the database of `{}`: {}",
                target.describe,
                connect_message(&e)
            ))
        };
        if schema_exists(&mut conn, &target.database).map_err(fail)? {
            return Ok(false);
        }
        let sql = format!("CREATE DATABASE {}", render::quote_ident(&target.database));
        match conn.query_drop(sql) {
            Ok(()) => Ok(true),
            // ER_DB_CREATE_EXISTS: made by someone else since the look.
            Err(mysql::Error::MySqlError(e)) if e.code == 1007 => Ok(false),
            Err(e) => Err(fail(e)),
        }
    }

    /// Drops the database `url` names (`DROP DATABASE`: its tables and all), connected
    /// as [`MysqlBackend::create_database`] is. `Ok(false)`: there was no such database.
    pub fn drop_database(url: &str) -> Result<bool, BackendError> {
        let (mut conn, target) = server_only(url)?;
        let fail = |e: mysql::Error| {
            BackendError::new(format!(
                "cannot drop the database of `{}`: {}",
                target.describe,
                connect_message(&e)
            ))
        };
        if !schema_exists(&mut conn, &target.database).map_err(fail)? {
            return Ok(false);
        }
        let sql = format!("DROP DATABASE {}", render::quote_ident(&target.database));
        match conn.query_drop(sql) {
            Ok(()) => Ok(true),
            // ER_DB_DROP_EXISTS: dropped by someone else since the look.
            Err(mysql::Error::MySqlError(e)) if e.code == 1008 => Ok(false),
            Err(e) => Err(fail(e)),
        }
    }
}

/// A connection to the server `url` names, on no database, and the URL read.
fn server_only(url: &str) -> Result<(Conn, Target), BackendError> {
    let mut target = parse_url(url)?;
    let named = target.opts.clone();
    target.opts = OptsBuilder::from_opts(target.opts)
        .db_name(None::<String>)
        .into();
    let (conn, _) = open(&target)?;
    target.opts = named;
    Ok((conn, target))
}

fn schema_exists(conn: &mut Conn, name: &str) -> Result<bool, mysql::Error> {
    let found: Option<String> = conn.exec_first(
        "SELECT SCHEMA_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?",
        (name,),
    )?;
    Ok(found.is_some())
}

/// Connects to `target` (TLS as it asks) and reads what the server is, all of it
/// within the connect timeout; errors name the server as the target describes it.
fn open(target: &Target) -> Result<(Conn, Server), BackendError> {
    let fail = |e: &mysql::Error| {
        // ER_BAD_DB_ERROR: a database that does not exist yet is made by a command of
        // its own (the server-only connection of `database create` names none).
        let create = match e {
            mysql::Error::MySqlError(m) if m.code == 1049 => {
                "; create it with `wildebeest database create`"
            }
            _ => "",
        };
        BackendError::new(format!(
            "cannot connect to MySQL at `{}`: {}{create}",
            target.describe,
            connect_message(e)
        ))
    };
    let (opts, tls) = (target.opts.clone(), target.tls);
    let setup = move || -> Result<(Conn, Server), mysql::Error> {
        let with_tls =
            OptsBuilder::from_opts(opts.clone()).ssl_opts(tls.ssl_opts(opts.get_ssl_opts()));
        let conn = match Conn::new(with_tls) {
            Ok(conn) => conn,
            Err(mysql::Error::DriverError(DriverError::TlsNotSupported))
                if tls == TlsMode::Preferred =>
            {
                Conn::new(OptsBuilder::from_opts(opts).ssl_opts(None))?
            }
            Err(e) => return Err(e),
        };
        let conn = RefCell::new(conn);
        let server = read_server(&conn)?;
        Ok((conn.into_inner(), server))
    };
    // The driver's timeout bounds the TCP connection only, and a read timeout
    // would stay on the connection and stop a long statement: a server that
    // accepts the connection and never answers would hold the handshake forever.
    // So the whole setup runs on a thread of its own and is given up after the
    // connect timeout (the thread ends when the server closes the socket; a
    // command exits right away).
    let (conn, server) = match target.opts.get_tcp_connect_timeout() {
        None => setup().map_err(|e| fail(&e))?,
        Some(deadline) => match within(deadline, setup) {
            Some(result) => result.map_err(|e| fail(&e))?,
            None => {
                return Err(BackendError::new(format!(
                    "cannot connect to MySQL at `{}`: the server at {}:{} did not \
                     complete the connection within {}; if it is only slow, give it \
                     longer with `tcp_connect_timeout_ms=MILLISECONDS` in the URL \
                     (10000 when the URL sets none; 0 waits forever)",
                    target.describe,
                    target.opts.get_ip_or_hostname(),
                    target.opts.get_tcp_port(),
                    seconds(deadline)
                )));
            }
        },
    };
    Ok((conn, server))
}

impl MysqlBackend {
    /// A backend for the database at `url` that does not connect: it plans and writes
    /// scripts (`upgrade --sql START:END`) from the model alone, and fails every call
    /// that would read or change the database. The URL is checked as
    /// [`MysqlBackend::connect`] checks it.
    pub fn offline(url: &str) -> Result<Self, BackendError> {
        let target = parse_url(url)?;
        Ok(MysqlBackend {
            conn: None,
            describe: target.describe,
            database: target.database,
            server: Server {
                version: String::new(),
                mariadb: url.starts_with("mariadb://"),
                index_expressions: true,
                index_visibility: None,
            },
            lock_timeout: DEFAULT_LOCK_TIMEOUT,
            locked: false,
            journal_clear: false,
            dropped_indexes: RefCell::default(),
            charsets: None,
        })
    }

    /// The connection; an error for an [`MysqlBackend::offline`] backend.
    fn conn(&self) -> Result<&RefCell<Conn>, BackendError> {
        self.conn.as_ref().ok_or_else(|| {
            BackendError::new(format!(
                "no connection to `{}`: this command only writes a script",
                self.describe
            ))
        })
    }

    /// How long [`Backend::lock`] waits for another runner (default
    /// [`DEFAULT_LOCK_TIMEOUT`]); MySQL counts it in whole seconds and up.
    pub fn set_lock_timeout(&mut self, timeout: Duration) {
        self.lock_timeout = timeout;
    }

    /// The database the backend works in.
    pub fn database(&self) -> &str {
        &self.database
    }

    /// `VERSION()` of the server, e.g. `10.11.6-MariaDB` or `8.0.36`.
    pub fn server_version(&self) -> &str {
        &self.server.version
    }

    /// Whether the server is MariaDB rather than MySQL.
    /// A hash of the database's schema (tables, columns, indexes, keys, checks,
    /// triggers, views, routines; not the rows): the progress journal stores it before
    /// each statement, so that a run resumed after a crash can tell whether the
    /// statement it was at ran.
    pub fn schema_fingerprint(&self) -> Result<String, BackendError> {
        lock::fingerprint(self.conn()?)
    }

    /// The fingerprint the journal stores before the DDL statement `next`: of the
    /// tables it names when the parser models it (computed by the server), else of
    /// the whole schema.
    pub fn fingerprint_before(&self, next: &str) -> Result<String, BackendError> {
        lock::fingerprint_before(self.conn()?, next)
    }

    /// The fingerprint before `next` taken the way the journal's `stored` was (by the
    /// server, by this client over `next`'s tables, or of the whole schema), as a
    /// resumed run compares it; `None` when it cannot be taken that way.
    pub fn fingerprint_like(
        &self,
        next: &str,
        stored: &str,
    ) -> Result<Option<String>, BackendError> {
        lock::fingerprint_like(self.conn()?, next, stored)
    }

    pub fn is_mariadb(&self) -> bool {
        self.server.mariadb
    }

    /// The TLS cipher of this connection (`Ssl_cipher`), or `None` when it is not
    /// encrypted: what `ssl-mode` in the URL asked for, as the server saw it.
    pub fn tls_cipher(&self) -> Result<Option<String>, BackendError> {
        let rows = query_rows(self.conn()?, "SHOW SESSION STATUS LIKE 'Ssl_cipher'")
            .map_err(|e| BackendError::new(message(&e)))?;
        Ok(rows
            .first()
            .and_then(|r| r.get(1).cloned().flatten())
            .filter(|c| !c.is_empty()))
    }
}

/// What a URL says: the driver's options (TLS left to `tls`), and how to name the
/// database in messages.
struct Target {
    opts: Opts,
    tls: TlsMode,
    describe: String,
    database: String,
}

/// Splits off the parameters the `mysql` crate does not know (`ssl-mode`,
/// `require_ssl`) and hands the rest to it.
fn parse_url(url: &str) -> Result<Target, BackendError> {
    let url = match url.strip_prefix("mariadb://") {
        Some(rest) => format!("mysql://{rest}"),
        None => url.to_string(),
    };
    if !url.starts_with("mysql://") {
        return Err(BackendError::new(
            "a MySQL database URL starts with `mysql://` (or `mariadb://`)",
        ));
    }
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, q),
        None => (url.as_str(), ""),
    };
    let mut tls = TlsMode::Preferred;
    let mut rest = Vec::new();
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        match key.to_ascii_lowercase().as_str() {
            "ssl-mode" | "ssl_mode" | "sslmode" => {
                tls = TlsMode::parse(value).ok_or_else(|| {
                    BackendError::new(format!(
                        "unknown `{key}={value}` in the database URL: use DISABLED, PREFERRED, \
                         REQUIRED, VERIFY_CA or VERIFY_IDENTITY"
                    ))
                })?;
            }
            "require_ssl" | "require-ssl" => match value {
                "true" | "1" => tls = TlsMode::Required,
                "false" | "0" => {}
                _ => {
                    return Err(BackendError::new(format!(
                        "`{key}` in the database URL is `true` or `false`, not `{value}`"
                    )));
                }
            },
            _ => rest.push(pair),
        }
    }
    let rebuilt = if rest.is_empty() {
        base.to_string()
    } else {
        format!("{base}?{}", rest.join("&"))
    };
    // The driver's own messages name a parameter at most, never the password.
    let opts = Opts::from_url(&rebuilt)
        .map_err(|e| BackendError::new(format!("cannot read the database URL: {e}")))?;
    let database = opts
        .get_db_name()
        .filter(|d| !d.is_empty())
        .map(str::to_string)
        .ok_or_else(|| {
            BackendError::new("the database URL names no database: mysql://user@host:port/DATABASE")
        })?;
    let user = opts.get_user().map(|u| format!("{u}@")).unwrap_or_default();
    let describe = format!(
        "mysql://{user}{}:{}/{database}",
        opts.get_ip_or_hostname(),
        opts.get_tcp_port()
    );
    // `tcp_connect_timeout_ms=0` waits forever; none given is `CONNECT_TIMEOUT`.
    let timeout = match opts.get_tcp_connect_timeout() {
        None => Some(CONNECT_TIMEOUT),
        Some(t) if t.is_zero() => None,
        Some(t) => Some(t),
    };
    let opts = OptsBuilder::from_opts(opts)
        .tcp_connect_timeout(timeout)
        .into();
    Ok(Target {
        opts,
        tls,
        describe,
        database,
    })
}

/// Runs `work` on a thread of its own and waits for it at most `deadline`: `None`
/// when it did not finish in time (or panicked, which the thread reports).
fn within<T: Send + 'static>(
    deadline: Duration,
    work: impl FnOnce() -> T + Send + 'static,
) -> Option<T> {
    let (tx, rx) = std::sync::mpsc::channel();
    let spawned = std::thread::Builder::new()
        .name("wildebeest-connect".into())
        .spawn(move || {
            let _ = tx.send(work());
        });
    match spawned {
        Ok(_) => rx.recv_timeout(deadline).ok(),
        Err(_) => None,
    }
}

/// `3 s`, `500 ms`: a timeout as the message gives it.
fn seconds(d: Duration) -> String {
    if d.subsec_millis() == 0 {
        format!("{} s", d.as_secs())
    } else {
        format!("{} ms", d.as_millis())
    }
}

/// The `sql_mode` flags every session of wildebeest runs with, whatever the server's
/// default: a value a column cannot hold is an error, never a value changed silently
/// (on a server with `sql_mode=''`, `'☃'` becomes `'?'` in a `latin1` column and
/// `1960-05-01` becomes `0000-00-00` in a `TIMESTAMP`), and no zero or invalid date
/// is stored.
pub const STRICT_FLAGS: [&str; 4] = [
    "STRICT_ALL_TABLES",
    "NO_ZERO_DATE",
    "NO_ZERO_IN_DATE",
    "ERROR_FOR_DIVISION_BY_ZERO",
];

/// The flags of `sql_mode` that let MySQL store a value it would otherwise refuse.
const WEAKENING_FLAGS: [&str; 1] = ["ALLOW_INVALID_DATES"];

/// The session's `sql_mode` made from the server's (`mode`, as `@@SESSION.sql_mode`
/// reports it): its flags but those that weaken it, and [`STRICT_FLAGS`].
pub fn strict_sql_mode(mode: &str) -> String {
    let mut flags: Vec<String> = mode
        .split(',')
        .map(|f| f.trim().to_ascii_uppercase())
        .filter(|f| !f.is_empty() && !WEAKENING_FLAGS.contains(&f.as_str()))
        .collect();
    for flag in STRICT_FLAGS {
        if !flags.iter().any(|f| f == flag) {
            flags.push(flag.to_string());
        }
    }
    flags.join(",")
}

/// Sets the session's `sql_mode` to [`strict_sql_mode`] of the server's.
fn make_strict(conn: &RefCell<Conn>) -> Result<(), mysql::Error> {
    let rows = query_rows(conn, "SELECT @@SESSION.sql_mode")?;
    let mode = rows
        .first()
        .and_then(|r| r.first().cloned().flatten())
        .unwrap_or_default();
    let strict = strict_sql_mode(&mode);
    conn.borrow_mut()
        .query_drop(format!("SET SESSION sql_mode = '{strict}'"))
}

fn read_server(conn: &RefCell<Conn>) -> Result<Server, mysql::Error> {
    let rows = query_rows(conn, "SELECT VERSION()")?;
    let version = rows
        .first()
        .and_then(|r| r.first().cloned().flatten())
        .unwrap_or_default();
    let mariadb = version.to_ascii_lowercase().contains("mariadb");
    let index_expressions = !query_rows(
        conn,
        "SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = 'information_schema' \
         AND TABLE_NAME = 'STATISTICS' AND COLUMN_NAME = 'EXPRESSION'",
    )?
    .is_empty();
    let visibility = query_rows(
        conn,
        "SELECT COLUMN_NAME FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = \
         'information_schema' AND TABLE_NAME = 'STATISTICS' \
         AND COLUMN_NAME IN ('IGNORED', 'IS_VISIBLE')",
    )?;
    let index_visibility = visibility
        .first()
        .and_then(|r| r.first().cloned().flatten())
        .map(|c| {
            if c.eq_ignore_ascii_case("IGNORED") {
                "IGNORED"
            } else {
                "IS_VISIBLE"
            }
        });
    Ok(Server {
        version,
        mariadb,
        index_expressions,
        index_visibility,
    })
}

/// A row with every value as text (`None` for NULL).
pub(crate) type Row = Vec<Option<String>>;

/// The text of a value as MySQL would print it.
fn value_text(v: Value) -> Option<String> {
    match v {
        Value::NULL => None,
        Value::Bytes(b) => Some(String::from_utf8_lossy(&b).into_owned()),
        Value::Int(i) => Some(i.to_string()),
        Value::UInt(u) => Some(u.to_string()),
        Value::Float(f) => Some(f.to_string()),
        Value::Double(d) => Some(d.to_string()),
        Value::Date(y, mo, d, h, mi, s, us) => Some(format!(
            "{y:04}-{mo:02}-{d:02} {h:02}:{mi:02}:{s:02}{}",
            if us > 0 {
                format!(".{us:06}")
            } else {
                String::new()
            }
        )),
        Value::Time(neg, days, h, mi, s, us) => Some(format!(
            "{}{:02}:{mi:02}:{s:02}{}",
            if neg { "-" } else { "" },
            u32::from(h) + days * 24,
            if us > 0 {
                format!(".{us:06}")
            } else {
                String::new()
            }
        )),
    }
}

fn row_text(row: mysql::Row) -> Row {
    row.unwrap().into_iter().map(value_text).collect()
}

/// The rows of a query without parameters.
pub(crate) fn query_rows(conn: &RefCell<Conn>, sql: &str) -> Result<Vec<Row>, mysql::Error> {
    let rows: Vec<mysql::Row> = read_again(|| conn.borrow_mut().query(sql))?;
    Ok(rows.into_iter().map(row_text).collect())
}

/// `read`, made again (twice at most) after the server's passing failure with the
/// on-disk temporary table of an `information_schema` query (MariaDB's "Error on
/// delete of '/tmp/#sql-temptable-....MAI'", error 6, and "Got error ... from
/// storage engine", 1030), seen under load: a query that returns rows here reads
/// and changes nothing, and the same read succeeds when made again.
pub(crate) fn read_again<T>(
    mut read: impl FnMut() -> Result<T, mysql::Error>,
) -> Result<T, mysql::Error> {
    let mut tries = 0;
    loop {
        match read() {
            Err(mysql::Error::MySqlError(e)) if tries < 2 && (e.code == 6 || e.code == 1030) => {
                tries += 1;
            }
            other => return other,
        }
    }
}

/// The rows of a prepared query with parameters.
pub(crate) fn exec_rows<P: Into<mysql::Params>>(
    conn: &RefCell<Conn>,
    sql: &str,
    params: P,
) -> Result<Vec<Row>, mysql::Error> {
    let params = params.into();
    let rows: Vec<mysql::Row> = read_again(|| conn.borrow_mut().exec(sql, params.clone()))?;
    Ok(rows.into_iter().map(row_text).collect())
}

/// Runs one statement, reading and discarding any rows it returns.
pub(crate) fn run(conn: &RefCell<Conn>, sql: &str) -> Result<(), mysql::Error> {
    conn.borrow_mut().query_drop(sql)
}

/// Runs one prepared statement with parameters.
pub(crate) fn exec<P: Into<mysql::Params>>(
    conn: &RefCell<Conn>,
    sql: &str,
    params: P,
) -> Result<(), mysql::Error> {
    conn.borrow_mut().exec_drop(sql, params)
}

/// The text of a database error: the server's message with its code, or the driver's
/// (without the variant's name the driver's `Display` wraps it in, as in
/// `DriverError { ... }`).
pub(crate) fn message(e: &mysql::Error) -> String {
    match e {
        mysql::Error::MySqlError(e) => format!("{} (error {})", e.message, e.code),
        other => std::error::Error::source(other)
            .map_or_else(|| other.to_string(), |inner| inner.to_string()),
    }
}

/// [`message`] for a connection that failed: the cause alone where the driver's text
/// repeats the address the caller names already.
fn connect_message(e: &mysql::Error) -> String {
    match e {
        mysql::Error::DriverError(DriverError::CouldNotConnect(Some((_, cause, _)))) => {
            cause.clone()
        }
        other => message(other),
    }
}

/// The server's error code, if the error came from the server.
pub(crate) fn error_code(e: &mysql::Error) -> Option<u16> {
    match e {
        mysql::Error::MySqlError(e) => Some(e.code),
        _ => None,
    }
}

/// `ER_NO_SUCH_TABLE`.
pub(crate) const ER_NO_SUCH_TABLE: u16 = 1146;
/// `ER_BAD_FIELD_ERROR`: no such column.
pub(crate) const ER_BAD_FIELD_ERROR: u16 = 1054;

impl Backend for MysqlBackend {
    fn canonical(&self, schema: &Schema) -> Schema {
        // MySQL stores a foreign key action written as no clause as `NO ACTION`,
        // MariaDB as `RESTRICT`.
        let mut out = crate::types::canonical(schema);
        out.resolve_unspecified_actions(if self.server.mariadb {
            wildebeest_schema::FkAction::Restrict
        } else {
            wildebeest_schema::FkAction::NoAction
        });
        if let Some(charsets) = &self.charsets {
            charsets.resolve(&mut out);
        }
        out
    }

    fn caps(&self) -> Caps {
        Caps {
            dialect: Dialect::Mysql,
            transactional_ddl: false,
        }
    }

    fn describe(&self) -> String {
        self.describe.clone()
    }

    fn lock(&mut self) -> Result<(), BackendError> {
        if self.locked {
            return Err(BackendError::new(format!(
                "the migration lock on `{}` is already held by this connection",
                self.describe
            )));
        }
        self.dropped_indexes.get_mut().clear();
        lock::lock(
            self.conn()?,
            &self.database,
            &self.describe,
            self.lock_timeout,
        )?;
        self.locked = true;
        self.journal_clear = false;
        Ok(())
    }

    fn unlock(&mut self) -> Result<(), BackendError> {
        if !self.locked {
            return Ok(());
        }
        // Whatever happens, this connection no longer claims the lock; should the
        // release fail, the server frees it when the connection closes.
        self.locked = false;
        self.journal_clear = false;
        lock::unlock(self.conn()?, &self.database, &self.describe)
    }

    fn version_tables_sql(&self) -> Vec<String> {
        lock::version_tables_sql()
    }

    fn ensure_version_tables(&mut self) -> Result<(), BackendError> {
        lock::ensure_version_tables(self.conn()?)
    }

    fn applied(&mut self) -> Result<Vec<Applied>, BackendError> {
        lock::applied(self.conn()?)
    }

    fn applied_ids(&mut self) -> Result<Vec<String>, BackendError> {
        lock::applied_ids(self.conn()?)
    }

    fn history(&mut self) -> Result<Vec<HistoryEntry>, BackendError> {
        lock::history(self.conn()?)
    }

    fn server_form(&mut self, schema: &Schema) -> Result<ServerForm, BackendError> {
        crate::scratch::server_form(self.conn()?, &self.server, &self.database, schema)
    }

    fn unmodeled_objects(&mut self) -> Result<Vec<UnmodeledObject>, BackendError> {
        inspect::unmodeled_objects(self.conn()?)
    }

    fn inspect(&mut self) -> Result<Schema, BackendError> {
        let (schema, charsets) = inspect::inspect(self.conn()?, &self.server)?;
        self.charsets = Some(charsets);
        Ok(schema)
    }

    fn plan(
        &self,
        before: &Schema,
        statement: &Statement,
        ops: &[Op],
        source: Dialect,
    ) -> Result<Planned, BackendError> {
        // An extension, a domain, a composite or range type, row-level security or
        // a partitioned table is PostgreSQL's: refused by name before anything runs.
        if let Some(op) = ops.iter().find(|op| {
            matches!(
                op,
                Op::CreateExtension(_)
                    | Op::DropExtension(_)
                    | Op::CreateDomain(_)
                    | Op::DropDomain(_)
                    | Op::AlterDomain { .. }
                    | Op::CreateSequence(_)
                    | Op::DropSequence(_)
                    | Op::AlterSequence { .. }
                    | Op::RenameSequence { .. }
                    | Op::SetRowSecurity { .. }
                    | Op::CreatePolicy(_)
                    | Op::DropPolicy(_)
                    | Op::CreateRule(_)
                    | Op::DropRule(_)
                    | Op::AlterTrigger { .. }
                    | Op::RenameTrigger { .. }
            ) || matches!(op, Op::CreateView(v) | Op::DropView(v) if v.materialized)
                || matches!(op, Op::CreateTrigger(t) | Op::DropTrigger(t) if t.per_table())
                || op.user_type().is_some()
                || op.partitioned_table().is_some()
        }) {
            let why = render::render_op(op, before)
                .err()
                .map_or_else(|| "MySQL has no extensions".to_string(), |e| e.to_string());
            return Err(BackendError::new(why));
        }
        // What of a PostgreSQL table, index or key MySQL has no place for.
        if let Some(part) = ops.iter().find_map(Op::postgres_only_part) {
            return Err(BackendError::new(format!(
                "{part}, which is PostgreSQL's: MySQL has no such thing, and making it \
                 without would not be what the migration says; write the change for MySQL \
                 by hand in a revision of its own"
            )));
        }
        // A PostgreSQL access method (`gin`) MySQL does not have.
        if let Some(why) = ops
            .iter()
            .flat_map(Op::made_indexes)
            .find_map(|i| wildebeest_schema::foreign_index_kind(i, "MySQL"))
        {
            return Err(BackendError::new(why));
        }
        // A key hidden from the optimizer in the other server's word: MariaDB knows
        // only `IGNORED`, MySQL only `INVISIBLE`, and an older server neither.
        let own = match self.server.index_visibility {
            Some("IGNORED") => Some("IGNORED"),
            Some(_) => Some("INVISIBLE"),
            None => None,
        };
        let hidden = ops.iter().flat_map(|op| {
            let altered = match op {
                Op::AlterIndex { from, to } => vec![from, to],
                _ => Vec::new(),
            };
            op.made_indexes().iter().chain(altered)
        });
        if let Some((ix, word)) = hidden
            .filter_map(|ix| Some((ix, ix.hidden.as_deref()?)))
            .find(|(_, word)| Some(*word) != own)
        {
            return Err(BackendError::new(format!(
                "index `{}` on `{}` is hidden from the optimizer with `{word}`, which {} \
                 does not have ({}); write the key for this server by hand in a revision \
                 of its own",
                ix.name,
                ix.table,
                self.server.version,
                match own {
                    Some(w) => format!("it says `{w}`"),
                    None => "it has no hidden keys".to_string(),
                }
            )));
        }
        // A `DROP INDEX` of an index a foreign key drop already took with it.
        if let Some(Change::DropIndex { name, .. }) = &statement.change
            && ops.is_empty()
            && self.dropped_indexes.borrow().contains(name)
        {
            return Ok(Planned::default());
        }
        let around = |schema: &Schema, op: &Op| {
            // Told by MySQL's rule on the model, not asked of the server: a run plans
            // all its revisions before the first one changes the database.
            let index_exists =
                |table: &str, name: &str| render::implicit_fk_index(schema, table, name);
            let steps = render::around(schema, op, &index_exists);
            if let Op::DropConstraint { table, constraint } = op {
                let dropped = schema
                    .table(table)
                    .filter(|_| !steps.after.is_empty())
                    .map(|t| constraint.sql_name(t));
                self.dropped_indexes.borrow_mut().extend(dropped);
            }
            steps
        };
        let sql =
            render::plan(before, statement, ops, source, &around).map_err(BackendError::new)?;
        Ok(Planned {
            sql,
            rebuilt_tables: Vec::new(),
        })
    }

    fn partial(&mut self) -> Result<Option<Partial>, BackendError> {
        self.journal_clear = false;
        let partial = lock::partial(self.conn()?)?;
        // No journal row while this connection holds the lock: none appears but by
        // this connection's own revisions, each of which removes its row when done.
        self.journal_clear = self.locked && partial.is_none();
        Ok(partial)
    }

    fn interrupted(
        &mut self,
        _script: &Script,
        record: &Record,
    ) -> Result<Option<Interrupted>, BackendError> {
        lock::interrupted(self.conn()?, record)
    }

    /// Nothing to add: MySQL needs no settings around a revision and no checks after
    /// it (it checks foreign keys statement by statement).
    fn wrap(&self, _script: &mut Script) {
        self.dropped_indexes.borrow_mut().clear();
    }

    fn loss_query(&self, op: &Op) -> Option<String> {
        render::loss_query(op)
    }

    fn loss(&self, op: &Op, before: &Schema) -> Option<Loss> {
        render::loss(op, before)
    }

    fn requirement(&self, op: &Op) -> Option<Requirement> {
        render::requirement(op)
    }

    fn refused_query(&self, op: &Op, before: &Schema) -> Option<Refusal> {
        render::refused_query(op, before)
    }

    fn count(&mut self, query: &str) -> Result<Option<u64>, BackendError> {
        match query_rows(self.conn()?, query) {
            Ok(rows) => {
                let n = rows
                    .first()
                    .and_then(|r| r.first().cloned().flatten())
                    .and_then(|v| v.parse::<u64>().ok())
                    .unwrap_or(0);
                Ok(Some(n))
            }
            Err(e) if matches!(error_code(&e), Some(ER_NO_SUCH_TABLE | ER_BAD_FIELD_ERROR)) => {
                Ok(None)
            }
            Err(e) => Err(BackendError::new(format!(
                "cannot check `{query}`: {}",
                message(&e)
            ))),
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
        let executed = lock::execute(self.conn()?, script, record, activity, self.journal_clear);
        // A revision that stopped leaves its journal row.
        self.journal_clear &= executed.is_ok();
        executed
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sessions_are_strict_whatever_the_server_mode() {
        let strict = "STRICT_ALL_TABLES,NO_ZERO_DATE,NO_ZERO_IN_DATE,ERROR_FOR_DIVISION_BY_ZERO";
        assert_eq!(strict_sql_mode(""), strict);
        // The server's flags stay, but those that let invalid dates in.
        assert_eq!(
            strict_sql_mode("ALLOW_INVALID_DATES,ANSI_QUOTES,NO_ENGINE_SUBSTITUTION"),
            format!("ANSI_QUOTES,NO_ENGINE_SUBSTITUTION,{strict}")
        );
        // Nothing twice.
        assert_eq!(
            strict_sql_mode(
                "STRICT_TRANS_TABLES,ERROR_FOR_DIVISION_BY_ZERO,NO_AUTO_CREATE_USER,NO_ENGINE_SUBSTITUTION"
            ),
            "STRICT_TRANS_TABLES,ERROR_FOR_DIVISION_BY_ZERO,NO_AUTO_CREATE_USER,NO_ENGINE_SUBSTITUTION,\
             STRICT_ALL_TABLES,NO_ZERO_DATE,NO_ZERO_IN_DATE"
        );
    }

    #[test]
    fn urls_are_described_without_the_password() {
        let t = parse_url("mysql://app:s3cret@db.example:3307/shop?ssl-mode=REQUIRED").unwrap();
        assert_eq!(t.describe, "mysql://app@db.example:3307/shop");
        assert_eq!(t.database, "shop");
        assert_eq!(t.tls, TlsMode::Required);
        let t = parse_url("mariadb://root@127.0.0.1/test?require_ssl=true").unwrap();
        assert_eq!(t.describe, "mysql://root@127.0.0.1:3306/test");
        assert_eq!(t.tls, TlsMode::Required);
        let t = parse_url("mysql://root@localhost/test").unwrap();
        assert_eq!(t.tls, TlsMode::Preferred);
        let timeout = |url: &str| parse_url(url).unwrap().opts.get_tcp_connect_timeout();
        assert_eq!(
            timeout("mysql://root@localhost/test"),
            Some(CONNECT_TIMEOUT)
        );
        assert_eq!(
            timeout("mysql://root@localhost/test?tcp_connect_timeout_ms=2500"),
            Some(Duration::from_millis(2500))
        );
        assert_eq!(
            timeout("mysql://root@localhost/test?tcp_connect_timeout_ms=0"),
            None
        );
        let t = parse_url("mysql://root@localhost/test?sslmode=disabled").unwrap();
        assert_eq!(t.tls, TlsMode::Disabled);
    }

    #[test]
    fn bad_urls_are_errors_that_keep_the_password_out() {
        let cases = [
            (
                "postgres://u:pw@h/db",
                "a MySQL database URL starts with `mysql://` (or `mariadb://`)",
            ),
            (
                "mysql://u:pw@h:3306",
                "the database URL names no database: mysql://user@host:port/DATABASE",
            ),
            (
                "mysql://u:pw@h/db?ssl-mode=SOMETIMES",
                "unknown `ssl-mode=SOMETIMES` in the database URL: use DISABLED, PREFERRED, REQUIRED, VERIFY_CA or VERIFY_IDENTITY",
            ),
            (
                "mysql://u:pw@h/db?require_ssl=maybe",
                "`require_ssl` in the database URL is `true` or `false`, not `maybe`",
            ),
        ];
        for (url, want) in cases {
            let err = parse_url(url).err().unwrap();
            assert_eq!(err.message, want, "{url}");
        }
        let err = parse_url("mysql://u:pw@h/db?colour=blue").err().unwrap();
        assert!(err.message.contains("colour"), "{err}");
        assert!(!err.message.contains("pw"), "{err}");
    }
}
