//! Type changes the data-loss guard once let run unguarded (issue 17, item 1): the
//! model marked them, PostgreSQL had no count for them, and they changed stored
//! values without consent. Now every type change not proven lossless is counted (every
//! non-NULL value where no exact formula exists) and refused without consent.

use std::path::Path;

use wildebeest_revision::{Migration, Target, parse};
use wildebeest_runner::{Mode, RunError, Runner};

use crate::util::{db, table};

fn migration(name: &str, text: &str) -> Migration {
    parse(&Path::new("migrations").join(name), text).unwrap()
}

fn revision(id: &str, parent: &str, upgrade: &str) -> Migration {
    migration(
        &format!("2026010{}_000000_{id}_m.sql", &id[id.len() - 1..]),
        &format!(
            "-- wildebeest revision\n-- Revision: {id}\n-- Revises: {parent}\n-- Message: m\n\
             -- Created: 2026-01-01T00:00:00Z\n-- Dialect: postgresql\n\n\
             -- +upgrade\n{upgrade}\n\n-- +downgrade\n"
        ),
    )
}

/// The count in a guard's message (`3 rows hold a value that does not fit`).
fn count_in(item: &str) -> u64 {
    let words: Vec<&str> = item.split_whitespace().collect();
    let i = words
        .iter()
        .rposition(|w| *w == "rows" || *w == "row")
        .unwrap_or_else(|| panic!("no count in {item}"));
    words[i - 1].parse().unwrap()
}

/// Each example of the issue: the column, its type, the statement, a value that
/// changes and what it becomes.
const EXAMPLES: &[(&str, &str, &str, &str, &str)] = &[
    (
        "a",
        "TEXT",
        "ALTER TABLE t ALTER COLUMN a TYPE INTEGER USING a::INTEGER",
        "'007'",
        "7",
    ),
    (
        "b",
        "TIMESTAMP(6)",
        "ALTER TABLE t ALTER COLUMN b TYPE TIMESTAMP(0)",
        "'2026-01-01 10:00:00.654321'",
        "2026-01-01 10:00:01",
    ),
    (
        "c",
        "TIME(6)",
        "ALTER TABLE t ALTER COLUMN c TYPE TIME(0)",
        "'10:00:00.5'",
        "10:00:01",
    ),
    (
        "d",
        "VARBIT(8)",
        "ALTER TABLE t ALTER COLUMN d TYPE BIT(3) USING d::BIT(3)",
        "B'10110011'",
        "101",
    ),
    (
        "e",
        "INTEGER",
        "ALTER TABLE t ALTER COLUMN e TYPE BOOLEAN USING e::BOOLEAN",
        "5",
        "true",
    ),
    (
        "f",
        "INTERVAL",
        "ALTER TABLE t ALTER COLUMN f TYPE INTERVAL DAY",
        "'1 day 03:00:00'",
        "1 day",
    ),
    (
        "g",
        "TEXT",
        "ALTER TABLE t ALTER COLUMN g TYPE DATE USING g::DATE",
        "'2026-01-01 10:00'",
        "2026-01-01",
    ),
    (
        "h",
        "JSON",
        "ALTER TABLE t ALTER COLUMN h TYPE JSONB",
        r#"'{"a": 1, "a": 2}'"#,
        r#"{"a": 2}"#,
    ),
    (
        "i",
        "TIMESTAMP WITH TIME ZONE",
        "ALTER TABLE t ALTER COLUMN i TYPE TIMESTAMP",
        "'2026-01-01 10:00:00+05'",
        // In the server's time zone, which both connections of the test use.
        "",
    ),
];

