//! The schema model: what a database's tables look like, independent of any dialect.
//!
//! Everything here is plain data with value equality, so two schemas (parsed from
//! `schema.sql`, replayed from migrations, or introspected from a database) can be
//! compared with `==` and diffed.

use crate::tables::Tables;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

/// A whole schema: tables and enum types by name. A `BTreeMap` keeps every walk over
/// it sorted, which keeps generated output deterministic.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Schema {
    /// The tables by name, with their index names looked up without a walk
    /// ([`Tables::find_index`]).
    pub tables: Tables,
    /// Enum types (PostgreSQL `CREATE TYPE name AS ENUM (...)`): name to labels, in
    /// their order. Columns refer to one with [`ColumnType::Enum`]. Only PostgreSQL
    /// has them; the other backends report none (see their `canonical`).
    pub enums: BTreeMap<String, Vec<String>>,
    /// Views by name (`CREATE VIEW`), compared by their normalized query
    /// ([`View::normalized`]).
    pub views: BTreeMap<String, View>,
    /// PostgreSQL functions and procedures by signature ([`Routine::signature`]:
    /// `name(integer, text)`), so that overloads are distinct.
    pub routines: BTreeMap<String, Routine>,
    /// Extensions by name (PostgreSQL `CREATE EXTENSION`). Only PostgreSQL has them;
    /// the other backends refuse to make one.
    pub extensions: BTreeMap<String, Extension>,
    /// Triggers by [`Trigger::key`] (`CREATE TRIGGER`): SQLite's and MySQL's by name,
    /// PostgreSQL's by table and name (two tables may have triggers of one name),
    /// compared by their normalized text ([`Trigger::normalized`]).
    pub triggers: BTreeMap<String, Trigger>,
    /// Domains by name (PostgreSQL `CREATE DOMAIN`): a base type with a default, `NOT
    /// NULL` and checks. A column of a domain's type keeps the domain's name as its
    /// type ([`ColumnType::Custom`]). Only PostgreSQL has them; the other backends
    /// refuse to make one.
    pub domains: BTreeMap<String, Domain>,
    /// Sequences of their own by name (PostgreSQL `CREATE SEQUENCE`): not a serial
    /// column's (which is the column's `SERIAL` type) nor an identity's. A column
    /// drawing from one says so in its default (`nextval('s'::regclass)`). Only
    /// PostgreSQL has them here; the other backends refuse to make one. The value a
    /// sequence is at is data, not schema: the model does not hold it.
    pub sequences: BTreeMap<String, Sequence>,
    /// PostgreSQL row-level security by table: only the tables that enable or force
    /// it (`ALTER TABLE t ENABLE | FORCE ROW LEVEL SECURITY`).
    pub row_security: BTreeMap<String, RowSecurity>,
    /// PostgreSQL row-level security policies by [`policy_key`] (a policy's name is
    /// its table's own).
    pub policies: BTreeMap<String, Policy>,
    /// PostgreSQL rules by [`rule_key`] (`CREATE RULE name AS ON event TO table ...`;
    /// a rule's name is its table's own), compared by their normalized text.
    pub rules: BTreeMap<String, Rule>,
    /// PostgreSQL composite and range types by name (`CREATE TYPE name AS (...)`,
    /// `CREATE TYPE name AS RANGE (...)`). A column of one keeps the type's name as its
    /// type ([`ColumnType::Custom`]), as a domain's does. Only PostgreSQL has them; the
    /// other backends refuse to make one.
    pub types: BTreeMap<String, UserType>,
    /// PostgreSQL comments (`COMMENT ON`) on what is not a table or a table's column
    /// (those are [`TableOptions::comment`] and [`Column::comment`]), by what they
    /// are on. A comment belongs to its object: an op that drops the object drops
    /// the comment ([`Schema::prune_comments`]), a rename carries it along, and the
    /// diff writes it again when the object is made again.
    pub comments: BTreeMap<CommentOn, String>,
}

/// What a PostgreSQL `COMMENT ON` names, other than a table or a table's column:
/// the key of a comment in [`Schema::comments`].
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum CommentOn {
    /// `COMMENT ON VIEW v`.
    View(String),
    /// `COMMENT ON MATERIALIZED VIEW v`.
    MaterializedView(String),
    /// `COMMENT ON COLUMN v.c` of a view or materialized view.
    ViewColumn { view: String, column: String },
    /// `COMMENT ON INDEX i`, of a table or of a materialized view.
    Index(String),
    /// `COMMENT ON SEQUENCE s`, a sequence of its own.
    Sequence(String),
    /// `COMMENT ON TYPE e`, an enum type.
    Type(String),
    /// `COMMENT ON DOMAIN d`.
    Domain(String),
    /// `COMMENT ON FUNCTION f(types)` or `PROCEDURE`: the routine's key in
    /// [`Schema::routines`] ([`Routine::key`]).
    Routine { kind: RoutineKind, key: String },
    /// `COMMENT ON TRIGGER name ON table`.
    Trigger { table: String, name: String },
    /// `COMMENT ON CONSTRAINT name ON table`: the constraint's name as PostgreSQL
    /// knows it ([`Constraint::sql_name`]).
    Constraint { table: String, name: String },
    /// `COMMENT ON CONSTRAINT name ON DOMAIN d`: a check of the domain.
    DomainConstraint { domain: String, name: String },
    /// `COMMENT ON POLICY name ON table`.
    Policy { table: String, name: String },
    /// `COMMENT ON EXTENSION e`.
    Extension(String),
    /// `COMMENT ON SCHEMA s` of the schema the application lives in.
    Schema,
}

impl CommentOn {
    /// The object as `COMMENT ON` names it, unquoted, for messages: `view v`,
    /// `constraint k on t`, `function f(integer)`.
    pub fn describe(&self) -> String {
        match self {
            CommentOn::View(v) => format!("view `{v}`"),
            CommentOn::MaterializedView(v) => format!("materialized view `{v}`"),
            CommentOn::ViewColumn { view, column } => format!("column `{view}.{column}`"),
            CommentOn::Index(i) => format!("index `{i}`"),
            CommentOn::Sequence(s) => format!("sequence `{s}`"),
            CommentOn::Type(t) => format!("type `{t}`"),
            CommentOn::Domain(d) => format!("domain `{d}`"),
            CommentOn::Routine { kind, key } => format!("{} `{key}`", kind.word()),
            CommentOn::Trigger { table, name } => format!("trigger `{name}` on `{table}`"),
            CommentOn::Constraint { table, name } => {
                format!("constraint `{name}` on `{table}`")
            }
            CommentOn::DomainConstraint { domain, name } => {
                format!("constraint `{name}` on domain `{domain}`")
            }
            CommentOn::Policy { table, name } => format!("policy `{name}` on `{table}`"),
            CommentOn::Extension(e) => format!("extension `{e}`"),
            CommentOn::Schema => "the schema".to_string(),
        }
    }

    /// The table, view or domain the object belongs to, if it is not one of its own.
    pub fn owner(&self) -> Option<&str> {
        match self {
            CommentOn::ViewColumn { view: t, .. }
            | CommentOn::Trigger { table: t, .. }
            | CommentOn::Constraint { table: t, .. }
            | CommentOn::Policy { table: t, .. }
            | CommentOn::DomainConstraint { domain: t, .. } => Some(t),
            _ => None,
        }
    }
}

/// A PostgreSQL sequence of its own (`CREATE SEQUENCE name [AS type] [INCREMENT BY n]
/// [MINVALUE n] [MAXVALUE n] [START WITH n] [CACHE n] [CYCLE]`, and `ALTER SEQUENCE
/// ... OWNED BY table.column`), every option resolved to the value PostgreSQL gives it
/// (as `pg_sequences` reports it), so that a sequence written with fewer options
/// compares equal to the database's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sequence {
    pub name: String,
    /// `SMALLINT`, `INTEGER` or `BIGINT` (the default).
    pub data_type: ColumnType,
    pub increment: i64,
    pub min: i64,
    pub max: i64,
    pub start: i64,
    pub cache: i64,
    pub cycle: bool,
    /// The column that owns it (`OWNED BY table.column`): dropping the column or its
    /// table drops the sequence.
    pub owned_by: Option<(String, String)>,
}

/// The name PostgreSQL gives the sequence of `column` of `table` when none is said and
/// no other relation has it: `table_column_seq`, the two names shortened (the longer
/// first, a byte at a time) so that the whole fits in 63 bytes, as its
/// `makeObjectName` does.
pub fn serial_sequence_name(table: &str, column: &str) -> String {
    const MAX: usize = 63;
    let available = MAX - "seq".len() - 2;
    let (mut a, mut b) = (table.len(), column.len());
    while a + b > available {
        if a > b {
            a -= 1;
        } else {
            b -= 1;
        }
    }
    let clip = |s: &str, n: usize| {
        let mut n = n.min(s.len());
        while !s.is_char_boundary(n) {
            n -= 1;
        }
        s[..n].to_string()
    };
    format!("{}_{}_seq", clip(table, a), clip(column, b))
}

/// The default of a column drawing from sequence `name`, as the model keeps it (and
/// PostgreSQL prints it): `nextval('name'::regclass)`, the name quoted inside the
/// literal when it needs quotes.
pub fn nextval_default(name: &str) -> String {
    let inner = if is_plain_ident(name) && name.chars().all(|c| !c.is_ascii_uppercase()) {
        name.to_string()
    } else {
        format!("\"{}\"", name.replace('"', "\"\""))
    };
    format!("nextval('{}'::regclass)", inner.replace('\'', "''"))
}

/// The options a `CREATE SEQUENCE` or `ALTER SEQUENCE` writes, each `None` when not
/// written.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SequenceOptions {
    pub data_type: Option<ColumnType>,
    pub increment: Option<i64>,
    /// `MINVALUE n` (`Some(Some(n))`) or `NO MINVALUE` (`Some(None)`).
    pub min: Option<Option<i64>>,
    /// `MAXVALUE n` or `NO MAXVALUE`.
    pub max: Option<Option<i64>>,
    pub start: Option<i64>,
    pub cache: Option<i64>,
    pub cycle: Option<bool>,
    /// `OWNED BY table.column` (`Some(Some(..))`) or `OWNED BY NONE` (`Some(None)`).
    pub owned_by: Option<Option<(String, String)>>,
}

impl Sequence {
    /// The range of a sequence's type (`BIGINT`'s for any other).
    fn type_range(ty: &ColumnType) -> (i64, i64) {
        match ty {
            ColumnType::SmallInt => (i64::from(i16::MIN), i64::from(i16::MAX)),
            ColumnType::Integer => (i64::from(i32::MIN), i64::from(i32::MAX)),
            _ => (i64::MIN, i64::MAX),
        }
    }

    /// The sequence `CREATE SEQUENCE name options` makes, as PostgreSQL resolves the
    /// options it does not write; an error names what PostgreSQL refuses.
    pub fn create(name: &str, options: &SequenceOptions) -> Result<Sequence, String> {
        let base = Sequence {
            name: name.to_string(),
            data_type: ColumnType::BigInt,
            increment: 1,
            min: 1,
            max: i64::MAX,
            start: 1,
            cache: 1,
            cycle: false,
            owned_by: None,
        };
        base.with(options, true)
    }

    /// This sequence after `ALTER SEQUENCE name options`.
    pub fn altered(&self, options: &SequenceOptions) -> Result<Sequence, String> {
        self.with(options, false)
    }

    fn with(&self, o: &SequenceOptions, create: bool) -> Result<Sequence, String> {
        let mut s = self.clone();
        if let Some(ty) = &o.data_type {
            if !matches!(
                ty,
                ColumnType::SmallInt | ColumnType::Integer | ColumnType::BigInt
            ) {
                return Err(format!(
                    "sequence `{}`: a sequence's type is smallint, integer or bigint",
                    self.name
                ));
            }
            // As PostgreSQL does: a bound at the old type's limit follows the type.
            let (old_min, old_max) = Self::type_range(&self.data_type);
            let (new_min, new_max) = Self::type_range(ty);
            if !create {
                if s.min == old_min {
                    s.min = new_min;
                }
                if s.max == old_max {
                    s.max = new_max;
                }
            }
            s.data_type = ty.clone();
        }
        if let Some(i) = o.increment {
            if i == 0 {
                return Err(format!(
                    "sequence `{}`: INCREMENT must not be zero",
                    self.name
                ));
            }
            s.increment = i;
        }
        let (type_min, type_max) = Self::type_range(&s.data_type);
        let ascending = s.increment > 0;
        match o.min {
            Some(Some(n)) => s.min = n,
            Some(None) => s.min = if ascending { 1 } else { type_min },
            None if create => s.min = if ascending { 1 } else { type_min },
            None => {}
        }
        match o.max {
            Some(Some(n)) => s.max = n,
            Some(None) => s.max = if ascending { type_max } else { -1 },
            None if create => s.max = if ascending { type_max } else { -1 },
            None => {}
        }
        match o.start {
            Some(n) => s.start = n,
            None if create => s.start = if ascending { s.min } else { s.max },
            None => {}
        }
        if let Some(c) = o.cache {
            s.cache = c;
        }
        if let Some(c) = o.cycle {
            s.cycle = c;
        }
        if let Some(owner) = &o.owned_by {
            s.owned_by = owner.clone();
        }
        let name = &self.name;
        if s.min < type_min || s.max > type_max {
            return Err(format!(
                "sequence `{name}`: MINVALUE ({}) and MAXVALUE ({}) must be within its type",
                s.min, s.max
            ));
        }
        if s.min >= s.max {
            return Err(format!(
                "sequence `{name}`: MINVALUE ({}) must be less than MAXVALUE ({})",
                s.min, s.max
            ));
        }
        if s.start < s.min || s.start > s.max {
            return Err(format!(
                "sequence `{name}`: START value ({}) must be between MINVALUE ({}) and \
                 MAXVALUE ({})",
                s.start, s.min, s.max
            ));
        }
        if s.cache < 1 {
            return Err(format!(
                "sequence `{name}`: CACHE ({}) must be at least 1",
                s.cache
            ));
        }
        Ok(s)
    }

    /// The options that make this sequence from nothing, each written only when it
    /// is not what PostgreSQL would choose by itself (the owner is not among them).
    pub fn create_options(&self) -> SequenceOptions {
        let plain = Sequence::create(
            &self.name,
            &SequenceOptions {
                data_type: Some(self.data_type.clone()),
                increment: Some(self.increment),
                ..SequenceOptions::default()
            },
        )
        .ok();
        let mut o = self.options_from(plain.as_ref());
        // `AS` and `INCREMENT BY` shape the others' defaults: written unless plain.
        o.data_type = (self.data_type != ColumnType::BigInt).then(|| self.data_type.clone());
        o.increment = (self.increment != 1).then_some(self.increment);
        o.owned_by = None;
        o
    }

    /// The options that change `from` into this sequence by `ALTER SEQUENCE`: each
    /// that differs, and both bounds whenever the type changes (PostgreSQL moves a
    /// bound at the old type's limit to the new one's otherwise). The owner is not
    /// among them.
    pub fn alter_options(&self, from: &Sequence) -> SequenceOptions {
        let mut o = self.options_from(Some(from));
        o.data_type = (self.data_type != from.data_type).then(|| self.data_type.clone());
        o.increment = (self.increment != from.increment).then_some(self.increment);
        if o.data_type.is_some() {
            o.min = Some(Some(self.min));
            o.max = Some(Some(self.max));
        }
        o.owned_by = None;
        o
    }

    fn options_from(&self, base: Option<&Sequence>) -> SequenceOptions {
        let differs = |f: fn(&Sequence) -> i64| base.is_none_or(|b| f(b) != f(self));
        SequenceOptions {
            data_type: None,
            increment: None,
            min: differs(|s| s.min).then_some(Some(self.min)),
            max: differs(|s| s.max).then_some(Some(self.max)),
            start: differs(|s| s.start).then_some(self.start),
            cache: differs(|s| s.cache).then_some(self.cache),
            cycle: base
                .is_none_or(|b| b.cycle != self.cycle)
                .then_some(self.cycle),
            owned_by: None,
        }
    }

    /// Whether this is what `SERIAL` makes for `column` of `table`, of integer type
    /// `ty`: its default name ([`serial_sequence_name`]), owned by the column, the
    /// options PostgreSQL chooses for the type.
    pub fn is_serial_of(&self, table: &str, column: &str, ty: &ColumnType) -> bool {
        let plain = SequenceOptions {
            data_type: Some(ty.clone()),
            ..SequenceOptions::default()
        };
        self.name == serial_sequence_name(table, column)
            && self.owned_by_column(table, Some(column))
            && Sequence::create(&self.name, &plain).is_ok_and(|p| p == self.unowned())
    }

    /// This sequence without its owner.
    pub fn unowned(&self) -> Sequence {
        Sequence {
            owned_by: None,
            ..self.clone()
        }
    }

    /// Whether it is owned by `column` of `table` (any column when `None`).
    pub fn owned_by_column(&self, table: &str, column: Option<&str>) -> bool {
        self.owned_by
            .as_ref()
            .is_some_and(|(t, c)| t == table && column.is_none_or(|col| col == c))
    }
}

/// Whether a PostgreSQL table applies its policies (`relrowsecurity`), and to its
/// owner too (`relforcerowsecurity`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RowSecurity {
    pub enabled: bool,
    pub forced: bool,
}

/// A PostgreSQL row-level security policy (`CREATE POLICY name ON table [AS
/// PERMISSIVE | RESTRICTIVE] [FOR command] [TO roles] [USING (e)] [WITH CHECK
/// (e)]`). The roles are the cluster's: kept as written, never made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Policy {
    pub name: String,
    pub table: String,
    /// `AS PERMISSIVE` (the default), else `AS RESTRICTIVE`.
    pub permissive: bool,
    /// `ALL` (the default), `SELECT`, `INSERT`, `UPDATE` or `DELETE`.
    pub command: String,
    /// The roles of `TO`, sorted, each as an identifier is written (lower case
    /// unless quoted); `public` when none is named.
    pub roles: Vec<String>,
    /// The `USING` expression, normalized.
    pub using: Option<String>,
    /// The `WITH CHECK` expression, normalized.
    pub check: Option<String>,
}

/// The key of policy `name` of `table` in [`Schema::policies`].
pub fn policy_key(table: &str, name: &str) -> String {
    format!("{table}\u{0}{name}")
}

impl Policy {
    /// The key of the policy in [`Schema::policies`].
    pub fn key(&self) -> String {
        policy_key(&self.table, &self.name)
    }

    /// Whether the policy's expressions name `word` (a column).
    pub fn mentions(&self, word: &str) -> bool {
        [&self.using, &self.check]
            .into_iter()
            .flatten()
            .any(|e| names_word(e, word))
    }
}

/// A PostgreSQL rule (`CREATE RULE name AS ON {INSERT | UPDATE | DELETE} TO table
/// [WHERE condition] DO [ALSO | INSTEAD] {NOTHING | command | (command; ...)}`) on a
/// table or view. Its condition and commands are held in one spelling, the one
/// PostgreSQL prints back (`pg_get_ruledef`) as far as it can be told without a
/// database (see the `sql` crate's `rule` module), and made from it. `ON SELECT`
/// rules (old-style views) are not modeled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rule {
    pub name: String,
    /// The table or view the rule is on.
    pub table: String,
    /// `INSERT`, `UPDATE` or `DELETE`.
    pub event: String,
    /// `DO INSTEAD`; else `DO ALSO` (the default).
    pub instead: bool,
    /// The `WHERE` condition, normalized.
    pub condition: Option<String>,
    /// The commands, each normalized, in order; none for `DO NOTHING`.
    pub commands: Vec<String>,
}

