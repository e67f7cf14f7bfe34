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
    let format = cli.format;
    let result = run(cli, &mut out).and_then(|outcome| {
        out.flush()?;
        Ok(outcome)
    });
    wildebeest_cli::command::exit_status(result, format, &mut out)
}

fn run(cli: Cli, out: &mut dyn Write) -> Result<Outcome> {
    let format = cli.format;
    wildebeest_cli::command::refuse_json(&cli.command, format)?;
    let cwd = std::env::current_dir()?;
    let dir = match &cli.dir {
        Some(d) if d.is_absolute() => d.clone(),
        Some(d) => cwd.join(d),
        None => cwd,
    };
    let flag_url = wildebeest_cli::command::flag_url(cli.database_url.as_deref(), &cli.command)?;
    let command = match cli.command {
        Command::Init {
            from_database: Some(url),
            skip_unsupported,
            ..
        } => {
            return inspect::init_from_database(
                &dir,
                &url,
                skip_unsupported,
                &Fresh::system()?,
                out,
            );
        }
        Command::Init { .. } => return app::init_with_url(&dir, flag_url.as_deref(), out),
        Command::Completions { shell } => {
            let mut command = <Cli as clap::CommandFactory>::command();
            clap_complete::generate(shell, &mut command, "wildebeest", out);
            return Ok(Outcome::Ok);
        }
        other => other,
    };
    if cli.dir.is_some() && !dir.is_dir() {
        anyhow::bail!("-C {}: no such directory", dir.display());
    }
    let env_url = std::env::var("DATABASE_URL").ok();
    if let Command::Inspect { .. } | Command::Database { .. } = &command {
        // Outside a project too: a database URL is all they need.
        let config = match wildebeest_cli::config::find_root(&dir) {
            Some(_) => Config::load(&dir, env_url, flag_url)?,
            None => Config::without_file(&dir, env_url, flag_url)?,
        };
        return wildebeest_cli::command::execute_on_database(&config, &dir, command, out);
    }
    let mut config = Config::load(&dir, env_url, flag_url)?;
    if std::env::var_os("WILDEBEEST_NO_CACHE").is_some_and(|v| !v.is_empty()) {
        config.cache_dir = None;
    }
    // Freeing a long history's graph at exit is work nobody waits for: the process
    // ends right after the command.
    let project = std::mem::ManuallyDrop::new(Project::load(config)?);
    let project: &Project = &project;
    wildebeest_cli::command::execute(project, command, format, out)
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
        ErrorKind::UnknownArgument | ErrorKind::ValueValidation
            if let Some(text) = unknown_option(&e) =>
        {
            let style = Style::stderr();
            eprintln!("{} {}", style.red("error:"), redact::redact(&text));
            ExitCode::from(2)
        }
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

/// An option the command does not have (clap reads anything that starts with `-`
/// and is not a negative number as one: a mistyped option is never taken for a
/// target), with the closest option it has or the one that does what other tools'
/// flag does. clap's own tip to pass it as a value with `--` would only lead to a
/// target error, so it is not repeated.
fn unknown_option(e: &clap::Error) -> Option<String> {
    use clap::error::{ContextKind, ContextValue};
    let text = |kind| match e.get(kind) {
        Some(ContextValue::String(s)) => Some(s.clone()),
        Some(ContextValue::Strings(v)) => v.first().cloned(),
        _ => None,
    };
    let looks_like_option = |word: &str| {
        let mut chars = word.chars();
        chars.next() == Some('-')
            && chars
                .next()
                .is_some_and(|c| c == '-' || c.is_ascii_alphabetic())
    };
    // The command the words name, and the words after it.
    let raw: Vec<String> = std::env::args().skip(1).collect();
    let mut command = <Cli as clap::CommandFactory>::command();
    let mut path = vec!["wildebeest".to_string()];
    let mut rest = raw.iter().peekable();
    while let Some(word) = rest.peek() {
        if *word == "-C" || *word == "--database-url" {
            rest.next();
        } else if let Some(sub) = command.find_subcommand(word.as_str()) {
            path.push(word.to_string());
            command = sub.clone();
        } else if !looks_like_option(word) && path.len() > 1 {
            break;
        }
        rest.next();
    }
    let known = |word: &str| {
        let name = word.split('=').next().unwrap_or_default();
        command
            .get_arguments()
            .any(|a| match name.strip_prefix("--") {
                Some(long) => a.get_long() == Some(long),
                None => name.len() == 2 && a.get_short() == name.chars().nth(1),
            })
            || matches!(name, "--help" | "-h" | "-C")
    };
    // What clap names, or (an option taken for a target, then a word too many) the
    // first word of the command line that looks like an option the command lacks.
    let named = match e.kind() {
        clap::error::ErrorKind::ValueValidation => text(ContextKind::InvalidValue),
        _ => text(ContextKind::InvalidArg),
    }
    .filter(|a| looks_like_option(a));
    let arg = named.or_else(|| {
        raw.iter()
            .find(|w| looks_like_option(w) && !known(w))
            .cloned()
    })?;
    let name = arg.split('=').next().unwrap_or_default();
    let has = |long: &str| command.get_arguments().any(|a| a.get_long() == Some(long));
    // Flags users bring from other migration tools.
    let habit = match name {
        "--dry-run" | "--dryrun" | "-n" | "--print-sql" | "--offline" | "--plan" => Some((
            "sql",
            "--sql (prints the SQL that would run instead of running it)",
        )),
        "--yes" | "-y" | "--no-confirm" => Some(("force", "--force")),
        "--url" | "--database" | "--db-url" | "-u" => Some(("database-url", "--database-url URL")),
        _ => None,
    };
    // clap's own suggestion, or the long option nearest in spelling.
    let nearest = text(ContextKind::SuggestedArg)
        .filter(|s| s.starts_with('-'))
        .or_else(|| {
            let typed = name.trim_start_matches('-');
            command
                .get_arguments()
                .filter_map(|a| a.get_long())
                .map(|long| (edit_distance(typed, long), long))
                .filter(|&(d, long)| d <= 2.max(long.len() / 4))
                .min()
                .map(|(_, long)| format!("--{long}"))
        });
    let tip = match (habit.filter(|(long, _)| has(long)), nearest) {
        (Some((_, h)), _) => format!("; did you mean {h}?"),
        (None, Some(s)) => format!("; did you mean {s}?"),
        (None, None) => String::new(),
    };
    Some(format!(
        "unknown option `{arg}`{tip} (`{} --help` lists its options)",
        path.join(" ")
    ))
}

/// The edits that turn `a` into `b`, by characters.
fn edit_distance(a: &str, b: &str) -> usize {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    wildebeest_revision::file::edit_distance(&a, &b)
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
