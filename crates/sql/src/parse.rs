//! From a split statement to sqlparser's AST: what kind of statement it is, and the
//! dialect fallbacks that let sqlparser read SQLite as SQLite writes it.

use sqlparser::ast::{ColumnOption, ColumnOptionDef, Expr, Ident, Statement as AstStatement};
use sqlparser::keywords::Keyword;
use sqlparser::tokenizer::{Span, Token, TokenWithSpan, Whitespace, Word};

use crate::Dialect;
use crate::lex::{self, Pos, PosError};
use crate::split::Piece;
use crate::types::MERGED;

/// What a statement is, from its first words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    CreateTable,
    CreateIndex,
    AlterTable,
    DropTable,
    DropIndex,
    /// `CREATE TYPE`, `ALTER TYPE`, `DROP TYPE` (PostgreSQL).
    CreateType,
    AlterType,
    DropType,
    /// `CREATE [OR REPLACE] [TEMP] [MATERIALIZED] VIEW`, `DROP [MATERIALIZED] VIEW`,
    /// `ALTER [MATERIALIZED] VIEW`.
    CreateView,
    DropView,
    AlterView,
    /// `CREATE [OR REPLACE] FUNCTION | PROCEDURE`, `DROP FUNCTION | PROCEDURE`.
    CreateRoutine,
    DropRoutine,
    /// `COMMENT ON ...` (PostgreSQL).
    Comment,
    /// `CREATE EXTENSION`, `DROP EXTENSION` (PostgreSQL).
    CreateExtension,
    DropExtension,
    /// `CREATE DOMAIN`, `ALTER DOMAIN`, `DROP DOMAIN` (PostgreSQL).
    CreateDomain,
    AlterDomain,
    DropDomain,
    /// `CREATE SEQUENCE`, `ALTER SEQUENCE`, `DROP SEQUENCE` (PostgreSQL; a serial or
    /// identity column's sequence is altered by name too, which the model follows
    /// through its column).
    CreateSequence,
    AlterSequence,
    DropSequence,
    /// `CREATE [TEMP] TRIGGER`, `DROP TRIGGER` (see [`classify_in`]).
    CreateTrigger,
    DropTrigger,
    /// `ALTER TRIGGER` (PostgreSQL).
    AlterTrigger,
    /// `CREATE POLICY`, `ALTER POLICY`, `DROP POLICY` (PostgreSQL).
    CreatePolicy,
    AlterPolicy,
    DropPolicy,
    /// `CREATE [OR REPLACE] RULE`, `DROP RULE`, `ALTER RULE` (PostgreSQL).
    CreateRule,
    DropRule,
    AlterRule,
    /// Reads or changes rows only: INSERT, UPDATE, DELETE, SELECT, WITH, ....
    Data,
    Other,
}

/// The kind of a statement, from its first words (comments between them skipped).
pub(crate) fn classify(text: &str) -> Kind {
    let words = leading_words(text, 5);
    let w: Vec<&str> = words.iter().map(String::as_str).collect();
    let view = |rest: &[&str]| {
        let rest = rest.strip_prefix(&["OR", "REPLACE"]).unwrap_or(rest);
        let rest = match rest {
            ["TEMP" | "TEMPORARY", rest @ ..] => rest,
            rest => rest,
        };
        let rest = rest.strip_prefix(&["MATERIALIZED"]).unwrap_or(rest);
        rest.first() == Some(&"VIEW")
    };
    match w.as_slice() {
        ["CREATE", rest @ ..] if view(rest) => Kind::CreateView,
        ["CREATE", "FUNCTION" | "PROCEDURE", ..]
        | ["CREATE", "OR", "REPLACE", "FUNCTION" | "PROCEDURE", ..] => Kind::CreateRoutine,
        ["DROP", "FUNCTION" | "PROCEDURE", ..] => Kind::DropRoutine,
        ["DROP", "VIEW", ..] | ["DROP", "MATERIALIZED", "VIEW", ..] => Kind::DropView,
        ["ALTER", "VIEW", ..] | ["ALTER", "MATERIALIZED", "VIEW", ..] => Kind::AlterView,
        ["CREATE", "TABLE", ..] | ["CREATE", "TEMP" | "TEMPORARY", "TABLE", ..] => {
            Kind::CreateTable
        }
        ["CREATE", "INDEX", ..] | ["CREATE", "UNIQUE" | "FULLTEXT" | "SPATIAL", "INDEX", ..] => {
            Kind::CreateIndex
        }
        ["ALTER", "TABLE", ..] => Kind::AlterTable,
        ["DROP", "TABLE", ..] => Kind::DropTable,
        ["DROP", "INDEX", ..] => Kind::DropIndex,
        ["CREATE", "TYPE", ..] => Kind::CreateType,
        ["ALTER", "TYPE", ..] => Kind::AlterType,
        ["DROP", "TYPE", ..] => Kind::DropType,
        [
            "INSERT" | "UPDATE" | "DELETE" | "SELECT" | "WITH" | "VALUES" | "REPLACE",
            ..,
        ] => Kind::Data,
        ["CREATE", "SEQUENCE", ..] => Kind::CreateSequence,
        ["ALTER", "SEQUENCE", ..] => Kind::AlterSequence,
        ["DROP", "SEQUENCE", ..] => Kind::DropSequence,
        ["COMMENT", "ON", ..] => Kind::Comment,
        ["CREATE", "EXTENSION", ..] => Kind::CreateExtension,
        ["DROP", "EXTENSION", ..] => Kind::DropExtension,
        ["CREATE", "POLICY", ..] => Kind::CreatePolicy,
        ["ALTER", "POLICY", ..] => Kind::AlterPolicy,
        ["DROP", "POLICY", ..] => Kind::DropPolicy,
        ["CREATE", "RULE", ..] | ["CREATE", "OR", "REPLACE", "RULE", ..] => Kind::CreateRule,
        ["DROP", "RULE", ..] => Kind::DropRule,
        ["ALTER", "RULE", ..] => Kind::AlterRule,
        ["CREATE", "DOMAIN", ..] => Kind::CreateDomain,
        ["ALTER", "DOMAIN", ..] => Kind::AlterDomain,
        ["DROP", "DOMAIN", ..] => Kind::DropDomain,
        _ => Kind::Other,
    }
}

