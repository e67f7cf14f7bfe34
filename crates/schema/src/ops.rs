//! Changes to a schema, in two forms.
//!
//! A [`Change`] is what one SQL statement says, by name only (`DROP TABLE department`),
//! as the `sql` crate parses it from a migration file. [`Change::resolve`] looks the
//! named objects up in the schema the statement runs against and yields [`Op`]s, which
//! carry every prior object they destroy or alter, so that [`Op::invert`] needs nothing
//! else (a `DropColumn` knows the whole column it drops).

use crate::model::{
    Attribute, AttributeStep, Check, Column, ColumnType, CommentOn, Composite, Constraint,
    Declared, Domain, Extension, ForeignKey, Generated, Index, MysqlPartition, MysqlPartitioning,
    PartitionOf, Policy, PrimaryKey, Renamed, Routine, RoutineKind, RowSecurity, Rule, Schema,
    Sequence, SequenceOptions, Table, TableOptions, Trigger, TriggerState, UserType, View,
    find_word, is_plain_ident, policy_key, replace_word, rule_key, serial_sequence_name,
    trigger_key,
};
use crate::model::{prefix_part, split_prefix_part};

/// One statement's intent, by name. Produced by parsing SQL.
// A `CREATE TABLE` carries its whole table, the other variants a few names: a change
// is made once per statement and applied where it is, so boxing the table would only
// add an allocation and an indirection to every use.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// `CREATE TABLE`; the table has no indexes (they come as `CreateIndex`).
    CreateTable { table: Table, if_not_exists: bool },
    /// `DROP TABLE`.
    DropTable { name: String, if_exists: bool },
    /// `ALTER TABLE name action, action, ...`.
    AlterTable {
        table: String,
        actions: Vec<AlterAction>,
    },
    /// `CREATE [UNIQUE] INDEX`.
    CreateIndex { index: Index, if_not_exists: bool },
    /// `DROP INDEX name [ON table]` (MySQL names the table).
    DropIndex {
        name: String,
        table: Option<String>,
        if_exists: bool,
    },
    /// `CREATE TYPE name AS ENUM ('a', 'b')` (PostgreSQL).
    CreateEnum { name: String, labels: Vec<String> },
    /// `DROP TYPE name`.
    DropEnum { name: String, if_exists: bool },
    /// `ALTER TYPE name ADD VALUE [IF NOT EXISTS] 'v' [BEFORE | AFTER 'w']`.
    AddEnumValue {
        name: String,
        value: String,
        position: LabelPosition,
        if_not_exists: bool,
    },
    /// `ALTER TYPE name RENAME VALUE 'a' TO 'b'`.
    RenameEnumValue {
        name: String,
        from: String,
        to: String,
    },
    /// `ALTER TYPE name RENAME TO new`.
    RenameEnum { from: String, to: String },
    /// `CREATE [OR REPLACE] VIEW [IF NOT EXISTS]`.
    CreateView {
        view: View,
        or_replace: bool,
        if_not_exists: bool,
    },
    /// `DROP VIEW [IF EXISTS] a, b`.
    DropView { names: Vec<String>, if_exists: bool },
    /// `ALTER VIEW name RENAME TO new` (PostgreSQL).
    RenameView { from: String, to: String },
    /// `CREATE EXTENSION [IF NOT EXISTS] name [WITH SCHEMA s]` (PostgreSQL).
    CreateExtension {
        extension: Extension,
        if_not_exists: bool,
    },
    /// `DROP EXTENSION [IF EXISTS] a, b` (without `CASCADE`).
    DropExtension { names: Vec<String>, if_exists: bool },
    /// `CREATE [OR REPLACE] FUNCTION | PROCEDURE` (PostgreSQL).
    CreateRoutine { routine: Routine, or_replace: bool },
    /// `DROP FUNCTION | PROCEDURE [IF EXISTS] name[(types)]`: `arg_types` is `None`
    /// when the statement names no argument list (the name must then be unique).
    DropRoutine {
        kind: RoutineKind,
        name: String,
        arg_types: Option<Vec<String>>,
        if_exists: bool,
    },
    /// `CREATE [OR REPLACE] TRIGGER [IF NOT EXISTS]` (SQLite, MySQL; `OR REPLACE` is
    /// MariaDB's).
    CreateTrigger {
        trigger: Trigger,
        or_replace: bool,
        if_not_exists: bool,
    },
    /// `DROP TRIGGER [IF EXISTS] name [ON table]` (PostgreSQL names the table: a
    /// trigger's name is its table's own).
    DropTrigger {
        name: String,
        table: Option<String>,
        if_exists: bool,
    },
    /// `ALTER TABLE table {ENABLE [REPLICA | ALWAYS] | DISABLE} TRIGGER name`
    /// (PostgreSQL); `name` is `None` for `ALL` and `USER`, every trigger of the table.
    SetTriggerState {
        table: String,
        name: Option<String>,
        state: TriggerState,
    },
    /// `ALTER TRIGGER from ON table RENAME TO to` (PostgreSQL).
    RenameTrigger {
        table: String,
        from: String,
        to: String,
    },
    /// `ALTER TABLE table {ENABLE | DISABLE | FORCE | NO FORCE} ROW LEVEL SECURITY`
    /// (PostgreSQL): `enabled` or `forced` is `None` when the statement leaves it.
    SetRowSecurity {
        table: String,
        enabled: Option<bool>,
        forced: Option<bool>,
    },
    /// `CREATE POLICY` (PostgreSQL).
    CreatePolicy(Policy),
    /// `DROP POLICY [IF EXISTS] name ON table`.
    DropPolicy {
        name: String,
        table: String,
        if_exists: bool,
    },
    /// `ALTER POLICY name ON table [RENAME TO new] [TO roles] [USING (e)] [WITH CHECK
    /// (e)]`: what the statement leaves is `None`.
    AlterPolicy {
        name: String,
        table: String,
        rename: Option<String>,
        roles: Option<Vec<String>>,
        using: Option<String>,
        check: Option<String>,
    },
    /// `CREATE [OR REPLACE] RULE` (PostgreSQL).
    CreateRule { rule: Rule, or_replace: bool },
    /// `DROP RULE [IF EXISTS] name ON table`.
    DropRule {
        name: String,
        table: String,
        if_exists: bool,
    },
    /// `ALTER RULE from ON table RENAME TO to`: the model drops the rule and makes it
    /// again under its new name.
    RenameRule {
        table: String,
        from: String,
        to: String,
    },
    /// `CREATE DOMAIN` (PostgreSQL).
    CreateDomain(Domain),
    /// `DROP DOMAIN [IF EXISTS] a, b` (without `CASCADE`).
    DropDomain { names: Vec<String>, if_exists: bool },
    /// `CREATE TYPE name AS (...)` or `AS RANGE (...)` (PostgreSQL). `DROP TYPE` is
    /// [`Change::DropEnum`], which drops any type of the name.
    CreateType(UserType),
    /// `ALTER TYPE name {ADD | DROP | ALTER} ATTRIBUTE ..., ...` of a composite type:
    /// its actions in order.
    AlterComposite {
        name: String,
        actions: Vec<AttributeAction>,
    },
    /// `ALTER DOMAIN name action`.
    AlterDomain { name: String, action: DomainAction },
    /// `CREATE SEQUENCE [IF NOT EXISTS] name options` (PostgreSQL).
    CreateSequence {
        name: String,
        options: SequenceOptions,
        if_not_exists: bool,
    },
    /// `ALTER SEQUENCE [IF EXISTS] name options` (also `OWNED BY`).
    AlterSequence {
        name: String,
        options: SequenceOptions,
        if_exists: bool,
    },
    /// `ALTER SEQUENCE [IF EXISTS] name RENAME TO new`.
    RenameSequence {
        from: String,
        to: String,
        if_exists: bool,
    },
    /// `DROP SEQUENCE [IF EXISTS] a, b` (without `CASCADE`).
    DropSequence { names: Vec<String>, if_exists: bool },
    /// PostgreSQL's `COMMENT ON ... IS '...'` on what is not a table or a table's
    /// column (`None` for `IS NULL`). A routine named without its argument types has
    /// its name alone as its key, resolved to the one routine of that name.
    Comment { on: CommentOn, text: Option<String> },
}

/// What an `ALTER TYPE` changes of a composite type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AttributeAction {
    /// `ADD ATTRIBUTE name type [COLLATE c]`: last.
    Add(Attribute),
    /// `DROP ATTRIBUTE [IF EXISTS] name`.
    Drop { name: String, if_exists: bool },
    /// `ALTER ATTRIBUTE name [SET DATA] TYPE type [COLLATE c]`.
    Alter(Attribute),
}

/// What an `ALTER DOMAIN` changes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DomainAction {
    /// `SET DEFAULT expr`, normalized.
    SetDefault(String),
    DropDefault,
    SetNotNull,
    DropNotNull,
    /// `ADD [CONSTRAINT n] CHECK (expr)`; a check without a name gets PostgreSQL's
    /// ([`Domain::unnamed_check_name`]).
    AddCheck(Check),
    /// `DROP CONSTRAINT [IF EXISTS] n`.
    DropConstraint {
        name: String,
        if_exists: bool,
    },
}

/// Where a label goes in an enum: last, or next to a label it has.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LabelPosition {
    Last,
    Before(String),
    After(String),
}

/// One action of an `ALTER TABLE` statement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AlterAction {
    /// `RENAME TO new`.
    RenameTable(String),
    /// `ADD COLUMN`, with the constraints written on the column itself
    /// (`REFERENCES`, `UNIQUE`, `CHECK`, `PRIMARY KEY`).
    AddColumn {
        column: Column,
        constraints: Vec<Constraint>,
    },
    /// `DROP COLUMN name`.
    DropColumn(String),
    /// `RENAME COLUMN from TO to`.
    RenameColumn { from: String, to: String },
    /// `ALTER COLUMN name ...`.
    AlterColumn { column: String, alter: ColumnAlter },
    /// `ADD [CONSTRAINT name] ...`.
    AddConstraint(Constraint),
    /// `DROP CONSTRAINT name`: the explicit name or [`Constraint::sql_name`].
    DropConstraint(String),
    /// `RENAME CONSTRAINT from TO to` (PostgreSQL): `from` as `DropConstraint` names it.
    RenameConstraint { from: String, to: String },
    /// `DROP PRIMARY KEY` (MySQL), whatever the key is called.
    DropPrimaryKey,
    /// MySQL's `ALTER INDEX name INVISIBLE | VISIBLE` and MariaDB's `ALTER INDEX name
    /// IGNORED | NOT IGNORED`: the index's [`Index::hidden`] becomes `hidden`.
    IndexVisibility {
        index: String,
        hidden: Option<String>,
    },
    /// MySQL's table options (`[DEFAULT] CHARSET=`, `COLLATE=`, `COMMENT=`, `ENGINE=`,
    /// `CONVERT TO CHARACTER SET`).
    SetOptions(OptionsChange),
    /// PostgreSQL's `ATTACH PARTITION` (`Some`: the table becomes a partition) and
    /// `DETACH PARTITION` (`None`), said of the partition.
    SetPartition(Option<PartitionOf>),
    /// MySQL's partitioning statements (`PARTITION BY`, `ADD PARTITION`, `DROP
    /// PARTITION`, `REORGANIZE PARTITION`, `REMOVE PARTITIONING`).
    MysqlPartitions(MysqlPartitionChange),
    /// Parts of the action before it that the model cannot hold (an added column's
    /// `GENERATED ALWAYS AS (...)`): no op, but the table keeps them in
    /// `Table::unmodeled`, as a `CREATE TABLE` with them would.
    KeepUnmodeled(Vec<String>),
}

/// The table options an `ALTER TABLE` names: `Some` for each it sets, `Some(None)`
/// for one set back to the default (`CHARSET=DEFAULT`, `COMMENT=''`, or the collation
/// a new character set brings).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OptionsChange {
    pub charset: Option<Option<String>>,
    pub collation: Option<Option<String>>,
    pub comment: Option<Option<String>>,
    pub engine: Option<Option<String>>,
    /// PostgreSQL's storage parameters `ALTER TABLE ... SET (name = value)` sets
    /// (`Some`, the value as `TableOptions::storage` holds it) and `RESET (name)`
    /// takes back to the default (`None`), in order.
    pub storage: Vec<(String, Option<String>)>,
    /// MySQL's other table options (`ROW_FORMAT`, ...) set (`Some`, the value as
    /// `TableOptions::mysql` holds it) or taken back to their default (`None`), in
    /// order.
    pub mysql: Vec<(String, Option<String>)>,
}

/// A MySQL `ALTER TABLE` about partitions, as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MysqlPartitionChange {
    /// `PARTITION BY ...`: the table is partitioned anew; the rows are kept.
    By(MysqlPartitioning),
    /// `REMOVE PARTITIONING`: the rows are kept in one table.
    Remove,
    /// `ADD PARTITION (PARTITION ..., ...)`: after the last one.
    Add(Vec<MysqlPartition>),
    /// `DROP PARTITION a, b`: the partitions and their rows go.
    Drop(Vec<String>),
    /// `REORGANIZE PARTITION a, b INTO (PARTITION ..., ...)`: the named partitions,
    /// next to each other, become the new ones, and their rows move into them.
    Reorganize {
        from: Vec<String>,
        into: Vec<MysqlPartition>,
    },
}

impl MysqlPartitionChange {
    /// The partitioning `current` becomes.
    fn resolve(
        &self,
        table: &str,
        current: Option<&MysqlPartitioning>,
    ) -> Result<Option<MysqlPartitioning>, ApplyError> {
        let invalid = |what: String| Err(ApplyError::Invalid(format!("table `{table}`: {what}")));
        let listed = || match current {
            Some(p) if p.by_values() && !p.partitions.is_empty() => Ok(p.clone()),
            Some(p) => Err(ApplyError::Invalid(format!(
                "table `{table}` is partitioned by {}, whose partitions are not added, \
                 dropped or reorganized one by one here",
                p.method
            ))),
            None => Err(ApplyError::Invalid(format!(
                "table `{table}` is not partitioned"
            ))),
        };
        let find = |p: &MysqlPartitioning, name: &str| {
            p.partitions
                .iter()
                .position(|q| q.name.eq_ignore_ascii_case(name))
        };
        match self {
            MysqlPartitionChange::By(p) => Ok(Some(p.clone())),
            MysqlPartitionChange::Remove => match current {
                Some(_) => Ok(None),
                None => invalid("is not partitioned".into()),
            },
            MysqlPartitionChange::Add(new) => {
                let mut p = listed()?;
                for n in new {
                    if find(&p, &n.name).is_some() {
                        return invalid(format!("already has partition `{}`", n.name));
                    }
                    p.partitions.push(n.clone());
                }
                Ok(Some(p))
            }
            MysqlPartitionChange::Drop(names) => {
                let mut p = listed()?;
                for n in names {
                    let Some(at) = find(&p, n) else {
                        return invalid(format!("has no partition `{n}`"));
                    };
                    p.partitions.remove(at);
                }
                if p.partitions.is_empty() {
                    return invalid("MySQL drops no table's last partition".into());
                }
                Ok(Some(p))
            }
            MysqlPartitionChange::Reorganize { from, into } => {
                let mut p = listed()?;
                let mut at = Vec::new();
                for n in from {
                    let Some(i) = find(&p, n) else {
                        return invalid(format!("has no partition `{n}`"));
                    };
                    at.push(i);
                }
                at.sort_unstable();
                let Some(&first) = at.first() else {
                    return invalid("`REORGANIZE PARTITION` names no partition".into());
                };
                if at.windows(2).any(|w| w[1] != w[0] + 1) {
                    return invalid(format!(
                        "`REORGANIZE PARTITION {}` names partitions that are not next to each other",
                        from.join(", ")
                    ));
                }
                p.partitions
                    .splice(first..first + at.len(), into.iter().cloned());
                Ok(Some(p))
            }
        }
    }
}

/// What `ALTER COLUMN` changes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ColumnAlter {
    /// `TYPE t` / `SET DATA TYPE t`, with SQLite's declared text of `t` (see
    /// [`Declared`], which takes no part in `==`).
    SetType(ColumnType, Declared),
    SetNotNull,
    DropNotNull,
    /// `SET DEFAULT expr`, normalized SQL text.
    SetDefault(String),
    DropDefault,
    /// PostgreSQL `ADD GENERATED {ALWAYS | BY DEFAULT} AS IDENTITY` (no sequence
    /// options): the column becomes an identity column.
    AddIdentity {
        always: bool,
    },
    /// PostgreSQL `SET GENERATED {ALWAYS | BY DEFAULT}` of an identity column.
    SetGenerated {
        always: bool,
    },
    /// PostgreSQL `DROP IDENTITY [IF EXISTS]`: the column keeps its values, and new
    /// rows no longer get one.
    DropIdentity {
        if_exists: bool,
    },
    /// PostgreSQL's `COMMENT ON COLUMN t.c IS ...`: `None` for no comment.
    SetComment(Option<String>),
    /// MySQL's `MODIFY` / `CHANGE`: the column as defined anew (type, nullability,
    /// default, `ON UPDATE`, `AUTO_INCREMENT`, character set, collation, comment: what
    /// is not said is gone). Its name is the column's; a column of the primary key
    /// stays `NOT NULL`.
    Redefine(Box<Column>),
}

