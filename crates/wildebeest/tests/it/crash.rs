//! The crash harness: `wildebeest upgrade` is killed (SIGKILL) at random moments
//! while it applies a generated chain of revisions with rows in the tables, and after
//! every kill the database must be at exactly one revision with nothing lost.
//!
//! The chain has 54 revisions in nine groups of six: create a table and fill it, add
//! a column and more rows, index it, rename a column, make a column NOT NULL (on
//! SQLite a table rebuild of a table with rows), rename the table. Each run upgrades a
//! random number of revisions (`upgrade +N`) and is killed after a random delay; the
//! RNG is a seeded xorshift, and the seed is printed so that a failure can be run
//! again (`WILDEBEEST_CRASH_SEED`). `WILDEBEEST_CRASH_KILLS` sets the number of
//! kills per database (a few by default; docs/RELIABILITY.md has the long mode).
//!
//! After a kill the database must hold:
//! - a version table naming a prefix of the chain, ending at some revision R;
//! - on SQLite and PostgreSQL, an introspected schema equal to R's replayed schema
//!   and exactly the rows the revisions up to R insert;
//! - on MySQL/MariaDB, either the same, or a progress journal naming R's successor
//!   (a revision stopped half way); then an `upgrade` to that revision must finish it,
//!   after which the same checks hold.
//!
//! When the chain is at head a new database starts, until the kills are done; at the
//! end a plain `upgrade` finishes and the database equals head.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::Child;
use std::time::{Duration, Instant};

use wildebeest::app::Project;
use wildebeest::config::Config;
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
        // 1. A table with rows.
        counts.insert(t.clone(), rows);
        push(
            format!("create {t}"),
            format!(
                "CREATE TABLE {t} (\n    id INTEGER NOT NULL,\n    name VARCHAR(100),\n    PRIMARY KEY (id)\n);\n{}\n",
                insert(&t, 1, rows, false)
            ),
            format!("{consent}\nDROP TABLE {t};\n"),
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
        // 3. An index.
        push(
            format!("index {t}.score"),
            format!("CREATE INDEX ix_{t}_score ON {t} (score);\n"),
            match kind {
                Kind::Mysql => format!("DROP INDEX ix_{t}_score ON {t};\n"),
                _ => format!("DROP INDEX ix_{t}_score;\n"),
            },
            false,
            &counts,
        );
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
        let text = format!(
            "-- wildebeest revision\n-- Revision: {}\n-- Revises:{parent}\n-- Message: {}\n-- Created: 2026-01-01T00:00:00Z\n-- Dialect: {dialect}\n\n-- +upgrade\n{}\n-- +downgrade\n{}",
            r.id, r.message, r.upgrade, r.downgrade
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
    /// A revision stopped half way (MySQL) and the statements of it done.
    pub partial: Option<(String, usize)>,
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
        assert!(
            n < chain.len() && p.revision == chain[n].id,
            "{context}: the journal names {} but the version table ends at revision {n}",
            p.revision
        );
        return State {
            applied: n,
            partial: Some((p.revision.clone(), p.steps_done)),
        };
    }
    let expected = backend.canonical(&project.replay(&applied, &mut Vec::new()).unwrap());
    let inspected = backend.inspect().unwrap();
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
        }
    }
    State {
        applied: n,
        partial: None,
    }
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
    /// Kills that left a revision half applied (MySQL journal).
    pub half_applied: usize,
    /// Of those, kills between a DDL statement and its journal entry: the schema no
    /// longer has the fingerprint the journal stored before the statement.
    pub ran_unjournaled: usize,
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
        let left = (chain.len() - state.applied) as u64;
        let steps = 1 + rng.below(left.min(8));
        let spare = rng.below(8) == 0;
        let j = rng.below(steps) as usize;
        let window_ms = per_revision_ms * 1.2 + if j == 0 { startup_ms } else { 0.0 };
        let delay = Duration::from_micros(rng.below((window_ms * 1000.0) as u64 + 1));
        let arg = format!("+{steps}");
        let out = target.project.path().join("run.out");
        let spawned = Instant::now();
        let mut child = target.spawn(&["upgrade", &arg], &out);
        let mut lines = 0;
        let mut last_line = spawned;
        let killed = loop {
            let finished = child.try_wait().unwrap();
            let printed = std::fs::read_to_string(&out)
                .unwrap_or_default()
                .lines()
                .filter(|l| l.starts_with("Applied "))
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
                let err = std::fs::read_to_string(out.with_extension("err")).unwrap();
                assert!(
                    status.success(),
                    "run {i} (upgrade {arg} from revision {}) failed: {err}",
                    state.applied
                );
                tally.finished += 1;
                break false;
            }
            if !spare && lines >= j && last_line.elapsed() >= delay {
                child.kill().unwrap();
                child.wait().unwrap();
                tally.kills += 1;
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
        let done = printed
            .lines()
            .filter(|l| l.starts_with("Applied "))
            .count();
        let before = state.applied;
        let context = format!(
            "run {i} (upgrade {arg} from revision {before}, {} {delay} ms after revision {j} of the run, {done} revision(s) printed)",
            if killed { "killed" } else { "finished" }
        );
        state = check(&target, &chain, &context);
        if killed {
            if done == 0 {
                tally.before_first += 1;
            } else {
                tally.between += 1;
            }
            let running = before + done;
            if running < chain.len() && chain[running].rebuild {
                tally.in_rebuild_revision += 1;
            }
        } else {
            assert_eq!(
                state.applied,
                before + steps as usize,
                "{context}: a finished run must apply every revision it was asked for"
            );
        }
        if let Some((revision, steps_done)) = state.partial.clone() {
            tally.half_applied += 1;
            if let Some(db) = &target.server {
                let backend = wildebeest_mysql::MysqlBackend::connect(&db.url).unwrap();
                let stored = target.rows("SELECT schema_before FROM wildebeest_progress");
                if stored[0][0] != backend.schema_fingerprint().unwrap() {
                    tally.ran_unjournaled += 1;
                }
            }
            eprintln!("{context}: revision {revision} stopped after {steps_done} statement(s)");
            // The journal must let a new run finish the revision.
            target.run_ok(&["upgrade", &revision]);
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
