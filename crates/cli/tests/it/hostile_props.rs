//! Hostile names, at random: a seeded generator (SplitMix64, as the schema crate's
//! property tests) makes a schema and a sequence of changes to it over names drawn
//! from a hostile alphabet (quotes, backticks, backslashes, brackets, `;`, `--`, `/*`, `*/`,
//! parentheses, new lines, tabs, unicode, leading digits, reserved words, mixed case,
//! trailing spaces, names of the longest length the database takes, and names that
//! carry `DELETE FROM victim`). Each change is one `schema.sql` and one `migrate`
//! (`--rename` for renames), run with `upgrade` on the real database (first without
//! consent, so that the data-loss guards count on the hostile names; with consent only
//! after a refusal that says data would be lost); then `check` must
//! find no drift and `migrate` nothing to write. At the end `downgrade` goes back to
//! the first revision, which `check` must then find exactly, the first rows still in
//! the tables that were never dropped. A `victim` table's rows are the canary: no
//! statement may touch them. The offline script (`upgrade --sql`) from the first
//! revision to the head also runs as printed: on SQLite on a copy of the database, on a
//! server on the database itself, which is then taken back to the first revision.
//!
//! The changes cover every kind the generator can say in `schema.sql`: create, drop
//! and rename a table; add, drop and rename a column; change a column's type (which
//! SQLite does by rebuilding the table), nullability and default; create and drop
//! indexes (plain, unique, and on SQLite and PostgreSQL expression and partial ones,
//! which embed column names in their text); add and drop unique, check (embedding a
//! column name) and foreign-key constraints; on PostgreSQL, create an enum type with
//! hostile labels (with a column of it) and add a label to one.
//!
//! What each database takes, and what `--rename` can say, is filtered per dialect:
//! MySQL has no trailing spaces in names and at most 64 characters, PostgreSQL at most
//! 63 bytes; MariaDB has neither expression nor partial indexes, and no `TEXT` column
//! is indexed there (it would need a prefix length). A `--rename` flag cannot name
//! something whose name has `.`, `=` or white space at either end, so such names are
//! never renamed. A quote twice in a row or after a backslash is refused by the parser
//! (`lex::check_faithful_quotes`), so no name holds one.
//!
//! The default run is a bounded sample (`CASES_SQLITE` or `CASES_SERVER` cases of
//! `STEPS` changes); `WILDEBEEST_HOSTILE_CASES=N` runs N cases (long mode) and
//! `WILDEBEEST_HOSTILE_SEED=S` starts at case S, to reproduce a failure.

use crate::servers::{Server, TestDb};
use crate::util::TempProject;

/// Cases in the default run on SQLite and on each server (a server case, about 60
/// commands each connecting to it, takes several seconds), and changes per case.
const CASES_SQLITE: u64 = 10;
const CASES_SERVER: u64 = 3;
const STEPS: usize = 7;

/// SplitMix64: small, fast, and the same on every platform.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Db {
    Sqlite,
    Postgres,
    Mysql,
}

/// The pieces hostile names are made of.
const FRAGMENTS: &[&str] = &[
    "\"",
    "'",
    "`",
    "\\",
    "[",
    "]",
    ";",
    "--",
    "/*",
    "*/",
    ")",
    "(",
    "\n",
    "\t",
    " ",
    "ü",
    "表",
    "é",
    "select",
    "ORDER",
    "MiXed",
    "x",
    "_",
    "$",
    "1",
    "); DELETE FROM victim; --",
    "'); DELETE FROM victim; --",
    "\"); DELETE FROM victim; --",
    "`); DELETE FROM victim; --",
    "*/ DELETE FROM victim; /*",
    "\n; DELETE FROM victim;\n",
];

/// Whole names that are hostile as they are: reserved words and a leading digit.
const WHOLE: &[&str] = &["select", "order", "group", "user", "table", "Key", "1st"];

/// Makes names unique in every database's sense (MySQL's column names ignore case and
/// accents, SQLite's case): each carries a counter no other name has.
struct Names {
    counter: u32,
    db: Db,
    whole_used: Vec<&'static str>,
}

impl Names {
    /// The longest name the database takes: 63 bytes on PostgreSQL, 64 characters on
    /// MySQL; SQLite has no limit, so 100.
    fn max_len(&self) -> usize {
        match self.db {
            Db::Postgres => 63,
            Db::Mysql => 64,
            Db::Sqlite => 100,
        }
    }