/// A resolved change that carries every object it removes or alters, so it can be
/// inverted and applied to a model without looking anything up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Op {
    /// Creates the table and then its indexes.
    CreateTable(Table),
    /// Drops the table (its indexes go with it); carries the whole table.
    DropTable(Table),
    RenameTable {
        from: String,
        to: String,
    },
    AddColumn {
        table: String,
        column: Column,
    },
    /// Carries the whole dropped column.
    DropColumn {
        table: String,
        column: Column,
    },
    RenameColumn {
        table: String,
        from: String,
        to: String,
    },
    /// Changes type, nullability, default or another attribute of one column;
    /// `from.name == to.name`.
    AlterColumn {
        table: String,
        from: Column,
        to: Column,
    },
    AddConstraint {
        table: String,
        constraint: Constraint,
    },
    /// Carries the whole dropped constraint.
    DropConstraint {
        table: String,
        constraint: Constraint,
    },
    /// Gives a constraint another name: `to` is `from` but for its name (`None`: the
    /// name the convention gives it, [`Constraint::sql_name`]). A rename never drops
    /// the constraint, which another table's foreign key may need.
    RenameConstraint {
        table: String,
        from: Constraint,
        to: Constraint,
    },
    CreateIndex(Index),
    /// Carries the whole dropped index.
    DropIndex(Index),
    /// Changes what of an index changes in place, the index kept: MySQL's visibility
    /// to the optimizer ([`Index::hidden`]). Carries the index before and after;
    /// `from.name == to.name` and all else is the same.
    AlterIndex {
        from: Index,
        to: Index,
    },
    /// Changes MySQL's table options (character set and collation, comment, engine).
    /// `columns` are the table's columns with a character set or collation of their
    /// own: MySQL converts every text column when the table's character set changes,
    /// so they are given theirs back.
    AlterTableOptions {
        table: String,
        from: TableOptions,
        to: TableOptions,
        columns: Vec<Column>,
    },
    /// Creates an enum type (PostgreSQL); comes before the tables that use it.
    CreateEnum {
        name: String,
        labels: Vec<String>,
    },
    /// Drops an enum type no column uses; carries its labels.
    DropEnum {
        name: String,
        labels: Vec<String>,
    },
    /// Adds a label to an enum type at `position`.
    AddEnumValue {
        name: String,
        value: String,
        position: LabelPosition,
    },
    /// Removes a label from an enum type; `position` is where it was (next to the
    /// label after or before it, or last), so the inverse puts it back there. No SQL
    /// statement says this: PostgreSQL cannot drop a label, so backends render it as
    /// the type made again without it (see `wildebeest_postgres::render_op`).
    DropEnumValue {
        name: String,
        value: String,
        position: LabelPosition,
    },
    RenameEnum {
        from: String,
        to: String,
    },
    /// Renames a label; stored values follow (PostgreSQL stores the label's position,
    /// not its text), and so do column defaults equal to it.
    RenameEnumValue {
        name: String,
        from: String,
        to: String,
    },
    /// Creates a view; comes after the tables and views it reads.
    CreateView(View),
    /// Drops a view; carries the whole view. No data is lost: a view stores none.
    DropView(View),
    /// Gives a view another query (or column list, or check option): `CREATE OR
    /// REPLACE VIEW` where the database can, else a drop and a create (backends
    /// decide). The views that read it are made again around it by the diff.
    ReplaceView {
        from: View,
        to: View,
    },
    RenameView {
        from: String,
        to: String,
    },
    /// Makes an extension (PostgreSQL); comes before everything else, as anything
    /// may use what it brings.
    CreateExtension(Extension),
    /// Drops an extension; carries it. Comes after everything else.
    DropExtension(Extension),
    /// Creates a function or procedure (PostgreSQL); comes before the tables and
    /// views that may call it.
    CreateRoutine(Routine),
    /// Drops a function or procedure; carries the whole routine. No data is lost.
    DropRoutine(Routine),
    /// Gives a routine another definition with the same signature, argument names
    /// and return type: `CREATE OR REPLACE`.
    ReplaceRoutine {
        from: Routine,
        to: Routine,
    },
    /// Creates a trigger; comes after its table and what it reads.
    CreateTrigger(Trigger),
    /// Drops a trigger; carries the whole trigger. No data is lost: a trigger stores
    /// none. A table dropped takes its triggers, so they are dropped before it.
    DropTrigger(Trigger),
    /// Changes whether a PostgreSQL trigger fires (`from` and `to` differ in
    /// [`Trigger::state`] only): `ALTER TABLE ... ENABLE | DISABLE TRIGGER`.
    AlterTrigger {
        from: Trigger,
        to: Trigger,
    },
    /// Renames a PostgreSQL trigger of `table`: `ALTER TRIGGER ... RENAME TO`.
    RenameTrigger {
        table: String,
        from: String,
        to: String,
    },
    /// Sets a PostgreSQL table's row-level security (`ENABLE | DISABLE`, `FORCE | NO
    /// FORCE`); `from` is what it was.
    SetRowSecurity {
        table: String,
        from: RowSecurity,
        to: RowSecurity,
    },
    /// Creates a row-level security policy; comes after its table and what its
    /// expressions read.
    CreatePolicy(Policy),
    /// Drops a policy; carries the whole policy. No data is lost.
    DropPolicy(Policy),
    /// Creates a rule (PostgreSQL); comes after its table or view and what its
    /// commands name.
    CreateRule(Rule),
    /// Drops a rule; carries the whole rule. No data is lost.
    DropRule(Rule),
    /// Creates a domain (PostgreSQL); comes after the extensions and enum types its
    /// base type may be, before the tables whose columns use it.
    CreateDomain(Domain),
    /// Drops a domain; carries the whole domain. Comes after the tables that used it.
    DropDomain(Domain),
    /// Changes a domain's default, `NOT NULL` and checks (`ALTER DOMAIN`); carries
    /// both forms. A change of base type or collation has no statement: the
    /// PostgreSQL renderer refuses it by name.
    AlterDomain {
        from: Domain,
        to: Domain,
    },
    /// Creates a composite or range type (PostgreSQL); comes with the domains, after
    /// the types it is made of and before what uses it.
    CreateType(UserType),
    /// Drops a composite or range type; carries the whole type. Comes after what used
    /// it; PostgreSQL refuses it while something still does. A changed range type is
    /// dropped and made again, which the PostgreSQL renderer refuses by name while
    /// something uses it.
    DropType(UserType),
    /// Changes a composite type's attributes ([`Composite::steps_to`]); carries both
    /// forms. An attribute dropped loses what the columns of the type hold in it.
    AlterComposite {
        from: Composite,
        to: Composite,
    },
    /// Creates a sequence of its own (PostgreSQL); comes before the tables whose
    /// defaults draw from it. The diff makes it without its owner and sets the owner
    /// once the table is there ([`Op::AlterSequence`]).
    CreateSequence(Sequence),
    /// Drops a sequence; carries the whole sequence. Comes after the tables whose
    /// defaults drew from it. No data is lost the model holds: its value is data,
    /// not schema.
    DropSequence(Sequence),
    /// Changes a sequence's options or owner (`ALTER SEQUENCE`); carries both forms.
    AlterSequence {
        from: Sequence,
        to: Sequence,
    },
    /// Renames a sequence; the defaults drawing from it follow, as PostgreSQL keeps
    /// the sequence, not its name.
    RenameSequence {
        from: String,
        to: String,
    },
    /// Sets or removes a PostgreSQL comment (`COMMENT ON ... IS`) on what is not a
    /// table or a table's column; carries the comment before and after (`None`: no
    /// comment).
    SetComment {
        on: CommentOn,
        from: Option<String>,
        to: Option<String>,
    },
}

/// Why a change cannot be applied to a schema: the statement names an object that is
/// not there, or creates one that already is.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ApplyError {
    #[error("table `{0}` does not exist")]
    NoSuchTable(String),
    #[error("table `{0}` already exists")]
    TableExists(String),
    #[error("column `{table}.{column}` does not exist")]
    NoSuchColumn { table: String, column: String },
    #[error("column `{table}.{column}` already exists")]
    ColumnExists { table: String, column: String },
    #[error("index `{0}` does not exist")]
    NoSuchIndex(String),
    #[error("index `{0}` already exists")]
    IndexExists(String),
    #[error("table `{table}` has no constraint named `{name}`")]
    NoSuchConstraint { table: String, name: String },
    #[error(
        "table `{table}` has more than one constraint that could be `{name}`; name it explicitly"
    )]
    AmbiguousConstraint { table: String, name: String },
    #[error("table `{0}` already has a primary key")]
    PrimaryKeyExists(String),
    #[error("enum type `{0}` does not exist")]
    NoSuchEnum(String),
    #[error("enum type `{0}` already exists")]
    EnumExists(String),
    #[error("view `{0}` does not exist")]
    NoSuchView(String),
    #[error("`{0}` already exists (a table or view of that name)")]
    ViewExists(String),
    #[error("extension `{0}` does not exist")]
    NoSuchExtension(String),
    #[error("extension `{0}` already exists")]
    ExtensionExists(String),
    #[error("routine `{0}` does not exist")]
    NoSuchRoutine(String),
    #[error("routine `{0}` already exists")]
    RoutineExists(String),
    #[error("there is more than one routine `{0}`: name its argument types")]
    AmbiguousRoutine(String),
    #[error("trigger `{0}` does not exist")]
    NoSuchTrigger(String),
    #[error("trigger `{0}` already exists")]
    TriggerExists(String),
    #[error("sequence `{0}` does not exist")]
    NoSuchSequence(String),
    #[error("`{0}` already exists (a sequence or relation of that name)")]
    SequenceExists(String),
    #[error("type `{0}` does not exist")]
    NoSuchType(String),
    #[error("domain `{0}` does not exist")]
    NoSuchDomain(String),
    #[error("`{0}` already exists (a domain or type of that name)")]
    DomainExists(String),
    #[error("{0}")]
    Invalid(String),
}

impl Change {
    /// Whether the statement creates, changes or drops an enum type (`CREATE TYPE`,
    /// `ALTER TYPE`, `DROP TYPE`): a statement only PostgreSQL runs, which backends
    /// without types carry out by what its ops do to columns, if anything.
    pub fn is_enum_type(&self) -> bool {
        matches!(
            self,
            Change::CreateEnum { .. }
                | Change::DropEnum { .. }
                | Change::AddEnumValue { .. }
                | Change::RenameEnumValue { .. }
                | Change::RenameEnum { .. }
        )
    }

    /// The ops that carry out this change on `schema`, each carrying the objects it
    /// removes or alters. Fails when the change names an object that is not there or
    /// creates one that is (unless `IF [NOT] EXISTS` says otherwise, which gives no
    /// ops). A foreign key that names only its table gets that table's primary key.
    pub fn resolve(&self, schema: &Schema) -> Result<Vec<Op>, ApplyError> {
        if let Change::AlterTable { .. } = self {
            // Later actions see what earlier ones did: resolve on a copy.
            let mut scratch = schema.clone();
            return self.resolve_mut(&mut scratch);
        }
        self.resolve_in(schema)
    }

    /// [`Change::resolve`] on a schema it may change while it works and gives back as it
    /// was: an `ALTER TABLE` of several actions applies each action's ops in place so
    /// that the next action sees them, then puts back what they changed (the tables
    /// they touched, not a copy of the whole schema).
    pub fn resolve_mut(&self, schema: &mut Schema) -> Result<Vec<Op>, ApplyError> {
        let (result, undo) = self.apply_logged(schema);
        undo.restore(schema);
        result
    }

    /// Resolves this change against `schema` and applies its ops there: on success
    /// `schema` is as after the statement and the ops are returned; on failure
    /// `schema` is unchanged.
    pub fn apply(&self, schema: &mut Schema) -> Result<Vec<Op>, ApplyError> {
        let (result, undo) = self.apply_logged(schema);
        if result.is_err() {
            undo.restore(schema);
        }
        result
    }

    /// Resolves and applies in place, logging what each op overwrote.
    fn apply_logged(&self, schema: &mut Schema) -> (Result<Vec<Op>, ApplyError>, Undo) {
        let mut undo = Undo::default();
        let result = match self {
            Change::AlterTable { table, actions } => {
                alter_in_place(schema, table, actions, &mut undo)
            }
            _ => self.resolve_in(schema).and_then(|ops| {
                for op in &ops {
                    undo.save(schema, op);
                    op.apply(schema)?;
                }
                Ok(ops)
            }),
        };
        (result, undo)
    }

