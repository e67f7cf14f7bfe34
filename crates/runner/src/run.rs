//! Upgrade, downgrade and stamp: planning scripts from migrations and running them.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Instant, SystemTime};

use wildebeest_revision::{GraphError, Migration, RevisionGraph, Section, Target};
use wildebeest_schema::{Op, Schema, Table};
use wildebeest_sql::{Dialect, SqlError, comment_text};

use crate::Activity;
use crate::backend::{
    Backend, BackendError, Interrupted, Operation, Partial, Record, Requirement, Script, Step,
};

/// Whether to run scripts or print them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Run against the database.
    Execute,
    /// Print the SQL that would run (`--sql`), changing nothing.
    Sql,
}

/// Why a run stopped. Every variant's message names the file, line or revision.
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    #[error(transparent)]
    Graph(#[from] GraphError),
    #[error("{0}")]
    Backend(#[from] BackendError),
    #[error(transparent)]
    Sql(#[from] SqlError),
    /// A statement of a revision failed; what became of the revision is in it.
    #[error("{0}")]
    Statement(Box<FailedStatement>),
    /// The backend cannot carry out a statement (before anything ran).
    #[error("{file}:{line}: {message}")]
    Plan {
        file: String,
        line: usize,
        message: String,
    },
    /// Statements would destroy stored data without consent; nothing ran.
    #[error(
        "{operation} stopped before {before}: it would destroy stored data.\n{}\nIf the loss is intended, put the line `-- {CONSENT_MARKER}` above each of these statements, or run again with --allow-data-loss.",
        .items.iter().map(|i| format!("  {i}")).collect::<Vec<_>>().join("\n")
    )]
    DataLoss {
        operation: &'static str,
        /// `changing anything`, or the revision refused after earlier ones of the run.
        before: String,
        items: Vec<String>,
    },
    /// Rows hold values a statement cannot convert, so the database would refuse it
    /// whatever the consent; nothing ran.
    #[error(
        "{operation} stopped before {before}: rows hold values the database cannot convert, so these statements would fail even with consent.\n{}\nUpdate or delete those rows first (by hand, or in an earlier revision), then run again.",
        .items.iter().map(|i| format!("  {i}")).collect::<Vec<_>>().join("\n")
    )]
    Unconvertible {
        operation: &'static str,
        /// As for [`RunError::DataLoss`].
        before: String,
        items: Vec<String>,
    },
    /// Statements of revisions without a transaction would fail on the stored data
    /// after the statements before them had committed; the revisions did not start.
    #[error(
        "{operation} stopped before {before}: these statements would fail half way through their revision, after the statements before them had committed (this database commits each statement on its own).\n{}\nMake the data fit first: for NULLs, UPDATE or DELETE those rows, by hand or in a statement before this one in the same revision (the database then decides).",
        .items.iter().map(|i| format!("  {i}")).collect::<Vec<_>>().join("\n")
    )]
    Unmet {
        operation: &'static str,
        /// `changing anything`, or the revision refused after earlier ones of the run.
        before: String,
        items: Vec<String>,
    },
    /// A killed run left a statement of a revision in doubt (it may have run, and the
    /// database cannot tell), or the user's word on it (`--resume-after N`,
    /// `--resume-at N`) does not fit the journal; nothing ran.
    #[error("{0}")]
    Resume(String),
    /// Writing the output failed.
    #[error("cannot write output: {0}")]
    Io(#[from] std::io::Error),
}

/// A statement of a revision that failed, and what became of the revision: rolled
/// back whole, or partly applied.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}:{line}: revision {revision} {outcome}: {message}\n    {sql}{advice}")]
pub struct FailedStatement {
    pub revision: String,
    pub file: String,
    pub line: usize,
    /// The first lines of the statement.
    pub sql: String,
    /// The database's error.
    pub message: String,
    /// What became of the revision (`failed and was rolled back, ...`).
    pub outcome: String,
    /// How to go on from a revision left partly applied; empty otherwise.
    pub advice: String,
}

/// The user's word on the statement a killed run left in doubt: statement
/// `statement` (1-based, of the half-done revision's body) ran (`--resume-after N`)
/// or did not (`--resume-at N`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Resume {
    pub statement: usize,
    pub ran: bool,
}

impl Resume {
    /// The flag that says it: `--resume-after 3`, `--resume-at 3`.
    pub fn flag(self) -> String {
        let word = if self.ran { "after" } else { "at" };
        format!("--resume-{word} {}", self.statement)
    }
}

/// One revision the run applied, undid or would have.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RevisionRun {
    pub revision: String,
    pub message: String,
    pub operation: Operation,
    pub duration_ms: u64,
}

/// What a run did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RunReport {
    pub revisions: Vec<RevisionRun>,
    /// Statements the model did not understand (they ran as written).
    pub warnings: Vec<String>,
}

/// The comment that consents to a statement's data loss, on a line of its own right
/// above the statement (or at the end of its first line).
pub const CONSENT_MARKER: &str = "wildebeest: allow-data-loss";

/// A destructive statement of a revision and how to tell whether it would destroy
/// stored data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Guard {
    /// The line of the statement in the migration file.
    pub line: usize,
    /// What the statement destroys (`Backend::loss`).
    pub loss: String,
    /// Counts what would be lost; `None` when this database cannot count it, so the
    /// statement never runs without consent.
    pub query: Option<String>,
    /// What the count is: rows of a dropped table, or rows holding a value the
    /// statement drops, does not fit, or converts.
    pub counts: Counted,
    /// The statement carries the consent marker, or the run allows data loss.
    pub consented: bool,
    /// Set when `query` counts values the database cannot convert (see
    /// [`Backend::refused_query`]): what they are. Consent does not run such a
    /// statement past them, so the guard counts whatever the consent.
    pub refused: Option<String>,
    /// An earlier revision of the same run makes the table or column the statement
    /// destroys, or converts a column of that table: a count when the run starts would
    /// not be what the statement finds, so it counts right before its revision only.
    pub recount: bool,
    /// Nothing can count what the statement destroys (`DROP SCHEMA`, PostgreSQL's
    /// `CASCADE`, a column dropped by a statement the model does not follow): without
    /// consent the run stops whatever the data.
    pub uncounted: bool,
}

/// What a statement of a revision without a transaction needs of the stored data
/// ([`Backend::requirement`]), checked before the revision starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Need {
    /// The line of the statement in the migration file.
    pub line: usize,
    pub requirement: Requirement,
    /// The table it reads: a revision of the same run before this one that reshapes
    /// it, or runs statements the model does not follow, makes a count taken before
    /// the run undecided, so it is taken again right before this revision.
    pub table: String,
}

/// A script for one revision, ready to run or print.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedRevision {
    pub revision: String,
    pub message: String,
    pub file: String,
    pub operation: Operation,
    pub script: Script,
    pub record: Record,
    /// The destructive statements and their checks.
    pub guards: Vec<Guard>,
    /// What statements need of the data (only for a revision without a transaction).
    pub needs: Vec<Need>,
    /// Tables whose rows or column names a statement of this revision may change
    /// beyond what `needs` counts: made, dropped, renamed, a column added or renamed.
    pub reshaped: BTreeSet<String>,
    /// A statement the model does not follow (an `UPDATE`, a view): it may change
    /// any data.
    pub opaque: bool,
}

/// What a run tells its progress callback ([`Runner::with_progress`]), as it happens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Progress<'r> {
    /// A revision is about to run.
    Starting {
        revision: &'r str,
        message: &'r str,
        operation: Operation,
        /// Its place in the run, from 1.
        index: usize,
        /// How many revisions the run has.
        total: usize,
        /// What it does while it runs, for a live display ([`Activity::follow`]).
        activity: &'r Activity,
    },
    /// A statement the model does not follow, found while planning the run: told
    /// before the first revision starts (the same text is in the report's warnings).
    Warning(&'r str),
    /// A half-done revision goes on after statement `after` (the statements before
    /// it committed in an earlier run).
    Resuming { revision: &'r str, after: usize },
    /// A revision ran and committed.
    Done(&'r RevisionRun),
}

/// Applies revisions of one migrations folder to one backend.
pub struct Runner<'a> {
    backend: &'a mut dyn Backend,
    migrations: BTreeMap<String, &'a Migration>,
    graph: RevisionGraph,
    /// File names in messages are shown relative to this folder.
    root: Option<PathBuf>,
    /// `--allow-data-loss`: every destructive statement is consented to.
    allow_data_loss: bool,
    /// `stamp --purge`: the version table is emptied before stamping.
    purge: bool,
    /// `--resume-after N` / `--resume-at N`.
    resume: Option<Resume>,
    /// Told of each revision as it starts and ends (not in `Mode::Sql`).
    /// A reference, not a box: a `Runner` has no destructor, so the borrows it holds
    /// end at its last use.
    progress: Option<&'a mut dyn FnMut(Progress<'_>)>,
    /// What the revision running does, told by the backend.
    activity: Activity,
}

