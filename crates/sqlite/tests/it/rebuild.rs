//! Table rebuilds against real databases, with the models written out by hand (so
//! these run without the SQL parser); `flow` has the same through the parser.

use std::sync::atomic::{AtomicBool, Ordering};

use wildebeest_runner::{Activity, Backend, BackendError, Doing, Script, Step};
use wildebeest_schema::{
    AlterAction, Change, Column, ColumnAlter, ColumnType, Constraint, FkAction, ForeignKey, Index,
    Op, PrimaryKey, Schema, Table, Unique,
};
use wildebeest_sql::Statement;

use crate::util::{Db, table, upgrade};

const SETUP: &str = "
CREATE TABLE teams (id INTEGER NOT NULL, name TEXT, PRIMARY KEY (id), UNIQUE (name));
CREATE TABLE people (id INTEGER NOT NULL, name TEXT, team INTEGER, PRIMARY KEY (id));
CREATE INDEX people_name ON people (name);
CREATE TABLE log (what TEXT);
CREATE VIEW named AS SELECT id, name FROM people WHERE name IS NOT NULL;
INSERT INTO teams VALUES (1, 'red'), (2, 'blue');
INSERT INTO people VALUES (1, 'ann', 1), (2, 'bob', 2), (3, 'cy', NULL);
-- Last, so that the rows above leave no log.
CREATE TRIGGER people_log AFTER INSERT ON people BEGIN INSERT INTO log VALUES ('hi ' || new.name); END;
";

fn col(name: &str, ty: ColumnType, nullable: bool) -> Column {
    Column {
        nullable,
        ..Column::new(name, ty)
    }
}

fn teams() -> Table {
    let mut t = Table::new("teams");
    t.columns = vec![
        col("id", ColumnType::Integer, false),
        col("name", ColumnType::Text, true),
    ];
    t.primary_key = Some(PrimaryKey {
        deferral: Default::default(),
        name: None,
        columns: vec!["id".into()],
    });
    t.uniques = vec![Unique {
        deferral: Default::default(),
        name: None,
        columns: vec!["name".into()],
    }];
    t
}

fn people() -> Table {
    let mut t = Table::new("people");
    t.columns = vec![
        col("id", ColumnType::Integer, false),
        col("name", ColumnType::Text, true),
        col("team", ColumnType::Integer, true),
    ];
    t.primary_key = Some(PrimaryKey {
        deferral: Default::default(),
        name: None,
        columns: vec!["id".into()],
    });
    t.indexes = vec![Index {
        hidden: None,
        name: "people_name".into(),
        table: "people".into(),
        columns: vec!["name".into()],
        unique: false,
        predicate: None,
        method: None,
        nulls_not_distinct: false,
        comment: None,
        include: Vec::new(),
        storage: Vec::new(),
        predicate_written: Default::default(),
    }];
    t
}

fn log() -> Table {
    let mut t = Table::new("log");
    t.columns = vec![col("what", ColumnType::Text, true)];
    t
}

fn schema(tables: Vec<Table>) -> Schema {
    Schema {
        tables: tables.into_iter().map(|t| (t.name.clone(), t)).collect(),
        ..Schema::default()
    }
}

fn team_fk() -> ForeignKey {
    ForeignKey {
        name: None,
        columns: vec!["team".into()],
        ref_table: "teams".into(),
        ref_columns: vec!["id".into()],
        on_delete: FkAction::NoAction,
        on_update: FkAction::NoAction,
        deferral: Default::default(),
    }
}

/// Plans, wraps and runs one `ALTER TABLE` with the given ops as revision `r1`.
fn run(
    db: &Db,
    before: Schema,
    after: Schema,
    table: &str,
    actions: Vec<AlterAction>,
    ops: Vec<Op>,
) -> Result<Script, BackendError> {
    run_told(db, before, after, table, actions, ops, &Activity::default())
}

