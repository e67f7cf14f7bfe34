//! The bad-input corpus: every folder in `tests/bad_inputs/` is a small project that
//! a command must refuse with one clear error and without changing anything.
//!
//! A case folder holds the project's files (`wildebeest.toml`, `schema.sql`,
//! `migrations/*.sql`, ...) and these files of its own, which are not copied:
//!
//! - `args`: the command line, one argument per line;
//! - `expected`: substrings the stderr must contain, one per line (stdout or
//!   stderr when the status is not 2);
//! - `status` (optional): the exit status, 2 unless given;
//! - `setup` (optional): steps run before the command, one per line:
//!   `run ARG...` (wildebeest with these whitespace-separated arguments, must
//!   succeed), `sql STATEMENTS` (run on `app.db`), `overlay DIR` (copy the case's
//!   `DIR/` over the project, e.g. to edit a migration after it was applied) and
//!   `readonly FILE` (make the file unwritable, also for root);
//! - `after/` or any folder an `overlay` step names.
//!
//! For each case the test copies the folder to a temporary directory, runs the built
//! binary there and checks: the exit status; stderr starts with `error: ` (status 2),
//! is one paragraph (one `error:`, no blank line), names the file and line for a case
//! about a file's content, and holds every expected substring and no `panicked`; the project's files and the
//! database `app.db` (its `sqlite_master` and version rows) are as they were before
//! the command. Every failing case is reported, not just the first.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::util::{TempProject, query_rows};

/// Files of a case folder that describe the case rather than belong to the project.
const META: [&str; 4] = ["args", "expected", "status", "setup"];

fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/bad_inputs")
}

/// Lines of a case file, without a trailing empty line.
fn lines(path: &Path) -> Vec<String> {
    match std::fs::read_to_string(path) {
        Ok(text) => text.lines().map(str::to_string).collect(),
        Err(_) => Vec::new(),
    }
}

/// The folders named by `overlay` steps (plus `after`), which are not project files.
fn overlay_dirs(case: &Path) -> Vec<String> {
    let mut dirs = vec!["after".to_string()];
    for step in lines(&case.join("setup")) {
        if let Some(dir) = step.strip_prefix("overlay ") {
            dirs.push(dir.trim().to_string());
        }
    }
    dirs
}

/// Copies the files of `from` into `to`, recursively, skipping the names in `skip`
/// at the top level.
fn copy_tree(from: &Path, to: &Path, skip: &[String]) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let name = entry.file_name().to_string_lossy().into_owned();
        if skip.contains(&name) {
            continue;
        }
        let target = to.join(&name);
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &target, &[]);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// Every file of the project except the database, by relative path, with its bytes.
fn files(root: &Path) -> BTreeMap<String, Vec<u8>> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<String, Vec<u8>>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for entry in entries {
            let path = entry.unwrap().path();
            let rel = path
                .strip_prefix(root)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            if rel.starts_with("app.db") {
                continue;
            }
            if path.is_dir() {
                out.insert(format!("{rel}/"), Vec::new());
                walk(root, &path, out);
            } else {
                out.insert(rel, std::fs::read(&path).unwrap_or_default());
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(root, root, &mut out);
    out
}

/// What the database holds that a failed command must leave alone: `None` when there
/// is no database file; the file's bytes when it is not a database SQLite can read.
fn database_state(p: &TempProject) -> Option<Vec<Vec<String>>> {
    if !p.db().exists() {
        return None;
    }
    let bytes = || {
        vec![vec![format!(
            "{:?}",
            std::fs::read(p.db()).unwrap_or_default()
        )]]
    };
    let Ok(conn) = rusqlite::Connection::open_with_flags(
        p.db(),
        rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX,
    ) else {
        return Some(bytes());
    };
    if conn
        .query_row("SELECT count(*) FROM sqlite_master", [], |r| {
            r.get::<_, i64>(0)
        })
        .is_err()
    {
        return Some(bytes());
    }
    let mut state = query_rows(
        &conn,
        "SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name",
    );
    let has = |table: &str| {
        !query_rows(
            &conn,
            &format!("SELECT 1 FROM sqlite_master WHERE name = '{table}'"),
        )
        .is_empty()
    };
    if has("wildebeest_revisions") {
        state.extend(query_rows(
            &conn,
            "SELECT 'applied', revision, checksum FROM wildebeest_revisions ORDER BY revision",
        ));
    }
    if has("wildebeest_history") {
        state.extend(query_rows(
            &conn,
            "SELECT 'history', count(*) FROM wildebeest_history",
        ));
    }
    Some(state)
}

/// Makes `path` unwritable. Permission bits do not stop root, so when writing still
/// works the file is also marked immutable (`chattr +i`); the returned flag says
/// whether that was done, so that the flag can be cleared again.
fn make_readonly(path: &Path) -> Result<bool, String> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o444))
        .map_err(|e| e.to_string())?;
    if std::fs::OpenOptions::new().write(true).open(path).is_err() {
        return Ok(false);
    }
    let status = std::process::Command::new("chattr")
        .arg("+i")
        .arg(path)
        .status()
        .map_err(|e| format!("chattr: {e}"))?;
    if status.success() && std::fs::OpenOptions::new().write(true).open(path).is_err() {
        Ok(true)
    } else {
        Err("cannot make the file read-only (root without chattr +i)".to_string())
    }
}

