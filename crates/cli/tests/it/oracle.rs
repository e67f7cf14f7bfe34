//! The data-loss oracle: a differential test of the data-loss guard on every
//! database. For each pair of column types `(A, B)` of a backend's matrix it writes
//! the migration `migrate` writes (`app::generate`: diff and renderer), fills a table
//! with the edge values type `A` accepts, and runs the real [`Runner`] against the
//! real database from a real migrations folder: first without consent, then (when
//! the guard refused) with it, and the same for the downgrade. Every stored value is
//! read as text before and after. The only acceptable outcomes per pair and
//! direction: the guard refused with a count at least the number of rows whose value
//! changed, or nothing changed (also when the database rejected the conversion,
//! recorded apart). Anything else is an under-count, and every one is listed in one
//! assertion message at the end.
//!
//! The pairs run in chunks, one per source type, each in its own PostgreSQL schema,
//! MySQL database or SQLite file, with one revision per pair, each on its own branch
//! from base, so a conversion the database rejects takes out only its own revision
//! (the run is retried without it) and a run plans a few dozen tables, not thousands.
//!
//! By default a seeded sample runs (every type as a source and as a target, a few
//! targets per source); `WILDEBEEST_ORACLE=full` runs every ordered pair, and
//! `WILDEBEEST_ORACLE_SEED` changes the sample. Figures are in docs/RELIABILITY.md.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::time::Instant;

use mysql::prelude::Queryable;
use wildebeest_revision::{Migration, NewMigration, Target};
use wildebeest_runner::{Backend, Mode, RunError, Runner};
use wildebeest_schema::Hints;
use wildebeest_sql::Dialect;

use crate::servers::{Server, TestDb};

/// How a text value compares to another of another type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fam {
    /// Numbers (and MySQL's booleans): equal when they are the same number.
    Num,
    /// A single-precision float: a number, and equal to a double holding exactly
    /// its value (PostgreSQL writes a `real` 0.1 as `0.1`, the same bits as a
    /// `double precision` as `0.10000000149011612`).
    F4,
    /// A double-precision float (see [`Fam::F4`]).
    F8,
    /// Dates and times: equal but for trailing zeros in fractions of a second, or
    /// a date against the same date at midnight.
    Time,
    /// Everything else: equal only as the same text.
    Exact,
}

/// One column type of a matrix, as `schema.sql` spells it.
#[derive(Debug, Clone, Copy)]
struct Ty {
    sql: &'static str,
    fam: Fam,
}

const fn t(sql: &'static str, fam: Fam) -> Ty {
    Ty { sql, fam }
}

use Fam::{Exact as X, F4, F8, Num as N, Time as T};

/// The PostgreSQL matrix: every family the model knows, with the sizes, precisions
/// and collations that matter.
const PG_TYPES: &[Ty] = &[
    t("SMALLINT", N),
    t("INTEGER", N),
    t("BIGINT", N),
    t("REAL", F4),
    t("DOUBLE PRECISION", F8),
    t("NUMERIC", N),
    t("NUMERIC(10,2)", N),
    t("NUMERIC(5,0)", N),
    t("NUMERIC(20,6)", N),
    t("BOOLEAN", X),
    t("CHAR(1)", X),
    t("CHAR(5)", X),
    t("CHAR(20)", X),
    t("VARCHAR(3)", X),
    t("VARCHAR(10)", X),
    t("VARCHAR(255)", X),
    t("VARCHAR", X),
    t("TEXT", X),
    t("TEXT COLLATE \"C\"", X),
    t("BYTEA", X),
    t("DATE", T),
    t("TIME", T),
    t("TIME(0)", T),
    t("TIME(3)", T),
    t("TIMETZ", X),
    t("TIMESTAMP", T),
    t("TIMESTAMP(0)", T),
    t("TIMESTAMP(3)", T),
    t("TIMESTAMPTZ", X),
    t("TIMESTAMPTZ(0)", X),
    t("INTERVAL", X),
    t("INTERVAL DAY", X),
    t("JSON", X),
    t("JSONB", X),
    t("UUID", X),
    t("BIT(3)", X),
    t("BIT(8)", X),
    t("VARBIT(8)", X),
    t("INET", X),
    t("CIDR", X),
    t("MONEY", X),
    t("MACADDR", X),
];

/// The MySQL/MariaDB matrix.
const MYSQL_TYPES: &[Ty] = &[
    t("TINYINT", N),
    t("TINYINT UNSIGNED", N),
    t("SMALLINT", N),
    t("SMALLINT UNSIGNED", N),
    t("MEDIUMINT", N),
    t("INT", N),
    t("INT UNSIGNED", N),
    t("BIGINT", N),
    t("BIGINT UNSIGNED", N),
    t("DECIMAL(10,2)", N),
    t("DECIMAL(5,0)", N),
    t("DECIMAL(20,6)", N),
    t("FLOAT", F4),
    t("DOUBLE", F8),
    t("BOOLEAN", N),
    t("BIT(8)", N),
    t("CHAR(1)", X),
    t("CHAR(5)", X),
    t("CHAR(20)", X),
    t("VARCHAR(3)", X),
    t("VARCHAR(10)", X),
    t("VARCHAR(255)", X),
    t("TINYTEXT", X),
    t("TEXT", X),
    t("MEDIUMTEXT", X),
    t("LONGTEXT", X),
    t("VARCHAR(20) CHARACTER SET latin1", X),
    t("TEXT CHARACTER SET latin1", X),
    t("VARCHAR(20) CHARACTER SET ascii", X),
    t("VARCHAR(20) COLLATE utf8mb4_bin", X),
    t("BINARY(5)", X),
    t("VARBINARY(10)", X),
    t("BLOB", X),
    t("TINYBLOB", X),
    t("DATE", T),
    t("TIME", T),
    t("TIME(3)", T),
    t("DATETIME", T),
    t("DATETIME(6)", T),
    t("TIMESTAMP NULL", T),
    t("TIMESTAMP(6) NULL", T),
    t("YEAR", N),
    t("JSON", X),
    t("ENUM('a','b','c')", X),
    t("ENUM('a','b')", X),
    t("SET('a','b')", X),
];

/// The SQLite matrix: every affinity, through the names that give it (a rebuild's
/// copy converts by the new column's affinity), and collations. A type's family is
/// its affinity's: `DATE`, `JSON` or `STRING` have NUMERIC affinity, so `'0'` is
/// stored as the number 0 in them.
const SQLITE_TYPES: &[Ty] = &[
    t("INTEGER", N),
    t("INT", N),
    t("TINYINT", N),
    t("SMALLINT", N),
    t("MEDIUMINT", N),
    t("BIGINT", N),
    t("UNSIGNED BIG INT", N),
    t("INT2", N),
    t("INT8", N),
    t("REAL", N),
    t("DOUBLE", N),
    t("DOUBLE PRECISION", N),
    t("FLOAT", N),
    t("NUMERIC", N),
    t("DECIMAL(10,5)", N),
    t("BOOLEAN", N),
    t("MONEY", N),
    t("DATE", N),
    t("DATETIME", N),
    t("TIMESTAMP", N),
    t("TIME", N),
    t("TEXT", X),
    t("CHARACTER(20)", X),
    t("VARCHAR(3)", X),
    t("VARCHAR(255)", X),
    t("VARYING CHARACTER(255)", X),
    t("NCHAR(55)", X),
    t("NATIVE CHARACTER(70)", X),
    t("NVARCHAR(100)", X),
    t("CHAR(5)", X),
    t("CLOB", X),
    t("STRING", N),
    t("BLOB", X),
    t("JSON", N),
    t("UUID", N),
    t("TEXT COLLATE NOCASE", X),
    t("TEXT COLLATE RTRIM", X),
    t("VARCHAR(10) COLLATE NOCASE", X),
    t("BIGINT UNSIGNED", N),
    t("BIT", N),
];

