//! Views: a `CREATE VIEW` read into a [`View`], with what its query reads (tables,
//! views, column names) and its shape worked out from the parsed query, so that the
//! diff orders and remakes views without a database.
//!
//! sqlparser reads no `WITH [CASCADED | LOCAL] CHECK OPTION`: it is taken off the
//! end of the statement's tokens before the parse and kept in
//! [`View::check_option`]. The query as written is the text between the `AS` that
//! follows the name (and column list) and that clause.

use std::collections::BTreeSet;
use std::ops::ControlFlow;

use sqlparser::ast::{
    Expr, JoinConstraint, JoinOperator, ObjectName, Query, SelectItem, SetExpr,
    Statement as AstStatement, TableFactor, Visit, VisitMut, Visitor,
};
use sqlparser::keywords::Keyword;
use sqlparser::tokenizer::{Token, Tokenizer};
use wildebeest_schema::{CheckOption, View, ViewShape};

use crate::Dialect;
use crate::ddl::{self, Ctx};
use crate::lex::{self, Pos, PosError};
use crate::parse::{self, Kind};
use crate::split::Piece;

/// A `CREATE VIEW` statement read.
pub(crate) struct ViewDef {
    pub view: View,
    pub or_replace: bool,
    pub if_not_exists: bool,
    /// `CREATE MATERIALIZED VIEW` (PostgreSQL; the view's `materialized` too).
    pub materialized: bool,
    pub temporary: bool,
    pub name_pos: Pos,
}

/// MySQL's view options between `CREATE [OR REPLACE]` and `VIEW` (`ALGORITHM =`,
/// `DEFINER =`, `SQL SECURITY`, as mysqldump writes every view): the byte range they
/// take in `text` and the options that change what the view does, which the model
/// cannot hold (`ALGORITHM` other than `UNDEFINED`, `SQL SECURITY INVOKER`). `None`
/// when `text` is no `CREATE ... VIEW` with such options. The definer only names who
/// made the view (mysqldump writes the user it ran as), and is left out.
pub(crate) fn mysql_view_options(text: &str) -> Option<(std::ops::Range<usize>, Vec<String>)> {
    let b = text.as_bytes();
    let mut i = 0;
    let skip_ws = |i: &mut usize| {
        while *i < b.len() && b[*i].is_ascii_whitespace() {
            *i += 1;
        }
    };
    let word = |i: &mut usize| -> String {
        let from = *i;
        while *i < b.len() && (b[*i].is_ascii_alphanumeric() || b[*i] == b'_') {
            *i += 1;
        }
        text[from..*i].to_ascii_uppercase()
    };
    skip_ws(&mut i);
    if word(&mut i) != "CREATE" {
        return None;
    }
    skip_ws(&mut i);
    let mut at = i;
    let mut w = word(&mut i);
    if w == "OR" {
        skip_ws(&mut i);
        if word(&mut i) != "REPLACE" {
            return None;
        }
        skip_ws(&mut i);
        at = i;
        w = word(&mut i);
    }
    let start = at;
    let mut changes = Vec::new();
    let mut any = false;
    loop {
        match w.as_str() {
            "ALGORITHM" => {
                skip_ws(&mut i);
                if b.get(i) != Some(&b'=') {
                    return None;
                }
                i += 1;
                skip_ws(&mut i);
                let value = word(&mut i);
                if value != "UNDEFINED" {
                    changes.push(format!("ALGORITHM={value}"));
                }
            }
            "DEFINER" => {
                skip_ws(&mut i);
                if b.get(i) != Some(&b'=') {
                    return None;
                }
                i += 1;
                skip_ws(&mut i);
                // `user@host`, each part bare or quoted, or `CURRENT_USER[()]`.
                let mut quote = None;
                while i < b.len() {
                    match quote {
                        Some(q) if b[i] == q => quote = None,
                        Some(_) => {}
                        None if matches!(b[i], b'`' | b'\'' | b'"') => quote = Some(b[i]),
                        None if b[i].is_ascii_whitespace() => break,
                        None => {}
                    }
                    i += 1;
                }
            }
            "SQL" => {
                skip_ws(&mut i);
                if word(&mut i) != "SECURITY" {
                    return None;
                }
                skip_ws(&mut i);
                let value = word(&mut i);
                if value != "DEFINER" {
                    changes.push(format!("SQL SECURITY {value}"));
                }
            }
            "VIEW" if any => return Some((start..at, changes)),
            _ => return None,
        }
        any = true;
        skip_ws(&mut i);
        at = i;
        w = word(&mut i);
    }
}

