//! PostgreSQL sequences of their own through the binary: `check` right after
//! `upgrade` passes, sees an option or owner changed by hand and a sequence made by
//! hand, and not the value a sequence is at (data); a database with them is adopted
//! from `inspect`; a hand-written migration's `CREATE`, `ALTER` and `DROP SEQUENCE`
//! (and a `DROP TABLE` taking the sequences it owns) are followed; a migration that
//! makes one is refused by name on SQLite before anything runs.

use crate::servers::{Server, TestDb};
use crate::util::{TempProject, ok};

/// Runs `args`: `(exit code, stdout and stderr)`.
fn run(p: &TempProject, args: &[&str]) -> (i32, String) {
    crate::util::run_text(p, args)
}

const SCHEMA: &str = "CREATE SEQUENCE order_no AS integer START WITH 500 INCREMENT BY 5;\n\
                      CREATE SEQUENCE line_no;\n\
                      CREATE TABLE orders (id INTEGER PRIMARY KEY DEFAULT nextval('order_no'), \
                      line BIGINT DEFAULT nextval('line_no'));\n\
                      ALTER SEQUENCE line_no OWNED BY orders.line;\n";

#[test]
fn check_passes_after_upgrade_and_sees_a_sequence_changed_by_hand() {
    let Some(db) = TestDb::new(Server::Postgres, "seq_check") else {
        return;
    };
    let p = TempProject::on(Some(&db));
    p.write("schema.sql", SCHEMA);
    ok(&p, &["migrate", "-m", "orders"]);
    ok(&p, &["upgrade"]);
    let (code, text) = run(&p, &["check"]);
    assert_eq!(code, 0, "check right after upgrade: {text}");
    db.execute("INSERT INTO orders DEFAULT VALUES; INSERT INTO orders DEFAULT VALUES");
    assert_eq!(
        db.rows("SELECT id, line FROM orders ORDER BY id"),
        [["500", "1"], ["505", "2"]]
    );
    // The value a sequence is at is data, not schema.
    db.execute("SELECT setval('order_no', 9000)");
    let (code, text) = run(&p, &["check"]);
    assert_eq!(code, 0, "{text}");

    db.execute("ALTER SEQUENCE order_no INCREMENT BY 3");
    let (code, text) = run(&p, &["check"]);
    assert_eq!(code, 1, "{text}");
    assert!(text.contains("changed sequence `order_no`"), "{text}");
    db.execute("ALTER SEQUENCE order_no INCREMENT BY 5");
    db.execute("ALTER SEQUENCE line_no OWNED BY NONE");
    let (code, text) = run(&p, &["check"]);
    assert_eq!(code, 1, "{text}");
    assert!(text.contains("sequence `line_no`"), "{text}");
    db.execute("ALTER SEQUENCE line_no OWNED BY orders.line");
    let (code, text) = run(&p, &["check"]);
    assert_eq!(code, 0, "{text}");

    db.execute("CREATE SEQUENCE extra");
    let (code, text) = run(&p, &["check"]);
    assert_eq!(code, 1, "{text}");
    assert!(text.contains("added sequence `extra`"), "{text}");
}

#[test]
fn a_database_with_sequences_is_adopted_from_inspect() {
    let Some(db) = TestDb::new(Server::Postgres, "seq_adopt") else {
        return;
    };
    db.execute(SCHEMA);
    // A serial column's sequence stays the column's.
    db.execute("CREATE TABLE s (id SERIAL PRIMARY KEY)");
    let p = TempProject::on(Some(&db));
    let (code, text) = run(&p, &["inspect", "--database-url", &db.url]);
    assert_eq!(code, 0, "{text}");
    let sequence = text.find("CREATE SEQUENCE order_no").expect(&text);
    let table = text.find("CREATE TABLE orders").expect(&text);
    let owner = text
        .find("ALTER SEQUENCE line_no OWNED BY orders.line")
        .expect(&text);
    assert!(sequence < table && table < owner, "{text}");
    assert!(!text.contains("s_id_seq"), "{text}");
    p.write("schema.sql", &text);
    ok(&p, &["migrate", "-m", "adopted"]);
    ok(&p, &["stamp", "head"]);
    let (code, text) = run(&p, &["check"]);
    assert_eq!(code, 0, "check after adopting: {text}");
}

/// The test schema's sequences but the version table's.
const OWN_SEQUENCES: &str = "SELECT relname::text FROM pg_class \
     WHERE relkind = 'S' AND relnamespace = current_schema()::regnamespace \
     AND relname NOT LIKE 'wildebeest%' ORDER BY 1";

