//! PostgreSQL's deparsed expressions read back into the spelling `schema.sql` uses.
//!
//! The catalog does not keep an expression as written: it keeps the parsed tree and
//! prints it with every implicit cast spelled out and every operator spelled its own
//! way. `CHECK (status IN ('a', 'b'))` on a `VARCHAR` column comes back as
//! `((status)::text = ANY ((ARRAY['a'::character varying, 'b'::character varying])::text[]))`,
//! `DEFAULT -1` as `'-1'::integer`, `lower(email)` as `lower((email)::text)`. This
//! module undoes what PostgreSQL added, on tokens, before the text is normalized like
//! any other expression:
//!
//! - a cast of a literal goes (`'a'::text` is `'a'`, `(0)::numeric` is `0`, and
//!   `'-1'::integer` is `-1`);
//! - a cast of a column that PostgreSQL makes on its own goes, as `pg_dump` prints it
//!   (`(email)::text`) and as a model's normalized text has it (`email::TEXT`): a
//!   string column to `text` or unbounded `varchar` (`(email)::text` for a `VARCHAR`
//!   column), a number column to a number type as wide or wider (`(qty)::numeric`
//!   for an `INTEGER` one, not `(price)::integer` for a `NUMERIC` one, which rounds);
//!   so do casts of literal arrays;
//! - `x = ANY (ARRAY[..])` is `x IN (..)`, `x <> ALL (ARRAY[..])` is `x NOT IN (..)`;
//! - a list of one, `x IN (a)` or `x NOT IN (a)`, is `x = a` or `x <> a`, as PostgreSQL
//!   stores it, when it is the whole expression;
//! - `~~` and `~~*` are `LIKE` and `ILIKE` (and `!~~`, `!~~*` their negations);
//! - `TRIM(BOTH FROM x)` is `TRIM(x)`.
//!
//! What it cannot read back (`BETWEEN`, which PostgreSQL keeps as two comparisons) stays
//! as PostgreSQL prints it; `canonical` writes a model's that way
//! (`wildebeest_sql::normalize_stored_expr`).

use wildebeest_schema::ColumnType;

use crate::types;

/// One token, or a bracketed group of them.
#[derive(Debug, Clone, PartialEq)]
enum Tok {
    /// A string literal, quotes (and an `E` prefix) included.
    Str(String),
    Num(String),
    /// A name or keyword, quotes included.
    Word(String),
    /// An operator or punctuation.
    Sym(String),
    /// `(...)` or `[...]`.
    Group(char, Vec<Node>),
}

#[derive(Debug, Clone, PartialEq)]
struct Node {
    tok: Tok,
    /// White space before the token.
    space: bool,
}

/// Undoes what PostgreSQL adds when it prints `expr` (see the module documentation).
/// `type_of` tells a column's type, by name. Text it cannot read is returned as it is.
pub(crate) fn simplify(expr: &str, type_of: &dyn Fn(&str) -> Option<ColumnType>) -> String {
    let chars: Vec<char> = expr.chars().collect();
    let mut pos = 0;
    let Some(nodes) = tokens(&chars, &mut pos, None) else {
        return expr.to_string();
    };
    let nodes = rewrite(nodes, type_of);
    let mut out = String::new();
    write(&nodes, &mut out);
    out.trim().to_string()
}

