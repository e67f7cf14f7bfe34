//! Working as a team: branches and merges (`revision --head`, `merge`, `branches`,
//! `history -r`, `current --check-heads`), the fork-safe `migrations/wildebeest.sum`
//! (`rehash`, and what `check` reports about it), offline scripts
//! (`upgrade --sql START:END`) and `stamp --purge`.
//!
//! Two colleagues who each add a migration on the same head create two heads; git
//! merges their files without complaint and `upgrade head` stops. The sum file names
//! the heads on its first line, so both branches change that line and git reports a
//! conflict on merge instead; `wildebeest merge` writes the revision that joins them.

use std::collections::{BTreeSet, HashSet};
use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use wildebeest_revision::{
    GraphError, LabelAt, Migration, Place, RevisionGraph, SUM_FILE, SumDifference, SumFile, Target,
    load_dir,
};
use wildebeest_runner::{Mode, Operation, RunError, Runner};
use wildebeest_sqlite::SqliteBackend;

use crate::app::{self, Direction, Fresh, Outcome, Project};
use crate::lanes::Lanes;

/// Writes `wildebeest.sum` for the migrations in `dir` (read again from disk, so a
/// file just written counts). Leaves the file untouched when it is already right.
pub fn write_sum(dir: &Path) -> Result<PathBuf> {
    let migrations = load_dir(dir).map_err(|e| anyhow::anyhow!("{e}"))?;
    let graph = RevisionGraph::new(&migrations)?;
    write_sum_of(dir, &migrations, &graph)
}

/// Fails unless `wildebeest.sum` in `dir` is a regular file or missing: anything
/// else there would block the read or the write (a FIFO). Checked before a new
/// migration is written, so that a refusal leaves no file behind.
pub(crate) fn sum_writable(dir: &Path) -> Result<()> {
    let path = dir.join(SUM_FILE);
    match wildebeest_revision::check_regular(&path) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
            Err(e).with_context(|| format!("cannot write {}", path.display()))
        }
        _ => Ok(()),
    }
}

fn write_sum_of(dir: &Path, migrations: &[Migration], graph: &RevisionGraph) -> Result<PathBuf> {
    let path = dir.join(SUM_FILE);
    let text = SumFile::new(migrations, graph).render();
    sum_writable(dir)?;
    if wildebeest_revision::read_regular_to_string(&path)
        .ok()
        .as_deref()
        != Some(text.as_str())
    {
        std::fs::write(&path, text).with_context(|| format!("cannot write {}", path.display()))?;
    }
    Ok(path)
}

/// `rehash`: rewrites `wildebeest.sum` from the folder.
pub fn rehash(project: &Project, out: &mut dyn Write) -> Result<Outcome> {
    let dir = &project.config.migrations_dir;
    let path = write_sum_of(dir, project.migrations()?, project.graph())?;
    let heads = project.graph().heads();
    writeln!(
        out,
        "Wrote {} ({} {}: {})",
        project.config.show(&path),
        heads.len(),
        if heads.len() == 1 { "head" } else { "heads" },
        if heads.is_empty() {
            "none".to_string()
        } else {
            heads.join(", ")
        }
    )?;
    if heads.len() > 1 {
        writeln!(
            out,
            "There are several heads: join them with `wildebeest merge -m MSG`."
        )?;
    }
    Ok(Outcome::Ok)
}

/// After `upgrade` applied `revisions`: a file among them whose checksum in
/// `wildebeest.sum` is not its own was edited after the command that wrote it
/// (`revision -m` writes an empty one to fill in) and before any database had it, so
/// the sum takes its checksum now, the one this database recorded; the heads line
/// and every other file's line stay as they are, so a fork still conflicts and an
/// applied file edited later is still noticed. Returns the files recorded.
/// A missing or unreadable sum is left for `check` to report.
pub(crate) fn record_applied(project: &Project, revisions: &[String]) -> Result<Vec<String>> {
    let dir = &project.config.migrations_dir;
    let path = dir.join(SUM_FILE);
    let Ok(text) = wildebeest_revision::read_regular_to_string(&path) else {
        return Ok(Vec::new());
    };
    let Ok(mut sum) = SumFile::parse(&text) else {
        return Ok(Vec::new());
    };
    let mut recorded = Vec::new();
    for id in revisions {
        let m = project.migration(id)?;
        let name = m
            .path
            .file_name()
            .unwrap_or(m.path.as_os_str())
            .to_string_lossy()
            .into_owned();
        if let Some(line) = sum.files.iter_mut().find(|(n, _)| *n == name)
            && line.1 != m.checksum
        {
            line.1 = m.checksum.clone();
            recorded.push(project.config.show(&m.path));
        }
    }
    if !recorded.is_empty() {
        std::fs::write(&path, sum.render())
            .with_context(|| format!("cannot write {}", path.display()))?;
    }
    Ok(recorded)
}

