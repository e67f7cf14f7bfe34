//! Column types: sqlparser's `DataType` to the model's [`ColumnType`].
//!
//! Every alias of a portable type maps to one variant; anything else is kept as
//! `Custom`, upper-cased (outside quotes) with white space folded, so that rendering a
//! type with `ColumnType`'s `Display` and parsing it again gives the same value.

use sqlparser::ast::{
    ArrayElemTypeDef, CharacterLength, DataType, ExactNumberInfo, ObjectNamePart, TimezoneInfo,
};
use sqlparser::tokenizer::Token;
use wildebeest_schema::ColumnType;

use crate::Dialect;
use crate::lex::{self, Pos};

/// The first character of a double-quoted word that stands for a SQLite type name of
/// several words (`UNSIGNED BIG INT`), which sqlparser cannot read; see
/// `parse::merge_type_words`. The word is quoted with `"` because sqlparser panics when
/// it prints (for an error message) a word quoted any other way. No source text can
/// produce it: `lex::tokenize` refuses the character.
pub(crate) const MERGED: char = '\u{1}';

/// The type words of a merged word (see [`MERGED`]), if it is one.
pub(crate) fn merged_words(ident: &sqlparser::ast::Ident) -> Option<&str> {
    match ident.quote_style {
        Some('"') => ident.value.strip_prefix(MERGED),
        _ => None,
    }
}

/// The model's type for a parsed data type.
pub(crate) fn map_type(dt: &DataType) -> ColumnType {
    use DataType as D;
    match dt {
        D::Int(_) | D::Integer(_) | D::Int4(_) | D::MediumInt(_) => ColumnType::Integer,
        D::SmallInt(_) | D::Int2(_) | D::TinyInt(_) => ColumnType::SmallInt,
        D::BigInt(_) | D::Int8(_) => ColumnType::BigInt,
        D::Real | D::Float4 => ColumnType::Real,
        D::Double(ExactNumberInfo::None)
        | D::DoublePrecision
        | D::Float8
        | D::Float(ExactNumberInfo::None) => ColumnType::Double,
        D::Numeric(info) | D::Decimal(info) | D::Dec(info) => {
            decimal(info).unwrap_or_else(|| custom(dt))
        }
        D::Boolean | D::Bool => ColumnType::Boolean,
        D::Char(len) | D::Character(len) => length(len)
            .map(ColumnType::Char)
            .unwrap_or_else(|| custom(dt)),
        D::Varchar(len) | D::CharacterVarying(len) | D::CharVarying(len) | D::Nvarchar(len) => {
            length(len)
                .map(ColumnType::Varchar)
                .unwrap_or_else(|| custom(dt))
        }
        D::Text | D::Clob(None) => ColumnType::Text,
        D::Blob(None) | D::Bytea => ColumnType::Blob,
        D::Date => ColumnType::Date,
        D::Time(None, TimezoneInfo::None | TimezoneInfo::WithoutTimeZone) => ColumnType::Time,
        D::Timestamp(None, TimezoneInfo::None | TimezoneInfo::WithoutTimeZone) => {
            ColumnType::Timestamp
        }
        D::Timestamp(None, TimezoneInfo::Tz | TimezoneInfo::WithTimeZone) => {
            ColumnType::TimestampTz
        }
        D::JSON => ColumnType::Json,
        D::Uuid => ColumnType::Uuid,
        D::Unspecified => ColumnType::Custom(String::new()),
        D::Custom(name, modifiers) => match merged_name(name) {
            Some(words) => {
                let mut text = words.to_string();
                if !modifiers.is_empty() {
                    text = format!("{text}({})", modifiers.join(", "));
                }
                ColumnType::Custom(fold_type_text(&text))
            }
            // A merged word can also be one part of a longer name (`a b.c`), which
            // sqlparser's Display cannot print (it panics on the quote style).
            None if has_merged_part(name) => {
                let mut text = name
                    .0
                    .iter()
                    .map(|part| match part {
                        ObjectNamePart::Identifier(ident) => {
                            merged_words(ident).map_or_else(|| part.to_string(), str::to_string)
                        }
                        other => other.to_string(),
                    })
                    .collect::<Vec<_>>()
                    .join(".");
                if !modifiers.is_empty() {
                    text = format!("{text}({})", modifiers.join(", "));
                }
                ColumnType::Custom(fold_type_text(&text))
            }
            None => custom(dt),
        },
        _ => custom(dt),
    }
}

/// The words of a merged SQLite type name (see [`MERGED`]).
fn merged_name(name: &sqlparser::ast::ObjectName) -> Option<&str> {
    match name.0.as_slice() {
        [ObjectNamePart::Identifier(ident)] => merged_words(ident),
        _ => None,
    }
}