impl<'a> Runner<'a> {
    /// Builds the revision graph (rejecting duplicate ids, missing parents, cycles).
    pub fn new(
        backend: &'a mut dyn Backend,
        migrations: &'a [Migration],
    ) -> Result<Self, RunError> {
        let graph = RevisionGraph::new(migrations)?;
        let migrations = migrations.iter().map(|m| (m.id.clone(), m)).collect();
        Ok(Runner {
            backend,
            migrations,
            graph,
            root: None,
            allow_data_loss: false,
            purge: false,
            resume: None,
            progress: None,
            activity: Activity::default(),
        })
    }

    /// The user's word on a statement a killed run left in doubt
    /// (`--resume-after N`, `--resume-at N`). A run given one must find that
    /// statement in doubt, or one the database shows ran (or did not) as the user says.
    pub fn with_resume(mut self, resume: Option<Resume>) -> Self {
        self.resume = resume;
        self
    }

    /// Consents to every destructive statement of the run (`--allow-data-loss`).
    pub fn with_allow_data_loss(mut self, allow: bool) -> Self {
        self.allow_data_loss = allow;
        self
    }

    /// Makes `stamp` empty the version table first (`stamp --purge`): every row goes,
    /// also rows of revisions no file defines, and the target's rows are written anew.
    pub fn with_purge(mut self, purge: bool) -> Self {
        self.purge = purge;
        self
    }