/// Runs one case; `Err` describes what went wrong.
fn run_case(case: &Path) -> Result<(), String> {
    let p = TempProject::new();
    let mut skip: Vec<String> = META.iter().map(|s| s.to_string()).collect();
    skip.extend(overlay_dirs(case));
    copy_tree(case, p.path(), &skip);

    let mut immutable: Vec<PathBuf> = Vec::new();
    let result = (|| {
        for step in lines(&case.join("setup")) {
            let (verb, rest) = step.split_once(' ').unwrap_or((&step, ""));
            match verb {
                "run" => {
                    let args: Vec<&str> = rest.split_whitespace().collect();
                    let out = p.cmd(&args).output().unwrap();
                    if !out.status.success() {
                        return Err(format!(
                            "setup `{step}` failed: {}",
                            String::from_utf8_lossy(&out.stderr)
                        ));
                    }
                }
                "sql" => p.conn().execute_batch(rest).map_err(|e| e.to_string())?,
                "overlay" => copy_tree(&case.join(rest.trim()), p.path(), &[]),
                "readonly" => {
                    let path = p.path().join(rest.trim());
                    if make_readonly(&path)? {
                        immutable.push(path);
                    }
                }
                "" => {}
                other => return Err(format!("unknown setup step `{other}`")),
            }
        }
        check_command(case, &p)
    })();
    for path in immutable {
        let _ = std::process::Command::new("chattr")
            .arg("-i")
            .arg(path)
            .status();
    }
    result
}

fn check_command(case: &Path, p: &TempProject) -> Result<(), String> {
    let args = lines(&case.join("args"));
    let expected = lines(&case.join("expected"));
    let status: i32 = match std::fs::read_to_string(case.join("status")) {
        Ok(s) => s
            .trim()
            .parse()
            .map_err(|_| "bad status file".to_string())?,
        Err(_) => 2,
    };
    let files_before = files(p.path());
    let db_before = database_state(p);

    let out = p
        .cmd(&args.iter().map(String::as_str).collect::<Vec<_>>())
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    let mut problems: Vec<String> = Vec::new();
    if out.status.code() != Some(status) {
        problems.push(format!(
            "exit status {:?}, expected {status}",
            out.status.code()
        ));
    }
    if status == 2 && !stderr.starts_with("error: ") {
        problems.push("stderr does not start with `error: `".to_string());
    }
    if stderr.contains("panicked") {
        problems.push("it panicked".to_string());
    }
    if status == 2 {
        problems.extend(one_paragraph(&stderr));
        let name = case.file_name().unwrap_or_default().to_string_lossy();
        problems.extend(names_the_place(&name, &stderr));
    }
    // An error is on stderr; what `check` finds is on stdout.
    let output = if status == 2 {
        stderr.to_string()
    } else {
        format!("{stdout}{stderr}")
    };
    if expected.is_empty() {
        problems.push("the case's `expected` names nothing to look for".to_string());
    }
    for needle in &expected {
        if !output.contains(needle.as_str()) {
            problems.push(format!("the output lacks {needle:?}"));
        }
    }
    if files(p.path()) != files_before {
        problems.push("the project's files changed".to_string());
    }
    let db_after = database_state(p);
    if db_after != db_before {
        problems.push(match (&db_before, &db_after) {
            (None, Some(_)) => "it created app.db".to_string(),
            _ => "the database changed".to_string(),
        });
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "{}\n  args: {args:?}\n  status: {:?}\n  stdout: {stdout}\n  stderr: {stderr}",
            problems.join("; "),
            out.status.code()
        ))
    }
}

