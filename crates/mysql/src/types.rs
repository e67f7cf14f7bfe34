//! Column types as MySQL spells them, and back.
//!
//! One rule holds both ways: the type MySQL SQL is written with parses (with
//! `wildebeest_sql::parse_type` in the MySQL dialect) to the type it was rendered from,
//! and a column the database reports is read as the parser would read its `COLUMN_TYPE`.
//! So a migration file written for MySQL, the model replayed from it, and the
//! introspected database all agree. Where MySQL has no type of the model's meaning,
//! [`render_type`] picks the nearest one and [`stored_type`] says what reading the
//! column back gives:
//!
//! | model | MySQL | read back |
//! |---|---|---|
//! | `Real` | `FLOAT` (4 bytes; in MySQL the parser reads `FLOAT` as `Real` and `REAL` as `Double`) | `Real` |
//! | `Double` | `DOUBLE` | `Double` |
//! | `SmallInt` | `SMALLINT`; MySQL's `TINYINT` and `MEDIUMINT` stay custom types | `SmallInt` |
//! | `Decimal` without precision | `DECIMAL`, which MySQL makes `DECIMAL(10, 0)`: fractions are rounded away | `Decimal(10, 0)` |
//! | `Decimal(p)` | `DECIMAL(p)` = `DECIMAL(p, 0)` | `Decimal(p, 0)` |
//! | `Boolean` | `BOOLEAN` = `TINYINT(1)` | `Boolean` |
//! | `Char` without length | `CHAR` = `CHAR(1)` | `Char(1)` |
//! | `Varchar` without length | `VARCHAR(255)` (MySQL needs a length) | `Varchar(255)` |
//! | `Text`, `Blob` | `TEXT`, `BLOB`: at most 64 KiB; `LONGTEXT`/`LONGBLOB` stay custom types | same |
//! | `Timestamp` | `TIMESTAMP` (the parser reads `DATETIME` as a custom type; see below) | `Timestamp` |
//! | `TimestampTz` | `TIMESTAMP`, which MySQL keeps in UTC and shows in the session's time zone | `Timestamp` |
//! | `Json` | `JSON` (MariaDB: `LONGTEXT` with a `json_valid` check, read back as `Json`) | `Json` |
//! | `Uuid` | `CHAR(36)` (MariaDB 10.7+ has `UUID`, MySQL has not) | `Char(36)` |
//!
//! An enum type (from a PostgreSQL migration file) has no name in MySQL: a column of
//! one is `ENUM('a', 'b')` with the type's labels, which only the schema knows, so
//! `render_op` writes it from the schema and [`canonical`] maps it so. Alone,
//! [`render_type`] can only write `TEXT` for it.
//!
//! MySQL's `TIMESTAMP` holds 1970 to 2038 only; a column that needs other dates should
//! be declared `DATETIME` in `schema.sql`, which stays that custom type throughout.
//! Integer display widths (`int(11)`) carry no meaning and are ignored, but
//! `tinyint(1)` is how MySQL stores `BOOLEAN`, so it reads back as `Boolean`.

use wildebeest_schema::ColumnType;
use wildebeest_sql::{Dialect, normalize_expr, parse_type};

/// The length a `VARCHAR` without one gets: MySQL requires a length, and 255
/// characters is the longest that every row format indexes whole.
pub const DEFAULT_VARCHAR_LENGTH: u32 = 255;

