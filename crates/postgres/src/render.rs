//! Ops as PostgreSQL migration SQL, the plan of each statement of a migration, and
//! the counts the data-loss guard runs.
//!
//! [`render_op`] writes what a generated migration file contains: one readable,
//! deterministic statement per op, which `wildebeest_sql::parse_statements` with
//! `Dialect::Postgres` reads back into the same op. PostgreSQL runs every statement of
//! the migration language natively (`ALTER COLUMN`, `ADD CONSTRAINT` and all), so
//! `plan` never rebuilds a table: a statement written for PostgreSQL runs as written,
//! and one written for another database is rendered from its ops.
//!
//! Enum types: `CREATE TYPE .. AS ENUM`, `DROP TYPE`, `ALTER TYPE .. ADD VALUE`,
//! `RENAME VALUE` and `RENAME TO` say what their ops say. Removing a label has no
//! statement, so it is the type made again without it (see [`enum_without`]), which
//! fails, leaving everything as it was, while a row still holds the label. A label
//! added by `ADD VALUE` cannot be used in the transaction that adds it (PostgreSQL
//! refuses with "unsafe use of new value"): a migration that adds one and uses it
//! (as a default, in a row) needs the use in a later revision.

use std::borrow::Cow;
use wildebeest_runner::{Loss, Refusal};
use wildebeest_schema::{
    Attribute, AttributeStep, Check, Column, ColumnType, CommentOn, Composite, Constraint, Domain,
    Index, LabelPosition, Op, Policy, Range, Rule, Schema, Sequence, SequenceOptions, Table,
    TableOptions, Trigger, TriggerState, UserType, pg_object_name as object_name,
};
use wildebeest_sql::{Dialect, Statement};

use crate::types::{self, Conversion, Family, render_type};

/// An op that PostgreSQL migration SQL cannot express, with what to do instead.
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

/// The statements (without a trailing `;`) of a migration file that carry out `op` on
/// PostgreSQL. `before` is the schema `op` applies to: dropping an unnamed constraint
/// needs its table to know the name PostgreSQL gave it, and index parts need it to
/// tell a column from an expression.
///
/// Fails for what the migration language has no statement for that the model
/// follows: a change of a column's collation or identity, an identity column that is
/// not an integer or has a default, a column without a type, a table with parts the
/// model does not capture.
pub fn render_op(op: &Op, before: &Schema) -> Result<Vec<String>, RenderError> {
    if let Some(table) = op.mysql_partitioned_table() {
        return Err(RenderError::new(format!(
            "table `{table}` is partitioned the MySQL way (`PARTITION BY ...` with its \
             partitions listed in the table), which PostgreSQL cannot make from a MySQL file; \
             write the table for PostgreSQL by hand in a revision"
        )));
    }
    Ok(match op {
        Op::CreateTable(table) => {
            let mut out = vec![create_table(table)?];
            out.extend(table.indexes.iter().map(|i| create_index(i, Some(table))));
            out.extend(table_comments(table));
            out
        }
        Op::DropTable(table) => vec![format!("DROP TABLE {}", quote_ident(&table.name))],
        Op::RenameTable { from, to } => {
            let mut out = vec![format!(
                "ALTER TABLE {} RENAME TO {}",
                quote_ident(from),
                quote_ident(to)
            )];
            if let Some(t) = before.table(from) {
                for c in t.columns.iter().filter(|c| owns_sequence(c)) {
                    out.extend(rename_sequence((from, &c.name), (to, &c.name)));
                }
            }
            out
        }
        Op::AddColumn { table, column } => {
            let mut out = vec![format!(
                "ALTER TABLE {} ADD COLUMN {}",
                quote_ident(table),
                column_def(table, column)?
            )];
            if column.comment.is_some() {
                out.push(comment_on_column(table, column));
            }
            out
        }
        Op::DropColumn { table, column } => vec![format!(
            "ALTER TABLE {} DROP COLUMN {}",
            quote_ident(table),
            quote_ident(&column.name)
        )],
        Op::RenameColumn { table, from, to } => {
            let mut out = vec![format!(
                "ALTER TABLE {} RENAME COLUMN {} TO {}",
                quote_ident(table),
                quote_ident(from),
                quote_ident(to)
            )];
            let column = before.table(table).and_then(|t| t.column(from));
            if column.is_some_and(owns_sequence) {
                out.extend(rename_sequence((table, from), (table, to)));
            }
            out
        }
        Op::AlterColumn { table, from, to } => {
            let mut sql = alter_column(table, from, to)?;
            if from.comment != to.comment {
                sql.push(comment_on_column(table, to));
            }
            // See `ExprUses`: to or from an enum type, a comparison with a literal in a
            // check or an index no longer parses.
            let enum_involved = [&from.ty, &to.ty].iter().any(|t| t.enum_name().is_some());
            match before.table(table) {
                Some(t) if from.ty != to.ty && enum_involved => {
                    let uses = ExprUses::of(t, &[from]);
                    let mut out = uses.drop();
                    out.extend(sql);
                    out.extend(uses.create());
                    out
                }
                _ => sql,
            }
        }
        Op::AddConstraint { table, constraint } => vec![format!(
            "ALTER TABLE {} ADD {}",
            quote_ident(table),
            constraint_def(constraint)
        )],
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
                quote_ident(&constraint_name(constraint, t))
            )]
        }
        Op::RenameConstraint { table, from, to } => {
            let Some(t) = before.table(table) else {
                return Err(RenderError::new(format!(
                    "cannot name the constraint {} to rename: table `{table}` is not in the schema",
                    from.describe()
                )));
            };
            let (old, new) = (constraint_name(from, t), constraint_name(to, t));
            if old == new {
                Vec::new()
            } else {
                vec![format!(
                    "ALTER TABLE {} RENAME CONSTRAINT {} TO {}",
                    quote_ident(table),
                    quote_ident(&old),
                    quote_ident(&new)
                )]
            }
        }
        // MySQL's storage options (character set, engine): nothing here keeps them
        // (see `canonical`); the comment is `COMMENT ON TABLE`.
        Op::AlterTableOptions {
            table, from, to, ..
        } => {
            let mut out = repartition(table, from, to)?;
            out.extend(alter_storage(table, &from.storage, &to.storage));
            if from.comment != to.comment {
                out.push(comment_on_table(table, to.comment.as_deref()));
            }
            out
        }
        Op::CreateIndex(index) => vec![create_index(index, before.table(&index.table))],
        Op::DropIndex(index) => vec![format!("DROP INDEX {}", quote_ident(&index.name))],
        // MySQL's visibility to the optimizer, refused by name before it gets here
        // (`Op::mysql_only_part`).
        Op::AlterIndex { from, .. } => {
            return Err(RenderError::new(format!(
                "index `{}` on `{}`: PostgreSQL has no index hidden from the optimizer",
                from.name, from.table
            )));
        }
        Op::CreateEnum { name, labels } => vec![create_enum(name, labels)],
        Op::DropEnum { name, .. } => vec![format!("DROP TYPE {}", quote_ident(name))],
        Op::AddEnumValue {
            name,
            value,
            position,
        } => {
            let at = match position {
                LabelPosition::Last => String::new(),
                LabelPosition::Before(n) => format!(" BEFORE {}", quote_literal(n)),
                LabelPosition::After(n) => format!(" AFTER {}", quote_literal(n)),
            };
            vec![format!(
                "ALTER TYPE {} ADD VALUE {}{at}",
                quote_ident(name),
                quote_literal(value)
            )]
        }
        Op::DropEnumValue { name, value, .. } => enum_without(name, value, before)?,
        Op::RenameEnum { from, to } => vec![format!(
            "ALTER TYPE {} RENAME TO {}",
            quote_ident(from),
            quote_ident(to)
        )],
        Op::RenameEnumValue { name, from, to } => vec![format!(
            "ALTER TYPE {} RENAME VALUE {} TO {}",
            quote_ident(name),
            quote_literal(from),
            quote_literal(to)
        )],
        // A materialized view's indexes are made with it.
        Op::CreateView(v) => std::iter::once(v.create_sql("CREATE", quote_ident))
            .chain(v.indexes.iter().map(|ix| create_index(ix, None)))
            .collect(),
        Op::SetComment { on, to, .. } => vec![comment_on(on, to.as_deref())],
        Op::DropView(v) => vec![v.drop_sql(quote_ident)],
        // `CREATE OR REPLACE VIEW` keeps the view's columns, their names and types:
        // it is used only where the new output provably starts with the old one.
        Op::ReplaceView { from, to } if from.replaceable_by(to) => {
            vec![to.create_sql("CREATE OR REPLACE", quote_ident)]
        }
        Op::ReplaceView { from, to } => vec![
            from.drop_sql(quote_ident),
            to.create_sql("CREATE", quote_ident),
        ],
        Op::RenameView { from, to } => vec![format!(
            "ALTER {} {} RENAME TO {}",
            if before.views.get(from).is_some_and(|v| v.materialized) {
                "MATERIALIZED VIEW"
            } else {
                "VIEW"
            },
            quote_ident(from),
            quote_ident(to)
        )],
        // `IF NOT EXISTS`: an extension is the database's, and another schema's
        // application (or the administrator) may have made it already.
        Op::CreateExtension(e) => vec![match &e.schema {
            Some(schema) => format!(
                "CREATE EXTENSION IF NOT EXISTS {} WITH SCHEMA {}",
                quote_ident(&e.name),
                quote_ident(schema)
            ),
            None => format!("CREATE EXTENSION IF NOT EXISTS {}", quote_ident(&e.name)),
        }],
        // No `CASCADE`: while anything still uses the extension, PostgreSQL refuses
        // and the revision is rolled back, rather than dropping what uses it.
        Op::DropExtension(e) => vec![format!("DROP EXTENSION IF EXISTS {}", quote_ident(&e.name))],
        Op::CreateRoutine(r) | Op::DropRoutine(r) | Op::ReplaceRoutine { to: r, .. }
            if r.by_name =>
        {
            return Err(RenderError::new(format!(
                "{} `{}` is MySQL's: its body cannot run on PostgreSQL, and a migration \
                 that makes, changes or drops one runs on MySQL only",
                r.kind.word(),
                r.name
            )));
        }
        // A routine is written as its definition was, so that a downgrade makes a
        // dropped one again byte for byte.
        Op::CreateRoutine(r) => vec![r.create_sql("CREATE", quote_ident)],
        Op::DropRoutine(r) => vec![r.drop_sql(quote_ident)],
        Op::ReplaceRoutine { to, .. } => vec![to.create_sql("CREATE OR REPLACE", quote_ident)],
        Op::CreateType(UserType::Composite(c)) => vec![create_composite(c)?],
        Op::CreateType(UserType::Range(r)) => vec![create_range(r)?],
        Op::DropType(t) => {
            // What still uses the type would make PostgreSQL refuse the drop: here only
            // when the type changes (a range type is dropped and made again), as the
            // diff drops a type after what used it.
            let users = before.type_users(t.name());
            if !users.is_empty() {
                return Err(RenderError::new(format!(
                    "{} `{}` changes or goes while {} still uses it, and PostgreSQL cannot \
                     drop it then (a range type changes by being dropped and made again): \
                     write the migration by hand (`wildebeest revision`), making a new type, \
                     moving what uses it there and dropping the old one",
                    t.kind_word(),
                    t.name(),
                    users.join(", ")
                )));
            }
            vec![format!("DROP TYPE {}", quote_ident(t.name()))]
        }
        Op::AlterComposite { from, to } => alter_composite(from, to, before)?,
        Op::CreateDomain(d) => vec![create_domain(d)?],
        // No `CASCADE`: while a column still uses the domain, PostgreSQL refuses and
        // the revision is rolled back.
        Op::DropDomain(d) => vec![format!("DROP DOMAIN {}", quote_ident(&d.name))],
        Op::AlterDomain { from, to } => alter_domain(from, to)?,
        Op::CreateSequence(seq) => create_sequence(seq),
        // No `CASCADE`: while a default still draws from the sequence, PostgreSQL
        // refuses and the revision is rolled back.
        Op::DropSequence(seq) => vec![format!("DROP SEQUENCE {}", quote_ident(&seq.name))],
        Op::AlterSequence { from, to } => alter_sequence(from, to),
        Op::RenameSequence { from, to } => vec![format!(
            "ALTER SEQUENCE {} RENAME TO {}",
            quote_ident(from),
            quote_ident(to)
        )],
        // A SQLite or MySQL trigger's text is no PostgreSQL statement.
        Op::CreateTrigger(t) | Op::DropTrigger(t) | Op::AlterTrigger { to: t, .. }
            if !t.per_table() =>
        {
            return Err(RenderError::new(format!(
                "trigger `{}` is written in SQLite's or MySQL's form, which PostgreSQL does \
                 not run (a PostgreSQL trigger runs a function)",
                t.name
            )));
        }
        // A trigger is written as its definition was, so that a downgrade makes a
        // dropped one again byte for byte; one that does not fire as by default is
        // set so right after.
        Op::CreateTrigger(t) => {
            let mut out = vec![t.create_sql(quote_ident)];
            if t.state != TriggerState::Enabled {
                out.push(trigger_state(t));
            }
            out
        }
        Op::DropTrigger(t) => vec![format!(
            "DROP TRIGGER {} ON {}",
            quote_ident(&t.name),
            quote_ident(&t.table)
        )],
        Op::AlterTrigger { to, .. } => vec![trigger_state(to)],
        Op::SetRowSecurity { table, from, to } => {
            let mut out = Vec::new();
            if from.enabled != to.enabled {
                out.push(format!(
                    "ALTER TABLE {} {} ROW LEVEL SECURITY",
                    quote_ident(table),
                    if to.enabled { "ENABLE" } else { "DISABLE" }
                ));
            }
            if from.forced != to.forced {
                out.push(format!(
                    "ALTER TABLE {} {} ROW LEVEL SECURITY",
                    quote_ident(table),
                    if to.forced { "FORCE" } else { "NO FORCE" }
                ));
            }
            out
        }
        Op::CreatePolicy(p) => vec![create_policy(p)],
        Op::DropPolicy(p) => vec![format!(
            "DROP POLICY {} ON {}",
            quote_ident(&p.name),
            quote_ident(&p.table)
        )],
        Op::CreateRule(r) => vec![create_rule(r)],
        Op::DropRule(r) => vec![format!(
            "DROP RULE {} ON {}",
            quote_ident(&r.name),
            quote_ident(&r.table)
        )],
        Op::RenameTrigger { table, from, to } => vec![format!(
            "ALTER TRIGGER {} ON {} RENAME TO {}",
            quote_ident(from),
            quote_ident(table),
            quote_ident(to)
        )],
    })
}

