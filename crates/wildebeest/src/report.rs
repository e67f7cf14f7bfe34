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
    Starting {
        /// Its id.
        revision: &'r str,
        /// Its `Message:` header.
        message: &'r str,
        /// Which way it runs.
        direction: Direction,
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

/// Where a database is: [`Migrator::current`](crate::Migrator::current).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Current {
    /// Every applied revision, sorted by id.
    pub applied: Vec<String>,
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
    Drift {
        /// What differs, as `add column `t`.`c``, `table `t`: STRICT in the
        /// migrations, not in the database`.
        difference: String,
    },
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
                let way = match h.direction {
                    Direction::Upgrade => "upgrade",
                    Direction::Downgrade => "downgrade",
                };
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
            Problem::Drift { difference } => {
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
