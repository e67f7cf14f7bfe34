//! PostgreSQL domains: `CREATE DOMAIN name [AS] type [COLLATE c] [DEFAULT expr]
//! [NOT NULL | NULL] [CONSTRAINT n] CHECK (expr) ...`, `DROP DOMAIN [IF EXISTS] a, b`
//! and `ALTER DOMAIN name { SET DEFAULT expr | DROP DEFAULT | SET NOT NULL | DROP NOT
//! NULL | ADD [CONSTRAINT n] CHECK (expr) | DROP CONSTRAINT [IF EXISTS] n }`, read
//! into [`Domain`]s and [`DomainAction`]s. sqlparser reads neither `NOT NULL` in a
//! domain nor `ALTER DOMAIN`, so the statements are read here from their tokens; the
//! type and the expressions are then read by sqlparser like a column's. Another
//! database has no domains: there they are refused by name.

use sqlparser::tokenizer::{Token, TokenWithSpan};
use wildebeest_schema::{Check, Domain, DomainAction};

use crate::Dialect;
use crate::lex::{self, Pos, PosError};
use crate::split::Piece;

/// The refusal of a domain on a database that has none.
pub(crate) fn no_domains(dialect: Dialect, at: Pos) -> PosError {
    let db = match dialect {
        Dialect::Sqlite => "SQLite",
        Dialect::Mysql => "MySQL",
        Dialect::Postgres => "this database",
    };
    PosError::new(
        at,
        format!(
            "{db} has no domains: `CREATE DOMAIN`, `ALTER DOMAIN` and `DROP DOMAIN` are \
             PostgreSQL's"
        ),
    )
}

/// The statement's tokens without white space, with the text they were read from.
pub(crate) struct Tokens<'a> {
    text: &'a str,
    pub(crate) tokens: Vec<TokenWithSpan>,
    start: Pos,
    pub(crate) i: usize,
}

impl<'a> Tokens<'a> {
    pub(crate) fn new(piece: &'a Piece) -> Result<Self, PosError> {
        let start = Pos {
            line: piece.line,
            column: piece.column,
        };
        let at = Pos { line: 1, column: 1 };
        let tokens = lex::tokenize(
            &piece.text,
            at,
            Dialect::Postgres,
            lex::sql_dialect(Dialect::Postgres),
        )
        .map_err(|e| PosError::new(start, e.message))?
        .into_iter()
        .filter(|t| !lex::is_trivia(&t.token) && t.token != Token::SemiColon)
        .collect();
        Ok(Tokens {
            text: &piece.text,
            tokens,
            start,
            i: 0,
        })
    }

    /// Where token `i` is in the file.
    pub(crate) fn pos(&self, i: usize) -> Pos {
        let Some(t) = self.tokens.get(i) else {
            return lex::end_of(self.text, self.start);
        };
        let line = usize::try_from(t.span.start.line).unwrap_or(1);
        let column = usize::try_from(t.span.start.column).unwrap_or(1);
        Pos {
            line: self.start.line + line - 1,
            column: if line == 1 {
                self.start.column + column - 1
            } else {
                column
            },
        }
    }

    /// The byte offset in the text of a location (1-based line and column in
    /// characters).
    pub(crate) fn offset(&self, line: u64, column: u64) -> usize {
        let mut off = 0;
        for (n, l) in self.text.split_inclusive('\n').enumerate() {
            if n + 1 == usize::try_from(line).unwrap_or(1) {
                let col = usize::try_from(column).unwrap_or(1).saturating_sub(1);
                return off + l.char_indices().nth(col).map_or(l.len(), |(b, _)| b);
            }
            off += l.len();
        }
        self.text.len()
    }