    /// Calls `progress` as each revision of an executed run starts and ends, for a
    /// caller that shows progress in its own way (the library's progress callback,
    /// through which the command line writes its `[n/N]` lines). The runner then
    /// writes no `Resuming`, `Applied` or `Reverted` line of its own: saying what a
    /// run does is the callback's.
    pub fn with_progress(mut self, progress: &'a mut dyn FnMut(Progress<'_>)) -> Self {
        self.progress = Some(progress);
        self
    }

    /// Shows migration files relative to `root` (the project folder) in messages.
    pub fn with_display_root(mut self, root: &Path) -> Self {
        self.root = Some(root.to_path_buf());
        self
    }

    /// The revision graph.
    pub fn graph(&self) -> &RevisionGraph {
        &self.graph
    }

    /// The backend.
    pub fn backend(&mut self) -> &mut dyn Backend {
        self.backend
    }

    /// Applies (or, in `Mode::Sql`, prints) every revision needed to reach `target`.
    pub fn upgrade(
        &mut self,
        target: &Target,
        mode: Mode,
        out: &mut dyn Write,
    ) -> Result<RunReport, RunError> {
        self.run(Operation::Upgrade, target, mode, out)
    }

    /// Undoes (or prints the undoing of) every applied revision above `target`.
    pub fn downgrade(
        &mut self,
        target: &Target,
        mode: Mode,
        out: &mut dyn Write,
    ) -> Result<RunReport, RunError> {
        self.run(Operation::Downgrade, target, mode, out)
    }

    /// Sets the version table to `target` without running any migration.
    pub fn stamp(
        &mut self,
        target: &Target,
        mode: Mode,
        out: &mut dyn Write,
    ) -> Result<RunReport, RunError> {
        // Fail on an unknown target before taking the lock.
        self.graph.stamp_set(target)?;
        let locked = self.begin(mode)?;
        let result = self.stamp_locked(target, mode, out);
        self.end(locked, result)
    }

    fn stamp_locked(
        &mut self,
        target: &Target,
        mode: Mode,
        out: &mut dyn Write,
    ) -> Result<RunReport, RunError> {
        // Rows of revisions no file defines are forgotten only when asked (`--purge`):
        // a plain stamp on a branch that lacks a colleague's file would drop its row.
        let applied = self.applied_set(!self.purge)?;
        let wanted = &if self.purge {
            self.graph.stamp_set(target)?
        } else {
            self.graph.stamp_onto(target, &applied)?
        };
        let kept = if self.purge {
            BTreeSet::new()
        } else {
            applied.clone()
        };
        let insert: Vec<(String, String)> = wanted
            .difference(&kept)
            .map(|id| (id.clone(), self.migrations[id].checksum.clone()))
            .collect();
        let delete: Vec<String> = if self.purge {
            applied.iter().cloned().collect()
        } else {
            applied.difference(wanted).cloned().collect()
        };
        let mut heads = self.graph.current_heads(wanted).into_iter();
        // One history row per head the stamp leaves current (`base` for none); the
        // comma-joined label is for messages only, never an entry's revision.
        let first = heads.next().unwrap_or_else(|| "base".to_string());
        let other_heads: Vec<String> = heads.collect();
        let label = std::iter::once(first.as_str())
            .chain(other_heads.iter().map(String::as_str))
            .collect::<Vec<_>>()
            .join(", ");
        let record = Record {
            operation: Operation::Stamp,
            revision: first,
            other_heads,
            checksum: String::new(),
            insert,
            delete,
            started_at: now(),
        };
        let mut report = RunReport::default();
        // Nothing changes: no row, no history entry (the caller says so). A revision
        // left half done is ended by any stamp, so that one still runs.
        // A purge script empties the table whatever it holds, so it is always written.
        let purge_script = self.purge && mode == Mode::Sql;
        if !purge_script
            && record.insert.is_empty()
            && record.delete.is_empty()
            && self.backend.partial()?.is_none()
        {
            return Ok(report);
        }
        match mode {
            Mode::Sql => {
                // As a script for a DBA, like `upgrade --sql START:END`: the version
                // tables first, the bookkeeping in one transaction.
                print_version_tables(
                    self.backend.caps().dialect,
                    self.backend.version_tables_sql(),
                    out,
                )?;
                writeln!(out)?;
                writeln!(out, "-- Stamp {}", comment_text(&label))?;
                writeln!(out, "BEGIN;")?;
                // Every row goes, also those of a database this script was not
                // written from (the rows read, if any, are among them); a purge
                // inserts every revision it stamps.
                let mut record = record.clone();
                if let Some(sql) = self.backend.purge_sql().filter(|_| self.purge) {
                    writeln!(out, "{sql};")?;
                    record.delete.clear();
                }
                for sql in self.backend.record_sql(&record) {
                    writeln!(out, "{sql};")?;
                }
                writeln!(out, "COMMIT;")?;
                report.revisions.push(RevisionRun {
                    revision: label,
                    message: format!("stamped {}", describe_target(target)),
                    operation: Operation::Stamp,
                    duration_ms: 0,
                });
            }
            Mode::Execute => {
                let started = Instant::now();
                self.backend
                    .execute(&Script::default(), &record, &self.activity)?;
                report.revisions.push(RevisionRun {
                    revision: label,
                    message: format!("stamped {}", describe_target(target)),
                    operation: Operation::Stamp,
                    duration_ms: started.elapsed().as_millis() as u64,
                });
            }
        }
        Ok(report)
    }

    /// Prints the whole script of an upgrade or downgrade to `target` from a state
    /// given instead of read from the database (`upgrade --sql START:END`): `applied`
    /// is START's applied set and `schema` the schema it has (the caller replays the
    /// migrations through the model). The script starts with the version tables'
    /// `CREATE TABLE IF NOT EXISTS` and records every revision, so a DBA can run it as
    /// it is. Nothing is read from or run against the backend, which only plans.
    pub fn offline_script(
        &mut self,
        operation: Operation,
        applied: &BTreeSet<String>,
        schema: Schema,
        target: &Target,
        out: &mut dyn Write,
    ) -> Result<RunReport, RunError> {
        let unknown: Vec<String> = applied
            .iter()
            .filter(|id| !self.migrations.contains_key(*id))
            .cloned()
            .collect();
        if !unknown.is_empty() {
            return Err(GraphError::UnknownApplied { ids: unknown }.into());
        }
        let ids = match operation {
            Operation::Downgrade => self.graph.downgrade_plan(applied, target)?,
            _ => self.graph.upgrade_plan(applied, target)?,
        };
        print_version_tables(
            self.backend.caps().dialect,
            self.backend.version_tables_sql(),
            out,
        )?;
        writeln!(out)?;
        self.backend.start_plan();
        if self.backend.plans_follow_history() {
            // The backend sees every statement that made START (the model is the
            // caller's replay; these plans and their warnings are not shown again).
            self.replay(applied)?;
        }
        let mut schema = schema;
        let mut report = RunReport::default();
        let planned = self.plan_all(&ids, operation, &mut schema, &mut report.warnings)?;
        let guarded = planned
            .iter()
            .flat_map(|p| &p.guards)
            .any(|g| !g.consented || g.refused.is_some());
        if guarded {
            writeln!(
                out,
                "-- Nothing in this script enforces the data-loss guards below: run each guard's query first.\n"
            )?;
        }
        for p in &planned {
            print_planned(
                p,
                self.backend.record_sql(&p.record),
                self.backend.caps().dialect,
                out,
            )?;
            report.revisions.push(RevisionRun {
                revision: p.revision.clone(),
                message: p.message.clone(),
                operation,
                duration_ms: 0,
            });
        }
        Ok(report)
    }

    fn run(
        &mut self,
        operation: Operation,
        target: &Target,
        mode: Mode,
        out: &mut dyn Write,
    ) -> Result<RunReport, RunError> {
        let locked = self.begin(mode)?;
        let result = self.run_locked(operation, target, mode, out);
        self.end(locked, result)
    }

    /// Takes the lock and makes sure the version tables exist (not in `Mode::Sql`).
    fn begin(&mut self, mode: Mode) -> Result<bool, RunError> {
        if mode == Mode::Sql {
            return Ok(false);
        }
        self.backend.lock()?;
        if let Err(e) = self.backend.ensure_version_tables() {
            let _ = self.backend.unlock();
            return Err(e.into());
        }
        Ok(true)
    }

    /// Releases the lock on every path; an unlock failure is reported only when the
    /// run itself succeeded.
    fn end(
        &mut self,
        locked: bool,
        result: Result<RunReport, RunError>,
    ) -> Result<RunReport, RunError> {
        if !locked {
            return result;
        }
        let unlocked = self.backend.unlock();
        match (result, unlocked) {
            (Ok(report), Ok(())) => Ok(report),
            (Ok(_), Err(e)) => Err(e.into()),
            (Err(e), _) => Err(e),
        }
    }

    fn applied_set(&mut self, check_known: bool) -> Result<BTreeSet<String>, RunError> {
        let applied: BTreeSet<String> = self.backend.applied_ids()?.into_iter().collect();
        if check_known {
            let unknown: Vec<String> = applied
                .iter()
                .filter(|id| !self.migrations.contains_key(*id))
                .cloned()
                .collect();
            if !unknown.is_empty() {
                return Err(GraphError::UnknownApplied { ids: unknown }.into());
            }
        }
        Ok(applied)
    }

    fn run_locked(
        &mut self,
        operation: Operation,
        target: &Target,
        mode: Mode,
        out: &mut dyn Write,
    ) -> Result<RunReport, RunError> {
        let applied = self.applied_set(true)?;
        let ids = match operation {
            Operation::Downgrade => self.graph.downgrade_plan(&applied, target)?,
            _ => self.graph.upgrade_plan(&applied, target)?,
        };
        // A revision left half done comes first: a run that would not start with it
        // (or has nothing to do, as an upgrade after a downgrade that stopped) is
        // refused, since the database is at no revision the version table names.
        let partial = match mode {
            Mode::Execute => self.backend.partial()?,
            Mode::Sql => None,
        };
        if let Some(partial) = &partial {
            let first = ids.first().map(String::as_str);
            if first != Some(partial.revision.as_str()) || operation != partial.operation {
                return Err(RunError::Backend(BackendError::new(half_done(partial))));
            }
        }
        if let (Some(resume), None) = (self.resume, &partial) {
            return Err(RunError::Resume(format!(
                "{} was given, but no revision is half done{}; nothing was run",
                resume.flag(),
                if mode == Mode::Sql {
                    " (`--sql` reads no journal)"
                } else {
                    ""
                }
            )));
        }
        let mut report = RunReport::default();
        if ids.is_empty() {
            return Ok(report);
        }
        let mut schema = match &partial {
            // The half-done revision was planned against the database before it
            // began; the database now holds part of it, and planned against that, the
            // steps that ran would read differently (a statement translated for the
            // database, or one of several it became, now runs as written or not at
            // all). Planned from the applied revisions instead, they read as they did.
            Some(_) => {
                self.backend.start_plan();
                self.replay(&applied)?
            }
            None => {
                let mut schema = self.backend.inspect()?;
                self.recover_enums(&mut schema, &applied);
                self.backend.start_plan();
                schema
            }
        };
        let mut planned = self.plan_all(&ids, operation, &mut schema, &mut report.warnings)?;
        if mode == Mode::Execute
            && let Some(progress) = &mut self.progress
        {
            for w in &report.warnings {
                progress(Progress::Warning(w));
            }
        }
        if mode == Mode::Sql {
            // A script a DBA can run as it is, also on a database that has never seen
            // wildebeest: the version tables first, as `offline_script` and `stamp`
            // print them.
            print_version_tables(
                self.backend.caps().dialect,
                self.backend.version_tables_sql(),
                out,
            )?;
            writeln!(out)?;
            for p in &planned {
                print_planned(
                    p,
                    self.backend.record_sql(&p.record),
                    self.backend.caps().dialect,
                    out,
                )?;
                report.revisions.push(RevisionRun {
                    revision: p.revision.clone(),
                    message: p.message.clone(),
                    operation,
                    duration_ms: 0,
                });
            }
            return Ok(report);
        }
        // A revision that stopped half way (MySQL commits DDL statement by statement)
        // resumes after its last completed statement, and nothing else runs before it.
        // The steps its earlier run completed, for messages.
        let mut resumed = Vec::new();
        if let Some(partial) = partial {
            let first = &mut planned[0];
            let done = partial.steps_done.min(first.script.body.len());
            resumed = first.script.body.drain(..done).collect::<Vec<_>>();
            first.script.ran = resumed.iter().map(|s| s.sql.clone()).collect();
            first.script.first_step = done;
            let verdict = self.backend.interrupted(&first.script, &first.record)?;
            let ran = self.interrupted_ran(&planned[0], verdict)?;
            let first = &mut planned[0];
            first.script.interrupted_ran = ran;
            let after = done + usize::from(ran == Some(true));
            match &mut self.progress {
                Some(progress) => progress(Progress::Resuming {
                    revision: &first.revision,
                    after,
                }),
                None => writeln!(out, "Resuming {} after statement {after}", first.revision)?,
            }
        }
        // Before changing anything: would a destructive statement destroy stored data?
        // Every count at once, so a server answers them in a few round trips.
        let (items, mut recheck) = self.losses(planned.iter(), true)?;
        if let Some(e) = loss_error(operation, "changing anything".to_string(), items) {
            return Err(e);
        }
        // A statement the model does not follow (an INSERT, say) may put rows where a
        // later revision of the run destroys them: count those again when they come.
        let mut opaque = false;
        for (p, again) in planned.iter().zip(recheck.iter_mut()) {
            *again |= opaque && !unconsented(p).is_empty();
            opaque |= p.opaque;
        }
        // Nor start a revision without a transaction whose statement would fail on the
        // stored data after the ones before it committed (MySQL: NULLs in a column
        // becoming NOT NULL).
        let (items, recheck_needs) = self.unmet(&planned)?;
        if !items.is_empty() {
            return Err(RunError::Unmet {
                operation: operation.as_str(),
                before: "changing anything".to_string(),
                items,
            });
        }
        let total = planned.len();
        for (index, ((p, recheck), recheck_needs)) in
            planned.iter().zip(recheck).zip(recheck_needs).enumerate()
        {
            // Earlier revisions of this run may have changed what the count reads.
            let before = || {
                if report.revisions.is_empty() {
                    "changing anything".to_string()
                } else {
                    format!(
                        "revision {} (the revisions before it in this run are applied)",
                        p.revision
                    )
                }
            };
            if recheck_needs {
                let (items, _) = self.unmet(std::slice::from_ref(p))?;
                if !items.is_empty() {
                    let before = before();
                    return Err(RunError::Unmet {
                        operation: operation.as_str(),
                        before,
                        items,
                    });
                }
            }
            // A table made earlier in this run may hold data by now: check again.
            if recheck {
                let (items, _) = self.losses(std::iter::once(p), false)?;
                if let Some(e) = loss_error(operation, before(), items) {
                    return Err(e);
                }
            }
            if let Some(progress) = &mut self.progress {
                progress(Progress::Starting {
                    revision: &p.revision,
                    message: &p.message,
                    operation,
                    index: index + 1,
                    total,
                    activity: &self.activity,
                });
            }
            let started = Instant::now();
            self.activity.clear();
            let executed = self.backend.execute(&p.script, &p.record, &self.activity);
            self.activity.clear();
            if let Err(e) = executed {
                let before: &[Step] = if p.script.first_step > 0 {
                    &resumed
                } else {
                    &[]
                };
                return Err(self.statement_error(p, before, e));
            }
            let run = RevisionRun {
                revision: p.revision.clone(),
                message: p.message.clone(),
                operation,
                duration_ms: started.elapsed().as_millis() as u64,
            };
            match &mut self.progress {
                Some(progress) => progress(Progress::Done(&run)),
                None => {
                    let verb = if operation == Operation::Upgrade {
                        "Applied"
                    } else {
                        "Reverted"
                    };
                    writeln!(
                        out,
                        "{verb} {}  {} ({} ms)",
                        run.revision, run.message, run.duration_ms
                    )?;
                }
            }
            report.revisions.push(run);
        }
        Ok(report)
    }

    /// What the unconsented destructive statements of the `planned` revisions would
    /// destroy now (counted together), and for each revision whether one of them reads
    /// a table or column that does not exist yet.
    ///
    /// When the run starts (`up_front`), a guard whose count only means something
    /// right before its revision (see [`Guard::recount`]) is left for then, and its
    /// revision is one to count again.
    fn losses<'p>(
        &mut self,
        planned: impl Iterator<Item = &'p PlannedRevision>,
        up_front: bool,
    ) -> Result<(Vec<Finding>, Vec<bool>), RunError> {
        let mut later = Vec::new();
        let planned: Vec<&PlannedRevision> = planned.collect();
        let guards: Vec<(&PlannedRevision, Vec<(&Guard, &str)>)> = planned
            .iter()
            .map(|&p| {
                let mut guards = unconsented(p);
                let before = guards.len();
                if up_front {
                    guards.retain(|(g, _)| !g.recount);
                }
                later.push(guards.len() < before);
                (p, guards)
            })
            .collect();
        let queries: Vec<&str> = guards
            .iter()
            .flat_map(|(_, g)| g.iter().map(|&(_, q)| q))
            .collect();
        let mut counts = match self.backend.counts(&queries) {
            Ok(counts) => counts.into_iter(),
            Err(e) => return Err(self.count_failure(&guards, e)),
        };
        let mut items = Vec::new();
        let mut unknown = Vec::with_capacity(guards.len());
        // A loss this database cannot count is refused without consent: fail closed,
        // never assume nothing is lost.
        for p in &planned {
            for g in uncountable(p) {
                items.push((false, uncountable_item(p, g)));
            }
        }
        for ((p, guards), later) in guards.iter().zip(later) {
            let mut any_unknown = later;
            for &(g, _) in guards {
                match counts.next().flatten() {
                    Some(0) => {}
                    Some(n) => items.push((g.refused.is_some(), loss_item(p, g, n))),
                    None => any_unknown = true,
                }
            }
            unknown.push(any_unknown);
        }
        Ok((items, unknown))
    }

    /// The error for counts of `guards` that failed together with `e`: the statement
    /// whose count fails (by file and line), which must not run uncounted; the
    /// backend's error when none fails on its own.
    fn count_failure(
        &mut self,
        guards: &[(&PlannedRevision, Vec<(&Guard, &str)>)],
        e: BackendError,
    ) -> RunError {
        for (p, guards) in guards {
            for &(g, query) in guards {
                let Err(failed) = self.backend.count(query) else {
                    continue;
                };
                let way_out = if g.refused.is_some() {
                    "correct the statement or the rows it reads"
                } else {
                    "correct the statement, or consent to the loss (the line \
                     `-- wildebeest: allow-data-loss` above it, or --allow-data-loss), which \
                     runs it uncounted"
                };
                return RunError::Plan {
                    file: p.file.clone(),
                    line: g.line,
                    message: format!(
                        "(revision {}) {}; the count that guards it failed, so nothing ran: {}. To go on, {way_out}.",
                        p.revision, g.loss, failed.message
                    ),
                };
            }
        }
        RunError::Backend(e)
    }

    /// What the needs of `planned` (revisions in the order they run) find unmet now,
    /// counted together; and for each revision whether to count again right before it
    /// runs: a table a count read did not exist yet, or an earlier revision of the run
    /// reshapes the table or runs statements the model does not follow, so that the
    /// count now decides nothing.
    fn unmet(&mut self, planned: &[PlannedRevision]) -> Result<(Vec<String>, Vec<bool>), RunError> {
        let queries: Vec<&str> = planned
            .iter()
            .flat_map(|p| p.needs.iter().map(|n| n.requirement.query.as_str()))
            .collect();
        if queries.is_empty() {
            return Ok((Vec::new(), vec![false; planned.len()]));
        }
        let mut counts = self.backend.counts(&queries)?.into_iter();
        let mut items = Vec::new();
        let mut recheck = Vec::with_capacity(planned.len());
        let mut opaque = false;
        let mut reshaped: BTreeSet<&str> = BTreeSet::new();
        for p in planned {
            let mut again = false;
            for n in &p.needs {
                let decided = !opaque && !reshaped.contains(n.table.as_str());
                match counts.next().flatten() {
                    Some(0) if decided => {}
                    Some(count) if decided => items.push(need_item(p, n, count)),
                    _ => again = true,
                }
            }
            recheck.push(again);
            opaque |= p.opaque;
            reshaped.extend(p.reshaped.iter().map(String::as_str));
        }
        Ok((items, recheck))
    }

    /// Whether the statement a killed run was running when it stopped (the first of
    /// `p`, a resumed revision) ran: as the backend tells (`verdict`), or where it
    /// cannot, as the user says (`--resume-after N`, `--resume-at N`); without the
    /// user's word an unknown one stops the run, naming the statement and the flags.
    fn interrupted_ran(
        &self,
        p: &PlannedRevision,
        verdict: Option<Interrupted>,
    ) -> Result<Option<bool>, RunError> {
        let number = p.script.first_step + 1;
        let step = p.script.body.first();
        let at = format!("{}:{}", p.file, step.and_then(|s| s.line).unwrap_or(0));
        let sql = step.map_or_else(String::new, |s| first_lines(&s.sql));
        let rev = &p.revision;
        let verb = p.operation.as_str();
        let Some(verdict) = verdict else {
            return match self.resume {
                None => Ok(None),
                Some(r) => Err(RunError::Resume(format!(
                    "{} was given, but no statement of revision {rev} is in doubt: its {verb} stopped after statement {} completed, or on an error, and resumes at statement {number} ({at}) by itself. Run it again without {}; nothing was run",
                    r.flag(),
                    p.script.first_step,
                    r.flag()
                ))),
            };
        };
        if let Some(r) = self.resume
            && r.statement != number
        {
            return Err(RunError::Resume(format!(
                "{} was given, but the statement of revision {rev} in doubt is statement {number} ({at}), not {}; nothing was run",
                r.flag(),
                r.statement
            )));
        }
        let known = |ran: bool| match self.resume {
            Some(r) if r.ran != ran => Err(RunError::Resume(format!(
                "{} was given, but statement {number} of revision {rev} ({at}) {}: the database shows it; run again without {}; nothing was run\n    {sql}",
                r.flag(),
                if ran { "ran" } else { "did not run" },
                r.flag()
            ))),
            _ => Ok(Some(ran)),
        };
        match verdict {
            Interrupted::Ran => known(true),
            Interrupted::NotRun => known(false),
            Interrupted::Broken { what } => {
                let again = self.again(p);
                Err(RunError::Resume(format!(
                    "{at}: revision {rev} was interrupted while statement {number} of its {verb} \
                     was running, and it left {what}, then run `{again}`, which runs the \
                     statement again; nothing was run.\n    {sql}"
                )))
            }
            Interrupted::Unknown { .. } if self.resume.is_some() => Ok(self.resume.map(|r| r.ran)),
            Interrupted::Unknown { why } => {
                let again = self.again(p);
                Err(RunError::Resume(format!(
                    "{at}: revision {rev} was interrupted while statement {number} of its {verb} was running, and wildebeest cannot tell whether it ran: {why}; nothing was run.\n    {sql}\nCheck the database. If the statement ran, run `{again} --resume-after {number}`; if it did not, run `{again} --resume-at {number}`."
                )))
            }
        }
    }

    /// The command that resumes the half-done revision `p`: `wildebeest upgrade REV`,
    /// or the downgrade to its parent when that undoes just it.
    fn again(&self, p: &PlannedRevision) -> String {
        let rev = &p.revision;
        if p.operation != Operation::Downgrade {
            return format!("wildebeest upgrade {rev}");
        }
        match self.graph.parents(rev).as_slice() {
            [] => "wildebeest downgrade base".to_string(),
            [one] if self.graph.children(one) == [rev.as_str()] => {
                format!("wildebeest downgrade {one}")
            }
            _ => {
                "wildebeest downgrade TARGET (the target of the interrupted downgrade)".to_string()
            }
        }
    }

    /// The error of a revision that failed, saying what became of it. A revision in
    /// a transaction was rolled back whole: an upgrade leaves the database at the
    /// revision before it, a downgrade at the revision itself. One without (MySQL, or
    /// `-- Transaction: none`) keeps the statements before the failing one: the error
    /// names them and says how to go on. `before` are the steps an earlier run of a
    /// resumed revision completed.
    fn statement_error(&self, p: &PlannedRevision, before: &[Step], e: BackendError) -> RunError {
        let rev = &p.revision;
        let undo = p.operation == Operation::Downgrade;
        let transactional = self.backend.caps().transactional_ddl && !p.script.non_transactional;
        let step = e.step.and_then(|i| p.script.body.get(i).map(|s| (i, s)));
        let stays = if undo {
            format!("the database stays at revision {rev}")
        } else {
            "the database stays at the revision before it".to_string()
        };
        if transactional {
            return FailedStatement {
                revision: rev.clone(),
                file: p.file.clone(),
                line: step.and_then(|(_, s)| s.line).unwrap_or(0),
                sql: step.map_or_else(String::new, |(_, s)| first_lines(&s.sql)),
                message: e.message,
                outcome: format!("failed and was rolled back, {stays}"),
                advice: String::new(),
            }
            .into_error();
        }
        let verb = if undo { "downgrade" } else { "upgrade" };
        let finish = if undo {
            // `stamp P` unmarks everything that grows on P: exact only when the
            // revision is P's one child.
            match self.graph.parents(rev).as_slice() {
                [one] if self.graph.children(one) == [rev.as_str()] => {
                    format!("finish undoing it by hand and run `wildebeest stamp {one}`")
                }
                _ => "finish undoing it by hand and record where the database then is with \
                      `wildebeest stamp`"
                    .to_string(),
            }
        } else {
            format!("finish it by hand and run `wildebeest stamp {rev}`")
        };
        let Some((i, step)) = step else {
            // Not a statement of the body: before the first one or after the last.
            return RunError::Backend(BackendError::new(format!(
                "{}: revision {rev} did not finish its {verb}: {}; `wildebeest current` \
                 shows whether part of it was applied",
                p.file, e.message
            )));
        };
        let mut lines: Vec<usize> = Vec::new();
        for l in before
            .iter()
            .chain(&p.script.body[..i])
            .filter_map(|s| s.line)
        {
            if lines.last() != Some(&l) {
                lines.push(l);
            }
        }
        let (outcome, advice) = if lines.is_empty() {
            (
                format!("failed at its first statement, so none of it was applied and {stays}"),
                String::new(),
            )
        } else {
            const SHOWN: usize = 10;
            let mut named: Vec<String> = lines
                .iter()
                .take(SHOWN)
                .map(|l| format!("{}:{l}", p.file))
                .collect();
            if lines.len() > SHOWN {
                named.push(format!("and {} more", lines.len() - SHOWN));
            }
            (
                format!("failed half way through its {verb} and is partly applied"),
                format!(
                    "\n{} before this one committed and stay{} applied ({}), because \
                     each statement of this revision commits on its own. Fix the file and run the \
                     {verb} again to resume at this statement, or {finish}.",
                    if lines.len() == 1 {
                        "1 statement".to_string()
                    } else {
                        format!("{} statements", lines.len())
                    },
                    if lines.len() == 1 { "s" } else { "" },
                    named.join(", ")
                ),
            )
        };
        FailedStatement {
            revision: rev.clone(),
            file: p.file.clone(),
            line: step.line.unwrap_or(0),
            sql: first_lines(&step.sql),
            message: e.message,
            outcome,
            advice,
        }
        .into_error()
    }

    /// Gives `schema`, read from a MySQL database, the enum types of the `applied`
    /// revisions, which MySQL cannot report back (a column holds its labels itself):
    /// without them a later `ALTER TYPE ... ADD VALUE`, or a column of the type added
    /// in a later revision, meant nothing there and ran nothing. The types come from
    /// replaying the applied revisions; a column becomes the type's again where the
    /// database holds exactly what the type's labels make of it.
    fn recover_enums(&self, schema: &mut Schema, applied: &BTreeSet<String>) {
        if self.backend.caps().dialect != Dialect::Mysql || !schema.enums.is_empty() {
            return;
        }
        let declares = |id: &String| {
            self.migrations
                .get(id)
                .is_some_and(|m| contains_ignore_case(&m.upgrade.text, "create type"))
        };
        if !applied.iter().any(declares) {
            return;
        }
        let mut replayed = Schema::new();
        for id in self.graph.topo_order() {
            let Some(m) = self.migrations.get(id).filter(|_| applied.contains(id)) else {
                continue;
            };
            let dialect = match m.headers.get("dialect") {
                None => Dialect::Mysql,
                Some(name) => match Dialect::parse(name) {
                    Some(d) => d,
                    None => continue,
                },
            };
            let file = m.path.display().to_string();
            let Ok((statements, _)) =
                wildebeest_sql::parse_statements(&m.upgrade.text, &file, dialect)
            else {
                continue;
            };
            for change in statements.iter().filter_map(|st| st.change.as_ref()) {
                // A statement the model cannot follow leaves it as it was.
                let _ = change.apply(&mut replayed);
            }
        }
        if replayed.enums.is_empty() {
            return;
        }
        let stored = self.backend.canonical(&replayed);
        for (name, table) in &replayed.tables {
            let (Some(mut found), Some(stored)) =
                (schema.tables.get_mut(name), stored.tables.get(name))
            else {
                continue;
            };
            for column in table.columns.iter().filter(|c| c.ty.enum_name().is_some()) {
                let as_stored = stored.columns.iter().find(|c| c.name == column.name);
                if let (Some(as_stored), Some(found)) = (
                    as_stored,
                    found.columns.iter_mut().find(|c| c.name == column.name),
                ) && found.ty == as_stored.ty
                {
                    found.ty = column.ty.clone();
                }
            }
        }
        for (name, labels) in replayed.enums {
            schema.enums.entry(name).or_insert(labels);
        }
    }

    /// The revisions `ids` of one run, in order, each planned against `schema` as the
    /// ones before it leave it.
    fn plan_all(
        &self,
        ids: &[String],
        operation: Operation,
        schema: &mut Schema,
        warnings: &mut Vec<String>,
    ) -> Result<Vec<PlannedRevision>, RunError> {
        let mut names = RunNames::default();
        ids.iter()
            .map(|id| self.plan_revision(id, operation, schema, &mut names, warnings))
            .collect()
    }

    /// The schema the `applied` revisions make, planned one by one from an empty
    /// database (so that a backend following history sees them), plans and warnings
    /// not kept.
    fn replay(&self, applied: &BTreeSet<String>) -> Result<Schema, RunError> {
        let mut replayed = Schema::new();
        let made: Vec<String> = self
            .graph
            .topo_order()
            .into_iter()
            .filter(|id| applied.contains(*id))
            .map(str::to_string)
            .collect();
        self.plan_all(&made, Operation::Upgrade, &mut replayed, &mut Vec::new())?;
        Ok(replayed)
    }

    /// Builds the script of one revision and advances `schema` past it; `run` is what
    /// the revisions before it in the run did to names, and gets this one's.
    fn plan_revision(
        &self,
        id: &str,
        operation: Operation,
        schema: &mut Schema,
        run: &mut RunNames,
        warnings: &mut Vec<String>,
    ) -> Result<PlannedRevision, RunError> {
        let migration = self.migrations[id];
        let path = &migration.path;
        let file = match &self.root {
            Some(root) => path
                .strip_prefix(root)
                .unwrap_or(path)
                .display()
                .to_string(),
            None => path.display().to_string(),
        };
        let section: &Section = match operation {
            Operation::Downgrade => &migration.downgrade,
            _ => &migration.upgrade,
        };
        let target = self.backend.caps().dialect;
        let source = match migration.headers.get("dialect") {
            None => target,
            Some(name) => Dialect::parse(name).ok_or_else(|| RunError::Plan {
                file: file.clone(),
                line: 1,
                message: format!(
                    "unknown dialect `{name}` in the `-- Dialect:` header (sqlite, postgresql or mysql)"
                ),
            })?,
        };
        let dialect = source;
        // The other section must at least split: a downgrade that cannot run is found
        // when the upgrade is applied, not when it is needed.
        let other = match operation {
            Operation::Downgrade => &migration.upgrade,
            _ => &migration.downgrade,
        };
        wildebeest_sql::try_split_statements(&other.text, &file, dialect)
            .map_err(|e| shift_sql_error(e, other.first_line))?;
        let (statements, parse_warnings) =
            wildebeest_sql::parse_statements(&section.text, &file, dialect)
                .map_err(|e| shift_sql_error(e, section.first_line))?;
        for w in parse_warnings {
            let mut message = w.message;
            if source != target {
                message.push_str(&format!(
                    " (the file is written for {}, the database is {})",
                    source.name(),
                    target.name()
                ));
            }
            warnings.push(format!(
                "{file}:{}: {message}",
                section.first_line + w.line - 1
            ));
        }
        // `-- Transaction: none` (PostgreSQL `CREATE INDEX CONCURRENTLY`): each
        // statement on its own, with progress recorded.
        let mut script = Script {
            non_transactional: migration
                .headers
                .get("transaction")
                .is_some_and(|v| v.trim().eq_ignore_ascii_case("none")),
            ..Script::default()
        };
        let mut guards = Vec::new();
        // Without a transaction, a statement that fails leaves the ones before it
        // applied: what can be known to fail is checked before the revision starts.
        let unguarded = !self.backend.caps().transactional_ddl || script.non_transactional;
        let mut needs = Vec::new();
        let mut reshaped = BTreeSet::new();
        let mut opaque = false;
        // The renames so far in this revision: a guard counts before the revision
        // starts, so it names tables and columns as they were then.
        let mut renames: Vec<Op> = Vec::new();
        // What this revision does to names, for the revisions after it in the run.
        let mut made = RunNames::default();
        for statement in &statements {
            let line = section.first_line + statement.line - 1;
            // Resolved on the model as it is (which `resolve_mut` leaves unchanged), so
            // that the backend plans against the schema before the statement; the ops
            // are applied in place after that. No copy of the schema per statement.
            let resolved = match &statement.change {
                None => Ok(Vec::new()),
                Some(change) => change.resolve_mut(schema),
            };
            let ops = match resolved {
                Ok(ops) => ops,
                Err(e) => {
                    warnings.push(format!(
                        "{file}:{line}: {e}; the statement runs as written and the model does not follow it"
                    ));
                    Vec::new()
                }
            };
            for op in ops.iter().filter(|_| unguarded && !opaque) {
                let Some(requirement) = self.backend.requirement(op) else {
                    continue;
                };
                // The count reads the table as it is before the revision: not when an
                // earlier statement of it made, dropped or renamed the table or its
                // columns (ADD then MODIFY is left to the database).
                let table = op.table().to_string();
                if !reshaped.contains(&table) {
                    needs.push(Need {
                        line,
                        requirement,
                        table,
                    });
                }
            }
            if ops.is_empty() {
                opaque = true;
            }
            for op in &ops {
                match op {
                    Op::CreateTable(t) | Op::DropTable(t) => {
                        reshaped.insert(t.name.clone());
                    }
                    Op::RenameTable { from, to } => {
                        reshaped.insert(from.clone());
                        reshaped.insert(to.clone());
                    }
                    Op::AddColumn { table, .. } | Op::RenameColumn { table, .. } => {
                        reshaped.insert(table.clone());
                    }
                    _ => {}
                }
            }
            // Each op against the schema before it (the statement's earlier ops
            // applied to a copy only when there are several).
            let mut before = std::borrow::Cow::Borrowed(&*schema);
            for (i, op) in ops.iter().enumerate() {
                let loss = self.backend.loss(op, &before);
                // An op the backend finds lossless here may still hold values the
                // database refuses to convert (MySQL: an inline `ENUM` becoming an enum
                // type without some of its labels).
                let marked = op.data_loss();
                if loss.is_some() || marked.is_some() {
                    let (start, recount) = at_start(op, &before, &renames, run);
                    let (op, before) = match &start {
                        Some((op, schema)) => (op, schema),
                        None => (op, &*before),
                    };
                    let refusal = self.backend.refused_query(op, before);
                    // Counted under the names the run starts with.
                    let query = match (&loss, &start) {
                        (None, _) => None,
                        (Some(_), Some((op, schema))) => {
                            self.backend.loss(op, schema).and_then(|l| l.query)
                        }
                        (Some(l), None) => l.query.clone(),
                    };
                    let consented =
                        self.allow_data_loss || has_consent(&section.text, statement.line);
                    let what = loss
                        .as_ref()
                        .map(|l| l.what.clone())
                        .or(marked)
                        .unwrap_or_default();
                    // What the database refuses, consent or not; and apart from it,
                    // what it would convert and change, which needs consent (MySQL: a
                    // date out of `TIMESTAMP`'s range fails, one in it gains a time).
                    if let Some(r) = refusal {
                        guards.push(Guard {
                            line,
                            loss: what.clone(),
                            query: Some(r.query),
                            counts: Counted::Converted,
                            consented,
                            refused: Some(r.values),
                            recount,
                            uncounted: false,
                        });
                    }
                    if loss.is_some() {
                        guards.push(Guard {
                            line,
                            loss: what,
                            query,
                            counts: Counted::of(op),
                            consented,
                            refused: None,
                            recount,
                            uncounted: false,
                        });
                    }
                }
                if matches!(
                    op,
                    Op::RenameTable { .. } | Op::RenameColumn { .. } | Op::RenameEnum { .. }
                ) {
                    renames.push(op.clone());
                }
                if i + 1 < ops.len() && op.apply(before.to_mut()).is_err() {
                    break;
                }
            }
            // What the statement destroys beyond the model's ops: the tables of a
            // `DROP TABLE a, b` or `TRUNCATE` it does not follow (counted), and what no
            // count can tell (`DROP SCHEMA`, `CASCADE`), which needs consent.
            if let Some(d) = wildebeest_sql::destroys(&statement.text, dialect, !ops.is_empty()) {
                let consented = self.allow_data_loss || has_consent(&section.text, statement.line);
                for name in &d.tables {
                    let table = schema
                        .table(name)
                        .cloned()
                        .unwrap_or_else(|| Table::new(name));
                    let op = Op::DropTable(table);
                    let (start, recount) = at_start(&op, schema, &renames, run);
                    let query = self
                        .backend
                        .loss_query(start.as_ref().map_or(&op, |(op, _)| op));
                    guards.push(Guard {
                        line,
                        loss: format!("{} table `{name}` and every row in it", d.verb),
                        uncounted: query.is_none(),
                        query,
                        counts: Counted::Rows,
                        consented,
                        refused: None,
                        recount,
                    });
                }
                if let Some(loss) = d.uncounted {
                    guards.push(Guard {
                        line,
                        loss,
                        query: None,
                        counts: Counted::Converted,
                        consented,
                        refused: None,
                        recount: false,
                        uncounted: true,
                    });
                }
            }
            let planned = self
                .backend
                .plan(schema, statement, &ops, source)
                .map_err(|e| RunError::Plan {
                    file: file.clone(),
                    line,
                    message: e.message,
                })?;
            script.body.extend(planned.sql.into_iter().map(|sql| Step {
                sql,
                line: Some(line),
            }));
            for t in planned.rebuilt_tables {
                if !script.rebuilt_tables.contains(&t) {
                    script.rebuilt_tables.push(t);
                }
            }
            // The checks run at the end of the revision: follow later renames and drops.
            for op in &ops {
                match op {
                    Op::RenameTable { from, to } => {
                        for t in &mut script.rebuilt_tables {
                            if t == from {
                                *t = to.clone();
                            }
                        }
                    }
                    Op::DropTable(table) => script.rebuilt_tables.retain(|t| t != &table.name),
                    _ => {}
                }
            }
            made.record(&ops);
            for op in &ops {
                // They applied while resolving; an error here would be a bug, reported
                // as a plan error rather than a panic.
                op.apply(schema).map_err(|e| RunError::Plan {
                    file: file.clone(),
                    line,
                    message: format!("the model cannot follow this statement: {e}"),
                })?;
            }
        }
        run.events.append(&mut made.events);
        self.backend.wrap(&mut script);
        let (insert, delete) = match operation {
            Operation::Downgrade => (Vec::new(), vec![id.to_string()]),
            _ => (
                vec![(id.to_string(), migration.checksum.clone())],
                Vec::new(),
            ),
        };
        Ok(PlannedRevision {
            revision: id.to_string(),
            message: migration.message.clone(),
            file,
            operation,
            script,
            record: Record {
                operation,
                revision: id.to_string(),
                other_heads: Vec::new(),
                checksum: migration.checksum.clone(),
                insert,
                delete,
                started_at: now(),
            },
            guards,
            needs,
            reshaped,
            opaque,
        })
    }
}

