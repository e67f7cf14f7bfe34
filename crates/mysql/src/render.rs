//! Ops as MySQL migration SQL, the plan of each statement of a migration, and the
//! queries that count what a destructive op would destroy.
//!
//! [`render_op`] writes what a generated migration file for MySQL contains: one
//! readable, deterministic statement per step, which MySQL runs as written and which
//! `wildebeest_sql::parse_statements` in the MySQL dialect reads back into the same op
//! (see the exceptions on [`render_op`]).
//!
//! MySQL names every constraint itself when the SQL gives no name (`t_ibfk_1`, a
//! unique index after its first column, `CONSTRAINT_1`), which no later statement
//! could predict. So every constraint the model leaves unnamed is written with its
//! [`Constraint::sql_name`] (`t_email_key`, `t_team_fkey`), the name a later `DROP`
//! uses; introspection reads such a name back as no name.

use std::borrow::Cow;
use wildebeest_runner::{Loss, Refusal, Requirement};
use wildebeest_schema::{
    Column, ColumnType, Constraint, Index, LabelPosition, MysqlPartition, MysqlPartitioning, Op,
    Schema, Table, TableOptions,
};
use wildebeest_sql::{Dialect, Statement};

use crate::types::{DEFAULT_VARCHAR_LENGTH, inline_enum, render_type, stored_type};

/// An op that MySQL SQL cannot express, with what to do instead.
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

/// The statements (without a trailing `;`) of a MySQL migration file that carry out
/// `op`. `before` is the schema `op` applies to: naming an unnamed constraint needs its
/// table ([`Constraint::sql_name`]), and so does `MODIFY COLUMN`, which restates the
/// whole column.
///
/// What parses back into another op than the one rendered:
/// - a constraint the model leaves unnamed comes back named with its `sql_name`;
/// - `DROP PRIMARY KEY`, and `MODIFY COLUMN` of a column with `AUTO_INCREMENT` or a
///   collation, are not understood by the parser (they run, but a model replayed from
///   the file does not follow them);
/// - the types [`stored_type`](crate::stored_type) maps to another type.
///
/// Fails for what MySQL has no statement for: a partial index, a column whose
/// attributes the model does not capture (`MODIFY COLUMN` would drop them), a table
/// with parts the model does not capture.
///
/// MySQL has no enum types (PostgreSQL's, from a migration file written for it): an
/// enum column is `ENUM(...)` of its type's labels in `before`; creating, dropping or
/// renaming a type gives no statement, and adding, removing or renaming a label gives
/// `MODIFY COLUMN` of each column of the type (a renamed label through a list with
/// both and an `UPDATE` of the stored values).
pub fn render_op(op: &Op, before: &Schema) -> Result<Vec<String>, RenderError> {
    if let Some(table) = op.partitioned_table() {
        return Err(RenderError::new(format!(
            "table `{table}` is partitioned the PostgreSQL way (`PARTITION BY`, `PARTITION \
             OF`), which MySQL cannot make from a PostgreSQL file; write the table for \
             MySQL by hand in a revision"
        )));
    }
    let q = quote_ident;
    let op = &inline_enums(op, before)?;
    Ok(match op {
        Op::CreateTable(table) => {
            let mut out = vec![create_table(table)?];
            for ix in &table.indexes {
                out.push(create_index(ix, Some(table))?);
            }
            out
        }
        Op::DropTable(table) => vec![format!("DROP TABLE {}", q(&table.name))],
        Op::RenameTable { from, to } => {
            vec![format!("ALTER TABLE {} RENAME TO {}", q(from), q(to))]
        }
        Op::AddColumn { table, column } => vec![format!(
            "ALTER TABLE {} ADD COLUMN {}",
            q(table),
            column_def(column)
        )],
        Op::DropColumn { table, column } => vec![format!(
            "ALTER TABLE {} DROP COLUMN {}",
            q(table),
            q(&column.name)
        )],
        Op::RenameColumn { table, from, to } => vec![format!(
            "ALTER TABLE {} RENAME COLUMN {} TO {}",
            q(table),
            q(from),
            q(to)
        )],
        Op::AlterColumn { table, from, to } => alter_column(table, from, to, before)?,
        Op::AddConstraint { table, constraint } => {
            let t = constraint_table(table, constraint, before, "add")?;
            vec![format!(
                "ALTER TABLE {} ADD {}",
                q(table),
                constraint_def(constraint, &t)
            )]
        }
        Op::DropConstraint { table, constraint } => {
            let t = constraint_table(table, constraint, before, "drop")?;
            let name = q(&constraint.sql_name(&t));
            let action = match constraint {
                Constraint::PrimaryKey(_) => "DROP PRIMARY KEY".to_string(),
                Constraint::ForeignKey(_) => format!("DROP FOREIGN KEY {name}"),
                Constraint::Unique(_) | Constraint::Check(_) | Constraint::Exclusion(_) => {
                    format!("DROP CONSTRAINT {name}")
                }
            };
            vec![format!("ALTER TABLE {} {action}", q(table))]
        }
        Op::RenameConstraint { table, from, to } => rename_constraint(table, from, to, before)?,
        Op::AlterTableOptions {
            table,
            from,
            to,
            columns,
        } => alter_options(table, from, to, columns),
        Op::CreateIndex(index) => vec![create_index(index, before.table(&index.table))?],
        Op::DropIndex(index) => vec![format!(
            "DROP INDEX {} ON {}",
            q(&index.name),
            q(&index.table)
        )],
        Op::AlterIndex { from, to } => vec![alter_index_visibility(from, to)],
        // MySQL has no types: a column holds its labels itself.
        Op::CreateEnum { .. } | Op::DropEnum { .. } | Op::RenameEnum { .. } => Vec::new(),
        Op::CreateView(v) | Op::DropView(v) | Op::ReplaceView { to: v, .. } if v.materialized => {
            return Err(RenderError::new(format!(
                "MySQL has no materialized views: materialized view `{}` is PostgreSQL's, and \
                 a migration that makes, changes or drops one runs on PostgreSQL only",
                v.name
            )));
        }
        Op::CreateView(v) => vec![v.create_sql("CREATE", q)],
        Op::DropView(v) => vec![format!("DROP VIEW {}", q(&v.name))],
        // MySQL replaces any view in place, whatever its columns become.
        Op::ReplaceView { to, .. } => vec![to.create_sql("CREATE OR REPLACE", q)],
        Op::RenameView { from, to } => vec![format!("RENAME TABLE {} TO {}", q(from), q(to))],
        Op::CreateSequence(s) | Op::DropSequence(s) | Op::AlterSequence { to: s, .. } => {
            return Err(no_sequences(&s.name));
        }
        Op::RenameSequence { from, .. } => return Err(no_sequences(from)),
        Op::CreateType(_) | Op::DropType(_) | Op::AlterComposite { .. } => {
            let (kind, name) = op.user_type().unwrap_or_default();
            return Err(RenderError::new(format!(
                "MySQL has no composite or range types: {kind} `{name}` is PostgreSQL's, and a \
                 migration that makes, changes or drops one runs on PostgreSQL only"
            )));
        }
        Op::CreateDomain(d) | Op::DropDomain(d) | Op::AlterDomain { to: d, .. } => {
            return Err(RenderError::new(format!(
                "MySQL has no domains: domain `{}` is PostgreSQL's, and a migration \
                 that makes, changes or drops one runs on PostgreSQL only",
                d.name
            )));
        }
        Op::SetComment { on, .. } => {
            return Err(RenderError::new(format!(
                "MySQL has no `COMMENT ON`: a comment on {} is PostgreSQL's, and a \
                 migration that sets one runs on PostgreSQL only",
                on.describe()
            )));
        }
        Op::CreateExtension(e) | Op::DropExtension(e) => {
            return Err(RenderError::new(format!(
                "MySQL has no extensions: extension `{}` is PostgreSQL's, and a \
                 migration that makes or drops one runs on PostgreSQL only",
                e.name
            )));
        }
        Op::CreateRoutine(r) | Op::DropRoutine(r) | Op::ReplaceRoutine { to: r, .. }
            if !r.by_name =>
        {
            return Err(RenderError::new(format!(
                "{} `{}` is PostgreSQL's: its body cannot run on MySQL, and a migration \
                 that makes, changes or drops one runs on PostgreSQL only",
                r.kind.word(),
                r.signature()
            )));
        }
        // A routine is written as its definition was, so that a downgrade makes a
        // dropped one again byte for byte; its `BEGIN ... END` body, whose `;` the
        // statement splitter keeps inside, needs no `DELIMITER`.
        Op::CreateRoutine(r) => vec![r.create_sql("CREATE", q)],
        Op::DropRoutine(r) => vec![r.drop_sql(q)],
        // MySQL has no `CREATE OR REPLACE` for routines (MariaDB has): a drop and a
        // create on both.
        Op::ReplaceRoutine { from, to } => vec![from.drop_sql(q), to.create_sql("CREATE", q)],
        Op::CreateTrigger(t) | Op::DropTrigger(t) | Op::AlterTrigger { to: t, .. }
            if t.per_table() =>
        {
            return Err(RenderError::new(format!(
                "trigger `{}` on `{}` is PostgreSQL's: it runs a function, which MySQL has not",
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
                "table `{table}`: row-level security is PostgreSQL's; MySQL has none"
            )));
        }
        Op::CreatePolicy(p) | Op::DropPolicy(p) => {
            return Err(RenderError::new(format!(
                "policy `{}` on `{}` is PostgreSQL's row-level security; MySQL has none",
                p.name, p.table
            )));
        }
        Op::CreateRule(r) | Op::DropRule(r) => {
            return Err(RenderError::new(format!(
                "rule `{}` on `{}` is PostgreSQL's (`CREATE RULE`); MySQL has none",
                r.name, r.table
            )));
        }
        Op::CreateTrigger(t) => vec![t.create_sql(q)],
        Op::DropTrigger(t) => vec![format!("DROP TRIGGER {}", q(&t.name))],
        Op::AddEnumValue { name, .. } | Op::DropEnumValue { name, .. } => {
            let mut out = Vec::new();
            for (table, from, to) in enum_columns(name, op, before)? {
                out.extend(alter_column(&table, &from, &to, before)?);
            }
            out
        }
        Op::RenameEnumValue { name, from, to } => {
            // Through a list with both labels, so that no stored value is ever outside
            // the column's list: widen, update the values, narrow.
            let widen = Op::AddEnumValue {
                name: name.clone(),
                value: to.clone(),
                position: LabelPosition::After(from.clone()),
            };
            let wide = enum_columns(name, &widen, before)?;
            let renamed = enum_columns(name, op, before)?;
            let mut out = Vec::new();
            for ((table, old, both), (_, _, new)) in wide.into_iter().zip(renamed) {
                let c = q(&old.name);
                out.extend(alter_column(&table, &old, &both, before)?);
                out.push(format!(
                    "UPDATE {} SET {c} = {} WHERE {c} = {}",
                    q(&table),
                    quote_literal(to),
                    quote_literal(from)
                ));
                out.extend(alter_column(&table, &both, &new, before)?);
            }
            out
        }
    })
}