    /// The text of tokens `from..to`, as written.
    pub(crate) fn slice(&self, from: usize, to: usize) -> &'a str {
        if from >= to || from >= self.tokens.len() {
            return "";
        }
        let a = &self.tokens[from].span.start;
        let b = &self.tokens[to - 1].span.end;
        let (a, b) = (self.offset(a.line, a.column), self.offset(b.line, b.column));
        self.text.get(a..b).unwrap_or("").trim()
    }

    /// The upper-cased word at `i`, if it is an unquoted word.
    pub(crate) fn word_at(&self, i: usize) -> Option<String> {
        self.tokens.get(i).and_then(|t| lex::bare_word(&t.token))
    }

    pub(crate) fn word(&self) -> Option<String> {
        self.word_at(self.i)
    }

    /// Takes the word `w` when it comes next.
    pub(crate) fn eat(&mut self, w: &str) -> bool {
        if self.word().as_deref() == Some(w) {
            self.i += 1;
            true
        } else {
            false
        }
    }

    pub(crate) fn expect(&mut self, w: &str) -> Result<(), PosError> {
        if self.eat(w) {
            Ok(())
        } else {
            Err(PosError::new(self.pos(self.i), format!("expected `{w}`")))
        }
    }

    pub(crate) fn done(&self) -> bool {
        self.i >= self.tokens.len()
    }

    /// A name, folded as PostgreSQL folds it: an unquoted one in lower case.
    pub(crate) fn name(&mut self) -> Result<(String, Pos), PosError> {
        let at = self.pos(self.i);
        match self.tokens.get(self.i).map(|t| &t.token) {
            Some(Token::Word(w)) => {
                self.i += 1;
                let name = if w.quote_style.is_some() {
                    w.value.clone()
                } else {
                    w.value.to_lowercase()
                };
                Ok((name, at))
            }
            _ => Err(PosError::new(at, "expected a name")),
        }
    }

    /// A domain's name, with a qualifier that must be the managed schema (or
    /// `public`).
    pub(crate) fn domain_name(&mut self, pg_schema: &str) -> Result<(String, Pos), PosError> {
        let (first, at) = self.name()?;
        if self.tokens.get(self.i).map(|t| &t.token) != Some(&Token::Period) {
            return Ok((first, at));
        }
        self.i += 1;
        let (name, _) = self.name()?;
        if first != pg_schema && first != "public" {
            return Err(PosError::new(
                at,
                format!(
                    "domain `{first}.{name}` is in schema `{first}`: wildebeest manages the \
                     objects of schema `{pg_schema}` only"
                ),
            ));
        }
        Ok((name, at))
    }

    /// A collation's name as the catalog reads it: unqualified when it is
    /// `pg_catalog`'s or the managed schema's (pg_dump writes `pg_catalog."C"`),
    /// else `schema.name`.
    pub(crate) fn collation(&mut self, pg_schema: &str) -> Result<String, PosError> {
        let (first, _) = self.name()?;
        if self.tokens.get(self.i).map(|t| &t.token) != Some(&Token::Period) {
            return Ok(first);
        }
        self.i += 1;
        let (name, _) = self.name()?;
        if first == "pg_catalog" || first == pg_schema {
            Ok(name)
        } else {
            Ok(format!("{first}.{name}"))
        }
    }

    /// The index after the parenthesis that closes the one at `open`.
    pub(crate) fn closing(&self, open: usize) -> Result<usize, PosError> {
        let mut depth = 0usize;
        for (j, t) in self.tokens.iter().enumerate().skip(open) {
            match t.token {
                Token::LParen | Token::LBracket => depth += 1,
                Token::RParen | Token::RBracket => {
                    depth = depth.saturating_sub(1);
                    if depth == 0 {
                        return Ok(j + 1);
                    }
                }
                _ => {}
            }
        }
        Err(PosError::new(self.pos(open), "unclosed parenthesis"))
    }

    /// The index of the first token from `from` at parenthesis depth 0 that starts a
    /// clause of a domain (one of `stops`), or the end.
    pub(crate) fn until(&self, from: usize, stops: &[&str]) -> usize {
        let mut depth = 0usize;
        for (j, t) in self.tokens.iter().enumerate().skip(from) {
            match t.token {
                Token::LParen | Token::LBracket => depth += 1,
                Token::RParen | Token::RBracket => depth = depth.saturating_sub(1),
                _ if depth == 0
                    && j > from
                    && self.word_at(j).is_some_and(|w| stops.contains(&w.as_str())) =>
                {
                    return j;
                }
                _ => {}
            }
        }
        self.tokens.len()
    }

    /// `CHECK (expr)`, after the `CHECK`: the normalized expression.
    pub(crate) fn check_expr(&mut self) -> Result<String, PosError> {
        let open = self.i;
        if self.tokens.get(open).map(|t| &t.token) != Some(&Token::LParen) {
            return Err(PosError::new(self.pos(open), "expected `(` after `CHECK`"));
        }
        let end = self.closing(open)?;
        let text = self.slice(open + 1, end - 1);
        let at = self.pos(open + 1);
        self.i = end;
        expression(text, at)
    }
}

/// An expression of a domain, normalized as a column's is.
fn expression(text: &str, at: Pos) -> Result<String, PosError> {
    crate::normalize_expr(text, Dialect::Postgres)
        .map_err(|e| PosError::new(at, format!("cannot read `{}`: {e}", crate::excerpt(text))))
}

