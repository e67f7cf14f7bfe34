//! Short builders for model values, shared by the backends' renderer tests (each
//! backend renders the same tables; the builders were written three times).

use crate::{Column, ColumnType, FkAction, ForeignKey, Index};

/// A nullable column.
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

/// `c` with the default expression `d`.
pub fn with_default(mut c: Column, d: &str) -> Column {
    c.default = Some(d.into());
    c
}

/// An unnamed foreign key with no actions.
pub fn fk(columns: &[&str], ref_table: &str, ref_columns: &[&str]) -> ForeignKey {
    ForeignKey {
        name: None,
        columns: columns.iter().map(|s| s.to_string()).collect(),
        ref_table: ref_table.into(),
        ref_columns: ref_columns.iter().map(|s| s.to_string()).collect(),
        on_delete: FkAction::NoAction,
        on_update: FkAction::NoAction,
        deferral: Default::default(),
    }
}

/// A plain (not unique, not partial) index.
pub fn index(name: &str, table: &str, columns: &[&str]) -> Index {
    Index {
        hidden: None,
        name: name.into(),
        table: table.into(),
        columns: columns.iter().map(|s| s.to_string()).collect(),
        unique: false,
        predicate: None,
        method: None,
        nulls_not_distinct: false,
        comment: None,
        include: Vec::new(),
        storage: Vec::new(),
        predicate_written: Default::default(),
    }
}
