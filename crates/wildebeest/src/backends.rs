//! The one place that picks a backend from a URL, each behind its cargo feature.

use std::path::Path;
use std::time::Duration;

use wildebeest_runner::Backend;
use wildebeest_schema::{Op, Schema};
use wildebeest_sql::Dialect;

use crate::error::Error;
use crate::url::DatabaseUrl;

/// Connects to the database `url` names; a SQLite file is created when missing.
/// `lock_timeout` bounds how long a run waits for another run's lock (each backend's
/// default when `None`).
pub fn connect(
    url: &DatabaseUrl,
    lock_timeout: Option<Duration>,
) -> Result<Box<dyn Backend>, Error> {
    let _ = lock_timeout;
    match url {
        #[cfg(feature = "sqlite")]
        DatabaseUrl::SqliteMemory => {
            Ok(Box::new(wildebeest_sqlite::SqliteBackend::open_in_memory()?))
        }
        #[cfg(feature = "sqlite")]
        DatabaseUrl::SqliteFile(path) => {
            let mut backend = wildebeest_sqlite::SqliteBackend::open(path, true)?;
            if let Some(timeout) = lock_timeout {
                backend.set_busy_timeout(timeout)?;
            }
            Ok(Box::new(backend))
        }
        #[cfg(feature = "postgres")]
        DatabaseUrl::Postgres { url, schema } => {
            let mut backend = wildebeest_postgres::PgBackend::connect(url, schema.as_deref())?;
            if let Some(timeout) = lock_timeout {
                backend.set_lock_timeout(timeout);
            }
            Ok(Box::new(backend))
        }
        #[cfg(feature = "mysql")]
        DatabaseUrl::Mysql { url } => {
            let mut backend = wildebeest_mysql::MysqlBackend::connect(url)?;
            if let Some(timeout) = lock_timeout {
                backend.set_lock_timeout(timeout);
            }
            Ok(Box::new(backend))
        }
        #[allow(unreachable_patterns)]
        other => Err(not_enabled(other)),
    }
}

/// [`connect`] to a database that exists: a SQLite file that does not is `None`
/// (nothing applied yet, and nothing created to say so), unless its folder is
/// missing too, which is an error.
pub fn connect_existing(
    url: &DatabaseUrl,
    lock_timeout: Option<Duration>,
) -> Result<Option<Box<dyn Backend>>, Error> {
    if let DatabaseUrl::SqliteFile(path) = url
        && !path.exists()
    {
        if let Some(dir) = path
            .parent()
            .filter(|d| !d.as_os_str().is_empty() && !d.is_dir())
        {
            return Err(Error::Database(
                format!(
                    "cannot open SQLite database `{}`: the folder {} does not exist",
                    path.display(),
                    dir.display()
                )
                .into(),
            ));
        }
        return Ok(None);
    }
    connect(url, lock_timeout).map(Some)
}

/// Removes the SQLite file at `path`, made by a run that failed, when nothing was
/// applied to it and no other run uses it, so bad input leaves no empty database.
pub(crate) fn remove_if_unapplied(path: &Path) {
    #[cfg(feature = "sqlite")]
    wildebeest_sqlite::remove_if_unapplied(path);
    #[cfg(not(feature = "sqlite"))]
    let _ = path;
}

/// The error for a URL whose backend this build leaves out.
fn not_enabled(url: &DatabaseUrl) -> Error {
    let (shown, kind, feature) = match url {
        DatabaseUrl::SqliteFile(path) => (format!("sqlite:{}", path.display()), "SQLite", "sqlite"),
        DatabaseUrl::SqliteMemory => ("sqlite::memory:".to_string(), "SQLite", "sqlite"),
        DatabaseUrl::Postgres { url, .. } => (crate::url::mask(url), "PostgreSQL", "postgres"),
        DatabaseUrl::Mysql { url } => (crate::url::mask(url), "MySQL", "mysql"),
    };
    Error::BackendNotEnabled {
        url: shown,
        kind,
        feature,
    }
}

/// The error for a dialect whose backend this build leaves out.
fn dialect_not_enabled(dialect: Dialect) -> Error {
    let (kind, feature) = match dialect {
        Dialect::Sqlite => ("SQLite", "sqlite"),
        Dialect::Postgres => ("PostgreSQL", "postgres"),
        Dialect::Mysql => ("MySQL", "mysql"),
    };
    Error::BackendNotEnabled {
        url: format!("the {} dialect", dialect.name()),
        kind,
        feature,
    }
}