    /// Resolves every change but a multi-step `ALTER TABLE` (see `alter_in_place`).
    fn resolve_in(&self, schema: &Schema) -> Result<Vec<Op>, ApplyError> {
        match self {
            Change::CreateTable {
                table,
                if_not_exists,
            } => {
                if schema.tables.contains_key(&table.name) {
                    return if *if_not_exists {
                        Ok(Vec::new())
                    } else {
                        Err(ApplyError::TableExists(table.name.clone()))
                    };
                }
                let mut table = table.clone();
                // A partition's columns are its parent's.
                if let Some(of) = &table.options.partition_of {
                    let parent = schema
                        .table(&of.parent)
                        .ok_or_else(|| ApplyError::NoSuchTable(of.parent.clone()))?;
                    table.columns = parent.columns.clone();
                }
                for col in &mut table.columns {
                    col.ty = col.ty.resolve_enum(&schema.enums);
                }
                let pk = table.primary_key.clone();
                for fk in &mut table.foreign_keys {
                    fill_fk_target(fk, schema, (&table.name, pk.as_ref()));
                }
                table.normalize();
                let op = Op::CreateTable(table);
                op.check(schema)?;
                Ok(vec![op])
            }
            Change::DropTable { name, if_exists } => match schema.table(name) {
                // The table's triggers, policies and row security go with it, and so
                // do its partitions (with theirs); their ops come first, so that the
                // inverse makes them again after the table. So do the sequences it
                // owns, after it (their inverse makes them first, unowned, and gives
                // them their owner after the table).
                Some(t) => {
                    let mut ops = Vec::new();
                    drop_with_partitions(schema, t, &mut ops);
                    Ok(ops)
                }
                None if *if_exists => Ok(Vec::new()),
                None => Err(ApplyError::NoSuchTable(name.clone())),
            },
            Change::AlterTable { table, actions } => {
                let mut scratch = schema.clone();
                let mut undo = Undo::default();
                alter_in_place(&mut scratch, table, actions, &mut undo)
            }
            Change::CreateIndex {
                index,
                if_not_exists,
            } => {
                // PostgreSQL's `CREATE INDEX ON t (...)`, which names none: the name
                // the server gives it.
                let named;
                let index = if index.name.is_empty() {
                    let mut ix = index.clone();
                    ix.name = schema.pg_index_name(index);
                    named = ix;
                    &named
                } else {
                    index
                };
                if find_index(schema, &index.name).is_some() {
                    return if *if_not_exists {
                        Ok(Vec::new())
                    } else {
                        Err(ApplyError::IndexExists(index.name.clone()))
                    };
                }
                let op = Op::CreateIndex(index.clone());
                op.check(schema)?;
                Ok(vec![op])
            }
            Change::DropIndex {
                name, if_exists, ..
            } => match find_index(schema, name) {
                Some(ix) => Ok(vec![Op::DropIndex(ix.clone())]),
                None if *if_exists => Ok(Vec::new()),
                None => Err(ApplyError::NoSuchIndex(name.clone())),
            },
            Change::CreateEnum { name, labels } => {
                let op = Op::CreateEnum {
                    name: name.clone(),
                    labels: labels.clone(),
                };
                op.check(schema)?;
                Ok(vec![op])
            }
            Change::DropEnum { name, .. } if schema.types.contains_key(name) => {
                let op = Op::DropType(schema.types[name].clone());
                op.check(schema)?;
                Ok(vec![op])
            }
            Change::CreateType(t) => {
                let op = Op::CreateType(t.clone());
                op.check(schema)?;
                Ok(vec![op])
            }
            Change::AlterComposite { name, actions } => {
                let Some(UserType::Composite(from)) = schema.types.get(name) else {
                    return Err(match schema.types.get(name) {
                        Some(_) => ApplyError::Invalid(format!(
                            "type `{name}` is not a composite type: it has no attributes"
                        )),
                        None => ApplyError::NoSuchType(name.clone()),
                    });
                };
                let mut to = from.clone();
                let mut dropped: Vec<&str> = Vec::new();
                for action in actions {
                    match action {
                        AttributeAction::Add(a) => {
                            // Its values are gone, which a statement's `from` and `to`
                            // alone cannot show when it comes back last.
                            if dropped.contains(&a.name.as_str()) {
                                return Err(ApplyError::Invalid(format!(
                                    "composite type `{name}`: attribute `{}` is dropped and \
                                     added again in one statement; write two statements",
                                    a.name
                                )));
                            }
                            if to.attribute(&a.name).is_some() {
                                return Err(ApplyError::Invalid(format!(
                                    "composite type `{name}` already has an attribute `{}`",
                                    a.name
                                )));
                            }
                            to.attributes.push(a.clone());
                        }
                        AttributeAction::Drop {
                            name: attr,
                            if_exists,
                        } => {
                            if to.attribute(attr).is_none() {
                                if *if_exists {
                                    continue;
                                }
                                return Err(ApplyError::Invalid(format!(
                                    "composite type `{name}` has no attribute `{attr}`"
                                )));
                            }
                            to.attributes.retain(|a| a.name != *attr);
                            dropped.push(attr);
                        }
                        AttributeAction::Alter(a) => {
                            let Some(at) = to.attributes.iter_mut().find(|b| b.name == a.name)
                            else {
                                return Err(ApplyError::Invalid(format!(
                                    "composite type `{name}` has no attribute `{}`",
                                    a.name
                                )));
                            };
                            *at = a.clone();
                        }
                    }
                }
                if to == *from {
                    return Ok(Vec::new());
                }
                Ok(vec![Op::AlterComposite {
                    from: from.clone(),
                    to,
                }])
            }
            Change::DropEnum { name, if_exists } => match schema.enums.get(name) {
                Some(labels) => {
                    let op = Op::DropEnum {
                        name: name.clone(),
                        labels: labels.clone(),
                    };
                    op.check(schema)?;
                    Ok(vec![op])
                }
                None if *if_exists => Ok(Vec::new()),
                None => Err(ApplyError::NoSuchEnum(name.clone())),
            },
            Change::AddEnumValue {
                name,
                value,
                position,
                if_not_exists,
            } => {
                let has = schema.enums.get(name).is_some_and(|l| l.contains(value));
                if has && *if_not_exists {
                    return Ok(Vec::new());
                }
                let op = Op::AddEnumValue {
                    name: name.clone(),
                    value: value.clone(),
                    position: position.clone(),
                };
                op.check(schema)?;
                Ok(vec![op])
            }
            Change::RenameEnumValue { name, from, to } => {
                let op = Op::RenameEnumValue {
                    name: name.clone(),
                    from: from.clone(),
                    to: to.clone(),
                };
                op.check(schema)?;
                Ok(vec![op])
            }
            Change::RenameEnum { from, .. } if schema.types.contains_key(from) => {
                Err(ApplyError::Invalid(format!(
                    "renaming {} `{from}` is not followed: the columns and types that use \
                     it would keep its old name in the model",
                    schema.types[from].kind_word()
                )))
            }
            Change::RenameEnum { from, to } => {
                let op = Op::RenameEnum {
                    from: from.clone(),
                    to: to.clone(),
                };
                op.check(schema)?;
                Ok(vec![op])
            }
            Change::CreateView {
                view,
                or_replace,
                if_not_exists,
            } => {
                let op = match schema.views.get(&view.name) {
                    Some(_) if *if_not_exists => return Ok(Vec::new()),
                    Some(old) if *or_replace => Op::ReplaceView {
                        from: old.clone(),
                        to: view.clone(),
                    },
                    _ => Op::CreateView(view.clone()),
                };
                op.check(schema)?;
                Ok(vec![op])
            }
            Change::DropView { names, if_exists } => {
                let mut ops = Vec::new();
                for name in names {
                    match schema.views.get(name) {
                        Some(v) => {
                            // SQLite's `INSTEAD OF` triggers go with their view.
                            for tr in schema.triggers_on(name) {
                                ops.push(Op::DropTrigger(tr.clone()));
                            }
                            // So do PostgreSQL's rules.
                            ops.extend(rules_on(schema, name));
                            ops.push(Op::DropView(v.clone()))
                        }
                        None if *if_exists => {}
                        None => return Err(ApplyError::NoSuchView(name.clone())),
                    }
                }
                Ok(ops)
            }
            Change::RenameView { from, to } => {
                let op = Op::RenameView {
                    from: from.clone(),
                    to: to.clone(),
                };
                op.check(schema)?;
                Ok(vec![op])
            }
            Change::CreateExtension {
                extension,
                if_not_exists,
            } => {
                if *if_not_exists && schema.extensions.contains_key(&extension.name) {
                    return Ok(Vec::new());
                }
                let op = Op::CreateExtension(extension.clone());
                op.check(schema)?;
                Ok(vec![op])
            }
            Change::DropExtension { names, if_exists } => drop_each(
                names,
                *if_exists,
                |n| schema.extensions.get(n).cloned().map(Op::DropExtension),
                ApplyError::NoSuchExtension,
            ),
            Change::CreateRoutine {
                routine,
                or_replace,
            } => {
                let op = match schema.routines.get(&routine.key()) {
                    Some(old) if *or_replace => Op::ReplaceRoutine {
                        from: old.clone(),
                        to: routine.clone(),
                    },
                    _ => Op::CreateRoutine(routine.clone()),
                };
                op.check(schema)?;
                Ok(vec![op])
            }
            Change::DropRoutine {
                kind,
                name,
                arg_types,
                if_exists,
            } => {
                let found: Vec<&Routine> = schema
                    .routines
                    .values()
                    .filter(|r| {
                        // MySQL's routine names ignore case.
                        let same_name =
                            r.name == *name || (r.by_name && r.name.eq_ignore_ascii_case(name));
                        r.kind == *kind
                            && same_name
                            && arg_types.as_ref().is_none_or(|a| *a == r.arg_types)
                    })
                    .collect();
                match found.as_slice() {
                    [one] => Ok(vec![Op::DropRoutine((*one).clone())]),
                    [] if *if_exists => Ok(Vec::new()),
                    [] => Err(ApplyError::NoSuchRoutine(match arg_types {
                        Some(a) => format!("{name}({})", a.join(", ")),
                        None => name.clone(),
                    })),
                    _ => Err(ApplyError::AmbiguousRoutine(name.clone())),
                }
            }
            Change::CreateDomain(domain) => {
                let op = Op::CreateDomain(domain.clone());
                op.check(schema)?;
                Ok(vec![op])
            }
            Change::DropDomain { names, if_exists } => drop_each(
                names,
                *if_exists,
                |n| schema.domains.get(n).cloned().map(Op::DropDomain),
                ApplyError::NoSuchDomain,
            ),
            Change::AlterDomain { name, action } => {
                let from = schema
                    .domains
                    .get(name)
                    .ok_or_else(|| ApplyError::NoSuchDomain(name.clone()))?;
                let mut to = from.clone();
                match action {
                    DomainAction::SetDefault(e) => to.default = Some(e.clone()),
                    DomainAction::DropDefault => to.default = None,
                    DomainAction::SetNotNull => to.not_null = true,
                    DomainAction::DropNotNull => to.not_null = false,
                    DomainAction::AddCheck(c) => {
                        let cname = c.name.clone().unwrap_or_else(|| from.unnamed_check_name());
                        if from.check(&cname).is_some() {
                            return Err(ApplyError::Invalid(format!(
                                "domain `{name}` already has a constraint named `{cname}`"
                            )));
                        }
                        to.checks.push(Check {
                            no_inherit: false,
                            written: Default::default(),
                            name: Some(cname),
                            expr: c.expr.clone(),
                        });
                        to.checks.sort_by(|a, b| a.name.cmp(&b.name));
                    }
                    DomainAction::DropConstraint {
                        name: cname,
                        if_exists,
                    } => {
                        if from.check(cname).is_none() {
                            if *if_exists {
                                return Ok(Vec::new());
                            }
                            return Err(ApplyError::Invalid(format!(
                                "domain `{name}` has no constraint named `{cname}`"
                            )));
                        }
                        to.checks
                            .retain(|c| c.name.as_deref() != Some(cname.as_str()));
                    }
                }
                if to == *from {
                    return Ok(Vec::new());
                }
                Ok(vec![Op::AlterDomain {
                    from: from.clone(),
                    to,
                }])
            }
            Change::CreateSequence {
                name,
                options,
                if_not_exists,
            } => {
                if schema.sequences.contains_key(name) && *if_not_exists {
                    return Ok(Vec::new());
                }
                let s = Sequence::create(name, options).map_err(ApplyError::Invalid)?;
                let op = Op::CreateSequence(s);
                op.check(schema)?;
                Ok(vec![op])
            }
            Change::AlterSequence {
                name,
                options,
                if_exists,
            } => {
                let Some(from) = schema.sequences.get(name) else {
                    // A serial or identity column's sequence is the column's.
                    return if *if_exists || column_sequence(schema, name) {
                        Ok(Vec::new())
                    } else {
                        Err(ApplyError::NoSuchSequence(name.clone()))
                    };
                };
                let to = from.altered(options).map_err(ApplyError::Invalid)?;
                if to == *from {
                    return Ok(Vec::new());
                }
                let op = Op::AlterSequence {
                    from: from.clone(),
                    to,
                };
                op.check(schema)?;
                Ok(vec![op])
            }
            Change::RenameSequence {
                from,
                to,
                if_exists,
            } => {
                if !schema.sequences.contains_key(from)
                    && (*if_exists || column_sequence(schema, from))
                {
                    return Ok(Vec::new());
                }
                let op = Op::RenameSequence {
                    from: from.clone(),
                    to: to.clone(),
                };
                op.check(schema)?;
                Ok(vec![op])
            }
            Change::DropSequence { names, if_exists } => drop_each(
                names,
                *if_exists,
                |n| schema.sequences.get(n).cloned().map(Op::DropSequence),
                ApplyError::NoSuchSequence,
            ),
            Change::Comment {
                on: CommentOn::ViewColumn { view, column },
                text,
            } if !schema.views.contains_key(view) => Change::AlterTable {
                table: view.clone(),
                actions: vec![AlterAction::AlterColumn {
                    column: column.clone(),
                    alter: ColumnAlter::SetComment(text.clone()),
                }],
            }
            .resolve(schema),
            Change::Comment { on, text } => {
                let on = resolve_comment_target(schema, on)?;
                let op = Op::SetComment {
                    from: schema.comments.get(&on).cloned(),
                    on,
                    to: text.clone(),
                };
                op.check(schema)?;
                Ok(vec![op])
            }
            Change::CreateTrigger {
                trigger,
                or_replace,
                if_not_exists,
            } => {
                let old = schema.triggers.get(&trigger.key());
                if old.is_some() && *if_not_exists {
                    return Ok(Vec::new());
                }
                let mut ops = Vec::new();
                let mut scratch;
                let mut at = schema;
                if let Some(old) = old.filter(|_| *or_replace) {
                    scratch = schema.clone();
                    let drop = Op::DropTrigger(old.clone());
                    drop.apply(&mut scratch)?;
                    ops.push(drop);
                    at = &scratch;
                }
                let op = Op::CreateTrigger(trigger.clone());
                op.check(at)?;
                ops.push(op);
                Ok(ops)
            }
            Change::DropTrigger {
                name,
                table,
                if_exists,
            } => match schema.trigger(table.as_deref(), name) {
                Some(t) => Ok(vec![Op::DropTrigger(t.clone())]),
                None if *if_exists => Ok(Vec::new()),
                None => Err(ApplyError::NoSuchTrigger(trigger_named(
                    table.as_deref(),
                    name,
                ))),
            },
            Change::SetTriggerState { table, name, state } => {
                if schema.table(table).is_none() && !schema.views.contains_key(table) {
                    return Err(ApplyError::NoSuchTable(table.clone()));
                }
                let hit: Vec<&Trigger> = match name {
                    Some(name) => vec![schema.trigger(Some(table), name).ok_or_else(|| {
                        ApplyError::NoSuchTrigger(trigger_named(Some(table), name))
                    })?],
                    None => schema.triggers_on(table),
                };
                Ok(hit
                    .into_iter()
                    .filter(|t| t.state != *state)
                    .map(|t| Op::AlterTrigger {
                        from: t.clone(),
                        to: Trigger {
                            state: *state,
                            ..t.clone()
                        },
                    })
                    .collect())
            }
            Change::SetRowSecurity {
                table,
                enabled,
                forced,
            } => {
                if schema.table(table).is_none() {
                    return Err(ApplyError::NoSuchTable(table.clone()));
                }
                let from = schema.row_security.get(table).copied().unwrap_or_default();
                let to = RowSecurity {
                    enabled: enabled.unwrap_or(from.enabled),
                    forced: forced.unwrap_or(from.forced),
                };
                Ok(if from == to {
                    Vec::new()
                } else {
                    vec![Op::SetRowSecurity {
                        table: table.clone(),
                        from,
                        to,
                    }]
                })
            }
            Change::CreateRule { rule, or_replace } => {
                let mut ops = Vec::new();
                let mut scratch = schema.clone();
                if let Some(old) = schema.rules.get(&rule.key())
                    && *or_replace
                {
                    let drop = Op::DropRule(old.clone());
                    drop.apply(&mut scratch)?;
                    ops.push(drop);
                }
                let create = Op::CreateRule(rule.clone());
                create.check(&scratch)?;
                ops.push(create);
                Ok(ops)
            }
            Change::DropRule {
                name,
                table,
                if_exists,
            } => match schema.rules.get(&rule_key(table, name)) {
                Some(r) => Ok(vec![Op::DropRule(r.clone())]),
                None if *if_exists => Ok(Vec::new()),
                None => Err(ApplyError::Invalid(format!(
                    "rule `{name}` on `{table}` does not exist"
                ))),
            },
            Change::RenameRule { table, from, to } => {
                let Some(old) = schema.rules.get(&rule_key(table, from)) else {
                    return Err(ApplyError::Invalid(format!(
                        "rule `{from}` on `{table}` does not exist"
                    )));
                };
                let mut scratch = schema.clone();
                let drop = Op::DropRule(old.clone());
                drop.apply(&mut scratch)?;
                let create = Op::CreateRule(Rule {
                    name: to.clone(),
                    ..old.clone()
                });
                create.check(&scratch)?;
                Ok(vec![drop, create])
            }
            Change::CreatePolicy(p) => {
                let op = Op::CreatePolicy(p.clone());
                op.check(schema)?;
                Ok(vec![op])
            }
            Change::DropPolicy {
                name,
                table,
                if_exists,
            } => match schema.policies.get(&policy_key(table, name)) {
                Some(p) => Ok(vec![Op::DropPolicy(p.clone())]),
                None if *if_exists => Ok(Vec::new()),
                None => Err(ApplyError::Invalid(format!(
                    "policy `{name}` on `{table}` does not exist"
                ))),
            },
            Change::AlterPolicy {
                name,
                table,
                rename,
                roles,
                using,
                check,
            } => {
                let Some(old) = schema.policies.get(&policy_key(table, name)) else {
                    return Err(ApplyError::Invalid(format!(
                        "policy `{name}` on `{table}` does not exist"
                    )));
                };
                let mut new = old.clone();
                if let Some(n) = rename {
                    new.name.clone_from(n);
                }
                if let Some(r) = roles {
                    new.roles.clone_from(r);
                }
                if using.is_some() {
                    new.using.clone_from(using);
                }
                if check.is_some() {
                    new.check.clone_from(check);
                }
                let mut scratch = schema.clone();
                let drop = Op::DropPolicy(old.clone());
                drop.apply(&mut scratch)?;
                let create = Op::CreatePolicy(new);
                create.check(&scratch)?;
                Ok(vec![drop, create])
            }
            Change::RenameTrigger { table, from, to } => {
                let op = Op::RenameTrigger {
                    table: table.clone(),
                    from: from.clone(),
                    to: to.clone(),
                };
                op.check(schema)?;
                Ok(vec![op])
            }
        }
    }
}

/// The drops of `names` (`DROP ... [IF EXISTS] a, b`): `found` gives each one's op,
/// and a name not found is `missing`, or passed over with `IF EXISTS`.
fn drop_each(
    names: &[String],
    if_exists: bool,
    found: impl Fn(&str) -> Option<Op>,
    missing: impl Fn(String) -> ApplyError,
) -> Result<Vec<Op>, ApplyError> {
    let mut ops = Vec::new();
    for name in names {
        match found(name) {
            Some(op) => ops.push(op),
            None if if_exists => {}
            None => return Err(missing(name.clone())),
        }
    }
    Ok(ops)
}

/// The ops that drop `t` as `DROP TABLE` does: its partitions' (deepest first), then
/// its triggers' and its own.
fn drop_with_partitions(schema: &Schema, t: &Table, ops: &mut Vec<Op>) {
    for p in schema.partitions_of(&t.name) {
        drop_with_partitions(schema, p, ops);
    }
    ops.extend(
        schema
            .triggers_on(&t.name)
            .into_iter()
            .map(|tr| Op::DropTrigger(tr.clone())),
    );
    ops.extend(rules_on(schema, &t.name));
    ops.extend(owned_sequences(schema, &t.name, None));
    ops.extend(table_security_ops(schema, &t.name));
    ops.push(Op::DropTable(t.clone()));
    ops.extend(owned_sequences_dropped(schema, &t.name, None));
}

/// The ops of `ALTER TABLE table actions`, applied to `schema` one by one: later
/// actions see what earlier ones did (`RENAME TO` then `ADD COLUMN`). `undo` records
/// what each op overwrote.
fn alter_in_place(
    schema: &mut Schema,
    table: &str,
    actions: &[AlterAction],
    undo: &mut Undo,
) -> Result<Vec<Op>, ApplyError> {
    if !schema.tables.contains_key(table) {
        return Err(ApplyError::NoSuchTable(table.to_string()));
    }
    let mut name = table.to_string();
    let mut ops = Vec::new();
    for action in actions {
        if let AlterAction::KeepUnmodeled(parts) = action {
            undo.save_table(schema, &name);
            if let Some(mut t) = schema.tables.get_mut(&name) {
                t.unmodeled.extend(parts.iter().cloned());
            }
            continue;
        }
        for op in resolve_action(schema, &name, action)? {
            undo.save(schema, &op);
            op.apply(schema)?;
            if let Op::RenameTable { to, .. } = &op {
                name = to.clone();
            }
            ops.push(op);
        }
    }
    Ok(ops)
}

/// What ops applied in place overwrote, to put the schema back as it was: the tables
/// each op changes as they were before the first op that changed them, or the whole
/// schema before an op that changes more than its own table.
#[derive(Default)]
struct Undo {
    /// Table name and its earlier state (`None`: it did not exist).
    tables: Vec<(String, Option<Table>)>,
    /// View name and its earlier state.
    views: Vec<(String, Option<View>)>,
    /// The schema before the first op that may change any table or the enum types.
    whole: Option<Schema>,
    /// The comments before the first op (an op may drop or move some).
    comments: Option<std::collections::BTreeMap<CommentOn, String>>,
}

impl Undo {
    /// Records table `name` before a change made without an op.
    fn save_table(&mut self, schema: &Schema, name: &str) {
        if self.whole.is_none() && !self.tables.iter().any(|(n, _)| n == name) {
            self.tables
                .push((name.to_string(), schema.tables.get(name).cloned()));
        }
    }

    /// Records what `op` is about to change in `schema`.
    fn save(&mut self, schema: &Schema, op: &Op) {
        if self.whole.is_some() {
            return;
        }
        if self.comments.is_none() {
            self.comments = Some(schema.comments.clone());
        }
        let keep = |name: &str, tables: &mut Vec<(String, Option<Table>)>| {
            if !tables.iter().any(|(n, _)| n == name) {
                tables.push((name.to_string(), schema.tables.get(name).cloned()));
            }
        };
        match op {
            Op::CreateTable(t) | Op::DropTable(t) => keep(&t.name, &mut self.tables),
            Op::AddColumn { table, .. }
            | Op::DropColumn { table, .. }
            | Op::AlterColumn { table, .. }
            | Op::AlterTableOptions { table, .. }
            | Op::AddConstraint { table, .. }
            | Op::DropConstraint { table, .. }
            | Op::RenameConstraint { table, .. } => keep(table, &mut self.tables),
            Op::CreateIndex(ix) | Op::DropIndex(ix) if schema.views.contains_key(&ix.table) => {
                self.keep_view(schema, &ix.table)
            }
            Op::CreateIndex(ix) | Op::DropIndex(ix) | Op::AlterIndex { from: ix, .. } => {
                keep(&ix.table, &mut self.tables)
            }
            Op::SetComment { .. } => {}
            // Renames change the references of other tables too.
            // A rename moves or rewrites triggers: the whole schema is kept.
            // A rename moves or rewrites triggers and sequences' owners: the whole
            // schema is kept.
            Op::RenameTable { .. } | Op::RenameView { .. } | Op::RenameColumn { .. }
                if !schema.triggers.is_empty() || !schema.sequences.is_empty() =>
            {
                self.whole = Some(schema.clone());
            }
            Op::RenameTable { from, to } => {
                self.keep_reading_views(schema, from);
                keep(from, &mut self.tables);
                keep(to, &mut self.tables);
                for t in schema.tables.values() {
                    if t.foreign_keys.iter().any(|fk| fk.ref_table == *from) {
                        keep(&t.name, &mut self.tables);
                    }
                }
            }
            Op::RenameColumn { table, .. } => {
                self.keep_reading_views(schema, table);
                keep(table, &mut self.tables);
                for t in schema.tables.values() {
                    if t.foreign_keys.iter().any(|fk| fk.ref_table == *table) {
                        keep(&t.name, &mut self.tables);
                    }
                }
            }
            Op::CreateView(v) | Op::DropView(v) | Op::ReplaceView { to: v, .. } => {
                self.keep_view(schema, &v.name)
            }
            Op::RenameView { from, to } => {
                self.keep_view(schema, from);
                self.keep_view(schema, to);
            }
            _ => self.whole = Some(schema.clone()),
        }
    }

    /// Records the views that read `table`, which a rename rewrites.
    fn keep_reading_views(&mut self, schema: &Schema, table: &str) {
        let names: Vec<String> = schema
            .views
            .values()
            .filter(|v| v.reads_table(table))
            .map(|v| v.name.clone())
            .collect();
        for name in names {
            self.keep_view(schema, &name);
        }
    }

    fn keep_view(&mut self, schema: &Schema, name: &str) {
        if !self.views.iter().any(|(n, _)| n == name) {
            self.views
                .push((name.to_string(), schema.views.get(name).cloned()));
        }
    }

    /// Puts back what was recorded.
    fn restore(self, schema: &mut Schema) {
        if let Some(whole) = self.whole {
            *schema = whole;
        }
        if let Some(comments) = self.comments {
            schema.comments = comments;
        }
        for (name, view) in self.views.into_iter().rev() {
            match view {
                Some(v) => {
                    schema.views.insert(name, v);
                }
                None => {
                    schema.views.remove(&name);
                }
            }
        }
        // Earliest first wins: each entry is the table before any op changed it.
        for (name, table) in self.tables.into_iter().rev() {
            match table {
                Some(t) => {
                    schema.tables.insert(name, t);
                }
                None => {
                    schema.tables.remove(&name);
                }
            }
        }
    }
}

/// Whether `name` is the sequence of a serial or identity column, by the name
/// PostgreSQL gives it: the column's, which the model holds as the column.
fn column_sequence(schema: &Schema, name: &str) -> bool {
    schema.tables.values().any(|t| {
        t.columns.iter().any(|c| {
            (c.auto_increment || c.ty.serial_integer().is_some())
                && crate::model::serial_sequence_name(&t.name, &c.name) == name
        })
    })
}

/// Whether the owner of `s`, if any, is there: a column of a table.
fn check_owner(schema: &Schema, s: &Sequence) -> Result<(), ApplyError> {
    let Some((table, column)) = &s.owned_by else {
        return Ok(());
    };
    let t = schema
        .table(table)
        .ok_or_else(|| ApplyError::NoSuchTable(table.clone()))?;
    if t.column(column).is_none() {
        return Err(ApplyError::Invalid(format!(
            "sequence `{}` is owned by `{table}.{column}`, which does not exist",
            s.name
        )));
    }
    Ok(())
}

/// The ops that take the owner off the sequences `column` of `table` owns (every
/// column's when `None`), which PostgreSQL drops with it: without an owner first,
/// the inverse of their drop can make them before the table or column is back.
fn owned_sequences(schema: &Schema, table: &str, column: Option<&str>) -> Vec<Op> {
    schema
        .sequences
        .values()
        .filter(|s| s.owned_by_column(table, column))
        .map(|s| Op::AlterSequence {
            from: s.clone(),
            to: s.unowned(),
        })
        .collect()
}

/// The drops of the sequences [`owned_sequences`] took the owner off.
fn owned_sequences_dropped(schema: &Schema, table: &str, column: Option<&str>) -> Vec<Op> {
    schema
        .sequences
        .values()
        .filter(|s| s.owned_by_column(table, column))
        .map(|s| Op::DropSequence(s.unowned()))
        .collect()
}

/// Gives a foreign key that names only its table the referenced table's primary key.
/// `own` is the name and primary key of the table the key belongs to, which may not be
/// in `schema` yet (a self-reference in `CREATE TABLE`).
fn fill_fk_target(fk: &mut ForeignKey, schema: &Schema, own: (&str, Option<&PrimaryKey>)) {
    if !fk.ref_columns.is_empty() {
        return;
    }
    let pk = if fk.ref_table == own.0 {
        own.1
    } else {
        schema
            .table(&fk.ref_table)
            .and_then(|t| t.primary_key.as_ref())
    };
    if let Some(pk) = pk {
        fk.ref_columns = pk.columns.clone();
    }
}

