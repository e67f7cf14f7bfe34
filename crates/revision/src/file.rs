//! One migration file: its header, its upgrade and downgrade sections, its name.
//!
//! ```text
//! -- wildebeest revision
//! -- Revision: 3f2a9c1b7d04
//! -- Revises: 1a2b3c4d5e6f
//! -- Message: add Department
//! -- Created: 2026-11-22T02:20:44Z
//!
//! -- +upgrade
//! CREATE TABLE department (id INTEGER PRIMARY KEY);
//!
//! -- +downgrade
//! DROP TABLE department;
//! ```
//!
//! The header is the leading block of `-- Key: value` lines (after an optional
//! `-- wildebeest revision` banner), ended by the first line that is not a comment,
//! usually a blank line. Keys are case-insensitive; keys this version does not know are
//! kept in [`Migration::headers`]. After the header, blank lines and free comments may
//! come before the `-- +upgrade` marker; SQL may not.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use crate::checksum::{checksum, hex, split_lines};
use crate::graph::Node;

/// The marker line that starts the upgrade section.
pub const UPGRADE_MARKER: &str = "-- +upgrade";
/// The marker line that starts the downgrade section.
pub const DOWNGRADE_MARKER: &str = "-- +downgrade";
/// The first line of a rendered file. Optional when parsing.
pub const BANNER: &str = "-- wildebeest revision";
/// What [`render`] writes into a section that has no statements, so users see where
/// to write theirs.
pub const NOTHING_TO_DO: &str = "-- (nothing to do)";
/// The longest revision id accepted.
pub const MAX_ID_LEN: usize = 64;
/// The longest slug [`file_name`] derives from a message.
pub const MAX_SLUG_LEN: usize = 40;
/// Words that name targets (`upgrade head`), so they cannot be revision ids.
pub const RESERVED_IDS: [&str; 4] = ["head", "heads", "base", "current"];

/// One section of a migration: the text between its marker and the next marker (or
/// the end of the file).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    /// The section's lines, each ended by `\n` whatever the file's line endings.
    pub text: String,
    /// The 1-based line in the file of the first line of `text` (the line after the
    /// marker), so errors in a statement can point into the file.
    pub first_line: usize,
}

/// A parsed migration file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Migration {
    /// The file it was parsed from, as given to [`parse`].
    pub path: PathBuf,
    /// The `Revision:` header.
    pub id: String,
    /// The `Revises:` header: none for a base, several for a merge, in file order.
    pub parents: Vec<String>,
    /// The `Message:` header, unescaped (empty when absent).
    pub message: String,
    /// The `Created:` header, unescaped, when present.
    pub created: Option<String>,
    /// The `Branch-Labels:` header: the labels this revision gives its branch.
    pub branch_labels: Vec<String>,
    /// The `Depends-On:` header: revisions (usually on other branches) that must be
    /// applied before this one, though they are not its parents.
    pub depends_on: Vec<String>,
    /// The line of the `Depends-On:` header, for errors about it.
    pub depends_on_line: Option<usize>,
    /// Every other header, by lower-case key, with its value as written (trimmed).
    pub headers: BTreeMap<String, String>,
    /// The `-- +upgrade` section.
    pub upgrade: Section,
    /// The `-- +downgrade` section.
    pub downgrade: Section,
    /// The [`checksum`](crate::checksum()) of the whole file.
    pub checksum: String,
}

/// What [`render`] turns into the text of a new migration file.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct NewMigration {
    /// A valid revision id (see [`is_valid_id`]), usually from [`new_revision_id`].
    pub id: String,
    /// The revisions this one revises: none for the first, several for a merge.
    pub parents: Vec<String>,
    /// Any text; newlines and other control characters are escaped in the file.
    pub message: String,
    /// The creation time as RFC 3339 UTC, e.g. `2026-11-22T02:20:44Z`, passed in so
    /// rendering stays deterministic.
    pub created: String,
    /// SQL statements, without their trailing `;`.
    pub upgrade: Vec<String>,
    /// SQL statements, without their trailing `;`.
    pub downgrade: Vec<String>,
    /// More header lines after `Created`, in order, e.g. `("Dialect", "sqlite")`.
    pub extra_headers: Vec<(String, String)>,
}

/// Why a migration file could not be parsed, with the file and (when it is about one
/// line) the 1-based line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileError {
    /// The file, as given to [`parse`].
    pub path: PathBuf,
    /// The 1-based line the error is about, if it is about one.
    pub line: Option<usize>,
    /// What is wrong.
    pub kind: FileErrorKind,
}

impl fmt::Display for FileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{}: {}", self.path.display(), line, self.kind),
            None => write!(f, "{}: {}", self.path.display(), self.kind),
        }
    }
}

impl std::error::Error for FileError {}

/// What is wrong with a migration file. The Display is the part of the message after
/// `file:line: `.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum FileErrorKind {
    /// The bytes are not UTF-8; the line is that of the first bad byte.
    #[error("the file is not valid UTF-8: migrations are UTF-8 text")]
    InvalidUtf8,
    /// Nothing but white space (or a BOM).
    #[error(
        "the file is empty: a migration needs a header and \"-- +upgrade\" and \"-- +downgrade\" sections"
    )]
    Empty,
    /// A line in the header block that is not `-- Key: value`.
    #[error("malformed header line \"{text}\": expected \"-- Key: value\"")]
    MalformedHeader {
        /// The line, trimmed (and shortened when long).
        text: String,
    },
    /// The same key twice in the header.
    #[error("duplicate \"-- {key}:\" header (the first is on line {first_line})")]
    DuplicateHeader {
        /// The key as written the second time.
        key: String,
        /// Where the first one is.
        first_line: usize,
    },
    /// A header key one or two letters away from one wildebeest reads (`Revisses`,
    /// `Depends_On`): as written it would be ignored, losing what it says.
    #[error("\"-- {key}:\" is not a header wildebeest reads; did you mean \"-- {known}:\"?")]
    MisspeltHeader {
        /// The key as written.
        key: String,
        /// The header it resembles.
        known: &'static str,
    },
    /// A required header is absent.
    #[error("\"-- {key}:\" header is missing: {}", missing_hint(key))]
    MissingHeader {
        /// `Revision` or `Revises`.
        key: &'static str,
    },
    /// A revision id with characters other than ASCII letters, digits and `_`, or
    /// empty, or longer than [`MAX_ID_LEN`].
    #[error(
        "invalid revision id \"{id}\" in the \"-- {header}:\" header: an id is 1 to 64 ASCII letters, digits or underscores"
    )]
    InvalidId {
        /// `Revision` or `Revises`.
        header: &'static str,
        /// The id as written.
        id: String,
    },
    /// One of [`RESERVED_IDS`] used as a revision id.
    #[error("revision id \"{id}\" is reserved: head, heads, base and current name targets")]
    ReservedId {
        /// The id as written.
        id: String,
    },
    /// `Revises:` or `Depends-On:` names a revision twice.
    #[error("the \"-- {header}:\" header names {id} twice")]
    DuplicateParent {
        /// `Revises` or `Depends-On`.
        header: &'static str,
        /// The repeated id.
        id: String,
    },
    /// A branch label that is not 1 to 64 ASCII letters, digits or `_`, or is one of
    /// [`RESERVED_IDS`].
    #[error(
        "invalid branch label \"{label}\" in the \"-- Branch-Labels:\" header: a label is 1 to 64 ASCII letters, digits or underscores, and not head, heads, base or current"
    )]
    InvalidLabel {
        /// The label as written.
        label: String,
    },
    /// `Branch-Labels:` names a label twice.
    #[error("the \"-- Branch-Labels:\" header names {label} twice")]
    DuplicateLabel {
        /// The repeated label.
        label: String,
    },
    /// A marker is absent, and a line looks like a misspelling of it (`-- +upgrad`).
    #[error(
        "\"{text}\" is not a marker; did you mean \"{marker}\"? (every migration needs an upgrade and a downgrade section)"
    )]
    MisspeltMarker {
        /// The line, trimmed (and shortened when long).
        text: String,
        /// The marker it resembles.
        marker: &'static str,
    },
    /// A marker is absent.
    #[error("no \"{marker}\" marker: every migration needs an upgrade and a downgrade section")]
    MissingMarker {
        /// [`UPGRADE_MARKER`] or [`DOWNGRADE_MARKER`].
        marker: &'static str,
    },
    /// A marker appears twice.
    #[error(
        "second \"{marker}\" marker (the first is on line {first_line}): each marker appears exactly once"
    )]
    DuplicateMarker {
        /// [`UPGRADE_MARKER`] or [`DOWNGRADE_MARKER`].
        marker: &'static str,
        /// Where the first one is.
        first_line: usize,
    },
    /// The downgrade marker comes first.
    #[error(
        "\"-- +downgrade\" comes before \"-- +upgrade\" (line {upgrade_line}): the upgrade section comes first"
    )]
    MarkersOutOfOrder {
        /// Where the upgrade marker is.
        upgrade_line: usize,
    },
    /// A line that starts like a marker but has more text after it.
    #[error("\"{text}\" is not a marker: \"{marker}\" must be alone on its line")]
    MarkerNotAlone {
        /// The line, trimmed (and shortened when long).
        text: String,
        /// The marker it resembles.
        marker: &'static str,
    },
    /// SQL between the header and the upgrade marker, where nobody would run it.
    #[error(
        "SQL before the \"-- +upgrade\" marker: statements belong in the upgrade or downgrade section"
    )]
    SqlBeforeUpgrade,
    /// A header value with a raw control character (a NUL byte, an escape, ...), which
    /// would end up in the version history and in terminals as it is.
    #[error(
        "the \"-- {key}:\" header contains the control character U+{code:04X}: write it escaped (\\u{{{code:x}}}) or remove it"
    )]
    ControlCharacter {
        /// The key as written.
        key: String,
        /// The character's code point.
        code: u32,
    },
    /// The id in the file name is not the one in the header.
    #[error(
        "the file name says revision \"{name_id}\" but the \"-- Revision:\" header says \"{header_id}\": rename the file or fix the header"
    )]
    NameMismatch {
        /// What stands where the id belongs in the file name.
        name_id: String,
        /// The `Revision:` header.
        header_id: String,
    },
}

