//! Quoting identifiers and string literals for generated SQL.
//!
//! An identifier is written bare only when every reader agrees on what it means: it
//! is a plain ASCII word, not a word sqlparser reads as something else (checked by a
//! test against sqlparser's whole keyword list, so an upgrade that reserves a new word
//! fails the build instead of corrupting output), not reserved in SQL or in the
//! dialect, and for PostgreSQL, which folds bare names to lower case, lower case.
//!
//! sqlparser's full keyword list is not the criterion: it holds about 1100 words,
//! among them `id`, `name`, `status` and `type`, which every database accepts bare,
//! and quoting them would make every generated migration harder to read.

use crate::Dialect;
use wildebeest_schema::SQL_RESERVED;

/// `name` as an identifier in `dialect`: bare when safe, else quoted (`"..."`, or
/// `` `...` `` for MySQL) with embedded quote characters doubled.
pub(crate) fn quote_ident(name: &str, dialect: Dialect) -> String {
    if is_bare(name, dialect) {
        return name.to_string();
    }
    let q = if dialect == Dialect::Mysql { '`' } else { '"' };
    let mut out = String::with_capacity(name.len() + 2);
    out.push(q);
    for c in name.chars() {
        if c == q {
            out.push(q);
        }
        out.push(c);
    }
    out.push(q);
    out
}

/// `s` as a string literal: `'...'` with embedded `'` doubled.
pub(crate) fn quote_literal(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

/// Whether `text` can be written as it is inside the parentheses of a statement
/// without ending them, the statement or the rest of the line: every quote it opens
/// (`'...'`, `"..."`, `` `...` ``, SQLite's `[...]`) closes, its parentheses balance
/// without closing one it did not open, and outside quotes it has no `;`, no comment
/// (`--`, `/*`, MySQL's `#`), no backslash outside a quoted name (MySQL reads one in a
/// string as an escape, PostgreSQL in an `E'...'` string) and no `$` that could open a PostgreSQL
/// dollar quote. A model's expression text always is; a column's name kept where an
/// expression could be (an index part) may not be, and must then be quoted.
pub(crate) fn is_enclosed(text: &str, dialect: Dialect) -> bool {
    let bytes = text.as_bytes();
    let mut depth = 0usize;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        let close = match b {
            b'\'' | b'"' | b'`' => Some(b),
            b'[' if dialect == Dialect::Sqlite => Some(b']'),
            _ => None,
        };
        if let Some(close) = close {
            let mut j = i + 1;
            loop {
                match bytes.get(j) {
                    None => return false,
                    // A backslash escapes in a string (MySQL's, and MySQL's `"..."` is
                    // one); in a quoted name it is itself.
                    Some(b'\\')
                        if close == b'\'' || (close == b'"' && dialect == Dialect::Mysql) =>
                    {
                        return false;
                    }
                    Some(&c) if c == close => {
                        // A doubled quote stands for itself; `]` has no escape.
                        if close != b']' && bytes.get(j + 1) == Some(&close) {
                            j += 2;
                            continue;
                        }
                        break;
                    }
                    Some(_) => j += 1,
                }
            }
            i = j + 1;
            continue;
        }
        match b {
            b'(' => depth += 1,
            b')' => match depth.checked_sub(1) {
                Some(d) => depth = d,
                None => return false,
            },
            b';' | b'\\' | b'#' => return false,
            b'-' if bytes.get(i + 1) == Some(&b'-') => return false,
            b'/' if bytes.get(i + 1) == Some(&b'*') => return false,
            b'*' if bytes.get(i + 1) == Some(&b'/') => return false,
            b'$' if i == 0 || !(bytes[i - 1].is_ascii_alphanumeric() || bytes[i - 1] == b'_') => {
                return false;
            }
            _ => {}
        }
        i += 1;
    }
    depth == 0
}

/// `text` made fit for a `-- ` comment line: a line break would end the comment and
/// turn the rest of a name into SQL, so control characters are written escaped
/// (`\n`, `\r`, `\t`, else `\u{..}`), as is a backslash, so that the escape reads
/// back unambiguously.
pub(crate) fn comment_text(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.chars().any(|c| c.is_control() || c == '\\') {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
            c => out.push(c),
        }
    }
    std::borrow::Cow::Owned(out)
}

