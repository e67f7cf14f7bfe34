//! `app db ...`: an application outside the workspace mounts
//! `wildebeest_cli::db::DbCommand` in its own clap command line, embeds its
//! migrations and describes its tables with the derives. Built with cargo in a
//! temporary folder (offline, target folder `target/outside`, shared with
//! `embedded.rs`), it writes its first migrations with `db migrate`, is built
//! again, and runs upgrade, check, current, downgrade and schema; deployed without
//! its migrations folder, `db migrate` stops while `db upgrade` works.

use std::path::Path;
use std::process::Command;

use crate::outside::{Package, path_dependency};
use crate::servers::{Server, TestDb};

const MAIN: &str = r#"
mod models;

use clap::{Parser, Subcommand};

static MIGRATOR: wildebeest::Migrator = wildebeest::embed_migrations!("migrations");

#[derive(Parser)]
#[command(name = "app")]
struct Cli {
    #[command(subcommand)]
    command: Cmd,
}

#[derive(Subcommand)]
enum Cmd {
    /// Says hello: the application's own command.
    Hello,
    /// The database's migrations.
    Db(wildebeest_cli::db::DbCommand),
}

fn main() -> std::process::ExitCode {
    match Cli::parse().command {
        Cmd::Hello => {
            println!("hello");
            std::process::ExitCode::SUCCESS
        }
        Cmd::Db(db) => db.run(&MIGRATOR, &models::models()),
    }
}
"#;

const BUILD: &str = r#"
fn main() {
    println!("cargo:rerun-if-changed=migrations");
}
"#;

/// The first models: one table.
const MODELS_1: &str = r#"
#[derive(wildebeest::Table)]
#[wildebeest(table = "authors")]
pub struct Author {
    #[wildebeest(primary_key, auto_increment)]
    pub id: i32,
    #[wildebeest(max_length = 100)]
    pub name: String,
}

pub fn models() -> wildebeest::Models {
    wildebeest::Models::new().table::<Author>()
}
"#;

/// The second: a table that references the first, and a column renamed.
const MODELS_2: &str = r#"
#[derive(wildebeest::Table)]
#[wildebeest(table = "authors")]
pub struct Author {
    #[wildebeest(primary_key, auto_increment)]
    pub id: i32,
    #[wildebeest(max_length = 100, renamed_from = "name")]
    pub full_name: String,
}

#[derive(wildebeest::Table)]
#[wildebeest(table = "books")]
pub struct Book {
    #[wildebeest(primary_key, auto_increment)]
    pub id: i32,
    #[wildebeest(references = "authors", on_delete = "cascade", index)]
    pub author_id: i32,
    pub title: String,
}

pub fn models() -> wildebeest::Models {
    wildebeest::Models::new().table::<Book>().table::<Author>()
}
"#;

/// The application `name`: `wildebeest` and `wildebeest-cli` (no default features,
/// `features`), clap, the first models, and a build script, as docs/library.md says
/// (a file `db migrate` adds rebuilds the program).
fn app(name: &str, features: &[&str]) -> Package {
    let dependencies = path_dependency("wildebeest", "crates/wildebeest", features)
        + &path_dependency("wildebeest-cli", "crates/cli", features)
        + "clap = { version = \"4\", features = [\"derive\"] }\n";
    let app = Package::new(name, &dependencies, MAIN);
    std::fs::write(app.path().join("src/models.rs"), MODELS_1).unwrap();
    std::fs::write(app.path().join("build.rs"), BUILD).unwrap();
    app
}

/// The application's migration files, by name.
fn migration_files(app: &Package) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(app.path().join("migrations"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".sql"))
        .collect();
    names.sort();
    names
}

