use wildebeest_schema::ColumnType::*;
use wildebeest_schema::{
    Check, Column, CommentOn, Deferral, FkAction, ForeignKey, Generated, Index, PrimaryKey, Schema,
    Table, TableOptions, Unique,
};
use wildebeest_sql::{Dialect, SqlError, Warning, parse_schema, parse_schema_files};

use crate::{col, lite_table, not_null, table};

fn schema(tables: Vec<Table>) -> Schema {
    Schema {
        tables: tables.into_iter().map(|t| (t.name.clone(), t)).collect(),
        ..Schema::default()
    }
}

fn pk(columns: &[&str]) -> Option<PrimaryKey> {
    Some(PrimaryKey {
        deferral: Default::default(),
        name: None,
        columns: columns.iter().map(|c| c.to_string()).collect(),
    })
}

fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| s.to_string()).collect()
}

fn warning(line: usize, message: &str) -> Warning {
    Warning {
        line,
        message: message.to_string(),
    }
}

const FLASK_SQLITE: &str = "\
-- The Flask example's schema, as written for SQLite.
CREATE TABLE departments (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name VARCHAR(100) NOT NULL,
    CONSTRAINT departments_name_key UNIQUE (name)
);

CREATE TABLE employees (
    id INTEGER PRIMARY KEY,
    name VARCHAR NOT NULL,
    salary INTEGER,
    department_id INTEGER REFERENCES departments (id) ON DELETE CASCADE,
    hired_on DATE DEFAULT (CURRENT_DATE),
    CONSTRAINT salary_positive CHECK (salary > 0)
);

CREATE TABLE assignments (
    employee_id INTEGER NOT NULL,
    project TEXT NOT NULL COLLATE NOCASE,
    role TEXT DEFAULT 'member',
    PRIMARY KEY (employee_id, project),
    FOREIGN KEY (employee_id) REFERENCES employees ON DELETE CASCADE ON UPDATE RESTRICT
) WITHOUT ROWID;

CREATE TABLE settings (key TEXT PRIMARY KEY, value) STRICT, WITHOUT ROWID;

CREATE INDEX employees_salary ON employees (salary DESC) WHERE salary IS NOT NULL;
CREATE UNIQUE INDEX employees_lower_name ON employees (lower(name), department_id);
";

#[test]
fn flask_schema_in_sqlite() {
    let departments = Table {
        primary_key: pk(&["id"]),
        uniques: vec![Unique {
            deferral: Default::default(),
            // The name PostgreSQL would give it anyway: the same as none.
            name: None,
            columns: strings(&["name"]),
        }],
        ..lite_table(
            "departments",
            vec![
                Column {
                    auto_increment: true,
                    generated_always: false,
                    on_update: None,
                    ..col("id", Integer)
                },
                not_null("name", Varchar(Some(100))),
            ],
        )
    };
    let employees = Table {
        primary_key: pk(&["id"]),
        foreign_keys: vec![ForeignKey {
            name: None,
            columns: strings(&["department_id"]),
            ref_table: "departments".into(),
            ref_columns: strings(&["id"]),
            on_delete: FkAction::Cascade,
            on_update: FkAction::NoAction,
            deferral: Default::default(),
        }],
        checks: vec![Check {
            no_inherit: false,
            written: Default::default(),
            name: Some("salary_positive".into()),
            expr: "salary > 0".into(),
        }],
        indexes: vec![
            Index {
                hidden: None,
                name: "employees_lower_name".into(),
                table: "employees".into(),
                columns: strings(&["lower(name)", "department_id"]),
                unique: true,
                predicate: None,
                method: None,
                nulls_not_distinct: false,
                comment: None,
                include: Vec::new(),
                storage: Vec::new(),
                predicate_written: Default::default(),
            },
            Index {
                hidden: None,
                name: "employees_salary".into(),
                table: "employees".into(),
                columns: strings(&["salary DESC"]),
                unique: false,
                predicate: Some("salary IS NOT NULL".into()),
                method: None,
                nulls_not_distinct: false,
                comment: None,
                include: Vec::new(),
                storage: Vec::new(),
                predicate_written: Default::default(),
            },
        ],
        ..lite_table(
            "employees",
            vec![
                col("id", Integer),
                not_null("name", Varchar(None)),
                col("salary", Integer),
                col("department_id", Integer),
                Column {
                    default: Some("CURRENT_DATE".into()),
                    ..col("hired_on", Date)
                },
            ],
        )
    };
    let assignments = Table {
        primary_key: pk(&["employee_id", "project"]),
        foreign_keys: vec![ForeignKey {
            name: None,
            columns: strings(&["employee_id"]),
            ref_table: "employees".into(),
            // A reference to a table means its primary key.
            ref_columns: strings(&["id"]),
            on_delete: FkAction::Cascade,
            on_update: FkAction::Restrict,
            deferral: Default::default(),
        }],
        options: TableOptions {
            without_rowid: true,
            strict: false,
            nullable_key: true,
            ..Default::default()
        },
        ..lite_table(
            "assignments",
            vec![
                not_null("employee_id", Integer),
                Column {
                    collation: Some("NOCASE".into()),
                    ..not_null("project", Text)
                },
                Column {
                    default: Some("'member'".into()),
                    ..col("role", Text)
                },
            ],
        )
    };
    let settings = Table {
        primary_key: pk(&["key"]),
        options: TableOptions {
            without_rowid: true,
            strict: true,
            nullable_key: true,
            ..Default::default()
        },
        ..lite_table(
            "settings",
            vec![col("key", Text), col("value", Custom(String::new()))],
        )
    };
    assert_eq!(
        parse_schema(FLASK_SQLITE, "schema.sql", Dialect::Sqlite),
        Ok((
            schema(vec![departments, employees, assignments, settings]),
            vec![]
        ))
    );
}

#[test]
fn postgres_folds_unquoted_names_and_reads_pg_dump_constraints() {
    let sql = r#"
CREATE TABLE Users (
    ID SERIAL PRIMARY KEY,
    "Email" TEXT NOT NULL,
    Created TIMESTAMP WITH TIME ZONE DEFAULT now(),
    Status VARCHAR(10) DEFAULT 'Active' CHECK (Status IN ('Active', 'Gone')),
    CONSTRAINT Users_Email_Key UNIQUE ("Email")
);
CREATE TABLE public.posts (
    id BIGINT NOT NULL,
    user_id INTEGER NOT NULL,
    body JSONB,
    amount NUMERIC(10, 2)
);
ALTER TABLE ONLY public.posts ADD CONSTRAINT posts_pkey PRIMARY KEY (id);
ALTER TABLE ONLY public.posts
    ADD CONSTRAINT posts_user_id_fkey FOREIGN KEY (user_id) REFERENCES public.users(id) ON UPDATE CASCADE;
CREATE INDEX posts_user ON posts (User_Id, lower(body ->> 'title') DESC NULLS LAST);
"#;
    let users = Table {
        primary_key: pk(&["id"]),
        uniques: vec![Unique {
            deferral: Default::default(),
            name: Some("users_email_key".into()),
            columns: strings(&["Email"]),
        }],
        checks: vec![Check {
            no_inherit: false,
            written: Default::default(),
            name: None,
            expr: "status IN ('Active', 'Gone')".into(),
        }],
        ..table(
            "users",
            vec![
                not_null("id", Custom("SERIAL".into())),
                not_null("Email", Text),
                Column {
                    default: Some("now()".into()),
                    ..col("created", TimestampTz)
                },
                Column {
                    default: Some("'Active'".into()),
                    ..col("status", Varchar(Some(10)))
                },
            ],
        )
    };
    let posts = Table {
        primary_key: Some(PrimaryKey {
            deferral: Default::default(),
            // The name PostgreSQL would give it anyway: the same as none.
            name: None,
            columns: strings(&["id"]),
        }),
        foreign_keys: vec![ForeignKey {
            // The name PostgreSQL would give it anyway: the same as none.
            name: None,
            columns: strings(&["user_id"]),
            ref_table: "users".into(),
            ref_columns: strings(&["id"]),
            on_delete: FkAction::NoAction,
            on_update: FkAction::Cascade,
            deferral: Default::default(),
        }],
        indexes: vec![Index {
            hidden: None,
            name: "posts_user".into(),
            table: "posts".into(),
            columns: strings(&["user_id", "lower(body ->> 'title') DESC NULLS LAST"]),
            unique: false,
            predicate: None,
            method: None,
            nulls_not_distinct: false,
            comment: None,
            include: Vec::new(),
            storage: Vec::new(),
            predicate_written: Default::default(),
        }],
        ..table(
            "posts",
            vec![
                not_null("id", BigInt),
                not_null("user_id", Integer),
                col("body", Custom("JSONB".into())),
                col(
                    "amount",
                    Decimal {
                        precision: Some(10),
                        scale: Some(2),
                    },
                ),
            ],
        )
    };
    assert_eq!(
        parse_schema(sql, "schema.sql", Dialect::Postgres),
        Ok((schema(vec![users, posts]), vec![]))
    );
}

#[test]
fn mysql_keeps_names_and_records_what_it_cannot_model() {
    let sql = "CREATE TABLE `Orders` (\n\
               `id` INT NOT NULL AUTO_INCREMENT,\n\
               `Total` DECIMAL(8,2) NOT NULL DEFAULT '0.00',\n\
               note TEXT COMMENT 'free text',\n\
               PRIMARY KEY (`id`),\n\
               KEY orders_total (`Total`),\n\
               KEY orders_note USING HASH (note)\n\
               ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;\n";
    let orders = Table {
        primary_key: pk(&["id"]),
        indexes: vec![Index {
            hidden: None,
            name: "orders_total".into(),
            table: "Orders".into(),
            columns: strings(&["Total"]),
            unique: false,
            predicate: None,
            method: None,
            nulls_not_distinct: false,
            comment: None,
            include: Vec::new(),
            storage: Vec::new(),
            predicate_written: Default::default(),
        }],
        unmodeled: strings(&["KEY orders_note USING HASH (note)"]),
        options: TableOptions {
            charset: Some("utf8mb4".into()),
            ..TableOptions::default()
        },
        ..table(
            "Orders",
            vec![
                Column {
                    auto_increment: true,
                    generated_always: false,
                    on_update: None,
                    ..not_null("id", Integer)
                },
                Column {
                    default: Some("0".into()),
                    ..not_null(
                        "Total",
                        Decimal {
                            precision: Some(8),
                            scale: Some(2),
                        },
                    )
                },
                Column {
                    comment: Some("free text".into()),
                    ..col("note", Text)
                },
            ],
        )
    };
    let kept = |line, what: &str| {
        warning(
            line,
            &format!("table `Orders`: the model cannot hold `{what}`; it is kept as unmodeled"),
        )
    };
    assert_eq!(
        parse_schema(sql, "schema.sql", Dialect::Mysql),
        Ok((
            schema(vec![orders]),
            vec![kept(7, "KEY orders_note USING HASH (note)")]
        ))
    );
}

/// PostgreSQL's index access methods are kept (B-tree is none); MySQL's `USING BTREE`
/// is what it builds anyway, and another method is warned about and not kept.
#[test]
fn index_methods() {
    let sql = "CREATE TABLE t (a INT, b JSONB);\n\
               CREATE INDEX t_b ON t USING GIN (b);\n\
               CREATE INDEX t_a ON t USING btree (a);";
    let (s, warnings) = parse_schema(sql, "schema.sql", Dialect::Postgres).unwrap();
    let methods: Vec<(&str, Option<&str>)> = s.tables["t"]
        .indexes
        .iter()
        .map(|i| (i.name.as_str(), i.method.as_deref()))
        .collect();
    assert_eq!(methods, [("t_a", None), ("t_b", Some("gin"))]);
    assert_eq!(warnings, vec![]);

    let sql = "CREATE TABLE t (a INT, b INT);\n\
               CREATE INDEX t_a ON t (a) USING BTREE;\n\
               CREATE INDEX t_b ON t (b) USING HASH;";
    let (s, warnings) = parse_schema(sql, "schema.sql", Dialect::Mysql).unwrap();
    assert!(s.tables["t"].indexes.iter().all(|i| i.method.is_none()));
    assert_eq!(
        warnings,
        vec![warning(
            3,
            "index `t_b`: the model cannot hold `USING HASH`; not kept"
        )]
    );
}

/// MySQL's table options: `ENGINE=InnoDB`, the default and the engine every table is
/// made with, is none; another engine, the character set, the collation and the
/// comment are kept; the `AUTO_INCREMENT` counter is state, not schema; other options
/// are not modeled.
#[test]
fn mysql_table_options() {
    let options = |charset: Option<&str>,
                   collation: Option<&str>,
                   comment: Option<&str>,
                   engine: Option<&str>| TableOptions {
        charset: charset.map(str::to_string),
        collation: collation.map(str::to_string),
        comment: comment.map(str::to_string),
        engine: engine.map(str::to_string),
        ..TableOptions::default()
    };
    for (sql, kept, unmodeled) in [
        (
            "CREATE TABLE t (a INT) ENGINE=InnoDB;",
            options(None, None, None, None),
            vec![],
        ),
        (
            "CREATE TABLE t (a INT) engine = innodb AUTO_INCREMENT=17;",
            options(None, None, None, None),
            vec![],
        ),
        (
            "CREATE TABLE t (a INT) ENGINE=MyISAM;",
            options(None, None, None, Some("myisam")),
            vec![],
        ),
        (
            "CREATE TABLE t (a INT) ENGINE=InnoDB DEFAULT CHARSET=UTF8MB4 COLLATE=utf8mb4_bin COMMENT='it''s';",
            options(Some("utf8mb4"), Some("utf8mb4_bin"), Some("it's"), None),
            vec![],
        ),
        (
            "CREATE TABLE t (a INT) CHARACTER SET = latin1, COMMENT '';",
            options(Some("latin1"), None, None, None),
            vec![],
        ),
        (
            "CREATE TABLE t (a INT) MAX_ROWS=100;",
            options(None, None, None, None),
            strings(&["MAX_ROWS = 100"]),
        ),
        // The other options the model holds, as the server reports them: in upper
        // case, sorted; a default (`DEFAULT`, a `0` of `CHECKSUM`) is no option.
        (
            "CREATE TABLE t (a INT) row_format=compressed KEY_BLOCK_SIZE=8 \
             STATS_PERSISTENT=0 STATS_AUTO_RECALC=DEFAULT STATS_SAMPLE_PAGES=20 \
             PACK_KEYS=1 CHECKSUM=0 DELAY_KEY_WRITE=1 AUTO_INCREMENT=9;",
            TableOptions {
                mysql: strings(&[
                    "DELAY_KEY_WRITE=1",
                    "KEY_BLOCK_SIZE=8",
                    "PACK_KEYS=1",
                    "ROW_FORMAT=COMPRESSED",
                    "STATS_PERSISTENT=0",
                    "STATS_SAMPLE_PAGES=20",
                ]),
                ..options(None, None, None, None)
            },
            vec![],
        ),
    ] {
        let (s, warnings) = parse_schema(sql, "schema.sql", Dialect::Mysql).unwrap();
        assert_eq!(s.tables["t"].options, kept, "{sql}");
        assert_eq!(s.tables["t"].unmodeled, unmodeled, "{sql}");
        assert_eq!(warnings.len(), unmodeled.len(), "{sql}: {warnings:?}");
    }
    // A column's character set and comment.
    let (s, warnings) = parse_schema(
        "CREATE TABLE t (a VARCHAR(5) CHARACTER SET ascii COLLATE ascii_bin COMMENT 'code');",
        "schema.sql",
        Dialect::Mysql,
    )
    .unwrap();
    let a = &s.tables["t"].columns[0];
    assert_eq!(
        (
            a.charset.as_deref(),
            a.collation.as_deref(),
            a.comment.as_deref()
        ),
        (Some("ascii"), Some("ascii_bin"), Some("code"))
    );
    assert_eq!(warnings, vec![]);
    // Elsewhere it is not a table option at all.
    let (s, _) = parse_schema(
        "CREATE TABLE t (a INT) ENGINE=InnoDB;",
        "schema.sql",
        Dialect::Postgres,
    )
    .map_or((Schema::default(), vec![]), |r| r);
    assert!(s.tables.get("t").is_none_or(|t| !t.unmodeled.is_empty()));
}

/// MySQL's `ON UPDATE` is kept with the column.
#[test]
fn mysql_on_update_is_kept() {
    let sql = "CREATE TABLE t (\n\
               a TIMESTAMP NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,\n\
               b DATETIME(3) ON UPDATE current_timestamp(3),\n\
               c INT);";
    let (s, warnings) = parse_schema(sql, "schema.sql", Dialect::Mysql).unwrap();
    let on_update: Vec<Option<&str>> = s.tables["t"]
        .columns
        .iter()
        .map(|c| c.on_update.as_deref())
        .collect();
    assert_eq!(
        on_update,
        [
            Some("CURRENT_TIMESTAMP"),
            Some("CURRENT_TIMESTAMP(3)"),
            None
        ]
    );
    assert_eq!(warnings, vec![]);
    assert!(s.tables["t"].unmodeled.is_empty());
}