fn missing_hint(key: &str) -> &'static str {
    if key.eq_ignore_ascii_case("Revises") {
        "write it with nothing after the colon for a first revision"
    } else {
        "every migration names its revision id in its header"
    }
}

/// Whether `id` can be a revision id: 1 to [`MAX_ID_LEN`] ASCII letters, digits and
/// underscores, and not one of [`RESERVED_IDS`].
pub fn is_valid_id(id: &str) -> bool {
    id_syntax_ok(id) && !RESERVED_IDS.contains(&id)
}

fn id_syntax_ok(id: &str) -> bool {
    (1..=MAX_ID_LEN).contains(&id.len())
        && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
}

/// A new revision id: the 6 random bytes (passed in, so this stays deterministic) as
/// 12 lower-case hex digits.
pub fn new_revision_id(random: [u8; 6]) -> String {
    hex(&random)
}

/// The file name for a new migration: `{YYYYMMDD_HHMMSS}_{id}_{slug}.sql`, or
/// `{YYYYMMDD_HHMMSS}_{id}.sql` when the slug is empty.
///
/// The timestamp takes the first 14 digits of `created_rfc3339` (pass UTC), padded with
/// zeros if there are fewer. The slug is `message` in lower-case ASCII letters and
/// digits, every other run of characters one `_`, trimmed of `_`, at most
/// [`MAX_SLUG_LEN`] characters. `id` is used as given: pass a valid id.
pub fn file_name(created_rfc3339: &str, id: &str, message: &str) -> String {
    let mut digits: String = created_rfc3339
        .chars()
        .filter(char::is_ascii_digit)
        .take(14)
        .collect();
    while digits.len() < 14 {
        digits.push('0');
    }
    let (date, time) = digits.split_at(8);
    let slug = slug(message);
    if slug.is_empty() {
        format!("{date}_{time}_{id}.sql")
    } else {
        format!("{date}_{time}_{id}_{slug}.sql")
    }
}

fn slug(message: &str) -> String {
    let mut slug = String::new();
    let mut gap = false;
    for c in message.chars() {
        if c.is_ascii_alphanumeric() {
            if gap && !slug.is_empty() {
                slug.push('_');
            }
            gap = false;
            slug.push(c.to_ascii_lowercase());
            if slug.len() >= MAX_SLUG_LEN {
                break;
            }
        } else {
            gap = true;
        }
    }
    // Only ASCII was pushed, so any byte index is a character boundary.
    slug.truncate(MAX_SLUG_LEN);
    let end = slug.trim_end_matches('_').len();
    slug.truncate(end);
    slug
}

/// The text of a new migration file. Each statement gets a `;` and statements are
/// separated by a blank line; an empty section gets [`NOTHING_TO_DO`].
/// `parse(path, &render(new))` gives back `new`'s id, parents, message and created.
///
/// Statements are written as given (trimmed); a statement that itself contains a marker
/// line would not parse back, which the caller (who generated the SQL) rules out.
pub fn render(new: &NewMigration) -> String {
    let mut out = String::new();
    out.push_str(BANNER);
    out.push('\n');
    header_line(&mut out, "Revision", &new.id);
    header_line(&mut out, "Revises", &new.parents.join(", "));
    header_line(&mut out, "Message", &escape(&new.message));
    header_line(&mut out, "Created", &escape(&new.created));
    for (key, value) in &new.extra_headers {
        header_line(&mut out, key, &escape(value));
    }
    out.push('\n');
    out.push_str(UPGRADE_MARKER);
    out.push('\n');
    section(&mut out, &new.upgrade);
    out.push('\n');
    out.push_str(DOWNGRADE_MARKER);
    out.push('\n');
    section(&mut out, &new.downgrade);
    out
}

fn header_line(out: &mut String, key: &str, value: &str) {
    out.push_str("-- ");
    out.push_str(key);
    out.push(':');
    // No trailing space after an empty value: editors strip it anyway.
    if !value.is_empty() {
        out.push(' ');
        out.push_str(value);
    }
    out.push('\n');
}

fn section(out: &mut String, statements: &[String]) {
    let mut first = true;
    for statement in statements {
        let statement = statement.trim();
        if statement.is_empty() {
            continue;
        }
        if !first {
            out.push('\n');
        }
        first = false;
        out.push_str(statement);
        if !statement.ends_with(';') {
            // A `;` after a trailing line comment would be part of the comment.
            let last_line = statement.rsplit('\n').next().unwrap_or(statement);
            if last_line.contains("--") {
                out.push('\n');
            }
            out.push(';');
        }
        out.push('\n');
    }
    if first {
        out.push_str(NOTHING_TO_DO);
        out.push('\n');
    }
}

/// Escapes a header value so it stays on one line and survives trimming: `\` becomes
/// `\\`, LF `\n`, CR `\r`, tab `\t`, other control and white-space characters (and a
/// space at either end) `\u{hex}`.
pub fn escape(value: &str) -> String {
    let last = value.chars().count().saturating_sub(1);
    let mut out = String::with_capacity(value.len());
    for (i, c) in value.chars().enumerate() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            ' ' if i != 0 && i != last => out.push(' '),
            c if c.is_control() || c.is_whitespace() || c == '\u{feff}' => {
                out.push_str(&format!("\\u{{{:x}}}", u32::from(c)));
            }
            c => out.push(c),
        }
    }
    out
}

