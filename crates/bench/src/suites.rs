//! The suites: each builds its workloads in a temporary folder, times the commands and
//! returns a [`Report`].

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use crate::measure::{Sample, time_command};
use crate::workload::{self as w, Flavor};
use crate::{Options, Report, Result};

/// The heavy cases (a million rows, a server round trip per statement) run at most
/// this many times.
const HEAVY_RUNS: usize = 3;

fn wb(options: &Options, dir: &Path) -> Command {
    let mut cmd = Command::new(&options.bin);
    cmd.arg("-C")
        .arg(dir)
        .env_remove("DATABASE_URL")
        .env("NO_COLOR", "1");
    cmd
}

/// Runs an untimed setup command; an error quotes its output.
fn run(cmd: &mut Command) -> Result<String> {
    run_script(cmd.stdin(Stdio::null()))
}

/// Runs a command with the stdin it was given (a script for `psql` or `mariadb`).
fn run_script(cmd: &mut Command) -> Result<String> {
    let out = cmd
        .output()
        .map_err(|e| format!("cannot run {:?}: {e}", cmd.get_program()))?;
    if !out.status.success() {
        return Err(format!(
            "{cmd:?} failed ({}): {}{}",
            out.status,
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
        .into());
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// Times `runs` runs of the command `make` builds, calling `setup` (untimed) first.
fn measure(
    runs: usize,
    mut setup: impl FnMut() -> Result<()>,
    mut make: impl FnMut() -> Result<Command>,
    ok: &[i32],
) -> Result<Vec<Sample>> {
    let mut samples = Vec::with_capacity(runs);
    for _ in 0..runs {
        setup()?;
        samples.push(time_command(&mut make()?, ok)?);
    }
    Ok(samples)
}

fn nothing() -> Result<()> {
    Ok(())
}

/// A schema or database name of this run: two benchmarks on one server (two
/// checkouts, or CI jobs) would otherwise drop each other's work half-way.
fn unique(name: &str) -> String {
    format!("{name}_{}", std::process::id())
}

fn temp() -> Result<tempfile::TempDir> {
    Ok(tempfile::Builder::new()
        .prefix("wildebeest-bench-")
        .tempdir()?)
}

fn remove(path: &Path) -> Result<()> {
    match fs::remove_file(path) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e.into()),
        _ => Ok(()),
    }
}

/// A database server from the test environment variables, with a fresh schema (or
/// database) per workload that is dropped again afterwards.
struct Server {
    flavor: Flavor,
    url: String,
}

impl Server {
    fn from_env() -> Vec<Server> {
        let mut servers = Vec::new();
        if let Ok(url) = std::env::var("WILDEBEEST_TEST_POSTGRES_URL") {
            servers.push(Server {
                flavor: Flavor::Postgres,
                url,
            });
        }
        if let Ok(url) = std::env::var("WILDEBEEST_TEST_MYSQL_URL") {
            servers.push(Server {
                flavor: Flavor::Mysql,
                url,
            });
        }
        servers
    }

    fn tool(&self) -> &'static str {
        match self.flavor {
            Flavor::Postgres => "psql",
            _ => "mariadb",
        }
    }

    fn label(&self) -> &'static str {
        match self.flavor {
            Flavor::Postgres => "PostgreSQL",
            _ => "MariaDB",
        }
    }

    /// (user, password, host, port, database) of a `scheme://user:pw@host:port/db` URL.
    fn mysql_parts(&self) -> (String, Option<String>, String, String) {
        let rest = self.url.split_once("://").map_or(&*self.url, |(_, r)| r);
        let (auth, hostpart) = rest.rsplit_once('@').unwrap_or(("root", rest));
        let (user, pw) = match auth.split_once(':') {
            Some((u, p)) => (u.to_owned(), Some(p.to_owned())),
            None => (auth.to_owned(), None),
        };
        let hostport = hostpart.split(['/', '?']).next().unwrap_or("127.0.0.1");
        let (host, port) = hostport.split_once(':').unwrap_or((hostport, "3306"));
        (user, pw, host.to_owned(), port.to_owned())
    }

    fn mariadb(&self, database: Option<&str>) -> Command {
        let (user, pw, host, port) = self.mysql_parts();
        let mut cmd = Command::new("mariadb");
        cmd.args(["-h", &host, "-P", &port, "-u", &user]);
        if let Some(pw) = pw {
            cmd.arg(format!("-p{pw}"));
        }
        if let Some(db) = database {
            cmd.arg(db);
        }
        cmd
    }

    fn psql(&self, schema: Option<&str>) -> Command {
        let mut cmd = Command::new("psql");
        cmd.args(["-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", &self.url]);
        if let Some(schema) = schema {
            cmd.env("PGOPTIONS", format!("-c search_path={schema}"));
        }
        cmd
    }

    /// Drops and creates the schema (PostgreSQL) or database (MariaDB) `name`.
    fn fresh(&self, name: &str) -> Result<()> {
        self.drop(name)?;
        let sql = match self.flavor {
            Flavor::Postgres => format!("CREATE SCHEMA {name};"),
            _ => format!("CREATE DATABASE {name};"),
        };
        self.admin(&sql)
    }

    fn drop(&self, name: &str) -> Result<()> {
        match self.flavor {
            Flavor::Postgres => {
                // One table per transaction: a thousand tables dropped in one
                // statement exceed the lock table (max_locks_per_transaction).
                let tables = run(self.psql(None).args([
                    "-At",
                    "-c",
                    &format!(
                        "SELECT tablename FROM pg_tables WHERE schemaname = '{name}' ORDER BY tablename DESC"
                    ),
                ]))?;
                let mut script: String = tables
                    .lines()
                    .map(|t| format!("DROP TABLE IF EXISTS {name}.\"{t}\" CASCADE;\n"))
                    .collect();
                script.push_str(&format!("DROP SCHEMA IF EXISTS {name} CASCADE;\n"));
                let file = tempfile::NamedTempFile::new()?;
                fs::write(file.path(), script)?;
                let mut cmd = self.psql(None);
                cmd.env("PGOPTIONS", "-c client_min_messages=warning");
                run_script(cmd.stdin(fs::File::open(file.path())?)).map(drop)
            }
            _ => self.admin(&format!("DROP DATABASE IF EXISTS {name};")),
        }
    }

    fn admin(&self, sql: &str) -> Result<()> {
        let mut cmd = match self.flavor {
            Flavor::Postgres => self.psql(None),
            _ => self.mariadb(None),
        };
        // Quiet the NOTICE PostgreSQL prints for a schema that is not there.
        cmd.env("PGOPTIONS", "-c client_min_messages=warning");
        let flag = if self.flavor == Flavor::Postgres {
            "-c"
        } else {
            "-e"
        };
        run(cmd.arg(flag).arg(sql)).map(drop)
    }

    /// The URL wildebeest uses for the schema or database `name`.
    fn url_for(&self, name: &str) -> String {
        match self.flavor {
            Flavor::Postgres => {
                let sep = if self.url.contains('?') { '&' } else { '?' };
                format!("{}{sep}schema={name}", self.url)
            }
            _ => {
                let (user, pw, host, port) = self.mysql_parts();
                let auth = pw.map_or(user.clone(), |p| format!("{user}:{p}"));
                format!("mysql://{auth}@{host}:{port}/{name}")
            }
        }
    }

    /// What `current` asks: the applied revisions of the schema or database `name`.
    fn current_query(&self, name: &str) -> String {
        format!("SELECT revision FROM {name}.wildebeest_revisions ORDER BY revision")
    }

    /// The client running one query and printing its rows: `psql -c`, `mariadb -e`
    /// (each with the URL's connection settings, `sslmode` included).
    fn query(&self, sql: &str) -> Command {
        let mut cmd = match self.flavor {
            Flavor::Postgres => self.psql(None),
            _ => self.mariadb(None),
        };
        let flag = if self.flavor == Flavor::Postgres {
            "-c"
        } else {
            "-e"
        };
        cmd.arg(flag).arg(sql);
        cmd
    }

    /// A command that runs the SQL file in one go: `psql -1 -f`, `mariadb < file`.
    fn raw(&self, name: &str, file: &Path) -> Result<Command> {
        Ok(match self.flavor {
            Flavor::Postgres => {
                let mut cmd = self.psql(Some(name));
                cmd.arg("-1").arg("-f").arg(file);
                cmd
            }
            _ => {
                let mut cmd = self.mariadb(Some(name));
                cmd.stdin(fs::File::open(file)?);
                cmd
            }
        })
    }
}

