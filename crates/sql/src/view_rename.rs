//! A view's query following a table or column it reads being renamed, as PostgreSQL
//! and SQLite (3.25+) rewrite the query they store ([`View::follow_rename`]).
//!
//! The query as written is parsed, the identifiers that name the renamed table or
//! column are found in the tree, and only those are replaced in the text, by their
//! positions, as SQLite edits the text it keeps: strings, comments and the rest of
//! the spelling stay. Where the text cannot tell for sure which relation a name
//! belongs to, the rewrite fails rather than guess, naming why.
//!
//! - A table: every `FROM`/`JOIN` entry naming it (bare or qualified with the
//!   database's own schema, `public` or `main`) and every column or `*` qualified
//!   with its name. SQLite writes the new name quoted (`"r0"`), as here.
//! - A column: a reference qualified with the table's name or alias; an unqualified
//!   one when every other relation of the query is a table that has no column of that
//!   name (so the name can only be the renamed table's). PostgreSQL keeps the view's
//!   output column under its old name: a select-list item renamed there gets
//!   `AS old` (what `pg_get_viewdef` prints). SQLite renames the output column too.

use std::ops::ControlFlow;

use sqlparser::ast::{
    Expr, Ident, JoinConstraint, ObjectName, Query, SelectItem, SelectItemQualifiedWildcardKind,
    SetExpr, TableFactor, Visit, Visitor,
};
use sqlparser::parser::Parser;
use wildebeest_schema::{Renamed, Schema, View};

use crate::Dialect;
use crate::lex;

/// [`View::follow_rename`] for views read in `dialect`: PostgreSQL and SQLite rewrite,
/// MySQL does not.
pub(crate) fn follower(dialect: Dialect) -> Option<wildebeest_schema::FollowRename> {
    match dialect {
        Dialect::Postgres => Some(follow_postgres),
        Dialect::Sqlite => Some(follow_sqlite),
        Dialect::Mysql => None,
    }
}

fn follow_postgres(view: &View, renamed: Renamed<'_>, schema: &Schema) -> Result<View, String> {
    follow(view, renamed, schema, Dialect::Postgres)
}

fn follow_sqlite(view: &View, renamed: Renamed<'_>, schema: &Schema) -> Result<View, String> {
    follow(view, renamed, schema, Dialect::Sqlite)
}

/// The view with its query rewritten for `renamed`, read again in `dialect`.
fn follow(
    view: &View,
    renamed: Renamed<'_>,
    schema: &Schema,
    dialect: Dialect,
) -> Result<View, String> {
    let text = view.definition.as_str();
    let edits = lex::with_stack(|| {
        let query = Parser::new(lex::sql_dialect(dialect))
            .try_with_sql(text)
            .and_then(|mut p| p.parse_query())
            .map_err(|e| format!("its query does not parse: {e}"))?;
        edits(&query, text, view, renamed, schema, dialect)
    })
    .ok_or("its query nests too deeply")??;
    if edits.is_empty() {
        return Ok(view.clone());
    }
    let definition = splice(text, edits)?;
    let mut out = crate::view::view_from_catalog(
        &view.name,
        view.columns.clone(),
        &definition,
        view.check_option,
        dialect,
    );
    out.definition = definition;
    Ok(out)
}

/// One replacement: the byte range of `text` and what goes there.
type Edit = (usize, usize, String);

fn splice(text: &str, mut edits: Vec<Edit>) -> Result<String, String> {
    edits.sort_by_key(|e| (e.0, e.1));
    edits.dedup();
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for (start, end, with) in edits {
        if start < at || end > text.len() {
            return Err("two names of its query overlap".into());
        }
        out.push_str(&text[at..start]);
        out.push_str(&with);
        at = end;
    }
    out.push_str(&text[at..]);
    Ok(out)
}

/// Everything of the query the rewrite looks at, gathered in one walk.
#[derive(Default)]
struct Gathered {
    /// `FROM`/`JOIN` entries naming a table, view or CTE, with their aliases.
    relations: Vec<(ObjectName, Option<Ident>)>,
    /// A derived table, table function or the like: a relation whose columns the
    /// text does not tell.
    opaque_source: bool,
    ctes: Vec<Ident>,
    /// Column references (`a`, `t.a`), in the order met.
    columns: Vec<Vec<Ident>>,
    /// `t.*` qualifiers.
    qualified_wildcards: Vec<ObjectName>,
    wildcard: bool,
    natural: bool,
    using: Vec<Ident>,
    /// Names given to select-list items (`x AS a`).
    aliases: Vec<Ident>,
    /// Unnamed select-list items of the view's own output (the top query's selects).
    outputs: Vec<Vec<Ident>>,
}