/// Reads a `CREATE VIEW` statement.
pub(crate) fn create_view(piece: &Piece, ctx: &mut Ctx<'_>) -> Result<ViewDef, PosError> {
    let start = Pos {
        line: piece.line,
        column: piece.column,
    };
    if ctx.dialect == Dialect::Mysql
        && let Some((range, changes)) = mysql_view_options(&piece.text)
    {
        if !changes.is_empty() {
            return Err(PosError::new(
                start,
                format!(
                    "`{}`: the view option `{}` is not modeled (a view is made with \
                     `ALGORITHM=UNDEFINED` and `SQL SECURITY DEFINER`); leave it out, or \
                     make the view in a migration written by hand (`wildebeest revision`)",
                    crate::excerpt(&piece.text),
                    changes.join("`, `")
                ),
            ));
        }
        let mut text = piece.text.clone();
        let blank = " ".repeat(range.len());
        text.replace_range(range, &blank);
        return create_view(
            &Piece {
                text,
                ..piece.clone()
            },
            ctx,
        );
    }
    // pg_dump qualifies every name with its schema (`FROM public.t`): the managed
    // schema's qualifier is taken off, as PostgreSQL prints a name in its search
    // path, so that the view reads the same wherever it is made.
    let unqualified;
    let piece = if ctx.dialect == Dialect::Postgres {
        unqualified = Piece {
            text: strip_schema(&piece.text, ctx.pg_schema),
            ..piece.clone()
        };
        &unqualified
    } else {
        piece
    };
    let text = piece.text.as_str();
    let tokens = Tokenizer::new(lex::sql_dialect(ctx.dialect), text)
        .tokenize_with_location()
        .map_err(|e| PosError::new(start, e.message))?;
    let code: Vec<(usize, &Token)> = tokens
        .iter()
        .map(|t| &t.token)
        .enumerate()
        .filter(|(_, t)| !lex::is_trivia(t) && !matches!(t, Token::EOF | Token::SemiColon))
        .collect();
    let keyword = |t: &Token, k: Keyword| matches!(t, Token::Word(w) if w.keyword == k && w.quote_style.is_none());
    // The `AS` before the query: the first at depth 0.
    let mut depth = 0usize;
    let mut as_at = None;
    for &(i, t) in &code {
        match t {
            Token::LParen => depth += 1,
            Token::RParen => depth = depth.saturating_sub(1),
            t if depth == 0 && keyword(t, Keyword::AS) => {
                as_at = Some(i);
                break;
            }
            _ => {}
        }
    }
    let Some(as_at) = as_at else {
        return Err(PosError::new(
            start,
            "`CREATE VIEW` without `AS` and a query",
        ));
    };
    // A materialized view's trailing `WITH [NO] DATA`: when it is filled, which is
    // data, not schema.
    let mut code = code;
    let mut data_at = None;
    if let Some(&(_, last)) = code.last()
        && matches!(last, Token::Word(w) if w.value.eq_ignore_ascii_case("DATA") && w.quote_style.is_none())
    {
        let n = code.len();
        let with = if n >= 3 && keyword(code[n - 2].1, Keyword::NO) {
            n - 3
        } else {
            n - 2
        };
        if n >= 2 && keyword(code[with].1, Keyword::WITH) {
            data_at = Some(code[with].0);
            code.truncate(with);
        }
    }
    // A trailing `WITH [CASCADED | LOCAL] CHECK OPTION`.
    let n = code.len();
    let mut check_option = None;
    let mut with_at = None;
    if n >= 3 && keyword(code[n - 1].1, Keyword::OPTION) && keyword(code[n - 2].1, Keyword::CHECK) {
        let (option, with) = match code.get(n - 3) {
            Some(&(_, t)) if keyword(t, Keyword::LOCAL) => (CheckOption::Local, n.checked_sub(4)),
            Some(&(_, t)) if keyword(t, Keyword::CASCADED) => {
                (CheckOption::Cascaded, n.checked_sub(4))
            }
            _ => (CheckOption::Cascaded, Some(n - 3)),
        };
        if let Some(w) = with.filter(|&w| keyword(code[w].1, Keyword::WITH)) {
            check_option = Some(option);
            with_at = Some(code[w].0);
        }
    }
    let offset = |i: usize| {
        let loc = tokens[i].span.start;
        byte_at(text, loc.line, loc.column)
    };
    let query_start = offset(as_at) + 2;
    let query_end = with_at.or(data_at).map_or(text.len(), offset);
    let definition = text[query_start..query_end].trim().to_string();
    let cut = Piece {
        text: mysql_readable(text[..query_end].trim_end(), ctx.dialect),
        ..piece.clone()
    };
    let AstStatement::CreateView(cv) = parse::parse_piece(&cut, ctx.dialect, Kind::CreateView)?
    else {
        return Err(PosError::new(start, "not a `CREATE VIEW` statement"));
    };
    let name = ddl::object_name(&cv.name, ctx)?;
    let columns: Vec<String> = cv.columns.iter().map(|c| c.name.value.clone()).collect();
    let mut view = analyze(&cv.query, ctx.dialect, ctx.pg_schema);
    view.name = name.value;
    view.columns = columns;
    view.definition = definition;
    view.check_option = check_option;
    view.follow_rename = crate::view_rename::follower(ctx.dialect);
    view.materialized = cv.materialized;
    if data_at.is_some() && !cv.materialized {
        return Err(PosError::new(
            name.pos,
            format!("view `{}`: `WITH DATA` is a materialized view's", view.name),
        ));
    }
    if !view.columns.is_empty() {
        view.shape = None;
    }
    Ok(ViewDef {
        view,
        or_replace: cv.or_replace,
        if_not_exists: cv.if_not_exists,
        materialized: cv.materialized,
        temporary: cv.temporary,
        name_pos: name.pos,
    })
}

