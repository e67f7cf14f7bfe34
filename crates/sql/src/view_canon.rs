//! A view's query in one form for comparing, without a database, knowing the model:
//! the form both sides of `migrate` (and of `check`) compare in, so that a dump of a
//! database (pg_dump, mysqldump), whose views are written the way the server stores
//! them, reads as the views written by hand.
//!
//! [`canonical_views`] parses each view's normalized query (see `view::analyze`)
//! and writes it again:
//!
//! - a bare column gets its table's qualifier (the alias, else the table's name) when
//!   it belongs to exactly one table, view, subquery or common table expression of
//!   its `FROM` (looked for in the enclosing query's when none of them has it, as the
//!   server resolves a correlated name); a column of a `USING` join is the left
//!   table's (the right one's in a `RIGHT JOIN`), as both servers print it; where a
//!   name may belong to more than one, or to something whose columns are not known
//!   (a `*` view, a table function, a `NATURAL JOIN`), it stays as written, never
//!   guessed;
//! - `ORDER BY` an output column's alias or position as the expression it names,
//!   `GROUP BY` a position as the expression, `ASC` left out, `INNER JOIN` as `JOIN`
//!   and `LEFT OUTER JOIN` as `LEFT JOIN`; on PostgreSQL, which keeps it so, `a
//!   BETWEEN x AND y` as `(a >= x AND a <= y)`;
//! - the aliases of the second and later `SELECT`s of a `UNION` left out (the first
//!   names the columns), and `t.c AS c` as `t.c`;
//! - the parentheses that change nothing, and a join tree in them, as
//!   `view::ServerForm` takes them off;
//! - on MySQL/MariaDB, which store a view's query with every name quoted and
//!   qualified and some words of their own: backquotes and the database's qualifier
//!   off, names in lower case but tables', `USING (c)` of a `JOIN` or `LEFT JOIN` as
//!   `ON l.c = r.c`, a list of tables as joins, `LIMIT o, n` as `LIMIT n OFFSET o`,
//!   `count(0)` as `count(*)`, `true` as `1`, a string in double quotes in single
//!   ones, `NOT (a < b)` as `a >= b`, `NOT (x IN (...))` as `x NOT IN (...)`, the
//!   `LIMIT 1` MariaDB adds to an `EXISTS` subquery left out, `date_add(d, INTERVAL
//!   n DAY)` as `d + INTERVAL n DAY` (`date_sub` with `-`), and function names as
//!   MySQL reports them (`mysql::expr_text`: one name for synonyms, `ucase` is
//!   `upper`).
//!
//! A query that does not parse again is left as it is. The text written to migration
//! files is the view's `definition`, which this does not touch.

use std::collections::BTreeMap;
use std::ops::ControlFlow;

use sqlparser::ast::{
    BinaryOperator, Expr, FunctionArg, FunctionArgExpr, FunctionArguments, GroupByExpr, Ident,
    Join, JoinConstraint, JoinOperator, LimitClause, ObjectName, ObjectNamePart, Offset,
    OffsetRows, OrderBy, OrderByKind, OrderBySort, Query, Select, SelectItem, SetExpr,
    Statement as AstStatement, TableFactor, TableWithJoins, UnaryOperator, Value, VisitMut,
    VisitorMut,
};
use wildebeest_schema::Schema;

use crate::Dialect;
use crate::lex;
use crate::parse::{self, Kind};
use crate::split::Piece;
use crate::view::ServerForm;

/// The columns of a relation by lower-case name; `None` where they are not known.
type Columns = Option<Vec<String>>;

