//! PostgreSQL aggregates: a `CREATE [OR REPLACE] AGGREGATE` read into a [`Routine`]
//! of kind [`RoutineKind::Aggregate`], and `DROP AGGREGATE` into a [`Change`].
//!
//! PostgreSQL prints no aggregate's definition (there is no `pg_get_aggregatedef`):
//! inspection writes one from `pg_aggregate` and reads it back here, so both sides
//! are compared in the one spelling this module gives: the options as a set, each
//! in one spelling (function names unqualified in the managed schema, types as
//! PostgreSQL names them, `INITCOND`'s string as its value), without those that
//! say the default (`SSPACE = 0`, `FINALFUNC_MODIFY = READ_ONLY`, `PARALLEL =
//! UNSAFE`). The old form, `CREATE AGGREGATE name (BASETYPE = type, ...)`, is the
//! same aggregate as the new one with `(type)` for arguments.

use std::collections::BTreeMap;

use sqlparser::tokenizer::Token;
use wildebeest_schema::{Change, Routine, RoutineKind};

use crate::Dialect;
use crate::ddl::Ctx;
use crate::lex::{self, PosError};
use crate::routine::{Arg, Code, RoutineDef, arguments, norm_tokens, type_name};
use crate::split::Piece;

/// Options naming a support function.
const FUNCTIONS: &[&str] = &[
    "SFUNC",
    "FINALFUNC",
    "COMBINEFUNC",
    "SERIALFUNC",
    "DESERIALFUNC",
    "MSFUNC",
    "MINVFUNC",
    "MFINALFUNC",
];

/// Options naming a type.
const TYPES: &[&str] = &["STYPE", "MSTYPE", "BASETYPE"];

/// Options that are flags (written alone, or `= true`).
const FLAGS: &[&str] = &["FINALFUNC_EXTRA", "MFINALFUNC_EXTRA", "HYPOTHETICAL"];

/// Every option PostgreSQL reads (the old `SFUNC1`, `STYPE1`, `INITCOND1` are read
/// as `SFUNC`, `STYPE`, `INITCOND`).
const OPTIONS: &[&str] = &[
    "SFUNC",
    "STYPE",
    "SSPACE",
    "FINALFUNC",
    "FINALFUNC_EXTRA",
    "FINALFUNC_MODIFY",
    "COMBINEFUNC",
    "SERIALFUNC",
    "DESERIALFUNC",
    "INITCOND",
    "MSFUNC",
    "MINVFUNC",
    "MSTYPE",
    "MSSPACE",
    "MFINALFUNC",
    "MFINALFUNC_EXTRA",
    "MFINALFUNC_MODIFY",
    "MINITCOND",
    "SORTOP",
    "PARALLEL",
    "HYPOTHETICAL",
    "BASETYPE",
];

