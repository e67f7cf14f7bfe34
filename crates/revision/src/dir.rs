//! The migrations directory: every `*.sql` file directly in it is one revision.

use std::fmt;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use std::io::Read;

use crate::file::{FileError, Migration, header_complete, parse_bytes, parse_header_bytes};
use crate::graph::Node;

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
    let files = list(dir)?;
    let mut migrations = Vec::with_capacity(files.len());
    let mut errors = Vec::new();
    for path in files {
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

/// Reads only the headers of the migrations in `dir` (the files [`load_dir`] reads),
/// for commands that need the revision graph but not the SQL: each file is read up to
/// the end of its header block, and no checksum is computed. Header errors are
/// reported as [`load_dir`] reports them; errors in the sections are not looked for.
pub fn load_headers(dir: &Path) -> Result<Vec<Node>, DirError> {
    let files = list(dir)?;
    // Opening a file costs more than parsing its header, so long histories are read
    // by a few threads, each a contiguous run of files (the order stays file order).
    let threads = if files.len() < PARALLEL_FROM {
        1
    } else {
        std::thread::available_parallelism().map_or(1, |n| n.get().min(MAX_THREADS))
    };
    let run = files.len().div_ceil(threads).max(1);
    let parts: Vec<Result<Headers, DirError>> = if threads == 1 {
        vec![read_headers(&files)]
    } else {
        std::thread::scope(|scope| {
            let handles: Vec<_> = files
                .chunks(run)
                .map(|part| scope.spawn(move || read_headers(part)))
                .collect();
            handles
                .into_iter()
                .map(|h| h.join().unwrap_or_else(|p| std::panic::resume_unwind(p)))
                .collect()
        })
    };
    let mut nodes = Vec::with_capacity(files.len());
    let mut errors = Vec::new();
    for part in parts {
        let (n, e) = part?;
        nodes.extend(n);
        errors.extend(e);
    }
    if errors.is_empty() {
        Ok(nodes)
    } else {
        Err(DirError::Files(errors))
    }
}

/// From this many files on, [`load_headers`] reads with several threads.
const PARALLEL_FROM: usize = 512;
/// At most this many threads read headers.
const MAX_THREADS: usize = 4;

/// The headers that parsed and the errors of those that did not, in file order.
type Headers = (Vec<Node>, Vec<FileError>);

fn read_headers(files: &[PathBuf]) -> Result<Headers, DirError> {
    let mut nodes = Vec::with_capacity(files.len());
    let mut errors = Vec::new();
    // One buffer for every file: most headers fit in the first read.
    let mut buf: Vec<u8> = Vec::new();
    for path in files {
        let len = read_header(path, &mut buf).map_err(io_error(path))?;
        match parse_header_bytes(path, &buf[..len]) {
            Ok(node) => nodes.push(node),
            Err(e) => errors.push(e),
        }
    }
    Ok((nodes, errors))
}

/// How much of a file is read at a time when only its header is wanted.
const CHUNK: usize = 4096;

/// Reads the start of the file at `path` into `buf` (replacing what it held): up to
/// the line that ends the header block, or the whole file if there is none. `buf`
/// keeps its size between files, so it is zeroed once, not per file.
fn read_header(path: &Path, buf: &mut Vec<u8>) -> io::Result<usize> {
    let mut file = fs::File::open(path)?;
    let mut filled = 0;
    loop {
        if buf.len() < filled + CHUNK {
            buf.resize(filled + CHUNK, 0);
        }
        let n = loop {
            match file.read(&mut buf[filled..]) {
                Ok(n) => break n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            }
        };
        filled += n;
        if n == 0 || header_complete(&buf[..filled]) {
            return Ok(filled);
        }
    }
}

fn io_error(path: &Path) -> impl FnOnce(io::Error) -> DirError + use<> {
    let path = path.to_path_buf();
    move |source| DirError::Io { path, source }
}

/// The migration files of `dir`, in file name order. The file type comes from the
/// directory listing, so only symbolic links cost a `stat`.
fn list(dir: &Path) -> Result<Vec<PathBuf>, DirError> {
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
        let hidden = name.as_encoded_bytes().first() == Some(&b'.');
        let sql = Path::new(&name)
            .extension()
            .is_some_and(|ext| ext.eq_ignore_ascii_case("sql"));
        if hidden || !sql {
            continue;
        }
        let path = entry.path();
        let file_type = entry.file_type().map_err(io_error(&path))?;
        // Follows symbolic links, so a linked file counts and a linked directory not.
        let is_file = if file_type.is_symlink() {
            fs::metadata(&path).map_err(io_error(&path))?.is_file()
        } else {
            file_type.is_file()
        };
        if is_file {
            files.push((name, path));
        }
    }
    files.sort();
    Ok(files.into_iter().map(|(_, path)| path).collect())
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

    #[test]
    fn headers_are_those_of_the_whole_files() {
        let tmp = tempdir();
        let dir = tmp.path();
        write_migration(dir, "2026-01-01T00:00:00Z", "aaa", &[]);
        write_migration(dir, "2026-01-02T00:00:00Z", "bbb", &["aaa"]);
        // A header longer than one read.
        let long = "x".repeat(3 * CHUNK);
        let path = dir.join("20260103_000000_ccc.sql");
        fs::write(
            &path,
            format!("-- Revision: ccc\n-- Revises: bbb\n-- Message: {long}\n\n-- +upgrade\n-- +downgrade\n"),
        )
        .ok();
        let full = load_dir(dir).unwrap_or_else(|e| panic!("{e}"));
        let headers = load_headers(dir).unwrap_or_else(|e| panic!("{e}"));
        let from_full: Vec<Node> = full.iter().map(Node::from).collect();
        assert_eq!(headers, from_full);
        assert_eq!(headers[2].message, long);
    }

    #[test]
    fn headers_of_many_files_keep_file_order_and_report_errors_in_order() {
        let tmp = tempdir();
        let dir = tmp.path();
        let n = PARALLEL_FROM + 37;
        for i in 0..n {
            let id = format!("r{i:05}");
            let parent = format!("r{:05}", i.saturating_sub(1));
            let parents: Vec<&str> = if i == 0 { vec![] } else { vec![&parent] };
            write_migration(dir, &format!("2026-01-01T00:00:00Z{i:05}"), &id, &parents);
        }
        let headers = load_headers(dir).unwrap_or_else(|e| panic!("{e}"));
        let ids: Vec<String> = headers.iter().map(|h| h.id.clone()).collect();
        let expected: Vec<String> = (0..n).map(|i| format!("r{i:05}")).collect();
        assert_eq!(ids, expected);

        // Two bad headers far apart: both reported, in file order; a bad section is not
        // looked for.
        let files = list(dir).unwrap_or_else(|e| panic!("{e}"));
        fs::write(&files[n - 1], "-- Revision: zzz\n").ok();
        fs::write(&files[3], "-- Revises:\n").ok();
        fs::write(&files[5], "-- Revision: r00005\n-- Revises: r00004\n").ok();
        let Err(DirError::Files(errors)) = load_headers(dir) else {
            panic!("expected file errors");
        };
        let paths: Vec<&Path> = errors.iter().map(|e| e.path.as_path()).collect();
        assert_eq!(paths, [files[3].as_path(), files[n - 1].as_path()]);
    }
}
