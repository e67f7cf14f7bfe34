//! PostgreSQL statements of a schema file that change an object in a way the model
//! cannot hold: refused by name, never passed over with a warning and exit 0 (the
//! database would lack what the file says).
//!
//! Ownership and privileges (`ALTER ... OWNER TO`, `GRANT`, `REVOKE`, `ALTER DEFAULT
//! PRIVILEGES`) and what belongs to the cluster (`ALTER DATABASE`, `ALTER ROLE`, ...)
//! are out of wildebeest's scope and are not refused here.

use crate::lex::{Pos, PosError};
use crate::split::Piece;
use crate::{Dialect, excerpt};

/// The refusal of `piece` when it is an `ALTER` (or `SECURITY LABEL`) of PostgreSQL
/// that the model cannot hold; `None` for any other statement.
pub(crate) fn refusal(piece: &Piece, dialect: Dialect) -> Option<PosError> {
    if dialect != Dialect::Postgres {
        return None;
    }
    let words = words(&piece.text);
    let w: Vec<&str> = words.iter().map(String::as_str).collect();
    let pos = Pos {
        line: piece.line,
        column: piece.column,
    };
    let refuse = |advice: String| {
        Some(PosError::new(
            pos,
            format!("`{}`: {advice}", excerpt(&piece.text)),
        ))
    };
    let by_hand = "leave it out of schema.sql and run it in a migration written by hand \
                   (`wildebeest revision`), which runs it as written";
    if w.starts_with(&["SECURITY", "LABEL"]) {
        return refuse(format!("security labels are not modeled; {by_hand}"));
    }
    if typed_table(&w) {
        return refuse(format!(
            "a typed table (`CREATE TABLE name OF type`) is not modeled: write the \
             table's columns in its `CREATE TABLE`, or {by_hand}"
        ));
    }
    if w.first() != Some(&"ALTER") || w.windows(2).any(|p| p == ["OWNER", "TO"]) {
        return None;
    }
    let renames = w.contains(&"RENAME");
    let (kind, rest) = match &w[1..] {
        [
            "FUNCTION" | "PROCEDURE" | "ROUTINE" | "AGGREGATE",
            rest @ ..,
        ] => (w[1].to_ascii_lowercase(), rest),
        ["MATERIALIZED", "VIEW", rest @ ..] => ("materialized view".to_string(), rest),
        ["VIEW", rest @ ..] => ("view".to_string(), rest),
        ["INDEX", rest @ ..] => ("index".to_string(), rest),
        ["TABLE" | "FOREIGN", ..] => {
            return table_action(&w)
                .and_then(|a| refuse(format!("a table's `{a}` is not modeled; {by_hand}")));
        }
        [
            "SCHEMA" | "EXTENSION" | "STATISTICS" | "OPERATOR" | "COLLATION" | "CONVERSION"
            | "TEXT" | "EVENT" | "PUBLICATION" | "SUBSCRIPTION" | "SERVER" | "LANGUAGE",
            ..,
        ] => {
            let kind = match w[1] {
                "TEXT" => "text search object".to_string(),
                "EVENT" => "event trigger".to_string(),
                k => k.to_ascii_lowercase(),
            };
            return refuse(format!("changing a {kind} is not modeled; {by_hand}"));
        }
        _ => return None,
    };
    if renames {
        return refuse(format!(
            "a {kind} renamed in a schema file: schema.sql says the state wanted; create \
             the {kind} under the name it has"
        ));
    }
    let _ = rest;
    let advice = match kind.as_str() {
        "function" | "procedure" | "routine" | "aggregate" => format!(
            "a {kind}'s options are written in its `CREATE`: schema.sql says the state \
             wanted; write them there"
        ),
        "index" if w.contains(&"SET") || w.contains(&"RESET") => {
            if w.contains(&"TABLESPACE") {
                format!("an index's tablespace is not modeled; {by_hand}")
            } else {
                "an index's storage parameters are written in its `CREATE INDEX ... WITH \
                 (...)`: schema.sql says the state wanted; write them there"
                    .to_string()
            }
        }
        _ => format!("this change of a {kind} is not modeled; {by_hand}"),
    };
    refuse(advice)
}