/// `CREATE POLICY name ON table [AS RESTRICTIVE] [FOR command] TO roles [USING (e)]
/// [WITH CHECK (e)]`; the roles as the model holds them (`public` unquoted, the
/// keyword PostgreSQL reads as every role).
pub(crate) fn create_policy(p: &Policy) -> String {
    let mut out = format!(
        "CREATE POLICY {} ON {}",
        quote_ident(&p.name),
        quote_ident(&p.table)
    );
    if !p.permissive {
        out.push_str(" AS RESTRICTIVE");
    }
    if p.command != "ALL" {
        out.push_str(&format!(" FOR {}", p.command));
    }
    let roles: Vec<String> = p
        .roles
        .iter()
        .map(|r| match r.as_str() {
            "public" | "current_user" | "session_user" | "current_role" => r.to_uppercase(),
            _ => quote_ident(r),
        })
        .collect();
    out.push_str(&format!(" TO {}", roles.join(", ")));
    if let Some(e) = &p.using {
        out.push_str(&format!(" USING ({e})"));
    }
    if let Some(e) = &p.check {
        out.push_str(&format!(" WITH CHECK ({e})"));
    }
    out
}

/// `CREATE RULE name AS ON event TO table [WHERE condition] DO [INSTEAD] action`,
/// from the rule's normalized condition and commands.
pub(crate) fn create_rule(r: &Rule) -> String {
    let mut out = format!(
        "CREATE RULE {} AS ON {} TO {}",
        quote_ident(&r.name),
        r.event,
        quote_ident(&r.table)
    );
    if let Some(c) = &r.condition {
        out.push_str(&format!(" WHERE {c}"));
    }
    out.push_str(&format!(" DO {}", r.action()));
    out
}

/// `ALTER TABLE table {ENABLE [REPLICA | ALWAYS] | DISABLE} TRIGGER name`: the state
/// of trigger `t`.
fn trigger_state(t: &Trigger) -> String {
    format!(
        "ALTER TABLE {} {} TRIGGER {}",
        quote_ident(&t.table),
        t.state.clause(),
        quote_ident(&t.name)
    )
}

/// An attribute as `CREATE TYPE` and `ADD ATTRIBUTE` write it: `name type [COLLATE c]`.
fn attribute(type_name: &str, a: &Attribute) -> Result<String, RenderError> {
    let ty = render_type(&a.ty).ok_or_else(|| {
        RenderError::new(format!(
            "attribute `{}` of composite type `{type_name}` has no type",
            a.name
        ))
    })?;
    let mut out = format!("{} {ty}", quote_ident(&a.name));
    if let Some(c) = &a.collation {
        out.push_str(&format!(" COLLATE {}", quote_ident(c)));
    }
    Ok(out)
}

/// `CREATE TYPE name AS (attr type [COLLATE c], ...)`.
fn create_composite(c: &Composite) -> Result<String, RenderError> {
    let attributes = c
        .attributes
        .iter()
        .map(|a| attribute(&c.name, a))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(format!(
        "CREATE TYPE {} AS ({})",
        quote_ident(&c.name),
        attributes.join(", ")
    ))
}

/// `CREATE TYPE name AS RANGE (SUBTYPE = t, ...)`: the options the range sets, the
/// multirange type's name when it is not the one PostgreSQL would make up.
fn create_range(r: &Range) -> Result<String, RenderError> {
    let ty = render_type(&r.subtype)
        .ok_or_else(|| RenderError::new(format!("range type `{}` has no subtype", r.name)))?;
    let mut options = vec![format!("SUBTYPE = {ty}")];
    if let Some(o) = &r.opclass {
        options.push(format!("SUBTYPE_OPCLASS = {o}"));
    }
    if let Some(c) = &r.collation {
        options.push(format!("COLLATION = {}", quote_ident(c)));
    }
    if let Some(f) = &r.subtype_diff {
        options.push(format!("SUBTYPE_DIFF = {f}"));
    }
    if r.multirange != Range::default_multirange(&r.name) {
        options.push(format!(
            "MULTIRANGE_TYPE_NAME = {}",
            quote_ident(&r.multirange)
        ));
    }
    Ok(format!(
        "CREATE TYPE {} AS RANGE ({})",
        quote_ident(&r.name),
        options.join(", ")
    ))
}

/// The `ALTER TYPE` statements from `from` to `to`, one a step
/// ([`Composite::steps_to`]). An attribute's type cannot change while a table column
/// holds the type (PostgreSQL refuses, `CASCADE` or not): refused by name.
fn alter_composite(
    from: &Composite,
    to: &Composite,
    before: &Schema,
) -> Result<Vec<String>, RenderError> {
    let name = quote_ident(&to.name);
    let mut out = Vec::new();
    for step in from.steps_to(to) {
        out.push(match step {
            AttributeStep::Drop(a) => {
                format!("ALTER TYPE {name} DROP ATTRIBUTE {}", quote_ident(&a.name))
            }
            AttributeStep::Add(a) => {
                format!(
                    "ALTER TYPE {name} ADD ATTRIBUTE {}",
                    attribute(&to.name, &a)?
                )
            }
            AttributeStep::Alter(a) => {
                let holders: Vec<String> = before
                    .columns_holding(&to.name)
                    .into_iter()
                    .map(|(t, c, _)| format!("`{t}.{c}`"))
                    .collect();
                if !holders.is_empty() {
                    return Err(RenderError::new(format!(
                        "attribute `{}` of composite type `{}` changes its type or collation, \
                         which PostgreSQL refuses while column {} holds the type: write the \
                         migration by hand (`wildebeest revision`), adding an attribute of \
                         the new type, copying the values and dropping the old one",
                        a.name,
                        to.name,
                        holders.join(", ")
                    )));
                }
                let whole = attribute(&to.name, &a)?;
                let ty = &whole[quote_ident(&a.name).len()..];
                format!(
                    "ALTER TYPE {name} ALTER ATTRIBUTE {} TYPE{ty}",
                    quote_ident(&a.name)
                )
            }
        });
    }
    Ok(out)
}

