//! `CREATE TRIGGER` and `DROP TRIGGER` (SQLite's and MySQL's) to the model.
//!
//! sqlparser reads neither SQLite's trigger bodies nor MySQL's, so the statement is
//! read here from its tokens: the words up to the trigger's name, the timing and
//! event up to `ON`, the table's name, and the rest (the body) kept as written. What
//! a database reports of a trigger (SQLite's `sqlite_master.sql`, MySQL's
//! `information_schema.TRIGGERS` put back together as a statement) is read the same
//! way, so both sides of `check` compare in one form ([`Trigger::normalized`]).

use sqlparser::keywords::Keyword;
use sqlparser::tokenizer::{Location, Token, TokenWithSpan, Tokenizer, Word};
use wildebeest_schema::Trigger;

use crate::Dialect;
use crate::lex::{self, Pos, PosError};
use crate::split::Piece;

/// A `CREATE TRIGGER` as read.
#[derive(Debug, Clone)]
pub(crate) struct TriggerDef {
    pub trigger: Trigger,
    pub if_not_exists: bool,
    /// `CREATE OR REPLACE TRIGGER` (MariaDB).
    pub or_replace: bool,
    /// `CREATE TEMP TRIGGER` (SQLite): not part of the schema.
    pub temporary: bool,
    /// Where the trigger's name is.
    pub name_pos: Pos,
    /// Where the table's name is.
    pub table_pos: Pos,
}

/// Whether `text` is a `CREATE [TEMP] TRIGGER` (MySQL: with a `DEFINER=`, or as
/// mysqldump writes it in versioned comments, `/*!50003 CREATE*/ ... TRIGGER`).
pub(crate) fn is_create_trigger(text: &str, dialect: Dialect) -> bool {
    let lead = crate::parse::leading_words(&unwrap(text, dialect), 2);
    let maybe = matches!(
        lead.get(1).map(String::as_str),
        Some("TRIGGER" | "TEMP" | "TEMPORARY" | "DEFINER" | "OR")
    );
    maybe
        && head_words(text, dialect).first().map(String::as_str) == Some("TRIGGER")
        && crate::parse::leading_words(&unwrap(text, dialect), 1) == ["CREATE"]
}

/// The words after `CREATE` up to the object's kind, without the ones that only
/// qualify it (`TEMP`, MySQL's `DEFINER = user`): `["TRIGGER", ...]` for a trigger.
fn head_words(text: &str, dialect: Dialect) -> Vec<String> {
    let text = unwrap(text, dialect);
    let Ok(tokens) = tokenize(&text, dialect) else {
        return Vec::new();
    };
    let words: Vec<&TokenWithSpan> = tokens
        .iter()
        .filter(|t| !lex::is_trivia(&t.token))
        .collect();
    if words
        .first()
        .and_then(|t| lex::bare_word(&t.token))
        .as_deref()
        != Some("CREATE")
    {
        return Vec::new();
    }
    let mut i = 1;
    while let Some(t) = words.get(i) {
        match lex::bare_word(&t.token).as_deref() {
            Some("TEMP" | "TEMPORARY") => i += 1,
            Some("OR") if dialect == Dialect::Mysql => i += 2,
            // `DEFINER = user@host`, `DEFINER = CURRENT_USER[()]`: up to the next word
            // that is not part of the user.
            Some("DEFINER") if dialect == Dialect::Mysql => {
                i += 1;
                while let Some(t) = words.get(i) {
                    if matches!(lex::bare_word(&t.token).as_deref(), Some("TRIGGER")) {
                        break;
                    }
                    i += 1;
                }
            }
            _ => break,
        }
    }
    words[i.min(words.len())..]
        .iter()
        .filter_map(|t| lex::bare_word(&t.token))
        .take(1)
        .collect()
}

/// Whether `text` is a `DROP TRIGGER`.
pub(crate) fn is_drop_trigger(text: &str) -> bool {
    crate::parse::leading_words(text, 2) == ["DROP", "TRIGGER"]
}

