//! Adopting a database made by hand: `inspect` and `init --from-database` on the
//! three databases. The round trip is the proof: a database built with raw SQL is
//! adopted, `check` passes and `migrate` has nothing to write, the written migration
//! builds an empty database that `inspect` reads back byte for byte as the first, and
//! each kind of object the model cannot hold is refused by name.

use crate::servers::{Server, TestDb};
use crate::util::TempProject;

/// What a run printed and how it ended.
struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn run(p: &TempProject, args: &[&str]) -> Run {
    let out = p.cmd(args).output().unwrap();
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8(out.stdout).unwrap(),
        stderr: String::from_utf8(out.stderr).unwrap(),
    }
}

fn ok(p: &TempProject, args: &[&str]) -> String {
    let r = run(p, args);
    assert_eq!(r.code, 0, "{args:?}: {}{}", r.stdout, r.stderr);
    r.stdout
}

/// Adopts the database at `url` in a new project, then checks what adoption
/// promises: `check` exits 0, `migrate` finds nothing, and the migration builds the
/// database at `fresh_url` (empty) into one `inspect` reads as the same text.
/// Returns the text.
fn round_trip(url: &str, fresh_url: &str) -> String {
    let scratch = TempProject::new();
    let text = ok(&scratch, &["inspect", "--database-url", url]);
    // Deterministic: the same database, the same text.
    assert_eq!(text, ok(&scratch, &["inspect", "--database-url", url]));

    let p = TempProject::new();
    let out = ok(&p, &["init", "--from-database", url]);
    assert!(out.contains("Stamped "), "{out}");
    assert_eq!(p.read("schema.sql"), text);
    assert_eq!(p.migrations().len(), 1);
    let check = run(&p, &["check"]);
    assert_eq!(check.code, 0, "check: {}{}", check.stdout, check.stderr);
    let migrate = ok(&p, &["migrate", "-m", "nothing"]);
    assert!(migrate.starts_with("No changes"), "{migrate}");
    let upgrade = ok(&p, &["upgrade", "--database-url", url]);
    assert!(upgrade.contains("Nothing to do"), "{upgrade}");

    // The migration on an empty database makes the same schema.
    ok(&p, &["upgrade", "--database-url", fresh_url]);
    let again = ok(&p, &["inspect", "--database-url", fresh_url]);
    assert_eq!(again, text, "the migration does not rebuild the database");
    let fresh_check = run(&p, &["check", "--database-url", fresh_url]);
    assert_eq!(
        fresh_check.code, 0,
        "{}{}",
        fresh_check.stdout, fresh_check.stderr
    );
    text
}

fn sqlite_url(p: &TempProject, name: &str) -> String {
    format!("sqlite:{}", p.path().join(name).display())
}

const SQLITE_SCHEMA: &str = r#"
CREATE TABLE "Users" (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    "Email" TEXT NOT NULL UNIQUE,
    "order" INTEGER NOT NULL DEFAULT 0 CHECK ("order" >= 0),
    "select" TEXT DEFAULT 'it''s',
    created_at TEXT DEFAULT CURRENT_TIMESTAMP
);
CREATE TABLE orgs (
    region TEXT NOT NULL,
    code INTEGER NOT NULL,
    name VARCHAR(80) COLLATE NOCASE,
    PRIMARY KEY (region, code)
) WITHOUT ROWID;
CREATE TABLE "Members" (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES "Users" (id) ON DELETE CASCADE,
    org_region TEXT,
    org_code INTEGER,
    share NUMERIC(5, 2) DEFAULT 1.5,
    CONSTRAINT member_org FOREIGN KEY (org_region, org_code) REFERENCES orgs (region, code)
        ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT share_range CHECK (share BETWEEN 0 AND 100)
);
CREATE TABLE typed (a INTEGER NOT NULL, b TEXT, c REAL, d BLOB, e ANY) STRICT;
CREATE INDEX members_lower_region ON "Members" (lower(org_region));
CREATE UNIQUE INDEX members_one_per_org ON "Members" (user_id, org_code) WHERE org_code IS NOT NULL;
CREATE INDEX "Users by date" ON "Users" (created_at DESC, id);
CREATE VIEW member_emails AS SELECT m.id, u."Email" FROM "Members" m JOIN "Users" u ON u.id = m.user_id;
CREATE TRIGGER "Members gone" AFTER DELETE ON "Members"
WHEN old.share > 0
BEGIN
    UPDATE "Users" SET "order" = "order" - 1 WHERE id = old.user_id;
