//! PostgreSQL's trigger statements to the model: `CREATE [OR REPLACE] [CONSTRAINT]
//! TRIGGER`, `DROP TRIGGER ... ON table`, `ALTER TRIGGER ... ON table RENAME TO` and
//! `ALTER TABLE ... {ENABLE [REPLICA | ALWAYS] | DISABLE} TRIGGER`.
//!
//! A PostgreSQL trigger runs a function: the statement is read from its tokens (the
//! head words, the name, the timing and events up to `ON`, the table, and the rest
//! kept as written), with the function's name taken out of `EXECUTE FUNCTION |
//! PROCEDURE f(args)` for the dependency. A table or function qualified with the
//! managed schema or `public` (pg_dump's `ON public.t`, `public.f()`) is read
//! unqualified, through `ddl::object_name`. What the server prints
//! (`pg_get_triggerdef`) is read the same way ([`pg_trigger_from_catalog`]).

use sqlparser::keywords::Keyword;
use sqlparser::tokenizer::{Token, Tokenizer, Word};
use wildebeest_schema::{Change, Trigger, TriggerState};

use crate::Dialect;
use crate::ddl::Ctx;
use crate::lex::{self, Pos, PosError};
use crate::routine::Code;
use crate::split::Piece;

/// A PostgreSQL `CREATE TRIGGER` as read.
pub(crate) struct PgTriggerDef {
    pub trigger: Trigger,
    pub or_replace: bool,
    pub name_pos: Pos,
    pub table_pos: Pos,
}

/// Whether `text` is a PostgreSQL `CREATE [OR REPLACE] [CONSTRAINT] TRIGGER`.
pub(crate) fn is_create(text: &str) -> bool {
    let w = crate::parse::leading_words(text, 5);
    let w: Vec<&str> = w.iter().map(String::as_str).collect();
    matches!(
        w.as_slice(),
        ["CREATE", "TRIGGER", ..]
            | ["CREATE", "CONSTRAINT", "TRIGGER", ..]
            | ["CREATE", "OR", "REPLACE", "TRIGGER", ..]
            | ["CREATE", "OR", "REPLACE", "CONSTRAINT", "TRIGGER", ..]
    )
}

/// A trigger's or a rule's (`kind`) own name at `i`, `what` in the error when there is
/// none: one word, never qualified (PostgreSQL's rule), folded
/// to lower case unless quoted.
pub(crate) fn own_name(
    code: &Code<'_>,
    i: usize,
    kind: &str,
    what: &str,
) -> Result<String, PosError> {
    let name = match code.token(i) {
        Some(Token::Word(w)) if w.quote_style.is_none() => w.value.to_lowercase(),
        Some(Token::Word(w)) => w.value.clone(),
        _ => return Err(PosError::new(code.pos(i), format!("expected {what}"))),
    };
    if code.token(i + 1) == Some(&Token::Period) {
        return Err(PosError::new(
            code.pos(i),
            format!("a {kind}'s name cannot be qualified: it is its table's own"),
        ));
    }
    Ok(name)
}

