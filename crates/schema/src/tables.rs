//! [`Tables`]: a schema's tables by name, with a lookup of index names that cannot go
//! stale.
//!
//! Index names are global in SQLite and PostgreSQL, so creating or dropping an index by
//! name asks which table holds it. Going through every index of every table made each
//! `CREATE INDEX` (and each `CREATE TABLE` with indexes) cost the size of the whole
//! schema, and a schema or history of many tables quadratic. `Tables` keeps an index
//! of `(index name, table name)` pairs beside the tables. It reads as the `BTreeMap` it
//! wraps (through `Deref`), but hands out a table to change only through its own
//! methods, each of which keeps the index true: [`Tables::get_mut`] gives a guard that
//! puts the table's index names right when it is dropped, `insert` and `remove` update
//! them, and the methods that reach every table (`values_mut`, `iter_mut`, `retain`,
//! ...) drop the index, to be built again on the next lookup. A guard takes the index
//! out while it lives, so even a guard that is never dropped (`mem::forget`) leaves no
//! stale index, only none.

use crate::model::{Index, Table};
use std::collections::btree_map;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::ops::{Deref, DerefMut};
use std::sync::OnceLock;

/// `(index name, table name)` of every index of every table.
type IndexNames = BTreeSet<(String, String)>;

/// A schema's tables by name (sorted, so every walk is deterministic), with the index
/// names looked up without going through every table ([`Tables::find_index`]).
#[derive(Default)]
pub struct Tables {
    map: BTreeMap<String, Table>,
    /// Built on the first lookup, kept by the methods that change a table, dropped by
    /// those that may change any.
    index_names: OnceLock<IndexNames>,
}

impl Tables {
    /// No tables.
    pub fn new() -> Self {
        Tables::default()
    }

    /// The index called `name` and the name of its table: in the first table by name
    /// that has one (index names are global in SQLite and PostgreSQL; MySQL's are per
    /// table, and the first is what a name alone can mean). Takes time logarithmic in
    /// the number of indexes, after a first lookup that builds the index of names.
    pub fn find_index(&self, name: &str) -> Option<&Index> {
        let names = self.index_names.get_or_init(|| build(&self.map));
        let (found, table) = names.range((name.to_string(), String::new())..).next()?;
        if found != name {
            return None;
        }
        self.map
            .get(table)?
            .indexes
            .iter()
            .find(|ix| ix.name == name)
    }

    /// Table `name` to change. The index names follow the changes when the guard is
    /// dropped.
    pub fn get_mut(&mut self, name: &str) -> Option<TableMut<'_>> {
        let table = self.map.get_mut(name)?;
        let held = self.index_names.take().map(|names| {
            let before = table.indexes.iter().map(|ix| ix.name.clone()).collect();
            (names, before)
        });
        Some(TableMut {
            key: name.to_string(),
            table,
            slot: &mut self.index_names,
            held,
        })
    }

    /// Adds or replaces table `name`; returns the table it replaced.
    pub fn insert(&mut self, name: String, table: Table) -> Option<Table> {
        if let Some(names) = self.index_names.get_mut() {
            if let Some(old) = self.map.get(&name) {
                forget(names, &name, old);
            }
            learn(names, &name, &table);
        }
        self.map.insert(name, table)
    }

    /// Removes table `name` and returns it.
    pub fn remove(&mut self, name: &str) -> Option<Table> {
        let table = self.map.remove(name)?;
        if let Some(names) = self.index_names.get_mut() {
            forget(names, name, &table);
        }
        Some(table)
    }

    /// Every table to change (the index names are built again on the next lookup).
    pub fn values_mut(&mut self) -> btree_map::ValuesMut<'_, String, Table> {
        self.index_names.take();
        self.map.values_mut()
    }

    /// Every table with its name, to change (the index names are built again on the
    /// next lookup).
    pub fn iter_mut(&mut self) -> btree_map::IterMut<'_, String, Table> {
        self.index_names.take();
        self.map.iter_mut()
    }

    /// Keeps the tables for which `keep` says so (it may change them too).
    pub fn retain(&mut self, keep: impl FnMut(&String, &mut Table) -> bool) {
        self.index_names.take();
        self.map.retain(keep);
    }

    /// The entry of table `name`, to insert or change (the index names are built
    /// again on the next lookup).
    pub fn entry(&mut self, name: String) -> btree_map::Entry<'_, String, Table> {
        self.index_names.take();
        self.map.entry(name)
    }

    /// Removes every table.
    pub fn clear(&mut self) {
        self.index_names.take();
        self.map.clear();
    }

    /// The tables as a plain map.
    pub fn into_map(self) -> BTreeMap<String, Table> {
        self.map
    }
}

