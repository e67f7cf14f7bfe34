//! The revision graph: a pure structure over ids and parent links (after alembic's
//! `RevisionMap`), built once and then asked for heads, walks, target resolution and
//! upgrade/downgrade plans. No IO; every answer is deterministic.
//!
//! Vocabulary: a revision's *parents* are the revisions it revises; *up* is towards
//! children (upgrade), *down* towards parents (downgrade). A *head* has no children, a
//! *base* no parents. The *applied* set is what the database's version table holds.

use std::cmp::Reverse;
use std::collections::{BTreeSet, BinaryHeap};
use std::fmt;
use std::path::{Path, PathBuf};

use crate::file::{Migration, is_valid_id};

/// One revision as the graph sees it: its header (what [`parse_header`](crate::parse_header)
/// reads), without the sections.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Node {
    /// The revision id.
    pub id: String,
    /// The ids it revises, in file order.
    pub parents: Vec<String>,
    /// The file that defines it, for error messages and ordering.
    pub path: PathBuf,
    /// The `Message:` header (empty when absent).
    pub message: String,
    /// The `Created:` header, when present.
    pub created: Option<String>,
    /// The labels this revision declares (`Branch-Labels:`); see
    /// [`RevisionGraph::labels`] for the ones it carries.
    pub branch_labels: Vec<String>,
    /// The revisions it depends on without revising them (`Depends-On:`).
    pub depends_on: Vec<String>,
    /// The line of the `Depends-On:` header, for errors.
    pub depends_on_line: Option<usize>,
}

impl From<Migration> for Node {
    fn from(m: Migration) -> Node {
        Node {
            id: m.id,
            parents: m.parents,
            path: m.path,
            message: m.message,
            created: m.created,
            branch_labels: m.branch_labels,
            depends_on: m.depends_on,
            depends_on_line: m.depends_on_line,
        }
    }
}

impl From<&Migration> for Node {
    fn from(m: &Migration) -> Node {
        Node {
            id: m.id.clone(),
            parents: m.parents.clone(),
            path: m.path.clone(),
            message: m.message.clone(),
            created: m.created.clone(),
            branch_labels: m.branch_labels.clone(),
            depends_on: m.depends_on.clone(),
            depends_on_line: m.depends_on_line,
        }
    }
}

/// Where an upgrade or downgrade goes, as the user wrote it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// `head`: the single head (an error when there are several).
    Head,
    /// `heads`: every head.
    Heads,
    /// `base`: before the first revision.
    Base,
    /// A revision id or a unique prefix of one.
    Revision(String),
    /// `+N` or `-N`: N steps up or down from the database's current revision.
    Relative(i64),
    /// `REV+N` or `REV-N`: N steps up or down from a revision.
    RevisionRelative(String, i64),
    /// `LABEL@head`, `LABEL@base`, `LABEL@+N`, `LABEL@-N`: a position on the branch
    /// a label names. (A bare label is a [`Target::Revision`]: the labelled revision.)
    Label(String, LabelAt),
}

/// Where on a labelled branch a [`Target::Label`] points.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LabelAt {
    /// `LABEL@head`: the one head of the branch.
    Head,
    /// `LABEL@base`: below the branch's first revision (for a downgrade: the whole
    /// branch undone, the revisions it grew from kept).
    Base,
    /// `LABEL@+N` / `LABEL@-N`: N steps up or down the branch from the database's
    /// current revision on it.
    Relative(i64),
}

impl Target {
    /// Parses `head`, `heads`, `base`, `+N`, `-N`, a revision (or prefix), `REV+N` or
    /// `REV-N` (REV also `head` or `base`: `head-1`, `base+2`), where N is at least 1.
    /// Surrounding white space is ignored.
    pub fn parse(s: &str) -> Result<Target, GraphError> {
        let s = s.trim();
        let invalid = || GraphError::InvalidTarget {
            target: s.to_string(),
        };
        match s {
            "head" => return Ok(Target::Head),
            "heads" => return Ok(Target::Heads),
            "base" => return Ok(Target::Base),
            _ => {}
        }
        if let Some((label, at)) = s.split_once('@') {
            if !is_valid_id(label) {
                return Err(invalid());
            }
            let at = match at {
                "head" => LabelAt::Head,
                "base" => LabelAt::Base,
                _ => LabelAt::Relative(signed_steps(at).ok_or_else(invalid)?),
            };
            return Ok(Target::Label(label.to_string(), at));
        }
        let Some(pos) = s.find(['+', '-']) else {
            return if is_valid_id(s) {
                Ok(Target::Revision(s.to_string()))
            } else {
                Err(invalid())
            };
        };
        let (rev, signed) = s.split_at(pos);
        let steps = signed_steps(signed).ok_or_else(invalid)?;
        if rev.is_empty() {
            Ok(Target::Relative(steps))
        } else if is_valid_id(rev) || (rev == "head" && steps < 0) || (rev == "base" && steps > 0) {
            Ok(Target::RevisionRelative(rev.to_string(), steps))
        } else {
            Err(invalid())
        }
    }
}

/// `+N` or `-N` with N at least 1.
fn signed_steps(signed: &str) -> Option<i64> {
    let (negative, digits) = match signed.as_bytes().first() {
        Some(b'+') => (false, &signed[1..]),
        Some(b'-') => (true, &signed[1..]),
        _ => return None,
    };
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let steps: i64 = digits.parse().ok()?;
    match steps {
        0 => None,
        n if negative => Some(-n),
        n => Some(n),
    }
}

impl fmt::Display for Target {
    /// The form [`Target::parse`] reads.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Target::Head => f.write_str("head"),
            Target::Heads => f.write_str("heads"),
            Target::Base => f.write_str("base"),
            Target::Revision(rev) => f.write_str(rev),
            Target::Relative(n) => write!(f, "{n:+}"),
            Target::RevisionRelative(rev, n) => write!(f, "{rev}{n:+}"),
            Target::Label(label, LabelAt::Head) => write!(f, "{label}@head"),
            Target::Label(label, LabelAt::Base) => write!(f, "{label}@base"),
            Target::Label(label, LabelAt::Relative(n)) => write!(f, "{label}@{n:+}"),
        }
    }
}

