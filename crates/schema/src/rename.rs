//! Rename candidates: drops and creates in a diff that may be renames.
//!
//! The diff cannot see a rename. A table (or column) only in the old schema and one
//! only in the new schema become a drop and a create, and the drop loses the data.
//! These functions find the pairs that look like renames so the caller can ask the
//! user and pass the accepted ones back to [`diff`](crate::diff) as [`Hints`]. They
//! never choose: every plausible pair is returned, so a dropped table that matches two
//! new ones gives two candidates, and the user decides.
//!
//! Column candidates depend on the table renames (a renamed table's columns are
//! compared with the table under its new name), so a caller asks about tables first,
//! adds the accepted ones to the hints ([`RenameCandidate::add_to`]), and then asks
//! for column candidates with those hints.
//!
//! ```
//! use wildebeest_schema::{
//!     column_rename_candidates, table_rename_candidates, Column, ColumnType, Hints,
//!     RenameCandidate, Schema, Table,
//! };
//!
//! let table = |name: &str, col: &str| {
//!     let mut t = Table::new(name);
//!     t.columns.push(Column::new(col, ColumnType::Text));
//!     t
//! };
//! let mut from = Schema::new();
//! from.tables.insert("department".into(), table("department", "address"));
//! let mut to = Schema::new();
//! to.tables.insert("departments".into(), table("departments", "location"));
//!
//! // Different columns: no table candidate yet.
//! assert!(table_rename_candidates(&from, &to).is_empty());
//! // The user says the table was renamed; now its columns can be paired.
//! let mut hints = Hints::default();
//! RenameCandidate::Table { from: "department".into(), to: "departments".into() }
//!     .add_to(&mut hints);
//! let columns = column_rename_candidates(&from, &to, &hints);
//! assert_eq!(columns.len(), 1);
//! assert_eq!(
//!     columns[0].describe(),
//!     "column departments.address (TEXT) to location (TEXT)"
//! );
//! ```

use std::collections::BTreeMap;

use crate::diff::Hints;
use crate::model::{Column, ColumnType, Schema};
use crate::ops::{Op, column_summary};

/// A table or column the diff would drop, paired with one it would create, that may
/// be the same thing under a new name.
// A migrate finds a handful of candidates at most: their size does not matter, and
// whole columns by value keep them plain to match on.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RenameCandidate {
    /// Table `from`, only in the old schema, may now be table `to`, only in the new one.
    Table { from: String, to: String },
    /// Column `from` may now be column `to`. Both are the whole columns, so that the
    /// caller can show what else changes.
    /// `table` is the table's name in the new schema.
    Column {
        table: String,
        from: Column,
        to: Column,
    },
}

impl RenameCandidate {
    /// The candidate in words, for a prompt (`Did you rename {}?`) or a warning:
    /// `table department to departments`, or
    /// `column departments.address (VARCHAR) to location (VARCHAR NOT NULL)`.
    pub fn describe(&self) -> String {
        match self {
            RenameCandidate::Table { from, to } => format!("table {from} to {to}"),
            RenameCandidate::Column { table, from, to } => format!(
                "column {table}.{} ({}) to {} ({})",
                from.name,
                column_summary(from),
                to.name,
                column_summary(to)
            ),
        }
    }

    /// Records the candidate as accepted: adds it to `hints` in the form
    /// [`diff`](crate::diff) reads.
    pub fn add_to(&self, hints: &mut Hints) {
        match self {
            RenameCandidate::Table { from, to } => {
                hints.table_renames.push((from.clone(), to.clone()));
            }
            RenameCandidate::Column { table, from, to } => {
                hints
                    .column_renames
                    .push((table.clone(), from.name.clone(), to.name.clone()));
            }
        }
    }
}