/// The kind of a statement in `dialect`: [`classify`], and triggers, whose head MySQL
/// may write with a definer or in mysqldump's versioned comments.
pub(crate) fn classify_in(text: &str, dialect: Dialect) -> Kind {
    if dialect == Dialect::Postgres && crate::pg_trigger::is_create(text) {
        return Kind::CreateTrigger;
    }
    if crate::pg_trigger::is_alter(text) {
        return Kind::AlterTrigger;
    }
    if crate::trigger::is_create_trigger(text, dialect) {
        return Kind::CreateTrigger;
    }
    if crate::trigger::is_drop_trigger(text) {
        return Kind::DropTrigger;
    }
    if dialect == Dialect::Mysql && crate::view::mysql_view_options(text).is_some() {
        return Kind::CreateView;
    }
    if dialect == Dialect::Mysql && crate::routine::is_mysql_create_routine(text) {
        return Kind::CreateRoutine;
    }
    if dialect == Dialect::Mysql && leading_words(text, 2) == ["DROP", "EVENT"] {
        return Kind::DropRoutine;
    }
    if dialect == Dialect::Postgres && crate::aggregate::is_create(text) {
        return Kind::CreateRoutine;
    }
    if dialect == Dialect::Postgres && crate::aggregate::is_drop(text) {
        return Kind::DropRoutine;
    }
    classify(text)
}

/// Up to `n` leading words of a statement, upper-cased, after any comments; stops at
/// the first thing that is not a word.
pub fn leading_words(text: &str, n: usize) -> Vec<String> {
    let mut words = Vec::new();
    let mut rest = text;
    while words.len() < n {
        rest = rest.trim_start();
        if let Some(after) = rest.strip_prefix("--") {
            rest = after.find('\n').map_or("", |i| &after[i..]);
            continue;
        }
        if let Some(after) = rest.strip_prefix("/*") {
            rest = after.find("*/").map_or("", |i| &after[i + 2..]);
            continue;
        }
        let len = rest
            .find(|c: char| !(c.is_alphanumeric() || c == '_'))
            .unwrap_or(rest.len());
        if len == 0 {
            break;
        }
        words.push(rest[..len].to_ascii_uppercase());
        rest = &rest[len..];
    }
    words
}

/// Parses one statement of a known kind: with the dialect's sqlparser dialect, then
/// for SQLite with multi-word type names merged, then with the generic dialect. The
/// first attempt's error is the one reported.
pub(crate) fn parse_piece(
    piece: &Piece,
    dialect: Dialect,
    kind: Kind,
) -> Result<AstStatement, PosError> {
    let primary = lex::sql_dialect(dialect);
    let first = attempt(piece, dialect, kind, primary, false);
    if first.is_ok() {
        return first;
    }
    let sqlite_ddl =
        dialect == Dialect::Sqlite && matches!(kind, Kind::CreateTable | Kind::AlterTable);
    if let Some(Ok(st)) = sqlite_ddl.then(|| attempt(piece, dialect, kind, primary, true)) {
        return Ok(st);
    }
    match attempt(piece, dialect, kind, lex::generic(), false) {
        Ok(st) => Ok(st),
        // The dialect read the brackets as something else and failed on them: the
        // generic reading says what is wrong.
        Err(e) if lex::is_dimensions_error(&e) => Err(e),
        Err(_) => first,
    }
}

fn attempt(
    piece: &Piece,
    dialect: Dialect,
    kind: Kind,
    sd: &dyn sqlparser::dialect::Dialect,
    merge: bool,
) -> Result<AstStatement, PosError> {
    let at = Pos {
        line: piece.line,
        column: piece.column,
    };
    let end = lex::end_of(&piece.text, at);
    let mut tokens = lex::tokenize(&piece.text, at, dialect, sd)?;
    let mut options = TableOptionWords::default();
    if dialect == Dialect::Sqlite && kind == Kind::CreateTable {
        options = strip_table_options(&mut tokens);
        string_column_names(&mut tokens);
    }
    if dialect == Dialect::Postgres && kind == Kind::DropIndex {
        strip_concurrently(&mut tokens);
    }
    let mysql_kind = (dialect == Dialect::Mysql && kind == Kind::CreateIndex)
        .then(|| strip_index_kind(&mut tokens))
        .flatten();
    let mut zerofill = Vec::new();
    let mut partitioned = None;
    let mut binary = Vec::new();
    if dialect == Dialect::Mysql && kind == Kind::CreateTable {
        partitioned = strip_partitioning(&mut tokens);
        zerofill = strip_zerofill(&mut tokens);
        binary = strip_binary(&mut tokens);
    }
    if dialect == Dialect::Mysql && matches!(kind, Kind::CreateTable | Kind::AlterTable) {
        persistent_is_stored(&mut tokens);
    }
    let hidden = if dialect == Dialect::Mysql {
        strip_key_visibility(&mut tokens, kind)
    } else {
        Vec::new()
    };
    let declared = if dialect == Dialect::Sqlite {
        declared_types(&tokens, kind, &piece.text, at)
    } else {
        Vec::new()
    };
    if merge {
        merge_type_words(&mut tokens, kind);
    }
    let mut statement = lex::parse_tokens(sd, tokens, at, end)?;
    give_declared_types(&mut statement, &declared);
    give_key_visibility(&mut statement, &hidden);
    // Given back as the index's method, which `ddl::create_index` keeps.
    if let (AstStatement::CreateIndex(ci), Some(kind)) = (&mut statement, mysql_kind) {
        ci.using = Some(sqlparser::ast::IndexType::Custom(Ident::new(kind)));
    }
    if let AstStatement::CreateTable(ct) = &mut statement {
        ct.without_rowid |= options.without_rowid;
        ct.strict |= options.strict;
        // Given back as its text after a mark, at its `PARTITION`, for
        // `ddl::create_table` to read (`mysql_partition::read_clause`).
        if let Some((span, clause)) = partitioned {
            ct.partition_by = Some(Box::new(Expr::Identifier(Ident::with_span(
                span,
                format!("{PARTITIONED}{clause}"),
            ))));
        }
        // Given back as an option the model does not know, so the column keeps it as
        // an unmodeled part (`column a: ZEROFILL`), as MySQL's inspection does.
        for column in &mut ct.columns {
            if zerofill.contains(&column.name.value) {
                column.options.push(ColumnOptionDef {
                    name: None,
                    option: ColumnOption::DialectSpecific(vec![Token::make_keyword("ZEROFILL")]),
                });
            }
            if binary.contains(&column.name.value) {
                column.options.push(ColumnOptionDef {
                    name: None,
                    option: ColumnOption::DialectSpecific(vec![Token::make_keyword("BINARY")]),
                });
            }
        }
    }
    Ok(statement)
}

