use wildebeest_sql::{Dialect, comment_text, is_enclosed, quote_ident, quote_literal};

#[test]
fn identifiers_are_bare_only_when_safe() {
    // (name, SQLite, PostgreSQL, MySQL)
    let cases = [
        ("employees", "employees", "employees", "employees"),
        ("_private2", "_private2", "_private2", "_private2"),
        // Words sqlparser knows but every database takes as names stay bare.
        ("id", "id", "id", "id"),
        ("name", "name", "name", "name"),
        ("status", "status", "status", "status"),
        ("type", "type", "type", "type"),
        // Reserved words.
        ("select", "\"select\"", "\"select\"", "`select`"),
        ("ORDER", "\"ORDER\"", "\"ORDER\"", "`ORDER`"),
        ("user", "\"user\"", "\"user\"", "`user`"),
        ("key", "\"key\"", "\"key\"", "`key`"),
        (
            "current_timestamp",
            "\"current_timestamp\"",
            "\"current_timestamp\"",
            "`current_timestamp`",
        ),
        // SQL's reserved words (as PostgreSQL lists them) are quoted everywhere.
        ("analyse", "\"analyse\"", "\"analyse\"", "`analyse`"),
        // Reserved in one dialect only.
        ("action", "\"action\"", "action", "action"),
        ("rank", "rank", "rank", "`rank`"),
        // PostgreSQL folds bare names to lower case.
        ("Users", "Users", "\"Users\"", "Users"),
        // Not a plain ASCII word.
        ("", "\"\"", "\"\"", "``"),
        ("1st", "\"1st\"", "\"1st\"", "`1st`"),
        (
            "first name",
            "\"first name\"",
            "\"first name\"",
            "`first name`",
        ),
        ("naïve", "\"naïve\"", "\"naïve\"", "`naïve`"),
        ("名前", "\"名前\"", "\"名前\"", "`名前`"),
        ("a-b", "\"a-b\"", "\"a-b\"", "`a-b`"),
        // Embedded quote characters are doubled.
        (
            "say \"hi\"",
            "\"say \"\"hi\"\"\"",
            "\"say \"\"hi\"\"\"",
            "`say \"hi\"`",
        ),
        (
            "back`tick",
            "\"back`tick\"",
            "\"back`tick\"",
            "`back``tick`",
        ),
    ];
    for (name, sqlite, postgres, mysql) in cases {
        assert_eq!(quote_ident(name, Dialect::Sqlite), sqlite, "{name}");
        assert_eq!(quote_ident(name, Dialect::Postgres), postgres, "{name}");
        assert_eq!(quote_ident(name, Dialect::Mysql), mysql, "{name}");
    }
}

#[test]
fn literals_double_single_quotes() {
    let cases = [
        ("", "''"),
        ("abc", "'abc'"),
        ("it's", "'it''s'"),
        ("''", "''''''"),
        ("a\\b", "'a\\b'"),
        ("ü", "'ü'"),
    ];
    for (s, expect) in cases {
        assert_eq!(quote_literal(s), expect);
    }
}

/// What a renderer may write as an expression inside parentheses: the model's
/// expression texts are; a column's name that would end the parentheses, the
/// statement or the line is not (it is quoted as a name instead).
#[test]
fn enclosed_texts_cannot_end_a_statement() {
    for d in [Dialect::Sqlite, Dialect::Postgres, Dialect::Mysql] {
        for ok in [
            "lower(email)",
            "a + b",
            "coalesce(\"first name\", 'x;y -- z')",
            "`a``b` > 0",
            "a$b",
            "'it''s'",
            "(a) * (b)",
        ] {
            assert!(is_enclosed(ok, d), "{ok} in {d:?}");
        }
        for bad in [
            "c); DELETE FROM victim; --",
            "a; b",
            "a -- b",
            "a /* b */",
            "a */",
            "a)",
            "(a",
            "'open",
            "\"open",
            "'a\\'",
            "a\\b",
            "$$x$$",
            "# x",
        ] {
            assert!(!is_enclosed(bad, d), "{bad} in {d:?}");
        }
    }
    // A backslash in a quoted name is itself; in a string it may escape the quote.
    assert!(is_enclosed("lower(\"a\\\")", Dialect::Postgres));
    assert!(is_enclosed("lower(`a\\`)", Dialect::Mysql));
    assert!(!is_enclosed("lower(\"a\\\")", Dialect::Mysql));
    assert!(is_enclosed("[a;b]", Dialect::Sqlite));
    assert!(!is_enclosed("[a", Dialect::Sqlite));
}

/// A comment line that names something stays one line: a line break in a name would
/// end the comment and make the rest of the name SQL.
#[test]
fn comment_text_keeps_a_comment_on_one_line() {
    assert_eq!(comment_text("plain `t.a`"), "plain `t.a`");
    assert_eq!(
        comment_text("x\nDELETE FROM victim;\r\n--\t\\ \u{1b}"),
        "x\\nDELETE FROM victim;\\r\\n--\\t\\\\ \\u{1b}"
    );
    for c in ['\n', '\r', '\u{b}', '\u{c}', '\u{85}'] {
        assert!(!comment_text(&format!("a{c}b")).contains(c), "{c:?}");
    }
}
