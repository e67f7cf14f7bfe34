//! MySQL's partitioning, which sqlparser does not read, read from the tokens: the
//! `PARTITION BY ...` clause of a `CREATE TABLE` (plain, or in mysqldump's versioned
//! comment `/*!50100 PARTITION BY ... */`, which `parse::strip_partitioning` cuts off
//! the statement) and of `ALTER TABLE t PARTITION BY ...`, and the `ALTER TABLE`
//! actions on partitions (`ADD PARTITION`, `DROP PARTITION`, `REORGANIZE PARTITION`,
//! `REMOVE PARTITIONING`). `SHOW CREATE TABLE` prints the clause the same way, so
//! MySQL's inspection reads it here too ([`crate::mysql_partitioning`]): one reading,
//! one normalized form ([`MysqlPartitioning`]).
//!
//! What the model does not hold is refused by name: subpartitions, a partition's
//! options but `ENGINE=InnoDB` (`COMMENT`, `DATA DIRECTORY`, ...), `KEY ALGORITHM=`,
//! and the actions `COALESCE`, `EXCHANGE`, `DISCARD` and `IMPORT PARTITION`.

use sqlparser::tokenizer::{Token, TokenWithSpan};
use wildebeest_schema::{MysqlPartition, MysqlPartitionChange, MysqlPartitioning};

use crate::Dialect;
use crate::lex::{self, Pos, PosError};
use crate::split::Piece;

/// The actions on partitions that change nothing the model holds: they run as
/// written (`TRUNCATE PARTITION` empties one, which the data-loss guard asks about).
const MAINTENANCE: &[&str] = &[
    "ANALYZE", "CHECK", "OPTIMIZE", "REBUILD", "REPAIR", "TRUNCATE",
];

/// The actions on partitions the model does not follow.
const UNFOLLOWED: &[&str] = &["COALESCE", "EXCHANGE", "DISCARD", "IMPORT"];

/// The tokens of `text` without white space, comments and a trailing `;`.
fn tokens(text: &str, at: Pos) -> Result<Vec<TokenWithSpan>, PosError> {
    Ok(
        lex::tokenize(text, at, Dialect::Mysql, lex::sql_dialect(Dialect::Mysql))?
            .into_iter()
            .filter(|t| !lex::is_trivia(&t.token) && t.token != Token::SemiColon)
            .collect(),
    )
}

/// `PARTITION BY ...` (`text` starts at its `PARTITION`; a versioned comment's
/// `/*!50100` and `*/` around it are taken off) at `at`, normalized.
pub(crate) fn read_clause(text: &str, at: Pos) -> Result<MysqlPartitioning, PosError> {
    let text = unwrap_comment(text);
    let toks = tokens(&text, at)?;
    let mut r = Reader {
        toks: &toks,
        i: 0,
        start: at,
    };
    let p = r.clause()?;
    r.end()?;
    Ok(p)
}

/// `text` without a versioned comment's `/*!NNNNN` before it and `*/` after it.
fn unwrap_comment(text: &str) -> String {
    let t = text.trim();
    match t.strip_prefix("/*!") {
        Some(rest) => {
            let rest = rest.trim_start_matches(|c: char| c.is_ascii_digit());
            let rest = rest.trim_end().trim_end_matches(';').trim_end();
            let rest = rest.strip_suffix("*/").unwrap_or(rest);
            // Same length before the clause, so positions stay near enough: the
            // comment's opening is blanked.
            format!("{}{rest}", " ".repeat(text.len() - text.trim_start().len()))
        }
        None => text.to_string(),
    }
}

/// What [`read_alter`] reads: the table, where its name is, and the change.
pub(crate) type AlterPartitions = (String, Pos, MysqlPartitionChange);

