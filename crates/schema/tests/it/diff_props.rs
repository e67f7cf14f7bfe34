//! The diff's invariants on random schemas, from a small deterministic generator (a
//! fixed seed per case, so a failure names the case that reproduces it):
//! (a) the ops apply to `from` and reach `to`; (b) their inverses, in reverse order,
//! lead back to `from`; (c) the same input gives the same ops.

use wildebeest_schema::*;

/// SplitMix64: small, fast, and the same on every platform.
pub(crate) struct Rng(pub(crate) u64);

impl Rng {
    pub(crate) fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number below `n` (`n > 0`).
    pub(crate) fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    /// True with probability `percent` / 100.
    pub(crate) fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }

    pub(crate) fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    /// A random subset of `items`, in their order, of at most `max` elements.
    fn subset<T: Clone>(&mut self, items: &[T], max: usize) -> Vec<T> {
        let mut out: Vec<T> = items.iter().filter(|_| self.chance(40)).cloned().collect();
        out.truncate(max);
        out
    }
}

const TABLES: [&str; 5] = ["a", "b", "c", "d", "e"];
const COLUMNS: [&str; 5] = ["id", "x", "y", "z", "w"];
const INDEXES: [&str; 6] = ["ix0", "ix1", "ix2", "ix3", "ix4", "ix5"];

fn random_type(rng: &mut Rng) -> ColumnType {
    use ColumnType::*;
    let types = [
        Integer,
        BigInt,
        SmallInt,
        Text,
        Varchar(Some(20)),
        Varchar(Some(10)),
        Decimal {
            precision: Some(10),
            scale: Some(2),
        },
        Boolean,
        Timestamp,
        Date,
    ];
    rng.pick(&types).clone()
}

/// Streams each table draws, whether or not it is there.
const STREAMS_PER_TABLE: usize = 11;

/// A schema of a few tables. Each part of a table draws from a stream of its own, and
/// each table from the same number of streams, so that two schemas made from the same
/// streams with a few of them changed differ in a few places only.
pub(crate) fn random_schema(streams: &mut dyn FnMut() -> Rng) -> Schema {
    let mut s = Schema::new();
    let mut free_indexes: Vec<&str> = INDEXES.to_vec();
    let mut fk_streams = Vec::new();
    for name in TABLES {
        let mut parts: Vec<Rng> = (0..STREAMS_PER_TABLE).map(|_| streams()).collect();
        fk_streams.push(parts.pop());
        let mut streams = || parts.pop().unwrap_or(Rng(0));
        let mut rng = streams();
        if !rng.chance(60) {
            continue;
        }
        let mut t = Table::new(name);
        let names = {
            let mut names = rng.subset(&COLUMNS, 4);
            if names.is_empty() {
                names.push(*rng.pick(&COLUMNS));
            }
            names
        };
        let mut column_streams: Vec<Rng> = (0..COLUMNS.len()).map(|_| streams()).collect();
        for c in &names {
            let mut rng = column_streams.pop().unwrap_or(Rng(0));
            let mut col = Column::new(*c, random_type(&mut rng));
            col.nullable = rng.chance(60);
            col.default = match rng.below(4) {
                0 => Some("0".into()),
                1 => Some("'x'".into()),
                _ => None,
            };
            if rng.chance(5) {
                col.collation = Some("NOCASE".into());
            }
            t.columns.push(col);
        }
        let mut rng = streams();
        if rng.chance(60) {
            let mut cols = rng.subset(&names, 2);
            if cols.is_empty() {
                cols.push(names[0]);
            }
            let cols = cols.into_iter().map(String::from).collect();
            t.primary_key = Some(PrimaryKey {
                deferral: Default::default(),
                name: rng.chance(20).then(|| format!("pk_{name}")),
                columns: cols,
            });
        }
        let mut rng = streams();
        for k in 0..rng.below(3) {
            let cols: Vec<String> = rng
                .subset(&names, 2)
                .into_iter()
                .map(String::from)
                .collect();
            if !cols.is_empty() {
                let uname = rng.chance(30).then(|| format!("uq_{name}_{k}"));
                t.uniques.push(Unique {
                    deferral: Default::default(),
                    name: uname,
                    columns: cols,
                });
            }
        }
        let mut rng = streams();
        for k in 0..rng.below(3) {
            let a = rng.pick(&names);
            let b = rng.pick(&names);
            let expr = match rng.below(4) {
                0 => format!("{a} > 0"),
                1 => format!("{a} <> {b}"),
                2 => format!("length({a}) < 10 OR {b} = 'x'"),
                _ => format!("\"{a}\" IS NOT NULL"),
            };
            t.checks.push(Check {
                no_inherit: false,
                written: Default::default(),
                name: rng.chance(30).then(|| format!("ck_{name}_{k}")),
                expr,
            });
        }
        let mut rng = streams();
        for _ in 0..rng.below(3) {
            if free_indexes.is_empty() {
                break;
            }
            let ix_name = free_indexes.remove(rng.below(free_indexes.len()));
            let c = rng.pick(&names);
            let mut columns = vec![match rng.below(3) {
                0 => c.to_string(),
                1 => format!("{c} DESC"),
                _ => format!("lower({c})"),
            }];
            if rng.chance(30) {
                columns.push(rng.pick(&names).to_string());
            }
            columns.dedup();
            let predicate = rng
                .chance(25)
                .then(|| format!("{} IS NOT NULL", rng.pick(&names)));
            t.indexes.push(Index {
                hidden: None,
                name: ix_name.into(),
                table: name.into(),
                columns,
                unique: rng.chance(30),
                predicate,
                method: rng.chance(15).then(|| "gin".to_string()),
                nulls_not_distinct: false,
                comment: None,
                include: Vec::new(),
                storage: Vec::new(),
                predicate_written: Default::default(),
            });
        }
        s.tables.insert(name.into(), t);
    }
    // Foreign keys, to primary keys of tables in this schema (self-references too).
    let targets: Vec<(String, Vec<String>)> = s
        .tables
        .values()
        .filter_map(|t| {
            t.primary_key
                .as_ref()
                .map(|pk| (t.name.clone(), pk.columns.clone()))
        })
        .collect();
    for (i, t) in s.tables.values_mut().enumerate() {
        let Some(mut rng) = TABLES
            .iter()
            .position(|n| *n == t.name)
            .and_then(|k| fk_streams[k].take())
        else {
            continue;
        };
        if targets.is_empty() || !rng.chance(50) {
            continue;
        }
        let (ref_table, ref_columns) = rng.pick(&targets).clone();
        let names: Vec<String> = t.columns.iter().map(|c| c.name.clone()).collect();
        if names.len() < ref_columns.len() {
            continue;
        }
        let start = rng.below(names.len() - ref_columns.len() + 1);
        let columns = names[start..start + ref_columns.len()].to_vec();
        let actions = [FkAction::NoAction, FkAction::Cascade, FkAction::SetNull];
        t.foreign_keys.push(ForeignKey {
            name: rng.chance(20).then(|| format!("fk_{i}")),
            columns,
            ref_table,
            ref_columns,
            on_delete: *rng.pick(&actions),
            on_update: FkAction::NoAction,
            deferral: Default::default(),
        });
    }
    s.normalize();
    s
}

