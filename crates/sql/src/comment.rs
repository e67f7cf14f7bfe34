//! PostgreSQL's `COMMENT ON ... IS '...'`, read from its tokens (through
//! `routine::Code`): on a table or a column (of a table or a view), and on the other
//! objects the model holds ([`CommentOn`]). A comment on anything else (a role, a
//! collation, another schema, ...) is refused by its kind; so is the statement on
//! SQLite and MySQL, which have none.

use sqlparser::ast::{Ident, ObjectName};
use sqlparser::tokenizer::{Span, Token};
use wildebeest_schema::{CommentOn, RoutineKind};

use crate::Dialect;
use crate::ddl::{self, Ctx, Name};
use crate::lex::{Pos, PosError};
use crate::routine::{self, Code};
use crate::split::Piece;

/// What a `COMMENT ON` is on.
#[derive(Debug, Clone)]
pub(crate) enum Target {
    /// `COMMENT ON TABLE t`.
    Table(Name),
    /// `COMMENT ON COLUMN r.c`: a table's or a view's column.
    Column { relation: Name, column: Name },
    /// Any other object the model holds, with where its name is.
    Other(CommentOn, Pos),
}

/// A `COMMENT ON` read: its target and its text (`None` for `IS NULL` or `IS ''`,
/// which PostgreSQL takes as no comment).
#[derive(Debug, Clone)]
pub(crate) struct Comment {
    pub target: Target,
    pub text: Option<String>,
}

