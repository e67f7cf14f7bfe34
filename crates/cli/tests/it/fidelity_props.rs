//! Fidelity, at random: a seeded generator (SplitMix64) writes a `schema.sql` per
//! dialect out of the spellings users write (types with their parameters; defaults
//! that are literals, typed literals, intervals, arrays and function calls; checks
//! with `IN`, `= ANY`, row comparisons, casts and functions; plain, unique, expression
//! and partial indexes, with operator classes, collations, orders and access methods;
//! primary, unique, foreign-key and check constraints, named and unnamed; identity and
//! auto-increment keys; generated columns; comments; PostgreSQL enum types and domains;
//! a simple view). Each case:
//!
//! 1. the file is loaded directly with the database's own client (`psql`, `mariadb`,
//!    `sqlite3`) into a database of its own. A file the database refuses is no case
//!    (counted apart as "not accepted"): the generator may write what the server does
//!    not take, but only what it takes is asked of wildebeest;
//! 2. `migrate`, `upgrade` and `check` run on another database; `check` must exit 0.
//!    `migrate` may refuse only by one of the documented refusals
//!    ([`DOCUMENTED_REFUSALS`], each in docs/migrate.md), counted and reported apart;
//! 3. the catalogs of the two databases must be equal as the server itself reports
//!    them (PostgreSQL: `pg_catalog` with `format_type`, `pg_get_expr`,
//!    `pg_get_constraintdef`, `pg_get_indexdef`; MariaDB: `SHOW CREATE TABLE`; SQLite:
//!    the pragmas and the `CHECK`, index and view texts of `sqlite_master`; views,
//!    comments and types through [`Side::objects_direct`]), never through
//!    wildebeest's inspection, which could agree with itself. Column order and the
//!    names the database generates are set aside: the generator gives every name it
//!    writes the prefix `nm_`, and any other constraint or index name is compared as
//!    `?`.
//!
//! A construct that still fails is listed in [`KNOWN_FINDINGS`] with what it does:
//! it is generated only with `WILDEBEEST_FIDELITY_FINDINGS=1` (and then fails), so a
//! finding is never forgotten, only named.
//!
//! The default run is a seeded sample (`CASES_SQLITE` or `CASES_SERVER` cases);
//! `WILDEBEEST_FIDELITY_CASES=N` runs N cases per dialect (long mode),
//! `WILDEBEEST_FIDELITY_SEED=S` starts at case S, to reproduce one, and
//! `WILDEBEEST_FIDELITY_VERBOSE=1` prints why the database refused a file and the
//! constructs of each case that passed. Figures of
//! a long run are in docs/RELIABILITY.md.

use std::collections::BTreeMap;
use std::io::Write as _;
use std::process::{Command, Stdio};

use crate::servers::{Server, TestDb};
use crate::util::TempProject;

/// Cases in the default run on SQLite and on each server.
const CASES_SQLITE: u64 = 25;
const CASES_SERVER: u64 = 12;

/// What `migrate` may refuse, by the words of its message (each documented in
/// docs/migrate.md): a case refused so is counted, not failed.
const DOCUMENTED_REFUSALS: &[&str] = &[];

/// Constructs that still fail, by the id the generator gives them, with the finding.
/// Generated only in the long run.
const KNOWN_FINDINGS: &[(&str, &str)] = &[(
    "my-col-check",
    "MariaDB: a column's CHECK (`c int CHECK (c > 0)`) is created as a table \
         CHECK (`CONSTRAINT t_c_check CHECK (...)`). MariaDB keeps a column's check \
         apart: named after the column, LEVEL `Column` in CHECK_CONSTRAINTS, shown \
         inline by SHOW CREATE TABLE, restated by every MODIFY of the column and \
         dropped by a MODIFY without it (`DROP CONSTRAINT c` does not find it). The \
         model does not say where a check was written (`Check` has no column), so \
         the renderer cannot write it inline nor keep it through a MODIFY",
)];

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
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Db {
    Sqlite,
    Postgres,
    Mysql,
}

/// What a column holds, for choosing defaults, checks and indexes that fit it.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Kind {
    Int,
    Num,
    Text,
    Bool,
    Date,
    Ts,
    Interval,
    Jsonb,
    Json,
    IntArray,
    TextArray,
    Uuid,
    Bytes,
    Enum,
    Bit,
}

/// One alternative: an id (for [`KNOWN_FINDINGS`] and the report) and its text, in
/// which `{c}` stands for the column's name.
type Alt = (&'static str, &'static str);

fn types(db: Db) -> &'static [(Kind, &'static str)] {
    use Kind::*;
    match db {
        Db::Postgres => &[
            (Int, "integer"),
            (Int, "bigint"),
            (Int, "smallint"),
            (Int, "int4"),
            (Num, "numeric(10, 2)"),
            (Num, "numeric"),
            (Num, "decimal(5)"),
            (Num, "real"),
            (Num, "double precision"),
            (Text, "text"),
            (Text, "varchar(40)"),
            (Text, "character varying(12)"),
            (Text, "char(3)"),
            (Bool, "boolean"),
            (Date, "date"),
            (Ts, "timestamp"),
            (Ts, "timestamp(3)"),
            (Ts, "timestamptz"),
            (Ts, "timestamp(0) with time zone"),
            (Interval, "interval"),
            (Interval, "interval(3)"),
            (Jsonb, "jsonb"),
            (Json, "json"),
            (IntArray, "integer[]"),
            (IntArray, "int[]"),
            (TextArray, "text[]"),
            (TextArray, "varchar(10)[]"),
            (Uuid, "uuid"),
            (Bytes, "bytea"),
        ],
        Db::Mysql => &[
            (Int, "int"),
            (Int, "bigint"),
            (Int, "smallint"),
            (Int, "tinyint"),
            (Int, "int unsigned"),
            (Int, "mediumint"),
            (Int, "int(11)"),
            (Num, "decimal(10,2)"),
            (Num, "decimal"),
            (Num, "numeric(5,1)"),
            (Num, "double"),
            (Num, "float"),
            (Text, "varchar(40)"),
            (Text, "char(3)"),
            (Text, "text"),
            (Text, "tinytext"),
            (Text, "nvarchar(20)"),
            (Text, "varchar(10) CHARACTER SET latin1"),
            (Text, "varchar(10) COLLATE utf8mb4_bin"),
            (Bool, "boolean"),
            (Bool, "tinyint(1)"),
            (Date, "date"),
            (Ts, "datetime"),
            (Ts, "datetime(3)"),
            (Ts, "timestamp NULL"),
            (Json, "json"),
            (Enum, "enum('a','b','c')"),
            (Bytes, "blob"),
            (Bytes, "varbinary(16)"),
            (Bit, "bit(4)"),
        ],
        Db::Sqlite => &[
            (Int, "INTEGER"),
            (Int, "INT"),
            (Int, "BIGINT"),
            (Int, "UNSIGNED BIG INT"),
            (Text, "TEXT"),
            (Text, "VARCHAR(40)"),
            (Text, "NVARCHAR(20)"),
            (Text, "CHARACTER(3)"),
            (Num, "DECIMAL(5,2)"),
            (Num, "NUMERIC(10, 2)"),
            (Num, "NUMERIC"),
            (Num, "REAL"),
            (Num, "DOUBLE PRECISION"),
            (Num, "FLOAT"),
            (Bytes, "BLOB"),
            (Bool, "BOOLEAN"),
            (Date, "DATE"),
            (Ts, "DATETIME"),
            (Ts, "TIMESTAMP"),
        ],
    }
}