/// The columns of `table` with a character set or collation of their own.
pub fn own_charset_columns(table: &Table) -> Vec<Column> {
    table
        .columns
        .iter()
        .filter(|c| c.charset.is_some() || c.collation.is_some())
        .cloned()
        .collect()
}

/// The index called `name` in any table or materialized view (index names are
/// global, as in SQLite and PostgreSQL).
fn find_index<'a>(schema: &'a Schema, name: &str) -> Option<&'a Index> {
    schema.find_index(name)
}

/// The comment target `on` as the model keys it: a routine named without its
/// argument types is the one routine of that name and kind.
fn resolve_comment_target(schema: &Schema, on: &CommentOn) -> Result<CommentOn, ApplyError> {
    let CommentOn::Routine { kind, key } = on else {
        return Ok(on.clone());
    };
    if key.contains('(') {
        return Ok(on.clone());
    }
    let found: Vec<&Routine> = schema
        .routines
        .values()
        .filter(|r| r.kind == *kind && r.name == *key)
        .collect();
    match found.as_slice() {
        [one] => Ok(CommentOn::Routine {
            kind: *kind,
            key: one.key(),
        }),
        [] => Err(ApplyError::NoSuchRoutine(key.clone())),
        _ => Err(ApplyError::AmbiguousRoutine(key.clone())),
    }
}

/// The ops for one `ALTER TABLE` action on the table now called `name` in `schema`.
fn resolve_action(
    schema: &Schema,
    name: &str,
    action: &AlterAction,
) -> Result<Vec<Op>, ApplyError> {
    let table = schema
        .table(name)
        .ok_or_else(|| ApplyError::NoSuchTable(name.to_string()))?;
    let no_column = |column: &str| ApplyError::NoSuchColumn {
        table: name.to_string(),
        column: column.to_string(),
    };
    let t = name.to_string();
    Ok(match action {
        AlterAction::RenameTable(to) => vec![Op::RenameTable {
            from: t,
            to: to.clone(),
        }],
        AlterAction::AddColumn {
            column,
            constraints,
        } => {
            let mut column = column.clone();
            column.ty = column.ty.resolve_enum(&schema.enums);
            let mut ops = Vec::new();
            for c in constraints {
                let mut c = c.clone();
                // A constraint written on the column is about that column.
                match &mut c {
                    Constraint::PrimaryKey(pk) => {
                        column.nullable = false;
                        if pk.columns.is_empty() {
                            pk.columns = vec![column.name.clone()];
                        }
                    }
                    Constraint::Unique(u) if u.columns.is_empty() => {
                        u.columns = vec![column.name.clone()]
                    }
                    Constraint::ForeignKey(fk) => {
                        if fk.columns.is_empty() {
                            fk.columns = vec![column.name.clone()];
                        }
                        fill_fk_target(fk, schema, (name, table.primary_key.as_ref()));
                    }
                    _ => {}
                }
                ops.push(Op::AddConstraint {
                    table: t.clone(),
                    constraint: c,
                });
            }
            ops.insert(0, Op::AddColumn { table: t, column });
            ops
        }
        AlterAction::DropColumn(column) => {
            let col = table.column(column).ok_or_else(|| no_column(column))?;
            // Everything that uses the column goes first, so the inverse restores it.
            let mut ops: Vec<Op> = table
                .indexes
                .iter()
                .filter(|ix| index_uses(ix, column))
                .map(|ix| Op::DropIndex(ix.clone()))
                .collect();
            ops.extend(
                table
                    .constraints()
                    .into_iter()
                    .filter(|c| constraint_uses(c, column))
                    .map(|c| Op::DropConstraint {
                        table: t.clone(),
                        constraint: c,
                    }),
            );
            ops.extend(owned_sequences(schema, &t, Some(column)));
            ops.push(Op::DropColumn {
                table: t.clone(),
                column: col.clone(),
            });
            ops.extend(owned_sequences_dropped(schema, &t, Some(column)));
            ops
        }
        AlterAction::RenameColumn { from, to } => {
            vec![Op::RenameColumn {
                table: t,
                from: from.clone(),
                to: to.clone(),
            }]
        }
        AlterAction::AlterColumn { column, alter } => {
            let from = table.column(column).ok_or_else(|| no_column(column))?;
            let mut to = from.clone();
            match alter {
                ColumnAlter::SetType(ty, declared) => {
                    to.ty = ty.resolve_enum(&schema.enums);
                    to.declared = declared.clone();
                    // PostgreSQL keeps a serial column's sequence default through a
                    // change to another integer type, so it stays a serial one:
                    // `TYPE BIGINT` on a `SERIAL` column makes it `BIGSERIAL`.
                    if from.ty.serial_integer().is_some()
                        && let Some(serial) = to.ty.serial_of()
                    {
                        to.ty = serial;
                    }
                }
                ColumnAlter::SetNotNull => to.nullable = false,
                ColumnAlter::DropNotNull => {
                    if in_primary_key(table, column) {
                        return Err(ApplyError::Invalid(format!(
                            "column `{t}.{column}` is in the primary key, so it stays NOT NULL"
                        )));
                    }
                    to.nullable = true;
                }
                ColumnAlter::SetDefault(expr) => to.default = Some(expr.clone()),
                ColumnAlter::DropDefault => to.default = None,
                ColumnAlter::AddIdentity { always } => {
                    // What PostgreSQL checks before it adds the identity.
                    let refused = if to.auto_increment {
                        Some("is an identity column already")
                    } else if to.nullable {
                        Some("must be NOT NULL before it can be an identity column")
                    } else if to.default.is_some() {
                        Some("has a default, so it cannot be an identity column")
                    } else {
                        None
                    };
                    if let Some(why) = refused {
                        return Err(ApplyError::Invalid(format!("column `{t}.{column}` {why}")));
                    }
                    to.auto_increment = true;
                    to.generated_always = *always;
                }
                ColumnAlter::SetGenerated { always } => {
                    if !to.auto_increment {
                        return Err(ApplyError::Invalid(format!(
                            "column `{t}.{column}` is not an identity column"
                        )));
                    }
                    to.generated_always = *always;
                }
                ColumnAlter::DropIdentity { if_exists } => {
                    if !to.auto_increment && !*if_exists {
                        return Err(ApplyError::Invalid(format!(
                            "column `{t}.{column}` is not an identity column"
                        )));
                    }
                    to.auto_increment = false;
                    to.generated_always = false;
                }
                ColumnAlter::SetComment(text) => to.comment.clone_from(text),
                ColumnAlter::Redefine(new) => {
                    to = Column {
                        name: from.name.clone(),
                        ty: new.ty.resolve_enum(&schema.enums),
                        nullable: new.nullable && !in_primary_key(table, column),
                        ..(**new).clone()
                    };
                }
            }
            vec![Op::AlterColumn {
                table: t,
                from: from.clone(),
                to,
            }]
        }
        // Kept by `alter_in_place`, with no op.
        AlterAction::KeepUnmodeled(_) => Vec::new(),
        AlterAction::SetPartition(of) => {
            let mut to = table.options.clone();
            to.partition_of.clone_from(of);
            vec![Op::AlterTableOptions {
                table: t,
                from: table.options.clone(),
                to,
                columns: own_charset_columns(table),
            }]
        }
        AlterAction::MysqlPartitions(change) => {
            let mut to = table.options.clone();
            to.mysql_partitioning =
                change.resolve(&t, table.options.mysql_partitioning.as_ref())?;
            vec![Op::AlterTableOptions {
                table: t,
                from: table.options.clone(),
                to,
                columns: own_charset_columns(table),
            }]
        }
        AlterAction::SetOptions(change) => {
            let mut to = table.options.clone();
            let set = |field: &mut Option<String>, value: &Option<Option<String>>| {
                if let Some(v) = value {
                    field.clone_from(v);
                }
            };
            set(&mut to.charset, &change.charset);
            set(&mut to.collation, &change.collation);
            set(&mut to.comment, &change.comment);
            set(&mut to.engine, &change.engine);
            for (name, value) in &change.storage {
                let prefix = format!("{name}=");
                to.storage.retain(|p| !p.starts_with(&prefix));
                if let Some(v) = value {
                    to.storage.push(format!("{prefix}{v}"));
                }
            }
            to.storage.sort();
            for (name, value) in &change.mysql {
                let prefix = format!("{name}=");
                to.mysql.retain(|p| !p.starts_with(&prefix));
                if let Some(v) = value {
                    to.mysql.push(format!("{prefix}{v}"));
                }
            }
            to.mysql.sort();
            vec![Op::AlterTableOptions {
                table: t,
                from: table.options.clone(),
                to,
                columns: own_charset_columns(table),
            }]
        }
        AlterAction::AddConstraint(c) => {
            let mut c = c.clone();
            let mut ops = Vec::new();
            match &mut c {
                Constraint::PrimaryKey(pk) => {
                    if table.primary_key.is_some() {
                        return Err(ApplyError::PrimaryKeyExists(t));
                    }
                    // Adding a primary key makes its columns NOT NULL; saying so in
                    // an op of its own lets the inverse make them nullable again.
                    for name in &pk.columns {
                        let from = table.column(name).ok_or_else(|| no_column(name))?;
                        if from.nullable {
                            let to = Column {
                                nullable: false,
                                ..from.clone()
                            };
                            ops.push(Op::AlterColumn {
                                table: t.clone(),
                                from: from.clone(),
                                to,
                            });
                        }
                    }
                }
                Constraint::ForeignKey(fk) => {
                    fill_fk_target(fk, schema, (name, table.primary_key.as_ref()))
                }
                _ => {}
            }
            ops.push(Op::AddConstraint {
                table: t,
                constraint: c,
            });
            ops
        }
        AlterAction::IndexVisibility { index, hidden } => {
            let from = table
                .indexes
                .iter()
                .find(|i| i.name.eq_ignore_ascii_case(index))
                .ok_or_else(|| ApplyError::NoSuchIndex(index.clone()))?;
            if from.hidden == *hidden {
                Vec::new()
            } else {
                vec![Op::AlterIndex {
                    from: from.clone(),
                    to: Index {
                        hidden: hidden.clone(),
                        ..from.clone()
                    },
                }]
            }
        }
        AlterAction::DropPrimaryKey => match &table.primary_key {
            Some(pk) => vec![Op::DropConstraint {
                table: t,
                constraint: Constraint::PrimaryKey(pk.clone()),
            }],
            None => {
                return Err(ApplyError::NoSuchConstraint {
                    table: t,
                    name: "PRIMARY KEY".into(),
                });
            }
        },
        AlterAction::RenameConstraint { from, to } => {
            let Op::DropConstraint {
                table: t,
                constraint,
            } = resolve_action(schema, name, &AlterAction::DropConstraint(from.clone()))?.remove(0)
            else {
                return Err(ApplyError::Invalid(format!(
                    "cannot rename constraint `{from}`"
                )));
            };
            // Unnamed when `to` is the name the convention gives it, as a table
            // read back from the database has it.
            let implied = constraint.with_name(None).sql_name(table) == *to;
            let renamed = constraint.with_name((!implied).then(|| to.clone()));
            vec![Op::RenameConstraint {
                table: t,
                from: constraint,
                to: renamed,
            }]
        }
        AlterAction::DropConstraint(cname) => {
            let all = table.constraints();
            let mut found: Vec<&Constraint> = all
                .iter()
                .filter(|c| c.name() == Some(cname.as_str()))
                .collect();
            if found.is_empty() {
                found = all
                    .iter()
                    .filter(|c| c.name().is_none() && c.sql_name(table) == *cname)
                    .collect();
            }
            match found.as_slice() {
                [] => {
                    return Err(ApplyError::NoSuchConstraint {
                        table: t,
                        name: cname.clone(),
                    });
                }
                [c] => vec![Op::DropConstraint {
                    table: t,
                    constraint: (*c).clone(),
                }],
                _ => {
                    return Err(ApplyError::AmbiguousConstraint {
                        table: t,
                        name: cname.clone(),
                    });
                }
            }
        }
    })
}

/// Whether `column` is one of the table's primary-key columns.
fn in_primary_key(table: &Table, column: &str) -> bool {
    table
        .primary_key
        .as_ref()
        .is_some_and(|pk| pk.columns.iter().any(|c| c == column))
}

/// An index entry split into its column or expression and its direction suffix
/// (` DESC`, ` ASC`, or nothing).
pub(crate) fn split_direction(entry: &str) -> (&str, &str) {
    for suffix in [" DESC", " ASC"] {
        let at = entry.len().saturating_sub(suffix.len());
        if at > 0
            && entry
                .get(at..)
                .is_some_and(|s| s.eq_ignore_ascii_case(suffix))
        {
            return entry.split_at(at);
        }
    }
    (entry, "")
}

/// Whether the index entry is the column `column` itself: an entry that is a plain
/// column holds the column's name as it is, unquoted (`first name`), which no
/// tokenizing of it as an expression would find.
fn entry_is_column(entry: &str, column: &str) -> bool {
    entry == column
        || split_direction(entry).0 == column
        || split_prefix_part(split_direction(entry).0).is_some_and(|(c, _)| c == column)
}

/// Whether the index mentions `column` in an entry, its included columns or its
/// predicate.
fn index_uses(ix: &Index, column: &str) -> bool {
    ix.include.iter().any(|c| c == column)
        || ix.columns.iter().any(|e| {
            entry_is_column(e, column) || find_word(split_direction(e).0, column).is_some()
        })
        || ix
            .predicate
            .as_deref()
            .is_some_and(|p| find_word(p, column).is_some())
}

/// Whether the constraint involves `column` of its own table.
fn constraint_uses(c: &Constraint, column: &str) -> bool {
    let has = |cols: &[String]| cols.iter().any(|c| c == column);
    match c {
        Constraint::PrimaryKey(pk) => has(&pk.columns),
        Constraint::Unique(u) => has(&u.columns),
        Constraint::ForeignKey(fk) => has(&fk.columns),
        Constraint::Check(ck) => find_word(&ck.expr, column).is_some(),
        Constraint::Exclusion(x) => x.reads(column),
    }
}

/// The index entries that are plain column names (not expressions).
fn plain_index_columns(ix: &Index) -> impl Iterator<Item = std::borrow::Cow<'_, str>> {
    ix.columns
        .iter()
        .map(|e| split_direction(e).0)
        .filter_map(|e| {
            if let Some((column, _)) = split_prefix_part(e) {
                // A MySQL prefix part is on a plain column; the part is named by
                // its column, which `Index::columns` holds quoted.
                return Some(std::borrow::Cow::Owned(column));
            }
            is_plain_ident(e).then_some(std::borrow::Cow::Borrowed(e))
        })
}

/// The columns a constraint names in its own table.
fn constraint_columns(c: &Constraint) -> &[String] {
    match c {
        Constraint::PrimaryKey(pk) => &pk.columns,
        Constraint::Unique(u) => &u.columns,
        Constraint::ForeignKey(fk) => &fk.columns,
        Constraint::Check(_) | Constraint::Exclusion(_) => &[],
    }
}

/// That table `name` exists and is partitioned, for a partition to go into it.
fn partitioned(schema: &Schema, name: &str) -> Result<(), ApplyError> {
    let t = schema
        .table(name)
        .ok_or_else(|| ApplyError::NoSuchTable(name.to_string()))?;
    if t.options.partition_by.is_none() {
        return Err(ApplyError::Invalid(format!(
            "table `{name}` is not partitioned (`PARTITION BY`), so it takes no partition"
        )));
    }
    Ok(())
}

/// Checks that every plain column of `ix`, and every one it includes, exists in
/// `table`.
fn check_index_columns(ix: &Index, table: &Table) -> Result<(), ApplyError> {
    for col in plain_index_columns(ix).chain(ix.include.iter().map(|c| c.as_str().into())) {
        let col = col.as_ref();
        if !table
            .columns
            .iter()
            .any(|c| c.name.eq_ignore_ascii_case(col))
        {
            return Err(ApplyError::NoSuchColumn {
                table: table.name.clone(),
                column: col.to_string(),
            });
        }
    }
    Ok(())
}

/// Checks that a constraint can be added to `table`.
fn check_constraint(c: &Constraint, table: &Table) -> Result<(), ApplyError> {
    let cols = constraint_columns(c);
    if cols.is_empty() && !matches!(c, Constraint::Check(_) | Constraint::Exclusion(_)) {
        return Err(ApplyError::Invalid(format!(
            "{} on `{}` names no column",
            c.describe(),
            table.name
        )));
    }
    if let Some(col) = cols.iter().find(|n| table.column(n).is_none()) {
        return Err(ApplyError::NoSuchColumn {
            table: table.name.clone(),
            column: col.clone(),
        });
    }
    match c {
        Constraint::ForeignKey(fk)
            if !fk.ref_columns.is_empty() && fk.ref_columns.len() != fk.columns.len() =>
        {
            Err(ApplyError::Invalid(format!(
                "{} on `{}` has {} columns but references {}",
                c.describe(),
                table.name,
                fk.columns.len(),
                fk.ref_columns.len()
            )))
        }
        _ => Ok(()),
    }
}

/// Replaces the column `from` by `to` in an index entry, keeping its direction. An
/// entry that is the column itself holds its bare name and gets the new bare name; an
/// expression gets the new name as an identifier token, quoted where it needs quoting.
fn rename_in_entry(entry: &str, from: &str, to: &str) -> String {
    if entry == from {
        return to.to_string();
    }
    let (body, dir) = split_direction(entry);
    if body == from {
        return format!("{to}{dir}");
    }
    if let Some((column, length)) = split_prefix_part(body) {
        return if column == from {
            format!("{}{dir}", prefix_part(to, length))
        } else {
            entry.to_string()
        };
    }
    format!("{}{dir}", replace_word(body, from, to))
}

/// Refuses a change that would leave a trigger naming what is gone: `word` (a table,
/// or with `table`, a column of it) in the body or timing of a trigger (on `table`,
/// or naming it). SQLite rewrites such a trigger's text and MySQL leaves it broken,
/// so neither can be followed from the text: the trigger is dropped before and made
/// again after, as a generated migration does.
fn triggers_naming(
    schema: &Schema,
    table: Option<&str>,
    word: &str,
    what: &str,
) -> Result<(), ApplyError> {
    let hit = schema
        .triggers
        .values()
        .find(|t| !t.follows_renames && names_renamed(t, table, word));
    match hit {
        Some(t) => Err(ApplyError::Invalid(format!(
            "trigger `{}` names `{word}`, and {what}: drop the trigger before and create \
             it again after",
            t.name
        ))),
        None => Ok(()),
    }
}

/// Whether trigger `t` names `word`: a table, or with `table`, a column of it (the
/// trigger is on `table` or names it too).
fn names_renamed(t: &Trigger, table: Option<&str>, word: &str) -> bool {
    let concerns = table.is_none_or(|table| t.table == table || t.mentions(table));
    concerns && t.mentions(word)
}

/// The triggers that name what a rename renames rewritten, where the database
/// rewrites them ([`Trigger::follows_renames`]).
fn follow_in_triggers(schema: &mut Schema, table: Option<&str>, from: &str, to: &str) {
    for t in schema.triggers.values_mut() {
        if t.follows_renames && names_renamed(t, table, from) {
            *t = t.rename_word(from, to);
        }
    }
}

/// Refuses to drop the table or view `name` while the model still has a trigger on it
/// (a statement's ops drop its triggers first, see [`Change::resolve`]).
fn still_triggered(schema: &Schema, name: &str, what: &str) -> Result<(), ApplyError> {
    match schema.triggers_on(name).first() {
        Some(t) => Err(ApplyError::Invalid(format!(
            "{what} `{name}` still has trigger `{}`",
            t.name
        ))),
        None => Ok(()),
    }
}