/// The renames that only change the case of a name, for a database whose names are
/// not case-sensitive (SQLite, MySQL's columns): there `Users` is `users`, so a table or
/// column whose name changes only in case is the same object, never a drop and a
/// create. A table only in `from` whose name matches, ignoring ASCII case, exactly one
/// table only in `to` is renamed to it; then in every table in both (a renamed one
/// under its new name) a column only in the old table is renamed to the one column
/// only in the new table its name matches. Sorted by name, as the maps are.
pub fn case_only_renames(from: &Schema, to: &Schema) -> Hints {
    let mut hints = Hints::default();
    let only = |a: &Schema, b: &Schema| -> Vec<String> {
        a.tables
            .keys()
            .filter(|n| !b.tables.contains_key(*n))
            .cloned()
            .collect()
    };
    let (gone, new) = (only(from, to), only(to, from));
    for old in &gone {
        let mut matches = new.iter().filter(|n| n.eq_ignore_ascii_case(old));
        let back = gone.iter().filter(|o| o.eq_ignore_ascii_case(old)).count();
        if let (Some(n), None, 1) = (matches.next(), matches.next(), back) {
            hints.table_renames.push((old.clone(), n.clone()));
        }
    }
    for (name, b) in &to.tables {
        let old_name = hints
            .table_renames
            .iter()
            .find(|(_, n)| n == name)
            .map_or(name, |(o, _)| o);
        let Some(a) = from.tables.get(old_name) else {
            continue;
        };
        let gone: Vec<&str> = a
            .columns
            .iter()
            .filter(|c| b.column(&c.name).is_none())
            .map(|c| c.name.as_str())
            .collect();
        let added: Vec<&str> = b
            .columns
            .iter()
            .filter(|c| a.column(&c.name).is_none())
            .map(|c| c.name.as_str())
            .collect();
        for old in &gone {
            let mut matches = added.iter().filter(|n| n.eq_ignore_ascii_case(old));
            let back = gone.iter().filter(|o| o.eq_ignore_ascii_case(old)).count();
            if let (Some(n), None, 1) = (matches.next(), matches.next(), back) {
                hints
                    .column_renames
                    .push((name.clone(), old.to_string(), n.to_string()));
            }
        }
    }
    hints
}

/// Pairs `(old, new)` of a table only in `from` and a table only in `to` that have the
/// same columns: the same names, and for each name the same type. Nullability,
/// defaults, collations, constraints, indexes and column order are not compared (a
/// rename often comes with such changes, and the diff makes them after the rename).
///
/// Every matching pair is returned, sorted by `(old, new)`; a table may appear in more
/// than one. Once the user accepts a pair, the caller should not offer the other pairs
/// that name either of its tables.
pub fn table_rename_candidates(from: &Schema, to: &Schema) -> Vec<(String, String)> {
    let shape = |columns: &[Column]| -> BTreeMap<String, ColumnType> {
        columns
            .iter()
            .map(|c| (c.name.clone(), c.ty.clone()))
            .collect()
    };
    let created: Vec<(&String, BTreeMap<String, ColumnType>)> = to
        .tables
        .iter()
        .filter(|(name, _)| !from.tables.contains_key(*name))
        .map(|(name, t)| (name, shape(&t.columns)))
        .collect();
    let mut out = Vec::new();
    for (old, t) in from
        .tables
        .iter()
        .filter(|(n, _)| !to.tables.contains_key(*n))
    {
        let old_shape = shape(&t.columns);
        for (new, new_shape) in &created {
            if *new_shape == old_shape {
                out.push((old.clone(), (*new).clone()));
            }
        }
    }
    // Both maps are walked in name order, so this is already sorted; sorting again
    // keeps the promise independent of how the loops are written.
    out.sort();
    out
}

