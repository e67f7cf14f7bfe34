//! One canonical text for an SQL expression.
//!
//! The text is sqlparser's `Display` of the parsed expression, after removing
//! parentheses that change nothing: all around the whole expression, around a
//! function's argument, around an operand that binds tighter than its operator in
//! every supported dialect, and around the left operand of an operator of the same
//! precedence (all of them group to the left). So `(0)` and `0` are one default,
//! PostgreSQL's `((a > 0) AND (b > 0))` is the check `a > 0 AND b > 0` written in a
//! file, and its `lower((a || b) || c)` is `lower(a || b || c)`.
//!
//! [`normalize_stored`] also writes what PostgreSQL stores in another form the way its
//! catalog prints it back (see [`crate::normalize_stored_expr`]).

use sqlparser::ast::{
    BinaryOperator as B, DataType, Expr, FunctionArg, FunctionArgExpr, FunctionArguments,
    TrimWhereField, Value, ValueWithSpan,
};

use crate::Dialect;
use crate::lex::{self, Pos, PosError};

/// How far an expression is rewritten.
#[derive(Clone, Copy)]
struct Cx {
    dialect: Dialect,
    /// Written as the catalog keeps it (see [`normalize_stored`]).
    stored: bool,
}

/// The canonical text of a parsed expression.
/// In MySQL, also written as the server reports it (`crate::mysql::expr_text`).
pub(crate) fn canonical(expr: &Expr, dialect: Dialect) -> String {
    let cx = Cx {
        dialect,
        stored: false,
    };
    let text = simplify(expr.clone(), cx).to_string();
    match dialect {
        Dialect::Mysql => crate::mysql::expr_text(&text),
        _ => text,
    }
}

/// Parses and canonicalizes `text` (see [`crate::normalize_expr`]).
pub(crate) fn normalize(text: &str, dialect: Dialect) -> Result<String, String> {
    normalize_with(text, dialect, false)
}

/// [`normalize`], then in PostgreSQL the forms its catalog does not keep written as it
/// prints them back: `x BETWEEN a AND b` is `x >= a AND x <= b` (`NOT BETWEEN` is
/// `x < a OR x > b`), `TRIM(BOTH FROM x)` is `TRIM(x)`, and a typed literal
/// (`INTERVAL '14 days'`, `DATE '2020-01-01'`) or a bit string (`B'0101'`, `X'5'`) is
/// its string (`'0101'`), as a cast of a literal is once PostgreSQL's casts are
/// dropped.
pub(crate) fn normalize_stored(text: &str, dialect: Dialect) -> Result<String, String> {
    normalize_with(text, dialect, dialect == Dialect::Postgres)
}

fn normalize_with(text: &str, dialect: Dialect, stored: bool) -> Result<String, String> {
    if text.trim().is_empty() {
        return Err("empty expression".to_string());
    }
    let at = Pos { line: 1, column: 1 };
    let parse = |sd: &dyn sqlparser::dialect::Dialect| -> Result<Expr, PosError> {
        let tokens = lex::tokenize(text, at, dialect, sd)?;
        lex::parse_expr_tokens(sd, tokens, at, lex::end_of(text, at))
    };
    let canonical = |e: Expr| match stored {
        false => canonical(&e, dialect),
        true if dialect == Dialect::Postgres => {
            requote_names(&simplify(e, Cx { dialect, stored }).to_string())
        }
        true => simplify(e, Cx { dialect, stored }).to_string(),
    };
    match parse(lex::sql_dialect(dialect)) {
        Ok(e) => Ok(canonical(e)),
        Err(first) => match parse(lex::generic()) {
            Ok(e) => Ok(canonical(e)),
            Err(_) => Err(format!(
                "cannot read expression `{}`: {} (line {}, column {})",
                crate::excerpt(text),
                first.message,
                first.pos.line,
                first.pos.column
            )),
        },
    }
}

