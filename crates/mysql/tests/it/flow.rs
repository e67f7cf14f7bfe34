//! Migrations the way the runner runs them: statements written for MySQL as written,
//! statements written for another database rendered for MySQL.

use wildebeest_runner::Backend;
use wildebeest_sql::Dialect;

use crate::util::{assert_synced, migrate, table, test_db, unnamed};

/// The SQLite tutorial's migrations, as its files have them.
const SQLITE_FILE: &str = "
CREATE TABLE employees (
    id INTEGER PRIMARY KEY,
    name VARCHAR(100) NOT NULL,
    salary INTEGER
);
CREATE TABLE department (
    id INTEGER NOT NULL,
    name VARCHAR(50) NOT NULL,
    address VARCHAR(200),
    PRIMARY KEY (id),
    UNIQUE (name)
);
INSERT INTO department (id, name, address) VALUES (1, 'sales', 'north');
ALTER TABLE department RENAME TO departments;
ALTER TABLE departments RENAME COLUMN address TO location;
ALTER TABLE departments ALTER COLUMN location SET NOT NULL;
ALTER TABLE employees ADD COLUMN department_id INTEGER REFERENCES departments (id);
CREATE INDEX employees_name ON employees (name);
ALTER TABLE employees ALTER COLUMN salary SET DEFAULT 0;
ALTER TABLE employees ALTER COLUMN salary TYPE BIGINT;
";

#[test]
fn statements_from_a_sqlite_file_are_rendered_for_mysql() {
    let db = test_db!();
    let mut backend = db.backend();
    let migrated = migrate(&mut backend, SQLITE_FILE, Dialect::Sqlite).unwrap();
    assert_synced(&mut backend, &unnamed(&migrated.after));
    let sql: Vec<&str> = migrated
        .script
        .body
        .iter()
        .map(|s| s.sql.as_str())
        .collect();
    assert!(
        sql.contains(&"ALTER TABLE departments MODIFY COLUMN location VARCHAR(200) NOT NULL"),
        "{sql:#?}"
    );
    assert!(
        sql.contains(
            &"ALTER TABLE departments RENAME INDEX department_name_key TO departments_name_key"
        ),
        "{sql:#?}"
    );
}

#[test]
fn the_data_stays_through_renames_and_type_changes() {
    let mut db = test_db!();
    let mut backend = db.backend();
    migrate(&mut backend, SQLITE_FILE, Dialect::Sqlite).unwrap();
    assert_eq!(
        db.rows("SELECT id, name, location FROM departments"),
        table(&[&["1", "sales", "north"]])
    );
}

#[test]
fn mysql_statements_run_as_written() {
    let db = test_db!();
    let mut backend = db.backend();
    let sql = "CREATE TABLE t (id INT NOT NULL AUTO_INCREMENT PRIMARY KEY, a VARCHAR(10) DEFAULT 'x') ENGINE=InnoDB;\n\
               ALTER TABLE t ADD COLUMN b INT AFTER id;\n\
               INSERT INTO t (a) VALUES ('y');";
    let migrated = migrate(&mut backend, sql, Dialect::Mysql).unwrap();
    let steps: Vec<&str> = migrated
        .script
        .body
        .iter()
        .map(|s| s.sql.as_str())
        .collect();
    assert_eq!(
        steps,
        [
            "CREATE TABLE t (id INT NOT NULL AUTO_INCREMENT PRIMARY KEY, a VARCHAR(10) DEFAULT 'x') ENGINE=InnoDB",
            "ALTER TABLE t ADD COLUMN b INT AFTER id",
            "INSERT INTO t (a) VALUES ('y')",
        ]
    );
    let s = backend.inspect().unwrap();
    let names: Vec<&str> = s.tables["t"]
        .columns
        .iter()
        .map(|c| c.name.as_str())
        .collect();
    assert_eq!(names, ["id", "b", "a"]);
}

#[test]
fn dropping_a_foreign_key_takes_its_index_and_a_later_drop_index_of_it_is_skipped() {
    let db = test_db!();
    let mut backend = db.backend();
    migrate(
        &mut backend,
        "CREATE TABLE p (id INT NOT NULL PRIMARY KEY);\n\
         CREATE TABLE c (id INT NOT NULL PRIMARY KEY, pid INT, CONSTRAINT c_pid_fkey FOREIGN KEY (pid) REFERENCES p (id));",
        Dialect::Mysql,
    )
    .unwrap();
    let migrated = migrate(
        &mut backend,
        "ALTER TABLE c DROP FOREIGN KEY c_pid_fkey;\nDROP INDEX c_pid_fkey ON c;",
        Dialect::Mysql,
    )
    .unwrap();
    let steps: Vec<&str> = migrated
        .script
        .body
        .iter()
        .map(|s| s.sql.as_str())
        .collect();
    assert_eq!(
        steps,
        [
            "ALTER TABLE c DROP FOREIGN KEY c_pid_fkey",
            "DROP INDEX c_pid_fkey ON c"
        ]
    );
    let s = backend.inspect().unwrap();
    assert!(s.tables["c"].indexes.is_empty(), "{:?}", s.tables["c"]);
    assert!(s.tables["c"].foreign_keys.is_empty());
}
