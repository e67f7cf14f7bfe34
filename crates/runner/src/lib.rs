//! Applies revisions to a database through the [`Backend`] trait.
//!
//! The runner is the only place that connects the three worlds: the revision graph
//! (which revisions, in which order), the parsed migration statements (what each one
//! means to the schema model), and a backend (how this database carries it out). For
//! every revision it builds a [`Script`]: each statement is resolved against the model
//! of the database as it will be at that point, handed to [`Backend::plan`], and the
//! model is advanced; then the script runs atomically with its bookkeeping.
//!
//! `--sql` uses the very same scripts, printed instead of executed, so what it shows
//! is exactly what would run.
//!
//! ```no_run
//! # fn demo(backend: &mut dyn wildebeest_runner::Backend,
//! #         migrations: &[wildebeest_revision::Migration]) -> Result<(), wildebeest_runner::RunError> {
//! use wildebeest_revision::Target;
//! use wildebeest_runner::{Runner, Mode};
//!
//! let mut runner = Runner::new(backend, migrations)?;
//! let report = runner.upgrade(&Target::Head, Mode::Execute, &mut std::io::stdout())?;
//! println!("{} revisions applied", report.revisions.len());
//! # Ok(()) }
//! ```

mod activity;
mod backend;
mod run;

pub use activity::{Activity, Doing, RowCopy};
pub use backend::*;
pub use run::*;
