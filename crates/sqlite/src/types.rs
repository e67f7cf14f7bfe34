//! Column types as SQLite migration SQL spells them.
//!
//! SQLite accepts any sequence of names as a type and derives the column's affinity
//! from it, so the model's neutral spelling (`VARCHAR(20)`, `DOUBLE PRECISION`,
//! `TIMESTAMP WITH TIME ZONE`) is also valid SQLite and parses back to the same
//! [`ColumnType`].
//!
//! SQLite has no enum types: a column of one (from a PostgreSQL migration file) is
//! `TEXT`, without a check of its values, and the statements about the types
//! themselves do nothing here. [`canonical`] says so when a model is compared with a
//! database.

use wildebeest_schema::{Column, ColumnType, Op, Schema};

/// The type name to write after a column's name; empty for a column declared without
/// a type (`Custom("")`), which SQLite allows. An enum type, or an array of one, is
/// `TEXT`.
pub fn render_type(ty: &ColumnType) -> String {
    match ty {
        // PostgreSQL's serial types: an `INTEGER` primary key is SQLite's rowid,
        // numbered by SQLite (`SERIAL` itself would be a NUMERIC column nothing fills).
        ColumnType::Custom(_) if ty.serial_integer().is_some() => "INTEGER".to_string(),
        ColumnType::Custom(s) => s.trim().to_string(),
        ColumnType::Enum(_) | ColumnType::EnumArray(_) => "TEXT".to_string(),
        other => other.to_string(),
    }
}

/// What `op` loses on SQLite: [`Op::data_loss`], but for a change of a column's type
/// within one type affinity (`VARCHAR(40)` to `VARCHAR(20)`, `INTEGER UNSIGNED` to
/// `BIGINT`), which keeps every stored value as it is: SQLite enforces neither a
/// length nor an integer width. A change across affinities (`TEXT` to `INTEGER`)
/// converts values (`'0123'` becomes `123`) and stays a loss.
pub fn data_loss(op: &Op) -> Option<String> {
    if let Op::AlterColumn { from, to, .. } = op
        && affinity(&from.ty) == affinity(&to.ty)
    {
        return None;
    }
    op.data_loss()
}

/// SQLite's affinity of a declared type, by its rules: `INT` makes INTEGER; `CHAR`,
/// `CLOB` or `TEXT` TEXT; `BLOB` or no type BLOB; `REAL`, `FLOA` or `DOUB` REAL;
/// anything else NUMERIC.
fn affinity(ty: &ColumnType) -> &'static str {
    let name = render_type(ty).to_ascii_uppercase();
    if name.contains("INT") {
        "INTEGER"
    } else if ["CHAR", "CLOB", "TEXT"].iter().any(|w| name.contains(w)) {
        "TEXT"
    } else if name.contains("BLOB") || name.is_empty() {
        "BLOB"
    } else if ["REAL", "FLOA", "DOUB"].iter().any(|w| name.contains(w)) {
        "REAL"
    } else {
        "NUMERIC"
    }
}

/// A column as SQLite keeps it (see [`canonical`]).
pub(crate) fn canonical_column(col: &mut Column) {
    if let ColumnType::Enum(_) | ColumnType::EnumArray(_) = col.ty {
        col.ty = ColumnType::Text;
    }
    if col.auto_increment && matches!(col.ty, ColumnType::SmallInt | ColumnType::BigInt) {
        col.ty = ColumnType::Integer;
    }
    if col.ty.serial_integer().is_some() {
        col.ty = ColumnType::Integer;
    }
    if let Some(d) = &col.default
        && wildebeest_sql::is_now(d)
    {
        col.default = Some("CURRENT_TIMESTAMP".to_string());
    }
    col.generated_always = false;
    col.on_update = None;
    (col.charset, col.comment) = (None, None);
}

