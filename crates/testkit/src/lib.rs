//! Test support shared by the workspace's test binaries (a dev-dependency only).
//!
//! A test that needs what this machine lacks (a database server's URL, `pg_dump`,
//! root for a tmpfs) passes without running. That must not look like a pass: each
//! skip is written at once to the real standard error (libtest captures only the
//! `print!` family, so the line shows even when the test passes), counted, and when
//! the test binary ends one summary line says how many of its tests did not run and
//! why, with the way to run them.
//!
//! With `WILDEBEEST_TEST_REQUIRE_SERVERS=1` (CI sets it) a skip for a missing server
//! URL fails the test instead: CI can never pass on tests it did not run.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write as _;
use std::sync::{Mutex, Once};

/// The variable that turns a missing server URL into a failure.
pub const REQUIRE_SERVERS: &str = "WILDEBEEST_TEST_REQUIRE_SERVERS";

/// Reason -> the tests skipped for it (a test may ask more than once).
static SKIPS: Mutex<BTreeMap<String, BTreeSet<String>>> = Mutex::new(BTreeMap::new());
static SUMMARY: Once = Once::new();

/// The URL in `var` (a server's test URL), or `None` after recording the skip.
/// Under [`REQUIRE_SERVERS`] a missing URL panics.
pub fn server_url(var: &str) -> Option<String> {
    match std::env::var(var) {
        Ok(url) if !url.trim().is_empty() => Some(url),
        _ => {
            if std::env::var_os(REQUIRE_SERVERS).is_some_and(|v| v == "1") {
                panic!(
                    "{var} is not set, and {REQUIRE_SERVERS}=1 requires every server test to run"
                );
            }
            skip(&format!("{var} is not set"));
            None
        }
    }
}

/// Records that the calling test did not run, and why (`"pg_dump is not on the
/// PATH"`): one line now, and a count in the summary at the end of the binary.
pub fn skip(reason: &str) {
    let test = std::thread::current()
        .name()
        .unwrap_or("a test")
        .to_string();
    let new = SKIPS.lock().is_ok_and(|mut skips| {
        skips
            .entry(reason.to_string())
            .or_default()
            .insert(test.clone())
    });
    if new {
        // Straight to the file descriptor: `eprintln!` would be captured with the
        // test's output and shown only if it failed.
        let _ = writeln!(std::io::stderr(), "skipped: {test}: {reason}");
    }
    SUMMARY.call_once(|| {
        // SAFETY: `atexit` is given a function with the C ABI that takes no arguments;
        // it runs when the test binary exits (libtest ends with `process::exit`).
        unsafe {
            atexit(summary);
        }
    });
}

unsafe extern "C" {
    fn atexit(f: extern "C" fn()) -> std::ffi::c_int;
}

extern "C" fn summary() {
    let Ok(skips) = SKIPS.lock() else {
        return;
    };
    let total = skips.values().flatten().collect::<BTreeSet<_>>().len();
    if total == 0 {
        return;
    }
    let reasons: Vec<String> = skips
        .iter()
        .map(|(r, tests)| format!("{} because {r}", tests.len()))
        .collect();
    let _ = writeln!(
        std::io::stderr(),
        "\nSKIPPED: {total} {} of this test binary did not run ({}). They passed without \
         testing anything: set WILDEBEEST_TEST_POSTGRES_URL and WILDEBEEST_TEST_MYSQL_URL \
         to run them (README, \"Development\").",
        if total == 1 { "test" } else { "tests" },
        reasons.join("; ")
    );
}
