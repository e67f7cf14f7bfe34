//! The schema model: what a database's tables look like, independent of any dialect.
//!
//! Everything here is plain data with value equality, so two schemas (parsed from
//! `schema.sql`, replayed from migrations, or introspected from a database) can be
//! compared with `==` and diffed.

use std::collections::BTreeMap;
use std::fmt;

/// A whole schema: tables and enum types by name. A `BTreeMap` keeps every walk over
/// it sorted, which keeps generated output deterministic.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Schema {
    pub tables: BTreeMap<String, Table>,
    /// Enum types (PostgreSQL `CREATE TYPE name AS ENUM (...)`): name to labels, in
    /// their order. Columns refer to one with [`ColumnType::Enum`]. Only PostgreSQL
    /// has them; the other backends report none (see their `canonical`).
    pub enums: BTreeMap<String, Vec<String>>,
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
    /// Indexes created with `CREATE INDEX`, sorted by name.
    pub indexes: Vec<Index>,
    /// Table options the model knows (SQLite `WITHOUT ROWID`, `STRICT`).
    pub options: TableOptions,
    /// Parts of the definition the model does not capture (a generated column, an
    /// unknown constraint), as found in the source. A table with any of these cannot
    /// be rebuilt from the model without losing them, so backends refuse to.
    pub unmodeled: Vec<String>,
}

/// Options that change how a table is stored.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TableOptions {
    pub without_rowid: bool,
    pub strict: bool,
}

/// A column. Nullability is explicit: primary-key columns are always `nullable: false`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Column {
    pub name: String,
    pub ty: ColumnType,
    pub nullable: bool,
    /// The default expression, normalized SQL text (see `wildebeest_sql::normalize_expr`).
    pub default: Option<String>,
    /// SQLite `AUTOINCREMENT` (later also identity columns).
    pub auto_increment: bool,
    /// An explicit `COLLATE` name.
    pub collation: Option<String>,
}

/// Column types: a portable set, plus any other type kept as written.
///
/// Parsing maps every alias to one variant and each backend renders a variant one way,
/// so a type survives render-then-parse unchanged.
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
    /// Any other type, upper-cased (outside double quotes) with white space folded,
    /// e.g. `GEOMETRY`, `MONEY`, or `MOOD` for an enum the schema does not (yet) have.
    Custom(String),
}

/// A primary key. `name` is `None` when the source gave none.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrimaryKey {
    pub name: Option<String>,
    pub columns: Vec<String>,
}

/// A `UNIQUE` constraint (not a unique index: those are [`Index`] with `unique`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Unique {
    pub name: Option<String>,
    pub columns: Vec<String>,
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
}

/// What a foreign key does when the referenced row goes or changes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum FkAction {
    #[default]
    NoAction,
    Restrict,
    Cascade,
    SetNull,
    SetDefault,
}

impl FkAction {
    /// The SQL words for this action.
    pub fn sql(self) -> &'static str {
        match self {
            FkAction::NoAction => "NO ACTION",
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
}

/// An index made with `CREATE [UNIQUE] INDEX`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Index {
    pub name: String,
    pub table: String,
    /// Column names, or normalized expressions for expression indexes; a descending
    /// part carries a trailing ` DESC`.
    pub columns: Vec<String>,
    pub unique: bool,
    /// The `WHERE` of a partial index, normalized SQL text.
    pub predicate: Option<String>,
}

/// A table-level constraint, as added or dropped by `ALTER TABLE`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Constraint {
    PrimaryKey(PrimaryKey),
    Unique(Unique),
    ForeignKey(ForeignKey),
    Check(Check),
}

impl Schema {
    /// An empty schema.
    pub fn new() -> Self {
        Schema::default()
    }

    /// The table called `name`, if any.
    pub fn table(&self, name: &str) -> Option<&Table> {
        self.tables.get(name)
    }

    /// The columns whose type is the enum `name`, as `(table, column)`, sorted.
    pub fn enum_users(&self, name: &str) -> Vec<(String, String)> {
        let mut out = Vec::new();
        for t in self.tables.values() {
            for c in &t.columns {
                if matches!(&c.ty, ColumnType::Enum(n) if n == name) {
                    out.push((t.name.clone(), c.name.clone()));
                }
            }
        }
        out
    }

