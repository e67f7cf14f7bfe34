use wildebeest_schema::ColumnType::*;
use wildebeest_schema::{
    AlterAction, Change, Check, Column, ColumnAlter, CommentOn, Constraint, Declared, FkAction,
    ForeignKey, Index, OptionsChange, PrimaryKey, Table, TriggerState, Unique,
};
use wildebeest_sql::{Dialect, SqlError, Statement, Warning, parse_statements};

use crate::{ALL, col, lite_table, not_null, table};

fn alter(table: &str, actions: Vec<AlterAction>) -> Change {
    Change::AlterTable {
        table: table.into(),
        actions,
    }
}

fn alter_table_one(table: &str, column: &str, alter: ColumnAlter) -> Change {
    self::alter(table, vec![alter_column(column, alter)])
}

fn alter_column(column: &str, alter: ColumnAlter) -> AlterAction {
    AlterAction::AlterColumn {
        column: column.into(),
        alter,
    }
}

fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| s.to_string()).collect()
}

fn fk(
    name: Option<&str>,
    columns: &[&str],
    ref_table: &str,
    ref_columns: &[&str],
    on_delete: FkAction,
) -> ForeignKey {
    ForeignKey {
        name: name.map(Into::into),
        columns: strings(columns),
        ref_table: ref_table.into(),
        ref_columns: strings(ref_columns),
        on_delete,
        on_update: FkAction::NoAction,
        deferral: Default::default(),
    }
}

/// The one statement `sql` holds must parse to `change` without warnings.
#[track_caller]
fn check(dialect: Dialect, sql: &str, change: Change) {
    let expect = vec![Statement {
        text: sql.to_string(),
        line: 1,
        change: Some(change),
    }];
    assert_eq!(
        parse_statements(sql, "m.sql", dialect),
        Ok((expect, vec![])),
        "{sql} in {dialect:?}"
    );
}

/// Every ALTER TABLE form, in every dialect: SQLite implements the ones it lacks with a
/// table rebuild, so its migrations must parse them too.
#[test]
fn alter_table_forms_in_every_dialect() {
    let cases: Vec<(&str, Change)> = vec![
        (
            "ALTER TABLE t RENAME TO u",
            alter("t", vec![AlterAction::RenameTable("u".into())]),
        ),
        (
            "ALTER TABLE t ADD COLUMN x INTEGER NOT NULL DEFAULT (0)",
            alter(
                "t",
                vec![AlterAction::AddColumn {
                    column: Column {
                        default: Some("0".into()),
                        ..not_null("x", Integer)
                    },
                    constraints: vec![],
                }],
            ),
        ),
        (
            "ALTER TABLE t ADD y TEXT",
            alter(
                "t",
                vec![AlterAction::AddColumn {
                    column: col("y", Text),
                    constraints: vec![],
                }],
            ),
        ),
        (
            "ALTER TABLE t ADD COLUMN d INTEGER CONSTRAINT t_d_fk REFERENCES p (id) ON DELETE SET NULL UNIQUE CHECK (d > 0)",
            alter(
                "t",
                vec![AlterAction::AddColumn {
                    column: col("d", Integer),
                    constraints: vec![
                        Constraint::ForeignKey(fk(
                            Some("t_d_fk"),
                            &["d"],
                            "p",
                            &["id"],
                            FkAction::SetNull,
                        )),
                        Constraint::Unique(Unique {
                            deferral: Default::default(),
                            name: None,
                            columns: strings(&["d"]),
                        }),
                        Constraint::Check(Check {
                            no_inherit: false,
                            written: Default::default(),
                            name: None,
                            expr: "d > 0".into(),
                        }),
                    ],
                }],
            ),
        ),
        (
            "ALTER TABLE t ADD COLUMN id INTEGER PRIMARY KEY",
            alter(
                "t",
                vec![AlterAction::AddColumn {
                    column: not_null("id", Integer),
                    constraints: vec![Constraint::PrimaryKey(PrimaryKey {
                        deferral: Default::default(),
                        name: None,
                        columns: strings(&["id"]),
                    })],
                }],
            ),
        ),
        (
            "ALTER TABLE t DROP COLUMN x",
            alter("t", vec![AlterAction::DropColumn("x".into())]),
        ),
        (
            "ALTER TABLE t DROP x",
            alter("t", vec![AlterAction::DropColumn("x".into())]),
        ),
        (
            "ALTER TABLE t RENAME COLUMN a TO b",
            alter(
                "t",
                vec![AlterAction::RenameColumn {
                    from: "a".into(),
                    to: "b".into(),
                }],
            ),
        ),
        (
            "ALTER TABLE t ALTER COLUMN c TYPE BIGINT",
            alter(
                "t",
                vec![alter_column(
                    "c",
                    ColumnAlter::SetType(BigInt, Declared::default()),
                )],
            ),
        ),
        (
            "ALTER TABLE t ALTER COLUMN c SET DATA TYPE VARCHAR(20)",
            alter(
                "t",
                vec![alter_column(
                    "c",
                    ColumnAlter::SetType(Varchar(Some(20)), Declared::default()),
                )],
            ),
        ),
        (
            "ALTER TABLE t ALTER COLUMN c SET NOT NULL",
            alter("t", vec![alter_column("c", ColumnAlter::SetNotNull)]),
        ),
        (
            "ALTER TABLE t ALTER c DROP NOT NULL",
            alter("t", vec![alter_column("c", ColumnAlter::DropNotNull)]),
        ),
        (
            "ALTER TABLE t ALTER COLUMN c SET DEFAULT ('x')",
            alter(
                "t",
                vec![alter_column("c", ColumnAlter::SetDefault("'x'".into()))],
            ),
        ),
        (
            "ALTER TABLE t ALTER COLUMN c DROP DEFAULT",
            alter("t", vec![alter_column("c", ColumnAlter::DropDefault)]),
        ),
        (
            "ALTER TABLE t ADD CONSTRAINT t_pk PRIMARY KEY (a, b)",
            alter(
                "t",
                vec![AlterAction::AddConstraint(Constraint::PrimaryKey(
                    PrimaryKey {
                        deferral: Default::default(),
                        name: Some("t_pk".into()),
                        columns: strings(&["a", "b"]),
                    },
                ))],
            ),
        ),
        (
            "ALTER TABLE t ADD UNIQUE (c)",
            alter(
                "t",
                vec![AlterAction::AddConstraint(Constraint::Unique(Unique {
                    deferral: Default::default(),
                    name: None,
                    columns: strings(&["c"]),
                }))],
            ),
        ),
        (
            "ALTER TABLE t ADD CONSTRAINT t_fk FOREIGN KEY (d) REFERENCES p (id) ON DELETE CASCADE",
            alter(
                "t",
                vec![AlterAction::AddConstraint(Constraint::ForeignKey(fk(
                    Some("t_fk"),
                    &["d"],
                    "p",
                    &["id"],
                    FkAction::Cascade,
                )))],
            ),
        ),
        (
            "ALTER TABLE t ADD CHECK ((a > 0))",
            alter(
                "t",
                vec![AlterAction::AddConstraint(Constraint::Check(Check {
                    no_inherit: false,
                    written: Default::default(),
                    name: None,
                    expr: "a > 0".into(),
                }))],
            ),
        ),
        (
            "ALTER TABLE t DROP CONSTRAINT t_fk",
            alter("t", vec![AlterAction::DropConstraint("t_fk".into())]),
        ),
        (
            "ALTER TABLE t ADD COLUMN e TEXT, DROP COLUMN f, ALTER COLUMN g SET NOT NULL",
            alter(
                "t",
                vec![
                    AlterAction::AddColumn {
                        column: col("e", Text),
                        constraints: vec![],
                    },
                    AlterAction::DropColumn("f".into()),
                    alter_column("g", ColumnAlter::SetNotNull),
                ],
            ),
        ),
        // `DEFAULT NULL` is no default, as databases report it.
        (
            "ALTER TABLE t ALTER COLUMN c SET DEFAULT NULL",
            alter("t", vec![alter_column("c", ColumnAlter::DropDefault)]),
        ),
        (
            "ALTER TABLE t ADD COLUMN z TEXT DEFAULT (NULL)",
            alter(
                "t",
                vec![AlterAction::AddColumn {
                    column: col("z", Text),
                    constraints: vec![],
                }],
            ),
        ),
    ];
    for dialect in ALL {
        for (sql, change) in &cases {
            let mut change = unwritten_actions(dialect, change.clone());
            // SQLite keeps a key column's nullability as written: `id INTEGER PRIMARY
            // KEY` takes NULL there (the rowid numbers it), unlike elsewhere.
            if let (Dialect::Sqlite, Change::CreateTable { table, .. }) = (dialect, &mut change) {
                table.options.nullable_key = true;
                if let Some(id) = table.columns.iter_mut().find(|c| c.name == "id") {
                    id.nullable = true;
                }
            }
            check(dialect, sql, change);
        }
    }
}