/// The key of rule `name` of `table` in [`Schema::rules`].
pub fn rule_key(table: &str, name: &str) -> String {
    format!("{table}\u{0}{name}")
}

impl Rule {
    /// The key of the rule in [`Schema::rules`].
    pub fn key(&self) -> String {
        rule_key(&self.table, &self.name)
    }

    /// Whether the rule's condition or commands name `word` (a table, view, column or
    /// function), bare ignoring ASCII case or quoted exactly, outside string
    /// literals: more than the rule reads (a name is not tied to its table), never
    /// less.
    pub fn mentions(&self, word: &str) -> bool {
        self.condition
            .iter()
            .chain(&self.commands)
            .any(|e| names_word(e, word))
    }

    /// What the rule does after `DO`: `INSTEAD NOTHING`, `command`, `(command;
    /// command)`.
    pub fn action(&self) -> String {
        let what = match self.commands.as_slice() {
            [] => "NOTHING".to_string(),
            [one] => one.clone(),
            many => format!("({})", many.join("; ")),
        };
        if self.instead {
            format!("INSTEAD {what}")
        } else {
            what
        }
    }
}

/// A PostgreSQL composite or range type ([`Schema::types`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UserType {
    Composite(Composite),
    Range(Range),
}

impl UserType {
    pub fn name(&self) -> &str {
        match self {
            UserType::Composite(c) => &c.name,
            UserType::Range(r) => &r.name,
        }
    }

    /// `composite type` or `range type`, for messages.
    pub fn kind_word(&self) -> &'static str {
        match self {
            UserType::Composite(_) => "composite type",
            UserType::Range(_) => "range type",
        }
    }

    /// The types it is made of: its attributes' types, or its subtype.
    pub fn parts(&self) -> Vec<&ColumnType> {
        match self {
            UserType::Composite(c) => c.attributes.iter().map(|a| &a.ty).collect(),
            UserType::Range(r) => vec![&r.subtype],
        }
    }
}

/// A PostgreSQL composite type (`CREATE TYPE name AS (attr type [COLLATE c], ...)`):
/// its attributes in their order, which a row value (`ROW('x', 5)`) follows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Composite {
    pub name: String,
    pub attributes: Vec<Attribute>,
}

impl Composite {
    /// The attribute called `name`, if any.
    pub fn attribute(&self, name: &str) -> Option<&Attribute> {
        self.attributes.iter().find(|a| a.name == name)
    }

    /// The `ALTER TYPE` steps that make this type `to`, attributes in `to`'s order:
    /// `ADD ATTRIBUTE` can only append, so the attributes kept are the longest run of
    /// this type's (those `to` has, in order) that starts `to`; the others are dropped
    /// (with what they hold), and `to`'s attributes after the run added. Drops first,
    /// then type changes of kept attributes, then adds.
    pub fn steps_to(&self, to: &Composite) -> Vec<AttributeStep> {
        let staying: Vec<&Attribute> = self
            .attributes
            .iter()
            .filter(|a| to.attribute(&a.name).is_some())
            .collect();
        let kept = staying
            .iter()
            .zip(&to.attributes)
            .take_while(|(a, b)| a.name == b.name)
            .count();
        let mut out: Vec<AttributeStep> = self
            .attributes
            .iter()
            .filter(|a| !staying[..kept].iter().any(|k| k.name == a.name))
            .map(|a| AttributeStep::Drop(a.clone()))
            .collect();
        for (a, b) in staying[..kept].iter().zip(&to.attributes) {
            if *a != b {
                out.push(AttributeStep::Alter(b.clone()));
            }
        }
        out.extend(
            to.attributes[kept..]
                .iter()
                .cloned()
                .map(AttributeStep::Add),
        );
        out
    }
}

/// One `ALTER TYPE` action on a composite type ([`Composite::steps_to`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AttributeStep {
    /// `DROP ATTRIBUTE`, with the attribute as it was.
    Drop(Attribute),
    /// `ALTER ATTRIBUTE name TYPE t [COLLATE c]`, with the attribute as it becomes.
    Alter(Attribute),
    /// `ADD ATTRIBUTE`.
    Add(Attribute),
}

/// An attribute of a [`Composite`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attribute {
    pub name: String,
    /// In the model's type spelling.
    pub ty: ColumnType,
    /// `COLLATE`, as a domain's: only one other than its type's own.
    pub collation: Option<String>,
}

/// A PostgreSQL range type (`CREATE TYPE name AS RANGE (SUBTYPE = t, ...)`), every
/// option as PostgreSQL resolves it: the operator class and collation only when they
/// are not the subtype's default ones, the multirange type's name always (the one
/// PostgreSQL makes up when none is written, [`Range::default_multirange`]). A
/// `CANONICAL` function is not modeled: it needs a shell type and a C function made
/// before the range type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Range {
    pub name: String,
    /// In the model's type spelling.
    pub subtype: ColumnType,
    /// `SUBTYPE_OPCLASS`, unqualified, when it is not the subtype's default B-tree one.
    pub opclass: Option<String>,
    /// `COLLATION`, when it is not the subtype's own.
    pub collation: Option<String>,
    /// `SUBTYPE_DIFF`, the function's name (qualified only outside `pg_catalog` and
    /// the managed schema).
    pub subtype_diff: Option<String>,
    /// `MULTIRANGE_TYPE_NAME`.
    pub multirange: String,
}

impl Range {
    /// The multirange type's name PostgreSQL makes up for range type `name`: `multi`
    /// before its first `range` (`floatrange`, `floatmultirange`), else
    /// `name_multirange`.
    pub fn default_multirange(name: &str) -> String {
        match name.find("range") {
            Some(at) => format!("{}multi{}", &name[..at], &name[at..]),
            None => format!("{name}_multirange"),
        }
    }
}

/// A PostgreSQL domain (`CREATE DOMAIN name AS type [COLLATE c] [DEFAULT expr]
/// [NOT NULL] [CONSTRAINT n] CHECK (expr) ...`).
///
/// Its checks always carry a name: the `sql` crate gives an unnamed one the name
/// PostgreSQL gives it (`name_check`, then `name_check1`, ...), so that `ALTER DOMAIN
/// ... DROP CONSTRAINT` can name it and a database's domain compares equal. Checks
/// are sorted by name; their expressions and the default are normalized like a
/// table's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Domain {
    pub name: String,
    /// The base type, in the model's type spelling.
    pub base: ColumnType,
    /// `COLLATE`, as written (lower case unless quoted).
    pub collation: Option<String>,
    pub default: Option<String>,
    pub not_null: bool,
    pub checks: Vec<Check>,
}

impl Domain {
    /// The check called `name`, if any.
    pub fn check(&self, name: &str) -> Option<&Check> {
        self.checks.iter().find(|c| c.name.as_deref() == Some(name))
    }

    /// The name PostgreSQL gives a check of this domain that names none:
    /// `name_check`, or `name_check1`, `name_check2`, ... when the domain has a
    /// constraint of that name already; the domain's name is cut so that the whole
    /// fits in PostgreSQL's 63 bytes.
    pub fn unnamed_check_name(&self) -> String {
        (0..)
            .map(|n| {
                let suffix = if n == 0 {
                    "_check".to_string()
                } else {
                    format!("_check{n}")
                };
                let mut stem = self.name.as_str();
                while stem.len() + suffix.len() > 63 {
                    let mut cut = stem.len() - 1;
                    while !stem.is_char_boundary(cut) {
                        cut -= 1;
                    }
                    stem = &stem[..cut];
                }
                format!("{stem}{suffix}")
            })
            .find(|name| self.check(name).is_none())
            .unwrap_or_default()
    }
}

/// A PostgreSQL extension the schema needs (`CREATE EXTENSION name [WITH SCHEMA s]`).
/// An extension is the database's, not a schema's: its name is unique in the
/// database, and it puts its objects in one schema.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Extension {
    pub name: String,
    /// The schema its objects go to (`WITH SCHEMA`); `None` for the schema the
    /// application lives in, where PostgreSQL puts it when none is named.
    pub schema: Option<String>,
}

/// A PostgreSQL function or procedure, in any language: its body is kept as written.
/// The `sql` crate reads it from a `CREATE [OR REPLACE] FUNCTION | PROCEDURE` and fills
/// in the normalized parts.
///
/// Two routines are equal when their kinds, names, argument types and normalized
/// definitions are. The definition as written ([`Routine::definition`]) is what a
/// migration writes, so that a downgrade makes a dropped routine again byte for byte.
#[derive(Debug, Clone, Default)]
pub struct Routine {
    pub name: String,
    pub kind: RoutineKind,
    /// The types of the arguments that identify it (PostgreSQL's rule: every argument
    /// but a function's `OUT` ones), in one spelling (`integer`, `character
    /// varying`, no type modifiers), as `DROP FUNCTION name(types)` names it.
    pub arg_types: Vec<String>,
    /// Everything after the name, as written: the argument list, the return type,
    /// the options and the body (`(a int) RETURNS int LANGUAGE sql AS $$...$$`).
    pub definition: String,
    /// The argument list (names, modes, defaults) and the return type in one
    /// spelling: what `CREATE OR REPLACE` cannot change.
    pub head: String,
    /// The definition in one spelling (white space, case of unquoted words), for
    /// comparing; strings and bodies stay as written.
    pub normalized: String,
    /// The routine is identified by its name and kind alone, as MySQL identifies its
    /// stored routines (it has no overloading): `arg_types` is empty, the key in
    /// [`Schema::routines`] is the name and kind ([`Routine::key`]), and `DROP` names
    /// no arguments. Such a routine is MySQL's; the other databases refuse it.
    pub by_name: bool,
    /// The routines an aggregate calls (its `SFUNC`, `FINALFUNC` and the other
    /// support functions), by name, unqualified: it is made after them and dropped
    /// before them. Empty for a function or procedure.
    pub uses: Vec<String>,
}

/// Whether a [`Routine`] is a function, a procedure or a PostgreSQL aggregate.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord)]
pub enum RoutineKind {
    #[default]
    Function,
    Procedure,
    /// A `CREATE AGGREGATE`: its definition is the argument list and the options
    /// (`(text) (SFUNC = f, STYPE = text)`), its `arg_types` name it as `DROP
    /// AGGREGATE` does (`*` for none; an ordered-set aggregate's first aggregated
    /// argument starts with `ORDER BY `).
    Aggregate,
    /// A MySQL/MariaDB `CREATE EVENT`, identified by its name: its definition is the
    /// schedule, the options and the body (`ON SCHEDULE EVERY 1 DAY DO ...`), its
    /// `head` the `STARTS` time as written (empty when none is written: the server
    /// fills in the creation time, which is then not compared).
    Event,
}

impl RoutineKind {
    /// The SQL keyword: `FUNCTION` or `PROCEDURE`.
    pub fn keyword(self) -> &'static str {
        match self {
            RoutineKind::Function => "FUNCTION",
            RoutineKind::Procedure => "PROCEDURE",
            RoutineKind::Aggregate => "AGGREGATE",
            RoutineKind::Event => "EVENT",
        }
    }

    /// The word for messages: `function` or `procedure`.
    pub fn word(self) -> &'static str {
        match self {
            RoutineKind::Function => "function",
            RoutineKind::Procedure => "procedure",
            RoutineKind::Aggregate => "aggregate",
            RoutineKind::Event => "event",
        }
    }
}

impl PartialEq for Routine {
    fn eq(&self, other: &Routine) -> bool {
        self.name == other.name
            && self.kind == other.kind
            && self.arg_types == other.arg_types
            && self.normalized == other.normalized
            && self.by_name == other.by_name
            // An event's `STARTS` counts only when both sides write one: the server
            // fills in the creation time where the schema says none.
            && (self.kind != RoutineKind::Event
                || self.head.is_empty()
                || other.head.is_empty()
                || self.head == other.head)
    }
}

impl Eq for Routine {}

impl Routine {
    /// The name and argument types: `name(integer, text)`, the key in
    /// [`Schema::routines`].
    /// A MySQL routine's is its name alone ([`Routine::by_name`]).
    pub fn signature(&self) -> String {
        if self.by_name {
            return self.name.clone();
        }
        format!("{}({})", self.name, self.arg_list())
    }

    /// The argument types as a list: `integer, text`; an ordered-set aggregate's
    /// direct ones, then `ORDER BY` and the aggregated ones (`double precision ORDER
    /// BY integer`).
    pub fn arg_list(&self) -> String {
        self.arg_types
            .join(", ")
            .replace(", ORDER BY ", " ORDER BY ")
    }

    /// The key in [`Schema::routines`]: the signature, and for a routine identified
    /// by name ([`Routine::by_name`]) its name in lower case and its kind (`f
    /// function`), as MySQL's routine names ignore case and a function and a
    /// procedure may share one.
    pub fn key(&self) -> String {
        if self.by_name {
            return format!("{} {}", self.name.to_lowercase(), self.kind.word());
        }
        self.signature()
    }

    /// Whether `CREATE OR REPLACE` turns `self` into `to`: the same kind, signature,
    /// argument names, defaults and return type (PostgreSQL refuses to change those
    /// in place). Never for a MySQL routine: MySQL has no `CREATE OR REPLACE` for
    /// routines (MariaDB has), so a change is a `DROP` and a `CREATE`. An aggregate's
    /// head is its argument list, its kind (plain, ordered-set, hypothetical), its
    /// state type and final function, which make its result type: PostgreSQL 12+
    /// replaces the other options in place.
    pub fn replaceable_by(&self, to: &Routine) -> bool {
        !self.by_name
            && !to.by_name
            && self.kind == to.kind
            && self.name == to.name
            && self.arg_types == to.arg_types
            && self.head == to.head
    }

    /// `verb` (`CREATE` or `CREATE OR REPLACE`) with the routine as written, its name
    /// quoted by `quote`.
    pub fn create_sql(&self, verb: &str, quote: impl Fn(&str) -> String) -> String {
        format!(
            "{verb} {} {}{}{}",
            self.kind.keyword(),
            quote(&self.name),
            // An event's definition starts with a word (`ON SCHEDULE`), a routine's
            // with its parameter list.
            if self.kind == RoutineKind::Event {
                " "
            } else {
                ""
            },
            self.definition
        )
    }

    /// `DROP FUNCTION name(types)` (or `PROCEDURE`); `DROP FUNCTION name` for a
    /// routine identified by name.
    pub fn drop_sql(&self, quote: impl Fn(&str) -> String) -> String {
        if self.by_name {
            return format!("DROP {} {}", self.kind.keyword(), quote(&self.name));
        }
        format!(
            "DROP {} {}({})",
            self.kind.keyword(),
            quote(&self.name),
            self.arg_list()
        )
    }

    /// Whether `text` (an expression or a query) may call the routine: it names it as
    /// a word, ignoring ASCII case. Says more than it calls, never less.
    pub fn named_in(&self, text: &str) -> bool {
        let word = |c: char| c.is_alphanumeric() || c == '_' || c == '$';
        let name = self.name.to_ascii_lowercase();
        let lower = text.to_ascii_lowercase();
        lower.match_indices(&name).any(|(i, _)| {
            !lower[..i].chars().next_back().is_some_and(word)
                && !lower[i + name.len()..].chars().next().is_some_and(word)
        })
    }
}

/// A trigger: statements a table (or, in SQLite, a view) runs when its rows change.
/// The `sql` crate reads it from a `CREATE TRIGGER` and fills in its normalized form.
///
/// The model holds what the statement says after the trigger's name, as written, in
/// two parts around the table's name, so that a table renamed under the trigger moves
/// it (both databases keep a trigger on a renamed table) and a downgrade makes a
/// dropped trigger again as it was written. Two triggers are equal when their names,
/// tables and normalized texts are: `after insert` and `AFTER  INSERT` are one
/// trigger.
#[derive(Debug, Clone, Default)]
pub struct Trigger {
    pub name: String,
    /// The table (or SQLite view) the trigger is on.
    pub table: String,
    /// When it fires and on what, as written between the name and `ON`: `AFTER
    /// INSERT`, `BEFORE UPDATE OF a, b`, `INSTEAD OF DELETE`.
    pub timing: String,
    /// Everything after the table's name, as written: `FOR EACH ROW WHEN ... BEGIN
    /// ... END`, MySQL's `FOR EACH ROW SET NEW.x = 1`.
    pub body: String,
    /// The timing and the body in one spelling (keywords in upper case, one space
    /// between tokens, quotes taken off plain names), for comparing.
    pub normalized: String,
    /// The database rewrites the trigger's text when a table or column it names is
    /// renamed (SQLite 3.25+), and so does the model ([`Trigger::rename_word`]);
    /// MySQL leaves the text naming what is gone, so the model refuses such a rename
    /// while the trigger exists. Takes no part in `==`.
    pub follows_renames: bool,
    /// The function a PostgreSQL trigger runs (`EXECUTE FUNCTION f(...)`), by name,
    /// unqualified; `None` for SQLite's and MySQL's. A PostgreSQL trigger's name is
    /// its table's own ([`Trigger::key`]).
    pub function: Option<String>,
    /// `CREATE CONSTRAINT TRIGGER` (PostgreSQL).
    pub constraint: bool,
    /// Whether and when it fires (PostgreSQL's `ALTER TABLE ... ENABLE | DISABLE
    /// TRIGGER`).
    pub state: TriggerState,
}

/// Whether a PostgreSQL trigger fires (`pg_trigger.tgenabled`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord)]
pub enum TriggerState {
    /// Fires unless the session replicates (`ENABLE TRIGGER`, the default).
    #[default]
    Enabled,
    /// Never fires (`DISABLE TRIGGER`).
    Disabled,
    /// Fires only when the session replicates (`ENABLE REPLICA TRIGGER`).
    Replica,
    /// Always fires (`ENABLE ALWAYS TRIGGER`).
    Always,
}

impl TriggerState {
    /// The words of `ALTER TABLE t <words> TRIGGER name` that set the state.
    pub fn clause(self) -> &'static str {
        match self {
            TriggerState::Enabled => "ENABLE",
            TriggerState::Disabled => "DISABLE",
            TriggerState::Replica => "ENABLE REPLICA",
            TriggerState::Always => "ENABLE ALWAYS",
        }
    }

    /// The state of `pg_trigger.tgenabled` (`O`, `D`, `R`, `A`).
    pub fn from_catalog(code: &str) -> Option<TriggerState> {
        Some(match code {
            "O" => TriggerState::Enabled,
            "D" => TriggerState::Disabled,
            "R" => TriggerState::Replica,
            "A" => TriggerState::Always,
            _ => return None,
        })
    }
}

impl PartialEq for Trigger {
    fn eq(&self, other: &Trigger) -> bool {
        self.name == other.name
            && self.table == other.table
            && self.normalized == other.normalized
            && self.constraint == other.constraint
            && self.state == other.state
    }
}

impl Eq for Trigger {}

/// The key of trigger `name` in [`Schema::triggers`]: its name, or for a trigger
/// whose name is its table's own (PostgreSQL's), the table's name and its own, apart
/// by a character no name holds.
pub fn trigger_key(table: Option<&str>, name: &str) -> String {
    match table {
        Some(table) => format!("{table}\u{0}{name}"),
        None => name.to_string(),
    }
}