/// Candidates ([`RenameCandidate::Column`]) for column renames inside the tables in
/// both schemas, where a table renamed by `hints.table_renames` counts as in both
/// (under its new name; a hint that [`diff`](crate::diff) would skip is skipped here
/// too). Each column only in the old table is paired with each column only in the new
/// table whose type is compatible with its own (see below) and that is generated
/// exactly when it is (`Column::generated`); columns that
/// `hints.column_renames` already names on their side are left out.
///
/// Compatible types are equal types, or two types of one family: `SMALLINT`,
/// `INTEGER`, `BIGINT` and `BOOLEAN`; `REAL`, `DOUBLE PRECISION` and `NUMERIC` of any
/// precision; `CHAR`, `VARCHAR` (any length) and `TEXT`; `TIMESTAMP` with and without
/// time zone. Custom types match only the same name (ignoring ASCII case). A change of
/// type within a family is then the diff's business (an `AlterColumn` after the
/// rename, which may narrow).
///
/// Every compatible pair is returned, sorted by table (new name), old column name and
/// new column name.
pub fn column_rename_candidates(from: &Schema, to: &Schema, hints: &Hints) -> Vec<RenameCandidate> {
    // Compare canonical forms as the diff does, so that a candidate's columns are the
    // ones its ops will carry (a primary-key column is NOT NULL).
    let mut old = from.clone();
    old.normalize();
    let mut new = to.clone();
    new.normalize();
    // The table renames the diff makes, by its rule: the new name must be a table of
    // the new schema, and the rename must apply (the old table exists and the new name
    // is free).
    for (a, b) in &hints.table_renames {
        if new.tables.contains_key(b) {
            let rename = Op::RenameTable {
                from: a.clone(),
                to: b.clone(),
            };
            // A rename that does not fit changes nothing and is skipped, as in the diff.
            let _ = rename.apply(&mut old);
        }
    }

    let hinted = |table: &str, column: &str, old_side: bool| {
        hints
            .column_renames
            .iter()
            .any(|(t, a, b)| t == table && if old_side { a == column } else { b == column })
    };
    let mut out: Vec<(String, Column, Column)> = Vec::new();
    for (name, a) in &old.tables {
        let Some(b) = new.tables.get(name) else {
            continue;
        };
        let dropped: Vec<&Column> = a
            .columns
            .iter()
            .filter(|c| b.column(&c.name).is_none() && !hinted(name, &c.name, true))
            .collect();
        let added: Vec<&Column> = b
            .columns
            .iter()
            .filter(|c| a.column(&c.name).is_none() && !hinted(name, &c.name, false))
            .collect();
        for d in &dropped {
            // A generated column holds no values of its own to keep: it pairs only
            // with a generated one, a plain column only with a plain one.
            for c in added.iter().filter(|c| {
                compatible(&d.ty, &c.ty) && d.generated.is_some() == c.generated.is_some()
            }) {
                out.push((name.clone(), (*d).clone(), (*c).clone()));
            }
        }
    }
    out.sort_by(|x, y| (&x.0, &x.1.name, &x.2.name).cmp(&(&y.0, &y.1.name, &y.2.name)));
    out.into_iter()
        .map(|(table, from, to)| RenameCandidate::Column { table, from, to })
        .collect()
}

/// Groups of types a column plausibly keeps its values across when it is renamed.
#[derive(PartialEq, Eq)]
enum Family {
    Integer,
    Real,
    Text,
    Timestamp,
}

/// Whether a column of type `a` may have been renamed to one of type `b`.
fn compatible(a: &ColumnType, b: &ColumnType) -> bool {
    use ColumnType::*;
    let family = |t: &ColumnType| match t {
        // A boolean is stored as an integer by SQLite and MySQL.
        Boolean | SmallInt | Integer | BigInt => Some(Family::Integer),
        Real | Double | Decimal { .. } => Some(Family::Real),
        Char(_) | Varchar(_) | Text => Some(Family::Text),
        Timestamp | TimestampTz => Some(Family::Timestamp),
        // `DATE`, `TIME`, `BLOB`, `JSON` and `UUID` only match themselves.
        _ => None,
    };
    match (a, b) {
        (Custom(x), Custom(y)) => x.eq_ignore_ascii_case(y),
        _ => a == b || family(a).is_some_and(|f| family(b) == Some(f)),
    }
}

#[cfg(test)]
mod tests;
