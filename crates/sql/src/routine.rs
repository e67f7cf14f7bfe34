//! PostgreSQL functions and procedures: a `CREATE [OR REPLACE] FUNCTION | PROCEDURE`
//! read into a [`Routine`], and `DROP FUNCTION | PROCEDURE` into a [`Change`]
//! (aggregates, which are routines too, in [`crate::aggregate`]).
//!
//! sqlparser does not read PostgreSQL's routines in full (options in any order,
//! bodies in any language), and the model needs only the head: the name, the
//! argument list and the return type are read from the tokens, and the rest is kept
//! as written. The splitter keeps a dollar-quoted body whole, so a `;` inside one
//! does not end the statement.
//!
//! A routine is identified by its name and the types of its arguments
//! ([`Routine::arg_types`], PostgreSQL's rule: every argument but a function's `OUT`
//! ones), each in one spelling (`int` and `int4` are `integer`, type modifiers
//! dropped: `varchar(10)` is `character varying`), so `f(int)` and `f(text)` are two
//! routines and `DROP FUNCTION f(int4)` drops the first.

use sqlparser::ast::{Ident, ObjectName};
use sqlparser::tokenizer::{Span, Token, TokenWithSpan, Tokenizer};
use wildebeest_schema::{Change, Routine, RoutineKind};

use crate::Dialect;
use crate::ddl::{self, Ctx};
use crate::lex::{self, Pos, PosError};
use crate::split::Piece;
use crate::view::byte_at;

/// A `CREATE FUNCTION` or `CREATE PROCEDURE` statement read.
pub(crate) struct RoutineDef {
    pub routine: Routine,
    pub or_replace: bool,
    pub name_pos: Pos,
}

/// The statement's tokens but white space and comments, with the byte offset of each
/// in the text.
pub(crate) struct Code<'a> {
    pub(crate) text: &'a str,
    pub(crate) tokens: Vec<(usize, TokenWithSpan)>,
    start: Pos,
}

impl<'a> Code<'a> {
    pub(crate) fn new(piece: &'a Piece) -> Result<Self, PosError> {
        Self::new_in(piece, Dialect::Postgres)
    }

    fn new_in(piece: &'a Piece, dialect: Dialect) -> Result<Self, PosError> {
        let start = Pos {
            line: piece.line,
            column: piece.column,
        };
        let text = piece.text.as_str();
        let tokens = Tokenizer::new(lex::sql_dialect(dialect), text)
            .tokenize_with_location()
            .map_err(|e| PosError::new(start, e.message))?;
        let tokens = tokens
            .into_iter()
            .filter(|t| !matches!(t.token, Token::Whitespace(_) | Token::EOF))
            .map(|t| {
                let at = byte_at(text, t.span.start.line, t.span.start.column);
                (at, t)
            })
            .collect();
        Ok(Code {
            text,
            tokens,
            start,
        })
    }

    pub(crate) fn token(&self, i: usize) -> Option<&Token> {
        self.tokens.get(i).map(|(_, t)| &t.token)
    }

    pub(crate) fn word(&self, i: usize) -> Option<String> {
        self.token(i).and_then(lex::bare_word)
    }

    /// The position in the file of token `i` (the statement's start past the end).
    pub(crate) fn pos(&self, i: usize) -> Pos {
        let Some((_, t)) = self.tokens.get(i) else {
            return self.start;
        };
        let line = usize::try_from(t.span.start.line).unwrap_or(1);
        let column = usize::try_from(t.span.start.column).unwrap_or(1);
        if line <= 1 {
            Pos {
                line: self.start.line,
                column: self.start.column + column.saturating_sub(1),
            }
        } else {
            Pos {
                line: self.start.line + line - 1,
                column,
            }
        }
    }

    pub(crate) fn offset(&self, i: usize) -> usize {
        self.tokens.get(i).map_or(self.text.len(), |(at, _)| *at)
    }

    /// The index of the `)` that closes the `(` at `open`.
    pub(crate) fn closing(&self, open: usize) -> Option<usize> {
        let mut depth = 0usize;
        for i in open..self.tokens.len() {
            match self.token(i) {
                Some(Token::LParen) => depth += 1,
                Some(Token::RParen) => {
                    depth -= 1;
                    if depth == 0 {
                        return Some(i);
                    }
                }
                _ => {}
            }
        }
        None
    }

    /// A possibly qualified name starting at `i`: the name and the index after it.
    pub(crate) fn name(&self, i: usize, ctx: &mut Ctx<'_>) -> Result<(ddl::Name, usize), PosError> {
        let mut idents = Vec::new();
        let mut at = i;
        loop {
            let Some(Token::Word(w)) = self.token(at) else {
                return Err(PosError::new(self.pos(at), "expected a name"));
            };
            let value = if w.quote_style.is_none() {
                w.value.to_lowercase()
            } else {
                w.value.clone()
            };
            let pos = self.pos(at);
            let loc = sqlparser::tokenizer::Location::new(pos.line as u64, pos.column as u64);
            idents.push(Ident {
                value,
                quote_style: w.quote_style,
                span: Span::new(loc, loc),
            });
            at += 1;
            if self.token(at) == Some(&Token::Period) {
                at += 1;
            } else {
                break;
            }
        }
        let name = ddl::object_name(&ObjectName::from(idents), ctx)?;
        Ok((name, at))
    }
}

/// Reads a `CREATE [OR REPLACE] FUNCTION | PROCEDURE` statement.
pub(crate) fn create_routine(piece: &Piece, ctx: &mut Ctx<'_>) -> Result<RoutineDef, PosError> {
    let code = Code::new(piece)?;
    let mut i = 1;
    let or_replace = code.word(1).as_deref() == Some("OR");
    if or_replace {
        i += 2;
    }
    let kind = match code.word(i).as_deref() {
        Some("FUNCTION") => RoutineKind::Function,
        Some("PROCEDURE") => RoutineKind::Procedure,
        Some("AGGREGATE") => {
            return crate::aggregate::create_aggregate(piece, &code, i + 1, or_replace, ctx);
        }
        _ => {
            return Err(PosError::new(
                code.pos(i),
                "expected `FUNCTION` or `PROCEDURE`",
            ));
        }
    };
    let (name, after) = code.name(i + 1, ctx)?;
    if code.token(after) != Some(&Token::LParen) {
        return Err(PosError::new(
            code.pos(after),
            format!(
                "{} `{}`: expected its argument list",
                kind.word(),
                name.value
            ),
        ));
    }
    let Some(close) = code.closing(after) else {
        return Err(PosError::new(
            code.pos(after),
            "the argument list has no closing `)`",
        ));
    };
    let args = arguments(&code, after + 1, close);
    let arg_types = identity(&args, kind);
    // The return type: from `RETURNS` to the first option, at depth 0.
    let mut returns_end = close + 1;
    if code.word(close + 1).as_deref() == Some("RETURNS") {
        let mut depth = 0usize;
        returns_end = close + 2;
        while let Some(t) = code.token(returns_end) {
            match t {
                Token::LParen => depth += 1,
                Token::RParen => depth = depth.saturating_sub(1),
                t if depth == 0
                    && lex::bare_word(t).is_some_and(|w| OPTIONS.contains(&w.as_str())) =>
                {
                    break;
                }
                _ => {}
            }
            returns_end += 1;
        }
    }
    // The head in one spelling: each argument as `[mode] [name] type [DEFAULT
    // expression]` with its type as PostgreSQL names it (`IN` and `int` as
    // `pg_get_functiondef` prints them: no mode, `integer`), and the return type.
    let mut head = format!(
        "({})",
        args.iter()
            .map(Arg::normalized)
            .collect::<Vec<_>>()
            .join(", ")
    );
    if returns_end > close + 1 {
        let tokens: Vec<&Token> = (close + 2..returns_end)
            .filter_map(|i| code.token(i))
            .collect();
        head.push_str(" returns ");
        head.push_str(&return_type(&tokens));
    }
    let text = piece.text.trim_end();
    let text = text.strip_suffix(';').unwrap_or(text).trim_end();
    let start = code.offset(after).min(text.len());
    let routine = Routine {
        name: name.value.clone(),
        kind,
        arg_types,
        definition: text[start..].to_string(),
        head: head.clone(),
        normalized: format!(
            "{head} {}",
            options_normalized(&code, returns_end, code.tokens.len())
        )
        .trim_end()
        .to_string(),
        by_name: false,
        uses: Vec::new(),
    };
    Ok(RoutineDef {
        routine,
        or_replace,
        name_pos: name.pos,
    })
}

