//! SQL text to and from the wildebeest model. `sqlparser` lives only here: no type of
//! it appears in this crate's public API.
//!
//! - [`parse_schema`] / [`parse_schema_files`]: `schema.sql` (or several files) into a
//!   [`Schema`] (errors carry file:line:column); [`parse_schema_located`] also says
//!   where each table and each part it keeps in `Table::unmodeled` is.
//! - [`parse_statements`]: a migration section into [`Statement`]s, each with its text,
//!   line and, where understood, its [`Change`].
//! - [`split_statements`] / [`try_split_statements`]: statement boundaries that respect
//!   quotes, comments, dollar quotes and trigger bodies.
//! - [`normalize_expr`]: one canonical spelling of an SQL expression, so defaults and
//!   checks compare equal whether they come from a file or a database;
//!   [`normalize_stored_expr`] also as PostgreSQL's catalog prints it back.
//! - [`parse_type`]: a type name into a [`ColumnType`].
//! - [`quote_ident`], [`quote_literal`]: names and strings for generated SQL.
//!
//! ```
//! use wildebeest_sql::{parse_schema, Dialect};
//!
//! let sql = "CREATE TABLE employees (id INTEGER PRIMARY KEY, name VARCHAR NOT NULL);\n\
//!            CREATE INDEX employees_name ON employees (name);";
//! let (schema, warnings) = parse_schema(sql, "schema.sql", Dialect::Sqlite).unwrap();
//! let employees = schema.table("employees").unwrap();
//! assert_eq!(employees.columns.len(), 2);
//! assert_eq!(employees.indexes[0].columns, ["name"]);
//! assert!(warnings.is_empty());
//!
//! let err = parse_schema("CREATE TABLE t (a INT,)", "schema.sql", Dialect::Postgres).unwrap_err();
//! assert_eq!((err.line, err.column), (1, 23));
//! ```
//!
//! Parsing runs on a thread of its own with a large stack: sqlparser is built without
//! its stack-growing feature, and its recursion limit alone does not keep a debug build
//! inside a small stack.

use std::fmt;

use wildebeest_schema::{Change, ColumnType, Schema};

mod aggregate;
mod comment;
pub use aggregate::{aggregate_catalog_text, aggregate_from_catalog};
mod ddl;
pub use ddl::{OTHER_TABLE_OPTIONS, exclusion_from_catalog, mysql_other_option, partition_bound};
mod destroys;
mod directives;
mod domain;
pub use comment::schema_comment_block;
pub use directives::{DIRECTIVE, Rename, rename_directives};
mod expr;
mod extension;
mod frozen;
mod lex;
pub use lex::on_big_stack;
mod mysql;
mod mysql_partition;
pub use mysql::{drop_fk_indexes, mariadb_json};
mod parse;
mod partition;
pub use parse::leading_words;
mod quote;
pub mod render;
mod routine;
mod rule;
pub use routine::{mysql_routine_from_catalog, routine_from_catalog};
mod pg_trigger;
mod policy;
mod schema;
mod sequence;
mod split;
mod statements;
mod trigger;
pub use pg_trigger::pg_trigger_from_catalog;
pub use rule::rule_from_catalog;
pub use trigger::trigger_from_catalog;
mod types;
mod unheld;
mod usertype;
mod view;
mod view_canon;
mod view_rename;
pub use view::view_from_catalog;
pub use view_canon::canonical_views;

/// The SQL dialect a text is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Dialect {
    /// SQLite: `[name]` quoting, any words as a type, `WITHOUT ROWID` / `STRICT`.
    Sqlite,
    /// PostgreSQL: unquoted names fold to lower case, `$tag$` strings, nested comments.
    Postgres,
    /// MySQL: `` `name` `` quoting, backslash escapes in strings, `#` comments.
    Mysql,
}

