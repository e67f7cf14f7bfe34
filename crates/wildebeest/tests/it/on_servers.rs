//! The built binary against PostgreSQL and MySQL/MariaDB: the seed tutorial, one
//! migrations folder on every database, and concurrent runs.

use std::path::Path;

use predicates::str::contains;

use crate::servers::{Server, TestDb};
use crate::util::TempProject;

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

fn concurrent_upgrades(server: Server) {
    let Some(db) = TestDb::new(server, "concurrent") else {
        return;
    };
    let p = example_project();
    let bin = assert_cmd::cargo::cargo_bin("wildebeest");
    let children: Vec<_> = (0..8)
        .map(|_| {
            std::process::Command::new(&bin)
                .current_dir(p.path())
                .env_remove("DATABASE_URL")
                .args(["--database-url", &db.url, "upgrade"])
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    for child in children {
        let out = child.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let revisions = p.migrations().len().to_string();
    assert_eq!(
        db.rows("SELECT COUNT(*) FROM wildebeest_revisions"),
        vec![vec![revisions.clone()]]
    );
    assert_eq!(
        db.rows("SELECT COUNT(*) FROM wildebeest_history WHERE operation = 'upgrade'"),
        vec![vec![revisions]]
    );
}

#[test]
fn eight_concurrent_upgrades_apply_each_revision_once_on_postgres() {
    concurrent_upgrades(Server::Postgres);
}

#[test]
fn eight_concurrent_upgrades_apply_each_revision_once_on_mysql() {
    concurrent_upgrades(Server::Mysql);
}

#[test]
fn eight_concurrent_upgrades_apply_each_revision_once_on_sqlite() {
    let p = example_project();
    let bin = assert_cmd::cargo::cargo_bin("wildebeest");
    let children: Vec<_> = (0..8)
        .map(|_| {
            std::process::Command::new(&bin)
                .current_dir(p.path())
                .env_remove("DATABASE_URL")
                .arg("upgrade")
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    for child in children {
        let out = child.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let revisions = p.migrations().len().to_string();
    assert_eq!(
        p.rows("SELECT COUNT(*) FROM wildebeest_revisions"),
        vec![vec![revisions.clone()]]
    );
    assert_eq!(
        p.rows("SELECT COUNT(*) FROM wildebeest_history WHERE operation = 'upgrade'"),
        vec![vec![revisions]]
    );
}

/// `upgrade --sql base:head` for a DBA, run by the database's own client: the
/// database ends at head with no drift, exactly as an online upgrade leaves it.
fn offline_script_runs_in_the_client(server: Server) {
    let Some(db) = TestDb::new(server, "offline") else {
        return;
    };
    let p = example_project();
    let out = p
        .cmd(&["--database-url", &db.url, "upgrade", "--sql", "base:head"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let script = p.path().join("offline.sql");
    std::fs::write(&script, &out.stdout).unwrap();
    let admin = std::env::var(match server {
        Server::Postgres => "WILDEBEEST_TEST_POSTGRES_URL",
        Server::Mysql => "WILDEBEEST_TEST_MYSQL_URL",
    })
    .unwrap();
    let status = match server {
        Server::Postgres => std::process::Command::new("psql")
            .args(["-q", "-v", "ON_ERROR_STOP=1", &admin, "-f"])
            .arg(&script)
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
                .stdin(std::fs::File::open(&script).unwrap())
                .status()
                .expect("mariadb")
        }
    };
    assert!(
        status.success(),
        "the client failed on:\n{}",
        String::from_utf8_lossy(&out.stdout)
    );
    p.cmd(&["--database-url", &db.url, "check"])
        .assert()
        .success();
}

#[test]
fn an_offline_script_runs_in_psql() {
    offline_script_runs_in_the_client(Server::Postgres);
}

#[test]
fn an_offline_script_runs_in_mariadb() {
    offline_script_runs_in_the_client(Server::Mysql);
}
