//! What users bring from sqlx-cli, dbmate, Flask-Migrate and Diesel: `.env`, shell
//! completions, `database create`/`drop`, `downgrade` with no target, `init
//! --database-url`, `--database-url` only where a database is used, mistyped options
//! reported as options, and every target form `--help` lists.

use std::net::{TcpListener, TcpStream};
use std::time::Duration;

use crate::util::{TempProject, ok};

/// Runs `args`, expecting exit status `code`; returns stdout and stderr.
fn status(p: &TempProject, args: &[&str], code: i32) -> (String, String) {
    let out = p.cmd(args).env("NO_COLOR", "1").output().unwrap();
    let (stdout, stderr) = (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    );
    assert_eq!(out.status.code(), Some(code), "{args:?}: {stdout}{stderr}");
    (stdout, stderr)
}

/// A project with one table, migrated (not applied).
fn one_table() -> TempProject {
    let p = TempProject::init();
    p.write("schema.sql", "CREATE TABLE t (id INTEGER PRIMARY KEY);\n");
    ok(&p, &["migrate", "-m", "one"]);
    p
}

fn tables(p: &TempProject, db: &str) -> Vec<String> {
    let conn = rusqlite::Connection::open(p.path().join(db)).unwrap();
    crate::util::query_rows(
        &conn,
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'wildebeest%' AND name NOT LIKE 'sqlite%' ORDER BY name",
    )
    .into_iter()
    .map(|r| r[0].clone())
    .collect()
}

#[test]
fn database_url_in_dotenv_is_read_and_the_environment_and_flag_win() {
    let p = one_table();
    p.write(
        ".env",
        "# the local database\nexport OTHER='x y'\nDATABASE_URL=\"sqlite:fromdotenv.db\" # comment\n",
    );
    ok(&p, &["upgrade"]);
    assert_eq!(tables(&p, "fromdotenv.db"), ["t"]);
    assert!(!p.db().exists(), "wildebeest.toml's database was used");
    // The environment wins over .env.
    let out = p
        .cmd(&["upgrade"])
        .env("DATABASE_URL", "sqlite:fromenv.db")
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    assert_eq!(tables(&p, "fromenv.db"), ["t"]);
    // The flag wins over both.
    let out = p
        .cmd(&["upgrade", "--database-url", "sqlite:fromflag.db"])
        .env("DATABASE_URL", "sqlite:fromenv.db")
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    assert_eq!(tables(&p, "fromflag.db"), ["t"]);
}

#[test]
fn a_malformed_dotenv_is_an_error_naming_file_and_line_without_quoting_it() {
    let p = one_table();
    p.write(
        ".env",
        "OK=1\nDATABASE_URL=postgres://u:dz-5521-pw@h/db\nBROKEN LINE dz-5521-pw\n",
    );
    let (stdout, stderr) = status(&p, &["upgrade"], 2);
    assert!(stdout.is_empty(), "{stdout}");
    let env = p.path().join(".env");
    assert!(
        stderr.starts_with(&format!("error: {}:3:", env.display())),
        "{stderr}"
    );
    assert!(!stderr.contains("dz-5521-pw"), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(!p.db().exists());
}

#[test]
fn a_bad_url_in_dotenv_names_the_file() {
    let p = one_table();
    p.write(".env", "DATABASE_URL=oracle://x\n");
    let (_, stderr) = status(&p, &["upgrade"], 2);
    let env = p.path().join(".env");
    assert!(
        stderr.contains(&format!("in DATABASE_URL in {}", env.display())),
        "{stderr}"
    );
}

#[test]
fn completions_are_printed_for_every_shell() {
    let p = TempProject::new();
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let (script, stderr) = status(&p, &["completions", shell], 0);
        assert!(stderr.is_empty(), "{shell}: {stderr}");
        for command in ["upgrade", "downgrade", "migrate", "database", "completions"] {
            assert!(script.contains(command), "{shell}: no {command}");
        }
        assert!(script.contains("database-url"), "{shell}");
    }
    let (_, stderr) = status(&p, &["completions", "tcsh"], 2);
    assert!(stderr.contains("tcsh"), "{stderr}");
}

