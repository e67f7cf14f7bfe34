//! Names that break naive SQL generation: quotes, backticks, semicolons, spaces,
//! unicode, reserved words and the longest name PostgreSQL allows, through the whole
//! cycle (`migrate`, `upgrade`, a row, `check`, `downgrade base`) on every database.
//! Also: a password in the database URL never appears in any output.

use crate::servers::{Server, TestDb};
use crate::util::TempProject;

/// 63 bytes, PostgreSQL's limit (NAMEDATALEN - 1); MySQL allows 64.
const LONGEST: &str = "a_column_name_exactly_sixty_three_bytes_long_for_postgres_limit";

#[test]
fn the_longest_name_is_63_bytes() {
    assert_eq!(LONGEST.len(), 63);
}

/// Which quoting the database's SQL uses.
#[derive(Clone, Copy)]
enum Quote {
    /// `"name"`, `"` doubled (SQLite, PostgreSQL).
    Double,
    /// `` `name` ``, `` ` `` doubled (MySQL).
    Backtick,
}

fn q(quote: Quote, name: &str) -> String {
    match quote {
        Quote::Double => format!("\"{}\"", name.replace('"', "\"\"")),
        Quote::Backtick => format!("`{}`", name.replace('`', "``")),
    }
}

/// The hostile names, each with what makes it hostile.
const ORDER: &str = "order";
const WEIRD_TABLE: &str = "we\"ird `tab;le` ünï 表";
const SELECT: &str = "select";
const GROUP: &str = "group";
const SPACED: &str = "col with space";
const QUOTED: &str = "quo\"te`back;tick";
const UNICODE: &str = "prénom_名前";
const INDEX: &str = "ix \"odd\"; `name`";
const UNIQUE: &str = "uq; drop table order";
const FK: &str = "fk \"to\" order";

/// The schema with every hostile name, quoted for the database.
fn schema(quote: Quote) -> String {
    let q = |n: &str| q(quote, n);
    format!(
        "CREATE TABLE {order} (\n    {select} INTEGER PRIMARY KEY,\n    {group} VARCHAR(50) NOT NULL\n);\n\n\
         CREATE TABLE {weird} (\n    id INTEGER PRIMARY KEY,\n    {spaced} VARCHAR(50),\n    {quoted} VARCHAR(50),\n    {unicode} VARCHAR(50),\n    {longest} INTEGER,\n    CONSTRAINT {unique} UNIQUE ({unicode}),\n    CONSTRAINT {fk} FOREIGN KEY ({longest}) REFERENCES {order} ({select})\n);\n\n\
         CREATE INDEX {index} ON {weird} ({spaced}, {quoted});\n",
        order = q(ORDER),
        select = q(SELECT),
        group = q(GROUP),
        weird = q(WEIRD_TABLE),
        spaced = q(SPACED),
        quoted = q(QUOTED),
        unicode = q(UNICODE),
        longest = q(LONGEST),
        unique = q(UNIQUE),
        fk = q(FK),
        index = q(INDEX),
    )
}

/// The rows inserted after `upgrade`, quoted for the database.
fn insert(quote: Quote) -> String {
    let q = |n: &str| q(quote, n);
    format!(
        "INSERT INTO {order} ({select}, {group}) VALUES (1, 'g');\n\
         INSERT INTO {weird} (id, {spaced}, {quoted}, {unicode}, {longest}) VALUES (1, 'a', 'b', 'c', 1);",
        order = q(ORDER),
        select = q(SELECT),
        group = q(GROUP),
        weird = q(WEIRD_TABLE),
        spaced = q(SPACED),
        quoted = q(QUOTED),
        unicode = q(UNICODE),
        longest = q(LONGEST),
    )
}

fn run_ok(p: &TempProject, args: &[&str]) -> String {
    let out = p.cmd(args).output().unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.status.success(), "{args:?} failed:\n{text}");
    assert!(!text.contains("panicked"), "{text}");
    text
}

