//! The `wildebeest` binary: flags in, exit status out (0 ok, 1 differences found,
//! 2 error). Errors go to stderr as one paragraph; a closed pipe exits quietly.

use std::io::Write;
use std::process::ExitCode;

use anyhow::Result;
use clap::Parser;
use wildebeest_cli::app::{self, Fresh, Outcome, Project};
use wildebeest_cli::cli::{Cli, Command};
use wildebeest_cli::config::Config;
use wildebeest_cli::inspect;
use wildebeest_cli::redact;
use wildebeest_cli::style::Style;

fn main() -> ExitCode {
    // The whole command runs on one thread with a large stack, where the SQL parser
    // works in place: the thousands of statements, expressions and types of a long
    // history or a large database are not each parsed on a thread of their own.
    wildebeest_sql::on_big_stack(command_line)
}

fn command_line() -> ExitCode {
    install_panic_hook();
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => return bad_command_line(e),
    };
    let stdout = std::io::stdout();
    let mut out = redact::Redacting::new(stdout.lock());
    let result = run(cli, &mut out).and_then(|outcome| {
        out.flush()?;
        Ok(outcome)
    });
    wildebeest_cli::command::exit_status(result)
}

fn run(cli: Cli, out: &mut dyn Write) -> Result<Outcome> {
    let cwd = std::env::current_dir()?;
    let dir = match &cli.dir {
        Some(d) if d.is_absolute() => d.clone(),
        Some(d) => cwd.join(d),
        None => cwd,
    };
    let command = match cli.command {
        Command::Init {
            from_database: None,
            ..
        } => return app::init(&dir, out),
        Command::Init {
            from_database: Some(url),
            skip_unsupported,
        } => {
            return inspect::init_from_database(
                &dir,
                &url,
                skip_unsupported,
                &Fresh::system()?,
                out,
            );
        }
        other => other,
    };
    if cli.dir.is_some() && !dir.is_dir() {
        anyhow::bail!("-C {}: no such directory", dir.display());
    }
    let env_url = std::env::var("DATABASE_URL").ok();
    if let Command::Inspect {
        output,
        skip_unsupported,
    } = &command
    {
        // Outside a project too: a database URL is all it needs.
        let config = match wildebeest_cli::config::find_root(&dir) {
            Some(_) => Config::load(&dir, env_url, cli.database_url.clone())?,
            None => Config::from_text(&dir, "", env_url, cli.database_url.clone())?,
        };
        let output = output.as_ref().map(|o| dir.join(o));
        return inspect::inspect(&config, output.as_deref(), *skip_unsupported, out);
    }
    let mut config = Config::load(&dir, env_url, cli.database_url.clone())?;
    if std::env::var_os("WILDEBEEST_NO_CACHE").is_some_and(|v| !v.is_empty()) {
        config.cache_dir = None;
    }
    // Freeing a long history's graph at exit is work nobody waits for: the process
    // ends right after the command.
    let project = std::mem::ManuallyDrop::new(Project::load(config)?);
    let project: &Project = &project;
    wildebeest_cli::command::execute(project, command, out)
}

/// Help and the version as clap prints them; a wrong command line as every other
/// error: one `error:` paragraph with status 2 (clap spreads it over several, with
/// blank lines between).
fn bad_command_line(e: clap::Error) -> ExitCode {
    use clap::error::ErrorKind;
    match e.kind() {
        ErrorKind::DisplayHelp
        | ErrorKind::DisplayVersion
        | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => e.exit(),
        _ => {
            let text = e.render().to_string();
            let mut folded = String::new();
            for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
                let line = line.strip_prefix("error: ").unwrap_or(line);
                if !folded.is_empty() {
                    folded.push_str(if folded.ends_with(':') { " " } else { "; " });
                }
                folded.push_str(line);
            }
            let style = Style::stderr();
            eprintln!("{} {}", style.red("error:"), redact::redact(&folded));
            ExitCode::from(2)
        }
    }
}

/// A panic is a bug, reported on stderr like Rust's own report, but through
/// [`redact::redact`]: the payload may hold anything the code had at hand.
fn install_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        let thread = std::thread::current();
        let name = thread.name().unwrap_or("<unnamed>");
        let mut text = format!("thread '{name}' {info}");
        if std::env::var_os("RUST_BACKTRACE").is_some_and(|v| v != "0") {
            text.push_str(&format!("\n{}", std::backtrace::Backtrace::force_capture()));
        } else {
            text.push_str(
                "\nnote: run with `RUST_BACKTRACE=1` environment variable to display a backtrace",
            );
        }
        eprintln!("{}", redact::redact(&text));
    }));
}
