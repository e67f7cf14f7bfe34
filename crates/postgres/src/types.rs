//! Column types as PostgreSQL spells them, and back.
//!
//! [`render_type`] writes each portable type the one way `wildebeest_sql::parse_type`
//! reads back as the same [`ColumnType`] (`TIMESTAMP WITH TIME ZONE`, `BYTEA`,
//! `NUMERIC(10, 2)`); [`from_format_type`] reads what the catalog's `format_type`
//! reports (`character varying(20)`, `timestamp(3) without time zone`) into the type
//! a `schema.sql` most likely wrote for it.

use wildebeest_schema::{ColumnType, Schema};
use wildebeest_sql::{Dialect, parse_type};

/// `schema` as PostgreSQL reports it once created: no column `ON UPDATE`, no table
/// or column character sets, comments or engines (MySQL's, which PostgreSQL has no
/// clause for), no `STRICT` or `WITHOUT ROWID` (SQLite's).
///
/// Expressions (defaults, checks, index predicates) are read as the catalog prints
/// them back ([`crate::inspect::expression`]): a model written as `pg_dump` writes
/// (`'{}'::jsonb`, `kind = ANY (ARRAY['a'::text])`, `(0)::numeric`) or as people do
/// then compares equal with the database, which drops those casts. An index part's
/// null order is dropped where it is the default (`NULLS LAST` ascending, `NULLS
/// FIRST` descending), as the catalog does.
pub fn canonical(schema: &Schema) -> Schema {
    let mut out = schema.clone();
    out.drop_mysql_options();
    out.drop_sqlite_options();
    for table in out.tables.values_mut() {
        let snapshot = table.clone();
        let families = |name: &str| snapshot.column(name).map(|c| family(&c.ty));
        let expr = |e: &str| crate::inspect::expression(e, &families);
        for col in &mut table.columns {
            col.on_update = None;
            col.default = col.default.as_deref().map(expr);
            // As `render::column_default` writes a boolean's `1` or `0`.
            if col.ty == ColumnType::Boolean
                && let Some(word) = col.default.as_deref().and_then(boolean_word)
            {
                col.default = Some(word.to_string());
            }
        }
        for check in &mut table.checks {
            check.expr = expr(&check.expr);
        }
        for index in &mut table.indexes {
            index.predicate = index.predicate.as_deref().map(expr);
            for part in &mut index.columns {
                *part = default_null_order(part);
            }
        }
        table.normalize();
    }
    out
}

/// An index part without a null order that is the default for its direction.
fn default_null_order(part: &str) -> String {
    if let Some(rest) = part.strip_suffix(" NULLS FIRST") {
        if rest.ends_with(" DESC") {
            return rest.to_string();
        }
    } else if let Some(rest) = part.strip_suffix(" NULLS LAST") {
        let rest = rest.strip_suffix(" ASC").unwrap_or(rest);
        if !rest.ends_with(" DESC") {
            return rest.to_string();
        }
    }
    part.strip_suffix(" ASC").unwrap_or(part).to_string()
}

/// The type name to write after a column's name. `Custom` types are written as they
/// are (`JSONB`, `INET`, `INTEGER[]`); an empty one (a SQLite column without a type)
/// has no PostgreSQL spelling, so it is `None`. An enum type is its name (`mood`,
/// `"Mood"`), an array of one `mood[]`.
pub fn render_type(ty: &ColumnType) -> Option<String> {
    Some(match ty {
        ColumnType::SmallInt => "SMALLINT".into(),
        ColumnType::Integer => "INTEGER".into(),
        ColumnType::BigInt => "BIGINT".into(),
        ColumnType::Real => "REAL".into(),
        ColumnType::Double => "DOUBLE PRECISION".into(),
        ColumnType::Decimal {
            precision: None, ..
        } => "NUMERIC".into(),
        ColumnType::Decimal {
            precision: Some(p),
            scale: None,
        } => format!("NUMERIC({p})"),
        ColumnType::Decimal {
            precision: Some(p),
            scale: Some(s),
        } => format!("NUMERIC({p}, {s})"),
        ColumnType::Boolean => "BOOLEAN".into(),
        ColumnType::Char(None) => "CHAR".into(),
        ColumnType::Char(Some(n)) => format!("CHAR({n})"),
        ColumnType::Varchar(None) => "VARCHAR".into(),
        ColumnType::Varchar(Some(n)) => format!("VARCHAR({n})"),
        ColumnType::Text => "TEXT".into(),
        ColumnType::Blob => "BYTEA".into(),
        ColumnType::Date => "DATE".into(),
        ColumnType::Time => "TIME".into(),
        ColumnType::Timestamp => "TIMESTAMP".into(),
        ColumnType::TimestampTz => "TIMESTAMP WITH TIME ZONE".into(),
        ColumnType::Json => "JSON".into(),
        ColumnType::Uuid => "UUID".into(),
        ColumnType::Enum(name) => wildebeest_sql::quote_ident(name, Dialect::Postgres),
        ColumnType::EnumArray(name) => {
            format!("{}[]", wildebeest_sql::quote_ident(name, Dialect::Postgres))
        }
        ColumnType::Custom(s) => {
            let s = s.trim();
            if s.is_empty() {
                return None;
            }
            s.to_string()
        }
    })
}