/// Writes the normalized query of every view of `schema` in the canonical form (see
/// the module documentation), resolving its names with the tables and views
/// `schema` holds.
pub fn canonical_views(schema: &mut Schema, dialect: Dialect) {
    if schema.views.is_empty() {
        return;
    }
    let parsed: BTreeMap<String, Option<Query>> = schema
        .views
        .iter()
        .map(|(name, view)| (name.clone(), parse_query(&view.normalized, dialect)))
        .collect();
    let mut relations: BTreeMap<String, Columns> = BTreeMap::new();
    for (name, table) in schema.tables.iter() {
        relations.insert(
            name.clone(),
            Some(
                table
                    .columns
                    .iter()
                    .map(|c| c.name.to_lowercase())
                    .collect(),
            ),
        );
    }
    for (name, view) in &schema.views {
        let columns = if view.columns.is_empty() {
            parsed[name].as_ref().and_then(output_columns)
        } else {
            Some(view.columns.iter().map(|c| c.to_lowercase()).collect())
        };
        relations.insert(name.clone(), columns);
    }
    for (name, view) in schema.views.iter_mut() {
        if let Some(query) = parsed.get(name).cloned().flatten()
            && let Some(text) = canonical_query(query, dialect, &relations)
        {
            view.normalized = text;
        }
    }
}

/// `text`, a view's query, parsed in `dialect`; `None` when it does not parse.
fn parse_query(text: &str, dialect: Dialect) -> Option<Query> {
    let piece = Piece {
        text: format!("CREATE VIEW v AS {text}"),
        line: 1,
        column: 1,
    };
    lex::with_stack(
        || match parse::parse_piece(&piece, dialect, Kind::CreateView) {
            Ok(AstStatement::CreateView(cv)) => Some(*cv.query),
            _ => None,
        },
    )
    .flatten()
}

/// `query` in the canonical form; `None` if the walk failed (the view keeps the
/// form it had).
fn canonical_query(
    mut query: Query,
    dialect: Dialect,
    relations: &BTreeMap<String, Columns>,
) -> Option<String> {
    lex::with_stack(move || {
        if dialect == Dialect::Mysql {
            let _ = VisitMut::visit(&mut query, &mut MysqlForm::default());
        }
        let mut resolver = Resolver {
            dialect,
            relations,
            scopes: Vec::new(),
            ctes: Vec::new(),
            order_bys: Vec::new(),
        };
        let _ = VisitMut::visit(&mut query, &mut resolver);
        let _ = VisitMut::visit(&mut query, &mut Tidy(dialect));
        let _ = VisitMut::visit(&mut query, &mut ServerForm(dialect));
        let text = query.to_string();
        match dialect {
            Dialect::Mysql => crate::mysql::expr_text(&text),
            _ => text,
        }
    })
}

/// The names of a query's output columns, lower case, when each can be told (no
/// `*`; an expression's without an alias is the function's name on PostgreSQL, and
/// a name no bare column matches elsewhere).
fn output_columns(query: &Query) -> Columns {
    let mut body = query.body.as_ref();
    while let SetExpr::SetOperation { left, .. } = body {
        body = left;
    }
    let select = match body {
        SetExpr::Select(select) => select,
        SetExpr::Query(q) => return output_columns(q),
        _ => return None,
    };
    let mut names = Vec::new();
    for item in &select.projection {
        names.push(match item {
            SelectItem::ExprWithAlias { alias, .. } => alias.value.to_lowercase(),
            SelectItem::UnnamedExpr(Expr::Identifier(i)) => i.value.to_lowercase(),
            SelectItem::UnnamedExpr(Expr::CompoundIdentifier(parts)) => {
                parts.last()?.value.to_lowercase()
            }
            SelectItem::UnnamedExpr(Expr::Function(f)) => f
                .name
                .0
                .last()
                .and_then(|p| p.as_ident())
                .map_or_else(|| "?column?".to_string(), |i| i.value.to_lowercase()),
            SelectItem::UnnamedExpr(_) => "?column?".to_string(),
            _ => return None,
        });
    }
    Some(names)
}

/// One relation of a `FROM`: the name its columns are qualified with, and its
/// columns.
struct Source {
    qualifier: Option<Ident>,
    columns: Columns,
}

