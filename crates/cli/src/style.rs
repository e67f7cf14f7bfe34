//! Colour for terminals, and SQL highlighting.
//!
//! The rules (docs/output.md): colour when the stream is a terminal and `TERM` is not
//! `dumb`; `CLICOLOR_FORCE` set (not empty, not `0`) forces it on, also into a pipe or
//! a file; `NO_COLOR` set (not empty) turns it off, whatever else says. Colour only
//! ever wraps text in escape sequences: taking them out ([`strip`]) gives the
//! uncoloured output byte for byte.

use std::io::IsTerminal;

/// How to paint text for one output stream.
#[derive(Debug, Clone, Copy)]
pub struct Style {
    color: bool,
}

impl Style {
    /// For standard output.
    pub fn stdout() -> Style {
        Style {
            color: wants_color(std::io::stdout().is_terminal()),
        }
    }

    /// For standard error.
    pub fn stderr() -> Style {
        Style {
            color: wants_color(std::io::stderr().is_terminal()),
        }
    }

    /// Colour on or off, whatever the environment (for tests and callers that decided).
    pub fn new(color: bool) -> Style {
        Style { color }
    }

    /// Whether this style paints.
    pub fn is_color(&self) -> bool {
        self.color
    }

    fn paint(&self, code: &str, text: &str) -> String {
        if self.color && !text.is_empty() {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }

    pub fn green(&self, text: &str) -> String {
        self.paint("32", text)
    }

    pub fn red(&self, text: &str) -> String {
        self.paint("31", text)
    }

    pub fn yellow(&self, text: &str) -> String {
        self.paint("33", text)
    }

    pub fn bold(&self, text: &str) -> String {
        self.paint("1", text)
    }

    /// SQL keywords.
    pub fn blue(&self, text: &str) -> String {
        self.paint("34", text)
    }

    /// Comments.
    pub fn dim(&self, text: &str) -> String {
        self.paint("2", text)
    }

    /// `sql` with its keywords, string literals and comments painted (see
    /// [`highlight_sql`]); the text itself unchanged.
    pub fn sql(&self, sql: &str) -> String {
        if self.color {
            highlight_sql(self, sql)
        } else {
            sql.to_string()
        }
    }
}

/// Whether a stream gets colour: `NO_COLOR` (<https://no-color.org>) wins, then
/// `CLICOLOR_FORCE` (<https://bixense.com/clicolors/>), then a terminal that is not
/// `TERM=dumb`.
fn wants_color(is_terminal: bool) -> bool {
    let set = |name: &str| std::env::var_os(name).is_some_and(|v| !v.is_empty());
    if set("NO_COLOR") {
        return false;
    }
    if set("CLICOLOR_FORCE") && std::env::var_os("CLICOLOR_FORCE").is_some_and(|v| v != "0") {
        return true;
    }
    is_terminal && std::env::var_os("TERM").is_none_or(|t| t != "dumb")
}

/// `text` without the escape sequences [`Style`] writes (`ESC [ ... m`), and
/// without the live lines' `ESC [ 2K`.
pub fn strip(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\x1b' && chars.peek() == Some(&'[') {
            chars.next();
            for d in chars.by_ref() {
                if d.is_ascii_alphabetic() {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// Words painted as keywords: the statements and clauses of migration files.
const KEYWORDS: &[&str] = &[
    "ADD",
    "ALTER",
    "ALWAYS",
    "AND",
    "AS",
    "ASC",
    "AUTOINCREMENT",
    "AUTO_INCREMENT",
    "BEGIN",
    "BETWEEN",
    "BY",
    "CASCADE",
    "CASE",
    "CHECK",
    "COLLATE",
    "COLUMN",
    "COMMIT",
    "CONCURRENTLY",
    "CONSTRAINT",
    "CREATE",
    "DEFAULT",
    "DEFERRABLE",
    "DEFERRED",
    "DELETE",
    "DESC",
    "DISTINCT",
    "DROP",
    "ELSE",
    "END",
    "ENUM",
    "EXISTS",
    "EXTENSION",
    "FOREIGN",
    "FROM",
    "FUNCTION",
    "GENERATED",
    "GROUP",
    "IDENTITY",
    "IF",
    "IMMEDIATE",
    "IN",
    "INDEX",
    "INITIALLY",
    "INSERT",
    "INTO",
    "IS",
    "JOIN",
    "KEY",
    "LIKE",
    "LIMIT",
    "MODIFY",
    "NOT",
    "NULL",
    "ON",
    "OR",
    "ORDER",
    "PRIMARY",
    "REFERENCES",
    "RENAME",
    "REPLACE",
    "RESTRICT",
    "ROLLBACK",
    "SAVEPOINT",
    "SCHEMA",
    "SELECT",
    "SEQUENCE",
    "SET",
    "STORED",
    "STRICT",
    "TABLE",
    "TEMPORARY",
    "THEN",
    "TO",
    "TRANSACTION",
    "TRIGGER",
    "TYPE",
    "UNION",
    "UNIQUE",
    "UPDATE",
    "USING",
    "VALUES",
    "VIEW",
    "VIRTUAL",
    "WHEN",
    "WHERE",
    "WITH",
    "WITHOUT",
];

/// Paints `sql`'s keywords, string literals and comments. It reads the text as a
/// lexer would (a quoted name or a dollar-quoted body is not a keyword, a `--` in a
/// string is no comment) and only ever wraps pieces of it: [`strip`] gives `sql` back.
pub fn highlight_sql(style: &Style, sql: &str) -> String {
    let mut out = String::with_capacity(sql.len() + sql.len() / 4);
    let bytes = sql.as_bytes();
    let mut i = 0;
    // Up to the end of a quoted piece opened by `quote` at `start`: a doubled quote
    // stays inside; a backslash escapes in MySQL strings (harmless elsewhere for
    // colour, as the text is kept either way).
    let quoted_end = |start: usize, quote: u8| -> usize {
        let mut j = start + 1;
        while j < bytes.len() {
            if bytes[j] == quote {
                if bytes.get(j + 1) == Some(&quote) {
                    j += 2;
                    continue;
                }
                return j + 1;
            }
            if bytes[j] == b'\\' && quote == b'\'' && j + 1 < bytes.len() {
                j += 2;
                continue;
            }
            j += 1;
        }
        bytes.len()
    };
    while i < bytes.len() {
        let b = bytes[i];
        let rest = &sql[i..];
        if rest.starts_with("--") {
            let end = rest.find('\n').map_or(sql.len(), |n| i + n);
            out.push_str(&style.dim(&sql[i..end]));
            i = end;
        } else if let Some(body) = rest.strip_prefix("/*") {
            let end = body.find("*/").map_or(sql.len(), |n| i + 2 + n + 2);
            out.push_str(&style.dim(&sql[i..end]));
            i = end;
        } else if b == b'\'' {
            let end = quoted_end(i, b'\'');
            out.push_str(&style.green(&sql[i..end]));
            i = end;
        } else if b == b'"' || b == b'`' {
            let end = quoted_end(i, b);
            out.push_str(&sql[i..end]);
            i = end;
        } else if b == b'$'
            && let Some(end) = dollar_quote_end(rest)
        {
            out.push_str(&style.green(&sql[i..i + end]));
            i += end;
        } else if b.is_ascii_alphabetic() || b == b'_' {
            let len = rest
                .bytes()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == b'_' || *c == b'$')
                .count();
            let word = &sql[i..i + len];
            if KEYWORDS.iter().any(|k| k.eq_ignore_ascii_case(word)) {
                out.push_str(&style.blue(word));
            } else {
                out.push_str(word);
            }
            i += len;
        } else {
            // One whole character (UTF-8 sequences are never split).
            let len = rest.chars().next().map_or(1, char::len_utf8);
            out.push_str(&sql[i..i + len]);
            i += len;
        }
    }
    out
}

/// The length of a PostgreSQL dollar-quoted string at the start of `text` (`$$...$$`,
/// `$tag$...$tag$`), if one is there and closed.
fn dollar_quote_end(text: &str) -> Option<usize> {
    let tag_len = text[1..]
        .bytes()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == b'_')
        .count();
    if text.as_bytes().get(1 + tag_len) != Some(&b'$') {
        return None;
    }
    let tag = &text[..tag_len + 2];
    if tag[1..].starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    let body = &text[tag.len()..];
    body.find(tag).map(|n| tag.len() + n + tag.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn highlighting_paints_keywords_strings_and_comments_only() {
        let style = Style::new(true);
        let sql = "-- a comment\nCREATE TABLE \"select\" (x TEXT DEFAULT 'it''s -- no comment');";
        let painted = highlight_sql(&style, sql);
        assert_eq!(
            painted,
            "\x1b[2m-- a comment\x1b[0m\n\x1b[34mCREATE\x1b[0m \x1b[34mTABLE\x1b[0m \"select\" \
             (x TEXT \x1b[34mDEFAULT\x1b[0m \x1b[32m'it''s -- no comment'\x1b[0m);"
        );
        assert_eq!(strip(&painted), sql);
    }

    #[test]
    fn highlighting_keeps_every_text_byte_for_byte() {
        let style = Style::new(true);
        for sql in [
            "",
            "'unclosed",
            "/* unclosed",
            "$$ body $$; $1 $a$ x $a$ $",
            "é CREATE ü 'ß' -- ∑\n",
            "SELECT `a``b`, \"c\"\"d\", 'e\\'f' FROM t",
            "x -- tail",
        ] {
            assert_eq!(strip(&highlight_sql(&style, sql)), sql, "{sql:?}");
        }
        assert_eq!(Style::new(false).sql("CREATE TABLE t"), "CREATE TABLE t");
    }
}
