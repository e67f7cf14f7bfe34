//! The migrations directory: every `*.sql` file directly in it is one revision.

use std::fmt;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use std::io::Read;

use crate::cache;
use crate::file::{FileError, Migration, header_complete, parse_bytes, parse_header_bytes};
use crate::graph::{Node, prefix_key};

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

/// What a path is when it is not a regular file, for messages: `a FIFO (named
/// pipe)`, `a directory`, ...; `None` for a regular file. Follows symbolic links.
pub fn not_regular(meta: &fs::Metadata) -> Option<&'static str> {
    let kind = meta.file_type();
    if kind.is_file() {
        return None;
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if kind.is_fifo() {
            return Some("a FIFO (named pipe)");
        }
        if kind.is_socket() {
            return Some("a socket");
        }
        if kind.is_char_device() {
            return Some("a character device");
        }
        if kind.is_block_device() {
            return Some("a block device");
        }
    }
    Some(if kind.is_dir() {
        "a directory"
    } else {
        "not a regular file"
    })
}

/// Checks, without opening it, that `path` is a regular file (or a symbolic link to
/// one): opening a FIFO blocks until something writes to it, and a device such as
/// `/dev/zero` never ends. The error says what the path is instead.
pub fn check_regular(path: &Path) -> io::Result<()> {
    match not_regular(&fs::metadata(path)?) {
        None => Ok(()),
        Some(kind) => Err(not_regular_error(kind)),
    }
}

fn not_regular_error(kind: &str) -> io::Error {
    io::Error::new(
        io::ErrorKind::InvalidInput,
        format!(
            "it is {kind}, not a regular file; wildebeest reads only regular files (a \
             symbolic link to one is fine)"
        ),
    )
}

/// Reads the whole file at `path` after [`check_regular`] (and checks the opened file
/// again, in case the path changed in between).
pub fn read_regular(path: &Path) -> io::Result<Vec<u8>> {
    check_regular(path)?;
    let mut file = fs::File::open(path)?;
    let meta = file.metadata()?;
    if let Some(kind) = not_regular(&meta) {
        return Err(not_regular_error(kind));
    }
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
    file.read_to_end(&mut bytes)?;
    Ok(bytes)
}

/// [`read_regular`] as UTF-8 text.
pub fn read_regular_to_string(path: &Path) -> io::Result<String> {
    String::from_utf8(read_regular(path)?).map_err(|_| {
        io::Error::new(
            io::ErrorKind::InvalidData,
            "stream did not contain valid UTF-8",
        )
    })
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
/// Other files and folders are ignored; anything named `*.sql` that is not a regular
/// file (or a link to one) is an error, as it would block or never end. Every file is parsed, and all parse
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
    collect(in_parallel(&files, read_headers)?)
}

