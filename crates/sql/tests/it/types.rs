use wildebeest_schema::ColumnType::{self, *};
use wildebeest_sql::{Dialect, parse_type};

use crate::ALL;

fn custom(s: &str) -> ColumnType {
    Custom(s.to_string())
}

fn decimal(precision: Option<u32>, scale: Option<u32>) -> ColumnType {
    Decimal { precision, scale }
}

/// Aliases read the same in PostgreSQL and MySQL (SQLite keeps its declared text:
/// `sqlite_keeps_the_declared_type_text`).
#[test]
fn aliases_map_to_one_variant() {
    let cases: &[(&str, ColumnType)] = &[
        ("INT", Integer),
        ("integer", Integer),
        ("INT4", Integer),
        ("MEDIUMINT", Integer),
        ("SMALLINT", SmallInt),
        ("INT2", SmallInt),
        ("TINYINT", SmallInt),
        ("BIGINT", BigInt),
        ("INT8", BigInt),
        ("REAL", Real),
        ("FLOAT4", Real),
        ("DOUBLE", Double),
        ("DOUBLE PRECISION", Double),
        ("double   precision", Double),
        ("FLOAT8", Double),
        ("FLOAT", Double),
        ("NUMERIC", decimal(None, None)),
        ("NUMERIC(10)", decimal(Some(10), None)),
        ("DECIMAL(10,2)", decimal(Some(10), Some(2))),
        ("decimal( 10 , 2 )", decimal(Some(10), Some(2))),
        ("BOOLEAN", Boolean),
        ("BOOL", Boolean),
        ("CHAR", Char(None)),
        ("CHAR(3)", Char(Some(3))),
        ("CHARACTER(5)", Char(Some(5))),
        ("VARCHAR", Varchar(None)),
        ("VARCHAR(20)", Varchar(Some(20))),
        ("CHARACTER VARYING(3)", Varchar(Some(3))),
        ("character varying", Varchar(None)),
        ("NVARCHAR(4)", Varchar(Some(4))),
        ("TEXT", Text),
        ("CLOB", Text),
        ("BLOB", Blob),
        ("BYTEA", Blob),
        ("DATE", Date),
        ("TIME", Time),
        ("TIMESTAMP", Timestamp),
        ("TIMESTAMP WITHOUT TIME ZONE", Timestamp),
        ("TIMESTAMPTZ", TimestampTz),
        ("timestamp with time zone", TimestampTz),
        ("JSON", Json),
        ("UUID", Uuid),
        // Everything else is kept, upper-cased, white space folded, arguments kept.
        ("JSONB", custom("JSONB")),
        ("DATETIME", custom("DATETIME")),
        ("geometry(Point, 4326)", custom("GEOMETRY(POINT, 4326)")),
        ("geometry (Point,4326)", custom("GEOMETRY(POINT, 4326)")),
        ("money", custom("MONEY")),
        ("INT UNSIGNED", custom("INT UNSIGNED")),
        ("FLOAT(10)", custom("FLOAT(10)")),
        ("TIMESTAMP(3)", custom("TIMESTAMP(3)")),
        ("TIME WITH TIME ZONE", custom("TIME WITH TIME ZONE")),
        ("VARCHAR(MAX)", custom("VARCHAR(MAX)")),
        ("ENUM('a','B')", custom("ENUM('a', 'B')")),
        ("\"MyType\"", custom("\"MyType\"")),
    ];
    for dialect in [Dialect::Postgres, Dialect::Mysql] {
        for (input, expect) in cases {
            // MySQL gives sizeless CHAR, VARCHAR and DECIMAL its own defaults, and
            // some names their own meaning.
            let own = (dialect == Dialect::Mysql)
                .then(|| mysql_own(input))
                .flatten();
            let expect = &own.unwrap_or_else(|| mysql_sized(expect, dialect));
            assert_eq!(
                parse_type(input, dialect).as_ref(),
                Ok(expect),
                "{input} in {dialect:?}"
            );
        }
    }
}

#[test]
fn sqlite_reads_any_words_as_a_type_and_no_type_at_all() {
    let cases: &[(&str, ColumnType)] = &[
        ("UNSIGNED BIG INT", custom("UNSIGNED BIG INT")),
        ("native  character(70)", custom("NATIVE CHARACTER(70)")),
        (
            "unsigned big int(10, -2)",
            custom("UNSIGNED BIG INT(10, -2)"),
        ),
        ("", custom("")),
        ("  ", custom("")),
    ];
    for (input, expect) in cases {
        assert_eq!(
            parse_type(input, Dialect::Sqlite).as_ref(),
            Ok(expect),
            "{input}"
        );
    }
}