/// `CREATE DOMAIN name AS type [COLLATE c] [DEFAULT x] [NOT NULL] [CONSTRAINT n
/// CHECK (e)]...`.
fn create_domain(d: &Domain) -> Result<String, RenderError> {
    let ty = render_type(&d.base)
        .ok_or_else(|| RenderError::new(format!("domain `{}` has no base type", d.name)))?;
    let mut out = format!("CREATE DOMAIN {} AS {ty}", quote_ident(&d.name));
    if let Some(c) = &d.collation {
        out.push_str(&format!(" COLLATE {}", quote_ident(c)));
    }
    if let Some(default) = &d.default {
        out.push_str(&format!(" DEFAULT {default}"));
    }
    if d.not_null {
        out.push_str(" NOT NULL");
    }
    for c in &d.checks {
        out.push_str(&domain_check(c));
    }
    Ok(out)
}

/// ` [CONSTRAINT n] CHECK (e)` of a domain.
fn domain_check(c: &Check) -> String {
    match &c.name {
        Some(n) => format!(" CONSTRAINT {} CHECK ({})", quote_ident(n), c.sql()),
        None => format!(" CHECK ({})", c.sql()),
    }
}

/// The `ALTER DOMAIN` statements from `from` to `to`: checks that go or change are
/// dropped first, then the default and `NOT NULL`, then the new checks are added
/// (PostgreSQL checks the stored values then: a value the new rule refuses fails
/// the statement, and the revision is rolled back). A new base type or collation
/// has no `ALTER DOMAIN`: refused by name.
fn alter_domain(from: &Domain, to: &Domain) -> Result<Vec<String>, RenderError> {
    let name = quote_ident(&to.name);
    if from.base != to.base || from.collation != to.collation {
        return Err(RenderError::new(format!(
            "domain `{}` changes its base type or collation (from {}{} to {}{}), which \
             `ALTER DOMAIN` cannot do: write the migration by hand (`wildebeest revision`), \
             making a new domain, moving the columns to it and dropping the old one",
            to.name,
            render_type(&from.base).unwrap_or_default(),
            from.collation
                .as_ref()
                .map_or(String::new(), |c| format!(" COLLATE {c}")),
            render_type(&to.base).unwrap_or_default(),
            to.collation
                .as_ref()
                .map_or(String::new(), |c| format!(" COLLATE {c}")),
        )));
    }
    let mut out = Vec::new();
    for c in &from.checks {
        if !to.checks.contains(c) {
            let cname = c.name.as_deref().ok_or_else(|| {
                RenderError::new(format!(
                    "a check of domain `{}` has no name, so it cannot be dropped",
                    to.name
                ))
            })?;
            out.push(format!(
                "ALTER DOMAIN {name} DROP CONSTRAINT {}",
                quote_ident(cname)
            ));
        }
    }
    if from.default != to.default {
        out.push(match &to.default {
            Some(d) => format!("ALTER DOMAIN {name} SET DEFAULT {d}"),
            None => format!("ALTER DOMAIN {name} DROP DEFAULT"),
        });
    }
    if from.not_null != to.not_null {
        out.push(if to.not_null {
            format!("ALTER DOMAIN {name} SET NOT NULL")
        } else {
            format!("ALTER DOMAIN {name} DROP NOT NULL")
        });
    }
    for c in &to.checks {
        if !from.checks.contains(c) {
            out.push(format!("ALTER DOMAIN {name} ADD{}", domain_check(c)));
        }
    }
    Ok(out)
}

/// `COMMENT ON <object> IS '...'` (`IS NULL` for none) for what is not a table or a
/// table's column.
fn comment_on(on: &CommentOn, text: Option<&str>) -> String {
    let q = |name: &str| quote_ident(name);
    let object = match on {
        CommentOn::View(v) => format!("VIEW {}", q(v)),
        CommentOn::MaterializedView(v) => format!("MATERIALIZED VIEW {}", q(v)),
        CommentOn::ViewColumn { view, column } => format!("COLUMN {}.{}", q(view), q(column)),
        CommentOn::Index(i) => format!("INDEX {}", q(i)),
        CommentOn::Sequence(s) => format!("SEQUENCE {}", q(s)),
        CommentOn::Type(t) => format!("TYPE {}", q(t)),
        CommentOn::Domain(d) => format!("DOMAIN {}", q(d)),
        // The key is the signature, `name(type, ...)`: the types are PostgreSQL's own
        // spellings.
        CommentOn::Routine { kind, key } => match key.split_once('(') {
            Some((name, args)) => format!("{} {}({args}", kind.keyword(), q(name)),
            None => format!("{} {}", kind.keyword(), q(key)),
        },
        CommentOn::Trigger { table, name } => format!("TRIGGER {} ON {}", q(name), q(table)),
        CommentOn::Constraint { table, name } => {
            format!("CONSTRAINT {} ON {}", q(name), q(table))
        }
        CommentOn::DomainConstraint { domain, name } => {
            format!("CONSTRAINT {} ON DOMAIN {}", q(name), q(domain))
        }
        CommentOn::Policy { table, name } => format!("POLICY {} ON {}", q(name), q(table)),
        CommentOn::Extension(e) => format!("EXTENSION {}", q(e)),
        // A migration names no schema (it runs in the one the database URL says), and
        // `COMMENT ON SCHEMA` takes no `CURRENT_SCHEMA`: the name is the session's.
        CommentOn::Schema => return comment_on_schema(text),
    };
    format!(
        "COMMENT ON {object} IS {}",
        text.map_or("NULL".to_string(), quote_literal)
    )
}

/// The comment on the schema the migration runs in, as a `DO` block that names it
/// (see `wildebeest_sql::schema_comment_block`, which replay reads back).
fn comment_on_schema(text: Option<&str>) -> String {
    wildebeest_sql::schema_comment_block(text)
}

/// `COMMENT ON TABLE t IS '...'` (`IS NULL` for none).
fn comment_on_table(table: &str, text: Option<&str>) -> String {
    format!(
        "COMMENT ON TABLE {} IS {}",
        quote_ident(table),
        text.map_or("NULL".to_string(), quote_literal)
    )
}

/// `COMMENT ON COLUMN t.c IS '...'` for `column`'s comment (`IS NULL` for none).
fn comment_on_column(table: &str, column: &Column) -> String {
    format!(
        "COMMENT ON COLUMN {}.{} IS {}",
        quote_ident(table),
        quote_ident(&column.name),
        column
            .comment
            .as_deref()
            .map_or("NULL".to_string(), quote_literal)
    )
}

/// The comments of a new table and its columns, after its `CREATE TABLE`.
fn table_comments(table: &Table) -> Vec<String> {
    let mut out: Vec<String> = table
        .options
        .comment
        .as_deref()
        .map(|c| comment_on_table(&table.name, Some(c)))
        .into_iter()
        .collect();
    // A partition's columns are its parent's, comments and all.
    out.extend(
        table
            .columns
            .iter()
            .filter(|c| c.comment.is_some() && table.options.partition_of.is_none())
            .map(|c| comment_on_column(&table.name, c)),
    );
    out
}

/// `CREATE TYPE name AS ENUM ('a', 'b')`.
fn create_enum(name: &str, labels: &[String]) -> String {
    let labels: Vec<String> = labels.iter().map(|l| quote_literal(l)).collect();
    format!(
        "CREATE TYPE {} AS ENUM ({})",
        quote_ident(name),
        labels.join(", ")
    )
}

/// The enum type `name` of `before` without its label `value`, which PostgreSQL has no
/// statement for: the type is renamed aside, created again with the labels that stay,
/// each column that uses it converted (`USING col::text::name`, an array of it
/// `USING col::text[]::name[]`, its default dropped and set again around the
/// conversion, as PostgreSQL cannot convert it), and the old type dropped. Checks and indexes that compare such a column with a label (a
/// partial index `WHERE status <> 'done'`) cannot be converted either: they are
/// dropped before and created again after (see [`ExprUses`]). The model follows every step, so a file
/// holding them replays to the schema without the label.
///
/// In the revision's transaction this is all or nothing: a row that still holds the
/// label fails the conversion (`invalid input value for enum`), a check or index
/// that names the label fails to come back, and nothing changes. So does anything
/// else that uses the type and that the model does not see (a view, a function, a
/// composite type), which must then be handled by hand.
pub(crate) fn enum_without(
    name: &str,
    value: &str,
    before: &Schema,
) -> Result<Vec<String>, RenderError> {
    let Some(labels) = before.enums.get(name) else {
        return Err(RenderError::new(format!(
            "cannot remove the value {} from enum type `{name}`: the schema has no such type",
            quote_literal(value)
        )));
    };
    let kept: Vec<String> = labels.iter().filter(|l| *l != value).cloned().collect();
    let aside = aside_name(name, before);
    let ty = quote_ident(name);
    let mut out = vec![
        format!("ALTER TYPE {ty} RENAME TO {}", quote_ident(&aside)),
        create_enum(name, &kept),
    ];
    let users = before.enum_users(name);
    for table in before.tables.values() {
        let columns: Vec<&Column> = users
            .iter()
            .filter(|(t, _)| *t == table.name)
            .filter_map(|(_, c)| table.column(c))
            .collect();
        if columns.is_empty() {
            continue;
        }
        let t = quote_ident(&table.name);
        let uses = ExprUses::of(table, &columns);
        out.extend(uses.drop());
        let mut actions = Vec::new();
        for col in &columns {
            let c = quote_ident(&col.name);
            if col.default.is_some() {
                actions.push(format!("ALTER COLUMN {c} DROP DEFAULT"));
            }
            actions.push(match col.ty {
                ColumnType::EnumArray(_) => {
                    format!("ALTER COLUMN {c} TYPE {ty}[] USING {c}::text[]::{ty}[]")
                }
                _ => format!("ALTER COLUMN {c} TYPE {ty} USING {c}::text::{ty}"),
            });
            if let Some(d) = col.default_sql() {
                actions.push(format!(
                    "ALTER COLUMN {c} SET DEFAULT {}",
                    column_default(d, &col.ty)
                ));
            }
        }
        out.push(format!("ALTER TABLE {t} {}", actions.join(", ")));
        out.extend(uses.create());
    }
    out.push(format!("DROP TYPE {}", quote_ident(&aside)));
    Ok(out)
}