/// Reverses [`escape`]. A backslash that starts no known escape is kept as written, so
/// hand-written messages such as `C:\data` read naturally.
pub fn unescape(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    let mut rest = value;
    while let Some(pos) = rest.find('\\') {
        out.push_str(&rest[..pos]);
        let after = &rest[pos + 1..];
        let decoded = match after.as_bytes().first() {
            Some(b'\\') => Some(('\\', 1)),
            Some(b'n') => Some(('\n', 1)),
            Some(b'r') => Some(('\r', 1)),
            Some(b't') => Some(('\t', 1)),
            Some(b'u') => unicode_escape(after),
            _ => None,
        };
        match decoded {
            Some((c, len)) => {
                out.push(c);
                rest = after.get(len..).unwrap_or("");
            }
            None => {
                out.push('\\');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// Decodes `u{hex}` at the start of `s`: the character and the bytes it took.
fn unicode_escape(s: &str) -> Option<(char, usize)> {
    let inner = s.strip_prefix("u{")?;
    let close = inner.find('}')?;
    let digits = &inner[..close];
    if digits.is_empty() || digits.len() > 6 || !digits.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    let c = char::from_u32(u32::from_str_radix(digits, 16).ok()?)?;
    Some((c, 2 + close + 1))
}

/// Parses the bytes of a migration file: [`parse`] after checking they are UTF-8.
pub fn parse_bytes(path: &Path, bytes: &[u8]) -> Result<Migration, FileError> {
    match std::str::from_utf8(bytes) {
        Ok(text) => parse(path, text),
        Err(e) => Err(utf8_error(path, bytes, e.valid_up_to())),
    }
}

/// [`FileErrorKind::InvalidUtf8`] at the line of byte `valid_up_to`.
fn utf8_error(path: &Path, bytes: &[u8], valid_up_to: usize) -> FileError {
    // Count line endings as `split_lines` does: LF, CRLF, and a lone CR.
    let before = &bytes[..valid_up_to];
    let lone_cr = |k: usize| bytes[k] == b'\r' && bytes.get(k + 1) != Some(&b'\n');
    let line = 1
        + (0..before.len())
            .filter(|&k| before[k] == b'\n' || lone_cr(k))
            .count();
    FileError {
        path: path.to_path_buf(),
        line: Some(line),
        kind: FileErrorKind::InvalidUtf8,
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Marker {
    Upgrade,
    Downgrade,
}

impl Marker {
    fn text(self) -> &'static str {
        match self {
            Marker::Upgrade => UPGRADE_MARKER,
            Marker::Downgrade => DOWNGRADE_MARKER,
        }
    }
}

/// What a comment line (its text after `--`, trimmed) is as far as markers go: `None`
/// for an ordinary comment, `Some(Ok(marker))` for a marker, `Some(Err(marker))` for a
/// line that starts like a marker but is not alone.
fn classify(comment: &str) -> Option<Result<Marker, Marker>> {
    for (marker, word) in [
        (Marker::Upgrade, "+upgrade"),
        (Marker::Downgrade, "+downgrade"),
    ] {
        if comment
            .get(..word.len())
            .is_some_and(|start| start.eq_ignore_ascii_case(word))
        {
            return Some(if comment.len() == word.len() {
                Ok(marker)
            } else {
                Err(marker)
            });
        }
    }
    None
}

/// The line for an error message: long lines are cut, so a pasted blob does not flood
/// the terminal.
fn quote(line: &str) -> String {
    const MAX: usize = 80;
    if line.chars().count() <= MAX {
        return line.to_string();
    }
    let mut cut: String = line.chars().take(MAX).collect();
    cut.push('…');
    cut
}

fn is_valid_key(key: &str) -> bool {
    let mut bytes = key.bytes();
    bytes.next().is_some_and(|b| b.is_ascii_alphabetic())
        && bytes.all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// One `-- Key: value` line, borrowed from the file's text.
struct HeaderValue<'t> {
    /// As written.
    key: &'t str,
    /// Trimmed.
    value: &'t str,
    /// 1-based.
    line: usize,
}

/// Takes the header `key` (lower case) out of `headers`, whatever its case in the file.
/// The header keys wildebeest reads, as it writes them.
const KNOWN_KEYS: [&str; 8] = [
    "Revision",
    "Revises",
    "Message",
    "Created",
    "Branch-Labels",
    "Depends-On",
    "Dialect",
    "Transaction",
];

/// The known key `key` is a misspelling of: not one itself, but the same letters
/// (ignoring case, `-` and `_`) give or take one edit (two for keys of six letters
/// or more), and at most one letter longer or shorter, so that a header of one's own
/// such as `Created-By:` is not taken for `Created:`.
fn misspelt_key(key: &str) -> Option<&'static str> {
    if KNOWN_KEYS.iter().any(|k| k.eq_ignore_ascii_case(key)) {
        return None;
    }
    let letters = |s: &str| -> Vec<u8> {
        s.bytes()
            .filter(|&b| b != b'-' && b != b'_')
            .map(|b| b.to_ascii_lowercase())
            .collect()
    };
    let written = letters(key);
    KNOWN_KEYS.into_iter().find(|k| {
        let known = letters(k);
        let allowed = if known.len() >= 6 { 2 } else { 1 };
        written.len().abs_diff(known.len()) <= 1 && edit_distance(&written, &known) <= allowed
    })
}

/// Levenshtein distance between two short sequences (bytes, characters): the
/// insertions, deletions and substitutions that turn `a` into `b`. For "did you
/// mean" suggestions, here and in the command line.
pub fn edit_distance<T: PartialEq>(a: &[T], b: &[T]) -> usize {
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, x) in a.iter().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, y) in b.iter().enumerate() {
            let substitution = diagonal + usize::from(x != y);
            diagonal = row[j + 1];
            row[j + 1] = substitution.min(row[j] + 1).min(diagonal + 1);
        }
    }
    row[b.len()]
}

fn take<'t>(headers: &mut Vec<HeaderValue<'t>>, key: &str) -> Option<HeaderValue<'t>> {
    let k = headers
        .iter()
        .position(|h| h.key.eq_ignore_ascii_case(key))?;
    Some(headers.swap_remove(k))
}

/// What the header block says. `end` is the index of the first line after it.
struct HeaderBlock<'t> {
    id: String,
    revision_line: usize,
    parents: Vec<String>,
    message: String,
    created: Option<String>,
    branch_labels: Vec<String>,
    depends_on: Vec<String>,
    depends_on_line: Option<usize>,
    /// The headers not taken above.
    headers: Vec<HeaderValue<'t>>,
    end: usize,
}

/// Parses the header block from `lines` (the file's lines, BOM removed), stopping at
/// the first line that is not a comment or is a marker, so the rest of the file need
/// not be read.
fn header_block<'t>(
    path: &Path,
    lines: impl Iterator<Item = &'t str>,
) -> Result<HeaderBlock<'t>, FileError> {
    let error = |line: Option<usize>, kind: FileErrorKind| FileError {
        path: path.to_path_buf(),
        line,
        kind,
    };
    let mut i = 0;
    // A handful of headers: a vector searched in place beats a map.
    let mut headers: Vec<HeaderValue<'t>> = Vec::with_capacity(8);
    let mut first = true;
    let mut leading = true;
    for line in lines {
        let trimmed = line.trim();
        if leading && trimmed.is_empty() {
            i += 1;
            continue;
        }
        leading = false;
        let Some(comment) = trimmed.strip_prefix("--") else {
            break;
        };
        let comment = comment.trim();
        if classify(comment).is_some() {
            break;
        }
        let banner = first && comment.eq_ignore_ascii_case(&BANNER[3..]);
        first = false;
        if !banner {
            let malformed = || {
                error(
                    Some(i + 1),
                    FileErrorKind::MalformedHeader {
                        text: quote(trimmed),
                    },
                )
            };
            let (key, value) = comment.split_once(':').ok_or_else(malformed)?;
            let key = key.trim();
            if !is_valid_key(key) {
                return Err(malformed());
            }
            if let Some(previous) = headers.iter().find(|h| h.key.eq_ignore_ascii_case(key)) {
                return Err(error(
                    Some(i + 1),
                    FileErrorKind::DuplicateHeader {
                        key: key.to_string(),
                        first_line: previous.line,
                    },
                ));
            }
            let value = value.trim();
            if let Some(c) = value.chars().find(|&c| c.is_control() && c != '\t') {
                return Err(error(
                    Some(i + 1),
                    FileErrorKind::ControlCharacter {
                        key: key.to_string(),
                        code: u32::from(c),
                    },
                ));
            }
            headers.push(HeaderValue {
                key,
                value,
                line: i + 1,
            });
        }
        i += 1;
    }

    // A misspelt key would be ignored (or reported as a missing header elsewhere):
    // name it where it is written.
    if let Some((h, known)) = headers
        .iter()
        .find_map(|h| misspelt_key(h.key).map(|known| (h, known)))
    {
        return Err(error(
            Some(h.line),
            FileErrorKind::MisspeltHeader {
                key: h.key.to_string(),
                known,
            },
        ));
    }

    // The required headers.
    let revision = take(&mut headers, "revision").ok_or(error(
        None,
        FileErrorKind::MissingHeader { key: "Revision" },
    ))?;
    check_id(revision.value, "Revision").map_err(|k| error(Some(revision.line), k))?;
    let revises = take(&mut headers, "revises")
        .ok_or(error(None, FileErrorKind::MissingHeader { key: "Revises" }))?;
    let parents = id_list(&revises, "Revises").map_err(|k| error(Some(revises.line), k))?;
    let message = take(&mut headers, "message")
        .map(|h| unescape(h.value))
        .unwrap_or_default();
    let created = take(&mut headers, "created").map(|h| unescape(h.value));

    // The optional graph headers.
    let mut branch_labels: Vec<String> = Vec::new();
    if let Some(h) = take(&mut headers, "branch-labels") {
        for label in h.value.split(',').map(str::trim).filter(|l| !l.is_empty()) {
            if !is_valid_id(label) {
                return Err(error(
                    Some(h.line),
                    FileErrorKind::InvalidLabel {
                        label: quote(label),
                    },
                ));
            }
            if branch_labels.iter().any(|l| l == label) {
                return Err(error(
                    Some(h.line),
                    FileErrorKind::DuplicateLabel {
                        label: label.to_string(),
                    },
                ));
            }
            branch_labels.push(label.to_string());
        }
    }
    let (depends_on, depends_on_line) = match take(&mut headers, "depends-on") {
        Some(h) => (
            id_list(&h, "Depends-On").map_err(|k| error(Some(h.line), k))?,
            Some(h.line),
        ),
        None => (Vec::new(), None),
    };

    Ok(HeaderBlock {
        id: revision.value.to_string(),
        revision_line: revision.line,
        parents,
        message,
        created,
        branch_labels,
        depends_on,
        depends_on_line,
        headers,
        end: i,
    })
}

