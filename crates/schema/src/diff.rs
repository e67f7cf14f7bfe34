//! The diff: which ops turn one schema into another, ordered so that they apply.
//!
//! The order, each step by table name:
//! 1. renames from the [`Hints`] (a table's column renames right after it), so that
//!    everything after compares objects under their new names, and constraints that
//!    change only their names, renamed rather than dropped; then, by enum name,
//!    new enum types and new labels of existing ones, before anything can use them
//!    (and an enum whose labels are removed or reordered, which no column uses,
//!    dropped and created again);
//! 2. dropped or changed foreign keys of tables in both schemas, before anything they
//!    depend on goes;
//! 3. dropped tables, children before parents;
//! 4. dropped or changed indexes and other constraints of tables in both;
//! 5. for tables in both, across all of them in turn: dropped columns (generated
//!    ones first), added columns (in the new declaration order, generated ones
//!    last), changed columns (a column whose generation changes is dropped and added
//!    instead, with the generated columns reading it and what uses it:
//!    `remade_columns`), new or changed primary keys, unique and check constraints,
//!    and indexes; a column that starts
//!    auto-incrementing as part of a new primary key changes right after the key is
//!    added, and one that stops as its key goes right before the key is dropped (step
//!    4): MySQL allows an auto-increment column only in a key (error 1075);
//! 6. new tables with their indexes, parents before children: after step 5, because
//!    their foreign keys may reference a primary key, unique constraint or unique
//!    index that step 5 adds to a table in both (a `REFERENCES currencies (code)` in a
//!    new table needs `currencies`' new `UNIQUE (code)`);
//! 7. new or changed foreign keys of tables in both, so that whatever a key
//!    references (a new table, unique constraint or index) exists when it comes;
//! 8. enum types that go, once no column uses them.
//!
//! Routines (PostgreSQL functions and procedures) come around the table ops: new
//! and changed ones that a table of the new schema may call (its name in a default,
//! a check, a generated column, an exclusion constraint or an index) after the
//! renames and new enum types of step 1 (an
//! argument may be of such a type), those a view may call after step 8 (before
//! the new views), the others after the views, so that a SQL function's body (which
//! PostgreSQL checks when it is made) can read the tables and views it names; the
//! routines that go come after the tables and views that may call them, before the
//! enum types of step 8. A changed
//! routine is replaced (`CREATE OR REPLACE`) when its signature, argument names,
//! defaults and return type stay, else dropped and created again, with the views
//! that may call it made again around it.
//!
//! Views wrap all of that (`with_views`): before step 1 the views that go are dropped,
//! and so are those that the table ops would break or that read a view which goes or
//! changes (each dropped view's readers first); after step 8 new views are created,
//! changed ones replaced and the dropped ones made again, each after what it reads.
//! A view breaks when a table it reads is renamed or dropped, or a column it may read
//! (see [`crate::View::reads_column`]) is dropped, renamed or changes type
//! (PostgreSQL refuses those while the view exists, MySQL's view stops working), or
//! when a table it reads all columns of (`*`) gains one: PostgreSQL and MySQL expand
//! `*` when the view is made, so only a view made again has the new column, as it
//! has on a database built from `schema.sql`.
//!
//! Domains, composite and range types (PostgreSQL) come with the routines: new and
//! changed ones right before the routines of step 1 (after the new enum types, which
//! a base type, an attribute or a subtype may be), each after the types it is made
//! of and after the new and changed routines a domain's default or check may call;
//! the ones that go right after the routines that go (before the enum types of
//! step 8), each before the types it was made of, and before the routines that go
//! which a domain that goes may call; a range type whose `SUBTYPE_DIFF`
//! is a routine of the schema is made after the routines of step 1 (the function is
//! one of them) and dropped before the routines that go. A changed domain is one op
//! ([`Op::AlterDomain`]) that the renderer writes as `ALTER DOMAIN` statements, or
//! refuses when the base type or collation changes; a changed composite type is one
//! op ([`Op::AlterComposite`], `ALTER TYPE ... ATTRIBUTE` statements); a changed
//! range type is dropped and made again, which the renderer refuses while something
//! uses it.
//!
//! Extensions wrap everything (`with_extensions`): new ones (and moved ones, dropped
//! first) come before all other ops, since a table, type or view may use what they
//! bring, and the ones that go come after all other ops.
//!
//! PostgreSQL's rules wrap everything but the extensions and comments (`with_rules`):
//! the rules that go, change or would break are dropped first, the new, changed and
//! broken ones made last, after all they name.
//!
//! Triggers wrap views and tables alike (`with_triggers`): first the triggers that go
//! or change are dropped, and so are those the ops between would break (a table,
//! view or column they name is dropped or renamed, the view they are on is made
//! again, which drops them; on PostgreSQL also a column its text names changes type,
//! or its function is dropped); last the new and changed ones are created and the
//! dropped ones made again, and a PostgreSQL trigger whose state alone changes is
//! enabled or disabled in place ([`Op::AlterTrigger`]). A trigger on a table renamed
//! under it stays (every database moves it with the table) when it does not name the
//! old name.
//!
//! A downgrade is the reversed list of inverted ops, so it drops a new table (and its
//! foreign keys) before the unique constraint it references: the same order read
//! backwards. The same holds for a diff from `to` to `from`: tables go at step 3,
//! before the constraints they reference at step 4.
//!
//! Column order is not a difference: SQLite can only append a column.
//!
//! An enum type whose labels are removed or reordered while a column uses it has no
//! op: PostgreSQL can only add labels, and remaking the type means converting stored
//! values, some of which may be gone. [`enum_conflicts`] lists those; callers check
//! it before they trust a diff.

use std::collections::{BTreeSet, HashMap};
use std::fmt;

use crate::model::{
    Column, CommentOn, Constraint, ForeignKey, Index, MysqlPartitioning, Policy, Routine,
    RoutineKind, RowSecurity, Rule, Schema, Sequence, Table, TableOptions, Trigger, Unique,
    UserType, View, find_word,
};
use crate::ops::{LabelPosition, Op, own_charset_columns, quote_label};

/// What the user told the diff that it cannot see: renames.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Hints {
    /// `(old table, new table)`.
    pub table_renames: Vec<(String, String)>,
    /// `(table as named in the new schema, old column, new column)`.
    pub column_renames: Vec<(String, String, String)>,
}

/// The ops that turn `from` into `to`: applied in order to `from`, they give a schema
/// that `diff` finds no difference from `to` in. Deterministic: the same schemas and
/// hints always give the same list.
///
/// Hints that do not fit (a table that is not there, a new name already taken) are
/// skipped; the caller validates them for messages.
///
/// SQLite's table options and unmodeled parts are not compared: no op changes them, and
/// neither do the changes [`enum_conflicts`] reports.
pub fn diff(from: &Schema, to: &Schema, hints: &Hints) -> Vec<Op> {
    let mut tables = table_diff(from, to, hints);
    let routines = routine_ops(from, to);
    // After the renames and the new enum types, which a routine's arguments may use.
    let at = tables
        .iter()
        .rposition(|op| {
            matches!(
                op,
                Op::CreateEnum { .. } | Op::AddEnumValue { .. } | Op::DropEnumValue { .. }
            )
        })
        .map_or_else(
            || {
                tables
                    .iter()
                    .take_while(|op| {
                        matches!(
                            op,
                            Op::RenameTable { .. }
                                | Op::RenameColumn { .. }
                                | Op::RenameConstraint { .. }
                        )
                    })
                    .count()
            },
            |i| i + 1,
        );
    // New and changed domains, after the new enum types and before the routines and
    // tables that may use them.
    let (domains, gone_domains) = domain_ops(from, to);
    // A range type whose `SUBTYPE_DIFF` is a function of the schema is made after the
    // routines made early (`routine_ops` puts that function among them) and dropped
    // before the routines that go.
    let diffs_with = |op: &Op, s: &Schema| match op {
        Op::CreateType(UserType::Range(r)) | Op::DropType(UserType::Range(r)) => r
            .subtype_diff
            .as_deref()
            .is_some_and(|f| s.routines.values().any(|rt| rt.named_in(f))),
        _ => false,
    };
    let (after_routines, domains): (Vec<Op>, Vec<Op>) = domains
        .into_iter()
        .partition(|op| matches!(op, Op::CreateType(_)) && diffs_with(op, to));
    let (before_routines, gone_domains): (Vec<Op>, Vec<Op>) = gone_domains
        .into_iter()
        .partition(|op| diffs_with(op, from));
    let sequences = sequence_ops(from, to, hints);
    let early: Vec<Op> = sequences
        .early
        .into_iter()
        .chain(routines.for_domains)
        .chain(domains)
        .chain(routines.early)
        .chain(after_routines)
        .collect();
    tables.splice(at..at, early);
    // Routines that go, before the enum types that go (step 8), which their
    // arguments may use.
    let end = tables.len()
        - tables
            .iter()
            .rev()
            .take_while(|op| matches!(op, Op::DropEnum { .. }))
            .count();
    let gone: Vec<Op> = before_routines
        .into_iter()
        .chain(routines.gone)
        .chain(gone_domains)
        .chain(routines.gone_after_domains)
        .chain(sequences.gone)
        .collect();
    tables.splice(end..end, gone);
    tables.extend(routines.before_views);
    let mut ops = if from.views.is_empty() && to.views.is_empty() {
        tables
    } else {
        with_views(from, to, tables, &routines.remade)
    };
    ops.extend(routines.late);
    ops.extend(sequences.late);
    if !(from.triggers.is_empty() && to.triggers.is_empty()) {
        ops = with_triggers(from, to, ops);
    }
    if !(from.policies.is_empty()
        && to.policies.is_empty()
        && from.row_security.is_empty()
        && to.row_security.is_empty())
    {
        ops = with_security(from, to, ops);
    }
    if !(from.rules.is_empty() && to.rules.is_empty()) {
        ops = with_rules(from, to, ops);
    }
    if !(from.extensions.is_empty() && to.extensions.is_empty()) {
        ops = with_extensions(from, to, ops);
    }
    if from.comments.is_empty() && to.comments.is_empty() {
        return ops;
    }
    with_comments(from, to, ops)
}

