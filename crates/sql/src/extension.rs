//! PostgreSQL extensions: `CREATE EXTENSION [IF NOT EXISTS] name [WITH] [SCHEMA s]`
//! and `DROP EXTENSION [IF EXISTS] a, b`, read into [`Extension`]s. Another database
//! has none, so there they are refused by name; so are the clauses that make what
//! the schema does not say (`CASCADE` makes the extensions this one requires, and
//! `VERSION` pins a release the server may not have).

use sqlparser::ast::{Ident, ReferentialAction, Statement as AstStatement};
use wildebeest_schema::Extension;

use crate::Dialect;
use crate::lex::{Pos, PosError, pos_of};
use crate::parse::{self, Kind};
use crate::split::Piece;

/// An extension's name as PostgreSQL keeps it: an unquoted name in lower case.
fn folded(ident: &Ident) -> String {
    if ident.quote_style.is_some() {
        ident.value.clone()
    } else {
        ident.value.to_lowercase()
    }
}

/// The refusal of an extension on a database that has none.
fn no_extensions(dialect: Dialect, at: Pos) -> PosError {
    let db = match dialect {
        Dialect::Sqlite => "SQLite",
        Dialect::Mysql => "MySQL",
        Dialect::Postgres => "this database",
    };
    PosError::new(
        at,
        format!("{db} has no extensions: `CREATE EXTENSION` and `DROP EXTENSION` are PostgreSQL's"),
    )
}

/// A `CREATE EXTENSION`: the extension, where its name is, and whether it said
/// `IF NOT EXISTS`.
pub(crate) fn create_extension(
    piece: &Piece,
    dialect: Dialect,
) -> Result<(Extension, Pos, bool), PosError> {
    let start = Pos {
        line: piece.line,
        column: piece.column,
    };
    if dialect != Dialect::Postgres {
        return Err(no_extensions(dialect, start));
    }
    // PostgreSQL's `WITH` before the options is optional; the parser wants it.
    let parsed = parse::parse_piece(piece, dialect, Kind::CreateExtension).or_else(|e| {
        with_inserted(&piece.text).map_or(Err(e.clone()), |text| {
            let with = Piece {
                text,
                line: piece.line,
                column: piece.column,
            };
            parse::parse_piece(&with, dialect, Kind::CreateExtension).map_err(|_| e)
        })
    })?;
    let AstStatement::CreateExtension(ce) = parsed else {
        return Err(PosError::new(start, "cannot read this `CREATE EXTENSION`"));
    };
    let at = pos_of(ce.name.span, start);
    let name = folded(&ce.name);
    if ce.cascade {
        return Err(PosError::new(
            at,
            format!(
                "extension `{name}`: `CASCADE` makes the extensions it requires, which the \
                 schema does not name; write a `CREATE EXTENSION` for each of them before \
                 this one, without `CASCADE`"
            ),
        ));
    }
    if let Some(version) = &ce.version {
        return Err(PosError::new(
            at,
            format!(
                "extension `{name}`: `VERSION {version}` is not modeled (the server makes its \
                 default release); leave it out, and update an extension with `ALTER \
                 EXTENSION {name} UPDATE` in a migration written by hand"
            ),
        ));
    }
    let extension = Extension {
        name,
        schema: ce.schema.as_ref().map(folded),
    };
    Ok((extension, at, ce.if_not_exists))
}

/// A `DROP EXTENSION`: the names, where each is, and whether it said `IF EXISTS`.
/// `CASCADE` drops whatever uses the extensions, which the model cannot follow.
pub(crate) fn drop_extension(
    piece: &Piece,
    dialect: Dialect,
) -> Result<(Vec<(String, Pos)>, bool), PosError> {
    let start = Pos {
        line: piece.line,
        column: piece.column,
    };
    if dialect != Dialect::Postgres {
        return Err(no_extensions(dialect, start));
    }
    let AstStatement::DropExtension(de) = parse::parse_piece(piece, dialect, Kind::DropExtension)?
    else {
        return Err(PosError::new(start, "cannot read this `DROP EXTENSION`"));
    };
    if de.cascade_or_restrict == Some(ReferentialAction::Cascade) {
        return Err(PosError::new(
            start,
            "`DROP EXTENSION ... CASCADE` drops whatever uses the extension (columns, \
             defaults, indexes), which wildebeest cannot follow; drop those first, then \
             the extension without `CASCADE`",
        ));
    }
    let names = de
        .names
        .iter()
        .map(|i| (folded(i), pos_of(i.span, start)))
        .collect();
    Ok((names, de.if_exists))
}

/// `text` with `WITH` before its first `SCHEMA`, `VERSION` or `CASCADE` word outside
/// quotes, when no `WITH` comes before it; `None` when there is nothing to insert.
fn with_inserted(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut i = 0;
    let mut last_word = String::new();
    while i < bytes.len() {
        match bytes[i] {
            q @ (b'"' | b'\'') => {
                i += 1;
                while i < bytes.len() && bytes[i] != q {
                    i += 1;
                }
                i += 1;
                last_word.clear();
            }
            c if c.is_ascii_alphabetic() || c == b'_' => {
                let start = i;
                while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_') {
                    i += 1;
                }
                let word = text[start..i].to_ascii_uppercase();
                if matches!(word.as_str(), "SCHEMA" | "VERSION" | "CASCADE") {
                    if last_word == "WITH" {
                        return None;
                    }
                    return Some(format!("{}WITH {}", &text[..start], &text[start..]));
                }
                last_word = word;
            }
            _ => i += 1,
        }
    }
    None
}
