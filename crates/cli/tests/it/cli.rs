//! The built binary, as a user runs it: stdout, stderr and exit status.

use predicates::prelude::*;
use predicates::str::contains;

use crate::util::ok as stdout_of;
use crate::util::{TempProject, ok};

const EMPLOYEES: &str = "CREATE TABLE employees (
    id INTEGER PRIMARY KEY,
    name VARCHAR NOT NULL,
    salary INTEGER
);
";

const DEPARTMENT: &str = "
CREATE TABLE department (
    id INTEGER PRIMARY KEY,
    name VARCHAR NOT NULL,
    address VARCHAR
);
";

/// Replaces the `-- +upgrade` and `-- +downgrade` sections of a migration file, as a
/// user does in an editor.
fn edit_sections(path: &std::path::Path, upgrade: &str, downgrade: &str) {
    let text = std::fs::read_to_string(path).unwrap();
    let head = &text[..text.find("-- +upgrade").expect("upgrade marker")];
    std::fs::write(
        path,
        format!("{head}-- +upgrade\n{upgrade}\n\n-- +downgrade\n{downgrade}\n"),
    )
    .unwrap();
}

#[test]
fn init_creates_the_project_and_keeps_existing_files() {
    let p = TempProject::new();
    p.cmd(&["init"])
        .assert()
        .success()
        .stdout(contains("created   wildebeest.toml"))
        .stdout(contains("created   schema.sql"));
    assert!(p.path().join("migrations").is_dir());
    p.write("schema.sql", EMPLOYEES);
    p.cmd(&["init"])
        .assert()
        .success()
        .stdout(contains("kept      schema.sql"))
        .stdout(contains("Initial migration."));
    assert_eq!(p.read("schema.sql"), EMPLOYEES);
    // Once there are revisions, init no longer suggests the first migration.
    p.cmd(&["migrate", "-m", "first"]).assert().success();
    let out = p.cmd(&["init"]).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{out:?}");
    assert!(
        stdout.contains("already set up") && !stdout.contains("Initial migration."),
        "{stdout}"
    );
}