fn is_bare(name: &str, dialect: Dialect) -> bool {
    let mut chars = name.chars();
    let plain = chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_');
    if !plain {
        return false;
    }
    if dialect == Dialect::Postgres && name.bytes().any(|b| b.is_ascii_uppercase()) {
        return false;
    }
    let upper = name.to_ascii_uppercase();
    let listed = |list: &[&str]| list.binary_search(&upper.as_str()).is_ok();
    let dialect_list: &[&str] = match dialect {
        Dialect::Sqlite => SQLITE_KEYWORDS,
        Dialect::Postgres => &[],
        Dialect::Mysql => MYSQL_RESERVED,
    };
    !(listed(PARSER_RESERVED) || listed(SQL_RESERVED) || listed(dialect_list))
}

/// Keywords sqlparser 0.63 does not read as a bare identifier in some position a
/// generated statement puts a name (see the test `bare_keywords_parse_as_names`).
const PARSER_RESERVED: &[&str] = &[
    "ALL",
    "ANALYZE",
    "ANY",
    "BINARY",
    "CHECK",
    "CLUSTER",
    "CONSTRAINT",
    "CURRENT_CATALOG",
    "CURRENT_DATE",
    "CURRENT_TIME",
    "CURRENT_TIMESTAMP",
    "CURRENT_USER",
    "DIRECTORY",
    "DISTINCT",
    "DISTINCTROW",
    "DISTRIBUTE",
    "END",
    "EXCEPT",
    "EXCLUDE",
    "EXISTS",
    "EXPLAIN",
    "FALSE",
    "FETCH",
    "FOREIGN",
    "FROM",
    "FULLTEXT",
    "GROUP",
    "HAVING",
    "HIGH_PRIORITY",
    "INDEX",
    "INTERSECT",
    "INTERVAL",
    "INTO",
    "KEY",
    "LATERAL",
    "LIKE",
    "LIMIT",
    "LOCAL",
    "LOCALTIME",
    "LOCALTIMESTAMP",
    "MINUS",
    "NOT",
    "NULL",
    "OFFSET",
    "ON",
    "ONLY",
    "ORDER",
    "PRIMARY",
    "RETURNING",
    "SELECT",
    "SESSION_USER",
    "SOME",
    "SORT",
    "SPATIAL",
    "SQL_BIG_RESULT",
    "SQL_BUFFER_RESULT",
    "SQL_CALC_FOUND_ROWS",
    "SQL_NO_CACHE",
    "SQL_SMALL_RESULT",
    "STRAIGHT_JOIN",
    "STRUCT",
    "TABLE",
    "TOP",
    "TRIM",
    "TRUE",
    "UNION",
    "UNIQUE",
    "UNNEST",
    "USER",
    "VALUES",
    "VIEW",
    "WHERE",
    "WITH",
];

