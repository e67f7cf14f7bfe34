//! SQLite table rebuilds against what earlier statements of the same run made: the
//! triggers a rebuild creates again are those the table has when it runs, online and
//! in offline scripts.

use crate::util::{TempProject, ok, query_rows};

/// Replaces the `-- +upgrade` and `-- +downgrade` sections of a migration file.
fn edit_sections(path: &std::path::Path, upgrade: &str, downgrade: &str) {
    let text = std::fs::read_to_string(path).unwrap();
    let head = &text[..text.find("-- +upgrade").expect("upgrade marker")];
    std::fs::write(
        path,
        format!("{head}-- +upgrade\n{upgrade}\n\n-- +downgrade\n{downgrade}\n"),
    )
    .unwrap();
}

/// The revision id in a migration file's name (`<date>_<time>_<id>_<slug>.sql`).
fn id_of(path: &std::path::Path) -> String {
    let name = path.file_name().unwrap().to_str().unwrap();
    name.split('_').nth(2).unwrap().to_string()
}

/// Tables, indexes, views and triggers, but SQLite's own and the version tables.
fn master(conn: &rusqlite::Connection) -> Vec<Vec<String>> {
    query_rows(
        conn,
        "SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite%' \
         AND name NOT LIKE 'wildebeest%' ORDER BY type, name",
    )
}

/// The tester's project: `t`, a hand-written revision with a trigger on it (which
/// the schema then has too), then a generated one that rebuilds `t` (`a` becomes
/// nullable).
fn trigger_then_rebuild() -> TempProject {
    let p = TempProject::init();
    p.write(
        "schema.sql",
        "CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT NOT NULL);\n",
    );
    ok(&p, &["migrate", "-m", "one"]);
    ok(&p, &["revision", "-m", "trig"]);
    edit_sections(
        &p.migrations()[1],
        "CREATE TRIGGER t_ai AFTER INSERT ON t BEGIN SELECT 1; END;",
        "DROP TRIGGER t_ai;",
    );
    p.write(
        "schema.sql",
        "CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT);\n\
         CREATE TRIGGER t_ai AFTER INSERT ON t BEGIN SELECT 1; END;\n",
    );
    ok(&p, &["migrate", "-m", "nullable"]);
    // The trigger, followed from the hand-written revision, is no change.
    assert!(
        !std::fs::read_to_string(&p.migrations()[2])
            .unwrap()
            .contains("TRIGGER")
    );
    ok(&p, &["rehash"]);
    p
}

#[test]
fn a_trigger_created_earlier_in_the_run_survives_a_rebuild_later_in_it() {
    let p = trigger_then_rebuild();
    ok(&p, &["upgrade"]);
    assert_eq!(
        p.rows("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'"),
        vec![vec![
            "t_ai".to_string(),
            "CREATE TRIGGER t_ai AFTER INSERT ON t BEGIN SELECT 1; END".to_string()
        ]]
    );
    // And back: the downgrade's rebuild keeps it too, until its own revision drops it.
    let one = id_of(&p.migrations()[1]);
    ok(&p, &["downgrade", &one]);
    assert_eq!(
        p.rows("SELECT name FROM sqlite_master WHERE type = 'trigger'"),
        vec![vec!["t_ai".to_string()]]
    );
}

#[test]
fn an_offline_script_gives_the_database_the_online_upgrade_gives() {
    let p = trigger_then_rebuild();
    ok(&p, &["upgrade"]);
    let online = master(&p.conn());
    let trig = id_of(&p.migrations()[1]);
    let one = id_of(&p.migrations()[0]);
    // From base, from before the trigger's revision and from after it (where only the
    // replayed history knows the trigger).
    for (n, start) in ["base".to_string(), one.clone(), trig.clone()]
        .into_iter()
        .enumerate()
    {
        let db = p.path().join(format!("fresh{n}.db"));
        if start != "base" {
            let to_start = ok(&p, &["upgrade", "--sql", &format!("base:{start}")]);
            crate::teams::sqlite3(&db, &to_start);
        }
        let script = ok(&p, &["upgrade", "--sql", &format!("{start}:head")]);
        crate::teams::sqlite3(&db, &script);
        let fresh = rusqlite::Connection::open(&db).unwrap();
        assert_eq!(master(&fresh), online, "upgrade --sql {start}:head");
    }
    // The offline downgrade's rebuild keeps the trigger as well.
    let script = ok(&p, &["downgrade", "--sql", &format!("head:{trig}")]);
    assert!(
        script.contains("CREATE TRIGGER t_ai AFTER INSERT ON t BEGIN SELECT 1; END;"),
        "{script}"
    );
}

#[test]
fn a_table_renamed_and_altered_in_one_migration_keeps_its_trigger() {
    let p = TempProject::init();
    p.write(
        "schema.sql",
        "CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT);\n",
    );
    ok(&p, &["migrate", "-m", "one"]);
    ok(&p, &["revision", "-m", "trig"]);
    edit_sections(
        &p.migrations()[1],
        "CREATE TRIGGER t_ai AFTER INSERT ON t BEGIN SELECT new.a; END;",
        "DROP TRIGGER t_ai;",
    );
    ok(&p, &["rehash"]);
    ok(&p, &["upgrade"]);
    p.write(
        "schema.sql",
        "CREATE TABLE u (id INTEGER PRIMARY KEY, b TEXT NOT NULL);\n\
         CREATE TRIGGER t_ai AFTER INSERT ON u BEGIN SELECT new.b; END;\n",
    );
    ok(
        &p,
        &[
            "migrate", "-m", "two", "--rename", "t=u", "--rename", "u.a=b",
        ],
    );
    ok(&p, &["upgrade"]);
    assert_eq!(
        p.rows("SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'trigger'"),
        vec![vec![
            "t_ai".to_string(),
            "u".to_string(),
            // Its body names the renamed column: the migration drops it before the
            // rename and makes it again after, as the schema writes it.
            "CREATE TRIGGER t_ai AFTER INSERT ON u BEGIN SELECT new.b; END".to_string()
        ]]
    );
    ok(&p, &["check"]);
    let trig = id_of(&p.migrations()[1]);
    ok(&p, &["downgrade", &trig]);
    assert_eq!(
        p.rows("SELECT name, tbl_name FROM sqlite_master WHERE type = 'trigger'"),
        vec![vec!["t_ai".to_string(), "t".to_string()]]
    );
}
