//! PostgreSQL sequences as `pg_dump` writes them, which the model holds only through
//! the columns they number:
//!
//! - an identity column comes as `ALTER TABLE t ALTER COLUMN id ADD GENERATED ... AS
//!   IDENTITY (SEQUENCE NAME t_id_seq START WITH 1 ...)`. sqlparser reads neither
//!   `SEQUENCE NAME` nor the options in pg_dump's order, so the statement is read
//!   without its parenthesized options ([`identity_options`]), which are read here;
//! - a serial column comes as a plain integer column, `CREATE SEQUENCE t_id_seq`
//!   ([`create_sequence`]), `ALTER SEQUENCE t_id_seq OWNED BY t.id` ([`owned_by`]) and
//!   `ALTER TABLE t ALTER COLUMN id SET DEFAULT nextval('t_id_seq'::regclass)`
//!   ([`nextval_of`]).
//!
//! Options that are exactly what PostgreSQL would choose by itself ([`Options::plain`],
//! with [`default_name`]) say nothing the model lacks; any other is the caller's to keep.

use sqlparser::tokenizer::Token;
use wildebeest_schema::{ColumnType, column_part_prefix};

use crate::Dialect;
use crate::lex::{self, Pos};
use crate::parse;
use crate::split::Piece;

/// A possibly qualified name, each part as PostgreSQL reads it (unquoted parts folded
/// to lower case).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct QName {
    pub schema: Option<String>,
    pub name: String,
}

impl QName {
    /// Whether this names `name` in the default schema (unqualified or `public`), as
    /// every name of the model is.
    pub fn is(&self, name: &str) -> bool {
        self.is_in(name, "public")
    }

    /// Whether this names `name` unqualified, in `public`, or in `pg_schema`, the
    /// schema wildebeest manages (pg_dump of it, `-n`, qualifies every name with it).
    pub fn is_in(&self, name: &str, pg_schema: &str) -> bool {
        self.schema
            .as_deref()
            .is_none_or(|s| s == "public" || s == pg_schema)
            && self.name == name
    }
}

/// A sequence's options, as `CREATE SEQUENCE` or an identity's `( ... )` give them.
/// Each is `None` when not written.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Options {
    /// `SEQUENCE NAME` (an identity's).
    pub name: Option<QName>,
    /// `AS type`.
    pub data_type: Option<ColumnType>,
    pub start: Option<i128>,
    pub increment: Option<i128>,
    /// `MINVALUE n` (`Some(Some(n))`) or `NO MINVALUE` (`Some(None)`).
    pub min: Option<Option<i128>>,
    /// `MAXVALUE n` or `NO MAXVALUE`.
    pub max: Option<Option<i128>>,
    pub cache: Option<i128>,
    /// `CYCLE` (`true`) or `NO CYCLE`.
    pub cycle: Option<bool>,
    /// `OWNED BY table.column` or `OWNED BY NONE` (`Some(None)`): a `CREATE` or
    /// `ALTER SEQUENCE`'s.
    pub owned_by: Option<Option<(QName, String)>>,
}

impl Options {
    /// Whether these are the options PostgreSQL gives the sequence of column `column`
    /// of `table`, of type `ty`, when none are written: the default name, a sequence of
    /// the column's type counting up by one from 1, its whole positive range, a cache
    /// of 1, no cycle. `AS` may name the column's type (a serial's `CREATE SEQUENCE`
    /// says it unless it is `bigint`, a sequence's own default).
    pub fn plain(&self, table: &str, column: &str, ty: &ColumnType) -> bool {
        let Some((_, max)) = ty.integer_range() else {
            return false;
        };
        if !matches!(
            ty,
            ColumnType::SmallInt | ColumnType::Integer | ColumnType::BigInt
        ) {
            return false;
        }
        self.name
            .as_ref()
            .is_none_or(|n| n.is(&default_name(table, column)))
            && self.data_type.as_ref().is_none_or(|t| t == ty)
            && matches!(self.start, None | Some(1))
            && matches!(self.increment, None | Some(1))
            && matches!(self.min, None | Some(None | Some(1)))
            && self.max.is_none_or(|m| m.is_none_or(|m| m == max))
            && matches!(self.cache, None | Some(1))
            && matches!(self.cycle, None | Some(false))
    }

