//! Wrong credentials on the PostgreSQL and MySQL/MariaDB servers named by the test
//! URLs: a user the server does not know, and a wrong password. Each is one `error:`
//! paragraph with status 2 that never prints the password. Skipped (and passing) when
//! the server's variable is unset.

use crate::servers::{Server, TestDb};
use crate::util::TempProject;

const PASSWORD: &str = "wrong-pw-3141";

/// `url` with its user and password replaced.
fn with_credentials(url: &str, user: &str, password: &str) -> String {
    let (scheme, rest) = url.split_once("://").expect("a URL");
    let host = rest.split_once('@').map_or(rest, |(_, host)| host);
    format!("{scheme}://{user}:{password}@{host}")
}

fn refused(var: &str, user: Option<&str>, needle: &str) {
    let Ok(url) = std::env::var(var) else {
        eprintln!("skipped: {var} is not set");
        return;
    };
    let admin_user = url
        .split_once("://")
        .and_then(|(_, rest)| rest.split_once('@'))
        .map(|(user, _)| user.split(':').next().unwrap_or(user).to_string())
        .expect("the test URL names a user");
    let url = with_credentials(&url, user.unwrap_or(&admin_user), PASSWORD);
    let p = TempProject::init();
    p.write(
        "schema.sql",
        "CREATE TABLE employees (id INTEGER PRIMARY KEY, name VARCHAR(40) NOT NULL);\n",
    );
    p.cmd(&["migrate", "-m", "one"]).assert().success();
    for command in [&["upgrade"][..], &["current"], &["check"]] {
        let mut args = vec!["--database-url", &url];
        args.extend_from_slice(command);
        let out = p.cmd(&args).env("NO_COLOR", "1").output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{command:?}: {stderr}");
        assert!(stderr.starts_with("error: "), "{command:?}: {stderr}");
        assert_eq!(stderr.matches("error:").count(), 1, "{command:?}: {stderr}");
        assert!(
            !stderr.contains(PASSWORD),
            "{command:?} printed the password: {stderr}"
        );
        assert!(stderr.contains(needle), "{command:?}: {stderr}");
        assert!(!stderr.contains("panicked"), "{command:?}: {stderr}");
    }
}

#[test]
fn an_unknown_user_on_postgres_is_refused_clearly() {
    refused(
        "WILDEBEEST_TEST_POSTGRES_URL",
        Some("wb_no_such_user"),
        "wb_no_such_user",
    );
}

#[test]
fn a_wrong_password_on_mysql_is_refused_clearly() {
    refused("WILDEBEEST_TEST_MYSQL_URL", None, "Access denied");
}

#[test]
fn an_unknown_user_on_mysql_is_refused_clearly() {
    refused(
        "WILDEBEEST_TEST_MYSQL_URL",
        Some("wb_no_such_user"),
        "Access denied",
    );
}

// Every road a password can take to the screen, with a password no message could
// contain by chance, written URL-encoded (`%40` is `@`): neither form may appear.

/// The password as written in the URLs below.
const ENCODED: &str = "Qv7-p%40ss-Zr9";
/// The same password as the drivers read it.
const DECODED: &str = "Qv7-p@ss-Zr9";

/// Where a command takes its URL from.
#[derive(Debug, Clone, Copy)]
enum Source {
    File,
    Env,
    Flag,
}

const SOURCES: [Source; 3] = [Source::File, Source::Env, Source::Flag];

/// Runs `args` in `p` with `url` given by `source`; fails the test if the password
/// shows on stdout or stderr, in either form. Returns the status, stdout and stderr.
fn run_with(
    p: &TempProject,
    source: Source,
    url: &str,
    args: &[&str],
) -> (Option<i32>, String, String) {
    let mut all: Vec<&str> = Vec::new();
    if let Source::Flag = source {
        all.extend(["--database-url", url]);
    }
    all.extend_from_slice(args);
    if let Source::File = source {
        p.write("wildebeest.toml", &format!("database_url = \"{url}\"\n"));
    } else {
        p.write("wildebeest.toml", "database_url = \"sqlite:app.db\"\n");
    }
    let mut cmd = p.cmd(&all);
    cmd.env("NO_COLOR", "1");
    if let Source::Env = source {
        cmd.env("DATABASE_URL", url);
    }
    let out = cmd.output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    for secret in [ENCODED, DECODED] {
        assert!(
            !stdout.contains(secret) && !stderr.contains(secret),
            "{source:?} {args:?} printed the password:\n{stdout}\n{stderr}"
        );
    }
    (out.status.code(), stdout, stderr)
}