/// What `check` reports about `wildebeest.sum`: missing (while there are
/// migrations), unreadable (conflict markers, hand edits), or not matching the folder.
pub fn sum_problems(project: &Project) -> Result<Vec<String>> {
    let path = project.config.migrations_dir.join(SUM_FILE);
    let shown = project.config.show(&path);
    let text = match wildebeest_revision::read_regular_to_string(&path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Ok(if project.graph().is_empty() {
                Vec::new()
            } else {
                vec![format!(
                    "{shown} is missing: run `wildebeest rehash` and commit it with the migrations"
                )]
            });
        }
        Err(e) => return Err(e).with_context(|| format!("cannot read {shown}")),
    };
    let recorded = match SumFile::parse(&text) {
        Ok(sum) => sum,
        Err(e) => return Ok(vec![format!("{shown}: {e}")]),
    };
    let actual = SumFile::new(project.migrations()?, project.graph());
    Ok(recorded
        .differences(&actual)
        .into_iter()
        .map(|d| {
            let fix = match d {
                SumDifference::Heads { .. } if actual.heads.len() > 1 => {
                    "run `wildebeest merge -m MSG`"
                }
                _ => "run `wildebeest rehash` once the migrations are as intended",
            };
            format!("{shown} is stale: {d}; {fix}")
        })
        .collect())
}

/// `merge -m MSG [REV...]`: an empty revision whose parents are REVs (default, or
/// `heads`: every head), sorted.
pub fn merge(
    project: &Project,
    message: &str,
    revisions: &[String],
    fresh: &Fresh,
    out: &mut dyn Write,
) -> Result<Outcome> {
    let graph = project.graph();
    let mut parents = BTreeSet::new();
    if revisions.is_empty() {
        parents.extend(graph.heads().into_iter().map(str::to_string));
    }
    let all_heads = revisions.is_empty() || revisions.iter().any(|r| r == "heads");
    for rev in revisions {
        if rev == "heads" {
            parents.extend(graph.heads().into_iter().map(str::to_string));
        } else if rev.contains('@') {
            // `LABEL@head`: the head of that branch.
            let target = wildebeest_revision::Target::parse(rev)?;
            parents.extend(graph.target_revisions(&BTreeSet::new(), &target)?);
        } else {
            parents.insert(graph.resolve_prefix(rev)?.to_string());
        }
    }
    if parents.len() < 2 {
        match (all_heads, parents.first()) {
            (true, Some(head)) => {
                bail!("nothing to merge: {head} is the only head")
            }
            (true, None) => bail!("nothing to merge: there are no revisions"),
            _ => bail!("a merge joins at least two revisions; name two or more, or `heads`"),
        }
    }
    for p in &parents {
        let ancestors = graph.ancestors(p);
        if let Some(q) = parents.iter().find(|q| *q != p && ancestors.contains(*q)) {
            bail!(
                "{q} is an ancestor of {p}: a merge of them adds nothing; merge {p} with another branch's head"
            );
        }
    }
    // A merge of revisions with children leaves their heads as they were and adds one
    // (a bare branch label names the branch's first revision, not its head).
    for p in &parents {
        let children = graph.children(p);
        if !children.is_empty() {
            bail!(
                "{p} is not a head ({} grows on it): a merge joins heads; name each branch's head, \
                 as its id, LABEL@head or `heads`",
                children.join(", ")
            );
        }
    }
    let parents: Vec<String> = parents.into_iter().collect();
    let path = app::write_migration(
        project,
        message,
        parents.clone(),
        vec![],
        vec![],
        vec![],
        fresh,
    )?;
    writeln!(out, "Generated {}", project.config.show(&path))?;
    let left = graph.heads().len() + 1 - parents.len();
    writeln!(
        out,
        "It merges {}. Run `wildebeest upgrade{}`.",
        parents.join(", "),
        if left > 1 { " heads" } else { "" }
    )?;
    Ok(Outcome::Ok)
}

