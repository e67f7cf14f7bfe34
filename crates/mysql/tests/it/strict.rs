//! wildebeest's own sessions run strict whatever the server's `sql_mode` (issue 17,
//! item 4). The shared test server is strict and must stay so, so these tests start a
//! private, throwaway MariaDB server with `--sql-mode=''` (as older installs have),
//! in a temporary folder, on a free port of 127.0.0.1; it is killed and its folder
//! removed when the test ends. Without `mariadbd` and `mariadb-install-db` the test
//! says it is skipped and passes.

use std::net::TcpListener;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use mysql::prelude::Queryable;
use wildebeest_mysql::MysqlBackend;
use wildebeest_revision::{Migration, Target, parse};
use wildebeest_runner::{Mode, RunError, Runner};

/// A MariaDB server of this test's own.
struct PrivateServer {
    dir: PathBuf,
    child: Child,
    url: String,
}

/// The first of `names` found in `PATH` or the usual `sbin` folders.
fn binary(names: &[&str]) -> Option<PathBuf> {
    let path = std::env::var("PATH").unwrap_or_default();
    let dirs = path
        .split(':')
        .map(PathBuf::from)
        .chain(["/usr/sbin", "/usr/local/sbin", "/usr/bin"].map(PathBuf::from));
    let dirs: Vec<PathBuf> = dirs.collect();
    names
        .iter()
        .flat_map(|n| dirs.iter().map(move |d| d.join(n)))
        .find(|p| p.is_file())
}