/// [`run`], telling `activity` what runs.
fn run_told(
    db: &Db,
    before: Schema,
    after: Schema,
    table: &str,
    actions: Vec<AlterAction>,
    ops: Vec<Op>,
    activity: &Activity,
) -> Result<Script, BackendError> {
    let mut backend = db.backend();
    backend.ensure_version_tables().unwrap();
    let statement = Statement {
        text: "ALTER TABLE ...".into(),
        line: 1,
        change: Some(Change::AlterTable {
            table: table.into(),
            actions,
        }),
    };
    // The backend makes the schema after the statement from the ops itself.
    let mut applied = before.clone();
    for op in &ops {
        op.apply(&mut applied).unwrap();
    }
    assert_eq!(
        applied, after,
        "the ops give the schema after the statement"
    );
    let planned = backend.plan(&before, &statement, &ops, wildebeest_sql::Dialect::Sqlite)?;
    let mut script = Script {
        body: planned
            .sql
            .into_iter()
            .map(|sql| Step { sql, line: Some(1) })
            .collect(),
        rebuilt_tables: planned.rebuilt_tables,
        ..Script::default()
    };
    backend.wrap(&mut script);
    backend.lock().unwrap();
    let result = backend.execute(&script, &upgrade("r1"), activity);
    backend.unlock().unwrap();
    result.map(|()| script)
}

fn set_not_null(db: &Db) -> Result<Script, BackendError> {
    set_not_null_told(db, &Activity::default())
}

fn set_not_null_told(db: &Db, activity: &Activity) -> Result<Script, BackendError> {
    let mut after = people();
    after.columns[1].nullable = false;
    run_told(
        db,
        schema(vec![teams(), people(), log()]),
        schema(vec![teams(), after.clone(), log()]),
        "people",
        vec![AlterAction::AlterColumn {
            column: "name".into(),
            alter: ColumnAlter::SetNotNull,
        }],
        vec![Op::AlterColumn {
            table: "people".into(),
            from: people().columns[1].clone(),
            to: after.columns[1].clone(),
        }],
        activity,
    )
}

#[test]
fn a_followed_rebuild_tells_how_many_rows_it_has_copied() {
    let db = Db::with(SETUP);
    // Enough rows for the copy to run many progress looks.
    db.conn()
        .execute_batch(
            "WITH RECURSIVE n(i) AS (SELECT 4 UNION ALL SELECT i + 1 FROM n WHERE i < 60000) \
             INSERT INTO people (id, name) SELECT i, 'p' || i FROM n",
        )
        .unwrap();
    let activity = Activity::default();
    let reader = activity.follow();
    // The copy waits until the reader has seen it part way: no race with its speed.
    activity.hold_copies();
    let done = AtomicBool::new(false);
    let seen = std::thread::scope(|s| {
        let watcher = s.spawn(|| {
            while !done.load(Ordering::Relaxed) {
                if let Some(copy) = reader.now().copy.filter(|c| c.copied > 0) {
                    return Some(copy);
                }
                std::thread::yield_now();
            }
            None
        });
        set_not_null_told(&db, &activity).unwrap();
        done.store(true, Ordering::Relaxed);
        watcher.join().unwrap()
    });
    let copy = seen.expect("the reader never saw the copy part way");
    assert_eq!((copy.table.as_str(), copy.total), ("people", 60_000));
    assert!(copy.copied > 0 && copy.copied <= 60_000, "{copy:?}");
    // Once the revision ran, nothing is told running.
    assert_eq!(reader.now(), Doing::default());
    assert_eq!(db.rows("SELECT count(*) FROM people"), [["60000"]]);
}

#[test]
fn a_rebuild_nobody_follows_is_not_counted() {
    let db = Db::with(SETUP);
    let activity = Activity::default();
    activity.hold_copies();
    // Not followed: the copy runs as a plain statement, so it neither counts the
    // table nor waits for a reader that will never come.
    set_not_null_told(&db, &activity).unwrap();
    assert!(!activity.copy_seen());
    assert_eq!(activity.now(), Doing::default());
}