/// A MySQL `ALTER TABLE` whose action is about partitions: the table and the
/// change, `Ok(None)` for an action that changes nothing the model holds
/// (`TRUNCATE PARTITION`, `OPTIMIZE PARTITION`, ...). `None` when the statement
/// has no such action.
pub(crate) fn read_alter(piece: &Piece) -> Option<Result<Option<AlterPartitions>, PosError>> {
    let start = Pos {
        line: piece.line,
        column: piece.column,
    };
    let toks = tokens(&piece.text, start).ok()?;
    let words: Vec<Option<String>> = toks.iter().map(|t| lex::bare_word(&t.token)).collect();
    let word = |i: usize| words.get(i).and_then(|w| w.as_deref());
    if word(0) != Some("ALTER") {
        return None;
    }
    // The first action about partitions, at depth 0.
    let mut depth = 0usize;
    let mut found = None;
    for (i, tok) in toks.iter().enumerate() {
        match tok.token {
            Token::LParen => depth += 1,
            Token::RParen => depth = depth.saturating_sub(1),
            _ if depth == 0 => {
                let next = word(i + 1);
                let hit = match word(i) {
                    Some("PARTITION") => next == Some("BY"),
                    Some("REMOVE") => next == Some("PARTITIONING"),
                    Some(w) => {
                        next == Some("PARTITION")
                            && (["ADD", "DROP", "REORGANIZE"].contains(&w)
                                || MAINTENANCE.contains(&w)
                                || UNFOLLOWED.contains(&w))
                    }
                    None => false,
                };
                if hit {
                    found = Some(i);
                    break;
                }
            }
            _ => {}
        }
    }
    let at = found?;
    let pos = |i: usize| toks.get(i).map_or(start, |t| lex::pos_of(t.span, start));
    Some((|| {
        let mut t = 1;
        while matches!(word(t), Some("ONLINE" | "IGNORE")) {
            t += 1;
        }
        if word(t) != Some("TABLE") {
            return Err(PosError::new(pos(t), "expected `TABLE`"));
        }
        let Some(Token::Word(name)) = toks.get(t + 1).map(|x| &x.token) else {
            return Err(PosError::new(pos(t + 1), "expected the table's name"));
        };
        if toks.get(t + 2).map(|x| &x.token) == Some(&Token::Period) {
            return Err(PosError::new(
                pos(t + 1),
                format!(
                    "table `{}` is qualified with a database: only the managed database's \
                     tables are followed",
                    name.value
                ),
            ));
        }
        if at != t + 2 {
            return Err(PosError::new(
                pos(at),
                format!(
                    "an `ALTER TABLE {}` that changes the table and its partitions in one \
                     statement is not followed; write the partitioning in a statement of \
                     its own",
                    name.value
                ),
            ));
        }
        let mut r = Reader {
            toks: &toks,
            i: at,
            start,
        };
        let action = word(at).unwrap_or_default().to_string();
        let change = match action.as_str() {
            "PARTITION" => MysqlPartitionChange::By(r.clause()?),
            "REMOVE" => {
                r.i += 2;
                MysqlPartitionChange::Remove
            }
            "ADD" => {
                r.i += 2;
                if r.is("PARTITIONS") {
                    return Err(r.error(
                        "`ADD PARTITION PARTITIONS n` (more partitions of a hash or key) is \
                         not followed; write the table's whole `PARTITION BY ... PARTITIONS n`",
                    ));
                }
                MysqlPartitionChange::Add(r.definitions(None)?)
            }
            "DROP" => {
                r.i += 2;
                if r.is("IF") {
                    return Err(r.error("`DROP PARTITION IF EXISTS` is not followed"));
                }
                MysqlPartitionChange::Drop(r.names()?)
            }
            "REORGANIZE" => {
                r.i += 2;
                if r.is("INTO") {
                    return Err(r.error(
                        "`REORGANIZE PARTITION INTO` without the partitions' names is not \
                         followed; name the partitions it reorganizes",
                    ));
                }
                let from = r.names()?;
                r.expect("INTO")?;
                MysqlPartitionChange::Reorganize {
                    from,
                    into: r.definitions(None)?,
                }
            }
            w if MAINTENANCE.contains(&w) => return Ok(None),
            w => {
                return Err(PosError::new(
                    pos(at),
                    format!(
                        "`{w} PARTITION` is not followed: the schema model holds a table's \
                         partitions, not where their rows come from"
                    ),
                ));
            }
        };
        r.end()?;
        Ok(Some((name.value.clone(), pos(t + 1), change)))
    })())
}

struct Reader<'a> {
    toks: &'a [TokenWithSpan],
    i: usize,
    start: Pos,
}