/// What the revisions of a run planned so far did to names, in order, so that a
/// guard of a later revision can count when the run starts, under the names its
/// table and column had then.
#[derive(Debug, Default)]
struct RunNames {
    events: Vec<NameEvent>,
}

#[derive(Debug)]
enum NameEvent {
    /// A table, column or enum renamed.
    Renamed(Box<Op>),
    /// A table made.
    MadeTable(String),
    /// A column added to a table.
    MadeColumn { table: String, column: String },
    /// A column of the table converted (its values may read differently).
    Converted { table: String },
}

impl RunNames {
    fn record(&mut self, ops: &[Op]) {
        for op in ops {
            self.events.push(match op {
                Op::RenameTable { .. } | Op::RenameColumn { .. } | Op::RenameEnum { .. } => {
                    NameEvent::Renamed(Box::new(op.clone()))
                }
                Op::CreateTable(t) => NameEvent::MadeTable(t.name.clone()),
                Op::AddColumn { table, column } => NameEvent::MadeColumn {
                    table: table.clone(),
                    column: column.name.clone(),
                },
                Op::AlterColumn { table, .. } => NameEvent::Converted {
                    table: table.clone(),
                },
                _ => continue,
            });
        }
    }
}

/// `op` and the schema `before` it as they were when the run started: the `renames`
/// made earlier in its revision (in order) undone, then those of the revisions before
/// it in the run (`run`). `None` when no rename touches it, or when the renames cannot
/// be undone on the model (then the names as they are now are the best there is).
/// The flag says a count at the start of the run would not be what the statement
/// finds: an earlier revision of the run makes its table or column, or converts a
/// column of its table.
fn at_start(
    op: &Op,
    before: &Schema,
    renames: &[Op],
    run: &RunNames,
) -> (Option<(Op, Schema)>, bool) {
    let mut mapped = op.clone();
    let mut undone: Vec<&Op> = Vec::new();
    for rename in renames.iter().rev() {
        undo_rename(rename, &mut mapped);
        undone.push(rename);
    }
    let mut recount = false;
    for event in run.events.iter().rev() {
        let table = mapped.table();
        match event {
            NameEvent::Renamed(rename) => {
                undo_rename(rename, &mut mapped);
                undone.push(rename);
            }
            NameEvent::MadeTable(t) if !table.is_empty() && t == table => {
                recount = true;
                break;
            }
            NameEvent::MadeColumn { table: t, column } if t == table => {
                let reads = match &mapped {
                    Op::DropColumn { column: c, .. } => &c.name == column,
                    Op::AlterColumn { from, .. } => &from.name == column,
                    _ => false,
                };
                if reads {
                    recount = true;
                    break;
                }
            }
            NameEvent::Converted { table: t } if t == table => recount = true,
            _ => {}
        }
    }
    if mapped == *op {
        return (None, recount);
    }
    let mut start = before.clone();
    for rename in undone {
        if rename.invert().apply(&mut start).is_err() {
            return (None, recount);
        }
    }
    (Some((mapped, start)), recount)
}