/// What went wrong building the graph, resolving a target or planning.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum GraphError {
    /// Two files define the same revision.
    #[error("revision {id} is defined twice, in {} and {}", .paths[0].display(), .paths[1].display())]
    DuplicateRevision {
        /// The id.
        id: String,
        /// Both files, sorted.
        paths: [PathBuf; 2],
    },
    /// A revision revises one that no file defines.
    #[error("{}: revision {id} revises {parent}, which no migration file defines", .path.display())]
    MissingParent {
        /// The revision that names the missing parent.
        id: String,
        /// Its file.
        path: PathBuf,
        /// The missing id.
        parent: String,
    },
    /// A revision names the same parent twice.
    #[error("{}: revision {id} revises {parent} twice", .path.display())]
    DuplicateParent {
        /// The revision.
        id: String,
        /// Its file.
        path: PathBuf,
        /// The repeated parent.
        parent: String,
    },
    /// Revisions that (indirectly) revise themselves: each revises the next, and the
    /// last revises the first. Starts at the smallest id.
    #[error("{}", CycleDisplay(.revisions))]
    Cycle {
        /// Each revision on the cycle with its file.
        revisions: Vec<(String, PathBuf)>,
    },
    /// No revision has this id or prefix.
    #[error("no revision matches \"{0}\"")]
    UnknownRevision(String),
    /// A revision depends on one that no file defines.
    #[error("{}{}: revision {id} depends on {dependency}, which no migration file defines", .path.display(), line.map(|l| format!(":{l}")).unwrap_or_default())]
    MissingDependency {
        /// The revision that names the missing dependency.
        id: String,
        /// Its file.
        path: PathBuf,
        /// The line of its `Depends-On:` header.
        line: Option<usize>,
        /// The missing id.
        dependency: String,
    },
    /// Revisions that (indirectly) depend on themselves through `Depends-On:` (and
    /// `Revises:`) links. Starts at the smallest id.
    #[error("{}", DependencyCycleDisplay(.revisions))]
    DependencyCycle {
        /// Each revision on the cycle with its file.
        revisions: Vec<(String, PathBuf)>,
    },
    /// Two revisions declare the same branch label.
    #[error("branch label {label} is declared twice, in {} and {}: a label names one branch", .paths[0].display(), .paths[1].display())]
    DuplicateLabel {
        /// The label.
        label: String,
        /// Both files, in id order.
        paths: [PathBuf; 2],
    },
    /// A branch label that is the id of another revision.
    #[error("{}: branch label {label} is the id of revision {label} ({}): a label must not look like another revision", .path.display(), .revision_path.display())]
    LabelIsRevision {
        /// The label.
        label: String,
        /// The file that declares it.
        path: PathBuf,
        /// The file of the revision with that id.
        revision_path: PathBuf,
    },
    /// No revision declares this label.
    #[error(
        "no branch label \"{0}\": `LABEL@head` and the like take a label a revision declares with `-- Branch-Labels:` (`REV@head` also takes a revision)"
    )]
    UnknownLabel(String),
    /// `LABEL@head` while the labelled branch has forked into several heads.
    #[error(
        "{label}@head is ambiguous: branch {label} has {} heads ({}); name one of them, or merge them",
        .heads.len(), HeadsDisplay(.heads)
    )]
    AmbiguousLabelHead {
        /// The label.
        label: String,
        /// Each head carrying the label, with its file, sorted by id.
        heads: Vec<(String, PathBuf)>,
    },
    /// Several revisions start with this prefix.
    #[error(
        "\"{prefix}\" is ambiguous: {} start with it; type more of the id",
        Candidates(.candidates)
    )]
    AmbiguousRevision {
        /// What was typed.
        prefix: String,
        /// Every matching id, sorted.
        candidates: Vec<String>,
    },
    /// A name that is both a branch label and the start of another revision's id.
    #[error(
        "\"{name}\" is ambiguous: it is the branch label of revision {labelled} and the start of revision {revision}'s id; type the full id of the one you mean"
    )]
    LabelOrRevision {
        /// What was typed.
        name: String,
        /// The revision that declares the label.
        labelled: String,
        /// A revision whose id starts with the name.
        revision: String,
    },
    /// Not a target.
    #[error(
        "\"{target}\" is not a valid target: expected head, heads, base, a revision id (or a unique prefix) or a branch label, +N, -N, REV+N or REV-N (also head-N, base+N) with N at least 1, LABEL@head, LABEL@base, LABEL@+N or LABEL@-N"
    )]
    InvalidTarget {
        /// What was typed.
        target: String,
    },
    /// `head` asked for while the graph has several heads.
    #[error(
        "there are {} heads ({}): merge them with `wildebeest merge -m MSG {}`, or upgrade to one of them, or `upgrade heads`",
        .heads.len(), .heads.join(", "), .heads.join(" ")
    )]
    MultipleHeads {
        /// Every head, sorted.
        heads: Vec<String>,
    },
    /// A relative step from the database's position while it is at several heads.
    #[error(
        "the database is at {} heads ({}): a relative step cannot choose between them; name a revision instead",
        .heads.len(), .heads.join(", ")
    )]
    MultipleCurrentHeads {
        /// The database's current heads, sorted.
        heads: Vec<String>,
    },
    /// A relative step up from an empty database while there are several bases.
    #[error(
        "there are {} bases ({}): a relative step cannot choose between them; name a revision instead",
        .bases.len(), .bases.join(", ")
    )]
    MultipleBases {
        /// Every base, sorted.
        bases: Vec<String>,
    },
    /// A relative step up reaches a revision with several children.
    #[error(
        "revision {id} has {} children ({}): a relative step cannot choose between them; name a revision instead",
        .children.len(), .children.join(", ")
    )]
    BranchPoint {
        /// The revision where the path forks.
        id: String,
        /// Its children, sorted.
        children: Vec<String>,
    },
    /// A relative step down reaches a merge.
    #[error(
        "revision {id} merges {} revisions ({}): a relative step cannot choose between them; name a revision instead",
        .parents.len(), .parents.join(", ")
    )]
    MergePoint {
        /// The merge revision.
        id: String,
        /// Its parents, in file order.
        parents: Vec<String>,
    },
    /// `+N` or `REV+N` goes past a head.
    #[error("{}", overrun(true, .from.as_deref(), *.requested, *.available))]
    PastHead {
        /// The revision the walk started from, or `None` for the database's position.
        from: Option<String>,
        /// N.
        requested: u64,
        /// How many steps there are.
        available: u64,
    },
    /// `-N` or `REV-N` goes below base.
    #[error("{}", overrun(false, .from.as_deref(), *.requested, *.available))]
    PastBase {
        /// The revision the walk started from, or `None` for the database's position.
        from: Option<String>,
        /// N.
        requested: u64,
        /// How many steps there are (the last one reaching base).
        available: u64,
    },
    /// The database has revisions the migrations directory does not.
    #[error("{}", UnknownAppliedDisplay(.ids))]
    UnknownApplied {
        /// Those revisions, sorted.
        ids: Vec<String>,
    },
    /// An upgrade target below the database's revisions: it would go down.
    #[error(
        "`upgrade {target}` would go down: the database is at {}, above {target}; use `downgrade {target}` to go back",
        .current.join(", ")
    )]
    UpgradeGoesDown {
        /// The target as written.
        target: String,
        /// The database's current heads.
        current: Vec<String>,
    },
    /// A downgrade target that is not applied.
    #[error("revision {id} is not applied; downgrade goes back to an applied revision or base")]
    NotApplied {
        /// The target revision.
        id: String,
    },
    /// A target form that makes no sense for this command (`downgrade head`).
    #[error("`{target}` does not work with {command}: {command} takes {allowed}")]
    TargetNotAllowed {
        /// The target as written.
        target: String,
        /// `upgrade`, `downgrade` or `stamp`.
        command: &'static str,
        /// The forms it takes.
        allowed: &'static str,
    },
}

struct CycleDisplay<'a>(&'a [(String, PathBuf)]);

impl fmt::Display for CycleDisplay<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let entry = |(id, path): &(String, PathBuf)| format!("{id} ({})", path.display());
        match self.0 {
            [] => f.write_str("the revisions form a cycle"),
            [only] => write!(f, "revision {} revises itself", entry(only)),
            [init @ .., last] => {
                let init: Vec<String> = init.iter().map(entry).collect();
                write!(
                    f,
                    "revisions {} and {} form a cycle: each revises the next, and the last revises the first",
                    init.join(", "),
                    entry(last)
                )
            }
        }
    }
}

struct DependencyCycleDisplay<'a>(&'a [(String, PathBuf)]);

impl fmt::Display for DependencyCycleDisplay<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let entry = |(id, path): &(String, PathBuf)| format!("{id} ({})", path.display());
        match self.0 {
            [] => f.write_str("the revisions' dependencies form a cycle"),
            [only] => write!(f, "revision {} depends on itself", entry(only)),
            [init @ .., last] => {
                let init: Vec<String> = init.iter().map(entry).collect();
                write!(
                    f,
                    "revisions {} and {} form a cycle through Depends-On: each revises or depends on the next, and the last on the first",
                    init.join(", "),
                    entry(last)
                )
            }
        }
    }
}

struct HeadsDisplay<'a>(&'a [(String, PathBuf)]);

impl fmt::Display for HeadsDisplay<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let shown: Vec<String> = self
            .0
            .iter()
            .map(|(id, path)| format!("{id} in {}", path.display()))
            .collect();
        f.write_str(&shown.join(", "))
    }
}

/// At most ten candidates, so a one-letter prefix does not print the whole history.
struct Candidates<'a>(&'a [String]);

impl fmt::Display for Candidates<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        const SHOWN: usize = 10;
        let shown: Vec<&str> = self.0.iter().take(SHOWN).map(String::as_str).collect();
        write!(f, "{} revisions ({}", self.0.len(), shown.join(", "))?;
        if self.0.len() > SHOWN {
            write!(f, ", …")?;
        }
        f.write_str(")")
    }
}

fn overrun(up: bool, from: Option<&str>, requested: u64, available: u64) -> Overrun<'_> {
    Overrun {
        up,
        from,
        requested,
        available,
    }
}

struct Overrun<'a> {
    up: bool,
    from: Option<&'a str>,
    requested: u64,
    available: u64,
}

impl fmt::Display for Overrun<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let plural = |n: u64| if n == 1 { "revision" } else { "revisions" };
        let (dir, n, a) = (
            if self.up { "up" } else { "down" },
            self.requested,
            self.available,
        );
        write!(f, "cannot go {n} {} {dir}", plural(n))?;
        match (self.up, self.from) {
            (true, None) => write!(f, ": only {a} {} to apply", plural(a)),
            (true, Some(rev)) => write!(f, " from {rev}: only {a} {} after it", plural(a)),
            (false, None) => write!(f, ": only {a} applied"),
            (false, Some(rev)) => write!(
                f,
                " from {rev}: base is only {a} {} below it",
                if a == 1 { "step" } else { "steps" }
            ),
        }
    }
}

struct UnknownAppliedDisplay<'a>(&'a [String]);

impl fmt::Display for UnknownAppliedDisplay<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            [one] => write!(
                f,
                "the database is at revision {one}, which is not in the migrations folder: restore its file or point wildebeest at the right folder (`wildebeest stamp TARGET --purge` forgets it)"
            ),
            ids => write!(
                f,
                "the database has revisions {}, which are not in the migrations folder: restore their files or point wildebeest at the right folder (`wildebeest stamp TARGET --purge` forgets them)",
                ids.join(", ")
            ),
        }
    }
}

/// A position for relative walks: a revision, or base (below every revision).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Pos {
    Base,
    Rev(usize),
}

