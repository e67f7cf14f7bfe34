//! What the tool prints for people and programs (docs/output.md): `status`,
//! `--format json` of every command that has it, the `[n/N]` progress of `upgrade`
//! and `downgrade` with its live line on a terminal only, and colour that never
//! changes the text.

use serde_json::Value;
use wildebeest_cli::style::strip;

use crate::prompt::Pty;
use crate::servers::{Server, TestDb};
use crate::util::{TempProject, ok};

const ONE: &str = "0a1b2c3d4e5f";
const TWO: &str = "1b2c3d4e5f60";

/// A revision file with a fixed id, so that outputs are the same on every run.
fn revision(id: &str, parent: &str, message: &str, upgrade: &str, downgrade: &str) -> String {
    format!(
        "-- wildebeest revision\n-- Revision: {id}\n-- Revises: {parent}\n-- Message: {message}\n\
         -- Created: 2026-01-0{}T00:00:00Z\n\n-- +upgrade\n{upgrade}\n\n-- +downgrade\n{downgrade}\n",
        if parent.is_empty() { 1 } else { 2 }
    )
}

/// A project with two revisions (tables `a` and `b`) matching its schema.sql, and a
/// `wildebeest.sum`; nothing applied.
fn project() -> TempProject {
    let p = TempProject::init();
    p.write(
        "schema.sql",
        "CREATE TABLE a (id INTEGER PRIMARY KEY, name TEXT DEFAULT 'x');\n\
         CREATE TABLE b (id INTEGER PRIMARY KEY);\n",
    );
    p.write(
        &format!("migrations/20260101_000000_{ONE}_one.sql"),
        &revision(
            ONE,
            "",
            "one",
            "-- the first table\nCREATE TABLE a (id INTEGER PRIMARY KEY, name TEXT DEFAULT 'x');",
            "DROP TABLE a;",
        ),
    );
    p.write(
        &format!("migrations/20260102_000000_{TWO}_two.sql"),
        &revision(
            TWO,
            ONE,
            "two",
            "CREATE TABLE b (id INTEGER PRIMARY KEY);",
            "DROP TABLE b;",
        ),
    );
    ok(&p, &["rehash"]);
    p
}

/// Runs `args`, expecting exit status `code`; returns stdout and stderr.
fn run(p: &TempProject, args: &[&str], code: i32) -> (String, String) {
    let out = p.cmd(args).env_remove("CLICOLOR_FORCE").output().unwrap();
    let (stdout, stderr) = (
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    );
    assert_eq!(
        out.status.code(),
        Some(code),
        "{args:?}:\n{stdout}\n{stderr}"
    );
    (stdout, stderr)
}

#[test]
fn status_lists_every_revision_and_exits_1_while_work_is_pending() {
    let p = project();
    let (out, _) = run(&p, &["status"], 1);
    assert_eq!(
        out,
        format!(
            "{ONE}  pending  one\n{TWO}  pending  two\n\n\
             The database does not exist yet: 2 revisions pending (run `wildebeest upgrade head`).\n"
        )
    );
    assert!(!p.db().exists(), "status created the database");

    ok(&p, &["upgrade", "+1"]);
    let before = std::fs::read(p.db()).unwrap();
    let (out, _) = run(&p, &["status"], 1);
    let lines: Vec<&str> = out.lines().collect();
    assert!(
        lines[0].starts_with(&format!("{ONE}  applied  20")),
        "{out}"
    );
    assert!(lines[0].ends_with("Z  one"), "{out}");
    assert_eq!(
        lines[1],
        format!("{TWO}  pending                        two")
    );
    assert_eq!(
        lines[3],
        "1 revision pending (run `wildebeest upgrade head`)."
    );
    assert_eq!(
        std::fs::read(p.db()).unwrap(),
        before,
        "status changed the database"
    );

    ok(&p, &["upgrade"]);
    let (out, _) = run(&p, &["status"], 0);
    assert!(
        out.ends_with("\nAt head: 2 revisions applied, none pending.\n"),
        "{out}"
    );

    // A revision applied that no file defines (a colleague's branch).
    p.conn()
        .execute_batch(
            "INSERT INTO wildebeest_revisions (revision, checksum, applied_at) \
             VALUES ('fffffffffff0', 'c', '2026-01-03T00:00:00Z')",
        )
        .unwrap();
    let (out, _) = run(&p, &["status"], 1);
    assert!(
        out.contains("fffffffffff0  no file  2026-01-03T00:00:00Z\n"),
        "{out}"
    );
    assert!(
        out.contains("The database has revision fffffffffff0 applied, which is not in migrations/"),
        "{out}"
    );
}