impl Trigger {
    /// Whether the trigger's name is its table's own (PostgreSQL), not the schema's.
    pub fn per_table(&self) -> bool {
        self.function.is_some()
    }

    /// The key of the trigger in [`Schema::triggers`] ([`trigger_key`]).
    pub fn key(&self) -> String {
        trigger_key(self.per_table().then_some(self.table.as_str()), &self.name)
    }

    /// The trigger but for its state: what only `ENABLE`/`DISABLE` can change.
    pub fn same_but_state(&self, other: &Trigger) -> bool {
        self.name == other.name
            && self.table == other.table
            && self.normalized == other.normalized
            && self.constraint == other.constraint
    }

    /// The `CREATE TRIGGER` statement, with the trigger's and the table's names quoted
    /// by `quote`.
    pub fn create_sql(&self, quote: impl Fn(&str) -> String) -> String {
        format!(
            "CREATE {}TRIGGER {} {} ON {} {}",
            if self.constraint { "CONSTRAINT " } else { "" },
            quote(&self.name),
            self.timing.trim(),
            quote(&self.table),
            self.body.trim()
        )
    }

    /// The trigger with `from` (a table or column it names) renamed to `to` in its
    /// timing, body and normalized form, as SQLite rewrites it.
    pub fn rename_word(&self, from: &str, to: &str) -> Trigger {
        Trigger {
            timing: replace_word(&self.timing, from, to),
            body: replace_word(&self.body, from, to),
            normalized: replace_word(&self.normalized, from, to),
            ..self.clone()
        }
    }

    /// Whether the trigger's timing or body names `word` (a table or a column),
    /// bare ignoring ASCII case or quoted exactly, outside string literals. It says
    /// more than the trigger reads (a name is not tied to its table), never less.
    pub fn mentions(&self, word: &str) -> bool {
        names_word(&self.timing, word) || names_word(&self.body, word)
    }
}

/// Whether `text` has the identifier `word` outside string literals (see
/// [`Trigger::mentions`]).
fn names_word(text: &str, word: &str) -> bool {
    let b = text.as_bytes();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'\'' => {
                i += 1;
                while i < b.len() {
                    if b[i] == b'\\' {
                        i += 2;
                        continue;
                    }
                    if b[i] == b'\'' {
                        break;
                    }
                    i += 1;
                }
                i += 1;
            }
            q @ (b'"' | b'`' | b'[') => {
                let close = if q == b'[' { b']' } else { q };
                let start = i + 1;
                let end = text[start..]
                    .find(close as char)
                    .map_or(b.len(), |k| start + k);
                if &text[start..end] == word {
                    return true;
                }
                i = end + 1;
            }
            c if is_ident_byte(c) => {
                let start = i;
                while i < b.len() && is_ident_byte(b[i]) {
                    i += 1;
                }
                if text[start..i].eq_ignore_ascii_case(word) {
                    return true;
                }
            }
            _ => i += 1,
        }
    }
    false
}

/// A view: a query stored under a name. The `sql` crate reads it from a `CREATE VIEW`
/// and fills in what the model cannot work out without a parser: the query's
/// normalized form, what it reads and its shape.
///
/// Two views are equal when their names, column lists, check options and normalized
/// queries are: `select a from t` and `SELECT a FROM t` are one view. The query as
/// written ([`View::definition`]) is what a migration writes, so that a downgrade
/// makes a dropped view again byte for byte.
#[derive(Debug, Clone, Default)]
pub struct View {
    pub name: String,
    /// The column names written after the view's name (`CREATE VIEW v (a, b)`);
    /// empty when none are.
    pub columns: Vec<String>,
    /// The query as written, from after `AS` to its end, without a `WITH CHECK
    /// OPTION`.
    pub definition: String,
    /// `WITH [CASCADED | LOCAL] CHECK OPTION`.
    pub check_option: Option<CheckOption>,
    /// The query in one spelling (parsed and printed again), for comparing.
    pub normalized: String,
    /// The tables and views the query reads, sorted (a CTE's name is not one).
    pub reads: Vec<String>,
    /// The column names the query mentions, sorted; with [`View::reads_all`], what it
    /// reads of each table in [`View::reads`] (a name is not tied to its table, so
    /// this says more than the query reads, never less).
    pub reads_columns: Vec<String>,
    /// The query reads every column of a table (`*`, `t.*`, `NATURAL JOIN`).
    pub reads_all: bool,
    /// The view's output, when the query is one plain `SELECT` without `*`: each
    /// output column as `expression AS name`, and the rest of the query but the
    /// select list (`FROM`, joins, ...). PostgreSQL's `CREATE OR REPLACE VIEW` keeps
    /// a view's columns and their types, so it is used only when the new view's
    /// output starts with the old one's, item for item, over the same sources.
    pub shape: Option<ViewShape>,
    /// How the view's query follows a table or column it reads being renamed, where
    /// the database rewrites its stored query (PostgreSQL, SQLite 3.25+); `None`
    /// where it does not (MySQL, which leaves the view naming what is gone) and the
    /// query stays as written. The `sql` crate, which parses queries, supplies it
    /// when it reads the view.
    pub follow_rename: Option<FollowRename>,
    /// `CREATE MATERIALIZED VIEW` (PostgreSQL): its rows are stored, and filled when
    /// it is made (`WITH [NO] DATA` is when it is filled, which is data, not schema).
    /// It has no `CREATE OR REPLACE`: a changed one is dropped and made again.
    pub materialized: bool,
    /// The indexes of a materialized view (`CREATE [UNIQUE] INDEX ... ON v`), sorted
    /// by name: made after the view, gone with it, made again with it. They take no
    /// part in `==` (a view whose indexes change is not made again: the diff
    /// compares them apart).
    pub indexes: Vec<Index>,
}

/// A table or column renamed under a view (see [`View::follow_rename`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Renamed<'a> {
    /// `ALTER TABLE from RENAME TO to`.
    Table { from: &'a str, to: &'a str },
    /// `ALTER TABLE table RENAME COLUMN from TO to`.
    Column {
        table: &'a str,
        from: &'a str,
        to: &'a str,
    },
}

/// Rewrites `view`'s query as its database does when the rename happens in `schema`
/// (the schema before the rename): the view with its query, normalized form and what
/// it reads changed, or why the rewrite cannot be told from the query's text.
pub type FollowRename = fn(&View, Renamed<'_>, &Schema) -> Result<View, String>;

/// `WITH CHECK OPTION`: `CASCADED` (the default) or `LOCAL`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CheckOption {
    Cascaded,
    Local,
}

/// See [`View::shape`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ViewShape {
    pub items: Vec<String>,
    pub sources: String,
}

impl PartialEq for View {
    fn eq(&self, other: &View) -> bool {
        self.name == other.name
            && self.columns == other.columns
            && self.check_option == other.check_option
            && self.normalized == other.normalized
            && self.materialized == other.materialized
    }
}

impl Eq for View {}

impl View {
    /// Whether the view may have an output column called `column`: one of its column
    /// list, of its shape's items, or any name when neither tells (a `*`).
    pub fn has_column(&self, column: &str) -> bool {
        if !self.columns.is_empty() {
            return self.columns.iter().any(|c| c == column);
        }
        match &self.shape {
            Some(shape) if !self.reads_all => shape.items.iter().any(|item| {
                let name = item.rsplit_once(" AS ").map_or(item.as_str(), |(_, n)| n);
                name == column || name.to_lowercase() == column
            }),
            _ => true,
        }
    }

    /// Whether the view reads `column` of `table` as far as its text tells: it reads
    /// the table and names the column, or reads all of the table's columns.
    pub fn reads_column(&self, table: &str, column: &str) -> bool {
        self.reads_table(table)
            && (self.reads_all
                || self
                    .reads_columns
                    .iter()
                    .any(|c| c.eq_ignore_ascii_case(column)))
    }

    /// Whether the view reads the table or view `name`.
    pub fn reads_table(&self, name: &str) -> bool {
        self.reads.iter().any(|r| r == name)
    }

    /// Whether PostgreSQL's `CREATE OR REPLACE VIEW` can turn `self` into `to`: both
    /// outputs are known, `to`'s starts with `self`'s over the same sources (so its
    /// first columns have the same names and types), and neither has a column list
    /// that would rename them.
    pub fn replaceable_by(&self, to: &View) -> bool {
        if self.materialized || to.materialized {
            return false;
        }
        let (Some(a), Some(b)) = (&self.shape, &to.shape) else {
            return false;
        };
        a.sources == b.sources
            && b.items.len() >= a.items.len()
            && b.items[..a.items.len()] == a.items[..]
            && self.columns.is_empty()
            && to.columns.is_empty()
    }

    /// `view`, or `materialized view`, for messages.
    pub fn kind_word(&self) -> &'static str {
        if self.materialized {
            "materialized view"
        } else {
            "view"
        }
    }

    /// `DROP VIEW name` (`DROP MATERIALIZED VIEW` for a materialized one).
    pub fn drop_sql(&self, quote: impl Fn(&str) -> String) -> String {
        let kind = if self.materialized {
            "MATERIALIZED VIEW"
        } else {
            "VIEW"
        };
        format!("DROP {kind} {}", quote(&self.name))
    }

    /// The `CREATE VIEW` statement, `create` being `CREATE` or `CREATE OR REPLACE`,
    /// with the name and column names quoted by `quote`.
    pub fn create_sql(&self, create: &str, quote: impl Fn(&str) -> String) -> String {
        let mut sql = if self.materialized {
            format!("CREATE MATERIALIZED VIEW {}", quote(&self.name))
        } else {
            format!("{create} VIEW {}", quote(&self.name))
        };
        if !self.columns.is_empty() {
            let cols: Vec<String> = self.columns.iter().map(|c| quote(c)).collect();
            sql.push_str(&format!(" ({})", cols.join(", ")));
        }
        sql.push_str(" AS ");
        sql.push_str(self.definition.trim());
        match self.check_option {
            Some(CheckOption::Cascaded) => sql.push_str(" WITH CHECK OPTION"),
            Some(CheckOption::Local) => sql.push_str(" WITH LOCAL CHECK OPTION"),
            None => {}
        }
        sql
    }
}

/// One table with its columns (in declaration order), constraints and indexes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    pub name: String,
    pub columns: Vec<Column>,
    pub primary_key: Option<PrimaryKey>,
    /// Unique constraints, sorted by columns (see [`Table::normalize`]).
    pub uniques: Vec<Unique>,
    /// Foreign keys, sorted by columns.
    pub foreign_keys: Vec<ForeignKey>,
    /// Check constraints, sorted by expression.
    pub checks: Vec<Check>,
    /// PostgreSQL's exclusion constraints (`EXCLUDE USING gist (...)`), sorted.
    /// SQLite and MySQL have none (refused by name there).
    pub exclusions: Vec<Exclusion>,
    /// Indexes created with `CREATE INDEX`, sorted by name.
    pub indexes: Vec<Index>,
    /// Table options the model knows (SQLite `WITHOUT ROWID`, `STRICT`; MySQL's
    /// character set, collation, comment and engine).
    pub options: TableOptions,
    /// Parts of the definition the model does not capture (a generated column, an
    /// unknown constraint), as found in the source. A table with any of these cannot
    /// be rebuilt from the model without losing them, so backends refuse to. A part
    /// written on a column starts `column NAME: ` (see [`Table::column_unmodeled`]).
    pub unmodeled: Vec<String>,
}

/// Options that change how a table is stored.
///
/// `charset`, `collation`, `comment` and `engine` are MySQL's (`DEFAULT CHARSET=`,
/// `COLLATE=`, `COMMENT=`, `ENGINE=`), as written, lower-cased but for the comment;
/// `None` is the database's default (an empty comment is none, and so is
/// `ENGINE=InnoDB`, MySQL's default engine and the only one the model knows). The
/// `AUTO_INCREMENT=` counter is not a part of the schema, so the model does not
/// keep it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TableOptions {
    pub without_rowid: bool,
    pub strict: bool,
    /// SQLite's rule for a primary key: its columns are `NOT NULL` only where that is
    /// written (a legacy quirk SQLite keeps: `id INT PRIMARY KEY` takes NULL keys).
    /// Set on every table read in the SQLite dialect; elsewhere (false) a primary
    /// key makes its columns `NOT NULL`, as PostgreSQL and MySQL do.
    pub nullable_key: bool,
    pub charset: Option<String>,
    pub collation: Option<String>,
    pub comment: Option<String>,
    pub engine: Option<String>,
    /// PostgreSQL's storage parameters (`WITH (fillfactor=70)`), `name=value` as
    /// `pg_class.reloptions` holds them, sorted (see `Index::storage`). SQLite and
    /// MySQL have none.
    pub storage: Vec<String>,
    /// MySQL's other table options (`ROW_FORMAT`, `KEY_BLOCK_SIZE`,
    /// `STATS_PERSISTENT`, `STATS_AUTO_RECALC`, `STATS_SAMPLE_PAGES`, `PACK_KEYS`,
    /// `CHECKSUM`, `DELAY_KEY_WRITE`), each `NAME=VALUE` with both in upper case, as
    /// `information_schema.TABLES.CREATE_OPTIONS` reports them, sorted; an option set
    /// to `DEFAULT` is absent. `AUTO_INCREMENT=n` is data, never held. SQLite and
    /// PostgreSQL have none.
    pub mysql: Vec<String>,
    /// PostgreSQL's partition key of a partitioned table, as `RANGE (created)`,
    /// `LIST (lower(code))`, `HASH (id)`: the strategy in capitals and the key as
    /// written (or as `pg_get_partkeydef` prints it, when read from a database).
    pub partition_by: Option<String>,
    /// The partitioned table this table is a partition of, and its bound.
    pub partition_of: Option<PartitionOf>,
    /// MySQL's partitioning of the table (`PARTITION BY ...` after its options): one
    /// table whose rows the server spreads over its partitions. PostgreSQL and SQLite
    /// have none of this kind.
    pub mysql_partitioning: Option<MysqlPartitioning>,
}

/// MySQL's partitioning of a table, normalized: `PARTITION BY RANGE (year(created))
/// (PARTITION p0 VALUES LESS THAN (2020), ...)`, or `PARTITION BY HASH (id)
/// PARTITIONS 4`, as a schema file writes it and as `SHOW CREATE TABLE` prints it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MysqlPartitioning {
    /// `RANGE`, `RANGE COLUMNS`, `LIST`, `LIST COLUMNS`, `HASH`, `LINEAR HASH`, `KEY`
    /// or `LINEAR KEY`.
    pub method: String,
    /// The expression of `RANGE`, `LIST` and `HASH`, normalized as a check's; the
    /// columns of `COLUMNS` and `KEY`, unquoted, joined by `, ` (empty for `KEY ()`,
    /// the primary key).
    pub expr: String,
    /// `PARTITIONS n` when the partitions are not listed (`HASH`, `KEY`); `None`
    /// when they are (a count beside a list says no more than the list).
    pub count: Option<u32>,
    /// The partitions as listed, in order.
    pub partitions: Vec<MysqlPartition>,
}

/// One listed partition of a [`MysqlPartitioning`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MysqlPartition {
    pub name: String,
    /// `LESS THAN (2020)`, `LESS THAN MAXVALUE`, `IN (1, 2)`, each value normalized;
    /// `None` for a partition of `HASH` or `KEY`.
    pub values: Option<String>,
}

impl MysqlPartitioning {
    /// Whether the partitions are of a range or a list, which MySQL adds and drops
    /// one by one (`ADD PARTITION`, `DROP PARTITION`); `HASH` and `KEY` spread rows
    /// over all of theirs.
    pub fn by_values(&self) -> bool {
        self.method.starts_with("RANGE") || self.method.starts_with("LIST")
    }

    /// Whether `to` is `self` with the same scheme and partitions, but for some
    /// listed partitions of `self` that are gone (`DROP PARTITION`, which drops the
    /// rows in them); at least one is kept, as MySQL drops no table's last partition.
    pub fn drops_to(&self, to: &MysqlPartitioning) -> Option<Vec<&MysqlPartition>> {
        if !self.same_scheme(to) || to.partitions.is_empty() {
            return None;
        }
        let (kept, gone): (Vec<&MysqlPartition>, Vec<&MysqlPartition>) =
            self.partitions.iter().partition(|p| {
                to.partitions
                    .iter()
                    .any(|q| q.name.eq_ignore_ascii_case(&p.name))
            });
        (!gone.is_empty() && kept.into_iter().eq(to.partitions.iter())).then_some(gone)
    }

    /// Whether `to` is `self` with partitions added after its last one (`ADD
    /// PARTITION`): the same scheme, and not after a range's `MAXVALUE`, which
    /// holds every value above it already.
    pub fn adds_to<'a>(&self, to: &'a MysqlPartitioning) -> Option<&'a [MysqlPartition]> {
        if !self.same_scheme(to) || self.partitions.is_empty() {
            return None;
        }
        let added = to.partitions.strip_prefix(self.partitions.as_slice())?;
        let open_ended = self
            .partitions
            .last()
            .and_then(|p| p.values.as_deref())
            .is_some_and(|v| v.contains("MAXVALUE"));
        (!added.is_empty() && !open_ended).then_some(added)
    }

    /// Same method, expression, no count on either side, partitions of values.
    fn same_scheme(&self, to: &MysqlPartitioning) -> bool {
        self.by_values()
            && (&self.method, &self.expr, self.count) == (&to.method, &to.expr, to.count)
            && self.count.is_none()
    }
}

/// Where a PostgreSQL partition sits: its partitioned table and its bound. A
/// partition's columns are its parent's ([`Schema::sync_partitions`]); its own
/// constraints and indexes are those not propagated from the parent.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct PartitionOf {
    pub parent: String,
    /// `FOR VALUES FROM ('2024-01-01') TO ('2025-01-01')`, `FOR VALUES IN (1, 2)`,
    /// `FOR VALUES WITH (MODULUS 4, REMAINDER 0)` or `DEFAULT`.
    pub bound: String,
}

/// A column. Nullability is explicit: primary-key columns are `nullable: false` unless
/// the table keeps SQLite's rule ([`TableOptions::nullable_key`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Column {
    pub name: String,
    pub ty: ColumnType,
    pub nullable: bool,
    /// The default expression, normalized SQL text (see `wildebeest_sql::normalize_expr`).
    pub default: Option<String>,
    /// The database numbers new rows: SQLite `AUTOINCREMENT`, MySQL `AUTO_INCREMENT`,
    /// PostgreSQL `GENERATED BY DEFAULT AS IDENTITY`.
    pub auto_increment: bool,
    /// With `auto_increment`, PostgreSQL's `GENERATED ALWAYS AS IDENTITY`: the
    /// database refuses a value given for the column unless the `INSERT` says
    /// `OVERRIDING SYSTEM VALUE`. SQLite and MySQL have no such column; there it is an
    /// ordinary auto-increment one.
    pub generated_always: bool,
    /// MySQL's `ON UPDATE expr` (`CURRENT_TIMESTAMP`): the value an `UPDATE` of the row
    /// sets, normalized SQL text. SQLite and PostgreSQL have no such clause.
    pub on_update: Option<String>,
    /// An explicit `COLLATE` name.
    pub collation: Option<String>,
    /// MySQL's explicit `CHARACTER SET`, lower-cased.
    pub charset: Option<String>,
    /// MySQL's `COMMENT '...'` (an empty one is none).
    pub comment: Option<String>,
    /// A generated (computed) column's expression: the database derives every value,
    /// and refuses one given in an `INSERT` or `UPDATE`.
    pub generated: Option<Generated>,
    /// MySQL's `INVISIBLE` (MySQL 8.0.23+, MariaDB 10.3+): `SELECT *` and an
    /// `INSERT` without a column list leave the column out; it is read and written
    /// when named. SQLite and PostgreSQL have no such column: a migration's is refused
    /// by name there ([`Op::mysql_only_part`](crate::Op::mysql_only_part)).
    pub invisible: bool,
    /// SQLite's declared type as written (see [`Declared`]); no part of `==`.
    pub declared: Declared,
    /// The default as the file wrote it, where a backend's comparison form rewrote
    /// `default` (see [`Written`]); no part of `==`.
    pub default_written: Written,
}

