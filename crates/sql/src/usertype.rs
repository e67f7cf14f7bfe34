//! PostgreSQL composite and range types: `CREATE TYPE name AS (attr type [COLLATE c],
//! ...)`, `CREATE TYPE name AS RANGE (SUBTYPE = t [, SUBTYPE_OPCLASS = o] [, COLLATION
//! = c] [, SUBTYPE_DIFF = f] [, MULTIRANGE_TYPE_NAME = m])` and `ALTER TYPE name {ADD
//! | DROP | ALTER} ATTRIBUTE ...`, read from their tokens (sqlparser reads no `ALTER
//! TYPE ... ATTRIBUTE`) into [`UserType`]s and [`AttributeAction`]s; a type and a
//! collation are read as a column's. `CANONICAL` (which needs a shell type and a C
//! function made before) and `RENAME ATTRIBUTE` are refused by name; so is either
//! kind of type in a schema file of another database.

use sqlparser::tokenizer::Token;
use wildebeest_schema::{Attribute, AttributeAction, Composite, Range, UserType};

use crate::Dialect;
use crate::domain::Tokens;
use crate::lex::{Pos, PosError};
use crate::split::Piece;

/// The refusal of a composite or range type on a database that has none.
pub(crate) fn no_types(dialect: Dialect, at: Pos) -> PosError {
    let db = match dialect {
        Dialect::Sqlite => "SQLite",
        Dialect::Mysql => "MySQL",
        Dialect::Postgres => "this database",
    };
    PosError::new(
        at,
        format!(
            "{db} has no composite or range types: `CREATE TYPE ... AS (...)`, `AS RANGE` \
             and `ALTER TYPE ... ATTRIBUTE` are PostgreSQL's"
        ),
    )
}

fn start_of(piece: &Piece) -> Pos {
    Pos {
        line: piece.line,
        column: piece.column,
    }
}

/// A type's name, with a qualifier that must be the managed schema (or `public`).
fn type_name(t: &mut Tokens<'_>, pg_schema: &str) -> Result<(String, Pos), PosError> {
    let (first, at) = t.name()?;
    if t.tokens.get(t.i).map(|x| &x.token) != Some(&Token::Period) {
        return Ok((first, at));
    }
    t.i += 1;
    let (name, _) = t.name()?;
    if first != pg_schema && first != "public" {
        return Err(PosError::new(
            at,
            format!(
                "type `{first}.{name}` is in schema `{first}`: wildebeest manages the objects \
                 of schema `{pg_schema}` only"
            ),
        ));
    }
    Ok((name, at))
}

/// A function's or operator class's name as the catalog names it: unqualified in
/// `pg_catalog`, the managed schema or `public`, else `schema.name`.
fn object_name(t: &mut Tokens<'_>, pg_schema: &str) -> Result<String, PosError> {
    let (first, _) = t.name()?;
    if t.tokens.get(t.i).map(|x| &x.token) != Some(&Token::Period) {
        return Ok(first);
    }
    t.i += 1;
    let (name, _) = t.name()?;
    if ["pg_catalog", "public", pg_schema].contains(&first.as_str()) {
        Ok(name)
    } else {
        Ok(format!("{first}.{name}"))
    }
}

/// The items of a list in tokens `from..to`, split at the commas outside parentheses.
fn items(t: &Tokens<'_>, from: usize, to: usize) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut depth = 0usize;
    let mut start = from;
    for j in from..to {
        match t.tokens[j].token {
            Token::LParen | Token::LBracket => depth += 1,
            Token::RParen | Token::RBracket => depth = depth.saturating_sub(1),
            Token::Comma if depth == 0 => {
                out.push((start, j));
                start = j + 1;
            }
            _ => {}
        }
    }
    if start < to {
        out.push((start, to));
    }
    out
}