/// MySQL's `KEY` and `INDEX` in a `CREATE TABLE` are the table's indexes, checked as
/// `CREATE INDEX` is checked.
#[test]
fn mysql_inline_keys_are_indexes() {
    let sql = "CREATE TABLE t (a INT, B INT, c TEXT,\n\
               INDEX t_ab (A, b DESC),\n\
               KEY t_c USING BTREE (c),\n\
               KEY t_hash USING HASH (a),\n\
               KEY t_b (B) USING BTREE COMMENT 'by b',\n\
               KEY t_hash2 (a) USING HASH COMMENT 'never');";
    let (s, warnings) = parse_schema(sql, "schema.sql", Dialect::Mysql).unwrap();
    let t = &s.tables["t"];
    let names: Vec<(&str, &[String])> = t
        .indexes
        .iter()
        .map(|i| (i.name.as_str(), i.columns.as_slice()))
        .collect();
    assert_eq!(
        names,
        [
            ("t_ab", &strings(&["a", "B DESC"])[..]),
            ("t_b", &strings(&["B"])[..]),
            ("t_c", &strings(&["c"])[..])
        ]
    );
    // `USING BTREE` is what a key is anyway; its comment is held.
    assert_eq!(t.indexes[1].comment.as_deref(), Some("by b"));
    assert_eq!(t.indexes[2].comment, None);
    assert_eq!(
        t.unmodeled,
        strings(&[
            "KEY t_hash USING HASH (a)",
            "KEY t_hash2 (a) USING HASH, COMMENT 'never'"
        ])
    );
    assert_eq!(warnings.len(), 2, "{warnings:?}");
    // A key's comment on a primary or unique key has no place in the model.
    let (s, _) = parse_schema(
        "CREATE TABLE t (a INT, b INT, PRIMARY KEY (a) USING BTREE,\n\
         UNIQUE KEY t_b (b) COMMENT 'one each');",
        "schema.sql",
        Dialect::Mysql,
    )
    .unwrap();
    assert_eq!(
        s.tables["t"].unmodeled,
        strings(&["UNIQUE KEY t_b (b) COMMENT 'one each'"])
    );

    check_error(
        "CREATE TABLE t (a INT, KEY (a));",
        Dialect::Mysql,
        "schema.sql:1:29: an index needs a name; wildebeest does not invent one",
    );
    check_error(
        "CREATE TABLE t (a INT,\nKEY t_b (b));",
        Dialect::Mysql,
        "schema.sql:2:10: index `t_b`: table `t` has no column `b`",
    );
    check_error(
        "CREATE TABLE t (a INT, KEY t_a (a), INDEX T_A (a));",
        Dialect::Mysql,
        "schema.sql:1:43: index `T_A` is defined twice (first on line 1)",
    );
    // Elsewhere `KEY` is not a table's index.
    let (s, _) = parse_schema("CREATE TABLE t (a INT);", "schema.sql", Dialect::Mysql).unwrap();
    assert!(s.tables["t"].indexes.is_empty());
}

#[test]
fn names_ignore_case_where_the_dialect_does() {
    // SQLite and MySQL match names without regard to case; the model keeps the
    // spelling of the definition.
    let sql = "CREATE TABLE Parent (Id INTEGER PRIMARY KEY);\n\
               CREATE TABLE child (pid INTEGER, FOREIGN KEY (PID) REFERENCES parent (ID));\n\
               CREATE INDEX child_pid ON CHILD (Pid DESC);";
    let parent = Table {
        primary_key: pk(&["Id"]),
        ..lite_table("Parent", vec![col("Id", Integer)])
    };
    let child = Table {
        foreign_keys: vec![ForeignKey {
            name: None,
            columns: strings(&["pid"]),
            ref_table: "Parent".into(),
            ref_columns: strings(&["Id"]),
            on_delete: FkAction::NoAction,
            on_update: FkAction::NoAction,
            deferral: Default::default(),
        }],
        indexes: vec![Index {
            hidden: None,
            name: "child_pid".into(),
            table: "child".into(),
            columns: strings(&["pid DESC"]),
            unique: false,
            predicate: None,
            method: None,
            nulls_not_distinct: false,
            comment: None,
            include: Vec::new(),
            storage: Vec::new(),
            predicate_written: Default::default(),
        }],
        ..lite_table("child", vec![col("pid", Integer)])
    };
    assert_eq!(
        parse_schema(sql, "schema.sql", Dialect::Sqlite),
        Ok((schema(vec![parent, child]), vec![]))
    );
    // PostgreSQL matches exactly (after folding unquoted names).
    let err = parse_schema(
        sql.replace("REFERENCES parent", "REFERENCES \"parent\"")
            .as_str(),
        "s.sql",
        Dialect::Postgres,
    );
    assert_eq!(err.map(|_| ()), Ok(()));
    let err = parse_schema(
        "CREATE TABLE \"P\" (id INT PRIMARY KEY);\nCREATE TABLE c (p INT REFERENCES p);",
        "s.sql",
        Dialect::Postgres,
    );
    assert_eq!(
        err.unwrap_err().to_string(),
        "s.sql:2:34: foreign key of table `c` references table `p`, which no schema file creates"
    );
}

#[test]
fn unmodeled_clauses_are_kept_and_warned_about() {
    let sql = "CREATE TABLE t (\n\
               id INTEGER PRIMARY KEY DESC,\n\
               a TEXT GENERATED ALWAYS AS (upper(b)) STORED,\n\
               b TEXT UNIQUE ON CONFLICT REPLACE,\n\
               c INTEGER CONSTRAINT c_nn NOT NULL,\n\
               d INTEGER REFERENCES t MATCH FULL\n\
               );\n\
               CREATE INDEX t_b ON t (b COLLATE NOCASE);";
    let t = Table {
        primary_key: pk(&["id"]),
        uniques: vec![Unique {
            deferral: Default::default(),
            name: None,
            columns: strings(&["b"]),
        }],
        foreign_keys: vec![ForeignKey {
            name: None,
            columns: strings(&["d"]),
            ref_table: "t".into(),
            ref_columns: strings(&["id"]),
            on_delete: FkAction::NoAction,
            on_update: FkAction::NoAction,
            deferral: Default::default(),
        }],
        indexes: vec![Index {
            hidden: None,
            name: "t_b".into(),
            table: "t".into(),
            columns: strings(&["b COLLATE NOCASE"]),
            unique: false,
            predicate: None,
            method: None,
            nulls_not_distinct: false,
            comment: None,
            include: Vec::new(),
            storage: Vec::new(),
            predicate_written: Default::default(),
        }],
        unmodeled: strings(&[
            "column id: DESC",
            "column b: ON CONFLICT REPLACE",
            "column d: REFERENCES t MATCH FULL",
        ]),
        ..lite_table(
            "t",
            vec![
                col("id", Integer),
                // A generated column is modeled, no longer kept as unmodeled.
                Column {
                    generated: Some(Generated {
                        expr: "upper(b)".into(),
                        stored: true,
                    }),
                    ..col("a", Text)
                },
                col("b", Text),
                not_null("c", Integer),
                col("d", Integer),
            ],
        )
    };
    let kept = |line, what: &str| {
        warning(
            line,
            &format!("table `t`: the model cannot hold `{what}`; it is kept as unmodeled"),
        )
    };
    assert_eq!(
        parse_schema(sql, "schema.sql", Dialect::Sqlite),
        Ok((
            schema(vec![t]),
            vec![
                kept(2, "column id: DESC"),
                kept(4, "column b: ON CONFLICT REPLACE"),
                warning(5, "the name `c_nn` of `NOT NULL` on column `c` is not kept"),
                kept(6, "column d: REFERENCES t MATCH FULL"),
            ]
        ))
    );
}

/// The foreign keys of `c` in `sql` as (column, deferral), and the warnings.
fn deferrals(sql: &str, dialect: Dialect) -> (Vec<(String, Deferral)>, Vec<String>) {
    let (s, warnings) = parse_schema(sql, "schema.sql", dialect).unwrap();
    let fks = s.tables["c"]
        .foreign_keys
        .iter()
        .map(|f| (f.columns.join(","), f.deferral))
        .collect();
    (fks, warnings.into_iter().map(|w| w.message).collect())
}

#[test]
fn deferrable_foreign_keys_are_modeled_in_sqlite_and_postgres() {
    let sql = "CREATE TABLE p (id INTEGER PRIMARY KEY);\n\
               CREATE TABLE c (\n\
               a INTEGER REFERENCES p (id) DEFERRABLE INITIALLY DEFERRED,\n\
               b INTEGER REFERENCES p DEFERRABLE,\n\
               c INTEGER REFERENCES p (id) NOT DEFERRABLE,\n\
               d INTEGER, e INTEGER, f INTEGER,\n\
               FOREIGN KEY (d) REFERENCES p (id) ON DELETE CASCADE DEFERRABLE INITIALLY IMMEDIATE,\n\
               FOREIGN KEY (e) REFERENCES p (id) INITIALLY DEFERRED,\n\
               CONSTRAINT c_f FOREIGN KEY (f) REFERENCES p (id) NOT DEFERRABLE INITIALLY IMMEDIATE\n\
               );";
    use Deferral::*;
    let expect = [
        ("a", InitiallyDeferred),
        ("b", InitiallyImmediate),
        ("c", NotDeferrable),
        ("d", InitiallyImmediate),
        ("e", InitiallyDeferred),
        ("f", NotDeferrable),
    ]
    .map(|(c, d)| (c.to_string(), d));
    for dialect in [Dialect::Sqlite, Dialect::Postgres] {
        let (mut fks, warnings) = deferrals(sql, dialect);
        fks.sort();
        assert_eq!((fks, warnings), (expect.to_vec(), vec![]), "{dialect:?}");
    }
}

/// What Django's `sqlmigrate` writes for SQLite: every foreign key deferred, inline.
#[test]
fn django_sqlite_foreign_keys_are_deferred_not_unmodeled() {
    let sql = r#"CREATE TABLE "blog_author" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "name" varchar(100) NOT NULL);
CREATE TABLE "c" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "author_id" integer NOT NULL REFERENCES "blog_author" ("id") DEFERRABLE INITIALLY DEFERRED);
CREATE INDEX "c_author_id_5b3b4c63" ON "c" ("author_id");"#;
    let (s, warnings) = parse_schema(sql, "schema.sql", Dialect::Sqlite).unwrap();
    assert_eq!(warnings, vec![]);
    let c = &s.tables["c"];
    assert!(c.unmodeled.is_empty(), "{:?}", c.unmodeled);
    assert_eq!(
        c.foreign_keys,
        [ForeignKey {
            name: None,
            columns: strings(&["author_id"]),
            ref_table: "blog_author".into(),
            ref_columns: strings(&["id"]),
            on_delete: FkAction::NoAction,
            on_update: FkAction::NoAction,
            deferral: Deferral::InitiallyDeferred,
        }]
    );
}

/// What `pg_dump` writes for a Django project on PostgreSQL: the key added apart.
#[test]
fn django_postgres_dump_foreign_keys_are_deferred() {
    let sql = "CREATE TABLE public.blog_author (id bigint NOT NULL, name character varying(100) NOT NULL);
CREATE TABLE public.c (id bigint NOT NULL, author_id bigint NOT NULL);
ALTER TABLE ONLY public.blog_author ADD CONSTRAINT blog_author_pkey PRIMARY KEY (id);
ALTER TABLE ONLY public.c
    ADD CONSTRAINT c_author_id_5b3b4c63_fk_blog_author_id FOREIGN KEY (author_id) REFERENCES public.blog_author(id) DEFERRABLE INITIALLY DEFERRED;
";
    assert_eq!(
        deferrals(sql, Dialect::Postgres),
        (
            vec![("author_id".into(), Deferral::InitiallyDeferred)],
            vec![]
        )
    );
}

#[test]
fn not_deferrable_initially_deferred_is_immediate_in_sqlite_and_an_error_in_postgres() {
    let sql = "CREATE TABLE p (id INTEGER PRIMARY KEY);\n\
               CREATE TABLE c (a INTEGER REFERENCES p (id) NOT DEFERRABLE INITIALLY DEFERRED);";
    assert_eq!(
        deferrals(sql, Dialect::Sqlite),
        (vec![("a".into(), Deferral::NotDeferrable)], vec![])
    );
    check_error(
        sql,
        Dialect::Postgres,
        "schema.sql:2:38: a constraint declared INITIALLY DEFERRED must be DEFERRABLE \
         (PostgreSQL refuses NOT DEFERRABLE INITIALLY DEFERRED)",
    );
}

/// MySQL has no deferral (MariaDB refuses the words), and `ENFORCED` is in no model.
#[test]
fn deferral_in_mysql_and_enforced_anywhere_stay_unmodeled() {
    let sql = "CREATE TABLE p (id INTEGER PRIMARY KEY);\n\
               CREATE TABLE c (a INTEGER REFERENCES p (id) DEFERRABLE INITIALLY DEFERRED);";
    let (s, _) = parse_schema(sql, "schema.sql", Dialect::Mysql).unwrap();
    assert_eq!(
        s.tables["c"].foreign_keys[0].deferral,
        Deferral::NotDeferrable
    );
    assert_eq!(
        s.tables["c"].unmodeled,
        ["column a: REFERENCES p (id) DEFERRABLE INITIALLY DEFERRED"]
    );
    let sql = "CREATE TABLE p (id INTEGER PRIMARY KEY);\n\
               CREATE TABLE c (a INTEGER, FOREIGN KEY (a) REFERENCES p (id) DEFERRABLE NOT ENFORCED);";
    let (s, _) = parse_schema(sql, "schema.sql", Dialect::Postgres).unwrap();
    assert_eq!(
        s.tables["c"].foreign_keys[0].deferral,
        Deferral::InitiallyImmediate
    );
    assert_eq!(s.tables["c"].unmodeled.len(), 1);
}

/// What a dump writes around the schema (`SET`, `set_config`, psql's `\\restrict`,
/// mysqldump's `DROP TABLE IF EXISTS`) says nothing about it and is passed over
/// without a warning; another statement still gets one.
#[test]
fn a_dumps_session_settings_are_passed_over_quietly() {
    let sql = "--\n-- PostgreSQL database dump\n--\n\n\\restrict AbC123\n\n\
               SET statement_timeout = 0;\n\
               SET client_encoding = 'UTF8';\n\
               SELECT pg_catalog.set_config('search_path', '', false);\n\
               CREATE TABLE t (a INTEGER);\n\
               SELECT 1;\n\
               \\unrestrict AbC123\n";
    let (s, warnings) = parse_schema(sql, "schema.sql", Dialect::Postgres).unwrap();
    assert!(s.tables.contains_key("t"));
    assert_eq!(
        warnings,
        vec![warning(
            11,
            "`SELECT 1` is not a table or index; wildebeest ignores it"
        )]
    );
    let (_, warnings) = parse_schema(
        "/*!40101 SET NAMES utf8mb4 */;\nDROP TABLE IF EXISTS `t`;\nSET @saved_cs_client = @@character_set_client;\nCREATE TABLE t (a INT);",
        "schema.sql",
        Dialect::Mysql,
    )
    .unwrap();
    assert_eq!(warnings, vec![]);
}

#[test]
fn other_statements_are_ignored_with_a_warning() {
    let sql = "PRAGMA foreign_keys = ON;\n\
               CREATE TABLE t (a INTEGER);\n\
               CREATE TEMP VIEW v AS SELECT a FROM t WHERE a > 0 ORDER BY a DESC LIMIT 10 OFFSET 5;\n\
               DROP TRIGGER IF EXISTS tr;\n\n\n\
               INSERT INTO t VALUES (1);\n\
               CREATE TEMP TABLE scratch (x);\n\
               DROP TABLE old;";
    let ignored = |line, what: &str| {
        warning(
            line,
            &format!("`{what}` is not a table or index; wildebeest ignores it"),
        )
    };
    assert_eq!(
        parse_schema(sql, "schema.sql", Dialect::Sqlite),
        Ok((
            schema(vec![lite_table("t", vec![col("a", Integer)])]),
            vec![
                ignored(1, "PRAGMA foreign_keys = ON"),
                warning(3, "view `v` is temporary; wildebeest ignores it"),
                ignored(4, "DROP TRIGGER IF EXISTS tr"),
                ignored(7, "INSERT INTO t VALUES (1)"),
                warning(
                    8,
                    "`CREATE TEMP TABLE scratch (x)` creates a temporary table; wildebeest ignores it"
                ),
                ignored(9, "DROP TABLE old"),
            ]
        ))
    );
}

#[test]
fn sqlites_own_tables_from_a_pasted_schema_are_skipped_with_a_warning() {
    // `sqlite3 app.db .schema` shows them; SQLite refuses to create them.
    let sql = "CREATE TABLE t (a INTEGER);\n\
               CREATE TABLE sqlite_sequence(name,seq);\n\
               CREATE TABLE sqlite_stat1(tbl,idx,stat);\n\
               CREATE TABLE IF NOT EXISTS \"SQLite_Stat4\"(tbl,idx,neq,nlt,ndlt,sample);\n\
               CREATE INDEX sqlite_x ON t (a);";
    let own = |line, what: &str, name: &str| {
        warning(
            line,
            &format!(
                "{what} `{name}` is SQLite's own (SQLite makes and keeps the `sqlite_*` tables \
                 itself, as `.schema` shows them); wildebeest ignores it"
            ),
        )
    };
    assert_eq!(
        parse_schema(sql, "schema.sql", Dialect::Sqlite),
        Ok((
            schema(vec![lite_table("t", vec![col("a", Integer)])]),
            vec![
                own(2, "table", "sqlite_sequence"),
                own(3, "table", "sqlite_stat1"),
                own(4, "table", "SQLite_Stat4"),
                own(5, "index", "sqlite_x"),
            ]
        ))
    );
    // Elsewhere the prefix is an ordinary name.
    let (other, warnings) = parse_schema(
        "CREATE TABLE sqlite_sequence (name TEXT, seq INTEGER);",
        "schema.sql",
        Dialect::Postgres,
    )
    .unwrap();
    assert!(other.table("sqlite_sequence").is_some());
    assert_eq!(warnings, vec![]);
}

#[track_caller]
fn check_error(sql: &str, dialect: Dialect, expect: &str) {
    assert_eq!(
        parse_schema(sql, "schema.sql", dialect).map_err(|e| e.to_string()),
        Err(expect.to_string()),
        "{sql}"
    );
}

