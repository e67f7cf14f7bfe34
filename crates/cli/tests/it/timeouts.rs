//! Servers that accept a connection and never answer: wildebeest gives up after its
//! connect timeout (the URL's, or the default) with one `error:` paragraph naming the
//! server, the timeout and how to change it, and status 2. The "server" is a
//! listener on 127.0.0.1 in the test; each run of the binary is killed, failing the
//! test, if it outlives a bound far above any timeout it was given.

use std::net::{TcpListener, TcpStream};
use std::time::Duration;

use crate::util::TempProject;

/// Longer than any timeout below: a run still going then hangs.
const BOUND: Duration = Duration::from_secs(90);

/// A port on 127.0.0.1 where connections are accepted and never answered. The
/// accepted sockets are kept open for the life of the test process.
fn silent_server() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        let mut held: Vec<TcpStream> = Vec::new();
        for stream in listener.incoming() {
            match stream {
                Ok(s) => held.push(s),
                Err(_) => break,
            }
        }
    });
    port
}

/// Runs `upgrade` against `url`; asserts the refusal and that `needles` are in it.
fn gives_up(url: &str, needles: &[&str]) {
    let p = TempProject::init();
    p.write("schema.sql", "CREATE TABLE t (id INTEGER PRIMARY KEY);\n");
    p.cmd(&["migrate", "-m", "one"]).assert().success();
    for command in [&["upgrade"][..], &["current"]] {
        let mut args = vec!["--database-url", url];
        args.extend_from_slice(command);
        let out = p
            .cmd(&args)
            .env("NO_COLOR", "1")
            .timeout(BOUND)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(
            out.status.code(),
            Some(2),
            "{url} {command:?} did not give up (killed after {BOUND:?}?): {stderr}"
        );
        assert!(stderr.starts_with("error: "), "{stderr}");
        assert_eq!(stderr.trim_end().lines().count(), 1, "{stderr}");
        assert!(!stderr.contains("panicked"), "{stderr}");
        for needle in needles {
            assert!(stderr.contains(needle), "{url}: no {needle:?} in {stderr}");
        }
    }
}

#[test]
fn a_postgres_server_that_never_answers_is_given_up_after_connect_timeout() {
    let port = silent_server();
    let server = format!("127.0.0.1:{port}");
    gives_up(
        &format!("postgres://app:pw-77x@{server}/shop?connect_timeout=1"),
        &[&server, "within 1 s", "connect_timeout=SECONDS"],
    );
}

#[test]
fn a_postgres_server_that_never_answers_is_given_up_after_the_default_timeout() {
    let port = silent_server();
    let server = format!("127.0.0.1:{port}");
    gives_up(
        &format!("postgres://app@{server}/shop?sslmode=disable"),
        &[&server, "within 10 s", "connect_timeout=SECONDS"],
    );
}

#[test]
fn a_mysql_server_that_never_answers_is_given_up_after_tcp_connect_timeout_ms() {
    let port = silent_server();
    let server = format!("127.0.0.1:{port}");
    gives_up(
        &format!("mysql://app:pw-77x@{server}/shop?tcp_connect_timeout_ms=1500"),
        &[
            &server,
            "within 1500 ms",
            "tcp_connect_timeout_ms=MILLISECONDS",
        ],
    );
}

#[test]
fn a_mysql_server_that_never_answers_is_given_up_after_the_default_timeout() {
    let port = silent_server();
    let server = format!("127.0.0.1:{port}");
    gives_up(
        &format!("mysql://app@{server}/shop?ssl-mode=DISABLED"),
        &[
            &server,
            "within 10 s",
            "tcp_connect_timeout_ms=MILLISECONDS",
        ],
    );
}
