//! The crash harness: `wildebeest upgrade`, `downgrade` and `stamp` are killed
//! (SIGKILL) at random moments while they run a generated chain of revisions with
//! rows in the tables, and after every kill the database must be at exactly one
//! revision with nothing lost.
//!
//! The chain has 54 revisions in nine groups of six: create a table and fill it, add
//! a column and more rows (on SQLite with a view and a trigger on the table), index it (on PostgreSQL a `-- Transaction: none` revision:
//! an `UPDATE`, an `INSERT ... SELECT` and a `CREATE INDEX CONCURRENTLY`), rename a
//! column, make a column NOT NULL (on SQLite a table rebuild of a table with rows),
//! rename the table. Most runs upgrade a random number of revisions (`upgrade +N`),
//! one in five with revisions applied undoes a few (`downgrade -N`), one in ten
//! stamps two revisions back (and is stamped back after its check); each is killed
//! after a random delay. The RNG is a seeded xorshift, and the seed is printed so
//! that a failure can be run again (`WILDEBEEST_CRASH_SEED`).
//! `WILDEBEEST_CRASH_KILLS` sets the number of kills per database (a few by default;
//! docs/RELIABILITY.md has the long mode).
//!
//! After a kill the database must hold:
//! - a version table naming a prefix of the chain, ending at some revision R;
//! - an introspected schema equal to R's replayed schema and exactly the rows the
//!   revisions up to R insert;
//! - or, on MySQL/MariaDB and for the PostgreSQL `Transaction: none` revision, a
//!   progress journal naming R's successor (an upgrade stopped half way) or R (a
//!   downgrade); then an `upgrade` to that revision (a `downgrade` to the one below)
//!   must finish it, after which the same checks hold.
//!
//! A killed stamp must leave the version table at the old revision or the new one.
//! A run that exits by itself between the harness's last look and its kill is
//! counted as finished, and its exit status must be success. When the chain is at
//! head a new database starts, until the kills are done; at the end a plain
//! `upgrade` finishes and the database equals head.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::Child;
use std::time::{Duration, Instant};

use wildebeest_cli::app::Project;
use wildebeest_cli::config::Config;
use wildebeest_schema::{Hints, diff};

use crate::servers::{Server, TestDb};
use crate::util::{TempProject, query_rows};

/// xorshift64*: small, seeded and the same on every machine, so a failing run can be
/// repeated from its printed seed.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed.max(1))
    }

    pub fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    /// A number in `0..n` (`n > 0`).
    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// The seed from `WILDEBEEST_CRASH_SEED`, else from the clock; printed either way.
pub fn seed(test: &str) -> u64 {
    let seed = match std::env::var("WILDEBEEST_CRASH_SEED") {
        Ok(s) => s.parse().expect("WILDEBEEST_CRASH_SEED is a number"),
        Err(_) => std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos() as u64)
            .unwrap_or(1),
    };
    eprintln!("{test}: seed {seed} (set WILDEBEEST_CRASH_SEED={seed} to run it again)");
    seed
}

/// Which database a chain is written for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Sqlite,
    Postgres,
    Mysql,
}

impl Kind {
    fn dialect(self) -> &'static str {
        match self {
            Kind::Sqlite => "sqlite",
            Kind::Postgres => "postgresql",
            Kind::Mysql => "mysql",
        }
    }

    fn server(self) -> Option<Server> {
        match self {
            Kind::Sqlite => None,
            Kind::Postgres => Some(Server::Postgres),
            Kind::Mysql => Some(Server::Mysql),
        }
    }
}

/// One generated revision.
pub struct Revision {
    pub id: String,
    pub message: String,
    pub upgrade: String,
    pub downgrade: String,
    /// Its upgrade rebuilds a table with rows on SQLite.
    pub rebuild: bool,
    /// Rows per table once this revision is applied.
    pub rows: BTreeMap<String, u64>,
}

/// The id of the `i`-th revision of a generated chain.
pub fn revision_id(i: usize) -> String {
    format!("{:012x}", 0xc7a5_0000_0000_u64 + i as u64)
}