fn defaults(db: Db, kind: Kind, ty: &str) -> Vec<Alt> {
    use Kind::*;
    let v: &[Alt] = match (db, kind) {
        (Db::Postgres, Int) => &[
            ("pg-int-0", "0"),
            ("pg-int-neg", "-1"),
            ("pg-int-str", "'42'"),
            ("pg-int-cast", "'7'::integer"),
            ("pg-int-expr", "(1 + 2)"),
        ],
        (Db::Postgres, Num) => &[
            ("pg-num-lit", "1.5"),
            ("pg-num-str", "'1.5'"),
            ("pg-num-neg-str", "'-0.50'"),
            ("pg-num-zero", "0"),
        ],
        (Db::Postgres, Text) => &[
            ("pg-text-lit", "'x'"),
            ("pg-text-empty", "''"),
            ("pg-text-quote", "'it''s'"),
            ("pg-text-call", "lower('ABC')"),
            ("pg-text-cast", "'a'::text"),
            ("pg-text-concat", "('a' || 'b')"),
        ],
        (Db::Postgres, Bool) => &[
            ("pg-bool-true", "true"),
            ("pg-bool-false", "FALSE"),
            ("pg-bool-str", "'t'"),
        ],
        (Db::Postgres, Date) => &[
            ("pg-date-current", "CURRENT_DATE"),
            ("pg-date-typed", "DATE '2020-01-02'"),
            ("pg-date-str", "'2020-01-02'"),
            ("pg-date-cast", "'2020-01-02'::date"),
        ],
        (Db::Postgres, Ts) => &[
            ("pg-ts-now", "now()"),
            ("pg-ts-current", "CURRENT_TIMESTAMP"),
            ("pg-ts-local", "LOCALTIMESTAMP"),
            ("pg-ts-typed", "TIMESTAMP '2020-01-01 10:00:00'"),
            ("pg-ts-str", "'2020-01-01 10:00:00'"),
        ],
        (Db::Postgres, Interval) if ty == "interval(3)" => &[
            ("pg-iv3-typed", "INTERVAL '2 days'"),
            ("pg-iv3-str", "'1 hour'"),
        ],
        (Db::Postgres, Interval) => &[
            ("pg-iv-year", "INTERVAL '1' YEAR"),
            ("pg-iv-days", "INTERVAL '2 days'"),
            ("pg-iv-str", "'1 hour'"),
            ("pg-iv-cast", "'1 hour'::interval"),
            ("pg-iv-ym", "INTERVAL '1-2' YEAR TO MONTH"),
        ],
        (Db::Postgres, Jsonb) => &[
            ("pg-jsonb-str", "'{}'"),
            ("pg-jsonb-cast", "'{\"a\": 1}'::jsonb"),
            ("pg-jsonb-call", "jsonb_build_object('a', 1)"),
        ],
        (Db::Postgres, Json) => &[("pg-json-str", "'[]'"), ("pg-json-cast", "'[]'::json")],
        (Db::Postgres, IntArray) => &[
            ("pg-arr-ctor", "ARRAY[1, 2]"),
            ("pg-arr-str", "'{}'"),
            ("pg-arr-cast", "'{1,2}'::integer[]"),
            ("pg-arr-empty", "ARRAY[]::INT[]"),
        ],
        (Db::Postgres, TextArray) => &[
            ("pg-tarr-ctor", "ARRAY['a', 'b']"),
            ("pg-tarr-cast", "'{}'::text[]"),
            ("pg-tarr-empty", "ARRAY[]::text[]"),
        ],
        (Db::Postgres, Uuid) => &[
            ("pg-uuid-call", "gen_random_uuid()"),
            ("pg-uuid-str", "'00000000-0000-0000-0000-000000000000'"),
        ],
        (Db::Postgres, Bytes) => &[
            ("pg-bytes-call", "decode('00ff', 'hex')"),
            ("pg-bytes-cast", "''::bytea"),
        ],
        (Db::Mysql, Int) => &[
            ("my-int-0", "0"),
            ("my-int-str", "'5'"),
            ("my-int-expr", "(1 + 2)"),
        ],
        (Db::Mysql, Num) => &[
            ("my-num-lit", "1.5"),
            ("my-num-str", "'1.5'"),
            ("my-num-zero", "0"),
        ],
        (Db::Mysql, Text) if ty.contains("text") => &[
            ("my-text-lit-blob", "'x'"),
            ("my-text-call", "(lower('ABC'))"),
        ],
        (Db::Mysql, Text) => &[
            ("my-text-lit", "'x'"),
            ("my-text-empty", "''"),
            ("my-text-quote", "'it''s'"),
            ("my-text-call", "(lower('ABC'))"),
        ],
        (Db::Mysql, Bool) => &[
            ("my-bool-true", "true"),
            ("my-bool-0", "0"),
            ("my-bool-false", "FALSE"),
        ],
        (Db::Mysql, Date) => &[
            ("my-date-str", "'2020-01-02'"),
            ("my-date-typed", "DATE '2020-01-02'"),
            ("my-date-current", "(CURRENT_DATE)"),
            ("my-date-curdate", "(curdate())"),
        ],
        (Db::Mysql, Ts) if ty.contains("(3)") => &[
            ("my-ts3-current", "CURRENT_TIMESTAMP(3)"),
            ("my-ts3-now", "now(3)"),
            ("my-ts3-str", "'2020-01-01 10:00:00.123'"),
        ],
        (Db::Mysql, Ts) => &[
            ("my-ts-current", "CURRENT_TIMESTAMP"),
            ("my-ts-now", "now()"),
            ("my-ts-str", "'2020-01-01 10:00:00'"),
            ("my-ts-typed", "TIMESTAMP '2020-01-01 10:00:00'"),
        ],
        (Db::Mysql, Json) => &[("my-json-str", "'{}'")],
        (Db::Mysql, Enum) => &[("my-enum-lit", "'b'")],
        (Db::Postgres, Enum) => &[("pg-enum-lit", "'b'"), ("pg-enum-cast", "'c'::nm_mood")],
        (Db::Mysql, Bytes) if ty.contains("var") => &[("my-bytes-str", "'ab'")],
        (Db::Mysql, Bit) => &[("my-bit-lit", "b'0101'")],
        (Db::Sqlite, Int) => &[
            ("lite-int-0", "0"),
            ("lite-int-neg", "-1"),
            ("lite-int-expr", "(1 + 2)"),
        ],
        (Db::Sqlite, Num) => &[("lite-num-lit", "1.5"), ("lite-num-str", "'1.50'")],
        (Db::Sqlite, Text) => &[
            ("lite-text-lit", "'x'"),
            ("lite-text-empty", "''"),
            ("lite-text-quote", "'it''s'"),
            ("lite-text-call", "(lower('ABC'))"),
        ],
        (Db::Sqlite, Bool) => &[("lite-bool-true", "TRUE"), ("lite-bool-0", "0")],
        (Db::Sqlite, Date) => &[
            ("lite-date-current", "CURRENT_DATE"),
            ("lite-date-str", "'2020-01-02'"),
            ("lite-date-call", "(date('now'))"),
        ],
        (Db::Sqlite, Ts) => &[
            ("lite-ts-current", "CURRENT_TIMESTAMP"),
            ("lite-ts-call", "(datetime('now'))"),
        ],
        (Db::Sqlite, Bytes) => &[("lite-blob-lit", "X'00FF'")],
        _ => &[],
    };
    v.to_vec()
}

