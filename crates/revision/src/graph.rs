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

/// One revision as the graph sees it: the lighter form of a [`Migration`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Node {
    /// The revision id.
    pub id: String,
    /// The ids it revises, in file order.
    pub parents: Vec<String>,
    /// The file that defines it, for error messages and ordering.
    pub path: PathBuf,
}

impl From<Migration> for Node {
    fn from(m: Migration) -> Node {
        Node {
            id: m.id,
            parents: m.parents,
            path: m.path,
        }
    }
}

impl From<&Migration> for Node {
    fn from(m: &Migration) -> Node {
        Node {
            id: m.id.clone(),
            parents: m.parents.clone(),
            path: m.path.clone(),
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
}

impl Target {
    /// Parses `head`, `heads`, `base`, `+N`, `-N`, a revision (or prefix), `REV+N` or
    /// `REV-N`, where N is at least 1. Surrounding white space is ignored.
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
        let Some(pos) = s.find(['+', '-']) else {
            return if is_valid_id(s) {
                Ok(Target::Revision(s.to_string()))
            } else {
                Err(invalid())
            };
        };
        let (rev, signed) = s.split_at(pos);
        let digits = &signed[1..];
        if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(invalid());
        }
        let steps: i64 = digits.parse().map_err(|_| invalid())?;
        if steps == 0 {
            return Err(invalid());
        }
        let steps = if signed.starts_with('-') {
            -steps
        } else {
            steps
        };
        if rev.is_empty() {
            Ok(Target::Relative(steps))
        } else if is_valid_id(rev) {
            Ok(Target::RevisionRelative(rev.to_string(), steps))
        } else {
            Err(invalid())
        }
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
    /// Not a target.
    #[error(
        "\"{target}\" is not a valid target: expected head, heads, base, a revision id (or a unique prefix), +N, -N, REV+N or REV-N with N at least 1"
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
                "the database is at revision {one}, which is not in the migrations directory: restore its file or point wildebeest at the right directory"
            ),
            ids => write!(
                f,
                "the database has revisions {}, which are not in the migrations directory: restore their files or point wildebeest at the right directory",
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
    nodes: Vec<Node>,
    parents: Vec<Vec<usize>>,
    /// Sorted by id.
    children: Vec<Vec<usize>>,
    /// Parents before children; ties by file name, then id.
    topo: Vec<usize>,
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
        let mut nodes: Vec<Node> = nodes.into_iter().map(Into::into).collect();
        nodes.sort_by(|a, b| a.id.cmp(&b.id).then_with(|| a.path.cmp(&b.path)));
        if let Some(pair) = nodes.windows(2).find(|w| w[0].id == w[1].id) {
            return Err(GraphError::DuplicateRevision {
                id: pair[0].id.clone(),
                paths: [pair[0].path.clone(), pair[1].path.clone()],
            });
        }

        let mut parents = Vec::with_capacity(nodes.len());
        for node in &nodes {
            let mut own: Vec<usize> = Vec::with_capacity(node.parents.len());
            for parent in &node.parents {
                let Some(p) = find(&nodes, parent) else {
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

        // Indices grow in id order, so each child list comes out sorted by id.
        let mut children = vec![Vec::new(); nodes.len()];
        for (child, own) in parents.iter().enumerate() {
            for &p in own {
                children[p].push(child);
            }
        }

        let topo = kahn(&nodes, &parents, &children).map_err(|remaining| GraphError::Cycle {
            revisions: find_cycle(&parents, &remaining)
                .into_iter()
                .map(|i| (nodes[i].id.clone(), nodes[i].path.clone()))
                .collect(),
        })?;

        Ok(RevisionGraph {
            nodes,
            parents,
            children,
            topo,
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

    /// The revision with this full id.
    pub fn get(&self, id: &str) -> Option<&Node> {
        self.index(id).map(|i| &self.nodes[i])
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
        let mask = self.reach(&[i], &self.parents);
        self.ids_where(mask).map(str::to_string).collect()
    }

    /// `id` and every revision that depends on it; empty for an unknown id.
    pub fn descendants(&self, id: &str) -> BTreeSet<String> {
        let Some(i) = self.index(id) else {
            return BTreeSet::new();
        };
        let mask = self.reach(&[i], &self.children);
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
    /// every head, `base` none, a revision (or prefix) that revision, `+N` / `-N` the
    /// revision N steps from the database's single current head (`applied`), `REV+N` /
    /// `REV-N` the revision N steps from REV. A last step down from a merge names all
    /// its parents.
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
            Target::Relative(n) => {
                let applied = self.applied_mask(applied)?;
                match self.current_pos(&applied)? {
                    Pos::Rev(head) if *n < 0 => self.walk_down(head, n.unsigned_abs(), None)?,
                    Pos::Base if *n < 0 => {
                        return Err(GraphError::PastBase {
                            from: None,
                            requested: n.unsigned_abs(),
                            available: 0,
                        });
                    }
                    from => self
                        .walk_up(from, n.unsigned_abs(), None)?
                        .rev()
                        .into_iter()
                        .collect(),
                }
            }
            Target::RevisionRelative(rev, n) => self.walk_from(rev, *n)?,
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
        let below = self.reach(&upper, &self.parents);
        let above = if lower.is_empty() {
            vec![true; self.nodes.len()]
        } else {
            self.reach(&lower, &self.children)
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
    pub fn current_heads(&self, applied: &BTreeSet<String>) -> Vec<String> {
        applied
            .iter()
            .filter(|id| match self.index(id) {
                Some(i) => !self.children[i]
                    .iter()
                    .any(|&c| applied.contains(self.id(c))),
                None => true,
            })
            .cloned()
            .collect()
    }

    /// The revisions to apply, in order (parents first), so that the target and all
    /// its ancestors are applied.
    ///
    /// - `head`: the single head ([`GraphError::MultipleHeads`] if there are several);
    /// - `heads`: every head;
    /// - `base`: nothing;
    /// - a revision (or prefix): that revision; already applied gives an empty plan;
    /// - `+N`: N steps up from the database's single current head (or from base when
    ///   nothing is applied) along the one path there is;
    /// - `REV+N`, `REV-N`: N steps up or down from REV.
    ///
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
            Target::Relative(n) => {
                let from = self.current_pos(&applied)?;
                self.walk_up(from, n.unsigned_abs(), None)?
                    .rev()
                    .into_iter()
                    .collect()
            }
            Target::RevisionRelative(rev, n) => self.walk_from(rev, *n)?,
        };
        let needed = self.reach(&goals, &self.parents);
        Ok(self
            .topo
            .iter()
            .filter(|&&i| needed[i] && !applied[i])
            .map(|&i| self.id(i).to_string())
            .collect())
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
    /// `head`, `heads` and `+N` are errors. Errors with [`GraphError::UnknownApplied`]
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
            // The goals and their ancestors stay: with several goals (the parents
            // of a merge) a descendant of one goal can be an ancestor of another.
            let keep = self.reach(&goals, &self.parents);
            let mut undo = self.reach(&goals, &self.children);
            for ((u, a), k) in undo.iter_mut().zip(&applied).zip(&keep) {
                *u &= *a && !*k;
            }
            undo
        };
        Ok(self
            .topo
            .iter()
            .rev()
            .filter(|&&i| undo[i])
            .map(|&i| self.id(i).to_string())
            .collect())
    }

    /// The applied set `stamp TARGET` records: the target and its ancestors (`base`:
    /// nothing; `heads`: every revision). `+N` and `-N` need the database's position,
    /// so they are errors here.
    pub fn stamp_set(&self, target: &Target) -> Result<BTreeSet<String>, GraphError> {
        let goals: Vec<usize> = match target {
            Target::Head => self.single_head()?.into_iter().collect(),
            Target::Heads => self.heads_idx(),
            Target::Base => Vec::new(),
            Target::Revision(rev) => vec![self.resolve(rev)?],
            Target::RevisionRelative(rev, n) => self.walk_from(rev, *n)?,
            Target::Relative(_) => return Err(not_allowed(target, "stamp")),
        };
        let mask = self.reach(&goals, &self.parents);
        Ok(self.ids_where(mask).map(str::to_string).collect())
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
        find(&self.nodes, id)
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

    /// `REV+N` / `REV-N`: the revisions the walk ends on (none for base).
    fn walk_from(&self, rev: &str, steps: i64) -> Result<Vec<usize>, GraphError> {
        let start = self.resolve(rev)?;
        let from = Some(self.id(start));
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

    /// Everything reachable from `starts` (inclusive) along `edges`, iteratively.
    fn reach(&self, starts: &[usize], edges: &[Vec<usize>]) -> Vec<bool> {
        let mut seen = vec![false; self.nodes.len()];
        let mut stack: Vec<usize> = Vec::new();
        for &s in starts {
            if !seen[s] {
                seen[s] = true;
                stack.push(s);
            }
        }
        while let Some(i) = stack.pop() {
            for &next in &edges[i] {
                if !seen[next] {
                    seen[next] = true;
                    stack.push(next);
                }
            }
        }
        seen
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

fn find(nodes: &[Node], id: &str) -> Option<usize> {
    nodes.binary_search_by(|n| n.id.as_str().cmp(id)).ok()
}

/// Kahn's algorithm with a ready queue ordered by (file name, id). On a cycle, returns
/// the mask of revisions that could not be ordered.
fn kahn(
    nodes: &[Node],
    parents: &[Vec<usize>],
    children: &[Vec<usize>],
) -> Result<Vec<usize>, Vec<bool>> {
    let n = nodes.len();
    // rank[i]: position of i in (file name, id) order, so the heap compares integers.
    let mut by_name: Vec<usize> = (0..n).collect();
    by_name.sort_by(|&a, &b| {
        file_name(&nodes[a].path)
            .cmp(file_name(&nodes[b].path))
            .then_with(|| nodes[a].id.cmp(&nodes[b].id))
    });
    let mut rank = vec![0; n];
    for (r, &i) in by_name.iter().enumerate() {
        rank[i] = r;
    }

    let mut waiting: Vec<usize> = parents.iter().map(Vec::len).collect();
    let mut ready: BinaryHeap<Reverse<usize>> = (0..n)
        .filter(|&i| waiting[i] == 0)
        .map(|i| Reverse(rank[i]))
        .collect();
    let mut order = Vec::with_capacity(n);
    while let Some(Reverse(r)) = ready.pop() {
        let i = by_name[r];
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
