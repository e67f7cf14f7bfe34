//! Column types as PostgreSQL spells them, and back.
//!
//! [`render_type`] writes each portable type the one way `wildebeest_sql::parse_type`
//! reads back as the same [`ColumnType`] (`TIMESTAMP WITH TIME ZONE`, `BYTEA`,
//! `NUMERIC(10, 2)`); [`from_format_type`] reads what the catalog's `format_type`
//! reports (`character varying(20)`, `timestamp(3) without time zone`) into the type
//! a `schema.sql` most likely wrote for it.

use wildebeest_schema::{ColumnType, Schema};
use wildebeest_sql::{Dialect, parse_type};

/// `schema` as PostgreSQL reports it once created: no column `ON UPDATE`, no table
/// or column character sets or engines (MySQL's, which PostgreSQL has no clause for;
/// comments it keeps, through `COMMENT ON`), no `STRICT` or `WITHOUT ROWID`
/// (SQLite's).
///
/// Expressions (defaults, generated columns', checks, index parts and predicates) are
/// read as the catalog prints them back ([`crate::inspect::expression`]): a model
/// written as `pg_dump`
/// writes (`'{}'::jsonb`, `kind = ANY (ARRAY['a'::text])`, `(0)::numeric`,
/// `lower((title)::text)`) or as people do
/// then compares equal with the database, which drops those casts. An index part's
/// null order is dropped where it is the default (`NULLS LAST` ascending, `NULLS
/// FIRST` descending), as the catalog does.
pub fn canonical(schema: &Schema) -> Schema {
    let mut out = schema.clone();
    out.drop_mysql_storage_options();
    // A MySQL-dialect key without an action clause, which this database stores as
    // `NO ACTION`.
    out.resolve_unspecified_actions(wildebeest_schema::FkAction::NoAction);
    out.drop_sqlite_options();
    let domains = out.domains.clone();
    for table in out.tables.values_mut() {
        let snapshot = table.clone();
        // A column of a domain is of its base type to the casts PostgreSQL adds
        // (`lower((code)::text)` for a domain over `varchar`).
        let type_of = |name: &str| snapshot.column(name).map(|c| base_type(&c.ty, &domains));
        let expr = |e: &str| crate::inspect::expression(e, &type_of);
        for col in &mut table.columns {
            // A type SQLite keeps as declared (`INT`, `NVARCHAR(40)`) as PostgreSQL
            // reads it.
            col.ty = wildebeest_sql::retype(&col.ty, Dialect::Postgres);
            col.on_update = None;
            // The comparison form; the text as written stays for the renderer
            // (`Column::default_sql`): the server does not store the two alike.
            if let Some(d) = col.default.take() {
                let form = expr(&d);
                col.default_written.rewrite(&d, &form);
                col.default = Some(form);
            }
            if let Some(g) = &mut col.generated {
                g.expr = expr(&g.expr);
            }
            // As `render::column_default` writes a boolean's `1` or `0`.
            if col.ty == ColumnType::Boolean
                && let Some(word) = col.default.as_deref().and_then(boolean_word)
            {
                let form = word.to_string();
                if let Some(d) = &col.default {
                    col.default_written.rewrite(d, &form);
                }
                col.default = Some(form);
            }
        }
        for check in &mut table.checks {
            let form = expr(&check.expr);
            check.written.rewrite(&check.expr, &form);
            check.expr = form;
        }
        // As `inspect` reads an exclusion constraint: a column as it is named.
        let plain = |e: &str| e.chars().all(|c| c.is_alphanumeric() || c == '_');
        for x in &mut table.exclusions {
            for e in x.elements.iter_mut().filter(|e| !plain(&e.expr)) {
                e.expr = expr(&e.expr);
            }
            x.predicate = x.predicate.as_deref().map(expr);
        }
        for index in &mut table.indexes {
            if let Some(p) = index.predicate.take() {
                let form = expr(&p);
                index.predicate_written.rewrite(&p, &form);
                index.predicate = Some(form);
            }
            let btree = index.method.is_none();
            for part in &mut index.columns {
                *part = default_null_order(&index_part(part, btree, &snapshot, &type_of));
            }
        }
        table.normalize();
    }
    // A view's query as the server prints it: the casts it adds to a column
    // (`(first_name)::text || ' '`) are dropped where the column is one of the tables
    // the view reads and the cast is one PostgreSQL adds to it.
    for view in out.views.values_mut() {
        let tables: Vec<&wildebeest_schema::Table> = view
            .reads
            .iter()
            .filter_map(|r| schema.tables.get(r))
            .collect();
        let type_of = |name: &str| {
            let mut types = tables.iter().filter_map(|t| t.column(name)).map(|c| &c.ty);
            let first = types.next()?;
            types.all(|t| t == first).then(|| first.clone())
        };
        view.normalized = crate::inspect::deparse::simplify(&view.normalized, &type_of);
    }
    // Then in the form that qualifies a bare column with its table, knowing the
    // tables' and views' columns, as the server prints it.
    wildebeest_sql::canonical_views(&mut out, wildebeest_sql::Dialect::Postgres);
    // A materialized view's indexes, as `inspect` reads them: without the columns'
    // types, which the model does not hold for a view.
    for view in out.views.values_mut() {
        let columns = wildebeest_schema::Table::new(view.name.clone());
        let type_of = |_: &str| None;
        for index in &mut view.indexes {
            let expr = |e: &str| crate::inspect::expression(e, &type_of);
            index.predicate = index.predicate.as_deref().map(expr);
            let btree = index.method.is_none();
            for part in &mut index.columns {
                *part = default_null_order(&index_part(part, btree, &columns, &type_of));
            }
        }
        view.indexes.sort();
    }
    for domain in out.domains.values_mut() {
        // `VALUE` is of the base type; no other name is in scope.
        let base = domain.base.clone();
        let type_of = move |n: &str| n.eq_ignore_ascii_case("value").then(|| base.clone());
        domain.default = domain
            .default
            .as_deref()
            .map(|e| crate::inspect::expression(e, &type_of));
        for check in &mut domain.checks {
            check.expr = crate::inspect::expression(&check.expr, &type_of);
        }
    }
    out
}