/// `op` with each enum column type as `ENUM(...)` of the type's labels in `before`.
fn inline_enums(op: &Op, before: &Schema) -> Result<Op, RenderError> {
    let column = |c: &Column| -> Result<Column, RenderError> {
        let ty = inline_enum(&c.ty, before).ok_or_else(|| {
            RenderError::new(format!(
                "column `{}` has the enum type `{}`, which the schema does not have",
                c.name, c.ty
            ))
        })?;
        Ok(Column { ty, ..c.clone() })
    };
    Ok(match op {
        Op::CreateTable(t) => {
            let mut t = t.clone();
            t.columns = t.columns.iter().map(column).collect::<Result<_, _>>()?;
            Op::CreateTable(t)
        }
        Op::AddColumn { table, column: c } => Op::AddColumn {
            table: table.clone(),
            column: column(c)?,
        },
        Op::AlterColumn { table, from, to } => Op::AlterColumn {
            table: table.clone(),
            from: column(from)?,
            to: column(to)?,
        },
        Op::AlterTableOptions {
            table,
            from,
            to,
            columns,
        } => Op::AlterTableOptions {
            table: table.clone(),
            from: from.clone(),
            to: to.clone(),
            columns: columns.iter().map(column).collect::<Result<_, _>>()?,
        },
        other => other.clone(),
    })
}

/// For an op that changes the labels of the enum type `name`: each column of that
/// type in `before`, with its table, as MySQL has it before and after `op` (with the
/// `ENUM(...)` list of the labels before and after).
fn enum_columns(
    name: &str,
    op: &Op,
    before: &Schema,
) -> Result<Vec<(String, Column, Column)>, RenderError> {
    let mut after = before.clone();
    op.apply(&mut after)
        .map_err(|e| RenderError::new(format!("{}: {e}", op.describe())))?;
    let mut out = Vec::new();
    for (table, column) in before.enum_users(name) {
        let Some(col) = before.table(&table).and_then(|t| t.column(&column)) else {
            continue;
        };
        let inlined = |schema: &Schema| Column {
            ty: inline_enum(&col.ty, schema).unwrap_or_else(|| col.ty.clone()),
            ..col.clone()
        };
        out.push((table, inlined(before), inlined(&after)));
    }
    Ok(out)
}

/// The table a constraint is added to or dropped from, as `sql_name` needs it: from
/// `before`, or (for an add to a table `before` lacks) one with no columns, which
/// names every constraint but a check the same.
/// A constraint's new name: MySQL has no `RENAME CONSTRAINT` and calls every primary
/// key `PRIMARY` (nothing to do). A unique constraint is added under its new name
/// before the old one goes, so that the columns are never without the index a foreign
/// key may need; a foreign key or a check is dropped and added again (the index MySQL
/// made for the key goes with it, as [`around`] says, and MySQL makes one under the
/// new name).
fn rename_constraint(
    table: &str,
    from: &Constraint,
    to: &Constraint,
    before: &Schema,
) -> Result<Vec<String>, RenderError> {
    let t = constraint_table(table, from, before, "rename")?;
    if matches!(from, Constraint::PrimaryKey(_)) || from.sql_name(&t) == to.sql_name(&t) {
        return Ok(Vec::new());
    }
    let drop = Op::DropConstraint {
        table: table.to_string(),
        constraint: from.clone(),
    };
    let add = Op::AddConstraint {
        table: table.to_string(),
        constraint: to.clone(),
    };
    let mut out = Vec::new();
    if let Constraint::Unique(_) = from {
        out.extend(render_op(&add, before)?);
        let mut added = before.clone();
        add.apply(&mut added)
            .map_err(|e| RenderError::new(e.to_string()))?;
        out.extend(render_op(&drop, &added)?);
    } else {
        out.extend(render_op(&drop, before)?);
        if let Constraint::ForeignKey(_) = from
            && implicit_fk_index(before, table, &from.sql_name(&t))
        {
            out.push(format!(
                "DROP INDEX {} ON {}",
                quote_ident(&from.sql_name(&t)),
                quote_ident(table)
            ));
        }
        let mut dropped = before.clone();
        drop.apply(&mut dropped)
            .map_err(|e| RenderError::new(e.to_string()))?;
        out.extend(render_op(&add, &dropped)?);
    }
    Ok(out)
}

fn constraint_table(
    table: &str,
    constraint: &Constraint,
    before: &Schema,
    verb: &str,
) -> Result<Table, RenderError> {
    match before.table(table) {
        Some(t) => Ok(t.clone()),
        None if verb == "add" || constraint.name().is_some() => Ok(Table::new(table)),
        None => Err(RenderError::new(format!(
            "cannot name the constraint {} to {verb}: table `{table}` is not in the schema",
            constraint.describe()
        ))),
    }
}