/// The words that start a routine's option, which ends its return type.
const OPTIONS: &[&str] = &[
    "LANGUAGE",
    "TRANSFORM",
    "WINDOW",
    "IMMUTABLE",
    "STABLE",
    "VOLATILE",
    "NOT",
    "LEAKPROOF",
    "CALLED",
    "STRICT",
    "SECURITY",
    "EXTERNAL",
    "PARALLEL",
    "COST",
    "ROWS",
    "SUPPORT",
    "SET",
    "AS",
    "RETURN",
    "BEGIN",
];

/// One argument: its mode (upper case, `IN` when none is written), name and type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Arg {
    pub(crate) mode: String,
    pub(crate) name: Option<String>,
    pub(crate) ty: String,
    /// The default expression in one spelling.
    pub(crate) default: Option<String>,
}

impl Arg {
    pub(crate) fn normalized(&self) -> String {
        let mut out = Vec::new();
        if self.mode != "IN" {
            out.push(self.mode.to_lowercase());
        }
        if let Some(name) = &self.name {
            out.push(crate::quote::quote_ident(name, Dialect::Postgres));
        }
        out.push(self.ty.clone());
        if let Some(d) = &self.default {
            out.push(format!("default {d}"));
        }
        out.join(" ")
    }
}

/// A return type in one spelling: a type as [`type_name`] writes it, after `SETOF`
/// too; `TABLE (...)` as written, in one spelling of its tokens.
fn return_type(tokens: &[&Token]) -> String {
    match tokens.first().and_then(|t| lex::bare_word(t)).as_deref() {
        Some("TABLE") => norm_tokens(tokens),
        Some("SETOF") => format!("setof {}", type_name(&tokens[1..])),
        _ => type_name(tokens),
    }
}

/// The arguments between tokens `from` and `to` (the parentheses excluded).
pub(crate) fn arguments(code: &Code<'_>, from: usize, to: usize) -> Vec<Arg> {
    let mut out = Vec::new();
    let mut depth = 0usize;
    let mut start = from;
    for i in from..=to {
        match code.token(i) {
            Some(Token::LParen | Token::LBracket) if i < to => depth += 1,
            Some(Token::RParen | Token::RBracket) if i < to => depth = depth.saturating_sub(1),
            Some(Token::Comma) if depth == 0 => {
                out.extend(argument(code, start, i));
                start = i + 1;
            }
            _ if i == to => out.extend(argument(code, start, i)),
            _ => {}
        }
    }
    out
}

/// One argument from its tokens `from..to`; `None` for none (`()`).
fn argument(code: &Code<'_>, from: usize, to: usize) -> Option<Arg> {
    let mut tokens: Vec<&Token> = (from..to).filter_map(|i| code.token(i)).collect();
    // The default goes: it is no part of the signature.
    let mut default = None;
    let mut depth = 0usize;
    if let Some(cut) = tokens.iter().position(|t| {
        match t {
            Token::LParen | Token::LBracket => depth += 1,
            Token::RParen | Token::RBracket => depth = depth.saturating_sub(1),
            _ => {}
        }
        depth == 0 && (**t == Token::Eq || lex::bare_word(t).as_deref() == Some("DEFAULT"))
    }) {
        default = Some(norm_tokens(&tokens[cut + 1..]));
        tokens.truncate(cut);
    }
    if tokens.is_empty() {
        return None;
    }
    let mut mode = "IN".to_string();
    if let Some(w) = lex::bare_word(tokens[0])
        .filter(|w| matches!(w.as_str(), "IN" | "OUT" | "INOUT" | "VARIADIC"))
        && tokens.len() > 1
    {
        mode = w;
        tokens.remove(0);
    }
    let units = units(&tokens);
    let typed_alone = units.len() == 1
        || (units.len() > 1
            && lex::bare_word(units[0][0]).is_some_and(|w| TYPE_STARTS.contains(&w.as_str()))
            && lex::bare_word(units[1][0]).is_some_and(|w| TYPE_GOES_ON.contains(&w.as_str())));
    let (name, ty) = if typed_alone {
        (None, &tokens[..])
    } else {
        let name = match units[0].first() {
            Some(Token::Word(w)) if w.quote_style.is_none() => Some(w.value.to_lowercase()),
            Some(Token::Word(w)) => Some(w.value.clone()),
            _ => None,
        };
        (name, &tokens[units[0].len()..])
    };
    Some(Arg {
        mode,
        name,
        ty: type_name(ty),
        default,
    })
}

/// Words that start a type of more than one word (`double precision`).
const TYPE_STARTS: &[&str] = &[
    "DOUBLE",
    "CHARACTER",
    "CHAR",
    "NATIONAL",
    "BIT",
    "TIME",
    "TIMESTAMP",
    "INTERVAL",
];

/// Words that go on such a type.
const TYPE_GOES_ON: &[&str] = &[
    "PRECISION",
    "VARYING",
    "WITH",
    "WITHOUT",
    "CHARACTER",
    "CHAR",
    "YEAR",
    "MONTH",
    "DAY",
    "HOUR",
    "MINUTE",
    "SECOND",
];

/// The tokens in units: a word (with its qualifiers, `%TYPE`, type modifiers and
/// array brackets), or any other token.
fn units<'t>(tokens: &[&'t Token]) -> Vec<Vec<&'t Token>> {
    let mut out: Vec<Vec<&Token>> = Vec::new();
    let mut depth = 0usize;
    for (i, t) in tokens.iter().enumerate() {
        let attach = depth > 0
            || matches!(
                t,
                Token::LParen | Token::LBracket | Token::RBracket | Token::Period | Token::Mod
            )
            || (i > 0 && matches!(tokens[i - 1], Token::Period | Token::Mod));
        match t {
            Token::LParen | Token::LBracket => depth += 1,
            Token::RParen | Token::RBracket => depth = depth.saturating_sub(1),
            _ => {}
        }
        match out.last_mut() {
            Some(last) if attach => last.push(t),
            _ => out.push(vec![t]),
        }
    }
    out
}