/// The revision graph. Revisions are stored sorted by id, and internal indices follow
/// that order, so sorting indices sorts by id.
#[derive(Debug, Clone)]
pub struct RevisionGraph {
    /// Sorted by id.
    nodes: Vec<Node>,
    /// Each node's [`id_key`], so a lookup compares integers, not strings behind pointers.
    keys: Keys,
    parents: Vec<Vec<usize>>,
    /// Sorted by id.
    children: Vec<Vec<usize>>,
    /// `Depends-On:` links: what each revision needs applied first besides its parents.
    deps: Vec<Vec<usize>>,
    /// The reverse of `deps`, sorted by id.
    dependents: Vec<Vec<usize>>,
    /// Parents and dependencies before the revisions that need them; ties by file
    /// name, then id.
    topo: Vec<usize>,
    /// Every declared label, sorted, with the revision that declares it.
    labels: Vec<(String, usize)>,
    /// The labels (indices into `labels`) each revision carries, sorted.
    carried: Vec<Vec<usize>>,
    /// The first revision of each label's branch (same order as `labels`).
    label_base: Vec<usize>,
}

/// A revision and its neighbourhood: see [`RevisionGraph::place`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place<'g> {
    /// The revision's header.
    pub node: &'g Node,
    /// The revisions that revise it, sorted by id.
    pub children: Vec<&'g str>,
    /// The branch labels it carries, sorted.
    pub labels: Vec<&'g str>,
}

impl RevisionGraph {
    /// Builds the graph from [`Node`]s or [`Migration`]s (owned or borrowed, e.g.
    /// `&[Migration]`), rejecting duplicate ids, parents that do not exist, a parent
    /// named twice, and cycles. Runs in O(n log n) without recursion.
    pub fn new<I>(nodes: I) -> Result<RevisionGraph, GraphError>
    where
        I: IntoIterator,
        I::Item: Into<Node>,
    {
        // Sorted by id through an inline key: comparing the ids themselves follows a
        // pointer per comparison, mostly cache misses on a long history.
        // The nodes themselves are large, so their order is found first.
        let unsorted: Vec<Node> = nodes.into_iter().map(Into::into).collect();
        let mut order: Vec<(u128, usize)> = unsorted
            .iter()
            .enumerate()
            .map(|(i, n)| (id_key(&n.id), i))
            .collect();
        order.sort_unstable_by(|&(ka, a), &(kb, b)| {
            let (x, y) = (&unsorted[a], &unsorted[b]);
            ka.cmp(&kb)
                .then_with(|| x.id.cmp(&y.id))
                .then_with(|| x.path.cmp(&y.path))
                .then(a.cmp(&b))
        });
        // Loaded folders come in file name order: then that order is known without
        // sorting names (a pointer to follow per comparison).
        let in_name_order = unsorted.windows(2).all(|w| by_name(&w[0], &w[1]).is_le());
        let mut nodes = unsorted;
        permute(&mut nodes, order.iter().map(|&(_, i)| i).collect());
        let name_rank: Option<Vec<usize>> =
            in_name_order.then(|| order.iter().map(|&(_, i)| i).collect());
        if let Some(pair) = nodes.windows(2).find(|w| w[0].id == w[1].id) {
            return Err(GraphError::DuplicateRevision {
                id: pair[0].id.clone(),
                paths: [pair[0].path.clone(), pair[1].path.clone()],
            });
        }

        let keys = Keys::new(order.iter().map(|&(key, _)| key).collect());
        let find = |id: &str| find_keyed(&keys, &nodes, id);
        let mut parents = Vec::with_capacity(nodes.len());
        for node in &nodes {
            let mut own: Vec<usize> = Vec::with_capacity(node.parents.len());
            for parent in &node.parents {
                let Some(p) = find(parent) else {
                    return Err(GraphError::MissingParent {
                        id: node.id.clone(),
                        path: node.path.clone(),
                        parent: parent.clone(),
                    });
                };
                if own.contains(&p) {
                    return Err(GraphError::DuplicateParent {
                        id: node.id.clone(),
                        path: node.path.clone(),
                        parent: parent.clone(),
                    });
                }
                own.push(p);
            }
            parents.push(own);
        }

        let mut deps: Vec<Vec<usize>> = vec![Vec::new(); nodes.len()];
        for (i, node) in nodes.iter().enumerate() {
            for dependency in &node.depends_on {
                let Some(d) = find(dependency) else {
                    return Err(GraphError::MissingDependency {
                        id: node.id.clone(),
                        path: node.path.clone(),
                        line: node.depends_on_line,
                        dependency: dependency.clone(),
                    });
                };
                deps[i].push(d);
            }
        }

        // Indices grow in id order, so each child list comes out sorted by id.
        let mut children = vec![Vec::new(); nodes.len()];
        for (child, own) in parents.iter().enumerate() {
            for &p in own {
                children[p].push(child);
            }
        }
        let mut dependents = vec![Vec::new(); nodes.len()];
        for (dependent, own) in deps.iter().enumerate() {
            for &d in own {
                dependents[d].push(dependent);
            }
        }

        let any_deps = deps.iter().any(|d| !d.is_empty());
        let topo = if any_deps {
            // Order by both kinds of link: a dependency is applied first too.
            let before: Vec<Vec<usize>> = parents
                .iter()
                .zip(&deps)
                .map(|(p, d)| p.iter().chain(d).copied().collect())
                .collect();
            let after: Vec<Vec<usize>> = children
                .iter()
                .zip(&dependents)
                .map(|(c, d)| c.iter().chain(d).copied().collect())
                .collect();
            kahn(&nodes, name_rank, &before, &after).map_err(|remaining| {
                let cycle = find_cycle(&before, &remaining);
                let revisions = cycle
                    .iter()
                    .map(|&i| (nodes[i].id.clone(), nodes[i].path.clone()))
                    .collect();
                // A cycle of parent links alone is reported as before.
                let by_parents = (0..cycle.len()).all(|k| {
                    let next = cycle[(k + 1) % cycle.len()];
                    parents[cycle[k]].contains(&next)
                });
                if by_parents {
                    GraphError::Cycle { revisions }
                } else {
                    GraphError::DependencyCycle { revisions }
                }
            })?
        } else {
            kahn(&nodes, name_rank, &parents, &children).map_err(|remaining| GraphError::Cycle {
                revisions: find_cycle(&parents, &remaining)
                    .into_iter()
                    .map(|i| (nodes[i].id.clone(), nodes[i].path.clone()))
                    .collect(),
            })?
        };

        let (labels, carried, label_base) = branch_labels(&nodes, &parents, &children)?;

        Ok(RevisionGraph {
            nodes,
            keys,
            parents,
            children,
            deps,
            dependents,
            topo,
            labels,
            carried,
            label_base,
        })
    }

