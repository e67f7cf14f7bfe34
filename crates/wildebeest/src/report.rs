//! What a [`Migrator`](crate::Migrator) call found or did: data, no words to print
//! but the [`Display`](std::fmt::Display) of a [`Problem`], for logs.

use std::fmt;
use std::time::Duration;

/// Which way a revision runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Direction {
    /// Its upgrade section runs: the revision becomes applied.
    Upgrade,
    /// Its downgrade section runs: the revision is no longer applied.
    Downgrade,
    /// Nothing runs: the version table is set to say the database is at a target
    /// ([`Configured::stamp`](crate::Configured::stamp)).
    Stamp,
}

impl Direction {
    /// `upgrade`, `downgrade` or `stamp`.
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::Upgrade => "upgrade",
            Direction::Downgrade => "downgrade",
            Direction::Stamp => "stamp",
        }
    }
}

/// A revision that ran during an [`upgrade`](crate::Migrator::upgrade) or
/// [`downgrade`](crate::Migrator::downgrade).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct RevisionRun {
    /// Its id.
    pub revision: String,
    /// Its `Message:` header.
    pub message: String,
    /// Which way it ran.
    pub direction: Direction,
    /// How long its statements and bookkeeping took (to the millisecond).
    pub duration: Duration,
}

/// The SQL an upgrade, downgrade or stamp would run, written out instead of run:
/// [`Configured::script`](crate::Configured::script).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Script {
    /// The script: the version tables' `CREATE TABLE IF NOT EXISTS`, then each
    /// revision's statements and bookkeeping in its transaction, each headed by a
    /// comment naming the revision. Empty when there is nothing to do.
    pub sql: String,
    /// The revisions it runs, in order (their durations zero).
    pub revisions: Vec<RevisionRun>,
    /// Statements the model does not follow, each with its file and line.
    pub warnings: Vec<String>,
}

/// What an upgrade or downgrade did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Report {
    /// The revisions that ran, in order; empty when the database was already at the
    /// target.
    pub revisions: Vec<RevisionRun>,
    /// Statements the model does not follow (they ran as written), each with its
    /// file and line.
    pub warnings: Vec<String>,
}

impl Report {
    /// Whether nothing ran: the database was already at the target.
    pub fn is_empty(&self) -> bool {
        self.revisions.is_empty()
    }
}

/// What a run tells the progress callback ([`Options::on_progress`](crate::Options::on_progress)).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Progress<'r> {
    /// A revision is about to run.
    #[non_exhaustive]
    Starting {
        /// Its id.
        revision: &'r str,
        /// Its `Message:` header.
        message: &'r str,
        /// Which way it runs.
        direction: Direction,
        /// Its place in the run, from 1 to `total`.
        index: usize,
        /// How many revisions the run has.
        total: usize,
        /// What it does while it runs: the statement running and a SQLite table
        /// rebuild's row copy. A live display keeps [`Activity::follow`] and reads
        /// it from another thread ([`Activity::now`]) until the revision's `Done`.
        activity: &'r crate::Activity,
    },
    /// A statement the model does not follow (an `UPDATE`, a view): it runs as
    /// written, and [`Migrator::check`](crate::Migrator::check) cannot see what it
    /// did. Told once the run is planned, before the first revision starts (so also
    /// when the run fails later); the same text is in [`Report::warnings`].
    Warning(&'r str),
    /// A revision left half done by an earlier run goes on after statement `after`
    /// of its body (the ones before it committed then); its `Starting` follows.
    #[non_exhaustive]
    Resuming {
        /// Its id.
        revision: &'r str,
        /// The last statement known to have run (1-based).
        after: usize,
    },
    /// A revision ran and committed.
    Done(&'r RevisionRun),
}

/// A revision whose statements ran in part: a database without transactional DDL
/// (MySQL) or a revision with `-- Transaction: none` stopped in the middle. The next
/// run in the same direction finishes it; nothing else runs first.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct HalfDone {
    /// Its id.
    pub revision: String,
    /// Which way it was running.
    pub direction: Direction,
    /// How many statements of it completed.
    pub statements_done: usize,
    /// The database's error for the statement that failed; `None` when the run was
    /// interrupted.
    pub error: Option<String>,
}

/// An applied revision and when: [`Current::applied_at`].
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct AppliedAt {
    /// Its id.
    pub revision: String,
    /// When it was applied (or stamped), RFC 3339 in UTC, as the database recorded it.
    pub at: String,
}

/// Where a database is: [`Migrator::current`](crate::Migrator::current).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Current {
    /// Whether the database exists: `false` for a SQLite file not made yet (nothing
    /// is applied there, and reading it did not make it).
    pub exists: bool,
    /// Every applied revision, sorted by id.
    pub applied: Vec<String>,
    /// Every applied revision with the time it was applied, in the order the
    /// database lists them (oldest first).
    pub applied_at: Vec<AppliedAt>,
    /// The applied revisions no other applied revision revises: the database's
    /// position on each branch. Empty at base.
    pub current_heads: Vec<String>,
    /// Applied revisions none of the migrations is (a newer program ran, or a file
    /// was removed).
    pub unknown: Vec<String>,
    /// A revision stopped half way, if any.
    pub half_done: Option<HalfDone>,
    /// Whether every revision of the migrations is applied and none is half done.
    pub at_head: bool,
}

/// What [`Migrator::check`](crate::Migrator::check) found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct CheckReport {
    /// Every problem, in the order they were found; empty when the database is at
    /// head and matches its migrations.
    pub problems: Vec<Problem>,
    /// Statements of the migrations the model does not follow, so the comparison
    /// cannot see what they did.
    pub warnings: Vec<String>,
}

