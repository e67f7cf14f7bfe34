//! A revision that fails half way: MySQL keeps the statements before the failure, the
//! journal says how far it got, and the next run resumes there.

use wildebeest_runner::{Backend, BackendError, Operation, Partial, Script};

use crate::util::{script, table, test_db, upgrade};

#[test]
fn a_failure_half_way_is_journaled_and_the_run_resumes_after_it() {
    let mut db = test_db!();
    db.exec("CREATE TABLE t (a INT NOT NULL)");
    let mut backend = db.backend();
    backend.ensure_version_tables().unwrap();
    backend.lock().unwrap();
    let full = script(&[
        "CREATE TABLE u (b INT)",
        "INSERT INTO t VALUES (1)",
        "INSERT INTO missing VALUES (2)",
        "CREATE TABLE v (c INT)",
    ]);
    let err = backend
        .execute(&full, &upgrade("r1"), &Default::default())
        .unwrap_err();
    assert_eq!(err.step, Some(2));
    assert!(
        err.message.starts_with("Table '")
            && err.message.contains("missing' doesn't exist (error 1146)"),
        "{err}"
    );
    // What stays applied is the runner's to say, by file and line.
    assert!(err.message.ends_with("(error 1146)"), "{err}");
    backend.unlock().unwrap();

    // What ran stays; the revision is not recorded as applied; the journal says where.
    assert_eq!(db.rows("SELECT a FROM t"), table(&[&["1"]]));
    assert_eq!(db.rows("SELECT COUNT(*) FROM u"), table(&[&["0"]]));
    assert_eq!(backend.applied().unwrap(), vec![]);
    let partial = backend.partial().unwrap().unwrap();
    assert_eq!(
        partial,
        Partial {
            revision: "r1".into(),
            operation: Operation::Upgrade,
            steps_done: 2,
            error: partial.error.clone(),
        }
    );
    assert!(partial.error.contains("error 1146"), "{}", partial.error);

    // The file is fixed; the run resumes at the failed statement.
    db.exec("CREATE TABLE missing (x INT)");
    let mut rest = script(&["INSERT INTO missing VALUES (2)", "CREATE TABLE v (c INT)"]);
    rest.first_step = 2;
    rest.ran = vec![
        "CREATE TABLE u (b INT)".into(),
        "INSERT INTO t VALUES (1)".into(),
    ];
    backend.lock().unwrap();
    backend
        .execute(&rest, &upgrade("r1"), &Default::default())
        .unwrap();
    backend.unlock().unwrap();
    assert_eq!(backend.partial().unwrap(), None);
    assert_eq!(
        backend
            .applied()
            .unwrap()
            .into_iter()
            .map(|a| a.revision)
            .collect::<Vec<_>>(),
        ["r1"]
    );
    assert_eq!(db.rows("SELECT x FROM missing"), table(&[&["2"]]));
    assert_eq!(db.rows("SELECT COUNT(*) FROM v"), table(&[&["0"]]));
    assert_eq!(
        db.rows("SELECT revision, operation FROM wildebeest_history"),
        table(&[&["r1", "upgrade"]])
    );
}

#[test]
fn a_resume_from_the_wrong_place_runs_nothing() {
    let mut db = test_db!();
    let mut backend = db.backend();
    backend.ensure_version_tables().unwrap();
    let err = backend
        .execute(
            &script(&["CREATE TABLE a (x INT)", "bad sql"]),
            &upgrade("r1"),
            &Default::default(),
        )
        .unwrap_err();
    assert_eq!(err.step, Some(1));
    let mut wrong = script(&["CREATE TABLE b (x INT)"]);
    wrong.first_step = 3;
    let err = backend
        .execute(&wrong, &upgrade("r1"), &Default::default())
        .unwrap_err();
    assert_eq!(
        err,
        BackendError::new(
            "revision r1 stopped half way through its upgrade after statement 1, but this run \
             would upgrade it from statement 3; nothing was run"
        )
    );
    let mut unknown = script(&["CREATE TABLE b (x INT)"]);
    unknown.first_step = 1;
    let err = backend
        .execute(&unknown, &upgrade("r2"), &Default::default())
        .unwrap_err();
    assert!(
        err.message.contains("has no record of it stopping"),
        "{err}"
    );
    assert_eq!(db.rows("SHOW TABLES LIKE 'b'"), Vec::<Vec<String>>::new());
}