/// `type [COLLATE c]` in tokens `t.i..end`, for attribute `name` of type `owner`.
fn attribute_type(
    t: &mut Tokens<'_>,
    end: usize,
    owner: &str,
    name: String,
    pg_schema: &str,
) -> Result<Attribute, PosError> {
    let type_at = t.pos(t.i);
    let cut = t.until(t.i, &["COLLATE"]).min(end);
    let ty = crate::types::parse_type(t.slice(t.i, cut), Dialect::Postgres).map_err(|e| {
        PosError::new(
            type_at,
            format!("attribute `{name}` of composite type `{owner}`: {e}"),
        )
    })?;
    t.i = cut;
    let collation = if t.eat("COLLATE") {
        Some(t.collation(pg_schema)?)
    } else {
        None
    };
    if t.i < end {
        return Err(PosError::new(
            t.pos(t.i),
            format!("attribute `{name}` of composite type `{owner}`: unexpected words"),
        ));
    }
    Ok(Attribute {
        name,
        ty,
        collation,
    })
}

/// A `CREATE TYPE ... AS (...)` or `... AS RANGE (...)`: the type and where its name
/// is. `None` for another kind of type (an enum, a base or shell type), which the
/// caller reads as before.
pub(crate) fn create_type(
    piece: &Piece,
    dialect: Dialect,
    pg_schema: &str,
) -> Result<Option<(UserType, Pos)>, PosError> {
    let mut t = Tokens::new(piece)?;
    t.expect("CREATE")?;
    t.expect("TYPE")?;
    let (name, at) = type_name(&mut t, pg_schema)?;
    if !t.eat("AS") {
        return Ok(None);
    }
    let range = t.eat("RANGE");
    if t.tokens.get(t.i).map(|x| &x.token) != Some(&Token::LParen) {
        return Ok(None);
    }
    if dialect != Dialect::Postgres {
        return Err(no_types(dialect, start_of(piece)));
    }
    let open = t.i;
    let close = t.closing(open)? - 1;
    if close + 1 != t.tokens.len() {
        return Err(PosError::new(
            t.pos(close + 1),
            format!("type `{name}`: unexpected words after the parenthesis"),
        ));
    }
    let list = items(&t, open + 1, close);
    if !range {
        let mut c = Composite {
            name: name.clone(),
            attributes: Vec::new(),
        };
        for (a, b) in list {
            t.i = a;
            let (attr, attr_at) = t.name()?;
            if c.attribute(&attr).is_some() {
                return Err(PosError::new(
                    attr_at,
                    format!("composite type `{name}` has the attribute `{attr}` twice"),
                ));
            }
            c.attributes
                .push(attribute_type(&mut t, b, &name, attr, pg_schema)?);
        }
        return Ok(Some((UserType::Composite(c), at)));
    }
    let mut r = Range {
        name: name.clone(),
        subtype: wildebeest_schema::ColumnType::Custom(String::new()),
        opclass: None,
        collation: None,
        subtype_diff: None,
        multirange: Range::default_multirange(&name),
    };
    let mut subtype = false;
    for (a, b) in list {
        let option_at = t.pos(a);
        let key = t.word_at(a).unwrap_or_default();
        if t.tokens.get(a + 1).map(|x| &x.token) != Some(&Token::Eq) {
            return Err(PosError::new(
                option_at,
                format!("range type `{name}`: expected `option = value`"),
            ));
        }
        t.i = a + 2;
        match key.as_str() {
            "SUBTYPE" => {
                r.subtype = crate::types::parse_type(t.slice(t.i, b), Dialect::Postgres)
                    .map_err(|e| PosError::new(t.pos(t.i), format!("range type `{name}`: {e}")))?;
                subtype = true;
                t.i = b;
            }
            "SUBTYPE_OPCLASS" => r.opclass = Some(object_name(&mut t, pg_schema)?),
            "COLLATION" => r.collation = Some(t.collation(pg_schema)?),
            "SUBTYPE_DIFF" => r.subtype_diff = Some(object_name(&mut t, pg_schema)?),
            "MULTIRANGE_TYPE_NAME" => r.multirange = type_name(&mut t, pg_schema)?.0,
            "CANONICAL" => {
                return Err(PosError::new(
                    option_at,
                    format!(
                        "range type `{name}`: a `CANONICAL` function is not modeled (it needs \
                         a shell type and a C function made before the range type); create \
                         the type in a migration written by hand (`wildebeest revision`)"
                    ),
                ));
            }
            _ => {
                return Err(PosError::new(
                    option_at,
                    format!(
                        "range type `{name}`: unknown option `{}`",
                        t.slice(a, a + 1)
                    ),
                ));
            }
        }
        if t.i != b {
            return Err(PosError::new(
                t.pos(t.i),
                format!("range type `{name}`: unexpected words in option `{key}`"),
            ));
        }
    }
    if !subtype {
        return Err(PosError::new(
            at,
            format!("range type `{name}` has no `SUBTYPE`"),
        ));
    }
    Ok(Some((UserType::Range(r), at)))
}