    /// Puts every table into its canonical form (see [`Table::normalize`]), fills in
    /// the referenced columns of foreign keys that name only a table, and makes every
    /// column type that names one of the schema's enums [`ColumnType::Enum`] (see
    /// [`ColumnType::resolve_enum`]).
    pub fn normalize(&mut self) {
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
            }
            table.normalize();
        }
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
            indexes: Vec::new(),
            options: TableOptions::default(),
            unmodeled: Vec::new(),
        }
    }

    /// The column called `name`, if any.
    pub fn column(&self, name: &str) -> Option<&Column> {
        self.columns.iter().find(|c| c.name == name)
    }

    /// The canonical form: primary-key columns not null; constraints and indexes
    /// sorted, so that declaration order of constraints never shows up as a change.
    pub fn normalize(&mut self) {
        self.unname_implied();
        if let Some(pk) = &self.primary_key {
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
        self.checks.sort();
        self.checks.dedup();
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
            if c.name.as_deref() == Some(implied(Constraint::Check(unnamed)).as_str()) {
                c.name = None;
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
            collation: None,
        }
    }
}

impl Constraint {
    /// The explicit name, if the source gave one.
    pub fn name(&self) -> Option<&str> {
        match self {
            Constraint::PrimaryKey(c) => c.name.as_deref(),
            Constraint::Unique(c) => c.name.as_deref(),
            Constraint::ForeignKey(c) => c.name.as_deref(),
            Constraint::Check(c) => c.name.as_deref(),
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
        }
    }

