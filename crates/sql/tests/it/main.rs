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

/// A table read in the SQLite dialect, whose primary key leaves its columns'
/// nullability as written.
pub fn lite_table(name: &str, columns: Vec<Column>) -> Table {
    let mut t = table(name, columns);
    t.options.nullable_key = true;
    t
}

/// A table with these columns and nothing else.
pub fn table(name: &str, columns: Vec<Column>) -> Table {
    Table {
        columns,
        ..Table::new(name)
    }
}
