//! Whole sample databases, as a new user brings them: each `tests/samples/<name>/
//! <dialect>.sql` (written for these tests in the shape of the public sample databases
//! of its kind: tables with every kind of key, enum and domain types, functions,
//! views, triggers...) is loaded into one database by the database's own client and
//! used as `schema.sql` for another. Then:
//!
//! 1. `migrate` writes the initial migration and a fresh `upgrade` builds a database
//!    whose catalog equals the one the client loaded (columns, constraints and
//!    indexes as the server's catalog writes them, generated names aside), which has
//!    the same objects of every kind (tables, views, sequences, functions, triggers,
//!    types, ...: the inventory, read from the catalog, not from wildebeest), and
//!    which `inspect` prints as the same text;
//! 2. `stamp head` on the loaded database, then `check`, exits 0, as it does on the
//!    migrated one;
//! 3. the database's own dump of the migrated database (`pg_dump`, `mariadb-dump`,
//!    `sqlite3 .schema`), used as `schema.sql`, is no change, and `check` exits 0;
//! 4. with rows in the migrated database, a change to a table a view reads migrates
//!    up and down, and the rows are the same after each step.

use std::path::{Path, PathBuf};

use crate::fidelity_props::{MysqlSide, PgSide, Side, SqliteSide, pg_catalog_of};
use crate::pg_dump::OwnDatabase;
use crate::servers::{Server, TestDb};
use crate::util::{TempProject, ok, query_rows, run_text};