#[test]
fn syntax_errors_point_into_the_file() {
    let sql = "CREATE TABLE departments (\n\
               \x20   id INTEGER PRIMARY KEY\n\
               );\n\
               \n\
               CREATE TABLE employees (\n\
               \x20   id INTEGER PRIMARY KEY,\n\
               \x20     name = TEXT\n\
               );\n";
    assert_eq!(
        parse_schema(sql, "schema.sql", Dialect::Sqlite),
        Err(SqlError {
            file: "schema.sql".into(),
            line: 7,
            column: 12,
            message: "Expected: ',' or ')' after column definition, found: =".into(),
        })
    );
    // A statement that starts in the middle of a line: columns count from the line start.
    check_error(
        "CREATE TABLE a (x INT);   CREATE TABLE b (y INT,, z INT);",
        Dialect::Sqlite,
        "schema.sql:1:49: Expected: column name or constraint definition, found: ,",
    );
    // A tab is one column, as are multi-byte characters.
    check_error(
        "\tCREATE TABLE é (x INT NOT NUL);",
        Dialect::Sqlite,
        "schema.sql:1:24: Expected: ',' or ')' after column definition, found: NOT",
    );
    check_error(
        "CREATE TABLE t (a INT",
        Dialect::Postgres,
        "schema.sql:1:22: Expected: ',' or ')' after column definition, found: EOF",
    );
    check_error(
        "CREATE TABLE t (a INT);\nCREATE TABLE u (b TEXT DEFAULT 'x);",
        Dialect::Sqlite,
        "schema.sql:2:32: unterminated string literal",
    );
    check_error(
        "CREATE TABLE t (a INT);\n/* never closed",
        Dialect::Sqlite,
        "schema.sql:2:1: unterminated block comment",
    );
    check_error(
        "CREATE INDEX ON t (a);",
        Dialect::Postgres,
        "schema.sql:1:17: index `t_a_idx` is on table `t`, which no schema file creates",
    );
}

#[test]
fn meaning_errors_point_at_the_offending_name() {
    let cases: &[(&str, &str)] = &[
        (
            "CREATE TABLE t (a INT);\nCREATE TABLE T (b INT);",
            "schema.sql:2:14: table `t` is defined twice (first on line 1)",
        ),
        (
            "CREATE TABLE t (a INT,\n  A TEXT);",
            "schema.sql:2:3: column `a` is defined twice in table `t`",
        ),
        (
            "CREATE TABLE t (a INT);\nCREATE INDEX i ON t (a);\nCREATE INDEX I ON t (a);",
            "schema.sql:3:14: index `I` is defined twice (first on line 2)",
        ),
        (
            "CREATE TABLE t (a INT);\nCREATE INDEX i ON u (a);",
            "schema.sql:2:19: index `i` is on table `u`, which no schema file creates",
        ),
        (
            "CREATE TABLE t (a INT);\nCREATE INDEX i ON t (a, b DESC);",
            "schema.sql:2:25: index `i`: table `t` has no column `b`",
        ),
        (
            "CREATE TABLE t (a INT, PRIMARY KEY (a, b));",
            "schema.sql:1:40: table `t` has no column `b`",
        ),
        (
            "CREATE TABLE t (a INT, CONSTRAINT u UNIQUE (c));",
            "schema.sql:1:45: table `t` has no column `c`",
        ),
        (
            "CREATE TABLE t (a INT, FOREIGN KEY (x) REFERENCES t (a));",
            "schema.sql:1:37: table `t` has no column `x`",
        ),
        (
            "CREATE TABLE t (a INT PRIMARY KEY, b INT PRIMARY KEY);",
            "schema.sql:1:36: table `t` has more than one primary key",
        ),
        (
            "CREATE TABLE t (a INT REFERENCES nowhere (id));",
            "schema.sql:1:34: foreign key of table `t` references table `nowhere`, which no schema file creates",
        ),
        (
            "CREATE TABLE p (id INT PRIMARY KEY);\nCREATE TABLE t (a INT REFERENCES p (idd));",
            "schema.sql:2:37: foreign key of table `t` references column `idd`, which table `p` does not have",
        ),
        (
            "CREATE TABLE p (id INT);\nCREATE TABLE t (a INT REFERENCES p);",
            "schema.sql:2:34: foreign key of table `t` references `p` without columns, but `p` has no primary key",
        ),
        (
            "CREATE TABLE p (a INT, b INT, PRIMARY KEY (a, b));\nCREATE TABLE t (a INT REFERENCES p);",
            "schema.sql:2:34: foreign key (a) of table `t` has 1 columns, but the primary key of `p` has 2",
        ),
        (
            "CREATE TABLE t (a INT, b INT, FOREIGN KEY (a, b) REFERENCES t (a));",
            "schema.sql:1:61: foreign key (a, b) of table `t` names 1 referenced columns for 2 columns",
        ),
        (
            "CREATE TABLE t AS SELECT 1 AS a;",
            "schema.sql:1:14: `CREATE TABLE t AS SELECT` cannot be modeled; write its columns out",
        ),
        (
            "ALTER TABLE t ADD CONSTRAINT c CHECK (a > 0);\nCREATE TABLE t (a INT);",
            "schema.sql:1:13: table `t` is not created before this statement",
        ),
        (
            "CREATE TABLE t (a INT);\nALTER TABLE t ADD CONSTRAINT c UNIQUE (b);",
            "schema.sql:2:40: table `t` has no column `b`",
        ),
    ];
    for (sql, expect) in cases {
        check_error(sql, Dialect::Sqlite, expect);
    }
}

#[test]
fn if_not_exists_repeats_are_ignored_with_a_warning() {
    let sql = "CREATE TABLE t (a INT);\n\
               CREATE TABLE IF NOT EXISTS t (b TEXT);\n\
               CREATE INDEX t_a ON t (a);\n\
               CREATE INDEX IF NOT EXISTS T_A ON t (a DESC);";
    let t = Table {
        indexes: vec![Index {
            hidden: None,
            name: "t_a".into(),
            table: "t".into(),
            columns: strings(&["a"]),
            unique: false,
            predicate: None,
            method: None,
            nulls_not_distinct: false,
            comment: None,
            include: Vec::new(),
            storage: Vec::new(),
            predicate_written: Default::default(),
        }],
        ..lite_table("t", vec![col("a", Custom("INT".into()))])
    };
    assert_eq!(
        parse_schema(sql, "schema.sql", Dialect::Sqlite),
        Ok((
            schema(vec![t]),
            vec![
                warning(
                    2,
                    "table `t` is already defined on line 1; this `IF NOT EXISTS` definition is ignored"
                ),
                warning(
                    4,
                    "index `T_A` is already defined on line 3; this `IF NOT EXISTS` definition is ignored"
                ),
            ]
        ))
    );
}

#[test]
fn several_files_make_one_schema() {
    let users = "CREATE TABLE users (id INTEGER PRIMARY KEY);\nPRAGMA foreign_keys = ON;";
    let billing = "-- billing\nCREATE TABLE invoices (id INTEGER PRIMARY KEY, user_id INTEGER REFERENCES users);\n\
                   CREATE INDEX invoices_user ON invoices (user_id);";
    let (schema_got, warnings) = wildebeest_sql::parse_schema_files(
        &[("users.sql", users), ("billing.sql", billing)],
        Dialect::Sqlite,
    )
    .unwrap();
    let invoices = Table {
        primary_key: pk(&["id"]),
        foreign_keys: vec![ForeignKey {
            name: None,
            columns: strings(&["user_id"]),
            ref_table: "users".into(),
            ref_columns: strings(&["id"]),
            on_delete: FkAction::NoAction,
            on_update: FkAction::NoAction,
            deferral: Default::default(),
        }],
        indexes: vec![Index {
            hidden: None,
            name: "invoices_user".into(),
            table: "invoices".into(),
            columns: strings(&["user_id"]),
            unique: false,
            predicate: None,
            method: None,
            nulls_not_distinct: false,
            comment: None,
            include: Vec::new(),
            storage: Vec::new(),
            predicate_written: Default::default(),
        }],
        ..lite_table(
            "invoices",
            vec![col("id", Integer), col("user_id", Integer)],
        )
    };
    let users_table = Table {
        primary_key: pk(&["id"]),
        ..lite_table("users", vec![col("id", Integer)])
    };
    assert_eq!(schema_got, schema(vec![users_table, invoices]));
    let shown: Vec<String> = warnings.iter().map(ToString::to_string).collect();
    assert_eq!(
        shown,
        ["users.sql:2: `PRAGMA foreign_keys = ON` is not a table or index; wildebeest ignores it"]
    );

    let again = "\n\nCREATE TABLE users (id INTEGER);";
    let err = wildebeest_sql::parse_schema_files(
        &[("users.sql", users), ("more.sql", again)],
        Dialect::Sqlite,
    )
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "more.sql:3:14: table `users` is defined twice (first on users.sql:1)"
    );
}

#[test]
fn postgres_enum_types_and_the_columns_that_use_them() {
    // The type may come after a table that uses it, and in another file.
    let users = "CREATE TABLE person (\n    id INTEGER PRIMARY KEY,\n    mood Mood NOT NULL DEFAULT 'ok',\n    odd \"Odd\",\n    tags mood[],\n    other public.mood\n);\n";
    let types = "CREATE TYPE mood AS ENUM ('sad', 'ok');\nCREATE TYPE \"Odd\" AS ENUM ();\nCREATE TYPE pair AS (a INTEGER);\n";
    let (s, warnings) = parse_schema_files(
        &[("users.sql", users), ("types.sql", types)],
        Dialect::Postgres,
    )
    .unwrap();
    assert_eq!(s.enums["mood"], strings(&["sad", "ok"]));
    assert_eq!(s.enums["Odd"], Vec::<String>::new());
    assert_eq!(s.enums.len(), 2);
    let types: Vec<&wildebeest_schema::ColumnType> =
        s.tables["person"].columns.iter().map(|c| &c.ty).collect();
    assert_eq!(
        types,
        [
            &Integer,
            &Enum("mood".into()),
            &Enum("Odd".into()),
            &EnumArray("mood".into()),
            &Enum("mood".into())
        ]
    );
    // A composite type is a type of its own, not an enum.
    assert_eq!(s.types["pair"].kind_word(), "composite type");
    assert_eq!(warnings, []);
}

#[test]
fn postgres_composite_and_range_types_are_read_with_what_they_are_made_of() {
    use wildebeest_schema::{Attribute, Composite, Range, UserType};
    let sql = "DROP TYPE IF EXISTS public.address;\n\
               CREATE TYPE public.address AS (street varchar(80) COLLATE pg_catalog.\"C\", zip int4);\n\
               ALTER TYPE public.address OWNER TO app;\n\
               ALTER TYPE address ADD ATTRIBUTE city text, DROP ATTRIBUTE zip CASCADE;\n\
               CREATE TYPE \"Empty\" AS ();\n\
               CREATE TYPE floatrange AS RANGE (subtype = float8, subtype_diff = pg_catalog.float8mi);\n\
               CREATE TYPE span AS RANGE (SUBTYPE = text, COLLATION = \"C\", MULTIRANGE_TYPE_NAME = spans);\n\
               CREATE TABLE t (a public.address, many address[], r floatrange);\n";
    let (s, warnings) = parse_schema(sql, "schema.sql", Dialect::Postgres).unwrap();
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    let attribute = |name: &str, ty, collation: Option<&str>| Attribute {
        name: name.into(),
        ty,
        collation: collation.map(Into::into),
    };
    assert_eq!(
        s.types.values().cloned().collect::<Vec<_>>(),
        [
            UserType::Composite(Composite {
                name: "Empty".into(),
                attributes: vec![],
            }),
            UserType::Composite(Composite {
                name: "address".into(),
                attributes: vec![
                    attribute("street", Varchar(Some(80)), Some("C")),
                    attribute("city", Text, None),
                ],
            }),
            UserType::Range(Range {
                name: "floatrange".into(),
                subtype: Double,
                opclass: None,
                collation: None,
                subtype_diff: Some("float8mi".into()),
                multirange: "floatmultirange".into(),
            }),
            UserType::Range(Range {
                name: "span".into(),
                subtype: Text,
                opclass: None,
                collation: Some("C".into()),
                subtype_diff: None,
                multirange: "spans".into(),
            }),
        ]
    );
    let types: Vec<String> = s.tables["t"]
        .columns
        .iter()
        .map(|c| c.ty.named_type().unwrap_or_default())
        .collect();
    assert_eq!(types, ["address", "address", "floatrange"]);

    let refused = |dialect: Dialect, sql: &str| {
        parse_schema(sql, "schema.sql", dialect)
            .unwrap_err()
            .to_string()
    };
    for (dialect, sql, said) in [
        (
            Dialect::Postgres,
            "CREATE TYPE p AS (a int);\nCREATE TYPE P AS (b int);",
            "schema.sql:2:13: composite type `p` is defined twice (first on line 1)",
        ),
        (
            Dialect::Postgres,
            "CREATE TYPE p AS (a int, A text);",
            "composite type `p` has the attribute `a` twice",
        ),
        (
            Dialect::Postgres,
            "CREATE TYPE p AS (a int);\nDROP TYPE p;",
            "`DROP TYPE` drops type `p`, which this schema creates",
        ),
        (
            Dialect::Postgres,
            "CREATE DOMAIN p int;\nCREATE TYPE p AS RANGE (subtype = int);",
            "range type `p`: a type of that name is created on line 1",
        ),
        (
            Dialect::Postgres,
            "CREATE TYPE r AS RANGE (subtype = int, canonical = f);",
            "schema.sql:1:40: range type `r`: a `CANONICAL` function is not modeled",
        ),
        (
            Dialect::Postgres,
            "CREATE TYPE r AS RANGE (subtype_diff = f);",
            "range type `r` has no `SUBTYPE`",
        ),
        (
            Dialect::Postgres,
            "CREATE TYPE r AS RANGE (subtype = int, flavour = f);",
            "range type `r`: unknown option `flavour`",
        ),
        (
            Dialect::Postgres,
            "CREATE TYPE p AS (a int);\nALTER TYPE p RENAME ATTRIBUTE a TO b;",
            "schema.sql:2:14: `ALTER TYPE p RENAME ATTRIBUTE` is not followed",
        ),
        (
            Dialect::Postgres,
            "CREATE TYPE p AS (a int);\nALTER TYPE p DROP ATTRIBUTE b;",
            "schema.sql:2:12: composite type `p` has no attribute `b`",
        ),
        (
            Dialect::Postgres,
            "CREATE TYPE other.p AS (a int);",
            "type `other.p` is in schema `other`",
        ),
        (
            Dialect::Sqlite,
            "CREATE TYPE p AS (a int);",
            "schema.sql:1:1: SQLite has no composite or range types",
        ),
        (
            Dialect::Mysql,
            "CREATE TYPE r AS RANGE (subtype = int);",
            "schema.sql:1:1: MySQL has no composite or range types",
        ),
    ] {
        let e = refused(dialect, sql);
        assert!(e.contains(said), "{dialect:?} {sql}: {e}");
    }
}

#[test]
fn enum_types_defined_twice_or_with_a_value_twice_are_errors() {
    let err = |sql: &str| parse_schema(sql, "schema.sql", Dialect::Postgres).unwrap_err();
    let e = err("CREATE TYPE mood AS ENUM ('a');\nCREATE TYPE mood AS ENUM ('b');");
    assert_eq!(
        (e.line, e.message.as_str()),
        (2, "enum type `mood` is defined twice (first on line 1)")
    );
    let e = err("CREATE TYPE mood AS ENUM ('a', 'b', 'a');");
    assert_eq!(e.message, "enum type `mood` has the value 'a' twice");
}

#[test]
fn enum_types_in_other_dialects_are_refused() {
    let sql = "CREATE TABLE t (m INT);\nCREATE TYPE mood AS ENUM ('a');";
    for dialect in [Dialect::Sqlite, Dialect::Mysql] {
        let e = parse_schema(sql, "schema.sql", dialect).unwrap_err();
        assert_eq!((e.line, e.column), (2, 1), "{dialect:?}");
        assert!(e.message.contains("creates a type"), "{}", e.message);
    }
}

/// An object the model does not hold would be missing from the database a migration
/// builds: each kind is refused by name, at its line, in every dialect.
#[test]
fn objects_the_model_does_not_hold_are_refused_by_kind() {
    // Functions, procedures, extensions, domains, triggers, policies and rules are
    // modeled on PostgreSQL (their own tests).
    for (dialect, statement, kind) in [
        (
            Dialect::Postgres,
            "CREATE TEMPORARY SEQUENCE s",
            "a sequence",
        ),
        (Dialect::Sqlite, "CREATE SEQUENCE s", "a sequence"),
        (Dialect::Mysql, "CREATE SEQUENCE s", "a sequence"),
        (Dialect::Postgres, "CREATE SCHEMA other", "a schema"),
        (
            Dialect::Postgres,
            "CREATE RULE \"_RETURN\" AS ON SELECT TO t DO INSTEAD SELECT 1 AS a",
            "an `ON SELECT` rule (an old-style view) is not modeled",
        ),
        (
            Dialect::Sqlite,
            "CREATE RULE r AS ON INSERT TO t DO INSTEAD NOTHING",
            "rules are PostgreSQL's; SQLite has none",
        ),
        (
            Dialect::Mysql,
            "CREATE OR REPLACE RULE r AS ON INSERT TO t DO INSTEAD NOTHING",
            "rules are PostgreSQL's; MySQL has none",
        ),
        (
            Dialect::Sqlite,
            "CREATE POLICY p ON t USING (true)",
            "row-level security and policies are PostgreSQL's; SQLite has none",
        ),
        (
            Dialect::Mysql,
            "ALTER TABLE t ENABLE ROW LEVEL SECURITY",
            "row-level security and policies are PostgreSQL's; MySQL has none",
        ),
        (
            Dialect::Sqlite,
            "CREATE EVENT e ON SCHEDULE EVERY 1 DAY DO DELETE FROM t",
            "an event",
        ),
        (
            Dialect::Sqlite,
            "CREATE VIRTUAL TABLE ft USING fts5(body)",
            "a virtual table",
        ),
    ] {
        let sql = format!("CREATE TABLE t (a INT);\n{statement};");
        let e = parse_schema(&sql, "schema.sql", dialect).unwrap_err();
        assert_eq!(e.line, 2, "{statement}");
        assert!(e.message.contains(kind), "{statement}: {}", e.message);
    }
    // The schema pg_dump makes the managed objects in is none of them.
    let (s, _) = parse_schema(
        "CREATE SCHEMA public;\nCREATE TABLE t (a INT);",
        "schema.sql",
        Dialect::Postgres,
    )
    .unwrap();
    assert!(s.tables.contains_key("t"));
}

