//! A cache of parsed headers, so that the graph of a long history is built without
//! opening every file: [`load_headers_cached`] stats the migration files, takes the
//! header of every file whose stamp (size, modification and change times, inode,
//! device) equals the one cached, and reads only the others.
//!
//! The cache is bytes the caller stores where it likes: this module does no IO on it
//! and reads no clock (the caller passes the time the load started).
//!
//! A file is cached only once its stamp is [`SETTLE`] older than that time. A
//! filesystem keeps times at a coarse granularity (a clock tick, one or two seconds on
//! some), so a file rewritten right after it was read may keep the time it had; such
//! a file is read again on every load until its times are old enough that any later
//! change must show. The change time cannot be set by `touch` or `tar`, so a file
//! replaced by another with the same size and a restored modification time is read
//! again too. A cache that does not decode (another format, another version, another
//! folder, a damaged file) is ignored and rewritten.

use std::path::Path;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use crate::graph::Node;

/// How old a file's times must be before its header is cached.
pub const SETTLE: Duration = Duration::from_secs(3);

/// The first bytes of a cache; the number after them is the layout's version, also
/// raised when the rules that accept a header change (2: misspelt keys are errors; 3:
/// `current` is a reserved id and label).
const MAGIC: &[u8] = b"wildebeest header cache\n";
const FORMAT: u32 = 3;

/// What tells one version of a file from another without reading it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Stamp {
    pub(crate) size: u64,
    /// Nanoseconds since the Unix epoch (negative before it).
    pub(crate) modified: i128,
    pub(crate) changed: i128,
    pub(crate) inode: u64,
    pub(crate) device: u64,
}

impl Stamp {
    #[cfg(unix)]
    pub(crate) fn of(meta: &std::fs::Metadata) -> Stamp {
        use std::os::unix::fs::MetadataExt;
        let ns = |s: i64, n: i64| i128::from(s) * 1_000_000_000 + i128::from(n);
        Stamp {
            size: meta.size(),
            modified: ns(meta.mtime(), meta.mtime_nsec()),
            changed: ns(meta.ctime(), meta.ctime_nsec()),
            inode: meta.ino(),
            device: meta.dev(),
        }
    }

    /// Whether both times are at least [`SETTLE`] before `now`.
    pub(crate) fn settled(&self, now: SystemTime) -> bool {
        let now = match now.duration_since(UNIX_EPOCH) {
            Ok(d) => i128::try_from(d.as_nanos()).unwrap_or(i128::MAX),
            Err(_) => return false,
        };
        let limit = now - SETTLE.as_nanos() as i128;
        self.modified < limit && self.changed < limit
    }
}

/// One file to cache: its name in the folder, its stamp, its header.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Entry<'a> {
    pub(crate) name: &'a [u8],
    pub(crate) stamp: Stamp,
    pub(crate) node: &'a Node,
}

/// One file in a decoded cache: its name, its stamp, and its header still encoded
/// (checked already: [`Cached::node`] decodes it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Cached<'a> {
    pub(crate) name: &'a [u8],
    pub(crate) stamp: Stamp,
    node: &'a [u8],
}

impl Cached<'_> {
    /// The header, with `path` as its path. `None` only if the bytes were changed
    /// after [`decode`] checked them, which they cannot be.
    pub(crate) fn node(&self, path: std::path::PathBuf) -> Option<Node> {
        let mut r = Reader(self.node);
        let id = r.str()?.to_owned();
        let parents = r.strs()?;
        let message = r.str()?.to_owned();
        let created = match r.u8()? {
            0 => None,
            1 => Some(r.str()?.to_owned()),
            _ => return None,
        };
        let branch_labels = r.strs()?;
        let depends_on = r.strs()?;
        let depends_on_line = match r.u64()? {
            u64::MAX => None,
            l => Some(usize::try_from(l).ok()?),
        };
        Some(Node {
            id,
            parents,
            path,
            message,
            created,
            branch_labels,
            depends_on,
            depends_on_line,
        })
    }
}

/// Encodes the entries (in file name order) of the folder `dir`.
pub(crate) fn encode<'a>(dir: &Path, entries: impl Iterator<Item = Entry<'a>>) -> Vec<u8> {
    let entries: Vec<Entry<'a>> = entries.collect();
    let mut w = Writer(Vec::with_capacity(64 + entries.len() * 160));
    w.0.extend_from_slice(MAGIC);
    w.u32(FORMAT);
    w.bytes(env!("CARGO_PKG_VERSION").as_bytes());
    w.bytes(dir.as_os_str().as_encoded_bytes());
    w.u64(entries.len() as u64);
    for e in &entries {
        w.bytes(e.name);
        w.u64(e.stamp.size);
        w.i128(e.stamp.modified);
        w.i128(e.stamp.changed);
        w.u64(e.stamp.inode);
        w.u64(e.stamp.device);
        let n = e.node;
        w.bytes(n.id.as_bytes());
        w.strs(&n.parents);
        w.bytes(n.message.as_bytes());
        match &n.created {
            Some(c) => {
                w.0.push(1);
                w.bytes(c.as_bytes());
            }
            None => w.0.push(0),
        }
        w.strs(&n.branch_labels);
        w.strs(&n.depends_on);
        w.u64(n.depends_on_line.map_or(u64::MAX, |l| l as u64));
    }
    let sum = fnv(&w.0);
    w.u64(sum);
    w.0
}

