//! Smoke test: the quick mode of the `graph` and `apply` suites runs end to end against
//! the debug `wildebeest` binary. Timings are printed, never asserted.

use std::path::PathBuf;
use std::process::Command;

use wildebeest_bench::{Options, run_suite};

/// The `wildebeest` binary of the profile this test was built in
/// (`<target>/<profile>/wildebeest`, next to `deps/` holding this test), built first
/// when missing. A dev-dependency would build only the library, not the binary.
fn wildebeest_bin() -> PathBuf {
    let exe = std::env::current_exe().expect("the test's own path");
    let profile_dir = exe
        .parent()
        .and_then(|deps| deps.parent())
        .expect("the test runs from <target>/<profile>/deps");
    let bin = profile_dir.join(format!("wildebeest{}", std::env::consts::EXE_SUFFIX));
    if !bin.is_file() {
        let target_dir = profile_dir.parent().expect("<target>/<profile>");
        let mut cargo = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
        cargo
            .args([
                "build",
                "-p",
                "wildebeest-cli",
                "--bin",
                "wildebeest",
                "--target-dir",
            ])
            .arg(target_dir);
        if profile_dir.file_name().is_some_and(|n| n == "release") {
            cargo.arg("--release");
        }
        let status = cargo.status().expect("cargo runs");
        assert!(status.success(), "building wildebeest failed: {status}");
    }
    bin
}

fn quick(suite: &str) -> String {
    let options = Options {
        bin: wildebeest_bin(),
        sqlite: PathBuf::from(env!("CARGO_BIN_EXE_wildebeest-bench-sqlite")),
        quick: true,
        long: false,
        runs: 1,
    };
    let report = run_suite(suite, &options).unwrap_or_else(|e| panic!("suite {suite}: {e}"));
    let text = report.markdown();
    println!("{text}");
    assert!(!report.rows.is_empty(), "suite {suite} timed nothing");
    assert!(text.contains("| wildebeest |"), "{text}");
    text
}

#[test]
fn graph_suite_runs_quickly() {
    let text = quick("graph");
    // Each linear chain is compared with listing its files.
    assert!(text.contains("| find |"), "{text}");
}

#[test]
fn apply_suite_runs_quickly() {
    let text = quick("apply");
    // The raw SQLite baseline runs on the bundled SQLite, whose release the report names.
    assert!(text.contains("| raw SQLite |"), "{text}");
    assert!(
        text.contains("raw SQLite baselines ran on SQLite 3."),
        "{text}"
    );
}

/// The `autogenerate` suite's quick mode, views and functions included: with the
/// servers' URLs set (`.ci/run` sets them), the PostgreSQL variant is migrated,
/// upgraded and checked on the server, so a workload PostgreSQL cannot make (a view
/// calling a function with an argument of the wrong type) fails here, not in a
/// benchmark run.
#[test]
fn autogenerate_suite_runs_quickly() {
    let text = quick("autogenerate");
    assert!(text.contains("views,"), "{text}");
}