/// One paragraph: a single `error:`, at the start, and no blank line (a list of
/// statements or the statement that failed may follow on lines of their own).
fn one_paragraph(stderr: &str) -> Option<String> {
    let text = stderr.trim_end();
    let errors = text.lines().filter(|l| l.starts_with("error:")).count();
    if errors != 1 {
        return Some(format!("{errors} `error:` lines, not one"));
    }
    if text.lines().any(|l| l.trim().is_empty()) {
        return Some("the message is more than one paragraph".to_string());
    }
    None
}

/// Cases about a file's content (their names say which file): the error names the
/// file and, unless the whole file is at fault (something missing from it, or the
/// file itself), the line, as `FILE:LINE`.
fn names_the_place(case: &str, stderr: &str) -> Option<String> {
    const ABOUT_A_FILE: [&str; 11] = [
        "schema_",
        "toml_",
        "migration_",
        "header_",
        "marker_",
        "sql_before_",
        "invalid_utf8_",
        "binary_",
        "empty_",
        "bom_only_",
        "whitespace_only_",
    ];
    /// The whole file is at fault: its name is enough.
    const WHOLE_FILE: [&str; 11] = [
        "schema_missing_file",
        "schema_listed_file_missing",
        "header_after_blank_line",
        "header_missing_revises",
        "header_missing_revision",
        "marker_missing_both",
        "marker_missing_downgrade",
        "marker_missing_upgrade",
        "empty_migration_file",
        "bom_only_migration_file",
        "whitespace_only_migration_file",
    ];
    if !ABOUT_A_FILE.iter().any(|p| case.starts_with(p)) {
        return None;
    }
    let files = [".sql", "wildebeest.toml"];
    if !files.iter().any(|f| stderr.contains(f)) {
        return Some("the message names no file".to_string());
    }
    if WHOLE_FILE.contains(&case) {
        return None;
    }
    let at_line = files.iter().any(|f| {
        stderr.match_indices(&format!("{f}:")).any(|(i, m)| {
            stderr[i + m.len()..]
                .chars()
                .next()
                .is_some_and(|c| c.is_ascii_digit())
        })
    });
    (!at_line).then(|| "the message names no FILE:LINE".to_string())
}

/// How many cases the corpus has: it only grows, so a case removed by mistake (or a
/// folder the listing no longer finds) fails the test.
const CASES: usize = 141;

#[test]
fn every_bad_input_is_refused_clearly_and_changes_nothing() {
    let mut cases: Vec<PathBuf> = std::fs::read_dir(corpus_dir())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    cases.sort();
    assert!(
        cases.len() >= CASES,
        "only {} cases of at least {CASES}",
        cases.len()
    );
    let mut failures: Vec<String> = Vec::new();
    for case in &cases {
        if let Err(why) = run_case(case) {
            failures.push(format!(
                "{}: {why}",
                case.file_name().unwrap().to_string_lossy()
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n\n")
    );
}