    /// How many revisions there are.
    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    /// Whether there are no revisions.
    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty()
    }

    /// Whether `id` (a full id) is a revision.
    pub fn contains(&self, id: &str) -> bool {
        self.index(id).is_some()
    }

    /// The branch labels revision `id` carries (declared by it or inherited), sorted;
    /// empty for an unknown id.
    pub fn labels(&self, id: &str) -> Vec<&str> {
        self.index(id)
            .map(|i| {
                self.carried[i]
                    .iter()
                    .map(|&k| self.labels[k].0.as_str())
                    .collect()
            })
            .unwrap_or_default()
    }

    /// The revision that declares `label`, if one does.
    pub fn label_revision(&self, label: &str) -> Option<&str> {
        self.label_index(label).map(|k| self.id(self.labels[k].1))
    }

    /// The first revision of `label`'s branch: the lowest revision carrying it.
    pub fn label_base(&self, label: &str) -> Result<&str, GraphError> {
        let k = self.known_label(label)?;
        Ok(self.id(self.label_base[k]))
    }

    /// The revisions that depend on `id` through `Depends-On:`, sorted by id.
    pub fn dependents(&self, id: &str) -> Vec<&str> {
        self.index(id)
            .map(|i| self.ids(&self.dependents[i]))
            .unwrap_or_default()
    }

    /// Every revision, sorted by id.
    pub fn nodes(&self) -> &[Node] {
        &self.nodes
    }

    /// The revision with this full id.
    pub fn get(&self, id: &str) -> Option<&Node> {
        self.index(id).map(|i| &self.nodes[i])
    }

    /// `id`'s header with its children and the labels it carries, found with one
    /// lookup (for listings that show every revision); `None` for an unknown id.
    pub fn place(&self, id: &str) -> Option<Place<'_>> {
        self.index(id).map(|i| Place {
            node: &self.nodes[i],
            children: self.ids(&self.children[i]),
            labels: self.carried[i]
                .iter()
                .map(|&k| self.labels[k].0.as_str())
                .collect(),
        })
    }

    /// The revisions with no children, sorted by id.
    pub fn heads(&self) -> Vec<&str> {
        self.heads_idx().into_iter().map(|i| self.id(i)).collect()
    }

    /// The revisions with no parents, sorted by id.
    pub fn bases(&self) -> Vec<&str> {
        self.bases_idx().into_iter().map(|i| self.id(i)).collect()
    }

    /// The revisions `id` revises, in file order; empty for a base or an unknown id.
    pub fn parents(&self, id: &str) -> Vec<&str> {
        self.index(id)
            .map(|i| self.ids(&self.parents[i]))
            .unwrap_or_default()
    }

    /// The revisions that revise `id`, sorted by id; empty for a head or an unknown id.
    pub fn children(&self, id: &str) -> Vec<&str> {
        self.index(id)
            .map(|i| self.ids(&self.children[i]))
            .unwrap_or_default()
    }

    /// `id` and every revision it depends on; empty for an unknown id.
    pub fn ancestors(&self, id: &str) -> BTreeSet<String> {
        let Some(i) = self.index(id) else {
            return BTreeSet::new();
        };
        let mask = self.reach(&[i], &[&self.parents]);
        self.ids_where(mask).map(str::to_string).collect()
    }

    /// `id` and every revision that depends on it; empty for an unknown id.
    pub fn descendants(&self, id: &str) -> BTreeSet<String> {
        let Some(i) = self.index(id) else {
            return BTreeSet::new();
        };
        let mask = self.reach(&[i], &[&self.children]);
        self.ids_where(mask).map(str::to_string).collect()
    }

    /// Every revision, parents before children; among revisions whose parents are all
    /// listed, the smallest file name (then id) comes first, so a linear history lists
    /// in file order and forks interleave by creation time.
    pub fn topo_order(&self) -> Vec<&str> {
        self.topo.iter().map(|&i| self.id(i)).collect()
    }

    /// The full id for a full id or a unique prefix of one. An exact id wins even if
    /// it is also a prefix of others.
    pub fn resolve_prefix(&self, prefix: &str) -> Result<&str, GraphError> {
        self.resolve(prefix).map(|i| self.id(i))
    }

    /// The revisions with more than one child (where branches fork), parents before
    /// children.
    pub fn branch_points(&self) -> Vec<&str> {
        self.topo
            .iter()
            .filter(|&&i| self.children[i].len() > 1)
            .map(|&i| self.id(i))
            .collect()
    }

    /// The revisions a target names, sorted by id: `head` the single head, `heads`
    /// every head, `base` none, a revision (or prefix) that revision, `-N` the revision
    /// N steps down from the database's single current head (`applied`), `+N` the
    /// current heads after `upgrade +N`, `REV+N` / `REV-N` the revision N steps from
    /// REV. A last step down from a merge names all its parents.
    pub fn target_revisions(
        &self,
        applied: &BTreeSet<String>,
        target: &Target,
    ) -> Result<Vec<String>, GraphError> {
        let mut goals: Vec<usize> = match target {
            Target::Head => self.single_head()?.into_iter().collect(),
            Target::Heads => self.heads_idx(),
            Target::Base => Vec::new(),
            Target::Revision(rev) => vec![self.resolve(rev)?],
            Target::Relative(n) if *n > 0 => {
                // Where `upgrade +N` leaves the database: its current heads.
                let mut after = self.applied_mask(applied)?;
                for i in self.relative_up(&after, n.unsigned_abs())? {
                    after[i] = true;
                }
                (0..self.nodes.len())
                    .filter(|&i| after[i] && !self.children[i].iter().any(|&c| after[c]))
                    .collect()
            }
            Target::Relative(n) => {
                let applied = self.applied_mask(applied)?;
                match self.current_pos(&applied)? {
                    Pos::Rev(head) => self.walk_down(head, n.unsigned_abs(), None)?,
                    Pos::Base => {
                        return Err(GraphError::PastBase {
                            from: None,
                            requested: n.unsigned_abs(),
                            available: 0,
                        });
                    }
                }
            }
            Target::RevisionRelative(rev, n) => self.walk_from(rev, *n)?,
            Target::Label(label, at) => {
                let applied = match at {
                    LabelAt::Relative(_) => self.applied_mask(applied)?,
                    _ => Vec::new(),
                };
                self.label_goals(&applied, label, *at)?
            }
        };
        goals.sort_unstable();
        Ok(goals.into_iter().map(|i| self.id(i).to_string()).collect())
    }

    /// The revisions from `lower` up to `upper`, both inclusive, parents before
    /// children: every revision that is an ancestor of (or is) one in `upper` and a
    /// descendant of (or is) one in `lower`. An empty `lower` means from base (no lower
    /// bound); an empty `upper` means up to base (nothing). Ids must be full ids.
    pub fn range(&self, lower: &[String], upper: &[String]) -> Result<Vec<&str>, GraphError> {
        let index = |ids: &[String]| -> Result<Vec<usize>, GraphError> {
            ids.iter()
                .map(|id| {
                    self.index(id)
                        .ok_or_else(|| GraphError::UnknownRevision(id.clone()))
                })
                .collect()
        };
        let (lower, upper) = (index(lower)?, index(upper)?);
        let below = self.reach(&upper, &[&self.parents]);
        let above = if lower.is_empty() {
            vec![true; self.nodes.len()]
        } else {
            self.reach(&lower, &[&self.children])
        };
        Ok(self
            .topo
            .iter()
            .filter(|&&i| below[i] && above[i])
            .map(|&i| self.id(i))
            .collect())
    }

    /// The applied revisions none of whose children are applied, sorted by id.
    /// Applied ids the graph does not know count as current heads too.
    /// `applied` may be any collection of ids (a set, or the rows of a version table).
    pub fn current_heads<'a>(&self, applied: impl IntoIterator<Item = &'a String>) -> Vec<String> {
        let mut mask = vec![false; self.nodes.len()];
        let mut heads = Vec::new();
        for id in applied {
            match self.index(id) {
                Some(i) => mask[i] = true,
                None => heads.push(id.clone()),
            }
        }
        heads.extend(
            (0..self.nodes.len())
                .filter(|&i| mask[i] && !self.children[i].iter().any(|&c| mask[c]))
                .map(|i| self.id(i).to_owned()),
        );
        heads.sort_unstable();
        heads.dedup();
        heads
    }

    /// The revisions to apply, in order (parents first), so that the target and all
    /// its ancestors are applied.
    ///
    /// - `head`: the single head ([`GraphError::MultipleHeads`] if there are several);
    /// - `heads`: every head;
    /// - `base`: nothing;
    /// - a revision (or prefix): that revision; already applied gives an empty plan;
    /// - `+N`: the next N revisions along the one path up from the database's current
    ///   head (or from base when nothing is applied), one revision a step: a merge the
    ///   path reaches comes after its other parents, each a step (`relative_up`);
    /// - `REV+N`, `REV-N`: N steps up or down from REV;
    /// - `LABEL@head`, `LABEL@base`, `LABEL@+N`: the labelled branch's head, the
    ///   revisions it grew from, N steps along it.
    ///
    /// Dependencies (`Depends-On:`) of every revision applied are applied first.
    /// Errors with [`GraphError::UnknownApplied`] if `applied` names revisions the
    /// graph lacks.
    pub fn upgrade_plan(
        &self,
        applied: &BTreeSet<String>,
        target: &Target,
    ) -> Result<Vec<String>, GraphError> {
        let applied = self.applied_mask(applied)?;
        let goals: Vec<usize> = match target {
            Target::Head => self.single_head()?.into_iter().collect(),
            Target::Heads => self.heads_idx(),
            Target::Base => Vec::new(),
            Target::Revision(rev) => vec![self.resolve(rev)?],
            Target::Relative(n) if *n < 0 => {
                return Err(not_allowed(target, "upgrade"));
            }
            Target::Relative(n) => self.relative_up(&applied, n.unsigned_abs())?,
            Target::RevisionRelative(rev, n) => self.walk_from(rev, *n)?,
            Target::Label(_, LabelAt::Relative(n)) if *n < 0 => {
                return Err(not_allowed(target, "upgrade"));
            }
            Target::Label(label, at) => self.label_goals(&applied, label, *at)?,
        };
        let needed = self.reach(&goals, &[&self.parents, &self.deps]);
        let plan: Vec<String> = self
            .topo
            .iter()
            .filter(|&&i| needed[i] && !applied[i])
            .map(|&i| self.id(i).to_string())
            .collect();
        // A goal the database has gone past (base, when anything is applied) is not
        // "already there": as alembic, an upgrade does not go down.
        let past = if goals.is_empty() {
            // `+0`, which no one writes, stays a no-op.
            !matches!(target, Target::Relative(_)) && applied.iter().any(|&a| a)
        } else {
            goals
                .iter()
                .any(|&g| self.children[g].iter().any(|&c| applied[c]))
        };
        if plan.is_empty() && past {
            let ids: Vec<String> = self.ids_where(applied).map(str::to_string).collect();
            return Err(GraphError::UpgradeGoesDown {
                target: target.to_string(),
                current: self.current_heads(&ids),
            });
        }
        Ok(plan)
    }

    /// The revisions to undo, in order (children first), to go back to the target:
    /// every applied revision that depends on the target (is a descendant of it) is
    /// undone; applied revisions on other branches stay, as in alembic.
    ///
    /// - `base`: undo everything applied;
    /// - a revision (or prefix): it must be applied; undo what depends on it;
    /// - `-N`: N steps down from the database's single current head (the step below a
    ///   base reaches base); a last step down from a merge lands on all its parents,
    ///   so `-1` at a merge undoes just the merge;
    /// - `REV-N`, `REV+N`: N steps down or up from REV, which must then be applied.
    ///
    /// - `LABEL@base`: undo the labelled branch; `LABEL@-N`: undo the N revisions
    ///   walked down it (with what grows on or depends on them).
    ///
    /// A revision that depends on an undone one is undone first. `head`, `heads` and
    /// `+N` are errors. Errors with [`GraphError::UnknownApplied`]
    /// if `applied` names revisions the graph lacks.
    pub fn downgrade_plan(
        &self,
        applied: &BTreeSet<String>,
        target: &Target,
    ) -> Result<Vec<String>, GraphError> {
        let applied = self.applied_mask(applied)?;
        let goals: Vec<usize> = match target {
            Target::Head | Target::Heads => return Err(not_allowed(target, "downgrade")),
            Target::Relative(n) if *n > 0 => return Err(not_allowed(target, "downgrade")),
            Target::Base => Vec::new(),
            Target::Revision(rev) => vec![self.resolve(rev)?],
            Target::Relative(n) => match self.current_pos(&applied)? {
                Pos::Base => {
                    return Err(GraphError::PastBase {
                        from: None,
                        requested: n.unsigned_abs(),
                        available: 0,
                    });
                }
                Pos::Rev(head) => self.walk_down(head, n.unsigned_abs(), None)?,
            },
            Target::RevisionRelative(rev, n) => self.walk_from(rev, *n)?,
            Target::Label(_, LabelAt::Relative(n)) if *n > 0 => {
                return Err(not_allowed(target, "downgrade"));
            }
            Target::Label(label, LabelAt::Base) => {
                // The whole branch goes, and what depends on it; the revisions it
                // grew from stay (they belong to other branches too).
                let first = self.label_base[self.known_label(label)?];
                let mut undo = self.reach(&[first], &[&self.children, &self.dependents]);
                for (u, a) in undo.iter_mut().zip(&applied) {
                    *u &= *a;
                }
                return Ok(self.in_undo_order(&undo));
            }
            Target::Label(label, LabelAt::Relative(n)) => {
                // The N revisions walked down the branch go (with what grows on them
                // or depends on them); other branches on the revision it lands on stay.
                let k = self.known_label(label)?;
                self.label_walk(&applied, k, *n)?;
                let mut stepped = Vec::new();
                let mut pos = self.label_current(&applied, k)?;
                for _ in 0..n.unsigned_abs() {
                    let Some(i) = pos else { break };
                    stepped.push(i);
                    pos = match self.parents[i][..] {
                        [one] => Some(one),
                        _ => None,
                    };
                }
                let mut undo = self.reach(&stepped, &[&self.children, &self.dependents]);
                for (u, a) in undo.iter_mut().zip(&applied) {
                    *u &= *a;
                }
                return Ok(self.in_undo_order(&undo));
            }
            Target::Label(label, at) => self.label_goals(&applied, label, *at)?,
        };
        // No goal is base: undo everything applied.
        let undo = if goals.is_empty() {
            applied
        } else {
            if let Some(&g) = goals.iter().find(|&&g| !applied[g]) {
                return Err(GraphError::NotApplied {
                    id: self.id(g).to_string(),
                });
            }
            // What grows on the goals goes, and whatever depends on that; the goals
            // stay, and so do the revisions that depend on them alone. What the
            // goals need stays too: with several goals (the parents of a merge) a
            // descendant of one goal can be an ancestor of another.
            let above: Vec<usize> = goals
                .iter()
                .flat_map(|&g| self.children[g].iter().copied())
                .collect();
            let keep = self.reach(&goals, &[&self.parents, &self.deps]);
            let mut undo = self.reach(&above, &[&self.children, &self.dependents]);
            for ((u, a), k) in undo.iter_mut().zip(&applied).zip(&keep) {
                *u &= *a && !*k;
            }
            undo
        };
        Ok(self.in_undo_order(&undo))
    }

    /// The revisions in `undo`, dependents before what they depend on.
    fn in_undo_order(&self, undo: &[bool]) -> Vec<String> {
        self.topo
            .iter()
            .rev()
            .filter(|&&i| undo[i])
            .map(|&i| self.id(i).to_string())
            .collect()
    }

    /// The applied set `stamp TARGET` records: the target and its ancestors (`base`:
    /// nothing; `heads`: every revision). `+N` and `-N` need the database's position,
    /// so they are errors here.
    pub fn stamp_set(&self, target: &Target) -> Result<BTreeSet<String>, GraphError> {
        let goals = self.stamp_goals(target)?;
        let mask = self.reach(&goals, &[&self.parents, &self.deps]);
        Ok(self.ids_where(mask).map(str::to_string).collect())
    }

    /// The applied set after `stamp TARGET` on a database whose applied set is
    /// `applied`, branch by branch as Alembic stamps: the target and what it needs
    /// are marked applied, whatever grows on the target (its descendants and what
    /// depends on them) is unmarked, and other branches keep their state. `stamp
    /// base` unmarks everything. Ids the graph does not know are dropped.
    pub fn stamp_onto(
        &self,
        target: &Target,
        applied: &BTreeSet<String>,
    ) -> Result<BTreeSet<String>, GraphError> {
        let goals = self.stamp_goals(target)?;
        // `LABEL@base` moves that branch alone to below its first revision: what grows
        // on the revision below it in other branches stays (as `downgrade LABEL@base`).
        let branch_first = match target {
            Target::Label(label, LabelAt::Base) => Some(self.label_base[self.known_label(label)?]),
            _ => None,
        };
        if goals.is_empty() && branch_first.is_none() {
            return Ok(BTreeSet::new());
        }
        let keep = self.reach(&goals, &[&self.parents, &self.deps]);
        let above = match branch_first {
            Some(first) => self.reach(&[first], &[&self.children, &self.dependents]),
            None => self.reach(&goals, &[&self.children, &self.dependents]),
        };
        let mut mask = vec![false; self.nodes.len()];
        for id in applied {
            if let Some(i) = self.index(id) {
                mask[i] = !above[i];
            }
        }
        for (m, k) in mask.iter_mut().zip(keep) {
            *m |= k;
        }
        Ok(self.ids_where(mask).map(str::to_string).collect())
    }

    fn stamp_goals(&self, target: &Target) -> Result<Vec<usize>, GraphError> {
        Ok(match target {
            Target::Head => self.single_head()?.into_iter().collect(),
            Target::Heads => self.heads_idx(),
            Target::Base => Vec::new(),
            Target::Revision(rev) => vec![self.resolve(rev)?],
            Target::RevisionRelative(rev, n) => self.walk_from(rev, *n)?,
            Target::Relative(_) | Target::Label(_, LabelAt::Relative(_)) => {
                return Err(not_allowed(target, "stamp"));
            }
            Target::Label(label, at) => self.label_goals(&[], label, *at)?,
        })
    }

    // --- internals ---

    fn id(&self, i: usize) -> &str {
        &self.nodes[i].id
    }

    fn ids(&self, indices: &[usize]) -> Vec<&str> {
        indices.iter().map(|&i| self.id(i)).collect()
    }

    fn ids_where(&self, mask: Vec<bool>) -> impl Iterator<Item = &str> + '_ {
        mask.into_iter()
            .enumerate()
            .filter(|&(_, m)| m)
            .map(|(i, _)| self.id(i))
    }

    fn index(&self, id: &str) -> Option<usize> {
        find_keyed(&self.keys, &self.nodes, id)
    }

    fn heads_idx(&self) -> Vec<usize> {
        (0..self.nodes.len())
            .filter(|&i| self.children[i].is_empty())
            .collect()
    }

    fn bases_idx(&self) -> Vec<usize> {
        (0..self.nodes.len())
            .filter(|&i| self.parents[i].is_empty())
            .collect()
    }

    /// The one head; `None` for an empty graph.
    fn single_head(&self) -> Result<Option<usize>, GraphError> {
        match self.heads_idx()[..] {
            [] => Ok(None),
            [head] => Ok(Some(head)),
            _ => Err(GraphError::MultipleHeads {
                heads: self.heads().into_iter().map(str::to_string).collect(),
            }),
        }
    }

    fn resolve(&self, prefix: &str) -> Result<usize, GraphError> {
        if prefix.is_empty() {
            return Err(GraphError::UnknownRevision(String::new()));
        }
        if let Some(i) = self.index(prefix) {
            return Ok(i);
        }
        let start = self.nodes.partition_point(|n| n.id.as_str() < prefix);
        let matches: Vec<usize> = (start..self.nodes.len())
            .take_while(|&i| self.nodes[i].id.starts_with(prefix))
            .collect();
        // A label names the revision that declares it; a name that is also the start
        // of another revision's id would mean one or the other silently.
        if let Some(k) = self.label_index(prefix) {
            let labelled = self.labels[k].1;
            if let Some(&other) = matches.iter().find(|&&i| i != labelled) {
                return Err(GraphError::LabelOrRevision {
                    name: prefix.to_string(),
                    labelled: self.id(labelled).to_string(),
                    revision: self.id(other).to_string(),
                });
            }
            return Ok(labelled);
        }
        match matches[..] {
            [] => Err(GraphError::UnknownRevision(prefix.to_string())),
            [one] => Ok(one),
            _ => Err(GraphError::AmbiguousRevision {
                prefix: prefix.to_string(),
                candidates: matches.iter().map(|&i| self.id(i).to_string()).collect(),
            }),
        }
    }

    /// `applied` as a mask over indices, or the ids the graph does not know.
    fn applied_mask(&self, applied: &BTreeSet<String>) -> Result<Vec<bool>, GraphError> {
        let mut mask = vec![false; self.nodes.len()];
        let mut unknown = Vec::new();
        for id in applied {
            match self.index(id) {
                Some(i) => mask[i] = true,
                None => unknown.push(id.clone()),
            }
        }
        if unknown.is_empty() {
            Ok(mask)
        } else {
            Err(GraphError::UnknownApplied { ids: unknown })
        }
    }

    /// The database's position for relative steps: its single current head, or base
    /// when nothing is applied.
    fn current_pos(&self, applied: &[bool]) -> Result<Pos, GraphError> {
        let heads: Vec<usize> = (0..self.nodes.len())
            .filter(|&i| applied[i] && !self.children[i].iter().any(|&c| applied[c]))
            .collect();
        match heads[..] {
            [] => Ok(Pos::Base),
            [head] => Ok(Pos::Rev(head)),
            _ => Err(GraphError::MultipleCurrentHeads {
                heads: heads.iter().map(|&i| self.id(i).to_string()).collect(),
            }),
        }
    }

    /// `upgrade +N`: the first `steps` revisions of the upgrade path, in order. Each step
    /// applies one revision: the path walks child by child from the database's current
    /// head (as `walk_up`, so a branch point is an error), and a revision reached that
    /// needs revisions not applied yet (the other parents of a merge, dependencies) is
    /// preceded by them, each a step of its own. Several current heads are a position
    /// when they grow into one revision (a merge half reached by an earlier `+N`): the
    /// path goes on to it. Too few revisions on the path is an error.
    fn relative_up(&self, applied: &[bool], steps: u64) -> Result<Vec<usize>, GraphError> {
        let heads: Vec<usize> = (0..self.nodes.len())
            .filter(|&i| applied[i] && !self.children[i].iter().any(|&c| applied[c]))
            .collect();
        let mut pos = match heads[..] {
            [] => Pos::Base,
            [one] => Pos::Rev(one),
            _ => Pos::Base,
        };
        // Several current heads: the one revision they all grow into comes first.
        let mut first = None;
        if heads.len() > 1 {
            let mut common = vec![true; self.nodes.len()];
            for &h in &heads {
                let above = self.reach(&self.children[h], &[&self.children]);
                for (c, a) in common.iter_mut().zip(above) {
                    *c &= a;
                }
            }
            let lowest: Vec<usize> = (0..self.nodes.len())
                .filter(|&i| common[i] && !self.parents[i].iter().any(|&p| common[p]))
                .collect();
            match lowest[..] {
                [one] => first = Some(one),
                _ => {
                    return Err(GraphError::MultipleCurrentHeads {
                        heads: heads.iter().map(|&i| self.id(i).to_string()).collect(),
                    });
                }
            }
        }
        let wanted = usize::try_from(steps).unwrap_or(usize::MAX);
        let mut done = applied.to_vec();
        let mut path = Vec::new();
        while path.len() < wanted {
            let goal = match first.take() {
                Some(goal) => goal,
                None => match self.walk_up(pos, 1, None) {
                    Ok(Pos::Rev(goal)) => goal,
                    Ok(Pos::Base) | Err(GraphError::PastHead { .. }) => break,
                    Err(e) => return Err(e),
                },
            };
            let needed = self.reach(&[goal], &[&self.parents, &self.deps]);
            for &i in &self.topo {
                if needed[i] && !done[i] {
                    done[i] = true;
                    path.push(i);
                }
            }
            pos = Pos::Rev(goal);
        }
        if path.len() < wanted {
            return Err(GraphError::PastHead {
                from: None,
                requested: steps,
                available: path.len() as u64,
            });
        }
        path.truncate(wanted);
        Ok(path)
    }

    /// `REV+N` / `REV-N`: the revisions the walk ends on (none for base).
    fn walk_from(&self, rev: &str, steps: i64) -> Result<Vec<usize>, GraphError> {
        // `head-N` counts from the single head, `base+N` from base.
        let start = match rev {
            "head" => match self.single_head()? {
                Some(head) => head,
                None => {
                    return Err(GraphError::PastBase {
                        from: Some(rev.to_string()),
                        requested: steps.unsigned_abs(),
                        available: 0,
                    });
                }
            },
            "base" if steps > 0 => {
                let end = self.walk_up(Pos::Base, steps.unsigned_abs(), Some(rev))?;
                return Ok(end.rev().into_iter().collect());
            }
            "base" => {
                return Err(GraphError::PastBase {
                    from: Some(rev.to_string()),
                    requested: steps.unsigned_abs(),
                    available: 0,
                });
            }
            _ => self.resolve(rev)?,
        };
        let named = match rev {
            "head" => format!("head ({})", self.id(start)),
            _ => self.id(start).to_string(),
        };
        let from = Some(named.as_str());
        if steps >= 0 {
            let end = self.walk_up(Pos::Rev(start), steps.unsigned_abs(), from)?;
            Ok(end.rev().into_iter().collect())
        } else {
            self.walk_down(start, steps.unsigned_abs(), from)
        }
    }

    /// `steps` steps towards children, each to the one child there is (from base: to
    /// the one base).
    fn walk_up(&self, from: Pos, steps: u64, origin: Option<&str>) -> Result<Pos, GraphError> {
        let mut pos = from;
        // Each step moves to a new revision in an acyclic graph, so this ends within
        // len() + 1 iterations whatever `steps` is.
        for taken in 0..steps {
            let bases;
            let next: &[usize] = match pos {
                Pos::Base => {
                    bases = self.bases_idx();
                    &bases
                }
                Pos::Rev(i) => &self.children[i],
            };
            pos = match next {
                [] => {
                    return Err(GraphError::PastHead {
                        from: origin.map(str::to_string),
                        requested: steps,
                        available: taken,
                    });
                }
                [one] => Pos::Rev(*one),
                several => {
                    let names = several.iter().map(|&i| self.id(i).to_string()).collect();
                    return Err(match pos {
                        Pos::Base => GraphError::MultipleBases { bases: names },
                        Pos::Rev(i) => GraphError::BranchPoint {
                            id: self.id(i).to_string(),
                            children: names,
                        },
                    });
                }
            };
        }
        Ok(pos)
    }

    /// `steps` steps towards parents, each to the one parent there is; the step below a
    /// base reaches base (an empty result). The last step may leave a merge: it ends on
    /// all the merge's parents, so `-1` from a merge undoes just the merge; a step
    /// beyond that would have to choose between them, which is an error.
    fn walk_down(
        &self,
        from: usize,
        steps: u64,
        origin: Option<&str>,
    ) -> Result<Vec<usize>, GraphError> {
        let mut pos = Pos::Rev(from);
        for taken in 0..steps {
            let Pos::Rev(i) = pos else {
                return Err(GraphError::PastBase {
                    from: origin.map(str::to_string),
                    requested: steps,
                    available: taken,
                });
            };
            pos = match self.parents[i][..] {
                [] => Pos::Base,
                [one] => Pos::Rev(one),
                _ if taken + 1 == steps => return Ok(self.parents[i].clone()),
                _ => {
                    return Err(GraphError::MergePoint {
                        id: self.id(i).to_string(),
                        parents: self
                            .ids(&self.parents[i])
                            .into_iter()
                            .map(str::to_string)
                            .collect(),
                    });
                }
            };
        }
        Ok(pos.rev().into_iter().collect())
    }

    /// Everything reachable from `starts` (inclusive) along any of `edges`, iteratively.
    fn reach(&self, starts: &[usize], edges: &[&[Vec<usize>]]) -> Vec<bool> {
        let mut seen = vec![false; self.nodes.len()];
        let mut stack: Vec<usize> = Vec::new();
        for &s in starts {
            if !seen[s] {
                seen[s] = true;
                stack.push(s);
            }
        }
        while let Some(i) = stack.pop() {
            for kind in edges {
                for &next in &kind[i] {
                    if !seen[next] {
                        seen[next] = true;
                        stack.push(next);
                    }
                }
            }
        }
        seen
    }

    fn label_index(&self, label: &str) -> Option<usize> {
        self.labels
            .binary_search_by(|(l, _)| l.as_str().cmp(label))
            .ok()
    }

    fn known_label(&self, label: &str) -> Result<usize, GraphError> {
        self.label_index(label)
            .ok_or_else(|| GraphError::UnknownLabel(label.to_string()))
    }

    fn carries(&self, i: usize, label: usize) -> bool {
        self.carried[i].binary_search(&label).is_ok()
    }

    /// The one head carrying label `k`.
    fn label_head(&self, k: usize) -> Result<usize, GraphError> {
        let heads: Vec<usize> = (0..self.nodes.len())
            .filter(|&i| self.children[i].is_empty() && self.carries(i, k))
            .collect();
        match heads[..] {
            [one] => Ok(one),
            _ => Err(GraphError::AmbiguousLabelHead {
                label: self.labels[k].0.clone(),
                heads: heads
                    .iter()
                    .map(|&i| (self.id(i).to_string(), self.nodes[i].path.clone()))
                    .collect(),
            }),
        }
    }

    /// The revisions a label target names: `@head` the branch's head, `@base` the
    /// parents of its first revision (none: base), `@+N`/`@-N` the walk along the
    /// branch from the database's current revision on it (`applied`).
    fn label_goals(
        &self,
        applied: &[bool],
        label: &str,
        at: LabelAt,
    ) -> Result<Vec<usize>, GraphError> {
        // `REV@head`, as in alembic: the one head that grows from REV (a revision
        // with no label of that name).
        if at == LabelAt::Head && self.label_index(label).is_none() {
            let i = match self.resolve(label) {
                Ok(i) => i,
                Err(GraphError::UnknownRevision(_)) => {
                    return Err(GraphError::UnknownLabel(label.to_string()));
                }
                Err(e) => return Err(e),
            };
            let above = self.reach(&[i], &[&self.children]);
            let heads: Vec<usize> = (0..self.nodes.len())
                .filter(|&h| above[h] && self.children[h].is_empty())
                .collect();
            return match heads[..] {
                [one] => Ok(vec![one]),
                _ => Err(GraphError::AmbiguousLabelHead {
                    label: label.to_string(),
                    heads: heads
                        .iter()
                        .map(|&h| (self.id(h).to_string(), self.nodes[h].path.clone()))
                        .collect(),
                }),
            };
        }
        let k = self.known_label(label)?;
        match at {
            LabelAt::Head => Ok(vec![self.label_head(k)?]),
            LabelAt::Base => Ok(self.parents[self.label_base[k]].clone()),
            LabelAt::Relative(n) => self.label_walk(applied, k, n),
        }
    }

    /// The database's current revision on label `k`'s branch: the applied revision
    /// carrying the label none of whose children carrying it is applied; `None` when
    /// nothing on the branch is applied.
    fn label_current(&self, applied: &[bool], k: usize) -> Result<Option<usize>, GraphError> {
        let on_branch = |i: usize| applied[i] && self.carries(i, k);
        let current: Vec<usize> = (0..self.nodes.len())
            .filter(|&i| on_branch(i) && !self.children[i].iter().any(|&c| on_branch(c)))
            .collect();
        match current[..] {
            [] => Ok(None),
            [one] => Ok(Some(one)),
            _ => Err(GraphError::MultipleCurrentHeads {
                heads: current.iter().map(|&i| self.id(i).to_string()).collect(),
            }),
        }
    }

    /// `LABEL@+N` / `LABEL@-N`: N steps from the database's current revision on the
    /// branch (from below its first revision when none is applied), choosing only
    /// among revisions that carry the label.
    fn label_walk(&self, applied: &[bool], k: usize, steps: i64) -> Result<Vec<usize>, GraphError> {
        let requested = steps.unsigned_abs();
        let pos = self.label_current(applied, k)?;
        if steps < 0 {
            return match pos {
                None => Err(GraphError::PastBase {
                    from: None,
                    requested,
                    available: 0,
                }),
                Some(i) => self.walk_down(i, requested, None),
            };
        }
        let mut pos = pos;
        for taken in 0..requested {
            let next: Vec<usize> = match pos {
                None => vec![self.label_base[k]],
                Some(i) => self.children[i]
                    .iter()
                    .copied()
                    .filter(|&c| self.carries(c, k))
                    .collect(),
            };
            pos = match next[..] {
                [] => {
                    return Err(GraphError::PastHead {
                        from: None,
                        requested,
                        available: taken,
                    });
                }
                [one] => Some(one),
                _ => {
                    return Err(GraphError::BranchPoint {
                        id: pos.map_or("base", |i| self.id(i)).to_string(),
                        children: next.iter().map(|&i| self.id(i).to_string()).collect(),
                    });
                }
            };
        }
        Ok(pos.into_iter().collect())
    }
}