    fn fits(&self, name: &str) -> bool {
        match self.db {
            Db::Postgres => name.len() <= 63,
            Db::Mysql => name.chars().count() <= 64 && !name.ends_with([' ', '\t', '\n']),
            Db::Sqlite => !name.to_ascii_lowercase().starts_with("sqlite_"),
        }
    }

    /// A fresh name; `renamable` ones can be written in a `--rename` flag.
    fn fresh(&mut self, rng: &mut Rng, renamable: bool) -> String {
        loop {
            self.counter += 1;
            let tag = format!("#{}#", self.counter);
            let name = match rng.below(10) {
                // A reserved word alone, once each.
                0 => {
                    let w = *rng.pick(WHOLE);
                    if self.whole_used.contains(&w) {
                        continue;
                    }
                    self.whole_used.push(w);
                    w.to_string()
                }
                // As long as the database takes.
                1 => {
                    let mut s = tag.clone();
                    while s.len() < 200 {
                        let f: &&str = rng.pick(FRAGMENTS);
                        s.push_str(f);
                    }
                    let max = self.max_len();
                    let mut out = String::new();
                    for c in s.chars() {
                        let fits = match self.db {
                            Db::Postgres => out.len() + c.len_utf8() <= max,
                            _ => out.chars().count() < max,
                        };
                        if !fits {
                            break;
                        }
                        out.push(c);
                    }
                    out
                }
                _ => {
                    let n = 1 + rng.below(4);
                    let mut parts: Vec<&str> = (0..n).map(|_| *rng.pick(FRAGMENTS)).collect();
                    let tag: &str = &tag;
                    let at = rng.below(parts.len() + 1);
                    parts.insert(at, tag);
                    parts.concat()
                }
            };
            let spaced = name.trim() != name;
            // A quote twice in a row is refused by the parser (see `lex.rs`).
            let doubled = ["\"\"", "``", "''", "\\\"", "\\`", "\\'"]
                .iter()
                .any(|s| name.contains(s));
            if doubled || !self.fits(&name) || (renamable && (spaced || name.contains(['.', '='])))
            {
                continue;
            }
            return name;
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Ty {
    Integer,
    BigInt,
    Varchar20,
    Varchar40,
    Text,
}

impl Ty {
    fn sql(self) -> &'static str {
        match self {
            Ty::Integer => "INTEGER",
            Ty::BigInt => "BIGINT",
            Ty::Varchar20 => "VARCHAR(20)",
            Ty::Varchar40 => "VARCHAR(40)",
            Ty::Text => "TEXT",
        }
    }

    fn is_string(self) -> bool {
        matches!(self, Ty::Varchar20 | Ty::Varchar40 | Ty::Text)
    }

    /// A value of this type, as an SQL literal.
    fn literal(self, which: usize) -> &'static str {
        match (self.is_string(), which) {
            (true, 0) => "'v'",
            (true, 1) => "'d'",
            (true, _) => "'e'",
            (false, 0) => "7",
            (false, 1) => "0",
            (false, _) => "5",
        }
    }

    /// A value no row holds, for a check.
    fn never(self) -> &'static str {
        if self.is_string() { "'zz'" } else { "-1" }
    }
}

#[derive(Clone, Debug)]
struct Col {
    name: String,
    ty: Ty,
    not_null: bool,
    /// Which literal is the default (see [`Ty::literal`]), if any.
    default: Option<usize>,
    /// Whether a row may hold NULL here (so it cannot be made NOT NULL).
    may_be_null: bool,
    /// A primary or foreign key column (its type stays `INTEGER`) or one of an enum
    /// type: its type, nullability and default stay.
    key: bool,
    /// The PostgreSQL enum type of the column, if it has one.
    enum_type: Option<String>,
}

#[derive(Clone, Debug)]
enum Part {
    Column(String),
    Lower(String),
}

#[derive(Clone, Debug)]
struct Ix {
    name: String,
    parts: Vec<Part>,
    unique: bool,
    /// `WHERE col IS NOT NULL`.
    partial: Option<String>,
}

#[derive(Clone, Debug)]
struct Tbl {
    name: String,
    /// `cols[0]` is the primary key.
    cols: Vec<Col>,
    indexes: Vec<Ix>,
    uniques: Vec<(String, String)>,
    checks: Vec<(String, String)>,
    /// (constraint, column, referenced table).
    fks: Vec<(String, String, String)>,
    /// Whether it holds the first rows (made by the first revision, never dropped).
    has_rows: bool,
    /// Which table this is, whatever its name becomes.
    serial: u32,
}

