//! The SQLite backend of wildebeest.
//!
//! - [`SqliteBackend`] (`conn`): opens a database file and implements the runner's
//!   [`Backend`](wildebeest_runner::Backend) trait.
//! - `lock`: the migration lock is SQLite's write transaction (`BEGIN IMMEDIATE` ..
//!   `COMMIT`); each revision runs in a savepoint inside it together with its rows in
//!   the version tables `wildebeest_revisions` and `wildebeest_history`, so a failed
//!   revision leaves nothing behind while the ones before it stay.
//! - `inspect`: the database's schema, parsed from the `CREATE` statements SQLite
//!   keeps, by the same parser as `schema.sql`.
//! - [`render_op`] (`render`): ops as the statements of a generated migration file;
//!   and the planning of each statement of a migration: SQLite runs most as written,
//!   and what its `ALTER TABLE` cannot do (`ALTER COLUMN`, `ADD CONSTRAINT`, ...) becomes
//!   one table rebuild (SQLite's documented twelve steps), after which the revision
//!   checks the foreign keys of and to the table and the views and triggers that use
//!   it before it commits.
//! - [`render_type`] (`types`): column types as SQLite SQL.
//!
//! ```
//! use wildebeest_schema::{Column, ColumnType, Op, PrimaryKey, Schema, Table};
//! use wildebeest_sqlite::render_op;
//!
//! let mut t = Table::new("employees");
//! let mut id = Column::new("id", ColumnType::Integer);
//! id.nullable = false;
//! t.columns.push(id);
//! t.columns.push(Column::new("name", ColumnType::Text));
//! t.primary_key = Some(PrimaryKey {
//!     name: None,
//!     columns: vec!["id".into()],
//!     deferral: Default::default(),
//! });
//!
//! let sql = render_op(&Op::CreateTable(t), &Schema::new()).unwrap();
//! assert_eq!(
//!     sql,
//!     ["CREATE TABLE employees (\n    id INTEGER NOT NULL,\n    name TEXT,\n    PRIMARY KEY (id)\n)"]
//! );
//! ```

mod conn;
mod inspect;
mod lock;
mod render;
mod scratch;
mod types;

pub use conn::{DEFAULT_BUSY_TIMEOUT, SqliteBackend, remove_if_unapplied};
pub use lock::{HISTORY_TABLE, REVISIONS_TABLE};
pub use render::{RenderError, render_op};
pub use types::{canonical, data_loss, render_type};