/// The type name to write after a column's name in MySQL SQL.
pub fn render_type(ty: &ColumnType) -> String {
    match ty {
        ColumnType::SmallInt => "SMALLINT".into(),
        ColumnType::Integer => "INT".into(),
        ColumnType::BigInt => "BIGINT".into(),
        ColumnType::Real => "FLOAT".into(),
        ColumnType::Double => "DOUBLE".into(),
        ColumnType::Decimal {
            precision: None, ..
        } => "DECIMAL".into(),
        ColumnType::Decimal {
            precision: Some(p),
            scale: None,
        } => format!("DECIMAL({p})"),
        ColumnType::Decimal {
            precision: Some(p),
            scale: Some(s),
        } => format!("DECIMAL({p}, {s})"),
        ColumnType::Boolean => "BOOLEAN".into(),
        ColumnType::Char(None) => "CHAR".into(),
        ColumnType::Char(Some(n)) => format!("CHAR({n})"),
        ColumnType::Varchar(n) => format!("VARCHAR({})", n.unwrap_or(DEFAULT_VARCHAR_LENGTH)),
        ColumnType::Text => "TEXT".into(),
        ColumnType::Blob => "BLOB".into(),
        ColumnType::Date => "DATE".into(),
        ColumnType::Time => "TIME".into(),
        ColumnType::Timestamp | ColumnType::TimestampTz => "TIMESTAMP".into(),
        ColumnType::Json => "JSON".into(),
        ColumnType::Uuid => "CHAR(36)".into(),
        // The labels are the schema's; see `enum_type`. An array of an enum type
        // (PostgreSQL's) holds its text form.
        ColumnType::Enum(_) | ColumnType::EnumArray(_) => "TEXT".into(),
        ColumnType::Custom(s) => s.trim().to_string(),
    }
}

/// The MySQL column type for an enum type with `labels`: `ENUM('a', 'b')`, as a
/// `Custom` type spelled the way the parser reads MySQL's `COLUMN_TYPE` back.
pub(crate) fn enum_type(labels: &[String]) -> ColumnType {
    let quoted: Vec<String> = labels
        .iter()
        .map(|l| wildebeest_sql::quote_literal(l))
        .collect();
    let text = format!("ENUM({})", quoted.join(", "));
    parse_type(&text, Dialect::Mysql).unwrap_or(ColumnType::Custom(text))
}

/// `ty` with an enum type of `schema` as MySQL's `ENUM(...)` of its labels; `None`
/// for an enum type `schema` lacks.
pub(crate) fn inline_enum(
    ty: &ColumnType,
    schema: &wildebeest_schema::Schema,
) -> Option<ColumnType> {
    match ty {
        ColumnType::Enum(name) => schema.enums.get(name).map(|l| enum_type(l)),
        other => Some(other.clone()),
    }
}

/// The type a column declared as `ty` (written with [`render_type`]) has when the
/// database is read back: `ty` itself, except for the mappings in the module's table.
/// Compare a model with an introspected schema through this when the model may hold
/// types MySQL does not have.
pub fn stored_type(ty: &ColumnType) -> ColumnType {
    match ty {
        ColumnType::Decimal {
            precision: None, ..
        } => ColumnType::Decimal {
            precision: Some(10),
            scale: Some(0),
        },
        ColumnType::Decimal {
            precision: Some(p),
            scale: None,
        } => ColumnType::Decimal {
            precision: Some(*p),
            scale: Some(0),
        },
        ColumnType::Char(None) => ColumnType::Char(Some(1)),
        ColumnType::Varchar(None) => ColumnType::Varchar(Some(DEFAULT_VARCHAR_LENGTH)),
        ColumnType::TimestampTz => ColumnType::Timestamp,
        ColumnType::Uuid => ColumnType::Char(Some(36)),
        ColumnType::EnumArray(_) => ColumnType::Text,
        other => other.clone(),
    }
}

/// The model's type of a column as `information_schema.COLUMNS` reports it:
/// `column_type` is `COLUMN_TYPE` (`int(11) unsigned`, `varchar(20)`), `data_type` is
/// `DATA_TYPE` (`int`, `varchar`).
pub(crate) fn inspect_type(column_type: &str, data_type: &str) -> ColumnType {
    let column_type = column_type.trim();
    let data_type = data_type.trim().to_ascii_lowercase();
    if column_type.eq_ignore_ascii_case("tinyint(1)") {
        return ColumnType::Boolean;
    }
    let text = strip_display_width(column_type, &data_type);
    parse_type(&text, Dialect::Mysql).unwrap_or_else(|_| ColumnType::Custom(text.to_uppercase()))
}