#[test]
fn tables_and_indexes_in_every_dialect() {
    let cases: Vec<(&str, Change)> = vec![
        (
            "CREATE TABLE IF NOT EXISTS departments (id INTEGER PRIMARY KEY, name VARCHAR(50) NOT NULL UNIQUE)",
            Change::CreateTable {
                table: Table {
                    primary_key: Some(PrimaryKey {
                        deferral: Default::default(),
                        name: None,
                        columns: strings(&["id"]),
                    }),
                    uniques: vec![Unique {
                        deferral: Default::default(),
                        name: None,
                        columns: strings(&["name"]),
                    }],
                    ..table(
                        "departments",
                        vec![not_null("id", Integer), not_null("name", Varchar(Some(50)))],
                    )
                },
                if_not_exists: true,
            },
        ),
        (
            // No cross-table checks in a migration: `p` need not exist here, and a
            // reference without columns stays without them.
            "CREATE TABLE c (pid INTEGER REFERENCES p ON DELETE CASCADE)",
            Change::CreateTable {
                table: Table {
                    foreign_keys: vec![fk(None, &["pid"], "p", &[], FkAction::Cascade)],
                    ..table("c", vec![col("pid", Integer)])
                },
                if_not_exists: false,
            },
        ),
        (
            "DROP TABLE employees",
            Change::DropTable {
                name: "employees".into(),
                if_exists: false,
            },
        ),
        (
            "DROP TABLE IF EXISTS employees",
            Change::DropTable {
                name: "employees".into(),
                if_exists: true,
            },
        ),
        (
            "CREATE UNIQUE INDEX IF NOT EXISTS employees_name ON employees (name, salary DESC) WHERE salary > 0",
            Change::CreateIndex {
                index: Index {
                    hidden: None,
                    name: "employees_name".into(),
                    table: "employees".into(),
                    columns: strings(&["name", "salary DESC"]),
                    unique: true,
                    predicate: Some("salary > 0".into()),
                    method: None,
                    nulls_not_distinct: false,
                    comment: None,
                    include: Vec::new(),
                    storage: Vec::new(),
                    predicate_written: Default::default(),
                },
                if_not_exists: true,
            },
        ),
        (
            "CREATE INDEX employees_lower ON employees (lower(name))",
            Change::CreateIndex {
                index: Index {
                    hidden: None,
                    name: "employees_lower".into(),
                    table: "employees".into(),
                    columns: strings(&["lower(name)"]),
                    unique: false,
                    predicate: None,
                    method: None,
                    nulls_not_distinct: false,
                    comment: None,
                    include: Vec::new(),
                    storage: Vec::new(),
                    predicate_written: Default::default(),
                },
                if_not_exists: false,
            },
        ),
        (
            "DROP INDEX IF EXISTS employees_name",
            Change::DropIndex {
                name: "employees_name".into(),
                table: None,
                if_exists: true,
            },
        ),
    ];
    for dialect in ALL {
        for (sql, change) in &cases {
            let mut change = unwritten_actions(dialect, change.clone());
            // SQLite keeps a key column's nullability as written: `id INTEGER PRIMARY
            // KEY` takes NULL there (the rowid numbers it), unlike elsewhere.
            if let (Dialect::Sqlite, Change::CreateTable { table, .. }) = (dialect, &mut change) {
                table.options.nullable_key = true;
                if let Some(id) = table.columns.iter_mut().find(|c| c.name == "id") {
                    id.nullable = true;
                }
            }
            check(dialect, sql, change);
        }
    }
    // PostgreSQL drops an index without locking its table as it drops it otherwise.
    for (sql, if_exists) in [
        ("DROP INDEX CONCURRENTLY employees_name", false),
        ("drop index concurrently if exists employees_name", true),
        (
            "DROP INDEX /* quietly */ CONCURRENTLY\n  IF EXISTS employees_name",
            true,
        ),
    ] {
        check(
            Dialect::Postgres,
            sql,
            Change::DropIndex {
                name: "employees_name".into(),
                table: None,
                if_exists,
            },
        );
    }
    // MySQL names the index's table.
    check(
        Dialect::Mysql,
        "DROP INDEX employees_name ON `Employees`",
        Change::DropIndex {
            name: "employees_name".into(),
            table: Some("Employees".into()),
            if_exists: false,
        },
    );
}

