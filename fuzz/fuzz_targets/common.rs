// Shared by the targets (included with `#[path]`, so each target stays one binary).
#![allow(dead_code)]

use wildebeest_sql::Dialect;

/// The dialect a fuzz input's first byte selects, and the rest of the input as text.
/// Bytes that are not UTF-8 are replaced, so every input exercises the parser.
pub fn dialect_and_text(data: &[u8]) -> Option<(Dialect, String)> {
    let (&first, rest) = data.split_first()?;
    let dialect = match first % 3 {
        0 => Dialect::Sqlite,
        1 => Dialect::Postgres,
        _ => Dialect::Mysql,
    };
    Some((dialect, String::from_utf8_lossy(rest).into_owned()))
}

/// Checks that an error position points into `text`: a line that exists (or the one
/// just after the last, for "unexpected end"), and a column of at least 1.
pub fn assert_position_in(text: &str, line: usize, column: usize, what: &str) {
    // Line endings as the migration file parser counts them: LF, CRLF and a lone CR.
    let lines = text
        .replace("\r\n", "\n")
        .replace('\r', "\n")
        .split('\n')
        .count();
    assert!(
        line >= 1 && line <= lines + 1,
        "{what}: line {line} outside the text's {lines} lines"
    );
    assert!(column >= 1, "{what}: column {column}");
}