/// `ops` with the comments of [`Schema::comments`] carried along: walking the ops
/// on a copy of `from`, an object an op drops has its comment removed right before
/// (so that the downgrade, read backwards, gives it back right after making the
/// object again), an object an op makes (new, or made again) gets its comment right
/// after, and so does one an op remakes in place (a view replaced, which PostgreSQL
/// may write as a drop and a create; a domain's check changed, which is dropped and
/// added). The comments that change on objects that stay are set last.
fn with_comments(from: &Schema, to: &Schema, ops: Vec<Op>) -> Vec<Op> {
    let mut cur = from.clone();
    let mut out = Vec::with_capacity(ops.len());
    let set = |on: &CommentOn, from: Option<&String>, to: Option<&String>| Op::SetComment {
        on: on.clone(),
        from: from.cloned(),
        to: to.cloned(),
    };
    for op in ops {
        let remade = remade_in_place(&cur, &op);
        for on in &remade {
            if let Some(text) = cur.comments.remove(on) {
                out.push(set(on, Some(&text), None));
            }
        }
        let existed: Vec<bool> = to
            .comments
            .keys()
            .map(|on| cur.has_comment_target(on))
            .collect();
        let before = cur.comments.clone();
        let at = out.len();
        if op.apply(&mut cur).is_err() {
            out.push(op);
            continue;
        }
        // A rename carries its objects' comments along; anything else that takes
        // one away dropped its object.
        if !is_rename(&op) {
            let lost = before
                .iter()
                .filter(|(on, _)| !cur.comments.contains_key(*on))
                .map(|(on, text)| set(on, Some(text), None));
            out.splice(at..at, lost);
        }
        out.push(op);
        for ((on, text), existed) in to.comments.iter().zip(existed) {
            let made = (!existed || remade.contains(on)) && cur.has_comment_target(on);
            if made && cur.comments.get(on) != Some(text) {
                out.push(set(on, cur.comments.get(on), Some(text)));
                cur.comments.insert(on.clone(), text.clone());
            }
        }
    }
    let keys: BTreeSet<&CommentOn> = cur.comments.keys().chain(to.comments.keys()).collect();
    for on in keys {
        let (now, wanted) = (cur.comments.get(on), to.comments.get(on));
        if now != wanted {
            out.push(set(on, now, wanted));
        }
    }
    out
}

/// Whether `op` renames something (which moves comments rather than dropping them).
fn is_rename(op: &Op) -> bool {
    matches!(
        op,
        Op::RenameTable { .. }
            | Op::RenameColumn { .. }
            | Op::RenameConstraint { .. }
            | Op::RenameEnum { .. }
            | Op::RenameEnumValue { .. }
            | Op::RenameView { .. }
            | Op::RenameTrigger { .. }
            | Op::RenameSequence { .. }
    )
}

/// The commented objects `op` may drop and make again while the model sees them
/// stay: a replaced view and its columns (PostgreSQL drops and makes a view whose
/// columns change), a domain's checks that change (dropped and added).
fn remade_in_place(schema: &Schema, op: &Op) -> Vec<CommentOn> {
    match op {
        Op::ReplaceView { from, .. } => schema
            .comments
            .keys()
            .filter(|on| match on {
                CommentOn::View(v) | CommentOn::MaterializedView(v) => *v == from.name,
                CommentOn::ViewColumn { view, .. } => *view == from.name,
                _ => false,
            })
            .cloned()
            .collect(),
        Op::AlterDomain { from, to } => from
            .checks
            .iter()
            .filter(|c| !to.checks.contains(c))
            .filter_map(|c| c.name.clone())
            .filter(|name| to.check(name).is_some())
            .map(|name| CommentOn::DomainConstraint {
                domain: from.name.clone(),
                name,
            })
            .collect(),
        _ => Vec::new(),
    }
}

/// The sequence ops of [`sequence_ops`], by where they go.
#[derive(Default)]
struct SequenceOps {
    /// Before the tables: new sequences (without their owner), changed options, and
    /// owners taken off (before a table or column that owned one is dropped, which
    /// would drop the sequence with it).
    early: Vec<Op>,
    /// After the tables and views: owners given.
    late: Vec<Op>,
    /// With the domains that go, after the tables whose defaults drew from them.
    gone: Vec<Op>,
}

/// The sequences' ops (PostgreSQL). A sequence's owner is in `from` as it is after
/// the hinted renames, which come first and carry it along.
fn sequence_ops(from: &Schema, to: &Schema, hints: &Hints) -> SequenceOps {
    let mut out = SequenceOps::default();
    if from.sequences.is_empty() && to.sequences.is_empty() {
        return out;
    }
    let renamed = |s: &Sequence| -> Sequence {
        let mut s = s.clone();
        if let Some((t, c)) = &mut s.owned_by {
            if let Some((_, new)) = hints.table_renames.iter().find(|(old, _)| old == t) {
                *t = new.clone();
            }
            if let Some((_, _, new)) = hints
                .column_renames
                .iter()
                .find(|(table, old, _)| table == t && old == c)
            {
                *c = new.clone();
            }
        }
        s
    };
    for s in to.sequences.values() {
        let Some(old) = from.sequences.get(&s.name) else {
            out.early.push(Op::CreateSequence(s.unowned()));
            if s.owned_by.is_some() {
                out.late.push(Op::AlterSequence {
                    from: s.unowned(),
                    to: s.clone(),
                });
            }
            continue;
        };
        let mut now = renamed(old);
        if now.owned_by.is_some() && now.owned_by != s.owned_by {
            out.early.push(Op::AlterSequence {
                from: now.clone(),
                to: now.unowned(),
            });
            now = now.unowned();
        }
        let options = Sequence {
            owned_by: now.owned_by.clone(),
            ..s.clone()
        };
        if options != now {
            out.early.push(Op::AlterSequence {
                from: now,
                to: options.clone(),
            });
            now = options;
        }
        if now != *s {
            out.late.push(Op::AlterSequence {
                from: now,
                to: s.clone(),
            });
        }
    }
    for old in from.sequences.values() {
        if to.sequences.contains_key(&old.name) {
            continue;
        }
        let now = renamed(old);
        if now.owned_by.is_some() {
            out.early.push(Op::AlterSequence {
                from: now.clone(),
                to: now.unowned(),
            });
        }
        out.gone.push(Op::DropSequence(now.unowned()));
    }
    out
}