/// Reads a `CREATE [OR REPLACE] AGGREGATE` whose name is at token `at`.
pub(crate) fn create_aggregate(
    piece: &Piece,
    code: &Code<'_>,
    at: usize,
    or_replace: bool,
    ctx: &mut Ctx<'_>,
) -> Result<RoutineDef, PosError> {
    let (name, after) = code.name(at, ctx)?;
    let what = format!("aggregate `{}`", name.value);
    if code.token(after) != Some(&Token::LParen) {
        return Err(PosError::new(
            code.pos(after),
            format!("{what}: expected its argument list"),
        ));
    }
    let unclosed = |i: usize| PosError::new(code.pos(i), "the list has no closing `)`");
    let close = code.closing(after).ok_or_else(|| unclosed(after))?;
    // The old form has the options alone in its parentheses: `(BASETYPE = t, ...)`.
    let old =
        code.token(close + 1) != Some(&Token::LParen) && code.token(after + 2) == Some(&Token::Eq);
    let (options_open, options_close) = if old {
        (after, close)
    } else if code.token(close + 1) == Some(&Token::LParen) {
        let end = code.closing(close + 1).ok_or_else(|| unclosed(close + 1))?;
        (close + 1, end)
    } else {
        return Err(PosError::new(
            code.pos(close + 1),
            format!("{what}: expected its options in parentheses (`(SFUNC = ..., STYPE = ...)`)"),
        ));
    };
    match code.token(options_close + 1) {
        None | Some(Token::SemiColon) => {}
        Some(_) => {
            return Err(PosError::new(
                code.pos(options_close + 1),
                format!("{what}: nothing may follow its options"),
            ));
        }
    }
    let mut options = read_options(code, options_open + 1, options_close, ctx.pg_schema, &what)?;
    let args = if old {
        let Some(base) = options.remove("BASETYPE") else {
            return Err(PosError::new(
                code.pos(after),
                format!("{what}: the old form names its argument type in `BASETYPE`"),
            ));
        };
        // `BASETYPE = ANY` is an aggregate of no arguments, `count(*)`'s kind.
        if base == "any" || base == "\"any\"" {
            AggArgs::default()
        } else {
            AggArgs {
                direct: vec![Arg {
                    mode: "IN".into(),
                    name: None,
                    ty: base,
                    default: None,
                }],
                ..AggArgs::default()
            }
        }
    } else {
        if options.contains_key("BASETYPE") {
            return Err(PosError::new(
                code.pos(options_open),
                format!("{what}: `BASETYPE` belongs to the old form, with no argument list"),
            ));
        }
        aggregate_args(code, after, close, &what)?
    };
    let hypothetical = options.contains_key("HYPOTHETICAL");
    if hypothetical && !args.ordered {
        return Err(PosError::new(
            code.pos(options_open),
            format!("{what}: only an ordered-set aggregate can be `HYPOTHETICAL`"),
        ));
    }
    for needed in ["SFUNC", "STYPE"] {
        if !options.contains_key(needed) {
            return Err(PosError::new(
                code.pos(options_open),
                format!("{what}: `{needed}` is missing"),
            ));
        }
    }
    // The defaults, which the catalog holds whether written or not.
    let modify_default = if args.ordered {
        "read_write"
    } else {
        "read_only"
    };
    for key in ["FINALFUNC_MODIFY", "MFINALFUNC_MODIFY"] {
        if options.get(key).map(String::as_str) == Some(modify_default) {
            options.remove(key);
        }
    }
    for (key, default) in [("SSPACE", "0"), ("MSSPACE", "0"), ("PARALLEL", "unsafe")] {
        if options.get(key).map(String::as_str) == Some(default) {
            options.remove(key);
        }
    }
    let kind = if hypothetical {
        "hypothetical"
    } else if args.ordered {
        "ordered-set"
    } else {
        "plain"
    };
    let arg_list = args.normalized();
    let head = format!(
        "({arg_list}) {kind} stype {} finalfunc {}",
        options["STYPE"],
        options.get("FINALFUNC").map_or("none", String::as_str)
    );
    let normalized = format!(
        "({arg_list}) ({})",
        options
            .iter()
            .map(|(k, v)| if v.is_empty() {
                k.to_lowercase()
            } else {
                format!("{} = {v}", k.to_lowercase())
            })
            .collect::<Vec<_>>()
            .join(", ")
    );
    let uses = FUNCTIONS
        .iter()
        .filter_map(|f| options.get(*f))
        .map(|f| unquoted(f))
        .collect();
    let text = piece.text.trim_end();
    let text = text.strip_suffix(';').unwrap_or(text).trim_end();
    let start = code.offset(after).min(text.len());
    Ok(RoutineDef {
        routine: Routine {
            name: name.value.clone(),
            kind: RoutineKind::Aggregate,
            arg_types: args.identity(),
            definition: text[start..].to_string(),
            head,
            normalized,
            by_name: false,
            uses,
        },
        or_replace,
        name_pos: name.pos,
    })
}

/// A name as [`function_name`] writes it, without quotes.
fn unquoted(name: &str) -> String {
    match name.strip_prefix('"').and_then(|n| n.strip_suffix('"')) {
        Some(n) => n.replace("\"\"", "\""),
        None => name.to_string(),
    }
}

/// An aggregate's arguments: the direct ones (all of a plain aggregate's) and an
/// ordered-set aggregate's aggregated ones (after `ORDER BY`).
#[derive(Default)]
struct AggArgs {
    direct: Vec<Arg>,
    ordered: bool,
    aggregated: Vec<Arg>,
}