/// [`load_headers`] with a cache of parsed headers: `cache` is what the previous call
/// returned for `dir` (or anything else: bytes that do not decode as a cache of this
/// folder are ignored), `now` the time this load starts. Files whose size, times and
/// inode are those cached are not opened. Returns the headers, exactly as
/// [`load_headers`] would, and the new cache bytes when they differ from `cache`.
///
/// A file is cached once its modification and change times are [`cache::SETTLE`]
/// older than `now`; see [`mod@cache`] for why. Files with header errors are never
/// cached, so their errors are found on every load.
pub fn load_headers_cached(
    dir: &Path,
    cache: &[u8],
    now: std::time::SystemTime,
) -> Result<(Vec<Node>, Option<Vec<u8>>), DirError> {
    #[cfg(not(unix))]
    {
        let _ = (cache, now);
        return Ok((load_headers(dir)?, None));
    }
    #[cfg(unix)]
    {
        // The cache decodes on its own thread while the folder is listed and statted.
        let (listed, old) = std::thread::scope(|scope| {
            let decoding = scope.spawn(|| cache::decode(dir, cache));
            let listed = list_stamped(dir);
            let old = decoding
                .join()
                .unwrap_or_else(|p| std::panic::resume_unwind(p));
            (listed, old)
        });
        let listed = listed?;
        let old = old.unwrap_or_default();

        // The regular files (and links to them), in name order. Indices are sorted, not
        // the entries: moving large values around costs fresh memory.
        let mut order: Vec<usize> = (0..listed.len())
            .filter(|&i| listed[i].1.is_some())
            .collect();
        sort_by_name(&mut order, |&i| listed[i].0.name.as_encoded_bytes());
        let name = |i: usize| listed[i].0.name.as_encoded_bytes();
        let stamp = |i: usize| listed[i].1.expect("only files are in `order`");

        // Headers from the cache, built straight into place by a few threads, each a
        // run of files; a file to read keeps a placeholder until it is read.
        let mut nodes: Vec<Node> = vec![Node::default(); order.len()];
        let matched = in_parallel_mut(&order, &mut nodes, |part, slots| {
            let start = part
                .first()
                .map_or(0, |&i| old.partition_point(|e| e.name < name(i)));
            let mut old = old[start..].iter().peekable();
            let mut missed = Vec::new();
            let mut used = 0;
            for (k, (&i, slot)) in part.iter().zip(slots).enumerate() {
                while old.next_if(|e| e.name < name(i)).is_some() {}
                let path = join(dir, &listed[i].0.name);
                match old.next_if(|e| e.name == name(i) && e.stamp == stamp(i)) {
                    Some(cached) => match cached.node(path) {
                        Some(node) => {
                            used += 1;
                            *slot = node;
                        }
                        None => missed.push((k, join(dir, &listed[i].0.name))),
                    },
                    None => missed.push((k, path)),
                }
            }
            (missed, used)
        });
        let mut missed: Vec<(usize, PathBuf)> = Vec::new();
        let mut used = 0;
        let mut offset = 0;
        for (part_len, (part_missed, part_used)) in matched {
            missed.extend(part_missed.into_iter().map(|(k, p)| (offset + k, p)));
            used += part_used;
            offset += part_len;
        }

        let paths: Vec<PathBuf> = missed.iter().map(|(_, p)| p.clone()).collect();
        let read = in_parallel(&paths, read_headers)?;
        let mut errors = Vec::new();
        let mut fresh = vec![false; nodes.len()];
        for ((slot, _), result) in missed.iter().zip(read) {
            match result {
                Ok(node) => {
                    fresh[*slot] = true;
                    nodes[*slot] = node;
                }
                Err(e) => errors.push(e),
            }
        }
        if !errors.is_empty() {
            return Err(DirError::Files(errors));
        }
        // A file read now is cached once its times are old enough.
        let cache_it: Vec<bool> = order
            .iter()
            .zip(&fresh)
            .map(|(&i, &fresh)| !fresh || stamp(i).settled(now))
            .collect();
        let added = fresh.iter().zip(&cache_it).any(|(&f, &c)| f && c);
        let bytes = (added || used != old.len()).then(|| {
            let entries = order
                .iter()
                .zip(&nodes)
                .zip(&cache_it)
                .filter(|(_, keep)| **keep)
                .map(|((&i, node), _)| cache::Entry {
                    name: name(i),
                    stamp: stamp(i),
                    node,
                });
            cache::encode(dir, entries)
        });
        Ok((nodes, bytes))
    }
}