/// The cycle on one project; `insert_rows` runs SQL on its database and `tables`
/// lists the tables that are not wildebeest's.
fn cycle(
    p: &TempProject,
    quote: Quote,
    insert_rows: &dyn Fn(&str),
    tables: &dyn Fn() -> Vec<String>,
) {
    p.write("schema.sql", &schema(quote));
    run_ok(p, &["migrate", "-m", "hostile names"]);
    let script = run_ok(p, &["upgrade", "--sql"]);
    assert!(script.contains(LONGEST), "{script}");
    run_ok(p, &["upgrade"]);
    let mut have = tables();
    have.sort();
    let mut want = vec![ORDER.to_string(), WEIRD_TABLE.to_string()];
    want.sort();
    assert_eq!(have, want);
    insert_rows(&insert(quote));
    // Nothing left to generate, and the database matches the migrations.
    let again = run_ok(p, &["migrate", "-m", "nothing"]);
    assert!(again.contains("No changes"), "{again}");
    let check = run_ok(p, &["check"]);
    assert!(check.contains("OK"), "{check}");
    run_ok(p, &["downgrade", "base", "--allow-data-loss"]);
    assert_eq!(tables(), Vec::<String>::new());
}

#[test]
fn hostile_names_survive_the_whole_cycle_on_sqlite() {
    let p = TempProject::init();
    cycle(
        &p,
        Quote::Double,
        &|sql| p.conn().execute_batch(sql).unwrap(),
        &|| {
            p.rows(
                "SELECT name FROM sqlite_master WHERE type = 'table' \
                 AND name NOT LIKE 'wildebeest_%' AND name NOT LIKE 'sqlite_%' ORDER BY name",
            )
            .into_iter()
            .map(|r| r[0].clone())
            .collect()
        },
    );
}

fn on_server(server: Server) {
    let Some(db) = TestDb::new(server, "hostile") else {
        return;
    };
    let p = TempProject::init();
    p.write(
        "wildebeest.toml",
        &format!("database_url = \"{}\"\n", db.url),
    );
    let (quote, list) = match server {
        Server::Postgres => (
            Quote::Double,
            format!(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = '{}' \
                 AND table_name NOT LIKE 'wildebeest%'",
                db.name
            ),
        ),
        Server::Mysql => (
            Quote::Backtick,
            format!(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = '{}' \
                 AND table_name NOT LIKE 'wildebeest%'",
                db.name
            ),
        ),
    };
    cycle(&p, quote, &|sql| db.execute(sql), &|| {
        db.rows(&list).into_iter().map(|r| r[0].clone()).collect()
    });
}

#[test]
fn hostile_names_survive_the_whole_cycle_on_postgres() {
    on_server(Server::Postgres);
}

#[test]
fn hostile_names_survive_the_whole_cycle_on_mysql() {
    on_server(Server::Mysql);
}

/// Runs `args` with the database URL given three ways (file, environment, flag) and
/// returns everything printed.
fn outputs_with_url(url: &str, args: &[&str]) -> Vec<String> {
    let p = TempProject::init();
    p.write("schema.sql", "CREATE TABLE t (id INTEGER PRIMARY KEY);\n");
    run_ok(&p, &["migrate", "-m", "one"]);
    p.write("wildebeest.toml", &format!("database_url = \"{url}\"\n"));
    let mut out = Vec::new();
    let mut runs = vec![p.cmd(args), p.cmd(args), {
        let mut flagged = vec!["--database-url", url];
        flagged.extend_from_slice(args);
        p.cmd(&flagged)
    }];
    runs[1].env("DATABASE_URL", url);
    for c in &mut runs {
        let o = c.output().unwrap();
        out.push(format!(
            "status {:?}\n{}{}",
            o.status.code(),
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        ));
    }
    out
}

#[test]
fn a_password_in_the_url_never_appears_in_any_output() {
    const SECRET: &str = "s3cr3t-pw";
    let urls = [
        format!("mysql://root:{SECRET}@127.0.0.1:1/x"),
        format!("mariadb://root:{SECRET}@127.0.0.1:1/x"),
        format!("postgres://postgres:{SECRET}@127.0.0.1:1/x"),
        format!("postgresql+psycopg2://postgres:{SECRET}@127.0.0.1:1/x?sslmode=disable"),
    ];
    let commands: [&[&str]; 6] = [
        &["upgrade"],
        &["upgrade", "--sql"],
        &["downgrade", "--sql", "head:base"],
        &["current"],
        &["check"],
        &["stamp", "head", "--sql"],
    ];
    for url in &urls {
        for args in commands {
            for out in outputs_with_url(url, args) {
                assert!(!out.contains(SECRET), "{url} {args:?}:\n{out}");
                assert!(!out.contains("panicked"), "{url} {args:?}:\n{out}");
            }
        }
    }
}

