//! Garbage in, an error or a result out: never a panic, never the internal error that
//! stands for one caught on the parser thread.

use wildebeest_sql::{
    normalize_expr, parse_schema, parse_statements, parse_type, split_statements,
    try_split_statements,
};

use crate::ALL;

const FRAGMENTS: &[&str] = &[
    "CREATE",
    "TABLE",
    "INDEX",
    "UNIQUE",
    "ALTER",
    "ADD",
    "COLUMN",
    "DROP",
    "CONSTRAINT",
    "PRIMARY",
    "KEY",
    "FOREIGN",
    "REFERENCES",
    "CHECK",
    "DEFAULT",
    "NOT",
    "NULL",
    "ON",
    "CASCADE",
    "(",
    ")",
    ",",
    ";",
    "'",
    "\"",
    "`",
    "[",
    "]",
    "$$",
    "$a$",
    "--",
    "/*",
    "*/",
    "\n",
    "\r\n",
    "\t",
    "t",
    "a",
    "b",
    "INT",
    "TEXT",
    "VARCHAR(10)",
    "0x1F",
    "1",
    "-",
    "+",
    "AND",
    "OR",
    "CASE",
    "WHEN",
    "END",
    "BEGIN",
    "TRIGGER",
    "WITHOUT",
    "ROWID",
    "STRICT",
    "AUTOINCREMENT",
    "UNSIGNED",
    "BIG",
    "é",
    "AS",
    "SELECT",
    "WHERE",
    "IF",
    "EXISTS",
    "TYPE",
    "SET",
    "DATA",
    "RENAME",
    "TO",
    "::",
    "E'",
    "\\",
    "#",
    "TEMP",
    "COLLATE",
    "GENERATED",
    "STORED",
    "=",
    ">",
    "DESC",
];

#[test]
fn random_fragments_never_panic() {
    // xorshift: deterministic, so a failure reproduces.
    let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    for _ in 0..300 {
        let mut s = String::new();
        for _ in 0..next() % 40 {
            s.push_str(FRAGMENTS[(next() % FRAGMENTS.len() as u64) as usize]);
            if next() % 3 == 0 {
                s.push(' ');
            }
        }
        let _ = split_statements(&s);
        for dialect in ALL {
            let fine = |m: &str| assert!(!m.contains("internal error"), "{dialect:?}: {s:?}: {m}");
            let _ = try_split_statements(&s, "f.sql", dialect);
            if let Err(e) = parse_schema(&s, "f.sql", dialect) {
                fine(&e.message);
            }
            if let Err(e) = parse_statements(&s, "f.sql", dialect) {
                fine(&e.message);
            }
            if let Err(e) = normalize_expr(&s, dialect) {
                fine(&e);
            }
            if let Err(e) = parse_type(&s, dialect) {
                fine(&e);
            }
        }
    }
}

#[test]
fn deep_nesting_is_an_error() {
    let deep = format!(
        "CREATE TABLE t (a INT CHECK ({}1{}))",
        "(".repeat(5000),
        ")".repeat(5000)
    );
    for dialect in ALL {
        let err = parse_schema(&deep, "s.sql", dialect).unwrap_err();
        assert_eq!(err.message, "nested too deeply", "{dialect:?}");
    }
    let chain = format!(
        "CREATE TABLE t (a INT CHECK ({}))",
        vec!["a > 1"; 3000].join(" OR ")
    );
    let err = parse_schema(&chain, "s.sql", ALL[0]).unwrap_err();
    assert_eq!(
        err.message,
        "expression too long: more than 1000 operators in a row"
    );
}

#[test]
fn on_one_big_stack_parses_run_in_place_and_still_fail_alone() {
    let deep = format!(
        "CREATE TABLE t (a INT CHECK ({}1{}))",
        "(".repeat(5000),
        ")".repeat(5000)
    );
    let outer = std::thread::current().id();
    let (inner, nested, errors) = wildebeest_sql::on_big_stack(|| {
        let inner = std::thread::current().id();
        let mut errors = Vec::new();
        for dialect in ALL {
            // The same answers as on a thread per call, the errors included.
            errors.push(parse_schema(&deep, "s.sql", dialect).unwrap_err().message);
            assert!(parse_type("VARCHAR(20)", dialect).is_ok());
            assert_eq!(normalize_expr("((a > 0))", dialect).as_deref(), Ok("a > 0"));
        }
        // Nested: the same thread.
        let nested = wildebeest_sql::on_big_stack(|| std::thread::current().id());
        (inner, nested, errors)
    });
    assert_ne!(inner, outer);
    assert_eq!(nested, inner);
    assert!(
        errors.iter().all(|e| e == "nested too deeply"),
        "{errors:?}"
    );
    // A panic in the closure reaches the caller.
    let caught = std::panic::catch_unwind(|| wildebeest_sql::on_big_stack(|| panic!("boom")));
    assert!(caught.is_err());
}