impl Pos {
    /// The revision, or `None` for base.
    fn rev(self) -> Option<usize> {
        match self {
            Pos::Base => None,
            Pos::Rev(i) => Some(i),
        }
    }
}

fn not_allowed(target: &Target, command: &'static str) -> GraphError {
    let allowed = match command {
        "upgrade" => "head, heads, base, a revision, +N, REV+N or REV-N",
        "downgrade" => "base, a revision, -N, REV-N or REV+N",
        _ => "head, heads, base, a revision, REV+N or REV-N",
    };
    GraphError::TargetNotAllowed {
        target: target.to_string(),
        command,
        allowed,
    }
}

/// The declared labels (sorted, each with its revision), the labels each revision
/// carries, and each label's first revision. As in alembic, a label spreads to every
/// descendant of the revision that declares it, and down through its ancestors as long
/// as each is neither a branch point nor a merge (those belong to several branches).
#[allow(clippy::type_complexity)]
fn branch_labels(
    nodes: &[Node],
    parents: &[Vec<usize>],
    children: &[Vec<usize>],
) -> Result<(Vec<(String, usize)>, Vec<Vec<usize>>, Vec<usize>), GraphError> {
    let mut labels: Vec<(String, usize)> = Vec::new();
    for (i, node) in nodes.iter().enumerate() {
        for label in &node.branch_labels {
            labels.push((label.clone(), i));
        }
    }
    let mut carried: Vec<Vec<usize>> = vec![Vec::new(); nodes.len()];
    if labels.is_empty() {
        return Ok((labels, carried, Vec::new()));
    }
    labels.sort();
    if let Some(pair) = labels.windows(2).find(|w| w[0].0 == w[1].0) {
        return Err(GraphError::DuplicateLabel {
            label: pair[0].0.clone(),
            paths: [nodes[pair[0].1].path.clone(), nodes[pair[1].1].path.clone()],
        });
    }
    for (label, i) in &labels {
        match find(nodes, label) {
            Some(r) if r != *i => {
                return Err(GraphError::LabelIsRevision {
                    label: label.clone(),
                    path: nodes[*i].path.clone(),
                    revision_path: nodes[r].path.clone(),
                });
            }
            _ => {}
        }
    }
    let mut label_base = Vec::with_capacity(labels.len());
    for (k, &(_, declared)) in labels.iter().enumerate() {
        // Descendants, iteratively.
        let mut seen = vec![false; nodes.len()];
        let mut stack = vec![declared];
        seen[declared] = true;
        while let Some(i) = stack.pop() {
            carried[i].push(k);
            for &c in &children[i] {
                if !seen[c] {
                    seen[c] = true;
                    stack.push(c);
                }
            }
        }
        // Ancestors while the line is single.
        let mut first = declared;
        while let [p] = parents[first][..] {
            if children[p].len() > 1 || parents[p].len() > 1 {
                break;
            }
            carried[p].push(k);
            first = p;
        }
        label_base.push(first);
    }
    for c in &mut carried {
        c.sort_unstable();
        c.dedup();
    }
    Ok((labels, carried, label_base))
}