impl<'a> Reader<'a> {
    fn is(&self, w: &str) -> bool {
        self.toks
            .get(self.i)
            .and_then(|t| lex::bare_word(&t.token))
            .is_some_and(|x| x == w)
    }

    fn pos(&self) -> Pos {
        self.toks
            .get(self.i)
            .or(self.toks.last())
            .map_or(self.start, |t| lex::pos_of(t.span, self.start))
    }

    fn error(&self, message: impl Into<String>) -> PosError {
        PosError::new(self.pos(), message)
    }

    fn expect(&mut self, w: &str) -> Result<(), PosError> {
        if self.is(w) {
            self.i += 1;
            Ok(())
        } else {
            Err(self.error(format!("expected `{w}` in MySQL's partitioning")))
        }
    }

    fn eat(&mut self, w: &str) -> bool {
        let yes = self.is(w);
        if yes {
            self.i += 1;
        }
        yes
    }

    fn end(&self) -> Result<(), PosError> {
        match self.toks.get(self.i) {
            None => Ok(()),
            Some(t) => Err(self.error(format!(
                "`{}` after MySQL's partitioning is not read",
                t.token
            ))),
        }
    }

    /// The tokens inside the parentheses at the cursor, which it passes.
    fn group(&mut self) -> Result<&'a [TokenWithSpan], PosError> {
        if self.toks.get(self.i).map(|t| &t.token) != Some(&Token::LParen) {
            return Err(self.error("expected `(` in MySQL's partitioning"));
        }
        let open = self.i;
        let mut depth = 0usize;
        for j in open..self.toks.len() {
            match self.toks[j].token {
                Token::LParen => depth += 1,
                Token::RParen => {
                    depth -= 1;
                    if depth == 0 {
                        self.i = j + 1;
                        let toks: &'a [TokenWithSpan] = self.toks;
                        return Ok(&toks[open + 1..j]);
                    }
                }
                _ => {}
            }
        }
        Err(self.error("unclosed `(` in MySQL's partitioning"))
    }

    /// `BY method (expr) [PARTITIONS n] [(definitions)]` after `PARTITION`.
    fn clause(&mut self) -> Result<MysqlPartitioning, PosError> {
        self.expect("PARTITION")?;
        self.expect("BY")?;
        let linear = self.eat("LINEAR");
        let method = if self.eat("HASH") {
            "HASH"
        } else if self.eat("KEY") {
            if self.is("ALGORITHM") {
                return Err(self.error(
                    "`PARTITION BY KEY ALGORITHM=...` is not supported yet; write it without \
                     the algorithm",
                ));
            }
            "KEY"
        } else if !linear && self.eat("RANGE") {
            if self.eat("COLUMNS") {
                "RANGE COLUMNS"
            } else {
                "RANGE"
            }
        } else if !linear && self.eat("LIST") {
            if self.eat("COLUMNS") {
                "LIST COLUMNS"
            } else {
                "LIST"
            }
        } else {
            return Err(self.error(
                "expected `RANGE`, `LIST`, `HASH` or `KEY` after `PARTITION BY` \
                 (`SYSTEM_TIME`, MariaDB's, is not supported yet)",
            ));
        };
        let method = if linear {
            format!("LINEAR {method}")
        } else {
            method.to_string()
        };
        let at = self.pos();
        let inner = self.group()?;
        let expr = if method.ends_with("COLUMNS") || method.ends_with("KEY") {
            names_of(inner, at)?.join(", ")
        } else {
            normalize(inner, at)?
        };
        let mut count = None;
        if self.eat("PARTITIONS") {
            let n = match self.toks.get(self.i).map(|t| &t.token) {
                Some(Token::Number(n, _)) => n.parse::<u32>().ok(),
                _ => None,
            };
            count = Some(n.ok_or_else(|| self.error("expected a number after `PARTITIONS`"))?);
            self.i += 1;
        }
        if self.is("SUBPARTITION") {
            return Err(self.error(
                "subpartitions (`SUBPARTITION BY`) are not supported yet; partition the table \
                 without them",
            ));
        }
        let mut partitions = Vec::new();
        if self.toks.get(self.i).map(|t| &t.token) == Some(&Token::LParen) {
            partitions = self.definitions(Some(&method))?;
            count = None;
        }
        if method.starts_with("RANGE") || method.starts_with("LIST") {
            if partitions.is_empty() {
                return Err(PosError::new(
                    at,
                    format!("`PARTITION BY {method}` lists no partitions"),
                ));
            }
            if let Some(p) = partitions.iter().find(|p| p.values.is_none()) {
                return Err(PosError::new(
                    at,
                    format!(
                        "partition `{}` of `PARTITION BY {method}` has no `VALUES`",
                        p.name
                    ),
                ));
            }
        } else if let Some(p) = partitions.iter().find(|p| p.values.is_some()) {
            return Err(PosError::new(
                at,
                format!(
                    "partition `{}` of `PARTITION BY {method}` has `VALUES`, which only a \
                     range or a list has",
                    p.name
                ),
            ));
        }
        Ok(MysqlPartitioning {
            method,
            expr,
            count,
            partitions,
        })
    }

    /// `(PARTITION p [VALUES ...] [ENGINE=InnoDB], ...)`.
    fn definitions(&mut self, method: Option<&str>) -> Result<Vec<MysqlPartition>, PosError> {
        let at = self.pos();
        let inner = self.group()?;
        let mut out = Vec::new();
        for part in split_commas(inner) {
            if part.is_empty() {
                return Err(PosError::new(at, "an empty partition definition"));
            }
            let mut r = Reader {
                toks: part,
                i: 0,
                start: self.start,
            };
            let p = r.definition(method)?;
            r.end()?;
            if out
                .iter()
                .any(|q: &MysqlPartition| q.name.eq_ignore_ascii_case(&p.name))
            {
                return Err(PosError::new(
                    at,
                    format!("partition `{}` is listed twice", p.name),
                ));
            }
            out.push(p);
        }
        Ok(out)
    }

    fn definition(&mut self, method: Option<&str>) -> Result<MysqlPartition, PosError> {
        self.expect("PARTITION")?;
        let name = match self.toks.get(self.i).map(|t| &t.token) {
            Some(Token::Word(w)) => w.value.clone(),
            _ => return Err(self.error("expected a partition's name")),
        };
        self.i += 1;
        let mut values = None;
        if self.eat("VALUES") {
            if self.eat("LESS") {
                self.expect("THAN")?;
                values = Some(if self.eat("MAXVALUE") {
                    "LESS THAN MAXVALUE".to_string()
                } else {
                    let at = self.pos();
                    let items = values_of(self.group()?, at)?;
                    if items == ["MAXVALUE"] && method.is_none_or(|m| m == "RANGE") {
                        "LESS THAN MAXVALUE".to_string()
                    } else {
                        format!("LESS THAN ({})", items.join(", "))
                    }
                });
            } else if self.eat("IN") {
                let at = self.pos();
                let mut items = values_of(self.group()?, at)?;
                // MariaDB prints a plain list's `NULL` first, the rest in order.
                if method == Some("LIST") {
                    items.sort_by_key(|v| v != "NULL");
                }
                values = Some(format!("IN ({})", items.join(", ")));
            } else {
                return Err(self.error("expected `LESS THAN` or `IN` after `VALUES`"));
            }
        }
        if let (Some(m), Some(v)) = (method, &values) {
            let fits = if m.starts_with("RANGE") {
                v.starts_with("LESS")
            } else {
                v.starts_with("IN")
            };
            if !fits {
                return Err(self.error(format!(
                    "partition `{name}`: `VALUES {v}` does not fit `PARTITION BY {m}`"
                )));
            }
        }
        // Options: only the default engine, which MySQL prints on every partition.
        while self.i < self.toks.len() {
            if self.toks[self.i].token == Token::LParen {
                return Err(self.error(format!(
                    "partition `{name}`: subpartitions are not supported yet"
                )));
            }
            self.eat("STORAGE");
            if self.eat("ENGINE") {
                if self.toks.get(self.i).map(|t| &t.token) == Some(&Token::Eq) {
                    self.i += 1;
                }
                let engine = match self.toks.get(self.i).map(|t| &t.token) {
                    Some(Token::Word(w)) => w.value.clone(),
                    _ => return Err(self.error("expected an engine's name")),
                };
                if !engine.eq_ignore_ascii_case("InnoDB") {
                    return Err(self.error(format!(
                        "partition `{name}`: `ENGINE={engine}` is not supported (a table's \
                         partitions are InnoDB's here)"
                    )));
                }
                self.i += 1;
                continue;
            }
            let what = lex::bare_word(&self.toks[self.i].token)
                .unwrap_or_else(|| self.toks[self.i].token.to_string());
            return Err(self.error(format!(
                "partition `{name}`: its option `{what}` is not supported yet; only \
                 `ENGINE=InnoDB` is"
            )));
        }
        Ok(MysqlPartition { name, values })
    }

    /// `a, b` after `DROP PARTITION` or `REORGANIZE PARTITION`, up to `INTO` or the end.
    fn names(&mut self) -> Result<Vec<String>, PosError> {
        let mut out = Vec::new();
        loop {
            match self.toks.get(self.i).map(|t| &t.token) {
                Some(Token::Word(w)) if !(w.quote_style.is_none() && self.is("INTO")) => {
                    out.push(w.value.clone());
                    self.i += 1;
                }
                _ => return Err(self.error("expected a partition's name")),
            }
            if self.toks.get(self.i).map(|t| &t.token) == Some(&Token::Comma) {
                self.i += 1;
            } else {
                return Ok(out);
            }
        }
    }
}