/// `ty`, or the base type of the domain it names (through domains of domains).
fn base_type(
    ty: &ColumnType,
    domains: &std::collections::BTreeMap<String, wildebeest_schema::Domain>,
) -> ColumnType {
    let mut ty = ty.clone();
    // A domain cannot be its own base, directly or not: the depth only bounds a
    // model that says otherwise.
    for _ in 0..16 {
        let ColumnType::Custom(text) = ty.unqualified_domain(domains) else {
            break;
        };
        match domains
            .get(&text)
            .or_else(|| domains.get(&text.to_lowercase()))
        {
            Some(d) => ty = d.base.clone(),
            None => break,
        }
    }
    ty
}

/// An index part with its expression read as the catalog prints it back, as
/// [`crate::inspect`] reads it (`lower(title::TEXT) DESC` is `lower(title) DESC`). A
/// plain column is left as it is (the model keeps its name unquoted), as is a part
/// that does not read as an expression, an operator class and an order after it.
fn index_part(
    part: &str,
    btree: bool,
    table: &wildebeest_schema::Table,
    type_of: &dyn Fn(&str) -> Option<ColumnType>,
) -> String {
    let mut body = part;
    let mut suffix = String::new();
    for end in [" NULLS FIRST", " NULLS LAST", " DESC"] {
        if let Some(rest) = body.strip_suffix(end) {
            body = rest;
            suffix.insert_str(0, end);
        }
    }
    if table.column(body).is_some() {
        return part.to_string();
    }
    let read = |text: &str| crate::inspect::stored_expression(text, type_of);
    if let Some(expr) = read(body) {
        return format!("{expr}{suffix}");
    }
    // An operator class, one name after the expression: `lower(title) text_pattern_ops`.
    if let Some((expr, class)) = body.rsplit_once(' ')
        && !class.is_empty()
        && class
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '_' | '.' | '"'))
    {
        // A column's default class for a B-tree is none: the catalog shows the
        // column alone.
        let name = expr
            .strip_prefix('"')
            .and_then(|c| c.strip_suffix('"'))
            .map_or_else(|| expr.to_string(), |c| c.replace("\"\"", "\""));
        if let Some(column) = table.column(&name) {
            if btree && default_btree_class(&column.ty) == Some(class) {
                return format!("{name}{suffix}");
            }
            return part.to_string();
        }
        if let Some(expr) = read(expr) {
            return format!("{}{suffix}", crate::render::with_class(&expr, class));
        }
    }
    part.to_string()
}