/// `ALTER COLUMN c SET DEFAULT x` / `DROP DEFAULT` when only the default changes, which
/// leaves the rest of the column alone; else `MODIFY COLUMN` with the whole new
/// definition, as MySQL requires.
fn alter_column(
    table: &str,
    from: &Column,
    to: &Column,
    before: &Schema,
) -> Result<Vec<String>, RenderError> {
    let t = quote_ident(table);
    let col = quote_ident(&to.name);
    // MySQL has no `GENERATED ALWAYS` identity (PostgreSQL's): a change of it alone
    // changes nothing here.
    let from = &Column {
        generated_always: to.generated_always,
        ..from.clone()
    };
    let only_default = Column {
        default: to.default.clone(),
        ..from.clone()
    } == *to;
    if from == to {
        return Ok(Vec::new());
    }
    if only_default {
        return Ok(vec![match &to.default {
            Some(d) => format!(
                "ALTER TABLE {t} ALTER COLUMN {col} SET DEFAULT {}",
                default_sql(d, &to.ty)
            ),
            None => format!("ALTER TABLE {t} ALTER COLUMN {col} DROP DEFAULT"),
        }]);
    }
    if let Some(own) = before.table(table) {
        let prefix = format!("column {}: ", from.name);
        let unmodeled: Vec<&str> = own
            .unmodeled
            .iter()
            .filter(|u| u.starts_with(&prefix))
            .map(String::as_str)
            .collect();
        if !unmodeled.is_empty() {
            return Err(RenderError::new(format!(
                "column `{table}.{}` has attributes the model does not capture ({}), which \
                 MODIFY COLUMN would drop; write the statement by hand",
                from.name,
                unmodeled.join("; ")
            )));
        }
    }
    Ok(vec![format!(
        "ALTER TABLE {t} MODIFY COLUMN {}",
        column_def(to)
    )])
}

/// A change of table options. A new character set or collation converts the table
/// (`CONVERT TO CHARACTER SET`), which is what a table whose columns say none of
/// their own means: they follow the table. MySQL converts the columns that do say
/// one too, so each of those is given its own back. The engine and the comment are
/// one more statement.
fn alter_options(
    table: &str,
    from: &TableOptions,
    to: &TableOptions,
    columns: &[Column],
) -> Vec<String> {
    let t = quote_ident(table);
    let mut out = Vec::new();
    if (&from.charset, &from.collation) != (&to.charset, &to.collation) {
        let charset = to
            .charset
            .clone()
            .or_else(|| to.collation.as_deref().map(collation_charset))
            .unwrap_or_else(|| "DEFAULT".to_string());
        let mut convert = format!("ALTER TABLE {t} CONVERT TO CHARACTER SET {charset}");
        if let Some(c) = &to.collation {
            convert.push_str(&format!(" COLLATE {c}"));
        }
        out.push(convert);
        out.extend(
            columns
                .iter()
                .map(|c| format!("ALTER TABLE {t} MODIFY COLUMN {}", column_def(c))),
        );
    }
    let mut rest = Vec::new();
    if from.engine != to.engine {
        rest.push(format!(
            "ENGINE = {}",
            to.engine.as_deref().unwrap_or("InnoDB")
        ));
    }
    if from.comment != to.comment {
        rest.push(format!(
            "COMMENT = {}",
            quote_literal(to.comment.as_deref().unwrap_or(""))
        ));
    }
    rest.extend(other_options(&from.mysql, &to.mysql));
    if !rest.is_empty() {
        out.push(format!("ALTER TABLE {t} {}", rest.join(" ")));
    }
    if from.mysql_partitioning != to.mysql_partitioning {
        out.extend(alter_partitioning(
            table,
            from.mysql_partitioning.as_ref(),
            to.mysql_partitioning.as_ref(),
        ));
    }
    out
}

/// The words of `ALTER TABLE` that take MySQL's other table options from `from` to
/// `to` (`ROW_FORMAT=COMPRESSED`), in the order of their names: an option set anew
/// is written with its value, one that goes is taken back to its default
/// (`ROW_FORMAT=DEFAULT`; `0` for `KEY_BLOCK_SIZE`, `CHECKSUM` and `DELAY_KEY_WRITE`,
/// which take no `DEFAULT`).
fn other_options(from: &[String], to: &[String]) -> Vec<String> {
    let name = |o: &String| o.split_once('=').map_or(o.clone(), |(n, _)| n.to_string());
    let names: std::collections::BTreeSet<String> = from.iter().chain(to).map(name).collect();
    let mut out = Vec::new();
    for n in names {
        let old = from.iter().find(|o| name(o) == n);
        match to.iter().find(|o| name(o) == n) {
            Some(new) if Some(new) != old => out.push(new.clone()),
            Some(_) => {}
            None if matches!(
                n.as_str(),
                "KEY_BLOCK_SIZE" | "CHECKSUM" | "DELAY_KEY_WRITE"
            ) =>
            {
                out.push(format!("{n}=0"));
            }
            None => out.push(format!("{n}=DEFAULT")),
        }
    }
    out
}

/// The character set a collation belongs to: the part of its name before the first
/// `_` (`utf8mb4_bin` is `utf8mb4`'s), or the name itself (`binary`).
fn collation_charset(collation: &str) -> String {
    collation
        .split_once('_')
        .map_or(collation, |(cs, _)| cs)
        .to_string()
}

/// ` ENGINE=x DEFAULT CHARSET=cs COLLATE=c COMMENT='...'`: the options a table has
/// that are not the database's defaults.
fn table_options(options: &TableOptions) -> String {
    let mut out = String::new();
    if let Some(e) = &options.engine {
        out.push_str(&format!(" ENGINE={e}"));
    }
    if let Some(cs) = &options.charset {
        out.push_str(&format!(" DEFAULT CHARSET={cs}"));
    }
    if let Some(c) = &options.collation {
        out.push_str(&format!(" COLLATE={c}"));
    }
    if let Some(c) = &options.comment {
        out.push_str(&format!(" COMMENT={}", quote_literal(c)));
    }
    for o in &options.mysql {
        out.push_str(&format!(" {o}"));
    }
    out
}

/// The multi-line `CREATE TABLE` for `table`, every constraint named.
pub(crate) fn create_table(table: &Table) -> Result<String, RenderError> {
    create_table_with(table, Vec::new())
}

/// `op` when it creates a table: one `CREATE TABLE` that holds the table's indexes
/// too (`[UNIQUE] INDEX n (a, b)`), which MySQL stores as it stores a `CREATE INDEX`
/// after the table; `None` for any other op. Each `CREATE INDEX` on InnoDB is a DDL
/// statement of its own, with its own commit and file sync, so the scratch schema
/// `check` builds (`scratch`) is made a statement per table.
pub(crate) fn create_table_inline(op: &Op, before: &Schema) -> Result<Option<String>, RenderError> {
    if !matches!(op, Op::CreateTable(_)) {
        return Ok(None);
    }
    let Op::CreateTable(table) = inline_enums(op, before)? else {
        return Ok(None);
    };
    let mut lines = Vec::new();
    for index in &table.indexes {
        // What `CREATE INDEX` refuses (a predicate, `NULLS NOT DISTINCT`) is refused here.
        create_index(index, Some(&table))?;
        let parts: Vec<String> = index
            .columns
            .iter()
            .map(|p| index_part(p, Some(&table)))
            .collect();
        lines.push(format!(
            "{}INDEX {} ({}){}",
            index_kind(index),
            quote_ident(&index.name),
            parts.join(", "),
            index_comment(index)
        ));
    }
    create_table_with(&table, lines).map(Some)
}

/// `CREATE TABLE` of `table` with `extra` lines after its columns and constraints.
fn create_table_with(table: &Table, extra: Vec<String>) -> Result<String, RenderError> {
    // A table of a SQLite-dialect migration: this database makes a key's columns
    // NOT NULL, so they are written so.
    let table = &*table.with_not_null_key();
    if !table.unmodeled.is_empty() {
        return Err(RenderError::new(format!(
            "table `{}` has parts the model does not capture ({}); write its CREATE TABLE by hand",
            table.name,
            table.unmodeled.join("; ")
        )));
    }
    let mut lines: Vec<String> = table.columns.iter().map(column_def).collect();
    // The same unnamed check written twice is made twice, the second named as
    // PostgreSQL names it (`t_a_check1`): a name is a table's own here.
    let mut names = std::collections::BTreeSet::new();
    for c in table.constraints() {
        let mut def = constraint_def(&c, table);
        if let Constraint::Check(ch) = &c
            && ch.name.is_none()
        {
            let base = c.sql_name(table);
            let mut n = 0;
            let mut name = base.clone();
            while !names.insert(name.clone()) {
                n += 1;
                name = format!("{base}{n}");
            }
            if n > 0 {
                def = wildebeest_sql::render::constraint_def(&c, Some(&name), Dialect::Mysql);
            }
        }
        lines.push(def);
    }
    lines.extend(extra);
    let mut sql = format!(
        "CREATE TABLE {} (\n    {}\n){}",
        quote_ident(&table.name),
        lines.join(",\n    "),
        table_options(&table.options)
    );
    if let Some(p) = &table.options.mysql_partitioning {
        sql.push('\n');
        sql.push_str(&partition_by(p));
    }
    Ok(sql)
}