#[test]
fn a_resume_whose_plan_shifted_runs_nothing() {
    // Planned again after the first statements ran, the steps before the resume point
    // may differ: the steps skipped are not the ones that ran.
    let mut db = test_db!();
    let mut backend = db.backend();
    backend.ensure_version_tables().unwrap();
    let err = backend
        .execute(
            &script(&["CREATE TABLE a (x INT)", "INSERT INTO nowhere VALUES (1)"]),
            &upgrade("r1"),
            &Default::default(),
        )
        .unwrap_err();
    assert_eq!(err.step, Some(1));
    let mut shifted = script(&["INSERT INTO nowhere VALUES (1)", "CREATE TABLE b (x INT)"]);
    shifted.first_step = 1;
    shifted.ran = vec!["CREATE TABLE a (x INT, y INT)".into()];
    let err = backend
        .execute(&shifted, &upgrade("r1"), &Default::default())
        .unwrap_err();
    assert_eq!(
        err.message,
        "cannot resume revision r1 after statement 1: its statement 1, which ran, reads \
         differently now (edited, or planned differently against the half-changed database), \
         so the run cannot tell which of them to skip; nothing was run. Put them back as they \
         were, or finish the revision by hand and `stamp` it"
    );
    assert_eq!(db.rows("SHOW TABLES LIKE 'b'"), Vec::<Vec<String>>::new());
    assert_eq!(backend.partial().unwrap().unwrap().steps_done, 1);
}

#[test]
fn a_resume_runs_the_fixed_statement_that_failed() {
    // The statement that failed, and those after it, are what a user fixes; only the
    // statements that ran must read as they did.
    let mut db = test_db!();
    let mut backend = db.backend();
    backend.ensure_version_tables().unwrap();
    backend
        .execute(
            &script(&[
                "CREATE TABLE a (x INT)",
                "ALTER TABLE a ADD COLUMN bogus nosuchtype",
            ]),
            &upgrade("r1"),
            &Default::default(),
        )
        .unwrap_err();
    let mut fixed = script(&[
        "ALTER TABLE a ADD COLUMN bogus int",
        "CREATE TABLE b (x INT)",
    ]);
    fixed.first_step = 1;
    fixed.ran = vec!["CREATE TABLE a (x INT)".into()];
    backend
        .execute(&fixed, &upgrade("r1"), &Default::default())
        .unwrap();
    assert_eq!(backend.partial().unwrap(), None);
    assert_eq!(db.rows("SHOW TABLES LIKE 'b'"), table(&[&["b"]]));
}

#[test]
fn a_stamp_ends_every_journal() {
    let db = test_db!();
    let mut backend = db.backend();
    backend.ensure_version_tables().unwrap();
    backend
        .execute(
            &script(&["CREATE TABLE a (x INT)", "bad sql"]),
            &upgrade("r1"),
            &Default::default(),
        )
        .unwrap_err();
    assert!(backend.partial().unwrap().is_some());
    let stamp = wildebeest_runner::Record {
        operation: Operation::Stamp,
        revision: "r1".into(),
        other_heads: Vec::new(),
        checksum: String::new(),
        insert: vec![("r1".into(), "sum".into())],
        delete: vec![],
        started_at: "2026-01-02T03:04:05Z".into(),
    };
    backend
        .execute(&Script::default(), &stamp, &Default::default())
        .unwrap();
    assert_eq!(backend.partial().unwrap(), None);
}

#[test]
fn a_first_statement_that_fails_leaves_no_journal() {
    let db = test_db!();
    let mut backend = db.backend();
    backend.ensure_version_tables().unwrap();
    backend
        .execute(
            &script(&["bad sql", "CREATE TABLE a (x INT)"]),
            &upgrade("r1"),
            &Default::default(),
        )
        .unwrap_err();
    assert_eq!(backend.partial().unwrap(), None);
}

#[test]
fn without_the_journal_table_nothing_is_partial() {
    let db = test_db!();
    let mut backend = db.backend();
    assert_eq!(backend.partial().unwrap(), None);
}

/// The journal as a run killed between a statement and its journal entry leaves it:
/// `steps_done` statements done, no error, the next statement and the fingerprint of
/// the schema before it.
fn interrupted_journal(db: &mut crate::util::TestDb, steps_done: usize, next: &str, before: &str) {
    db.exec(&format!(
        "INSERT INTO wildebeest_progress (revision, operation, steps_done, error, updated_at, next_step, schema_before) \
         VALUES ('r1', 'upgrade', {steps_done}, '', '2026-01-02T03:04:05.000000Z', '{next}', '{before}')"
    ));
}