/// SQLite's keywords (<https://sqlite.org/lang_keywords.html>). SQLite accepts many
/// of them as names, but not in every position, so all are quoted.
const SQLITE_KEYWORDS: &[&str] = &[
    "ABORT",
    "ACTION",
    "ADD",
    "AFTER",
    "ALL",
    "ALTER",
    "ALWAYS",
    "ANALYZE",
    "AND",
    "AS",
    "ASC",
    "ATTACH",
    "AUTOINCREMENT",
    "BEFORE",
    "BEGIN",
    "BETWEEN",
    "BY",
    "CASCADE",
    "CASE",
    "CAST",
    "CHECK",
    "COLLATE",
    "COLUMN",
    "COMMIT",
    "CONFLICT",
    "CONSTRAINT",
    "CREATE",
    "CROSS",
    "CURRENT",
    "CURRENT_DATE",
    "CURRENT_TIME",
    "CURRENT_TIMESTAMP",
    "DATABASE",
    "DEFAULT",
    "DEFERRABLE",
    "DEFERRED",
    "DELETE",
    "DESC",
    "DETACH",
    "DISTINCT",
    "DO",
    "DROP",
    "EACH",
    "ELSE",
    "END",
    "ESCAPE",
    "EXCEPT",
    "EXCLUDE",
    "EXCLUSIVE",
    "EXISTS",
    "EXPLAIN",
    "FAIL",
    "FILTER",
    "FIRST",
    "FOLLOWING",
    "FOR",
    "FOREIGN",
    "FROM",
    "FULL",
    "GENERATED",
    "GLOB",
    "GROUP",
    "GROUPS",
    "HAVING",
    "IF",
    "IGNORE",
    "IMMEDIATE",
    "IN",
    "INDEX",
    "INDEXED",
    "INITIALLY",
    "INNER",
    "INSERT",
    "INSTEAD",
    "INTERSECT",
    "INTO",
    "IS",
    "ISNULL",
    "JOIN",
    "KEY",
    "LAST",
    "LEFT",
    "LIKE",
    "LIMIT",
    "MATCH",
    "MATERIALIZED",
    "NATURAL",
    "NO",
    "NOT",
    "NOTHING",
    "NOTNULL",
    "NULL",
    "NULLS",
    "OF",
    "OFFSET",
    "ON",
    "OR",
    "ORDER",
    "OTHERS",
    "OUTER",
    "OVER",
    "PARTITION",
    "PLAN",
    "PRAGMA",
    "PRECEDING",
    "PRIMARY",
    "QUERY",
    "RAISE",
    "RANGE",
    "RECURSIVE",
    "REFERENCES",
    "REGEXP",
    "REINDEX",
    "RELEASE",
    "RENAME",
    "REPLACE",
    "RESTRICT",
    "RETURNING",
    "RIGHT",
    "ROLLBACK",
    "ROW",
    "ROWS",
    "SAVEPOINT",
    "SELECT",
    "SET",
    "TABLE",
    "TEMP",
    "TEMPORARY",
    "THEN",
    "TIES",
    "TO",
    "TRANSACTION",
    "TRIGGER",
    "UNBOUNDED",
    "UNION",
    "UNIQUE",
    "UPDATE",
    "USING",
    "VACUUM",
    "VALUES",
    "VIEW",
    "VIRTUAL",
    "WHEN",
    "WHERE",
    "WINDOW",
    "WITH",
    "WITHOUT",
];