/// `tokens` split at the commas outside parentheses.
fn split_commas(tokens: &[TokenWithSpan]) -> Vec<&[TokenWithSpan]> {
    let mut out = Vec::new();
    let mut depth = 0usize;
    let mut from = 0;
    for (i, t) in tokens.iter().enumerate() {
        match t.token {
            Token::LParen => depth += 1,
            Token::RParen => depth = depth.saturating_sub(1),
            Token::Comma if depth == 0 => {
                out.push(&tokens[from..i]);
                from = i + 1;
            }
            _ => {}
        }
    }
    if from < tokens.len() || !out.is_empty() {
        out.push(&tokens[from..]);
    }
    out
}

/// The text of `tokens`, each as sqlparser prints it, separated by spaces.
fn text_of(tokens: &[TokenWithSpan]) -> String {
    tokens
        .iter()
        .map(|t| t.token.to_string())
        .collect::<Vec<_>>()
        .join(" ")
}

/// An expression normalized as a check's.
fn normalize(tokens: &[TokenWithSpan], at: Pos) -> Result<String, PosError> {
    let text = text_of(tokens);
    crate::expr::normalize(&text, Dialect::Mysql).map_err(|e| {
        PosError::new(
            at,
            format!("cannot read the partitioning expression `{text}`: {e}"),
        )
    })
}