/// The ops on domains, composite and range types: new and changed ones, each after
/// the types it is made of (a composite's attribute of a new domain, a domain over a
/// new composite), and the ones that go, each before the types it was made of
/// (after the tables and routines that used them, before the enum types that go,
/// which they may be made of). A changed range type is dropped and made again.
fn domain_ops(from: &Schema, to: &Schema) -> (Vec<Op>, Vec<Op>) {
    let mut made: Vec<(String, Vec<String>, Vec<Op>)> = Vec::new();
    for d in to.domains.values() {
        let op = match from.domains.get(&d.name) {
            None => Op::CreateDomain(d.clone()),
            Some(old) if old != d => Op::AlterDomain {
                from: old.clone(),
                to: d.clone(),
            },
            Some(_) => continue,
        };
        made.push((d.name.clone(), parts_of(&[&d.base]), vec![op]));
    }
    for t in to.types.values() {
        let ops = match (from.types.get(t.name()), t) {
            (None, _) => vec![Op::CreateType(t.clone())],
            (Some(old), _) if old == t => continue,
            (Some(UserType::Composite(old)), UserType::Composite(new)) => {
                vec![Op::AlterComposite {
                    from: old.clone(),
                    to: new.clone(),
                }]
            }
            (Some(old), _) => vec![Op::DropType(old.clone()), Op::CreateType(t.clone())],
        };
        made.push((t.name().to_string(), parts_of(&t.parts()), ops));
    }
    let mut gone: Vec<(String, Vec<String>, Vec<Op>)> = Vec::new();
    for d in from.domains.values() {
        if !to.domains.contains_key(&d.name) {
            gone.push((
                d.name.clone(),
                parts_of(&[&d.base]),
                vec![Op::DropDomain(d.clone())],
            ));
        }
    }
    for t in from.types.values() {
        if !to.types.contains_key(t.name()) {
            gone.push((
                t.name().to_string(),
                parts_of(&t.parts()),
                vec![Op::DropType(t.clone())],
            ));
        }
    }
    let mut gone = in_dependency_order(gone);
    gone.reverse();
    (
        in_dependency_order(made).into_iter().flatten().collect(),
        gone.into_iter()
            .flat_map(|ops| ops.into_iter().rev())
            .collect(),
    )
}

/// The names of the schema's own types `types` are (or are arrays of).
fn parts_of(types: &[&crate::model::ColumnType]) -> Vec<String> {
    types.iter().filter_map(|t| t.named_type()).collect()
}

/// The ops of `items` (name, the type names it is made of, its ops), each item after
/// the items it is made of, otherwise by name; a cycle (which PostgreSQL cannot
/// make) keeps the rest by name.
fn in_dependency_order(mut items: Vec<(String, Vec<String>, Vec<Op>)>) -> Vec<Vec<Op>> {
    items.sort_by(|a, b| a.0.cmp(&b.0));
    let mut out = Vec::new();
    while !items.is_empty() {
        let ready = items
            .iter()
            .position(|(name, parts, _)| {
                !parts
                    .iter()
                    .any(|p| p != name && items.iter().any(|(other, ..)| other == p))
            })
            .unwrap_or(0);
        out.push(items.remove(ready).2);
    }
    out
}

/// `ops` after the extensions that come (anything may use what they bring: a type,
/// a function a default calls) and before those that go. An extension made with
/// another schema is dropped and made again.
fn with_extensions(from: &Schema, to: &Schema, ops: Vec<Op>) -> Vec<Op> {
    let mut out: Vec<Op> = to
        .extensions
        .values()
        .filter(|e| from.extensions.get(&e.name) != Some(e))
        .map(|e| Op::CreateExtension(e.clone()))
        .collect();
    // A moved extension is dropped before it is made again.
    let moved: Vec<Op> = from
        .extensions
        .values()
        .filter(|e| to.extensions.get(&e.name).is_some_and(|t| t != *e))
        .map(|e| Op::DropExtension(e.clone()))
        .collect();
    out.splice(0..0, moved);
    out.extend(ops);
    out.extend(
        from.extensions
            .values()
            .filter(|e| !to.extensions.contains_key(&e.name))
            .map(|e| Op::DropExtension(e.clone())),
    );
    out
}

/// The ops on routines, in three groups (see the module's order).
struct RoutineOps {
    /// New and changed routines that a domain of the new schema may call (in its
    /// default or a check): before the domains.
    for_domains: Vec<Op>,
    /// New and changed routines that a table of the new schema may call (in a
    /// default, a check, a generated column, an exclusion constraint or an index):
    /// before the table ops.
    early: Vec<Op>,
    /// New and changed routines that a view of the new schema may call: after the
    /// table ops, before new views.
    before_views: Vec<Op>,
    /// The other new and changed routines: after the views, so that a SQL
    /// function's body (which PostgreSQL checks when it is made) can read them.
    late: Vec<Op>,
    /// Routines that go: once no table may call them, before the enum types that go.
    gone: Vec<Op>,
    /// Routines that go which a domain of the old schema may call: after the domains
    /// that go.
    gone_after_domains: Vec<Op>,
    /// Routines in both that are dropped and made again (`CREATE OR REPLACE` cannot
    /// change them), and those that go: a view of the old schema that may call one
    /// is dropped before them (and made again, if it stays).
    remade: Vec<Routine>,
}

fn routine_ops(from: &Schema, to: &Schema) -> RoutineOps {
    let mut out = RoutineOps {
        for_domains: Vec::new(),
        early: Vec::new(),
        before_views: Vec::new(),
        late: Vec::new(),
        gone: Vec::new(),
        gone_after_domains: Vec::new(),
        remade: Vec::new(),
    };
    // A range type's `SUBTYPE_DIFF` function is needed as early as a table's.
    let called_by_tables = |r: &Routine| {
        to.types.values().any(|t| {
            matches!(t, UserType::Range(range)
                if range.subtype_diff.as_deref().is_some_and(|f| r.named_in(f)))
        }) || to.tables.values().any(|t| {
            t.columns
                .iter()
                .filter_map(|c| c.default.as_deref())
                .chain(
                    t.columns
                        .iter()
                        .filter_map(|c| c.generated.as_ref().map(|g| g.expr.as_str())),
                )
                .chain(t.checks.iter().map(|c| c.expr.as_str()))
                .chain(t.exclusions.iter().flat_map(|x| {
                    x.elements
                        .iter()
                        .map(|e| e.expr.as_str())
                        .chain(x.predicate.as_deref())
                }))
                .chain(t.indexes.iter().flat_map(|i| {
                    i.columns
                        .iter()
                        .map(String::as_str)
                        .chain(i.predicate.as_deref())
                }))
                .any(|e| r.named_in(e))
        })
    };
    let called_by_domains = |s: &Schema, r: &Routine| {
        s.domains.values().any(|d| {
            d.default
                .as_deref()
                .into_iter()
                .chain(d.checks.iter().map(|c| c.expr.as_str()))
                .any(|e| r.named_in(e))
        })
    };
    let aggregate = |r: &Routine| r.kind == RoutineKind::Aggregate;
    // The group of a routine: 0 before the domains, 1 early, 2 before the views,
    // 3 late.
    let own_group = |r: &Routine| {
        if called_by_domains(to, r) {
            0
        } else if called_by_tables(r) {
            1
        } else if to.views.values().any(|v| r.named_in(&v.definition)) {
            2
        } else {
            3
        }
    };
    // A support function comes no later than an aggregate that uses it.
    let group = |r: &Routine| {
        to.routines
            .values()
            .filter(|a| aggregate(a) && a.uses.contains(&r.name))
            .map(own_group)
            .chain([own_group(r)])
            .min()
            .unwrap_or(3)
    };
    // Functions dropped and made again, or dropped: an aggregate that uses one is
    // dropped before it and made again after.
    let mut dropped_functions: BTreeSet<&str> = BTreeSet::new();
    let mut function_ops: [Vec<Op>; 4] = Default::default();
    for (sig, r) in to.routines.iter().filter(|(_, r)| !aggregate(r)) {
        let ops = match from.routines.get(sig) {
            None => vec![Op::CreateRoutine(r.clone())],
            Some(old) if old == r => continue,
            Some(old) if old.replaceable_by(r) => vec![Op::ReplaceRoutine {
                from: old.clone(),
                to: r.clone(),
            }],
            Some(old) => {
                out.remade.push(old.clone());
                dropped_functions.insert(&old.name);
                vec![Op::DropRoutine(old.clone()), Op::CreateRoutine(r.clone())]
            }
        };
        function_ops[group(r)].extend(ops);
    }
    for (sig, r) in &from.routines {
        if !aggregate(r) && !to.routines.contains_key(sig) {
            dropped_functions.insert(&r.name);
        }
    }
    // Aggregates are dropped first of all the routines (once the views that may call
    // them are: see `remade`), and made last in their group.
    let mut aggregate_drops = Vec::new();
    let mut aggregate_ops: [Vec<Op>; 4] = Default::default();
    let uses_dropped = |r: &Routine| {
        r.uses
            .iter()
            .any(|u| dropped_functions.contains(u.as_str()))
    };
    for (sig, r) in to.routines.iter().filter(|(_, r)| aggregate(r)) {
        let op = match from.routines.get(sig) {
            None => Op::CreateRoutine(r.clone()),
            Some(old) if old == r && !uses_dropped(old) => continue,
            Some(old) if old.replaceable_by(r) && !uses_dropped(old) => Op::ReplaceRoutine {
                from: old.clone(),
                to: r.clone(),
            },
            Some(old) => {
                out.remade.push(old.clone());
                aggregate_drops.push(Op::DropRoutine(old.clone()));
                Op::CreateRoutine(r.clone())
            }
        };
        aggregate_ops[own_group(r)].push(op);
    }
    for (sig, r) in &from.routines {
        if !to.routines.contains_key(sig) {
            // A view of `from` that may call it is made again without it.
            out.remade.push(r.clone());
            if aggregate(r) {
                aggregate_drops.push(Op::DropRoutine(r.clone()));
            } else if called_by_domains(from, r) {
                out.gone_after_domains.push(Op::DropRoutine(r.clone()));
            } else {
                out.gone.push(Op::DropRoutine(r.clone()));
            }
        }
    }
    let [fd, f0, f1, f2] = function_ops;
    let [ad, a0, a1, a2] = aggregate_ops;
    out.for_domains = fd.into_iter().chain(ad).collect();
    out.early = aggregate_drops.into_iter().chain(f0).chain(a0).collect();
    out.before_views = f1.into_iter().chain(a1).collect();
    out.late = f2.into_iter().chain(a2).collect();
    out
}

