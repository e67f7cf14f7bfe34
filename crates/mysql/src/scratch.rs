//! The schema a model describes, as MySQL reports it once made (see
//! `Backend::server_form`). MySQL commits every DDL statement, so no transaction can
//! take the work back: the model's tables, indexes and views are created, as [`render_op`]
//! writes them, in a database of their own (`wildebeest_scratch_...`, with the live
//! database's character set and collation), read back by `inspect` exactly as the
//! live database is, and the database is dropped, also when something failed. Each
//! table is one statement, its indexes inside it, without its foreign keys, which
//! come from the model ([`merge`]): DDL is the cost here, a commit and a file sync a
//! statement.
//!
//! A run killed in between leaves its scratch database behind, so each run first
//! drops the ones nobody works in: a run holds the named lock of its scratch
//! database (`GET_LOCK`, taken before the database is made) for as long as it uses
//! it, and the server releases a lock when its connection ends, so a scratch
//! database whose lock is free belongs to a run that is gone.

use std::cell::RefCell;

use mysql::Conn;
use wildebeest_runner::{BackendError, ServerForm};
use wildebeest_schema::{Hints, RoutineKind, Schema, diff};

use crate::conn::{Server, message, query_rows, run};
use crate::inspect;
use crate::render::{create_table_inline, foreign_op, quote_ident, quote_literal, render_op};

/// What every scratch database's name starts with.
const PREFIX: &str = "wildebeest_scratch_";

/// `ER_DBACCESS_DENIED_ERROR` and `ER_ACCESS_DENIED_ERROR`: the user may not create
/// the database.
const ACCESS_DENIED: [u16; 2] = [1044, 1045];

/// The statements that make `schema` from nothing, in order, as the runner makes
/// them (`foreign_op`), but one statement per table: its indexes are written inside
/// its `CREATE TABLE` (`create_table_inline`), and its foreign keys are left out
/// ([`merge`] takes them from the model). Every DDL statement commits and syncs
/// files on InnoDB, so a table's separate `CREATE INDEX` doubled the cost, and a
/// foreign key is names and actions the model holds exactly (the actions MySQL and
/// MariaDB fill in for no clause are `Backend::canonical`'s). A table's unmodeled
/// parts are left out.
fn creation_sql(schema: &Schema) -> Result<Vec<String>, BackendError> {
    let mut target = schema.clone();
    for table in target.tables.values_mut() {
        table.unmodeled.clear();
        table.foreign_keys.clear();
    }
    let mut before = Schema::default();
    let mut out = Vec::new();
    for op in diff(&before, &target, &Hints::default()) {
        let op = foreign_op(&op);
        let cannot = |e: crate::render::RenderError| {
            BackendError::new(format!(
                "cannot write {} to read it back from the server: {e}",
                op.describe()
            ))
        };
        match create_table_inline(&op, &before).map_err(cannot)? {
            Some(create) => out.push(create),
            None => out.extend(render_op(&op, &before).map_err(cannot)?),
        }
        op.apply(&mut before)
            .map_err(|e| BackendError::new(format!("cannot follow {}: {e}", op.describe())))?;
    }
    Ok(out)
}

/// `schema` as the server reports it; `database` is the live database, which the
/// connection uses again afterwards.
pub(crate) fn server_form(
    conn: &RefCell<Conn>,
    server: &Server,
    database: &str,
    schema: &Schema,
) -> Result<ServerForm, BackendError> {
    let statements = creation_sql(schema)?;
    let fail =
        |what: &str, e: &mysql::Error| BackendError::new(format!("cannot {what}: {}", message(e)));
    drop_abandoned(conn).map_err(|e| fail("drop the scratch databases of runs that ended", &e))?;
    let id = query_rows(conn, "SELECT CONNECTION_ID()")
        .map_err(|e| fail("read the connection's id", &e))?;
    let id = id
        .first()
        .and_then(|r| r.first().cloned().flatten())
        .unwrap_or_default();
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    let scratch = format!("{PREFIX}{id}_{nanos:x}");
    let got = query_rows(
        conn,
        &format!("SELECT GET_LOCK({}, 0)", quote_literal(&scratch)),
    )
    .map_err(|e| fail("take the scratch database's lock", &e))?;
    if got
        .first()
        .and_then(|r| r.first().cloned().flatten())
        .as_deref()
        != Some("1")
    {
        return Err(BackendError::new(format!(
            "cannot take the lock `{scratch}` of a scratch database"
        )));
    }
    let defaults = query_rows(
        conn,
        "SELECT DEFAULT_CHARACTER_SET_NAME, DEFAULT_COLLATION_NAME \
         FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = DATABASE()",
    )
    .map_err(|e| fail("read the database's character set", &e))?;
    let (charset, collation) = match defaults.first().map(|r| (r[0].clone(), r[1].clone())) {
        Some((Some(cs), Some(co))) => (cs, co),
        _ => {
            return Err(BackendError::new(
                "cannot read the database's character set and collation",
            ));
        }
    };
    let create = format!(
        "CREATE DATABASE {} CHARACTER SET {} COLLATE {}",
        quote_ident(&scratch),
        quote_ident(&charset),
        quote_ident(&collation)
    );
    if let Err(e) = run(conn, &create) {
        let _ = release(conn, &scratch);
        if let mysql::Error::MySqlError(m) = &e
            && ACCESS_DENIED.contains(&m.code)
        {
            return Ok(ServerForm::Unavailable(format!(
                "the user may not create a database ({}), where `check` makes the \
                 migrations' schema and drops it again",
                message(&e)
            )));
        }
        return Err(fail("create a scratch database", &e));
    }
    let result = build_and_read(conn, server, &scratch, &statements);
    // Back to the live database and the scratch one gone, whatever happened.
    let back = run(conn, &format!("USE {}", quote_ident(database)));
    let dropped = run(
        conn,
        &format!("DROP DATABASE IF EXISTS {}", quote_ident(&scratch)),
    );
    let released = release(conn, &scratch);
    let read = result?;
    back.map_err(|e| fail("use the database again", &e))?;
    dropped.map_err(|e| fail(&format!("drop the scratch database `{scratch}`"), &e))?;
    released.map_err(|e| fail("release the scratch database's lock", &e))?;
    Ok(ServerForm::Read(Box::new(merge(schema, read)?)))
}