/// Whether any part of a name is a merged SQLite type name.
fn has_merged_part(name: &sqlparser::ast::ObjectName) -> bool {
    name.0.iter().any(
        |part| matches!(part, ObjectNamePart::Identifier(ident) if merged_words(ident).is_some()),
    )
}

fn custom(dt: &DataType) -> ColumnType {
    ColumnType::Custom(fold_type_text(&dt.to_string()))
}

fn decimal(info: &ExactNumberInfo) -> Option<ColumnType> {
    match *info {
        ExactNumberInfo::None => Some(ColumnType::Decimal {
            precision: None,
            scale: None,
        }),
        ExactNumberInfo::Precision(p) => Some(ColumnType::Decimal {
            precision: Some(u32::try_from(p).ok()?),
            scale: None,
        }),
        ExactNumberInfo::PrecisionAndScale(p, s) => Some(ColumnType::Decimal {
            precision: Some(u32::try_from(p).ok()?),
            scale: Some(u32::try_from(s).ok()?),
        }),
    }
}

/// `Some(None)` for no length, `Some(Some(n))` for a plain length, `None` for lengths
/// the model cannot hold (`MAX`, `10 OCTETS`).
fn length(len: &Option<CharacterLength>) -> Option<Option<u32>> {
    match len {
        None => Some(None),
        Some(CharacterLength::IntegerLength { length, unit: None }) => {
            Some(Some(u32::try_from(*length).ok()?))
        }
        Some(_) => None,
    }
}

/// Upper case outside quotes, runs of white space as one space, no space before `(`.
pub(crate) fn fold_type_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut quote: Option<char> = None;
    let mut pending_space = false;
    for c in text.trim().chars() {
        match quote {
            Some(q) => {
                out.push(c);
                if c == q {
                    quote = None;
                }
            }
            None if c.is_whitespace() => pending_space = true,
            None => {
                // `GEOMETRY (POINT)` and `GEOMETRY(POINT)` are one type.
                if pending_space
                    && !out.is_empty()
                    && !out.ends_with('(')
                    && !matches!(c, '(' | ')' | ',')
                {
                    out.push(' ');
                }
                pending_space = false;
                if matches!(c, '\'' | '"' | '`') {
                    quote = Some(c);
                }
                out.extend(c.to_uppercase());
                if c == ',' {
                    pending_space = true;
                }
            }
        }
    }
    out
}

/// PostgreSQL's one spelling of a type it knows by several names, for a `Custom` type
/// as [`fold_type_text`] leaves it: `SERIAL4` is `SERIAL`, `SERIAL8` `BIGSERIAL`,
/// `SERIAL2` `SMALLSERIAL`, `TIMETZ(3)` `TIME(3) WITH TIME ZONE`, `TIMESTAMPTZ(3)`
/// `TIMESTAMP(3) WITH TIME ZONE`, `VARBIT(5)` `BIT VARYING(5)`; the same for the
/// element of an array. The long forms are the catalog's (`format_type`), so a
/// schema written either way compares equal with the database.
fn postgres_alias(name: &str) -> String {
    let (base, array) = match name.find('[') {
        Some(i) if !name.starts_with('"') => name.split_at(i),
        _ => (name, ""),
    };
    let (word, size) = match base.find('(') {
        Some(i) => base.split_at(i),
        None => (base, ""),
    };
    let out = match word {
        "SERIAL4" if size.is_empty() => "SERIAL".to_string(),
        "SERIAL8" if size.is_empty() => "BIGSERIAL".to_string(),
        "SERIAL2" if size.is_empty() => "SMALLSERIAL".to_string(),
        "TIMETZ" => format!("TIME{size} WITH TIME ZONE"),
        "TIMESTAMPTZ" => format!("TIMESTAMP{size} WITH TIME ZONE"),
        "VARBIT" => format!("BIT VARYING{size}"),
        _ => base.to_string(),
    };
    format!("{out}{array}")
}

/// An array type as PostgreSQL has it: the element's one spelling (`VARCHAR(20)`, not
/// `CHARACTER VARYING(20)`) and one pair of brackets, since PostgreSQL ignores the
/// number of dimensions and their sizes (`INTEGER[][]` and `INTEGER[3]` are
/// `INTEGER[]`).
fn array_type(element: &DataType, dialect: Dialect) -> ColumnType {
    let mut element = element;
    while let DataType::Array(ArrayElemTypeDef::SquareBracket(inner, _)) = element {
        element = inner;
    }
    let text = match model_type(element, dialect) {
        // The model's spelling would be SQLite's.
        ColumnType::Blob => "BYTEA".to_string(),
        ColumnType::Custom(name) if name.is_empty() => return custom(element),
        ty => ty.to_string(),
    };
    ColumnType::Custom(format!("{text}[]"))
}