/// Reads a `COMMENT ON` statement.
pub(crate) fn comment_on(piece: &Piece, ctx: &mut Ctx<'_>) -> Result<Comment, PosError> {
    if ctx.dialect != Dialect::Postgres {
        let instead = match ctx.dialect {
            Dialect::Mysql => {
                "write `COMMENT '...'` in the column's definition or `COMMENT='...'` after the table's"
            }
            _ => "SQLite keeps no comments: write it as a `--` comment",
        };
        return Err(PosError::new(
            ctx.start,
            format!("`COMMENT ON` is PostgreSQL's; {instead}"),
        ));
    }
    let code = Code::new(piece)?;
    let kind = code.word(2).unwrap_or_default();
    let mut i = 3;
    let target = match kind.as_str() {
        "TABLE" => {
            let (name, after) = code.name(i, ctx)?;
            i = after;
            Target::Table(name)
        }
        "COLUMN" => {
            let (mut parts, after) = idents(&code, i)?;
            i = after;
            let (Some(column), true) = (parts.pop(), !parts.is_empty()) else {
                return Err(PosError::new(
                    code.pos(3),
                    "`COMMENT ON COLUMN`: name the column as TABLE.COLUMN",
                ));
            };
            let relation = ddl::object_name(&ObjectName::from(parts), ctx)?;
            Target::Column {
                relation,
                column: Name {
                    value: column.value,
                    pos: code.pos(after - 1),
                },
            }
        }
        "MATERIALIZED" if code.word(3).as_deref() == Some("VIEW") => {
            let (name, after) = code.name(4, ctx)?;
            i = after;
            Target::Other(CommentOn::MaterializedView(name.value), name.pos)
        }
        "VIEW" | "INDEX" | "SEQUENCE" | "TYPE" | "DOMAIN" | "EXTENSION" => {
            let (name, after) = code.name(i, ctx)?;
            i = after;
            let value = name.value;
            let on = match kind.as_str() {
                "VIEW" => CommentOn::View(value),
                "INDEX" => CommentOn::Index(value),
                "SEQUENCE" => CommentOn::Sequence(value),
                "TYPE" => CommentOn::Type(value),
                "DOMAIN" => CommentOn::Domain(value),
                _ => CommentOn::Extension(value),
            };
            Target::Other(on, name.pos)
        }
        "FUNCTION" | "PROCEDURE" => {
            let kind = if kind == "FUNCTION" {
                RoutineKind::Function
            } else {
                RoutineKind::Procedure
            };
            let (name, after) = code.name(i, ctx)?;
            i = after;
            let key = if code.token(after) == Some(&Token::LParen) {
                let Some(close) = code.closing(after) else {
                    return Err(PosError::new(
                        code.pos(after),
                        "the argument list has no closing `)`",
                    ));
                };
                i = close + 1;
                let types = routine::identity_types(&code, after, close, kind);
                format!("{}({})", name.value, types.join(", "))
            } else {
                name.value
            };
            Target::Other(CommentOn::Routine { kind, key }, name.pos)
        }
        "TRIGGER" | "CONSTRAINT" | "POLICY" => {
            let (Some(Token::Word(w)), Some("ON")) = (code.token(i), code.word(i + 1).as_deref())
            else {
                return Err(PosError::new(
                    code.pos(i),
                    format!("expected `{} name ON table`", kind.to_ascii_uppercase()),
                ));
            };
            let name = if w.quote_style.is_none() {
                w.value.to_lowercase()
            } else {
                w.value.clone()
            };
            let domain = kind == "CONSTRAINT" && code.word(i + 2).as_deref() == Some("DOMAIN");
            let at = if domain { i + 3 } else { i + 2 };
            let (owner, after) = code.name(at, ctx)?;
            i = after;
            let on = match kind.as_str() {
                "TRIGGER" => CommentOn::Trigger {
                    table: owner.value,
                    name,
                },
                "POLICY" => CommentOn::Policy {
                    table: owner.value,
                    name,
                },
                _ if domain => CommentOn::DomainConstraint {
                    domain: owner.value,
                    name,
                },
                _ => CommentOn::Constraint {
                    table: owner.value,
                    name,
                },
            };
            Target::Other(on, owner.pos)
        }
        "SCHEMA" => {
            let (parts, after) = idents(&code, i)?;
            i = after;
            let name = match parts.as_slice() {
                [one] => one.value.clone(),
                _ => String::new(),
            };
            if name != ctx.pg_schema && name != "public" {
                return Err(PosError::new(
                    code.pos(3),
                    format!(
                        "a comment on schema `{name}` is not modeled: wildebeest manages one \
                         schema (`{}`), and keeps its comment alone",
                        ctx.pg_schema
                    ),
                ));
            }
            Target::Other(CommentOn::Schema, code.pos(3))
        }
        _ => {
            let mut what = kind.to_ascii_lowercase();
            // Two-word kinds: `ACCESS METHOD`, `FOREIGN TABLE`, `LARGE OBJECT`, ...
            if matches!(
                kind.as_str(),
                "ACCESS" | "EVENT" | "FOREIGN" | "LARGE" | "TEXT" | "PROCEDURAL"
            ) && let Some(next) = code.word(3)
            {
                what = format!("{what} {}", next.to_ascii_lowercase());
            }
            return Err(PosError::new(
                code.pos(2),
                format!(
                    "a comment on a {what} is not modeled (comments on tables, columns, \
                     views, materialized views, indexes, sequences, enum types, domains, \
                     functions, procedures, triggers, constraints, policies, extensions and \
                     the schema are): leave it out, or add it in a migration written by \
                     hand (`wildebeest revision`)"
                ),
            ));
        }
    };
    if code.word(i).as_deref() != Some("IS") {
        return Err(PosError::new(
            code.pos(i),
            "expected `IS 'text'` or `IS NULL`",
        ));
    }
    let text = match code.token(i + 1) {
        Some(Token::SingleQuotedString(s) | Token::EscapedStringLiteral(s)) => Some(s.clone()),
        Some(Token::DollarQuotedString(d)) => Some(d.value.clone()),
        Some(t) if crate::lex::bare_word(t).as_deref() == Some("NULL") => None,
        _ => {
            return Err(PosError::new(
                code.pos(i + 1),
                "expected the comment as a string, or `NULL`",
            ));
        }
    };
    match code.token(i + 2) {
        None | Some(Token::SemiColon) => {}
        Some(_) => {
            return Err(PosError::new(
                code.pos(i + 2),
                "expected the end of the statement after the comment",
            ));
        }
    }
    Ok(Comment {
        target,
        text: text.filter(|t| !t.is_empty()),
    })
}

