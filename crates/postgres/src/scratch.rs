//! The schema a model describes, as PostgreSQL reports it once made (see
//! `Backend::server_form`): the model's tables, types and indexes are created, as
//! [`render_op`] writes them, in a schema of their own inside a transaction, read back
//! by `inspect` exactly as the live schema is, and the transaction is rolled back.
//! Nothing is left behind whatever happens: an error rolls back, and a connection
//! that dies (a killed process) ends its transaction on the server.

use postgres::Client;
use postgres::error::SqlState;
use wildebeest_runner::{BackendError, ServerForm};
use wildebeest_schema::{Hints, Schema, diff};

use crate::inspect;
use crate::lock::db_message;
use crate::render::{foreign_op, quote_ident, render_op};

/// The statements that make `schema` from nothing, in order, as the runner makes
/// them (a type another database's file names is PostgreSQL's own, `foreign_op`); a
/// table's unmodeled parts are left out (no statement of the model makes them).
pub(crate) fn creation_sql(schema: &Schema) -> Result<Vec<String>, BackendError> {
    let mut target = schema.clone();
    for table in target.tables.values_mut() {
        table.unmodeled.clear();
    }
    let mut before = Schema::default();
    let mut out = Vec::new();
    for op in diff(&before, &target, &Hints::default()) {
        let op = foreign_op(op);
        let sql = render_op(&op, &before).map_err(|e| {
            BackendError::new(format!(
                "cannot write {} to read it back from the server: {e}",
                op.describe()
            ))
        })?;
        out.extend(sql);
        op.apply(&mut before)
            .map_err(|e| BackendError::new(format!("cannot follow {}: {e}", op.describe())))?;
    }
    Ok(out)
}

/// A schema name no other run uses: the process and the time.
fn scratch_name() -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    format!("wildebeest_scratch_{}_{nanos:x}", std::process::id())
}

/// `schema` as the server reports it; `app_schema` is the schema the application
/// lives in, searched after the scratch schema (with `public`) so that types and
/// functions the migrations made there or extensions installed are found as they
/// are by the live schema's objects.
pub(crate) fn server_form(
    client: &mut Client,
    app_schema: &str,
    schema: &Schema,
) -> Result<ServerForm, BackendError> {
    let statements = creation_sql(schema)?;
    let scratch = scratch_name();
    let mut tx = client.transaction().map_err(|e| {
        BackendError::new(format!(
            "cannot open a transaction to read back the schema the migrations make: {}",
            db_message(&e)
        ))
    })?;
    if let Err(e) = tx.batch_execute(&format!("CREATE SCHEMA {}", quote_ident(&scratch))) {
        if e.code() == Some(&SqlState::INSUFFICIENT_PRIVILEGE) {
            return Ok(ServerForm::Unavailable(format!(
                "the user may not create a schema in this database ({}), where `check` \
                 makes the migrations' schema in a transaction it rolls back",
                db_message(&e)
            )));
        }
        return Err(BackendError::new(format!(
            "cannot create a scratch schema to read back the schema the migrations make: {}",
            db_message(&e)
        )));
    }
    let mut path = vec![quote_ident(&scratch), quote_ident(app_schema)];
    if app_schema != "public" {
        path.push("public".into());
    }
    let setup = format!("SET LOCAL search_path TO {}", path.join(", "));
    tx.batch_execute(&setup).map_err(|e| {
        BackendError::new(format!("cannot set the search path: {}", db_message(&e)))
    })?;
    // One round trip for the whole schema; on an error, the statement is found again
    // one by one in a savepoint, so that the message names it.
    if let Err(e) = tx.batch_execute(&statements.join(";\n")) {
        let first = db_message(&e);
        drop(tx);
        return Err(failing_statement(
            client,
            &scratch,
            &setup,
            &statements,
            first,
        ));
    }
    let read = inspect::read_in(&mut tx, &scratch)?;
    tx.rollback().map_err(|e| {
        BackendError::new(format!(
            "cannot roll back the scratch schema: {}",
            db_message(&e)
        ))
    })?;
    let mut read = read;
    for (name, table) in &mut read.tables {
        if let Some(t) = schema.tables.get(name) {
            table.unmodeled = t.unmodeled.clone();
        }
    }
    Ok(ServerForm::Read(read))
}

/// The error of the first statement of `statements` that fails, run one by one in a
/// transaction that is rolled back; `first` when none fails alone.
fn failing_statement(
    client: &mut Client,
    scratch: &str,
    setup: &str,
    statements: &[String],
    first: String,
) -> BackendError {
    let plain = |m: String| {
        BackendError::new(format!(
            "the schema the migrations make does not build on this server: {m}"
        ))
    };
    let Ok(mut tx) = client.transaction() else {
        return plain(first);
    };
    if tx
        .batch_execute(&format!("CREATE SCHEMA {}; {setup}", quote_ident(scratch)))
        .is_err()
    {
        return plain(first);
    }
    for sql in statements {
        if let Err(e) = tx.batch_execute(sql) {
            return BackendError::new(format!(
                "the schema the migrations make does not build on this server: {} \
                 (in `{}`)",
                db_message(&e),
                wildebeest_sql::comment_text(sql.lines().next().unwrap_or(sql))
            ));
        }
    }
    plain(first)
}