/// What a `SELECT`'s names may refer to.
#[derive(Default)]
struct Scope {
    sources: Vec<Source>,
    /// The columns of `USING` joins, each with the source a bare one is (`None`
    /// where that cannot be told, as in a `FULL JOIN`).
    merged: Vec<(String, Option<usize>)>,
    /// A `NATURAL JOIN`: which columns are merged is not read.
    opaque: bool,
}

impl Scope {
    /// The source a bare `name` is in: `Ok(Some(k))`, `Ok(None)` when no source of
    /// this scope has it (an enclosing one may), `Err(())` when it cannot be told.
    fn find(&self, name: &str, within: std::ops::Range<usize>) -> Result<Option<usize>, ()> {
        if self.opaque {
            return Err(());
        }
        if let Some((_, side)) = self.merged.iter().find(|(m, _)| m == name) {
            return side.map(Some).ok_or(());
        }
        let mut found = None;
        for k in within {
            match &self.sources[k].columns {
                None => return Err(()),
                Some(columns) if columns.iter().any(|c| c == name) => {
                    if found.is_some() {
                        return Err(());
                    }
                    found = Some(k);
                }
                Some(_) => {}
            }
        }
        Ok(found)
    }
}

/// Qualifies bare column names (see the module documentation), with a scope for
/// each `SELECT` it is inside of.
struct Resolver<'a> {
    dialect: Dialect,
    relations: &'a BTreeMap<String, Columns>,
    scopes: Vec<Scope>,
    /// The common table expressions in reach, innermost last.
    ctes: Vec<Vec<(String, Columns)>>,
    /// A query's `ORDER BY`, resolved by `pre_visit_query` and held out of the walk
    /// (which would read it in the enclosing scope) until `post_visit_query`.
    order_bys: Vec<Option<OrderBy>>,
}

impl Resolver<'_> {
    fn columns_of(&self, name: &ObjectName) -> Columns {
        let parts: Vec<&Ident> = name.0.iter().filter_map(ObjectNamePart::as_ident).collect();
        let last = match parts.as_slice() {
            [one] => {
                let lower = one.value.to_lowercase();
                for level in self.ctes.iter().rev() {
                    if let Some((_, columns)) = level.iter().find(|(n, _)| *n == lower) {
                        return columns.clone();
                    }
                }
                *one
            }
            // MySQL's database or PostgreSQL's schema: the managed schema's qualifier
            // was taken off when the view was read, so another's is another schema.
            [_, last] if self.dialect == Dialect::Mysql => *last,
            _ => return None,
        };
        if let Some(columns) = self.relations.get(&last.value) {
            return columns.clone();
        }
        let mut alike = self
            .relations
            .iter()
            .filter(|(n, _)| n.eq_ignore_ascii_case(&last.value));
        match (alike.next(), alike.next()) {
            (Some((_, columns)), None) => columns.clone(),
            _ => None,
        }
    }

    fn add_factor(&self, factor: &TableFactor, scope: &mut Scope) {
        match factor {
            TableFactor::Table {
                name,
                alias,
                args: None,
                ..
            } => {
                let qualifier = match alias {
                    Some(a) => Some(a.name.clone()),
                    None => name.0.last().and_then(|p| p.as_ident()).cloned(),
                };
                let columns = match alias {
                    Some(a) if !a.columns.is_empty() => Some(
                        a.columns
                            .iter()
                            .map(|c| c.name.value.to_lowercase())
                            .collect(),
                    ),
                    _ => self.columns_of(name),
                };
                scope.sources.push(Source { qualifier, columns });
            }
            TableFactor::Derived {
                subquery, alias, ..
            } => {
                let columns = match alias {
                    Some(a) if !a.columns.is_empty() => Some(
                        a.columns
                            .iter()
                            .map(|c| c.name.value.to_lowercase())
                            .collect(),
                    ),
                    _ => output_columns(subquery),
                };
                scope.sources.push(Source {
                    qualifier: alias.as_ref().map(|a| a.name.clone()),
                    columns,
                });
            }
            TableFactor::NestedJoin {
                table_with_joins,
                alias: None,
            } => self.add_from(table_with_joins, scope),
            _ => scope.sources.push(Source {
                qualifier: None,
                columns: None,
            }),
        }
    }

    fn add_from(&self, from: &TableWithJoins, scope: &mut Scope) {
        self.add_factor(&from.relation, scope);
        for join in &from.joins {
            let left = 0..scope.sources.len();
            self.add_factor(&join.relation, scope);
            let right = left.end..scope.sources.len();
            match crate::view::join_constraint(&join.join_operator) {
                Some(JoinConstraint::Natural) => scope.opaque = true,
                Some(JoinConstraint::Using(names)) => {
                    let side = match &join.join_operator {
                        JoinOperator::Join(_)
                        | JoinOperator::Inner(_)
                        | JoinOperator::Left(_)
                        | JoinOperator::LeftOuter(_) => Some(left),
                        JoinOperator::Right(_) | JoinOperator::RightOuter(_) => Some(right),
                        _ => None,
                    };
                    let mut merged = Vec::new();
                    for n in names {
                        let Some(name) = n.0.last().and_then(|p| p.as_ident()) else {
                            continue;
                        };
                        let name = name.value.to_lowercase();
                        let at = side
                            .clone()
                            .and_then(|range| scope.find(&name, range).ok().flatten());
                        merged.push((name, at));
                    }
                    scope.merged.extend(merged);
                }
                _ => {}
            }
        }
    }

    fn scope_of(&self, select: &Select) -> Scope {
        let mut scope = Scope::default();
        for from in &select.from {
            self.add_from(from, &mut scope);
        }
        scope
    }

    /// The qualifier of a bare column `name`, looked for from the innermost scope out.
    fn qualifier(&self, name: &Ident) -> Option<Ident> {
        let lower = name.value.to_lowercase();
        for scope in self.scopes.iter().rev() {
            match scope.find(&lower, 0..scope.sources.len()) {
                Ok(Some(k)) => return scope.sources[k].qualifier.clone(),
                Ok(None) => continue,
                Err(()) => return None,
            }
        }
        None
    }
}