/// Renames in `op` what `rename` named: the name it had before the rename.
fn undo_rename(rename: &Op, op: &mut Op) {
    match rename {
        Op::RenameTable { from, to } => {
            let table = match op {
                Op::DropTable(t) => &mut t.name,
                Op::DropColumn { table, .. } | Op::AlterColumn { table, .. } => table,
                _ => return,
            };
            if table == to {
                *table = from.clone();
            }
        }
        Op::RenameColumn { table, from, to } => {
            let names: Vec<&mut String> = match op {
                Op::DropColumn { table: t, column } if t == table => vec![&mut column.name],
                Op::AlterColumn {
                    table: t,
                    from: a,
                    to: b,
                } if t == table => vec![&mut a.name, &mut b.name],
                _ => return,
            };
            for name in names.into_iter().filter(|n| *n == to) {
                *name = from.clone();
            }
        }
        Op::RenameEnum { from, to } => {
            if let Op::DropEnumValue { name, .. } = op
                && name == to
            {
                *name = from.clone();
            }
        }
        _ => {}
    }
}

/// Why nothing else runs while `partial` is half done, and how to go on.
pub fn half_done(partial: &Partial) -> String {
    let rev = &partial.revision;
    let (op, again) = match partial.operation {
        Operation::Downgrade => ("downgrade", "the same `wildebeest downgrade`".to_string()),
        _ => ("upgrade", format!("`wildebeest upgrade {rev}`")),
    };
    let cause = if partial.error.is_empty() {
        "before the run was interrupted".to_string()
    } else {
        format!("before one failed ({})", partial.error)
    };
    format!(
        "revision {rev} stopped half way through its {op}: {} of its statements committed \
         {cause}, so the database is at no revision the version table names. \
         Finish that {op} first: fix the file and run {again} again, which resumes it, or \
         finish it by hand and `wildebeest stamp` where the database then is; nothing was run",
        partial.steps_done,
    )
}