/// What the server read of the scratch tables (`read`), with what was not made there
/// taken from `model`: each table's unmodeled parts and its foreign keys, read as
/// inspection reads a table with keys (`finish`).
/// A table of the model the server did not report back is an error.
fn merge(model: &Schema, mut read: Schema) -> Result<Schema, BackendError> {
    for (name, t) in &model.tables {
        let mut table = read.tables.get_mut(name).ok_or_else(|| {
            BackendError::new(format!(
                "the server did not report table `{name}` back from the scratch database"
            ))
        })?;
        table.unmodeled = t.unmodeled.clone();
        table.foreign_keys = t.foreign_keys.clone();
        // As inspection reads a table with keys: the index a key's name or first
        // column names is MySQL's for the key, and a name that is the `sql_name` none.
        wildebeest_sql::drop_fk_indexes(&mut table);
        inspect::unname(&mut table);
    }
    // An event written without `STARTS` was given the scratch database's creation
    // time, which is not compared: the model's says none.
    for (key, r) in &model.routines {
        if r.kind == RoutineKind::Event
            && r.head.is_empty()
            && let Some(made) = read.routines.get_mut(key)
        {
            made.head.clear();
        }
    }
    if let Some(name) = model.views.keys().find(|v| !read.views.contains_key(*v)) {
        return Err(BackendError::new(format!(
            "the server did not report view `{name}` back from the scratch database"
        )));
    }
    Ok(read)
}

fn build_and_read(
    conn: &RefCell<Conn>,
    server: &Server,
    scratch: &str,
    statements: &[String],
) -> Result<Schema, BackendError> {
    run(conn, &format!("USE {}", quote_ident(scratch))).map_err(|e| {
        BackendError::new(format!("cannot use the scratch database: {}", message(&e)))
    })?;
    for sql in statements {
        run(conn, sql).map_err(|e| {
            BackendError::new(format!(
                "the schema the migrations make does not build on this server: {} (in `{}`)",
                message(&e),
                wildebeest_sql::comment_text(sql.lines().next().unwrap_or(sql))
            ))
        })?;
    }
    Ok(inspect::inspect(conn, server)?.0)
}

fn release(conn: &RefCell<Conn>, scratch: &str) -> Result<(), mysql::Error> {
    query_rows(
        conn,
        &format!("SELECT RELEASE_LOCK({})", quote_literal(scratch)),
    )
    .map(|_| ())
}

/// Drops every scratch database whose lock is free: its run ended without dropping
/// it (a kill).
fn drop_abandoned(conn: &RefCell<Conn>) -> Result<(), mysql::Error> {
    let names = query_rows(
        conn,
        "SELECT SCHEMA_NAME FROM information_schema.SCHEMATA \
         WHERE SCHEMA_NAME LIKE 'wildebeest\\_scratch\\_%'",
    )?;
    for name in names
        .into_iter()
        .filter_map(|r| r.into_iter().next().flatten())
    {
        let free = query_rows(
            conn,
            &format!("SELECT IS_FREE_LOCK({})", quote_literal(&name)),
        )?;
        if free
            .first()
            .and_then(|r| r.first().cloned().flatten())
            .as_deref()
            == Some("1")
        {
            run(
                conn,
                &format!("DROP DATABASE IF EXISTS {}", quote_ident(&name)),
            )?;
        }
    }
    Ok(())
}
