use wildebeest_sql::{Dialect, normalize_expr, normalize_stored_expr};

use crate::ALL;

/// Same canonical text in every dialect.
#[test]
fn parentheses_that_change_nothing_go() {
    let cases = [
        ("(0)", "0"),
        (" 0 ", "0"),
        ("0", "0"),
        ("((0))", "0"),
        ("'x'", "'x'"),
        ("'it''s'", "'it''s'"),
        ("'Ünïcode'", "'Ünïcode'"),
        ("-1", "-1"),
        ("-(1)", "-1"),
        ("- (-1)", "-(-1)"),
        ("1.50", "1.50"),
        ("NULL", "NULL"),
        ("TRUE", "true"),
        ("CURRENT_TIMESTAMP", "CURRENT_TIMESTAMP"),
        ("current_timestamp", "CURRENT_TIMESTAMP"),
        ("(current_date)", "CURRENT_DATE"),
        ("datetime('now')", "datetime('now')"),
        ("(datetime ( 'now' ))", "datetime('now')"),
        ("(salary > 0)", "salary > 0"),
        ("salary>0", "salary > 0"),
        // PostgreSQL writes checks with every comparison parenthesized.
        (
            "((salary > 0) AND (bonus >= 0))",
            "salary > 0 AND bonus >= 0",
        ),
        (
            "(((a = 1) OR (b = 2)) AND (c = 3))",
            "(a = 1 OR b = 2) AND c = 3",
        ),
        ("a = 1 OR (b = 2 AND c = 3)", "a = 1 OR b = 2 AND c = 3"),
        ("(a IS NULL) OR (b IN (1,2))", "a IS NULL OR b IN (1, 2)"),
        (
            "(a BETWEEN 1 AND 2) AND (b LIKE 'x%')",
            "a BETWEEN 1 AND 2 AND b LIKE 'x%'",
        ),
        ("(a * b) + c", "a * b + c"),
        ("(a + b) > 0", "a + b > 0"),
        // Operators of one precedence group to the left; a function's argument and
        // `POSITION`'s operands need no parentheses of their own.
        ("(a - b) + c", "a - b + c"),
        ("(a / b) * c", "a / b * c"),
        ("lower((a + b))", "lower(a + b)"),
        ("coalesce((a), (b + 1))", "coalesce(a, b + 1)"),
        ("x > (-1)", "x > -1"),
        // Parentheses that matter stay.
        ("(a + b) * c", "(a + b) * c"),
        ("a - (b - c)", "a - (b - c)"),
        ("NOT (a = b)", "NOT (a = b)"),
        ("(a = b) = c", "(a = b) = c"),
        ("(SELECT 1)", "(SELECT 1)"),
        (
            "CASE WHEN a THEN 1 ELSE 2 END",
            "CASE WHEN a THEN 1 ELSE 2 END",
        ),
        ("lower(name)", "lower(name)"),
        ("\"Salary\" > 0", "\"Salary\" > 0"),
        ("x'00ff'", "X'00ff'"),
    ];
    for dialect in ALL {
        for (input, expect) in cases {
            assert_eq!(
                normalize_expr(input, dialect),
                Ok(expect.to_string()),
                "{input} in {dialect:?}"
            );
            // Canonical text is a fixed point.
            assert_eq!(
                normalize_expr(expect, dialect),
                Ok(expect.to_string()),
                "{expect} in {dialect:?}"
            );
        }
    }
}