/// Suite 1: `current`, `heads` and `history` on linear chains and on a graph of merges.
pub fn graph(options: &Options) -> Result<Report> {
    let mut report = Report::new("graph");
    let tmp = temp()?;
    let (sizes, merges) = if options.quick {
        (vec![20], 3)
    } else if options.long {
        (vec![1_000, 10_000, 100_000], 100)
    } else {
        (vec![1_000, 10_000], 100)
    };
    let mut workloads: Vec<(String, PathBuf, bool)> = Vec::new();
    for n in sizes {
        let dir = tmp.path().join(format!("linear{n}"));
        w::write_project(&dir, "sqlite:app.db")?;
        w::linear_chain(&dir.join("migrations"), n)?;
        workloads.push((format!("{n} revisions, linear"), dir, true));
    }
    let dir = tmp.path().join("merges");
    w::write_project(&dir, "sqlite:app.db")?;
    let total = w::merge_graph(&dir.join("migrations"), merges)?;
    workloads.push((format!("{total} revisions, {merges} merges"), dir, false));

    // `current` reads the database: record head as applied first.
    for (_, dir, _) in &workloads {
        run(wb(options, dir).args(["stamp", "head"]))?;
    }
    // Headers are cached only from files whose times are a few seconds old (see
    // ARCHITECTURE.md); a team's history is older than that.
    std::thread::sleep(std::time::Duration::from_secs(4));
    for (label, dir, linear) in &workloads {
        let cache = dir.join(".wildebeest_cache");
        // The floor of any tool that notices an edited file: listing the folder with
        // each file's size, modification time and inode.
        let find = || {
            let mut cmd = Command::new("find");
            cmd.arg(dir.join("migrations"))
                .args(["-name", "*.sql", "-printf", "%s %T@ %i %p\\n"]);
            Ok(cmd)
        };
        let listed = if *linear {
            let samples = measure(options.runs, nothing, find, &[0])?;
            Some(report.push(format!("`find`, {label}"), "find", samples))
        } else {
            None
        };
        for command in ["current", "heads", "history"] {
            let run = || {
                let mut cmd = wb(options, dir);
                cmd.arg(command);
                Ok(cmd)
            };
            // The first run in a fresh clone: no cache yet.
            let forget = || match fs::remove_dir_all(&cache) {
                Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e.into()),
                _ => Ok(()),
            };
            let cold = measure(options.runs, forget, run, &[0])?;
            report.push(
                format!("`{command}`, {label}, no header cache"),
                "wildebeest",
                cold,
            );
            let samples = measure(options.runs, nothing, run, &[0])?;
            let ours = report.push(format!("`{command}`, {label}"), "wildebeest", samples);
            if let Some(listed) = listed {
                report.ratio(format!("{command}, {label} vs `find`"), ours, listed);
            }
        }
    }
    Ok(report)
}

