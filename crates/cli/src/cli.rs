//! The command line as clap parses it: raw flags only, no IO (see `config.rs` for
//! how they are resolved).

use std::path::PathBuf;

use clap::{Parser, Subcommand};

/// What the top-level help lists after the commands: the environment it reads.
const ENVIRONMENT: &str = "\
Environment:
  DATABASE_URL         The database URL; overrides database_url in wildebeest.toml and
                       DATABASE_URL in the project's .env; --database-url overrides it
  NO_COLOR             When set and not empty, no colour in any output
  CLICOLOR_FORCE       When set and not empty or 0, colour also into a pipe or a file
                       (NO_COLOR wins)
  TERM                 dumb: no colour and no live line of a long revision
  WILDEBEEST_NO_CACHE  When set and not empty, read every migration header on every run
                       instead of using .wildebeest_cache/

Exit status: 0 success, 1 differences or work pending (check, current --check-heads),
2 error. The reference of every command: docs/commands.md.";

/// The forms of an upgrade TARGET, for `upgrade --help`.
const UPGRADE_HELP: &str = "\
Targets:
  head              the single head (the default)
  heads             every head (all branches)
  base              nothing applied: runs nothing (going back there is `downgrade base`)
  REV               a revision id or a unique prefix of one, or a branch label
  +N                N revisions up from the database's current revision
  REV+N, REV-N      N revisions above or below REV (head-1, base+2, ab12+1)
  LABEL@head        the head of the branch labelled LABEL
  LABEL@+N          N revisions up that branch from where the database is on it
  START:END         with --sql only: the script from START's state to END, without a
                    database (START empty: base; END empty: head; +N counts from START)

Examples:
  wildebeest upgrade
  wildebeest upgrade +1
  wildebeest upgrade ab12 --sql
  wildebeest upgrade --sql base:head > upgrade.sql";

/// The forms of a downgrade TARGET, for `downgrade --help`.
const DOWNGRADE_HELP: &str = "\
Targets:
  -N                N revisions down from the database's current revision (-1, the
                    default, undoes the last one)
  base              before the first revision: undo everything
  REV               a revision id or a unique prefix of one, or a branch label: undo
                    what was applied after it
  REV-N, REV+N      N revisions below or above REV (head-2)
  LABEL@base        the whole branch labelled LABEL undone
  LABEL@-N          N revisions down that branch
  START:END         with --sql only: the script from START's state down to END,
                    without a database (e.g. head:base, head:-1)

Examples:
  wildebeest downgrade
  wildebeest downgrade -2
  wildebeest downgrade base --sql";

/// The forms of a stamp TARGET, for `stamp --help`.
const STAMP_HELP: &str = "\
Targets:
  head, heads       the single head, every head
  base              nothing applied
  REV               a revision id or a unique prefix of one, or a branch label
  REV+N, REV-N      N revisions above or below REV (head-1)
  LABEL@head        the head of the branch labelled LABEL
  LABEL@base        below the first revision of that branch

Examples:
  wildebeest stamp head           # adopt a database that already has the schema
  wildebeest stamp --purge head   # after editing applied files on purpose";

/// Schema migrations from plain SQL: edit schema.sql, `wildebeest migrate`, review the
/// file, `wildebeest upgrade`.
#[derive(Debug, Parser)]
#[command(
    name = "wildebeest",
    version,
    about,
    max_term_width = 100,
    after_help = ENVIRONMENT
)]
pub struct Cli {
    /// Run as if started in DIR.
    #[arg(short = 'C', value_name = "DIR", global = true)]
    pub dir: Option<PathBuf>,

    /// `--database-url` before the command, as earlier versions took it: still
    /// accepted for the commands that use a database, and listed on those commands.
    #[arg(long, value_name = "URL", hide = true)]
    pub database_url: Option<String>,