END;
"#;

#[test]
fn a_sqlite_database_made_by_hand_is_adopted_and_rebuilt_byte_for_byte() {
    let p = TempProject::new();
    let conn = rusqlite::Connection::open(p.path().join("raw.db")).unwrap();
    conn.execute_batch(SQLITE_SCHEMA).unwrap();
    drop(conn);
    let text = round_trip(&sqlite_url(&p, "raw.db"), &sqlite_url(&p, "fresh.db"));
    insta::assert_snapshot!("sqlite", text);
}

#[test]
fn inspect_writes_the_file_named_by_output() {
    let p = TempProject::new();
    let conn = rusqlite::Connection::open(p.path().join("raw.db")).unwrap();
    conn.execute_batch("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT);")
        .unwrap();
    drop(conn);
    let url = sqlite_url(&p, "raw.db");
    let stdout = ok(&p, &["inspect", "--database-url", &url]);
    assert_eq!(
        ok(&p, &["inspect", "--database-url", &url, "-o", "out.sql"]),
        ""
    );
    assert_eq!(p.read("out.sql"), stdout);
    assert!(stdout.contains("CREATE TABLE t ("), "{stdout}");
}

#[test]
fn inspect_leaves_out_wildebeests_own_tables() {
    let p = TempProject::init();
    p.write("schema.sql", "CREATE TABLE t (id INTEGER PRIMARY KEY);\n");
    ok(&p, &["migrate", "-m", "t"]);
    ok(&p, &["upgrade"]);
    let text = ok(&p, &["inspect"]);
    assert!(!text.contains("wildebeest_"), "{text}");
    assert!(text.contains("CREATE TABLE t ("), "{text}");
}

/// Each SQLite kind the model cannot hold: the setup, and the words naming it.
const SQLITE_REFUSED: &[(&str, &str, bool)] = &[
    (
        "CREATE VIRTUAL TABLE docs USING fts5(body)",
        "virtual table `docs`",
        true,
    ),
    // A generated column is modeled (tests/it/generated.rs adopts one); a
    // conflict clause is not.
    (
        "CREATE TABLE g (a INTEGER UNIQUE ON CONFLICT REPLACE)",
        "table `g`: column a: ON CONFLICT REPLACE",
        false,
    ),
];

#[test]
fn each_sqlite_object_the_model_cannot_hold_is_refused_by_name() {
    for (setup, named, skippable) in SQLITE_REFUSED {
        let p = TempProject::new();
        let conn = rusqlite::Connection::open(p.path().join("raw.db")).unwrap();
        conn.execute_batch("CREATE TABLE t (id INTEGER PRIMARY KEY);")
            .unwrap();
        conn.execute_batch(setup).unwrap();
        drop(conn);
        let url = sqlite_url(&p, "raw.db");
        refused(&p, &url, named, *skippable);
    }
}

