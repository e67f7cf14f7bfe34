//! Ops as SQLite migration SQL, and the table rebuild that carries out what SQLite's
//! `ALTER TABLE` cannot.
//!
//! [`render_op`] writes what a generated migration file contains: one readable,
//! deterministic statement per step, in the wildebeest migration language for SQLite
//! (which, like PostgreSQL, has `ALTER COLUMN` and `ADD CONSTRAINT`). The runner parses
//! those statements back into the same ops; `plan` then decides per statement
//! whether SQLite runs it as written, as several statements, or as a `rebuild` of
//! the table.

use std::borrow::Cow;
use std::collections::BTreeMap;

use wildebeest_schema::{
    AlterAction, Change, Column, ColumnType, Constraint, ForeignKey, Index, Op, PrimaryKey, Schema,
    Table, View,
};
use wildebeest_sql::{Dialect, Statement};

use crate::types::{self, render_type};

/// An op that SQLite migration SQL cannot express, with what to do instead.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct RenderError {
    /// What cannot be expressed, and what to do instead.
    pub message: String,
}

impl RenderError {
    fn new(message: impl Into<String>) -> Self {
        RenderError {
            message: message.into(),
        }
    }
}

/// The statements (without a trailing `;`) of a migration file that carry out `op`.
/// `before` is the schema `op` applies to: dropping an unnamed constraint needs its
/// table to name it ([`Constraint::sql_name`]), and index parts need it to tell a
/// column from an expression.
///
/// Fails for what the migration language has no statement for: a change of a
/// column's collation or `AUTOINCREMENT`, an `AUTOINCREMENT` column that is not the
/// whole primary key, a table with parts the model does not capture.
///
/// SQLite has no enum types: an enum column is `TEXT`, the ops on enum types give no
/// statement, but for a renamed label, whose stored values are updated.
pub fn render_op(op: &Op, before: &Schema) -> Result<Vec<String>, RenderError> {
    if let Some(table) = op.mysql_partitioned_table() {
        return Err(RenderError::new(format!(
            "table `{table}` is partitioned the MySQL way (`PARTITION BY ...` with its \
             partitions listed in the table), which SQLite cannot make from a MySQL file; \
             write the table for SQLite by hand in a revision"
        )));
    }
    if let Some(table) = op.partitioned_table() {
        return Err(RenderError::new(format!(
            "table `{table}` is partitioned the PostgreSQL way (`PARTITION BY`, `PARTITION \
             OF`), which SQLite cannot make from a PostgreSQL file; write the table for \
             SQLite by hand in a revision"
        )));
    }
    Ok(match op {
        Op::CreateTable(table) => {
            let mut out = vec![create_table(table, &table.name)?];
            for index in &table.indexes {
                out.push(create_index(index, Some(table))?);
            }
            out
        }
        Op::DropTable(table) => vec![format!("DROP TABLE {}", quote_ident(&table.name))],
        // SQLite refuses a new name that differs only in case ("there is already
        // another table ... with this name"): through a name of its own.
        Op::RenameTable { from, to } if from != to && from.eq_ignore_ascii_case(to) => {
            let between = quote_ident(&format!("_wildebeest_rename_{to}"));
            vec![
                format!("ALTER TABLE {} RENAME TO {between}", quote_ident(from)),
                format!("ALTER TABLE {between} RENAME TO {}", quote_ident(to)),
            ]
        }
        Op::RenameTable { from, to } => {
            vec![format!(
                "ALTER TABLE {} RENAME TO {}",
                quote_ident(from),
                quote_ident(to)
            )]
        }
        Op::AddColumn { table, column } => {
            if column.auto_increment {
                return Err(RenderError::new(format!(
                    "column `{table}.{}` is AUTOINCREMENT, which only a primary key declared in CREATE TABLE can be",
                    column.name
                )));
            }
            vec![format!(
                "ALTER TABLE {} ADD COLUMN {}",
                quote_ident(table),
                column_def(column, None)
            )]
        }
        Op::DropColumn { table, column } => {
            vec![format!(
                "ALTER TABLE {} DROP COLUMN {}",
                quote_ident(table),
                quote_ident(&column.name)
            )]
        }
        Op::RenameColumn { table, from, to } => vec![format!(
            "ALTER TABLE {} RENAME COLUMN {} TO {}",
            quote_ident(table),
            quote_ident(from),
            quote_ident(to)
        )],
        Op::AlterColumn { table, from, to } => alter_column(table, from, to)?,
        Op::AddConstraint { table, constraint } => {
            vec![format!(
                "ALTER TABLE {} ADD {}",
                quote_ident(table),
                constraint_def(constraint)
            )]
        }
        Op::DropConstraint { table, constraint } => {
            let Some(t) = before.table(table) else {
                return Err(RenderError::new(format!(
                    "cannot name the constraint {} to drop: table `{table}` is not in the schema",
                    constraint.describe()
                )));
            };
            vec![format!(
                "ALTER TABLE {} DROP CONSTRAINT {}",
                quote_ident(table),
                quote_ident(&constraint.sql_name(t))
            )]
        }
        // SQLite keeps a constraint's name only in its table's text, which a rebuild
        // writes anew: the constraint dropped and added under its new name.
        Op::RenameConstraint { table, from, to } => {
            let drop = Op::DropConstraint {
                table: table.clone(),
                constraint: from.clone(),
            };
            let mut after = before.clone();
            drop.apply(&mut after)
                .map_err(|e| RenderError::new(e.to_string()))?;
            let mut out = render_op(&drop, before)?;
            out.extend(render_op(
                &Op::AddConstraint {
                    table: table.clone(),
                    constraint: to.clone(),
                },
                &after,
            )?);
            out
        }
        // MySQL's storage options (character set, engine, comment): nothing here
        // keeps them (see `canonical`).
        Op::AlterTableOptions { .. } => Vec::new(),
        Op::CreateIndex(index) => vec![create_index(index, before.table(&index.table))?],
        Op::DropIndex(index) => vec![format!("DROP INDEX {}", quote_ident(&index.name))],
        // MySQL's visibility to the optimizer, refused by name before it gets here
        // (`Op::mysql_only_part`).
        Op::AlterIndex { from, .. } => {
            return Err(RenderError::new(format!(
                "index `{}` on `{}`: SQLite has no index hidden from the optimizer",
                from.name, from.table
            )));
        }
        // SQLite has no types: their columns are TEXT, which holds any label.
        Op::CreateEnum { .. }
        | Op::DropEnum { .. }
        | Op::AddEnumValue { .. }
        | Op::DropEnumValue { .. }
        | Op::RenameEnum { .. } => Vec::new(),
        Op::CreateView(v) | Op::DropView(v) | Op::ReplaceView { to: v, .. } if v.materialized => {
            return Err(RenderError::new(format!(
                "SQLite has no materialized views: materialized view `{}` is PostgreSQL's, and \
                 a migration that makes, changes or drops one runs on PostgreSQL only",
                v.name
            )));
        }
        Op::CreateView(v) => vec![create_view(v)?],
        Op::DropView(v) => vec![format!("DROP VIEW {}", quote_ident(&v.name))],
        // SQLite has no `CREATE OR REPLACE VIEW`: the view is dropped and made again.
        Op::ReplaceView { from, to } => vec![
            format!("DROP VIEW {}", quote_ident(&from.name)),
            create_view(to)?,
        ],
        Op::RenameView { from, .. } => {
            return Err(RenderError::new(format!(
                "SQLite cannot rename view `{from}`: drop it and create it under the new name"
            )));
        }
        Op::CreateSequence(s) | Op::DropSequence(s) | Op::AlterSequence { to: s, .. } => {
            return Err(no_sequences(&s.name));
        }
        Op::RenameSequence { from, .. } => return Err(no_sequences(from)),
        Op::CreateType(_) | Op::DropType(_) | Op::AlterComposite { .. } => {
            let (kind, name) = op.user_type().unwrap_or_default();
            return Err(RenderError::new(format!(
                "SQLite has no composite or range types: {kind} `{name}` is PostgreSQL's, and a \
                 migration that makes, changes or drops one runs on PostgreSQL only"
            )));
        }
        Op::CreateDomain(d) | Op::DropDomain(d) | Op::AlterDomain { to: d, .. } => {
            return Err(RenderError::new(format!(
                "SQLite has no domains: domain `{}` is PostgreSQL's, and a migration \
                 that makes, changes or drops one runs on PostgreSQL only",
                d.name
            )));
        }
        Op::SetComment { on, .. } => {
            return Err(RenderError::new(format!(
                "SQLite has no `COMMENT ON`: a comment on {} is PostgreSQL's, and a \
                 migration that sets one runs on PostgreSQL only",
                on.describe()
            )));
        }
        Op::CreateExtension(e) | Op::DropExtension(e) => {
            return Err(RenderError::new(format!(
                "SQLite has no extensions: extension `{}` is PostgreSQL's, and a \
                 migration that makes or drops one runs on PostgreSQL only",
                e.name
            )));
        }
        Op::CreateRoutine(r) | Op::DropRoutine(r) | Op::ReplaceRoutine { to: r, .. } => {
            return Err(RenderError::new(format!(
                "{} `{}` is {}: SQLite has no functions, procedures or events",
                r.kind.word(),
                r.signature(),
                if r.by_name { "MySQL's" } else { "PostgreSQL's" }
            )));
        }
        Op::CreateTrigger(t) | Op::DropTrigger(t) | Op::AlterTrigger { to: t, .. }
            if t.per_table() =>
        {
            return Err(RenderError::new(format!(
                "trigger `{}` on `{}` is PostgreSQL's: it runs a function, which SQLite has not",
                t.name, t.table
            )));
        }
        Op::AlterTrigger { to: t, .. } => {
            return Err(RenderError::new(format!(
                "trigger `{}`: `ENABLE`/`DISABLE TRIGGER` is PostgreSQL's",
                t.name
            )));
        }
        Op::RenameTrigger { from, table, .. } => {
            return Err(RenderError::new(format!(
                "trigger `{from}` on `{table}`: `ALTER TRIGGER ... RENAME TO` is PostgreSQL's"
            )));
        }
        Op::SetRowSecurity { table, .. } => {
            return Err(RenderError::new(format!(
                "table `{table}`: row-level security is PostgreSQL's; SQLite has none"
            )));
        }
        Op::CreatePolicy(p) | Op::DropPolicy(p) => {
            return Err(RenderError::new(format!(
                "policy `{}` on `{}` is PostgreSQL's row-level security; SQLite has none",
                p.name, p.table
            )));
        }
        Op::CreateRule(r) | Op::DropRule(r) => {
            return Err(RenderError::new(format!(
                "rule `{}` on `{}` is PostgreSQL's (`CREATE RULE`); SQLite has none",
                r.name, r.table
            )));
        }
        Op::CreateTrigger(t) => vec![t.create_sql(quote_ident)],
        Op::DropTrigger(t) => vec![format!("DROP TRIGGER {}", quote_ident(&t.name))],
        // PostgreSQL's stored values follow a renamed label; here they are text.
        Op::RenameEnumValue { name, from, to } => before
            .enum_users(name)
            .into_iter()
            .map(|(table, column)| {
                let c = quote_ident(&column);
                format!(
                    "UPDATE {} SET {c} = {} WHERE {c} = {}",
                    quote_ident(&table),
                    quote_literal(to),
                    quote_literal(from)
                )
            })
            .collect(),
    })
}