/// `revision -m MSG --head REV [--splice]`: an empty revision on REV (`base`: a new
/// root). A REV that is not a head needs `--splice` (as in alembic): the new revision
/// starts a branch from the middle of the history, which is rarely meant.
pub fn revision_on(
    project: &Project,
    message: &str,
    head: &str,
    links: &app::Links,
    fresh: &Fresh,
    out: &mut dyn Write,
) -> Result<Outcome> {
    let graph = project.graph();
    let parent = parent_for(project, head, links.splice)?;
    let extra = links.headers(project)?;
    let path = app::write_migration(
        project,
        message,
        parent.clone().into_iter().collect(),
        vec![],
        vec![],
        extra,
        fresh,
    )?;
    writeln!(out, "Generated {}", project.config.show(&path))?;
    let branches = match &parent {
        Some(p) => !graph.children(p).is_empty(),
        None => !graph.is_empty(),
    };
    if branches {
        let from = parent.as_deref().unwrap_or("base");
        writeln!(
            out,
            "It starts a new branch from {from}: the migrations now have several heads; join them later with `wildebeest merge -m MSG`."
        )?;
    }
    writeln!(
        out,
        "Write its upgrade and downgrade SQL, then run `wildebeest upgrade`."
    )?;
    Ok(Outcome::Ok)
}

/// The parent `--head REV` names for a new revision: `None` for `base` (a new root).
/// Refuses a revision that has children unless `splice`.
pub fn parent_for(project: &Project, head: &str, splice: bool) -> Result<Option<String>> {
    let graph = project.graph();
    let parent = match head {
        "base" => None,
        "head" | "heads" => {
            bail!(
                "--head takes a revision, LABEL@head or base; without --head the revision goes on the head"
            )
        }
        // `LABEL@head` (or another label target that names one revision).
        rev if rev.contains('@') => {
            let named = graph.target_revisions(&BTreeSet::new(), &Target::parse(rev)?)?;
            match <[String; 1]>::try_from(named) {
                Ok([one]) => Some(one),
                Err(_) => bail!("--head {rev} does not name one revision; use LABEL@head"),
            }
        }
        rev => Some(graph.resolve_prefix(rev)?.to_string()),
    };
    if let Some(p) = &parent {
        let children = graph.children(p);
        if !children.is_empty() && !splice {
            bail!(
                "revision {p} is not a head (it has {} {}: {}): a new revision on it starts a branch from the middle of the history; add --splice if that is what you mean, or put it on a head",
                children.len(),
                if children.len() == 1 {
                    "child"
                } else {
                    "children"
                },
                children.join(", ")
            );
        }
    }
    Ok(parent)
}

/// `branches`: every branch point, oldest first, with its children.
pub fn branches(project: &Project, out: &mut dyn Write) -> Result<Outcome> {
    let graph = project.graph();
    let points = graph.branch_points();
    if points.is_empty() {
        eprintln!("No branches: every revision has at most one child.");
    }
    for id in points {
        let m = project.node(id);
        writeln!(out, "{id} (branchpoint), {}", m.message)?;
        for child in graph.children(id) {
            let place = graph.place(child).expect("children come from the graph");
            let tags = tags(&place, None);
            let labels = labels_text(&place.labels);
            writeln!(out, "    -> {child}{labels}{tags}, {}", place.node.message)?;
        }
    }
    Ok(Outcome::Ok)
}

/// ` (billing, audit)`: the branch labels a revision carries, as alembic shows them;
/// empty when it carries none.
pub(crate) fn label_tag(graph: &RevisionGraph, id: &str) -> String {
    labels_text(&graph.labels(id))
}

fn labels_text(labels: &[&str]) -> String {
    if labels.is_empty() {
        String::new()
    } else {
        format!(" ({})", labels.join(", "))
    }
}

/// ` (head, mergepoint)`: what a revision is in the graph, and in the database when
/// `applied` is given.
fn tags(place: &Place<'_>, applied: Option<&Applied>) -> String {
    let mut tags = Vec::new();
    if place.children.is_empty() {
        tags.push("head");
    }
    if place.children.len() > 1 {
        tags.push("branchpoint");
    }
    if place.node.parents.len() > 1 {
        tags.push("mergepoint");
    }
    if let Some(a) = applied {
        let id = &place.node.id;
        if a.current.iter().any(|c| c == id) {
            tags.push("current");
        } else if a.all.contains(id) {
            tags.push("applied");
        }
    }
    if tags.is_empty() {
        String::new()
    } else {
        format!(" ({})", tags.join(", "))
    }
}

/// The database's applied revisions and its current heads.
struct Applied {
    all: BTreeSet<String>,
    current: Vec<String>,
}

fn applied(project: &Project) -> Result<Applied> {
    let all: BTreeSet<String> = app::applied_ids(project)?.into_iter().collect();
    // Marks would be wrong: an unknown revision is above the ones it was applied on.
    if let Some(id) = all.iter().find(|id| project.graph().get(id).is_none()) {
        bail!(app::unknown_applied(project, id));
    }
    let current = project.graph().current_heads(&all);
    Ok(Applied { all, current })
}