/// Renames `from` could have undergone to give `to`: a table only in `from` to one
/// only in `to`, and a column only in the old table to one only in the new.
fn random_hints(rng: &mut Rng, from: &Schema, to: &Schema) -> Hints {
    let mut hints = Hints::default();
    let gone: Vec<&Table> = from
        .tables
        .values()
        .filter(|t| !to.tables.contains_key(&t.name))
        .collect();
    let came: Vec<&Table> = to
        .tables
        .values()
        .filter(|t| !from.tables.contains_key(&t.name))
        .collect();
    let mut pairs: Vec<(&Table, &Table)> = Vec::new();
    if !gone.is_empty() && !came.is_empty() && rng.chance(60) {
        let (old, new) = (*rng.pick(&gone), *rng.pick(&came));
        hints
            .table_renames
            .push((old.name.clone(), new.name.clone()));
        pairs.push((old, new));
    }
    pairs.extend(
        from.tables
            .values()
            .filter_map(|t| to.tables.get(&t.name).map(|n| (t, n))),
    );
    for (old, new) in pairs {
        let lost: Vec<&Column> = old
            .columns
            .iter()
            .filter(|c| new.column(&c.name).is_none())
            .collect();
        let found: Vec<&Column> = new
            .columns
            .iter()
            .filter(|c| old.column(&c.name).is_none())
            .collect();
        if !lost.is_empty() && !found.is_empty() && rng.chance(50) {
            let (a, b) = (rng.pick(&lost), rng.pick(&found));
            hints
                .column_renames
                .push((new.name.clone(), a.name.clone(), b.name.clone()));
        }
    }
    hints
}

fn apply_all(start: &Schema, ops: impl IntoIterator<Item = Op>, case: u64) -> Schema {
    let mut s = start.clone();
    for op in ops {
        if let Err(e) = op.apply(&mut s) {
            panic!(
                "case {case}: `{}` does not apply: {e}\nop: {op:?}",
                op.describe()
            );
        }
    }
    s
}