    /// Whether these are [`plain`](Self::plain) whichever integer type the column has:
    /// a migration's statement is read before the model gives it the column's type, so
    /// an option that depends on the type (`AS type`, `MAXVALUE n`) is taken for one
    /// that is not plain.
    pub fn plain_for_any_type(&self, table: &str, column: &str) -> bool {
        [
            ColumnType::SmallInt,
            ColumnType::Integer,
            ColumnType::BigInt,
        ]
        .iter()
        .all(|ty| self.plain(table, column, ty))
    }
}

/// How a column's identity with options the model cannot hold is kept in
/// `Table::unmodeled`, alike whether schema.sql says it in the `CREATE TABLE` or in an
/// `ALTER TABLE`: `column id: GENERATED ALWAYS AS IDENTITY (START WITH 100)`.
pub(crate) fn identity_part(column: &str, always: bool, options: &str) -> String {
    let kind = if always { "ALWAYS" } else { "BY DEFAULT" };
    format!(
        "{}GENERATED {kind} AS IDENTITY ({options})",
        column_part_prefix(column)
    )
}

/// The name PostgreSQL gives the sequence of `column` of `table` (see
/// [`wildebeest_schema::serial_sequence_name`]).
pub(crate) fn default_name(table: &str, column: &str) -> String {
    wildebeest_schema::serial_sequence_name(table, column)
}

/// The words and symbols of `text` (PostgreSQL), without white space and comments.
fn tokens(text: &str) -> Option<Vec<Token>> {
    let at = Pos { line: 1, column: 1 };
    let sd = lex::sql_dialect(Dialect::Postgres);
    let tokens = lex::tokenize(text, at, Dialect::Postgres, sd).ok()?;
    Some(
        tokens
            .into_iter()
            .map(|t| t.token)
            .filter(|t| !lex::is_trivia(t) && *t != Token::EOF)
            .collect(),
    )
}

fn word(t: &[Token], i: usize) -> Option<String> {
    t.get(i).and_then(lex::bare_word)
}

/// A word as PostgreSQL reads it as a name: folded to lower case unless quoted.
fn ident(w: &sqlparser::tokenizer::Word) -> String {
    if w.quote_style.is_some() {
        w.value.clone()
    } else {
        w.value.to_lowercase()
    }
}

/// A name of one to three parts at `t[*i..]`, as words separated by dots.
fn dotted(t: &[Token], i: &mut usize) -> Option<Vec<String>> {
    let mut parts = Vec::new();
    loop {
        let Some(Token::Word(w)) = t.get(*i) else {
            return None;
        };
        parts.push(ident(w));
        *i += 1;
        if t.get(*i) != Some(&Token::Period) {
            return Some(parts);
        }
        *i += 1;
    }
}

fn qname(parts: Vec<String>) -> Option<QName> {
    match <[String; 2]>::try_from(parts) {
        Ok([schema, name]) => Some(QName {
            schema: Some(schema),
            name,
        }),
        Err(parts) => match <[String; 1]>::try_from(parts) {
            Ok([name]) => Some(QName { schema: None, name }),
            Err(_) => None,
        },
    }
}

/// A whole number, possibly signed, at `t[*i..]`.
fn number(t: &[Token], i: &mut usize) -> Option<i128> {
    let negative = match t.get(*i) {
        Some(Token::Minus) => true,
        Some(Token::Plus) => false,
        _ => {
            let Some(Token::Number(n, _)) = t.get(*i) else {
                return None;
            };
            *i += 1;
            return n.parse().ok();
        }
    };
    *i += 1;
    let n = number(t, i)?;
    Some(if negative { -n } else { n })
}