/// A column's type exactly as a SQLite `CREATE TABLE` or `ALTER TABLE` wrote it
/// (`decimal( 5 ,2 )`, `Nvarchar(40)`), which SQLite stores verbatim and reports in
/// `PRAGMA table_info`: the `sql` crate fills it when it reads SQLite's dialect, and
/// SQLite's renderer writes it where it has it, so that a migration, a table rebuild
/// and a downgrade keep the user's spelling. Empty elsewhere, where the renderer
/// writes [`Column::ty`].
///
/// It takes no part in comparing columns (its `==` is always true): [`Column::ty`]
/// says what the type is, case and white space aside, so a schema whose spelling
/// differs only there gets no migration and `check` finds no drift; when the type
/// itself changes, the new column's text goes with it. The same arrangement as
/// [`View::follow_rename`]: what a renderer needs, beside what the model compares.
/// The text is kept with the type it was read as, and given only for that type
/// ([`Declared::text_for`]), so that code which changes a column's type without
/// knowing of it (a foreign key column widened with its key) never writes a stale
/// text.
#[derive(Debug, Clone, Default)]
pub struct Declared(Option<(String, ColumnType)>);

impl PartialEq for Declared {
    fn eq(&self, _: &Declared) -> bool {
        true
    }
}

impl Eq for Declared {}

impl Declared {
    /// `text`, the spelling of `ty` as written.
    pub fn new(text: impl Into<String>, ty: ColumnType) -> Declared {
        Declared(Some((text.into(), ty)))
    }

    /// The text, if one was read.
    pub fn text(&self) -> Option<&str> {
        self.0.as_ref().map(|(text, _)| text.as_str())
    }

    /// The text, if one was read as `ty`.
    pub fn text_for(&self, ty: &ColumnType) -> Option<&str> {
        match &self.0 {
            Some((text, read)) if read == ty => Some(text),
            _ => None,
        }
    }
}

/// How a generated column is computed: `GENERATED ALWAYS AS (expr) STORED|VIRTUAL`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Generated {
    /// The expression, normalized SQL text (see `wildebeest_sql::normalize_expr`).
    pub expr: String,
    /// `STORED` (kept in the row, computed on write) rather than `VIRTUAL` (computed
    /// on read). PostgreSQL's are always stored; MySQL's and SQLite's are virtual
    /// unless the definition says `STORED`.
    pub stored: bool,
}

impl Generated {
    /// `GENERATED ALWAYS AS (expr) STORED`, as every database reads it.
    pub fn clause(&self) -> String {
        format!(
            "GENERATED ALWAYS AS ({}) {}",
            self.expr,
            if self.stored { "STORED" } else { "VIRTUAL" }
        )
    }
}

/// Column types: a portable set, plus any other type kept as written.
///
/// Parsing maps every alias to one variant and each backend renders a variant one way,
/// so a type survives render-then-parse unchanged. SQLite's dialect keeps a type
/// spelled otherwise than its renderer writes the variant as `Custom`, since there the
/// declared text is the column's meaning (`INT PRIMARY KEY` is no rowid).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum ColumnType {
    SmallInt,
    Integer,
    BigInt,
    Real,
    Double,
    Decimal {
        precision: Option<u32>,
        scale: Option<u32>,
    },
    Boolean,
    Char(Option<u32>),
    Varchar(Option<u32>),
    Text,
    Blob,
    Date,
    Time,
    Timestamp,
    TimestampTz,
    Json,
    Uuid,
    /// An enum type of the schema ([`Schema::enums`]), by its name as the database
    /// knows it (`mood`). A column's type is this only when the schema has the enum;
    /// a type name that does not resolve to one stays `Custom`.
    Enum(String),
    /// An array of an enum type of the schema (`mood[]`, PostgreSQL only), by the
    /// enum's name, with any number of dimensions (PostgreSQL does not enforce them).
    /// Like [`ColumnType::Enum`] it comes from a `Custom` type that resolves to it; a
    /// column of one uses the enum type as much as a column of the type itself does.
    EnumArray(String),
    /// Any other type, upper-cased (outside double quotes) with white space folded,
    /// e.g. `GEOMETRY`, `MONEY`, or `MOOD` for an enum the schema does not (yet) have.
    Custom(String),
}

/// A primary key. `name` is `None` when the source gave none.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrimaryKey {
    pub name: Option<String>,
    pub columns: Vec<String>,
    /// PostgreSQL's `DEFERRABLE [INITIALLY DEFERRED]`: the key is checked at commit
    /// when deferred. SQLite and MySQL have no deferrable key (refused by name there).
    pub deferral: Deferral,
}

/// A `UNIQUE` constraint (not a unique index: those are [`Index`] with `unique`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Unique {
    pub name: Option<String>,
    pub columns: Vec<String>,
    /// As [`PrimaryKey::deferral`].
    pub deferral: Deferral,
}

/// A foreign key. `ref_columns` is never empty after [`Schema::normalize`]: a
/// reference to a table without columns means that table's primary key.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct ForeignKey {
    pub name: Option<String>,
    pub columns: Vec<String>,
    pub ref_table: String,
    pub ref_columns: Vec<String>,
    pub on_delete: FkAction,
    pub on_update: FkAction,
    /// When the key is checked: at each statement, or (`DEFERRABLE`) possibly at
    /// commit. SQLite and PostgreSQL have it; MySQL has no deferral.
    pub deferral: Deferral,
}

/// A foreign key's `[NOT] DEFERRABLE [INITIALLY IMMEDIATE | DEFERRED]`, as the three
/// states PostgreSQL stores (`condeferrable`, `condeferred`). SQLite checks all but
/// `InitiallyDeferred` at each statement, having no `SET CONSTRAINTS`; the model still
/// keeps what was written, which is what `sqlite_master` gives back.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Deferral {
    /// `NOT DEFERRABLE` (or nothing written): checked at the end of each statement.
    #[default]
    NotDeferrable,
    /// `DEFERRABLE [INITIALLY IMMEDIATE]`: checked at each statement unless a
    /// transaction defers it (`SET CONSTRAINTS ... DEFERRED`).
    InitiallyImmediate,
    /// `DEFERRABLE INITIALLY DEFERRED`: checked at commit.
    InitiallyDeferred,
}

impl Deferral {
    /// The SQL words for this deferral; none for the default, which is written as
    /// nothing.
    pub fn sql(self) -> Option<&'static str> {
        match self {
            Deferral::NotDeferrable => None,
            Deferral::InitiallyImmediate => Some("DEFERRABLE INITIALLY IMMEDIATE"),
            Deferral::InitiallyDeferred => Some("DEFERRABLE INITIALLY DEFERRED"),
        }
    }
}

/// What a foreign key does when the referenced row goes or changes.
///
/// PostgreSQL and SQLite read a key without an `ON DELETE` / `ON UPDATE` clause as
/// `NO ACTION` and store it so. MySQL and MariaDB do not agree on it (MySQL stores
/// `NO ACTION`, MariaDB `RESTRICT`, and MariaDB's `SHOW CREATE TABLE` writes its
/// `RESTRICT` as no clause), so the MySQL dialect reads no clause as
/// [`FkAction::Unspecified`], which each database's canonical form resolves to what
/// that server stores ([`Schema::resolve_unspecified_actions`]).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum FkAction {
    /// `NO ACTION`, written or (PostgreSQL, SQLite) meant by no clause.
    #[default]
    NoAction,
    /// No clause in the MySQL dialect: the server's own default, written as nothing.
    Unspecified,
    Restrict,
    Cascade,
    SetNull,
    SetDefault,
}

impl FkAction {
    /// The SQL words for this action.
    pub fn sql(self) -> &'static str {
        match self {
            FkAction::NoAction | FkAction::Unspecified => "NO ACTION",
            FkAction::Restrict => "RESTRICT",
            FkAction::Cascade => "CASCADE",
            FkAction::SetNull => "SET NULL",
            FkAction::SetDefault => "SET DEFAULT",
        }
    }
}

/// A `CHECK` constraint; `expr` is normalized SQL text.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Check {
    pub name: Option<String>,
    pub expr: String,
    /// PostgreSQL's `NO INHERIT` (`pg_constraint.connoinherit`): a table inheriting
    /// this one does not take the check. SQLite and MySQL have no such check
    /// (refused by name there).
    pub no_inherit: bool,
    /// The expression as the file wrote it, where a backend's comparison form
    /// rewrote `expr` (see [`Written`]); no part of `==`.
    pub written: Written,
}

impl Index {
    /// The predicate to write in a migration: as the file wrote it when `predicate`
    /// is still what that text was read as (see [`Written`]), else `predicate`.
    pub fn predicate_sql(&self) -> Option<&str> {
        let p = self.predicate.as_deref()?;
        Some(self.predicate_written.text_for(p).unwrap_or(p))
    }
}

impl Check {
    /// The expression to write in a migration: as the file wrote it when `expr` is
    /// still what that text was read as, else `expr`.
    pub fn sql(&self) -> &str {
        self.written.text_for(&self.expr).unwrap_or(&self.expr)
    }
}

/// An expression as the file wrote it (`'a'::text`, `INTERVAL '2 days'`, `c = ANY
/// (ARRAY['a', 'b'])`), kept beside the comparison form a backend's `canonical`
/// gives the model (PostgreSQL's drops the casts its catalog adds and reads `= ANY
/// (ARRAY[...])` as `IN (...)`, so that a file and a database compare as one). The
/// two forms compare alike, but the server does not store them alike (`'a'` on a
/// `varchar` column is stored `'a'::character varying`, `'a'::text` as written), so
/// a migration writes this text, and the database gets what the file says.
///
/// The text is kept with the comparison form it stands for and given only for that
/// form ([`Written::text_for`]), as [`Declared`] is, so an expression rewritten
/// without it (a column renamed under a check) falls back to the comparison form
/// instead of a stale text. It takes no part in `==` or ordering.
#[derive(Debug, Clone, Default)]
pub struct Written(Option<(String, String)>);

impl PartialEq for Written {
    fn eq(&self, _: &Written) -> bool {
        true
    }
}

impl Eq for Written {}

impl PartialOrd for Written {
    fn partial_cmp(&self, other: &Written) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Written {
    fn cmp(&self, _: &Written) -> std::cmp::Ordering {
        std::cmp::Ordering::Equal
    }
}

impl Written {
    /// The text, if one was kept for exactly `expr`.
    pub fn text_for(&self, expr: &str) -> Option<&str> {
        match &self.0 {
            Some((text, form)) if form == expr => Some(text),
            _ => None,
        }
    }

    /// Records that the expression `from` is compared as `to`: the text kept for
    /// `from` (or `from` itself, when none was kept) now stands for `to`. A text kept
    /// for another expression is stale and left to fall back.
    pub fn rewrite(&mut self, from: &str, to: &str) {
        if from == to && self.0.is_none() {
            return;
        }
        match &mut self.0 {
            Some((_, form)) if form == from => *form = to.to_string(),
            Some(_) => {}
            None => self.0 = Some((from.to_string(), to.to_string())),
        }
    }
}

/// PostgreSQL's exclusion constraint: `EXCLUDE [USING method] (element WITH
/// operator, ...) [INCLUDE (...)] [WHERE (predicate)] [DEFERRABLE ...]`. No two rows
/// may have elements that all compare true under their operators (two bookings of
/// one room whose times overlap). SQLite and MySQL have none: their parsers keep it
/// as a part the model cannot hold and their renderers refuse one by name.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Exclusion {
    pub name: Option<String>,
    /// The index access method, lower case: `gist`, `spgist`, ...; `btree` when none
    /// is written, as PostgreSQL takes it.
    pub method: String,
    pub elements: Vec<ExclusionElement>,
    /// `INCLUDE (...)`: columns stored in the index beside its key.
    pub include: Vec<String>,
    /// The `WHERE` of a partial constraint, normalized SQL text.
    pub predicate: Option<String>,
    /// As [`PrimaryKey::deferral`].
    pub deferral: Deferral,
}

/// One element of an [`Exclusion`]: a column or an expression (normalized as an
/// index's, `lower(code)`; with an operator class or order when written), and the
/// operator two rows' values are compared with (`=`, `&&`, `OPERATOR(public.=)`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct ExclusionElement {
    pub expr: String,
    pub operator: String,
}

impl Exclusion {
    /// The names PostgreSQL builds an unnamed one's name from
    /// (`ChooseIndexColumnNames`): an element's column, or the function it calls,
    /// or `expr`, then the included columns, a repeated one numbered (`room`,
    /// `room1`).
    pub fn name_parts(&self) -> Vec<String> {
        let elements = self.elements.iter().map(|e| e.expr.as_str());
        index_name_parts(elements, &self.include)
    }

    /// The SQL of the constraint after its name:
    /// `EXCLUDE USING gist (room WITH =, during WITH &&) WHERE (note IS NOT NULL)`,
    /// each name passed through `quote`.
    pub fn sql(&self, quote: impl Fn(&str) -> String) -> String {
        let elements: Vec<String> = self
            .elements
            .iter()
            .map(|e| {
                let expr = if is_plain_ident(&e.expr) {
                    quote(&e.expr)
                } else {
                    e.expr.clone()
                };
                format!("{expr} WITH {}", e.operator)
            })
            .collect();
        let mut out = format!("EXCLUDE USING {} ({})", self.method, elements.join(", "));
        if !self.include.is_empty() {
            let names: Vec<String> = self.include.iter().map(|n| quote(n)).collect();
            out.push_str(&format!(" INCLUDE ({})", names.join(", ")));
        }
        if let Some(p) = &self.predicate {
            out.push_str(&format!(" WHERE ({p})"));
        }
        if let Some(words) = self.deferral.sql() {
            out.push(' ');
            out.push_str(words);
        }
        out
    }

    /// Whether the constraint reads `column`: in an element, the predicate or its
    /// included columns.
    pub fn reads(&self, column: &str) -> bool {
        self.elements
            .iter()
            .map(|e| e.expr.as_str())
            .chain(self.predicate.as_deref())
            .any(|e| find_word(e, column).is_some())
            || self.include.iter().any(|c| c == column)
    }

    /// The same constraint with column `from` called `to`.
    pub fn rename_column(&mut self, from: &str, to: &str) {
        for e in &mut self.elements {
            e.expr = replace_word(&e.expr, from, to);
        }
        if let Some(p) = &mut self.predicate {
            *p = replace_word(p, from, to);
        }
        for c in self.include.iter_mut().filter(|c| *c == from) {
            *c = to.to_string();
        }
    }
}

/// The name PostgreSQL gives an exclusion element in its constraint's name
/// (`FigureIndexColname`): a column's own, a function's, a cast's column or type,
/// else `expr`. An element's operator class and order are not part of it.
/// PostgreSQL's `ChooseIndexColumnNames`: the name of each key part of an index (its
/// column, or the function it calls, or `expr`), then the included columns, a
/// repeated one numbered (`room`, `room1`).
fn index_name_parts<'a>(parts: impl Iterator<Item = &'a str>, include: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for base in parts.map(element_name).chain(include.iter().cloned()) {
        let mut name = base.clone();
        let mut i = 1;
        while out.contains(&name) {
            name = format!("{base}{i}");
            i += 1;
        }
        out.push(name);
    }
    out
}

/// PostgreSQL's `makeObjectName`: `name1[_name2]_label`, with the longer of the two
/// names cut (a byte at a time, then back to a character boundary) until the whole
/// fits in 63 bytes.
pub fn pg_object_name(name1: &str, name2: Option<&str>, label: &str) -> String {
    const MAX: usize = 63;
    let overhead = label.len() + 1 + usize::from(name2.is_some());
    let avail = MAX.saturating_sub(overhead);
    let (mut n1, mut n2) = (name1.len(), name2.map_or(0, str::len));
    while n1 + n2 > avail {
        if n1 > n2 {
            n1 -= 1;
        } else {
            n2 -= 1;
        }
    }
    let clip = |s: &str, mut n: usize| {
        while !s.is_char_boundary(n) {
            n -= 1;
        }
        s[..n].to_string()
    };
    let mut out = clip(name1, n1);
    if let Some(name2) = name2 {
        out.push('_');
        out.push_str(&clip(name2, n2));
    }
    out.push('_');
    out.push_str(label);
    out
}

fn element_name(expr: &str) -> String {
    let mut e = expr.trim();
    // An order after the column or expression, then an operator class after an atom
    // (a name, a call, or in parentheses: how the parser keeps one with a class).
    for suffix in [" NULLS FIRST", " NULLS LAST", " DESC", " ASC"] {
        e = e.strip_suffix(suffix).unwrap_or(e);
    }
    if let Some((head, class)) = e.rsplit_once(' ')
        && class
            .chars()
            .all(|c| c.is_alphanumeric() || c == '_' || c == '.')
        && (head.ends_with(')') || !head.contains(|c: char| c.is_whitespace() || c == '('))
        && (!head.starts_with('(') || closing_paren(head) == Some(head.len() - 1))
        && (head.starts_with('(') || !head.contains(' '))
    {
        e = head;
    }
    // Outer parentheses go.
    while e.starts_with('(') && closing_paren(e) == Some(e.len() - 1) {
        e = e[1..e.len() - 1].trim();
    }
    let ident = |s: &str| {
        !s.is_empty()
            && !s.starts_with(|c: char| c.is_ascii_digit())
            && s.chars()
                .all(|c| c.is_alphanumeric() || c == '_' || c == '.' || c == '"')
    };
    let last = |s: &str| {
        s.rsplit('.')
            .next()
            .unwrap_or(s)
            .trim_matches('"')
            .to_string()
    };
    if ident(e) {
        return last(e);
    }
    // A cast: the column cast, else the type.
    let call = e
        .get(..5)
        .filter(|head| head.eq_ignore_ascii_case("CAST("))
        .filter(|_| closing_paren(&e[4..]) == Some(e.len() - 5));
    let cast = call.and_then(|_| e[5..e.len() - 1].rsplit_once(" AS "));
    if let Some((arg, ty)) = cast.or_else(|| e.rsplit_once("::")) {
        let arg = arg.trim().trim_start_matches('(').trim_end_matches(')');
        if ident(arg) {
            return last(arg);
        }
        // The type as the server names it, which is the one written but for an
        // alias (`bigint` is `int8`): such a constraint is best named.
        let ty = ty.trim();
        if ident(ty) {
            return last(ty).to_ascii_lowercase();
        }
        return "expr".into();
    }
    // A function call: its name.
    if let Some(open) = e.find('(')
        && closing_paren(&e[open..]) == Some(e.len() - open - 1)
        && ident(e[..open].trim())
    {
        return last(e[..open].trim());
    }
    "expr".into()
}