/// `INSERT INTO table (columns) VALUES ...` with `n` rows whose ids start at `first`.
fn insert(table: &str, first: u64, n: u64, with_score: bool) -> String {
    let rows: Vec<String> = (first..first + n)
        .map(|i| {
            if with_score {
                format!("({i}, 'name {i}', {})", i % 97)
            } else {
                format!("({i}, 'name {i}')")
            }
        })
        .collect();
    let columns = if with_score {
        "id, name, score"
    } else {
        "id, name"
    };
    format!(
        "INSERT INTO {table} ({columns}) VALUES {};",
        rows.join(", ")
    )
}

/// How many rows the PostgreSQL `-- Transaction: none` revision copies, and the
/// offset of the copies' ids.
const COPIED: u64 = 10;
const COPY_OFFSET: u64 = 100_000;

/// The log table and procedure the MySQL chain's `CALL`s use, made with the database
/// and left out of the schema comparison.
const LOG_TABLE: &str = "call_log";
const LOG_PROC: &str = "log_call";

/// The chain: `groups` groups of six revisions (see the module comment).
pub fn chain(kind: Kind, groups: usize, rows: u64) -> Vec<Revision> {
    let mut out: Vec<Revision> = Vec::new();
    let mut counts: BTreeMap<String, u64> = BTreeMap::new();
    let consent = "-- wildebeest: allow-data-loss";
    for g in 0..groups {
        let t = format!("t{g}");
        let r = format!("r{g}");
        let mut push = |message: String,
                        upgrade: String,
                        downgrade: String,
                        rebuild: bool,
                        counts: &BTreeMap<String, u64>| {
            out.push(Revision {
                id: revision_id(out.len()),
                message,
                upgrade,
                downgrade,
                rebuild,
                rows: counts.clone(),
            });
        };
        // 1. A table with rows; on SQLite also a view and a trigger on it, which
        // the rebuild of revision 5 must keep working.
        counts.insert(t.clone(), rows);
        let (extra, undo) = if kind == Kind::Sqlite {
            (
                format!(
                    "CREATE VIEW v_{t} AS SELECT * FROM {t};\n\
                     CREATE TRIGGER tr_{t} AFTER UPDATE ON {t} BEGIN SELECT 1; END;\n"
                ),
                format!("DROP VIEW v_{t};\n"),
            )
        } else {
            (String::new(), String::new())
        };
        push(
            format!("create {t}"),
            format!(
                "CREATE TABLE {t} (\n    id INTEGER NOT NULL,\n    name VARCHAR(100),\n    PRIMARY KEY (id)\n);\n{}\n{extra}",
                insert(&t, 1, rows, false)
            ),
            format!("{undo}{consent}\nDROP TABLE {t};\n"),
            false,
            &counts,
        );
        // 2. A column, and more rows that fill it.
        let more = rows / 4 + 1;
        *counts.get_mut(&t).unwrap() += more;
        push(
            format!("add {t}.score"),
            format!(
                "ALTER TABLE {t} ADD COLUMN score INTEGER;\n{}\nUPDATE {t} SET score = 0 WHERE score IS NULL;\n",
                insert(&t, rows + 1, more, true)
            ),
            format!(
                "DELETE FROM {t} WHERE id > {rows};\n{consent}\nALTER TABLE {t} DROP COLUMN score;\n"
            ),
            false,
            &counts,
        );
        // 3. An index. On PostgreSQL a `-- Transaction: none` revision: an `UPDATE`
        // and an `INSERT ... SELECT` (which a second run would fail on: the ids
        // repeat) around a `CREATE INDEX CONCURRENTLY`, undone the same way.
        if kind == Kind::Postgres {
            *counts.get_mut(&t).unwrap() += COPIED;
            push(
                format!("index {t}.score"),
                format!(
                    "-- Transaction: none\nUPDATE {t} SET score = score + 1 WHERE id = 1;\n\
                     INSERT INTO {t} (id, name, score) SELECT id + {COPY_OFFSET}, name, score FROM {t} WHERE id <= {COPIED};\n\
                     CREATE INDEX CONCURRENTLY ix_{t}_score ON {t} (score);\n"
                ),
                format!(
                    "DROP INDEX CONCURRENTLY ix_{t}_score;\nDELETE FROM {t} WHERE id > {COPY_OFFSET};\n\
                     UPDATE {t} SET score = score - 1 WHERE id = 1;\n"
                ),
                false,
                &counts,
            );
        } else if kind == Kind::Mysql {
            // On MySQL with a `CALL` of a procedure that logs a row, whose effect no
            // schema shows: a kill while it runs leaves it in doubt, and the harness
            // answers the advice as a user would, from the log (see `call_ran`).
            push(
                format!("index {t}.score"),
                format!("CREATE INDEX ix_{t}_score ON {t} (score);\nCALL {LOG_PROC}('+{t}');\n"),
                format!("CALL {LOG_PROC}('-{t}');\nDROP INDEX ix_{t}_score ON {t};\n"),
                false,
                &counts,
            );
        } else {
            push(
                format!("index {t}.score"),
                format!("CREATE INDEX ix_{t}_score ON {t} (score);\n"),
                format!("DROP INDEX ix_{t}_score;\n"),
                false,
                &counts,
            );
        }
        // 4. A column renamed.
        push(
            format!("rename {t}.name"),
            format!("ALTER TABLE {t} RENAME COLUMN name TO label;\n"),
            format!("ALTER TABLE {t} RENAME COLUMN label TO name;\n"),
            false,
            &counts,
        );
        // 5. NOT NULL: a table rebuild on SQLite.
        let (up, down) = match kind {
            Kind::Mysql => (
                format!("ALTER TABLE {t} MODIFY COLUMN score INTEGER NOT NULL;\n"),
                format!("ALTER TABLE {t} MODIFY COLUMN score INTEGER NULL;\n"),
            ),
            _ => (
                format!("ALTER TABLE {t} ALTER COLUMN score SET NOT NULL;\n"),
                format!("ALTER TABLE {t} ALTER COLUMN score DROP NOT NULL;\n"),
            ),
        };
        push(format!("require {t}.score"), up, down, true, &counts);
        // 6. The table renamed.
        let n = counts.remove(&t).unwrap();
        counts.insert(r.clone(), n);
        push(
            format!("rename {t} to {r}"),
            format!("ALTER TABLE {t} RENAME TO {r};\n"),
            format!("ALTER TABLE {r} RENAME TO {t};\n"),
            false,
            &counts,
        );
    }
    out
}

