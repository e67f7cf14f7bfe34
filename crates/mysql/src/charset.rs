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

/// The default collation of each character set whose default is the same on every
/// MySQL (5.7, 8) and MariaDB (10, 11): not the Unicode ones, whose default MySQL 8
/// (`utf8mb4_0900_ai_ci`) and MariaDB 11.5 (`*_uca1400_ai_ci`) changed.
const FIXED_DEFAULTS: &[(&str, &str)] = &[
    ("armscii8", "armscii8_general_ci"),
    ("ascii", "ascii_general_ci"),
    ("big5", "big5_chinese_ci"),
    ("binary", "binary"),
    ("cp1250", "cp1250_general_ci"),
    ("cp1251", "cp1251_general_ci"),
    ("cp1256", "cp1256_general_ci"),
    ("cp1257", "cp1257_general_ci"),
    ("cp850", "cp850_general_ci"),
    ("cp852", "cp852_general_ci"),
    ("cp866", "cp866_general_ci"),
    ("dec8", "dec8_swedish_ci"),
    ("euckr", "euckr_korean_ci"),
    ("gb2312", "gb2312_chinese_ci"),
    ("gbk", "gbk_chinese_ci"),
    ("greek", "greek_general_ci"),
    ("hebrew", "hebrew_general_ci"),
    ("hp8", "hp8_english_ci"),
    ("koi8r", "koi8r_general_ci"),
    ("koi8u", "koi8u_general_ci"),
    ("latin1", "latin1_swedish_ci"),
    ("latin2", "latin2_general_ci"),
    ("latin5", "latin5_turkish_ci"),
    ("latin7", "latin7_general_ci"),
    ("sjis", "sjis_japanese_ci"),
    ("swe7", "swe7_swedish_ci"),
    ("tis620", "tis620_thai_ci"),
    ("ujis", "ujis_japanese_ci"),
];

/// What a character set and collation, as written, say without a server.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Said {
    /// Neither: what the table (or the database) gives.
    Nothing,
    /// A collation (a character set whose default is fixed is its default).
    Collation(String),
    /// A Unicode character set alone: its default, which depends on the server.
    DefaultOf(String),
}

fn said(charset: Option<&str>, collation: Option<&str>) -> Said {
    if let Some(c) = collation {
        let c = c.to_ascii_lowercase();
        return Said::Collation(match c.strip_prefix("utf8_") {
            Some(rest) => format!("utf8mb3_{rest}"),
            None => c,
        });
    }
    let Some(cs) = charset else {
        return Said::Nothing;
    };
    let cs = match cs.to_ascii_lowercase() {
        u if u == "utf8" => "utf8mb3".to_string(),
        other => other,
    };
    match FIXED_DEFAULTS.iter().find(|(name, _)| *name == cs) {
        Some((_, default)) => Said::Collation(default.to_string()),
        None => Said::DefaultOf(cs),
    }
}

/// A column's [`Said`] under its table's: nothing where it says what the table does.
fn column_said(table: &Said, charset: Option<&str>, collation: Option<&str>) -> Said {
    match said(charset, collation) {
        own if own == *table => Said::Nothing,
        own => own,
    }
}

/// Gives the tables and columns of `desired` whose character set and collation say
/// the same as `built`'s, on any server, `built`'s spelling of them, so that they
/// are no change: a collation says its character set (mysqldump's `CHARACTER SET
/// utf8mb4 COLLATE utf8mb4_bin` is `COLLATE utf8mb4_bin`), a character set alone
/// says its default collation where that is the same on every MySQL and MariaDB
/// (`latin1` is `latin1_swedish_ci`), and a column that says its table's is the
/// table's. What depends on the server is left a difference: a Unicode character
/// set's default collation, and a table's character set where the migrations said
/// none (the database's default).
pub fn same_charsets_as(desired: &mut Schema, built: &Schema) {
    for (name, table) in &mut desired.tables {
        let Some(old) = built.tables.get(name) else {
            continue;
        };
        let (o, n) = (&old.options, &mut table.options);
        let old_table = said(o.charset.as_deref(), o.collation.as_deref());
        let new_table = said(n.charset.as_deref(), n.collation.as_deref());
        if old_table == new_table {
            (n.charset, n.collation) = (o.charset.clone(), o.collation.clone());
        }
        for column in &mut table.columns {
            let Some(was) = old.column(&column.name) else {
                continue;
            };
            let before = column_said(&old_table, was.charset.as_deref(), was.collation.as_deref());
            let now = column_said(
                &new_table,
                column.charset.as_deref(),
                column.collation.as_deref(),
            );
            if before == now {
                (column.charset, column.collation) = (was.charset.clone(), was.collation.clone());
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

#[cfg(test)]
mod offline {
    use super::*;
    use wildebeest_schema::{Column, ColumnType, Table};

    type Pair<'a> = (Option<&'a str>, Option<&'a str>);

    fn schema(table: Pair<'_>, column: Pair<'_>) -> Schema {
        let mut t = Table::new("t");
        (t.options.charset, t.options.collation) =
            (table.0.map(str::to_string), table.1.map(str::to_string));
        let mut c = Column::new("c", ColumnType::Varchar(Some(10)));
        (c.charset, c.collation) = (column.0.map(str::to_string), column.1.map(str::to_string));
        t.columns.push(c);
        let mut s = Schema::new();
        s.tables.insert("t".into(), t);
        s
    }

    /// Whether `desired` is `built` once given `built`'s spellings.
    fn same(built: (Pair<'_>, Pair<'_>), desired: (Pair<'_>, Pair<'_>)) -> bool {
        let built = schema(built.0, built.1);
        let mut desired = schema(desired.0, desired.1);
        same_charsets_as(&mut desired, &built);
        desired == built
    }

    #[test]
    fn what_mysqldump_spells_out_is_what_the_file_said() {
        let none = (None, None);
        // mysqldump's column `CHARACTER SET utf8mb4 COLLATE utf8mb4_bin`.
        assert!(same(
            (none, (None, Some("utf8mb4_bin"))),
            (none, (Some("utf8mb4"), Some("utf8mb4_bin")))
        ));
        // `latin1` alone is `latin1_swedish_ci` on every server.
        assert!(same(
            ((Some("latin1"), None), (Some("latin1"), None)),
            (
                (Some("latin1"), Some("latin1_swedish_ci")),
                (None, Some("latin1_swedish_ci"))
            )
        ));
        // A column that says its table's collation says nothing.
        assert!(same(
            ((None, Some("utf8mb4_bin")), none),
            (
                (Some("utf8mb4"), Some("utf8mb4_bin")),
                (Some("utf8mb4"), Some("utf8mb4_bin"))
            )
        ));
        assert!(same(
            ((Some("utf8"), None), (None, Some("utf8_bin"))),
            ((Some("utf8mb3"), None), (None, Some("utf8mb3_bin")))
        ));
    }

    #[test]
    fn what_depends_on_the_server_or_differs_stays_a_difference() {
        let none = (None, None);
        // The database's default, written out: unknown without the server.
        assert!(!same(
            (none, none),
            ((Some("utf8mb4"), Some("utf8mb4_general_ci")), none)
        ));
        // utf8mb4's default collation is the server's.
        assert!(!same(
            ((Some("utf8mb4"), None), none),
            ((Some("utf8mb4"), Some("utf8mb4_general_ci")), none)
        ));
        assert!(!same(
            (none, (Some("latin1"), None)),
            (none, (None, Some("latin1_bin")))
        ));
        assert!(!same(
            ((Some("latin1"), None), none),
            ((Some("latin2"), None), none)
        ));
    }
}