/// Checks on one column.
fn checks(db: Db, kind: Kind, ty: &str) -> Vec<Alt> {
    use Kind::*;
    let v: &[Alt] = match (db, kind) {
        (Db::Postgres, Text) if ty != "text" => &[
            ("pg-chk-tin", "{c} IN ('a', 'b')"),
            ("pg-chk-len", "length({c}) > 0"),
            ("pg-chk-tany-char", "{c} = ANY (ARRAY['a', 'b'])"),
            ("pg-chk-like", "{c} LIKE 'a%'"),
        ],
        (Db::Postgres, Int) => &[
            ("pg-chk-gt", "{c} > 0"),
            ("pg-chk-in", "{c} IN (1, 2, 3)"),
            ("pg-chk-in-one", "{c} IN (7)"),
            ("pg-chk-any", "{c} = ANY (ARRAY[1, 2])"),
            ("pg-chk-some", "{c} = SOME(ARRAY[1, 2])"),
            ("pg-chk-between", "{c} BETWEEN 1 AND 9"),
            ("pg-chk-cast-text", "{c}::text <> ''"),
            ("pg-chk-cast-fn", "CAST({c} AS bigint) < 1000000"),
        ],
        (Db::Postgres, Num) => &[
            ("pg-chk-num", "{c} >= 0"),
            ("pg-chk-num-str", "{c} < '100.5'"),
        ],
        (Db::Postgres, Text) => &[
            ("pg-chk-tin", "{c} IN ('a', 'b')"),
            ("pg-chk-tin-one", "{c} IN ('x')"),
            ("pg-chk-len", "length({c}) > 0"),
            ("pg-chk-tany", "{c} = ANY (ARRAY['a', 'b'])"),
            ("pg-chk-like", "{c} LIKE 'a%'"),
            ("pg-chk-regex", "{c} ~ '^[a-z]'"),
            ("pg-chk-tcast", "{c}::varchar(3) <> 'zz'"),
        ],
        (Db::Postgres, Date) => &[
            ("pg-chk-date-typed", "{c} > DATE '2000-01-01'"),
            ("pg-chk-date-str", "{c} > '2000-01-01'"),
        ],
        (Db::Postgres, Interval) => &[
            ("pg-chk-iv", "{c} > INTERVAL '0'"),
            ("pg-chk-iv-cast", "{c} >= '0 seconds'::interval"),
        ],
        (Db::Postgres, Jsonb) => &[("pg-chk-jsonb", "jsonb_typeof({c}) = 'object'")],
        (Db::Postgres, IntArray) => &[
            ("pg-chk-card", "cardinality({c}) < 5"),
            ("pg-chk-elem", "1 = ANY ({c})"),
        ],
        (Db::Postgres, TextArray) => &[("pg-chk-tarr", "{c} <> '{}'")],
        (Db::Mysql, Int) => &[
            ("my-chk-gt", "{c} > 0"),
            ("my-chk-in", "{c} IN (1, 2)"),
            ("my-chk-in-one", "{c} IN (7)"),
            ("my-chk-between", "{c} BETWEEN 1 AND 9"),
            ("my-chk-cast", "CAST({c} AS CHAR) <> ''"),
        ],
        (Db::Mysql, Num) => &[("my-chk-num", "{c} >= 0")],
        (Db::Mysql, Text) => &[
            ("my-chk-tin", "{c} IN ('a', 'b')"),
            ("my-chk-len", "char_length({c}) > 0"),
            ("my-chk-like", "{c} LIKE 'a%'"),
        ],
        (Db::Mysql, Json) => &[("my-chk-json", "json_valid({c})")],
        (Db::Sqlite, Int) => &[
            ("lite-chk-in", "{c} IN (1, 2)"),
            ("lite-chk-between", "{c} BETWEEN 1 AND 9"),
            ("lite-chk-typeof", "typeof({c}) IN ('integer', 'null')"),
            ("lite-chk-cast", "CAST({c} AS TEXT) <> ''"),
        ],
        (Db::Sqlite, Text) => &[
            ("lite-chk-tin-one", "{c} IN ('x')"),
            ("lite-chk-len", "length({c}) > 0"),
            ("lite-chk-glob", "{c} GLOB '[a-z]*'"),
        ],
        (Db::Sqlite, Num) => &[("lite-chk-num", "{c} >= 0")],
        _ => &[],
    };
    v.to_vec()
}

/// Index parts on one column: `(id, part, needs a B-tree)`.
fn index_parts(db: Db, kind: Kind, ty: &str) -> Vec<Alt> {
    use Kind::*;
    let v: &[Alt] = match (db, kind) {
        (Db::Postgres, Text) if ty.starts_with("varchar") || ty.starts_with("character") => &[
            ("pg-ix-plain", "{c}"),
            ("pg-ix-desc", "{c} DESC NULLS LAST"),
            ("pg-ix-lower", "lower({c})"),
            ("pg-ix-vpattern", "{c} varchar_pattern_ops"),
            ("pg-ix-tpattern", "{c} text_pattern_ops"),
            ("pg-ix-concat", "({c} || 'x')"),
        ],
        (Db::Postgres, Text) => &[
            ("pg-ix-plain", "{c}"),
            ("pg-ix-lower", "lower({c})"),
            ("pg-ix-lower-pattern", "lower({c}) text_pattern_ops"),
            ("pg-ix-tpattern", "{c} text_pattern_ops"),
            ("pg-ix-textops", "{c} text_ops"),
            ("pg-ix-collate", "{c} COLLATE \"C\""),
            ("pg-ix-concat-pattern", "({c} || 'x') text_pattern_ops"),
        ],
        (Db::Postgres, Int | Num | Date | Ts) => &[
            ("pg-ix-plain", "{c}"),
            ("pg-ix-desc", "{c} DESC"),
            ("pg-ix-nulls", "{c} NULLS FIRST"),
        ],
        (Db::Postgres, Jsonb) => &[
            ("pg-ix-arrow", "({c} -> 'k')"),
            ("pg-ix-arrow-text", "({c} ->> 'k')"),
        ],
        (Db::Mysql, Int | Num | Date | Ts) => &[("my-ix-plain", "{c}"), ("my-ix-desc", "{c} DESC")],
        (Db::Mysql, Text) if !ty.contains("text") => {
            &[("my-ix-plain", "{c}"), ("my-ix-prefix", "{c}(5)")]
        }
        (Db::Mysql, Text) => &[("my-ix-text-prefix", "{c}(8)")],
        (Db::Sqlite, Int | Num | Date | Ts) => &[
            ("lite-ix-plain", "{c}"),
            ("lite-ix-desc", "{c} DESC"),
            ("lite-ix-plus", "({c} + 1)"),
        ],
        (Db::Sqlite, Text) => &[
            ("lite-ix-plain", "{c}"),
            ("lite-ix-nocase", "{c} COLLATE NOCASE"),
            ("lite-ix-lower", "lower({c})"),
        ],
        _ => &[],
    };
    v.to_vec()
}

/// Partial index predicates on one column.
fn predicates(db: Db, kind: Kind, ty: &str) -> Vec<Alt> {
    use Kind::*;
    let v: &[Alt] = match (db, kind) {
        (Db::Postgres, Int) => &[("pg-where-gt", "{c} > 0"), ("pg-where-in", "{c} IN (1, 2)")],
        (Db::Postgres, Text) if ty != "text" => &[
            ("pg-where-notnull", "{c} IS NOT NULL"),
            ("pg-where-tin", "{c} IN ('a', 'b')"),
            ("pg-where-tany-char", "{c} = ANY (ARRAY['a', 'b'])"),
        ],
        (Db::Postgres, Text) => &[
            ("pg-where-notnull", "{c} IS NOT NULL"),
            ("pg-where-tin", "{c} IN ('a', 'b')"),
            ("pg-where-tany", "{c} = ANY (ARRAY['a', 'b'])"),
        ],
        (Db::Postgres, IntArray) => &[("pg-where-arr", "{c} <> '{}'::integer[]")],
        (Db::Postgres, Bool) => &[("pg-where-bool", "{c}")],
        (Db::Sqlite, Int) => &[("lite-where-gt", "{c} > 0")],
        (Db::Sqlite, Text) => &[("lite-where-notnull", "{c} IS NOT NULL")],
        _ => &[],
    };
    v.to_vec()
}

struct Col {
    name: String,
    kind: Kind,
    ty: &'static str,
}

struct Gen {
    db: Db,
    rng: Rng,
    long: bool,
    /// The ids of the constructs this case used.
    used: Vec<&'static str>,
    names: u32,
    /// The schema's own types (PostgreSQL's enum and domain), with what they hold.
    own_types: Vec<(Kind, &'static str)>,
    /// The columns of the first table, for a view.
    first_columns: Vec<String>,
}

impl Gen {
    /// Whether construct `id` may be generated (every one in the long run, else every
    /// one but the known findings); records it as used.
    fn open(&mut self, id: &'static str) -> bool {
        let open = self.long || !KNOWN_FINDINGS.iter().any(|(k, _)| *k == id);
        if open {
            self.used.push(id);
        }
        open
    }

    /// One of `alts` that is not a gated known finding (all of them in the long run).
    fn pick(&mut self, alts: &[Alt]) -> Option<Alt> {
        let open: Vec<Alt> = alts
            .iter()
            .copied()
            .filter(|(id, _)| self.long || !KNOWN_FINDINGS.iter().any(|(k, _)| k == id))
            .collect();
        if open.is_empty() {
            return None;
        }
        let alt = open[self.rng.below(open.len())];
        self.used.push(alt.0);
        Some(alt)
    }