/// A type in one spelling: unquoted words in lower case, PostgreSQL's names for its
/// aliases (`int` is `integer`), without modifiers (`varchar(10)` is `character
/// varying`, as PostgreSQL ignores them in a signature), qualified with neither
/// `pg_catalog` nor `public`.
pub(crate) fn type_name(tokens: &[&Token]) -> String {
    let mut words: Vec<String> = Vec::new();
    let mut arrays = 0;
    let mut depth = 0usize;
    let mut qualified = false;
    for t in tokens {
        match t {
            Token::LParen => depth += 1,
            Token::RParen => depth = depth.saturating_sub(1),
            _ if depth > 0 => {}
            Token::LBracket => arrays += 1,
            Token::RBracket | Token::Number(..) => {}
            Token::Period => qualified = true,
            Token::Word(w) => {
                let word = if w.quote_style.is_some() {
                    format!("\"{}\"", w.value.replace('"', "\"\""))
                } else {
                    w.value.to_lowercase()
                };
                if qualified {
                    let last = words.pop().unwrap_or_default();
                    if matches!(last.as_str(), "pg_catalog" | "public") {
                        words.push(word);
                    } else {
                        words.push(format!("{last}.{word}"));
                    }
                    qualified = false;
                } else if words.last().is_some_and(|l| l.ends_with('%')) {
                    let last = words.pop().unwrap_or_default();
                    words.push(format!("{last}{word}"));
                } else {
                    words.push(word);
                }
            }
            Token::Mod => {
                let last = words.pop().unwrap_or_default();
                words.push(format!("{last}%"));
            }
            other => words.push(other.to_string()),
        }
    }
    if words.first().map(String::as_str) == Some("array") {
        words.remove(0);
        arrays = arrays.max(1);
    }
    if words.last().map(String::as_str) == Some("array") {
        words.pop();
        arrays = arrays.max(1);
    }
    let joined = words.join(" ");
    let base = match joined.as_str() {
        "int" | "int4" => "integer",
        "int2" => "smallint",
        "int8" => "bigint",
        "bool" => "boolean",
        "float" | "float8" => "double precision",
        "float4" => "real",
        "decimal" => "numeric",
        "varchar" | "char varying" => "character varying",
        "char" | "bpchar" => "character",
        "varbit" => "bit varying",
        "timestamp" => "timestamp without time zone",
        "timestamptz" => "timestamp with time zone",
        "time" => "time without time zone",
        "timetz" => "time with time zone",
        other => other,
    };
    format!("{base}{}", "[]".repeat(arrays))
}

/// The types that identify a routine: PostgreSQL leaves a function's `OUT`
/// arguments out of its signature, and keeps a procedure's.
/// The types that identify a routine of `kind` whose argument list is the tokens
/// between `open` and `close` (its parentheses), as [`Routine::arg_types`] holds them.
pub(crate) fn identity_types(
    code: &Code<'_>,
    open: usize,
    close: usize,
    kind: RoutineKind,
) -> Vec<String> {
    identity(&arguments(code, open + 1, close), kind)
}

fn identity(args: &[Arg], kind: RoutineKind) -> Vec<String> {
    args.iter()
        .filter(|a| kind == RoutineKind::Procedure || a.mode != "OUT")
        .map(|a| a.ty.clone())
        .collect()
}

/// Tokens `from..to` in one spelling (see [`norm_tokens`]), without a last `;`.
fn normalized(code: &Code<'_>, from: usize, to: usize) -> String {
    let end = to.min(code.tokens.len());
    let end =
        if end > from && end == code.tokens.len() && code.token(end - 1) == Some(&Token::SemiColon)
        {
            end - 1
        } else {
            end
        };
    let tokens: Vec<&Token> = (from..end).filter_map(|i| code.token(i)).collect();
    norm_tokens(&tokens)
}

/// A PostgreSQL routine's options and body (tokens `from..to`) in one spelling: each
/// option in the order `pg_get_functiondef` prints them (the body last; `SET`s in
/// their own order), what is the default left out (`VOLATILE`, `CALLED ON NULL
/// INPUT`, `SECURITY INVOKER`, `PARALLEL UNSAFE`, `NOT LEAKPROOF`, `COST 100` but in
/// C, `ROWS 1000`), and `RETURNS NULL ON NULL INPUT` as `STRICT`. So a routine written
/// with `AS $$...$$ LANGUAGE plpgsql` is the one `pg_dump` prints with `LANGUAGE`
/// first. A body of `RETURN` or `BEGIN ATOMIC` comes after every option and runs to
/// the end.
fn options_normalized(code: &Code<'_>, from: usize, to: usize) -> String {
    let end = to.min(code.tokens.len());
    let tokens: Vec<&Token> = (from..end)
        .filter_map(|i| code.token(i))
        .filter(|t| !matches!(t, Token::Whitespace(_)))
        .collect();
    let tokens = match tokens.last() {
        Some(Token::SemiColon) => &tokens[..tokens.len() - 1],
        _ => &tokens[..],
    };
    let mut clauses: Vec<Vec<&Token>> = Vec::new();
    let mut depth = 0usize;
    let mut body = false;
    for (k, t) in tokens.iter().enumerate() {
        let word = lex::bare_word(t);
        let starts = depth == 0
            && !body
            && word.as_deref().is_some_and(|w| {
                // `EXTERNAL SECURITY ...`, `NOT LEAKPROOF`, `RETURNS NULL ON NULL INPUT`
                let after_prefix = k > 0
                    && matches!(
                        lex::bare_word(tokens[k - 1]).as_deref(),
                        Some("EXTERNAL" | "NOT")
                    );
                (OPTIONS.contains(&w) || w == "RETURNS") && !after_prefix
            });
        match t {
            Token::LParen => depth += 1,
            Token::RParen => depth = depth.saturating_sub(1),
            _ => {}
        }
        if starts || clauses.is_empty() {
            body = matches!(word.as_deref(), Some("RETURN" | "BEGIN"));
            clauses.push(Vec::new());
        }
        if let Some(clause) = clauses.last_mut() {
            clause.push(t);
        }
    }
    let texts: Vec<String> = clauses.iter().map(|c| norm_tokens(c)).collect();
    let c_language = texts
        .iter()
        .any(|t| t == "language c" || t == "language internal");
    let mut kept: Vec<(usize, String)> = texts
        .into_iter()
        .filter_map(|t| {
            let t = match t.as_str() {
                "returns null on null input" => "strict".to_string(),
                // `LANGUAGE 'plpgsql'`, an old spelling of the name.
                l if l.starts_with("language '") && l.ends_with('\'') => {
                    format!("language {}", l[10..l.len() - 1].to_lowercase())
                }
                _ => t.strip_prefix("external ").unwrap_or(&t).to_string(),
            };
            let default = matches!(
                t.as_str(),
                "volatile"
                    | "called on null input"
                    | "security invoker"
                    | "parallel unsafe"
                    | "not leakproof"
                    | "rows 1000"
            ) || (t == "cost 100" && !c_language);
            let first = t.split(' ').next().unwrap_or("");
            let rank = match first {
                "language" => 0,
                "transform" => 1,
                "window" => 2,
                "immutable" | "stable" => 3,
                "strict" => 4,
                "security" => 5,
                "leakproof" => 6,
                "parallel" => 7,
                "cost" => 8,
                "rows" => 9,
                "support" => 10,
                "set" => 11,
                "as" => 12,
                _ => 13,
            };
            (!default).then_some((rank, t))
        })
        .collect();
    kept.sort_by_key(|(rank, _)| *rank);
    kept.into_iter()
        .map(|(_, t)| t)
        .collect::<Vec<_>>()
        .join(" ")
}

