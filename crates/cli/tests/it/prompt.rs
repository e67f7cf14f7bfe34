//! `migrate` on a terminal: the rename and data-loss questions, answered through a
//! pseudo-terminal.
//!
//! The binary runs under util-linux `script` (`script -q -e -c CMD /dev/null`), which
//! gives it a pty for stdin, stdout and stderr; the test reads the pty's output from
//! `script`'s stdout, waits (with a time limit) for each question, and writes the
//! answer to `script`'s stdin, which `script` passes on to the pty. Closing stdin
//! sends end-of-file, which `migrate` reads as "no".

use std::io::{Read, Write};
use std::path::PathBuf;
use std::process::{Child, ChildStdin, Command, ExitStatus, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::{Duration, Instant};

use predicates::str::contains;

use crate::util::TempProject;

/// How long to wait for a question, or for the program to finish: generous, since a
/// loaded CI machine is slow; a passing test waits only as long as the program runs.
const TIMEOUT: Duration = Duration::from_secs(30);

const EMPLOYEES: &str = "CREATE TABLE employees (
    id INTEGER PRIMARY KEY,
    name VARCHAR NOT NULL,
    salary INTEGER
);
";

const DEPARTMENT: &str = "
CREATE TABLE department (
    id INTEGER PRIMARY KEY,
    name VARCHAR NOT NULL,
    address VARCHAR
);
";

const RENAME_TABLE: &str = "Did you rename table `department` to `departments`? [y/N]";
const DROP_DEPARTMENT: &str =
    "The migration drops table `department` and every row in it. Is that intended? [y/N]";

/// util-linux `script`, or a failure saying why the prompt tests cannot run.
fn script() -> PathBuf {
    let found = std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|dir| dir.join("script"))
            .find(|p| p.is_file())
    });
    let Some(path) = found else {
        panic!(
            "the prompt tests need util-linux `script` (Debian/Ubuntu package bsdutils, Fedora util-linux-script) to run wildebeest on a pseudo-terminal, and no `script` is on PATH"
        );
    };
    let version = Command::new(&path).arg("--version").output();
    let is_util_linux = version
        .as_ref()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).contains("util-linux"));
    assert!(
        is_util_linux,
        "{} is not util-linux `script` (the prompt tests use its `-q -e -c CMD FILE` form): {version:?}",
        path.display()
    );
    path
}

/// Quotes `s` for `sh -c`.
fn sh_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', r"'\''"))
}

/// The binary running on a pseudo-terminal, in a project folder (also used by the
/// progress and colour tests in `output.rs`).
pub(crate) struct Pty {
    child: Child,
    stdin: Option<ChildStdin>,
    chunks: Receiver<Vec<u8>>,
    /// Everything the pty showed so far (echoed answers included), `\r\n` as `\n`.
    output: String,
    /// How far `expect` has read in `output`.
    seen: usize,
    closed: bool,
}

impl Pty {
    fn spawn(p: &TempProject, args: &[&str]) -> Pty {
        Pty::spawn_env(p, args, &[("NO_COLOR", "1")])
    }

    /// The binary on a pty with `env` set (`NO_COLOR` and `CLICOLOR_FORCE` are not
    /// inherited).
    pub(crate) fn spawn_env(p: &TempProject, args: &[&str], env: &[(&str, &str)]) -> Pty {
        let mut command = sh_quote(env!("CARGO_BIN_EXE_wildebeest"));
        for a in args {
            command.push(' ');
            command.push_str(&sh_quote(a));
        }
        let mut child = Command::new(script())
            .args(["-q", "-e", "-c", &command, "/dev/null"])
            .current_dir(p.path())
            .env("SHELL", "/bin/sh")
            .env_remove("NO_COLOR")
            .env_remove("CLICOLOR_FORCE")
            .envs(env.iter().copied())
            .env_remove("DATABASE_URL")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("cannot start `script`");
        let (tx, chunks) = channel();
        for mut source in [
            Box::new(child.stdout.take().unwrap()) as Box<dyn Read + Send>,
            Box::new(child.stderr.take().unwrap()),
        ] {
            let tx = tx.clone();
            std::thread::spawn(move || {
                let mut buf = [0u8; 4096];
                loop {
                    match source.read(&mut buf) {
                        Ok(0) | Err(_) => break,
                        Ok(n) => {
                            if tx.send(buf[..n].to_vec()).is_err() {
                                break;
                            }
                        }
                    }
                }
            });
        }
        Pty {
            stdin: child.stdin.take(),
            child,
            chunks,
            output: String::new(),
            seen: 0,
            closed: false,
        }
    }