/// Edge values, as SQL literals each type reads its own way. A type keeps those
/// its database accepts as they are inserted (the rest fail and are left out).
fn edge_values() -> Vec<String> {
    let mut v: Vec<String> = [
        "NULL",
        "''",
        "' '",
        "'0'",
        "'007'",
        "' 42'",
        "'42 '",
        "'-1'",
        "'1'",
        "'5'",
        "'1e3'",
        "'1.5'",
        "'2.675'",
        "'-0'",
        "'0.1'",
        "'123456789.123456'",
        "'127'",
        "'-128'",
        "'255'",
        "'32767'",
        "'-32768'",
        "'65535'",
        "'2147483647'",
        "'-2147483648'",
        "'4294967295'",
        "'9223372036854775807'",
        "'-9223372036854775808'",
        "'18446744073709551615'",
        "'NaN'",
        "'Infinity'",
        "'-Infinity'",
        "'t'",
        "'true'",
        "'a'",
        "'b'",
        "'c'",
        "'a,b'",
        "'abc'",
        "'abc   '",
        "'   abc'",
        "'ABC'",
        "'é'",
        "'☃ 日本'",
        "'😀'",
        "'2020-01-01'",
        "'1960-05-01'",
        "'2020-02-29 13:45:56.123456'",
        "'2020-01-01 00:00:00'",
        "'1999-12-31 23:59:59.999999'",
        "'2020-01-01 10:00:00+05:30'",
        "'13:45:56.789'",
        "'00:00:00'",
        "'838:59:59'",
        "'1 day 02:03:04.5'",
        "'1 year'",
        "'{\"a\": 1, \"a\": 2}'",
        "'{\"b\":1,\"a\":[1, 2]}'",
        "'[]'",
        "'\"x\"'",
        "'null'",
        "'101'",
        "'00000101'",
        "'11111111'",
        "'192.168.0.1/24'",
        "'10.0.0.1'",
        "'08:00:2b:01:02:03'",
        "'00000000-0000-0000-0000-000000000001'",
        "'A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11'",
        "'1901'",
        "'2155'",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    v.push(format!("'{}'", "x".repeat(300)));
    v.push(format!("'{}'", "ü".repeat(300)));
    v.push(format!("'{}'", "long value ".repeat(600)));
    v
}

/// A row's id and its value as text (`None` for NULL).
type Row = (i64, Option<Vec<u8>>);

/// A database connection of the test's own, to fill and read tables.
enum Conn {
    Pg(postgres::Client),
    My(mysql::Conn),
    Lite(rusqlite::Connection),
}

impl Conn {
    /// Starts filling tables: one transaction where a failed statement does not end
    /// it (MySQL, SQLite); PostgreSQL's own session commits without a WAL flush
    /// instead (set on connecting), as a failed insert would end its transaction.
    fn begin(&mut self) {
        if !matches!(self, Conn::Pg(_)) {
            self.exec("BEGIN").unwrap();
        }
    }

    fn commit(&mut self) {
        if !matches!(self, Conn::Pg(_)) {
            self.exec("COMMIT").unwrap();
        }
    }

    fn exec(&mut self, sql: &str) -> Result<(), String> {
        match self {
            Conn::Pg(c) => c.batch_execute(sql).map_err(|e| e.to_string()),
            Conn::My(c) => c.query_drop(sql).map_err(|e| e.to_string()),
            Conn::Lite(c) => c.execute_batch(sql).map_err(|e| e.to_string()),
        }
    }

    /// `(id, value as text)` of every row of `table`, by id; `None` for NULL. The
    /// database writes the text: PostgreSQL `::text`, MySQL its text protocol (a
    /// `BIT` as its number), SQLite `CAST(.. AS TEXT)` (a blob as hex).
    fn texts(&mut self, table: &str, ty: &str) -> Result<Vec<Row>, String> {
        match self {
            Conn::Pg(c) => {
                let rows = c
                    .simple_query(&format!("SELECT id, v::text FROM {table} ORDER BY id"))
                    .map_err(|e| e.to_string())?;
                Ok(rows
                    .into_iter()
                    .filter_map(|m| match m {
                        postgres::SimpleQueryMessage::Row(r) => Some((
                            r.get(0).unwrap().parse().unwrap(),
                            r.get(1).map(|s| s.as_bytes().to_vec()),
                        )),
                        _ => None,
                    })
                    .collect())
            }
            Conn::My(c) => {
                // MariaDB writes a FLOAT with 6 significant digits (123456792 as
                // 123457000): its exact value rides along after a \x01, so that two
                // numeric types compare the number, not the rounding of its text.
                let read = if ty.starts_with("BIT") {
                    "v + 0"
                } else if ty.starts_with("FLOAT") {
                    "CONCAT(v, CHAR(1), CAST(v AS DOUBLE))"
                } else {
                    "v"
                };
                let rows: Vec<mysql::Row> = c
                    .query(format!("SELECT id, {read} FROM {table} ORDER BY id"))
                    .map_err(|e| e.to_string())?;
                Ok(rows
                    .into_iter()
                    .map(|r| {
                        let id = match r.as_ref(0) {
                            Some(mysql::Value::Bytes(b)) => {
                                String::from_utf8_lossy(b).parse().unwrap()
                            }
                            Some(mysql::Value::Int(i)) => *i,
                            other => panic!("id {other:?}"),
                        };
                        let v = match r.as_ref(1) {
                            Some(mysql::Value::NULL) | None => None,
                            Some(mysql::Value::Bytes(b)) => Some(b.clone()),
                            Some(v) => Some(v.as_sql(true).into_bytes()),
                        };
                        (id, v)
                    })
                    .collect())
            }
            Conn::Lite(c) => {
                let mut stmt = c
                    .prepare(&format!(
                        "SELECT id, CASE typeof(v) WHEN 'blob' THEN 'x''' || hex(v) || '''' \
                         ELSE CAST(v AS TEXT) END FROM {table} ORDER BY id"
                    ))
                    .map_err(|e| e.to_string())?;
                let rows = stmt
                    .query_map([], |r| {
                        let v = match r.get_ref(1)? {
                            rusqlite::types::ValueRef::Null => None,
                            rusqlite::types::ValueRef::Text(b)
                            | rusqlite::types::ValueRef::Blob(b) => Some(b.to_vec()),
                            other => panic!("CAST(.. AS TEXT) gave {other:?}"),
                        };
                        Ok((r.get::<_, i64>(0)?, v))
                    })
                    .map_err(|e| e.to_string())?;
                rows.collect::<Result<_, _>>().map_err(|e| e.to_string())
            }
        }
    }
}

/// Where one chunk runs: a schema or database of its own, and a backend on it.
struct Place {
    conn: Conn,
    /// The URL the binary is given for the same place.
    url: String,
    backend: Box<dyn Backend>,
    // Dropped last: the schema or database (or the SQLite file's folder).
    _db: Option<TestDb>,
    _dir: Option<tempfile::TempDir>,
}

/// Which database a matrix runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Db {
    Sqlite,
    Postgres,
    Mysql,
}