/// A view read from a database's catalog: its name, column list (if the catalog keeps
/// one apart), query text and check option. The query is parsed as a `SELECT` of the
/// dialect; one the parser cannot read is kept as the server printed it (it still
/// compares exactly, with `check`'s server reading on both sides), reading nothing
/// the model knows of.
pub fn view_from_catalog(
    name: &str,
    columns: Vec<String>,
    query: &str,
    check_option: Option<CheckOption>,
    dialect: Dialect,
) -> View {
    let query = query.trim().trim_end_matches(';').trim_end();
    let piece = Piece {
        text: mysql_readable(&format!("CREATE VIEW v AS {query}"), dialect),
        line: 1,
        column: 1,
    };
    let parsed = lex::with_stack(|| {
        parse::parse_piece(&piece, dialect, Kind::CreateView)
            .ok()
            .and_then(|st| match st {
                AstStatement::CreateView(cv) => Some(analyze(&cv.query, dialect, "public")),
                _ => None,
            })
    })
    .flatten();
    let mut view = parsed.unwrap_or_else(|| View {
        normalized: query.to_string(),
        ..View::default()
    });
    view.name = name.to_string();
    view.columns = columns;
    view.definition = query.to_string();
    view.check_option = check_option;
    view.follow_rename = crate::view_rename::follower(dialect);
    if !view.columns.is_empty() {
        view.shape = None;
    }
    view
}