/// Decodes a cache written by [`encode`] for the folder `dir` by this version of
/// wildebeest; `None` for anything else. Checks every header without building it, so
/// that only the headers used cost their allocations. Never panics, whatever the bytes.
pub(crate) fn decode<'a>(dir: &Path, bytes: &'a [u8]) -> Option<Vec<Cached<'a>>> {
    let (body, sum) = bytes.split_at_checked(bytes.len().checked_sub(8)?)?;
    if fnv(body) != u64::from_le_bytes(sum.try_into().ok()?) {
        return None;
    }
    let mut r = Reader(body.strip_prefix(MAGIC)?);
    if r.u32()? != FORMAT
        || r.bytes()? != env!("CARGO_PKG_VERSION").as_bytes()
        || r.bytes()? != dir.as_os_str().as_encoded_bytes()
    {
        return None;
    }
    let count = usize::try_from(r.u64()?).ok()?;
    // Each entry takes more than 64 bytes, so a damaged count cannot reserve much.
    let mut entries = Vec::with_capacity(count.min(r.0.len() / 64));
    for _ in 0..count {
        let name = r.bytes()?;
        let stamp = Stamp {
            size: r.u64()?,
            modified: r.i128()?,
            changed: r.i128()?,
            inode: r.u64()?,
            device: r.u64()?,
        };
        let start = r.0;
        r.str()?;
        r.skip_strs()?;
        r.str()?;
        match r.u8()? {
            0 => {}
            1 => {
                r.str()?;
            }
            _ => return None,
        }
        r.skip_strs()?;
        r.skip_strs()?;
        let line = r.u64()?;
        if line != u64::MAX {
            usize::try_from(line).ok()?;
        }
        let node = &start[..start.len() - r.0.len()];
        entries.push(Cached { name, stamp, node });
    }
    r.0.is_empty().then_some(entries)
}

/// FNV-1a over 8-byte words (the tail zero-padded): catches a damaged cache, cheaply.
fn fnv(bytes: &[u8]) -> u64 {
    const PRIME: u64 = 0x0000_0100_0000_01b3;
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325 ^ bytes.len() as u64;
    let mut words = bytes.chunks_exact(8);
    for word in &mut words {
        let mut w = [0u8; 8];
        w.copy_from_slice(word);
        hash = (hash ^ u64::from_le_bytes(w)).wrapping_mul(PRIME);
    }
    let mut tail = [0u8; 8];
    tail[..words.remainder().len()].copy_from_slice(words.remainder());
    hash = (hash ^ u64::from_le_bytes(tail)).wrapping_mul(PRIME);
    hash ^ (hash >> 29)
}

struct Writer(Vec<u8>);

impl Writer {
    fn u32(&mut self, v: u32) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }
    fn u64(&mut self, v: u64) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }
    fn i128(&mut self, v: i128) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }
    fn bytes(&mut self, b: &[u8]) {
        self.u32(u32::try_from(b.len()).unwrap_or(u32::MAX));
        self.0
            .extend_from_slice(&b[..b.len().min(u32::MAX as usize)]);
    }
    fn strs(&mut self, v: &[String]) {
        self.u32(u32::try_from(v.len()).unwrap_or(u32::MAX));
        for s in v.iter().take(u32::MAX as usize) {
            self.bytes(s.as_bytes());
        }
    }
}