/// `stdout` as JSON lines, each checked to be an object with `"version": 1`, with
/// the times and durations that change from run to run replaced.
fn json_lines(stdout: &str) -> Vec<Value> {
    assert!(stdout.ends_with('\n'), "{stdout:?}");
    stdout
        .lines()
        .map(|line| {
            let mut value: Value =
                serde_json::from_str(line).unwrap_or_else(|e| panic!("not JSON ({e}): {line}"));
            assert_eq!(value["version"], 1, "{line}");
            steady(&mut value);
            value
        })
        .collect()
}

fn steady(value: &mut Value) {
    match value {
        Value::Object(map) => {
            for (key, v) in map.iter_mut() {
                match key.as_str() {
                    "applied_at" if v.is_string() => *v = Value::from("[time]"),
                    "duration_ms" => {
                        assert!(v.is_u64(), "{key}: {v}");
                        *v = Value::from("[ms]");
                    }
                    _ => steady(v),
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(steady),
        _ => {}
    }
}

fn pretty(values: &[Value]) -> String {
    values
        .iter()
        .map(|v| serde_json::to_string_pretty(v).unwrap())
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn json_of_every_command_is_versioned_and_alone_on_stdout() {
    let p = project();
    let json = |args: &[&str], code: i32| {
        let mut all = args.to_vec();
        all.extend(["--format", "json"]);
        pretty(&json_lines(&run(&p, &all, code).0))
    };
    insta::assert_snapshot!("status_nothing_applied", json(&["status"], 1));
    insta::assert_snapshot!("upgrade_events", json(&["upgrade"], 0));
    insta::assert_snapshot!("upgrade_nothing_to_do", json(&["upgrade"], 0));
    insta::assert_snapshot!("status_at_head", json(&["status"], 0));
    insta::assert_snapshot!("current", json(&["current"], 0));
    insta::assert_snapshot!("heads", json(&["heads"], 0));
    insta::assert_snapshot!("history", json(&["history", "-i"], 0));
    insta::assert_snapshot!("show", json(&["show", "head"], 0));
    insta::assert_snapshot!("check_ok", json(&["check"], 0));
    p.conn()
        .execute_batch("ALTER TABLE b ADD COLUMN z INT; DROP TABLE a;")
        .unwrap();
    insta::assert_snapshot!("check_drift", json(&["check"], 1));
    p.conn()
        .execute_batch("CREATE TABLE a (id INTEGER PRIMARY KEY, name TEXT DEFAULT 'x');")
        .unwrap();
    insta::assert_snapshot!("downgrade_events", json(&["downgrade", "base"], 0));
    // An error: the message on stderr, and as the last object on stdout.
    let (out, err) = run(&p, &["upgrade", "nope", "--format", "json"], 2);
    assert!(err.starts_with("error: "), "{err}");
    insta::assert_snapshot!("upgrade_error", pretty(&json_lines(&out)));
    let (out, _) = run(&p, &["migrate", "-m", "x", "--format", "json"], 2);
    assert_eq!(json_lines(&out)[0]["event"], "error");
    assert!(p.migrations().len() == 2, "migrate ran");
}

#[test]
fn upgrade_and_downgrade_count_their_revisions() {
    let p = project();
    let (out, _) = run(&p, &["upgrade"], 0);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 2, "{out}");
    assert!(
        lines[0].starts_with(&format!("[1/2] Applied {ONE}  one (")),
        "{out}"
    );
    assert!(
        lines[1].starts_with(&format!("[2/2] Applied {TWO}  two (")),
        "{out}"
    );
    let (out, _) = run(&p, &["downgrade", "base"], 0);
    let lines: Vec<&str> = out.lines().collect();
    assert!(
        lines[0].starts_with(&format!("[1/2] Reverted {TWO}  two (")),
        "{out}"
    );
    assert!(
        lines[1].starts_with(&format!("[2/2] Reverted {ONE}  one (")),
        "{out}"
    );
}

/// `text` with every RFC 3339 UTC time (`2026-01-01T00:00:00Z`) as `TIME`: a `--sql`
/// script records when it runs, which two runs may see a second apart.
fn timeless(text: &str) -> String {
    const SHAPE: &[u8] = b"dddd-dd-ddTdd:dd:ddZ";
    let bytes = text.as_bytes();
    let fits = |at: usize| {
        bytes.len() >= at + SHAPE.len()
            && SHAPE.iter().zip(&bytes[at..]).all(|(s, b)| match s {
                b'd' => b.is_ascii_digit(),
                _ => s == b,
            })
    };
    let mut out = String::new();
    let mut i = 0;
    while i < bytes.len() {
        if fits(i) {
            out.push_str("TIME");
            i += SHAPE.len();
        } else {
            let c = text[i..].chars().next().unwrap();
            out.push(c);
            i += c.len_utf8();
        }
    }
    out
}

/// Runs `args` with `env`, expecting success; returns stdout, its times as `TIME`.
fn stdout_with(p: &TempProject, args: &[&str], env: &[(&str, &str)]) -> String {
    let out = p
        .cmd(args)
        .env_remove("CLICOLOR_FORCE")
        .envs(env.iter().copied())
        .output()
        .unwrap();
    assert!(out.status.code().is_some_and(|c| c < 2), "{out:?}");
    timeless(&String::from_utf8(out.stdout).unwrap())
}

#[test]
fn clicolor_force_colours_a_pipe_no_color_wins_and_the_text_never_changes() {
    let p = project();
    ok(&p, &["upgrade", "+1"]);
    p.conn()
        .execute_batch("ALTER TABLE a ADD COLUMN z INT;")
        .unwrap();
    for args in [
        &["show", ONE][..],
        &["upgrade", "--sql"],
        &["downgrade", "base", "--sql"],
        &["check"],
    ] {
        let plain = stdout_with(&p, args, &[]);
        assert!(!plain.contains('\x1b'), "{args:?}: {plain}");
        let coloured = stdout_with(&p, args, &[("CLICOLOR_FORCE", "1")]);
        assert!(coloured.contains("\x1b["), "{args:?}: {coloured}");
        assert_eq!(strip(&coloured), plain, "{args:?}");
        let off = stdout_with(&p, args, &[("CLICOLOR_FORCE", "1"), ("NO_COLOR", "1")]);
        assert_eq!(off, plain, "{args:?}");
        let zero = stdout_with(&p, args, &[("CLICOLOR_FORCE", "0")]);
        assert_eq!(zero, plain, "{args:?}");
    }
    let coloured = stdout_with(&p, &["show", ONE], &[("CLICOLOR_FORCE", "1")]);
    assert!(
        coloured.contains("\x1b[34mCREATE\x1b[0m \x1b[34mTABLE\x1b[0m a"),
        "{coloured}"
    );
    assert!(coloured.contains("\x1b[32m'x'\x1b[0m"), "{coloured}");
    assert!(
        coloured.contains("\x1b[2m-- the first table\x1b[0m"),
        "{coloured}"
    );
    let check = stdout_with(&p, &["check"], &[("CLICOLOR_FORCE", "1")]);
    assert!(
        check.contains("the database has drifted from its migrations:\n  \x1b[32m+ added column `a.z` (INT)\x1b[0m\n"),
        "{check}"
    );
}

/// A project on `db` whose one revision sleeps on the server for 2.5 s: past the
/// live line's one-second delay however fast or loaded the machine is.
fn slow_project(db: &TestDb) -> TempProject {
    let p = TempProject::init();
    p.write(
        "wildebeest.toml",
        &format!("database_url = \"{}\"\n", db.url),
    );
    p.write(
        &format!("migrations/20260101_000000_{ONE}_slow.sql"),
        &revision(
            ONE,
            "",
            "slow",
            // One statement: PostgreSQL runs a revision in one round trip, and the
            // live line names the statement the server is at only when it can tell.
            "SELECT pg_sleep(2.5);",
            "SELECT pg_sleep(0);",
        ),
    );
    ok(&p, &["rehash"]);
    p
}

#[test]
fn a_slow_revision_shows_a_live_line_on_a_terminal_only() {
    let Some(db) = TestDb::new(Server::Postgres, "live_line") else {
        return;
    };
    let p = slow_project(&db);
    let (status, shown) = Pty::spawn_env(&p, &["upgrade"], &[("TERM", "xterm")]).finish();
    assert!(status.success(), "{shown}");
    let live = format!("\x1b[2K[1/1] Applying {ONE}  slow  ");
    let clock = shown.find(&live).map(|at| &shown[at + live.len()..]);
    // The time so far, then the statement running.
    assert!(
        clock.is_some_and(|c| c.starts_with(|d: char| d.is_ascii_digit())
            && c.split('\x1b')
                .next()
                .is_some_and(|l| l.contains(" s  SELECT pg_sleep(2.5)"))),
        "no live line naming the statement:\n{shown:?}"
    );
    // Cleared before the revision's line.
    assert!(
        shown.contains(&format!("\x1b[2K[1/1] Applied {ONE}  slow (")),
        "{shown:?}"
    );

    // Off a terminal: the lines alone, on stdout; nothing on stderr.
    ok(&p, &["downgrade", "base", "--allow-data-loss"]);
    let (out, err) = run(&p, &["upgrade"], 0);
    assert!(
        out.starts_with(&format!("[1/1] Applied {ONE}  slow (")),
        "{out}"
    );
    assert_eq!(out.lines().count(), 1, "{out}");
    assert!(
        !err.contains("Applying") && !err.contains('\x1b'),
        "{err:?}"
    );

    // TERM=dumb: a terminal that cannot rewrite a line gets none.
    ok(&p, &["downgrade", "base", "--allow-data-loss"]);
    let (status, shown) = Pty::spawn_env(&p, &["upgrade"], &[("TERM", "dumb")]).finish();
    assert!(status.success(), "{shown}");
    assert!(
        !shown.contains("Applying") && !shown.contains('\x1b'),
        "{shown:?}"
    );
}

#[test]
fn a_sqlite_rebuild_shows_its_rows_copied_on_a_terminal_only() {
    const ROWS: usize = 30_000;
    let p = TempProject::init();
    p.write(
        &format!("migrations/20260101_000000_{ONE}_events.sql"),
        &revision(
            ONE,
            "",
            "events",
            "CREATE TABLE events (id INTEGER PRIMARY KEY, name TEXT);",
            "DROP TABLE events;",
        ),
    );
    p.write(
        &format!("migrations/20260102_000000_{TWO}_rebuild.sql"),
        &revision(
            TWO,
            ONE,
            "rebuild",
            "ALTER TABLE events ALTER COLUMN name SET NOT NULL;",
            "ALTER TABLE events ALTER COLUMN name DROP NOT NULL;",
        ),
    );
    ok(&p, &["rehash"]);
    ok(&p, &["upgrade", ONE]);
    p.conn()
        .execute_batch(&format!(
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {ROWS}) \
             INSERT INTO events (id, name) SELECT i, 'e' || i FROM n"
        ))
        .unwrap();
    // The copy waits, once it has copied some rows, until the live line has shown
    // them (a debug build's test knob, ARCHITECTURE.md): the line shows a copy part
    // way however fast this machine copies.
    // A terminal wide enough for the whole line (it is cut to the width).
    let env = [
        ("TERM", "xterm"),
        ("COLUMNS", "200"),
        ("WILDEBEEST_TEST_HOLD_COPY", "1"),
    ];
    let (status, shown) = Pty::spawn_env(&p, &["upgrade"], &env).finish();
    assert!(status.success(), "{shown}");
    let live = format!("\x1b[2K[1/1] Applying {TWO}  rebuild  ");
    // Each rewrite of the line starts with its clearing.
    let copied = shown.split('\x1b').find_map(|line| {
        let rest = line.strip_prefix(&live[1..])?.trim_end_matches('\r');
        let (_, copy) = rest.split_once(" s  rebuilding `events`: ")?;
        let copied = copy.strip_suffix(" of 30,000 rows")?;
        copied.replace(',', "").parse::<usize>().ok()
    });
    assert!(
        copied.is_some_and(|n| n > 0 && n <= ROWS),
        "no live line with the rows copied:\n{shown:?}"
    );
    assert!(
        shown.contains(&format!("\x1b[2K[1/1] Applied {TWO}  rebuild (")),
        "{shown:?}"
    );
    assert_eq!(p.rows("SELECT count(*) FROM events"), [[ROWS.to_string()]]);

    // Off a terminal nothing waits for a live line and nothing is shown but the line.
    ok(&p, &["downgrade"]);
    let out = p
        .cmd(&["upgrade"])
        .env("WILDEBEEST_TEST_HOLD_COPY", "1")
        .output()
        .unwrap();
    assert!(out.status.success());
    assert_eq!(
        String::from_utf8(out.stdout).unwrap().lines().count(),
        1,
        "one [n/N] line"
    );
    assert!(String::from_utf8(out.stderr).unwrap().is_empty());
}

#[test]
fn colour_on_a_terminal_follows_term_and_no_color() {
    let p = project();
    let coloured = |env: &[(&str, &str)]| {
        let (status, shown) = Pty::spawn_env(&p, &["show", ONE], env).finish();
        assert!(status.success(), "{shown}");
        shown.contains("\x1b[34mCREATE")
    };
    assert!(coloured(&[("TERM", "xterm")]));
    assert!(!coloured(&[("TERM", "dumb")]));
    assert!(!coloured(&[("TERM", "xterm"), ("NO_COLOR", "1")]));
    assert!(coloured(&[("TERM", "dumb"), ("CLICOLOR_FORCE", "1")]));
}

#[test]
fn a_statement_the_model_does_not_follow_is_a_warning_event_before_the_first_revision() {
    let p = project();
    p.write(
        "migrations/20260103_000000_2c3d4e5f6071_view.sql",
        &revision(
            "2c3d4e5f6071",
            TWO,
            "view",
            "CREATE VIRTUAL TABLE names USING fts5(body);",
            "DROP TABLE names;",
        )
        .replace("2026-01-02", "2026-01-03"),
    );
    ok(&p, &["rehash"]);
    let (out, err) = run(&p, &["upgrade", "--format", "json"], 0);
    let events = json_lines(&out);
    assert_eq!(events[0]["event"], "warning", "{out}");
    let message = events[0]["message"].as_str().unwrap();
    assert!(message.contains("CREATE VIRTUAL TABLE names"), "{message}");
    assert_eq!(events[1]["event"], "revision_started", "{out}");
    assert_eq!(events[1]["index"], 1);
    assert_eq!(events[1]["total"], 3);
    let warnings = events.iter().filter(|e| e["event"] == "warning").count();
    assert_eq!(warnings, 1, "{out}");
    assert_eq!(events.last().unwrap()["event"], "done");
    assert_eq!(events.last().unwrap()["revisions"], 3);
    assert!(!err.contains("CREATE VIRTUAL TABLE"), "{err}");
}

/// An application's command line mounting `db`.
#[derive(clap::Parser)]
struct App {
    #[command(subcommand)]
    command: AppCommand,
}

#[derive(clap::Subcommand)]
enum AppCommand {
    Db(wildebeest_cli::db::DbCommand),
}

/// Runs `myapp db ARGS` in this process on `p`'s migrations and database; returns
/// what it wrote, or its error.
fn db(p: &TempProject, args: &[&str]) -> anyhow::Result<(wildebeest_cli::app::Outcome, String)> {
    use clap::Parser;
    let migrator: &'static wildebeest::Migrator = Box::leak(Box::new(
        wildebeest::Migrator::from_dir(p.path().join("migrations")).unwrap(),
    ));
    let url = format!("sqlite:{}", p.db().display());
    let mut all = vec!["myapp", "db", "--database-url", &url];
    all.extend(args);
    let AppCommand::Db(command) = App::try_parse_from(all).unwrap().command;
    let schema = wildebeest_cli::db::SchemaSql(
        "CREATE TABLE a (id INTEGER PRIMARY KEY, name TEXT DEFAULT 'x');\n\
         CREATE TABLE b (id INTEGER PRIMARY KEY);\n",
    );
    let mut out = Vec::new();
    let outcome = command.execute(migrator, &schema, &mut out)?;
    Ok((outcome, String::from_utf8(out).unwrap()))
}