#[test]
fn set_not_null_keeps_rows_index_trigger_and_view() {
    let db = Db::with(SETUP);
    let master_before = db.master();
    let script = set_not_null(&db).unwrap();
    assert_eq!(script.before, ["PRAGMA foreign_keys = OFF"]);
    assert_eq!(script.verify, ["PRAGMA foreign_key_check(people)"]);
    assert_eq!(script.rebuilt_tables, ["people"]);

    assert_eq!(
        db.rows("SELECT rowid, id, name, team FROM people ORDER BY id"),
        table(&[
            &["1", "1", "ann", "1"],
            &["2", "2", "bob", "2"],
            &["3", "3", "cy", "NULL"]
        ])
    );
    let master = db.master();
    let people_sql = "CREATE TABLE \"people\" (\n    id INTEGER NOT NULL,\n    name TEXT NOT NULL,\n    team INTEGER,\n    PRIMARY KEY (id)\n)";
    let want: Vec<Vec<String>> = master_before
        .iter()
        .map(|r| {
            if r[1] == "people" {
                vec![r[0].clone(), r[1].clone(), people_sql.into()]
            } else {
                r.clone()
            }
        })
        .collect();
    assert_eq!(master, want);

    let conn = db.conn();
    conn.execute_batch("INSERT INTO people VALUES (4, 'dee', NULL)")
        .unwrap();
    assert_eq!(
        crate::util::rows(&conn, "SELECT what FROM log"),
        table(&[&["hi dee"]])
    );
    assert_eq!(
        crate::util::rows(&conn, "SELECT count(*) FROM named"),
        table(&[&["4"]])
    );
    let err = conn
        .execute_batch("INSERT INTO people VALUES (5, NULL, NULL)")
        .unwrap_err();
    assert_eq!(err.to_string(), "NOT NULL constraint failed: people.name");
}

#[test]
fn set_not_null_on_a_column_with_nulls_fails_and_changes_nothing() {
    let db = Db::with(&format!(
        "{SETUP}; INSERT INTO people VALUES (9, NULL, NULL);"
    ));
    let master_before = db.master();
    let rows_before = db.rows("SELECT rowid, * FROM people ORDER BY rowid");
    let err = set_not_null(&db).unwrap_err();
    assert_eq!(
        err,
        BackendError {
            message: "NOT NULL constraint failed: _wildebeest_new_people.name".into(),
            step: Some(1)
        }
    );
    assert_eq!(db.master(), master_before);
    assert_eq!(
        db.rows("SELECT rowid, * FROM people ORDER BY rowid"),
        rows_before
    );
    assert_eq!(
        db.rows("SELECT count(*) FROM wildebeest_revisions"),
        table(&[&["0"]])
    );
    // The connection is back to normal: views are checked on rename again.
    let mut backend = db.backend();
    backend.ensure_version_tables().unwrap();
}

#[test]
fn adding_a_foreign_key_the_rows_break_fails_the_check() {
    let db = Db::with(&format!(
        "{SETUP}; INSERT INTO people VALUES (7, 'eve', 42);"
    ));
    let master_before = db.master();
    let mut after = people();
    after.foreign_keys = vec![team_fk()];
    let err = run(
        &db,
        schema(vec![teams(), people(), log()]),
        schema(vec![teams(), after, log()]),
        "people",
        vec![AlterAction::AddConstraint(
            Constraint::ForeignKey(team_fk()),
        )],
        vec![Op::AddConstraint {
            table: "people".into(),
            constraint: Constraint::ForeignKey(team_fk()),
        }],
    )
    .unwrap_err();
    assert_eq!(
        err,
        BackendError::new(
            "foreign key check failed: row 7 of `people` has no matching row in `teams`"
        )
    );
    assert_eq!(db.master(), master_before);
}

#[test]
fn rebuilding_a_parent_checks_its_children() {
    // people.team references teams (name); dropping UNIQUE (name) leaves the
    // foreign key without a key to point at.
    let setup = "
        CREATE TABLE teams (id INTEGER NOT NULL, name TEXT, PRIMARY KEY (id), UNIQUE (name));
        CREATE TABLE people (id INTEGER NOT NULL, team TEXT REFERENCES teams (name), PRIMARY KEY (id));
        INSERT INTO teams VALUES (1, 'red');
        INSERT INTO people VALUES (1, 'red');
    ";
    let db = Db::with(setup);
    let mut p = Table::new("people");
    p.columns = vec![
        col("id", ColumnType::Integer, false),
        col("team", ColumnType::Text, true),
    ];
    p.primary_key = Some(PrimaryKey {
        deferral: Default::default(),
        name: None,
        columns: vec!["id".into()],
    });
    p.foreign_keys = vec![ForeignKey {
        columns: vec!["team".into()],
        ref_columns: vec!["name".into()],
        ..team_fk()
    }];
    let mut after = teams();
    after.uniques.clear();
    let unique = Constraint::Unique(teams().uniques[0].clone());
    let err = run(
        &db,
        schema(vec![teams(), p.clone()]),
        schema(vec![after, p]),
        "teams",
        vec![AlterAction::DropConstraint("teams_name_key".into())],
        vec![Op::DropConstraint {
            table: "teams".into(),
            constraint: unique,
        }],
    )
    .unwrap_err();
    assert_eq!(
        err,
        BackendError::new(
            "PRAGMA foreign_key_check(people): foreign key mismatch - \"people\" referencing \"teams\""
        )
    );
    assert_eq!(
        db.rows("SELECT sql FROM sqlite_master WHERE name = 'teams'"),
        table(&[&[
            "CREATE TABLE teams (id INTEGER NOT NULL, name TEXT, PRIMARY KEY (id), UNIQUE (name))"
        ]])
    );
}