#[test]
fn type_changes_without_a_count_formula_are_counted_and_refused_without_consent() {
    let mut db = db!();
    let mut backend = db.backend();
    let columns: Vec<String> = EXAMPLES
        .iter()
        .map(|(c, ty, ..)| format!("{c} {ty}"))
        .collect();
    let values: Vec<&str> = EXAMPLES.iter().map(|e| e.3).collect();
    let base = revision(
        "aaaaaaaaaaa1",
        "",
        &format!(
            "CREATE TABLE t (id INTEGER PRIMARY KEY, {});",
            columns.join(", ")
        ),
    );
    let statements: Vec<String> = EXAMPLES.iter().map(|e| format!("{};", e.2)).collect();
    let change = revision("aaaaaaaaaaa2", "aaaaaaaaaaa1", &statements.join("\n"));
    let migrations = vec![base, change];
    let mut out = Vec::new();
    Runner::new(&mut backend, &migrations)
        .unwrap()
        .upgrade(
            &Target::Revision("aaaaaaaaaaa1".into()),
            Mode::Execute,
            &mut out,
        )
        .unwrap();
    // A row whose every value changes, and one of NULLs.
    db.exec(&format!(
        "INSERT INTO t VALUES (1, {}); INSERT INTO t (id) VALUES (2)",
        values.join(", ")
    ));

    let err = Runner::new(&mut backend, &migrations)
        .unwrap()
        .upgrade(&Target::Head, Mode::Execute, &mut out)
        .unwrap_err();
    let RunError::DataLoss { items, .. } = &err else {
        panic!("{err}");
    };
    assert_eq!(items.len(), EXAMPLES.len(), "{items:#?}");
    for ((column, ..), item) in EXAMPLES.iter().zip(items) {
        assert!(item.contains(&format!("`t.{column}`")), "{item}");
        // One row's value changes; the NULL row's does not.
        assert_eq!(count_in(item), 1, "{item}");
    }
    let text = err.to_string();
    assert!(text.contains("--allow-data-loss"), "{text}");
    // Nothing ran.
    let before = db.rows("SELECT a, e::text FROM t WHERE id = 1");
    assert_eq!(before, table(&[&["007", "5"]]));

    Runner::new(&mut backend, &migrations)
        .unwrap()
        .with_allow_data_loss(true)
        .upgrade(&Target::Head, Mode::Execute, &mut out)
        .unwrap();
    let selects: Vec<String> = EXAMPLES
        .iter()
        .map(|(c, ..)| format!("{c}::text"))
        .collect();
    let after = db.rows(&format!(
        "SELECT {} FROM t WHERE id = 1",
        selects.join(", ")
    ));
    let zone = db.rows("SELECT '2026-01-01 10:00:00+05'::timestamptz::timestamp::text");
    let want: Vec<&str> = EXAMPLES
        .iter()
        .map(|e| {
            if e.4.is_empty() {
                zone[0][0].as_str()
            } else {
                e.4
            }
        })
        .collect();
    assert_eq!(after, table(&[&want]));
    // The offset was dropped: the value differs from the one stored.
    assert_ne!(zone[0][0], "2026-01-01 10:00:00");
}

/// Regression (issue 17, item 5): `VARCHAR(n) -> CHAR(n)` ran unmarked, and
/// PostgreSQL pads a `CHAR(n)` on output and drops its trailing spaces as text, so
/// 'ab' read back as 'ab ' and 'ab ' as 'ab'.
#[test]
fn varchar_to_char_counts_padded_and_trailing_space_values() {
    let mut db = db!();
    let mut backend = db.backend();
    let migrations = vec![
        revision(
            "aaaaaaaaaaa1",
            "",
            "CREATE TABLE v (id INTEGER PRIMARY KEY, s VARCHAR(3));",
        ),
        revision(
            "aaaaaaaaaaa2",
            "aaaaaaaaaaa1",
            "ALTER TABLE v ALTER COLUMN s TYPE CHAR(3);",
        ),
    ];
    let mut out = Vec::new();
    Runner::new(&mut backend, &migrations)
        .unwrap()
        .upgrade(
            &Target::Revision("aaaaaaaaaaa1".into()),
            Mode::Execute,
            &mut out,
        )
        .unwrap();
    db.exec("INSERT INTO v VALUES (1, 'abc'), (2, 'ab'), (3, 'ab '), (4, NULL)");
    let err = Runner::new(&mut backend, &migrations)
        .unwrap()
        .upgrade(&Target::Head, Mode::Execute, &mut out)
        .unwrap_err();
    let RunError::DataLoss { items, .. } = &err else {
        panic!("{err}");
    };
    assert_eq!(items.len(), 1, "{items:?}");
    assert!(
        items[0].contains("`v.s`") && items[0].ends_with("2 rows hold a value that does not fit"),
        "{items:?}"
    );
    Runner::new(&mut backend, &migrations)
        .unwrap()
        .with_allow_data_loss(true)
        .upgrade(&Target::Head, Mode::Execute, &mut out)
        .unwrap();
    assert_eq!(
        db.rows("SELECT s, s::text FROM v WHERE id < 4 ORDER BY id"),
        table(&[&["abc", "abc"], &["ab ", "ab"], &["ab ", "ab"]])
    );
}
