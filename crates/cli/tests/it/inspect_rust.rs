//! `inspect --as rust`: a database made by hand printed as Rust models. The proof
//! is a round trip: the printed structs, built in a package outside the workspace,
//! render through `wildebeest::Models` the very text `inspect` prints as SQL; and
//! what the derives cannot say is refused by name.

use crate::outside::{Package, path_dependency};
use crate::servers::{Server, TestDb};
use crate::util::TempProject;

/// A SQLite schema using each attribute the printer writes: a rowid key with
/// `AUTOINCREMENT`, `sql_type`, `max_length`, field and struct `unique`, field and
/// struct `index` (named and not), `default`, `references` with actions, `check`,
/// a composite primary key, a raw identifier and a column name that is none.
const SQLITE_SCHEMA: &str = r#"
CREATE TABLE departments (
    id INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    name VARCHAR(100) NOT NULL UNIQUE,
    budget NUMERIC(12, 2) DEFAULT 0,
    code INT
);
CREATE TABLE employees (
    id BIGINT NOT NULL PRIMARY KEY,
    department_id INTEGER REFERENCES departments (id) ON DELETE SET NULL ON UPDATE CASCADE,
    "type" TEXT NOT NULL DEFAULT 'staff',
    "First Name" TEXT NOT NULL,
    hired_on DATE,
    seen_at TIMESTAMP,
    active BOOLEAN NOT NULL DEFAULT 1,
    rating REAL,
    score DOUBLE PRECISION,
    age SMALLINT,
    photo BLOB,
    settings JSON,
    CHECK (age >= 16),
    UNIQUE ("type", "First Name")
);
CREATE INDEX employees_hired_on_idx ON employees (hired_on);
CREATE INDEX by_type ON employees ("type", department_id);
CREATE INDEX employees_age_rating_idx ON employees (age, rating);
CREATE TABLE assignments (
    employee_id BIGINT NOT NULL REFERENCES employees (id) ON DELETE CASCADE,
    project VARCHAR(40) NOT NULL,
    hours INTEGER NOT NULL,
    PRIMARY KEY (employee_id, project)
);
"#;

/// The stand-ins for the crates whose types the printed fields name: the derive
/// knows them by path, so the package needs none of those crates.
const STAND_INS: &str = r#"
#[allow(dead_code)]
mod chrono {
    pub struct NaiveDate;
    pub struct NaiveTime;
    pub struct NaiveDateTime;
    pub struct DateTime<T>(T);
    pub struct Utc;
}
#[allow(dead_code)]
mod uuid {
    pub struct Uuid;
}
#[allow(dead_code)]
mod serde_json {
    pub struct Value;
}
"#;

fn inspect(p: &TempProject, url: &str, language: &str) -> std::process::Output {
    p.cmd(&["inspect", "--database-url", url, "--as", language])
        .output()
        .unwrap()
}

