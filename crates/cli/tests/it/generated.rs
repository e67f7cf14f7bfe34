//! Generated (computed) columns on each database, through the built binary: a new
//! table with them, one added, its expression changed, one dropped, each up and down
//! with the rows kept and `check` clean after every step; a plain column made generated
//! only with consent; a database with them adopted through `inspect`.

use predicates::str::contains;

use crate::servers::{Server, TestDb};
use crate::util::{TempProject, ok};

/// Where a walk runs: the project's SQLite file, or a server's test database.
struct Target {
    db: Option<TestDb>,
}

impl Target {
    fn sqlite() -> Target {
        Target { db: None }
    }

    fn server(server: Server) -> Option<Target> {
        TestDb::new(server, "generated").map(|db| Target { db: Some(db) })
    }

    /// A project on this target.
    fn project(&self) -> TempProject {
        let p = TempProject::init();
        if let Some(db) = &self.db {
            p.write(
                "wildebeest.toml",
                &format!("database_url = \"{}\"\n", db.url),
            );
        }
        p
    }

    fn execute(&self, p: &TempProject, sql: &str) {
        match &self.db {
            Some(db) => db.execute(sql),
            None => p.conn().execute_batch(sql).unwrap(),
        }
    }

    fn rows(&self, p: &TempProject, sql: &str) -> Vec<Vec<String>> {
        match &self.db {
            Some(db) => db.rows(sql),
            None => p.rows(sql),
        }
    }

    fn url(&self, p: &TempProject) -> String {
        match &self.db {
            Some(db) => db.url.clone(),
            None => format!("sqlite:{}", p.db().display()),
        }
    }
}

/// The rows of `item`, by id: `(id, price, qty, discount, total[, twice])`.
fn items(t: &Target, p: &TempProject, columns: &str) -> Vec<Vec<String>> {
    t.rows(p, &format!("SELECT {columns} FROM item ORDER BY id"))
}

fn rows(text: &[&[&str]]) -> Vec<Vec<String>> {
    text.iter()
        .map(|r| r.iter().map(|v| v.to_string()).collect())
        .collect()
}

const V1: &str = "CREATE TABLE item (
    id INTEGER PRIMARY KEY,
    price INTEGER NOT NULL,
    qty INTEGER NOT NULL,
    discount INTEGER,
    total INTEGER GENERATED ALWAYS AS (price * qty) STORED
);
";

fn with_twice(schema: &str) -> String {
    schema.replace(
        "STORED\n);",
        "STORED,\n    twice INTEGER GENERATED ALWAYS AS (price * 2) STORED\n);",
    )
}

/// `migrate` (which must write a file), `upgrade`, then `check` exit 0.
fn step(p: &TempProject, schema: &str, message: &str) -> String {
    p.write("schema.sql", schema);
    ok(p, &["migrate", "-m", message]);
    ok(p, &["upgrade"]);
    ok(p, &["check"]);
    std::fs::read_to_string(p.migrations().pop().unwrap()).unwrap()
}

