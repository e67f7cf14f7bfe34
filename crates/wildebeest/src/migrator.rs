//! [`Migrator`]: a migrations folder, embedded or read at run time, applied to
//! databases by URL.

use std::collections::BTreeSet;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use wildebeest_revision::{Migration, RevisionGraph, Target};
use wildebeest_runner::{Backend, Mode, Operation, Runner};
use wildebeest_schema::{Hints, diff, enum_conflicts};

use crate::backends;
use crate::error::Error;
use crate::replay::{option_drift, partition_drift, replay};
use crate::report::{
    CheckReport, Current, Direction, HalfDone, Problem, Progress, Report, RevisionRun,
};
use crate::url::DatabaseUrl;

/// One migration file compiled into the program by
/// [`embed_migrations!`](crate::embed_migrations): its name and its text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EmbeddedMigration {
    name: &'static str,
    text: &'static str,
}

impl EmbeddedMigration {
    /// A migration file named `name` (no folder) whose content is `text`.
    pub const fn new(name: &'static str, text: &'static str) -> EmbeddedMigration {
        EmbeddedMigration { name, text }
    }

    /// The file's name.
    pub const fn name(&self) -> &'static str {
        self.name
    }

    /// The file's content.
    pub const fn text(&self) -> &'static str {
        self.text
    }
}

/// Where a [`Migrator`]'s migrations come from.
#[derive(Debug)]
enum Source {
    Embedded {
        folder: &'static str,
        files: &'static [EmbeddedMigration],
    },
    Dir(PathBuf),
}

/// The migrations, parsed, and their graph.
#[derive(Debug)]
struct Loaded {
    migrations: Vec<Migration>,
    graph: RevisionGraph,
}

/// A set of migrations and what can be done with them to a database: upgrade it,
/// downgrade it, say where it is, check it.
///
/// Made by [`embed_migrations!`](crate::embed_migrations) (the files compiled into
/// the program, validated at compile time, usable in a `static`) or by
/// [`Migrator::from_dir`] (a folder read at run time). Each call takes a database URL
/// (`sqlite:app.db`, `postgres://user@host/db`, `mysql://user@host/db`), connects,
/// takes the database's migration lock, and releases it on every path; calls are
/// blocking, and a `Migrator` is `Send + Sync`, so one `static` serves every thread.
/// With the `tokio` feature, the `*_async` methods run the same calls on tokio's
/// blocking pool.
///
/// The library prints nothing and never exits: what happened comes back as a
/// [`Report`], [`Current`] or [`CheckReport`], and failures as an [`Error`].
///
/// ```
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// # let tmp = tempfile::tempdir()?;
/// # let folder = tmp.path().join("migrations");
/// # std::fs::create_dir(&folder)?;
/// # std::fs::write(folder.join("20260101_000000_5b1f0c2a9e47_users.sql"),
/// #     "-- Revision: 5b1f0c2a9e47\n-- Revises:\n-- Message: users\n\n-- +upgrade\n\
/// #      CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT NULL);\n\n\
/// #      -- +downgrade\nDROP TABLE users;\n")?;
/// # let url = format!("sqlite:{}", tmp.path().join("app.db").display());
/// let migrator = wildebeest::Migrator::from_dir(&folder)?;
///
/// let report = migrator.upgrade(&url)?;
/// assert_eq!(report.revisions.len(), 1);
/// assert!(migrator.upgrade(&url)?.is_empty()); // already at head
/// assert!(migrator.check(&url)?.is_ok());
///
/// migrator.downgrade(&url, "base")?;
/// assert!(migrator.current(&url)?.applied.is_empty());
/// # Ok(()) }
/// ```
pub struct Migrator {
    source: Source,
    loaded: OnceLock<Loaded>,
}

impl fmt::Debug for Migrator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Migrator")
            .field("source", &self.source)
            .finish_non_exhaustive()
    }
}

/// How a run goes: consent to data loss, how long to wait for the lock, and who to
/// tell of each revision. Given to [`Migrator::with`].
///
/// ```
/// use std::time::Duration;
/// use wildebeest::{Options, Progress};
///
/// let options = Options::new()
///     .lock_timeout(Duration::from_secs(30))
///     .on_progress(|event| {
///         if let Progress::Done(run) = event {
///             eprintln!("applied {} in {:?}", run.revision, run.duration);
///         }
///     });
/// # let _ = options;
/// ```
#[derive(Clone, Default)]
pub struct Options {
    allow_data_loss: bool,
    lock_timeout: Option<Duration>,
    progress: Option<Arc<ProgressFn>>,
}