fn ok_text(out: std::process::Output) -> String {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// `inspect`'s SQL text without its comment line and the blank line after it: what
/// `Models::schema_sql` writes for the same schema.
fn statements(sql: &str) -> &str {
    let (first, rest) = sql.split_once('\n').unwrap();
    assert!(first.starts_with("-- "), "{sql}");
    rest.strip_prefix('\n').unwrap()
}

#[test]
fn sqlite_models_printed_by_inspect_render_the_same_schema() {
    let p = TempProject::new();
    let conn = rusqlite::Connection::open(p.path().join("raw.db")).unwrap();
    conn.execute_batch(SQLITE_SCHEMA).unwrap();
    drop(conn);
    let url = format!("sqlite:{}", p.path().join("raw.db").display());
    let sql = ok_text(inspect(&p, &url, "sql"));
    let rust = ok_text(inspect(&p, &url, "rust"));
    // Deterministic: the same database, the same text.
    assert_eq!(rust, ok_text(inspect(&p, &url, "rust")));
    insta::assert_snapshot!("inspect_rust_sqlite", rust);

    // In the same build, the golden texts of the other databases: the derives take
    // them as printed (their round trip is the command's own check, as rendering
    // them needs those backends).
    let mut main = format!(
        "{STAND_INS}\n#[allow(dead_code, non_snake_case)]\nmod models {{\n\
         use super::{{chrono, serde_json, uuid}};\n{rust}}}\n\n\
         fn main() {{\n    \
         print!(\"{{}}\", models::models().schema_sql(wildebeest::Dialect::Sqlite).unwrap());\n}}\n"
    );
    for server in ["postgres", "mysql"] {
        let snap = std::fs::read_to_string(format!(
            "{}/tests/it/snapshots/it__inspect_rust__inspect_rust_{server}.snap",
            env!("CARGO_MANIFEST_DIR")
        ))
        .unwrap();
        let text = snap.splitn(3, "---\n").nth(2).unwrap();
        main.push_str(&format!(
            "\n#[allow(dead_code, non_snake_case)]\nmod {server} {{\n\
             use super::{{chrono, serde_json, uuid}};\n{text}}}\n"
        ));
    }
    let app = Package::new(
        "inspect-rust",
        &path_dependency("wildebeest", "crates/wildebeest", &["sqlite"]),
        &main,
    );
    let binary = app.build();
    let out = std::process::Command::new(binary).output().unwrap();
    let rendered = ok_text(out);
    assert_eq!(rendered, statements(&sql));
}

#[test]
fn postgres_models_printed_by_inspect_name_their_enum_types() {
    let Some(db) = TestDb::new(Server::Postgres, "inspect_rust_pg") else {
        return;
    };
    db.execute(
        "CREATE TYPE feeling AS ENUM ('happy', 'so-so', 'Grumpy');
         CREATE TABLE members (
             id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
             mood feeling NOT NULL DEFAULT 'happy',
             moods feeling[],
             email VARCHAR(200) NOT NULL UNIQUE,
             joined TIMESTAMP WITH TIME ZONE,
             address INET,
             external UUID
         );",
    );
    let p = TempProject::new();
    // The command checks its text renders back to the schema before printing it.
    let rust = ok_text(inspect(&p, &db.url, "rust"));
    insta::assert_snapshot!("inspect_rust_postgres", rust);
}

#[test]
fn mysql_models_printed_by_inspect_render_the_same_schema() {
    let Some(db) = TestDb::new(Server::Mysql, "inspect_rust_my") else {
        return;
    };
    // The constraints carry the names wildebeest gives them (`t_col_key`,
    // `t_col_fkey`), which inspection reads back as no name.
    db.execute(
        "CREATE TABLE teams (
             id INT NOT NULL AUTO_INCREMENT PRIMARY KEY,
             name VARCHAR(50) NOT NULL,
             CONSTRAINT teams_name_key UNIQUE (name)
         );
         CREATE TABLE players (
             id BIGINT NOT NULL PRIMARY KEY,
             team_id INT,
             position ENUM('goal', 'field') NOT NULL,
             score DECIMAL(6, 1) DEFAULT 0,
             INDEX players_by_score (score),
             CONSTRAINT players_team_id_fkey FOREIGN KEY (team_id) REFERENCES teams (id) ON DELETE CASCADE
         );",
    );
    let p = TempProject::new();
    // The command checks its text renders back to the schema before printing it.
    let rust = ok_text(inspect(&p, &db.url, "rust"));
    insta::assert_snapshot!("inspect_rust_mysql", rust);

    // A name MySQL made itself is a name the derive cannot write: refused.
    db.execute("CREATE TABLE coaches (team_id INT, FOREIGN KEY (team_id) REFERENCES teams (id));");
    let out = inspect(&p, &db.url, "rust");
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains(
            "table `coaches`: the foreign key (team_id) to `teams` is named `coaches_ibfk_1`"
        ),
        "{stderr}"
    );
}

#[test]
fn what_the_derives_cannot_say_is_refused_by_name() {
    let p = TempProject::new();
    let conn = rusqlite::Connection::open(p.path().join("raw.db")).unwrap();
    conn.execute_batch(
        "CREATE TABLE a (
             id INTEGER PRIMARY KEY,
             x INT,
             y TEXT COLLATE NOCASE,
             z INT GENERATED ALWAYS AS (x + 1),
             CONSTRAINT positive CHECK (x > 0)
         );
         CREATE UNIQUE INDEX a_y ON a (y);
         CREATE INDEX a_some ON a (x) WHERE x > 1;
         CREATE INDEX a_lower ON a (lower(y));
         CREATE VIEW v AS SELECT id FROM a;
         CREATE TABLE b (p INT, q INT, FOREIGN KEY (p, q) REFERENCES a (id, x));
         CREATE TABLE c (k INT PRIMARY KEY) WITHOUT ROWID;",
    )
    .unwrap();
    drop(conn);
    let url = format!("sqlite:{}", p.path().join("raw.db").display());
    let out = inspect(&p, &url, "rust");
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(out.stdout.is_empty());
    for named in [
        "view `v`",
        "table `a`: index `a_some` is partial",
        "table `a`: index `a_y` is a unique index",
        "table `a`: index `a_lower` is on `lower(y)`, which is no plain column",
        "table `a`: the check constraint `positive` is named",
        "table `a`: column `y` has collation NOCASE",
        "table `a`: column `z` is generated",
        "table `b`: the foreign key (p, q) to `a` is over several columns",
        "table `c`: WITHOUT ROWID",
    ] {
        assert!(stderr.contains(named), "{named}: {stderr}");
    }
    assert!(stderr.contains("9 things"), "{stderr}");
}

