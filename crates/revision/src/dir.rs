//! The migrations directory: every `*.sql` file directly in it is one revision.

use std::fmt;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use crate::file::{FileError, Migration, parse_bytes};

/// Why the migrations directory could not be loaded.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum DirError {
    /// The directory does not exist (the CLI suggests `wildebeest init`).
    #[error("the migrations directory {} does not exist", .dir.display())]
    Missing {
        /// The directory, as given.
        dir: PathBuf,
    },
    /// The path exists but is not a directory.
    #[error(
        "{} is not a directory: the migrations directory holds one .sql file per revision",
        .dir.display()
    )]
    NotADirectory {
        /// The path, as given.
        dir: PathBuf,
    },
    /// Listing the directory or reading a file failed.
    #[error("cannot read {}: {source}", .path.display())]
    Io {
        /// The directory or file.
        path: PathBuf,
        /// The underlying error.
        source: io::Error,
    },
    /// One or more files did not parse; in file name order, never empty.
    #[error("{}", FileErrors(.0))]
    Files(Vec<FileError>),
}

/// Shows the first error and how many more there are.
struct FileErrors<'a>(&'a [FileError]);

impl fmt::Display for FileErrors<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            [] => f.write_str("a migration file has errors"),
            [only] => only.fmt(f),
            [first, rest @ ..] => {
                let files = if rest.len() == 1 { "file" } else { "files" };
                write!(f, "{first} (and {} more {files} with errors)", rest.len())
            }
        }
    }
}

