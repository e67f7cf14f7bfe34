//! The lock, and revisions as all-or-nothing savepoints inside it.

use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use wildebeest_runner::{Backend, BackendError, Script};

use crate::util::{Db, script, table, upgrade};

#[test]
fn a_failing_statement_undoes_its_revision_but_not_the_one_before() {
    let db = Db::with("CREATE TABLE t (a INTEGER NOT NULL)");
    let mut backend = db.backend();
    backend.ensure_version_tables().unwrap();
    backend.lock().unwrap();
    backend
        .execute(
            &script(&["INSERT INTO t VALUES (1)", "CREATE TABLE u (b TEXT)"]),
            &upgrade("r1"),
            &Default::default(),
        )
        .unwrap();
    let failing = script(&[
        "INSERT INTO t VALUES (2)",
        "CREATE TABLE v (c TEXT)",
        "CREATE INDEX t_a ON t (a)",
        "INSERT INTO t VALUES (NULL)",
        "INSERT INTO t VALUES (3)",
    ]);
    let err = backend
        .execute(&failing, &upgrade("r2"), &Default::default())
        .unwrap_err();
    assert_eq!(
        err,
        BackendError {
            message: "NOT NULL constraint failed: t.a".into(),
            step: Some(3)
        }
    );
    backend.unlock().unwrap();

    assert_eq!(db.rows("SELECT a FROM t"), table(&[&["1"]]));
    assert_eq!(
        db.master()
            .into_iter()
            .map(|r| r[1].clone())
            .collect::<Vec<_>>(),
        ["t", "u"]
    );
    assert_eq!(
        db.rows("SELECT revision FROM wildebeest_revisions"),
        table(&[&["r1"]])
    );
    assert_eq!(
        db.rows("SELECT revision FROM wildebeest_history"),
        table(&[&["r1"]])
    );
}

#[test]
fn a_failing_check_undoes_the_revision() {
    let db = Db::with("CREATE TABLE t (a INTEGER)");
    let mut backend = db.backend();
    backend.ensure_version_tables().unwrap();
    let mut s = script(&["INSERT INTO t VALUES (1)"]);
    s.verify = vec!["SELECT a, 'x' FROM t".into()];
    let err = backend
        .execute(&s, &upgrade("r1"), &Default::default())
        .unwrap_err();
    assert_eq!(
        err,
        BackendError::new("check `SELECT a, 'x' FROM t` returned rows: (1, x)")
    );
    assert_eq!(db.rows("SELECT count(*) FROM t"), table(&[&["0"]]));
    assert_eq!(backend.applied().unwrap(), vec![]);
}

#[test]
fn statements_may_contain_semicolons_and_return_rows() {
    let db = Db::with("CREATE TABLE t (a INTEGER); CREATE TABLE log (a INTEGER)");
    let mut backend = db.backend();
    backend.ensure_version_tables().unwrap();
    let s = script(&[
        "CREATE TRIGGER t_log AFTER INSERT ON t BEGIN INSERT INTO log VALUES (new.a); INSERT INTO log VALUES (-new.a); END",
        "INSERT INTO t VALUES (7) RETURNING a",
        "PRAGMA user_version = 3",
        "SELECT * FROM log",
    ]);
    backend
        .execute(&s, &upgrade("r1"), &Default::default())
        .unwrap();
    assert_eq!(
        db.rows("SELECT a FROM log ORDER BY a"),
        table(&[&["-7"], &["7"]])
    );
}

#[test]
fn two_statements_in_one_step_are_refused() {
    let db = Db::with("CREATE TABLE t (a INTEGER)");
    let mut backend = db.backend();
    backend.ensure_version_tables().unwrap();
    let err = backend
        .execute(
            &script(&["INSERT INTO t VALUES (1); INSERT INTO t VALUES (2)"]),
            &upgrade("r1"),
            &Default::default(),
        )
        .unwrap_err();
    assert_eq!(
        err,
        BackendError {
            message: "Multiple statements provided".into(),
            step: Some(0)
        }
    );
    assert_eq!(db.rows("SELECT count(*) FROM t"), table(&[&["0"]]));
}

#[test]
fn unlock_without_lock_does_nothing_and_lock_twice_is_an_error() {
    let db = Db::with("");
    let mut backend = db.backend();
    backend.unlock().unwrap();
    backend.lock().unwrap();
    let err = backend.lock().unwrap_err();
    assert_eq!(
        err.message,
        format!(
            "the migration lock on `{}` is already held by this connection",
            db.path.display()
        )
    );
    backend.unlock().unwrap();
    backend.unlock().unwrap();
}