/// The byte offset of the parenthesis closing the one `text` starts with.
fn closing_paren(text: &str) -> Option<usize> {
    let mut depth = 0usize;
    let mut quoted = false;
    for (i, c) in text.char_indices() {
        match c {
            '\'' => quoted = !quoted,
            '(' if !quoted => depth += 1,
            ')' if !quoted => {
                depth = depth.checked_sub(1)?;
                if depth == 0 {
                    return Some(i);
                }
            }
            _ => {}
        }
    }
    None
}

/// Why a database that is not `database` cannot build `index`'s kind, or `None` when
/// it can. `database` is one of `"SQLite"`, `"PostgreSQL"`, `"MySQL"`: MySQL builds
/// its `FULLTEXT` and `SPATIAL` indexes and PostgreSQL its access methods (`gin`,
/// `gist`, ...), and no database builds the other's; SQLite builds neither. A
/// migration written for one database and run on another refuses such an index by
/// name before anything runs, instead of failing halfway (`USING FULLTEXT` on
/// PostgreSQL) or making a plain B-tree index in its place.
pub fn foreign_index_kind(index: &Index, database: &str) -> Option<String> {
    let method = index.method.as_deref()?;
    let mysql = method.eq_ignore_ascii_case("FULLTEXT") || method.eq_ignore_ascii_case("SPATIAL");
    let (kind, owner) = if mysql {
        (method.to_ascii_uppercase(), "MySQL")
    } else {
        (format!("`USING {method}`"), "PostgreSQL")
    };
    if owner == database {
        return None;
    }
    Some(format!(
        "index `{}` on `{}` is a {kind} index, which is {owner}'s: {database} has no such \
         index, and building a plain one in its place would not be what the migration says; \
         write the index for {database} by hand in a revision of its own",
        index.name, index.table
    ))
}

/// An index made with `CREATE [UNIQUE] INDEX`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Index {
    pub name: String,
    pub table: String,
    /// Column names, or normalized expressions for expression indexes, or MySQL's
    /// key on a column's prefix as [`prefix_part`] writes it (`` `title`(50) ``); a
    /// descending part carries a trailing ` DESC`.
    pub columns: Vec<String>,
    pub unique: bool,
    /// The `WHERE` of a partial index, normalized SQL text.
    pub predicate: Option<String>,
    /// The predicate as the file wrote it, where a backend's comparison form
    /// rewrote `predicate` (see [`Written`]); no part of `==`.
    pub predicate_written: Written,
    /// PostgreSQL's access method when it is not B-tree (`gin`, `gist`, `brin`,
    /// `hash`, `spgist`), lower case; `None` for B-tree, the only kind SQLite and
    /// MySQL build here.
    pub method: Option<String>,
    /// PostgreSQL's `NULLS NOT DISTINCT` (15 and later): a unique index that takes
    /// NULLs as equal, so it refuses a second row with the same NULLs. SQLite and
    /// MySQL have no such index: their parsers refuse the clause by name and their
    /// renderers refuse an index with it (see `render`).
    pub nulls_not_distinct: bool,
    /// PostgreSQL's `INCLUDE (...)`: columns stored in the index beside its key, which
    /// the key does not order or make unique. SQLite and MySQL have no such index.
    pub include: Vec<String>,
    /// PostgreSQL's storage parameters (`WITH (fillfactor=70)`), each `name=value` as
    /// `pg_class.reloptions` holds it (the name in lower case, the value as the
    /// server keeps it), sorted by name. SQLite and MySQL have none.
    pub storage: Vec<String>,
    /// MySQL's index comment (`KEY k (a) COMMENT 'text'`, `STATISTICS.INDEX_COMMENT`);
    /// `None` for none (an empty comment is none). SQLite and PostgreSQL have no
    /// index comment: a migration's is refused by name there
    /// ([`Op::mysql_only_part`]).
    pub comment: Option<String>,
    /// A MySQL key hidden from the optimizer, in the word of the server it is written
    /// for: MariaDB's `IGNORED` (10.6+), MySQL's `INVISIBLE` (8.0+); `None` for a
    /// key the optimizer uses. The two are held apart, as each server knows only its
    /// own word (and reports it, `STATISTICS.IGNORED` or `IS_VISIBLE`). A change is
    /// made in place (`ALTER TABLE t ALTER INDEX k IGNORED`), the index kept. SQLite
    /// and PostgreSQL have no such index ([`Op::mysql_only_part`]).
    pub hidden: Option<String>,
}

/// A table-level constraint, as added or dropped by `ALTER TABLE`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Constraint {
    PrimaryKey(PrimaryKey),
    Unique(Unique),
    ForeignKey(ForeignKey),
    Check(Check),
    Exclusion(Exclusion),
}

impl Schema {
    /// The name PostgreSQL gives `index` when a `CREATE INDEX` names none
    /// (`ChooseIndexName`): `table_part_part_idx` after its key parts and included
    /// columns ([`Exclusion::name_parts`]' rule), cut to 63 bytes, with `idx1`,
    /// `idx2`, ... in place of `idx` while the name is taken by a relation of the
    /// schema (a table, view, index, the index of a key, a sequence, a composite
    /// type).
    pub fn pg_index_name(&self, index: &Index) -> String {
        let parts = index_name_parts(index.columns.iter().map(String::as_str), &index.include);
        let addition = parts.join("_");
        let taken = |name: &str| {
            self.tables.contains_key(name)
                || self.tables.find_index(name).is_some()
                || self.views.contains_key(name)
                || self.sequences.contains_key(name)
                || self.types.contains_key(name)
                || self.tables.values().any(|t| {
                    t.constraints()
                        .iter()
                        .filter(|c| {
                            matches!(
                                c,
                                Constraint::PrimaryKey(_)
                                    | Constraint::Unique(_)
                                    | Constraint::Exclusion(_)
                            )
                        })
                        .any(|c| c.sql_name(t) == name)
                        || t.columns.iter().any(|c| {
                            (c.auto_increment || c.ty.serial_integer().is_some())
                                && pg_object_name(&t.name, Some(&c.name), "seq") == name
                        })
                })
                || self
                    .views
                    .values()
                    .any(|v| v.indexes.iter().any(|i| i.name == name))
        };
        (0..)
            .map(|pass| {
                let label = if pass == 0 {
                    "idx".to_string()
                } else {
                    format!("idx{pass}")
                };
                pg_object_name(&index.table, Some(&addition), &label)
            })
            .find(|name| !taken(name))
            .unwrap_or_default()
    }

    /// An empty schema.
    pub fn new() -> Self {
        Schema::default()
    }

    /// The index called `name`, of a table or of a materialized view.
    pub fn find_index(&self, name: &str) -> Option<&Index> {
        self.tables.find_index(name).or_else(|| {
            self.views
                .values()
                .flat_map(|v| &v.indexes)
                .find(|ix| ix.name == name)
        })
    }

    /// Whether the object a comment is on exists.
    pub fn has_comment_target(&self, on: &CommentOn) -> bool {
        match on {
            CommentOn::View(v) => self.views.get(v).is_some_and(|v| !v.materialized),
            CommentOn::MaterializedView(v) => self.views.get(v).is_some_and(|v| v.materialized),
            // A view's columns change only when it is made again.
            CommentOn::ViewColumn { view, .. } => self.views.contains_key(view),
            // An index a primary key, unique or exclusion constraint makes is named
            // after it, and so is commented (PostgreSQL).
            CommentOn::Index(i) => {
                self.find_index(i).is_some()
                    || self.tables.values().any(|t| {
                        t.constraints().iter().any(|c| {
                            !matches!(c, Constraint::ForeignKey(_) | Constraint::Check(_))
                                && c.sql_name(t) == *i
                        })
                    })
            }
            // A serial or identity column's sequence is its column's, named after it.
            CommentOn::Sequence(s) => {
                self.sequences.contains_key(s)
                    || self.tables.values().any(|t| {
                        t.columns.iter().any(|c| {
                            (c.auto_increment || c.ty.serial_integer().is_some())
                                && serial_sequence_name(&t.name, &c.name) == *s
                        })
                    })
            }
            CommentOn::Type(t) => self.enums.contains_key(t),
            CommentOn::Domain(d) => self.domains.contains_key(d),
            CommentOn::Routine { kind, key } => {
                self.routines.get(key).is_some_and(|r| r.kind == *kind)
            }
            CommentOn::Trigger { table, name } => self
                .triggers
                .values()
                .any(|t| t.table == *table && t.name == *name),
            CommentOn::Constraint { table, name } => self
                .tables
                .get(table)
                .is_some_and(|t| t.constraints().iter().any(|c| c.sql_name(t) == *name)),
            CommentOn::DomainConstraint { domain, name } => self
                .domains
                .get(domain)
                .is_some_and(|d| d.check(name).is_some()),
            CommentOn::Policy { table, name } => {
                self.policies.contains_key(&policy_key(table, name))
            }
            CommentOn::Extension(e) => self.extensions.contains_key(e),
            CommentOn::Schema => true,
        }
    }

    /// Drops the comments whose objects are gone: a comment goes with its object.
    pub fn prune_comments(&mut self) {
        if self.comments.is_empty() {
            return;
        }
        let gone: Vec<CommentOn> = self
            .comments
            .keys()
            .filter(|on| !self.has_comment_target(on))
            .cloned()
            .collect();
        for on in gone {
            self.comments.remove(&on);
        }
    }

    /// Moves the comments keyed by what `rename` gives a new key for (a renamed
    /// object, or an object of a renamed table or view).
    pub fn rekey_comments(&mut self, rename: impl Fn(&CommentOn) -> Option<CommentOn>) {
        if self.comments.is_empty() {
            return;
        }
        let moved: Vec<(CommentOn, CommentOn)> = self
            .comments
            .keys()
            .filter_map(|on| rename(on).map(|to| (on.clone(), to)))
            .collect();
        let taken: Vec<(CommentOn, String)> = moved
            .iter()
            .filter_map(|(from, to)| self.comments.remove(from).map(|text| (to.clone(), text)))
            .collect();
        self.comments.extend(taken);
    }

    /// The table called `name`, if any.
    pub fn table(&self, name: &str) -> Option<&Table> {
        self.tables.get(name)
    }

    /// The views in an order to create them in: each after the views it reads (by
    /// name otherwise). A cycle, which no database can make, is broken by name.
    pub fn views_in_order(&self) -> Vec<&View> {
        let mut out: Vec<&View> = Vec::new();
        let mut placed = std::collections::BTreeSet::new();
        while out.len() < self.views.len() {
            let before = out.len();
            for v in self.views.values() {
                if placed.contains(&v.name) {
                    continue;
                }
                let ready = v
                    .reads
                    .iter()
                    .all(|r| r == &v.name || !self.views.contains_key(r) || placed.contains(r));
                if ready {
                    placed.insert(v.name.clone());
                    out.push(v);
                }
            }
            if out.len() == before {
                let v = self.views.values().find(|v| !placed.contains(&v.name));
                if let Some(v) = v {
                    placed.insert(v.name.clone());
                    out.push(v);
                }
            }
        }
        out
    }

    /// The triggers on the table or view `name`, by name.
    pub fn triggers_on(&self, name: &str) -> Vec<&Trigger> {
        self.triggers.values().filter(|t| t.table == name).collect()
    }

    /// The trigger `name`, of table `table` where names are per table
    /// (PostgreSQL: `DROP TRIGGER name ON table`).
    pub fn trigger(&self, table: Option<&str>, name: &str) -> Option<&Trigger> {
        self.triggers.get(&trigger_key(table, name))
    }

    /// Puts every rule under its key again, after a change of its table.
    pub fn rekey_rules(&mut self) {
        if self.rules.iter().any(|(k, r)| *k != r.key()) {
            let all = std::mem::take(&mut self.rules);
            self.rules = all.into_values().map(|r| (r.key(), r)).collect();
        }
    }

    /// Puts every policy under its key again, after a change of its table or name.
    pub fn rekey_policies(&mut self) {
        if self.policies.iter().any(|(k, p)| *k != p.key()) {
            let all = std::mem::take(&mut self.policies);
            self.policies = all.into_values().map(|p| (p.key(), p)).collect();
        }
    }

    /// Puts every trigger under its key again, after a change of its table or name.
    pub fn rekey_triggers(&mut self) {
        if self.triggers.iter().any(|(k, t)| *k != t.key()) {
            let all = std::mem::take(&mut self.triggers);
            self.triggers = all.into_values().map(|t| (t.key(), t)).collect();
        }
    }

    /// The views that read `name` (a table or view), directly or through other views.
    pub fn views_reading(&self, name: &str) -> std::collections::BTreeSet<String> {
        let mut out = std::collections::BTreeSet::new();
        let mut todo = vec![name.to_string()];
        while let Some(n) = todo.pop() {
            for v in self.views.values() {
                if v.reads_table(&n) && out.insert(v.name.clone()) {
                    todo.push(v.name.clone());
                }
            }
        }
        out
    }

    /// The columns whose type is the enum `name` or an array of it, as `(table,
    /// column)`, sorted.
    pub fn enum_users(&self, name: &str) -> Vec<(String, String)> {
        let mut out = Vec::new();
        for t in self.tables.values() {
            for c in &t.columns {
                if c.ty.enum_name() == Some(name) {
                    out.push((t.name.clone(), c.name.clone()));
                }
            }
        }
        out
    }

    /// Drops what only MySQL keeps: tables' character sets, collations, comments and
    /// engines, and columns' character sets and comments. For the canonical form of a
    /// schema in a database that has none of them (SQLite).
    pub fn drop_mysql_options(&mut self) {
        self.drop_mysql_storage_options();
        for table in self.tables.values_mut() {
            table.options.comment = None;
            for col in &mut table.columns {
                col.comment = None;
            }
        }
    }

    /// Drops MySQL's storage options (tables' character sets, collations and engines,
    /// columns' character sets) and keeps comments: for PostgreSQL, which keeps a
    /// table's and a column's comment (`COMMENT ON`) and has no such options.
    pub fn drop_mysql_storage_options(&mut self) {
        for table in self.tables.values_mut() {
            let o = &mut table.options;
            (o.charset, o.collation, o.engine) = (None, None, None);
            for col in &mut table.columns {
                col.charset = None;
            }
        }
    }

    /// Drops what only SQLite keeps: tables' `STRICT`, `WITHOUT ROWID` and nullable
    /// primary-key columns ([`TableOptions::nullable_key`]). For the
    /// canonical form of a schema in a database that has neither (a SQLite-dialect
    /// migration run there makes its tables without them).
    pub fn drop_sqlite_options(&mut self) {
        for table in self.tables.values_mut() {
            (table.options.strict, table.options.without_rowid) = (false, false);
            // The other databases make a primary key's columns NOT NULL.
            if table.options.nullable_key {
                table.options.nullable_key = false;
                table.normalize();
            }
        }
    }

    /// Makes every foreign key action written as no clause in the MySQL dialect
    /// ([`FkAction::Unspecified`]) `stored`, what the database at hand stores for it:
    /// `NO ACTION` on PostgreSQL, SQLite and MySQL, `RESTRICT` on MariaDB.
    pub fn resolve_unspecified_actions(&mut self, stored: FkAction) {
        for fk in self.tables.values_mut().flat_map(|t| &mut t.foreign_keys) {
            for action in [&mut fk.on_delete, &mut fk.on_update] {
                if *action == FkAction::Unspecified {
                    *action = stored;
                }
            }
        }
    }

    /// Gives a foreign key action written as no clause in the MySQL dialect
    /// ([`FkAction::Unspecified`]) the action `built` holds for the same key (same
    /// table, name, columns and reference) when that is `RESTRICT` or `NO ACTION`.
    ///
    /// MySQL's and MariaDB's dumps and `SHOW CREATE TABLE` leave the server's own
    /// default out: MariaDB's is `RESTRICT` (a key written `ON DELETE RESTRICT` is
    /// dumped without the clause, as one written without it), MySQL's `NO ACTION`. A
    /// key without a clause in `schema.sql` is therefore the key the migrations made
    /// with either word, which InnoDB enforces alike (at once, never deferred): no
    /// change, and what the migrations wrote stays in the database. Only the side
    /// without a clause takes the other's word: a clause written where the migrations
    /// wrote none is a change, made as written.
    pub fn unwritten_actions_as_in(&mut self, built: &Schema) {
        for (name, table) in &mut self.tables {
            let Some(old) = built.tables.get(name) else {
                continue;
            };
            for fk in &mut table.foreign_keys {
                let same = |o: &&ForeignKey| {
                    (
                        &o.name,
                        &o.columns,
                        &o.ref_table,
                        &o.ref_columns,
                        o.deferral,
                    ) == (
                        &fk.name,
                        &fk.columns,
                        &fk.ref_table,
                        &fk.ref_columns,
                        fk.deferral,
                    )
                };
                let Some(o) = old.foreign_keys.iter().find(same) else {
                    continue;
                };
                for (action, was) in [
                    (&mut fk.on_delete, o.on_delete),
                    (&mut fk.on_update, o.on_update),
                ] {
                    if *action == FkAction::Unspecified
                        && matches!(was, FkAction::Restrict | FkAction::NoAction)
                    {
                        *action = was;
                    }
                }
            }
        }
    }

    /// Gives every partition its parent's columns, parents first (a partition may be
    /// partitioned in turn): PostgreSQL keeps a partition's columns those of its
    /// parent, and every column change on the parent reaches them.
    pub fn sync_partitions(&mut self) {
        if !self
            .tables
            .values()
            .any(|t| t.options.partition_of.is_some())
        {
            return;
        }
        // Depth by depth: a partition of a partition after its parent.
        for _ in 0..8 {
            let updates: Vec<(String, Vec<Column>)> = self
                .tables
                .values()
                .filter_map(|t| {
                    let of = t.options.partition_of.as_ref()?;
                    let parent = self.tables.get(&of.parent)?;
                    (parent.columns != t.columns).then(|| (t.name.clone(), parent.columns.clone()))
                })
                .collect();
            if updates.is_empty() {
                return;
            }
            for (name, columns) in updates {
                if let Some(mut t) = self.tables.get_mut(&name) {
                    t.columns = columns;
                    t.normalize();
                }
            }
        }
    }

    /// The partitions of table `name`, by name.
    pub fn partitions_of(&self, name: &str) -> Vec<&Table> {
        self.tables
            .values()
            .filter(|t| {
                t.options
                    .partition_of
                    .as_ref()
                    .is_some_and(|of| of.parent == name)
            })
            .collect()
    }