#[test]
fn a_ddl_statement_that_ran_before_a_kill_is_not_run_again() {
    // Killed after `CREATE TABLE b` committed and before the journal said so: the
    // resumed run used to run it again, fail on "table exists", and stay stuck.
    let mut db = test_db!();
    let mut backend = db.backend();
    backend.ensure_version_tables().unwrap();
    db.exec("CREATE TABLE a (x INT)");
    let before = backend.schema_fingerprint().unwrap();
    interrupted_journal(&mut db, 1, "CREATE TABLE b (y INT)", &before);
    db.exec("CREATE TABLE b (y INT)");
    assert_ne!(backend.schema_fingerprint().unwrap(), before);

    let mut rest = script(&["CREATE TABLE b (y INT)", "INSERT INTO a VALUES (1)"]);
    rest.first_step = 1;
    backend.lock().unwrap();
    backend
        .execute(&rest, &upgrade("r1"), &Default::default())
        .unwrap();
    backend.unlock().unwrap();
    assert_eq!(backend.partial().unwrap(), None);
    assert_eq!(db.rows("SELECT x FROM a"), table(&[&["1"]]));
    assert_eq!(
        backend
            .applied()
            .unwrap()
            .into_iter()
            .map(|a| a.revision)
            .collect::<Vec<_>>(),
        ["r1"]
    );
}

#[test]
fn a_ddl_statement_that_did_not_run_before_a_kill_runs() {
    let mut db = test_db!();
    let mut backend = db.backend();
    backend.ensure_version_tables().unwrap();
    db.exec("CREATE TABLE a (x INT)");
    let before = backend.schema_fingerprint().unwrap();
    interrupted_journal(&mut db, 1, "CREATE TABLE b (y INT)", &before);

    let mut rest = script(&["CREATE TABLE b (y INT)"]);
    rest.first_step = 1;
    backend
        .execute(&rest, &upgrade("r1"), &Default::default())
        .unwrap();
    assert_eq!(db.rows("SELECT COUNT(*) FROM b"), table(&[&["0"]]));
    assert_eq!(backend.partial().unwrap(), None);
}

#[test]
fn a_data_statement_is_never_skipped_on_resume() {
    // Rows change no fingerprint: a data statement commits with its journal entry,
    // so a journal naming it means it did not run, whatever the schema says.
    let mut db = test_db!();
    let mut backend = db.backend();
    backend.ensure_version_tables().unwrap();
    db.exec("CREATE TABLE a (x INT)");
    interrupted_journal(&mut db, 1, "INSERT INTO a VALUES (7)", "0000000000000000");
    let mut rest = script(&["INSERT INTO a VALUES (7)"]);
    rest.first_step = 1;
    backend
        .execute(&rest, &upgrade("r1"), &Default::default())
        .unwrap();
    assert_eq!(db.rows("SELECT x FROM a"), table(&[&["7"]]));
}

#[test]
fn a_failed_statement_is_run_again_even_when_the_schema_changed() {
    // After an error the user may change the schema by hand to fix it: the journal's
    // error says the statement did not run, so it runs.
    let mut db = test_db!();
    let mut backend = db.backend();
    backend.ensure_version_tables().unwrap();
    let err = backend
        .execute(
            &script(&["CREATE TABLE a (x INT)", "INSERT INTO missing VALUES (1)"]),
            &upgrade("r1"),
            &Default::default(),
        )
        .unwrap_err();
    assert_eq!(err.step, Some(1));
    db.exec("CREATE TABLE missing (x INT)");
    let mut rest = script(&["INSERT INTO missing VALUES (1)"]);
    rest.first_step = 1;
    rest.ran = vec!["CREATE TABLE a (x INT)".into()];
    backend
        .execute(&rest, &upgrade("r1"), &Default::default())
        .unwrap();
    assert_eq!(db.rows("SELECT x FROM missing"), table(&[&["1"]]));
}

