//! PostgreSQL's special date and time inputs that read the clock (`'now'`, `'today'`,
//! `'tomorrow'`, `'yesterday'`) in a column default.
//!
//! A string constant of a date or time type is read when the statement is parsed:
//! `DEFAULT 'now'::timestamp`, `TIMESTAMP 'now'`, `CAST('today' AS date)`, or a plain
//! `'now'` on a `timestamptz` column, becomes the moment the table is made, and the
//! catalog keeps that fixed value (`'2026-12-07 22:34:58.53'::timestamp without time
//! zone`). Every database built from the migrations would hold another one, and
//! `check` could never find a database as its migrations say: the default is refused
//! with the spelling that reads the clock at each insert, or a fixed value written
//! out. A cast of a text (`('now'::text)::date`) is a call made at each insert, and
//! stays.

use sqlparser::ast::{DataType, Expr, TimezoneInfo, Value};
use wildebeest_schema::ColumnType;

/// The date and time types a special input can be read as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Date,
    Timestamp,
    TimestampTz,
    Time,
    TimeTz,
}

impl Kind {
    fn of(ty: &DataType) -> Option<Kind> {
        let tz = |t: &TimezoneInfo| matches!(t, TimezoneInfo::Tz | TimezoneInfo::WithTimeZone);
        Some(match ty {
            DataType::Date => Kind::Date,
            DataType::Timestamp(_, t) if tz(t) => Kind::TimestampTz,
            DataType::Timestamp(..) => Kind::Timestamp,
            DataType::Time(_, t) if tz(t) => Kind::TimeTz,
            DataType::Time(..) => Kind::Time,
            DataType::Custom(name, _) => match name.to_string().to_ascii_lowercase().as_str() {
                "timestamptz" | "pg_catalog.timestamptz" => Kind::TimestampTz,
                "timetz" | "pg_catalog.timetz" => Kind::TimeTz,
                _ => return None,
            },
            _ => return None,
        })
    }

    /// A column's type, as the model holds it.
    fn of_column(ty: &ColumnType) -> Option<Kind> {
        Some(match ty {
            ColumnType::Date => Kind::Date,
            ColumnType::Timestamp => Kind::Timestamp,
            ColumnType::TimestampTz => Kind::TimestampTz,
            ColumnType::Time => Kind::Time,
            ColumnType::Custom(text) => {
                let t = text.to_ascii_lowercase();
                let tz = t.contains("with time zone")
                    || t.starts_with("timetz")
                    || t.starts_with("timestamptz");
                let without = t.contains("without time zone");
                if t.starts_with("timestamp") {
                    if tz && !without {
                        Kind::TimestampTz
                    } else {
                        Kind::Timestamp
                    }
                } else if t.starts_with("time") {
                    if tz && !without {
                        Kind::TimeTz
                    } else {
                        Kind::Time
                    }
                } else {
                    return None;
                }
            }
            _ => return None,
        })
    }

    /// What reads the clock at each insert and gives what `word` gives at creation.
    fn advice(self, word: &str) -> Option<&'static str> {
        Some(match (self, word) {
            (Kind::Date, "now" | "today") => "CURRENT_DATE",
            (Kind::Date, "tomorrow") => "CURRENT_DATE + 1",
            (Kind::Date, "yesterday") => "CURRENT_DATE - 1",
            (Kind::Timestamp, "now") => "LOCALTIMESTAMP",
            (Kind::Timestamp, "today") => "CURRENT_DATE::timestamp",
            (Kind::Timestamp, "tomorrow") => "(CURRENT_DATE + 1)::timestamp",
            (Kind::Timestamp, "yesterday") => "(CURRENT_DATE - 1)::timestamp",
            (Kind::TimestampTz, "now") => "now()",
            (Kind::TimestampTz, "today") => "CURRENT_DATE::timestamptz",
            (Kind::TimestampTz, "tomorrow") => "(CURRENT_DATE + 1)::timestamptz",
            (Kind::TimestampTz, "yesterday") => "(CURRENT_DATE - 1)::timestamptz",
            (Kind::Time, "now") => "LOCALTIME",
            (Kind::TimeTz, "now") => "CURRENT_TIME",
            // A time of day of `'today'` is midnight, whenever it is read.
            _ => return None,
        })
    }

    fn fixed_example(self) -> &'static str {
        match self {
            Kind::Date => "'2024-01-01'",
            Kind::Timestamp => "'2024-01-01 00:00:00'",
            Kind::TimestampTz => "'2024-01-01 00:00:00+00'",
            Kind::Time => "'12:00:00'",
            Kind::TimeTz => "'12:00:00+00'",
        }
    }
}