/// The SQL statements in one transaction, as a script for SQLite.
fn one_transaction(statements: &[String]) -> String {
    let mut text = String::from("BEGIN;\n");
    for s in statements {
        text.push_str(s);
        text.push_str(";\n");
    }
    text.push_str("COMMIT;\n");
    text
}

/// The raw SQLite runner (`wildebeest-bench-sqlite`) running `script` on `db`: the
/// bundled SQLite wildebeest links, so both sides run the same SQLite release.
fn raw_sqlite(options: &Options, db: &Path, script: &Path) -> Command {
    let mut cmd = Command::new(&options.sqlite);
    cmd.arg(db).arg(script);
    cmd
}

/// Notes which SQLite release the raw SQLite baselines ran on.
fn note_sqlite_release(report: &mut Report, options: &Options) -> Result<()> {
    let version = run(Command::new(&options.sqlite).arg("--version"))?;
    report.note(format!(
        "raw SQLite baselines ran on SQLite {} (the bundled library of the workspace's \
         rusqlite, which wildebeest links), through `wildebeest-bench-sqlite`",
        version.trim()
    ));
    Ok(())
}

/// Suite 2 and 3: `upgrade` of N revisions from empty and `downgrade base`, on SQLite
/// and the configured servers, against the database's own client running the same DDL
/// in one go; and `current` on each server against its client's same query.
pub fn apply(options: &Options) -> Result<Report> {
    let mut report = Report::new("apply");
    let tmp = temp()?;
    let sizes = if options.quick {
        vec![20]
    } else if options.long {
        vec![1_000, 10_000]
    } else {
        vec![1_000]
    };
    note_sqlite_release(&mut report, options)?;
    for &n in &sizes {
        apply_sqlite(options, &mut report, tmp.path(), n)?;
    }
    let servers = Server::from_env();
    if servers.is_empty() {
        report.note(
            "WILDEBEEST_TEST_POSTGRES_URL and WILDEBEEST_TEST_MYSQL_URL are unset: SQLite only",
        );
    }
    for server in &servers {
        for &n in &sizes {
            apply_server(options, &mut report, tmp.path(), server, n)?;
        }
    }
    Ok(report)
}

/// The apply workload of `n` revisions on SQLite.
fn apply_sqlite(options: &Options, report: &mut Report, tmp: &Path, n: usize) -> Result<()> {
    // Ten thousand revisions take a minute a run.
    let runs = if n > 1_000 {
        options.runs.min(HEAVY_RUNS)
    } else {
        options.runs
    };
    let dir = tmp.join(format!("sqlite{n}"));
    w::write_project(&dir, "sqlite:app.db")?;
    let all = w::apply_chain(&dir.join("migrations"), n, Flavor::Sqlite)?;
    let db = dir.join("app.db");
    let script = dir.join("all.sql");
    fs::write(&script, one_transaction(&all.up))?;
    let down_script = dir.join("down.sql");
    fs::write(&down_script, one_transaction(&all.down))?;
    let raw_db = dir.join("raw.db");
    // Each run of wildebeest is followed by the raw run, so both meet the same minutes
    // of a loaded machine.
    let (mut up, mut raw) = (Vec::new(), Vec::new());
    for _ in 0..runs {
        remove(&db)?;
        up.push(time_command(wb(options, &dir).arg("upgrade"), &[0])?);
        remove(&raw_db)?;
        raw.push(time_command(
            &mut raw_sqlite(options, &raw_db, &script),
            &[0],
        )?);
    }
    let up = report.push(
        format!("`upgrade`, {n} revisions, SQLite"),
        "wildebeest",
        up,
    );
    let raw = report.push(
        format!(
            "same DDL in one transaction, SQLite ({} statements)",
            all.up.len()
        ),
        "raw SQLite",
        raw,
    );
    report.ratio(format!("upgrade {n} revisions vs raw, SQLite"), up, raw);
    let (mut down, mut raw_down) = (Vec::new(), Vec::new());
    for _ in 0..runs {
        remove(&db)?;
        run(wb(options, &dir).arg("upgrade"))?;
        down.push(time_command(
            wb(options, &dir).args(["downgrade", "base"]),
            &[0],
        )?);
        remove(&raw_db)?;
        run(&mut raw_sqlite(options, &raw_db, &script))?;
        raw_down.push(time_command(
            &mut raw_sqlite(options, &raw_db, &down_script),
            &[0],
        )?);
    }
    let down = report.push(
        format!("`downgrade base`, {n} revisions, SQLite"),
        "wildebeest",
        down,
    );
    let raw_down = report.push(
        format!(
            "same downgrade DDL in one transaction, SQLite ({} statements)",
            all.down.len()
        ),
        "raw SQLite",
        raw_down,
    );
    report.ratio(
        format!("downgrade base {n} revisions vs raw, SQLite"),
        down,
        raw_down,
    );
    Ok(())
}