/// The expression of the output column an `ORDER BY` or `GROUP BY` item names by
/// position (`2`) or, with `aliases`, by alias.
fn named_output(e: &Expr, projection: &[SelectItem], aliases: bool) -> Option<Expr> {
    let item = match e {
        Expr::Value(v) => match &v.value {
            Value::Number(n, _) => {
                let n: usize = n.parse().ok()?;
                projection.get(n.checked_sub(1)?)?
            }
            _ => return None,
        },
        Expr::Identifier(i) if aliases => projection.iter().find(|item| {
            matches!(item, SelectItem::ExprWithAlias { alias, .. }
                if alias.value.eq_ignore_ascii_case(&i.value))
        })?,
        _ => return None,
    };
    if let Expr::Value(_) = e
        && projection.iter().any(|i| {
            matches!(
                i,
                SelectItem::Wildcard(_) | SelectItem::QualifiedWildcard(..)
            )
        })
    {
        return None;
    }
    match item {
        SelectItem::UnnamedExpr(e) | SelectItem::ExprWithAlias { expr: e, .. } => Some(e.clone()),
        _ => None,
    }
}

impl VisitorMut for Resolver<'_> {
    type Break = ();

    fn pre_visit_query(&mut self, query: &mut Query) -> ControlFlow<()> {
        let ctes = query
            .with
            .as_ref()
            .map(|with| {
                with.cte_tables
                    .iter()
                    .map(|cte| {
                        let columns = if cte.alias.columns.is_empty() {
                            output_columns(&cte.query)
                        } else {
                            Some(
                                cte.alias
                                    .columns
                                    .iter()
                                    .map(|c| c.name.value.to_lowercase())
                                    .collect(),
                            )
                        };
                        (cte.alias.name.value.to_lowercase(), columns)
                    })
                    .collect()
            })
            .unwrap_or_default();
        self.ctes.push(ctes);
        let mut order_by = query.order_by.take();
        if let Some(OrderBy {
            kind: OrderByKind::Expressions(items),
            ..
        }) = &mut order_by
            && let SetExpr::Select(select) = query.body.as_ref()
        {
            // The `ORDER BY` of one `SELECT` reads its output columns' names and
            // positions first, then its `FROM`; a `UNION`'s names the output.
            let scope = self.scope_of(select);
            self.scopes.push(scope);
            for item in items.iter_mut() {
                if let Some(e) = named_output(&item.expr, &select.projection, true) {
                    item.expr = e;
                }
                let _ = VisitMut::visit(&mut item.expr, self);
            }
            self.scopes.pop();
        }
        self.order_bys.push(order_by);
        ControlFlow::Continue(())
    }

    fn post_visit_query(&mut self, query: &mut Query) -> ControlFlow<()> {
        query.order_by = self.order_bys.pop().flatten();
        self.ctes.pop();
        ControlFlow::Continue(())
    }

    fn pre_visit_select(&mut self, select: &mut Select) -> ControlFlow<()> {
        if let GroupByExpr::Expressions(exprs, _) = &mut select.group_by {
            for e in exprs.iter_mut() {
                if let Some(named) = named_output(e, &select.projection, false) {
                    *e = named;
                }
            }
        }
        let scope = self.scope_of(select);
        self.scopes.push(scope);
        ControlFlow::Continue(())
    }

    fn post_visit_select(&mut self, select: &mut Select) -> ControlFlow<()> {
        let scope = self.scopes.pop().unwrap_or_default();
        if self.dialect == Dialect::Mysql {
            using_as_on(select, &scope);
        }
        ControlFlow::Continue(())
    }

    fn pre_visit_expr(&mut self, e: &mut Expr) -> ControlFlow<()> {
        if let Expr::Identifier(name) = e
            && let Some(mut qualifier) = self.qualifier(name)
        {
            if self.dialect == Dialect::Mysql {
                qualifier = Ident::new(qualifier.value.to_lowercase());
            }
            *e = Expr::CompoundIdentifier(vec![qualifier, name.clone()]);
        }
        ControlFlow::Continue(())
    }
}