#[test]
fn a_rebuild_that_breaks_a_view_fails() {
    // Dropping `name` in a rebuild (it has an index, so SQLite's DROP COLUMN would
    // refuse) would leave the view `named` pointing at nothing.
    let db = Db::with(SETUP);
    let mut after = people();
    after.columns.remove(1);
    after.indexes.clear();
    let err = run(
        &db,
        schema(vec![teams(), people(), log()]),
        schema(vec![teams(), after, log()]),
        "people",
        vec![AlterAction::DropColumn("name".into())],
        vec![
            Op::DropIndex(people().indexes[0].clone()),
            Op::DropColumn {
                table: "people".into(),
                column: people().columns[1].clone(),
            },
        ],
    )
    .unwrap_err();
    assert_eq!(err.step, None, "{err:?}");
    assert_eq!(
        err.message,
        "view `named` no longer works after table `people` was rebuilt: no such column: name"
    );
}

#[test]
fn a_rebuild_that_breaks_a_trigger_fails() {
    let db = Db::with(&format!("{SETUP}\nDROP VIEW named;"));
    let master = db.master();
    let mut after = people();
    after.columns.remove(1);
    after.indexes.clear();
    let err = run(
        &db,
        schema(vec![teams(), people(), log()]),
        schema(vec![teams(), after, log()]),
        "people",
        vec![AlterAction::DropColumn("name".into())],
        vec![
            Op::DropIndex(people().indexes[0].clone()),
            Op::DropColumn {
                table: "people".into(),
                column: people().columns[1].clone(),
            },
        ],
    )
    .unwrap_err();
    assert_eq!(
        err,
        BackendError::new(
            "the triggers on `people` (`people_log`) no longer work after table `people` was rebuilt: no such column: new.name"
        )
    );
    assert_eq!(db.master(), master);
}

#[test]
fn a_rebuild_keeps_the_autoincrement_counter() {
    let db = Db::with(
        "CREATE TABLE events (id INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT, at TEXT);
         INSERT INTO events (at) VALUES ('a'), ('b'), ('c');
         DELETE FROM events WHERE id = 3;",
    );
    let mut before = Table::new("events");
    before.columns = vec![
        Column {
            auto_increment: true,
            generated_always: false,
            on_update: None,
            ..col("id", ColumnType::Integer, false)
        },
        col("at", ColumnType::Text, true),
    ];
    before.primary_key = Some(PrimaryKey {
        deferral: Default::default(),
        name: None,
        columns: vec!["id".into()],
    });
    let mut after = before.clone();
    after.columns[1].default = Some("'now'".into());
    run(
        &db,
        schema(vec![before.clone()]),
        schema(vec![after.clone()]),
        "events",
        vec![AlterAction::AlterColumn {
            column: "at".into(),
            alter: ColumnAlter::SetDefault("'now'".into()),
        }],
        vec![Op::AlterColumn {
            table: "events".into(),
            from: before.columns[1].clone(),
            to: after.columns[1].clone(),
        }],
    )
    .unwrap();
    let conn = db.conn();
    conn.execute_batch("INSERT INTO events DEFAULT VALUES")
        .unwrap();
    assert_eq!(
        crate::util::rows(&conn, "SELECT id, at FROM events ORDER BY id"),
        table(&[&["1", "a"], &["2", "b"], &["4", "now"]])
    );
    assert_eq!(
        crate::util::rows(
            &conn,
            "SELECT name, seq FROM sqlite_sequence WHERE name NOT LIKE 'wildebeest%'"
        ),
        table(&[&["events", "4"]])
    );
}
