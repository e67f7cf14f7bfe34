//! Statement boundaries: where one statement ends and the next begins.
//!
//! The splitter is a small hand-written scanner rather than sqlparser's tokenizer, so it
//! works on text no parser understands (triggers, procedures, dialect extensions) and
//! never fails: an unterminated string or comment runs to the end of the text and is
//! reported beside the pieces, for the callers that treat it as an error.

use crate::Dialect;

/// One statement found by the splitter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Piece {
    /// From the first to the last character of code: comments before and after the
    /// statement and the terminating `;` are left out, comments inside are kept.
    pub text: String,
    /// 1-based line of the first character of `text`.
    pub line: usize,
    /// 1-based column (in characters) of the first character of `text`.
    pub column: usize,
}

/// A `DELIMITER` line that names no delimiter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct BadDelimiter {
    pub line: usize,
    pub column: usize,
}

/// A string, quoted identifier or comment that the text never closes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Unterminated {
    pub line: usize,
    pub column: usize,
    /// What was left open, e.g. "string literal".
    pub what: &'static str,
}

/// The splitter's result: the statements, and the first unterminated construct, if any
/// (the statement it starts in then runs to the end of the text).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Split {
    pub pieces: Vec<Piece>,
    pub unterminated: Option<Unterminated>,
    /// The first `DELIMITER` line without a delimiter (MySQL), if any; the
    /// delimiter stays what it was.
    pub bad_delimiter: Option<BadDelimiter>,
}

/// Which lexical forms the scanner recognizes. `None` as dialect means "any": the
/// union of forms that cannot be mistaken for something else.
#[derive(Debug, Clone, Copy)]
struct Rules {
    /// `[name]` quoted identifiers (SQLite).
    brackets: bool,
    /// `$tag$ ... $tag$` strings (PostgreSQL).
    dollar_quotes: bool,
    /// Backslash escapes in every '...' and "..." (MySQL).
    backslash_escapes: bool,
    /// `E'...'` strings take backslash escapes (PostgreSQL).
    e_strings: bool,
    /// `# comment` (MySQL).
    hash_comments: bool,
    /// `/* /* */ */` nests (PostgreSQL).
    nested_comments: bool,
    /// `--` starts a comment only when followed by white space (MySQL).
    dash_dash_needs_space: bool,
    /// `/*! ... */` is code, not a comment (MySQL).
    versioned_comments: bool,
    /// The mysql client's `DELIMITER` command, on a line of its own between
    /// statements, sets what ends a statement (MySQL).
    delimiter_command: bool,
}

impl Rules {
    fn new(dialect: Option<Dialect>) -> Rules {
        Rules {
            brackets: matches!(dialect, None | Some(Dialect::Sqlite)),
            dollar_quotes: matches!(dialect, None | Some(Dialect::Postgres)),
            backslash_escapes: dialect == Some(Dialect::Mysql),
            e_strings: matches!(dialect, None | Some(Dialect::Postgres)),
            hash_comments: dialect == Some(Dialect::Mysql),
            nested_comments: dialect == Some(Dialect::Postgres),
            dash_dash_needs_space: dialect == Some(Dialect::Mysql),
            versioned_comments: dialect == Some(Dialect::Mysql),
            delimiter_command: dialect == Some(Dialect::Mysql),
        }
    }
}

/// The error for a `DELIMITER` line the text holds where it cannot be read: a MySQL
/// one naming no delimiter, or one in another dialect (a command of the mysql client,
/// which no other database reads). `None` when there is none.
pub(crate) fn delimiter_error(split: &Split, dialect: Dialect) -> Option<(usize, usize, String)> {
    if let Some(b) = &split.bad_delimiter {
        return Some((
            b.line,
            b.column,
            "`DELIMITER` must be followed by the delimiter it sets (`DELIMITER ;;`)".into(),
        ));
    }
    if dialect == Dialect::Mysql {
        return None;
    }
    let p = split
        .pieces
        .iter()
        .find(|p| crate::parse::leading_words(&p.text, 1) == ["DELIMITER"])?;
    let db = match dialect {
        Dialect::Sqlite => "SQLite",
        _ => "PostgreSQL",
    };
    Some((
        p.line,
        p.column,
        format!(
            "`DELIMITER` is a command of the mysql client, which {db} does not read: \
             end each statement with `;` (a trigger's `BEGIN ... END` body may hold `;`)"
        ),
    ))
}

/// Splits `text` into statements. `dialect` selects dialect-only lexical forms; `None`
/// recognizes the forms common to all dialects plus `[...]` and dollar quotes.
pub(crate) fn split(text: &str, dialect: Option<Dialect>) -> Split {
    Scanner::new(text, Rules::new(dialect)).run()
}