/// The comma-separated ids of a `Revises:` or `Depends-On:` header (none when empty).
fn id_list(h: &HeaderValue<'_>, header: &'static str) -> Result<Vec<String>, FileErrorKind> {
    if h.value.is_empty() {
        return Ok(Vec::new());
    }
    let mut ids: Vec<String> = Vec::with_capacity(1 + h.value.matches(',').count());
    for id in h.value.split(',').map(str::trim) {
        check_id(id, header)?;
        if ids.iter().any(|p| p == id) {
            return Err(FileErrorKind::DuplicateParent {
                header,
                id: id.to_string(),
            });
        }
        ids.push(id.to_string());
    }
    Ok(ids)
}

/// Parses only the header of a migration file (a leading BOM is ignored): what the
/// revision graph needs, without the sections or the checksum. Reports every error
/// [`parse`] reports about the header and the file name; errors in the sections are
/// left to [`parse`]. `text` may stop anywhere after the header block.
pub fn parse_header(path: &Path, text: &str) -> Result<Node, FileError> {
    let body = text.strip_prefix('\u{feff}').unwrap_or(text);
    if body.trim().is_empty() {
        return Err(FileError {
            path: path.to_path_buf(),
            line: None,
            kind: FileErrorKind::Empty,
        });
    }
    let h = header_block(path, split_lines(body))?;
    check_name(path, &h)?;
    Ok(node(path, h))
}

/// [`parse_header`] on bytes: only the complete lines are read, so `bytes` may be the
/// start of a file cut anywhere after its header block.
pub fn parse_header_bytes(path: &Path, bytes: &[u8]) -> Result<Node, FileError> {
    // Up to the last line ending: a cut in the middle of a character is not an error.
    let end = bytes
        .iter()
        .rposition(|&b| b == b'\n' || b == b'\r')
        .map_or(bytes.len(), |k| k + 1);
    let complete = if header_complete(bytes) {
        &bytes[..end]
    } else {
        bytes
    };
    match std::str::from_utf8(complete) {
        Ok(text) => parse_header(path, text),
        Err(e) => Err(utf8_error(path, complete, e.valid_up_to())),
    }
}

/// Whether `bytes` (the start of a file) holds a complete line that ends the header
/// block: a line that is not a comment, or a marker. Reading a file can stop there.
pub fn header_complete(bytes: &[u8]) -> bool {
    let bytes = bytes.strip_prefix("\u{feff}".as_bytes()).unwrap_or(bytes);
    let mut rest = bytes;
    while let Some(k) = rest.iter().position(|&b| b == b'\n' || b == b'\r') {
        let line = rest[..k].trim_ascii();
        rest = &rest[k + 1..];
        if line.is_empty() {
            continue;
        }
        let Some(comment) = line.strip_prefix(b"--") else {
            return true;
        };
        let comment = comment.trim_ascii();
        if comment.len() >= 8 && comment[..8].eq_ignore_ascii_case(b"+upgrade")
            || comment.len() >= 10 && comment[..10].eq_ignore_ascii_case(b"+downgrade")
        {
            return true;
        }
    }
    false
}

fn node(path: &Path, h: HeaderBlock<'_>) -> Node {
    Node {
        id: h.id,
        parents: h.parents,
        path: path.to_path_buf(),
        message: h.message,
        created: h.created,
        branch_labels: h.branch_labels,
        depends_on: h.depends_on,
        depends_on_line: h.depends_on_line,
    }
}

/// The file name must carry the header's id, so renaming a file cannot silently
/// detach it from its header.
fn check_name(path: &Path, h: &HeaderBlock<'_>) -> Result<(), FileError> {
    match name_mismatch(path, &h.id) {
        None => Ok(()),
        Some(name_id) => Err(FileError {
            path: path.to_path_buf(),
            line: Some(h.revision_line),
            kind: FileErrorKind::NameMismatch {
                name_id,
                header_id: h.id.clone(),
            },
        }),
    }
}

/// Parses the text of a migration file (a leading BOM is ignored). `path` names the
/// file in errors, and the revision id in its file name must match the header.
pub fn parse(path: &Path, text: &str) -> Result<Migration, FileError> {
    let error = |line: Option<usize>, kind: FileErrorKind| FileError {
        path: path.to_path_buf(),
        line,
        kind,
    };
    let body = text.strip_prefix('\u{feff}').unwrap_or(text);
    if body.trim().is_empty() {
        return Err(error(None, FileErrorKind::Empty));
    }
    let lines: Vec<&str> = split_lines(body).collect();
    let header = header_block(path, lines.iter().copied())?;
    let i = header.end;

    // The markers, and nothing but comments before the upgrade marker.
    let mut upgrade: Option<usize> = None;
    let mut downgrade: Option<usize> = None;
    let mut sql_before: Option<usize> = None;
    for (j, line) in lines.iter().enumerate().skip(i) {
        let trimmed = line.trim();
        let Some(comment) = trimmed.strip_prefix("--") else {
            if !trimmed.is_empty() && upgrade.is_none() && downgrade.is_none() {
                sql_before.get_or_insert(j);
            }
            continue;
        };
        let (marker, seen) = match classify(comment.trim()) {
            None => continue,
            Some(Err(marker)) => {
                return Err(error(
                    Some(j + 1),
                    FileErrorKind::MarkerNotAlone {
                        text: quote(trimmed),
                        marker: marker.text(),
                    },
                ));
            }
            Some(Ok(Marker::Upgrade)) => (Marker::Upgrade, &mut upgrade),
            Some(Ok(Marker::Downgrade)) => (Marker::Downgrade, &mut downgrade),
        };
        if let Some(first) = *seen {
            return Err(error(
                Some(j + 1),
                FileErrorKind::DuplicateMarker {
                    marker: marker.text(),
                    first_line: first + 1,
                },
            ));
        }
        *seen = Some(j);
    }
    // A missing marker is named where it was misspelt, if it was.
    let missing = |marker: &'static str| {
        let near = lines.iter().enumerate().skip(i).find(|(_, line)| {
            line.trim()
                .strip_prefix("--")
                .and_then(|c| c.trim().strip_prefix('+'))
                .is_some_and(|word| {
                    let word = word.trim().to_ascii_lowercase();
                    let known = &marker[4..];
                    word.len().abs_diff(known.len()) <= 2
                        && edit_distance(word.as_bytes(), known.as_bytes()) <= 2
                })
        });
        match near {
            Some((j, line)) => error(
                Some(j + 1),
                FileErrorKind::MisspeltMarker {
                    text: quote(line.trim()),
                    marker,
                },
            ),
            None => error(None, FileErrorKind::MissingMarker { marker }),
        }
    };
    let up = upgrade.ok_or_else(|| missing(UPGRADE_MARKER))?;
    let down = downgrade.ok_or_else(|| missing(DOWNGRADE_MARKER))?;
    if down < up {
        return Err(error(
            Some(down + 1),
            FileErrorKind::MarkersOutOfOrder {
                upgrade_line: up + 1,
            },
        ));
    }
    if let Some(j) = sql_before {
        return Err(error(Some(j + 1), FileErrorKind::SqlBeforeUpgrade));
    }
    check_name(path, &header)?;

    Ok(Migration {
        path: path.to_path_buf(),
        id: header.id,
        parents: header.parents,
        message: header.message,
        created: header.created,
        branch_labels: header.branch_labels,
        depends_on: header.depends_on,
        depends_on_line: header.depends_on_line,
        headers: header
            .headers
            .iter()
            .map(|h| (h.key.to_ascii_lowercase(), h.value.to_string()))
            .collect(),
        upgrade: section_of(&lines, up, down),
        downgrade: section_of(&lines, down, lines.len()),
        checksum: checksum(text),
    })
}