/// The apply workload of `n` revisions on a server; at the smallest size also
/// `current` against the client's query of the version table.
fn apply_server(
    options: &Options,
    report: &mut Report,
    tmp: &Path,
    server: &Server,
    n: usize,
) -> Result<()> {
    let runs = options.runs.min(HEAVY_RUNS);
    let name = &unique("wildebeest_bench_apply");
    let raw_name = &unique("wildebeest_bench_raw");
    let dir = tmp.join(format!("{}{n}", server.tool()));
    w::write_project(&dir, &server.url_for(name))?;
    let all = w::apply_chain(&dir.join("migrations"), n, server.flavor)?;
    let label = server.label();
    let script = dir.join("all.sql");
    let text: String = all.up.iter().map(|s| format!("{s};\n")).collect();
    fs::write(&script, text)?;
    let down_script = dir.join("down.sql");
    let text: String = all.down.iter().map(|s| format!("{s};\n")).collect();
    fs::write(&down_script, text)?;
    // Interleaved, as on SQLite.
    let (mut up, mut raw) = (Vec::new(), Vec::new());
    for _ in 0..runs {
        server.fresh(name)?;
        up.push(time_command(wb(options, &dir).arg("upgrade"), &[0])?);
        server.fresh(raw_name)?;
        raw.push(time_command(&mut server.raw(raw_name, &script)?, &[0])?);
    }
    let up = report.push(
        format!("`upgrade`, {n} revisions, {label}"),
        "wildebeest",
        up,
    );
    let how = if server.flavor == Flavor::Postgres {
        "in one transaction (`psql -1`)"
    } else {
        "in one go (`mariadb < file`)"
    };
    let raw = report.push(format!("same DDL {how}, {label}"), server.tool(), raw);
    report.ratio(format!("upgrade {n} revisions vs raw, {label}"), up, raw);

    // `current` on the upgraded database against the client asking the same.
    let current_runs = options.runs.max(5);
    let query = server.current_query(name);
    let (mut current, mut client) = (Vec::new(), Vec::new());
    for _ in 0..current_runs {
        current.push(time_command(wb(options, &dir).arg("current"), &[0])?);
        client.push(time_command(&mut server.query(&query), &[0])?);
    }
    let current = report.push(
        format!("`current`, {n} revisions, {label}"),
        "wildebeest",
        current,
    );
    let client = report.push(
        format!("the version table's query, {n} revisions, {label}"),
        server.tool(),
        client,
    );
    report.ratio(
        format!("current {n} revisions vs the client, {label}"),
        current,
        client,
    );

    let (mut down, mut raw_down) = (Vec::new(), Vec::new());
    for _ in 0..runs {
        server.fresh(name)?;
        run(wb(options, &dir).arg("upgrade"))?;
        down.push(time_command(
            wb(options, &dir).args(["downgrade", "base"]),
            &[0],
        )?);
        server.fresh(raw_name)?;
        run_script(&mut server.raw(raw_name, &script)?)?;
        raw_down.push(time_command(
            &mut server.raw(raw_name, &down_script)?,
            &[0],
        )?);
    }
    let down = report.push(
        format!("`downgrade base`, {n} revisions, {label}"),
        "wildebeest",
        down,
    );
    let raw_down = report.push(
        format!("same downgrade DDL {how}, {label}"),
        server.tool(),
        raw_down,
    );
    report.ratio(
        format!("downgrade base {n} revisions vs raw, {label}"),
        down,
        raw_down,
    );
    server.drop(name)?;
    server.drop(raw_name)?;
    Ok(())
}

