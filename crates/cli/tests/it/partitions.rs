//! PostgreSQL's declarative partitioning on a real server through the binary: a
//! hand-written migration with `PARTITION BY`, `PARTITION OF`, `ATTACH PARTITION`
//! and `CREATE INDEX ... ON ONLY` is followed by the replay and `check`; a partition
//! detached by hand is drift; a changed partition key is refused by name; SQLite
//! refuses partitioning by name. (pg_dump's form: `pg_dump::partitions_*`.)

use crate::servers::{Server, TestDb};
use crate::util::{TempProject, hand_write, ok, run_text};

/// With a plain table beside the partitioned one: `check` once took the partition
/// key of the scratch table it made it into (`LIST ((id IS NULL))`) for the table's.
const SCHEMA: &str = "\
CREATE TABLE kinds (name TEXT PRIMARY KEY);
CREATE TABLE events (
    id INTEGER NOT NULL,
    happened DATE NOT NULL,
    kind TEXT,
    PRIMARY KEY (id, happened)
) PARTITION BY RANGE (happened);
CREATE INDEX events_kind ON events (kind);
CREATE TABLE events_2024 PARTITION OF events FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE TABLE events_rest PARTITION OF events DEFAULT;
";

#[test]
fn hand_written_partitions_are_replayed_and_checked() {
    let Some(db) = TestDb::new(Server::Postgres, "parts_replay") else {
        return;
    };
    let p = TempProject::on(Some(&db));
    ok(&p, &["revision", "-m", "by hand"]);
    hand_write(
        &p,
        "CREATE TABLE events (id INTEGER NOT NULL, happened DATE NOT NULL, kind TEXT, \
         PRIMARY KEY (id, happened)) PARTITION BY RANGE (happened);\n\n\
         CREATE INDEX events_kind ON ONLY events (kind);\n\n\
         CREATE TABLE events_2024 (id INTEGER NOT NULL, happened DATE NOT NULL, kind TEXT);\n\n\
         ALTER TABLE ONLY events ATTACH PARTITION events_2024 \
         FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');\n\n\
         CREATE TABLE events_rest PARTITION OF events DEFAULT;\n\n\
         CREATE TABLE kinds (name TEXT PRIMARY KEY);",
        "DROP TABLE events;\n\nDROP TABLE kinds;",
    );
    p.write("schema.sql", SCHEMA);
    let (code, text) = run_text(&p, &["migrate", "-m", "again"]);
    assert_eq!(code, 0, "{text}");
    assert!(text.starts_with("No changes"), "{text}");
    assert!(!text.contains("not followed"), "{text}");

    ok(&p, &["upgrade"]);
    db.execute("INSERT INTO events VALUES (1, '2024-05-01', 'a'), (2, '2030-01-01', 'b')");
    let (code, text) = run_text(&p, &["check"]);
    assert_eq!(code, 0, "{text}");

    // A partition detached by hand is drift, named.
    db.execute("ALTER TABLE events DETACH PARTITION events_2024");
    let (code, text) = run_text(&p, &["check"]);
    assert_eq!(code, 1, "{text}");
    assert!(text.contains("events_2024"), "{text}");
}

#[test]
fn a_partition_moved_to_another_bound_keeps_its_rows_both_ways() {
    let Some(db) = TestDb::new(Server::Postgres, "parts_bound") else {
        return;
    };
    let p = TempProject::on(Some(&db));
    p.write("schema.sql", SCHEMA);
    ok(&p, &["migrate", "-m", "init"]);
    ok(&p, &["upgrade"]);
    db.execute("INSERT INTO events VALUES (1, '2024-05-01', 'a'), (2, '2030-01-01', 'b')");
    p.write(
        "schema.sql",
        &SCHEMA.replace("TO ('2025-01-01')", "TO ('2026-01-01')"),
    );
    ok(&p, &["migrate", "-m", "wider"]);
    let file = std::fs::read_to_string(p.migrations().last().unwrap()).unwrap();
    assert!(
        file.contains("ALTER TABLE events DETACH PARTITION events_2024")
            && file.contains(
                "ALTER TABLE events ATTACH PARTITION events_2024 FOR VALUES FROM ('2024-01-01') TO ('2026-01-01')"
            ),
        "{file}"
    );
    assert!(!file.contains("DATA LOSS"), "{file}");
    ok(&p, &["upgrade"]);
    let (code, text) = run_text(&p, &["check"]);
    assert_eq!(code, 0, "{text}");
    ok(&p, &["downgrade", "-1"]);
    let rows = db.rows("SELECT tableoid::regclass::text FROM events ORDER BY id");
    assert_eq!(rows, [["events_2024"], ["events_rest"]]);
}

#[test]
fn a_changed_partition_key_is_refused_by_name() {
    let Some(db) = TestDb::new(Server::Postgres, "parts_key") else {
        return;
    };
    let p = TempProject::on(Some(&db));
    p.write("schema.sql", SCHEMA);
    ok(&p, &["migrate", "-m", "init"]);
    p.write(
        "schema.sql",
        &SCHEMA.replace(
            "PRIMARY KEY (id, happened)\n) PARTITION BY RANGE (happened)",
            "PRIMARY KEY (id, happened)\n) PARTITION BY RANGE (id, happened)",
        ),
    );
    let (code, text) = run_text(&p, &["migrate", "-m", "rekey"]);
    assert_eq!(code, 2, "{text}");
    assert!(
        text.contains(
            "table `events`: its partitioning changes (RANGE (happened) -> RANGE (id, happened))"
        ),
        "{text}"
    );
    assert_eq!(p.migrations().len(), 1);
}

#[test]
fn sqlite_refuses_partitioning_by_name() {
    let p = TempProject::init();
    p.write(
        "schema.sql",
        "CREATE TABLE t (id INTEGER, at TEXT)\nPARTITION BY RANGE (at);\n",
    );
    let (code, text) = run_text(&p, &["migrate", "-m", "init"]);
    assert_eq!(code, 2, "{text}");
    assert!(
        text.contains("schema.sql:1:14: table `t`: SQLite has no partitioning (`PARTITION BY`)"),
        "{text}"
    );
}

/// A PostgreSQL file's partitioned tables have no form on SQLite: `upgrade` there
/// refuses them by name before anything runs, rather than make plain tables.
#[test]
fn a_postgres_file_with_partitions_is_refused_by_name_on_sqlite() {
    let p = TempProject::init();
    ok(&p, &["revision", "-m", "by hand"]);
    let path = p.migrations().last().unwrap().clone();
    let text = std::fs::read_to_string(&path).unwrap();
    let head = text[..text.find("-- +upgrade").unwrap()]
        .replace("-- Dialect: sqlite", "-- Dialect: postgresql");
    std::fs::write(
        &path,
        format!(
            "{head}-- +upgrade\nCREATE TABLE t (id INTEGER, at DATE) PARTITION BY RANGE (at);\n\n\
             -- +downgrade\nDROP TABLE t;\n"
        ),
    )
    .unwrap();
    ok(&p, &["rehash"]);
    let (code, text) = run_text(&p, &["upgrade"]);
    assert_eq!(code, 2, "{text}");
    assert!(
        text.contains("table `t` is partitioned the PostgreSQL way"),
        "{text}"
    );
    let (_, status) = run_text(&p, &["current"]);
    assert!(!status.contains("Applied"), "{status}");
}