#[test]
fn the_seed_tutorial_with_renames_edited_by_hand() {
    let p = TempProject::init();

    // Initial migration: the employees table.
    p.write("schema.sql", EMPLOYEES);
    let out = stdout_of(&p, &["migrate", "-m", "Initial migration."]);
    assert!(out.contains("added table `employees`"), "{out}");
    assert_eq!(p.migrations().len(), 1);
    let name = p.migrations()[0]
        .file_name()
        .unwrap()
        .to_string_lossy()
        .into_owned();
    assert!(name.ends_with("_initial_migration.sql"), "{name}");
    p.cmd(&["upgrade"]).assert().success();
    p.conn().execute_batch("INSERT INTO employees (name, salary) VALUES ('Kai Uri', 89000), ('Alena Lee', 125000);").unwrap();

    // Nothing changed: nothing written.
    p.cmd(&["migrate", "-m", "nothing"])
        .assert()
        .success()
        .stdout(contains("No changes"));
    assert_eq!(p.migrations().len(), 1);

    // Second migration: the department table.
    p.write("schema.sql", &format!("{EMPLOYEES}{DEPARTMENT}"));
    let out = stdout_of(&p, &["migrate", "-m", "add Department"]);
    assert!(out.contains("added table `department`"), "{out}");
    let second = p.read(&format!(
        "migrations/{}",
        p.migrations()[1].file_name().unwrap().to_string_lossy()
    ));
    let first_id = p.migrations()[0].file_name().unwrap().to_string_lossy()[16..28].to_string();
    assert!(
        second.contains(&format!("-- Revises: {first_id}")),
        "{second}"
    );
    p.cmd(&["upgrade", "head"]).assert().success();
    p.conn()
        .execute_batch(
            "INSERT INTO department (name, address) VALUES ('Payroll', 'Building A, 4th Floor'), ('Human Resources', 'Building C, 1st Floor');",
        )
        .unwrap();

    // Third migration: rename the table. Generated as drop-and-create, edited by hand.
    p.write(
        "schema.sql",
        &format!(
            "{EMPLOYEES}{}",
            DEPARTMENT.replace("department", "departments")
        ),
    );
    let out = stdout_of(&p, &["migrate", "-m", "rename department"]);
    assert!(
        out.contains("added table `departments`") && out.contains("removed table `department`"),
        "{out}"
    );
    let third = p.migrations()[2].clone();
    edit_sections(
        &third,
        "ALTER TABLE department RENAME TO departments;",
        "ALTER TABLE departments RENAME TO department;",
    );
    p.cmd(&["upgrade"]).assert().success();
    assert_eq!(
        p.rows("SELECT id, name, address FROM departments ORDER BY id")
            .len(),
        2
    );

    // Fourth migration: rename the column (and make it NOT NULL, as the seed does).
    let final_schema = format!(
        "{EMPLOYEES}\nCREATE TABLE departments (\n    id INTEGER PRIMARY KEY,\n    name VARCHAR NOT NULL,\n    location VARCHAR NOT NULL\n);\n"
    );
    p.write("schema.sql", &final_schema);
    let out = stdout_of(&p, &["migrate", "-m", "rename address"]);
    assert!(out.contains("added column `departments.location`"), "{out}");
    let fourth = p.migrations()[3].clone();
    edit_sections(
        &fourth,
        "ALTER TABLE departments RENAME COLUMN address TO location;\nALTER TABLE departments ALTER COLUMN location SET NOT NULL;",
        "ALTER TABLE departments ALTER COLUMN location DROP NOT NULL;\nALTER TABLE departments RENAME COLUMN location TO address;",
    );
    p.cmd(&["upgrade"]).assert().success();
    assert_eq!(
        p.rows("SELECT id, name, location FROM departments ORDER BY id"),
        vec![
            vec![
                "1".to_string(),
                "Payroll".into(),
                "Building A, 4th Floor".into()
            ],
            vec![
                "2".to_string(),
                "Human Resources".into(),
                "Building C, 1st Floor".into()
            ],
        ]
    );
    let notnull =
        p.rows("SELECT \"notnull\" FROM pragma_table_info('departments') WHERE name = 'location'");
    assert_eq!(notnull, vec![vec!["1".to_string()]]);

    // The edited migrations produce exactly schema.sql, and the database matches.
    p.cmd(&["migrate", "-m", "nothing"])
        .assert()
        .success()
        .stdout(contains("No changes"));
    // Files edited by hand before they were applied: `upgrade` recorded them in
    // wildebeest.sum, so `rehash` has nothing to change.
    p.cmd(&["check"]).assert().success().stdout(contains("OK"));
    let sum = p.read("migrations/wildebeest.sum");
    p.cmd(&["rehash"]).assert().success();
    assert_eq!(p.read("migrations/wildebeest.sum"), sum);
    let fourth_id = fourth.file_name().unwrap().to_string_lossy()[16..28].to_string();
    p.cmd(&["current"])
        .assert()
        .success()
        .stdout(contains(format!("{fourth_id} (head)")));
    let history = stdout_of(&p, &["history"]);
    assert_eq!(history.lines().count(), 4, "{history}");
    assert!(
        history
            .lines()
            .next()
            .unwrap()
            .contains(&format!("{fourth_id} (head), rename address")),
        "{history}"
    );
    assert!(
        history.lines().last().unwrap().starts_with("<base> -> "),
        "{history}"
    );
    p.cmd(&["heads"])
        .assert()
        .success()
        .stdout(contains(fourth_id.clone()));
    p.cmd(&["show", &fourth_id[..6]])
        .assert()
        .success()
        .stdout(contains("RENAME COLUMN address TO location"));

    // Downgrade: the column is called address again, the data is still there.
    p.cmd(&["downgrade", "-1"]).assert().success();
    assert_eq!(
        p.rows("SELECT address FROM departments ORDER BY id").len(),
        2
    );
    assert_eq!(
        p.rows("SELECT name, salary FROM employees ORDER BY id")
            .len(),
        2
    );
    // Behind head, the database is compared with the revisions it has: no drift.
    p.cmd(&["check"])
        .assert()
        .code(1)
        .stdout(contains("not applied"))
        .stdout(contains("drifted").not());

    // Stamp back to head without running anything, then check sees the drift.
    p.cmd(&["stamp", "head"]).assert().success();
    p.cmd(&["check"])
        .assert()
        .code(1)
        .stdout(contains("drifted"));
}

#[test]
fn upgrade_sql_prints_without_running() {
    let p = TempProject::init();
    p.write("schema.sql", EMPLOYEES);
    p.cmd(&["migrate", "-m", "one"]).assert().success();
    p.cmd(&["upgrade", "--sql"])
        .assert()
        .success()
        .stdout(contains("CREATE TABLE employees"))
        .stdout(contains("COMMIT;"));
    assert!(!p.db().exists(), "--sql created the database");
}

