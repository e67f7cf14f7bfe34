//! Tables whose foreign keys form a cycle (`a` references `b`, `b` references `a`, as
//! pg_dump's schemas often have): PostgreSQL and MySQL refuse a reference to a table
//! that does not exist yet and a drop of a table another one still references, so the
//! migration creates both tables, then adds the key that closes the cycle, and its
//! downgrade drops that key before the tables. With rows in both tables, on each
//! database, up, `check`, down and up again.

use crate::servers::{Server, TestDb};
use crate::util::{TempProject, ok};

const SCHEMA: &str = "CREATE TABLE team (
  id integer PRIMARY KEY,
  captain_id integer REFERENCES player (id)
);
CREATE TABLE player (
  id integer PRIMARY KEY,
  team_id integer REFERENCES team (id)
);
CREATE TABLE coach (id integer PRIMARY KEY, team_id integer REFERENCES team (id));
";

fn round_trip(p: &TempProject, insert: impl Fn(), count: impl Fn() -> String) {
    p.write("schema.sql", SCHEMA);
    ok(p, &["migrate", "-m", "cycle"]);
    ok(p, &["upgrade"]);
    insert();
    ok(p, &["check"]);
    ok(p, &["downgrade", "base", "--allow-data-loss"]);
    ok(p, &["upgrade"]);
    ok(p, &["check"]);
    assert_eq!(
        count(),
        "0",
        "the downgrade dropped every table; the rows went with them"
    );
}

#[test]
fn a_cycle_of_foreign_keys_migrates_up_and_down_on_the_servers() {
    for server in Server::ALL {
        let Some(db) = TestDb::new(server, "fkcycle") else {
            continue;
        };
        let p = TempProject::init();
        p.write(
            "wildebeest.toml",
            &format!("database_url = \"{}\"\n", db.url),
        );
        round_trip(
            &p,
            || {
                db.execute(
                    "INSERT INTO team VALUES (1, NULL); INSERT INTO player VALUES (10, 1); \
                     UPDATE team SET captain_id = 10 WHERE id = 1; \
                     INSERT INTO coach VALUES (5, 1);",
                );
                // The key that closes the cycle is there: a captain who is no player
                // is refused.
                let refused = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                    db.execute("UPDATE team SET captain_id = 99 WHERE id = 1")
                }));
                assert!(refused.is_err(), "{server:?}: the cycle's key is missing");
            },
            || db.rows("SELECT count(*) FROM player").concat().concat(),
        );
        let text = std::fs::read_to_string(p.migrations().pop().unwrap()).unwrap();
        // One key closes the cycle, on one of its two tables; `coach` only waits for
        // the cycle, and its key stays in its CREATE TABLE.
        let upgrade = &text[..text.find("-- +downgrade").unwrap()];
        assert_eq!(
            upgrade.matches("ALTER TABLE").count(),
            1,
            "{server:?}: {text}"
        );
        assert!(
            !upgrade.contains("ALTER TABLE coach") && !upgrade.contains("ALTER TABLE `coach`"),
            "{text}"
        );
    }
}

#[test]
fn a_cycle_of_foreign_keys_migrates_up_and_down_on_sqlite() {
    let p = TempProject::init();
    let db = p.db();
    let conn = || rusqlite::Connection::open(&db).unwrap();
    round_trip(
        &p,
        || {
            conn()
                .execute_batch(
                    "PRAGMA foreign_keys = ON; INSERT INTO team VALUES (1, NULL); \
                     INSERT INTO player VALUES (10, 1); \
                     UPDATE team SET captain_id = 10 WHERE id = 1; \
                     INSERT INTO coach VALUES (5, 1);",
                )
                .unwrap();
        },
        || {
            conn()
                .query_row("SELECT count(*) FROM player", [], |r| r.get::<_, i64>(0))
                .unwrap()
                .to_string()
        },
    );
}
