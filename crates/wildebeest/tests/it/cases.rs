//! Golden cases: `tests/cases/<name>/{from.sql,to.sql[,rows.sql]}`.
//!
//! For each case: the generated upgrade and downgrade for SQLite are snapshots
//! (`tests/cases/<name>/sqlite.snap`, reviewed like code); in the model, the upgrade
//! takes `from` to `to` and the downgrade takes it back; against a real SQLite
//! database, built from `from` by a generated migration and filled with `rows.sql`,
//! upgrading gives a database whose introspected schema equals `to` (diffing again
//! finds nothing), downgrading gives `from` back, and the rows in every column that
//! both schemas define the same way survive both ways.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use wildebeest::app::{self, Direction, Fresh, Project, RunOptions};
use wildebeest::config::Config;
use wildebeest::renames::RenameFlags;
use wildebeest_runner::Backend;
use wildebeest_schema::{Hints, Op, Schema, diff};
use wildebeest_sql::Dialect;
use wildebeest_sqlite::SqliteBackend;

use crate::util::query_rows;

/// The round trip consents to data loss: the guard has tests of its own.
const ALLOW: RunOptions = RunOptions {
    sql: false,
    allow_data_loss: true,
};

fn case_dir(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/cases")
        .join(name)
}

fn parse(dir: &Path, file: &str) -> Schema {
    let text = std::fs::read_to_string(dir.join(file)).unwrap();
    let (schema, _warnings) = wildebeest_sql::parse_schema(&text, file, Dialect::Sqlite).unwrap();
    schema
}

fn same(a: &Schema, b: &Schema) -> Vec<String> {
    diff(a, b, &Hints::default())
        .iter()
        .map(Op::describe)
        .collect()
}

fn fresh(n: u8) -> Fresh {
    Fresh {
        now: format!("2026-01-0{n}T00:00:00Z"),
        random: [n, 0, 0, 0, 0, n],
    }
}

fn inspect(db: &Path) -> Schema {
    let mut backend = SqliteBackend::open(db, false).unwrap();
    backend.inspect().unwrap()
}

/// `(table, column)` pairs defined identically in both schemas: their data must survive.
fn untouched(from: &Schema, to: &Schema) -> BTreeMap<String, Vec<String>> {
    let mut out = BTreeMap::new();
    for (name, t) in &from.tables {
        let Some(t2) = to.tables.get(name) else {
            continue;
        };
        let cols: Vec<String> = t
            .columns
            .iter()
            .filter(|c| t2.column(&c.name) == Some(*c))
            .map(|c| c.name.clone())
            .collect();
        if !cols.is_empty() {
            out.insert(name.clone(), cols);
        }
    }
    out
}

fn snapshot_rows(
    db: &Path,
    cols: &BTreeMap<String, Vec<String>>,
) -> BTreeMap<String, Vec<Vec<String>>> {
    let conn = rusqlite::Connection::open(db).unwrap();
    cols.iter()
        .map(|(table, cols)| {
            let list = cols
                .iter()
                .map(|c| format!("\"{c}\""))
                .collect::<Vec<_>>()
                .join(", ");
            let sql = format!("SELECT {list} FROM \"{table}\" ORDER BY {list}");
            (table.clone(), query_rows(&conn, &sql))
        })
        .collect()
}

fn project(root: &Path) -> Project {
    Project::load(Config::load(root, None, None).unwrap()).unwrap()
}