/// `history [-r START:END] [-v] [--indicate-current] [--graph]`, newest first.
pub fn history(
    project: &Project,
    range: Option<&str>,
    verbose: bool,
    indicate_current: bool,
    drawn: bool,
    out: &mut dyn Write,
) -> Result<Outcome> {
    let graph = project.graph();
    let ends = match range {
        None => None,
        Some(r) => {
            let Some((start, end)) = r.split_once(':') else {
                bail!(
                    "-r takes START:END (either may be left out, as in `-r base:head` or `-r abc123:`), not \"{r}\""
                );
            };
            Some((start.trim(), end.trim()))
        }
    };
    // The database is read only when needed.
    let needs_db = indicate_current
        || ends.is_some_and(|(s, e)| {
            [s, e].iter().any(|x| {
                *x == "current" || x.starts_with(['+', '-']) || x.contains("@+") || x.contains("@-")
            })
        });
    let db = if needs_db {
        Some(applied(project)?)
    } else {
        None
    };
    let ids: Vec<&str> = match ends {
        None => graph.topo_order(),
        Some((start, end)) => {
            let end_of = |text: &str, default: &str| -> Result<Vec<String>> {
                let text = if text.is_empty() { default } else { text };
                let empty = BTreeSet::new();
                let all = db.as_ref().map_or(&empty, |d| &d.all);
                if text == "current" {
                    return Ok(db.as_ref().map(|d| d.current.clone()).unwrap_or_default());
                }
                Ok(graph.target_revisions(all, &Target::parse(text)?)?)
            };
            // As a start, LABEL@base is the branch's first revision, so that
            // `-r LABEL@base:LABEL@head` is the branch.
            let lower = match Target::parse(start) {
                Ok(Target::Label(label, LabelAt::Base)) => {
                    vec![graph.label_base(&label)?.to_string()]
                }
                _ => end_of(start, "base")?,
            };
            let upper = end_of(end, "heads")?;
            let ids = graph.range(&lower, &upper)?;
            // Reversed or unrelated ends select nothing; silence would read as an
            // empty history.
            if ids.is_empty() && !lower.is_empty() && !upper.is_empty() {
                bail!(
                    "history -r {start}:{end}: no revision descends from {} and leads to {}; START must be at or below END on the same branch",
                    lower.join(", "),
                    upper.join(", ")
                );
            }
            ids
        }
    };
    let marks = if indicate_current { db.as_ref() } else { None };
    // With --graph, lanes drawn beside the revisions show the parents (those within
    // the range), so the line leaves out the `PARENTS ->` part.
    let shown: HashSet<&str> = if drawn {
        ids.iter().copied().collect()
    } else {
        HashSet::new()
    };
    let mut lanes = Lanes::new();
    for id in ids.into_iter().rev() {
        let place = graph.place(id).expect("ids listed come from the graph");
        let m = place.node;
        let tags = tags(&place, marks);
        let labels = labels_text(&place.labels);
        let (body, moves) = if drawn {
            let parents: Vec<&str> = m
                .parents
                .iter()
                .map(String::as_str)
                .filter(|p| shown.contains(p))
                .collect();
            let row = lanes.row(id, &parents);
            if let Some(gap) = &row.gap {
                writeln!(out, "{gap}")?;
            }
            writeln!(out, "{}{id}{labels}{tags}  {}", row.mark, m.message)?;
            (format!("{}  ", row.body), row.moves)
        } else {
            let parents = if m.parents.is_empty() {
                "<base>".to_string()
            } else {
                m.parents.join(", ")
            };
            writeln!(out, "{parents} -> {id}{labels}{tags}, {}", m.message)?;
            ("    ".to_string(), Vec::new())
        };
        if verbose {
            writeln!(out, "{body}Path: {}", project.config.show(&m.path))?;
            if !m.branch_labels.is_empty() {
                writeln!(out, "{body}Branch labels: {}", m.branch_labels.join(", "))?;
            }
            if !m.depends_on.is_empty() {
                writeln!(out, "{body}Depends on: {}", m.depends_on.join(", "))?;
            }
            if let Some(created) = &m.created {
                writeln!(out, "{body}Created: {created}")?;
            }
            if place.children.len() > 1 {
                writeln!(out, "{body}Branches into: {}", place.children.join(", "))?;
            }
        }
        for line in moves {
            writeln!(out, "{line}")?;
        }
    }
    Ok(Outcome::Ok)
}

