//! SQLite keeps a column's declared type text, which is what gives the column its
//! meaning there (`INT PRIMARY KEY` is an ordinary column, `INTEGER PRIMARY KEY` the
//! rowid): on the first migration, on every rebuild of the table, and on a downgrade.

use crate::util::{TempProject, ok};

const SCHEMA: &str = "CREATE TABLE t (\n    id INT PRIMARY KEY,\n    name NVARCHAR(40),\n    price DECIMAL(5,2),\n    qty int\n);\nCREATE TABLE r (id INTEGER PRIMARY KEY, v TEXT);\n";

/// `PRAGMA table_info(table)`: each column's name and declared type.
fn declared(p: &TempProject, table: &str) -> Vec<Vec<String>> {
    p.rows(&format!(
        "SELECT name, type FROM pragma_table_info('{table}') ORDER BY cid"
    ))
}

fn pairs(items: &[(&str, &str)]) -> Vec<Vec<String>> {
    items
        .iter()
        .map(|(a, b)| vec![a.to_string(), b.to_string()])
        .collect()
}

fn t_declared() -> Vec<Vec<String>> {
    pairs(&[
        ("id", "INT"),
        ("name", "NVARCHAR(40)"),
        ("price", "DECIMAL(5,2)"),
        ("qty", "INT"),
    ])
}

/// The row `INSERT`s of a text id and of a NULL id leave in `table`, or the error.
fn insert_text_and_null(p: &TempProject, table: &str) -> (String, String) {
    let conn = p.conn();
    let text = match conn.execute(&format!("INSERT INTO {table} (id) VALUES ('x1')"), []) {
        Ok(_) => conn
            .query_row(
                &format!("SELECT typeof(id) FROM {table} WHERE id = 'x1'"),
                [],
                |r| r.get::<_, String>(0),
            )
            .unwrap(),
        Err(e) => e.to_string(),
    };
    let null = match conn.execute(&format!("INSERT INTO {table} (id) VALUES (NULL)"), []) {
        Ok(_) => conn
            .query_row(
                &format!("SELECT typeof(id) FROM {table} ORDER BY rowid DESC LIMIT 1"),
                [],
                |r| r.get::<_, String>(0),
            )
            .unwrap(),
        Err(e) => e.to_string(),
    };
    (text, null)
}

#[test]
fn sqlite_declared_types_are_not_respelled_by_migrate_upgrade_rebuild_or_downgrade() {
    let p = TempProject::init();
    p.write("schema.sql", SCHEMA);
    ok(&p, &["migrate", "-m", "one"]);
    let first = std::fs::read_to_string(&p.migrations()[0]).unwrap();
    // SQLite's key takes NULL unless NOT NULL is written: none is added.
    assert!(!first.contains("NOT NULL"), "{first}");
    for kept in [
        "id INT,",
        "name NVARCHAR(40)",
        "price DECIMAL(5,2)",
        "qty int",
    ] {
        assert!(first.contains(kept), "`{kept}` not in:\n{first}");
    }
    ok(&p, &["upgrade"]);
    assert_eq!(declared(&p, "t"), t_declared());
    assert_eq!(
        declared(&p, "r"),
        pairs(&[("id", "INTEGER"), ("v", "TEXT")])
    );
    ok(&p, &["check"]);

    // A rebuild of `t` (a new CHECK, and another type for `qty`) keeps every other
    // column's declared text.
    p.write(
        "schema.sql",
        &SCHEMA.replace("    qty int\n", "    qty BIGINT CHECK (qty >= 0)\n"),
    );
    ok(&p, &["migrate", "-m", "two"]);
    ok(&p, &["upgrade"]);
    assert_eq!(
        declared(&p, "t"),
        pairs(&[
            ("id", "INT"),
            ("name", "NVARCHAR(40)"),
            ("price", "DECIMAL(5,2)"),
            ("qty", "BIGINT"),
        ])
    );
    ok(&p, &["check"]);

    // The downgrade's rebuild gives every column its first spelling back.
    ok(&p, &["downgrade", "-1"]);
    assert_eq!(declared(&p, "t"), t_declared());
}

#[test]
fn sqlite_int_primary_key_stays_an_ordinary_column_and_integer_primary_key_the_rowid() {
    let p = TempProject::init();
    p.write("schema.sql", SCHEMA);
    ok(&p, &["migrate", "-m", "one"]);
    ok(&p, &["upgrade"]);
    // `INT PRIMARY KEY`: a text id stays text, and a NULL id is taken, as `sqlite3`
    // loading the same file makes the table (the key is not the rowid, and SQLite
    // makes a key NOT NULL only where that is written).
    let (text, null) = insert_text_and_null(&p, "t");
    assert_eq!(text, "text");
    assert_eq!(null, "null");
    assert_eq!(
        p.rows("SELECT name, \"notnull\", pk FROM pragma_table_info('t') WHERE pk > 0"),
        vec![vec!["id".to_string(), "0".to_string(), "1".to_string()]]
    );
    // `INTEGER PRIMARY KEY`: the rowid refuses text and numbers a NULL id.
    let (text, null) = insert_text_and_null(&p, "r");
    assert!(text.contains("datatype mismatch"), "{text}");
    assert_eq!(null, "integer");
}