#[test]
fn a_difference_the_attributes_cannot_say_is_refused_not_printed() {
    // SQLite keeps a key column that is not the rowid nullable unless NOT NULL is
    // written; a model's key is always NOT NULL.
    let p = TempProject::new();
    let conn = rusqlite::Connection::open(p.path().join("raw.db")).unwrap();
    conn.execute_batch("CREATE TABLE t (code TEXT PRIMARY KEY);")
        .unwrap();
    drop(conn);
    let url = format!("sqlite:{}", p.path().join("raw.db").display());
    let out = inspect(&p, &url, "rust");
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("would not make the database's schema exactly"),
        "{stderr}"
    );
    assert!(stderr.contains("`t.code`: now NOT NULL"), "{stderr}");
}

#[test]
fn skip_unsupported_leaves_the_objects_beside_the_tables_out_of_the_models() {
    let p = TempProject::new();
    let conn = rusqlite::Connection::open(p.path().join("raw.db")).unwrap();
    conn.execute_batch(
        "CREATE TABLE a (id INTEGER NOT NULL PRIMARY KEY, x INT);
         CREATE VIEW v AS SELECT x FROM a;
         CREATE TRIGGER tr AFTER INSERT ON a BEGIN UPDATE a SET x = 1; END;",
    )
    .unwrap();
    drop(conn);
    let url = format!("sqlite:{}", p.path().join("raw.db").display());
    let refused = inspect(&p, &url, "rust");
    let stderr = String::from_utf8(refused.stderr).unwrap();
    assert_eq!(refused.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("2 things that Rust models cannot say: view `v`; trigger `tr`"),
        "{stderr}"
    );
    assert!(stderr.contains("pass --skip-unsupported"), "{stderr}");

    let out = p
        .cmd(&[
            "inspect",
            "--database-url",
            &url,
            "--as",
            "rust",
            "--skip-unsupported",
        ])
        .output()
        .unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(out.status.success(), "{stderr}");
    assert!(stderr.contains("left out view `v`"), "{stderr}");
    assert!(stderr.contains("left out trigger `tr`"), "{stderr}");
    let rust = String::from_utf8(out.stdout).unwrap();
    assert!(rust.contains("pub struct A {"), "{rust}");
    assert!(
        !rust.contains("trigger") && !rust.contains("view"),
        "{rust}"
    );
}

#[test]
fn a_postgres_domain_is_refused_by_name() {
    let Some(db) = TestDb::new(Server::Postgres, "inspect_rust_domain") else {
        return;
    };
    db.execute(
        "CREATE DOMAIN positive AS integer CHECK (VALUE > 0);\n\
         CREATE TABLE t (id integer PRIMARY KEY, n positive);",
    );
    let p = TempProject::new();
    let out = inspect(&p, &db.url, "rust");
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(out.stdout.is_empty());
    assert!(stderr.contains("domain `positive`"), "{stderr}");
}

/// A comment on a table's constraint or index is the table's, which the derives
/// cannot say: refused by name.
#[test]
fn a_postgres_comment_on_a_constraint_or_index_is_refused_by_name() {
    let Some(db) = TestDb::new(Server::Postgres, "inspect_rust_comment") else {
        return;
    };
    db.execute(
        "CREATE TABLE t (id integer PRIMARY KEY, n integer CONSTRAINT n_pos CHECK (n > 0));\n\
         CREATE INDEX t_n ON t (n);\n\
         COMMENT ON CONSTRAINT n_pos ON t IS 'positive';\n\
         COMMENT ON INDEX t_n IS 'by n';",
    );
    let p = TempProject::new();
    let out = inspect(&p, &db.url, "rust");
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(out.stdout.is_empty());
    assert!(
        stderr.contains("the comment on constraint `n_pos` on `t`"),
        "{stderr}"
    );
    assert!(stderr.contains("the comment on index `t_n`"), "{stderr}");
}

