//! Tokens with positions in the file, and the calls into sqlparser.
//!
//! Each statement is tokenized on its own, then every token's span is moved from the
//! statement's coordinates to the file's, so parser errors and AST spans name the
//! file's line and column directly. The token stream is also where dialect rules that
//! sqlparser leaves to the caller are applied once for everything parsed afterwards:
//! PostgreSQL folds unquoted identifiers to lower case, niladic datetime keywords get one
//! spelling, and a `0x1F` integer stays an integer.

use sqlparser::ast::{DataType, Expr, Statement as AstStatement};
use sqlparser::dialect::{
    Dialect as SqlDialect, GenericDialect, MySqlDialect, PostgreSqlDialect, SQLiteDialect,
};
use sqlparser::keywords::Keyword;
use sqlparser::parser::{Parser, ParserError};
use sqlparser::tokenizer::{Location, Span, Token, TokenWithSpan, Tokenizer, Word};

use crate::Dialect;

/// A 1-based position in the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Pos {
    pub line: usize,
    pub column: usize,
}

/// An error at a position, before the file name is attached.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct PosError {
    pub pos: Pos,
    pub message: String,
}

impl PosError {
    pub fn new(pos: Pos, message: impl Into<String>) -> Self {
        PosError {
            pos,
            message: message.into(),
        }
    }
}

/// The position of a sqlparser location, or `fallback` for an unknown one.
pub(crate) fn pos_of(span: Span, fallback: Pos) -> Pos {
    if span.start.line == 0 {
        fallback
    } else {
        Pos {
            line: to_usize(span.start.line),
            column: to_usize(span.start.column),
        }
    }
}

fn to_usize(n: u64) -> usize {
    usize::try_from(n).unwrap_or(usize::MAX)
}

/// The sqlparser dialect that reads `dialect`.
pub(crate) fn sql_dialect(dialect: Dialect) -> &'static dyn SqlDialect {
    static SQLITE: SQLiteDialect = SQLiteDialect {};
    static POSTGRES: PostgreSqlDialect = PostgreSqlDialect {};
    static MYSQL: MySqlDialect = MySqlDialect {};
    match dialect {
        Dialect::Sqlite => &SQLITE,
        Dialect::Postgres => &POSTGRES,
        Dialect::Mysql => &MYSQL,
    }
}

/// The dialect tried when the project's dialect cannot parse a statement.
pub(crate) fn generic() -> &'static dyn SqlDialect {
    static GENERIC: GenericDialect = GenericDialect;
    &GENERIC
}

/// How many chained operators one expression may have. sqlparser builds a chain
/// `a + b + c ...` without recursion but prints and drops it recursively, so a long one
/// would overflow the stack; no hand-written schema comes near this.
const MAX_CHAIN: usize = 1000;

/// Tokenizes `text`, which starts at `at` in the file, for `dialect` read by `sd`.
pub(crate) fn tokenize(
    text: &str,
    at: Pos,
    dialect: Dialect,
    sd: &dyn SqlDialect,
) -> Result<Vec<TokenWithSpan>, PosError> {
    // The character that marks a merged SQLite type name (`types::MERGED`) can come
    // from no statement wildebeest reads.
    if let Some(i) = text.find(crate::types::MERGED) {
        return Err(PosError::new(
            end_of(&text[..i], at),
            "control character U+0001 in a statement",
        ));
    }
    let mut tokens = Tokenizer::new(sd, text)
        .tokenize_with_location()
        .map_err(|e| {
            let pos = pos_of(shift(Span::new(e.location, e.location), at), at);
            PosError::new(pos, e.message)
        })?;
    for t in &mut tokens {
        adjust(t, text, dialect);
        t.span = shift(t.span, at);
    }
    check_chains(&tokens, at)?;
    check_faithful_quotes(&tokens, at, dialect)?;
    check_dimensions(&tokens, at)?;
    if dialect != Dialect::Postgres {
        check_no_dollar_quotes(&tokens, at, dialect)?;
    }
    Ok(tokens)
}