/// Suite 4: `migrate` on a big schema.sql against an empty history, a history already
/// at that schema and a long history; `check` against a database of that schema.
pub fn autogenerate(options: &Options) -> Result<Report> {
    let mut report = Report::new("autogenerate");
    let tmp = temp()?;
    let n = if options.quick { 10 } else { 1_000 };
    let schema = w::big_schema(n);

    // (a) empty history.
    let empty = tmp.path().join("empty");
    w::write_project(&empty, "sqlite:app.db")?;
    fs::write(empty.join("schema.sql"), &schema)?;
    let migrations = empty.join("migrations");
    let clear = || -> Result<()> {
        for entry in fs::read_dir(&migrations)? {
            fs::remove_file(entry?.path())?;
        }
        Ok(())
    };
    let migrate = |dir: &Path| {
        let dir = dir.to_owned();
        move || {
            let mut cmd = wb(options, &dir);
            cmd.args(["migrate", "-m", "bench", "--no-input"]);
            Ok(cmd)
        }
    };
    let s = measure(options.runs, clear, migrate(&empty), &[0])?;
    let empty_median = report.push(
        format!("`migrate`, {n} tables, empty history"),
        "wildebeest",
        s,
    );

    // (b) history already at the schema: the file (a) generated.
    let synced = tmp.path().join("synced");
    w::write_project(&synced, "sqlite:app.db")?;
    fs::write(synced.join("schema.sql"), &schema)?;
    for entry in fs::read_dir(&migrations)? {
        let path = entry?.path();
        if path.extension().is_some_and(|e| e == "sql") {
            fs::copy(
                &path,
                synced
                    .join("migrations")
                    .join(path.file_name().unwrap_or_default()),
            )?;
        }
    }
    run(wb(options, &synced).arg("rehash"))?;
    let before = listing(&synced.join("migrations"))?;
    let s = measure(
        options.runs,
        || restore(&synced.join("migrations"), &before),
        migrate(&synced),
        &[0],
    )?;
    report.push(
        format!("`migrate`, {n} tables, history at schema (no change)"),
        "wildebeest",
        s,
    );
    if listing(&synced.join("migrations"))? != before {
        report.note("`migrate` on the synced history wrote a file (it should find no change)");
    }

    // (c) 2n files replayed.
    let long_median = time_history(
        options,
        &mut report,
        &tmp.path().join("long"),
        n,
        options.runs,
    )?;

    // (d) with views (and, on PostgreSQL, functions) beside the tables: `migrate`
    // needs no database, so the PostgreSQL dialect is only the project's URL.
    let objects = [
        ("SQLite", "sqlite:app.db", false),
        ("PostgreSQL", "postgres://localhost/unused", true),
    ];
    for (label, url, functions) in objects {
        let dir = tmp.path().join(format!("objects-{label}"));
        w::write_project(&dir, url)?;
        let extra = w::big_objects(n, functions);
        let (views, routines) = (
            extra.matches("CREATE VIEW").count(),
            extra.matches("CREATE FUNCTION").count(),
        );
        fs::write(dir.join("schema.sql"), format!("{schema}{extra}"))?;
        let migrations = dir.join("migrations");
        let clear = || -> Result<()> {
            for entry in fs::read_dir(&migrations)? {
                fs::remove_file(entry?.path())?;
            }
            Ok(())
        };
        let s = measure(options.runs, clear, migrate(&dir), &[0])?;
        report.push(
            format!("`migrate`, {n} tables, {views} views, {routines} functions, empty history, {label} dialect"),
            "wildebeest",
            s,
        );
    }

    // `check` against a database at that schema.
    run(wb(options, &synced).arg("upgrade"))?;
    let s = measure(
        options.runs,
        nothing,
        || {
            let mut cmd = wb(options, &synced);
            cmd.arg("check");
            Ok(cmd)
        },
        &[0, 1],
    )?;
    report.push(
        format!("`check`, {n}-table database, SQLite"),
        "wildebeest",
        s,
    );
    check_says_ok(&mut report, options, &synced, "SQLite");
    for server in Server::from_env() {
        // A file in the server's own dialect: generate it there. On PostgreSQL with
        // the views and functions of (d) too.
        let name = &unique("wildebeest_bench_check");
        let dir = tmp.path().join(format!("check-{}", server.tool()));
        w::write_project(&dir, &server.url_for(name))?;
        let objects = server.label() == "PostgreSQL";
        let extra = if objects {
            w::big_objects(n, true)
        } else {
            String::new()
        };
        fs::write(dir.join("schema.sql"), format!("{schema}{extra}"))?;
        server.fresh(name)?;
        run(wb(options, &dir).args(["migrate", "-m", "bench", "--no-input"]))?;
        run(wb(options, &dir).arg("upgrade"))?;
        let s = measure(
            options.runs.min(HEAVY_RUNS),
            nothing,
            || {
                let mut cmd = wb(options, &dir);
                cmd.arg("check");
                Ok(cmd)
            },
            &[0, 1],
        )?;
        let with = if objects {
            format!(
                " with {} views and {} functions",
                extra.matches("CREATE VIEW").count(),
                extra.matches("CREATE FUNCTION").count()
            )
        } else {
            String::new()
        };
        report.push(
            format!("`check`, {n}-table database{with}, {}", server.label()),
            "wildebeest",
            s,
        );
        check_says_ok(&mut report, options, &dir, server.label());
        // The results stand even if the clean-up fails: say so and go on.
        if let Err(err) = server.drop(name) {
            report.note(format!("could not drop {name}: {err}"));
        }
    }
    at_scale(
        options,
        &mut report,
        tmp.path(),
        (n, empty_median, long_median),
    )?;
    Ok(report)
}

/// The sizes `migrate` is timed at beyond the first, each ten times the one before,
/// to show how its time grows (quick mode: one more, still tiny).
fn scale_sizes(quick: bool) -> &'static [usize] {
    if quick { &[100] } else { &[10_000, 100_000] }
}

/// Histories of 2n files are replayed up to this many tables (20,000 files).
fn history_sizes(quick: bool) -> &'static [usize] {
    if quick { &[100] } else { &[10_000] }
}

