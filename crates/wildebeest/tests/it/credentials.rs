//! Wrong credentials on the PostgreSQL and MySQL/MariaDB servers named by the test
//! URLs: a user the server does not know, and a wrong password. Each is one `error:`
//! paragraph with status 2 that never prints the password. Skipped (and passing) when
//! the server's variable is unset.

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