/// The name a table or view of the old schema has after the renames among `ops`.
fn renamed_by(ops: &[Op], name: &str) -> String {
    let mut name = name.to_string();
    for op in ops {
        match op {
            Op::RenameTable { from, to } | Op::RenameView { from, to } if *from == name => {
                name = to.clone()
            }
            _ => {}
        }
    }
    name
}

/// The ops with the triggers' ops around them (see the module's docs).
fn with_triggers(from: &Schema, to: &Schema, ops: Vec<Op>) -> Vec<Op> {
    let renamed = |name: &str| renamed_by(&ops, name);
    let breaks = |t: &Trigger| {
        let on = renamed(&t.table);
        let concerns = |table: &str| t.table == table || on == table || t.mentions(table);
        ops.iter().any(|op| match op {
            Op::RenameTable { from, .. } | Op::RenameView { from, .. } => t.mentions(from),
            Op::DropTable(x) => concerns(&x.name),
            Op::DropView(v) | Op::CreateView(v) | Op::ReplaceView { to: v, .. } => {
                concerns(&v.name)
            }
            Op::DropColumn { table, column } => concerns(table) && t.mentions(&column.name),
            Op::RenameColumn { table, from, .. } => concerns(table) && t.mentions(from),
            // PostgreSQL refuses to change the type of a column a trigger's `WHEN` or
            // `UPDATE OF` names, and to drop the function a trigger runs.
            Op::AlterColumn { table, from, to } if t.per_table() => {
                from.ty != to.ty && concerns(table) && t.mentions(&from.name)
            }
            Op::DropRoutine(r) => t.function.as_deref() == Some(r.name.as_str()),
            _ => false,
        })
    };
    // The trigger `t` of `from` after the ops' renames, and its key in `to`.
    let moved = |t: &Trigger| Trigger {
        table: renamed(&t.table),
        ..t.clone()
    };
    let remade = |old: &Trigger, new: &Trigger| !moved(old).same_but_state(new) || breaks(old);
    let mut out = Vec::new();
    let mut states = Vec::new();
    for t in from.triggers.values() {
        match to.triggers.get(&moved(t).key()) {
            Some(new) if !remade(t, new) => {
                if new.state != t.state {
                    states.push(Op::AlterTrigger {
                        from: moved(t),
                        to: new.clone(),
                    });
                }
            }
            _ => out.push(Op::DropTrigger(t.clone())),
        }
    }
    out.extend(ops.iter().cloned());
    // The key in `from` of the trigger `t` of `to`, before the ops' renames.
    let before: HashMap<String, &Trigger> = from
        .triggers
        .values()
        .map(|old| (moved(old).key(), old))
        .collect();
    for t in to.triggers.values() {
        match before.get(&t.key()).copied() {
            Some(old) if !remade(old, t) => {}
            _ => out.push(Op::CreateTrigger(t.clone())),
        }
    }
    out.extend(states);
    out
}

/// The ops with PostgreSQL's rules around them: the rules that go, change or would
/// break dropped first, and the new, changed and broken ones made last, after
/// everything their commands name. A rule breaks when the table or view it is on,
/// or one its commands name, is dropped or made again, or renamed while they name
/// it; when a column its text names is dropped, renamed or changes type on a table
/// it is on or names (PostgreSQL refuses the last while the rule exists); or when a
/// function it names is dropped.
fn with_rules(from: &Schema, to: &Schema, ops: Vec<Op>) -> Vec<Op> {
    let renamed = |name: &str| renamed_by(&ops, name);
    let breaks = |r: &Rule| {
        let on = renamed(&r.table);
        let concerns = |table: &str| r.table == table || on == table || r.mentions(table);
        ops.iter().any(|op| match op {
            Op::RenameTable { from, .. } | Op::RenameView { from, .. } => r.mentions(from),
            Op::DropTable(x) => concerns(&x.name),
            Op::DropView(v) | Op::CreateView(v) | Op::ReplaceView { to: v, .. } => {
                concerns(&v.name)
            }
            Op::DropColumn { table, column } => concerns(table) && r.mentions(&column.name),
            Op::RenameColumn { table, from, .. } => concerns(table) && r.mentions(from),
            Op::AlterColumn { table, from, to } => {
                from.ty != to.ty && concerns(table) && r.mentions(&from.name)
            }
            Op::DropRoutine(f) => r.mentions(&f.name),
            _ => false,
        })
    };
    let moved = |r: &Rule| Rule {
        table: renamed(&r.table),
        ..r.clone()
    };
    let mut out = Vec::new();
    for r in from.rules.values() {
        match to.rules.get(&moved(r).key()) {
            Some(new) if *new == moved(r) && !breaks(r) => {}
            _ => out.push(Op::DropRule(r.clone())),
        }
    }
    out.extend(ops.iter().cloned());
    let kept: HashMap<String, &Rule> = from.rules.values().map(|r| (moved(r).key(), r)).collect();
    for r in to.rules.values() {
        match kept.get(&r.key()) {
            Some(old) if moved(old) == *r && !breaks(old) => {}
            _ => out.push(Op::CreateRule(r.clone())),
        }
    }
    out
}

/// The ops with row-level security around them: the policies that go, change or
/// would break (their table dropped, a column their expressions name dropped,
/// renamed or retyped: PostgreSQL refuses the last) dropped first, with the
/// row-level security of a table that goes; new, changed and broken policies made
/// last, after the row-level security of each table is set.
fn with_security(from: &Schema, to: &Schema, ops: Vec<Op>) -> Vec<Op> {
    let renamed = |name: &str| -> String {
        let mut name = name.to_string();
        for op in &ops {
            if let Op::RenameTable { from, to } = op
                && *from == name
            {
                name = to.clone();
            }
        }
        name
    };
    let dropped = |table: &str| {
        ops.iter()
            .any(|op| matches!(op, Op::DropTable(t) if t.name == table))
    };
    let breaks = |p: &Policy| {
        ops.iter().any(|op| match op {
            Op::DropTable(t) => t.name == p.table,
            Op::DropColumn { table, column } => *table == p.table && p.mentions(&column.name),
            Op::RenameColumn { table, from, .. } => *table == p.table && p.mentions(from),
            Op::AlterColumn { table, from, to } => {
                *table == p.table && from.ty != to.ty && p.mentions(&from.name)
            }
            _ => false,
        })
    };
    let moved = |p: &Policy| Policy {
        table: renamed(&p.table),
        ..p.clone()
    };
    let mut out = Vec::new();
    for p in from.policies.values() {
        match to.policies.get(&moved(p).key()) {
            Some(new) if *new == moved(p) && !breaks(p) => {}
            _ => out.push(Op::DropPolicy(p.clone())),
        }
    }
    for (table, rs) in &from.row_security {
        if dropped(table) {
            out.push(Op::SetRowSecurity {
                table: table.clone(),
                from: *rs,
                to: RowSecurity::default(),
            });
        }
    }
    out.extend(ops.iter().cloned());
    let before: HashMap<String, RowSecurity> = from
        .row_security
        .iter()
        .filter(|(t, _)| !dropped(t))
        .map(|(t, rs)| (renamed(t), *rs))
        .collect();
    let mut tables: BTreeSet<&String> = to.row_security.keys().collect();
    tables.extend(before.keys());
    for table in tables {
        let was = before.get(table).copied().unwrap_or_default();
        let now = to.row_security.get(table).copied().unwrap_or_default();
        if was != now {
            out.push(Op::SetRowSecurity {
                table: table.clone(),
                from: was,
                to: now,
            });
        }
    }
    let kept: HashMap<String, &Policy> = from
        .policies
        .values()
        .map(|p| (moved(p).key(), p))
        .collect();
    for p in to.policies.values() {
        match kept.get(&p.key()) {
            Some(old) if moved(old) == *p && !breaks(old) => {}
            _ => out.push(Op::CreatePolicy(p.clone())),
        }
    }
    out
}