/// What a MySQL key's comment starts with when it is no comment but the key's
/// visibility to the optimizer, given back by [`strip_key_visibility`] for
/// `ddl` to read: the word (`IGNORED`, `INVISIBLE`) follows, or nothing for a
/// visible key.
pub(crate) const HIDDEN: &str = "\u{0}hidden:";

/// Removes MySQL's `INVISIBLE` / `VISIBLE` and MariaDB's `IGNORED` / `NOT IGNORED`
/// after a plain key's parts (`KEY k (a) IGNORED` in a `CREATE TABLE`, `ADD INDEX k
/// (a) INVISIBLE` in an `ALTER TABLE`, `CREATE INDEX k ON t (a) IGNORED`), which
/// sqlparser does not read, and returns each key's name with its word (`None` for
/// visible). A unique, primary, `FULLTEXT` or `SPATIAL` key keeps the word, which
/// the parser then stops at and which is refused by name.
fn strip_key_visibility(
    tokens: &mut Vec<TokenWithSpan>,
    kind: Kind,
) -> Vec<(String, Option<String>)> {
    let idx = non_trivia(tokens);
    let word = |k: usize| idx.get(k).and_then(|&i| lex::bare_word(&tokens[i].token));
    // A key's name: a word other than `USING` (`KEY USING BTREE (a)` has none).
    let name_at = |k: usize| match idx.get(k).map(|&i| &tokens[i].token) {
        Some(Token::Word(w)) if w.quote_style.is_some() || word(k).as_deref() != Some("USING") => {
            Some(w.value.clone())
        }
        _ => None,
    };
    // Each key: its name and where its parts start (the index of its `(` in `idx`).
    let mut keys: Vec<(String, usize, usize)> = Vec::new();
    let level = match kind {
        Kind::CreateTable => 1,
        Kind::AlterTable => 0,
        Kind::CreateIndex => {
            let at = 2;
            if word(at - 1).as_deref() != Some("INDEX") {
                return Vec::new();
            }
            if let Some(name) = name_at(at) {
                keys.push((name, at + 1, 0));
            }
            0
        }
        _ => return Vec::new(),
    };
    if kind != Kind::CreateIndex {
        let mut depth = 0usize;
        let mut starts = false;
        for (k, &i) in idx.iter().enumerate() {
            // A key starts an element of the column list (`CREATE TABLE`), or after
            // `ADD` (`ALTER TABLE`, where `ADD` is a reserved word).
            let at = match kind {
                Kind::CreateTable if starts && depth == level => Some(k),
                Kind::AlterTable if depth == 0 && word(k).as_deref() == Some("ADD") => Some(k + 1),
                _ => None,
            };
            if let Some(at) = at
                && matches!(word(at).as_deref(), Some("KEY" | "INDEX"))
                && let Some(name) = name_at(at + 1)
            {
                keys.push((name, at + 2, level));
            }
            starts = false;
            match &tokens[i].token {
                Token::LParen => {
                    depth += 1;
                    starts = depth == level;
                }
                Token::RParen => depth = depth.saturating_sub(1),
                Token::Comma if depth == level => starts = true,
                _ => {}
            }
        }
    }
    let mut remove = Vec::new();
    let mut out = Vec::new();
    for (name, from, level) in keys {
        // From the key's first `(`: its parts, then its options up to the end of the key.
        let mut depth = level;
        let mut parts_done = false;
        let mut hidden = None;
        let mut k = from;
        while let Some(&i) = idx.get(k) {
            match &tokens[i].token {
                Token::LParen => depth += 1,
                Token::RParen if depth == level => break,
                Token::RParen => {
                    depth -= 1;
                    parts_done |= depth == level;
                }
                Token::Comma if depth == level => break,
                Token::SemiColon | Token::EOF => break,
                _ if parts_done && depth == level => match word(k).as_deref() {
                    Some("IGNORED" | "INVISIBLE") => {
                        hidden = Some(word(k));
                        remove.push(i);
                    }
                    Some("VISIBLE") => {
                        hidden = Some(None);
                        remove.push(i);
                    }
                    Some("NOT") if word(k + 1).as_deref() == Some("IGNORED") => {
                        hidden = Some(None);
                        remove.extend([i, idx[k + 1]]);
                        k += 1;
                    }
                    _ => {}
                },
                _ => {}
            }
            k += 1;
        }
        if let Some(h) = hidden {
            out.push((name, h));
        }
    }
    remove.sort_unstable();
    for i in remove.into_iter().rev() {
        tokens.remove(i);
    }
    out
}