struct Reader<'a>(&'a [u8]);

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let (head, rest) = self.0.split_at_checked(n)?;
        self.0 = rest;
        Some(head)
    }
    fn u8(&mut self) -> Option<u8> {
        Some(self.take(1)?[0])
    }
    fn u32(&mut self) -> Option<u32> {
        Some(u32::from_le_bytes(self.take(4)?.try_into().ok()?))
    }
    fn u64(&mut self) -> Option<u64> {
        Some(u64::from_le_bytes(self.take(8)?.try_into().ok()?))
    }
    fn i128(&mut self) -> Option<i128> {
        Some(i128::from_le_bytes(self.take(16)?.try_into().ok()?))
    }
    fn bytes(&mut self) -> Option<&'a [u8]> {
        let n = usize::try_from(self.u32()?).ok()?;
        self.take(n)
    }
    fn str(&mut self) -> Option<&'a str> {
        std::str::from_utf8(self.bytes()?).ok()
    }
    fn skip_strs(&mut self) -> Option<()> {
        let n = self.u32()?;
        for _ in 0..n {
            self.str()?;
        }
        Some(())
    }
    fn strs(&mut self) -> Option<Vec<String>> {
        let n = usize::try_from(self.u32()?).ok()?;
        let mut v = Vec::with_capacity(n.min(self.0.len() / 4));
        for _ in 0..n {
            v.push(self.str()?.to_owned());
        }
        Some(v)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stamp() -> Stamp {
        Stamp {
            size: 120,
            modified: 1_700_000_000_123_456_789,
            changed: -5,
            inode: 42,
            device: 7,
        }
    }

    fn node(id: &str, parents: &[&str]) -> Node {
        Node {
            id: id.into(),
            parents: parents.iter().map(|p| p.to_string()).collect(),
            path: Default::default(),
            message: "add ünïcode".into(),
            created: Some("2026-11-22T08:00:00Z".into()),
            branch_labels: vec!["billing".into()],
            depends_on: vec!["aaa".into(), "bbb".into()],
            depends_on_line: Some(6),
        }
    }

    fn encode_all(dir: &Path, files: &[(&str, Node)]) -> Vec<u8> {
        encode(
            dir,
            files.iter().map(|(name, node)| Entry {
                name: name.as_bytes(),
                stamp: stamp(),
                node,
            }),
        )
    }

    #[test]
    fn round_trip() {
        let dir = Path::new("/p/migrations");
        let mut second = node("b", &["a"]);
        second.created = None;
        second.depends_on_line = None;
        second.branch_labels.clear();
        let files = [("a.sql", node("a", &[])), ("b.sql", second)];
        let bytes = encode_all(dir, &files);
        let decoded = decode(dir, &bytes).expect("decodes");
        assert_eq!(decoded.len(), 2);
        for (cached, (name, node)) in decoded.iter().zip(&files) {
            assert_eq!(cached.name, name.as_bytes());
            assert_eq!(cached.stamp, stamp());
            let path = Path::new("/p/migrations").join(name);
            let expected = Node {
                path: path.clone(),
                ..node.clone()
            };
            assert_eq!(cached.node(path), Some(expected));
        }
        // Deterministic.
        assert_eq!(encode_all(dir, &files), bytes);
        assert_eq!(decode(dir, &encode_all(dir, &[])), Some(Vec::new()));
    }

    #[test]
    fn another_folder_or_any_damage_is_ignored() {
        let dir = Path::new("/p/migrations");
        let bytes = encode_all(
            dir,
            &[("a.sql", node("a", &[])), ("b.sql", node("b", &["a"]))],
        );
        assert_eq!(decode(Path::new("/q/migrations"), &bytes), None);
        for cut in 0..bytes.len() {
            assert_eq!(decode(dir, &bytes[..cut]), None, "cut at {cut}");
        }
        for at in 0..bytes.len() {
            let mut damaged = bytes.clone();
            damaged[at] ^= 0x10;
            assert_eq!(decode(dir, &damaged), None, "byte {at} flipped");
        }
        assert_eq!(decode(dir, b""), None);
    }

    #[test]
    fn garbage_with_a_valid_checksum_does_not_panic() {
        // Lengths and counts that point past the end, with the checksum made to fit.
        let dir = Path::new("d");
        let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
        for len in 0..400 {
            let mut body = MAGIC.to_vec();
            body.extend_from_slice(&FORMAT.to_le_bytes());
            let v = env!("CARGO_PKG_VERSION").as_bytes();
            body.extend_from_slice(&(v.len() as u32).to_le_bytes());
            body.extend_from_slice(v);
            body.extend_from_slice(&1u32.to_le_bytes());
            body.push(b'd');
            for _ in 0..len {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                // Small numbers often, so lengths and counts are sometimes in range.
                body.push(match seed % 3 {
                    0 => (seed >> 8) as u8,
                    _ => (seed % 4) as u8,
                });
            }
            let sum = fnv(&body);
            body.extend_from_slice(&sum.to_le_bytes());
            for cached in decode(dir, &body).unwrap_or_default() {
                // What decode accepted always builds.
                assert!(cached.node(Default::default()).is_some());
            }
        }
    }

    #[test]
    fn settled_means_both_times_old_enough() {
        let at = |secs: u64| UNIX_EPOCH + Duration::from_secs(secs);
        let stamp = |m: i128, c: i128| Stamp {
            size: 0,
            modified: m * 1_000_000_000,
            changed: c * 1_000_000_000,
            inode: 0,
            device: 0,
        };
        assert!(stamp(100, 100).settled(at(104)));
        assert!(!stamp(100, 100).settled(at(103)));
        assert!(!stamp(100, 102).settled(at(104)));
        assert!(!stamp(102, 100).settled(at(104)));
        // A file from the future is never settled.
        assert!(!stamp(200, 200).settled(at(104)));
    }
}