impl Tbl {
    fn col(&self, name: &str) -> &Col {
        self.cols.iter().find(|c| c.name == name).unwrap()
    }

    /// Whether an index, constraint or key uses the column.
    fn uses(&self, name: &str) -> bool {
        self.cols[0].name == name
            || self.indexes.iter().any(|ix| {
                ix.partial.as_deref() == Some(name)
                    || ix.parts.iter().any(|p| match p {
                        Part::Column(c) | Part::Lower(c) => c == name,
                    })
            })
            || self.uniques.iter().any(|u| u.1 == name)
            || self.checks.iter().any(|c| c.1 == name)
            || self.fks.iter().any(|f| f.1 == name)
    }
}

fn q(db: Db, name: &str) -> String {
    match db {
        Db::Mysql => format!("`{}`", name.replace('`', "``")),
        _ => format!("\"{}\"", name.replace('"', "\"\"")),
    }
}

const VICTIM: &str = "victim";

/// The whole schema as `schema.sql` for `db`.
fn schema_sql(db: Db, tables: &[Tbl], enums: &[(String, Vec<String>)]) -> String {
    let q = |n: &str| q(db, n);
    let mut out = String::new();
    for (name, labels) in enums {
        let labels: Vec<String> = labels
            .iter()
            .map(|l| format!("'{}'", l.replace('\'', "''")))
            .collect();
        out.push_str(&format!(
            "CREATE TYPE {} AS ENUM ({});\n\n",
            q(name),
            labels.join(", ")
        ));
    }
    out.push_str(&format!(
        "CREATE TABLE {VICTIM} (id INTEGER PRIMARY KEY);\n\n"
    ));
    for t in tables {
        let mut lines = Vec::new();
        for c in &t.cols {
            let ty = match &c.enum_type {
                Some(e) => q(e),
                None => c.ty.sql().to_string(),
            };
            let mut l = format!("    {} {ty}", q(&c.name));
            if c.not_null {
                l.push_str(" NOT NULL");
            }
            if let Some(d) = c.default {
                l.push_str(&format!(" DEFAULT {}", c.ty.literal(d)));
            }
            lines.push(l);
        }
        lines.push(format!("    PRIMARY KEY ({})", q(&t.cols[0].name)));
        for (n, c) in &t.uniques {
            lines.push(format!("    CONSTRAINT {} UNIQUE ({})", q(n), q(c)));
        }
        for (n, c) in &t.checks {
            let never = t.col(c).ty.never();
            lines.push(format!(
                "    CONSTRAINT {} CHECK ({} <> {never})",
                q(n),
                q(c)
            ));
        }
        for (n, c, to) in &t.fks {
            let target = tables.iter().find(|x| x.name == *to).unwrap();
            lines.push(format!(
                "    CONSTRAINT {} FOREIGN KEY ({}) REFERENCES {} ({})",
                q(n),
                q(c),
                q(to),
                q(&target.cols[0].name)
            ));
        }
        out.push_str(&format!(
            "CREATE TABLE {} (\n{}\n);\n\n",
            q(&t.name),
            lines.join(",\n")
        ));
        for ix in &t.indexes {
            let parts: Vec<String> = ix
                .parts
                .iter()
                .map(|p| match p {
                    Part::Column(c) => q(c),
                    Part::Lower(c) => format!("lower({})", q(c)),
                })
                .collect();
            out.push_str(&format!(
                "CREATE {}INDEX {} ON {} ({})",
                if ix.unique { "UNIQUE " } else { "" },
                q(&ix.name),
                q(&t.name),
                parts.join(", ")
            ));
            if let Some(c) = &ix.partial {
                out.push_str(&format!(" WHERE {} IS NOT NULL", q(c)));
            }
            out.push_str(";\n");
        }
        out.push('\n');
    }
    out
}

/// The first row of a table, with a value in every column.
fn insert_sql(db: Db, t: &Tbl) -> String {
    let names: Vec<String> = t.cols.iter().map(|c| q(db, &c.name)).collect();
    let values: Vec<&str> = t
        .cols
        .iter()
        .enumerate()
        .map(|(i, c)| if i == 0 { "1" } else { c.ty.literal(0) })
        .collect();
    format!(
        "INSERT INTO {} ({}) VALUES ({});",
        q(db, &t.name),
        names.join(", "),
        values.join(", ")
    )
}