    /// Takes what the pty printed until `deadline`; false when it closed.
    fn pull(&mut self, deadline: Instant) -> bool {
        let wait = deadline.saturating_duration_since(Instant::now());
        match self.chunks.recv_timeout(wait) {
            Ok(bytes) => {
                self.output
                    .push_str(&String::from_utf8_lossy(&bytes).replace('\r', ""));
                true
            }
            Err(RecvTimeoutError::Timeout) => true,
            Err(RecvTimeoutError::Disconnected) => {
                self.closed = true;
                false
            }
        }
    }

    /// Waits until the pty shows `text` after what earlier calls matched.
    fn expect(&mut self, text: &str) {
        let deadline = Instant::now() + TIMEOUT;
        loop {
            if let Some(at) = self.output[self.seen..].find(text) {
                self.seen += at + text.len();
                return;
            }
            if self.closed || Instant::now() >= deadline {
                let status = self.child.try_wait();
                panic!(
                    "waited for {text:?}, but the program {}; it printed:\n{}",
                    if self.closed {
                        format!("ended ({status:?})")
                    } else {
                        format!("showed nothing new for {TIMEOUT:?}")
                    },
                    self.output
                );
            }
            self.pull(deadline);
        }
    }

    /// Waits for `question`, then types `reply` and Enter (a control character such
    /// as Ctrl-D, `\x04`, is typed alone).
    fn answer(&mut self, question: &str, reply: &str) {
        self.expect(question);
        let stdin = self.stdin.as_mut().expect("stdin is open");
        let typed = if reply.chars().all(char::is_control) {
            reply.to_string()
        } else {
            format!("{reply}\n")
        };
        stdin.write_all(typed.as_bytes()).unwrap();
        stdin.flush().unwrap();
    }

    /// Closes stdin (end-of-file: any further question is answered no) and waits for
    /// the program to end; returns its exit status and everything the pty showed.
    pub(crate) fn finish(mut self) -> (ExitStatus, String) {
        drop(self.stdin.take());
        let deadline = Instant::now() + TIMEOUT;
        while !self.closed && Instant::now() < deadline {
            self.pull(deadline);
        }
        let status = loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                break status;
            }
            if Instant::now() >= deadline {
                let _ = self.child.kill();
                let _ = self.child.wait();
                panic!(
                    "the program did not end within {TIMEOUT:?}; it printed:\n{}",
                    self.output
                );
            }
            std::thread::sleep(Duration::from_millis(10));
        };
        (status, self.output)
    }
}

/// Runs `migrate -m MSG ARGS` on a pty, answering each `(question, reply)` in order;
/// asserts it succeeds and returns what the pty showed.
fn migrate_on_a_terminal(
    p: &TempProject,
    message: &str,
    args: &[&str],
    answers: &[(&str, &str)],
) -> String {
    let mut all = vec!["migrate", "-m", message];
    all.extend_from_slice(args);
    let mut pty = Pty::spawn(p, &all);
    for (question, reply) in answers {
        pty.answer(question, reply);
    }
    let (status, output) = pty.finish();
    assert!(status.success(), "migrate failed ({status}):\n{output}");
    output
}

/// The text of the newest migration file.
fn newest(p: &TempProject) -> String {
    std::fs::read_to_string(p.migrations().last().unwrap()).unwrap()
}

/// The seed tutorial's project after its first two migrations, with rows in both tables.
fn seed_with_departments() -> TempProject {
    let p = TempProject::init();
    p.write("schema.sql", EMPLOYEES);
    p.cmd(&["migrate", "-m", "Initial migration."])
        .assert()
        .success();
    p.cmd(&["upgrade"]).assert().success();
    p.conn()
        .execute_batch("INSERT INTO employees (name, salary) VALUES ('Kai Uri', 89000), ('Alena Lee', 125000);")
        .unwrap();
    p.write("schema.sql", &format!("{EMPLOYEES}{DEPARTMENT}"));
    p.cmd(&["migrate", "-m", "add Department"])
        .assert()
        .success();
    p.cmd(&["upgrade"]).assert().success();
    p.conn()
        .execute_batch(
            "INSERT INTO department (name, address) VALUES ('Payroll', 'Building A, 4th Floor'), ('Human Resources', 'Building C, 1st Floor');",
        )
        .unwrap();
    p
}

