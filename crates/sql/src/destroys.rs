//! What a migration statement destroys of the stored data, read from its text: the
//! tables whose rows it drops or empties, and what else it destroys that nothing can
//! count (`DROP SCHEMA`, PostgreSQL's `CASCADE`, a column the model does not follow).
//! The runner guards this whether or not the model follows the statement.

use sqlparser::ast::Statement as AstStatement;
use sqlparser::tokenizer::Token;

use crate::ddl::{self, Ctx};
use crate::lex::{self, Pos};
use crate::parse::{self, Kind};
use crate::split::Piece;
use crate::{Destroys, Dialect, excerpt};

/// Objects a `DROP` of which destroys no stored row (without PostgreSQL's `CASCADE`,
/// which drops what depends on them: a column of their type, a table inheriting,
/// ...). Any other `DROP` (`SCHEMA`, `DATABASE`, `OWNED`, `TABLESPACE`, words
/// wildebeest does not know) is taken to destroy data it cannot count.
const HARMLESS_DROPS: &[&str] = &[
    "INDEX",
    "VIEW",
    "MATERIALIZED",
    "TRIGGER",
    "FUNCTION",
    "PROCEDURE",
    "ROUTINE",
    "AGGREGATE",
    "OPERATOR",
    "TYPE",
    "DOMAIN",
    "SEQUENCE",
    "ROLE",
    "USER",
    "GROUP",
    "EVENT",
    "POLICY",
    "RULE",
    "STATISTICS",
    "COLLATION",
    "CONVERSION",
    "CAST",
    "TRANSFORM",
    "EXTENSION",
    "PUBLICATION",
    "SUBSCRIPTION",
    "SERVER",
    "LANGUAGE",
    "TEXT",
    "ACCESS",
    "FOREIGN",
    "PREPARE",
    "SPATIAL",
    "TEMPORARY",
];

/// Words after `DROP` in an `ALTER TABLE` that drop no column: a constraint, an index,
/// a default, a `NOT NULL`, an identity or generation expression (the column keeps
/// its values).
const HARMLESS_ALTER_DROPS: &[&str] = &[
    "CONSTRAINT",
    "INDEX",
    "KEY",
    "PRIMARY",
    "FOREIGN",
    "CHECK",
    "DEFAULT",
    "NOT",
    "IDENTITY",
    "EXPRESSION",
];

