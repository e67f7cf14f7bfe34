//! Migration files, the migrations directory and the revision graph. No database.
//!
//! - [`mod@file`]: one `.sql` file per revision — [`parse`] reads its header (`Revision`,
//!   `Revises`, `Message`, `Created`, `Branch-Labels`, `Depends-On`, and any other
//!   `-- Key: value`) and its `-- +upgrade` and `-- +downgrade` sections into a
//!   [`Migration`]; [`parse_header`] reads the header alone into a [`Node`]; [`render`] writes a
//!   [`NewMigration`]; [`file_name`] names it; [`new_revision_id`] makes an id from
//!   random bytes the caller supplies.
//! - [`checksum()`]: a SHA-256 that ignores line endings, a BOM and trailing white space.
//! - [`dir`]: [`load_dir`] parses every `*.sql` file of the migrations directory;
//!   [`load_headers`] reads only their headers, for commands that show the graph;
//!   [`load_headers_cached`] does it with a [`mod@cache`] of parsed headers, opening
//!   only the files whose size, times or inode changed.
//! - [`graph`]: [`RevisionGraph`], a pure structure over ids, parent links and
//!   `Depends-On` links: heads, bases, ancestors, branch labels, a deterministic
//!   topological order, prefix and label resolution, and the
//!   [`Target`]-driven `upgrade_plan`, `downgrade_plan` and `stamp_set`; branch
//!   points and ranges for display.
//! - [`sum`]: [`SumFile`], the generated `wildebeest.sum` (the heads, each file's
//!   checksum, a total) that turns two branches' new revisions into a git conflict.
//!
//! Nothing here reads the clock or a random source: times and random bytes are passed
//! in, so generated files are deterministic byte for byte.
//!
//! ```
//! use std::collections::BTreeSet;
//! use std::path::Path;
//! use wildebeest_revision::{NewMigration, RevisionGraph, Target, file_name, new_revision_id, parse, render};
//!
//! let new = NewMigration {
//!     id: new_revision_id([0x3f, 0x2a, 0x9c, 0x1b, 0x7d, 0x04]),
//!     parents: vec![],
//!     message: "add Department".into(),
//!     created: "2026-11-22T02:20:44Z".into(),
//!     upgrade: vec!["CREATE TABLE department (id INTEGER PRIMARY KEY)".into()],
//!     downgrade: vec!["DROP TABLE department".into()],
//!     extra_headers: vec![("Dialect".into(), "sqlite".into())],
//! };
//! let name = file_name(&new.created, &new.id, &new.message);
//! assert_eq!(name, "20261122_022044_3f2a9c1b7d04_add_department.sql");
//!
//! let migration = parse(&Path::new("migrations").join(&name), &render(&new))?;
//! let graph = RevisionGraph::new([migration])?;
//! assert_eq!(graph.heads(), ["3f2a9c1b7d04"]);
//!
//! let applied = BTreeSet::new();
//! let plan = graph.upgrade_plan(&applied, &Target::parse("head")?)?;
//! assert_eq!(plan, ["3f2a9c1b7d04"]);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

pub mod cache;
pub mod checksum;
pub mod dir;
pub mod file;
pub mod graph;
pub mod sum;

pub use checksum::checksum;
pub use dir::{
    DirError, check_regular, load_dir, load_headers, load_headers_cached, read_regular,
    read_regular_to_string,
};
pub use file::{
    FileError, FileErrorKind, Migration, NewMigration, Section, file_name, is_valid_id,
    new_revision_id, parse, parse_bytes, parse_header, parse_header_bytes, render,
};
pub use graph::{GraphError, LabelAt, Node, Place, RevisionGraph, Target};
pub use sum::{SUM_FILE, SumDifference, SumError, SumFile};