/// `migrate` on a project in `dir` whose schema is the autogenerate schema of `size`
/// tables and whose history builds it in `2 * size` files (`size` `CREATE TABLE`s,
/// then a file a table adding its last column and indexes): the median of `runs`,
/// reported; a note when `migrate` found a difference and wrote a file.
fn time_history(
    options: &Options,
    report: &mut Report,
    dir: &Path,
    size: usize,
    runs: usize,
) -> Result<Duration> {
    w::write_project(dir, "sqlite:app.db")?;
    fs::write(dir.join("schema.sql"), w::big_schema(size))?;
    w::big_history(&dir.join("migrations"), size)?;
    run(wb(options, dir).arg("rehash"))?;
    let before = listing(&dir.join("migrations"))?;
    let s = measure(
        runs,
        || restore(&dir.join("migrations"), &before),
        || {
            let mut cmd = wb(options, dir);
            cmd.args(["migrate", "-m", "bench", "--no-input"]);
            Ok(cmd)
        },
        &[0],
    )?;
    let median = report.push(
        format!("`migrate`, {size} tables, {} files replayed", 2 * size),
        "wildebeest",
        s,
    );
    if listing(&dir.join("migrations"))? != before {
        report.note(format!(
            "`migrate` on the {}-file history found a difference and wrote a file",
            2 * size
        ));
    }
    Ok(median)
}

/// `migrate` at ten and a hundred times the tables of the first size `n` (empty
/// history), and the history of ten times the files, each with the ratio of its
/// median to the size before (`first`: `n` and the medians of those two cases at
/// `n`): linear growth is a ratio near 10.
fn at_scale(
    options: &Options,
    report: &mut Report,
    tmp: &Path,
    first: (usize, Duration, Duration),
) -> Result<()> {
    let (n, empty_median, long_median) = first;
    let migrate = |dir: &Path| {
        let dir = dir.to_owned();
        move || {
            let mut cmd = wb(options, &dir);
            cmd.args(["migrate", "-m", "bench", "--no-input"]);
            Ok(cmd)
        }
    };
    let time_empty = |report: &mut Report, size: usize| -> Result<Duration> {
        let dir = tmp.join(format!("empty-{size}"));
        w::write_project(&dir, "sqlite:app.db")?;
        fs::write(dir.join("schema.sql"), w::big_schema(size))?;
        let migrations = dir.join("migrations");
        let clear = || -> Result<()> {
            for entry in fs::read_dir(&migrations)? {
                fs::remove_file(entry?.path())?;
            }
            Ok(())
        };
        let s = measure(options.runs.min(HEAVY_RUNS), clear, migrate(&dir), &[0])?;
        Ok(report.push(
            format!("`migrate`, {size} tables, empty history"),
            "wildebeest",
            s,
        ))
    };
    let mut before = (n, empty_median);
    for &size in scale_sizes(options.quick) {
        let median = time_empty(report, size)?;
        report.ratio(
            format!("`migrate` {size} tables vs {} tables", before.0),
            median,
            before.1,
        );
        before = (size, median);
    }
    let mut before = (n, long_median);
    for &size in history_sizes(options.quick) {
        let dir = tmp.join(format!("long-{size}"));
        let median = time_history(options, report, &dir, size, options.runs.min(HEAVY_RUNS))?;
        report.ratio(
            format!(
                "`migrate` replaying {} files vs {} files",
                2 * size,
                2 * before.0
            ),
            median,
            before.1,
        );
        before = (size, median);
    }
    Ok(())
}

fn check_says_ok(report: &mut Report, options: &Options, dir: &Path, label: &str) {
    let out = wb(options, dir).arg("check").output();
    if let Ok(out) = out
        && !out.status.success()
    {
        let text = String::from_utf8_lossy(&out.stdout);
        let first: Vec<&str> = text.lines().take(3).collect();
        report.note(format!(
            "`check` on {label} exited with {}: {}",
            out.status.code().unwrap_or(-1),
            first.join(" / ")
        ));
    }
}

fn listing(dir: &Path) -> Result<Vec<PathBuf>> {
    let mut names = Vec::new();
    for entry in fs::read_dir(dir)? {
        names.push(entry?.path());
    }
    names.sort();
    Ok(names)
}

/// Removes files `migrate` added since `before` (and rewrites the sum file).
fn restore(dir: &Path, before: &[PathBuf]) -> Result<()> {
    for path in listing(dir)? {
        if !before.contains(&path) {
            fs::remove_file(&path)?;
        }
    }
    Ok(())
}

