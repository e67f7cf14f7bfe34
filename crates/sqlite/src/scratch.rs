//! The schema a model describes, as SQLite reports it once made (see
//! `Backend::server_form`): each table, index, view and trigger is created, as [`render_op`] writes
//! it, in an in-memory database of its own and read back by `inspect` exactly as the
//! live database is. SQLite keeps the text of each definition, so this reads the
//! renderer's text through the same parser as `sqlite_master`'s.

use rusqlite::Connection;
use wildebeest_runner::{BackendError, ServerForm};
use wildebeest_schema::{Op, Schema};

use crate::inspect;
use crate::lock::db_message;
use crate::render::render_op;

/// `schema` as SQLite reports it. A table's unmodeled parts are not made (no
/// statement of the model makes them) and come back as `schema` has them.
pub(crate) fn server_form(schema: &Schema) -> Result<ServerForm, BackendError> {
    let conn = Connection::open_in_memory().map_err(|e| {
        BackendError::new(format!(
            "cannot open an in-memory database to read back the schema the migrations make: {}",
            db_message(&e)
        ))
    })?;
    // SQLite checks no reference when a table is made, so each table goes alone, in
    // name order, its foreign keys in it.
    let empty = Schema::default();
    for table in schema.tables.values() {
        let mut table = table.clone();
        table.unmodeled.clear();
        let op = Op::CreateTable(table);
        let sql = render_op(&op, &empty).map_err(|e| {
            BackendError::new(format!(
                "cannot write {} to read it back: {e}",
                op.describe()
            ))
        })?;
        for statement in sql {
            conn.execute_batch(&statement).map_err(|e| {
                BackendError::new(format!(
                    "the schema the migrations make does not build on SQLite: {} (in `{}`)",
                    db_message(&e),
                    wildebeest_sql::comment_text(statement.lines().next().unwrap_or(""))
                ))
            })?;
        }
    }
    // Then the views, each after what it reads.
    let mut before = Schema::default();
    for view in schema.views_in_order() {
        let op = Op::CreateView(view.clone());
        let sql = render_op(&op, &before).map_err(|e| {
            BackendError::new(format!(
                "cannot write {} to read it back: {e}",
                op.describe()
            ))
        })?;
        for statement in sql {
            conn.execute_batch(&statement).map_err(|e| {
                BackendError::new(format!(
                    "the schema the migrations make does not build on SQLite: {} (in `{}`)",
                    db_message(&e),
                    wildebeest_sql::comment_text(statement.lines().next().unwrap_or(""))
                ))
            })?;
        }
        before.views.insert(view.name.clone(), view.clone());
    }
    // Then the triggers, on the tables and views they need.
    for trigger in schema.triggers.values() {
        let op = Op::CreateTrigger(trigger.clone());
        let sql = render_op(&op, &before).map_err(|e| {
            BackendError::new(format!(
                "cannot write {} to read it back: {e}",
                op.describe()
            ))
        })?;
        for statement in sql {
            conn.execute_batch(&statement).map_err(|e| {
                BackendError::new(format!(
                    "the schema the migrations make does not build on SQLite: {} (in `{}`)",
                    db_message(&e),
                    wildebeest_sql::comment_text(statement.lines().next().unwrap_or(""))
                ))
            })?;
        }
    }
    let mut read = inspect::inspect(&conn)?;
    for (name, table) in &mut read.tables {
        if let Some(t) = schema.tables.get(name) {
            table.unmodeled = t.unmodeled.clone();
        }
    }
    Ok(ServerForm::Read(Box::new(read)))
}