impl AggArgs {
    /// The types as `DROP AGGREGATE` names them: `*` for none, `VARIADIC` kept,
    /// `ORDER BY ` before the first aggregated one.
    fn identity(&self) -> Vec<String> {
        let ty = |a: &Arg| {
            if a.mode == "VARIADIC" {
                format!("VARIADIC {}", a.ty)
            } else {
                a.ty.clone()
            }
        };
        if !self.ordered && self.direct.is_empty() {
            return vec!["*".into()];
        }
        let mut out: Vec<String> = self.direct.iter().map(ty).collect();
        for (i, a) in self.aggregated.iter().enumerate() {
            if i == 0 {
                out.push(format!("ORDER BY {}", ty(a)));
            } else {
                out.push(ty(a));
            }
        }
        out
    }

    /// The list with argument names, in one spelling.
    fn normalized(&self) -> String {
        let list = |args: &[Arg]| {
            args.iter()
                .map(Arg::normalized)
                .collect::<Vec<_>>()
                .join(", ")
        };
        if !self.ordered && self.direct.is_empty() {
            return "*".into();
        }
        let direct = list(&self.direct);
        if !self.ordered {
            return direct;
        }
        let aggregated = list(&self.aggregated);
        if direct.is_empty() {
            format!("order by {aggregated}")
        } else {
            format!("{direct} order by {aggregated}")
        }
    }
}

/// The arguments between the `(` at `open` and the `)` at `close`.
fn aggregate_args(
    code: &Code<'_>,
    open: usize,
    close: usize,
    what: &str,
) -> Result<AggArgs, PosError> {
    if code.token(open + 1) == Some(&Token::Mul) && close == open + 2 {
        return Ok(AggArgs::default());
    }
    let mut depth = 0usize;
    let order_by = (open + 1..close).find(|&i| {
        match code.token(i) {
            Some(Token::LParen | Token::LBracket) => depth += 1,
            Some(Token::RParen | Token::RBracket) => depth = depth.saturating_sub(1),
            _ => {}
        }
        depth == 0
            && code.word(i).as_deref() == Some("ORDER")
            && code.word(i + 1).as_deref() == Some("BY")
    });
    let mut out = AggArgs::default();
    match order_by {
        None => out.direct = arguments(code, open + 1, close),
        Some(ob) => {
            out.ordered = true;
            out.direct = arguments(code, open + 1, ob);
            out.aggregated = arguments(code, ob + 2, close);
            if out.aggregated.is_empty() {
                return Err(PosError::new(
                    code.pos(ob),
                    format!("{what}: expected the aggregated arguments after `ORDER BY`"),
                ));
            }
        }
    }
    if let Some(a) = out
        .direct
        .iter()
        .chain(&out.aggregated)
        .find(|a| !matches!(a.mode.as_str(), "IN" | "VARIADIC") || a.default.is_some())
    {
        return Err(PosError::new(
            code.pos(open),
            format!(
                "{what}: an aggregate's argument has no mode but `VARIADIC` and no default \
                 (`{}`)",
                a.normalized()
            ),
        ));
    }
    Ok(out)
}

/// The options between tokens `from` and `to` (the parentheses excluded), each in
/// one spelling, by name in upper case.
fn read_options(
    code: &Code<'_>,
    from: usize,
    to: usize,
    pg_schema: &str,
    what: &str,
) -> Result<BTreeMap<String, String>, PosError> {
    let mut out = BTreeMap::new();
    let mut start = from;
    let mut depth = 0usize;
    let mut items = Vec::new();
    for i in from..=to {
        match code.token(i) {
            Some(Token::LParen | Token::LBracket) if i < to => depth += 1,
            Some(Token::RParen | Token::RBracket) if i < to => depth = depth.saturating_sub(1),
            Some(Token::Comma) if depth == 0 => {
                items.push((start, i));
                start = i + 1;
            }
            _ if i == to => items.push((start, i)),
            _ => {}
        }
    }
    for (start, end) in items {
        if start == end {
            return Err(PosError::new(
                code.pos(start),
                format!("{what}: expected an option"),
            ));
        }
        let Some(word) = code.token(start).and_then(option_word) else {
            return Err(PosError::new(
                code.pos(start),
                format!("{what}: expected an option's name"),
            ));
        };
        let key = match word.as_str() {
            "SFUNC1" => "SFUNC".to_string(),
            "STYPE1" => "STYPE".to_string(),
            "INITCOND1" => "INITCOND".to_string(),
            w => w.to_string(),
        };
        if !OPTIONS.contains(&key.as_str()) {
            return Err(PosError::new(
                code.pos(start),
                format!("{what}: PostgreSQL has no aggregate option `{word}`"),
            ));
        }
        let value_from = if code.token(start + 1) == Some(&Token::Eq) {
            start + 2
        } else {
            start + 1
        };
        let tokens: Vec<&Token> = (value_from..end).filter_map(|i| code.token(i)).collect();
        if tokens.is_empty() && !FLAGS.contains(&key.as_str()) {
            return Err(PosError::new(
                code.pos(start),
                format!("{what}: `{word}` needs a value"),
            ));
        }
        let value = option_value(&key, &tokens, pg_schema).ok_or_else(|| {
            PosError::new(
                code.pos(value_from),
                format!("{what}: `{word}` cannot be `{}`", norm_tokens(&tokens)),
            )
        })?;
        // A flag written `= false` is not set.
        if FLAGS.contains(&key.as_str()) && value == "false" {
            continue;
        }
        if out.insert(key, value).is_some() {
            return Err(PosError::new(
                code.pos(start),
                format!("{what}: `{word}` is given twice"),
            ));
        }
    }
    Ok(out)
}

