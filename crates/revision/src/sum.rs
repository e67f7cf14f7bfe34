//! `wildebeest.sum`: the migrations folder's heads and checksums in one small
//! generated file, so that a fork in the revision graph becomes a version-control
//! conflict (as atlas's `atlas.sum` does for its folder).
//!
//! ```text
//! heads: 9a8b7c6d5e4f
//! 20261122_101500_5b1f0c2a9e47_initial_migration.sql 1c5e…(SHA-256 hex)
//! 20261122_101730_9a8b7c6d5e4f_add_department.sql 7d02…
//! total: 4f1a…
//! ```
//!
//! - The first line names the heads, sorted by id. Two branches that each add a
//!   revision on the same head both rewrite this line, differently, so merging them in
//!   git conflicts here instead of silently producing two heads.
//! - Then one line per migration file, sorted by file name: the name, a space, and the
//!   file's [`checksum`](crate::checksum()) (the one the database records).
//! - The last line is the SHA-256 of every line above it (each ended by `\n`), so a
//!   hand edit of the sum file itself is noticed.
//!
//! The file is rendered from the folder, byte for byte the same on every machine, and
//! is not a `.sql` file, so [`load_dir`](crate::load_dir) never reads it as a revision.

use std::fmt;

use sha2::{Digest, Sha256};

use crate::checksum::{hex, split_lines};
use crate::file::Migration;
use crate::graph::RevisionGraph;

/// The file's name inside the migrations folder.
pub const SUM_FILE: &str = "wildebeest.sum";

const HEADS: &str = "heads:";
const TOTAL: &str = "total:";

/// The content of a sum file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SumFile {
    /// The head revisions, sorted by id.
    pub heads: Vec<String>,
    /// `(file name, checksum)` for every migration file, sorted by file name.
    pub files: Vec<(String, String)>,
}

/// Why a sum file could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SumError {
    /// The file holds version-control conflict markers.
    #[error(
        "line {line} is a version-control conflict marker: two branches added migrations; take either side, then run `wildebeest merge -m MSG` (or `wildebeest rehash`)"
    )]
    Conflict {
        /// The 1-based line of the first marker.
        line: usize,
    },
    /// A line that is not in the format.
    #[error("line {line} is not a line of a sum file ({expected})")]
    Malformed {
        /// The 1-based line.
        line: usize,
        /// What was expected there.
        expected: &'static str,
    },
    /// The total does not match the lines above it: the file was edited by hand.
    #[error("its total line does not match the lines above it: it was edited by hand")]
    Total,
}

/// One way the recorded sum file differs from the folder.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum SumDifference {
    /// The heads line names other heads than the graph has.
    Heads {
        /// What the sum file says.
        recorded: Vec<String>,
        /// What the folder has.
        actual: Vec<String>,
    },
    /// A migration file the sum file does not list.
    Added {
        /// The file name.
        file: String,
    },
    /// A file the sum file lists that the folder does not have.
    Removed {
        /// The file name.
        file: String,
    },
    /// A file whose checksum is not the recorded one.
    Changed {
        /// The file name.
        file: String,
    },
}

impl fmt::Display for SumDifference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let list = |ids: &[String]| {
            if ids.is_empty() {
                "none".to_string()
            } else {
                ids.join(", ")
            }
        };
        match self {
            SumDifference::Heads { recorded, actual } => write!(
                f,
                "it records heads {}, but the migrations' heads are {}",
                list(recorded),
                list(actual)
            ),
            SumDifference::Added { file } => write!(f, "it does not list {file}"),
            SumDifference::Removed { file } => {
                write!(f, "it lists {file}, which is not in the folder")
            }
            SumDifference::Changed { file } => {
                write!(f, "{file} changed since it was written")
            }
        }
    }
}

impl SumFile {
    /// The sum of a folder: its migrations and their graph.
    pub fn new(migrations: &[Migration], graph: &RevisionGraph) -> SumFile {
        let mut files: Vec<(String, String)> = migrations
            .iter()
            .map(|m| {
                let name = m.path.file_name().unwrap_or(m.path.as_os_str());
                (name.to_string_lossy().into_owned(), m.checksum.clone())
            })
            .collect();
        files.sort();
        SumFile {
            heads: graph.heads().into_iter().map(str::to_string).collect(),
            files,
        }
    }