/// The generator's state: the tables, the names, what `migrate` is told.
struct Gen {
    db: Db,
    rng: Rng,
    names: Names,
    tables: Vec<Tbl>,
    /// PostgreSQL enum types and their labels.
    enums: Vec<(String, Vec<String>)>,
}

impl Gen {
    fn types(&self) -> &'static [Ty] {
        match self.db {
            // A TEXT column cannot be indexed in MySQL without a prefix length.
            Db::Mysql => &[Ty::Integer, Ty::BigInt, Ty::Varchar20, Ty::Varchar40],
            _ => &[
                Ty::Integer,
                Ty::BigInt,
                Ty::Varchar20,
                Ty::Varchar40,
                Ty::Text,
            ],
        }
    }

    fn column(&mut self, added_later: bool) -> Col {
        let ty = *self.rng.pick(self.types());
        let not_null = self.rng.chance(30);
        // A column added to a table with rows gets a default, so its rows have a value.
        let default = (added_later || self.rng.chance(30)).then(|| 1 + self.rng.below(2));
        Col {
            name: {
                let renamable = self.rng_renamable();
                self.names.fresh(&mut self.rng, renamable)
            },
            ty,
            not_null,
            default,
            may_be_null: false,
            key: false,
            enum_type: None,
        }
    }

    fn rng_renamable(&mut self) -> bool {
        self.rng.chance(60)
    }

    fn table(&mut self) -> Tbl {
        let renamable = self.rng_renamable();
        let name = self.names.fresh(&mut self.rng, renamable);
        let pk = Col {
            name: self.names.fresh(&mut self.rng, renamable),
            ty: Ty::Integer,
            not_null: true,
            default: None,
            may_be_null: false,
            key: true,
            enum_type: None,
        };
        let mut cols = vec![pk];
        for _ in 0..1 + self.rng.below(3) {
            let c = self.column(false);
            cols.push(c);
        }
        Tbl {
            name,
            cols,
            indexes: Vec::new(),
            uniques: Vec::new(),
            checks: Vec::new(),
            fks: Vec::new(),
            has_rows: false,
            serial: self.names.counter,
        }
    }

    fn renamable(name: &str) -> bool {
        name.trim() == name && !name.contains(['.', '='])
    }

    /// One change; `None` when the kind drawn has nothing to act on. Returns the
    /// `--rename` flags it needs and what it did, for messages.
    fn change(&mut self) -> Option<(Vec<String>, String)> {
        let kind = self
            .rng
            .below(if self.db == Db::Postgres { 19 } else { 17 });
        if kind == 0 || self.tables.is_empty() {
            let t = self.table();
            let what = format!("create table {:?}", t.name);
            self.tables.push(t);
            return Some((vec![], what));
        }
        let ti = self.rng.below(self.tables.len());
        let db = self.db;
        match kind {
            1 => {
                if self.tables.len() < 2 {
                    return None;
                }
                let t = self.tables.remove(ti);
                for other in &mut self.tables {
                    other.fks.retain(|f| f.2 != t.name);
                }
                Some((vec![], format!("drop table {:?}", t.name)))
            }
            2 => {
                let old = self.tables[ti].name.clone();
                if !Self::renamable(&old) {
                    return None;
                }
                let new = self.names.fresh(&mut self.rng, true);
                self.tables[ti].name = new.clone();
                for other in &mut self.tables {
                    for f in &mut other.fks {
                        if f.2 == old {
                            f.2 = new.clone();
                        }
                    }
                }
                Some((
                    vec![format!("{old}={new}")],
                    format!("rename table {old:?} to {new:?}"),
                ))
            }
            3 => {
                let c = self.column(true);
                let what = format!("add column {:?}", c.name);
                self.tables[ti].cols.push(c);
                Some((vec![], what))
            }
            4 => {
                let t = &mut self.tables[ti];
                let candidates: Vec<String> = t.cols[1..]
                    .iter()
                    .map(|c| c.name.clone())
                    .filter(|c| !t.uses(c))
                    // The downgrade adds it back to a table that may have rows, and
                    // may then make it NOT NULL again: its rows need a value, its
                    // default.
                    .filter(|c| t.col(c).default.is_some())
                    .collect();
                if candidates.is_empty() {
                    return None;
                }
                let c = self.rng.pick(&candidates).clone();
                let t = &mut self.tables[ti];
                t.cols.retain(|x| x.name != c);
                Some((vec![], format!("drop column {c:?}")))
            }
            5 => {
                let t = &self.tables[ti];
                if !Self::renamable(&t.name) {
                    return None;
                }
                let candidates: Vec<String> = t
                    .cols
                    .iter()
                    .map(|c| c.name.clone())
                    .filter(|c| Self::renamable(c))
                    .collect();
                if candidates.is_empty() {
                    return None;
                }
                let old = self.rng.pick(&candidates).clone();
                let new = self.names.fresh(&mut self.rng, true);
                let table = t.name.clone();
                let t = &mut self.tables[ti];
                let swap = |s: &mut String| {
                    if *s == old {
                        *s = new.clone();
                    }
                };
                for c in &mut t.cols {
                    swap(&mut c.name);
                }
                for ix in &mut t.indexes {
                    for p in &mut ix.parts {
                        match p {
                            Part::Column(c) | Part::Lower(c) => swap(c),
                        }
                    }
                    if let Some(p) = &mut ix.partial {
                        swap(p);
                    }
                }
                for u in &mut t.uniques {
                    swap(&mut u.1);
                }
                for c in &mut t.checks {
                    swap(&mut c.1);
                }
                for f in &mut t.fks {
                    swap(&mut f.1);
                }
                Some((
                    vec![format!("{table}.{old}={new}")],
                    format!("rename column {table:?}.{old:?} to {new:?}"),
                ))
            }
            6 => {
                let types = self.types();
                let t = &mut self.tables[ti];
                let candidates: Vec<usize> =
                    (1..t.cols.len()).filter(|i| !t.cols[*i].key).collect();
                if candidates.is_empty() {
                    return None;
                }
                let i = *self.rng.pick(&candidates);
                let from = self.tables[ti].cols[i].ty;
                // Within the family, so every value converts.
                let family: Vec<Ty> = types
                    .iter()
                    .copied()
                    .filter(|t| t.is_string() == from.is_string() && *t != from)
                    .collect();
                let to = *self.rng.pick(&family);
                let c = &mut self.tables[ti].cols[i];
                c.ty = to;
                Some((vec![], format!("type of {:?} {from:?} -> {to:?}", c.name)))
            }
            7 => {
                let t = &mut self.tables[ti];
                let candidates: Vec<usize> = (1..t.cols.len())
                    .filter(|i| !t.cols[*i].key && !t.cols[*i].may_be_null)
                    .collect();
                if candidates.is_empty() {
                    return None;
                }
                let i = *self.rng.pick(&candidates);
                let c = &mut self.tables[ti].cols[i];
                c.not_null = !c.not_null;
                Some((vec![], format!("nullability of {:?}", c.name)))
            }
            8 => {
                let t = &mut self.tables[ti];
                let candidates: Vec<usize> =
                    (1..t.cols.len()).filter(|i| !t.cols[*i].key).collect();
                if candidates.is_empty() {
                    return None;
                }
                let i = *self.rng.pick(&candidates);
                let next = match self.rng.below(3) {
                    0 => None,
                    n => Some(n),
                };
                let c = &mut self.tables[ti].cols[i];
                if c.default == next {
                    return None;
                }
                c.default = next;
                Some((vec![], format!("default of {:?}", c.name)))
            }
            9 => {
                let name = self.names.fresh(&mut self.rng, false);
                let t = &self.tables[ti];
                let n = 1 + self.rng.below(2.min(t.cols.len()));
                let mut parts = Vec::new();
                for _ in 0..n {
                    let c = self.rng.pick(&t.cols).clone();
                    if c.enum_type.is_some() {
                        continue;
                    }
                    if parts
                        .iter()
                        .any(|p| matches!(p, Part::Column(x) | Part::Lower(x) if *x == c.name))
                    {
                        continue;
                    }
                    if db != Db::Mysql && c.ty.is_string() && self.rng.chance(40) {
                        parts.push(Part::Lower(c.name));
                    } else {
                        parts.push(Part::Column(c.name));
                    }
                }
                let partial = (db != Db::Mysql && self.rng.chance(30))
                    .then(|| self.rng.pick(&t.cols).clone())
                    .filter(|c| c.enum_type.is_none())
                    .map(|c| c.name);
                let unique = self.rng.chance(30);
                let what = format!("create index {name:?}");
                self.tables[ti].indexes.push(Ix {
                    name,
                    parts,
                    unique,
                    partial,
                });
                Some((vec![], what))
            }
            10 => {
                let t = &mut self.tables[ti];
                if t.indexes.is_empty() {
                    return None;
                }
                let i = self.rng.below(t.indexes.len());
                let ix = t.indexes.remove(i);
                Some((vec![], format!("drop index {:?}", ix.name)))
            }
            11 => {
                let name = self.names.fresh(&mut self.rng, false);
                let t = &self.tables[ti];
                if t.cols.len() < 2 {
                    return None;
                }
                let c = self.rng.pick(&t.cols[1..]).clone();
                if c.enum_type.is_some() {
                    return None;
                }
                let c = c.name;
                if t.uniques.iter().any(|u| u.1 == c) {
                    return None;
                }
                let what = format!("add unique {name:?}");
                self.tables[ti].uniques.push((name, c));
                Some((vec![], what))
            }
            12 => {
                let t = &mut self.tables[ti];
                if t.uniques.is_empty() {
                    return None;
                }
                let u = t.uniques.remove(self.rng.below(t.uniques.len()));
                Some((vec![], format!("drop unique {:?}", u.0)))
            }
            13 => {
                let name = self.names.fresh(&mut self.rng, false);
                let t = &self.tables[ti];
                if t.cols.len() < 2 {
                    return None;
                }
                let c = self.rng.pick(&t.cols[1..]).clone();
                if c.enum_type.is_some() {
                    return None;
                }
                let c = c.name;
                let what = format!("add check {name:?}");
                self.tables[ti].checks.push((name, c));
                Some((vec![], what))
            }
            14 => {
                let t = &mut self.tables[ti];
                if t.checks.is_empty() {
                    return None;
                }
                let c = t.checks.remove(self.rng.below(t.checks.len()));
                Some((vec![], format!("drop check {:?}", c.0)))
            }
            15 => {
                // A new column that references a table's key: its rows hold NULL.
                let to = self.tables[self.rng.below(self.tables.len())].name.clone();
                let name = self.names.fresh(&mut self.rng, false);
                let col = Col {
                    name: {
                        let renamable = self.rng.chance(60);
                        self.names.fresh(&mut self.rng, renamable)
                    },
                    ty: Ty::Integer,
                    not_null: false,
                    default: None,
                    may_be_null: true,
                    key: true,
                    enum_type: None,
                };
                let what = format!("add foreign key {name:?} to {to:?}");
                let t = &mut self.tables[ti];
                t.fks.push((name, col.name.clone(), to));
                t.cols.push(col);
                Some((vec![], what))
            }
            16 => {
                let t = &mut self.tables[ti];
                if t.fks.is_empty() {
                    return None;
                }
                let f = t.fks.remove(self.rng.below(t.fks.len()));
                Some((vec![], format!("drop foreign key {:?}", f.0)))
            }
            17 => {
                // A new enum type with hostile labels, and a column of it.
                let name = self.names.fresh(&mut self.rng, false);
                let labels: Vec<String> = (0..2 + self.rng.below(2))
                    .map(|_| self.names.fresh(&mut self.rng, false))
                    .collect();
                let col = Col {
                    name: self.names.fresh(&mut self.rng, false),
                    ty: Ty::Integer,
                    not_null: false,
                    default: None,
                    may_be_null: true,
                    key: true,
                    enum_type: Some(name.clone()),
                };
                let what = format!("enum type {name:?} {labels:?} and column {:?}", col.name);
                self.enums.push((name, labels));
                self.tables[ti].cols.push(col);
                Some((vec![], what))
            }
            _ => {
                // A label added to an enum type.
                if self.enums.is_empty() {
                    return None;
                }
                let e = self.rng.below(self.enums.len());
                let label = self.names.fresh(&mut self.rng, false);
                let what = format!("label {label:?} added to {:?}", self.enums[e].0);
                self.enums[e].1.push(label);
                Some((vec![], what))
            }
        }
    }
}