/// Against a real server the password may be checked (and refused) or, with trust
/// authentication, ignored; either way it is never printed. Each run gets its own
/// schema or database, so a successful `upgrade` touches nothing shared.
#[test]
fn a_wrong_password_is_not_echoed_by_a_real_server() {
    const SECRET: &str = "wr0ng-pw-9f2e";
    for (server, user) in [(Server::Postgres, "postgres"), (Server::Mysql, "root")] {
        let Some(db) = TestDb::new(server, "password") else {
            continue;
        };
        let url = db
            .url
            .replacen(&format!("://{user}@"), &format!("://{user}:{SECRET}@"), 1);
        assert!(url.contains(SECRET), "cannot put a password in {}", db.url);
        for args in [
            &["upgrade"][..],
            &["current"][..],
            &["upgrade", "--sql"][..],
        ] {
            for out in outputs_with_url(&url, args) {
                assert!(!out.contains(SECRET), "{args:?}:\n{out}");
                assert!(!out.contains("panicked"), "{args:?}:\n{out}");
            }
        }
    }
}

/// A column name that ends the index's parentheses and the statement, then comments
/// out the rest: written bare, it runs `DELETE FROM victim`.
const INJECTING: &str = "c); DELETE FROM victim; --";

/// Renames two indexed columns whose names need quoting (one with a space, one that
/// would inject a `DELETE`) with `--rename`, then runs the upgrade and the downgrade:
/// the index follows its column both ways, no statement names a column bare, and the
/// victim's rows are untouched. `exec` runs SQL on the project's database, `count`
/// gives a query's single value.
fn indexed_rename_round_trip(
    p: &TempProject,
    quote: Quote,
    exec: &dyn Fn(&str),
    count: &dyn Fn(&str) -> String,
) {
    let q = |n: &str| q(quote, n);
    p.write(
        "schema.sql",
        &format!(
            "CREATE TABLE victim (id INTEGER PRIMARY KEY);\n\
             CREATE TABLE t (id INTEGER PRIMARY KEY, {inj} VARCHAR(20), {sp} VARCHAR(20));\n\
             CREATE INDEX ix_inj ON t ({inj});\n\
             CREATE INDEX ix_sp ON t ({sp}, id);\n",
            inj = q(INJECTING),
            sp = q("first name"),
        ),
    );
    run_ok(p, &["migrate", "-m", "start"]);
    run_ok(p, &["upgrade"]);
    exec(&format!(
        "INSERT INTO victim (id) VALUES (1), (2);\n\
         INSERT INTO t (id, {inj}, {sp}) VALUES (1, 'a', 'b');",
        inj = q(INJECTING),
        sp = q("first name"),
    ));
    p.write(
        "schema.sql",
        "CREATE TABLE victim (id INTEGER PRIMARY KEY);\n\
         CREATE TABLE t (id INTEGER PRIMARY KEY, c2 VARCHAR(20), fn2 VARCHAR(20));\n\
         CREATE INDEX ix_inj ON t (c2);\n\
         CREATE INDEX ix_sp ON t (fn2, id);\n",
    );
    run_ok(
        p,
        &[
            "migrate",
            "-m",
            "rename",
            "--rename",
            &format!("t.{INJECTING}=c2"),
            "--rename",
            "t.first name=fn2",
        ],
    );
    let file = p.migrations().last().unwrap().clone();
    let text = std::fs::read_to_string(&file).unwrap();
    // The indexes follow their columns: nothing to drop or create.
    assert!(!text.contains("INDEX"), "{text}");
    assert!(!text.contains("ON t (c)"), "{text}");
    run_ok(p, &["upgrade"]);
    let check = run_ok(p, &["check"]);
    assert!(check.contains("OK"), "{check}");
    run_ok(p, &["downgrade", "-1"]);
    assert_eq!(count("SELECT COUNT(*) FROM victim"), "2");
    assert_eq!(
        count(&format!(
            "SELECT {inj} FROM t WHERE {sp} = 'b'",
            inj = q(INJECTING),
            sp = q("first name"),
        )),
        "a"
    );
    // Back at the start, the database matches the first revision.
    p.write(
        "schema.sql",
        &format!(
            "CREATE TABLE victim (id INTEGER PRIMARY KEY);\n\
             CREATE TABLE t (id INTEGER PRIMARY KEY, {inj} VARCHAR(20), {sp} VARCHAR(20));\n\
             CREATE INDEX ix_inj ON t ({inj});\n\
             CREATE INDEX ix_sp ON t ({sp}, id);\n",
            inj = q(INJECTING),
            sp = q("first name"),
        ),
    );
    std::fs::remove_file(&file).unwrap();
    run_ok(p, &["rehash"]);
    let check = run_ok(p, &["check"]);
    assert!(check.contains("OK"), "{check}");
}