/// The table ops with the views' ops around them (see the module's order).
fn with_views(from: &Schema, to: &Schema, tables: Vec<Op>, remade_routines: &[Routine]) -> Vec<Op> {
    let breaks = |v: &View| {
        remade_routines.iter().any(|r| r.named_in(&v.definition))
            || tables.iter().any(|op| match op {
                Op::RenameTable { from, .. } => v.reads_table(from),
                Op::DropTable(t) => v.reads_table(&t.name),
                Op::DropColumn { table, column } => v.reads_column(table, &column.name),
                Op::RenameColumn { table, from, .. } => v.reads_column(table, from),
                Op::AlterColumn { table, from, to } => {
                    from.ty != to.ty && v.reads_column(table, &from.name)
                }
                Op::AddColumn { table, .. } => v.reads_all && v.reads_table(table),
                _ => false,
            })
    };
    // Views in both that are dropped and made again, and those replaced.
    let mut remade: BTreeSet<String> = BTreeSet::new();
    let mut moved: Vec<String> = Vec::new();
    for v in from.views.values() {
        match to.views.get(&v.name) {
            None => moved.push(v.name.clone()),
            Some(w) if w != v => moved.push(v.name.clone()),
            Some(_) => {}
        }
        // A materialized view has no `CREATE OR REPLACE`: a changed one is made again.
        let rematerialized = to
            .views
            .get(&v.name)
            .is_some_and(|w| w != v && (w.materialized || v.materialized));
        if to.views.contains_key(&v.name) && (breaks(v) || rematerialized) {
            remade.insert(v.name.clone());
        }
    }
    // What reads a view that goes, changes or is made again is made again too.
    let mut todo: Vec<String> = moved.iter().chain(&remade).cloned().collect();
    while let Some(name) = todo.pop() {
        for reader in from.views_reading(&name) {
            if to.views.contains_key(&reader) && remade.insert(reader.clone()) {
                todo.push(reader);
            }
        }
    }
    let mut ops = Vec::new();
    for v in from.views_in_order().into_iter().rev() {
        if !to.views.contains_key(&v.name) || remade.contains(&v.name) {
            ops.push(Op::DropView(v.clone()));
        }
    }
    ops.extend(tables);
    for v in to.views_in_order() {
        match from.views.get(&v.name) {
            Some(_) if remade.contains(&v.name) => ops.push(Op::CreateView(v.clone())),
            Some(old) if old != v => ops.push(Op::ReplaceView {
                from: old.clone(),
                to: v.clone(),
            }),
            Some(_) => {}
            None => ops.push(Op::CreateView(v.clone())),
        }
    }
    // The indexes of a materialized view that stays: those that go or change are
    // dropped, then the new and changed ones made (a view made again carries its
    // own).
    let stays =
        |v: &&View| !remade.contains(&v.name) && to.views.get(&v.name).is_some_and(|w| w == *v);
    for v in from.views.values().filter(stays) {
        let w = &to.views[&v.name];
        ops.extend(
            v.indexes
                .iter()
                .filter(|ix| !w.indexes.contains(ix))
                .map(|ix| Op::DropIndex(ix.clone())),
        );
    }
    for v in from.views.values().filter(stays) {
        let w = &to.views[&v.name];
        ops.extend(
            w.indexes
                .iter()
                .filter(|ix| !v.indexes.contains(ix))
                .map(|ix| Op::CreateIndex(ix.clone())),
        );
    }
    ops
}