/// Checks one case and returns its ops.
fn check_case(case: u64) -> Vec<Op> {
    let mut seeds = Rng(case);
    let percent_changed = *seeds.pick(&[0, 3, 10, 30, 100]);
    let seed = seeds.next();
    let mut noise = Rng(seeds.next());
    let mut base = Rng(seed);
    let from = random_schema(&mut || Rng(base.next()));
    // The same streams, some changed.
    let mut base = Rng(seed);
    let to = random_schema(&mut || {
        let s = base.next();
        Rng(if noise.chance(percent_changed) {
            s ^ noise.next()
        } else {
            s
        })
    });
    let hints = random_hints(&mut seeds, &from, &to);

    let ops = diff(&from, &to, &hints);
    // (c) Deterministic.
    assert_eq!(
        ops,
        diff(&from, &to, &hints),
        "case {case}: diff is not deterministic"
    );
    // (a) The ops apply and reach `to`.
    let after = apply_all(&from, ops.clone(), case);
    let left = diff(&after, &to, &Hints::default());
    assert!(
        left.is_empty(),
        "case {case}: after the ops, still {left:#?}\nops: {ops:#?}\nhints: {hints:?}"
    );
    // (b) Their inverses, last first, lead back.
    let back = apply_all(&after, Op::invert_all(&ops), case);
    let left = diff(&back, &from, &Hints::default());
    assert!(
        left.is_empty(),
        "case {case}: after the inverses, still {left:#?}\nops: {ops:#?}"
    );
    // Columns dropped and added back keep the order they had among themselves.
    for (name, old) in &from.tables {
        let (Some(now), Some(restored)) = (after.tables.get(name), back.tables.get(name)) else {
            continue;
        };
        let dropped_here: Vec<&str> = ops
            .iter()
            .filter_map(|op| match op {
                Op::DropColumn { table, column } if table == name => Some(column.name.as_str()),
                _ => None,
            })
            .collect();
        let dropped = |c: &&str| now.column(c).is_none() && dropped_here.contains(c);
        let before: Vec<&str> = old
            .columns
            .iter()
            .map(|c| c.name.as_str())
            .filter(dropped)
            .collect();
        let again: Vec<&str> = restored
            .columns
            .iter()
            .map(|c| c.name.as_str())
            .filter(|c| old.column(c).is_some())
            .filter(dropped)
            .collect();
        assert_eq!(again, before, "case {case}: table {name}\nops: {ops:#?}");
    }
    for op in &ops {
        assert_eq!(op.invert().invert(), *op);
        assert!(!op.describe().is_empty());
    }
    ops
}

#[test]
fn diff_reaches_the_target_and_inverts_back() {
    // How often each kind of op came up, so that a generator that stops making some
    // kind fails here instead of passing vacuously.
    let mut kinds = std::collections::BTreeMap::new();
    for case in 0..2000 {
        for op in check_case(case) {
            let d = op.describe();
            let kind: Vec<&str> = d.split(' ').take(2).collect();
            *kinds.entry(kind.join(" ")).or_insert(0) += 1;
        }
    }
    eprintln!("{kinds:#?}");
    for kind in [
        "added table",
        "removed table",
        "renamed table",
        "added column",
        "removed column",
        "renamed column",
        "changed column",
        "added primary",
        "removed primary",
        "added unique",
        "removed unique",
        "added foreign",
        "removed foreign",
        "added check",
        "removed check",
        "added index",
        "removed index",
    ] {
        assert!(
            kinds.get(kind).copied().unwrap_or(0) >= 20,
            "only {:?} `{kind}` ops",
            kinds.get(kind)
        );
    }
}