/// Tokens in one spelling: single spaces, unquoted words in lower case, a
/// dollar-quoted string without its tag; strings as written.
pub(crate) fn norm_tokens(tokens: &[&Token]) -> String {
    let mut out = Vec::new();
    for t in tokens {
        match t {
            Token::Word(w) if w.quote_style.is_none() => out.push(w.value.to_lowercase()),
            Token::DollarQuotedString(s) => out.push(format!("$${}$$", s.value)),
            Token::Whitespace(_) => {}
            t => out.push(t.to_string()),
        }
    }
    out.join(" ")
}

/// Reads a `DROP FUNCTION | PROCEDURE [IF EXISTS] name [(arguments)]` statement.
/// `CASCADE`, which drops what depends on the routine, and more than one routine in
/// one statement are not followed.
pub(crate) fn drop_routine(piece: &Piece, ctx: &mut Ctx<'_>) -> Result<Change, PosError> {
    let code = Code::new(piece)?;
    let mut i = 2;
    let if_exists =
        code.word(2).as_deref() == Some("IF") && code.word(3).as_deref() == Some("EXISTS");
    if if_exists {
        i = 4;
    }
    let kind = match code.word(1).as_deref() {
        Some("FUNCTION") => RoutineKind::Function,
        Some("PROCEDURE") => RoutineKind::Procedure,
        Some("AGGREGATE") => return crate::aggregate::drop_aggregate(&code, i, if_exists, ctx),
        _ => {
            return Err(PosError::new(
                code.pos(1),
                "expected `FUNCTION` or `PROCEDURE`",
            ));
        }
    };
    let (name, after) = code.name(i, ctx)?;
    let mut end = after;
    let arg_types = if code.token(after) == Some(&Token::LParen) {
        let Some(close) = code.closing(after) else {
            return Err(PosError::new(
                code.pos(after),
                "the argument list has no closing `)`",
            ));
        };
        end = close + 1;
        Some(identity(&arguments(&code, after + 1, close), kind))
    } else {
        None
    };
    match code.token(end) {
        None | Some(Token::SemiColon) => {}
        Some(Token::Comma) => {
            return Err(PosError::new(
                code.pos(end),
                format!("the model follows one {} a `DROP` statement", kind.word()),
            ));
        }
        Some(t) if lex::bare_word(t).as_deref() == Some("RESTRICT") => {}
        Some(_) => {
            return Err(PosError::new(
                code.pos(end),
                format!(
                    "`CASCADE` drops what depends on the {}, which the model cannot tell",
                    kind.word()
                ),
            ));
        }
    }
    Ok(Change::DropRoutine {
        kind,
        name: name.value,
        arg_types,
        if_exists,
    })
}

/// A routine as a PostgreSQL server prints it (`pg_get_functiondef`), in schema
/// `schema`: its name unqualified. `None` for text that is not one.
pub fn routine_from_catalog(definition: &str, schema: &str) -> Option<Routine> {
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
    create_routine(&piece, &mut ctx).ok().map(|d| d.routine)
}

/// Whether `text` is a MySQL `CREATE [OR REPLACE] [DEFINER = user] FUNCTION |
/// PROCEDURE` (plain or in mysqldump's versioned comments).
pub(crate) fn is_mysql_create_routine(text: &str) -> bool {
    let words = crate::schema::loose_words(&crate::trigger::unwrap(text, Dialect::Mysql), 10);
    if words.first().map(String::as_str) != Some("CREATE") {
        return false;
    }
    let mut definer = false;
    for w in &words[1..] {
        match w.as_str() {
            "FUNCTION" | "PROCEDURE" | "EVENT" => return true,
            "OR" | "REPLACE" if !definer => {}
            "DEFINER" => definer = true,
            // The definer's user: `root@localhost`, `CURRENT_USER`.
            _ if definer && !matches!(w.as_str(), "AGGREGATE" | "VIEW" | "TRIGGER") => {}
            _ => return false,
        }
    }
    false
}

