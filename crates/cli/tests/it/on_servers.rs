//! The built binary against PostgreSQL and MySQL/MariaDB: the seed tutorial, one
//! migrations folder on every database, and concurrent runs.

use std::path::Path;

use predicates::str::contains;

use crate::servers::{Server, TestDb};
use crate::util::{TempProject, ok};

/// A project whose database is `db`.
fn project_on(db: &TestDb) -> TempProject {
    let p = TempProject::new();
    p.cmd(&["init"]).assert().success();
    p.write(
        "wildebeest.toml",
        &format!("database_url = \"{}\"\n", db.url),
    );
    p
}

const EMPLOYEES: &str = "CREATE TABLE employees (\n    id INTEGER PRIMARY KEY,\n    name VARCHAR(100) NOT NULL,\n    salary INTEGER\n);\n";
const DEPARTMENT: &str = "\nCREATE TABLE department (\n    id INTEGER PRIMARY KEY,\n    name VARCHAR(100) NOT NULL,\n    address VARCHAR(200)\n);\n";
const DEPARTMENTS_FINAL: &str = "\nCREATE TABLE departments (\n    id INTEGER PRIMARY KEY,\n    name VARCHAR(100) NOT NULL,\n    location VARCHAR(200) NOT NULL\n);\n";

fn rows(db: &TestDb, table: &str, column: &str) -> Vec<Vec<String>> {
    db.rows(&format!(
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

fn seed_tutorial(server: Server) {
    let Some(db) = TestDb::new(server, "seed") else {
        return;
    };
    let p = project_on(&db);
    p.write("schema.sql", EMPLOYEES);
    p.cmd(&["migrate", "-m", "Initial migration."])
        .assert()
        .success();
    p.cmd(&["upgrade"]).assert().success();
    db.execute("INSERT INTO employees (id, name, salary) VALUES (1, 'Kai Uri', 89000), (2, 'Alena Lee', 125000)");

    p.write("schema.sql", &format!("{EMPLOYEES}{DEPARTMENT}"));
    p.cmd(&["migrate", "-m", "add Department"])
        .assert()
        .success()
        .stdout(contains("added table `department`"));
    p.cmd(&["upgrade"]).assert().success();
    db.execute(
        "INSERT INTO department (id, name, address) VALUES (1, 'Payroll', 'Building A, 4th Floor'), (2, 'Human Resources', 'Building C, 1st Floor')",
    );
    assert_eq!(rows(&db, "department", "address"), seed_rows());

    p.write(
        "schema.sql",
        &format!(
            "{EMPLOYEES}{}",
            DEPARTMENT.replace("department", "departments")
        ),
    );
    p.cmd(&[
        "migrate",
        "-m",
        "rename department",
        "--rename",
        "department=departments",
    ])
    .assert()
    .success()
    .stdout(contains("renamed table `department` to `departments`"));
    p.cmd(&["upgrade"]).assert().success();
    assert_eq!(rows(&db, "departments", "address"), seed_rows());

    p.write("schema.sql", &format!("{EMPLOYEES}{DEPARTMENTS_FINAL}"));
    p.cmd(&[
        "migrate",
        "-m",
        "rename address",
        "--rename",
        "departments.address=location",
    ])
    .assert()
    .success();
    p.cmd(&["upgrade"]).assert().success();
    assert_eq!(rows(&db, "departments", "location"), seed_rows());
    p.cmd(&["check"]).assert().success();

    p.cmd(&["downgrade", "-1"]).assert().success();
    assert_eq!(rows(&db, "departments", "address"), seed_rows());
    p.cmd(&["downgrade", "-1"]).assert().success();
    assert_eq!(rows(&db, "department", "address"), seed_rows());
    assert_eq!(
        db.rows("SELECT COUNT(*) FROM employees"),
        vec![vec!["2".to_string()]]
    );

    // Without --rename, the drop is refused and nothing changes.
    p.cmd(&["upgrade"]).assert().success();
    p.write("schema.sql", EMPLOYEES);
    p.cmd(&["migrate", "-m", "drop departments"])
        .assert()
        .success();
    p.cmd(&["upgrade"])
        .assert()
        .code(2)
        .stderr(contains("it holds 2 rows"));
    assert_eq!(rows(&db, "departments", "location"), seed_rows());
}

#[test]
fn the_seed_tutorial_on_postgres() {
    seed_tutorial(Server::Postgres);
}

#[test]
fn the_seed_tutorial_on_mysql() {
    seed_tutorial(Server::Mysql);
}

/// Copies the example project (its migrations were generated against SQLite).
fn example_project() -> TempProject {
    let p = TempProject::new();
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/company");
    std::fs::create_dir_all(p.path().join("migrations")).unwrap();
    for name in ["schema.sql", "wildebeest.toml"] {
        std::fs::copy(src.join(name), p.path().join(name)).unwrap();
    }
    for entry in std::fs::read_dir(src.join("migrations")).unwrap() {
        let path = entry.unwrap().path();
        std::fs::copy(
            &path,
            p.path().join("migrations").join(path.file_name().unwrap()),
        )
        .unwrap();
    }
    p
}

fn one_folder_on(server: Server) {
    let Some(db) = TestDb::new(server, "example") else {
        return;
    };
    let p = example_project();
    let url = db.url.clone();
    p.cmd(&["--database-url", &url, "upgrade"])
        .assert()
        .success();
    p.cmd(&["--database-url", &url, "check"]).assert().success();
    db.execute("INSERT INTO departments (id, name, location) VALUES (1, 'Payroll', 'A')");
    p.cmd(&["--database-url", &url, "downgrade", "-1"])
        .assert()
        .success();
    assert_eq!(
        db.rows("SELECT address FROM departments"),
        vec![vec!["A".to_string()]]
    );
    p.cmd(&[
        "--database-url",
        &url,
        "downgrade",
        "base",
        "--allow-data-loss",
    ])
    .assert()
    .success();
    assert_eq!(
        db.rows("SELECT COUNT(*) FROM wildebeest_revisions"),
        vec![vec!["0".to_string()]]
    );
}

#[test]
fn one_sqlite_generated_folder_runs_on_postgres() {
    one_folder_on(Server::Postgres);
}

#[test]
fn one_sqlite_generated_folder_runs_on_mysql() {
    one_folder_on(Server::Mysql);
}

/// The one failure a concurrent run may have: it waited for the migration lock
/// longer than the timeout (the message every backend gives then).
pub const LOCK_WAIT: &str = "gave up after waiting";

/// Starts one `wildebeest` process per argument list at once (on `url`, or the
/// project's SQLite file) and waits for all of them; panics when one fails for a
/// reason other than the lock wait. Returns how many failed on the lock wait.
pub fn run_at_once(p: &TempProject, url: Option<&str>, runs: &[Vec<String>]) -> usize {
    let bin = assert_cmd::cargo::cargo_bin("wildebeest");
    let children: Vec<_> = runs
        .iter()
        .map(|args| {
            let mut c = std::process::Command::new(&bin);
            c.current_dir(p.path()).env_remove("DATABASE_URL");
            if let Some(url) = url {
                c.args(["--database-url", url]);
            }
            c.args(args)
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    let mut waited = 0;
    for (child, args) in children.into_iter().zip(runs) {
        let out = child.wait_with_output().unwrap();
        if out.status.success() {
            continue;
        }
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(LOCK_WAIT), "wildebeest {args:?} failed: {err}");
        waited += 1;
    }
    waited
}

/// Asserts that no run of a batch gave up waiting for the lock. The sixteen runs of
/// these tests take a few seconds together (under 5 s on a loaded two-core machine),
/// far below the shortest lock timeout (30 s): a run that gave up waited for a lock
/// nobody was using it for (one not released at the end of a run, or at a process's
/// exit), which is what these tests are for.
fn no_run_gave_up(waited: usize) {
    assert_eq!(
        waited, 0,
        "{waited} runs gave up waiting for the migration lock, which the whole batch \
         should hold for a few seconds"
    );
}

fn upgrades(n: usize) -> Vec<Vec<String>> {
    vec![vec!["upgrade".to_string()]; n]
}

/// Sixteen `upgrade`s at once: each revision applied exactly once.
fn concurrent_upgrades(server: Server) {
    let Some(db) = TestDb::new(server, "concurrent") else {
        return;
    };
    let p = example_project();
    no_run_gave_up(run_at_once(&p, Some(&db.url), &upgrades(16)));
    let revisions = p.migrations().len().to_string();
    assert_eq!(
        db.rows("SELECT COUNT(*) FROM wildebeest_revisions"),
        vec![vec![revisions.clone()]]
    );
    assert_eq!(
        db.rows("SELECT COUNT(*) FROM wildebeest_history WHERE operation = 'upgrade'"),
        vec![vec![revisions.clone()]]
    );
    assert_eq!(
        db.rows("SELECT COUNT(DISTINCT revision) FROM wildebeest_history"),
        vec![vec![revisions]]
    );
    p.cmd(&["--database-url", &db.url, "check"])
        .assert()
        .success();
}

#[test]
fn sixteen_concurrent_upgrades_apply_each_revision_once_on_postgres() {
    concurrent_upgrades(Server::Postgres);
}

#[test]
fn sixteen_concurrent_upgrades_apply_each_revision_once_on_mysql() {
    concurrent_upgrades(Server::Mysql);
}

#[test]
fn sixteen_concurrent_upgrades_apply_each_revision_once_on_sqlite() {
    let p = example_project();
    no_run_gave_up(run_at_once(&p, None, &upgrades(16)));
    let revisions = p.migrations().len().to_string();
    assert_eq!(
        p.rows("SELECT COUNT(*) FROM wildebeest_revisions"),
        vec![vec![revisions.clone()]]
    );
    assert_eq!(
        p.rows("SELECT COUNT(*) FROM wildebeest_history WHERE operation = 'upgrade'"),
        vec![vec![revisions.clone()]]
    );
    assert_eq!(
        p.rows("SELECT COUNT(DISTINCT revision) FROM wildebeest_history"),
        vec![vec![revisions]]
    );
    p.cmd(&["check"]).assert().success();
}

/// Revisions for the mixed test: each makes one table of its own (`m0`, `m1`, ...)
/// with `IF NOT EXISTS` and drops it with `IF EXISTS`, so that a revision stamped
/// without running and then upgraded or downgraded still runs.
const MIXED_REVISIONS: usize = 10;

fn mixed_project(url: Option<&str>) -> TempProject {
    let p = TempProject::init();
    if let Some(url) = url {
        p.write("wildebeest.toml", &format!("database_url = \"{url}\"\n"));
    }
    for i in 0..MIXED_REVISIONS {
        let parent = if i == 0 {
            String::new()
        } else {
            format!(" {}", crate::crash::revision_id(i - 1))
        };
        p.write(
            &format!("migrations/20260101_{i:06}_{}_m{i}.sql", crate::crash::revision_id(i)),
            &format!(
                "-- wildebeest revision\n-- Revision: {}\n-- Revises:{parent}\n-- Message: m{i}\n\
                 -- Created: 2026-01-01T00:00:00Z\n\n-- +upgrade\n\
                 CREATE TABLE IF NOT EXISTS m{i} (\n    id INTEGER NOT NULL,\n    PRIMARY KEY (id)\n);\n\n\
                 -- +downgrade\nDROP TABLE IF EXISTS m{i};\n",
                crate::crash::revision_id(i)
            ),
        );
    }
    p
}

/// Sixteen processes at once, a mix of `upgrade`, `downgrade -1` and `stamp REV`,
/// from head. Every run holds the lock for all it does, so the history must read as
/// one run after another: replaying it (an upgrade adds its revision, which must not
/// be applied yet, and its table; a downgrade removes both; a stamp sets the applied
/// set to the target's ancestors and leaves the tables) must give the version table
/// and the tables the database has.
fn mixed_runs(p: &TempProject, url: Option<&str>, seed_name: &str) {
    let mut rng = crate::crash::Rng::new(crate::crash::seed(seed_name));
    let ids: Vec<String> = (0..MIXED_REVISIONS)
        .map(crate::crash::revision_id)
        .collect();
    let with_url = |args: &[&str]| {
        let mut v: Vec<&str> = Vec::new();
        if let Some(url) = url {
            v.extend(["--database-url", url]);
        }
        v.extend(args);
        p.cmd(&v).assert().success();
    };
    with_url(&["upgrade"]);
    // Five downgrades at most, and stamps no lower than the sixth revision: no run
    // can be asked to go below base.
    let mut runs: Vec<Vec<String>> = Vec::new();
    for i in 0..16 {
        runs.push(match i % 3 {
            0 => vec!["upgrade".into()],
            1 if i < 15 => vec!["downgrade".into(), "-1".into()],
            _ => {
                let at = 5 + rng.below((MIXED_REVISIONS - 5) as u64) as usize;
                vec!["stamp".into(), ids[at].clone()]
            }
        });
    }
    assert_eq!(runs.iter().filter(|r| r[0] == "downgrade").count(), 5);
    // The order the processes start in.
    for i in (1..runs.len()).rev() {
        runs.swap(i, rng.below(i as u64 + 1) as usize);
    }
    no_run_gave_up(run_at_once(p, url, &runs));

    let project = wildebeest_cli::app::Project::load(
        wildebeest_cli::config::Config::load(p.path(), None, url.map(String::from)).unwrap(),
    )
    .unwrap();
    let mut backend = project.open(false).unwrap().unwrap();
    let history = backend.history().unwrap();
    let mut applied: std::collections::BTreeSet<String> = Default::default();
    let mut tables: std::collections::BTreeSet<String> = Default::default();
    for (n, h) in history.iter().enumerate() {
        let table = ids
            .iter()
            .position(|id| *id == h.revision)
            .map(|i| format!("m{i}"));
        match h.operation {
            wildebeest_runner::Operation::Upgrade => {
                assert!(
                    applied.insert(h.revision.clone()),
                    "history row {n}: {} upgraded while applied: {history:?}",
                    h.revision
                );
                tables.insert(table.unwrap());
            }
            wildebeest_runner::Operation::Downgrade => {
                assert!(
                    applied.remove(&h.revision),
                    "history row {n}: {} downgraded while not applied: {history:?}",
                    h.revision
                );
                tables.remove(&table.unwrap());
            }
            wildebeest_runner::Operation::Stamp => {
                let at = ids.iter().position(|id| *id == h.revision).unwrap();
                applied = ids[..=at].iter().cloned().collect();
            }
        }
    }
    let in_table: std::collections::BTreeSet<String> = backend
        .applied()
        .unwrap()
        .into_iter()
        .map(|a| a.revision)
        .collect();
    assert_eq!(
        in_table, applied,
        "the version table is not the history's end"
    );
    let found: std::collections::BTreeSet<String> = backend
        .inspect()
        .unwrap()
        .tables
        .into_map()
        .into_keys()
        .collect();
    assert_eq!(found, tables, "the tables are not what the history made");
    // 1 upgrade to head before, then one row per run that ran (a downgrade with
    // nothing left to do still runs; a stamp writes its row when it changes the set).
    assert!(history.len() > MIXED_REVISIONS, "{history:?}");
    // Every run ran (none gave up on the lock), and the applied set never falls
    // below the sixth revision, so each `downgrade -1` undid exactly one revision.
    let downgrades = history
        .iter()
        .filter(|h| h.operation == wildebeest_runner::Operation::Downgrade)
        .count();
    assert_eq!(downgrades, 5, "{history:?}");
}

#[test]
fn sixteen_mixed_runs_keep_one_history_on_sqlite() {
    let p = mixed_project(None);
    mixed_runs(&p, None, "mixed_sqlite");
}

#[test]
fn sixteen_mixed_runs_keep_one_history_on_postgres() {
    let Some(db) = TestDb::new(Server::Postgres, "mixed") else {
        return;
    };
    let p = mixed_project(Some(&db.url));
    mixed_runs(&p, Some(&db.url), "mixed_postgres");
}

#[test]
fn sixteen_mixed_runs_keep_one_history_on_mysql() {
    let Some(db) = TestDb::new(Server::Mysql, "mixed") else {
        return;
    };
    let p = mixed_project(Some(&db.url));
    mixed_runs(&p, Some(&db.url), "mixed_mysql");
}

/// `upgrade --sql base:head` (or `args`) for a DBA, run by the database's own client
/// on a fresh database: the database ends at head with no drift, exactly as an online
/// upgrade leaves it.
fn offline_script_runs_in_the_client(server: Server, args: &[&str]) {
    let Some(db) = TestDb::new(server, "offline") else {
        return;
    };
    let p = example_project();
    let out = p
        .cmd(&["--database-url", &db.url])
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let script = p.path().join("offline.sql");
    std::fs::write(&script, &out.stdout).unwrap();
    run_in_client(&db, &script);
    p.cmd(&["--database-url", &db.url, "check"])
        .assert()
        .success();
}

/// Runs the SQL file `script` in `db` with the server's own client (`psql`,
/// `mariadb`), stopping at the first error.
fn run_in_client(db: &TestDb, script: &Path) {
    let admin = std::env::var(match db.server {
        Server::Postgres => "WILDEBEEST_TEST_POSTGRES_URL",
        Server::Mysql => "WILDEBEEST_TEST_MYSQL_URL",
    })
    .unwrap();
    let status = match db.server {
        Server::Postgres => std::process::Command::new("psql")
            .args(["-q", "-v", "ON_ERROR_STOP=1", &admin, "-f"])
            .arg(script)
            .env("PGOPTIONS", format!("-c search_path={}", db.name))
            .status()
            .expect("psql"),
        Server::Mysql => {
            let base = admin.trim_start_matches("mysql://");
            let (user, rest) = base.split_once('@').unwrap();
            let (host, _) = rest.split_once('/').unwrap();
            let (host, port) = host.split_once(':').unwrap_or((host, "3306"));
            std::process::Command::new("mariadb")
                .args(["-h", host, "-P", port, "-u", user, &db.name])
                .stdin(std::fs::File::open(script).unwrap())
                .status()
                .expect("mariadb")
        }
    };
    assert!(
        status.success(),
        "the client failed on:\n{}",
        std::fs::read_to_string(script).unwrap()
    );
}

/// `url` with its host and port replaced by a port nothing listens on.
fn unreachable(url: &str) -> String {
    let (scheme, rest) = url.split_once("://").unwrap();
    let (user, rest) = rest.split_once('@').unwrap();
    let (_, path) = rest.split_once('/').unwrap();
    format!("{scheme}://{user}@127.0.0.1:9/{path}")
}

/// What the tests compare between two databases: every table's columns, indexes
/// and constraints by name, from the server's catalog.
fn catalog(db: &TestDb) -> Vec<Vec<String>> {
    let sql = match db.server {
        Server::Postgres => {
            "SELECT table_name, column_name, data_type FROM information_schema.columns \
             WHERE table_schema = current_schema() UNION ALL \
             SELECT tablename, indexname, indexdef FROM pg_indexes \
             WHERE schemaname = current_schema() UNION ALL \
             SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) \
             FROM pg_constraint WHERE connamespace = current_schema()::regnamespace \
             ORDER BY 1, 2, 3"
        }
        Server::Mysql => {
            "SELECT TABLE_NAME, COLUMN_NAME, COLUMN_TYPE FROM information_schema.COLUMNS \
             WHERE TABLE_SCHEMA = DATABASE() UNION ALL \
             SELECT TABLE_NAME, INDEX_NAME, COLUMN_NAME FROM information_schema.STATISTICS \
             WHERE TABLE_SCHEMA = DATABASE() UNION ALL \
             SELECT TABLE_NAME, CONSTRAINT_NAME, CONSTRAINT_TYPE \
             FROM information_schema.TABLE_CONSTRAINTS WHERE TABLE_SCHEMA = DATABASE() \
             ORDER BY 1, 2, 3"
        }
    };
    // PostgreSQL's index definitions name the schema, which differs between tests.
    db.rows(sql)
        .into_iter()
        .map(|row| row.into_iter().map(|v| v.replace(&db.name, "S")).collect())
        .collect()
}

/// `upgrade --sql base:head` and `downgrade --sql head:base` are written with no
/// server to reach (they used to need a connection on PostgreSQL and MySQL, and on
/// MySQL asked the live database, not the script's start, whether a foreign key had
/// an index of MySQL's making). Run by the client on a fresh database, the upgrade
/// leaves exactly what an online upgrade leaves, through a history that drops a
/// foreign key and renames the table of another; the downgrade removes it all.
fn offline_scripts_need_no_server(server: Server) {
    let (Some(online), Some(offline)) = (
        TestDb::new(server, "off_online"),
        TestDb::new(server, "off_script"),
    ) else {
        return;
    };
    let p = TempProject::init();
    // schema.sql is SQLite's, where a key without an action is `NO ACTION`; read as
    // MySQL's, it would be the server's default (MariaDB: `RESTRICT`).
    let toml = p.read("wildebeest.toml");
    p.write(
        "wildebeest.toml",
        &format!("{toml}\nschema_dialect = \"sqlite\"\n"),
    );
    let steps: [(&str, &[&str]); 4] = [
        (
            "CREATE TABLE parent (id INTEGER PRIMARY KEY, name VARCHAR(40) NOT NULL);\n\
             CREATE TABLE child (id INTEGER PRIMARY KEY, parent_id INTEGER REFERENCES parent(id),\n\
               other_id INTEGER REFERENCES parent(id));\n",
            &[],
        ),
        (
            "CREATE TABLE parent (id INTEGER PRIMARY KEY, name VARCHAR(40) NOT NULL);\n\
             CREATE TABLE kid (id INTEGER PRIMARY KEY, parent_id INTEGER REFERENCES parent(id),\n\
               other_id INTEGER REFERENCES parent(id));\n",
            &["--rename", "child=kid"],
        ),
        (
            "CREATE TABLE parent (id INTEGER PRIMARY KEY, name VARCHAR(40) NOT NULL);\n\
             CREATE TABLE kid (id INTEGER PRIMARY KEY, parent_id INTEGER REFERENCES parent(id),\n\
               other_id INTEGER);\n",
            &[],
        ),
        (
            "CREATE TABLE parent (id INTEGER PRIMARY KEY, name VARCHAR(40) NOT NULL);\n\
             CREATE TABLE kid (id INTEGER PRIMARY KEY, parent_id INTEGER REFERENCES parent(id),\n\
               other_id INTEGER);\n\
             CREATE INDEX kid_parent ON kid (parent_id, id);\n",
            &[],
        ),
    ];
    for (i, (schema, extra)) in steps.iter().enumerate() {
        p.write("schema.sql", schema);
        let message = format!("step {i}");
        let mut args = vec!["migrate", "-m", &message];
        args.extend_from_slice(extra);
        ok(&p, &args);
    }
    ok(&p, &["--database-url", &online.url, "upgrade"]);

    let nowhere = unreachable(&offline.url);
    let upgrade = ok(
        &p,
        &["--database-url", &nowhere, "upgrade", "--sql", "base:head"],
    );
    let script = p.path().join("upgrade.sql");
    std::fs::write(&script, &upgrade).unwrap();
    run_in_client(&offline, &script);
    let tables = |db: &TestDb| -> Vec<Vec<String>> {
        catalog(db)
            .into_iter()
            .filter(|row| !row[0].starts_with("wildebeest"))
            .collect()
    };
    assert_eq!(tables(&offline), tables(&online), "script:\n{upgrade}");
    assert!(!tables(&offline).is_empty());
    ok(&p, &["--database-url", &offline.url, "check"]);

    let downgrade = ok(
        &p,
        &[
            "--database-url",
            &nowhere,
            "downgrade",
            "--sql",
            "head:base",
        ],
    );
    let script = p.path().join("downgrade.sql");
    std::fs::write(&script, &downgrade).unwrap();
    run_in_client(&offline, &script);
    assert_eq!(
        tables(&offline),
        Vec::<Vec<String>>::new(),
        "script:\n{downgrade}"
    );
    assert_eq!(
        offline.rows("SELECT COUNT(*) FROM wildebeest_revisions"),
        [["0"]]
    );
}

#[test]
fn offline_scripts_need_no_server_on_postgres() {
    offline_scripts_need_no_server(Server::Postgres);
}

#[test]
fn offline_scripts_need_no_server_on_mysql() {
    offline_scripts_need_no_server(Server::Mysql);
}

#[test]
fn an_offline_script_runs_in_psql() {
    offline_script_runs_in_the_client(Server::Postgres, &["upgrade", "--sql", "base:head"]);
}

#[test]
fn an_offline_script_runs_in_mariadb() {
    offline_script_runs_in_the_client(Server::Mysql, &["upgrade", "--sql", "base:head"]);
}

// Plain `upgrade --sql` used to leave the version tables out, so its script stopped at
// the first bookkeeping INSERT on a database wildebeest had never touched.
#[test]
fn plain_upgrade_sql_runs_in_psql_on_a_fresh_database() {
    offline_script_runs_in_the_client(Server::Postgres, &["upgrade", "--sql"]);
}

#[test]
fn plain_upgrade_sql_runs_in_mariadb_on_a_fresh_database() {
    offline_script_runs_in_the_client(Server::Mysql, &["upgrade", "--sql"]);
}

/// A stamp to two heads on a server: one history row per head. It used to write one
/// row for 'a,b', an id no revision has.
fn stamp_to_two_heads_records_a_row_per_head(server: Server) {
    let Some(db) = TestDb::new(server, "stamp_heads") else {
        return;
    };
    let p = project_on(&db);
    p.cmd(&["revision", "-m", "one"]).assert().success();
    p.cmd(&["revision", "-m", "two", "--head", "base"])
        .assert()
        .success();
    let out = p.cmd(&["heads"]).output().unwrap();
    let mut heads: Vec<String> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| l.split_whitespace().next().unwrap().to_string())
        .collect();
    heads.sort();
    assert_eq!(heads.len(), 2, "{heads:?}");
    p.cmd(&["stamp", "heads"]).assert().success();
    let rows = db.rows("SELECT revision, operation FROM wildebeest_history ORDER BY revision");
    let expected: Vec<Vec<String>> = heads
        .iter()
        .map(|h| vec![h.clone(), "stamp".to_string()])
        .collect();
    assert_eq!(rows, expected);
}

#[test]
fn a_stamp_to_two_heads_records_a_row_per_head_on_postgres() {
    stamp_to_two_heads_records_a_row_per_head(Server::Postgres);
}

#[test]
fn a_stamp_to_two_heads_records_a_row_per_head_on_mysql() {
    stamp_to_two_heads_records_a_row_per_head(Server::Mysql);
}

/// A column renamed and narrowed in one revision: the guard counts the column under
/// its old name before the revision runs. It used to count the new name, find no
/// such column and let the narrowing round 50000.50 to 50001.
fn a_rename_then_narrowing_is_guarded(server: Server) {
    let Some(db) = TestDb::new(server, "rename_narrow") else {
        return;
    };
    let p = project_on(&db);
    p.write(
        "schema.sql",
        "CREATE TABLE emp (id INTEGER PRIMARY KEY, salary DECIMAL(10, 2));\n",
    );
    ok(&p, &["migrate", "-m", "init"]);
    ok(&p, &["upgrade"]);
    db.execute("INSERT INTO emp (id, salary) VALUES (1, 50000.50), (2, 10.25)");
    p.write(
        "schema.sql",
        "CREATE TABLE emp (id INTEGER PRIMARY KEY, pay INTEGER);\n",
    );
    ok(&p, &["migrate", "-m", "pay", "--rename", "emp.salary=pay"]);
    p.cmd(&["upgrade"])
        .assert()
        .code(2)
        .stderr(contains("upgrade stopped before changing anything"))
        .stderr(contains("narrows column `emp.pay`"));
    assert_eq!(
        db.rows("SELECT salary FROM emp ORDER BY id"),
        [["50000.50"], ["10.25"]]
    );
}

#[test]
fn a_rename_then_narrowing_is_guarded_on_postgres() {
    a_rename_then_narrowing_is_guarded(Server::Postgres);
}

#[test]
fn a_rename_then_narrowing_is_guarded_on_mysql() {
    a_rename_then_narrowing_is_guarded(Server::Mysql);
}

/// PostgreSQL enum types on MySQL across runs: MySQL cannot report a type back, so a
/// value added in a later run (`ALTER TYPE ... ADD VALUE`) used to run nothing while
/// the revision was recorded as applied, and a column of the type added in a later
/// revision was not recognized. The types now come from the applied revisions.
#[test]
fn enum_types_of_earlier_runs_are_known_on_mysql() {
    let (Some(pg), Some(my)) = (
        TestDb::new(Server::Postgres, "enum_runs"),
        TestDb::new(Server::Mysql, "enum_runs"),
    ) else {
        return;
    };
    let p = project_on(&pg);
    let my_url = my.url.as_str();
    p.write(
        "schema.sql",
        "CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');\n\
         CREATE TABLE person (id INTEGER PRIMARY KEY, mood mood NOT NULL DEFAULT 'ok');\n",
    );
    ok(&p, &["migrate", "-m", "init"]);
    ok(&p, &["--database-url", my_url, "upgrade"]);
    my.execute("INSERT INTO person (id, mood) VALUES (1, 'happy')");

    p.write(
        "schema.sql",
        "CREATE TYPE mood AS ENUM ('sad', 'meh', 'ok', 'happy', 'ecstatic');\n\
         CREATE TABLE person (id INTEGER PRIMARY KEY, mood mood NOT NULL DEFAULT 'ok');\n",
    );
    ok(&p, &["migrate", "-m", "more moods"]);
    ok(&p, &["--database-url", my_url, "upgrade"]);
    my.execute("INSERT INTO person (id, mood) VALUES (2, 'ecstatic')");
    let column_type = || {
        my.rows(
            "SELECT COLUMN_TYPE FROM information_schema.COLUMNS \
             WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'person' AND COLUMN_NAME = 'mood'",
        )
    };
    assert_eq!(
        column_type(),
        [["enum('sad','meh','ok','happy','ecstatic')"]]
    );

    // A column of the type in a later revision (and run) is an enum column too.
    p.write(
        "schema.sql",
        "CREATE TYPE mood AS ENUM ('sad', 'meh', 'ok', 'happy', 'ecstatic');\n\
         CREATE TABLE person (id INTEGER PRIMARY KEY, mood mood NOT NULL DEFAULT 'ok',\n\
           was mood);\n",
    );
    ok(&p, &["migrate", "-m", "was"]);
    ok(&p, &["--database-url", my_url, "upgrade"]);
    assert_eq!(
        my.rows(
            "SELECT COLUMN_TYPE FROM information_schema.COLUMNS \
             WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'person' AND COLUMN_NAME = 'was'",
        ),
        [["enum('sad','meh','ok','happy','ecstatic')"]]
    );

    // Down again: the added labels go once no row holds them. While one does, the
    // downgrade stops before anything runs (it used to fail half way, "Data
    // truncated", after the first of its statements had committed).
    ok(&p, &["--database-url", my_url, "downgrade", "-1"]);
    let out = p
        .cmd(&["--database-url", my_url, "downgrade", "-1"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("downgrade stopped before changing anything")
            && stderr.contains("1 row holds in `person.mood` that enum type `mood` does not have"),
        "{stderr}"
    );
    assert!(!ok(&p, &["--database-url", my_url, "current"]).contains("half done"));
    my.execute("DELETE FROM person WHERE id = 2");
    ok(&p, &["--database-url", my_url, "downgrade", "-1"]);
    assert_eq!(column_type(), [["enum('sad','ok','happy')"]]);
}

/// One folder on three databases, as an exploratory test wrote it: a PostgreSQL
/// file's `SERIAL` key and `now()` default were written as they are on SQLite (a
/// NUMERIC key nothing numbers, an insert failing on `now()`) and on MySQL (its own
/// `SERIAL`, a `BIGINT UNSIGNED` that an `INTEGER` foreign key cannot reference);
/// and a SQLite file's boolean `DEFAULT 1` was refused by PostgreSQL.
#[test]
fn postgres_serials_and_sqlite_booleans_work_on_the_other_databases() {
    let (Some(pg), Some(my)) = (
        TestDb::new(Server::Postgres, "xdialect"),
        TestDb::new(Server::Mysql, "xdialect"),
    ) else {
        return;
    };
    let p = TempProject::init();
    p.write(
        "schema.sql",
        "CREATE TABLE orders (id SERIAL PRIMARY KEY, created_at TIMESTAMP NOT NULL DEFAULT now(), note TEXT);\n\
         CREATE TABLE order_lines (order_id INTEGER NOT NULL REFERENCES orders (id), n INTEGER NOT NULL,\n\
           PRIMARY KEY (order_id, n));\n",
    );
    ok(&p, &["--database-url", &pg.url, "migrate", "-m", "orders"]);
    ok(&p, &["upgrade"]);
    let conn = p.conn();
    conn.execute_batch(
        "INSERT INTO orders (note) VALUES ('a'), ('b'); INSERT INTO order_lines VALUES (2, 1);",
    )
    .unwrap();
    assert_eq!(
        p.rows("SELECT id, note, created_at IS NOT NULL FROM orders ORDER BY id"),
        [["1", "a", "1"], ["2", "b", "1"]]
    );
    ok(&p, &["--database-url", &my.url, "upgrade"]);
    my.execute("INSERT INTO orders (note) VALUES ('a'), ('b')");
    my.execute("INSERT INTO order_lines VALUES (2, 1)");
    assert_eq!(
        my.rows("SELECT id, note FROM orders ORDER BY id"),
        [["1", "a"], ["2", "b"]]
    );

    // A SQLite file's boolean default on PostgreSQL.
    let q = TempProject::init();
    q.write(
        "schema.sql",
        "CREATE TABLE authors (id INTEGER PRIMARY KEY, active BOOLEAN NOT NULL DEFAULT 1);\n",
    );
    ok(&q, &["migrate", "-m", "authors"]);
    ok(&q, &["--database-url", &pg.url, "upgrade"]);
    pg.execute("INSERT INTO authors (id) VALUES (1)");
    assert_eq!(pg.rows("SELECT active FROM authors"), [["t"]]);
}

/// One folder checked against three databases: with `schema_dialect`, schema.sql is
/// read in the dialect it is written in, whatever database the URL names, so `check`
/// passes on each after a clean upgrade. Without it, schema.sql was read in each
/// database's dialect and `check` could not pass on the other two.
#[test]
fn one_folder_checks_clean_on_three_databases_with_schema_dialect() {
    let (Some(pg), Some(my)) = (
        TestDb::new(Server::Postgres, "three"),
        TestDb::new(Server::Mysql, "three"),
    ) else {
        return;
    };
    let p = TempProject::init();
    let toml = std::fs::read_to_string(p.path().join("wildebeest.toml")).unwrap();
    p.write(
        "wildebeest.toml",
        &format!("{toml}\nschema_dialect = \"postgresql\"\n"),
    );
    p.write(
        "schema.sql",
        "CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');\n\
         CREATE TABLE people (\n\
           id SERIAL PRIMARY KEY,\n\
           name VARCHAR(100) NOT NULL UNIQUE,\n\
           mood mood NOT NULL DEFAULT 'ok',\n\
           active BOOLEAN NOT NULL DEFAULT true,\n\
           joined TIMESTAMP NOT NULL DEFAULT now()\n\
         );\n\
         CREATE TABLE notes (id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,\n\
           person_id INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,\n\
           body TEXT NOT NULL);\n\
         CREATE INDEX notes_person ON notes (person_id);\n",
    );
    ok(&p, &["migrate", "-m", "people"]);
    let file = std::fs::read_to_string(&p.migrations()[0]).unwrap();
    assert!(file.contains("-- Dialect: postgresql"), "{file}");
    for url in ["sqlite:app.db", pg.url.as_str(), my.url.as_str()] {
        ok(&p, &["--database-url", url, "upgrade"]);
        ok(&p, &["--database-url", url, "check"]);
    }
    p.conn()
        .execute_batch("INSERT INTO people (name) VALUES ('a'); INSERT INTO notes (person_id, body) VALUES (1, 'x');")
        .unwrap();
    my.execute("INSERT INTO people (name) VALUES ('a')");
    pg.execute("INSERT INTO people (name) VALUES ('a')");
}

/// Regression: PostgreSQL keeps a bit string's default as `'0101'::"bit"`, and `check`
/// right after a clean upgrade found `B'0101'` (and `X'A'`) drifted.
#[test]
fn postgres_bit_string_defaults_check_clean() {
    let Some(db) = TestDb::new(Server::Postgres, "bits") else {
        return;
    };
    let p = project_on(&db);
    p.write(
        "schema.sql",
        "CREATE TABLE b (id INT PRIMARY KEY, f BIT(4) DEFAULT B'0101',\n\
           g BIT VARYING(8) DEFAULT X'A', h BIT(4) DEFAULT '0011'::\"bit\");\n",
    );
    ok(&p, &["migrate", "-m", "one"]);
    ok(&p, &["upgrade"]);
    ok(&p, &["check"]);
    db.execute("INSERT INTO b (id) VALUES (1)");
    assert_eq!(
        db.rows("SELECT f::text, g::text, h::text FROM b"),
        [["0101", "1010", "0011"]]
    );
    // The same bits written another way are no change.
    p.write(
        "schema.sql",
        "CREATE TABLE b (id INT PRIMARY KEY, f BIT(4) DEFAULT '0101',\n\
           g BIT VARYING(8) DEFAULT B'1010', h BIT(4) DEFAULT X'3');\n",
    );
    p.cmd(&["migrate", "-m", "two"])
        .assert()
        .success()
        .stdout(contains("No changes"));
}

/// Regression: MySQL ignores the case of function names and reads some as others
/// (`CURRENT_DATE` is `curdate()`), and MariaDB reports them its own way, so `check`
/// found `CHAR_LENGTH(h) > 2`, `UUID()` and `CURRENT_DATE` drifted right after a
/// clean upgrade, and the same schema in lower case dropped and added the check.
#[test]
fn mysql_function_names_check_clean_in_any_spelling() {
    let Some(db) = TestDb::new(Server::Mysql, "fnames") else {
        return;
    };
    let p = project_on(&db);
    p.write(
        "schema.sql",
        "CREATE TABLE a (id INT PRIMARY KEY, h VARCHAR(9) NOT NULL,\n\
           u CHAR(36) DEFAULT (UUID()), d DATE DEFAULT (CURRENT_DATE),\n\
           t TIME DEFAULT CURRENT_TIME, s VARCHAR(9) DEFAULT (LCASE('X')),\n\
           CONSTRAINT c CHECK (CHAR_LENGTH(h) > 2 AND MID(h, 1, 1) <> 'x'));\n",
    );
    ok(&p, &["migrate", "-m", "one"]);
    ok(&p, &["upgrade"]);
    ok(&p, &["check"]);
    p.write(
        "schema.sql",
        "create table a (id int primary key, h varchar(9) not null,\n\
           u char(36) default (uuid()), d date default (curdate()),\n\
           t time default (curtime()), s varchar(9) default (lower('X')),\n\
           constraint c check (char_length(h) > 2 and substr(h, 1, 1) <> 'x'));\n",
    );
    p.cmd(&["migrate", "-m", "two"])
        .assert()
        .success()
        .stdout(contains("No changes"));
    ok(&p, &["check"]);
}

/// Regression: `DEFAULT CURRENT_TIMESTAMP(6)` lost its precision in the migration
/// (`DEFAULT CURRENT_TIMESTAMP`), and a change of it was no change.
#[test]
fn mysql_current_timestamp_default_keeps_its_precision() {
    let Some(db) = TestDb::new(Server::Mysql, "precision") else {
        return;
    };
    let p = project_on(&db);
    let schema = "CREATE TABLE e (id INT PRIMARY KEY,\n\
                    at DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),\n\
                    up DATETIME(3) DEFAULT NOW(3) ON UPDATE CURRENT_TIMESTAMP(3));\n";
    p.write("schema.sql", schema);
    ok(&p, &["migrate", "-m", "one"]);
    let file = std::fs::read_to_string(&p.migrations()[0]).unwrap();
    assert!(
        file.contains("at DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),"),
        "{file}"
    );
    assert!(
        file.contains(
            "up DATETIME(3) DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),"
        ),
        "{file}"
    );
    ok(&p, &["upgrade"]);
    ok(&p, &["check"]);
    p.write("schema.sql", &schema.replace("(6)", "(2)"));
    p.cmd(&["migrate", "-m", "two"])
        .assert()
        .success()
        .stdout(contains(
            "default CURRENT_TIMESTAMP(6) -> CURRENT_TIMESTAMP(2)",
        ));
    ok(&p, &["upgrade"]);
    ok(&p, &["check"]);
}

/// `DROP INDEX CONCURRENTLY` in a hand-written revision without a transaction was
/// "not understood" (while `CREATE INDEX CONCURRENTLY` was), so the model kept the
/// index and `check` reported the database as drifted once it was gone.
#[test]
fn drop_index_concurrently_is_followed_by_the_model() {
    let Some(db) = TestDb::new(Server::Postgres, "drop_concurrently") else {
        return;
    };
    let p = project_on(&db);
    p.write(
        "schema.sql",
        "CREATE TABLE t (id INTEGER PRIMARY KEY, a INTEGER);\nCREATE INDEX t_a ON t (a);\n",
    );
    ok(&p, &["migrate", "-m", "init"]);
    ok(&p, &["revision", "-m", "drop"]);
    let path = p
        .migrations()
        .into_iter()
        .rfind(|m| m.to_string_lossy().ends_with("_drop.sql"))
        .unwrap();
    let text = std::fs::read_to_string(&path).unwrap();
    let head = &text[..text.find("\n\n-- +upgrade").expect("upgrade marker")];
    std::fs::write(
        &path,
        format!(
            "{head}\n-- Transaction: none\n\n-- +upgrade\nDROP INDEX CONCURRENTLY IF EXISTS t_a;\n\n\
             -- +downgrade\nCREATE INDEX CONCURRENTLY t_a ON t (a);\n"
        ),
    )
    .unwrap();
    ok(&p, &["rehash"]);
    p.write(
        "schema.sql",
        "CREATE TABLE t (id INTEGER PRIMARY KEY, a INTEGER);\n",
    );

    let out = p.cmd(&["upgrade"]).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(!stderr.contains("not understood"), "{stderr}");
    assert_eq!(
        db.rows("SELECT count(*) FROM pg_indexes WHERE schemaname = current_schema() AND indexname = 't_a'"),
        [["0"]]
    );
    p.cmd(&["check"]).assert().success().stdout(contains("OK"));
    p.cmd(&["migrate", "-m", "again"])
        .assert()
        .success()
        .stdout(contains("No changes"));

    ok(&p, &["downgrade", "-1"]);
    assert_eq!(
        db.rows("SELECT count(*) FROM pg_indexes WHERE schemaname = current_schema() AND indexname = 't_a'"),
        [["1"]]
    );
}