/// One database to run on: how to reach it, run SQL on it and read it.
struct Target<'a> {
    db: Db,
    project: &'a TempProject,
    exec: &'a dyn Fn(&str),
    rows: &'a dyn Fn(&str) -> Vec<Vec<String>>,
}

fn run(p: &TempProject, args: &[&str], case: u64, log: &[String]) -> String {
    let out = p.cmd(args).output().unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        out.status.success() && !text.contains("panicked"),
        "case {case}: {args:?} failed:\n{text}\nchanges:\n{}\nschema.sql:\n{}",
        log.join("\n"),
        p.read("schema.sql")
    );
    text
}

/// Runs `args` without consent to lose data, so that the guards' count queries run on
/// the hostile names; when they find data to lose (the only refusal allowed), runs
/// again with `--allow-data-loss`.
fn run_guarded(p: &TempProject, args: &[&str], case: u64, log: &[String]) -> String {
    let out = p.cmd(args).output().unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    if out.status.success() {
        assert!(!text.contains("panicked"), "case {case}: {text}");
        return text;
    }
    assert!(
        text.contains(": it would destroy stored data."),
        "case {case}: {args:?} failed:\n{text}\nchanges:\n{}\nschema.sql:\n{}",
        log.join("\n"),
        p.read("schema.sql")
    );
    let mut consented = args.to_vec();
    consented.push("--allow-data-loss");
    run(p, &consented, case, log)
}