/// Rejects a quoted name or string whose text holds its quote character twice in a row
/// or right after a backslash (`"a"""""`, `"a\""`, `'it''''s'`). sqlparser writes such a
/// text back with those quotes left single (it takes them for escapes already made),
/// so an expression holding it would come out as other SQL: `CHECK ("a\""); DELETE
/// FROM victim; --" > 0)` came out with the name ending after the backslash and the
/// `DELETE` a statement of its own. Until every expression is written by wildebeest
/// itself, such a text is refused where it is read, with its place.
///
/// In MySQL a backslash in a string is an escape, which the tokenizer takes out
/// (`'a\\b'` holds `a\b`) and sqlparser does not put back (it writes `'a\b'`, a
/// backspace to MySQL): such a string is refused too.
fn check_faithful_quotes(
    tokens: &[TokenWithSpan],
    at: Pos,
    dialect: Dialect,
) -> Result<(), PosError> {
    for t in tokens {
        let (text, q, what) = match &t.token {
            Token::Word(w) => match w.quote_style {
                Some(q @ ('"' | '`')) => (&w.value, q, "name"),
                _ => continue,
            },
            Token::SingleQuotedString(s) => (s, '\'', "string"),
            Token::DoubleQuotedString(s) => (s, '"', "string"),
            _ => continue,
        };
        let doubled = format!("{q}{q}");
        let escaped = format!("\\{q}");
        if what == "string" && dialect == Dialect::Mysql && text.contains('\\') {
            return Err(PosError::new(
                pos_of(t.span, at),
                format!(
                    "the string {} holds a backslash, which MySQL reads as an escape and wildebeest cannot yet write back unchanged: write the string without one",
                    crate::excerpt(&format!("'{}'", text.replace('\'', "''")))
                ),
            ));
        }
        if text.contains(&doubled) || text.contains(&escaped) {
            return Err(PosError::new(
                pos_of(t.span, at),
                format!(
                    "the {what} {} holds `{q}` twice in a row or after a backslash, which wildebeest cannot write back unchanged inside an expression: choose a {what} without that sequence",
                    crate::excerpt(&format!("{q}{}{q}", text.replace(q, &doubled)))
                ),
            ));
        }
    }
    Ok(())
}

/// Rejects `$$...` and `$tag$...`: dollar-quoted strings are PostgreSQL's, and other
/// dialects' tokenizers read them as a parameter placeholder (`$$abc` became a
/// column default in a SQLite schema) that no database would accept there.
fn check_no_dollar_quotes(
    tokens: &[TokenWithSpan],
    at: Pos,
    dialect: Dialect,
) -> Result<(), PosError> {
    for t in tokens {
        let text = match &t.token {
            Token::DollarQuotedString(_) => None,
            Token::Placeholder(p) if is_dollar_quote_start(p) => Some(p.as_str()),
            _ => continue,
        };
        let shown = text.map_or(String::new(), |p| format!(" `{p}`"));
        return Err(PosError::new(
            pos_of(t.span, at),
            format!(
                "dollar quoting{shown} is PostgreSQL only, and this file is read as {}: write the string in single quotes ('...')",
                match dialect {
                    Dialect::Mysql => "MySQL",
                    _ => "SQLite",
                }
            ),
        ));
    }
    Ok(())
}

/// Whether a placeholder's text starts like a dollar quote: `$$` or `$tag$`.
fn is_dollar_quote_start(p: &str) -> bool {
    let Some(rest) = p.strip_prefix('$') else {
        return false;
    };
    match rest.find('$') {
        Some(0) => true,
        Some(end) => {
            rest[..end].chars().all(|c| c.is_alphanumeric() || c == '_')
                && !rest[..end].starts_with(|c: char| c.is_ascii_digit())
        }
        None => false,
    }
}

/// Moves a span from statement coordinates (starting at 1:1) to file coordinates.
fn shift(span: Span, at: Pos) -> Span {
    let move_loc = |l: Location| {
        if l.line == 0 {
            return l;
        }
        let column = if l.line == 1 {
            l.column
                .saturating_add((at.column as u64).saturating_sub(1))
        } else {
            l.column
        };
        Location {
            line: l.line.saturating_add((at.line as u64).saturating_sub(1)),
            column,
        }
    };
    Span::new(move_loc(span.start), move_loc(span.end))
}