/// The first 16 bytes of an id, zero-padded, as a number: if one id sorts before
/// another, its key is not greater (equal keys fall back to comparing the ids).
fn id_key(id: &str) -> u128 {
    prefix_key(id.as_bytes())
}

/// The first 16 bytes, zero-padded, as a number: if one byte string sorts before
/// another, its key is not greater. Sorting and searching on it compares integers
/// kept in the slice instead of following a pointer per comparison.
pub(crate) fn prefix_key(bytes: &[u8]) -> u128 {
    let mut key = [0u8; 16];
    let n = bytes.len().min(16);
    key[..n].copy_from_slice(&bytes[..n]);
    u128::from_be_bytes(key)
}

/// The order Kahn's algorithm breaks ties in: file name, then id.
fn by_name(a: &Node, b: &Node) -> std::cmp::Ordering {
    file_name(&a.path)
        .cmp(file_name(&b.path))
        .then_with(|| a.id.cmp(&b.id))
}

/// Reorders `items` in place so that position `p` holds what was at `from[p]` (a
/// permutation): swaps along each cycle, so no second copy of the items is made.
fn permute<T>(items: &mut [T], mut from: Vec<usize>) {
    for start in 0..items.len() {
        let mut at = start;
        while from[at] != start {
            let next = from[at];
            items.swap(at, next);
            from[at] = at;
            at = next;
        }
        from[at] = at;
    }
}