/// `int(11) unsigned` without its display width: `int unsigned`. Only integer types
/// (and `year`) have a display width; other parentheses are lengths or values.
fn strip_display_width(column_type: &str, data_type: &str) -> String {
    let integer = matches!(
        data_type,
        "tinyint" | "smallint" | "mediumint" | "int" | "integer" | "bigint" | "year"
    );
    if !integer {
        return column_type.to_string();
    }
    match (column_type.find('('), column_type.find(')')) {
        (Some(open), Some(close)) if open < close => {
            let rest = column_type[close + 1..].trim();
            let head = column_type[..open].trim_end();
            if rest.is_empty() {
                head.to_string()
            } else {
                format!("{head} {rest}")
            }
        }
        _ => column_type.to_string(),
    }
}

/// MySQL stores a boolean's default as a number: `0` and `1` as the model writes
/// `false` and `true`; `None` for any other default.
pub(crate) fn boolean_default(default: &str) -> Option<String> {
    let word = match default {
        "0" => "false",
        "1" => "true",
        _ => return None,
    };
    Some(normalize_expr(word, Dialect::Mysql).unwrap_or_else(|_| word.to_string()))
}

/// `schema` as MySQL reports it once created: stored types ([`stored_type`]), enum
/// columns as `ENUM(...)` of their type's labels and no enum types, unique indexes on
/// plain columns as unique constraints (MySQL keeps no difference), primary keys unnamed (MySQL calls
/// each one `PRIMARY`), no `GENERATED ALWAYS` (an identity column is an
/// `AUTO_INCREMENT` one), a boolean's default `0`/`1` as `false`/`true`, every index a
/// B-tree (PostgreSQL's `USING gin` has no counterpart), no index that MySQL makes
/// for a foreign key ([`wildebeest_sql::drop_fk_indexes`]), no foreign key deferral,
/// no `STRICT` or `WITHOUT ROWID` (SQLite's). A foreign key action written as no
/// clause stays [`wildebeest_schema::FkAction::Unspecified`]: what it is stored as depends on the
/// server (MySQL `NO ACTION`, MariaDB `RESTRICT`), which the backend's
/// `Backend::canonical` knows and this form, for comparisons without a database,
/// does not.
pub fn canonical(schema: &wildebeest_schema::Schema) -> wildebeest_schema::Schema {
    use wildebeest_schema::Unique;
    let mut out = schema.clone();
    let enums = std::mem::take(&mut out.enums);
    out.drop_sqlite_options();
    for table in out.tables.values_mut() {
        for col in &mut table.columns {
            col.ty = match &col.ty {
                ColumnType::Enum(name) => match enums.get(name) {
                    Some(labels) => enum_type(labels),
                    None => col.ty.clone(),
                },
                // As `render::column_def` writes it.
                other if other.serial_integer().is_some() => {
                    col.auto_increment = true;
                    stored_type(&other.serial_integer().unwrap_or(ColumnType::Integer))
                }
                // A type SQLite keeps as declared (`NVARCHAR(40)`) as MySQL reads it.
                other => {
                    if col.charset.is_none() && is_national(other) {
                        col.charset = Some("utf8mb3".to_string());
                    }
                    stored_type(&wildebeest_sql::retype(other, Dialect::Mysql))
                }
            };
            col.generated_always = false;
            // With its precision, which MySQL keeps: `DATETIME(6)`'s `now(6)` is
            // `CURRENT_TIMESTAMP(6)`.
            if let Some(now) = col
                .default
                .as_deref()
                .and_then(wildebeest_sql::current_timestamp)
            {
                col.default = Some(now);
            }
            // `DEFAULT 1` and `DEFAULT true` are one default, which reads back as `true`.
            if col.ty == ColumnType::Boolean
                && let Some(word) = col.default.as_deref().and_then(boolean_default)
            {
                col.default = Some(word);
            }
        }
        if let Some(pk) = &mut table.primary_key {
            pk.name = None;
        }
        for fk in &mut table.foreign_keys {
            // MySQL has no deferral; its renderer leaves it out.
            fk.deferral = wildebeest_schema::Deferral::NotDeferrable;
        }
        // Another database's access method (`gist`) is not MySQL's; MySQL's own kinds
        // of index are kept.
        for index in &mut table.indexes {
            index.method = index
                .method
                .take()
                .map(|m| m.to_ascii_uppercase())
                .filter(|m| m == "FULLTEXT" || m == "SPATIAL");
        }
        wildebeest_sql::drop_fk_indexes(table);
        // A part that is one of the table's columns, whatever its name holds (a space,
        // a quote); an expression or a part with a direction is none.
        let names: Vec<String> = table.columns.iter().map(|c| c.name.clone()).collect();
        let plain = |c: &str| names.iter().any(|n| n == c);
        let (as_unique, keep): (Vec<_>, Vec<_>) = std::mem::take(&mut table.indexes)
            .into_iter()
            .partition(|ix| {
                ix.unique && ix.predicate.is_none() && ix.columns.iter().all(|c| plain(c))
            });
        table.indexes = keep;
        for ix in as_unique {
            table.uniques.push(Unique {
                deferral: Default::default(),
                name: Some(ix.name),
                columns: ix.columns,
            });
        }
        table.normalize();
    }
    // A view's query in the form MySQL stores it, knowing the tables' and views'
    // columns: every name quoted and qualified.
    wildebeest_sql::canonical_views(&mut out, Dialect::Mysql);
    out
}