/// The guards of `p` without consent that can count what they would destroy, and
/// those counting values the database refuses, with their count queries.
fn unconsented(p: &PlannedRevision) -> Vec<(&Guard, &str)> {
    p.guards
        .iter()
        .filter(|g| !g.consented || g.refused.is_some())
        .filter_map(|g| g.query.as_deref().map(|q| (g, q)))
        .collect()
}

/// The guards of `p` without consent whose loss this database cannot count.
fn uncountable(p: &PlannedRevision) -> impl Iterator<Item = &Guard> {
    p.guards
        .iter()
        .filter(|g| !g.consented && g.query.is_none())
}

fn uncountable_item(p: &PlannedRevision, g: &Guard) -> String {
    let why = if g.uncounted {
        "it needs consent"
    } else {
        "this database cannot count the values it would change, so it runs only with consent"
    };
    format!(
        "{}:{} (revision {}): {}; {why}",
        p.file, g.line, p.revision, g.loss
    )
}

/// What a guard's count is, so that its message says exactly that.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Counted {
    /// The rows of a table the statement drops.
    Rows,
    /// The rows with a value (not NULL) in a column the statement drops.
    Values,
    /// The rows whose value does not fit a column's narrower type.
    Unfit,
    /// The rows whose value the statement converts (another character set, an enum
    /// label removed).
    Converted,
}