/// Suite 5: SQLite `ALTER COLUMN ... SET NOT NULL` on a big table through wildebeest
/// against the same rebuild written by hand and run through the same SQLite release.
pub fn rebuild(options: &Options) -> Result<Report> {
    let mut report = Report::new("rebuild");
    note_sqlite_release(&mut report, options)?;
    let tmp = temp()?;
    let rows = if options.quick { 1_000 } else { 1_000_000 };
    let runs = options.runs.min(HEAVY_RUNS);
    let dir = tmp.path().join("rebuild");
    w::write_project(&dir, "sqlite:run.db")?;
    let migrations = dir.join("migrations");
    let first = w::rev_id(0, 5);
    w::write_migration(
        &migrations,
        0,
        &w::Mig {
            id: first.clone(),
            parents: vec![],
            message: "create".into(),
            upgrade: vec![
                "CREATE TABLE t (id INTEGER PRIMARY KEY, c TEXT, d INTEGER, e VARCHAR(20))".into(),
                "CREATE INDEX ix_t_d ON t (d)".into(),
            ],
            downgrade: vec!["DROP TABLE t".into()],
        },
    )?;
    w::write_migration(
        &migrations,
        1,
        &w::Mig {
            id: w::rev_id(1, 5),
            parents: vec![first.clone()],
            message: "c not null".into(),
            upgrade: vec!["ALTER TABLE t ALTER COLUMN c SET NOT NULL".into()],
            downgrade: vec!["ALTER TABLE t ALTER COLUMN c DROP NOT NULL".into()],
        },
    )?;
    // The template database: at the first revision, with the rows.
    let run_db = dir.join("run.db");
    run(wb(options, &dir).args(["upgrade", &first]))?;
    let fill = dir.join("fill.sql");
    fs::write(
        &fill,
        format!(
            "WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < {rows}) \
             INSERT INTO t (id, c, d, e) SELECT i, 'value ' || i, i % 1000, 'x' FROM s;"
        ),
    )?;
    run(&mut raw_sqlite(options, &run_db, &fill))?;
    let template = dir.join("template.db");
    fs::rename(&run_db, &template)?;
    let s = measure(
        runs,
        || fs::copy(&template, &run_db).map(drop).map_err(Into::into),
        || {
            let mut cmd = wb(options, &dir);
            cmd.arg("upgrade");
            Ok(cmd)
        },
        &[0],
    )?;
    let ours = report.push(
        format!("`upgrade`: SET NOT NULL, {rows} rows"),
        "wildebeest",
        s,
    );
    let script = dir.join("rebuild.sql");
    fs::write(
        &script,
        "PRAGMA foreign_keys = OFF;\n\
         BEGIN;\n\
         CREATE TABLE t_new (id INTEGER NOT NULL, c TEXT NOT NULL, d INTEGER, e VARCHAR(20), PRIMARY KEY (id));\n\
         INSERT INTO t_new (id, c, d, e) SELECT id, c, d, e FROM t;\n\
         DROP TABLE t;\n\
         ALTER TABLE t_new RENAME TO t;\n\
         CREATE INDEX ix_t_d ON t (d);\n\
         PRAGMA foreign_key_check;\n\
         COMMIT;\n\
         PRAGMA foreign_keys = ON;\n",
    )?;
    let hand_db = dir.join("hand.db");
    let s = measure(
        runs,
        || fs::copy(&template, &hand_db).map(drop).map_err(Into::into),
        || Ok(raw_sqlite(options, &hand_db, &script)),
        &[0],
    )?;
    let hand = report.push(
        format!("hand-written rebuild, {rows} rows"),
        "raw SQLite",
        s,
    );
    report.ratio(format!("rebuild {rows} rows vs by hand"), ours, hand);
    Ok(report)
}

/// Suite 6: the same work through Alembic (installed from PyPI into a virtualenv in a
/// temporary folder), side by side.
pub fn alembic(options: &Options) -> Result<Report> {
    let mut report = Report::new("alembic");
    let tmp = temp()?;
    let n = if options.quick { 20 } else { 1_000 };
    let venv = tmp.path().join("venv");
    eprintln!("  installing alembic==1.* into a virtualenv");
    let installed = run(Command::new("python3").args(["-m", "venv"]).arg(&venv)).and_then(|_| {
        run(Command::new(venv.join("bin/pip")).args([
            "install",
            "--quiet",
            "--disable-pip-version-check",
            "alembic==1.*",
        ]))
    });
    if let Err(err) = installed {
        report.note(format!(
            "Alembic could not be installed, suite skipped: {err}"
        ));
        return Ok(report);
    }
    let version = run(Command::new(venv.join("bin/alembic")).arg("--version"))?;
    report.note(format!(
        "{} (pip, PyPI), SQLAlchemy via its dependency",
        version.trim()
    ));

    // Alembic project: the apply workload, each statement through op.execute.
    let adir = tmp.path().join("alembic");
    fs::create_dir_all(adir.join("versions"))?;
    fs::write(
        adir.join("alembic.ini"),
        format!(
            "[alembic]\nscript_location = {}\nsqlalchemy.url = sqlite:///{}\n",
            adir.display(),
            adir.join("app.db").display()
        ),
    )?;
    fs::write(adir.join("env.py"), w::ALEMBIC_ENV)?;
    let mut parent: Option<String> = None;
    for i in 0..n {
        let (up, down) = w::apply_statements(i, Flavor::Sqlite);
        let id = w::rev_id(i, 3);
        fs::write(
            adir.join("versions").join(format!("{id}_apply_{i}.py")),
            w::alembic_script(&id, parent.as_deref(), &up, &down),
        )?;
        parent = Some(id);
    }
    let wdir = tmp.path().join("wildebeest");
    w::write_project(&wdir, "sqlite:app.db")?;
    w::apply_chain(&wdir.join("migrations"), n, Flavor::Sqlite)?;

    let alembic = |args: &'static [&'static str]| {
        let venv = venv.clone();
        let ini = adir.join("alembic.ini");
        move || {
            let mut cmd = Command::new(venv.join("bin/alembic"));
            cmd.arg("-c").arg(&ini).args(args);
            Ok(cmd)
        }
    };
    let ours = |args: &'static [&'static str]| {
        let dir = wdir.clone();
        move || {
            let mut cmd = wb(options, &dir);
            cmd.args(args);
            Ok(cmd)
        }
    };
    let adb = adir.join("app.db");
    let wdb = wdir.join("app.db");
    let runs = options.runs.min(HEAVY_RUNS);
    let a = measure(runs, || remove(&adb), alembic(&["upgrade", "head"]), &[0])?;
    let a = report.push(
        format!("`upgrade head`, {n} revisions, SQLite"),
        "alembic",
        a,
    );
    let o = measure(runs, || remove(&wdb), ours(&["upgrade", "head"]), &[0])?;
    let o = report.push(
        format!("`upgrade head`, {n} revisions, SQLite"),
        "wildebeest",
        o,
    );
    report.ratio(format!("upgrade {n} revisions, wildebeest / Alembic"), o, a);
    for (what, args) in [("current", &["current"][..]), ("heads", &["heads"][..])] {
        let a = measure(options.runs, nothing, alembic(args), &[0])?;
        let a = report.push(format!("`{what}`, {n} revisions"), "alembic", a);
        let o = measure(options.runs, nothing, ours(args), &[0])?;
        let o = report.push(format!("`{what}`, {n} revisions"), "wildebeest", o);
        report.ratio(
            format!("`{what}` {n} revisions, wildebeest / Alembic"),
            o,
            a,
        );
    }
    let at_head = run(Command::new(venv.join("bin/alembic"))
        .arg("-c")
        .arg(adir.join("alembic.ini"))
        .arg("current"))?;
    if !at_head.contains(&w::rev_id(n - 1, 3)) {
        report.note(format!(
            "Alembic's `current` did not report the head: {}",
            at_head.trim()
        ));
    }
    Ok(report)
}

