//! The migration file parser (`parse_bytes`), and the statements of each section
//! (`parse_statements` in the file's `-- Dialect:`, SQLite when it names none).
//!
//! Invariants checked beyond "no panic":
//! - an error names a line of the file, if any;
//! - a parsed file's id, parents, message and creation time come back unchanged from
//!   `render` and `parse` (header values are escaped on the way out);
//! - the checksum is that of the text, and the sections start after their markers;
//! - a statement's line lies inside its section.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use wildebeest_revision::{
    FileErrorKind, NewMigration, checksum, file_name, parse, parse_bytes, render,
};
use wildebeest_sql::{Dialect, parse_statements};

#[path = "common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    // The file name must carry the header's id: parse once under a neutral name, and
    // again under the name the header asks for.
    let parsed = match parse_bytes(Path::new("migrations/fuzz.sql"), data) {
        Err(e) => match e.kind {
            FileErrorKind::NameMismatch { header_id, .. } => {
                parse_bytes(Path::new(&format!("migrations/{header_id}.sql")), data)
            }
            _ => Err(e),
        },
        ok => ok,
    };
    let text = String::from_utf8_lossy(data);
    let migration = match parsed {
        Ok(m) => m,
        Err(e) => {
            if let Some(line) = e.line {
                common::assert_position_in(&text, line, 1, &e.to_string());
            }
            return;
        }
    };
    assert_eq!(migration.checksum, checksum(&text));
    assert!(migration.upgrade.first_line >= 2);
    assert!(migration.downgrade.first_line > migration.upgrade.first_line);

    let created = migration.created.clone().unwrap_or_default();
    let new = NewMigration {
        id: migration.id.clone(),
        parents: migration.parents.clone(),
        message: migration.message.clone(),
        created: created.clone(),
        upgrade: vec![],
        downgrade: vec![],
        extra_headers: vec![],
    };
    let name = file_name(&created, &new.id, &new.message);
    let rendered = render(&new);
    let again = match parse(&Path::new("migrations").join(&name), &rendered) {
        Ok(m) => m,
        Err(e) => panic!("the rendered file does not parse: {e}\n{rendered}"),
    };
    assert_eq!(again.id, migration.id);
    assert_eq!(again.parents, migration.parents);
    assert_eq!(again.message, migration.message);
    assert_eq!(again.created.unwrap_or_default(), created);

    let dialect = migration
        .headers
        .get("dialect")
        .and_then(|d| Dialect::parse(d))
        .unwrap_or(Dialect::Sqlite);
    for section in [&migration.upgrade, &migration.downgrade] {
        let lines = section.text.split('\n').count();
        match parse_statements(&section.text, "fuzz.sql", dialect) {
            Ok((statements, _warnings)) => {
                for s in statements {
                    assert!(
                        s.line >= 1 && s.line <= lines,
                        "statement at line {} of a {lines}-line section",
                        s.line
                    );
                    assert!(!s.text.is_empty());
                }
            }
            Err(e) => common::assert_position_in(&section.text, e.line, e.column, &e.to_string()),
        }
    }
});