/// Sets an option once: PostgreSQL refuses one given twice.
fn once<T>(slot: &mut Option<T>, value: T) -> Option<()> {
    if slot.is_some() {
        return None;
    }
    *slot = Some(value);
    Some(())
}

/// Which statement's options [`read_options`] reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Of {
    /// An identity's `( ... )`: `SEQUENCE NAME` too.
    Identity,
    /// `CREATE SEQUENCE`: `OWNED BY` too.
    Create,
    /// `ALTER SEQUENCE`: `OWNED BY` and `RESTART [WITH n]` (the value, which is data).
    Alter,
}

/// The sequence options in `t`, in any order; `None` when there is anything else (or
/// an option twice).
fn read_options(t: &[Token], of: Of) -> Option<Options> {
    let identity = of == Of::Identity;
    let mut o = Options::default();
    let mut i = 0;
    while i < t.len() {
        let w = word(t, i)?;
        i += 1;
        match w.as_str() {
            "OWNED" if !identity && word(t, i).as_deref() == Some("BY") => {
                i += 1;
                if word(t, i).as_deref() == Some("NONE") && t.get(i + 1) != Some(&Token::Period) {
                    i += 1;
                    once(&mut o.owned_by, None)?;
                } else {
                    let mut owner = dotted(t, &mut i)?;
                    if owner.len() < 2 {
                        return None;
                    }
                    let column = owner.pop()?;
                    once(&mut o.owned_by, Some((qname(owner)?, column)))?;
                }
            }
            "RESTART" if of == Of::Alter => {
                if word(t, i).as_deref() == Some("WITH") {
                    i += 1;
                }
                if matches!(
                    t.get(i),
                    Some(Token::Number(..) | Token::Minus | Token::Plus)
                ) {
                    number(t, &mut i)?;
                }
            }
            "SEQUENCE" if identity && word(t, i).as_deref() == Some("NAME") => {
                i += 1;
                once(&mut o.name, qname(dotted(t, &mut i)?)?)?;
            }
            "AS" => {
                let ty = match word(t, i)?.as_str() {
                    "SMALLINT" | "INT2" => ColumnType::SmallInt,
                    "INTEGER" | "INT" | "INT4" => ColumnType::Integer,
                    "BIGINT" | "INT8" => ColumnType::BigInt,
                    _ => return None,
                };
                i += 1;
                once(&mut o.data_type, ty)?;
            }
            "START" | "INCREMENT" => {
                let filler = if w == "START" { "WITH" } else { "BY" };
                if word(t, i).as_deref() == Some(filler) {
                    i += 1;
                }
                let n = number(t, &mut i)?;
                once(
                    if w == "START" {
                        &mut o.start
                    } else {
                        &mut o.increment
                    },
                    n,
                )?;
            }
            "MINVALUE" => once(&mut o.min, Some(number(t, &mut i)?))?,
            "MAXVALUE" => once(&mut o.max, Some(number(t, &mut i)?))?,
            "CACHE" => once(&mut o.cache, number(t, &mut i)?)?,
            "CYCLE" => once(&mut o.cycle, true)?,
            "NO" => {
                let what = word(t, i)?;
                i += 1;
                match what.as_str() {
                    "MINVALUE" => once(&mut o.min, None)?,
                    "MAXVALUE" => once(&mut o.max, None)?,
                    "CYCLE" => once(&mut o.cycle, false)?,
                    _ => return None,
                }
            }
            _ => return None,
        }
    }
    Some(o)
}

/// What [`identity_options`] finds.
#[derive(Debug, Clone)]
pub(crate) struct IdentityOptions {
    /// The statement without `( ... )`, for sqlparser.
    pub surrogate: Piece,
    /// The text between the parentheses, its white space collapsed.
    pub text: String,
    /// The options, when they can be read.
    pub options: Option<Options>,
}