/// Gives each key [`strip_key_visibility`] found its word back, as a comment that
/// starts with [`HIDDEN`].
fn give_key_visibility(statement: &mut AstStatement, hidden: &[(String, Option<String>)]) {
    use sqlparser::ast::{AlterTableOperation, IndexOption, TableConstraint};
    if hidden.is_empty() {
        return;
    }
    let mark = |name: &str| {
        hidden
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, h)| IndexOption::Comment(format!("{HIDDEN}{}", h.as_deref().unwrap_or(""))))
    };
    match statement {
        AstStatement::CreateTable(ct) => {
            for tc in &mut ct.constraints {
                if let TableConstraint::Index(ix) = tc
                    && let Some(m) = ix.name.as_ref().and_then(|n| mark(&n.value))
                {
                    ix.index_options.push(m);
                }
            }
        }
        AstStatement::AlterTable(at) => {
            for op in &mut at.operations {
                if let AlterTableOperation::AddConstraint {
                    constraint: TableConstraint::Index(ix),
                    ..
                } = op
                    && let Some(m) = ix.name.as_ref().and_then(|n| mark(&n.value))
                {
                    ix.index_options.push(m);
                }
            }
        }
        AstStatement::CreateIndex(ci) => {
            if let Some(m) = ci
                .name
                .as_ref()
                .and_then(|n| mark(n.to_string().trim_matches('`')))
            {
                ci.index_options.push(m);
            }
        }
        _ => {}
    }
}

/// What a partitioned MySQL table's `partition_by` starts with, before the text of its
/// partitioning (see [`strip_partitioning`]).
pub(crate) const PARTITIONED: &str = "\u{0}partitioned:";

/// Removes MySQL's partitioning from a `CREATE TABLE` and returns where its
/// `PARTITION` is and its text, from there to the end: a `PARTITION BY ...` after the column list, plain or as
/// mysqldump writes it in a versioned comment (`/*!50100 PARTITION BY RANGE (y)
/// (...) */`, whose words sqlparser's MySQL dialect reads as the statement's and
/// another dialect skips as a comment). sqlparser reads neither form; the clause
/// comes after every table option, so the statement ends before it.
fn strip_partitioning(tokens: &mut Vec<TokenWithSpan>) -> Option<(Span, String)> {
    let mut depth = 0usize;
    let mut closed = false;
    for i in 0..tokens.len() {
        match &tokens[i].token {
            Token::LParen => depth += 1,
            Token::RParen => {
                depth = depth.saturating_sub(1);
                closed |= depth == 0;
            }
            Token::Whitespace(Whitespace::MultiLineComment(c)) if closed && depth == 0 => {
                let body = c.strip_prefix('!').map(|b| {
                    b.trim_start_matches(|d: char| d.is_ascii_digit())
                        .trim_start()
                });
                if body.is_some_and(|b| {
                    b.get(..9)
                        .is_some_and(|w| w.eq_ignore_ascii_case("PARTITION"))
                }) {
                    let span = tokens[i].span;
                    let text = tokens_text(&tokens[i..]);
                    tokens.truncate(i);
                    return Some((span, text));
                }
            }
            Token::Word(_) if closed && depth == 0 => {
                let next = tokens[i + 1..]
                    .iter()
                    .find(|t| !lex::is_trivia(&t.token))
                    .and_then(|t| lex::bare_word(&t.token));
                if lex::bare_word(&tokens[i].token).as_deref() == Some("PARTITION")
                    && next.as_deref() == Some("BY")
                {
                    let span = tokens[i].span;
                    let text = tokens_text(&tokens[i..]);
                    tokens.truncate(i);
                    return Some((span, text));
                }
            }
            _ => {}
        }
    }
    None
}

/// The text of `tokens` as written (sqlparser prints each as it read it).
fn tokens_text(tokens: &[TokenWithSpan]) -> String {
    tokens.iter().map(|t| t.token.to_string()).collect()
}

/// Removes the `CONCURRENTLY` of PostgreSQL's `DROP INDEX CONCURRENTLY [IF EXISTS]`,
/// which sqlparser does not read (it reads it in `CREATE INDEX`): the index goes all
/// the same, so the statement is the `DROP INDEX` without it (and still runs as
/// written). PostgreSQL reserves the word, so it names no index there.
fn strip_concurrently(tokens: &mut Vec<TokenWithSpan>) {
    let idx = non_trivia(tokens);
    let words: Vec<Option<String>> = idx
        .iter()
        .take(3)
        .map(|&i| lex::bare_word(&tokens[i].token))
        .collect();
    if let [Some(drop), Some(index), Some(concurrently)] = words.as_slice()
        && drop == "DROP"
        && index == "INDEX"
        && concurrently == "CONCURRENTLY"
    {
        tokens.remove(idx[2]);
    }
}

/// Removes MySQL's `FULLTEXT` or `SPATIAL` from `CREATE FULLTEXT INDEX` (`CREATE
/// SPATIAL INDEX`), which sqlparser does not read, and returns the word.
fn strip_index_kind(tokens: &mut Vec<TokenWithSpan>) -> Option<&'static str> {
    let idx = non_trivia(tokens);
    let words: Vec<Option<String>> = idx
        .iter()
        .take(3)
        .map(|&i| lex::bare_word(&tokens[i].token))
        .collect();
    let [Some(create), Some(kind), Some(index)] = words.as_slice() else {
        return None;
    };
    if create != "CREATE" || index != "INDEX" {
        return None;
    }
    let kind = match kind.as_str() {
        "FULLTEXT" => "FULLTEXT",
        "SPATIAL" => "SPATIAL",
        _ => return None,
    };
    tokens.remove(idx[1]);
    Some(kind)
}

