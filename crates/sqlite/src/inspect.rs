//! The database's schema, read back into the model.
//!
//! SQLite keeps every table's and index's `CREATE` statement as text in
//! `sqlite_master`, updated by each `ALTER TABLE`, so the model of the database is
//! built by the same parser as `schema.sql`: whatever the parser understands in a
//! schema file it understands in the database, and the two compare equal.

use rusqlite::Connection;
use wildebeest_runner::{BackendError, UnmodeledObject};
use wildebeest_schema::Schema;
use wildebeest_sql::{Dialect, parse_database_schema};

use crate::lock::db_message;
use crate::render::quote_ident;

/// The file name parse errors are reported against.
const SOURCE: &str = "<database>";

/// One `CREATE` statement of the database.
struct Definition {
    kind: String,
    name: String,
    table: String,
    sql: String,
}

/// The schema of the database: its tables, views, indexes and triggers, without SQLite's own
/// (`sqlite_*`), the version tables (`wildebeest_*`), the indexes SQLite makes for
/// `UNIQUE` and `PRIMARY KEY` constraints, and virtual tables (which the model does
/// not capture, and `parse_schema` refuses in a schema file) with the tables that
/// store their data (an FTS5 table's `*_data`, `*_idx`, ...).
pub(crate) fn inspect(conn: &Connection) -> Result<Schema, BackendError> {
    let definitions = definitions(conn)?;
    let (text, starts) = script(&definitions);
    match parse_database_schema(&text, SOURCE, Dialect::Sqlite) {
        // Warnings are about parts the model does not capture, which land in
        // `Table::unmodeled` and are checked where they matter.
        Ok((schema, _warnings)) => Ok(schema),
        Err(e) => {
            let Some(i) = starts.iter().rposition(|&s| s <= e.line) else {
                return Err(BackendError::new(format!(
                    "cannot read the database's schema: {e}"
                )));
            };
            let d = &definitions[i];
            let what = if d.kind == "index" {
                format!("index `{}` on table `{}`", d.name, d.table)
            } else if d.kind == "view" {
                format!("view `{}`", d.name)
            } else if d.kind == "trigger" {
                format!("trigger `{}` on `{}`", d.name, d.table)
            } else {
                format!("table `{}`", d.name)
            };
            Err(BackendError::new(format!(
                "cannot read the definition of {what} from the database: {} (line {} of its definition)\n{}",
                e.message,
                e.line + 1 - starts[i],
                d.sql
            )))
        }
    }
}

/// What the model cannot hold: virtual tables (their shadow tables are theirs, not
/// objects of their own), sorted by name. wildebeest's own tables and SQLite's (`sqlite_*`) are not listed.
pub(crate) fn unmodeled_objects(conn: &Connection) -> Result<Vec<UnmodeledObject>, BackendError> {
    let read = || -> rusqlite::Result<Vec<UnmodeledObject>> {
        let mut stmt = conn.prepare(
            "SELECT 'virtual table', name FROM pragma_table_list \
             WHERE schema = 'main' AND type = 'virtual' \
             AND name NOT LIKE 'wildebeest\\_%' ESCAPE '\\' \
             ORDER BY 1, 2",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok(UnmodeledObject {
                kind: r.get(0)?,
                name: r.get(1)?,
            })
        })?;
        rows.collect()
    };
    read().map_err(|e| {
        BackendError::new(format!(
            "cannot read the database's schema: {}",
            db_message(&e)
        ))
    })
}

/// The definitions as one script, each ended by `;` and a line break, and the line
/// each starts on (1-based), to name the table a parse error is in.
fn script(definitions: &[Definition]) -> (String, Vec<usize>) {
    let mut text = String::with_capacity(definitions.iter().map(|d| d.sql.len() + 2).sum());
    let mut starts = Vec::with_capacity(definitions.len());
    // Counted as the text grows: counting the whole text again for each definition
    // made reading a schema of thousands of tables quadratic.
    let mut line = 1;
    for d in definitions {
        starts.push(line);
        text.push_str(&d.sql);
        text.push_str(";\n");
        line += d.sql.matches('\n').count() + 1;
    }
    (text, starts)
}