struct Scanner<'a> {
    text: &'a str,
    chars: Vec<(usize, char)>,
    rules: Rules,
    /// Index into `chars` of the next character.
    i: usize,
    line: usize,
    column: usize,
}

/// Where the statement being scanned started: byte offset, line, column.
#[derive(Clone, Copy)]
struct Start {
    byte: usize,
    line: usize,
    column: usize,
}

impl<'a> Scanner<'a> {
    fn new(text: &'a str, rules: Rules) -> Self {
        Scanner {
            text,
            chars: text.char_indices().collect(),
            rules,
            i: 0,
            line: 1,
            column: 1,
        }
    }

    fn peek(&self, ahead: usize) -> Option<char> {
        self.chars.get(self.i + ahead).map(|&(_, c)| c)
    }

    fn byte(&self) -> usize {
        self.chars.get(self.i).map_or(self.text.len(), |&(b, _)| b)
    }

    fn bump(&mut self) -> Option<char> {
        let c = self.peek(0)?;
        self.i += 1;
        if c == '\n' {
            self.line += 1;
            self.column = 1;
        } else {
            self.column += 1;
        }
        Some(c)
    }

    fn run(mut self) -> Split {
        let mut pieces = Vec::new();
        let mut unterminated: Option<Unterminated> = None;
        let mut start: Option<Start> = None;
        let mut end = 0;
        let mut block = Block::default();
        // The last word and the byte just past it: `E'...'` strings take backslash
        // escapes in PostgreSQL.
        let mut last_word_end = usize::MAX;
        let mut last_word_is_e = false;
        // What ends a statement: `;`, or what the last `DELIMITER` line set (MySQL).
        let mut delimiter = String::from(";");
        let mut bad_delimiter = None;

        while let Some(c) = self.peek(0) {
            let (line, column, byte) = (self.line, self.column, self.byte());
            let mut open = |what: &'static str| {
                if unterminated.is_none() {
                    unterminated = Some(Unterminated { line, column, what });
                }
            };
            if c.is_whitespace() {
                self.bump();
                continue;
            }
            if start.is_none() && self.rules.delimiter_command && self.at_delimiter_command() {
                match self.delimiter_line() {
                    Some(d) => delimiter = d,
                    None => {
                        bad_delimiter.get_or_insert(BadDelimiter { line, column });
                    }
                }
                continue;
            }
            if delimiter != ";" && self.text[byte..].starts_with(delimiter.as_str()) {
                // A statement ends at the delimiter set by `DELIMITER`, and only there:
                // a `;` inside is part of it, as the mysql client sends it.
                while self.byte() < byte + delimiter.len() && self.bump().is_some() {}
                if let Some(s) = start.take() {
                    pieces.push(self.piece(s, end));
                }
                block = Block::default();
                continue;
            }
            if c == '-' && self.peek(1) == Some('-') && self.dash_dash_is_comment() {
                self.skip_line();
                continue;
            }
            if c == '#' && self.rules.hash_comments {
                self.skip_line();
                continue;
            }
            if c == '/' && self.peek(1) == Some('*') {
                // MySQL runs what a versioned comment (`/*!50100 ... */`) says: one at
                // the end of a statement (mysqldump's `PARTITION BY`) is part of it, and
                // one at its start begins it (mysqldump's `/*!50003 CREATE*/ ...
                // TRIGGER` and `/*!40101 SET ... */`).
                let versioned = self.rules.versioned_comments && self.peek(2) == Some('!');
                if !self.skip_block_comment() {
                    open("block comment");
                } else if versioned {
                    if start.is_none() {
                        start = Some(Start { byte, line, column });
                    }
                    end = self.byte();
                }
                continue;
            }
            if c == ';' && !block.open() && delimiter == ";" {
                self.bump();
                if let Some(s) = start.take() {
                    pieces.push(self.piece(s, end));
                }
                block = Block::default();
                continue;
            }
            if start.is_none() {
                start = Some(Start { byte, line, column });
            }
            match c {
                '\'' => {
                    let backslash = self.rules.backslash_escapes
                        || (self.rules.e_strings && last_word_is_e && last_word_end == byte);
                    if !self.skip_quoted('\'', backslash) {
                        open("string literal");
                    }
                }
                '"' => {
                    if !self.skip_quoted('"', self.rules.backslash_escapes) {
                        open("quoted identifier");
                    }
                }
                '`' => {
                    if !self.skip_quoted('`', false) {
                        open("quoted identifier");
                    }
                }
                '[' if self.rules.brackets => {
                    self.bump();
                    if !self.skip_to(']') {
                        open("bracketed identifier");
                    }
                }
                '$' if self.rules.dollar_quotes && self.dollar_may_open() => {
                    match self.dollar_tag() {
                        Some(tag) => {
                            for _ in 0..tag.chars().count() {
                                self.bump();
                            }
                            if !self.skip_past(&tag) {
                                open("dollar-quoted string");
                            }
                        }
                        None => {
                            self.bump();
                        }
                    }
                }
                c if is_word_char(c) => {
                    let from = byte;
                    while self.peek(0).is_some_and(is_word_char) {
                        self.bump();
                    }
                    let word = &self.text[from..self.byte()];
                    if !c.is_ascii_digit() {
                        block.word(word);
                    }
                    last_word_end = self.byte();
                    last_word_is_e = word.eq_ignore_ascii_case("e");
                }
                '(' => {
                    block.parens += 1;
                    self.bump();
                }
                ')' => {
                    block.parens = block.parens.saturating_sub(1);
                    self.bump();
                }
                _ => {
                    self.bump();
                }
            }
            end = self.byte();
        }
        if let Some(s) = start {
            pieces.push(self.piece(s, end));
        }
        Split {
            pieces,
            unterminated,
            bad_delimiter,
        }
    }

    /// Whether the line from here on is the mysql client's `DELIMITER` command: the
    /// word first on its line (after white space), followed by white space or the
    /// line's end.
    fn at_delimiter_command(&self) -> bool {
        let rest = self.text.get(self.byte()..).unwrap_or_default();
        let first_on_line = self.text[..self.byte()]
            .chars()
            .rev()
            .take_while(|&c| c != '\n')
            .all(char::is_whitespace);
        first_on_line
            && rest.len() >= 9
            && rest.is_char_boundary(9)
            && rest[..9].eq_ignore_ascii_case("delimiter")
            && rest[9..].chars().next().is_none_or(char::is_whitespace)
    }

    /// At `DELIMITER`: skips the line and returns the delimiter it sets (its first
    /// word, as the mysql client reads it), or `None` when it names none.
    fn delimiter_line(&mut self) -> Option<String> {
        let from = self.byte();
        self.skip_line();
        let line = &self.text[from + 9..self.byte()];
        line.split_whitespace()
            .next()
            .map(str::to_string)
            .filter(|d| !d.contains('\\'))
    }

    fn piece(&self, start: Start, end: usize) -> Piece {
        Piece {
            text: self
                .text
                .get(start.byte..end)
                .unwrap_or_default()
                .to_string(),
            line: start.line,
            column: start.column,
        }
    }

    /// At `--`: whether it starts a comment (MySQL wants white space after it).
    fn dash_dash_is_comment(&self) -> bool {
        !self.rules.dash_dash_needs_space || self.peek(2).is_none_or(char::is_whitespace)
    }

    /// Skips to the end of the line, leaving the newline.
    fn skip_line(&mut self) {
        while self.peek(0).is_some_and(|c| c != '\n') {
            self.bump();
        }
    }

    /// At `/*`: skips the comment; false when it never ends.
    fn skip_block_comment(&mut self) -> bool {
        self.bump();
        self.bump();
        let mut depth = 1usize;
        while let Some(c) = self.bump() {
            if c == '*' && self.peek(0) == Some('/') {
                self.bump();
                depth -= 1;
                if depth == 0 {
                    return true;
                }
            } else if c == '/' && self.peek(0) == Some('*') && self.rules.nested_comments {
                self.bump();
                depth += 1;
            }
        }
        false
    }

    /// At an opening quote: skips to the closing one; a doubled quote is an escaped
    /// quote; with `backslash`, so is a backslash and the character after it. False when
    /// the text ends first.
    fn skip_quoted(&mut self, quote: char, backslash: bool) -> bool {
        self.bump();
        while let Some(c) = self.bump() {
            if backslash && c == '\\' {
                self.bump();
            } else if c == quote {
                if self.peek(0) == Some(quote) {
                    self.bump();
                } else {
                    return true;
                }
            }
        }
        false
    }

    /// Skips past the next `close`; false when the text ends first.
    fn skip_to(&mut self, close: char) -> bool {
        while let Some(c) = self.bump() {
            if c == close {
                return true;
            }
        }
        false
    }

    /// Skips past the next occurrence of `delimiter`; false when there is none.
    fn skip_past(&mut self, delimiter: &str) -> bool {
        match self
            .text
            .get(self.byte()..)
            .and_then(|rest| rest.find(delimiter))
        {
            Some(at) => {
                let stop = self.byte() + at + delimiter.len();
                while self.byte() < stop && self.bump().is_some() {}
                true
            }
            None => {
                while self.bump().is_some() {}
                false
            }
        }
    }

    /// A `$` directly after a word character belongs to that word or parameter.
    fn dollar_may_open(&self) -> bool {
        self.i == 0
            || self
                .chars
                .get(self.i - 1)
                .is_none_or(|&(_, c)| !is_word_char(c))
    }

    /// At `$`: the whole opening delimiter `$tag$`, if one starts here.
    fn dollar_tag(&self) -> Option<String> {
        let mut tag = String::from("$");
        let mut k = 1;
        while let Some(c) = self.peek(k) {
            if c == '$' {
                tag.push('$');
                return Some(tag);
            }
            let ok = if k == 1 {
                c.is_alphabetic() || c == '_'
            } else {
                c.is_alphanumeric() || c == '_'
            };
            if !ok {
                return None;
            }
            tag.push(c);
            k += 1;
        }
        None
    }
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_' || c == '$'
}

