//! Messages that work when followed: each advice a command prints is run here as
//! printed, and must end green; and errors say exactly what is wrong and what to
//! type instead.

use crate::util::{TempProject, ok};

/// stderr of a run expected to fail with exit status 2.
fn refused(p: &TempProject, args: &[&str]) -> String {
    let out = p.cmd(args).output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(2),
        "{args:?}: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stderr).unwrap()
}

/// The text with each migration file name (and its revision id) replaced by a
/// placeholder numbered in order of appearance, so snapshots do not depend on the
/// clock or the random ids.
fn masked(p: &TempProject, text: &str, names: &[String]) -> String {
    let mut out = text.replace(&p.path().display().to_string(), "<project>");
    for (i, name) in names.iter().enumerate() {
        let id = &name[16..28];
        out = out.replace(name, &format!("<file {}>", i + 1));
        out = out.replace(id, &format!("<id {}>", i + 1));
    }
    out
}

/// Every migration file name ever seen in the project, in order of creation.
fn note_names(p: &TempProject, names: &mut Vec<String>) {
    for path in p.migrations() {
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        if !names.contains(&name) {
            names.push(name);
        }
    }
}

/// The `--rename` flag a warning advises.
fn advised_flag(stderr: &str) -> String {
    let at = stderr
        .find("run this command again with --rename ")
        .unwrap_or_else(|| panic!("no advice in {stderr}"));
    let rest = &stderr[at + "run this command again with ".len()..];
    let mut words = rest.split_whitespace();
    assert_eq!(words.next(), Some("--rename"));
    words.next().unwrap().to_string()
}

fn with_table(p: &TempProject, table: &str) {
    p.write(
        "schema.sql",
        &format!("CREATE TABLE {table} (id INTEGER PRIMARY KEY, name TEXT NOT NULL);\n"),
    );
}