/// `text` with what MariaDB stores in a view and sqlparser does not read, written as
/// it reads it, meaning the same wherever it stands: `!(x)` (MariaDB's `NOT (...)`,
/// `!(a in (select ...))` for `a NOT IN (SELECT ...)`) as `(NOT (x))`, and the
/// operator `a MOD b` (its `a % b`) as `a % b`. As it is in another dialect, or when
/// it does not tokenize.
pub(crate) fn mysql_readable(text: &str, dialect: Dialect) -> String {
    let lower = text.to_ascii_lowercase();
    if dialect != Dialect::Mysql || !(text.contains('!') || lower.contains("mod")) {
        return text.to_string();
    }
    let Ok(tokens) =
        Tokenizer::new(lex::sql_dialect(Dialect::Mysql), text).tokenize_with_location()
    else {
        return text.to_string();
    };
    // The byte ranges of `!` and of the `)` that closes the `(` after it.
    let mut edits: Vec<(usize, usize, &str)> = Vec::new();
    let at = |k: usize| byte_at(text, tokens[k].span.start.line, tokens[k].span.start.column);
    let mut before: Option<&Token> = None;
    for (i, t) in tokens.iter().enumerate() {
        let previous = before;
        if !lex::is_trivia(&t.token) {
            before = Some(&t.token);
        }
        if let Token::Word(w) = &t.token
            && w.quote_style.is_none()
            && w.value.eq_ignore_ascii_case("MOD")
            && previous.is_some_and(|p| match p {
                Token::Word(p) => p.quote_style.is_some() || p.keyword == Keyword::NoKeyword,
                Token::Number(..) | Token::RParen | Token::SingleQuotedString(_) => true,
                _ => false,
            })
        {
            edits.push((at(i), at(i) + 3, "%"));
            continue;
        }
        if t.token != Token::ExclamationMark {
            continue;
        }
        let Some(open) = tokens[i + 1..]
            .iter()
            .position(|t| !lex::is_trivia(&t.token))
        else {
            continue;
        };
        let open = i + 1 + open;
        if tokens[open].token != Token::LParen {
            continue;
        }
        let mut depth = 0usize;
        let close = tokens[open..].iter().position(|t| {
            match t.token {
                Token::LParen => depth += 1,
                Token::RParen => depth -= 1,
                _ => {}
            }
            depth == 0
        });
        let Some(close) = close else { continue };
        edits.push((at(i), at(i) + 1, "(NOT "));
        let end = at(open + close);
        edits.push((end, end + 1, "))"));
    }
    edits.sort_by_key(|e| e.0);
    let mut out = String::with_capacity(text.len() + 8 * edits.len());
    let mut last = 0;
    for (from, to, with) in edits {
        out.push_str(&text[last..from]);
        out.push_str(with);
        last = to;
    }
    out.push_str(&text[last..]);
    out
}

/// `text` without the qualifier `public.` or `schema.` (the managed schema's) before a
/// name, outside strings and comments; as it is when it does not tokenize.
pub(crate) fn strip_schema(text: &str, schema: &str) -> String {
    let Ok(tokens) =
        Tokenizer::new(lex::sql_dialect(Dialect::Postgres), text).tokenize_with_location()
    else {
        return text.to_string();
    };
    let mut cut = Vec::new();
    for w in tokens.windows(3) {
        let (Token::Word(q), Token::Period, Token::Word(_)) =
            (&w[0].token, &w[1].token, &w[2].token)
        else {
            continue;
        };
        let ours = match q.quote_style {
            None => q.value.eq_ignore_ascii_case("public") || q.value.to_lowercase() == schema,
            Some('"') => q.value == "public" || q.value == schema,
            Some(_) => false,
        };
        if ours {
            let from = byte_at(text, w[0].span.start.line, w[0].span.start.column);
            let to = byte_at(text, w[2].span.start.line, w[2].span.start.column);
            cut.push(from..to);
        }
    }
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    for r in cut {
        if r.start < last {
            continue;
        }
        out.push_str(&text[last..r.start]);
        last = r.end;
    }
    out.push_str(&text[last..]);
    out
}

/// The byte offset in `text` of a 1-based line and column (in characters).
pub(crate) fn byte_at(text: &str, line: u64, column: u64) -> usize {
    let mut l = 1;
    let mut c = 1;
    for (i, ch) in text.char_indices() {
        if l == line && c == column {
            return i;
        }
        if ch == '\n' {
            l += 1;
            c = 1;
        } else {
            c += 1;
        }
    }
    text.len()
}