/// The clauses after a domain's type, in any order.
const CLAUSES: &[&str] = &["COLLATE", "DEFAULT", "CONSTRAINT", "NOT", "NULL", "CHECK"];

/// A `CREATE DOMAIN`: the domain and where its name is. A check without a name gets
/// the one PostgreSQL gives it ([`Domain::unnamed_check_name`]).
pub(crate) fn create_domain(
    piece: &Piece,
    dialect: Dialect,
    pg_schema: &str,
) -> Result<(Domain, Pos), PosError> {
    let start = Pos {
        line: piece.line,
        column: piece.column,
    };
    if dialect != Dialect::Postgres {
        return Err(no_domains(dialect, start));
    }
    let mut t = Tokens::new(piece)?;
    t.expect("CREATE")?;
    t.expect("DOMAIN")?;
    let (name, at) = t.domain_name(pg_schema)?;
    t.eat("AS");
    let type_at = t.pos(t.i);
    let type_end = t.until(t.i, CLAUSES);
    let type_text = t.slice(t.i, type_end);
    let base = crate::types::parse_type(type_text, Dialect::Postgres)
        .map_err(|e| PosError::new(type_at, format!("domain `{name}`: {e}")))?;
    t.i = type_end;
    let mut domain = Domain {
        name: name.clone(),
        base,
        collation: None,
        default: None,
        not_null: false,
        checks: Vec::new(),
    };
    let mut null_said = None;
    while !t.done() {
        let clause_at = t.pos(t.i);
        if t.eat("COLLATE") {
            domain.collation = Some(t.collation(pg_schema)?);
        } else if t.eat("DEFAULT") {
            let end = t.until(t.i, CLAUSES);
            let text = t.slice(t.i, end);
            let default = expression(text, t.pos(t.i))?;
            t.i = end;
            domain.default = Some(default).filter(|d| d != "NULL");
        } else {
            let cname = if t.eat("CONSTRAINT") {
                Some(t.name()?.0)
            } else {
                None
            };
            let not_null = if t.eat("NOT") {
                t.expect("NULL")?;
                Some(true)
            } else if t.eat("NULL") {
                Some(false)
            } else {
                None
            };
            if let Some(not_null) = not_null {
                if null_said.is_some_and(|n| n != not_null) {
                    return Err(PosError::new(
                        clause_at,
                        format!("domain `{name}` says both `NULL` and `NOT NULL`"),
                    ));
                }
                null_said = Some(not_null);
                domain.not_null = not_null;
                continue;
            }
            if !t.eat("CHECK") {
                return Err(PosError::new(
                    clause_at,
                    format!(
                        "domain `{name}`: expected `COLLATE`, `DEFAULT`, `NOT NULL`, `NULL` \
                         or `CHECK (...)`"
                    ),
                ));
            }
            let expr = t.check_expr()?;
            if t.word().as_deref() == Some("NOT") && t.word_at(t.i + 1).as_deref() == Some("VALID")
            {
                return Err(PosError::new(
                    t.pos(t.i),
                    "`NOT VALID` is for `ALTER DOMAIN ... ADD CONSTRAINT` only",
                ));
            }
            let cname = cname.unwrap_or_else(|| domain.unnamed_check_name());
            if domain.check(&cname).is_some() {
                return Err(PosError::new(
                    clause_at,
                    format!("domain `{name}` has two constraints named `{cname}`"),
                ));
            }
            domain.checks.push(Check {
                no_inherit: false,
                written: Default::default(),
                name: Some(cname),
                expr,
            });
        }
    }
    domain.checks.sort_by(|a, b| a.name.cmp(&b.name));
    Ok((domain, at))
}

/// A `DROP DOMAIN`: the names, where each is, and whether it said `IF EXISTS`.
/// `CASCADE` drops the columns of the domain's type, which the model cannot follow.
pub(crate) fn drop_domain(
    piece: &Piece,
    dialect: Dialect,
    pg_schema: &str,
) -> Result<(Vec<(String, Pos)>, bool), PosError> {
    let start = Pos {
        line: piece.line,
        column: piece.column,
    };
    if dialect != Dialect::Postgres {
        return Err(no_domains(dialect, start));
    }
    let mut t = Tokens::new(piece)?;
    t.expect("DROP")?;
    t.expect("DOMAIN")?;
    let if_exists = t.eat("IF");
    if if_exists {
        t.expect("EXISTS")?;
    }
    let mut names = vec![t.domain_name(pg_schema)?];
    while t.tokens.get(t.i).map(|x| &x.token) == Some(&Token::Comma) {
        t.i += 1;
        names.push(t.domain_name(pg_schema)?);
    }
    if t.eat("CASCADE") {
        return Err(PosError::new(
            t.pos(t.i - 1),
            "`DROP DOMAIN ... CASCADE` drops the columns of the domain's type, which \
             wildebeest cannot follow; drop or change those columns first, then the \
             domain without `CASCADE`",
        ));
    }
    t.eat("RESTRICT");
    if !t.done() {
        return Err(PosError::new(
            t.pos(t.i),
            "unexpected words after the names",
        ));
    }
    Ok((names, if_exists))
}