/// Tokens up to the closing bracket `close` (or the end when `None`); `None` when the
/// text leaves a bracket or quote open or closes one it did not open.
fn tokens(chars: &[char], pos: &mut usize, close: Option<char>) -> Option<Vec<Node>> {
    let mut out = Vec::new();
    let mut space = false;
    while *pos < chars.len() {
        let c = chars[*pos];
        let next = chars.get(*pos + 1).copied();
        if c.is_whitespace() {
            space = true;
            *pos += 1;
            continue;
        }
        let tok = match c {
            ')' | ']' => {
                *pos += 1;
                return (Some(c) == close).then_some(out);
            }
            '(' | '[' => {
                *pos += 1;
                let inner = tokens(chars, pos, Some(if c == '(' { ')' } else { ']' }))?;
                Tok::Group(c, inner)
            }
            '\'' => Tok::Str(quoted(chars, pos, false)?),
            'E' | 'e' if next == Some('\'') => {
                *pos += 1;
                Tok::Str(format!("{c}{}", quoted(chars, pos, true)?))
            }
            '"' => Tok::Word(quoted(chars, pos, false)?),
            c if c.is_ascii_digit() || (c == '.' && next.is_some_and(|n| n.is_ascii_digit())) => {
                let start = *pos;
                while *pos < chars.len() {
                    let d = chars[*pos];
                    let exponent_sign =
                        matches!(d, '+' | '-') && matches!(chars.get(*pos - 1), Some('e' | 'E'));
                    if d.is_ascii_alphanumeric() || d == '.' || exponent_sign {
                        *pos += 1;
                    } else {
                        break;
                    }
                }
                Tok::Num(chars[start..*pos].iter().collect())
            }
            c if c.is_alphabetic() || c == '_' => {
                let start = *pos;
                while *pos < chars.len()
                    && (chars[*pos].is_alphanumeric() || matches!(chars[*pos], '_' | '$'))
                {
                    *pos += 1;
                }
                Tok::Word(chars[start..*pos].iter().collect())
            }
            ',' | '.' | ';' => {
                *pos += 1;
                Tok::Sym(c.to_string())
            }
            ':' if next == Some(':') => {
                *pos += 2;
                Tok::Sym("::".into())
            }
            _ => {
                let start = *pos;
                while *pos < chars.len() && "+-*/<>=~!@#%^&|`?:".contains(chars[*pos]) {
                    *pos += 1;
                }
                if *pos == start {
                    *pos += 1;
                }
                Tok::Sym(chars[start..*pos].iter().collect())
            }
        };
        out.push(Node { tok, space });
        space = false;
    }
    close.is_none().then_some(out)
}

/// A quoted string or name from the quote at `pos` to its closing quote, included; a
/// doubled quote stands for itself, and with `backslash` a backslash escapes the next
/// character.
fn quoted(chars: &[char], pos: &mut usize, backslash: bool) -> Option<String> {
    let q = chars[*pos];
    let start = *pos;
    *pos += 1;
    while *pos < chars.len() {
        let c = chars[*pos];
        if backslash && c == '\\' {
            *pos += 2;
            continue;
        }
        *pos += 1;
        if c == q {
            if chars.get(*pos) == Some(&q) {
                *pos += 1;
                continue;
            }
            return Some(chars[start..*pos].iter().collect());
        }
    }
    None
}

/// The words that continue a type name after its first word (`character varying`,
/// `double precision`, `timestamp with time zone`).
const TYPE_WORDS: [&str; 6] = ["varying", "precision", "with", "without", "time", "zone"];

/// The rewrites of the module documentation, inside groups first.
fn rewrite(nodes: Vec<Node>, type_of: &dyn Fn(&str) -> Option<ColumnType>) -> Vec<Node> {
    rewrite_in(nodes, false, false, type_of)
}

/// [`rewrite`] of a sequence; `args` when it is a function's arguments (`POSITION(a IN
/// b)`), where `IN` is no list; `cast_after` when it is a group cast as a whole
/// (`('now'::text)::date`), where a literal's cast that ends it is kept.
fn rewrite_in(
    nodes: Vec<Node>,
    args: bool,
    cast_after: bool,
    type_of: &dyn Fn(&str) -> Option<ColumnType>,
) -> Vec<Node> {
    let mut after_word = false;
    let casts: Vec<bool> = (0..nodes.len())
        .map(|k| matches!(nodes.get(k + 1).map(|n| &n.tok), Some(Tok::Sym(s)) if s == "::"))
        .collect();
    let nodes: Vec<Node> = nodes
        .into_iter()
        .zip(casts)
        .map(|(n, cast)| {
            let call = after_word && !n.space;
            after_word = matches!(n.tok, Tok::Word(_));
            match n.tok {
                Tok::Group(open, inner) => Node {
                    tok: Tok::Group(open, rewrite_in(inner, call, cast, type_of)),
                    space: n.space,
                },
                _ => n,
            }
        })
        .collect();
    let nodes = drop_casts(nodes, cast_after, type_of);
    let nodes = like_operators(nodes);
    let nodes = trim_both(nodes);
    let nodes = any_to_in(nodes);
    if args {
        nodes
    } else {
        in_one_to_comparison(nodes)
    }
}