/// PostgreSQL expression text with every `"quoted"` name written as PostgreSQL prints
/// it back (`quote_ident`: bare when that reads the same, `"b"` as `b`), so that a
/// schema file's needlessly quoted name compares equal with the catalog's text.
/// Strings (`'...'`, and `E'...'` with its backslash escapes) are copied as they are.
fn requote_names(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        match c {
            '\'' => {
                let escapes = text[..i].ends_with(['E', 'e']);
                out.push(c);
                while let Some((_, d)) = chars.next() {
                    out.push(d);
                    if d == '\\' && escapes {
                        if let Some((_, e)) = chars.next() {
                            out.push(e);
                        }
                    } else if d == '\'' {
                        if chars.peek().map(|&(_, e)| e) == Some('\'') {
                            chars.next();
                            out.push('\'');
                        } else {
                            break;
                        }
                    }
                }
            }
            '"' => {
                let mut name = String::new();
                let mut closed = false;
                while let Some((_, d)) = chars.next() {
                    if d == '"' {
                        if chars.peek().map(|&(_, e)| e) == Some('"') {
                            chars.next();
                            name.push('"');
                        } else {
                            closed = true;
                            break;
                        }
                    } else {
                        name.push(d);
                    }
                }
                if closed {
                    out.push_str(&crate::quote::quote_ident(&name, Dialect::Postgres));
                } else {
                    // Not a name: left as it was.
                    out.push('"');
                    out.push_str(&name.replace('"', "\"\""));
                }
            }
            c => out.push(c),
        }
    }
    out
}

fn strip(mut e: Expr) -> Expr {
    while let Expr::Nested(inner) = e {
        e = *inner;
    }
    e
}

/// [`simplify`] without the rewrites of the catalog's forms: the parentheses that
/// change nothing removed.
pub(crate) fn without_parentheses(e: Expr, dialect: Dialect) -> Expr {
    simplify(
        e,
        Cx {
            dialect,
            stored: false,
        },
    )
}

/// Removes redundant parentheses at the top and below operators, casts, function
/// calls, `POSITION`, `TRIM` and `COLLATE`; with `cx.stored`, also rewrites what
/// [`normalize_stored`] says.
fn simplify(e: Expr, cx: Cx) -> Expr {
    match strip(e) {
        Expr::BinaryOp { left, op, right } => {
            let (left, right) = match cx.stored && is_arithmetic(&op) {
                true => (interval_cast(*left), interval_cast(*right)),
                false => (*left, *right),
            };
            let left = operand(left, &Parent::Left(&op), cx);
            let right = operand(right, &Parent::Right(&op), cx);
            Expr::BinaryOp {
                left: Box::new(left),
                op,
                right: Box::new(right),
            }
        }
        Expr::UnaryOp { op, expr } => Expr::UnaryOp {
            op,
            expr: Box::new(operand(*expr, &Parent::Unary, cx)),
        },
        Expr::Cast {
            kind,
            expr,
            data_type,
            format,
        } => Expr::Cast {
            kind,
            expr: Box::new(operand(*expr, &Parent::Unary, cx)),
            data_type: match cx.dialect {
                Dialect::Postgres => unqualified_public(zone_spelling(data_type)),
                _ => data_type,
            },
            format,
        },
        Expr::Collate { expr, collation } => Expr::Collate {
            expr: Box::new(operand(*expr, &Parent::Unary, cx)),
            collation,
        },
        Expr::Function(mut f) => {
            // `public.f(x)` (pg_dump qualifies every call) is `f(x)`: the model has one
            // schema, whose routines are named unqualified, as the catalog prints a
            // call of one on the search path.
            if cx.dialect == Dialect::Postgres
                && f.name.0.len() == 2
                && f.name.0[0]
                    .as_ident()
                    .is_some_and(|q| q.value == "public" && q.quote_style.is_none())
            {
                f.name.0.remove(0);
            }
            // An argument is delimited by the commas and brackets around it.
            if let FunctionArguments::List(list) = &mut f.args {
                for arg in &mut list.args {
                    let (FunctionArg::Unnamed(FunctionArgExpr::Expr(e))
                    | FunctionArg::Named {
                        arg: FunctionArgExpr::Expr(e),
                        ..
                    }
                    | FunctionArg::ExprNamed {
                        arg: FunctionArgExpr::Expr(e),
                        ..
                    }) = arg
                    else {
                        continue;
                    };
                    *e = simplify(
                        std::mem::replace(e, Expr::value(sqlparser::ast::Value::Null)),
                        cx,
                    );
                }
            }
            Expr::Function(f)
        }
        Expr::Position { expr, r#in } => Expr::Position {
            expr: Box::new(operand(*expr, &Parent::Unary, cx)),
            r#in: Box::new(operand(*r#in, &Parent::Unary, cx)),
        },
        Expr::Trim {
            expr,
            trim_where,
            trim_what,
            trim_characters,
        } => {
            let trim_where = match trim_where {
                Some(TrimWhereField::Both)
                    if cx.stored && trim_what.is_none() && trim_characters.is_none() =>
                {
                    None
                }
                other => other,
            };
            Expr::Trim {
                expr: Box::new(operand(*expr, &Parent::Unary, cx)),
                trim_where,
                trim_what: trim_what.map(|w| Box::new(operand(*w, &Parent::Unary, cx))),
                trim_characters,
            }
        }
        Expr::Between {
            expr,
            negated,
            low,
            high,
        } if cx.stored => {
            let (lo, hi, join) = match negated {
                false => (B::GtEq, B::LtEq, B::And),
                true => (B::Lt, B::Gt, B::Or),
            };
            let nested = |e: Expr| Box::new(Expr::Nested(Box::new(e)));
            let compare = |op: B, bound: Box<Expr>| Expr::BinaryOp {
                left: nested((*expr).clone()),
                op,
                right: nested(*bound),
            };
            simplify(
                Expr::BinaryOp {
                    left: nested(compare(lo, low)),
                    op: join,
                    right: nested(compare(hi, high)),
                },
                cx,
            )
        }
        Expr::Interval(i)
            if cx.stored
                && i.leading_field.is_none()
                && i.last_field.is_none()
                && matches!(*i.value, Expr::Value(_)) =>
        {
            *i.value
        }
        Expr::TypedString(ts) if cx.stored => Expr::Value(ts.value),
        Expr::Value(v) if cx.stored => match bit_string(&v.value) {
            Some(bits) => Expr::Value(ValueWithSpan {
                value: Value::SingleQuotedString(bits),
                span: v.span,
            }),
            None => Expr::Value(v),
        },
        other => other,
    }
}