impl Counted {
    fn of(op: &Op) -> Counted {
        match op {
            Op::DropTable(_) => Counted::Rows,
            Op::DropColumn { .. } | Op::AlterComposite { .. } => Counted::Values,
            Op::AlterColumn { from, to, .. } if from.ty.narrows_to(&to.ty) => Counted::Unfit,
            _ => Counted::Converted,
        }
    }
}

/// What a guard found: whether the database refuses the values (see
/// [`Guard::refused`]), and the message.
type Finding = (bool, String);

/// The error for the `items` of [`Runner::losses`] (each saying whether the database
/// refuses it): values it cannot convert first, as consent would not help them.
fn loss_error(operation: Operation, before: String, items: Vec<Finding>) -> Option<RunError> {
    let operation = operation.as_str();
    let (refused, lost): (Vec<_>, Vec<_>) = items.into_iter().partition(|(r, _)| *r);
    let texts = |v: Vec<Finding>| v.into_iter().map(|(_, t)| t).collect();
    if !refused.is_empty() {
        return Some(RunError::Unconvertible {
            operation,
            before,
            items: texts(refused),
        });
    }
    if !lost.is_empty() {
        return Some(RunError::DataLoss {
            operation,
            before,
            items: texts(lost),
        });
    }
    None
}

fn loss_item(p: &PlannedRevision, g: &Guard, n: u64) -> String {
    if let Some(values) = &g.refused {
        let rows = if n == 1 {
            "1 row holds".to_string()
        } else {
            format!("{n} rows hold")
        };
        return format!(
            "{}:{} (revision {}): {}; {rows} {values}",
            p.file, g.line, p.revision, g.loss
        );
    }
    let rows = if n == 1 {
        "1 row holds".to_string()
    } else {
        format!("{n} rows hold")
    };
    let what = match g.counts {
        Counted::Rows if n == 1 => "it holds 1 row".to_string(),
        Counted::Rows => format!("it holds {n} rows"),
        Counted::Values => format!("{rows} a value (not NULL) in it"),
        Counted::Unfit => format!("{rows} a value that does not fit"),
        Counted::Converted => format!("{rows} a value it converts"),
    };
    format!(
        "{}:{} (revision {}): {}; {what}",
        p.file, g.line, p.revision, g.loss
    )
}