/// MySQL stores `a JOIN b USING (c)` as `a JOIN b ON (a.c = b.c)`: the same for a
/// `JOIN` or `LEFT JOIN` whose tables are told (a `RIGHT JOIN` it turns around).
fn using_as_on(select: &mut Select, scope: &Scope) {
    let mut at = 0;
    for from in &mut select.from {
        if !matches!(from.relation, TableFactor::NestedJoin { .. }) {
            at += 1;
        } else {
            // The sources of a join tree in parentheses: not counted here.
            return;
        }
        for join in &mut from.joins {
            let right = match &join.relation {
                TableFactor::Table { .. } | TableFactor::Derived { .. } => at,
                _ => return,
            };
            at += 1;
            let left_join = matches!(
                join.join_operator,
                JoinOperator::Join(_)
                    | JoinOperator::Inner(_)
                    | JoinOperator::Left(_)
                    | JoinOperator::LeftOuter(_)
            );
            let Some(JoinConstraint::Using(names)) =
                crate::view::join_constraint(&join.join_operator)
            else {
                continue;
            };
            if !left_join {
                continue;
            }
            let Some(r) = scope.sources.get(right).and_then(|s| s.qualifier.clone()) else {
                continue;
            };
            let mut on: Option<Expr> = None;
            for n in names {
                let Some(name) = n.0.last().and_then(|p| p.as_ident()) else {
                    return;
                };
                let lower = name.value.to_lowercase();
                let Some(l) = scope
                    .find(&lower, 0..right)
                    .ok()
                    .flatten()
                    .and_then(|k| scope.sources[k].qualifier.clone())
                else {
                    return;
                };
                let eq = Expr::BinaryOp {
                    left: Box::new(Expr::CompoundIdentifier(vec![
                        Ident::new(l.value.to_lowercase()),
                        Ident::new(lower.clone()),
                    ])),
                    op: BinaryOperator::Eq,
                    right: Box::new(Expr::CompoundIdentifier(vec![
                        Ident::new(r.value.to_lowercase()),
                        Ident::new(lower),
                    ])),
                };
                on = Some(match on {
                    None => eq,
                    Some(before) => Expr::BinaryOp {
                        left: Box::new(before),
                        op: BinaryOperator::And,
                        right: Box::new(eq),
                    },
                });
            }
            if let (Some(on), Some(c)) = (on, join_constraint_mut(&mut join.join_operator)) {
                *c = JoinConstraint::On(on);
            }
        }
    }
}