fn departments(p: &TempProject, table: &str, column: &str) -> Vec<Vec<String>> {
    p.rows(&format!(
        "SELECT id, name, {column} FROM {table} ORDER BY id"
    ))
}

fn seed_rows() -> Vec<Vec<String>> {
    vec![
        vec![
            "1".to_string(),
            "Payroll".into(),
            "Building A, 4th Floor".into(),
        ],
        vec![
            "2".to_string(),
            "Human Resources".into(),
            "Building C, 1st Floor".into(),
        ],
    ]
}

/// schema.sql with `department` renamed to `departments`.
fn write_renamed_table(p: &TempProject) {
    p.write(
        "schema.sql",
        &format!(
            "{EMPLOYEES}{}",
            DEPARTMENT.replace("department", "departments")
        ),
    );
}

#[test]
fn the_seed_tutorial_renames_answered_yes_keep_the_rows() {
    let p = seed_with_departments();

    // Third migration: the table rename, asked and accepted; nothing is dropped, so
    // there is no data-loss question.
    write_renamed_table(&p);
    let out = migrate_on_a_terminal(&p, "rename department", &[], &[(RENAME_TABLE, "y")]);
    assert!(
        out.contains("~ renamed table `department` to `departments`\n"),
        "{out}"
    );
    assert!(!out.contains("Is that intended?"), "{out}");
    assert!(!out.contains("warning:"), "{out}");
    let third = newest(&p);
    assert!(
        third.contains("-- +upgrade\nALTER TABLE department RENAME TO departments;\n"),
        "{third}"
    );
    assert!(
        third.contains("-- +downgrade\nALTER TABLE departments RENAME TO department;\n"),
        "{third}"
    );
    p.cmd(&["upgrade"]).assert().success();
    assert_eq!(departments(&p, "departments", "address"), seed_rows());

    // Fourth migration: the column rename (and NOT NULL), asked with both columns.
    p.write(
        "schema.sql",
        &format!(
            "{EMPLOYEES}\nCREATE TABLE departments (\n    id INTEGER PRIMARY KEY,\n    name VARCHAR NOT NULL,\n    location VARCHAR NOT NULL\n);\n"
        ),
    );
    let out = migrate_on_a_terminal(
        &p,
        "rename address",
        &[],
        &[(
            "Did you rename column departments.address (VARCHAR) to location (VARCHAR NOT NULL)? [y/N]",
            "y",
        )],
    );
    assert!(
        out.contains("~ renamed column `departments.address` to `location`\n~ changed column `departments.location`: now NOT NULL\n"),
        "{out}"
    );
    assert!(!out.contains("Is that intended?"), "{out}");
    let fourth = newest(&p);
    assert!(
        fourth.contains(
            "-- +upgrade\nALTER TABLE departments RENAME COLUMN address TO location;\n\nALTER TABLE departments ALTER COLUMN location SET NOT NULL;\n"
        ),
        "{fourth}"
    );
    assert!(
        fourth.contains("ALTER TABLE departments RENAME COLUMN location TO address;\n"),
        "{fourth}"
    );
    p.cmd(&["upgrade"]).assert().success();
    assert_eq!(departments(&p, "departments", "location"), seed_rows());
    p.cmd(&["check"]).assert().success();

    p.cmd(&["downgrade", "-1"]).assert().success();
    assert_eq!(departments(&p, "departments", "address"), seed_rows());
    assert_eq!(
        p.rows("SELECT name, salary FROM employees ORDER BY id"),
        vec![
            vec!["Kai Uri".to_string(), "89000".into()],
            vec!["Alena Lee".to_string(), "125000".into()],
        ]
    );
}