impl Db {
    fn dialect(self) -> Dialect {
        match self {
            Db::Sqlite => Dialect::Sqlite,
            Db::Postgres => Dialect::Postgres,
            Db::Mysql => Dialect::Mysql,
        }
    }

    fn types(self) -> &'static [Ty] {
        match self {
            Db::Sqlite => SQLITE_TYPES,
            Db::Postgres => PG_TYPES,
            Db::Mysql => MYSQL_TYPES,
        }
    }

    /// The pairs issue #17 found losing data, and those the oracle's full runs found,
    /// in every sample.
    fn named(self) -> &'static [(&'static str, &'static str)] {
        match self {
            Db::Sqlite => &[
                ("TEXT", "INTEGER"),
                ("TEXT", "REAL"),
                ("TEXT", "NUMERIC"),
                ("TEXT", "UNSIGNED BIG INT"),
            ],
            Db::Postgres => &[
                ("TEXT", "INTEGER"),
                ("TIMESTAMP", "TIMESTAMP(0)"),
                ("TIME", "TIME(0)"),
                ("VARBIT(8)", "BIT(3)"),
                ("INTEGER", "BOOLEAN"),
                ("INTERVAL", "INTERVAL DAY"),
                ("TEXT", "DATE"),
                ("JSON", "JSONB"),
                ("TIMESTAMPTZ", "TIMESTAMP"),
                ("VARCHAR(10)", "CHAR(5)"),
            ],
            Db::Mysql => &[
                ("VARCHAR(255)", "VARCHAR(20) CHARACTER SET latin1"),
                ("TEXT", "TEXT CHARACTER SET latin1"),
                ("DATE", "TIMESTAMP NULL"),
                ("VARCHAR(10)", "CHAR(5)"),
                ("BIGINT", "DECIMAL(5,0)"),
                ("DOUBLE", "BIGINT"),
            ],
        }
    }

    fn name(self) -> &'static str {
        match self {
            Db::Sqlite => "SQLite",
            Db::Postgres => "PostgreSQL",
            Db::Mysql => "MariaDB",
        }
    }

    /// A fresh place, or `None` when the server's variable is unset.
    fn place(self) -> Option<Place> {
        match self {
            Db::Sqlite => {
                let dir = tempfile::tempdir().unwrap();
                let path = dir.path().join("oracle.db");
                let backend = wildebeest_sqlite::SqliteBackend::open(&path, true).unwrap();
                let conn = rusqlite::Connection::open(&path).unwrap();
                Some(Place {
                    conn: Conn::Lite(conn),
                    url: format!("sqlite:{}", path.display()),
                    backend: Box::new(backend),
                    _db: None,
                    _dir: Some(dir),
                })
            }
            Db::Postgres => {
                let db = TestDb::new(Server::Postgres, "oracle")?;
                let admin = std::env::var("WILDEBEEST_TEST_POSTGRES_URL").unwrap();
                let mut c = postgres::Client::connect(&admin, postgres::NoTls).unwrap();
                c.batch_execute(&format!(
                    "SET search_path TO \"{}\"; SET synchronous_commit = off",
                    db.name
                ))
                .unwrap();
                let backend =
                    wildebeest_postgres::PgBackend::connect(&admin, Some(&db.name)).unwrap();
                Some(Place {
                    conn: Conn::Pg(c),
                    url: db.url.clone(),
                    backend: Box::new(backend),
                    _db: Some(db),
                    _dir: None,
                })
            }
            Db::Mysql => {
                let db = TestDb::new(Server::Mysql, "oracle")?;
                let mut c = mysql::Conn::new(mysql::Opts::from_url(&db.url).unwrap()).unwrap();
                // The values a type accepts are those a strict session stores as
                // given; a lenient one would store some of them already changed.
                c.query_drop(
                    "SET SESSION sql_mode = 'STRICT_ALL_TABLES,NO_ZERO_DATE,NO_ZERO_IN_DATE,\
                     ERROR_FOR_DIVISION_BY_ZERO,NO_ENGINE_SUBSTITUTION'",
                )
                .unwrap();
                let backend = wildebeest_mysql::MysqlBackend::connect(&db.url).unwrap();
                Some(Place {
                    conn: Conn::My(c),
                    url: db.url.clone(),
                    backend: Box::new(backend),
                    _db: Some(db),
                    _dir: None,
                })
            }
        }
    }
}

/// What became of one direction (upgrade or downgrade) of one pair.
#[derive(Debug, Clone, Default)]
struct Dir {
    /// The guard's count without consent (`None`: it did not refuse).
    guard: Option<u64>,
    /// The guard refused values the database cannot convert, consent or not: the
    /// conversion never ran.
    unconvertible: bool,
    /// The database rejected the conversion (with consent); its message.
    db_error: Option<String>,
    /// The guard's count failed, which stopped the run before anything changed; the
    /// message. Fail closed, but no count: a guard bug, reported as a failure.
    guard_error: Option<String>,
    /// Rows whose value changed: `(id, before, after)`.
    changed: Vec<(i64, String, String)>,
}

impl Dir {
    /// More rows changed than the guard counted; or any changed though the database
    /// rejected the conversion (MySQL's DDL is not transactional: a rejected
    /// conversion must still leave every value as it was).
    fn under_count(&self) -> bool {
        self.guard_error.is_some()
            || self.changed.len() as u64 > self.guard.unwrap_or(0)
            || (self.db_error.is_some() && !self.changed.is_empty())
    }

    fn kind(&self) -> &'static str {
        if self.guard_error.is_some() {
            return "stopped: the guard's count failed";
        }
        match (self.unconvertible, &self.db_error, self.guard) {
            (true, _, _) => "refused as unconvertible",
            (_, Some(_), _) => "rejected by the database",
            (_, None, Some(UNCOUNTED)) => "refused without a count, ran with consent",
            (_, None, Some(_)) => "refused, ran with consent",
            (_, None, None) => "ran without consent",
        }
    }
}

/// The outcome of one pair.
#[derive(Debug, Clone)]
struct Pair {
    from: Ty,
    to: Ty,
    /// `None` when `migrate` cannot write the pair (its message) or writes nothing.
    up: Option<Dir>,
    down: Option<Dir>,
    /// Why there is no `up`.
    unwritable: Option<String>,
    /// How many rows the table had.
    rows: usize,
    /// Only the values both types accept (see [`chunk`]).
    narrow: bool,
}