/// `inspect` on `url` exits 2 naming `named`; with `--skip-unsupported` it exits 0
/// and names it on stderr when `skippable`, else still exits 2; `init
/// --from-database` writes nothing and leaves the database without version tables.
fn refused(p: &TempProject, url: &str, named: &str, skippable: bool) {
    let r = run(p, &["inspect", "--database-url", url]);
    assert_eq!(r.code, 2, "{named}: {}{}", r.stdout, r.stderr);
    assert!(r.stderr.contains(named), "{named}: {}", r.stderr);
    assert_eq!(r.stdout, "");
    let skip = run(p, &["inspect", "--database-url", url, "--skip-unsupported"]);
    if skippable {
        assert_eq!(skip.code, 0, "{named}: {}", skip.stderr);
        assert!(
            skip.stderr.contains(&format!("left out {named}")),
            "{named}: {}",
            skip.stderr
        );
        assert!(skip.stdout.contains("CREATE TABLE t"), "{}", skip.stdout);
    } else {
        assert_eq!(skip.code, 2, "{named}: {}", skip.stdout);
        assert!(skip.stderr.contains(named), "{named}: {}", skip.stderr);
    }
    let adopt = TempProject::new();
    let r = run(&adopt, &["init", "--from-database", url]);
    assert_eq!(r.code, 2, "{named}: {}{}", r.stdout, r.stderr);
    assert!(r.stderr.contains(named), "{named}: {}", r.stderr);
    assert_eq!(
        std::fs::read_dir(adopt.path()).unwrap().count(),
        0,
        "init wrote files on error"
    );
    let after = run(p, &["current", "--database-url", url]);
    assert!(
        !after.stdout.contains("Stamped"),
        "{}{}",
        after.stdout,
        after.stderr
    );
}

#[test]
fn init_from_database_with_skip_unsupported_keeps_the_objects_out_and_check_passes() {
    let p = TempProject::new();
    let conn = rusqlite::Connection::open(p.path().join("raw.db")).unwrap();
    conn.execute_batch(
        "CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT);
         CREATE VIRTUAL TABLE docs USING fts5(body);",
    )
    .unwrap();
    drop(conn);
    let adopt = TempProject::new();
    let url = sqlite_url(&p, "raw.db");
    let r = run(
        &adopt,
        &["init", "--from-database", &url, "--skip-unsupported"],
    );
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert!(
        r.stderr.contains("left out virtual table `docs`"),
        "{}",
        r.stderr
    );
    assert!(!adopt.read("schema.sql").contains("VIRTUAL"));
    ok(&adopt, &["check"]);
}

#[test]
fn init_from_database_overwrites_nothing_and_leaves_the_database_alone() {
    let p = TempProject::new();
    let conn = rusqlite::Connection::open(p.path().join("raw.db")).unwrap();
    conn.execute_batch("CREATE TABLE t (id INTEGER PRIMARY KEY);")
        .unwrap();
    drop(conn);
    let url = sqlite_url(&p, "raw.db");
    let adopt = TempProject::new();
    adopt.write("schema.sql", "-- mine\n");
    adopt.write("migrations/old.sql", "-- mine\n");
    let r = run(&adopt, &["init", "--from-database", &url]);
    assert_eq!(r.code, 2, "{}{}", r.stdout, r.stderr);
    assert!(r.stderr.contains("schema.sql"), "{}", r.stderr);
    assert!(r.stderr.contains("migrations/"), "{}", r.stderr);
    assert_eq!(adopt.read("schema.sql"), "-- mine\n");
    assert!(!adopt.path().join("wildebeest.toml").exists());
    let conn = rusqlite::Connection::open(p.path().join("raw.db")).unwrap();
    let tables = crate::util::query_rows(
        &conn,
        "SELECT name FROM sqlite_master WHERE name LIKE 'wildebeest%'",
    );
    assert!(tables.is_empty(), "{tables:?}");
}

#[test]
fn init_from_database_refuses_a_database_wildebeest_already_manages() {
    let p = TempProject::init();
    p.write("schema.sql", "CREATE TABLE t (id INTEGER PRIMARY KEY);\n");
    ok(&p, &["migrate", "-m", "t"]);
    ok(&p, &["upgrade"]);
    let adopt = TempProject::new();
    let url = format!("sqlite:{}", p.db().display());
    let r = run(&adopt, &["init", "--from-database", &url]);
    assert_eq!(r.code, 2, "{}{}", r.stdout, r.stderr);
    assert!(r.stderr.contains("already managed"), "{}", r.stderr);
}

