//! PostgreSQL materialized views through the binary: `check` right after `upgrade`
//! passes and sees one changed by hand; a changed query is a drop and a create; a
//! hand-written migration's `CREATE` and `DROP MATERIALIZED VIEW` are followed; an
//! index on one is refused by name; a migration that makes one is refused by name on
//! SQLite before anything runs.

use crate::servers::{Server, TestDb};
use crate::util::{TempProject, ok};

/// Runs `args`: `(exit code, stdout and stderr)`.
fn run(p: &TempProject, args: &[&str]) -> (i32, String) {
    crate::util::run_text(p, args)
}

const SCHEMA: &str = "CREATE TABLE sale (id INTEGER PRIMARY KEY, region TEXT, amount INTEGER);\n\
                      CREATE MATERIALIZED VIEW totals AS SELECT region, sum(amount) AS total \
                      FROM sale GROUP BY region;\n";

#[test]
fn check_passes_after_upgrade_and_a_changed_query_is_made_again() {
    let Some(db) = TestDb::new(Server::Postgres, "mv_check") else {
        return;
    };
    let p = TempProject::on(Some(&db));
    p.write("schema.sql", SCHEMA);
    ok(&p, &["migrate", "-m", "sales"]);
    ok(&p, &["upgrade"]);
    let (code, text) = run(&p, &["check"]);
    assert_eq!(code, 0, "check right after upgrade: {text}");
    db.execute("INSERT INTO sale VALUES (1, 'n', 5), (2, 'n', 7)");
    db.execute("REFRESH MATERIALIZED VIEW totals");
    assert_eq!(db.rows("SELECT region, total FROM totals"), [["n", "12"]]);

    // Made again by hand as a plain view of the same query: drift.
    db.execute(
        "DROP MATERIALIZED VIEW totals; \
         CREATE VIEW totals AS SELECT region, sum(amount) AS total FROM sale GROUP BY region",
    );
    let (code, text) = run(&p, &["check"]);
    assert_eq!(code, 1, "{text}");
    assert!(text.contains("materialized view `totals`"), "{text}");
    db.execute(
        "DROP VIEW totals; CREATE MATERIALIZED VIEW totals AS \
         SELECT region, sum(amount) AS total FROM sale GROUP BY region",
    );
    let (code, text) = run(&p, &["check"]);
    assert_eq!(code, 0, "{text}");

    // A new query: dropped and made again, never `CREATE OR REPLACE`.
    p.write("schema.sql", &SCHEMA.replace("sum(amount)", "max(amount)"));
    ok(&p, &["migrate", "-m", "max"]);
    let path = p.migrations().last().unwrap().clone();
    let migration = std::fs::read_to_string(&path).unwrap();
    assert!(
        migration.contains("DROP MATERIALIZED VIEW totals;"),
        "{migration}"
    );
    assert!(!migration.contains("OR REPLACE"), "{migration}");
    ok(&p, &["upgrade"]);
    assert_eq!(db.rows("SELECT region, total FROM totals"), [["n", "7"]]);
    let (code, text) = run(&p, &["check"]);
    assert_eq!(code, 0, "{text}");
    ok(&p, &["downgrade", "-1"]);
    assert_eq!(db.rows("SELECT region, total FROM totals"), [["n", "12"]]);
}

#[test]
fn a_hand_written_migration_with_materialized_views_is_followed() {
    let Some(db) = TestDb::new(Server::Postgres, "mv_hand") else {
        return;
    };
    let p = TempProject::on(Some(&db));
    p.write(
        "schema.sql",
        "CREATE TABLE sale (id INTEGER PRIMARY KEY, region TEXT, amount INTEGER);\n",
    );
    ok(&p, &["migrate", "-m", "t"]);
    ok(&p, &["revision", "-m", "totals"]);
    let path = p.migrations().last().unwrap().clone();
    let text = std::fs::read_to_string(&path).unwrap();
    let text = text
        .replace(
            "-- +upgrade\n",
            "-- +upgrade\nCREATE MATERIALIZED VIEW gone AS SELECT 1 AS one;\n\
             CREATE MATERIALIZED VIEW totals AS SELECT region, sum(amount) AS total \
             FROM sale GROUP BY region WITH NO DATA;\n\
             DROP MATERIALIZED VIEW gone;\n",
        )
        .replace(
            "-- +downgrade\n",
            "-- +downgrade\nDROP MATERIALIZED VIEW totals;\n",
        );
    std::fs::write(&path, text).unwrap();
    ok(&p, &["rehash"]);
    ok(&p, &["upgrade"]);
    p.write("schema.sql", SCHEMA);
    let (code, text) = run(&p, &["check"]);
    assert_eq!(code, 0, "{text}");
    let (code, text) = run(&p, &["migrate", "-m", "nothing"]);
    assert_eq!(code, 0, "{text}");
    assert_eq!(p.migrations().len(), 2, "{text}");

    // An index on one is the view's: migrated after a hand-written view, and
    // upgraded, it checks clean.
    p.write(
        "schema.sql",
        &format!("{SCHEMA}CREATE UNIQUE INDEX totals_region ON totals (region);\n"),
    );
    ok(&p, &["migrate", "-m", "index"]);
    let last = std::fs::read_to_string(p.migrations().last().unwrap()).unwrap();
    assert!(
        last.contains("CREATE UNIQUE INDEX totals_region ON totals (region)"),
        "{last}"
    );
    ok(&p, &["upgrade"]);
    let (code, text) = run(&p, &["check"]);
    assert_eq!(code, 0, "{text}");
    db.execute("REFRESH MATERIALIZED VIEW totals; REFRESH MATERIALIZED VIEW CONCURRENTLY totals");
}

#[test]
fn a_migration_that_makes_a_materialized_view_is_refused_on_sqlite_before_anything_runs() {
    let p = TempProject::init();
    p.write("schema.sql", "CREATE TABLE t (id INTEGER PRIMARY KEY);\n");
    ok(&p, &["migrate", "-m", "t"]);
    ok(&p, &["revision", "-m", "mv"]);
    let path = p.migrations().last().unwrap().clone();
    let text = std::fs::read_to_string(&path).unwrap();
    let text = text
        .replace(
            "-- +upgrade\n",
            "-- +upgrade\nCREATE MATERIALIZED VIEW m AS SELECT id FROM t;\n",
        )
        .replace(
            "-- +downgrade\n",
            "-- +downgrade\nDROP MATERIALIZED VIEW m;\n",
        );
    std::fs::write(&path, text).unwrap();
    ok(&p, &["rehash"]);
    let (code, text) = run(&p, &["upgrade"]);
    assert_eq!(code, 2, "{text}");
    assert!(text.contains("materialized view"), "{text}");
    let (_, current) = run(&p, &["current"]);
    assert!(current.contains("base"), "{current}");
}