/// Reads a MySQL `CREATE [OR REPLACE] [DEFINER = user] FUNCTION | PROCEDURE name
/// (parameters) [RETURNS type] [characteristics] body`, as written or as `SHOW CREATE
/// FUNCTION | PROCEDURE` prints it. The definer is no part of the model (the routine
/// is made by whoever runs the migration, as a trigger is); the parameters,
/// characteristics and body are kept as written, and normalized for comparing: the
/// return type in the model's spelling (`int` and `int(11)` are one type; a
/// `CHARSET` or `COLLATE` after it does not count), the characteristics as a set
/// without their defaults (`LANGUAGE SQL`, `NOT DETERMINISTIC`, `CONTAINS SQL`, `SQL
/// SECURITY DEFINER`), and the parameters and body token by token.
pub(crate) fn create_mysql_routine(piece: &Piece) -> Result<RoutineDef, PosError> {
    let unwrapped = Piece {
        text: crate::trigger::unwrap(&piece.text, Dialect::Mysql),
        ..piece.clone()
    };
    let code = Code::new_in(&unwrapped, Dialect::Mysql)?;
    let mut i = 1;
    let or_replace = code.word(1).as_deref() == Some("OR");
    if or_replace {
        i += 2;
    }
    if code.word(i).as_deref() == Some("DEFINER") {
        i += 1;
        while i < code.tokens.len()
            && !matches!(
                code.word(i).as_deref(),
                Some("FUNCTION" | "PROCEDURE" | "AGGREGATE" | "EVENT")
            )
        {
            i += 1;
        }
    }
    if code.word(i).as_deref() == Some("EVENT") {
        return create_mysql_event(&code, &unwrapped, i + 1, or_replace);
    }
    if code.word(i).as_deref() == Some("AGGREGATE") {
        return Err(PosError::new(
            code.pos(i),
            "MariaDB's aggregate functions are not modeled",
        ));
    }
    let kind = match code.word(i).as_deref() {
        Some("FUNCTION") => RoutineKind::Function,
        Some("PROCEDURE") => RoutineKind::Procedure,
        _ => {
            return Err(PosError::new(
                code.pos(i),
                "expected `FUNCTION` or `PROCEDURE`",
            ));
        }
    };
    let (name, name_pos, after) = mysql_object_name(&code, i + 1, kind.word())?;
    if code.token(after) != Some(&Token::LParen) {
        return Err(PosError::new(
            code.pos(after),
            format!("{} `{name}`: expected its parameter list", kind.word()),
        ));
    }
    let Some(close) = code.closing(after) else {
        return Err(PosError::new(
            code.pos(after),
            "the parameter list has no closing `)`",
        ));
    };
    let params: Vec<&Token> = (after + 1..close).filter_map(|i| code.token(i)).collect();
    let mut head = format!("({})", norm_tokens(&params));
    let mut j = close + 1;
    if kind == RoutineKind::Function {
        if code.word(j).as_deref() != Some("RETURNS") {
            return Err(PosError::new(
                code.pos(j),
                format!("function `{name}`: expected `RETURNS` and its type"),
            ));
        }
        j += 1;
        let from = j;
        let mut type_end = j;
        let mut to = j;
        if matches!(code.token(j), Some(Token::Word(_))) {
            to += 1;
            if code.token(to) == Some(&Token::LParen) {
                to = code.closing(to).map_or(code.tokens.len(), |c| c + 1);
            }
            while matches!(
                code.word(to).as_deref(),
                Some("UNSIGNED" | "SIGNED" | "ZEROFILL" | "PRECISION" | "VARYING")
            ) {
                to += 1;
            }
            type_end = to;
            // A character set and collation after the type, which the server prints
            // where the file may say none.
            loop {
                match code.word(to).as_deref() {
                    Some("CHARSET" | "COLLATE") => to += 2,
                    Some("CHARACTER") if code.word(to + 1).as_deref() == Some("SET") => to += 3,
                    Some("BINARY") => to += 1,
                    _ => break,
                }
            }
        }
        if type_end == from {
            return Err(PosError::new(
                code.pos(from),
                format!("function `{name}`: expected its return type"),
            ));
        }
        let ty = &unwrapped.text[code.offset(from)..code.offset(type_end)];
        let ty = ty.trim();
        let spelled = match crate::types::parse_type(ty, Dialect::Mysql) {
            Ok(t) => t.to_string(),
            Err(_) => {
                let tokens: Vec<&Token> = (from..type_end).filter_map(|i| code.token(i)).collect();
                norm_tokens(&tokens)
            }
        };
        head.push_str(" returns ");
        head.push_str(&spelled);
        j = to;
    }
    // The characteristics, as a set without the defaults.
    let mut deterministic = false;
    let mut access = None;
    let mut invoker = false;
    let mut comment = None;
    loop {
        match code.word(j).as_deref() {
            Some("LANGUAGE") if code.word(j + 1).as_deref() == Some("SQL") => j += 2,
            Some("NOT") if code.word(j + 1).as_deref() == Some("DETERMINISTIC") => {
                deterministic = false;
                j += 2;
            }
            Some("DETERMINISTIC") => {
                deterministic = true;
                j += 1;
            }
            Some("CONTAINS") if code.word(j + 1).as_deref() == Some("SQL") => {
                access = None;
                j += 2;
            }
            Some("NO") if code.word(j + 1).as_deref() == Some("SQL") => {
                access = Some("no sql");
                j += 2;
            }
            Some("READS") if code.word(j + 2).as_deref() == Some("DATA") => {
                access = Some("reads sql data");
                j += 3;
            }
            Some("MODIFIES") if code.word(j + 2).as_deref() == Some("DATA") => {
                access = Some("modifies sql data");
                j += 3;
            }
            Some("SQL") if code.word(j + 1).as_deref() == Some("SECURITY") => {
                invoker = code.word(j + 2).as_deref() == Some("INVOKER");
                j += 3;
            }
            Some("COMMENT") => {
                comment = code.token(j + 1).map(ToString::to_string);
                j += 2;
            }
            _ => break,
        }
    }
    let mut traits = Vec::new();
    if deterministic {
        traits.push("deterministic".to_string());
    }
    traits.extend(access.map(str::to_string));
    if invoker {
        traits.push("sql security invoker".to_string());
    }
    if let Some(c) = comment {
        traits.push(format!("comment {c}"));
    }
    if matches!(code.word(j).as_deref(), Some("AS" | "LANGUAGE")) {
        return Err(PosError::new(
            code.pos(j),
            format!(
                "{} `{name}` is written as PostgreSQL writes one (`{}`): a MySQL routine's \
                 body is a statement after its characteristics",
                kind.word(),
                code.word(j).unwrap_or_default()
            ),
        ));
    }
    if j >= code.tokens.len() || code.token(j) == Some(&Token::SemiColon) {
        return Err(PosError::new(
            code.pos(j),
            format!("{} `{name}` has no body", kind.word()),
        ));
    }
    let text = unwrapped.text.trim_end();
    let text = text.strip_suffix(';').unwrap_or(text).trim_end();
    let start = code.offset(after).min(text.len());
    let normalized = [
        head.clone(),
        traits.join(" "),
        normalized(&code, j, code.tokens.len()),
    ]
    .into_iter()
    .filter(|s| !s.is_empty())
    .collect::<Vec<_>>()
    .join(" ");
    Ok(RoutineDef {
        routine: Routine {
            name,
            kind,
            arg_types: Vec::new(),
            definition: text[start..].to_string(),
            head,
            normalized,
            by_name: true,
            uses: Vec::new(),
        },
        or_replace,
        name_pos,
    })
}

/// Reads a MySQL `CREATE EVENT` from the token after `EVENT` (`i`): `name ON SCHEDULE
/// {AT ts | EVERY n unit [STARTS ts] [ENDS ts]} [ON COMPLETION [NOT] PRESERVE]
/// [ENABLE | DISABLE [ON SLAVE]] [COMMENT 'text'] DO body`. The text after the name
/// is kept as written; it is normalized for comparing token by token, without the
/// defaults (`ON COMPLETION NOT PRESERVE`, `ENABLE`) and without `STARTS`, which is
/// kept apart as the routine's `head` (the server fills in the creation time where
/// none is written, so it counts only when both sides write one).
/// The name of a MySQL routine or event (`what`) at token `i`, where it is, and the
/// token after it; `IF NOT EXISTS`, which the model does not follow, and a name
/// qualified with a database are refused.
fn mysql_object_name(
    code: &Code<'_>,
    i: usize,
    what: &str,
) -> Result<(String, Pos, usize), PosError> {
    if code.word(i).as_deref() == Some("IF") {
        return Err(PosError::new(
            code.pos(i),
            format!(
                "the model does not follow `IF NOT EXISTS` on {} {what}: write it without",
                if what.starts_with(['a', 'e', 'i', 'o', 'u']) {
                    "an"
                } else {
                    "a"
                }
            ),
        ));
    }
    let name_pos = code.pos(i);
    let name = match code.token(i) {
        Some(Token::Word(w)) => w.value.clone(),
        _ => return Err(PosError::new(name_pos, "expected a name")),
    };
    if code.token(i + 1) == Some(&Token::Period) {
        return Err(PosError::new(
            name_pos,
            format!(
                "{what} `{name}` is qualified with a database: name it without, in the \
                 database wildebeest manages"
            ),
        ));
    }
    Ok((name, name_pos, i + 1))
}

