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

/// What `op` loses or changes on SQLite. A change of a column's type is a table
/// rebuild whose copy (`INSERT INTO new SELECT ... FROM old`) stores every value
/// through the new column's type affinity: across affinities that can convert a
/// stored value (`TEXT` to `INTEGER` makes `'007'` the integer 7, `INTEGER` to `TEXT`
/// makes 7 the text `'7'`), the change is marked, whatever the model says of the two
/// types; within one affinity (`VARCHAR(40)` to `VARCHAR(20)`, `INTEGER UNSIGNED` to
/// `BIGINT`) or between two that store alike (`INTEGER` and `NUMERIC`) every value is
/// kept as it is, as SQLite enforces neither a length nor an integer width. Other ops
/// are [`Op::data_loss`]. Without the table at hand, as here, a column is taken to be
/// in an ordinary table; [`data_loss_in`] knows `STRICT` tables.
pub fn data_loss(op: &Op) -> Option<String> {
    data_loss_with(op, false)
}

/// [`data_loss`] for `op` applied to `before`, which says whether its table is
/// `STRICT` (where an `ANY` column keeps every value as it is given).
pub(crate) fn data_loss_in(op: &Op, before: &Schema) -> Option<String> {
    let strict = before.table(op.table()).is_some_and(|t| t.options.strict);
    data_loss_with(op, strict)
}

fn data_loss_with(op: &Op, strict: bool) -> Option<String> {
    let Op::AlterColumn { table, from, to } = op else {
        // No enum types here: a label dropped leaves every `TEXT` value as it is.
        if let Op::DropEnumValue { .. } = op {
            return None;
        }
        return op.data_loss();
    };
    let (a, b) = (affinity(&from.ty, strict), affinity(&to.ty, strict));
    if !converts(a, b) {
        return None;
    }
    let what = match b {
        Affinity::Text => "numbers become text (7 becomes '7')",
        Affinity::Real => {
            "integers, and text that reads as a number, become REAL numbers (7 becomes 7.0, '007' becomes 7.0)"
        }
        _ => {
            "text that reads as a number becomes a number ('007' becomes 7, ' 42' 42, '1e3' 1000) and a REAL without a fraction an integer (3.0 becomes 3)"
        }
    };
    Some(format!(
        "converts column `{table}.{}` from {} to {}: SQLite copies the rows into the new column's type affinity, so {what}",
        from.name, from.ty, to.ty
    ))
}

/// A query counting the rows of `table` whose value of `column` a copy into a column
/// of affinity `to` stores differently (another value, or another storage class as
/// `typeof` reports it), by SQLite's own rules; `None` when no value changes.
/// Text converts when it is a well-formed number: exactly when comparing it, without
/// affinity (`+c`), with its `CAST` to `NUMERIC` (whose NUMERIC affinity SQLite then
/// applies to it, as an insert would) finds them equal; text that is no number
/// stays text and never equals a number.
pub(crate) fn conversion_query(table: &str, column: &str, to: Affinity) -> Option<String> {
    let c = wildebeest_sql::quote_ident(column, wildebeest_sql::Dialect::Sqlite);
    let number_text = format!("(typeof({c}) = 'text' AND CAST({c} AS NUMERIC) = +{c})");
    let changed = match to {
        Affinity::Blob => return None,
        Affinity::Text => format!("typeof({c}) IN ('integer', 'real')"),
        Affinity::Real => format!("typeof({c}) = 'integer' OR {number_text}"),
        Affinity::Numeric | Affinity::Integer => {
            // A REAL becomes an integer when it is one exactly, but for the
            // smallest one, which SQLite leaves a REAL.
            format!(
                "{number_text} OR (typeof({c}) = 'real' AND +{c} = CAST({c} AS INTEGER) \
                 AND CAST({c} AS INTEGER) <> -9223372036854775807 - 1)"
            )
        }
    };
    Some(format!(
        "SELECT COUNT(*) FROM {} WHERE {changed}",
        wildebeest_sql::quote_ident(table, wildebeest_sql::Dialect::Sqlite)
    ))
}

