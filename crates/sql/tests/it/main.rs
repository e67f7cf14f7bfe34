//! The public API of `wildebeest-sql`, one module per function family. Tests are data:
//! each case is an input and its whole expected output.

mod expr;
mod quote;
mod robustness;
mod schema;
mod split;
mod statements;
mod types;

use wildebeest_schema::{Column, Table};
use wildebeest_sql::Dialect;

pub const ALL: [Dialect; 3] = [Dialect::Sqlite, Dialect::Postgres, Dialect::Mysql];

pub use wildebeest_schema::build_test::{col, not_null};

/// A table with these columns and nothing else.
pub fn table(name: &str, columns: Vec<Column>) -> Table {
    Table {
        columns,
        ..Table::new(name)
    }
}