    fn name(&mut self) -> String {
        self.names += 1;
        format!("nm_{}", self.names)
    }

    /// `CONSTRAINT nm_N ` half of the time.
    fn maybe_named(&mut self) -> String {
        if self.rng.chance(50) {
            format!("CONSTRAINT {} ", self.name())
        } else {
            String::new()
        }
    }

    /// schema.sql of 1 to 3 tables, each maybe referencing the one before it.
    fn schema(&mut self) -> String {
        let mut out = String::new();
        if self.db == Db::Postgres {
            if self.rng.chance(30) && self.open("pg-enum") {
                out.push_str("CREATE TYPE nm_mood AS ENUM ('a', 'b', 'c');\n");
                self.own_types.push((Kind::Enum, "nm_mood"));
            }
            if self.rng.chance(30) && self.open("pg-domain") {
                out.push_str("CREATE DOMAIN nm_pos AS integer CHECK (VALUE > 0);\n");
                self.own_types.push((Kind::Int, "nm_pos"));
            }
        }
        let tables = 1 + self.rng.below(3);
        for t in 0..tables {
            out.push_str(&self.table(t));
        }
        // A simple view of the first table.
        if self.rng.chance(30) && self.open("view") {
            let cols: String = self
                .first_columns
                .iter()
                .map(|c| format!(", {c}"))
                .collect();
            out.push_str(&format!(
                "CREATE VIEW nm_view AS SELECT id{cols} FROM t0 WHERE id > 0;\n"
            ));
        }
        out
    }

    fn table(&mut self, t: usize) -> String {
        let db = self.db;
        let name = format!("t{t}");
        let mut lines = Vec::new();
        let mut after = Vec::new();
        let pk = match (db, self.rng.below(4)) {
            (Db::Postgres, 0) => "id integer PRIMARY KEY".to_string(),
            (Db::Postgres, 1) => "id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY".to_string(),
            (Db::Postgres, 2) if self.open("pg-identity-by-default") => {
                "id integer GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY".to_string()
            }
            (Db::Postgres, _) => "id serial PRIMARY KEY".to_string(),
            (Db::Mysql, 0) => "id int PRIMARY KEY".to_string(),
            (Db::Mysql, _) => "id int NOT NULL AUTO_INCREMENT PRIMARY KEY".to_string(),
            (Db::Sqlite, 0) if self.open("lite-pk-column") => "id INTEGER PRIMARY KEY".to_string(),
            (Db::Sqlite, 1) if self.open("lite-pk-column") => "id INT PRIMARY KEY".to_string(),
            (Db::Sqlite, 2) if self.open("lite-autoincrement") => {
                "id INTEGER PRIMARY KEY AUTOINCREMENT".to_string()
            }
            (Db::Sqlite, _) => "id INTEGER NOT NULL".to_string(),
        };
        let table_pk = pk.ends_with("NOT NULL");
        lines.push(pk);
        let mut cols: Vec<Col> = Vec::new();
        for i in 0..2 + self.rng.below(5) {
            let all = types(db);
            let (mut kind, mut ty) = all[self.rng.below(all.len())];
            // A type of the schema's own, now and then.
            let own: Vec<(Kind, &'static str)> = self.own_types.clone();
            if !own.is_empty() && self.rng.chance(25) {
                (kind, ty) = own[self.rng.below(own.len())];
            }
            if !self.open(ty) {
                continue;
            }
            let c = format!("c{i}");
            let mut def = format!("{c} {ty}");
            if self.rng.chance(20) {
                def.push_str(" NOT NULL");
            }
            if self.rng.chance(50)
                && let Some((_, d)) = self.pick(&defaults(db, kind, ty))
            {
                def.push_str(&format!(" DEFAULT {d}"));
            }
            if self.rng.chance(20)
                && (db != Db::Mysql || self.open("my-col-check"))
                && let Some((_, k)) = self.pick(&checks(db, kind, ty))
            {
                let named = self.maybe_named();
                def.push_str(&format!(" {named}CHECK ({})", k.replace("{c}", &c)));
            }
            if db == Db::Mysql && self.rng.chance(15) && self.open("my-col-comment") {
                def.push_str(&format!(" COMMENT 'about {c}'"));
            }
            if db == Db::Postgres && self.rng.chance(15) && self.open("pg-col-comment") {
                after.push(format!("COMMENT ON COLUMN {name}.{c} IS 'it''s {c}'"));
            }
            lines.push(def);
            cols.push(Col { name: c, kind, ty });
        }
        if t == 0 {
            self.first_columns = cols.iter().map(|c| c.name.clone()).collect();
        }
        // A generated column computed from an integer one.
        let ints: Vec<String> = cols
            .iter()
            .filter(|c| c.kind == Kind::Int && !c.ty.starts_with("nm_"))
            .map(|c| c.name.clone())
            .collect();
        if !ints.is_empty() && self.rng.chance(30) {
            let src = ints[self.rng.below(ints.len())].clone();
            let alts: &[Alt] = match db {
                Db::Postgres => &[
                    (
                        "pg-gen-stored",
                        "g bigint GENERATED ALWAYS AS ({c} * 2) STORED",
                    ),
                    (
                        "pg-gen-call",
                        "g integer GENERATED ALWAYS AS (abs({c})) STORED",
                    ),
                ],
                Db::Mysql => &[
                    ("my-gen-virtual", "g int AS ({c} + 1) VIRTUAL"),
                    (
                        "my-gen-stored",
                        "g bigint GENERATED ALWAYS AS ({c} * 2) STORED",
                    ),
                ],
                Db::Sqlite => &[
                    ("lite-gen-virtual", "g INTEGER AS ({c} + 1)"),
                    (
                        "lite-gen-stored",
                        "g INTEGER GENERATED ALWAYS AS ({c} * 2) STORED",
                    ),
                ],
            };
            if let Some((_, g)) = self.pick(alts) {
                lines.push(g.replace("{c}", &src));
            }
        }
        // A foreign key to the table before (its column before every table
        // constraint, as SQLite needs).
        let reference = t > 0 && self.rng.chance(60);
        if reference {
            let int = if db == Db::Postgres {
                "integer"
            } else {
                "INTEGER"
            };
            lines.push(format!("ref_id {int}"));
        }
        if table_pk {
            let named = self.maybe_named();
            lines.push(format!("{named}PRIMARY KEY (id)"));
        }
        if reference {
            let action = [
                "",
                " ON DELETE CASCADE",
                " ON DELETE SET NULL",
                " ON DELETE NO ACTION",
                " ON DELETE RESTRICT ON UPDATE CASCADE",
            ][self.rng.below(5)];
            let named = self.maybe_named();
            let deferral = if db != Db::Mysql && self.rng.chance(20) {
                " DEFERRABLE INITIALLY DEFERRED"
            } else {
                ""
            };
            lines.push(format!(
                "{named}FOREIGN KEY (ref_id) REFERENCES t{} (id){action}{deferral}",
                t - 1
            ));
        }
        // Table checks: one column's, or a row comparison of two integers.
        for _ in 0..self.rng.below(3) {
            let c = &cols[self.rng.below(cols.len())];
            let (kind, cname, ty) = (c.kind, c.name.clone(), c.ty);
            let ints: Vec<String> = cols
                .iter()
                .filter(|c| c.kind == Kind::Int)
                .map(|c| c.name.clone())
                .collect();
            let text = if ints.len() >= 2 && self.rng.chance(30) {
                let row: &[Alt] = &[
                    ("row-gt", "({a}, {b}) > (0, 0)"),
                    ("row-ne", "({a}, {b}) <> (1, 2)"),
                ];
                self.pick(row)
                    .map(|(_, r)| r.replace("{a}", &ints[0]).replace("{b}", &ints[1]))
            } else {
                self.pick(&checks(db, kind, ty))
                    .map(|(_, k)| k.replace("{c}", &cname))
            };
            if let Some(text) = text {
                if lines.iter().any(|l| l.contains(&format!("CHECK ({text})")))
                    && !self.open("dup-check")
                {
                    continue;
                }
                let named = self.maybe_named();
                lines.push(format!("{named}CHECK ({text})"));
            }
        }
        // Unique constraints.
        if self.rng.chance(40) {
            let keyable: Vec<&Col> = cols.iter().filter(|c| keyable(db, c.kind, c.ty)).collect();
            if !keyable.is_empty() {
                let c = keyable[self.rng.below(keyable.len())].name.clone();
                let named = self.maybe_named();
                lines.push(format!("{named}UNIQUE ({c})"));
            }
        }
        let options = if db == Db::Mysql && self.rng.chance(20) && self.open("my-table-comment") {
            format!(" COMMENT='table {name}'")
        } else {
            String::new()
        };
        if db == Db::Postgres && self.rng.chance(20) && self.open("pg-table-comment") {
            after.push(format!("COMMENT ON TABLE {name} IS 'table {name}'"));
        }
        let mut out = format!(
            "CREATE TABLE {name} (\n    {}\n){options};\n",
            lines.join(",\n    ")
        );
        // Indexes.
        for _ in 0..self.rng.below(4) {
            let c = &cols[self.rng.below(cols.len())];
            let (kind, cname, ty) = (c.kind, c.name.clone(), c.ty);
            let index = self.name();
            let unique = if self.rng.chance(25) { "UNIQUE " } else { "" };
            let method = match (db, kind) {
                (Db::Postgres, Kind::Jsonb | Kind::IntArray | Kind::TextArray)
                    if self.rng.chance(70) =>
                {
                    self.used.push("pg-ix-gin");
                    Some(format!(
                        "CREATE INDEX {index} ON {name} USING gin ({cname})"
                    ))
                }
                (Db::Postgres, Kind::Text) if self.rng.chance(10) => {
                    self.used.push("pg-ix-hash");
                    Some(format!(
                        "CREATE INDEX {index} ON {name} USING hash ({cname})"
                    ))
                }
                _ => None,
            };
            if let Some(m) = method {
                after.push(m);
                continue;
            }
            let Some((_, part)) = self.pick(&index_parts(db, kind, ty)) else {
                continue;
            };
            let part = part.replace("{c}", &cname);
            let mut parts = vec![part];
            if self.rng.chance(25) {
                parts.push("id".to_string());
            }
            let mut text = format!(
                "CREATE {unique}INDEX {index} ON {name} ({})",
                parts.join(", ")
            );
            if self.rng.chance(30) {
                let w = &cols[self.rng.below(cols.len())];
                let (wk, wn, wt) = (w.kind, w.name.clone(), w.ty);
                if let Some((_, p)) = self.pick(&predicates(db, wk, wt)) {
                    text.push_str(&format!(" WHERE {}", p.replace("{c}", &wn)));
                }
            }
            after.push(text);
        }
        for a in after {
            out.push_str(&a);
            out.push_str(";\n");
        }
        out.push('\n');
        out
    }
}

/// Whether a column can be a unique key as it is.
fn keyable(db: Db, kind: Kind, ty: &str) -> bool {
    match db {
        Db::Mysql => !matches!(kind, Kind::Json | Kind::Bytes) && !ty.contains("text"),
        Db::Postgres => !matches!(kind, Kind::Json),
        Db::Sqlite => true,
    }
}

/// A name the generator did not write is one the database made: compared as `?`.
fn norm_name(name: &str) -> String {
    if name.starts_with("nm_") {
        name.to_string()
    } else {
        "?".to_string()
    }
}

/// What a case came to.
enum Outcome {
    /// The database's own client refused the file.
    NotAccepted,
    /// `migrate` refused it by a documented refusal.
    Refused(String),
    Passed,
}

/// One dialect's database pair: where the direct load goes and where wildebeest runs.
pub(crate) trait Side {
    /// Loads `schema` with the database's own client; the error when it refuses.
    fn load_directly(&self, schema: &str) -> Result<(), String>;
    /// The catalog as the server reports it, normalized.
    fn catalog_direct(&self) -> Vec<String>;
    fn catalog_migrated(&self) -> Vec<String>;
    /// What else the server reports of the schema (views, comments, types), as
    /// [`Side::catalog_direct`] and [`Side::catalog_migrated`] do.
    fn objects_direct(&self) -> Vec<String> {
        Vec::new()
    }
    fn objects_migrated(&self) -> Vec<String> {
        Vec::new()
    }
}

pub(crate) fn run_client(mut cmd: Command, input: &str) -> Result<(), String> {
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("{cmd:?}: {e}"))?;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr).to_string();
    if out.status.success() && !err.contains("ERROR") && !err.contains("Error") {
        Ok(())
    } else {
        Err(err)
    }
}