/// PostgreSQL's catalog keeps these in another form, which a model is compared in.
#[test]
fn stored_forms_are_written_as_postgres_prints_them_back() {
    let cases = [
        ("seats BETWEEN 1 AND 1000", "seats >= 1 AND seats <= 1000"),
        ("NOT (a BETWEEN 1 AND 2)", "NOT (a >= 1 AND a <= 2)"),
        ("a NOT BETWEEN -3 AND b + 1", "a < -3 OR a > b + 1"),
        ("x OR a BETWEEN 1 AND 2", "x OR a >= 1 AND a <= 2"),
        ("interval '14 days'", "'14 days'"),
        ("date '2020-01-01'", "'2020-01-01'"),
        ("lower(trim(title))", "lower(TRIM(title))"),
        // Regression: a bit string's default is `'0101'::"bit"` in the catalog, and
        // `check` found `B'0101'` drifted.
        ("B'0101'", "'0101'"),
        ("X'A'", "'1010'"),
        ("x'0f'", "'00001111'"),
        ("b'1' || B'0'", "'1' || '0'"),
        // A date and time type in one spelling: pg_dump's `timestamp without time
        // zone` and a file's `timestamp` were a changed default.
        (
            "CURRENT_DATE::timestamp without time zone",
            "CURRENT_DATE::TIMESTAMP",
        ),
        (
            "(CURRENT_DATE + 1)::timestamptz",
            "(CURRENT_DATE + 1)::TIMESTAMP WITH TIME ZONE",
        ),
        ("CAST(x AS time(3) without time zone)", "CAST(x AS TIME(3))"),
        ("LOCALTIME::timetz", "LOCALTIME::TIME WITH TIME ZONE"),
        // An interval in arithmetic keeps its type, which makes the operator: the
        // server refuses `now() - '1 day'` (a migration written so failed).
        ("now() - INTERVAL '1 day'", "now() - '1 day'::INTERVAL"),
        (
            "now() - '1 day'::interval * 2",
            "now() - '1 day'::INTERVAL * 2",
        ),
        ("INTERVAL '2 days' + d", "'2 days'::INTERVAL + d"),
        (
            "d > now() - interval '1 day'",
            "d > now() - '1 day'::INTERVAL",
        ),
        // pg_dump qualifies a type of `public`, which the model names unqualified.
        ("'ok'::public.mood", "'ok'::mood"),
        ("CAST(x AS public.mood)", "CAST(x AS mood)"),
        // Unchanged.
        ("interval '1' day", "INTERVAL '1' DAY"),
        ("TRIM(LEADING 'x' FROM t)", "TRIM(LEADING 'x' FROM t)"),
    ];
    for (input, expect) in cases {
        let got = normalize_stored_expr(input, Dialect::Postgres);
        assert_eq!(got, Ok(expect.to_string()), "{input}");
        let again = normalize_stored_expr(expect, Dialect::Postgres);
        assert_eq!(again, Ok(expect.to_string()), "{expect}");
    }
    // The other dialects keep what the file says.
    assert_eq!(
        normalize_stored_expr("a BETWEEN 1 AND 2", Dialect::Mysql).as_deref(),
        normalize_expr("a BETWEEN 1 AND 2", Dialect::Mysql).as_deref()
    );
}

#[test]
fn dialect_differences() {
    let cases = [
        // PostgreSQL folds unquoted names; the others keep them as written.
        ("Salary > 0", Dialect::Postgres, "salary > 0"),
        ("Salary > 0", Dialect::Sqlite, "Salary > 0"),
        ("Salary > 0", Dialect::Mysql, "Salary > 0"),
        ("LOWER(Name)", Dialect::Postgres, "lower(name)"),
        // MySQL ignores the case of a function's name and reports it in lower case.
        ("LOWER(Name)", Dialect::Mysql, "lower(Name)"),
        ("LOWER(Name)", Dialect::Sqlite, "LOWER(Name)"),
        // pg_dump's `public.f(x)` is the routine `f` of the one schema.
        ("public.add_one(N) > 0", Dialect::Postgres, "add_one(n) > 0"),
        (
            "other.add_one(n) > 0",
            Dialect::Postgres,
            "other.add_one(n) > 0",
        ),
        (
            "POSITION(('@') IN (email)) > 1",
            Dialect::Sqlite,
            "POSITION('@' IN email) > 1",
        ),
        (
            "POSITION(('@') IN (email)) > 1",
            Dialect::Postgres,
            "POSITION('@' IN email) > 1",
        ),
        (
            "POSITION(('@') IN (email)) > 1",
            Dialect::Mysql,
            "position('@' IN email) > 1",
        ),
        ("CAST((a) AS TEXT)", Dialect::Sqlite, "CAST(a AS TEXT)"),
        ("CAST((a) AS TEXT)", Dialect::Postgres, "CAST(a AS TEXT)"),
        ("CAST((a) AS CHAR)", Dialect::Mysql, "cast(a AS CHAR)"),
        // `||` is concatenation in SQLite and PostgreSQL, OR in MySQL.
        ("((a || b) = c)", Dialect::Sqlite, "a || b = c"),
        ("((a || b) = c)", Dialect::Mysql, "(a || b) = c"),
        // `0x1F` is an integer in SQLite and PostgreSQL.
        ("0x1F", Dialect::Sqlite, "31"),
        ("0x1F", Dialect::Postgres, "31"),
        ("0x1F", Dialect::Mysql, "X'1F'"),
        (
            "'x'::character varying",
            Dialect::Postgres,
            "'x'::CHARACTER VARYING",
        ),
        ("(a)::int", Dialect::Postgres, "a::INT"),
        ("'a\\'b'", Dialect::Mysql, "'a''b'"),
    ];
    for (input, dialect, expect) in cases {
        assert_eq!(
            normalize_expr(input, dialect),
            Ok(expect.to_string()),
            "{input} in {dialect:?}"
        );
    }
}