fn join_constraint_mut(op: &mut JoinOperator) -> Option<&mut JoinConstraint> {
    match op {
        JoinOperator::Join(c)
        | JoinOperator::Inner(c)
        | JoinOperator::Left(c)
        | JoinOperator::LeftOuter(c)
        | JoinOperator::Right(c)
        | JoinOperator::RightOuter(c)
        | JoinOperator::FullOuter(c) => Some(c),
        _ => None,
    }
}

/// What the servers print one way and a file may write another, for every dialect:
/// `ASC`, `INNER JOIN`, `LEFT OUTER JOIN`, and the aliases of the later `SELECT`s of
/// a `UNION`.
struct Tidy(Dialect);

impl VisitorMut for Tidy {
    type Break = ();

    fn pre_visit_query(&mut self, query: &mut Query) -> ControlFlow<()> {
        if let Some(OrderBy {
            kind: OrderByKind::Expressions(items),
            ..
        }) = &mut query.order_by
        {
            for item in items {
                if matches!(item.options.sort, Some(OrderBySort::Asc)) {
                    item.options.sort = None;
                }
            }
        }
        if let SetExpr::SetOperation { right, .. } = query.body.as_mut() {
            unalias(right);
        }
        ControlFlow::Continue(())
    }

    fn pre_visit_table_factor(&mut self, factor: &mut TableFactor) -> ControlFlow<()> {
        if let TableFactor::Table {
            alias: Some(alias), ..
        }
        | TableFactor::Derived {
            alias: Some(alias), ..
        } = factor
        {
            alias.explicit = false;
        }
        ControlFlow::Continue(())
    }

    fn pre_visit_select(&mut self, select: &mut Select) -> ControlFlow<()> {
        for from in &mut select.from {
            for join in &mut from.joins {
                let op = std::mem::replace(&mut join.join_operator, JoinOperator::CrossApply);
                join.join_operator = match op {
                    JoinOperator::Inner(c) => JoinOperator::Join(c),
                    JoinOperator::LeftOuter(c) => JoinOperator::Left(c),
                    JoinOperator::RightOuter(c) => JoinOperator::Right(c),
                    JoinOperator::CrossJoin(JoinConstraint::None) if self.0 == Dialect::Mysql => {
                        JoinOperator::Join(JoinConstraint::None)
                    }
                    other => other,
                };
            }
        }
        ControlFlow::Continue(())
    }

    fn pre_visit_expr(&mut self, e: &mut Expr) -> ControlFlow<()> {
        // PostgreSQL keeps `a BETWEEN x AND y` as `a >= x AND a <= y`, and `NOT
        // BETWEEN` as `a < x OR a > y`.
        if self.0 == Dialect::Postgres
            && let Expr::Between {
                expr,
                negated,
                low,
                high,
            } = e
        {
            let (lower, upper, join) = match negated {
                false => (
                    BinaryOperator::GtEq,
                    BinaryOperator::LtEq,
                    BinaryOperator::And,
                ),
                true => (BinaryOperator::Lt, BinaryOperator::Gt, BinaryOperator::Or),
            };
            let compare = |op, bound: &Expr| Expr::BinaryOp {
                left: expr.clone(),
                op,
                right: Box::new(bound.clone()),
            };
            *e = Expr::Nested(Box::new(Expr::BinaryOp {
                left: Box::new(compare(lower, low)),
                op: join,
                right: Box::new(compare(upper, high)),
            }));
        }
        if let Expr::Function(f) = e
            && let FunctionArguments::List(list) = &mut f.args
        {
            for clause in &mut list.clauses {
                if let sqlparser::ast::FunctionArgumentClause::OrderBy(items) = clause {
                    for item in items {
                        if matches!(item.options.sort, Some(OrderBySort::Asc)) {
                            item.options.sort = None;
                        }
                    }
                }
            }
        }
        ControlFlow::Continue(())
    }
}