fn one_case(db: Db, case: u64, long: bool, p: &TempProject, side: &dyn Side) -> Outcome {
    let mut g = Gen {
        db,
        rng: Rng(case.wrapping_mul(0xA24B_AED4_963E_E407) ^ (db as u64 + 1)),
        long,
        used: Vec::new(),
        names: 0,
        own_types: Vec::new(),
        first_columns: Vec::new(),
    };
    let schema = g.schema();
    if let Err(e) = side.load_directly(&schema) {
        if std::env::var_os("WILDEBEEST_FIDELITY_VERBOSE").is_some() {
            eprintln!("case {case} ({db:?}): not accepted: {e}");
        }
        return Outcome::NotAccepted;
    }
    p.write("schema.sql", &schema);
    let what = |args: &[&str], out: &std::process::Output| {
        format!(
            "case {case} ({db:?}): {args:?} exited {:?}\n{}{}\nschema.sql:\n{schema}\nconstructs: {:?}",
            out.status.code(),
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr),
            g.used
        )
    };
    let out = p.cmd(&["migrate", "-m", "props"]).output().unwrap();
    if !out.status.success() {
        let text = String::from_utf8_lossy(&out.stderr).to_string();
        if out.status.code() == Some(2)
            && let Some(r) = DOCUMENTED_REFUSALS.iter().find(|r| text.contains(*r))
        {
            return Outcome::Refused(r.to_string());
        }
        panic!("{}", what(&["migrate"], &out));
    }
    for args in [&["upgrade"][..], &["check"][..]] {
        let out = p.cmd(args).output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            out.status.success() && !stderr.contains("panicked"),
            "{}",
            what(args, &out)
        );
    }
    let mut direct = side.catalog_direct();
    direct.extend(side.objects_direct());
    let mut migrated = side.catalog_migrated();
    migrated.extend(side.objects_migrated());
    if direct != migrated {
        // As multisets: a constraint made twice on one side only shows too.
        let only = |a: &[String], b: &[String]| -> Vec<String> {
            let mut rest = b.to_vec();
            a.iter()
                .filter(|x| match rest.iter().position(|y| y == *x) {
                    Some(i) => {
                        rest.remove(i);
                        false
                    }
                    None => true,
                })
                .cloned()
                .collect()
        };
        panic!(
            "case {case} ({db:?}): the catalogs differ\nloaded directly only:\n  {}\nmigrated only:\n  {}\nschema.sql:\n{schema}\nconstructs: {:?}",
            only(&direct, &migrated).join("\n  "),
            only(&migrated, &direct).join("\n  "),
            g.used
        );
    }
    if std::env::var_os("WILDEBEEST_FIDELITY_VERBOSE").is_some() {
        eprintln!("case {case} ({db:?}): passed: {:?}", g.used);
    }
    Outcome::Passed
}

