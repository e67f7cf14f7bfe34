//! PostgreSQL rules: `CREATE [OR REPLACE] RULE name AS ON {INSERT | UPDATE |
//! DELETE} TO table [WHERE condition] DO [ALSO | INSTEAD] {NOTHING | command |
//! (command; command ...)}` and `DROP RULE [IF EXISTS] name ON table`, read from
//! their tokens (through `routine::Code`) into a [`Rule`].
//!
//! A rule's condition and commands are held in one spelling, the one PostgreSQL
//! prints back (`pg_get_ruledef`, and so pg_dump) as far as it can be told without a
//! database: each command is parsed and printed again with the managed schema's
//! qualifier taken off (`public.t`), names folded (`NEW.id` is `new.id`),
//! parentheses that change nothing removed, a string's cast to `text` dropped, and
//! the target table's qualifier taken off in an `UPDATE` or `DELETE` (the server
//! writes `WHERE (log.id = new.id)` for `WHERE id = new.id`). What the server
//! prints is read the same way ([`rule_from_catalog`]), and `check` compares the
//! server's reading of both sides. `ON SELECT` rules (old-style views) are refused.

use std::ops::ControlFlow;

use sqlparser::ast::{
    Expr, SetExpr, Statement as AstStatement, TableFactor, TableWithJoins, VisitMut,
};
use sqlparser::parser::Parser;
use sqlparser::tokenizer::Token;
use wildebeest_schema::{Change, Rule};

use crate::Dialect;
use crate::ddl::Ctx;
use crate::lex::{self, Pos, PosError};
use crate::pg_trigger::own_name;
use crate::routine::Code;
use crate::split::Piece;

/// A `CREATE RULE` as read.
pub(crate) struct RuleDef {
    pub rule: Rule,
    pub or_replace: bool,
    pub name_pos: Pos,
    pub table_pos: Pos,
}

/// Reads a `CREATE [OR REPLACE] RULE`.
pub(crate) fn create_rule(piece: &Piece, ctx: &mut Ctx<'_>) -> Result<RuleDef, PosError> {
    let code = Code::new(piece)?;
    let or_replace = code.word(1).as_deref() == Some("OR");
    let at = if or_replace { 4 } else { 2 };
    let name = own_name(&code, at, "rule", "the rule's name")?;
    let name_pos = code.pos(at);
    let expect = |i: usize, word: &str| -> Result<(), PosError> {
        match code.word(i) {
            Some(w) if w == word => Ok(()),
            _ => Err(PosError::new(code.pos(i), format!("expected `{word}`"))),
        }
    };
    expect(at + 1, "AS")?;
    expect(at + 2, "ON")?;
    let event = code.word(at + 3).unwrap_or_default();
    match event.as_str() {
        "INSERT" | "UPDATE" | "DELETE" => {}
        "SELECT" => {
            return Err(PosError::new(
                code.pos(at + 3),
                format!(
                    "rule `{name}`: an `ON SELECT` rule (an old-style view) is not modeled; \
                     write the view as `CREATE VIEW`"
                ),
            ));
        }
        _ => {
            return Err(PosError::new(
                code.pos(at + 3),
                "expected `INSERT`, `UPDATE`, `DELETE` or `SELECT`",
            ));
        }
    }
    expect(at + 4, "TO")?;
    let table_pos = code.pos(at + 5);
    let (table, mut i) = code.name(at + 5, ctx)?;
    let mut condition = None;
    if code.word(i).as_deref() == Some("WHERE") {
        // The condition runs to the `DO` outside parentheses.
        let from = i + 1;
        let mut depth = 0usize;
        let mut j = from;
        loop {
            match code.token(j) {
                None => return Err(PosError::new(code.pos(j), "expected `DO`")),
                Some(Token::LParen) => depth += 1,
                Some(Token::RParen) => depth = depth.saturating_sub(1),
                Some(_) if depth == 0 && code.word(j).as_deref() == Some("DO") => break,
                _ => {}
            }
            j += 1;
        }
        let text = &code.text[code.offset(from)..code.offset(j)];
        let text = crate::view::strip_schema(text, ctx.pg_schema);
        condition = Some(normalize_condition(&text).map_err(|m| PosError::new(code.pos(from), m))?);
        i = j;
    }
    expect(i, "DO")?;
    i += 1;
    let mut instead = false;
    match code.word(i).as_deref() {
        Some("INSTEAD") => {
            instead = true;
            i += 1;
        }
        Some("ALSO") => i += 1,
        _ => {}
    }
    let mut commands = Vec::new();
    let end = (i..)
        .find(|&j| matches!(code.token(j), None | Some(Token::SemiColon)) && depth_at(&code, i, j))
        .unwrap_or(i);
    if code.word(i).as_deref() == Some("NOTHING") && end == i + 1 {
        // No command.
    } else if code.token(i) == Some(&Token::LParen) && code.closing(i) == Some(end - 1) {
        // `(command; command ...)`: the commands apart at the semicolons between them.
        let mut from = i + 1;
        let close = end - 1;
        let mut depth = 0usize;
        for j in i + 1..=close {
            match code.token(j) {
                Some(Token::LParen) => depth += 1,
                Some(Token::RParen) if j < close => depth = depth.saturating_sub(1),
                Some(Token::SemiColon | Token::RParen) if depth == 0 => {
                    if j > from {
                        commands.push(command(&code, from, j, ctx)?);
                    }
                    from = j + 1;
                }
                _ => {}
            }
        }
    } else if end > i {
        commands.push(command(&code, i, end, ctx)?);
    } else {
        return Err(PosError::new(
            code.pos(i),
            "expected `NOTHING`, a command or commands in parentheses",
        ));
    }
    if let Some(t) = code.token(end + 1) {
        return Err(PosError::new(
            code.pos(end + 1),
            format!("unexpected `{t}` after the rule's commands"),
        ));
    }
    Ok(RuleDef {
        rule: Rule {
            name,
            table: table.value,
            event,
            instead,
            condition,
            commands,
        },
        or_replace,
        name_pos,
        table_pos,
    })
}