#[test]
fn dialect_specific_forms() {
    let modify = |column: &str, ty, not_null: bool, default: Option<&str>| {
        let mut c = Column::new(column, ty);
        c.nullable = !not_null;
        c.default = default.map(str::to_string);
        vec![alter_column(column, ColumnAlter::Redefine(Box::new(c)))]
    };
    let cases: Vec<(Dialect, &str, Change)> = vec![
        // SQLite: any words make a type; table options in any order.
        (
            Dialect::Sqlite,
            "ALTER TABLE t ADD COLUMN n UNSIGNED BIG INT",
            alter(
                "t",
                vec![AlterAction::AddColumn {
                    column: col("n", Custom("UNSIGNED BIG INT".into())),
                    constraints: vec![],
                }],
            ),
        ),
        // Regression: `migrate` wrote a type change to a type of several words that
        // the runner could not read back (it ran as written and failed on SQLite).
        (
            Dialect::Sqlite,
            "ALTER TABLE t ALTER COLUMN v TYPE VARYING CHARACTER(255)",
            alter(
                "t",
                vec![alter_column(
                    "v",
                    ColumnAlter::SetType(
                        Custom("VARYING CHARACTER(255)".into()),
                        Declared::default(),
                    ),
                )],
            ),
        ),
        (
            Dialect::Sqlite,
            "ALTER TABLE t ALTER COLUMN v SET DATA TYPE UNSIGNED BIG INT",
            alter(
                "t",
                vec![alter_column(
                    "v",
                    ColumnAlter::SetType(Custom("UNSIGNED BIG INT".into()), Declared::default()),
                )],
            ),
        ),
        (
            Dialect::Sqlite,
            "CREATE TABLE kv (k TEXT PRIMARY KEY, v) STRICT, WITHOUT ROWID",
            Change::CreateTable {
                table: Table {
                    primary_key: Some(PrimaryKey {
                        deferral: Default::default(),
                        name: None,
                        columns: strings(&["k"]),
                    }),
                    options: wildebeest_schema::TableOptions {
                        without_rowid: true,
                        strict: true,
                        nullable_key: true,
                        ..Default::default()
                    },
                    ..table("kv", vec![col("k", Text), col("v", Custom(String::new()))])
                },
                if_not_exists: false,
            },
        ),
        (
            Dialect::Sqlite,
            "CREATE TABLE [order items] (\"id\" INTEGER PRIMARY KEY AUTOINCREMENT, `qty` INT)",
            Change::CreateTable {
                table: Table {
                    primary_key: Some(PrimaryKey {
                        deferral: Default::default(),
                        name: None,
                        columns: strings(&["id"]),
                    }),
                    ..lite_table(
                        "order items",
                        vec![
                            Column {
                                auto_increment: true,
                                generated_always: false,
                                on_update: None,
                                ..col("id", Integer)
                            },
                            col("qty", Custom("INT".into())),
                        ],
                    )
                },
                if_not_exists: false,
            },
        ),
        // PostgreSQL: unquoted names fold, quoted ones do not.
        (
            Dialect::Postgres,
            "ALTER TABLE Public.Employees ALTER COLUMN \"Salary\" TYPE NUMERIC(10, 2) USING \"Salary\"::numeric",
            alter(
                "employees",
                vec![alter_column(
                    "Salary",
                    ColumnAlter::SetType(
                        Decimal {
                            precision: Some(10),
                            scale: Some(2),
                        },
                        Declared::default(),
                    ),
                )],
            ),
        ),
        (
            Dialect::Postgres,
            "ALTER TABLE ONLY t ADD CONSTRAINT T_Check CHECK (A > 0) NOT VALID",
            alter(
                "t",
                vec![AlterAction::AddConstraint(Constraint::Check(Check {
                    no_inherit: false,
                    written: Default::default(),
                    name: Some("t_check".into()),
                    expr: "a > 0".into(),
                }))],
            ),
        ),
        // MySQL: table options, which the SQL parser reads only in a CREATE TABLE.
        (
            Dialect::Mysql,
            "ALTER TABLE `t` COMMENT = 'it''s' ENGINE=MyISAM",
            alter(
                "t",
                vec![AlterAction::SetOptions(OptionsChange {
                    comment: Some(Some("it's".into())),
                    engine: Some(Some("myisam".into())),
                    ..OptionsChange::default()
                })],
            ),
        ),
        (
            Dialect::Mysql,
            "ALTER TABLE t CONVERT TO CHARACTER SET utf8mb4 COLLATE utf8mb4_bin",
            alter(
                "t",
                vec![AlterAction::SetOptions(OptionsChange {
                    charset: Some(Some("utf8mb4".into())),
                    collation: Some(Some("utf8mb4_bin".into())),
                    ..OptionsChange::default()
                })],
            ),
        ),
        (
            // A character set alone brings its default collation; `DEFAULT` is the
            // database's; the counter is not schema.
            Dialect::Mysql,
            "ALTER TABLE t DEFAULT CHARSET = DEFAULT, COMMENT '', AUTO_INCREMENT = 100",
            alter(
                "t",
                vec![AlterAction::SetOptions(OptionsChange {
                    charset: Some(None),
                    collation: Some(None),
                    comment: Some(None),
                    ..OptionsChange::default()
                })],
            ),
        ),
        // MySQL: MODIFY and CHANGE redefine the whole column.
        (
            Dialect::Mysql,
            "ALTER TABLE t MODIFY id BIGINT NOT NULL AUTO_INCREMENT, \
             MODIFY at TIMESTAMP NULL ON UPDATE CURRENT_TIMESTAMP",
            alter("t", {
                let mut id = Column::new("id", BigInt);
                id.nullable = false;
                id.auto_increment = true;
                let mut at = Column::new("at", Timestamp);
                at.on_update = Some("CURRENT_TIMESTAMP".into());
                [id, at]
                    .map(|c| alter_column(&c.name.clone(), ColumnAlter::Redefine(Box::new(c))))
                    .to_vec()
            }),
        ),
        (
            Dialect::Mysql,
            "ALTER TABLE `t` MODIFY COLUMN c BIGINT NOT NULL DEFAULT 5",
            alter("t", modify("c", BigInt, true, Some("5"))),
        ),
        (
            Dialect::Mysql,
            "ALTER TABLE t CHANGE COLUMN a b VARCHAR(10)",
            alter(
                "t",
                [
                    vec![AlterAction::RenameColumn {
                        from: "a".into(),
                        to: "b".into(),
                    }],
                    modify("b", Varchar(Some(10)), false, None),
                ]
                .concat(),
            ),
        ),
        (
            Dialect::Mysql,
            "ALTER TABLE t DROP FOREIGN KEY t_fk",
            alter("t", vec![AlterAction::DropConstraint("t_fk".into())]),
        ),
        (
            Dialect::Mysql,
            "ALTER TABLE t ADD COLUMN id INT AUTO_INCREMENT",
            alter(
                "t",
                vec![AlterAction::AddColumn {
                    column: Column {
                        auto_increment: true,
                        generated_always: false,
                        on_update: None,
                        ..col("id", Integer)
                    },
                    constraints: vec![],
                }],
            ),
        ),
    ];
    for (dialect, sql, change) in cases {
        check(dialect, sql, change);
    }
}

#[test]
fn every_statement_is_kept_with_its_line_and_text() {
    let sql = "-- upgrade\n\
               CREATE TABLE t (a INTEGER);\n\
               INSERT INTO t VALUES (1), (2);\n\
               UPDATE t SET a = a + 1 WHERE a > 0;\n\
               DELETE FROM t;\n\
               WITH x AS (SELECT 1) SELECT * FROM x;\n\
               CREATE TEMP VIEW v AS SELECT a FROM t;\n\
               CREATE TEMP TRIGGER tr AFTER INSERT ON t BEGIN\n  UPDATE t SET a = 0;\nEND;\n\
               PRAGMA foreign_keys = ON;\n\
               DROP TABLE a, b;\n\
               CREATE TABLE broken (a INT,, b INT);\n\
               ALTER TABLE t OWNER TO admin;\n\
               CREATE TEMP TABLE tmp (x);\n\
               CREATE TABLE copy AS SELECT * FROM t";
    let stmt = |line, text: &str, change| Statement {
        text: text.into(),
        line,
        change,
    };
    let unknown = |line, text: &str, why: &str| Warning {
        line,
        message: format!(
            "`{text}` not understood{why}; it runs as written but the schema model does not see it"
        ),
    };
    let expect_statements = vec![
        stmt(
            2,
            "CREATE TABLE t (a INTEGER)",
            Some(Change::CreateTable {
                table: lite_table("t", vec![col("a", Integer)]),
                if_not_exists: false,
            }),
        ),
        stmt(3, "INSERT INTO t VALUES (1), (2)", None),
        stmt(4, "UPDATE t SET a = a + 1 WHERE a > 0", None),
        stmt(5, "DELETE FROM t", None),
        stmt(6, "WITH x AS (SELECT 1) SELECT * FROM x", None),
        stmt(7, "CREATE TEMP VIEW v AS SELECT a FROM t", None),
        stmt(
            8,
            "CREATE TEMP TRIGGER tr AFTER INSERT ON t BEGIN\n  UPDATE t SET a = 0;\nEND",
            None,
        ),
        stmt(11, "PRAGMA foreign_keys = ON", None),
        stmt(12, "DROP TABLE a, b", None),
        stmt(13, "CREATE TABLE broken (a INT,, b INT)", None),
        stmt(14, "ALTER TABLE t OWNER TO admin", None),
        stmt(15, "CREATE TEMP TABLE tmp (x)", None),
        stmt(16, "CREATE TABLE copy AS SELECT * FROM t", None),
    ];
    let expect_warnings = vec![
        unknown(
            7,
            "CREATE TEMP VIEW v AS SELECT a FROM t",
            " (a temporary view is not part of the schema at line 7, column 1)",
        ),
        unknown(
            8,
            "CREATE TEMP TRIGGER tr AFTER INSERT ON t BEGIN UPDATE t SET ...",
            " (a temporary trigger is not part of the schema at line 8, column 1)",
        ),
        unknown(11, "PRAGMA foreign_keys = ON", ""),
        unknown(
            12,
            "DROP TABLE a, b",
            " (a statement that drops several objects is not modeled; drop one per statement at line 12, column 1)",
        ),
        unknown(
            13,
            "CREATE TABLE broken (a INT,, b INT)",
            " (Expected: column name or constraint definition, found: , at line 13, column 28)",
        ),
        unknown(
            14,
            "ALTER TABLE t OWNER TO admin",
            " (`OWNER TO admin` cannot be modeled at line 14, column 13)",
        ),
        unknown(
            15,
            "CREATE TEMP TABLE tmp (x)",
            " (a temporary table is not part of the schema at line 15, column 1)",
        ),
        unknown(
            16,
            "CREATE TABLE copy AS SELECT * FROM t",
            " (`CREATE TABLE copy AS SELECT` cannot be modeled; write its columns out at line 16, column 14)",
        ),
    ];
    assert_eq!(
        parse_statements(sql, "m.sql", Dialect::Sqlite),
        Ok((expect_statements, expect_warnings))
    );
}