/// Loads and parses every migration in `dir`: the files directly in it whose names end
/// in `.sql` (any case), except hidden ones (starting with `.`), in file name order.
/// Subdirectories and other files are ignored. Every file is parsed, and all parse
/// errors are reported together in [`DirError::Files`].
pub fn load_dir(dir: &Path) -> Result<Vec<Migration>, DirError> {
    let io_error = |path: &Path| {
        let path = path.to_path_buf();
        move |source| DirError::Io { path, source }
    };
    match fs::metadata(dir) {
        Ok(meta) if meta.is_dir() => {}
        Ok(_) => {
            return Err(DirError::NotADirectory {
                dir: dir.to_path_buf(),
            });
        }
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            return Err(DirError::Missing {
                dir: dir.to_path_buf(),
            });
        }
        Err(e) => return Err(io_error(dir)(e)),
    }

    let mut files = Vec::new();
    for entry in fs::read_dir(dir).map_err(io_error(dir))? {
        let entry = entry.map_err(io_error(dir))?;
        let name = entry.file_name();
        let path = entry.path();
        let hidden = name.as_encoded_bytes().first() == Some(&b'.');
        let sql = path
            .extension()
            .is_some_and(|ext| ext.eq_ignore_ascii_case("sql"));
        if hidden || !sql {
            continue;
        }
        // Follows symbolic links, so a linked file counts and a linked directory not.
        let meta = fs::metadata(&path).map_err(io_error(&path))?;
        if meta.is_file() {
            files.push((name, path));
        }
    }
    files.sort();

    let mut migrations = Vec::with_capacity(files.len());
    let mut errors = Vec::new();
    for (_, path) in files {
        let bytes = fs::read(&path).map_err(io_error(&path))?;
        match parse_bytes(&path, &bytes) {
            Ok(m) => migrations.push(m),
            Err(e) => errors.push(e),
        }
    }
    if errors.is_empty() {
        Ok(migrations)
    } else {
        Err(DirError::Files(errors))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::file::{NewMigration, file_name, render};

    fn write_migration(dir: &Path, created: &str, id: &str, parents: &[&str]) -> PathBuf {
        let new = NewMigration {
            id: id.into(),
            parents: parents.iter().map(|p| p.to_string()).collect(),
            message: format!("make {id}"),
            created: created.into(),
            upgrade: vec![format!("CREATE TABLE {id} (x INTEGER)")],
            downgrade: vec![format!("DROP TABLE {id}")],
            extra_headers: Vec::new(),
        };
        let path = dir.join(file_name(created, id, &new.message));
        fs::write(&path, render(&new)).unwrap_or_else(|e| panic!("{e}"));
        path
    }

    fn tempdir() -> tempfile::TempDir {
        tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"))
    }

    fn names(migrations: &[Migration]) -> Vec<String> {
        migrations
            .iter()
            .map(|m| {
                m.path
                    .file_name()
                    .unwrap_or_default()
                    .to_string_lossy()
                    .into_owned()
            })
            .collect()
    }

    #[test]
    fn loads_in_file_name_order_and_skips_the_rest() {
        let tmp = tempdir();
        let dir = tmp.path();
        write_migration(dir, "2026-01-03T00:00:00Z", "ccc", &["bbb"]);
        write_migration(dir, "2026-01-01T00:00:00Z", "aaa", &[]);
        write_migration(dir, "2026-01-02T00:00:00Z", "bbb", &["aaa"]);
        fs::write(dir.join("README.md"), "not a migration").ok();
        fs::write(dir.join(".20260104_000000_hidden.sql"), "garbage").ok();
        fs::write(dir.join("notes.sql.bak"), "garbage").ok();
        fs::create_dir(dir.join("archive.sql")).ok();
        fs::create_dir(dir.join("old")).ok();
        fs::write(dir.join("old/20260105_000000_zzz.sql"), "garbage").ok();

        let migrations = load_dir(dir).map_err(|e| e.to_string());
        let migrations = migrations.unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            names(&migrations),
            [
                "20260101_000000_aaa_make_aaa.sql",
                "20260102_000000_bbb_make_bbb.sql",
                "20260103_000000_ccc_make_ccc.sql",
            ]
        );
        let ids: Vec<&str> = migrations.iter().map(|m| m.id.as_str()).collect();
        assert_eq!(ids, ["aaa", "bbb", "ccc"]);
        assert_eq!(migrations[2].parents, ["bbb"]);
        assert_eq!(
            migrations[0].path,
            dir.join("20260101_000000_aaa_make_aaa.sql")
        );
    }

    #[test]
    fn upper_case_extension_counts() {
        let tmp = tempdir();
        let path = write_migration(tmp.path(), "2026-01-01T00:00:00Z", "aaa", &[]);
        let upper = path.with_extension("SQL");
        fs::rename(&path, &upper).unwrap_or_else(|e| panic!("{e}"));
        let migrations = load_dir(tmp.path()).map_err(|e| e.to_string());
        assert_eq!(migrations.map(|m| m.len()), Ok(1));
    }

    #[test]
    fn empty_directory() {
        let tmp = tempdir();
        let migrations = load_dir(tmp.path()).map_err(|e| e.to_string());
        assert_eq!(migrations, Ok(vec![]));
    }

    #[test]
    fn missing_directory() {
        let tmp = tempdir();
        let dir = tmp.path().join("migrations");
        let e = load_dir(&dir).map(|_| ()).map_err(|e| e.to_string());
        assert_eq!(
            e,
            Err(format!(
                "the migrations directory {} does not exist",
                dir.display()
            ))
        );
        assert!(matches!(load_dir(&dir), Err(DirError::Missing { dir: d }) if d == dir));
    }

    #[test]
    fn not_a_directory() {
        let tmp = tempdir();
        let file = tmp.path().join("migrations");
        fs::write(&file, "").ok();
        let e = load_dir(&file).map(|_| ()).map_err(|e| e.to_string());
        assert_eq!(
            e,
            Err(format!(
                "{} is not a directory: the migrations directory holds one .sql file per revision",
                file.display()
            ))
        );
    }

    #[test]
    fn reports_file_errors_in_order() {
        let tmp = tempdir();
        let dir = tmp.path();
        write_migration(dir, "2026-01-01T00:00:00Z", "aaa", &[]);
        let bad1 = dir.join("20260102_000000_bbb.sql");
        fs::write(&bad1, "-- Revision: bbb\n-- Revises: aaa\n\n-- +upgrade\n").ok();
        let bad2 = dir.join("20260103_000000_ccc.sql");
        fs::write(&bad2, b"-- Revision: ccc\n\xff").ok();

        let Err(DirError::Files(errors)) = load_dir(dir) else {
            panic!("expected file errors");
        };
        assert_eq!(errors.len(), 2);
        assert_eq!(errors[0].path, bad1);
        assert_eq!(errors[1].path, bad2);
        assert_eq!(errors[1].line, Some(2));

        let e = load_dir(dir).map(|_| ()).map_err(|e| e.to_string());
        assert_eq!(
            e,
            Err(format!(
                "{}: no \"-- +downgrade\" marker: every migration needs an upgrade and a downgrade section (and 1 more file with errors)",
                bad1.display()
            ))
        );
    }

    #[test]
    fn one_file_error_is_reported_as_is() {
        let tmp = tempdir();
        let bad = tmp.path().join("20260102_000000_bbb.sql");
        fs::write(&bad, "").ok();
        let e = load_dir(tmp.path()).map(|_| ()).map_err(|e| e.to_string());
        assert_eq!(
            e,
            Err(format!(
                "{}: the file is empty: a migration needs a header and \"-- +upgrade\" and \"-- +downgrade\" sections",
                bad.display()
            ))
        );
    }
}