/// The progress callback [`Options::on_progress`] keeps.
type ProgressFn = dyn Fn(Progress<'_>) + Send + Sync;

impl fmt::Debug for Options {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Options")
            .field("allow_data_loss", &self.allow_data_loss)
            .field("lock_timeout", &self.lock_timeout)
            .field("on_progress", &self.progress.is_some())
            .finish()
    }
}

impl Options {
    /// The defaults: no consent to data loss, each backend's lock wait, no progress
    /// callback.
    pub fn new() -> Options {
        Options::default()
    }

    /// Consents to every statement that destroys stored data. Without it a run whose
    /// statements would drop rows or values (counted before anything runs) stops with
    /// [`Error::Refused`] unless each such statement carries the
    /// `-- wildebeest: allow-data-loss` comment.
    pub fn allow_data_loss(mut self, allow: bool) -> Options {
        self.allow_data_loss = allow;
        self
    }

    /// How long a run waits for another run's lock on the same database before it
    /// fails (SQLite: its busy timeout).
    pub fn lock_timeout(mut self, timeout: Duration) -> Options {
        self.lock_timeout = Some(timeout);
        self
    }

    /// Calls `progress` as each revision starts and ends.
    pub fn on_progress(
        mut self,
        progress: impl Fn(Progress<'_>) + Send + Sync + 'static,
    ) -> Options {
        self.progress = Some(Arc::new(progress));
        self
    }
}

/// A [`Migrator`] with [`Options`]: [`Migrator::with`].
#[derive(Debug)]
pub struct Configured<'m> {
    migrator: &'m Migrator,
    options: Options,
}

impl Migrator {
    /// The migrations `files` of the folder `folder` (as the project names it, for
    /// messages). This is what [`embed_migrations!`](crate::embed_migrations) expands
    /// to, after it has validated the files; built by hand, the files are validated
    /// on first use, and a bad one is an [`Error::Migrations`] then.
    pub const fn embedded(folder: &'static str, files: &'static [EmbeddedMigration]) -> Migrator {
        Migrator {
            source: Source::Embedded { folder, files },
            loaded: OnceLock::new(),
        }
    }

    /// The migrations of the folder `dir`, read and validated now: every `*.sql` file
    /// directly in it (hidden files aside), their headers and sections, and the
    /// revision graph.
    pub fn from_dir(dir: impl AsRef<Path>) -> Result<Migrator, Error> {
        let dir = dir.as_ref().to_path_buf();
        let migrations =
            wildebeest_revision::load_dir(&dir).map_err(|e| Error::Migrations(Box::new(e)))?;
        let loaded = loaded(migrations)?;
        let migrator = Migrator {
            source: Source::Dir(dir),
            loaded: OnceLock::new(),
        };
        let _ = migrator.loaded.set(loaded);
        Ok(migrator)
    }

    /// The migrations, parsed on first use.
    fn load(&self) -> Result<&Loaded, Error> {
        if let Some(loaded) = self.loaded.get() {
            return Ok(loaded);
        }
        let migrations = match &self.source {
            Source::Embedded { folder, files } => {
                let mut migrations = Vec::with_capacity(files.len());
                for file in *files {
                    let path = Path::new(folder).join(file.name);
                    let m = wildebeest_revision::parse(&path, file.text)
                        .map_err(|e| Error::Migrations(Box::new(e)))?;
                    migrations.push(m);
                }
                migrations
            }
            Source::Dir(dir) => {
                wildebeest_revision::load_dir(dir).map_err(|e| Error::Migrations(Box::new(e)))?
            }
        };
        let loaded = loaded(migrations)?;
        // Two threads may both parse; the first to finish is kept.
        Ok(self.loaded.get_or_init(|| loaded))
    }

    /// The revision ids of the migrations, each after the revisions it needs.
    pub fn revisions(&self) -> Result<Vec<String>, Error> {
        Ok(self
            .load()?
            .graph
            .topo_order()
            .into_iter()
            .map(String::from)
            .collect())
    }

