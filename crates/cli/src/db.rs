//! `myapp db ...`: the wildebeest commands as a subcommand an application mounts in
//! its own command line (the `flask db` experience), on the migrations it embeds
//! with [`wildebeest::embed_migrations!`] and the desired schema its models make.
//!
//! ```no_run
//! use clap::{Parser, Subcommand};
//!
//! static MIGRATOR: wildebeest::Migrator =
//!     wildebeest::embed_migrations!("../../examples/company/migrations"); // "migrations"
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
//!     let models = |_dialect| "CREATE TABLE users (id INTEGER PRIMARY KEY);".to_string();
//!     match Cli::parse().command {
//!         Command::Db(cmd) => cmd.run(&MIGRATOR, &models),
//!     }
//! }
//! ```
//!
//! Every command prints what the `wildebeest` binary prints and exits as it does (0
//! ok, 1 differences found or work pending, 2 error). The database URL comes from
//! `--database-url`, else `DATABASE_URL`, else `wildebeest.toml` in the current
//! folder, if there is one. Commands that write migration files (`migrate`,
//! `revision`, `merge`, `rehash`) write to the folder the migrations were embedded
//! from ([`wildebeest::Migrator::source_dir`]) and read it as it is now; where that
//! folder is not (a deployed program) they stop with status 2, while `upgrade` and
//! the others run on the embedded migrations.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use anyhow::{Result, bail};
use clap::Subcommand;
use wildebeest::{Dialect, Migrator};

use crate::app::{Outcome, Project};
use crate::cli::Command;
use crate::config::{CONFIG_FILE, Config, UrlSource};
use crate::output::Format;

/// What an application's models give `db`: the desired schema as SQL text in a
/// dialect, and renames to tell `migrate` (a table or column renamed rather than
/// dropped and made anew).
///
/// A closure `Fn(Dialect) -> String` is one (without renames), and so is
/// [`SchemaSql`], a schema.sql text.
pub trait Models {
    /// The desired schema as `CREATE TABLE` (and `CREATE INDEX`, `CREATE TYPE`)
    /// statements in `dialect`.
    fn schema_sql(&self, dialect: Dialect) -> String;

    /// Renames, as `migrate --rename` takes them: `old=new` for a table, and
    /// `table.old=new` for a column (the table as the schema names it now).
    fn renames(&self) -> Vec<String> {
        Vec::new()
    }
}

impl<F: Fn(Dialect) -> String> Models for F {
    fn schema_sql(&self, dialect: Dialect) -> String {
        self(dialect)
    }
}

/// A desired schema given as schema.sql text, the same in every dialect.
#[derive(Debug, Clone, Copy)]
pub struct SchemaSql<'a>(pub &'a str);

impl Models for SchemaSql<'_> {
    fn schema_sql(&self, _dialect: Dialect) -> String {
        self.0.to_string()
    }
}