impl Dialect {
    /// The name used in a migration file's `-- Dialect:` header.
    pub fn name(self) -> &'static str {
        match self {
            Dialect::Sqlite => "sqlite",
            Dialect::Postgres => "postgresql",
            Dialect::Mysql => "mysql",
        }
    }

    /// Whether the database takes two names that differ only in ASCII case for the
    /// same table or column (SQLite; MySQL, as schema files are read). PostgreSQL folds
    /// unquoted names when it parses them, and keeps quoted ones apart.
    pub fn folds_case(self) -> bool {
        self != Dialect::Postgres
    }

    /// Parses a `-- Dialect:` header value (`sqlite`, `postgresql`/`postgres`,
    /// `mysql`/`mariadb`), ignoring case.
    pub fn parse(name: &str) -> Option<Dialect> {
        match name.trim().to_ascii_lowercase().as_str() {
            "sqlite" | "sqlite3" => Some(Dialect::Sqlite),
            "postgresql" | "postgres" | "pg" => Some(Dialect::Postgres),
            "mysql" | "mariadb" => Some(Dialect::Mysql),
            _ => None,
        }
    }
}

/// One statement of a migration section.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Statement {
    /// The statement's text as written, without the terminating `;`, trimmed (comments
    /// before and after it are not part of it; comments inside are).
    pub text: String,
    /// The 1-based line (within the text given) on which the statement starts.
    pub line: usize,
    /// What the statement does to the schema, when the parser understands it.
    /// `None` for statements that do not change the schema model (INSERT, UPDATE,
    /// CREATE VIEW, ...) or that it cannot parse: those run verbatim.
    pub change: Option<Change>,
}

/// What a statement destroys of the stored data, whether or not the model follows it
/// ([`destroys`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Destroys {
    /// The statement and what it does to `tables`, for messages: `` `DROP TABLE a, b`
    /// drops``, `` `TRUNCATE a` empties``.
    pub verb: String,
    /// Tables whose every row it drops or empties, as the model names them: each is
    /// counted.
    pub tables: Vec<String>,
    /// What else it destroys, which nothing can count (`DROP SCHEMA`, PostgreSQL's
    /// `CASCADE`, a column dropped by an `ALTER TABLE` the model does not follow), for
    /// messages: such a statement needs consent whatever the data.
    pub uncounted: Option<String>,
}

/// What `text` (one statement of a migration, in `dialect`) destroys of the stored
/// data beyond what the model guards: `followed` says the model follows the statement
/// (its ops carry their own guards, so a plain `DROP TABLE t` or `ALTER TABLE ... DROP
/// COLUMN` adds nothing here). `DROP TABLE` with several names and `TRUNCATE` name
/// their tables, as does MariaDB's `CREATE OR REPLACE TABLE`; a `DROP` of anything but the objects that hold no rows (indexes,
/// views, triggers, functions, types, ...), PostgreSQL's `CASCADE` and a `DO` block whose
/// code says `DROP TABLE` or `TRUNCATE` (and the like) are uncounted, and so is a
/// followed PostgreSQL type change whose `USING` computes values other than a cast of
/// the column to its new type (which the model's count holds for).
/// Statements that only change rows (`DELETE`, `UPDATE`) are the user's intent: `None`.
pub fn destroys(text: &str, dialect: Dialect, followed: bool) -> Option<Destroys> {
    // Most statements of a generated file are followed `CREATE TABLE`s and `ALTER
    // TABLE`s: those are let go here, without a parse (nor, for a library caller, a
    // thread to parse on).
    let words = parse::leading_words(text, 4);
    let words: Vec<&str> = words.iter().map(String::as_str).collect();
    // PostgreSQL's `CASCADE`, and its `USING`, whose expression may compute values
    // the model's count of a type change does not hold for.
    let has = |word: &[u8]| {
        dialect == Dialect::Postgres
            && text
                .as_bytes()
                .windows(word.len())
                .any(|w| w.eq_ignore_ascii_case(word))
    };
    let worth_reading = match words.as_slice() {
        ["DROP" | "TRUNCATE" | "DO", ..] | ["CREATE", "OR", "REPLACE", "TABLE"] => true,
        ["ALTER", "TABLE", ..] => !followed || has(b"CASCADE") || has(b"USING"),
        _ => false,
    };
    if !worth_reading {
        return None;
    }
    lex::with_stack(|| destroys::destroys(text, dialect, followed)).unwrap_or_else(|| {
        Some(Destroys {
            verb: String::new(),
            tables: Vec::new(),
            uncounted: Some(format!(
                "`{}` cannot be read, so what it destroys cannot be counted",
                excerpt(text)
            )),
        })
    })
}

