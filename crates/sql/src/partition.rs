//! PostgreSQL's statements about partitions that sqlparser does not read, read from
//! the tokens: `ALTER TABLE [ONLY] parent ATTACH PARTITION child bound`, `ALTER TABLE
//! parent DETACH PARTITION child`, `CREATE INDEX ... ON ONLY parent` (the index of a
//! partitioned table alone, as pg_dump writes it) and `ALTER INDEX parent ATTACH
//! PARTITION child` (pg_dump's way of saying that a partition's index is the copy of
//! its parent's). A `CREATE TABLE ... PARTITION OF` and `PARTITION BY` are sqlparser's
//! (`ddl::create_table`).

use sqlparser::tokenizer::{Token, TokenWithSpan};

use crate::Dialect;
use crate::lex::{self, Pos, PosError};
use crate::parse::Kind;
use crate::split::Piece;

/// A name in a statement and where it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Named {
    pub name: String,
    pub pos: Pos,
}

/// One statement about partitions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Partitioning {
    /// `ALTER TABLE parent ATTACH PARTITION child bound`; `bound` as sqlparser writes
    /// it (`ddl::partition_bound`).
    Attach {
        parent: Named,
        child: Named,
        bound: String,
    },
    /// `ALTER TABLE parent DETACH PARTITION child`.
    Detach { parent: Named, child: Named },
    /// `CREATE INDEX ... ON ONLY t ...`: the statement with `ONLY` blanked out.
    OnOnly(Piece),
    /// `ALTER INDEX parent ATTACH PARTITION child`.
    AttachIndex { parent: Named, child: Named },
}

/// Reads `piece` when it is one of the statements of [`Partitioning`]; `None` when it
/// is not (any other statement, or one that does not tokenize).
pub(crate) fn read(
    piece: &Piece,
    kind: Kind,
    pg_schema: &str,
) -> Option<Result<Partitioning, PosError>> {
    let start = Pos {
        line: piece.line,
        column: piece.column,
    };
    let tokens: Vec<TokenWithSpan> = lex::tokenize(
        &piece.text,
        start,
        Dialect::Postgres,
        lex::sql_dialect(Dialect::Postgres),
    )
    .ok()?
    .into_iter()
    .filter(|t| !lex::is_trivia(&t.token) && t.token != Token::SemiColon)
    .collect();
    let words: Vec<Option<String>> = tokens.iter().map(|t| lex::bare_word(&t.token)).collect();
    let word = |i: usize, w: &str| words.get(i).and_then(|x| x.as_deref()) == Some(w);
    let find =
        |from: usize, a: &str, b: &str| (from..words.len()).find(|&i| word(i, a) && word(i + 1, b));
    let pos = |i: usize| tokens.get(i).map_or(start, |t| lex::pos_of(t.span, start));
    match kind {
        Kind::AlterTable => {
            let (at, attach) = match (
                find(2, "ATTACH", "PARTITION"),
                find(2, "DETACH", "PARTITION"),
            ) {
                (Some(at), _) => (at, true),
                (None, Some(at)) => (at, false),
                (None, None) => return None,
            };
            Some((|| {
                let parent = name(&tokens, &words, 2, at, pg_schema, start)?;
                let child_end = (at + 2..tokens.len())
                    .find(|&i| tokens[i].token != Token::Period && !is_name_part(&tokens, i))
                    .unwrap_or(tokens.len());
                let child = name(&tokens, &words, at + 2, child_end, pg_schema, start)?;
                if !attach {
                    return match words.get(child_end..).unwrap_or_default() {
                        [] => Ok(Partitioning::Detach { parent, child }),
                        _ => Err(PosError::new(
                            pos(child_end),
                            format!(
                                "`DETACH PARTITION {}` with options (`CONCURRENTLY`, \
                                 `FINALIZE`) is not supported yet",
                                child.name
                            ),
                        )),
                    };
                }
                let rest: Vec<String> = tokens[child_end..]
                    .iter()
                    .map(|t| t.token.to_string())
                    .collect();
                let bound = crate::ddl::partition_bound(&rest.join(" ")).ok_or_else(|| {
                    PosError::new(
                        pos(child_end),
                        format!(
                            "`ATTACH PARTITION {}`: cannot read its bound `{}`",
                            child.name,
                            rest.join(" ")
                        ),
                    )
                })?;
                Ok(Partitioning::Attach {
                    parent,
                    child,
                    bound,
                })
            })())
        }
        Kind::CreateTable => {
            // `PARTITION OF parent (...)`: only constraints go there, which sqlparser
            // reads; a column's options (`c WITH OPTIONS DEFAULT 1`) it does not.
            let of = find(2, "PARTITION", "OF")?;
            let open = (of + 2..tokens.len()).find(|&i| {
                tokens[i].token == Token::LParen || word(i, "FOR") || word(i, "DEFAULT")
            })?;
            if tokens[open].token != Token::LParen {
                return None;
            }
            let constraint = [
                "CONSTRAINT",
                "PRIMARY",
                "UNIQUE",
                "CHECK",
                "FOREIGN",
                "EXCLUDE",
            ];
            let mut at = open + 1;
            let mut depth = 0usize;
            while at < tokens.len() {
                match &tokens[at].token {
                    Token::LParen => depth += 1,
                    Token::RParen if depth == 0 => return None,
                    Token::RParen => depth -= 1,
                    _ => {}
                }
                let item_start =
                    depth == 0 && (at == open + 1 || tokens[at - 1].token == Token::Comma);
                if item_start
                    && !words[at]
                        .as_deref()
                        .is_some_and(|w| constraint.contains(&w))
                {
                    let column = match &tokens[at].token {
                        Token::Word(w) => w.value.clone(),
                        other => other.to_string(),
                    };
                    let table = name(&tokens, &words, 2, of, pg_schema, start)
                        .map_or_else(|_| String::new(), |n| n.name);
                    return Some(Err(PosError::new(
                        pos(at),
                        format!(
                            "partition `{table}`: options of its column `{column}` are not \
                             supported yet; a partition's columns are its parent's"
                        ),
                    )));
                }
                at += 1;
            }
            None
        }
        Kind::CreateIndex => {
            let on = find(0, "ON", "ONLY")?;
            let only = tokens.get(on + 1)?;
            let text = blank(piece, lex::pos_of(only.span, start), 4)?;
            Some(Ok(Partitioning::OnOnly(Piece {
                text,
                line: piece.line,
                column: piece.column,
            })))
        }
        Kind::Other if word(0, "ALTER") && word(1, "INDEX") => {
            let at = find(2, "ATTACH", "PARTITION")?;
            Some((|| {
                let parent = name(&tokens, &words, 2, at, pg_schema, start)?;
                let child = name(&tokens, &words, at + 2, tokens.len(), pg_schema, start)?;
                Ok(Partitioning::AttachIndex { parent, child })
            })())
        }
        _ => None,
    }
}