/// `CREATE VIEW`; SQLite has no `WITH CHECK OPTION`.
fn create_view(v: &View) -> Result<String, RenderError> {
    if v.check_option.is_some() {
        return Err(RenderError::new(format!(
            "view `{}`: SQLite has no `WITH CHECK OPTION`",
            v.name
        )));
    }
    Ok(v.create_sql("CREATE", quote_ident))
}

/// `ALTER TABLE t ALTER COLUMN c ..., ALTER COLUMN c ...` with one action per changed
/// property; nothing when nothing changed.
fn alter_column(table: &str, from: &Column, to: &Column) -> Result<Vec<String>, RenderError> {
    let col = quote_ident(&to.name);
    if from.collation != to.collation {
        return Err(RenderError::new(format!(
            "the migration language has no statement that changes the collation of `{table}.{}` ({} to {}); \
             write the table's rebuild by hand or drop and add the column",
            to.name,
            from.collation.as_deref().unwrap_or("none"),
            to.collation.as_deref().unwrap_or("none"),
        )));
    }
    if from.auto_increment != to.auto_increment {
        return Err(RenderError::new(format!(
            "the migration language has no statement that turns AUTOINCREMENT {} for `{table}.{}`; \
             write the table's rebuild by hand",
            if to.auto_increment { "on" } else { "off" },
            to.name
        )));
    }
    let mut actions = Vec::new();
    if from.ty != to.ty {
        let ty = declared_type(to);
        if ty.is_empty() {
            return Err(RenderError::new(format!(
                "the migration language has no statement that removes the type of `{table}.{}`",
                to.name
            )));
        }
        actions.push(format!("ALTER COLUMN {col} TYPE {ty}"));
    }
    if from.nullable != to.nullable {
        let verb = if to.nullable { "DROP" } else { "SET" };
        actions.push(format!("ALTER COLUMN {col} {verb} NOT NULL"));
    }
    if from.default != to.default {
        actions.push(match &to.default {
            Some(d) => format!("ALTER COLUMN {col} SET DEFAULT {d}"),
            None => format!("ALTER COLUMN {col} DROP DEFAULT"),
        });
    }
    if actions.is_empty() {
        return Ok(Vec::new());
    }
    Ok(vec![format!(
        "ALTER TABLE {} {}",
        quote_ident(table),
        actions.join(", ")
    )])
}

/// The multi-line `CREATE TABLE` for `table`, named `name` (the table's own name, or a
/// rebuild's temporary one).
/// The count of what `op` destroys on SQLite: the rows of a dropped table, the
/// non-null values of a dropped column, the values a type change's rebuild copy
/// stores differently (`types::conversion_query`; the guard asks only for a change
/// `types::data_loss_in` marks, so a `STRICT` table's `ANY` column, which keeps every
/// value, never gets here).
pub(crate) fn loss_query(op: &Op) -> Option<String> {
    let q = quote_ident;
    match op {
        Op::AlterColumn { table, from, to } => {
            types::conversion_query(table, &from.name, types::affinity(&to.ty, false))
        }
        Op::DropTable(t) => Some(format!("SELECT COUNT(*) FROM {}", q(&t.name))),
        Op::DropColumn { table, column } => Some(format!(
            "SELECT COUNT(*) FROM {} WHERE {} IS NOT NULL",
            q(table),
            q(&column.name)
        )),
        _ => None,
    }
}

pub(crate) fn create_table(table: &Table, name: &str) -> Result<String, RenderError> {
    if !table.unmodeled.is_empty() {
        return Err(RenderError::new(format!(
            "table `{}` has parts the model does not capture ({}); write its CREATE TABLE by hand",
            table.name,
            table.unmodeled.join("; ")
        )));
    }
    let inline_pk = inline_primary_key(table)?;
    let mut lines: Vec<String> = table
        .columns
        .iter()
        .map(|c| column_def(c, if c.auto_increment { inline_pk } else { None }))
        .collect();
    for constraint in table.constraints() {
        if matches!(constraint, Constraint::PrimaryKey(_)) && inline_pk.is_some() {
            continue;
        }
        lines.push(constraint_def(&constraint));
    }
    let mut options = Vec::new();
    if table.options.without_rowid {
        options.push("WITHOUT ROWID");
    }
    if table.options.strict {
        options.push("STRICT");
    }
    let options = if options.is_empty() {
        String::new()
    } else {
        format!(" {}", options.join(", "))
    };
    Ok(format!(
        "CREATE TABLE {} (\n    {}\n){options}",
        quote_ident(name),
        lines.join(",\n    ")
    ))
}

/// The primary key to write on the `AUTOINCREMENT` column, if the table has one.
/// SQLite allows `AUTOINCREMENT` only there, on the table's whole primary key.
fn inline_primary_key(table: &Table) -> Result<Option<&PrimaryKey>, RenderError> {
    let auto: Vec<&Column> = table.columns.iter().filter(|c| c.auto_increment).collect();
    let Some(first) = auto.first() else {
        return Ok(None);
    };
    match &table.primary_key {
        Some(pk) if auto.len() == 1 && pk.columns.len() == 1 && pk.columns[0] == first.name => {
            Ok(Some(pk))
        }
        _ => Err(RenderError::new(format!(
            "column `{}.{}` is AUTOINCREMENT but is not the table's whole primary key, which SQLite requires",
            table.name, first.name
        ))),
    }
}

/// `name TYPE [NOT NULL] [PRIMARY KEY AUTOINCREMENT] [DEFAULT x] [COLLATE c]
/// [GENERATED ALWAYS AS (expr) STORED|VIRTUAL]`.
pub(crate) fn column_def(col: &Column, inline_pk: Option<&PrimaryKey>) -> String {
    let mut out = quote_ident(&col.name);
    // SQLite takes AUTOINCREMENT on `INTEGER PRIMARY KEY` only (a 64-bit rowid): a
    // `BIGINT` or `SMALLINT` identity of another database's migration is that here.
    let ty = match (&col.ty, inline_pk) {
        (_, Some(_))
            if col
                .declared
                .text_for(&col.ty)
                .is_some_and(|d| d.eq_ignore_ascii_case("INTEGER")) =>
        {
            declared_type(col)
        }
        (ColumnType::SmallInt | ColumnType::BigInt, Some(_)) => render_type(&ColumnType::Integer),
        (_, Some(_)) => render_type(&col.ty),
        _ => declared_type(col),
    };
    if !ty.is_empty() {
        out.push(' ');
        out.push_str(&ty);
    }
    if !col.nullable {
        out.push_str(" NOT NULL");
    }
    if let Some(pk) = inline_pk {
        out.push(' ');
        out.push_str(&constraint_prefix(pk.name.as_deref()));
        out.push_str("PRIMARY KEY AUTOINCREMENT");
    }
    if let Some(d) = &col.default {
        out.push_str(" DEFAULT ");
        out.push_str(&default_sql(d));
    }
    if let Some(c) = &col.collation {
        out.push_str(" COLLATE ");
        out.push_str(&quote_ident(c));
    }
    if let Some(g) = &col.generated {
        out.push(' ');
        out.push_str(&g.clause());
    }
    out
}

/// The type to write for `col`: its declared text as SQLite keeps it, where the
/// column was read in SQLite's dialect ([`Column::declared`]), or else its type's
/// spelling ([`render_type`]).
fn declared_type(col: &Column) -> String {
    match col.declared.text_for(&col.ty) {
        Some(text) => text.to_string(),
        None => render_type(&col.ty),
    }
}

/// `CONSTRAINT name `, or nothing for an unnamed constraint.
fn constraint_prefix(name: Option<&str>) -> String {
    name.map(|n| format!("CONSTRAINT {} ", quote_ident(n)))
        .unwrap_or_default()
}

/// `REFERENCES t (a) [ON DELETE ..] [ON UPDATE ..]`.
fn references(fk: &ForeignKey) -> String {
    wildebeest_sql::render::references(fk, Dialect::Sqlite)
}

/// A table constraint as SQLite writes it (see `wildebeest_sql::render`).
pub(crate) fn constraint_def(c: &Constraint) -> String {
    wildebeest_sql::render::constraint_def(c, c.name(), Dialect::Sqlite)
}

/// `CREATE [UNIQUE] INDEX n ON t (a, b DESC)[ WHERE p]`. `table`, when known, tells
/// which parts are columns (quoted as identifiers) and which expressions (written as
/// they are).
pub(crate) fn create_index(index: &Index, table: Option<&Table>) -> Result<String, RenderError> {
    if !index.include.is_empty() || !index.storage.is_empty() {
        return Err(RenderError::new(format!(
            "index `{}` has PostgreSQL's `INCLUDE (...)` or storage parameters \
             (`WITH (...)`), which SQLite does not have; write the index by hand",
            index.name
        )));
    }
    if index.nulls_not_distinct {
        return Err(RenderError::new(format!(
            "index `{}` is NULLS NOT DISTINCT, which SQLite does not have (its unique \
             indexes take any number of NULLs); write the index by hand",
            index.name
        )));
    }
    let parts: Vec<String> = index.columns.iter().map(|p| index_part(p, table)).collect();
    let mut out = format!(
        "CREATE {}INDEX {} ON {} ({})",
        if index.unique { "UNIQUE " } else { "" },
        quote_ident(&index.name),
        quote_ident(&index.table),
        parts.join(", ")
    );
    if let Some(p) = &index.predicate {
        out.push_str(" WHERE ");
        out.push_str(p);
    }
    Ok(out)
}

/// One part of an index: a column (quoted when needed) or an expression, with its
/// ` DESC`.
fn index_part(part: &str, table: Option<&Table>) -> String {
    let (base, desc) = split_direction(part);
    let is_column = match table {
        Some(t) => t.column(base).is_some(),
        None => is_plain_word(base),
    };
    // A part that could not stand as an expression is a column's name the table did
    // not show (a column renamed or dropped later in the same migration): quoted, it
    // can only name a column, never end the statement.
    if is_column || !wildebeest_sql::is_enclosed(base, Dialect::Sqlite) {
        format!("{}{desc}", quote_ident(base))
    } else {
        part.to_string()
    }
}

/// An index part split into its column or expression and ` DESC`, ` ASC` or nothing.
fn split_direction(part: &str) -> (&str, &str) {
    for suffix in [" DESC", " ASC"] {
        let at = part.len().saturating_sub(suffix.len());
        if at > 0
            && part
                .get(at..)
                .is_some_and(|s| s.eq_ignore_ascii_case(suffix))
        {
            return part.split_at(at);
        }
    }
    (part, "")
}

/// A default as SQLite's column definition takes it: literals as they are, any other
/// expression in parentheses (`DEFAULT (datetime('now'))`).
pub(crate) fn default_sql(expr: &str) -> String {
    if wildebeest_sql::is_now(expr) {
        "CURRENT_TIMESTAMP".to_string()
    } else if is_literal(expr) {
        expr.to_string()
    } else {
        format!("({expr})")
    }
}

/// Whether `expr` is what SQLite allows after `DEFAULT` without parentheses: a
/// (signed) number, a string or blob literal, `NULL`, `TRUE`, `FALSE` or `CURRENT_*`.
pub(crate) fn is_literal(expr: &str) -> bool {
    is_constant_literal(expr) || is_current_keyword(expr)
}

