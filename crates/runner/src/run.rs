//! Upgrade, downgrade and stamp: planning scripts from migrations and running them.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Instant, SystemTime};

use wildebeest_revision::{GraphError, Migration, RevisionGraph, Section, Target};
use wildebeest_schema::{Op, Schema};
use wildebeest_sql::{SqlError, Statement};

use crate::backend::{Backend, BackendError, Operation, Record, Script, Step};

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
    /// A statement of a revision failed; the revision was rolled back whole.
    #[error(
        "{file}:{line}: revision {revision} failed and was rolled back, the database stays at the revision before it: {message}\n    {sql}"
    )]
    Statement {
        revision: String,
        file: String,
        line: usize,
        sql: String,
        message: String,
    },
    /// The backend cannot carry out a statement (before anything ran).
    #[error("{file}:{line}: {message}")]
    Plan {
        file: String,
        line: usize,
        message: String,
    },
    /// Writing the output failed.
    #[error("cannot write output: {0}")]
    Io(#[from] std::io::Error),
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

/// A script for one revision, ready to run or print.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedRevision {
    pub revision: String,
    pub message: String,
    pub file: String,
    pub operation: Operation,
    pub script: Script,
    pub record: Record,
}

/// Applies revisions of one migrations folder to one backend.
pub struct Runner<'a> {
    backend: &'a mut dyn Backend,
    migrations: BTreeMap<String, &'a Migration>,
    graph: RevisionGraph,
    /// File names in messages are shown relative to this folder.
    root: Option<PathBuf>,
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
        })
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
        let wanted = self.graph.stamp_set(target)?;
        let locked = self.begin(mode)?;
        let result = self.stamp_locked(&wanted, target, mode, out);
        self.end(locked, result)
    }

    fn stamp_locked(
        &mut self,
        wanted: &BTreeSet<String>,
        target: &Target,
        mode: Mode,
        out: &mut dyn Write,
    ) -> Result<RunReport, RunError> {
        let applied = self.applied_set(false)?;
        let insert: Vec<(String, String)> = wanted
            .difference(&applied)
            .map(|id| (id.clone(), self.migrations[id].checksum.clone()))
            .collect();
        let delete: Vec<String> = applied.difference(wanted).cloned().collect();
        let heads = self.graph.current_heads(wanted);
        let label = if heads.is_empty() {
            "base".to_string()
        } else {
            heads.join(",")
        };
        let record = Record {
            operation: Operation::Stamp,
            revision: label.clone(),
            checksum: String::new(),
            insert,
            delete,
            started_at: now(),
        };
        let mut report = RunReport::default();
        match mode {
            Mode::Sql => {
                writeln!(out, "-- Stamp {label}")?;
                for sql in self.backend.record_sql(&record) {
                    writeln!(out, "{sql};")?;
                }
            }
            Mode::Execute => {
                let started = Instant::now();
                self.backend.execute(&Script::default(), &record)?;
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
        let applied: BTreeSet<String> = self
            .backend
            .applied()?
            .into_iter()
            .map(|a| a.revision)
            .collect();
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
        let mut report = RunReport::default();
        if ids.is_empty() {
            return Ok(report);
        }
        let mut schema = self.backend.inspect()?;
        for id in &ids {
            let planned = self.plan_revision(id, operation, &mut schema, &mut report.warnings)?;
            match mode {
                Mode::Sql => {
                    print_planned(&planned, self.backend.record_sql(&planned.record), out)?
                }
                Mode::Execute => {
                    let started = Instant::now();
                    if let Err(e) = self.backend.execute(&planned.script, &planned.record) {
                        return Err(statement_error(&planned, e));
                    }
                    let run = RevisionRun {
                        revision: planned.revision.clone(),
                        message: planned.message.clone(),
                        operation,
                        duration_ms: started.elapsed().as_millis() as u64,
                    };
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
                    report.revisions.push(run);
                }
            }
        }
        Ok(report)
    }

    /// Builds the script of one revision and advances `schema` past it.
    fn plan_revision(
        &self,
        id: &str,
        operation: Operation,
        schema: &mut Schema,
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
        let dialect = self.backend.caps().dialect;
        let (statements, parse_warnings) =
            wildebeest_sql::parse_statements(&section.text, &file, dialect)
                .map_err(|e| shift_sql_error(e, section.first_line))?;
        for w in parse_warnings {
            warnings.push(format!(
                "{file}:{}: {}",
                section.first_line + w.line - 1,
                w.message
            ));
        }
        let mut script = Script::default();
        for statement in &statements {
            let line = section.first_line + statement.line - 1;
            let (ops, after) = match resolve(statement, schema) {
                Ok(resolved) => resolved,
                Err(message) => {
                    warnings.push(format!(
                        "{file}:{line}: {message}; the statement runs as written and the model does not follow it"
                    ));
                    (Vec::new(), schema.clone())
                }
            };
            let planned = self
                .backend
                .plan(schema, &after, statement, &ops)
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
            *schema = after;
        }
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
                checksum: migration.checksum.clone(),
                insert,
                delete,
                started_at: now(),
            },
        })
    }
}