/// The ops on tables and enum types (steps 1 to 8).
fn table_diff(from: &Schema, to: &Schema, hints: &Hints) -> Vec<Op> {
    // Compare canonical forms, so that neither input needs to be normalized.
    let mut cur = from.clone();
    cur.normalize();
    let mut target = to.clone();
    target.normalize();
    // Triggers are `with_triggers`' (dropped before these ops when one would stand in
    // their way): a trigger refusing a rename here would turn it into a drop and an add.
    cur.triggers.clear();
    target.triggers.clear();
    cur.policies.clear();
    target.policies.clear();
    cur.rules.clear();
    target.rules.clear();
    cur.row_security.clear();
    target.row_security.clear();

    let mut ops = renames(&mut cur, &target, hints);
    ops.extend(constraint_renames(&mut cur, &target));
    ops.extend(new_enums(&cur, &target));
    let both: Vec<(&Table, &Table)> = cur
        .tables
        .values()
        .filter_map(|a| target.tables.get(&a.name).map(|b| (a, b)))
        .collect();

    // Columns dropped and added again (`remade_columns`): what uses one (a key, an
    // index, a check) goes before it and comes back after it, as for a type change.
    let remade: HashMap<&str, BTreeSet<String>> = both
        .iter()
        .map(|(a, b)| (a.name.as_str(), remade_columns(a, b)))
        .collect();
    let reads_remade = |table: &str, text: &str| {
        remade
            .get(table)
            .is_some_and(|cols| cols.iter().any(|c| find_word(text, c).is_some()))
    };
    let index_reads_remade = |ix: &Index| {
        ix.columns.iter().any(|c| {
            // A MySQL prefix part reads its column, which no expression search finds
            // in `` `c`(5) `` (a name before `(` is a call's).
            match crate::model::split_prefix_part(crate::ops::split_direction(c).0) {
                Some((column, _)) => remade
                    .get(ix.table.as_str())
                    .is_some_and(|cols| cols.contains(&column)),
                None => reads_remade(&ix.table, c),
            }
        }) || ix.include.iter().any(|c| reads_remade(&ix.table, c))
            || ix
                .predicate
                .as_deref()
                .is_some_and(|p| reads_remade(&ix.table, p))
    };
    let exclusion_reads_remade = |table: &str, x: &crate::model::Exclusion| {
        remade
            .get(table)
            .is_some_and(|cols| cols.iter().any(|c| x.reads(c)))
    };
    // Columns whose type changes (or that are made again), as `(table, column)`: a
    // foreign key on one, or on the column it references, goes before the change and
    // comes back after it (MySQL refuses to change the type of a column a foreign key
    // uses, and the two sides of a key change together).
    let retyped: BTreeSet<(&str, &str)> = both
        .iter()
        .flat_map(|(a, b)| {
            a.columns.iter().filter_map(|c| {
                b.column(&c.name)
                    .filter(|n| n.ty != c.ty || remade[a.name.as_str()].contains(&c.name))
                    .map(|_| (a.name.as_str(), c.name.as_str()))
            })
        })
        .collect();
    let on_retyped = |table: &str, fk: &ForeignKey| {
        fk.columns
            .iter()
            .any(|c| retyped.contains(&(table, c.as_str())))
            || fk
                .ref_columns
                .iter()
                .any(|c| retyped.contains(&(fk.ref_table.as_str(), c.as_str())))
    };

    // 2. Foreign keys that go or change.
    for (a, b) in &both {
        for fk in a
            .foreign_keys
            .iter()
            .filter(|fk| !b.foreign_keys.contains(fk) || on_retyped(&a.name, fk))
        {
            ops.push(drop_constraint(a, Constraint::ForeignKey(fk.clone())));
        }
    }

    // 3. Tables that go.
    let dropped: Vec<&Table> = cur
        .tables
        .values()
        .filter(|t| !target.tables.contains_key(&t.name))
        .collect();
    // Tables in a cycle of foreign keys: a table's keys to the tables that go before
    // it in this list are dropped before the first table goes, since the database
    // refuses to drop a table another one references. Each `DropTable` carries the
    // table as it is then, so its inverse creates it without those keys and the
    // inverses of the key drops add them back once every table is there.
    let order = dependency_order(&dropped, true);
    let gone_after: HashMap<&str, usize> = order
        .iter()
        .enumerate()
        .map(|(i, t)| (t.name.as_str(), i))
        .collect();
    let mut dropped_now = Vec::with_capacity(order.len());
    for (i, t) in order.iter().enumerate() {
        let (kept, cut) = split_forward_keys(t, |r| gone_after.get(r).is_some_and(|&j| j < i));
        for fk in &cut {
            ops.push(drop_constraint(t, Constraint::ForeignKey(fk.clone())));
        }
        dropped_now.push(kept);
    }
    ops.extend(dropped_now.into_iter().map(Op::DropTable));

    // 4. Indexes and other constraints that go or change.
    for (a, b) in &both {
        for ix in &a.indexes {
            let kept = visibility_change(ix, b).is_some() && !index_reads_remade(ix);
            if (!b.indexes.contains(ix) || index_reads_remade(ix)) && !kept {
                ops.push(Op::DropIndex(ix.clone()));
            }
        }
    }
    for (a, b) in &both {
        if let Some(pk) = a
            .primary_key
            .as_ref()
            .filter(|_| a.primary_key != b.primary_key)
        {
            // A column that stops auto-incrementing first: MySQL refuses to leave one
            // without a key (error 1075).
            ops.extend(auto_increment_key_alters(a, b, false));
            ops.push(drop_constraint(a, Constraint::PrimaryKey(pk.clone())));
        }
        let unique_remade = |u: &&Unique| {
            u.columns
                .iter()
                .any(|c| remade[a.name.as_str()].contains(c))
        };
        for u in a
            .uniques
            .iter()
            .filter(|u| !b.uniques.contains(u) || unique_remade(u))
        {
            ops.push(drop_constraint(a, Constraint::Unique(u.clone())));
        }
        for (i, ck) in a.checks.iter().enumerate() {
            if !surplus(&a.checks, i, &b.checks) && !reads_remade(&a.name, &ck.expr) {
                continue;
            }
            ops.push(drop_constraint(a, Constraint::Check(ck.clone())));
        }
        // A changed exclusion constraint is dropped and added: nothing alters one.
        for x in a
            .exclusions
            .iter()
            .filter(|x| !b.exclusions.contains(x) || exclusion_reads_remade(&a.name, x))
        {
            ops.push(drop_constraint(a, Constraint::Exclusion(x.clone())));
        }
    }

    // 5. Changes inside tables in both. A partition's columns are its parent's, which
    // change with the parent's (PostgreSQL refuses them on a partition).
    let own_columns: Vec<(&Table, &Table)> = both
        .iter()
        .copied()
        .filter(|(a, b)| a.options.partition_of.is_none() || b.options.partition_of.is_none())
        .collect();
    // A new column added before the drops, where every column of a table goes:
    // MySQL (error 1090) and SQLite refuse to drop a table's last column.
    let mut added_first: BTreeSet<(&str, &str)> = BTreeSet::new();
    for (a, b) in &own_columns {
        let gone =
            |c: &&Column| b.column(&c.name).is_none() || remade[a.name.as_str()].contains(&c.name);
        if !a.columns.is_empty()
            && a.columns.iter().all(|c| gone(&c))
            && let Some(first) = b
                .columns
                .iter()
                .find(|c| c.generated.is_none() && a.column(&c.name).is_none())
        {
            ops.push(Op::AddColumn {
                table: a.name.clone(),
                column: first.clone(),
            });
            added_first.insert((a.name.as_str(), first.name.as_str()));
        }
        // Generated columns first, last first: one may read a column dropped after it.
        let generated = a.columns.iter().rev().filter(|c| c.generated.is_some());
        let plain = a.columns.iter().filter(|c| c.generated.is_none());
        for col in generated.chain(plain).filter(gone) {
            ops.push(Op::DropColumn {
                table: a.name.clone(),
                column: col.clone(),
            });
        }
    }
    for (a, b) in &own_columns {
        let new = |c: &&Column| {
            (a.column(&c.name).is_none() || remade[a.name.as_str()].contains(&c.name))
                && !added_first.contains(&(a.name.as_str(), c.name.as_str()))
        };
        // Generated columns last, in order: one reads the columns before it.
        let plain = b.columns.iter().filter(|c| c.generated.is_none());
        let generated = b.columns.iter().filter(|c| c.generated.is_some());
        for col in plain.chain(generated).filter(new) {
            ops.push(Op::AddColumn {
                table: a.name.clone(),
                column: col.clone(),
            });
        }
    }
    for (a, b) in &own_columns {
        for old in &a.columns {
            if let Some(new) = b.column(&old.name).filter(|new| *new != old) {
                if auto_increment_key_change(a, b, old, new).is_some() {
                    continue;
                }
                // Dropped and added above (`remade_columns`).
                if remade[a.name.as_str()].contains(&old.name) {
                    continue;
                }
                // SQLite's rowid alias never holds NULL, written NOT NULL or not.
                let rowid = |t: &Table| t.rowid_alias() == Some(old.name.as_str());
                let same = Column {
                    nullable: old.nullable,
                    ..new.clone()
                };
                if rowid(a) && rowid(b) && same == *old {
                    continue;
                }
                ops.push(Op::AlterColumn {
                    table: a.name.clone(),
                    from: old.clone(),
                    to: new.clone(),
                });
            }
        }
    }
    for (a, b) in &both {
        let (x, y) = (&a.options, &b.options);
        if (
            &x.charset,
            &x.collation,
            &x.comment,
            &x.engine,
            &x.storage,
            &x.partition_by,
            &x.partition_of,
            &x.mysql,
            &x.mysql_partitioning,
        ) != (
            &y.charset,
            &y.collation,
            &y.comment,
            &y.engine,
            &y.storage,
            &y.partition_by,
            &y.partition_of,
            &y.mysql,
            &y.mysql_partitioning,
        ) {
            let to = TableOptions {
                without_rowid: x.without_rowid,
                strict: x.strict,
                nullable_key: x.nullable_key,
                ..y.clone()
            };
            // MySQL partitions that go are dropped first with their rows (`DROP
            // PARTITION`, an op of its own for the data-loss guard), then the rest
            // changes (partitions added after the last, or the table partitioned anew).
            if let (Some(old), Some(new)) = (&x.mysql_partitioning, &y.mysql_partitioning)
                && let Some(kept) = kept_partitions(old, new)
                && kept != *new
            {
                let mid = TableOptions {
                    mysql_partitioning: Some(kept),
                    ..x.clone()
                };
                ops.push(Op::AlterTableOptions {
                    table: a.name.clone(),
                    from: x.clone(),
                    to: mid.clone(),
                    columns: own_charset_columns(a),
                });
                ops.push(Op::AlterTableOptions {
                    table: a.name.clone(),
                    from: mid,
                    to,
                    columns: own_charset_columns(b),
                });
                continue;
            }
            ops.push(Op::AlterTableOptions {
                table: a.name.clone(),
                from: x.clone(),
                to,
                columns: own_charset_columns(b),
            });
        }
    }
    for (a, b) in &both {
        if let Some(pk) = b
            .primary_key
            .as_ref()
            .filter(|_| a.primary_key != b.primary_key)
        {
            ops.push(add_constraint(a, Constraint::PrimaryKey(pk.clone())));
            // A column that starts auto-incrementing once its key is there (MySQL's
            // error 1075 otherwise); a downgrade, read backwards, stops it first.
            ops.extend(auto_increment_key_alters(a, b, true));
        }
        let unique_remade = |u: &&Unique| {
            u.columns
                .iter()
                .any(|c| remade[a.name.as_str()].contains(c))
        };
        for u in b
            .uniques
            .iter()
            .filter(|u| !a.uniques.contains(u) || unique_remade(u))
        {
            ops.push(add_constraint(a, Constraint::Unique(u.clone())));
        }
        for (i, ck) in b.checks.iter().enumerate() {
            if !surplus(&b.checks, i, &a.checks) && !reads_remade(&a.name, &ck.expr) {
                continue;
            }
            ops.push(add_constraint(a, Constraint::Check(ck.clone())));
        }
        for x in b
            .exclusions
            .iter()
            .filter(|x| !a.exclusions.contains(x) || exclusion_reads_remade(&a.name, x))
        {
            ops.push(add_constraint(a, Constraint::Exclusion(x.clone())));
        }
    }
    for (a, b) in &both {
        for ix in b
            .indexes
            .iter()
            .filter(|ix| !a.indexes.contains(ix) || index_reads_remade(ix))
        {
            // Only its visibility to the optimizer changes: altered in place.
            match a.indexes.iter().find(|old| old.name == ix.name) {
                Some(old) if visibility_change(old, b).is_some() && !index_reads_remade(old) => {
                    ops.push(Op::AlterIndex {
                        from: old.clone(),
                        to: ix.clone(),
                    });
                }
                _ => ops.push(Op::CreateIndex(ix.clone())),
            }
        }
    }

    // 6. Tables that come, once every key their foreign keys may reference exists.
    let created: Vec<&Table> = target
        .tables
        .values()
        .filter(|t| !cur.tables.contains_key(&t.name))
        .collect();
    // In a cycle of foreign keys, a key to a table created later in this list is
    // added once every table is there (PostgreSQL and MySQL refuse a reference to a
    // table that does not exist yet).
    let order = dependency_order(&created, false);
    let made_at: HashMap<&str, usize> = order
        .iter()
        .enumerate()
        .map(|(i, t)| (t.name.as_str(), i))
        .collect();
    let mut later_keys = Vec::new();
    for (i, t) in order.iter().enumerate() {
        let (kept, cut) = split_forward_keys(t, |r| made_at.get(r).is_some_and(|&j| j > i));
        later_keys.extend(
            cut.into_iter()
                .map(|fk| add_constraint(t, Constraint::ForeignKey(fk))),
        );
        ops.push(Op::CreateTable(kept));
    }
    ops.extend(later_keys);

    // 7. Foreign keys that come on tables in both, once the tables they reference do.
    for (a, b) in &both {
        for fk in b
            .foreign_keys
            .iter()
            .filter(|fk| !a.foreign_keys.contains(fk) || on_retyped(&a.name, fk))
        {
            ops.push(add_constraint(a, Constraint::ForeignKey(fk.clone())));
        }
    }

    // 8. Enum types that go.
    for (name, labels) in &cur.enums {
        if !target.enums.contains_key(name) {
            ops.push(Op::DropEnum {
                name: name.clone(),
                labels: labels.clone(),
            });
        }
    }

    // Note: changes to SQLite's `WITHOUT ROWID` and `STRICT` and to
    // `Table::unmodeled` make no op: there is none that says them yet, and a table
    // rebuild for them is the backend's business. They are left out on purpose.
    ops
}

