//! The small trait every database backend implements (after sqlx's `Migrate`): lock,
//! version tables, introspection, planning a statement for this database, and running
//! one revision atomically together with its bookkeeping.

use crate::Activity;
use wildebeest_schema::{Op, Schema};
use wildebeest_sql::{Dialect, Statement};

/// What a backend can do. Callers ask these, never which database it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Caps {
    /// The SQL dialect migration text for this backend is parsed in.
    pub dialect: Dialect,
    /// DDL runs inside a transaction and rolls back with it.
    pub transactional_ddl: bool,
}

/// One applied revision, as the version table has it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Applied {
    pub revision: String,
    /// The checksum of the file when it was applied (or stamped).
    pub checksum: String,
    /// RFC 3339 UTC.
    pub applied_at: String,
}

/// One line of the history table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryEntry {
    pub revision: String,
    pub operation: Operation,
    pub checksum: String,
    /// RFC 3339 UTC.
    pub started_at: String,
    pub duration_ms: u64,
}

/// What happened to a revision.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Operation {
    Upgrade,
    Downgrade,
    Stamp,
}

impl Operation {
    /// The word stored in the history table.
    pub fn as_str(self) -> &'static str {
        match self {
            Operation::Upgrade => "upgrade",
            Operation::Downgrade => "downgrade",
            Operation::Stamp => "stamp",
        }
    }

    /// Parses the word stored in the history table.
    pub fn parse(s: &str) -> Option<Operation> {
        match s {
            "upgrade" => Some(Operation::Upgrade),
            "downgrade" => Some(Operation::Downgrade),
            "stamp" => Some(Operation::Stamp),
            _ => None,
        }
    }
}

/// The bookkeeping that goes into the same transaction as a revision's statements.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    pub operation: Operation,
    /// The revision applied or undone. For a stamp, the first revision current after
    /// it (`base` when none is).
    pub revision: String,
    /// For a stamp that leaves several heads current, the heads after the first. The
    /// history has one row per revision (`revision`, then each of these, all of one
    /// stamp), never a list of revisions in one row: `Record::history_revisions`.
    pub other_heads: Vec<String>,
    pub checksum: String,
    /// Rows to add to the version table: `(revision, checksum)`.
    pub insert: Vec<(String, String)>,
    /// Revisions to remove from the version table.
    pub delete: Vec<String>,
    /// RFC 3339 UTC time the run started.
    pub started_at: String,
}

impl Record {
    /// The revisions the history table gets a row for, in order: `revision`, then
    /// `other_heads`.
    pub fn history_revisions(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.revision.as_str()).chain(self.other_heads.iter().map(String::as_str))
    }

    /// The `INSERT`s of the history rows ([`Record::history_revisions`]) into `table`,
    /// with `duration_ms` as written (a number, or a placeholder the caller fills)
    /// and `quote` making a string literal as the database reads one.
    pub fn history_sql(
        &self,
        table: &str,
        duration_ms: &str,
        quote: impl Fn(&str) -> String,
    ) -> Vec<String> {
        self.history_revisions()
            .map(|revision| {
                format!(
                    "INSERT INTO {table} (revision, operation, checksum, started_at, duration_ms) \
                     VALUES ({}, {}, {}, {}, {duration_ms})",
                    quote(revision),
                    quote(self.operation.as_str()),
                    quote(&self.checksum),
                    quote(&self.started_at)
                )
            })
            .collect()
    }
}

/// What a statement needs of the stored data to succeed, as a backend can count it
/// before anything runs ([`Backend::requirement`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Requirement {
    /// What the statement does that needs it (`column `c` of `t` becomes NOT NULL`).
    pub what: String,
    /// Which rows the query counts (`with NULL in it`), as in `rows {rows}: 3`.
    pub rows: String,
    /// A query returning one number: how many rows would make the statement fail.
    pub query: String,
}

/// One SQL statement to run, and where it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    pub sql: String,
    /// The 1-based line in the migration file of the statement this step implements;
    /// `None` for bookkeeping.
    pub line: Option<usize>,
}