/// Refuses to drop the table or view `name` while a rule is on it (a statement's ops
/// drop those first) or a rule on another names it, which PostgreSQL refuses too.
fn still_ruled(schema: &Schema, name: &str, what: &str) -> Result<(), ApplyError> {
    if let Some(r) = schema.rules.values().find(|r| r.table == name) {
        return Err(ApplyError::Invalid(format!(
            "{what} `{name}` still has rule `{}`",
            r.name
        )));
    }
    match schema.rules.values().find(|r| r.mentions(name)) {
        Some(r) => Err(ApplyError::Invalid(format!(
            "{what} `{name}` is named by rule `{}` on `{}`: drop the rule first",
            r.name, r.table
        ))),
        None => Ok(()),
    }
}

/// Renames `from` to `to` in a list of column names.
/// The views that read what `renamed` renames, their queries rewritten as the
/// database rewrites them ([`View::follow_rename`]), computed on the schema before the
/// rename; a view whose database does not rewrite it stays as it is. Fails when a
/// query cannot be rewritten for sure.
fn views_after_rename(schema: &Schema, renamed: Renamed<'_>) -> Result<Vec<View>, ApplyError> {
    let mut out = Vec::new();
    for v in schema.views.values() {
        let reads = match renamed {
            Renamed::Table { from, .. } => v.reads_table(from),
            Renamed::Column { table, from, .. } => v.reads_column(table, from),
        };
        let Some(follow) = v.follow_rename.filter(|_| reads) else {
            continue;
        };
        let what = match renamed {
            Renamed::Table { from, .. } => format!("table `{from}`"),
            Renamed::Column { table, from, .. } => format!("column `{table}.{from}`"),
        };
        let view = follow(v, renamed, schema).map_err(|e| {
            ApplyError::Invalid(format!(
                "view `{}` reads {what}, and its query cannot be rewritten for the rename \
                 as the database rewrites it: {e}; drop the view before the rename and \
                 create it again after",
                v.name
            ))
        })?;
        out.push(view);
    }
    Ok(out)
}

/// Puts the rewritten views of [`views_after_rename`] in place; nothing when it failed
/// (the op's check refuses it first).
fn keep_views(schema: &mut Schema, views: Result<Vec<View>, ApplyError>) {
    for v in views.into_iter().flatten() {
        schema.views.insert(v.name.clone(), v);
    }
}

fn rename_in_list(cols: &mut [String], from: &str, to: &str) {
    for c in cols.iter_mut().filter(|c| *c == from) {
        *c = to.to_string();
    }
}

impl Op {
    /// The indexes this op makes: a new index, or a new table's.
    pub fn made_indexes(&self) -> &[Index] {
        match self {
            Op::CreateIndex(index) => std::slice::from_ref(index),
            Op::CreateTable(table) => &table.indexes,
            _ => &[],
        }
    }

    /// Applies the op to `schema`, or fails without changing it when the op does not
    /// fit (a missing table, an existing column, a column still in use, ...). Every
    /// table it touches is left normalized.
    pub fn apply(&self, schema: &mut Schema) -> Result<(), ApplyError> {
        self.check(schema)?;
        if !schema.comments.is_empty() {
            self.rekey_comments(schema);
        }
        self.mutate(schema);
        schema.sync_partitions();
        // A comment goes with its object.
        schema.prune_comments();
        Ok(())
    }

    /// Moves the comments on what a rename renames (the object, or what belongs to a
    /// renamed table or view), before the rename.
    fn rekey_comments(&self, schema: &mut Schema) {
        use CommentOn as C;
        let same = |a: &String, b: &String| a == b;
        // A serial or identity column's sequence is renamed with its table or itself
        // (see the PostgreSQL renderer), and its comment with it.
        let owns = |c: &Column| c.auto_increment || c.ty.serial_integer().is_some();
        let moved: Vec<(String, String)> = match self {
            Op::RenameTable { from, to } => schema.table(from).map_or(Vec::new(), |t| {
                t.columns
                    .iter()
                    .filter(|c| owns(c))
                    .map(|c| {
                        (
                            serial_sequence_name(from, &c.name),
                            serial_sequence_name(to, &c.name),
                        )
                    })
                    .collect()
            }),
            Op::RenameColumn { table, from, to } => schema
                .table(table)
                .and_then(|t| t.column(from))
                .filter(|c| owns(c))
                .map(|_| {
                    vec![(
                        serial_sequence_name(table, from),
                        serial_sequence_name(table, to),
                    )]
                })
                .unwrap_or_default(),
            _ => Vec::new(),
        };
        for (old, new) in moved {
            schema.rekey_comments(|on| match on {
                C::Sequence(s) if *s == old => Some(C::Sequence(new.clone())),
                _ => None,
            });
        }
        match self {
            Op::RenameTable { from, to } => schema.rekey_comments(|on| match on {
                C::Constraint { table, name } if same(table, from) => Some(C::Constraint {
                    table: to.clone(),
                    name: name.clone(),
                }),
                C::Trigger { table, name } if same(table, from) => Some(C::Trigger {
                    table: to.clone(),
                    name: name.clone(),
                }),
                C::Policy { table, name } if same(table, from) => Some(C::Policy {
                    table: to.clone(),
                    name: name.clone(),
                }),
                _ => None,
            }),
            Op::RenameView { from, to } => schema.rekey_comments(|on| match on {
                C::View(v) if same(v, from) => Some(C::View(to.clone())),
                C::MaterializedView(v) if same(v, from) => Some(C::MaterializedView(to.clone())),
                C::ViewColumn { view, column } if same(view, from) => Some(C::ViewColumn {
                    view: to.clone(),
                    column: column.clone(),
                }),
                C::Trigger { table, name } if same(table, from) => Some(C::Trigger {
                    table: to.clone(),
                    name: name.clone(),
                }),
                _ => None,
            }),
            Op::RenameEnum { from, to } => schema.rekey_comments(|on| match on {
                C::Type(t) if same(t, from) => Some(C::Type(to.clone())),
                _ => None,
            }),
            Op::RenameSequence { from, to } => schema.rekey_comments(|on| match on {
                C::Sequence(s) if same(s, from) => Some(C::Sequence(to.clone())),
                _ => None,
            }),
            Op::RenameTrigger { table: t, from, to } => schema.rekey_comments(|on| match on {
                C::Trigger { table, name } if same(table, t) && same(name, from) => {
                    Some(C::Trigger {
                        table: t.clone(),
                        name: to.clone(),
                    })
                }
                _ => None,
            }),
            Op::RenameConstraint { table: t, from, to } => {
                let Some(owner) = schema.table(t) else {
                    return;
                };
                // PostgreSQL renames a key's or exclusion's index with it.
                let indexed = !matches!(from, Constraint::ForeignKey(_) | Constraint::Check(_));
                let (from, to) = (from.sql_name(owner), to.sql_name(owner));
                schema.rekey_comments(|on| match on {
                    C::Constraint { table, name } if same(table, t) && same(name, &from) => {
                        Some(C::Constraint {
                            table: t.clone(),
                            name: to.clone(),
                        })
                    }
                    C::Index(i) if indexed && same(i, &from) => Some(C::Index(to.clone())),
                    _ => None,
                });
            }
            _ => {}
        }
    }

    /// What of PostgreSQL's that no other database has the op makes: an index's
    /// `INCLUDE (...)` or storage parameters, a table's storage parameters, a
    /// deferrable primary key or unique constraint, an exclusion constraint, a check
    /// that is `NO INHERIT`, a comment on a view, an index or another object but a
    /// table or column, an aggregate (which a MySQL stored routine is not). The other
    /// backends refuse such
    /// an op by name before anything runs: building the object without the part
    /// would not be what the migration says (a deferrable key checked at once, an
    /// index without its included columns), and nothing would say so.
    pub fn postgres_only_part(&self) -> Option<String> {
        let index = |i: &Index| {
            if !i.include.is_empty() {
                Some(format!(
                    "index `{}` on `{}` includes ({})",
                    i.name,
                    i.table,
                    i.include.join(", ")
                ))
            } else if !i.storage.is_empty() {
                Some(format!(
                    "index `{}` on `{}` has storage parameters WITH ({})",
                    i.name,
                    i.table,
                    i.storage.join(", ")
                ))
            } else {
                None
            }
        };
        let key = |table: &str, c: &Constraint| {
            let deferral = match c {
                Constraint::PrimaryKey(pk) => pk.deferral,
                Constraint::Unique(u) => u.deferral,
                Constraint::Exclusion(x) => {
                    return Some(format!(
                        "exclusion constraint `{}` on `{table}` ({})",
                        c.sql_name_on(table),
                        x.sql(|n| n.to_string())
                    ));
                }
                Constraint::Check(ck) if ck.no_inherit => {
                    return Some(format!("{} on `{table}` is NO INHERIT", c.describe()));
                }
                _ => return None,
            };
            (deferral != crate::model::Deferral::NotDeferrable)
                .then(|| format!("{} on `{table}` is deferrable", c.describe()))
        };
        let storage = |table: &str, storage: &[String]| {
            (!storage.is_empty()).then(|| {
                format!(
                    "table `{table}` has storage parameters WITH ({})",
                    storage.join(", ")
                )
            })
        };
        match self {
            Op::CreateTable(t) => storage(&t.name, &t.options.storage)
                .or_else(|| t.indexes.iter().find_map(index))
                .or_else(|| t.constraints().iter().find_map(|c| key(&t.name, c))),
            Op::CreateIndex(i) => index(i),
            Op::AddConstraint { table, constraint } => key(table, constraint),
            Op::AlterTableOptions {
                table, from, to, ..
            } if from.storage != to.storage => storage(table, &to.storage)
                .or_else(|| Some(format!("table `{table}`: its storage parameters change"))),
            Op::CreateRoutine(r) | Op::DropRoutine(r) | Op::ReplaceRoutine { to: r, .. }
                if r.kind == RoutineKind::Aggregate =>
            {
                Some(format!("aggregate `{}`", r.signature()))
            }
            // Only PostgreSQL has `COMMENT ON` for these objects.
            Op::SetComment { on, .. } => Some(format!("a comment on {}", on.describe())),
            _ => None,
        }
    }

    /// What of MySQL's that no other database has the op makes: an invisible column
    /// (`c INT INVISIBLE`), an index's comment
    /// (`KEY k (a) COMMENT '...'`), a table's options beyond its engine, character
    /// set, collation and comment (`ROW_FORMAT=COMPRESSED`, `STATS_PERSISTENT=1`,
    /// ...). SQLite and PostgreSQL refuse such an op by name before anything runs,
    /// as they refuse MySQL's `FULLTEXT` and `SPATIAL` indexes
    /// ([`foreign_index_kind`](crate::foreign_index_kind)): making the object
    /// without the part would not be what the migration says, and nothing would say
    /// so.
    pub fn mysql_only_part(&self) -> Option<String> {
        let index = |i: &Index| {
            let hidden = i.hidden.as_ref().map(|h| {
                format!(
                    "index `{}` on `{}` is hidden from the optimizer ({h})",
                    i.name, i.table
                )
            });
            hidden
                .or_else(|| {
                    i.comment.as_ref().map(|c| {
                        format!(
                            "index `{}` on `{}` has a comment (COMMENT '{c}')",
                            i.name, i.table
                        )
                    })
                })
                .or_else(|| {
                    let part = i
                        .columns
                        .iter()
                        .find(|p| split_prefix_part(split_direction(p).0).is_some())?;
                    Some(format!(
                        "index `{}` on `{}` is a key on a prefix ({part})",
                        i.name, i.table
                    ))
                })
        };
        let options = |table: &str, options: &[String]| {
            (!options.is_empty()).then(|| {
                format!(
                    "table `{table}` has the table options {}",
                    options.join(" ")
                )
            })
        };
        let invisible = |table: &str, c: &Column| {
            c.invisible
                .then(|| format!("column `{table}.{}` is invisible (INVISIBLE)", c.name))
        };
        match self {
            Op::CreateTable(t) => options(&t.name, &t.options.mysql)
                .or_else(|| t.columns.iter().find_map(|c| invisible(&t.name, c)))
                .or_else(|| t.indexes.iter().find_map(index)),
            Op::AddColumn { table, column } => invisible(table, column),
            Op::AlterColumn { table, from, to } => {
                invisible(table, to).or_else(|| invisible(table, from))
            }
            Op::CreateIndex(i) => index(i),
            Op::AlterIndex { from, to } => Some(format!(
                "index `{}` on `{}` is {}",
                from.name,
                from.table,
                match (&from.hidden, &to.hidden) {
                    (_, Some(h)) => format!("hidden from the optimizer ({h})"),
                    (Some(h), None) => format!("no longer hidden from the optimizer ({h})"),
                    (None, None) => "changed".to_string(),
                }
            )),
            Op::AlterTableOptions {
                table, from, to, ..
            } if from.mysql != to.mysql => options(table, &to.mysql).or_else(|| {
                Some(format!(
                    "table `{table}`: its table options {} go",
                    from.mysql.join(" ")
                ))
            }),
            _ => None,
        }
    }

    /// The PostgreSQL composite or range type the op makes, changes or drops, as
    /// `(kind, name)` (`("range type", "span")`), for the backends that have no such
    /// types to refuse it by name.
    pub fn user_type(&self) -> Option<(&'static str, &str)> {
        match self {
            Op::CreateType(t) | Op::DropType(t) => Some((t.kind_word(), t.name())),
            Op::AlterComposite { to, .. } => Some(("composite type", &to.name)),
            _ => None,
        }
    }

    /// The table whose PostgreSQL partitioning the op makes or changes (a partitioned
    /// table or a partition created, a bound or key changed), for the backends
    /// that have no such partitioning to refuse it by name.
    pub fn partitioned_table(&self) -> Option<&str> {
        match self {
            Op::CreateTable(t)
                if t.options.partition_by.is_some() || t.options.partition_of.is_some() =>
            {
                Some(&t.name)
            }
            Op::AlterTableOptions {
                table, from, to, ..
            } if (&from.partition_by, &from.partition_of)
                != (&to.partition_by, &to.partition_of) =>
            {
                Some(table)
            }
            _ => None,
        }
    }

    /// The table whose MySQL partitioning the op makes or changes, for the backends
    /// that have no such partitioning to refuse it by name.
    pub fn mysql_partitioned_table(&self) -> Option<&str> {
        match self {
            Op::CreateTable(t) if t.options.mysql_partitioning.is_some() => Some(&t.name),
            Op::AlterTableOptions {
                table, from, to, ..
            } if from.mysql_partitioning != to.mysql_partitioning => Some(table),
            _ => None,
        }
    }

    /// The partitions of a MySQL table that the op drops with their rows (`DROP
    /// PARTITION`): the table and their names.
    pub fn dropped_partitions(&self) -> Option<(&str, Vec<&str>)> {
        let Op::AlterTableOptions {
            table, from, to, ..
        } = self
        else {
            return None;
        };
        let gone = from
            .mysql_partitioning
            .as_ref()?
            .drops_to(to.mysql_partitioning.as_ref()?)?;
        Some((table, gone.iter().map(|p| p.name.as_str()).collect()))
    }