/// `CURRENT_TIMESTAMP`, `CURRENT_DATE` or `CURRENT_TIME`: literals, but not constant
/// ones (`ALTER TABLE ADD COLUMN` refuses them).
pub(crate) fn is_current_keyword(expr: &str) -> bool {
    ["CURRENT_TIMESTAMP", "CURRENT_DATE", "CURRENT_TIME"]
        .iter()
        .any(|k| expr.eq_ignore_ascii_case(k))
}

/// A literal whose value does not depend on when it is evaluated.
pub(crate) fn is_constant_literal(expr: &str) -> bool {
    let e = expr.trim();
    if ["NULL", "TRUE", "FALSE"]
        .iter()
        .any(|k| e.eq_ignore_ascii_case(k))
    {
        return true;
    }
    if is_string_literal(e) {
        return true;
    }
    if let Some(rest) = e.strip_prefix(['x', 'X']) {
        return is_string_literal(rest)
            && rest[1..rest.len() - 1]
                .chars()
                .all(|c| c.is_ascii_hexdigit());
    }
    let unsigned = e.strip_prefix(['+', '-']).unwrap_or(e);
    if let Some(hex) = unsigned
        .strip_prefix("0x")
        .or_else(|| unsigned.strip_prefix("0X"))
    {
        return !hex.is_empty() && hex.chars().all(|c| c.is_ascii_hexdigit());
    }
    unsigned.starts_with(|c: char| c.is_ascii_digit() || c == '.')
        && unsigned
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '.' | 'e' | 'E' | '+' | '-'))
        && unsigned.parse::<f64>().is_ok()
}

/// `'...'` with every inner quote doubled.
fn is_string_literal(s: &str) -> bool {
    let Some(inner) = s.strip_prefix('\'').and_then(|r| r.strip_suffix('\'')) else {
        return false;
    };
    inner.replace("''", "").find('\'').is_none()
}

/// What a statement of a migration file becomes on SQLite: the statement itself when
/// SQLite runs it as written, or steps that do the same, and the tables rebuilt.
pub(crate) struct Plan {
    pub sql: Vec<String>,
    pub rebuilt_tables: Vec<String>,
}

/// Reads the triggers on a table: `(name, CREATE TRIGGER ...)`.
pub(crate) type Triggers<'a> = dyn Fn(&str) -> Result<Vec<(String, String)>, String> + 'a;

/// What planning needs to know beyond the model.
pub(crate) struct Context<'a> {
    /// The triggers on a table as the database will have them when this statement
    /// runs (after the statements planned before it in the run), `(name, CREATE
    /// TRIGGER ...)` in the order they were created; a rebuild drops them with the
    /// table and creates them again.
    pub triggers: &'a Triggers<'a>,
}

/// Plans one statement (see `Backend::plan`), given the schema after it.
#[cfg(test)]
pub(crate) fn plan(
    before: &Schema,
    after: &Schema,
    statement: &Statement,
    ops: &[Op],
    source: Dialect,
    cx: &Context<'_>,
) -> Result<Plan, String> {
    plan_with(
        before,
        &|| Ok(Cow::Borrowed(after)),
        statement,
        ops,
        source,
        cx,
    )
}

/// Plans one statement (see `Backend::plan`). The schema after it, which only a table
/// rebuild needs, is made (a copy of `before` with `ops` applied) only for a rebuild.
pub(crate) fn plan_ops(
    before: &Schema,
    statement: &Statement,
    ops: &[Op],
    source: Dialect,
    cx: &Context<'_>,
) -> Result<Plan, String> {
    let after = || -> Result<Cow<'_, Schema>, String> {
        let mut after = before.clone();
        for op in ops {
            op.apply(&mut after).map_err(|e| e.to_string())?;
        }
        Ok(Cow::Owned(after))
    };
    plan_with(before, &after, statement, ops, source, cx)
}

/// The schema after the statement, made on demand.
type After<'s> = dyn Fn() -> Result<Cow<'s, Schema>, String> + 's;

fn plan_with<'s>(
    before: &'s Schema,
    after: &After<'s>,
    statement: &Statement,
    ops: &[Op],
    source: Dialect,
    cx: &Context<'_>,
) -> Result<Plan, String> {
    let raw = || Plan {
        sql: vec![statement.text.clone()],
        rebuilt_tables: Vec::new(),
    };
    // A statement written for another database is rendered from its ops; one written
    // for SQLite runs as written.
    let foreign = source != Dialect::Sqlite && !ops.is_empty();
    let verbatim = || -> Plan {
        if !foreign {
            return raw();
        }
        // Each op renders against the schema before it: a copy only when there is
        // more than one.
        let mut schema = Cow::Borrowed(before);
        let mut sql = Vec::new();
        for (i, op) in ops.iter().enumerate() {
            match render_op(op, &schema) {
                Ok(stmts) => sql.extend(stmts),
                Err(_) => return raw(),
            }
            let fits = if i + 1 < ops.len() {
                op.apply(schema.to_mut())
            } else {
                op.check(&schema)
            };
            if fits.is_err() {
                return raw();
            }
        }
        Plan {
            sql,
            rebuilt_tables: Vec::new(),
        }
    };
    // An extension, a domain, a composite or range type, row-level security or a
    // partitioned table is PostgreSQL's: refused by name before anything runs.
    if let Some(op) = ops.iter().find(|op| {
        matches!(
            op,
            Op::CreateExtension(_)
                | Op::DropExtension(_)
                | Op::CreateDomain(_)
                | Op::DropDomain(_)
                | Op::AlterDomain { .. }
                | Op::CreateSequence(_)
                | Op::DropSequence(_)
                | Op::AlterSequence { .. }
                | Op::RenameSequence { .. }
                | Op::SetRowSecurity { .. }
                | Op::CreatePolicy(_)
                | Op::DropPolicy(_)
                | Op::CreateRule(_)
                | Op::DropRule(_)
                | Op::AlterTrigger { .. }
                | Op::RenameTrigger { .. }
        ) || matches!(op, Op::CreateView(v) | Op::DropView(v) if v.materialized)
            || matches!(op, Op::CreateTrigger(t) | Op::DropTrigger(t) if t.per_table())
            || op.user_type().is_some()
            || op.partitioned_table().is_some()
            || op.mysql_partitioned_table().is_some()
    }) {
        return Err(render_op(op, before)
            .err()
            .map_or_else(|| "SQLite has no extensions".to_string(), |e| e.to_string()));
    }
    // What of a PostgreSQL table, index or key SQLite has no place for.
    if let Some(part) = ops.iter().find_map(Op::postgres_only_part) {
        return Err(format!(
            "{part}, which is PostgreSQL's: SQLite has no such thing, and making it \
             without would not be what the migration says; write the change for SQLite \
             by hand in a revision of its own"
        ));
    }
    // What of a MySQL table or index SQLite has no place for.
    if let Some(part) = ops.iter().find_map(Op::mysql_only_part) {
        return Err(format!(
            "{part}, which is MySQL's: SQLite has no such thing, and making it without \
             would not be what the migration says; write the change for SQLite by hand \
             in a revision of its own"
        ));
    }
    // MySQL's `FULLTEXT` and `SPATIAL` indexes and PostgreSQL's access methods: SQLite
    // builds only B-tree indexes, and a plain one in their place is not what the
    // migration says.
    if let Some(why) = ops
        .iter()
        .flat_map(Op::made_indexes)
        .find_map(|i| wildebeest_schema::foreign_index_kind(i, "SQLite"))
    {
        return Err(why);
    }
    // A statement about an enum type (PostgreSQL's) never runs as written: its ops say
    // what SQLite does, and when the model could not follow it, nothing.
    if statement.change.as_ref().is_some_and(Change::is_enum_type) {
        return Ok(if foreign {
            verbatim()
        } else {
            Plan {
                sql: Vec::new(),
                rebuilt_tables: Vec::new(),
            }
        });
    }
    // Not understood, or understood but not followed by the model (the runner warned):
    // SQLite runs it as written, or says why not.
    let Some(change) = &statement.change else {
        return Ok(verbatim());
    };
    if ops.is_empty() {
        return Ok(verbatim());
    }
    let (table, actions) = match change {
        Change::AlterTable { table, actions } => (table, actions),
        _ => return Ok(verbatim()),
    };
    let Some(old) = before.table(table) else {
        return Err(format!("table `{table}` does not exist"));
    };
    let native_ops = ops.iter().all(|op| {
        matches!(
            op,
            Op::RenameTable { .. }
                | Op::RenameColumn { .. }
                | Op::AddColumn { .. }
                | Op::DropColumn { .. }
        ) || matches!(
            op,
            Op::AddConstraint {
                constraint: Constraint::ForeignKey(_) | Constraint::Check(_),
                ..
            }
        )
    });
    if native_ops && actions.iter().all(|a| is_native(a, old)) {
        if actions.len() == 1 && !foreign {
            return Ok(verbatim());
        }
        return Ok(Plan {
            sql: render_actions(table, actions),
            rebuilt_tables: Vec::new(),
        });
    }
    // A change SQLite does not keep (PostgreSQL's `SET GENERATED`, MySQL's `ON UPDATE`)
    // changes nothing here.
    let unseen = |c: &Column| {
        let mut c = c.clone();
        crate::types::canonical_column(&mut c);
        c
    };
    if ops
        .iter()
        .all(|op| matches!(op, Op::AlterColumn { from, to, .. } if unseen(from) == unseen(to)))
    {
        return Ok(Plan {
            sql: Vec::new(),
            rebuilt_tables: Vec::new(),
        });
    }
    rebuild(before, &*after()?, table, ops, cx)
}

/// Whether SQLite's own `ALTER TABLE` does `action` on `table` (its state before the
/// statement; an action on a column renamed earlier in the same statement is judged
/// not native, which costs a rebuild but never correctness).
fn is_native(action: &AlterAction, table: &Table) -> bool {
    match action {
        // The statement runs as written, with what the model does not hold.
        AlterAction::RenameTable(_)
        | AlterAction::RenameColumn { .. }
        | AlterAction::KeepUnmodeled(_) => true,
        AlterAction::AddColumn {
            column,
            constraints,
        } => {
            let constant_default = column
                .default
                .as_deref()
                .filter(|d| !d.eq_ignore_ascii_case("NULL"));
            let default_ok = match constant_default {
                None => true,
                Some(d) => is_constant_literal(d),
            };
            let has_fk = constraints
                .iter()
                .any(|c| matches!(c, Constraint::ForeignKey(_)));
            // SQLite adds no STORED generated column (it would have to compute
            // every row's value): that is a rebuild.
            !column.auto_increment
                && column.generated.as_ref().is_none_or(|g| !g.stored)
                && default_ok
                && (column.nullable || constant_default.is_some())
                && !(has_fk && constant_default.is_some())
                && constraints
                    .iter()
                    .all(|c| matches!(c, Constraint::ForeignKey(_) | Constraint::Check(_)))
        }
        AlterAction::DropColumn(name) => {
            table.column(name).is_some() && !is_referenced(table, name)
        }
        AlterAction::AlterColumn { .. }
        | AlterAction::AddConstraint(_)
        | AlterAction::DropConstraint(_)
        | AlterAction::RenameConstraint { .. }
        | AlterAction::DropPrimaryKey
        | AlterAction::IndexVisibility { .. }
        | AlterAction::SetOptions(_)
        | AlterAction::SetPartition(_)
        | AlterAction::MysqlPartitions(_) => false,
    }
}

