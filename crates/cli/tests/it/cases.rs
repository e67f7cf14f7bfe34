//! Golden cases: `tests/cases/<name>/{from.sql,to.sql[,rows.sql][,dialects]}`.
//!
//! For each case: the generated upgrade and downgrade are snapshots per dialect
//! (`tests/cases/<name>/{sqlite,postgresql,mysql}.snap`, reviewed like code); in the
//! model, the upgrade takes `from` to `to` and the downgrade takes it back; and against
//! a real database of each kind (SQLite, and PostgreSQL and MySQL/MariaDB when their
//! test URLs are set), built from `from` by a generated migration and filled with
//! `rows.sql`, upgrading gives a database whose introspected schema equals `to`
//! (diffing again finds nothing), downgrading gives `from` back, and the rows in every
//! column that both schemas define the same way survive both ways. A `dialects` file
//! limits a case, snapshots and databases, to the dialects it names (for SQLite-only
//! or PostgreSQL-only features).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use wildebeest_cli::app::{self, Direction, Fresh, Project, RunOptions};
use wildebeest_cli::config::Config;
use wildebeest_cli::renames::RenameFlags;
use wildebeest_schema::{Hints, Op, Schema, diff};
use wildebeest_sql::Dialect;

use crate::servers::{Server, TestDb};
use crate::util::query_rows;

/// The round trip consents to data loss: the guard has tests of its own.
const ALLOW: RunOptions = RunOptions {
    format: wildebeest_cli::output::Format::Text,
    sql: false,
    allow_data_loss: true,
    resume: None,
};

const DIALECTS: [Dialect; 3] = [Dialect::Sqlite, Dialect::Postgres, Dialect::Mysql];

fn case_dir(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/cases")
        .join(name)
}

fn parse(dir: &Path, file: &str, dialect: Dialect) -> Schema {
    let text = std::fs::read_to_string(dir.join(file)).unwrap();
    let (schema, _warnings) = wildebeest_sql::parse_schema(&text, file, dialect).unwrap();
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

/// The database a round trip runs on.
enum Db {
    Sqlite(PathBuf),
    Server(TestDb),
}

impl Db {
    fn url(&self) -> String {
        match self {
            Db::Sqlite(path) => format!("sqlite:{}", path.display()),
            Db::Server(db) => db.url.clone(),
        }
    }

    fn dialect(&self) -> Dialect {
        match self {
            Db::Sqlite(_) => Dialect::Sqlite,
            Db::Server(db) if db.server == Server::Postgres => Dialect::Postgres,
            Db::Server(_) => Dialect::Mysql,
        }
    }

    fn execute(&self, sql: &str) {
        match self {
            Db::Sqlite(path) => rusqlite::Connection::open(path)
                .unwrap()
                .execute_batch(sql)
                .unwrap(),
            Db::Server(db) => db.execute(sql),
        }
    }

    fn rows(&self, sql: &str) -> Vec<Vec<String>> {
        match self {
            Db::Sqlite(path) => query_rows(&rusqlite::Connection::open(path).unwrap(), sql),
            Db::Server(db) => db.rows(sql),
        }
    }
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
            // A value of a composite type that changes reads differently.
            .filter(|c| {
                c.ty.named_type()
                    .is_none_or(|n| from.types.get(&n) == to.types.get(&n))
            })
            .map(|c| c.name.clone())
            .collect();
        if !cols.is_empty() {
            out.insert(name.clone(), cols);
        }
    }
    out
}

fn snapshot_rows(
    db: &Db,
    cols: &BTreeMap<String, Vec<String>>,
) -> BTreeMap<String, Vec<Vec<String>>> {
    cols.iter()
        .map(|(table, cols)| {
            let list = cols.join(", ");
            (
                table.clone(),
                db.rows(&format!("SELECT {list} FROM {table} ORDER BY {list}")),
            )
        })
        .collect()
}

