//! The MySQL and MariaDB backend of wildebeest.
//!
//! - [`MysqlBackend`] (`conn`): connects with a `mysql://` URL (TLS by `ssl-mode`) and
//!   implements the runner's [`Backend`](wildebeest_runner::Backend) trait.
//! - `lock`: the migration lock is a named server lock (`GET_LOCK`); a timeout names
//!   the connection that holds it. MySQL commits every DDL statement on its own, so a
//!   revision cannot be atomic: it runs statement by statement with its progress
//!   journaled in `wildebeest_progress`, a failure is recorded there and reported by
//!   [`Backend::partial`](wildebeest_runner::Backend::partial), and the next run
//!   resumes after the last completed statement. The version rows
//!   (`wildebeest_revisions`, `wildebeest_history`) and the end of the journal commit
//!   together in one InnoDB transaction once every statement is done.
//! - `inspect`: the database's schema from `information_schema`, in the form
//!   `schema.sql` gives the model.
//! - [`render_op`] (`render`): ops as the statements of a generated MySQL migration
//!   file; every unnamed constraint is written with its
//!   [`sql_name`](wildebeest_schema::Constraint::sql_name), so that a later `DROP`
//!   finds it. A statement of a migration written for MySQL runs as written; one
//!   written for another database is rendered from its ops.
//! - [`render_type`], [`stored_type`] (`types`): column types as MySQL SQL, and what
//!   the types MySQL lacks become (the table in the `types` module docs).
//!
//! ```
//! use wildebeest_schema::{Column, ColumnType, Constraint, Op, PrimaryKey, Schema, Table, Unique};
//! use wildebeest_mysql::render_op;
//!
//! let mut t = Table::new("employees");
//! let mut id = Column::new("id", ColumnType::Integer);
//! id.nullable = false;
//! id.auto_increment = true;
//! t.columns.push(id);
//! t.columns.push(Column::new("email", ColumnType::Varchar(Some(200))));
//! t.primary_key = Some(PrimaryKey {
//!     name: None,
//!     columns: vec!["id".into()],
//!     deferral: Default::default(),
//! });
//! t.uniques.push(Unique {
//!     name: None,
//!     columns: vec!["email".into()],
//!     deferral: Default::default(),
//! });
//!
//! let sql = render_op(&Op::CreateTable(t), &Schema::new()).unwrap();
//! assert_eq!(
//!     sql,
//!     ["CREATE TABLE employees (\n    id INT NOT NULL AUTO_INCREMENT,\n    email VARCHAR(200),\n    \
//!       PRIMARY KEY (id),\n    CONSTRAINT employees_email_key UNIQUE (email)\n)"]
//! );
//! ```

mod charset;
mod conn;
mod inspect;
mod lock;
mod render;
mod scratch;
mod types;

pub use charset::same_charsets_as;
pub use conn::{DEFAULT_LOCK_TIMEOUT, MysqlBackend};
pub use lock::{HISTORY_TABLE, PROGRESS_TABLE, REVISIONS_TABLE};
pub use render::{RenderError, data_loss, render_op};
pub use types::{DEFAULT_VARCHAR_LENGTH, canonical, render_type, stored_type};