/// An option's name: a word in upper case (quoted or not, as PostgreSQL ignores its
/// case).
fn option_word(t: &Token) -> Option<String> {
    match t {
        Token::Word(w) => Some(w.value.to_ascii_uppercase()),
        _ => None,
    }
}

/// An option's value in one spelling; `None` for one it cannot be.
fn option_value(key: &str, tokens: &[&Token], pg_schema: &str) -> Option<String> {
    let words = || {
        tokens
            .iter()
            .map(|t| lex::bare_word(t))
            .collect::<Option<Vec<_>>>()
    };
    match key {
        k if FUNCTIONS.contains(&k) => function_name(tokens, pg_schema),
        k if TYPES.contains(&k) => {
            // The old form may write its type as a string: `BASETYPE = 'int4'`.
            if let [Token::SingleQuotedString(s)] = tokens {
                let word = Token::make_word(s, None);
                return Some(type_in(&[&word], pg_schema));
            }
            Some(type_in(tokens, pg_schema))
        }
        k if FLAGS.contains(&k) => match tokens {
            [] => Some(String::new()),
            _ => match words()?.join(" ").as_str() {
                "TRUE" | "ON" => Some(String::new()),
                "FALSE" | "OFF" => Some("false".into()),
                _ => None,
            },
        },
        "INITCOND" | "MINITCOND" => match tokens {
            [Token::SingleQuotedString(s)] => Some(crate::quote::quote_literal(s)),
            [Token::Number(n, _)] => Some(crate::quote::quote_literal(n)),
            [Token::Minus, Token::Number(n, _)] => {
                Some(crate::quote::quote_literal(&format!("-{n}")))
            }
            _ => None,
        },
        "SSPACE" | "MSSPACE" => match tokens {
            [Token::Number(n, _)] => n.parse::<i64>().ok().map(|n| n.to_string()),
            _ => None,
        },
        "FINALFUNC_MODIFY" | "MFINALFUNC_MODIFY" => {
            let w = words()?.join(" ").to_lowercase();
            matches!(w.as_str(), "read_only" | "shareable" | "read_write").then_some(w)
        }
        "PARALLEL" => {
            let w = words()?.join(" ").to_lowercase();
            matches!(w.as_str(), "safe" | "restricted" | "unsafe").then_some(w)
        }
        "SORTOP" => sort_operator(tokens),
        _ => None,
    }
}

/// A type as [`type_name`] writes it, unqualified in the managed schema too.
fn type_in(tokens: &[&Token], pg_schema: &str) -> String {
    let ty = type_name(tokens);
    let prefix = format!(
        "{}.",
        crate::quote::quote_ident(pg_schema, Dialect::Postgres)
    );
    ty.strip_prefix(&prefix).map_or(ty.clone(), str::to_string)
}