/// Writes the chain as migration files in `dialect`.
pub fn write_chain(p: &TempProject, chain: &[Revision], dialect: &str) {
    for (i, r) in chain.iter().enumerate() {
        let parent = if i == 0 {
            String::new()
        } else {
            format!(" {}", chain[i - 1].id)
        };
        // A `-- Transaction: none` first line of the upgrade is a header line.
        let (header, upgrade) = match r.upgrade.strip_prefix("-- Transaction: none\n") {
            Some(rest) => ("-- Transaction: none\n", rest),
            None => ("", r.upgrade.as_str()),
        };
        let text = format!(
            "-- wildebeest revision\n-- Revision: {}\n-- Revises:{parent}\n-- Message: {}\n-- Created: 2026-01-01T00:00:00Z\n-- Dialect: {dialect}\n{header}\n-- +upgrade\n{upgrade}\n-- +downgrade\n{}",
            r.id, r.message, r.downgrade
        );
        p.write(
            &format!(
                "migrations/20260101_{:06}_{}_{}.sql",
                i,
                r.id,
                r.message.replace([' ', '.'], "_")
            ),
            &text,
        );
    }
}

/// A database under test: a SQLite file in the project, or a server's database.
pub struct Target {
    pub project: TempProject,
    pub server: Option<TestDb>,
}