#[test]
fn unreadable_expressions_are_errors() {
    let cases = [
        ("", "empty expression"),
        ("  ", "empty expression"),
        (
            "1 +",
            "cannot read expression `1 +`: Expected: an expression, found: EOF (line 1, column 4)",
        ),
        (
            "a b",
            "cannot read expression `a b`: Expected: EOF, found: b (line 1, column 3)",
        ),
        (
            "'open",
            "cannot read expression `'open`: Unterminated string literal (line 1, column 1)",
        ),
        (
            "(((((((((((((((((((((((((((((((((((((((((((((((((((1)))))))))))))))))))))))))))))))))))))))))))))))))))",
            "cannot read expression `(((((((((((((((((((((((((((((((((((((((((((((((((((1)))))))) ...`: nested too deeply (line 1, column 1)",
        ),
    ];
    for (input, message) in cases {
        assert_eq!(
            normalize_expr(input, Dialect::Sqlite),
            Err(message.to_string()),
            "{input}"
        );
    }
}

/// sqlparser prints and drops a long operator chain recursively; such input is an
/// error, not a stack overflow.
#[test]
fn a_very_long_chain_is_an_error_not_a_crash() {
    let long = vec!["a = 1"; 5000].join(" AND ");
    let err = normalize_expr(&long, Dialect::Sqlite).unwrap_err();
    assert_eq!(
        err,
        "cannot read expression `a = 1 AND a = 1 AND a = 1 AND a = 1 AND a = 1 AND a = 1 AND ...`: \
         expression too long: more than 1000 operators in a row (line 1, column 5003)"
    );
    let ok = vec!["a"; 400].join(" + ");
    assert_eq!(normalize_expr(&ok, Dialect::Postgres), Ok(ok.clone()));
}

/// PostgreSQL prints a name back quoted only where it must be: a schema file's
/// needlessly quoted `"b"` compares as `b`, a name that needs its quotes keeps them, and
/// strings are left alone.
#[test]
fn postgres_stored_names_are_quoted_as_postgres_prints_them() {
    let cases = [
        ("\"b\" > 0", "b > 0"),
        (
            "\"Name\" > 0 AND \"select\" <> 1",
            "\"Name\" > 0 AND \"select\" <> 1",
        ),
        ("lower(\"b\"::TEXT)", "lower(b::TEXT)"),
        ("\"a\"\"b\" = '\"b\"'", "\"a\"\"b\" = '\"b\"'"),
        (
            "\"first name\" <> 'it''s \"b\"'",
            "\"first name\" <> 'it''s \"b\"'",
        ),
    ];
    for (text, want) in cases {
        assert_eq!(
            normalize_stored_expr(text, Dialect::Postgres).unwrap(),
            want,
            "{text}"
        );
    }
}
