//! A constraint whose name alone changes in `schema.sql` is renamed, never dropped and
//! added again: a foreign key may reference it (PostgreSQL then refuses the drop). The
//! case that broke: a table renamed while `schema.sql` keeps its constraints' old
//! names, as `pg_dump` shows them after `ALTER TABLE ... RENAME`. On each database,
//! with rows, up and down.

use predicates::str::contains;

use crate::servers::{Server, TestDb};
use crate::util::{TempProject, ok};

fn project(url: Option<&str>) -> TempProject {
    let p = TempProject::init();
    if let Some(url) = url {
        p.write("wildebeest.toml", &format!("database_url = \"{url}\"\n"));
    }
    p
}

/// The generated migration's upgrade section.
fn upgrade_section(p: &TempProject) -> String {
    let text = std::fs::read_to_string(p.migrations().pop().unwrap()).unwrap();
    let start = text.find("-- +upgrade").unwrap();
    let end = text.find("-- +downgrade").unwrap();
    text[start..end].to_string()
}

const PG_BEFORE: &str = "CREATE TABLE users (
  id integer PRIMARY KEY,
  email text UNIQUE,
  age integer CHECK (age > 0)
);
CREATE TABLE orders (id integer PRIMARY KEY, user_id integer REFERENCES users (id));
";

/// As pg_dump writes the database after `ALTER TABLE users RENAME TO people`.
const PG_AFTER: &str = "CREATE TABLE people (
  id integer NOT NULL,
  email text,
  age integer,
  CONSTRAINT users_age_check CHECK ((age > 0))
);
CREATE TABLE orders (id integer NOT NULL, user_id integer);
ALTER TABLE ONLY orders ADD CONSTRAINT orders_pkey PRIMARY KEY (id);
ALTER TABLE ONLY people ADD CONSTRAINT users_email_key UNIQUE (email);
ALTER TABLE ONLY people ADD CONSTRAINT users_pkey PRIMARY KEY (id);
ALTER TABLE ONLY orders
    ADD CONSTRAINT orders_user_id_fkey FOREIGN KEY (user_id) REFERENCES people(id);
";

#[test]
fn postgres_table_rename_keeping_old_constraint_names_keeps_the_referenced_key() {
    let Some(db) = TestDb::new(Server::Postgres, "pgconsrename") else {
        return;
    };
    let p = project(Some(&db.url));
    p.write("schema.sql", PG_BEFORE);
    ok(&p, &["migrate", "-m", "init"]);
    ok(&p, &["upgrade"]);
    db.execute("INSERT INTO users VALUES (1, 'a@x', 30); INSERT INTO orders VALUES (7, 1);");

    p.write("schema.sql", PG_AFTER);
    ok(&p, &["migrate", "-m", "rename", "--rename", "users=people"]);
    let upgrade = upgrade_section(&p);
    assert!(!upgrade.contains("DROP CONSTRAINT"), "{upgrade}");
    assert!(
        upgrade.contains("RENAME CONSTRAINT people_pkey TO users_pkey"),
        "{upgrade}"
    );
    ok(&p, &["upgrade"]);
    let names = |db: &TestDb| {
        db.rows(&format!(
            "SELECT conname FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace \
             WHERE n.nspname = '{}' AND conname NOT LIKE 'wildebeest%' ORDER BY conname",
            db.name
        ))
        .concat()
    };
    assert_eq!(
        names(&db),
        [
            "orders_pkey",
            "orders_user_id_fkey",
            "users_age_check",
            "users_email_key",
            "users_pkey"
        ]
    );
    p.cmd(&["check"]).assert().success();
    p.cmd(&["migrate", "-m", "again"])
        .assert()
        .success()
        .stdout(contains("No changes"));
    assert_eq!(db.rows("SELECT id, user_id FROM orders"), [["7", "1"]]);

    ok(&p, &["downgrade", "-1"]);
    assert_eq!(
        names(&db),
        [
            "orders_pkey",
            "orders_user_id_fkey",
            "users_age_check",
            "users_email_key",
            "users_pkey"
        ]
    );
    assert_eq!(db.rows("SELECT id, email FROM users"), [["1", "a@x"]]);
    ok(&p, &["upgrade"]);
    p.cmd(&["check"]).assert().success();
}

const RENAMED_BEFORE: &str = "CREATE TABLE p (
  id integer NOT NULL PRIMARY KEY,
  code varchar(10) NOT NULL,
  CONSTRAINT p_code_key UNIQUE (code),
  CONSTRAINT p_code_check CHECK (code <> '')
);
CREATE TABLE c (
  id integer NOT NULL PRIMARY KEY,
  code varchar(10),
  CONSTRAINT c_code_fkey FOREIGN KEY (code) REFERENCES p (code)
);
";

fn renamed_after() -> String {
    RENAMED_BEFORE
        .replace("p_code_key", "p_code_unique")
        .replace("p_code_check", "p_code_not_empty")
        .replace("c_code_fkey", "c_code_ref")
}

/// A unique constraint a foreign key references, the key and a check, each renamed in
/// schema.sql: on every database the rows stay and `check` is clean, up and down.
#[test]
fn constraint_renamed_in_schema_sql_is_renamed_on_every_database() {
    let dbs: Vec<Option<TestDb>> = vec![
        TestDb::new(Server::Postgres, "consrename"),
        TestDb::new(Server::Mysql, "consrename"),
    ];
    let mut urls: Vec<Option<String>> = vec![None];
    urls.extend(dbs.iter().flatten().map(|db| Some(db.url.clone())));
    for url in urls {
        let p = project(url.as_deref());
        p.write("schema.sql", RENAMED_BEFORE);
        ok(&p, &["migrate", "-m", "init"]);
        ok(&p, &["upgrade"]);
        let insert = "INSERT INTO p VALUES (1, 'a'); INSERT INTO c VALUES (2, 'a');";
        match &url {
            None => p.conn().execute_batch(insert).unwrap(),
            Some(url) => dbs
                .iter()
                .flatten()
                .find(|db| &db.url == url)
                .unwrap()
                .execute(insert),
        }
        p.write("schema.sql", &renamed_after());
        let out = ok(&p, &["migrate", "-m", "names"]);
        assert!(out.contains("renamed unique constraint"), "{url:?}: {out}");
        ok(&p, &["upgrade"]);
        p.cmd(&["check"]).assert().success();
        p.cmd(&["migrate", "-m", "again"])
            .assert()
            .success()
            .stdout(contains("No changes"));
        ok(&p, &["downgrade", "-1"]);
        let count = "SELECT count(*) FROM c JOIN p ON p.code = c.code";
        let rows = match &url {
            None => p.rows(count),
            Some(url) => dbs
                .iter()
                .flatten()
                .find(|db| &db.url == url)
                .unwrap()
                .rows(count),
        };
        assert_eq!(rows, [["1"]], "{url:?}");
        ok(&p, &["upgrade"]);
        p.write("schema.sql", &renamed_after());
        p.cmd(&["check"]).assert().success();
    }
}