/// Reads a PostgreSQL `CREATE TRIGGER` (see the module's docs).
pub(crate) fn create_trigger(piece: &Piece, ctx: &mut Ctx<'_>) -> Result<PgTriggerDef, PosError> {
    let code = Code::new(piece)?;
    let fail = |i: usize, m: &str| PosError::new(code.pos(i), m.to_string());
    let mut i = 1;
    let or_replace = code.word(1).as_deref() == Some("OR");
    if or_replace {
        i += 2;
    }
    let constraint = code.word(i).as_deref() == Some("CONSTRAINT");
    if constraint {
        i += 1;
    }
    if code.word(i).as_deref() != Some("TRIGGER") {
        return Err(fail(
            i,
            "expected `CREATE [OR REPLACE] [CONSTRAINT] TRIGGER`",
        ));
    }
    i += 1;
    let name_i = i;
    let name = own_name(&code, i, "trigger", "the trigger's name")?;
    i += 1;
    let timing_i = i;
    while code.word(i).as_deref() != Some("ON") {
        if code.token(i).is_none() {
            return Err(fail(
                timing_i,
                "expected `ON table` after the trigger's events",
            ));
        }
        i += 1;
    }
    let on_i = i;
    let timing_words: Vec<String> = (timing_i..on_i).filter_map(|k| code.word(k)).collect();
    if !matches!(
        timing_words.first().map(String::as_str),
        Some("BEFORE" | "AFTER" | "INSTEAD")
    ) {
        return Err(fail(timing_i, "expected `BEFORE`, `AFTER` or `INSTEAD OF`"));
    }
    if !timing_words
        .iter()
        .any(|w| matches!(w.as_str(), "INSERT" | "UPDATE" | "DELETE" | "TRUNCATE"))
    {
        return Err(fail(
            timing_i,
            "expected the trigger's event: INSERT, UPDATE, DELETE or TRUNCATE",
        ));
    }
    let table_i = on_i + 1;
    let (table, body_i) = code.name(table_i, ctx)?;
    // `EXECUTE FUNCTION | PROCEDURE name(args)`, the end of the statement.
    let exec = (body_i..code.tokens.len())
        .find(|&k| {
            code.word(k).as_deref() == Some("EXECUTE")
                && matches!(code.word(k + 1).as_deref(), Some("FUNCTION" | "PROCEDURE"))
        })
        .ok_or_else(|| fail(body_i, "expected `EXECUTE FUNCTION name(arguments)`"))?;
    let fn_i = exec + 2;
    let (function, open) = code.name(fn_i, ctx)?;
    if code.token(open) != Some(&Token::LParen) {
        return Err(fail(
            open,
            "expected the function's arguments in parentheses",
        ));
    }
    let close = code
        .closing(open)
        .ok_or_else(|| fail(open, "the function's arguments are not closed"))?;
    if let Some(k) =
        (close + 1..code.tokens.len()).find(|&k| code.token(k) != Some(&Token::SemiColon))
    {
        return Err(fail(
            k,
            "expected the end of the statement after the function's arguments",
        ));
    }
    let text = code.text;
    let timing = text[code.offset(timing_i)..code.offset(on_i)]
        .trim()
        .to_string();
    // The body as written, with the function's name as its last part only (a
    // qualifier is the managed schema's or `public`, which `object_name` checked).
    let body = format!(
        "{}{}",
        &text[code.offset(body_i)..code.offset(fn_i)],
        &text[code.offset(open - 1)..code.offset(close + 1)]
    )
    .trim()
    .to_string();
    let normalized = normalize(&format!("{timing} ON {body}"));
    Ok(PgTriggerDef {
        trigger: Trigger {
            name,
            table: table.value,
            timing,
            body,
            normalized,
            follows_renames: true,
            function: Some(function.value),
            constraint,
            state: TriggerState::Enabled,
        },
        or_replace,
        name_pos: code.pos(name_i),
        table_pos: code.pos(table_i),
    })
}

/// `text` in one spelling: keywords in upper case, other unquoted words in lower case
/// (PostgreSQL folds them), quotes taken off names that need none, one space between
/// tokens, and `EXECUTE PROCEDURE` as `EXECUTE FUNCTION` (the same to PostgreSQL).
fn normalize(text: &str) -> String {
    let Ok(tokens) = Tokenizer::new(lex::sql_dialect(Dialect::Postgres), text).tokenize() else {
        return text.split_whitespace().collect::<Vec<_>>().join(" ");
    };
    let mut out: Vec<String> = Vec::new();
    for t in tokens.iter().filter(|t| !lex::is_trivia(t)) {
        let word = match t {
            Token::Word(Word {
                value,
                quote_style: Some('"'),
                ..
            }) if plain_lower(value) && !is_keyword(value) => value.clone(),
            Token::Word(Word {
                value,
                quote_style: None,
                keyword,
            }) if *keyword != Keyword::NoKeyword => value.to_ascii_uppercase(),
            Token::Word(Word {
                value,
                quote_style: None,
                ..
            }) => value.to_lowercase(),
            t => t.to_string(),
        };
        if word == "PROCEDURE" && out.last().map(String::as_str) == Some("EXECUTE") {
            out.push("FUNCTION".into());
        } else {
            out.push(word);
        }
    }
    out.join(" ")
}

fn plain_lower(s: &str) -> bool {
    let mut chars = s.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_lowercase() || c == '_')
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

fn is_keyword(s: &str) -> bool {
    let up = s.to_ascii_uppercase();
    sqlparser::keywords::ALL_KEYWORDS
        .binary_search(&up.as_str())
        .is_ok()
}

/// A trigger as a PostgreSQL server prints it (`pg_get_triggerdef`), in schema
/// `schema`, with its state (`pg_trigger.tgenabled`).
pub fn pg_trigger_from_catalog(
    definition: &str,
    schema: &str,
    enabled: &str,
) -> Result<Trigger, String> {
    let piece = Piece {
        text: definition.trim().to_string(),
        line: 1,
        column: 1,
    };
    let mut warnings = Vec::new();
    let mut ctx = Ctx {
        dialect: Dialect::Postgres,
        start: Pos { line: 1, column: 1 },
        warnings: &mut warnings,
        pg_schema: schema,
    };
    let mut t = create_trigger(&piece, &mut ctx)
        .map_err(|e| {
            format!(
                "cannot read the trigger `{}`: {}",
                crate::excerpt(definition),
                e.message
            )
        })?
        .trigger;
    t.state = TriggerState::from_catalog(enabled)
        .ok_or_else(|| format!("trigger `{}`: unknown state `{enabled}`", t.name))?;
    Ok(t)
}