    /// Whether the op fits `schema`: the checks of [`Op::apply`], without changes.
    pub fn check(&self, schema: &Schema) -> Result<(), ApplyError> {
        let table = |name: &str| {
            schema
                .table(name)
                .ok_or_else(|| ApplyError::NoSuchTable(name.to_string()))
        };
        let column = |t: &Table, name: &str| {
            t.column(name)
                .map(|_| ())
                .ok_or_else(|| ApplyError::NoSuchColumn {
                    table: t.name.clone(),
                    column: name.to_string(),
                })
        };
        let enum_labels = |name: &str| {
            schema
                .enums
                .get(name)
                .ok_or_else(|| ApplyError::NoSuchEnum(name.to_string()))
        };
        let has_label = |name: &str, label: &str| {
            if enum_labels(name)?.iter().any(|l| l == label) {
                Ok(())
            } else {
                Err(ApplyError::Invalid(format!(
                    "enum type `{name}` has no value {}",
                    quote_label(label)
                )))
            }
        };
        let no_column = |t: &Table, name: &str| match t.column(name) {
            Some(_) => Err(ApplyError::ColumnExists {
                table: t.name.clone(),
                column: name.to_string(),
            }),
            None => Ok(()),
        };
        match self {
            Op::CreateTable(t) => {
                if schema.tables.contains_key(&t.name) {
                    return Err(ApplyError::TableExists(t.name.clone()));
                }
                if let Some(of) = &t.options.partition_of {
                    partitioned(schema, &of.parent)?;
                }
                for (i, c) in t.columns.iter().enumerate() {
                    if t.columns[..i].iter().any(|p| p.name == c.name) {
                        return Err(ApplyError::ColumnExists {
                            table: t.name.clone(),
                            column: c.name.clone(),
                        });
                    }
                }
                for c in t.constraints() {
                    check_constraint(&c, t)?;
                }
                for (i, ix) in t.indexes.iter().enumerate() {
                    if ix.table != t.name {
                        return Err(ApplyError::Invalid(format!(
                            "index `{}` of table `{}` says it is on `{}`",
                            ix.name, t.name, ix.table
                        )));
                    }
                    if find_index(schema, &ix.name).is_some()
                        || t.indexes[..i].iter().any(|p| p.name == ix.name)
                    {
                        return Err(ApplyError::IndexExists(ix.name.clone()));
                    }
                    check_index_columns(ix, t)?;
                }
                check_enum_types(schema, &t.columns)
            }
            Op::DropTable(t) => {
                table(&t.name)?;
                if let Some(p) = schema.partitions_of(&t.name).first() {
                    return Err(ApplyError::Invalid(format!(
                        "table `{}` still has partition `{}`",
                        t.name, p.name
                    )));
                }
                still_triggered(schema, &t.name, "table")?;
                still_ruled(schema, &t.name, "table")
            }
            Op::AlterTableOptions {
                table: name, to, ..
            } => {
                let t = table(name)?;
                if let Some(of) = &to.partition_of
                    && t.options.partition_of.as_ref() != Some(of)
                {
                    partitioned(schema, &of.parent)?;
                }
                if to.partition_by.is_none()
                    && let Some(p) = schema.partitions_of(name).first()
                {
                    return Err(ApplyError::Invalid(format!(
                        "table `{name}` still has partition `{}`",
                        p.name
                    )));
                }
                Ok(())
            }
            Op::RenameTable { from, to } => {
                table(from)?;
                if schema.tables.contains_key(to) {
                    return Err(ApplyError::TableExists(to.clone()));
                }
                triggers_naming(schema, None, from, &format!("table `{from}` is renamed"))?;
                rules_naming(schema, None, from, &format!("table `{from}` is renamed"))?;
                views_after_rename(schema, Renamed::Table { from, to }).map(|_| ())
            }
            Op::AddColumn {
                table: name,
                column: c,
            } => {
                no_column(table(name)?, &c.name)?;
                check_enum_types(schema, [c])
            }
            Op::DropColumn {
                table: name,
                column: c,
            } => {
                let t = table(name)?;
                column(t, &c.name)?;
                let users: Vec<String> = t
                    .constraints()
                    .iter()
                    .filter(|k| constraint_uses(k, &c.name))
                    .map(|k| k.describe())
                    .chain(
                        t.indexes
                            .iter()
                            .filter(|ix| index_uses(ix, &c.name))
                            .map(|ix| format!("index `{}`", ix.name)),
                    )
                    .collect();
                if users.is_empty() {
                    Ok(())
                } else {
                    Err(ApplyError::Invalid(format!(
                        "cannot drop column `{name}.{}`: {} still uses it",
                        c.name,
                        users.join(", ")
                    )))
                }
            }
            Op::RenameColumn {
                table: name,
                from,
                to,
            } => {
                let t = table(name)?;
                column(t, from)?;
                no_column(t, to)?;
                let what = format!("column `{name}.{from}` is renamed");
                triggers_naming(schema, Some(name), from, &what)?;
                rules_naming(schema, Some(name), from, &what)?;
                views_after_rename(
                    schema,
                    Renamed::Column {
                        table: name,
                        from,
                        to,
                    },
                )
                .map(|_| ())
            }
            Op::AlterColumn {
                table: name,
                from,
                to,
            } => {
                let t = table(name)?;
                column(t, &from.name)?;
                if from.name != to.name {
                    return Err(ApplyError::Invalid(format!(
                        "changing column `{name}.{}` cannot rename it to `{}`",
                        from.name, to.name
                    )));
                }
                check_enum_types(schema, [to])
            }
            Op::AddConstraint {
                table: name,
                constraint: c,
            } => {
                let t = table(name)?;
                if matches!(c, Constraint::PrimaryKey(_)) && t.primary_key.is_some() {
                    return Err(ApplyError::PrimaryKeyExists(name.clone()));
                }
                check_constraint(c, t)?;
                let existing = t.constraints();
                // The same unnamed check may be written twice: the database makes both.
                let twice = matches!(c, Constraint::Check(ck) if ck.name.is_none());
                if existing.contains(c) && !twice {
                    return Err(ApplyError::Invalid(format!(
                        "table `{name}` already has {}",
                        c.describe()
                    )));
                }
                if let Some(n) = c
                    .name()
                    .filter(|n| existing.iter().any(|e| e.name() == Some(n)))
                {
                    return Err(ApplyError::Invalid(format!(
                        "table `{name}` already has a constraint named `{n}`"
                    )));
                }
                Ok(())
            }
            Op::DropConstraint {
                table: name,
                constraint: c,
            } => {
                let t = table(name)?;
                if t.constraints().contains(c) {
                    Ok(())
                } else {
                    Err(ApplyError::NoSuchConstraint {
                        table: name.clone(),
                        name: c.sql_name(t),
                    })
                }
            }
            Op::RenameConstraint {
                table: name,
                from,
                to,
            } => {
                let t = table(name)?;
                let all = t.constraints();
                if !all.contains(from) {
                    return Err(ApplyError::NoSuchConstraint {
                        table: name.clone(),
                        name: from.sql_name(t),
                    });
                }
                if *from != to.with_name(from.name().map(str::to_string)) {
                    return Err(ApplyError::Invalid(format!(
                        "a rename of constraint `{}` changes more than its name",
                        from.sql_name(t)
                    )));
                }
                let new = to.sql_name(t);
                if all.iter().any(|c| c != from && (c.sql_name(t) == new)) {
                    return Err(ApplyError::Invalid(format!(
                        "table `{name}` already has a constraint named `{new}`"
                    )));
                }
                Ok(())
            }
            Op::CreateIndex(ix) => {
                if find_index(schema, &ix.name).is_some() {
                    return Err(ApplyError::IndexExists(ix.name.clone()));
                }
                // A materialized view's columns are its query's, which the model
                // does not list.
                if schema.views.get(&ix.table).is_some_and(|v| v.materialized) {
                    return Ok(());
                }
                if schema.views.contains_key(&ix.table) {
                    return Err(ApplyError::Invalid(format!(
                        "`{}` is a view: only a materialized view has indexes",
                        ix.table
                    )));
                }
                check_index_columns(ix, table(&ix.table)?)
            }
            Op::DropIndex(ix) => {
                let on_view = schema
                    .views
                    .get(&ix.table)
                    .is_some_and(|v| v.indexes.iter().any(|i| i.name == ix.name));
                match schema.table(&ix.table) {
                    Some(t) if t.indexes.iter().any(|i| i.name == ix.name) => Ok(()),
                    _ if on_view => Ok(()),
                    _ => Err(ApplyError::NoSuchIndex(ix.name.clone())),
                }
            }
            Op::AlterIndex { from, .. } => match schema.table(&from.table) {
                Some(t) if t.indexes.iter().any(|i| i.name == from.name) => Ok(()),
                _ => Err(ApplyError::NoSuchIndex(from.name.clone())),
            },
            Op::SetComment { on, .. } => {
                if schema.has_comment_target(on) {
                    Ok(())
                } else {
                    Err(ApplyError::Invalid(format!(
                        "{} does not exist to comment on",
                        on.describe()
                    )))
                }
            }
            Op::CreateEnum { name, labels } => {
                if schema.enums.contains_key(name) {
                    return Err(ApplyError::EnumExists(name.clone()));
                }
                for (i, l) in labels.iter().enumerate() {
                    if labels[..i].contains(l) {
                        return Err(ApplyError::Invalid(format!(
                            "enum type `{name}` has the value {} twice",
                            quote_label(l)
                        )));
                    }
                }
                Ok(())
            }
            Op::DropEnum { name, .. } => {
                enum_labels(name)?;
                let users = schema.enum_users(name);
                if users.is_empty() {
                    return Ok(());
                }
                let users: Vec<String> = users.iter().map(|(t, c)| format!("`{t}.{c}`")).collect();
                Err(ApplyError::Invalid(format!(
                    "cannot drop enum type `{name}`: column {} still uses it",
                    users.join(", ")
                )))
            }
            Op::AddEnumValue {
                name,
                value,
                position,
            } => {
                let labels = enum_labels(name)?;
                if labels.contains(value) {
                    return Err(ApplyError::Invalid(format!(
                        "enum type `{name}` already has the value {}",
                        quote_label(value)
                    )));
                }
                match position {
                    LabelPosition::Before(n) | LabelPosition::After(n) => has_label(name, n),
                    LabelPosition::Last => Ok(()),
                }
            }
            Op::DropEnumValue { name, value, .. } => has_label(name, value),
            Op::RenameEnum { from, to } => {
                enum_labels(from)?;
                if schema.enums.contains_key(to) {
                    return Err(ApplyError::EnumExists(to.clone()));
                }
                Ok(())
            }
            Op::RenameEnumValue { name, from, to } => {
                has_label(name, from)?;
                if enum_labels(name)?.contains(to) {
                    return Err(ApplyError::Invalid(format!(
                        "enum type `{name}` already has the value {}",
                        quote_label(to)
                    )));
                }
                Ok(())
            }
            Op::CreateView(v) => {
                if schema.views.contains_key(&v.name) || schema.tables.contains_key(&v.name) {
                    return Err(ApplyError::ViewExists(v.name.clone()));
                }
                Ok(())
            }
            Op::DropView(v) | Op::ReplaceView { from: v, .. } => {
                if schema.views.contains_key(&v.name) {
                    if matches!(self, Op::DropView(_)) {
                        still_triggered(schema, &v.name, "view")?;
                        still_ruled(schema, &v.name, "view")?;
                    }
                    Ok(())
                } else {
                    Err(ApplyError::NoSuchView(v.name.clone()))
                }
            }
            Op::RenameView { from, to } => {
                if !schema.views.contains_key(from) {
                    return Err(ApplyError::NoSuchView(from.clone()));
                }
                if schema.views.contains_key(to) || schema.tables.contains_key(to) {
                    return Err(ApplyError::ViewExists(to.clone()));
                }
                rules_naming(schema, None, from, &format!("view `{from}` is renamed"))
            }
            Op::CreateExtension(e) => {
                if schema.extensions.contains_key(&e.name) {
                    return Err(ApplyError::ExtensionExists(e.name.clone()));
                }
                Ok(())
            }
            Op::DropExtension(e) => {
                if schema.extensions.contains_key(&e.name) {
                    Ok(())
                } else {
                    Err(ApplyError::NoSuchExtension(e.name.clone()))
                }
            }
            Op::CreateRoutine(r) => {
                if schema.routines.contains_key(&r.key()) {
                    return Err(ApplyError::RoutineExists(r.signature()));
                }
                Ok(())
            }
            Op::DropRoutine(r) | Op::ReplaceRoutine { from: r, .. } => {
                if schema.routines.contains_key(&r.key()) {
                    Ok(())
                } else {
                    Err(ApplyError::NoSuchRoutine(r.signature()))
                }
            }
            Op::CreateTrigger(t) => {
                if schema.triggers.contains_key(&t.key()) {
                    return Err(ApplyError::TriggerExists(t.name.clone()));
                }
                if !schema.tables.contains_key(&t.table) && !schema.views.contains_key(&t.table) {
                    return Err(ApplyError::NoSuchTable(t.table.clone()));
                }
                Ok(())
            }
            Op::DropTrigger(t) | Op::AlterTrigger { from: t, .. } => {
                if schema.triggers.contains_key(&t.key()) {
                    Ok(())
                } else {
                    Err(ApplyError::NoSuchTrigger(t.name.clone()))
                }
            }
            Op::CreateSequence(s) => {
                if schema.sequences.contains_key(&s.name)
                    || schema.tables.contains_key(&s.name)
                    || schema.views.contains_key(&s.name)
                {
                    return Err(ApplyError::SequenceExists(s.name.clone()));
                }
                check_owner(schema, s)
            }
            Op::DropSequence(s) => {
                if schema.sequences.contains_key(&s.name) {
                    Ok(())
                } else {
                    Err(ApplyError::NoSuchSequence(s.name.clone()))
                }
            }
            Op::AlterSequence { from, to } => {
                if !schema.sequences.contains_key(&from.name) {
                    return Err(ApplyError::NoSuchSequence(from.name.clone()));
                }
                check_owner(schema, to)
            }
            Op::RenameSequence { from, to } => {
                if !schema.sequences.contains_key(from) {
                    return Err(ApplyError::NoSuchSequence(from.clone()));
                }
                if schema.sequences.contains_key(to)
                    || schema.tables.contains_key(to)
                    || schema.views.contains_key(to)
                {
                    return Err(ApplyError::SequenceExists(to.clone()));
                }
                Ok(())
            }
            Op::SetRowSecurity { table, .. } => {
                if schema.table(table).is_none() {
                    return Err(ApplyError::NoSuchTable(table.clone()));
                }
                Ok(())
            }
            Op::CreateRule(r) => {
                if schema.table(&r.table).is_none() && !schema.views.contains_key(&r.table) {
                    return Err(ApplyError::NoSuchTable(r.table.clone()));
                }
                if schema.rules.contains_key(&r.key()) {
                    return Err(ApplyError::Invalid(format!(
                        "rule `{}` on `{}` already exists",
                        r.name, r.table
                    )));
                }
                Ok(())
            }
            Op::DropRule(r) => {
                if !schema.rules.contains_key(&r.key()) {
                    return Err(ApplyError::Invalid(format!(
                        "rule `{}` on `{}` does not exist",
                        r.name, r.table
                    )));
                }
                Ok(())
            }
            Op::CreatePolicy(p) => {
                if schema.table(&p.table).is_none() {
                    return Err(ApplyError::NoSuchTable(p.table.clone()));
                }
                if schema.policies.contains_key(&p.key()) {
                    return Err(ApplyError::Invalid(format!(
                        "policy `{}` on `{}` already exists",
                        p.name, p.table
                    )));
                }
                Ok(())
            }
            Op::DropPolicy(p) => {
                if !schema.policies.contains_key(&p.key()) {
                    return Err(ApplyError::Invalid(format!(
                        "policy `{}` on `{}` does not exist",
                        p.name, p.table
                    )));
                }
                Ok(())
            }
            Op::RenameTrigger { table, from, to } => {
                if schema.trigger(Some(table), from).is_none() {
                    return Err(ApplyError::NoSuchTrigger(trigger_named(Some(table), from)));
                }
                if schema.trigger(Some(table), to).is_some() {
                    return Err(ApplyError::TriggerExists(trigger_named(Some(table), to)));
                }
                Ok(())
            }
            Op::CreateType(t) => {
                let name = t.name();
                if schema.domains.contains_key(name)
                    || schema.enums.contains_key(name)
                    || schema.types.contains_key(name)
                {
                    return Err(ApplyError::DomainExists(name.to_string()));
                }
                if let UserType::Composite(c) = t {
                    for (i, a) in c.attributes.iter().enumerate() {
                        if c.attributes[..i].iter().any(|b| b.name == a.name) {
                            return Err(ApplyError::Invalid(format!(
                                "composite type `{name}` has the attribute `{}` twice",
                                a.name
                            )));
                        }
                    }
                }
                Ok(())
            }
            Op::DropType(t) => {
                if !schema.types.contains_key(t.name()) {
                    return Err(ApplyError::NoSuchType(t.name().to_string()));
                }
                let users = schema.type_users(t.name());
                if !users.is_empty() {
                    return Err(ApplyError::Invalid(format!(
                        "{} `{}` is still used by {}",
                        t.kind_word(),
                        t.name(),
                        users.join(", ")
                    )));
                }
                Ok(())
            }
            Op::AlterComposite { from, .. } => match schema.types.get(&from.name) {
                Some(UserType::Composite(_)) => Ok(()),
                _ => Err(ApplyError::NoSuchType(from.name.clone())),
            },
            Op::CreateDomain(d) => {
                if schema.domains.contains_key(&d.name)
                    || schema.enums.contains_key(&d.name)
                    || schema.types.contains_key(&d.name)
                {
                    return Err(ApplyError::DomainExists(d.name.clone()));
                }
                Ok(())
            }
            Op::DropDomain(d) | Op::AlterDomain { from: d, .. } => {
                if schema.domains.contains_key(&d.name) {
                    Ok(())
                } else {
                    Err(ApplyError::NoSuchDomain(d.name.clone()))
                }
            }
        }
    }