/// Whether token `i` is a word (a part of a name).
fn is_name_part(tokens: &[TokenWithSpan], i: usize) -> bool {
    matches!(tokens[i].token, Token::Word(_))
        && !matches!(
            lex::bare_word(&tokens[i].token).as_deref(),
            Some("FOR" | "DEFAULT")
        )
}

/// The name written in `tokens[from..to]` (after `IF EXISTS` and `ONLY`), qualified
/// with `public` or the managed schema at most.
fn name(
    tokens: &[TokenWithSpan],
    words: &[Option<String>],
    from: usize,
    to: usize,
    pg_schema: &str,
    start: Pos,
) -> Result<Named, PosError> {
    let skip = ["IF", "NOT", "EXISTS", "ONLY"];
    let parts: Vec<usize> = (from..to.min(tokens.len()))
        .filter(|&i| !words[i].as_deref().is_some_and(|w| skip.contains(&w)))
        .collect();
    let at = parts
        .first()
        .map_or(start, |&i| lex::pos_of(tokens[i].span, start));
    let idents: Vec<&str> = parts
        .iter()
        .filter_map(|&i| match &tokens[i].token {
            Token::Word(w) => Some(w.value.as_str()),
            _ => None,
        })
        .collect();
    let text: String = parts.iter().map(|&i| tokens[i].token.to_string()).collect();
    let dots = parts
        .iter()
        .filter(|&&i| tokens[i].token == Token::Period)
        .count();
    match (idents.as_slice(), dots) {
        ([one], 0) => Ok(Named {
            name: (*one).to_string(),
            pos: at,
        }),
        ([schema, one], 1) if *schema == "public" || *schema == pg_schema => Ok(Named {
            name: (*one).to_string(),
            pos: at,
        }),
        ([schema, _], 1) => Err(PosError::new(
            at,
            format!(
                "`{text}`: objects in schema `{schema}` are not \
                             supported yet; wildebeest \
                 manages one schema (`{pg_schema}`): write the name unqualified"
            ),
        )),
        _ => Err(PosError::new(at, format!("cannot read the name `{text}`"))),
    }
}

/// `piece`'s text with `len` characters at `at` (a position in the file) made spaces,
/// so that every other position stays.
fn blank(piece: &Piece, at: Pos, len: usize) -> Option<String> {
    let mut line = piece.line;
    let mut column = piece.column;
    let mut out = String::with_capacity(piece.text.len());
    let mut left = 0;
    for c in piece.text.chars() {
        if line == at.line && column == at.column {
            left = len;
        }
        if left > 0 {
            out.push(' ');
            left -= 1;
        } else {
            out.push(c);
        }
        if c == '\n' {
            line += 1;
            column = 1;
        } else {
            column += 1;
        }
    }
    (out != piece.text).then_some(out)
}
