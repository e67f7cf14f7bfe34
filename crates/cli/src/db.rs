//! `myapp db ...`: the wildebeest commands as a subcommand an application mounts in
//! its own command line (the `flask db` experience), on the migrations it embeds
//! with [`wildebeest::embed_migrations!`] and the desired schema its models make
//! ([`wildebeest::Models`], the `#[derive(wildebeest::Table)]` structs).
//!
//! ```no_run
//! use clap::{Parser, Subcommand};
//!
//! static MIGRATOR: wildebeest::Migrator =
//!     wildebeest::embed_migrations!("../../examples/company/migrations"); // "migrations"
//!
//! #[derive(wildebeest::Table)]
//! #[wildebeest(table = "users")]
//! struct User {
//!     #[wildebeest(primary_key, auto_increment)]
//!     id: i64,
//!     name: String,
//! }
//!
//! #[derive(Parser)]
//! struct Cli {
//!     #[command(subcommand)]
//!     command: Command,
//! }
//!
//! #[derive(Subcommand)]
//! enum Command {
//!     /// The database's migrations.
//!     Db(wildebeest_cli::db::DbCommand),
//! }
//!
//! fn main() -> std::process::ExitCode {
//!     let models = wildebeest::Models::new().table::<User>();
//!     match Cli::parse().command {
//!         Command::Db(cmd) => cmd.run(&MIGRATOR, &models),
//!     }
//! }
//! ```
//!
//! Every command prints what the `wildebeest` binary prints and exits as it does (0
//! ok, 1 differences found or work pending, 2 error). The database URL comes from
//! `--database-url`, else `DATABASE_URL`, else `DATABASE_URL` in `.env` in the
//! current folder, else `wildebeest.toml` there, if there is one. `--database-url` is
//! a flag of each command that uses a database, as in the binary (`myapp db upgrade
//! --database-url URL`); [`DbCommand::database_url`] is the same flag before the
//! command (`myapp db --database-url URL upgrade`), so an application can also set
//! it itself. Both with different URLs is an error. `db init` and `db completions`
//! do not apply (the application embeds its migrations folder and makes its own
//! completion scripts); `db inspect` and `db database create`/`drop` work as in the
//! binary. Commands that write migration files (`migrate`,
//! `revision`, `merge`, `rehash`) write to the folder the migrations were embedded
//! from ([`wildebeest::Migrator::source_dir`]) and read it as it is now; where that
//! folder is not (a deployed program) they stop with status 2, while `upgrade` and
//! the others run on the embedded migrations. `init` and `completions` belong to the
//! `wildebeest` binary and are not offered.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use anyhow::{Result, bail};
use clap::Subcommand;
use wildebeest::{Dialect, Migrator};

use crate::app::{Outcome, Project};
use crate::cli::{Command, DbArgs};
use crate::config::{CONFIG_FILE, Config};
use crate::output::Format;

/// Where `db` takes the application's desired schema from: schema text in a
/// dialect, as `schema.sql` would hold it. Its rename directives
/// (`-- wildebeest: rename old=new`) tell `migrate` what was renamed rather than
/// dropped and made anew, as in `schema.sql`.
///
/// [`wildebeest::Models`] is one (the derives' tables, their `renamed_from` written
/// as directives); so are [`SchemaSql`], one text for every dialect, and a closure
/// `Fn(Dialect) -> String`.
pub trait SchemaSource {
    /// The desired schema as `CREATE TABLE` (and `CREATE INDEX`, `CREATE TYPE`)
    /// statements in `dialect`.
    fn schema_sql(&self, dialect: Dialect) -> Result<String, wildebeest::Error>;
}

impl SchemaSource for wildebeest::Models {
    fn schema_sql(&self, dialect: Dialect) -> Result<String, wildebeest::Error> {
        wildebeest::Models::schema_sql(self, dialect)
    }
}

impl<F: Fn(Dialect) -> String> SchemaSource for F {
    fn schema_sql(&self, dialect: Dialect) -> Result<String, wildebeest::Error> {
        Ok(self(dialect))
    }
}

/// A desired schema given as schema.sql text, the same in every dialect.
#[derive(Debug, Clone, Copy)]
pub struct SchemaSql<'a>(pub &'a str);

impl SchemaSource for SchemaSql<'_> {
    fn schema_sql(&self, _dialect: Dialect) -> Result<String, wildebeest::Error> {
        Ok(self.0.to_string())
    }
}