#[test]
fn a_journal_table_without_the_fingerprint_column_gets_it() {
    let mut db = test_db!();
    db.exec(
        "CREATE TABLE wildebeest_progress (revision VARCHAR(64) NOT NULL PRIMARY KEY, \
         operation VARCHAR(16) NOT NULL, steps_done INT NOT NULL, error TEXT NOT NULL, \
         updated_at VARCHAR(40) NOT NULL, next_step LONGTEXT NOT NULL) ENGINE=InnoDB",
    );
    let mut backend = db.backend();
    backend.ensure_version_tables().unwrap();
    backend.ensure_version_tables().unwrap();
    assert_eq!(
        db.rows(
            "SELECT COLUMN_NAME FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() \
             AND TABLE_NAME = 'wildebeest_progress' AND COLUMN_NAME IN ('schema_before', 'steps_ran') \
             ORDER BY COLUMN_NAME"
        ),
        table(&[&["schema_before"], &["steps_ran"]])
    );
    backend
        .execute(
            &script(&["CREATE TABLE a (x INT)"]),
            &upgrade("r1"),
            &Default::default(),
        )
        .unwrap();
    assert_eq!(backend.partial().unwrap(), None);
}

#[test]
fn the_fingerprint_follows_ddl_and_not_rows() {
    let mut db = test_db!();
    let backend = db.backend();
    db.exec("CREATE TABLE a (id INT NOT NULL AUTO_INCREMENT PRIMARY KEY, x INT)");
    let first = backend.schema_fingerprint().unwrap();
    assert_eq!(first.len(), 16);
    db.exec("INSERT INTO a (x) VALUES (1), (2)");
    assert_eq!(backend.schema_fingerprint().unwrap(), first);
    db.exec("CREATE INDEX ix_a_x ON a (x)");
    let indexed = backend.schema_fingerprint().unwrap();
    assert_ne!(indexed, first);
    db.exec("ALTER TABLE a RENAME COLUMN x TO y");
    assert_ne!(backend.schema_fingerprint().unwrap(), indexed);
}

#[test]
fn a_journal_of_the_tables_a_statement_names_tells_whether_it_ran() {
    // The journal stores the fingerprint of the tables the next statement names;
    // a resumed run compares it the same way, whether the statement ran or not.
    for ran in [true, false] {
        let mut db = test_db!();
        let mut backend = db.backend();
        backend.ensure_version_tables().unwrap();
        db.exec("CREATE TABLE a (x INT)");
        let next = "ALTER TABLE a ADD COLUMN y INT";
        let before = backend.fingerprint_before(next).unwrap();
        assert!(before.starts_with('s') && before.len() == 16, "{before}");
        interrupted_journal(&mut db, 1, next, &before);
        if ran {
            db.exec(next);
        }
        let mut rest = script(&[next, "INSERT INTO a (x, y) VALUES (1, 2)"]);
        rest.first_step = 1;
        backend
            .execute(&rest, &upgrade("r1"), &Default::default())
            .unwrap();
        assert_eq!(backend.partial().unwrap(), None);
        assert_eq!(
            db.rows("SELECT x, y FROM a"),
            table(&[&["1", "2"]]),
            "ran: {ran}"
        );
    }
}

#[test]
fn the_fingerprint_of_a_statement_follows_its_tables_only() {
    let mut db = test_db!();
    let backend = db.backend();
    db.exec("CREATE TABLE a (id INT NOT NULL AUTO_INCREMENT PRIMARY KEY, x INT)");
    db.exec("CREATE TABLE other (z INT)");
    let of = |sql: &str| backend.fingerprint_before(sql).unwrap();
    let add = "ALTER TABLE a ADD COLUMN y INT";
    let first = of(add);
    // Rows and other tables change nothing.
    db.exec("INSERT INTO a (x) VALUES (1), (2)");
    db.exec("ALTER TABLE other ADD COLUMN w INT");
    db.exec("CREATE TABLE more (q INT)");
    assert_eq!(of(add), first);
    // Its own table's columns, indexes, keys and name do.
    db.exec("CREATE INDEX ix_a_x ON a (x)");
    let indexed = of(add);
    assert_ne!(indexed, first);
    db.exec("ALTER TABLE a ADD CONSTRAINT a_x_positive CHECK (x > 0)");
    assert_ne!(of(add), indexed);
    let create = "CREATE TABLE b (y INT)";
    let absent = of(create);
    db.exec(create);
    assert_ne!(of(create), absent);
    let rename = "ALTER TABLE b RENAME TO c";
    let before_rename = of(rename);
    db.exec(rename);
    assert_ne!(of(rename), before_rename);
    // Statements that name the same table take the same fingerprint.
    assert_eq!(of("CREATE INDEX ix_c ON c (y)"), of("DROP TABLE c"));
    // What the parser does not model falls back to the whole schema.
    assert_eq!(
        of("CREATE VIEW v AS SELECT 1"),
        backend.schema_fingerprint().unwrap()
    );
}