/// `TRIM(BOTH FROM x)`, which is how PostgreSQL prints `trim(x)`, as `TRIM(x)`.
fn trim_both(mut nodes: Vec<Node>) -> Vec<Node> {
    let word = |n: Option<&Node>, w: &str| matches!(n.map(|n| &n.tok), Some(Tok::Word(x)) if x.eq_ignore_ascii_case(w));
    for i in 1..nodes.len() {
        if !word(nodes.get(i - 1), "trim") {
            continue;
        }
        if let Tok::Group('(', inner) = &mut nodes[i].tok
            && inner.len() > 2
            && word(inner.first(), "both")
            && word(inner.get(1), "from")
        {
            inner.drain(..2);
            inner[0].space = false;
        }
    }
    nodes
}

/// Removes the casts PostgreSQL adds (see the module documentation). A string's
/// cast that is cast again (`'now'::text::date`, or the last of a group that is:
/// `cast_after`) stays: the string is read as the first type when the expression
/// is made, and converted to the second each time it runs, which the string cast
/// straight to the second type is not (`'now'::date` is the day it was made).
fn drop_casts(
    nodes: Vec<Node>,
    cast_after: bool,
    type_of: &dyn Fn(&str) -> Option<ColumnType>,
) -> Vec<Node> {
    let mut out: Vec<Node> = Vec::with_capacity(nodes.len());
    let mut i = 0;
    while i < nodes.len() {
        let is_cast = matches!(&nodes[i].tok, Tok::Sym(s) if s == "::");
        if let (true, Some(operand)) = (is_cast, out.last()) {
            // `lower(x)::text` casts the call, not a parenthesized `(x)`.
            let call = matches!(
                operand,
                Node {
                    tok: Tok::Group(..),
                    space: false
                }
            ) && out.len() > 1
                && matches!(out[out.len() - 2].tok, Tok::Word(_));
            let (end, ty) = type_extent(&nodes, i + 1);
            let recast = match nodes.get(end) {
                Some(Node {
                    tok: Tok::Sym(s), ..
                }) => s == "::",
                None => cast_after,
                _ => false,
            };
            let converted = recast && matches!(operand.tok, Tok::Str(_));
            // An interval in arithmetic (`now() - '1 day'::interval`) keeps its cast:
            // its type makes the operator (see `wildebeest_sql::normalize_stored_expr`).
            let arithmetic = |n: Option<&Node>| matches!(n, Some(Node { tok: Tok::Sym(s), .. }) if ["+", "-", "*", "/"].contains(&s.as_str()));
            let interval_operand = matches!(operand.tok, Tok::Str(_))
                && ty.eq_ignore_ascii_case("interval")
                && (arithmetic(out.len().checked_sub(2).and_then(|k| out.get(k)))
                    || arithmetic(nodes.get(end)));
            if let Some(replacement) = (!call && !converted && !interval_operand)
                .then(|| without_cast(operand, &ty, type_of))
                .flatten()
            {
                out.pop();
                out.extend(replacement);
                i = end;
                continue;
            }
        }
        out.push(nodes[i].clone());
        i += 1;
    }
    out
}

/// Where the type name starting at `start` ends, and its text.
fn type_extent(nodes: &[Node], start: usize) -> (usize, String) {
    let mut i = start;
    let mut text = String::new();
    let word = |n: &Node| match &n.tok {
        Tok::Word(w) => Some(w.clone()),
        _ => None,
    };
    // A qualified name: `public.mood`.
    while let Some(w) = nodes.get(i).and_then(word) {
        text.push_str(&w);
        i += 1;
        if matches!(nodes.get(i).map(|n| &n.tok), Some(Tok::Sym(s)) if s == ".") {
            text.push('.');
            i += 1;
        } else {
            break;
        }
    }
    while let Some(w) = nodes
        .get(i)
        .and_then(word)
        .filter(|w| TYPE_WORDS.contains(&w.to_ascii_lowercase().as_str()))
    {
        text.push(' ');
        text.push_str(&w);
        i += 1;
    }
    if let Some(Node {
        tok: Tok::Group('(', inner),
        space: false,
    }) = nodes.get(i)
    {
        let mut s = String::new();
        write(inner, &mut s);
        text.push_str(&format!("({})", s.trim()));
        i += 1;
    }
    while let Some(Node {
        tok: Tok::Group('[', inner),
        ..
    }) = nodes.get(i)
    {
        if !inner.is_empty() {
            break;
        }
        text.push_str("[]");
        i += 1;
    }
    (i, text)
}