    /// This migrator with `options` for the calls made through the result.
    ///
    /// ```no_run
    /// static MIGRATOR: wildebeest::Migrator = wildebeest::Migrator::embedded("migrations", &[]);
    /// # fn main() -> Result<(), wildebeest::Error> {
    /// let options = wildebeest::Options::new().allow_data_loss(true);
    /// MIGRATOR.with(options).downgrade("sqlite:app.db", "-1")?;
    /// # Ok(()) }
    /// ```
    pub fn with(&self, options: Options) -> Configured<'_> {
        Configured {
            migrator: self,
            options,
        }
    }

    /// Applies every revision not applied yet (to the single head; several heads are
    /// an error naming them). A second call finds nothing to do and returns an empty
    /// [`Report`]. A SQLite file is created when missing (and removed again when the
    /// run fails before applying anything).
    pub fn upgrade(&self, url: &str) -> Result<Report, Error> {
        self.with(Options::new()).upgrade(url)
    }

    /// Applies the revisions needed to reach `target`: `head`, `heads`, a revision id
    /// or a unique prefix of one, `+2` (two revisions up), `LABEL@head`.
    pub fn upgrade_to(&self, url: &str, target: &str) -> Result<Report, Error> {
        self.with(Options::new()).upgrade_to(url, target)
    }

    /// Undoes the applied revisions above `target`: `base` (all of them), `-1` (the
    /// last one), a revision id, `LABEL@base`, `LABEL@-1`.
    pub fn downgrade(&self, url: &str, target: &str) -> Result<Report, Error> {
        self.with(Options::new()).downgrade(url, target)
    }

    /// Where the database is: its applied revisions and current heads. Creates
    /// nothing: a SQLite file that does not exist is at base.
    pub fn current(&self, url: &str) -> Result<Current, Error> {
        self.with(Options::new()).current(url)
    }

    /// Compares the database with the migrations: every revision applied, none half
    /// done, no applied file changed since it ran, and the database's schema the one
    /// its revisions make (tables, columns, indexes, keys, checks, enum types, as the
    /// database itself stores them). Creates nothing.
    pub fn check(&self, url: &str) -> Result<CheckReport, Error> {
        self.with(Options::new()).check(url)
    }
}

/// Builds the graph of `migrations`; a graph error is an error of the migrations.
fn loaded(migrations: Vec<Migration>) -> Result<Loaded, Error> {
    let graph = RevisionGraph::new(&migrations).map_err(|e| Error::Migrations(Box::new(e)))?;
    Ok(Loaded { migrations, graph })
}

/// `url` parsed; a relative SQLite path is relative to the working directory.
fn parse_url(url: &str) -> Result<DatabaseUrl, Error> {
    Ok(DatabaseUrl::parse(url, Path::new(""))?)
}