    /// Carries out an op that [`Op::check`] accepted. Never panics: a missing object
    /// makes the step a no-op.
    fn mutate(&self, schema: &mut Schema) {
        match self {
            Op::CreateTable(t) => {
                let mut t = t.clone();
                t.normalize();
                schema.tables.insert(t.name.clone(), t);
            }
            Op::DropTable(t) => {
                schema.tables.remove(&t.name);
                schema.row_security.remove(&t.name);
                schema.policies.retain(|_, p| p.table != t.name);
                schema.rules.retain(|_, r| r.table != t.name);
            }
            Op::RenameTable { from, to } => {
                if let Some(rs) = schema.row_security.remove(from) {
                    schema.row_security.insert(to.clone(), rs);
                }
                for p in schema.policies.values_mut().filter(|p| p.table == *from) {
                    p.table = to.clone();
                }
                schema.rekey_policies();
                for r in schema.rules.values_mut().filter(|r| r.table == *from) {
                    r.table = to.clone();
                }
                schema.rekey_rules();
                let views = views_after_rename(schema, Renamed::Table { from, to });
                if let Some(mut t) = schema.tables.remove(from) {
                    t.name = to.clone();
                    for ix in &mut t.indexes {
                        ix.table = to.clone();
                    }
                    schema.tables.insert(to.clone(), t);
                }
                // Both databases keep a trigger on a renamed table.
                follow_in_triggers(schema, None, from, to);
                for s in schema.sequences.values_mut() {
                    if let Some((t, _)) = &mut s.owned_by
                        && t == from
                    {
                        *t = to.clone();
                    }
                }
                for tr in schema.triggers.values_mut().filter(|tr| tr.table == *from) {
                    tr.table = to.clone();
                }
                schema.rekey_triggers();
                // Like SQLite (3.26+) and PostgreSQL, references follow the table.
                for t in schema.tables.values_mut() {
                    let mut touched = false;
                    for fk in t.foreign_keys.iter_mut().filter(|fk| fk.ref_table == *from) {
                        fk.ref_table = to.clone();
                        touched = true;
                    }
                    // So do a partitioned table's partitions.
                    if let Some(of) = t
                        .options
                        .partition_of
                        .as_mut()
                        .filter(|of| of.parent == *from)
                    {
                        of.parent = to.clone();
                    }
                    if touched {
                        t.normalize();
                    }
                }
                keep_views(schema, views);
            }
            Op::AlterTableOptions { table, to, .. } => {
                if let Some(mut t) = schema.tables.get_mut(table) {
                    t.options = to.clone();
                }
            }
            Op::AddColumn { table, column } => {
                if let Some(mut t) = schema.tables.get_mut(table) {
                    t.columns.push(column.clone());
                    t.normalize();
                }
            }
            Op::DropColumn { table, column } => {
                if let Some(mut t) = schema.tables.get_mut(table) {
                    t.columns.retain(|c| c.name != column.name);
                    let prefix = crate::model::column_part_prefix(&column.name);
                    t.unmodeled.retain(|u| !u.starts_with(&prefix));
                    t.normalize();
                }
            }
            Op::RenameColumn { table, from, to } => {
                let views = views_after_rename(schema, Renamed::Column { table, from, to });
                follow_in_triggers(schema, Some(table), from, to);
                for s in schema.sequences.values_mut() {
                    if let Some((t, c)) = &mut s.owned_by
                        && t == table
                        && c == from
                    {
                        *c = to.clone();
                    }
                }
                // PostgreSQL keeps a policy's expressions as trees: they follow.
                for p in schema.policies.values_mut().filter(|p| p.table == *table) {
                    for e in [&mut p.using, &mut p.check].into_iter().flatten() {
                        *e = replace_word(e, from, to);
                    }
                }
                if let Some(mut t) = schema.tables.get_mut(table) {
                    for c in t.columns.iter_mut().filter(|c| c.name == *from) {
                        c.name = to.clone();
                    }
                    let (old, new) = (
                        crate::model::column_part_prefix(from),
                        crate::model::column_part_prefix(to),
                    );
                    for u in &mut t.unmodeled {
                        if let Some(rest) = u.strip_prefix(&old) {
                            *u = format!("{new}{rest}");
                        }
                    }
                    if let Some(pk) = &mut t.primary_key {
                        rename_in_list(&mut pk.columns, from, to);
                    }
                    for u in &mut t.uniques {
                        rename_in_list(&mut u.columns, from, to);
                    }
                    for fk in &mut t.foreign_keys {
                        rename_in_list(&mut fk.columns, from, to);
                    }
                    for ck in &mut t.checks {
                        ck.expr = replace_word(&ck.expr, from, to);
                    }
                    for x in &mut t.exclusions {
                        x.rename_column(from, to);
                    }
                    // A generated column's expression follows the rename, as the
                    // databases rewrite it.
                    for g in t.columns.iter_mut().filter_map(|c| c.generated.as_mut()) {
                        g.expr = replace_word(&g.expr, from, to);
                    }
                    for ix in &mut t.indexes {
                        for e in &mut ix.columns {
                            *e = rename_in_entry(e, from, to);
                        }
                        rename_in_list(&mut ix.include, from, to);
                        if let Some(p) = &mut ix.predicate {
                            *p = replace_word(p, from, to);
                        }
                    }
                    t.normalize();
                }
                // References to the column follow it, self-references included.
                for t in schema.tables.values_mut() {
                    let mut touched = false;
                    for fk in t
                        .foreign_keys
                        .iter_mut()
                        .filter(|fk| fk.ref_table == *table)
                    {
                        if fk.ref_columns.iter().any(|c| c == from) {
                            rename_in_list(&mut fk.ref_columns, from, to);
                            touched = true;
                        }
                    }
                    if touched {
                        t.normalize();
                    }
                }
                keep_views(schema, views);
            }
            Op::AlterColumn { table, to, .. } => {
                if let Some(mut t) = schema.tables.get_mut(table) {
                    for c in t.columns.iter_mut().filter(|c| c.name == to.name) {
                        *c = to.clone();
                    }
                    t.normalize();
                }
            }
            Op::AddConstraint { table, constraint } => {
                if let Some(mut t) = schema.tables.get_mut(table) {
                    match constraint.clone() {
                        Constraint::PrimaryKey(pk) => t.primary_key = Some(pk),
                        Constraint::Unique(u) => t.uniques.push(u),
                        Constraint::ForeignKey(fk) => t.foreign_keys.push(fk),
                        Constraint::Check(ck) => t.checks.push(ck),
                        Constraint::Exclusion(x) => t.exclusions.push(x),
                    }
                    t.normalize();
                }
            }
            Op::DropConstraint { table, constraint } => {
                if let Some(mut t) = schema.tables.get_mut(table) {
                    match constraint {
                        Constraint::PrimaryKey(pk) => {
                            if t.primary_key.as_ref() == Some(pk) {
                                t.primary_key = None;
                            }
                        }
                        Constraint::Unique(u) => t.uniques.retain(|x| x != u),
                        Constraint::ForeignKey(fk) => t.foreign_keys.retain(|x| x != fk),
                        // One of two same checks goes, the other stays.
                        Constraint::Check(ck) => {
                            if let Some(i) = t.checks.iter().position(|x| x == ck) {
                                t.checks.remove(i);
                            }
                        }
                        Constraint::Exclusion(ex) => t.exclusions.retain(|x| x != ex),
                    }
                    t.normalize();
                }
            }
            Op::RenameConstraint { table, from, to } => {
                Op::DropConstraint {
                    table: table.clone(),
                    constraint: from.clone(),
                }
                .mutate(schema);
                Op::AddConstraint {
                    table: table.clone(),
                    constraint: to.clone(),
                }
                .mutate(schema);
            }
            Op::CreateIndex(ix) => {
                if let Some(mut t) = schema.tables.get_mut(&ix.table) {
                    t.indexes.push(ix.clone());
                    t.normalize();
                } else if let Some(v) = schema.views.get_mut(&ix.table) {
                    v.indexes.push(ix.clone());
                    v.indexes.sort();
                }
            }
            Op::SetComment { on, to, .. } => match to {
                Some(text) => {
                    schema.comments.insert(on.clone(), text.clone());
                }
                None => {
                    schema.comments.remove(on);
                }
            },
            Op::DropIndex(ix) => {
                if let Some(v) = schema.views.get_mut(&ix.table) {
                    v.indexes.retain(|i| i.name != ix.name);
                }
                if let Some(mut t) = schema.tables.get_mut(&ix.table) {
                    t.indexes.retain(|i| i.name != ix.name);
                    t.normalize();
                }
            }
            Op::AlterIndex { from, to } => {
                if let Some(mut t) = schema.tables.get_mut(&from.table)
                    && let Some(ix) = t.indexes.iter_mut().find(|i| i.name == from.name)
                {
                    ix.hidden = to.hidden.clone();
                }
            }
            Op::CreateEnum { name, labels } => {
                schema.enums.insert(name.clone(), labels.clone());
            }
            Op::DropEnum { name, .. } => {
                schema.enums.remove(name);
            }
            Op::AddEnumValue {
                name,
                value,
                position,
            } => {
                if let Some(labels) = schema.enums.get_mut(name) {
                    let at = match position {
                        LabelPosition::Last => None,
                        LabelPosition::Before(n) => labels.iter().position(|l| l == n),
                        LabelPosition::After(n) => {
                            labels.iter().position(|l| l == n).map(|i| i + 1)
                        }
                    };
                    labels.insert(at.unwrap_or(labels.len()), value.clone());
                }
            }
            Op::DropEnumValue { name, value, .. } => {
                if let Some(labels) = schema.enums.get_mut(name) {
                    labels.retain(|l| l != value);
                }
            }
            Op::RenameEnum { from, to } => {
                if let Some(labels) = schema.enums.remove(from) {
                    schema.enums.insert(to.clone(), labels);
                }
                for col in schema.tables.values_mut().flat_map(|t| &mut t.columns) {
                    match &col.ty {
                        ColumnType::Enum(n) if n == from => col.ty = ColumnType::Enum(to.clone()),
                        ColumnType::EnumArray(n) if n == from => {
                            col.ty = ColumnType::EnumArray(to.clone())
                        }
                        _ => {}
                    }
                }
            }
            Op::RenameEnumValue { name, from, to } => {
                if let Some(labels) = schema.enums.get_mut(name) {
                    for l in labels.iter_mut().filter(|l| *l == from) {
                        *l = to.clone();
                    }
                }
                let (old, new) = (quote_label(from), quote_label(to));
                for col in schema.tables.values_mut().flat_map(|t| &mut t.columns) {
                    match &col.ty {
                        ColumnType::Enum(n)
                            if n == name && col.default.as_deref() == Some(old.as_str()) =>
                        {
                            col.default = Some(new.clone());
                        }
                        ColumnType::EnumArray(n) if n == name => {
                            if let Some(d) = col.default.as_deref()
                                && let Some(renamed) = rename_in_array_literal(d, from, to)
                            {
                                col.default = Some(renamed);
                            }
                        }
                        _ => {}
                    }
                }
            }
            Op::CreateView(v) | Op::ReplaceView { to: v, .. } => {
                schema.views.insert(v.name.clone(), v.clone());
            }
            Op::DropView(v) => {
                schema.views.remove(&v.name);
                schema.rules.retain(|_, r| r.table != v.name);
            }
            Op::RenameView { from, to } => {
                if let Some(mut v) = schema.views.remove(from) {
                    v.name.clone_from(to);
                    // A materialized view's indexes stay its own.
                    for ix in &mut v.indexes {
                        ix.table.clone_from(to);
                    }
                    schema.views.insert(to.clone(), v);
                }
                for tr in schema.triggers.values_mut().filter(|tr| tr.table == *from) {
                    tr.table = to.clone();
                }
                schema.rekey_triggers();
                for r in schema.rules.values_mut().filter(|r| r.table == *from) {
                    r.table = to.clone();
                }
                schema.rekey_rules();
            }
            Op::CreateTrigger(t) | Op::AlterTrigger { to: t, .. } => {
                schema.triggers.insert(t.key(), t.clone());
            }
            Op::DropTrigger(t) => {
                schema.triggers.remove(&t.key());
            }
            Op::SetRowSecurity { table, to, .. } => {
                if *to == RowSecurity::default() {
                    schema.row_security.remove(table);
                } else {
                    schema.row_security.insert(table.clone(), *to);
                }
            }
            Op::CreateRule(r) => {
                schema.rules.insert(r.key(), r.clone());
            }
            Op::DropRule(r) => {
                schema.rules.remove(&r.key());
            }
            Op::CreatePolicy(p) => {
                schema.policies.insert(p.key(), p.clone());
            }
            Op::DropPolicy(p) => {
                schema.policies.remove(&p.key());
            }
            Op::RenameTrigger { table, from, to } => {
                if let Some(mut t) = schema.triggers.remove(&trigger_key(Some(table), from)) {
                    t.name.clone_from(to);
                    schema.triggers.insert(t.key(), t);
                }
            }
            Op::CreateDomain(d) | Op::AlterDomain { to: d, .. } => {
                schema.domains.insert(d.name.clone(), d.clone());
            }
            Op::CreateSequence(s) | Op::AlterSequence { to: s, .. } => {
                schema.sequences.insert(s.name.clone(), s.clone());
            }
            Op::DropSequence(s) => {
                schema.sequences.remove(&s.name);
            }
            Op::RenameSequence { from, to } => {
                if let Some(mut s) = schema.sequences.remove(from) {
                    s.name = to.clone();
                    schema.sequences.insert(to.clone(), s);
                }
                let (old, new) = (
                    crate::model::nextval_default(from),
                    crate::model::nextval_default(to),
                );
                for t in schema.tables.values_mut() {
                    for c in &mut t.columns {
                        if c.default.as_deref() == Some(old.as_str()) {
                            c.default = Some(new.clone());
                        }
                    }
                }
            }
            Op::CreateType(t) => {
                schema.types.insert(t.name().to_string(), t.clone());
            }
            Op::AlterComposite { to, .. } => {
                schema
                    .types
                    .insert(to.name.clone(), UserType::Composite(to.clone()));
            }
            Op::DropType(t) => {
                schema.types.remove(t.name());
            }
            Op::DropDomain(d) => {
                schema.domains.remove(&d.name);
            }
            Op::CreateExtension(e) => {
                schema.extensions.insert(e.name.clone(), e.clone());
            }
            Op::DropExtension(e) => {
                schema.extensions.remove(&e.name);
            }
            Op::CreateRoutine(r) => {
                schema.routines.insert(r.key(), r.clone());
            }
            Op::ReplaceRoutine { from, to } => {
                schema.routines.remove(&from.key());
                schema.routines.insert(to.key(), to.clone());
            }
            Op::DropRoutine(r) => {
                schema.routines.remove(&r.key());
            }
        }
    }

    /// The ops that undo `ops`: each one's inverse, last first, except that columns
    /// dropped from a table one after the other come back in the order the table had
    /// them (their inverses are independent), not reversed, generated columns last.
    pub fn invert_all(ops: &[Op]) -> Vec<Op> {
        let mut out: Vec<Op> = ops.iter().rev().map(Op::invert).collect();
        let mut i = 0;
        while i < out.len() {
            let Op::AddColumn { table, .. } = &out[i] else {
                i += 1;
                continue;
            };
            let table = table.clone();
            let run = out[i..]
                .iter()
                .take_while(|op| matches!(op, Op::AddColumn { table: t, .. } if *t == table))
                .count();
            // The diff drops generated columns first, last first, so that their
            // inverses add them after the plain columns they read, in order.
            let (generated, mut plain): (Vec<Op>, Vec<Op>) = out.drain(i..i + run).partition(
                |op| matches!(op, Op::AddColumn { column, .. } if column.generated.is_some()),
            );
            plain.reverse();
            out.splice(i..i, plain.into_iter().chain(generated));
            i += run;
        }
        out
    }

    /// The op that undoes this one.
    pub fn invert(&self) -> Op {
        match self.clone() {
            Op::CreateTable(t) => Op::DropTable(t),
            Op::DropTable(t) => Op::CreateTable(t),
            Op::RenameTable { from, to } => Op::RenameTable { from: to, to: from },
            Op::AddColumn { table, column } => Op::DropColumn { table, column },
            Op::DropColumn { table, column } => Op::AddColumn { table, column },
            Op::RenameColumn { table, from, to } => Op::RenameColumn {
                table,
                from: to,
                to: from,
            },
            Op::AlterColumn { table, from, to } => Op::AlterColumn {
                table,
                from: to,
                to: from,
            },
            Op::AddConstraint { table, constraint } => Op::DropConstraint { table, constraint },
            Op::DropConstraint { table, constraint } => Op::AddConstraint { table, constraint },
            Op::RenameConstraint { table, from, to } => Op::RenameConstraint {
                table,
                from: to,
                to: from,
            },
            Op::CreateIndex(ix) => Op::DropIndex(ix),
            Op::DropIndex(ix) => Op::CreateIndex(ix),
            Op::AlterIndex { from, to } => Op::AlterIndex { from: to, to: from },
            Op::AlterTableOptions {
                table,
                from,
                to,
                columns,
            } => Op::AlterTableOptions {
                table,
                from: to,
                to: from,
                columns,
            },
            Op::CreateEnum { name, labels } => Op::DropEnum { name, labels },
            Op::DropEnum { name, labels } => Op::CreateEnum { name, labels },
            Op::AddEnumValue {
                name,
                value,
                position,
            } => Op::DropEnumValue {
                name,
                value,
                position,
            },
            Op::DropEnumValue {
                name,
                value,
                position,
            } => Op::AddEnumValue {
                name,
                value,
                position,
            },
            Op::RenameEnum { from, to } => Op::RenameEnum { from: to, to: from },
            Op::RenameEnumValue { name, from, to } => Op::RenameEnumValue {
                name,
                from: to,
                to: from,
            },
            Op::CreateView(v) => Op::DropView(v),
            Op::DropView(v) => Op::CreateView(v),
            Op::ReplaceView { from, to } => Op::ReplaceView { from: to, to: from },
            Op::RenameView { from, to } => Op::RenameView { from: to, to: from },
            Op::CreateExtension(e) => Op::DropExtension(e),
            Op::DropExtension(e) => Op::CreateExtension(e),
            Op::CreateRoutine(r) => Op::DropRoutine(r),
            Op::DropRoutine(r) => Op::CreateRoutine(r),
            Op::ReplaceRoutine { from, to } => Op::ReplaceRoutine { from: to, to: from },
            Op::CreateTrigger(t) => Op::DropTrigger(t),
            Op::DropTrigger(t) => Op::CreateTrigger(t),
            Op::AlterTrigger { from, to } => Op::AlterTrigger { from: to, to: from },
            Op::SetRowSecurity { table, from, to } => Op::SetRowSecurity {
                table,
                from: to,
                to: from,
            },
            Op::CreateRule(r) => Op::DropRule(r),
            Op::DropRule(r) => Op::CreateRule(r),
            Op::CreatePolicy(p) => Op::DropPolicy(p),
            Op::DropPolicy(p) => Op::CreatePolicy(p),
            Op::RenameTrigger { table, from, to } => Op::RenameTrigger {
                table,
                from: to,
                to: from,
            },
            Op::CreateType(t) => Op::DropType(t),
            Op::DropType(t) => Op::CreateType(t),
            Op::AlterComposite { from, to } => Op::AlterComposite { from: to, to: from },
            Op::CreateDomain(d) => Op::DropDomain(d),
            Op::DropDomain(d) => Op::CreateDomain(d),
            Op::AlterDomain { from, to } => Op::AlterDomain { from: to, to: from },
            Op::CreateSequence(s) => Op::DropSequence(s),
            Op::DropSequence(s) => Op::CreateSequence(s),
            Op::AlterSequence { from, to } => Op::AlterSequence { from: to, to: from },
            Op::RenameSequence { from, to } => Op::RenameSequence { from: to, to: from },
            Op::SetComment { on, from, to } => Op::SetComment {
                on,
                from: to,
                to: from,
            },
        }
    }

    /// The table the op concerns (for a rename, its old name); empty for an op on an
    /// enum type, which concerns no table of its own.
    pub fn table(&self) -> &str {
        match self {
            Op::CreateTable(t) | Op::DropTable(t) => &t.name,
            Op::RenameTable { from, .. } => from,
            Op::AddColumn { table, .. }
            | Op::DropColumn { table, .. }
            | Op::RenameColumn { table, .. }
            | Op::AlterColumn { table, .. }
            | Op::AlterTableOptions { table, .. }
            | Op::AddConstraint { table, .. }
            | Op::DropConstraint { table, .. }
            | Op::RenameConstraint { table, .. } => table,
            Op::CreateIndex(ix) | Op::DropIndex(ix) | Op::AlterIndex { from: ix, .. } => &ix.table,
            Op::CreateEnum { .. }
            | Op::DropEnum { .. }
            | Op::AddEnumValue { .. }
            | Op::DropEnumValue { .. }
            | Op::RenameEnum { .. }
            | Op::RenameEnumValue { .. }
            | Op::CreateView(_)
            | Op::DropView(_)
            | Op::ReplaceView { .. }
            | Op::RenameView { .. }
            | Op::CreateExtension(_)
            | Op::DropExtension(_)
            | Op::CreateRoutine(_)
            | Op::DropRoutine(_)
            | Op::ReplaceRoutine { .. }
            | Op::CreateTrigger(_)
            | Op::DropTrigger(_)
            | Op::AlterTrigger { .. }
            | Op::RenameTrigger { .. }
            | Op::SetRowSecurity { .. }
            | Op::CreatePolicy(_)
            | Op::DropPolicy(_)
            | Op::CreateRule(_)
            | Op::DropRule(_)
            | Op::CreateDomain(_)
            | Op::DropDomain(_)
            | Op::AlterDomain { .. }
            | Op::CreateType(_)
            | Op::DropType(_)
            | Op::AlterComposite { .. }
            | Op::CreateSequence(_)
            | Op::DropSequence(_)
            | Op::AlterSequence { .. }
            | Op::RenameSequence { .. } => "",
            Op::SetComment { on, .. } => on.owner().unwrap_or(""),
        }
    }

    /// One line saying what the op does, for `migrate` output:
    /// ``added column `t.c` (VARCHAR NOT NULL)``.
    pub fn describe(&self) -> String {
        match self {
            Op::CreateTable(t) => format!("added table `{}`", t.name),
            Op::DropTable(t) => format!("removed table `{}`", t.name),
            Op::RenameTable { from, to } => format!("renamed table `{from}` to `{to}`"),
            Op::AddColumn { table, column } => {
                format!(
                    "added column `{table}.{}` ({})",
                    column.name,
                    column_summary(column)
                )
            }
            Op::DropColumn { table, column } => format!("removed column `{table}.{}`", column.name),
            Op::RenameColumn { table, from, to } => {
                format!("renamed column `{table}.{from}` to `{to}`")
            }
            Op::AlterColumn { table, from, to } => {
                format!(
                    "changed column `{table}.{}`: {}",
                    from.name,
                    column_changes(from, to)
                )
            }
            Op::AddConstraint { table, constraint } => {
                format!("added {}", constraint_phrase(table, constraint))
            }
            Op::DropConstraint { table, constraint } => {
                format!("removed {}", constraint_phrase(table, constraint))
            }
            Op::RenameConstraint { table, from, to } => {
                let name = |c: &Constraint| match c.name() {
                    Some(n) => format!("`{n}`"),
                    None => "its default name".to_string(),
                };
                format!("renamed {} to {}", constraint_phrase(table, from), name(to))
            }
            Op::CreateIndex(ix) => format!("added {}", index_phrase(ix)),
            Op::DropIndex(ix) => format!("removed {}", index_phrase(ix)),
            Op::AlterIndex { from, to } => format!(
                "changed index `{}` on `{}`: {} -> {}",
                from.name,
                from.table,
                from.hidden.as_deref().unwrap_or("visible"),
                to.hidden.as_deref().unwrap_or("visible")
            ),
            Op::AlterTableOptions {
                table, from, to, ..
            } => {
                format!("changed table `{table}`: {}", option_changes(from, to))
            }
            Op::CreateEnum { name, labels } => {
                format!("added enum type `{name}` {}", label_list(labels))
            }
            Op::DropEnum { name, labels } => {
                format!("removed enum type `{name}` {}", label_list(labels))
            }
            Op::AddEnumValue {
                name,
                value,
                position,
            } => {
                let at = match position {
                    LabelPosition::Last => String::new(),
                    LabelPosition::Before(n) => format!(" before {}", quote_label(n)),
                    LabelPosition::After(n) => format!(" after {}", quote_label(n)),
                };
                format!(
                    "added value {} to enum type `{name}`{at}",
                    quote_label(value)
                )
            }
            Op::DropEnumValue { name, value, .. } => format!(
                "removed value {} from enum type `{name}`",
                quote_label(value)
            ),
            Op::RenameEnum { from, to } => format!("renamed enum type `{from}` to `{to}`"),
            Op::RenameEnumValue { name, from, to } => format!(
                "renamed value {} of enum type `{name}` to {}",
                quote_label(from),
                quote_label(to)
            ),
            Op::CreateView(v) => format!("added {} `{}`", v.kind_word(), v.name),
            Op::DropView(v) => format!("removed {} `{}`", v.kind_word(), v.name),
            Op::ReplaceView { from, to } if from == to => {
                format!("made view `{}` again", to.name)
            }
            Op::ReplaceView { to, .. } => format!("changed {} `{}`", to.kind_word(), to.name),
            Op::RenameView { from, to } => format!("renamed view `{from}` to `{to}`"),
            Op::CreateExtension(e) => format!("added extension `{}`", e.name),
            Op::DropExtension(e) => format!("removed extension `{}`", e.name),
            Op::CreateRoutine(r) => format!("added {} `{}`", r.kind.word(), r.signature()),
            Op::DropRoutine(r) => format!("removed {} `{}`", r.kind.word(), r.signature()),
            Op::ReplaceRoutine { to, .. } => {
                format!("changed {} `{}`", to.kind.word(), to.signature())
            }
            Op::CreateTrigger(t) => format!("added trigger `{}` on `{}`", t.name, t.table),
            Op::DropTrigger(t) => format!("removed trigger `{}` on `{}`", t.name, t.table),
            Op::AlterTrigger { to, .. } => format!(
                "changed trigger `{}` on `{}`: {}",
                to.name,
                to.table,
                to.state
                    .clause()
                    .to_lowercase()
                    .replace("enable", "enabled")
                    .replace("disable", "disabled")
            ),
            Op::RenameTrigger { table, from, to } => {
                format!("renamed trigger `{from}` on `{table}` to `{to}`")
            }
            Op::SetRowSecurity { table, to, .. } => format!(
                "changed table `{table}`: row-level security {}{}",
                if to.enabled { "enabled" } else { "disabled" },
                if to.forced { ", forced" } else { "" }
            ),
            Op::CreateRule(r) => format!("added rule `{}` on `{}`", r.name, r.table),
            Op::DropRule(r) => format!("removed rule `{}` on `{}`", r.name, r.table),
            Op::CreatePolicy(p) => format!("added policy `{}` on `{}`", p.name, p.table),
            Op::DropPolicy(p) => format!("removed policy `{}` on `{}`", p.name, p.table),
            Op::CreateType(t) => format!("added {} `{}`", t.kind_word(), t.name()),
            Op::DropType(t) => format!("removed {} `{}`", t.kind_word(), t.name()),
            Op::AlterComposite { to, .. } => format!("changed composite type `{}`", to.name),
            Op::CreateDomain(d) => format!("added domain `{}`", d.name),
            Op::DropDomain(d) => format!("removed domain `{}`", d.name),
            Op::AlterDomain { to, .. } => format!("changed domain `{}`", to.name),
            Op::CreateSequence(s) => format!("added sequence `{}`", s.name),
            Op::DropSequence(s) => format!("removed sequence `{}`", s.name),
            Op::AlterSequence { from, to } if from.unowned() == to.unowned() => {
                let owner = |s: &Sequence| {
                    s.owned_by
                        .as_ref()
                        .map_or("none".to_string(), |(t, c)| format!("{t}.{c}"))
                };
                format!(
                    "changed the owner of sequence `{}`: {} -> {}",
                    to.name,
                    owner(from),
                    owner(to)
                )
            }
            Op::AlterSequence { to, .. } => format!("changed sequence `{}`", to.name),
            Op::RenameSequence { from, to } => {
                format!("renamed sequence `{from}` to `{to}`")
            }
            Op::SetComment {
                on, to: Some(_), ..
            } => {
                format!("set the comment on {}", on.describe())
            }
            Op::SetComment { on, to: None, .. } => {
                format!("removed the comment on {}", on.describe())
            }
        }
    }