/// A backend that plans and writes scripts for the database `url` names without
/// connecting to it: SQLite plans in an empty in-memory database; PostgreSQL and
/// MySQL need no server at all.
pub fn open_offline(url: &DatabaseUrl) -> Result<Box<dyn Backend>, Error> {
    match url {
        #[cfg(feature = "sqlite")]
        DatabaseUrl::SqliteMemory | DatabaseUrl::SqliteFile(_) => {
            Ok(Box::new(wildebeest_sqlite::SqliteBackend::open_in_memory()?))
        }
        #[cfg(feature = "postgres")]
        DatabaseUrl::Postgres { url, schema } => Ok(Box::new(
            wildebeest_postgres::PgBackend::offline(url, schema.as_deref())?,
        )),
        #[cfg(feature = "mysql")]
        DatabaseUrl::Mysql { url } => Ok(Box::new(wildebeest_mysql::MysqlBackend::offline(url)?)),
        #[allow(unreachable_patterns)]
        other => Err(not_enabled(other)),
    }
}

/// Creates the database `url` names: on a PostgreSQL or MySQL server,
/// `CREATE DATABASE` through a connection to the server (not to the database, which
/// may not exist yet); for SQLite, an empty file (a valid empty database) in a folder
/// that exists. `Ok(false)`: it existed already, and was left as it was.
pub fn create_database(url: &DatabaseUrl) -> Result<bool, Error> {
    match url {
        DatabaseUrl::SqliteMemory => Err(in_memory("create")),
        DatabaseUrl::SqliteFile(path) => {
            let created = std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(path);
            match created {
                Ok(_) => Ok(true),
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(false),
                Err(e) => Err(Error::Database(
                    format!("cannot create SQLite database `{}`: {e}", path.display()).into(),
                )),
            }
        }
        #[cfg(feature = "postgres")]
        DatabaseUrl::Postgres { url, .. } => {
            Ok(wildebeest_postgres::PgBackend::create_database(url)?)
        }
        #[cfg(feature = "mysql")]
        DatabaseUrl::Mysql { url } => Ok(wildebeest_mysql::MysqlBackend::create_database(url)?),
        #[allow(unreachable_patterns)]
        other => Err(not_enabled(other)),
    }
}

/// `schema` as a database of `dialect` stores it (the names, types and defaults it
/// reports back), by that dialect's backend.
pub fn canonical(dialect: Dialect, schema: &Schema) -> Result<Schema, Error> {
    let _ = schema;
    match dialect {
        #[cfg(feature = "sqlite")]
        Dialect::Sqlite => Ok(wildebeest_sqlite::canonical(schema)),
        #[cfg(feature = "postgres")]
        Dialect::Postgres => Ok(wildebeest_postgres::canonical(schema)),
        #[cfg(feature = "mysql")]
        Dialect::Mysql => Ok(wildebeest_mysql::canonical(schema)),
        #[allow(unreachable_patterns)]
        other => Err(dialect_not_enabled(other)),
    }
}

/// `desired` (a canonical schema from the schema files) with what its text spells
/// otherwise than `built` (the schema the migrations make), but means the same on
/// `dialect`'s every server, spelled as in `built`: a MySQL foreign key action left
/// out as its dumps leave out the server's default
/// ([`Schema::unwritten_actions_as_in`]), and MySQL character sets and collations
/// said in another way (`wildebeest_mysql::same_charsets_as`). `migrate` and `check`
/// compare `built` with this.
pub fn as_built(dialect: Dialect, desired: &mut Schema, built: &Schema) {
    desired.unwritten_actions_as_in(built);
    #[cfg(feature = "mysql")]
    if dialect == Dialect::Mysql {
        wildebeest_mysql::same_charsets_as(desired, built);
    }
    let _ = dialect;
}