fn walk(t: &Target) {
    let p = t.project();
    let one = step(&p, V1, "one");
    assert!(
        one.contains("total INTEGER GENERATED ALWAYS AS (price * qty) STORED")
            || one.contains("total INT GENERATED ALWAYS AS (price * qty) STORED"),
        "{one}"
    );
    t.execute(
        &p,
        "INSERT INTO item (id, price, qty, discount) VALUES (1, 10, 3, 5), (2, 7, 2, NULL)",
    );
    let all = "id, price, qty, discount, total";
    assert_eq!(
        items(t, &p, all),
        rows(&[&["1", "10", "3", "5", "30"], &["2", "7", "2", "NULL", "14"]])
    );

    // Added: every row gets its value.
    let v2 = with_twice(V1);
    let two = step(&p, &v2, "two");
    assert!(!two.contains("DATA LOSS"), "{two}");
    assert_eq!(
        items(t, &p, "id, twice"),
        rows(&[&["1", "20"], &["2", "14"]])
    );

    // The expression changed: computed again, no consent asked, and back down.
    let v3 = v2.replace("(price * qty)", "(price * qty + 1)");
    let three = step(&p, &v3, "three");
    assert!(!three.contains("DATA LOSS"), "{three}");
    assert_eq!(
        items(t, &p, all),
        rows(&[&["1", "10", "3", "5", "31"], &["2", "7", "2", "NULL", "15"]])
    );
    ok(&p, &["downgrade", "-1"]);
    assert_eq!(
        items(t, &p, all),
        rows(&[&["1", "10", "3", "5", "30"], &["2", "7", "2", "NULL", "14"]])
    );
    ok(&p, &["upgrade"]);
    ok(&p, &["check"]);

    // Dropped: its values are derived, so no consent; the downgrade adds it back
    // generated, every value computed again.
    let four = step(
        &p,
        &v3.replace(
            ",\n    twice INTEGER GENERATED ALWAYS AS (price * 2) STORED",
            "",
        ),
        "four",
    );
    assert!(!four.contains("DATA LOSS"), "{four}");
    assert!(
        four.contains("GENERATED ALWAYS AS (price * 2) STORED"),
        "{four}"
    );
    ok(&p, &["downgrade", "-1"]);
    assert_eq!(
        items(t, &p, "id, twice"),
        rows(&[&["1", "20"], &["2", "14"]])
    );
    ok(&p, &["upgrade"]);
    ok(&p, &["check"]);

    // A plain column made generated loses the values it held: consent needed.
    let v5 = p.read("schema.sql").replace(
        "discount INTEGER,",
        "discount INTEGER GENERATED ALWAYS AS (price - 1) STORED,",
    );
    p.write("schema.sql", &v5);
    ok(&p, &["migrate", "-m", "five"]);
    let five = std::fs::read_to_string(p.migrations().pop().unwrap()).unwrap();
    assert!(
        five.contains("-- DATA LOSS: drops column `item.discount` and every value in it"),
        "{five}"
    );
    p.cmd(&["upgrade"]).assert().code(2).stderr(contains(
        "drops column `item.discount` and every value in it",
    ));
    assert_eq!(
        items(t, &p, "id, discount"),
        rows(&[&["1", "5"], &["2", "NULL"]])
    );
    ok(&p, &["upgrade", "--allow-data-loss"]);
    ok(&p, &["check"]);
    assert_eq!(
        items(t, &p, "id, price, qty, discount, total"),
        rows(&[&["1", "10", "3", "9", "31"], &["2", "7", "2", "6", "15"]])
    );

    // A column a generated column reads is renamed: the expression follows it, as
    // every database rewrites it, so nothing is made again.
    let v6 = p.read("schema.sql").replace("qty", "quantity");
    p.write("schema.sql", &v6);
    ok(
        &p,
        &["migrate", "-m", "six", "--rename", "item.qty=quantity"],
    );
    let six = std::fs::read_to_string(p.migrations().pop().unwrap()).unwrap();
    assert!(!six.contains("DROP COLUMN"), "{six}");
    ok(&p, &["upgrade"]);
    ok(&p, &["check"]);
    assert_eq!(
        items(t, &p, "id, quantity, total"),
        rows(&[&["1", "3", "31"], &["2", "2", "15"]])
    );

    // Adopted: `inspect` writes the columns as generated, and a project made from the
    // database finds it at head.
    let inspected = ok(&p, &["inspect"]);
    assert!(
        inspected.contains("GENERATED ALWAYS AS (price - 1) STORED")
            && inspected.contains("GENERATED ALWAYS AS (price * quantity + 1) STORED"),
        "{inspected}"
    );
    // The walk's project lets the database go first (a database is adopted once).
    ok(&p, &["stamp", "--purge", "base"]);
    let adopted = TempProject::new();
    ok(&adopted, &["init", "--from-database", &t.url(&p)]);
    let schema = adopted.read("schema.sql");
    assert!(
        schema.contains("GENERATED ALWAYS AS (price * quantity + 1) STORED"),
        "{schema}"
    );
    ok(&adopted, &["check", "--database-url", &t.url(&p)]);
    adopted
        .cmd(&["migrate", "-m", "again", "--database-url", &t.url(&p)])
        .assert()
        .success()
        .stdout(contains("No changes"));
}

