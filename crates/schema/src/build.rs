//! Terse builders for tests: `table("emp").col("id", Integer).pk(&["id"]).build()`.

use crate::model::*;

/// A table under construction.
pub(crate) struct TableBuilder(Table);

/// Starts a table.
pub(crate) fn table(name: &str) -> TableBuilder {
    TableBuilder(Table::new(name))
}

fn strings(cols: &[&str]) -> Vec<String> {
    cols.iter().map(|c| c.to_string()).collect()
}

pub(crate) use crate::build_test::{fk, index};

/// A schema of the given tables, normalized.
pub(crate) fn schema(tables: Vec<Table>) -> Schema {
    let mut s = Schema::new();
    for t in tables {
        s.tables.insert(t.name.clone(), t);
    }
    s.normalize();
    s
}

impl TableBuilder {
    /// A nullable column.
    pub(crate) fn col(mut self, name: &str, ty: ColumnType) -> Self {
        self.0.columns.push(Column::new(name, ty));
        self
    }

    /// A `NOT NULL` column.
    pub(crate) fn col_nn(mut self, name: &str, ty: ColumnType) -> Self {
        self.0.columns.push(Column {
            nullable: false,
            ..Column::new(name, ty)
        });
        self
    }

    pub(crate) fn pk(mut self, cols: &[&str]) -> Self {
        self.0.primary_key = Some(PrimaryKey {
            deferral: Default::default(),
            name: None,
            columns: strings(cols),
        });
        self
    }

    pub(crate) fn unique(mut self, cols: &[&str]) -> Self {
        self.0.uniques.push(Unique {
            deferral: Default::default(),
            name: None,
            columns: strings(cols),
        });
        self
    }

    pub(crate) fn fk(mut self, cols: &[&str], ref_table: &str, ref_cols: &[&str]) -> Self {
        self.0.foreign_keys.push(fk(cols, ref_table, ref_cols));
        self
    }

    pub(crate) fn check(mut self, name: Option<&str>, expr: &str) -> Self {
        self.0.checks.push(Check {
            no_inherit: false,
            written: Default::default(),
            name: name.map(Into::into),
            expr: expr.into(),
        });
        self
    }

    /// An index on this table; `unique` and `predicate` as given.
    pub(crate) fn index(
        mut self,
        name: &str,
        cols: &[&str],
        unique: bool,
        predicate: Option<&str>,
    ) -> Self {
        let ix = Index {
            unique,
            predicate: predicate.map(Into::into),
            method: None,
            nulls_not_distinct: false,
            comment: None,
            include: Vec::new(),
            storage: Vec::new(),
            ..index(name, &self.0.name, cols)
        };
        self.0.indexes.push(ix);
        self
    }

    pub(crate) fn build(mut self) -> Table {
        self.0.normalize();
        self.0
    }
}