#[test]
fn what_a_statement_cannot_keep_is_warned_about() {
    let sql = "ALTER TABLE t ADD COLUMN g TEXT GENERATED ALWAYS AS (upper(a)) STORED;\n\
               CREATE INDEX t_g ON t (g) INCLUDE (a);\n\
               DROP TABLE t CASCADE";
    let (statements, warnings) = parse_statements(sql, "m.sql", Dialect::Postgres).unwrap();
    let changes: Vec<Option<Change>> = statements.into_iter().map(|s| s.change).collect();
    assert_eq!(
        changes,
        vec![
            Some(alter(
                "t",
                vec![
                    // A generated column is modeled, as CREATE TABLE has it.
                    AlterAction::AddColumn {
                        column: Column {
                            generated: Some(wildebeest_schema::Generated {
                                expr: "upper(a)".into(),
                                stored: true,
                            }),
                            ..col("g", Text)
                        },
                        constraints: vec![]
                    },
                ]
            )),
            // PostgreSQL's `INCLUDE` is held, as in a schema file.
            Some(Change::CreateIndex {
                index: Index {
                    hidden: None,
                    name: "t_g".into(),
                    table: "t".into(),
                    columns: strings(&["g"]),
                    unique: false,
                    predicate: None,
                    method: None,
                    nulls_not_distinct: false,
                    comment: None,
                    include: strings(&["a"]),
                    storage: Vec::new(),
                    predicate_written: Default::default(),
                },
                if_not_exists: false,
            }),
            Some(Change::DropTable {
                name: "t".into(),
                if_exists: false
            }),
        ]
    );
    assert_eq!(
        warnings,
        vec![Warning {
            line: 3,
            message:
                "CASCADE may drop other objects (views, foreign keys) the model does not follow"
                    .into()
        },]
    );
}

#[test]
fn only_unterminated_text_is_an_error() {
    let cases = [
        (
            "SELECT 1;\nINSERT INTO t VALUES ('oops);",
            Dialect::Sqlite,
            2,
            23,
            "unterminated string literal",
        ),
        (
            "CREATE FUNCTION f() AS $$ BEGIN",
            Dialect::Postgres,
            1,
            24,
            "unterminated dollar-quoted string",
        ),
        (
            "SELECT 1 /* open",
            Dialect::Mysql,
            1,
            10,
            "unterminated block comment",
        ),
    ];
    for (sql, dialect, line, column, message) in cases {
        assert_eq!(
            parse_statements(sql, "m.sql", dialect),
            Err(SqlError {
                file: "m.sql".into(),
                line,
                column,
                message: message.into()
            }),
            "{sql}"
        );
    }
}

#[test]
fn if_exists_clauses_are_warned_about() {
    let sql = "ALTER TABLE IF EXISTS t DROP COLUMN IF EXISTS x, ADD COLUMN IF NOT EXISTS y INT";
    let expect = vec![Statement {
        text: sql.into(),
        line: 1,
        change: Some(alter(
            "t",
            vec![
                AlterAction::DropColumn("x".into()),
                AlterAction::AddColumn {
                    column: col("y", Integer),
                    constraints: vec![],
                },
            ],
        )),
    }];
    let warn = |message: &str| Warning {
        line: 1,
        message: message.into(),
    };
    assert_eq!(
        parse_statements(sql, "m.sql", Dialect::Postgres),
        Ok((
            expect,
            vec![
                warn(
                    "`IF EXISTS` in `ALTER TABLE IF EXISTS t` is not modeled; the change assumes it applies"
                ),
                warn(
                    "`IF EXISTS` in `DROP COLUMN IF EXISTS x` is not modeled; the change assumes it applies"
                ),
                warn(
                    "`IF NOT EXISTS` in `ADD COLUMN IF NOT EXISTS y INT` is not modeled; the change assumes it applies"
                ),
            ]
        ))
    );
}

#[test]
fn enum_type_statements_in_postgres() {
    use wildebeest_schema::LabelPosition::{After, Before, Last};
    let pg = Dialect::Postgres;
    check(
        pg,
        "CREATE TYPE mood AS ENUM ('sad', 'it''s ok')",
        Change::CreateEnum {
            name: "mood".into(),
            labels: strings(&["sad", "it's ok"]),
        },
    );
    // Unquoted names fold; the default schema's qualifier goes; no labels is allowed.
    check(
        pg,
        "create type public.Mood as enum ()",
        Change::CreateEnum {
            name: "mood".into(),
            labels: vec![],
        },
    );
    check(
        pg,
        "CREATE TYPE \"Mood\" AS ENUM ('A')",
        Change::CreateEnum {
            name: "Mood".into(),
            labels: strings(&["A"]),
        },
    );
    let add = |value: &str, position, if_not_exists| Change::AddEnumValue {
        name: "mood".into(),
        value: value.into(),
        position,
        if_not_exists,
    };
    check(
        pg,
        "ALTER TYPE mood ADD VALUE 'happy'",
        add("happy", Last, false),
    );
    check(
        pg,
        "ALTER TYPE mood ADD VALUE IF NOT EXISTS 'meh' BEFORE 'ok'",
        add("meh", Before("ok".into()), true),
    );
    check(
        pg,
        "ALTER TYPE mood ADD VALUE 'low' AFTER 'sad'",
        add("low", After("sad".into()), false),
    );
    check(
        pg,
        "ALTER TYPE mood RENAME VALUE 'ok' TO 'fine'",
        Change::RenameEnumValue {
            name: "mood".into(),
            from: "ok".into(),
            to: "fine".into(),
        },
    );
    check(
        pg,
        "ALTER TYPE mood RENAME TO feeling",
        Change::RenameEnum {
            from: "mood".into(),
            to: "feeling".into(),
        },
    );
    check(
        pg,
        "DROP TYPE IF EXISTS mood",
        Change::DropEnum {
            name: "mood".into(),
            if_exists: true,
        },
    );
    // A column of the type names it as a custom type until resolved against a schema.
    check(
        pg,
        "ALTER TABLE person ADD COLUMN m mood NOT NULL DEFAULT 'sad'",
        alter(
            "person",
            vec![AlterAction::AddColumn {
                column: Column {
                    default: Some("'sad'".into()),
                    ..not_null("m", Custom("MOOD".into()))
                },
                constraints: vec![],
            }],
        ),
    );
}

#[test]
fn base_types_and_enums_outside_postgres_are_not_modeled() {
    let cases = [
        (
            Dialect::Postgres,
            "CREATE TYPE pair (INPUT = pair_in, OUTPUT = pair_out)",
            "type `pair` is a base or shell type; only enum, composite and range types are modeled",
        ),
        (
            Dialect::Postgres,
            "CREATE TYPE mood AS ENUM (sad)",
            "the enum value `sad` must be a string literal ('...')",
        ),
        (
            Dialect::Sqlite,
            "CREATE TYPE mood AS ENUM ('a')",
            "enum types are PostgreSQL's: the model follows them in PostgreSQL files only",
        ),
        (
            Dialect::Mysql,
            "DROP TYPE mood",
            "enum, composite and range types are PostgreSQL's: the model follows them in PostgreSQL files only",
        ),
    ];
    for (dialect, sql, why) in cases {
        let (statements, warnings) = parse_statements(sql, "m.sql", dialect).unwrap();
        assert_eq!(statements[0].change, None, "{sql}");
        assert_eq!(warnings.len(), 1, "{sql}: {warnings:?}");
        assert!(
            warnings[0].message.contains(why),
            "{sql}: {}",
            warnings[0].message
        );
        assert!(
            warnings[0]
                .message
                .ends_with("it runs as written but the schema model does not see it"),
            "{}",
            warnings[0].message
        );
    }
}