/// What `Backend::plan` makes of one statement.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Planned {
    /// The SQL to run, in order.
    pub sql: Vec<String>,
    /// Tables this plan rebuilds (copy into a new table, drop, rename), which the
    /// backend verifies before the revision commits (SQLite `foreign_key_check`).
    pub rebuilt_tables: Vec<String>,
}

/// Everything one revision runs.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Script {
    /// Run before the transaction opens (SQLite: `PRAGMA foreign_keys = OFF`, which is
    /// a no-op inside a transaction).
    pub before: Vec<String>,
    /// Run inside the revision's transaction.
    pub body: Vec<Step>,
    /// Run inside the transaction after the body, before the bookkeeping: checks
    /// that must pass for the revision to commit (SQLite: `PRAGMA foreign_key_check`).
    pub verify: Vec<String>,
    /// Run after the transaction ends, committed or not.
    pub after: Vec<String>,
    /// Every table the body rebuilds (from [`Planned::rebuilt_tables`]).
    pub rebuilt_tables: Vec<String>,
    /// `false` when the revision declares `-- Transaction: none` (PostgreSQL
    /// `CREATE INDEX CONCURRENTLY`): each statement then runs on its own and the
    /// backend records progress after each, as on a database without transactional DDL.
    pub non_transactional: bool,
    /// The index of `body[0]` in the revision's whole body: more than 0 when a run
    /// resumes a revision that stopped half way ([`Backend::partial`]).
    pub first_step: usize,
    /// For a resumed revision, the SQL of the steps before `first_step` as planned
    /// again: the statements that ran. A backend that journals what ran checks them
    /// against the journal (they must not read differently now), not the statement
    /// that failed or those after it, which the user may have fixed.
    pub ran: Vec<String>,
    /// For a resumed revision whose earlier run was killed while `body[0]` was
    /// running: whether it ran, as [`Backend::interrupted`] told or, where the
    /// backend could not tell, as the user said (`--resume-after N` / `--resume-at N`).
    /// `None` when no statement was in doubt; a backend that finds one in doubt with
    /// `None` here stops instead of guessing.
    pub interrupted_ran: Option<bool>,
}

/// What a backend can tell of the statement a killed run was running when it stopped
/// ([`Backend::interrupted`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Interrupted {
    /// It ran (its effect is there), so the resumed run goes on after it.
    Ran,
    /// It did not run (it commits with its journal entry, or its effect is absent and
    /// would be there had it run), so the resumed run runs it.
    NotRun,
    /// Its effect cannot be told from the database (a `CALL`, a table swap that
    /// leaves the schema as it was, a statement outside a transaction that changes
    /// only rows): the user must check and say. `why` says why, for the message.
    Unknown { why: String },
    /// It left something half made that must go before the statement can run again
    /// (PostgreSQL: the invalid index of an interrupted `CREATE INDEX CONCURRENTLY`):
    /// `what` says what and how to remove it.
    Broken { what: String },
}

/// A revision that stopped half way on a database that commits DDL statement by
/// statement (MySQL), as its progress journal has it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Partial {
    pub revision: String,
    pub operation: Operation,
    /// How many statements of its body completed.
    pub steps_done: usize,
    /// The message of the statement that failed.
    pub error: String,
}

/// Where a test may stop a run: right before statement N (1-based, of a revision's
/// whole body) runs, after its journal entry says it is about to, or right after it
/// ran, before its journal entry says so ([`failpoint`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Moment {
    Before,
    After,
}

/// Stops the process (as a kill does) at `moment` of statement `number` when
/// `WILDEBEEST_TEST_ABORT` says so (`before:3`, `after:3`): the resume tests kill a
/// run at each statement boundary with it. Only in debug builds; a release build
/// never reads the variable.
pub fn failpoint(moment: Moment, number: usize) {
    #[cfg(debug_assertions)]
    if let Ok(v) = std::env::var("WILDEBEEST_TEST_ABORT") {
        let word = match moment {
            Moment::Before => "before",
            Moment::After => "after",
        };
        if v.trim() == format!("{word}:{number}") {
            std::process::abort();
        }
    }
    #[cfg(not(debug_assertions))]
    let _ = (moment, number);
}

