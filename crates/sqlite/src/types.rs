//! Column types as SQLite migration SQL spells them.
//!
//! SQLite accepts any sequence of names as a type and derives the column's affinity
//! from it, so the model's neutral spelling (`VARCHAR(20)`, `DOUBLE PRECISION`,
//! `TIMESTAMP WITH TIME ZONE`) is also valid SQLite and parses back to the same
//! [`ColumnType`].

use wildebeest_schema::ColumnType;

/// The type name to write after a column's name; empty for a column declared without
/// a type (`Custom("")`), which SQLite allows.
pub fn render_type(ty: &ColumnType) -> String {
    match ty {
        ColumnType::Custom(s) => s.trim().to_string(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
        ];
        for (ty, want) in cases {
            assert_eq!(render_type(&ty), want, "{ty:?}");
        }
    }
}