/// MySQL's versioned comments (`/*!50003 ... */`, which mysqldump writes around a
/// trigger's words) made code: the markers become spaces, so that positions stay.
/// Other dialects' text is returned as it is.
pub(crate) fn unwrap(text: &str, dialect: Dialect) -> String {
    if dialect != Dialect::Mysql || !text.contains("/*!") {
        return text.to_string();
    }
    let b = text.as_bytes();
    let mut out = b.to_vec();
    let mut open = false;
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            q @ (b'\'' | b'"' | b'`') => {
                i += 1;
                while i < b.len() && b[i] != q {
                    i += if b[i] == b'\\' { 2 } else { 1 };
                }
                i += 1;
            }
            b'/' if b.get(i + 1) == Some(&b'*') && b.get(i + 2) == Some(&b'!') => {
                let mut j = i + 3;
                while j < b.len() && b[j].is_ascii_digit() {
                    j += 1;
                }
                out[i..j].fill(b' ');
                open = true;
                i = j;
            }
            b'/' if b.get(i + 1) == Some(&b'*') => {
                i = text[i + 2..].find("*/").map_or(b.len(), |k| i + 2 + k + 2);
            }
            b'*' if open && b.get(i + 1) == Some(&b'/') => {
                out[i..i + 2].fill(b' ');
                open = false;
                i += 2;
            }
            _ => i += 1,
        }
    }
    // Only ASCII bytes were replaced by spaces, so the text is still UTF-8.
    String::from_utf8(out).unwrap_or_else(|_| text.to_string())
}

fn tokenize(text: &str, dialect: Dialect) -> Result<Vec<TokenWithSpan>, PosError> {
    Tokenizer::new(lex::sql_dialect(dialect), text)
        .tokenize_with_location()
        .map_err(|e| PosError::new(rel(e.location), e.message))
}

/// A token's position in the text it was read from (1-based), as a [`Pos`].
fn rel(l: Location) -> Pos {
    Pos {
        line: usize::try_from(l.line).unwrap_or(1).max(1),
        column: usize::try_from(l.column).unwrap_or(1).max(1),
    }
}

/// `at` (relative to a piece's text) in the file the piece comes from.
fn in_file(at: Pos, piece_line: usize, piece_column: usize) -> Pos {
    Pos {
        line: piece_line + at.line - 1,
        column: if at.line == 1 {
            piece_column + at.column - 1
        } else {
            at.column
        },
    }
}

/// The byte offset of line `line`, column `column` (characters, both 1-based) in `text`.
fn offset(text: &str, at: Pos) -> usize {
    let mut line = 1;
    let mut start = 0;
    if at.line > 1 {
        for (i, c) in text.char_indices() {
            if c == '\n' {
                line += 1;
                if line == at.line {
                    start = i + 1;
                    break;
                }
            }
        }
    }
    text[start..]
        .char_indices()
        .nth(at.column - 1)
        .map_or(text.len(), |(i, _)| start + i)
}

/// Reads a `CREATE TRIGGER` statement (see the module's docs).
pub(crate) fn create_trigger(piece: &Piece, dialect: Dialect) -> Result<TriggerDef, PosError> {
    let at = |p: Pos| in_file(p, piece.line, piece.column);
    read(&piece.text, dialect)
        .map_err(|e| PosError::new(at(e.pos), e.message))
        .map(|mut d| {
            d.name_pos = at(d.name_pos);
            d.table_pos = at(d.table_pos);
            d
        })
}

/// Reads the statement a database reports for a trigger, as [`create_trigger`] does.
pub fn trigger_from_catalog(sql: &str, dialect: Dialect) -> Result<Trigger, String> {
    read(sql, dialect).map(|d| d.trigger).map_err(|e| {
        format!(
            "cannot read the trigger `{}`: {}",
            crate::excerpt(sql),
            e.message
        )
    })
}