#[test]
fn dollar_quoting_outside_postgresql_is_an_error_at_its_position() {
    // SQLite used to read `$$abc` as a parameter placeholder and keep it as the default.
    for text in [
        "CREATE TABLE t (\n  a TEXT DEFAULT $$abc\n)",
        "CREATE TABLE t (\n  a TEXT DEFAULT $$abc$$\n)",
        "CREATE TABLE t (\n  a TEXT DEFAULT $x$abc$x$\n)",
    ] {
        let err = wildebeest_sql::parse_schema(text, "schema.sql", Dialect::Sqlite)
            .map(|(s, _)| s)
            .unwrap_err();
        assert_eq!((err.line, err.column), (2, 18), "{text}");
        assert!(
            err.message.starts_with("dollar quoting `$")
                && err
                    .message
                    .contains("is PostgreSQL only, and this file is read as SQLite"),
            "{err}"
        );
        assert!(
            wildebeest_sql::parse_schema(text, "schema.sql", Dialect::Postgres).is_ok()
                || text.ends_with("$$abc\n)")
        );
    }
    // Parameters that are not dollar quotes are left to the database, as before.
    assert!(
        wildebeest_sql::parse_schema(
            "CREATE TABLE t (a TEXT DEFAULT $1)",
            "schema.sql",
            Dialect::Sqlite
        )
        .is_ok()
    );
}

/// `INCLUDE` is PostgreSQL's and held; the other databases have no such index, and
/// in their `schema.sql` it would have made an index without its included columns.
#[test]
fn index_include_is_kept_on_postgres_and_refused_elsewhere() {
    let sql = "CREATE TABLE posts (id INTEGER PRIMARY KEY, Slug TEXT);\n\
               CREATE INDEX posts_id ON posts (id) INCLUDE (SLUG);\n";
    let (s, warnings) = parse_schema(sql, "schema.sql", Dialect::Postgres).unwrap();
    assert_eq!(s.tables["posts"].indexes[0].include, strings(&["slug"]));
    assert_eq!(warnings, vec![]);
    for dialect in [Dialect::Sqlite, Dialect::Mysql] {
        let err = parse_schema(sql, "schema.sql", dialect).unwrap_err();
        assert_eq!(
            err.to_string(),
            "schema.sql:2:14: index `posts_id`: `INCLUDE (...)` is PostgreSQL's and this \
             database has no such index, so it would be created without it; leave the clause out"
        );
    }
    let sql = "CREATE TABLE posts (id INTEGER PRIMARY KEY);\n\
               CREATE INDEX posts_id ON posts (id) INCLUDE (slug);\n";
    let err = parse_schema(sql, "schema.sql", Dialect::Postgres).unwrap_err();
    assert_eq!(
        err.to_string(),
        "schema.sql:2:46: index `posts_id`: table `posts` has no column `slug` to include"
    );
}

/// What `pg_dump` writes for an identity column: the column plain, the identity added
/// apart with its sequence's options spelled out (here PostgreSQL's own defaults).
const PG_DUMP_IDENTITY: &str = "CREATE TABLE public.orders (
    id bigint NOT NULL,
    code integer NOT NULL
);
ALTER TABLE public.orders ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY (
    SEQUENCE NAME public.orders_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);
ALTER TABLE ONLY public.orders ALTER COLUMN code ADD GENERATED ALWAYS AS IDENTITY;
";

#[test]
fn pg_dump_identity_with_default_options_is_an_identity_column() {
    let (s, warnings) = parse_schema(PG_DUMP_IDENTITY, "schema.sql", Dialect::Postgres).unwrap();
    let orders = table(
        "orders",
        vec![
            Column {
                auto_increment: true,
                ..not_null("id", BigInt)
            },
            Column {
                auto_increment: true,
                generated_always: true,
                ..not_null("code", Integer)
            },
        ],
    );
    assert_eq!((s, warnings), (schema(vec![orders]), vec![]));
}

/// Options PostgreSQL would not choose by itself are not lost: the table keeps them.
#[test]
fn pg_dump_identity_with_other_options_keeps_them_as_unmodeled() {
    for (options, kept) in [
        ("START WITH 100", true),
        ("SEQUENCE NAME public.orders_id_seq1", true),
        ("SEQUENCE NAME other.orders_id_seq", true),
        ("INCREMENT BY 5 NO MINVALUE", true),
        ("MAXVALUE 100", true),
        ("CYCLE", true),
        ("CACHE 20", true),
        ("OWNED BY orders.id", true),
        ("MAXVALUE 9223372036854775807 MINVALUE 1 NO CYCLE", false),
        ("", false),
    ] {
        let sql = format!(
            "CREATE TABLE orders (id bigint NOT NULL);\n\
             ALTER TABLE orders ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY ({options});"
        );
        let (s, warnings) = parse_schema(&sql, "schema.sql", Dialect::Postgres).unwrap();
        let t = &s.tables["orders"];
        assert!(
            t.columns[0].auto_increment && t.columns[0].generated_always,
            "{sql}"
        );
        let part = format!("column id: GENERATED ALWAYS AS IDENTITY ({options})");
        let expected = if kept { vec![part.clone()] } else { vec![] };
        assert_eq!(t.unmodeled, expected, "{sql}");
        let warned =
            format!("table `orders`: the model cannot hold `{part}`; it is kept as unmodeled");
        let expected = if kept {
            vec![warning(2, &warned)]
        } else {
            vec![]
        };
        assert_eq!(warnings, expected, "{sql}");
    }
}

/// An identity's options written in the `CREATE TABLE` are read as pg_dump's `ALTER
/// TABLE ... ADD GENERATED ... AS IDENTITY (options)`: PostgreSQL's defaults were kept
/// as unmodeled and the column was no identity, and `SEQUENCE NAME` or pg_dump's order
/// of options (sqlparser reads its own only) could not be read at all.
#[test]
fn create_table_identity_options_are_read_as_an_alter_tables() {
    for (options, kept) in [
        (
            "SEQUENCE NAME public.orders_id_seq START WITH 1 INCREMENT BY 1 NO MINVALUE \
             NO MAXVALUE CACHE 1",
            false,
        ),
        ("START WITH 1 INCREMENT BY 1", false),
        ("MAXVALUE 9223372036854775807 NO CYCLE", false),
        ("START WITH 100", true),
        ("SEQUENCE NAME orders_id_seq1", true),
        ("INCREMENT BY 5 CACHE 20", true),
        ("MAXVALUE 2147483647", true),
        ("CYCLE", true),
    ] {
        let sql = format!(
            "CREATE TABLE orders (\n    id bigint GENERATED ALWAYS AS IDENTITY (\n        {options}\n    ) PRIMARY KEY,\n    n text\n);"
        );
        let (s, warnings) = parse_schema(&sql, "schema.sql", Dialect::Postgres).unwrap();
        let t = &s.tables["orders"];
        let id = &t.columns[0];
        assert!(
            id.auto_increment && id.generated_always && !id.nullable,
            "{sql}"
        );
        // The same part as the options in an `ALTER TABLE` would give.
        let part = format!("column id: GENERATED ALWAYS AS IDENTITY ({options})");
        let expected = if kept { vec![part.clone()] } else { vec![] };
        assert_eq!(t.unmodeled, expected, "{sql}");
        let alter = format!(
            "CREATE TABLE orders (id bigint NOT NULL PRIMARY KEY, n text);\n\
             ALTER TABLE orders ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY ({options});"
        );
        let (from_alter, _) = parse_schema(&alter, "schema.sql", Dialect::Postgres).unwrap();
        assert_eq!(s, from_alter, "{sql}");
        let warned =
            format!("table `orders`: the model cannot hold `{part}`; it is kept as unmodeled");
        let expected = if kept {
            vec![warning(2, &warned)]
        } else {
            vec![]
        };
        assert_eq!(warnings, expected, "{sql}");
    }

    // The options are blanked out for the SQL parser, not cut: what it reports after
    // them is still where it is in the file.
    let sql = "CREATE TABLE t (id bigint GENERATED ALWAYS AS IDENTITY (START WITH 1), id int);";
    let err = parse_schema(sql, "schema.sql", Dialect::Postgres).unwrap_err();
    assert_eq!(
        err.to_string(),
        "schema.sql:1:72: column `id` is defined twice in table `t`"
    );
}

/// What `pg_dump` writes for `serial`, `smallserial` and `bigserial` columns.
const PG_DUMP_SERIALS: &str = "CREATE TABLE public.notes (
    id integer NOT NULL,
    small smallint NOT NULL,
    big bigint NOT NULL
);
CREATE SEQUENCE public.notes_big_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;
ALTER SEQUENCE public.notes_big_seq OWNED BY public.notes.big;
CREATE SEQUENCE public.notes_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;
ALTER SEQUENCE public.notes_id_seq OWNED BY public.notes.id;
CREATE SEQUENCE public.notes_small_seq
    AS smallint
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;
ALTER SEQUENCE public.notes_small_seq OWNED BY public.notes.small;
ALTER TABLE ONLY public.notes ALTER COLUMN id SET DEFAULT nextval('public.notes_id_seq'::regclass);
ALTER TABLE ONLY public.notes ALTER COLUMN small SET DEFAULT nextval('public.notes_small_seq'::regclass);
ALTER TABLE ONLY public.notes ALTER COLUMN big SET DEFAULT nextval('public.notes_big_seq'::regclass);
";

#[test]
fn pg_dump_serial_columns_are_serial() {
    let notes = table(
        "notes",
        vec![
            not_null("id", Custom("SERIAL".into())),
            not_null("small", Custom("SMALLSERIAL".into())),
            not_null("big", Custom("BIGSERIAL".into())),
        ],
    );
    assert_eq!(
        parse_schema(PG_DUMP_SERIALS, "schema.sql", Dialect::Postgres),
        Ok((schema(vec![notes]), vec![]))
    );
}

/// A sequence that is not exactly what `serial` makes is a sequence of its own, with
/// its owner, and the column keeps its type and its `nextval` default.
#[test]
fn a_sequence_unlike_a_serials_is_a_sequence_of_its_own() {
    for change in [
        (
            "AS integer\n    START WITH 1\n",
            "AS integer\n    START WITH 100\n",
        ),
        ("AS integer", "AS bigint"),
        ("AS integer\n", "AS integer\n    CYCLE\n"),
        ("id integer NOT NULL", "id integer"),
    ] {
        let sql = PG_DUMP_SERIALS.replacen(change.0, change.1, 1);
        let (s, _) = parse_schema(&sql, "schema.sql", Dialect::Postgres).unwrap();
        let id = &s.tables["notes"].columns[0];
        assert_eq!(
            (id.ty.clone(), id.default.as_deref()),
            (Integer, Some("nextval('notes_id_seq'::regclass)")),
            "{change:?}"
        );
        let seq = &s.sequences["notes_id_seq"];
        assert_eq!(
            seq.owned_by,
            Some(("notes".to_string(), "id".to_string())),
            "{change:?}"
        );
        assert_eq!(s.sequences.len(), 1, "{change:?}");
    }
    // Owned by a column it does not number, or named otherwise: its own too.
    let sql = PG_DUMP_SERIALS.replacen("OWNED BY public.notes.id", "OWNED BY public.notes.big", 1);
    let (s, _) = parse_schema(&sql, "schema.sql", Dialect::Postgres).unwrap();
    assert_eq!(
        s.sequences["notes_id_seq"].owned_by,
        Some(("notes".to_string(), "big".to_string()))
    );
    // An owner the schema does not make is refused at the `CREATE SEQUENCE`.
    let sql = PG_DUMP_SERIALS.replacen("OWNED BY public.notes.id", "OWNED BY public.notes.nope", 1);
    let e = parse_schema(&sql, "schema.sql", Dialect::Postgres).unwrap_err();
    assert_eq!((e.line, e.column), (13, 1), "{e}");
    assert!(e.message.contains("`notes.nope`"), "{e}");
}

#[test]
fn alter_column_set_default_in_a_schema_file_sets_the_default() {
    let sql = "CREATE TABLE t (a INTEGER, b VARCHAR(5) DEFAULT 'x');\n\
               ALTER TABLE t ALTER COLUMN a SET DEFAULT 5;\n\
               ALTER TABLE t ALTER COLUMN b DROP DEFAULT;\n";
    for dialect in [Dialect::Postgres, Dialect::Mysql] {
        let (s, warnings) = parse_schema(sql, "schema.sql", dialect).unwrap();
        let t = &s.tables["t"];
        assert_eq!(t.columns[0].default.as_deref(), Some("5"), "{dialect:?}");
        assert_eq!(t.columns[1].default, None, "{dialect:?}");
        assert_eq!(warnings, vec![], "{dialect:?}");
    }
    // SQLite has no `ALTER COLUMN` (its own client refuses the file): refused by
    // name, not passed over with the default missing.
    let e = parse_schema(sql, "schema.sql", Dialect::Sqlite).unwrap_err();
    assert_eq!(e.line, 2, "{e}");
    assert!(e.message.contains("changes column `a`"), "{e}");
    check_error(
        "CREATE TABLE t (a INTEGER);\nALTER TABLE t ALTER COLUMN z SET DEFAULT 5;",
        Dialect::Postgres,
        "schema.sql:2:13: table `t` has no column `z`",
    );
}

/// Regression: SQLite's `DEFAULT "dq"` (a double-quoted word, which SQLite stores as
/// the string `dq`) was read as a column name and written `DEFAULT ("dq")`, which
/// SQLite refuses as not constant.
#[test]
fn sqlite_reads_a_name_right_after_default_as_a_string() {
    let sql = "CREATE TABLE d (id INTEGER PRIMARY KEY, a TEXT DEFAULT \"dq\", \
               b TEXT DEFAULT \"it's \"\"q\"\"\", c TEXT DEFAULT [sq], e TEXT DEFAULT plain, \
               f TEXT DEFAULT ('x'), g INTEGER DEFAULT (1 + 2));";
    let (s, _) = parse_schema(sql, "schema.sql", Dialect::Sqlite).unwrap();
    let defaults: Vec<Option<&str>> = s.tables["d"]
        .columns
        .iter()
        .map(|c| c.default.as_deref())
        .collect();
    assert_eq!(
        defaults,
        [
            None,
            Some("'dq'"),
            Some("'it''s \"q\"'"),
            Some("'sq'"),
            Some("'plain'"),
            Some("'x'"),
            Some("1 + 2"),
        ]
    );
    // Elsewhere a double-quoted word is a name, as the SQL standard has it.
    let sql = "CREATE TABLE d (id INTEGER, a TEXT DEFAULT \"dq\");";
    let (s, _) = parse_schema(sql, "schema.sql", Dialect::Postgres).unwrap();
    assert_eq!(s.tables["d"].columns[1].default.as_deref(), Some("\"dq\""));
}

/// sqlparser writes a quoted name or string back with a quote that follows another, or
/// a backslash, left single: `CHECK ("a\""); DELETE FROM victim; --" <> -1)` came out
/// of the parser as `CHECK ("a\"); DELETE FROM victim; --" <> -1)`, which ends the
/// name after the backslash and makes the `DELETE` a statement of its own. Such a
/// text is refused where it is read, with its place.
#[test]
fn a_name_whose_quotes_the_parser_cannot_write_back_is_refused_not_injected() {
    let cases = [
        (
            Dialect::Postgres,
            "CREATE TABLE t (id INT, \"a\\\"\"); DELETE FROM victim; --\" INT, CHECK (\"a\\\"\"); DELETE FROM victim; --\" <> -1));",
            (1, 25),
        ),
        (
            Dialect::Sqlite,
            "CREATE TABLE t (id INT,\n \"a\"\"\"\"b\" INT);",
            (2, 2),
        ),
        (
            Dialect::Mysql,
            "CREATE TABLE t (id INT, `a````b` INT);",
            (1, 25),
        ),
        (
            Dialect::Sqlite,
            "CREATE TABLE t (id INT, s TEXT DEFAULT 'it''''s');",
            (1, 40),
        ),
    ];
    for (dialect, sql, at) in cases {
        let err = parse_schema(sql, "schema.sql", dialect).unwrap_err();
        assert_eq!((err.line, err.column), at, "{sql}: {err}");
        assert!(
            err.message.contains("twice in a row or after a backslash"),
            "{sql}: {err}"
        );
    }
    // One quote, doubled as an escape, is written back faithfully.
    for (dialect, sql) in [
        (
            Dialect::Postgres,
            "CREATE TABLE t (\"a\"\"b\" INT, CHECK (\"a\"\"b\" > 0));",
        ),
        (
            Dialect::Mysql,
            "CREATE TABLE t (`a``b` INT, CHECK (`a``b` > 0));",
        ),
        (Dialect::Sqlite, "CREATE TABLE t (s TEXT DEFAULT 'it''s');"),
    ] {
        parse_schema(sql, "schema.sql", dialect).unwrap();
    }
}

/// MySQL reads a backslash in a string as an escape; the parser takes it out and
/// writes the string back without it (`'C:\\dir'` came out as `'C:\dir'`, which MySQL
/// reads as `C:dir`), so such a string is refused in a MySQL schema.
#[test]
fn a_mysql_string_with_a_backslash_is_refused_not_changed() {
    let sql = "CREATE TABLE t (id INT, s VARCHAR(20) DEFAULT 'C:\\\\dir');";
    let err = parse_schema(sql, "schema.sql", Dialect::Mysql).unwrap_err();
    assert_eq!((err.line, err.column), (1, 47), "{err}");
    assert!(err.message.contains("backslash"), "{err}");
    // Other dialects read a backslash as itself.
    parse_schema(sql, "schema.sql", Dialect::Postgres).unwrap();
}