#[test]
fn the_db_subcommand_takes_the_format_as_the_binary_does() {
    use wildebeest_cli::app::Outcome;
    let p = project();
    let (outcome, out) = db(&p, &["--format", "json", "status"]).unwrap();
    assert_eq!(outcome, Outcome::Differences);
    let status = &json_lines(&out)[0];
    assert_eq!(status["pending"], 2, "{out}");
    assert_eq!(status["database_exists"], false, "{out}");
    let (outcome, out) = db(&p, &["upgrade", "--format", "json"]).unwrap();
    assert_eq!(outcome, Outcome::Ok);
    let events: Vec<String> = json_lines(&out)
        .iter()
        .map(|e| format!("{} {}", e["event"], e["index"]))
        .collect();
    assert_eq!(
        events,
        [
            "\"revision_started\" 1",
            "\"revision_finished\" 1",
            "\"revision_started\" 2",
            "\"revision_finished\" 2",
            "\"done\" null"
        ]
    );
    // Text as the binary prints it.
    let (_, out) = db(&p, &["downgrade", "base"]).unwrap();
    assert!(
        out.starts_with(&format!("[1/2] Reverted {TWO}  two (")),
        "{out}"
    );
    let (outcome, out) = db(&p, &["check", "--format", "json"]).unwrap();
    assert_eq!(outcome, Outcome::Differences);
    assert_eq!(json_lines(&out)[0]["differences"][0]["kind"], "pending");
    // Where there is no JSON shape, it says so and does nothing.
    for args in [
        &["--format", "json", "schema"][..],
        &["--format", "json", "stamp", "head"],
    ] {
        let err = db(&p, args).unwrap_err().to_string();
        assert!(err.contains("--format json"), "{err}");
    }
    assert!(
        p.rows("SELECT revision FROM wildebeest_revisions")
            .is_empty()
    );
}