/// Asserts two sorted lists are equal, showing only what one side has.
fn same(what: &str, direct: Vec<String>, migrated: Vec<String>) {
    if direct != migrated {
        let only = |a: &[String], b: &[String]| -> Vec<String> {
            a.iter().filter(|x| !b.contains(x)).cloned().collect()
        };
        panic!(
            "{what} differ\nloaded directly only:\n  {}\nmigrated only:\n  {}",
            only(&direct, &migrated).join("\n  "),
            only(&migrated, &direct).join("\n  ")
        );
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Dialect {
    Sqlite,
    Postgres,
    /// PostgreSQL, in the `public` schema of a database of the test's own.
    PostgresPublic,
    Mysql,
}

/// A sample's change: `from` replaced by `to` in its schema, with rows put into the
/// migrated database first and a query whose result must survive the change.
struct Change {
    from: &'static str,
    to: &'static str,
    rows: &'static str,
    query: &'static str,
}

fn sample_path(name: &str, dialect: Dialect) -> PathBuf {
    let file = match dialect {
        Dialect::Sqlite => "sqlite.sql",
        Dialect::Postgres | Dialect::PostgresPublic => "postgres.sql",
        Dialect::Mysql => "mysql.sql",
    };
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/samples")
        .join(name)
        .join(file)
}

/// The objects of every kind in a database, by kind and name, from its catalog
/// (wildebeest's own tables left out).
trait Inventory {
    fn inventory_direct(&self) -> Vec<String>;
    fn inventory_migrated(&self) -> Vec<String>;
    fn direct_url(&self) -> String;
    fn query_migrated(&self, sql: &str) -> Vec<Vec<String>>;
    fn execute_migrated(&self, sql: &str);
    /// The database's own dump of the migrated database's schema.
    fn dump_migrated(&self) -> String;
}

/// What `program` prints to stdout, which must succeed.
fn dump(program: &str, args: &[&str]) -> String {
    let out = std::process::Command::new(program)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{program}: {e}"));
    assert!(
        out.status.success(),
        "{program} {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// `mariadb-dump` of the database `name` on the test server, without rows.
fn mariadb_dump(name: &str) -> String {
    let url = std::env::var("WILDEBEEST_TEST_MYSQL_URL").unwrap();
    let rest = url.trim_start_matches("mysql://");
    let (auth, host) = rest.split_once('@').unwrap();
    let host = host.split('/').next().unwrap();
    let (user, password) = auth.split_once(':').unwrap_or((auth, ""));
    let (host, port) = host.split_once(':').unwrap_or((host, "3306"));
    let password = format!("-p{password}");
    let mut args = vec![
        "-h",
        host,
        "-P",
        port,
        "-u",
        user,
        "--no-data",
        "--routines",
        "--triggers",
        "--events",
    ];
    if password.len() > 2 {
        args.push(&password);
    }
    args.push(name);
    dump("mariadb-dump", &args)
}

fn sqlite_inventory(path: &Path) -> Vec<String> {
    let conn = rusqlite::Connection::open(path).unwrap();
    query_rows(
        &conn,
        "SELECT type || ' ' || name || ' on ' || tbl_name FROM sqlite_master \
         WHERE name NOT LIKE 'sqlite_autoindex%' AND name NOT LIKE 'wildebeest%' \
         AND name <> 'sqlite_sequence' ORDER BY 1",
    )
    .into_iter()
    .map(|r| r[0].clone())
    .collect()
}

impl Inventory for SqliteSide {
    fn inventory_direct(&self) -> Vec<String> {
        sqlite_inventory(&self.direct_path())
    }
    fn inventory_migrated(&self) -> Vec<String> {
        sqlite_inventory(&self.migrated)
    }
    fn direct_url(&self) -> String {
        format!("sqlite:{}", self.direct_path().display())
    }
    fn query_migrated(&self, sql: &str) -> Vec<Vec<String>> {
        query_rows(&rusqlite::Connection::open(&self.migrated).unwrap(), sql)
    }
    fn execute_migrated(&self, sql: &str) {
        rusqlite::Connection::open(&self.migrated)
            .unwrap()
            .execute_batch(sql)
            .unwrap();
    }
    fn dump_migrated(&self) -> String {
        dump("sqlite3", &[self.migrated.to_str().unwrap(), ".schema"])
    }
}

fn pg_inventory(db: &TestDb) -> Vec<String> {
    pg_inventory_of(&|q| db.rows(q))
}

fn pg_inventory_of(rows: &dyn Fn(&str) -> Vec<Vec<String>>) -> Vec<String> {
    let ns = "(SELECT oid FROM pg_namespace WHERE nspname = current_schema())";
    let mut out: Vec<String> = rows(&format!(
            "SELECT 'relation ' || relkind::text || ' ' || relname FROM pg_class \
             WHERE relnamespace = {ns} AND relname NOT LIKE 'wildebeest%' \
             UNION ALL SELECT 'routine ' || prokind::text || ' ' || proname || '(' || \
             pg_get_function_identity_arguments(oid) || ')' FROM pg_proc WHERE pronamespace = {ns} \
             UNION ALL SELECT 'type ' || typtype::text || ' ' || typname FROM pg_type \
             WHERE typnamespace = {ns} AND typtype IN ('e', 'd', 'r', 'm') \
             UNION ALL SELECT 'trigger ' || t.tgname || ' on ' || c.relname || ' ' || t.tgenabled::text \
             FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid \
             WHERE c.relnamespace = {ns} AND NOT t.tgisinternal \
             UNION ALL SELECT 'policy ' || p.polname || ' on ' || c.relname FROM pg_policy p \
             JOIN pg_class c ON c.oid = p.polrelid WHERE c.relnamespace = {ns} \
             UNION ALL SELECT 'row security ' || relname || ' ' || relrowsecurity::text || ' ' || \
             relforcerowsecurity::text FROM pg_class WHERE relnamespace = {ns} \
             AND (relrowsecurity OR relforcerowsecurity) \
             UNION ALL SELECT 'comment ' || c.relname || ' ' || d.objsubid || ' ' || d.description \
             FROM pg_description d JOIN pg_class c ON c.oid = d.objoid \
             WHERE d.classoid = 'pg_class'::regclass AND c.relnamespace = {ns}"
        ))
        .into_iter()
        .map(|r| r[0].clone())
        .collect();
    out.sort();
    out
}

fn mysql_inventory(db: &TestDb) -> Vec<String> {
    let mut out: Vec<String> = db
        .rows(
            "SELECT CONCAT('table ', TABLE_TYPE, ' ', TABLE_NAME) FROM information_schema.TABLES \
             WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME NOT LIKE 'wildebeest%' \
             UNION ALL SELECT CONCAT('routine ', ROUTINE_TYPE, ' ', ROUTINE_NAME) \
             FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = DATABASE() \
             UNION ALL SELECT CONCAT('trigger ', TRIGGER_NAME, ' on ', EVENT_OBJECT_TABLE, ' ', \
             ACTION_TIMING, ' ', EVENT_MANIPULATION) FROM information_schema.TRIGGERS \
             WHERE TRIGGER_SCHEMA = DATABASE() \
             UNION ALL SELECT CONCAT('event ', EVENT_NAME) FROM information_schema.EVENTS \
             WHERE EVENT_SCHEMA = DATABASE()",
        )
        .into_iter()
        .map(|r| r[0].clone())
        .collect();
    out.sort();
    out
}

impl Inventory for PgSide {
    fn inventory_direct(&self) -> Vec<String> {
        pg_inventory(&self.direct)
    }
    fn inventory_migrated(&self) -> Vec<String> {
        pg_inventory(&self.migrated)
    }
    fn direct_url(&self) -> String {
        self.direct.url.clone()
    }
    fn query_migrated(&self, sql: &str) -> Vec<Vec<String>> {
        self.migrated.rows(sql)
    }
    fn execute_migrated(&self, sql: &str) {
        self.migrated.execute(sql)
    }
    fn dump_migrated(&self) -> String {
        let admin = std::env::var("WILDEBEEST_TEST_POSTGRES_URL").unwrap();
        dump(
            "pg_dump",
            &["--schema-only", "-n", &self.migrated.name, &admin],
        )
    }
}

impl Inventory for MysqlSide {
    fn inventory_direct(&self) -> Vec<String> {
        mysql_inventory(&self.direct)
    }
    fn inventory_migrated(&self) -> Vec<String> {
        mysql_inventory(&self.migrated)
    }
    fn direct_url(&self) -> String {
        self.direct.url.clone()
    }
    fn query_migrated(&self, sql: &str) -> Vec<Vec<String>> {
        self.migrated.rows(sql)
    }
    fn execute_migrated(&self, sql: &str) {
        self.migrated.execute(sql)
    }
    fn dump_migrated(&self) -> String {
        mariadb_dump(&self.migrated.name)
    }
}

/// Two databases of their own on the PostgreSQL server, for a schema that names
/// `public` as pg_dump writes it.
struct PgDatabases {
    direct: OwnDatabase,
    migrated: OwnDatabase,
}

impl Side for PgDatabases {
    fn load_directly(&self, schema: &str) -> Result<(), String> {
        let mut cmd = std::process::Command::new("psql");
        cmd.args(["-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", &self.direct.url]);
        crate::fidelity_props::run_client(cmd, schema)
    }
    fn catalog_direct(&self) -> Vec<String> {
        pg_catalog_of(&|q| self.direct.rows(q), "public")
    }
    fn catalog_migrated(&self) -> Vec<String> {
        pg_catalog_of(&|q| self.migrated.rows(q), "public")
    }
}

impl Inventory for PgDatabases {
    fn inventory_direct(&self) -> Vec<String> {
        pg_inventory_of(&|q| self.direct.rows(q))
    }
    fn inventory_migrated(&self) -> Vec<String> {
        pg_inventory_of(&|q| self.migrated.rows(q))
    }
    fn direct_url(&self) -> String {
        self.direct.url.clone()
    }
    fn query_migrated(&self, sql: &str) -> Vec<Vec<String>> {
        self.migrated.rows(sql)
    }
    fn execute_migrated(&self, sql: &str) {
        self.migrated.execute(sql)
    }
    fn dump_migrated(&self) -> String {
        dump("pg_dump", &["--schema-only", &self.migrated.url])
    }
}

trait Pair: Side + Inventory {}
impl<T: Side + Inventory> Pair for T {}

/// The project on the migrated database and the pair of databases, or `None` when
/// the server's variable is unset (the test is then skipped, visibly).
fn pair(dialect: Dialect, test: &str) -> Option<(TempProject, Box<dyn Pair>)> {
    match dialect {
        Dialect::Sqlite => {
            let p = TempProject::init();
            let side = SqliteSide {
                direct: tempfile::tempdir().unwrap(),
                migrated: p.db(),
            };
            Some((p, Box::new(side)))
        }
        Dialect::Postgres => {
            let direct = TestDb::new(Server::Postgres, &format!("{test}direct"))?;
            let migrated = TestDb::new(Server::Postgres, &format!("{test}migrated"))?;
            let p = TempProject::on(Some(&migrated));
            Some((p, Box::new(PgSide { direct, migrated })))
        }
        Dialect::PostgresPublic => {
            let admin = wildebeest_testkit::server_url("WILDEBEEST_TEST_POSTGRES_URL")?;
            let side = PgDatabases {
                direct: OwnDatabase::new(&admin),
                migrated: OwnDatabase::new(&admin),
            };
            let p = TempProject::init();
            p.write(
                "wildebeest.toml",
                &format!("database_url = \"{}\"\n", side.migrated.url),
            );
            Some((p, Box::new(side)))
        }
        Dialect::Mysql => {
            let direct = TestDb::new(Server::Mysql, &format!("{test}direct"))?;
            let migrated = TestDb::new(Server::Mysql, &format!("{test}migrated"))?;
            let p = TempProject::on(Some(&migrated));
            Some((p, Box::new(MysqlSide { direct, migrated })))
        }
    }
}

fn run_sample(name: &str, dialect: Dialect, change: &Change) {
    let Some((p, side)) = pair(dialect, name) else {
        return;
    };
    let schema = std::fs::read_to_string(sample_path(name, dialect)).unwrap();
    if let Err(e) = side.load_directly(&schema) {
        panic!("{name} ({dialect:?}): the database's own client refused the sample: {e}");
    }
    p.write("schema.sql", &schema);
    ok(&p, &["migrate", "-m", "init"]);
    ok(&p, &["upgrade"]);

    // 1. The same database, whichever way it was made.
    same(
        &format!("{name} ({dialect:?}): the objects"),
        side.inventory_direct(),
        side.inventory_migrated(),
    );
    same(
        &format!("{name} ({dialect:?}): the catalogs"),
        side.catalog_direct(),
        side.catalog_migrated(),
    );
    let direct_url = side.direct_url();
    let inspected = ok(&p, &["inspect"]);
    assert_eq!(
        ok(&p, &["inspect", "--database-url", &direct_url]),
        inspected,
        "{name} ({dialect:?}): inspect differs (loaded directly, migrated)"
    );

    // 2. Adopting the database loaded directly.
    ok(&p, &["stamp", "head", "--database-url", &direct_url]);
    ok(&p, &["check", "--database-url", &direct_url]);
    ok(&p, &["check"]);

    // 3. The database's own dump of the migrated database is the same schema.
    p.write("schema.sql", &side.dump_migrated());
    let (code, text) = run_text(&p, &["migrate", "-m", "dumped"]);
    assert_eq!(
        code, 0,
        "{name} ({dialect:?}): migrate from the dump:\n{text}"
    );
    let unknown: Vec<&str> = text
        .lines()
        .filter(|l| l.starts_with(['+', '-', '~']))
        .filter(|l| {
            !KNOWN_DUMP_DIFFERENCES
                .iter()
                .any(|(d, pattern, _)| *d == dialect && l.contains(pattern))
        })
        .collect();
    assert!(
        unknown.is_empty(),
        "{name} ({dialect:?}): migrate from the dump of the migrated database finds changes:\n{}\n\n{text}",
        unknown.join("\n")
    );
    if !text.contains("No changes") {
        // What the dump spells otherwise is the same database: the migration runs
        // and changes nothing `check` can see.
        ok(&p, &["upgrade"]);
        ok(&p, &["check"]);
        ok(&p, &["downgrade", "-1"]);
        for m in p
            .migrations()
            .iter()
            .filter(|m| m.to_string_lossy().contains("dumped"))
        {
            std::fs::remove_file(m).unwrap();
        }
        ok(&p, &["rehash"]);
    }
    p.write("schema.sql", &schema);
    ok(&p, &["check"]);

    // 4. A change to a table a view reads, with rows.
    side.execute_migrated(change.rows);
    let before = side.query_migrated(change.query);
    assert!(
        !before.is_empty(),
        "{name}: the change's query found no rows"
    );
    assert!(
        schema.contains(change.from),
        "{name} ({dialect:?}): the change's text is not in the sample"
    );
    p.write("schema.sql", &schema.replacen(change.from, change.to, 1));
    ok(&p, &["migrate", "-m", "change"]);
    ok(&p, &["upgrade"]);
    ok(&p, &["check"]);
    assert_eq!(
        side.query_migrated(change.query),
        before,
        "{name} ({dialect:?}): rows changed by the upgrade"
    );
    ok(&p, &["downgrade", "-1"]);
    assert_eq!(
        side.query_migrated(change.query),
        before,
        "{name} ({dialect:?}): rows changed by the downgrade"
    );
    assert_eq!(
        ok(&p, &["inspect"]),
        inspected,
        "{name} ({dialect:?}): the downgrade did not give the database back"
    );
}

/// What `migrate` still reads as a change when a database's own dump of a database
/// wildebeest built is `schema.sql`, by dialect: a pattern of the change's line, and
/// why. `migrate` compares without a database, and these are spellings only the
/// server can tell equal (`check`, which reads through the server, is not fooled).
const KNOWN_DUMP_DIFFERENCES: &[(Dialect, &str, &str)] = &[
    (
        Dialect::Mysql,
        " view `",
        "MySQL stores a view's query rewritten, every name quoted and qualified",
    ),
    (
        Dialect::Mysql,
        "collation none -> ",
        "the dump names each column's collation, the default of its character set \
         on this server",
    ),
    (
        Dialect::Mysql,
        "character set default -> ",
        "the dump names each table's character set, the database's default",
    ),
    (
        Dialect::Mysql,
        "collation default -> ",
        "the dump names each table's collation, the default of its character set",
    ),
];

const RENTAL_PG: Change = Change {
    from: "title varchar(255) NOT NULL,",
    to: "title varchar(300) NOT NULL,",
    rows: "INSERT INTO language (name) VALUES ('English');
           INSERT INTO category (name) VALUES ('Drama'), ('Comedy');
           INSERT INTO film (title, language_id, release_year, rating, special_features)
               VALUES ('Alpha', 1, 2001, 'PG', '{Trailers}'), ('Beta', 1, 2002, 'R', NULL);
           INSERT INTO film_category (film_id, category_id) VALUES (1, 1), (2, 2);",
    query: "SELECT fid, title, category, price, rating FROM film_list ORDER BY fid",
};

const STORE_MYSQL: Change = Change {
    from: "title VARCHAR(128) NOT NULL,",
    to: "title VARCHAR(200) NOT NULL,",
    rows: "INSERT INTO language (name) VALUES ('English');
           INSERT INTO category (name) VALUES ('Drama'), ('Comedy');
           INSERT INTO film (title, language_id, release_year, rating, special_features)
               VALUES ('Alpha', 1, 2001, 'PG', 'Trailers'), ('Beta', 1, 2002, 'R', NULL);
           INSERT INTO film_category (film_id, category_id) VALUES (1, 1), (2, 2);",
    query: "SELECT fl.fid, fl.title, fl.category, fl.price, ft.title FROM film_list fl \
            JOIN film_text ft ON ft.film_id = fl.fid ORDER BY fl.fid",
};

const STORE_PG: Change = Change {
    from: "title character varying(255) NOT NULL,",
    to: "title character varying(300) NOT NULL,",
    rows: "INSERT INTO language (name) VALUES ('English');
           INSERT INTO category (name) VALUES ('Drama'), ('Comedy');
           INSERT INTO film (title, description, language_id, release_year, rating)
               VALUES ('Alpha', 'A drama', 1, 2001, 'PG'), ('Beta', 'A comedy', 1, 2002, 'R');
           INSERT INTO film_category (film_id, category_id) VALUES (1, 1), (2, 2);
           INSERT INTO customer (first_name, last_name) VALUES ('Ann', 'Lee');
           INSERT INTO payment (customer_id, amount, payment_date) VALUES (1, 2.50, now());",
    query: "SELECT fl.fid, fl.title, fl.category, fl.price, f.fulltext::text, cl.balance
            FROM film_list fl JOIN film f ON f.film_id = fl.fid CROSS JOIN customer_list cl
            ORDER BY fl.fid",
};

const STORE_SQLITE: Change = Change {
    from: "title VARCHAR(255) NOT NULL,",
    to: "title TEXT NOT NULL,",
    rows: "INSERT INTO language (name) VALUES ('English');
           INSERT INTO category (category_id, name) VALUES (1, 'Drama'), (2, 'Comedy');
           INSERT INTO film (title, language_id, release_year, rating)
               VALUES ('Alpha', 1, '2001', 'PG'), ('Beta', 1, '2002', 'R');
           INSERT INTO film_category (film_id, category_id) VALUES (1, 1), (2, 2);",
    query: "SELECT fid, title, category, price, rating FROM film_list ORDER BY fid",
};

const MUSIC: Change = Change {
    from: "name NVARCHAR(200) NOT NULL,",
    to: "name NVARCHAR(250) NOT NULL,",
    rows: "INSERT INTO artist (artist_id, name) VALUES (1, 'Band');
           INSERT INTO album (album_id, title, artist_id) VALUES (1, 'First', 1);
           INSERT INTO media_type (media_type_id, name) VALUES (1, 'MPEG');
           INSERT INTO track (track_id, name, album_id, media_type_id, milliseconds, unit_price)
               VALUES (1, 'Song', 1, 1, 180000, 0.99), (2, 'Other', 1, 1, 200000, 1.29);",
    query: "SELECT track_id, name, unit_price FROM track ORDER BY track_id",
};

const MUSIC_PG: Change = Change {
    from: "name VARCHAR(200) NOT NULL,",
    to: "name VARCHAR(250) NOT NULL,",
    ..MUSIC
};

#[test]
fn rental_on_postgres() {
    run_sample("rental", Dialect::Postgres, &RENTAL_PG);
}

#[test]
fn store_on_mysql() {
    run_sample("store", Dialect::Mysql, &STORE_MYSQL);
}

#[test]
fn store_on_postgres() {
    run_sample("store", Dialect::Postgres, &STORE_PG);
}

#[test]
fn store_on_sqlite() {
    run_sample("store", Dialect::Sqlite, &STORE_SQLITE);
}

#[test]
fn music_on_sqlite() {
    run_sample("music", Dialect::Sqlite, &MUSIC);
}

#[test]
fn music_on_postgres() {
    run_sample("music", Dialect::Postgres, &MUSIC_PG);
}

#[test]
fn music_on_mysql() {
    run_sample("music", Dialect::Mysql, &MUSIC);
}

#[test]
fn rails_structure_on_postgres() {
    run_sample(
        "rails",
        Dialect::PostgresPublic,
        &Change {
            from: "price numeric(10,2) DEFAULT 0.0 NOT NULL,",
            to: "price numeric(12,2) DEFAULT 0.0 NOT NULL,",
            rows: "INSERT INTO products (sku, name, price, created_at, updated_at)
                       VALUES ('a-1', 'Apple', 1.50, now(), now()), ('b-2', 'Pear', 2.25, now(), now());
                   INSERT INTO page_views (path, product_id, viewed_at)
                       SELECT '/p/' || id, id, t FROM products, (VALUES
                           (timestamp '2024-06-01'), ('2025-06-01'), ('2030-01-01')) AS v (t);",
            query: "SELECT p.id, p.sku, p.name, p.price,
                           (SELECT count(*) FROM page_views_default d WHERE d.product_id = p.id),
                           (SELECT count(*) FROM page_views v WHERE v.product_id = p.id)
                    FROM active_products p ORDER BY p.id",
        },
    );
}
