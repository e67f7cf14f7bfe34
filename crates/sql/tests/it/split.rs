use wildebeest_sql::{Dialect, SqlError, split_statements, try_split_statements};

#[track_caller]
fn check(input: &str, expect: &[(&str, usize)]) {
    let expect: Vec<(String, usize)> = expect.iter().map(|&(t, l)| (t.to_string(), l)).collect();
    assert_eq!(split_statements(input), expect, "input: {input:?}");
}

#[track_caller]
fn check_in(dialect: Dialect, input: &str, expect: &[(&str, usize)]) {
    let expect: Vec<(String, usize)> = expect.iter().map(|&(t, l)| (t.to_string(), l)).collect();
    assert_eq!(
        try_split_statements(input, "m.sql", dialect),
        Ok(expect),
        "input: {input:?}"
    );
}

#[test]
fn statements_end_at_semicolons_and_at_the_end_of_the_text() {
    check(
        "SELECT 1; SELECT 2;\n  SELECT 3",
        &[("SELECT 1", 1), ("SELECT 2", 1), ("SELECT 3", 2)],
    );
    check("", &[]);
    check(" ;; \n ; ", &[]);
}

#[test]
fn comments_around_a_statement_are_not_part_of_it() {
    check(
        "-- header; not a statement\n\n/* block; */ CREATE TABLE t (a); -- tail;\n",
        &[("CREATE TABLE t (a)", 3)],
    );
    check("-- only a comment\n/* and ; another */;", &[]);
    check(
        "SELECT 1 -- trailing; comment\n;SELECT 2",
        &[("SELECT 1", 1), ("SELECT 2", 2)],
    );
}

#[test]
fn comments_inside_a_statement_are_kept() {
    check(
        "CREATE TABLE t (\n  a INT, -- first; column\n  b /* ; */ INT\n);",
        &[(
            "CREATE TABLE t (\n  a INT, -- first; column\n  b /* ; */ INT\n)",
            1,
        )],
    );
}