/// Storage parameters are PostgreSQL's and held as the server keeps them (names in
/// lower case, a bare name true, a word in lower case, a quoted value as written, an
/// integer's digits), sorted; the other databases refuse them by name, and a parameter
/// that is not `name = value` is refused. `NULLS NOT DISTINCT` is PostgreSQL's and
/// kept; on SQLite and MySQL, which have no such index, it is refused. An explicit
/// `NULLS DISTINCT` is the default and passes.
#[test]
fn index_nulls_not_distinct_and_storage_parameters_are_kept_on_postgres() {
    let sql = "CREATE TABLE t (a INT);\nCREATE UNIQUE INDEX t_a ON t (a) \
               WITH (FillFactor=070, deduplicate_items = OFF, x = 'Mixed', b);\n";
    let (s, warnings) = parse_schema(sql, "schema.sql", Dialect::Postgres).unwrap();
    assert_eq!(
        s.tables["t"].indexes[0].storage,
        strings(&[
            "b=true",
            "deduplicate_items=off",
            "fillfactor=70",
            "x=Mixed"
        ])
    );
    assert_eq!(warnings, vec![]);
    for dialect in [Dialect::Sqlite, Dialect::Mysql] {
        let sql =
            "CREATE TABLE t (a INT);\nCREATE UNIQUE INDEX t_a ON t (a) WITH (fillfactor=70);\n";
        let err = parse_schema(sql, "schema.sql", dialect).unwrap_err();
        assert!(
            err.to_string().starts_with(
                "schema.sql:2:21: index `t_a`: `WITH (fillfactor = 70)` is PostgreSQL's"
            ),
            "{err}"
        );
    }
    let sql = "CREATE TABLE t (a INT);\nCREATE INDEX t_a ON t (a) WITH (fillfactor = 1 + 1);\n";
    let err = parse_schema(sql, "schema.sql", Dialect::Postgres).unwrap_err();
    assert_eq!(
        err.to_string(),
        "schema.sql:2:14: index `t_a`: the storage parameter `fillfactor = 1 + 1` has a value \
         wildebeest cannot read"
    );
    let sql = "CREATE TABLE t (a INT);\nCREATE UNIQUE INDEX t_a ON t (a) NULLS NOT DISTINCT;\n";
    let (s, warnings) = parse_schema(sql, "schema.sql", Dialect::Postgres).unwrap();
    assert!(s.tables["t"].indexes[0].nulls_not_distinct);
    assert_eq!(warnings, vec![]);
    for dialect in [Dialect::Sqlite, Dialect::Mysql] {
        let err = parse_schema(sql, "schema.sql", dialect).unwrap_err();
        assert!(
            err.to_string()
                .starts_with("schema.sql:2:21: index `t_a`: `NULLS NOT DISTINCT` is PostgreSQL's"),
            "{err}"
        );
    }
    let sql = "CREATE TABLE t (a INT);\nCREATE UNIQUE INDEX t_a ON t (a) NULLS DISTINCT;\n";
    let (s, warnings) = parse_schema(sql, "schema.sql", Dialect::Postgres).unwrap();
    assert!(!s.tables["t"].indexes[0].nulls_not_distinct);
    assert_eq!(warnings, vec![]);
}

/// `CREATE TABLE s.t` landed in the managed schema as `t`, the schema name lost: a
/// name of another PostgreSQL schema is refused by name, where it is written.
#[test]
fn postgres_table_of_another_schema_is_refused_by_name() {
    let sql = "CREATE TABLE public.a (id INTEGER PRIMARY KEY);\nCREATE TABLE s.t (id INTEGER);\n";
    let err = parse_schema(sql, "schema.sql", Dialect::Postgres).unwrap_err();
    assert_eq!((err.file.as_str(), err.line), ("schema.sql", 2));
    assert!(
        err.message
            .starts_with("`s.t`: objects in schema `s` are not supported yet"),
        "{err}"
    );
    // The same name in two schemas is that refusal, not "defined twice".
    let sql = "CREATE TABLE t (id INTEGER);\nCREATE TABLE other.t (id INTEGER);\n";
    let err = parse_schema(sql, "schema.sql", Dialect::Postgres).unwrap_err();
    assert!(
        err.message.contains("schema `other` are not supported"),
        "{err}"
    );
    // A three-part name and an index on a table of another schema too.
    for (sql, name) in [
        ("CREATE TABLE db.s.t (id INTEGER);", "`db.s.t`"),
        (
            "CREATE TABLE t (x INTEGER);\nCREATE INDEX i ON s.t (x);",
            "`s.t`",
        ),
    ] {
        let err = parse_schema(sql, "schema.sql", Dialect::Postgres).unwrap_err();
        assert!(err.message.starts_with(name), "{err}");
    }
}

/// With `database_schema = "app"`, `app.t` and `public.t` (a dump of a database's
/// `public` schema) are the managed table `t`; `other.t` is another schema's.
#[test]
fn postgres_configured_schema_and_public_are_the_qualifiers() {
    let files = [(
        "schema.sql",
        "CREATE TABLE app.t (id INTEGER PRIMARY KEY);\nCREATE INDEX t_id ON app.t (id);\nCREATE TABLE public.u (id INTEGER);\n",
    )];
    let (schema, _, _) =
        wildebeest_sql::parse_schema_located_in(&files, Dialect::Postgres, "app").unwrap();
    assert!(schema.tables.contains_key("t") && schema.tables.contains_key("u"));
    let files = [("schema.sql", "CREATE TABLE other.t (id INTEGER);\n")];
    let err =
        wildebeest_sql::parse_schema_located_in(&files, Dialect::Postgres, "app").unwrap_err();
    assert!(err.message.contains("manages one schema (`app`)"), "{err}");
}

/// In a migration file a name of another schema is not followed, and the warning
/// says why.
#[test]
fn postgres_migration_statement_in_another_schema_is_not_followed() {
    let (statements, warnings) = wildebeest_sql::parse_statements(
        "CREATE TABLE s.t (id INTEGER)",
        "m.sql",
        Dialect::Postgres,
    )
    .unwrap();
    assert!(statements[0].change.is_none());
    assert!(
        warnings[0]
            .message
            .contains("objects in schema `s` are not supported yet"),
        "{warnings:?}"
    );
}

/// pg_dump's `--clean --if-exists` preamble was a bare "table `t` is not created
/// before this statement": its drops come before the file makes anything, and the
/// file says the state wanted, so they change nothing of it.
#[test]
fn pg_dump_clean_if_exists_preamble_drops_nothing() {
    let tables = "CREATE TABLE public.t (id integer NOT NULL, x integer DEFAULT 1);
CREATE SEQUENCE public.t_id_seq AS integer START WITH 1 INCREMENT BY 1 NO MINVALUE NO MAXVALUE CACHE 1;
ALTER SEQUENCE public.t_id_seq OWNED BY public.t.id;
ALTER TABLE ONLY public.t ALTER COLUMN id SET DEFAULT nextval('public.t_id_seq'::regclass);
ALTER TABLE ONLY public.t ADD CONSTRAINT t_pkey PRIMARY KEY (id);
CREATE INDEX t_x ON public.t USING btree (x);
";
    let preamble = "DROP INDEX IF EXISTS public.t_x;
ALTER TABLE IF EXISTS ONLY public.t DROP CONSTRAINT IF EXISTS t_pkey;
ALTER TABLE IF EXISTS public.t ALTER COLUMN id DROP DEFAULT;
DROP SEQUENCE IF EXISTS public.t_id_seq;
DROP TABLE IF EXISTS public.t;
DROP TABLE IF EXISTS public.gone;
";
    let (plain, _) = parse_schema(tables, "schema.sql", Dialect::Postgres).unwrap();
    let (dumped, warnings) = parse_schema(
        &format!("{preamble}{tables}"),
        "schema.sql",
        Dialect::Postgres,
    )
    .unwrap();
    assert_eq!(dumped, plain);
    assert!(warnings.is_empty(), "{warnings:?}");
    // A drop of a table the file made above it is refused: the file would say two things.
    let err = parse_schema(
        "CREATE TABLE t (id integer);\nDROP TABLE t;\n",
        "schema.sql",
        Dialect::Postgres,
    )
    .unwrap_err();
    assert_eq!(err.line, 2);
    assert!(
        err.message
            .contains("drops table `t`, which this schema creates on line 1"),
        "{err}"
    );
}

/// Partitions were a bare parser error, then refused: they are read, and a partition
/// of a table that is not partitioned is refused naming that table.
#[test]
fn postgres_partition_of_a_table_not_partitioned_is_refused_naming_it() {
    for (sql, line) in [
        (
            "CREATE TABLE p (id int);\nCREATE TABLE q (id int);\nALTER TABLE ONLY p ATTACH PARTITION q DEFAULT;",
            3,
        ),
        (
            "CREATE TABLE p (id int);\nCREATE TABLE q PARTITION OF p DEFAULT;",
            2,
        ),
    ] {
        let err = parse_schema(sql, "schema.sql", Dialect::Postgres).unwrap_err();
        assert_eq!(err.line, line, "{err}");
        assert!(
            err.message
                .starts_with("table `p` is not partitioned (`PARTITION BY`)"),
            "{err}"
        );
    }
    // A column's options in a partition's list are refused naming the column.
    let err = parse_schema(
        "CREATE TABLE p (id int) PARTITION BY LIST (id);\n\
         CREATE TABLE q PARTITION OF p (CHECK (id > 0), id WITH OPTIONS DEFAULT 1) DEFAULT;",
        "schema.sql",
        Dialect::Postgres,
    )
    .unwrap_err();
    assert_eq!((err.line, err.column), (2, 48), "{err}");
    assert!(
        err.message
            .starts_with("partition `q`: options of its column `id` are not supported yet"),
        "{err}"
    );
    // `ON ONLY` on a plain table makes its index as without.
    let (schema, _) = parse_schema(
        "CREATE TABLE p (id int);\nCREATE INDEX i ON ONLY public.p USING btree (id);",
        "schema.sql",
        Dialect::Postgres,
    )
    .unwrap();
    assert_eq!(schema.tables["p"].indexes[0].name, "i");
}

/// pg_dump's form of partitions (each a table of its own, with its parent's columns
/// and checks, attached; the parent's index `ON ONLY` with the partitions' copies
/// attached to it) reads as the `PARTITION OF` form.
#[test]
fn postgres_partitions_in_pg_dump_form_read_as_partition_of() {
    let dump = "\
CREATE TABLE public.t (id integer NOT NULL, at date NOT NULL, CONSTRAINT t_id_check CHECK ((id > 0)))
PARTITION BY RANGE (at);
CREATE TABLE public.t1 (id integer NOT NULL, at date NOT NULL, CONSTRAINT t_id_check CHECK ((id > 0)));
CREATE TABLE public.t2 (id integer NOT NULL, at date NOT NULL, CONSTRAINT t_id_check CHECK ((id > 0)), CONSTRAINT own CHECK ((id < 9)));
ALTER TABLE ONLY public.t ATTACH PARTITION public.t1 FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
ALTER TABLE ONLY public.t ATTACH PARTITION public.t2 DEFAULT;
ALTER TABLE ONLY public.t ADD CONSTRAINT t_pkey PRIMARY KEY (id, at);
ALTER TABLE ONLY public.t1 ADD CONSTRAINT t1_pkey PRIMARY KEY (id, at);
CREATE INDEX t_at ON ONLY public.t USING btree (at);
CREATE INDEX t1_at_idx ON public.t1 USING btree (at);
CREATE INDEX t1_own ON public.t1 USING btree (id);
ALTER INDEX public.t_at ATTACH PARTITION public.t1_at_idx;
ALTER INDEX public.t_pkey ATTACH PARTITION public.t1_pkey;
";
    let written = "\
CREATE TABLE t (id integer NOT NULL, at date NOT NULL, PRIMARY KEY (id, at), CHECK (id > 0))
PARTITION BY RANGE (at);
CREATE INDEX t_at ON t (at);
CREATE TABLE t1 PARTITION OF t FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE INDEX t1_own ON t1 (id);
CREATE TABLE t2 PARTITION OF t (CONSTRAINT own CHECK (id < 9)) DEFAULT;
";
    let (dumped, _) = parse_schema(dump, "schema.sql", Dialect::Postgres).unwrap();
    let (wanted, _) = parse_schema(written, "schema.sql", Dialect::Postgres).unwrap();
    assert_eq!(dumped, wanted);
    let t1 = &wanted.tables["t1"];
    assert_eq!(t1.columns.len(), 2, "a partition has its parent's columns");
    assert_eq!(
        t1.options.partition_of.as_ref().map(|o| o.bound.as_str()),
        Some("FOR VALUES FROM ('2024-01-01') TO ('2025-01-01')")
    );
    assert_eq!(
        wanted.tables["t"].options.partition_by.as_deref(),
        Some("RANGE (at)")
    );
}

/// `DEFAULT money '1.00'` was a bare parser error: it is refused naming the default.
#[test]
fn postgres_typed_literal_default_is_refused_by_name() {
    let sql = "CREATE TABLE m (\n  a money DEFAULT money '1.00'\n);";
    let err = parse_schema(sql, "schema.sql", Dialect::Postgres).unwrap_err();
    assert_eq!(err.line, 2);
    assert!(
        err.message
            .starts_with("table `m`: the default `money '1.00'`"),
        "{err}"
    );
}

/// An index on a column a table inherits said the column was missing; the table's
/// `INHERITS`, which the model cannot hold, is what the message leads with.
#[test]
fn postgres_index_on_an_inherited_column_names_inherits_first() {
    let sql = "CREATE TABLE base (id integer, name text);
CREATE TABLE child (extra integer) INHERITS (base);
CREATE INDEX child_name ON child (name);
ALTER TABLE ONLY child ADD CONSTRAINT child_pkey PRIMARY KEY (id);";
    let err = parse_schema(sql, "schema.sql", Dialect::Postgres).unwrap_err();
    assert!(
        err.message.starts_with(
            "table `child` has `INHERITS (base)` (on line 2), which the model cannot hold"
        ),
        "{err}"
    );
    let err = parse_schema(
        &sql.replace("CREATE INDEX child_name ON child (name);\n", ""),
        "schema.sql",
        Dialect::Postgres,
    )
    .unwrap_err();
    assert_eq!(err.line, 3, "{err}");
    assert!(err.message.contains("INHERITS (base)"), "{err}");
}

/// SQLite takes a string where a column's name stands (`CREATE TABLE t ('a' TEXT)`) as
/// the name; it was refused with a bare parser error.
#[test]
fn sqlite_reads_a_single_quoted_column_name_as_the_name() {
    let sql = "CREATE TABLE t ('a' TEXT, 'it''s' INTEGER, b TEXT DEFAULT 'x', CHECK (b <> 'y'));";
    let (s, _) = parse_schema(sql, "schema.sql", Dialect::Sqlite).unwrap();
    let t = &s.tables["t"];
    let names: Vec<&str> = t.columns.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["a", "it's", "b"]);
    assert_eq!(t.columns[2].default.as_deref(), Some("'x'"));
    assert_eq!(t.checks.len(), 1);
    // Only in the column list: a string of a `CREATE TABLE ... AS SELECT` is a value,
    // and the statement is refused by name as before.
    let sql = "CREATE TABLE s AS SELECT x FROM t WHERE x IN ('a', 'b');";
    let err = parse_schema(sql, "schema.sql", Dialect::Sqlite).unwrap_err();
    assert!(err.message.contains("AS SELECT"), "{err:?}");
}

#[test]
fn views_are_read_with_what_they_read() {
    let sql = "CREATE TABLE Orders (id INTEGER PRIMARY KEY, total INTEGER);\n\
               CREATE VIEW big (n) AS\n  SELECT id FROM orders WHERE total > 10 WITH LOCAL CHECK OPTION;\n\
               CREATE VIEW everything AS SELECT * FROM big;";
    let (schema, warnings) = parse_schema(sql, "schema.sql", Dialect::Postgres).unwrap();
    assert_eq!(warnings, vec![]);
    let big = &schema.views["big"];
    assert_eq!(big.columns, ["n"]);
    assert_eq!(big.definition, "SELECT id FROM orders WHERE total > 10");
    assert_eq!(
        big.check_option,
        Some(wildebeest_schema::CheckOption::Local)
    );
    assert_eq!(big.reads, ["orders"]);
    assert_eq!(big.reads_columns, ["id", "total"]);
    assert!(!big.reads_all);
    let all = &schema.views["everything"];
    assert_eq!(all.reads, ["big"]);
    assert!(all.reads_all);
    // One view however it is spelled.
    let other = parse_schema(
        "CREATE TABLE orders (id INTEGER PRIMARY KEY, total INTEGER);\n\
         create view big (n) as select ID from ORDERS where TOTAL > 10 with local check option;\n\
         CREATE VIEW everything AS SELECT * FROM big;",
        "schema.sql",
        Dialect::Postgres,
    )
    .unwrap()
    .0;
    assert_eq!(other.views, schema.views);
}

/// A view as `pg_dump` prints it (joins nested in parentheses, conditions in two,
/// strings cast to text, `t.c AS c`, functions in lower case) is the view as
/// written; what changes its meaning still tells two apart.
#[test]
fn a_postgres_view_compares_with_the_servers_printing_of_it() {
    let tables = "CREATE TABLE a (id integer, b_id integer, name text, active boolean);\n\
                  CREATE TABLE b (id integer, c_id integer, amount numeric);\n\
                  CREATE TABLE c (id integer, label text);\n";
    let read = |view: &str| {
        let (schema, _) =
            parse_schema(&format!("{tables}{view}"), "schema.sql", Dialect::Postgres).unwrap();
        schema.views["v"].normalized.clone()
    };
    let written = read(
        "CREATE VIEW v AS SELECT a.id AS id, a.name || ' ' || c.label AS name,
           CASE WHEN a.active THEN 'on' ELSE '' END AS state, SUM(b.amount) AS total
         FROM a LEFT JOIN b ON a.b_id = b.id LEFT JOIN c ON (b.c_id = c.id)
         WHERE a.id > 0 GROUP BY a.id, a.name, c.label, a.active ORDER BY SUM(b.amount) DESC;",
    );
    let printed = read(
        "CREATE VIEW v AS SELECT a.id,
    ((a.name || ' '::text) || c.label) AS name,
        CASE
            WHEN a.active THEN 'on'::text
            ELSE ''::text
        END AS state,
    sum(b.amount) AS total
   FROM ((a
     LEFT JOIN b ON ((a.b_id = b.id)))
     LEFT JOIN c ON ((b.c_id = c.id)))
  WHERE (a.id > 0)
  GROUP BY a.id, a.name, c.label, a.active
  ORDER BY (sum(b.amount)) DESC;",
    );
    assert_eq!(printed, written);
    for other in [
        // A join nested to the right is another join.
        "CREATE VIEW v AS SELECT a.id FROM a LEFT JOIN (b LEFT JOIN c ON b.c_id = c.id) ON a.b_id = b.id;",
        // Parentheses that group otherwise.
        "CREATE VIEW v AS SELECT a.id * (b.amount + 1) AS total FROM a JOIN b ON a.b_id = b.id;",
        // A string read as text and converted to a date on each read.
        "CREATE VIEW v AS SELECT ('now'::text)::date AS day;",
        // Another alias.
        "CREATE VIEW v AS SELECT a.id AS ident FROM a;",
    ] {
        let base = match other {
            o if o.contains("(b LEFT JOIN") => {
                "CREATE VIEW v AS SELECT a.id FROM a LEFT JOIN b ON a.b_id = b.id LEFT JOIN c ON b.c_id = c.id;"
            }
            o if o.contains("* (") => {
                "CREATE VIEW v AS SELECT a.id * b.amount + 1 AS total FROM a JOIN b ON a.b_id = b.id;"
            }
            o if o.contains("'now'") => "CREATE VIEW v AS SELECT 'now'::date AS day;",
            _ => "CREATE VIEW v AS SELECT a.id FROM a;",
        };
        assert_ne!(read(other), read(base), "{other}");
    }
}