/// Asserts one `error:` paragraph with status 2 that contains `needle`.
fn assert_refused(got: &(Option<i32>, String, String), needle: &str, what: &str) {
    let (code, _, stderr) = got;
    assert_eq!(*code, Some(2), "{what}: {stderr}");
    assert!(stderr.starts_with("error: "), "{what}: {stderr}");
    // One paragraph: one `error:` line (a TOML error's snippet follows it).
    let text = stderr.trim_end();
    assert_eq!(
        text.lines().filter(|l| l.starts_with("error:")).count(),
        1,
        "{what}: {stderr}"
    );
    assert!(
        !text.lines().any(|l| l.trim().is_empty()),
        "{what}: {stderr}"
    );
    assert!(stderr.contains(needle), "{what}: {stderr}");
    assert!(!stderr.contains("panicked"), "{what}: {stderr}");
}

fn project() -> TempProject {
    let p = TempProject::init();
    p.write(
        "schema.sql",
        "CREATE TABLE employees (id INTEGER PRIMARY KEY, name VARCHAR(40) NOT NULL);\n",
    );
    p.cmd(&["migrate", "-m", "one"]).assert().success();
    p
}

#[test]
fn a_toml_error_on_the_url_line_never_shows_the_password() {
    let p = project();
    for text in [
        // An unterminated string.
        format!("schema = \"schema.sql\"\ndatabase_url = \"postgres://app:{ENCODED}@db/shop\n"),
        // Something after the value.
        format!("schema = \"schema.sql\"\ndatabase_url = \"mysql://app:{DECODED}@db/shop\" ,\n"),
        // A key the file does not have, on the URL's line.
        format!(
            "schema = \"schema.sql\"\ndatabase_url = {{ url = \"mysql://app:{ENCODED}@db/s\" }}\n"
        ),
    ] {
        for command in [&["current"][..], &["check"], &["upgrade", "--sql"]] {
            p.write("wildebeest.toml", &text);
            let out = p.cmd(command).env("NO_COLOR", "1").output().unwrap();
            let stdout = String::from_utf8_lossy(&out.stdout);
            let stderr = String::from_utf8_lossy(&out.stderr);
            for secret in [ENCODED, DECODED] {
                assert!(
                    !stdout.contains(secret) && !stderr.contains(secret),
                    "{text:?} {command:?} printed the password: {stderr}"
                );
            }
            let got = (out.status.code(), stdout.into_owned(), stderr.into_owned());
            assert_refused(&got, "wildebeest.toml:2:", &text);
        }
    }
}

#[test]
fn malformed_urls_never_show_the_password() {
    let p = project();
    let cases = [
        (format!("postgres://app:{ENCODED}@"), "names no host"),
        (
            format!("mysql://app:{ENCODED}@localhost"),
            "names no database",
        ),
        (
            format!("postgres://app:{ENCODED}@127.0.0.1:notaport/db"),
            "PostgreSQL URL",
        ),
        (
            format!("mysql://app:{ENCODED}@127.0.0.1:3306/db?tcp_connect_timeout_ms=soon"),
            "database URL",
        ),
        (
            format!("oracle://app:{ENCODED}@h/db"),
            "unknown database kind",
        ),
        (format!("postgres:app:{ENCODED}@h/db"), "not a server URL"),
        // A raw `@` in the password: the driver reads the host after the last one.
        (
            format!("mysql://app:{DECODED}@127.0.0.1:1/db"),
            "cannot connect",
        ),
    ];
    for (url, needle) in &cases {
        for source in SOURCES {
            for command in [&["current"][..], &["upgrade"], &["upgrade", "--sql"]] {
                let got = run_with(&p, source, url, command);
                assert_refused(&got, needle, &format!("{url} {source:?} {command:?}"));
            }
        }
    }
}