/// `PARTITION BY RANGE (expr) (PARTITION p0 VALUES LESS THAN (10), ...)` or
/// `PARTITION BY HASH (id) PARTITIONS 4`: a table's whole partitioning.
pub(crate) fn partition_by(p: &MysqlPartitioning) -> String {
    let expr = if p.method.ends_with("COLUMNS") || p.method.ends_with("KEY") {
        p.expr
            .split(", ")
            .filter(|c| !c.is_empty())
            .map(quote_ident)
            .collect::<Vec<_>>()
            .join(", ")
    } else {
        p.expr.clone()
    };
    let mut out = format!("PARTITION BY {} ({expr})", p.method);
    if let Some(n) = p.count {
        out.push_str(&format!(" PARTITIONS {n}"));
    }
    if !p.partitions.is_empty() {
        out.push_str(&format!(" {}", partition_list(&p.partitions)));
    }
    out
}

/// `(PARTITION p0 VALUES LESS THAN (10), ...)`, one partition a line.
fn partition_list(partitions: &[MysqlPartition]) -> String {
    let defs: Vec<String> = partitions
        .iter()
        .map(|q| match &q.values {
            Some(v) => format!("PARTITION {} VALUES {v}", quote_ident(&q.name)),
            None => format!("PARTITION {}", quote_ident(&q.name)),
        })
        .collect();
    format!("(\n    {}\n)", defs.join(",\n    "))
}

/// The statements that take a table from partitioning `from` to `to`: `DROP
/// PARTITION` of the partitions that go (their rows with them), `ADD PARTITION`
/// after the last one, `REMOVE PARTITIONING`, or else `PARTITION BY` the whole new
/// partitioning, which keeps every row (MySQL refuses one that fits no partition).
fn alter_partitioning(
    table: &str,
    from: Option<&MysqlPartitioning>,
    to: Option<&MysqlPartitioning>,
) -> Vec<String> {
    let t = quote_ident(table);
    match (from, to) {
        (_, None) => vec![format!("ALTER TABLE {t} REMOVE PARTITIONING")],
        (Some(a), Some(b)) if a.drops_to(b).is_some() => {
            let names: Vec<String> = a
                .drops_to(b)
                .unwrap_or_default()
                .iter()
                .map(|p| quote_ident(&p.name))
                .collect();
            vec![format!(
                "ALTER TABLE {t} DROP PARTITION {}",
                names.join(", ")
            )]
        }
        (Some(a), Some(b)) if a.adds_to(b).is_some() => vec![format!(
            "ALTER TABLE {t} ADD PARTITION {}",
            partition_list(a.adds_to(b).unwrap_or_default())
        )],
        (_, Some(b)) => vec![format!("ALTER TABLE {t} {}", partition_by(b))],
    }
}

/// `name TYPE [CHARACTER SET cs] [GENERATED ALWAYS AS (expr) STORED|VIRTUAL] [NOT NULL]
/// [DEFAULT x] [ON UPDATE x]
/// [AUTO_INCREMENT] [COLLATE c] [COMMENT '...']`.
pub(crate) fn column_def(col: &Column) -> String {
    // PostgreSQL's serial types are MySQL's integers numbered by `AUTO_INCREMENT`
    // (MySQL's own `SERIAL` is a `BIGINT UNSIGNED` with a unique key of its own).
    let serial = col.ty.serial_integer();
    let ty = serial.as_ref().unwrap_or(&col.ty);
    let mut out = format!("{} {}", quote_ident(&col.name), render_type(ty));
    if let Some(cs) = &col.charset {
        out.push_str(" CHARACTER SET ");
        out.push_str(cs);
    }
    // MySQL takes the clause before `NOT NULL`, MariaDB refuses `NOT NULL` on a
    // generated column; either way it comes right after the type.
    if let Some(g) = &col.generated {
        out.push(' ');
        out.push_str(&g.clause());
    }
    if !col.nullable {
        out.push_str(" NOT NULL");
    }
    if let Some(d) = &col.default {
        out.push_str(" DEFAULT ");
        out.push_str(&default_sql(d, &col.ty));
    }
    if let Some(e) = &col.on_update {
        out.push_str(" ON UPDATE ");
        out.push_str(e);
    }
    // Where MySQL 8 and MariaDB both take it, and where `SHOW CREATE TABLE` writes it.
    if col.invisible {
        out.push_str(" INVISIBLE");
    }
    if col.auto_increment || serial.is_some() {
        out.push_str(" AUTO_INCREMENT");
    }
    if let Some(c) = &col.collation {
        out.push_str(" COLLATE ");
        out.push_str(&quote_ident(c));
    }
    if let Some(c) = &col.comment {
        out.push_str(" COMMENT ");
        out.push_str(&quote_literal(c));
    }
    out
}

/// A table constraint, always named: `CONSTRAINT n UNIQUE (a, b)`,
/// `CONSTRAINT n FOREIGN KEY (..) REFERENCES t (..) [ON DELETE ..] [ON UPDATE ..]`,
/// `CONSTRAINT n CHECK (expr)`; a primary key only when the model names it (MySQL
/// calls every primary key `PRIMARY`).
pub(crate) fn constraint_def(c: &Constraint, table: &Table) -> String {
    let name = match c {
        Constraint::PrimaryKey(pk) => pk.name.clone(),
        _ => Some(c.sql_name(table)),
    };
    wildebeest_sql::render::constraint_def(c, name.as_deref(), Dialect::Mysql)
}

/// `CREATE [UNIQUE] INDEX n ON t (a, b DESC, (expr))`. `table`, when known, tells
/// which parts are columns and which expressions (MySQL 8.0.13+ writes those in their
/// own parentheses). MySQL has no partial indexes.
pub(crate) fn create_index(index: &Index, table: Option<&Table>) -> Result<String, RenderError> {
    if let Some(p) = &index.predicate {
        return Err(RenderError::new(format!(
            "index `{}` is partial (WHERE {p}), which MySQL does not have; drop the WHERE or \
             write the index by hand",
            index.name
        )));
    }
    if !index.include.is_empty() || !index.storage.is_empty() {
        return Err(RenderError::new(format!(
            "index `{}` has PostgreSQL's `INCLUDE (...)` or storage parameters \
             (`WITH (...)`), which MySQL does not have; write the index by hand",
            index.name
        )));
    }
    if index.nulls_not_distinct {
        return Err(RenderError::new(format!(
            "index `{}` is NULLS NOT DISTINCT, which MySQL does not have (its unique \
             indexes take any number of NULLs); write the index by hand",
            index.name
        )));
    }
    let parts: Vec<String> = index.columns.iter().map(|p| index_part(p, table)).collect();
    Ok(format!(
        "CREATE {}INDEX {} ON {} ({}){}",
        index_kind(index),
        quote_ident(&index.name),
        quote_ident(&index.table),
        parts.join(", "),
        index_comment(index)
    ))
}

/// ` COMMENT '...'` of an index with a comment, and the word that hides it from the
/// optimizer (` IGNORED`, ` INVISIBLE`); else nothing.
fn index_comment(index: &Index) -> String {
    let mut out = index
        .comment
        .as_ref()
        .map_or_else(String::new, |c| format!(" COMMENT {}", quote_literal(c)));
    if let Some(h) = &index.hidden {
        out.push(' ');
        out.push_str(h);
    }
    out
}

/// `ALTER TABLE t ALTER INDEX k IGNORED | NOT IGNORED` (MariaDB) or `INVISIBLE |
/// VISIBLE` (MySQL): the index's visibility to the optimizer changed in place, in
/// the word of the server it was written for (the one it had, when it is made
/// visible again).
fn alter_index_visibility(from: &Index, to: &Index) -> String {
    let word = match (&from.hidden, &to.hidden) {
        (_, Some(h)) => h.clone(),
        (Some(h), None) if h == "IGNORED" => "NOT IGNORED".to_string(),
        _ => "VISIBLE".to_string(),
    };
    format!(
        "ALTER TABLE {} ALTER INDEX {} {word}",
        quote_ident(&to.table),
        quote_ident(&to.name)
    )
}

