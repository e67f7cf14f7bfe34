//! Benchmarks of the `wildebeest` binary, timed as whole processes.
//!
//! Each suite writes a deterministic workload into a temporary folder (migration files
//! in the wildebeest file format, `schema.sql`, Alembic scripts, plain SQL for the
//! database's own client), runs the command several times and reports the minimum,
//! median and maximum wall time and the peak resident memory of the process (from
//! `wait4`'s resource usage). Timings are reported, never asserted.
//!
//! ```no_run
//! use wildebeest_bench::{Options, run_suite};
//! let options = Options {
//!     bin: "target/release/wildebeest".into(),
//!     sqlite: "target/release/wildebeest-bench-sqlite".into(),
//!     quick: true,
//!     long: false,
//!     runs: 1,
//! };
//! let report = run_suite("graph", &options).unwrap();
//! println!("{}", report.markdown());
//! ```
//!
//! The main types: [`Options`] (what to run), [`Report`] (rows, ratios and notes of one
//! suite), [`Sample`] (one timed process).

mod measure;
mod suites;
mod workload;

use std::fmt::Write as _;
use std::path::PathBuf;
use std::time::Duration;

pub use measure::{Sample, time_command};

/// The suites, in the order `all` runs them.
pub const SUITES: [&str; 5] = ["graph", "apply", "autogenerate", "rebuild", "alembic"];

/// An error of a suite: a message naming the command or file that failed.
pub type Error = Box<dyn std::error::Error + Send + Sync>;
/// The result of a suite step.
pub type Result<T> = std::result::Result<T, Error>;

/// What to run.
#[derive(Debug, Clone)]
pub struct Options {
    /// The `wildebeest` binary to time (absolute, since suites run it from elsewhere).
    pub bin: PathBuf,
    /// The raw SQLite runner, `wildebeest-bench-sqlite` (built with this crate): the
    /// raw SQLite baselines run through it, on the SQLite release wildebeest links.
    pub sqlite: PathBuf,
    /// Tiny workloads, so CI can smoke-test the suites in seconds.
    pub quick: bool,
    /// Also the big sizes: 10,000 revisions applied, 100,000 in the graph (minutes).
    pub long: bool,
    /// Timed runs per case (heavy cases run at most 3 times).
    pub runs: usize,
}

/// One timed case: a command of one tool on one workload.
#[derive(Debug, Clone)]
pub struct Row {
    /// The suite that ran it.
    pub suite: String,
    /// The workload and command, e.g. `current, 10000 revisions`.
    pub case: String,
    /// `wildebeest`, `raw SQLite`, `psql`, `mariadb`, `find` or `alembic`.
    pub tool: String,
    /// One sample per run.
    pub samples: Vec<Sample>,
}

impl Row {
    /// The median wall time.
    pub fn median(&self) -> Duration {
        let mut walls: Vec<Duration> = self.samples.iter().map(|s| s.wall).collect();
        walls.sort();
        match walls.len() {
            0 => Duration::ZERO,
            n if n % 2 == 1 => walls[n / 2],
            n => (walls[n / 2 - 1] + walls[n / 2]) / 2,
        }
    }

    fn min(&self) -> Duration {
        self.samples
            .iter()
            .map(|s| s.wall)
            .min()
            .unwrap_or_default()
    }

    fn max(&self) -> Duration {
        self.samples
            .iter()
            .map(|s| s.wall)
            .max()
            .unwrap_or_default()
    }

    fn peak_rss_kib(&self) -> Option<u64> {
        self.samples.iter().filter_map(|s| s.max_rss_kib).max()
    }
}

/// A comparison of two rows' medians: `ratio = wildebeest / baseline`.
#[derive(Debug, Clone)]
pub struct Ratio {
    /// What is compared.
    pub what: String,
    /// The wildebeest median.
    pub ours: Duration,
    /// The baseline's median (raw database, hand-written SQL or Alembic).
    pub baseline: Duration,
}