/// What stands for `operand` without its cast to `ty`, when PostgreSQL added the
/// cast; `None` keeps the cast.
fn without_cast(
    operand: &Node,
    ty: &str,
    type_of: &dyn Fn(&str) -> Option<ColumnType>,
) -> Option<Vec<Node>> {
    // `bpchar` is `character` without a length, which a type name cannot say.
    let target = match ty.eq_ignore_ascii_case("bpchar") {
        true => ColumnType::Text,
        false => types::from_format_type(ty),
    };
    let number = types::family(&target) == types::Family::Number;
    let one = |tok: Tok| {
        Some(vec![Node {
            tok,
            space: operand.space,
        }])
    };
    // A column, bare (`title::TEXT`, as a model's text has it) or parenthesized
    // (`(title)::text`, as PostgreSQL prints it).
    let column = |w: &str| {
        let from = type_of(&unquote(w))?;
        types::implicit_cast(&from, &target).then(|| one(Tok::Word(w.to_string())))?
    };
    match &operand.tok {
        Tok::Str(s) => match s.strip_prefix('\'').and_then(|r| r.strip_suffix('\'')) {
            Some(n) if number && is_number(n) => one(Tok::Num(n.to_string())),
            _ => Some(vec![operand.clone()]),
        },
        // `0::NUMERIC`, as a model's normalized expression prints `(0)::numeric`.
        Tok::Num(_) if number => Some(vec![operand.clone()]),
        Tok::Word(w) => column(w),
        Tok::Group('(', inner) => match inner.as_slice() {
            [
                Node {
                    tok: Tok::Num(n), ..
                },
            ] => one(Tok::Num(n.clone())),
            [
                Node {
                    tok: Tok::Word(w), ..
                },
            ] => column(w),
            [
                Node {
                    tok: Tok::Word(array),
                    ..
                },
                Node {
                    tok: Tok::Group('[', items),
                    space: false,
                },
            ] if array.eq_ignore_ascii_case("ARRAY") && items.iter().all(is_literal) => {
                let mut nodes = inner.clone();
                nodes[0].space = operand.space;
                Some(nodes)
            }
            _ => None,
        },
        _ => None,
    }
}

/// A number as a string literal holds it: `-1`, `1.5`, `1e3`.
fn is_number(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '.' | '-' | '+' | 'e' | 'E'))
        && s.parse::<f64>().is_ok()
}

/// A literal or a comma between literals, as an `ARRAY[...]` of constants holds.
fn is_literal(n: &Node) -> bool {
    match &n.tok {
        Tok::Str(_) | Tok::Num(_) => true,
        Tok::Sym(s) => s == "," || s == "-",
        Tok::Word(w) => ["true", "false", "null"].contains(&w.to_ascii_lowercase().as_str()),
        Tok::Group(..) => false,
    }
}

fn unquote(w: &str) -> String {
    match w.strip_prefix('"').and_then(|r| r.strip_suffix('"')) {
        Some(inner) => inner.replace("\"\"", "\""),
        None => w.to_ascii_lowercase(),
    }
}

/// `~~` as `LIKE`, `~~*` as `ILIKE`, `!~~` as `NOT LIKE`, `!~~*` as `NOT ILIKE`.
fn like_operators(nodes: Vec<Node>) -> Vec<Node> {
    nodes
        .into_iter()
        .map(|n| match &n.tok {
            Tok::Sym(s) => {
                let word = match s.as_str() {
                    "~~" => "LIKE",
                    "~~*" => "ILIKE",
                    "!~~" => "NOT LIKE",
                    "!~~*" => "NOT ILIKE",
                    _ => return n,
                };
                Node {
                    tok: Tok::Word(word.into()),
                    space: true,
                }
            }
            _ => n,
        })
        .collect()
}