/// Follows the words of a statement to find `BEGIN ... END` bodies whose semicolons do
/// not end the statement: `CREATE [TEMP] TRIGGER ... BEGIN ... END` (and procedures and
/// functions written the same way).
#[derive(Debug, Default)]
struct Block {
    /// Words seen so far while the head (`CREATE ... TRIGGER`) is being read.
    head_words: usize,
    /// The head has been read (or the statement turned out to be something else).
    decided: bool,
    /// A `DEFINER` was read in the head: the words up to the kind name its user.
    definer: bool,
    /// The statement has a body.
    body: bool,
    /// Open `BEGIN` and `CASE` words.
    depth: usize,
    /// The previous word was `END`, which may be `END IF` / `END LOOP` / `END CASE`.
    after_end: bool,
    /// The statement is a `CREATE [OR REPLACE] RULE`, whose `DO (command; command)`
    /// holds semicolons within parentheses.
    rule: bool,
    /// Open parentheses.
    parens: usize,
}

impl Block {
    /// Whether a `;` here is inside the statement rather than its end.
    fn open(&self) -> bool {
        self.depth > 0 || (self.rule && self.parens > 0)
    }

    fn word(&mut self, word: &str) {
        let up = word.to_ascii_uppercase();
        if !self.decided {
            if self.head_words == 0 {
                self.decided = up != "CREATE";
            } else if matches!(up.as_str(), "TRIGGER" | "PROCEDURE" | "FUNCTION" | "EVENT") {
                self.body = true;
                self.decided = true;
            } else if up == "VIEW" {
                self.decided = true;
            } else if up == "RULE" {
                self.rule = true;
                self.decided = true;
            } else if up == "DEFINER" {
                // MySQL's `DEFINER = user@host`: the user's words are no kind.
                self.definer = true;
            } else if !self.definer
                && !matches!(
                    up.as_str(),
                    "TEMP" | "TEMPORARY" | "OR" | "REPLACE" | "CONSTRAINT" | "AGGREGATE"
                )
            {
                self.decided = true;
            }
            self.head_words += 1;
            return;
        }
        if !self.body {
            return;
        }
        if self.after_end {
            self.after_end = false;
            match up.as_str() {
                // Openers this scanner does not count; undo the END's decrement.
                "IF" | "LOOP" | "WHILE" | "REPEAT" => {
                    self.depth += 1;
                    return;
                }
                // `END CASE` closes the CASE the END already closed.
                "CASE" => return,
                _ => {}
            }
        }
        match up.as_str() {
            "BEGIN" | "CASE" => self.depth += 1,
            "END" if self.depth > 0 => {
                self.depth -= 1;
                self.after_end = true;
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pieces(text: &str, dialect: Option<Dialect>) -> Vec<(String, usize, usize)> {
        split(text, dialect)
            .pieces
            .into_iter()
            .map(|p| (p.text, p.line, p.column))
            .collect()
    }

    #[test]
    fn a_rules_commands_in_parentheses_stay_in_the_rule() {
        let text = "CREATE RULE r AS ON UPDATE TO t DO (DELETE FROM a; NOTIFY t;);\n\
                    SELECT (1);\nCREATE OR REPLACE RULE q AS ON DELETE TO t DO NOTHING; SELECT 2";
        let texts: Vec<String> = pieces(text, None).into_iter().map(|p| p.0).collect();
        assert_eq!(
            texts,
            [
                "CREATE RULE r AS ON UPDATE TO t DO (DELETE FROM a; NOTIFY t;)",
                "SELECT (1)",
                "CREATE OR REPLACE RULE q AS ON DELETE TO t DO NOTHING",
                "SELECT 2"
            ]
        );
    }

    #[test]
    fn columns_count_characters_from_one() {
        assert_eq!(
            pieces("  select 1;\n\t  -- x\n  é; select 2", None),
            vec![
                ("select 1".into(), 1, 3),
                ("é".into(), 3, 3),
                ("select 2".into(), 3, 6)
            ]
        );
    }

    #[test]
    fn unterminated_reports_where_it_opened() {
        let s = split("select 1;\nselect 'abc;\n", None);
        assert_eq!(
            s.unterminated,
            Some(Unterminated {
                line: 2,
                column: 8,
                what: "string literal"
            })
        );
        assert_eq!(s.pieces.len(), 2);
        assert_eq!(s.pieces[1].text, "select 'abc;\n");
    }

    fn mysql(text: &str) -> Vec<String> {
        split(text, Some(Dialect::Mysql))
            .pieces
            .into_iter()
            .map(|p| p.text)
            .collect()
    }

    #[test]
    fn delimiter_lines_set_what_ends_a_statement() {
        let text = "select 1;\nDELIMITER ;;\nCREATE PROCEDURE p() BEGIN select 1; select 2; END ;;\n\
                    /*!50003 CREATE*/ /*!50003 TRIGGER t AFTER INSERT ON a FOR EACH ROW SET @x = 1 */;;\n\
                    delimiter ;\nselect 3;\nDELIMITER //\nselect ';;' //\nDELIMITER ;\n";
        assert_eq!(
            mysql(text),
            vec![
                "select 1",
                "CREATE PROCEDURE p() BEGIN select 1; select 2; END",
                "/*!50003 CREATE*/ /*!50003 TRIGGER t AFTER INSERT ON a FOR EACH ROW SET @x = 1 */",
                "select 3",
                "select ';;'",
            ]
        );
        let s = split(text, Some(Dialect::Mysql));
        assert_eq!(s.pieces[3].line, 6);
        assert_eq!(s.bad_delimiter, None);
    }

    #[test]
    fn a_delimiter_line_without_a_delimiter_is_reported() {
        let s = split("select 1;\n  DELIMITER\nselect 2;", Some(Dialect::Mysql));
        assert_eq!(s.bad_delimiter, Some(BadDelimiter { line: 2, column: 3 }));
        let e = delimiter_error(&s, Dialect::Mysql).unwrap();
        assert_eq!((e.0, e.1), (2, 3));
    }

    #[test]
    fn delimiter_is_the_mysql_clients_only() {
        let s = split(
            "select 1;\nDELIMITER ;;\nselect 2;;\n",
            Some(Dialect::Sqlite),
        );
        let e = delimiter_error(&s, Dialect::Sqlite).unwrap();
        assert_eq!(e.0, 2);
        assert!(e.2.contains("SQLite does not read"), "{}", e.2);
        // Not first on its line, or inside a statement, the word is no command.
        assert_eq!(
            mysql("select delimiter from t;"),
            vec!["select delimiter from t"]
        );
        assert_eq!(
            mysql("select 1 from t where\ndelimiter = 2;"),
            vec!["select 1 from t where\ndelimiter = 2"]
        );
    }

    #[test]
    fn a_versioned_comment_starts_a_statement_in_mysql() {
        assert_eq!(
            mysql("/*!40101 SET NAMES utf8mb4 */;\n/* plain */ select 1;"),
            vec!["/*!40101 SET NAMES utf8mb4 */", "select 1"]
        );
        assert_eq!(
            pieces("/*!40101 SET NAMES utf8mb4 */; select 1", None)[0].0,
            "select 1"
        );
    }

    #[test]
    fn a_definer_does_not_hide_a_body() {
        assert_eq!(
            mysql(
                "CREATE DEFINER=root@localhost PROCEDURE p() BEGIN select 1; select 2; END;\n\
                 CREATE DEFINER = CURRENT_USER EVENT e ON SCHEDULE EVERY 1 DAY DO BEGIN select 1; END;\n\
                 CREATE DEFINER=root@localhost VIEW v AS select 1;"
            ),
            vec![
                "CREATE DEFINER=root@localhost PROCEDURE p() BEGIN select 1; select 2; END",
                "CREATE DEFINER = CURRENT_USER EVENT e ON SCHEDULE EVERY 1 DAY DO BEGIN select 1; END",
                "CREATE DEFINER=root@localhost VIEW v AS select 1",
            ]
        );
    }
}