#[test]
fn a_failing_statement_leaves_the_database_at_the_previous_revision() {
    let p = TempProject::init();
    p.write("schema.sql", EMPLOYEES);
    p.cmd(&["migrate", "-m", "one"]).assert().success();
    p.cmd(&["upgrade"]).assert().success();
    p.cmd(&["revision", "-m", "broken"]).assert().success();
    let broken = p.migrations()[1].clone();
    edit_sections(
        &broken,
        "CREATE TABLE audit (id INTEGER PRIMARY KEY);\nINSERT INTO no_such_table VALUES (1);",
        "DROP TABLE audit;",
    );
    let before = p.schema_dump();
    let applied_before = p.rows("SELECT revision FROM wildebeest_revisions");
    p.cmd(&["upgrade"])
        .assert()
        .code(2)
        .stderr(contains(
            broken.file_name().unwrap().to_string_lossy().into_owned(),
        ))
        .stderr(contains("no such table: no_such_table"))
        .stderr(contains("rolled back"));
    assert_eq!(p.schema_dump(), before);
    assert_eq!(
        p.rows("SELECT revision FROM wildebeest_revisions"),
        applied_before
    );
}

#[test]
fn bad_input_is_a_clear_error_with_status_2_and_changes_nothing() {
    let p = TempProject::init();
    p.write("schema.sql", EMPLOYEES);
    p.cmd(&["migrate", "-m", "one"]).assert().success();
    p.cmd(&["upgrade"]).assert().success();
    let before = p.schema_dump();

    // An unknown target.
    fails(&p, &["upgrade", "ffffffffffff"], "ffffffffffff");
    fails(&p, &["downgrade", "nonsense+x"], "nonsense+x");

    // A syntax error in schema.sql names file, line and column.
    p.write(
        "schema.sql",
        "CREATE TABLE employees (\n    id INTEGER PRIMARY KEY,\n    name VARCHAR NOT NULL,,\n);\n",
    );
    fails(&p, &["migrate", "-m", "bad"], "schema.sql:3:");
    assert_eq!(p.migrations().len(), 1);

    // A missing schema file.
    std::fs::remove_file(p.path().join("schema.sql")).unwrap();
    fails(&p, &["migrate", "-m", "bad"], "schema.sql");

    // A malformed header.
    let first = p.migrations()[0].clone();
    let text = std::fs::read_to_string(&first).unwrap();
    std::fs::write(&first, text.replace("-- Revision: ", "-- Revision ")).unwrap();
    fails(
        &p,
        &["current"],
        &first.file_name().unwrap().to_string_lossy(),
    );
    std::fs::write(&first, text).unwrap();

    // A database file that cannot be reached.
    fails(
        &p,
        &["--database-url", "sqlite:no/such/dir/app.db", "upgrade"],
        "no/such/dir/app.db",
    );

    // No wildebeest.toml.
    let empty = TempProject::new();
    fails(&empty, &["current"], "wildebeest init");

    assert_eq!(p.schema_dump(), before);
}

/// Runs a command that must fail with status 2, a message containing `needle`, and
/// no panic.
fn fails(p: &TempProject, args: &[&str], needle: &str) {
    p.cmd(args)
        .assert()
        .code(2)
        .stderr(contains(needle))
        .stderr(contains("panicked").not())
        .stderr(predicate::function(|s: &str| s.starts_with("error: ")));
}

#[test]
fn database_url_precedence_flag_over_env_over_file() {
    let p = TempProject::init();
    p.write("schema.sql", EMPLOYEES);
    p.cmd(&["migrate", "-m", "one"]).assert().success();
    let mut env = p.cmd(&["upgrade"]);
    env.env("DATABASE_URL", "sqlite:from_env.db")
        .assert()
        .success();
    assert!(p.path().join("from_env.db").exists());
    assert!(!p.db().exists());
    let mut flag = p.cmd(&["--database-url", "sqlite:///from_flag.db", "upgrade"]);
    flag.env("DATABASE_URL", "sqlite:from_env2.db")
        .assert()
        .success();
    assert!(p.path().join("from_flag.db").exists());
    assert!(!p.path().join("from_env2.db").exists());
}

#[test]
fn dash_c_runs_in_another_folder() {
    let p = TempProject::init();
    p.write("schema.sql", EMPLOYEES);
    let dir = p.path().to_string_lossy().into_owned();
    let mut c = assert_cmd::Command::cargo_bin("wildebeest").unwrap();
    c.env_remove("DATABASE_URL")
        .args(["-C", &dir, "migrate", "-m", "one"])
        .assert()
        .success();
    assert_eq!(p.migrations().len(), 1);
}

#[test]
fn no_color_when_not_a_terminal() {
    let p = TempProject::init();
    p.write("schema.sql", EMPLOYEES);
    let out = stdout_of(&p, &["migrate", "-m", "one"]);
    assert!(!out.contains('\x1b'), "{out:?}");
}