impl Target {
    /// A project with `chain` on a new database of `kind`; `None` when the server is
    /// not configured.
    pub fn new(kind: Kind, chain: &[Revision], test: &str) -> Option<Target> {
        let server = match kind.server() {
            Some(s) => Some(TestDb::new(s, test)?),
            None => None,
        };
        if kind == Kind::Mysql
            && let Some(db) = &server
        {
            db.execute(&format!(
                "CREATE TABLE {LOG_TABLE} (what VARCHAR(20) NOT NULL); \
                 CREATE PROCEDURE {LOG_PROC}(IN what VARCHAR(20)) INSERT INTO {LOG_TABLE} VALUES (what)"
            ));
        }
        let project = TempProject::init();
        if let Some(db) = &server {
            project.write(
                "wildebeest.toml",
                &format!("database_url = \"{}\"\n", db.url),
            );
        }
        write_chain(&project, chain, kind.dialect());
        Some(Target { project, server })
    }

    /// The binary with `args`, run in the project, its stdout to `out`.
    pub fn spawn(&self, args: &[&str], out: &Path) -> Child {
        std::process::Command::new(assert_cmd::cargo::cargo_bin("wildebeest"))
            .current_dir(self.project.path())
            .env_remove("DATABASE_URL")
            .env("NO_COLOR", "1")
            .args(args)
            .stdout(std::fs::File::create(out).unwrap())
            .stderr(std::fs::File::create(out.with_extension("err")).unwrap())
            .spawn()
            .unwrap()
    }

    /// Runs the binary to the end; panics unless it succeeds.
    pub fn run_ok(&self, args: &[&str]) {
        let out = self
            .project
            .cmd(args)
            .env("NO_COLOR", "1")
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "wildebeest {args:?} failed:\n{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }

    /// Every row of `sql`, as text.
    pub fn rows(&self, sql: &str) -> Vec<Vec<String>> {
        match &self.server {
            Some(db) => db.rows(sql),
            None => query_rows(&rusqlite::Connection::open(self.project.db()).unwrap(), sql),
        }
    }

    fn count(&self, table: &str) -> u64 {
        self.rows(&format!("SELECT COUNT(*) FROM {table}"))[0][0]
            .parse()
            .unwrap()
    }
}

/// The state a check found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct State {
    /// How many revisions of the chain are applied (a prefix).
    pub applied: usize,
    /// A revision stopped half way (MySQL, or PostgreSQL `-- Transaction: none`),
    /// whether in its downgrade, and the statements of it done.
    pub partial: Option<(String, bool, usize)>,
}