#[test]
fn overlapping_runs_of_type_words_do_not_crash_the_parser() {
    // Two ADDs in one statement, the first column's words running on through the
    // second ADD: both runs were spliced and the second splice indexed past the end
    // ("internal error: the SQL parser failed"). Found by the migration_file fuzz target.
    let text = "ALTER TABLE t ADD a my type\nALTER TABLE t ADD COLUMN b other type INTEGER;";
    let result = wildebeest_sql::parse_statements(text, "m.sql", Dialect::Sqlite);
    let (statements, _) = result.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(statements.len(), 1);
    assert_eq!(statements[0].line, 1);
}

/// PostgreSQL identity columns are auto-incrementing columns, NOT NULL as PostgreSQL
/// makes them; `ALWAYS` is kept. With sequence options, or in a dialect without
/// identity columns, the clause is not modeled.
#[test]
fn postgres_identity_columns() {
    let parsed = |sql: &str, dialect: Dialect| -> (Table, Vec<Warning>) {
        let (statements, warnings) = parse_statements(sql, "m.sql", dialect).unwrap();
        match &statements[..] {
            [
                Statement {
                    change: Some(Change::CreateTable { table, .. }),
                    ..
                },
            ] => (table.clone(), warnings),
            other => panic!("{sql}: {other:?}"),
        }
    };
    let identity = |always: bool| Column {
        auto_increment: true,
        generated_always: always,
        on_update: None,
        ..not_null("id", BigInt)
    };
    for (clause, always) in [("BY DEFAULT", false), ("ALWAYS", true)] {
        let sql = format!("CREATE TABLE t (id BIGINT GENERATED {clause} AS IDENTITY, n TEXT)");
        let (t, warnings) = parsed(&sql, Dialect::Postgres);
        assert_eq!(warnings, vec![]);
        assert_eq!(t.columns, [identity(always), col("n", Text)], "{sql}");
        assert!(t.unmodeled.is_empty(), "{sql}: {:?}", t.unmodeled);
    }

    // Options other than PostgreSQL's own: the column is an identity, the options
    // are kept as unmodeled, as in schema.sql.
    let (t, warnings) = parsed(
        "CREATE TABLE t (id BIGINT GENERATED ALWAYS AS IDENTITY (START WITH 100) PRIMARY KEY)",
        Dialect::Postgres,
    );
    assert!(t.columns[0].auto_increment && t.columns[0].generated_always);
    assert_eq!(
        t.unmodeled,
        ["column id: GENERATED ALWAYS AS IDENTITY (START WITH 100)"]
    );
    assert_eq!(warnings.len(), 1, "{warnings:?}");

    for dialect in [Dialect::Sqlite, Dialect::Mysql] {
        let sql = "CREATE TABLE t (id BIGINT GENERATED BY DEFAULT AS IDENTITY)";
        if let Ok((statements, _)) = parse_statements(sql, "m.sql", dialect)
            && let [
                Statement {
                    change: Some(Change::CreateTable { table, .. }),
                    ..
                },
            ] = &statements[..]
        {
            assert!(!table.columns[0].auto_increment, "{dialect:?}");
            assert_eq!(
                table.unmodeled.len(),
                1,
                "{dialect:?}: {:?}",
                table.unmodeled
            );
        }
    }

    // The identity actions the SQL parser does not read, in their spellings.
    let identity_alters = [
        (
            "ALTER TABLE t ALTER COLUMN id SET GENERATED ALWAYS",
            "t",
            "id",
            ColumnAlter::SetGenerated { always: true },
        ),
        (
            "alter table public.\"T\" alter \"Id\"  set generated\n  by default",
            "T",
            "Id",
            ColumnAlter::SetGenerated { always: false },
        ),
        (
            "ALTER TABLE ONLY t ALTER COLUMN id DROP IDENTITY",
            "t",
            "id",
            ColumnAlter::DropIdentity { if_exists: false },
        ),
        (
            "ALTER TABLE t ALTER COLUMN id DROP IDENTITY IF EXISTS",
            "t",
            "id",
            ColumnAlter::DropIdentity { if_exists: true },
        ),
    ];
    for (sql, table, column, alter) in identity_alters {
        check(
            Dialect::Postgres,
            sql,
            alter_table_one(table, column, alter),
        );
    }
    // With another action before it.
    check(
        Dialect::Postgres,
        "ALTER TABLE t ALTER COLUMN n SET NOT NULL, ALTER COLUMN id DROP IDENTITY",
        alter(
            "t",
            vec![
                alter_column("n", ColumnAlter::SetNotNull),
                alter_column("id", ColumnAlter::DropIdentity { if_exists: false }),
            ],
        ),
    );
    // Text ending in characters of several bytes where the words would be.
    for n in 0..12 {
        let e = "é".repeat(n);
        for sql in [
            format!("ALTER TABLE t DROP {e}"),
            format!("ALTER TABLE t DROP {e}x"),
            format!("ALTER TABLE t DROP \"x{e}\""),
        ] {
            let parsed = parse_statements(&sql, "m.sql", Dialect::Postgres);
            assert!(parsed.is_ok(), "{sql}: {parsed:?}");
        }
    }
    // A column named `identity` is dropped, not an identity.
    check(
        Dialect::Postgres,
        "ALTER TABLE t DROP identity",
        alter("t", vec![AlterAction::DropColumn("identity".into())]),
    );

    for (clause, always) in [("BY DEFAULT", false), ("ALWAYS", true)] {
        check(
            Dialect::Postgres,
            &format!("ALTER TABLE t ALTER COLUMN id ADD GENERATED {clause} AS IDENTITY"),
            alter(
                "t",
                vec![alter_column("id", ColumnAlter::AddIdentity { always })],
            ),
        );
    }
}

/// An identity's options in a migration, in a `CREATE TABLE` or pg_dump's `ALTER
/// TABLE`: PostgreSQL's defaults were read as a plain identity in schema.sql but were
/// not understood here (in any order but sqlparser's, or with `SEQUENCE NAME`), so
/// `check` saw drift once such a migration ran.
#[test]
fn postgres_identity_options_at_their_defaults_are_a_plain_identity() {
    let defaults = "SEQUENCE NAME public.t_id_seq START WITH 1 INCREMENT BY 1 NO MINVALUE \
                    NO MAXVALUE CACHE 1";
    for options in [defaults, "START WITH 1 INCREMENT BY 1", "NO CYCLE"] {
        let sql = format!(
            "ALTER TABLE public.t ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (\n    {options}\n)"
        );
        check(
            Dialect::Postgres,
            &sql,
            alter_table_one("t", "id", ColumnAlter::AddIdentity { always: true }),
        );
        let sql = format!(
            "CREATE TABLE t (\n  id bigint GENERATED BY DEFAULT AS IDENTITY ({options}) PRIMARY KEY,\n  n text\n)"
        );
        let (statements, warnings) = parse_statements(&sql, "m.sql", Dialect::Postgres).unwrap();
        assert_eq!(warnings, vec![], "{sql}");
        let Some(Change::CreateTable { table, .. }) = &statements[0].change else {
            panic!("{sql}: {statements:?}");
        };
        assert!(table.unmodeled.is_empty(), "{sql}: {:?}", table.unmodeled);
        let id = &table.columns[0];
        assert!(
            id.auto_increment && !id.generated_always && !id.nullable,
            "{sql}"
        );
    }

    // Options the model does not hold: the statement runs as written, with a warning
    // that names them. So do options whose judging needs the column's type, which a
    // migration's statement is read without.
    for options in [
        "START WITH 100",
        "SEQUENCE NAME other_seq",
        "MAXVALUE 100",
        "AS integer",
    ] {
        let sql = format!(
            "ALTER TABLE t ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY ({options})"
        );
        let (statements, warnings) = parse_statements(&sql, "m.sql", Dialect::Postgres).unwrap();
        assert_eq!(statements[0].change, None, "{sql}");
        assert_eq!(warnings.len(), 1, "{sql}: {warnings:?}");
        assert!(
            warnings[0].message.contains(&format!(
                "the model does not follow the identity options ({options})"
            )),
            "{warnings:?}"
        );
    }
}

