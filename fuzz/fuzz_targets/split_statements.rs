//! The statement splitter: `split_statements` (every dialect's forms) and
//! `try_split_statements` in each dialect.
//!
//! Invariants checked beyond "no panic":
//! - every piece is non-empty, has no white space at either end, and is found in the
//!   text, in order and without overlap, starting on the line it names;
//! - nothing is lost or merged: the pieces joined with `;` and a newline split into the
//!   same pieces (in MySQL, unless a `DELIMITER` line set another delimiter, after
//!   which a piece may hold a `;` of its own);
//! - `try_split_statements` either errors at a position inside the text or gives
//!   pieces with the same properties.
#![no_main]

use libfuzzer_sys::fuzz_target;
use wildebeest_sql::{Dialect, split_statements, try_split_statements};

#[path = "common.rs"]
mod common;

/// Byte offset of the start of each line (1-based line `n` starts at `starts[n - 1]`).
fn line_starts(text: &str) -> Vec<usize> {
    std::iter::once(0)
        .chain(text.match_indices('\n').map(|(i, _)| i + 1))
        .collect()
}

fn check_pieces(
    text: &str,
    pieces: &[(String, usize)],
    resplit: impl Fn(&str) -> Vec<(String, usize)>,
) {
    let starts = line_starts(text);
    let mut from = 0;
    for (piece, line) in pieces {
        assert!(!piece.is_empty(), "empty piece");
        assert_eq!(
            piece.trim_start(),
            piece,
            "piece with white space at its start"
        );
        assert!(
            *line >= 1 && *line <= starts.len(),
            "line {line} out of range"
        );
        let line_start = starts[line - 1];
        let line_end = starts.get(*line).copied().unwrap_or(text.len());
        let search = from.max(line_start);
        let Some(at) = text
            .get(search..)
            .and_then(|rest| rest.find(piece.as_str()))
        else {
            panic!("piece {piece:?} (line {line}) not found in order in the text");
        };
        let at = search + at;
        assert!(
            at < line_end.max(line_start + 1),
            "piece {piece:?} does not start on line {line}"
        );
        from = at + piece.len();
        // A statement ends at its last character of code, unless a string or comment
        // it opens runs to the end of the text.
        if from < text.len() {
            assert_eq!(piece.trim_end(), piece, "piece with white space at its end");
        }
    }

    let joined = pieces
        .iter()
        .map(|(p, _)| p.as_str())
        .collect::<Vec<_>>()
        .join(";\n");
    // Each piece was ended by `;` or by the end of the text; the last one's end is
    // not known here (what ends a piece can change its last token: MySQL's `--`
    // before the end of the text is a comment, before `;` it is not; a `;` inside a
    // `BEGIN` body that never closes belongs to it), so either ending must give the
    // same pieces.
    let before: Vec<&String> = pieces.iter().map(|(p, _)| p).collect();
    let resplit_as =
        |joined: &str| -> Vec<String> { resplit(joined).into_iter().map(|(p, _)| p).collect() };
    let terminated = format!("{joined};\n");
    let again = resplit_as(&terminated);
    let joined = if again.iter().collect::<Vec<_>>() == before {
        terminated
    } else {
        joined
    };
    let again = resplit_as(&joined);
    let after: Vec<&String> = again.iter().collect();
    assert_eq!(before, after, "joined pieces split differently: {joined:?}");
}

fuzz_target!(|data: &[u8]| {
    let Some((dialect, text)) = common::dialect_and_text(data) else {
        return;
    };
    let pieces = split_statements(&text);
    check_pieces(&text, &pieces, split_statements);

    for d in [dialect, Dialect::Sqlite, Dialect::Postgres, Dialect::Mysql] {
        let delimiter = d == Dialect::Mysql && text.to_ascii_lowercase().contains("delimiter");
        match try_split_statements(&text, "fuzz.sql", d) {
            Ok(pieces) if delimiter => check_pieces(&text, &pieces, |_| pieces.clone()),
            Ok(pieces) => check_pieces(&text, &pieces, |t| {
                try_split_statements(t, "fuzz.sql", d).expect("joined pieces are terminated")
            }),
            Err(e) => common::assert_position_in(&text, e.line, e.column, &e.to_string()),
        }
    }
});