#[test]
fn downgrade_with_no_target_undoes_one_revision() {
    let p = one_table();
    p.write(
        "schema.sql",
        "CREATE TABLE t (id INTEGER PRIMARY KEY);\nCREATE TABLE u (id INTEGER PRIMARY KEY);\n",
    );
    ok(&p, &["migrate", "-m", "two"]);
    ok(&p, &["upgrade"]);
    assert_eq!(tables(&p, "app.db"), ["t", "u"]);
    let out = ok(&p, &["downgrade"]);
    assert!(out.contains("Reverted") && out.contains("two"), "{out}");
    assert_eq!(tables(&p, "app.db"), ["t"]);
    ok(&p, &["downgrade"]);
    assert!(tables(&p, "app.db").is_empty());
    let (_, stderr) = status(&p, &["downgrade"], 2);
    assert!(stderr.contains("only 0 applied"), "{stderr}");
}

#[test]
fn init_writes_the_database_url_given() {
    let p = TempProject::new();
    let url = "postgres://app@db.internal:5432/shop?sslmode=require";
    ok(&p, &["init", "--database-url", url]);
    let toml = p.read("wildebeest.toml");
    assert!(
        toml.contains(&format!("database_url = \"{url}\"\n")),
        "{toml}"
    );
    assert!(!toml.contains("sqlite:app.db"), "{toml}");
    // The dialect follows: the migration written is PostgreSQL's.
    p.write("schema.sql", "CREATE TABLE t (id serial PRIMARY KEY);\n");
    ok(&p, &["migrate", "-m", "one"]);
    let file = std::fs::read_to_string(&p.migrations()[0]).unwrap();
    assert!(file.contains("postgresql"), "{file}");
}

#[test]
fn init_refuses_a_password_and_an_existing_file_and_writes_nothing() {
    let p = TempProject::new();
    for url in [
        "postgres://app:pw@db/shop",
        "mysql://app:secret-9@db/shop",
        "postgres://app@db/shop?password=hunter22",
    ] {
        let (stdout, stderr) = status(&p, &["init", "--database-url", url], 2);
        assert!(stdout.is_empty(), "{stdout}");
        assert!(stderr.contains("DATABASE_URL"), "{stderr}");
        assert!(
            !stderr.contains("secret-9") && !stderr.contains("hunter22"),
            "{stderr}"
        );
        assert!(std::fs::read_dir(p.path()).unwrap().next().is_none());
    }
    ok(&p, &["init"]);
    let before = p.read("wildebeest.toml");
    let (_, stderr) = status(&p, &["init", "--database-url", "mysql://app@db/shop"], 2);
    assert!(stderr.contains("exists already"), "{stderr}");
    assert_eq!(p.read("wildebeest.toml"), before);
}

/// `init` takes a URL in one of two ways: `--database-url` to record it, or
/// `--from-database` to adopt that database; not both, and neither writes a password
/// into wildebeest.toml.
#[test]
fn init_takes_one_url_and_never_writes_its_password() {
    let p = TempProject::new();
    let db = p.path().join("old.db");
    let url = format!("sqlite:{}", db.display());
    let (_, stderr) = status(
        &p,
        &["init", "--database-url", &url, "--from-database", &url],
        2,
    );
    assert!(stderr.contains("cannot be used with"), "{stderr}");
    let (_, stderr) = status(
        &p,
        &["--database-url", &url, "init", "--from-database", &url],
        2,
    );
    assert!(
        stderr.contains("init --from-database takes the URL of the database it adopts"),
        "{stderr}"
    );
    assert!(std::fs::read_dir(p.path()).unwrap().next().is_none());
    // The hidden flag before the command is init's --database-url.
    ok(&p, &["--database-url", "postgres://app@db/shop", "init"]);
    assert!(
        p.read("wildebeest.toml")
            .contains("database_url = \"postgres://app@db/shop\"\n")
    );
    if let Ok(server) = std::env::var("WILDEBEEST_TEST_POSTGRES_URL") {
        // A password: used to connect, written nowhere.
        let with_password =
            server.replacen("postgres://postgres@", "postgres://postgres:s3cret-pw@", 1);
        let q = TempProject::new();
        let (stdout, _) = status(&q, &["init", "--from-database", &with_password], 0);
        let toml = q.read("wildebeest.toml");
        assert!(
            !toml.contains("s3cret-pw") && !stdout.contains("s3cret-pw"),
            "{toml}{stdout}"
        );
        assert!(!toml.contains("\ndatabase_url"), "{toml}");
        let (_, stderr) = status(&q, &["init", "--database-url", &with_password], 2);
        assert!(!stderr.contains("s3cret-pw"), "{stderr}");
    }
}