/// The type for a statement written for another database: the names SQLite and MySQL
/// files commonly use that PostgreSQL lacks become their PostgreSQL equivalents
/// (`DATETIME` is `TIMESTAMP`, `LONGTEXT` is `TEXT`, a SQLite column without a type is
/// `TEXT`); every other type is kept.
pub(crate) fn foreign_type(ty: &ColumnType) -> ColumnType {
    let ColumnType::Custom(name) = ty else {
        return ty.clone();
    };
    match name.trim() {
        "" | "TINYTEXT" | "MEDIUMTEXT" | "LONGTEXT" | "CLOB" => ColumnType::Text,
        "DATETIME" => ColumnType::Timestamp,
        "TINYBLOB" | "MEDIUMBLOB" | "LONGBLOB" => ColumnType::Blob,
        "TINYINT" | "TINYINT(1)" => ColumnType::SmallInt,
        "MEDIUMINT" => ColumnType::Integer,
        other => match other.strip_prefix("DATETIME(") {
            Some(rest) => ColumnType::Custom(format!("TIMESTAMP({rest}")),
            None => ty.clone(),
        },
    }
}

/// The model's type for what `format_type` reports. The catalog has one spelling for
/// each type; where `schema.sql` can write one type two ways, the shorter is taken
/// (`numeric(10,0)` is `NUMERIC(10)`, `timestamp(3) without time zone` is
/// `TIMESTAMP(3)`), so that the common spelling compares equal.
pub(crate) fn from_format_type(text: &str) -> ColumnType {
    let trimmed = text.trim();
    let text = trimmed
        .strip_suffix(" without time zone")
        .unwrap_or(trimmed);
    match parse_type(text, Dialect::Postgres) {
        Ok(ColumnType::Decimal {
            precision: Some(p),
            scale: Some(0),
        }) => ColumnType::Decimal {
            precision: Some(p),
            scale: None,
        },
        Ok(ty) => ty,
        // Every catalog spelling parses; should one not, keep it as it is.
        Err(_) => ColumnType::Custom(text.to_ascii_uppercase()),
    }
}

/// The serial pseudo-type for an integer type whose column takes its values from a
/// sequence it owns: `SERIAL`, `BIGSERIAL`, `SMALLSERIAL`.
pub(crate) fn serial_type(ty: &ColumnType) -> Option<ColumnType> {
    ty.serial_of()
}

/// Whether a column of this type can be an identity column.
pub(crate) fn is_integer(ty: &ColumnType) -> bool {
    matches!(
        ty,
        ColumnType::SmallInt | ColumnType::Integer | ColumnType::BigInt
    )
}

/// The family a type belongs to, for deciding which conversions PostgreSQL makes on
/// its own (an assignment cast) and which need `USING`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Family {
    Number,
    String,
    DateTime,
    Other,
}

pub(crate) fn family(ty: &ColumnType) -> Family {
    use ColumnType::*;
    match ty {
        SmallInt | Integer | BigInt | Real | Double | Decimal { .. } => Family::Number,
        Char(_) | Varchar(_) | Text => Family::String,
        Date | Timestamp | TimestampTz => Family::DateTime,
        _ => Family::Other,
    }
}

/// The range of values an integer type holds.
pub(crate) fn integer_range(ty: &ColumnType) -> Option<(i64, i64)> {
    match ty {
        ColumnType::SmallInt => Some((i16::MIN.into(), i16::MAX.into())),
        ColumnType::Integer => Some((i32::MIN.into(), i32::MAX.into())),
        ColumnType::BigInt => Some((i64::MIN, i64::MAX)),
        _ => None,
    }
}