impl Configured<'_> {
    /// [`Migrator::upgrade`] with these options.
    pub fn upgrade(&self, url: &str) -> Result<Report, Error> {
        self.run(url, Direction::Upgrade, "head")
    }

    /// [`Migrator::upgrade_to`] with these options.
    pub fn upgrade_to(&self, url: &str, target: &str) -> Result<Report, Error> {
        self.run(url, Direction::Upgrade, target)
    }

    /// [`Migrator::downgrade`] with these options.
    pub fn downgrade(&self, url: &str, target: &str) -> Result<Report, Error> {
        self.run(url, Direction::Downgrade, target)
    }

    /// [`Migrator::current`] with these options (the lock timeout is not used:
    /// reading takes no lock).
    pub fn current(&self, url: &str) -> Result<Current, Error> {
        let loaded = self.migrator.load()?;
        let url = parse_url(url)?;
        let Some(mut backend) = backends::connect_existing(&url, self.options.lock_timeout)? else {
            return Ok(Current {
                at_head: loaded.graph.is_empty(),
                ..Current::default()
            });
        };
        let mut applied = backend.applied_ids()?;
        applied.sort();
        let half_done = backend.partial()?.map(half_done);
        let unknown: Vec<String> = applied
            .iter()
            .filter(|id| !loaded.graph.contains(id))
            .cloned()
            .collect();
        let set: BTreeSet<&str> = applied.iter().map(String::as_str).collect();
        let at_head = half_done.is_none()
            && unknown.is_empty()
            && loaded.graph.topo_order().iter().all(|id| set.contains(id));
        Ok(Current {
            current_heads: loaded.graph.current_heads(&applied),
            applied,
            unknown,
            half_done,
            at_head,
        })
    }

    /// [`Migrator::check`] with these options.
    pub fn check(&self, url: &str) -> Result<CheckReport, Error> {
        let loaded = self.migrator.load()?;
        let url = parse_url(url)?;
        let mut report = CheckReport::default();
        let heads = loaded.graph.heads();
        if heads.len() > 1 {
            report.problems.push(Problem::MultipleHeads {
                heads: heads.iter().map(|h| h.to_string()).collect(),
            });
        }
        let Some(mut backend) = backends::connect_existing(&url, self.options.lock_timeout)? else {
            report.problems.push(Problem::NoDatabase);
            return Ok(report);
        };
        database_problems(loaded, backend.as_mut(), &mut report)?;
        Ok(report)
    }

    /// Upgrades or downgrades to `target`.
    fn run(&self, url: &str, direction: Direction, target: &str) -> Result<Report, Error> {
        let loaded = self.migrator.load()?;
        let target = Target::parse(target)?;
        let url = parse_url(url)?;
        let lock_timeout = self.options.lock_timeout;
        // Going down to base on a database with nothing applied has nothing to do: it
        // creates no database file and no version tables.
        if target == Target::Base && direction == Direction::Downgrade {
            let untouched = match backends::connect_existing(&url, lock_timeout)? {
                None => true,
                Some(mut b) => b.applied_ids()?.is_empty() && b.partial()?.is_none(),
            };
            if untouched {
                return Ok(Report::default());
            }
        }
        let created = match &url {
            DatabaseUrl::SqliteFile(path) if !path.exists() => Some(path.clone()),
            _ => None,
        };
        let result = (|| {
            let mut backend = backends::connect(&url, lock_timeout)?;
            let progress = self.options.progress.as_deref();
            let mut tell = |event: wildebeest_runner::Progress<'_>| {
                let Some(progress) = progress else { return };
                match event {
                    wildebeest_runner::Progress::Starting {
                        revision,
                        message,
                        operation,
                        ..
                    } => progress(Progress::Starting {
                        revision,
                        message,
                        direction: direction_of(operation),
                    }),
                    wildebeest_runner::Progress::Done(run) => {
                        progress(Progress::Done(&revision_run(run)))
                    }
                }
            };
            let mut runner = Runner::new(backend.as_mut(), &loaded.migrations)?
                .with_allow_data_loss(self.options.allow_data_loss)
                .with_progress(&mut tell);
            // The runner's own lines ("Applied ...") are the command line's: dropped.
            let mut sink = std::io::sink();
            let report = match direction {
                Direction::Upgrade => runner.upgrade(&target, Mode::Execute, &mut sink)?,
                Direction::Downgrade => runner.downgrade(&target, Mode::Execute, &mut sink)?,
            };
            Ok::<_, Error>(report)
        })();
        let report = match (result, created) {
            (Ok(report), _) => report,
            (Err(e), Some(path)) => {
                backends::remove_if_unapplied(&path);
                return Err(e);
            }
            (Err(e), None) => return Err(e),
        };
        Ok(Report {
            revisions: report.revisions.iter().map(revision_run).collect(),
            warnings: report.warnings,
        })
    }
}