/// A database error, with the statement that caused it when there was one.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct BackendError {
    pub message: String,
    /// Index into `Script::body` of the failing step.
    pub step: Option<usize>,
}

impl BackendError {
    /// An error not tied to a statement.
    pub fn new(message: impl Into<String>) -> Self {
        BackendError {
            message: message.into(),
            step: None,
        }
    }
}

/// What an op loses on one database ([`Backend::loss`]): the phrase for messages and
/// `-- DATA LOSS` comments, and the query counting it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Loss {
    /// What the op destroys or changes (`Op::data_loss`'s phrase).
    pub what: String,
    /// A query returning one number, at least the rows whose value the op would
    /// destroy or change; `None` when this database cannot count them. The runner
    /// never runs such an op without consent (it fails closed).
    pub query: Option<String>,
}

/// What [`Backend::refused_query`] counts: the query (one number) and the values it
/// counts, for the message (`values of \`plans.kind\` that enum type \`plan_kind\`
/// no longer has ('trial')`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub query: String,
    pub values: String,
}

/// What [`Backend::server_form`] made of a schema.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ServerForm {
    /// The schema as the database reports it once made (boxed: a schema is large
    /// beside a reason).
    Read(Box<Schema>),
    /// The database could not make it here, for the reason given (the user may not
    /// create a scratch schema or database); the caller compares without it and
    /// says so.
    Unavailable(String),
}

/// The tables every backend keeps its bookkeeping in (the applied revisions, the
/// history, the statement journal), by these names on every database. They are
/// wildebeest's own: inspection leaves them out, and a schema file that has them (a
/// dump of a database wildebeest manages) does not make them part of the schema.
pub const VERSION_TABLES: [&str; 3] = [
    "wildebeest_revisions",
    "wildebeest_history",
    "wildebeest_progress",
];

/// An object of the database that the model cannot hold (a view, a trigger, a
/// function, a sequence no column owns, ...), as [`Backend::unmodeled_objects`]
/// reports it: `wildebeest inspect` refuses it by kind and name rather than leave it
/// out silently.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct UnmodeledObject {
    /// What it is, in the database's own words (`view`, `trigger`, `function`).
    pub kind: String,
    /// Its name; a trigger's or a rule's with its table (`orders.touch`), an object of
    /// another PostgreSQL schema with the schema (`audit.log`).
    pub name: String,
}

/// A database that revisions can be applied to.
pub trait Backend {
    /// What this backend can do.
    fn caps(&self) -> Caps;

    /// A description for messages (a file path, or a URL without its password).
    fn describe(&self) -> String;

    /// Takes the migration lock, waiting (up to a timeout, with a message saying who
    /// holds it) for another runner to finish. The runner reads the applied revisions
    /// only after this, so two runners never apply one revision twice. (SQLite: opens
    /// the outer write transaction with `BEGIN IMMEDIATE`; each revision is then a
    /// savepoint inside it.)
    fn lock(&mut self) -> Result<(), BackendError>;

    /// Releases the migration lock, keeping every revision that `execute` finished
    /// (SQLite: `COMMIT` of the outer transaction). Called on every path after `lock`
    /// succeeded, also after a failed revision.
    fn unlock(&mut self) -> Result<(), BackendError>;

    /// Creates the version and history tables if they do not exist.
    fn ensure_version_tables(&mut self) -> Result<(), BackendError>;

    /// The statements `ensure_version_tables` runs (`CREATE TABLE IF NOT EXISTS`), for
    /// offline scripts (`upgrade --sql START:END`). Empty when the backend does not
    /// provide them; the script then says so.
    fn version_tables_sql(&self) -> Vec<String> {
        Vec::new()
    }

    /// The statement that empties the version table (`stamp --purge --sql`, which
    /// must empty it whatever rows it holds, also those no database was read for).
    fn purge_sql(&self) -> Option<String> {
        None
    }

    /// The applied revisions; empty (and nothing created) when the version table does
    /// not exist yet.
    fn applied(&mut self) -> Result<Vec<Applied>, BackendError>;