#[test]
fn dropping_an_index_is_fingerprinted_by_its_table() {
    let mut db = test_db!();
    let backend = db.backend();
    db.exec("CREATE TABLE a (x INT, y INT)");
    db.exec("CREATE INDEX ix_a_x ON a (x)");
    db.exec("CREATE TABLE other (z INT)");
    let drop = "DROP INDEX ix_a_x ON a";
    let before = backend.fingerprint_before(drop).unwrap();
    assert!(before.starts_with('s'), "{before}");
    db.exec("CREATE INDEX ix_other_z ON other (z)");
    assert_eq!(backend.fingerprint_before(drop).unwrap(), before);
    db.exec(drop);
    assert_ne!(backend.fingerprint_before(drop).unwrap(), before);
    assert!(
        backend
            .fingerprint_before("DROP INDEX ix_a_y ON `a`")
            .unwrap()
            .starts_with('s')
    );
}

#[test]
fn a_journal_fingerprinted_by_an_older_version_is_compared_its_way() {
    // Versions before the server computed the fingerprint hashed the tables' lines
    // here (`t` and 15 hex digits); a journal they left is judged that way.
    for ran in [true, false] {
        let mut db = test_db!();
        let mut backend = db.backend();
        backend.ensure_version_tables().unwrap();
        db.exec("CREATE TABLE a (x INT)");
        let next = "ALTER TABLE a ADD COLUMN y INT";
        let before = backend.fingerprint_like(next, "t").unwrap().unwrap();
        assert!(before.starts_with('t') && before.len() == 16, "{before}");
        interrupted_journal(&mut db, 1, next, &before);
        if ran {
            db.exec(next);
        }
        let mut rest = script(&[next, "INSERT INTO a (x, y) VALUES (1, 2)"]);
        rest.first_step = 1;
        backend
            .execute(&rest, &upgrade("r1"), &Default::default())
            .unwrap();
        assert_eq!(backend.partial().unwrap(), None);
        assert_eq!(
            db.rows("SELECT x, y FROM a"),
            table(&[&["1", "2"]]),
            "ran: {ran}"
        );
    }
}

#[test]
fn a_revision_started_on_a_clear_journal_records_its_statements() {
    // With the lock held and the journal found empty, a revision's first entry is the
    // one before its first statement, and a statement the fingerprint tells is
    // recorded by the entry after it or by the bookkeeping.
    let mut db = test_db!();
    let mut backend = db.backend();
    backend.ensure_version_tables().unwrap();
    backend.lock().unwrap();
    assert_eq!(backend.partial().unwrap(), None);
    // Ids that SQL would read as more than text are recorded as they are.
    let odd = "r1'; DROP TABLE a; -- \\";
    let full = script(&[
        "CREATE TABLE a (x INT)",
        "INSERT INTO a VALUES (1)",
        "CREATE INDEX ix_a_x ON a (x)",
        "ALTER TABLE a ADD COLUMN y INT",
    ]);
    backend
        .execute(&full, &upgrade(odd), &Default::default())
        .unwrap();
    let failing = script(&["CREATE TABLE b (x INT)", "INSERT INTO missing VALUES (2)"]);
    let err = backend
        .execute(&failing, &upgrade("r2"), &Default::default())
        .unwrap_err();
    assert_eq!(err.step, Some(1));
    backend.unlock().unwrap();
    assert_eq!(db.rows("SELECT x, y FROM a"), table(&[&["1", "NULL"]]));
    assert_eq!(
        db.rows("SELECT revision, checksum FROM wildebeest_revisions"),
        table(&[&[odd, &format!("sum-{odd}")]])
    );
    assert_eq!(
        db.rows("SELECT revision, operation FROM wildebeest_history"),
        table(&[&[odd, "upgrade"]])
    );
    // The statement that ran before the failure is recorded with it.
    assert_eq!(
        db.rows("SELECT revision, steps_done, next_step FROM wildebeest_progress"),
        table(&[&["r2", "1", "INSERT INTO missing VALUES (2)"]])
    );
}
