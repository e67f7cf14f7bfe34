//! The connection: reading the URL, connecting (with TLS where asked), and the
//! [`Backend`] implementation that ties the other modules together.

use std::collections::BTreeSet;
use std::time::Duration;

use postgres::config::{Host, SslMode};
use postgres::error::SqlState;
use postgres::{Client, Config, NoTls, SimpleQueryMessage};
use wildebeest_runner::{
    Activity, Applied, Backend, BackendError, Caps, HistoryEntry, Interrupted, Loss, Partial,
    Planned, Record, Refusal, Script, ServerForm, UnmodeledObject,
};
use wildebeest_schema::{Op, Schema};
use wildebeest_sql::{Dialect, Statement};

use crate::lock::db_message;
use crate::tls::{LazyTls, Verify};
use crate::{inspect, lock, render};

/// How long [`Backend::lock`] waits for another runner's lock before it fails.
pub const DEFAULT_LOCK_TIMEOUT: Duration = Duration::from_secs(60);

/// How long connecting waits for the server when the URL sets no `connect_timeout`.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// The schema an application lives in when none is configured.
pub const DEFAULT_SCHEMA: &str = "public";

/// A PostgreSQL database (one schema of it) that revisions can be applied to.
pub struct PgBackend {
    /// `None` for a backend made by [`PgBackend::offline`].
    client: Option<Client>,
    /// The schema the application lives in; the `search_path` of the connection.
    schema: String,
    /// The URL without its password, and the schema.
    described: String,
    lock_timeout: Duration,
    /// Whether this connection holds the migration lock.
    locked: bool,
    /// Revisions committed without waiting for their WAL flush since the last
    /// [`lock::flush`] (see `lock`'s module documentation).
    unflushed: bool,
    /// The extensions of other schemas, as `(name, schema)`, that a model given to
    /// [`Backend::server_form`] names and the database has: `inspect` reads only the
    /// application's schema, so `canonical` takes these out of the model.
    extensions_elsewhere: BTreeSet<(String, String)>,
}

impl std::fmt::Debug for PgBackend {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PgBackend")
            .field("described", &self.described)
            .field("lock_timeout", &self.lock_timeout)
            .field("locked", &self.locked)
            .finish_non_exhaustive()
    }
}

impl PgBackend {
    /// Connects to the database at `url` (`postgres://` or `postgresql://`, as libpq
    /// reads it: `postgres://user:password@host:port/db?sslmode=require`).
    ///
    /// `sslmode` is `disable`, `prefer` (the default: TLS when the server offers it),
    /// `require` (TLS or fail; like libpq, the certificate is not checked),
    /// `verify-ca` or `verify-full` (checked against the system's trusted roots; the
    /// latter also the host name). `connect_timeout` is in seconds (default 10; 0
    /// waits forever) and bounds the whole setup, the handshake included: a server
    /// that accepts the connection and never answers is given up. Statements have
    /// no such limit (a `CREATE INDEX` may take hours).
    /// `application_name` is `wildebeest` unless the URL sets one.
    ///
    /// `schema` is the PostgreSQL schema the application lives in (default `public`):
    /// the connection's `search_path`, where unqualified names in migrations land.
    /// Connecting never creates it; [`Backend::ensure_version_tables`] does (only an
    /// upgrade or stamp calls it).
    pub fn connect(url: &str, schema: Option<&str>) -> Result<Self, BackendError> {
        let schema = schema.unwrap_or(DEFAULT_SCHEMA);
        if schema.is_empty() {
            return Err(BackendError::new("the PostgreSQL schema name is empty"));
        }
        let (config, verify) = parse_url(url)?;
        let described = describe(&config, schema);
        // The schema goes after the URL, not inside its quotes: the URL is what to
        // paste, the schema is the setting.
        let at = format!("`{}` (schema {schema})", describe_url(&config));
        let client = open(config, verify, &at, true, lock::search_path(schema))?;
        Ok(PgBackend {
            client: Some(client),
            schema: schema.to_string(),
            described,
            lock_timeout: DEFAULT_LOCK_TIMEOUT,
            locked: false,
            unflushed: false,
            extensions_elsewhere: BTreeSet::new(),
        })
    }