/// What `op` loses on `dialect`'s database: SQLite keeps every value through a type
/// change within one affinity; MySQL also converts a column's text when its
/// collation is another character set's; PostgreSQL loses an attribute dropped from a
/// composite type only where a column of `before` (the schema `op` applies to) holds
/// the type. A dialect left out of the build (whose statements [`render`] refuses to
/// write) is judged by the op alone.
pub fn data_loss(dialect: Dialect, op: &Op, before: &Schema) -> Option<String> {
    // Asked only of PostgreSQL, which a build may leave out.
    let _ = before;
    match dialect {
        // An attribute of a composite type dropped loses data only where a column
        // holds the type.
        #[cfg(feature = "postgres")]
        Dialect::Postgres if matches!(op, Op::AlterComposite { .. }) => {
            wildebeest_postgres::data_loss_in(op, before)
        }
        #[cfg(feature = "sqlite")]
        Dialect::Sqlite => wildebeest_sqlite::data_loss(op),
        #[cfg(feature = "mysql")]
        Dialect::Mysql => wildebeest_mysql::data_loss(op),
        #[allow(unreachable_patterns)]
        _ => op.data_loss(),
    }
}

/// Drops the database `url` names: on a PostgreSQL or MySQL server, `DROP DATABASE`;
/// for SQLite, the file with its `-wal`, `-shm` and `-journal` files. `Ok(false)`:
/// there was no such database.
pub fn drop_database(url: &DatabaseUrl) -> Result<bool, Error> {
    match url {
        DatabaseUrl::SqliteMemory => Err(in_memory("drop")),
        DatabaseUrl::SqliteFile(path) => {
            let fail = |p: &Path, e: std::io::Error| {
                Error::Database(
                    format!("cannot drop SQLite database `{}`: {e}", p.display()).into(),
                )
            };
            // A folder (or anything else that is not a file) is not a database file
            // wildebeest would remove.
            match std::fs::symlink_metadata(path) {
                Ok(meta) if !meta.is_file() => {
                    return Err(Error::Database(
                        format!(
                            "cannot drop SQLite database `{}`: it is not a regular file",
                            path.display()
                        )
                        .into(),
                    ));
                }
                Ok(_) => {}
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(false),
                Err(e) => return Err(fail(path, e)),
            }
            // The main file last: a run stopped half way leaves a database that
            // still opens.
            for suffix in ["-journal", "-wal", "-shm", ""] {
                let mut name = path.as_os_str().to_owned();
                name.push(suffix);
                let file = Path::new(&name);
                match std::fs::remove_file(file) {
                    Ok(()) => {}
                    Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                    Err(e) => return Err(fail(file, e)),
                }
            }
            Ok(true)
        }
        #[cfg(feature = "postgres")]
        DatabaseUrl::Postgres { url, .. } => {
            Ok(wildebeest_postgres::PgBackend::drop_database(url)?)
        }
        #[cfg(feature = "mysql")]
        DatabaseUrl::Mysql { url } => Ok(wildebeest_mysql::MysqlBackend::drop_database(url)?),
        #[allow(unreachable_patterns)]
        other => Err(not_enabled(other)),
    }
}

fn in_memory(what: &str) -> Error {
    Error::Database(
        format!(
            "cannot {what} `sqlite::memory:`: an in-memory database lives only while one \
             command runs; name a file (sqlite:app.db)"
        )
        .into(),
    )
}

/// The statements that carry out `op` on `before` in `dialect`, written by that
/// dialect's backend (the renderer of migration files): the renderer's own refusal
/// is the inner error; a dialect whose backend is left out is the outer one.
pub fn render(
    dialect: Dialect,
    op: &Op,
    before: &Schema,
) -> Result<Result<Vec<String>, String>, Error> {
    let _ = (op, before);
    match dialect {
        #[cfg(feature = "sqlite")]
        Dialect::Sqlite => Ok(wildebeest_sqlite::render_op(op, before).map_err(|e| e.to_string())),
        #[cfg(feature = "postgres")]
        Dialect::Postgres => {
            Ok(wildebeest_postgres::render_op(op, before).map_err(|e| e.to_string()))
        }
        #[cfg(feature = "mysql")]
        Dialect::Mysql => Ok(wildebeest_mysql::render_op(op, before).map_err(|e| e.to_string())),
        #[allow(unreachable_patterns)]
        other => Err(dialect_not_enabled(other)),
    }
}

/// [`render`] for the models: the renderer's refusal is [`Error::Models`].
pub(crate) fn render_op(dialect: Dialect, op: &Op, before: &Schema) -> Result<Vec<String>, Error> {
    render(dialect, op, before)?.map_err(|e| Error::Models(e.into()))
}