/// The nodes' [`id_key`]s in id order, and a hash table from each key to where its
/// run of equal keys starts: a lookup costs a probe or two, not a binary search.
#[derive(Debug, Clone)]
struct Keys {
    sorted: Vec<u128>,
    /// Open addressing, linear probing; a slot holds a position + 1, 0 when empty.
    table: Vec<u32>,
    shift: u32,
}

impl Keys {
    fn new(sorted: Vec<u128>) -> Keys {
        let size = (sorted.len() * 2).next_power_of_two().max(2);
        let shift = 64 - size.trailing_zeros();
        let mut keys = Keys {
            table: vec![0; size],
            sorted,
            shift,
        };
        for (i, &key) in keys.sorted.iter().enumerate() {
            if i > 0 && keys.sorted[i - 1] == key {
                continue;
            }
            let mut slot = keys.slot(key);
            while keys.table[slot] != 0 {
                slot = (slot + 1) & (keys.table.len() - 1);
            }
            keys.table[slot] = u32::try_from(i + 1).unwrap_or(u32::MAX);
        }
        keys
    }

    /// Where `key`'s probe starts: Fibonacci hashing of the folded key.
    fn slot(&self, key: u128) -> usize {
        let folded = (key as u64) ^ ((key >> 64) as u64).rotate_left(29);
        (folded.wrapping_mul(0x9e37_79b9_7f4a_7c15) >> self.shift) as usize
    }