    /// Creates the database `url` names (`CREATE DATABASE`), connected to the
    /// server's maintenance database (`postgres`; `template1` to create `postgres`
    /// itself), with the URL's user, TLS and timeout. `Ok(false)`: it existed already,
    /// and is left as it was.
    pub fn create_database(url: &str) -> Result<bool, BackendError> {
        let (mut client, name, described) = maintenance(url)?;
        let fail = |e: postgres::Error| {
            BackendError::new(format!(
                "cannot create the database of `{described}`: {}",
                db_message(&e)
            ))
        };
        if database_exists(&mut client, &name).map_err(fail)? {
            return Ok(false);
        }
        match client.batch_execute(&format!("CREATE DATABASE {}", render::quote_ident(&name))) {
            Ok(()) => Ok(true),
            // Made by someone else since the look: it exists, as asked.
            Err(e) if e.code() == Some(&SqlState::DUPLICATE_DATABASE) => Ok(false),
            Err(e) => Err(fail(e)),
        }
    }

    /// Drops the database `url` names (`DROP DATABASE`, which PostgreSQL refuses while
    /// another session is connected to it), connected as [`PgBackend::create_database`]
    /// is. `Ok(false)`: there was no such database.
    pub fn drop_database(url: &str) -> Result<bool, BackendError> {
        let (mut client, name, described) = maintenance(url)?;
        let fail = |e: postgres::Error| {
            BackendError::new(format!(
                "cannot drop the database of `{described}`: {}",
                db_message(&e)
            ))
        };
        if !database_exists(&mut client, &name).map_err(fail)? {
            return Ok(false);
        }
        match client.batch_execute(&format!("DROP DATABASE {}", render::quote_ident(&name))) {
            Ok(()) => Ok(true),
            Err(e) if e.code() == Some(&SqlState::INVALID_CATALOG_NAME) => Ok(false),
            Err(e) => Err(fail(e)),
        }
    }
}

/// A connection to the maintenance database of the server `url` names, the name of
/// the URL's database, and the URL described without its password.
fn maintenance(url: &str) -> Result<(Client, String, String), BackendError> {
    let (mut config, verify) = parse_url(url)?;
    let described = describe_url(&config);
    // libpq's default: the database named as the user.
    let name = config
        .get_dbname()
        .or(config.get_user())
        .unwrap_or_default()
        .to_string();
    if name.is_empty() {
        return Err(BackendError::new(format!(
            "`{described}` names no database: postgres://user@host:port/DATABASE"
        )));
    }
    config.dbname(if name == "postgres" {
        "template1"
    } else {
        "postgres"
    });
    let at = format!("`{described}`");
    let client = open(config, verify, &at, false, String::new())?;
    Ok((client, name, described))
}

fn database_exists(client: &mut Client, name: &str) -> Result<bool, postgres::Error> {
    Ok(client
        .query_opt("SELECT 1 FROM pg_database WHERE datname = $1", &[&name])?
        .is_some())
}