/// Whether the tokens from `from` up to `to` are balanced (no parenthesis left open).
fn depth_at(code: &Code<'_>, from: usize, to: usize) -> bool {
    let mut depth = 0isize;
    for j in from..to {
        match code.token(j) {
            Some(Token::LParen) => depth += 1,
            Some(Token::RParen) => depth -= 1,
            _ => {}
        }
    }
    depth == 0
}

/// The command in tokens `from..to`, normalized.
fn command(code: &Code<'_>, from: usize, to: usize, ctx: &Ctx<'_>) -> Result<String, PosError> {
    let text = &code.text[code.offset(from)..code.offset(to)];
    let text = crate::view::strip_schema(text, ctx.pg_schema);
    normalize_command(&text).map_err(|m| PosError::new(code.pos(from), m))
}

/// A rule's command in one spelling (see the module's docs).
fn normalize_command(text: &str) -> Result<String, String> {
    let parsed = lex::with_stack(|| {
        Parser::parse_sql(lex::sql_dialect(Dialect::Postgres), text).map_err(|e| e.to_string())
    })
    .unwrap_or_else(|| Err("the command is nested too deeply".to_string()));
    let mut statements =
        parsed.map_err(|e| format!("cannot read the command `{}`: {e}", crate::excerpt(text)))?;
    let mut st = match statements.len() {
        1 => statements.remove(0),
        _ => {
            return Err(format!(
                "cannot read the command `{}`: expected one statement",
                crate::excerpt(text)
            ));
        }
    };
    if !matches!(
        st,
        AstStatement::Insert(_)
            | AstStatement::Update(_)
            | AstStatement::Delete(_)
            | AstStatement::Query(_)
            | AstStatement::NOTIFY { .. }
    ) {
        return Err(format!(
            "`{}`: a rule's command is an `INSERT`, `UPDATE`, `DELETE`, `SELECT` or \
             `NOTIFY`",
            crate::excerpt(text)
        ));
    }
    canonical(&mut st);
    Ok(st.to_string())
}

/// A rule's condition in one spelling, as a command's `WHERE` is.
fn normalize_condition(text: &str) -> Result<String, String> {
    let select = normalize_command(&format!("SELECT 1 WHERE {text}"))
        .map_err(|_| format!("cannot read the condition `{}`", crate::excerpt(text)))?;
    Ok(select
        .strip_prefix("SELECT 1 WHERE ")
        .unwrap_or(&select)
        .to_string())
}