/// `DROP TRIGGER [IF EXISTS] name ON table [CASCADE | RESTRICT]` (nothing depends on
/// a trigger, so `CASCADE` drops nothing more).
pub(crate) fn drop_trigger(piece: &Piece, ctx: &mut Ctx<'_>) -> Result<Change, PosError> {
    let code = Code::new(piece)?;
    let mut i = 2;
    let if_exists = code.word(2).as_deref() == Some("IF");
    if if_exists {
        if code.word(3).as_deref() != Some("EXISTS") {
            return Err(PosError::new(code.pos(3), "expected `IF EXISTS`"));
        }
        i = 4;
    }
    let name = own_name(&code, i, "trigger", "the trigger's name")?;
    if code.word(i + 1).as_deref() != Some("ON") {
        return Err(PosError::new(
            code.pos(i + 1),
            "expected `ON table`: a PostgreSQL trigger's name is its table's own",
        ));
    }
    let (table, after) = code.name(i + 2, ctx)?;
    match code.word(after).as_deref() {
        None | Some("CASCADE" | "RESTRICT") if code.token(after + 1).is_none() => {}
        _ if code.token(after).is_none() => {}
        _ => {
            return Err(PosError::new(
                code.pos(after),
                "expected the end of the statement",
            ));
        }
    }
    Ok(Change::DropTrigger {
        name,
        table: Some(table.value),
        if_exists,
    })
}

/// Whether `text` is an `ALTER TRIGGER`.
pub(crate) fn is_alter(text: &str) -> bool {
    crate::parse::leading_words(text, 2) == ["ALTER", "TRIGGER"]
}

/// `ALTER TRIGGER name ON table RENAME TO new`.
pub(crate) fn alter_trigger(piece: &Piece, ctx: &mut Ctx<'_>) -> Result<Change, PosError> {
    let code = Code::new(piece)?;
    let from = own_name(&code, 2, "trigger", "the trigger's name")?;
    if code.word(3).as_deref() != Some("ON") {
        return Err(PosError::new(code.pos(3), "expected `ON table`"));
    }
    let (table, after) = code.name(4, ctx)?;
    if code.word(after).as_deref() != Some("RENAME")
        || code.word(after + 1).as_deref() != Some("TO")
    {
        return Err(PosError::new(
            code.pos(after),
            "only `ALTER TRIGGER ... RENAME TO` is modeled",
        ));
    }
    let to = own_name(&code, after + 2, "trigger", "the trigger's new name")?;
    if code.token(after + 3).is_some() {
        return Err(PosError::new(
            code.pos(after + 3),
            "expected the end of the statement",
        ));
    }
    Ok(Change::RenameTrigger {
        table: table.value,
        from,
        to,
    })
}

/// What an `ALTER TABLE ... ENABLE | DISABLE TRIGGER` says: the table, the trigger
/// (`None` for `ALL` and `USER`), the state and where the trigger's name is.
pub(crate) struct StateChange {
    pub table: String,
    pub name: Option<String>,
    pub state: TriggerState,
    pub at: Pos,
}

/// An `ALTER TABLE [IF EXISTS] [ONLY] table {ENABLE [REPLICA | ALWAYS] | DISABLE}
/// TRIGGER {name | ALL | USER}`; `None` for any other statement.
pub(crate) fn trigger_state(
    piece: &Piece,
    ctx: &mut Ctx<'_>,
) -> Option<Result<StateChange, PosError>> {
    if !piece.text.to_ascii_uppercase().contains("TRIGGER") {
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
    let state = match code.word(k).as_deref() {
        Some("DISABLE") => TriggerState::Disabled,
        Some("ENABLE") => match code.word(k + 1).as_deref() {
            Some("REPLICA") => {
                k += 1;
                TriggerState::Replica
            }
            Some("ALWAYS") => {
                k += 1;
                TriggerState::Always
            }
            _ => TriggerState::Enabled,
        },
        _ => return None,
    };
    if code.word(k + 1).as_deref() != Some("TRIGGER") {
        return None;
    }
    let at = code.pos(k + 2);
    let name = match code.token(k + 2) {
        Some(Token::Word(w))
            if w.quote_style.is_none()
                && matches!(w.value.to_ascii_uppercase().as_str(), "ALL" | "USER") =>
        {
            None
        }
        Some(Token::Word(_)) => match own_name(&code, k + 2, "trigger", "the trigger's name") {
            Ok(n) => Some(n),
            Err(e) => return Some(Err(e)),
        },
        _ => return Some(Err(PosError::new(at, "expected the trigger's name"))),
    };
    if code.token(k + 3).is_some() {
        return Some(Err(PosError::new(
            code.pos(k + 3),
            "a trigger's state is modeled in an `ALTER TABLE` of its own: write the other \
             actions in another statement",
        )));
    }
    Some(Ok(StateChange {
        table: table.value,
        name,
        state,
        at,
    }))
}