/// Connects with `config`, then runs `setup` (the `search_path`, or nothing), all of
/// it within the connect timeout; errors name the server as `at`. `suggest_create`:
/// a missing database is the application's, which `wildebeest database create` makes
/// (not the server's maintenance database, which it connects to).
fn open(
    config: Config,
    verify: Verify,
    at: &str,
    suggest_create: bool,
    setup_sql: String,
) -> Result<Client, BackendError> {
    let fail = |e: postgres::Error| {
        // A database that does not exist yet is made by a command of its own.
        let create = if suggest_create
            && e.code() == Some(&postgres::error::SqlState::INVALID_CATALOG_NAME)
        {
            "; create it with `wildebeest database create`"
        } else {
            ""
        };
        BackendError::new(format!(
            "cannot connect to PostgreSQL at {at}: {}{create}",
            connect_message(&e)
        ))
    };
    let server = describe_url(&config);
    // The connector (and the trusted roots it loads) is built in the handshake,
    // which the driver starts only once the server accepted TLS.
    let tls = (config.get_ssl_mode() != SslMode::Disable).then(|| LazyTls::new(verify));
    // The driver's `connect_timeout` bounds the TCP connection only: a server that
    // accepts it and never answers would hold the handshake forever. So the whole
    // setup runs on a thread of its own and is given up after the timeout (the
    // thread ends when the server closes the socket; a command exits right away).
    let deadline = config.get_connect_timeout().copied();
    let setup = move || -> Result<Client, postgres::Error> {
        let mut client = match tls {
            None => config.connect(NoTls)?,
            Some(tls) => config.connect(tls)?,
        };
        if !setup_sql.is_empty() {
            client.batch_execute(&setup_sql)?;
        }
        Ok(client)
    };
    let client = match deadline {
        None => setup().map_err(fail)?,
        Some(deadline) => match within(deadline, setup) {
            Some(result) => result.map_err(fail)?,
            None => {
                return Err(BackendError::new(format!(
                    "cannot connect to PostgreSQL at {at}: the server at {} did \
                     not complete the connection within {} s; if it is only slow, give \
                     it longer with `connect_timeout=SECONDS` in the URL (10 when the URL \
                     sets none; 0 waits forever)",
                    address(&server),
                    deadline.as_secs()
                )));
            }
        },
    };
    Ok(client)
}

impl PgBackend {
    /// A backend for the database at `url` that does not connect: it plans and writes
    /// scripts (`upgrade --sql START:END`) exactly as a connected one would, and
    /// fails every call that would read or change the database. The URL is checked
    /// as [`PgBackend::connect`] checks it.
    pub fn offline(url: &str, schema: Option<&str>) -> Result<Self, BackendError> {
        let schema = schema.unwrap_or(DEFAULT_SCHEMA);
        if schema.is_empty() {
            return Err(BackendError::new("the PostgreSQL schema name is empty"));
        }
        let (config, _) = parse_url(url)?;
        Ok(PgBackend {
            client: None,
            described: describe(&config, schema),
            schema: schema.to_string(),
            lock_timeout: DEFAULT_LOCK_TIMEOUT,
            locked: false,
            unflushed: false,
            extensions_elsewhere: BTreeSet::new(),
        })
    }

    /// The connection; an error for an [`PgBackend::offline`] backend.
    fn client(&mut self) -> Result<&mut Client, BackendError> {
        Ok(self.connected()?.0)
    }

    /// The connection and the schema; an error for an [`PgBackend::offline`] backend.
    fn connected(&mut self) -> Result<(&mut Client, &str), BackendError> {
        match &mut self.client {
            Some(client) => Ok((client, &self.schema)),
            None => Err(BackendError::new(format!(
                "no connection to `{}`: this command only writes a script",
                self.described
            ))),
        }
    }

    /// How long [`Backend::lock`] waits for another runner (default
    /// [`DEFAULT_LOCK_TIMEOUT`]) before it fails, naming the session that holds the
    /// lock.
    pub fn set_lock_timeout(&mut self, timeout: Duration) {
        self.lock_timeout = timeout;
    }

    /// The schema the application lives in.
    pub fn schema(&self) -> &str {
        &self.schema
    }
}