/// The word before `INDEX`: `UNIQUE `, or MySQL's own kinds of index, `FULLTEXT ` and
/// `SPATIAL `. Another database's access method (`gist`) is not MySQL's: `plan`
/// refuses such an index by name (`foreign_index_kind`) before it gets here.
fn index_kind(index: &Index) -> &'static str {
    match index.method.as_deref() {
        Some(m) if m.eq_ignore_ascii_case("FULLTEXT") => "FULLTEXT ",
        Some(m) if m.eq_ignore_ascii_case("SPATIAL") => "SPATIAL ",
        _ if index.unique => "UNIQUE ",
        _ => "",
    }
}

/// One part of an index: a column (quoted when needed) or a parenthesized expression,
/// with its ` DESC`.
fn index_part(part: &str, table: Option<&Table>) -> String {
    let (base, direction) = split_direction(part);
    if let Some((column, length)) = wildebeest_schema::split_prefix_part(base) {
        return format!("{}({length}){direction}", quote_ident(&column));
    }
    let is_column = match table {
        Some(t) => t.column(base).is_some(),
        None => is_plain_word(base),
    };
    // A part that could not stand as an expression is a column's name the table did
    // not show (a column renamed or dropped later in the same migration): quoted, it
    // can only name a column, never end the statement.
    if is_column || !wildebeest_sql::is_enclosed(base, Dialect::Mysql) {
        format!("{}{direction}", quote_ident(base))
    } else {
        format!("({base}){direction}")
    }
}

/// An index part split into its column or expression and ` DESC`, ` ASC` or nothing.
pub(crate) fn split_direction(part: &str) -> (&str, &str) {
    for suffix in [" DESC", " ASC"] {
        let at = part.len().saturating_sub(suffix.len());
        if at > 0 && part.is_char_boundary(at) && part[at..].eq_ignore_ascii_case(suffix) {
            return part.split_at(at);
        }
    }
    (part, "")
}

/// A default as MySQL's column definition takes it: a literal as it is (but in
/// parentheses for `TEXT`, `BLOB` and `JSON` columns, which take only expressions),
/// `CURRENT_TIMESTAMP` as it is, any other expression in parentheses.
pub(crate) fn default_sql(expr: &str, ty: &ColumnType) -> String {
    let e = expr.trim();
    let needs_expression = match ty {
        ColumnType::Text | ColumnType::Blob | ColumnType::Json => true,
        // The labels of an `ENUM(...)` or `SET(...)` are no type name.
        ColumnType::Custom(name) => {
            let upper = name.to_ascii_uppercase();
            let base = upper.split('(').next().unwrap_or_default();
            ["TEXT", "BLOB", "JSON", "GEOMETRY"]
                .iter()
                .any(|k| base.contains(k))
        }
        _ => false,
    };
    let current = {
        let upper = e.to_ascii_uppercase();
        let name = upper.split('(').next().unwrap_or("");
        ["CURRENT_TIMESTAMP", "LOCALTIMESTAMP", "LOCALTIME", "NOW"].contains(&name.trim())
    };
    if (current || is_literal(e)) && !needs_expression {
        e.to_string()
    } else {
        format!("({e})")
    }
}

/// A (signed) number, a string literal, `NULL`, `TRUE` or `FALSE`.
pub(crate) fn is_literal(expr: &str) -> bool {
    let e = expr.trim();
    if ["NULL", "TRUE", "FALSE"]
        .iter()
        .any(|k| e.eq_ignore_ascii_case(k))
    {
        return true;
    }
    if let Some(inner) = e.strip_prefix('\'').and_then(|r| r.strip_suffix('\'')) {
        return !inner.replace("''", "").contains('\'');
    }
    let unsigned = e.strip_prefix(['+', '-']).unwrap_or(e);
    unsigned.starts_with(|c: char| c.is_ascii_digit() || c == '.')
        && unsigned
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '.' | 'e' | 'E' | '+' | '-'))
        && unsigned.parse::<f64>().is_ok()
}

/// A name matching `[A-Za-z_][A-Za-z0-9_]*`.
fn is_plain_word(s: &str) -> bool {
    s.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
        && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// An identifier in MySQL SQL: bare when that is safe, else in backticks.
pub(crate) fn quote_ident(name: &str) -> String {
    wildebeest_sql::quote_ident(name, Dialect::Mysql)
}

/// `s` as a string literal MySQL reads back as `s`: `'` doubled and, as MySQL takes a
/// backslash in a string for an escape (unless the session has `NO_BACKSLASH_ESCAPES`,
/// which wildebeest's does not set), `\` doubled too. With the backslash left single,
/// a table name ending in one ended the literal of the query that reads its
/// fingerprint, and a label or comment holding `\n` changed.
pub(crate) fn quote_literal(s: &str) -> String {
    format!("'{}'", s.replace('\\', "\\\\").replace('\'', "''"))
}

/// Steps to run around one op so that the database ends up as the model says.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Around {
    /// Before the statement.
    pub before: Vec<String>,
    /// After the statement.
    pub after: Vec<String>,
}

/// What a statement of a migration becomes on MySQL (see `Backend::plan`): a statement
/// written for MySQL runs as written; one written for another database that the model
/// understands is rendered from its ops; one it does not understand runs as written.
/// `around` gives the steps each op needs before and after it (see [`around`]); for a
/// statement that runs as written, those of all its ops come before and after it.
/// `op`, written for another database, with its columns' types as MySQL reads their
/// text (`wildebeest_sql::retype`): a SQLite file keeps `NVARCHAR(40)` as declared,
/// which MySQL makes a `VARCHAR(40)` in `utf8mb3`, as it does from a `schema.sql`
/// written for it (so `check` compares the two alike).
pub(crate) fn foreign_op(op: &Op) -> Op {
    let column = |c: &Column| Column {
        ty: wildebeest_sql::retype(&c.ty, Dialect::Mysql),
        charset: match &c.charset {
            None if crate::types::is_national(&c.ty) => Some("utf8mb3".to_string()),
            other => other.clone(),
        },
        ..c.clone()
    };
    match op {
        Op::CreateTable(t) => {
            let mut t = t.clone();
            t.columns = t.columns.iter().map(column).collect();
            Op::CreateTable(t)
        }
        Op::AddColumn { table, column: c } => Op::AddColumn {
            table: table.clone(),
            column: column(c),
        },
        Op::AlterColumn { table, from, to } => Op::AlterColumn {
            table: table.clone(),
            from: column(from),
            to: column(to),
        },
        other => other.clone(),
    }
}

pub(crate) fn plan(
    before: &Schema,
    statement: &Statement,
    ops: &[Op],
    source: Dialect,
    around: &dyn Fn(&Schema, &Op) -> Around,
) -> Result<Vec<String>, String> {
    let foreign = source != Dialect::Mysql && !ops.is_empty();
    // A statement about an enum type (PostgreSQL's) never runs as written: its ops say
    // what MySQL does, and when the model could not follow it, nothing.
    if !foreign
        && statement
            .change
            .as_ref()
            .is_some_and(wildebeest_schema::Change::is_enum_type)
    {
        return Ok(Vec::new());
    }
    let mut pre = Vec::new();
    let mut sql = Vec::new();
    let mut post = Vec::new();
    // Each op against the schema before it: a copy only when there is more than one.
    let mut schema = Cow::Borrowed(before);
    for (i, op) in ops.iter().enumerate() {
        let steps = around(&schema, op);
        if foreign {
            let rendered = render_op(&foreign_op(op), &schema).map_err(|e| {
                format!(
                    "this statement, written for {}, cannot run on MySQL: {e}",
                    source.name()
                )
            })?;
            sql.extend(steps.before);
            sql.extend(rendered);
            sql.extend(steps.after);
        } else {
            pre.extend(steps.before);
            post.extend(steps.after);
        }
        let fits = if i + 1 < ops.len() {
            op.apply(schema.to_mut())
        } else {
            op.check(&schema)
        };
        if fits.is_err() {
            // The runner resolved the ops against this schema; should one not apply,
            // the statement runs as it is, without steps around it.
            return Ok(vec![statement.text.clone()]);
        }
    }
    if foreign {
        return Ok(sql);
    }
    pre.push(statement.text.clone());
    pre.extend(post);
    Ok(pre)
}

