//! The migration lock: a named server lock, waited for and named when it times out.

use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use wildebeest_runner::Backend;

use crate::util::test_db;

#[test]
fn a_second_runner_times_out_with_the_holder_named() {
    let db = test_db!();
    let mut first = db.backend();
    first.lock().unwrap();
    let mut second = db.backend();
    second.set_lock_timeout(Duration::from_secs(1));
    let started = Instant::now();
    let err = second.lock().unwrap_err();
    assert!(started.elapsed() >= Duration::from_millis(900));
    let name = format!("wildebeest:{}", db.name);
    assert!(
        err.message.starts_with(&format!(
            "the migration lock `{name}` on `{}` is held by connection ",
            second.describe()
        )),
        "{err}"
    );
    assert!(err.message.contains("connected for "), "{err}");
    assert!(err.message.ends_with("gave up after waiting 1 s"), "{err}");
    first.unlock().unwrap();
    second.lock().unwrap();
    second.unlock().unwrap();
}

#[test]
fn a_waiting_runner_gets_the_lock_when_it_is_released() {
    let mut db = test_db!();
    let mut first = db.backend();
    first.lock().unwrap();
    let url = db.url.clone();
    let (tx, rx) = mpsc::channel();
    let waiter = thread::spawn(move || {
        let mut second = wildebeest_mysql::MysqlBackend::connect(&url).unwrap();
        second.set_lock_timeout(Duration::from_secs(20));
        tx.send(()).unwrap();
        let got = second.lock();
        let _ = second.unlock();
        got
    });
    rx.recv().unwrap();
    // The server shows the second runner blocked in GET_LOCK before the first lets go:
    // then, and only then, did it wait (a sleep here proved nothing).
    let waiting = format!(
        "SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE ID <> CONNECTION_ID() \
         AND DB = '{}' AND INFO LIKE '%GET\\_LOCK%'",
        db.name
    );
    while db.rows(&waiting)[0][0] == "0" {
        assert!(
            !waiter.is_finished(),
            "the second runner finished without waiting for the lock: {:?}",
            waiter.join()
        );
        thread::sleep(Duration::from_millis(10));
    }
    first.unlock().unwrap();
    waiter.join().unwrap().unwrap();
}

#[test]
fn locking_twice_on_one_connection_is_an_error_and_unlocking_twice_is_not() {
    let db = test_db!();
    let mut backend = db.backend();
    backend.lock().unwrap();
    let err = backend.lock().unwrap_err();
    assert!(
        err.message.contains("already held by this connection"),
        "{err}"
    );
    backend.unlock().unwrap();
    backend.unlock().unwrap();
}

#[test]
fn connecting_names_the_server_without_the_password() {
    let db = test_db!();
    let url = db.url.replacen("://", "://nobody:hunter2@", 1);
    // Replace any user already in the URL.
    let url = match url.split_once('@') {
        Some((head, rest)) if rest.contains('@') => {
            format!("{head}@{}", rest.split_once('@').map_or(rest, |r| r.1))
        }
        _ => url,
    };
    let err = wildebeest_mysql::MysqlBackend::connect(&url).unwrap_err();
    assert!(
        err.message
            .starts_with("cannot connect to MySQL at `mysql://nobody@"),
        "{err}"
    );
    assert!(!err.message.contains("hunter2"), "{err}");
}

#[test]
fn a_refused_connection_says_why_in_one_sentence() {
    // Nothing listens on port 1.
    let err = wildebeest_mysql::MysqlBackend::connect("mysql://someone:hunter2@127.0.0.1:1/db")
        .unwrap_err();
    assert_eq!(
        err.message,
        "cannot connect to MySQL at `mysql://someone@127.0.0.1:1/db`: Connection refused (os error 111)"
    );
}

#[test]
fn tls_modes_are_honoured() {
    let mut db = test_db!();
    let url = db.url.clone();
    let with_mode = |mode: &str| {
        let sep = if url.contains('?') { '&' } else { '?' };
        format!("{url}{sep}ssl-mode={mode}")
    };
    // Whether the server offers TLS at all (`YES`; `DISABLED` or `NO` otherwise).
    let offered = db.rows("SHOW VARIABLES LIKE 'have_ssl'")[0][1] == "YES";
    // DISABLED connects without TLS; PREFERRED (the default) with TLS when offered.
    let plain = wildebeest_mysql::MysqlBackend::connect(&with_mode("DISABLED")).unwrap();
    assert_eq!(plain.tls_cipher().unwrap(), None);
    let preferred = wildebeest_mysql::MysqlBackend::connect(&with_mode("PREFERRED")).unwrap();
    assert_eq!(preferred.tls_cipher().unwrap().is_some(), offered);
    // REQUIRED is encrypted on a server with TLS, and refused, saying so, without.
    match wildebeest_mysql::MysqlBackend::connect(&with_mode("REQUIRED")) {
        Ok(required) => {
            assert!(offered, "REQUIRED connected to a server without TLS");
            let cipher = required.tls_cipher().unwrap();
            assert!(cipher.is_some(), "REQUIRED connected without TLS");
        }
        Err(err) => {
            assert!(!offered, "REQUIRED failed on a server with TLS: {err}");
            assert!(
                err.message
                    .starts_with("cannot connect to MySQL at `mysql://"),
                "{err}"
            );
            assert!(err.message.contains("secure connection"), "{err}");
        }
    }
}