/// The aliases of every `SELECT` of `body` taken off: the later `SELECT`s of a
/// `UNION` do not name its columns.
fn unalias(body: &mut SetExpr) {
    match body {
        SetExpr::Select(select) => {
            for item in &mut select.projection {
                if let SelectItem::ExprWithAlias { expr, .. } = item {
                    let e = std::mem::replace(expr, Expr::value(Value::Null));
                    *item = SelectItem::UnnamedExpr(e);
                }
            }
        }
        SetExpr::SetOperation { left, right, .. } => {
            unalias(left);
            unalias(right);
        }
        _ => {}
    }
}

/// MySQL's stored query read in the spelling of a file (see the module
/// documentation).
#[derive(Default)]
struct MysqlForm {
    /// Inside a table's name, whose case MySQL may tell apart.
    in_relation: bool,
}

impl VisitorMut for MysqlForm {
    type Break = ();

    fn pre_visit_relation(&mut self, name: &mut ObjectName) -> ControlFlow<()> {
        if name.0.len() == 2 {
            name.0.remove(0);
        }
        self.in_relation = true;
        ControlFlow::Continue(())
    }

    fn post_visit_relation(&mut self, _: &mut ObjectName) -> ControlFlow<()> {
        self.in_relation = false;
        ControlFlow::Continue(())
    }

    fn pre_visit_ident(&mut self, i: &mut Ident) -> ControlFlow<()> {
        let value = if self.in_relation {
            i.value.clone()
        } else {
            i.value.to_lowercase()
        };
        *i = Ident::new(value);
        ControlFlow::Continue(())
    }

    fn pre_visit_query(&mut self, query: &mut Query) -> ControlFlow<()> {
        if let Some(LimitClause::OffsetCommaLimit { offset, limit }) = &query.limit_clause {
            query.limit_clause = Some(LimitClause::LimitOffset {
                limit: Some(limit.clone()),
                offset: Some(Offset {
                    value: offset.clone(),
                    rows: OffsetRows::None,
                }),
                limit_by: Vec::new(),
            });
        }
        ControlFlow::Continue(())
    }

    fn pre_visit_select(&mut self, select: &mut Select) -> ControlFlow<()> {
        // `FROM a, b` is `a JOIN b` (MySQL's join without a condition).
        if select.from.len() > 1 {
            let mut items = std::mem::take(&mut select.from).into_iter();
            let mut first = items.next().expect("more than one");
            for item in items {
                first.joins.push(Join {
                    relation: item.relation,
                    global: false,
                    join_operator: JoinOperator::Join(JoinConstraint::None),
                });
                first.joins.extend(item.joins);
            }
            select.from = vec![first];
        }
        ControlFlow::Continue(())
    }