#[test]
fn unreadable_types_are_errors() {
    let cases: &[(&str, Dialect, &str)] = &[
        ("", Dialect::Postgres, "empty type name"),
        (
            "UNSIGNED BIG INT",
            Dialect::Postgres,
            "cannot read type `UNSIGNED BIG INT`: Expected: EOF, found: big (column 10)",
        ),
        (
            "VARCHAR(",
            Dialect::Mysql,
            "cannot read type `VARCHAR(`: Expected: literal int, found: EOF (column 9)",
        ),
        (
            "INT;",
            Dialect::Sqlite,
            "cannot read type `INT;`: Expected: EOF, found: ; (column 4)",
        ),
    ];
    for (input, dialect, message) in cases {
        assert_eq!(
            parse_type(input, *dialect),
            Err(message.to_string()),
            "{input}"
        );
    }
}

/// What `ColumnType`'s `Display` writes parses back to the same variant, so a type
/// survives a round trip through generated SQL.
#[test]
fn every_variant_survives_display_then_parse() {
    let portable = [
        SmallInt,
        Integer,
        BigInt,
        Real,
        Double,
        decimal(None, None),
        decimal(Some(10), None),
        decimal(Some(10), Some(2)),
        Boolean,
        Char(None),
        Char(Some(1)),
        Varchar(None),
        Varchar(Some(255)),
        Text,
        Blob,
        Date,
        Time,
        Timestamp,
        TimestampTz,
        Json,
        Uuid,
        custom("JSONB"),
        custom("DATETIME"),
        custom("GEOMETRY(POINT, 4326)"),
        custom("INT UNSIGNED"),
        custom("TEXT[]"),
        custom("\"MyType\""),
    ];
    for dialect in ALL {
        for ty in &portable {
            // The neutral spelling of `Real` is `REAL`, which MySQL takes as `DOUBLE`
            // (its renderer writes `FLOAT`).
            if dialect == Dialect::Mysql && *ty == Real {
                continue;
            }
            let ty = &mysql_sized(ty, dialect);
            assert_eq!(
                parse_type(&ty.to_string(), dialect).as_ref(),
                Ok(ty),
                "{ty} in {dialect:?}"
            );
        }
    }
    for ty in [
        custom(""),
        custom("UNSIGNED BIG INT"),
        custom("NATIVE CHARACTER(70)"),
    ] {
        assert_eq!(
            parse_type(&ty.to_string(), Dialect::Sqlite),
            Ok(ty.clone()),
            "{ty}"
        );
    }
}

/// What MySQL means by the names of `aliases_map_to_one_variant` it reads otherwise
/// (see `mysql_types_are_kept_as_written`).
fn mysql_own(input: &str) -> Option<ColumnType> {
    Some(match input {
        "MEDIUMINT" => custom("MEDIUMINT"),
        "TINYINT" => custom("TINYINT"),
        "REAL" => Double,
        "FLOAT" | "FLOAT(10)" => Real,
        _ => return None,
    })
}

/// `ty` as MySQL reads it when written without a size.
fn mysql_sized(ty: &ColumnType, dialect: Dialect) -> ColumnType {
    if dialect != Dialect::Mysql {
        return ty.clone();
    }
    match ty {
        ColumnType::Varchar(None) => ColumnType::Varchar(Some(255)),
        ColumnType::Char(None) => ColumnType::Char(Some(1)),
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
        ColumnType::TimestampTz => ColumnType::Timestamp,
        ColumnType::Uuid => ColumnType::Char(Some(36)),
        other => other.clone(),
    }
}

#[test]
fn mysql_reads_sizeless_types_with_its_defaults() {
    assert_eq!(
        parse_type("VARCHAR", Dialect::Mysql),
        Ok(ColumnType::Varchar(Some(255)))
    );
    assert_eq!(
        parse_type("VARCHAR", Dialect::Sqlite),
        Ok(ColumnType::Varchar(None))
    );
    assert_eq!(
        parse_type("DECIMAL(8)", Dialect::Mysql),
        Ok(ColumnType::Decimal {
            precision: Some(8),
            scale: Some(0)
        })
    );
}

/// `TINYINT(1)` is how MySQL writes and reports `BOOLEAN`; elsewhere it is a small
/// integer, and in MySQL with another width a `TINYINT`.
#[test]
fn mysql_reads_tinyint_1_as_boolean() {
    for (text, dialect, want) in [
        ("TINYINT(1)", Dialect::Mysql, Boolean),
        ("tinyint(1)", Dialect::Mysql, Boolean),
        ("TINYINT(1)", Dialect::Sqlite, custom("TINYINT(1)")),
        ("TINYINT", Dialect::Sqlite, custom("TINYINT")),
        ("TINYINT", Dialect::Postgres, SmallInt),
    ] {
        assert_eq!(parse_type(text, dialect), Ok(want), "{text} in {dialect:?}");
    }
    let (schema, _) = wildebeest_sql::parse_schema(
        "CREATE TABLE t (active TINYINT(1) NOT NULL DEFAULT 1)",
        "schema.sql",
        Dialect::Mysql,
    )
    .unwrap();
    assert_eq!(schema.tables["t"].columns[0].ty, Boolean);
}

