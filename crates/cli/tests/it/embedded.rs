//! An application outside the workspace that depends only on `wildebeest`, with only
//! the backend it uses, and embeds its migrations with `embed_migrations!`: built
//! with cargo in a temporary folder, run with its migrations folder deleted, and
//! checked with the command line. Also: a broken or stale folder is a compile error
//! naming the file, and `cargo tree` shows a `sqlite`-only build has no other
//! database driver.
//!
//! The applications share one target folder (`target/outside`), so the
//! dependencies build once; each test names its application differently, so no
//! build overwrites a binary another test runs.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::outside::{Package, path_dependency, root};
use crate::servers::{Server, TestDb};
use crate::util::TempProject;

/// The example project whose migrations the application embeds.
fn company() -> PathBuf {
    root().join("examples/company")
}

const MAIN: &str = r#"
static MIGRATOR: wildebeest::Migrator = wildebeest::embed_migrations!("migrations");

fn main() -> std::process::ExitCode {
    let Some(url) = std::env::args().nth(1) else {
        eprintln!("usage: app DATABASE_URL");
        return std::process::ExitCode::from(2);
    };
    match MIGRATOR.upgrade(&url) {
        Ok(report) => {
            println!("{} applied", report.revisions.len());
            for run in &report.revisions {
                println!("{} {}", run.revision, run.message);
            }
        }
        Err(e) => {
            eprintln!("upgrade: {e}");
            return std::process::ExitCode::from(2);
        }
    }
    match MIGRATOR.check(&url) {
        Ok(report) if report.is_ok() => println!("check: ok"),
        Ok(report) => {
            for problem in &report.problems {
                println!("check: {problem}");
            }
        }
        Err(e) => {
            eprintln!("check: {e}");
            return std::process::ExitCode::from(2);
        }
    }
    std::process::ExitCode::SUCCESS
}
"#;

/// The application `name`: `wildebeest` with `features` and no default ones, and the
/// example's migrations in `migrations/`.
fn app(name: &str, features: &[&str]) -> Package {
    let dependencies = path_dependency("wildebeest", "crates/wildebeest", features);
    let app = Package::new(name, &dependencies, MAIN);
    let migrations = app.path().join("migrations");
    for entry in std::fs::read_dir(company().join("migrations")).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), migrations.join(entry.file_name())).unwrap();
    }
    app
}

fn run(binary: &Path, url: &str, cwd: &Path) -> String {
    let out = Command::new(binary)
        .arg(url)
        .current_dir(cwd)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "the application failed:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// Builds an application with `feature`, deletes its migrations folder, upgrades
/// the database at `url` twice, and runs the command line's `check` on it.
fn upgrade_twice_then_check(name: &str, feature: &str, url: &str) {
    let app = app(name, &[feature]);
    let binary = app.build();
    std::fs::remove_dir_all(app.path().join("migrations")).unwrap();
    let elsewhere = tempfile::tempdir().unwrap();

    let first = run(&binary, url, elsewhere.path());
    assert!(first.starts_with("4 applied\n"), "{first}");
    assert!(first.contains("a0680725a139 rename address"), "{first}");
    assert!(first.ends_with("check: ok\n"), "{first}");
    let second = run(&binary, url, elsewhere.path());
    assert_eq!(second, "0 applied\ncheck: ok\n");

    // A backend left out is an error that names the feature, not a driver linked in.
    if feature != "postgres" {
        let out = Command::new(&binary)
            .arg("postgres://someone:secret@127.0.0.1:1/db")
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{stderr}");
        assert!(
            stderr.contains("built without the PostgreSQL backend (the `postgres` feature"),
            "{stderr}"
        );
        assert!(!stderr.contains("secret"), "{stderr}");
    }

    // The command line sees the database as its own `upgrade` would leave it.
    let project = TempProject::new();
    for name in ["schema.sql", "wildebeest.toml"] {
        std::fs::copy(company().join(name), project.path().join(name)).unwrap();
    }
    std::fs::create_dir(project.path().join("migrations")).unwrap();
    for entry in std::fs::read_dir(company().join("migrations")).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(
            entry.path(),
            project.path().join("migrations").join(entry.file_name()),
        )
        .unwrap();
    }
    let out = project
        .cmd(&["--database-url", url, "check"])
        .env("WILDEBEEST_NO_CACHE", "1")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "check failed:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn an_embedded_sqlite_application_upgrades_once_without_files_and_check_accepts_it() {
    let db = tempfile::tempdir().unwrap();
    let url = format!("sqlite:{}", db.path().join("app.db").display());
    upgrade_twice_then_check("embedded-sqlite", "sqlite", &url);
}