/// `old` without the listed partitions `new` has none of (by name), when some go
/// and some stay: what `DROP PARTITION` leaves of the same scheme. `None` when no
/// partition goes or `old` is not partitioned by values.
fn kept_partitions(old: &MysqlPartitioning, new: &MysqlPartitioning) -> Option<MysqlPartitioning> {
    if !old.by_values() || (&old.method, &old.expr) != (&new.method, &new.expr) {
        return None;
    }
    let mut kept = old.clone();
    kept.partitions.retain(|p| {
        new.partitions
            .iter()
            .any(|q| q.name.eq_ignore_ascii_case(&p.name))
    });
    (kept.partitions.len() < old.partitions.len() && !kept.partitions.is_empty()).then_some(kept)
}

/// The labels `new` has that `old` lacks, each with where it goes, when `new` keeps
/// every label of `old` in its order; `None` when a label goes or moves.
fn added_labels(old: &[String], new: &[String]) -> Option<Vec<(String, LabelPosition)>> {
    let kept: Vec<&String> = new.iter().filter(|l| old.contains(l)).collect();
    if kept.len() != old.len() || kept.iter().zip(old).any(|(a, b)| *a != b) {
        return None;
    }
    let mut out = Vec::new();
    for (i, label) in new.iter().enumerate() {
        if old.contains(label) {
            continue;
        }
        // Before the next old label, so that later additions keep their order.
        let position = new[i + 1..]
            .iter()
            .find(|l| old.contains(l))
            .map_or(LabelPosition::Last, |n| LabelPosition::Before(n.clone()));
        out.push((label.clone(), position));
    }
    Some(out)
}

/// Step 1's enum ops: enum types only in `target`, labels added to types in both, and
/// types in both whose labels go or move while no column of `cur` uses them (dropped
/// and created again). Types with such changes that columns use make no op (see
/// [`enum_conflicts`]).
fn new_enums(cur: &Schema, target: &Schema) -> Vec<Op> {
    let mut ops = Vec::new();
    for (name, labels) in &target.enums {
        let Some(old) = cur.enums.get(name) else {
            ops.push(Op::CreateEnum {
                name: name.clone(),
                labels: labels.clone(),
            });
            continue;
        };
        if old == labels {
            continue;
        }
        match added_labels(old, labels) {
            Some(added) => {
                ops.extend(added.into_iter().map(|(value, position)| Op::AddEnumValue {
                    name: name.clone(),
                    value,
                    position,
                }))
            }
            None if cur.enum_users(name).is_empty() => {
                ops.push(Op::DropEnum {
                    name: name.clone(),
                    labels: old.clone(),
                });
                ops.push(Op::CreateEnum {
                    name: name.clone(),
                    labels: labels.clone(),
                });
            }
            None => {}
        }
    }
    ops
}

/// An enum type whose labels change in a way no generated migration makes: some are
/// removed or reordered while columns use the type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnumConflict {
    pub name: String,
    /// The labels before, in order.
    pub from: Vec<String>,
    /// The labels wanted, in order.
    pub to: Vec<String>,
    /// The columns that use the type, as `table.column`, sorted.
    pub used_by: Vec<String>,
}

impl fmt::Display for EnumConflict {
    /// A message that names the type and says what to do instead.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let list = |labels: &[String]| {
            let quoted: Vec<String> = labels.iter().map(|l| quote_label(l)).collect();
            format!("({})", quoted.join(", "))
        };
        let removed: Vec<String> = self
            .from
            .iter()
            .filter(|l| !self.to.contains(l))
            .map(|l| quote_label(l))
            .collect();
        let what = if removed.is_empty() {
            "reorders its values".to_string()
        } else {
            let noun = if removed.len() == 1 {
                "value"
            } else {
                "values"
            };
            format!("removes the {noun} {}", removed.join(", "))
        };
        let users: Vec<String> = self.used_by.iter().map(|u| format!("`{u}`")).collect();
        write!(
            f,
            "enum type `{}` changes from {} to {}, which {what}; PostgreSQL can only add \
             values to an enum, and column {} uses the type, so this needs a migration \
             written by hand (`wildebeest revision`): update or delete the rows that hold \
             a removed value, rename the type, create it with the new values, convert each \
             column with `ALTER COLUMN .. TYPE {} USING col::text::{}`, and drop the old type",
            self.name,
            list(&self.from),
            list(&self.to),
            users.join(", "),
            self.name,
            self.name
        )
    }
}

/// The enum types in both schemas whose labels are removed or reordered while a column
/// of `from` uses the type: [`diff`] makes no op for them, so a caller generating a
/// migration stops with these as the error, and one comparing schemas reports them.
/// Sorted by name.
pub fn enum_conflicts(from: &Schema, to: &Schema) -> Vec<EnumConflict> {
    let mut cur = from.clone();
    cur.normalize();
    let mut out = Vec::new();
    for (name, old) in &cur.enums {
        let Some(new) = to.enums.get(name) else {
            continue;
        };
        if old == new || added_labels(old, new).is_some() {
            continue;
        }
        let used_by: Vec<String> = cur
            .enum_users(name)
            .into_iter()
            .map(|(t, c)| format!("{t}.{c}"))
            .collect();
        if !used_by.is_empty() {
            out.push(EnumConflict {
                name: name.clone(),
                from: old.clone(),
                to: new.clone(),
                used_by,
            });
        }
    }
    out
}

/// Step 1: the rename ops the hints ask for, applied to `cur` as they are made. A
/// table's column renames follow its own rename, so that nothing touches the table in
/// between; column renames of tables that keep their names come after all of those.
fn renames(cur: &mut Schema, target: &Schema, hints: &Hints) -> Vec<Op> {
    let mut ops = Vec::new();
    let mut done = vec![false; hints.column_renames.len()];
    let rename_columns = |table: &str, cur: &mut Schema, ops: &mut Vec<Op>, done: &mut [bool]| {
        for (i, (t, old, new)) in hints.column_renames.iter().enumerate() {
            if done[i] || t != table {
                continue;
            }
            done[i] = true;
            if target.table(t).and_then(|tt| tt.column(new)).is_none() {
                continue;
            }
            let op = Op::RenameColumn {
                table: t.clone(),
                from: old.clone(),
                to: new.clone(),
            };
            if op.apply(cur).is_ok() {
                ops.push(op);
            }
        }
    };
    for (old, new) in &hints.table_renames {
        if !target.tables.contains_key(new) {
            continue;
        }
        let op = Op::RenameTable {
            from: old.clone(),
            to: new.clone(),
        };
        if op.apply(cur).is_ok() {
            ops.push(op);
            rename_columns(new, cur, &mut ops, &mut done);
        }
    }
    let rest: Vec<&str> = hints
        .column_renames
        .iter()
        .zip(&done)
        .filter(|(_, d)| !**d)
        .map(|((t, _, _), _)| t.as_str())
        .collect();
    for t in rest {
        rename_columns(t, cur, &mut ops, &mut done);
    }
    ops
}