/// SQLite's type affinities (<https://www.sqlite.org/datatype3.html>).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Affinity {
    Text,
    Numeric,
    Integer,
    Real,
    /// No conversion: `BLOB`, no type, and `ANY` in a `STRICT` table.
    Blob,
}

/// Whether a copy from a column of affinity `from` into one of affinity `to` can
/// store a value differently. `INTEGER` and `NUMERIC` store alike (they differ only
/// in `CAST`); a column without affinity keeps what it is given.
pub(crate) fn converts(from: Affinity, to: Affinity) -> bool {
    use Affinity::*;
    !(from == to || to == Blob || matches!((from, to), (Integer, Numeric) | (Numeric, Integer)))
}

/// SQLite's affinity of a declared type, by its rules: `INT` makes INTEGER; `CHAR`,
/// `CLOB` or `TEXT` TEXT; `BLOB` or no type BLOB; `REAL`, `FLOA` or `DOUB` REAL;
/// anything else NUMERIC. In a `STRICT` table `ANY` keeps values as given.
pub(crate) fn affinity(ty: &ColumnType, strict: bool) -> Affinity {
    let name = render_type(ty).to_ascii_uppercase();
    if name.contains("INT") {
        Affinity::Integer
    } else if ["CHAR", "CLOB", "TEXT"].iter().any(|w| name.contains(w)) {
        Affinity::Text
    } else if name.contains("BLOB") || name.is_empty() || (strict && name == "ANY") {
        Affinity::Blob
    } else if ["REAL", "FLOA", "DOUB"].iter().any(|w| name.contains(w)) {
        Affinity::Real
    } else {
        Affinity::Numeric
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
    // A MySQL-dialect key without an action clause, which this database stores as
    // `NO ACTION`.
    out.resolve_unspecified_actions(wildebeest_schema::FkAction::NoAction);
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
    fn a_type_change_is_marked_when_its_copy_can_change_a_value() {
        let alter = |a: ColumnType, b: ColumnType| Op::AlterColumn {
            table: "t".into(),
            from: Column::new("c", a),
            to: Column::new("c", b),
        };
        let any = || ColumnType::Custom("ANY".into());
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
            (ColumnType::Text, ColumnType::Blob, false),
            (ColumnType::Integer, ColumnType::Boolean, false),
            (ColumnType::Text, ColumnType::Integer, true),
            (
                ColumnType::Decimal {
                    precision: Some(10),
                    scale: Some(2),
                },
                ColumnType::Text,
                true,
            ),
            (ColumnType::Integer, ColumnType::Text, true),
            (ColumnType::Integer, ColumnType::Real, true),
            (ColumnType::Real, ColumnType::Integer, true),
            (ColumnType::Blob, ColumnType::Text, true),
            (ColumnType::Text, any(), true),
        ] {
            let op = alter(a.clone(), b.clone());
            assert_eq!(data_loss(&op).is_some(), lossy, "{a} -> {b}");
        }
        // No enum types on SQLite: a dropped label leaves the TEXT values alone.
        let drop_label = Op::DropEnumValue {
            name: "mood".into(),
            value: "sad".into(),
            position: wildebeest_schema::LabelPosition::Last,
        };
        assert!(drop_label.data_loss().is_some());
        assert_eq!(data_loss(&drop_label), None);
        // In a STRICT table `ANY` keeps every value; elsewhere it is NUMERIC.
        let mut before = Schema::new();
        let mut t = wildebeest_schema::Table::new("t");
        t.columns.push(Column::new("c", ColumnType::Text));
        t.options.strict = true;
        before.tables.insert("t".into(), t);
        assert!(data_loss_in(&alter(ColumnType::Text, any()), &before).is_none());
        assert!(data_loss_in(&alter(ColumnType::Text, ColumnType::Integer), &before).is_some());
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

/// The guard's count against SQLite itself: for every pair of declared types and a set
/// of edge values, a one-row copy into the new type (as a rebuild copies) changes the
/// value (`quote` or `typeof`) exactly when the count query counts it, and a pair
/// [`converts`] calls safe changes no value.
#[cfg(test)]
mod conversion_oracle {
    use rusqlite::Connection;
    use rusqlite::types::Value;

    use super::*;

    fn values() -> Vec<Value> {
        let text = |s: &str| Value::Text(s.to_string());
        let mut v = vec![Value::Null];
        for s in [
            "",
            " ",
            "007",
            "1e3",
            " 42",
            "42 ",
            "42",
            "-17",
            "+5",
            "abc",
            "12abc",
            "0x10",
            "3.0",
            "3.5",
            "-0",
            ".5",
            "5.",
            "1e400",
            "-1e400",
            "9223372036854775807",
            "9223372036854775808",
            "-9223372036854775808",
            "1.0e+20",
            "0.30000000000000004",
            "NaN",
            "Infinity",
            "\t8\n",
            "٣",
            "1_000",
        ] {
            v.push(text(s));
        }
        for i in [0i64, 7, -1, i64::MAX, i64::MIN, 1 << 53, (1 << 53) + 1] {
            v.push(Value::Integer(i));
        }
        for r in [
            0.0f64,
            -0.0,
            3.0,
            3.5,
            1e20,
            1e300,
            -1e300,
            0.1 + 0.2,
            9.223372036854776e18,
            -9.223372036854776e18,
            f64::INFINITY,
            1.0e15,
            123456789012345.67,
        ] {
            v.push(Value::Real(r));
        }
        v.push(Value::Blob(vec![0, 255]));
        v.push(Value::Blob(b"42".to_vec()));
        v
    }

    fn check(types: &[&str], strict: bool) {
        let conn = Connection::open_in_memory().unwrap();
        let options = if strict { " STRICT" } else { "" };
        let mut checked = 0;
        for from in types {
            for to in types {
                let ty = |t: &str| ColumnType::Custom(t.to_string());
                let (a, b) = (affinity(&ty(from), strict), affinity(&ty(to), strict));
                for value in values() {
                    conn.execute_batch(&format!(
                        "DROP TABLE IF EXISTS src; DROP TABLE IF EXISTS dst;
                         CREATE TABLE src (c {from}){options};
                         CREATE TABLE dst (c {to}){options};"
                    ))
                    .unwrap();
                    // A value the old column does not take is not there to convert.
                    if conn
                        .execute("INSERT INTO src (c) VALUES (?1)", [&value])
                        .is_err()
                    {
                        continue;
                    }
                    // A copy that fails rolls the rebuild back: nothing changes.
                    if conn
                        .execute_batch("INSERT INTO dst (rowid, c) SELECT rowid, c FROM src")
                        .is_err()
                    {
                        continue;
                    }
                    let changed: i64 = conn
                        .query_row(
                            "SELECT COUNT(*) FROM src JOIN dst ON src.rowid = dst.rowid \
                             WHERE quote(src.c) IS NOT quote(dst.c) OR typeof(src.c) <> typeof(dst.c)",
                            [],
                            |r| r.get(0),
                        )
                        .unwrap();
                    let counted: i64 = match conversion_query("src", "c", b) {
                        Some(q) if converts(a, b) => conn.query_row(&q, [], |r| r.get(0)).unwrap(),
                        _ => 0,
                    };
                    assert_eq!(
                        counted, changed,
                        "{from} -> {to}{options}, value {value:?}: the copy changes {changed}, the guard counts {counted}"
                    );
                    checked += 1;
                }
            }
        }
        assert!(
            checked > types.len() * types.len() * 20,
            "{checked} copies checked"
        );
    }

    #[test]
    fn the_count_is_exactly_the_values_a_copy_changes() {
        check(
            &[
                "TEXT",
                "VARCHAR(50)",
                "INTEGER",
                "BIGINT",
                "REAL",
                "DOUBLE",
                "NUMERIC",
                "DECIMAL(10, 2)",
                "BOOLEAN",
                "DATE",
                "BLOB",
                "",
                "ANY",
            ],
            false,
        );
    }

    #[test]
    fn the_count_is_exactly_the_values_a_strict_copy_changes() {
        check(&["INT", "INTEGER", "REAL", "TEXT", "BLOB", "ANY"], true);
    }
}