fn definitions(conn: &Connection) -> Result<Vec<Definition>, BackendError> {
    let read = || -> rusqlite::Result<Vec<Definition>> {
        let mut stmt = conn.prepare(
            "SELECT type, name, tbl_name, sql FROM sqlite_master \
             WHERE type IN ('table', 'index', 'view', 'trigger') AND sql IS NOT NULL \
             AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' \
             AND tbl_name NOT LIKE 'sqlite\\_%' ESCAPE '\\' \
             AND tbl_name NOT LIKE 'wildebeest\\_%' ESCAPE '\\' \
             AND tbl_name NOT IN (SELECT name FROM pragma_table_list WHERE type IN ('virtual', 'shadow')) \
             ORDER BY type = 'index', type = 'trigger', name",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok(Definition {
                kind: r.get(0)?,
                name: r.get(1)?,
                table: r.get(2)?,
                sql: r.get(3)?,
            })
        })?;
        rows.collect()
    };
    read().map_err(|e| {
        BackendError::new(format!(
            "cannot read the database's schema: {}",
            db_message(&e)
        ))
    })
}

/// The triggers on `table`, `(name, CREATE TRIGGER ...)`, in the order they were
/// created (which is the order they fire in, and stays so when they are created
/// again in this order).
pub(crate) fn triggers(conn: &Connection, table: &str) -> Result<Vec<(String, String)>, String> {
    let read = || -> rusqlite::Result<Vec<(String, String)>> {
        let mut stmt = conn.prepare(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = ?1 COLLATE NOCASE \
             AND sql IS NOT NULL ORDER BY rowid",
        )?;
        let rows = stmt.query_map([table], |r| Ok((r.get(0)?, r.get(1)?)))?;
        rows.collect()
    };
    read().map_err(|e| format!("cannot read the triggers on `{table}`: {}", db_message(&e)))
}

/// The tables other than `table` with a foreign key to it, by name.
pub(crate) fn referencing_tables(conn: &Connection, table: &str) -> Result<Vec<String>, String> {
    let read = || -> rusqlite::Result<Vec<String>> {
        let mut stmt = conn.prepare(
            "SELECT DISTINCT m.name FROM sqlite_master AS m, pragma_foreign_key_list(m.name) AS f \
             WHERE m.type = 'table' AND f.\"table\" = ?1 COLLATE NOCASE AND m.name <> ?1 COLLATE NOCASE \
             ORDER BY m.name",
        )?;
        let rows = stmt.query_map([table], |r| r.get(0))?;
        rows.collect()
    };
    read().map_err(|e| {
        format!(
            "cannot read the foreign keys to `{table}`: {}",
            db_message(&e)
        )
    })
}

/// `PRAGMA foreign_key_check(t)`.
pub(crate) fn foreign_key_check(table: &str) -> String {
    format!("PRAGMA foreign_key_check({})", quote_ident(table))
}

/// The database as the statements planned so far in a run leave it, schema only: a
/// rebuild planned in a later revision (or after other statements of its own) must
/// create the table's triggers again as they are when it runs, not as they were when
/// the run started, and nothing has run while a run is planned.
///
/// It keeps the schema statements of the plans (`CREATE`, `DROP`, `ALTER` and the
/// rebuild's `PRAGMA legacy_alter_table`); on the first question after one, it copies
/// the database's schema into an empty in-memory database and runs them there, so SQLite
/// itself decides what a rename does to a trigger's text. Data statements never run
/// in it (they could name attached files); a statement that fails there is skipped,
/// as the copy only answers which triggers a table has.
#[derive(Debug, Default)]
pub(crate) struct Shadow {
    /// The schema statements planned since the run started, in order.
    ddl: Vec<String>,
    /// The copy, once made, and how many of `ddl` ran in it.
    copy: Option<(Connection, usize)>,
}