/// Checks the invariants after a kill; panics with what is wrong.
pub fn check(target: &Target, chain: &[Revision], context: &str) -> State {
    let root = target.project.path();
    let project = Project::load(Config::load(root, None, None).unwrap()).unwrap();
    let Some(mut backend) = project.open(false).unwrap() else {
        // The SQLite file was never created: nothing applied.
        return State {
            applied: 0,
            partial: None,
        };
    };
    // A server finishes what the killed run's session sent before it went (a COMMIT
    // on its way): reading before the session ends would see one state in the version
    // table and the next in the schema. Its lock goes with the session.
    if target.server.is_some() {
        backend.lock().unwrap();
    }
    let applied: BTreeSet<String> = backend
        .applied()
        .unwrap()
        .into_iter()
        .map(|a| a.revision)
        .collect();
    let n = applied.len();
    let prefix: BTreeSet<String> = chain[..n.min(chain.len())]
        .iter()
        .map(|r| r.id.clone())
        .collect();
    assert_eq!(
        applied, prefix,
        "{context}: the version table is not a prefix of the chain"
    );
    let partial = backend.partial().unwrap();
    if let Some(p) = &partial {
        // An upgrade under way is of the revision after the last applied one; a
        // downgrade, of the last applied one.
        let down = p.operation == wildebeest_runner::Operation::Downgrade;
        let expected = if down { n.checked_sub(1) } else { Some(n) };
        assert!(
            expected.is_some_and(|e| e < chain.len() && p.revision == chain[e].id),
            "{context}: the journal names {} ({}) but the version table ends at revision {n}",
            p.revision,
            p.operation.as_str()
        );
        return State {
            applied: n,
            partial: Some((p.revision.clone(), down, p.steps_done)),
        };
    }
    let expected = backend.canonical(&project.replay(&applied, &mut Vec::new()).unwrap());
    let mut inspected = backend.inspect().unwrap();
    inspected.tables.remove(LOG_TABLE);
    inspected
        .routines
        .retain(|_, r| !r.name.eq_ignore_ascii_case(LOG_PROC));
    let actual = backend.canonical(&inspected);
    let drift: Vec<String> = diff(&expected, &actual, &Hints::default())
        .iter()
        .map(|op| op.describe())
        .collect();
    assert!(
        drift.is_empty(),
        "{context}: at revision {n} the schema differs from its replay: {drift:?}"
    );
    drop(backend);
    if n > 0 {
        for (table, rows) in &chain[n - 1].rows {
            assert_eq!(
                target.count(table),
                *rows,
                "{context}: table {table} at revision {n} lost or gained rows"
            );
            // On SQLite the view and the trigger on the table survive its rebuild
            // and renames: the view reads every row, the trigger is there.
            if target.server.is_none() {
                let g = &table[1..];
                assert_eq!(
                    target.count(&format!("v_t{g}")),
                    *rows,
                    "{context}: the view on {table} at revision {n} does not read its rows"
                );
                assert_eq!(
                    target.rows(&format!(
                        "SELECT tbl_name FROM sqlite_master WHERE type = 'trigger' AND name = 'tr_t{g}'"
                    )),
                    [[table.clone()]],
                    "{context}: the trigger on {table} at revision {n} is gone"
                );
            }
        }
    }
    // On MySQL each `CALL` ran exactly once per application and undoing.
    if let Some(db) = &target.server
        && db.server == Server::Mysql
    {
        for (i, r) in chain.iter().enumerate() {
            if let Some((up, down)) = call_counts(target, r) {
                let expected = if i < n { down + 1 } else { down };
                assert_eq!(
                    up, expected,
                    "{context}: revision {i} logged {up} upgrade calls and {down} downgrade calls"
                );
            }
        }
    }
    State {
        applied: n,
        partial: None,
    }
}

/// For a revision of the MySQL chain that calls the logging procedure: how many rows
/// its upgrade and its downgrade logged.
fn call_counts(target: &Target, r: &Revision) -> Option<(u64, u64)> {
    let at = r.upgrade.find(&format!("CALL {LOG_PROC}('+"))?;
    let what = r.upgrade[at..].split('\'').nth(1)?.trim_start_matches('+');
    let count = |sign: &str| -> u64 {
        target.rows(&format!(
            "SELECT COUNT(*) FROM {LOG_TABLE} WHERE what = '{sign}{what}'"
        ))[0][0]
            .parse()
            .unwrap()
    };
    Some((count("+"), count("-")))
}

/// Resumes a half-done revision with `args` (`upgrade REV`, `downgrade REV`); where
/// the run stops on a statement in doubt (the MySQL chain's `CALL`), answers as a user
/// would: checks the log, and runs the command the advice gives for what it found,
/// as written. Returns whether it had to.
fn resume(
    target: &Target,
    chain: &[Revision],
    revision: &str,
    down: bool,
    args: &[&str],
    context: &str,
) -> bool {
    let out = target
        .project
        .cmd(args)
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    if out.status.success() {
        return false;
    }
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(
        err.contains("cannot tell whether it ran") && err.contains("CALL"),
        "{context}: wildebeest {args:?} failed:\n{err}"
    );
    let r = chain.iter().find(|r| r.id == revision).unwrap();
    let (up, downs) = call_counts(target, r).expect("only a CALL is in doubt");
    // The upgrade's CALL ran when it logged one more than the downgrades; the
    // downgrade's, when the two are equal again.
    let ran = if down { up == downs } else { up == downs + 1 };
    let commands: Vec<&str> = err
        .split('`')
        .skip(1)
        .step_by(2)
        .filter(|c| c.contains("--resume-"))
        .collect();
    let wanted = if ran { "--resume-after" } else { "--resume-at" };
    let command = commands
        .iter()
        .find(|c| c.contains(wanted))
        .unwrap_or_else(|| panic!("{context}: no `{wanted}` in the advice:\n{err}"));
    let words: Vec<&str> = command.split(' ').collect();
    assert_eq!(words[0], "wildebeest", "{context}: {command}");
    target.run_ok(&words[1..]);
    true
}