/// An `ALTER TYPE name {ADD | DROP | ALTER} ATTRIBUTE ..., ...`: the type's name,
/// where it is, and the actions in order. `None` for another `ALTER TYPE` (an enum's,
/// `OWNER TO`), which the caller reads as before; `RENAME ATTRIBUTE` is refused by
/// name. `CASCADE` and `RESTRICT` change only typed tables, which the model does not
/// hold.
pub(crate) fn alter_type(
    piece: &Piece,
    dialect: Dialect,
    pg_schema: &str,
) -> Result<Option<(String, Pos, Vec<AttributeAction>)>, PosError> {
    let mut t = Tokens::new(piece)?;
    t.expect("ALTER")?;
    t.expect("TYPE")?;
    let (name, at) = type_name(&mut t, pg_schema)?;
    let verb = t.word().unwrap_or_default();
    if t.word_at(t.i + 1).as_deref() != Some("ATTRIBUTE") {
        return Ok(None);
    }
    if dialect != Dialect::Postgres {
        return Err(no_types(dialect, start_of(piece)));
    }
    if verb == "RENAME" {
        return Err(PosError::new(
            t.pos(t.i),
            format!(
                "`ALTER TYPE {name} RENAME ATTRIBUTE` is not followed: drop the attribute and \
                 add the new one, or write the migration by hand (`wildebeest revision`)"
            ),
        ));
    }
    let mut actions = Vec::new();
    for (a, mut b) in items(&t, t.i, t.tokens.len()) {
        if matches!(t.word_at(b - 1).as_deref(), Some("CASCADE" | "RESTRICT")) {
            b -= 1;
        }
        t.i = a;
        let action_at = t.pos(a);
        let verb = t.word().unwrap_or_default();
        t.i += 1;
        if !t.eat("ATTRIBUTE") {
            return Err(PosError::new(
                action_at,
                format!(
                    "`ALTER TYPE {name}`: expected `ADD ATTRIBUTE`, `DROP ATTRIBUTE` or `ALTER \
                     ATTRIBUTE`"
                ),
            ));
        }
        let action = match verb.as_str() {
            "ADD" => {
                let (attr, _) = t.name()?;
                AttributeAction::Add(attribute_type(&mut t, b, &name, attr, pg_schema)?)
            }
            "DROP" => {
                let if_exists = t.eat("IF");
                if if_exists {
                    t.expect("EXISTS")?;
                }
                let (attr, _) = t.name()?;
                if t.i != b {
                    return Err(PosError::new(t.pos(t.i), "unexpected words after the name"));
                }
                AttributeAction::Drop {
                    name: attr,
                    if_exists,
                }
            }
            "ALTER" => {
                let (attr, _) = t.name()?;
                if t.eat("SET") {
                    t.expect("DATA")?;
                }
                t.expect("TYPE")?;
                AttributeAction::Alter(attribute_type(&mut t, b, &name, attr, pg_schema)?)
            }
            _ => {
                return Err(PosError::new(
                    action_at,
                    format!(
                        "`ALTER TYPE {name}`: only `ADD ATTRIBUTE`, `DROP ATTRIBUTE` and `ALTER \
                         ATTRIBUTE ... TYPE` are followed"
                    ),
                ));
            }
        };
        actions.push(action);
    }
    Ok(Some((name, at, actions)))
}

/// The names a `DROP TYPE [IF EXISTS] a, b` names, with where each is.
pub(crate) fn dropped_types(
    piece: &Piece,
    pg_schema: &str,
) -> Result<Vec<(String, Pos)>, PosError> {
    let mut t = Tokens::new(piece)?;
    t.expect("DROP")?;
    t.expect("TYPE")?;
    if t.eat("IF") {
        t.expect("EXISTS")?;
    }
    let mut names = vec![type_name(&mut t, pg_schema)?];
    while t.tokens.get(t.i).map(|x| &x.token) == Some(&Token::Comma) {
        t.i += 1;
        names.push(type_name(&mut t, pg_schema)?);
    }
    Ok(names)
}