/// `change` as `dialect` reads its foreign keys' unwritten actions: `NO ACTION`, but
/// in MySQL's, where the server decides (`FkAction::Unspecified`). The cases here
/// write no `NO ACTION`.
fn unwritten_actions(dialect: Dialect, change: Change) -> Change {
    if dialect != Dialect::Mysql {
        return change;
    }
    let fix = |c: &mut Constraint| {
        if let Constraint::ForeignKey(fk) = c {
            for a in [&mut fk.on_delete, &mut fk.on_update] {
                if *a == FkAction::NoAction {
                    *a = FkAction::Unspecified;
                }
            }
        }
    };
    match change {
        Change::CreateTable {
            mut table,
            if_not_exists,
        } => {
            for fk in &mut table.foreign_keys {
                let mut c = Constraint::ForeignKey(fk.clone());
                fix(&mut c);
                if let Constraint::ForeignKey(f) = c {
                    *fk = f;
                }
            }
            Change::CreateTable {
                table,
                if_not_exists,
            }
        }
        Change::AlterTable { table, mut actions } => {
            for a in &mut actions {
                match a {
                    AlterAction::AddColumn { constraints, .. } => {
                        constraints.iter_mut().for_each(fix)
                    }
                    AlterAction::AddConstraint(c) => fix(c),
                    _ => {}
                }
            }
            Change::AlterTable { table, actions }
        }
        other => other,
    }
}

#[test]
fn postgres_comments_on_tables_and_columns_are_followed() {
    use wildebeest_schema::OptionsChange;
    let table_comment = |text: Option<&str>| {
        alter(
            "t",
            vec![AlterAction::SetOptions(OptionsChange {
                comment: Some(text.map(Into::into)),
                ..OptionsChange::default()
            })],
        )
    };
    check(
        Dialect::Postgres,
        "COMMENT ON TABLE t IS 'it''s ours'",
        table_comment(Some("it's ours")),
    );
    check(
        Dialect::Postgres,
        "COMMENT ON TABLE public.t IS NULL",
        table_comment(None),
    );
    check(
        Dialect::Postgres,
        "COMMENT ON TABLE t IS ''",
        table_comment(None),
    );
    // A column's comment names a table's or a view's column: the change tells them
    // apart where it applies.
    let column = |text: Option<&str>| Change::Comment {
        on: CommentOn::ViewColumn {
            view: "t".into(),
            column: "c".into(),
        },
        text: text.map(Into::into),
    };
    check(
        Dialect::Postgres,
        "COMMENT ON COLUMN t.c IS 'cents'",
        column(Some("cents")),
    );
    check(
        Dialect::Postgres,
        "COMMENT ON COLUMN public.t.c IS NULL",
        column(None),
    );
}

/// Every object the model holds a comment for, named as PostgreSQL names it; read
/// as PostgreSQL's in any file, so that another database refuses the op by name.
#[test]
fn postgres_comments_on_other_objects_are_followed() {
    use wildebeest_schema::RoutineKind;
    let on = |text: &str, on: CommentOn| {
        for dialect in [Dialect::Postgres, Dialect::Sqlite, Dialect::Mysql] {
            check(
                dialect,
                text,
                Change::Comment {
                    on: on.clone(),
                    text: Some("x".into()),
                },
            );
        }
    };
    on(
        "COMMENT ON VIEW public.v IS 'x'",
        CommentOn::View("v".into()),
    );
    on(
        "COMMENT ON MATERIALIZED VIEW \"Mv\" IS 'x'",
        CommentOn::MaterializedView("Mv".into()),
    );
    on("COMMENT ON INDEX i IS 'x'", CommentOn::Index("i".into()));
    on(
        "COMMENT ON SEQUENCE s IS 'x'",
        CommentOn::Sequence("s".into()),
    );
    on(
        "COMMENT ON TYPE mood IS 'x'",
        CommentOn::Type("mood".into()),
    );
    on("COMMENT ON DOMAIN d IS 'x'", CommentOn::Domain("d".into()));
    on(
        "COMMENT ON FUNCTION f(INT, varchar(20)) IS 'x'",
        CommentOn::Routine {
            kind: RoutineKind::Function,
            key: "f(integer, character varying)".into(),
        },
    );
    on(
        "COMMENT ON PROCEDURE p IS 'x'",
        CommentOn::Routine {
            kind: RoutineKind::Procedure,
            key: "p".into(),
        },
    );
    on(
        "COMMENT ON TRIGGER tr ON t IS 'x'",
        CommentOn::Trigger {
            table: "t".into(),
            name: "tr".into(),
        },
    );
    on(
        "COMMENT ON CONSTRAINT k ON public.t IS 'x'",
        CommentOn::Constraint {
            table: "t".into(),
            name: "k".into(),
        },
    );
    on(
        "COMMENT ON CONSTRAINT k ON DOMAIN d IS 'x'",
        CommentOn::DomainConstraint {
            domain: "d".into(),
            name: "k".into(),
        },
    );
    on(
        "COMMENT ON POLICY p ON t IS 'x'",
        CommentOn::Policy {
            table: "t".into(),
            name: "p".into(),
        },
    );
    on(
        "COMMENT ON EXTENSION ltree IS 'x'",
        CommentOn::Extension("ltree".into()),
    );
    on("COMMENT ON SCHEMA public IS 'x'", CommentOn::Schema);
    // The block a migration sets the schema's comment with reads back.
    for text in [Some("it's $comment$ here"), None] {
        check(
            Dialect::Postgres,
            &wildebeest_sql::schema_comment_block(text),
            Change::Comment {
                on: CommentOn::Schema,
                text: text.map(Into::into),
            },
        );
    }
    // A comment on what the model holds none for runs as written, and the model says
    // it does not follow it.
    let (statements, warnings) =
        parse_statements("COMMENT ON ROLE r IS 'x'", "m.sql", Dialect::Postgres).unwrap();
    assert_eq!(statements[0].change, None);
    assert!(
        warnings[0]
            .message
            .contains("a comment on a role is not modeled"),
        "{warnings:?}"
    );
}

/// Read as PostgreSQL's in any file: another database refuses the op when it plans
/// it, by name, before anything runs.
#[test]
fn extensions_are_followed_in_every_dialect() {
    use wildebeest_schema::Extension;
    for dialect in [Dialect::Postgres, Dialect::Sqlite, Dialect::Mysql] {
        check(
            dialect,
            "CREATE EXTENSION IF NOT EXISTS \"uuid-ossp\" WITH SCHEMA Public",
            Change::CreateExtension {
                extension: Extension {
                    name: "uuid-ossp".into(),
                    schema: Some("public".into()),
                },
                if_not_exists: true,
            },
        );
        check(
            dialect,
            "DROP EXTENSION IF EXISTS citext, Hstore",
            Change::DropExtension {
                names: vec!["citext".into(), "hstore".into()],
                if_exists: true,
            },
        );
    }
}