    /// A short description for messages: `unique (a, b)`, `foreign key (x) -> t (id)`.
    pub fn describe(&self) -> String {
        match self {
            Constraint::PrimaryKey(c) => format!("primary key ({})", c.columns.join(", ")),
            Constraint::Unique(c) => format!("unique ({})", c.columns.join(", ")),
            Constraint::ForeignKey(c) => format!(
                "foreign key ({}) -> {} ({})",
                c.columns.join(", "),
                c.ref_table,
                c.ref_columns.join(", ")
            ),
            Constraint::Check(c) => format!("check ({})", c.expr),
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
            None if is_plain_ident(new) => out.push_str(new),
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
    /// This type, or [`ColumnType::Enum`] when it is a `Custom` type naming one of
    /// `enums`. `Custom` holds a name as the parser does (upper case outside double
    /// quotes), so `MOOD` names the enum `mood` (an unquoted name, which PostgreSQL
    /// folds to lower case) and `"Mood"` the enum `Mood`; a `public.` qualifier is
    /// allowed. Any other type comes back as it is.
    pub fn resolve_enum(&self, enums: &BTreeMap<String, Vec<String>>) -> ColumnType {
        let ColumnType::Custom(text) = self else {
            return self.clone();
        };
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

    /// Whether changing a column from this type to `to` can lose or reject stored
    /// values, conservatively: only changes known to keep every value (a wider
    /// integer, a longer string, any type to unbounded text, `DATE` to `TIMESTAMP`)
    /// answer `false`; a change to another family answers `true`.
    pub fn narrows_to(&self, to: &ColumnType) -> bool {
        use ColumnType::*;
        if self == to {
            return false;
        }
        // Every value but raw bytes and unknown types has a text form.
        if matches!(to, Text | Varchar(None)) {
            return matches!(self, Blob | Custom(_));
        }
        // Digits an integer type needs, and its order of width.
        let int = |t: &ColumnType| match t {
            Boolean => Some(1),
            SmallInt => Some(5),
            Integer => Some(10),
            BigInt => Some(19),
            _ => None,
        };
        // The length a string type holds; `None` is unbounded.
        let len = |t: &ColumnType| match t {
            Char(n) => Some(n.unwrap_or(1)),
            Varchar(n) => *n,
            _ => None,
        };
        match (self, to) {
            (SmallInt | Integer | BigInt | Boolean, SmallInt | Integer | BigInt) => {
                int(self) > int(to)
            }
            // A `REAL` mantissa holds 24 bits, a `DOUBLE` one 53.
            (Boolean | SmallInt, Real | Double) | (Integer, Double) | (Real, Double) => false,
            (SmallInt | Integer | BigInt | Boolean, Decimal { precision, scale }) => {
                match precision {
                    None => false,
                    Some(p) => p.saturating_sub(scale.unwrap_or(0)) < int(self).unwrap_or(u32::MAX),
                }
            }
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
                (_, None) => false,
                (None, Some(_)) => true,
                (Some(pa), Some(pb)) => {
                    let (sa, sb) = (sa.unwrap_or(0), sb.unwrap_or(0));
                    sb < sa || pb.saturating_sub(sb) < pa.saturating_sub(sa)
                }
            },
            (Char(_) | Varchar(_), Char(_) | Varchar(_)) => match (len(self), len(to)) {
                (_, None) => false,
                (None, Some(_)) => true,
                (Some(a), Some(b)) => b < a,
            },
            (Uuid, Char(Some(n)) | Varchar(Some(n))) => *n < 36,
            (Date, Timestamp | TimestampTz) | (Timestamp, TimestampTz) => false,
            _ => true,
        }
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
            ColumnType::Custom(s) => f.write_str(s),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn check_names_follow_postgresql() {
        let mut t = Table::new("emp");
        t.columns.push(Column::new("salary", ColumnType::Integer));
        t.columns.push(Column::new("bonus", ColumnType::Integer));
        let c = Constraint::Check(Check {
            name: None,
            expr: "bonus < salary".into(),
        });
        assert_eq!(c.sql_name(&t), "emp_check");
        let c = Constraint::Check(Check {
            name: None,
            expr: "bonus > 0".into(),
        });
        assert_eq!(c.sql_name(&t), "emp_bonus_check");
        let c = Constraint::Check(Check {
            name: None,
            expr: "salaryx > 0".into(),
        });
        assert_eq!(c.sql_name(&t), "emp_check");
    }

    #[test]
    fn normalize_forgets_names_that_are_the_implied_ones() {
        let mut t = Table::new("emp");
        t.columns.push(Column::new("id", ColumnType::Integer));
        t.columns.push(Column::new("email", ColumnType::Text));
        t.primary_key = Some(PrimaryKey {
            name: Some("emp_pkey".into()),
            columns: vec!["id".into()],
        });
        t.uniques.push(Unique {
            name: Some("emp_email_key".into()),
            columns: vec!["email".into()],
        });
        t.uniques.push(Unique {
            name: Some("uq_custom".into()),
            columns: vec!["id".into(), "email".into()],
        });
        t.checks.push(Check {
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
    fn normalize_makes_primary_key_columns_not_null_and_fills_fk_targets() {
        let mut s = Schema::new();
        let mut parent = Table::new("p");
        parent.columns.push(Column::new("id", ColumnType::Integer));
        parent.primary_key = Some(PrimaryKey {
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
        assert_eq!(find_word("a", ""), None);
    }

    #[test]
    fn narrowing_types() {
        use ColumnType::*;
        let dec = |p: Option<u32>, s: Option<u32>| Decimal {
            precision: p,
            scale: s,
        };
        let cases = [
            (BigInt, Integer, true),
            (BigInt, SmallInt, true),
            (Integer, SmallInt, true),
            (SmallInt, BigInt, false),
            (Boolean, Integer, false),
            (Integer, Boolean, true),
            (Integer, Double, false),
            (BigInt, Double, true),
            (Integer, Real, true),
            (Double, Real, true),
            (Real, Double, false),
            (Double, Integer, true),
            (Integer, dec(Some(10), Some(0)), false),
            (Integer, dec(Some(10), Some(2)), true),
            (BigInt, dec(None, None), false),
            (dec(Some(10), Some(2)), dec(Some(12), Some(2)), false),
            (dec(Some(10), Some(2)), dec(Some(10), Some(1)), true),
            (dec(Some(10), Some(2)), dec(Some(10), Some(3)), true),
            (dec(None, None), dec(Some(30), Some(5)), true),
            (dec(Some(5), None), Integer, true),
            (Varchar(Some(10)), Varchar(Some(5)), true),
            (Varchar(Some(10)), Varchar(Some(20)), false),
            (Varchar(Some(10)), Varchar(None), false),
            (Varchar(None), Varchar(Some(10)), true),
            (Text, Varchar(Some(255)), true),
            (Text, Char(None), true),
            (Char(None), Varchar(Some(1)), false),
            (Char(Some(4)), Char(Some(3)), true),
            (Integer, Text, false),
            (Timestamp, Text, false),
            (Blob, Text, true),
            (Custom("MONEY".into()), Text, true),
            (Text, Integer, true),
            (Text, Json, true),
            (Json, Text, false),
            (Timestamp, Date, true),
            (Date, Timestamp, false),
            (Timestamp, TimestampTz, false),
            (TimestampTz, Timestamp, true),
            (Uuid, Char(Some(36)), false),
            (Uuid, Varchar(Some(32)), true),
            (Custom("A".into()), Custom("B".into()), true),
            (Custom("A".into()), Custom("A".into()), false),
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