/// The operator class a B-tree index uses for a column of type `ty` when none is
/// written (`text_ops` for `text` and `varchar`), where it is known.
fn default_btree_class(ty: &ColumnType) -> Option<&'static str> {
    Some(match ty {
        ColumnType::SmallInt => "int2_ops",
        ColumnType::Integer => "int4_ops",
        ColumnType::BigInt => "int8_ops",
        ColumnType::Real => "float4_ops",
        ColumnType::Double => "float8_ops",
        ColumnType::Decimal { .. } => "numeric_ops",
        ColumnType::Boolean => "bool_ops",
        ColumnType::Char(_) => "bpchar_ops",
        ColumnType::Varchar(_) | ColumnType::Text => "text_ops",
        ColumnType::Blob => "bytea_ops",
        ColumnType::Date => "date_ops",
        ColumnType::Time => "time_ops",
        ColumnType::Timestamp => "timestamp_ops",
        ColumnType::TimestampTz => "timestamptz_ops",
        ColumnType::Uuid => "uuid_ops",
        _ => return None,
    })
}

/// An index part without a null order that is the default for its direction.
fn default_null_order(part: &str) -> String {
    if let Some(rest) = part.strip_suffix(" NULLS FIRST") {
        if rest.ends_with(" DESC") {
            return rest.to_string();
        }
    } else if let Some(rest) = part.strip_suffix(" NULLS LAST") {
        let rest = rest.strip_suffix(" ASC").unwrap_or(rest);
        if !rest.ends_with(" DESC") {
            return rest.to_string();
        }
    }
    part.strip_suffix(" ASC").unwrap_or(part).to_string()
}

/// The type name to write after a column's name. `Custom` types are written as they
/// are (`JSONB`, `INET`, `INTEGER[]`); an empty one (a SQLite column without a type)
/// has no PostgreSQL spelling, so it is `None`. An enum type is its name (`mood`,
/// `"Mood"`), an array of one `mood[]`.
pub fn render_type(ty: &ColumnType) -> Option<String> {
    Some(match ty {
        ColumnType::SmallInt => "SMALLINT".into(),
        ColumnType::Integer => "INTEGER".into(),
        ColumnType::BigInt => "BIGINT".into(),
        ColumnType::Real => "REAL".into(),
        ColumnType::Double => "DOUBLE PRECISION".into(),
        ColumnType::Decimal {
            precision: None, ..
        } => "NUMERIC".into(),
        ColumnType::Decimal {
            precision: Some(p),
            scale: None,
        } => format!("NUMERIC({p})"),
        ColumnType::Decimal {
            precision: Some(p),
            scale: Some(s),
        } => format!("NUMERIC({p}, {s})"),
        ColumnType::Boolean => "BOOLEAN".into(),
        ColumnType::Char(None) => "CHAR".into(),
        ColumnType::Char(Some(n)) => format!("CHAR({n})"),
        ColumnType::Varchar(None) => "VARCHAR".into(),
        ColumnType::Varchar(Some(n)) => format!("VARCHAR({n})"),
        ColumnType::Text => "TEXT".into(),
        ColumnType::Blob => "BYTEA".into(),
        ColumnType::Date => "DATE".into(),
        ColumnType::Time => "TIME".into(),
        ColumnType::Timestamp => "TIMESTAMP".into(),
        ColumnType::TimestampTz => "TIMESTAMP WITH TIME ZONE".into(),
        ColumnType::Json => "JSON".into(),
        ColumnType::Uuid => "UUID".into(),
        ColumnType::Enum(name) => wildebeest_sql::quote_ident(name, Dialect::Postgres),
        ColumnType::EnumArray(name) => {
            format!("{}[]", wildebeest_sql::quote_ident(name, Dialect::Postgres))
        }
        ColumnType::Custom(s) => {
            let s = s.trim();
            if s.is_empty() {
                return None;
            }
            s.to_string()
        }
    })
}