#[test]
fn composite_and_range_types_are_followed_in_every_dialect() {
    use wildebeest_schema::{Attribute, AttributeAction, Composite, Range, UserType};
    let attribute = |name: &str, ty| Attribute {
        name: name.into(),
        ty,
        collation: None,
    };
    for dialect in [Dialect::Postgres, Dialect::Sqlite, Dialect::Mysql] {
        check(
            dialect,
            "CREATE TYPE address AS (street text, zip integer)",
            Change::CreateType(UserType::Composite(Composite {
                name: "address".into(),
                attributes: vec![
                    attribute("street", wildebeest_schema::ColumnType::Text),
                    attribute("zip", wildebeest_schema::ColumnType::Integer),
                ],
            })),
        );
        check(
            dialect,
            "CREATE TYPE span AS RANGE (SUBTYPE = int8)",
            Change::CreateType(UserType::Range(Range {
                name: "span".into(),
                subtype: wildebeest_schema::ColumnType::BigInt,
                opclass: None,
                collation: None,
                subtype_diff: None,
                multirange: "span_multirange".into(),
            })),
        );
        check(
            dialect,
            "ALTER TYPE address ADD ATTRIBUTE city text, DROP ATTRIBUTE IF EXISTS zip, \
             ALTER ATTRIBUTE street SET DATA TYPE varchar(10) RESTRICT",
            Change::AlterComposite {
                name: "address".into(),
                actions: vec![
                    AttributeAction::Add(attribute("city", wildebeest_schema::ColumnType::Text)),
                    AttributeAction::Drop {
                        name: "zip".into(),
                        if_exists: true,
                    },
                    AttributeAction::Alter(attribute(
                        "street",
                        wildebeest_schema::ColumnType::Varchar(Some(10)),
                    )),
                ],
            },
        );
    }
    check(
        Dialect::Postgres,
        "DROP TYPE span",
        Change::DropEnum {
            name: "span".into(),
            if_exists: false,
        },
    );
}

#[test]
fn domains_are_followed_in_every_dialect() {
    use wildebeest_schema::{Check, Domain, DomainAction};
    for dialect in [Dialect::Postgres, Dialect::Sqlite, Dialect::Mysql] {
        check(
            dialect,
            "CREATE DOMAIN d AS numeric(10, 2) DEFAULT 0 CHECK (VALUE >= 0)",
            Change::CreateDomain(Domain {
                name: "d".into(),
                base: wildebeest_schema::ColumnType::Decimal {
                    precision: Some(10),
                    scale: Some(2),
                },
                collation: None,
                default: Some("0".into()),
                not_null: false,
                checks: vec![Check {
                    no_inherit: false,
                    written: Default::default(),
                    name: Some("d_check".into()),
                    expr: "value >= 0".into(),
                }],
            }),
        );
        check(
            dialect,
            "DROP DOMAIN IF EXISTS d, E",
            Change::DropDomain {
                names: vec!["d".into(), "e".into()],
                if_exists: true,
            },
        );
        for (sql, action) in [
            (
                "ALTER DOMAIN d SET DEFAULT 1 + 1",
                DomainAction::SetDefault("1 + 1".into()),
            ),
            ("ALTER DOMAIN d DROP DEFAULT", DomainAction::DropDefault),
            ("ALTER DOMAIN d SET NOT NULL", DomainAction::SetNotNull),
            ("ALTER DOMAIN d DROP NOT NULL", DomainAction::DropNotNull),
            (
                "ALTER DOMAIN d ADD CONSTRAINT c CHECK (VALUE < 5)",
                DomainAction::AddCheck(Check {
                    no_inherit: false,
                    written: Default::default(),
                    name: Some("c".into()),
                    expr: "value < 5".into(),
                }),
            ),
            (
                "ALTER DOMAIN d DROP CONSTRAINT IF EXISTS c",
                DomainAction::DropConstraint {
                    name: "c".into(),
                    if_exists: true,
                },
            ),
        ] {
            check(
                dialect,
                sql,
                Change::AlterDomain {
                    name: "d".into(),
                    action,
                },
            );
        }
    }
}

/// MySQL's own kinds of index, which the parser does not read, are an index with
/// that method.
#[test]
fn mysql_fulltext_and_spatial_indexes_are_followed() {
    for (sql, name, method) in [
        (
            "CREATE FULLTEXT INDEX ft ON doc (title, body)",
            "ft",
            "FULLTEXT",
        ),
        ("create spatial index sp on doc (spot)", "sp", "SPATIAL"),
    ] {
        let (statements, warnings) = parse_statements(sql, "m.sql", Dialect::Mysql).unwrap();
        assert_eq!(warnings, vec![], "{sql}");
        let Some(Change::CreateIndex { index, .. }) = &statements[0].change else {
            panic!("{sql}: {statements:?}");
        };
        assert_eq!(
            (index.name.as_str(), index.method.as_deref(), index.unique),
            (name, Some(method), false),
            "{sql}"
        );
    }
}

#[test]
fn postgres_routines_in_a_migration_are_followed() {
    let sql = "CREATE OR REPLACE FUNCTION f(a int, b text DEFAULT 'x;y') RETURNS int\nLANGUAGE sql AS $$ SELECT a; $$;\n\nDROP FUNCTION IF EXISTS f(int, text);\n\nDROP PROCEDURE p;\n\nDROP FUNCTION f(int) CASCADE;";
    let (statements, warnings) = parse_statements(sql, "m.sql", Dialect::Postgres).unwrap();
    assert_eq!(statements.len(), 4, "{statements:?}");
    let Some(Change::CreateRoutine {
        routine,
        or_replace: true,
    }) = &statements[0].change
    else {
        panic!("{:?}", statements[0]);
    };
    assert_eq!(routine.signature(), "f(integer, text)");
    assert_eq!(
        statements[1].change,
        Some(Change::DropRoutine {
            kind: wildebeest_schema::RoutineKind::Function,
            name: "f".into(),
            arg_types: Some(strings(&["integer", "text"])),
            if_exists: true,
        })
    );
    assert!(matches!(
        statements[2].change,
        Some(Change::DropRoutine {
            arg_types: None,
            ..
        })
    ));
    // `CASCADE` drops what depends on the function: not followed, with a warning.
    assert_eq!(statements[3].change, None);
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(warnings[0].message.contains("CASCADE"), "{warnings:?}");
    // On SQLite, not followed: SQLite has none.
    let (statements, warnings) = parse_statements(
        "CREATE FUNCTION f() RETURNS int AS 'SELECT 1'",
        "m.sql",
        Dialect::Sqlite,
    )
    .unwrap();
    assert_eq!(statements[0].change, None);
    assert!(
        warnings[0].message.contains("SQLite has no functions"),
        "{warnings:?}"
    );
}

#[test]
fn sqlite_and_mysql_triggers_are_followed_there_and_not_read_as_postgresql_ones() {
    let sql = "CREATE TRIGGER IF NOT EXISTS tr AFTER INSERT ON t BEGIN\n  UPDATE t SET a = 0;\nEND;\n\
               DROP TRIGGER IF EXISTS tr;";
    for dialect in [Dialect::Sqlite, Dialect::Mysql] {
        let (statements, warnings) = parse_statements(sql, "m.sql", dialect).unwrap();
        assert_eq!(warnings, vec![], "{dialect:?}");
        match &statements[0].change {
            Some(Change::CreateTrigger {
                trigger,
                or_replace: false,
                if_not_exists: true,
            }) => {
                assert_eq!((trigger.name.as_str(), trigger.table.as_str()), ("tr", "t"));
                assert_eq!(trigger.timing, "AFTER INSERT");
                assert_eq!(trigger.body, "BEGIN\n  UPDATE t SET a = 0;\nEND");
            }
            other => panic!("{dialect:?}: {other:?}"),
        }
        assert_eq!(
            statements[1].change,
            Some(Change::DropTrigger {
                name: "tr".into(),
                table: None,
                if_exists: true
            })
        );
    }
    let (statements, warnings) = parse_statements(sql, "m.sql", Dialect::Postgres).unwrap();
    assert!(statements.iter().all(|s| s.change.is_none()));
    assert_eq!(warnings.len(), 2);
}