#[test]
fn an_embedded_postgres_application_upgrades_once_and_check_accepts_it() {
    let Some(db) = TestDb::new(Server::Postgres, "embedded") else {
        return;
    };
    upgrade_twice_then_check("embedded-postgres", "postgres", &db.url);
}

#[test]
fn an_embedded_mysql_application_upgrades_once_and_check_accepts_it() {
    let Some(db) = TestDb::new(Server::Mysql, "embedded") else {
        return;
    };
    upgrade_twice_then_check("embedded-mysql", "mysql", &db.url);
}

#[test]
fn a_sqlite_only_application_compiles_no_other_database_driver() {
    let app = app("embedded-tree", &["sqlite"]);
    let out = app.cargo(&["tree", "--prefix", "none", "--edges", "normal,build"]);
    assert!(
        out.status.success(),
        "cargo tree failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let tree = String::from_utf8(out.stdout).unwrap();
    let has = |krate: &str| tree.lines().any(|l| l.starts_with(&format!("{krate} v")));
    assert!(has("wildebeest-sqlite") && has("rusqlite"), "{tree}");
    for other in [
        "wildebeest-postgres",
        "postgres",
        "tokio-postgres",
        "wildebeest-mysql",
        "mysql",
        "mysql_common",
        "clap",
    ] {
        assert!(!has(other), "{other} is compiled:\n{tree}");
    }
}

/// Builds `app` expecting a compile error; returns cargo's output.
fn compile_error(app: &Package) -> String {
    let out = app.cargo(&["build"]);
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(!out.status.success(), "the build succeeded:\n{stderr}");
    stderr
}

#[test]
fn a_broken_migration_is_a_compile_error_naming_its_file_and_line() {
    let app = app("embedded-broken", &["sqlite"]);
    let file = "20261122_025556_2a3aed20ad70_rename_department.sql";
    let path = app.path().join("migrations").join(file);
    let text = std::fs::read_to_string(&path).unwrap();
    // Line 2 is the `-- Revision:` header: a second one on line 3 is the error.
    assert!(text.lines().nth(1).unwrap().starts_with("-- Revision:"));
    let mut lines: Vec<&str> = text.lines().collect();
    lines.insert(2, "-- Revision: 0d4a16585e20");
    let broken = lines.join("\n") + "\n";
    std::fs::write(&path, broken).unwrap();
    let stderr = compile_error(&app);
    assert!(
        stderr.contains(&format!("{file}:3: duplicate \"-- Revision:\" header")),
        "{stderr}"
    );
}

#[test]
fn a_migration_changed_after_its_sum_is_a_compile_error() {
    let app = app("embedded-stale", &["sqlite"]);
    let file = "20261122_025555_0d4a16585e20_add_department.sql";
    let path = app.path().join("migrations").join(file);
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(
        &path,
        text.replace("-- +downgrade", "SELECT 1;\n\n-- +downgrade"),
    )
    .unwrap();
    let stderr = compile_error(&app);
    assert!(stderr.contains("wildebeest.sum is stale"), "{stderr}");
    assert!(stderr.contains(&format!("{file} changed")), "{stderr}");
}