/// A schema diffed against itself gives nothing, and one that differs from it by
/// renames only gives exactly those renames when the hints say them (no dropped and
/// re-added constraint or index: renames must carry every use along).
#[test]
fn renames_alone_diff_to_renames_alone() {
    let mut renamed_some = 0;
    for case in 0..1000 {
        let mut rng = Rng(case);
        let mut base = Rng(rng.next());
        let from = random_schema(&mut || Rng(base.next()));
        assert_eq!(diff(&from, &from, &Hints::default()), [], "case {case}");

        let mut to = from.clone();
        let mut hints = Hints::default();
        let names: Vec<String> = from.tables.keys().cloned().collect();
        for (k, name) in names.iter().enumerate() {
            let mut table = name.clone();
            if rng.chance(30) {
                let op = Op::RenameTable {
                    from: table.clone(),
                    to: format!("renamed_{k}"),
                };
                op.apply(&mut to).unwrap();
                table = format!("renamed_{k}");
                hints.table_renames.push((name.clone(), table.clone()));
            }
            let columns: Vec<String> = to.tables[&table]
                .columns
                .iter()
                .map(|c| c.name.clone())
                .collect();
            for col in columns {
                if rng.chance(25) {
                    let new = format!("{col}_new");
                    Op::RenameColumn {
                        table: table.clone(),
                        from: col.clone(),
                        to: new.clone(),
                    }
                    .apply(&mut to)
                    .unwrap();
                    hints.column_renames.push((table.clone(), col, new));
                }
            }
        }
        let ops = diff(&from, &to, &hints);
        let expected = hints.table_renames.len() + hints.column_renames.len();
        renamed_some += usize::from(expected > 0);
        let kinds: Vec<String> = ops.iter().map(Op::describe).collect();
        assert!(
            ops.len() == expected
                && ops
                    .iter()
                    .all(|op| matches!(op, Op::RenameTable { .. } | Op::RenameColumn { .. })),
            "case {case}: {kinds:#?}\nhints: {hints:?}"
        );
        let after = apply_all(&from, ops, case);
        assert_eq!(diff(&after, &to, &Hints::default()), [], "case {case}");
    }
    assert!(
        renamed_some > 500,
        "only {renamed_some} cases renamed anything"
    );
}

/// Ops and changes that do not fit a schema fail with an error; none panics.
#[test]
fn unfitting_ops_and_changes_return_errors() {
    let mut errors = 0;
    for case in 0..300 {
        let mut rng = Rng(case);
        let random = |rng: &mut Rng| {
            let mut base = Rng(rng.next());
            random_schema(&mut || Rng(base.next()))
        };
        let (a, b, c) = (random(&mut rng), random(&mut rng), random(&mut rng));
        // Ops made for `a` and their inverses, applied to an unrelated schema.
        let mut s = c.clone();
        for op in diff(&a, &b, &Hints::default()) {
            errors += usize::from(op.apply(&mut s).is_err());
            errors += usize::from(op.invert().apply(&mut s).is_err());
        }
        // Changes naming whatever the pools hold.
        let name = |rng: &mut Rng| rng.pick(&TABLES).to_string();
        let column = |rng: &mut Rng| rng.pick(&COLUMNS).to_string();
        for _ in 0..20 {
            let table = name(&mut rng);
            let action = match rng.below(7) {
                0 => AlterAction::RenameTable(name(&mut rng)),
                1 => AlterAction::DropColumn(column(&mut rng)),
                2 => AlterAction::RenameColumn {
                    from: column(&mut rng),
                    to: column(&mut rng),
                },
                3 => AlterAction::AlterColumn {
                    column: column(&mut rng),
                    alter: ColumnAlter::DropNotNull,
                },
                4 => AlterAction::DropConstraint(format!("{table}_{}_check", column(&mut rng))),
                5 => AlterAction::AddConstraint(Constraint::PrimaryKey(PrimaryKey {
                    deferral: Default::default(),
                    name: None,
                    columns: vec![column(&mut rng)],
                })),
                _ => AlterAction::AddColumn {
                    column: Column::new(column(&mut rng), ColumnType::Text),
                    constraints: vec![],
                },
            };
            let changes = [
                Change::AlterTable {
                    table: table.clone(),
                    actions: vec![action],
                },
                Change::DropTable {
                    name: table.clone(),
                    if_exists: rng.chance(50),
                },
                Change::DropIndex {
                    name: rng.pick(&INDEXES).to_string(),
                    table: None,
                    if_exists: rng.chance(50),
                },
                Change::CreateIndex {
                    index: Index {
                        hidden: None,
                        name: rng.pick(&INDEXES).to_string(),
                        table,
                        columns: vec![column(&mut rng)],
                        unique: false,
                        predicate: None,
                        method: None,
                        nulls_not_distinct: false,
                        comment: None,
                        include: Vec::new(),
                        storage: Vec::new(),
                        predicate_written: Default::default(),
                    },
                    if_not_exists: rng.chance(50),
                },
            ];
            for change in changes {
                match change.resolve(&s) {
                    Ok(ops) => {
                        for op in ops {
                            op.apply(&mut s).unwrap_or_else(|e| {
                                panic!("case {case}: resolved {change:?} gave {op:?}: {e}")
                            });
                        }
                    }
                    Err(_) => errors += 1,
                }
            }
        }
    }
    assert!(
        errors > 1000,
        "only {errors} errors: the cases do not reach the error paths"
    );
}