/// Lists `dir` as [`list_entries`] does and stats every entry (following links):
/// `None` for what is not a regular file. On long listings a second thread stats
/// each batch of entries as soon as it is listed, and the lister joins it at the end.
#[cfg(unix)]
fn list_stamped(dir: &Path) -> Result<Vec<(Listed, Option<cache::Stamp>)>, DirError> {
    use std::sync::{Mutex, mpsc};
    type Batch = (usize, Vec<Listed>);
    type Done = (usize, Result<Vec<(Listed, Option<cache::Stamp>)>, DirError>);

    fn stat(
        dir: &Path,
        batch: Vec<Listed>,
    ) -> Result<Vec<(Listed, Option<cache::Stamp>)>, DirError> {
        batch
            .into_iter()
            .map(|l| {
                let meta = if l.symlink {
                    fs::metadata(dir.join(&l.name))
                } else {
                    l.entry.metadata()
                }
                .map_err(|e| io_error(&dir.join(&l.name))(e))?;
                if let Some(kind) = not_regular(&meta) {
                    return Err(io_error(&dir.join(&l.name))(not_regular_error(kind)));
                }
                let stamp = Some(cache::Stamp::of(&meta));
                Ok((l, stamp))
            })
            .collect()
    }
    fn work(dir: &Path, queue: &Mutex<mpsc::Receiver<Batch>>, done: &mpsc::Sender<Done>) {
        loop {
            let next = match queue.lock() {
                Ok(rx) => rx.recv(),
                Err(_) => return,
            };
            let Ok((seq, batch)) = next else { return };
            if done.send((seq, stat(dir, batch))).is_err() {
                return;
            }
        }
    }

    const BATCH: usize = 256;
    let (to_stat, queue) = mpsc::channel::<Batch>();
    let queue = Mutex::new(queue);
    let (done, results) = mpsc::channel::<Done>();
    let listing = std::thread::scope(|scope| {
        let helper = {
            let done = done.clone();
            let queue = &queue;
            scope.spawn(move || work(dir, queue, &done))
        };
        let mut seq = 0;
        let mut batch = Vec::with_capacity(BATCH);
        let listing = each_entry(dir, |listed| {
            batch.push(listed);
            if batch.len() == BATCH {
                let full = std::mem::replace(&mut batch, Vec::with_capacity(BATCH));
                // The helper only stops early if this thread is gone.
                let _ = to_stat.send((seq, full));
                seq += 1;
            }
        });
        if !batch.is_empty() {
            let _ = to_stat.send((seq, batch));
        }
        drop(to_stat);
        work(dir, &queue, &done);
        helper
            .join()
            .unwrap_or_else(|p| std::panic::resume_unwind(p));
        listing
    });
    listing?;
    drop(done);
    let mut parts: Vec<Done> = results.into_iter().collect();
    parts.sort_by_key(|(seq, _)| *seq);
    // Sized once: growing it copies every entry again into fresh memory.
    let total = parts
        .iter()
        .map(|(_, part)| part.as_ref().map_or(0, Vec::len))
        .sum();
    let mut all = Vec::with_capacity(total);
    for (_, part) in parts {
        all.extend(part?);
    }
    Ok(all)
}

/// Runs `work` on contiguous runs of `items` and the matching runs of `slots`, on a
/// few threads for long lists; returns each run's length and result, in order.
fn in_parallel_mut<T: Sync, S: Send, R: Send>(
    items: &[T],
    slots: &mut [S],
    work: impl Fn(&[T], &mut [S]) -> R + Sync,
) -> Vec<(usize, R)> {
    let threads = threads_for(items.len());
    let run = items.len().div_ceil(threads).max(1);
    if threads == 1 {
        return vec![(items.len(), work(items, slots))];
    }
    std::thread::scope(|scope| {
        let handles: Vec<_> = items
            .chunks(run)
            .zip(slots.chunks_mut(run))
            .map(|(part, slots)| {
                let work = &work;
                (part.len(), scope.spawn(move || work(part, slots)))
            })
            .collect();
        handles
            .into_iter()
            .map(|(len, h)| {
                (
                    len,
                    h.join().unwrap_or_else(|p| std::panic::resume_unwind(p)),
                )
            })
            .collect()
    })
}

/// `dir.join(name)` with one allocation (joining grows the buffer a second time).
fn join(dir: &Path, name: &std::ffi::OsStr) -> PathBuf {
    let mut path = PathBuf::with_capacity(dir.as_os_str().len() + 1 + name.len());
    path.push(dir);
    path.push(name);
    path
}

/// Sorts by the bytes `name` gives, comparing first their [`prefix_key`]s: names
/// differ early.
fn sort_by_name<'a, T: Copy>(items: &mut [T], name: impl Fn(&T) -> &'a [u8]) {
    let mut keyed: Vec<(u128, T)> = items.iter().map(|t| (prefix_key(name(t)), *t)).collect();
    keyed.sort_unstable_by(|(ka, a), (kb, b)| ka.cmp(kb).then_with(|| name(a).cmp(name(b))));
    for (slot, (_, t)) in items.iter_mut().zip(keyed) {
        *slot = t;
    }
}

/// Splits the headers that parsed from the errors; errors if any file had one.
fn collect(results: Vec<Result<Node, FileError>>) -> Result<Vec<Node>, DirError> {
    let mut nodes = Vec::with_capacity(results.len());
    let mut errors = Vec::new();
    for result in results {
        match result {
            Ok(node) => nodes.push(node),
            Err(e) => errors.push(e),
        }
    }
    if errors.is_empty() {
        Ok(nodes)
    } else {
        Err(DirError::Files(errors))
    }
}