#[test]
fn a_type_of_several_words_with_a_dotted_tail_is_read() {
    // sqlparser cannot print the word that stands for `a b`, so `a b.c` (and the same
    // from a migration) used to end in "internal error: the SQL parser failed".
    // Found by the schema_parser fuzz target.
    let (schema, _) = wildebeest_sql::parse_schema(
        "CREATE TABLE t (x my type.sub(3), y INTEGER)",
        "schema.sql",
        Dialect::Sqlite,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let t = schema.table("t").expect("table t");
    assert_eq!(t.columns[0].ty, custom("MY TYPE.SUB(3)"));
    let (statements, _) = wildebeest_sql::parse_statements(
        "ALTER TABLE t ADD COLUMN z my type.sub",
        "m.sql",
        Dialect::Sqlite,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert!(statements[0].change.is_some(), "{statements:?}");
}

/// PostgreSQL's aliases of types the model keeps as `Custom` read as the catalog's
/// spelling, so `serial8` in `schema.sql` is no change from `BIGSERIAL`.
#[test]
fn postgres_aliases_read_as_one_spelling() {
    let cases = [
        ("serial4", "SERIAL"),
        ("serial8", "BIGSERIAL"),
        ("serial2", "SMALLSERIAL"),
        ("bigserial", "BIGSERIAL"),
        ("timetz", "TIME WITH TIME ZONE"),
        ("time with time zone", "TIME WITH TIME ZONE"),
        ("timetz(3)", "TIME(3) WITH TIME ZONE"),
        ("time(3) with time zone", "TIME(3) WITH TIME ZONE"),
        ("timestamptz(3)", "TIMESTAMP(3) WITH TIME ZONE"),
        ("timestamp(3) with time zone", "TIMESTAMP(3) WITH TIME ZONE"),
        ("varbit(5)", "BIT VARYING(5)"),
        ("bit varying(5)", "BIT VARYING(5)"),
        ("varchar(20)[]", "VARCHAR(20)[]"),
        ("character varying(20)[]", "VARCHAR(20)[]"),
        ("integer[][]", "INTEGER[]"),
        ("int[3]", "INTEGER[]"),
        ("bytea[]", "BYTEA[]"),
        ("serial4[]", "SERIAL[]"),
        ("text[]", "TEXT[]"),
    ];
    for (text, want) in cases {
        assert_eq!(
            parse_type(text, Dialect::Postgres),
            Ok(custom(want)),
            "{text}"
        );
    }
    // Other dialects keep the names as written.
    assert_eq!(
        parse_type("serial8", Dialect::Sqlite),
        Ok(custom("SERIAL8"))
    );
}

/// Regression: MySQL's `TINYINT` became `SMALLINT`, `FLOAT` (single precision)
/// `DOUBLE`, and `REAL` (a `DOUBLE` in MySQL) `FLOAT4`, so a migration changed the
/// columns' types. Each is kept as MySQL means it.
#[test]
fn mysql_types_are_kept_as_written() {
    for (text, want) in [
        ("TINYINT", custom("TINYINT")),
        ("tinyint(4)", custom("TINYINT")),
        ("MEDIUMINT(9)", custom("MEDIUMINT")),
        ("FLOAT", Real),
        ("float(24)", Real),
        ("FLOAT(25)", Double),
        ("FLOAT4", Real),
        ("REAL", Double),
        ("DOUBLE", Double),
        ("FLOAT(10,2)", custom("FLOAT(10, 2)")),
    ] {
        assert_eq!(parse_type(text, Dialect::Mysql), Ok(want), "{text}");
    }
}

/// SQLite's meaning of a column is its declared text (`INT PRIMARY KEY` is an ordinary
/// column, `INTEGER PRIMARY KEY` the rowid; `sqlite_master` keeps the text), so a type
/// is a portable variant only when spelled as SQLite's renderer writes it (case and
/// white space aside), and otherwise kept as declared.
#[test]
fn sqlite_keeps_the_declared_type_text() {
    for (input, expect) in [
        ("INTEGER", Integer),
        ("integer", Integer),
        ("INT", custom("INT")),
        ("int", custom("INT")),
        ("NVARCHAR(40)", custom("NVARCHAR(40)")),
        ("VARCHAR(40)", Varchar(Some(40))),
        ("varchar( 40 )", Varchar(Some(40))),
        ("DECIMAL(5,2)", custom("DECIMAL(5, 2)")),
        ("NUMERIC(5, 2)", decimal(Some(5), Some(2))),
        ("NUMERIC(5,2)", decimal(Some(5), Some(2))),
        ("DOUBLE", custom("DOUBLE")),
        ("DOUBLE PRECISION", Double),
        ("BOOL", custom("BOOL")),
        ("CLOB", custom("CLOB")),
        ("TEXT", Text),
        ("UNSIGNED BIG INT", custom("UNSIGNED BIG INT")),
        ("", custom("")),
    ] {
        assert_eq!(
            parse_type(input, Dialect::Sqlite),
            Ok(expect),
            "{input} in SQLite"
        );
    }
}
