//! The diff: which ops turn one schema into another, ordered so that they apply.

use crate::model::Schema;
use crate::ops::Op;

/// What the user told the diff that it cannot see: renames.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Hints {
    /// `(old table, new table)`.
    pub table_renames: Vec<(String, String)>,
    /// `(table as named in the new schema, old column, new column)`.
    pub column_renames: Vec<(String, String, String)>,
}

/// The ops that turn `from` into `to`.
pub fn diff(from: &Schema, to: &Schema, hints: &Hints) -> Vec<Op> {
    let _ = (from, to, hints);
    todo!("diff")
}
