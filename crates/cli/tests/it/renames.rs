//! Golden rename cases: `tests/renames/<name>/{from.sql,to.sql[,args][,rows.sql]}`.
//!
//! For each case: a project whose migrations build `from.sql` (a migration written by
//! the library), then `to.sql` migrated by the built binary with `--no-input` and one
//! `--rename` per line of `args`, as a script or CI runs it. The snapshot
//! (`tests/renames/<name>/sqlite.snap`, reviewed like code) holds the flags, the
//! printed changes, the warnings on stderr and the generated file from `-- +upgrade`
//! on. Every case then checks that migrating again finds nothing (the generated file
//! replays to `to.sql`).
//!
//! A case with flags also runs against a real database filled with `rows.sql`: the
//! upgrade runs without consent to data loss (a rename destroys nothing), the
//! database then matches `to.sql`, and every row is there under the new names; the
//! downgrade brings the database back to `from.sql` with the rows under the old names.

use std::path::{Path, PathBuf};

use wildebeest_cli::app::{self, Direction, Fresh, Outcome, Project, RunOptions};
use wildebeest_cli::config::Config;
use wildebeest_cli::renames::RenameFlags;
use wildebeest_runner::Backend;
use wildebeest_schema::{Hints, Op, Schema, diff};
use wildebeest_sql::Dialect;
use wildebeest_sqlite::SqliteBackend;

use crate::util::{TempProject, query_rows};

fn case_dir(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/renames")
        .join(name)
}

fn read(dir: &Path, file: &str) -> String {
    std::fs::read_to_string(dir.join(file))
        .unwrap_or_else(|e| panic!("{}: {e}", dir.join(file).display()))
}

/// The case's `--rename` values, one a line (the file may be absent or empty).
fn args(dir: &Path) -> Vec<String> {
    match std::fs::read_to_string(dir.join("args")) {
        Ok(text) => text
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(String::from)
            .collect(),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Vec::new(),
        Err(e) => panic!("{}: {e}", dir.join("args").display()),
    }
}

fn parse(dir: &Path, file: &str) -> Schema {
    let (schema, _warnings) =
        wildebeest_sql::parse_schema(&read(dir, file), file, Dialect::Sqlite).unwrap();
    schema
}

fn project(root: &Path) -> Project {
    Project::load(Config::load(root, None, None).unwrap()).unwrap()
}

fn inspect(db: &Path) -> Schema {
    SqliteBackend::open(db, false).unwrap().inspect().unwrap()
}

/// What differs between two schemas, in words (empty when they are the same).
fn differences(a: &Schema, b: &Schema) -> Vec<String> {
    diff(a, b, &Hints::default())
        .iter()
        .map(Op::describe)
        .collect()
}

/// Every table of `from` that survives into `to`, under its name in `to`, with the
/// columns that survive (old name, new name): renames come from `flags`.
fn survivors(from: &Schema, to: &Schema, flags: &RenameFlags) -> Vec<Survivor> {
    let mut out = Vec::new();
    for (old_table, t) in &from.tables {
        let new_table = flags
            .tables
            .iter()
            .find(|(o, _)| o == old_table)
            .map_or(old_table.as_str(), |(_, n)| n.as_str());
        let Some(t2) = to.tables.get(new_table) else {
            continue;
        };
        let columns: Vec<(String, String)> = t
            .columns
            .iter()
            .map(|c| {
                let new = flags
                    .columns
                    .iter()
                    .find(|(tb, o, _)| tb == new_table && *o == c.name)
                    .map_or(c.name.as_str(), |(_, _, n)| n.as_str());
                (c.name.clone(), new.to_string())
            })
            .filter(|(_, new)| t2.column(new).is_some())
            .collect();
        out.push(Survivor {
            old_table: old_table.clone(),
            new_table: new_table.to_string(),
            columns,
        });
    }
    out
}

struct Survivor {
    old_table: String,
    new_table: String,
    /// (old name, new name).
    columns: Vec<(String, String)>,
}

impl Survivor {
    /// The rows of the surviving columns, read under the old names or the new ones.
    fn rows(&self, db: &Path, new_names: bool) -> Vec<Vec<String>> {
        let table = if new_names {
            &self.new_table
        } else {
            &self.old_table
        };
        let list = self
            .columns
            .iter()
            .map(|(o, n)| format!("\"{}\"", if new_names { n } else { o }))
            .collect::<Vec<_>>()
            .join(", ");
        let order = (1..=self.columns.len())
            .map(|i| i.to_string())
            .collect::<Vec<_>>()
            .join(", ");
        let conn = rusqlite::Connection::open(db).unwrap();
        query_rows(
            &conn,
            &format!("SELECT {list} FROM \"{table}\" ORDER BY {order}"),
        )
    }
}