/// Applies the dialect's spelling rules to one token (see the module comment).
fn adjust(t: &mut TokenWithSpan, text: &str, dialect: Dialect) {
    match &mut t.token {
        Token::Word(w) if w.quote_style.is_none() => {
            if dialect == Dialect::Postgres {
                w.value = w.value.to_lowercase();
            }
            if is_niladic(&w.value) {
                w.value = w.value.to_ascii_uppercase();
            }
        }
        Token::HexStringLiteral(hex) if dialect != Dialect::Mysql => {
            // sqlparser reads `0x1F` as the blob X'1F'; SQLite and PostgreSQL read an
            // integer. Keep the integer when it fits.
            let zero_x = char_at(text, t.span.start) == Some('0');
            if let (true, Ok(n)) = (zero_x, i64::from_str_radix(hex, 16)) {
                t.token = Token::Number(n.to_string(), false);
            }
        }
        _ => {}
    }
}

/// Keywords that are values, spelled in upper case whatever the source did, so that a
/// default read from a database compares equal to the one written in a file.
fn is_niladic(word: &str) -> bool {
    const NILADIC: [&str; 8] = [
        "CURRENT_TIMESTAMP",
        "CURRENT_DATE",
        "CURRENT_TIME",
        "LOCALTIME",
        "LOCALTIMESTAMP",
        "CURRENT_USER",
        "SESSION_USER",
        "CURRENT_ROLE",
    ];
    NILADIC.iter().any(|n| n.eq_ignore_ascii_case(word))
}

/// The character at a 1-based line and column of `text`.
fn char_at(text: &str, loc: Location) -> Option<char> {
    let line = text.split('\n').nth(to_usize(loc.line).checked_sub(1)?)?;
    line.chars().nth(to_usize(loc.column).checked_sub(1)?)
}

/// Rejects a chain of more than [`MAX_CHAIN`] operators along any path of nested
/// parentheses (see [`MAX_CHAIN`]).
fn check_chains(tokens: &[TokenWithSpan], at: Pos) -> Result<(), PosError> {
    // Operators counted at each open parenthesis level, outermost first.
    let mut levels: Vec<usize> = vec![0];
    let mut total = 0usize;
    for t in tokens {
        match &t.token {
            Token::LParen | Token::LBracket => levels.push(0),
            Token::RParen | Token::RBracket if levels.len() > 1 => {
                total = total.saturating_sub(levels.pop().unwrap_or(0));
            }
            Token::Comma => {
                if let Some(last) = levels.last_mut() {
                    total = total.saturating_sub(*last);
                    *last = 0;
                }
            }
            tok if is_chain_link(tok) => {
                if let Some(last) = levels.last_mut() {
                    *last += 1;
                }
                total += 1;
                if total > MAX_CHAIN {
                    return Err(PosError::new(
                        pos_of(t.span, at),
                        format!("expression too long: more than {MAX_CHAIN} operators in a row"),
                    ));
                }
            }
            _ => {}
        }
    }
    Ok(())
}

/// How many array dimensions (`[]` or `[N]` in a row) a type or subscript may have:
/// PostgreSQL's limit for an array's values. sqlparser reads each pair with one more
/// level of recursion, which its recursion limit does not count, so a million pairs
/// overflowed the stack.
pub(crate) const MAX_DIMENSIONS: usize = 6;

/// Rejects more than [`MAX_DIMENSIONS`] bracket pairs in a row (white space between
/// them allowed), at the first pair too many.
fn check_dimensions(tokens: &[TokenWithSpan], at: Pos) -> Result<(), PosError> {
    let mut run = 0usize;
    let mut i = 0;
    let significant = |j: usize| {
        let mut j = j;
        while matches!(tokens.get(j).map(|t| &t.token), Some(Token::Whitespace(_))) {
            j += 1;
        }
        j
    };
    while i < tokens.len() {
        if !matches!(tokens[i].token, Token::LBracket) {
            if !matches!(tokens[i].token, Token::Whitespace(_)) {
                run = 0;
            }
            i += 1;
            continue;
        }
        let mut j = significant(i + 1);
        if matches!(tokens.get(j).map(|t| &t.token), Some(Token::Number(..))) {
            j = significant(j + 1);
        }
        if !matches!(tokens.get(j).map(|t| &t.token), Some(Token::RBracket)) {
            run = 0;
            i += 1;
            continue;
        }
        run += 1;
        if run > MAX_DIMENSIONS {
            return Err(PosError::new(
                pos_of(tokens[i].span, at),
                format!("more than {MAX_DIMENSIONS} array dimensions: PostgreSQL allows no more"),
            ));
        }
        i = j + 1;
    }
    Ok(())
}