fn need_item(p: &PlannedRevision, n: &Need, count: u64) -> String {
    format!(
        "{}:{} (revision {}): {}; rows {}: {count}",
        p.file, n.line, p.revision, n.requirement.what, n.requirement.rows
    )
}

/// Whether the statement starting on `line` (1-based, in `section`) carries the
/// consent marker: on a comment line right above it, or at the end of its first line.
pub fn has_consent(section: &str, line: usize) -> bool {
    let lines: Vec<&str> = section.lines().collect();
    let marked = |l: &str| l.to_ascii_lowercase().contains(CONSENT_MARKER);
    let Some(first) = line.checked_sub(1).and_then(|i| lines.get(i)) else {
        return false;
    };
    if first.find("--").is_some_and(|at| marked(&first[at..])) {
        return true;
    }
    for l in lines[..line - 1].iter().rev() {
        let t = l.trim();
        if !t.starts_with("--") {
            break;
        }
        if marked(t) {
            return true;
        }
    }
    false
}

fn shift_sql_error(mut e: SqlError, first_line: usize) -> SqlError {
    e.line += first_line - 1;
    e
}

impl FailedStatement {
    /// The error, without the parts that carry nothing (no line, no SQL).
    fn into_error(self) -> RunError {
        if self.line != 0 {
            return RunError::Statement(Box::new(self));
        }
        let FailedStatement {
            revision,
            file,
            message,
            outcome,
            advice,
            ..
        } = self;
        RunError::Backend(BackendError::new(format!(
            "{file}: revision {revision} {outcome}: {message}{advice}"
        )))
    }
}

/// The first three lines of a statement, for error messages.
fn first_lines(sql: &str) -> String {
    let lines: Vec<&str> = sql.lines().collect();
    if lines.len() <= 3 {
        lines.join("\n    ")
    } else {
        format!("{}\n    ...", lines[..3].join("\n    "))
    }
}

/// The version tables' `CREATE TABLE IF NOT EXISTS`, at the top of a script.
/// The start of every script: what makes the database's own client stop at the first
/// error, then the version tables' DDL. Without the first line `sqlite3` and `psql` go
/// on after a failed statement: on SQLite a table rebuild whose copy failed would
/// still drop the old table and record the revision; on PostgreSQL the next
/// revision would run on a database without the one that failed.
fn print_version_tables(
    dialect: Dialect,
    tables: Vec<String>,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    match dialect {
        Dialect::Sqlite => writeln!(
            out,
            "-- For the sqlite3 shell: stop at the first error.\n.bail on"
        )?,
        Dialect::Postgres => writeln!(
            out,
            "-- For psql: stop at the first error.\n\\set ON_ERROR_STOP on"
        )?,
        // The mysql and mariadb clients stop at the first error unless told not to.
        Dialect::Mysql => {}
    }
    if tables.is_empty() {
        writeln!(
            out,
            "-- This backend does not provide its version tables' DDL; create them first."
        )?;
    }
    for sql in tables {
        writeln!(out, "{sql};")?;
    }
    Ok(())
}

fn print_planned(
    planned: &PlannedRevision,
    record_sql: Vec<String>,
    dialect: Dialect,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    let verb = match planned.operation {
        Operation::Downgrade => "Downgrade",
        _ => "Upgrade",
    };
    writeln!(
        out,
        "-- {verb} {}: {} ({})",
        comment_text(&planned.revision),
        comment_text(&planned.message),
        comment_text(&planned.file)
    )?;
    for sql in &planned.script.before {
        writeln!(out, "{sql};")?;
    }
    // A `-- Transaction: none` revision runs statement by statement.
    let tx = !planned.script.non_transactional;
    if tx {
        writeln!(out, "BEGIN;")?;
    } else {
        writeln!(
            out,
            "-- Transaction: none (each statement commits on its own)"
        )?;
    }
    let mut last_line = None;
    for step in &planned.script.body {
        if step.line != last_line {
            if let Some(line) = step.line {
                writeln!(out, "-- {}:{line}", comment_text(&planned.file))?;
                for g in planned.guards.iter().filter(|g| g.line == line) {
                    writeln!(out, "-- DATA LOSS: {}", comment_text(&g.loss))?;
                    let query = g.query.as_deref().map(comment_text);
                    match (&query, g.consented) {
                        (Some(q), _) if g.refused.is_some() => writeln!(
                            out,
                            "--   guard: `{q}` must find 0: the database cannot convert such values, consent or not"
                        )?,
                        (_, true) => writeln!(out, "--   consented: runs whatever the data")?,
                        (None, false) if g.uncounted => writeln!(
                            out,
                            "--   guard: nothing can count this: the run stops unless the statement has consent"
                        )?,
                        (Some(q), false) => writeln!(
                            out,
                            "--   guard: `{q}` must find 0, or the run stops before changing anything"
                        )?,
                        (None, false) => writeln!(
                            out,
                            "--   guard: none can count this loss: the run stops here without consent"
                        )?,
                    }
                }
            }
            last_line = step.line;
        }
        if dialect == Dialect::Mysql && has_bare_semicolon(&step.sql) {
            // A `BEGIN ... END` body (a trigger's, a routine's): the mysql client ends
            // a statement at each `;` unless `DELIMITER` says otherwise.
            writeln!(out, "DELIMITER ;;\n{};;\nDELIMITER ;", step.sql)?;
        } else {
            writeln!(out, "{};", step.sql)?;
        }
    }
    for sql in &planned.script.verify {
        writeln!(out, "{sql};  -- must return no rows")?;
    }
    for sql in record_sql {
        writeln!(out, "{sql};")?;
    }
    if tx {
        writeln!(out, "COMMIT;")?;
    }
    for sql in &planned.script.after {
        writeln!(out, "{sql};")?;
    }
    writeln!(out)
}

/// Whether `sql` holds a `;` outside quotes (MySQL's `'...'` and `"..."` with
/// backslash escapes, `` `...` `` without): one the mysql client would end the
/// statement at.
fn has_bare_semicolon(sql: &str) -> bool {
    let mut quote = None;
    let mut chars = sql.chars();
    while let Some(c) = chars.next() {
        match (quote, c) {
            (Some('\'' | '"'), '\\') => {
                chars.next();
            }
            (Some(q), c) if c == q => quote = None,
            (None, '\'' | '"' | '`') => quote = Some(c),
            (None, ';') => return true,
            _ => {}
        }
    }
    false
}

fn describe_target(target: &Target) -> String {
    match target {
        Target::Head => "head".into(),
        Target::Heads => "heads".into(),
        Target::Base => "base".into(),
        Target::Revision(r) => r.clone(),
        Target::Relative(n) => format!("{n:+}"),
        Target::RevisionRelative(r, n) => format!("{r}{n:+}"),
        other => other.to_string(),
    }
}

/// The current time as RFC 3339 UTC, to the second.
pub fn now() -> String {
    humantime::format_rfc3339_seconds(SystemTime::now()).to_string()
}

/// Whether `text` contains `word` (lower case ASCII), ignoring ASCII case.
fn contains_ignore_case(text: &str, word: &str) -> bool {
    text.as_bytes()
        .windows(word.len())
        .any(|w| w.eq_ignore_ascii_case(word.as_bytes()))
}