/// `db`: its flags and one command.
#[derive(Debug, clap::Args)]
#[command(max_term_width = 100)]
pub struct DbCommand {
    /// The database URL (else DATABASE_URL, else wildebeest.toml in the current folder).
    #[arg(long, value_name = "URL", global = true)]
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
/// and models, and `schema`.
#[derive(Debug, Subcommand)]
pub enum DbSubcommand {
    /// Prints the desired schema the application's models make, in the database's
    /// dialect.
    Schema,
    #[command(flatten)]
    Wildebeest(Command),
}

/// What `migrate` and `check` call the models' schema in messages.
const MODELS: &str = "the application's models";

impl DbCommand {
    /// Runs the command on the application's embedded `migrator` and its `models`,
    /// printing as the `wildebeest` binary does; returns the exit status.
    pub fn run(self, migrator: &'static Migrator, models: &dyn Models) -> ExitCode {
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
        models: &dyn Models,
        out: &mut dyn Write,
    ) -> Result<Outcome> {
        let format = self.format;
        match &self.command {
            DbSubcommand::Schema if format == Format::Json => {
                bail!("--format json is not for schema, which prints the schema's SQL text")
            }
            DbSubcommand::Schema => {}
            DbSubcommand::Wildebeest(command) => crate::command::refuse_json(command, format)?,
        }
        let cwd = std::env::current_dir()?;
        let config = config(&cwd, migrator, self.database_url)?;
        let mut command = match self.command {
            DbSubcommand::Schema => {
                let project = Project::embedded(config, migrator, MODELS.into(), String::new())?;
                let text = models.schema_sql(project.schema_dialect()?);
                out.write_all(text.as_bytes())?;
                if !text.is_empty() && !text.ends_with('\n') {
                    writeln!(out)?;
                }
                return Ok(Outcome::Ok);
            }
            DbSubcommand::Wildebeest(Command::Init { .. }) => bail!(
                "`db init` does not apply: the application's migrations folder is the one it embeds with `embed_migrations!`; create that folder instead"
            ),
            DbSubcommand::Wildebeest(command) => command,
        };
        let writes = matches!(
            command,
            Command::Migrate { .. }
                | Command::Revision { .. }
                | Command::Merge { .. }
                | Command::Rehash
        );
        if let Command::Migrate { renames, .. } | Command::Revision { renames, .. } = &mut command {
            renames.renames.extend(models.renames());
        }
        let dialect_of = |config: &Config| -> Result<Dialect> {
            Ok(match config.schema_dialect {
                Some(d) => d,
                None => match config.database()? {
                    wildebeest::DatabaseUrl::Postgres { .. } => Dialect::Postgres,
                    wildebeest::DatabaseUrl::Mysql { .. } => Dialect::Mysql,
                    _ => Dialect::Sqlite,
                },
            })
        };
        let project = if writes {
            // The folder as it is now, not as it was embedded: a revision written
            // since the program was built is a parent the new one must know.
            let Some(dir) = migrator.source_dir().filter(|d| d.is_dir()) else {
                bail!(
                    "cannot write migration files: the migrations folder {} that this program embedded is not on this machine (a deployed program runs its embedded migrations; write new ones where the application is built)",
                    migrator
                        .source_dir()
                        .map_or("(not recorded)".to_string(), |d| d.display().to_string())
                );
            };
            let _ = dir;
            let schema = models.schema_sql(dialect_of(&config)?);
            let mut project = Project::load(config)?;
            project.set_schema_text(MODELS.into(), schema);
            project
        } else {
            let schema = models.schema_sql(dialect_of(&config)?);
            Project::embedded(config, migrator, MODELS.into(), schema)?
        };
        crate::command::execute(&project, command, format, out)
    }
}

/// The settings of `db` run in `cwd`: wildebeest.toml there if present (its
/// database, dialect), the URL from the flag or `DATABASE_URL`, and the embedded
/// migrations' folder.
fn config(cwd: &Path, migrator: &Migrator, flag_url: Option<String>) -> Result<Config> {
    let env_url = std::env::var("DATABASE_URL").ok();
    let folder = migrator
        .source_dir()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| cwd.join("migrations"));
    let mut config = if cwd.join(CONFIG_FILE).is_file() {
        Config::load(cwd, env_url, flag_url)?
    } else {
        let (text, source) = match (flag_url, env_url) {
            (Some(u), _) => (Some(u), UrlSource::Flag),
            (None, Some(u)) => (Some(u), UrlSource::Env),
            (None, None) => (None, UrlSource::File),
        };
        let database = match text {
            Some(text) => {
                let url = wildebeest::DatabaseUrl::parse(&text, cwd).map_err(|e| {
                    anyhow::anyhow!(
                        "{e}: in {}",
                        match source {
                            UrlSource::Flag => "--database-url",
                            _ => "the DATABASE_URL environment variable",
                        }
                    )
                })?;
                Some((url, source))
            }
            None => None,
        };
        Config {
            root: cwd.to_path_buf(),
            database,
            schema_files: Vec::new(),
            schema_command: None,
            migrations_dir: folder.clone(),
            cache_dir: None,
            schema_dialect: None,
        }
    };
    config.migrations_dir = folder;
    config.schema_files = Vec::new();
    config.schema_command = None;
    if config.database.is_none() {
        bail!(
            "no database configured: give --database-url, set DATABASE_URL, or put database_url in {CONFIG_FILE} in the current folder"
        );
    }
    Ok(config)
}