impl Visitor for Gathered {
    type Break = ();

    fn pre_visit_query(&mut self, query: &Query) -> ControlFlow<()> {
        if let Some(with) = &query.with {
            self.ctes
                .extend(with.cte_tables.iter().map(|c| c.alias.name.clone()));
        }
        self.select_items(&query.body);
        ControlFlow::Continue(())
    }

    fn pre_visit_table_factor(&mut self, factor: &TableFactor) -> ControlFlow<()> {
        match factor {
            TableFactor::Table {
                name,
                alias,
                args: None,
                ..
            } => self
                .relations
                .push((name.clone(), alias.as_ref().map(|a| a.name.clone()))),
            // Nested joins are walked into; their tables come as entries of their own.
            TableFactor::NestedJoin { .. } => {}
            _ => self.opaque_source = true,
        }
        ControlFlow::Continue(())
    }

    fn pre_visit_expr(&mut self, expr: &Expr) -> ControlFlow<()> {
        match expr {
            Expr::Identifier(i) => self.columns.push(vec![i.clone()]),
            Expr::CompoundIdentifier(parts) => self.columns.push(parts.clone()),
            _ => {}
        }
        ControlFlow::Continue(())
    }
}

impl Gathered {
    fn select_items(&mut self, body: &SetExpr) {
        match body {
            SetExpr::Select(select) => {
                for item in &select.projection {
                    match item {
                        SelectItem::Wildcard(_) => self.wildcard = true,
                        SelectItem::QualifiedWildcard(kind, _) => match kind {
                            SelectItemQualifiedWildcardKind::ObjectName(n) => {
                                self.qualified_wildcards.push(n.clone())
                            }
                            SelectItemQualifiedWildcardKind::Expr(_) => self.wildcard = true,
                        },
                        SelectItem::ExprWithAlias { alias, .. } => self.aliases.push(alias.clone()),
                        SelectItem::ExprWithAliases { aliases, .. } => {
                            self.aliases.extend(aliases.iter().cloned())
                        }
                        SelectItem::UnnamedExpr(_) => {}
                    }
                }
                for join in select.from.iter().flat_map(|f| &f.joins) {
                    match crate::view::join_constraint(&join.join_operator) {
                        Some(JoinConstraint::Natural) => self.natural = true,
                        Some(JoinConstraint::Using(names)) => self.using.extend(
                            names
                                .iter()
                                .filter_map(|n| n.0.last().and_then(|p| p.as_ident()).cloned()),
                        ),
                        _ => {}
                    }
                }
            }
            SetExpr::SetOperation { left, right, .. } => {
                self.select_items(left);
                self.select_items(right);
            }
            SetExpr::Query(q) => self.select_items(&q.body),
            _ => {}
        }
    }
}

/// The unnamed column items of the view's own select lists (each branch of a set
/// operation), which name the view's output columns.
fn outputs(body: &SetExpr, out: &mut Vec<Vec<Ident>>) {
    match body {
        SetExpr::Select(select) => {
            for item in &select.projection {
                match item {
                    SelectItem::UnnamedExpr(Expr::Identifier(i)) => out.push(vec![i.clone()]),
                    SelectItem::UnnamedExpr(Expr::CompoundIdentifier(p)) => out.push(p.clone()),
                    _ => {}
                }
            }
        }
        SetExpr::SetOperation { left, right, .. } => {
            outputs(left, out);
            outputs(right, out);
        }
        SetExpr::Query(q) => outputs(&q.body, out),
        _ => {}
    }
}

/// The name identifier `i` stands for, in the form names compare in `dialect`: a
/// quoted one as written; an unquoted one folded as PostgreSQL folds it (lower case);
/// on SQLite, which compares names ignoring case, every name in lower case.
fn key(i: &Ident, dialect: Dialect) -> String {
    match (i.quote_style, dialect) {
        (_, Dialect::Sqlite) => i.value.to_lowercase(),
        (Some(_), _) => i.value.clone(),
        (None, _) => i.value.to_lowercase(),
    }
}

/// Whether identifier `i` names the model's `name`.
fn names(i: &Ident, name: &str, dialect: Dialect) -> bool {
    match dialect {
        Dialect::Sqlite => key(i, dialect) == name.to_lowercase(),
        _ => key(i, dialect) == name,
    }
}