/// The column names of `COLUMNS (a, b)` or `KEY (a)`.
fn names_of(tokens: &[TokenWithSpan], at: Pos) -> Result<Vec<String>, PosError> {
    split_commas(tokens)
        .into_iter()
        .map(|part| match part {
            [
                TokenWithSpan {
                    token: Token::Word(w),
                    ..
                },
            ] => Ok(w.value.clone()),
            _ => Err(PosError::new(
                at,
                format!(
                    "expected a column's name in MySQL's partitioning, not `{}`",
                    text_of(part)
                ),
            )),
        })
        .collect()
}

/// The values of `LESS THAN (...)` or `IN (...)`, each normalized (`MAXVALUE` kept).
fn values_of(tokens: &[TokenWithSpan], at: Pos) -> Result<Vec<String>, PosError> {
    split_commas(tokens)
        .into_iter()
        .map(|part| match part {
            [t] if lex::bare_word(&t.token).as_deref() == Some("MAXVALUE") => {
                Ok("MAXVALUE".to_string())
            }
            // A tuple of `LIST COLUMNS` with several columns: `(1, 'a')`.
            [first, .., last]
                if first.token == Token::LParen
                    && last.token == Token::RParen
                    && split_commas(&part[1..part.len() - 1]).len() > 1 =>
            {
                Ok(format!(
                    "({})",
                    values_of(&part[1..part.len() - 1], at)?.join(", ")
                ))
            }
            _ => normalize(part, at),
        })
        .collect()
}

#[cfg(test)]
mod tests;
