//! Rename candidates on random schemas (the generator of `diff_props`): a table or
//! column renamed in a copy is always among the candidates, every candidate is a pair
//! the rules allow, and accepting the true renames makes a diff that loses nothing.

use std::collections::BTreeMap;

use wildebeest_schema::*;

use crate::diff_props::{Rng, random_schema};

/// What a table candidate compares: column names and types.
fn shape(t: &Table) -> BTreeMap<&str, &ColumnType> {
    t.columns.iter().map(|c| (c.name.as_str(), &c.ty)).collect()
}

/// A wider type of the same family, if the generator makes one that has it.
fn widened(ty: &ColumnType) -> Option<ColumnType> {
    use ColumnType::*;
    match ty {
        // Changes that keep every value's text (a boolean's to a number and a
        // timestamp's to one with a time zone do not).
        SmallInt => Some(Integer),
        Integer => Some(BigInt),
        Varchar(_) => Some(Text),
        _ => None,
    }
}

#[test]
fn renamed_tables_are_among_the_candidates() {
    let (mut renamed, mut ambiguous) = (0, 0);
    for case in 0..1000 {
        let mut rng = Rng(case);
        let mut base = Rng(rng.next());
        let from = random_schema(&mut || Rng(base.next()));
        let mut to = from.clone();
        let mut renames = Vec::new();
        for name in from.tables.keys() {
            if !rng.chance(40) {
                continue;
            }
            let new = format!("renamed_{name}");
            Op::RenameTable {
                from: name.clone(),
                to: new.clone(),
            }
            .apply(&mut to)
            .unwrap();
            // Nullability and defaults are no part of the match.
            for c in &mut to.tables.get_mut(&new).unwrap().columns {
                if rng.chance(50) {
                    c.nullable = !c.nullable;
                    c.default = None;
                }
            }
            // Sometimes a second new table looks just like it.
            if rng.chance(25) {
                let mut copy = to.tables[&new].clone();
                copy.name = format!("copy_{name}");
                copy.indexes.clear();
                to.tables.insert(copy.name.clone(), copy);
            }
            renames.push((name.clone(), new));
        }
        to.normalize();

        let got = table_rename_candidates(&from, &to);
        for r in &renames {
            assert!(got.contains(r), "case {case}: {r:?} not in {got:?}");
        }
        // Exactly the pairs of a dropped and a created table of one shape, sorted.
        let mut want = Vec::new();
        for a in from
            .tables
            .values()
            .filter(|t| !to.tables.contains_key(&t.name))
        {
            for b in to
                .tables
                .values()
                .filter(|t| !from.tables.contains_key(&t.name))
            {
                if shape(a) == shape(b) {
                    want.push((a.name.clone(), b.name.clone()));
                }
            }
        }
        assert_eq!(got, want, "case {case}");
        renamed += usize::from(!renames.is_empty());
        ambiguous += usize::from(got.len() > renames.len());
    }
    assert!(renamed > 500, "only {renamed} cases renamed a table");
    assert!(ambiguous > 100, "only {ambiguous} cases were ambiguous");
}

#[test]
fn renamed_columns_are_among_the_candidates() {
    let (mut renamed, mut ambiguous, mut retyped) = (0, 0, 0);
    for case in 0..1000 {
        let mut rng = Rng(case);
        let mut base = Rng(rng.next());
        let from = random_schema(&mut || Rng(base.next()));
        let mut to = from.clone();
        let mut hints = Hints::default();
        // Old table name by new.
        let mut old_names = BTreeMap::new();
        let mut renames = Vec::new();
        for name in from.tables.keys() {
            let mut table = name.clone();
            if rng.chance(30) {
                table = format!("renamed_{name}");
                let rename = RenameCandidate::Table {
                    from: name.clone(),
                    to: table.clone(),
                };
                rename.add_to(&mut hints);
                Op::RenameTable {
                    from: name.clone(),
                    to: table.clone(),
                }
                .apply(&mut to)
                .unwrap();
            }
            old_names.insert(table.clone(), name.clone());
            for col in from.tables[name].columns.clone() {
                if !rng.chance(25) {
                    continue;
                }
                let new = format!("{}_new", col.name);
                Op::RenameColumn {
                    table: table.clone(),
                    from: col.name.clone(),
                    to: new.clone(),
                }
                .apply(&mut to)
                .unwrap();
                // Sometimes the type widens too, within its family.
                let mut t = to.tables.get_mut(&table).unwrap();
                let c = t.columns.iter_mut().find(|c| c.name == new).unwrap();
                if let Some(ty) = widened(&c.ty).filter(|_| rng.chance(30)) {
                    c.ty = ty;
                    retyped += 1;
                }
                let c = c.clone();
                renames.push(RenameCandidate::Column {
                    table: table.clone(),
                    from: col,
                    to: c,
                });
            }
        }
        to.normalize();

        let got = column_rename_candidates(&from, &to, &hints);
        for r in &renames {
            assert!(
                got.contains(r),
                "case {case}: {} not in {:#?}",
                r.describe(),
                got.iter()
                    .map(RenameCandidate::describe)
                    .collect::<Vec<_>>()
            );
        }
        // Every candidate pairs a column only in the old table with one only in the
        // new, in order.
        let mut keys = Vec::new();
        for c in &got {
            let RenameCandidate::Column {
                table,
                from: a,
                to: b,
            } = c
            else {
                panic!("case {case}: a table among column candidates");
            };
            let old = &from.tables[&old_names[table]];
            let new = &to.tables[table];
            assert!(old.column(&a.name) == Some(a) && new.column(&a.name).is_none());
            assert!(new.column(&b.name) == Some(b) && old.column(&b.name).is_none());
            keys.push((table.clone(), a.name.clone(), b.name.clone()));
        }
        assert!(keys.is_sorted(), "case {case}: {keys:?}");
        // Accepting the true renames: the diff loses nothing.
        for r in &renames {
            r.add_to(&mut hints);
        }
        let lost: Vec<String> = diff(&from, &to, &hints)
            .iter()
            .filter_map(Op::data_loss)
            .collect();
        assert_eq!(lost, Vec::<String>::new(), "case {case}");
        renamed += usize::from(!renames.is_empty());
        ambiguous += usize::from(got.len() > renames.len());
    }
    assert!(renamed > 500, "only {renamed} cases renamed a column");
    assert!(ambiguous > 40, "only {ambiguous} cases were ambiguous");
    assert!(retyped > 100, "only {retyped} columns changed type");
}