/// Parses a type name as written in `dialect` (see [`crate::parse_type`]).
/// What a type written without its size means in `dialect`: MySQL takes `CHAR` as
/// `CHAR(1)`, `DECIMAL` as `DECIMAL(10, 0)`, a bare `VARCHAR` (an error there) as
/// `VARCHAR(255)`, and it stores `TIMESTAMP WITH TIME ZONE` as `TIMESTAMP` and `UUID`
/// as `CHAR(36)`, so that a schema file and the database agree.
/// The model's type for a parsed data type in `dialect`: [`map_type`], then
/// [`in_dialect`]; in MySQL, first the names [`mysql_type`] reads as MySQL means them.
pub(crate) fn model_type(dt: &DataType, dialect: Dialect) -> ColumnType {
    if dialect == Dialect::Mysql
        && let Some(ty) = mysql_type(dt)
    {
        return ty;
    }
    if let (Dialect::Postgres, DataType::Array(ArrayElemTypeDef::SquareBracket(element, _))) =
        (dialect, dt)
    {
        return array_type(element, dialect);
    }
    if dialect == Dialect::Sqlite {
        return sqlite_declared(dt);
    }
    in_dialect(map_type(dt), dialect)
}

/// A type as SQLite keeps it: the declared text itself, which is what `sqlite_master`
/// and `PRAGMA table_info` report and what decides the column's meaning (`INT PRIMARY
/// KEY` is an ordinary column, `INTEGER PRIMARY KEY` the rowid). The portable variant
/// only where it is spelled exactly as SQLite's renderer writes it (`INTEGER`,
/// `VARCHAR(40)`, case and white space aside); any other spelling (`INT`,
/// `NVARCHAR(40)`, `DECIMAL(5,2)`) stays `Custom`, so that no migration respells it.
fn sqlite_declared(dt: &DataType) -> ColumnType {
    let mapped = map_type(dt);
    // A custom type is its declared text already (and sqlparser cannot print a
    // merged name, `MERGED`).
    if let ColumnType::Custom(_) = mapped {
        return mapped;
    }
    let declared = fold_type_text(&dt.to_string());
    let bare = |s: &str| s.replace(' ', "");
    if bare(&mapped.to_string()) == bare(&declared) {
        mapped
    } else {
        ColumnType::Custom(declared)
    }
}

/// The type names MySQL gives another meaning than the portable one, so that a
/// column keeps the type it was written with (and reports back):
/// - `TINYINT(1)` is `BOOLEAN` (MySQL's own spelling of it, and what a `BOOLEAN`
///   column reads back as); any other `TINYINT`, and `MEDIUMINT`, have no portable
///   variant of their width and stay custom types (without the display width, which
///   means nothing), not `SMALLINT` and `INT`;
/// - `FLOAT` is single precision (`Real`), as is `FLOAT(p)` up to 24 bits, which MySQL
///   stores as `FLOAT` (and as `DOUBLE` from 25 to 53);
/// - `REAL` is `DOUBLE` (unless the server runs with `REAL_AS_FLOAT`);
/// - an `UNSIGNED` integer type is written without its display width, and
///   `INTEGER UNSIGNED` as `INT UNSIGNED`; `YEAR(4)` is `YEAR`. That is how the
///   database reports them.
fn mysql_type(dt: &DataType) -> Option<ColumnType> {
    use DataType as D;
    Some(match dt {
        D::TinyInt(Some(1)) => ColumnType::Boolean,
        D::TinyInt(_) => ColumnType::Custom("TINYINT".into()),
        D::MediumInt(_) => ColumnType::Custom("MEDIUMINT".into()),
        D::Float(ExactNumberInfo::None) => ColumnType::Real,
        D::Float(ExactNumberInfo::Precision(p)) if *p <= 24 => ColumnType::Real,
        D::Float(ExactNumberInfo::Precision(p)) if *p <= 53 => ColumnType::Double,
        D::Real => ColumnType::Double,
        // Display widths mean nothing; `INTEGER` is `INT`.
        D::TinyIntUnsigned(_) => ColumnType::Custom("TINYINT UNSIGNED".into()),
        D::SmallIntUnsigned(_) | D::Int2Unsigned(_) => {
            ColumnType::Custom("SMALLINT UNSIGNED".into())
        }
        D::MediumIntUnsigned(_) => ColumnType::Custom("MEDIUMINT UNSIGNED".into()),
        D::IntUnsigned(_) | D::IntegerUnsigned(_) | D::Int4Unsigned(_) => {
            ColumnType::Custom("INT UNSIGNED".into())
        }
        D::BigIntUnsigned(_) | D::Int8Unsigned(_) => ColumnType::Custom("BIGINT UNSIGNED".into()),
        // `YEAR(4)`, the only width MySQL and MariaDB keep, is `YEAR`.
        D::Custom(name, modifiers)
            if name.to_string().eq_ignore_ascii_case("YEAR") && modifiers == &["4"] =>
        {
            ColumnType::Custom("YEAR".into())
        }
        _ => return None,
    })
}

