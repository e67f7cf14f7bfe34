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
    /// Create wildebeest.toml, schema.sql and migrations/ (existing files are kept);
    /// with --from-database, adopt that database (see docs/adopting.md).
    Init {
        /// Adopt this database: write wildebeest.toml, schema.sql as `inspect` reads it
        /// and the initial migration, then stamp the database at it. Overwrites
        /// nothing; a URL with a password is not written to wildebeest.toml.
        #[arg(long, value_name = "URL")]
        from_database: Option<String>,
        /// With --from-database: leave out views, triggers, routines and other objects
        /// schema.sql cannot hold, naming each on stderr, instead of refusing.
        #[arg(long, requires = "from_database")]
        skip_unsupported: bool,
    },

    /// Print the database's schema as schema.sql text in its own dialect (to adopt an
    /// existing database; see docs/adopting.md).
    Inspect {
        /// Write the text to FILE instead of stdout.
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
        /// Leave out views, triggers, routines and other objects schema.sql cannot
        /// hold, naming each on stderr, instead of refusing (exit 2).
        #[arg(long)]
        skip_unsupported: bool,
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
    },

    /// Rewrite migrations/wildebeest.sum (the heads and every file's checksum) after
    /// editing migration files by hand.
    Rehash,

    /// Apply migrations up to TARGET (default: head).
    Upgrade {
        /// head, heads, a revision id or unique prefix, or +N; with --sql also
        /// START:END, the script from START's state without a database.
        #[arg(default_value = "head", allow_hyphen_values = true)]
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
    },

    /// Undo applied migrations down to TARGET.
    Downgrade {
        /// base, a revision id or unique prefix, or -N (e.g. -1 undoes the last one);
        /// with --sql also START:END, the script from START's state without a database.
        #[arg(allow_hyphen_values = true)]
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
    },

    /// Show the revision the database is at.
    Current {
        /// Show each applied revision with its time and message.
        #[arg(short, long)]
        verbose: bool,
        /// Exit 1 unless the database is at every head.
        #[arg(long)]
        check_heads: bool,
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
    },

    /// Show the head revisions (those no revision builds on).
    Heads,

    /// Show where the revisions branch: each branch point and its children.
    Branches,

    /// Show one revision: its header and SQL.
    Show {
        /// A revision id or unique prefix, head, heads, current, a label, or a relative
        /// target (-1 from the database, REV-N, LABEL@head).
        #[arg(allow_hyphen_values = true)]
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
        /// Empty the version table first (also of revisions no file defines).
        #[arg(long)]
        purge: bool,
    },

    /// Exit 0 when the database is at head, the migrations have one head and match
    /// schema.sql and wildebeest.sum, the database has not drifted, and no applied file
    /// changed; else list what differs and exit 1.
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