/// Runs `binary db ARGS` in `cwd` with `DATABASE_URL` set to `url`; returns the exit
/// status, stdout and stderr.
fn db(binary: &Path, cwd: &Path, url: &str, args: &[&str]) -> (i32, String, String) {
    let out = Command::new(binary)
        .arg("db")
        .args(args)
        .current_dir(cwd)
        .env("DATABASE_URL", url)
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    (
        out.status.code().unwrap(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

/// Asserts `binary db ARGS` exits `code`; returns its stdout.
fn expect(binary: &Path, cwd: &Path, url: &str, args: &[&str], code: i32) -> String {
    let (status, stdout, stderr) = db(binary, cwd, url, args);
    assert_eq!(
        status, code,
        "db {args:?} exited {status}:\n{stdout}\n{stderr}"
    );
    stdout
}

/// The whole flow on the database at `url` (empty at the start).
fn flow(name: &str, features: &[&str], url: &str) {
    let app = app(name, features);
    let cwd = tempfile::tempdir().unwrap();
    let cwd = cwd.path();
    let binary = app.build();

    // Not a command of db: the application's folder is the migrations folder.
    let help = expect(&binary, cwd, url, &["--help"], 0);
    assert!(
        help.contains("migrate") && help.contains("upgrade"),
        "{help}"
    );
    assert!(
        !help.contains("init") && !help.contains("completions") && help.contains("inspect"),
        "{help}"
    );
    let (status, _, stderr) = db(&binary, cwd, url, &["init"]);
    assert_eq!(status, 2, "{stderr}");
    assert!(stderr.contains("`db init` does not apply"), "{stderr}");

    // The models against no migrations: check says so; migrate writes the first file
    // into the folder the program embedded (not the current folder).
    expect(&binary, cwd, url, &["check"], 1);
    let out = expect(&binary, cwd, url, &["migrate", "-m", "authors"], 0);
    assert!(out.contains("+ added table `authors`"), "{out}");
    // Advice names the command to type in this program, not the wildebeest binary.
    assert!(
        out.contains(&format!("then run `{name} db upgrade`")),
        "{out}"
    );
    assert!(!out.contains("`wildebeest "), "{out}");
    assert_eq!(migration_files(&app).len(), 1);
    assert!(!cwd.join("migrations").exists());
    let first = migration_files(&app)[0][16..28].to_string();

    // The program built again embeds it.
    let binary = app.build();
    let out = expect(&binary, cwd, url, &["upgrade"], 0);
    assert!(out.contains(&format!("Applied {first}")), "{out}");
    let out = expect(&binary, cwd, url, &["check"], 0);
    assert!(out.starts_with("OK:"), "{out}");
    let out = expect(&binary, cwd, url, &["current"], 0);
    assert!(out.starts_with(&format!("{first} (head)")), "{out}");

    // New models: check sees the difference; migrate follows the rename the model
    // states instead of dropping the column.
    std::fs::write(app.path().join("src/models.rs"), MODELS_2).unwrap();
    let binary = app.build();
    let out = expect(&binary, cwd, url, &["check"], 1);
    assert!(out.contains("books"), "{out}");
    let out = expect(&binary, cwd, url, &["migrate", "-m", "books"], 0);
    assert!(
        out.contains("~ renamed column `authors.name` to `full_name`"),
        "{out}"
    );
    assert!(out.contains("+ added table `books`"), "{out}");
    assert_eq!(migration_files(&app).len(), 2);
    let second = migration_files(&app)[1][16..28].to_string();
    let binary = app.build();
    expect(&binary, cwd, url, &["upgrade"], 0);
    expect(&binary, cwd, url, &["check"], 0);
    let schema = expect(&binary, cwd, url, &["schema"], 0);
    assert!(
        schema.starts_with("-- wildebeest: rename authors.name=full_name\n"),
        "{schema}"
    );
    assert!(schema.contains("CREATE TABLE books"), "{schema}");

    // Down one, then at head again.
    let out = expect(&binary, cwd, url, &["downgrade", "-1"], 0);
    assert!(out.contains(&format!("Reverted {second}")), "{out}");
    let out = expect(&binary, cwd, url, &["current"], 0);
    assert!(out.starts_with(&first), "{out}");
    expect(&binary, cwd, url, &["check"], 1);
    expect(&binary, cwd, url, &["downgrade", "base"], 0);

    // Deployed: the program alone, its migrations folder gone.
    std::fs::remove_dir_all(app.path().join("migrations")).unwrap();
    let (status, _, stderr) = db(&binary, cwd, url, &["migrate", "-m", "more"]);
    assert_eq!(status, 2, "{stderr}");
    assert!(
        stderr.contains("cannot write migration files: the migrations folder")
            && stderr.contains("is not on this machine"),
        "{stderr}"
    );
    let out = expect(&binary, cwd, url, &["upgrade"], 0);
    assert!(
        out.contains(&format!("Applied {first}")) && out.contains(&format!("Applied {second}")),
        "{out}"
    );
    expect(&binary, cwd, url, &["check"], 0);
    let out = expect(&binary, cwd, url, &["current"], 0);
    assert!(out.starts_with(&format!("{second} (head)")), "{out}");
}

#[test]
fn an_application_mounting_db_on_sqlite_migrates_upgrades_checks_and_downgrades() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite:{}", dir.path().join("app.db").display());
    flow("db-sqlite", &["sqlite"], &url);
}

#[test]
fn an_application_mounting_db_on_postgres_migrates_upgrades_checks_and_downgrades() {
    let Some(db) = TestDb::new(Server::Postgres, "dbcommand") else {
        return;
    };
    flow("db-servers-pg", &["postgres", "mysql"], &db.url);
}

#[test]
fn an_application_mounting_db_on_mysql_migrates_upgrades_checks_and_downgrades() {
    let Some(db) = TestDb::new(Server::Mysql, "dbcommand") else {
        return;
    };
    flow("db-servers-my", &["postgres", "mysql"], &db.url);
}

#[test]
fn an_application_mounting_db_with_sqlite_compiles_no_other_database_driver() {
    let app = app("db-tree", &["sqlite"]);
    let out = app.cargo(&["tree", "--prefix", "none", "--edges", "normal"]);
    assert!(
        out.status.success(),
        "cargo tree failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let tree = String::from_utf8(out.stdout).unwrap();
    let has = |krate: &str| tree.lines().any(|l| l.starts_with(&format!("{krate} v")));
    assert!(
        has("wildebeest-cli") && has("wildebeest-sqlite") && has("rusqlite"),
        "{tree}"
    );
    for other in [
        "wildebeest-postgres",
        "postgres",
        "tokio-postgres",
        "native-tls",
        "wildebeest-mysql",
        "mysql",
        "mysql_common",
    ] {
        assert!(!has(other), "{other} is compiled:\n{tree}");
    }
}
