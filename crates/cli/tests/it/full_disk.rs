//! A full disk: `upgrade` on SQLite in a small tmpfs. The run fails with one clear error
//! and status 2, and the database stays at its previous revision, readable, and
//! upgradable once there is room again.
//!
//! Mounting needs root (or CAP_SYS_ADMIN); where the mount fails the tests print why
//! they were skipped and pass.

use std::path::{Path, PathBuf};
use std::process::Command;

use predicates::str::contains;

use crate::util::TempProject;

/// A tmpfs mounted over a directory, unmounted when dropped.
struct Tmpfs {
    path: PathBuf,
}

impl Tmpfs {
    fn mount(path: &Path, size: &str) -> Result<Tmpfs, String> {
        let out = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(path)
            .output()
            .map_err(|e| format!("cannot run mount: {e}"))?;
        if out.status.success() {
            Ok(Tmpfs {
                path: path.to_path_buf(),
            })
        } else {
            Err(String::from_utf8_lossy(&out.stderr).trim().to_string())
        }
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.path).status();
    }
}

/// A project with one applied revision (`employees`, with two rows) on a tmpfs of
/// `size`, or `None` (and a printed reason) when no tmpfs can be mounted.
fn project_on_tmpfs(size: &str) -> Option<(TempProject, Tmpfs)> {
    let p = TempProject::new();
    let disk = match Tmpfs::mount(p.path(), size) {
        Ok(disk) => disk,
        Err(why) => {
            wildebeest_testkit::skip(&format!("cannot mount a tmpfs ({why})"));
            return None;
        }
    };
    p.cmd(&["init"]).assert().success();
    p.write(
        "schema.sql",
        "CREATE TABLE employees (id INTEGER PRIMARY KEY, name VARCHAR NOT NULL);\n",
    );
    p.cmd(&["migrate", "-m", "one"]).assert().success();
    p.cmd(&["upgrade"]).assert().success();
    p.conn()
        .execute_batch("INSERT INTO employees VALUES (1, 'Ada'), (2, 'Grace');")
        .unwrap();
    Some((p, disk))
}

/// Adds a revision with these statements and returns its file name.
fn add_revision(p: &TempProject, message: &str, upgrade: &str, downgrade: &str) -> String {
    p.cmd(&["revision", "-m", message]).assert().success();
    let path = p.migrations().last().unwrap().clone();
    let text = std::fs::read_to_string(&path).unwrap();
    let head = &text[..text.find("-- +upgrade").expect("upgrade marker")];
    std::fs::write(
        &path,
        format!("{head}-- +upgrade\n{upgrade}\n\n-- +downgrade\n{downgrade}\n"),
    )
    .unwrap();
    path.file_name().unwrap().to_string_lossy().into_owned()
}

/// Runs `upgrade` expecting the full-disk failure; checks the one error and that the
/// database is still at the first revision with its rows.
fn upgrade_fails_on_full_disk(p: &TempProject, file: &str) {
    let applied = p.rows("SELECT revision FROM wildebeest_revisions");
    let out = p.cmd(&["upgrade"]).env("NO_COLOR", "1").output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "stderr: {stderr}");
    assert!(stderr.starts_with("error: "), "stderr: {stderr}");
    assert_eq!(stderr.matches("error:").count(), 1, "stderr: {stderr}");
    assert!(!stderr.contains("panicked"), "stderr: {stderr}");
    assert!(
        stderr.contains("full"),
        "no mention of the full disk: {stderr}"
    );
    assert!(stderr.contains(file), "the revision is not named: {stderr}");

    assert_eq!(p.rows("SELECT revision FROM wildebeest_revisions"), applied);
    assert_eq!(
        p.rows("SELECT id, name FROM employees ORDER BY id"),
        [["1", "Ada"], ["2", "Grace"]]
    );
    assert!(
        p.rows("SELECT name FROM sqlite_master WHERE name = 'big'")
            .is_empty()
    );
    let current = p.cmd(&["current"]).output().unwrap();
    assert!(current.status.success());
    assert!(
        String::from_utf8_lossy(&current.stdout).contains(&applied[0][0]),
        "current: {}",
        String::from_utf8_lossy(&current.stdout)
    );
}

#[test]
fn a_migration_larger_than_the_disk_leaves_the_previous_revision() {
    let Some((p, _disk)) = project_on_tmpfs("1m") else {
        return;
    };
    // About 4 MB of rows into a 1 MB file system.
    let file = add_revision(
        &p,
        "big",
        "CREATE TABLE big (id INTEGER PRIMARY KEY, b BLOB);\n\
         WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 400)\n\
         INSERT INTO big SELECT i, randomblob(10000) FROM n;",
        "DROP TABLE big;",
    );
    upgrade_fails_on_full_disk(&p, &file);
}

#[test]
fn a_disk_already_full_fails_the_upgrade_and_the_next_one_succeeds() {
    let Some((p, _disk)) = project_on_tmpfs("1m") else {
        return;
    };
    let file = add_revision(
        &p,
        "small",
        "CREATE TABLE big (id INTEGER PRIMARY KEY);\nINSERT INTO big VALUES (1);",
        "DROP TABLE big;",
    );
    // Fill what is left of the disk.
    let filler = p.path().join("filler");
    {
        use std::io::Write;
        let mut f = std::fs::File::create(&filler).unwrap();
        let block = vec![0u8; 4096];
        while f.write_all(&block).is_ok() {}
        let _ = f.sync_all();
    }
    upgrade_fails_on_full_disk(&p, &file);

    std::fs::remove_file(&filler).unwrap();
    p.cmd(&["upgrade"]).assert().success();
    assert_eq!(p.rows("SELECT id FROM big"), [["1"]]);
    p.cmd(&["current"])
        .assert()
        .success()
        .stdout(contains("(head)"));
}

#[test]
fn a_full_disk_rolls_back_the_whole_run_and_the_message_says_so() {
    let Some((p, _disk)) = project_on_tmpfs("1m") else {
        return;
    };
    // SQLite ends the whole transaction on SQLITE_FULL, so the revision applied before
    // the failing one in the same run goes too; the message must not hide that.
    add_revision(
        &p,
        "small",
        "CREATE TABLE small (id INTEGER PRIMARY KEY);",
        "DROP TABLE small;",
    );
    let file = add_revision(
        &p,
        "big",
        "CREATE TABLE big (id INTEGER PRIMARY KEY, b BLOB);\n\
         WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 400)\n\
         INSERT INTO big SELECT i, randomblob(10000) FROM n;",
        "DROP TABLE big;",
    );
    upgrade_fails_on_full_disk(&p, &file);
    p.cmd(&["upgrade"]).assert().code(2).stderr(contains(
        "the revisions this run applied before it, if any, are not applied either",
    ));
    assert!(
        p.rows("SELECT name FROM sqlite_master WHERE name = 'small'")
            .is_empty()
    );
}