/// The view as far as its query tells: normalized query, what it reads, its shape.
fn analyze(query: &Query, dialect: Dialect, pg_schema: &str) -> View {
    let mut reads = Reads {
        dialect,
        pg_schema,
        relations: BTreeSet::new(),
        ctes: BTreeSet::new(),
        columns: BTreeSet::new(),
        all: false,
    };
    let _ = query.visit(&mut reads);
    let relations: BTreeSet<String> = reads
        .relations
        .into_iter()
        .filter(|r| !reads.ctes.contains(r))
        .collect();
    let mut normal = query.clone();
    let _ = sqlparser::ast::visit_expressions_mut(&mut normal, |e| {
        fold_expr(e, dialect);
        ControlFlow::<()>::Continue(())
    });
    let _ = sqlparser::ast::visit_relations_mut(&mut normal, |name| {
        fold_name(name, dialect);
        ControlFlow::<()>::Continue(())
    });
    if dialect == Dialect::Postgres {
        let _ = VisitMut::visit(&mut normal, &mut ServerForm(dialect));
    }
    unqualify_single_relation(&mut normal);
    View {
        normalized: normal.to_string(),
        reads: relations.into_iter().collect(),
        reads_columns: reads.columns.into_iter().collect(),
        reads_all: reads.all,
        shape: shape(&normal),
        ..View::default()
    }
}

/// A PostgreSQL query written the way the server prints it back (`pg_get_viewdef`,
/// and so `pg_dump`), in what can be told without knowing the columns' types:
/// parentheses that change nothing removed (around a condition, an operand, an
/// argument, a join tree nested to the left: `((a JOIN b ON ...) JOIN c ON ...)`),
/// a string's cast to `text` or `character varying` dropped (the server casts an
/// untyped string in a view's output to text) unless it is cast again
/// (`('now'::text)::date`), function names in lower case, and `t.c AS c` as `t.c`.
/// The parentheses MySQL adds and `t.c AS c` are taken off the same way in its
/// dialect (`view_canon`), where no string is cast with `::`.
pub(crate) struct ServerForm(pub(crate) Dialect);

impl sqlparser::ast::VisitorMut for ServerForm {
    type Break = ();

    fn pre_visit_expr(&mut self, e: &mut Expr) -> ControlFlow<()> {
        // The inner cast of `('now'::text)::date` is kept: written as `CAST`, which
        // `post_visit_expr` leaves.
        if let Expr::Cast { expr, .. } = e {
            let mut inner = expr.as_mut();
            while let Expr::Nested(n) = inner {
                inner = n.as_mut();
            }
            if let Expr::Cast { kind, expr, .. } = inner
                && string_literal(expr)
            {
                *kind = sqlparser::ast::CastKind::Cast;
            }
        }
        ControlFlow::Continue(())
    }

    fn post_visit_expr(&mut self, e: &mut Expr) -> ControlFlow<()> {
        use sqlparser::ast::{CastKind, DataType};
        match e {
            Expr::Cast {
                kind: CastKind::DoubleColon,
                expr,
                data_type:
                    DataType::Text | DataType::CharacterVarying(None) | DataType::Varchar(None),
                format: None,
            } if string_literal(expr) => {
                let mut inner =
                    std::mem::replace(expr.as_mut(), Expr::value(sqlparser::ast::Value::Null));
                while let Expr::Nested(n) = inner {
                    inner = *n;
                }
                *e = inner;
            }
            Expr::Function(f) => {
                if let [sqlparser::ast::ObjectNamePart::Identifier(i)] = f.name.0.as_mut_slice()
                    && i.quote_style.is_none()
                {
                    i.value = i.value.to_lowercase();
                }
            }
            Expr::Case {
                operand,
                conditions,
                else_result,
                ..
            } => {
                for slot in operand.iter_mut().chain(else_result.iter_mut()) {
                    strip_in_place(slot);
                }
                for when in conditions.iter_mut() {
                    strip_in_place(&mut when.condition);
                    strip_in_place(&mut when.result);
                }
            }
            Expr::Nested(_) => return ControlFlow::Continue(()),
            _ => {}
        }
        if !matches!(e, Expr::Nested(_)) {
            let taken = std::mem::replace(e, Expr::value(sqlparser::ast::Value::Null));
            *e = crate::expr::without_parentheses(taken, self.0);
        }
        ControlFlow::Continue(())
    }

