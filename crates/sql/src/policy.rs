//! PostgreSQL row-level security: `ALTER TABLE ... {ENABLE | DISABLE | FORCE | NO
//! FORCE} ROW LEVEL SECURITY`, `CREATE POLICY`, `ALTER POLICY` and `DROP POLICY`,
//! read from their tokens (through `routine::Code`). A policy's expressions are
//! normalized as a check's; its roles are the cluster's and are kept as written.

use sqlparser::tokenizer::Token;
use wildebeest_schema::{Change, Policy};

use crate::Dialect;
use crate::ddl::Ctx;
use crate::lex::{Pos, PosError};
use crate::routine::Code;
use crate::split::Piece;

/// A `CREATE POLICY` as read, with where its table's name is.
pub(crate) struct PolicyDef {
    pub policy: Policy,
    pub table_pos: Pos,
}

/// A name at `i`, folded to lower case unless quoted.
fn ident(code: &Code<'_>, i: usize, what: &str) -> Result<String, PosError> {
    match code.token(i) {
        Some(Token::Word(w)) if w.quote_style.is_none() => Ok(w.value.to_lowercase()),
        Some(Token::Word(w)) => Ok(w.value.clone()),
        _ => Err(PosError::new(code.pos(i), format!("expected {what}"))),
    }
}

/// The expression in the parentheses opening at `open`, normalized, and the index
/// after them.
fn expression(code: &Code<'_>, open: usize) -> Result<(String, usize), PosError> {
    if code.token(open) != Some(&Token::LParen) {
        return Err(PosError::new(code.pos(open), "expected `(`"));
    }
    let close = code
        .closing(open)
        .ok_or_else(|| PosError::new(code.pos(open), "the parentheses are not closed"))?;
    let text = &code.text[code.offset(open) + 1..code.offset(close)];
    let e = crate::normalize_expr(text, Dialect::Postgres)
        .map_err(|m| PosError::new(code.pos(open + 1), m))?;
    Ok((e, close + 1))
}

/// The roles of `TO role [, ...]` starting at `i`, sorted, and the index after them.
fn roles(code: &Code<'_>, mut i: usize) -> Result<(Vec<String>, usize), PosError> {
    let mut out = Vec::new();
    loop {
        out.push(ident(code, i, "a role")?);
        i += 1;
        if code.token(i) == Some(&Token::Comma) {
            i += 1;
        } else {
            break;
        }
    }
    out.sort();
    out.dedup();
    Ok((out, i))
}

/// `name ON table` at `i`: the policy's name, the table, where the table is and the
/// index after it.
fn name_on(
    code: &Code<'_>,
    i: usize,
    ctx: &mut Ctx<'_>,
) -> Result<(String, String, Pos, usize), PosError> {
    let name = ident(code, i, "the policy's name")?;
    if code.word(i + 1).as_deref() != Some("ON") {
        return Err(PosError::new(code.pos(i + 1), "expected `ON table`"));
    }
    let (table, after) = code.name(i + 2, ctx)?;
    Ok((name, table.value, code.pos(i + 2), after))
}

/// Reads a `CREATE POLICY`.
pub(crate) fn create_policy(piece: &Piece, ctx: &mut Ctx<'_>) -> Result<PolicyDef, PosError> {
    let code = Code::new(piece)?;
    let (name, table, table_pos, mut i) = name_on(&code, 2, ctx)?;
    let mut policy = Policy {
        name,
        table,
        permissive: true,
        command: "ALL".into(),
        roles: vec!["public".into()],
        using: None,
        check: None,
    };
    while code.token(i).is_some() {
        match code.word(i).as_deref() {
            Some("AS") => {
                policy.permissive = match code.word(i + 1).as_deref() {
                    Some("PERMISSIVE") => true,
                    Some("RESTRICTIVE") => false,
                    _ => {
                        return Err(PosError::new(
                            code.pos(i + 1),
                            "expected `PERMISSIVE` or `RESTRICTIVE`",
                        ));
                    }
                };
                i += 2;
            }
            Some("FOR") => {
                let cmd = code.word(i + 1).unwrap_or_default();
                if !matches!(
                    cmd.as_str(),
                    "ALL" | "SELECT" | "INSERT" | "UPDATE" | "DELETE"
                ) {
                    return Err(PosError::new(
                        code.pos(i + 1),
                        "expected ALL, SELECT, INSERT, UPDATE or DELETE",
                    ));
                }
                policy.command = cmd;
                i += 2;
            }
            Some("TO") => {
                let (r, after) = roles(&code, i + 1)?;
                policy.roles = r;
                i = after;
            }
            Some("USING") => {
                let (e, after) = expression(&code, i + 1)?;
                policy.using = Some(e);
                i = after;
            }
            Some("WITH") if code.word(i + 1).as_deref() == Some("CHECK") => {
                let (e, after) = expression(&code, i + 2)?;
                policy.check = Some(e);
                i = after;
            }
            _ if code.token(i) == Some(&Token::SemiColon) => i += 1,
            _ => {
                return Err(PosError::new(
                    code.pos(i),
                    "expected `AS`, `FOR`, `TO`, `USING` or `WITH CHECK`",
                ));
            }
        }
    }
    Ok(PolicyDef { policy, table_pos })
}