impl PrivateServer {
    /// Starts a server with `sql_mode` empty; `None`, saying why, without binaries.
    fn start() -> Option<PrivateServer> {
        let (Some(server), Some(install)) = (
            binary(&["mariadbd", "mysqld"]),
            binary(&["mariadb-install-db", "mysql_install_db"]),
        ) else {
            eprintln!("skipped: no mariadbd and mariadb-install-db to start a private server");
            return None;
        };
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        let dir = std::env::temp_dir().join(format!("wb_strict_{}_{nanos}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let data = dir.join("data");
        // mariadbd refuses to run as root unless told to.
        let root = std::fs::metadata("/proc/self").is_ok_and(|m| m.uid() == 0);
        let user = || root.then_some("--user=root");
        let installed = Command::new(&install)
            .arg("--no-defaults")
            .args(user())
            .arg(format!("--datadir={}", data.display()))
            .arg("--auth-root-authentication-method=normal")
            .arg("--skip-test-db")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .unwrap();
        assert!(installed.success(), "{} failed", install.display());
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let child = Command::new(&server)
            .arg("--no-defaults")
            .args(user())
            .arg(format!("--datadir={}", data.display()))
            .arg(format!("--socket={}", dir.join("sock").display()))
            .arg(format!("--pid-file={}", dir.join("pid").display()))
            .arg(format!("--log-error={}", dir.join("error.log").display()))
            .arg(format!("--port={port}"))
            .arg("--bind-address=127.0.0.1")
            .arg("--sql-mode=")
            .arg("--skip-grant-tables")
            .arg("--skip-log-bin")
            .arg("--innodb-buffer-pool-size=16M")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut server = PrivateServer {
            dir,
            child,
            url: format!("mysql://root@127.0.0.1:{port}/test"),
        };
        server.wait_ready(port);
        Some(server)
    }

    /// Waits until the server answers (it says in its log why it does not).
    fn wait_ready(&mut self, port: u16) {
        let started = Instant::now();
        loop {
            let url = format!("mysql://root@127.0.0.1:{port}/mysql");
            if let Ok(mut conn) = mysql::Conn::new(mysql::Opts::from_url(&url).unwrap()) {
                conn.query_drop("CREATE DATABASE test").unwrap();
                return;
            }
            let log = || std::fs::read_to_string(self.dir.join("error.log")).unwrap_or_default();
            if let Some(status) = self.child.try_wait().unwrap() {
                panic!("the private server stopped ({status}):\n{}", log());
            }
            // Not a timing assertion: a server that never comes up is a broken setup.
            assert!(
                started.elapsed() < Duration::from_secs(300),
                "the private server did not start:\n{}",
                log()
            );
            std::thread::sleep(Duration::from_millis(200));
        }
    }

    fn conn(&self) -> mysql::Conn {
        mysql::Conn::new(mysql::Opts::from_url(&self.url).unwrap()).unwrap()
    }

    fn rows(&self, sql: &str) -> Vec<Vec<String>> {
        self.conn()
            .query_map(sql, |row: mysql::Row| {
                (0..row.len())
                    .map(|i| {
                        row.get_opt::<Option<String>, _>(i)
                            .and_then(Result::ok)
                            .flatten()
                            .unwrap_or_else(|| "NULL".into())
                    })
                    .collect()
            })
            .unwrap()
    }
}

impl Drop for PrivateServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn revision(id: &str, parent: &str, upgrade: &str) -> Migration {
    let name = format!("2026010{}_000000_{id}_m.sql", &id[id.len() - 1..]);
    parse(
        &Path::new("migrations").join(name),
        &format!(
            "-- wildebeest revision\n-- Revision: {id}\n-- Revises: {parent}\n-- Message: m\n\
             -- Created: 2026-01-01T00:00:00Z\n-- Dialect: mysql\n\n\
             -- +upgrade\n{upgrade}\n\n-- +downgrade\n"
        ),
    )
    .unwrap()
}

fn run(url: &str, migrations: &[Migration], target: &str, consent: bool) -> Result<(), RunError> {
    let mut backend = MysqlBackend::connect(url).unwrap();
    let target = Target::Revision(target.into());
    Runner::new(&mut backend, migrations)?
        .with_allow_data_loss(consent)
        .upgrade(&target, Mode::Execute, &mut Vec::new())
        .map(|_| ())
}

/// Regression: on a server with `sql_mode=''` a conversion to `latin1` turned
/// '☃ 日本' into '? ??' and `DATE -> TIMESTAMP` turned 1960-05-01 into 0000-00-00,
/// with exit status 0 and no mark.
#[test]
fn a_non_strict_server_neither_mangles_text_nor_zeroes_dates() {
    let Some(server) = PrivateServer::start() else {
        return;
    };
    assert_eq!(server.rows("SELECT @@GLOBAL.sql_mode"), [[""]]);
    let url = server.url.clone();
    let migrations = vec![
        revision(
            "aaaaaaaaaaa1",
            "",
            "CREATE TABLE mode (m TEXT);\n\
             INSERT INTO mode SELECT @@SESSION.sql_mode;\n\
             CREATE TABLE s (id INT PRIMARY KEY, s VARCHAR(20)) CHARACTER SET utf8mb4;\n\
             CREATE TABLE c (id INT PRIMARY KEY, s VARCHAR(20) CHARACTER SET utf8mb4);\n\
             CREATE TABLE d (id INT PRIMARY KEY, d DATE);",
        ),
        revision(
            "aaaaaaaaaaa2",
            "aaaaaaaaaaa1",
            "ALTER TABLE s CONVERT TO CHARACTER SET latin1;",
        ),
        revision(
            "aaaaaaaaaaa3",
            "aaaaaaaaaaa2",
            "ALTER TABLE c MODIFY s VARCHAR(20) CHARACTER SET latin1;",
        ),
        revision(
            "aaaaaaaaaaa4",
            "aaaaaaaaaaa3",
            "ALTER TABLE d MODIFY d TIMESTAMP NULL;",
        ),
    ];
    run(&url, &migrations, "aaaaaaaaaaa1", false).unwrap();
    // The migration's own session was strict.
    let mode = server.rows("SELECT m FROM mode");
    for flag in [
        "STRICT_ALL_TABLES",
        "NO_ZERO_DATE",
        "NO_ZERO_IN_DATE",
        "ERROR_FOR_DIVISION_BY_ZERO",
    ] {
        assert!(mode[0][0].split(',').any(|f| f == flag), "{mode:?}");
    }
    let mut conn = server.conn();
    conn.query_drop(
        "INSERT INTO s VALUES (1, '☃ 日本'), (2, 'plain'); \
         INSERT INTO c VALUES (1, '☃ 日本'), (2, 'plain'); \
         INSERT INTO d VALUES (1, '1960-05-01'), (2, '2020-01-01'), (3, NULL)",
    )
    .unwrap();

    // Text latin1 cannot hold: refused before anything runs, with consent too.
    for (target, table) in [("aaaaaaaaaaa2", "s"), ("aaaaaaaaaaa3", "c")] {
        for consent in [false, true] {
            let err = run(&url, &migrations, target, consent).unwrap_err();
            let RunError::Unconvertible { items, .. } = &err else {
                panic!("{err}");
            };
            assert_eq!(items.len(), 1, "{items:?}");
            assert!(items[0].contains("character set latin1"), "{items:?}");
            assert!(items[0].contains("1 row holds"), "{items:?}");
        }
        assert_eq!(
            server.rows(&format!("SELECT s FROM {table} ORDER BY id")),
            [["☃ 日本"], ["plain"]]
        );
        conn.query_drop(format!("DELETE FROM {table} WHERE id = 1"))
            .unwrap();
        run(&url, &migrations, target, false).unwrap();
        assert_eq!(
            server.rows(&format!("SELECT s, CHARSET(s) FROM {table}")),
            [["plain", "latin1"]]
        );
    }

    // A date TIMESTAMP cannot hold: refused up front, with consent too.
    for consent in [false, true] {
        let err = run(&url, &migrations, "aaaaaaaaaaa4", consent).unwrap_err();
        let RunError::Unconvertible { items, .. } = &err else {
            panic!("{err}");
        };
        assert!(
            items.len() == 1 && items[0].contains("1 row holds") && items[0].contains("TIMESTAMP"),
            "{items:?}"
        );
    }
    assert_eq!(
        server.rows("SELECT CAST(d AS CHAR) FROM d ORDER BY id"),
        [["1960-05-01"], ["2020-01-01"], ["NULL"]]
    );
    conn.query_drop("UPDATE d SET d = '2020-02-02' WHERE id = 1")
        .unwrap();
    // In range, every date still gains a time of day: counted, and run with consent.
    let err = run(&url, &migrations, "aaaaaaaaaaa4", false).unwrap_err();
    let RunError::DataLoss { items, .. } = &err else {
        panic!("{err}");
    };
    assert!(
        items.len() == 1 && items[0].ends_with("2 rows hold a value that does not fit"),
        "{items:?}"
    );
    run(&url, &migrations, "aaaaaaaaaaa4", true).unwrap();
    assert_eq!(
        server.rows("SELECT CAST(d AS CHAR) FROM d ORDER BY id"),
        [["2020-02-02 00:00:00"], ["2020-01-01 00:00:00"], ["NULL"]]
    );
}