/// The ops of a statement and the schema after them, or why the model cannot follow.
fn resolve(statement: &Statement, schema: &Schema) -> Result<(Vec<Op>, Schema), String> {
    let Some(change) = &statement.change else {
        return Ok((Vec::new(), schema.clone()));
    };
    let ops = change.resolve(schema).map_err(|e| e.to_string())?;
    let mut after = schema.clone();
    for op in &ops {
        op.apply(&mut after).map_err(|e| e.to_string())?;
    }
    Ok((ops, after))
}

fn shift_sql_error(mut e: SqlError, first_line: usize) -> SqlError {
    e.line += first_line - 1;
    e
}

fn statement_error(planned: &PlannedRevision, e: BackendError) -> RunError {
    match e.step.and_then(|i| planned.script.body.get(i)) {
        Some(step) => RunError::Statement {
            revision: planned.revision.clone(),
            file: planned.file.clone(),
            line: step.line.unwrap_or(0),
            sql: first_lines(&step.sql),
            message: e.message,
        },
        None => RunError::Statement {
            revision: planned.revision.clone(),
            file: planned.file.clone(),
            line: 0,
            sql: String::new(),
            message: e.message,
        },
    }
    .tidy()
}

impl RunError {
    /// Drops the parts of a statement error that carry nothing (no line, no SQL).
    fn tidy(self) -> RunError {
        match self {
            RunError::Statement {
                revision,
                file,
                line: 0,
                message,
                ..
            } => RunError::Backend(BackendError::new(format!(
                "{file}: revision {revision} failed and was rolled back, the database stays at the revision before it: {message}"
            ))),
            other => other,
        }
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

fn print_planned(
    planned: &PlannedRevision,
    record_sql: Vec<String>,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    let verb = match planned.operation {
        Operation::Downgrade => "Downgrade",
        _ => "Upgrade",
    };
    writeln!(
        out,
        "-- {verb} {}: {} ({})",
        planned.revision, planned.message, planned.file
    )?;
    for sql in &planned.script.before {
        writeln!(out, "{sql};")?;
    }
    writeln!(out, "BEGIN;")?;
    let mut last_line = None;
    for step in &planned.script.body {
        if step.line != last_line {
            if let Some(line) = step.line {
                writeln!(out, "-- {}:{line}", planned.file)?;
            }
            last_line = step.line;
        }
        writeln!(out, "{};", step.sql)?;
    }
    for sql in &planned.script.verify {
        writeln!(out, "{sql};  -- must return no rows")?;
    }
    for sql in record_sql {
        writeln!(out, "{sql};")?;
    }
    writeln!(out, "COMMIT;")?;
    for sql in &planned.script.after {
        writeln!(out, "{sql};")?;
    }
    writeln!(out)
}

fn describe_target(target: &Target) -> String {
    match target {
        Target::Head => "head".into(),
        Target::Heads => "heads".into(),
        Target::Base => "base".into(),
        Target::Revision(r) => r.clone(),
        Target::Relative(n) => format!("{n:+}"),
        Target::RevisionRelative(r, n) => format!("{r}{n:+}"),
    }
}

/// The current time as RFC 3339 UTC, to the second.
pub fn now() -> String {
    humantime::format_rfc3339_seconds(SystemTime::now()).to_string()
}