/// Removes MySQL's `ZEROFILL` from the column definitions of a `CREATE TABLE`
/// (`int(10) unsigned zerofill`, as old `mysqldump` output has), which sqlparser does
/// not read, and returns the names of the columns that had it. A column with
/// `ZEROFILL` is unsigned whether it says so or not (MySQL reports
/// `int(10) unsigned zerofill` for `int zerofill`), so a `ZEROFILL` not after
/// `UNSIGNED` becomes `UNSIGNED`.
fn strip_zerofill(tokens: &mut Vec<TokenWithSpan>) -> Vec<String> {
    let idx = non_trivia(tokens);
    let mut depth = 0usize;
    let mut column: Option<String> = None;
    let mut starts = true;
    let mut names = Vec::new();
    // Token indexes to remove, and to turn into `UNSIGNED`.
    let (mut remove, mut unsigned) = (Vec::new(), Vec::new());
    for (k, &i) in idx.iter().enumerate() {
        let token = &tokens[i].token;
        if depth == 1 && starts {
            column = match token {
                Token::Word(w) if !starts_table_constraint(w) => Some(w.value.clone()),
                _ => None,
            };
        }
        starts = false;
        match token {
            Token::LParen => {
                depth += 1;
                starts = depth == 1;
            }
            Token::RParen => depth = depth.saturating_sub(1),
            Token::Comma if depth == 1 => starts = true,
            _ if depth == 1 && lex::bare_word(token).as_deref() == Some("ZEROFILL") => {
                let Some(name) = &column else { continue };
                names.push(name.clone());
                let after_unsigned = k
                    .checked_sub(1)
                    .and_then(|p| lex::bare_word(&tokens[idx[p]].token))
                    .as_deref()
                    == Some("UNSIGNED");
                if after_unsigned {
                    remove.push(i);
                } else {
                    unsigned.push(i);
                }
            }
            _ => {}
        }
    }
    for i in unsigned {
        tokens[i].token = Token::make_keyword("UNSIGNED");
    }
    for i in remove.into_iter().rev() {
        tokens.remove(i);
    }
    names
}

/// Removes MySQL's `BINARY` attribute of a column in a `CREATE TABLE`
/// (`varchar(10) BINARY`: the binary collation of the column's character set), which
/// sqlparser does not read, and returns the names of the columns that had it. The
/// model holds a collation by name, and which one `BINARY` means depends on the
/// character set the server resolves, so the column keeps it as an unmodeled part
/// (`column c: BINARY`) and `migrate` refuses it by name. A `BINARY` where the type
/// is (`c BINARY(16)`), or before `(`, is a type, not the attribute.
fn strip_binary(tokens: &mut Vec<TokenWithSpan>) -> Vec<String> {
    let idx = non_trivia(tokens);
    let mut depth = 0usize;
    let mut column: Option<String> = None;
    // Tokens into the current column definition: 0 its name, 1 its type.
    let mut at = 0usize;
    let mut names = Vec::new();
    let mut remove = Vec::new();
    for (k, &i) in idx.iter().enumerate() {
        let token = &tokens[i].token;
        match token {
            Token::LParen => {
                depth += 1;
                if depth == 1 {
                    at = 0;
                    column = None;
                    continue;
                }
            }
            Token::RParen => depth = depth.saturating_sub(1),
            Token::Comma if depth == 1 => {
                at = 0;
                column = None;
                continue;
            }
            _ => {}
        }
        if depth != 1 {
            continue;
        }
        if at == 0 {
            column = match token {
                Token::Word(w) if !starts_table_constraint(w) => Some(w.value.clone()),
                _ => None,
            };
        } else if at >= 2 && lex::bare_word(token).as_deref() == Some("BINARY") {
            let next = idx.get(k + 1).map(|&n| &tokens[n].token);
            let prev = lex::bare_word(&tokens[idx[k - 1]].token);
            let a_type = matches!(next, Some(Token::LParen))
                || matches!(
                    prev.as_deref(),
                    Some("DEFAULT" | "AS" | "CHECK" | "COLLATE" | "SET" | "CHARSET")
                );
            if let (Some(name), false) = (&column, a_type) {
                names.push(name.clone());
                remove.push(i);
            }
        }
        at += 1;
    }
    for i in remove.into_iter().rev() {
        tokens.remove(i);
    }
    names
}

#[derive(Debug, Default)]
struct TableOptionWords {
    without_rowid: bool,
    strict: bool,
}

/// MariaDB's `AS (expr) PERSISTENT`, its older word for `STORED`, which sqlparser
/// does not read: a `PERSISTENT` right after a closing parenthesis becomes `STORED`,
/// as MariaDB itself reports the column.
fn persistent_is_stored(tokens: &mut [TokenWithSpan]) {
    let idx = non_trivia(tokens);
    for pair in idx.windows(2) {
        if tokens[pair[0]].token == Token::RParen
            && lex::bare_word(&tokens[pair[1]].token).as_deref() == Some("PERSISTENT")
        {
            tokens[pair[1]].token = Token::make_keyword("STORED");
        }
    }
}

fn non_trivia(tokens: &[TokenWithSpan]) -> Vec<usize> {
    (0..tokens.len())
        .filter(|&i| !lex::is_trivia(&tokens[i].token))
        .collect()
}