fn check_id(id: &str, header: &'static str) -> Result<(), FileErrorKind> {
    if !id_syntax_ok(id) {
        Err(FileErrorKind::InvalidId {
            header,
            id: quote(id),
        })
    } else if RESERVED_IDS.contains(&id) {
        Err(FileErrorKind::ReservedId { id: id.to_string() })
    } else {
        Ok(())
    }
}

/// The lines strictly between the marker at index `marker` and index `end`.
fn section_of(lines: &[&str], marker: usize, end: usize) -> Section {
    let mut text = String::new();
    for line in lines.get(marker + 1..end).unwrap_or_default() {
        text.push_str(line);
        text.push('\n');
    }
    Section {
        text,
        first_line: marker + 2,
    }
}

/// `None` if the file name carries `id` (after an optional `YYYYMMDD_HHMMSS_`
/// timestamp, followed by `_` or the end), else what stands in its place.
fn name_mismatch(path: &Path, id: &str) -> Option<String> {
    let stem = path.file_stem()?.to_string_lossy();
    let rest = strip_timestamp(&stem);
    let matches = rest
        .strip_prefix(id)
        .is_some_and(|after| after.is_empty() || after.starts_with('_'));
    if matches {
        None
    } else {
        Some(rest.split('_').next().unwrap_or(rest).to_string())
    }
}