/// The action of an `ALTER TABLE` the model cannot hold, as written for the message;
/// `None` for the others (which the table reader takes or refuses itself).
fn table_action(w: &[&str]) -> Option<String> {
    let has = |seq: &[&str]| w.windows(seq.len()).any(|p| p == seq);
    let found = [
        &["REPLICA", "IDENTITY"][..],
        &["CLUSTER", "ON"],
        &["SET", "WITHOUT", "CLUSTER"],
        &["SET", "STATISTICS"],
        &["SET", "STORAGE"],
        &["SET", "COMPRESSION"],
        &["SET", "TABLESPACE"],
        &["SET", "UNLOGGED"],
        &["SET", "LOGGED"],
        &["SET", "ACCESS", "METHOD"],
        &["SET", "WITHOUT", "OIDS"],
        &["NO", "INHERIT"],
        &["INHERIT"],
        &["NOT", "OF"],
        &["ENABLE", "RULE"],
        &["DISABLE", "RULE"],
        &["ENABLE", "ALWAYS", "RULE"],
        &["ENABLE", "REPLICA", "RULE"],
        &["ENABLE", "REPLICA", "TRIGGER"],
        &["ENABLE", "ALWAYS", "TRIGGER"],
        &["OPTIONS"],
    ]
    .into_iter()
    // A check's `NO INHERIT` (`ADD CONSTRAINT c CHECK (...) NO INHERIT`) is the model's.
    .filter(|seq| !(seq.contains(&"INHERIT") && w.contains(&"CHECK")))
    .find(|seq| has(seq));
    if let Some(seq) = found {
        return Some(seq.join(" "));
    }
    // `ALTER TABLE t OF type`; `ALTER COLUMN c SET (n_distinct = ...)`, a column's
    // options (a table's `SET (...)` is modeled).
    if w.len() > 3 && w[3] == "OF" {
        return Some("OF".to_string());
    }
    w.windows(4)
        .any(|p| p[0] == "COLUMN" && p[2] == "SET" && p[3] == "(")
        .then(|| "ALTER COLUMN ... SET (...)".to_string())
}

/// The words of `text` in upper case and its punctuation, one character each;
/// strings, quoted names and comments are one `'` or `"` each.
/// Whether the words are a `CREATE [TEMP | TEMPORARY | UNLOGGED] TABLE [IF NOT
/// EXISTS] name OF type` (PostgreSQL's typed table).
fn typed_table(w: &[&str]) -> bool {
    let Some(table) = w.iter().take(3).position(|x| *x == "TABLE") else {
        return false;
    };
    if w.first() != Some(&"CREATE") {
        return false;
    }
    let mut k = table + 1;
    if w[k..].starts_with(&["IF", "NOT", "EXISTS"]) {
        k += 3;
    }
    // The name: a word (a quoted one is its quote), qualified or not.
    k += 1;
    while w.get(k) == Some(&".") {
        k += 2;
    }
    w.get(k) == Some(&"OF")
}