/// SQLite stores a column's type as written: the parser keeps that text beside the
/// model's type, from a column definition and from `ALTER COLUMN ... TYPE`, and only
/// in SQLite's dialect.
#[test]
fn sqlite_declared_type_text_is_read_as_written() {
    let sql = "ALTER TABLE t ADD COLUMN a  decimal( 5 ,2 ) NOT NULL;\n\
               ALTER TABLE t ALTER COLUMN b TYPE Unsigned  Big /* x */ Int;\n\
               ALTER TABLE t ALTER COLUMN c SET DATA TYPE \"my type\"";
    let declared = |dialect: Dialect| -> Vec<Option<String>> {
        let (statements, _) = parse_statements(sql, "m.sql", dialect).unwrap_or_default();
        statements
            .into_iter()
            .filter_map(|s| s.change)
            .flat_map(|c| match c {
                Change::AlterTable { actions, .. } => actions,
                _ => Vec::new(),
            })
            .filter_map(|a| match a {
                AlterAction::AddColumn { column, .. } => {
                    Some(column.declared.text_for(&column.ty).map(str::to_string))
                }
                AlterAction::AlterColumn {
                    alter: ColumnAlter::SetType(_, d),
                    ..
                } => Some(d.text().map(str::to_string)),
                _ => None,
            })
            .collect()
    };
    assert_eq!(
        declared(Dialect::Sqlite),
        vec![
            Some("decimal( 5 ,2 )".to_string()),
            Some("Unsigned  Big /* x */ Int".to_string()),
            Some("\"my type\"".to_string()),
        ]
    );
    assert!(declared(Dialect::Postgres).iter().all(Option::is_none));
}

#[test]
fn a_migrations_delimiter_lines_are_the_mysql_clients() {
    let sql = "DELIMITER ;;\n\
               CREATE TRIGGER tr BEFORE INSERT ON t FOR EACH ROW BEGIN SET NEW.a = 1; SET @b = 2; END;;\n\
               /*!50003 DROP TRIGGER IF EXISTS tr */;;\n\
               DELIMITER ;\n\
               SELECT 1;";
    let (statements, warnings) = parse_statements(sql, "m.sql", Dialect::Mysql).unwrap();
    assert_eq!(warnings, vec![]);
    assert_eq!(statements.len(), 3);
    assert_eq!(
        statements[0].text,
        "CREATE TRIGGER tr BEFORE INSERT ON t FOR EACH ROW BEGIN SET NEW.a = 1; SET @b = 2; END"
    );
    assert!(matches!(
        statements[0].change,
        Some(Change::CreateTrigger { .. })
    ));
    // Runs as written, read as what the versioned comment holds.
    assert_eq!(statements[1].text, "/*!50003 DROP TRIGGER IF EXISTS tr */");
    assert_eq!(
        statements[1].change,
        Some(Change::DropTrigger {
            name: "tr".into(),
            table: None,
            if_exists: true
        })
    );
    assert_eq!(statements[2].line, 5);
    let e = parse_statements(sql, "m.sql", Dialect::Sqlite).unwrap_err();
    assert_eq!((e.file.as_str(), e.line), ("m.sql", 1));
    assert!(e.message.contains("mysql client"), "{e:?}");
}
#[test]
fn postgres_trigger_statements_are_followed() {
    let sql = "CREATE OR REPLACE CONSTRAINT TRIGGER \"Tr\" AFTER INSERT ON public.t\n\
               DEFERRABLE FOR EACH ROW EXECUTE PROCEDURE public.f('a');\n\
               ALTER TABLE ONLY public.t ENABLE ALWAYS TRIGGER \"Tr\";\n\
               ALTER TABLE t DISABLE TRIGGER ALL;\n\
               ALTER TRIGGER \"Tr\" ON t RENAME TO tr;\n\
               DROP TRIGGER IF EXISTS tr ON public.t CASCADE;";
    let (statements, warnings) = parse_statements(sql, "m.sql", Dialect::Postgres).unwrap();
    assert_eq!(warnings, vec![]);
    match &statements[0].change {
        Some(Change::CreateTrigger {
            trigger,
            or_replace: true,
            ..
        }) => {
            assert_eq!((trigger.name.as_str(), trigger.table.as_str()), ("Tr", "t"));
            assert!(trigger.constraint);
            assert_eq!(trigger.function.as_deref(), Some("f"));
            assert_eq!(
                trigger.body,
                "DEFERRABLE FOR EACH ROW EXECUTE PROCEDURE f('a')"
            );
            assert_eq!(
                trigger.normalized,
                "AFTER INSERT ON DEFERRABLE FOR EACH ROW EXECUTE FUNCTION f ( 'a' )"
            );
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(
        statements[1].change,
        Some(Change::SetTriggerState {
            table: "t".into(),
            name: Some("Tr".into()),
            state: TriggerState::Always,
        })
    );
    assert_eq!(
        statements[2].change,
        Some(Change::SetTriggerState {
            table: "t".into(),
            name: None,
            state: TriggerState::Disabled,
        })
    );
    assert_eq!(
        statements[3].change,
        Some(Change::RenameTrigger {
            table: "t".into(),
            from: "Tr".into(),
            to: "tr".into(),
        })
    );
    assert_eq!(
        statements[4].change,
        Some(Change::DropTrigger {
            name: "tr".into(),
            table: Some("t".into()),
            if_exists: true,
        })
    );
    // A trigger of another schema is not followed, with the reason.
    let (statements, warnings) = parse_statements(
        "CREATE TRIGGER a AFTER INSERT ON other.t FOR EACH ROW EXECUTE FUNCTION f();",
        "m.sql",
        Dialect::Postgres,
    )
    .unwrap();
    assert_eq!(statements[0].change, None);
    assert!(
        warnings[0].message.contains("schema `other`"),
        "{warnings:?}"
    );
}

#[test]
fn postgres_row_level_security_statements_are_followed() {
    let sql = "ALTER TABLE IF EXISTS ONLY public.doc NO FORCE ROW LEVEL SECURITY;\n\
               CREATE POLICY \"Mine\" ON public.doc AS RESTRICTIVE FOR update TO App, PUBLIC\n\
                   USING ((owner = current_user)) WITH CHECK (true);\n\
               ALTER POLICY \"Mine\" ON doc RENAME TO mine;\n\
               ALTER POLICY mine ON doc TO app USING (owner  =  CURRENT_USER);\n\
               DROP POLICY IF EXISTS mine ON doc;";
    let (statements, warnings) = parse_statements(sql, "m.sql", Dialect::Postgres).unwrap();
    assert_eq!(warnings, vec![]);
    assert_eq!(
        statements[0].change,
        Some(Change::SetRowSecurity {
            table: "doc".into(),
            enabled: None,
            forced: Some(false),
        })
    );
    assert_eq!(
        statements[1].change,
        Some(Change::CreatePolicy(wildebeest_schema::Policy {
            name: "Mine".into(),
            table: "doc".into(),
            permissive: false,
            command: "UPDATE".into(),
            roles: vec!["app".into(), "public".into()],
            using: Some("owner = CURRENT_USER".into()),
            check: Some("true".into()),
        }))
    );
    match &statements[3].change {
        Some(Change::AlterPolicy {
            name,
            rename: None,
            roles: Some(roles),
            using: Some(using),
            check: None,
            ..
        }) => {
            assert_eq!(name, "mine");
            assert_eq!(roles, &["app"]);
            assert_eq!(using, "owner = CURRENT_USER");
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(
        statements[4].change,
        Some(Change::DropPolicy {
            name: "mine".into(),
            table: "doc".into(),
            if_exists: true,
        })
    );
}

/// A migration's MySQL `ALTER TABLE` on partitions is followed as the change it makes;
/// one the model does not follow is named in the warning.
#[test]
fn mysql_partition_statements_are_changes() {
    let (statements, warnings) = wildebeest_sql::parse_statements(
        "ALTER TABLE t DROP PARTITION p0;\n\
         ALTER TABLE t TRUNCATE PARTITION p1;\n\
         ALTER TABLE t EXCHANGE PARTITION p1 WITH TABLE u;",
        "m.sql",
        Dialect::Mysql,
    )
    .unwrap();
    assert_eq!(
        statements[0].change,
        Some(wildebeest_schema::Change::AlterTable {
            table: "t".into(),
            actions: vec![wildebeest_schema::AlterAction::MysqlPartitions(
                wildebeest_schema::MysqlPartitionChange::Drop(vec!["p0".into()])
            )],
        })
    );
    // Emptying a partition changes nothing the model holds.
    assert_eq!(statements[1].change, None);
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert_eq!(warnings[0].line, 3);
    assert!(
        warnings[0]
            .message
            .contains("`EXCHANGE PARTITION` is not followed"),
        "{warnings:?}"
    );
}
