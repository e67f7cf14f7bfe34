//! The command line as clap parses it: raw flags only, no IO (see `config.rs` for
//! how they are resolved).

use std::path::PathBuf;

use clap::{Parser, Subcommand};

/// Schema migrations from plain SQL: edit schema.sql, `wildebeest migrate`, review the
/// file, `wildebeest upgrade`.
#[derive(Debug, Parser)]
#[command(name = "wildebeest", version, about, max_term_width = 100)]
pub struct Cli {
    /// Run as if started in DIR.
    #[arg(short = 'C', value_name = "DIR", global = true)]
    pub dir: Option<PathBuf>,

    /// The database URL (overrides DATABASE_URL and wildebeest.toml).
    #[arg(long, value_name = "URL", global = true)]
    pub database_url: Option<String>,

    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create wildebeest.toml, schema.sql and migrations/ (existing files are kept).
    Init,

    /// Compare schema.sql with the migrations and write a migration for the difference.
    Migrate {
        /// The message: what the migration does.
        #[arg(short, long)]
        message: String,
        #[command(flatten)]
        renames: RenameArgs,
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
    },

    /// Apply migrations up to TARGET (default: head).
    Upgrade {
        /// head, a revision id or unique prefix, or +N.
        #[arg(default_value = "head", allow_hyphen_values = true)]
        target: String,
        /// Print the SQL that would run instead of running it.
        #[arg(long)]
        sql: bool,
        /// Run statements that destroy stored data (dropped tables and columns) even
        /// where they are not marked `-- wildebeest: allow-data-loss`.
        #[arg(long)]
        allow_data_loss: bool,
    },

    /// Undo applied migrations down to TARGET.
    Downgrade {
        /// base, a revision id or unique prefix, or -N (e.g. -1 undoes the last one).
        #[arg(allow_hyphen_values = true)]
        target: String,
        /// Print the SQL that would run instead of running it.
        #[arg(long)]
        sql: bool,
        /// Run statements that destroy stored data (dropped tables and columns) even
        /// where they are not marked `-- wildebeest: allow-data-loss`.
        #[arg(long)]
        allow_data_loss: bool,
    },

    /// Show the revision the database is at.
    Current {
        /// Show each applied revision with its time and message.
        #[arg(short, long)]
        verbose: bool,
    },

    /// List the revisions, newest first.
    History {
        /// Show each revision's file, parents and creation time.
        #[arg(short, long)]
        verbose: bool,
    },

    /// Show the head revisions (those no revision builds on).
    Heads,

    /// Show one revision: its header and SQL.
    Show {
        /// A revision id or unique prefix, or head.
        revision: String,
    },

    /// Record TARGET as applied without running any migration (to adopt an existing database).
    Stamp {
        /// head, base, or a revision id or unique prefix.
        #[arg(allow_hyphen_values = true)]
        target: String,
        /// Print the SQL that would run instead of running it.
        #[arg(long)]
        sql: bool,
    },

    /// Exit 0 when the database is at head, the migrations match schema.sql, the
    /// database has not drifted, and no applied file changed; else list what differs
    /// and exit 1.
    Check,
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