pub(crate) fn destroys(text: &str, dialect: Dialect, followed: bool) -> Option<Destroys> {
    let words = parse::leading_words(text, 4);
    let words: Vec<&str> = words.iter().map(String::as_str).collect();
    // A drop's `CASCADE`, not a foreign key's `ON DELETE CASCADE`. MySQL reads the
    // drop's and does nothing; SQLite has none. (Read only where it matters: most
    // statements of a generated file are followed `ALTER TABLE`s.)
    let cascade = || {
        let bare = bare_words(text, dialect);
        dialect == Dialect::Postgres
            && bare.iter().enumerate().any(|(i, w)| {
                w == "CASCADE" && !(i > 0 && matches!(bare[i - 1].as_str(), "DELETE" | "UPDATE"))
            })
    };
    let cascades = |what: &str| Destroys {
        verb: String::new(),
        tables: Vec::new(),
        uncounted: Some(format!(
            "`{}` {what}, with CASCADE also what depends on it (in PostgreSQL a column of its type, a table inheriting from it, ...), which wildebeest cannot count",
            excerpt(text)
        )),
    };
    match words.as_slice() {
        // MariaDB's `CREATE OR REPLACE TABLE` drops the table it replaces.
        ["CREATE", "OR", "REPLACE", "TABLE"] => {
            let name = replaced_table(text, dialect);
            Some(match name {
                Some(name) => Destroys {
                    verb: format!("`{}` replaces", excerpt(text)),
                    tables: vec![name],
                    uncounted: None,
                },
                None => cannot_read(text, "replaces a table"),
            })
        }
        ["DROP", "TABLE", ..] => {
            // The model follows one table dropped without CASCADE, and guards it.
            if followed && dialect != Dialect::Postgres {
                return None;
            }
            let Some((names, cascade)) = dropped_tables(text, dialect) else {
                return Some(cannot_read(text, "drops tables"));
            };
            let cascade = cascade && dialect == Dialect::Postgres;
            // The model follows one table dropped without CASCADE, and guards it.
            if followed && !cascade {
                return None;
            }
            Some(Destroys {
                verb: format!("`{}` drops", excerpt(text)),
                tables: if followed { Vec::new() } else { names },
                uncounted: cascade
                    .then(|| cascades("drops tables").uncounted)
                    .flatten(),
            })
        }
        ["TRUNCATE", ..] => {
            let Some((names, cascade)) = truncated_tables(text, dialect) else {
                return Some(cannot_read(text, "empties tables"));
            };
            Some(Destroys {
                verb: format!("`{}` empties", excerpt(text)),
                tables: names,
                uncounted: cascade.then(|| {
                    format!(
                        "`{}` also empties, with CASCADE, every table with a foreign key to these, which wildebeest cannot count",
                        excerpt(text)
                    )
                }),
            })
        }
        ["DROP", what, ..] if HARMLESS_DROPS.contains(what) => {
            cascade().then(|| cascades("drops it"))
        }
        ["DROP", ..] => Some(Destroys {
            verb: String::new(),
            tables: Vec::new(),
            uncounted: Some(format!(
                "`{}` may drop tables with their rows, which wildebeest cannot count",
                excerpt(text)
            )),
        }),
        // PostgreSQL's anonymous code block: its body is a string the model never
        // reads, so a `DROP` or `TRUNCATE` of stored objects in it needs consent.
        ["DO", ..] => code_destroys(text).map(|what| Destroys {
            verb: String::new(),
            tables: Vec::new(),
            uncounted: Some(format!(
                "`{}` runs code that says `{what}`, which wildebeest cannot count",
                excerpt(text)
            )),
        }),
        // A composite type's attribute dropped takes what the columns of the type hold
        // in it; the model counts it when it follows the statement.
        ["ALTER", "TYPE", ..] if !followed => {
            let bare = bare_words(text, dialect);
            bare.windows(2)
                .any(|w| w[0] == "DROP" && w[1] == "ATTRIBUTE")
                .then(|| Destroys {
                    verb: String::new(),
                    tables: Vec::new(),
                    uncounted: Some(format!(
                        "`{}` drops an attribute of a composite type the schema model does not \
                         follow, so wildebeest cannot count what the columns of the type lose",
                        excerpt(text)
                    )),
                })
        }
        ["ALTER", "TABLE", ..] => {
            if dialect == Dialect::Postgres && cascade() {
                return Some(cascades("drops a part of a table"));
            }
            // The model follows and guards each column it drops or converts, where
            // the conversion is the one it counts.
            if followed {
                return computed_using(text, dialect).map(|(column, using)| Destroys {
                    verb: String::new(),
                    tables: Vec::new(),
                    uncounted: Some(format!(
                        "`{}` computes the values of column `{column}` with `USING {using}`, \
                         which wildebeest cannot count (it counts a cast of the column to its \
                         new type, also through `text`, and `c <> 0` to `BOOLEAN`)",
                        excerpt(text)
                    )),
                });
            }
            let what = unfollowed_alter(&bare_words(text, dialect))?;
            Some(Destroys {
                verb: String::new(),
                tables: Vec::new(),
                uncounted: Some(format!(
                    "`{}` {what} the schema model does not follow, so wildebeest cannot count what it loses",
                    excerpt(text)
                )),
            })
        }
        _ => None,
    }
}