fn words(text: &str) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
        } else if c == '-' && chars.get(i + 1) == Some(&'-') {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
        } else if c == '/' && chars.get(i + 1) == Some(&'*') {
            i += 2;
            while i + 1 < chars.len() && !(chars[i] == '*' && chars[i + 1] == '/') {
                i += 1;
            }
            i += 2;
        } else if c == '\'' || c == '"' {
            i += 1;
            while i < chars.len() {
                if chars[i] == c {
                    if chars.get(i + 1) == Some(&c) {
                        i += 2;
                        continue;
                    }
                    break;
                }
                i += 1;
            }
            i += 1;
            out.push(c.to_string());
        } else if c.is_alphanumeric() || c == '_' {
            let start = i;
            while i < chars.len()
                && (chars[i].is_alphanumeric() || chars[i] == '_' || chars[i] == '$')
            {
                i += 1;
            }
            out.push(
                chars[start..i]
                    .iter()
                    .collect::<String>()
                    .to_ascii_uppercase(),
            );
        } else {
            out.push(c.to_string());
            i += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refused(sql: &str) -> Option<String> {
        let piece = Piece {
            text: sql.to_string(),
            line: 3,
            column: 1,
        };
        refusal(&piece, Dialect::Postgres).map(|e| e.message)
    }

    #[test]
    fn what_the_model_cannot_hold_is_refused_by_name() {
        for (sql, said) in [
            ("ALTER FUNCTION f() STABLE", "written in its `CREATE`"),
            (
                "ALTER FUNCTION public.f(integer) SET search_path = public",
                "function's options",
            ),
            (
                "ALTER VIEW v SET (security_barrier = true)",
                "change of a view",
            ),
            (
                "ALTER VIEW v ALTER COLUMN id SET DEFAULT 1",
                "change of a view",
            ),
            ("ALTER VIEW v RENAME TO w", "create the view under the name"),
            (
                "ALTER INDEX i SET (fillfactor = 50)",
                "CREATE INDEX ... WITH",
            ),
            ("ALTER INDEX i SET TABLESPACE t", "tablespace"),
            (
                "ALTER TABLE ONLY t REPLICA IDENTITY FULL",
                "`REPLICA IDENTITY`",
            ),
            ("ALTER TABLE t CLUSTER ON t_pkey", "`CLUSTER ON`"),
            (
                "ALTER TABLE ONLY t ALTER COLUMN c SET STATISTICS 100",
                "`SET STATISTICS`",
            ),
            (
                "ALTER TABLE t ALTER COLUMN c SET STORAGE EXTERNAL",
                "`SET STORAGE`",
            ),
            (
                "ALTER TABLE t ALTER COLUMN c SET (n_distinct = 5)",
                "ALTER COLUMN ... SET (...)",
            ),
            ("ALTER TABLE t SET UNLOGGED", "`SET UNLOGGED`"),
            ("ALTER TABLE t INHERIT p", "`INHERIT`"),
            ("ALTER TABLE t OF typ", "`OF`"),
            ("ALTER TABLE t DISABLE RULE r", "`DISABLE RULE`"),
            ("SECURITY LABEL ON TABLE t IS 'x'", "security labels"),
            ("ALTER SCHEMA s RENAME TO r", "schema"),
        ] {
            let message = refused(sql).unwrap_or_else(|| panic!("{sql} not refused"));
            assert!(message.contains(said), "{sql}: {message}");
            assert!(
                message.contains(sql.split(' ').next().unwrap()),
                "{message}"
            );
        }
    }

    #[test]
    fn owners_privileges_and_what_the_table_reader_takes_pass() {
        for sql in [
            "ALTER TABLE t OWNER TO app",
            "ALTER FUNCTION f() OWNER TO app",
            "ALTER VIEW v OWNER TO app",
            "ALTER TYPE e OWNER TO app",
            "ALTER SCHEMA public OWNER TO app",
            "GRANT SELECT ON t TO PUBLIC",
            "ALTER DEFAULT PRIVILEGES GRANT SELECT ON TABLES TO app",
            "ALTER TABLE ONLY t ADD CONSTRAINT k UNIQUE (a)",
            "ALTER TABLE t ADD CONSTRAINT c CHECK (a > 0) NO INHERIT",
            "ALTER TABLE t SET (fillfactor = 70)",
            "ALTER TABLE t ALTER COLUMN c SET DEFAULT 'REPLICA IDENTITY'",
            "ALTER TABLE t ENABLE TRIGGER x",
            "ALTER TABLE t ENABLE ROW LEVEL SECURITY",
            "ALTER SEQUENCE s OWNED BY t.id",
            "CREATE TABLE t (a int)",
        ] {
            assert_eq!(refused(sql), None, "{sql}");
        }
        let piece = Piece {
            text: "ALTER FUNCTION f() STABLE".to_string(),
            line: 1,
            column: 1,
        };
        assert!(refusal(&piece, Dialect::Sqlite).is_none());
    }
}