/// `(first case, number of cases, whether known findings are generated)`.
fn cases(default: u64) -> (u64, u64, bool) {
    let n = std::env::var("WILDEBEEST_FIDELITY_CASES")
        .ok()
        .and_then(|v| v.parse().ok());
    let seed = std::env::var("WILDEBEEST_FIDELITY_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    let findings = std::env::var_os("WILDEBEEST_FIDELITY_FINDINGS").is_some();
    (seed, n.unwrap_or(default), findings)
}

/// Runs the cases of one dialect, a fresh pair of databases each, and prints the tally.
fn run_cases(db: Db, default: u64, mut make: impl FnMut() -> Option<(TempProject, Box<dyn Side>)>) {
    let (seed, n, long) = cases(default);
    let mut tally: BTreeMap<String, u64> = BTreeMap::new();
    for case in seed..seed + n {
        let Some((p, side)) = make() else {
            return;
        };
        let key = match one_case(db, case, long, &p, side.as_ref()) {
            Outcome::NotAccepted => "not accepted by the database".to_string(),
            Outcome::Refused(r) => format!("refused: {r}"),
            Outcome::Passed => "passed".to_string(),
        };
        *tally.entry(key).or_default() += 1;
    }
    eprintln!("{db:?}: cases {seed}..{}: {tally:?}", seed + n);
    assert!(
        tally.get("passed").copied().unwrap_or(0) * 2 >= n,
        "{db:?}: fewer than half the cases ran: {tally:?}"
    );
}

/// `migrate -m MESSAGE` and `upgrade` of `schema` in `p`, and the catalog that gives
/// against `direct`'s, loaded from `schema` with the database's own client.
fn migrate_and_compare(p: &TempProject, direct: &dyn Side, migrated: &dyn Side, schema: &str) {
    direct
        .load_directly(schema)
        .expect("the database takes the file");
    p.write("schema.sql", schema);
    crate::util::ok(p, &["migrate", "-m", "step"]);
    crate::util::ok(p, &["upgrade"]);
    crate::util::ok(p, &["check"]);
    assert_eq!(
        direct.catalog_direct(),
        migrated.catalog_migrated(),
        "{schema}"
    );
}

// ---------------------------------------------------------------- SQLite

pub(crate) struct SqliteSide {
    pub(crate) direct: tempfile::TempDir,
    pub(crate) migrated: std::path::PathBuf,
}

impl SqliteSide {
    pub(crate) fn direct_path(&self) -> std::path::PathBuf {
        self.direct.path().join("direct.db")
    }
}

/// `sql` in lower case outside strings, quoted names unquoted, white space only where
/// two words meet: the text SQLite keeps, compared for meaning, not spacing or quotes.
fn normalize_sqlite_text(sql: &str) -> String {
    let mut out = String::new();
    let mut chars = sql.chars().peekable();
    let mut space = false;
    while let Some(c) = chars.next() {
        match c {
            '\'' => {
                if space && out.ends_with(|c: char| c.is_alphanumeric() || c == '_') {
                    out.push(' ');
                }
                space = false;
                out.push(c);
                while let Some(d) = chars.next() {
                    out.push(d);
                    if d == '\'' {
                        if chars.peek() == Some(&'\'') {
                            out.push(chars.next().unwrap());
                        } else {
                            break;
                        }
                    }
                }
            }
            '"' | '`' | '[' => {
                let close = if c == '[' { ']' } else { c };
                if space && out.ends_with(|c: char| c.is_alphanumeric() || c == '_') {
                    out.push(' ');
                }
                space = false;
                for d in chars.by_ref() {
                    if d == close {
                        break;
                    }
                    out.extend(d.to_lowercase());
                }
            }
            c if c.is_whitespace() => space = true,
            c => {
                let word = c.is_alphanumeric() || c == '_';
                if space && word && out.ends_with(|c: char| c.is_alphanumeric() || c == '_') {
                    out.push(' ');
                }
                space = false;
                out.extend(c.to_lowercase());
            }
        }
    }
    out
}

/// The index at `open`'s matching parenthesis, outside strings.
fn matching(text: &[u8], open: usize) -> Option<usize> {
    let (mut depth, mut string) = (0, false);
    for (i, b) in text.iter().enumerate().skip(open) {
        match b {
            b'\'' => string = !string,
            b'(' if !string => depth += 1,
            b')' if !string => {
                depth -= 1;
                if depth == 0 {
                    return Some(i);
                }
            }
            _ => {}
        }
    }
    None
}

/// A normalized `CREATE INDEX` text with each part of its list taken out of
/// parentheses that enclose the whole part: `((c + 1))` and `(c+1)` are one index
/// (SQLite needs none around an expression there).
fn unwrap_index_parts(text: &str) -> String {
    let Some(on) = text.find(" on ") else {
        return text.to_string();
    };
    let Some(open) = text[on..].find('(').map(|i| i + on) else {
        return text.to_string();
    };
    let b = text.as_bytes();
    let Some(close) = matching(b, open) else {
        return text.to_string();
    };
    let mut parts = Vec::new();
    let (mut depth, mut string, mut start) = (0, false, open + 1);
    for i in open + 1..close {
        match b[i] {
            b'\'' => string = !string,
            b'(' if !string => depth += 1,
            b')' if !string => depth -= 1,
            b',' if !string && depth == 0 => {
                parts.push(&text[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&text[start..close]);
    let parts: Vec<&str> = parts
        .into_iter()
        .map(|mut p| {
            while p.starts_with('(') && matching(p.as_bytes(), 0) == Some(p.len() - 1) {
                p = &p[1..p.len() - 1];
            }
            p
        })
        .collect();
    format!(
        "{}({}){}",
        &text[..open],
        parts.join(","),
        &text[close + 1..]
    )
}

/// Each `CHECK (...)` of a `CREATE TABLE` text, with its name when it has one.
fn sqlite_checks(sql: &str) -> Vec<String> {
    let text = normalize_sqlite_text(sql);
    let bytes = text.as_bytes();
    let mut found = Vec::new();
    let mut i = 0;
    let mut in_string = false;
    while i < bytes.len() {
        let b = bytes[i];
        if b == b'\'' {
            in_string = !in_string;
        } else if !in_string
            && text[i..].starts_with("check(")
            && (i == 0 || !(bytes[i - 1].is_ascii_alphanumeric() || bytes[i - 1] == b'_'))
        {
            let start = i + "check".len();
            let mut depth = 0;
            let mut j = start;
            let mut s = false;
            while j < bytes.len() {
                match bytes[j] {
                    b'\'' => s = !s,
                    b'(' if !s => depth += 1,
                    b')' if !s => {
                        depth -= 1;
                        if depth == 0 {
                            break;
                        }
                    }
                    _ => {}
                }
                j += 1;
            }
            let before = text[..i].trim_end();
            let name = before
                .rsplit_once("constraint ")
                .filter(|(_, n)| !n.contains([' ', ',', '(', ')']))
                .map(|(_, n)| norm_name(n))
                .unwrap_or_default();
            found.push(format!(
                "{name} check{}",
                &text[start..=j.min(bytes.len() - 1)]
            ));
            i = j;
        }
        i += 1;
    }
    found
}

fn sqlite_catalog(path: &std::path::Path) -> Vec<String> {
    let conn = rusqlite::Connection::open(path).unwrap();
    let q = |sql: &str| crate::util::query_rows(&conn, sql);
    let mut out = Vec::new();
    for row in q("SELECT name, sql FROM sqlite_master WHERE type = 'table' \
                  AND name NOT LIKE 'wildebeest%' AND name NOT LIKE 'sqlite%'")
    {
        let (t, sql) = (&row[0], &row[1]);
        for mut c in q(&format!(
            "SELECT name, type, \"notnull\", dflt_value, pk, hidden FROM pragma_table_xinfo('{t}')"
        )) {
            // A default's keywords and spacing are no meaning (`TRUE`, `true`).
            c[3] = normalize_sqlite_text(&c[3]);
            out.push(format!("column {t}: {c:?}"));
        }
        for k in sqlite_checks(sql) {
            out.push(format!("check {t}: {k}"));
        }
        for f in q(&format!(
            "SELECT \"table\", \"from\", \"to\", on_update, on_delete, \"match\" FROM pragma_foreign_key_list('{t}')"
        )) {
            out.push(format!("foreign key {t}: {f:?}"));
        }
        // The deferral is only in the text.
        let text = normalize_sqlite_text(sql);
        out.push(format!(
            "{t} deferred keys: {}",
            text.matches("deferrable initially deferred").count()
        ));
        out.push(format!(
            "{t} rowid: {}",
            text.contains("without rowid") || text.contains("autoincrement")
        ));
        for i in q(&format!(
            "SELECT name, \"unique\", origin, partial FROM pragma_index_list('{t}')"
        )) {
            let cols = q(&format!(
                "SELECT coalesce(name, '<expression>'), \"desc\", coll FROM pragma_index_xinfo('{}') WHERE key = 1 ORDER BY seqno",
                i[0].replace('\'', "''")
            ));
            let text = q(&format!(
                "SELECT coalesce(sql, '') FROM sqlite_master WHERE type = 'index' AND name = '{}'",
                i[0].replace('\'', "''")
            ));
            let text = unwrap_index_parts(&normalize_sqlite_text(&text[0][0]));
            out.push(format!(
                "index {t}: {} {:?} {cols:?} {text}",
                norm_name(&i[0]),
                &i[1..]
            ));
        }
    }
    out.sort();
    out
}

/// Each view's text as SQLite keeps it, normalized as a check's.
fn sqlite_views(path: &std::path::Path) -> Vec<String> {
    let conn = rusqlite::Connection::open(path).unwrap();
    let mut out: Vec<String> = crate::util::query_rows(
        &conn,
        "SELECT name, sql FROM sqlite_master WHERE type = 'view'",
    )
    .into_iter()
    .map(|r| format!("view {}: {}", r[0], normalize_sqlite_text(&r[1])))
    .collect();
    out.sort();
    out
}

impl Side for SqliteSide {
    fn load_directly(&self, schema: &str) -> Result<(), String> {
        let mut cmd = Command::new("sqlite3");
        cmd.arg("-bail").arg(self.direct_path());
        run_client(cmd, schema)
    }

    fn catalog_direct(&self) -> Vec<String> {
        sqlite_catalog(&self.direct_path())
    }

    fn catalog_migrated(&self) -> Vec<String> {
        sqlite_catalog(&self.migrated)
    }

    fn objects_direct(&self) -> Vec<String> {
        sqlite_views(&self.direct_path())
    }

    fn objects_migrated(&self) -> Vec<String> {
        sqlite_views(&self.migrated)
    }
}

#[test]
fn random_schemas_reach_sqlite_as_sqlite3_loads_them() {
    run_cases(Db::Sqlite, CASES_SQLITE, || {
        let p = TempProject::init();
        let side = SqliteSide {
            direct: tempfile::tempdir().unwrap(),
            migrated: p.db(),
        };
        Some((p, Box::new(side)))
    });
}

// ---------------------------------------------------------------- PostgreSQL

pub(crate) struct PgSide {
    pub(crate) direct: TestDb,
    pub(crate) migrated: TestDb,
}

/// Columns, constraints and indexes of the schema `db` works in, as PostgreSQL's own
/// catalog functions write them.
pub(crate) fn pg_catalog(db: &TestDb) -> Vec<String> {
    pg_catalog_of(&|q| db.rows(q), &db.name)
}

/// [`pg_catalog`] of the schema `schema`, read with `rows`.
pub(crate) fn pg_catalog_of(rows: &dyn Fn(&str) -> Vec<Vec<String>>, schema: &str) -> Vec<String> {
    let ours = "n.nspname = current_schema() AND c.relname NOT LIKE 'wildebeest%'";
    let mut out = Vec::new();
    for r in rows(&format!(
        "SELECT c.relname, a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull::text, \
         coalesce(pg_get_expr(d.adbin, d.adrelid), ''), a.attidentity::text, a.attgenerated::text, \
         coalesce(co.collname, '') \
         FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid \
         JOIN pg_namespace n ON n.oid = c.relnamespace \
         LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum \
         LEFT JOIN pg_collation co ON co.oid = a.attcollation \
         WHERE {ours} AND c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped"
    )) {
        out.push(format!("column {r:?}"));
    }
    for r in rows(&format!(
        "SELECT c.relname, co.conname, co.contype::text, pg_get_constraintdef(co.oid) \
         FROM pg_constraint co JOIN pg_class c ON c.oid = co.conrelid \
         JOIN pg_namespace n ON n.oid = c.relnamespace WHERE {ours}"
    )) {
        out.push(format!(
            "constraint {} {} {} {}",
            r[0],
            norm_name(&r[1]),
            r[2],
            r[3]
        ));
    }
    for r in rows(&format!(
        "SELECT c.relname, i.relname, pg_get_indexdef(i.oid) \
         FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid \
         JOIN pg_class c ON c.oid = x.indrelid \
         JOIN pg_namespace n ON n.oid = c.relnamespace WHERE {ours}"
    )) {
        let def = r[2].replacen(&format!("INDEX {} ON", r[1]), "INDEX ON", 1);
        out.push(format!("index {} {} {def}", r[0], norm_name(&r[1])));
    }
    // `pg_get_indexdef` names the schema of every table; each side has its own.
    let mut out: Vec<String> = out
        .into_iter()
        .map(|l| l.replace(&format!("{schema}."), ""))
        .collect();
    out.sort();
    out
}

/// Comments, views, enum types and domains of the schema `db` works in, as
/// PostgreSQL's catalog functions write them.
fn pg_objects(db: &TestDb) -> Vec<String> {
    let ours = "n.nspname = current_schema()";
    let mut out = Vec::new();
    for r in db.rows(&format!(
        "SELECT c.relname, obj_description(c.oid, 'pg_class') FROM pg_class c \
         JOIN pg_namespace n ON n.oid = c.relnamespace WHERE {ours} \
         AND c.relkind IN ('r', 'p', 'v') AND obj_description(c.oid, 'pg_class') IS NOT NULL"
    )) {
        out.push(format!("comment {r:?}"));
    }
    for r in db.rows(&format!(
        "SELECT c.relname, a.attname, col_description(c.oid, a.attnum) FROM pg_attribute a \
         JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace \
         WHERE {ours} AND c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped \
         AND col_description(c.oid, a.attnum) IS NOT NULL"
    )) {
        out.push(format!("column comment {r:?}"));
    }
    for r in db.rows(&format!(
        "SELECT c.relname, pg_get_viewdef(c.oid) FROM pg_class c \
         JOIN pg_namespace n ON n.oid = c.relnamespace WHERE {ours} AND c.relkind IN ('v', 'm')"
    )) {
        out.push(format!("view {r:?}"));
    }
    for r in db.rows(&format!(
        "SELECT t.typname, string_agg(e.enumlabel, ',' ORDER BY e.enumsortorder) FROM pg_type t \
         JOIN pg_enum e ON e.enumtypid = t.oid JOIN pg_namespace n ON n.oid = t.typnamespace \
         WHERE {ours} GROUP BY t.typname"
    )) {
        out.push(format!("enum {r:?}"));
    }
    for r in db.rows(&format!(
        "SELECT t.typname, format_type(t.typbasetype, t.typtypmod), t.typnotnull::text, \
         coalesce(t.typdefault, ''), coalesce((SELECT string_agg(co.conname || ' ' || \
         pg_get_constraintdef(co.oid), '; ' ORDER BY co.conname) FROM pg_constraint co \
         WHERE co.contypid = t.oid), '') FROM pg_type t \
         JOIN pg_namespace n ON n.oid = t.typnamespace WHERE {ours} AND t.typtype = 'd'"
    )) {
        out.push(format!("domain {r:?}"));
    }
    let mut out: Vec<String> = out
        .into_iter()
        .map(|l| l.replace(&format!("{}.", db.name), ""))
        .collect();
    out.sort();
    out
}

impl Side for PgSide {
    fn load_directly(&self, schema: &str) -> Result<(), String> {
        let url = std::env::var("WILDEBEEST_TEST_POSTGRES_URL").unwrap();
        let mut cmd = Command::new("psql");
        cmd.args(["-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", &url]);
        run_client(
            cmd,
            &format!("SET search_path TO \"{}\";\n{schema}", self.direct.name),
        )
    }

    fn catalog_direct(&self) -> Vec<String> {
        pg_catalog(&self.direct)
    }

    fn catalog_migrated(&self) -> Vec<String> {
        pg_catalog(&self.migrated)
    }

    fn objects_direct(&self) -> Vec<String> {
        pg_objects(&self.direct)
    }

    fn objects_migrated(&self) -> Vec<String> {
        pg_objects(&self.migrated)
    }
}

fn project_on(db: &TestDb) -> TempProject {
    let p = TempProject::init();
    p.write(
        "wildebeest.toml",
        &format!("database_url = \"{}\"\n", db.url),
    );
    p
}

#[test]
fn random_schemas_reach_postgres_as_psql_loads_them() {
    run_cases(Db::Postgres, CASES_SERVER, || {
        let direct = TestDb::new(Server::Postgres, "fidelitydirect")?;
        let migrated = TestDb::new(Server::Postgres, "fidelitymigrated")?;
        let p = project_on(&migrated);
        Some((p, Box::new(PgSide { direct, migrated })))
    });
}

// ---------------------------------------------------------------- MariaDB

pub(crate) struct MysqlSide {
    pub(crate) direct: TestDb,
    pub(crate) migrated: TestDb,
}

/// Each table's `SHOW CREATE TABLE`, a line per column, key and constraint, sorted
/// (column order aside), with generated names as `?` and the table's counter out.
fn mysql_catalog(db: &TestDb) -> Vec<String> {
    let mut out = Vec::new();
    for t in db.rows("SHOW TABLES") {
        let t = &t[0];
        if t.starts_with("wildebeest") {
            continue;
        }
        let create = db.rows(&format!("SHOW CREATE TABLE `{t}`"));
        for line in create[0][1].lines().skip(1) {
            let line = line.trim().trim_end_matches(',');
            let line = if let Some(rest) = line.strip_prefix(')') {
                rest.split(' ')
                    .filter(|w| !w.starts_with("AUTO_INCREMENT="))
                    .collect::<Vec<_>>()
                    .join(" ")
            } else {
                line.to_string()
            };
            // `CONSTRAINT `name``, `KEY `name``, `UNIQUE KEY `name``: the name.
            let named = ["CONSTRAINT `", "KEY `", "UNIQUE KEY `", "FULLTEXT KEY `"]
                .iter()
                .find_map(|p| line.strip_prefix(p).map(|rest| (p, rest)));
            let line = match named {
                Some((p, rest)) => {
                    let (name, tail) = rest.split_once('`').unwrap();
                    format!("{p}{}`{tail}", norm_name(name))
                }
                None => line,
            };
            out.push(format!("{t}: {line}"));
        }
    }
    out.sort();
    out
}

/// Each view's definition as MariaDB reports it, the database's name out.
fn mysql_views(db: &TestDb) -> Vec<String> {
    let mut out: Vec<String> = db
        .rows(
            "SELECT TABLE_NAME, VIEW_DEFINITION FROM information_schema.VIEWS \
             WHERE TABLE_SCHEMA = DATABASE()",
        )
        .into_iter()
        .map(|r| format!("view {r:?}").replace(&format!("`{}`.", db.name), ""))
        .collect();
    out.sort();
    out
}

impl Side for MysqlSide {
    fn load_directly(&self, schema: &str) -> Result<(), String> {
        let url = std::env::var("WILDEBEEST_TEST_MYSQL_URL").unwrap();
        // mysql://user[:password]@host[:port]/db
        let rest = url.trim_start_matches("mysql://");
        let (auth, host) = rest.split_once('@').unwrap();
        let host = host.split('/').next().unwrap();
        let (user, password) = auth.split_once(':').unwrap_or((auth, ""));
        let (host, port) = host.split_once(':').unwrap_or((host, "3306"));
        let mut cmd = Command::new("mariadb");
        // wildebeest's sessions are utf8mb4; the client's default character set
        // would make `CAST(x AS CHAR)` in a check another cast.
        cmd.args([
            "-h",
            host,
            "-P",
            port,
            "-u",
            user,
            "--default-character-set=utf8mb4",
        ]);
        if !password.is_empty() {
            cmd.arg(format!("-p{password}"));
        }
        cmd.arg(&self.direct.name);
        run_client(cmd, schema)
    }

    fn catalog_direct(&self) -> Vec<String> {
        mysql_catalog(&self.direct)
    }

    fn catalog_migrated(&self) -> Vec<String> {
        mysql_catalog(&self.migrated)
    }

    fn objects_direct(&self) -> Vec<String> {
        mysql_views(&self.direct)
    }

    fn objects_migrated(&self) -> Vec<String> {
        mysql_views(&self.migrated)
    }
}

#[test]
fn random_schemas_reach_mariadb_as_the_client_loads_them() {
    run_cases(Db::Mysql, CASES_SERVER, || {
        let direct = TestDb::new(Server::Mysql, "fidelitydirect")?;
        let migrated = TestDb::new(Server::Mysql, "fidelitymigrated")?;
        let p = project_on(&migrated);
        Some((p, Box::new(MysqlSide { direct, migrated })))
    });
}

// ---------------------------------------------------------------- Regressions

/// Regression: SQLite got `DECIMAL(5, 2)` for `DECIMAL(5,2)`, and one check for the
/// same check written twice; the spelling holds through a table rebuild (a check
/// added) and a downgrade (the rebuild undone).
#[test]
fn sqlite_keeps_type_spellings_and_a_check_written_twice_through_rebuilds() {
    let p = TempProject::init();
    let side = |dir: tempfile::TempDir| SqliteSide {
        direct: dir,
        migrated: p.db(),
    };
    let first = "CREATE TABLE t (\n    id INTEGER PRIMARY KEY,\n    price DECIMAL(5,2) CHECK (price >= 0),\n    \
                 name NVARCHAR(40),\n    CHECK (price >= 0)\n);\n";
    let second = "CREATE TABLE t (\n    id INTEGER PRIMARY KEY,\n    price DECIMAL(5,2) CHECK (price >= 0),\n    \
                  name NVARCHAR(40),\n    CHECK (price >= 0),\n    CHECK (length(name) > 0)\n);\n";
    let s1 = side(tempfile::tempdir().unwrap());
    migrate_and_compare(&p, &s1, &s1, first);
    let s2 = side(tempfile::tempdir().unwrap());
    migrate_and_compare(&p, &s2, &s2, second);
    let sql = p
        .conn()
        .query_row("SELECT sql FROM sqlite_master WHERE name = 't'", [], |r| {
            r.get::<_, String>(0)
        });
    let sql = sql.unwrap();
    assert!(
        sql.contains("DECIMAL(5,2)") && sql.contains("NVARCHAR(40)"),
        "{sql}"
    );
    assert_eq!(sql.matches("CHECK (price >= 0)").count(), 2, "{sql}");
    crate::util::ok(&p, &["downgrade"]);
    assert_eq!(s1.catalog_direct(), s1.catalog_migrated());
}

/// Regression: PostgreSQL got the comparison form of a default or check, which the
/// server stores otherwise than the file's text: `'a'::text` on a `varchar` column
/// lost its cast, `INTERVAL '2 days'` on an `interval(3)` one took the column's
/// precision, `= ANY (ARRAY['a', 'b'])` on a `char` one became `IN ('a', 'b')`, in a
/// check and in a partial index's predicate; and the same check written twice was
/// made once.
#[test]
fn postgres_stores_defaults_and_checks_as_the_file_writes_them() {
    let Some(direct) = TestDb::new(Server::Postgres, "fidelityregdirect") else {
        return;
    };
    let migrated = TestDb::new(Server::Postgres, "fidelityregmigrated").unwrap();
    let p = project_on(&migrated);
    let side = PgSide { direct, migrated };
    migrate_and_compare(
        &p,
        &side,
        &side,
        "CREATE TABLE t (\n    id integer PRIMARY KEY,\n    label varchar(40) DEFAULT 'a'::text,\n    \
         wait interval(3) DEFAULT INTERVAL '2 days',\n    \
         code char(3) CHECK (code = ANY (ARRAY['a', 'b'])),\n    \
         tag varchar(12) CHECK (tag = ANY (ARRAY['a', 'b'])),\n    \
         n integer CHECK (n > 0),\n    CHECK (n > 0)\n);\n\
         CREATE INDEX nm_partial ON t (n) WHERE code = ANY (ARRAY['a', 'b']);\n",
    );
}