/// MySQL 8's reserved words (<https://dev.mysql.com/doc/refman/8.4/en/keywords.html>).
const MYSQL_RESERVED: &[&str] = &[
    "ACCESSIBLE",
    "ADD",
    "ALL",
    "ALTER",
    "ANALYZE",
    "AND",
    "AS",
    "ASC",
    "ASENSITIVE",
    "BEFORE",
    "BETWEEN",
    "BIGINT",
    "BINARY",
    "BLOB",
    "BOTH",
    "BY",
    "CALL",
    "CASCADE",
    "CASE",
    "CHANGE",
    "CHAR",
    "CHARACTER",
    "CHECK",
    "COLLATE",
    "COLUMN",
    "CONDITION",
    "CONSTRAINT",
    "CONTINUE",
    "CONVERT",
    "CREATE",
    "CROSS",
    "CUBE",
    "CUME_DIST",
    "CURRENT_DATE",
    "CURRENT_TIME",
    "CURRENT_TIMESTAMP",
    "CURRENT_USER",
    "CURSOR",
    "DATABASE",
    "DATABASES",
    "DAY_HOUR",
    "DAY_MICROSECOND",
    "DAY_MINUTE",
    "DAY_SECOND",
    "DEC",
    "DECIMAL",
    "DECLARE",
    "DEFAULT",
    "DELAYED",
    "DELETE",
    "DENSE_RANK",
    "DESC",
    "DESCRIBE",
    "DETERMINISTIC",
    "DISTINCT",
    "DISTINCTROW",
    "DIV",
    "DOUBLE",
    "DROP",
    "DUAL",
    "EACH",
    "ELSE",
    "ELSEIF",
    "EMPTY",
    "ENCLOSED",
    "ESCAPED",
    "EXCEPT",
    "EXISTS",
    "EXIT",
    "EXPLAIN",
    "FALSE",
    "FETCH",
    "FIRST_VALUE",
    "FLOAT",
    "FLOAT4",
    "FLOAT8",
    "FOR",
    "FORCE",
    "FOREIGN",
    "FROM",
    "FULLTEXT",
    "FUNCTION",
    "GENERATED",
    "GET",
    "GRANT",
    "GROUP",
    "GROUPING",
    "GROUPS",
    "HAVING",
    "HIGH_PRIORITY",
    "HOUR_MICROSECOND",
    "HOUR_MINUTE",
    "HOUR_SECOND",
    "IF",
    "IGNORE",
    "IN",
    "INDEX",
    "INFILE",
    "INNER",
    "INOUT",
    "INSENSITIVE",
    "INSERT",
    "INT",
    "INT1",
    "INT2",
    "INT3",
    "INT4",
    "INT8",
    "INTEGER",
    "INTERSECT",
    "INTERVAL",
    "INTO",
    "IO_AFTER_GTIDS",
    "IO_BEFORE_GTIDS",
    "IS",
    "ITERATE",
    "JOIN",
    "JSON_TABLE",
    "KEY",
    "KEYS",
    "KILL",
    "LAG",
    "LAST_VALUE",
    "LATERAL",
    "LEAD",
    "LEADING",
    "LEAVE",
    "LEFT",
    "LIKE",
    "LIMIT",
    "LINEAR",
    "LINES",
    "LOAD",
    "LOCALTIME",
    "LOCALTIMESTAMP",
    "LOCK",
    "LONG",
    "LONGBLOB",
    "LONGTEXT",
    "LOOP",
    "LOW_PRIORITY",
    "MASTER_BIND",
    "MASTER_SSL_VERIFY_SERVER_CERT",
    "MATCH",
    "MAXVALUE",
    "MEDIUMBLOB",
    "MEDIUMINT",
    "MEDIUMTEXT",
    "MIDDLEINT",
    "MINUTE_MICROSECOND",
    "MINUTE_SECOND",
    "MOD",
    "MODIFIES",
    "NATURAL",
    "NOT",
    "NO_WRITE_TO_BINLOG",
    "NTH_VALUE",
    "NTILE",
    "NULL",
    "NUMERIC",
    "OF",
    "ON",
    "OPTIMIZE",
    "OPTIMIZER_COSTS",
    "OPTION",
    "OPTIONALLY",
    "OR",
    "ORDER",
    "OUT",
    "OUTER",
    "OUTFILE",
    "OVER",
    "PARTITION",
    "PERCENT_RANK",
    "PRECISION",
    "PRIMARY",
    "PROCEDURE",
    "PURGE",
    "RANGE",
    "RANK",
    "READ",
    "READS",
    "READ_WRITE",
    "REAL",
    "RECURSIVE",
    "REFERENCES",
    "REGEXP",
    "RELEASE",
    "RENAME",
    "REPEAT",
    "REPLACE",
    "REQUIRE",
    "RESIGNAL",
    "RESTRICT",
    "RETURN",
    "REVOKE",
    "RIGHT",
    "RLIKE",
    "ROW",
    "ROWS",
    "ROW_NUMBER",
    "SCHEMA",
    "SCHEMAS",
    "SECOND_MICROSECOND",
    "SELECT",
    "SENSITIVE",
    "SEPARATOR",
    "SET",
    "SHOW",
    "SIGNAL",
    "SMALLINT",
    "SPATIAL",
    "SPECIFIC",
    "SQL",
    "SQLEXCEPTION",
    "SQLSTATE",
    "SQLWARNING",
    "SQL_BIG_RESULT",
    "SQL_CALC_FOUND_ROWS",
    "SQL_SMALL_RESULT",
    "SSL",
    "STARTING",
    "STORED",
    "STRAIGHT_JOIN",
    "SYSTEM",
    "TABLE",
    "TERMINATED",
    "THEN",
    "TINYBLOB",
    "TINYINT",
    "TINYTEXT",
    "TO",
    "TRAILING",
    "TRIGGER",
    "TRUE",
    "UNDO",
    "UNION",
    "UNIQUE",
    "UNLOCK",
    "UNSIGNED",
    "UPDATE",
    "USAGE",
    "USE",
    "USING",
    "UTC_DATE",
    "UTC_TIME",
    "UTC_TIMESTAMP",
    "VALUES",
    "VARBINARY",
    "VARCHAR",
    "VARCHARACTER",
    "VARYING",
    "VIRTUAL",
    "WHEN",
    "WHERE",
    "WHILE",
    "WINDOW",
    "WITH",
    "WRITE",
    "XOR",
    "YEAR_MONTH",
    "ZEROFILL",
];