/// The type for a statement written for another database: the names SQLite and MySQL
/// files commonly use that PostgreSQL lacks become their PostgreSQL equivalents
/// (`DATETIME` is `TIMESTAMP`, `LONGTEXT` is `TEXT`, a SQLite column without a type is
/// `TEXT`); every other type is kept.
pub(crate) fn foreign_type(ty: &ColumnType) -> ColumnType {
    let ColumnType::Custom(name) = ty else {
        return ty.clone();
    };
    match name.trim() {
        "" | "TINYTEXT" | "MEDIUMTEXT" | "LONGTEXT" | "CLOB" => ColumnType::Text,
        "DATETIME" => ColumnType::Timestamp,
        "TINYBLOB" | "MEDIUMBLOB" | "LONGBLOB" => ColumnType::Blob,
        "TINYINT" | "TINYINT(1)" => ColumnType::SmallInt,
        "MEDIUMINT" => ColumnType::Integer,
        other => match other.strip_prefix("DATETIME(") {
            Some(rest) => ColumnType::Custom(format!("TIMESTAMP({rest}")),
            // What PostgreSQL reads the name as (a SQLite `NVARCHAR(40)` or `DOUBLE`).
            None => wildebeest_sql::retype(ty, Dialect::Postgres),
        },
    }
}

/// The model's type for what `format_type` reports. The catalog has one spelling for
/// each type; where `schema.sql` can write one type two ways, the shorter is taken
/// (`numeric(10,0)` is `NUMERIC(10)`, `timestamp(3) without time zone` is
/// `TIMESTAMP(3)`), so that the common spelling compares equal.
pub(crate) fn from_format_type(text: &str) -> ColumnType {
    let trimmed = text.trim();
    let text = trimmed
        .strip_suffix(" without time zone")
        .unwrap_or(trimmed);
    match parse_type(text, Dialect::Postgres) {
        Ok(ColumnType::Decimal {
            precision: Some(p),
            scale: Some(0),
        }) => ColumnType::Decimal {
            precision: Some(p),
            scale: None,
        },
        Ok(ty) => ty,
        // Every catalog spelling parses; should one not, keep it as it is.
        Err(_) => ColumnType::Custom(text.to_ascii_uppercase()),
    }
}

/// The serial pseudo-type for an integer type whose column takes its values from a
/// sequence it owns: `SERIAL`, `BIGSERIAL`, `SMALLSERIAL`.
pub(crate) fn serial_type(ty: &ColumnType) -> Option<ColumnType> {
    ty.serial_of()
}

/// Whether a column of this type can be an identity column.
pub(crate) fn is_integer(ty: &ColumnType) -> bool {
    matches!(
        ty,
        ColumnType::SmallInt | ColumnType::Integer | ColumnType::BigInt
    )
}

/// The family a type belongs to, for deciding which conversions PostgreSQL makes on
/// its own (an assignment cast) and which need `USING`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Family {
    Number,
    String,
    DateTime,
    Other,
}

pub(crate) fn family(ty: &ColumnType) -> Family {
    use ColumnType::*;
    match ty {
        SmallInt | Integer | BigInt | Real | Double | Decimal { .. } => Family::Number,
        Char(_) | Varchar(_) | Text => Family::String,
        Date | Timestamp | TimestampTz => Family::DateTime,
        _ => Family::Other,
    }
}

/// How PostgreSQL converts a column's values from one type to another, by its cast
/// rules (`pg_cast` and the automatic I/O conversions): what `ALTER COLUMN ... TYPE`
/// needs to be written with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Conversion {
    /// An implicit or assignment cast (also a string type's I/O conversion *to* one):
    /// `ALTER COLUMN ... TYPE` uses it without `USING`, and must, since the explicit
    /// cast `USING c::t` would cut a string too long for a `VARCHAR(n)` silently
    /// where the assignment cast refuses it.
    Assignment,
    /// An explicit cast only (also the I/O conversion *from* a string type):
    /// `USING c::t`.
    Explicit,
    /// No cast at all (`time` to `timestamp`, `integer` to `date`): `USING
    /// c::text::t`, the conversion through the value's text, which the server
    /// applies value by value and refuses where the text is not a value of `t`.
    ThroughText,
    /// A type the catalog of a database without extensions does not have (a
    /// domain, an extension's type): `USING c::t`, which the server judges.
    Unknown,
}