fn project(root: &Path) -> Project {
    Project::load(Config::load(root, None, None).unwrap()).unwrap()
}

/// The database's schema, and `model` as that database would report it.
fn inspect_vs(root: &Path, model: &Schema) -> (Schema, Schema) {
    let mut backend = project(root)
        .open(false)
        .unwrap()
        .expect("the database exists");
    let inspected = backend.inspect().unwrap();
    // A view's query, a routine and a domain are compared as the server stores them
    // (PostgreSQL and MySQL write a query anew, PostgreSQL prints a routine its own
    // way), so the model's are made and read back as `check` does.
    let model = if model.views.is_empty()
        && model.routines.is_empty()
        && model.domains.is_empty()
        && model.triggers.is_empty()
        && model.policies.is_empty()
        && model.rules.is_empty()
    {
        model.clone()
    } else {
        match backend.server_form(model).unwrap() {
            wildebeest_runner::ServerForm::Read(made) => *made,
            wildebeest_runner::ServerForm::Unavailable(why) => panic!("{why}"),
        }
    };
    (backend.canonical(&inspected), backend.canonical(&model))
}

/// The differences between the database and `model`.
fn drift(root: &Path, model: &Schema) -> Vec<String> {
    let (db, model) = inspect_vs(root, model);
    same(&db, &model)
}

/// The dialects a case runs on: all, or those its `dialects` file names.
fn dialects(dir: &Path) -> Vec<Dialect> {
    match std::fs::read_to_string(dir.join("dialects")) {
        Ok(text) => text
            .split_whitespace()
            .map(|d| Dialect::parse(d).expect("a dialect name"))
            .collect(),
        Err(_) => DIALECTS.to_vec(),
    }
}

fn check_case(name: &str) {
    let dir = case_dir(name);
    let dialects = dialects(&dir);
    for dialect in &dialects {
        check_golden(name, &dir, *dialect);
    }
    if dialects.contains(&Dialect::Sqlite) {
        round_trip(name, &dir, Db::Sqlite(PathBuf::new()));
    }
    for server in Server::ALL {
        let db = match server {
            Server::Postgres if dialects.contains(&Dialect::Postgres) => TestDb::new(server, name),
            Server::Mysql if dialects.contains(&Dialect::Mysql) => TestDb::new(server, name),
            _ => None,
        };
        if let Some(db) = db {
            round_trip(name, &dir, Db::Server(db));
        }
    }
}

/// The snapshot of the generated migration, and the model round trip.
fn check_golden(name: &str, dir: &Path, dialect: Dialect) {
    let from = parse(dir, "from.sql", dialect);
    let to = parse(dir, "to.sql", dialect);
    let g = app::generate(dialect, &from, &to, &Hints::default()).unwrap();
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
    insta::with_settings!({snapshot_path => dir, prepend_module_to_snapshot => false, omit_expression => true}, {
        insta::assert_snapshot!(dialect.name(), text);
    });
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
}