    fn post_visit_query(&mut self, query: &mut Query) -> ControlFlow<()> {
        if let Some(order_by) = &mut query.order_by
            && let sqlparser::ast::OrderByKind::Expressions(items) = &mut order_by.kind
        {
            for item in items {
                strip_in_place(&mut item.expr);
            }
        }
        ControlFlow::Continue(())
    }

    /// Every `SELECT`: a query's own, a subquery's and each of a `UNION`'s.
    fn post_visit_select(&mut self, select: &mut sqlparser::ast::Select) -> ControlFlow<()> {
        for item in &mut select.projection {
            match item {
                SelectItem::UnnamedExpr(e) => strip_in_place(e),
                SelectItem::ExprWithAlias { expr, alias } => {
                    strip_in_place(expr);
                    let last = match &*expr {
                        Expr::Identifier(i) => Some(i),
                        Expr::CompoundIdentifier(parts) => parts.last(),
                        _ => None,
                    };
                    if last.is_some_and(|i| {
                        i.value == alias.value && i.quote_style == alias.quote_style
                    }) {
                        let e = std::mem::replace(expr, Expr::value(sqlparser::ast::Value::Null));
                        *item = SelectItem::UnnamedExpr(e);
                    }
                }
                _ => {}
            }
        }
        for slot in select.selection.iter_mut().chain(select.having.iter_mut()) {
            strip_in_place(slot);
        }
        if let sqlparser::ast::GroupByExpr::Expressions(exprs, _) = &mut select.group_by {
            for e in exprs {
                strip_in_place(e);
            }
        }
        for from in &mut select.from {
            flatten_left(from);
        }
        ControlFlow::Continue(())
    }
}

/// `'text'`, in parentheses or not.
fn string_literal(e: &Expr) -> bool {
    let mut e = e;
    while let Expr::Nested(n) = e {
        e = n;
    }
    matches!(
        e,
        Expr::Value(sqlparser::ast::ValueWithSpan {
            value: sqlparser::ast::Value::SingleQuotedString(_),
            ..
        })
    )
}

/// The parentheses around an expression that stands alone (a condition, an output
/// column, a `CASE` branch) removed.
pub(crate) fn strip_in_place(e: &mut Expr) {
    while let Expr::Nested(inner) = e {
        let inner = std::mem::replace(inner.as_mut(), Expr::value(sqlparser::ast::Value::Null));
        *e = inner;
    }
}

/// A join tree in parentheses at the left of a `FROM` item (`((a JOIN b ON x)
/// JOIN c ON y)`), which means what it means without them, as its joins.
fn flatten_left(from: &mut sqlparser::ast::TableWithJoins) {
    while let TableFactor::NestedJoin {
        table_with_joins,
        alias: None,
    } = from.relation.clone()
    {
        let outer = std::mem::take(&mut from.joins);
        *from = *table_with_joins;
        from.joins.extend(outer);
    }
    for join in &mut from.joins {
        if let Some(c) = join_constraint_mut(&mut join.join_operator)
            && let JoinConstraint::On(e) = c
        {
            strip_in_place(e);
        }
    }
}

/// Names in one spelling, as the dialect compares them: unquoted ones in lower case
/// (PostgreSQL folds them; SQLite and MySQL compare column names ignoring case), and a
/// quoted one that means the same as unquoted without its quotes: on PostgreSQL a
/// quoted lower-case word (`"r0"` is `r0`), on SQLite, which compares names ignoring
/// case, any quoted word (SQLite writes a table renamed under a view quoted).
pub(crate) fn fold_expr(e: &mut Expr, dialect: Dialect) {
    match e {
        Expr::Identifier(i) => fold_ident(i, dialect),
        Expr::CompoundIdentifier(parts) => {
            for i in parts.iter_mut() {
                fold_ident(i, dialect);
            }
        }
        _ => {}
    }
}