/// A special input read at creation: the word (lower case), the type it is read as,
/// and the literal as written.
struct Frozen {
    word: String,
    kind: Kind,
    written: String,
}

/// The word of a string constant that reads the clock, trimmed and in lower case.
fn clock_word(e: &Expr) -> Option<String> {
    let e = strip_nested(e);
    let Expr::Value(v) = e else {
        return None;
    };
    let (Value::SingleQuotedString(s) | Value::EscapedStringLiteral(s)) = &v.value else {
        return None;
    };
    let word = s.trim().to_ascii_lowercase();
    ["now", "today", "tomorrow", "yesterday"]
        .contains(&word.as_str())
        .then_some(word)
}

fn strip_nested(mut e: &Expr) -> &Expr {
    while let Expr::Nested(inner) = e {
        e = inner;
    }
    e
}

/// The first special input `e` reads at creation (`'now'::timestamp`, `DATE 'today'`
/// anywhere in it); `column`, the column's type, for a plain string constant that is
/// the whole default.
fn find(e: &Expr, column: Option<&ColumnType>) -> Option<Frozen> {
    let mut found = None;
    let _ = sqlparser::ast::visit_expressions(e, |x| {
        let hit = match x {
            Expr::Cast {
                expr, data_type, ..
            } => clock_word(expr).zip(Kind::of(data_type)),
            Expr::TypedString(ts) => {
                let v = Expr::Value(ts.value.clone());
                clock_word(&v).zip(Kind::of(&ts.data_type))
            }
            _ => None,
        };
        match hit {
            Some((word, kind)) if kind.advice(&word).is_some() => {
                found = Some(Frozen {
                    word,
                    kind,
                    written: x.to_string(),
                });
                std::ops::ControlFlow::Break(())
            }
            _ => std::ops::ControlFlow::Continue(()),
        }
    });
    if found.is_some() {
        return found;
    }
    let word = clock_word(e)?;
    let kind = Kind::of_column(column?)?;
    kind.advice(&word)?;
    Some(Frozen {
        word,
        kind,
        written: strip_nested(e).to_string(),
    })
}

/// The refusal of a PostgreSQL default `e` of column `name` (of type `column`, when
/// known) that reads the clock once, at creation; `None` for any other default.
pub(crate) fn refusal(e: &Expr, name: &str, column: Option<&ColumnType>) -> Option<String> {
    let f = find(e, column)?;
    let now = f.kind.advice(&f.word)?;
    Some(format!(
        "column `{name}` has DEFAULT {}, which PostgreSQL reads once, when the statement \
         runs, and keeps as that fixed time ({} is not read again at each insert): every \
         database built from the migrations would keep a different default, and `check` \
         would report each one changed. For the time of each insert write `{now}` in its \
         place (`DEFAULT {now}`); for a fixed time write the value out, e.g. `DEFAULT {}`",
        f.written,
        quote(&f.word),
        f.kind.fixed_example()
    ))
}

/// [`refusal`] of a default as the model holds it (normalized text) on a column of
/// type `column`: an `ALTER COLUMN ... SET DEFAULT 'now'`, whose column's type is
/// known only once the table is.
pub(crate) fn text_refusal(default: &str, name: &str, column: &ColumnType) -> Option<String> {
    let dialect = sqlparser::dialect::PostgreSqlDialect {};
    let e = sqlparser::parser::Parser::new(&dialect)
        .try_with_sql(default)
        .ok()?
        .parse_expr()
        .ok()?;
    refusal(&e, name, Some(column))
}