#[test]
fn no_to_the_rename_and_yes_to_the_loss_writes_the_consent_marker() {
    let p = seed_with_departments();
    write_renamed_table(&p);
    let out = migrate_on_a_terminal(
        &p,
        "rename department",
        &[],
        &[(RENAME_TABLE, "n"), (DROP_DEPARTMENT, "y")],
    );
    assert!(out.contains("- removed table `department`\n"), "{out}");
    assert!(out.contains("+ added table `departments`\n"), "{out}");
    // Answered on the terminal: no warning about the rename or the loss.
    assert!(!out.contains("warning:"), "{out}");
    let third = newest(&p);
    assert!(
        third.contains(
            "-- DATA LOSS: drops table `department` and every row in it\n-- wildebeest: allow-data-loss\nDROP TABLE department;\n"
        ),
        "{third}"
    );
    assert_eq!(third.matches("allow-data-loss").count(), 1, "{third}");

    // The marker is the consent: upgrade runs without --allow-data-loss.
    p.cmd(&["upgrade"]).assert().success();
    assert_eq!(
        p.rows("SELECT COUNT(*) FROM departments"),
        vec![vec!["0".to_string()]]
    );
    assert!(
        p.rows("SELECT name FROM sqlite_master WHERE name = 'department'")
            .is_empty()
    );
}

#[test]
fn no_to_the_rename_and_no_to_the_loss_leaves_no_marker_and_upgrade_refuses() {
    let p = seed_with_departments();
    write_renamed_table(&p);
    let out = migrate_on_a_terminal(
        &p,
        "rename department",
        &[],
        &[(RENAME_TABLE, "n"), (DROP_DEPARTMENT, "n")],
    );
    assert!(
        out.contains("warning: the migration drops table `department` and every row in it;"),
        "{out}"
    );
    let third = newest(&p);
    assert!(
        third.contains(
            "-- DATA LOSS: drops table `department` and every row in it\nDROP TABLE department;\n"
        ),
        "{third}"
    );
    assert!(!third.contains("allow-data-loss"), "{third}");

    let before = p.schema_dump();
    p.cmd(&["upgrade"])
        .assert()
        .code(2)
        .stderr(contains("upgrade stopped before changing anything"))
        .stderr(contains(
            "drops table `department` and every row in it; it holds 2 rows",
        ));
    assert_eq!(p.schema_dump(), before);
    assert_eq!(departments(&p, "department", "address"), seed_rows());
}

/// `department` disappears; `departments` and `teams` appear with its columns.
fn two_candidates() -> TempProject {
    let p = seed_with_departments();
    p.write(
        "schema.sql",
        &format!(
            "{EMPLOYEES}{}{}",
            DEPARTMENT.replace("department", "departments"),
            DEPARTMENT.replace("department", "teams")
        ),
    );
    p
}

const RENAME_TO_TEAMS: &str = "Did you rename table `department` to `teams`? [y/N]";

#[test]
fn an_ambiguous_rename_asks_about_each_candidate() {
    // No to both: both asked, in order, then the drop.
    let p = two_candidates();
    let out = migrate_on_a_terminal(
        &p,
        "x",
        &[],
        &[
            (RENAME_TABLE, "n"),
            (RENAME_TO_TEAMS, "n"),
            (DROP_DEPARTMENT, "n"),
        ],
    );
    assert!(out.find(RENAME_TABLE) < out.find(RENAME_TO_TEAMS), "{out}");
    assert!(!out.contains("~ renamed"), "{out}");
    let file = newest(&p);
    assert!(file.contains("DROP TABLE department;"), "{file}");
    assert!(file.contains("CREATE TABLE departments ("), "{file}");
    assert!(file.contains("CREATE TABLE teams ("), "{file}");

    // Yes to the second picks the second; `departments` is created, nothing dropped.
    let p = two_candidates();
    let out = migrate_on_a_terminal(&p, "x", &[], &[(RENAME_TABLE, "n"), (RENAME_TO_TEAMS, "y")]);
    assert!(
        out.contains("~ renamed table `department` to `teams`\n+ added table `departments`\n"),
        "{out}"
    );
    assert!(!out.contains("Is that intended?"), "{out}");
    let file = newest(&p);
    assert!(
        file.contains("-- +upgrade\nALTER TABLE department RENAME TO teams;\n"),
        "{file}"
    );
    assert!(!file.contains("DROP TABLE department;"), "{file}");
    p.cmd(&["upgrade"]).assert().success();
    assert_eq!(departments(&p, "teams", "address"), seed_rows());
    assert_eq!(
        p.rows("SELECT COUNT(*) FROM departments"),
        vec![vec!["0".to_string()]]
    );

    // Yes to the first: the other pair names the same table, so it is not asked.
    let p = two_candidates();
    let out = migrate_on_a_terminal(&p, "x", &[], &[(RENAME_TABLE, "y")]);
    assert!(!out.contains(RENAME_TO_TEAMS), "{out}");
    assert!(
        out.contains("~ renamed table `department` to `departments`\n+ added table `teams`\n"),
        "{out}"
    );
}