    /// Puts every table into its canonical form (see [`Table::normalize`]), fills in
    /// the referenced columns of foreign keys that name only a table, and makes every
    /// column type that names one of the schema's enums [`ColumnType::Enum`] (see
    /// [`ColumnType::resolve_enum`]) and one that names a domain qualified by
    /// `public` (as pg_dump writes it) unqualified.
    pub fn normalize(&mut self) {
        self.sync_partitions();
        let pks: BTreeMap<String, Vec<String>> = self
            .tables
            .iter()
            .filter_map(|(n, t)| {
                t.primary_key
                    .as_ref()
                    .map(|pk| (n.clone(), pk.columns.clone()))
            })
            .collect();
        for table in self.tables.values_mut() {
            for fk in &mut table.foreign_keys {
                if let Some(cols) = pks.get(&fk.ref_table).filter(|_| fk.ref_columns.is_empty()) {
                    fk.ref_columns = cols.clone();
                }
            }
            for col in &mut table.columns {
                col.ty = col.ty.resolve_enum(&self.enums);
                if !self.domains.is_empty() || !self.types.is_empty() {
                    col.ty = col.ty.unqualified(&|n| {
                        self.domains.contains_key(n) || self.types.contains_key(n)
                    });
                }
            }
            table.normalize();
        }
        if !self.types.is_empty() {
            let known: BTreeSet<String> = self
                .domains
                .keys()
                .chain(self.types.keys())
                .chain(self.enums.keys())
                .cloned()
                .collect();
            let known = |n: &str| known.contains(n);
            for t in self.types.values_mut() {
                match t {
                    UserType::Composite(c) => {
                        for a in &mut c.attributes {
                            a.ty = a.ty.unqualified(&known);
                        }
                    }
                    UserType::Range(r) => r.subtype = r.subtype.unqualified(&known),
                }
            }
            for d in self.domains.values_mut() {
                d.base = d.base.unqualified(&known);
            }
        }
    }

    /// What uses the schema's type `name` (an enum, domain, composite or range type),
    /// each as a message names it (`column `t.c``, `domain `d``, `composite type
    /// `x``), sorted: PostgreSQL refuses to drop a type something still uses.
    pub fn type_users(&self, name: &str) -> Vec<String> {
        let mut out = Vec::new();
        for t in self.tables.values() {
            for c in &t.columns {
                if c.ty.names_type(name) {
                    out.push(format!("column `{}.{}`", t.name, c.name));
                }
            }
        }
        for d in self.domains.values() {
            if d.base.names_type(name) {
                out.push(format!("domain `{}`", d.name));
            }
        }
        for t in self.types.values() {
            if t.parts().iter().any(|p| p.names_type(name)) {
                out.push(format!("{} `{}`", t.kind_word(), t.name()));
            }
        }
        out.sort();
        out
    }

    /// The table columns holding values of type `name`: of the type itself, an array
    /// of it, a domain over it or a composite type holding it (at any depth), as
    /// `(table, column, direct)`, `direct` when the column is of the type itself.
    pub fn columns_holding(&self, name: &str) -> Vec<(String, String, bool)> {
        // The types holding `name`, found until no new one comes.
        let mut holders: BTreeSet<String> = BTreeSet::from([name.to_string()]);
        loop {
            let before = holders.len();
            for d in self.domains.values() {
                if holders.iter().any(|h| d.base.names_type(h)) {
                    holders.insert(d.name.clone());
                }
            }
            for t in self.types.values() {
                if t.parts()
                    .iter()
                    .any(|p| holders.iter().any(|h| p.names_type(h)))
                {
                    holders.insert(t.name().to_string());
                }
            }
            if holders.len() == before {
                break;
            }
        }
        let mut out = Vec::new();
        for t in self.tables.values() {
            for c in &t.columns {
                if let Some(n) = c.ty.named_type().filter(|n| holders.contains(n)) {
                    let direct = n == name
                        && !matches!(&c.ty, ColumnType::Custom(x) if x.trim_end().ends_with("[]"));
                    out.push((t.name.clone(), c.name.clone(), direct));
                }
            }
        }
        out
    }
}

impl Table {
    /// A table with no columns or constraints.
    pub fn new(name: impl Into<String>) -> Self {
        Table {
            name: name.into(),
            columns: Vec::new(),
            primary_key: None,
            uniques: Vec::new(),
            foreign_keys: Vec::new(),
            checks: Vec::new(),
            exclusions: Vec::new(),
            indexes: Vec::new(),
            options: TableOptions::default(),
            unmodeled: Vec::new(),
        }
    }

    /// The column called `name`, if any.
    pub fn column(&self, name: &str) -> Option<&Column> {
        self.columns.iter().find(|c| c.name == name)
    }

    /// The unmodeled parts written on column `name` (`column NAME: ...`).
    pub fn column_unmodeled(&self, name: &str) -> Vec<&str> {
        let prefix = column_part_prefix(name);
        self.unmodeled
            .iter()
            .filter(|u| u.starts_with(&prefix))
            .map(String::as_str)
            .collect()
    }

    /// This table under the other databases' rule, where a primary key's columns are
    /// NOT NULL: itself unless it keeps SQLite's ([`TableOptions::nullable_key`]).
    pub fn with_not_null_key(&self) -> std::borrow::Cow<'_, Table> {
        if !self.options.nullable_key {
            return std::borrow::Cow::Borrowed(self);
        }
        let mut t = self.clone();
        t.options.nullable_key = false;
        t.normalize();
        std::borrow::Cow::Owned(t)
    }

    /// The column that is SQLite's rowid alias, if any: the lone `INTEGER` column of
    /// the primary key of a rowid table read in the SQLite dialect
    /// ([`TableOptions::nullable_key`]). It never holds NULL, whether or not `NOT NULL`
    /// is written (a NULL stored there becomes the next rowid), so its written
    /// nullability is kept but is no change.
    pub fn rowid_alias(&self) -> Option<&str> {
        let pk = self.primary_key.as_ref()?;
        if !self.options.nullable_key || self.options.without_rowid || pk.columns.len() != 1 {
            return None;
        }
        let col = self.column(&pk.columns[0])?;
        (col.ty == ColumnType::Integer).then_some(col.name.as_str())
    }

    /// The canonical form: serial columns not null, and primary-key columns unless the
    /// table keeps SQLite's rule ([`TableOptions::nullable_key`]); constraints and indexes
    /// sorted, so that declaration order of constraints never shows up as a change.
    pub fn normalize(&mut self) {
        self.unname_implied();
        // PostgreSQL's serial types imply NOT NULL.
        for col in &mut self.columns {
            if col.ty.serial_integer().is_some() {
                col.nullable = false;
            }
        }
        if let Some(pk) = self
            .primary_key
            .as_ref()
            .filter(|_| !self.options.nullable_key)
        {
            for col in &mut self.columns {
                if pk.columns.contains(&col.name) {
                    col.nullable = false;
                }
            }
        }
        self.uniques.sort();
        self.uniques.dedup();
        self.foreign_keys.sort();
        self.foreign_keys.dedup();
        // Not deduplicated: the same check written twice is made twice, as the
        // database keeps it.
        self.checks.sort();
        self.exclusions.sort();
        self.exclusions.dedup();
        self.indexes.sort_by(|a, b| a.name.cmp(&b.name));
    }

    /// Forgets constraint names that are exactly the name the constraint would get
    /// unnamed ([`Constraint::sql_name`]): databases that name every constraint
    /// (PostgreSQL, MySQL) report those names, and a generated file may spell them out,
    /// yet they mean the same as no name in `schema.sql`.
    fn unname_implied(&mut self) {
        let snapshot = self.clone();
        let implied = |c: Constraint| c.sql_name(&snapshot);
        if let Some(pk) = &mut self.primary_key {
            let unnamed = PrimaryKey {
                name: None,
                ..pk.clone()
            };
            if pk.name.as_deref() == Some(implied(Constraint::PrimaryKey(unnamed)).as_str()) {
                pk.name = None;
            }
        }
        for u in &mut self.uniques {
            let unnamed = Unique {
                name: None,
                ..u.clone()
            };
            if u.name.as_deref() == Some(implied(Constraint::Unique(unnamed)).as_str()) {
                u.name = None;
            }
        }
        for f in &mut self.foreign_keys {
            let unnamed = ForeignKey {
                name: None,
                ..f.clone()
            };
            if f.name.as_deref() == Some(implied(Constraint::ForeignKey(unnamed)).as_str()) {
                f.name = None;
            }
        }
        for c in &mut self.checks {
            let unnamed = Check {
                name: None,
                ..c.clone()
            };
            let implied = implied(Constraint::Check(unnamed));
            // Two unnamed checks that would get one name (on one column, or the same
            // check written twice): the database names the second as the first with a
            // number (`t_a_check1`).
            let numbered = |name: &str| {
                name.strip_prefix(implied.as_str()).is_some_and(|n| {
                    !n.is_empty()
                        && n.bytes().all(|b| b.is_ascii_digit())
                        && snapshot
                            .checks
                            .iter()
                            .filter(|o| {
                                let o = Check {
                                    name: None,
                                    ..(*o).clone()
                                };
                                Constraint::Check(o).sql_name(&snapshot) == implied
                            })
                            .count()
                            > 1
                })
            };
            if c.name.as_deref() == Some(implied.as_str())
                || c.name.as_deref().is_some_and(numbered)
            {
                c.name = None;
            }
        }
        for x in &mut self.exclusions {
            let unnamed = Exclusion {
                name: None,
                ..x.clone()
            };
            if x.name.as_deref() == Some(implied(Constraint::Exclusion(unnamed)).as_str()) {
                x.name = None;
            }
        }
    }

    /// Every constraint of the table, primary key first.
    pub fn constraints(&self) -> Vec<Constraint> {
        let mut out = Vec::new();
        if let Some(pk) = &self.primary_key {
            out.push(Constraint::PrimaryKey(pk.clone()));
        }
        out.extend(self.uniques.iter().cloned().map(Constraint::Unique));
        out.extend(
            self.foreign_keys
                .iter()
                .cloned()
                .map(Constraint::ForeignKey),
        );
        out.extend(self.checks.iter().cloned().map(Constraint::Check));
        out.extend(self.exclusions.iter().cloned().map(Constraint::Exclusion));
        out
    }
}

impl Column {
    /// A nullable column with no default.
    pub fn new(name: impl Into<String>, ty: ColumnType) -> Self {
        Column {
            name: name.into(),
            ty,
            nullable: true,
            default: None,
            auto_increment: false,
            generated_always: false,
            on_update: None,
            collation: None,
            charset: None,
            comment: None,
            generated: None,
            invisible: false,
            declared: Declared::default(),
            default_written: Written::default(),
        }
    }

    /// The default to write in a migration: as the file wrote it when `default` is
    /// still what that text was read as (see [`Written`]), else `default`.
    pub fn default_sql(&self) -> Option<&str> {
        let d = self.default.as_deref()?;
        Some(self.default_written.text_for(d).unwrap_or(d))
    }
}

impl Constraint {
    /// The same constraint named `name` (`None`: unnamed).
    pub fn with_name(&self, name: Option<String>) -> Constraint {
        let mut c = self.clone();
        match &mut c {
            Constraint::PrimaryKey(k) => k.name = name,
            Constraint::Unique(k) => k.name = name,
            Constraint::ForeignKey(k) => k.name = name,
            Constraint::Check(k) => k.name = name,
            Constraint::Exclusion(k) => k.name = name,
        }
        c
    }

    /// The explicit name, if the source gave one.
    pub fn name(&self) -> Option<&str> {
        match self {
            Constraint::PrimaryKey(c) => c.name.as_deref(),
            Constraint::Unique(c) => c.name.as_deref(),
            Constraint::ForeignKey(c) => c.name.as_deref(),
            Constraint::Check(c) => c.name.as_deref(),
            Constraint::Exclusion(c) => c.name.as_deref(),
        }
    }

    /// The name by which SQL refers to this constraint on `table`: its explicit name,
    /// or else the name PostgreSQL would give it (`t_pkey`, `t_a_b_key`, `t_a_fkey`,
    /// `t_a_check` for a check that mentions only column `a`, else `t_check`), so that
    /// `ALTER TABLE t DROP CONSTRAINT t_email_key` can name an unnamed constraint on
    /// every database.
    pub fn sql_name(&self, table: &Table) -> String {
        if let Some(n) = self.name() {
            return n.to_string();
        }
        let t = &table.name;
        match self {
            Constraint::PrimaryKey(_) => format!("{t}_pkey"),
            Constraint::Unique(u) => format!("{t}_{}_key", u.columns.join("_")),
            Constraint::ForeignKey(f) => format!("{t}_{}_fkey", f.columns.join("_")),
            Constraint::Check(c) => {
                // PostgreSQL's rule: the column's name when the check mentions exactly one.
                let mentioned: Vec<&String> = table
                    .columns
                    .iter()
                    .filter(|col| find_word(&c.expr, &col.name).is_some())
                    .map(|col| &col.name)
                    .collect();
                match mentioned.as_slice() {
                    [col] => format!("{t}_{col}_check"),
                    _ => format!("{t}_check"),
                }
            }
            Constraint::Exclusion(x) => format!("{t}_{}_excl", x.name_parts().join("_")),
        }
    }

    /// [`Constraint::sql_name`] on a table known only by name: the name a constraint
    /// that names no column of its own would get (an exclusion's or a key's).
    pub fn sql_name_on(&self, table: &str) -> String {
        self.sql_name(&Table::new(table))
    }

    /// A short description for messages: `unique (a, b)`, `foreign key (x) -> t (id)`,
    /// `foreign key (x) -> t (id) deferrable initially deferred`.
    pub fn describe(&self) -> String {
        match self {
            // A deferral is said, else a changed one would read as a key removed and
            // added alike.
            Constraint::PrimaryKey(c) => format!(
                "primary key ({}){}",
                c.columns.join(", "),
                c.deferral
                    .sql()
                    .map_or(String::new(), |w| format!(" {}", w.to_ascii_lowercase()))
            ),
            Constraint::Unique(c) => format!(
                "unique ({}){}",
                c.columns.join(", "),
                c.deferral
                    .sql()
                    .map_or(String::new(), |w| format!(" {}", w.to_ascii_lowercase()))
            ),
            Constraint::ForeignKey(c) => {
                let mut s = format!(
                    "foreign key ({}) -> {} ({})",
                    c.columns.join(", "),
                    c.ref_table,
                    c.ref_columns.join(", ")
                );
                // Else a changed action or deferral would read as a key removed and
                // added alike.
                for (when, action) in [("delete", c.on_delete), ("update", c.on_update)] {
                    if !matches!(action, FkAction::NoAction | FkAction::Unspecified) {
                        s.push_str(&format!(" on {when} {}", action.sql().to_ascii_lowercase()));
                    }
                }
                if let Some(words) = c.deferral.sql() {
                    s.push(' ');
                    s.push_str(&words.to_ascii_lowercase());
                }
                s
            }
            Constraint::Check(c) if c.no_inherit => format!("check ({}) no inherit", c.expr),
            Constraint::Check(c) => format!("check ({})", c.expr),
            Constraint::Exclusion(x) => {
                let mut s = format!("exclude using {} (", x.method);
                let elements: Vec<String> = x
                    .elements
                    .iter()
                    .map(|e| format!("{} with {}", e.expr, e.operator))
                    .collect();
                s.push_str(&elements.join(", "));
                s.push(')');
                if !x.include.is_empty() {
                    s.push_str(&format!(" include ({})", x.include.join(", ")));
                }
                if let Some(p) = &x.predicate {
                    s.push_str(&format!(" where ({p})"));
                }
                if let Some(words) = x.deferral.sql() {
                    s.push(' ');
                    s.push_str(&words.to_ascii_lowercase());
                }
                s
            }
        }
    }
}

/// The byte offset of the first reference to the column `word` in the SQL expression
/// `text`: a bare identifier equal to it ignoring ASCII case, or a quoted one (`"w"`,
/// `` `w` ``) equal to it exactly. String literals and function names (an identifier
/// followed by `(`) are not references.
pub(crate) fn find_word(text: &str, word: &str) -> Option<usize> {
    word_refs(text, word).first().map(|r| r.start)
}

/// `text` with every reference to the column `word` (as [`find_word`] finds them)
/// replaced by `new`, quoted when `new` is not a plain identifier or the reference was.
pub(crate) fn replace_word(text: &str, word: &str, new: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    for r in word_refs(text, word) {
        out.push_str(&text[last..r.start]);
        let quote = text[r.start..]
            .chars()
            .next()
            .filter(|c| *c == '"' || *c == '`');
        match quote {
            Some(q) => {
                out.push(q);
                out.push_str(&new.replace(q, &format!("{q}{q}")));
                out.push(q);
            }
            None if is_bare_in_expression(new) => out.push_str(new),
            None => {
                out.push('"');
                out.push_str(&new.replace('"', "\"\""));
                out.push('"');
            }
        }
        last = r.end;
    }
    out.push_str(&text[last..]);
    out
}

/// Whether a name can stand bare in an expression, in every dialect, and mean itself:
/// lower case ASCII (PostgreSQL folds a bare name to lower case, so a bare `Name` would
/// be the column `name`) and not a reserved word (a bare `select` is no name at all).
/// The model knows no dialect, so the word list is the core every dialect reserves
/// ([`SQL_RESERVED`]); a word only one dialect reserves may still come out bare,
/// which that database refuses.
fn is_bare_in_expression(s: &str) -> bool {
    let mut chars = s.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_lowercase() || c == '_')
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        && SQL_RESERVED
            .binary_search(&s.to_ascii_uppercase().as_str())
            .is_err()
}

/// SQL's reserved words as PostgreSQL reserves them (its "reserved" and "reserved (can
/// be function or type)" keywords), upper case and sorted: the core every dialect
/// treats as reserved, so a name among them is quoted in every dialect
/// (`wildebeest-sql`'s quoting uses this list too).
pub const SQL_RESERVED: &[&str] = &[
    "ALL",
    "ANALYSE",
    "ANALYZE",
    "AND",
    "ANY",
    "ARRAY",
    "AS",
    "ASC",
    "ASYMMETRIC",
    "AUTHORIZATION",
    "BINARY",
    "BOTH",
    "CASE",
    "CAST",
    "CHECK",
    "COLLATE",
    "COLLATION",
    "COLUMN",
    "CONCURRENTLY",
    "CONSTRAINT",
    "CREATE",
    "CROSS",
    "CURRENT_CATALOG",
    "CURRENT_DATE",
    "CURRENT_ROLE",
    "CURRENT_SCHEMA",
    "CURRENT_TIME",
    "CURRENT_TIMESTAMP",
    "CURRENT_USER",
    "DEFAULT",
    "DEFERRABLE",
    "DESC",
    "DISTINCT",
    "DO",
    "ELSE",
    "END",
    "EXCEPT",
    "FALSE",
    "FETCH",
    "FOR",
    "FOREIGN",
    "FREEZE",
    "FROM",
    "FULL",
    "GRANT",
    "GROUP",
    "HAVING",
    "ILIKE",
    "IN",
    "INITIALLY",
    "INNER",
    "INTERSECT",
    "INTO",
    "IS",
    "ISNULL",
    "JOIN",
    "LATERAL",
    "LEADING",
    "LEFT",
    "LIKE",
    "LIMIT",
    "LOCALTIME",
    "LOCALTIMESTAMP",
    "NATURAL",
    "NOT",
    "NOTNULL",
    "NULL",
    "OFFSET",
    "ON",
    "ONLY",
    "OR",
    "ORDER",
    "OUTER",
    "OVERLAPS",
    "PLACING",
    "PRIMARY",
    "REFERENCES",
    "RETURNING",
    "RIGHT",
    "SELECT",
    "SESSION_USER",
    "SIMILAR",
    "SOME",
    "SYMMETRIC",
    "SYSTEM_USER",
    "TABLE",
    "TABLESAMPLE",
    "THEN",
    "TO",
    "TRAILING",
    "TRUE",
    "UNION",
    "UNIQUE",
    "USER",
    "USING",
    "VARIADIC",
    "VERBOSE",
    "WHEN",
    "WHERE",
    "WINDOW",
    "WITH",
];