fn strip_timestamp(stem: &str) -> &str {
    let b = stem.as_bytes();
    let digits =
        |r: std::ops::Range<usize>| b.get(r).is_some_and(|s| s.iter().all(u8::is_ascii_digit));
    if digits(0..8) && b.get(8) == Some(&b'_') && digits(9..15) && b.get(15) == Some(&b'_') {
        &stem[16..]
    } else {
        stem
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NAME: &str = "migrations/20261122_022044_3f2a9c1b7d04_add_department.sql";

    const EXAMPLE: &str = "\
-- wildebeest revision
-- Revision: 3f2a9c1b7d04
-- Revises: 1a2b3c4d5e6f
-- Message: add Department
-- Created: 2026-11-22T02:20:44Z

-- +upgrade
CREATE TABLE department (id INTEGER PRIMARY KEY);

-- +downgrade
DROP TABLE department;
";

    fn ok(text: &str) -> Migration {
        match parse(Path::new(NAME), text) {
            Ok(m) => m,
            Err(e) => panic!("expected a migration, got: {e}"),
        }
    }

    /// The error message for `text` in the file [`NAME`].
    fn err(text: &str) -> String {
        match parse(Path::new(NAME), text) {
            Ok(m) => panic!("expected an error, got {m:?}"),
            Err(e) => e.to_string(),
        }
    }

    /// The error message for `text` in `migrations/x.sql`.
    fn err_x(text: &str) -> String {
        match parse(Path::new("migrations/x.sql"), text) {
            Ok(m) => panic!("expected an error, got {m:?}"),
            Err(e) => e.to_string(),
        }
    }

    fn new(message: &str) -> NewMigration {
        NewMigration {
            id: "3f2a9c1b7d04".into(),
            parents: vec!["1a2b3c4d5e6f".into()],
            message: message.into(),
            created: "2026-11-22T02:20:44Z".into(),
            upgrade: vec!["CREATE TABLE department (id INTEGER PRIMARY KEY)".into()],
            downgrade: vec!["DROP TABLE department".into()],
            extra_headers: Vec::new(),
        }
    }

    #[test]
    fn a_raw_control_character_in_a_header_is_an_error() {
        let nul = EXAMPLE.replace("add Department", "add\0Department");
        assert_eq!(
            err(&nul),
            format!(
                "{NAME}:4: the \"-- Message:\" header contains the control character U+0000: \
                 write it escaped (\\u{{0}}) or remove it"
            )
        );
        let escape = EXAMPLE.replace("Created: 2026", "Created: \u{1b}[31m2026");
        assert!(err(&escape).starts_with(&format!("{NAME}:5: the \"-- Created:\" header")));
        // Escaped, the same characters are fine; a tab is white space, not a control.
        let escaped = EXAMPLE.replace("add Department", "add\\u{0}\tDepartment");
        assert_eq!(ok(&escaped).message, "add\0\tDepartment");
    }

    #[test]
    fn parses_the_example() {
        let m = ok(EXAMPLE);
        assert_eq!(m.path, Path::new(NAME));
        assert_eq!(m.id, "3f2a9c1b7d04");
        assert_eq!(m.parents, ["1a2b3c4d5e6f"]);
        assert_eq!(m.message, "add Department");
        assert_eq!(m.created.as_deref(), Some("2026-11-22T02:20:44Z"));
        assert!(m.headers.is_empty());
        assert_eq!(
            m.upgrade,
            Section {
                text: "CREATE TABLE department (id INTEGER PRIMARY KEY);\n\n".into(),
                first_line: 8,
            }
        );
        assert_eq!(
            m.downgrade,
            Section {
                text: "DROP TABLE department;\n".into(),
                first_line: 11,
            }
        );
        assert_eq!(m.checksum, checksum(EXAMPLE));
    }

    #[test]
    fn render_gives_the_example() {
        assert_eq!(render(&new("add Department")), EXAMPLE);
    }

    #[test]
    fn file_names() {
        assert_eq!(
            file_name("2026-11-22T02:20:44Z", "3f2a9c1b7d04", "add Department"),
            "20261122_022044_3f2a9c1b7d04_add_department.sql"
        );
        assert_eq!(
            file_name("2026-11-22T02:20:44Z", "3f2a9c1b7d04", ""),
            "20261122_022044_3f2a9c1b7d04.sql"
        );
        assert_eq!(
            file_name(
                "2026-11-22T02:20:44.123456+00:00",
                "a",
                "  --Add   the `Users`' table!! "
            ),
            "20261122_022044_a_add_the_users_table.sql"
        );
        assert_eq!(
            file_name("2026-11-22T02:20:44Z", "a", "Ünïcödé → only"),
            "20261122_022044_a_n_c_d_only.sql"
        );
        assert_eq!(
            file_name("2026-11-22T02:20:44Z", "a", "!!!***"),
            "20261122_022044_a.sql"
        );
        assert_eq!(file_name("", "a", "x"), "00000000_000000_a_x.sql");
        // 40 characters at most, and no `_` left at the cut.
        assert_eq!(
            file_name("2026-11-22T02:20:44Z", "a", &"abcd ".repeat(20)),
            "20261122_022044_a_abcd_abcd_abcd_abcd_abcd_abcd_abcd_abcd.sql"
        );
        assert_eq!(slug(&"x".repeat(100)).len(), 40);
    }

    #[test]
    fn revision_ids() {
        assert_eq!(
            new_revision_id([0x3f, 0x2a, 0x9c, 0x1b, 0x7d, 0x04]),
            "3f2a9c1b7d04"
        );
        assert_eq!(new_revision_id([0; 6]), "000000000000");
        assert_eq!(new_revision_id([0xff; 6]), "ffffffffffff");
        assert!(is_valid_id("3f2a9c1b7d04"));
        assert!(is_valid_id("Add_Users_1"));
        assert!(is_valid_id(&"a".repeat(64)));
        assert!(!is_valid_id(&"a".repeat(65)));
        assert!(!is_valid_id(""));
        assert!(!is_valid_id("a-b"));
        assert!(!is_valid_id("é"));
        assert!(!is_valid_id("head"));
        assert!(!is_valid_id("base"));
        assert!(!is_valid_id("current"));
    }

    #[test]
    fn round_trip() {
        let messages = [
            "",
            "add Department",
            "two\nlines",
            "windows\r\nline",
            "tab\there",
            "back\\slash \\n not a newline",
            " leading and trailing ",
            "  ",
            "colon: inside, and -- dashes",
            "unicode ünïcödé 日本 🦬",
            "\u{feff}bom\u{2028}separator\u{0}nul\u{7f}",
            "\\",
            "\\u{41}",
            "-- +downgrade",
        ];
        for message in messages {
            for parents in [vec![], vec!["p1".to_string()], vec!["b".into(), "a".into()]] {
                let mut x = new(message);
                x.parents = parents;
                let text = render(&x);
                let name = file_name(&x.created, &x.id, &x.message);
                let m = match parse(Path::new(&name), &text) {
                    Ok(m) => m,
                    Err(e) => panic!("{message:?}: {e}\n{text}"),
                };
                assert_eq!(m.id, x.id);
                assert_eq!(m.parents, x.parents);
                assert_eq!(m.message, x.message, "{text}");
                assert_eq!(m.created.as_deref(), Some(x.created.as_str()));
                assert!(m.headers.is_empty());
            }
        }
    }

    #[test]
    fn round_trip_of_sections() {
        let mut x = new("m");
        x.upgrade = vec![
            "CREATE TABLE a (id INTEGER)".into(),
            "  INSERT INTO a VALUES (1);  ".into(),
            "   ".into(),
            "UPDATE a SET id = 2 -- why".into(),
        ];
        x.downgrade = vec![];
        let text = render(&x);
        let m = parse(Path::new(NAME), &text).map_err(|e| e.to_string());
        let m = m.unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            m.upgrade.text,
            "CREATE TABLE a (id INTEGER);\n\nINSERT INTO a VALUES (1);\n\nUPDATE a SET id = 2 -- why\n;\n\n"
        );
        assert_eq!(m.upgrade.first_line, 8);
        assert_eq!(m.downgrade.text, "-- (nothing to do)\n");
        assert_eq!(m.downgrade.first_line, 16);
    }

    #[test]
    fn render_of_a_first_revision_with_empty_sections() {
        let x = NewMigration {
            id: "a1".into(),
            created: "2026-01-02T03:04:05Z".into(),
            ..NewMigration::default()
        };
        assert_eq!(
            render(&x),
            "\
-- wildebeest revision
-- Revision: a1
-- Revises:
-- Message:
-- Created: 2026-01-02T03:04:05Z

-- +upgrade
-- (nothing to do)

-- +downgrade
-- (nothing to do)
"
        );
    }

    #[test]
    fn render_of_a_merge() {
        let mut x = new("merge");
        x.parents = vec!["aaa".into(), "bbb".into()];
        assert!(render(&x).contains("\n-- Revises: aaa, bbb\n"));
    }

    #[test]
    fn escapes() {
        assert_eq!(escape("a\nb\\c\td\re"), "a\\nb\\\\c\\td\\re");
        assert_eq!(escape(" a b "), "\\u{20}a b\\u{20}");
        assert_eq!(escape("\u{0}\u{2028}"), "\\u{0}\\u{2028}");
        assert_eq!(
            unescape("C:\\data \\x \\u{zz} \\u{110000} \\u{41}\\"),
            "C:\\data \\x \\u{zz} \\u{110000} A\\"
        );
        assert_eq!(unescape("\\\\n"), "\\n");
    }

    #[test]
    fn tolerant_layout() {
        let text = "\
\u{feff}

--Revision:3f2a9c1b7d04
-- REVISES :
--   message   :   spaced out   
-- X-Reviewed-By: Ann: twice
-- Ticket: DB-12
-- created: now

-- a free comment, blank lines and comments before the marker are fine

--   +UPGRADE   
CREATE TABLE t (id INTEGER);
-- +Downgrade
DROP TABLE t;";
        let m = ok(text);
        assert_eq!(m.id, "3f2a9c1b7d04");
        assert!(m.parents.is_empty());
        assert_eq!(m.message, "spaced out");
        assert_eq!(m.created.as_deref(), Some("now"));
        assert_eq!(
            m.headers,
            BTreeMap::from([
                ("ticket".to_string(), "DB-12".to_string()),
                ("x-reviewed-by".to_string(), "Ann: twice".to_string()),
            ])
        );
        assert_eq!(m.upgrade.text, "CREATE TABLE t (id INTEGER);\n");
        assert_eq!(m.upgrade.first_line, 13);
        assert_eq!(m.downgrade.text, "DROP TABLE t;\n");
        assert_eq!(m.downgrade.first_line, 15);
    }

    #[test]
    fn no_banner_and_crlf() {
        let text = "-- Revision: 3f2a9c1b7d04\r\n-- Revises: a, b\r\n\r\n-- +upgrade\r\nSELECT 1;\r\n-- +downgrade\r\n";
        let m = ok(text);
        assert_eq!(m.parents, ["a", "b"]);
        assert_eq!(m.message, "");
        assert_eq!(m.created, None);
        assert_eq!(m.upgrade.text, "SELECT 1;\n");
        assert_eq!(m.downgrade.text, "");
        assert_eq!(m.downgrade.first_line, 7);
        assert_eq!(m.checksum, checksum(&text.replace("\r\n", "\n")));
    }

    #[test]
    fn file_name_checks() {
        let text = EXAMPLE;
        for name in [
            "20261122_022044_3f2a9c1b7d04_add_department.sql",
            "20261122_022044_3f2a9c1b7d04.sql",
            "3f2a9c1b7d04_anything.sql",
            "3f2a9c1b7d04.sql",
            "dir/20261122_022044_3f2a9c1b7d04_x.SQL",
        ] {
            assert!(parse(Path::new(name), text).is_ok(), "{name}");
        }
        let mismatch = |name: &str| parse(Path::new(name), text).map_err(|e| e.to_string());
        assert_eq!(
            mismatch("m/20261122_022044_3f2a9c1b7d05_add_department.sql"),
            Err("m/20261122_022044_3f2a9c1b7d05_add_department.sql:2: the file name says revision \"3f2a9c1b7d05\" but the \"-- Revision:\" header says \"3f2a9c1b7d04\": rename the file or fix the header".into())
        );
        assert_eq!(
            mismatch("m/20261122_022044_3f2a9c1b7d04x_add.sql"),
            Err("m/20261122_022044_3f2a9c1b7d04x_add.sql:2: the file name says revision \"3f2a9c1b7d04x\" but the \"-- Revision:\" header says \"3f2a9c1b7d04\": rename the file or fix the header".into())
        );
        assert_eq!(
            err_x(text),
            "migrations/x.sql:2: the file name says revision \"x\" but the \"-- Revision:\" header says \"3f2a9c1b7d04\": rename the file or fix the header"
        );
        // Ids may contain `_`; the file name only has to start with the whole id.
        let underscored = EXAMPLE.replace("3f2a9c1b7d04", "add_users");
        assert!(
            parse(
                Path::new("20261122_022044_add_users_add_users.sql"),
                &underscored
            )
            .is_ok()
        );
    }

    #[test]
    fn bytes() {
        let p = Path::new(NAME);
        assert!(parse_bytes(p, EXAMPLE.as_bytes()).is_ok());
        let mut bad = EXAMPLE.as_bytes().to_vec();
        bad.extend_from_slice(b"-- caf\xe9\n");
        let e = parse_bytes(p, &bad).map_err(|e| e.to_string());
        assert_eq!(
            e,
            Err(format!(
                "{NAME}:12: the file is not valid UTF-8: migrations are UTF-8 text"
            ))
        );
        let e = parse_bytes(p, b"a\rb\r\nc\r\xff").map_err(|e| e.to_string());
        assert_eq!(
            e,
            Err(format!(
                "{NAME}:4: the file is not valid UTF-8: migrations are UTF-8 text"
            ))
        );
        let e = parse_bytes(p, b"\xff").map_err(|e| e.to_string());
        assert_eq!(
            e,
            Err(format!(
                "{NAME}:1: the file is not valid UTF-8: migrations are UTF-8 text"
            ))
        );
    }

    /// Every way a file can be wrong, with its exact message.
    #[test]
    fn malformed_files() {
        let cases: &[(&str, &str)] = &[
            (
                "",
                "migrations/x.sql: the file is empty: a migration needs a header and \"-- +upgrade\" and \"-- +downgrade\" sections",
            ),
            (
                "\u{feff} \r\n\n\t",
                "migrations/x.sql: the file is empty: a migration needs a header and \"-- +upgrade\" and \"-- +downgrade\" sections",
            ),
            (
                "-- wildebeest revision\n-- Revises:\n-- Revision 12\n",
                "migrations/x.sql:3: malformed header line \"-- Revision 12\": expected \"-- Key: value\"",
            ),
            (
                "-- Revision: a\n-- TODO: fine, a key\n-- but this is prose\n",
                "migrations/x.sql:3: malformed header line \"-- but this is prose\": expected \"-- Key: value\"",
            ),
            (
                "-- Revision: a\n-- : no key\n",
                "migrations/x.sql:2: malformed header line \"-- : no key\": expected \"-- Key: value\"",
            ),
            (
                "-- Revision: a\n-- 1st: key starts with a digit\n",
                "migrations/x.sql:2: malformed header line \"-- 1st: key starts with a digit\": expected \"-- Key: value\"",
            ),
            (
                "-- wildebeest revision\n-- wildebeest revision\n",
                "migrations/x.sql:2: malformed header line \"-- wildebeest revision\": expected \"-- Key: value\"",
            ),
            (
                "-- Revision: a\n-- revision: b\n",
                "migrations/x.sql:2: duplicate \"-- revision:\" header (the first is on line 1)",
            ),
            (
                "-- Revises:\n\n-- +upgrade\n-- +downgrade\n",
                "migrations/x.sql: \"-- Revision:\" header is missing: every migration names its revision id in its header",
            ),
            (
                "-- wildebeest revision\n\n-- Revision: x\n-- Revises:\n-- +upgrade\n-- +downgrade\n",
                "migrations/x.sql: \"-- Revision:\" header is missing: every migration names its revision id in its header",
            ),
            (
                "-- Revision: x\n-- Revisses: y\n-- +upgrade\n-- +downgrade\n",
                "migrations/x.sql:2: \"-- Revisses:\" is not a header wildebeest reads; did you mean \"-- Revises:\"?",
            ),
            (
                "-- Revision: x\n-- Revises:\n-- Depends_On: y\n-- +upgrade\n-- +downgrade\n",
                "migrations/x.sql:3: \"-- Depends_On:\" is not a header wildebeest reads; did you mean \"-- Depends-On:\"?",
            ),
            (
                "-- Revision: x\n-- Revises:\n-- BranchLabel: y\n-- +upgrade\n-- +downgrade\n",
                "migrations/x.sql:3: \"-- BranchLabel:\" is not a header wildebeest reads; did you mean \"-- Branch-Labels:\"?",
            ),
            (
                "-- Revison: x\n-- Revises:\n-- +upgrade\n-- +downgrade\n",
                "migrations/x.sql:1: \"-- Revison:\" is not a header wildebeest reads; did you mean \"-- Revision:\"?",
            ),
            (
                "-- Revision: x\n\n-- +upgrade\n-- +downgrade\n",
                "migrations/x.sql: \"-- Revises:\" header is missing: write it with nothing after the colon for a first revision",
            ),
            (
                "-- Revision:\n-- Revises:\n",
                "migrations/x.sql:1: invalid revision id \"\" in the \"-- Revision:\" header: an id is 1 to 64 ASCII letters, digits or underscores",
            ),
            (
                "-- Revision: a-b\n-- Revises:\n",
                "migrations/x.sql:1: invalid revision id \"a-b\" in the \"-- Revision:\" header: an id is 1 to 64 ASCII letters, digits or underscores",
            ),
            (
                "-- Revision: x\n-- Revises: a,,b\n",
                "migrations/x.sql:2: invalid revision id \"\" in the \"-- Revises:\" header: an id is 1 to 64 ASCII letters, digits or underscores",
            ),
            (
                "-- Revision: x\n-- Revises: a b\n",
                "migrations/x.sql:2: invalid revision id \"a b\" in the \"-- Revises:\" header: an id is 1 to 64 ASCII letters, digits or underscores",
            ),
            (
                "-- Revision: heads\n-- Revises:\n",
                "migrations/x.sql:1: revision id \"heads\" is reserved: head, heads, base and current name targets",
            ),
            (
                "-- Revision: x\n-- Revises: a, b, a\n",
                "migrations/x.sql:2: the \"-- Revises:\" header names a twice",
            ),
            (
                "-- Revision: x\n-- Revises:\n\n-- +downgrade\nDROP TABLE t;\n",
                "migrations/x.sql: no \"-- +upgrade\" marker: every migration needs an upgrade and a downgrade section",
            ),
            (
                "-- Revision: x\n-- Revises:\n\n-- +upgrade\nCREATE TABLE t (id INT);\n",
                "migrations/x.sql: no \"-- +downgrade\" marker: every migration needs an upgrade and a downgrade section",
            ),
            // A misspelt marker was reported as missing, without its line.
            (
                "-- Revision: x\n-- Revises:\n\n-- +upgrad\nCREATE TABLE t (id INT);\n-- +downgrade\n",
                "migrations/x.sql:4: \"-- +upgrad\" is not a marker; did you mean \"-- +upgrade\"? (every migration needs an upgrade and a downgrade section)",
            ),
            (
                "-- Revision: x\n-- Revises:\n\n-- +upgrade\nCREATE TABLE t (id INT);\n--+downgarde\n",
                "migrations/x.sql:6: \"--+downgarde\" is not a marker; did you mean \"-- +downgrade\"? (every migration needs an upgrade and a downgrade section)",
            ),
            (
                "-- Revision: x\n-- Revises:\n\n-- +upgrade\n-- +downgrade\n-- +UPGRADE\n",
                "migrations/x.sql:6: second \"-- +upgrade\" marker (the first is on line 4): each marker appears exactly once",
            ),
            (
                "-- Revision: x\n-- Revises:\n\n-- +upgrade\n-- +downgrade\n\n-- +downgrade\n",
                "migrations/x.sql:7: second \"-- +downgrade\" marker (the first is on line 5): each marker appears exactly once",
            ),
            (
                "-- Revision: x\n-- Revises:\n\n-- +downgrade\nDROP TABLE t;\n-- +upgrade\nCREATE TABLE t (id INT);\n",
                "migrations/x.sql:4: \"-- +downgrade\" comes before \"-- +upgrade\" (line 6): the upgrade section comes first",
            ),
            (
                "-- Revision: x\n-- Revises:\n\n-- +upgrade now\n-- +downgrade\n",
                "migrations/x.sql:4: \"-- +upgrade now\" is not a marker: \"-- +upgrade\" must be alone on its line",
            ),
            (
                "-- Revision: x\n-- Revises:\n-- +downgrades\n",
                "migrations/x.sql:3: \"-- +downgrades\" is not a marker: \"-- +downgrade\" must be alone on its line",
            ),
            (
                "-- Revision: x\n-- Revises:\n\nCREATE TABLE t (id INT);\n-- +upgrade\n-- +downgrade\n",
                "migrations/x.sql:4: SQL before the \"-- +upgrade\" marker: statements belong in the upgrade or downgrade section",
            ),
            (
                "-- Revision: x\n-- Revises:\nCREATE TABLE t (id INT);\n-- +upgrade\n-- +downgrade\n",
                "migrations/x.sql:3: SQL before the \"-- +upgrade\" marker: statements belong in the upgrade or downgrade section",
            ),
        ];
        for (text, expected) in cases {
            assert_eq!(&err_x(text), expected, "for {text:?}");
        }
    }

    #[test]
    fn long_lines_are_cut_in_messages() {
        let long = format!("-- {}\n", "x".repeat(200));
        let message = err(&long);
        assert!(
            message.ends_with("…\": expected \"-- Key: value\""),
            "{message}"
        );
        assert!(message.len() < 200, "{message}");
    }

    #[test]
    fn odd_inputs_do_not_panic() {
        for text in [
            "--",
            "-- +",
            "-- é",
            "-- +upgradé",
            "-- +upgrade",
            "-- +downgrade",
            "\r",
            "\u{feff}",
            "-- Revision: ééé",
            "-- Message: \\u{",
            "-- Message: \\u{1234567}",
            "-- Message: \\",
            "\0\0\0",
        ] {
            let _ = parse(Path::new(NAME), text);
            let _ = parse(Path::new(""), text);
            let _ = parse(Path::new("/"), text);
        }
    }
}