fn text(v: &Option<Vec<u8>>) -> String {
    let Some(b) = v else {
        return "NULL".to_string();
    };
    let Ok(s) = std::str::from_utf8(b) else {
        return format!(
            "0x{}",
            b.iter().map(|b| format!("{b:02x}")).collect::<String>()
        );
    };
    let short = |s: &str| {
        if s.chars().count() > 40 {
            format!(
                "'{}...' ({} chars)",
                s.chars().take(20).collect::<String>(),
                s.chars().count()
            )
        } else {
            format!("'{s}'")
        }
    };
    // A MariaDB FLOAT's text and its exact value (see `Conn::texts`).
    match s.split_once('\x01') {
        Some((shown, exact)) => format!("{} (exactly {exact})", short(shown)),
        None => short(s),
    }
}

/// A number's text in one form: sign, digits without leading or trailing zeros,
/// and the position of the decimal point (`1.50`, `1.5e0`, `15E-1` are one number).
fn number(s: &str) -> Option<String> {
    let s = s.trim();
    let lower = s.to_ascii_lowercase();
    if matches!(
        lower.as_str(),
        "nan" | "infinity" | "-infinity" | "inf" | "-inf"
    ) {
        return Some(
            lower
                .replace("inf", "infinity")
                .replace("infinityinity", "infinity"),
        );
    }
    let (neg, s) = match s.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, s.strip_prefix('+').unwrap_or(s)),
    };
    let (mantissa, exp) = match s.find(['e', 'E']) {
        Some(i) => (&s[..i], s[i + 1..].parse::<i64>().ok()?),
        None => (s, 0),
    };
    let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    if int.is_empty() && frac.is_empty()
        || !int.bytes().chain(frac.bytes()).all(|b| b.is_ascii_digit())
    {
        return None;
    }
    let digits = format!("{int}{frac}");
    let point = int.len() as i64 + exp;
    let lead = digits.len() - digits.trim_start_matches('0').len();
    let digits = digits.trim_start_matches('0').trim_end_matches('0');
    if digits.is_empty() {
        return Some("0".to_string());
    }
    Some(format!(
        "{}{digits}e{}",
        if neg { "-" } else { "" },
        point - lead as i64
    ))
}

/// A date or time's text without trailing zeros in its fraction of a second, and a
/// midnight without its time.
fn moment(s: &str) -> String {
    let mut s = s.trim().to_string();
    if let Some(dot) = s.rfind('.') {
        let frac = &s[dot + 1..];
        if !frac.is_empty() && frac.bytes().all(|b| b.is_ascii_digit()) {
            let kept = frac.trim_end_matches('0').len();
            s.truncate(dot + if kept == 0 { 0 } else { 1 + kept });
        }
    }
    s.strip_suffix(" 00:00:00").map(str::to_string).unwrap_or(s)
}

/// Whether a value reads the same after the conversion: the same text, or for two
/// numeric types the same number, for two temporal types the same moment.
fn same(from: Fam, to: Fam, before: &Option<Vec<u8>>, after: &Option<Vec<u8>>) -> bool {
    if before == after {
        return true;
    }
    let (Some(b), Some(a)) = (before, after) else {
        return false;
    };
    let (Ok(b), Ok(a)) = (std::str::from_utf8(b), std::str::from_utf8(a)) else {
        return false;
    };
    // A value read with its exact number (see `Conn::texts`) is the same when its
    // text is; the number is what numeric comparisons compare.
    let (b_text, b) = b.split_once('\x01').unwrap_or((b, b));
    let (a_text, a) = a.split_once('\x01').unwrap_or((a, a));
    if b_text == a_text {
        return true;
    }
    let numeric = |f| matches!(f, Fam::Num | Fam::F4 | Fam::F8);
    match (from, to) {
        (Fam::F4 | Fam::F8, Fam::F4 | Fam::F8) if from != to => {
            // The double's value is the single's exactly.
            let (single, double) = if from == Fam::F4 { (b, a) } else { (a, b) };
            match (single.parse::<f32>(), double.parse::<f64>()) {
                (Ok(x), Ok(y)) if !y.is_nan() => f64::from(x) == y,
                (Ok(x), Ok(y)) => x.is_nan() && y.is_nan(),
                _ => false,
            }
        }
        (f, t) if numeric(f) && numeric(t) => number(b).is_some() && number(b) == number(a),
        (Fam::Time, Fam::Time) => moment(b) == moment(a),
        _ => false,
    }
}

fn first_line(s: &str) -> &str {
    s.lines().next().unwrap_or("")
}

/// Whether `message` names `table` as a word (not as the start of `p12` for `p1`).
fn names_table(message: &str, table: &str) -> bool {
    message.match_indices(table).any(|(i, _)| {
        let before = message[..i].chars().next_back();
        let after = message[i + table.len()..].chars().next();
        !before.is_some_and(|c| c.is_alphanumeric() || c == '_')
            && !after.is_some_and(|c| c.is_alphanumeric() || c == '_')
    })
}

/// The pair index of a revision id from [`rev_id`].
fn id_index(id: &str) -> usize {
    id.trim_start_matches("pair").parse().unwrap()
}

/// A revision id for pair `i` of a chunk.
fn rev_id(i: usize) -> String {
    format!("pair{i:04}")
}

/// The guard's "count" when it refuses without counting.
const UNCOUNTED: u64 = u64::MAX;

/// The guard counts a run's refusal lists, by revision (the largest when a
/// revision has several): items read `file:line (revision ID): what; N rows ...`.
fn counts(items: &[String]) -> BTreeMap<String, u64> {
    let mut out = BTreeMap::new();
    for item in items {
        let Some(start) = item.find("(revision ") else {
            panic!("a refusal item without its revision: {item}");
        };
        let rest = &item[start + "(revision ".len()..];
        let id = rest[..rest.find(')').unwrap()].to_string();
        let mut n = None;
        for (i, _) in item.match_indices("; ") {
            let tail = item[i + 2..].trim_start_matches("it holds ");
            let digits: String = tail.chars().take_while(char::is_ascii_digit).collect();
            if !digits.is_empty() && tail[digits.len()..].starts_with(" row") {
                n = Some(digits.parse::<u64>().unwrap());
            }
        }
        // A loss the database cannot count refuses whatever the data (fail closed):
        // as good as a count of every row.
        // (`run::uncountable_item`: a loss the backend cannot count, or a statement
        // the model does not follow.)
        if item.ends_with("cannot count the values it would change, so it runs only with consent")
            || item.ends_with("; it needs consent")
        {
            n = Some(UNCOUNTED);
        }
        let n = n.unwrap_or_else(|| panic!("a refusal item without its count: {item}"));
        let e = out.entry(id).or_insert(0);
        *e = (*e).max(n);
    }
    out
}