/// Whether `s` can stand unquoted as an identifier.
pub(crate) fn is_plain_ident(s: &str) -> bool {
    let mut chars = s.chars();
    chars.next().is_some_and(|c| c.is_alphabetic() || c == '_')
        && chars.all(|c| c.is_alphanumeric() || c == '_' || c == '$')
}

/// Bytes that continue a bare identifier. Every byte of a non-ASCII character counts,
/// so a token never ends inside a character.
fn is_ident_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'$' || b >= 0x80
}

/// The byte index just past the quoted token opening at `open` (a doubled quote
/// character stands for itself), and whether it was closed.
fn skip_quoted(bytes: &[u8], open: usize) -> (usize, bool) {
    let q = bytes[open];
    let mut i = open + 1;
    while i < bytes.len() {
        if bytes[i] == q {
            if bytes.get(i + 1) == Some(&q) {
                i += 2;
                continue;
            }
            return (i + 1, true);
        }
        i += 1;
    }
    (bytes.len(), false)
}

/// The byte ranges of the tokens of `text` that refer to the column `word`.
fn word_refs(text: &str, word: &str) -> Vec<std::ops::Range<usize>> {
    let mut out = Vec::new();
    if word.is_empty() {
        return out;
    }
    let bytes = text.as_bytes();
    let called = |end: usize| bytes[end..].iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'(');
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b == b'\'' {
            i = skip_quoted(bytes, i).0;
        } else if b == b'"' || b == b'`' {
            let (end, closed) = skip_quoted(bytes, i);
            let q = char::from(b);
            // An unclosed quote is no identifier. A closed one ends with the ASCII
            // quote, so `end - 1` is a character boundary.
            let unquoted = || text[i + 1..end - 1].replace(&format!("{q}{q}"), &q.to_string());
            if closed && unquoted() == word && !called(end) {
                out.push(i..end);
            }
            i = end;
        } else if is_ident_byte(b) {
            let start = i;
            while i < bytes.len() && is_ident_byte(bytes[i]) {
                i += 1;
            }
            if text[start..i].eq_ignore_ascii_case(word) && !called(i) {
                out.push(start..i);
            }
        } else {
            i += 1;
        }
    }
    out
}

impl ColumnType {
    /// This type without a `public.` qualifier when it is a `Custom` type naming one
    /// of `domains` (`PUBLIC.SLUG` as `SLUG`, as pg_dump writes a column of the
    /// domain `slug`); any other type as it is.
    pub fn unqualified_domain(&self, domains: &BTreeMap<String, Domain>) -> ColumnType {
        self.unqualified(&|n| domains.contains_key(n))
    }

    /// This type without a `public.` qualifier when it is a `Custom` type naming a
    /// type `known` holds (by its name as the database spells it), also an array of
    /// one (`PUBLIC.ADDR[]` as `ADDR[]`); any other type as it is.
    pub fn unqualified(&self, known: &dyn Fn(&str) -> bool) -> ColumnType {
        let ColumnType::Custom(text) = self else {
            return self.clone();
        };
        let Some(rest) = text
            .strip_prefix("PUBLIC.")
            .or_else(|| text.strip_prefix("\"public\"."))
        else {
            return self.clone();
        };
        let plain = ColumnType::Custom(rest.to_string());
        if plain.named_type().is_some_and(|n| known(&n)) {
            plain
        } else {
            self.clone()
        }
    }

    /// The name of the type this one names as the database spells it, for a type of
    /// the schema's own: an enum's, or a `Custom` type's without its array brackets
    /// and a `public.` qualifier (`PUBLIC.ADDR[]` is `addr`, `"Addr"` is `Addr`).
    /// `None` for a built-in type the model knows.
    pub fn named_type(&self) -> Option<String> {
        let text = match self {
            ColumnType::Enum(n) | ColumnType::EnumArray(n) => return Some(n.clone()),
            ColumnType::Custom(text) => text.as_str(),
            _ => return None,
        };
        let mut base = text.trim_end();
        while let Some(b) = base.strip_suffix("[]") {
            base = b.trim_end();
        }
        let base = base
            .strip_prefix("PUBLIC.")
            .or_else(|| base.strip_prefix("\"public\"."))
            .unwrap_or(base);
        Some(
            match base.strip_prefix('"').and_then(|t| t.strip_suffix('"')) {
                Some(quoted) => quoted.replace("\"\"", "\""),
                None => base.to_lowercase(),
            },
        )
    }

    /// Whether this type is the schema's type `name` or an array of it.
    pub fn names_type(&self, name: &str) -> bool {
        self.named_type().as_deref() == Some(name)
    }

    /// This type, or [`ColumnType::Enum`] when it is a `Custom` type naming one of
    /// `enums` ([`ColumnType::EnumArray`] for an array of one, `MOOD[]`). `Custom`
    /// holds a name as the parser does (upper case outside double quotes), so `MOOD`
    /// names the enum `mood` (an unquoted name, which PostgreSQL folds to lower case)
    /// and `"Mood"` the enum `Mood`; a `public.` qualifier is allowed. Any other type
    /// comes back as it is.
    pub fn resolve_enum(&self, enums: &BTreeMap<String, Vec<String>>) -> ColumnType {
        let ColumnType::Custom(text) = self else {
            return self.clone();
        };
        // The parser writes every array type with one `[]` (see `parse_type`). A type
        // with more (SQLite and MySQL keep the text) is no enum's array; looking
        // inside it one pair at a time made the resolution quadratic in the pairs.
        if let Some(element) = text.strip_suffix("[]") {
            if element.ends_with("[]") {
                return self.clone();
            }
            return match ColumnType::Custom(element.to_string()).resolve_enum(enums) {
                ColumnType::Enum(name) => ColumnType::EnumArray(name),
                _ => self.clone(),
            };
        }
        let text = text
            .strip_prefix("PUBLIC.")
            .or_else(|| text.strip_prefix("\"public\"."))
            .unwrap_or(text);
        let found = match text.strip_prefix('"').and_then(|t| t.strip_suffix('"')) {
            Some(quoted) => {
                let name = quoted.replace("\"\"", "\"");
                enums.contains_key(&name).then_some(name)
            }
            None => enums
                .keys()
                .find(|n| **n == n.to_lowercase() && n.to_uppercase() == text)
                .cloned(),
        };
        found.map_or_else(|| self.clone(), ColumnType::Enum)
    }

    /// The enum type this type is or is an array of (`Enum`, `EnumArray`).
    pub fn enum_name(&self) -> Option<&str> {
        match self {
            ColumnType::Enum(name) | ColumnType::EnumArray(name) => Some(name),
            _ => None,
        }
    }

    /// The integer type under one of PostgreSQL's serial pseudo-types (`SERIAL` is
    /// `INTEGER`, `BIGSERIAL` `BIGINT`, `SMALLSERIAL` `SMALLINT`): a column of one is a
    /// column of that type with a sequence default, which is what a type change acts
    /// on. `None` for any other type.
    pub fn serial_integer(&self) -> Option<ColumnType> {
        match self {
            ColumnType::Custom(name) => match name.as_str() {
                "SMALLSERIAL" => Some(ColumnType::SmallInt),
                "SERIAL" => Some(ColumnType::Integer),
                "BIGSERIAL" => Some(ColumnType::BigInt),
                _ => None,
            },
            _ => None,
        }
    }

    /// The serial pseudo-type over this integer type (`BIGINT` gives `BIGSERIAL`);
    /// `None` for a type that is not `SMALLINT`, `INTEGER` or `BIGINT`.
    pub fn serial_of(&self) -> Option<ColumnType> {
        let name = match self {
            ColumnType::SmallInt => "SMALLSERIAL",
            ColumnType::Integer => "SERIAL",
            ColumnType::BigInt => "BIGSERIAL",
            _ => return None,
        };
        Some(ColumnType::Custom(name.into()))
    }

    /// Whether changing a column from this type to `to` can change a stored value,
    /// as its text (what a `SELECT` returns), or reject one. Fail closed: only changes
    /// proven to keep the text of every value on every database answer `false`: a
    /// wider integer (also to a `DECIMAL` without fractional digits that has room for
    /// it, or to a floating-point type that writes each of its values as the integer
    /// does), a `DECIMAL` with the same scale and as many digits or more, a longer
    /// `VARCHAR`, a value with one text form to unbounded text, a larger MySQL text or
    /// blob type, an `ENUM(...)` to one with every label it had. Everything else
    /// answers `true`, among them: `CHAR(n)` (read padded in PostgreSQL, without its
    /// trailing spaces in MySQL), `BOOLEAN` (PostgreSQL's `t` is `true` as text),
    /// `REAL` to `DOUBLE` (`0.1` becomes `0.100000001490116`), `DATE` to `TIMESTAMP`
    /// (a time of day appears; MySQL's `TIMESTAMP` ends in 2038), another number of
    /// fractional seconds (MySQL writes the digits it keeps), a time zone gained or
    /// lost, and any change between types the model does not know (`Custom`:
    /// `VARBIT(8)` to `BIT(3)`, `INTERVAL` to `INTERVAL DAY`, `JSON` to `JSONB`).
    /// Two spellings of one type (`CHAR` and `CHAR(1)`, `DECIMAL(5)` and
    /// `DECIMAL(5, 0)`) are one type. MySQL's own types, which the model keeps as
    /// `Custom` (`TINYINT`, `INT UNSIGNED`, `MEDIUMTEXT`, `ENUM('a', 'b')`), are ranked
    /// with the portable ones of their family.
    pub fn narrows_to(&self, to: &ColumnType) -> bool {
        use ColumnType::*;
        // One spelling for each type the model can write two ways.
        let spelled = |t: &ColumnType| match t {
            Char(None) => Char(Some(1)),
            Decimal {
                precision: Some(p),
                scale: None,
            } => Decimal {
                precision: Some(*p),
                scale: Some(0),
            },
            other => other.clone(),
        };
        let (from, to) = (&spelled(self), &spelled(to));
        if from == to {
            return false;
        }
        // A serial column holds its integer type's values.
        if let (Some(a), Some(b)) = (from.serial_integer(), to.serial_integer()) {
            return a.narrows_to(&b);
        }
        if let (Some(a), Some(b)) = (from.enum_labels(), to.enum_labels()) {
            return a.iter().any(|l| !b.contains(l));
        }
        // MySQL's text and blob sizes, each family in its order of size.
        if let (Some((fa, a)), Some((fb, b))) = (from.lob_rank(), to.lob_rank())
            && fa == fb
        {
            return b < a;
        }
        // Fewer fractional digits round the stored values; more are written out by
        // MySQL (`10:00:00` becomes `10:00:00.000`).
        if let (Some((fa, _)), Some((fb, _))) = (from.fraction_rank(), to.fraction_rank())
            && fa == fb
        {
            return true;
        }
        // Every value but raw bytes, unknown types, a boolean (PostgreSQL reads `t`,
        // writes `true`) and a padded `CHAR(n)` has one text form.
        if matches!(to, Text | Varchar(None)) {
            return match from {
                Blob | Boolean | Char(_) => true,
                Custom(_) => from.enum_labels().is_none(),
                _ => false,
            };
        }
        // The largest magnitude a floating-point type writes as plain digits:
        // PostgreSQL writes `REAL` 1234567 as `1.234567e+06`, `DOUBLE PRECISION`
        // 10^15 as `1e+15`.
        let plain = |t: &ColumnType| match t {
            Real => Some(999_999i128),
            Double => Some(999_999_999_999_999),
            _ => None,
        };
        if let Some((lo, hi)) = from.integer_range() {
            if *from == Boolean {
                return true;
            }
            if let Some((to_lo, to_hi)) = to.integer_range() {
                return lo < to_lo || hi > to_hi;
            }
            if let Some(limit) = plain(to) {
                return lo < -limit || hi > limit;
            }
            if let Decimal { precision, scale } = to {
                let digits = |n: i128| n.unsigned_abs().to_string().len() as u32;
                let needed = digits(lo).max(digits(hi));
                return scale.unwrap_or(0) != 0 || precision.is_some_and(|p| p < needed);
            }
            return true;
        }
        match (from, to) {
            (
                Decimal {
                    precision: pa,
                    scale: sa,
                },
                Decimal {
                    precision: pb,
                    scale: sb,
                },
            ) => match (pa, pb) {
                // PostgreSQL's unconstrained `NUMERIC` keeps every value as written.
                (_, None) => sb.is_some(),
                (None, Some(_)) => true,
                (Some(pa), Some(pb)) => {
                    let (sa, sb) = (sa.unwrap_or(0), sb.unwrap_or(0));
                    sb != sa || pb < pa
                }
            },
            (Varchar(a), Varchar(b)) => match (a, b) {
                (_, None) => false,
                (None, Some(_)) => true,
                (Some(a), Some(b)) => b < a,
            },
            // `MEDIUMTEXT` and `LONGTEXT` hold any `VARCHAR` (at most 65,535 bytes).
            (Varchar(_), Custom(_)) => to.lob_rank().is_none_or(|(f, r)| f || r < 3),
            // A UUID's text is 36 characters.
            (Uuid, Varchar(Some(n))) => *n < 36,
            (Uuid, Char(Some(n))) => *n != 36,
            _ => true,
        }
    }

    /// The values an integer type holds, as `(min, max)`: the portable ones, and
    /// MySQL's `TINYINT`, `MEDIUMINT` and `UNSIGNED` types (which the model keeps as
    /// `Custom`). A `BOOLEAN` holds 0 and 1. `None` for any other type.
    pub fn integer_range(&self) -> Option<(i128, i128)> {
        let signed = |bits: u32| (-(1i128 << (bits - 1)), (1i128 << (bits - 1)) - 1);
        let unsigned = |bits: u32| (0, (1i128 << bits) - 1);
        Some(match self {
            ColumnType::Boolean => (0, 1),
            ColumnType::SmallInt => signed(16),
            ColumnType::Integer => signed(32),
            ColumnType::BigInt => signed(64),
            ColumnType::Custom(name) => match name.as_str() {
                "TINYINT" => signed(8),
                "MEDIUMINT" => signed(24),
                "TINYINT UNSIGNED" => unsigned(8),
                "SMALLINT UNSIGNED" => unsigned(16),
                "MEDIUMINT UNSIGNED" => unsigned(24),
                "INT UNSIGNED" | "INTEGER UNSIGNED" => unsigned(32),
                "BIGINT UNSIGNED" => unsigned(64),
                _ => return None,
            },
            _ => return None,
        })
    }

    /// The labels of MySQL's inline `ENUM('a', 'b')` (a `Custom` type); `None` for
    /// any other type.
    pub fn enum_labels(&self) -> Option<Vec<String>> {
        let ColumnType::Custom(text) = self else {
            return None;
        };
        let inner = text.strip_prefix("ENUM(")?.strip_suffix(')')?;
        let mut labels = Vec::new();
        let mut chars = inner.chars().peekable();
        loop {
            while chars.peek().is_some_and(|c| *c == ' ') {
                chars.next();
            }
            if chars.next()? != '\'' {
                return None;
            }
            let mut label = String::new();
            loop {
                match chars.next()? {
                    '\'' if chars.peek() == Some(&'\'') => {
                        chars.next();
                        label.push('\'');
                    }
                    '\'' => break,
                    c => label.push(c),
                }
            }
            labels.push(label);
            while chars.peek().is_some_and(|c| *c == ' ') {
                chars.next();
            }
            match chars.next() {
                None => return Some(labels),
                Some(',') => continue,
                Some(_) => return None,
            }
        }
    }

    /// MySQL's text (`false`) and blob (`true`) types in their order of size:
    /// `TINY` 1, plain (`Text`, `Blob`) 2, `MEDIUM` 3, `LONG` 4.
    /// For MySQL's time types with fractional seconds (kept as `Custom`): the type's
    /// name and its digits (0 when none are written).
    fn fraction_rank(&self) -> Option<(String, u32)> {
        let ColumnType::Custom(text) = self else {
            return None;
        };
        let (name, digits) = match text.split_once('(') {
            None => (text.trim(), 0),
            Some((name, rest)) => (name.trim(), rest.strip_suffix(')')?.trim().parse().ok()?),
        };
        let name = name.to_ascii_uppercase();
        matches!(name.as_str(), "DATETIME" | "TIMESTAMP" | "TIME").then_some((name, digits))
    }

    fn lob_rank(&self) -> Option<(bool, u8)> {
        Some(match self {
            ColumnType::Text => (false, 2),
            ColumnType::Blob => (true, 2),
            ColumnType::Custom(name) => match name.as_str() {
                "TINYTEXT" => (false, 1),
                "MEDIUMTEXT" => (false, 3),
                "LONGTEXT" => (false, 4),
                "TINYBLOB" => (true, 1),
                "MEDIUMBLOB" => (true, 3),
                "LONGBLOB" => (true, 4),
                _ => return None,
            },
            _ => return None,
        })
    }
}

impl fmt::Display for ColumnType {
    /// A dialect-neutral spelling, for messages (backends render their own).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ColumnType::SmallInt => f.write_str("SMALLINT"),
            ColumnType::Integer => f.write_str("INTEGER"),
            ColumnType::BigInt => f.write_str("BIGINT"),
            ColumnType::Real => f.write_str("REAL"),
            ColumnType::Double => f.write_str("DOUBLE PRECISION"),
            ColumnType::Decimal {
                precision: None, ..
            } => f.write_str("NUMERIC"),
            ColumnType::Decimal {
                precision: Some(p),
                scale: None,
            } => write!(f, "NUMERIC({p})"),
            ColumnType::Decimal {
                precision: Some(p),
                scale: Some(s),
            } => {
                write!(f, "NUMERIC({p}, {s})")
            }
            ColumnType::Boolean => f.write_str("BOOLEAN"),
            ColumnType::Char(None) => f.write_str("CHAR"),
            ColumnType::Char(Some(n)) => write!(f, "CHAR({n})"),
            ColumnType::Varchar(None) => f.write_str("VARCHAR"),
            ColumnType::Varchar(Some(n)) => write!(f, "VARCHAR({n})"),
            ColumnType::Text => f.write_str("TEXT"),
            ColumnType::Blob => f.write_str("BLOB"),
            ColumnType::Date => f.write_str("DATE"),
            ColumnType::Time => f.write_str("TIME"),
            ColumnType::Timestamp => f.write_str("TIMESTAMP"),
            ColumnType::TimestampTz => f.write_str("TIMESTAMP WITH TIME ZONE"),
            ColumnType::Json => f.write_str("JSON"),
            ColumnType::Uuid => f.write_str("UUID"),
            ColumnType::Enum(name) => f.write_str(name),
            ColumnType::EnumArray(name) => write!(f, "{name}[]"),
            ColumnType::Custom(s) => f.write_str(s),
        }
    }
}

/// MySQL's key part on a column's first `length` characters (bytes for a binary
/// column), as [`Index::columns`] holds it: `` `title`(50) ``, the column always
/// quoted, so that it is never read as a call of a function `title` (which no key
/// part of another database is written as).
pub fn prefix_part(column: &str, length: u32) -> String {
    format!("`{}`({length})", column.replace('`', "``"))
}