#[test]
fn postgres_composite_and_range_types_are_refused_by_name() {
    let Some(db) = TestDb::new(Server::Postgres, "inspect_rust_ctype") else {
        return;
    };
    db.execute(
        "CREATE TYPE pair AS (a integer, b integer);\n\
         CREATE TYPE span AS RANGE (SUBTYPE = integer);\n\
         CREATE TABLE t (id integer PRIMARY KEY, p pair, s span);",
    );
    let p = TempProject::new();
    let out = inspect(&p, &db.url, "rust");
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(out.stdout.is_empty());
    assert!(stderr.contains("composite type `pair`"), "{stderr}");
    assert!(stderr.contains("range type `span`"), "{stderr}");
}

#[test]
fn a_postgres_sequence_of_its_own_is_refused_by_name() {
    let Some(db) = TestDb::new(Server::Postgres, "inspect_rust_sequence") else {
        return;
    };
    db.execute(
        "CREATE SEQUENCE ticket START 100;\n\
         CREATE TABLE t (id bigint PRIMARY KEY DEFAULT nextval('ticket'), s serial);",
    );
    let p = TempProject::new();
    let out = inspect(&p, &db.url, "rust");
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(out.stdout.is_empty());
    assert!(stderr.contains("sequence `ticket`"), "{stderr}");
    // The serial's sequence is its column's, not named.
    assert!(!stderr.contains("t_s_seq"), "{stderr}");
}

#[test]
fn a_postgres_partitioned_table_is_refused_by_name() {
    let Some(db) = TestDb::new(Server::Postgres, "inspect_rust_parts") else {
        return;
    };
    db.execute(
        "CREATE TABLE t (id integer NOT NULL, at date NOT NULL) PARTITION BY RANGE (at);\n\
         CREATE TABLE t1 PARTITION OF t FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');",
    );
    let p = TempProject::new();
    let out = inspect(&p, &db.url, "rust");
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(out.stdout.is_empty());
    assert!(
        stderr.contains("table `t`: PARTITION BY RANGE (at)")
            && stderr.contains(
                "table `t1`: PARTITION OF t FOR VALUES FROM ('2024-01-01') TO ('2025-01-01')"
            ),
        "{stderr}"
    );
}

#[test]
fn a_postgres_exclusion_constraint_and_no_inherit_check_are_refused_by_name() {
    let Some(db) = TestDb::new(Server::Postgres, "inspect_rust_excl") else {
        return;
    };
    db.execute(
        "CREATE TABLE t (id integer PRIMARY KEY, during tstzrange, n integer,
             CHECK (n > 0) NO INHERIT, EXCLUDE USING gist (during WITH &&));",
    );
    let p = TempProject::new();
    let out = inspect(&p, &db.url, "rust");
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(out.stdout.is_empty());
    assert!(
        stderr.contains(
            "table `t`: it has the exclusion constraint `t_during_excl` \
             (EXCLUDE USING gist (during WITH &&))"
        ) && stderr.contains("table `t`: check (n > 0) is NO INHERIT"),
        "{stderr}"
    );
}

/// An aggregate is printed by `inspect` as SQL (written from `pg_aggregate`) and
/// refused by name by `--as rust`, which has no derive for one.
#[test]
fn a_postgres_aggregate_is_printed_as_sql_and_refused_as_rust() {
    let Some(db) = TestDb::new(Server::Postgres, "inspect_rust_agg") else {
        return;
    };
    db.execute(
        "CREATE TABLE t (id int PRIMARY KEY, n int NOT NULL);
         CREATE AGGREGATE total(int4) (SFUNC = int4pl, STYPE = int4, INITCOND = '0',
             PARALLEL = SAFE);",
    );
    let p = TempProject::new();
    let sql = ok_text(inspect(&p, &db.url, "sql"));
    assert!(
        sql.contains(
            "CREATE AGGREGATE total(integer) (SFUNC = int4pl, STYPE = integer, \
             INITCOND = '0', PARALLEL = SAFE);"
        ),
        "{sql}"
    );
    let out = inspect(&p, &db.url, "rust");
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("aggregate `total(integer)`"), "{stderr}");
}