/// A real database, through the same functions the CLI runs.
fn round_trip(name: &str, dir: &Path, db: Db) {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    let db = match db {
        Db::Sqlite(_) => Db::Sqlite(root.join("app.db")),
        other => other,
    };
    let label = format!("{name} on {}", db.dialect().name());
    app::init(root, &mut Vec::new()).unwrap();
    std::fs::write(
        root.join("wildebeest.toml"),
        format!("database_url = \"{}\"\n", db.url()),
    )
    .unwrap();
    let from = parse(dir, "from.sql", db.dialect());
    let to = parse(dir, "to.sql", db.dialect());
    std::fs::copy(dir.join("from.sql"), root.join("schema.sql")).unwrap();
    let mut out = Vec::new();
    let flags = RenameFlags::default();
    app::migrate(&project(root), "from", &flags, None, &fresh(1), &mut out).unwrap();
    app::run(&project(root), Direction::Upgrade, "head", ALLOW, &mut out).unwrap();
    if dir.join("rows.sql").exists() {
        db.execute(&std::fs::read_to_string(dir.join("rows.sql")).unwrap());
    }
    if !from.tables.is_empty() {
        assert_eq!(
            drift(root, &from),
            Vec::<String>::new(),
            "{label}: the database built from from.sql differs"
        );
    }
    let keep = untouched(&from, &to);
    let before = snapshot_rows(&db, &keep);

    std::fs::copy(dir.join("to.sql"), root.join("schema.sql")).unwrap();
    app::migrate(&project(root), "to", &flags, None, &fresh(2), &mut out).unwrap();
    app::run(&project(root), Direction::Upgrade, "head", ALLOW, &mut out).unwrap();
    assert_eq!(
        drift(root, &to),
        Vec::<String>::new(),
        "{label}: after upgrade the database differs from to.sql"
    );
    assert_eq!(
        snapshot_rows(&db, &keep),
        before,
        "{label}: rows changed by the upgrade"
    );
    let mut again = Vec::new();
    app::migrate(&project(root), "again", &flags, None, &fresh(3), &mut again).unwrap();
    assert!(
        String::from_utf8(again).unwrap().starts_with("No changes"),
        "{label}: migrating again finds changes"
    );
    let mut report = Vec::new();
    let outcome = app::check(
        &project(root),
        wildebeest_cli::output::Format::Text,
        &mut report,
    )
    .unwrap();
    assert_eq!(
        outcome,
        app::Outcome::Ok,
        "{label}: check failed:\n{}",
        String::from_utf8_lossy(&report)
    );

    app::run(&project(root), Direction::Downgrade, "-1", ALLOW, &mut out).unwrap();
    if from.tables.is_empty() {
        assert_eq!(
            inspect_vs(root, &Schema::new()).0,
            Schema::new(),
            "{label}: downgrade left tables behind"
        );
    } else {
        assert_eq!(
            drift(root, &from),
            Vec::<String>::new(),
            "{label}: after downgrade the database differs from from.sql"
        );
    }
    assert_eq!(
        snapshot_rows(&db, &keep),
        before,
        "{label}: rows changed by the downgrade"
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
    deferrable_foreign_keys,
    drop_column,
    drop_indexed_column,
    drop_table,
    foreign_key_columns_widened,
    foreign_keys,
    generated_columns,
    generated_columns_virtual,
    indexes,
    mysql_dump_style,
    mysql_fk_keys,
    mysql_inline_keys,
    mysql_mariadb_json,
    mysql_charsets,
    mysql_types_kept,
    mysql_widening,
    new_table_referenced_by_existing,
    parent_child_create,
    parent_child_drop,
    portable_types,
    postgres_enum_arrays,
    postgres_enum_from_text,
    postgres_enums,
    postgres_comments,
    postgres_deferrable_keys,
    postgres_exclusion,
    postgres_matview_indexes,
    postgres_object_comments,
    postgres_domains,
    postgres_composite_range,
    postgres_sequences,
    postgres_materialized_views,
    postgres_partitions,
    postgres_extensions,
    mysql_fulltext_spatial,
    mysql_table_key_options,
    mysql_prefix_keys,
    mysql_invisible_columns,
    mysql_index_visibility,
    postgres_functions,
    postgres_functions_in_columns_and_domains,
    postgres_aggregates,
    postgres_triggers,
    postgres_unnamed_indexes,
    postgres_policies,
    postgres_rules,
    postgres_key_and_serial_comments,
    postgres_range_subtype_diff,
    postgres_identity,
    postgres_storage_options,
    postgres_serial,
    postgres_type_changes_using,
    primary_key_change,
    replace_every_column,
    types,
    unique_constraints,
    unique_referenced_by_new_table,
    views_change,
    views_create,
    views_drop,
    views_retype,
    triggers_mysql,
    routines_mysql,
    mysql_events,
    mysql_partitions,
    triggers_sqlite,
);