/// Whether `q` is the database's own schema as a qualifier (`public`, `main`).
fn own_schema(q: &Ident, dialect: Dialect) -> bool {
    match dialect {
        Dialect::Postgres => names(q, "public", dialect),
        _ => q.value.eq_ignore_ascii_case("main"),
    }
}

/// The identifiers of an object name (function-call parts make it `None`).
fn idents(name: &ObjectName) -> Option<Vec<&Ident>> {
    name.0.iter().map(|p| p.as_ident()).collect()
}

/// Whether the relation `name` is the table `table`: its last part names it, bare or
/// qualified with the database's own schema. `Err` when another schema's table of
/// that name is read (the rewrite cannot tell which one the rename meant).
fn is_table(name: &ObjectName, table: &str, dialect: Dialect) -> Result<bool, String> {
    let Some(parts) = idents(name) else {
        return Ok(false);
    };
    match parts.as_slice() {
        [t] => Ok(names(t, table, dialect)),
        [q, t] if own_schema(q, dialect) => Ok(names(t, table, dialect)),
        [.., t] if names(t, table, dialect) => Err(format!(
            "it reads `{name}`, a table of that name qualified with a schema"
        )),
        _ => Ok(false),
    }
}

/// `name` as the database writes a name it puts in a view's query: SQLite quotes a
/// renamed table always, and a column where the old name was quoted or the new one
/// must be; PostgreSQL's stored query keeps no spelling, so any correct one does.
fn render(name: &str, was_quoted: bool, table: bool, dialect: Dialect) -> String {
    let quoted = format!("\"{}\"", name.replace('"', "\"\""));
    match dialect {
        Dialect::Sqlite if table || was_quoted || !plain(name) => quoted,
        Dialect::Sqlite => name.to_string(),
        _ => crate::quote_ident(name, dialect),
    }
}