/// Whether `e` is [`check_dimensions`]' refusal.
pub(crate) fn is_dimensions_error(e: &PosError) -> bool {
    e.message
        .ends_with("array dimensions: PostgreSQL allows no more")
}

/// Tokens that can extend an expression into a deeper tree.
fn is_chain_link(t: &Token) -> bool {
    match t {
        Token::Word(w) => {
            w.quote_style.is_none()
                && matches!(
                    w.keyword,
                    Keyword::AND
                        | Keyword::OR
                        | Keyword::XOR
                        | Keyword::NOT
                        | Keyword::IS
                        | Keyword::IN
                        | Keyword::LIKE
                        | Keyword::ILIKE
                        | Keyword::GLOB
                        | Keyword::REGEXP
                        | Keyword::RLIKE
                        | Keyword::MATCH
                        | Keyword::BETWEEN
                        | Keyword::COLLATE
                        | Keyword::ESCAPE
                        | Keyword::SIMILAR
                        | Keyword::DIV
                        | Keyword::MOD
                        | Keyword::AT
                        | Keyword::CASE
                        | Keyword::WHEN
                        | Keyword::OVERLAPS
                )
        }
        Token::Whitespace(_)
        | Token::EOF
        | Token::Comma
        | Token::SemiColon
        | Token::LParen
        | Token::RParen
        | Token::LBracket
        | Token::RBracket
        | Token::Number(..)
        | Token::Char(_)
        | Token::SingleQuotedString(_)
        | Token::DoubleQuotedString(_)
        | Token::DollarQuotedString(_)
        | Token::NationalStringLiteral(_)
        | Token::EscapedStringLiteral(_)
        | Token::HexStringLiteral(_)
        | Token::Placeholder(_) => false,
        _ => true,
    }
}

/// The position and message of a parser error; positions are already in file
/// coordinates because the tokens were shifted. An error without a position is at the
/// end of the text (`found: EOF`), except nesting too deep, which is at its start.
pub(crate) fn parser_error(e: ParserError, start: Pos, end: Pos) -> PosError {
    let (message, fallback) = match e {
        ParserError::TokenizerError(s) | ParserError::ParserError(s) => (s, end),
        ParserError::RecursionLimitExceeded => ("nested too deeply".to_string(), start),
    };
    if let Some(at) = message.rfind(" at Line: ") {
        let tail = &message[at + " at Line: ".len()..];
        let mut parts = tail.splitn(2, ", Column: ");
        let line = parts.next().and_then(|l| l.trim().parse::<usize>().ok());
        let column = parts.next().and_then(|c| c.trim().parse::<usize>().ok());
        if let (Some(line), Some(column)) = (line, column) {
            return PosError::new(Pos { line, column }, &message[..at]);
        }
    }
    PosError::new(fallback, message)
}

/// The position just past the end of `text` starting at `at`: where "found: EOF" is.
pub(crate) fn end_of(text: &str, at: Pos) -> Pos {
    match text.rfind('\n') {
        Some(nl) => Pos {
            line: at.line + text.matches('\n').count(),
            column: text[nl + 1..].chars().count() + 1,
        },
        None => Pos {
            line: at.line,
            column: at.column + text.chars().count(),
        },
    }
}

/// Parses one statement from `tokens`; errors without a position point at `end`.
pub(crate) fn parse_tokens(
    sd: &dyn SqlDialect,
    tokens: Vec<TokenWithSpan>,
    start: Pos,
    end: Pos,
) -> Result<AstStatement, PosError> {
    let mut parser = Parser::new(sd).with_tokens_with_locations(tokens);
    let mut statements = parser
        .parse_statements()
        .map_err(|e| parser_error(e, start, end))?;
    if statements.len() != 1 {
        return Err(PosError::new(start, "expected exactly one statement"));
    }
    statements
        .pop()
        .ok_or_else(|| PosError::new(start, "expected a statement"))
}

