use wildebeest_schema::{ApplyError, Op};

use super::*;
use crate::parse_schema;

const TABLES: &str = "CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT, n INTEGER);\n\
                      CREATE TABLE u (id INTEGER PRIMARY KEY, t_id INTEGER, name TEXT);\n\
                      CREATE TABLE w (id INTEGER PRIMARY KEY, note TEXT);\n";

/// The schema of `TABLES` and `CREATE VIEW v AS query` in `dialect`, `op` applied:
/// the view's query after it, or the error.
fn after(dialect: Dialect, query: &str, op: Op) -> Result<String, ApplyError> {
    let text = format!("{TABLES}CREATE VIEW v AS {query};\n");
    let (mut schema, _) = parse_schema(&text, "schema.sql", dialect).unwrap();
    op.apply(&mut schema)?;
    Ok(schema.views["v"].definition.clone())
}

fn table(to: &str) -> Op {
    Op::RenameTable {
        from: "t".into(),
        to: to.into(),
    }
}

fn column(table: &str, from: &str, to: &str) -> Op {
    Op::RenameColumn {
        table: table.into(),
        from: from.into(),
        to: to.into(),
    }
}

fn sqlite(query: &str, op: Op) -> String {
    after(Dialect::Sqlite, query, op).unwrap()
}

fn postgres(query: &str, op: Op) -> String {
    after(Dialect::Postgres, query, op).unwrap()
}

#[test]
fn a_table_renamed_is_renamed_in_from_joins_and_qualifiers() {
    // As SQLite 3.40 rewrites it (checked against `sqlite3`): the new name quoted.
    assert_eq!(
        sqlite("SELECT * FROM t", table("r0")),
        "SELECT * FROM \"r0\""
    );
    assert_eq!(
        sqlite(
            "select name, t.name, \"name\" from t /* t */ where name <> 't'",
            table("r0")
        ),
        "select name, \"r0\".name, \"name\" from \"r0\" /* t */ where name <> 't'"
    );
    assert_eq!(
        sqlite(
            "SELECT a.name FROM main.T a JOIN u ON u.t_id = a.id",
            table("r0")
        ),
        "SELECT a.name FROM main.\"r0\" a JOIN u ON u.t_id = a.id"
    );
    assert_eq!(
        postgres(
            "SELECT t.*, u.name FROM t JOIN u ON u.t_id = t.id",
            table("r0")
        ),
        "SELECT r0.*, u.name FROM r0 JOIN u ON u.t_id = r0.id"
    );
}

#[test]
fn the_renamed_view_reads_the_new_name_and_compares_as_the_database_writes_it() {
    let text = format!("{TABLES}CREATE VIEW v AS SELECT * FROM t;\n");
    let (mut schema, _) = parse_schema(&text, "schema.sql", Dialect::Sqlite).unwrap();
    table("r0").apply(&mut schema).unwrap();
    let v = &schema.views["v"];
    assert_eq!(v.reads, vec!["r0".to_string()]);
    let stored = crate::view_from_catalog(
        "v",
        Vec::new(),
        "SELECT * FROM \"r0\"",
        None,
        Dialect::Sqlite,
    );
    assert_eq!(*v, stored);
    assert!(v.follow_rename.is_some());
    // Renamed back, SQLite keeps the quotes: still the view as first written.
    let plain = crate::view_from_catalog("v", Vec::new(), "SELECT * FROM t", None, Dialect::Sqlite);
    let quoted = crate::view_from_catalog(
        "v",
        Vec::new(),
        "SELECT * FROM \"t\"",
        None,
        Dialect::Sqlite,
    );
    assert_eq!(plain, quoted);
    let upper = crate::view_from_catalog(
        "v",
        Vec::new(),
        "SELECT * FROM \"T\"",
        None,
        Dialect::Postgres,
    );
    assert_ne!(plain, upper);
}

#[test]
fn a_column_renamed_is_renamed_where_it_is_the_tables() {
    // Unqualified with the table alone; qualified by name or alias; a column of the
    // same name in another table, strings and comments left alone.
    assert_eq!(
        sqlite(
            "SELECT name, t.name FROM t -- name\n WHERE name <> 'name'",
            column("t", "name", "label")
        ),
        "SELECT label, t.label FROM t -- name\n WHERE label <> 'name'"
    );
    assert_eq!(
        sqlite(
            "SELECT a.name, u.name AS other FROM t AS a JOIN u ON u.t_id = a.id",
            column("t", "name", "label")
        ),
        "SELECT a.label, u.name AS other FROM t AS a JOIN u ON u.t_id = a.id"
    );
    // `w` has no `name`: the unqualified one can only be `t`'s.
    assert_eq!(
        sqlite(
            "SELECT name, note FROM t JOIN w ON w.id = t.id",
            column("t", "name", "label")
        ),
        "SELECT label, note FROM t JOIN w ON w.id = t.id"
    );
    // A quoted name stays quoted (SQLite).
    assert_eq!(
        sqlite("SELECT \"name\" FROM t", column("t", "name", "label")),
        "SELECT \"label\" FROM t"
    );
    // A column of another table renamed: this view's `t.name` stays.
    assert_eq!(
        sqlite(
            "SELECT t.name, u.name AS un FROM t JOIN u ON u.t_id = t.id",
            column("u", "name", "title")
        ),
        "SELECT t.name, u.title AS un FROM t JOIN u ON u.t_id = t.id"
    );
}

#[test]
fn postgres_keeps_the_output_column_under_its_old_name() {
    assert_eq!(
        postgres(
            "SELECT id, name FROM t WHERE name > ''",
            column("t", "name", "label")
        ),
        "SELECT id, label AS name FROM t WHERE label > ''"
    );
    assert_eq!(
        postgres("SELECT t.name AS x FROM t", column("t", "name", "label")),
        "SELECT t.label AS x FROM t"
    );
}

#[test]
fn what_the_text_cannot_tell_is_refused() {
    let refused = |dialect, query: &str, op| {
        let e = after(dialect, query, op).unwrap_err().to_string();
        assert!(e.contains("view `v` reads"), "{query}: {e}");
        assert!(
            e.contains("drop the view before the rename"),
            "{query}: {e}"
        );
    };
    // `u` has a `name` too: which one an unqualified `name` is, SQL scoping decides.
    refused(
        Dialect::Sqlite,
        "SELECT id FROM t WHERE EXISTS (SELECT 1 FROM u WHERE name = 'x')",
        column("t", "name", "label"),
    );
    // A subquery's columns are unknown.
    refused(
        Dialect::Sqlite,
        "SELECT name FROM t JOIN (SELECT 1 AS k) s ON s.k = t.id",
        column("t", "name", "label"),
    );
    // An output column of that name: `ORDER BY name` may be it.
    refused(
        Dialect::Sqlite,
        "SELECT n AS name FROM t ORDER BY name",
        column("t", "name", "label"),
    );
    // PostgreSQL's `*` keeps the old column name, which the query cannot say.
    refused(
        Dialect::Postgres,
        "SELECT * FROM t",
        column("t", "name", "label"),
    );
    refused(
        Dialect::Sqlite,
        "SELECT name FROM t JOIN u USING (name)",
        column("t", "name", "label"),
    );
}

#[test]
fn mysql_leaves_the_view_as_written() {
    assert_eq!(
        after(Dialect::Mysql, "SELECT name FROM t", table("r0")).unwrap(),
        "SELECT name FROM t"
    );
}

#[test]
fn a_view_that_does_not_read_the_column_is_left_alone() {
    assert_eq!(
        sqlite("SELECT id FROM t", column("t", "name", "label")),
        "SELECT id FROM t"
    );
}