/// Whether column `name` takes part in a key, constraint, index or generated column's
/// expression of `table`, which SQLite's `DROP COLUMN` refuses.
fn is_referenced(table: &Table, name: &str) -> bool {
    let mentions = |text: &str| mentions_word(text, name);
    table
        .primary_key
        .as_ref()
        .is_some_and(|pk| pk.columns.iter().any(|c| c == name))
        || table
            .uniques
            .iter()
            .any(|u| u.columns.iter().any(|c| c == name))
        || table
            .foreign_keys
            .iter()
            .any(|f| f.columns.iter().any(|c| c == name))
        || table.checks.iter().any(|c| mentions(&c.expr))
        || table
            .columns
            .iter()
            .filter_map(|c| c.generated.as_ref())
            .any(|g| mentions(&g.expr))
        || table.indexes.iter().any(|i| {
            i.columns.iter().any(|c| mentions(c)) || i.predicate.as_deref().is_some_and(mentions)
        })
}

/// Whether `word` occurs in `text` as a whole identifier, ignoring ASCII case.
pub(crate) fn mentions_word(text: &str, word: &str) -> bool {
    let hay = text.to_ascii_lowercase();
    let needle = word.to_ascii_lowercase();
    if needle.is_empty() {
        return false;
    }
    let is_ident = |c: char| c.is_alphanumeric() || c == '_';
    hay.match_indices(&needle).any(|(at, m)| {
        hay[..at].chars().next_back().is_none_or(|c| !is_ident(c))
            && hay[at + m.len()..]
                .chars()
                .next()
                .is_none_or(|c| !is_ident(c))
    })
}

/// Each action of a native `ALTER TABLE` as its own statement, following the table's
/// name through renames.
fn render_actions(table: &str, actions: &[AlterAction]) -> Vec<String> {
    let mut name = table.to_string();
    let mut out = Vec::new();
    for action in actions {
        let t = quote_ident(&name);
        out.push(match action {
            AlterAction::RenameTable(to) => {
                let sql = format!("ALTER TABLE {t} RENAME TO {}", quote_ident(to));
                name = to.clone();
                sql
            }
            AlterAction::RenameColumn { from, to } => {
                format!(
                    "ALTER TABLE {t} RENAME COLUMN {} TO {}",
                    quote_ident(from),
                    quote_ident(to)
                )
            }
            AlterAction::AddColumn {
                column,
                constraints,
            } => {
                let mut sql = format!("ALTER TABLE {t} ADD COLUMN {}", column_def(column, None));
                for c in constraints {
                    sql.push(' ');
                    sql.push_str(&inline_constraint(c));
                }
                sql
            }
            AlterAction::DropColumn(c) => format!("ALTER TABLE {t} DROP COLUMN {}", quote_ident(c)),
            // `is_native` lets no other action through.
            AlterAction::AlterColumn { .. }
            | AlterAction::AddConstraint(_)
            | AlterAction::DropConstraint(_)
            | AlterAction::RenameConstraint { .. }
            | AlterAction::DropPrimaryKey
            | AlterAction::IndexVisibility { .. }
            | AlterAction::SetOptions(_)
            | AlterAction::SetPartition(_)
            | AlterAction::MysqlPartitions(_)
            | AlterAction::KeepUnmodeled(_) => {
                continue;
            }
        });
    }
    out
}

/// A constraint written on its column: `[CONSTRAINT n] REFERENCES t (a)`,
/// `CHECK (expr)`, `UNIQUE`, `PRIMARY KEY`.
fn inline_constraint(c: &Constraint) -> String {
    let body = match c {
        Constraint::PrimaryKey(_) => "PRIMARY KEY".to_string(),
        Constraint::Unique(_) => "UNIQUE".to_string(),
        Constraint::ForeignKey(fk) => references(fk),
        Constraint::Check(ch) => format!("CHECK ({})", ch.expr),
        // Refused before anything is rendered (`Op::postgres_only_part`).
        Constraint::Exclusion(x) => x.sql(|n| n.to_string()),
    };
    format!("{}{body}", constraint_prefix(c.name()))
}

/// The name of the temporary table a rebuild of `table` copies into.
pub(crate) fn rebuild_name(table: &str) -> String {
    format!("_wildebeest_new_{table}")
}

/// The table whose rows `sql` copies when it is a rebuild's row copy
/// (`INSERT INTO "_wildebeest_new_t" (...) SELECT ... FROM "t"`, as [`rebuild`] writes
/// it); `None` for any other statement. The runner shows how far such a copy is.
pub(crate) fn rebuild_copy_source(sql: &str) -> Option<String> {
    let rest = sql.strip_prefix("INSERT INTO ")?;
    // The name copied into, as `quote_ident` writes it: bare, or in double quotes
    // with each quote inside doubled.
    let into = match rest.strip_prefix('"') {
        Some(quoted) => {
            let mut name = String::new();
            let mut chars = quoted.chars();
            loop {
                match chars.next()? {
                    '"' if chars.as_str().starts_with('"') => {
                        chars.next();
                        name.push('"');
                    }
                    '"' => break,
                    c => name.push(c),
                }
            }
            name
        }
        None => rest.split(' ').next()?.to_string(),
    };
    let table = into.strip_prefix("_wildebeest_new_")?;
    let whole = sql.starts_with(&format!("INSERT INTO {} (", quote_ident(&into)))
        && sql.ends_with(&format!(" FROM {}", quote_ident(table)));
    whole.then(|| table.to_string())
}

/// SQLite's twelve-step table rebuild (<https://www.sqlite.org/lang_altertable.html#otheralter>),
/// inside the revision's transaction and with foreign keys off: create the new table
/// under a temporary name, copy the rows, drop the old table, rename the new one, and
/// create its indexes and triggers again.
///
/// The statement's renames run after the rebuild as SQLite's own `ALTER TABLE ...
/// RENAME`, which also updates the views, the triggers and other tables' foreign keys
/// that name the table or column; so the rebuild makes the table as it is before those
/// renames, under its old name, which is also the name its triggers (read from the
/// database) use.
fn rebuild(
    before: &Schema,
    after: &Schema,
    table: &str,
    ops: &[Op],
    cx: &Context<'_>,
) -> Result<Plan, String> {
    let Some(old) = before.table(table) else {
        return Err(format!("table `{table}` does not exist"));
    };
    let mut final_name = table.to_string();
    for op in ops {
        if let Op::RenameTable { from, to } = op
            && *from == final_name
        {
            final_name = to.clone();
        }
    }
    let Some(new) = after.table(&final_name) else {
        return Err(format!(
            "table `{final_name}` is not in the schema after the statement"
        ));
    };
    for (t, when) in [(old, "is"), (new, "would be")] {
        if !t.unmodeled.is_empty() {
            return Err(format!(
                "SQLite cannot do this ALTER TABLE in place and the table would have to be rebuilt, \
                 but table `{}` {when} defined with parts wildebeest does not model, which a rebuild \
                 would lose: {}",
                t.name,
                t.unmodeled.join("; ")
            ));
        }
    }
    let (target, sources, renames) = renames_last(old, after, table, ops)
        .or_else(|| table_renames_last(old, after, table, ops))
        .ok_or_else(|| {
            format!("cannot follow the columns of `{table}` through the statement to copy its rows")
        })?;

    let triggers = triggers_to_recreate(table, cx)?;
    let mut sql = Vec::new();
    let tmp = rebuild_name(table);
    sql.push(create_table(&target, &tmp).map_err(|e| e.message)?);
    // A generated column takes no value: the new table computes it.
    let copied: Vec<(&Column, &String)> = target
        .columns
        .iter()
        .filter(|c| c.generated.is_none())
        .filter_map(|c| sources.get(&c.name).map(|src| (c, src)))
        .collect();
    if !copied.is_empty() {
        let mut into: Vec<String> = Vec::new();
        let mut from: Vec<String> = Vec::new();
        if keeps_rowid(old, &target) {
            into.push("rowid".into());
            from.push("rowid".into());
        }
        into.extend(copied.iter().map(|(c, _)| quote_ident(&c.name)));
        from.extend(copied.iter().map(|(_, src)| quote_ident(src)));
        sql.push(format!(
            "INSERT INTO {} ({}) SELECT {} FROM {}",
            quote_ident(&tmp),
            into.join(", "),
            from.join(", "),
            quote_ident(table)
        ));
    }
    // Dropping the old table drops its AUTOINCREMENT counter; the new one continues
    // from it, so that ids of deleted rows are never handed out again.
    if old.columns.iter().any(|c| c.auto_increment)
        && target.columns.iter().any(|c| c.auto_increment)
    {
        sql.push(format!(
            "DELETE FROM sqlite_sequence WHERE name = {}",
            quote_literal(&tmp)
        ));
        sql.push(format!(
            "INSERT INTO sqlite_sequence (name, seq) SELECT {}, seq FROM sqlite_sequence WHERE name = {}",
            quote_literal(&tmp),
            quote_literal(table)
        ));
    }
    sql.push(format!("DROP TABLE {}", quote_ident(table)));
    // In legacy mode the rename does not check the views that name the table, which
    // SQLite would otherwise reject while it is, for a moment, gone.
    sql.push("PRAGMA legacy_alter_table = ON".into());
    sql.push(format!(
        "ALTER TABLE {} RENAME TO {}",
        quote_ident(&tmp),
        quote_ident(table)
    ));
    sql.push("PRAGMA legacy_alter_table = OFF".into());
    for ix in &target.indexes {
        sql.push(create_index(ix, Some(&target)).map_err(|e| e.message)?);
    }
    sql.extend(triggers);
    for op in renames {
        sql.push(match op {
            Op::RenameTable { from, to } => format!(
                "ALTER TABLE {} RENAME TO {}",
                quote_ident(from),
                quote_ident(to)
            ),
            Op::RenameColumn { table, from, to } => format!(
                "ALTER TABLE {} RENAME COLUMN {} TO {}",
                quote_ident(table),
                quote_ident(from),
                quote_ident(to)
            ),
            _ => continue,
        });
    }
    Ok(Plan {
        sql,
        rebuilt_tables: vec![final_name],
    })
}

/// The `CREATE TRIGGER` statements of `table` for a rebuild to run again: as the
/// database has them when the rebuild runs, which takes in every statement planned
/// before it in the run (a trigger created or dropped by an earlier revision or an
/// earlier statement of this one, the text SQLite rewrote for a rename).
fn triggers_to_recreate(table: &str, cx: &Context<'_>) -> Result<Vec<String>, String> {
    Ok((cx.triggers)(table)?
        .into_iter()
        .map(|(_, sql)| sql)
        .collect())
}

/// What a rebuild makes: the table to create (as it is before the renames that run
/// after the rebuild), where each of its columns is copied from, and those renames.
type RebuildTarget<'a> = (Table, BTreeMap<String, String>, Vec<&'a Op>);

