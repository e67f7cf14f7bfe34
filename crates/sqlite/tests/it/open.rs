//! Opening database files, and what goes wrong.

use wildebeest_runner::{Backend, Caps};
use wildebeest_sql::Dialect;
use wildebeest_sqlite::SqliteBackend;

#[test]
fn a_missing_file_is_created_only_when_asked() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("app.db");
    let err = SqliteBackend::open(&path, false).unwrap_err();
    assert_eq!(
        err.message,
        format!(
            "database file `{}` does not exist; `wildebeest upgrade` creates it",
            path.display()
        )
    );
    assert!(!path.exists());

    let db = SqliteBackend::open(&path, true).unwrap();
    assert!(path.exists());
    assert_eq!(db.describe(), path.display().to_string());
    assert_eq!(db.path(), Some(path.as_path()));
    assert_eq!(
        db.caps(),
        Caps {
            dialect: Dialect::Sqlite,
            transactional_ddl: true
        }
    );
}

#[test]
fn a_missing_directory_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("nowhere").join("app.db");
    let err = SqliteBackend::open(&path, true).unwrap_err();
    assert_eq!(
        err.message,
        format!(
            "cannot open SQLite database `{}`: directory `{}` does not exist",
            path.display(),
            dir.path().join("nowhere").display()
        )
    );
}

#[test]
fn a_file_that_is_no_database_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("notes.txt");
    std::fs::write(
        &path,
        "these are not the pages you are looking for, not at all, no, not these ones",
    )
    .unwrap();
    let err = SqliteBackend::open(&path, false).unwrap_err();
    assert_eq!(
        err.message,
        format!(
            "cannot open SQLite database `{}`: file is not a database",
            path.display()
        )
    );
}

#[test]
fn a_directory_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let err = SqliteBackend::open(dir.path(), true).unwrap_err();
    assert_eq!(
        err.message,
        format!(
            "cannot open SQLite database `{}`: it is a directory",
            dir.path().display()
        )
    );
}

#[test]
fn in_memory_databases_describe_themselves() {
    let db = SqliteBackend::open_in_memory().unwrap();
    assert_eq!(db.describe(), ":memory:");
    assert_eq!(db.path(), None);
}

#[test]
fn foreign_keys_stay_off() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("app.db");
    let mut db = SqliteBackend::open(&path, true).unwrap();
    // With enforcement on, dropping the parent would fail or cascade.
    let script = crate::util::script(&[
        "CREATE TABLE p (id INTEGER PRIMARY KEY)",
        "CREATE TABLE c (id INTEGER PRIMARY KEY, p INTEGER REFERENCES p (id) ON DELETE CASCADE)",
        "INSERT INTO p VALUES (1)",
        "INSERT INTO c VALUES (10, 1)",
        "DELETE FROM p",
    ]);
    db.ensure_version_tables().unwrap();
    db.execute(&script, &crate::util::upgrade("r1"), &Default::default())
        .unwrap();
    let conn = rusqlite::Connection::open(&path).unwrap();
    assert_eq!(
        crate::util::rows(&conn, "SELECT id, p FROM c"),
        crate::util::table(&[&["10", "1"]])
    );
}