/// Runs `operation` to `target` over `migrations` (the pairs still in play) until it
/// succeeds: without consent first, recording the guard's counts; a revision the
/// database rejects leaves the run (upgrade: its file goes; downgrade: its
/// downgrade becomes empty) and the run is tried again. Returns each revision's
/// direction record.
fn run_all(
    backend: &mut dyn Backend,
    migrations: &mut Vec<Migration>,
    down: bool,
    dirs: &mut BTreeMap<String, Dir>,
) {
    let target = if down { Target::Base } else { Target::Heads };
    let mut consent = false;
    // Each failure takes a revision out, so this ends.
    for _ in 0..=migrations.len() + 2 {
        let runner = Runner::new(backend, migrations)
            .unwrap()
            .with_allow_data_loss(consent);
        let mut runner = runner;
        let result = if down {
            runner.downgrade(&target, Mode::Execute, &mut std::io::sink())
        } else {
            runner.upgrade(&target, Mode::Execute, &mut std::io::sink())
        };
        match result {
            Ok(_) => return,
            Err(RunError::DataLoss { items, .. }) => {
                assert!(!consent, "a data-loss refusal with consent: {items:?}");
                for (id, n) in counts(&items) {
                    dirs.entry(id).or_default().guard = Some(n);
                }
                consent = true;
            }
            Err(RunError::Unconvertible { items, .. }) => {
                for (id, n) in counts(&items) {
                    let d = dirs.entry(id.clone()).or_default();
                    d.guard = Some(n);
                    d.unconvertible = true;
                    take_out(migrations, &id, down);
                }
            }
            Err(RunError::Statement(f)) => {
                dirs.entry(f.revision.clone()).or_default().db_error =
                    Some(f.message.lines().next().unwrap_or("").to_string());
                take_out(migrations, &f.revision, down);
            }
            // A count that fails stops the run before anything changes (fail closed),
            // but leaves the user no way to tell what would be lost: a guard bug.
            // The table it names is the pair's.
            Err(e) => {
                let message = e.to_string();
                let id = migrations
                    .iter()
                    .map(|m| m.id.clone())
                    .find(|id| names_table(&message, &format!("p{}", id_index(id))))
                    .unwrap_or_else(|| panic!("the oracle's run stopped on: {message}"));
                dirs.entry(id.clone()).or_default().guard_error =
                    Some(first_line(&message).to_string());
                take_out(migrations, &id, down);
            }
        }
    }
    panic!("the oracle's run did not settle");
}

fn take_out(migrations: &mut Vec<Migration>, id: &str, down: bool) {
    if down {
        let m = migrations.iter_mut().find(|m| m.id == id).unwrap();
        m.downgrade.text = String::new();
    } else {
        migrations.retain(|m| m.id != id);
    }
}