/// The column and length of a MySQL prefix part ([`prefix_part`]), without its
/// direction (` DESC`); `None` for a column or an expression.
pub fn split_prefix_part(part: &str) -> Option<(String, u32)> {
    let rest = part.strip_prefix('`')?;
    let mut column = String::new();
    let mut chars = rest.char_indices();
    let end = loop {
        let (i, c) = chars.next()?;
        if c == '`' {
            if rest[i + 1..].starts_with('`') {
                column.push('`');
                chars.next();
                continue;
            }
            break i + 1;
        }
        column.push(c);
    };
    let digits = rest[end..].strip_prefix('(')?.strip_suffix(')')?;
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some((column, digits.parse().ok().filter(|n| *n > 0)?))
}

/// How an unmodeled part written on column `name` starts in [`Table::unmodeled`].
pub fn column_part_prefix(name: &str) -> String {
    format!("column {name}: ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_prefix_part_reads_back_and_is_no_call() {
        assert_eq!(prefix_part("title", 50), "`title`(50)");
        assert_eq!(split_prefix_part("`title`(50)"), Some(("title".into(), 50)));
        assert_eq!(
            split_prefix_part(&prefix_part("a`b", 7)),
            Some(("a`b".into(), 7))
        );
        for not in [
            "title(50)",
            "`title`",
            "`title`(x)",
            "`title`(0)",
            "`t`(5) + 1",
            "`t",
        ] {
            assert_eq!(split_prefix_part(not), None, "{not}");
        }
    }

    #[test]
    fn a_type_with_a_hundred_thousand_brackets_resolves_in_one_step() {
        // Each pair was looked into on its own, a copy of the text each time: the
        // time and memory were quadratic and the recursion overflowed the stack.
        let text = format!("INT{}", "[]".repeat(100_000));
        let ty = ColumnType::Custom(text);
        let enums = BTreeMap::from([("int".to_string(), vec!["a".to_string()])]);
        assert_eq!(ty.resolve_enum(&enums), ty);
        let one = ColumnType::Custom("INT[]".into());
        assert_eq!(
            one.resolve_enum(&enums),
            ColumnType::EnumArray("int".into())
        );
    }

    #[test]
    fn check_names_follow_postgresql() {
        let mut t = Table::new("emp");
        t.columns.push(Column::new("salary", ColumnType::Integer));
        t.columns.push(Column::new("bonus", ColumnType::Integer));
        let c = Constraint::Check(Check {
            no_inherit: false,
            written: Default::default(),
            name: None,
            expr: "bonus < salary".into(),
        });
        assert_eq!(c.sql_name(&t), "emp_check");
        let c = Constraint::Check(Check {
            no_inherit: false,
            written: Default::default(),
            name: None,
            expr: "bonus > 0".into(),
        });
        assert_eq!(c.sql_name(&t), "emp_bonus_check");
        let c = Constraint::Check(Check {
            no_inherit: false,
            written: Default::default(),
            name: None,
            expr: "salaryx > 0".into(),
        });
        assert_eq!(c.sql_name(&t), "emp_check");
    }

    /// An unnamed exclusion constraint is known by the name PostgreSQL gives it: its
    /// columns, a function's name or `expr`, its included columns, a repeated name
    /// numbered (as the server named each of these).
    #[test]
    fn exclusion_names_follow_postgresql() {
        let x = |elements: &[&str], include: &[&str]| {
            Constraint::Exclusion(Exclusion {
                name: None,
                method: "gist".into(),
                elements: elements
                    .iter()
                    .map(|e| ExclusionElement {
                        expr: e.to_string(),
                        operator: "=".into(),
                    })
                    .collect(),
                include: include.iter().map(|c| c.to_string()).collect(),
                predicate: None,
                deferral: Deferral::NotDeferrable,
            })
        };
        let t = Table::new("b2");
        for (elements, include, name) in [
            (&["room", "during"][..], &[][..], "b2_room_during_excl"),
            (
                &["lower(seats)", "during"],
                &["note"],
                "b2_lower_during_note_excl",
            ),
            (&["room", "room"], &[], "b2_room_room1_excl"),
            (&["CAST(room AS BIGINT)"], &[], "b2_room_excl"),
            (&["CAST(room + 1 AS TEXT)"], &[], "b2_text_excl"),
            (&["room::BIGINT"], &[], "b2_room_excl"),
            (&["room + 1"], &[], "b2_expr_excl"),
            (&["room gist_int4_ops DESC"], &[], "b2_room_excl"),
        ] {
            assert_eq!(x(elements, include).sql_name(&t), name, "{elements:?}");
        }
        let mut t = t;
        t.exclusions.push(Exclusion {
            name: Some("b2_room_during_excl".into()),
            ..match x(&["room", "during"], &[]) {
                Constraint::Exclusion(e) => e,
                _ => unreachable!(),
            }
        });
        t.normalize();
        assert_eq!(t.exclusions[0].name, None);
    }

    #[test]
    fn normalize_forgets_names_that_are_the_implied_ones() {
        let mut t = Table::new("emp");
        t.columns.push(Column::new("id", ColumnType::Integer));
        t.columns.push(Column::new("email", ColumnType::Text));
        t.primary_key = Some(PrimaryKey {
            deferral: Default::default(),
            name: Some("emp_pkey".into()),
            columns: vec!["id".into()],
        });
        t.uniques.push(Unique {
            deferral: Default::default(),
            name: Some("emp_email_key".into()),
            columns: vec!["email".into()],
        });
        t.uniques.push(Unique {
            deferral: Default::default(),
            name: Some("uq_custom".into()),
            columns: vec!["id".into(), "email".into()],
        });
        t.checks.push(Check {
            no_inherit: false,
            written: Default::default(),
            name: Some("emp_id_check".into()),
            expr: "id > 0".into(),
        });
        t.normalize();
        assert_eq!(t.primary_key.as_ref().unwrap().name, None);
        let names: Vec<Option<&str>> = t.uniques.iter().map(|u| u.name.as_deref()).collect();
        assert_eq!(names, vec![None, Some("uq_custom")]);
        assert_eq!(t.checks[0].name, None);
    }

    #[test]
    fn a_foreign_keys_description_names_its_deferral() {
        let fk = |deferral| {
            Constraint::ForeignKey(ForeignKey {
                deferral,
                ..crate::build_test::fk(&["a"], "p", &["id"])
            })
        };
        assert_eq!(
            fk(Deferral::NotDeferrable).describe(),
            "foreign key (a) -> p (id)"
        );
        assert_eq!(
            fk(Deferral::InitiallyDeferred).describe(),
            "foreign key (a) -> p (id) deferrable initially deferred"
        );
    }

    /// MariaDB dumps a key written `ON DELETE RESTRICT` without the clause: against
    /// the migrations' key it is the same key; a clause written where the migrations
    /// wrote none, or another action, stays a difference.
    #[test]
    fn an_unwritten_action_takes_the_built_keys_restrict_or_no_action() {
        let schema = |on_delete, on_update| {
            let mut t = Table::new("c");
            t.foreign_keys.push(ForeignKey {
                on_delete,
                on_update,
                ..crate::build_test::fk(&["a"], "p", &["id"])
            });
            let mut s = Schema::new();
            s.tables.insert("c".into(), t);
            s
        };
        let actions = |s: &Schema| {
            let fk = &s.tables["c"].foreign_keys[0];
            (fk.on_delete, fk.on_update)
        };
        use FkAction::*;
        for (built, written, after) in [
            (
                (Restrict, Restrict),
                (Unspecified, Unspecified),
                (Restrict, Restrict),
            ),
            (
                (NoAction, Restrict),
                (Unspecified, Unspecified),
                (NoAction, Restrict),
            ),
            (
                (Cascade, Restrict),
                (Unspecified, Unspecified),
                (Unspecified, Restrict),
            ),
            (
                (Unspecified, Unspecified),
                (Restrict, NoAction),
                (Restrict, NoAction),
            ),
            (
                (Restrict, Restrict),
                (Cascade, Unspecified),
                (Cascade, Restrict),
            ),
        ] {
            let mut desired = schema(written.0, written.1);
            desired.unwritten_actions_as_in(&schema(built.0, built.1));
            assert_eq!(actions(&desired), after, "{built:?} {written:?}");
        }
        // Another key (other columns) takes nothing.
        let mut desired = schema(Unspecified, Unspecified);
        desired.tables.get_mut("c").unwrap().foreign_keys[0].columns = vec!["b".into()];
        desired.unwritten_actions_as_in(&schema(Restrict, Restrict));
        assert_eq!(actions(&desired), (Unspecified, Unspecified));
    }

    #[test]
    fn normalize_makes_primary_key_columns_not_null_and_fills_fk_targets() {
        let mut s = Schema::new();
        let mut parent = Table::new("p");
        parent.columns.push(Column::new("id", ColumnType::Integer));
        parent.primary_key = Some(PrimaryKey {
            deferral: Default::default(),
            name: None,
            columns: vec!["id".into()],
        });
        let mut child = Table::new("c");
        child.columns.push(Column::new("pid", ColumnType::Integer));
        child.foreign_keys.push(ForeignKey {
            name: None,
            columns: vec!["pid".into()],
            ref_table: "p".into(),
            ref_columns: vec![],
            on_delete: FkAction::Cascade,
            on_update: FkAction::NoAction,
            deferral: Default::default(),
        });
        s.tables.insert("p".into(), parent);
        s.tables.insert("c".into(), child);
        s.normalize();
        assert!(!s.tables["p"].columns[0].nullable);
        assert_eq!(
            s.tables["c"].foreign_keys[0].ref_columns,
            vec!["id".to_string()]
        );
    }

    #[test]
    fn words_are_column_references_outside_literals_and_calls() {
        // (text, word, first reference, text with the word renamed to `new`)
        let cases = [
            ("a > 0", "a", Some(0), "new > 0"),
            ("A > 0 AND b < a", "a", Some(0), "new > 0 AND b < new"),
            ("ab > 0", "a", None, "ab > 0"),
            (
                "x = 'a' AND a = 'it''s a'",
                "a",
                Some(12),
                "x = 'a' AND new = 'it''s a'",
            ),
            ("lower(lower) = 'x'", "lower", Some(6), "lower(new) = 'x'"),
            ("lower (email)", "email", Some(7), "lower (new)"),
            (
                "\"a\" > 0 AND \"A\" > 0",
                "a",
                Some(0),
                "\"new\" > 0 AND \"A\" > 0",
            ),
            ("t.a + `a`", "a", Some(2), "t.new + `new`"),
            ("é_a + a", "a", Some(7), "é_a + new"),
            ("'unterminated a", "a", None, "'unterminated a"),
            (
                "\"unterminated a",
                "unterminated a",
                None,
                "\"unterminated a",
            ),
            // Regression: an unclosed quote ending in a multibyte character panicked.
            ("\"é", "é", None, "\"é"),
            ("`a`(x) + a", "a", Some(9), "`a`(x) + new"),
        ];
        for (text, word, at, renamed) in cases {
            assert_eq!(find_word(text, word), at, "{text}");
            assert_eq!(replace_word(text, word, "new"), renamed, "{text}");
        }
        assert_eq!(replace_word("a > 0", "a", "my col"), "\"my col\" > 0");
        // A name PostgreSQL would fold, or a reserved word, is quoted.
        assert_eq!(replace_word("a > 0", "a", "Name"), "\"Name\" > 0");
        assert_eq!(replace_word("a > 0", "a", "select"), "\"select\" > 0");
        assert_eq!(replace_word("a > 0", "a", "prénom"), "\"prénom\" > 0");
        assert_eq!(replace_word("a > 0", "a", "b_2"), "b_2 > 0");
        assert!(SQL_RESERVED.windows(2).all(|w| w[0] < w[1]));
        assert_eq!(find_word("a", ""), None);
    }

    #[test]
    fn narrowing_types() {
        use ColumnType::*;
        let dec = |p: Option<u32>, s: Option<u32>| Decimal {
            precision: p,
            scale: s,
        };
        let enum_ab = Custom("ENUM('a', 'b')".into());
        let int_u = Custom("INT UNSIGNED".into());
        let custom = |t: &str| Custom(t.into());
        let cases = [
            (custom("DATETIME(6)"), custom("DATETIME(2)"), true),
            // MySQL writes the fractional digits a type keeps: `10:00:00.000`.
            (custom("DATETIME(2)"), custom("DATETIME(6)"), true),
            (custom("DATETIME"), custom("DATETIME(3)"), true),
            (custom("TIMESTAMP(3)"), custom("TIMESTAMP"), true),
            (custom("TIME(1)"), custom("TIME(4)"), true),
            // Regression (issue 17): PostgreSQL's fractions were rounded unguarded.
            (custom("TIMESTAMP(6)"), custom("TIMESTAMP(0)"), true),
            (custom("TIME(6)"), custom("TIME(0)"), true),
            (custom("VARBIT(8)"), custom("BIT(3)"), true),
            (custom("INTERVAL"), custom("INTERVAL DAY"), true),
            (Json, custom("JSONB"), true),
            (custom("TIME(4)"), custom("DATETIME(6)"), true),
            (BigInt, Integer, true),
            (BigInt, SmallInt, true),
            (Integer, SmallInt, true),
            (SmallInt, BigInt, false),
            // PostgreSQL writes a boolean `t`, and `true` as text.
            (Boolean, Integer, true),
            (Boolean, Text, true),
            (Integer, Boolean, true),
            (Integer, Double, false),
            (BigInt, Double, true),
            (Integer, Real, true),
            (Double, Real, true),
            // `0.1` becomes `0.100000001490116`.
            (Real, Double, true),
            // PostgreSQL writes a `REAL` from a million on as `1.234567e+06`.
            (SmallInt, Real, false),
            (Custom("MEDIUMINT".into()), Real, true),
            (Double, Integer, true),
            (Integer, dec(Some(10), Some(0)), false),
            // `5` becomes `5.00`.
            (Integer, dec(Some(10), Some(2)), true),
            (Integer, dec(Some(9), None), true),
            (SmallInt, dec(Some(5), None), false),
            (BigInt, dec(None, None), false),
            (dec(Some(10), Some(2)), dec(Some(12), Some(2)), false),
            (dec(Some(10), Some(2)), dec(Some(10), Some(1)), true),
            (dec(Some(10), Some(2)), dec(Some(10), Some(3)), true),
            (dec(Some(10), Some(2)), dec(None, None), false),
            (dec(Some(5), None), dec(Some(5), Some(0)), false),
            (dec(None, None), dec(Some(30), Some(5)), true),
            (dec(Some(5), None), Integer, true),
            (Varchar(Some(10)), Varchar(Some(5)), true),
            (Varchar(Some(10)), Varchar(Some(20)), false),
            (Varchar(Some(10)), Varchar(None), false),
            (Varchar(None), Varchar(Some(10)), true),
            (Text, Varchar(Some(255)), true),
            (Text, Char(None), true),
            // A `CHAR(n)` is read padded in PostgreSQL, trimmed in MySQL (issue 17).
            (Char(None), Varchar(Some(1)), true),
            (Char(None), Char(Some(1)), false),
            (Char(Some(3)), Text, true),
            (Varchar(Some(3)), Char(Some(3)), true),
            (Varchar(Some(3)), Char(Some(5)), true),
            (Char(Some(4)), Char(Some(3)), true),
            (Integer, Text, false),
            (Timestamp, Text, false),
            (Blob, Text, true),
            (Custom("MONEY".into()), Text, true),
            (Text, Integer, true),
            (Text, Json, true),
            (Json, Text, false),
            (Timestamp, Date, true),
            // A time of day appears; MySQL's `TIMESTAMP` ends in 2038 (issue 17).
            (Date, Timestamp, true),
            (Timestamp, TimestampTz, true),
            (TimestampTz, Timestamp, true),
            (Uuid, Char(Some(36)), false),
            (Uuid, Char(Some(40)), true),
            (Uuid, Varchar(Some(36)), false),
            (Uuid, Varchar(Some(32)), true),
            (Custom("A".into()), Custom("B".into()), true),
            (Custom("A".into()), Custom("A".into()), false),
            // PostgreSQL's serial types are their integer types.
            (Custom("SERIAL".into()), Custom("BIGSERIAL".into()), false),
            (Custom("SMALLSERIAL".into()), Custom("SERIAL".into()), false),
            (Custom("BIGSERIAL".into()), Custom("SERIAL".into()), true),
            // Regression: MySQL's widenings were data loss.
            (enum_ab.clone(), Custom("ENUM('a', 'b', 'c')".into()), false),
            (enum_ab.clone(), Custom("ENUM('c', 'a', 'b')".into()), false),
            (enum_ab.clone(), Custom("ENUM('a')".into()), true),
            (enum_ab.clone(), Custom("ENUM('a', 'c')".into()), true),
            (enum_ab.clone(), Text, false),
            (
                Custom("MEDIUMTEXT".into()),
                Custom("LONGTEXT".into()),
                false,
            ),
            (Text, Custom("MEDIUMTEXT".into()), false),
            (Custom("TINYTEXT".into()), Text, false),
            (Custom("LONGTEXT".into()), Custom("MEDIUMTEXT".into()), true),
            (Custom("MEDIUMTEXT".into()), Text, true),
            (Custom("LONGBLOB".into()), Blob, true),
            (Blob, Custom("LONGBLOB".into()), false),
            (Custom("TEXT".into()), Custom("LONGBLOB".into()), true),
            (Varchar(Some(100)), Custom("MEDIUMTEXT".into()), false),
            (Varchar(Some(100)), Custom("TINYTEXT".into()), true),
            (int_u.clone(), Custom("BIGINT UNSIGNED".into()), false),
            (int_u.clone(), BigInt, false),
            (int_u.clone(), Integer, true),
            (Integer, int_u.clone(), true),
            (Custom("BIGINT UNSIGNED".into()), int_u.clone(), true),
            (Custom("TINYINT".into()), SmallInt, false),
            (SmallInt, Custom("TINYINT".into()), true),
            (
                Custom("TINYINT UNSIGNED".into()),
                Custom("TINYINT".into()),
                true,
            ),
            (Custom("MEDIUMINT".into()), Integer, false),
            (Custom("BIGINT UNSIGNED".into()), Double, true),
            (int_u.clone(), Double, false),
            (int_u.clone(), dec(Some(10), Some(0)), false),
            (int_u, dec(Some(9), Some(0)), true),
            (Boolean, Custom("TINYINT UNSIGNED".into()), true),
        ];
        for (from, to, narrows) in cases {
            assert_eq!(from.narrows_to(&to), narrows, "{from} -> {to}");
        }
    }

    #[test]
    fn word_scanning_takes_any_text() {
        // Every short string over an alphabet of quotes, parentheses, spaces and
        // multibyte characters: no panic, and a rename changes the text exactly when
        // there is a reference.
        let alphabet = ["a", "'", "\"", "`", "(", " ", "é", "_", "''"];
        let mut state = 1u64;
        for _ in 0..20_000 {
            let mut text = String::new();
            for _ in 0..8 {
                state = state
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                text.push_str(alphabet[(state >> 33) as usize % alphabet.len()]);
            }
            for word in ["a", "é", "a a"] {
                let found = find_word(&text, word).is_some();
                assert_eq!(
                    found,
                    replace_word(&text, word, "b") != text,
                    "{text:?} {word:?}"
                );
            }
        }
    }
}