/// A type as PostgreSQL's catalog names it (`int4`, `timestamptz`, `enum` for any
/// enum type) and whether it is an array; `None` for a type it does not know.
fn catalog_type(ty: &ColumnType) -> Option<(&'static str, bool)> {
    let text = match ty {
        ColumnType::Enum(_) => return Some(("enum", false)),
        ColumnType::EnumArray(_) => return Some(("enum", true)),
        _ => render_type(ty)?,
    };
    // The words outside parentheses, upper-cased: `TIMESTAMP(3) WITH TIME ZONE` is
    // `TIMESTAMP WITH TIME ZONE`, `NUMERIC(10, 2)[]` is `NUMERIC[]`.
    let mut bare = String::new();
    let mut depth = 0usize;
    for ch in text.chars() {
        match ch {
            '(' => depth += 1,
            ')' => depth = depth.saturating_sub(1),
            _ if depth == 0 => bare.push(ch.to_ascii_uppercase()),
            _ => {}
        }
    }
    let array = bare.contains('[') || bare.split_whitespace().any(|w| w == "ARRAY");
    let words: Vec<&str> = bare
        .split(|c: char| c.is_whitespace() || c == '[' || c == ']')
        .filter(|w| !w.is_empty() && !w.chars().all(|c| c.is_ascii_digit()) && *w != "ARRAY")
        .collect();
    let name = match words.as_slice() {
        ["SMALLINT" | "INT2"] => "int2",
        ["INTEGER" | "INT" | "INT4"] => "int4",
        ["BIGINT" | "INT8"] => "int8",
        ["REAL" | "FLOAT4"] => "float4",
        ["DOUBLE", "PRECISION"] | ["FLOAT8" | "FLOAT"] => "float8",
        ["NUMERIC" | "DECIMAL"] => "numeric",
        ["BOOLEAN" | "BOOL"] => "bool",
        ["CHAR" | "CHARACTER" | "BPCHAR"] => "bpchar",
        ["VARCHAR"] | ["CHARACTER", "VARYING"] => "varchar",
        ["TEXT"] => "text",
        ["BYTEA"] => "bytea",
        ["DATE"] => "date",
        ["TIME"] | ["TIME", "WITHOUT", "TIME", "ZONE"] => "time",
        ["TIMETZ"] | ["TIME", "WITH", "TIME", "ZONE"] => "timetz",
        ["TIMESTAMP"] | ["TIMESTAMP", "WITHOUT", "TIME", "ZONE"] => "timestamp",
        ["TIMESTAMPTZ"] | ["TIMESTAMP", "WITH", "TIME", "ZONE"] => "timestamptz",
        ["INTERVAL", ..] => "interval",
        ["JSON"] => "json",
        ["JSONB"] => "jsonb",
        ["UUID"] => "uuid",
        ["BIT"] => "bit",
        ["VARBIT"] | ["BIT", "VARYING"] => "varbit",
        ["INET"] => "inet",
        ["CIDR"] => "cidr",
        ["MACADDR"] => "macaddr",
        ["MACADDR8"] => "macaddr8",
        ["MONEY"] => "money",
        ["XML"] => "xml",
        _ => return None,
    };
    Some((name, array))
}