#[test]
fn a_hundred_thousand_array_dimensions_are_refused_where_they_start() {
    // `int` and 100,000 `[]`: sqlparser reads each pair one level deeper, unchecked by
    // its recursion limit (a million overflowed the stack); resolving the type looked
    // into each pair with a copy of the text (quadratic: 40,000 took seconds).
    let deep = format!("CREATE TABLE t (\n  a int{});\n", "[]".repeat(100_000));
    for dialect in ALL {
        let err = parse_schema(&deep, "s.sql", dialect).unwrap_err();
        assert_eq!(
            (err.line, err.column, err.message.as_str()),
            (
                2,
                20,
                "more than 6 array dimensions: PostgreSQL allows no more"
            ),
            "{dialect:?}"
        );
        // A migration statement the parser cannot read runs as written: no change.
        let (statements, _) = parse_statements(
            &format!("ALTER TABLE t ADD COLUMN b int{};", "[3]".repeat(100_000)),
            "m.sql",
            dialect,
        )
        .unwrap();
        assert_eq!(statements.len(), 1, "{dialect:?}");
        assert_eq!(statements[0].change, None, "{dialect:?}");
    }
    // Six are PostgreSQL's limit, and read as one array type (PostgreSQL ignores the
    // number); SQLite keeps the text.
    let six = format!("CREATE TABLE t (a int{});", "[]".repeat(6));
    let (pg, _) = parse_schema(&six, "s.sql", wildebeest_sql::Dialect::Postgres).unwrap();
    assert_eq!(pg.tables["t"].columns[0].ty.to_string(), "INTEGER[]");
    let (lite, _) = parse_schema(&six, "s.sql", wildebeest_sql::Dialect::Sqlite).unwrap();
    assert_eq!(
        lite.tables["t"].columns[0].ty.to_string(),
        "INT[][][][][][]"
    );
}

#[test]
fn a_schema_of_ten_thousand_tables_is_read_whole() {
    // Each table a few lines, an index and a foreign key to the one before: about
    // 1.5 MB. Looking a table up by name went through every table (when the exact name
    // was not there, in the dialects whose names ignore case): quadratic.
    let text: String = (0..10_000)
        .map(|i| {
            format!(
                "CREATE TABLE t{i} (\n    id INTEGER PRIMARY KEY,\n    name VARCHAR(100) NOT NULL,\n    \
                 parent_id INTEGER REFERENCES T{} (id)\n);\nCREATE INDEX ix_t{i} ON t{i} (name);\n",
                i.max(1) - 1
            )
        })
        .collect();
    assert!(text.len() > 1_500_000);
    for dialect in [
        wildebeest_sql::Dialect::Sqlite,
        wildebeest_sql::Dialect::Mysql,
    ] {
        let (schema, _) = parse_schema(&text, "s.sql", dialect).unwrap();
        assert_eq!(schema.tables.len(), 10_000, "{dialect:?}");
        let last = &schema.tables["t9999"];
        assert_eq!(last.foreign_keys[0].ref_table, "t9998", "{dialect:?}");
        assert_eq!(last.indexes.len(), 1, "{dialect:?}");
    }
}

#[test]
fn an_error_next_to_a_merged_sqlite_type_name_is_reported_not_a_panic() {
    // Found by fuzzing: `INHERITS (b INDEX child_name ...` made the SQLite reading that
    // merges type words put its marker word where sqlparser's error message printed
    // it, and sqlparser panics on a word quoted any way but `"`, `[` or `` ` ``.
    let text =
        "CREATE TABLE bashild (extra integer) INHERITS (bINDEX child_name ON child (name);\n";
    for dialect in ALL {
        if let Err(e) = parse_schema(text, "s.sql", dialect) {
            assert!(
                !e.message.contains("internal error"),
                "{dialect:?}: {}",
                e.message
            );
        }
    }
    // A merged type name still reads as the words written.
    let (schema, _) = parse_schema(
        "CREATE TABLE t (n UNSIGNED BIG INT, c NATIVE CHARACTER(70));",
        "s.sql",
        wildebeest_sql::Dialect::Sqlite,
    )
    .unwrap();
    let t = schema.tables.get("t").unwrap();
    let types: Vec<String> = t.columns.iter().map(|c| c.ty.to_string()).collect();
    assert_eq!(types, ["UNSIGNED BIG INT", "NATIVE CHARACTER(70)"]);
}

#[test]
fn the_merged_type_marker_is_refused_in_source_text() {
    for dialect in ALL {
        let err = parse_schema("CREATE TABLE t (\n  a \u{1}INT);", "s.sql", dialect).unwrap_err();
        assert_eq!(
            (err.line, err.column),
            (2, 5),
            "{dialect:?}: {}",
            err.message
        );
        assert!(err.message.contains("U+0001"), "{}", err.message);
    }
}