/// The steps MySQL needs around `op` (on `before`) for the database to match the
/// model, which MySQL's own statements leave otherwise:
/// - dropping a foreign key leaves behind the index MySQL made for it (named like
///   the key; `index_exists(table, name)` tells whether there is one): it is dropped;
/// - renaming a table or column changes the `sql_name` of its unnamed constraints,
///   but MySQL keeps their old names: a unique index is renamed (`RENAME INDEX`), a
///   foreign key dropped and added again under its new name (the index MySQL made
///   for it dropped in between, so that MySQL makes one under the new name); a check that names a renamed column is
///   dropped before the rename and added after it (MySQL 8 refuses to rename a column
///   a check uses), and an unnamed one is added again under its new name.
pub(crate) fn around(
    before: &Schema,
    op: &Op,
    index_exists: &dyn Fn(&str, &str) -> bool,
) -> Around {
    let mut out = Around::default();
    match op {
        Op::DropConstraint {
            table,
            constraint: c @ Constraint::ForeignKey(_),
        } => {
            let Some(t) = before.table(table) else {
                return out;
            };
            let name = c.sql_name(t);
            if index_exists(table, &name) {
                out.after.push(format!(
                    "DROP INDEX {} ON {}",
                    quote_ident(&name),
                    quote_ident(table)
                ));
            }
        }
        // MySQL refuses to drop the last index that serves a foreign key (error 1553):
        // the key goes before the drop and comes back after it, with an index of
        // MySQL's making.
        Op::DropIndex(index) => {
            let gone = |t: &mut Table| t.indexes.retain(|i| i.name != index.name);
            keys_around(before, &index.table, gone, &mut out);
        }
        Op::DropConstraint {
            table,
            constraint: c @ (Constraint::Unique(_) | Constraint::PrimaryKey(_)),
        } => {
            let gone = |t: &mut Table| match c {
                Constraint::PrimaryKey(_) => t.primary_key = None,
                _ => t.uniques.retain(|u| Constraint::Unique(u.clone()) != *c),
            };
            keys_around(before, table, gone, &mut out);
        }
        Op::RenameTable { from: table, .. } | Op::RenameColumn { table, .. } => {
            for (old, new, new_table) in renamed_constraints(before, op) {
                let Some(old_table) = before.table(table) else {
                    continue;
                };
                rename_steps(
                    &mut out,
                    (&old, old_table),
                    (&new, &new_table),
                    index_exists,
                );
            }
        }
        _ => {}
    }
    out
}

/// The foreign keys of `table` that an index serves in `before` and none once `gone`
/// takes an index away: each dropped before and added again after.
fn keys_around(before: &Schema, table: &str, gone: impl Fn(&mut Table), out: &mut Around) {
    let Some(t) = before.table(table) else {
        return;
    };
    let mut after = t.clone();
    gone(&mut after);
    for fk in &t.foreign_keys {
        if served(t, &fk.columns) && !served(&after, &fk.columns) {
            let c = Constraint::ForeignKey(fk.clone());
            out.before.push(format!(
                "ALTER TABLE {} DROP FOREIGN KEY {}",
                quote_ident(table),
                quote_ident(&c.sql_name(t))
            ));
            out.after.push(format!(
                "ALTER TABLE {} ADD {}",
                quote_ident(table),
                constraint_def(&c, t)
            ));
        }
    }
}

/// Whether an index of `t` (its primary key, a unique constraint, a full index)
/// starts with `columns`, as MySQL needs for a foreign key on them.
fn served(t: &Table, columns: &[String]) -> bool {
    let starts = |index: &[String]| {
        index.len() >= columns.len()
            && index
                .iter()
                .zip(columns)
                .all(|(c, k)| c.eq_ignore_ascii_case(k))
    };
    t.primary_key.as_ref().is_some_and(|pk| starts(&pk.columns))
        || t.uniques.iter().any(|u| starts(&u.columns))
        || t.indexes
            .iter()
            .any(|i| i.predicate.is_none() && starts(&i.columns))
}

/// Whether the foreign key named `name` of `table` in `schema` has an index of
/// MySQL's making (named like the key): MySQL makes one when the key is added and no
/// index of the table starts with the key's columns, and drops it silently when such
/// an index is added later. What a server would answer, for scripts written without
/// one.
pub(crate) fn implicit_fk_index(schema: &Schema, table: &str, name: &str) -> bool {
    let Some(t) = schema.table(table) else {
        return false;
    };
    let Some(fk) = t
        .foreign_keys
        .iter()
        .find(|f| Constraint::ForeignKey((*f).clone()).sql_name(t) == name)
    else {
        return false;
    };
    !served(t, &fk.columns)
}

/// The steps for one constraint of a table a rename touches: `old` on the table
/// before the rename, `new` on the table after it.
fn rename_steps(
    out: &mut Around,
    (old, old_table): (&Constraint, &Table),
    (new, new_table): (&Constraint, &Table),
    index_exists: &dyn Fn(&str, &str) -> bool,
) {
    let (old_name, new_name) = (old.sql_name(old_table), new.sql_name(new_table));
    let (ot, nt) = (quote_ident(&old_table.name), quote_ident(&new_table.name));
    let renamed = old.name().is_none() && old_name != new_name;
    match old {
        Constraint::Check(before) => {
            let uses_renamed = matches!(new, Constraint::Check(after) if after.expr != before.expr);
            if uses_renamed || renamed {
                out.before.push(format!(
                    "ALTER TABLE {ot} DROP CONSTRAINT {}",
                    quote_ident(&old_name)
                ));
                out.after.push(format!(
                    "ALTER TABLE {nt} ADD {}",
                    constraint_def(new, new_table)
                ));
            }
        }
        Constraint::Unique(_) if renamed => out.after.push(format!(
            "ALTER TABLE {nt} RENAME INDEX {} TO {}",
            quote_ident(&old_name),
            quote_ident(&new_name)
        )),
        Constraint::ForeignKey(_) if renamed => {
            out.after.push(format!(
                "ALTER TABLE {nt} DROP FOREIGN KEY {}",
                quote_ident(&old_name)
            ));
            // The key's index of MySQL's making goes too, and MySQL makes one under
            // the new name: renamed instead, it would be the user's own from then on,
            // and stay when an index that serves the key is added.
            if index_exists(&old_table.name, &old_name) {
                out.after
                    .push(format!("DROP INDEX {} ON {nt}", quote_ident(&old_name)));
            }
            out.after.push(format!(
                "ALTER TABLE {nt} ADD {}",
                constraint_def(new, new_table)
            ));
        }
        _ => {}
    }
}

/// Each constraint (but the primary key) of the table `op` renames or renames a
/// column of, before and after `op`, with the table after it.
fn renamed_constraints(before: &Schema, op: &Op) -> Vec<(Constraint, Constraint, Table)> {
    let Some(old) = before.table(op.table()) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for c in old.constraints() {
        if matches!(c, Constraint::PrimaryKey(_)) {
            continue;
        }
        // The table with this one constraint, renamed alone: which of the renamed
        // table's constraints it became is then plain.
        let mut alone = old.clone();
        alone.uniques.clear();
        alone.foreign_keys.clear();
        alone.checks.clear();
        alone.exclusions.clear();
        alone.indexes.clear();
        match &c {
            Constraint::Unique(u) => alone.uniques.push(u.clone()),
            Constraint::ForeignKey(f) => alone.foreign_keys.push(f.clone()),
            Constraint::Check(ch) => alone.checks.push(ch.clone()),
            Constraint::Exclusion(x) => alone.exclusions.push(x.clone()),
            Constraint::PrimaryKey(_) => {}
        }
        let mut mini = Schema::new();
        mini.tables.insert(alone.name.clone(), alone);
        if op.apply(&mut mini).is_err() {
            continue;
        }
        let new_name = match op {
            Op::RenameTable { to, .. } => to.as_str(),
            _ => old.name.as_str(),
        };
        let Some(new_table) = mini.tables.remove(new_name) else {
            continue;
        };
        let Some(new) = new_table
            .constraints()
            .into_iter()
            .find(|c| !matches!(c, Constraint::PrimaryKey(_)))
        else {
            continue;
        };
        // The sql_name of a check needs the table's columns as they are after.
        out.push((c, new, new_table));
    }
    out
}