/// Runs the pairs `from -> to` for each `to` in `targets`, in a place of their own.
fn chunk(
    db: Db,
    from: Ty,
    targets: &[(Ty, &BTreeSet<usize>)],
    values: &[String],
) -> Option<Vec<Pair>> {
    let mut place = db.place()?;
    let dialect = db.dialect();
    let conn = &mut place.conn;
    conn.exec(&format!(
        "CREATE TABLE probe (id INTEGER PRIMARY KEY, v {})",
        from.sql
    ))
    .unwrap_or_else(|e| panic!("{}: type {}: {e}", db.name(), from.sql));
    let mut mine = BTreeSet::new();
    conn.begin();
    for (i, v) in values.iter().enumerate() {
        if conn
            .exec(&format!("INSERT INTO probe (id, v) VALUES ({i}, {v})"))
            .is_ok()
        {
            mine.insert(i);
        }
    }
    conn.commit();
    let parse = |sql: &str| {
        wildebeest_sql::parse_schema(sql, "schema.sql", dialect)
            .map(|(s, _)| s)
            .map_err(|e| e.to_string())
    };
    let dir = tempfile::tempdir().unwrap();
    let mut pairs = Vec::new();
    let mut ids = BTreeMap::new();
    let mut fills = Vec::new();
    // Each pair with every value of the source type; and again with only the values
    // both types accept, when that is fewer: a database that rejects the conversion
    // of one value rejects the whole table, and the values it would have converted
    // (changed or not) would go untested.
    let cases = targets.iter().flat_map(|&(to, theirs)| {
        let both: BTreeSet<usize> = mine.intersection(theirs).copied().collect();
        let narrow = (both.len() < mine.len() && !both.is_empty()).then_some((to, Some(both)));
        std::iter::once((to, None)).chain(narrow)
    });
    for (i, (to, only)) in cases.enumerate() {
        let table = format!("p{i}");
        let schema = |ty: &str| format!("CREATE TABLE {table} (id INTEGER PRIMARY KEY, v {ty});\n");
        let mut pair = Pair {
            from,
            to,
            up: None,
            down: None,
            unwritable: None,
            rows: only.as_ref().map_or(mine.len(), BTreeSet::len),
            narrow: only.is_some(),
        };
        let generated = parse(&schema(from.sql)).and_then(|a| {
            let b = parse(&schema(to.sql))?;
            wildebeest_cli::app::generate(dialect, &a, &b, &Hints::default())
                .map_err(|e| format!("{e:#}"))
        });
        match generated {
            Err(e) => pair.unwritable = Some(e),
            Ok(g) if g.ops.is_empty() => pair.unwritable = Some("no change".to_string()),
            Ok(g) => {
                conn.exec(&schema(from.sql)).unwrap();
                let only = match &only {
                    Some(ids) => format!(
                        " WHERE id IN ({})",
                        ids.iter()
                            .map(usize::to_string)
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                    None => String::new(),
                };
                fills.push(format!("INSERT INTO {table} SELECT id, v FROM probe{only}"));
                let id = rev_id(i);
                let new = NewMigration {
                    id: id.clone(),
                    parents: Vec::new(),
                    message: format!("{} to {}", from.sql, to.sql),
                    created: "2026-01-01T00:00:00Z".to_string(),
                    upgrade: g.upgrade,
                    downgrade: g.downgrade,
                    extra_headers: vec![("Dialect".to_string(), dialect.name().to_string())],
                };
                let name = wildebeest_revision::file_name(&new.created, &id, "pair");
                std::fs::write(dir.path().join(name), wildebeest_revision::render(&new)).unwrap();
                ids.insert(id, i);
            }
        }
        pairs.push(pair);
    }
    if ids.is_empty() {
        return Some(pairs);
    }
    conn.begin();
    for fill in fills {
        conn.exec(&fill).unwrap();
    }
    conn.commit();
    let read = |conn: &mut Conn, pairs: &[Pair], ty: fn(&Pair) -> Ty| {
        ids.iter()
            .map(|(id, &i)| {
                let v = conn.texts(&format!("p{i}"), ty(&pairs[i]).sql).unwrap();
                (id.clone(), v)
            })
            .collect::<BTreeMap<_, _>>()
    };
    let before = read(conn, &pairs, |p| p.from);
    let mut migrations = wildebeest_revision::load_dir(dir.path()).unwrap();
    let mut ups = BTreeMap::new();
    run_all(&mut *place.backend, &mut migrations, false, &mut ups);
    let conn = &mut place.conn;
    // The table has the new type where the upgrade ran, the old one elsewhere.
    let ran: BTreeSet<String> = migrations.iter().map(|m| m.id.clone()).collect();
    let mut after = BTreeMap::new();
    for (id, &i) in &ids {
        let ty = if ran.contains(id) {
            pairs[i].to
        } else {
            pairs[i].from
        };
        after.insert(id.clone(), conn.texts(&format!("p{i}"), ty.sql).unwrap());
    }
    let compare = |from: Ty, to: Ty, a: &[Row], b: &[Row]| {
        assert_eq!(a.len(), b.len(), "rows were lost or gained");
        a.iter()
            .zip(b)
            .filter(|((_, x), (_, y))| !same(from.fam, to.fam, x, y))
            .map(|((id, x), (_, y))| (*id, text(x), text(y)))
            .collect::<Vec<_>>()
    };
    for (id, &i) in &ids {
        let mut d = ups.remove(id).unwrap_or_default();
        let (from, to) = (pairs[i].from, pairs[i].to);
        let to = if ran.contains(id) { to } else { from };
        d.changed = compare(from, to, &before[id], &after[id]);
        pairs[i].up = Some(d);
    }
    // The downgrade converts back what the upgrade left.
    let mut downs = BTreeMap::new();
    run_all(&mut *place.backend, &mut migrations, true, &mut downs);
    let conn = &mut place.conn;
    for id in &ran {
        let i = ids[id];
        let undone = migrations
            .iter()
            .any(|m| &m.id == id && !m.downgrade.text.is_empty());
        let ty = if undone { pairs[i].from } else { pairs[i].to };
        let back = conn.texts(&format!("p{i}"), ty.sql).unwrap();
        let mut d = downs.remove(id).unwrap_or_default();
        d.changed = compare(pairs[i].to, ty, &after[id], &back);
        pairs[i].down = Some(d);
    }
    Some(pairs)
}

/// The edge values each type accepts, by index into `values`; `None` when the
/// server's variable is unset.
fn accepted(db: Db, values: &[String]) -> Option<Vec<BTreeSet<usize>>> {
    let mut place = db.place()?;
    let conn = &mut place.conn;
    let mut out = Vec::new();
    for (k, ty) in db.types().iter().enumerate() {
        conn.exec(&format!(
            "CREATE TABLE a{k} (id INTEGER PRIMARY KEY, v {})",
            ty.sql
        ))
        .unwrap_or_else(|e| panic!("{}: type {}: {e}", db.name(), ty.sql));
        let mut ok = BTreeSet::new();
        conn.begin();
        for (i, v) in values.iter().enumerate() {
            if conn
                .exec(&format!("INSERT INTO a{k} (id, v) VALUES ({i}, {v})"))
                .is_ok()
            {
                ok.insert(i);
            }
        }
        conn.commit();
        out.push(ok);
    }
    Some(out)
}

/// A small deterministic generator (xorshift), so the sample is the same each run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

/// The targets of each source type: every other type in the full mode; otherwise the
/// next type (so every type is also a target), the `named` pairs' and `extra` more
/// drawn from the seed.
fn sample(
    n: usize,
    full: bool,
    extra: usize,
    seed: u64,
    named: &[(usize, usize)],
) -> Vec<Vec<usize>> {
    let mut rng = Rng(seed | 1);
    (0..n)
        .map(|i| {
            if full {
                return (0..n).filter(|&j| j != i).collect();
            }
            let mut set = BTreeSet::from([(i + 1) % n]);
            set.extend(named.iter().filter(|&&(a, _)| a == i).map(|&(_, b)| b));
            while set.len() < (extra + 1).min(n - 1) + named.iter().filter(|p| p.0 == i).count() {
                let j = (rng.next() % n as u64) as usize;
                if j != i {
                    set.insert(j);
                }
            }
            set.into_iter().collect()
        })
        .collect()
}

/// Runs a database's matrix and asserts zero under-counts, listing every one.
fn oracle(db: Db) {
    let full = std::env::var("WILDEBEEST_ORACLE").is_ok_and(|v| v == "full");
    let seed = std::env::var("WILDEBEEST_ORACLE_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(17);
    let types = db.types();
    let values = edge_values();
    let started = Instant::now();
    let index = |sql: &str| {
        types
            .iter()
            .position(|t| t.sql == sql)
            .unwrap_or_else(|| panic!("{sql} is not in the matrix"))
    };
    let named: Vec<(usize, usize)> = db
        .named()
        .iter()
        .map(|&(a, b)| (index(a), index(b)))
        .collect();
    let plan = sample(types.len(), full, 5, seed, &named);
    let Some(accepts) = wildebeest_sql::on_big_stack(|| accepted(db, &values)) else {
        return;
    };
    // A few chunks at a time: the time goes into round trips and flushes, not CPU.
    let threads: usize = std::env::var("WILDEBEEST_ORACLE_THREADS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(3);
    let next = std::sync::atomic::AtomicUsize::new(0);
    let done = std::sync::Mutex::new(BTreeMap::new());
    std::thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|| {
                loop {
                    let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    let Some(targets) = plan.get(i) else { break };
                    let targets: Vec<(Ty, &BTreeSet<usize>)> =
                        targets.iter().map(|&j| (types[j], &accepts[j])).collect();
                    let pairs =
                        wildebeest_sql::on_big_stack(|| chunk(db, types[i], &targets, &values));
                    done.lock().unwrap().insert(i, pairs);
                }
            });
        }
    });
    let done = done.into_inner().unwrap();
    if done.values().any(Option::is_none) {
        return;
    }
    let pairs: Vec<Pair> = done.into_values().flatten().flatten().collect();
    for p in &pairs {
        if let Some(why) = p.unwritable.as_deref().filter(|w| *w != "no change") {
            eprintln!(
                "{} {} -> {}: migrate cannot write it: {}",
                db.name(),
                p.from.sql,
                p.to.sql,
                first_line(why)
            );
        }
        for (what, d) in [("upgrade", &p.up), ("downgrade", &p.down)] {
            if let Some(e) = d.as_ref().and_then(|d| d.db_error.as_deref()) {
                eprintln!(
                    "{} {} -> {} ({what}): the database rejected it: {e}",
                    db.name(),
                    p.from.sql,
                    p.to.sql
                );
            }
        }
    }
    let report = summary(db, &pairs, full, seed, started.elapsed().as_secs_f64());
    eprintln!("{report}");
    let mut failures = String::new();
    for p in &pairs {
        for (what, d) in [("upgrade", &p.up), ("downgrade", &p.down)] {
            let Some(d) = d else { continue };
            if d.under_count() {
                let _ = writeln!(
                    failures,
                    "{} {} -> {}{} ({what}, {}): guard count {}, {} of {} rows changed, e.g. {}",
                    db.name(),
                    p.from.sql,
                    p.to.sql,
                    if p.narrow {
                        " [values both accept]"
                    } else {
                        ""
                    },
                    d.kind(),
                    match d.guard {
                        None => "none".to_string(),
                        Some(UNCOUNTED) => "uncounted".to_string(),
                        Some(n) => n.to_string(),
                    },
                    d.changed.len(),
                    p.rows,
                    match &d.guard_error {
                        Some(e) => e.clone(),
                        None => d
                            .changed
                            .iter()
                            .take(4)
                            .map(|(_, b, a)| format!("{b} -> {a}"))
                            .collect::<Vec<_>>()
                            .join(", "),
                    }
                );
            }
        }
    }
    assert!(
        failures.is_empty(),
        "the data-loss guard under-counts on {}:\n{failures}\n{report}",
        db.name()
    );
}