#[test]
fn renaming_an_indexed_column_with_a_hostile_name_does_not_inject_on_downgrade_sqlite() {
    let p = TempProject::init();
    indexed_rename_round_trip(
        &p,
        Quote::Double,
        &|sql| p.conn().execute_batch(sql).unwrap(),
        &|sql| p.rows(sql)[0][0].clone(),
    );
}

fn indexed_rename_on_server(server: Server) {
    let Some(db) = TestDb::new(server, "injectrename") else {
        return;
    };
    let p = TempProject::init();
    p.write(
        "wildebeest.toml",
        &format!("database_url = \"{}\"\n", db.url),
    );
    let quote = match server {
        Server::Postgres => Quote::Double,
        Server::Mysql => Quote::Backtick,
    };
    indexed_rename_round_trip(&p, quote, &|sql| db.execute(sql), &|sql| {
        db.rows(sql)[0][0].clone()
    });
}

#[test]
fn renaming_an_indexed_column_with_a_hostile_name_does_not_inject_on_downgrade_postgres() {
    indexed_rename_on_server(Server::Postgres);
}

#[test]
fn renaming_an_indexed_column_with_a_hostile_name_does_not_inject_on_downgrade_mysql() {
    indexed_rename_on_server(Server::Mysql);
}

/// A column name with line breaks around a statement: in a `-- DATA LOSS:` comment
/// that names it, a bare line break would end the comment and make the next line SQL.
const LINE_BREAKING: &str = "x\nDELETE FROM victim;\n--";

/// Adds a column whose name breaks lines, then downgrades (which drops it, under a
/// `-- DATA LOSS:` comment naming it) online and prints the offline script: the
/// comment stays one line and the victim's rows are untouched.
fn line_break_round_trip(
    p: &TempProject,
    quote: Quote,
    exec: &dyn Fn(&str),
    count: &dyn Fn(&str) -> String,
) {
    p.write(
        "schema.sql",
        "CREATE TABLE victim (id INTEGER PRIMARY KEY);\nCREATE TABLE t (id INTEGER PRIMARY KEY);\n",
    );
    run_ok(p, &["migrate", "-m", "start"]);
    p.write(
        "schema.sql",
        &format!(
            "CREATE TABLE victim (id INTEGER PRIMARY KEY);\n\
             CREATE TABLE t (id INTEGER PRIMARY KEY, {} INTEGER);\n",
            q(quote, LINE_BREAKING)
        ),
    );
    run_ok(p, &["migrate", "-m", "add"]);
    let file = std::fs::read_to_string(p.migrations().last().unwrap()).unwrap();
    assert!(!file.contains("\nDELETE FROM victim;\n--` and"), "{file}");
    assert!(file.contains("x\\nDELETE FROM victim;\\n--"), "{file}");
    run_ok(p, &["upgrade"]);
    exec(&format!(
        "INSERT INTO victim (id) VALUES (1), (2);\nINSERT INTO t (id, {}) VALUES (1, 5);",
        q(quote, LINE_BREAKING)
    ));
    let script = run_ok(p, &["downgrade", "-1", "--sql"]);
    assert!(
        script.contains("-- DATA LOSS: drops column `t.x\\nDELETE FROM victim;\\n--`"),
        "{script}"
    );
    assert!(script.contains("guard: `SELECT"), "{script}");
    assert!(!script.contains("--`\n"), "{script}");
    run_ok(p, &["downgrade", "-1", "--allow-data-loss"]);
    assert_eq!(count("SELECT COUNT(*) FROM victim"), "2");
}

#[test]
fn a_line_break_in_a_column_name_does_not_end_the_data_loss_comment_sqlite() {
    let p = TempProject::init();
    line_break_round_trip(
        &p,
        Quote::Double,
        &|sql| p.conn().execute_batch(sql).unwrap(),
        &|sql| p.rows(sql)[0][0].clone(),
    );
}