/// `x = ANY (ARRAY[a, b])` as `x IN (a, b)` and `x <> ALL (ARRAY[a, b])` as
/// `x NOT IN (a, b)`, when that is the whole sequence (PostgreSQL parenthesizes each
/// operator expression, so `x` is everything before the operator).
fn any_to_in(nodes: Vec<Node>) -> Vec<Node> {
    let n = nodes.len();
    if n < 4 {
        return nodes;
    }
    let (Tok::Sym(op), Tok::Word(quantifier), Tok::Group('(', inner)) =
        (&nodes[n - 3].tok, &nodes[n - 2].tok, &nodes[n - 1].tok)
    else {
        return nodes;
    };
    let word = match (op.as_str(), quantifier.to_ascii_uppercase().as_str()) {
        ("=", "ANY") => "IN",
        ("<>", "ALL") => "NOT IN",
        _ => return nodes,
    };
    let items = match inner.as_slice() {
        [
            Node {
                tok: Tok::Word(array),
                ..
            },
            Node {
                tok: Tok::Group('[', items),
                space: false,
            },
        ] if array.eq_ignore_ascii_case("ARRAY") && !items.is_empty() => items.clone(),
        _ => return nodes,
    };
    let mut out: Vec<Node> = nodes[..n - 3].to_vec();
    out.push(Node {
        tok: Tok::Word(word.into()),
        space: true,
    });
    out.push(Node {
        tok: Tok::Group('(', items),
        space: true,
    });
    out
}

/// `x IN (a)` as `x = a` and `x NOT IN (a)` as `x <> a`, as PostgreSQL stores a list
/// of one, when that is the whole sequence; a subquery (`x IN (SELECT ...)`) stays.
fn in_one_to_comparison(nodes: Vec<Node>) -> Vec<Node> {
    let n = nodes.len();
    if n < 3 {
        return nodes;
    }
    let (Tok::Word(word), Tok::Group('(', items)) = (&nodes[n - 2].tok, &nodes[n - 1].tok) else {
        return nodes;
    };
    let one = !items.is_empty()
        && !items
            .iter()
            .any(|i| matches!(&i.tok, Tok::Sym(s) if s == ","))
        && !matches!(&items[0].tok, Tok::Word(w)
            if ["select", "values", "with"].iter().any(|k| w.eq_ignore_ascii_case(k)));
    if !one || !word.eq_ignore_ascii_case("IN") {
        return nodes;
    }
    let negated = matches!(&nodes[n - 3].tok, Tok::Word(w) if w.eq_ignore_ascii_case("NOT"));
    let (prefix, op) = if negated {
        (&nodes[..n - 3], "<>")
    } else {
        (&nodes[..n - 2], "=")
    };
    if prefix.is_empty() {
        return nodes;
    }
    let mut out = prefix.to_vec();
    out.push(Node {
        tok: Tok::Sym(op.into()),
        space: true,
    });
    let mut items = items.clone();
    items[0].space = true;
    out.extend(items);
    out
}