/// Something noticed but not fatal: an ignored statement or clause.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    /// 1-based line.
    pub line: usize,
    /// What was noticed, without the line (see `Display`, which adds it).
    pub message: String,
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {}", self.line, self.message)
    }
}

/// A [`Warning`] from one of several schema files (see [`parse_schema_files`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileWarning {
    /// The file name given by the caller.
    pub file: String,
    /// 1-based line.
    pub line: usize,
    /// What was noticed, without the position.
    pub message: String,
}

impl fmt::Display for FileWarning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.file, self.line, self.message)
    }
}

/// A syntax or meaning error in SQL text, with its position.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}:{line}:{column}: {message}")]
pub struct SqlError {
    /// The file name given by the caller.
    pub file: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column, counted in characters.
    pub column: usize,
    /// What is wrong, without the position.
    pub message: String,
}

/// Parses a schema file (only `CREATE TABLE` and `CREATE INDEX` shape the model,
/// `ALTER TABLE ... ADD CONSTRAINT` and `ALTER COLUMN ... SET DEFAULT` as pg_dump
/// writes them, and in PostgreSQL `CREATE TYPE ... AS ENUM`, whose columns become
/// `ColumnType::Enum` once every file is read, an identity added by `ALTER COLUMN ...
/// ADD GENERATED`, and the sequence statements of a serial column; every other
/// statement is ignored with a warning).
///
/// Errors: syntax errors, a table, column, index or enum type defined twice, a key or index
/// naming a column its table lacks, a foreign key to a table or column the file does
/// not create, `CREATE TABLE ... AS SELECT`.
pub fn parse_schema(
    text: &str,
    file: &str,
    dialect: Dialect,
) -> Result<(Schema, Vec<Warning>), SqlError> {
    let (schema, warnings) = parse_schema_files(&[(file, text)], dialect)?;
    Ok((
        schema,
        warnings
            .into_iter()
            .map(|w| Warning {
                line: w.line,
                message: w.message,
            })
            .collect(),
    ))
}

/// Parses several schema files, `(name, text)`, as one schema: a foreign key or index
/// in one file may name a table of another. Errors and warnings name their file.
pub fn parse_schema_files(
    files: &[(&str, &str)],
    dialect: Dialect,
) -> Result<(Schema, Vec<FileWarning>), SqlError> {
    let (schema, mut warnings, positions) = parse_schema_located(files, dialect)?;
    warnings.extend(positions.unmodeled.into_iter().map(|u| FileWarning {
        message: format!(
            "table `{}`: the model cannot hold `{}`; it is kept as unmodeled",
            u.table, u.part
        ),
        file: u.file,
        line: u.line,
    }));
    // By file (in the order given), then line, as the parser found them.
    let order: Vec<&str> = files.iter().map(|f| f.0).collect();
    warnings.sort_by_key(|w| (order.iter().position(|f| *f == w.file), w.line));
    Ok((schema, warnings))
}

/// Where a schema file says something the model keeps without a position.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Located {
    /// The table.
    pub table: String,
    /// A part of `Table::unmodeled`, as the table holds it; empty for the table itself.
    pub part: String,
    /// The file name given by the caller.
    pub file: String,
    /// 1-based line.
    pub line: usize,
}

/// Positions in the schema files of what the model has no place for.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SchemaPositions {
    /// The name of each table's `CREATE TABLE` (`part` empty), by table name.
    pub tables: Vec<Located>,
    /// Each part of a table's `unmodeled`, in the order of the files.
    pub unmodeled: Vec<Located>,
}

impl SchemaPositions {
    /// `file:line` of the `CREATE TABLE` of `table`.
    pub fn table(&self, table: &str) -> Option<String> {
        self.tables
            .iter()
            .find(|l| l.table == table)
            .map(|l| format!("{}:{}", l.file, l.line))
    }

    /// `file:line` of the part `part` of `table` (as `Table::unmodeled` holds it).
    pub fn part(&self, table: &str, part: &str) -> Option<String> {
        self.unmodeled
            .iter()
            .find(|l| l.table == table && l.part == part)
            .map(|l| format!("{}:{}", l.file, l.line))
    }
}