/// Whether `ty` is a type SQLite keeps as declared that MySQL reads as a string in
/// its national character set (`NVARCHAR(40)`, `NCHAR(2)`, `NATIONAL VARCHAR(40)`):
/// `utf8mb3`, as MySQL makes such a column of a `CREATE TABLE` written for it.
pub(crate) fn is_national(ty: &ColumnType) -> bool {
    let ColumnType::Custom(text) = ty else {
        return false;
    };
    let t = text.trim_start().to_ascii_uppercase();
    t.starts_with("NVARCHAR") || t.starts_with("NCHAR") || t.starts_with("NATIONAL ")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A SQLite-dialect migration's `STRICT` table is made without it here: `check`,
    /// which compares the option, must not call that drift.
    #[test]
    fn canonical_drops_strict_and_without_rowid() {
        let (schema, _) = wildebeest_sql::parse_schema(
            "CREATE TABLE t (id INTEGER PRIMARY KEY) STRICT, WITHOUT ROWID;",
            "schema.sql",
            wildebeest_sql::Dialect::Sqlite,
        )
        .unwrap();
        assert!(schema.tables["t"].options.strict);
        let options = &canonical(&schema).tables["t"].options;
        assert!(!options.strict && !options.without_rowid);
    }

    fn all_types() -> Vec<ColumnType> {
        use ColumnType::*;
        vec![
            SmallInt,
            Integer,
            BigInt,
            Real,
            Double,
            Decimal {
                precision: None,
                scale: None,
            },
            Decimal {
                precision: Some(12),
                scale: None,
            },
            Decimal {
                precision: Some(10),
                scale: Some(2),
            },
            Boolean,
            Char(None),
            Char(Some(3)),
            Varchar(None),
            Varchar(Some(20)),
            Text,
            Blob,
            Date,
            Time,
            Timestamp,
            TimestampTz,
            Json,
            Uuid,
            Custom("DATETIME".into()),
            Custom("LONGTEXT".into()),
            Custom("ENUM('a', 'b')".into()),
            Custom("INT UNSIGNED".into()),
            Custom("TINYINT".into()),
            Custom("MEDIUMINT".into()),
        ]
    }

    #[test]
    fn every_type_has_one_spelling() {
        let want = [
            "SMALLINT",
            "INT",
            "BIGINT",
            "FLOAT",
            "DOUBLE",
            "DECIMAL",
            "DECIMAL(12)",
            "DECIMAL(10, 2)",
            "BOOLEAN",
            "CHAR",
            "CHAR(3)",
            "VARCHAR(255)",
            "VARCHAR(20)",
            "TEXT",
            "BLOB",
            "DATE",
            "TIME",
            "TIMESTAMP",
            "TIMESTAMP",
            "JSON",
            "CHAR(36)",
            "DATETIME",
            "LONGTEXT",
            "ENUM('a', 'b')",
            "INT UNSIGNED",
            "TINYINT",
            "MEDIUMINT",
        ];
        let got: Vec<String> = all_types().iter().map(render_type).collect();
        assert_eq!(got, want);
    }

    #[test]
    fn a_rendered_type_parses_back_unless_mysql_lacks_it() {
        for ty in all_types() {
            let parsed = parse_type(&render_type(&ty), Dialect::Mysql).unwrap();
            // MySQL reads a type it lacks, or one without its size, as what it stores.
            let lossy = stored_type(&ty) != ty;
            if lossy {
                assert_eq!(parsed, stored_type(&ty), "{ty:?}");
            }
            assert_eq!(parsed == ty, !lossy, "{ty:?} parsed as {parsed:?}");
        }
    }

    #[test]
    fn what_the_database_reports_reads_back_as_stored_type() {
        // The COLUMN_TYPE and DATA_TYPE MariaDB reports for each of `all_types`.
        let reported = [
            ("smallint(6)", "smallint"),
            ("int(11)", "int"),
            ("bigint(20)", "bigint"),
            ("float", "float"),
            ("double", "double"),
            ("decimal(10,0)", "decimal"),
            ("decimal(12,0)", "decimal"),
            ("decimal(10,2)", "decimal"),
            ("tinyint(1)", "tinyint"),
            ("char(1)", "char"),
            ("char(3)", "char"),
            ("varchar(255)", "varchar"),
            ("varchar(20)", "varchar"),
            ("text", "text"),
            ("blob", "blob"),
            ("date", "date"),
            ("time", "time"),
            ("timestamp", "timestamp"),
            ("timestamp", "timestamp"),
            ("json", "json"),
            ("char(36)", "char"),
            ("datetime", "datetime"),
            ("longtext", "longtext"),
            ("enum('a','b')", "enum"),
            ("int(10) unsigned", "int"),
            ("tinyint(4)", "tinyint"),
            ("mediumint(9)", "mediumint"),
        ];
        for (ty, (column_type, data_type)) in all_types().iter().zip(reported) {
            assert_eq!(
                inspect_type(column_type, data_type),
                stored_type(ty),
                "{column_type}"
            );
        }
    }

    #[test]
    fn enum_columns_are_mysql_enums_of_their_labels() {
        use wildebeest_schema::{Column, Schema, Table};
        let mut s = Schema::new();
        s.enums
            .insert("mood".into(), vec!["sad".into(), "it's".into()]);
        let mut t = Table::new("person");
        t.columns
            .push(Column::new("mood", ColumnType::Enum("mood".into())));
        s.tables.insert(t.name.clone(), t);
        let c = canonical(&s);
        assert!(c.enums.is_empty());
        let want = inspect_type("enum('sad','it''s')", "enum");
        assert_eq!(c.tables["person"].columns[0].ty, want);
        assert_eq!(want, ColumnType::Custom("ENUM('sad', 'it''s')".into()));
        assert_eq!(render_type(&want), "ENUM('sad', 'it''s')");
    }

    /// A migration written before the index behind a foreign key was no index of its
    /// own (`CREATE INDEX fk_b_a ON b (a_id)` after the table) replays with it; the
    /// comparison with schema.sql and the database goes without it.
    #[test]
    fn the_index_behind_a_foreign_key_is_not_compared() {
        use wildebeest_schema::{ForeignKey, Index, Schema, Table};
        let mut t = Table::new("b");
        t.columns
            .push(wildebeest_schema::Column::new("a_id", ColumnType::Integer));
        t.foreign_keys.push(ForeignKey {
            name: Some("fk_b_a".into()),
            columns: vec!["a_id".into()],
            ref_table: "a".into(),
            ref_columns: vec!["id".into()],
            on_delete: Default::default(),
            on_update: Default::default(),
            deferral: Default::default(),
        });
        t.indexes.push(Index {
            hidden: None,
            name: "fk_b_a".into(),
            table: "b".into(),
            columns: vec!["a_id".into()],
            unique: false,
            predicate: None,
            method: None,
            nulls_not_distinct: false,
            comment: None,
            include: Vec::new(),
            storage: Vec::new(),
            predicate_written: Default::default(),
        });
        let mut s = Schema::new();
        s.tables.insert(t.name.clone(), t);
        assert!(canonical(&s).tables["b"].indexes.is_empty());
    }

    /// A SQLite or PostgreSQL schema's deferred key is a plain key on MySQL.
    #[test]
    fn a_foreign_keys_deferral_is_not_compared() {
        use wildebeest_schema::{Deferral, ForeignKey, Schema, Table, build_test::fk};
        let mut t = Table::new("b");
        t.foreign_keys.push(ForeignKey {
            deferral: Deferral::InitiallyDeferred,
            ..fk(&["a_id"], "a", &["id"])
        });
        let mut s = Schema::new();
        s.tables.insert(t.name.clone(), t);
        assert_eq!(
            canonical(&s).tables["b"].foreign_keys,
            [fk(&["a_id"], "a", &["id"])]
        );
    }

    #[test]
    fn a_boolean_default_of_0_or_1_is_false_or_true() {
        use wildebeest_schema::{Column, Schema, Table};
        let column = |ty: ColumnType, default: &str| Column {
            default: Some(default.into()),
            ..Column::new("c", ty)
        };
        let mut t = Table::new("t");
        t.columns = vec![
            column(ColumnType::Boolean, "1"),
            column(ColumnType::Boolean, "0"),
            column(ColumnType::Boolean, "true"),
            column(ColumnType::SmallInt, "1"),
        ];
        let mut s = Schema::new();
        s.tables.insert(t.name.clone(), t);
        let defaults: Vec<Option<String>> = canonical(&s).tables["t"]
            .columns
            .iter()
            .map(|c| c.default.clone())
            .collect();
        let word = |w: &str| Some(wildebeest_sql::normalize_expr(w, Dialect::Mysql).unwrap());
        assert_eq!(
            defaults,
            [
                word("true"),
                word("false"),
                Some("true".into()),
                Some("1".into())
            ]
        );
    }

    /// Regression: `DEFAULT CURRENT_TIMESTAMP(6)` lost its precision here, so the
    /// migration wrote `DEFAULT CURRENT_TIMESTAMP` and a change of it to `(2)` was
    /// no change.
    #[test]
    fn a_current_timestamp_default_keeps_its_precision() {
        use wildebeest_schema::{Column, Schema, Table};
        let column = |default: &str| Column {
            default: Some(default.into()),
            ..Column::new("c", ColumnType::Custom("DATETIME(6)".into()))
        };
        let mut t = Table::new("t");
        t.columns = [
            "CURRENT_TIMESTAMP(6)",
            "now(3)",
            "now()",
            "(now())",
            "CURRENT_TIMESTAMP(0)",
            "localtimestamp",
        ]
        .into_iter()
        .map(column)
        .collect();
        let mut s = Schema::new();
        s.tables.insert(t.name.clone(), t);
        let defaults: Vec<Option<String>> = canonical(&s).tables["t"]
            .columns
            .iter()
            .map(|c| c.default.clone())
            .collect();
        let now = |p: &str| Some(format!("CURRENT_TIMESTAMP{p}"));
        assert_eq!(
            defaults,
            [now("(6)"), now("(3)"), now(""), now(""), now(""), now("")]
        );
    }

    #[test]
    fn display_widths_are_ignored_but_boolean_is_kept() {
        let cases = [
            (
                "tinyint(4)",
                "tinyint",
                ColumnType::Custom("TINYINT".into()),
            ),
            ("float", "float", ColumnType::Real),
            ("double", "double", ColumnType::Double),
            ("tinyint(1)", "tinyint", ColumnType::Boolean),
            (
                "mediumint(9)",
                "mediumint",
                ColumnType::Custom("MEDIUMINT".into()),
            ),
            ("int", "int", ColumnType::Integer),
            (
                "bigint(20) unsigned zerofill",
                "bigint",
                ColumnType::Custom("BIGINT UNSIGNED ZEROFILL".into()),
            ),
            ("year(4)", "year", ColumnType::Custom("YEAR".into())),
            // MariaDB's native `uuid`: the MySQL dialect reads UUID as CHAR(36).
            ("uuid", "uuid", ColumnType::Char(Some(36))),
            ("bit(1)", "bit", ColumnType::Custom("BIT(1)".into())),
        ];
        for (column_type, data_type, want) in cases {
            assert_eq!(inspect_type(column_type, data_type), want, "{column_type}");
        }
    }
}