/// Removes SQLite's table options (`WITHOUT ROWID`, `STRICT`, comma separated, in any
/// order) after the column list: sqlparser reads only one of them.
fn strip_table_options(tokens: &mut Vec<TokenWithSpan>) -> TableOptionWords {
    let idx = non_trivia(tokens);
    let mut depth = 0usize;
    let mut close = None;
    for (k, &i) in idx.iter().enumerate() {
        match tokens[i].token {
            Token::LParen => depth += 1,
            Token::RParen => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    close = Some(k);
                }
            }
            _ => {}
        }
    }
    let Some(close) = close else {
        return TableOptionWords::default();
    };
    let after = idx.get(close + 1..).unwrap_or_default();
    let tail: Vec<Option<String>> = after
        .iter()
        .map(|&i| lex::bare_word(&tokens[i].token))
        .collect();
    let commas: Vec<bool> = after
        .iter()
        .map(|&i| tokens[i].token == Token::Comma)
        .collect();
    let mut found = TableOptionWords::default();
    let mut expect_option = true;
    let mut k = 0;
    while k < tail.len() {
        if expect_option {
            match tail[k].as_deref() {
                Some("STRICT") => {
                    found.strict = true;
                    k += 1;
                }
                Some("WITHOUT") if tail.get(k + 1).and_then(|w| w.as_deref()) == Some("ROWID") => {
                    found.without_rowid = true;
                    k += 2;
                }
                _ => return TableOptionWords::default(),
            }
            expect_option = false;
        } else if commas[k] {
            expect_option = true;
            k += 1;
        } else {
            return TableOptionWords::default();
        }
    }
    if expect_option && !tail.is_empty() {
        return TableOptionWords::default();
    }
    if let Some(&last) = idx.get(close) {
        tokens.truncate(last + 1);
    }
    found
}

/// Column constraint words: a type name stops before them.
fn starts_column_constraint(word: &Word) -> bool {
    matches!(
        word.keyword,
        Keyword::CONSTRAINT
            | Keyword::PRIMARY
            | Keyword::NOT
            | Keyword::NULL
            | Keyword::UNIQUE
            | Keyword::CHECK
            | Keyword::DEFAULT
            | Keyword::COLLATE
            | Keyword::REFERENCES
            | Keyword::GENERATED
            | Keyword::AS
    )
}

/// Words that start a table constraint rather than a column in a column list.
fn starts_table_constraint(word: &Word) -> bool {
    matches!(
        word.keyword,
        Keyword::CONSTRAINT
            | Keyword::PRIMARY
            | Keyword::UNIQUE
            | Keyword::CHECK
            | Keyword::FOREIGN
    )
}

/// Reads a SQLite column name written as a string (`CREATE TABLE t ('a' TEXT)`),
/// which SQLite takes as the name `a` (and `sqlite_master` keeps as written), as the
/// quoted name `"a"`; sqlparser reads no string there.
fn string_column_names(tokens: &mut [TokenWithSpan]) {
    let idx = non_trivia(tokens);
    // Only the column list: not a `CREATE TABLE ... AS SELECT`, whose strings are
    // values (`IN ('a', 'b')`), and nothing after the list.
    let before_list = idx
        .iter()
        .take_while(|&&i| tokens[i].token != Token::LParen)
        .any(|&i| lex::bare_word(&tokens[i].token).as_deref() == Some("AS"));
    if before_list {
        return;
    }
    let mut depth = 0usize;
    let mut at_start = false;
    for i in idx {
        let start = std::mem::take(&mut at_start);
        match &tokens[i].token {
            Token::LParen => {
                depth += 1;
                at_start = depth == 1;
            }
            Token::RParen if depth == 1 => return,
            Token::RParen => depth = depth.saturating_sub(1),
            Token::Comma if depth == 1 => at_start = true,
            Token::SingleQuotedString(name) if start => {
                tokens[i].token = Token::Word(Word {
                    value: name.clone(),
                    quote_style: Some('"'),
                    keyword: Keyword::NoKeyword,
                });
            }
            _ => {}
        }
    }
}

/// Rewrites SQLite type names of several words that sqlparser cannot read
/// (`UNSIGNED BIG INT`, `NATIVE CHARACTER(70)`) into one word quoted with [`MERGED`],
/// which `types::map_type` turns back into the type's text.
fn merge_type_words(tokens: &mut Vec<TokenWithSpan>, kind: Kind) {
    let idx = non_trivia(tokens);
    // Positions in `idx` where a column definition starts.
    let mut starts = Vec::new();
    match kind {
        Kind::CreateTable => {
            let mut depth = 0usize;
            for (k, &i) in idx.iter().enumerate() {
                match tokens[i].token {
                    Token::LParen => {
                        depth += 1;
                        if depth == 1 {
                            starts.push(k + 1);
                        }
                    }
                    Token::RParen => depth = depth.saturating_sub(1),
                    Token::Comma if depth == 1 => starts.push(k + 1),
                    _ => {}
                }
            }
        }
        Kind::AlterTable => {
            for (k, &i) in idx.iter().enumerate() {
                if lex::bare_word(&tokens[i].token).as_deref() == Some("ADD") {
                    let mut s = k + 1;
                    if idx
                        .get(s)
                        .and_then(|&j| lex::bare_word(&tokens[j].token))
                        .as_deref()
                        == Some("COLUMN")
                    {
                        s += 1;
                    }
                    starts.push(s);
                }
                // `ALTER [COLUMN] c TYPE t` and `SET DATA TYPE t`: the word `TYPE`
                // stands where a column definition has its name.
                if lex::bare_word(&tokens[i].token).as_deref() == Some("TYPE") {
                    starts.push(k);
                }
            }
        }
        _ => return,
    }
    // (first token index, last token index, merged text)
    let mut merges: Vec<(usize, usize, String)> = Vec::new();
    for s in starts {
        let Some(Token::Word(first)) = idx.get(s).map(|&i| &tokens[i].token) else {
            continue;
        };
        if starts_table_constraint(first) {
            continue;
        }
        let mut words = Vec::new();
        let mut k = s + 1;
        while let Some(&i) = idx.get(k) {
            match &tokens[i].token {
                Token::Word(w) if w.quote_style.is_none() && !starts_column_constraint(w) => {
                    words.push((i, w.value.clone()));
                    k += 1;
                }
                _ => break,
            }
        }
        if words.len() < 2 {
            continue;
        }
        let text = words
            .iter()
            .map(|(_, w)| w.as_str())
            .collect::<Vec<_>>()
            .join(" ");
        if crate::types::parse_with(&text, Dialect::Sqlite, lex::sql_dialect(Dialect::Sqlite))
            .is_ok()
        {
            // A known type of several words (`DOUBLE PRECISION`): not the problem.
            continue;
        }
        if let (Some(&(from, _)), Some(&(to, _))) = (words.first(), words.last()) {
            merges.push((from, to, text));
        }
    }
    // Runs of words can overlap (`ALTER TABLE t ADD a b ADD c d`: the first run goes
    // on through the second ADD); splicing overlapping ranges would index past the
    // end, so a run that overlaps an earlier one is left as it is.
    let mut kept: Vec<(usize, usize, String)> = Vec::new();
    for merge in merges {
        if kept.last().is_none_or(|last| merge.0 > last.1) {
            kept.push(merge);
        }
    }
    for (from, to, text) in kept.into_iter().rev() {
        let span = tokens[from].span.union(&tokens[to].span);
        let word = Token::Word(Word {
            value: format!("{MERGED}{text}"),
            quote_style: Some('"'),
            keyword: Keyword::NoKeyword,
        });
        tokens.splice(from..=to, [TokenWithSpan { token: word, span }]);
    }
}