/// Writes the full-size workloads into `dir` without timing anything, for profiling
/// one command by hand (`perf`, `valgrind --tool=callgrind`): `apply-sqlite`,
/// `apply-postgres`, `apply-mysql` (the `apply` chain, each with the raw `all.sql` and
/// `down.sql`),
/// `empty` and `long` (the `autogenerate` projects: `schema.sql`, and in `long` the
/// 2n-file history; `migrate` in `empty` writes the no-change history). Server projects point at
/// the URLs from the environment (or the default test URLs), database
/// `wildebeest_bench_prepared` (not one a suite uses).
pub fn prepare(dir: &Path, quick: bool, revisions: Option<usize>) -> Result<()> {
    let n = revisions.unwrap_or(if quick { 20 } else { 1_000 });
    let servers = [
        (
            "apply-sqlite",
            Flavor::Sqlite,
            "sqlite:app.db".to_owned(),
            None,
        ),
        (
            "apply-postgres",
            Flavor::Postgres,
            String::new(),
            Some("WILDEBEEST_TEST_POSTGRES_URL"),
        ),
        (
            "apply-mysql",
            Flavor::Mysql,
            String::new(),
            Some("WILDEBEEST_TEST_MYSQL_URL"),
        ),
    ];
    for (name, flavor, sqlite_url, var) in servers {
        let url = match var {
            None => sqlite_url,
            Some(var) => {
                let server = Server {
                    flavor,
                    url: std::env::var(var).unwrap_or_else(|_| match flavor {
                        Flavor::Postgres => "postgres://postgres@127.0.0.1:5432/test".to_owned(),
                        _ => "mysql://root@127.0.0.1:3306/test".to_owned(),
                    }),
                };
                server.url_for("wildebeest_bench_prepared")
            }
        };
        let project = dir.join(name);
        w::write_project(&project, &url)?;
        let all = w::apply_chain(&project.join("migrations"), n, flavor)?;
        let text: String = all.up.iter().map(|s| format!("{s};\n")).collect();
        fs::write(project.join("all.sql"), text)?;
        let text: String = all.down.iter().map(|s| format!("{s};\n")).collect();
        fs::write(project.join("down.sql"), text)?;
    }
    let schema = w::big_schema(schema_size(quick));
    for name in ["empty", "long"] {
        let project = dir.join(name);
        w::write_project(&project, "sqlite:app.db")?;
        fs::write(project.join("schema.sql"), &schema)?;
    }
    w::big_history(&dir.join("long").join("migrations"), schema_size(quick))?;
    // The same tables with views, and on PostgreSQL functions (`migrate` needs no
    // database: the URL only names the dialect; point it at a server to `check`).
    for (name, url, functions) in [
        ("objects-sqlite", "sqlite:app.db", false),
        ("objects-postgres", "postgres://localhost/unused", true),
    ] {
        let project = dir.join(name);
        w::write_project(&project, url)?;
        let extra = w::big_objects(schema_size(quick), functions);
        fs::write(project.join("schema.sql"), format!("{schema}{extra}"))?;
    }
    for &size in scale_sizes(quick) {
        let project = dir.join(format!("empty-{size}"));
        w::write_project(&project, "sqlite:app.db")?;
        fs::write(project.join("schema.sql"), w::big_schema(size))?;
    }
    for &size in history_sizes(quick) {
        let project = dir.join(format!("long-{size}"));
        w::write_project(&project, "sqlite:app.db")?;
        fs::write(project.join("schema.sql"), w::big_schema(size))?;
        w::big_history(&project.join("migrations"), size)?;
    }
    let n = if quick { 20 } else { 10_000 };
    let project = dir.join("linear");
    w::write_project(&project, "sqlite:app.db")?;
    w::linear_chain(&project.join("migrations"), n)?;
    let project = dir.join("merges");
    w::write_project(&project, "sqlite:app.db")?;
    w::merge_graph(&project.join("migrations"), if quick { 3 } else { 100 })?;
    Ok(())
}

fn schema_size(quick: bool) -> usize {
    if quick { 10 } else { 1_000 }
}