/// What `op` loses on MySQL ([`Backend::loss`](wildebeest_runner::Backend::loss)): a
/// type change is judged by the types MySQL stores (a `TIMESTAMP WITH TIME ZONE` and
/// a `TIMESTAMP` are one type here), anything else as the model judges it.
pub(crate) fn loss(op: &Op, before: &Schema) -> Option<Loss> {
    let what = match op {
        // The columns of the type lose the label: their rows holding it are counted.
        Op::DropEnumValue { name, value, .. } => {
            let counts: Vec<String> = before
                .enum_users(name)
                .iter()
                .map(|(t, c)| {
                    format!(
                        "(SELECT COUNT(*) FROM {} WHERE {} = {})",
                        quote_ident(t),
                        quote_ident(c),
                        quote_literal(value)
                    )
                })
                .collect();
            if counts.is_empty() {
                return None;
            }
            return Some(Loss {
                what: op.data_loss()?,
                query: Some(format!("SELECT {}", counts.join(" + "))),
            });
        }
        Op::AlterColumn { table, from, to } => {
            let (a, b) = (stored_type(&from.ty), stored_type(&to.ty));
            let narrows = render_type(&from.ty) != render_type(&to.ty) && a.narrows_to(&b);
            let converts = converted_charset(table, from, to, before);
            if !narrows && converts.is_none() {
                return None;
            }
            let c = quote_ident(&from.name);
            let mut lost = Vec::new();
            if narrows {
                lost.push(narrowing_condition(&c, &from.ty, &to.ty));
            }
            if let Some(target) = &converts {
                lost.push(target.as_deref().map(|cs| unrepresentable(&c, cs)));
            }
            // Where a part cannot be told exactly, every value counts.
            let lost: Vec<String> = match lost.into_iter().collect::<Option<Vec<_>>>() {
                Some(parts) => parts.into_iter().map(|p| format!("({p})")).collect(),
                None => vec![format!("{c} IS NOT NULL")],
            };
            let what = data_loss(op).unwrap_or_else(|| match converts {
                Some(target) => format!(
                    "converts column `{table}.{}` to character set {}: values it cannot represent are lost or rejected",
                    from.name,
                    target.as_deref().unwrap_or("the table's")
                ),
                None => format!(
                    "narrows column `{table}.{}` from {a} to {b}: values that do not fit are lost or rejected",
                    from.name
                ),
            });
            return Some(Loss {
                what,
                query: Some(format!(
                    "SELECT COUNT(*) FROM {} WHERE {}",
                    quote_ident(table),
                    lost.join(" OR ")
                )),
            });
        }
        Op::AlterTableOptions { .. } if op.dropped_partitions().is_some() => op.data_loss()?,
        Op::AlterTableOptions {
            table, from, to, ..
        } => {
            let what = op.data_loss()?;
            let _ = (from, to);
            return Some(Loss {
                what,
                query: converted_columns(table, op, before)
                    .map(|(cs, columns)| table_count(table, &columns, |c| unrepresentable(c, &cs))),
            });
        }
        _ => op.data_loss()?,
    };
    Some(Loss {
        what,
        query: loss_query(op),
    })
}

/// What `op` loses on MySQL, for the markers of a generated file: [`Op::data_loss`],
/// and also a column whose new collation moves its text to another character set
/// (`COLLATE latin1_bin`), which converts it as `CHARACTER SET latin1` does.
pub fn data_loss(op: &Op) -> Option<String> {
    op.data_loss().or_else(|| match op {
        Op::AlterColumn { table, from, to } if holds_text(&to.ty) => {
            let new = column_charset(to)?;
            wildebeest_schema::converts_text(column_charset(from).as_deref(), Some(&new)).then(
                || {
                    format!(
                        "converts column `{table}.{}` to character set {new}: values it cannot represent are lost or rejected",
                        from.name
                    )
                },
            )
        }
        _ => None,
    })
}

/// The character set a column's text is in, as far as the column says: its own, or
/// the one its collation belongs to (`latin1_swedish_ci` is `latin1`'s).
fn column_charset(c: &Column) -> Option<String> {
    c.charset.clone().or_else(|| {
        c.collation
            .as_deref()
            .map(|k| k.split('_').next().unwrap_or(k).to_ascii_lowercase())
    })
}

/// Whether a column of this type holds text in a character set.
fn holds_text(ty: &ColumnType) -> bool {
    matches!(
        stored_type(ty),
        ColumnType::Char(_) | ColumnType::Varchar(_) | ColumnType::Text
    ) || ty.enum_labels().is_some()
        || matches!(ty, ColumnType::Enum(_))
        || matches!(ty, ColumnType::Custom(n) if matches!(n.as_str(), "TINYTEXT" | "MEDIUMTEXT" | "LONGTEXT"))
}

/// For a column whose text a change converts to another character set: `Some` with
/// the set when it is known (the column's, else the table's), `Some(None)` when it
/// is not. `None` when the change converts nothing.
fn converted_charset(
    table: &str,
    from: &Column,
    to: &Column,
    before: &Schema,
) -> Option<Option<String>> {
    if !holds_text(&to.ty) {
        return None;
    }
    let (old, new) = (column_charset(from), column_charset(to));
    if old == new
        || new
            .as_deref()
            .is_some_and(|cs| cs.eq_ignore_ascii_case("utf8mb4"))
    {
        return None;
    }
    Some(new.or_else(|| {
        let options = &before.table(table)?.options;
        options.charset.clone().or_else(|| {
            options
                .collation
                .as_deref()
                .map(|k| k.split('_').next().unwrap_or(k).to_ascii_lowercase())
        })
    }))
}

/// For a table converted to another character set (`CONVERT TO CHARACTER SET`): the
/// set, and the text columns the model converts (those without one of their own).
fn converted_columns(table: &str, op: &Op, before: &Schema) -> Option<(String, Vec<String>)> {
    let Op::AlterTableOptions { from, to, .. } = op else {
        return None;
    };
    let cs = to.charset.clone()?;
    if !wildebeest_schema::converts_text(from.charset.as_deref(), Some(&cs)) {
        return None;
    }
    let columns = before
        .table(table)?
        .columns
        .iter()
        .filter(|c| holds_text(&c.ty) && column_charset(c).is_none())
        .map(|c| c.name.clone())
        .collect();
    Some((cs, columns))
}

/// The values of column `c` (quoted) that character set `cs` cannot represent: those
/// that come back changed through it, compared byte for byte.
fn unrepresentable(c: &str, cs: &str) -> String {
    let cs = quote_ident(cs);
    format!(
        "CAST(CONVERT(CONVERT({c} USING {cs}) USING utf8mb4) AS BINARY) <> CAST(CONVERT({c} USING utf8mb4) AS BINARY)"
    )
}

/// A count over `columns` of `table` of the rows `condition` (given a quoted column)
/// holds for, each column counted apart; `SELECT 0` for no columns.
fn table_count(table: &str, columns: &[String], condition: impl Fn(&str) -> String) -> String {
    if columns.is_empty() {
        return "SELECT 0".to_string();
    }
    let counts: Vec<String> = columns
        .iter()
        .map(|c| {
            format!(
                "(SELECT COUNT(*) FROM {} WHERE {})",
                quote_ident(table),
                condition(&quote_ident(c))
            )
        })
        .collect();
    format!("SELECT {}", counts.join(" + "))
}

/// What MySQL refuses in a strict session, consent or not (see [`refused_query`]) for
/// a type or character set change: a date outside `TIMESTAMP`'s range (1970 to
/// 2038), text the new character set cannot represent.
fn strict_refusal(op: &Op, before: &Schema) -> Option<Refusal> {
    match op {
        Op::AlterColumn { table, from, to } => {
            let c = quote_ident(&from.name);
            let is_timestamp =
                |t: &ColumnType| render_type(t).to_ascii_uppercase().starts_with("TIMESTAMP");
            let dated = matches!(from.ty, ColumnType::Date)
                || render_type(&from.ty)
                    .to_ascii_uppercase()
                    .starts_with("DATETIME");
            if dated && is_timestamp(&to.ty) {
                // The range is in UTC; a day's margin covers any session time zone.
                return Some(Refusal {
                    query: format!(
                        "SELECT COUNT(*) FROM {} WHERE {c} < '1970-01-02' OR {c} >= '2038-01-19'",
                        quote_ident(table)
                    ),
                    values: format!(
                        "in `{table}.{}` outside the range of TIMESTAMP (1970-01-02 to 2038-01-18 here)",
                        from.name
                    ),
                });
            }
            let cs = converted_charset(table, from, to, before)??;
            Some(Refusal {
                query: format!(
                    "SELECT COUNT(*) FROM {} WHERE {}",
                    quote_ident(table),
                    unrepresentable(&c, &cs)
                ),
                values: format!(
                    "in `{table}.{}` that character set {cs} cannot represent",
                    from.name
                ),
            })
        }
        Op::AlterTableOptions { table, .. } => {
            let (cs, columns) = converted_columns(table, op, before)?;
            if columns.is_empty() {
                return None;
            }
            Some(Refusal {
                query: table_count(table, &columns, |c| unrepresentable(c, &cs)),
                values: format!(
                    "in a text column of `{table}` ({}) that character set {cs} cannot represent",
                    columns.join(", ")
                ),
            })
        }
        _ => None,
    }
}