/// `DROP POLICY [IF EXISTS] name ON table [CASCADE | RESTRICT]`.
pub(crate) fn drop_policy(piece: &Piece, ctx: &mut Ctx<'_>) -> Result<Change, PosError> {
    let code = Code::new(piece)?;
    let if_exists = code.word(2).as_deref() == Some("IF");
    let at = if if_exists { 4 } else { 2 };
    let (name, table, _, after) = name_on(&code, at, ctx)?;
    if let Some(w) = code
        .word(after)
        .filter(|w| w != "CASCADE" && w != "RESTRICT")
    {
        return Err(PosError::new(code.pos(after), format!("unexpected `{w}`")));
    }
    Ok(Change::DropPolicy {
        name,
        table,
        if_exists,
    })
}

/// `ALTER POLICY name ON table {RENAME TO new | [TO roles] [USING (e)] [WITH CHECK
/// (e)]}`.
pub(crate) fn alter_policy(piece: &Piece, ctx: &mut Ctx<'_>) -> Result<Change, PosError> {
    let code = Code::new(piece)?;
    let (name, table, _, mut i) = name_on(&code, 2, ctx)?;
    let mut change = (None, None, None, None);
    if code.word(i).as_deref() == Some("RENAME") && code.word(i + 1).as_deref() == Some("TO") {
        change.0 = Some(ident(&code, i + 2, "the policy's new name")?);
        i += 3;
    }
    while code.token(i).is_some() {
        match code.word(i).as_deref() {
            Some("TO") => {
                let (r, after) = roles(&code, i + 1)?;
                change.1 = Some(r);
                i = after;
            }
            Some("USING") => {
                let (e, after) = expression(&code, i + 1)?;
                change.2 = Some(e);
                i = after;
            }
            Some("WITH") if code.word(i + 1).as_deref() == Some("CHECK") => {
                let (e, after) = expression(&code, i + 2)?;
                change.3 = Some(e);
                i = after;
            }
            _ if code.token(i) == Some(&Token::SemiColon) => i += 1,
            _ => {
                return Err(PosError::new(
                    code.pos(i),
                    "expected `RENAME TO`, `TO`, `USING` or `WITH CHECK`",
                ));
            }
        }
    }
    Ok(Change::AlterPolicy {
        name,
        table,
        rename: change.0,
        roles: change.1,
        using: change.2,
        check: change.3,
    })
}

/// What an `ALTER TABLE ... ROW LEVEL SECURITY` sets: the table, `ENABLE`/`DISABLE`
/// and `FORCE`/`NO FORCE` (`None` when it leaves one), and where it is.
pub(crate) struct RowSecurityChange {
    pub table: String,
    pub enabled: Option<bool>,
    pub forced: Option<bool>,
    pub at: Pos,
}

/// An `ALTER TABLE [IF EXISTS] [ONLY] table {ENABLE | DISABLE | FORCE | NO FORCE}
/// ROW LEVEL SECURITY`; `None` for any other statement.
pub(crate) fn row_security(
    piece: &Piece,
    ctx: &mut Ctx<'_>,
) -> Option<Result<RowSecurityChange, PosError>> {
    let upper = piece.text.to_ascii_uppercase();
    if !upper.contains("SECURITY") {
        return None;
    }
    let code = Code::new(piece).ok()?;
    if code.word(0).as_deref() != Some("ALTER") || code.word(1).as_deref() != Some("TABLE") {
        return None;
    }
    let mut i = 2;
    if code.word(i).as_deref() == Some("IF") && code.word(i + 1).as_deref() == Some("EXISTS") {
        i += 2;
    }
    if code.word(i).as_deref() == Some("ONLY") {
        i += 1;
    }
    let (table, mut k) = match code.name(i, ctx) {
        Ok(x) => x,
        Err(e) => return Some(Err(e)),
    };
    let at = code.pos(k);
    let (mut enabled, mut forced) = (None, None);
    match code.word(k).as_deref() {
        Some("ENABLE") => enabled = Some(true),
        Some("DISABLE") => enabled = Some(false),
        Some("FORCE") => forced = Some(true),
        Some("NO") if code.word(k + 1).as_deref() == Some("FORCE") => {
            forced = Some(false);
            k += 1;
        }
        _ => return None,
    }
    let words: Vec<String> = (k + 1..k + 4).filter_map(|j| code.word(j)).collect();
    if words != ["ROW", "LEVEL", "SECURITY"] {
        return None;
    }
    if code.token(k + 4).is_some_and(|t| *t != Token::SemiColon) {
        return Some(Err(PosError::new(
            code.pos(k + 4),
            "row-level security is modeled in an `ALTER TABLE` of its own: write the other \
             actions in another statement",
        )));
    }
    Some(Ok(RowSecurityChange {
        table: table.value,
        enabled,
        forced,
        at,
    }))
}