const POSTGRES_SCHEMA: &str = r#"
CREATE TYPE mood AS ENUM ('happy', 'sad', 'it''s complicated');
CREATE FUNCTION not_blank(t text) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$ SELECT t <> '' $$;
CREATE FUNCTION not_blank(n integer) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$ SELECT n <> 0 $$;
CREATE PROCEDURE "Touch"(INOUT n integer, VARIADIC tags text[]) LANGUAGE plpgsql AS $body$
BEGIN
    n := n + 1; -- a semicolon inside
END
$body$;
CREATE TABLE "UserAccounts" (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    "Email" VARCHAR(200) NOT NULL,
    "order" INTEGER NOT NULL DEFAULT 0 CHECK ("order" >= 0),
    "user" TEXT COLLATE "C",
    feeling mood NOT NULL DEFAULT 'happy',
    past mood[],
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    tags TEXT[] DEFAULT '{}',
    doc JSONB,
    price NUMERIC(10, 2) DEFAULT 9.99,
    CONSTRAINT "UserAccounts_email_key" UNIQUE ("Email")
);
CREATE TABLE orgs (
    region TEXT NOT NULL,
    code INTEGER NOT NULL,
    serial_no SERIAL,
    name TEXT,
    PRIMARY KEY (region, code),
    CONSTRAINT name_not_blank CHECK (name <> ''),
    CONSTRAINT region_not_blank CHECK (not_blank(region))
);
CREATE TABLE members (
    id INTEGER GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES "UserAccounts" (id) ON DELETE CASCADE,
    org_region TEXT,
    org_code INTEGER,
    CONSTRAINT member_org FOREIGN KEY (org_region, org_code) REFERENCES orgs (region, code)
        ON DELETE SET NULL ON UPDATE CASCADE DEFERRABLE INITIALLY DEFERRED,
    UNIQUE (user_id, org_code)
);
CREATE UNIQUE INDEX members_once ON members (user_id, org_region) NULLS NOT DISTINCT;
CREATE INDEX members_lower_region ON members (lower(org_region));
CREATE UNIQUE INDEX members_one_per_org ON members (user_id, org_code) WHERE org_code IS NOT NULL;
CREATE INDEX "UserAccounts by date" ON "UserAccounts" (created_at DESC NULLS LAST, id);
CREATE INDEX user_doc ON "UserAccounts" USING gin (doc);
CREATE VIEW happy_members AS
    SELECT m.id, u."Email" FROM members m JOIN "UserAccounts" u ON u.id = m.user_id
    WHERE u.feeling = 'happy';
CREATE FUNCTION happy_count() RETURNS bigint LANGUAGE sql STABLE AS 'SELECT count(*) FROM happy_members';
COMMENT ON TABLE orgs IS 'Organisations; a region''s codes are its own';
COMMENT ON COLUMN "UserAccounts"."Email" IS 'Where receipts go';
"#;

#[test]
fn a_postgres_database_made_by_hand_is_adopted_and_rebuilt_byte_for_byte() {
    let Some(db) = TestDb::new(Server::Postgres, "adopt_pg") else {
        return;
    };
    let Some(fresh) = TestDb::new(Server::Postgres, "adopt_pg_fresh") else {
        return;
    };
    db.execute(POSTGRES_SCHEMA);
    let text = round_trip(&db.url, &fresh.url);
    insta::assert_snapshot!("postgres", text);
}