fn victim_rows(t: &Target<'_>) -> Vec<Vec<String>> {
    (t.rows)(&format!("SELECT id FROM {VICTIM} ORDER BY id"))
}

fn one_case(t: &Target<'_>, case: u64) {
    let p = t.project;
    let mut g = Gen {
        db: t.db,
        rng: Rng(case.wrapping_mul(0x5851_F42D_4C95_7F2D) ^ t.db as u64),
        names: Names {
            counter: 0,
            db: t.db,
            whole_used: Vec::new(),
        },
        tables: Vec::new(),
        enums: Vec::new(),
    };
    for _ in 0..2 + g.rng.below(2) {
        let tb = g.table();
        g.tables.push(tb);
    }
    let start = g.tables.clone();
    let mut log = vec![format!("start: {} tables", start.len())];
    p.write("schema.sql", &schema_sql(t.db, &g.tables, &g.enums));
    run(p, &["migrate", "-m", "start"], case, &log);
    run(p, &["upgrade"], case, &log);
    (t.exec)(&format!("INSERT INTO {VICTIM} (id) VALUES (1), (2), (3);"));
    for tb in &mut g.tables {
        (t.exec)(&insert_sql(t.db, tb));
        tb.has_rows = true;
        for c in &mut tb.cols {
            c.may_be_null = false;
        }
    }
    let canary = victim_rows(t);
    assert_eq!(canary.len(), 3);
    let mut revisions = 1;
    let mut step = 0;
    while step < STEPS {
        let Some((renames, what)) = g.change() else {
            continue;
        };
        step += 1;
        log.push(what);
        p.write("schema.sql", &schema_sql(t.db, &g.tables, &g.enums));
        let message = format!("step {step}");
        let mut args = vec!["migrate", "-m", &message];
        // `--rename=...`: a name may start with `-`.
        let flags: Vec<String> = renames.iter().map(|r| format!("--rename={r}")).collect();
        args.extend(flags.iter().map(String::as_str));
        let out = run(p, &args, case, &log);
        if out.contains("No changes") {
            continue;
        }
        revisions += 1;
        run_guarded(p, &["upgrade"], case, &log);
        let check = run(p, &["check"], case, &log);
        assert!(
            check.contains("OK"),
            "case {case}: {check}\n{}",
            log.join("\n")
        );
        let again = run(p, &["migrate", "-m", "again"], case, &log);
        assert!(
            again.contains("No changes"),
            "case {case}: {again}\n{}",
            log.join("\n")
        );
        assert_eq!(victim_rows(t), canary, "case {case}: {}", log.join("\n"));
    }
    let files = p.migrations();
    let first = files[0].clone();
    if revisions > 1 {
        // To the first revision by its id: a refused run may have reverted some
        // revisions before it stopped, so a relative step would go too far.
        run_guarded(p, &["downgrade", &revision_id(&first)], case, &log);
        if t.db == Db::Sqlite {
            offline_script(p, &first, case, &log, &canary);
        } else {
            // The offline script from the first revision to the head, run on the
            // server as printed (but psql's `\set`), must reach the head's schema and
            // leave the victim alone; then back to the first revision online.
            let rev = revision_id(&first);
            let script = run(p, &["upgrade", "--sql", &format!("{rev}:head")], case, &log);
            let sql: String = script
                .lines()
                .filter(|l| *l != "\\set ON_ERROR_STOP on")
                .map(|l| format!("{l}\n"))
                .collect();
            (t.exec)(&sql);
            assert_eq!(victim_rows(t), canary, "case {case}: {script}");
            let check = run(p, &["check"], case, &log);
            assert!(check.contains("OK"), "case {case}: {check}\n{script}");
            run_guarded(p, &["downgrade", &rev], case, &log);
        }
    }
    assert_eq!(victim_rows(t), canary, "case {case}: {}", log.join("\n"));
    // Back at the first revision: the database is the start, and the first rows are in
    // every table that was never dropped.
    for f in &files[1..] {
        std::fs::remove_file(f).unwrap();
    }
    run(p, &["rehash"], case, &log);
    p.write("schema.sql", &schema_sql(t.db, &start, &[]));
    let check = run(p, &["check"], case, &log);
    assert!(
        check.contains("OK"),
        "case {case}: {check}\n{}",
        log.join("\n")
    );
    for tb in &start {
        let n = (t.rows)(&format!("SELECT COUNT(*) FROM {}", q(t.db, &tb.name)));
        let kept = g.tables.iter().any(|x| x.has_rows && x.serial == tb.serial);
        if kept {
            assert_eq!(
                n[0][0],
                "1",
                "case {case}: rows of {:?}\n{}",
                tb.name,
                log.join("\n")
            );
        }
    }
    eprintln!(
        "case {case} ({:?}): {revisions} revisions; {}",
        t.db,
        log.join("; ")
    );
    // The next case starts from an empty database.
    run(p, &["downgrade", "base", "--allow-data-loss"], case, &log);
    std::fs::remove_file(&first).unwrap();
    run(p, &["rehash"], case, &log);
}