fn fold_ident(i: &mut sqlparser::ast::Ident, dialect: Dialect) {
    let word = |v: &str| {
        let mut chars = v.chars();
        chars
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
            && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
    };
    let fold = match (i.quote_style, dialect) {
        (None, _) => true,
        (Some(_), Dialect::Sqlite) => word(&i.value),
        (Some(_), Dialect::Postgres) => word(&i.value) && i.value == i.value.to_lowercase(),
        (Some(_), Dialect::Mysql) => false,
    };
    if fold {
        *i = sqlparser::ast::Ident::new(i.value.to_lowercase());
    }
}

pub(crate) fn fold_name(name: &mut ObjectName, dialect: Dialect) {
    // MySQL's table names follow the file system's case; only PostgreSQL and SQLite
    // fold (SQLite compares them ignoring case).
    if dialect == Dialect::Mysql {
        return;
    }
    for part in &mut name.0 {
        if let Some(i) = part.as_ident() {
            let mut i = i.clone();
            fold_ident(&mut i, dialect);
            *part = sqlparser::ast::ObjectNamePart::Identifier(i);
        }
    }
}

/// In a query that reads one relation and nothing else (one `FROM` item, no join,
/// no subquery), `t.c` and `c` are the same column: the qualifier is taken off, so
/// that a view compares equal to the text a server prints of it (PostgreSQL before
/// 16 qualifies every column under pg_dump's empty search path: `SELECT
/// products.id FROM public.products`).
fn unqualify_single_relation(query: &mut Query) {
    let SetExpr::Select(select) = query.body.as_ref() else {
        return;
    };
    let [from] = select.from.as_slice() else {
        return;
    };
    let TableFactor::Table { name, alias, .. } = &from.relation else {
        return;
    };
    if !from.joins.is_empty() {
        return;
    }
    let qualifier = match alias {
        Some(a) => a.name.clone(),
        None => match name.0.last().and_then(|p| p.as_ident()) {
            Some(i) => i.clone(),
            None => return,
        },
    };
    let mut queries = 0;
    let _ = sqlparser::ast::visit_expressions(&*query, |e| {
        if matches!(
            e,
            Expr::Subquery(_) | Expr::Exists { .. } | Expr::InSubquery { .. }
        ) {
            queries += 1;
        }
        ControlFlow::<()>::Continue(())
    });
    if queries > 0 || query.with.is_some() {
        return;
    }
    let _ = sqlparser::ast::visit_expressions_mut(query, |e| {
        if let Expr::CompoundIdentifier(parts) = e
            && let [q, column] = parts.as_slice()
            && q.value == qualifier.value
            && q.quote_style.is_some() == qualifier.quote_style.is_some()
        {
            *e = Expr::Identifier(column.clone());
        }
        ControlFlow::<()>::Continue(())
    });
}

/// The shape of a query that is one plain `SELECT` without `*` (see [`View::shape`]).
fn shape(query: &Query) -> Option<ViewShape> {
    if query.with.is_some() {
        return None;
    }
    let SetExpr::Select(select) = query.body.as_ref() else {
        return None;
    };
    let mut items = Vec::new();
    for item in &select.projection {
        let (expr, name) = match item {
            SelectItem::ExprWithAlias { expr, alias } => (expr, alias.value.clone()),
            SelectItem::UnnamedExpr(expr @ Expr::Identifier(i)) => (expr, i.value.clone()),
            SelectItem::UnnamedExpr(expr @ Expr::CompoundIdentifier(parts)) => {
                (expr, parts.last()?.value.clone())
            }
            _ => return None,
        };
        items.push(format!("{expr} AS {name}"));
    }
    let mut rest = query.clone();
    if let SetExpr::Select(s) = rest.body.as_mut() {
        s.projection.clear();
    }
    Some(ViewShape {
        items,
        sources: rest.to_string(),
    })
}