/// The results of one suite.
#[derive(Debug, Clone, Default)]
pub struct Report {
    /// The suite's name.
    pub suite: String,
    /// The timed cases.
    pub rows: Vec<Row>,
    /// Comparisons with baselines.
    pub ratios: Vec<Ratio>,
    /// Skipped parts and other things a reader must know (pip could not install,
    /// no server configured).
    pub notes: Vec<String>,
}

impl Report {
    fn new(suite: &str) -> Report {
        Report {
            suite: suite.to_owned(),
            ..Report::default()
        }
    }

    /// Adds a row and returns its median, for ratios.
    fn push(&mut self, case: impl Into<String>, tool: &str, samples: Vec<Sample>) -> Duration {
        let row = Row {
            suite: self.suite.clone(),
            case: case.into(),
            tool: tool.to_owned(),
            samples,
        };
        let median = row.median();
        eprintln!(
            "  {:<48} {:<10} median {}",
            row.case,
            row.tool,
            format_duration(median)
        );
        self.rows.push(row);
        median
    }

    fn ratio(&mut self, what: impl Into<String>, ours: Duration, baseline: Duration) {
        self.ratios.push(Ratio {
            what: what.into(),
            ours,
            baseline,
        });
    }

    fn note(&mut self, note: impl Into<String>) {
        let note = note.into();
        eprintln!("  note: {note}");
        self.notes.push(note);
    }

    /// The report as Markdown: a heading, the table, the ratios and the notes.
    pub fn markdown(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(out, "### {}\n", self.suite);
        if !self.rows.is_empty() {
            out.push_str("| case | tool | runs | min | median | max | peak RSS |\n");
            out.push_str("|---|---|---:|---:|---:|---:|---:|\n");
            for row in &self.rows {
                let rss = row.peak_rss_kib().map_or_else(
                    || "?".to_owned(),
                    |kib| format!("{:.1} MiB", kib as f64 / 1024.0),
                );
                let _ = writeln!(
                    out,
                    "| {} | {} | {} | {} | {} | {} | {} |",
                    row.case,
                    row.tool,
                    row.samples.len(),
                    format_duration(row.min()),
                    format_duration(row.median()),
                    format_duration(row.max()),
                    rss
                );
            }
        }
        if !self.ratios.is_empty() {
            out.push_str("\n| comparison | wildebeest | baseline | ratio |\n");
            out.push_str("|---|---:|---:|---:|\n");
            for ratio in &self.ratios {
                let x = ratio.ours.as_secs_f64() / ratio.baseline.as_secs_f64().max(1e-9);
                let _ = writeln!(
                    out,
                    "| {} | {} | {} | {x:.2}x |",
                    ratio.what,
                    format_duration(ratio.ours),
                    format_duration(ratio.baseline)
                );
            }
        }
        for note in &self.notes {
            let _ = writeln!(out, "\nNote: {note}");
        }
        out
    }
}

/// A duration for a table: milliseconds below 10 s, else seconds.
pub fn format_duration(d: Duration) -> String {
    let ms = d.as_secs_f64() * 1000.0;
    if ms < 10.0 {
        format!("{ms:.2} ms")
    } else if ms < 10_000.0 {
        format!("{ms:.0} ms")
    } else {
        format!("{:.1} s", ms / 1000.0)
    }
}

/// Writes the full-size (or quick) workloads into `dir` for profiling by hand;
/// `revisions` sets the length of the `apply-*` chains (default 1,000, quick 20).
pub fn prepare(dir: &std::path::Path, quick: bool, revisions: Option<usize>) -> Result<()> {
    suites::prepare(dir, quick, revisions)
}

/// Runs one suite by name.
pub fn run_suite(name: &str, options: &Options) -> Result<Report> {
    eprintln!(
        "suite {name}{}",
        if options.quick { " (quick)" } else { "" }
    );
    match name {
        "graph" => suites::graph(options),
        "apply" => suites::apply(options),
        "autogenerate" => suites::autogenerate(options),
        "rebuild" => suites::rebuild(options),
        "alembic" => suites::alembic(options),
        _ => Err(format!("unknown suite {name}").into()),
    }
}