    /// The lines the total covers, each ended by `\n`.
    fn body(&self) -> String {
        let mut out = String::from(HEADS);
        for head in &self.heads {
            out.push(' ');
            out.push_str(head);
        }
        out.push('\n');
        for (name, checksum) in &self.files {
            out.push_str(name);
            out.push(' ');
            out.push_str(checksum);
            out.push('\n');
        }
        out
    }

    /// The SHA-256 (lower-case hex) of the heads line and the file lines.
    pub fn total(&self) -> String {
        hex(Sha256::digest(self.body().as_bytes()).as_slice())
    }

    /// The file's text.
    pub fn render(&self) -> String {
        let body = self.body();
        let total = hex(Sha256::digest(body.as_bytes()).as_slice());
        format!("{body}{TOTAL} {total}\n")
    }

    /// Reads a sum file (LF or CRLF line endings), checking its total.
    pub fn parse(text: &str) -> Result<SumFile, SumError> {
        let lines: Vec<&str> = split_lines(text).map(str::trim_end).collect();
        let conflict = |l: &str| {
            ["<<<<<<<", "=======", ">>>>>>>", "|||||||"]
                .iter()
                .any(|m| l.starts_with(m))
        };
        if let Some(i) = lines.iter().position(|l| conflict(l)) {
            return Err(SumError::Conflict { line: i + 1 });
        }
        let malformed = |line: usize, expected| SumError::Malformed { line, expected };
        let Some(heads) = lines.first().and_then(|l| l.strip_prefix(HEADS)) else {
            return Err(malformed(1, "`heads:` and the head revisions"));
        };
        let heads: Vec<String> = heads.split_whitespace().map(str::to_string).collect();
        let mut files = Vec::new();
        let mut total = None;
        for (i, line) in lines.iter().enumerate().skip(1) {
            if total.is_some() {
                if line.is_empty() {
                    continue;
                }
                return Err(malformed(i + 1, "nothing after the total line"));
            }
            if let Some(t) = line.strip_prefix(TOTAL) {
                total = Some(t.trim().to_string());
                continue;
            }
            let Some((name, checksum)) = line.rsplit_once(' ') else {
                return Err(malformed(i + 1, "a file name, a space and its checksum"));
            };
            if name.is_empty() || !is_hex64(checksum) {
                return Err(malformed(i + 1, "a file name, a space and its checksum"));
            }
            files.push((name.to_string(), checksum.to_string()));
        }
        let Some(total) = total else {
            return Err(malformed(
                lines.len().max(1),
                "a last line `total:` and a hash",
            ));
        };
        let sum = SumFile { heads, files };
        if sum.total() != total {
            return Err(SumError::Total);
        }
        Ok(sum)
    }

    /// How this (recorded) sum differs from `actual` (the folder's): the heads, then
    /// each file in name order.
    pub fn differences(&self, actual: &SumFile) -> Vec<SumDifference> {
        let mut out = Vec::new();
        let mut recorded_heads = self.heads.clone();
        recorded_heads.sort();
        if recorded_heads != actual.heads {
            out.push(SumDifference::Heads {
                recorded: self.heads.clone(),
                actual: actual.heads.clone(),
            });
        }
        let recorded: std::collections::BTreeMap<&str, &str> = self
            .files
            .iter()
            .map(|(n, c)| (n.as_str(), c.as_str()))
            .collect();
        let now: std::collections::BTreeMap<&str, &str> = actual
            .files
            .iter()
            .map(|(n, c)| (n.as_str(), c.as_str()))
            .collect();
        let names: std::collections::BTreeSet<&str> =
            recorded.keys().chain(now.keys()).copied().collect();
        for name in names {
            let file = name.to_string();
            match (recorded.get(name), now.get(name)) {
                (Some(a), Some(b)) if a != b => out.push(SumDifference::Changed { file }),
                (None, Some(_)) => out.push(SumDifference::Added { file }),
                (Some(_), None) => out.push(SumDifference::Removed { file }),
                _ => {}
            }
        }
        out
    }
}

fn is_hex64(s: &str) -> bool {
    s.len() == 64 && s.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}