/// The seed tutorial's project after its first two migrations, with rows in both tables.
fn seed_with_departments() -> TempProject {
    let p = TempProject::init();
    p.write("schema.sql", EMPLOYEES);
    p.cmd(&["migrate", "-m", "Initial migration."])
        .assert()
        .success();
    p.cmd(&["upgrade"]).assert().success();
    p.conn()
        .execute_batch("INSERT INTO employees (name, salary) VALUES ('Kai Uri', 89000), ('Alena Lee', 125000);")
        .unwrap();
    p.write("schema.sql", &format!("{EMPLOYEES}{DEPARTMENT}"));
    p.cmd(&["migrate", "-m", "add Department"])
        .assert()
        .success();
    p.cmd(&["upgrade"]).assert().success();
    p.conn()
        .execute_batch(
            "INSERT INTO department (name, address) VALUES ('Payroll', 'Building A, 4th Floor'), ('Human Resources', 'Building C, 1st Floor');",
        )
        .unwrap();
    p
}

fn departments(p: &TempProject, table: &str, column: &str) -> Vec<Vec<String>> {
    p.rows(&format!(
        "SELECT id, name, {column} FROM {table} ORDER BY id"
    ))
}

fn seed_rows() -> Vec<Vec<String>> {
    vec![
        vec![
            "1".to_string(),
            "Payroll".into(),
            "Building A, 4th Floor".into(),
        ],
        vec![
            "2".to_string(),
            "Human Resources".into(),
            "Building C, 1st Floor".into(),
        ],
    ]
}

const FINAL_DEPARTMENTS: &str = "\nCREATE TABLE departments (\n    id INTEGER PRIMARY KEY,\n    name VARCHAR NOT NULL,\n    location VARCHAR NOT NULL\n);\n";

#[test]
fn the_seed_tutorial_with_rename_flags_keeps_the_data() {
    let p = seed_with_departments();

    p.write(
        "schema.sql",
        &format!(
            "{EMPLOYEES}{}",
            DEPARTMENT.replace("department", "departments")
        ),
    );
    let out = stdout_of(
        &p,
        &[
            "migrate",
            "-m",
            "rename department",
            "--rename",
            "department=departments",
        ],
    );
    assert_eq!(
        out.lines().next().unwrap(),
        "~ renamed table `department` to `departments`"
    );
    let third = std::fs::read_to_string(&p.migrations()[2]).unwrap();
    assert!(
        third.contains("-- +upgrade\nALTER TABLE department RENAME TO departments;\n"),
        "{third}"
    );
    assert!(
        third.contains("-- +downgrade\nALTER TABLE departments RENAME TO department;\n"),
        "{third}"
    );
    p.cmd(&["upgrade"]).assert().success();
    assert_eq!(departments(&p, "departments", "address"), seed_rows());

    p.write("schema.sql", &format!("{EMPLOYEES}{FINAL_DEPARTMENTS}"));
    let out = stdout_of(
        &p,
        &[
            "migrate",
            "-m",
            "rename address",
            "--rename",
            "departments.address=location",
        ],
    );
    assert!(out.starts_with("~ renamed column `departments.address` to `location`\n~ changed column `departments.location`: now NOT NULL\n"), "{out}");
    p.cmd(&["upgrade"]).assert().success();
    assert_eq!(departments(&p, "departments", "location"), seed_rows());
    p.cmd(&["check"]).assert().success();

    p.cmd(&["downgrade", "-1"]).assert().success();
    assert_eq!(departments(&p, "departments", "address"), seed_rows());
    p.cmd(&["downgrade", "-1"]).assert().success();
    assert_eq!(departments(&p, "department", "address"), seed_rows());
    assert_eq!(
        p.rows("SELECT name, salary FROM employees ORDER BY id")
            .len(),
        2
    );
}

#[test]
fn without_rename_the_drop_is_refused_with_row_counts_and_nothing_changes() {
    let p = seed_with_departments();
    p.write(
        "schema.sql",
        &format!(
            "{EMPLOYEES}{}",
            DEPARTMENT.replace("department", "departments")
        ),
    );
    p.cmd(&["migrate", "-m", "rename department"])
        .assert()
        .success()
        .stderr(contains("--rename department=departments"));
    let before = p.schema_dump();
    let applied = p.rows("SELECT revision FROM wildebeest_revisions ORDER BY revision");
    p.cmd(&["upgrade"])
        .assert()
        .code(2)
        .stderr(contains("upgrade stopped before changing anything"))
        .stderr(contains(
            "drops table `department` and every row in it; it holds 2 rows",
        ));
    assert_eq!(p.schema_dump(), before);
    assert_eq!(
        p.rows("SELECT revision FROM wildebeest_revisions ORDER BY revision"),
        applied
    );
    assert_eq!(departments(&p, "department", "address"), seed_rows());

    // --sql shows the marker and the check; consent by marker then lets it run.
    p.cmd(&["upgrade", "--sql"])
        .assert()
        .success()
        .stdout(contains(
            "-- DATA LOSS: drops table `department` and every row in it",
        ))
        .stdout(contains(
            "guard: `SELECT COUNT(*) FROM department` must find 0",
        ));
    let third = p.migrations()[2].clone();
    let text = std::fs::read_to_string(&third).unwrap();
    let marked = text.replacen(
        "-- DATA LOSS: drops table `department` and every row in it\n",
        "-- DATA LOSS: drops table `department` and every row in it\n-- wildebeest: allow-data-loss\n",
        1,
    );
    assert_ne!(marked, text);
    std::fs::write(&third, marked).unwrap();
    p.cmd(&["upgrade"]).assert().success();
    assert_eq!(
        p.rows("SELECT COUNT(*) FROM departments"),
        vec![vec!["0".to_string()]]
    );
}

