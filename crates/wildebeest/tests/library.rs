//! The library's `Migrator` from a folder read at run time, on SQLite: progress,
//! consent to data loss, `current` and what `check` finds.

use std::sync::{Arc, Mutex};

use wildebeest::{ChangeKind, Direction, Error, Migrator, Options, Problem, Progress};

/// A project folder in a temporary directory, removed when dropped.
struct TempProject {
    dir: tempfile::TempDir,
}

impl TempProject {
    fn new() -> TempProject {
        TempProject {
            dir: tempfile::tempdir().expect("tempdir"),
        }
    }

    fn path(&self) -> &std::path::Path {
        self.dir.path()
    }

    fn db(&self) -> std::path::PathBuf {
        self.path().join("app.db")
    }

    fn write(&self, name: &str, text: &str) {
        let path = self.path().join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    fn conn(&self) -> rusqlite::Connection {
        rusqlite::Connection::open(self.db()).unwrap()
    }

    /// Every row of `sql`, each column (text here) as a string.
    fn rows(&self, sql: &str) -> Vec<Vec<String>> {
        let conn = self.conn();
        let mut stmt = conn.prepare(sql).unwrap();
        let n = stmt.column_count();
        stmt.query_map([], |row| (0..n).map(|i| row.get::<_, String>(i)).collect())
            .unwrap()
            .map(|r| r.unwrap())
            .collect()
    }
}

/// A project with two revisions: `users`, then `posts` (dropped by its downgrade).
fn project() -> TempProject {
    let p = TempProject::new();
    p.write(
        "migrations/20260101_000000_aaaaaaaaaaaa_users.sql",
        "-- Revision: aaaaaaaaaaaa\n-- Revises:\n-- Message: users\n\n-- +upgrade\n\
         CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT NULL);\n\n\
         -- +downgrade\nDROP TABLE users;\n",
    );
    p.write(
        "migrations/20260101_000001_bbbbbbbbbbbb_posts.sql",
        "-- Revision: bbbbbbbbbbbb\n-- Revises: aaaaaaaaaaaa\n-- Message: posts\n\n-- +upgrade\n\
         CREATE TABLE posts (id INTEGER PRIMARY KEY, title TEXT);\n\n\
         -- +downgrade\nDROP TABLE posts;\n",
    );
    p
}

fn url(p: &TempProject) -> String {
    format!("sqlite:{}", p.db().display())
}

#[test]
fn progress_reports_each_revision_as_it_starts_and_ends() {
    let p = project();
    let migrator = Migrator::from_dir(p.path().join("migrations")).unwrap();
    let events = Arc::new(Mutex::new(Vec::new()));
    let seen = Arc::clone(&events);
    let options = Options::new().on_progress(move |event| {
        let line = match event {
            Progress::Starting {
                revision,
                index,
                total,
                ..
            } => format!("start {revision} {index}/{total}"),
            Progress::Done(run) => format!("done {}", run.revision),
            _ => "other".to_string(),
        };
        seen.lock().unwrap().push(line);
    });
    let report = migrator.with(options).upgrade(url(&p)).unwrap();
    assert_eq!(
        *events.lock().unwrap(),
        [
            "start aaaaaaaaaaaa 1/2",
            "done aaaaaaaaaaaa",
            "start bbbbbbbbbbbb 2/2",
            "done bbbbbbbbbbbb"
        ]
    );
    assert_eq!(report.revisions.len(), 2);
    assert!(
        report
            .revisions
            .iter()
            .all(|r| r.direction == Direction::Upgrade)
    );
    let current = migrator.current(url(&p)).unwrap();
    assert_eq!(current.current_heads, ["bbbbbbbbbbbb"]);
    assert!(current.at_head);
    assert!(current.exists);
}

#[test]
fn a_statement_the_model_does_not_follow_is_told_before_the_run_starts() {
    let p = project();
    p.write(
        "migrations/20260101_000002_cccccccccccc_view.sql",
        "-- Revision: cccccccccccc\n-- Revises: bbbbbbbbbbbb\n-- Message: view\n\n-- +upgrade\n\
         CREATE VIRTUAL TABLE names USING fts5(body);\n\n\
         -- +downgrade\nDROP TABLE names;\n",
    );
    let migrator = Migrator::from_dir(p.path().join("migrations")).unwrap();
    let mut events = Vec::new();
    let report = migrator
        .with(Options::new())
        .run(url(&p), Direction::Upgrade, "head", &mut |event| {
            events.push(match event {
                Progress::Warning(text) => format!("warning {text}"),
                Progress::Starting { revision, .. } => format!("start {revision}"),
                _ => "other".to_string(),
            })
        })
        .unwrap();
    assert_eq!(report.warnings.len(), 1, "{:?}", report.warnings);
    assert!(report.warnings[0].contains("CREATE VIRTUAL TABLE names"));
    assert_eq!(events[0], format!("warning {}", report.warnings[0]));
    assert_eq!(events[1], "start aaaaaaaaaaaa");
    assert_eq!(
        events.iter().filter(|e| e.starts_with("warning")).count(),
        1
    );
}

#[test]
fn a_downgrade_that_drops_rows_needs_consent() {
    let p = project();
    let migrator = Migrator::from_dir(p.path().join("migrations")).unwrap();
    migrator.upgrade(url(&p)).unwrap();
    p.conn()
        .execute_batch("INSERT INTO posts (title) VALUES ('kept')")
        .unwrap();
    let err = migrator.downgrade(url(&p), "-1").unwrap_err();
    assert!(matches!(err, Error::Refused(_)), "{err:?}");
    assert!(
        err.to_string().contains("would destroy stored data"),
        "{err}"
    );
    assert_eq!(p.rows("SELECT title FROM posts"), [["kept"]]);

    let report = migrator
        .with(Options::new().allow_data_loss(true))
        .downgrade(url(&p), "-1")
        .unwrap();
    assert_eq!(report.revisions[0].revision, "bbbbbbbbbbbb");
    assert_eq!(report.revisions[0].direction, Direction::Downgrade);
    assert_eq!(migrator.current(url(&p)).unwrap().applied, ["aaaaaaaaaaaa"]);
}

#[test]
fn check_finds_pending_revisions_and_drift() {
    let p = project();
    let migrator = Migrator::from_dir(p.path().join("migrations")).unwrap();
    assert_eq!(
        migrator.check(url(&p)).unwrap().problems,
        [Problem::NoDatabase]
    );
    assert!(!p.db().exists(), "check created the database");
    assert!(!migrator.current(url(&p)).unwrap().exists);
    assert!(!p.db().exists(), "current created the database");
    migrator.upgrade_to(url(&p), "aaaaaaaaaaaa").unwrap();
    p.conn()
        .execute_batch("ALTER TABLE users ADD COLUMN email TEXT")
        .unwrap();
    let problems = migrator.check(url(&p)).unwrap().problems;
    assert_eq!(problems.len(), 2, "{problems:?}");
    assert_eq!(
        problems[0],
        Problem::Pending {
            revisions: vec!["bbbbbbbbbbbb".into()]
        }
    );
    assert!(
        matches!(
            &problems[1],
            Problem::Drift { difference, kind: ChangeKind::Added, .. } if difference.contains("email")
        ),
        "{problems:?}"
    );
}

#[test]
fn a_bad_target_and_a_bad_url_are_errors_of_their_kind() {
    let p = project();
    let migrator = Migrator::from_dir(p.path().join("migrations")).unwrap();
    let err = migrator.upgrade_to(url(&p), "cccccccccccc").unwrap_err();
    assert!(matches!(err, Error::Revisions(_)), "{err:?}");
    let err = migrator.upgrade("oracle://somewhere").unwrap_err();
    assert!(matches!(err, Error::Url(_)), "{err:?}");
    assert!(!p.db().exists());
}

#[test]
fn a_missing_folder_is_an_error_naming_it() {
    let p = TempProject::new();
    let err = Migrator::from_dir(p.path().join("nowhere")).unwrap_err();
    assert!(matches!(err, Error::Migrations(_)), "{err:?}");
    assert!(err.to_string().contains("nowhere"), "{err}");
}