    /// The ids of the applied revisions, in no particular order: what a plan or
    /// `current` needs, read without the order and the other columns [`Backend::applied`]
    /// carries (a difference on long histories).
    fn applied_ids(&mut self) -> Result<Vec<String>, BackendError> {
        Ok(self.applied()?.into_iter().map(|a| a.revision).collect())
    }

    /// The history, oldest first; empty when the table does not exist.
    fn history(&mut self) -> Result<Vec<HistoryEntry>, BackendError>;

    /// The database's schema as the model sees it, without the version tables.
    fn inspect(&mut self) -> Result<Schema, BackendError>;

    /// What the URL names that does not exist, as a phrase (PostgreSQL: the schema
    /// the application lives in), or `None`. A command that writes makes it; one
    /// that reads a schema out of the database (`inspect`) refuses rather than print
    /// an empty one for a mistyped name.
    fn missing_namespace(&mut self) -> Result<Option<String>, BackendError> {
        Ok(None)
    }

    /// The objects of the database [`Backend::inspect`] cannot read into the model
    /// (materialized views, rules, MySQL routines, sequences no column owns, objects of other
    /// schemas, ...), sorted by kind and name; a table part the model cannot hold is
    /// in `Table::unmodeled` instead. wildebeest's own tables are not objects here.
    fn unmodeled_objects(&mut self) -> Result<Vec<UnmodeledObject>, BackendError>;

    /// The SQL that carries out `statement` on this database. `before` is the schema
    /// it runs against and `ops` its resolved change (empty when the statement was not
    /// understood); a backend that needs the schema after them applies them to what it
    /// needs (the runner keeps one model and passes no copy). A statement the database runs as
    /// written comes back as itself; one it cannot (SQLite `ALTER COLUMN`) comes back
    /// as the steps that do the same (a table rebuild).
    ///
    /// `source` is the dialect the migration file is written in: where it differs from
    /// this database, a statement the model understands is rendered for this database
    /// from its ops instead of running as written.
    fn plan(
        &self,
        before: &Schema,
        statement: &Statement,
        ops: &[Op],
        source: Dialect,
    ) -> Result<Planned, BackendError>;

    /// Planning of a run starts: the next [`Backend::plan`] is for the database as it
    /// is now (or, for an offline script, an empty one). A backend whose plans depend
    /// on what the statements planned before did beyond the model (SQLite: a rebuild
    /// creates the table's triggers again, as the earlier statements left them)
    /// forgets those statements here; it follows the statements of a run across its
    /// revisions, since none of them has run when the next is planned.
    fn start_plan(&self) {}

    /// Whether [`Backend::plan`] depends on what earlier statements did beyond the
    /// model (see [`Backend::start_plan`]). An offline script (`upgrade --sql
    /// START:END`) has no database at START; for such a backend the runner plans the
    /// revisions START has first, from an empty database and without printing them,
    /// so that the backend has seen every statement that made the state at START.
    fn plans_follow_history(&self) -> bool {
        false
    }

    /// `schema` as this database would report it after creating it: types it does not
    /// have become the ones it stores (MySQL `VARCHAR` → `VARCHAR(255)`), distinctions
    /// it does not keep are dropped. Comparisons between a model and an introspected
    /// database (`check`'s drift report) compare the canonical forms of both; call it
    /// after [`Backend::inspect`], whose findings it may use (MySQL's collations).
    fn canonical(&self, schema: &Schema) -> Schema {
        schema.clone()
    }

    /// `schema` as this database reports it once it has made it: the backend creates
    /// it (as it renders it) where nothing else can see it and reads it back through
    /// the same inspection as [`Backend::inspect`], then removes it (PostgreSQL: a
    /// scratch schema in a transaction that is rolled back; MySQL: a scratch database
    /// dropped afterwards; SQLite: an in-memory database). `check` compares the
    /// canonical form of this with the inspected database, so both sides come from the
    /// server's one reading of expressions, defaults and definitions. Parts the model
    /// holds only as text (`Table::unmodeled`) cannot be made and come back as
    /// `schema` has them. [`ServerForm::Unavailable`] says why the backend cannot do
    /// it here (a user who may not create a schema); the default, for a backend that
    /// has no such reading.
    fn server_form(&mut self, schema: &Schema) -> Result<ServerForm, BackendError> {
        let _ = schema;
        Ok(ServerForm::Unavailable(
            "this backend cannot make a schema to read back".into(),
        ))
    }