/// The first `ALTER COLUMN c TYPE t USING e` of a PostgreSQL `ALTER TABLE` whose `e`
/// is not a conversion the model's count of the type change holds for: the column
/// and `e`. The count is of the values the change from the old type to `t` loses,
/// which holds for `c::t` and for a cast through the value's text (`c::text::t`,
/// `c::text[]::t`: a value's text reads back as the value, so the text either gives
/// what the direct cast gives or is refused), and for `c <> 0` to `BOOLEAN` (every
/// value counts there); any other expression makes values the count knows nothing of
/// (`c * 100`, `c::int::t` from a fraction).
fn computed_using(text: &str, dialect: Dialect) -> Option<(String, String)> {
    use sqlparser::ast::{
        AlterColumnOperation, AlterTableOperation, BinaryOperator, DataType, Expr, Value,
    };
    if dialect != Dialect::Postgres || !bare_words(text, dialect).iter().any(|w| w == "USING") {
        return None;
    }
    let Ok(AstStatement::AlterTable(at)) =
        parse::parse_piece(&piece(text), dialect, Kind::AlterTable)
    else {
        return None;
    };
    let norm = |t: &DataType| {
        t.to_string()
            .to_ascii_lowercase()
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    };
    at.operations.iter().find_map(|op| {
        let AlterTableOperation::AlterColumn {
            column_name,
            op: AlterColumnOperation::SetDataType { data_type, using: Some(using), .. },
        } = op
        else {
            return None;
        };
        // SQLite's declared type text, which the parser carries there (SQLite has no
        // `USING`).
        if crate::parse::declared_using(Some(using)).is_some() {
            return None;
        }
        let is_column = |e: &Expr| match e {
            Expr::Identifier(id) => id.value == column_name.value,
            Expr::Nested(inner) => matches!(&**inner, Expr::Identifier(id) if id.value == column_name.value),
            _ => false,
        };
        let plain = match using {
            Expr::Cast { expr, data_type: to, format: None, .. } if norm(to) == norm(data_type) => {
                // Down the chain: only `text` (or `text[]`) between the column and `t`.
                let mut e = &**expr;
                loop {
                    match e {
                        Expr::Cast { expr, data_type: via, format: None, .. }
                            if matches!(norm(via).as_str(), "text" | "text[]") =>
                        {
                            e = expr;
                        }
                        Expr::Nested(inner) => e = inner,
                        other => break is_column(other),
                    }
                }
            }
            Expr::BinaryOp { left, op: BinaryOperator::NotEq, right } => {
                matches!(norm(data_type).as_str(), "boolean" | "bool")
                    && is_column(left)
                    && matches!(&**right, Expr::Value(v) if matches!(&v.value, Value::Number(n, _) if n == "0"))
            }
            _ => false,
        };
        (!plain).then(|| (column_name.value.clone(), using.to_string()))
    })
}

/// The first `DROP TABLE`, `DROP SCHEMA`, `DROP DATABASE`, `DROP OWNED`, `DROP
/// COLUMN` or `TRUNCATE` in code kept as text (a `DO` block's body), in any case:
/// words a code block uses to destroy stored data. `None` when it says none of them.
fn code_destroys(text: &str) -> Option<String> {
    let words: Vec<String> = text
        .split(|c: char| !(c.is_alphanumeric() || c == '_'))
        .filter(|w| !w.is_empty())
        .map(str::to_ascii_uppercase)
        .collect();
    words.iter().enumerate().find_map(|(i, w)| {
        let next = words.get(i + 1).map(String::as_str);
        match (w.as_str(), next) {
            ("TRUNCATE", _) => Some("TRUNCATE".to_string()),
            ("DROP", Some(n @ ("TABLE" | "SCHEMA" | "DATABASE" | "OWNED" | "COLUMN"))) => {
                Some(format!("DROP {n}"))
            }
            _ => None,
        }
    })
}

fn cannot_read(text: &str, what: &str) -> Destroys {
    Destroys {
        verb: String::new(),
        tables: Vec::new(),
        uncounted: Some(format!(
            "`{}` {what} wildebeest cannot read, so it cannot count their rows",
            excerpt(text)
        )),
    }
}

/// What an `ALTER TABLE` the model does not follow may destroy or convert, from its
/// unquoted words (at any depth: a `DROP` inside parentheses is rare and the guard
/// only asks for consent): a column or partition dropped, a partition emptied, a
/// tablespace discarded, a column's type changed.
fn unfollowed_alter(bare: &[String]) -> Option<&'static str> {
    for (i, w) in bare.iter().enumerate() {
        let next = bare.get(i + 1).map(String::as_str);
        match w.as_str() {
            "DROP" if next.is_none_or(|n| !HARMLESS_ALTER_DROPS.contains(&n)) => {
                return Some("drops a column or partition");
            }
            "TRUNCATE" => return Some("empties a partition"),
            "DISCARD" => return Some("discards a tablespace"),
            "TYPE" | "MODIFY" | "CHANGE" => return Some("changes a column's type in a way"),
            _ => {}
        }
    }
    None
}