#[cfg(test)]
mod extra_header_tests {
    use super::*;

    #[test]
    fn extra_headers_are_written_after_created_and_read_back() {
        let new = NewMigration {
            id: "3f2a9c1b7d04".into(),
            parents: vec![],
            message: "m".into(),
            created: "2026-11-22T02:20:44Z".into(),
            upgrade: vec![],
            downgrade: vec![],
            extra_headers: vec![("Dialect".into(), "sqlite".into())],
        };
        let text = render(&new);
        assert!(
            text.contains("-- Created: 2026-11-22T02:20:44Z\n-- Dialect: sqlite\n\n"),
            "{text}"
        );
        let m = parse(Path::new("3f2a9c1b7d04.sql"), &text).unwrap();
        assert_eq!(m.headers.get("dialect").map(String::as_str), Some("sqlite"));
    }
}

#[cfg(test)]
mod header_only_tests {
    use super::*;

    const NAME: &str = "migrations/20261122_022044_3f2a9c1b7d04_branch.sql";

    const LABELLED: &str = "\
-- wildebeest revision
-- Revision: 3f2a9c1b7d04
-- Revises: 1a2b3c4d5e6f
-- Message: add Department
-- Created: 2026-11-22T02:20:44Z
-- Branch-Labels: billing, Audit_2
-- Depends-On: 0a0a0a0a0a0a, 0b0b0b0b0b0b
-- Dialect: sqlite

-- +upgrade
CREATE TABLE department (id INTEGER PRIMARY KEY);

-- +downgrade
DROP TABLE department;
";