/// The revision id in a migration file's name (`<date>_<time>_<id>_<message>.sql`).
fn revision_id(file: &std::path::Path) -> String {
    let name = file.file_name().unwrap().to_string_lossy().to_string();
    name.split('_').nth(2).unwrap().to_string()
}

/// Runs the offline script from the first revision to the head (SQLite) on a copy of
/// the database, which is at the first revision: it must run as printed, leave the
/// victim's rows alone, and reach the head's schema.
fn offline_script(
    p: &TempProject,
    first: &std::path::Path,
    case: u64,
    log: &[String],
    canary: &[Vec<String>],
) {
    let rev = revision_id(first);
    let script = run(p, &["upgrade", "--sql", &format!("{rev}:head")], case, log);
    let copy = tempfile::tempdir().unwrap();
    let path = copy.path().join("copy.db");
    std::fs::copy(p.db(), &path).unwrap();
    let conn = rusqlite::Connection::open(&path).unwrap();
    // `.bail on` is for the sqlite3 shell; `execute_batch` stops at an error itself.
    let sql: String = script
        .lines()
        .filter(|l| *l != ".bail on")
        .map(|l| format!("{l}\n"))
        .collect();
    if let Err(e) = conn.execute_batch(&sql) {
        panic!(
            "case {case}: the offline script failed: {e}\n{script}\n{}",
            log.join("\n")
        );
    }
    let victim = crate::util::query_rows(&conn, &format!("SELECT id FROM {VICTIM} ORDER BY id"));
    assert_eq!(victim, canary, "case {case}: {script}");
    drop(conn);
    let url = format!("sqlite:{}", path.display());
    let check = run(p, &["--database-url", &url, "check"], case, log);
    assert!(check.contains("OK"), "case {case}: {check}\n{script}");
}