fn line_break_on_server(server: Server) {
    let Some(db) = TestDb::new(server, "linebreak") else {
        return;
    };
    let p = TempProject::init();
    p.write(
        "wildebeest.toml",
        &format!("database_url = \"{}\"\n", db.url),
    );
    let quote = match server {
        Server::Postgres => Quote::Double,
        Server::Mysql => Quote::Backtick,
    };
    line_break_round_trip(&p, quote, &|sql| db.execute(sql), &|sql| {
        db.rows(sql)[0][0].clone()
    });
}

#[test]
fn a_line_break_in_a_column_name_does_not_end_the_data_loss_comment_postgres() {
    line_break_on_server(Server::Postgres);
}

#[test]
fn a_line_break_in_a_column_name_does_not_end_the_data_loss_comment_mysql() {
    line_break_on_server(Server::Mysql);
}

/// MySQL reads a backslash in a string literal as an escape: a table name ending in one
/// ended the literal of the query that reads the table's fingerprint while a revision
/// runs, so the upgrade of `CREATE TABLE` then `CREATE INDEX` on it failed half done.
#[test]
fn a_table_name_ending_in_a_backslash_is_read_back_on_mysql() {
    let Some(db) = TestDb::new(Server::Mysql, "backslash") else {
        return;
    };
    let p = TempProject::init();
    p.write(
        "wildebeest.toml",
        &format!("database_url = \"{}\"\n", db.url),
    );
    p.write(
        "schema.sql",
        "CREATE TABLE victim (id INTEGER PRIMARY KEY);\n\
         CREATE TABLE `t\\` (id INTEGER PRIMARY KEY, `c\\` INTEGER);\n\
         CREATE INDEX `ix\\` ON `t\\` (`c\\`);\n",
    );
    run_ok(&p, &["migrate", "-m", "start"]);
    run_ok(&p, &["upgrade"]);
    db.execute("INSERT INTO victim (id) VALUES (1); INSERT INTO `t\\` (id, `c\\`) VALUES (1, 2);");
    let check = run_ok(&p, &["check"]);
    assert!(check.contains("OK"), "{check}");
    run_ok(&p, &["downgrade", "base", "--allow-data-loss"]);
    let left = db.rows(&format!(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = '{}' \
         AND table_name NOT LIKE 'wildebeest%'",
        db.name
    ));
    assert!(left.is_empty(), "{left:?}");
}

/// PostgreSQL prints a name in a `CHECK`, index expression or partial index bare
/// where it can; a schema file that quoted it anyway (`CHECK ("b" > 0)`) was drift for
/// `check` forever after `upgrade`.
#[test]
fn a_needlessly_quoted_name_in_an_expression_is_no_drift_on_postgres() {
    let Some(db) = TestDb::new(Server::Postgres, "needlessquote") else {
        return;
    };
    let p = TempProject::init();
    p.write(
        "wildebeest.toml",
        &format!("database_url = \"{}\"\n", db.url),
    );
    p.write(
        "schema.sql",
        "CREATE TABLE t (id INT PRIMARY KEY, b INT, \"Name\" INT,\n\
         \x20   CONSTRAINT ck CHECK (\"b\" > 0 AND \"Name\" > 0));\n\
         CREATE INDEX ix ON t (lower(\"b\"::TEXT)) WHERE \"b\" > 1;\n",
    );
    run_ok(&p, &["migrate", "-m", "start"]);
    run_ok(&p, &["upgrade"]);
    let check = run_ok(&p, &["check"]);
    assert!(check.contains("OK"), "{check}");
}

/// MySQL reports a unique index as a unique constraint; the model made one of a unique
/// index only when its columns' names were plain words, so a unique index on a column
/// whose name holds a quote or a space was drift for `check` right after `upgrade`.
#[test]
fn a_unique_index_on_a_column_whose_name_needs_quoting_is_no_drift_on_mysql() {
    let Some(db) = TestDb::new(Server::Mysql, "uniquequoted") else {
        return;
    };
    let p = TempProject::init();
    p.write(
        "wildebeest.toml",
        &format!("database_url = \"{}\"\n", db.url),
    );
    p.write(
        "schema.sql",
        "CREATE TABLE t (id INTEGER PRIMARY KEY, `first name` VARCHAR(20), `o'k\"` INTEGER);\n\
         CREATE UNIQUE INDEX ux ON t (`first name`, `o'k\"`);\n",
    );
    run_ok(&p, &["migrate", "-m", "start"]);
    run_ok(&p, &["upgrade"]);
    let check = run_ok(&p, &["check"]);
    assert!(check.contains("OK"), "{check}");
}