/// What the kills hit, for the report.
#[derive(Debug, Default)]
pub struct Tally {
    pub kills: usize,
    /// Runs that ended on their own before their kill.
    pub finished: usize,
    /// Kills before the run applied its first revision (connecting, locking, planning).
    pub before_first: usize,
    /// Kills while a revision was under way (after at least one finished in the run).
    pub between: usize,
    /// Kills during a revision that rebuilds a table on SQLite.
    pub in_rebuild_revision: usize,
    /// Kills of a `downgrade`, and of a `stamp`.
    pub downgrades: usize,
    pub stamps: usize,
    /// Kills that left a revision half applied (the journal).
    pub half_applied: usize,
    /// Of those, kills while a statement the journal names as about to run was
    /// running (MySQL DDL, PostgreSQL `CONCURRENTLY`): it is in doubt.
    pub in_doubt: usize,
    /// Of those, the statement ran and its journal entry did not (MySQL: the schema
    /// no longer has the fingerprint the journal took right before the statement,
    /// taken again the same way; PostgreSQL: the index is there and valid, or gone).
    pub ran_unjournaled: usize,
    /// Resumes that stopped on a statement in doubt (the MySQL chain's `CALL`) and
    /// were finished by following the advice as written.
    pub advised: usize,
    /// Runs that exited by themselves between the harness's last look and its kill:
    /// counted as finished, their status read.
    pub exited_before_kill: usize,
    pub databases: usize,
}