#[test]
fn database_url_is_offered_only_by_commands_that_use_a_database() {
    let p = one_table();
    for command in ["rehash", "heads", "branches"] {
        let (help, _) = status(&p, &[command, "--help"], 0);
        assert!(!help.contains("--database-url"), "{command}: {help}");
        let (_, stderr) = status(&p, &[command, "--database-url", "sqlite:x.db"], 2);
        assert!(stderr.contains("--database-url"), "{stderr}");
        let (_, stderr) = status(&p, &["--database-url", "sqlite:x.db", command], 2);
        assert!(
            stderr.contains(&format!("does not apply to `{command}`")),
            "{stderr}"
        );
    }
    let (help, _) = status(&p, &["--help"], 0);
    assert!(!help.contains("--database-url <URL>"), "{help}");
    for command in [
        "upgrade",
        "downgrade",
        "current",
        "check",
        "stamp",
        "migrate",
    ] {
        let (help, _) = status(&p, &[command, "--help"], 0);
        assert!(help.contains("--database-url <URL>"), "{command}: {help}");
    }
    // Before the command, as earlier versions took it, it still works.
    ok(&p, &["--database-url", "sqlite:first.db", "upgrade"]);
    assert_eq!(tables(&p, "first.db"), ["t"]);
    ok(&p, &["upgrade", "--database-url", "sqlite:after.db"]);
    assert_eq!(tables(&p, "after.db"), ["t"]);
}

#[test]
fn a_mistyped_option_is_an_unknown_option_with_the_closest_one() {
    let p = one_table();
    for (args, suggested) in [
        (&["upgrade", "--dry-run"][..], Some("--sql")),
        (&["upgrade", "--allow-dataloss"], Some("--allow-data-loss")),
        (&["downgrade", "--dry-run"], Some("--sql")),
        (&["downgrade", "--sq"], Some("--sql")),
        (&["stamp", "head", "--purg"], Some("--purge")),
        (&["database", "drop", "--yes"], Some("--force")),
        (&["upgrade", "-x"], None),
        // No --force on upgrade: nothing suggested that would not work.
        (&["upgrade", "--yes"], None),
    ] {
        let (stdout, stderr) = status(&p, args, 2);
        assert!(stdout.is_empty(), "{stdout}");
        let typed = args.iter().find(|a| a.starts_with('-')).unwrap();
        assert!(
            stderr.starts_with(&format!("error: unknown option `{typed}`")),
            "{args:?}: {stderr}"
        );
        assert!(!stderr.contains("not a valid target"), "{stderr}");
        assert!(!stderr.contains("-- "), "{stderr}");
        match suggested {
            Some(s) => assert!(stderr.contains(&format!("did you mean {s}")), "{stderr}"),
            None => assert!(!stderr.contains("did you mean"), "{stderr}"),
        }
        assert_eq!(stderr.lines().count(), 1, "{stderr}");
    }
    assert!(!p.db().exists());
    // -N stays a relative target.
    ok(&p, &["upgrade"]);
    let out = ok(&p, &["downgrade", "-1"]);
    assert!(out.contains("Reverted"), "{out}");
}

