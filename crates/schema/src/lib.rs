//! The wildebeest schema model and everything that can be done with it without IO.
//!
//! - [`Schema`], [`Table`], [`Column`], [`ColumnType`], [`Index`], [`ForeignKey`],
//!   [`Check`], [`Unique`], [`PrimaryKey`]: what a database looks like, dialect-neutral;
//!   `Schema::enums` holds PostgreSQL enum types, which columns use as
//!   [`ColumnType::Enum`].
//! - [`Change`]: what one SQL statement says, by name; [`Change::resolve`] turns it into
//!   [`Op`]s against a schema.
//! - [`Op`]: a change that carries every prior object, with [`Op::apply`] and
//!   [`Op::invert`].
//! - [`diff`]: the ordered list of ops that turns one schema into another, told about
//!   renames by [`Hints`]; [`enum_conflicts`]: the enum type changes it cannot make.
//! - [`table_rename_candidates`], [`column_rename_candidates`]: the drops and creates
//!   that may be renames, as [`RenameCandidate`]s to ask the user about;
//!   [`Op::data_loss`] says what an op would destroy.
//!
//! ```
//! use wildebeest_schema::{diff, Column, ColumnType, Hints, Schema, Table};
//!
//! let from = Schema::new();
//! let mut to = Schema::new();
//! let mut t = Table::new("employees");
//! t.columns.push(Column::new("name", ColumnType::Text));
//! to.tables.insert(t.name.clone(), t);
//!
//! let ops = diff(&from, &to, &Hints::default());
//! let mut replayed = from.clone();
//! for op in &ops {
//!     op.apply(&mut replayed).unwrap();
//! }
//! assert_eq!(replayed, to);
//! ```

#[cfg(test)]
mod build;
#[doc(hidden)]
pub mod build_test;
mod diff;
mod model;
mod ops;
mod rename;
mod tables;

pub use diff::{EnumConflict, Hints, diff, enum_conflicts};
pub use model::*;
pub use ops::*;
pub use rename::{
    RenameCandidate, case_only_renames, column_rename_candidates, table_rename_candidates,
};
pub use tables::{TableMut, Tables};