/// An `ALTER TABLE` whose last action is `ADD GENERATED ... AS IDENTITY ( options )`
/// (or `SET GENERATED ...` with options): the statement without the parenthesized
/// options, and the options. `None` for any other statement.
pub(crate) fn identity_options(piece: &Piece) -> Option<IdentityOptions> {
    let text = &piece.text;
    let at = Pos { line: 1, column: 1 };
    let sd = lex::sql_dialect(Dialect::Postgres);
    let all = lex::tokenize(text, at, Dialect::Postgres, sd).ok()?;
    let t: Vec<_> = all
        .iter()
        .filter(|t| !lex::is_trivia(&t.token) && t.token != Token::EOF)
        .collect();
    // `AS IDENTITY (`, whose parenthesis closes at the end of the statement.
    let k = t
        .iter()
        .position(|x| lex::bare_word(&x.token).as_deref() == Some("IDENTITY"))?;
    if k == 0
        || lex::bare_word(&t[k - 1].token).as_deref() != Some("AS")
        || t.get(k + 1).map(|x| &x.token) != Some(&Token::LParen)
        || t.last().map(|x| &x.token) != Some(&Token::RParen)
    {
        return None;
    }
    let inner: Vec<Token> = t[k + 2..t.len() - 1]
        .iter()
        .map(|x| x.token.clone())
        .collect();
    // The options may not hold parentheses: the one after IDENTITY closes at the end.
    if inner
        .iter()
        .any(|x| matches!(x, Token::LParen | Token::RParen))
    {
        return None;
    }
    let open = offset(text, t[k + 1].span.start.line, t[k + 1].span.start.column)?;
    let close = text.rfind(')')?;
    if !text[open..].starts_with('(') || close <= open {
        return None;
    }
    Some(IdentityOptions {
        surrogate: Piece {
            text: text[..open].trim_end().to_string(),
            ..piece.clone()
        },
        text: text[open + 1..close]
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" "),
        options: read_options(&inner, Of::Identity),
    })
}

/// The options of an identity column in a `CREATE TABLE` (`id bigint GENERATED ALWAYS
/// AS IDENTITY (START WITH 1 INCREMENT BY 1)`), taken out of the statement by
/// [`create_table_identities`].
#[derive(Debug, Clone)]
pub(crate) struct ColumnIdentity {
    /// Where its `(` is in the file, which is after its column's name and before the
    /// next column's.
    pub at: Pos,
    /// The text between the parentheses, its white space collapsed.
    pub text: String,
    /// The options, when they can be read.
    pub options: Option<Options>,
}