/// What a query reads, gathered by walking it.
struct Reads<'a> {
    dialect: Dialect,
    pg_schema: &'a str,
    relations: BTreeSet<String>,
    ctes: BTreeSet<String>,
    columns: BTreeSet<String>,
    all: bool,
}

impl Reads<'_> {
    /// A relation's name as the model names tables: the last part, when the
    /// qualifier is the database's own (PostgreSQL's managed schema or `public`,
    /// SQLite's `main`, MySQL's database); else the whole dotted name, which no
    /// table has.
    fn relation(&mut self, name: &ObjectName) {
        let parts: Vec<&str> = name
            .0
            .iter()
            .filter_map(|p| p.as_ident().map(|i| i.value.as_str()))
            .collect();
        let Some(last) = parts.last() else { return };
        let own = match parts.as_slice() {
            [_] => true,
            [q, _] => match self.dialect {
                Dialect::Postgres => *q == "public" || *q == self.pg_schema,
                Dialect::Sqlite => q.eq_ignore_ascii_case("main"),
                Dialect::Mysql => true,
            },
            _ => false,
        };
        self.relations.insert(if own {
            (*last).to_string()
        } else {
            parts.join(".")
        });
    }

    fn select_items(&mut self, body: &SetExpr) {
        match body {
            SetExpr::Select(select) => {
                if select.projection.iter().any(|i| {
                    matches!(
                        i,
                        SelectItem::Wildcard(_) | SelectItem::QualifiedWildcard(..)
                    )
                }) {
                    self.all = true;
                }
                for from in &select.from {
                    for join in &from.joins {
                        match join_constraint(&join.join_operator) {
                            Some(JoinConstraint::Natural) => self.all = true,
                            Some(JoinConstraint::Using(names)) => {
                                for n in names {
                                    if let Some(i) = n.0.last().and_then(|p| p.as_ident()) {
                                        self.columns.insert(i.value.to_lowercase());
                                    }
                                }
                            }
                            _ => {}
                        }
                    }
                }
            }
            SetExpr::SetOperation { left, right, .. } => {
                self.select_items(left);
                self.select_items(right);
            }
            _ => {}
        }
    }
}

impl Visitor for Reads<'_> {
    type Break = ();

    fn pre_visit_query(&mut self, query: &Query) -> ControlFlow<()> {
        if let Some(with) = &query.with {
            for cte in &with.cte_tables {
                self.ctes.insert(cte.alias.name.value.clone());
            }
        }
        self.select_items(&query.body);
        ControlFlow::Continue(())
    }

    fn pre_visit_table_factor(&mut self, factor: &TableFactor) -> ControlFlow<()> {
        if let TableFactor::Table {
            name, args: None, ..
        } = factor
        {
            self.relation(name);
        }
        ControlFlow::Continue(())
    }

    fn pre_visit_expr(&mut self, expr: &Expr) -> ControlFlow<()> {
        match expr {
            Expr::Identifier(i) => {
                self.columns.insert(i.value.to_lowercase());
            }
            Expr::CompoundIdentifier(parts) => {
                if let Some(i) = parts.last() {
                    self.columns.insert(i.value.to_lowercase());
                }
            }
            _ => {}
        }
        ControlFlow::Continue(())
    }
}

/// The constraint of a join that has one (`ON`, `USING`, `NATURAL`), by reference
/// or mutably.
macro_rules! constraint_of {
    ($op:expr) => {
        match $op {
            JoinOperator::Join(c)
            | JoinOperator::Inner(c)
            | JoinOperator::Left(c)
            | JoinOperator::LeftOuter(c)
            | JoinOperator::Right(c)
            | JoinOperator::RightOuter(c)
            | JoinOperator::FullOuter(c) => Some(c),
            _ => None,
        }
    };
}

fn join_constraint_mut(op: &mut JoinOperator) -> Option<&mut JoinConstraint> {
    constraint_of!(op)
}

pub(crate) fn join_constraint(op: &JoinOperator) -> Option<&JoinConstraint> {
    constraint_of!(op)
}