#[test]
fn allow_data_loss_consents_for_one_run_and_empty_tables_need_no_consent() {
    let p = seed_with_departments();
    // An empty table is dropped without consent.
    p.conn()
        .execute_batch("CREATE TABLE scratch (id INTEGER PRIMARY KEY);")
        .unwrap();
    p.cmd(&["revision", "-m", "drop scratch"])
        .assert()
        .success();
    edit_sections(
        &p.migrations()[2],
        "DROP TABLE scratch;",
        "CREATE TABLE scratch (id INTEGER PRIMARY KEY);",
    );
    p.cmd(&["upgrade"]).assert().success();
    // The downgrade of "add Department" drops a table with rows: refused, then allowed.
    p.cmd(&["downgrade", "-1"]).assert().success();
    p.cmd(&["downgrade", "-1"])
        .assert()
        .code(2)
        .stderr(contains("downgrade stopped before changing anything"))
        .stderr(contains("it holds 2 rows"));
    assert_eq!(departments(&p, "department", "address"), seed_rows());
    p.cmd(&["downgrade", "-1", "--allow-data-loss"])
        .assert()
        .success();
    assert!(
        p.rows("SELECT name FROM sqlite_master WHERE name = 'department'")
            .is_empty()
    );
}

#[test]
fn a_rename_flag_that_names_nothing_that_changed_is_an_error() {
    let p = seed_with_departments();
    fails(
        &p,
        &["migrate", "-m", "x", "--rename", "department=departments"],
        "table `department` is still in the schema",
    );
    fails(
        &p,
        &["migrate", "-m", "x", "--rename", "employees.salary=pay"],
        "column `employees.salary` is still in the schema",
    );
    p.write(
        "schema.sql",
        &format!("{EMPLOYEES}{}", DEPARTMENT.replace("address", "location")),
    );
    fails(
        &p,
        &[
            "migrate",
            "-m",
            "x",
            "--rename",
            "department.adress=location",
        ],
        "no column `department.adress`",
    );
    fails(
        &p,
        &[
            "migrate",
            "-m",
            "x",
            "--rename",
            "departments.address=location",
        ],
        "schema has no table `departments`",
    );
    fails(
        &p,
        &["migrate", "-m", "x", "--rename", "nope"],
        "--rename nope: expected OLD=NEW",
    );
    assert_eq!(p.migrations().len(), 2);
}

/// `STRICT` or `WITHOUT ROWID` added to or removed from a table has no op: `migrate`
/// says so, naming the table and its line, instead of "No changes".
#[test]
fn a_strict_or_without_rowid_change_is_refused_naming_the_table() {
    let p = TempProject::init();
    p.write(
        "schema.sql",
        "CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT);\n",
    );
    stdout_of(&p, &["migrate", "-m", "one"]);
    p.write(
        "schema.sql",
        "-- now strict\nCREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT) STRICT;\n",
    );
    p.cmd(&["migrate", "-m", "two"])
        .assert()
        .code(2)
        .stderr(contains("schema.sql:2: table `t`: STRICT added"))
        .stderr(contains("cannot change a table's STRICT or WITHOUT ROWID"));
    assert_eq!(p.migrations().len(), 1);
}

/// A table rebuilt by hand without the `STRICT` its migrations gave it, or with a
/// `WITHOUT ROWID` they did not, is drift: the diff has no op for either option, so
/// `check` compares them itself.
#[test]
fn check_reports_a_table_rebuilt_without_strict_or_with_without_rowid() {
    let p = TempProject::init();
    p.write(
        "schema.sql",
        "CREATE TABLE s (id INTEGER PRIMARY KEY, a TEXT) STRICT;\n\
         CREATE TABLE w (id INTEGER PRIMARY KEY, a TEXT);\n",
    );
    stdout_of(&p, &["migrate", "-m", "one"]);
    p.cmd(&["upgrade"]).assert().success();
    p.cmd(&["check"]).assert().success();
    p.conn()
        .execute_batch(
            "DROP TABLE s; CREATE TABLE s (id INTEGER PRIMARY KEY, a TEXT);
             DROP TABLE w; CREATE TABLE w (id INTEGER PRIMARY KEY, a TEXT) WITHOUT ROWID;",
        )
        .unwrap();
    p.cmd(&["check"])
        .assert()
        .code(1)
        .stdout(contains(
            "the database has drifted from its migrations: \
             table `s`: STRICT in the migrations, not in the database",
        ))
        .stdout(contains(
            "the database has drifted from its migrations: \
             table `w`: WITHOUT ROWID in the database, not in the migrations",
        ));
}

