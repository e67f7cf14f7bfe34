//! `myapp db ...`: the commands an application mounts with `wildebeest_cli::db`,
//! parsed from a command line as an application parses them, with `--database-url`
//! after the command (as every command of the binary takes it) or before it.

use clap::{CommandFactory, Parser, Subcommand};
use wildebeest_cli::app::Outcome;
use wildebeest_cli::db::{DbCommand, SchemaSql};

static MIGRATOR: wildebeest::Migrator =
    wildebeest::embed_migrations!("../../examples/company/migrations");

#[derive(Parser)]
#[command(name = "myapp")]
struct App {
    #[command(subcommand)]
    command: AppCommand,
}

#[derive(Subcommand)]
enum AppCommand {
    Db(DbCommand),
}

/// Runs `myapp ARGS...`: its output, or the error's message.
fn run(args: &[&str]) -> Result<(Outcome, String), String> {
    let app = App::try_parse_from(std::iter::once("myapp").chain(args.iter().copied()))
        .map_err(|e| e.to_string())?;
    let AppCommand::Db(db) = app.command;
    let schema = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/company/schema.sql"),
    )
    .unwrap();
    let mut out = Vec::new();
    let outcome = db
        .execute(&MIGRATOR, &SchemaSql(&schema), &mut out)
        .map_err(|e| wildebeest_cli::command::message(&e))?;
    Ok((outcome, String::from_utf8(out).unwrap()))
}

/// clap's own checks of the definitions `db` mounts (each command's `--database-url`
/// beside `db`'s own).
#[test]
fn db_mounts_without_clashing_flags() {
    App::command().debug_assert();
}

#[test]
fn database_url_after_the_command_or_before_it() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite:{}", dir.path().join("app.db").display());
    let (outcome, out) = run(&["db", "upgrade", "--database-url", &url]).unwrap();
    assert_eq!(outcome, Outcome::Ok);
    assert!(!out.is_empty());
    let (_, heads) = run(&["db", "heads"]).unwrap();
    let head = heads.split_whitespace().next().unwrap().to_string();
    let (_, after) = run(&["db", "current", "--database-url", &url]).unwrap();
    let (_, before) = run(&["db", "--database-url", &url, "current"]).unwrap();
    assert_eq!(after, before);
    assert!(after.contains(&head), "{after} / {heads}");
    let (outcome, _) = run(&[
        "db",
        "--database-url",
        &url,
        "check",
        "--database-url",
        &url,
    ])
    .unwrap();
    assert_eq!(outcome, Outcome::Ok);

    let other = format!("sqlite:{}", dir.path().join("other.db").display());
    let e = run(&[
        "db",
        "--database-url",
        &url,
        "current",
        "--database-url",
        &other,
    ])
    .unwrap_err();
    assert_eq!(e, "--database-url is given twice, with different URLs");
    let e = run(&["db", "--database-url", &url, "heads"]).unwrap_err();
    assert_eq!(
        e,
        "--database-url does not apply to `heads`: it never uses a database"
    );
    // The commands that use no database do not take the flag.
    let e = run(&["db", "heads", "--database-url", &url]).unwrap_err();
    assert!(e.contains("unexpected argument '--database-url'"), "{e}");
}

#[test]
fn db_database_create_and_inspect_run_on_the_url() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("new.db");
    let url = format!("sqlite:{}", file.display());
    run(&["db", "database", "create", "--database-url", &url]).unwrap();
    assert!(file.is_file());
    run(&["db", "upgrade", "--database-url", &url]).unwrap();
    let (outcome, out) = run(&["db", "inspect", "--database-url", &url]).unwrap();
    assert_eq!(outcome, Outcome::Ok);
    assert!(out.contains("CREATE TABLE"), "{out}");
    run(&["db", "database", "drop", "--force", "--database-url", &url]).unwrap();
    assert!(!file.exists());
}

#[test]
fn db_init_and_db_completions_are_refused() {
    let e = run(&["db", "init", "--database-url", "sqlite:x.db"]).unwrap_err();
    assert!(e.starts_with("`db init` does not apply"), "{e}");
    let e = run(&["db", "completions", "bash"]).unwrap_err();
    assert!(e.starts_with("`db completions` does not apply"), "{e}");
}

/// `myapp db COMMAND --help`, as clap renders it.
fn help(command: &str) -> String {
    match App::try_parse_from(["myapp", "db", command, "--help"]) {
        Err(e) if e.kind() == clap::error::ErrorKind::DisplayHelp => e.to_string(),
        _ => panic!("`db {command} --help` printed no help"),
    }
}

#[test]
fn db_help_names_the_models_as_the_desired_schema_and_the_programs_own_command() {
    for command in ["migrate", "check", "revision"] {
        let text = help(command);
        assert!(
            text.contains("the application's models"),
            "{command}:\n{text}"
        );
        assert!(!text.contains("schema.sql"), "{command}:\n{text}");
    }
    assert!(help("migrate").contains("TABLE as the models name it"));
    // Examples name the command this program runs as, never the wildebeest binary.
    let program = std::env::args_os()
        .next()
        .map(std::path::PathBuf::from)
        .and_then(|p| p.file_stem().map(|s| s.to_string_lossy().into_owned()))
        .unwrap();
    for command in ["upgrade", "downgrade", "stamp"] {
        let text = help(command);
        assert!(
            text.contains(&format!("  {program} db {command}")),
            "{command}:\n{text}"
        );
        assert!(!text.contains("wildebeest "), "{command}:\n{text}");
    }
    // The binary's own help still speaks of schema.sql and itself.
    let binary = wildebeest_cli::cli::Cli::command()
        .find_subcommand_mut("migrate")
        .unwrap()
        .render_help()
        .to_string();
    assert!(binary.contains("schema.sql"), "{binary}");
}