#[test]
fn a_hand_written_migration_with_sequence_statements_is_followed() {
    let Some(db) = TestDb::new(Server::Postgres, "seq_hand") else {
        return;
    };
    let p = TempProject::on(Some(&db));
    p.write("schema.sql", "CREATE TABLE t (id INTEGER PRIMARY KEY);\n");
    ok(&p, &["migrate", "-m", "t"]);
    ok(&p, &["revision", "-m", "sequences"]);
    let path = p.migrations().last().unwrap().clone();
    let text = std::fs::read_to_string(&path).unwrap();
    let text = text
        .replace(
            "-- +upgrade\n",
            "-- +upgrade\nCREATE SEQUENCE IF NOT EXISTS public.tmp;\n\
             CREATE SEQUENCE ticket START 10;\n\
             ALTER SEQUENCE ticket INCREMENT BY 2 MAXVALUE 1000 RESTART WITH 20;\n\
             ALTER SEQUENCE ticket RENAME TO ticket_no;\n\
             CREATE TABLE u (n BIGINT DEFAULT nextval('ticket_no'), m BIGINT);\n\
             CREATE SEQUENCE gone OWNED BY u.m;\n\
             CREATE TABLE v (a INTEGER);\n\
             CREATE SEQUENCE with_v OWNED BY v.a;\n\
             DROP TABLE v;\n\
             DROP SEQUENCE tmp;\n",
        )
        .replace(
            "-- +downgrade\n",
            "-- +downgrade\nDROP TABLE u;\nDROP SEQUENCE ticket_no;\n",
        );
    std::fs::write(&path, text).unwrap();
    ok(&p, &["rehash"]);
    ok(&p, &["upgrade"]);
    // `DROP TABLE v` took `with_v` along, as PostgreSQL does.
    assert_eq!(db.rows(OWN_SEQUENCES), [["gone"], ["ticket_no"]]);
    // schema.sql says the same: nothing to migrate, and the database agrees.
    p.write(
        "schema.sql",
        "CREATE TABLE t (id INTEGER PRIMARY KEY);\n\
         CREATE SEQUENCE ticket_no START 10 INCREMENT 2 MAXVALUE 1000;\n\
         CREATE TABLE u (n BIGINT DEFAULT nextval('ticket_no'::regclass), m BIGINT);\n\
         CREATE SEQUENCE gone OWNED BY u.m;\n",
    );
    let (code, text) = run(&p, &["check"]);
    assert_eq!(code, 0, "{text}");
    let (code, text) = run(&p, &["migrate", "-m", "nothing"]);
    assert_eq!(code, 0, "{text}");
    assert_eq!(p.migrations().len(), 2, "{text}");
    ok(&p, &["downgrade", "-1"]);
    assert_eq!(db.rows(OWN_SEQUENCES), Vec::<Vec<String>>::new());
}

#[test]
fn a_migration_that_makes_a_sequence_is_refused_on_sqlite_before_anything_runs() {
    let p = TempProject::init();
    p.write("schema.sql", "CREATE TABLE t (id INTEGER PRIMARY KEY);\n");
    ok(&p, &["migrate", "-m", "t"]);
    ok(&p, &["revision", "-m", "sequence"]);
    let path = p.migrations().last().unwrap().clone();
    let text = std::fs::read_to_string(&path).unwrap();
    let text = text
        .replace("-- +upgrade\n", "-- +upgrade\nCREATE SEQUENCE s;\n")
        .replace("-- +downgrade\n", "-- +downgrade\nDROP SEQUENCE s;\n");
    std::fs::write(&path, text).unwrap();
    ok(&p, &["rehash"]);
    let (code, text) = run(&p, &["upgrade"]);
    assert_eq!(code, 2, "{text}");
    assert!(
        text.contains("SQLite has no sequences of their own here: sequence `s` is PostgreSQL's"),
        "{text}"
    );
    // Nothing ran: not even the first revision.
    let (_, current) = run(&p, &["current"]);
    assert!(current.contains("base"), "{current}");

    // In schema.sql, refused by `migrate` with its line.
    p.write(
        "schema.sql",
        "CREATE TABLE t (id INTEGER PRIMARY KEY);\nCREATE SEQUENCE s;\n",
    );
    let (code, text) = run(&p, &["migrate", "-m", "again"]);
    assert_eq!(code, 2, "{text}");
    assert!(text.contains("schema.sql:2:1:"), "{text}");
    assert!(text.contains("a sequence"), "{text}");
}