/// `current [-v] [--check-heads]`: with `--check-heads`, exit 1 unless every head is
/// applied.
pub fn current(
    project: &Project,
    verbose: bool,
    check_heads: bool,
    out: &mut dyn Write,
) -> Result<Outcome> {
    // The ids `current` read: a second connection for them would cost a round trip.
    let (outcome, ids) = app::current_read(project, verbose, out)?;
    if !check_heads {
        return Ok(outcome);
    }
    let missing: Vec<&str> = project
        .graph()
        .heads()
        .into_iter()
        .filter(|h| !ids.iter().any(|id| id == h))
        .collect();
    if missing.is_empty() {
        return Ok(outcome);
    }
    out.flush()?;
    eprintln!(
        "The database is not at every head: {} not applied (run `wildebeest upgrade {}`).",
        missing.join(", "),
        if project.graph().heads().len() > 1 {
            "heads"
        } else {
            "head"
        }
    );
    Ok(Outcome::Differences)
}

/// `upgrade --sql START:END` / `downgrade --sql START:END`: the whole script from
/// START's state, planned against the replayed schema of START (no database is read),
/// with the version tables' DDL and the bookkeeping.
pub fn offline(
    project: &Project,
    direction: Direction,
    range: &str,
    sql: bool,
    allow_data_loss: bool,
    out: &mut dyn Write,
) -> Result<Outcome> {
    let (command, operation) = match direction {
        Direction::Downgrade => ("downgrade", Operation::Downgrade),
        _ => ("upgrade", Operation::Upgrade),
    };
    let Some((start, end)) = range.split_once(':') else {
        bail!("internal error: {range} is not START:END");
    };
    if !sql {
        bail!(
            "{command} {range}: START:END writes a script for a database at START and goes with --sql; to run against the database, give one target"
        );
    }
    let (start, end) = (start.trim(), end.trim());
    let start = if start.is_empty() { "base" } else { start };
    let end = match (end, direction) {
        ("", Direction::Downgrade) => {
            bail!("downgrade --sql {range}: give where the downgrade ends, as in `head:base`")
        }
        ("", _) => "head",
        (end, _) => end,
    };
    let start_target = Target::parse(start)?;
    if matches!(start_target, Target::Relative(_)) {
        bail!(
            "START in {command} --sql START:END is a state, not read from a database: head, heads, base, a revision, REV+N or REV-N"
        );
    }
    let applied = project.graph().stamp_set(&start_target)?;
    let end_target = Target::parse(end)?;
    let mut warnings = Vec::new();
    let schema = project.replay(&applied, &mut warnings)?;
    // No database is read or needed: the script is planned from the migrations.
    let mut backend = project.open_offline()?;
    let mut runner = Runner::new(backend.as_mut(), project.migrations()?)?
        .with_display_root(&project.config.root)
        .with_allow_data_loss(allow_data_loss);
    // Written only once whole: a failing plan leaves no partial script behind.
    let mut script = Vec::new();
    writeln!(
        script,
        "-- wildebeest {command} {start}:{end}: for a database at {start}, planned from the migrations alone."
    )?;
    let report = match runner.offline_script(operation, &applied, schema, &end_target, &mut script)
    {
        // No database is read: the heads are START's.
        Err(RunError::Graph(GraphError::MultipleCurrentHeads { heads })) => bail!(
            "the script starts at `{start}`, {} revisions ({}): a relative step cannot choose between them; name a revision instead",
            heads.len(),
            heads.join(", ")
        ),
        other => other?,
    };
    warnings.extend(report.warnings);
    app::print_warnings(&warnings);
    if report.revisions.is_empty() {
        writeln!(script, "-- Nothing to do: {start} is already at {end}.")?;
    }
    out.write_all(&script)?;
    Ok(Outcome::Ok)
}

/// `stamp TARGET --purge [--sql]`: empties the version table, then records TARGET.
pub fn stamp_purge(
    project: &Project,
    target: &str,
    sql: bool,
    out: &mut dyn Write,
) -> Result<Outcome> {
    let target = Target::parse(target)?;
    let mode = if sql { Mode::Sql } else { Mode::Execute };
    let mut backend = match project.open(!sql)? {
        Some(b) => b,
        None => Box::new(SqliteBackend::open_in_memory()?),
    };
    let mut runner = Runner::new(backend.as_mut(), project.migrations()?)?
        .with_display_root(&project.config.root)
        .with_purge(true);
    let report = runner.stamp(&target, mode, out)?;
    if mode == Mode::Execute {
        for r in &report.revisions {
            writeln!(out, "Stamped {} (version table purged)", r.revision)?;
        }
    }
    Ok(Outcome::Ok)
}
