//! One function that runs a command on a loaded project, shared by the `wildebeest`
//! binary and an application's `db` subcommand ([`crate::db`]).

use std::io::Write;

use anyhow::Result;

use crate::app::{self, Direction, Fresh, Outcome, Project, RunOptions};
use crate::cli::{Command, DatabaseCommand, LinkArgs};
use crate::config::Config;
use crate::output::{self, Format};
use crate::renames::{Ask, RenameFlags, Terminal};
use crate::teams;

/// Refuses `--format json` where `command` has no JSON shape (its output is for
/// people, a file, or a script).
pub fn refuse_json(command: &Command, format: Format) -> Result<()> {
    if format != Format::Json {
        return Ok(());
    }
    let name = match command {
        Command::Check { .. }
        | Command::Current { .. }
        | Command::Heads
        | Command::Show { .. }
        | Command::Status { .. } => return Ok(()),
        Command::History { graph: true, .. } => {
            anyhow::bail!(
                "--format json does not go with history --graph: each revision's object lists its parents"
            )
        }
        Command::History { .. } => return Ok(()),
        Command::Upgrade { sql: true, .. } | Command::Downgrade { sql: true, .. } => {
            anyhow::bail!("--format json does not go with --sql: the output is a SQL script")
        }
        Command::Upgrade { target, .. } | Command::Downgrade { target, .. }
            if target.contains(':') =>
        {
            anyhow::bail!("--format json does not go with START:END, which prints a SQL script")
        }
        Command::Upgrade { .. } | Command::Downgrade { .. } => return Ok(()),
        Command::Init { .. } => "init",
        Command::Inspect { .. } => "inspect",
        Command::Migrate { .. } => "migrate",
        Command::Revision { .. } => "revision",
        Command::Merge { .. } => "merge",
        Command::Rehash => "rehash",
        Command::Branches => "branches",
        Command::Stamp { .. } => "stamp",
        Command::Completions { .. } => "completions",
        Command::Database { .. } => "database",
    };
    anyhow::bail!(
        "--format json is for check, current, history, heads, show, status, upgrade and downgrade, not {name}"
    )
}

/// The URL `--database-url` gives `command`. It is a flag of each command that uses
/// a database (listed in that command's help); `before` is the same flag given
/// before the command (`wildebeest --database-url URL upgrade`, as earlier versions
/// took it, or `myapp db --database-url URL upgrade`). Both with different URLs, or
/// `before` on a command that uses no database, is an error rather than a guess.
pub fn flag_url(before: Option<&str>, command: &Command) -> Result<Option<String>> {
    let after = command.database_url();
    match (before, after) {
        (Some(before), Some(after)) if before != after => {
            anyhow::bail!("--database-url is given twice, with different URLs")
        }
        (Some(_), _) if !command.uses_database() => anyhow::bail!(
            "--database-url does not apply to `{}`: it never uses a database",
            command_name(command)
        ),
        (Some(_), _)
            if matches!(
                command,
                Command::Init {
                    from_database: Some(_),
                    ..
                }
            ) =>
        {
            anyhow::bail!(
                "init --from-database takes the URL of the database it adopts: give it there, \
                 without --database-url"
            )
        }
        (before, after) => Ok(after.or(before).map(str::to_string)),
    }
}

/// The command's name as typed, for messages.
fn command_name(command: &Command) -> String {
    let name = format!("{command:?}");
    let name = name
        .split(|c: char| !c.is_ascii_alphanumeric())
        .next()
        .unwrap_or_default();
    name.to_ascii_lowercase()
}

/// Runs a command that needs a database but no project (`inspect`, `database
/// create`/`drop`) with the URL `config` resolved; `dir` is the folder a relative
/// `inspect -o FILE` is in.
pub fn execute_on_database(
    config: &Config,
    dir: &std::path::Path,
    command: Command,
    out: &mut dyn Write,
) -> Result<Outcome> {
    match command {
        Command::Inspect {
            output,
            skip_unsupported,
            language,
            ..
        } => {
            let output = output.map(|o| dir.join(o));
            crate::inspect::inspect(config, output.as_deref(), skip_unsupported, language, out)
        }
        Command::Database {
            command: DatabaseCommand::Create { .. },
        } => app::database_create(config, out),
        Command::Database {
            command: DatabaseCommand::Drop { force, .. },
        } => {
            let mut terminal = Terminal::if_interactive(force);
            let ask = terminal.as_mut().map(|t| t as &mut dyn Ask);
            app::database_drop(config, force, ask, out)
        }
        other => anyhow::bail!(
            "internal error: `{}` runs on a project",
            command_name(&other)
        ),
    }
}