/// The count of what `op` destroys on MySQL: the rows of a dropped table, the non-null
/// values of a dropped column, and for a narrowed column the values that do not fit
/// (longer strings, integers out of range, digits a decimal cannot hold, values not
/// among an `ENUM`'s labels), or every non-null value where that cannot be told
/// cheaply. `None` for a type change that
/// MySQL stores the same.
pub(crate) fn loss_query(op: &Op) -> Option<String> {
    let q = quote_ident;
    match op {
        Op::DropTable(t) => Some(format!("SELECT COUNT(*) FROM {}", q(&t.name))),
        // The rows of the partitions `DROP PARTITION` drops.
        Op::AlterTableOptions { .. } if op.dropped_partitions().is_some() => {
            let (table, names) = op.dropped_partitions()?;
            let names: Vec<String> = names.iter().map(|n| q(n)).collect();
            Some(format!(
                "SELECT COUNT(*) FROM {} PARTITION ({})",
                q(table),
                names.join(", ")
            ))
        }
        Op::DropColumn { table, column } => Some(format!(
            "SELECT COUNT(*) FROM {} WHERE {} IS NOT NULL",
            q(table),
            q(&column.name)
        )),
        // Judged by the types MySQL stores: `TEXT` to `VARCHAR` narrows here.
        Op::AlterColumn { table, from, to }
            if stored_type(&from.ty).narrows_to(&stored_type(&to.ty)) =>
        {
            if render_type(&from.ty) == render_type(&to.ty) {
                return None;
            }
            let c = q(&from.name);
            let condition = narrowing_condition(&c, &from.ty, &to.ty)
                .unwrap_or_else(|| format!("{c} IS NOT NULL"));
            Some(format!(
                "SELECT COUNT(*) FROM {} WHERE {condition}",
                q(table)
            ))
        }
        _ => None,
    }
}

/// What [`Backend::refused_query`](wildebeest_runner::Backend::refused_query) counts
/// on MySQL: the values of a column converted to an enum type that are none of its
/// labels (a file written for PostgreSQL makes the type again without a label, and
/// converts the columns). MySQL's `MODIFY` fails on them in strict mode ("Data
/// truncated") after the statements before it committed, with or without consent.
/// `before` knows the type's labels.
pub(crate) fn refused_query(op: &Op, before: &Schema) -> Option<Refusal> {
    let Op::AlterColumn { table, from, to } = op else {
        return strict_refusal(op, before);
    };
    let ColumnType::Enum(name) = &to.ty else {
        return strict_refusal(op, before);
    };
    if from.ty == to.ty {
        return None;
    }
    let labels = before.enums.get(name)?;
    let list: Vec<String> = labels.iter().map(|l| quote_literal(l)).collect();
    let c = quote_ident(&to.name);
    Some(Refusal {
        query: format!(
            "SELECT COUNT(*) FROM {} WHERE {c} NOT IN ({})",
            quote_ident(table),
            list.join(", ")
        ),
        values: format!(
            "in `{table}.{}` that enum type `{name}` does not have ({})",
            to.name,
            list.join(", ")
        ),
    })
}

/// What `op` needs of the stored data that MySQL, which commits each statement of a
/// revision on its own, finds out only half way through it: a column that becomes
/// `NOT NULL` must hold no NULL. A `DEFAULT` fills no NULL of existing rows (in strict
/// mode the `MODIFY` fails with "Data truncated"; outside it MySQL would replace them
/// with the type's zero value silently), so every such change is counted.
pub(crate) fn requirement(op: &Op) -> Option<Requirement> {
    match op {
        Op::AlterColumn { table, from, to } if from.nullable && !to.nullable => Some(Requirement {
            what: format!("column `{}` of `{table}` becomes NOT NULL", to.name),
            rows: "with NULL in it".to_string(),
            query: format!(
                "SELECT COUNT(*) FROM {} WHERE {} IS NULL",
                quote_ident(table),
                quote_ident(&from.name)
            ),
        }),
        _ => None,
    }
}

/// The values of column `c` (quoted) that do not fit or read differently when it goes
/// from `from` to `to`, when that is cheap to tell: for an `ENUM` the values not among
/// its labels, for a shorter string the values longer than it (or ending in a space,
/// for a `CHAR`), for a number the values out of range when the text keeps its
/// digits. `None` where every value must count.
fn narrowing_condition(c: &str, from: &ColumnType, to: &ColumnType) -> Option<String> {
    use ColumnType::*;
    let is_string = |t: &ColumnType| {
        matches!(t, Char(_) | Varchar(_) | Text | Uuid) || t.enum_labels().is_some()
    };
    let is_integer = |t: &ColumnType| t.integer_range().is_some();
    let is_number = |t: &ColumnType| is_integer(t) || matches!(t, Real | Double | Decimal { .. });
    // What the column can store: a `BOOLEAN` is a `TINYINT`.
    let range = |t: &ColumnType| match t {
        Boolean => Some((-128, 127)),
        other => other.integer_range(),
    };
    if let Some(labels) = to.enum_labels() {
        let quoted: Vec<String> = labels.iter().map(|l| quote_literal(l)).collect();
        return Some(format!("{c} NOT IN ({})", quoted.join(", ")));
    }
    match to {
        // MySQL writes an integer or a decimal as its digits, a date as
        // `YYYY-MM-DD`: their length is the string's. A float's text is not certain.
        Char(n) | Varchar(n)
            if is_string(from)
                || is_integer(from)
                || matches!(from, Decimal { .. } | Date | Boolean) =>
        {
            let len = match to {
                Char(_) => n.unwrap_or(1),
                _ => n.unwrap_or(DEFAULT_VARCHAR_LENGTH),
            };
            // MySQL reads a `CHAR` without its trailing spaces: a string that ends in
            // one comes back shorter.
            if matches!(to, Char(_)) && is_string(from) && !matches!(from, Char(_)) {
                return Some(format!("CHAR_LENGTH({c}) > {len} OR {c} LIKE '% '"));
            }
            Some(format!("CHAR_LENGTH({c}) > {len}"))
        }
        // MySQL writes a decimal with every digit of its scale (`5.00`) and a float
        // to six significant digits: a value keeps its text only from an integer or
        // a decimal of the same scale. Otherwise every value counts (`None`).
        Decimal { precision, scale } if is_number(from) => {
            let (p, s) = (precision.unwrap_or(10), scale.unwrap_or(0));
            let digits = p.saturating_sub(s);
            let same_scale = match from {
                Decimal { scale, .. } => scale.unwrap_or(0) == s,
                _ => is_integer(from) && s == 0,
            };
            // Compared with the exact bounds, not through `ABS`: the absolute value
            // of a `BIGINT`'s smallest value is out of its range (error 1690).
            let limit = format!("1{}", "0".repeat(digits as usize));
            same_scale.then(|| format!("{c} >= {limit} OR {c} <= -{limit}"))
        }
        _ if is_integer(to) && is_number(from) => {
            let (lo, hi) = range(to)?;
            let whole = is_integer(from)
                || matches!(from, Decimal { scale, .. } if scale.unwrap_or(0) == 0);
            whole.then(|| format!("{c} NOT BETWEEN {lo} AND {hi}"))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests;

/// The refusal of a sequence of its own, which only PostgreSQL's model holds.
fn no_sequences(name: &str) -> RenderError {
    RenderError::new(format!(
        "MySQL has no sequences of their own here: sequence `{name}` is PostgreSQL's, and \
         a migration that makes, changes, renames or drops one runs on PostgreSQL only"
    ))
}