/// The statement's unquoted words, upper-cased; empty when it does not tokenize.
fn bare_words(text: &str, dialect: Dialect) -> Vec<String> {
    let at = Pos { line: 1, column: 1 };
    lex::tokenize(text, at, dialect, lex::sql_dialect(dialect))
        .map(|tokens| {
            tokens
                .iter()
                .filter_map(|t| match &t.token {
                    Token::Word(_) => lex::bare_word(&t.token),
                    _ => None,
                })
                .collect()
        })
        .unwrap_or_default()
}

fn piece(text: &str) -> Piece {
    Piece {
        text: text.to_string(),
        line: 1,
        column: 1,
    }
}

/// The tables a `DROP TABLE` names, as the model names them, and whether it says
/// `CASCADE`; `None` when it cannot be read. A MySQL `DROP TEMPORARY TABLE` names
/// none: a temporary table holds no stored data.
fn dropped_tables(text: &str, dialect: Dialect) -> Option<(Vec<String>, bool)> {
    let parsed = parse::parse_piece(&piece(text), dialect, Kind::DropTable).ok()?;
    let AstStatement::Drop {
        names,
        cascade,
        temporary,
        ..
    } = parsed
    else {
        return None;
    };
    if temporary {
        return Some((Vec::new(), false));
    }
    Some((model_names(names.iter(), dialect)?, cascade))
}

/// The table a `CREATE OR REPLACE TABLE` names (not a temporary one, which holds no
/// stored data: `Some` of nothing then).
fn replaced_table(text: &str, dialect: Dialect) -> Option<String> {
    let parsed = parse::parse_piece(&piece(text), dialect, Kind::Other).ok()?;
    let AstStatement::CreateTable(ct) = parsed else {
        return None;
    };
    model_names(std::iter::once(&ct.name), dialect)?.pop()
}

/// The tables a `TRUNCATE` names and whether it says `CASCADE`.
fn truncated_tables(text: &str, dialect: Dialect) -> Option<(Vec<String>, bool)> {
    let parsed = parse::parse_piece(&piece(text), dialect, Kind::Other).ok()?;
    let AstStatement::Truncate(t) = parsed else {
        return None;
    };
    if t.partitions.is_some() {
        return None;
    }
    let cascade = matches!(t.cascade, Some(sqlparser::ast::CascadeOption::Cascade));
    let names = model_names(t.table_names.iter().map(|t| &t.name), dialect)?;
    Some((names, cascade && dialect == Dialect::Postgres))
}