pub(crate) fn in_dialect(ty: ColumnType, dialect: Dialect) -> ColumnType {
    if dialect == Dialect::Postgres {
        return match ty {
            ColumnType::Custom(name) => ColumnType::Custom(postgres_alias(&name)),
            other => other,
        };
    }
    if dialect != Dialect::Mysql {
        return ty;
    }
    match ty {
        ColumnType::Varchar(None) => ColumnType::Varchar(Some(255)),
        ColumnType::Char(None) => ColumnType::Char(Some(1)),
        ColumnType::Decimal {
            precision: None, ..
        } => ColumnType::Decimal {
            precision: Some(10),
            scale: Some(0),
        },
        ColumnType::Decimal {
            precision: Some(p),
            scale: None,
        } => ColumnType::Decimal {
            precision: Some(p),
            scale: Some(0),
        },
        // MySQL has no zone-aware timestamp and no UUID type: what it stores instead.
        ColumnType::TimestampTz => ColumnType::Timestamp,
        ColumnType::Uuid => ColumnType::Char(Some(36)),
        other => other,
    }
}

pub(crate) fn parse_type(ty: &str, dialect: Dialect) -> Result<ColumnType, String> {
    let text = ty.trim();
    if text.is_empty() {
        return match dialect {
            Dialect::Sqlite => Ok(ColumnType::Custom(String::new())),
            _ => Err("empty type name".to_string()),
        };
    }
    let primary = parse_with(text, dialect, lex::sql_dialect(dialect));
    match primary {
        Ok(t) => Ok(t),
        Err(e) => {
            if let Ok(t) = parse_with(text, dialect, lex::generic()) {
                return Ok(t);
            }
            if let Some(t) = (dialect == Dialect::Sqlite)
                .then(|| sqlite_type_name(text))
                .flatten()
            {
                return Ok(t);
            }
            Err(format!(
                "cannot read type `{}`: {} (column {})",
                crate::excerpt(text),
                e.message,
                e.pos.column
            ))
        }
    }
}

/// Parses a type with one sqlparser dialect only, without the SQLite fallback.
pub(crate) fn parse_with(
    text: &str,
    dialect: Dialect,
    sd: &dyn sqlparser::dialect::Dialect,
) -> Result<ColumnType, lex::PosError> {
    let at = Pos { line: 1, column: 1 };
    let tokens = lex::tokenize(text, at, dialect, sd)?;
    let dt = lex::parse_type_tokens(sd, tokens, at, lex::end_of(text, at))?;
    Ok(model_type(&dt, dialect))
}

/// A SQLite type name sqlparser cannot read: one or more words, then optionally one or
/// two signed numbers in parentheses (SQLite's `type-name` rule).
pub(crate) fn sqlite_type_name(text: &str) -> Option<ColumnType> {
    let at = Pos { line: 1, column: 1 };
    let tokens =
        lex::tokenize(text, at, Dialect::Sqlite, lex::sql_dialect(Dialect::Sqlite)).ok()?;
    let mut tokens = tokens
        .into_iter()
        .map(|t| t.token)
        .filter(|t| !lex::is_trivia(t))
        .peekable();
    let mut words = Vec::new();
    while let Some(w) = tokens.peek().and_then(lex::bare_word) {
        words.push(w);
        tokens.next();
    }
    if words.is_empty() {
        return None;
    }
    let mut text = words.join(" ");
    if tokens.peek() == Some(&Token::LParen) {
        tokens.next();
        let mut numbers = Vec::new();
        loop {
            let mut number = String::new();
            if let Some(sign @ (Token::Plus | Token::Minus)) = tokens.peek() {
                number.push_str(if *sign == Token::Minus { "-" } else { "+" });
                tokens.next();
            }
            match tokens.next() {
                Some(Token::Number(n, _)) => number.push_str(&n),
                _ => return None,
            }
            numbers.push(number);
            match tokens.next() {
                Some(Token::Comma) if numbers.len() < 2 => continue,
                Some(Token::RParen) => break,
                _ => return None,
            }
        }
        text = format!("{text}({})", numbers.join(", "));
    }
    match tokens.next() {
        None | Some(Token::EOF) => Some(ColumnType::Custom(fold_type_text(&text))),
        _ => None,
    }
}