/// `schema` as SQLite reports it once created: no enum types, and their columns
/// `TEXT`; no `GENERATED ALWAYS` (an identity column is an `AUTOINCREMENT` one), and
/// an auto-increment column of any integer type `INTEGER` (see `render::column_def`);
/// every index a B-tree (PostgreSQL's `USING gin` has no counterpart), no column
/// `ON UPDATE`, no table or column character sets, comments or engines (MySQL's).
pub fn canonical(schema: &Schema) -> Schema {
    let mut out = schema.clone();
    out.drop_mysql_options();
    out.enums.clear();
    for col in out.tables.values_mut().flat_map(|t| &mut t.columns) {
        canonical_column(col);
    }
    for index in out.tables.values_mut().flat_map(|t| &mut t.indexes) {
        index.method = None;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_type_change_within_an_affinity_loses_nothing() {
        let alter = |a: ColumnType, b: ColumnType| Op::AlterColumn {
            table: "t".into(),
            from: Column::new("c", a),
            to: Column::new("c", b),
        };
        for (a, b, lossy) in [
            (
                ColumnType::Varchar(Some(40)),
                ColumnType::Varchar(Some(20)),
                false,
            ),
            (ColumnType::Text, ColumnType::Char(Some(2)), false),
            (ColumnType::BigInt, ColumnType::SmallInt, false),
            (
                ColumnType::Custom("INTEGER UNSIGNED".into()),
                ColumnType::Integer,
                false,
            ),
            (ColumnType::Double, ColumnType::Real, false),
            (ColumnType::Text, ColumnType::Integer, true),
            (
                ColumnType::Decimal {
                    precision: Some(10),
                    scale: Some(2),
                },
                ColumnType::Integer,
                true,
            ),
        ] {
            let op = alter(a.clone(), b.clone());
            assert!(op.data_loss().is_some(), "{a} -> {b} narrows in the model");
            assert_eq!(data_loss(&op).is_some(), lossy, "{a} -> {b}");
        }
    }

    #[test]
    fn every_type_has_one_spelling() {
        let cases = [
            (ColumnType::SmallInt, "SMALLINT"),
            (ColumnType::Integer, "INTEGER"),
            (ColumnType::BigInt, "BIGINT"),
            (ColumnType::Real, "REAL"),
            (ColumnType::Double, "DOUBLE PRECISION"),
            (
                ColumnType::Decimal {
                    precision: None,
                    scale: None,
                },
                "NUMERIC",
            ),
            (
                ColumnType::Decimal {
                    precision: Some(10),
                    scale: None,
                },
                "NUMERIC(10)",
            ),
            (
                ColumnType::Decimal {
                    precision: Some(10),
                    scale: Some(2),
                },
                "NUMERIC(10, 2)",
            ),
            (ColumnType::Boolean, "BOOLEAN"),
            (ColumnType::Char(None), "CHAR"),
            (ColumnType::Char(Some(3)), "CHAR(3)"),
            (ColumnType::Varchar(None), "VARCHAR"),
            (ColumnType::Varchar(Some(20)), "VARCHAR(20)"),
            (ColumnType::Text, "TEXT"),
            (ColumnType::Blob, "BLOB"),
            (ColumnType::Date, "DATE"),
            (ColumnType::Time, "TIME"),
            (ColumnType::Timestamp, "TIMESTAMP"),
            (ColumnType::TimestampTz, "TIMESTAMP WITH TIME ZONE"),
            (ColumnType::Json, "JSON"),
            (ColumnType::Uuid, "UUID"),
            (ColumnType::Custom("GEOMETRY".into()), "GEOMETRY"),
            (ColumnType::Custom(String::new()), ""),
            (ColumnType::Enum("mood".into()), "TEXT"),
        ];
        for (ty, want) in cases {
            assert_eq!(render_type(&ty), want, "{ty:?}");
        }
    }
}

#[cfg(test)]
mod enum_tests {
    use wildebeest_schema::{Column, Table};

    use super::*;

    #[test]
    fn enum_columns_are_text_and_enum_types_are_gone() {
        let mut s = Schema::new();
        s.enums
            .insert("mood".into(), vec!["sad".into(), "ok".into()]);
        let mut t = Table::new("person");
        t.columns
            .push(Column::new("mood", ColumnType::Enum("mood".into())));
        t.columns.push(Column::new("n", ColumnType::Integer));
        s.tables.insert(t.name.clone(), t);
        let c = canonical(&s);
        assert!(c.enums.is_empty());
        let types: Vec<&ColumnType> = c.tables["person"].columns.iter().map(|c| &c.ty).collect();
        assert_eq!(types, [&ColumnType::Text, &ColumnType::Integer]);
    }
}
