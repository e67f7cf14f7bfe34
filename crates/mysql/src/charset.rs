//! Character sets and collations as the server resolves them.
//!
//! `schema.sql` may say a table's or a column's character set, its collation, both or
//! neither; the server keeps one collation for each (the character set follows from
//! it). Two models compare alike when they resolve to the same collations: a column's
//! own character set without a collation means that character set's default
//! collation, no character set and no collation mean the table's (for a table: the
//! database's); `utf8` is `utf8mb3`, as MySQL 8.0.30+ and MariaDB 10.6+ report it.
//! [`Charsets::resolve`] brings a model to the form [`crate::inspect`] gives: a
//! collation only where it differs from the one the table (or the database) would
//! give, and no character sets.

use std::collections::{BTreeMap, BTreeSet};

use wildebeest_schema::Schema;

/// What the server says about character sets: the database's default collation, each
/// character set's default collation, and the collations it has.
#[derive(Debug, Clone, Default)]
pub(crate) struct Charsets {
    pub database_collation: String,
    pub default_collation: BTreeMap<String, String>,
    pub known_collations: BTreeSet<String>,
}

impl Charsets {
    /// A character set's name as the server knows it (`utf8` is `utf8mb3` where the
    /// server has no `utf8` of that name).
    fn charset(&self, name: &str) -> String {
        let name = name.to_ascii_lowercase();
        if !self.default_collation.contains_key(&name)
            && name == "utf8"
            && self.default_collation.contains_key("utf8mb3")
        {
            return "utf8mb3".to_string();
        }
        name
    }

    /// A collation's name as the server knows it (`utf8_bin` is `utf8mb3_bin`).
    fn collation(&self, name: &str) -> String {
        let name = name.to_ascii_lowercase();
        if !self.known_collations.contains(&name)
            && let Some(rest) = name.strip_prefix("utf8_")
        {
            let alias = format!("utf8mb3_{rest}");
            if self.known_collations.contains(&alias) {
                return alias;
            }
        }
        name
    }

    /// The collation that `charset` and `collation`, as written, give an object that
    /// otherwise gets `inherited`.
    fn effective(&self, charset: Option<&str>, collation: Option<&str>, inherited: &str) -> String {
        if let Some(c) = collation {
            return self.collation(c);
        }
        if let Some(cs) = charset {
            let cs = self.charset(cs);
            return self.default_collation.get(&cs).cloned().unwrap_or(cs);
        }
        inherited.to_string()
    }

    /// `schema` with each table's and column's collation resolved: `None` where it is
    /// the one the database (for a table) or the table (for a column) gives, and no
    /// character sets.
    pub(crate) fn resolve(&self, schema: &mut Schema) {
        for table in schema.tables.values_mut() {
            let options = &mut table.options;
            let own = self.effective(
                options.charset.as_deref(),
                options.collation.as_deref(),
                &self.database_collation,
            );
            options.charset = None;
            options.collation = Some(own.clone()).filter(|c| *c != self.database_collation);
            for column in &mut table.columns {
                let c =
                    self.effective(column.charset.as_deref(), column.collation.as_deref(), &own);
                column.charset = None;
                column.collation = Some(c).filter(|c| *c != own);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wildebeest_schema::{Column, ColumnType, Table};

    fn server() -> Charsets {
        Charsets {
            database_collation: "utf8mb4_general_ci".into(),
            default_collation: [
                ("utf8mb4", "utf8mb4_general_ci"),
                ("latin1", "latin1_swedish_ci"),
                ("utf8mb3", "utf8mb3_general_ci"),
            ]
            .into_iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect(),
            known_collations: [
                "utf8mb4_general_ci",
                "utf8mb4_unicode_ci",
                "utf8mb4_bin",
                "latin1_swedish_ci",
                "utf8mb3_bin",
                "utf8mb3_general_ci",
            ]
            .into_iter()
            .map(str::to_string)
            .collect(),
        }
    }

    fn table(charset: Option<&str>, collation: Option<&str>, columns: Vec<Column>) -> Schema {
        let mut t = Table::new("t");
        t.options.charset = charset.map(str::to_string);
        t.options.collation = collation.map(str::to_string);
        t.columns = columns;
        let mut s = Schema::new();
        s.tables.insert("t".into(), t);
        s
    }

    fn column(charset: Option<&str>, collation: Option<&str>) -> Column {
        let mut c = Column::new("c", ColumnType::Varchar(Some(10)));
        c.charset = charset.map(str::to_string);
        c.collation = collation.map(str::to_string);
        c
    }

    fn resolved(mut s: Schema) -> (Option<String>, Option<String>) {
        server().resolve(&mut s);
        let t = &s.tables["t"];
        assert_eq!(t.options.charset, None);
        assert_eq!(t.columns[0].charset, None);
        (t.options.collation.clone(), t.columns[0].collation.clone())
    }

    #[test]
    fn what_the_database_gives_anyway_is_no_collation() {
        let none = (None, None);
        assert_eq!(resolved(table(None, None, vec![column(None, None)])), none);
        assert_eq!(
            resolved(table(
                Some("utf8mb4"),
                Some("utf8mb4_general_ci"),
                vec![column(Some("utf8mb4"), None)]
            )),
            none
        );
        assert_eq!(
            resolved(table(Some("UTF8MB4"), None, vec![column(None, None)])),
            none
        );
    }

    #[test]
    fn a_column_says_its_own_collation_only_where_it_differs() {
        // The table's collation, said again by the column, is the table's.
        assert_eq!(
            resolved(table(
                Some("utf8mb4"),
                Some("utf8mb4_unicode_ci"),
                vec![column(None, Some("utf8mb4_unicode_ci"))]
            )),
            (Some("utf8mb4_unicode_ci".into()), None)
        );
        // A character set alone is its default collation, not the table's.
        assert_eq!(
            resolved(table(
                None,
                Some("utf8mb4_unicode_ci"),
                vec![column(Some("utf8mb4"), None)]
            )),
            (
                Some("utf8mb4_unicode_ci".into()),
                Some("utf8mb4_general_ci".into())
            )
        );
        assert_eq!(
            resolved(table(None, None, vec![column(Some("latin1"), None)])),
            (None, Some("latin1_swedish_ci".into()))
        );
    }

    #[test]
    fn utf8_is_utf8mb3() {
        assert_eq!(
            resolved(table(
                Some("utf8"),
                None,
                vec![column(None, Some("utf8_bin"))]
            )),
            (
                Some("utf8mb3_general_ci".into()),
                Some("utf8mb3_bin".into())
            )
        );
    }
}