/// Reads a URL into the driver's configuration, taking out the `sslmode` values it
/// does not know (`verify-ca`, `verify-full`: TLS as `require`, with the check to make).
/// No message repeats the URL, which may hold a password.
fn parse_url(url: &str) -> Result<(Config, Verify), BackendError> {
    let url = url.trim();
    // The driver knows the scheme in lower case only.
    let rest = ["postgres://", "postgresql://"].iter().find_map(|s| {
        url.get(..s.len())
            .filter(|head| head.eq_ignore_ascii_case(s))
            .map(|_| &url[s.len()..])
    });
    let Some(rest) = rest else {
        return Err(BackendError::new(
            "a PostgreSQL URL starts with `postgres://` or `postgresql://`",
        ));
    };
    let url = format!("postgresql://{rest}");
    let (base, query) = url.split_once('?').unwrap_or((&url, ""));
    let mut verify = Verify::None;
    let mut params = Vec::new();
    for param in query.split('&').filter(|p| !p.is_empty()) {
        let (key, value) = param.split_once('=').unwrap_or((param, ""));
        if key != "sslmode" {
            params.push(param.to_string());
            continue;
        }
        let mode = match value {
            "disable" | "prefer" | "require" => value,
            "allow" => "prefer",
            "verify-ca" => {
                verify = Verify::Ca;
                "require"
            }
            "verify-full" => {
                verify = Verify::Full;
                "require"
            }
            other => {
                return Err(BackendError::new(format!(
                    "unknown sslmode `{other}` in the PostgreSQL URL (disable, prefer, require, verify-ca or verify-full)"
                )));
            }
        };
        params.push(format!("sslmode={mode}"));
    }
    let url = if params.is_empty() {
        base.to_string()
    } else {
        format!("{base}?{}", params.join("&"))
    };
    let mut config: Config = url.parse().map_err(|e: postgres::Error| {
        BackendError::new(format!("cannot read the PostgreSQL URL: {e}"))
    })?;
    if config.get_application_name().is_none() {
        config.application_name("wildebeest");
    }
    // As in libpq, `connect_timeout=0` (or less) waits forever.
    let waits_forever = params.iter().any(|p| {
        p.split_once('=')
            .is_some_and(|(k, v)| k == "connect_timeout" && v.parse::<i64>().is_ok_and(|t| t <= 0))
    });
    if config.get_connect_timeout().is_none() && !waits_forever {
        config.connect_timeout(DEFAULT_CONNECT_TIMEOUT);
    }
    Ok((config, verify))
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

/// `host:port` of a [`describe`]d URL, for messages that name the server.
fn address(described: &str) -> &str {
    let rest = described.strip_prefix("postgres://").unwrap_or(described);
    let rest = rest.rsplit_once('@').map_or(rest, |(_, r)| r);
    rest.split('/').next().unwrap_or(rest)
}

/// `postgres://user@host:port/db (schema s)`: the URL without its password.
fn describe(config: &Config, schema: &str) -> String {
    format!("{} (schema {schema})", describe_url(config))
}

/// `postgres://user@host:port/db`: the URL without its password.
fn describe_url(config: &Config) -> String {
    let host = match config.get_hosts().first() {
        Some(Host::Tcp(h)) if h.contains(':') => format!("[{h}]"),
        Some(Host::Tcp(h)) => h.clone(),
        Some(Host::Unix(path)) => path.display().to_string(),
        None => "localhost".into(),
    };
    let port = config.get_ports().first().copied().unwrap_or(5432);
    let user = config.get_user().unwrap_or_default();
    let db = config.get_dbname().unwrap_or(user);
    let at = if user.is_empty() {
        String::new()
    } else {
        format!("{user}@")
    };
    format!("postgres://{at}{host}:{port}/{db}")
}

impl Backend for PgBackend {
    fn caps(&self) -> Caps {
        Caps {
            dialect: Dialect::Postgres,
            transactional_ddl: true,
        }
    }

    fn describe(&self) -> String {
        self.described.clone()
    }

    fn lock(&mut self) -> Result<(), BackendError> {
        if self.locked {
            return Err(BackendError::new(format!(
                "the migration lock on `{}` is already held by this connection",
                self.described
            )));
        }
        let key = lock::lock_key(&self.schema);
        let (described, timeout) = (self.described.clone(), self.lock_timeout);
        lock::lock(self.client()?, key, &described, timeout)?;
        self.locked = true;
        Ok(())
    }

    fn unlock(&mut self) -> Result<(), BackendError> {
        if !self.locked {
            return Ok(());
        }
        self.locked = false;
        // The run's revisions are durable before the lock goes and the run reports.
        let unflushed = std::mem::take(&mut self.unflushed);
        let key = lock::lock_key(&self.schema);
        let described = self.described.clone();
        let client = self.client()?;
        let flushed = if unflushed {
            lock::flush(client)
        } else {
            Ok(())
        };
        let unlocked = lock::unlock(client, key, &described);
        flushed.and(unlocked)
    }

    fn version_tables_sql(&self) -> Vec<String> {
        lock::version_tables_sql(&self.schema)
    }

    fn ensure_version_tables(&mut self) -> Result<(), BackendError> {
        let (client, schema) = self.connected()?;
        lock::ensure_version_tables(client, schema)
    }

    fn applied(&mut self) -> Result<Vec<Applied>, BackendError> {
        let (client, schema) = self.connected()?;
        lock::applied(client, schema)
    }

    fn applied_ids(&mut self) -> Result<Vec<String>, BackendError> {
        let (client, schema) = self.connected()?;
        lock::applied_ids(client, schema)
    }

    fn history(&mut self) -> Result<Vec<HistoryEntry>, BackendError> {
        let (client, schema) = self.connected()?;
        lock::history(client, schema)
    }

    fn inspect(&mut self) -> Result<Schema, BackendError> {
        let (client, schema) = self.connected()?;
        inspect::inspect(client, schema)
    }

    fn missing_namespace(&mut self) -> Result<Option<String>, BackendError> {
        let (client, schema) = self.connected()?;
        let exists: bool = client
            .query_one(
                "SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = $1)",
                &[&schema],
            )
            .map(|row| row.get(0))
            .map_err(|e| {
                BackendError::new(format!(
                    "cannot read whether schema `{schema}` exists: {}",
                    db_message(&e)
                ))
            })?;
        Ok((!exists).then(|| format!("the database has no schema `{schema}`")))
    }

    fn unmodeled_objects(&mut self) -> Result<Vec<UnmodeledObject>, BackendError> {
        let (client, schema) = self.connected()?;
        inspect::unmodeled_objects(client, schema)
    }

    /// Without MySQL's column `ON UPDATE`.
    fn canonical(&self, schema: &Schema) -> Schema {
        let mut out = crate::types::canonical(schema);
        // `WITH SCHEMA` naming the application's schema says what no clause says.
        for e in out.extensions.values_mut() {
            if e.schema.as_deref() == Some(self.schema.as_str()) {
                e.schema = None;
            }
        }
        out.extensions.retain(|name, e| {
            e.schema.as_ref().is_none_or(|home| {
                !self
                    .extensions_elsewhere
                    .contains(&(name.clone(), home.clone()))
            })
        });
        // And so are their comments (an extension's comment is the database's).
        out.prune_comments();
        out
    }

    fn server_form(&mut self, schema: &Schema) -> Result<ServerForm, BackendError> {
        let (client, app) = self.connected()?;
        let app = app.to_string();
        // Extensions of other schemas are looked up first, so that `canonical` knows
        // them even when the scratch schema cannot be made.
        let elsewhere = crate::inspect::extensions_elsewhere(client, &app, schema)?;
        let form = crate::scratch::server_form(client, &app, schema);
        self.extensions_elsewhere = elsewhere;
        form
    }

    fn plan(
        &self,
        before: &Schema,
        statement: &Statement,
        ops: &[Op],
        source: Dialect,
    ) -> Result<Planned, BackendError> {
        // What of a MySQL table or index PostgreSQL has no place for.
        if let Some(part) = ops.iter().find_map(Op::mysql_only_part) {
            return Err(BackendError::new(format!(
                "{part}, which is MySQL's: PostgreSQL has no such thing, and making it \
                 without would not be what the migration says; write the change for \
                 PostgreSQL by hand in a revision of its own"
            )));
        }
        // MySQL's `FULLTEXT` and `SPATIAL` indexes: refused by name before anything
        // runs, not sent as `USING FULLTEXT`, which fails halfway through a run.
        if let Some(why) = ops
            .iter()
            .flat_map(Op::made_indexes)
            .find_map(|i| wildebeest_schema::foreign_index_kind(i, "PostgreSQL"))
        {
            return Err(BackendError::new(why));
        }
        // MySQL's partitioning: refused by name before anything runs.
        if let Some(op) = ops.iter().find(|op| op.mysql_partitioned_table().is_some())
            && let Err(e) = render::render_op(op, before)
        {
            return Err(BackendError::new(e.to_string()));
        }
        Ok(Planned {
            sql: render::plan(before, statement, ops, source),
            rebuilt_tables: Vec::new(),
        })
    }

    fn partial(&mut self) -> Result<Option<Partial>, BackendError> {
        let (client, schema) = self.connected()?;
        lock::partial(client, schema)
    }

    fn interrupted(
        &mut self,
        _script: &Script,
        record: &Record,
    ) -> Result<Option<Interrupted>, BackendError> {
        let (client, schema) = self.connected()?;
        lock::interrupted(client, schema, record)
    }

    /// Nothing to add: PostgreSQL needs no checks around a revision (it never rebuilds
    /// a table, and enforces foreign keys as statements run).
    fn wrap(&self, _script: &mut Script) {}

    fn loss_query(&self, op: &Op) -> Option<String> {
        render::loss_query(op)
    }

    fn loss(&self, op: &Op, before: &Schema) -> Option<Loss> {
        render::loss(op, before)
    }

    fn refused_query(&self, op: &Op, before: &Schema) -> Option<Refusal> {
        render::refused_query(op, before)
    }

    fn count(&mut self, query: &str) -> Result<Option<u64>, BackendError> {
        // A simple query: one round trip, no prepared statement left behind.
        match self.client()?.simple_query(query) {
            Ok(messages) => Ok(Some(
                first_row(&messages).first().copied().flatten().unwrap_or(0),
            )),
            Err(e)
                if e.code() == Some(&SqlState::UNDEFINED_TABLE)
                    || e.code() == Some(&SqlState::UNDEFINED_COLUMN) =>
            {
                Ok(None)
            }
            Err(e) => Err(BackendError::new(format!(
                "cannot check `{query}`: {}",
                db_message(&e)
            ))),
        }
    }

    /// Up to [`COUNTS_PER_QUERY`] counts as the columns of one `SELECT`; a batch that
    /// fails (a table not there yet) is asked again one count at a time.
    fn counts(&mut self, queries: &[&str]) -> Result<Vec<Option<u64>>, BackendError> {
        let mut out = Vec::with_capacity(queries.len());
        for chunk in queries.chunks(COUNTS_PER_QUERY) {
            let columns: Vec<String> = chunk.iter().map(|q| format!("({q})")).collect();
            let sql = format!("SELECT {}", columns.join(", "));
            match self.client()?.simple_query(&sql) {
                Ok(messages) => {
                    let row = first_row(&messages);
                    out.extend(
                        (0..chunk.len()).map(|i| Some(row.get(i).copied().flatten().unwrap_or(0))),
                    );
                }
                Err(_) => {
                    for q in chunk {
                        out.push(self.count(q)?);
                    }
                }
            }
        }
        Ok(out)
    }

    fn purge_sql(&self) -> Option<String> {
        Some(format!(
            "DELETE FROM {}",
            lock::qualified(&self.schema, lock::REVISIONS_TABLE)
        ))
    }

    fn record_sql(&self, record: &Record) -> Vec<String> {
        lock::bookkeeping_sql(record, &self.schema, 0)
    }

    fn execute(
        &mut self,
        script: &Script,
        record: &Record,
        activity: &Activity,
    ) -> Result<(), BackendError> {
        // Inside the run's lock a revision commits asynchronously; `unlock` flushes.
        let asynchronous = self.locked && !script.non_transactional;
        self.unflushed |= asynchronous;
        let (client, schema) = self.connected()?;
        lock::execute(client, schema, script, record, asynchronous, activity)
    }
}

/// How many counts [`PgBackend::counts`] asks in one query.
const COUNTS_PER_QUERY: usize = 200;

/// The values of the first row of a simple query's answer, as counts (`None` for
/// NULL or a value that is not a count).
fn first_row(messages: &[SimpleQueryMessage]) -> Vec<Option<u64>> {
    messages
        .iter()
        .find_map(|m| match m {
            SimpleQueryMessage::Row(row) => Some(
                (0..row.len())
                    .map(|i| row.get(i).and_then(|v| v.parse().ok()))
                    .collect(),
            ),
            _ => None,
        })
        .unwrap_or_default()
}

/// The text of a failed connection: the server's message ([`db_message`]), or the
/// driver's with its causes (`error connecting to server` alone leaves out why:
/// `Connection refused (os error 111)` is its source). The driver's words that only
/// repeat "cannot connect" are left out.
fn connect_message(e: &postgres::Error) -> String {
    if e.as_db_error().is_some() {
        return db_message(e);
    }
    let mut parts = vec![e.to_string()];
    let mut source = std::error::Error::source(e);
    while let Some(cause) = source {
        let text = cause.to_string();
        if !parts.contains(&text) {
            parts.push(text);
        }
        source = cause.source();
    }
    if parts.len() > 1 && parts[0] == "error connecting to server" {
        parts.remove(0);
    }
    parts.join(": ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_are_described_without_their_password() {
        let cases = [
            (
                "postgres://app:s3cret@db.example:6543/shop?sslmode=disable",
                "postgres://app@db.example:6543/shop (schema public)",
            ),
            (
                "postgresql://app@localhost/shop",
                "postgres://app@localhost:5432/shop (schema public)",
            ),
            (
                "POSTGRES://app:pw@[::1]:5432/shop",
                "postgres://app@[::1]:5432/shop (schema public)",
            ),
        ];
        for (url, want) in cases {
            let (config, _) = parse_url(url).unwrap();
            assert_eq!(describe(&config, "public"), want, "{url}");
        }
    }

    #[test]
    fn sslmodes_choose_the_check() {
        let mode = |url: &str| parse_url(url).map(|(c, v)| (c.get_ssl_mode(), v));
        assert_eq!(
            mode("postgres://h/db").unwrap(),
            (SslMode::Prefer, Verify::None)
        );
        assert_eq!(
            mode("postgres://h/db?sslmode=require&connect_timeout=3").unwrap(),
            (SslMode::Require, Verify::None)
        );
        assert_eq!(
            mode("postgres://h/db?sslmode=verify-full").unwrap(),
            (SslMode::Require, Verify::Full)
        );
        assert_eq!(
            mode("postgres://h/db?sslmode=verify-ca").unwrap(),
            (SslMode::Require, Verify::Ca)
        );
        assert_eq!(
            mode("postgres://h/db?sslmode=disable").unwrap(),
            (SslMode::Disable, Verify::None)
        );
        let err = mode("postgres://h/db?sslmode=sometimes").unwrap_err();
        assert!(err.message.contains("unknown sslmode `sometimes`"), "{err}");
    }

    #[test]
    fn defaults_fill_what_the_url_leaves_out() {
        let (config, _) = parse_url("postgres://h/db").unwrap();
        assert_eq!(config.get_application_name(), Some("wildebeest"));
        assert_eq!(config.get_connect_timeout(), Some(&DEFAULT_CONNECT_TIMEOUT));
        let (config, _) =
            parse_url("postgres://h/db?application_name=mine&connect_timeout=3").unwrap();
        assert_eq!(config.get_application_name(), Some("mine"));
        assert_eq!(config.get_connect_timeout(), Some(&Duration::from_secs(3)));
        // As in libpq, 0 waits forever: no default takes its place.
        let (config, _) = parse_url("postgres://h/db?connect_timeout=0").unwrap();
        assert_eq!(config.get_connect_timeout(), None);
    }

    #[test]
    fn bad_urls_are_errors_that_never_show_the_password() {
        for url in [
            "mysql://u:hunter2@h/db",
            "postgres://u:hunter2@h:notaport/db",
            "postgres://u:hunter2@h/db?nonsense=1",
        ] {
            let err = parse_url(url).unwrap_err();
            assert!(!err.message.contains("hunter2"), "{}", err.message);
        }
    }
}
