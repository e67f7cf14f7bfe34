//! The public API of `wildebeest-sql`, one module per function family. Tests are data:
//! each case is an input and its whole expected output.

mod expr;
mod quote;
mod robustness;
mod schema;
mod split;
mod statements;
mod types;

use wildebeest_schema::{Column, ColumnType, Table};
use wildebeest_sql::Dialect;

pub const ALL: [Dialect; 3] = [Dialect::Sqlite, Dialect::Postgres, Dialect::Mysql];

/// A nullable column without default.
pub fn col(name: &str, ty: ColumnType) -> Column {
    Column::new(name, ty)
}

/// A `NOT NULL` column.
pub fn not_null(name: &str, ty: ColumnType) -> Column {
    Column {
        nullable: false,
        ..Column::new(name, ty)
    }
}

/// A table with these columns and nothing else.
pub fn table(name: &str, columns: Vec<Column>) -> Table {
    Table {
        columns,
        ..Table::new(name)
    }
}