/// Each PostgreSQL kind the model cannot hold: the setup, the words naming it, and
/// whether `--skip-unsupported` leaves it out.
const POSTGRES_REFUSED: &[(&str, &str, bool)] = &[
    // Aggregates are modeled (tests/it/pg_dump.rs adopts them). Triggers, policies
    // and rules are modeled (tests/it/pg_triggers.rs, pg_dump.rs), and so are
    // domains, sequences, composite and range types (tests/it/domains.rs,
    // sequences.rs and composite_types.rs adopt them); a range type's `CANONICAL`
    // function, which only C can write, is not, nor a rule whose firing is set apart.
    (
        "CREATE RULE quiet AS ON DELETE TO t DO INSTEAD NOTHING; \
         ALTER TABLE t DISABLE RULE quiet",
        "rule set to `DISABLE`, `ENABLE REPLICA` or `ENABLE ALWAYS` `t.quiet`",
        true,
    ),
    // Comments on the objects the model holds are modeled (tests/it/pg_dump.rs adopts
    // them, and materialized views' indexes, keys' indexes and serials' sequences).
    (
        "CREATE TABLE n (a integer, CONSTRAINT n_a UNIQUE NULLS NOT DISTINCT (a))",
        "table `n`: CONSTRAINT n_a UNIQUE NULLS NOT DISTINCT (a)",
        false,
    ),
    (
        "CREATE TABLE u (a integer) ; ALTER TABLE u SET UNLOGGED",
        "table `u`: UNLOGGED",
        false,
    ),
];

#[test]
fn each_postgres_object_the_model_cannot_hold_is_refused_by_name() {
    for (setup, named, skippable) in POSTGRES_REFUSED {
        let Some(db) = TestDb::new(Server::Postgres, "adopt_pg_refused") else {
            return;
        };
        db.execute("CREATE TABLE t (id integer PRIMARY KEY)");
        db.execute(setup);
        let p = TempProject::new();
        refused(&p, &db.url, named, *skippable);
    }
}

#[test]
fn a_postgres_schema_that_does_not_exist_is_refused_not_printed_empty() {
    let Some(db) = TestDb::new(Server::Postgres, "adopt_pg_missing") else {
        return;
    };
    let url = db.url.replace(&db.name, &format!("{}_typo", db.name));
    let p = TempProject::new();
    for args in [
        vec!["inspect", "--database-url", url.as_str()],
        vec!["init", "--from-database", url.as_str()],
    ] {
        let r = run(&p, &args);
        assert_eq!(r.code, 2, "{args:?}: {}{}", r.stdout, r.stderr);
        assert!(
            r.stderr
                .contains(&format!("the database has no schema `{}_typo`", db.name)),
            "{}",
            r.stderr
        );
        assert!(r.stdout.is_empty(), "{}", r.stdout);
    }
    assert!(!p.path().join("schema.sql").exists());
    assert!(!p.path().join("wildebeest.toml").exists());
    // Nothing was made on the server either.
    let made = db.rows(&format!(
        "SELECT count(*) FROM pg_namespace WHERE nspname = '{}_typo'",
        db.name
    ));
    assert_eq!(made, [["0"]]);
}

#[test]
fn a_postgres_foreign_key_to_another_schema_is_refused() {
    let Some(db) = TestDb::new(Server::Postgres, "adopt_pg_other") else {
        return;
    };
    let Some(other) = TestDb::new(Server::Postgres, "adopt_pg_other2") else {
        return;
    };
    other.execute("CREATE TABLE parent (id integer PRIMARY KEY)");
    db.execute(&format!(
        "CREATE TABLE t (id integer PRIMARY KEY, p integer CONSTRAINT t_p REFERENCES \"{}\".parent (id))",
        other.name
    ));
    let p = TempProject::new();
    let r = run(&p, &["inspect", "--database-url", &db.url]);
    assert_eq!(r.code, 2, "{}{}", r.stdout, r.stderr);
    assert!(
        r.stderr.contains(&format!(
            "foreign key to another schema `t.t_p -> {}.parent`",
            other.name
        )),
        "{}",
        r.stderr
    );
}