#[test]
fn quoted_text_does_not_end_a_statement() {
    check(
        "INSERT INTO t VALUES ('a;''b'); SELECT 2",
        &[("INSERT INTO t VALUES ('a;''b')", 1), ("SELECT 2", 1)],
    );
    check(
        r#"CREATE TABLE "a;""b" (x); SELECT 2"#,
        &[(r#"CREATE TABLE "a;""b" (x)"#, 1), ("SELECT 2", 1)],
    );
    check(
        "SELECT `a;``b`; SELECT 2",
        &[("SELECT `a;``b`", 1), ("SELECT 2", 1)],
    );
    check(
        "SELECT [a;b]; SELECT 2",
        &[("SELECT [a;b]", 1), ("SELECT 2", 1)],
    );
    check(
        "SELECT '--'; SELECT '/*'; SELECT 2",
        &[("SELECT '--'", 1), ("SELECT '/*'", 1), ("SELECT 2", 1)],
    );
}

#[test]
fn dollar_quotes_do_not_end_a_statement() {
    check(
        "CREATE FUNCTION f() RETURNS int AS $$ SELECT 1; $$ LANGUAGE sql;\nSELECT 2",
        &[
            (
                "CREATE FUNCTION f() RETURNS int AS $$ SELECT 1; $$ LANGUAGE sql",
                1,
            ),
            ("SELECT 2", 2),
        ],
    );
    check(
        "DO $body$ BEGIN PERFORM '$$;'; END $body$; SELECT 2",
        &[
            ("DO $body$ BEGIN PERFORM '$$;'; END $body$", 1),
            ("SELECT 2", 1),
        ],
    );
    // A parameter and a name containing `$` open nothing.
    check(
        "SELECT $1; SELECT a$b$; SELECT 3",
        &[("SELECT $1", 1), ("SELECT a$b$", 1), ("SELECT 3", 1)],
    );
}

#[test]
fn trigger_bodies_do_not_end_a_statement() {
    let trigger = "CREATE TRIGGER emp_audit AFTER UPDATE ON employees\n\
                   WHEN CASE WHEN new.salary > 0 THEN 1 ELSE 0 END\n\
                   BEGIN\n  \
                   INSERT INTO audit VALUES (new.id, 'x;y');\n  \
                   UPDATE t SET a = CASE WHEN 1 THEN 2 END;\n\
                   END";
    check(
        &format!("{trigger};\nSELECT 2;"),
        &[(trigger, 1), ("SELECT 2", 7)],
    );
    let temp = "CREATE TEMP TRIGGER t AFTER INSERT ON x BEGIN DELETE FROM y; END";
    check(&format!("{temp}; SELECT 1"), &[(temp, 1), ("SELECT 1", 1)]);
    let temporary =
        "create temporary trigger if not exists t after insert on x begin select 1; end";
    check(&format!("{temporary};"), &[(temporary, 1)]);
    // MySQL's compound statements close with `END IF` / `END CASE` inside the body.
    let mysql = "CREATE TRIGGER t BEFORE INSERT ON x FOR EACH ROW BEGIN\n\
                 IF new.a < 0 THEN SET new.a = 0; END IF;\n\
                 CASE new.b WHEN 1 THEN SET new.c = 1; ELSE SET new.c = 2; END CASE;\n\
                 END";
    check_in(
        Dialect::Mysql,
        &format!("{mysql};\nSELECT 1;"),
        &[(mysql, 1), ("SELECT 1", 5)],
    );
}

#[test]
fn a_body_never_closed_runs_to_the_end_of_the_text() {
    // Found by fuzzing the splitter: the statement ends at the end of the text, and a
    // comment after its last code is not part of it; a `;` inside the open body is.
    let open = "CREATE FUNCTION f() BEGIN SELECT 1; SELECT 2";
    check_in(Dialect::Mysql, &format!("{open} #c"), &[(open, 1)]);
    check_in(
        Dialect::Mysql,
        &format!("{open};\n"),
        &[(&format!("{open};"), 1)],
    );
}

#[test]
fn begin_outside_a_trigger_is_a_statement() {
    check(
        "BEGIN; CREATE TABLE t (a); COMMIT;",
        &[("BEGIN", 1), ("CREATE TABLE t (a)", 1), ("COMMIT", 1)],
    );
    check(
        "BEGIN TRANSACTION; END;",
        &[("BEGIN TRANSACTION", 1), ("END", 1)],
    );
}

#[test]
fn crlf_line_ends_count_as_one_line() {
    check(
        "SELECT 1;\r\n\r\nSELECT\r\n  2;\r\n",
        &[("SELECT 1", 1), ("SELECT\r\n  2", 3)],
    );
}

#[test]
fn dialect_forms() {
    check_in(
        Dialect::Mysql,
        "INSERT INTO t VALUES ('it\\'s; here'); SELECT 2",
        &[
            ("INSERT INTO t VALUES ('it\\'s; here')", 1),
            ("SELECT 2", 1),
        ],
    );
    check_in(
        Dialect::Mysql,
        "# a comment; still\nSELECT 1; SELECT a--b;",
        &[("SELECT 1", 2), ("SELECT a--b", 2)],
    );
    check_in(
        Dialect::Postgres,
        "SELECT E'a\\';b'; SELECT 2",
        &[("SELECT E'a\\';b'", 1), ("SELECT 2", 1)],
    );
    check_in(
        Dialect::Postgres,
        "/* a /* b */ ; */ SELECT 1; SELECT 2",
        &[("SELECT 1", 1), ("SELECT 2", 1)],
    );
    // In SQLite a backslash is an ordinary character.
    check_in(
        Dialect::Sqlite,
        "SELECT 'a\\'; SELECT 2",
        &[("SELECT 'a\\'", 1), ("SELECT 2", 1)],
    );
}

#[test]
fn unterminated_text_is_an_error_where_it_opens() {
    let cases = [
        (
            "SELECT 1;\nSELECT 'abc;\nSELECT 2",
            2,
            8,
            "unterminated string literal",
        ),
        ("SELECT \"abc", 1, 8, "unterminated quoted identifier"),
        ("SELECT `abc", 1, 8, "unterminated quoted identifier"),
        (
            "SELECT 1 /* never\nends",
            1,
            10,
            "unterminated block comment",
        ),
        (
            "SELECT 1;\n  SELECT $x$ abc $y$",
            2,
            10,
            "unterminated dollar-quoted string",
        ),
    ];
    for (input, line, column, message) in cases {
        let dialect = if input.contains('`') {
            Dialect::Mysql
        } else {
            Dialect::Postgres
        };
        assert_eq!(
            try_split_statements(input, "m.sql", dialect),
            Err(SqlError {
                file: "m.sql".into(),
                line,
                column,
                message: message.into()
            }),
            "input: {input:?}"
        );
    }
    // The lenient splitter keeps the rest of the text as the last statement.
    check(
        "SELECT 1;\nSELECT 'abc;\n",
        &[("SELECT 1", 1), ("SELECT 'abc;\n", 2)],
    );
    let sqlite = try_split_statements("SELECT [abc", "m.sql", Dialect::Sqlite).unwrap_err();
    assert_eq!(
        sqlite.to_string(),
        "m.sql:1:8: unterminated bracketed identifier"
    );
}