/// What `sqlite3 db.sqlite3 .schema` prints for a Django project: every foreign key
/// `DEFERRABLE INITIALLY DEFERRED`, written on its column.
const DJANGO_BLOG: &str = r#"CREATE TABLE "blog_author" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "name" varchar(100) NOT NULL);
CREATE TABLE sqlite_sequence(name,seq);
CREATE TABLE "blog_entry" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "headline" varchar(255) NOT NULL, "pub_date" date NOT NULL, "author_id" bigint NOT NULL REFERENCES "blog_author" ("id") DEFERRABLE INITIALLY DEFERRED);
CREATE INDEX "blog_entry_author_id_5b3b4c63" ON "blog_entry" ("author_id");
"#;

/// Inserts an entry before its author in one transaction: a deferred key is checked
/// at commit, when the author is there.
fn entry_before_its_author(p: &TempProject, id: i64) -> rusqlite::Result<()> {
    let conn = p.conn();
    conn.execute_batch(&format!(
        "PRAGMA foreign_keys = ON;
         BEGIN;
         INSERT INTO blog_entry (headline, pub_date, author_id) VALUES ('h{id}', '2026-01-01', {id});
         INSERT INTO blog_author (id, name) VALUES ({id}, 'a{id}');
         COMMIT;"
    ))
}

#[test]
fn a_django_sqlite_schema_migrates_upgrades_and_checks_clean() {
    let p = TempProject::init();
    p.write("schema.sql", DJANGO_BLOG);
    let out = p.cmd(&["migrate", "-m", "django"]).output().unwrap();
    assert!(out.status.success(), "{out:?}");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("unmodeled"), "{stderr}");
    let first = std::fs::read_to_string(&p.migrations()[0]).unwrap();
    assert!(
        first.contains(
            "FOREIGN KEY (author_id) REFERENCES blog_author (id) DEFERRABLE INITIALLY DEFERRED"
        ),
        "{first}"
    );
    ok(&p, &["upgrade"]);
    p.cmd(&["check"]).assert().success().stdout(contains("OK"));
    entry_before_its_author(&p, 1).unwrap();

    // Django adds a nullable foreign key with ADD COLUMN; here it is a rebuild of
    // blog_entry that keeps the rows and the deferral.
    p.write(
        "schema.sql",
        &DJANGO_BLOG.replace(
            "DEFERRABLE INITIALLY DEFERRED);",
            "DEFERRABLE INITIALLY DEFERRED, \"editor_id\" bigint NULL REFERENCES \"blog_author\" (\"id\") DEFERRABLE INITIALLY DEFERRED);\n\
             CREATE INDEX \"blog_entry_editor_id_8c7b4a59\" ON \"blog_entry\" (\"editor_id\");",
        ),
    );
    ok(&p, &["migrate", "-m", "editor"]);
    ok(&p, &["upgrade"]);
    p.cmd(&["check"]).assert().success().stdout(contains("OK"));
    assert_eq!(
        p.rows("SELECT id, author_id, editor_id FROM blog_entry"),
        [["1", "1", "NULL"]]
    );
    entry_before_its_author(&p, 2).unwrap();
    // Still checked at commit: a missing author fails it.
    let err = p
        .conn()
        .execute_batch(
            "PRAGMA foreign_keys = ON;
             BEGIN;
             INSERT INTO blog_entry (headline, pub_date, author_id, editor_id) VALUES ('x', '2026-01-01', 1, 42);
             COMMIT;",
        )
        .unwrap_err();
    assert!(err.to_string().contains("FOREIGN KEY"), "{err}");

    // The downgrade's rebuild keeps the author key deferred.
    ok(&p, &["downgrade", "-1"]);
    entry_before_its_author(&p, 3).unwrap();
    assert_eq!(
        p.rows("SELECT id, author_id FROM blog_entry ORDER BY id"),
        [["1", "1"], ["2", "2"], ["3", "3"]]
    );
}

