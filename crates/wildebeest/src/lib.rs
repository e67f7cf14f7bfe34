//! wildebeest: schema migrations from plain SQL, for SQLite, PostgreSQL and
//! MySQL/MariaDB from one migrations folder.
//!
//! This crate is the library an application embeds to apply its migrations; the
//! `wildebeest` command-line tool that writes them (`wildebeest migrate`) and runs
//! them is a client of it, in the `wildebeest-cli` package. An application needs only
//! [`Migrator`]:
//!
//! ```
//! // The migrations folder, relative to Cargo.toml, is read and validated at compile
//! // time (headers, revision graph, `wildebeest.sum`): a broken file is a compile
//! // error naming its line. Usually `embed_migrations!("migrations")`.
//! static MIGRATOR: wildebeest::Migrator =
//!     wildebeest::embed_migrations!("../../examples/company/migrations");
//!
//! fn main() -> Result<(), wildebeest::Error> {
//! #   let tmp = tempfile::tempdir().unwrap();
//! #   let url = &format!("sqlite:{}", tmp.path().join("app.db").display());
//!     let report = MIGRATOR.upgrade(url)?;
//!     for run in &report.revisions {
//!         eprintln!("applied {} ({:?})", run.revision, run.duration);
//!     }
//! #   assert_eq!(report.revisions.len(), 4);
//!     assert!(MIGRATOR.check(url)?.is_ok());
//!     Ok(())
//! }
//! ```
//!
//! - [`Migrator`]: [`upgrade`](Migrator::upgrade), [`upgrade_to`](Migrator::upgrade_to),
//!   [`downgrade`](Migrator::downgrade), [`current`](Migrator::current),
//!   [`check`](Migrator::check), each given a database URL; [`Options`] (consent to
//!   data loss, lock timeout, a progress callback) through [`Migrator::with`].
//! - [`embed_migrations!`]: the migrations compiled into the program;
//!   [`Migrator::from_dir`]: a folder read at run time.
//! - [`Models`]: the desired schema as Rust types, `#[derive(Table)]` on structs and
//!   `#[derive(Enum)]` on enums, rendered as schema text for `wildebeest migrate`
//!   (docs/models.md).
//! - What comes back: [`Report`], [`Current`], [`CheckReport`] with its
//!   [`Problem`]s; and [`Error`].
//!
//! The library prints nothing and never exits. Calls block; a `Migrator` is
//! `Send + Sync`; with the `tokio` feature, `upgrade_async` and its siblings run them
//! on tokio's blocking pool.
//!
//! # Features
//!
//! - `sqlite` (default; the SQLite library is compiled in), `postgres`, `mysql` (MySQL
//!   and MariaDB): the backends. An application names the ones it uses, and the others'
//!   drivers are not compiled: `wildebeest = { version = "0.1", default-features =
//!   false, features = ["sqlite"] }`. A URL of a backend left out is
//!   [`Error::BackendNotEnabled`].
//! - `tokio`: the async methods of [`Migrator`].

#![warn(missing_docs)]

// Shared with the `wildebeest` command line (the `wildebeest-cli` package), which
// connects and replays as `Migrator` does; not part of the library's API.
#[doc(hidden)]
pub mod backends;
mod error;
mod migrator;
pub mod models;
#[doc(hidden)]
pub mod replay;
mod report;
#[doc(hidden)]
pub mod url;

pub use error::{BoxError, Error};
pub use migrator::{Configured, EmbeddedMigration, IntoUrl, Migrator, Options, Resume};
pub use report::{
    AppliedAt, ChangeKind, CheckReport, Current, Direction, HalfDone, Problem, Progress, Report,
    RevisionRun, Script,
};
pub use url::{DatabaseUrl, UrlError};
/// What a revision does while it runs, for a live display: the handle each
/// [`Progress::Starting`] carries, and what reading it gives.
pub use wildebeest_runner::{Activity, Doing, RowCopy};
/// The SQL dialect of a database: the one a desired schema is written in.
pub use wildebeest_sql::Dialect;

pub use models::{DesiredSchema, Enum, Models, Rename, Table};
/// Describes a fieldless enum as an enum type: `#[derive(wildebeest::Enum)]`, with
/// `#[wildebeest(name = "...", rename_all = "snake_case")]` on the enum and
/// `#[wildebeest(rename = "...")]` on a variant. See docs/models.md.
pub use wildebeest_macros::Enum;
/// Describes a struct as a table: `#[derive(wildebeest::Table)]`. Each field is a
/// column; `#[wildebeest(...)]` attributes give keys, indexes, defaults, checks,
/// references and renames. See [`Models`] and docs/models.md for every attribute and
/// the type of each Rust type in each dialect.
pub use wildebeest_macros::Table;

/// Compiles a migrations folder into the program as a [`Migrator`], usable in a
/// `static`:
///
/// ```
/// static MIGRATOR: wildebeest::Migrator =
///     wildebeest::embed_migrations!("../../examples/company/migrations");
///
/// assert_eq!(MIGRATOR.revisions()?.len(), 4);
/// # Ok::<(), wildebeest::Error>(())
/// ```
///
/// The folder is relative to the crate's `Cargo.toml` (`"migrations"` when the macro
/// is given nothing). At compile time it is read and validated as `wildebeest check`
/// reads it: every `*.sql` file's header and sections, the revision graph (parents
/// that exist, no cycle), and `wildebeest.sum`, which must list exactly these files
/// with these checksums and heads (run `wildebeest rehash` after editing a file by
/// hand). Anything wrong is a compile error naming the file and line. At run time no
/// file is read.
///
/// The expansion includes every migration file and `wildebeest.sum`, so cargo builds
/// the crate again when one of them changes; every wildebeest command that adds,
/// removes or changes a migration rewrites `wildebeest.sum`. A file added to the
/// folder by other means is noticed once the crate builds again for another reason
/// (its `wildebeest.sum` is then stale, a compile error); to rebuild as soon as the
/// folder changes, add a build script with the line
/// `println!("cargo:rerun-if-changed=migrations");`.
pub use wildebeest_macros::embed_migrations;