#[test]
fn help_lists_the_environment_and_the_target_forms() {
    let p = TempProject::new();
    let (help, _) = status(&p, &["--help"], 0);
    for needle in [
        "DATABASE_URL",
        "NO_COLOR",
        "CLICOLOR_FORCE",
        "TERM",
        "WILDEBEEST_NO_CACHE",
        ".env",
    ] {
        assert!(help.contains(needle), "no {needle} in {help}");
    }
    let (help, _) = status(&p, &["upgrade", "--help"], 0);
    for needle in [
        "heads",
        "base+2",
        "+N",
        "LABEL@head",
        "LABEL@+N",
        "START:END",
        "  base ",
        "Examples:",
    ] {
        assert!(help.contains(needle), "no {needle} in {help}");
    }
    let (help, _) = status(&p, &["downgrade", "--help"], 0);
    for needle in ["-N", "base", "LABEL@base", "[default: -1]", "head:base"] {
        assert!(help.contains(needle), "no {needle} in {help}");
    }
    let (help, _) = status(&p, &["stamp", "--help"], 0);
    for needle in ["heads", "LABEL@head", "LABEL@base", "--purge"] {
        assert!(help.contains(needle), "no {needle} in {help}");
    }
}

/// The id `current` shows first.
fn current(p: &TempProject) -> String {
    let out = ok(p, &["current"]);
    out.split_whitespace()
        .next()
        .unwrap_or_default()
        .to_string()
}

#[test]
fn every_target_form_the_help_lists_works() {
    let p = TempProject::init();
    let mut schema = String::new();
    let mut ids = Vec::new();
    for (name, label) in [("a", Some("core")), ("b", None), ("c", None)] {
        schema.push_str(&format!("CREATE TABLE {name} (id INTEGER PRIMARY KEY);\n"));
        p.write("schema.sql", &schema);
        let mut args = vec!["migrate", "-m", name];
        if let Some(label) = label {
            args.extend(["--branch-label", label]);
        }
        ok(&p, &args);
        let heads = ok(&p, &["heads"]);
        ids.push(heads.split_whitespace().next().unwrap().to_string());
    }
    let (a, b, c) = (&ids[0], &ids[1], &ids[2]);
    let at = |p: &TempProject| current(p);
    // upgrade: +N, REV+N, a prefix, LABEL@+N, LABEL@head, heads, head.
    ok(&p, &["upgrade", "+1"]);
    assert_eq!(&at(&p), a);
    ok(&p, &["upgrade", &format!("{a}+1")]);
    assert_eq!(&at(&p), b);
    ok(&p, &["downgrade", "-1"]);
    ok(&p, &["upgrade", &b[..6]]);
    assert_eq!(&at(&p), b);
    ok(&p, &["downgrade", "base"]);
    ok(&p, &["upgrade", "core"]);
    assert_eq!(&at(&p), a);
    ok(&p, &["upgrade", "core@+1"]);
    assert_eq!(&at(&p), b);
    ok(&p, &["upgrade", "core@head"]);
    assert_eq!(&at(&p), c);
    ok(&p, &["downgrade", "base"]);
    ok(&p, &["upgrade", "heads"]);
    assert_eq!(&at(&p), c);
    // downgrade: REV-N, LABEL@-N, REV, LABEL@base, base+N.
    ok(&p, &["downgrade", "head-1"]);
    assert_eq!(&at(&p), b);
    ok(&p, &["downgrade", "core@-1"]);
    assert_eq!(&at(&p), a);
    ok(&p, &["upgrade"]);
    ok(&p, &["downgrade", a]);
    assert_eq!(&at(&p), a);
    ok(&p, &["downgrade", "core@base"]);
    assert_eq!(at(&p), "", "at base");
    // upgrade base where nothing is applied: nothing to do.
    let out = ok(&p, &["upgrade", "base"]);
    assert!(out.contains("Nothing to do"), "{out}");
    assert_eq!(at(&p), "", "still at base");
    ok(&p, &["upgrade", "base+2"]);
    assert_eq!(&at(&p), b);
    // stamp: heads, REV-N, LABEL@base, LABEL@head.
    ok(&p, &["stamp", "heads"]);
    assert_eq!(&at(&p), c);
    ok(&p, &["stamp", "head-1"]);
    assert_eq!(&at(&p), b);
    ok(&p, &["stamp", "core@base"]);
    assert_eq!(at(&p), "", "at base");
    ok(&p, &["stamp", "core@head"]);
    assert_eq!(&at(&p), c);
    // START:END with --sql, in both directions.
    let script = ok(&p, &["upgrade", "--sql", ":+1"]);
    assert!(script.contains("CREATE TABLE a"), "{script}");
    let script = ok(&p, &["downgrade", "--sql", "head:base"]);
    assert!(script.contains("DROP TABLE c"), "{script}");
}