/// `db`: its flags and one command.
#[derive(Debug, clap::Args)]
#[command(max_term_width = 100)]
// `init` and `completions` parse (and say why they do not apply) but are not offered.
#[command(mut_subcommand("init", |c| c.hide(true)))]
#[command(mut_subcommand("completions", |c| c.hide(true)))]
// The desired schema is the application's models, not a schema.sql; examples name the
// program's own command.
#[command(mut_subcommands(for_db))]
pub struct DbCommand {
    /// The database URL for the command (else DATABASE_URL, else .env, else
    /// wildebeest.toml in the current folder); each command that uses a database also
    /// takes it after its name.
    #[arg(long, value_name = "URL")]
    pub database_url: Option<String>,

    /// Output for people (text) or programs (json: check, current, history, heads,
    /// show, status, and the events of upgrade and downgrade), as the `wildebeest`
    /// binary's `--format`.
    #[arg(
        long,
        value_enum,
        value_name = "FORMAT",
        default_value = "text",
        global = true
    )]
    pub format: Format,

    #[command(subcommand)]
    pub command: DbSubcommand,
}

/// The commands of `db`: the `wildebeest` binary's, on the application's migrations
/// and models (its "schema.sql"), and `schema`.
#[derive(Debug, Subcommand)]
pub enum DbSubcommand {
    /// Print the desired schema the application's models make, in the database's
    /// dialect (what `migrate` compares the migrations with).
    Schema {
        #[command(flatten)]
        db: DbArgs,
    },
    #[command(flatten)]
    Wildebeest(Command),
}

/// What `migrate` and `check` call the models' schema in messages.
const MODELS: &str = "the application's models";

/// `db migrate`'s line in the help.
const MIGRATE_ABOUT: &str = "Compare the application's models (the desired schema, as `db schema` \
     prints it) with the migrations and write a migration for the difference.";
/// `db revision --autogenerate`'s.
const AUTOGENERATE_HELP: &str = "Fill the migration in from the difference between the application's models and the migrations.";
/// `db check`'s.
const CHECK_ABOUT: &str = "Exit 0 when the database is at head, the migrations have one head and \
     match the application's models and wildebeest.sum, the database has not drifted, and no \
     applied file changed; else list what differs and exit 1.";

/// A command's help as `db` shows it: the models as the desired schema of the
/// commands that compare with it, the `--rename` flag's tables named as the models
/// name them, and examples with the program's own command (`myapp db
/// upgrade`) in place of `wildebeest upgrade`.
fn for_db(command: clap::Command) -> clap::Command {
    let command = match command.get_name() {
        "migrate" => command.about(MIGRATE_ABOUT),
        "revision" => command.mut_arg("autogenerate", |a| a.help(AUTOGENERATE_HELP)),
        "check" => command.about(CHECK_ABOUT),
        _ => command,
    };
    let program = format!("{} db ", program_name());
    let mut command = match command.get_after_help().map(|h| h.to_string()) {
        Some(help) => {
            let help = help.replace("  wildebeest ", &format!("  {program}"));
            command.after_help(help)
        }
        None => command,
    };
    if command.get_arguments().any(|a| a.get_id() == "renames") {
        command = command.mut_arg("renames", |a| {
            a.help(
                "A rename: OLD=NEW for a table, TABLE.OLD=NEW for a column (TABLE as the \
                 models name it). Repeatable.",
            )
        });
    }
    command
}

/// The name this program is run as (`myapp`), for advice and examples.
fn program_name() -> String {
    std::env::args_os()
        .next()
        .map(std::path::PathBuf::from)
        .and_then(|p| p.file_stem().map(|s| s.to_string_lossy().into_owned()))
        .unwrap_or_else(|| "app".into())
}

impl DbCommand {
    /// Runs the command on the application's embedded `migrator` and its `models`,
    /// printing as the `wildebeest` binary does; returns the exit status.
    pub fn run(self, migrator: &'static Migrator, models: &dyn SchemaSource) -> ExitCode {
        let stdout = std::io::stdout();
        let mut out = crate::redact::Redacting::new(stdout.lock());
        let format = self.format;
        let result = self
            .execute(migrator, models, &mut out)
            .and_then(|outcome| {
                out.flush()?;
                Ok(outcome)
            });
        crate::command::exit_status(result, format, &mut out)
    }