/// All renames after the rebuild, when that changes nothing about which values end
/// up in which column.
fn renames_last<'a>(
    old: &Table,
    after: &Schema,
    table: &str,
    ops: &'a [Op],
) -> Option<RebuildTarget<'a>> {
    let renames: Vec<&Op> = ops.iter().filter(|op| is_rename(op)).collect();
    let others: Vec<Op> = ops.iter().filter(|op| !is_rename(op)).cloned().collect();
    let target = undo(after, &renames)?.table(table)?.clone();
    let sources = column_sources(old, &others)?;
    // Where every value lands with all ops in order, seen through the undone renames.
    let all = column_sources(old, ops)?;
    let unrename = |name: &str| {
        renames
            .iter()
            .rev()
            .fold(name.to_string(), |n, op| match op {
                Op::RenameColumn { from, to, .. } if *to == n => from.clone(),
                _ => n,
            })
    };
    let same = all.len() == sources.len()
        && all
            .iter()
            .all(|(col, src)| sources.get(&unrename(col)) == Some(src));
    same.then_some((target, sources, renames))
}

/// Column renames inside the copy and table renames after the rebuild: for the
/// statements whose column renames cannot wait (`DROP COLUMN a, RENAME COLUMN b TO a`).
fn table_renames_last<'a>(
    old: &Table,
    after: &Schema,
    table: &str,
    ops: &'a [Op],
) -> Option<RebuildTarget<'a>> {
    let renames: Vec<&Op> = ops
        .iter()
        .filter(|op| matches!(op, Op::RenameTable { .. }))
        .collect();
    let target = undo(after, &renames)?.table(table)?.clone();
    Some((target, column_sources(old, ops)?, renames))
}

fn is_rename(op: &Op) -> bool {
    matches!(op, Op::RenameTable { .. } | Op::RenameColumn { .. })
}

/// `schema` with `renames` undone, last first; `None` when one does not undo.
fn undo(schema: &Schema, renames: &[&Op]) -> Option<Schema> {
    let mut out = schema.clone();
    for op in renames.iter().rev() {
        op.invert().apply(&mut out).ok()?;
    }
    Some(out)
}

/// For each column of the table after `ops` (all about one table, as the ops of one
/// `ALTER TABLE` are), the column of `old` its values come from; columns the ops add
/// have none. `None` when the ops do not fit the table.
fn column_sources(old: &Table, ops: &[Op]) -> Option<BTreeMap<String, String>> {
    let mut map: BTreeMap<String, Option<String>> = old
        .columns
        .iter()
        .map(|c| (c.name.clone(), Some(c.name.clone())))
        .collect();
    for op in ops {
        match op {
            Op::RenameColumn { from, to, .. } => {
                let src = map.remove(from)?;
                if map.insert(to.clone(), src).is_some() {
                    return None;
                }
            }
            Op::DropColumn { column, .. } => {
                map.remove(&column.name)?;
            }
            Op::AddColumn { column, .. } => {
                let taken = map.insert(column.name.clone(), None).is_some();
                if taken {
                    return None;
                }
            }
            _ => {}
        }
    }
    Some(
        map.into_iter()
            .filter_map(|(k, v)| v.map(|v| (k, v)))
            .collect(),
    )
}

/// Whether the copy carries the rowid over: both tables have one, the new table's
/// rowid is not a column (`INTEGER PRIMARY KEY`, which the copy sets anyway), and no
/// column hides the name.
fn keeps_rowid(old: &Table, new: &Table) -> bool {
    let hides = |t: &Table| {
        t.columns.iter().any(|c| {
            ["rowid", "oid", "_rowid_"]
                .iter()
                .any(|r| c.name.eq_ignore_ascii_case(r))
        })
    };
    let integer_pk = new.primary_key.as_ref().is_some_and(|pk| {
        pk.columns.len() == 1
            && new
                .column(&pk.columns[0])
                .is_some_and(|c| c.ty == ColumnType::Integer)
    });
    !old.options.without_rowid
        && !new.options.without_rowid
        && !integer_pk
        && !hides(old)
        && !hides(new)
}