/// A date and time type in one spelling, as pg_dump writes a cast to it: `timestamp`
/// and `time` for the ones `without time zone`, `... with time zone` for
/// `timestamptz` and `timetz`. They are one type each to PostgreSQL.
fn zone_spelling(ty: sqlparser::ast::DataType) -> sqlparser::ast::DataType {
    use sqlparser::ast::{DataType as D, TimezoneInfo as Z};
    match ty {
        D::Timestamp(p, Z::WithoutTimeZone) => D::Timestamp(p, Z::None),
        D::Timestamp(p, Z::Tz) => D::Timestamp(p, Z::WithTimeZone),
        D::Time(p, Z::WithoutTimeZone) => D::Time(p, Z::None),
        D::Time(p, Z::Tz) => D::Time(p, Z::WithTimeZone),
        other => other,
    }
}

/// A type of the `public` schema without its qualifier (pg_dump's
/// `'ok'::public.mood`): the model has one schema, whose types are named
/// unqualified, as a call of one of its functions is (a migration run in a managed
/// schema other than `public` would not find `public.mood`).
fn unqualified_public(ty: DataType) -> DataType {
    match ty {
        DataType::Custom(mut name, modifiers)
            if name.0.len() == 2
                && name.0[0]
                    .as_ident()
                    .is_some_and(|q| q.value == "public" && q.quote_style.is_none()) =>
        {
            name.0.remove(0);
            DataType::Custom(name, modifiers)
        }
        other => other,
    }
}

/// The bits of a bit-string literal, `B'0101'` or `X'5'`, as PostgreSQL's catalog
/// prints it back (`'0101'::"bit"`, the cast dropped): `0101`. `None` for any other
/// value, or a hexadecimal one with a digit that is none.
fn bit_string(value: &Value) -> Option<String> {
    match value {
        Value::SingleQuotedByteStringLiteral(bits) => Some(bits.clone()),
        Value::HexStringLiteral(hex) => hex
            .chars()
            .map(|c| c.to_digit(16).map(|d| format!("{d:04b}")))
            .collect(),
        _ => None,
    }
}