#[test]
fn sqlite_database_create_and_drop() {
    let p = TempProject::init();
    let (out, _) = status(&p, &["database", "create"], 0);
    assert!(out.starts_with("Created database sqlite:"), "{out}");
    assert!(p.db().is_file());
    rusqlite::Connection::open(p.db())
        .unwrap()
        .execute_batch("PRAGMA journal_mode = WAL; CREATE TABLE keep (x INTEGER);")
        .unwrap();
    let (out, _) = status(&p, &["database", "create"], 0);
    assert!(out.contains("exists already"), "{out}");
    assert_eq!(tables(&p, "app.db"), ["keep"]);
    // Without a terminal, drop needs --force, and leaves the file.
    let (stdout, stderr) = status(&p, &["database", "drop"], 2);
    assert!(stdout.is_empty(), "{stdout}");
    assert!(stderr.contains("--force"), "{stderr}");
    assert_eq!(tables(&p, "app.db"), ["keep"]);
    // A connection in WAL mode left open keeps its -wal and -shm files.
    let held = rusqlite::Connection::open(p.db()).unwrap();
    held.execute_batch("INSERT INTO keep VALUES (1);").unwrap();
    assert!(p.path().join("app.db-wal").exists());
    let (out, _) = status(&p, &["database", "drop", "--force"], 0);
    drop(held);
    assert!(out.starts_with("Dropped database sqlite:"), "{out}");
    for file in ["app.db", "app.db-wal", "app.db-shm"] {
        assert!(!p.path().join(file).exists(), "{file} is left");
    }
    let (out, _) = status(&p, &["database", "drop", "-f"], 0);
    assert!(out.contains("does not exist"), "{out}");
    let (_, stderr) = status(
        &p,
        &["database", "create", "--database-url", "sqlite::memory:"],
        2,
    );
    assert!(stderr.contains("in-memory"), "{stderr}");
    let (_, stderr) = status(
        &p,
        &[
            "database",
            "create",
            "--database-url",
            "sqlite:no/such/dir/x.db",
        ],
        2,
    );
    assert!(stderr.contains("no/such/dir/x.db"), "{stderr}");
}

/// The URL of database `name` on the server `var` names, or `None` when unset.
fn server_url(var: &str, name: &str) -> Option<String> {
    let Ok(admin) = std::env::var(var) else {
        eprintln!("skipped: {var} is not set");
        return None;
    };
    let (base, query) = admin.split_once('?').unwrap_or((&admin, ""));
    let base = base.rsplit_once('/').map_or(base, |(b, _)| b);
    Some(if query.is_empty() {
        format!("{base}/{name}")
    } else {
        format!("{base}/{name}?{query}")
    })
}

fn unique(stem: &str) -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .subsec_nanos();
    format!("wb_{stem}_{}_{nanos:x}", std::process::id())
}

