//! [`Migrator`]: a migrations folder, embedded or read at run time, applied to
//! databases by URL.

use std::collections::{BTreeSet, HashMap};
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use wildebeest_revision::{Migration, RevisionGraph, Target};
use wildebeest_runner::{Backend, Mode, Operation, Runner, ServerForm};
use wildebeest_schema::{Hints, diff, enum_conflicts};

use crate::backends;
use crate::error::Error;
use crate::replay::{option_drift, replay};
use crate::report::{
    AppliedAt, ChangeKind, CheckReport, Current, Direction, HalfDone, Problem, Progress, Report,
    RevisionRun, Script,
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
        /// The folder's absolute path on the machine that compiled the program.
        dir: Option<&'static str>,
        files: &'static [EmbeddedMigration],
    },
    Dir {
        dir: PathBuf,
        /// The header cache's file ([`Migrator::header_cache`]).
        cache: Option<PathBuf>,
        /// Paths in messages are shown relative to this folder.
        root: Option<PathBuf>,
    },
}

/// The migrations, parsed, and their graph.
#[derive(Debug)]
struct Loaded {
    migrations: Vec<Migration>,
    graph: RevisionGraph,
    by_id: HashMap<String, usize>,
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
    /// The graph from the files' headers alone, for calls that need no SQL
    /// ([`Migrator::current`]) on a folder read at run time.
    headers: OnceLock<RevisionGraph>,
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
    resume: Option<Resume>,
    progress: Option<Arc<ProgressFn>>,
}

/// Someone's word on the statement a killed run left in doubt, for a revision half
/// done ([`HalfDone`]) whose last statement the database cannot tell ran: given to
/// [`Options::resume`]. The run fails with [`Error::Database`] saying so when it is
/// needed and missing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Resume {
    /// Statement N (1-based, of the revision's body) ran: go on after it.
    After(usize),
    /// Statement N did not run: go on with it.
    At(usize),
}

