//! The advisory lock, and revisions as all-or-nothing transactions.

use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use wildebeest_postgres::PgBackend;
use wildebeest_runner::{Backend, BackendError, Script};

use crate::util::{db, script, table, upgrade};

#[test]
fn a_failing_statement_undoes_its_revision_but_not_the_one_before() {
    let mut db = db!("CREATE TABLE t (a INTEGER NOT NULL)");
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
    assert_eq!(err.step, Some(3));
    assert!(
        err.message.starts_with(
            "null value in column \"a\" of relation \"t\" violates not-null constraint"
        ),
        "{}",
        err.message
    );
    backend.unlock().unwrap();

    assert_eq!(db.rows("SELECT a FROM t"), table(&[&["1"]]));
    assert_eq!(
        db.tables(),
        [
            "t",
            "u",
            "wildebeest_history",
            "wildebeest_progress",
            "wildebeest_revisions"
        ]
    );
    assert_eq!(
        db.rows("SELECT revision FROM wildebeest_revisions"),
        table(&[&["r1"]])
    );
    assert_eq!(
        db.rows("SELECT revision FROM wildebeest_history"),
        table(&[&["r1"]])
    );
    assert_eq!(backend.inspect().unwrap().tables["t"].indexes, vec![]);
}

#[test]
fn revisions_inside_a_run_commit_without_waiting_and_the_setting_does_not_leak() {
    let mut db = db!("CREATE TABLE t (n INTEGER, setting TEXT)");
    let server = db.rows("SHOW synchronous_commit")[0][0].clone();
    let mut backend = db.backend();
    backend.ensure_version_tables().unwrap();
    let record =
        |n: u32| format!("INSERT INTO t VALUES ({n}, current_setting('synchronous_commit'))");
    // Outside a run: the server's setting.
    backend
        .execute(&script(&[&record(0)]), &upgrade("r0"), &Default::default())
        .unwrap();
    // Inside a run: asynchronous commits, flushed when the lock is released.
    backend.lock().unwrap();
    for (n, id) in [(1, "r1"), (2, "r2")] {
        backend
            .execute(&script(&[&record(n)]), &upgrade(id), &Default::default())
            .unwrap();
    }
    backend.unlock().unwrap();
    // `SET LOCAL` ended with each revision.
    backend
        .execute(&script(&[&record(3)]), &upgrade("r3"), &Default::default())
        .unwrap();
    assert_eq!(
        db.rows("SELECT n::text, setting FROM t ORDER BY n"),
        table(&[
            &["0", &server],
            &["1", "off"],
            &["2", "off"],
            &["3", &server]
        ])
    );
    assert_eq!(backend.applied().unwrap().len(), 4);
}

#[test]
fn a_failing_check_undoes_the_revision() {
    let mut db = db!("CREATE TABLE t (a INTEGER)");
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
fn before_and_after_run_outside_the_revision() {
    let mut db = db!("CREATE TABLE t (a INTEGER)");
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
            message: "relation \"nowhere\" does not exist".into(),
            step: Some(1)
        }
    );
    assert_eq!(
        db.rows("SELECT a FROM t ORDER BY a"),
        table(&[&["1"], &["3"]])
    );
}

#[test]
fn a_revision_that_changes_the_search_path_does_not_move_the_next() {
    let mut db = db!("CREATE TABLE t (a INTEGER)");
    let mut backend = db.backend();
    backend.ensure_version_tables().unwrap();
    backend
        .execute(
            &script(&["SET search_path TO pg_catalog"]),
            &upgrade("r1"),
            &Default::default(),
        )
        .unwrap();
    backend
        .execute(
            &script(&["INSERT INTO t VALUES (1)"]),
            &upgrade("r2"),
            &Default::default(),
        )
        .unwrap();
    assert_eq!(db.rows("SELECT a FROM t"), table(&[&["1"]]));
    assert_eq!(backend.applied().unwrap().len(), 2);
}

#[test]
fn unlock_without_lock_does_nothing_and_lock_twice_is_an_error() {
    let db = db!();
    let mut backend = db.backend();
    backend.unlock().unwrap();
    backend.lock().unwrap();
    let err = backend.lock().unwrap_err();
    assert_eq!(
        err.message,
        format!(
            "the migration lock on `{}` is already held by this connection",
            backend.describe()
        )
    );
    backend.unlock().unwrap();
    backend.unlock().unwrap();
    backend.lock().unwrap();
    backend.unlock().unwrap();
}

#[test]
fn a_second_runner_waits_for_the_lock_and_sees_what_the_first_applied() {
    let db = db!("CREATE TABLE t (a INTEGER)");
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
    let (ready_tx, ready_rx) = mpsc::channel();
    let (url, schema) = (db.url.clone(), db.schema.clone());
    let second = thread::spawn(move || {
        let mut second = PgBackend::connect(&url, Some(&schema)).unwrap();
        second.set_lock_timeout(Duration::from_secs(20));
        ready_tx.send(()).unwrap();
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
    ready_rx.recv().unwrap();
    assert!(locked_rx.recv_timeout(Duration::from_millis(500)).is_err());
    first
        .execute(
            &script(&["INSERT INTO t VALUES (2)"]),
            &upgrade("r2"),
            &Default::default(),
        )
        .unwrap();
    first.unlock().unwrap();

    let (waited, applied) = second.join().unwrap();
    assert!(waited >= Duration::from_millis(500), "{waited:?}");
    assert_eq!(applied, ["r1", "r2"]);
}

#[test]
fn a_lock_held_too_long_is_an_error_naming_the_holder() {
    let mut db = db!();
    let mut first = db.backend();
    first.lock().unwrap();
    let mut second = db.backend();
    second.set_lock_timeout(Duration::from_millis(300));
    let started = Instant::now();
    let err = second.lock().unwrap_err();
    assert!(started.elapsed() >= Duration::from_millis(300));
    let prefix = format!(
        "the migration lock on `{}` is held by another session (pid ",
        second.describe()
    );
    assert!(err.message.starts_with(&prefix), "{}", err.message);
    assert!(
        err.message.contains(", application `wildebeest`, user `"),
        "{}",
        err.message
    );
    assert!(
        err.message.contains(", connected since 20"),
        "{}",
        err.message
    );
    assert!(
        err.message
            .ends_with("), probably another migration run; gave up after waiting 300 ms"),
        "{}",
        err.message
    );
    // The pid named is the session holding an advisory lock.
    let pid: String = err.message[prefix.len()..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    assert_eq!(
        db.rows(&format!(
            "SELECT count(*) FROM pg_locks WHERE pid = {pid} AND locktype = 'advisory' AND granted"
        )),
        table(&[&["1"]])
    );
    first.unlock().unwrap();
    second.lock().unwrap();
    second.unlock().unwrap();
}

#[test]
fn runners_on_different_schemas_do_not_wait_for_each_other() {
    let one = db!();
    let two = db!();
    let mut first = one.backend();
    first.lock().unwrap();
    let mut second = two.backend();
    second.set_lock_timeout(Duration::from_millis(100));
    second.lock().unwrap();
    second.unlock().unwrap();
    first.unlock().unwrap();
}

#[test]
fn a_dropped_connection_releases_the_lock() {
    let db = db!();
    let mut first = db.backend();
    first.lock().unwrap();
    drop(first);
    let mut second = db.backend();
    second.set_lock_timeout(Duration::from_secs(5));
    second.lock().unwrap();
    second.unlock().unwrap();
}