/// A PostgreSQL `CREATE TABLE` whose identity columns have `( options )`: the
/// statement with each such parenthesis blanked out, and the options. sqlparser reads
/// these options only in an order of its own, without `SEQUENCE NAME` or `AS type` (and
/// reads `NO CYCLE` as `CYCLE`), so they are read here, as in an `ALTER TABLE`
/// ([`identity_options`]). Every character of a blanked parenthesis but a line break
/// becomes a space, so that every position sqlparser reports stays where it is in the
/// file. `None` when the statement has no such options.
pub(crate) fn create_table_identities(piece: &Piece) -> Option<(Piece, Vec<ColumnIdentity>)> {
    let text = &piece.text;
    let at = Pos { line: 1, column: 1 };
    let sd = lex::sql_dialect(Dialect::Postgres);
    let all = lex::tokenize(text, at, Dialect::Postgres, sd).ok()?;
    let t: Vec<_> = all
        .iter()
        .filter(|t| !lex::is_trivia(&t.token) && t.token != Token::EOF)
        .collect();
    let is =
        |k: usize, w: &str| t.get(k).and_then(|x| lex::bare_word(&x.token)).as_deref() == Some(w);
    let mut blanks = Vec::new();
    let mut found = Vec::new();
    for k in 1..t.len() {
        if !is(k, "IDENTITY")
            || !is(k - 1, "AS")
            || t.get(k + 1).map(|x| &x.token) != Some(&Token::LParen)
        {
            continue;
        }
        // The options hold no parentheses: the first one after is the closing one.
        let Some(close) =
            (k + 2..t.len()).find(|&j| matches!(t[j].token, Token::LParen | Token::RParen))
        else {
            continue;
        };
        if t[close].token != Token::RParen {
            continue;
        }
        let start = t[k + 1].span.start;
        let (Some(open), Some(end)) = (
            offset(text, start.line, start.column),
            offset(text, t[close].span.start.line, t[close].span.start.column),
        ) else {
            continue;
        };
        let inner: Vec<Token> = t[k + 2..close].iter().map(|x| x.token.clone()).collect();
        // Where the parenthesis is in the file, as the parser shifts its positions.
        let line = usize::try_from(start.line).ok()?;
        let column = usize::try_from(start.column).ok()?;
        found.push(ColumnIdentity {
            at: Pos {
                line: piece.line + line - 1,
                column: if line == 1 {
                    piece.column + column - 1
                } else {
                    column
                },
            },
            text: text[open + 1..end]
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" "),
            options: read_options(&inner, Of::Identity),
        });
        blanks.push(open..end + 1);
    }
    if found.is_empty() {
        return None;
    }
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    for r in blanks {
        out.push_str(&text[last..r.start]);
        out.extend(
            text[r.clone()]
                .chars()
                .map(|c| if matches!(c, '\n' | '\r') { c } else { ' ' }),
        );
        last = r.end;
    }
    out.push_str(&text[last..]);
    Some((
        Piece {
            text: out,
            ..piece.clone()
        },
        found,
    ))
}

/// The byte offset of a 1-based line and column (in characters) of `text`.
fn offset(text: &str, line: u64, column: u64) -> Option<usize> {
    let (mut l, mut c) = (1, 1);
    for (i, ch) in text.char_indices() {
        if (l, c) == (line, column) {
            return Some(i);
        }
        if ch == '\n' {
            l += 1;
            c = 1;
        } else {
            c += 1;
        }
    }
    None
}

/// A `CREATE SEQUENCE` read by [`create_sequence`].
#[derive(Debug, Clone)]
pub(crate) struct CreateSequence {
    pub name: QName,
    pub options: Options,
    pub if_not_exists: bool,
}

/// `CREATE SEQUENCE [IF NOT EXISTS] name options` (not `TEMPORARY` or `UNLOGGED`,
/// which are no `CREATE SEQUENCE` here); `None` for anything else.
pub(crate) fn create_sequence(text: &str) -> Option<CreateSequence> {
    if parse::leading_words(text, 2) != ["CREATE", "SEQUENCE"] {
        return None;
    }
    let t = tokens(text)?;
    let mut i = 2;
    let if_not_exists = word(&t, i).as_deref() == Some("IF")
        && word(&t, i + 1).as_deref() == Some("NOT")
        && word(&t, i + 2).as_deref() == Some("EXISTS");
    if if_not_exists {
        i += 3;
    }
    let name = qname(dotted(&t, &mut i)?)?;
    Some(CreateSequence {
        name,
        options: read_options(t.get(i..)?, Of::Create)?,
        if_not_exists,
    })
}

/// What an `ALTER SEQUENCE` does, as [`alter_sequence`] reads it.
#[derive(Debug, Clone)]
pub(crate) enum AlterSequence {
    /// Options (`OWNED BY` among them; `RESTART`, which sets the value, read and
    /// passed over).
    Options(Box<Options>),
    /// `RENAME TO new`.
    Rename(String),
    /// `OWNER TO role`: who owns it, which the model does not hold.
    Owner,
}