#[test]
fn generated_columns_on_sqlite() {
    walk(&Target::sqlite());
}

#[test]
fn generated_columns_on_postgres() {
    if let Some(t) = Target::server(Server::Postgres) {
        walk(&t);
    }
}

#[test]
fn generated_columns_on_mysql() {
    if let Some(t) = Target::server(Server::Mysql) {
        walk(&t);
    }
}

/// A VIRTUAL column (or one without `STORED`, which PostgreSQL 18 makes virtual) is
/// refused for PostgreSQL by name and line, with the spelling that runs, rather than
/// written as a migration the server rejects.
#[test]
fn a_virtual_generated_column_for_postgres_is_refused_with_the_stored_spelling() {
    let p = TempProject::init();
    p.write(
        "wildebeest.toml",
        "database_url = \"postgres://postgres@127.0.0.1:5432/test\"\n",
    );
    for (column, at) in [
        (
            "b integer GENERATED ALWAYS AS (a*2) VIRTUAL",
            "schema.sql:2:2:",
        ),
        ("b integer GENERATED ALWAYS AS (a*2)", "schema.sql:2:2:"),
    ] {
        p.write(
            "schema.sql",
            &format!("CREATE TABLE t (a integer,\n {column});\n"),
        );
        p.cmd(&["migrate", "-m", "one"])
            .assert()
            .code(2)
            .stderr(contains(format!(
                "{at} column `b` is a VIRTUAL generated column, which wildebeest does not \
                 model for PostgreSQL: write `GENERATED ALWAYS AS (a * 2) STORED`"
            )));
        assert!(p.migrations().is_empty());
    }
}

/// MariaDB's `PERSISTENT` is its `STORED`: read so in schema.sql, and written `STORED`,
/// as MariaDB reports the column.
#[test]
fn mariadbs_persistent_is_stored() {
    let p = TempProject::init();
    p.write(
        "wildebeest.toml",
        "database_url = \"mysql://root@127.0.0.1:3306/test\"\n",
    );
    p.write(
        "schema.sql",
        "CREATE TABLE t (a int, b int AS (a * 2) PERSISTENT);\n",
    );
    ok(&p, &["migrate", "-m", "one"]);
    let one = std::fs::read_to_string(p.migrations().pop().unwrap()).unwrap();
    assert!(
        one.contains("b INT GENERATED ALWAYS AS (a * 2) STORED"),
        "{one}"
    );
}

/// PostgreSQL prints an expression back otherwise than it was written
/// (`CASE WHEN (qty > 0)`, `qty >= 1 AND qty <= 5` for a `BETWEEN`, `qty::text` for a
/// `CAST`): `check` compares both sides as the server prints them, so a clean upgrade
/// is exit 0.
#[test]
fn check_compares_generated_expressions_as_postgres_prints_them() {
    let Some(t) = Target::server(Server::Postgres) else {
        return;
    };
    let p = t.project();
    p.write(
        "schema.sql",
        "CREATE TABLE a (
  id integer PRIMARY KEY,
  price numeric(10,2),
  qty integer,
  name text,
  at timestamp,
  unit numeric GENERATED ALWAYS AS (CASE WHEN qty > 0 THEN price / qty ELSE 0 END) STORED,
  label text GENERATED ALWAYS AS (COALESCE(name, 'none') || '!') STORED,
  taxed numeric GENERATED ALWAYS AS (price::numeric(12,2) * 1.2) STORED,
  yr integer GENERATED ALWAYS AS (EXTRACT(year FROM at)::integer) STORED,
  mid boolean GENERATED ALWAYS AS (qty BETWEEN 1 AND 5) STORED,
  txt text GENERATED ALWAYS AS (CAST(qty AS text)) STORED
);
",
    );
    ok(&p, &["migrate", "-m", "one"]);
    ok(&p, &["upgrade"]);
    ok(&p, &["check"]);
    p.cmd(&["migrate", "-m", "two"])
        .assert()
        .success()
        .stdout(contains("No changes"));
}