/// The figures of a run, as docs/RELIABILITY.md quotes them.
fn summary(db: Db, pairs: &[Pair], full: bool, seed: u64, secs: f64) -> String {
    let mut out = String::new();
    let written: Vec<&Pair> = pairs.iter().filter(|p| p.up.is_some()).collect();
    let _ = writeln!(
        out,
        "oracle {}: {} types, {} ordered pairs ({}, seed {seed}) in {} tables ({} with only the values both types accept), {} written by migrate, {} same type, {} refused by migrate, {:.1} s",
        db.name(),
        db.types().len(),
        pairs.iter().filter(|p| !p.narrow).count(),
        if full { "full" } else { "sample" },
        pairs.len(),
        pairs.iter().filter(|p| p.narrow).count(),
        written.len(),
        pairs
            .iter()
            .filter(|p| p.unwritable.as_deref() == Some("no change"))
            .count(),
        pairs
            .iter()
            .filter(|p| p.up.is_none() && p.unwritable.as_deref() != Some("no change"))
            .count(),
        secs
    );
    for (what, pick) in [
        (
            "upgrade",
            (|p: &Pair| p.up.clone()) as fn(&Pair) -> Option<Dir>,
        ),
        ("downgrade", |p: &Pair| p.down.clone()),
    ] {
        let dirs: Vec<Dir> = pairs.iter().filter_map(pick).collect();
        let mut kinds: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
        for d in &dirs {
            let e = kinds.entry(d.kind()).or_default();
            e.0 += 1;
            e.1 += d.under_count() as usize;
        }
        let _ = writeln!(
            out,
            "  {what}: {} pairs, {} under-counts; {}",
            dirs.len(),
            dirs.iter().filter(|d| d.under_count()).count(),
            kinds
                .iter()
                .map(|(k, (n, u))| format!("{k} {n} ({u} under-counting)"))
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    out
}

#[test]
fn sqlite_guard_counts_every_changed_value() {
    oracle(Db::Sqlite);
}

#[test]
fn postgres_guard_counts_every_changed_value() {
    oracle(Db::Postgres);
}

#[test]
fn mysql_guard_counts_every_changed_value() {
    oracle(Db::Mysql);
}

/// A SQLite table rebuilt for a reason other than a type change (a constraint
/// added, then dropped by the downgrade) copies every column of every type: no
/// value may change in the copy, and nothing is refused.
#[test]
fn sqlite_rebuild_copies_keep_every_value() {
    wildebeest_sql::on_big_stack(|| {
        let mut place = Db::Sqlite.place().unwrap();
        let columns: Vec<String> = SQLITE_TYPES
            .iter()
            .enumerate()
            .map(|(k, t)| format!("c{k} {}", t.sql))
            .collect();
        let schema = |check: &str| {
            format!(
                "CREATE TABLE wide (id INTEGER PRIMARY KEY, {}{check});\n",
                columns.join(", ")
            )
        };
        let (from, to) = (schema(""), schema(", CHECK (id >= 0)"));
        place.conn.exec(&from).unwrap();
        let values = edge_values();
        for (i, v) in values.iter().enumerate() {
            let all = vec![v.as_str(); SQLITE_TYPES.len()].join(", ");
            place
                .conn
                .exec(&format!("INSERT INTO wide VALUES ({i}, {all})"))
                .unwrap();
        }
        let read = |conn: &mut Conn| {
            (0..SQLITE_TYPES.len())
                .map(|k| {
                    let sql = format!("(SELECT id, c{k} AS v FROM wide)");
                    conn.texts(&sql, "").unwrap()
                })
                .collect::<Vec<_>>()
        };
        let before = read(&mut place.conn);
        let parse = |sql: &str| {
            wildebeest_sql::parse_schema(sql, "schema.sql", Dialect::Sqlite)
                .unwrap()
                .0
        };
        let g = wildebeest_cli::app::generate(
            Dialect::Sqlite,
            &parse(&from),
            &parse(&to),
            &Hints::default(),
        )
        .unwrap();
        let dir = tempfile::tempdir().unwrap();
        let new = NewMigration {
            id: "rebuild".to_string(),
            message: "check".to_string(),
            created: "2026-01-01T00:00:00Z".to_string(),
            upgrade: g.upgrade,
            downgrade: g.downgrade,
            extra_headers: vec![("Dialect".to_string(), "sqlite".to_string())],
            ..NewMigration::default()
        };
        let name = wildebeest_revision::file_name(&new.created, &new.id, "check");
        std::fs::write(dir.path().join(name), wildebeest_revision::render(&new)).unwrap();
        let migrations = wildebeest_revision::load_dir(dir.path()).unwrap();
        let mut runner = Runner::new(&mut *place.backend, &migrations).unwrap();
        let mut sql = Vec::new();
        runner.upgrade(&Target::Heads, Mode::Sql, &mut sql).unwrap();
        assert!(
            String::from_utf8_lossy(&sql).contains("INSERT INTO"),
            "the upgrade is a rebuild: {}",
            String::from_utf8_lossy(&sql)
        );
        runner
            .upgrade(&Target::Heads, Mode::Execute, &mut std::io::sink())
            .unwrap();
        let mut sql = Vec::new();
        runner
            .downgrade(&Target::Base, Mode::Sql, &mut sql)
            .unwrap();
        assert!(
            String::from_utf8_lossy(&sql).contains("INSERT INTO"),
            "the downgrade is a rebuild too: {}",
            String::from_utf8_lossy(&sql)
        );
        let upgraded = read(&mut place.conn);
        runner
            .downgrade(&Target::Base, Mode::Execute, &mut std::io::sink())
            .unwrap();
        let downgraded = read(&mut place.conn);
        assert_eq!(before.len(), SQLITE_TYPES.len());
        assert!(before.iter().all(|c| c.len() == values.len()));
        for (k, t) in SQLITE_TYPES.iter().enumerate() {
            assert_eq!(
                before[k], upgraded[k],
                "{}: the upgrade's copy changed values",
                t.sql
            );
            assert_eq!(
                before[k], downgraded[k],
                "{}: the downgrade's copy changed values",
                t.sql
            );
        }
    });
}

/// The binary takes the path the library takes: for a few pairs per database,
/// `migrate` and `upgrade` without consent (then with it, when refused) find the
/// same guard count and change the same values as the oracle's library run.
fn cli_agrees(db: Db, pairs: &[(&str, &str, &[&str])]) {
    let ty = |sql: &str| *db.types().iter().find(|t| t.sql == sql).unwrap();
    let mut refused = 0;
    for &(from, to, values) in pairs {
        let (from, to) = (ty(from), ty(to));
        let values: Vec<String> = values.iter().map(|v| v.to_string()).collect();
        let all: BTreeSet<usize> = (0..values.len()).collect();
        let Some(lib) = wildebeest_sql::on_big_stack(|| chunk(db, from, &[(to, &all)], &values))
        else {
            return;
        };
        let lib = lib[0].up.clone().expect("the library run wrote the pair");
        let mut place = db.place().unwrap();
        let p = crate::util::TempProject::new();
        p.cmd(&["init"]).assert().success();
        p.write(
            "wildebeest.toml",
            &format!("database_url = \"{}\"\n", place.url),
        );
        let schema = |ty: Ty| format!("CREATE TABLE p0 (id INTEGER PRIMARY KEY, v {});\n", ty.sql);
        p.write("schema.sql", &schema(from));
        crate::util::ok(&p, &["migrate", "-m", "from"]);
        crate::util::ok(&p, &["upgrade"]);
        for (i, v) in values.iter().enumerate() {
            place
                .conn
                .exec(&format!("INSERT INTO p0 (id, v) VALUES ({i}, {v})"))
                .unwrap();
        }
        let before = place.conn.texts("p0", from.sql).unwrap();
        p.write("schema.sql", &schema(to));
        crate::util::ok(&p, &["migrate", "-m", "to"]);
        let out = p.cmd(&["upgrade"]).output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        let mut rejected = false;
        let guard = match out.status.code() {
            Some(0) => None,
            Some(2) if stderr.contains("would destroy stored data") => {
                let item = stderr.lines().find(|l| l.contains("(revision ")).unwrap();
                let n = counts(&[item.trim().to_string()]).into_values().next();
                let again = p.cmd(&["upgrade", "--allow-data-loss"]).output().unwrap();
                rejected = !again.status.success();
                n
            }
            Some(2) if stderr.contains("failed and was rolled back") => {
                rejected = true;
                None
            }
            _ => panic!("{} -> {}: upgrade failed: {stderr}", from.sql, to.sql),
        };
        let now = if rejected { from } else { to };
        let after = place.conn.texts("p0", now.sql).unwrap();
        let changed: Vec<(i64, String, String)> = before
            .iter()
            .zip(&after)
            .filter(|((_, x), (_, y))| !same(from.fam, now.fam, x, y))
            .map(|((id, x), (_, y))| (*id, text(x), text(y)))
            .collect();
        assert_eq!(
            (guard, rejected, &changed),
            (lib.guard, lib.db_error.is_some(), &lib.changed),
            "{} {} -> {}: the binary and the library differ",
            db.name(),
            from.sql,
            to.sql
        );
        refused += usize::from(guard.is_some());
    }
    // Both paths are taken: a refusal read from the binary's message, and a run.
    assert!(
        refused > 0 && refused < pairs.len(),
        "{refused} of {} refused",
        pairs.len()
    );
}

#[test]
fn sqlite_cli_agrees_with_the_oracle() {
    cli_agrees(
        Db::Sqlite,
        &[
            (
                "TEXT",
                "INTEGER",
                &["NULL", "'007'", "' 42'", "'1e3'", "'abc'"],
            ),
            ("INTEGER", "TEXT", &["NULL", "7", "-1"]),
            ("BIGINT", "REAL", &["9223372036854775807", "5"]),
            ("INT", "BIGINT", &["NULL", "7", "'007'"]),
        ],
    );
}

#[test]
fn postgres_cli_agrees_with_the_oracle() {
    cli_agrees(
        Db::Postgres,
        &[
            ("VARCHAR(10)", "INTEGER", &["NULL", "'007'", "' 42'", "'5'"]),
            (
                "TIMESTAMP",
                "TIMESTAMP(0)",
                &["'2020-02-29 13:45:56.123456'", "'2020-01-01'"],
            ),
            ("INTEGER", "BIGINT", &["NULL", "'2147483647'", "'-5'"]),
            ("BIGINT", "REAL", &["'9223372036854775807'", "'5'"]),
            ("VARCHAR(255)", "VARCHAR(3)", &["'abcdef'", "'ab'", "NULL"]),
            ("NUMERIC(10,2)", "INTEGER", &["'1.5'", "'2'", "NULL"]),
        ],
    );
}

#[test]
fn mysql_cli_agrees_with_the_oracle() {
    cli_agrees(
        Db::Mysql,
        &[
            ("VARCHAR(255)", "CHAR(20)", &["NULL", "'abc   '", "'x'"]),
            ("INT", "BIGINT", &["NULL", "'2147483647'", "'-5'"]),
            ("DECIMAL(20,6)", "FLOAT", &["'123456789.123456'", "'1.5'"]),
            ("VARCHAR(255)", "TINYTEXT", &["'abc'", "'☃ 日本'"]),
        ],
    );
}

#[test]
fn numbers_compare_by_value() {
    assert_eq!(number("1.50"), number("1.5"));
    assert_eq!(number("15E-1"), number("1.5"));
    assert_eq!(number("1e3"), number("1000"));
    assert_eq!(number("-0"), number("0.000"));
    assert_ne!(number("007"), None);
    assert_eq!(number("007"), number("7"));
    assert_ne!(number("1.5"), number("2"));
    assert_ne!(
        number("9223372036854775807"),
        number("9.22337203685478e+18")
    );
    assert_eq!(number("abc"), None);
    let (x, y) = (Some(b"0.1".to_vec()), Some(b"0.10000000149011612".to_vec()));
    assert!(same(Fam::F4, Fam::F8, &x, &y));
    assert!(same(Fam::F8, Fam::F4, &y, &x));
    assert!(!same(
        Fam::F8,
        Fam::F4,
        &x,
        &x.clone().map(|_| b"0.10000001".to_vec())
    ));
    let big = (
        Some(b"2147483647".to_vec()),
        Some(b"2.1474836e+09".to_vec()),
    );
    assert!(!same(Fam::Num, Fam::F4, &big.0, &big.1));
    assert_eq!(
        moment("2020-01-01 10:00:00.120000"),
        moment("2020-01-01 10:00:00.12")
    );
    assert_eq!(moment("2020-01-01 00:00:00"), "2020-01-01");
    assert_ne!(
        moment("2020-01-01 10:00:00.5"),
        moment("2020-01-01 10:00:01")
    );
}

#[test]
fn refusal_counts_are_read_per_revision() {
    let items = [
        "m/a.sql:9 (revision pair0001): changes the type of `p1.v`; 3 rows have a value in it"
            .to_string(),
        "m/b.sql:9 (revision pair0002): drops table `p2`; it holds 1 row".to_string(),
        "m/c.sql:9 (revision pair0003): x; y; 12 rows hold values 'a'".to_string(),
    ];
    let c = counts(&items);
    assert_eq!(c["pair0001"], 3);
    assert_eq!(c["pair0002"], 1);
    assert_eq!(c["pair0003"], 12);
    let uncounted = "m/d.sql:9 (revision pair0004): narrows column `p4.v` from INTEGER to DATE: \
                     values that do not fit are lost or rejected; this database cannot count the \
                     values it would change, so it runs only with consent";
    assert_eq!(counts(&[uncounted.to_string()])["pair0004"], UNCOUNTED);
    let unfollowed = "m/e.sql:9 (revision pair0005): `ALTER TABLE p5 ALTER COLUMN v TYPE UNSIGNED \
                      BIG INT` changes a column's type in a way the schema model does not follow, \
                      so wildebeest cannot count what it loses; it needs consent";
    assert_eq!(counts(&[unfollowed.to_string()])["pair0005"], UNCOUNTED);
    assert!(names_table("SELECT COUNT(*) FROM p16 WHERE x", "p16"));
    assert!(!names_table("SELECT COUNT(*) FROM p16 WHERE x", "p1"));
    assert!(names_table("in '`db`.`p1`.`v`'", "p1"));
    assert_eq!(id_index(&rev_id(16)), 16);
}