    /// [`DbCommand::run`], writing to `out` and returning the outcome or the error.
    pub fn execute(
        self,
        migrator: &'static Migrator,
        models: &dyn SchemaSource,
        out: &mut dyn Write,
    ) -> Result<Outcome> {
        let format = self.format;
        // Advice names the command this program is run as (`myapp db upgrade`).
        crate::redact::set_program(&format!("{} db", program_name()));
        match &self.command {
            DbSubcommand::Schema { .. } if format == Format::Json => {
                bail!("--format json is not for schema, which prints the schema's SQL text")
            }
            DbSubcommand::Schema { .. } => {}
            DbSubcommand::Wildebeest(command) => crate::command::refuse_json(command, format)?,
        }
        let command = match self.command {
            DbSubcommand::Wildebeest(Command::Init { .. }) => bail!(
                "`db init` does not apply: the application's migrations folder is the one it embeds with `embed_migrations!`; create that folder (empty) and run `db migrate -m MESSAGE`"
            ),
            other => other,
        };
        let cwd = std::env::current_dir()?;
        let before = self.database_url.as_deref();
        let command = match command {
            DbSubcommand::Schema { db } => {
                let flag_url = match (before, db.database_url) {
                    (Some(b), Some(a)) if b != a => {
                        bail!("--database-url is given twice, with different URLs")
                    }
                    (b, a) => a.or(b.map(str::to_string)),
                };
                let config = config(&cwd, migrator, flag_url, true)?;
                let schema = models.schema_sql(dialect_of(&config)?)?;
                out.write_all(schema.as_bytes())?;
                if !schema.is_empty() && !schema.ends_with('\n') {
                    writeln!(out)?;
                }
                return Ok(Outcome::Ok);
            }
            DbSubcommand::Wildebeest(Command::Completions { .. }) => bail!(
                "`db completions` does not apply: the completion scripts are the application's own, made from its whole command line (clap_complete on its parser)"
            ),
            DbSubcommand::Wildebeest(command) => command,
        };
        let flag_url = crate::command::flag_url(before, &command)?;
        let config = config(&cwd, migrator, flag_url, command.uses_database())?;
        if let Command::Inspect { .. } | Command::Database { .. } = command {
            return crate::command::execute_on_database(&config, &cwd, command, out);
        }
        let writes = matches!(
            command,
            Command::Migrate { .. }
                | Command::Revision { .. }
                | Command::Merge { .. }
                | Command::Rehash
        );
        // Only the commands that compare with the desired schema render the models,
        // so `upgrade` of a deployed program does not depend on them.
        let needs_schema = matches!(
            command,
            Command::Migrate { .. }
                | Command::Revision {
                    autogenerate: true,
                    ..
                }
                | Command::Check { .. }
        );
        let schema = if needs_schema {
            models.schema_sql(dialect_of(&config)?)?
        } else {
            String::new()
        };
        let project = if writes {
            // The folder as it is now, not as it was embedded: a revision written
            // since the program was built is a parent the new one must know.
            if !migrator.source_dir().is_some_and(Path::is_dir) {
                bail!(
                    "cannot write migration files: the migrations folder {} that this program embedded is not on this machine (a deployed program runs the migrations it embeds; write new ones where the application is built)",
                    migrator
                        .source_dir()
                        .map_or("(not recorded)".to_string(), |d| d.display().to_string())
                );
            }
            let mut project = Project::load(config)?;
            project.set_schema_text(MODELS.into(), schema);
            project
        } else {
            Project::embedded(config, migrator, MODELS.into(), schema)?
        };
        crate::command::execute(&project, command, format, out)
    }
}

/// The dialect the models are rendered in: wildebeest.toml's, else the database's;
/// SQLite for the commands that take no database.
fn dialect_of(config: &Config) -> Result<Dialect> {
    Ok(match config.schema_dialect {
        Some(d) => d,
        None if config.database.is_none() => Dialect::Sqlite,
        None => match config.database()? {
            wildebeest::DatabaseUrl::Postgres { .. } => Dialect::Postgres,
            wildebeest::DatabaseUrl::Mysql { .. } => Dialect::Mysql,
            _ => Dialect::Sqlite,
        },
    })
}

/// The settings of `db` run in `cwd`: wildebeest.toml there if present (its
/// database, dialect), the URL from the flag or `DATABASE_URL`, and the embedded
/// migrations' folder.
fn config(
    cwd: &Path,
    migrator: &Migrator,
    flag_url: Option<String>,
    uses_database: bool,
) -> Result<Config> {
    let env_url = std::env::var("DATABASE_URL").ok();
    let folder = migrator
        .source_dir()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| cwd.join("migrations"));
    let mut config = if cwd.join(CONFIG_FILE).is_file() {
        Config::load(cwd, env_url, flag_url)?
    } else {
        // No settings file: the URL alone, from the flag, the environment or `.env`.
        let mut config = Config::without_file(cwd, env_url, flag_url)?;
        config.cache_dir = None;
        config
    };
    config.migrations_dir = folder;
    config.schema_files = Vec::new();
    config.schema_command = None;
    if config.database.is_none() && uses_database {
        bail!(
            "no database configured: give --database-url, set DATABASE_URL (in the environment or in .env in the current folder), or put database_url in {CONFIG_FILE} in the current folder"
        );
    }
    Ok(config)
}