/// [`parse_schema_files`], with the positions of tables and their unmodeled parts;
/// the warnings leave out those parts (the caller says what becomes of them: a part
/// that makes a migration impossible is an error, not also a warning).
pub fn parse_schema_located(
    files: &[(&str, &str)],
    dialect: Dialect,
) -> Result<(Schema, Vec<FileWarning>, SchemaPositions), SqlError> {
    parse_located(files, dialect, "public", false)
}

/// [`parse_schema_located`] for a PostgreSQL database whose application lives in
/// `pg_schema` (its `database_schema`): a name qualified with it (or with `public`, as
/// a pg_dump of a database's `public` schema writes it) is read as unqualified; any
/// other qualifier is refused by name.
pub fn parse_schema_located_in(
    files: &[(&str, &str)],
    dialect: Dialect,
    pg_schema: &str,
) -> Result<(Schema, Vec<FileWarning>, SchemaPositions), SqlError> {
    parse_located(files, dialect, pg_schema, false)
}

/// [`parse_schema`] for the schema a database reports of itself: a foreign key may
/// reference a table that is not there (SQLite keeps such keys), which a schema file's
/// may not.
pub fn parse_database_schema(
    text: &str,
    file: &str,
    dialect: Dialect,
) -> Result<(Schema, Vec<FileWarning>), SqlError> {
    let (schema, warnings, _) = parse_located(&[(file, text)], dialect, "public", true)?;
    Ok((schema, warnings))
}

fn parse_located(
    files: &[(&str, &str)],
    dialect: Dialect,
    pg_schema: &str,
    dangling_references: bool,
) -> Result<(Schema, Vec<FileWarning>, SchemaPositions), SqlError> {
    let first = files.first().map_or("", |f| f.0);
    let (schema, warnings, tables, unmodeled) =
        lex::with_stack(|| schema::parse_files(files, dialect, pg_schema, dangling_references))
            .unwrap_or_else(|| Err(internal(first)))?;
    let name = |i: usize| files.get(i).map_or("", |f| f.0).to_string();
    let warnings = warnings
        .into_iter()
        .map(|(i, w)| FileWarning {
            file: name(i),
            line: w.line,
            message: w.message,
        })
        .collect();
    let positions = SchemaPositions {
        tables: tables
            .into_iter()
            .map(|(table, file, line)| Located {
                table,
                part: String::new(),
                file: name(file),
                line,
            })
            .collect(),
        unmodeled: unmodeled
            .into_iter()
            .map(|(file, line, table, part)| Located {
                table,
                part,
                file: name(file),
                line,
            })
            .collect(),
    };
    Ok((schema, warnings, positions))
}

/// Splits and parses a migration section. Every statement is returned; only an
/// unterminated string, quoted name or comment is an error. In PostgreSQL, `CREATE
/// TYPE ... AS ENUM`, `ALTER TYPE` (`ADD VALUE`, `RENAME VALUE`, `RENAME TO`) and
/// `DROP TYPE` are changes too; a column type naming an enum stays `Custom` here and
/// becomes `ColumnType::Enum` when the change is resolved against a schema that has
/// the enum.
pub fn parse_statements(
    text: &str,
    file: &str,
    dialect: Dialect,
) -> Result<(Vec<Statement>, Vec<Warning>), SqlError> {
    lex::with_stack(|| statements::parse_statements(text, file, dialect))
        .unwrap_or_else(|| Err(internal(file)))
}

fn internal(file: &str) -> SqlError {
    SqlError {
        file: file.to_string(),
        line: 1,
        column: 1,
        message: "internal error: the SQL parser failed".into(),
    }
}

/// Splits SQL text into statements: `(text, 1-based start line)`.
///
/// The text of a statement runs from its first to its last character of code:
/// comments around it and the terminating `;` are left out, comments inside kept;
/// statements that are empty or only comments are skipped. The line is the line of
/// the first character of code. Strings (`'...'` with `''`), quoted names (`"..."`,
/// `` `...` ``, `[...]`), comments, PostgreSQL dollar quotes (`$tag$...$tag$`) and
/// trigger bodies (`CREATE TRIGGER ... BEGIN ...; END`) do not end a statement.
///
/// Text that never closes a string or comment is not an error here: that statement
/// runs to the end of the text. Use [`try_split_statements`] to reject it.
pub fn split_statements(text: &str) -> Vec<(String, usize)> {
    split::split(text, None)
        .pieces
        .into_iter()
        .map(|p| (p.text, p.line))
        .collect()
}