/// A name matching `[A-Za-z_][A-Za-z0-9_]*`.
fn is_plain_word(s: &str) -> bool {
    s.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
        && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// An identifier in SQLite SQL: bare when that is safe, else in double quotes.
pub(crate) fn quote_ident(name: &str) -> String {
    wildebeest_sql::quote_ident(name, Dialect::Sqlite)
}

pub(crate) use wildebeest_sql::quote_literal;

/// The refusal of a sequence of its own, which only PostgreSQL's model holds.
fn no_sequences(name: &str) -> RenderError {
    RenderError::new(format!(
        "SQLite has no sequences of their own here: sequence `{name}` is PostgreSQL's, and \
         a migration that makes, changes, renames or drops one runs on PostgreSQL only"
    ))
}

#[cfg(test)]
mod tests {
    use wildebeest_schema::{Check, ColumnAlter, LabelPosition, TableOptions, Unique};

    use super::*;
    use wildebeest_schema::FkAction;

    use wildebeest_schema::build_test::{col, fk, index, not_null, with_default};

    #[test]
    fn a_mysql_event_is_refused_by_name() {
        let event = wildebeest_schema::Routine {
            name: "tick".into(),
            kind: wildebeest_schema::RoutineKind::Event,
            definition: "ON SCHEDULE EVERY 1 DAY DO DELETE FROM t".into(),
            by_name: true,
            ..Default::default()
        };
        let e = render_op(&Op::CreateRoutine(event), &Schema::default()).unwrap_err();
        assert!(e.to_string().contains("event `tick` is MySQL's"), "{e}");
    }

    #[test]
    fn a_mysql_partitioning_is_refused_by_name() {
        let mut t = orders();
        let from = t.options.clone();
        t.options.mysql_partitioning = Some(wildebeest_schema::MysqlPartitioning {
            method: "HASH".into(),
            expr: "id".into(),
            count: Some(2),
            partitions: Vec::new(),
        });
        let alter = Op::AlterTableOptions {
            table: "orders".into(),
            from,
            to: t.options.clone(),
            columns: Vec::new(),
        };
        for op in [Op::CreateTable(t), alter] {
            let err = render_op(&op, &Schema::default()).unwrap_err();
            assert!(
                err.message
                    .starts_with("table `orders` is partitioned the MySQL way"),
                "{err}"
            );
        }
    }

    fn orders() -> Table {
        let mut t = Table::new("orders");
        t.columns = vec![
            not_null("id", ColumnType::Integer),
            not_null("customer_id", ColumnType::Integer),
            with_default(
                col(
                    "total",
                    ColumnType::Decimal {
                        precision: Some(10),
                        scale: Some(2),
                    },
                ),
                "0",
            ),
            Column {
                collation: Some("NOCASE".into()),
                ..col("note", ColumnType::Text)
            },
            with_default(
                col("created_at", ColumnType::Timestamp),
                "CURRENT_TIMESTAMP",
            ),
            with_default(col("code", ColumnType::Varchar(Some(8))), "upper('x')"),
        ];
        t.primary_key = Some(PrimaryKey {
            deferral: Default::default(),
            name: None,
            columns: vec!["id".into()],
        });
        t.uniques = vec![Unique {
            deferral: Default::default(),
            name: None,
            columns: vec!["code".into()],
        }];
        t.foreign_keys = vec![ForeignKey {
            on_delete: FkAction::Cascade,
            ..fk(&["customer_id"], "customers", &["id"])
        }];
        t.checks = vec![Check {
            no_inherit: false,
            written: Default::default(),
            name: Some("total_positive".into()),
            expr: "total >= 0".into(),
        }];
        t.indexes = vec![
            Index {
                predicate: Some("total > 0".into()),
                method: None,
                nulls_not_distinct: false,
                comment: None,
                include: Vec::new(),
                storage: Vec::new(),
                ..index(
                    "orders_by_customer",
                    "orders",
                    &["customer_id", "created_at DESC"],
                )
            },
            Index {
                unique: true,
                ..index("orders_lower_note", "orders", &["lower(note)"])
            },
        ];
        t
    }

    fn schema_with(tables: Vec<Table>) -> Schema {
        Schema {
            tables: tables.into_iter().map(|t| (t.name.clone(), t)).collect(),
            ..Schema::default()
        }
    }

    /// Renders `op` against a schema holding `orders`.
    fn check(op: Op, want: &[&str]) {
        let got = render_op(&op, &schema_with(vec![orders()])).unwrap();
        assert_eq!(got, want, "{op:?}");
    }

    #[test]
    fn create_table_writes_columns_then_constraints_then_indexes() {
        check(
            Op::CreateTable(orders()),
            &[
                "CREATE TABLE orders (\n    \
                 id INTEGER NOT NULL,\n    \
                 customer_id INTEGER NOT NULL,\n    \
                 total NUMERIC(10, 2) DEFAULT 0,\n    \
                 note TEXT COLLATE NOCASE,\n    \
                 created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP,\n    \
                 code VARCHAR(8) DEFAULT (upper('x')),\n    \
                 PRIMARY KEY (id),\n    \
                 UNIQUE (code),\n    \
                 FOREIGN KEY (customer_id) REFERENCES customers (id) ON DELETE CASCADE,\n    \
                 CONSTRAINT total_positive CHECK (total >= 0)\n\
                 )",
                "CREATE INDEX orders_by_customer ON orders (customer_id, created_at DESC) WHERE total > 0",
                "CREATE UNIQUE INDEX orders_lower_note ON orders (lower(note))",
            ],
        );
    }

    #[test]
    fn create_table_puts_autoincrement_on_the_column_and_quotes_names() {
        let mut t = Table::new("order");
        t.columns = vec![
            Column {
                auto_increment: true,
                generated_always: false,
                on_update: None,
                ..not_null("id", ColumnType::Integer)
            },
            col("Group", ColumnType::Text),
            col("anything", ColumnType::Custom(String::new())),
            with_default(col("flag", ColumnType::Boolean), "FALSE"),
        ];
        t.primary_key = Some(PrimaryKey {
            deferral: Default::default(),
            name: Some("order_pk".into()),
            columns: vec!["id".into()],
        });
        t.foreign_keys = vec![ForeignKey {
            on_delete: FkAction::SetNull,
            on_update: FkAction::Restrict,
            name: Some("parent".into()),
            ..fk(&["Group"], "group", &["select"])
        }];
        t.options = TableOptions {
            without_rowid: false,
            strict: true,
            ..Default::default()
        };
        check(
            Op::CreateTable(t),
            &["CREATE TABLE \"order\" (\n    \
               id INTEGER NOT NULL CONSTRAINT order_pk PRIMARY KEY AUTOINCREMENT,\n    \
               \"Group\" TEXT,\n    \
               anything,\n    \
               flag BOOLEAN DEFAULT FALSE,\n    \
               CONSTRAINT parent FOREIGN KEY (\"Group\") REFERENCES \"group\" (\"select\") ON DELETE SET NULL ON UPDATE RESTRICT\n\
               ) STRICT"],
        );
    }

    #[test]
    fn an_autoincrement_key_of_another_integer_type_is_an_integer_primary_key() {
        for ty in [ColumnType::BigInt, ColumnType::SmallInt] {
            let mut t = Table::new("users");
            t.columns = vec![
                Column {
                    auto_increment: true,
                    generated_always: true,
                    on_update: None,
                    ..not_null("id", ty)
                },
                col("email", ColumnType::Text),
            ];
            t.primary_key = Some(PrimaryKey {
                deferral: Default::default(),
                name: None,
                columns: vec!["id".into()],
            });
            check(
                Op::CreateTable(t),
                &["CREATE TABLE users (\n    \
                   id INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,\n    \
                   email TEXT\n)"],
            );
        }
    }

    #[test]
    fn create_table_writes_both_options() {
        let mut t = Table::new("kv");
        t.columns = vec![not_null("k", ColumnType::Text), col("v", ColumnType::Blob)];
        t.primary_key = Some(PrimaryKey {
            deferral: Default::default(),
            name: None,
            columns: vec!["k".into()],
        });
        t.options = TableOptions {
            without_rowid: true,
            strict: true,
            ..Default::default()
        };
        check(
            Op::CreateTable(t),
            &[
                "CREATE TABLE kv (\n    k TEXT NOT NULL,\n    v BLOB,\n    PRIMARY KEY (k)\n) WITHOUT ROWID, STRICT",
            ],
        );
    }

    #[test]
    fn table_and_column_ops() {
        check(Op::DropTable(orders()), &["DROP TABLE orders"]);
        check(
            Op::RenameTable {
                from: "orders".into(),
                to: "purchases".into(),
            },
            &["ALTER TABLE orders RENAME TO purchases"],
        );
        check(
            Op::AddColumn {
                table: "orders".into(),
                column: with_default(not_null("qty", ColumnType::Integer), "1"),
            },
            &["ALTER TABLE orders ADD COLUMN qty INTEGER NOT NULL DEFAULT 1"],
        );
        check(
            Op::AddColumn {
                table: "orders".into(),
                column: with_default(col("at", ColumnType::Text), "datetime('now')"),
            },
            &["ALTER TABLE orders ADD COLUMN at TEXT DEFAULT (datetime('now'))"],
        );
        check(
            Op::DropColumn {
                table: "orders".into(),
                column: col("note", ColumnType::Text),
            },
            &["ALTER TABLE orders DROP COLUMN note"],
        );
        check(
            Op::RenameColumn {
                table: "orders".into(),
                from: "note".into(),
                to: "remark".into(),
            },
            &["ALTER TABLE orders RENAME COLUMN note TO remark"],
        );
    }

    #[test]
    fn alter_column_writes_one_statement_with_what_changed() {
        let from = with_default(col("qty", ColumnType::Integer), "0");
        let alter = |to: Column| Op::AlterColumn {
            table: "orders".into(),
            from: from.clone(),
            to,
        };
        check(
            alter(Column {
                ty: ColumnType::BigInt,
                ..from.clone()
            }),
            &["ALTER TABLE orders ALTER COLUMN qty TYPE BIGINT"],
        );
        check(
            alter(Column {
                nullable: false,
                ..from.clone()
            }),
            &["ALTER TABLE orders ALTER COLUMN qty SET NOT NULL"],
        );
        check(
            alter(Column {
                default: Some("1".into()),
                ..from.clone()
            }),
            &["ALTER TABLE orders ALTER COLUMN qty SET DEFAULT 1"],
        );
        check(
            alter(Column {
                default: None,
                ..from.clone()
            }),
            &["ALTER TABLE orders ALTER COLUMN qty DROP DEFAULT"],
        );
        check(
            alter(Column {
                ty: ColumnType::Text,
                nullable: false,
                default: Some("'none'".into()),
                ..from.clone()
            }),
            &[
                "ALTER TABLE orders ALTER COLUMN qty TYPE TEXT, ALTER COLUMN qty SET NOT NULL, ALTER COLUMN qty SET DEFAULT 'none'",
            ],
        );
        let back = Op::AlterColumn {
            table: "orders".into(),
            from: Column {
                nullable: false,
                ..from.clone()
            },
            to: from.clone(),
        };
        check(back, &["ALTER TABLE orders ALTER COLUMN qty DROP NOT NULL"]);
        check(alter(from.clone()), &[]);
    }

    #[test]
    fn alter_column_refuses_what_the_language_cannot_say() {
        let from = col("note", ColumnType::Text);
        let to = Column {
            collation: Some("NOCASE".into()),
            ..from.clone()
        };
        let op = Op::AlterColumn {
            table: "orders".into(),
            from: from.clone(),
            to,
        };
        let err = render_op(&op, &Schema::new()).unwrap_err();
        assert!(
            err.message
                .contains("collation of `orders.note` (none to NOCASE)"),
            "{err}"
        );

        let to = Column {
            auto_increment: true,
            generated_always: false,
            on_update: None,
            ..from.clone()
        };
        let op = Op::AlterColumn {
            table: "orders".into(),
            from,
            to,
        };
        let err = render_op(&op, &Schema::new()).unwrap_err();
        assert!(
            err.message.contains("AUTOINCREMENT on for `orders.note`"),
            "{err}"
        );
    }

    #[test]
    fn autoincrement_must_be_the_whole_primary_key() {
        let mut t = Table::new("t");
        t.columns = vec![
            Column {
                auto_increment: true,
                generated_always: false,
                on_update: None,
                ..not_null("id", ColumnType::Integer)
            },
            not_null("b", ColumnType::Integer),
        ];
        t.primary_key = Some(PrimaryKey {
            deferral: Default::default(),
            name: None,
            columns: vec!["id".into(), "b".into()],
        });
        let err = render_op(&Op::CreateTable(t), &Schema::new()).unwrap_err();
        assert_eq!(
            err.message,
            "column `t.id` is AUTOINCREMENT but is not the table's whole primary key, which SQLite requires"
        );
    }

    #[test]
    fn tables_with_unmodeled_parts_are_refused() {
        let mut t = Table::new("t");
        t.columns = vec![col("a", ColumnType::Integer)];
        t.unmodeled = vec!["column a: ON CONFLICT REPLACE".into()];
        let err = render_op(&Op::CreateTable(t), &Schema::new()).unwrap_err();
        assert!(
            err.message.contains("column a: ON CONFLICT REPLACE"),
            "{err}"
        );
    }

    #[test]
    fn constraint_ops() {
        let add = |constraint| Op::AddConstraint {
            table: "orders".into(),
            constraint,
        };
        check(
            add(Constraint::PrimaryKey(PrimaryKey {
                deferral: Default::default(),
                name: None,
                columns: vec!["id".into(), "code".into()],
            })),
            &["ALTER TABLE orders ADD PRIMARY KEY (id, code)"],
        );
        check(
            add(Constraint::Unique(Unique {
                deferral: Default::default(),
                name: Some("one_code".into()),
                columns: vec!["code".into()],
            })),
            &["ALTER TABLE orders ADD CONSTRAINT one_code UNIQUE (code)"],
        );
        check(
            add(Constraint::ForeignKey(ForeignKey {
                on_update: FkAction::Cascade,
                ..fk(&["customer_id"], "customers", &["id"])
            })),
            &[
                "ALTER TABLE orders ADD FOREIGN KEY (customer_id) REFERENCES customers (id) ON UPDATE CASCADE",
            ],
        );
        check(
            add(Constraint::Check(Check {
                no_inherit: false,
                written: Default::default(),
                name: None,
                expr: "length(code) = 8".into(),
            })),
            &["ALTER TABLE orders ADD CHECK (length(code) = 8)"],
        );
        let drop = |constraint| Op::DropConstraint {
            table: "orders".into(),
            constraint,
        };
        check(
            drop(Constraint::Unique(Unique {
                deferral: Default::default(),
                name: None,
                columns: vec!["code".into()],
            })),
            &["ALTER TABLE orders DROP CONSTRAINT orders_code_key"],
        );
        check(
            drop(Constraint::Check(Check {
                no_inherit: false,
                written: Default::default(),
                name: Some("total_positive".into()),
                expr: "total >= 0".into(),
            })),
            &["ALTER TABLE orders DROP CONSTRAINT total_positive"],
        );
        check(
            drop(Constraint::Check(Check {
                no_inherit: false,
                written: Default::default(),
                name: None,
                expr: "total < 1000 AND note IS NOT NULL".into(),
            })),
            // It mentions two columns: PostgreSQL would call it `orders_check`.
            &["ALTER TABLE orders DROP CONSTRAINT orders_check"],
        );
        check(
            drop(Constraint::ForeignKey(fk(
                &["customer_id"],
                "customers",
                &["id"],
            ))),
            &["ALTER TABLE orders DROP CONSTRAINT orders_customer_id_fkey"],
        );
        check(
            drop(Constraint::PrimaryKey(PrimaryKey {
                deferral: Default::default(),
                name: None,
                columns: vec!["id".into()],
            })),
            &["ALTER TABLE orders DROP CONSTRAINT orders_pkey"],
        );
        let err = render_op(
            &drop(Constraint::Check(Check {
                no_inherit: false,
                written: Default::default(),
                name: None,
                expr: "1".into(),
            })),
            &Schema::new(),
        )
        .unwrap_err();
        assert!(
            err.message.contains("table `orders` is not in the schema"),
            "{err}"
        );
    }

    #[test]
    fn index_ops() {
        check(
            Op::CreateIndex(Index {
                unique: true,
                predicate: Some("note IS NOT NULL".into()),
                method: None,
                nulls_not_distinct: false,
                comment: None,
                include: Vec::new(),
                storage: Vec::new(),
                ..index(
                    "orders_note",
                    "orders",
                    &["note DESC", "code", "lower(note)"],
                )
            }),
            &[
                "CREATE UNIQUE INDEX orders_note ON orders (note DESC, code, lower(note)) WHERE note IS NOT NULL",
            ],
        );
        // On a table the schema does not know, a plain word is taken for a column
        // and anything else for an expression.
        check(
            Op::CreateIndex(index(
                "Elsewhere",
                "other",
                &["Name ASC", "a + b", "two words"],
            )),
            &["CREATE INDEX Elsewhere ON other (Name ASC, a + b, two words)"],
        );
        check(
            Op::DropIndex(index("orders_note", "orders", &["note"])),
            &["DROP INDEX orders_note"],
        );
    }

    #[test]
    fn defaults_need_parentheses_unless_literal() {
        let cases = [
            ("0", "0"),
            ("-1.5", "-1.5"),
            ("+2e3", "+2e3"),
            ("0x1F", "0x1F"),
            ("'it''s'", "'it''s'"),
            ("X'00ff'", "X'00ff'"),
            ("NULL", "NULL"),
            ("true", "true"),
            ("CURRENT_DATE", "CURRENT_DATE"),
            ("datetime('now')", "(datetime('now'))"),
            ("1 + 1", "(1 + 1)"),
            ("'a' || 'b'", "('a' || 'b')"),
            ("'a'''", "'a'''"),
            ("inf", "(inf)"),
        ];
        for (expr, want) in cases {
            assert_eq!(default_sql(expr), want, "{expr}");
        }
    }

    // Planning, with the statement's change and ops written out.

    fn statement(text: &str, change: Option<Change>) -> Statement {
        Statement {
            text: text.into(),
            line: 1,
            change,
        }
    }

    fn no_triggers(_: &str) -> Result<Vec<(String, String)>, String> {
        Ok(Vec::new())
    }

    const NO_TRIGGERS: Context<'static> = Context {
        triggers: &no_triggers,
    };

    fn people() -> Table {
        let mut t = Table::new("people");
        t.columns = vec![
            not_null("id", ColumnType::Integer),
            col("name", ColumnType::Text),
            col("age", ColumnType::Integer),
        ];
        t.primary_key = Some(PrimaryKey {
            deferral: Default::default(),
            name: None,
            columns: vec!["id".into()],
        });
        t.indexes = vec![index("people_name", "people", &["name"])];
        t
    }

    fn plan_alter(actions: Vec<AlterAction>, ops: Vec<Op>, after: Table, text: &str) -> Plan {
        let before = schema_with(vec![people()]);
        let after = schema_with(vec![after]);
        let change = Change::AlterTable {
            table: "people".into(),
            actions,
        };
        let triggers = |t: &str| -> Result<Vec<(String, String)>, String> {
            Ok(vec![(
                format!("{t}_touch"),
                format!("CREATE TRIGGER {t}_touch AFTER UPDATE ON {t} BEGIN SELECT 1; END"),
            )])
        };
        let cx = Context {
            triggers: &triggers,
        };
        plan(
            &before,
            &after,
            &statement(text, Some(change)),
            &ops,
            Dialect::Sqlite,
            &cx,
        )
        .unwrap()
    }

    #[test]
    fn statements_sqlite_runs_as_written_stay_as_written() {
        let s = schema_with(vec![people()]);
        let text = "INSERT INTO people (id) VALUES (1)";
        let p = plan(
            &s,
            &s,
            &statement(text, None),
            &[],
            Dialect::Sqlite,
            &NO_TRIGGERS,
        )
        .unwrap();
        assert_eq!((p.sql, p.rebuilt_tables), (vec![text.to_string()], vec![]));

        let text = "ALTER TABLE people ADD COLUMN email TEXT REFERENCES mail (address) CHECK (email LIKE '%@%')";
        let column = col("email", ColumnType::Text);
        let fk = Constraint::ForeignKey(fk(&["email"], "mail", &["address"]));
        let check = Constraint::Check(Check {
            no_inherit: false,
            written: Default::default(),
            name: None,
            expr: "email LIKE '%@%'".into(),
        });
        let mut after = people();
        after.columns.push(column.clone());
        let p = plan_alter(
            vec![AlterAction::AddColumn {
                column: column.clone(),
                constraints: vec![fk.clone(), check.clone()],
            }],
            vec![
                Op::AddColumn {
                    table: "people".into(),
                    column,
                },
                Op::AddConstraint {
                    table: "people".into(),
                    constraint: fk,
                },
                Op::AddConstraint {
                    table: "people".into(),
                    constraint: check,
                },
            ],
            after,
            text,
        );
        assert_eq!((p.sql, p.rebuilt_tables), (vec![text.to_string()], vec![]));

        let text = "ALTER TABLE people DROP COLUMN age";
        let mut after = people();
        after.columns.pop();
        let p = plan_alter(
            vec![AlterAction::DropColumn("age".into())],
            vec![Op::DropColumn {
                table: "people".into(),
                column: col("age", ColumnType::Integer),
            }],
            after,
            text,
        );
        assert_eq!(p.sql, [text]);
    }

    #[test]
    fn several_native_actions_become_one_statement_each() {
        let email = with_default(not_null("email", ColumnType::Text), "''");
        let mut after = people();
        after.name = "persons".into();
        after.columns[1].name = "full_name".into();
        after.columns.push(email.clone());
        after.indexes = vec![index("people_name", "persons", &["full_name"])];
        let p = plan_alter(
            vec![
                AlterAction::RenameColumn {
                    from: "name".into(),
                    to: "full_name".into(),
                },
                AlterAction::RenameTable("persons".into()),
                AlterAction::AddColumn {
                    column: email.clone(),
                    constraints: vec![],
                },
            ],
            vec![
                Op::RenameColumn {
                    table: "people".into(),
                    from: "name".into(),
                    to: "full_name".into(),
                },
                Op::RenameTable {
                    from: "people".into(),
                    to: "persons".into(),
                },
                Op::AddColumn {
                    table: "persons".into(),
                    column: email,
                },
            ],
            after,
            "ALTER TABLE people RENAME COLUMN name TO full_name, RENAME TO persons, ADD COLUMN email TEXT NOT NULL DEFAULT ''",
        );
        assert_eq!(
            p.sql,
            [
                "ALTER TABLE people RENAME COLUMN name TO full_name",
                "ALTER TABLE people RENAME TO persons",
                "ALTER TABLE persons ADD COLUMN email TEXT NOT NULL DEFAULT ''",
            ]
        );
        assert!(p.rebuilt_tables.is_empty());
    }

    #[test]
    fn add_column_sqlite_refuses_is_a_rebuild() {
        let cases = [
            (not_null("email", ColumnType::Text), vec![]),
            (
                with_default(col("at", ColumnType::Text), "CURRENT_TIMESTAMP"),
                vec![],
            ),
            (
                with_default(col("at", ColumnType::Text), "datetime('now')"),
                vec![],
            ),
            (
                col("code", ColumnType::Text),
                vec![Constraint::Unique(Unique {
                    deferral: Default::default(),
                    name: None,
                    columns: vec!["code".into()],
                })],
            ),
            (
                with_default(col("boss", ColumnType::Integer), "1"),
                vec![Constraint::ForeignKey(fk(&["boss"], "people", &["id"]))],
            ),
        ];
        for (column, constraints) in cases {
            let mut after = people();
            after.columns.push(column.clone());
            let p = plan_alter(
                vec![AlterAction::AddColumn {
                    column: column.clone(),
                    constraints: constraints.clone(),
                }],
                vec![Op::AddColumn {
                    table: "people".into(),
                    column: column.clone(),
                }],
                after,
                "ALTER TABLE people ADD COLUMN ...",
            );
            assert_eq!(p.rebuilt_tables, ["people"], "{column:?} {constraints:?}");
        }
    }

    #[test]
    fn alter_column_is_a_rebuild_that_keeps_rows_indexes_and_triggers() {
        let mut after = people();
        after.columns[2] = not_null("age", ColumnType::BigInt);
        let p = plan_alter(
            vec![AlterAction::AlterColumn {
                column: "age".into(),
                alter: ColumnAlter::SetNotNull,
            }],
            vec![Op::AlterColumn {
                table: "people".into(),
                from: people().columns[2].clone(),
                to: after.columns[2].clone(),
            }],
            after,
            "ALTER TABLE people ALTER COLUMN age SET NOT NULL",
        );
        assert_eq!(
            p.sql,
            [
                "CREATE TABLE _wildebeest_new_people (\n    id INTEGER NOT NULL,\n    name TEXT,\n    age BIGINT NOT NULL,\n    PRIMARY KEY (id)\n)",
                "INSERT INTO _wildebeest_new_people (id, name, age) SELECT id, name, age FROM people",
                "DROP TABLE people",
                "PRAGMA legacy_alter_table = ON",
                "ALTER TABLE _wildebeest_new_people RENAME TO people",
                "PRAGMA legacy_alter_table = OFF",
                "CREATE INDEX people_name ON people (name)",
                "CREATE TRIGGER people_touch AFTER UPDATE ON people BEGIN SELECT 1; END",
            ]
        );
        assert_eq!(p.rebuilt_tables, ["people"]);
        // The copy, and only the copy, is known as one when it runs.
        let copies: Vec<_> = p.sql.iter().map(|s| rebuild_copy_source(s)).collect();
        assert_eq!(copies[1].as_deref(), Some("people"));
        assert_eq!(copies.iter().flatten().count(), 1);
    }

    #[test]
    fn a_rebuild_copy_of_a_quoted_name_is_known_and_a_look_alike_is_not() {
        let table = "my \"big\" FROM t";
        let sql = format!(
            "INSERT INTO {} (a) SELECT a FROM {}",
            quote_ident(&rebuild_name(table)),
            quote_ident(table)
        );
        assert_eq!(rebuild_copy_source(&sql).as_deref(), Some(table));
        for other in [
            "INSERT INTO _wildebeest_new_t (a) SELECT a FROM u",
            "INSERT INTO t (a) SELECT a FROM _wildebeest_new_t",
            "INSERT INTO _wildebeest_new_t (a) VALUES (1)",
            "SELECT a FROM t",
        ] {
            assert_eq!(rebuild_copy_source(other), None, "{other}");
        }
    }

    #[test]
    fn renames_in_a_rebuild_run_natively_after_it() {
        // The rebuild makes the table as it is before the renames; SQLite's own
        // RENAME then updates views, triggers and other tables' foreign keys. The
        // rowid is kept since `id BIGINT` is no alias of it.
        let mut before = people();
        before.columns[0].ty = ColumnType::BigInt;
        let mut after = before.clone();
        after.name = "persons".into();
        after.columns[1].name = "full_name".into();
        after.indexes = vec![index("people_name", "persons", &["full_name"])];
        after.checks = vec![Check {
            no_inherit: false,
            written: Default::default(),
            name: None,
            expr: "age >= 0 AND full_name <> ''".into(),
        }];
        let check = Constraint::Check(after.checks[0].clone());
        let change = Change::AlterTable {
            table: "people".into(),
            actions: vec![
                AlterAction::RenameColumn {
                    from: "name".into(),
                    to: "full_name".into(),
                },
                AlterAction::AddConstraint(check.clone()),
                AlterAction::RenameTable("persons".into()),
            ],
        };
        let ops = vec![
            Op::RenameColumn {
                table: "people".into(),
                from: "name".into(),
                to: "full_name".into(),
            },
            Op::AddConstraint {
                table: "people".into(),
                constraint: check,
            },
            Op::RenameTable {
                from: "people".into(),
                to: "persons".into(),
            },
        ];
        let p = plan(
            &schema_with(vec![before]),
            &schema_with(vec![after]),
            &statement("...", Some(change)),
            &ops,
            Dialect::Sqlite,
            &NO_TRIGGERS,
        )
        .unwrap();
        assert_eq!(
            p.sql,
            [
                "CREATE TABLE _wildebeest_new_people (\n    id BIGINT NOT NULL,\n    name TEXT,\n    age INTEGER,\n    PRIMARY KEY (id),\n    CHECK (age >= 0 AND name <> '')\n)",
                "INSERT INTO _wildebeest_new_people (rowid, id, name, age) SELECT rowid, id, name, age FROM people",
                "DROP TABLE people",
                "PRAGMA legacy_alter_table = ON",
                "ALTER TABLE _wildebeest_new_people RENAME TO people",
                "PRAGMA legacy_alter_table = OFF",
                "CREATE INDEX people_name ON people (name)",
                "ALTER TABLE people RENAME COLUMN name TO full_name",
                "ALTER TABLE people RENAME TO persons",
            ]
        );
        assert_eq!(p.rebuilt_tables, ["persons"]);
    }

    #[test]
    fn a_rename_can_follow_a_drop_of_its_new_name() {
        // DROP COLUMN name, RENAME COLUMN age TO name.
        let mut after = people();
        after.columns.remove(1);
        after.columns[1].name = "name".into();
        after.indexes.clear();
        let change = Change::AlterTable {
            table: "people".into(),
            actions: vec![
                AlterAction::DropColumn("name".into()),
                AlterAction::RenameColumn {
                    from: "age".into(),
                    to: "name".into(),
                },
            ],
        };
        let ops = vec![
            Op::DropIndex(people().indexes[0].clone()),
            Op::DropColumn {
                table: "people".into(),
                column: col("name", ColumnType::Text),
            },
            Op::RenameColumn {
                table: "people".into(),
                from: "age".into(),
                to: "name".into(),
            },
        ];
        let p = plan(
            &schema_with(vec![people()]),
            &schema_with(vec![after]),
            &statement("...", Some(change)),
            &ops,
            Dialect::Sqlite,
            &NO_TRIGGERS,
        )
        .unwrap();
        assert_eq!(
            p.sql[1],
            "INSERT INTO _wildebeest_new_people (id, age) SELECT id, age FROM people"
        );
        assert_eq!(
            p.sql.last().unwrap(),
            "ALTER TABLE people RENAME COLUMN age TO name"
        );
    }

    #[test]
    fn renames_that_cannot_wait_are_followed_by_the_copy() {
        // RENAME COLUMN name TO label, ADD COLUMN name: undoing the rename collides.
        let mut after = people();
        after.columns[1].name = "label".into();
        after.columns.push(col("name", ColumnType::Text));
        after.indexes = vec![index("people_name", "people", &["label"])];
        let mut unique = Unique {
            deferral: Default::default(),
            name: None,
            columns: vec!["name".into()],
        };
        after.uniques = vec![unique.clone()];
        unique.columns = vec!["name".into()];
        let change = Change::AlterTable {
            table: "people".into(),
            actions: vec![
                AlterAction::RenameColumn {
                    from: "name".into(),
                    to: "label".into(),
                },
                AlterAction::AddColumn {
                    column: col("name", ColumnType::Text),
                    constraints: vec![Constraint::Unique(unique.clone())],
                },
            ],
        };
        let ops = vec![
            Op::RenameColumn {
                table: "people".into(),
                from: "name".into(),
                to: "label".into(),
            },
            Op::AddColumn {
                table: "people".into(),
                column: col("name", ColumnType::Text),
            },
            Op::AddConstraint {
                table: "people".into(),
                constraint: Constraint::Unique(unique),
            },
        ];
        let p = plan(
            &schema_with(vec![people()]),
            &schema_with(vec![after]),
            &statement("...", Some(change)),
            &ops,
            Dialect::Sqlite,
            &NO_TRIGGERS,
        )
        .unwrap();
        assert_eq!(
            p.sql[..2],
            [
                "CREATE TABLE _wildebeest_new_people (\n    id INTEGER NOT NULL,\n    label TEXT,\n    age INTEGER,\n    name TEXT,\n    PRIMARY KEY (id),\n    UNIQUE (name)\n)",
                "INSERT INTO _wildebeest_new_people (id, label, age) SELECT id, name, age FROM people",
            ]
        );
        assert!(
            p.sql.iter().all(|s| !s.contains("RENAME COLUMN")),
            "{:?}",
            p.sql
        );
    }

    #[test]
    fn a_rebuild_keeps_the_autoincrement_counter() {
        let mut t = Table::new("events");
        t.columns = vec![
            Column {
                auto_increment: true,
                generated_always: false,
                on_update: None,
                ..not_null("id", ColumnType::Integer)
            },
            col("at", ColumnType::Text),
        ];
        t.primary_key = Some(PrimaryKey {
            deferral: Default::default(),
            name: None,
            columns: vec!["id".into()],
        });
        let mut after = t.clone();
        after.columns[1].nullable = false;
        let change = Change::AlterTable {
            table: "events".into(),
            actions: vec![AlterAction::AlterColumn {
                column: "at".into(),
                alter: ColumnAlter::SetNotNull,
            }],
        };
        let ops = vec![Op::AlterColumn {
            table: "events".into(),
            from: t.columns[1].clone(),
            to: after.columns[1].clone(),
        }];
        let p = plan(
            &schema_with(vec![t]),
            &schema_with(vec![after]),
            &statement("...", Some(change)),
            &ops,
            Dialect::Sqlite,
            &NO_TRIGGERS,
        )
        .unwrap();
        assert_eq!(
            p.sql[..4],
            [
                "CREATE TABLE _wildebeest_new_events (\n    id INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,\n    at TEXT NOT NULL\n)",
                "INSERT INTO _wildebeest_new_events (id, at) SELECT id, at FROM events",
                "DELETE FROM sqlite_sequence WHERE name = '_wildebeest_new_events'",
                "INSERT INTO sqlite_sequence (name, seq) SELECT '_wildebeest_new_events', seq FROM sqlite_sequence WHERE name = 'events'",
            ]
        );
    }

    #[test]
    fn a_rebuild_copies_no_value_into_a_generated_column() {
        let mut before = people();
        before.columns.push(Column {
            generated: Some(wildebeest_schema::Generated {
                expr: "age * 2".into(),
                stored: true,
            }),
            ..col("twice", ColumnType::Integer)
        });
        let mut after = before.clone();
        after.columns[2].nullable = false;
        let change = Change::AlterTable {
            table: "people".into(),
            actions: vec![AlterAction::AlterColumn {
                column: "age".into(),
                alter: ColumnAlter::SetNotNull,
            }],
        };
        let ops = vec![Op::AlterColumn {
            table: "people".into(),
            from: before.columns[2].clone(),
            to: after.columns[2].clone(),
        }];
        let p = plan(
            &schema_with(vec![before]),
            &schema_with(vec![after]),
            &statement(
                "ALTER TABLE people ALTER COLUMN age SET NOT NULL",
                Some(change),
            ),
            &ops,
            Dialect::Sqlite,
            &NO_TRIGGERS,
        )
        .unwrap();
        assert_eq!(
            p.sql[..2],
            [
                "CREATE TABLE _wildebeest_new_people (\n    id INTEGER NOT NULL,\n    name TEXT,\n    \
                 age INTEGER NOT NULL,\n    twice INTEGER GENERATED ALWAYS AS (age * 2) STORED,\n    \
                 PRIMARY KEY (id)\n)",
                "INSERT INTO _wildebeest_new_people (id, name, age) SELECT id, name, age FROM people",
            ]
        );
    }

    #[test]
    fn a_stored_generated_column_is_added_by_a_rebuild_a_virtual_one_in_place() {
        for (stored, rebuilt) in [(false, false), (true, true)] {
            let column = Column {
                generated: Some(wildebeest_schema::Generated {
                    expr: "age * 2".into(),
                    stored,
                }),
                ..col("twice", ColumnType::Integer)
            };
            let mut after = people();
            after.columns.push(column.clone());
            let p = plan_alter(
                vec![AlterAction::AddColumn {
                    column: column.clone(),
                    constraints: vec![],
                }],
                vec![Op::AddColumn {
                    table: "people".into(),
                    column,
                }],
                after,
                "ALTER TABLE people ADD COLUMN twice ...",
            );
            assert_eq!(p.rebuilt_tables.len() == 1, rebuilt, "{:?}", p.sql);
            if rebuilt {
                assert_eq!(
                    p.sql[1],
                    "INSERT INTO _wildebeest_new_people (id, name, age) SELECT id, name, age FROM people"
                );
            }
        }
    }

    #[test]
    fn a_rebuild_of_a_table_with_unmodeled_parts_is_refused() {
        let mut before = people();
        before.unmodeled = vec!["column name: ON CONFLICT REPLACE".into()];
        let mut after = before.clone();
        after.columns[2].nullable = false;
        let change = Change::AlterTable {
            table: "people".into(),
            actions: vec![AlterAction::AlterColumn {
                column: "age".into(),
                alter: ColumnAlter::SetNotNull,
            }],
        };
        let ops = vec![Op::AlterColumn {
            table: "people".into(),
            from: before.columns[2].clone(),
            to: after.columns[2].clone(),
        }];
        let err = plan(
            &schema_with(vec![before]),
            &schema_with(vec![after]),
            &statement("...", Some(change)),
            &ops,
            Dialect::Sqlite,
            &NO_TRIGGERS,
        )
        .err()
        .unwrap();
        assert!(
            err.contains("table `people` is defined with parts wildebeest does not model"),
            "{err}"
        );
        assert!(err.ends_with("column name: ON CONFLICT REPLACE"), "{err}");
    }

    #[test]
    fn enum_columns_are_text_and_enum_types_run_nothing() {
        let mut s = Schema::new();
        s.enums
            .insert("mood".into(), vec!["sad".into(), "ok".into()]);
        let mut person = Table::new("person");
        person.columns = vec![col("mood", ColumnType::Enum("mood".into()))];
        s.tables.insert("person".into(), person.clone());
        let render = |op: Op| render_op(&op, &s).unwrap();
        let mut visit = Table::new("visit");
        visit.columns = person.columns.clone();
        assert_eq!(
            render(Op::CreateTable(visit)),
            ["CREATE TABLE visit (\n    mood TEXT\n)"]
        );
        for op in [
            Op::CreateEnum {
                name: "size".into(),
                labels: vec![],
            },
            Op::AddEnumValue {
                name: "mood".into(),
                value: "happy".into(),
                position: LabelPosition::Last,
            },
            Op::DropEnumValue {
                name: "mood".into(),
                value: "sad".into(),
                position: LabelPosition::Last,
            },
            Op::RenameEnum {
                from: "mood".into(),
                to: "feeling".into(),
            },
        ] {
            assert_eq!(render(op), Vec::<String>::new());
        }
        assert_eq!(
            render(Op::RenameEnumValue {
                name: "mood".into(),
                from: "sad".into(),
                to: "blue".into(),
            }),
            ["UPDATE person SET mood = 'blue' WHERE mood = 'sad'"]
        );
        // A PostgreSQL statement about a type the model does not know runs nothing.
        let (statements, _) = wildebeest_sql::parse_statements(
            "ALTER TYPE gone ADD VALUE 'x'",
            "m.sql",
            Dialect::Postgres,
        )
        .unwrap();
        let got = plan(&s, &s, &statements[0], &[], Dialect::Postgres, &NO_TRIGGERS).unwrap();
        assert_eq!(got.sql, Vec::<String>::new());
    }

    #[test]
    fn a_postgres_identity_switched_to_always_runs_nothing_and_a_dropped_one_rebuilds() {
        let mut t = people();
        t.columns[0].auto_increment = true;
        let before = schema_with(vec![t]);
        let planned = |sql: &str| {
            let (statements, _) =
                wildebeest_sql::parse_statements(sql, "m.sql", Dialect::Postgres).unwrap();
            let ops = statements[0]
                .change
                .as_ref()
                .expect("understood")
                .resolve(&before)
                .unwrap();
            plan_ops(
                &before,
                &statements[0],
                &ops,
                Dialect::Postgres,
                &NO_TRIGGERS,
            )
            .unwrap()
        };
        let set = planned("ALTER TABLE people ALTER COLUMN id SET GENERATED ALWAYS");
        assert_eq!(set.sql, Vec::<String>::new());
        let dropped = planned("ALTER TABLE people ALTER COLUMN id DROP IDENTITY");
        assert_eq!(dropped.rebuilt_tables, ["people"]);
        assert!(
            dropped
                .sql
                .iter()
                .any(|s| s.contains("id INTEGER NOT NULL,")),
            "{:#?}",
            dropped.sql
        );
    }
}