    /// Whether the op can lose data: exactly when [`Op::data_loss`] says what it loses.
    pub fn is_destructive(&self) -> bool {
        self.data_loss().is_some()
    }

    /// What the op throws away, as a phrase for a comment in a migration file or a
    /// warning: ``drops column `t.c` and every value in it``. `None` for an op that
    /// keeps every stored value. The ops that lose data are dropping a table or a
    /// column, narrowing a column's type (see [`ColumnType::narrows_to`]), converting a
    /// column or a table's columns to another character set (MySQL) and removing
    /// a label from an enum type (stored values of it are rejected or lost, as a
    /// narrowing's are). Adding `NOT NULL` or a constraint is not among them: it fails
    /// rather than loses anything, and dropping an index, a constraint or an enum type
    /// (which no column may use then) loses no row.
    pub fn data_loss(&self) -> Option<String> {
        match self {
            Op::DropTable(t) => Some(format!("drops table `{}` and every row in it", t.name)),
            // A generated column's values are derived from the row's other columns;
            // adding the column back computes every one of them again.
            Op::DropColumn { column, .. } if column.generated.is_some() => None,
            Op::DropColumn { table, column } => Some(format!(
                "drops column `{table}.{}` and every value in it",
                column.name
            )),
            Op::AlterColumn { table, from, to } if from.ty.narrows_to(&to.ty) => Some(format!(
                "narrows column `{table}.{}` from {} to {}: values that do not fit are lost or rejected",
                from.name, from.ty, to.ty
            )),
            // MySQL converts the stored text: a character the new set lacks is lost
            // (`?`) or rejected. `utf8mb4` has every character.
            Op::AlterColumn { table, from, to }
                if converts_text(from.charset.as_deref(), to.charset.as_deref()) =>
            {
                Some(format!(
                    "converts column `{table}.{}` to character set {}: values it cannot represent are lost or rejected",
                    from.name,
                    to.charset.as_deref().unwrap_or_default()
                ))
            }
            Op::AlterTableOptions {
                table, from, to, ..
            } if converts_text(from.charset.as_deref(), to.charset.as_deref()) => Some(format!(
                "converts the text columns of table `{table}` to character set {}: values it cannot represent are lost or rejected",
                to.charset.as_deref().unwrap_or_default()
            )),
            Op::AlterComposite { from, to } => {
                let dropped: Vec<String> = from
                    .steps_to(to)
                    .into_iter()
                    .filter_map(|s| match s {
                        AttributeStep::Drop(a) => Some(format!("`{}`", a.name)),
                        _ => None,
                    })
                    .collect();
                (!dropped.is_empty()).then(|| {
                    format!(
                        "drops attribute {} of composite type `{}` and every value the columns of the type hold in it",
                        dropped.join(", "),
                        from.name
                    )
                })
            }
            Op::AlterTableOptions { .. } if self.dropped_partitions().is_some() => {
                let (table, names) = self.dropped_partitions()?;
                let list: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
                Some(format!(
                    "drops partition {} of table `{table}` and every row in it",
                    list.join(", ")
                ))
            }
            Op::DropEnumValue { name, value, .. } => Some(format!(
                "removes value {} from enum type `{name}`: stored {} values are lost or rejected",
                quote_label(value),
                quote_label(value)
            )),
            _ => None,
        }
    }
}

/// Whether text goes from character set `from` to `to`, which may not hold all of
/// it: `to` is named, differs, and is not `utf8mb4`, which has every character.
pub fn converts_text(from: Option<&str>, to: Option<&str>) -> bool {
    to.is_some_and(|to| Some(to) != from && !to.eq_ignore_ascii_case("utf8mb4"))
}

/// A label as an SQL string literal: `'it''s'`. Also the normalized text of a column
/// default that is this label.
pub(crate) fn quote_label(label: &str) -> String {
    format!("'{}'", label.replace('\'', "''"))
}

/// The array literal `literal` (`'{viewer,editor}'`, as a default) with every element
/// that is the label `from` made `to`, spelled as PostgreSQL prints an array (an
/// element in double quotes only when it needs them); `None` when `literal` is no
/// such literal or has no element `from`.
fn rename_in_array_literal(literal: &str, from: &str, to: &str) -> Option<String> {
    let text = literal
        .strip_prefix('\'')?
        .strip_suffix('\'')?
        .replace("''", "'");
    let inner = text.strip_prefix('{')?.strip_suffix('}')?;
    let mut elements = Vec::new();
    let mut chars = inner.chars().peekable();
    while chars.peek().is_some() {
        let mut element = String::new();
        let mut quoted = false;
        if chars.peek() == Some(&'"') {
            quoted = true;
            chars.next();
            loop {
                match chars.next()? {
                    '\\' => element.push(chars.next()?),
                    '"' => break,
                    c => element.push(c),
                }
            }
        } else {
            while let Some(c) = chars.peek().filter(|c| **c != ',') {
                if matches!(c, '{' | '}' | '"' | '\\') {
                    // A nested array or an escape: not a one-dimensional list of labels.
                    return None;
                }
                element.push(*c);
                chars.next();
            }
            element = element.trim().to_string();
        }
        elements.push((element, quoted));
        match chars.next() {
            None => break,
            Some(',') if chars.peek().is_some() => {}
            Some(_) => return None,
        }
    }
    // An unquoted `NULL` is no label but a null element.
    let is_from =
        |(e, quoted): &(String, bool)| e == from && (*quoted || !e.eq_ignore_ascii_case("null"));
    if !elements.iter().any(is_from) {
        return None;
    }
    let out: Vec<String> = elements
        .iter()
        .map(|el| match el {
            _ if is_from(el) => array_element(to),
            (e, true) => array_element(e),
            (e, false) => e.clone(),
        })
        .collect();
    Some(quote_label(&format!("{{{}}}", out.join(","))))
}

/// `label` as an element of an array literal, as PostgreSQL prints it: in double
/// quotes (with `"` and `\` escaped) only when it is empty, `NULL`, or has white space
/// or one of `{},"\`.
fn array_element(label: &str) -> String {
    let plain = !label.is_empty()
        && !label.eq_ignore_ascii_case("null")
        && !label
            .chars()
            .any(|c| matches!(c, '{' | '}' | ',' | '"' | '\\') || c.is_whitespace());
    if plain {
        label.to_string()
    } else {
        format!("\"{}\"", label.replace('\\', "\\\\").replace('"', "\\\""))
    }
}

/// `('a', 'b')`.
fn label_list(labels: &[String]) -> String {
    let quoted: Vec<String> = labels.iter().map(|l| quote_label(l)).collect();
    format!("({})", quoted.join(", "))
}

/// Checks that every enum type among the types of `columns` is in `schema`.
fn check_enum_types<'a>(
    schema: &Schema,
    columns: impl IntoIterator<Item = &'a Column>,
) -> Result<(), ApplyError> {
    for c in columns {
        if let Some(name) = c.ty.enum_name()
            && !schema.enums.contains_key(name)
        {
            return Err(ApplyError::NoSuchEnum(name.to_string()));
        }
    }
    Ok(())
}

/// A column's type and attributes: `VARCHAR NOT NULL DEFAULT 'x'`.
pub(crate) fn column_summary(c: &Column) -> String {
    let mut s = c.ty.to_string();
    if !c.nullable {
        s.push_str(" NOT NULL");
    }
    if let Some(d) = &c.default {
        s.push_str(&format!(" DEFAULT {d}"));
    }
    if let Some(cs) = &c.charset {
        s.push_str(&format!(" CHARACTER SET {cs}"));
    }
    if let Some(coll) = &c.collation {
        s.push_str(&format!(" COLLATE {coll}"));
    }
    if let Some(e) = &c.on_update {
        s.push_str(&format!(" ON UPDATE {e}"));
    }
    if let Some(g) = &c.generated {
        s.push(' ');
        s.push_str(&g.clause());
    }
    if c.invisible {
        s.push_str(" INVISIBLE");
    }
    if c.auto_increment {
        s.push_str(if c.generated_always {
            " GENERATED ALWAYS AS IDENTITY"
        } else {
            " AUTOINCREMENT"
        });
    }
    s
}

/// What differs between two versions of a column, e.g.
/// `type INTEGER -> BIGINT, now NOT NULL, default none -> 0`.
fn column_changes(from: &Column, to: &Column) -> String {
    let opt = |v: &Option<String>| v.clone().unwrap_or_else(|| "none".to_string());
    let mut parts = Vec::new();
    if from.ty != to.ty {
        parts.push(format!("type {} -> {}", from.ty, to.ty));
    }
    if from.nullable != to.nullable {
        parts.push(
            if to.nullable {
                "now nullable"
            } else {
                "now NOT NULL"
            }
            .to_string(),
        );
    }
    if from.default != to.default {
        parts.push(format!(
            "default {} -> {}",
            opt(&from.default),
            opt(&to.default)
        ));
    }
    if from.charset != to.charset {
        parts.push(format!(
            "character set {} -> {}",
            opt(&from.charset),
            opt(&to.charset)
        ));
    }
    if from.collation != to.collation {
        parts.push(format!(
            "collation {} -> {}",
            opt(&from.collation),
            opt(&to.collation)
        ));
    }
    if from.comment != to.comment {
        parts.push("comment".to_string());
    }
    if from.generated != to.generated {
        let clause = |g: &Option<Generated>| g.as_ref().map_or("none".into(), Generated::clause);
        parts.push(format!(
            "generated {} -> {}",
            clause(&from.generated),
            clause(&to.generated)
        ));
    }
    if from.on_update != to.on_update {
        parts.push(format!(
            "on update {} -> {}",
            opt(&from.on_update),
            opt(&to.on_update)
        ));
    }
    if from.invisible != to.invisible {
        parts.push(
            if to.invisible {
                "now INVISIBLE"
            } else {
                "now visible"
            }
            .to_string(),
        );
    }
    if from.auto_increment != to.auto_increment {
        parts.push(
            if to.auto_increment {
                "now AUTOINCREMENT"
            } else {
                "no longer AUTOINCREMENT"
            }
            .to_string(),
        );
    }
    if from.generated_always != to.generated_always && from.auto_increment && to.auto_increment {
        parts.push(
            if to.generated_always {
                "now GENERATED ALWAYS"
            } else {
                "now GENERATED BY DEFAULT"
            }
            .to_string(),
        );
    }
    if parts.is_empty() {
        "unchanged".to_string()
    } else {
        parts.join(", ")
    }
}

/// What differs between two versions of a table's options, e.g.
/// `character set latin1 -> utf8mb4, comment`.
fn option_changes(from: &TableOptions, to: &TableOptions) -> String {
    let opt = |v: &Option<String>| v.clone().unwrap_or_else(|| "default".to_string());
    let mut parts = Vec::new();
    for (what, a, b) in [
        ("character set", &from.charset, &to.charset),
        ("collation", &from.collation, &to.collation),
        ("engine", &from.engine, &to.engine),
    ] {
        if a != b {
            parts.push(format!("{what} {} -> {}", opt(a), opt(b)));
        }
    }
    if from.comment != to.comment {
        parts.push("comment".to_string());
    }
    if from.storage != to.storage {
        let list = |s: &[String]| format!("({})", s.join(", "));
        parts.push(format!(
            "storage parameters {} -> {}",
            list(&from.storage),
            list(&to.storage)
        ));
    }
    if from.mysql != to.mysql {
        let list = |s: &[String]| {
            if s.is_empty() {
                "default".to_string()
            } else {
                s.join(" ")
            }
        };
        parts.push(format!(
            "table options {} -> {}",
            list(&from.mysql),
            list(&to.mysql)
        ));
    }
    if from.partition_by != to.partition_by {
        parts.push(format!(
            "partition key {} -> {}",
            from.partition_by.as_deref().unwrap_or("none"),
            to.partition_by.as_deref().unwrap_or("none")
        ));
    }
    if from.mysql_partitioning != to.mysql_partitioning {
        let of = |p: &Option<MysqlPartitioning>| {
            p.as_ref().map_or_else(
                || "none".to_string(),
                |p| {
                    let names: Vec<String> = p
                        .partitions
                        .iter()
                        .map(|q| match &q.values {
                            Some(v) => format!("{} {v}", q.name),
                            None => q.name.clone(),
                        })
                        .collect();
                    match p.count {
                        Some(n) => format!("{} ({}) {n} partitions", p.method, p.expr),
                        None => format!("{} ({}) [{}]", p.method, p.expr, names.join(", ")),
                    }
                },
            )
        };
        parts.push(format!(
            "partitioning {} -> {}",
            of(&from.mysql_partitioning),
            of(&to.mysql_partitioning)
        ));
    }
    if from.partition_of != to.partition_of {
        let of = |o: &Option<crate::model::PartitionOf>| {
            o.as_ref().map_or_else(
                || "no partition".to_string(),
                |o| format!("partition of `{}` {}", o.parent, o.bound),
            )
        };
        parts.push(format!(
            "{} -> {}",
            of(&from.partition_of),
            of(&to.partition_of)
        ));
    }
    if parts.is_empty() {
        "unchanged".to_string()
    } else {
        parts.join(", ")
    }
}

/// `unique constraint `uq` on `t` (a, b)`, `foreign key on `t` (x) -> p (id)`.
fn constraint_phrase(table: &str, c: &Constraint) -> String {
    let kind = match c {
        Constraint::PrimaryKey(_) => "primary key",
        Constraint::Unique(_) => "unique constraint",
        Constraint::ForeignKey(_) => "foreign key",
        Constraint::Check(_) => "check constraint",
        Constraint::Exclusion(_) => "exclusion constraint",
    };
    // `describe` gives `<kind words> <details>`; keep the details (an exclusion's
    // method among them).
    let described = c.describe();
    let details = match c {
        Constraint::Exclusion(_) => described.strip_prefix("exclude ").unwrap_or(&described),
        _ => described
            .find('(')
            .map_or(described.as_str(), |at| &described[at..]),
    };
    match c.name() {
        Some(n) => format!("{kind} `{n}` on `{table}` {details}"),
        None => format!("{kind} on `{table}` {details}"),
    }
}

/// `unique index `ix` on `t` [using gin ](a, b)[ include (c)][ nulls not distinct][ with
/// (fillfactor=70)] where p`.
fn index_phrase(ix: &Index) -> String {
    let unique = if ix.unique { "unique " } else { "" };
    let method = ix
        .method
        .as_deref()
        .map_or(String::new(), |m| format!("using {m} "));
    let mut s = format!(
        "{unique}index `{}` on `{}` {method}({})",
        ix.name,
        ix.table,
        ix.columns.join(", ")
    );
    if !ix.include.is_empty() {
        s.push_str(&format!(" include ({})", ix.include.join(", ")));
    }
    if ix.nulls_not_distinct {
        s.push_str(" nulls not distinct");
    }
    if !ix.storage.is_empty() {
        s.push_str(&format!(" with ({})", ix.storage.join(", ")));
    }
    if let Some(p) = &ix.predicate {
        s.push_str(&format!(" where {p}"));
    }
    if let Some(h) = &ix.hidden {
        s.push_str(&format!(" {}", h.to_ascii_lowercase()));
    }
    if let Some(c) = &ix.comment {
        s.push_str(&format!(" comment '{c}'"));
    }
    s
}

#[cfg(test)]
mod tests;

/// A trigger's name for messages: with its table where names are per table.
fn trigger_named(table: Option<&str>, name: &str) -> String {
    match table {
        Some(table) => format!("{name}` on `{table}"),
        None => name.to_string(),
    }
}

/// Refuses a rename of table `from` (`table` `None`) or of column `from` of `table`
/// while a rule's condition or commands name it: PostgreSQL rewrites a rule's stored
/// commands on a rename, and the model keeps them as text. A migration drops the
/// rule before and makes it again after (as `migrate` writes it).
fn rules_naming(
    schema: &Schema,
    table: Option<&str>,
    from: &str,
    what: &str,
) -> Result<(), ApplyError> {
    let hit = schema
        .rules
        .values()
        .find(|r| r.mentions(from) && table.is_none_or(|t| r.table == t || r.mentions(t)));
    match hit {
        Some(r) => Err(ApplyError::Invalid(format!(
            "{what} while rule `{}` on `{}` names it, and the model does not rewrite a \
             rule's commands: drop the rule before the rename and make it again after",
            r.name, r.table
        ))),
        None => Ok(()),
    }
}

/// The ops that drop the rules on the table or view `name`, before it goes (they go
/// with it), so that the inverse makes them again after it.
fn rules_on(schema: &Schema, name: &str) -> Vec<Op> {
    schema
        .rules
        .values()
        .filter(|r| r.table == name)
        .map(|r| Op::DropRule(r.clone()))
        .collect()
}

/// The ops that take table `name`'s policies and row-level security away, before a
/// `DROP TABLE`, so that the inverse gives them back after the table.
pub(crate) fn table_security_ops(schema: &Schema, name: &str) -> Vec<Op> {
    let mut out: Vec<Op> = schema
        .policies
        .values()
        .filter(|p| p.table == name)
        .map(|p| Op::DropPolicy(p.clone()))
        .collect();
    if let Some(rs) = schema.row_security.get(name) {
        out.push(Op::SetRowSecurity {
            table: name.to_string(),
            from: *rs,
            to: RowSecurity::default(),
        });
    }
    out
}