/// Like [`split_statements`], with `dialect`'s own lexical forms (MySQL's backslash
/// escapes, `#` comments, versioned comments and the mysql client's `DELIMITER` lines,
/// PostgreSQL's nested comments), and an error for an unterminated string, quoted name,
/// comment or dollar quote, at the line and column where it opens, and for a
/// `DELIMITER` line naming no delimiter, or in another dialect than MySQL.
pub fn try_split_statements(
    text: &str,
    file: &str,
    dialect: Dialect,
) -> Result<Vec<(String, usize)>, SqlError> {
    let split = split::split(text, Some(dialect));
    if let Some(u) = split.unterminated {
        return Err(SqlError {
            file: file.to_string(),
            line: u.line,
            column: u.column,
            message: format!("unterminated {}", u.what),
        });
    }
    if let Some((line, column, message)) = split::delimiter_error(&split, dialect) {
        return Err(SqlError {
            file: file.to_string(),
            line,
            column,
            message,
        });
    }
    Ok(split.pieces.into_iter().map(|p| (p.text, p.line)).collect())
}

/// The canonical text of an SQL expression: sqlparser's rendering of it, without
/// parentheses that change nothing (`(0)` and ` 0 ` give `0`; `((a > 0) AND (b > 0))`
/// gives `a > 0 AND b > 0`). In PostgreSQL unquoted names are folded to lower case.
/// MySQL's partitioning of a table from its `PARTITION BY ...` clause (as `SHOW CREATE
/// TABLE` prints it, or in a versioned comment `/*!50100 ... */`), normalized as a
/// schema file's is read. The error says what cannot be read or is not modeled.
pub fn mysql_partitioning(clause: &str) -> Result<wildebeest_schema::MysqlPartitioning, String> {
    let at = lex::Pos { line: 1, column: 1 };
    lex::with_stack(|| mysql_partition::read_clause(clause, at).map_err(|e| e.message))
        .unwrap_or_else(|| Err("internal error: the SQL parser failed".into()))
}

pub fn normalize_expr(expr: &str, dialect: Dialect) -> Result<String, String> {
    lex::with_stack(|| expr::normalize(expr, dialect))
        .unwrap_or_else(|| Err("internal error: the SQL parser failed".into()))
}

/// [`normalize_expr`], and in PostgreSQL the forms its catalog does not keep written as
/// it prints them back, for comparing a model with a database (the model keeps what
/// the file says): `x BETWEEN a AND b` as `x >= a AND x <= b`, `TRIM(BOTH FROM x)` as
/// `TRIM(x)`, a typed literal (`INTERVAL '14 days'`) as its string, a bit string
/// (`B'0101'`, `X'5'`) as the string of its bits (`'0101'`). Other dialects get
/// [`normalize_expr`]'s text.
pub fn normalize_stored_expr(expr: &str, dialect: Dialect) -> Result<String, String> {
    lex::with_stack(|| expr::normalize_stored(expr, dialect))
        .unwrap_or_else(|| Err("internal error: the SQL parser failed".into()))
}

/// Parses a type name such as `VARCHAR(20)` into the model's type. Aliases map to one
/// variant (`INT4` and `INTEGER` are `Integer`); other types are kept as
/// `Custom`, upper-cased with white space folded. In SQLite any sequence of words is a
/// type, and no type at all (`""`) is `Custom("")`.
pub fn parse_type(ty: &str, dialect: Dialect) -> Result<ColumnType, String> {
    lex::with_stack(|| types::parse_type(ty, dialect))
        .unwrap_or_else(|| Err("internal error: the SQL parser failed".into()))
}