/// A function's name, quoted where PostgreSQL needs it, without a qualifier naming
/// the managed schema or `pg_catalog`.
fn function_name(tokens: &[&Token], pg_schema: &str) -> Option<String> {
    let mut parts = Vec::new();
    for (i, t) in tokens.iter().enumerate() {
        match (i % 2, t) {
            (0, Token::Word(w)) => parts.push(if w.quote_style.is_some() {
                w.value.clone()
            } else {
                w.value.to_lowercase()
            }),
            (1, Token::Period) => {}
            _ => return None,
        }
    }
    if tokens.len().is_multiple_of(2) || parts.len() > 2 {
        return None;
    }
    if parts.len() == 2 && (parts[0] == pg_schema || parts[0] == "pg_catalog") {
        parts.remove(0);
    }
    Some(
        parts
            .iter()
            .map(|p| crate::quote::quote_ident(p, Dialect::Postgres))
            .collect::<Vec<_>>()
            .join("."),
    )
}

/// A sort operator: `>`, or `OPERATOR(pg_catalog.>)` as pg_dump writes it, is `>`.
fn sort_operator(tokens: &[&Token]) -> Option<String> {
    let inner: Vec<&Token> = match tokens {
        [Token::Word(w), Token::LParen, rest @ .., Token::RParen]
            if w.value.eq_ignore_ascii_case("OPERATOR") =>
        {
            let mut rest = rest.to_vec();
            // The qualifier goes: an aggregate's sort operator is a built-in one.
            if let Some(dot) = rest.iter().position(|t| **t == Token::Period) {
                rest.drain(..=dot);
            }
            rest
        }
        _ => tokens.to_vec(),
    };
    let op: String = inner.iter().map(|t| t.to_string()).collect();
    (!op.is_empty() && !op.chars().any(|c| c.is_alphanumeric() || c == '"')).then_some(op)
}

/// Reads a `DROP AGGREGATE [IF EXISTS] name(arguments)`.
pub(crate) fn drop_aggregate(
    code: &Code<'_>,
    at: usize,
    if_exists: bool,
    ctx: &mut Ctx<'_>,
) -> Result<Change, PosError> {
    let (name, after) = code.name(at, ctx)?;
    let what = format!("aggregate `{}`", name.value);
    if code.token(after) != Some(&Token::LParen) {
        return Err(PosError::new(
            code.pos(after),
            format!("{what}: `DROP AGGREGATE` names its argument types (`*` for none)"),
        ));
    }
    let Some(close) = code.closing(after) else {
        return Err(PosError::new(
            code.pos(after),
            "the argument list has no closing `)`",
        ));
    };
    let args = aggregate_args(code, after, close, &what)?;
    match code.token(close + 1) {
        None | Some(Token::SemiColon) => {}
        Some(t) if lex::bare_word(t).as_deref() == Some("RESTRICT") => {}
        Some(Token::Comma) => {
            return Err(PosError::new(
                code.pos(close + 1),
                "the model follows one aggregate a `DROP` statement",
            ));
        }
        Some(_) => {
            return Err(PosError::new(
                code.pos(close + 1),
                "`CASCADE` drops what depends on the aggregate, which the model cannot tell",
            ));
        }
    }
    Ok(Change::DropRoutine {
        kind: RoutineKind::Aggregate,
        name: name.value,
        arg_types: Some(args.identity()),
        if_exists,
    })
}

/// An aggregate as inspection writes it from the catalog, in schema `schema`.
/// `None` for text that is not one.
pub fn aggregate_from_catalog(definition: &str, schema: &str) -> Option<Routine> {
    crate::routine::routine_from_catalog(definition, schema)
        .filter(|r| r.kind == RoutineKind::Aggregate)
}

/// `CREATE AGGREGATE` text for an aggregate read from PostgreSQL's catalog, which
/// [`aggregate_from_catalog`] reads: `name` and `args` (`pg_get_function_arguments`,
/// empty for none) with `options` as `(option, value)` in the order given (values
/// already quoted as SQL), the ones with no value being flags.
pub fn aggregate_catalog_text(
    name: &str,
    args: &str,
    options: &[(&str, Option<String>)],
) -> String {
    let args = if args.trim().is_empty() { "*" } else { args };
    let options: Vec<String> = options
        .iter()
        .map(|(k, v)| match v {
            Some(v) => format!("{k} = {v}"),
            None => k.to_string(),
        })
        .collect();
    format!(
        "CREATE AGGREGATE {}({args}) ({})",
        crate::quote::quote_ident(name, Dialect::Postgres),
        options.join(", ")
    )
}