/// The mark that starts a SQLite column's declared type text given back in the AST
/// (see [`give_declared_types`]); `lex::tokenize` refuses its first character in any
/// statement, so no source text can produce it.
pub(crate) const DECLARED: &str = "\u{1}declared\u{1}";

/// The declared type text (see `types::declared_text`) that a column option of the
/// AST carries, if it is one [`give_declared_types`] made.
pub(crate) fn declared_option(option: &ColumnOption) -> Option<&str> {
    match option {
        ColumnOption::DialectSpecific(tokens) => match tokens.as_slice() {
            [Token::SingleQuotedString(s)] => s.strip_prefix(DECLARED),
            _ => None,
        },
        _ => None,
    }
}

/// The declared type text a `USING` of `ALTER COLUMN ... TYPE` carries, if it is one
/// [`give_declared_types`] made.
pub(crate) fn declared_using(using: Option<&Expr>) -> Option<&str> {
    match using {
        Some(Expr::Value(v)) => match &v.value {
            sqlparser::ast::Value::SingleQuotedString(s) => s.strip_prefix(DECLARED),
            _ => None,
        },
        _ => None,
    }
}

/// The type text of each column definition of a SQLite `CREATE TABLE` or `ALTER
/// TABLE ... ADD [COLUMN]`, and of each `ALTER COLUMN c [SET DATA] TYPE t`, exactly
/// as written: from the first word of the type to its last word or closing
/// parenthesis, comments and white space inside included, which is what SQLite
/// stores as the column's declared type. Each is keyed by where the column's name
/// starts.
fn declared_types(
    tokens: &[TokenWithSpan],
    kind: Kind,
    text: &str,
    at: Pos,
) -> Vec<(sqlparser::tokenizer::Location, String)> {
    let idx = non_trivia(tokens);
    // (position in `idx` of the column's name, of the type's first word)
    let mut starts: Vec<(usize, usize)> = Vec::new();
    match kind {
        Kind::CreateTable => {
            let mut depth = 0usize;
            for (k, &i) in idx.iter().enumerate() {
                match tokens[i].token {
                    Token::LParen => {
                        depth += 1;
                        if depth == 1 {
                            starts.push((k + 1, k + 2));
                        }
                    }
                    Token::RParen => depth = depth.saturating_sub(1),
                    Token::Comma if depth == 1 => starts.push((k + 1, k + 2)),
                    _ => {}
                }
            }
        }
        Kind::AlterTable => {
            let word = |k: usize| idx.get(k).and_then(|&j| lex::bare_word(&tokens[j].token));
            for k in 0..idx.len() {
                match word(k).as_deref() {
                    Some("ADD") => {
                        let s = if word(k + 1).as_deref() == Some("COLUMN") {
                            k + 2
                        } else {
                            k + 1
                        };
                        starts.push((s, s + 1));
                    }
                    // `ALTER [COLUMN] c TYPE t`, `... c SET DATA TYPE t`.
                    Some("TYPE") => {
                        let mut name = k;
                        while name > 0 && matches!(word(name - 1).as_deref(), Some("SET" | "DATA"))
                        {
                            name -= 1;
                        }
                        if let Some(name) = name.checked_sub(1) {
                            starts.push((name, k + 1));
                        }
                    }
                    _ => {}
                }
            }
        }
        _ => return Vec::new(),
    }
    let mut out = Vec::new();
    for (name, first) in starts {
        let Some(Token::Word(w)) = idx.get(name).map(|&i| &tokens[i].token) else {
            continue;
        };
        if kind == Kind::CreateTable && starts_table_constraint(w) {
            continue;
        }
        let mut last = None;
        let mut k = first;
        while let Some(&i) = idx.get(k) {
            match &tokens[i].token {
                Token::Word(w) if !starts_column_constraint(w) => {
                    last = Some(i);
                    k += 1;
                }
                // `(n)` or `(p, s)` after the words ends the type.
                Token::LParen if last.is_some() => {
                    for &j in &idx[k + 1..] {
                        match tokens[j].token {
                            Token::RParen => {
                                last = Some(j);
                                break;
                            }
                            Token::LParen => break,
                            _ => {}
                        }
                    }
                    break;
                }
                _ => break,
            }
        }
        let (Some(&from), Some(to)) = (idx.get(first), last) else {
            continue;
        };
        let slice = offset(text, at, tokens[from].span.start)
            .zip(offset(text, at, tokens[to].span.end))
            .and_then(|(a, b)| text.get(a..b));
        if let Some(slice) = slice {
            out.push((tokens[idx[name]].span.start, slice.to_string()));
        }
    }
    out
}