/// An `ALTER DOMAIN`: the domain's name, where it is, and the action; `None` for
/// `OWNER TO`, which changes nothing the model holds. Other forms (renames, `SET
/// SCHEMA`, `VALIDATE CONSTRAINT`, `NOT VALID` checks) are refused by name.
pub(crate) fn alter_domain(
    piece: &Piece,
    dialect: Dialect,
    pg_schema: &str,
) -> Result<Option<(String, Pos, DomainAction)>, PosError> {
    let start = Pos {
        line: piece.line,
        column: piece.column,
    };
    if dialect != Dialect::Postgres {
        return Err(no_domains(dialect, start));
    }
    let mut t = Tokens::new(piece)?;
    t.expect("ALTER")?;
    t.expect("DOMAIN")?;
    let (name, at) = t.domain_name(pg_schema)?;
    let action_at = t.pos(t.i);
    let action = if t.eat("OWNER") {
        return Ok(None);
    } else if t.eat("SET") {
        if t.eat("DEFAULT") {
            let text = t.slice(t.i, t.tokens.len());
            let expr = expression(text, t.pos(t.i))?;
            t.i = t.tokens.len();
            if expr == "NULL" {
                DomainAction::DropDefault
            } else {
                DomainAction::SetDefault(expr)
            }
        } else if t.eat("NOT") {
            t.expect("NULL")?;
            DomainAction::SetNotNull
        } else {
            return Err(unfollowed(action_at, &name));
        }
    } else if t.eat("DROP") {
        if t.eat("DEFAULT") {
            DomainAction::DropDefault
        } else if t.eat("NOT") {
            t.expect("NULL")?;
            DomainAction::DropNotNull
        } else if t.eat("CONSTRAINT") {
            let if_exists = t.eat("IF");
            if if_exists {
                t.expect("EXISTS")?;
            }
            let (cname, _) = t.name()?;
            if t.eat("CASCADE") {
                return Err(PosError::new(
                    t.pos(t.i - 1),
                    "`DROP CONSTRAINT ... CASCADE` of a domain is not followed; leave out \
                     `CASCADE`",
                ));
            }
            t.eat("RESTRICT");
            DomainAction::DropConstraint {
                name: cname,
                if_exists,
            }
        } else {
            return Err(unfollowed(action_at, &name));
        }
    } else if t.eat("ADD") {
        let cname = if t.eat("CONSTRAINT") {
            Some(t.name()?.0)
        } else {
            None
        };
        if !t.eat("CHECK") {
            return Err(unfollowed(action_at, &name));
        }
        let expr = t.check_expr()?;
        if t.eat("NOT") {
            return Err(PosError::new(
                t.pos(t.i - 1),
                format!(
                    "domain `{name}`: a `NOT VALID` check holds for new values only, which \
                     the model cannot hold; add it without `NOT VALID`"
                ),
            ));
        }
        DomainAction::AddCheck(Check {
            no_inherit: false,
            written: Default::default(),
            name: cname,
            expr,
        })
    } else {
        return Err(unfollowed(action_at, &name));
    };
    if !t.done() {
        return Err(PosError::new(
            t.pos(t.i),
            "unexpected words after the action",
        ));
    }
    Ok(Some((name, at, action)))
}

/// The refusal of an `ALTER DOMAIN` form the model does not follow.
fn unfollowed(at: Pos, name: &str) -> PosError {
    PosError::new(
        at,
        format!(
            "`ALTER DOMAIN {name}`: only `SET DEFAULT`, `DROP DEFAULT`, `SET NOT NULL`, \
             `DROP NOT NULL`, `ADD [CONSTRAINT n] CHECK (...)`, `DROP CONSTRAINT n` and \
             `OWNER TO` are followed; make any other change by dropping the domain and \
             creating it again"
        ),
    )
}