/// The checks and indexes of a table whose expressions use some of its columns (a
/// check, an index's predicate or an expression part), which PostgreSQL parses again
/// when such a column changes type. A comparison with a literal was stored with the
/// literal cast to the old type (`status <> 'void'::text`), so to or from an enum type
/// it no longer parses (`operator does not exist: invoice_status <> text`): such
/// checks and indexes are dropped before the change and created again after it, as
/// written, when the literal takes the new type. A plain index column PostgreSQL
/// converts itself.
struct ExprUses<'t> {
    table: &'t Table,
    checks: Vec<Constraint>,
    indexes: Vec<&'t Index>,
}

impl<'t> ExprUses<'t> {
    fn of(table: &'t Table, columns: &[&Column]) -> Self {
        let mentions = |expr: &str| {
            columns
                .iter()
                .any(|c| mentions_column(expr, &table.name, c))
        };
        let checks = table
            .constraints()
            .into_iter()
            .filter(|c| matches!(c, Constraint::Check(ch) if mentions(&ch.expr)))
            .collect();
        let indexes = table
            .indexes
            .iter()
            .filter(|ix| {
                ix.predicate.as_deref().is_some_and(mentions)
                    || ix
                        .columns
                        .iter()
                        .any(|p| table.column(split_order(p).0).is_none() && mentions(p))
            })
            .collect();
        ExprUses {
            table,
            checks,
            indexes,
        }
    }

    /// The statements dropping them: checks first, then indexes.
    fn drop(&self) -> Vec<String> {
        let t = quote_ident(&self.table.name);
        let checks = self.checks.iter().map(|c| {
            format!(
                "ALTER TABLE {t} DROP CONSTRAINT {}",
                quote_ident(&constraint_name(c, self.table))
            )
        });
        let indexes = self
            .indexes
            .iter()
            .map(|ix| format!("DROP INDEX {}", quote_ident(&ix.name)));
        checks.chain(indexes).collect()
    }

    /// The statements creating them again, in the same order.
    fn create(&self) -> Vec<String> {
        let t = quote_ident(&self.table.name);
        let checks = self
            .checks
            .iter()
            .map(|c| format!("ALTER TABLE {t} ADD {}", constraint_def(c)));
        let indexes = self
            .indexes
            .iter()
            .map(|ix| create_index(ix, Some(self.table)));
        checks.chain(indexes).collect()
    }
}

/// A name for the enum type `name` while it is made again: `name_old` (or
/// `name_old2`, ...), one no type or table of `before` has (a table is also a type),
/// within PostgreSQL's 63 bytes.
fn aside_name(name: &str, before: &Schema) -> String {
    const MAX: usize = 63;
    let taken = |n: &str| before.enums.contains_key(n) || before.tables.contains_key(n);
    (1..)
        .map(|i| {
            let suffix = if i == 1 {
                "_old".to_string()
            } else {
                format!("_old{i}")
            };
            let mut cut = MAX.saturating_sub(suffix.len()).min(name.len());
            while !name.is_char_boundary(cut) {
                cut -= 1;
            }
            format!("{}{suffix}", &name[..cut])
        })
        .find(|n| !taken(n))
        .unwrap_or_default()
}

/// `ALTER TABLE t ALTER COLUMN c ..., ALTER COLUMN c ...` with one action per changed
/// property; nothing when nothing changed. An identity dropped, added or changed
/// between `ALWAYS` and `BY DEFAULT` is a statement of its own.
///
/// A new type comes with `USING c::type` unless PostgreSQL converts the values itself
/// (between numbers, between strings, to a string, between dates and timestamps):
/// where it does, a value that does not fit is an error rather than cut short, as an
/// explicit cast to `VARCHAR(n)` would. A column with a collation keeps it with
/// `COLLATE` (which the model's parser does not read yet). A default that changes
/// together with the type is dropped first, so that the old one need not convert.
fn alter_column(table: &str, from: &Column, to: &Column) -> Result<Vec<String>, RenderError> {
    let col = quote_ident(&to.name);
    let by_hand = |what: String, sql: String| {
        RenderError::new(format!(
            "the model does not follow a change of {what} of `{table}.{}`; write it by hand, e.g. \
             `ALTER TABLE {} ALTER COLUMN {col} {sql}`",
            to.name,
            quote_ident(table)
        ))
    };
    if from.collation != to.collation {
        let ty = render_type(&to.ty).unwrap_or_default();
        let collate = to
            .collation
            .as_deref()
            .map(|c| format!(" COLLATE {}", quote_ident(c)))
            .unwrap_or_default();
        return Err(by_hand(
            format!(
                "the collation ({} to {})",
                from.collation.as_deref().unwrap_or("none"),
                to.collation.as_deref().unwrap_or("none")
            ),
            format!("TYPE {ty}{collate}"),
        ));
    }
    // Identity changes are statements of their own: dropped before the other
    // changes (which may then drop NOT NULL or set a default), added after them
    // (PostgreSQL adds an identity only to a NOT NULL column without a default).
    let mut before = Vec::new();
    let mut after = Vec::new();
    let alter = |action: &str| {
        format!(
            "ALTER TABLE {} ALTER COLUMN {col} {action}",
            quote_ident(table)
        )
    };
    match (from.auto_increment, to.auto_increment) {
        (true, false) => before.push(alter("DROP IDENTITY")),
        (false, true) => {
            if !types::is_integer(&to.ty) || to.default.is_some() || to.nullable {
                return Err(RenderError::new(format!(
                    "column `{table}.{}` cannot become an identity column: PostgreSQL needs a \
                     SMALLINT, INTEGER or BIGINT column, NOT NULL, without a default",
                    to.name
                )));
            }
            after.push(alter(&format!(
                "ADD GENERATED {} AS IDENTITY",
                generated(to.generated_always)
            )));
            // The new sequence starts at 1: past the values the rows hold, so that the
            // next row does not collide with one of them.
            after.push(format!(
                "SELECT setval(pg_get_serial_sequence({}, {}), COALESCE(max({col}), 0) + 1, false) FROM {}",
                wildebeest_sql::quote_literal(&quote_ident(table)),
                wildebeest_sql::quote_literal(&to.name),
                quote_ident(table)
            ));
        }
        (true, true) if from.generated_always != to.generated_always => {
            after.push(alter(&format!(
                "SET GENERATED {}",
                generated(to.generated_always)
            )));
        }
        _ => {}
    }
    let mut actions = Vec::new();
    let type_changes = from.ty != to.ty;
    // PostgreSQL cannot convert a default to or from an enum type: it is set again.
    let enum_involved = [&from.ty, &to.ty].iter().any(|t| t.enum_name().is_some());
    let default_changes = from.default != to.default || (type_changes && enum_involved);
    if type_changes {
        // A serial type is no type (`TYPE BIGSERIAL` is an error): it is its integer
        // type with a default from a sequence the column owns. Between two of them the
        // integer type changes, and then the sequence's, which bounds its values
        // (`AS integer` stops at 2147483647). The sequence has the name `SERIAL` gave
        // it (`t_c_seq`).
        let (from, to) = match (from.ty.serial_integer(), to.ty.serial_integer()) {
            (None, None) => (from.clone(), to.clone()),
            (Some(a), Some(b)) => {
                let seq = object_name(table, Some(&to.name), "seq");
                let int = render_type(&b).unwrap_or_default();
                after.insert(0, format!("ALTER SEQUENCE {} AS {int}", quote_ident(&seq)));
                let with = |c: &Column, ty: ColumnType| Column { ty, ..c.clone() };
                (with(from, a), with(to, b))
            }
            _ => {
                return Err(RenderError::new(format!(
                    "column `{table}.{}` changes from {} to {}: a serial type is an \
                     integer with a default from a sequence of its own, which wildebeest \
                     neither creates nor drops; write the migration by hand \
                     (`wildebeest revision`), or use an identity column \
                     (`GENERATED BY DEFAULT AS IDENTITY`)",
                    to.name, from.ty, to.ty
                )));
            }
        };
        let (from, to) = (&from, &to);
        let ty = render_type(&to.ty).ok_or_else(|| {
            RenderError::new(format!(
                "PostgreSQL needs a type for `{table}.{}`; the new one is empty",
                to.name
            ))
        })?;
        if default_changes && from.default.is_some() {
            actions.push(format!("ALTER COLUMN {col} DROP DEFAULT"));
        }
        actions.push(format!(
            "ALTER COLUMN {col} TYPE {}",
            new_type(&ty, from, to)
        ));
    }
    if from.nullable != to.nullable {
        let verb = if to.nullable { "DROP" } else { "SET" };
        actions.push(format!("ALTER COLUMN {col} {verb} NOT NULL"));
    }
    if default_changes {
        match to.default_sql() {
            Some(d) => actions.push(format!(
                "ALTER COLUMN {col} SET DEFAULT {}",
                column_default(d, &to.ty)
            )),
            None if !type_changes => actions.push(format!("ALTER COLUMN {col} DROP DEFAULT")),
            // Dropped before the type change already.
            None => {}
        }
    }
    if !actions.is_empty() {
        before.push(format!(
            "ALTER TABLE {} {}",
            quote_ident(table),
            actions.join(", ")
        ));
    }
    before.extend(after);
    Ok(before)
}