fn create_mysql_event(
    code: &Code<'_>,
    unwrapped: &Piece,
    i: usize,
    or_replace: bool,
) -> Result<RoutineDef, PosError> {
    let (name, name_pos, after) = mysql_object_name(code, i, "event")?;
    let i = after;
    if code.word(i).as_deref() != Some("ON") || code.word(i + 1).as_deref() != Some("SCHEDULE") {
        return Err(PosError::new(
            code.pos(i),
            format!("event `{name}`: expected `ON SCHEDULE`"),
        ));
    }
    let clause_end = |mut k: usize| {
        while k < code.tokens.len() {
            if code.token(k) == Some(&Token::LParen) {
                k = code.closing(k).map_or(code.tokens.len(), |c| c + 1);
                continue;
            }
            if code.token(k) == Some(&Token::SemiColon)
                || matches!(
                    code.word(k).as_deref(),
                    Some("STARTS" | "ENDS" | "ON" | "ENABLE" | "DISABLE" | "COMMENT" | "DO")
                )
            {
                break;
            }
            k += 1;
        }
        k
    };
    let mut j = i + 2;
    if !matches!(code.word(j).as_deref(), Some("AT" | "EVERY")) {
        return Err(PosError::new(
            code.pos(j),
            format!("event `{name}`: expected `AT` or `EVERY` after `ON SCHEDULE`"),
        ));
    }
    let end = clause_end(j + 1);
    let mut parts = vec![format!("on schedule {}", normalized(code, j, end))];
    j = end;
    let mut starts = String::new();
    let mut preserve = false;
    let mut state = None;
    let mut comment = None;
    loop {
        match code.word(j).as_deref() {
            Some("STARTS") => {
                let end = clause_end(j + 1);
                starts = normalized(code, j + 1, end);
                j = end;
            }
            Some("ENDS") => {
                let end = clause_end(j + 1);
                parts.push(format!("ends {}", normalized(code, j + 1, end)));
                j = end;
            }
            Some("ON") if code.word(j + 1).as_deref() == Some("COMPLETION") => {
                preserve = code.word(j + 2).as_deref() == Some("PRESERVE");
                j += if preserve { 3 } else { 4 };
            }
            Some("ENABLE") => {
                state = None;
                j += 1;
            }
            Some("DISABLE") if code.word(j + 1).as_deref() == Some("ON") => {
                state = Some("disable on slave");
                j += 3;
            }
            Some("DISABLE") => {
                state = Some("disable");
                j += 1;
            }
            Some("COMMENT") => {
                comment = code.token(j + 1).map(ToString::to_string);
                j += 2;
            }
            _ => break,
        }
    }
    if code.word(j).as_deref() != Some("DO") {
        return Err(PosError::new(
            code.pos(j),
            format!("event `{name}`: expected `DO` and its body"),
        ));
    }
    j += 1;
    if j >= code.tokens.len() || code.token(j) == Some(&Token::SemiColon) {
        return Err(PosError::new(
            code.pos(j),
            format!("event `{name}` has no body"),
        ));
    }
    if preserve {
        parts.push("on completion preserve".to_string());
    }
    parts.extend(state.map(str::to_string));
    if let Some(c) = comment {
        parts.push(format!("comment {c}"));
    }
    parts.push(format!("do {}", normalized(code, j, code.tokens.len())));
    let text = unwrapped.text.trim_end();
    let text = text.strip_suffix(';').unwrap_or(text).trim_end();
    let start = code.offset(after).min(text.len());
    Ok(RoutineDef {
        routine: Routine {
            name,
            kind: RoutineKind::Event,
            arg_types: Vec::new(),
            definition: text[start..].to_string(),
            head: starts,
            normalized: parts.join(" "),
            by_name: true,
            uses: Vec::new(),
        },
        or_replace,
        name_pos,
    })
}

/// Reads a MySQL `DROP FUNCTION | PROCEDURE | EVENT [IF EXISTS] name`.
pub(crate) fn drop_mysql_routine(piece: &Piece) -> Result<Change, PosError> {
    let unwrapped = Piece {
        text: crate::trigger::unwrap(&piece.text, Dialect::Mysql),
        ..piece.clone()
    };
    let code = Code::new_in(&unwrapped, Dialect::Mysql)?;
    let kind = match code.word(1).as_deref() {
        Some("FUNCTION") => RoutineKind::Function,
        Some("PROCEDURE") => RoutineKind::Procedure,
        Some("EVENT") => RoutineKind::Event,
        _ => {
            return Err(PosError::new(
                code.pos(1),
                "expected `FUNCTION`, `PROCEDURE` or `EVENT`",
            ));
        }
    };
    let mut i = 2;
    let if_exists =
        code.word(2).as_deref() == Some("IF") && code.word(3).as_deref() == Some("EXISTS");
    if if_exists {
        i = 4;
    }
    let name = match code.token(i) {
        Some(Token::Word(w)) => w.value.clone(),
        _ => return Err(PosError::new(code.pos(i), "expected a name")),
    };
    match code.token(i + 1) {
        None | Some(Token::SemiColon) => {}
        Some(_) => {
            return Err(PosError::new(
                code.pos(i + 1),
                format!(
                    "the model follows a `DROP {}` of one name in the database it manages",
                    kind.keyword()
                ),
            ));
        }
    }
    Ok(Change::DropRoutine {
        kind,
        name,
        arg_types: None,
        if_exists,
    })
}