    /// Output for people (text) or programs (json: check, current, history, heads,
    /// show, status, and the events of upgrade and downgrade; see docs/output.md).
    #[arg(
        long,
        value_enum,
        value_name = "FORMAT",
        default_value = "text",
        global = true
    )]
    pub format: crate::output::Format,

    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create wildebeest.toml, schema.sql and migrations/ (existing files are kept);
    /// with --from-database, adopt that database (see docs/adopting.md).
    Init {
        /// Write this database URL into the new wildebeest.toml (its dialect is the
        /// one migrations are written in). A URL with a password is refused: put it
        /// in DATABASE_URL or .env instead.
        #[arg(long, value_name = "URL", conflicts_with = "from_database")]
        database_url: Option<String>,
        /// Adopt this database: write wildebeest.toml, schema.sql as `inspect` reads it
        /// and the initial migration, then stamp the database at it. Overwrites
        /// nothing; a URL with a password is not written to wildebeest.toml (it is
        /// used to connect, and named there as a comment with the password masked).
        #[arg(long, value_name = "URL")]
        from_database: Option<String>,
        /// With --from-database: leave out views, triggers, routines and other objects
        /// schema.sql cannot hold, naming each on stderr, instead of refusing.
        #[arg(long, requires = "from_database")]
        skip_unsupported: bool,
    },

    /// Print the database's schema as schema.sql text in its own dialect (to adopt an
    /// existing database; see docs/adopting.md), or as Rust models (--as rust).
    Inspect {
        /// Write the text to FILE instead of stdout.
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
        /// Leave out views, triggers, routines and other objects schema.sql (or, with
        /// --as rust, the models) cannot hold, naming each on stderr, instead of
        /// refusing (exit 2).
        #[arg(long)]
        skip_unsupported: bool,
        /// Print the schema as sql (schema.sql text in the database's dialect) or as
        /// rust (#[derive(wildebeest::Table)] structs that wildebeest::Models renders
        /// back as the same schema; see docs/models.md).
        #[arg(
            long = "as",
            value_enum,
            value_name = "LANGUAGE",
            default_value = "sql"
        )]
        language: crate::inspect::Language,
        #[command(flatten)]
        db: DbArgs,
    },

    /// Compare schema.sql with the migrations and write a migration for the difference.
    Migrate {
        /// The message: what the migration does.
        #[arg(short, long)]
        message: String,
        #[command(flatten)]
        renames: RenameArgs,
        #[command(flatten)]
        links: LinkArgs,
        #[command(flatten)]
        db: DbArgs,
    },

    /// Write a new empty migration to fill in by hand (or, with --autogenerate, as migrate).
    Revision {
        /// The message: what the migration does.
        #[arg(short, long)]
        message: String,
        /// Fill the migration in from the difference between schema.sql and the migrations.
        #[arg(long)]
        autogenerate: bool,
        #[command(flatten)]
        renames: RenameArgs,
        #[command(flatten)]
        links: LinkArgs,
        #[command(flatten)]
        db: DbArgs,
    },

    /// Write an empty revision that merges REVs (default: every head), so that
    /// `upgrade head` works again.
    Merge {
        /// The message: what the merge joins.
        #[arg(short, long)]
        message: String,
        /// The revisions to merge (ids or unique prefixes), or `heads`.
        #[arg(value_name = "REV")]
        revisions: Vec<String>,
        #[command(flatten)]
        db: DbArgs,
    },

    /// Rewrite migrations/wildebeest.sum (the heads and every file's checksum) after
    /// editing migration files by hand.
    Rehash,

    /// Apply migrations up to TARGET (default: head).
    #[command(after_help = UPGRADE_HELP)]
    Upgrade {
        /// head, heads, a revision or prefix, a label, +N, REV+N, LABEL@head; with
        /// --sql also START:END (all forms below).
        #[arg(default_value = "head", allow_hyphen_values = true, value_parser = target)]
        target: String,
        /// Print the SQL that would run instead of running it.
        #[arg(long)]
        sql: bool,
        /// Run statements that destroy stored data (dropped tables and columns) even
        /// where they are not marked `-- wildebeest: allow-data-loss`.
        #[arg(long)]
        allow_data_loss: bool,
        /// Statement N of the half-done revision ran: resume after it. Only for the
        /// statement a killed run left in doubt, as the error that stopped says.
        #[arg(long, value_name = "N", conflicts_with = "resume_at")]
        resume_after: Option<usize>,
        /// Statement N of the half-done revision did not run: resume at it. Only for
        /// the statement a killed run left in doubt, as the error that stopped says.
        #[arg(long, value_name = "N")]
        resume_at: Option<usize>,
        #[command(flatten)]
        db: DbArgs,
    },

    /// Undo applied migrations down to TARGET (default: -1, the last one).
    #[command(after_help = DOWNGRADE_HELP)]
    Downgrade {
        /// -N, base, a revision or prefix, a label, REV-N, LABEL@base; with --sql
        /// also START:END (all forms below).
        #[arg(default_value = "-1", allow_hyphen_values = true, value_parser = target)]
        target: String,
        /// Print the SQL that would run instead of running it.
        #[arg(long)]
        sql: bool,
        /// Run statements that destroy stored data (dropped tables and columns) even
        /// where they are not marked `-- wildebeest: allow-data-loss`.
        #[arg(long)]
        allow_data_loss: bool,
        /// Statement N of the half-done revision ran: resume after it. Only for the
        /// statement a killed run left in doubt, as the error that stopped says.
        #[arg(long, value_name = "N", conflicts_with = "resume_at")]
        resume_after: Option<usize>,
        /// Statement N of the half-done revision did not run: resume at it. Only for
        /// the statement a killed run left in doubt, as the error that stopped says.
        #[arg(long, value_name = "N")]
        resume_at: Option<usize>,
        #[command(flatten)]
        db: DbArgs,
    },

    /// List every revision, oldest first, as applied (with when) or pending, and the
    /// database's state; exit 1 when it is not at head. Changes nothing.
    Status {
        #[command(flatten)]
        db: DbArgs,
    },

    /// Show the revision the database is at.
    Current {
        /// Show each applied revision with its time and message.
        #[arg(short, long)]
        verbose: bool,
        /// Exit 1 unless the database is at every head.
        #[arg(long)]
        check_heads: bool,
        #[command(flatten)]
        db: DbArgs,
    },

    /// List the revisions, newest first.
    History {
        /// Show each revision's file, parents and creation time.
        #[arg(short, long)]
        verbose: bool,
        /// Only START:END (inclusive; either may be left out): base, head, heads,
        /// current, a revision, REV+N, REV-N, +N, -N.
        #[arg(
            short = 'r',
            long = "rev-range",
            value_name = "START:END",
            allow_hyphen_values = true
        )]
        range: Option<String>,
        /// Mark the revisions the database has applied.
        #[arg(short = 'i', long)]
        indicate_current: bool,
        /// Draw the branches and merges beside the revisions.
        #[arg(short = 'g', long)]
        graph: bool,
        /// The database for -i and `current` in --rev-range.
        #[command(flatten)]
        db: DbArgs,
    },

    /// Show the head revisions (those no revision builds on).
    Heads,

    /// Show where the revisions branch: each branch point and its children.
    Branches,

    /// Show one revision: its header and SQL.
    Show {
        /// A revision id or unique prefix, head, heads, current, a label, or a relative
        /// target (-1 from the database, REV-N, LABEL@head).
        #[arg(allow_hyphen_values = true, value_parser = target)]
        revision: String,
        /// The database for `current` and -N.
        #[command(flatten)]
        db: DbArgs,
    },

    /// Record TARGET as applied without running any migration (to adopt an existing database).
    #[command(after_help = STAMP_HELP)]
    Stamp {
        /// head, heads, base, a revision or prefix, a label, REV-N, LABEL@head (all
        /// forms below).
        #[arg(allow_hyphen_values = true, value_parser = target)]
        target: String,
        /// Print the SQL that would run instead of running it.
        #[arg(long)]
        sql: bool,
        /// Empty the version table first (also of revisions no file defines).
        #[arg(long)]
        purge: bool,
        #[command(flatten)]
        db: DbArgs,
    },

    /// Exit 0 when the database is at head, the migrations have one head and match
    /// schema.sql and wildebeest.sum, the database has not drifted, and no applied file
    /// changed; else list what differs and exit 1.
    Check {
        #[command(flatten)]
        db: DbArgs,
    },

    /// Create or drop the database the URL names (the server's, or the SQLite file).
    Database {
        #[command(subcommand)]
        command: DatabaseCommand,
    },

    /// Print a completion script for SHELL to standard output.
    #[command(after_help = "\