#[cfg(test)]
mod tests {
    use super::*;
    use sqlparser::ast::Expr;
    use sqlparser::parser::Parser;

    #[test]
    fn keyword_lists_are_sorted_for_binary_search() {
        for list in [
            PARSER_RESERVED,
            SQL_RESERVED,
            SQLITE_KEYWORDS,
            MYSQL_RESERVED,
        ] {
            let mut sorted = list.to_vec();
            sorted.sort_unstable();
            sorted.dedup();
            assert_eq!(sorted, list);
        }
    }

    /// Every sqlparser keyword that `quote_ident` leaves bare must read back as the same
    /// name wherever generated SQL puts a name, so `quote_ident` output always parses.
    #[test]
    fn bare_keywords_parse_as_names() {
        const STATEMENTS: [&str; 12] = [
            "CREATE TABLE {k} ({k} INTEGER NOT NULL DEFAULT 0, b INTEGER, PRIMARY KEY ({k}), \
             UNIQUE ({k}, b), CONSTRAINT {k} FOREIGN KEY ({k}) REFERENCES {k} ({k}), CHECK ({k} > 0))",
            "CREATE TABLE t (a INTEGER, {k} TEXT)",
            "CREATE TABLE t ({k} TEXT PRIMARY KEY)",
            "CREATE UNIQUE INDEX {k} ON {k} ({k}, b DESC) WHERE {k} > 0",
            "CREATE INDEX i ON t ({k})",
            "ALTER TABLE {k} ADD COLUMN {k} INTEGER",
            "ALTER TABLE {k} DROP COLUMN {k}",
            "ALTER TABLE {k} RENAME COLUMN {k} TO {k}",
            "ALTER TABLE {k} ALTER COLUMN {k} SET NOT NULL",
            "ALTER TABLE {k} ADD CONSTRAINT {k} UNIQUE ({k})",
            "ALTER TABLE {k} DROP CONSTRAINT {k}",
            "INSERT INTO {k} ({k}, b) SELECT {k}, b FROM {k}",
        ];
        let squeeze = |s: &str| s.replace(' ', "").to_ascii_lowercase();
        let mut failures = Vec::new();
        for dialect in [Dialect::Sqlite, Dialect::Postgres, Dialect::Mysql] {
            let sd = crate::lex::sql_dialect(dialect);
            for &keyword in sqlparser::keywords::ALL_KEYWORDS {
                let name = keyword.to_ascii_lowercase();
                if quote_ident(&name, dialect) != name {
                    continue;
                }
                for s in STATEMENTS {
                    let sql = s.replace("{k}", &name);
                    let ok = Parser::parse_sql(sd, &sql).is_ok_and(|st| {
                        st.len() == 1 && squeeze(&st[0].to_string()) == squeeze(&sql)
                    });
                    if !ok {
                        failures.push(format!("{dialect:?}: {sql}"));
                    }
                }
                let as_expr = Parser::new(sd)
                    .try_with_sql(&name)
                    .and_then(|mut p| p.parse_expr().map(|e| (e, p.peek_token())));
                match as_expr {
                    Ok((Expr::Identifier(i), next))
                        if i.value == name && next.token == sqlparser::tokenizer::Token::EOF => {}
                    _ => failures.push(format!("{dialect:?}: expression {name}")),
                }
            }
        }
        assert!(
            failures.is_empty(),
            "keywords left bare that do not parse as names:\n{}",
            failures.join("\n")
        );
    }

    #[test]
    fn literals_double_their_quotes() {
        assert_eq!(quote_literal("it's"), "'it''s'");
        assert_eq!(quote_literal(""), "''");
    }
}