/// `ty` as `dialect` reads its text: a `Custom` type is parsed again there, so that a
/// type SQLite keeps as declared (`INT`, `NVARCHAR(40)`, `DOUBLE`; see
/// `types::sqlite_declared`) means on another database what that database makes of
/// it (`Integer`, `Varchar(40)`, `Double`). Any other type, and a text `dialect`
/// cannot read, is kept.
pub fn retype(ty: &ColumnType, dialect: Dialect) -> ColumnType {
    match ty {
        ColumnType::Custom(text) if !text.trim().is_empty() => {
            parse_type(text, dialect).unwrap_or_else(|_| ty.clone())
        }
        _ => ty.clone(),
    }
}

/// `name` as an identifier in `dialect`: bare when it is a plain ASCII word that is not
/// reserved (and, for PostgreSQL, lower case), else quoted (`"..."`, `` `...` `` for
/// MySQL) with embedded quote characters doubled.
pub fn quote_ident(name: &str, dialect: Dialect) -> String {
    quote::quote_ident(name, dialect)
}

/// Whether `text` can stand as it is inside the parentheses of a statement without
/// ending them, the statement or the line (quotes closed, parentheses balanced, no `;`,
/// comment, backslash or dollar quote outside quotes). A renderer writes a text that
/// may be an expression or a column's name (an index part) as an expression only when
/// this holds; otherwise it quotes it as the name it must then be.
pub fn is_enclosed(text: &str, dialect: Dialect) -> bool {
    quote::is_enclosed(text, dialect)
}

/// `text` made fit for a `-- ` comment line of generated SQL: control characters (a
/// line break would end the comment and make the rest of a name SQL) and backslashes
/// written escaped (`\n`, `\u{1b}`, `\\`). Every comment wildebeest writes that holds
/// a name, a message or a query goes through it.
pub fn comment_text(text: &str) -> std::borrow::Cow<'_, str> {
    quote::comment_text(text)
}

/// `s` as an SQL string literal: `'...'` with embedded `'` doubled. (MySQL also reads
/// backslashes in literals as escapes unless `NO_BACKSLASH_ESCAPES` is set.)
pub fn quote_literal(s: &str) -> String {
    quote::quote_literal(s)
}

/// The start of a statement for messages: white space folded, cut after at most 60
/// characters at a word boundary.
pub(crate) fn excerpt(text: &str) -> String {
    const MAX: usize = 60;
    let folded = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let Some((cut, _)) = folded.char_indices().nth(MAX) else {
        return folded;
    };
    let head = &folded[..cut];
    let head = match (folded[cut..].starts_with(' '), head.rfind(' ')) {
        (false, Some(space)) if space > 0 => &head[..space],
        _ => head,
    };
    format!("{} ...", head.trim_end())
}

/// `CURRENT_TIMESTAMP`, with the precision `expr` gives it if that is not 0
/// (`CURRENT_TIMESTAMP(6)` for `now(6)`), when the default `expr` is a spelling of it
/// ([`is_now`]); MySQL keeps the precision (and reports `current_timestamp(6)`).
pub fn current_timestamp(expr: &str) -> Option<String> {
    if !is_now(expr) {
        return None;
    }
    let mut e = expr.trim();
    while let Some(inner) = e.strip_prefix('(').and_then(|i| i.strip_suffix(')')) {
        e = inner.trim();
    }
    let precision = e
        .split_once('(')
        .and_then(|(_, args)| args.strip_suffix(')'))
        .map(|digits| digits.trim().trim_start_matches('0'))
        .filter(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()));
    Some(match precision {
        Some(p) => format!("CURRENT_TIMESTAMP({p})"),
        None => "CURRENT_TIMESTAMP".to_string(),
    })
}

/// Whether the default `expr` is another spelling of `CURRENT_TIMESTAMP` (`now()`,
/// `current_timestamp()`, `localtimestamp`, `transaction_timestamp()`), as
/// PostgreSQL and MySQL write it: SQLite knows only `CURRENT_TIMESTAMP` (it has no
/// `now()`), and MySQL reads every one back as `current_timestamp()`.
pub fn is_now(expr: &str) -> bool {
    let e = expr
        .trim()
        .trim_start_matches('(')
        .trim_end_matches(')')
        .to_ascii_lowercase();
    [
        "now(",
        "current_timestamp(",
        "localtimestamp",
        "transaction_timestamp(",
    ]
    .iter()
    .any(|p| e.starts_with(p))
}