/// The dotted identifiers starting at `i`, each folded to lower case unless quoted,
/// and the index after them.
fn idents(code: &Code<'_>, i: usize) -> Result<(Vec<Ident>, usize), PosError> {
    let mut out = Vec::new();
    let mut at = i;
    loop {
        let Some(Token::Word(w)) = code.token(at) else {
            return Err(PosError::new(code.pos(at), "expected a name"));
        };
        let value = if w.quote_style.is_none() {
            w.value.to_lowercase()
        } else {
            w.value.clone()
        };
        let pos = code.pos(at);
        let loc = sqlparser::tokenizer::Location::new(pos.line as u64, pos.column as u64);
        out.push(Ident {
            value,
            quote_style: w.quote_style,
            span: Span::new(loc, loc),
        });
        at += 1;
        if code.token(at) == Some(&Token::Period) {
            at += 1;
        } else {
            return Ok((out, at));
        }
    }
}

/// The head of the `DO` block that sets the comment on the schema a migration runs
/// in: `COMMENT ON SCHEMA` needs the schema's name, which a migration does not know
/// (the database URL says it), so the block builds the statement with
/// `current_schema()`. Its dollar tag follows (`$comment$`, or `$comment1$`, ... when
/// the text holds that).
const SCHEMA_BLOCK_HEAD: &str = "DO $comment";

/// What the block runs, after its tag; the comment as a literal (or `NULL`) follows.
const SCHEMA_BLOCK_BODY: &str = " BEGIN EXECUTE 'COMMENT ON SCHEMA ' || quote_ident(current_schema()) || ' IS ' || quote_nullable(";

/// The end of the block's body, before its closing tag.
const SCHEMA_BLOCK_TAIL: &str = "::text); END ";

/// The `DO` block that sets (`None`: removes) the comment on the schema a migration
/// runs in; [`read_schema_block`] reads it back.
pub fn schema_comment_block(text: Option<&str>) -> String {
    let literal = text.map_or("NULL".to_string(), crate::quote_literal);
    let tag = (0..)
        .map(|n| {
            if n == 0 {
                "$comment$".to_string()
            } else {
                format!("$comment{n}$")
            }
        })
        .find(|tag| !literal.contains(tag.as_str()))
        .unwrap_or_default();
    format!("DO {tag}{SCHEMA_BLOCK_BODY}{literal}{SCHEMA_BLOCK_TAIL}{tag}")
}

/// The comment a block of [`schema_comment_block`] sets (`Some(None)`: removes), or
/// `None` for any other text.
pub(crate) fn read_schema_block(text: &str) -> Option<Option<String>> {
    let text = text.trim().trim_end_matches(';').trim_end();
    let rest = text.strip_prefix(SCHEMA_BLOCK_HEAD)?;
    let (number, rest) = rest.split_once('$')?;
    if !number.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let tag = format!("$comment{number}$");
    let rest = rest.strip_prefix(SCHEMA_BLOCK_BODY)?;
    let literal = rest
        .strip_suffix(tag.as_str())?
        .strip_suffix(SCHEMA_BLOCK_TAIL)?;
    if literal == "NULL" {
        return Some(None);
    }
    let tokens =
        sqlparser::tokenizer::Tokenizer::new(&sqlparser::dialect::PostgreSqlDialect {}, literal)
            .tokenize()
            .ok()?;
    match tokens.as_slice() {
        [Token::SingleQuotedString(s) | Token::EscapedStringLiteral(s)] => {
            Some(Some(s.clone()).filter(|s| !s.is_empty()))
        }
        _ => None,
    }
}