/// What follows `TYPE` when `from` becomes `to`: the type, its collation (which a new
/// type would otherwise reset to the type's default) and, exactly when PostgreSQL has
/// no assignment cast for the change ([`types::conversion`]), the `USING` conversion:
/// `c::type` by an explicit cast, `c::text::type` where there is none (also to an
/// enum type, which only text converts to, and `c::text[]::type[]` between arrays).
/// Where an assignment cast exists no `USING` is written: the explicit cast would cut
/// a string too long for the new length silently, where the assignment refuses it.
fn new_type(ty: &str, from: &Column, to: &Column) -> String {
    let mut out = ty.to_string();
    if let Some(c) = &to.collation {
        out.push_str(&format!(" COLLATE {}", quote_ident(c)));
    }
    let c = quote_ident(&to.name);
    let through_text = |array: bool| {
        if array {
            format!(" USING {c}::text[]::{ty}")
        } else {
            format!(" USING {c}::text::{ty}")
        }
    };
    let array = |t: &ColumnType| {
        matches!(t, ColumnType::EnumArray(_))
            || matches!(t, ColumnType::Custom(s) if s.trim_end().ends_with(']'))
    };
    if matches!(to.ty, ColumnType::Enum(_) | ColumnType::EnumArray(_))
        && types::conversion(&from.ty, &to.ty) != Conversion::Assignment
    {
        out.push_str(&through_text(array(&from.ty) && array(&to.ty)));
    } else if let Some(using) = boolean_using(&c, &from.ty, &to.ty, ty) {
        out.push_str(&format!(" USING {using}"));
    } else {
        match types::conversion(&from.ty, &to.ty) {
            Conversion::Assignment => {}
            Conversion::Explicit | Conversion::Unknown => {
                out.push_str(&format!(" USING {c}::{ty}"));
            }
            Conversion::ThroughText => {
                out.push_str(&through_text(array(&from.ty) && array(&to.ty)))
            }
        }
    }
    out
}

/// The conversion between `BOOLEAN` and a number, which PostgreSQL casts only to and
/// from `INTEGER` (`cannot cast type boolean to smallint`): a boolean goes through
/// `INTEGER` (`c::int::SMALLINT`, 1 and 0), and a `SMALLINT` or `BIGINT` becomes
/// `c <> 0`, what `INTEGER`'s own cast means, without `INTEGER`'s range. `None` for
/// the rest (`INTEGER` casts itself; `NUMERIC` and floating point have no boolean
/// meaning PostgreSQL knows, so they go through their text, which only `0` and `1`
/// of them survive).
fn boolean_using(c: &str, from: &ColumnType, to: &ColumnType, ty: &str) -> Option<String> {
    use ColumnType::*;
    match (from, to) {
        (Boolean, Integer) => None,
        (Boolean, _) if types::family(to) == Family::Number => Some(format!("{c}::int::{ty}")),
        (SmallInt | BigInt, Boolean) => Some(format!("{c} <> 0")),
        _ => None,
    }
}

/// The multi-line `CREATE TABLE` for `table`: columns, then its constraints.
pub(crate) fn create_table(table: &Table) -> Result<String, RenderError> {
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
    // A partition: its columns are its parent's, its own constraints in parentheses.
    if let Some(of) = &table.options.partition_of {
        let lines: Vec<String> = table.constraints().iter().map(constraint_def).collect();
        let own = if lines.is_empty() {
            String::new()
        } else {
            format!(" (\n    {}\n)", lines.join(",\n    "))
        };
        let key = table
            .options
            .partition_by
            .as_deref()
            .map_or(String::new(), |k| format!("\nPARTITION BY {k}"));
        return Ok(format!(
            "CREATE TABLE {} PARTITION OF {}{own}\n{}{key}",
            quote_ident(&table.name),
            quote_ident(&of.parent),
            of.bound
        ));
    }
    let mut lines = Vec::new();
    for c in &table.columns {
        lines.push(column_def(&table.name, c)?);
    }
    lines.extend(table.constraints().iter().map(constraint_def));
    let key = table
        .options
        .partition_by
        .as_deref()
        .map_or(String::new(), |k| format!("\nPARTITION BY {k}"));
    let with = if table.options.storage.is_empty() {
        String::new()
    } else {
        format!(" WITH ({})", storage_parameters(&table.options.storage))
    };
    Ok(format!(
        "CREATE TABLE {} (\n    {}\n){key}{with}",
        quote_ident(&table.name),
        lines.join(",\n    ")
    ))
}

/// `ALTER TABLE t SET (...)` for the storage parameters `to` sets anew or to another
/// value, and `ALTER TABLE t RESET (...)` for those it has no more: exact both ways.
fn alter_storage(table: &str, from: &[String], to: &[String]) -> Vec<String> {
    let name = |p: &String| p.split_once('=').map_or(p.clone(), |(n, _)| n.to_string());
    let kept: Vec<String> = to.iter().map(name).collect();
    let reset: Vec<String> = from
        .iter()
        .map(name)
        .filter(|n| !kept.contains(n))
        .collect();
    let set: Vec<String> = to.iter().filter(|p| !from.contains(p)).cloned().collect();
    let mut out = Vec::new();
    if !reset.is_empty() {
        out.push(format!(
            "ALTER TABLE {} RESET ({})",
            quote_ident(table),
            reset.join(", ")
        ));
    }
    if !set.is_empty() {
        out.push(format!(
            "ALTER TABLE {} SET ({})",
            quote_ident(table),
            storage_parameters(&set)
        ));
    }
    out
}
/// A change of a table's partitioning: a partition moved to another bound is
/// detached and attached again (its rows stay; PostgreSQL checks that they fit the
/// new bound), a table attached to or detached from a partitioned table likewise.
/// PostgreSQL cannot change a partition key, nor partition a table in place.
fn repartition(
    table: &str,
    from: &TableOptions,
    to: &TableOptions,
) -> Result<Vec<String>, RenderError> {
    if from.partition_by != to.partition_by {
        let key = |k: &Option<String>| k.clone().unwrap_or_else(|| "none".to_string());
        return Err(RenderError::new(format!(
            "table `{table}`: its partitioning changes ({} -> {}), which PostgreSQL cannot \
             do in place; write the change by hand (a new table, the rows copied, the old \
             one dropped) in a revision",
            key(&from.partition_by),
            key(&to.partition_by)
        )));
    }
    let mut out = Vec::new();
    if from.partition_of == to.partition_of {
        return Ok(out);
    }
    if let Some(of) = &from.partition_of {
        out.push(format!(
            "ALTER TABLE {} DETACH PARTITION {}",
            quote_ident(&of.parent),
            quote_ident(table)
        ));
    }
    if let Some(of) = &to.partition_of {
        out.push(format!(
            "ALTER TABLE {} ATTACH PARTITION {} {}",
            quote_ident(&of.parent),
            quote_ident(table),
            of.bound
        ));
    }
    Ok(out)
}

/// `ALWAYS` or `BY DEFAULT`, the kind of an identity column.
fn generated(always: bool) -> &'static str {
    if always { "ALWAYS" } else { "BY DEFAULT" }
}

/// `name TYPE [COLLATE c] [GENERATED {BY DEFAULT | ALWAYS} AS IDENTITY]
/// [GENERATED ALWAYS AS (expr) STORED] [NOT NULL] [DEFAULT x]`.
pub(crate) fn column_def(table: &str, col: &Column) -> Result<String, RenderError> {
    let ty = render_type(&col.ty).ok_or_else(|| {
        RenderError::new(format!(
            "column `{table}.{}` has no type, which PostgreSQL requires",
            col.name
        ))
    })?;
    let mut out = format!("{} {ty}", quote_ident(&col.name));
    if let Some(c) = &col.collation {
        out.push_str(" COLLATE ");
        out.push_str(&quote_ident(c));
    }
    if col.auto_increment {
        if !types::is_integer(&col.ty) {
            return Err(RenderError::new(format!(
                "column `{table}.{}` is auto-incrementing, which PostgreSQL allows only for \
                 SMALLINT, INTEGER and BIGINT columns (it is {})",
                col.name, col.ty
            )));
        }
        if let Some(d) = &col.default {
            return Err(RenderError::new(format!(
                "column `{table}.{}` is auto-incrementing and has the default {d}; PostgreSQL \
                 allows one or the other",
                col.name
            )));
        }
        out.push_str(&format!(
            " GENERATED {} AS IDENTITY",
            generated(col.generated_always)
        ));
    }
    if let Some(g) = &col.generated {
        if !g.stored {
            return Err(RenderError::new(format!(
                "column `{table}.{}` is a VIRTUAL generated column; PostgreSQL (before 18) \
                 keeps only STORED ones: write `GENERATED ALWAYS AS ({}) STORED`",
                col.name, g.expr
            )));
        }
        if let Some(d) = &col.default {
            return Err(RenderError::new(format!(
                "column `{table}.{}` is generated and has the default {d}; PostgreSQL \
                 allows one or the other",
                col.name
            )));
        }
        out.push(' ');
        out.push_str(&g.clause());
    }
    if !col.nullable {
        out.push_str(" NOT NULL");
    }
    if let Some(d) = col.default_sql() {
        out.push_str(" DEFAULT ");
        out.push_str(&column_default(d, &col.ty));
    }
    Ok(out)
}

/// [`default_sql`] for a column of type `ty`: a boolean's `1` or `0` (SQLite's and
/// MySQL's spelling, which PostgreSQL refuses for a boolean) is `true` or `false`.
pub(crate) fn column_default(expr: &str, ty: &ColumnType) -> String {
    match (ty, types::boolean_word(expr)) {
        (ColumnType::Boolean, Some(word)) => word.to_string(),
        _ => default_sql(expr),
    }
}

/// A default as a column definition takes it: a literal, a name, a function call or a
/// cast of one as it is; any other expression in parentheses (PostgreSQL's `DEFAULT`
/// takes a restricted expression: no `AND`, `IS NULL`, `IN`, ...).
pub(crate) fn default_sql(expr: &str) -> String {
    if is_simple(expr) {
        expr.to_string()
    } else {
        format!("({expr})")
    }
}