/// `st` written as PostgreSQL prints it back, in what can be told without knowing the
/// columns' types (see the module's docs).
fn canonical(st: &mut AstStatement) {
    let _ = sqlparser::ast::visit_expressions_mut(st, |e| {
        crate::view::fold_expr(e, Dialect::Postgres);
        ControlFlow::<()>::Continue(())
    });
    let _ = sqlparser::ast::visit_relations_mut(st, |name| {
        crate::view::fold_name(name, Dialect::Postgres);
        ControlFlow::<()>::Continue(())
    });
    let _ = VisitMut::visit(st, &mut crate::view::ServerForm(Dialect::Postgres));
    let (target, slots): (Option<&TableWithJoins>, Vec<&mut Expr>) = match st {
        AstStatement::Update(u) => {
            let mut slots: Vec<&mut Expr> =
                u.assignments.iter_mut().map(|a| &mut a.value).collect();
            slots.extend(u.selection.as_mut());
            (Some(&u.table), slots)
        }
        AstStatement::Delete(d) => {
            let target = match &d.from {
                sqlparser::ast::FromTable::WithFromKeyword(t)
                | sqlparser::ast::FromTable::WithoutKeyword(t) => t.first(),
            };
            (target, d.selection.as_mut().into_iter().collect())
        }
        AstStatement::Insert(i) => {
            let mut slots = Vec::new();
            if let Some(q) = i.source.as_mut()
                && let SetExpr::Values(v) = q.body.as_mut()
            {
                for row in &mut v.rows {
                    slots.extend(row.iter_mut());
                }
            }
            (None, slots)
        }
        _ => (None, Vec::new()),
    };
    let qualifier = target.and_then(|t| match &t.relation {
        TableFactor::Table { name, alias, .. } => match alias {
            Some(a) => Some(a.name.clone()),
            None => name.0.last().and_then(|p| p.as_ident()).cloned(),
        },
        _ => None,
    });
    for slot in slots {
        crate::view::strip_in_place(slot);
        if let Some(q) = &qualifier {
            let _ = sqlparser::ast::visit_expressions_mut(slot, |e| {
                if let Expr::CompoundIdentifier(parts) = e
                    && let [first, column] = parts.as_slice()
                    && first.value == q.value
                    && first.quote_style.is_some() == q.quote_style.is_some()
                {
                    *e = Expr::Identifier(column.clone());
                }
                ControlFlow::<()>::Continue(())
            });
        }
    }
}

/// `DROP RULE [IF EXISTS] name ON table [CASCADE | RESTRICT]`.
pub(crate) fn drop_rule(piece: &Piece, ctx: &mut Ctx<'_>) -> Result<Change, PosError> {
    let code = Code::new(piece)?;
    let if_exists = code.word(2).as_deref() == Some("IF");
    let at = if if_exists { 4 } else { 2 };
    let name = own_name(&code, at, "rule", "the rule's name")?;
    if code.word(at + 1).as_deref() != Some("ON") {
        return Err(PosError::new(code.pos(at + 1), "expected `ON table`"));
    }
    let (table, after) = code.name(at + 2, ctx)?;
    if let Some(w) = code
        .word(after)
        .filter(|w| w != "CASCADE" && w != "RESTRICT")
    {
        return Err(PosError::new(code.pos(after), format!("unexpected `{w}`")));
    }
    Ok(Change::DropRule {
        name,
        table: table.value,
        if_exists,
    })
}

/// `ALTER RULE name ON table RENAME TO new`.
pub(crate) fn rename_rule(piece: &Piece, ctx: &mut Ctx<'_>) -> Result<Change, PosError> {
    let code = Code::new(piece)?;
    let from = own_name(&code, 2, "rule", "the rule's name")?;
    if code.word(3).as_deref() != Some("ON") {
        return Err(PosError::new(code.pos(3), "expected `ON table`"));
    }
    let (table, after) = code.name(4, ctx)?;
    if code.word(after).as_deref() != Some("RENAME")
        || code.word(after + 1).as_deref() != Some("TO")
    {
        return Err(PosError::new(code.pos(after), "expected `RENAME TO`"));
    }
    let to = own_name(&code, after + 2, "rule", "the rule's new name")?;
    if let Some(t) = code.token(after + 3).filter(|t| **t != Token::SemiColon) {
        return Err(PosError::new(
            code.pos(after + 3),
            format!("unexpected `{t}`"),
        ));
    }
    Ok(Change::RenameRule {
        table: table.value,
        from,
        to,
    })
}