fn check_case(name: &str) {
    let dir = case_dir(name);
    let from = parse(&dir, "from.sql");
    let to = parse(&dir, "to.sql");
    let args = args(&dir);
    let flags = RenameFlags::parse(&args).unwrap();

    // The migrations build from.sql.
    let p = TempProject::init();
    p.write("schema.sql", &read(&dir, "from.sql"));
    let fresh = Fresh {
        now: "2026-01-01T00:00:00Z".into(),
        random: [1, 0, 0, 0, 0, 1],
    };
    app::migrate(
        &project(p.path()),
        "from",
        &RenameFlags::default(),
        None,
        &fresh,
        &mut Vec::new(),
    )
    .unwrap();
    let first = p.migrations();
    assert_eq!(first.len(), 1, "{name}: from.sql wrote no migration");

    // to.sql, migrated without a terminal by the binary (warnings go to stderr).
    p.write("schema.sql", &read(&dir, "to.sql"));
    let mut cmd_args = vec!["migrate", "-m", "to", "--no-input"];
    for a in &args {
        cmd_args.extend(["--rename", a]);
    }
    let out = p.cmd(&cmd_args).output().unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        out.status.success(),
        "{name}: migrate failed\n{stdout}{stderr}"
    );
    let files = p.migrations();
    assert_eq!(
        files.len(),
        2,
        "{name}: to.sql wrote no migration\n{stdout}"
    );
    let generated = files[1].clone();
    let file_name = generated
        .file_name()
        .unwrap()
        .to_string_lossy()
        .into_owned();
    assert!(file_name.ends_with("_to.sql"), "{file_name}");
    // The file name holds the clock and a random id: the one part not snapshotted.
    let stdout = stdout.replace(&file_name, "<timestamp>_<revision>_to.sql");
    let text = std::fs::read_to_string(&generated).unwrap();
    let sections = &text[text.find("-- +upgrade").expect("upgrade marker")..];

    let snapshot = format!(
        "-- args\n{}\n-- stdout\n{stdout}\n-- stderr\n{stderr}\n-- file\n{sections}",
        args.iter()
            .map(|a| format!("--rename {a}\n"))
            .collect::<String>(),
    );
    insta::with_settings!({snapshot_path => dir.clone(), prepend_module_to_snapshot => false, omit_expression => true}, {
        insta::assert_snapshot!("sqlite", snapshot);
    });

    // Without a terminal nothing is guessed: every rename the file makes was flagged.
    assert_eq!(
        stdout.matches("~ renamed ").count(),
        args.len(),
        "{name}: renames other than the flagged ones\n{stdout}"
    );

    // The generated file replays to to.sql.
    let mut again = Vec::new();
    app::migrate(
        &project(p.path()),
        "again",
        &RenameFlags::default(),
        None,
        &fresh,
        &mut again,
    )
    .unwrap();
    let again = String::from_utf8(again).unwrap();
    assert!(
        again.starts_with("No changes"),
        "{name}: migrating again finds changes:\n{again}"
    );

    if args.is_empty() {
        return;
    }

    // A flagged case against a real database with rows: built from from.sql (the
    // first revision), filled, then upgraded without consent to data loss.
    let db = p.db();
    let first_id = first[0].file_name().unwrap().to_string_lossy()[16..28].to_string();
    app::run(
        &project(p.path()),
        Direction::Upgrade,
        &first_id,
        RunOptions::default(),
        &mut Vec::new(),
    )
    .unwrap();
    p.conn().execute_batch(&read(&dir, "rows.sql")).unwrap();

    let kept = survivors(&from, &to, &flags);
    let before: Vec<Vec<Vec<String>>> = kept.iter().map(|s| s.rows(&db, false)).collect();
    for (s, rows) in kept.iter().zip(&before) {
        assert!(
            !rows.is_empty(),
            "{name}: rows.sql leaves `{}` empty, so its rows prove nothing",
            s.old_table
        );
    }
    for (table, old, new) in &flags.columns {
        assert!(
            kept.iter()
                .any(|s| &s.new_table == table && s.columns.contains(&(old.clone(), new.clone()))),
            "{name}: the renamed column {table}.{new} is not compared"
        );
    }

    let mut log = Vec::new();
    let outcome = app::run(
        &project(p.path()),
        Direction::Upgrade,
        "head",
        RunOptions::default(),
        &mut log,
    )
    .unwrap_or_else(|e| panic!("{name}: upgrade failed: {e:#}"));
    assert_eq!(outcome, Outcome::Ok);
    assert_eq!(
        differences(&inspect(&db), &to),
        Vec::<String>::new(),
        "{name}: after upgrade the database differs from to.sql"
    );
    let after: Vec<Vec<Vec<String>>> = kept.iter().map(|s| s.rows(&db, true)).collect();
    assert_eq!(after, before, "{name}: rows lost or changed by the upgrade");
    let mut report = Vec::new();
    assert_eq!(
        app::check(
            &project(p.path()),
            wildebeest_cli::output::Format::Text,
            &mut report,
        )
        .unwrap(),
        Outcome::Ok,
        "{name}: check failed:\n{}",
        String::from_utf8_lossy(&report)
    );

    app::run(
        &project(p.path()),
        Direction::Downgrade,
        "-1",
        RunOptions::default(),
        &mut log,
    )
    .unwrap_or_else(|e| panic!("{name}: downgrade failed: {e:#}"));
    assert_eq!(
        differences(&inspect(&db), &from),
        Vec::<String>::new(),
        "{name}: after downgrade the database differs from from.sql"
    );
    let back: Vec<Vec<Vec<String>>> = kept.iter().map(|s| s.rows(&db, false)).collect();
    assert_eq!(
        back, before,
        "{name}: rows lost or changed by the downgrade"
    );
}