/// Runs `work` over `items` in contiguous runs, on a few threads for long lists
/// (opening or statting a file costs more than the work on it), and concatenates the
/// results in item order.
fn in_parallel<T: Sync, R: Send>(
    items: &[T],
    work: impl Fn(&[T]) -> Result<Vec<R>, DirError> + Sync,
) -> Result<Vec<R>, DirError> {
    let threads = threads_for(items.len());
    if threads == 1 {
        return work(items);
    }
    let run = items.len().div_ceil(threads).max(1);
    let parts: Vec<Result<Vec<R>, DirError>> = std::thread::scope(|scope| {
        let handles: Vec<_> = items
            .chunks(run)
            .map(|part| scope.spawn(|| work(part)))
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_else(|p| std::panic::resume_unwind(p)))
            .collect()
    });
    let mut all = Vec::with_capacity(items.len());
    for part in parts {
        all.extend(part?);
    }
    Ok(all)
}

/// How many threads work on `n` items: one below [`PARALLEL_FROM`], else one per core
/// up to [`MAX_THREADS`].
fn threads_for(n: usize) -> usize {
    if n < PARALLEL_FROM {
        1
    } else {
        std::thread::available_parallelism().map_or(1, |c| c.get().min(MAX_THREADS))
    }
}

/// From this many files on, [`load_headers`] reads with several threads.
const PARALLEL_FROM: usize = 512;
/// At most this many threads read headers.
const MAX_THREADS: usize = 4;