/// `true` or `false` for a boolean default written as a number (`1`, `0`, `'1'`,
/// `'0'`), as SQLite and MySQL spell them; `None` for anything else.
pub(crate) fn boolean_word(expr: &str) -> Option<&'static str> {
    match expr.trim().trim_matches('\'') {
        "1" => Some("true"),
        "0" => Some("false"),
        _ => None,
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// Every portable type, with its PostgreSQL spelling and what `format_type`
    /// reports for a column of it.
    pub(crate) fn every_type() -> Vec<(ColumnType, &'static str, &'static str)> {
        let dec = |p, s| ColumnType::Decimal {
            precision: p,
            scale: s,
        };
        vec![
            (ColumnType::SmallInt, "SMALLINT", "smallint"),
            (ColumnType::Integer, "INTEGER", "integer"),
            (ColumnType::BigInt, "BIGINT", "bigint"),
            (ColumnType::Real, "REAL", "real"),
            (ColumnType::Double, "DOUBLE PRECISION", "double precision"),
            (dec(None, None), "NUMERIC", "numeric"),
            (dec(Some(10), None), "NUMERIC(10)", "numeric(10,0)"),
            (dec(Some(10), Some(2)), "NUMERIC(10, 2)", "numeric(10,2)"),
            (ColumnType::Boolean, "BOOLEAN", "boolean"),
            (ColumnType::Char(Some(3)), "CHAR(3)", "character(3)"),
            (ColumnType::Varchar(None), "VARCHAR", "character varying"),
            (
                ColumnType::Varchar(Some(20)),
                "VARCHAR(20)",
                "character varying(20)",
            ),
            (ColumnType::Text, "TEXT", "text"),
            (ColumnType::Blob, "BYTEA", "bytea"),
            (ColumnType::Date, "DATE", "date"),
            (ColumnType::Time, "TIME", "time without time zone"),
            (
                ColumnType::Timestamp,
                "TIMESTAMP",
                "timestamp without time zone",
            ),
            (
                ColumnType::TimestampTz,
                "TIMESTAMP WITH TIME ZONE",
                "timestamp with time zone",
            ),
            (ColumnType::Json, "JSON", "json"),
            (ColumnType::Uuid, "UUID", "uuid"),
            (ColumnType::Custom("JSONB".into()), "JSONB", "jsonb"),
            (ColumnType::Custom("INET".into()), "INET", "inet"),
            (
                ColumnType::Custom("TIMESTAMP(3)".into()),
                "TIMESTAMP(3)",
                "timestamp(3) without time zone",
            ),
            (
                ColumnType::Custom("INTEGER[]".into()),
                "INTEGER[]",
                "integer[]",
            ),
        ]
    }

    #[test]
    fn every_type_renders_parses_and_introspects_as_itself() {
        for (ty, sql, catalog) in every_type() {
            assert_eq!(render_type(&ty).as_deref(), Some(sql), "{ty:?}");
            assert_eq!(parse_type(sql, Dialect::Postgres), Ok(ty.clone()), "{sql}");
            assert_eq!(from_format_type(catalog), ty, "{catalog}");
        }
    }

    #[test]
    fn types_with_two_spellings_introspect_as_one() {
        // `CHAR` is `CHAR(1)` in PostgreSQL; the catalog cannot tell which was written.
        assert_eq!(
            render_type(&ColumnType::Char(None)).as_deref(),
            Some("CHAR")
        );
        assert_eq!(from_format_type("character(1)"), ColumnType::Char(Some(1)));
        assert_eq!(
            from_format_type("scratch.mood"),
            ColumnType::Custom("SCRATCH.MOOD".into())
        );
    }

    /// A SQLite-dialect migration's `STRICT` table is made without it here: `check`,
    /// which compares the option, must not call that drift.
    #[test]
    fn canonical_drops_strict_and_without_rowid() {
        let (schema, _) = wildebeest_sql::parse_schema(
            "CREATE TABLE t (id INTEGER PRIMARY KEY) STRICT, WITHOUT ROWID;",
            "schema.sql",
            Dialect::Sqlite,
        )
        .unwrap();
        assert!(schema.tables["t"].options.strict);
        let options = &canonical(&schema).tables["t"].options;
        assert!(!options.strict && !options.without_rowid);
    }

    #[test]
    fn a_column_without_a_type_has_no_postgres_spelling() {
        assert_eq!(render_type(&ColumnType::Custom(" ".into())), None);
    }

    #[test]
    fn foreign_types_become_postgres_types() {
        let custom = |s: &str| ColumnType::Custom(s.into());
        let cases = [
            (custom("DATETIME"), ColumnType::Timestamp),
            (custom("DATETIME(6)"), custom("TIMESTAMP(6)")),
            (custom(""), ColumnType::Text),
            (custom("LONGTEXT"), ColumnType::Text),
            (custom("MEDIUMBLOB"), ColumnType::Blob),
            (custom("GEOMETRY"), custom("GEOMETRY")),
            (ColumnType::Integer, ColumnType::Integer),
        ];
        for (from, to) in cases {
            assert_eq!(foreign_type(&from), to, "{from:?}");
        }
    }

    #[test]
    fn serial_types_follow_their_integer_type() {
        assert_eq!(
            serial_type(&ColumnType::BigInt),
            Some(ColumnType::Custom("BIGSERIAL".into()))
        );
        assert_eq!(serial_type(&ColumnType::Text), None);
    }
}