/// A rule read from a database's catalog: `definition` is what `pg_get_ruledef`
/// prints, read as a `CREATE RULE` with `schema`'s qualifier taken off.
pub fn rule_from_catalog(definition: &str, schema: &str) -> Result<Rule, String> {
    let piece = Piece {
        text: definition.trim().trim_end_matches(';').to_string(),
        line: 1,
        column: 1,
    };
    let mut warnings = Vec::new();
    let mut ctx = Ctx {
        dialect: Dialect::Postgres,
        start: Pos { line: 1, column: 1 },
        warnings: &mut warnings,
        pg_schema: schema,
    };
    create_rule(&piece, &mut ctx).map(|d| d.rule).map_err(|e| {
        format!(
            "cannot read the rule `{}`: {}",
            crate::excerpt(definition),
            e.message
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Result<Rule, String> {
        let mut warnings = Vec::new();
        let mut ctx = Ctx {
            dialect: Dialect::Postgres,
            start: Pos { line: 1, column: 1 },
            warnings: &mut warnings,
            pg_schema: "public",
        };
        let piece = Piece {
            text: text.to_string(),
            line: 1,
            column: 1,
        };
        create_rule(&piece, &mut ctx)
            .map(|d| d.rule)
            .map_err(|e| e.message)
    }

    #[test]
    fn pg_dump_spelling_reads_as_the_written_one() {
        let pairs = [
            (
                "CREATE RULE log_insert AS ON INSERT TO items DO ALSO INSERT INTO item_log \
                 (item_id, note) VALUES (NEW.id, 'added')",
                "CREATE RULE log_insert AS\n    ON INSERT TO public.items DO  INSERT INTO \
                 public.item_log (item_id, note)\n  VALUES (new.id, 'added'::text)",
            ),
            (
                "CREATE RULE no_delete AS ON DELETE TO items WHERE OLD.qty > 0 DO INSTEAD \
                 NOTHING",
                "CREATE RULE no_delete AS\n    ON DELETE TO public.items\n   WHERE (old.qty > \
                 0) DO INSTEAD NOTHING",
            ),
            (
                "CREATE RULE upd AS ON UPDATE TO items DO (INSERT INTO item_log (item_id, \
                 note) VALUES (old.id, 'was ' || old.name); UPDATE item_log SET note = 'x' \
                 WHERE item_id = new.id; DELETE FROM item_log WHERE item_id = 0)",
                "CREATE RULE upd AS\n    ON UPDATE TO public.items DO ( INSERT INTO \
                 public.item_log (item_id, note)\n  VALUES (old.id, ('was '::text || \
                 old.name));\n UPDATE public.item_log SET note = 'x'::text\n  WHERE \
                 (item_log.item_id = new.id);\n DELETE FROM public.item_log\n  WHERE \
                 (item_log.item_id = 0);\n)",
            ),
            (
                "CREATE RULE n AS ON INSERT TO item_log DO NOTIFY item_log",
                "CREATE RULE n AS\n    ON INSERT TO public.item_log DO\n NOTIFY item_log",
            ),
        ];
        for (written, dumped) in pairs {
            let a = read(written).unwrap();
            let b = read(dumped).unwrap();
            assert_eq!(a, b, "{written}");
        }
    }

    #[test]
    fn actions_are_held_in_order() {
        let r = read("CREATE RULE u AS ON UPDATE TO t DO INSTEAD (DELETE FROM a; DELETE FROM b)")
            .unwrap();
        assert!(r.instead);
        assert_eq!(r.commands, ["DELETE FROM a", "DELETE FROM b"]);
        assert_eq!(r.action(), "INSTEAD (DELETE FROM a; DELETE FROM b)");
        let nothing = read("CREATE RULE d AS ON DELETE TO t DO INSTEAD NOTHING").unwrap();
        assert!(nothing.commands.is_empty());
        assert_eq!(nothing.action(), "INSTEAD NOTHING");
    }

    #[test]
    fn refused_forms_say_why() {
        let e = read("CREATE RULE \"_RETURN\" AS ON SELECT TO t DO INSTEAD SELECT 1").unwrap_err();
        assert!(e.contains("`ON SELECT` rule"), "{e}");
        let e =
            read("CREATE RULE r AS ON INSERT TO t DO INSTEAD CREATE TABLE x (a int)").unwrap_err();
        assert!(e.contains("a rule's command is"), "{e}");
        let e = read("CREATE RULE s.r AS ON INSERT TO t DO NOTHING").unwrap_err();
        assert!(e.contains("cannot be qualified"), "{e}");
    }
}