    /// A revision left half done (only on databases whose DDL commits statement by
    /// statement); `None` elsewhere.
    fn partial(&mut self) -> Result<Option<Partial>, BackendError> {
        Ok(None)
    }

    /// For a revision left half done by a run that was killed (not stopped by an
    /// error) while a statement was running: whether that statement, `script.body[0]`
    /// of the resumed script, ran. `None` (the default) when no statement was running
    /// when the run stopped, so none is in doubt.
    fn interrupted(
        &mut self,
        script: &Script,
        record: &Record,
    ) -> Result<Option<Interrupted>, BackendError> {
        let _ = (script, record);
        Ok(None)
    }

    /// Fills in `Script::before`, `verify` and `after` for a script whose body and
    /// `rebuilt_tables` the runner assembled from `plan`.
    fn wrap(&self, script: &mut Script);

    /// A query returning one number: how many rows or values `op` would destroy on
    /// this database. `None` when the op loses nothing here or the database cannot
    /// count it; see [`Backend::loss`], through which the runner asks.
    fn loss_query(&self, op: &Op) -> Option<String>;

    /// What `op` destroys or changes on this database, and the query that counts it;
    /// `None` when it keeps every stored value here. `before` is the schema `op`
    /// applies to. The default is the model's judgement (`Op::data_loss`) counted by
    /// [`Backend::loss_query`]; a backend that knows better for its own storage (SQLite
    /// keeps values through a type change within one affinity, MySQL stores some
    /// types the same) says so here. A loss whose `query` is `None` cannot be counted:
    /// the runner refuses it without consent.
    fn loss(&self, op: &Op, before: &Schema) -> Option<Loss> {
        let _ = before;
        op.data_loss().map(|what| Loss {
            what,
            query: self.loss_query(op),
        })
    }

    /// A count of the stored values `op` cannot convert, which make the database refuse
    /// the statement whatever the consent (PostgreSQL: a label an enum type loses, or
    /// a string that is none of its labels, still held by a row). `before` is the
    /// schema `op` applies to. The runner counts it before running anything, consent
    /// or not, and stops while it finds any: those rows must change first. `None`
    /// when the op converts every value (the default).
    fn refused_query(&self, op: &Op, before: &Schema) -> Option<Refusal> {
        let _ = (op, before);
        None
    }

    /// What `op` needs of the stored data to succeed here, when that can be counted
    /// before anything runs and a failure would leave its revision half applied. The
    /// runner asks only for a revision without a transaction (`Caps::transactional_ddl`
    /// false, or `-- Transaction: none`) and refuses it, before any of it runs, while the
    /// count is above zero; `count` runs the query. `None` (the default) when nothing
    /// needs checking.
    fn requirement(&self, op: &Op) -> Option<Requirement> {
        let _ = op;
        None
    }

    /// Runs a `loss_query`; `Ok(None)` when a table or column it reads does not exist
    /// (yet): then there is nothing to lose now.
    fn count(&mut self, query: &str) -> Result<Option<u64>, BackendError>;

    /// Runs several `loss_query`s, answering for each what `count` would, in order.
    /// One by one unless the backend sends them together (a long downgrade checks a
    /// thousand tables before it starts).
    fn counts(&mut self, queries: &[&str]) -> Result<Vec<Option<u64>>, BackendError> {
        queries.iter().map(|q| self.count(q)).collect()
    }

    /// The bookkeeping SQL for `record`, as `execute` runs it (duration left out), for
    /// `--sql` output.
    fn record_sql(&self, record: &Record) -> Vec<String>;

    /// Runs `script` and the bookkeeping for `record` atomically: all of it commits,
    /// or none of it does and the error names the failing step.
    ///
    /// `activity` is told each body statement as it starts (where the backend can
    /// tell them apart) and the progress of a table rebuild's row copy.
    fn execute(
        &mut self,
        script: &Script,
        record: &Record,
        activity: &Activity,
    ) -> Result<(), BackendError>;
}