fn plain(s: &str) -> bool {
    let mut chars = s.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// The byte range of identifier `i` in `text`.
fn range(text: &str, i: &Ident) -> Result<(usize, usize), String> {
    let (s, e) = (i.span.start, i.span.end);
    if s.line == 0 || e.line == 0 {
        return Err(format!("the position of `{i}` in its query is not known"));
    }
    let start = crate::view::byte_at(text, s.line, s.column);
    let end = crate::view::byte_at(text, e.line, e.column);
    if start >= end || text.get(start..end).is_none() {
        return Err(format!("the position of `{i}` in its query is not known"));
    }
    Ok((start, end))
}

fn edits(
    query: &Query,
    text: &str,
    view: &View,
    renamed: Renamed<'_>,
    schema: &Schema,
    dialect: Dialect,
) -> Result<Vec<Edit>, String> {
    let mut g = Gathered::default();
    let _ = query.visit(&mut g);
    outputs(&query.body, &mut g.outputs);
    let table = match renamed {
        Renamed::Table { from, .. } | Renamed::Column { table: from, .. } => from,
    };
    if let Some(c) = g.ctes.iter().find(|c| names(c, table, dialect)) {
        return Err(format!(
            "a common table expression of it is called `{}` too",
            c.value
        ));
    }
    // The relations that are the table, and the names the others go by.
    let mut ours = Vec::new();
    let mut others = Vec::new();
    for (name, alias) in &g.relations {
        if is_table(name, table, dialect)? {
            ours.push((name, alias));
        } else {
            others.push((name, alias));
        }
    }
    if ours.is_empty() {
        return Ok(Vec::new());
    }
    // What a qualifier `q.` names: the table (by its name where it has no alias, or
    // an alias of it) or another relation. Both, in different parts of the query, is
    // more than the text tells.
    // What a qualifier `q.` names: the table (by its name where it has no alias, or
    // by an alias of it) or another relation. Both, in different parts of the query,
    // is more than the text tells.
    let goes_by = |q: &Ident, (n, a): &(&ObjectName, &Option<Ident>)| match a {
        Some(a) => key(q, dialect) == key(a, dialect),
        None => idents(n)
            .and_then(|p| p.last().copied())
            .is_some_and(|l| key(q, dialect) == key(l, dialect)),
    };
    let qualifies_ours = |q: &Ident| -> Result<bool, String> {
        let ours_q = ours.iter().any(|r| goes_by(q, r));
        if ours_q && others.iter().any(|r| goes_by(q, r)) {
            return Err(format!(
                "`{q}` qualifies names of the renamed table and of another relation"
            ));
        }
        Ok(ours_q)
    };
    let mut out = Vec::new();
    match renamed {
        Renamed::Table { to, .. } => {
            let new = render(to, true, true, dialect);
            // An alias with the table's name would make `table.` mean two things.
            if let Some(a) = g
                .relations
                .iter()
                .filter_map(|(_, a)| a.as_ref())
                .find(|a| names(a, table, dialect))
            {
                return Err(format!("it calls a relation `{}`", a.value));
            }
            for (name, _) in &ours {
                let Some(parts) = idents(name) else { continue };
                let (s, e) = range(text, parts[parts.len() - 1])?;
                out.push((s, e, new.clone()));
            }
            let qualifier_of_table =
                |q: &Ident| names(q, table, dialect) && ours.iter().any(|(_, a)| a.is_none());
            let mut qualifiers: Vec<&Ident> = Vec::new();
            for parts in &g.columns {
                match parts.as_slice() {
                    [q, _] => qualifiers.push(q),
                    [s, q, _] if own_schema(s, dialect) => qualifiers.push(q),
                    _ => {}
                }
            }
            for name in &g.qualified_wildcards {
                if let Some(parts) = idents(name) {
                    match parts.as_slice() {
                        [q] => qualifiers.push(q),
                        [s, q] if own_schema(s, dialect) => qualifiers.push(q),
                        _ => {}
                    }
                }
            }
            for q in qualifiers.into_iter().filter(|q| qualifier_of_table(q)) {
                let (s, e) = range(text, q)?;
                out.push((s, e, new.clone()));
            }
        }
        Renamed::Column { from, to, .. } => {
            let col = |i: &Ident| i.value.eq_ignore_ascii_case(from);
            if g.natural {
                return Err("it has a `NATURAL JOIN`, whose columns the rename changes".into());
            }
            if g.using.iter().any(col) {
                return Err(format!("it joins `USING ({from})`"));
            }
            let star = g.wildcard
                || g.qualified_wildcards
                    .iter()
                    .filter_map(idents)
                    .any(|p| p.last().is_some_and(|q| qualifies_ours(q).unwrap_or(true)));
            if dialect == Dialect::Postgres && star {
                return Err(format!(
                    "it reads the column through `*`, and PostgreSQL keeps the view's \
                     column under the name `{from}`, which the query cannot say"
                ));
            }
            let mut renamed_refs: Vec<&Ident> = Vec::new();
            for parts in &g.columns {
                match parts.as_slice() {
                    [c] if col(c) => {
                        if g.opaque_source || !g.ctes.is_empty() {
                            return Err(format!(
                                "it names `{}` unqualified beside a subquery or common \
                                 table expression that may have such a column",
                                c.value
                            ));
                        }
                        if let Some((n, _)) = others.iter().find(|(n, _)| {
                            let name = idents(n).and_then(|p| p.last().map(|l| l.value.clone()));
                            match name.and_then(|n| schema.table(&n)) {
                                Some(t) => {
                                    t.columns.iter().any(|c| c.name.eq_ignore_ascii_case(from))
                                }
                                None => true,
                            }
                        }) {
                            return Err(format!(
                                "it names `{}` unqualified, and `{n}` may have a column of \
                                 that name",
                                c.value
                            ));
                        }
                        if g.aliases.iter().any(col)
                            || view.columns.iter().any(|v| v.eq_ignore_ascii_case(from))
                        {
                            return Err(format!(
                                "it names `{}` unqualified and also calls an output column so",
                                c.value
                            ));
                        }
                        renamed_refs.push(c);
                    }
                    [q, c] if col(c) && qualifies_ours(q)? => renamed_refs.push(c),
                    [s, q, c] if col(c) && own_schema(s, dialect) && names(q, table, dialect) => {
                        renamed_refs.push(c)
                    }
                    _ => {}
                }
            }
            for c in &renamed_refs {
                let (s, e) = range(text, c)?;
                out.push((s, e, render(to, c.quote_style.is_some(), false, dialect)));
            }
            if dialect == Dialect::Postgres {
                for item in &g.outputs {
                    let Some(last) = item.last() else { continue };
                    if renamed_refs.iter().any(|r| r.span == last.span) {
                        let (_, e) = range(text, last)?;
                        let old = crate::quote_ident(&key(last, dialect), dialect);
                        out.push((e, e, format!(" AS {old}")));
                    }
                }
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests;