fn check_case(name: &str) {
    let dir = case_dir(name);
    let from = parse(&dir, "from.sql");
    let to = parse(&dir, "to.sql");

    // The golden file.
    let g = app::generate(Dialect::Sqlite, &from, &to, &Hints::default()).unwrap();
    assert!(
        !g.ops.is_empty(),
        "{name}: from.sql and to.sql do not differ"
    );
    let text = format!(
        "-- changes\n{}\n\n-- upgrade\n{};\n\n-- downgrade\n{};\n",
        g.ops
            .iter()
            .map(|o| format!("-- {}", o.describe()))
            .collect::<Vec<_>>()
            .join("\n"),
        g.upgrade.join(";\n\n"),
        g.downgrade.join(";\n\n")
    );
    insta::with_settings!({snapshot_path => dir.clone(), prepend_module_to_snapshot => false, omit_expression => true}, {
        insta::assert_snapshot!("sqlite", text);
    });

    // The model: upgrade reaches `to`, downgrade returns to `from`.
    let mut s = from.clone();
    for op in &g.ops {
        op.apply(&mut s).unwrap();
    }
    assert_eq!(
        same(&s, &to),
        Vec::<String>::new(),
        "{name}: applying the ops does not reach to.sql"
    );
    for op in g.ops.iter().rev() {
        op.invert().apply(&mut s).unwrap();
    }
    assert_eq!(
        same(&s, &from),
        Vec::<String>::new(),
        "{name}: the inverse ops do not return to from.sql"
    );

    // A real database, through the same functions the CLI runs.
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    app::init(root, &mut Vec::new()).unwrap();
    std::fs::copy(dir.join("from.sql"), root.join("schema.sql")).unwrap();
    let db = root.join("app.db");
    let mut out = Vec::new();
    app::migrate(
        &project(root),
        "from",
        &RenameFlags::default(),
        None,
        &fresh(1),
        &mut out,
    )
    .unwrap();
    app::run(&project(root), Direction::Upgrade, "head", ALLOW, &mut out).unwrap();
    if dir.join("rows.sql").exists() {
        let rows = std::fs::read_to_string(dir.join("rows.sql")).unwrap();
        rusqlite::Connection::open(&db)
            .unwrap()
            .execute_batch(&rows)
            .unwrap();
    }
    if !from.tables.is_empty() {
        assert_eq!(
            same(&inspect(&db), &from),
            Vec::<String>::new(),
            "{name}: the database built from from.sql differs"
        );
    }
    let keep = untouched(&from, &to);
    let before = snapshot_rows(&db, &keep);

    std::fs::copy(dir.join("to.sql"), root.join("schema.sql")).unwrap();
    app::migrate(
        &project(root),
        "to",
        &RenameFlags::default(),
        None,
        &fresh(2),
        &mut out,
    )
    .unwrap();
    app::run(&project(root), Direction::Upgrade, "head", ALLOW, &mut out).unwrap();
    assert_eq!(
        same(&inspect(&db), &to),
        Vec::<String>::new(),
        "{name}: after upgrade the database differs from to.sql"
    );
    assert_eq!(
        snapshot_rows(&db, &keep),
        before,
        "{name}: rows changed by the upgrade"
    );
    let mut again = Vec::new();
    app::migrate(
        &project(root),
        "again",
        &RenameFlags::default(),
        None,
        &fresh(3),
        &mut again,
    )
    .unwrap();
    assert!(
        String::from_utf8(again).unwrap().starts_with("No changes"),
        "{name}: migrating again finds changes"
    );
    let mut report = Vec::new();
    let outcome = app::check(&project(root), &mut report).unwrap();
    assert_eq!(
        outcome,
        app::Outcome::Ok,
        "{name}: check failed:\n{}",
        String::from_utf8_lossy(&report)
    );

    app::run(&project(root), Direction::Downgrade, "-1", ALLOW, &mut out).unwrap();
    if from.tables.is_empty() {
        assert_eq!(
            inspect(&db),
            Schema::new(),
            "{name}: downgrade left tables behind"
        );
    } else {
        assert_eq!(
            same(&inspect(&db), &from),
            Vec::<String>::new(),
            "{name}: after downgrade the database differs from from.sql"
        );
    }
    assert_eq!(
        snapshot_rows(&db, &keep),
        before,
        "{name}: rows changed by the downgrade"
    );
}

macro_rules! cases {
    ($($name:ident),* $(,)?) => {
        $( #[test] fn $name() { check_case(stringify!($name)); } )*

        /// Every case folder has a test above, so none is silently skipped.
        #[test]
        fn every_case_folder_is_tested() {
            let listed = [$(stringify!($name)),*];
            let mut found: Vec<String> = std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cases"))
                .unwrap()
                .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .collect();
            found.sort();
            let mut listed: Vec<String> = listed.iter().map(|s| s.to_string()).collect();
            listed.sort();
            assert_eq!(found, listed);
        }
    };
}

cases!(
    add_column,
    alter_column_default,
    alter_column_nullability,
    alter_column_type,
    check_constraints,
    create_table,
    drop_column,
    drop_indexed_column,
    drop_table,
    foreign_keys,
    indexes,
    new_table_referenced_by_existing,
    parent_child_create,
    parent_child_drop,
    primary_key_change,
    types,
    unique_constraints,
);