/// How PostgreSQL converts values of type `from` to `to` (see [`Conversion`]),
/// decided by its cast rules for the types a database has without extensions: a
/// cast in `pg_cast` (its context: implicit and assignment, or explicit), an I/O
/// conversion (to a string type an assignment, from one explicit), an array's
/// through its elements'. `crates/postgres/tests/it/casts.rs` holds the rule to
/// the server's own answers.
pub(crate) fn conversion(from: &ColumnType, to: &ColumnType) -> Conversion {
    let (Some((f, f_array)), Some((t, t_array))) = (catalog_type(from), catalog_type(to)) else {
        // To a string type every value converts by its text, whatever its type.
        return match catalog_type(to) {
            Some(("text" | "varchar" | "bpchar", false)) => Conversion::Assignment,
            _ => Conversion::Unknown,
        };
    };
    let string = |n: &str| matches!(n, "text" | "varchar" | "bpchar");
    if f_array != t_array {
        // Only the I/O conversions join an array and a scalar.
        return if string(t) && !t_array {
            Conversion::Assignment
        } else if string(f) && !f_array {
            Conversion::Explicit
        } else {
            Conversion::ThroughText
        };
    }
    // Between arrays, the elements' conversion decides.
    let number = |n: &str| {
        matches!(
            n,
            "int2" | "int4" | "int8" | "float4" | "float8" | "numeric"
        )
    };
    let assignment = f == t && f != "enum"
        || string(t)
        || number(f) && number(t)
        || matches!(
            (f, t),
            ("int4" | "int8" | "numeric", "money")
                | ("money", "numeric")
                | ("date", "timestamp" | "timestamptz")
                | ("timestamp", "timestamptz" | "date" | "time")
                | ("timestamptz", "timestamp" | "date" | "time" | "timetz")
                | ("time", "timetz" | "interval")
                | ("timetz", "time")
                | ("interval", "time")
                | ("json", "jsonb")
                | ("jsonb", "json")
                | ("inet", "cidr")
                | ("cidr", "inet")
                | ("bit", "varbit")
                | ("varbit", "bit")
                | ("macaddr", "macaddr8")
                | ("macaddr8", "macaddr")
        );
    let explicit = string(f)
        || matches!(
            (f, t),
            ("int4", "bool")
                | ("bool", "int4")
                | ("int4" | "int8", "bit")
                | ("bit", "int4" | "int8")
                | (
                    "jsonb",
                    "bool" | "numeric" | "int2" | "int4" | "int8" | "float4" | "float8"
                )
        );
    if assignment {
        Conversion::Assignment
    } else if explicit {
        Conversion::Explicit
    } else {
        Conversion::ThroughText
    }
}

/// Whether PostgreSQL casts a value of type `from` to `to` on its own when an
/// expression needs it (an implicit cast that changes no value), so that the cast it
/// prints is not the user's: a string to `text` or unbounded `varchar`, a number to a
/// number type as wide or wider (an unconstrained `numeric`, not `numeric(5, 2)`).
/// A cast to a narrower type (`price::integer`) rounds or truncates and is the user's.
pub(crate) fn implicit_cast(from: &ColumnType, to: &ColumnType) -> bool {
    use ColumnType::*;
    // PostgreSQL's implicit casts between numbers only widen.
    let rank = |ty: &ColumnType| match ty {
        SmallInt => Some(0),
        Integer => Some(1),
        BigInt => Some(2),
        Decimal { .. } => Some(3),
        Real => Some(4),
        Double => Some(5),
        _ => None,
    };
    match (family(from), to) {
        (Family::String, Text | Varchar(None)) => true,
        (
            Family::Number,
            Decimal {
                precision: Some(_), ..
            },
        ) => false,
        (Family::Number, _) => rank(to).zip(rank(from)).is_some_and(|(t, f)| t >= f),
        _ => false,
    }
}

/// The range of values an integer type holds.
pub(crate) fn integer_range(ty: &ColumnType) -> Option<(i64, i64)> {
    match ty {
        ColumnType::SmallInt => Some((i16::MIN.into(), i16::MAX.into())),
        ColumnType::Integer => Some((i32::MIN.into(), i32::MAX.into())),
        ColumnType::BigInt => Some((i64::MIN, i64::MAX)),
        _ => None,
    }
}