/// Runs `command` on `project`, printing in `format` (which [`refuse_json`] has
/// accepted for it): any but `init` and `completions`, which need no project, and
/// `inspect` and `database`, which [`execute_on_database`] runs.
pub fn execute(
    project: &Project,
    command: Command,
    format: Format,
    out: &mut dyn Write,
) -> Result<Outcome> {
    refuse_json(&command, format)?;
    match command {
        Command::Init { .. }
        | Command::Completions { .. }
        | Command::Inspect { .. }
        | Command::Database { .. } => anyhow::bail!(
            "internal error: `{}` runs without a project",
            command_name(&command)
        ),
        Command::Migrate {
            message,
            renames,
            links,
            ..
        }
        | Command::Revision {
            message,
            autogenerate: true,
            renames,
            links,
            ..
        } => {
            let flags = RenameFlags::parse(&renames.renames)?;
            let mut terminal = Terminal::if_interactive(renames.no_input);
            let ask = terminal.as_mut().map(|t| t as &mut dyn Ask);
            let links = links_of(links);
            app::migrate_with(
                project,
                &message,
                &flags,
                ask,
                &links,
                &Fresh::system()?,
                out,
            )
        }
        Command::Revision {
            message,
            autogenerate: false,
            renames,
            links,
            ..
        } => {
            let links = links_of(links);
            if !renames.renames.is_empty() {
                anyhow::bail!("--rename goes with migrate (or revision --autogenerate)");
            }
            match &links.head {
                Some(head) => {
                    teams::revision_on(project, &message, head, &links, &Fresh::system()?, out)
                }
                None => app::revision(project, &message, &links, &Fresh::system()?, out),
            }
        }
        Command::Merge {
            message, revisions, ..
        } => teams::merge(project, &message, &revisions, &Fresh::system()?, out),
        Command::Rehash => teams::rehash(project, out),
        Command::Upgrade {
            target,
            sql,
            allow_data_loss,
            resume_after: None,
            resume_at: None,
            ..
        } if target.contains(':') => teams::offline(
            project,
            Direction::Upgrade,
            &target,
            sql,
            allow_data_loss,
            out,
        ),
        Command::Downgrade {
            target,
            sql,
            allow_data_loss,
            resume_after: None,
            resume_at: None,
            ..
        } if target.contains(':') => teams::offline(
            project,
            Direction::Downgrade,
            &target,
            sql,
            allow_data_loss,
            out,
        ),
        Command::Upgrade {
            target,
            sql,
            allow_data_loss,
            resume_after,
            resume_at,
            ..
        } => app::run(
            project,
            Direction::Upgrade,
            &target,
            RunOptions {
                format,
                sql,
                allow_data_loss,
                resume: app::resume(resume_after, resume_at),
            },
            out,
        ),
        Command::Downgrade {
            target,
            sql,
            allow_data_loss,
            resume_after,
            resume_at,
            ..
        } => app::run(
            project,
            Direction::Downgrade,
            &target,
            RunOptions {
                format,
                sql,
                allow_data_loss,
                resume: app::resume(resume_after, resume_at),
            },
            out,
        ),
        Command::Stamp {
            target,
            sql,
            purge: true,
            ..
        } => teams::stamp_purge(project, &target, sql, out),
        Command::Stamp {
            target,
            sql,
            purge: false,
            ..
        } => {
            let options = RunOptions {
                sql,
                ..RunOptions::default()
            };
            app::run(project, Direction::Stamp, &target, options, out)
        }
        Command::Current {
            verbose,
            check_heads,
            ..
        } => teams::current(project, verbose, check_heads, format, out),
        Command::Status { .. } => crate::status::status(project, format, out),
        Command::History {
            verbose,
            range,
            indicate_current,
            graph,
            ..
        } => {
            // A line per revision: one write per line would be a system call each.
            let mut out = std::io::BufWriter::new(out);
            let outcome = teams::history(
                project,
                range.as_deref(),
                verbose,
                indicate_current,
                graph,
                format,
                &mut out,
            )?;
            out.flush()?;
            Ok(outcome)
        }
        Command::Heads => app::heads(project, format, out),
        Command::Branches => teams::branches(project, out),
        Command::Show { revision, .. } => app::show(project, &revision, format, out),
        Command::Check { .. } => app::check(project, format, out),
    }
}

fn links_of(args: LinkArgs) -> app::Links {
    app::Links {
        head: args.head,
        splice: args.splice,
        branch_labels: args.branch_labels,
        depends_on: args.depends_on,
    }
}

/// The exit status of a command's `result`, its error printed on stderr as one
/// paragraph (0 ok, 1 differences found or work pending, 2 error; a closed pipe exits
/// quietly). In JSON, an error is also the last object on `out` (stdout), so that a
/// program reading it learns of it there.
pub fn exit_status(
    result: Result<Outcome>,
    format: Format,
    out: &mut dyn Write,
) -> std::process::ExitCode {
    use std::process::ExitCode;
    match result {
        Ok(Outcome::Ok) => ExitCode::SUCCESS,
        Ok(Outcome::Differences) => ExitCode::from(1),
        Err(e) if is_broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            let style = crate::style::Style::stderr();
            let message = message(&e);
            eprintln!("{} {message}", style.red("error:"));
            if format == Format::Json {
                let _ = out.write_all(output::json_error(&message).as_bytes());
                let _ = out.flush();
            }
            ExitCode::from(2)
        }
    }
}

/// The error and its causes as one paragraph, without a password.
pub fn message(e: &anyhow::Error) -> String {
    let mut parts: Vec<String> = Vec::new();
    for cause in e.chain() {
        let text = cause.to_string();
        if !text.is_empty() && !parts.iter().any(|p| p.contains(&text)) {
            parts.push(text);
        }
    }
    crate::redact::redact(&parts.join(": "))
}

fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}