/// The byte offset in `text`, which starts at `at`, of a token's location.
fn offset(text: &str, at: Pos, loc: sqlparser::tokenizer::Location) -> Option<usize> {
    let line = usize::try_from(loc.line).ok()?.checked_sub(at.line)?;
    let column = usize::try_from(loc.column).ok()?;
    let (start, chars) = if line == 0 {
        (0, column.checked_sub(at.column)?)
    } else {
        let nl = text.match_indices('\n').nth(line - 1)?.0;
        (nl + 1, column.checked_sub(1)?)
    };
    let rest = &text[start..];
    match rest.char_indices().nth(chars) {
        Some((i, _)) => Some(start + i),
        None if rest.chars().count() == chars => Some(text.len()),
        None => None,
    }
}

/// Gives each column of a SQLite `CREATE TABLE` or `ALTER TABLE` its declared type
/// text ([`declared_types`]), matched by where its name starts: a column definition
/// as a column option ([`declared_option`]), an `ALTER COLUMN ... TYPE` as its
/// `USING` ([`declared_using`]), which SQLite has not.
fn give_declared_types(
    statement: &mut AstStatement,
    declared: &[(sqlparser::tokenizer::Location, String)],
) {
    if declared.is_empty() {
        return;
    }
    let find = |ident: &Ident| {
        declared
            .iter()
            .find(|(at, _)| *at == ident.span.start)
            .map(|(_, text)| text.clone())
    };
    let option = |text: String| ColumnOptionDef {
        name: None,
        option: ColumnOption::DialectSpecific(vec![Token::SingleQuotedString(format!(
            "{DECLARED}{text}"
        ))]),
    };
    match statement {
        AstStatement::CreateTable(ct) => {
            for column in &mut ct.columns {
                if let Some(text) = find(&column.name) {
                    column.options.push(option(text));
                }
            }
        }
        AstStatement::AlterTable(at) => {
            for op in &mut at.operations {
                match op {
                    sqlparser::ast::AlterTableOperation::AddColumn { column_def, .. } => {
                        if let Some(text) = find(&column_def.name) {
                            column_def.options.push(option(text));
                        }
                    }
                    sqlparser::ast::AlterTableOperation::AlterColumn {
                        column_name,
                        op:
                            sqlparser::ast::AlterColumnOperation::SetDataType {
                                using: using @ None,
                                ..
                            },
                    } => {
                        if let Some(text) = find(column_name) {
                            *using = Some(Expr::value(sqlparser::ast::Value::SingleQuotedString(
                                format!("{DECLARED}{text}"),
                            )));
                        }
                    }
                    _ => {}
                }
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_come_from_the_first_words() {
        let cases = [
            ("create table t (a)", Kind::CreateTable),
            ("CREATE TEMP TABLE t (a)", Kind::CreateTable),
            (
                "CREATE /* c */ UNIQUE\n-- x\n INDEX i ON t (a)",
                Kind::CreateIndex,
            ),
            ("ALTER TABLE t ADD b", Kind::AlterTable),
            ("DROP TABLE IF EXISTS t", Kind::DropTable),
            ("drop index i", Kind::DropIndex),
            ("CREATE TYPE mood AS ENUM ('a')", Kind::CreateType),
            ("alter type mood add value 'b'", Kind::AlterType),
            ("DROP TYPE IF EXISTS mood", Kind::DropType),
            ("WITH x AS (SELECT 1) DELETE FROM t", Kind::Data),
            ("ALTER SEQUENCE t_id_seq AS BIGINT", Kind::AlterSequence),
            ("CREATE VIEW v AS SELECT 1", Kind::CreateView),
            ("CREATE OR REPLACE VIEW v AS SELECT 1", Kind::CreateView),
            ("CREATE TEMP VIEW v AS SELECT 1", Kind::CreateView),
            ("CREATE MATERIALIZED VIEW v AS SELECT 1", Kind::CreateView),
            ("DROP VIEW IF EXISTS v", Kind::DropView),
            ("ALTER VIEW v RENAME TO w", Kind::AlterView),
            ("COMMENT ON COLUMN t.c IS 'x'", Kind::Comment),
            ("CREATE TEMP TABLE t (a INT)", Kind::CreateTable),
            ("CREATE UNIQUE INDEX i ON t (a)", Kind::CreateIndex),
            ("CREATE VIRTUAL TABLE t USING fts5(a)", Kind::Other),
            ("PRAGMA foreign_keys = ON", Kind::Other),
            ("(SELECT 1)", Kind::Other),
        ];
        for (text, kind) in cases {
            assert_eq!(classify(text), kind, "{text}");
        }
    }

    /// sqlparser reads `CONCURRENTLY` in `CREATE INDEX` but not in `DROP INDEX`, so
    /// the drop was not understood and the model kept the index.
    #[test]
    fn drop_index_concurrently_reads_as_drop_index() {
        let read = |text: &str, dialect| {
            let piece = Piece {
                text: text.into(),
                line: 1,
                column: 1,
            };
            parse_piece(&piece, dialect, classify(text)).map(|s| s.to_string())
        };
        let cases = [
            ("DROP INDEX CONCURRENTLY ix", "DROP INDEX ix"),
            (
                "drop index -- now\n concurrently if exists ix cascade",
                "DROP INDEX IF EXISTS ix CASCADE",
            ),
            // Names, not the keyword.
            ("DROP INDEX concurrently_ix", "DROP INDEX concurrently_ix"),
            ("DROP INDEX \"concurrently\"", "DROP INDEX \"concurrently\""),
        ];
        for (text, want) in cases {
            assert_eq!(read(text, Dialect::Postgres).as_deref(), Ok(want), "{text}");
        }
        // Only PostgreSQL has it.
        assert!(read("DROP INDEX CONCURRENTLY ix", Dialect::Sqlite).is_err());
    }
}
