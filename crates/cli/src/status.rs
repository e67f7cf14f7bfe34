//! `status`: every revision, oldest first, applied (and when) or pending, and where
//! the database is at the end (the habit of `sqlx migrate info` and `dbmate status`).
//! It only reads, through the library's [`wildebeest::Migrator::current`]: a missing
//! SQLite file stays missing, no version table is made.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;

use anyhow::Result;
use serde::Serialize;

use crate::app::{Outcome, Project, half_done_line, unknown_applied};
use crate::output::{Format, write_json};

/// One revision's line.
#[derive(Debug, Serialize)]
struct Row<'a> {
    revision: &'a str,
    message: &'a str,
    /// `applied`, `pending`, `half_done`, or `unknown` (applied, no file defines it).
    status: &'static str,
    /// When it was applied (RFC 3339 UTC); `null` when it is not.
    applied_at: Option<&'a str>,
}

/// A revision stopped half way, as JSON says it.
#[derive(Debug, Serialize)]
pub(crate) struct HalfDone<'a> {
    revision: &'a str,
    pub(crate) direction: &'static str,
    statements_done: usize,
    /// The database's error; `null` when the run was interrupted.
    pub(crate) error: Option<&'a str>,
}

#[derive(Debug, Serialize)]
struct Status<'a> {
    /// Whether the database exists (a SQLite file not made yet does not).
    database_exists: bool,
    revisions: Vec<Row<'a>>,
    /// Every revision applied, none half done, none unknown.
    at_head: bool,
    pending: usize,
    half_done: Option<HalfDone<'a>>,
    unknown_applied: Vec<&'a str>,
}

/// `status`: exit 0 at head, 1 when work is pending (or a revision is half done, or
/// the database has revisions no file defines), 2 on error.
pub fn status(project: &Project, format: Format, out: &mut dyn Write) -> Result<Outcome> {
    let current = project.migrator().current(project.config.database()?)?;
    let exists = current.exists;
    let applied = &current.applied_at;
    let partial = current.half_done.as_ref();
    let when: BTreeMap<&str, &str> = applied
        .iter()
        .map(|a| (a.revision.as_str(), a.at.as_str()))
        .collect();
    let half = partial.map(|p| p.revision.as_str());
    let graph = project.graph();
    let mut rows = Vec::new();
    for id in graph.topo_order() {
        let applied_at = when.get(id).copied();
        let status = if Some(id) == half {
            "half_done"
        } else if applied_at.is_some() {
            "applied"
        } else {
            "pending"
        };
        rows.push(Row {
            revision: id,
            message: &project.node(id).message,
            status,
            applied_at,
        });
    }
    let known: BTreeSet<&str> = rows.iter().map(|r| r.revision).collect();
    let unknown: Vec<&str> = applied
        .iter()
        .map(|a| a.revision.as_str())
        .filter(|id| !known.contains(id))
        .collect();
    for a in applied
        .iter()
        .filter(|a| !known.contains(a.revision.as_str()))
    {
        rows.push(Row {
            revision: &a.revision,
            message: "",
            status: "unknown",
            applied_at: Some(&a.at),
        });
    }
    let pending = rows.iter().filter(|r| r.status == "pending").count();
    let at_head = pending == 0 && partial.is_none() && unknown.is_empty();
    let outcome = if at_head {
        Outcome::Ok
    } else {
        Outcome::Differences
    };
    if format == Format::Json {
        write_json(
            out,
            &Status {
                database_exists: exists,
                revisions: rows,
                at_head,
                pending,
                half_done: partial.map(half_done_json),
                unknown_applied: unknown,
            },
        )?;
        return Ok(outcome);
    }
    let id_width = rows.iter().map(|r| r.revision.len()).max().unwrap_or(0);
    let status_width = rows
        .iter()
        .map(|r| shown(r.status).len())
        .max()
        .unwrap_or(0);
    let time_width = rows
        .iter()
        .filter_map(|r| r.applied_at.map(str::len))
        .max()
        .unwrap_or(0);
    for r in &rows {
        // No time column when nothing is applied.
        let time = match time_width {
            0 => String::new(),
            _ => format!("{:time_width$}  ", r.applied_at.unwrap_or("")),
        };
        let line = format!(
            "{:id_width$}  {:status_width$}  {time}{}",
            r.revision,
            shown(r.status),
            r.message
        );
        writeln!(out, "{}", line.trim_end())?;
    }
    if !rows.is_empty() {
        writeln!(out)?;
    }
    let upgrade = if graph.heads().len() > 1 {
        "heads"
    } else {
        "head"
    };
    if let Some(p) = partial {
        writeln!(out, "{}", half_done_line(project, p))?;
    }
    for id in &unknown {
        writeln!(out, "{}", capitalized(&unknown_applied(project, id)))?;
    }
    if pending > 0 {
        let missing = if exists {
            ""
        } else {
            "The database does not exist yet: "
        };
        writeln!(
            out,
            "{missing}{} pending (run `wildebeest upgrade {upgrade}`).",
            revisions(pending)
        )?;
    }
    if at_head {
        if rows.is_empty() {
            writeln!(
                out,
                "No revisions in {}/ yet: the database is at base, which is head.",
                project.config.show(&project.config.migrations_dir)
            )?;
        } else {
            writeln!(
                out,
                "At head: {} applied, none pending.",
                revisions(rows.len())
            )?;
        }
    }
    Ok(outcome)
}

fn shown(status: &str) -> &str {
    match status {
        "half_done" => "half done",
        "unknown" => "no file",
        other => other,
    }
}

fn revisions(n: usize) -> String {
    if n == 1 {
        "1 revision".to_string()
    } else {
        format!("{n} revisions")
    }
}

fn capitalized(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// A half-done revision as every JSON shape says it.
pub(crate) fn half_done_json(p: &wildebeest::HalfDone) -> HalfDone<'_> {
    HalfDone {
        revision: &p.revision,
        direction: p.direction.as_str(),
        statements_done: p.statements_done,
        error: p.error.as_deref(),
    }
}
