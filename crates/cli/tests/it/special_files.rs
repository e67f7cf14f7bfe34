//! Inputs that are not regular files: a FIFO (opening one blocks until something
//! writes to it), `/dev/zero` (never ends), a directory and a socket, as
//! `schema.sql`, as a migration file, as `wildebeest.sum` and as `wildebeest.toml`.
//! Each is refused before it is opened, with status 2 and one paragraph naming the
//! path and what it is; a symbolic link to a regular file is read as the file. Every
//! run is bounded: one that outlives `BOUND` is killed and fails the test.

use std::path::Path;
use std::time::Duration;

use crate::util::TempProject;

/// Far longer than any of these commands takes; a run still going then hangs.
const BOUND: Duration = Duration::from_secs(60);

/// Makes `path` into one kind of special file; returns what the message calls it.
/// The socket's listener is returned too, so that it lives as long as the test.
fn make(kind: &str, path: &Path) -> (&'static str, Option<std::os::unix::net::UnixListener>) {
    let _ = std::fs::remove_file(path);
    let _ = std::fs::remove_dir_all(path);
    match kind {
        "fifo" => {
            let made = std::process::Command::new("mkfifo")
                .arg(path)
                .status()
                .expect("mkfifo");
            assert!(made.success());
            ("a FIFO (named pipe)", None)
        }
        "zero" => {
            std::os::unix::fs::symlink("/dev/zero", path).unwrap();
            ("a character device", None)
        }
        "dir" => {
            std::fs::create_dir(path).unwrap();
            ("a directory", None)
        }
        "socket" => {
            let listener = std::os::unix::net::UnixListener::bind(path).unwrap();
            ("a socket", Some(listener))
        }
        other => panic!("unknown kind {other}"),
    }
}

const KINDS: [&str; 4] = ["fifo", "zero", "dir", "socket"];

/// Runs `args`, bounded; asserts a refusal naming `name` and `what`.
fn refused(p: &TempProject, args: &[&str], name: &str, what: &str) {
    let out = p
        .cmd(args)
        .env("NO_COLOR", "1")
        .timeout(BOUND)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        out.status.code(),
        Some(2),
        "{args:?} with {name} as {what} (killed after {BOUND:?}?): {stderr}"
    );
    assert!(stderr.starts_with("error: "), "{stderr}");
    assert_eq!(stderr.trim_end().lines().count(), 1, "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(stderr.contains(name), "{args:?}: no {name:?} in {stderr}");
    assert!(
        stderr.contains(&format!("it is {what}, not a regular file")),
        "{args:?}: {stderr}"
    );
}

fn project() -> TempProject {
    let p = TempProject::init();
    p.write("schema.sql", "CREATE TABLE t (id INTEGER PRIMARY KEY);\n");
    p.cmd(&["migrate", "-m", "one"]).assert().success();
    p
}

#[test]
fn a_schema_file_that_is_not_a_regular_file_is_refused() {
    let p = project();
    for kind in KINDS {
        let (what, _listener) = make(kind, &p.path().join("schema.sql"));
        for args in [&["migrate", "-m", "two"][..], &["check"]] {
            refused(&p, args, "schema.sql", what);
        }
        assert_eq!(p.migrations().len(), 1, "{kind}: a migration was written");
    }
}

#[test]
fn a_migration_file_that_is_not_a_regular_file_is_refused() {
    let p = project();
    let name = "20990101_000000_zz_special.sql";
    for kind in KINDS {
        let (what, _listener) = make(kind, &p.path().join("migrations").join(name));
        for args in [&["upgrade"][..], &["history"], &["check"], &["current"]] {
            refused(&p, args, name, what);
        }
        assert!(!p.db().exists(), "{kind}: the database was created");
    }
}

#[test]
fn a_sum_or_settings_file_that_is_not_a_regular_file_is_refused() {
    let p = project();
    for kind in KINDS {
        let (what, _listener) = make(kind, &p.path().join("migrations/wildebeest.sum"));
        refused(&p, &["check"], "wildebeest.sum", what);
        refused(&p, &["revision", "-m", "x"], "wildebeest.sum", what);
        assert_eq!(p.migrations().len(), 1, "{kind}: a migration was written");
    }
    let p = project();
    for kind in KINDS {
        let (what, _listener) = make(kind, &p.path().join("wildebeest.toml"));
        refused(&p, &["current"], "wildebeest.toml", what);
    }
}

#[test]
fn a_link_to_a_regular_schema_or_migration_file_is_read() {
    let p = project();
    std::fs::rename(p.path().join("schema.sql"), p.path().join("real.sql")).unwrap();
    std::os::unix::fs::symlink("real.sql", p.path().join("schema.sql")).unwrap();
    let file = p.migrations().remove(0);
    let moved = p.path().join("kept.sql.txt");
    std::fs::rename(&file, &moved).unwrap();
    std::os::unix::fs::symlink(&moved, &file).unwrap();
    let out = p.cmd(&["check"]).timeout(BOUND).output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    p.cmd(&["upgrade"]).timeout(BOUND).assert().success();
    p.cmd(&["check"]).timeout(BOUND).assert().success();
}