/// create, create again, upgrade into it, drop, drop again: each as the server
/// sees it.
fn create_and_drop_on(var: &str, exists: impl Fn(&str) -> bool) {
    let name = unique("createdrop");
    let Some(url) = server_url(var, &name) else {
        return;
    };
    let p = one_table();
    let there = ["--database-url", url.as_str()];
    let (out, _) = status(&p, &[&["database", "create"][..], &there].concat(), 0);
    assert!(out.starts_with("Created database"), "{out}");
    assert!(exists(&name));
    let (out, _) = status(&p, &[&["database", "create"][..], &there].concat(), 0);
    assert!(out.contains("exists already"), "{out}");
    ok(&p, &[&["upgrade"][..], &there].concat());
    let (_, stderr) = status(&p, &[&["database", "drop"][..], &there].concat(), 2);
    assert!(stderr.contains("--force"), "{stderr}");
    assert!(exists(&name));
    let (out, _) = status(
        &p,
        &[&["database", "drop", "--force"][..], &there].concat(),
        0,
    );
    assert!(out.starts_with("Dropped database"), "{out}");
    assert!(!exists(&name));
    let (out, _) = status(
        &p,
        &[&["database", "drop", "--force"][..], &there].concat(),
        0,
    );
    assert!(out.contains("does not exist"), "{out}");
}

fn pg_admin() -> Option<postgres::Client> {
    let url = std::env::var("WILDEBEEST_TEST_POSTGRES_URL").ok()?;
    Some(postgres::Client::connect(&url, postgres::NoTls).unwrap())
}

fn pg_exists(name: &str) -> bool {
    let mut c = pg_admin().unwrap();
    c.query_opt("SELECT 1 FROM pg_database WHERE datname = $1", &[&name])
        .unwrap()
        .is_some()
}

#[test]
fn postgres_database_create_and_drop() {
    create_and_drop_on("WILDEBEEST_TEST_POSTGRES_URL", pg_exists);
}

#[test]
fn mysql_database_create_and_drop() {
    create_and_drop_on("WILDEBEEST_TEST_MYSQL_URL", |name| {
        use mysql::prelude::Queryable;
        let url = std::env::var("WILDEBEEST_TEST_MYSQL_URL").unwrap();
        let mut c = mysql::Conn::new(mysql::Opts::from_url(&url).unwrap()).unwrap();
        let found: Option<String> = c
            .exec_first(
                "SELECT SCHEMA_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?",
                (name,),
            )
            .unwrap();
        found.is_some()
    });
}

#[test]
fn a_postgres_database_in_use_is_not_dropped() {
    let name = unique("inuse");
    let Some(url) = server_url("WILDEBEEST_TEST_POSTGRES_URL", &name) else {
        return;
    };
    let p = TempProject::init();
    ok(&p, &["database", "create", "--database-url", &url]);
    let session = postgres::Client::connect(&url, postgres::NoTls).unwrap();
    let (stdout, stderr) = status(&p, &["database", "drop", "-f", "--database-url", &url], 2);
    assert!(stdout.is_empty(), "{stdout}");
    assert!(stderr.contains("cannot drop the database"), "{stderr}");
    assert!(stderr.contains("other"), "{stderr}");
    assert!(pg_exists(&name));
    drop(session);
    // The server ends the session's backend a moment after the client leaves.
    let mut dropped = false;
    for _ in 0..50 {
        if p.cmd(&["database", "drop", "-f", "--database-url", &url])
            .output()
            .unwrap()
            .status
            .success()
        {
            dropped = true;
            break;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    assert!(dropped && !pg_exists(&name));
}

/// A port on 127.0.0.1 where connections are accepted and never answered.
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

#[test]
fn database_create_gives_up_on_a_server_that_never_answers() {
    let p = TempProject::init();
    let port = silent_server();
    for url in [
        format!("postgres://app:pw-31q@127.0.0.1:{port}/shop?connect_timeout=1"),
        format!("mysql://app:pw-31q@127.0.0.1:{port}/shop?tcp_connect_timeout_ms=1000"),
    ] {
        for command in [&["database", "create"][..], &["database", "drop", "-f"]] {
            let out = p
                .cmd(command)
                .args(["--database-url", &url])
                .timeout(Duration::from_secs(60))
                .output()
                .unwrap();
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert_eq!(out.status.code(), Some(2), "{url}: {stderr}");
            assert!(
                stderr.contains(&format!("127.0.0.1:{port}")),
                "{url}: {stderr}"
            );
            assert!(stderr.contains("within 1"), "{url}: {stderr}");
            assert!(!stderr.contains("pw-31q"), "{stderr}");
        }
    }
}