#[test]
fn a_rename_flag_on_a_terminal_is_not_asked_and_its_columns_are() {
    let p = seed_with_departments();
    p.write(
        "schema.sql",
        &format!(
            "{EMPLOYEES}{}",
            DEPARTMENT
                .replace("department", "departments")
                .replace("address", "location")
        ),
    );
    let out = migrate_on_a_terminal(
        &p,
        "rename both",
        &["--rename", "department=departments"],
        &[(
            "Did you rename column departments.address (VARCHAR) to location (VARCHAR)? [y/N]",
            "y",
        )],
    );
    assert!(!out.contains("Did you rename table"), "{out}");
    assert!(
        out.contains("~ renamed table `department` to `departments`\n~ renamed column `departments.address` to `location`\n"),
        "{out}"
    );
    p.cmd(&["upgrade"]).assert().success();
    assert_eq!(departments(&p, "departments", "location"), seed_rows());
}

#[test]
fn no_input_on_a_terminal_never_asks() {
    let p = seed_with_departments();
    write_renamed_table(&p);
    let pty = Pty::spawn(&p, &["migrate", "-m", "rename department", "--no-input"]);
    let (status, out) = pty.finish();
    assert!(status.success(), "{out}");
    assert!(!out.contains("[y/N]"), "{out}");
    assert!(
        out.contains("run this command again with --rename department=departments"),
        "{out}"
    );
    assert!(newest(&p).contains("DROP TABLE department;"));
}

#[test]
fn end_of_input_answers_no() {
    let p = seed_with_departments();
    write_renamed_table(&p);
    // Ctrl-D (end-of-file on a terminal) at each question: no, and no error.
    let out = migrate_on_a_terminal(
        &p,
        "rename department",
        &[],
        &[(RENAME_TABLE, "\x04"), (DROP_DEPARTMENT, "\x04")],
    );
    assert!(!out.contains("~ renamed"), "{out}");
    let third = newest(&p);
    assert!(third.contains("DROP TABLE department;"), "{third}");
    assert!(!third.contains("allow-data-loss"), "{third}");
}

#[test]
fn database_drop_asks_on_a_terminal_and_a_no_keeps_the_database() {
    let p = TempProject::init();
    p.cmd(&["database", "create"]).assert().success();
    // The whole question, so that the reply is typed only once it is asked.
    let question = "and everything in it? [y/N] ";
    for reply in ["n", "\x04", ""] {
        let mut pty = Pty::spawn(&p, &["database", "drop"]);
        pty.answer(question, reply);
        let (status, out) = pty.finish();
        assert!(status.success(), "{out}");
        assert!(out.contains("Drop database sqlite:"), "{out}");
        assert!(out.contains("Not dropped."), "{out}");
        assert!(p.db().is_file(), "{reply:?} dropped it: {out}");
    }
    let mut pty = Pty::spawn(&p, &["database", "drop"]);
    pty.answer(question, "y");
    let (status, out) = pty.finish();
    assert!(status.success(), "{out}");
    assert!(out.contains("Dropped database sqlite:"), "{out}");
    assert!(!p.db().exists(), "{out}");
    // --force never asks.
    p.cmd(&["database", "create"]).assert().success();
    let pty = Pty::spawn(&p, &["database", "drop", "--force"]);
    let (status, out) = pty.finish();
    assert!(status.success(), "{out}");
    assert!(!out.contains("[y/N]"), "{out}");
    assert!(!p.db().exists(), "{out}");
}