#[test]
fn migrate_rename_advice_followed_verbatim_replaces_the_migration_just_written() {
    let p = TempProject::init();
    let mut names = Vec::new();
    with_table(&p, "team");
    ok(&p, &["migrate", "-m", "teams"]);
    ok(&p, &["upgrade"]);
    with_table(&p, "squad");
    let out = p.cmd(&["migrate", "-m", "squads"]).output().unwrap();
    assert!(out.status.success());
    let stderr = String::from_utf8(out.stderr).unwrap();
    let flag = advised_flag(&stderr);
    assert_eq!(flag, "team=squad");
    note_names(&p, &mut names);
    assert_eq!(p.migrations().len(), 2);

    // The advice, as printed: the same command with the flag.
    let stdout = ok(&p, &["migrate", "-m", "squads", "--rename", &flag]);
    note_names(&p, &mut names);
    let files = p.migrations();
    assert_eq!(files.len(), 2, "the drop-and-create is replaced, not kept");
    let newest = std::fs::read_to_string(&files[1]).unwrap();
    assert!(newest.contains("RENAME TO"), "{newest}");
    assert!(!newest.contains("DROP TABLE"), "{newest}");
    insta::assert_snapshot!(masked(&p, &stdout, &names), @r"
    ~ renamed table `team` to `squad`
    Replaced migrations/<file 2> (revision <id 2>, as `migrate` wrote it and not applied to the database)
    Generated migrations/<file 3>
    Review it, then run `wildebeest upgrade`.
    ");
    ok(&p, &["upgrade"]);
    ok(&p, &["check"]);
}

#[test]
fn migrate_rename_advice_for_a_column_followed_verbatim_ends_green() {
    let p = TempProject::init();
    p.write(
        "schema.sql",
        "CREATE TABLE departments (id INTEGER PRIMARY KEY, location TEXT);\n",
    );
    ok(&p, &["migrate", "-m", "departments"]);
    p.write(
        "schema.sql",
        "CREATE TABLE departments (id INTEGER PRIMARY KEY, site TEXT);\n",
    );
    let out = p.cmd(&["migrate", "-m", "site"]).output().unwrap();
    let flag = advised_flag(&String::from_utf8(out.stderr).unwrap());
    assert_eq!(flag, "departments.location=site");
    ok(&p, &["migrate", "-m", "site", "--rename", &flag]);
    assert_eq!(p.migrations().len(), 2);
    ok(&p, &["upgrade"]);
    ok(&p, &["check"]);
}

#[test]
fn a_bare_column_rename_after_the_drop_and_create_was_written_names_its_table() {
    // The user types the column's short form after `migrate` wrote the drop and
    // the add: the error is the one the migrations before that file give, naming the
    // flag that works, and that flag replaces the file.
    let p = TempProject::init();
    p.write(
        "schema.sql",
        "CREATE TABLE departments (id INTEGER PRIMARY KEY, location TEXT);\n",
    );
    ok(&p, &["migrate", "-m", "departments"]);
    p.write(
        "schema.sql",
        "CREATE TABLE departments (id INTEGER PRIMARY KEY, site TEXT);\n",
    );
    ok(&p, &["migrate", "-m", "site"]);
    let e = refused(&p, &["migrate", "-m", "site", "--rename", "location=site"]);
    assert!(
        e.contains("for a column, name its table: --rename departments.location=site"),
        "{e}"
    );
    ok(
        &p,
        &[
            "migrate",
            "-m",
            "site",
            "--rename",
            "departments.location=site",
        ],
    );
    assert_eq!(p.migrations().len(), 2);
    ok(&p, &["upgrade"]);
    ok(&p, &["check"]);
}

#[test]
fn migrate_rename_keeps_a_migration_that_is_applied_or_edited() {
    let p = TempProject::init();
    with_table(&p, "team");
    ok(&p, &["migrate", "-m", "teams"]);
    with_table(&p, "squad");
    ok(&p, &["migrate", "-m", "squads"]);
    // Applied: the database has it, so replacing the file would leave it unknown.
    ok(&p, &["upgrade"]);
    let e = refused(&p, &["migrate", "-m", "squads", "--rename", "team=squad"]);
    assert!(
        e.contains("the database has it applied: run `wildebeest downgrade -1` first"),
        "{e}"
    );
    assert_eq!(p.migrations().len(), 2);
    // Edited by hand: not what `migrate` wrote, so not replaced.
    ok(&p, &["downgrade", "-1"]);
    let newest = p.migrations()[1].clone();
    let text = std::fs::read_to_string(&newest).unwrap();
    std::fs::write(
        &newest,
        text.replace("-- +downgrade", "-- kept\n-- +downgrade"),
    )
    .unwrap();
    let e = refused(&p, &["migrate", "-m", "squads", "--rename", "team=squad"]);
    assert!(e.contains("the migrations have no table `team`"), "{e}");
    assert!(newest.exists());
}

#[test]
fn rename_of_a_bare_column_name_suggests_the_table_and_the_qualified_new_name_works() {
    let p = TempProject::init();
    p.write(
        "schema.sql",
        "CREATE TABLE departments (id INTEGER PRIMARY KEY, location TEXT);\n",
    );
    ok(&p, &["migrate", "-m", "departments"]);
    ok(&p, &["upgrade"]);
    p.write(
        "schema.sql",
        "CREATE TABLE departments (id INTEGER PRIMARY KEY, site TEXT);\n",
    );
    let e = refused(&p, &["migrate", "-m", "site", "--rename", "location=site"]);
    insta::assert_snapshot!(e, @"error: --rename location=site: the migrations have no table `location`; for a column, name its table: --rename departments.location=site");
    let e = refused(
        &p,
        &[
            "migrate",
            "-m",
            "site",
            "--rename",
            "departments.location=teams.site",
        ],
    );
    insta::assert_snapshot!(e, @"error: --rename departments.location=teams.site: a column keeps its table; write --rename departments.location=NEW with NEW the column's new name alone");
    let stdout = ok(
        &p,
        &[
            "migrate",
            "-m",
            "site",
            "--rename",
            "departments.location=departments.site",
        ],
    );
    assert!(
        stdout.contains("renamed column `departments.location` to `site`")
            || stdout.contains("departments.location"),
        "{stdout}"
    );
    ok(&p, &["upgrade"]);
    ok(&p, &["check"]);
}

#[test]
fn a_toml_error_shows_its_line_with_a_caret_and_an_unknown_key_a_suggestion() {
    let p = TempProject::init();
    p.write(
        "wildebeest.toml",
        "database_url = \"sqlite:app.db\"\nmigrations = [1,\n",
    );
    let e = masked(&p, &refused(&p, &["check"]), &[]);
    insta::assert_snapshot!(e, @r"
    error: <project>/wildebeest.toml:2:17: `migrations`: unclosed array, expected `]`
      |
    2 | migrations = [1,
      |                 ^
    ");
    p.write("wildebeest.toml", "databse_url = \"sqlite:app.db\"\n");
    let e = masked(&p, &refused(&p, &["check"]), &[]);
    insta::assert_snapshot!(e, @r#"
    error: <project>/wildebeest.toml:1:1: `databse_url`: unknown key; did you mean `database_url`? (the keys are `database_url`, `schema`, `migrations`, `database_schema`, `schema_dialect`)
      |
    1 | databse_url = "sqlite:app.db"
      | ^
    "#);
}

#[test]
fn revision_written_by_hand_then_upgraded_as_advised_checks_clean() {
    let p = TempProject::init();
    with_table(&p, "team");
    ok(&p, &["migrate", "-m", "teams"]);
    let stdout = ok(&p, &["revision", "-m", "audit"]);
    assert!(
        stdout.contains("Write its upgrade and downgrade SQL, then run `wildebeest upgrade`"),
        "{stdout}"
    );
    // The SQL written by hand, and schema.sql saying the same.
    let file = p.migrations()[1].clone();
    let text = std::fs::read_to_string(&file).unwrap();
    let text = text.replacen(
        "-- +downgrade",
        "CREATE TABLE audit (id INTEGER PRIMARY KEY);\n\n-- +downgrade\nDROP TABLE audit;",
        1,
    );
    std::fs::write(&file, text).unwrap();
    p.write(
        "schema.sql",
        "CREATE TABLE team (id INTEGER PRIMARY KEY, name TEXT NOT NULL);\n\
         CREATE TABLE audit (id INTEGER PRIMARY KEY);\n",
    );
    let mut names = Vec::new();
    note_names(&p, &mut names);
    let stdout = ok(&p, &["upgrade"]);
    // Durations vary: each run of digits becomes one 0.
    let mut shown = masked(&p, &stdout, &names).replace(|c: char| c.is_ascii_digit(), "0");
    while shown.contains("00") {
        shown = shown.replace("00", "0");
    }
    insta::assert_snapshot!(shown, @r"
    [0/0] Applied <id 0>  teams (0 ms)
    [0/0] Applied <id 0>  audit (0 ms)
    migrations/wildebeest.sum: recorded migrations/<file 0> as applied, edited since it was written; commit both
    ");
    ok(&p, &["check"]);
    // Edited again once applied: noticed.
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(
        &file,
        text.replace("DROP TABLE audit;", "DROP TABLE audit; -- x"),
    )
    .unwrap();
    let out = p.cmd(&["check"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn a_revision_prefix_is_named_when_it_is_the_target() {
    let p = TempProject::init();
    with_table(&p, "team");
    ok(&p, &["migrate", "-m", "teams"]);
    let name = p.migrations()[0]
        .file_name()
        .unwrap()
        .to_string_lossy()
        .to_string();
    let id = &name[16..28];
    let out = ok(&p, &["upgrade", &id[..3]]);
    assert!(
        out.starts_with(&format!("{} is revision {id} (teams)\n", &id[..3])),
        "{out}"
    );
    let out = ok(&p, &["upgrade", &id[..3]]);
    assert_eq!(
        out,
        format!(
            "{} is revision {id} (teams)\nNothing to do: the database is already at {}.\n",
            &id[..3],
            &id[..3]
        )
    );
}

/// The server URL with another database name.
fn other_database(var: &str, name: &str) -> Option<String> {
    let url = wildebeest_testkit::server_url(var)?;
    let (base, query) = url.split_once('?').unwrap_or((&url, ""));
    let (server, _) = base.rsplit_once('/').unwrap();
    let sep = if query.is_empty() { "" } else { "?" };
    Some(format!("{server}/{name}{sep}{query}"))
}

#[test]
fn a_missing_database_suggests_database_create_and_the_schema_is_outside_the_url() {
    let p = TempProject::init();
    if let Some(url) = other_database("WILDEBEEST_TEST_POSTGRES_URL", "wb_no_such_database") {
        let e = refused(&p, &["--database-url", &url, "current"]);
        assert!(
            e.contains("/wb_no_such_database` (schema public): ")
                && e.trim_end().ends_with(
                    "database \"wb_no_such_database\" does not exist; create it with `wildebeest database create`"
                ),
            "{e}"
        );
    }
    if let Some(url) = other_database("WILDEBEEST_TEST_MYSQL_URL", "wb_no_such_database") {
        let e = refused(&p, &["--database-url", &url, "current"]);
        assert!(
            e.trim_end()
                .ends_with("; create it with `wildebeest database create`"),
            "{e}"
        );
    }
}

/// The advice works when followed: `database create` with the URL given as the
/// failing command had it makes a database the command then reaches.
#[test]
fn following_the_database_create_advice_works() {
    let p = TempProject::init();
    for (var, name) in [
        ("WILDEBEEST_TEST_POSTGRES_URL", "wb_msg_follow_create"),
        ("WILDEBEEST_TEST_MYSQL_URL", "wb_msg_follow_create"),
    ] {
        let Some(url) = other_database(var, name) else {
            continue;
        };
        // A leftover of an interrupted run is dropped first.
        p.cmd(&["database", "drop", "--force", "--database-url", &url])
            .assert()
            .success();
        let e = refused(&p, &["current", "--database-url", &url]);
        assert!(e.contains("`wildebeest database create`"), "{e}");
        p.cmd(&["database", "create", "--database-url", &url])
            .assert()
            .success();
        p.cmd(&["current", "--database-url", &url])
            .assert()
            .success();
        p.cmd(&["database", "drop", "--force", "--database-url", &url])
            .assert()
            .success();
    }
}

/// `upgrade` of a database made without wildebeest points to `stamp`, on every
/// backend.
#[test]
fn upgrade_of_a_database_that_has_the_tables_points_to_stamp() {
    use crate::servers::{Server, TestDb};
    let hint = "mark the revision it matches as applied with `wildebeest stamp REV`";
    let p = TempProject::init();
    with_table(&p, "users");
    ok(&p, &["migrate", "-m", "users"]);
    let db = rusqlite::Connection::open(p.db()).unwrap();
    db.execute_batch("CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT NULL);")
        .unwrap();
    drop(db);
    let e = refused(&p, &["upgrade"]);
    assert!(e.contains("already exists") && e.contains(hint), "{e}");
    // Following it ends green.
    ok(&p, &["stamp", "head"]);
    ok(&p, &["check"]);
    for server in Server::ALL {
        let Some(db) = TestDb::new(server, "adopt") else {
            continue;
        };
        db.execute("CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT NULL)");
        let e = refused(&p, &["--database-url", &db.url, "upgrade"]);
        assert!(e.contains(hint), "{server:?}: {e}");
    }
}

#[test]
fn upgrade_with_nothing_to_do_says_schema_sql_has_unmigrated_changes() {
    let p = TempProject::init();
    with_table(&p, "team");
    ok(&p, &["migrate", "-m", "teams"]);
    ok(&p, &["upgrade"]);
    p.write(
        "schema.sql",
        "CREATE TABLE team (id INTEGER PRIMARY KEY, name TEXT NOT NULL, size INTEGER);\n",
    );
    let out = p.cmd(&["upgrade"]).output().unwrap();
    assert!(out.status.success());
    insta::assert_snapshot!(String::from_utf8(out.stderr).unwrap(), @"warning: schema.sql has 1 change no migration makes: run `wildebeest migrate -m MSG` to write one");
    // Followed, it ends green.
    ok(&p, &["migrate", "-m", "size"]);
    ok(&p, &["upgrade"]);
    let out = p.cmd(&["upgrade"]).output().unwrap();
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    ok(&p, &["check"]);
    // Without schema.sql, upgrade still works and says nothing of it.
    std::fs::remove_file(p.path().join("schema.sql")).unwrap();
    let out = p.cmd(&["upgrade"]).output().unwrap();
    assert!(out.status.success() && out.stderr.is_empty());
}

#[test]
fn upgrade_warns_of_an_applied_file_edited_afterwards() {
    let p = TempProject::init();
    with_table(&p, "team");
    ok(&p, &["migrate", "-m", "teams"]);
    ok(&p, &["upgrade"]);
    let file = p.migrations()[0].clone();
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(
        &file,
        text.replace("-- +downgrade", "-- edited\n-- +downgrade"),
    )
    .unwrap();
    let out = p.cmd(&["upgrade"]).output().unwrap();
    assert!(out.status.success());
    let stderr = String::from_utf8(out.stderr).unwrap();
    let name = file.file_name().unwrap().to_string_lossy().to_string();
    assert!(
        stderr.contains(&format!("warning: migrations/{name} (revision "))
            && stderr.contains("changed after this database applied it"),
        "{stderr}"
    );
}
