use super::*;
use crate::build_test::index;

/// What `find_index` must answer: the first index called `name` going through every
/// table in name order.
fn scan<'a>(tables: &'a Tables, name: &str) -> Option<&'a Index> {
    tables
        .values()
        .flat_map(|t| &t.indexes)
        .find(|ix| ix.name == name)
}

fn table(name: &str, indexes: &[&str]) -> Table {
    let mut t = Table::new(name);
    t.indexes = indexes.iter().map(|ix| index(ix, name, &["a"])).collect();
    t
}

/// Every name some step uses, and one none does.
const NAMES: [&str; 7] = ["i0", "i1", "i2", "i3", "i4", "i5", "none"];

fn assert_agrees(tables: &Tables, step: &str) {
    for name in NAMES {
        assert_eq!(
            tables.find_index(name),
            scan(tables, name),
            "after {step}: index `{name}`"
        );
    }
}

/// A small deterministic generator (xorshift), so a failure names its seed.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n
    }
}

#[test]
fn find_index_agrees_with_a_scan_through_every_kind_of_change() {
    for seed in 1..200u64 {
        let mut rng = Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15));
        let mut tables = Tables::new();
        for step in 0..60 {
            let t = format!("t{}", rng.below(4));
            let ix = format!("i{}", rng.below(6));
            // Look up first half the time, so changes meet a built index and an
            // unbuilt one.
            if rng.below(2) == 0 {
                tables.find_index("i0");
            }
            let what = match rng.below(9) {
                0 => {
                    tables.insert(t.clone(), table(&t, &[&ix]));
                    "insert"
                }
                1 => {
                    tables.remove(&t);
                    "remove"
                }
                2 => {
                    if let Some(mut g) = tables.get_mut(&t) {
                        g.indexes.push(index(&ix, &t, &["b"]));
                    }
                    "get_mut push"
                }
                3 => {
                    if let Some(mut g) = tables.get_mut(&t) {
                        g.indexes.retain(|i| i.name != ix);
                    }
                    "get_mut retain"
                }
                4 => {
                    if let Some(mut g) = tables.get_mut(&t) {
                        for i in &mut g.indexes {
                            i.name = format!("i{}", rng.below(6));
                        }
                    }
                    "get_mut rename"
                }
                5 => {
                    for table in tables.values_mut() {
                        table.indexes.clear();
                    }
                    "values_mut"
                }
                6 => {
                    tables.retain(|name, table| {
                        table.indexes.push(index("i5", name, &["c"]));
                        name != "t3"
                    });
                    "retain"
                }
                7 => {
                    tables
                        .entry(t.clone())
                        .or_insert_with(|| table(&t, &[]))
                        .indexes
                        .push(index(&ix, &t, &["d"]));
                    "entry"
                }
                _ => {
                    // A guard that is never dropped leaves no index, never a
                    // stale one.
                    if let Some(mut g) = tables.get_mut(&t) {
                        g.indexes.push(index(&ix, &t, &["e"]));
                        std::mem::forget(g);
                    }
                    "forgotten guard"
                }
            };
            assert_agrees(&tables, &format!("seed {seed} step {step}: {what}"));
            let copy = tables.clone();
            assert_agrees(&copy, &format!("seed {seed} step {step}: clone"));
        }
    }
}

#[test]
fn find_index_takes_the_first_table_by_name_when_several_have_the_name() {
    // MySQL's index names are per table: two tables may have `ix`.
    let tables: Tables = [
        ("b".to_string(), table("b", &["ix"])),
        ("a".to_string(), table("a", &["ix"])),
    ]
    .into_iter()
    .collect();
    assert_eq!(tables.find_index("ix").map(|i| i.table.as_str()), Some("a"));
    assert_eq!(tables.find_index("i"), None);
    assert_eq!(tables.find_index("ixx"), None);
}
