//! The example application run as a user runs it: on SQLite, and on PostgreSQL and
//! MySQL/MariaDB when `WILDEBEEST_TEST_POSTGRES_URL` / `WILDEBEEST_TEST_MYSQL_URL`
//! name a server (each run in a schema or database of its own, dropped after). The
//! one migrations folder, written on SQLite, runs on all three.

use std::path::Path;
use std::process::Command;

use mysql::prelude::Queryable;

/// Runs `company-app ARGS` in `cwd` on `url`; asserts it exits `code`; returns
/// stdout.
fn app(cwd: &Path, url: &str, args: &[&str], code: i32) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_company-app"))
        .args(args)
        .current_dir(cwd)
        .env("DATABASE_URL", url)
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(
        out.status.code(),
        Some(code),
        "company-app {args:?}:\n{stdout}\n{stderr}"
    );
    stdout
}

/// The tutorial on `url`, an empty database.
fn tutorial(url: &str) {
    let cwd = tempfile::tempdir().unwrap();
    let cwd = cwd.path();
    // The first command applies the migrations.
    assert_eq!(
        app(
            cwd,
            url,
            &["add-employee", "Ada Lovelace", "--salary", "5000"],
            0
        ),
        "1\n"
    );
    assert_eq!(app(cwd, url, &["add-employee", "Alan Turing"], 0), "2\n");
    assert_eq!(
        app(cwd, url, &["list"], 0),
        "1\tAda Lovelace\t5000\n2\tAlan Turing\t-\n"
    );
    // The database is what the models describe.
    let out = app(cwd, url, &["db", "check"], 0);
    assert!(out.starts_with("OK:"), "{out}");
    let out = app(cwd, url, &["db", "current"], 0);
    assert!(out.contains("(head)  rename address"), "{out}");
    // The renames kept the rows: down to the table still called `department` and up.
    app(cwd, url, &["db", "downgrade", "-2"], 0);
    app(cwd, url, &["db", "check"], 1);
    app(cwd, url, &["db", "upgrade"], 0);
    assert_eq!(
        app(cwd, url, &["list"], 0),
        "1\tAda Lovelace\t5000\n2\tAlan Turing\t-\n"
    );
    // The models are the ones the committed migrations were written from.
    let schema = app(cwd, url, &["db", "schema"], 0);
    assert!(
        schema.starts_with(
            "-- wildebeest: rename department=departments\n-- wildebeest: rename departments.address=location\n"
        ),
        "{schema}"
    );
}

#[test]
fn the_tutorial_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    tutorial(&format!(
        "sqlite:{}",
        dir.path().join("company.db").display()
    ));
}

/// A unique name for a schema or database of this test run.
fn unique(test: &str) -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .subsec_nanos();
    format!("wb_company_{test}_{}_{nanos:x}", std::process::id())
}

#[test]
fn the_tutorial_on_postgres() {
    let Ok(admin) = std::env::var("WILDEBEEST_TEST_POSTGRES_URL") else {
        eprintln!("skipped: WILDEBEEST_TEST_POSTGRES_URL is not set");
        return;
    };
    let name = unique("pg");
    let mut c = postgres::Client::connect(&admin, postgres::NoTls).unwrap();
    c.batch_execute(&format!("CREATE SCHEMA \"{name}\""))
        .unwrap();
    let sep = if admin.contains('?') { '&' } else { '?' };
    let result = std::panic::catch_unwind(|| tutorial(&format!("{admin}{sep}schema={name}")));
    c.batch_execute(&format!("DROP SCHEMA \"{name}\" CASCADE"))
        .unwrap();
    result.unwrap();
}

#[test]
fn the_tutorial_on_mysql() {
    let Ok(admin) = std::env::var("WILDEBEEST_TEST_MYSQL_URL") else {
        eprintln!("skipped: WILDEBEEST_TEST_MYSQL_URL is not set");
        return;
    };
    let name = unique("my");
    let mut c = mysql::Conn::new(mysql::Opts::from_url(&admin).unwrap()).unwrap();
    c.query_drop(format!("CREATE DATABASE `{name}`")).unwrap();
    let base = admin.rsplit_once('/').map(|(b, _)| b).unwrap_or(&admin);
    let result = std::panic::catch_unwind(|| tutorial(&format!("{base}/{name}")));
    c.query_drop(format!("DROP DATABASE `{name}`")).unwrap();
    result.unwrap();
}