/// Whether `text` is a PostgreSQL `CREATE [OR REPLACE] AGGREGATE`.
pub(crate) fn is_create(text: &str) -> bool {
    let words = crate::parse::leading_words(text, 4);
    let w: Vec<&str> = words.iter().map(String::as_str).collect();
    matches!(
        w.as_slice(),
        ["CREATE", "AGGREGATE", ..] | ["CREATE", "OR", "REPLACE", "AGGREGATE", ..]
    )
}

/// Whether `text` is a `DROP AGGREGATE`.
pub(crate) fn is_drop(text: &str) -> bool {
    let words = crate::parse::leading_words(text, 2);
    words.len() == 2 && words[0] == "DROP" && words[1] == "AGGREGATE"
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lex::Pos;

    fn ctx_run<T>(f: impl FnOnce(&mut Ctx<'_>) -> T) -> T {
        let mut warnings = Vec::new();
        let mut ctx = Ctx {
            dialect: Dialect::Postgres,
            start: Pos { line: 1, column: 1 },
            warnings: &mut warnings,
            pg_schema: "public",
        };
        f(&mut ctx)
    }

    fn piece(sql: &str) -> Piece {
        Piece {
            text: sql.to_string(),
            line: 1,
            column: 1,
        }
    }

    fn read(sql: &str) -> Result<Routine, String> {
        ctx_run(|ctx| {
            crate::routine::create_routine(&piece(sql), ctx)
                .map(|d| d.routine)
                .map_err(|e| e.message)
        })
    }

    #[test]
    fn reads_an_aggregate_as_written_and_as_pg_dump_prints_it() {
        let written =
            read("CREATE AGGREGATE group_concat(text) (SFUNC = _group_concat, STYPE = text);")
                .unwrap();
        assert_eq!(written.kind, RoutineKind::Aggregate);
        assert_eq!(written.signature(), "group_concat(text)");
        assert_eq!(
            written.definition,
            "(text) (SFUNC = _group_concat, STYPE = text)"
        );
        assert_eq!(written.uses, ["_group_concat"]);
        assert_eq!(
            written.drop_sql(|n| n.to_string()),
            "DROP AGGREGATE group_concat(text)"
        );
        let dumped = read(
            "CREATE AGGREGATE public.group_concat(text) (\n    SFUNC = public._group_concat,\n    STYPE = text\n);",
        )
        .unwrap();
        assert_eq!(written, dumped);
        // The old form, lower case, defaults written out: the same aggregate.
        let old = read(
            "create aggregate GROUP_CONCAT (basetype = TEXT, sfunc = \"_group_concat\", \
             stype = pg_catalog.text, sspace = 0, finalfunc_modify = read_only, parallel = unsafe)",
        )
        .unwrap();
        assert_eq!(written, old, "{} / {}", written.normalized, old.normalized);
        assert_eq!(
            written.normalized,
            "(text) (sfunc = _group_concat, stype = text)"
        );
    }

    #[test]
    fn what_the_catalog_text_says_is_what_was_written() {
        let written = read(
            "CREATE AGGREGATE sum_moving(int4) (sfunc = int4pl, stype = int4, msfunc = int4pl, \
             minvfunc = int4mi, mstype = int4, initcond = 0, minitcond = '0', \
             parallel = safe, combinefunc = int4pl)",
        )
        .unwrap();
        let printed = aggregate_catalog_text(
            "sum_moving",
            "integer",
            &[
                ("SFUNC", Some("int4pl".into())),
                ("COMBINEFUNC", Some("int4pl".into())),
                ("MSFUNC", Some("int4pl".into())),
                ("MINVFUNC", Some("int4mi".into())),
                ("STYPE", Some("integer".into())),
                ("SSPACE", Some("0".into())),
                ("INITCOND", Some("'0'".into())),
                ("FINALFUNC_MODIFY", Some("READ_ONLY".into())),
                ("MSTYPE", Some("integer".into())),
                ("MSSPACE", Some("0".into())),
                ("MINITCOND", Some("'0'".into())),
                ("MFINALFUNC_MODIFY", Some("READ_ONLY".into())),
                ("PARALLEL", Some("SAFE".into())),
            ],
        );
        let read_back = aggregate_from_catalog(&printed, "public").unwrap();
        assert_eq!(
            written, read_back,
            "{} / {}",
            written.normalized, read_back.normalized
        );
        let other = read(
            "CREATE AGGREGATE sum_moving(int4) (sfunc = int4pl, stype = int4, msfunc = int4pl, \
             minvfunc = int4mi, mstype = int4, initcond = 1, minitcond = '0', \
             parallel = safe, combinefunc = int4pl)",
        )
        .unwrap();
        assert_ne!(written, other);
        assert!(written.replaceable_by(&other));
    }

    #[test]
    fn ordered_set_and_zero_argument_aggregates_are_keyed_as_drop_names_them() {
        let pct = read(
            "CREATE AGGREGATE my_pct(float8 ORDER BY anyelement) (SFUNC = ordered_set_transition, \
             STYPE = internal, FINALFUNC = percentile_disc_final, FINALFUNC_EXTRA, \
             FINALFUNC_MODIFY = READ_WRITE)",
        )
        .unwrap();
        assert_eq!(pct.arg_types, ["double precision", "ORDER BY anyelement"]);
        assert_eq!(
            pct.signature(),
            "my_pct(double precision ORDER BY anyelement)"
        );
        assert!(!pct.normalized.contains("read_write"), "{}", pct.normalized);
        let rank = read(
            "CREATE AGGREGATE my_rank(VARIADIC \"any\" ORDER BY VARIADIC \"any\") (\
             SFUNC = ordered_set_transition_multi, STYPE = internal, FINALFUNC = rank_final, \
             FINALFUNC_EXTRA, HYPOTHETICAL)",
        )
        .unwrap();
        assert_eq!(
            rank.drop_sql(|n| n.to_string()),
            "DROP AGGREGATE my_rank(VARIADIC \"any\" ORDER BY VARIADIC \"any\")"
        );
        assert!(!pct.replaceable_by(&rank));
        let tally = read("CREATE AGGREGATE tally(*) (SFUNC = int8inc, STYPE = int8)").unwrap();
        assert_eq!(tally.signature(), "tally(*)");
        let old =
            read("CREATE AGGREGATE tally (BASETYPE = 'ANY', SFUNC = int8inc, STYPE = bigint)")
                .unwrap();
        assert_eq!(tally, old);
        let drop = |sql: &str| {
            ctx_run(|ctx| crate::routine::drop_routine(&piece(sql), ctx).map_err(|e| e.message))
        };
        assert_eq!(
            drop("DROP AGGREGATE IF EXISTS public.tally(*)"),
            Ok(Change::DropRoutine {
                kind: RoutineKind::Aggregate,
                name: "tally".into(),
                arg_types: Some(vec!["*".into()]),
                if_exists: true,
            })
        );
        assert_eq!(
            drop("DROP AGGREGATE my_pct(float8 ORDER BY anyelement)"),
            Ok(Change::DropRoutine {
                kind: RoutineKind::Aggregate,
                name: "my_pct".into(),
                arg_types: Some(vec![
                    "double precision".into(),
                    "ORDER BY anyelement".into()
                ]),
                if_exists: false,
            })
        );
        assert!(
            drop("DROP AGGREGATE tally")
                .unwrap_err()
                .contains("argument types")
        );
        assert!(
            drop("DROP AGGREGATE tally(*) CASCADE")
                .unwrap_err()
                .contains("CASCADE")
        );
    }

    #[test]
    fn what_postgresql_would_not_read_is_refused_by_name() {
        let refused = |sql: &str| read(sql).unwrap_err();
        assert!(
            refused("CREATE AGGREGATE a(int) (SFUNC = int4pl, STYPE = int, COLOUR = red)")
                .contains("no aggregate option `COLOUR`")
        );
        assert!(refused("CREATE AGGREGATE a(int) (SFUNC = int4pl)").contains("`STYPE`"));
        assert!(
            refused("CREATE AGGREGATE a(int) (SFUNC = int4pl, STYPE = int, SFUNC = int4mi)")
                .contains("twice")
        );
        assert!(
            refused("CREATE AGGREGATE a(int) (SFUNC = int4pl, STYPE = int, HYPOTHETICAL)")
                .contains("ordered-set")
        );
        assert!(refused("CREATE AGGREGATE a(int)").contains("options"));
        assert!(
            refused("CREATE AGGREGATE a(int) (SFUNC = int4pl, STYPE = int, PARALLEL = maybe)")
                .contains("`PARALLEL` cannot be `maybe`")
        );
        assert!(refused("CREATE AGGREGATE a (SFUNC = int4pl, STYPE = int)").contains("BASETYPE"));
    }
}