    fn pre_visit_expr(&mut self, e: &mut Expr) -> ControlFlow<()> {
        match e {
            Expr::CompoundIdentifier(parts) if parts.len() == 3 => {
                parts.remove(0);
            }
            Expr::Value(v) => match &v.value {
                Value::DoubleQuotedString(s) => v.value = Value::SingleQuotedString(s.clone()),
                Value::Boolean(b) => {
                    v.value = Value::Number(if *b { "1" } else { "0" }.into(), false)
                }
                _ => {}
            },
            Expr::Exists { subquery, .. } => {
                if let Some(LimitClause::LimitOffset {
                    limit: Some(Expr::Value(v)),
                    offset: None,
                    limit_by,
                }) = &subquery.limit_clause
                    && limit_by.is_empty()
                    && matches!(&v.value, Value::Number(n, _) if n == "1")
                {
                    subquery.limit_clause = None;
                }
            }
            Expr::Function(f) if date_arithmetic(f).is_some() => {
                if let Some(sum) = date_arithmetic(f) {
                    *e = sum;
                }
            }
            Expr::Function(f) => {
                let count = f
                    .name
                    .0
                    .last()
                    .and_then(|p| p.as_ident())
                    .is_some_and(|i| i.value.eq_ignore_ascii_case("count"));
                if count
                    && let FunctionArguments::List(list) = &mut f.args
                    && list.duplicate_treatment.is_none()
                    && let [FunctionArg::Unnamed(FunctionArgExpr::Expr(Expr::Value(v)))] =
                        list.args.as_slice()
                    && matches!(&v.value, Value::Number(n, _) if n == "0")
                {
                    list.args = vec![FunctionArg::Unnamed(FunctionArgExpr::Wildcard)];
                }
            }
            Expr::UnaryOp {
                op: UnaryOperator::Not | UnaryOperator::BangNot,
                expr,
            } => {
                let mut inner = expr.as_ref();
                while let Expr::Nested(n) = inner {
                    inner = n;
                }
                let negated = match inner {
                    Expr::BinaryOp { left, op, right } => {
                        let op = match op {
                            BinaryOperator::Eq => BinaryOperator::NotEq,
                            BinaryOperator::NotEq => BinaryOperator::Eq,
                            BinaryOperator::Lt => BinaryOperator::GtEq,
                            BinaryOperator::LtEq => BinaryOperator::Gt,
                            BinaryOperator::Gt => BinaryOperator::LtEq,
                            BinaryOperator::GtEq => BinaryOperator::Lt,
                            _ => return ControlFlow::Continue(()),
                        };
                        Expr::BinaryOp {
                            left: left.clone(),
                            op,
                            right: right.clone(),
                        }
                    }
                    Expr::InSubquery {
                        expr,
                        subquery,
                        negated,
                    } => Expr::InSubquery {
                        expr: expr.clone(),
                        subquery: subquery.clone(),
                        negated: !negated,
                    },
                    Expr::InList {
                        expr,
                        list,
                        negated,
                    } => Expr::InList {
                        expr: expr.clone(),
                        list: list.clone(),
                        negated: !negated,
                    },
                    _ => return ControlFlow::Continue(()),
                };
                *e = negated;
            }
            _ => {}
        }
        ControlFlow::Continue(())
    }
}

/// `date_add(d, INTERVAL n unit)` as `d + INTERVAL n unit` and `date_sub` as `-`,
/// as MySQL stores them; `None` for another call.
fn date_arithmetic(f: &sqlparser::ast::Function) -> Option<Expr> {
    let name = f.name.0.last()?.as_ident()?.value.to_lowercase();
    let op = match name.as_str() {
        "date_add" | "adddate" => BinaryOperator::Plus,
        "date_sub" | "subdate" => BinaryOperator::Minus,
        _ => return None,
    };
    let FunctionArguments::List(list) = &f.args else {
        return None;
    };
    let [
        FunctionArg::Unnamed(FunctionArgExpr::Expr(date)),
        FunctionArg::Unnamed(FunctionArgExpr::Expr(interval @ Expr::Interval(_))),
    ] = list.args.as_slice()
    else {
        return None;
    };
    if list.duplicate_treatment.is_some() || !list.clauses.is_empty() {
        return None;
    }
    Some(Expr::BinaryOp {
        left: Box::new(date.clone()),
        op,
        right: Box::new(interval.clone()),
    })
}

#[cfg(test)]
mod tests;