/// `ALTER SEQUENCE [IF EXISTS] name ...`: the name, `IF EXISTS` and what it does;
/// `None` for any other statement or action (`SET SCHEMA`, `SET LOGGED`, ...).
pub(crate) fn alter_sequence(text: &str) -> Option<(QName, bool, AlterSequence)> {
    if parse::leading_words(text, 2) != ["ALTER", "SEQUENCE"] {
        return None;
    }
    let t = tokens(text)?;
    let mut i = 2;
    let if_exists =
        word(&t, i).as_deref() == Some("IF") && word(&t, i + 1).as_deref() == Some("EXISTS");
    if if_exists {
        i += 2;
    }
    let name = qname(dotted(&t, &mut i)?)?;
    let action = match (word(&t, i).as_deref(), word(&t, i + 1).as_deref()) {
        (Some("RENAME"), Some("TO")) => {
            let Some(Token::Word(w)) = t.get(i + 2) else {
                return None;
            };
            if i + 3 != t.len() {
                return None;
            }
            AlterSequence::Rename(ident(w))
        }
        (Some("OWNER"), Some("TO")) => AlterSequence::Owner,
        _ => AlterSequence::Options(Box::new(read_options(t.get(i..)?, Of::Alter)?)),
    };
    Some((name, if_exists, action))
}

/// `DROP SEQUENCE [IF EXISTS] a, b [RESTRICT]` (not `CASCADE`, which would drop
/// the defaults drawing from them): the names and `IF EXISTS`; `None` otherwise.
pub(crate) fn drop_sequence(text: &str) -> Option<(Vec<QName>, bool)> {
    if parse::leading_words(text, 2) != ["DROP", "SEQUENCE"] {
        return None;
    }
    let mut t = tokens(text)?;
    if t.last().and_then(lex::bare_word).as_deref() == Some("RESTRICT") {
        t.pop();
    }
    let mut i = 2;
    let if_exists =
        word(&t, i).as_deref() == Some("IF") && word(&t, i + 1).as_deref() == Some("EXISTS");
    if if_exists {
        i += 2;
    }
    let mut names = Vec::new();
    loop {
        names.push(qname(dotted(&t, &mut i)?)?);
        match t.get(i) {
            None => return Some((names, if_exists)),
            Some(Token::Comma) => i += 1,
            Some(_) => return None,
        }
    }
}

impl Options {
    /// The model's options, each number in range of a `BIGINT` (PostgreSQL's
    /// sequences count in `bigint`); the owner as the caller resolves its names.
    pub fn model(
        &self,
        owner: impl Fn(&QName) -> Option<String>,
    ) -> Result<wildebeest_schema::SequenceOptions, String> {
        let n = |v: i128| {
            i64::try_from(v).map_err(|_| format!("{v} is out of range for a sequence (bigint)"))
        };
        let opt = |v: Option<i128>| v.map(n).transpose();
        let bound = |v: Option<Option<i128>>| v.map(|b| b.map(n).transpose()).transpose();
        let owned_by = match &self.owned_by {
            None => None,
            Some(None) => Some(None),
            Some(Some((table, column))) => {
                let t = owner(table).ok_or_else(|| {
                    format!(
                        "`OWNED BY {}.{column}` names a table of another schema",
                        table.name
                    )
                })?;
                Some(Some((t, column.clone())))
            }
        };
        Ok(wildebeest_schema::SequenceOptions {
            data_type: self.data_type.clone(),
            increment: opt(self.increment)?,
            min: bound(self.min)?,
            max: bound(self.max)?,
            start: opt(self.start)?,
            cache: opt(self.cache)?,
            cycle: self.cycle,
            owned_by,
        })
    }
}