/// `true` or `false` for a boolean default written as a number (`1`, `0`, `'1'`,
/// `'0'`), as SQLite and MySQL spell them; `None` for anything else.
pub(crate) fn boolean_word(expr: &str) -> Option<&'static str> {
    match expr.trim().trim_matches('\'') {
        "1" => Some("true"),
        "0" => Some("false"),
        _ => None,
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// Every portable type, with its PostgreSQL spelling and what `format_type`
    /// reports for a column of it.
    pub(crate) fn every_type() -> Vec<(ColumnType, &'static str, &'static str)> {
        let dec = |p, s| ColumnType::Decimal {
            precision: p,
            scale: s,
        };
        vec![
            (ColumnType::SmallInt, "SMALLINT", "smallint"),
            (ColumnType::Integer, "INTEGER", "integer"),
            (ColumnType::BigInt, "BIGINT", "bigint"),
            (ColumnType::Real, "REAL", "real"),
            (ColumnType::Double, "DOUBLE PRECISION", "double precision"),
            (dec(None, None), "NUMERIC", "numeric"),
            (dec(Some(10), None), "NUMERIC(10)", "numeric(10,0)"),
            (dec(Some(10), Some(2)), "NUMERIC(10, 2)", "numeric(10,2)"),
            (ColumnType::Boolean, "BOOLEAN", "boolean"),
            (ColumnType::Char(Some(3)), "CHAR(3)", "character(3)"),
            (ColumnType::Varchar(None), "VARCHAR", "character varying"),
            (
                ColumnType::Varchar(Some(20)),
                "VARCHAR(20)",
                "character varying(20)",
            ),
            (ColumnType::Text, "TEXT", "text"),
            (ColumnType::Blob, "BYTEA", "bytea"),
            (ColumnType::Date, "DATE", "date"),
            (ColumnType::Time, "TIME", "time without time zone"),
            (
                ColumnType::Timestamp,
                "TIMESTAMP",
                "timestamp without time zone",
            ),
            (
                ColumnType::TimestampTz,
                "TIMESTAMP WITH TIME ZONE",
                "timestamp with time zone",
            ),
            (ColumnType::Json, "JSON", "json"),
            (ColumnType::Uuid, "UUID", "uuid"),
            (ColumnType::Custom("JSONB".into()), "JSONB", "jsonb"),
            (ColumnType::Custom("INET".into()), "INET", "inet"),
            (
                ColumnType::Custom("TIMESTAMP(3)".into()),
                "TIMESTAMP(3)",
                "timestamp(3) without time zone",
            ),
            (
                ColumnType::Custom("INTEGER[]".into()),
                "INTEGER[]",
                "integer[]",
            ),
        ]
    }

    #[test]
    fn every_type_renders_parses_and_introspects_as_itself() {
        for (ty, sql, catalog) in every_type() {
            assert_eq!(render_type(&ty).as_deref(), Some(sql), "{ty:?}");
            assert_eq!(parse_type(sql, Dialect::Postgres), Ok(ty.clone()), "{sql}");
            assert_eq!(from_format_type(catalog), ty, "{catalog}");
        }
    }

    #[test]
    fn types_with_two_spellings_introspect_as_one() {
        // `CHAR` is `CHAR(1)` in PostgreSQL; the catalog cannot tell which was written.
        assert_eq!(
            render_type(&ColumnType::Char(None)).as_deref(),
            Some("CHAR")
        );
        assert_eq!(from_format_type("character(1)"), ColumnType::Char(Some(1)));
        assert_eq!(
            from_format_type("scratch.mood"),
            ColumnType::Custom("SCRATCH.MOOD".into())
        );
    }

    /// A SQLite-dialect migration's `STRICT` table is made without it here: `check`,
    /// which compares the option, must not call that drift.
    #[test]
    fn canonical_drops_strict_and_without_rowid() {
        let (schema, _) = wildebeest_sql::parse_schema(
            "CREATE TABLE t (id INTEGER PRIMARY KEY) STRICT, WITHOUT ROWID;",
            "schema.sql",
            Dialect::Sqlite,
        )
        .unwrap();
        assert!(schema.tables["t"].options.strict);
        let options = &canonical(&schema).tables["t"].options;
        assert!(!options.strict && !options.without_rowid);
    }

    /// The canonical model of a PostgreSQL schema file.
    fn parse(sql: &str) -> wildebeest_schema::Schema {
        canonical(
            &wildebeest_sql::parse_schema(sql, "schema.sql", Dialect::Postgres)
                .unwrap()
                .0,
        )
    }

    /// `pg_dump` writes an index or check with the casts PostgreSQL added
    /// (`(title)::text` on a `varchar` column, `'english'::regconfig`); the catalog's
    /// text without them must compare equal to the same schema written by hand.
    #[test]
    fn canonical_reads_pg_dump_casts_in_indexes_and_checks() {
        let dumped = parse(
            "CREATE TABLE t (id int, title character varying(50), n numeric, \
             CONSTRAINT t_chk CHECK ((((title)::text <> 'x'::text) AND (n > (0)::numeric))));
             CREATE INDEX t_fts ON t USING gin (to_tsvector('english'::regconfig, (title)::text));
             CREATE INDEX t_low ON t USING btree (lower((title)::text) DESC);
             CREATE INDEX t_pat ON t (lower((title)::text) text_pattern_ops);
             CREATE INDEX t_id ON t (id);",
        );
        let written = parse(
            "CREATE TABLE t (id int, title varchar(50), n numeric, \
             CONSTRAINT t_chk CHECK (title <> 'x' AND n > 0));
             CREATE INDEX t_fts ON t USING gin (to_tsvector('english', title));
             CREATE INDEX t_low ON t (lower(title) DESC NULLS FIRST);
             CREATE INDEX t_pat ON t (lower(title) text_pattern_ops);
             CREATE INDEX t_id ON t (id);",
        );
        assert_eq!(dumped, written);
        let parts = |name: &str| {
            written.tables["t"]
                .indexes
                .iter()
                .find(|i| i.name == name)
                .unwrap()
                .columns
                .clone()
        };
        assert_eq!(parts("t_fts"), ["to_tsvector('english', title)"]);
        assert_eq!(parts("t_low"), ["lower(title) DESC"]);
        assert_eq!(parts("t_pat"), ["lower(title) text_pattern_ops"]);
        // Read again, it stays: the database's side is read twice.
        assert_eq!(canonical(&written), written);
    }

    /// A cast that changes the value is no cast PostgreSQL adds: a model with it is
    /// another schema than one without.
    #[test]
    fn canonical_reads_a_views_columns_without_the_casts_the_server_adds() {
        let table =
            "CREATE TABLE actor (id integer, first_name varchar(45), last_name varchar(45));";
        let view = |query: &str| {
            let schema = canonical(&parse(&format!("{table} CREATE VIEW v AS {query};")));
            schema.views["v"].normalized.clone()
        };
        assert_eq!(
            view(
                "SELECT actor.id, ((actor.first_name)::text || ' '::text) || (actor.last_name)::text AS name FROM actor"
            ),
            view("SELECT actor.id, actor.first_name || ' ' || actor.last_name AS name FROM actor"),
        );
        // A cast the server would not add is the query's own.
        assert_ne!(
            view("SELECT (actor.id)::text AS id FROM actor"),
            view("SELECT actor.id AS id FROM actor"),
        );
        assert_ne!(
            view("SELECT (actor.first_name)::varchar(3) AS f FROM actor"),
            view("SELECT actor.first_name AS f FROM actor"),
        );
    }

    #[test]
    fn canonical_keeps_casts_that_change_a_value() {
        let plain = parse("CREATE TABLE t (p numeric(10, 2), s text); CREATE INDEX i ON t (p);");
        for changed in [
            "CREATE TABLE t (p numeric(10, 2), s text); CREATE INDEX i ON t ((p::integer));",
            "CREATE TABLE t (p numeric(10, 2), s text); CREATE INDEX i ON t ((s::varchar(2)));",
        ] {
            let changed = parse(changed);
            assert_ne!(changed.tables["t"].indexes, plain.tables["t"].indexes);
        }
    }

    #[test]
    fn a_column_without_a_type_has_no_postgres_spelling() {
        assert_eq!(render_type(&ColumnType::Custom(" ".into())), None);
    }

    #[test]
    fn foreign_types_become_postgres_types() {
        let custom = |s: &str| ColumnType::Custom(s.into());
        let cases = [
            (custom("DATETIME"), ColumnType::Timestamp),
            (custom("DATETIME(6)"), custom("TIMESTAMP(6)")),
            (custom(""), ColumnType::Text),
            (custom("LONGTEXT"), ColumnType::Text),
            (custom("MEDIUMBLOB"), ColumnType::Blob),
            (custom("GEOMETRY"), custom("GEOMETRY")),
            (ColumnType::Integer, ColumnType::Integer),
        ];
        for (from, to) in cases {
            assert_eq!(foreign_type(&from), to, "{from:?}");
        }
    }

    #[test]
    fn serial_types_follow_their_integer_type() {
        assert_eq!(
            serial_type(&ColumnType::BigInt),
            Some(ColumnType::Custom("BIGSERIAL".into()))
        );
        assert_eq!(serial_type(&ColumnType::Text), None);
    }
}