/// A literal, a (qualified) name, or a function call, optionally with a `::type` cast
/// to a one-word type, and nothing more at the top level.
fn is_simple(expr: &str) -> bool {
    let e = expr.trim();
    let e = match e.rsplit_once("::") {
        Some((head, ty)) if is_plain_word(ty) && top_level_len(head) == Some(head.len()) => head,
        _ => e,
    };
    let unsigned = e.strip_prefix('-').unwrap_or(e);
    if !unsigned.is_empty()
        && unsigned
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '.' | 'e' | 'E' | '+' | '-'))
        && unsigned.parse::<f64>().is_ok()
    {
        return true;
    }
    top_level_len(e) == Some(e.len())
}

/// The length of the leading atom of `s`: a string literal, a quoted or bare name
/// (dotted), or a name followed by a parenthesized argument list. `None` when `s`
/// starts with none of these or leaves a quote or parenthesis open.
fn top_level_len(s: &str) -> Option<usize> {
    let bytes = s.as_bytes();
    let mut i = 0;
    let quoted = |i: usize, q: u8| -> Option<usize> {
        let mut j = i + 1;
        while j < bytes.len() {
            if bytes[j] == q {
                if bytes.get(j + 1) == Some(&q) {
                    j += 2;
                    continue;
                }
                return Some(j + 1);
            }
            j += 1;
        }
        None
    };
    match bytes.first()? {
        b'\'' => return quoted(0, b'\''),
        _ => loop {
            match bytes.get(i) {
                Some(b'"') => i = quoted(i, b'"')?,
                Some(b) if b.is_ascii_alphabetic() || *b == b'_' || *b >= 0x80 => {
                    while i < bytes.len()
                        && (bytes[i].is_ascii_alphanumeric()
                            || bytes[i] == b'_'
                            || bytes[i] == b'$'
                            || bytes[i] >= 0x80)
                    {
                        i += 1;
                    }
                }
                _ => return None,
            }
            if bytes.get(i) == Some(&b'.') {
                i += 1;
                continue;
            }
            break;
        },
    }
    if bytes.get(i) != Some(&b'(') {
        return Some(i);
    }
    // The argument list, to its matching parenthesis.
    let mut depth = 0usize;
    while i < bytes.len() {
        match bytes[i] {
            b'\'' | b'"' => {
                i = quoted(i, bytes[i])?;
                continue;
            }
            b'(' => depth += 1,
            b')' => {
                depth -= 1;
                if depth == 0 {
                    return Some(i + 1);
                }
            }
            _ => {}
        }
        i += 1;
    }
    None
}

/// A table constraint as PostgreSQL writes it (see `wildebeest_sql::render`).
pub(crate) fn constraint_def(c: &Constraint) -> String {
    wildebeest_sql::render::constraint_def(c, c.name(), Dialect::Postgres)
}

/// The name PostgreSQL knows `c` on `table` by: its explicit name, or the one
/// PostgreSQL gives an unnamed constraint (`t_pkey`, `t_a_b_key`, `t_a_fkey`,
/// `t_a_check` for a check on one column and `t_check` for one on several, each cut to
/// 63 bytes the way PostgreSQL cuts them). This is `Constraint::sql_name` but for a
/// check on several columns, which `sql_name` names after the first.
pub fn constraint_name(c: &Constraint, table: &Table) -> String {
    if let Some(n) = c.name() {
        return n.to_string();
    }
    generated_name(c, table, 0)
}

/// The name PostgreSQL gives `c` (taken as unnamed) on `table` on its `pass`-th try:
/// 0 is [`constraint_name`]'s; when that name is taken (two checks on one column, or
/// two whose long names are cut to the same 63 bytes), PostgreSQL's
/// `ChooseConstraintName` tries the label with 1, 2, ... after it (`t_a_check1`), cut
/// again to fit. Which of two such constraints gets which name follows the order they
/// were made in, which the model does not keep.
pub(crate) fn generated_name(c: &Constraint, table: &Table, pass: usize) -> String {
    let label = |l: &str| {
        if pass == 0 {
            l.to_string()
        } else {
            format!("{l}{pass}")
        }
    };
    let t = &table.name;
    match c {
        Constraint::PrimaryKey(_) => object_name(t, None, &label("pkey")),
        Constraint::Unique(u) => object_name(t, Some(&u.columns.join("_")), &label("key")),
        Constraint::ForeignKey(f) => object_name(t, Some(&f.columns.join("_")), &label("fkey")),
        Constraint::Check(ch) => {
            let used: Vec<&Column> = table
                .columns
                .iter()
                .filter(|col| mentions_column(&ch.expr, t, col))
                .collect();
            match used.as_slice() {
                [only] => object_name(t, Some(&only.name), &label("check")),
                _ => object_name(t, None, &label("check")),
            }
        }
        // An index's name (`ChooseIndexName`): its columns, functions or `expr`.
        Constraint::Exclusion(x) => object_name(t, Some(&x.name_parts().join("_")), &label("excl")),
    }
}

/// Whether `expr` refers to `column`, as the model finds references: the model's own
/// reference finder is behind `Constraint::sql_name`, which names a check after the
/// first column it mentions; on a table of this one column, that is this column or
/// none.
fn mentions_column(expr: &str, table: &str, column: &Column) -> bool {
    let mut t = Table::new(table);
    t.columns.push(column.clone());
    let check = Constraint::Check(Check {
        no_inherit: false,
        written: Default::default(),
        name: None,
        expr: expr.to_string(),
    });
    check.sql_name(&t) != format!("{table}_check")
}

/// Whether `column` has a sequence of its own: a serial or identity column's, named
/// after its table and itself (`t_c_seq`) when PostgreSQL made it.
fn owns_sequence(column: &Column) -> bool {
    column.auto_increment || column.ty.serial_integer().is_some()
}

/// Renames the sequence of a serial or identity column along with its table or
/// itself, to the name PostgreSQL gives that of a column made under the new names:
/// the database then is what the schema makes on a fresh one (a `pg_dump` of it says
/// a plain `SERIAL` or identity, not a sequence named after an old table), and a
/// later serial type change finds the sequence under the name it expects. `IF
/// EXISTS`: a sequence named otherwise (made by hand, or by an older migration that
/// renamed without it) keeps its name, as a name the model does not hold. Nothing
/// where the two names are one (both shortened to the same 63 bytes).
fn rename_sequence(from: (&str, &str), to: (&str, &str)) -> Option<String> {
    let (old, new) = (
        object_name(from.0, Some(from.1), "seq"),
        object_name(to.0, Some(to.1), "seq"),
    );
    (old != new).then(|| {
        format!(
            "ALTER SEQUENCE IF EXISTS {} RENAME TO {}",
            quote_ident(&old),
            quote_ident(&new)
        )
    })
}

/// `CREATE [UNIQUE] INDEX n ON t [USING m ](a, b DESC, (a + b))[ INCLUDE (c)][ NULLS NOT
/// DISTINCT][ WITH (fillfactor=70)][ WHERE p]`. `table`, when known, tells which parts
/// are columns (quoted as identifiers) and which expressions.
pub(crate) fn create_index(index: &Index, table: Option<&Table>) -> String {
    let parts: Vec<String> = index.columns.iter().map(|p| index_part(p, table)).collect();
    let mut out = format!(
        "CREATE {}INDEX {} ON {} {}({})",
        if index.unique { "UNIQUE " } else { "" },
        quote_ident(&index.name),
        quote_ident(&index.table),
        index
            .method
            .as_deref()
            .map_or(String::new(), |m| format!("USING {m} ")),
        parts.join(", ")
    );
    if !index.include.is_empty() {
        let include: Vec<String> = index.include.iter().map(|c| quote_ident(c)).collect();
        out.push_str(&format!(" INCLUDE ({})", include.join(", ")));
    }
    if index.nulls_not_distinct {
        out.push_str(" NULLS NOT DISTINCT");
    }
    if !index.storage.is_empty() {
        out.push_str(&format!(" WITH ({})", storage_parameters(&index.storage)));
    }
    if let Some(p) = index.predicate_sql() {
        out.push_str(" WHERE ");
        out.push_str(p);
    }
    out
}

/// Storage parameters as the model holds them (`name=value`), written so that the
/// server keeps each value as it is: an integer bare, anything else quoted.
pub(crate) fn storage_parameters(params: &[String]) -> String {
    let written: Vec<String> = params
        .iter()
        .map(|p| {
            let (name, value) = p.split_once('=').unwrap_or((p, "true"));
            match value.parse::<i64>() {
                Ok(i) if i.to_string() == value => format!("{name}={value}"),
                _ => format!("{name}={}", quote_literal(value)),
            }
        })
        .collect();
    written.join(", ")
}

/// One part of an index: a column (quoted when needed), a column with an operator
/// class (`name text_pattern_ops`), or an expression (in parentheses unless it is a
/// function call, as PostgreSQL requires), each with its order and nulls placement.
fn index_part(part: &str, table: Option<&Table>) -> String {
    let (base, suffix) = split_order(part);
    let is_column = |name: &str| match table {
        Some(t) => t.column(name).is_some(),
        None => is_plain_word(name),
    };
    // A part that could not stand as an expression is a column's name the table did
    // not show (a column renamed or dropped later in the same migration): quoted, it
    // can only name a column, never end the statement.
    if is_column(base) || !wildebeest_sql::is_enclosed(base, Dialect::Postgres) {
        return format!("{}{suffix}", quote_ident(base));
    }
    if let Some((column, class)) = base.rsplit_once(' ')
        && is_plain_word(class)
    {
        // The column as written (`name`), or quoted as the parser keeps it when it has
        // an operator class (`"Display Name"`).
        let unquoted = column
            .strip_prefix('"')
            .and_then(|c| c.strip_suffix('"'))
            .map(|c| c.replace("\"\"", "\""));
        if let Some(name) = unquoted
            .as_deref()
            .filter(|c| is_column(c))
            .or(Some(column).filter(|c| is_column(c)))
        {
            return format!("{} {class}{suffix}", quote_ident(name));
        }
    }
    // An expression with an operator class: the model keeps it as one atom (a name, a
    // function call, or in parentheses: [`with_class`]) and the class after it.
    if let Some((expr, class)) = base.rsplit_once(' ')
        && is_plain_word(class)
        && is_atom(expr)
    {
        return format!("{expr} {class}{suffix}");
    }
    if top_level_len(base) == Some(base.len()) {
        format!("{base}{suffix}")
    } else {
        format!("({base}){suffix}")
    }
}