/// Parses a whole expression from `tokens`.
pub(crate) fn parse_expr_tokens(
    sd: &dyn SqlDialect,
    tokens: Vec<TokenWithSpan>,
    start: Pos,
    end: Pos,
) -> Result<Expr, PosError> {
    let mut parser = Parser::new(sd).with_tokens_with_locations(tokens);
    let expr = parser
        .parse_expr()
        .map_err(|e| parser_error(e, start, end))?;
    parser
        .expect_token(&Token::EOF)
        .map_err(|e| parser_error(e, start, end))?;
    Ok(expr)
}

/// Parses a whole data type from `tokens`.
pub(crate) fn parse_type_tokens(
    sd: &dyn SqlDialect,
    tokens: Vec<TokenWithSpan>,
    start: Pos,
    end: Pos,
) -> Result<DataType, PosError> {
    let mut parser = Parser::new(sd).with_tokens_with_locations(tokens);
    let ty = parser
        .parse_data_type()
        .map_err(|e| parser_error(e, start, end))?;
    parser
        .expect_token(&Token::EOF)
        .map_err(|e| parser_error(e, start, end))?;
    Ok(ty)
}

/// Whether a token is white space or a comment.
pub(crate) fn is_trivia(t: &Token) -> bool {
    matches!(t, Token::Whitespace(_))
}

/// The upper-cased value of an unquoted word token.
pub(crate) fn bare_word(t: &Token) -> Option<String> {
    match t {
        Token::Word(Word {
            value,
            quote_style: None,
            ..
        }) => Some(value.to_ascii_uppercase()),
        _ => None,
    }
}

thread_local! {
    /// Set on the threads [`with_stack`] and [`on_big_stack`] make.
    static BIG_STACK: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// The stacks tried for a parsing thread, largest first.
const STACKS: [usize; 2] = [256 << 20, 16 << 20];

/// Runs `f` on a thread with a large stack. sqlparser is built without its stack
/// growing feature and its recursion limit alone still lets a debug build overflow a
/// small stack; a panic inside is turned into `None` instead of crossing the API. Where
/// no such thread can be made (a tight address-space limit), a smaller stack is tried,
/// then the caller's own. On a thread that already has a large stack ([`on_big_stack`])
/// `f` runs in place: a thread per call costs more than parsing a column type.
pub(crate) fn with_stack<T: Send>(f: impl FnOnce() -> T + Send) -> Option<T> {
    if BIG_STACK.with(std::cell::Cell::get) {
        return std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)).ok();
    }
    spawn_big(f).and_then(Result::ok)
}

/// Runs `f` on a thread with a large stack (or, where none can be made, in place),
/// with its panic as `Err`. `None` when `f` ran in place and panicked.
fn spawn_big<T: Send>(f: impl FnOnce() -> T + Send) -> Option<std::thread::Result<T>> {
    let slot = std::sync::Mutex::new(Some(f));
    let run = || {
        let f = slot.lock().ok().and_then(|mut s| s.take());
        f.map(|f| {
            BIG_STACK.with(|b| b.set(true));
            f()
        })
    };
    std::thread::scope(|scope| {
        for stack in STACKS {
            let builder = std::thread::Builder::new()
                .name("wildebeest-sql".into())
                .stack_size(stack);
            if let Ok(handle) = builder.spawn_scoped(scope, run) {
                return match handle.join() {
                    Ok(Some(t)) => Some(Ok(t)),
                    Ok(None) => None,
                    Err(panic) => Some(Err(panic)),
                };
            }
        }
        let f = slot.lock().ok().and_then(|mut s| s.take())?;
        Some(std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)))
    })
}

/// Runs `f` on one thread with a large stack, where every parse of this crate it makes
/// runs in place instead of on a thread of its own: for work that parses thousands of
/// statements, expressions or types (replaying a history, reading a large schema).
/// A panic in `f` is resumed on the caller's thread.
pub fn on_big_stack<T: Send>(f: impl FnOnce() -> T + Send) -> T {
    if BIG_STACK.with(std::cell::Cell::get) {
        return f();
    }
    match spawn_big(f) {
        Some(Ok(t)) => t,
        Some(Err(panic)) => std::panic::resume_unwind(panic),
        None => unreachable!("spawn_big runs `f` exactly once"),
    }
}