/// A routine as MySQL prints it (`SHOW CREATE FUNCTION | PROCEDURE`), read as
/// `schema.sql`'s is (the definer dropped). `None` for text that is not one.
pub fn mysql_routine_from_catalog(definition: &str) -> Option<Routine> {
    let piece = Piece {
        text: definition.trim().to_string(),
        line: 1,
        column: 1,
    };
    create_mysql_routine(&piece).ok().map(|d| d.routine)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(sql: &str) -> Routine {
        let piece = Piece {
            text: sql.to_string(),
            line: 1,
            column: 1,
        };
        let mut warnings = Vec::new();
        let mut ctx = Ctx {
            dialect: Dialect::Postgres,
            start: Pos { line: 1, column: 1 },
            warnings: &mut warnings,
            pg_schema: "public",
        };
        create_routine(&piece, &mut ctx).unwrap().routine
    }

    #[test]
    fn reads_the_head_and_keeps_the_rest_as_written() {
        let r = read(
            "CREATE OR REPLACE FUNCTION public.Add(a INT, b int4 DEFAULT 1, OUT c bigint)\n  RETURNS bigint LANGUAGE sql AS $$ SELECT a + b; $$",
        );
        assert_eq!(r.name, "add");
        assert_eq!(r.kind, RoutineKind::Function);
        assert_eq!(r.arg_types, ["integer", "integer"]);
        assert_eq!(r.signature(), "add(integer, integer)");
        assert_eq!(
            r.definition,
            "(a INT, b int4 DEFAULT 1, OUT c bigint)\n  RETURNS bigint LANGUAGE sql AS $$ SELECT a + b; $$"
        );
        assert_eq!(
            r.head,
            "(a integer, b integer default 1, out c bigint) returns bigint"
        );
        assert!(r.normalized.ends_with("as $$ SELECT a + b; $$"));
    }

    /// The options in any order, with their defaults or not, are one routine; the
    /// body and what is not a default still tell two apart.
    #[test]
    fn options_compare_in_one_order_without_their_defaults() {
        let pg_dump = read(
            "CREATE FUNCTION public.touch() RETURNS trigger\n    LANGUAGE plpgsql STRICT SECURITY DEFINER\n    SET search_path TO 'public'\n    AS $$BEGIN RETURN NEW; END$$;",
        );
        for written in [
            "CREATE FUNCTION touch() RETURNS trigger AS $f$BEGIN RETURN NEW; END$f$ LANGUAGE plpgsql SECURITY DEFINER STRICT SET search_path TO 'public'",
            "CREATE FUNCTION touch() RETURNS trigger AS $$BEGIN RETURN NEW; END$$ SET search_path TO 'public' RETURNS NULL ON NULL INPUT VOLATILE LANGUAGE 'plpgsql' EXTERNAL SECURITY DEFINER COST 100 NOT LEAKPROOF PARALLEL UNSAFE",
        ] {
            assert_eq!(read(written).normalized, pg_dump.normalized, "{written}");
        }
        for other in [
            "CREATE FUNCTION touch() RETURNS trigger AS $$BEGIN RETURN NULL; END$$ LANGUAGE plpgsql STRICT SECURITY DEFINER SET search_path TO 'public'",
            "CREATE FUNCTION touch() RETURNS trigger AS $$BEGIN RETURN NEW; END$$ LANGUAGE plpgsql STRICT SET search_path TO 'public'",
            "CREATE FUNCTION touch() RETURNS trigger AS $$BEGIN RETURN NEW; END$$ LANGUAGE plpgsql STABLE STRICT SECURITY DEFINER SET search_path TO 'public'",
            "CREATE FUNCTION touch() RETURNS trigger AS $$BEGIN RETURN NEW; END$$ LANGUAGE plpgsql STRICT SECURITY DEFINER COST 5 SET search_path TO 'public'",
        ] {
            assert_ne!(read(other).normalized, pg_dump.normalized, "{other}");
        }
        // A body of `RETURN` or `BEGIN ATOMIC` is one clause to the end: its words
        // are not options.
        let atomic = read(
            "CREATE FUNCTION f(a int) RETURNS int LANGUAGE sql IMMUTABLE BEGIN ATOMIC SELECT a WHERE NOT a IS NULL; END",
        );
        assert_eq!(
            atomic.normalized,
            "(a integer) returns integer language sql immutable begin atomic select a where not a is null ; end"
        );
        let ret = read("CREATE FUNCTION g(a int) RETURNS int STABLE RETURN a + 1");
        assert!(
            ret.normalized.ends_with("stable return a + 1"),
            "{}",
            ret.normalized
        );
    }

    #[test]
    fn overloads_differ_by_argument_types() {
        let a = read("CREATE FUNCTION f(x int) RETURNS int LANGUAGE sql AS 'SELECT 1'");
        let b = read("CREATE FUNCTION f(x text) RETURNS int LANGUAGE sql AS 'SELECT 1'");
        assert_eq!(a.signature(), "f(integer)");
        assert_eq!(b.signature(), "f(text)");
        assert_ne!(a, b);
    }

    #[test]
    fn types_of_several_words_and_names_that_look_like_types() {
        let r = read(
            "CREATE PROCEDURE p(double precision, timestamp timestamptz, x character varying(10)[], \"T\" \"Mood\", INOUT y time(3) with time zone, OUT z public.mood)\nLANGUAGE plpgsql AS $body$ BEGIN END $body$",
        );
        assert_eq!(r.kind, RoutineKind::Procedure);
        assert_eq!(
            r.arg_types,
            [
                "double precision",
                "timestamp with time zone",
                "character varying[]",
                "\"Mood\"",
                "time with time zone",
                "mood"
            ]
        );
        assert_eq!(
            r.head,
            "(double precision, timestamp timestamp with time zone, x character varying[], \"T\" \"Mood\", inout y time with time zone, out z mood)"
        );
    }

    #[test]
    fn the_body_is_compared_as_written_and_the_rest_in_one_spelling() {
        let a = read("CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $$select 1$$");
        let b = read(
            "create or replace function F ( )\n returns INT\n language SQL\n as $x$select 1$x$",
        );
        let c = read("CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $$SELECT 1$$");
        assert_eq!(a, b);
        assert_ne!(a, c);
        assert!(a.replaceable_by(&c));
        let d = read("CREATE FUNCTION f() RETURNS bigint LANGUAGE sql AS $$select 1$$");
        assert!(!a.replaceable_by(&d));
        // As the server prints it: `IN`, `integer`, a tag on the dollar quote.
        let written = read("CREATE PROCEDURE p(n int4 = 1) LANGUAGE sql AS $$SELECT n$$;");
        let printed = read(
            "CREATE OR REPLACE PROCEDURE public.p(IN n integer DEFAULT 1)\n LANGUAGE sql\nAS $procedure$SELECT n$procedure$",
        );
        assert_eq!(written, printed);
        assert_eq!(
            written.normalized,
            "(n integer default 1) language sql as $$SELECT n$$"
        );
    }

    #[test]
    fn drops_name_their_routine_by_types() {
        let drop = |sql: &str| {
            let piece = Piece {
                text: sql.to_string(),
                line: 1,
                column: 1,
            };
            let mut warnings = Vec::new();
            let mut ctx = Ctx {
                dialect: Dialect::Postgres,
                start: Pos { line: 1, column: 1 },
                warnings: &mut warnings,
                pg_schema: "public",
            };
            drop_routine(&piece, &mut ctx).map_err(|e| e.message)
        };
        assert_eq!(
            drop("DROP FUNCTION IF EXISTS f(a int, OUT b text)"),
            Ok(Change::DropRoutine {
                kind: RoutineKind::Function,
                name: "f".into(),
                arg_types: Some(vec!["integer".into()]),
                if_exists: true,
            })
        );
        assert_eq!(
            drop("DROP PROCEDURE p"),
            Ok(Change::DropRoutine {
                kind: RoutineKind::Procedure,
                name: "p".into(),
                arg_types: None,
                if_exists: false,
            })
        );
        assert_eq!(
            drop("DROP FUNCTION f()"),
            Ok(Change::DropRoutine {
                kind: RoutineKind::Function,
                name: "f".into(),
                arg_types: Some(Vec::new()),
                if_exists: false,
            })
        );
        assert!(drop("DROP FUNCTION f(int) CASCADE").is_err());
        assert!(drop("DROP FUNCTION f(int), g(int)").is_err());
        assert!(drop("DROP FUNCTION other.f(int)").is_err());
    }

    #[test]
    fn reads_what_the_server_prints() {
        let r = routine_from_catalog(
            "CREATE OR REPLACE FUNCTION wildebeest_scratch_1.f(a integer)\n RETURNS integer\n LANGUAGE sql\nAS $function$select a$function$\n",
            "wildebeest_scratch_1",
        )
        .unwrap();
        assert_eq!(r.signature(), "f(integer)");
        assert_eq!(
            r.definition,
            "(a integer)\n RETURNS integer\n LANGUAGE sql\nAS $function$select a$function$"
        );
    }

    fn my(sql: &str) -> Routine {
        let piece = Piece {
            text: sql.to_string(),
            line: 1,
            column: 1,
        };
        create_mysql_routine(&piece).unwrap().routine
    }

    #[test]
    fn a_mysql_routine_compares_with_what_show_create_prints() {
        let written = my("CREATE FUNCTION twice(x INT) RETURNS INT DETERMINISTIC\n\
                          COMMENT 'doubles' RETURN x * 2;");
        assert!(written.by_name);
        assert_eq!(written.key(), "twice function");
        assert_eq!(written.signature(), "twice");
        assert_eq!(
            written.definition,
            "(x INT) RETURNS INT DETERMINISTIC\nCOMMENT 'doubles' RETURN x * 2"
        );
        let printed = my(
            "CREATE DEFINER=`root`@`%` FUNCTION `twice`(x INT) RETURNS int(11)\n    \
                          DETERMINISTIC\n    COMMENT 'doubles'\nRETURN x * 2",
        );
        assert_eq!(
            written, printed,
            "{} / {}",
            written.normalized, printed.normalized
        );
        let other = my("CREATE FUNCTION twice(x INT) RETURNS INT DETERMINISTIC RETURN x * 3");
        assert_ne!(written, other);
        let p = my("CREATE DEFINER=root@localhost PROCEDURE bump(IN k INT)\n\
                    MODIFIES SQL DATA SQL SECURITY INVOKER\n\
                    BEGIN\n  UPDATE t SET n = n + 1 WHERE id = k;\nEND");
        assert_eq!(p.key(), "bump procedure");
        assert_eq!(
            p.normalized,
            "(in k int) modifies sql data sql security invoker begin update t set n = n + 1 where id = k ; end"
        );
        let q = my(
            "create procedure bump(in k int) sql security invoker modifies sql data \
                    contains sql modifies sql data begin update t set n = n + 1 where id = k; end",
        );
        assert_eq!(p, q);
        assert_eq!(p.drop_sql(|n| format!("`{n}`")), "DROP PROCEDURE `bump`");
    }

    #[test]
    fn a_mysql_routine_that_cannot_be_modeled_is_refused() {
        let refuse = |sql: &str| {
            let piece = Piece {
                text: sql.to_string(),
                line: 1,
                column: 1,
            };
            create_mysql_routine(&piece).err().unwrap().message
        };
        assert!(refuse("CREATE PROCEDURE other.p() SELECT 1").contains("qualified"));
        assert!(refuse("CREATE PROCEDURE IF NOT EXISTS p() SELECT 1").contains("IF NOT EXISTS"));
        assert!(refuse("CREATE FUNCTION f() DETERMINISTIC RETURN 1").contains("RETURNS"));
        assert!(is_mysql_create_routine(
            "CREATE DEFINER=`a`@`%` PROCEDURE p() SELECT 1"
        ));
        assert!(is_mysql_create_routine(
            "create or replace function f() returns int return 1"
        ));
        assert!(!is_mysql_create_routine(
            "CREATE DEFINER=a@b AGGREGATE FUNCTION f() RETURNS int BEGIN END"
        ));
        assert!(!is_mysql_create_routine("CREATE TABLE function (x int)"));
    }

    #[test]
    fn an_event_compares_without_defaults_definer_or_an_unwritten_start() {
        let written = my("CREATE EVENT tick ON SCHEDULE EVERY 1 DAY DO DELETE FROM t WHERE n > 1");
        assert_eq!(written.kind, RoutineKind::Event);
        assert_eq!(written.key(), "tick event");
        assert_eq!(
            written.definition,
            "ON SCHEDULE EVERY 1 DAY DO DELETE FROM t WHERE n > 1"
        );
        assert!(written.head.is_empty());
        // As `SHOW CREATE EVENT` prints it: definer, the creation time as `STARTS`,
        // the defaults spelled out.
        let shown = my(
            "CREATE DEFINER=`root`@`localhost` EVENT `tick` ON SCHEDULE EVERY 1 DAY \
             STARTS '2026-12-07 20:00:00' ON COMPLETION NOT PRESERVE ENABLE \
             DO delete from t where n > 1",
        );
        assert_eq!(shown.head, "'2026-12-07 20:00:00'");
        assert_eq!(written, shown);
        // mysqldump's versioned comments.
        let dumped = my(
            "/*!50106 CREATE*/ /*!50117 DEFINER=`root`@`localhost`*/ /*!50106 EVENT \
             `tick` ON SCHEDULE EVERY 1 DAY STARTS '2026-12-07 20:00:00' ON COMPLETION NOT \
             PRESERVE ENABLE DO delete from t where n > 1 */",
        );
        assert_eq!(dumped, shown);
        // Two written starts count.
        let later = my(
            "CREATE EVENT tick ON SCHEDULE EVERY 1 DAY STARTS '2027-01-01 00:00:00' \
             DO DELETE FROM t WHERE n > 1",
        );
        assert_ne!(later, shown);
        assert_eq!(later, written);
        // The schedule, the completion, the state, the comment and the body count.
        for other in [
            "CREATE EVENT tick ON SCHEDULE EVERY 2 DAY DO DELETE FROM t WHERE n > 1",
            "CREATE EVENT tick ON SCHEDULE EVERY 1 DAY ENDS '2030-01-01 00:00:00' DO DELETE FROM t WHERE n > 1",
            "CREATE EVENT tick ON SCHEDULE EVERY 1 DAY ON COMPLETION PRESERVE DO DELETE FROM t WHERE n > 1",
            "CREATE EVENT tick ON SCHEDULE EVERY 1 DAY DISABLE DO DELETE FROM t WHERE n > 1",
            "CREATE EVENT tick ON SCHEDULE EVERY 1 DAY DISABLE ON SLAVE DO DELETE FROM t WHERE n > 1",
            "CREATE EVENT tick ON SCHEDULE EVERY 1 DAY COMMENT 'x' DO DELETE FROM t WHERE n > 1",
            "CREATE EVENT tick ON SCHEDULE EVERY 1 DAY DO DELETE FROM t WHERE n > 2",
            "CREATE EVENT tick ON SCHEDULE AT '2030-01-01 00:00:00' DO DELETE FROM t WHERE n > 1",
        ] {
            assert_ne!(my(other), written, "{other}");
        }
        let block = my(
            "CREATE OR REPLACE EVENT e ON SCHEDULE AT '2030-01-01 00:00:00' + INTERVAL 1 DAY \
             DO BEGIN DELETE FROM t; DELETE FROM u; END",
        );
        assert!(
            block
                .normalized
                .ends_with("do begin delete from t ; delete from u ; end"),
            "{}",
            block.normalized
        );
        assert_eq!(
            block.create_sql("CREATE", str::to_string),
            "CREATE EVENT e ON SCHEDULE AT '2030-01-01 00:00:00' + INTERVAL 1 DAY DO BEGIN DELETE FROM t; DELETE FROM u; END"
        );
        assert_eq!(block.drop_sql(str::to_string), "DROP EVENT e");
    }

    #[test]
    fn an_event_it_cannot_read_is_refused_with_its_place() {
        let err = |sql: &str| {
            let piece = Piece {
                text: sql.to_string(),
                line: 1,
                column: 1,
            };
            create_mysql_routine(&piece).err().unwrap().message
        };
        assert!(
            err("CREATE EVENT IF NOT EXISTS e ON SCHEDULE EVERY 1 DAY DO SELECT 1")
                .contains("IF NOT EXISTS")
        );
        assert!(err("CREATE EVENT db.e ON SCHEDULE EVERY 1 DAY DO SELECT 1").contains("qualified"));
        assert!(err("CREATE EVENT e EVERY 1 DAY DO SELECT 1").contains("ON SCHEDULE"));
        assert!(err("CREATE EVENT e ON SCHEDULE SOON DO SELECT 1").contains("`AT` or `EVERY`"));
        assert!(err("CREATE EVENT e ON SCHEDULE EVERY 1 DAY").contains("`DO`"));
        assert!(err("CREATE EVENT e ON SCHEDULE EVERY 1 DAY DO").contains("no body"));
        assert!(is_mysql_create_routine(
            "CREATE DEFINER = CURRENT_USER EVENT e ON SCHEDULE EVERY 1 DAY DO SELECT 1"
        ));
        assert!(is_mysql_create_routine(
            "/*!50106 CREATE*/ /*!50117 DEFINER=`a`@`b`*/ /*!50106 EVENT e ON SCHEDULE EVERY 1 DAY DO SELECT 1 */"
        ));
    }
}