#[test]
fn a_postgres_view_reads_the_managed_schema_through_the_search_path() {
    // pg_dump qualifies every name with `public`: the view is the same one without
    // it, and made in another schema (`check`'s scratch schema) it must read that
    // schema's tables, not the live ones.
    let tables = "CREATE TABLE public.orders (id integer PRIMARY KEY, total integer);\n\
                  CREATE FUNCTION public.f(x integer) RETURNS integer LANGUAGE sql AS $$ SELECT x $$;\n";
    let dumped = format!(
        "{tables}CREATE VIEW public.big AS\n SELECT o.id, public.f(o.total) AS t\n   FROM (public.orders o\n     JOIN \"public\".orders p ON ((p.id = o.id)));"
    );
    let plain = format!(
        "{tables}CREATE VIEW big AS\n SELECT o.id, f(o.total) AS t\n   FROM (orders o\n     JOIN orders p ON ((p.id = o.id)));"
    );
    let (dumped, _) = parse_schema(&dumped, "schema.sql", Dialect::Postgres).unwrap();
    let (plain, _) = parse_schema(&plain, "schema.sql", Dialect::Postgres).unwrap();
    assert_eq!(
        dumped.views["big"].definition,
        "SELECT o.id, f(o.total) AS t\n   FROM (orders o\n     JOIN orders p ON ((p.id = o.id)))"
    );
    assert_eq!(dumped.views, plain.views);
    // PostgreSQL before 16 prints a one-table view's columns qualified under
    // pg_dump's empty search path: the same view.
    let (qualified, _) = parse_schema(
        "CREATE TABLE public.p (id integer, name text);\n\
         CREATE VIEW public.v AS\n SELECT p.id,\n    p.name\n   FROM public.p\n  WHERE (p.id > 0);",
        "schema.sql",
        Dialect::Postgres,
    )
    .unwrap();
    let (bare, _) = parse_schema(
        "CREATE TABLE p (id integer, name text);\n\
         CREATE VIEW v AS SELECT id, name FROM p WHERE (id > 0);",
        "schema.sql",
        Dialect::Postgres,
    )
    .unwrap();
    assert_eq!(qualified.views["v"].normalized, bare.views["v"].normalized);
    // With a join the qualifiers say which table: they stay.
    let (joined, _) = parse_schema(
        "CREATE TABLE p (id integer, name text);\n\
         CREATE VIEW v AS SELECT p.id FROM p JOIN p AS q ON q.id = p.id;",
        "schema.sql",
        Dialect::Postgres,
    )
    .unwrap();
    assert!(joined.views["v"].normalized.contains("p.id"));
    // Another schema's name stays.
    let (other, _) = parse_schema(
        "CREATE VIEW v AS SELECT a FROM audit.log;",
        "schema.sql",
        Dialect::Postgres,
    )
    .unwrap();
    assert_eq!(other.views["v"].definition, "SELECT a FROM audit.log");
}

#[test]
fn views_that_cannot_be_made_are_refused_by_name() {
    let err = |sql: &str, dialect| {
        parse_schema(sql, "schema.sql", dialect)
            .unwrap_err()
            .message
    };
    assert_eq!(
        err("CREATE VIEW v AS SELECT a FROM nowhere;", Dialect::Sqlite),
        "view `v` reads `nowhere`, which is not a table or view these files create"
    );
    assert!(
        err(
            "CREATE TABLE t (a INT);\nCREATE MATERIALIZED VIEW m AS SELECT a FROM t;",
            Dialect::Sqlite
        )
        .starts_with("materialized view `m`: materialized views are PostgreSQL's")
    );
    assert_eq!(
        err(
            "CREATE TABLE t (a INT);\nCREATE VIEW v AS SELECT a FROM t WITH CHECK OPTION;",
            Dialect::Sqlite
        ),
        "view `v`: SQLite has no `WITH CHECK OPTION`"
    );
    assert_eq!(
        err(
            "CREATE TABLE t (a INT);\nCREATE VIEW t AS SELECT 1;",
            Dialect::Sqlite
        ),
        "`t` is defined twice (first on line 1)"
    );
}

#[test]
fn postgres_comments_on_tables_and_columns_and_what_is_refused() {
    let sql = "CREATE TABLE t (id INT PRIMARY KEY, c TEXT);\n\
               COMMENT ON TABLE public.t IS 'things';\n\
               COMMENT ON COLUMN t.c IS 'it''s text';\n\
               COMMENT ON COLUMN t.id IS '';\n";
    let (s, warnings) = parse_schema(sql, "schema.sql", Dialect::Postgres).unwrap();
    assert_eq!(warnings, vec![]);
    let t = s.table("t").unwrap();
    assert_eq!(t.options.comment.as_deref(), Some("things"));
    assert_eq!(t.column("c").unwrap().comment.as_deref(), Some("it's text"));
    assert_eq!(t.column("id").unwrap().comment, None);

    let refused = |dialect: Dialect, sql: &str| {
        parse_schema(sql, "schema.sql", dialect)
            .unwrap_err()
            .to_string()
    };
    let base = "CREATE TABLE t (id INT PRIMARY KEY, c TEXT);\n";
    for (dialect, tail, said) in [
        (
            Dialect::Postgres,
            "COMMENT ON INDEX i IS 'x';",
            "schema.sql:2:18: a comment on index `i`, which these files do not create",
        ),
        (
            Dialect::Postgres,
            "COMMENT ON ROLE r IS 'x';",
            "schema.sql:2:12: a comment on a role is not modeled",
        ),
        (
            Dialect::Postgres,
            "COMMENT ON SCHEMA other IS 'x';",
            "a comment on schema `other` is not modeled",
        ),
        (
            Dialect::Postgres,
            "CREATE VIEW v AS SELECT id FROM t;\nCOMMENT ON COLUMN v.nope IS 'x';",
            "a comment on column `v.nope`, which these files do not create",
        ),
        (
            Dialect::Postgres,
            "CREATE VIEW v AS SELECT id FROM t;\nCOMMENT ON MATERIALIZED VIEW v IS 'x';",
            "(it is a view: `COMMENT ON VIEW`)",
        ),
        (
            Dialect::Mysql,
            "CREATE VIEW v AS SELECT id FROM t;\nCOMMENT ON VIEW v IS 'x';",
            "`COMMENT ON` is PostgreSQL's",
        ),
        (
            Dialect::Sqlite,
            "CREATE INDEX i ON t (c);\nCOMMENT ON INDEX i IS 'x';",
            "`COMMENT ON` is PostgreSQL's; SQLite keeps no comments",
        ),
        (
            Dialect::Postgres,
            "COMMENT ON COLUMN t.nope IS 'x';",
            "schema.sql:2:21: table `t` has no column `nope`",
        ),
        (
            Dialect::Postgres,
            "COMMENT ON TABLE u IS 'x';",
            "table `u` is not created before this statement",
        ),
        (
            Dialect::Mysql,
            "COMMENT ON TABLE t IS 'x';",
            "`COMMENT ON` is PostgreSQL's; write `COMMENT '...'`",
        ),
        (
            Dialect::Sqlite,
            "COMMENT ON TABLE t IS 'x';",
            "SQLite keeps no comments",
        ),
    ] {
        let e = refused(dialect, &format!("{base}{tail}"));
        assert!(e.contains(said), "{dialect:?} {tail}: {e}");
    }
}

#[test]
fn generated_columns_are_modeled_in_every_dialect() {
    let generated = |expr: &str, stored: bool| {
        Some(Generated {
            expr: expr.into(),
            stored,
        })
    };
    for (dialect, sql, expect) in [
        (
            Dialect::Postgres,
            "CREATE TABLE t (a integer, b integer GENERATED ALWAYS AS (a*2) STORED, \
             c integer GENERATED ALWAYS AS IDENTITY);",
            vec![("b", generated("a * 2", true))],
        ),
        (
            Dialect::Mysql,
            "CREATE TABLE t (a int, b int GENERATED ALWAYS AS (a*2) VIRTUAL, \
             c int AS (a+1) STORED, d int AS (a - 1));",
            vec![
                ("b", generated("a * 2", false)),
                ("c", generated("a + 1", true)),
                ("d", generated("a - 1", false)),
            ],
        ),
        (
            Dialect::Sqlite,
            "CREATE TABLE t (a INTEGER, b INTEGER GENERATED ALWAYS AS (a*2) STORED, \
             c INTEGER AS (a+1), d INTEGER AS (a - 1) VIRTUAL);",
            vec![
                ("b", generated("a * 2", true)),
                ("c", generated("a + 1", false)),
                ("d", generated("a - 1", false)),
            ],
        ),
    ] {
        let (schema, warnings) = parse_schema(sql, "schema.sql", dialect).unwrap();
        assert_eq!(warnings, vec![], "{dialect:?}");
        let t = &schema.tables["t"];
        assert!(t.unmodeled.is_empty(), "{dialect:?}: {:?}", t.unmodeled);
        for (name, g) in expect {
            assert_eq!(t.column(name).unwrap().generated, g, "{dialect:?} {name}");
        }
        assert_eq!(t.column("a").unwrap().generated, None);
    }
    // PostgreSQL's identity stays an identity, not a generated column.
    let (schema, _) = parse_schema(
        "CREATE TABLE t (c integer GENERATED ALWAYS AS IDENTITY);",
        "schema.sql",
        Dialect::Postgres,
    )
    .unwrap();
    let c = schema.tables["t"].column("c").unwrap();
    assert!(c.auto_increment && c.generated_always && c.generated.is_none());
}

#[test]
fn postgres_extensions_are_read_with_their_schema_and_refused_elsewhere() {
    use wildebeest_schema::Extension;
    let sql = "DROP EXTENSION IF EXISTS \"uuid-ossp\";\n\
               CREATE EXTENSION IF NOT EXISTS \"uuid-ossp\" WITH SCHEMA public;\n\
               CREATE EXTENSION CITEXT;\n\
               CREATE EXTENSION hstore SCHEMA \"Ext\";\n\
               CREATE TABLE t (id UUID DEFAULT uuid_generate_v4(), e CITEXT);\n";
    let (s, warnings) = parse_schema(sql, "schema.sql", Dialect::Postgres).unwrap();
    assert_eq!(warnings, vec![]);
    let ext = |name: &str, schema: Option<&str>| Extension {
        name: name.into(),
        schema: schema.map(Into::into),
    };
    assert_eq!(
        s.extensions.values().cloned().collect::<Vec<_>>(),
        [
            ext("citext", None),
            ext("hstore", Some("Ext")),
            ext("uuid-ossp", Some("public")),
        ]
    );

    let refused = |dialect: Dialect, sql: &str| {
        parse_schema(sql, "schema.sql", dialect)
            .unwrap_err()
            .to_string()
    };
    for (dialect, sql, said) in [
        (
            Dialect::Postgres,
            "CREATE EXTENSION postgis CASCADE;",
            "schema.sql:1:18: extension `postgis`: `CASCADE` makes the extensions it requires",
        ),
        (
            Dialect::Postgres,
            "CREATE EXTENSION hstore VERSION '1.8';",
            "extension `hstore`: `VERSION '1.8'` is not modeled",
        ),
        (
            Dialect::Postgres,
            "CREATE EXTENSION hstore;\nCREATE EXTENSION IF NOT EXISTS hstore;",
            "schema.sql:2:32: extension `hstore` is defined twice (first on line 1)",
        ),
        (
            Dialect::Postgres,
            "CREATE EXTENSION hstore;\nDROP EXTENSION hstore;",
            "`DROP EXTENSION` drops extension `hstore`, which this schema creates",
        ),
        (
            Dialect::Postgres,
            "DROP EXTENSION hstore CASCADE;",
            "`DROP EXTENSION ... CASCADE` drops whatever uses the extension",
        ),
        (
            Dialect::Sqlite,
            "CREATE EXTENSION hstore;",
            "schema.sql:1:1: SQLite has no extensions",
        ),
        (
            Dialect::Mysql,
            "CREATE EXTENSION hstore;",
            "schema.sql:1:1: MySQL has no extensions",
        ),
    ] {
        let e = refused(dialect, sql);
        assert!(e.contains(said), "{dialect:?} {sql}: {e}");
    }
}

/// A sequence of its own is read with every option resolved, its `ALTER SEQUENCE`
/// statements applied, and a default drawing from it written as PostgreSQL prints it;
/// what PostgreSQL refuses is refused at its line.
#[test]
fn a_sequence_of_its_own_is_read_with_its_options_and_alters() {
    let refused = |sql: &str| {
        parse_schema(sql, "schema.sql", Dialect::Postgres)
            .unwrap_err()
            .to_string()
    };
    let (s, warnings) = parse_schema(
        "CREATE TABLE a (id INTEGER);\n\
         CREATE SEQUENCE IF NOT EXISTS invoice_no AS integer START 1000 CACHE 5;\n\
         ALTER SEQUENCE invoice_no INCREMENT BY 2 CYCLE;\n\
         ALTER SEQUENCE invoice_no OWNER TO app;\n\
         CREATE TABLE inv (no BIGINT DEFAULT nextval('public.invoice_no') NOT NULL);\n",
        "schema.sql",
        Dialect::Postgres,
    )
    .unwrap();
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    let seq = &s.sequences["invoice_no"];
    assert_eq!(
        (seq.increment, seq.start, seq.max, seq.cache, seq.cycle),
        (2, 1000, i64::from(i32::MAX), 5, true)
    );
    assert_eq!(
        s.tables["inv"].columns[0].default.as_deref(),
        Some("nextval('invoice_no'::regclass)")
    );
    let e = refused("CREATE SEQUENCE s;\nCREATE SEQUENCE s;\n");
    assert!(
        e.starts_with("schema.sql:2:1: sequence `s` is created twice"),
        "{e}"
    );
    let e = refused("CREATE SEQUENCE s MINVALUE 10 START 5;\n");
    assert!(
        e.starts_with("schema.sql:1:1: sequence `s`: START value (5)"),
        "{e}"
    );
    let e = refused("CREATE SEQUENCE s;\nALTER SEQUENCE s MAXVALUE 0;\n");
    assert!(
        e.starts_with("schema.sql:2:1: sequence `s`: MINVALUE"),
        "{e}"
    );
    let e = refused("CREATE SEQUENCE other.s;\n");
    assert!(e.contains("is in schema `other`"), "{e}");
    let e = refused("CREATE SEQUENCE s;\nDROP SEQUENCE s;\n");
    assert!(
        e.starts_with("schema.sql:2:1: `DROP SEQUENCE` drops sequence `s`"),
        "{e}"
    );
    let e = refused("CREATE SEQUENCE s;\nALTER SEQUENCE s RENAME TO t;\n");
    assert!(
        e.starts_with("schema.sql:2:1: `ALTER SEQUENCE ... RENAME`"),
        "{e}"
    );
    // What a serial column makes is the serial column.
    let (s, warnings) = parse_schema(
        "CREATE SEQUENCE public.t_id_seq AS integer START WITH 1 INCREMENT BY 1 NO MINVALUE \
         NO MAXVALUE CACHE 1;\n\
         CREATE TABLE t (id INTEGER DEFAULT nextval('public.t_id_seq'::regclass) NOT NULL);\n\
         ALTER SEQUENCE public.t_id_seq OWNED BY public.t.id;\n",
        "schema.sql",
        Dialect::Postgres,
    )
    .unwrap();
    assert_eq!(warnings, vec![]);
    assert_eq!(
        s.table("t").unwrap().columns[0].ty,
        wildebeest_schema::ColumnType::Custom("SERIAL".into())
    );
}