macro_rules! rename_cases {
    ($($name:ident),* $(,)?) => {
        $( #[test] fn $name() { check_case(stringify!($name)); } )*

        /// Every case folder has a test above, so none is silently skipped.
        #[test]
        fn every_rename_case_folder_is_tested() {
            let mut listed: Vec<String> = [$(stringify!($name)),*].iter().map(|s| s.to_string()).collect();
            listed.sort();
            let mut found: Vec<String> = std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/renames"))
                .unwrap()
                .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .collect();
            found.sort();
            assert_eq!(found, listed);
        }
    };
}

rename_cases!(
    ambiguous_two_new_tables,
    ambiguous_two_new_tables_flagged,
    column_rename_flag,
    column_rename_in_renamed_table,
    column_rename_keeps_keys_and_constraints,
    column_rename_with_type_and_null_change,
    incompatible_types_no_candidate,
    table_rename_flag,
    table_rename_unflagged,
    two_dropped_columns_one_new,
);

/// SQLite names ignore case: a table or column whose name changes only in case is the
/// same one, renamed without a flag or a question, and never dropped with its rows.
#[test]
fn a_name_changed_only_in_case_is_renamed_not_dropped() {
    let p = TempProject::init();
    p.write(
        "schema.sql",
        "CREATE TABLE users (id INTEGER PRIMARY KEY, bio TEXT);\n\
         CREATE INDEX users_bio ON users (bio);\n",
    );
    crate::util::ok(&p, &["migrate", "-m", "one"]);
    crate::util::ok(&p, &["upgrade"]);
    p.conn()
        .execute_batch("INSERT INTO users VALUES (1, 'hello')")
        .unwrap();
    p.write(
        "schema.sql",
        "CREATE TABLE Users (id INTEGER PRIMARY KEY, Bio TEXT);\n\
         CREATE INDEX users_bio ON Users (Bio);\n",
    );
    let out = crate::util::ok(&p, &["migrate", "-m", "case", "--no-input"]);
    assert!(
        out.contains("~ renamed table `users` to `Users`")
            && out.contains("~ renamed column `Users.bio` to `Bio`"),
        "{out}"
    );
    let text = std::fs::read_to_string(&p.migrations()[1]).unwrap();
    assert!(!text.contains("DROP"), "{text}");
    // No consent to data loss: nothing is lost.
    crate::util::ok(&p, &["upgrade"]);
    assert_eq!(
        p.rows("SELECT id, Bio FROM sqlite_master, Users WHERE name = 'Users'"),
        vec![vec!["1".to_string(), "hello".to_string()]]
    );
    crate::util::ok(&p, &["check"]);
    crate::util::ok(&p, &["downgrade", "-1"]);
    assert_eq!(
        p.rows("SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'users'"),
        vec![vec!["users".to_string()]]
    );
    assert_eq!(
        p.rows("SELECT id, bio FROM users"),
        vec![vec!["1".to_string(), "hello".to_string()]]
    );
}