/// An index part's expression with an operator class after it, as the model keeps it
/// (schema.sql, the catalog and the canonical form alike): the expression as it is when
/// it is one atom (`lower(name) text_pattern_ops`), in parentheses otherwise (`(n ||
/// 'x') text_pattern_ops`), which is how PostgreSQL needs it written and what tells the
/// class from the expression's last word.
pub(crate) fn with_class(expr: &str, class: &str) -> String {
    if is_atom(expr) {
        format!("{expr} {class}")
    } else {
        format!("({expr}) {class}")
    }
}

/// A name, a function call, or a text in parentheses that close only at its end.
pub(crate) fn is_atom(s: &str) -> bool {
    top_level_len(s) == Some(s.len()) || is_parenthesized(s)
}

/// Whether `s` opens a parenthesis first and closes it last, quotes aside.
fn is_parenthesized(s: &str) -> bool {
    if !s.starts_with('(') {
        return false;
    }
    let mut depth = 0usize;
    let mut quote: Option<char> = None;
    for (i, c) in s.char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '\'' | '"') => quote = Some(c),
            (None, '(') => depth += 1,
            (None, ')') => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return i + 1 == s.len();
                }
            }
            _ => {}
        }
    }
    false
}

/// An index part split into its column or expression and what follows it: ` DESC`,
/// ` ASC`, ` NULLS FIRST`, ` NULLS LAST`, or a combination.
fn split_order(part: &str) -> (&str, &str) {
    let mut base = part;
    for suffix in [" NULLS FIRST", " NULLS LAST", " DESC", " ASC"] {
        let at = base.len().saturating_sub(suffix.len());
        if at > 0
            && base
                .get(at..)
                .is_some_and(|s| s.eq_ignore_ascii_case(suffix))
        {
            base = &base[..at];
        }
    }
    (base, &part[base.len()..])
}