#[test]
fn postgres_routines_are_read_with_their_bodies_whole() {
    let text = "\
DROP FUNCTION IF EXISTS public.positive(integer);
CREATE TABLE t (a INTEGER CHECK (positive(a)));
CREATE OR REPLACE FUNCTION positive(x int) RETURNS boolean LANGUAGE plpgsql AS $body$
BEGIN
    RETURN x > 0; -- a semicolon; inside
END;
$body$;
CREATE FUNCTION positive(x text) RETURNS boolean LANGUAGE sql AS 'SELECT x <> '''';';
CREATE PROCEDURE p() LANGUAGE sql BEGIN ATOMIC
    INSERT INTO t (a) VALUES (1);
    INSERT INTO t (a) VALUES (2);
END;
CREATE TABLE u (b INTEGER);
";
    let (schema, warnings) = parse_schema(text, "schema.sql", Dialect::Postgres).unwrap();
    assert_eq!(warnings, []);
    assert_eq!(
        schema.routines.keys().collect::<Vec<_>>(),
        ["p()", "positive(integer)", "positive(text)"]
    );
    assert_eq!(
        schema.routines["positive(integer)"].definition,
        "(x int) RETURNS boolean LANGUAGE plpgsql AS $body$\nBEGIN\n    RETURN x > 0; -- a semicolon; inside\nEND;\n$body$"
    );
    assert_eq!(
        schema.routines["p()"].definition,
        "() LANGUAGE sql BEGIN ATOMIC\n    INSERT INTO t (a) VALUES (1);\n    INSERT INTO t (a) VALUES (2);\nEND"
    );
    assert_eq!(schema.tables.len(), 2);
}

#[test]
fn a_routine_defined_twice_or_in_another_schema_is_an_error() {
    let twice = "\
CREATE FUNCTION f(x int) RETURNS int LANGUAGE sql AS 'SELECT 1';
CREATE FUNCTION f(y int4) RETURNS int LANGUAGE sql AS 'SELECT 2';
";
    let e = parse_schema(twice, "schema.sql", Dialect::Postgres).unwrap_err();
    assert_eq!((e.line, e.column), (2, 17), "{e:?}");
    assert_eq!(
        e.message,
        "function `f(integer)` is defined twice (first on line 1)"
    );
    let other = "CREATE FUNCTION other.f() RETURNS int LANGUAGE sql AS 'SELECT 1';";
    let e = parse_schema(other, "schema.sql", Dialect::Postgres).unwrap_err();
    assert!(e.message.contains("schema `other`"), "{e:?}");
}

#[test]
fn routines_are_refused_where_they_are_not_modeled() {
    let text = "CREATE TABLE t (a INTEGER);\nCREATE FUNCTION f() RETURNS int AS 'SELECT 1';\n";
    let e = parse_schema(text, "schema.sql", Dialect::Sqlite).unwrap_err();
    assert_eq!(e.line, 2);
    assert!(e.message.contains("SQLite has no functions"), "{e:?}");
    let e = parse_schema(text, "schema.sql", Dialect::Mysql).unwrap_err();
    assert_eq!((e.line, e.column), (2, 33), "{e:?}");
    assert!(
        e.message.contains("written as PostgreSQL writes one"),
        "{e:?}"
    );
}

#[test]
fn postgres_domains_are_read_with_their_checks_named_as_postgresql_names_them() {
    use wildebeest_schema::Domain;
    let sql = "DROP DOMAIN IF EXISTS public.posint;\n\
               CREATE DOMAIN public.posint AS int4 DEFAULT 1 NOT NULL CHECK (VALUE > 0) \
               CONSTRAINT small CHECK (VALUE < 1000) CHECK (VALUE <> 13);\n\
               CREATE DOMAIN \"Code\" varchar(8) COLLATE \"C\" NULL DEFAULT NULL;\n\
               ALTER DOMAIN posint OWNER TO app;\n\
               ALTER DOMAIN \"Code\" ADD CHECK (length(VALUE) > 2);\n\
               CREATE TABLE t (n posint, c \"Code\");\n";
    let (s, warnings) = parse_schema(sql, "schema.sql", Dialect::Postgres).unwrap();
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    let check = |name: &str, expr: &str| Check {
        no_inherit: false,
        written: Default::default(),
        name: Some(name.into()),
        expr: expr.into(),
    };
    assert_eq!(
        s.domains.values().cloned().collect::<Vec<_>>(),
        [
            Domain {
                name: "Code".into(),
                base: Varchar(Some(8)),
                collation: Some("C".into()),
                default: None,
                not_null: false,
                checks: vec![check("Code_check", "length(value) > 2")],
            },
            Domain {
                name: "posint".into(),
                base: Integer,
                collation: None,
                default: Some("1".into()),
                not_null: true,
                checks: vec![
                    check("posint_check", "value > 0"),
                    check("posint_check1", "value <> 13"),
                    check("small", "value < 1000"),
                ],
            },
        ]
    );

    let refused = |dialect: Dialect, sql: &str| {
        parse_schema(sql, "schema.sql", dialect)
            .unwrap_err()
            .to_string()
    };
    for (dialect, sql, said) in [
        (
            Dialect::Postgres,
            "CREATE DOMAIN d int;\nCREATE DOMAIN D text;",
            "schema.sql:2:15: domain `d` is defined twice (first on line 1)",
        ),
        (
            Dialect::Postgres,
            "CREATE DOMAIN d int;\nDROP DOMAIN d;",
            "`DROP DOMAIN` drops domain `d`, which this schema creates",
        ),
        (
            Dialect::Postgres,
            "DROP DOMAIN d CASCADE;",
            "`DROP DOMAIN ... CASCADE` drops the columns of the domain's type",
        ),
        (
            Dialect::Postgres,
            "CREATE DOMAIN d int NULL NOT NULL;",
            "domain `d` says both `NULL` and `NOT NULL`",
        ),
        (
            Dialect::Postgres,
            "CREATE DOMAIN other.d int;",
            "domain `other.d` is in schema `other`",
        ),
        (
            Dialect::Postgres,
            "CREATE DOMAIN d int;\nALTER DOMAIN d RENAME TO e;",
            "schema.sql:2:16: `ALTER DOMAIN d`: only `SET DEFAULT`",
        ),
        (
            Dialect::Postgres,
            "CREATE DOMAIN d int;\nALTER DOMAIN d ADD CHECK (VALUE > 0) NOT VALID;",
            "a `NOT VALID` check holds for new values only",
        ),
        (
            Dialect::Postgres,
            "ALTER DOMAIN d SET NOT NULL;",
            "domain `d` does not exist",
        ),
        (
            Dialect::Sqlite,
            "CREATE DOMAIN d int;",
            "schema.sql:1:1: SQLite has no domains",
        ),
        (
            Dialect::Mysql,
            "CREATE DOMAIN d int;",
            "schema.sql:1:1: MySQL has no domains",
        ),
    ] {
        let e = refused(dialect, sql);
        assert!(e.contains(said), "{dialect:?} {sql}: {e}");
    }
}

#[test]
fn mysqldump_views_are_read_from_their_versioned_comments() {
    // mysqldump makes each view first as a stand-in of its columns, for the views
    // that read it, then drops it and makes it for real, all in versioned comments.
    let dump = "/*!40101 SET NAMES utf8mb4 */;\n\
        CREATE TABLE `t` (`a` int(11) DEFAULT NULL) ENGINE=InnoDB;\n\
        /*!50001 DROP VIEW IF EXISTS `v`*/;\n\
        SET @saved_cs_client     = @@character_set_client;\n\
        /*!50001 CREATE VIEW `v` AS SELECT\n 1 AS `a` */;\n\
        SET character_set_client = @saved_cs_client;\n\
        /*!50001 DROP VIEW IF EXISTS `v`*/;\n\
        /*!50001 SET character_set_client      = utf8mb3 */;\n\
        /*!50001 CREATE ALGORITHM=UNDEFINED */\n\
        /*!50013 DEFINER=`root`@`127.0.0.1` SQL SECURITY DEFINER */\n\
        /*!50001 VIEW `v` AS select `t`.`a` AS `a` from `t` */;\n";
    let (schema, warnings) = parse_schema(dump, "schema.sql", Dialect::Mysql).unwrap();
    assert_eq!(warnings, vec![]);
    let v = &schema.views["v"];
    assert_eq!(v.definition, "select `t`.`a` AS `a` from `t`");
    assert_eq!(v.reads, ["t"]);
    // What the model cannot hold is refused by name, not dropped.
    let err = parse_schema(
        "CREATE TABLE t (a int);\nCREATE SQL SECURITY INVOKER VIEW v AS SELECT a FROM t;",
        "schema.sql",
        Dialect::Mysql,
    )
    .unwrap_err();
    assert!(err.message.contains("SQL SECURITY INVOKER"), "{err:?}");
    assert_eq!(err.line, 2);
}

/// A materialized view is a view of its own kind: read with its query (a dump's
/// `WITH NO DATA` is when it is filled, not schema), refused on the other databases
/// by name, and an index on one is refused by name.
#[test]
fn materialized_views_are_read_with_their_indexes() {
    let (s, warnings) = parse_schema(
        "CREATE TABLE t (a INTEGER, b TEXT);\n\
         CREATE MATERIALIZED VIEW public.totals AS\n SELECT t.a, count(*) AS n\n   FROM public.t\n  GROUP BY t.a\n  WITH NO DATA;\n\
         CREATE MATERIALIZED VIEW plain AS SELECT b FROM t WITH DATA;\n",
        "schema.sql",
        Dialect::Postgres,
    )
    .unwrap();
    assert_eq!(warnings, vec![]);
    let v = &s.views["totals"];
    assert!(v.materialized);
    assert!(v.definition.ends_with("GROUP BY t.a"), "{}", v.definition);
    assert!(s.views["plain"].materialized);
    assert_eq!(s.views["plain"].definition, "SELECT b FROM t");
    // pg_dump's `public.` qualifier comes off the names, not off a string.
    let (s, _) = parse_schema(
        "CREATE TABLE t (a INTEGER, b TEXT);\n\
         CREATE VIEW public.v AS SELECT t.a, 'public.t' AS s FROM \"public\".t WHERE public.t.a > 0;\n",
        "schema.sql",
        Dialect::Postgres,
    )
    .unwrap();
    assert_eq!(
        s.views["v"].definition,
        "SELECT t.a, 'public.t' AS s FROM t WHERE t.a > 0"
    );
    for dialect in [Dialect::Sqlite, Dialect::Mysql] {
        let e = parse_schema(
            "CREATE TABLE t (a INTEGER);\nCREATE MATERIALIZED VIEW v AS SELECT a FROM t;\n",
            "schema.sql",
            dialect,
        )
        .unwrap_err();
        assert_eq!(e.line, 2, "{dialect:?}");
        assert!(
            e.message.contains("materialized views are PostgreSQL's"),
            "{e}"
        );
    }
    // Its indexes are the view's, sorted by name, whatever the order of the file.
    let (s, _) = parse_schema(
        "CREATE TABLE t (a INTEGER);\n\
         CREATE UNIQUE INDEX v_b ON v (a);\n\
         CREATE MATERIALIZED VIEW v AS SELECT a FROM t;\n\
         CREATE INDEX v_a ON v (a DESC) WHERE a > 0;\n",
        "schema.sql",
        Dialect::Postgres,
    )
    .unwrap();
    let names: Vec<(&str, &str, bool)> = s.views["v"]
        .indexes
        .iter()
        .map(|i| (i.name.as_str(), i.table.as_str(), i.unique))
        .collect();
    assert_eq!(names, [("v_a", "v", false), ("v_b", "v", true)]);
    assert!(s.table("t").unwrap().indexes.is_empty());
    // A plain view has none.
    let e = parse_schema(
        "CREATE TABLE t (a INTEGER);\nCREATE VIEW v AS SELECT a FROM t;\n\
         CREATE UNIQUE INDEX v_a ON v (a);\n",
        "schema.sql",
        Dialect::Postgres,
    )
    .unwrap_err();
    assert_eq!(e.line, 3, "{e}");
    assert!(
        e.message.contains("only a table or a materialized view"),
        "{e}"
    );
}

#[test]
fn mysql_routines_are_read_by_name_and_kind() {
    let text = "CREATE TABLE t (a INT);\n\
                CREATE DEFINER=`root`@`%` PROCEDURE p(IN k INT) BEGIN SELECT 1; SELECT k; END;\n\
                CREATE FUNCTION p(x INT) RETURNS INT DETERMINISTIC RETURN x;\n";
    let (s, warnings) = parse_schema(text, "schema.sql", Dialect::Mysql).unwrap();
    assert_eq!(warnings, vec![]);
    assert_eq!(
        s.routines.keys().collect::<Vec<_>>(),
        ["p function", "p procedure"]
    );
    assert_eq!(
        s.routines["p procedure"].definition,
        "(IN k INT) BEGIN SELECT 1; SELECT k; END"
    );
    let twice = "CREATE PROCEDURE p() SELECT 1;\nCREATE PROCEDURE P() SELECT 2;\n";
    let e = parse_schema(twice, "schema.sql", Dialect::Mysql).unwrap_err();
    assert_eq!(
        (e.line, e.message.as_str()),
        (2, "procedure `P` is defined twice (first on line 1)")
    );
}

#[test]
fn a_mysqldump_trigger_between_delimiter_lines_is_read() {
    let dump = "/*M!999999\\- enable the sandbox mode */ \n\
        /*!40101 SET @OLD_CHARACTER_SET_CLIENT=@@CHARACTER_SET_CLIENT */;\n\
        DROP TABLE IF EXISTS `ledger`;\n\
        CREATE TABLE `ledger` (\n  `id` int(11) NOT NULL,\n  `amount` int(11) DEFAULT NULL,\n  PRIMARY KEY (`id`)\n);\n\
        /*!50003 SET @saved_sql_mode       = @@sql_mode */ ;\n\
        DELIMITER ;;\n\
        /*!50003 CREATE*/ /*!50017 DEFINER=`root`@`localhost`*/ /*!50003 trigger ledger_bi before insert on ledger for each row begin set new.amount = coalesce(new.amount, 0); set @n = 1; end \n*/;;\n\
        DELIMITER ;\n\
        /*!50003 SET sql_mode              = @saved_sql_mode */ ;\n";
    let (s, warnings) = parse_schema(dump, "schema.sql", Dialect::Mysql).unwrap();
    assert_eq!(warnings, vec![]);
    let t = &s.triggers["ledger_bi"];
    assert_eq!(t.table, "ledger");
    assert!(t.body.contains("set @n = 1; end"), "{}", t.body);
}

#[test]
fn a_delimiter_line_is_refused_outside_mysql() {
    let text = "CREATE TABLE a (x int);\nDELIMITER ;;\nCREATE TABLE b (y int);;\n";
    for dialect in [Dialect::Sqlite, Dialect::Postgres] {
        let e = parse_schema(text, "schema.sql", dialect).unwrap_err();
        assert_eq!(e.line, 2, "{e:?}");
        assert!(
            e.message
                .contains("`DELIMITER` is a command of the mysql client"),
            "{e:?}"
        );
    }
    let e = parse_schema(
        "CREATE TABLE a (x int);\nDELIMITER\n",
        "schema.sql",
        Dialect::Mysql,
    )
    .unwrap_err();
    assert_eq!((e.line, e.column), (2, 1), "{e:?}");
}

#[test]
fn a_mysqldump_event_is_read() {
    let dump = "CREATE TABLE t (n INT);\n\
        /*!50106 DROP EVENT IF EXISTS `nightly` */;\n\
        DELIMITER ;;\n\
        /*!50003 SET @saved_cs_client      = @@character_set_client */ ;;\n\
        /*!50106 CREATE*/ /*!50117 DEFINER=`root`@`%`*/ /*!50106 EVENT `nightly` ON SCHEDULE EVERY 1 DAY STARTS '2030-01-01 00:00:00' ON COMPLETION NOT PRESERVE ENABLE DO begin delete from t where n > 100; delete from t where n < 0; end \n*/ ;;\n\
        DELIMITER ;\n";
    let (s, warnings) = parse_schema(dump, "schema.sql", Dialect::Mysql).unwrap();
    assert!(warnings.is_empty(), "{warnings:?}");
    let event = &s.routines["nightly event"];
    assert_eq!(event.head, "'2030-01-01 00:00:00'");
    assert_eq!(
        event.normalized,
        "on schedule every 1 day do begin delete from t where n > 100 ; delete from t where n < 0 ; end"
    );
    // Elsewhere an event is refused by name.
    for dialect in [Dialect::Sqlite, Dialect::Postgres] {
        let e = parse_schema(
            "CREATE TABLE t (n INT);\nCREATE EVENT e ON SCHEDULE EVERY 1 DAY DO DELETE FROM t;\n",
            "schema.sql",
            dialect,
        )
        .unwrap_err();
        assert_eq!(e.line, 2, "{e:?}");
        assert!(e.message.contains("creates an event"), "{e:?}");
    }
}

/// A PostgreSQL table's storage parameters are held, from `CREATE TABLE ... WITH (...)`
/// and from an `ALTER TABLE ... SET (...)` after it; in a migration, `RESET (...)`
/// (which the SQL parser does not read) takes them back to the default. Elsewhere
/// `WITH (...)` is a part the model cannot hold, which `migrate` refuses by name.
#[test]
fn table_storage_parameters_are_kept_on_postgres() {
    let sql = "CREATE TABLE t (a INT) WITH (fillfactor = 70, autovacuum_enabled = OFF);\n\
               ALTER TABLE t SET (toast_tuple_target = 256, fillfactor = 80);\n";
    let (s, warnings) = parse_schema(sql, "schema.sql", Dialect::Postgres).unwrap();
    assert_eq!(
        s.tables["t"].options.storage,
        strings(&[
            "autovacuum_enabled=off",
            "fillfactor=80",
            "toast_tuple_target=256"
        ])
    );
    assert!(s.tables["t"].unmodeled.is_empty());
    assert_eq!(warnings, vec![]);
    let (s, _) = parse_schema(
        "CREATE TABLE t (a INT) WITH (fillfactor = 70);\n",
        "schema.sql",
        Dialect::Sqlite,
    )
    .unwrap();
    assert!(s.tables["t"].options.storage.is_empty());
    assert_eq!(
        s.tables["t"].unmodeled,
        strings(&["WITH (fillfactor = 70)"])
    );

    let (statements, warnings) = wildebeest_sql::parse_statements(
        "ALTER TABLE t RESET (FillFactor, autovacuum_enabled);",
        "m.sql",
        Dialect::Postgres,
    )
    .unwrap();
    assert_eq!(warnings, vec![]);
    assert_eq!(
        statements[0].change,
        Some(wildebeest_schema::Change::AlterTable {
            table: "t".into(),
            actions: vec![wildebeest_schema::AlterAction::SetOptions(
                wildebeest_schema::OptionsChange {
                    storage: vec![
                        ("autovacuum_enabled".into(), None),
                        ("fillfactor".into(), None)
                    ],
                    ..Default::default()
                }
            )],
        })
    );
}

/// An `ALTER TABLE` that changes a table made above it (a column added, dropped or
/// renamed, a key dropped) was passed over with a warning and exit 0: the schema
/// then lacked what the file, run top to bottom, makes. It is refused by name.
#[test]
fn an_alter_table_changing_a_table_in_a_schema_file_is_refused_by_name() {
    for dialect in [Dialect::Sqlite, Dialect::Postgres, Dialect::Mysql] {
        for (statement, said) in [
            ("ALTER TABLE w ADD COLUMN c int", "adds column `c`"),
            ("ALTER TABLE w DROP COLUMN n", "drops column `n`"),
            (
                "ALTER TABLE w RENAME COLUMN n TO m",
                "renames column `n` to `m`",
            ),
        ] {
            let sql = format!("CREATE TABLE w (id int PRIMARY KEY, n int);\n{statement};\n");
            let e = parse_schema(&sql, "schema.sql", dialect).unwrap_err();
            assert_eq!(e.line, 2, "{dialect:?} {statement}: {e:?}");
            assert!(e.message.contains(said), "{dialect:?} {statement}: {e}");
        }
    }
}

/// A dump made without `--no-owner` sets an owner on every object: one warning says
/// so for the file, with the lines, rather than one per statement.
#[test]
fn owners_and_privileges_are_one_warning_per_file() {
    let sql = "CREATE TABLE t (id integer PRIMARY KEY);\n\
               ALTER TABLE public.t OWNER TO app;\n\
               GRANT SELECT ON t TO PUBLIC;\n\
               CREATE SEQUENCE s;\n\
               ALTER SEQUENCE s OWNER TO app;\n";
    let (_, warnings) = parse_schema(sql, "schema.sql", Dialect::Postgres).unwrap();
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert_eq!(warnings[0].line, 2);
    assert!(
        warnings[0]
            .message
            .contains("2 more statements (lines 3, 5)")
            && warnings[0].message.contains("out of wildebeest's scope"),
        "{warnings:?}"
    );
}

/// PostgreSQL's exclusion constraints are read into the model, in `CREATE TABLE` and
/// pg_dump's `ALTER TABLE ONLY ... ADD CONSTRAINT`, the way the catalog's
/// `pg_get_constraintdef` is read back (`exclusion_from_catalog`), so both compare
/// equal; a check's `NO INHERIT` is a flag. SQLite and MySQL keep both as parts the
/// model cannot hold.
#[test]
fn exclusion_constraints_and_no_inherit_checks_are_read_on_postgres() {
    let sql = "CREATE TABLE b (id int, room int, during tstzrange, note text,
        CHECK (room > 0) NO INHERIT,
        EXCLUDE USING GIST (room WITH =, during WITH &&) WHERE (note IS NOT NULL));
        ALTER TABLE ONLY public.b ADD CONSTRAINT b_low EXCLUDE (lower(note) WITH OPERATOR(pg_catalog.=))
            INCLUDE (id) DEFERRABLE INITIALLY DEFERRED;";
    let (s, warnings) = parse_schema(sql, "schema.sql", Dialect::Postgres).unwrap();
    assert_eq!(warnings, []);
    let t = &s.tables["b"];
    assert!(t.unmodeled.is_empty(), "{:?}", t.unmodeled);
    assert!(t.checks[0].no_inherit);
    let described: Vec<String> = t
        .exclusions
        .iter()
        .map(|x| wildebeest_schema::Constraint::Exclusion(x.clone()).describe())
        .collect();
    assert_eq!(
        described,
        [
            "exclude using gist (room with =, during with &&) where (note IS NOT NULL)",
            "exclude using btree (lower(note) with =) include (id) deferrable initially deferred",
        ]
    );
    let names: Vec<String> = t
        .constraints()
        .iter()
        .filter(|c| matches!(c, wildebeest_schema::Constraint::Exclusion(_)))
        .map(|c| c.sql_name(t))
        .collect();
    assert_eq!(names, ["b_room_during_excl", "b_low"]);
    let catalog = wildebeest_sql::exclusion_from_catalog(
        "EXCLUDE USING gist (room WITH =, during WITH &&) WHERE ((note IS NOT NULL))",
    )
    .unwrap();
    assert_eq!(catalog, t.exclusions[0]);
    // What the model does not hold of one is an error, never dropped.
    assert!(
        wildebeest_sql::exclusion_from_catalog(
            "EXCLUDE USING gist (room WITH =) WITH (fillfactor='70')"
        )
        .is_err()
    );

    // Storage parameters, which sqlparser does not read there, are refused by name.
    let err = parse_schema(
        "CREATE TABLE b (a int, EXCLUDE USING gist (a WITH =) WITH (fillfactor = 70));",
        "schema.sql",
        Dialect::Postgres,
    )
    .unwrap_err();
    assert!(
        err.to_string()
            .contains("1:54: an exclusion constraint's index storage parameters `WITH (...)`"),
        "{err}"
    );
    let err = parse_schema(
        "CREATE TABLE b (a int, EXCLUDE USING gist (a WITH =) USING INDEX TABLESPACE x);",
        "schema.sql",
        Dialect::Postgres,
    )
    .unwrap_err();
    assert!(
        err.to_string().contains(
            "1:54: an exclusion constraint's index tablespace `USING INDEX TABLESPACE` \
             cannot be modeled"
        ),
        "{err}"
    );
    // A typed table is refused by name, not as a syntax error.
    for sql in [
        "CREATE TYPE pt AS (x int);\nCREATE TABLE r OF pt;",
        "CREATE TYPE pt AS (x int);\nCREATE UNLOGGED TABLE IF NOT EXISTS public.r OF pt (PRIMARY KEY (x));",
    ] {
        let err = parse_schema(sql, "schema.sql", Dialect::Postgres).unwrap_err();
        assert_eq!(err.line, 2, "{err}");
        assert!(
            err.message
                .contains("a typed table (`CREATE TABLE name OF type`) is not modeled"),
            "{err}"
        );
    }

    for dialect in [Dialect::Sqlite, Dialect::Mysql] {
        let sql = "CREATE TABLE b (id int, room int CHECK (room > 0) NO INHERIT, \
                   EXCLUDE (room WITH =));";
        let (s, _) = parse_schema(sql, "schema.sql", dialect).unwrap();
        let t = &s.tables["b"];
        assert!(t.exclusions.is_empty() && !t.checks[0].no_inherit);
        assert_eq!(t.unmodeled.len(), 2, "{dialect:?}: {:?}", t.unmodeled);
    }
}

/// MySQL's partitioning was held only as the fact that there was one; it is read into
/// the table's options, in a `CREATE TABLE` and in a schema file's `ALTER TABLE ...
/// PARTITION BY`, and the steps (`ADD PARTITION`, ...) are refused there by line.
#[test]
fn mysql_partitioning_is_read_and_a_step_on_it_is_refused_in_a_schema_file() {
    let (s, _) = parse_schema(
        "CREATE TABLE t (id int NOT NULL, y int NOT NULL)\n\
         PARTITION BY RANGE (y) (PARTITION p0 VALUES LESS THAN (10), PARTITION p1 VALUES LESS THAN MAXVALUE);\n\
         CREATE TABLE u (id int NOT NULL PRIMARY KEY);\n\
         ALTER TABLE u PARTITION BY KEY () PARTITIONS 2;",
        "schema.sql",
        Dialect::Mysql,
    )
    .unwrap();
    let p = s.tables["t"].options.mysql_partitioning.clone().unwrap();
    assert_eq!((p.method.as_str(), p.expr.as_str()), ("RANGE", "y"));
    assert_eq!(p.partitions.len(), 2);
    assert!(s.tables["t"].unmodeled.is_empty());
    let k = s.tables["u"].options.mysql_partitioning.clone().unwrap();
    assert_eq!((k.method.as_str(), k.count), ("KEY", Some(2)));

    for (sql, line, message) in [
        (
            "CREATE TABLE t (y int) PARTITION BY RANGE (y) (PARTITION p0 VALUES LESS THAN (10));\n\
             ALTER TABLE t ADD PARTITION (PARTITION p1 VALUES LESS THAN (20));",
            2,
            "changes a table's partitions",
        ),
        (
            "CREATE TABLE t (y int)\nPARTITION BY RANGE (y) SUBPARTITION BY HASH (y) (PARTITION p0 VALUES LESS THAN (10));",
            2,
            "subpartitions",
        ),
        (
            "ALTER TABLE nowhere PARTITION BY HASH (y) PARTITIONS 2;",
            1,
            "table `nowhere` is not created before this statement",
        ),
    ] {
        let err = parse_schema(sql, "schema.sql", Dialect::Mysql).unwrap_err();
        assert_eq!(err.line, line, "{err}");
        assert!(err.message.contains(message), "{err}");
    }
}

/// Comments on the objects but tables and columns, as pg_dump writes them: each right
/// after its object, a foreign key's after the `ALTER TABLE` that adds it (the key is
/// added once every file is read, and so is the comment).
#[test]
fn postgres_comments_on_every_object_are_read() {
    use wildebeest_schema::RoutineKind;
    let sql = "CREATE EXTENSION IF NOT EXISTS ltree WITH SCHEMA public;\n\
               COMMENT ON EXTENSION ltree IS 'paths';\n\
               CREATE TYPE mood AS ENUM ('a');\n\
               COMMENT ON TYPE public.mood IS 'type';\n\
               CREATE DOMAIN pos AS integer CONSTRAINT pos_check CHECK (VALUE > 0);\n\
               COMMENT ON DOMAIN pos IS 'domain';\n\
               COMMENT ON CONSTRAINT pos_check ON DOMAIN pos IS 'domain check';\n\
               CREATE SEQUENCE s;\n\
               COMMENT ON SEQUENCE s IS 'sequence';\n\
               CREATE TABLE t (id integer PRIMARY KEY, p integer);\n\
               CREATE TABLE u (id integer PRIMARY KEY);\n\
               ALTER TABLE ONLY t ADD CONSTRAINT t_p_fkey FOREIGN KEY (p) REFERENCES u(id);\n\
               COMMENT ON CONSTRAINT t_p_fkey ON public.t IS 'key';\n\
               COMMENT ON CONSTRAINT t_pkey ON t IS 'primary';\n\
               CREATE INDEX t_p ON t (p);\n\
               COMMENT ON INDEX t_p IS 'index';\n\
               CREATE FUNCTION f(a integer) RETURNS integer LANGUAGE sql AS $$ SELECT a $$;\n\
               COMMENT ON FUNCTION f IS 'function';\n\
               CREATE PROCEDURE p(a text) LANGUAGE sql AS $$ SELECT 1 $$;\n\
               COMMENT ON PROCEDURE public.p(text) IS 'procedure';\n\
               CREATE FUNCTION tf() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;\n\
               CREATE TRIGGER tr BEFORE INSERT ON t FOR EACH ROW EXECUTE FUNCTION tf();\n\
               COMMENT ON TRIGGER tr ON t IS 'trigger';\n\
               CREATE POLICY pol ON t USING (true);\n\
               COMMENT ON POLICY pol ON t IS 'policy';\n\
               CREATE VIEW v AS SELECT id AS ident FROM t;\n\
               COMMENT ON VIEW v IS 'view';\n\
               COMMENT ON COLUMN v.ident IS 'view column';\n\
               CREATE MATERIALIZED VIEW m AS SELECT id FROM t;\n\
               COMMENT ON MATERIALIZED VIEW m IS 'materialized';\n\
               COMMENT ON SCHEMA public IS 'schema';\n\
               COMMENT ON TYPE mood IS NULL;\n";
    let (s, warnings) = parse_schema(sql, "schema.sql", Dialect::Postgres).unwrap();
    assert_eq!(warnings, vec![]);
    let got: Vec<(CommentOn, &str)> = s
        .comments
        .iter()
        .map(|(on, text)| (on.clone(), text.as_str()))
        .collect();
    let pair = |table: &str, name: &str| (table.to_string(), name.to_string());
    let (t_key, t_pkey, pos_check) = (
        pair("t", "t_p_fkey"),
        pair("t", "t_pkey"),
        pair("pos", "pos_check"),
    );
    assert_eq!(
        got,
        [
            (CommentOn::View("v".into()), "view"),
            (CommentOn::MaterializedView("m".into()), "materialized"),
            (
                CommentOn::ViewColumn {
                    view: "v".into(),
                    column: "ident".into()
                },
                "view column"
            ),
            (CommentOn::Index("t_p".into()), "index"),
            (CommentOn::Sequence("s".into()), "sequence"),
            (CommentOn::Domain("pos".into()), "domain"),
            (
                CommentOn::Routine {
                    kind: RoutineKind::Function,
                    key: "f(integer)".into()
                },
                "function"
            ),
            (
                CommentOn::Routine {
                    kind: RoutineKind::Procedure,
                    key: "p(text)".into()
                },
                "procedure"
            ),
            (
                CommentOn::Trigger {
                    table: "t".into(),
                    name: "tr".into()
                },
                "trigger"
            ),
            (
                CommentOn::Constraint {
                    table: t_key.0,
                    name: t_key.1
                },
                "key"
            ),
            (
                CommentOn::Constraint {
                    table: t_pkey.0,
                    name: t_pkey.1
                },
                "primary"
            ),
            (
                CommentOn::DomainConstraint {
                    domain: pos_check.0,
                    name: pos_check.1
                },
                "domain check"
            ),
            (
                CommentOn::Policy {
                    table: "t".into(),
                    name: "pol".into()
                },
                "policy"
            ),
            (CommentOn::Extension("ltree".into()), "paths"),
            (CommentOn::Schema, "schema"),
        ]
    );
}

/// The schema's comment as a migration and `inspect` write it, a `DO` block naming
/// `current_schema()`, reads back as the comment.
#[test]
fn the_schema_comment_block_reads_back_as_the_comment() {
    let block = wildebeest_sql::schema_comment_block(Some("it's $comment$ ours"));
    let text = format!("CREATE TABLE t (id integer);\n{block};\n");
    let (s, warnings) = parse_schema(&text, "schema.sql", Dialect::Postgres).unwrap();
    assert_eq!(warnings, vec![]);
    assert_eq!(
        s.comments.get(&CommentOn::Schema).map(String::as_str),
        Some("it's $comment$ ours")
    );
}

/// MySQL's key on a column's first characters (`title(50)`) is a prefix part of the
/// index, in a `KEY`, a `UNIQUE KEY`, mixed with whole columns and in `CREATE INDEX`,
/// held as `` `title`(50) `` so that it is never read as a call; the column takes the
/// table's spelling.
#[test]
fn mysql_prefix_keys_are_prefix_parts() {
    let sql = "CREATE TABLE t (id INT PRIMARY KEY, Title VARCHAR(200), body TEXT,\n\
               KEY t_title (title(50)),\n\
               UNIQUE KEY t_tb (Title(20), id DESC));\n\
               CREATE INDEX t_body ON t (body(100) DESC, id);";
    let (s, _) = parse_schema(sql, "schema.sql", Dialect::Mysql).unwrap();
    let t = &s.tables["t"];
    let mut parts: Vec<(&str, bool, &[String])> = t
        .indexes
        .iter()
        .map(|i| (i.name.as_str(), i.unique, i.columns.as_slice()))
        .collect();
    parts.sort();
    assert_eq!(
        parts,
        [
            ("t_body", false, &strings(&["`body`(100) DESC", "id"])[..]),
            ("t_tb", true, &strings(&["`Title`(20)", "id DESC"])[..]),
            ("t_title", false, &strings(&["`Title`(50)"])[..]),
        ]
    );
    assert!(t.uniques.is_empty(), "{:?}", t.uniques);
    assert!(t.unmodeled.is_empty(), "{:?}", t.unmodeled);
    let err = parse_schema(
        "CREATE TABLE t (a INT, KEY t_b (b(5)));",
        "schema.sql",
        Dialect::Mysql,
    )
    .unwrap_err();
    assert!(err.to_string().contains("no column `b`"), "{err}");
}

/// PostgreSQL names an index made without a name (`ChooseIndexName`); the model
/// takes the same name, so that `check` and a later `DROP INDEX` agree with the
/// server. The other databases' `CREATE INDEX` needs a name.
#[test]
fn an_unnamed_postgres_index_gets_the_name_postgres_gives_it() {
    let long = "a".repeat(60);
    let sql = format!(
        "CREATE TABLE t (a INT, b TEXT, c INT, {long} INT);\n\
         CREATE TABLE t_a_idx1 (x INT);\n\
         CREATE INDEX ON t (a);\n\
         CREATE INDEX ON t (a);\n\
         CREATE INDEX ON t (a);\n\
         CREATE UNIQUE INDEX ON t (lower(b), a DESC) INCLUDE (c);\n\
         CREATE INDEX ON t ((a + c));\n\
         CREATE INDEX ON t ({long});\n\
         CREATE INDEX named ON t (c);\n"
    );
    let (s, warnings) = parse_schema(&sql, "schema.sql", Dialect::Postgres).unwrap();
    assert_eq!(warnings, vec![]);
    let mut names: Vec<&str> = s.tables["t"]
        .indexes
        .iter()
        .map(|i| i.name.as_str())
        .collect();
    names.sort_unstable();
    let cut = format!("t_{}_idx", &long[..57]);
    let mut expected = vec![
        "named",
        "t_a_idx",
        // `t_a_idx1` is a table's name already.
        "t_a_idx2",
        "t_a_idx3",
        "t_expr_idx",
        "t_lower_a_c_idx",
        cut.as_str(),
    ];
    expected.sort_unstable();
    assert_eq!(names, expected);
    for dialect in [Dialect::Sqlite, Dialect::Mysql] {
        let err = parse_schema(
            "CREATE TABLE t (a INT);\nCREATE INDEX ON t (a);\n",
            "schema.sql",
            dialect,
        )
        .unwrap_err();
        assert!(err.to_string().contains("needs a name"), "{err}");
    }
}

/// `MATCH SIMPLE` is what a foreign key is without a `MATCH` on every database: the
/// same key, not a part the model cannot hold. `MATCH FULL` stays such a part.
#[test]
fn match_simple_is_a_plain_foreign_key() {
    for dialect in [Dialect::Sqlite, Dialect::Postgres, Dialect::Mysql] {
        let sql = "CREATE TABLE p (id INT PRIMARY KEY);\n\
                   CREATE TABLE c (a INT REFERENCES p (id) MATCH SIMPLE, b INT,\n\
                   FOREIGN KEY (b) REFERENCES p (id) MATCH SIMPLE ON DELETE CASCADE);\n";
        let (s, _) = parse_schema(sql, "schema.sql", dialect).unwrap();
        let c = &s.tables["c"];
        assert!(c.unmodeled.is_empty(), "{dialect:?}: {:?}", c.unmodeled);
        assert_eq!(c.foreign_keys.len(), 2, "{dialect:?}");
        let full = "CREATE TABLE p (id INT PRIMARY KEY);\n\
                    CREATE TABLE c (a INT REFERENCES p (id) MATCH FULL);\n";
        let (s, _) = parse_schema(full, "schema.sql", dialect).unwrap();
        assert_eq!(s.tables["c"].unmodeled.len(), 1, "{dialect:?}");
    }
}