/// Each file's header, or its error, in file order.
fn read_headers(files: &[PathBuf]) -> Result<Vec<Result<Node, FileError>>, DirError> {
    let mut out = Vec::with_capacity(files.len());
    // One buffer for every file: most headers fit in the first read.
    let mut buf: Vec<u8> = Vec::new();
    for path in files {
        let len = read_header(path, &mut buf).map_err(io_error(path))?;
        out.push(parse_header_bytes(path, &buf[..len]));
    }
    Ok(out)
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

/// The path is copied only when there is an error: on a long history, copying it for
/// every file that opens without one cost thousands of allocations.
fn io_error(path: &Path) -> impl FnOnce(io::Error) -> DirError + '_ {
    move |source| DirError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// The migration files of `dir`, in file name order. The file type comes from the
/// directory listing, so only symbolic links cost a `stat`.
fn list(dir: &Path) -> Result<Vec<PathBuf>, DirError> {
    let mut listed = Vec::new();
    each_entry(dir, |l| listed.push(l))?;
    let mut files = Vec::with_capacity(listed.len());
    for l in listed {
        let path = dir.join(&l.name);
        // Follows symbolic links: a linked file counts; anything else named `*.sql`
        // (a directory, a FIFO, a device) is refused, never read or passed over.
        // The listing's file type costs no `stat`; links and the rest need one.
        if !l.entry.file_type().map_err(io_error(&path))?.is_file() {
            let meta = fs::metadata(&path).map_err(io_error(&path))?;
            if let Some(kind) = not_regular(&meta) {
                return Err(io_error(&path)(not_regular_error(kind)));
            }
        }
        files.push((l.name, path));
    }
    files.sort();
    Ok(files.into_iter().map(|(_, path)| path).collect())
}

/// A directory entry that may be a migration file: not hidden, named `*.sql`.
struct Listed {
    name: std::ffi::OsString,
    entry: fs::DirEntry,
    symlink: bool,
}

/// Calls `found` with each entry of `dir` that may be a migration file, in directory
/// order, after checking that `dir` is a directory.
fn each_entry(dir: &Path, mut found: impl FnMut(Listed)) -> Result<(), DirError> {
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
        let symlink = entry
            .file_type()
            .map_err(|e| io_error(&dir.join(&name))(e))?
            .is_symlink();
        found(Listed {
            name,
            entry,
            symlink,
        });
    }
    Ok(())
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

    /// A moment long after every file was written: every file is settled.
    fn later() -> std::time::SystemTime {
        std::time::SystemTime::now() + std::time::Duration::from_secs(3600)
    }

    fn cached(
        dir: &Path,
        cache: &[u8],
        now: std::time::SystemTime,
    ) -> (Vec<Node>, Option<Vec<u8>>) {
        load_headers_cached(dir, cache, now).unwrap_or_else(|e| panic!("{e}"))
    }

    /// A chain of `n` revisions r00000, r00001, ... in `dir`.
    fn chain(dir: &Path, n: usize) -> Vec<PathBuf> {
        (0..n)
            .map(|i| {
                let parent = format!("r{:05}", i.saturating_sub(1));
                let parents: Vec<&str> = if i == 0 { vec![] } else { vec![&parent] };
                write_migration(
                    dir,
                    &format!("2026-01-01T00:00:00Z{i:05}"),
                    &format!("r{i:05}"),
                    &parents,
                )
            })
            .collect()
    }

    #[test]
    fn an_empty_folder_needs_no_cache() {
        let tmp = tempdir();
        assert_eq!(cached(tmp.path(), b"", later()), (Vec::new(), None));
    }

    #[test]
    fn the_cache_gives_what_reading_every_file_gives() {
        for n in [1, 3, PARALLEL_FROM + 5] {
            let tmp = tempdir();
            let dir = tmp.path();
            chain(dir, n);
            let plain = load_headers(dir).unwrap_or_else(|e| panic!("{e}"));
            // No cache yet: everything is read, and a cache comes back.
            let (first, cache) = cached(dir, b"", later());
            assert_eq!(first, plain);
            let cache = cache.expect("a first load writes the cache");
            // From the cache: the same headers, and nothing new to store.
            let (second, again) = cached(dir, &cache, later());
            assert_eq!(second, plain);
            assert_eq!(
                again, None,
                "{n} files: an unchanged folder rewrites nothing"
            );
            // A cache of another folder, or garbage, is ignored.
            let other = tempdir();
            let (third, _) = cached(other.path(), &cache, later());
            assert!(third.is_empty());
            let (fourth, rewritten) = cached(dir, b"not a cache", later());
            assert_eq!(fourth, plain);
            assert_eq!(rewritten.as_deref(), Some(&cache[..]));
        }
    }

    #[test]
    fn a_changed_added_or_removed_file_is_seen() {
        let tmp = tempdir();
        let dir = tmp.path();
        let files = chain(dir, 4);
        let (_, cache) = cached(dir, b"", later());
        let cache = cache.expect("written");

        // Rewritten in place with the same size: the times and the change time move.
        let text = fs::read_to_string(&files[1]).unwrap_or_else(|e| panic!("{e}"));
        let edited = text.replace("make r00001", "fix  r00001");
        assert_eq!(edited.len(), text.len());
        std::thread::sleep(std::time::Duration::from_millis(20));
        fs::write(&files[1], &edited).unwrap_or_else(|e| panic!("{e}"));
        let (nodes, new) = cached(dir, &cache, later());
        assert_eq!(nodes[1].message, "fix  r00001");
        let cache = new.expect("the edit is cached");

        // Removed and added files.
        fs::remove_file(&files[3]).unwrap_or_else(|e| panic!("{e}"));
        write_migration(dir, "2026-01-01T00:00:00Z00009", "x", &["r00002"]);
        let (nodes, new) = cached(dir, &cache, later());
        let ids: Vec<&str> = nodes.iter().map(|n| n.id.as_str()).collect();
        assert_eq!(ids, ["r00000", "r00001", "r00002", "x"]);
        assert_eq!(nodes, load_headers(dir).unwrap_or_else(|e| panic!("{e}")));
        assert!(new.is_some());
    }

    #[test]
    fn files_changed_too_recently_are_read_every_time() {
        let tmp = tempdir();
        let dir = tmp.path();
        let files = chain(dir, 2);
        // Right after writing, no file is settled: nothing to cache yet.
        let now = std::time::SystemTime::now();
        let (nodes, cache) = cached(dir, b"", now);
        assert_eq!(nodes.len(), 2);
        let cache = cache.unwrap_or_default();
        // A rewrite within the same clock tick, same size: found, because the file
        // was never cached.
        let text = fs::read_to_string(&files[0]).unwrap_or_else(|e| panic!("{e}"));
        fs::write(&files[0], text.replace("make r00000", "MAKE r00000"))
            .unwrap_or_else(|e| panic!("{e}"));
        let (nodes, _) = cached(dir, &cache, now);
        assert_eq!(nodes[0].message, "MAKE r00000");
    }

    #[test]
    fn header_errors_are_reported_and_never_cached() {
        let tmp = tempdir();
        let dir = tmp.path();
        let files = chain(dir, 3);
        fs::write(&files[1], "-- Revises:\n").unwrap_or_else(|e| panic!("{e}"));
        let Err(DirError::Files(errors)) = load_headers_cached(dir, b"", later()) else {
            panic!("expected file errors");
        };
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].path, files[1]);
        // With the other files cached, the error is still found.
        fs::remove_file(&files[1]).unwrap_or_else(|e| panic!("{e}"));
        write_migration(dir, "2026-01-01T00:00:00Z00001", "r00001", &["r00000"]);
        let (_, cache) = cached(dir, b"", later());
        assert!(cache.is_some());
        fs::write(&files[2], "-- Revision: r00002\n").unwrap_or_else(|e| panic!("{e}"));
        let Err(DirError::Files(errors)) =
            load_headers_cached(dir, &cache.unwrap_or_default(), later())
        else {
            panic!("expected file errors");
        };
        assert_eq!(errors[0].path, files[2]);
    }

    #[cfg(unix)]
    #[test]
    fn linked_files_count_and_a_linked_folder_named_sql_is_refused() {
        let tmp = tempdir();
        let dir = tmp.path().join("migrations");
        fs::create_dir(&dir).unwrap_or_else(|e| panic!("{e}"));
        let elsewhere = tmp.path().join("elsewhere");
        fs::create_dir(&elsewhere).unwrap_or_else(|e| panic!("{e}"));
        let target = write_migration(&elsewhere, "2026-01-01T00:00:00Z", "a", &[]);
        let link = dir.join(target.file_name().unwrap_or_default());
        std::os::unix::fs::symlink(&target, &link).unwrap_or_else(|e| panic!("{e}"));
        fs::create_dir(dir.join("notes")).unwrap_or_else(|e| panic!("{e}"));
        let (nodes, cache) = cached(&dir, b"", later());
        assert_eq!(nodes, load_headers(&dir).unwrap_or_else(|e| panic!("{e}")));
        assert_eq!(nodes.len(), 1);
        assert_eq!(nodes[0].path, link);
        let (again, _) = cached(&dir, &cache.unwrap_or_default(), later());
        assert_eq!(again, nodes);
        // A folder named like a migration is no migration, and not passed over.
        std::os::unix::fs::symlink(&elsewhere, dir.join("folder.sql"))
            .unwrap_or_else(|e| panic!("{e}"));
        for result in [
            load_headers(&dir).map(|_| ()),
            load_dir(&dir).map(|_| ()),
            load_headers_cached(&dir, b"", later()).map(|_| ()),
        ] {
            let e = result.err().map(|e| e.to_string()).unwrap_or_default();
            assert!(
                e.contains("folder.sql") && e.contains("a directory, not a regular file"),
                "{e}"
            );
        }
    }

    #[cfg(unix)]
    #[test]
    fn a_fifo_named_sql_is_refused_without_being_opened() {
        let tmp = tempdir();
        let dir = tmp.path();
        write_migration(dir, "2026-01-01T00:00:00Z", "a", &[]);
        let fifo = dir.join("2026_fifo.sql");
        let made = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap_or_else(|e| panic!("mkfifo: {e}"));
        assert!(made.success());
        // Opening the FIFO would block this test forever.
        for result in [
            load_headers(dir).map(|_| ()),
            load_dir(dir).map(|_| ()),
            load_headers_cached(dir, b"", later()).map(|_| ()),
        ] {
            let e = result.err().map(|e| e.to_string()).unwrap_or_default();
            assert!(
                e.contains("2026_fifo.sql") && e.contains("a FIFO (named pipe)"),
                "{e}"
            );
        }
        let e = read_regular(&fifo).err().map(|e| e.to_string());
        assert!(e.unwrap_or_default().contains("FIFO"));
        let e = read_regular(Path::new("/dev/zero"))
            .err()
            .map(|e| e.to_string());
        assert!(e.unwrap_or_default().contains("a character device"));
    }
}