enum Parent<'a> {
    Left(&'a B),
    Right(&'a B),
    Unary,
}

/// An operand of `parent`: simplified, and parenthesized only if it was and needs to be.
/// A `BETWEEN` that [`normalize_stored`] makes two comparisons counts as parenthesized.
fn operand(e: Expr, parent: &Parent<'_>, cx: Cx) -> Expr {
    let was_nested =
        matches!(e, Expr::Nested(_)) || (cx.stored && matches!(e, Expr::Between { .. }));
    let inner = simplify(e, cx);
    if was_nested && !binds_tighter(&inner, parent, cx.dialect) {
        Expr::Nested(Box::new(inner))
    } else {
        inner
    }
}

/// Whether `inner` keeps its meaning without parentheses as an operand of `parent`.
fn binds_tighter(inner: &Expr, parent: &Parent<'_>, dialect: Dialect) -> bool {
    if is_atom(inner) {
        return true;
    }
    let (parent, left) = match parent {
        Parent::Left(op) => (*op, true),
        Parent::Right(op) => (*op, false),
        Parent::Unary => return false,
    };
    // MySQL reads `||` as OR unless told otherwise.
    let concat_is_operator = dialect != Dialect::Mysql;
    // Operators of one precedence group to the left: `(a - b) + c` is `a - b + c`.
    // PostgreSQL's comparisons do not associate at all.
    if let (true, Expr::BinaryOp { op, .. }) = (left, inner) {
        let level = |op: &B| match op {
            B::Plus | B::Minus => Some(1),
            B::Multiply | B::Divide | B::Modulo => Some(2),
            B::StringConcat if concat_is_operator => Some(3),
            _ => None,
        };
        if level(op).is_some() && level(op) == level(parent) {
            return true;
        }
    }
    match parent {
        B::And | B::Or => match inner {
            Expr::BinaryOp { op, .. } => {
                is_comparison(op)
                    || is_arithmetic(op)
                    || (concat_is_operator && *op == B::StringConcat)
                    || *op == B::And
                    || (*parent == B::Or && *op == B::Or)
            }
            Expr::UnaryOp { op, .. } => *op == sqlparser::ast::UnaryOperator::Not,
            Expr::IsNull(_)
            | Expr::IsNotNull(_)
            | Expr::IsTrue(_)
            | Expr::IsNotTrue(_)
            | Expr::IsFalse(_)
            | Expr::IsNotFalse(_)
            | Expr::IsDistinctFrom(..)
            | Expr::IsNotDistinctFrom(..)
            | Expr::InList { .. }
            | Expr::InSubquery { .. }
            | Expr::Between { .. }
            | Expr::Like { .. }
            | Expr::ILike { .. }
            | Expr::SimilarTo { .. } => true,
            _ => false,
        },
        op if is_comparison(op) => match inner {
            Expr::BinaryOp { op, .. } => {
                is_arithmetic(op) || (concat_is_operator && *op == B::StringConcat)
            }
            // A signed operand: `x > (-1)` is `x > -1`.
            Expr::UnaryOp { op, .. } => matches!(
                op,
                sqlparser::ast::UnaryOperator::Minus | sqlparser::ast::UnaryOperator::Plus
            ),
            _ => false,
        },
        B::Plus | B::Minus => matches!(
            inner,
            Expr::BinaryOp {
                op: B::Multiply | B::Divide | B::Modulo,
                ..
            }
        ),
        _ => false,
    }
}

fn is_comparison(op: &B) -> bool {
    matches!(op, B::Eq | B::NotEq | B::Lt | B::LtEq | B::Gt | B::GtEq)
}

/// An interval literal in arithmetic (`now() - INTERVAL '1 day'`) as PostgreSQL
/// prints it back, `'1 day'::interval`: unlike a literal on its own, whose type the
/// column or the other operand gives, its type is what makes the operator, and the
/// text without it (`now() - '1 day'`) is refused by the server. Anything else as
/// it is.
fn interval_cast(e: Expr) -> Expr {
    let interval = DataType::Interval {
        fields: None,
        precision: None,
    };
    match e {
        Expr::Interval(i)
            if i.leading_field.is_none()
                && i.last_field.is_none()
                && matches!(*i.value, Expr::Value(_)) =>
        {
            Expr::Cast {
                kind: sqlparser::ast::CastKind::DoubleColon,
                expr: i.value,
                data_type: interval,
                format: None,
            }
        }
        Expr::TypedString(ts) if ts.data_type == interval => Expr::Cast {
            kind: sqlparser::ast::CastKind::DoubleColon,
            expr: Box::new(Expr::Value(ts.value)),
            data_type: interval,
            format: None,
        },
        other => other,
    }
}

fn is_arithmetic(op: &B) -> bool {
    matches!(op, B::Plus | B::Minus | B::Multiply | B::Divide | B::Modulo)
}

/// Expressions that print as one unit: a name, a literal, a call, a bracketed form.
fn is_atom(e: &Expr) -> bool {
    matches!(
        e,
        Expr::Identifier(_)
            | Expr::CompoundIdentifier(_)
            | Expr::Value(_)
            | Expr::TypedString(_)
            | Expr::Function(_)
            | Expr::Cast { .. }
            | Expr::Case { .. }
            | Expr::Subquery(_)
            | Expr::Nested(_)
    )
}