/// A name matching `[A-Za-z_][A-Za-z0-9_]*`.
fn is_plain_word(s: &str) -> bool {
    s.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
        && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// An identifier in PostgreSQL SQL: bare when that is safe, else in double quotes.
pub(crate) fn quote_ident(name: &str) -> String {
    wildebeest_sql::quote_ident(name, Dialect::Postgres)
}

pub(crate) use wildebeest_sql::quote_literal;

/// Plans one statement (see `Backend::plan`): PostgreSQL runs every statement of the
/// migration language itself, so a statement written for it runs as written, and so
/// does one it does not understand. A statement written for another database whose
/// ops the model understands is rendered for PostgreSQL from them (its types through
/// [`types::foreign_type`]); should one of them not render, it runs as written.
///
/// A rename is followed by the renames of the constraints named by convention (see
/// [`follow_names`]), and a new type for a column with a collation by the statement
/// that gives the collation back (see [`keep_collation`]).
pub(crate) fn plan(
    before: &Schema,
    statement: &Statement,
    ops: &[Op],
    source: Dialect,
) -> Vec<String> {
    // Each op is looked at against the schema before it: a copy of `before` only when
    // a later op needs the schema after an earlier one.
    let raw = || {
        let mut sql = vec![statement.text.clone()];
        let mut schema = Cow::Borrowed(before);
        for (i, op) in ops.iter().enumerate() {
            sql.extend(follow_names(&schema, op));
            sql.extend(keep_collation(op));
            if i + 1 < ops.len() && op.apply(schema.to_mut()).is_err() {
                break;
            }
        }
        sql
    };
    if source == Dialect::Postgres || ops.is_empty() {
        return raw();
    }
    let mut schema = Cow::Borrowed(before);
    let mut sql = Vec::new();
    let merged = merge_alters(ops);
    let count = merged.len();
    for (i, op) in merged.into_iter().enumerate() {
        let op = foreign_op(op);
        match render_op(&op, &schema) {
            Ok(stmts) => sql.extend(stmts),
            Err(_) => return raw(),
        }
        sql.extend(follow_names(&schema, &op));
        let fits = if i + 1 < count {
            op.apply(schema.to_mut())
        } else {
            op.check(&schema)
        };
        if fits.is_err() {
            return raw();
        }
    }
    sql
}

/// For an `ALTER COLUMN ... TYPE` without `COLLATE` (the only form the model reads) on
/// a column with a collation, the statement that gives the column its collation back:
/// PostgreSQL resets it to the new type's default, the model keeps it.
fn keep_collation(op: &Op) -> Option<String> {
    let Op::AlterColumn { table, from, to } = op else {
        return None;
    };
    let collation = to.collation.as_ref().filter(|_| from.ty != to.ty)?;
    Some(format!(
        "ALTER TABLE {} ALTER COLUMN {} TYPE {} COLLATE {}",
        quote_ident(table),
        quote_ident(&to.name),
        render_type(&to.ty)?,
        quote_ident(collation)
    ))
}

/// `ALTER TABLE t RENAME CONSTRAINT old TO new` for each constraint without a name of
/// its own whose conventional name (see [`constraint_name`]) `op` changes: renaming a
/// table (`t_pkey`) or a column (`t_email_key`). PostgreSQL keeps a constraint's name
/// through both, but the model knows an unnamed constraint by the name the
/// convention gives it now, which is the name a later `DROP CONSTRAINT` uses and the
/// one the database must have to read back as unnamed.
pub(crate) fn follow_names(before: &Schema, op: &Op) -> Vec<String> {
    let (name, new_name) = match op {
        Op::RenameTable { from, to } => (from, to),
        Op::RenameColumn { table, .. } => (table, table),
        _ => return Vec::new(),
    };
    let Some(table) = before.table(name) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for c in table
        .constraints()
        .into_iter()
        .filter(|c| c.name().is_none())
    {
        let old = constraint_name(&c, table);
        // The op applied to the table with only this constraint tells what becomes of it.
        let mut alone = Table {
            primary_key: None,
            uniques: Vec::new(),
            foreign_keys: Vec::new(),
            checks: Vec::new(),
            exclusions: Vec::new(),
            indexes: Vec::new(),
            ..table.clone()
        };
        match c {
            Constraint::PrimaryKey(pk) => alone.primary_key = Some(pk),
            Constraint::Unique(u) => alone.uniques.push(u),
            Constraint::ForeignKey(f) => alone.foreign_keys.push(f),
            Constraint::Check(ch) => alone.checks.push(ch),
            Constraint::Exclusion(x) => alone.exclusions.push(x),
        }
        let mut scratch = Schema::new();
        scratch.tables.insert(name.clone(), alone);
        if op.apply(&mut scratch).is_err() {
            continue;
        }
        let Some(after) = scratch.table(new_name) else {
            continue;
        };
        let Some(moved) = after.constraints().into_iter().next() else {
            continue;
        };
        let new = constraint_name(&moved, after);
        if new != old {
            out.push(format!(
                "ALTER TABLE {} RENAME CONSTRAINT {} TO {}",
                quote_ident(new_name),
                quote_ident(&old),
                quote_ident(&new)
            ));
        }
    }
    out
}

/// Consecutive `AlterColumn`s of one column as one (MySQL's `MODIFY` resolves to one
/// op per property), so that they render as one statement.
fn merge_alters(ops: &[Op]) -> Vec<Op> {
    let mut out: Vec<Op> = Vec::new();
    for op in ops {
        if let (
            Some(Op::AlterColumn {
                table: t1,
                to: last,
                ..
            }),
            Op::AlterColumn {
                table: t2,
                from,
                to,
            },
        ) = (out.last_mut(), op)
            && t1 == t2
            && *last == *from
        {
            *last = to.clone();
            continue;
        }
        out.push(op.clone());
    }
    out
}

/// `op` with the types of its columns as PostgreSQL has them.
pub(crate) fn foreign_op(op: Op) -> Op {
    let column = |mut c: Column| {
        c.ty = types::foreign_type(&c.ty);
        c
    };
    match op {
        Op::CreateTable(mut t) => {
            t.columns = t.columns.into_iter().map(column).collect();
            Op::CreateTable(t)
        }
        Op::AddColumn { table, column: c } => Op::AddColumn {
            table,
            column: column(c),
        },
        Op::AlterColumn { table, from, to } => Op::AlterColumn {
            table,
            from: column(from),
            to: column(to),
        },
        other => other,
    }
}

/// What `op` loses on PostgreSQL ([`Backend::loss`](wildebeest_runner::Backend::loss)):
/// the model's judgement, counted by [`loss_query`]. A label removed from an enum
/// type, or a column converted to one, changes no value it keeps (a label reads as
/// the text it was); the values it cannot keep make PostgreSQL refuse the statement,
/// and [`refused_query`] counts them whatever the consent.
/// What `op` loses on PostgreSQL, applied to `before` ([`loss`]'s phrase): the
/// model's judgement, but for an attribute of a composite type dropped, which loses
/// something only where a table column holds the type.
pub fn data_loss_in(op: &Op, before: &Schema) -> Option<String> {
    loss(op, before).map(|l| l.what)
}

pub(crate) fn loss(op: &Op, before: &Schema) -> Option<Loss> {
    match op {
        // Lost only where a table column holds the type.
        Op::AlterComposite { from, to } => {
            let what = op.data_loss()?;
            let dropped: Vec<String> = from
                .steps_to(to)
                .into_iter()
                .filter_map(|s| match s {
                    AttributeStep::Drop(a) => Some(quote_ident(&a.name)),
                    _ => None,
                })
                .collect();
            let counts: Vec<String> = before
                .columns_holding(&from.name)
                .into_iter()
                .map(|(t, c, direct)| {
                    let c = quote_ident(&c);
                    // A row value is `NULL` only when all its attributes are:
                    // `IS DISTINCT FROM NULL` counts every other one.
                    let holds = if direct {
                        dropped
                            .iter()
                            .map(|a| format!("({c}).{a} IS NOT NULL"))
                            .collect::<Vec<_>>()
                            .join(" OR ")
                    } else {
                        format!("{c} IS DISTINCT FROM NULL")
                    };
                    format!("(SELECT count(*) FROM {} WHERE {holds})", quote_ident(&t))
                })
                .collect();
            return (!counts.is_empty()).then(|| Loss {
                what,
                query: Some(format!("SELECT {}", counts.join(" + "))),
            });
        }
        Op::DropEnumValue { .. } => return None,
        // Counted by `refused_query` when the labels are known; else every value.
        Op::AlterColumn { to, .. }
            if to
                .ty
                .enum_name()
                .is_some_and(|n| before.enums.contains_key(n)) =>
        {
            return None;
        }
        _ => {}
    }
    op.data_loss().map(|what| Loss {
        what,
        query: loss_query(op),
    })
}

/// A query counting what `op` destroys on PostgreSQL: the rows of a dropped table, the
/// non-null values of a dropped column, and for a type change the model does not
/// prove lossless (see [`ColumnType::narrows_to`]) the values whose text (what a
/// `SELECT` returns) would change or which PostgreSQL would reject, exactly where a
/// formula can tell cheaply without failing on the values it reads (strings longer
/// than the new length or becoming `CHAR(n)`, numbers outside the new range or whose
/// digits change), and every non-null value otherwise: a type change is never left
/// uncounted. `None` for an op that loses nothing.
pub(crate) fn loss_query(op: &Op) -> Option<String> {
    let q = quote_ident;
    match op {
        Op::DropTable(t) => Some(format!("SELECT count(*) FROM {}", q(&t.name))),
        Op::DropColumn { table, column } => Some(format!(
            "SELECT count(*) FROM {} WHERE {} IS NOT NULL",
            q(table),
            q(&column.name)
        )),
        Op::AlterColumn { table, from, to } if from.ty.narrows_to(&to.ty) => {
            // A serial column's values are its integer type's.
            let int = |ty: &ColumnType| ty.serial_integer().unwrap_or_else(|| ty.clone());
            let c = q(&to.name);
            let lost = lost_values(&c, &int(&from.ty), &int(&to.ty))
                .unwrap_or_else(|| format!("{c} IS NOT NULL"));
            Some(format!("SELECT count(*) FROM {} WHERE {lost}", q(table)))
        }
        _ => None,
    }
}

/// What [`Backend::refused_query`](wildebeest_runner::Backend::refused_query) counts
/// on PostgreSQL: the rows holding a value an enum type cannot take, which fail the
/// conversion (`invalid input value for enum plan_kind: "trial"`) with or without
/// consent. For a removed label, every column of the type (and every array of it)
/// holding it; for a column becoming an enum (also the type made again without a
/// label, `USING kind::text::plan_kind`), its values that are none of the labels.
/// `before` is the schema `op` applies to, which knows the labels.
pub(crate) fn refused_query(op: &Op, before: &Schema) -> Option<Refusal> {
    let q = quote_ident;
    let labels = |name: &str| before.enums.get(name);
    let list = |labels: &[String]| {
        labels
            .iter()
            .map(|l| quote_literal(l))
            .collect::<Vec<_>>()
            .join(", ")
    };
    match op {
        Op::DropEnumValue { name, value, .. } => {
            let v = quote_literal(value);
            let counts: Vec<String> = before
                .enum_users(name)
                .iter()
                .filter_map(|(t, c)| Some((t, before.table(t)?.column(c)?)))
                .map(|(t, col)| {
                    let c = q(&col.name);
                    let holds = match col.ty {
                        ColumnType::EnumArray(_) => format!("{v} = ANY ({c}::text[])"),
                        _ => format!("{c}::text = {v}"),
                    };
                    format!("(SELECT count(*) FROM {} WHERE {holds})", q(t))
                })
                .collect();
            (!counts.is_empty()).then(|| Refusal {
                query: format!("SELECT {}", counts.join(" + ")),
                values: format!("the value {v} of enum type `{name}`"),
            })
        }
        Op::AlterColumn { table, from, to } if from.ty != to.ty => {
            let name = match &to.ty {
                ColumnType::Enum(n) | ColumnType::EnumArray(n) => n,
                _ => return None,
            };
            let kept = labels(name)?;
            let c = q(&to.name);
            let none_of = |v: &str| format!("{v}::text NOT IN ({})", list(kept));
            let lost = match to.ty {
                ColumnType::EnumArray(_) => {
                    format!(
                        "EXISTS (SELECT 1 FROM unnest({c}) v WHERE {})",
                        none_of("v")
                    )
                }
                _ => none_of(&c),
            };
            // The labels the old type has and the new one lacks, when it is an enum.
            let gone: Vec<String> = from
                .ty
                .enum_name()
                .and_then(labels)
                .map(|old| old.iter().filter(|l| !kept.contains(l)).cloned().collect())
                .unwrap_or_default();
            let values = if gone.is_empty() {
                format!(
                    "in `{table}.{}` that enum type `{name}` does not have ({})",
                    to.name,
                    list(kept)
                )
            } else {
                format!(
                    "in `{table}.{}` that enum type `{name}` no longer has ({})",
                    to.name,
                    list(&gone)
                )
            };
            Some(Refusal {
                query: format!("SELECT count(*) FROM {} WHERE {lost}", q(table)),
                values: format!("a value {values}"),
            })
        }
        _ => None,
    }
}

/// The condition on a value `c` of type `from` that does not survive as `to`.
fn lost_values(c: &str, from: &ColumnType, to: &ColumnType) -> Option<String> {
    use ColumnType::*;
    let integer_source = types::integer_range(from).is_some();
    // A `CHAR(n)` reads back padded to its length, and becomes another type without
    // its trailing spaces: nearly every value's text changes, so every one counts.
    if matches!(from, Char(_)) {
        return None;
    }
    match (types::family(from), to) {
        // A value exactly `n` characters long reads back as it was, unless it ends
        // in a space, which a `CHAR(n)` drops as text; a shorter one comes back
        // padded, a longer one is cut (spaces) or rejected.
        (Family::String, Char(n)) => Some(format!(
            "char_length({c}) <> {} OR {c} LIKE '% '",
            n.unwrap_or(1)
        )),
        (Family::String, Varchar(Some(n))) => Some(format!("char_length({c}) > {n}")),
        (Family::Number, SmallInt | Integer | BigInt) => {
            let (min, max) = types::integer_range(to)?;
            let range = format!("{c} < {min} OR {c} > {max}");
            Some(if integer_source {
                range
            } else {
                // Rounded, or written another way (`5.0`, `1e+15` become `5`,
                // `1000000000000000`). NaN is above every number.
                format!("{range} OR {c}::text <> trunc({c})::numeric::text")
            })
        }
        (
            Family::Number,
            Decimal {
                precision: Some(p),
                scale,
            },
        ) => {
            let s = scale.unwrap_or(0);
            let digits = p.saturating_sub(s);
            let limit = format!("1{}", "0".repeat(digits as usize));
            // Too many digits, or another text (`5` becomes `5.00`): the rounding is
            // evaluated only for values that fit.
            Some(format!(
                "CASE WHEN abs({c}::numeric) >= {limit} THEN true ELSE round({c}::numeric, {s})::text <> {c}::text END"
            ))
        }
        (Family::Number, Real) if *from != Real => {
            // Out of `REAL`'s range PostgreSQL rejects the value; inside it the cast
            // is evaluated, and counted when the number or its text differs (`0.1`,
            // `1.234567e+06`).
            Some(format!(
                "CASE WHEN {c}::numeric NOT BETWEEN -3.4e38 AND 3.4e38 OR ({c} <> 0 AND abs({c}::numeric) < 1.2e-38) THEN true ELSE ({c}::real::double precision <> {c}::double precision OR {c}::real::text <> {c}::text) END"
            ))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests;
/// ` AS type INCREMENT BY n ...`: the options written, in pg_dump's order.
fn sequence_options(o: &SequenceOptions) -> String {
    let mut out = String::new();
    if let Some(ty) = &o.data_type {
        out.push_str(&format!(" AS {}", render_type(ty).unwrap_or_default()));
    }
    if let Some(n) = o.start {
        out.push_str(&format!(" START WITH {n}"));
    }
    if let Some(n) = o.increment {
        out.push_str(&format!(" INCREMENT BY {n}"));
    }
    if let Some(m) = o.min {
        out.push_str(&m.map_or(" NO MINVALUE".to_string(), |n| format!(" MINVALUE {n}")));
    }
    if let Some(m) = o.max {
        out.push_str(&m.map_or(" NO MAXVALUE".to_string(), |n| format!(" MAXVALUE {n}")));
    }
    if let Some(n) = o.cache {
        out.push_str(&format!(" CACHE {n}"));
    }
    if let Some(c) = o.cycle {
        out.push_str(if c { " CYCLE" } else { " NO CYCLE" });
    }
    out
}

/// `CREATE SEQUENCE name options`, with only the options PostgreSQL would not choose
/// by itself, then its owner (`ALTER SEQUENCE ... OWNED BY`) when it has one.
fn create_sequence(seq: &Sequence) -> Vec<String> {
    let mut out = vec![format!(
        "CREATE SEQUENCE {}{}",
        quote_ident(&seq.name),
        sequence_options(&seq.create_options())
    )];
    if seq.owned_by.is_some() {
        out.extend(alter_sequence(&seq.unowned(), seq));
    }
    out
}

/// `ALTER SEQUENCE name options` for the options that change, then `OWNED BY` when
/// the owner changes. The value the sequence is at is data: never written.
fn alter_sequence(from: &Sequence, to: &Sequence) -> Vec<String> {
    let name = quote_ident(&to.name);
    let mut out = Vec::new();
    let options = sequence_options(&to.alter_options(from));
    if !options.is_empty() {
        out.push(format!("ALTER SEQUENCE {name}{options}"));
    }
    if from.owned_by != to.owned_by {
        out.push(match &to.owned_by {
            Some((t, c)) => format!(
                "ALTER SEQUENCE {name} OWNED BY {}.{}",
                quote_ident(t),
                quote_ident(c)
            ),
            None => format!("ALTER SEQUENCE {name} OWNED BY NONE"),
        });
    }
    out
}