/// The progress callback [`Options::on_progress`] keeps.
type ProgressFn = dyn Fn(Progress<'_>) + Send + Sync;

impl fmt::Debug for Options {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Options")
            .field("allow_data_loss", &self.allow_data_loss)
            .field("lock_timeout", &self.lock_timeout)
            .field("resume", &self.resume)
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

    /// Finishes a half-done revision whose last statement is in doubt, on the
    /// caller's word ([`Resume`]). A run given one must find that statement in doubt,
    /// or one the database shows ran (or did not) as the word says.
    pub fn resume(mut self, resume: Resume) -> Options {
        self.resume = Some(resume);
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
    /// messages). Built by hand, the files are validated on first use, and a bad one
    /// is an [`Error::Migrations`] then; [`embed_migrations!`](crate::embed_migrations)
    /// expands to [`Migrator::embedded_from`], after it has validated the files.
    pub const fn embedded(folder: &'static str, files: &'static [EmbeddedMigration]) -> Migrator {
        Migrator {
            source: Source::Embedded {
                folder,
                dir: None,
                files,
            },
            headers: OnceLock::new(),
            loaded: OnceLock::new(),
        }
    }

    /// [`Migrator::embedded`], also recording `dir`, the folder's absolute path where
    /// the program was compiled: what [`embed_migrations!`](crate::embed_migrations)
    /// expands to, and what [`Migrator::source_dir`] returns.
    pub const fn embedded_from(
        folder: &'static str,
        dir: &'static str,
        files: &'static [EmbeddedMigration],
    ) -> Migrator {
        Migrator {
            source: Source::Embedded {
                folder,
                dir: Some(dir),
                files,
            },
            headers: OnceLock::new(),
            loaded: OnceLock::new(),
        }
    }

    /// The migrations of the folder `dir`, read and validated now: every `*.sql` file
    /// directly in it (hidden files aside), their headers and sections, and the
    /// revision graph.
    pub fn from_dir(dir: impl AsRef<Path>) -> Result<Migrator, Error> {
        let migrator = Migrator::open_dir(dir);
        migrator.load()?;
        Ok(migrator)
    }

    /// The migrations of the folder `dir`, read when first needed: calls that need
    /// only the revision graph ([`Migrator::current`]) read the files' headers, the
    /// others read the files whole. A folder that cannot be read, or a bad file, is an
    /// [`Error::Migrations`] of the first call. For a long history read by short-lived
    /// processes (a command-line tool); an application prefers [`Migrator::from_dir`],
    /// which fails at once.
    ///
    /// ```
    /// let migrator = wildebeest::Migrator::open_dir("../../examples/company/migrations");
    /// assert_eq!(migrator.revisions()?.len(), 4);
    /// # Ok::<(), wildebeest::Error>(())
    /// ```
    pub fn open_dir(dir: impl AsRef<Path>) -> Migrator {
        Migrator {
            source: Source::Dir {
                dir: dir.as_ref().to_path_buf(),
                cache: None,
                root: None,
            },
            headers: OnceLock::new(),
            loaded: OnceLock::new(),
        }
    }

    /// Keeps the parsed headers of a folder read at run time ([`Migrator::open_dir`])
    /// in the file `file` between processes: files whose size, times and inode are
    /// those cached are not opened to read their headers. A cache that cannot be read
    /// or written is not an error (the headers are read from the files); its folder
    /// is created when missing, ignoring itself in git and tagged as a cache. No
    /// effect on embedded migrations.
    pub fn header_cache(mut self, file: impl AsRef<Path>) -> Migrator {
        if let Source::Dir { cache, .. } = &mut self.source {
            *cache = Some(file.as_ref().to_path_buf());
        }
        self
    }

    /// Shows the paths of a folder read at run time relative to `root` in errors,
    /// warnings and reports (a project's folder: `migrations/0001_x.sql`). No effect
    /// on embedded migrations, which are shown as the macro was given them.
    pub fn paths_relative_to(mut self, root: impl AsRef<Path>) -> Migrator {
        if let Source::Dir { root: r, .. } = &mut self.source {
            *r = Some(root.as_ref().to_path_buf());
        }
        self
    }

    /// The migrations folder on disk: the folder given to [`Migrator::from_dir`] or
    /// [`Migrator::open_dir`]; for [`embed_migrations!`](crate::embed_migrations), the
    /// absolute path of the folder where the program was compiled, which a deployed
    /// program usually does not have (see [`Migrator::source_dir_exists`]). `None` for
    /// a [`Migrator::embedded`] built by hand.
    pub fn source_dir(&self) -> Option<&Path> {
        match &self.source {
            Source::Embedded { dir, .. } => dir.map(Path::new),
            Source::Dir { dir, .. } => Some(dir),
        }
    }

    /// Whether [`Migrator::source_dir`] is a folder on this machine: the program runs
    /// where its migrations are written, so commands that write migration files can.
    pub fn source_dir_exists(&self) -> bool {
        self.source_dir().is_some_and(Path::is_dir)
    }

    /// `path` as messages show it.
    fn show(&self, path: &Path) -> String {
        match &self.source {
            Source::Dir {
                root: Some(root), ..
            } => path
                .strip_prefix(root)
                .unwrap_or(path)
                .display()
                .to_string(),
            _ => path.display().to_string(),
        }
    }

    /// The revision graph from the files' headers (the whole files when they are read
    /// already, or embedded).
    #[doc(hidden)]
    pub fn graph(&self) -> Result<&RevisionGraph, Error> {
        if let Some(loaded) = self.loaded.get() {
            return Ok(&loaded.graph);
        }
        let Source::Dir { dir, cache, .. } = &self.source else {
            return Ok(&self.load()?.graph);
        };
        if let Some(graph) = self.headers.get() {
            return Ok(graph);
        }
        let nodes = match cache {
            None => wildebeest_revision::load_headers(dir),
            Some(file) => {
                // Not a regular file (a FIFO would block): ignored, then replaced.
                let old = wildebeest_revision::read_regular(file).unwrap_or_default();
                let now = std::time::SystemTime::now();
                wildebeest_revision::load_headers_cached(dir, &old, now).map(|(nodes, new)| {
                    if let Some(bytes) = new {
                        store_cache(file, &bytes);
                    }
                    nodes
                })
            }
        }
        .map_err(|e| Error::Migrations(Box::new(e)))?;
        let graph = RevisionGraph::new(nodes)?;
        Ok(self.headers.get_or_init(|| graph))
    }

    /// Every migration file parsed whole (sections and checksums), in file name order.
    #[doc(hidden)]
    pub fn migrations(&self) -> Result<&[Migration], Error> {
        Ok(&self.load()?.migrations)
    }

    /// The whole migration file of revision `id`, if one defines it.
    #[doc(hidden)]
    pub fn migration(&self, id: &str) -> Result<Option<&Migration>, Error> {
        let loaded = self.load()?;
        Ok(loaded.by_id.get(id).map(|&i| &loaded.migrations[i]))
    }

    /// The migrations, parsed on first use.
    fn load(&self) -> Result<&Loaded, Error> {
        if let Some(loaded) = self.loaded.get() {
            return Ok(loaded);
        }
        let migrations = match &self.source {
            Source::Embedded { folder, files, .. } => {
                let mut migrations = Vec::with_capacity(files.len());
                for file in *files {
                    let path = Path::new(folder).join(file.name);
                    let m = wildebeest_revision::parse(&path, file.text)
                        .map_err(|e| Error::Migrations(Box::new(e)))?;
                    migrations.push(m);
                }
                migrations
            }
            Source::Dir { dir, .. } => {
                wildebeest_revision::load_dir(dir).map_err(|e| Error::Migrations(Box::new(e)))?
            }
        };
        let loaded = loaded(migrations)?;
        // The files may have changed since their headers were read.
        if let (Some(headers), Source::Dir { dir, cache, .. }) = (self.headers.get(), &self.source)
            && headers.topo_order() != loaded.graph.topo_order()
        {
            // Or the header cache was wrong (a filesystem that keeps no modification
            // times): the next process reads every header again.
            if let Some(file) = cache {
                let _ = std::fs::remove_file(file);
            }
            return Err(Error::Migrations(
                format!(
                    "the migration files in {} changed while wildebeest was reading them; run the command again",
                    self.show(dir)
                )
                .into(),
            ));
        }
        // Two threads may both parse; the first to finish is kept.
        Ok(self.loaded.get_or_init(|| loaded))
    }

    /// The revision ids of the migrations, each after the revisions it needs.
    pub fn revisions(&self) -> Result<Vec<String>, Error> {
        Ok(self
            .graph()?
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
    pub fn upgrade(&self, url: impl IntoUrl) -> Result<Report, Error> {
        self.with(Options::new()).upgrade(url)
    }

    /// Applies the revisions needed to reach `target`: `head`, `heads`, a revision id
    /// or a unique prefix of one, `+2` (two revisions up), `LABEL@head`.
    pub fn upgrade_to(&self, url: impl IntoUrl, target: &str) -> Result<Report, Error> {
        self.with(Options::new()).upgrade_to(url, target)
    }

    /// Undoes the applied revisions above `target`: `base` (all of them), `-1` (the
    /// last one), a revision id, `LABEL@base`, `LABEL@-1`.
    pub fn downgrade(&self, url: impl IntoUrl, target: &str) -> Result<Report, Error> {
        self.with(Options::new()).downgrade(url, target)
    }

    /// Where the database is: its applied revisions and current heads. Creates
    /// nothing: a SQLite file that does not exist is at base.
    pub fn current(&self, url: impl IntoUrl) -> Result<Current, Error> {
        self.with(Options::new()).current(url)
    }

    /// Compares the database with the migrations: every revision applied, none half
    /// done, no applied file changed since it ran, and the database's schema the one
    /// its revisions make (tables, columns, indexes, keys, checks, enum types, as the
    /// database itself stores them). Creates nothing.
    pub fn check(&self, url: impl IntoUrl) -> Result<CheckReport, Error> {
        self.with(Options::new()).check(url)
    }
}

/// Builds the graph of `migrations`; a graph error is an error of the migrations.
fn loaded(migrations: Vec<Migration>) -> Result<Loaded, Error> {
    let graph = RevisionGraph::new(&migrations).map_err(|e| Error::Migrations(Box::new(e)))?;
    let by_id = migrations
        .iter()
        .enumerate()
        .map(|(i, m)| (m.id.clone(), i))
        .collect();
    Ok(Loaded {
        migrations,
        graph,
        by_id,
    })
}

/// Replaces the cache file `file` with `bytes`, creating its folder (which ignores
/// itself in git and is tagged as a cache) if needed. A cache that cannot be written
/// is not an error: the next process reads the files again.
fn store_cache(file: &Path, bytes: &[u8]) {
    let (Some(dir), Some(name)) = (file.parent(), file.file_name()) else {
        return;
    };
    if !dir.is_dir() {
        let made = std::fs::create_dir(dir).and_then(|()| {
            std::fs::write(
                dir.join(".gitignore"),
                "# Created by wildebeest: its cache, safe to delete.\n*\n",
            )?;
            std::fs::write(
                dir.join("CACHEDIR.TAG"),
                "Signature: 8a477f597d28d172789f06886806bc55\n\
                 # This file is a cache directory tag created by wildebeest.\n\
                 # For information about cache directory tags see https://bford.info/cachedir/\n",
            )
        });
        if made.is_err() && !dir.is_dir() {
            return;
        }
    }
    // A new name, then a rename: a concurrent process reads the old cache or the new
    // one, never half of one.
    let tmp = dir.join(format!(
        "{}.{}.tmp",
        name.to_string_lossy(),
        std::process::id()
    ));
    if std::fs::write(&tmp, bytes)
        .and_then(|()| std::fs::rename(&tmp, file))
        .is_err()
    {
        let _ = std::fs::remove_file(&tmp);
    }
}

/// A database given to a [`Migrator`] call: a URL as text (`&str`, `String`),
/// parsed with a relative SQLite path relative to the working directory, or a
/// [`DatabaseUrl`] parsed already (relative to a project folder, with a schema from a
/// setting).
pub trait IntoUrl {
    /// The parsed URL.
    fn into_url(self) -> Result<DatabaseUrl, Error>;
}

impl IntoUrl for &str {
    fn into_url(self) -> Result<DatabaseUrl, Error> {
        Ok(DatabaseUrl::parse(self, Path::new(""))?)
    }
}

impl IntoUrl for &String {
    fn into_url(self) -> Result<DatabaseUrl, Error> {
        self.as_str().into_url()
    }
}

impl IntoUrl for String {
    fn into_url(self) -> Result<DatabaseUrl, Error> {
        self.as_str().into_url()
    }
}

impl IntoUrl for &DatabaseUrl {
    fn into_url(self) -> Result<DatabaseUrl, Error> {
        Ok(self.clone())
    }
}

impl IntoUrl for DatabaseUrl {
    fn into_url(self) -> Result<DatabaseUrl, Error> {
        Ok(self)
    }
}

fn parse_url(url: impl IntoUrl) -> Result<DatabaseUrl, Error> {
    url.into_url()
}

impl Configured<'_> {
    /// [`Migrator::upgrade`] with these options.
    pub fn upgrade(&self, url: impl IntoUrl) -> Result<Report, Error> {
        self.run(url, Direction::Upgrade, "head", &mut |_| {})
    }

    /// [`Migrator::upgrade_to`] with these options.
    pub fn upgrade_to(&self, url: impl IntoUrl, target: &str) -> Result<Report, Error> {
        self.run(url, Direction::Upgrade, target, &mut |_| {})
    }

    /// [`Migrator::downgrade`] with these options.
    pub fn downgrade(&self, url: impl IntoUrl, target: &str) -> Result<Report, Error> {
        self.run(url, Direction::Downgrade, target, &mut |_| {})
    }

    /// Sets the database's version table to say it is at `target` (as
    /// [`Migrator::upgrade_to`] reads it, also `base`), running no statement of any
    /// revision: for a database made by other means. A revision left half done is
    /// ended. The report has one run, named after the heads stamped, or none when the
    /// table already said so.
    pub fn stamp(&self, url: impl IntoUrl, target: &str) -> Result<Report, Error> {
        self.run(url, Direction::Stamp, target, &mut |_| {})
    }

    /// Upgrades, downgrades or stamps to `target` ([`Configured::upgrade_to`],
    /// [`Configured::downgrade`], [`Configured::stamp`]), calling `progress` as each
    /// revision starts and ends, as well as [`Options::on_progress`]'s callback: for a
    /// caller that reports to something it borrows (a terminal it writes to).
    ///
    /// ```
    /// # let tmp = tempfile::tempdir().unwrap();
    /// # let url = &format!("sqlite:{}", tmp.path().join("app.db").display());
    /// use wildebeest::{Direction, Progress};
    ///
    /// let migrator = wildebeest::Migrator::from_dir("../../examples/company/migrations")?;
    /// let mut lines = Vec::new();
    /// migrator.with(Default::default()).run(url, Direction::Upgrade, "head", &mut |event| {
    ///     if let Progress::Done(run) = event {
    ///         lines.push(format!("applied {}", run.revision));
    ///     }
    /// })?;
    /// assert_eq!(lines.len(), 4);
    /// # Ok::<(), wildebeest::Error>(())
    /// ```
    pub fn run(
        &self,
        url: impl IntoUrl,
        direction: Direction,
        target: &str,
        progress: &mut dyn FnMut(Progress<'_>),
    ) -> Result<Report, Error> {
        let loaded = self.migrator.load()?;
        let target = Target::parse(target)?;
        let url = parse_url(url)?;
        let lock_timeout = self.options.lock_timeout;
        // Going down to base on a database with nothing applied has nothing to do: it
        // creates no database file and no version tables.
        if target == Target::Base && direction != Direction::Upgrade {
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
            let callback = self.options.progress.as_deref();
            let mut tell = |event: wildebeest_runner::Progress<'_>| {
                let mut both = |event: Progress<'_>| {
                    if let Some(callback) = callback {
                        callback(event);
                    }
                    progress(event);
                };
                match event {
                    wildebeest_runner::Progress::Starting {
                        revision,
                        message,
                        operation,
                        index,
                        total,
                        activity,
                    } => both(Progress::Starting {
                        revision,
                        message,
                        direction: direction_of(operation),
                        index,
                        total,
                        activity,
                    }),
                    wildebeest_runner::Progress::Warning(text) => both(Progress::Warning(text)),
                    wildebeest_runner::Progress::Resuming { revision, after } => {
                        both(Progress::Resuming { revision, after })
                    }
                    wildebeest_runner::Progress::Done(run) => {
                        both(Progress::Done(&revision_run(run)))
                    }
                }
            };
            let mut runner = self
                .runner(backend.as_mut(), loaded)?
                .with_progress(&mut tell);
            // The runner's own lines ("Applied ...") are the caller's to write, from
            // the progress events: dropped.
            let mut sink = std::io::sink();
            let report = execute(&mut runner, direction, &target, Mode::Execute, &mut sink)?;
            Ok::<_, Error>(report)
        })();
        let report = match (result, created) {
            (Ok(report), _) => report,
            (Err(e), Some(path)) => {
                // Only when nothing was applied (revisions that ran before a failing
                // one stay) and no other run uses the file.
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

    /// The SQL [`Configured::run`] would run to reach `target` from where the database
    /// is, written out instead of run: the database is read (its applied revisions,
    /// its schema to plan against, the counts that decide whether a destructive
    /// statement may run) but not changed, and a SQLite file that does not exist is an
    /// empty database (and is not created). The script is the exact statements a run
    /// would execute, with the version tables' DDL and bookkeeping, so a DBA can run
    /// it as it is.
    pub fn script(
        &self,
        url: impl IntoUrl,
        direction: Direction,
        target: &str,
    ) -> Result<Script, Error> {
        let loaded = self.migrator.load()?;
        let target = Target::parse(target)?;
        let url = parse_url(url)?;
        let mut backend = match backends::connect_existing(&url, self.options.lock_timeout)? {
            Some(b) => b,
            None => backends::connect(&DatabaseUrl::SqliteMemory, None)?,
        };
        let mut runner = self.runner(backend.as_mut(), loaded)?;
        let mut sql = Vec::new();
        let report = execute(&mut runner, direction, &target, Mode::Sql, &mut sql)?;
        Ok(Script {
            sql: String::from_utf8(sql).expect("scripts are written from strings"),
            revisions: report.revisions.iter().map(revision_run).collect(),
            warnings: report.warnings,
        })
    }

    /// A runner of these options over `loaded`.
    fn runner<'r>(
        &self,
        backend: &'r mut dyn Backend,
        loaded: &'r Loaded,
    ) -> Result<Runner<'r>, Error> {
        let resume = self.options.resume.map(|r| match r {
            Resume::After(statement) => wildebeest_runner::Resume {
                statement,
                ran: true,
            },
            Resume::At(statement) => wildebeest_runner::Resume {
                statement,
                ran: false,
            },
        });
        let mut runner = Runner::new(backend, &loaded.migrations)?
            .with_allow_data_loss(self.options.allow_data_loss)
            .with_resume(resume);
        if let Source::Dir {
            root: Some(root), ..
        } = &self.migrator.source
        {
            runner = runner.with_display_root(root);
        }
        Ok(runner)
    }

    /// [`Migrator::current`] with these options (the lock timeout is not used:
    /// reading takes no lock). Reads the migrations' headers only.
    pub fn current(&self, url: impl IntoUrl) -> Result<Current, Error> {
        let graph = self.migrator.graph()?;
        let url = parse_url(url)?;
        let Some(mut backend) = backends::connect_existing(&url, self.options.lock_timeout)? else {
            return Ok(Current {
                exists: false,
                at_head: graph.is_empty(),
                ..Current::default()
            });
        };
        let applied_at: Vec<AppliedAt> = backend
            .applied()?
            .into_iter()
            .map(|a| AppliedAt {
                revision: a.revision,
                at: a.applied_at,
            })
            .collect();
        let mut applied: Vec<String> = applied_at.iter().map(|a| a.revision.clone()).collect();
        applied.sort_unstable();
        let half_done = backend.partial()?.map(half_done);
        let unknown: Vec<String> = applied
            .iter()
            .filter(|id| !graph.contains(id))
            .cloned()
            .collect();
        // Every applied id is one of the graph's: all of them are applied when as many
        // distinct ids are as the graph has revisions (no set of ids to build).
        let distinct = applied.len() - applied.windows(2).filter(|w| w[0] == w[1]).count();
        let at_head = half_done.is_none() && unknown.is_empty() && distinct == graph.len();
        Ok(Current {
            exists: true,
            current_heads: graph.current_heads(&applied),
            applied,
            applied_at,
            unknown,
            half_done,
            at_head,
        })
    }

    /// [`Migrator::check`] with these options.
    pub fn check(&self, url: impl IntoUrl) -> Result<CheckReport, Error> {
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
        database_problems(self.migrator, loaded, backend.as_mut(), &mut report)?;
        Ok(report)
    }
}

/// Runs `runner` one way to `target`.
fn execute(
    runner: &mut Runner<'_>,
    direction: Direction,
    target: &Target,
    mode: Mode,
    out: &mut dyn std::io::Write,
) -> Result<wildebeest_runner::RunReport, Error> {
    Ok(match direction {
        Direction::Upgrade => runner.upgrade(target, mode, out)?,
        Direction::Downgrade => runner.downgrade(target, mode, out)?,
        Direction::Stamp => runner.stamp(target, mode, out)?,
    })
}

/// Adds to `report` what the database connected as `backend` says against the
/// migrations: unknown, half done, pending and changed revisions, and drift.
fn database_problems(
    migrator: &Migrator,
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
                file: migrator.show(&m.path),
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
        |m| migrator.show(&m.path),
        &mut report.warnings,
    )?;
    // What the migrations make, as this server reports it once made (see
    // `Backend::server_form`): both sides of the comparison then come from the
    // server's one reading of every expression and definition.
    let expected = match backend.server_form(&replayed)? {
        ServerForm::Read(made) => backend.canonical(&made),
        ServerForm::Unavailable(why) => {
            report.warnings.push(format!(
                "check compares the database with the migrations as wildebeest reads them, \
                 not as the server does, which is less exact (an equivalent spelling the \
                 server stores otherwise shows as drift): {why}"
            ));
            backend.canonical(&replayed)
        }
    };
    let mut drift: Vec<(String, ChangeKind)> = diff(&expected, &actual, &Hints::default())
        .iter()
        .map(|op| (op.describe(), ChangeKind::of(op)))
        .collect();
    // No op says these, so the diff is blind to a table rebuilt by hand with or
    // without them.
    drift.extend(
        option_drift(&expected, &actual)
            .into_iter()
            .map(|line| (line, ChangeKind::Changed)),
    );
    for c in enum_conflicts(&expected, &actual) {
        drift.push((
            format!(
                "enum type `{}` has the values {:?} where the migrations make {:?}",
                c.name, c.to, c.from
            ),
            ChangeKind::Changed,
        ));
    }
    report.problems.extend(
        drift
            .into_iter()
            .map(|(difference, kind)| Problem::Drift { difference, kind }),
    );
    Ok(())
}

fn direction_of(operation: Operation) -> Direction {
    match operation {
        Operation::Downgrade => Direction::Downgrade,
        Operation::Stamp => Direction::Stamp,
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