/// The name and `IF EXISTS` of a `DROP TRIGGER [IF EXISTS] name`.
pub(crate) fn drop_trigger(piece: &Piece, dialect: Dialect) -> Result<(String, bool), PosError> {
    let start = Pos {
        line: piece.line,
        column: piece.column,
    };
    let tokens = tokenize(&piece.text, dialect).map_err(|e| PosError::new(start, e.message))?;
    let words: Vec<&Token> = tokens
        .iter()
        .map(|t| &t.token)
        .filter(|t| !lex::is_trivia(t))
        .collect();
    let (if_exists, rest) = match words.get(2).and_then(|t| lex::bare_word(t)).as_deref() {
        Some("IF") if words.get(3).and_then(|t| lex::bare_word(t)).as_deref() == Some("EXISTS") => {
            (true, &words[4..])
        }
        _ => (false, words.get(2..).unwrap_or_default()),
    };
    match rest {
        [Token::Word(w)] => Ok((w.value.clone(), if_exists)),
        [Token::Word(_), Token::Period, Token::Word(w)] => Ok((w.value.clone(), if_exists)),
        _ => Err(PosError::new(
            start,
            "expected `DROP TRIGGER [IF EXISTS] name`",
        )),
    }
}

fn read(text: &str, dialect: Dialect) -> Result<TriggerDef, PosError> {
    let text = unwrap(text, dialect);
    let tokens = tokenize(&text, dialect)?;
    // Indexes of the tokens that are not white space or comments.
    let code: Vec<usize> = (0..tokens.len())
        .filter(|&i| !lex::is_trivia(&tokens[i].token))
        .collect();
    let pos = |k: usize| {
        code.get(k)
            .map_or(Pos { line: 1, column: 1 }, |&i| rel(tokens[i].span.start))
    };
    let word = |k: usize| code.get(k).and_then(|&i| lex::bare_word(&tokens[i].token));
    let fail = |k: usize, m: &str| PosError::new(pos(k), m.to_string());
    if word(0).as_deref() != Some("CREATE") {
        return Err(fail(0, "expected `CREATE TRIGGER`"));
    }
    let mut k = 1;
    let mut temporary = false;
    let mut or_replace = false;
    loop {
        match word(k).as_deref() {
            Some("TEMP" | "TEMPORARY") => temporary = true,
            Some("OR")
                if dialect == Dialect::Mysql && word(k + 1).as_deref() == Some("REPLACE") =>
            {
                or_replace = true;
                k += 1;
            }
            // The definer is whoever runs the statement, not a part of the schema.
            Some("DEFINER") if dialect == Dialect::Mysql => {
                let definer = k;
                while word(k).as_deref() != Some("TRIGGER") {
                    if k >= code.len() {
                        return Err(fail(definer, "expected `TRIGGER` after the definer"));
                    }
                    k += 1;
                }
                continue;
            }
            Some("TRIGGER") => break,
            _ => return Err(fail(k, "expected `CREATE [TEMP] TRIGGER`")),
        }
        k += 1;
    }
    k += 1;
    let mut if_not_exists = false;
    if word(k).as_deref() == Some("IF") && word(k + 1).as_deref() == Some("NOT") {
        if word(k + 2).as_deref() != Some("EXISTS") {
            return Err(fail(k, "expected `IF NOT EXISTS`"));
        }
        if_not_exists = true;
        k += 3;
    }
    let name_k = k;
    let name = name_at(&tokens, &code, k).ok_or_else(|| fail(k, "expected the trigger's name"))?;
    if matches!(
        code.get(k + 1).map(|&i| &tokens[i].token),
        Some(Token::Period)
    ) {
        return Err(fail(
            k,
            "a trigger's name qualified by its schema or database is not modeled; write the name alone",
        ));
    }
    k += 1;
    let timing_k = k;
    while word(k).as_deref() != Some("ON") {
        if k >= code.len() {
            return Err(fail(
                timing_k,
                "expected `ON table` after the trigger's event",
            ));
        }
        k += 1;
    }
    let timing_words: Vec<String> = (timing_k..k).filter_map(word).collect();
    if !timing_words
        .iter()
        .any(|w| matches!(w.as_str(), "INSERT" | "UPDATE" | "DELETE"))
    {
        return Err(fail(
            timing_k,
            "expected the trigger's event: INSERT, UPDATE or DELETE",
        ));
    }
    let on_k = k;
    k += 1;
    let table_k = k;
    let table = name_at(&tokens, &code, k).ok_or_else(|| fail(k, "expected the table's name"))?;
    if matches!(
        code.get(k + 1).map(|&i| &tokens[i].token),
        Some(Token::Period)
    ) {
        return Err(fail(
            k,
            "a trigger's table qualified by its schema or database is not modeled; write the name alone",
        ));
    }
    let body_k = k + 1;
    if body_k >= code.len() {
        return Err(fail(
            table_k,
            "expected the trigger's body after the table's name",
        ));
    }
    if dialect == Dialect::Mysql {
        let order = (body_k..code.len().min(body_k + 4))
            .find(|&j| matches!(word(j).as_deref(), Some("FOLLOWS" | "PRECEDES")));
        if let Some(j) = order {
            return Err(fail(
                j,
                "the order of triggers (`FOLLOWS`, `PRECEDES`) is not modeled; leave it out",
            ));
        }
    }
    let slice = |from: usize, to: Option<usize>| {
        let a = offset(&text, pos(from));
        let b = to.map_or(text.len(), |t| offset(&text, pos(t)));
        text[a..b].trim().to_string()
    };
    let timing = slice(timing_k, Some(on_k));
    let body = slice(body_k, None);
    let normalized = format!(
        "{} ON {}",
        normalize(&tokens, &code[timing_k..on_k]),
        normalize(&tokens, &code[body_k..])
    );
    Ok(TriggerDef {
        trigger: Trigger {
            name,
            table,
            timing,
            body,
            normalized,
            follows_renames: dialect == Dialect::Sqlite,
            ..Trigger::default()
        },
        if_not_exists,
        or_replace,
        temporary,
        name_pos: pos(name_k),
        table_pos: pos(table_k),
    })
}