/// A constraint of a table in both schemas that only changes its name is renamed, not
/// dropped and added again (a foreign key may need a primary key or unique
/// constraint, which PostgreSQL refuses to drop): applied to `cur`, so the steps after
/// compare it under its new name. Pairs are taken in order, one for one, by what the
/// constraints are but for their names.
fn constraint_renames(cur: &mut Schema, target: &Schema) -> Vec<Op> {
    let mut candidates = Vec::new();
    for (name, b) in &target.tables {
        let Some(a) = cur.tables.get(name) else {
            continue;
        };
        let (old, new) = (a.constraints(), b.constraints());
        let mut gone: Vec<&Constraint> = old.iter().filter(|c| !new.contains(c)).collect();
        // A name another constraint holds on either side stays a drop and an add:
        // the rename and its inverse must each find their new name free.
        let taken = |name: &str, t: &Table, me: &Constraint| {
            t.constraints()
                .iter()
                .any(|o| o.with_name(None) != me.with_name(None) && o.sql_name(t) == name)
        };
        for c in new.iter().filter(|c| !old.contains(c)) {
            let unnamed = c.with_name(None);
            if let Some(i) = gone.iter().position(|g| {
                g.with_name(None) == unnamed
                    && !taken(&c.sql_name(b), a, g)
                    && !taken(&c.sql_name(b), b, c)
                    && !taken(&g.sql_name(a), a, g)
                    && !taken(&g.sql_name(a), b, c)
            }) {
                candidates.push(Op::RenameConstraint {
                    table: name.clone(),
                    from: gone.remove(i).clone(),
                    to: c.clone(),
                });
            }
        }
    }
    // One whose new name is still taken (two constraints swapping names) stays a drop
    // and an add.
    candidates
        .into_iter()
        .filter(|op| op.apply(cur).is_ok())
        .collect()
}

fn drop_constraint(table: &Table, constraint: Constraint) -> Op {
    Op::DropConstraint {
        table: table.name.clone(),
        constraint,
    }
}

fn add_constraint(table: &Table, constraint: Constraint) -> Op {
    Op::AddConstraint {
        table: table.name.clone(),
        constraint,
    }
}

/// For a column of a table in both whose primary key changes: `Some(true)` when it
/// starts auto-incrementing and is in the new key, `Some(false)` when it stops and was
/// in the old one. MySQL allows an auto-increment column only as (the start of) a key,
/// so such a change comes after the new key is added, or before the old one goes.
fn auto_increment_key_change(a: &Table, b: &Table, old: &Column, new: &Column) -> Option<bool> {
    if a.primary_key == b.primary_key || old.auto_increment == new.auto_increment {
        return None;
    }
    let in_key = |t: &Table| {
        t.primary_key
            .as_ref()
            .is_some_and(|pk| pk.columns.contains(&old.name))
    };
    match new.auto_increment {
        true if in_key(b) => Some(true),
        false if in_key(a) => Some(false),
        _ => None,
    }
}

/// The column changes of `a` (to `b`) that [`auto_increment_key_change`] places next
/// to the primary key's: those that start auto-incrementing (`starts`), or stop.
fn auto_increment_key_alters(a: &Table, b: &Table, starts: bool) -> Vec<Op> {
    a.columns
        .iter()
        .filter_map(|old| {
            let new = b.column(&old.name)?;
            (auto_increment_key_change(a, b, old, new) == Some(starts)).then(|| Op::AlterColumn {
                table: a.name.clone(),
                from: old.clone(),
                to: new.clone(),
            })
        })
        .collect()
}

/// With no table free, the first (by position) table of the cycle found by following,
/// from the first remaining table, the first remaining table each one waits for.
fn first_in_cycle(left: &BTreeSet<usize>, waits_for: &[BTreeSet<usize>]) -> Option<usize> {
    let mut cur = *left.first()?;
    let mut seen: Vec<usize> = Vec::new();
    let mut at: HashMap<usize, usize> = HashMap::new();
    loop {
        if let Some(&from) = at.get(&cur) {
            return seen[from..].iter().copied().min();
        }
        at.insert(cur, seen.len());
        seen.push(cur);
        // Every remaining table waits for a remaining one (else it would be free).
        match waits_for[cur].iter().find(|w| left.contains(w)) {
            Some(&w) => cur = w,
            None => return Some(cur),
        }
    }
}

/// `table` without its foreign keys to the tables `forward` picks (self-references
/// never count), and those keys.
fn split_forward_keys(table: &Table, forward: impl Fn(&str) -> bool) -> (Table, Vec<ForeignKey>) {
    let mut kept = table.clone();
    let (cut, keep): (Vec<ForeignKey>, Vec<ForeignKey>) = std::mem::take(&mut kept.foreign_keys)
        .into_iter()
        .partition(|fk| fk.ref_table != table.name && forward(&fk.ref_table));
    kept.foreign_keys = keep;
    (kept, cut)
}

/// `tables` (sorted by name) in an order that respects the foreign keys among them:
/// parents before children, or with `children_first` the reverse. Each step takes the
/// first table by name that is free to go; when none is (a cycle), the first by name.
/// Self-references and references to other tables do not count.
fn dependency_order<'a>(tables: &[&'a Table], children_first: bool) -> Vec<&'a Table> {
    // Kahn's algorithm, taking the first free table in the given order each step: the
    // same order as asking every remaining table whether it may go (which was cubic
    // in the tables on a long chain of foreign keys).
    let index: std::collections::HashMap<&str, usize> = tables
        .iter()
        .enumerate()
        .map(|(i, t)| (t.name.as_str(), i))
        .collect();
    // `waits_for[i]`: the tables that must go before table `i`; `frees[j]`: the
    // tables waiting for `j`.
    let mut waits_for: Vec<BTreeSet<usize>> = vec![BTreeSet::new(); tables.len()];
    let mut frees: Vec<Vec<usize>> = vec![Vec::new(); tables.len()];
    for (i, t) in tables.iter().enumerate() {
        // A partition waits for its parent as a child for the table it references.
        let parent = t.options.partition_of.as_ref().map(|of| of.parent.as_str());
        for target in t
            .foreign_keys
            .iter()
            .map(|fk| fk.ref_table.as_str())
            .chain(parent)
        {
            let Some(&j) = index.get(target) else {
                continue;
            };
            if j == i {
                continue;
            }
            // Table `i` references table `j`.
            let (waiter, waited) = if children_first { (j, i) } else { (i, j) };
            if waits_for[waiter].insert(waited) {
                frees[waited].push(waiter);
            }
        }
    }
    let mut pending: Vec<usize> = waits_for.iter().map(BTreeSet::len).collect();
    let mut left: BTreeSet<usize> = (0..tables.len()).collect();
    let mut ready: BTreeSet<usize> = left.iter().copied().filter(|&i| pending[i] == 0).collect();
    let mut out = Vec::with_capacity(tables.len());
    // When no table is free, one of a cycle goes: the first by name of the cycle
    // reached from the first remaining table (not that table itself, which may only
    // wait for a cycle without being in one).
    while let Some(next) = ready
        .pop_first()
        .or_else(|| first_in_cycle(&left, &waits_for))
    {
        left.remove(&next);
        out.push(tables[next]);
        for &w in &frees[next] {
            pending[w] -= 1;
            if pending[w] == 0 && left.contains(&w) {
                ready.insert(w);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests;

/// The columns of `a` (a table in both schemas) that are dropped and added again
/// rather than altered: a column that becomes generated, stops being one, or is
/// computed otherwise (no database turns one into the other in place everywhere, and
/// PostgreSQL before 17 cannot change an expression), and every generated column
/// still in `b` whose expression in `a` reads a column dropped or made again, which
/// the database would not let go otherwise. Dropping a plain column loses its values,
/// which the data-loss guard counts; a generated column's values are derived.
fn remade_columns(a: &Table, b: &Table) -> BTreeSet<String> {
    let mut out: BTreeSet<String> = a
        .columns
        .iter()
        .filter(|c| {
            b.column(&c.name)
                .is_some_and(|n| n.generated != c.generated)
        })
        .map(|c| c.name.clone())
        .collect();
    loop {
        let gone = |name: &str| b.column(name).is_none() || out.contains(name);
        let more: Vec<String> = a
            .columns
            .iter()
            .filter(|c| !out.contains(&c.name) && b.column(&c.name).is_some())
            .filter(|c| {
                c.generated.as_ref().is_some_and(|g| {
                    a.columns.iter().any(|d| {
                        d.name != c.name && gone(&d.name) && find_word(&g.expr, &d.name).is_some()
                    })
                })
            })
            .map(|c| c.name.clone())
            .collect();
        if more.is_empty() {
            return out;
        }
        out.extend(more);
    }
}

/// The index of `to` that `ix` becomes by a change of its visibility to the optimizer
/// alone (MySQL's [`Index::hidden`]), which is made in place.
fn visibility_change<'t>(ix: &Index, to: &'t Table) -> Option<&'t Index> {
    to.indexes.iter().find(|new| {
        new.name == ix.name
            && new.hidden != ix.hidden
            && Index {
                hidden: new.hidden.clone(),
                ..ix.clone()
            } == **new
    })
}

/// Whether `items[i]` is one more than `other` holds of it: the same check written
/// twice is two checks, and a second one added or dropped is a change.
fn surplus<T: PartialEq>(items: &[T], i: usize, other: &[T]) -> bool {
    let nth = items[..i].iter().filter(|x| **x == items[i]).count();
    other.iter().filter(|x| **x == items[i]).count() <= nth
}