Examples:
  wildebeest completions bash > ~/.local/share/bash-completion/completions/wildebeest
  wildebeest completions zsh > ~/.zfunc/_wildebeest      # with fpath+=~/.zfunc
  wildebeest completions fish > ~/.config/fish/completions/wildebeest.fish")]
    Completions {
        /// bash, zsh, fish, powershell or elvish.
        shell: clap_complete::Shell,
    },
}

/// `wildebeest database ...`.
#[derive(Debug, Subcommand)]
pub enum DatabaseCommand {
    /// Create the database (PostgreSQL, MySQL: on its server; SQLite: the file).
    /// A database that exists already is left as it is, and the command succeeds.
    Create {
        #[command(flatten)]
        db: DbArgs,
    },
    /// Drop the database (PostgreSQL, MySQL: on its server; SQLite: the file with its
    /// -wal and -shm files). Asks first on a terminal; elsewhere needs --force.
    Drop {
        /// Drop without asking.
        #[arg(short = 'f', long)]
        force: bool,
        #[command(flatten)]
        db: DbArgs,
    },
}

/// A TARGET as typed: anything but what looks like an option (`--name`, or `-` and a
/// letter), which `main` reports as an unknown option. `-1`, `-2:head` stay targets
/// (the revision graph's parser judges them).
fn target(value: &str) -> Result<String, String> {
    let mut chars = value.chars();
    let looks_like_option = chars.next() == Some('-')
        && chars
            .next()
            .is_some_and(|c| c == '-' || c.is_ascii_alphabetic());
    if looks_like_option {
        return Err(OPTION_NOT_TARGET.to_string());
    }
    Ok(value.to_string())
}