/// Whether an `ALTER TABLE` sets a default [`refusal`] refuses.
pub(crate) fn sets_frozen_default(alter: &sqlparser::ast::AlterTable) -> bool {
    use sqlparser::ast::{AlterColumnOperation, AlterTableOperation};
    alter.operations.iter().any(|o| {
        matches!(o, AlterTableOperation::AlterColumn {
            column_name,
            op: AlterColumnOperation::SetDefault { value },
        } if refusal(value, &column_name.value, None).is_some())
    })
}

fn quote(word: &str) -> String {
    format!("'{word}'")
}

#[cfg(test)]
mod tests {
    use super::*;
    use sqlparser::dialect::PostgreSqlDialect;
    use sqlparser::parser::Parser;

    fn expr(text: &str) -> Expr {
        Parser::new(&PostgreSqlDialect {})
            .try_with_sql(text)
            .unwrap()
            .parse_expr()
            .unwrap()
    }

    fn refused(text: &str, column: Option<&ColumnType>) -> Option<String> {
        refusal(&expr(text), "c", column)
    }

    #[test]
    fn special_inputs_read_at_creation_are_refused_with_what_to_write() {
        for (text, advice) in [
            ("'now'::timestamp", "LOCALTIMESTAMP"),
            ("'now'::timestamp without time zone", "LOCALTIMESTAMP"),
            ("'NOW'::timestamp(3)", "LOCALTIMESTAMP"),
            ("' now '::timestamptz", "now()"),
            ("'now'::timestamp with time zone", "now()"),
            ("'now'::date", "CURRENT_DATE"),
            ("'today'::date", "CURRENT_DATE"),
            ("'tomorrow'::date", "CURRENT_DATE + 1"),
            ("'yesterday'::date", "CURRENT_DATE - 1"),
            ("TIMESTAMP 'now'", "LOCALTIMESTAMP"),
            ("DATE 'today'", "CURRENT_DATE"),
            ("CAST('now' AS timestamptz)", "now()"),
            ("('now')::time", "LOCALTIME"),
            ("'now'::timetz", "CURRENT_TIME"),
            ("'today'::timestamp", "CURRENT_DATE::timestamp"),
            ("'tomorrow'::timestamptz", "(CURRENT_DATE + 1)::timestamptz"),
            ("date_trunc('day', 'now'::timestamp)", "LOCALTIMESTAMP"),
        ] {
            let message = refused(text, None).unwrap_or_else(|| panic!("{text}"));
            assert!(
                message.contains(&format!("`DEFAULT {advice}`")),
                "{text}: {message}"
            );
        }
        // A plain string on a column of a date or time type is read as that type.
        let message = refused("'now'", Some(&ColumnType::TimestampTz)).unwrap();
        assert!(message.contains("DEFAULT 'now', which"), "{message}");
        assert!(message.contains("`DEFAULT now()`"), "{message}");
        assert!(refused("'today'", Some(&ColumnType::Date)).is_some());
        let precise = ColumnType::Custom("TIMESTAMP(3) WITH TIME ZONE".into());
        assert!(refused("'now'", Some(&precise)).unwrap().contains("now()"));
    }

    #[test]
    fn what_reads_the_clock_at_each_insert_or_never_stays() {
        for text in [
            "('now'::text)::date",
            "'now'::text::timestamp",
            "now()",
            "CURRENT_TIMESTAMP",
            "'2024-01-01'::date",
            "'epoch'::timestamp",
            "'infinity'::timestamptz",
            "'today'::time",
            "'now'",
        ] {
            assert_eq!(refused(text, None), None, "{text}");
        }
        assert_eq!(refused("'now'", Some(&ColumnType::Text)), None);
    }
}