    /// The first position of `key`, if some node has it.
    fn start(&self, key: u128) -> Option<usize> {
        let mut slot = self.slot(key);
        loop {
            match self.table[slot] {
                0 => return None,
                at => {
                    let at = at as usize - 1;
                    if self.sorted.get(at) == Some(&key) {
                        return Some(at);
                    }
                }
            }
            slot = (slot + 1) & (self.table.len() - 1);
        }
    }
}

/// The index of `id` in `nodes` (sorted by id, `keys` their [`id_key`]s): integers
/// narrow it down, strings decide only among ids that share their first 16 bytes.
fn find_keyed(keys: &Keys, nodes: &[Node], id: &str) -> Option<usize> {
    let key = id_key(id);
    let start = keys.start(key)?;
    // Most keys are unique: then the one string comparison decides.
    if keys.sorted.get(start + 1) != Some(&key) {
        return (nodes[start].id == id).then_some(start);
    }
    let len = keys.sorted[start..].partition_point(|&k| k == key);
    nodes[start..start + len]
        .binary_search_by(|n| n.id.as_str().cmp(id))
        .ok()
        .map(|i| start + i)
}

fn find(nodes: &[Node], id: &str) -> Option<usize> {
    nodes.binary_search_by(|n| n.id.as_str().cmp(id)).ok()
}

/// Kahn's algorithm with a ready queue ordered by (file name, id). On a cycle, returns
/// the mask of revisions that could not be ordered.
fn kahn(
    nodes: &[Node],
    name_rank: Option<Vec<usize>>,
    parents: &[Vec<usize>],
    children: &[Vec<usize>],
) -> Result<Vec<usize>, Vec<bool>> {
    let n = nodes.len();
    // rank[i]: position of i in (file name, id) order, so the heap compares integers.
    let rank = match name_rank {
        Some(rank) => rank,
        None => {
            let mut sorted: Vec<usize> = (0..n).collect();
            sorted.sort_unstable_by(|&a, &b| by_name(&nodes[a], &nodes[b]));
            let mut rank = vec![0; n];
            for (r, &i) in sorted.iter().enumerate() {
                rank[i] = r;
            }
            rank
        }
    };
    let mut by_rank = vec![0; n];
    for (i, &r) in rank.iter().enumerate() {
        by_rank[r] = i;
    }

    let mut waiting: Vec<usize> = parents.iter().map(Vec::len).collect();
    let mut ready: BinaryHeap<Reverse<usize>> = (0..n)
        .filter(|&i| waiting[i] == 0)
        .map(|i| Reverse(rank[i]))
        .collect();
    let mut order = Vec::with_capacity(n);
    while let Some(Reverse(r)) = ready.pop() {
        let i = by_rank[r];
        order.push(i);
        for &c in &children[i] {
            waiting[c] -= 1;
            if waiting[c] == 0 {
                ready.push(Reverse(rank[c]));
            }
        }
    }
    if order.len() == n {
        Ok(order)
    } else {
        Err(waiting.iter().map(|&w| w > 0).collect())
    }
}

fn file_name(path: &Path) -> &std::ffi::OsStr {
    // The common case, `dir/name.sql`, without parsing every component.
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        let bytes = path.as_os_str().as_bytes();
        if let Some(slash) = bytes.iter().rposition(|&b| b == b'/') {
            let name = &bytes[slash + 1..];
            if !name.is_empty() && name != b"." && name != b".." {
                return std::ffi::OsStr::from_bytes(name);
            }
        }
    }
    path.file_name().unwrap_or(path.as_os_str())
}

/// One cycle among the revisions Kahn could not order. Each of them still waits for an
/// unordered parent, so walking to such a parent from any of them must revisit one.
/// Returned in "revises" order, starting at the smallest index (id).
fn find_cycle(parents: &[Vec<usize>], remaining: &[bool]) -> Vec<usize> {
    let Some(start) = remaining.iter().position(|&r| r) else {
        return Vec::new();
    };
    let mut position: Vec<Option<usize>> = vec![None; remaining.len()];
    let mut path = Vec::new();
    let mut current = start;
    loop {
        if let Some(p) = position[current] {
            let mut cycle = path.split_off(p);
            let min = cycle
                .iter()
                .enumerate()
                .min_by_key(|&(_, &i)| i)
                .map_or(0, |(k, _)| k);
            cycle.rotate_left(min);
            return cycle;
        }
        position[current] = Some(path.len());
        path.push(current);
        let next = parents[current]
            .iter()
            .copied()
            .filter(|&p| remaining[p])
            .min();
        match next {
            Some(p) => current = p,
            // Cannot happen (see above); report what was walked rather than panic.
            None => return path,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn node(id: &str) -> Node {
        Node {
            id: id.to_string(),
            parents: Vec::new(),
            path: PathBuf::from(format!("m/{id}.sql")),
            message: String::new(),
            created: None,
            branch_labels: Vec::new(),
            depends_on: Vec::new(),
            depends_on_line: None,
        }
    }

    #[test]
    fn nodes_come_out_in_id_order_whatever_their_length() {
        // Prefixes of each other, equal in the first 16 bytes, and shorter than 16.
        let ids = [
            "abcdefghijklmnopq",
            "abcdefghijklmnop",
            "abcdefghijklmnopZ",
            "abcdefghijklmnop_x",
            "ab",
            "a",
            "abc",
            "Z9",
            "_",
            "9",
            "abcdefghijklmnoz",
        ];
        let g = RevisionGraph::new(ids.iter().rev().map(|id| node(id)))
            .unwrap_or_else(|e| panic!("{e}"));
        let got: Vec<&str> = g.nodes().iter().map(|n| n.id.as_str()).collect();
        let mut want: Vec<&str> = ids.to_vec();
        want.sort_unstable();
        assert_eq!(got, want);
        for id in ids {
            assert_eq!(g.get(id).map(|n| n.id.as_str()), Some(id));
        }
    }

    #[test]
    fn file_name_agrees_with_the_standard_library() {
        for p in [
            "migrations/a.sql",
            "/abs/dir/b_c.sql",
            "a.sql",
            "dir//x.sql",
            "dir/x.sql/.",
            "dir/..",
            "dir/",
            "/",
            "",
            ".",
        ] {
            let path = Path::new(p);
            assert_eq!(
                file_name(path),
                path.file_name().unwrap_or(path.as_os_str()),
                "{p}"
            );
        }
    }

    #[test]
    fn permute_moves_each_item_to_its_place() {
        let mut seed: u64 = 7;
        for n in 0..40 {
            // A shuffled 0..n, by Fisher-Yates with a fixed xorshift.
            let mut from: Vec<usize> = (0..n).collect();
            for i in (1..n).rev() {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                from.swap(i, (seed % (i as u64 + 1)) as usize);
            }
            let mut items: Vec<String> = (0..n).map(|i| format!("item{i}")).collect();
            let expected: Vec<String> = from.iter().map(|&i| items[i].clone()).collect();
            permute(&mut items, from);
            assert_eq!(items, expected, "n = {n}");
        }
    }

    #[test]
    fn id_keys_never_contradict_the_order_of_ids() {
        let ids = [
            "",
            "a",
            "a_",
            "a0",
            "ab",
            "abcdefghijklmnop",
            "abcdefghijklmnopa",
        ];
        for x in ids {
            for y in ids {
                if x < y {
                    assert!(id_key(x) <= id_key(y), "{x} < {y}");
                }
            }
        }
    }
}