// The guard of a drop after a rename in the same revision counted the new name before
// the revision ran, found no such table, and let the drop through: the data was lost
// with no consent.
#[test]
fn a_drop_after_a_rename_in_the_same_revision_is_guarded() {
    let p = TempProject::init();
    p.write(
        "schema.sql",
        "CREATE TABLE emp (id INTEGER PRIMARY KEY, salary INTEGER, note TEXT);\n",
    );
    ok(&p, &["migrate", "-m", "init"]);
    ok(&p, &["upgrade"]);
    p.conn()
        .execute_batch("INSERT INTO emp VALUES (1, 5, 'keep me'), (2, 10, 'me too');")
        .unwrap();
    p.write(
        "schema.sql",
        "CREATE TABLE staff (id INTEGER PRIMARY KEY, salary INTEGER);\n",
    );
    ok(
        &p,
        &[
            "migrate",
            "-m",
            "rename, drop note",
            "--rename",
            "emp=staff",
        ],
    );
    p.cmd(&["upgrade", "--sql"])
        .assert()
        .success()
        .stdout(contains(
            "guard: `SELECT COUNT(*) FROM emp WHERE note IS NOT NULL`",
        ));
    p.cmd(&["upgrade"])
        .assert()
        .code(2)
        .stderr(contains("upgrade stopped before changing anything"))
        .stderr(contains(
            "drops column `staff.note` and every value in it; 2 rows hold a value (not NULL) in it",
        ));
    assert_eq!(
        p.rows("SELECT COUNT(*) FROM emp WHERE note IS NOT NULL"),
        [["2"]]
    );
}

// `downgrade base` and `stamp base` on a database nothing was applied to created the
// SQLite file (and on a server the version tables) to say there was nothing to do.
#[test]
fn going_to_base_on_an_untouched_database_creates_nothing() {
    let p = TempProject::init();
    ok(&p, &["revision", "-m", "a"]);
    for args in [&["downgrade", "base"][..], &["stamp", "base"]] {
        let out = ok(&p, args);
        assert!(out.contains("Nothing to do"), "{args:?}: {out}");
        assert!(!p.db().exists(), "{args:?} created the database");
    }
    // Once something is applied, both do their work.
    ok(&p, &["upgrade"]);
    assert!(ok(&p, &["downgrade", "base"]).contains("Reverted"));
    assert!(p.db().exists());
}