/// The sequence of a default `nextval('name'::regclass)` (or without the cast).
pub(crate) fn nextval_of(default: &str) -> Option<QName> {
    let t = tokens(default)?;
    let literal = match t.as_slice() {
        [
            Token::Word(f),
            Token::LParen,
            Token::SingleQuotedString(s),
            rest @ ..,
        ] if f.value.eq_ignore_ascii_case("nextval") => match rest {
            [Token::RParen] => s,
            [Token::DoubleColon, Token::Word(c), Token::RParen]
                if c.value.eq_ignore_ascii_case("regclass") =>
            {
                s
            }
            _ => return None,
        },
        _ => return None,
    };
    let t = tokens(literal)?;
    let mut i = 0;
    let parts = dotted(&t, &mut i)?;
    if i != t.len() {
        return None;
    }
    qname(parts)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_names_fit_in_63_bytes_as_postgres_shortens_them() {
        assert_eq!(default_name("orders", "id"), "orders_id_seq");
        let long = "a".repeat(60);
        // 58 bytes for both names: the longer loses bytes until they fit.
        assert_eq!(
            default_name(&long, "id"),
            format!("{}_id_seq", "a".repeat(56))
        );
        assert_eq!(default_name(&long, &"b".repeat(40)).len(), 63);
        assert_eq!(
            default_name(&"é".repeat(40), "id"),
            format!("{}_id_seq", "é".repeat(28))
        );
    }

    #[test]
    fn pg_dump_options_are_read_in_its_order() {
        let CreateSequence {
            name, options: o, ..
        } = create_sequence(
            "CREATE SEQUENCE public.t_id_seq\n    AS integer\n    START WITH 1\n    \
             INCREMENT BY 1\n    NO MINVALUE\n    NO MAXVALUE\n    CACHE 1",
        )
        .unwrap();
        assert!(name.is("t_id_seq"));
        assert_eq!(o.data_type, Some(ColumnType::Integer));
        assert!(o.plain("t", "id", &ColumnType::Integer));
        assert!(!o.plain("t", "id", &ColumnType::BigInt));
        let o = create_sequence("CREATE SEQUENCE s START 5 INCREMENT -1 MAXVALUE 9")
            .unwrap()
            .options;
        assert_eq!(
            (o.start, o.increment, o.max),
            (Some(5), Some(-1), Some(Some(9)))
        );
        assert!(create_sequence("CREATE SEQUENCE s START 1 START 2").is_none());
        let c = create_sequence("CREATE SEQUENCE IF NOT EXISTS s OWNED BY public.t.id").unwrap();
        assert!(c.if_not_exists && c.name.is("s"));
        let (t, col) = c.options.owned_by.unwrap().unwrap();
        assert!(t.is("t") && col == "id");
        assert!(create_sequence("CREATE SEQUENCE s RESTART 5").is_none());
        assert!(create_sequence("CREATE SEQUENCE s OWNED BY id").is_none());
    }

    #[test]
    fn alter_and_drop_sequence_are_read() {
        let (name, if_exists, action) =
            alter_sequence("ALTER SEQUENCE IF EXISTS s INCREMENT BY 5 RESTART WITH 3 NO CYCLE")
                .unwrap();
        assert!(name.is("s") && if_exists);
        let AlterSequence::Options(o) = action else {
            panic!("not options: {action:?}")
        };
        assert_eq!(
            (o.increment, o.cycle, o.start),
            (Some(5), Some(false), None)
        );
        let (_, _, action) = alter_sequence("ALTER SEQUENCE s OWNED BY NONE").unwrap();
        assert!(matches!(action, AlterSequence::Options(o) if o.owned_by == Some(None)));
        let (_, _, action) = alter_sequence("ALTER SEQUENCE s RENAME TO \"T\"").unwrap();
        assert!(matches!(action, AlterSequence::Rename(n) if n == "T"));
        assert!(alter_sequence("ALTER SEQUENCE s SET SCHEMA other").is_none());
        let (names, if_exists) = drop_sequence("DROP SEQUENCE IF EXISTS a, public.b").unwrap();
        assert!(if_exists && names.len() == 2 && names[1].is("b"));
        assert!(drop_sequence("DROP SEQUENCE a CASCADE").is_none());
    }

    #[test]
    fn owned_by_and_nextval_name_the_sequence() {
        assert!(
            nextval_of("nextval('public.t_id_seq'::regclass)")
                .unwrap()
                .is("t_id_seq")
        );
        assert!(
            nextval_of(r#"nextval('"T_id_seq"')"#)
                .unwrap()
                .is("T_id_seq")
        );
        assert!(nextval_of("nextval('s'::regclass) + 1").is_none());
    }

    #[test]
    fn identity_options_come_off_the_statement() {
        let piece = Piece {
            text: "ALTER TABLE public.t ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (\n    \
                   SEQUENCE NAME public.t_id_seq\n    START WITH 1\n    INCREMENT BY 1\n    \
                   NO MINVALUE\n    NO MAXVALUE\n    CACHE 1\n)"
                .into(),
            line: 3,
            column: 1,
        };
        let found = identity_options(&piece).unwrap();
        assert_eq!(
            found.surrogate.text,
            "ALTER TABLE public.t ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY"
        );
        assert_eq!(
            found.text,
            "SEQUENCE NAME public.t_id_seq START WITH 1 INCREMENT BY 1 NO MINVALUE NO MAXVALUE CACHE 1"
        );
        let options = found.options.unwrap();
        assert!(options.plain("t", "id", &ColumnType::Integer));
        assert!(!options.plain("u", "id", &ColumnType::Integer));
        let odd = Piece {
            text: "ALTER TABLE t ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY (START 100)"
                .into(),
            ..piece.clone()
        };
        let found = identity_options(&odd).unwrap();
        assert!(
            !found
                .options
                .unwrap()
                .plain("t", "id", &ColumnType::Integer)
        );
        let plain = Piece {
            text: "ALTER TABLE t ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY".into(),
            ..piece
        };
        assert!(identity_options(&plain).is_none());
    }

    #[test]
    fn create_table_identities_are_blanked_in_place() {
        let piece = Piece {
            text: "CREATE TABLE t (\n  id int GENERATED ALWAYS AS IDENTITY (START WITH 1\n    \
                   INCREMENT BY 1), n text DEFAULT '(x)',\n  m int GENERATED BY DEFAULT AS \
                   IDENTITY(CACHE 5))"
                .into(),
            line: 4,
            column: 3,
        };
        let (blanked, found) = create_table_identities(&piece).unwrap();
        assert_eq!(blanked.text.len(), piece.text.len());
        assert_eq!(
            blanked.text.lines().map(str::trim_end).collect::<Vec<_>>(),
            [
                "CREATE TABLE t (",
                "  id int GENERATED ALWAYS AS IDENTITY",
                "                   , n text DEFAULT '(x)',",
                "  m int GENERATED BY DEFAULT AS IDENTITY         )",
            ]
        );
        assert_eq!(found.len(), 2);
        assert_eq!((found[0].at.line, found[0].at.column), (5, 39));
        assert_eq!(found[0].text, "START WITH 1 INCREMENT BY 1");
        assert!(
            found[0]
                .options
                .as_ref()
                .unwrap()
                .plain("t", "id", &ColumnType::Integer)
        );
        assert_eq!(found[1].options.as_ref().unwrap().cache, Some(5));
        let plain = Piece {
            text: "CREATE TABLE t (id int GENERATED ALWAYS AS IDENTITY)".into(),
            ..piece
        };
        assert!(create_table_identities(&plain).is_none());
    }

    #[test]
    fn options_that_depend_on_the_type_are_not_plain_for_any_type() {
        let o = |max| Options {
            max,
            ..Options::default()
        };
        assert!(o(None).plain_for_any_type("t", "id"));
        assert!(o(Some(None)).plain_for_any_type("t", "id"));
        assert!(!o(Some(Some(i128::from(i32::MAX)))).plain_for_any_type("t", "id"));
    }
}
