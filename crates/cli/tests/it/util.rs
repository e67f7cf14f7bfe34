//! Helpers shared by the integration tests.

use std::path::{Path, PathBuf};

use assert_cmd::Command;

/// Runs `args` in the project, expecting success; returns stdout.
pub fn ok(p: &TempProject, args: &[&str]) -> String {
    let out = p.cmd(args).output().unwrap();
    assert!(
        out.status.success(),
        "{args:?} failed: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// Runs `args` in the project: its exit code (-1 when killed) and stdout with stderr.
pub fn run_text(p: &TempProject, args: &[&str]) -> (i32, String) {
    let out = p.cmd(args).output().unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.code().unwrap_or(-1), text)
}

/// `dump`, a database's own dump of the database the project's migrations built,
/// used as `schema.sql`: `migrate` finds no changes (and writes nothing) and `check`
/// exits 0. `what` names the dump in a failure.
pub fn dump_is_no_change(p: &TempProject, dump: &str, what: &str) {
    let before = p.migrations().len();
    p.write("schema.sql", dump);
    let (code, text) = run_text(p, &["migrate", "-m", "dumped"]);
    assert!(
        code == 0 && text.contains("No changes"),
        "{what}: migrate from the dump ({code}):\n{text}\n{dump}"
    );
    assert_eq!(p.migrations().len(), before, "{what}: {text}");
    let (code, text) = run_text(p, &["check"]);
    assert_eq!(
        code, 0,
        "{what}: check with the dump as schema.sql:\n{text}"
    );
}

/// Writes the upgrade and downgrade of the project's newest revision (a migration
/// written by hand after `revision`) and rehashes.
pub fn hand_write(p: &TempProject, upgrade: &str, downgrade: &str) {
    let path = p.migrations().last().unwrap().clone();
    let text = std::fs::read_to_string(&path).unwrap();
    let head = &text[..text.find("-- +upgrade").unwrap()];
    std::fs::write(
        &path,
        format!("{head}-- +upgrade\n{upgrade}\n\n-- +downgrade\n{downgrade}\n"),
    )
    .unwrap();
    ok(p, &["rehash"]);
}

/// A project folder in a temporary directory, removed when dropped.
pub struct TempProject {
    pub dir: tempfile::TempDir,
}

impl TempProject {
    /// An empty folder.
    pub fn new() -> TempProject {
        TempProject {
            dir: tempfile::tempdir().expect("tempdir"),
        }
    }

    /// A folder with `wildebeest init` run in it.
    pub fn init() -> TempProject {
        let p = TempProject::new();
        p.cmd(&["init"]).assert().success();
        p
    }

    /// A folder with `wildebeest init` run in it, its database the test's own
    /// schema or database on a server (SQLite's `app.db` when `db` is `None`).
    pub fn on(db: Option<&crate::servers::TestDb>) -> TempProject {
        let p = TempProject::init();
        if let Some(db) = db {
            p.write(
                "wildebeest.toml",
                &format!("database_url = \"{}\"\n", db.url),
            );
        }
        p
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn db(&self) -> PathBuf {
        self.path().join("app.db")
    }

    /// The binary, run in the project folder, with no DATABASE_URL or NO_COLOR from
    /// the environment leaking in.
    pub fn cmd(&self, args: &[&str]) -> Command {
        let mut c = Command::cargo_bin("wildebeest").expect("binary");
        c.current_dir(self.path())
            .env_remove("DATABASE_URL")
            .env_remove("NO_COLOR")
            .args(args);
        c
    }

    pub fn write(&self, name: &str, text: &str) {
        let path = self.path().join(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).unwrap();
        }
        std::fs::write(path, text).unwrap();
    }

    pub fn read(&self, name: &str) -> String {
        std::fs::read_to_string(self.path().join(name)).unwrap()
    }

    /// The migration files, sorted by name.
    pub fn migrations(&self) -> Vec<PathBuf> {
        let mut v: Vec<PathBuf> = std::fs::read_dir(self.path().join("migrations"))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "sql"))
            .collect();
        v.sort();
        v
    }

    /// Opens the project's SQLite database.
    pub fn conn(&self) -> rusqlite::Connection {
        rusqlite::Connection::open(self.db()).unwrap()
    }

    /// Every row of `sql`, each column rendered as text (NULL as `NULL`).
    pub fn rows(&self, sql: &str) -> Vec<Vec<String>> {
        query_rows(&self.conn(), sql)
    }

    /// The database's `sqlite_master` (sorted), to prove a failed command changed nothing.
    pub fn schema_dump(&self) -> Vec<Vec<String>> {
        self.rows("SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name")
    }
}

/// Runs `sql` and returns every row as text.
pub fn query_rows(conn: &rusqlite::Connection, sql: &str) -> Vec<Vec<String>> {
    let mut stmt = conn.prepare(sql).unwrap();
    let n = stmt.column_count();
    let rows = stmt
        .query_map([], |row| {
            let mut out = Vec::with_capacity(n);
            for i in 0..n {
                let v: rusqlite::types::Value = row.get(i)?;
                out.push(match v {
                    rusqlite::types::Value::Null => "NULL".to_string(),
                    rusqlite::types::Value::Integer(i) => i.to_string(),
                    rusqlite::types::Value::Real(f) => f.to_string(),
                    rusqlite::types::Value::Text(t) => t,
                    rusqlite::types::Value::Blob(b) => format!("{b:?}"),
                });
            }
            Ok(out)
        })
        .unwrap();
    rows.map(|r| r.unwrap()).collect()
}