#[test]
fn a_password_in_the_url_is_not_written_to_wildebeest_toml() {
    let Some(db) = TestDb::new(Server::Postgres, "adopt_pg_password") else {
        return;
    };
    db.execute("CREATE TABLE t (id integer PRIMARY KEY)");
    // The test server trusts local connections, so any password connects.
    let url = db
        .url
        .replacen("postgres://postgres@", "postgres://postgres:s3cret-pw@", 1);
    assert!(
        url.contains("s3cret-pw"),
        "the test URL has an unexpected form: {url}"
    );
    let p = TempProject::new();
    let r = run(&p, &["init", "--from-database", &url]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    let toml = p.read("wildebeest.toml");
    assert!(!toml.contains("s3cret-pw"), "{toml}");
    assert!(
        !toml.lines().any(|l| l.starts_with("database_url")),
        "{toml}"
    );
    assert!(toml.contains("DATABASE_URL="), "{toml}");
    assert!(!r.stdout.contains("s3cret-pw") && !r.stderr.contains("s3cret-pw"));
    assert!(r.stdout.contains("set DATABASE_URL"), "{}", r.stdout);
    let check = p
        .cmd(&["check"])
        .env("DATABASE_URL", &url)
        .output()
        .unwrap();
    assert!(check.status.success(), "{check:?}");
}

const MYSQL_SCHEMA: &str = r#"
CREATE TABLE `UserAccounts` (
    id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
    `Email` VARCHAR(200) NOT NULL,
    `order` INT NOT NULL DEFAULT 0,
    `select` VARCHAR(20) CHARACTER SET latin1 COLLATE latin1_bin DEFAULT 'it''s',
    feeling ENUM('happy', 'sad') NOT NULL DEFAULT 'happy',
    created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
    price DECIMAL(10, 2) DEFAULT 9.99,
    note TEXT COMMENT 'free text',
    CONSTRAINT email_key UNIQUE (`Email`),
    CONSTRAINT order_positive CHECK (`order` >= 0)
) COMMENT = 'accounts';
CREATE TABLE orgs (
    region VARCHAR(10) NOT NULL,
    code INT NOT NULL,
    name VARCHAR(80),
    PRIMARY KEY (region, code)
) ENGINE = MyISAM;
CREATE TABLE members (
    id INT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    user_id BIGINT UNSIGNED NOT NULL,
    org_region VARCHAR(10),
    org_code INT,
    CONSTRAINT member_user FOREIGN KEY (user_id) REFERENCES `UserAccounts` (id) ON DELETE CASCADE,
    KEY members_region (org_region, org_code DESC)
);
CREATE VIEW member_emails AS
    SELECT m.id, u.`Email` FROM members m JOIN `UserAccounts` u ON u.id = m.user_id;
CREATE TRIGGER `Members upper` BEFORE INSERT ON members
    FOR EACH ROW SET NEW.org_region = UPPER(NEW.org_region);
CREATE FUNCTION add_one(x INT) RETURNS INT DETERMINISTIC RETURN x + 1;
CREATE PROCEDURE `Touch`(INOUT n INT) SQL SECURITY INVOKER BEGIN SET n = add_one(n); END;
CREATE EVENT nightly ON SCHEDULE EVERY 1 DAY STARTS '2030-01-01 00:00:00' DISABLE
    COMMENT 'resets' DO UPDATE members SET org_code = 0;
"#;

#[test]
fn a_mysql_database_made_by_hand_is_adopted_and_rebuilt_byte_for_byte() {
    let Some(db) = TestDb::new(Server::Mysql, "adopt_my") else {
        return;
    };
    let Some(fresh) = TestDb::new(Server::Mysql, "adopt_my_fresh") else {
        return;
    };
    db.execute(MYSQL_SCHEMA);
    let text = round_trip(&db.url, &fresh.url);
    insta::assert_snapshot!("mysql", text);
}

const MYSQL_REFUSED: &[(&str, &str, bool)] = &[
    // A generated column is modeled (tests/it/generated.rs adopts one); ZEROFILL
    // is not.
    (
        "CREATE TABLE g (a INT(5) ZEROFILL)",
        "table `g`: column a: ZEROFILL",
        false,
    ),
];

#[test]
fn each_mysql_object_the_model_cannot_hold_is_refused_by_name() {
    for (setup, named, skippable) in MYSQL_REFUSED {
        let Some(db) = TestDb::new(Server::Mysql, "adopt_my_refused") else {
            return;
        };
        db.execute("CREATE TABLE t (id INT PRIMARY KEY)");
        db.execute(setup);
        let p = TempProject::new();
        refused(&p, &db.url, named, *skippable);
    }
}