#[test]
fn an_unreachable_server_never_shows_the_password() {
    let p = project();
    // Nothing listens on port 1: the connection is refused at once.
    for url in [
        format!("postgres://app:{ENCODED}@127.0.0.1:1/shop"),
        format!("mysql://app:{ENCODED}@127.0.0.1:1/shop"),
    ] {
        for source in SOURCES {
            let got = run_with(&p, source, &url, &["upgrade"]);
            assert_refused(&got, "127.0.0.1:1", &format!("{url} {source:?}"));
        }
    }
}

#[test]
fn a_wrong_password_on_postgres_never_shows() {
    let Some(db) = TestDb::new(Server::Postgres, "pw_wrong_pg") else {
        return;
    };
    let p = project();
    // A role the server does not know and a database it does not have; the test
    // server trusts local connections, so the admin's own name with a wrong password
    // connects, and what it prints (scripts, the verbose state) is checked too.
    let admin = user_of(&db.url);
    for (url, needle) in [
        (
            with_credentials(&db.url, "wb_no_such_role", ENCODED),
            Some("wb_no_such_role"),
        ),
        (
            with_database(&with_credentials(&db.url, &admin, ENCODED), "wb_no_such_db"),
            Some("wb_no_such_db"),
        ),
        (with_credentials(&db.url, &admin, ENCODED), None),
    ] {
        for source in SOURCES {
            for command in [
                &["upgrade", "--sql"][..],
                &["upgrade"],
                &["current", "--verbose"],
                &["check"],
            ] {
                let got = run_with(&p, source, &url, command);
                match needle {
                    Some(n) => assert_refused(&got, n, &format!("{url} {source:?} {command:?}")),
                    None => assert_ne!(got.0, Some(2), "{command:?}: {}", got.2),
                }
            }
        }
    }
}

#[test]
fn a_wrong_password_on_mysql_never_shows() {
    let Some(db) = TestDb::new(Server::Mysql, "pw_wrong_my") else {
        return;
    };
    // A user whose password is the test's, so that the right password connects and
    // what the commands print is checked as well as the refusals.
    let user = format!("wbpw{}", std::process::id());
    db.execute(&format!(
        "CREATE USER '{user}'@'%' IDENTIFIED BY '{DECODED}'; \
         GRANT ALL ON `{}`.* TO '{user}'@'%'",
        db.name
    ));
    let _drop = DropUser(&db, user.clone());
    let p = project();
    let admin = user_of(&db.url);
    for (url, needle) in [
        (
            with_credentials(&db.url, &admin, ENCODED),
            Some("Access denied"),
        ),
        (
            with_credentials(&db.url, &user, &format!("{ENCODED}x")),
            Some("Access denied"),
        ),
        (
            with_database(&with_credentials(&db.url, &user, ENCODED), "wb_no_such_db"),
            Some("wb_no_such_db"),
        ),
        (with_credentials(&db.url, &user, ENCODED), None),
    ] {
        for source in SOURCES {
            for command in [
                &["upgrade", "--sql"][..],
                &["upgrade"],
                &["current", "--verbose"],
                &["check"],
            ] {
                let got = run_with(&p, source, &url, command);
                match needle {
                    Some(n) => assert_refused(&got, n, &format!("{url} {source:?} {command:?}")),
                    None => assert_ne!(got.0, Some(2), "{command:?}: {}", got.2),
                }
            }
        }
    }
}

/// Drops a MySQL user made by a test, also when the test fails.
struct DropUser<'a>(&'a TestDb, String);

impl Drop for DropUser<'_> {
    fn drop(&mut self) {
        self.0
            .execute(&format!("DROP USER IF EXISTS '{}'@'%'", self.1));
    }
}

/// The user a URL names.
fn user_of(url: &str) -> String {
    url.split_once("://")
        .and_then(|(_, rest)| rest.split_once('@'))
        .map(|(user, _)| user.split(':').next().unwrap_or(user).to_string())
        .expect("the test URL names a user")
}

/// `url` with its database replaced.
fn with_database(url: &str, database: &str) -> String {
    let (base, query) = url
        .split_once('?')
        .map_or((url, None), |(b, q)| (b, Some(q)));
    let (server, _) = base.rsplit_once('/').expect("a database");
    match query {
        Some(q) => format!("{server}/{database}?{q}"),
        None => format!("{server}/{database}"),
    }
}