fn cases(default: u64) -> (u64, u64) {
    let n = std::env::var("WILDEBEEST_HOSTILE_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default);
    let seed = std::env::var("WILDEBEEST_HOSTILE_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    (seed, n)
}

#[test]
fn random_hostile_names_round_trip_on_sqlite() {
    let p = TempProject::init();
    let (seed, n) = cases(CASES_SQLITE);
    for case in seed..seed + n {
        let target = Target {
            db: Db::Sqlite,
            project: &p,
            exec: &|sql| p.conn().execute_batch(sql).unwrap(),
            rows: &|sql| p.rows(sql),
        };
        one_case(&target, case);
    }
}

fn on_server(server: Server) {
    let Some(test_db) = TestDb::new(server, "hostileprops") else {
        return;
    };
    let p = TempProject::init();
    p.write(
        "wildebeest.toml",
        &format!("database_url = \"{}\"\n", test_db.url),
    );
    let db = match server {
        Server::Postgres => Db::Postgres,
        Server::Mysql => Db::Mysql,
    };
    let (seed, n) = cases(CASES_SERVER);
    for case in seed..seed + n {
        let target = Target {
            db,
            project: &p,
            exec: &|sql| test_db.execute(sql),
            rows: &|sql| test_db.rows(sql),
        };
        one_case(&target, case);
    }
}

#[test]
fn random_hostile_names_round_trip_on_postgres() {
    on_server(Server::Postgres);
}

#[test]
fn random_hostile_names_round_trip_on_mysql() {
    on_server(Server::Mysql);
}