fn write(nodes: &[Node], out: &mut String) {
    for n in nodes {
        if n.space {
            out.push(' ');
        }
        match &n.tok {
            Tok::Str(s) | Tok::Num(s) | Tok::Word(s) | Tok::Sym(s) => out.push_str(s),
            Tok::Group(open, inner) => {
                out.push(*open);
                write(inner, out);
                out.push(if *open == '(' { ')' } else { ']' });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn families(name: &str) -> Option<ColumnType> {
        match name {
            "status" | "name" => Some(ColumnType::Varchar(Some(20))),
            "code" => Some(ColumnType::Char(Some(2))),
            "price" => Some(ColumnType::Decimal {
                precision: Some(10),
                scale: Some(2),
            }),
            "qty" | "a" => Some(ColumnType::Integer),
            "at" => Some(ColumnType::Timestamp),
            _ => None,
        }
    }

    #[test]
    fn casts_postgres_adds_are_removed() {
        let cases = [
            ("'open'::character varying", "'open'"),
            ("'-1'::integer", "-1"),
            ("'-1.5'::numeric", "-1.5"),
            ("'1e3'::double precision", "1e3"),
            ("'x'::text", "'x'"),
            ("'{}'::jsonb", "'{}'"),
            ("'happy'::public.mood", "'happy'"),
            (
                "'2000-01-01 00:00:00'::timestamp without time zone",
                "'2000-01-01 00:00:00'",
            ),
            ("'it''s'::character varying(20)", "'it''s'"),
            ("E'a\\'b'::text", "E'a\\'b'"),
            ("(price > (0)::numeric)", "(price > 0)"),
            ("lower((name)::text)", "lower(name)"),
            ("((qty)::numeric > 1.5)", "(qty > 1.5)"),
            ("((status)::text = 'open'::text)", "(status = 'open')"),
            // A cast to another family is the user's own.
            ("((name)::integer > 0)", "((name)::integer > 0)"),
            ("((at)::date = CURRENT_DATE)", "((at)::date = CURRENT_DATE)"),
            ("((other)::text = 'x'::text)", "((other)::text = 'x')"),
            ("nextval('t_id_seq'::regclass)", "nextval('t_id_seq')"),
            ("(code = 'ab'::bpchar)", "(code = 'ab')"),
            ("(ARRAY[1, 2])::integer[]", "ARRAY[1, 2]"),
        ];
        for (pg, want) in cases {
            assert_eq!(simplify(pg, &families), want, "{pg}");
        }
    }

    /// `pg_dump` prints an index or check as the catalog does, with the casts
    /// PostgreSQL added; a model read from it normalizes `(title)::text` as
    /// `title::TEXT`. Both are the expression written without them.
    #[test]
    fn implicit_casts_of_bare_columns_and_function_arguments_are_removed() {
        let cases = [
            ("lower(name::TEXT)", "lower(name)"),
            ("lower(\"name\"::text)", "lower(\"name\")"),
            ("code::TEXT || name::VARCHAR", "code || name"),
            ("qty::BIGINT + qty::NUMERIC", "qty + qty"),
            (
                "to_tsvector('english'::regconfig, (name)::text)",
                "to_tsvector('english', name)",
            ),
            (
                "to_tsvector('english'::regconfig, name::TEXT)",
                "to_tsvector('english', name)",
            ),
            (
                "name::TEXT <> 'x' AND price > 0::NUMERIC",
                "name <> 'x' AND price > 0",
            ),
        ];
        for (pg, want) in cases {
            assert_eq!(simplify(pg, &families), want, "{pg}");
        }
    }

    /// A cast PostgreSQL would not add changes the value; it stays.
    #[test]
    fn casts_that_change_a_value_are_kept() {
        for text in [
            // Narrower numbers round or overflow.
            "price::INTEGER > 0",
            "(price)::integer > 0",
            "(qty)::smallint > 0",
            "price::NUMERIC(5, 1) > 0",
            // A bounded string truncates.
            "name::VARCHAR(3) = 'abc'",
            "(name)::character(1) = 'a'",
            // Another family.
            "name::INTEGER > 0",
            "at::DATE = CURRENT_DATE",
            // The cast of a call, not of a parenthesized column.
            "lower(name)::INTEGER > 0",
            "lower(name)::TEXT",
            // Not a column of the table.
            "other::TEXT = 'x'",
            // A string read as text, converted to a date each time it runs.
            "('now'::text)::date",
            "'now'::TEXT::DATE",
        ] {
            assert_eq!(simplify(text, &families), text);
        }
    }

    #[test]
    fn any_and_all_over_arrays_are_in_lists() {
        let cases = [
            (
                "((status)::text = ANY ((ARRAY['open'::character varying, 'closed'::character varying])::text[]))",
                "(status IN ('open', 'closed'))",
            ),
            ("(a = ANY (ARRAY[1, 2, 3]))", "(a IN (1, 2, 3))"),
            // A list of one is stored as a comparison.
            ("s IN ('x')", "s = 'x'"),
            ("s NOT IN ('x')", "s <> 'x'"),
            ("(s = ANY (ARRAY['x'::text]))", "(s = 'x')"),
            ("s IN (SELECT 1)", "s IN (SELECT 1)"),
            (
                "(POSITION(('@'::text) IN (email)) > 1)",
                "(POSITION(('@') IN (email)) > 1)",
            ),
            (
                "(status <> ALL (ARRAY['q'::text]))",
                "(status NOT IN ('q'))",
            ),
            // Not a list of constants: left as it is.
            ("(a = ANY (b))", "(a = ANY (b))"),
            ("(a > ANY (ARRAY[1]))", "(a > ANY (ARRAY[1]))"),
        ];
        for (pg, want) in cases {
            assert_eq!(simplify(pg, &families), want, "{pg}");
        }
    }

    #[test]
    fn like_operators_are_words() {
        assert_eq!(
            simplify(
                "((name ~~ 'a%'::text) OR (name !~~* 'b%'::text))",
                &families
            ),
            "((name LIKE 'a%') OR (name NOT ILIKE 'b%'))"
        );
    }

    #[test]
    fn text_it_cannot_read_is_kept() {
        for text in ["(a", "a)", "'open", "\"x", "a]"] {
            assert_eq!(simplify(text, &families), text);
        }
    }
}
