//! Changes to a schema, in two forms.
//!
//! A [`Change`] is what one SQL statement says, by name only (`DROP TABLE department`),
//! as the `sql` crate parses it from a migration file. [`Change::resolve`] looks the
//! named objects up in the schema the statement runs against and yields [`Op`]s, which
//! carry every prior object they destroy or alter, so that [`Op::invert`] needs nothing
//! else (a `DropColumn` knows the whole column it drops).

use crate::model::{Column, ColumnType, Constraint, Index, Table};

/// One statement's intent, by name. Produced by parsing SQL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// `CREATE TABLE`; the table has no indexes (they come as `CreateIndex`).
    CreateTable { table: Table, if_not_exists: bool },
    /// `DROP TABLE`.
    DropTable { name: String, if_exists: bool },
    /// `ALTER TABLE name action, action, ...`.
    AlterTable { table: String, actions: Vec<AlterAction> },
    /// `CREATE [UNIQUE] INDEX`.
    CreateIndex { index: Index, if_not_exists: bool },
    /// `DROP INDEX`.
    DropIndex { name: String, if_exists: bool },
}

/// One action of an `ALTER TABLE` statement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AlterAction {
    /// `RENAME TO new`.
    RenameTable(String),
    /// `ADD COLUMN`, with the constraints written on the column itself
    /// (`REFERENCES`, `UNIQUE`, `CHECK`, `PRIMARY KEY`).
    AddColumn { column: Column, constraints: Vec<Constraint> },
    /// `DROP COLUMN name`.
    DropColumn(String),
    /// `RENAME COLUMN from TO to`.
    RenameColumn { from: String, to: String },
    /// `ALTER COLUMN name ...`.
    AlterColumn { column: String, alter: ColumnAlter },
    /// `ADD [CONSTRAINT name] ...`.
    AddConstraint(Constraint),
    /// `DROP CONSTRAINT name`: the explicit name or [`Constraint::sql_name`].
    DropConstraint(String),
}

/// What `ALTER COLUMN` changes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ColumnAlter {
    /// `TYPE t` / `SET DATA TYPE t`.
    SetType(ColumnType),
    SetNotNull,
    DropNotNull,
    /// `SET DEFAULT expr`, normalized SQL text.
    SetDefault(String),
    DropDefault,
}

/// A resolved change that carries every object it removes or alters, so it can be
/// inverted and applied to a model without looking anything up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Op {
    /// Creates the table and then its indexes.
    CreateTable(Table),
    /// Drops the table (its indexes go with it); carries the whole table.
    DropTable(Table),
    RenameTable { from: String, to: String },
    AddColumn { table: String, column: Column },
    /// Carries the whole dropped column.
    DropColumn { table: String, column: Column },
    RenameColumn { table: String, from: String, to: String },
    /// Changes type, nullability or default of one column; `from.name == to.name`.
    AlterColumn { table: String, from: Column, to: Column },
    AddConstraint { table: String, constraint: Constraint },
    /// Carries the whole dropped constraint.
    DropConstraint { table: String, constraint: Constraint },
    CreateIndex(Index),
    /// Carries the whole dropped index.
    DropIndex(Index),
}

/// Why a change cannot be applied to a schema: the statement names an object that is
/// not there, or creates one that already is.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ApplyError {
    #[error("table `{0}` does not exist")]
    NoSuchTable(String),
    #[error("table `{0}` already exists")]
    TableExists(String),
    #[error("column `{table}.{column}` does not exist")]
    NoSuchColumn { table: String, column: String },
    #[error("column `{table}.{column}` already exists")]
    ColumnExists { table: String, column: String },
    #[error("index `{0}` does not exist")]
    NoSuchIndex(String),
    #[error("index `{0}` already exists")]
    IndexExists(String),
    #[error("table `{table}` has no constraint named `{name}`")]
    NoSuchConstraint { table: String, name: String },
    #[error("table `{table}` has more than one constraint that could be `{name}`; name it explicitly")]
    AmbiguousConstraint { table: String, name: String },
    #[error("table `{0}` already has a primary key")]
    PrimaryKeyExists(String),
    #[error("{0}")]
    Invalid(String),
}