impl Shadow {
    /// A new run: the database is as it is now.
    pub(crate) fn forget(&mut self) {
        self.ddl.clear();
        self.copy = None;
    }

    /// Follows the steps of a plan.
    pub(crate) fn follow(&mut self, steps: &[String]) {
        self.ddl
            .extend(steps.iter().filter(|s| is_schema_statement(s)).cloned());
    }

    /// The triggers on `table` after the statements followed so far, as [`triggers`]
    /// reads them from `live`, the database before them.
    pub(crate) fn triggers(
        &mut self,
        live: &Connection,
        table: &str,
    ) -> Result<Vec<(String, String)>, String> {
        triggers(self.current(live)?, table)
    }

    /// The tables whose foreign keys a rebuild of `table` may have broken, after the
    /// statements followed so far: `table` and the tables that refer to it, those of
    /// them that are still there.
    pub(crate) fn tables_to_check(
        &mut self,
        live: &Connection,
        table: &str,
    ) -> Result<Vec<String>, String> {
        let conn = self.current(live)?;
        let exists = conn
            .query_row(
                "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?1 COLLATE NOCASE",
                [table],
                |r| r.get::<_, i64>(0),
            )
            .map_err(|e| format!("cannot read the database's schema: {}", db_message(&e)))?;
        let mut out: Vec<String> = (exists > 0)
            .then(|| table.to_string())
            .into_iter()
            .collect();
        out.extend(referencing_tables(conn, table)?);
        Ok(out)
    }

    /// The database after the statements followed so far: `live` itself while there
    /// are none, else the copy with them run in it.
    fn current<'a>(&'a mut self, live: &'a Connection) -> Result<&'a Connection, String> {
        if self.ddl.is_empty() {
            return Ok(live);
        }
        if self.copy.is_none() {
            let copy = Connection::open_in_memory().map_err(|e| {
                format!(
                    "cannot open an in-memory database to plan in: {}",
                    db_message(&e)
                )
            })?;
            for sql in schema_statements(live)? {
                // What SQLite made itself (a virtual table's storage) is made again.
                let _ = copy.execute_batch(&sql);
            }
            self.copy = Some((copy, 0));
        }
        let Some((copy, done)) = &mut self.copy else {
            return Ok(live);
        };
        for sql in &self.ddl[*done..] {
            let _ = copy.execute_batch(sql);
        }
        *done = self.ddl.len();
        Ok(copy)
    }
}

/// The `CREATE` statements of `conn`'s schema but SQLite's own, tables first, then
/// views, indexes and triggers, each kind in the order it was made.
fn schema_statements(conn: &Connection) -> Result<Vec<String>, String> {
    let read = || -> rusqlite::Result<Vec<String>> {
        let mut stmt = conn.prepare(
            "SELECT sql FROM sqlite_master WHERE sql IS NOT NULL \
             AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' \
             ORDER BY CASE type WHEN 'table' THEN 0 WHEN 'view' THEN 1 WHEN 'index' THEN 2 ELSE 3 END, rowid",
        )?;
        let rows = stmt.query_map([], |r| r.get(0))?;
        rows.collect()
    };
    read().map_err(|e| format!("cannot read the database's schema: {}", db_message(&e)))
}

/// Whether `sql` changes the schema and nothing else: `CREATE`, `DROP` or `ALTER`, or
/// the `PRAGMA legacy_alter_table` around a rebuild's rename.
fn is_schema_statement(sql: &str) -> bool {
    match wildebeest_sql::leading_words(sql, 1)
        .first()
        .map(String::as_str)
    {
        Some("CREATE" | "DROP" | "ALTER") => true,
        Some("PRAGMA") => sql.to_ascii_lowercase().contains("legacy_alter_table"),
        _ => false,
    }
}
