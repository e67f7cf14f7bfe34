//! One canonical text for an SQL expression.
//!
//! The text is sqlparser's `Display` of the parsed expression, after removing
//! parentheses that change nothing: all around the whole expression, and around an
//! operand that binds tighter than its operator in every supported dialect. So `(0)`
//! and `0` are one default, and PostgreSQL's `((a > 0) AND (b > 0))` is the check
//! `a > 0 AND b > 0` written in a file.

use sqlparser::ast::{BinaryOperator as B, Expr};

use crate::Dialect;
use crate::lex::{self, Pos, PosError};

/// The canonical text of a parsed expression.
/// In MySQL, also written as the server reports it (`crate::mysql::expr_text`).
pub(crate) fn canonical(expr: &Expr, dialect: Dialect) -> String {
    let text = simplify(expr.clone(), dialect).to_string();
    match dialect {
        Dialect::Mysql => crate::mysql::expr_text(&text),
        _ => text,
    }
}

/// Parses and canonicalizes `text` (see [`crate::normalize_expr`]).
pub(crate) fn normalize(text: &str, dialect: Dialect) -> Result<String, String> {
    if text.trim().is_empty() {
        return Err("empty expression".to_string());
    }
    let at = Pos { line: 1, column: 1 };
    let parse = |sd: &dyn sqlparser::dialect::Dialect| -> Result<Expr, PosError> {
        let tokens = lex::tokenize(text, at, dialect, sd)?;
        lex::parse_expr_tokens(sd, tokens, at, lex::end_of(text, at))
    };
    match parse(lex::sql_dialect(dialect)) {
        Ok(e) => Ok(canonical(&e, dialect)),
        Err(first) => match parse(lex::generic()) {
            Ok(e) => Ok(canonical(&e, dialect)),
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

fn strip(mut e: Expr) -> Expr {
    while let Expr::Nested(inner) = e {
        e = *inner;
    }
    e
}

/// Removes redundant parentheses at the top and below binary and unary operators.
fn simplify(e: Expr, dialect: Dialect) -> Expr {
    match strip(e) {
        Expr::BinaryOp { left, op, right } => {
            let left = operand(*left, &Parent::Binary(&op), dialect);
            let right = operand(*right, &Parent::Binary(&op), dialect);
            Expr::BinaryOp {
                left: Box::new(left),
                op,
                right: Box::new(right),
            }
        }
        Expr::UnaryOp { op, expr } => Expr::UnaryOp {
            op,
            expr: Box::new(operand(*expr, &Parent::Unary, dialect)),
        },
        Expr::Cast {
            kind,
            expr,
            data_type,
            format,
        } => Expr::Cast {
            kind,
            expr: Box::new(operand(*expr, &Parent::Unary, dialect)),
            data_type,
            format,
        },
        other => other,
    }
}

enum Parent<'a> {
    Binary(&'a B),
    Unary,
}

/// An operand of `parent`: simplified, and parenthesized only if it was and needs to be.
fn operand(e: Expr, parent: &Parent<'_>, dialect: Dialect) -> Expr {
    let was_nested = matches!(e, Expr::Nested(_));
    let inner = simplify(e, dialect);
    if was_nested && !binds_tighter(&inner, parent, dialect) {
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
    let Parent::Binary(parent) = parent else {
        return false;
    };
    // MySQL reads `||` as OR unless told otherwise.
    let concat_is_operator = dialect != Dialect::Mysql;
    match parent {
        B::And | B::Or => match inner {
            Expr::BinaryOp { op, .. } => {
                is_comparison(op)
                    || is_arithmetic(op)
                    || (concat_is_operator && *op == B::StringConcat)
                    || *op == B::And
                    || (**parent == B::Or && *op == B::Or)
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