/// The name the `k`th code token is (a word, quoted or not).
fn name_at(tokens: &[TokenWithSpan], code: &[usize], k: usize) -> Option<String> {
    match &tokens[*code.get(k)?].token {
        Token::Word(w) => Some(w.value.clone()),
        _ => None,
    }
}

/// The tokens `which` in one spelling: keywords upper-cased, plain names unquoted,
/// one space between tokens.
fn normalize(tokens: &[TokenWithSpan], which: &[usize]) -> String {
    let mut out: Vec<String> = Vec::with_capacity(which.len());
    for &i in which {
        out.push(match &tokens[i].token {
            Token::Word(Word {
                value,
                quote_style: Some(_),
                ..
            }) if is_plain(value) && !is_keyword(value) => value.clone(),
            Token::Word(Word {
                value,
                quote_style: None,
                keyword,
            }) if *keyword != Keyword::NoKeyword => value.to_ascii_uppercase(),
            t => t.to_string(),
        });
    }
    out.join(" ")
}

fn is_plain(s: &str) -> bool {
    let mut chars = s.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

fn is_keyword(s: &str) -> bool {
    let up = s.to_ascii_uppercase();
    sqlparser::keywords::ALL_KEYWORDS
        .binary_search(&up.as_str())
        .is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_ok(text: &str, dialect: Dialect) -> Trigger {
        read(text, dialect).unwrap().trigger
    }

    #[test]
    fn sqlite_trigger_parts_are_kept_as_written() {
        let t = read_ok(
            "CREATE TRIGGER IF NOT EXISTS log_a after  insert ON \"a\"\nBEGIN\n  INSERT INTO log VALUES (new.x); END",
            Dialect::Sqlite,
        );
        assert_eq!(t.name, "log_a");
        assert_eq!(t.table, "a");
        assert_eq!(t.timing, "after  insert");
        assert_eq!(t.body, "BEGIN\n  INSERT INTO log VALUES (new.x); END");
        let u = read_ok(
            "create trigger log_a AFTER INSERT on a begin insert into log values (NEW.x); end",
            Dialect::Sqlite,
        );
        assert_eq!(t, u, "keywords' case and white space are no difference");
        let v = read_ok(
            "CREATE TRIGGER log_a AFTER INSERT ON a BEGIN INSERT INTO log VALUES ('NEW.x'); END",
            Dialect::Sqlite,
        );
        assert_ne!(t, v, "a literal is");
    }

    #[test]
    fn mysqldump_trigger_is_read_without_its_comments_and_definer() {
        let dump = "/*!50003 CREATE*/ /*!50017 DEFINER=`root`@`localhost`*/ /*!50003 TRIGGER `bump` BEFORE UPDATE ON `a` FOR EACH ROW SET NEW.n = OLD.n + 1 */";
        assert!(is_create_trigger(dump, Dialect::Mysql));
        let t = read_ok(dump, Dialect::Mysql);
        assert_eq!(t.name, "bump");
        assert_eq!(t.table, "a");
        assert_eq!(t.timing, "BEFORE UPDATE");
        assert_eq!(t.body, "FOR EACH ROW SET NEW.n = OLD.n + 1");
        let plain = read_ok(
            "CREATE TRIGGER bump BEFORE UPDATE ON a FOR EACH ROW SET NEW.n = OLD.n + 1",
            Dialect::Mysql,
        );
        assert_eq!(t, plain);
        let mariadb =
            "CREATE OR REPLACE TRIGGER bump BEFORE UPDATE ON a FOR EACH ROW SET NEW.n = OLD.n + 1";
        assert!(is_create_trigger(mariadb, Dialect::Mysql));
        let d = read(mariadb, Dialect::Mysql).unwrap();
        assert!(d.or_replace);
        assert_eq!(d.trigger, plain);
    }

    #[test]
    fn what_the_model_cannot_hold_is_refused_with_its_place() {
        let e = read(
            "CREATE TRIGGER t BEFORE INSERT ON a FOR EACH ROW FOLLOWS u SET NEW.x = 1",
            Dialect::Mysql,
        )
        .unwrap_err();
        assert!(e.message.contains("FOLLOWS"), "{}", e.message);
        assert_eq!(e.pos.column, 50);
        let e = read(
            "CREATE TRIGGER main.t AFTER INSERT ON a BEGIN SELECT 1; END",
            Dialect::Sqlite,
        )
        .unwrap_err();
        assert!(e.message.contains("qualified"), "{}", e.message);
        let e = read(
            "CREATE TRIGGER t AFTER ON a BEGIN SELECT 1; END",
            Dialect::Sqlite,
        )
        .unwrap_err();
        assert!(e.message.contains("event"), "{}", e.message);
    }

    #[test]
    fn drop_trigger_names() {
        let p = |text: &str| Piece {
            text: text.into(),
            line: 1,
            column: 1,
        };
        assert_eq!(
            drop_trigger(&p("DROP TRIGGER IF EXISTS `t`"), Dialect::Mysql).unwrap(),
            ("t".to_string(), true)
        );
        assert_eq!(
            drop_trigger(&p("drop trigger t"), Dialect::Sqlite).unwrap(),
            ("t".to_string(), false)
        );
        assert!(is_drop_trigger("DROP TRIGGER t"));
        assert!(!is_create_trigger(
            "CREATE TABLE trigger (x int)",
            Dialect::Sqlite
        ));
    }
}