/// The text of the target parser's refusal of an option (`fn target` here), by which
/// `main` knows it.
pub const OPTION_NOT_TARGET: &str = "an option, not a target";

/// The flag of the commands that use a database.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct DbArgs {
    /// The database URL (overrides DATABASE_URL, .env and wildebeest.toml).
    #[arg(long, value_name = "URL")]
    pub database_url: Option<String>,
}

impl Command {
    /// `--database-url` as given after the command; `None` also for the commands that
    /// never use a database, which do not take it.
    pub fn database_url(&self) -> Option<&str> {
        let db = match self {
            Command::Migrate { db, .. }
            | Command::Revision { db, .. }
            | Command::Merge { db, .. }
            | Command::Upgrade { db, .. }
            | Command::Downgrade { db, .. }
            | Command::Current { db, .. }
            | Command::History { db, .. }
            | Command::Show { db, .. }
            | Command::Stamp { db, .. }
            | Command::Check { db }
            | Command::Status { db }
            | Command::Inspect { db, .. }
            | Command::Database {
                command: DatabaseCommand::Create { db } | DatabaseCommand::Drop { db, .. },
            } => db,
            Command::Init { database_url, .. } => return database_url.as_deref(),
            Command::Rehash | Command::Heads | Command::Branches | Command::Completions { .. } => {
                return None;
            }
        };
        db.database_url.as_deref()
    }

    /// Whether the command takes `--database-url` (reads or names a database).
    pub fn uses_database(&self) -> bool {
        !matches!(
            self,
            Command::Rehash | Command::Heads | Command::Branches | Command::Completions { .. }
        )
    }
}

/// How `migrate` learns about renames.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct RenameArgs {
    /// A rename: OLD=NEW for a table, TABLE.OLD=NEW for a column (TABLE as named in
    /// schema.sql). Repeatable.
    #[arg(long = "rename", value_name = "RENAME")]
    pub renames: Vec<String>,
    /// Never ask: renames come only from --rename (the default when stdin is not a terminal).
    #[arg(long)]
    pub no_input: bool,
}

/// What a new revision declares about the graph besides its parents.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct LinkArgs {
    /// Revise REV (a revision or unique prefix, LABEL@head, or base for a new root)
    /// instead of the single head: extends a branch (or, with --splice, starts one).
    #[arg(long, value_name = "REV")]
    pub head: Option<String>,
    /// Allow --head REV where REV is not a head: the new revision starts a branch
    /// from the middle of the history.
    #[arg(long, requires = "head")]
    pub splice: bool,
    /// Give the new revision's branch a label, so that targets such as NAME@head,
    /// NAME@base and NAME@+1 name it. Repeatable.
    #[arg(long = "branch-label", value_name = "NAME")]
    pub branch_labels: Vec<String>,
    /// Make the new revision depend on REV (a revision, prefix or label; several
    /// separated by commas, or the flag repeated): REV is applied first, though it
    /// stays on its own branch.
    #[arg(long = "depends-on", value_name = "REV[,REV]")]
    pub depends_on: Vec<String>,
}