fn build(map: &BTreeMap<String, Table>) -> IndexNames {
    let mut names = IndexNames::new();
    for (key, table) in map {
        learn(&mut names, key, table);
    }
    names
}

fn learn(names: &mut IndexNames, key: &str, table: &Table) {
    for ix in &table.indexes {
        names.insert((ix.name.clone(), key.to_string()));
    }
}

fn forget(names: &mut IndexNames, key: &str, table: &Table) {
    for ix in &table.indexes {
        names.remove(&(ix.name.clone(), key.to_string()));
    }
}

/// A table of [`Tables`] being changed: derefs to the table; when dropped, the index
/// names of the table are put right.
pub struct TableMut<'a> {
    key: String,
    table: &'a mut Table,
    slot: &'a mut OnceLock<IndexNames>,
    /// The index names taken out while the table changes, and the table's index
    /// names before (`None` when no index was built).
    held: Option<(IndexNames, Vec<String>)>,
}

impl Deref for TableMut<'_> {
    type Target = Table;
    fn deref(&self) -> &Table {
        self.table
    }
}

impl DerefMut for TableMut<'_> {
    fn deref_mut(&mut self) -> &mut Table {
        self.table
    }
}

impl Drop for TableMut<'_> {
    fn drop(&mut self) {
        let Some((mut names, before)) = self.held.take() else {
            return;
        };
        for name in before {
            names.remove(&(name, self.key.clone()));
        }
        learn(&mut names, &self.key, self.table);
        // The slot was emptied when the guard was made and nothing else can reach it
        // while the guard borrows the tables, so this cannot fail.
        let _ = self.slot.set(names);
    }
}

impl Deref for Tables {
    type Target = BTreeMap<String, Table>;
    fn deref(&self) -> &BTreeMap<String, Table> {
        &self.map
    }
}

impl Clone for Tables {
    fn clone(&self) -> Self {
        Tables {
            map: self.map.clone(),
            index_names: self.index_names.clone(),
        }
    }
}

/// Equal when the tables are: the index names follow from them.
impl PartialEq for Tables {
    fn eq(&self, other: &Self) -> bool {
        self.map == other.map
    }
}

impl Eq for Tables {}

impl fmt::Debug for Tables {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.map.fmt(f)
    }
}

impl From<BTreeMap<String, Table>> for Tables {
    fn from(map: BTreeMap<String, Table>) -> Self {
        Tables {
            map,
            index_names: OnceLock::new(),
        }
    }
}

impl FromIterator<(String, Table)> for Tables {
    fn from_iter<I: IntoIterator<Item = (String, Table)>>(iter: I) -> Self {
        Tables::from(iter.into_iter().collect::<BTreeMap<_, _>>())
    }
}

impl Extend<(String, Table)> for Tables {
    fn extend<I: IntoIterator<Item = (String, Table)>>(&mut self, iter: I) {
        self.index_names.take();
        self.map.extend(iter);
    }
}

impl IntoIterator for Tables {
    type Item = (String, Table);
    type IntoIter = btree_map::IntoIter<String, Table>;
    fn into_iter(self) -> Self::IntoIter {
        self.map.into_iter()
    }
}

impl<'a> IntoIterator for &'a Tables {
    type Item = (&'a String, &'a Table);
    type IntoIter = btree_map::Iter<'a, String, Table>;
    fn into_iter(self) -> Self::IntoIter {
        self.map.iter()
    }
}

impl<'a> IntoIterator for &'a mut Tables {
    type Item = (&'a String, &'a mut Table);
    type IntoIter = btree_map::IterMut<'a, String, Table>;
    fn into_iter(self) -> Self::IntoIter {
        self.iter_mut()
    }
}

#[cfg(test)]
mod tests;