fn kills(default: usize) -> usize {
    std::env::var("WILDEBEEST_CRASH_KILLS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(default)
}

/// The harness for one database.
pub fn crash_harness(kind: Kind) {
    let name = format!("crash_{}", kind.dialect());
    let groups = 9;
    let rows = 400;
    let chain = chain(kind, groups, rows);
    let Some(mut target) = Target::new(kind, &chain, &name) else {
        return;
    };
    let mut rng = Rng::new(seed(&name));
    let wanted = kills(12);
    let started = Instant::now();
    let mut tally = Tally {
        databases: 1,
        ..Tally::default()
    };
    let mut state = check(&target, &chain, "before the first run");
    // Where a kill lands: each run picks the revision of its plan to die in (`j`, the
    // number of revisions it prints first) and a delay into that revision, drawn from
    // how long a revision takes, learned from the gaps between the lines the runs
    // print; the first revision's window also covers the start-up (connecting,
    // locking, reading the schema, planning). One run in eight is left to finish, so
    // that the chain moves on also on SQLite, where a killed run keeps nothing.
    let mut startup_ms = 50.0_f64;
    let mut per_revision_ms = 20.0_f64;
    let mut report_at = 50;
    let mut i = 0;
    while tally.kills < wanted {
        i += 1;
        if state.applied == chain.len() {
            // At head: go on with a new database.
            drop(target);
            target = Target::new(kind, &chain, &name).unwrap();
            tally.databases += 1;
            state = check(&target, &chain, "on a new database");
        }
        // Most runs upgrade; one in five with something applied undoes a few
        // revisions, one in ten stamps two revisions back (and is stamped back).
        let before = state.applied;
        let pick = rng.below(10);
        let (op, steps) = if before > 0 && pick < 2 {
            ("downgrade", 1 + rng.below((before as u64).min(4)))
        } else if before > 1 && pick == 2 {
            ("stamp", 2)
        } else {
            let left = (chain.len() - before) as u64;
            ("upgrade", 1 + rng.below(left.min(8)))
        };
        let arg = match op {
            "upgrade" => format!("+{steps}"),
            "downgrade" => format!("-{steps}"),
            _ if before >= 3 => chain[before - 3].id.clone(),
            _ => "base".to_string(),
        };
        let spare = rng.below(8) == 0;
        let j = if op == "stamp" {
            0
        } else {
            rng.below(steps) as usize
        };
        let window_ms = per_revision_ms * 1.2 + if j == 0 { startup_ms } else { 0.0 };
        let delay = Duration::from_micros(rng.below((window_ms * 1000.0) as u64 + 1));
        let out = target.project.path().join("run.out");
        let spawned = Instant::now();
        let mut child = target.spawn(&[op, &arg], &out);
        let mut lines = 0;
        let mut last_line = spawned;
        let done_line = |l: &str| l.contains("] Applied ") || l.contains("] Reverted ");
        let finished_ok = |status: std::process::ExitStatus, tally: &mut Tally| {
            let err = std::fs::read_to_string(out.with_extension("err")).unwrap();
            assert!(
                status.success(),
                "run {i} ({op} {arg} from revision {before}) failed: {err}"
            );
            tally.finished += 1;
        };
        let killed = loop {
            let finished = child.try_wait().unwrap();
            let printed = std::fs::read_to_string(&out)
                .unwrap_or_default()
                .lines()
                .filter(|l| done_line(l))
                .count();
            if printed > lines {
                let now = Instant::now();
                let gap =
                    now.duration_since(last_line).as_secs_f64() * 1000.0 / (printed - lines) as f64;
                if lines == 0 {
                    startup_ms = (startup_ms * 3.0 + (gap - per_revision_ms).max(1.0)) / 4.0;
                } else {
                    per_revision_ms = (per_revision_ms * 3.0 + gap) / 4.0;
                }
                lines = printed;
                last_line = now;
            }
            if let Some(status) = finished {
                finished_ok(status, &mut tally);
                break false;
            }
            if !spare && lines >= j && last_line.elapsed() >= delay {
                child.kill().unwrap();
                let status = child.wait().unwrap();
                // It may have exited by itself since `try_wait`: then the kill found
                // a finished process, and its own status says how it ended.
                use std::os::unix::process::ExitStatusExt;
                if status.signal() != Some(9) {
                    tally.exited_before_kill += 1;
                    finished_ok(status, &mut tally);
                    break false;
                }
                tally.kills += 1;
                match op {
                    "downgrade" => tally.downgrades += 1,
                    "stamp" => tally.stamps += 1,
                    _ => {}
                }
                if tally.kills == report_at {
                    eprintln!("{name}: {} kills so far", tally.kills);
                    report_at += 50;
                }
                break true;
            }
            std::thread::sleep(Duration::from_micros(300));
        };
        let delay = format!("{:.1}", delay.as_secs_f64() * 1000.0);
        let printed = std::fs::read_to_string(&out).unwrap();
        let done = printed.lines().filter(|l| done_line(l)).count();
        let context = format!(
            "run {i} ({op} {arg} from revision {before}, {} {delay} ms after revision {j} of the run, {done} revision(s) printed)",
            if killed { "killed" } else { "finished" }
        );
        if op == "stamp" {
            // A stamp changes the version table only: it names the old revision or
            // the new one, never anything else; stamped back, the usual checks hold.
            let applied = applied_count(&target);
            let target_n = before - 2;
            assert!(
                applied == before || applied == target_n,
                "{context}: the version table holds {applied} revisions, neither {before} nor {target_n}"
            );
            target.run_ok(&["stamp", &chain[before - 1].id]);
            state = check(&target, &chain, &format!("{context}, then stamped back"));
            assert_eq!(state.applied, before, "{context}");
            if killed {
                tally.before_first += 1;
            }
            continue;
        }
        state = check(&target, &chain, &context);
        if killed {
            if done == 0 {
                tally.before_first += 1;
            } else {
                tally.between += 1;
            }
            let running = before + done;
            if op == "upgrade" && running < chain.len() && chain[running].rebuild {
                tally.in_rebuild_revision += 1;
            }
        } else if op == "upgrade" {
            assert_eq!(
                state.applied,
                before + steps as usize,
                "{context}: a finished run must apply every revision it was asked for"
            );
        } else {
            assert_eq!(
                state.applied,
                before - steps as usize,
                "{context}: a finished run must undo every revision it was asked to"
            );
        }
        if let Some((revision, down, steps_done)) = state.partial.clone() {
            tally.half_applied += 1;
            measure_doubt(&target, kind, &mut tally);
            eprintln!(
                "{context}: revision {revision} stopped after {steps_done} statement(s) of its {}",
                if down { "downgrade" } else { "upgrade" }
            );
            // The journal must let a new run finish the revision: an upgrade to it, or
            // a downgrade to the revision below it.
            if down {
                let n = state.applied;
                let below = if n >= 2 {
                    chain[n - 2].id.clone()
                } else {
                    "base".to_string()
                };
                tally.advised += usize::from(resume(
                    &target,
                    &chain,
                    &revision,
                    true,
                    &["downgrade", &below],
                    &context,
                ));
            } else {
                tally.advised += usize::from(resume(
                    &target,
                    &chain,
                    &revision,
                    false,
                    &["upgrade", &revision],
                    &context,
                ));
            }
            state = check(&target, &chain, &format!("{context}, then resumed"));
            assert!(
                state.partial.is_none(),
                "{context}: the resumed run left a journal"
            );
        }
    }
    target.run_ok(&["upgrade"]);
    let end = check(&target, &chain, "after the final upgrade");
    assert_eq!(end.applied, chain.len());
    eprintln!(
        "{name}: {tally:?} in {:.1} s",
        started.elapsed().as_secs_f64()
    );
}

/// How many revisions the version table names, read under the migration lock (a
/// killed run's session finishes what it sent first).
fn applied_count(target: &Target) -> usize {
    let project = Project::load(Config::load(target.project.path(), None, None).unwrap()).unwrap();
    let Some(mut backend) = project.open(false).unwrap() else {
        return 0;
    };
    if target.server.is_some() {
        backend.lock().unwrap();
    }
    backend.applied_ids().unwrap().len()
}

/// For a journal that names a statement as about to run (the kill came while it
/// ran): counts it in doubt, and as run without its journal entry when the database
/// shows that it ran, measured apart from the backend's own judgement: on MySQL the
/// fingerprint the journal took right before it, taken again the same way; on
/// PostgreSQL the index of a `CREATE INDEX CONCURRENTLY` there and valid, or of a
/// `DROP INDEX CONCURRENTLY` gone.
fn measure_doubt(target: &Target, kind: Kind, tally: &mut Tally) {
    let Some(db) = &target.server else {
        return;
    };
    match kind {
        Kind::Mysql => {
            let rows = target.rows(
                "SELECT next_step, schema_before FROM wildebeest_progress WHERE error = '' AND next_step <> ''",
            );
            let [row] = rows.as_slice() else {
                return;
            };
            tally.in_doubt += 1;
            let backend = wildebeest_mysql::MysqlBackend::connect(&db.url).unwrap();
            let now = backend.fingerprint_like(&row[0], &row[1]).unwrap();
            if now.as_deref() != Some(row[1].as_str()) {
                tally.ran_unjournaled += 1;
            }
        }
        Kind::Postgres => {
            let rows = target.rows(
                "SELECT next_step FROM wildebeest_progress WHERE error = '' AND next_step <> ''",
            );
            let [row] = rows.as_slice() else {
                return;
            };
            tally.in_doubt += 1;
            let sql = &row[0];
            let name = sql
                .split_whitespace()
                .find(|w| w.starts_with("ix_"))
                .expect("the chain's concurrent statements name ix_ indexes");
            let valid = target.rows(&format!(
                "SELECT i.indisvalid::text FROM pg_index i WHERE i.indexrelid = to_regclass('{name}')"
            ));
            let ran = if sql.starts_with("CREATE") {
                valid == [["true"]]
            } else {
                valid.is_empty()
            };
            if ran {
                tally.ran_unjournaled += 1;
            }
        }
        Kind::Sqlite => {}
    }
}

#[test]
fn sigkill_during_upgrade_leaves_sqlite_at_one_revision() {
    crash_harness(Kind::Sqlite);
}

#[test]
fn sigkill_during_upgrade_leaves_postgres_at_one_revision() {
    crash_harness(Kind::Postgres);
}

#[test]
fn sigkill_during_upgrade_leaves_mysql_at_one_revision() {
    crash_harness(Kind::Mysql);
}