// A drop in a later revision of a run, of a table or column an earlier revision of the
// run renames, was counted only when its revision came: the earlier revisions ran
// first, and the run stopped half way instead of before changing anything.
#[test]
fn a_drop_after_a_rename_in_an_earlier_revision_stops_the_run_before_it_starts() {
    let p = TempProject::init();
    p.write(
        "schema.sql",
        "CREATE TABLE emp (id INTEGER PRIMARY KEY, note TEXT);\n",
    );
    ok(&p, &["migrate", "-m", "init"]);
    ok(&p, &["upgrade"]);
    p.conn()
        .execute_batch("INSERT INTO emp VALUES (1, 'keep me');")
        .unwrap();
    p.write(
        "schema.sql",
        "CREATE TABLE staff (id INTEGER PRIMARY KEY, note TEXT);\n",
    );
    ok(&p, &["migrate", "-m", "rename", "--rename", "emp=staff"]);
    p.write(
        "schema.sql",
        "CREATE TABLE staff (id INTEGER PRIMARY KEY);\n",
    );
    ok(&p, &["migrate", "-m", "drop note"]);
    let applied = || p.rows("SELECT revision FROM wildebeest_revisions");
    let before = applied();
    let out = p.cmd(&["upgrade"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("upgrade stopped before changing anything")
            && stderr.contains(
                "drops column `staff.note` and every value in it; 1 row holds a value (not NULL) in it"
            ),
        "{stderr}"
    );
    assert_eq!(applied(), before);
    assert_eq!(p.rows("SELECT note FROM emp"), [["keep me"]]);

    // Down the same way: undoing the rename comes first, then the drop of `emp`.
    ok(&p, &["upgrade", "--allow-data-loss"]);
    ok(&p, &["downgrade", "-1"]);
    let before = applied();
    let out = p.cmd(&["downgrade", "base"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("downgrade stopped before changing anything")
            && stderr.contains("drops table `emp` and every row in it; it holds 1 row"),
        "{stderr}"
    );
    assert_eq!(applied(), before);
    assert_eq!(p.rows("SELECT COUNT(*) FROM staff"), [["1"]]);
}

// Rows an earlier revision of the run inserts were not counted before a later revision
// dropped their column: the count taken when the run started found none. The count
// is taken again right before the drop, and the run stops there, saying what ran.
#[test]
fn a_drop_after_an_insert_in_an_earlier_revision_counts_the_rows_inserted() {
    let p = TempProject::init();
    p.write(
        "schema.sql",
        "CREATE TABLE emp (id INTEGER PRIMARY KEY, note TEXT);\n",
    );
    ok(&p, &["migrate", "-m", "init"]);
    ok(&p, &["upgrade"]);
    ok(&p, &["revision", "-m", "fill"]);
    let fill = p
        .migrations()
        .into_iter()
        .find(|m| m.to_string_lossy().ends_with("_fill.sql"))
        .unwrap();
    edit_sections(
        &fill,
        "INSERT INTO emp VALUES (1, 'keep me');",
        "DELETE FROM emp WHERE id = 1;",
    );
    p.write("schema.sql", "CREATE TABLE emp (id INTEGER PRIMARY KEY);\n");
    ok(&p, &["migrate", "-m", "drop note"]);
    let out = p.cmd(&["upgrade"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("upgrade stopped before revision ")
            && stderr.contains("(the revisions before it in this run are applied)")
            && stderr.contains("1 row holds a value (not NULL) in it"),
        "{stderr}"
    );
    assert_eq!(p.rows("SELECT note FROM emp"), [["keep me"]]);
}

// Adding a NOT NULL column without a default said nothing at `migrate`, then failed
// on PostgreSQL and SQLite at `upgrade` (and MySQL filled in zeros).
#[test]
fn migrate_warns_of_a_not_null_column_added_without_a_default() {
    let p = TempProject::init();
    p.write("schema.sql", "CREATE TABLE emp (id INTEGER PRIMARY KEY);\n");
    ok(&p, &["migrate", "-m", "init"]);
    p.write(
        "schema.sql",
        "CREATE TABLE emp (id INTEGER PRIMARY KEY, hired DATE NOT NULL, \
         team TEXT NOT NULL DEFAULT 'none', note TEXT);\n",
    );
    let out = p.cmd(&["migrate", "-m", "hired"]).output().unwrap();
    assert!(out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("adds column `emp.hired` NOT NULL without a default"),
        "{stderr}"
    );
    assert!(!stderr.contains("emp.team"), "{stderr}");
    assert!(!stderr.contains("emp.note"), "{stderr}");
}

// SQLite keeps a foreign key to a table that is not there, and a downgrade can leave
// one (the table it references was made by a later revision). Reading such a database
// failed ("references table `b`, which no schema file creates"), which blocked every
// upgrade, downgrade and check until the database was edited by hand.
#[test]
fn a_foreign_key_to_a_missing_table_does_not_block_the_database() {
    let p = TempProject::init();
    ok(&p, &["revision", "-m", "a"]);
    ok(&p, &["revision", "-m", "b"]);
    let fill = |path: &std::path::Path, up: &str, down: &str| {
        let text = std::fs::read_to_string(path).unwrap();
        let head = &text[..text.find("-- +upgrade").unwrap()];
        std::fs::write(
            path,
            format!("{head}-- +upgrade\n{up}\n\n-- +downgrade\n{down}\n"),
        )
        .unwrap();
    };
    let files = p.migrations();
    fill(
        &files[0],
        "CREATE TABLE a (id INTEGER PRIMARY KEY, b_id INTEGER REFERENCES b (id));",
        "DROP TABLE a;",
    );
    fill(
        &files[1],
        "CREATE TABLE b (id INTEGER PRIMARY KEY);",
        "DROP TABLE b;",
    );
    ok(&p, &["rehash"]);
    ok(&p, &["upgrade"]);
    ok(&p, &["downgrade", "-1"]);
    ok(&p, &["upgrade"]);
    ok(&p, &["downgrade", "base"]);
    ok(&p, &["upgrade", "+1"]);
    ok(&p, &["upgrade"]);
    assert_eq!(
        p.rows("SELECT name FROM sqlite_master WHERE type = 'table' AND name IN ('a', 'b') ORDER BY name"),
        [["a"], ["b"]]
    );
}

/// Regression: SQLite's `DEFAULT "dq"`, the string `dq`, was written `DEFAULT ("dq")`
/// in the migration, which SQLite refused ("default value of column [g] is not
/// constant").
#[test]
fn a_sqlite_double_quoted_default_is_a_string() {
    let p = TempProject::init();
    p.write(
        "schema.sql",
        "CREATE TABLE d (id INTEGER PRIMARY KEY, g TEXT DEFAULT \"dq\");\n",
    );
    ok(&p, &["migrate", "-m", "one"]);
    let file = std::fs::read_to_string(&p.migrations()[0]).unwrap();
    assert!(file.contains("g TEXT DEFAULT 'dq'"), "{file}");
    ok(&p, &["upgrade"]);
    p.cmd(&["check"]).assert().success().stdout(contains("OK"));
    p.conn()
        .execute_batch("INSERT INTO d (id) VALUES (1)")
        .unwrap();
    assert_eq!(p.rows("SELECT g FROM d"), [["dq"]]);
}