#[test]
fn a_second_runner_waits_for_the_lock_and_sees_what_the_first_applied() {
    let db = Db::with("CREATE TABLE t (a INTEGER)");
    let mut first = db.backend();
    first.ensure_version_tables().unwrap();
    first.lock().unwrap();
    first
        .execute(
            &script(&["INSERT INTO t VALUES (1)"]),
            &upgrade("r1"),
            &Default::default(),
        )
        .unwrap();

    let (locked_tx, locked_rx) = mpsc::channel();
    let path = db.path.clone();
    let second = thread::spawn(move || {
        let mut second = wildebeest_sqlite::SqliteBackend::open(&path, false).unwrap();
        second.set_busy_timeout(Duration::from_secs(20)).unwrap();
        let started = Instant::now();
        second.lock().unwrap();
        locked_tx.send(()).unwrap();
        let waited = started.elapsed();
        let applied: Vec<String> = second
            .applied()
            .unwrap()
            .into_iter()
            .map(|a| a.revision)
            .collect();
        second.unlock().unwrap();
        (waited, applied)
    });
    // The second runner is still waiting while the first holds the lock.
    assert!(locked_rx.recv_timeout(Duration::from_millis(300)).is_err());
    first
        .execute(
            &script(&["INSERT INTO t VALUES (2)"]),
            &upgrade("r2"),
            &Default::default(),
        )
        .unwrap();
    first.unlock().unwrap();

    let (waited, applied) = second.join().unwrap();
    assert!(waited >= Duration::from_millis(300), "{waited:?}");
    assert_eq!(applied, ["r1", "r2"]);
}

#[test]
fn a_lock_held_too_long_is_a_clear_error() {
    let db = Db::with("");
    let mut first = db.backend();
    first.lock().unwrap();
    let mut second = db.backend();
    second.set_busy_timeout(Duration::from_millis(200)).unwrap();
    let err = second.lock().unwrap_err();
    assert_eq!(
        err.message,
        format!(
            "the database `{}` is locked by another process (another migration run, or an application \
             writing to it); gave up after waiting 200 ms",
            db.path.display()
        )
    );
    first.unlock().unwrap();
    second.lock().unwrap();
    second.unlock().unwrap();
}

#[test]
fn before_and_after_run_outside_the_revision() {
    let db = Db::with("CREATE TABLE t (a INTEGER)");
    let mut backend = db.backend();
    backend.ensure_version_tables().unwrap();
    let s = Script {
        before: vec!["INSERT INTO t VALUES (1)".into()],
        after: vec!["INSERT INTO t VALUES (3)".into()],
        ..script(&["INSERT INTO t VALUES (2)", "INSERT INTO nowhere VALUES (0)"])
    };
    let err = backend
        .execute(&s, &upgrade("r1"), &Default::default())
        .unwrap_err();
    assert_eq!(
        err,
        BackendError {
            message: "no such table: nowhere".into(),
            step: Some(1)
        }
    );
    assert_eq!(
        db.rows("SELECT a FROM t ORDER BY a"),
        table(&[&["1"], &["3"]])
    );
}

#[test]
fn a_failed_run_does_not_remove_a_file_another_run_is_writing() {
    // Two runs start on a missing file; the one that waits for the lock gives up and,
    // having "created" the file, used to remove it while the other still wrote to it:
    // that run then committed into a deleted file and its revisions were lost.
    let db = Db::with("");
    let mut writer = db.backend();
    writer.ensure_version_tables().unwrap();
    writer.lock().unwrap();
    assert!(!wildebeest_sqlite::remove_if_unapplied(&db.path));
    assert!(db.path.exists());
    writer
        .execute(
            &script(&["CREATE TABLE t (a INTEGER)"]),
            &upgrade("r1"),
            &Default::default(),
        )
        .unwrap();
    writer.unlock().unwrap();
    assert_eq!(
        db.rows("SELECT revision FROM wildebeest_revisions"),
        table(&[&["r1"]])
    );
}

#[test]
fn an_unused_file_with_nothing_applied_is_removed() {
    let db = Db::with("");
    db.backend().ensure_version_tables().unwrap();
    assert!(wildebeest_sqlite::remove_if_unapplied(&db.path));
    assert!(!db.path.exists());
}

#[test]
fn a_file_with_a_revision_applied_is_kept() {
    let db = Db::with("");
    let mut backend = db.backend();
    backend.ensure_version_tables().unwrap();
    backend
        .execute(
            &script(&["CREATE TABLE t (a INTEGER)"]),
            &upgrade("r1"),
            &Default::default(),
        )
        .unwrap();
    drop(backend);
    assert!(!wildebeest_sqlite::remove_if_unapplied(&db.path));
    assert!(db.path.exists());
}

#[test]
fn a_run_whose_file_was_removed_while_it_waited_runs_nothing() {
    let db = Db::with("");
    let mut backend = db.backend();
    std::fs::remove_file(&db.path).unwrap();
    let err = backend.lock().unwrap_err();
    assert!(
        err.message
            .contains("was removed or replaced while this run waited for its lock"),
        "{err}"
    );
    // The lock is not held: the connection can lock again (and fails the same way).
    assert!(backend.lock().is_err());
    assert!(!db.path.exists());
}