/// Adds to `report` what the database connected as `backend` says against the
/// migrations: unknown, half done, pending and changed revisions, and drift.
fn database_problems(
    loaded: &Loaded,
    backend: &mut dyn Backend,
    report: &mut CheckReport,
) -> Result<(), Error> {
    let graph = &loaded.graph;
    let applied = backend.applied()?;
    let set: BTreeSet<String> = applied.iter().map(|a| a.revision.clone()).collect();
    let unknown: Vec<&String> = set.iter().filter(|id| !graph.contains(id)).collect();
    for id in &unknown {
        report.problems.push(Problem::UnknownApplied {
            revision: id.to_string(),
        });
    }
    // A revision stopped half way is said as such, not as one not applied.
    let partial = backend.partial()?;
    let half = partial
        .as_ref()
        .filter(|p| p.operation == Operation::Upgrade)
        .map(|p| p.revision.clone());
    if let Some(p) = partial {
        report.problems.push(Problem::HalfDone(half_done(p)));
    }
    let order = graph.topo_order();
    let pending: Vec<String> = order
        .iter()
        .filter(|id| !set.contains(**id) && half.as_deref() != Some(**id))
        .map(|id| id.to_string())
        .collect();
    if !pending.is_empty() {
        let mut revisions = pending;
        revisions.sort();
        report.problems.push(Problem::Pending { revisions });
    }
    for a in &applied {
        let Some(m) = loaded.migrations.iter().find(|m| m.id == a.revision) else {
            continue;
        };
        if m.checksum != a.checksum {
            report.problems.push(Problem::Changed {
                revision: a.revision.clone(),
                file: m.path.display().to_string(),
            });
        }
    }
    if !unknown.is_empty() {
        // The schema the database should have is not known.
        return Ok(());
    }
    // Inspected first: the canonical forms may need what the server said (MySQL's
    // collations).
    let inspected = backend.inspect()?;
    let actual = backend.canonical(&inspected);
    let dialect = backend.caps().dialect;
    let applied_in_order = order
        .iter()
        .filter(|id| set.contains(**id))
        .filter_map(|id| loaded.migrations.iter().find(|m| m.id == *id));
    let replayed = replay(
        applied_in_order,
        dialect,
        |m| m.path.display().to_string(),
        &mut report.warnings,
    )?;
    let expected = backend.canonical(&replayed);
    let mut drift: Vec<String> = diff(&expected, &actual, &Hints::default())
        .iter()
        .map(|op| op.describe())
        .collect();
    // No op says these, so the diff is blind to a table rebuilt by hand with or
    // without them.
    drift.extend(option_drift(&expected, &actual));
    drift.extend(partition_drift(&expected, &actual));
    for c in enum_conflicts(&expected, &actual) {
        drift.push(format!(
            "enum type `{}` has the values {:?} where the migrations make {:?}",
            c.name, c.to, c.from
        ));
    }
    report.problems.extend(
        drift
            .into_iter()
            .map(|difference| Problem::Drift { difference }),
    );
    Ok(())
}

fn direction_of(operation: Operation) -> Direction {
    match operation {
        Operation::Downgrade => Direction::Downgrade,
        _ => Direction::Upgrade,
    }
}

fn revision_run(run: &wildebeest_runner::RevisionRun) -> RevisionRun {
    RevisionRun {
        revision: run.revision.clone(),
        message: run.message.clone(),
        direction: direction_of(run.operation),
        duration: Duration::from_millis(run.duration_ms),
    }
}

fn half_done(p: wildebeest_runner::Partial) -> HalfDone {
    HalfDone {
        revision: p.revision,
        direction: direction_of(p.operation),
        statements_done: p.steps_done,
        error: (!p.error.is_empty()).then_some(p.error),
    }
}

#[cfg(feature = "tokio")]
impl Migrator {
    /// [`Migrator::upgrade`] on tokio's blocking pool, for a `static` migrator (as
    /// [`embed_migrations!`](crate::embed_migrations) makes).
    pub async fn upgrade_async(&'static self, url: &str) -> Result<Report, Error> {
        let url = url.to_string();
        blocking(move || self.upgrade(&url)).await
    }

    /// [`Migrator::upgrade_to`] on tokio's blocking pool.
    pub async fn upgrade_to_async(&'static self, url: &str, target: &str) -> Result<Report, Error> {
        let (url, target) = (url.to_string(), target.to_string());
        blocking(move || self.upgrade_to(&url, &target)).await
    }

    /// [`Migrator::downgrade`] on tokio's blocking pool.
    pub async fn downgrade_async(&'static self, url: &str, target: &str) -> Result<Report, Error> {
        let (url, target) = (url.to_string(), target.to_string());
        blocking(move || self.downgrade(&url, &target)).await
    }

    /// [`Migrator::current`] on tokio's blocking pool.
    pub async fn current_async(&'static self, url: &str) -> Result<Current, Error> {
        let url = url.to_string();
        blocking(move || self.current(&url)).await
    }

    /// [`Migrator::check`] on tokio's blocking pool.
    pub async fn check_async(&'static self, url: &str) -> Result<CheckReport, Error> {
        let url = url.to_string();
        blocking(move || self.check(&url)).await
    }
}

#[cfg(feature = "tokio")]
async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, Error> + Send + 'static,
) -> Result<T, Error> {
    tokio::task::spawn_blocking(f).await.map_err(Error::Task)?
}

#[cfg(test)]
mod tests {
    use super::*;

    fn assert_send_sync<T: Send + Sync>() {}

    #[test]
    fn a_migrator_is_send_and_sync() {
        assert_send_sync::<Migrator>();
        assert_send_sync::<Options>();
        assert_send_sync::<Error>();
    }
}