fn model_names<'a>(
    names: impl Iterator<Item = &'a sqlparser::ast::ObjectName>,
    dialect: Dialect,
) -> Option<Vec<String>> {
    let mut warnings = Vec::new();
    let mut ctx = Ctx {
        dialect,
        start: Pos { line: 1, column: 1 },
        warnings: &mut warnings,
        pg_schema: "public",
    };
    names
        .map(|n| ddl::object_name(n, &mut ctx).ok().map(|n| n.value))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(text: &str, dialect: Dialect, followed: bool) -> Option<Destroys> {
        destroys(text, dialect, followed)
    }

    #[test]
    fn a_using_other_than_a_cast_of_the_column_is_uncounted() {
        for text in [
            "ALTER TABLE t ALTER COLUMN c TYPE INTEGER USING c::INTEGER",
            "ALTER TABLE t ALTER COLUMN c TYPE integer USING (c)::integer",
            "ALTER TABLE t ALTER COLUMN c TYPE TIMESTAMP USING c::text::TIMESTAMP",
            "ALTER TABLE t ALTER COLUMN c TYPE mood[] USING c::text[]::mood[]",
            "ALTER TABLE t ALTER COLUMN \"Odd\" TYPE UUID USING \"Odd\"::UUID",
            "ALTER TABLE t ALTER COLUMN c TYPE BOOLEAN USING c <> 0",
            "ALTER TABLE t ALTER COLUMN c DROP DEFAULT, ALTER COLUMN c TYPE DATE USING c::DATE",
            "ALTER TABLE t ALTER COLUMN c TYPE INTEGER",
        ] {
            assert_eq!(
                crate::destroys(text, Dialect::Postgres, true),
                None,
                "{text}"
            );
        }
        for (text, using) in [
            (
                "ALTER TABLE t ALTER COLUMN c TYPE INTEGER USING c * 100",
                "c * 100",
            ),
            (
                "ALTER TABLE t ALTER COLUMN c TYPE NUMERIC(10, 2) USING c::int::NUMERIC(10, 2)",
                "c::INT::NUMERIC(10,2)",
            ),
            (
                "ALTER TABLE t ALTER COLUMN c TYPE INTEGER USING d::INTEGER",
                "d::INTEGER",
            ),
            (
                "ALTER TABLE t ALTER COLUMN c TYPE INTEGER USING c::BIGINT",
                "c::BIGINT",
            ),
            ("ALTER TABLE t ALTER COLUMN c TYPE INTEGER USING 0", "0"),
            (
                "ALTER TABLE t ALTER COLUMN c TYPE BOOLEAN USING c <> 1",
                "c <> 1",
            ),
        ] {
            let got = crate::destroys(text, Dialect::Postgres, true).and_then(|d| d.uncounted);
            assert!(
                got.as_deref()
                    .is_some_and(|m| m.contains(&format!("`USING {using}`"))),
                "{text}: {got:?}"
            );
        }
    }

    #[test]
    fn drops_and_truncates_name_their_tables() {
        for dialect in [Dialect::Sqlite, Dialect::Postgres, Dialect::Mysql] {
            let got = d("DROP TABLE a, b", dialect, false).unwrap();
            assert_eq!(got.tables, ["a", "b"], "{dialect:?}");
            assert_eq!(got.uncounted, None);
            let got = d("DROP TABLE IF EXISTS a", dialect, false).unwrap();
            assert_eq!(got.tables, ["a"]);
            // Followed by the model, which guards it.
            assert_eq!(d("DROP TABLE a", dialect, true), None);
            assert_eq!(d("DELETE FROM a", dialect, false), None);
            assert_eq!(d("UPDATE a SET x = 1", dialect, false), None);
            assert_eq!(d("DROP INDEX i", dialect, false), None);
            assert_eq!(d("DROP VIEW v", dialect, false), None);
        }
        for dialect in [Dialect::Postgres, Dialect::Mysql] {
            let got = d("TRUNCATE TABLE a", dialect, false).unwrap();
            assert_eq!(got.tables, ["a"], "{dialect:?}");
        }
        assert_eq!(
            d("TRUNCATE a, b", Dialect::Postgres, false).unwrap().tables,
            ["a", "b"]
        );
        // MariaDB's CREATE OR REPLACE TABLE drops the table it replaces.
        for dialect in [Dialect::Mysql, Dialect::Postgres] {
            let got = d("CREATE OR REPLACE TABLE a (id INT)", dialect, false).unwrap();
            assert_eq!(got.tables, ["a"], "{dialect:?}");
            assert_eq!(d("CREATE TABLE a (id INT)", dialect, false), None);
            assert_eq!(
                d("CREATE OR REPLACE VIEW v AS SELECT 1", dialect, false),
                None
            );
        }
        // A `DO` block's body is read for the words that destroy stored data.
        let got = d(
            "DO $$ BEGIN EXECUTE 'drop table ' || 'a'; END $$",
            Dialect::Postgres,
            false,
        )
        .unwrap();
        assert!(got.tables.is_empty());
        assert!(got.uncounted.unwrap().contains("`DROP TABLE`"));
        assert!(
            d("DO $$ BEGIN TRUNCATE a; END $$", Dialect::Postgres, false)
                .unwrap()
                .uncounted
                .is_some()
        );
        assert_eq!(
            d(
                "DO $$ BEGIN DROP INDEX IF EXISTS i; UPDATE a SET x = 1; END $$",
                Dialect::Postgres,
                false
            ),
            None
        );
        // A temporary table holds no stored data.
        assert_eq!(d("DROP TEMPORARY TABLE t", Dialect::Mysql, false), None);
    }

    #[test]
    fn what_cannot_be_counted_is_said() {
        let uncounted = |text: &str, dialect: Dialect, followed: bool| {
            d(text, dialect, followed).and_then(|d| d.uncounted)
        };
        for text in [
            "DROP SCHEMA s CASCADE",
            "DROP SCHEMA s",
            "DROP DATABASE x",
            "DROP OWNED BY bob",
            "DROP TABLESPACE ts",
            "DROP TABLE a CASCADE",
            "DROP TYPE mood CASCADE",
            "DROP VIEW v CASCADE",
            "TRUNCATE a CASCADE",
            "ALTER TABLE t DROP COLUMN c CASCADE",
            "DROP FROBNICATE x",
        ] {
            assert!(
                uncounted(text, Dialect::Postgres, false).is_some(),
                "{text}"
            );
        }
        // Followed, a CASCADE still reaches past the model.
        assert!(uncounted("DROP TABLE a CASCADE", Dialect::Postgres, true).is_some());
        // MySQL's CASCADE does nothing.
        assert_eq!(
            d("DROP TABLE a, b CASCADE", Dialect::Mysql, false)
                .unwrap()
                .uncounted,
            None
        );
        for text in [
            "ALTER TABLE t DROP COLUMN c",
            "ALTER TABLE t DROP c",
            "ALTER TABLE t DROP PARTITION p0",
            "ALTER TABLE t TRUNCATE PARTITION p0",
            "ALTER TABLE t ALTER COLUMN c TYPE int USING c::int",
            "ALTER TABLE t MODIFY c INT",
        ] {
            assert!(uncounted(text, Dialect::Mysql, false).is_some(), "{text}");
            assert_eq!(d(text, Dialect::Mysql, true), None, "{text}");
        }
        for text in [
            "ALTER TABLE t DROP CONSTRAINT k",
            "ALTER TABLE t ALTER COLUMN c DROP DEFAULT",
            "ALTER TABLE t ALTER COLUMN c DROP NOT NULL",
            "ALTER TABLE t ENABLE ROW LEVEL SECURITY",
            "ALTER TABLE t ADD CONSTRAINT k FOREIGN KEY (a) REFERENCES p (id) ON DELETE CASCADE ON UPDATE CASCADE",
        ] {
            assert_eq!(d(text, Dialect::Postgres, false), None, "{text}");
        }
        // A foreign key's CASCADE drops nothing, followed or not.
        assert_eq!(
            d(
                "ALTER TABLE t ADD FOREIGN KEY (a) REFERENCES p (id) ON DELETE CASCADE",
                Dialect::Postgres,
                true
            ),
            None
        );
        // A quoted name is a column's, not a keyword.
        assert!(uncounted("ALTER TABLE t DROP \"index\"", Dialect::Postgres, false).is_some());
        // An attribute dropped where the model does not follow it; followed, the
        // model counts it.
        let drop_attribute = "ALTER TYPE addr DROP ATTRIBUTE zip CASCADE";
        assert!(uncounted(drop_attribute, Dialect::Postgres, false).is_some());
        assert_eq!(d(drop_attribute, Dialect::Postgres, true), None);
        assert_eq!(
            d(
                "ALTER TYPE addr ADD ATTRIBUTE zip int",
                Dialect::Postgres,
                false
            ),
            None
        );
    }

    #[test]
    fn the_public_reader_lets_only_followed_statements_go_unread() {
        let public = crate::destroys;
        assert_eq!(
            public("DROP TABLE a, b", Dialect::Postgres, false)
                .unwrap()
                .tables,
            ["a", "b"]
        );
        assert_eq!(
            public("CREATE TABLE a (id INT)", Dialect::Postgres, true),
            None
        );
        assert_eq!(
            public("ALTER TABLE a DROP COLUMN b", Dialect::Mysql, true),
            None
        );
        assert!(public("ALTER TABLE a DROP COLUMN b", Dialect::Mysql, false).is_some());
        assert!(
            public(
                "ALTER TABLE a DROP COLUMN b CASCADE",
                Dialect::Postgres,
                true
            )
            .is_some()
        );
        assert_eq!(
            public(
                "ALTER TABLE a ADD FOREIGN KEY (p) REFERENCES p (id) ON DELETE CASCADE",
                Dialect::Postgres,
                true
            ),
            None
        );
        assert_eq!(
            public("CREATE OR REPLACE TABLE a (id INT)", Dialect::Mysql, false)
                .unwrap()
                .tables,
            ["a"]
        );
        assert_eq!(public("DELETE FROM a", Dialect::Sqlite, false), None);
        // Named as the model names them: PostgreSQL folds unquoted names, drops `public.`.
        assert_eq!(
            public(
                "DROP TABLE Orders, public.\"Line Items\"",
                Dialect::Postgres,
                false
            )
            .unwrap()
            .tables,
            ["orders", "Line Items"]
        );
    }
}