    fn header_err(text: &str) -> String {
        match parse_header(Path::new(NAME), text) {
            Ok(n) => panic!("expected an error, got {n:?}"),
            Err(e) => e.to_string(),
        }
    }

    #[test]
    fn labels_and_dependencies_are_read_from_the_header() {
        let m = parse(Path::new(NAME), LABELLED).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(m.branch_labels, ["billing", "Audit_2"]);
        assert_eq!(m.depends_on, ["0a0a0a0a0a0a", "0b0b0b0b0b0b"]);
        assert_eq!(m.depends_on_line, Some(7));
        // Only the headers the graph does not read stay in `headers`.
        assert_eq!(
            m.headers.keys().collect::<Vec<_>>(),
            [&"dialect".to_string()]
        );
        let node = parse_header(Path::new(NAME), LABELLED).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(node, Node::from(&m));
    }

    #[test]
    fn headers_of_ones_own_are_kept_and_near_misses_are_not_guessed() {
        let text = LABELLED.replace(
            "-- Dialect: sqlite\n",
            "-- Dialect: sqlite\n-- Created-By: ada\n-- Reviewed-By: bob\n\
             -- Ticket: DB-12\n-- TODO: index later\n-- Author: ada\n",
        );
        let m = parse(Path::new(NAME), &text).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            m.headers.keys().map(String::as_str).collect::<Vec<_>>(),
            [
                "author",
                "created-by",
                "dialect",
                "reviewed-by",
                "ticket",
                "todo"
            ]
        );
        for (key, known) in [
            ("Mesage", "Message"),
            ("created", ""),
            ("DIALECT", ""),
            ("Transactions", "Transaction"),
            ("Depends", ""),
            ("DependsOn", "Depends-On"),
            ("Branch_Labels", "Branch-Labels"),
        ] {
            assert_eq!(misspelt_key(key).unwrap_or(""), known, "{key}");
        }
    }

    #[test]
    fn the_header_alone_ignores_errors_in_the_sections() {
        let broken = LABELLED.replace("-- +downgrade\n", "");
        assert!(parse_header(Path::new(NAME), &broken).is_ok());
        assert_eq!(
            parse(Path::new(NAME), &broken).map_err(|e| e.to_string()),
            Err(format!(
                "{NAME}: no \"-- +downgrade\" marker: every migration needs an upgrade and a downgrade section"
            ))
        );
    }

    #[test]
    fn the_header_alone_reports_what_parse_reports_about_the_header() {
        for (text, expected) in [
            (
                "",
                format!(
                    "{NAME}: the file is empty: a migration needs a header and \"-- +upgrade\" and \"-- +downgrade\" sections"
                ),
            ),
            (
                "-- Revision: 3f2a9c1b7d04\n-- Revises: a, a\n",
                format!("{NAME}:2: the \"-- Revises:\" header names a twice"),
            ),
            (
                "-- Revision: 3f2a9c1b7d04\n-- Revises:\n-- Depends-On: b, b\n",
                format!("{NAME}:3: the \"-- Depends-On:\" header names b twice"),
            ),
            (
                "-- Revision: 3f2a9c1b7d04\n-- Revises:\n-- Depends-On: x-y\n",
                format!(
                    "{NAME}:3: invalid revision id \"x-y\" in the \"-- Depends-On:\" header: an id is 1 to 64 ASCII letters, digits or underscores"
                ),
            ),
            (
                "-- Revision: 3f2a9c1b7d04\n-- Revises:\n-- Branch-Labels: a b\n",
                format!(
                    "{NAME}:3: invalid branch label \"a b\" in the \"-- Branch-Labels:\" header: a label is 1 to 64 ASCII letters, digits or underscores, and not head, heads, base or current"
                ),
            ),
            (
                "-- Revision: 3f2a9c1b7d04\n-- Revises:\n-- Branch-Labels: heads\n",
                format!(
                    "{NAME}:3: invalid branch label \"heads\" in the \"-- Branch-Labels:\" header: a label is 1 to 64 ASCII letters, digits or underscores, and not head, heads, base or current"
                ),
            ),
            (
                "-- Revision: 3f2a9c1b7d04\n-- Revises:\n-- Branch-Labels: a, b, a\n",
                format!("{NAME}:3: the \"-- Branch-Labels:\" header names a twice"),
            ),
            (
                "-- Revision: 3f2a9c1b7d04\n-- Revises:\n-- branch-labels: a\n-- Branch-Labels: b\n",
                format!(
                    "{NAME}:4: duplicate \"-- Branch-Labels:\" header (the first is on line 3)"
                ),
            ),
            (
                "-- Revision: 0000000000aa\n-- Revises:\n",
                format!(
                    "{NAME}:1: the file name says revision \"3f2a9c1b7d04\" but the \"-- Revision:\" header says \"0000000000aa\": rename the file or fix the header"
                ),
            ),
        ] {
            assert_eq!(header_err(text), expected, "{text}");
            if text.is_empty() {
                continue;
            }
            // `parse` says the same.
            let full = parse(
                Path::new(NAME),
                &format!("{text}\n-- +upgrade\n-- +downgrade\n"),
            );
            assert_eq!(full.map(|_| ()).map_err(|e| e.to_string()), Err(expected));
        }
    }

    #[test]
    fn an_empty_label_header_is_no_label() {
        let text = "-- Revision: 3f2a9c1b7d04\n-- Revises:\n-- Branch-Labels:\n-- Depends-On:\n";
        let node = parse_header(Path::new(NAME), text).unwrap_or_else(|e| panic!("{e}"));
        assert!(node.branch_labels.is_empty());
        assert!(node.depends_on.is_empty());
    }

    #[test]
    fn the_header_ends_at_a_non_comment_line_or_a_marker() {
        assert!(!header_complete(b""));
        assert!(!header_complete(b"-- Revision: a\n-- Revises:"));
        assert!(!header_complete(b"-- Revision: a\n-- Revises:\n"));
        assert!(header_complete(
            b"-- Revision: a\n-- Revises:\n\n-- +upgrade\n"
        ));
        assert!(header_complete(b"\xef\xbb\xbf-- Revision: a\nCREATE\n"));
        assert!(header_complete(b"-- Revision: a\r-- +DOWNGRADE\r"));
        // A blank line ends the header for the parser, but comments may follow it
        // before the marker; reading on to the marker costs nothing.
        assert!(!header_complete(b"-- Revision: a\n\n-- a comment\n"));
    }

    #[test]
    fn bytes_cut_after_the_header_parse_even_inside_a_character() {
        let text = "-- Revision: 3f2a9c1b7d04\n-- Revises:\n-- Message: caf\u{e9}\n\n-- +upgrade\n-- \u{e9}t\u{e9}\n";
        let bytes = text.as_bytes();
        // Cut in the middle of the last `é`.
        let cut = &bytes[..bytes.len() - 3];
        let node = parse_header_bytes(Path::new(NAME), cut).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(node.message, "caf\u{e9}");
        // Invalid UTF-8 in the header is still an error, on its line.
        let bad = b"-- Revision: 3f2a9c1b7d04\n-- Message: \xff\n\n-- +upgrade\n";
        assert_eq!(
            parse_header_bytes(Path::new(NAME), bad).map_err(|e| e.to_string()),
            Err(format!(
                "{NAME}:2: the file is not valid UTF-8: migrations are UTF-8 text"
            ))
        );
    }
}