impl CheckReport {
    /// Whether the database is at head, matches the schema its migrations make, and
    /// no applied revision changed since.
    pub fn is_ok(&self) -> bool {
        self.problems.is_empty()
    }
}

/// One thing [`Migrator::check`](crate::Migrator::check) found wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Problem {
    /// The migrations have more than one head: two branches to merge.
    MultipleHeads {
        /// The heads, sorted by id.
        heads: Vec<String>,
    },
    /// The SQLite database file does not exist yet.
    NoDatabase,
    /// The database has a revision applied that none of the migrations is.
    UnknownApplied {
        /// Its id.
        revision: String,
    },
    /// A revision is half done.
    HalfDone(HalfDone),
    /// Revisions of the migrations not applied.
    Pending {
        /// Their ids, sorted.
        revisions: Vec<String>,
    },
    /// A revision's file is not the one that was applied (its checksum differs).
    Changed {
        /// Its id.
        revision: String,
        /// Its file.
        file: String,
    },
    /// The database's schema is not the one its applied revisions make.
    #[non_exhaustive]
    Drift {
        /// What differs, as `add column `t`.`c``, `table `t`: STRICT in the
        /// migrations, not in the database`.
        difference: String,
        /// Whether the database has something the migrations do not make, lacks
        /// something they make, or has it otherwise.
        kind: ChangeKind,
    },
}

/// Which way a difference goes, read from the migrations to the database: the `+`,
/// `-` or `~` of a diff.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ChangeKind {
    /// The database has an object (a table, column, index, constraint, enum type or
    /// value) the migrations do not make.
    Added,
    /// The database lacks an object the migrations make.
    Removed,
    /// An object is on both sides, but not alike (a type, a default, an option).
    Changed,
}

impl ChangeKind {
    /// What `op` does, read as turning the first schema of a diff into the second
    /// (for drift, the migrations' schema into the database's). For the command line,
    /// which signs `migrate`'s changes the same way.
    #[doc(hidden)]
    pub fn of(op: &wildebeest_schema::Op) -> ChangeKind {
        use wildebeest_schema::Op;
        match op {
            Op::CreateTable(_)
            | Op::AddColumn { .. }
            | Op::AddConstraint { .. }
            | Op::CreateIndex(_)
            | Op::CreateEnum { .. }
            | Op::AddEnumValue { .. }
            | Op::CreateView(_)
            | Op::CreateExtension(_)
            | Op::CreateRoutine(_)
            | Op::CreateTrigger(_)
            | Op::CreatePolicy(_)
            | Op::CreateRule(_)
            | Op::CreateDomain(_)
            | Op::CreateType(_)
            | Op::CreateSequence(_) => ChangeKind::Added,
            Op::DropTable(_)
            | Op::DropColumn { .. }
            | Op::DropConstraint { .. }
            | Op::DropIndex(_)
            | Op::DropEnum { .. }
            | Op::DropEnumValue { .. }
            | Op::DropView(_)
            | Op::DropExtension(_)
            | Op::DropRoutine(_)
            | Op::DropTrigger(_)
            | Op::DropPolicy(_)
            | Op::DropRule(_)
            | Op::DropDomain(_)
            | Op::DropType(_)
            | Op::DropSequence(_) => ChangeKind::Removed,
            // Listed one by one, so that a new kind of op is placed here on purpose.
            Op::RenameTable { .. }
            | Op::RenameColumn { .. }
            | Op::AlterColumn { .. }
            | Op::AlterTableOptions { .. }
            | Op::AlterIndex { .. }
            | Op::RenameConstraint { .. }
            | Op::RenameEnum { .. }
            | Op::RenameEnumValue { .. }
            | Op::ReplaceView { .. }
            | Op::RenameView { .. }
            | Op::ReplaceRoutine { .. }
            | Op::AlterDomain { .. }
            | Op::AlterComposite { .. }
            | Op::AlterSequence { .. }
            | Op::RenameSequence { .. }
            | Op::SetComment { .. }
            | Op::AlterTrigger { .. }
            | Op::RenameTrigger { .. }
            | Op::SetRowSecurity { .. } => ChangeKind::Changed,
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Problem::MultipleHeads { heads } => {
                write!(
                    f,
                    "the migrations have {} heads: {}",
                    heads.len(),
                    heads.join(", ")
                )
            }
            Problem::NoDatabase => f.write_str("the database does not exist yet"),
            Problem::UnknownApplied { revision } => write!(
                f,
                "the database has revision {revision} applied, which none of the migrations is"
            ),
            Problem::HalfDone(h) => {
                let way = h.direction.as_str();
                write!(
                    f,
                    "revision {} is half done: its {way} stopped after statement {} ({})",
                    h.revision,
                    h.statements_done,
                    h.error.as_deref().unwrap_or("the run was interrupted")
                )
            }
            Problem::Pending { revisions } => {
                write!(
                    f,
                    "{} not applied: {}",
                    plural(revisions.len()),
                    revisions.join(", ")
                )
            }
            Problem::Changed { revision, file } => {
                write!(
                    f,
                    "{file} changed after it was applied (revision {revision})"
                )
            }
            Problem::Drift { difference, .. } => {
                write!(
                    f,
                    "the database has drifted from its migrations: {difference}"
                )
            }
        }
    }
}

fn plural(n: usize) -> String {
    if n == 1 {
        "1 revision".to_string()
    } else {
        format!("{n} revisions")
    }
}