/// SQLite reads a string where a column's name stands as the name; `migrate` refused
/// it with a bare parser error.
#[test]
fn sqlite_single_quoted_column_name_is_the_name() {
    let p = TempProject::init();
    p.write("schema.sql", "CREATE TABLE q ('a' TEXT, 'b c' INTEGER);\n");
    ok(&p, &["migrate", "-m", "one"]);
    ok(&p, &["upgrade"]);
    assert_eq!(
        declared(&p, "q"),
        pairs(&[("a", "TEXT"), ("b c", "INTEGER")])
    );
    ok(&p, &["check"]);
}

/// A folder generated on SQLite, with types SQLite keeps as declared, runs on the
/// other databases and `check`s clean there.
fn declared_types_on(server: crate::servers::Server) {
    let Some(db) = crate::servers::TestDb::new(server, "sqlite_declared") else {
        return;
    };
    let p = TempProject::init();
    p.write(
        "schema.sql",
        "CREATE TABLE t (id INT PRIMARY KEY, name NVARCHAR(40), price DECIMAL(5,2), \
         ratio DOUBLE, flag BOOL, n TINYINT);\n",
    );
    ok(&p, &["migrate", "-m", "one"]);
    ok(&p, &["--database-url", &db.url, "upgrade"]);
    ok(&p, &["--database-url", &db.url, "check"]);
}

#[test]
fn sqlite_declared_types_run_and_check_clean_on_postgres() {
    declared_types_on(crate::servers::Server::Postgres);
}

#[test]
fn sqlite_declared_types_run_and_check_clean_on_mysql() {
    declared_types_on(crate::servers::Server::Mysql);
}

/// Each table's `sqlite_master` text and `PRAGMA table_info` (name, declared type) in
/// `conn`, by table name.
fn catalog(conn: &rusqlite::Connection, tables: &[&str]) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    for t in tables {
        out.extend(crate::util::query_rows(
            conn,
            &format!("SELECT name, type FROM pragma_table_info('{t}') ORDER BY cid"),
        ));
    }
    out
}

/// What `sqlite3` makes of `sql` loaded directly.
fn direct(sql: &str, tables: &[&str]) -> Vec<Vec<String>> {
    let conn = rusqlite::Connection::open_in_memory().unwrap();
    conn.execute_batch(sql).unwrap();
    catalog(&conn, tables)
}

/// SQLite stores a declared type verbatim (white space, case, comments inside, a
/// quoted name dequoted): a migration, `ADD COLUMN`, a rebuild, a type change and
/// its downgrade all leave the catalog as `sqlite3` loading the same file makes it.
#[test]
fn sqlite_declared_type_text_is_kept_verbatim_through_add_column_rebuild_and_downgrade() {
    let p = TempProject::init();
    let one = "CREATE TABLE w (\n    a decimal( 5 ,2 ),\n    b \"my type\",\n    c int /* x */ eger NOT NULL DEFAULT 0,\n    d Unsigned  Big Int,\n    e varchar( 30 ),\n    f Integer\n);\n";
    p.write("schema.sql", one);
    let first = ok(&p, &["migrate", "-m", "one"]);
    assert!(first.contains("added table"), "{first}");
    ok(&p, &["upgrade"]);
    assert_eq!(catalog(&p.conn(), &["w"]), direct(one, &["w"]));
    ok(&p, &["check"]);
    // Spelling alone (case, white space) is no change.
    p.write(
        "schema.sql",
        &one.replace("decimal( 5 ,2 )", "DECIMAL(5, 2)"),
    );
    let (code, text) = crate::util::run_text(&p, &["migrate", "-m", "none"]);
    assert!(text.contains("No changes"), "{code} {text}");

    // A new column, a rebuild (a new CHECK) and a real type change.
    let two = one.replace(
        "    f Integer\n",
        "    f NUMERIC( 9 ) CHECK (f > 0),\n    g  Nvarchar ( 3 )\n",
    );
    p.write("schema.sql", &two);
    ok(&p, &["migrate", "-m", "two"]);
    let second = std::fs::read_to_string(&p.migrations()[1]).unwrap();
    assert!(second.contains("ADD COLUMN g Nvarchar ( 3 )"), "{second}");
    assert!(second.contains("TYPE NUMERIC( 9 )"), "{second}");
    ok(&p, &["upgrade"]);
    assert_eq!(catalog(&p.conn(), &["w"]), direct(&two, &["w"]));
    ok(&p, &["check"]);

    ok(&p, &["downgrade", "-1"]);
    assert_eq!(catalog(&p.conn(), &["w"]), direct(one, &["w"]));
}
