use wildebeest_schema::{Check, FkAction, ForeignKey, PrimaryKey, Unique};
use wildebeest_sql::parse_statements;

use super::*;

use wildebeest_schema::build_test::{col, fk, index, not_null, with_default};

fn orders() -> Table {
    let mut t = Table::new("orders");
    t.columns = vec![
        Column {
            auto_increment: true,
            generated_always: false,
            on_update: None,
            ..not_null("id", ColumnType::BigInt)
        },
        not_null("customer_id", ColumnType::Integer),
        with_default(
            col(
                "total",
                ColumnType::Decimal {
                    precision: Some(10),
                    scale: Some(2),
                },
            ),
            "0",
        ),
        Column {
            collation: Some("utf8mb4_bin".into()),
            ..col("note", ColumnType::Text)
        },
        with_default(
            col("created_at", ColumnType::Timestamp),
            "CURRENT_TIMESTAMP",
        ),
        with_default(col("code", ColumnType::Varchar(Some(8))), "upper('x')"),
        with_default(col("flag", ColumnType::Boolean), "false"),
    ];
    t.primary_key = Some(PrimaryKey {
        deferral: Default::default(),
        name: None,
        columns: vec!["id".into()],
    });
    t.uniques = vec![Unique {
        deferral: Default::default(),
        name: None,
        columns: vec!["code".into()],
    }];
    // As the MySQL dialect reads `ON DELETE CASCADE` with no `ON UPDATE`.
    t.foreign_keys = vec![ForeignKey {
        on_delete: FkAction::Cascade,
        on_update: FkAction::Unspecified,
        ..fk(&["customer_id"], "customers", &["id"])
    }];
    t.checks = vec![
        Check {
            no_inherit: false,
            written: Default::default(),
            name: Some("total_positive".into()),
            expr: "total >= 0".into(),
        },
        Check {
            no_inherit: false,
            written: Default::default(),
            name: None,
            expr: "char_length(code) = 8".into(),
        },
    ];
    t.indexes = vec![
        index(
            "orders_by_customer",
            "orders",
            &["customer_id", "created_at DESC"],
        ),
        Index {
            unique: true,
            ..index("orders_lower_note", "orders", &["lower(note)"])
        },
    ];
    t
}

fn schema_with(tables: Vec<Table>) -> Schema {
    Schema {
        tables: tables.into_iter().map(|t| (t.name.clone(), t)).collect(),
        ..Schema::default()
    }
}

/// Renders `op` against a schema holding `orders`.
fn check(op: Op, want: &[&str]) {
    let got = render_op(&op, &schema_with(vec![orders()])).unwrap();
    assert_eq!(got, want, "{op:?}");
}

#[test]
fn create_table_names_every_constraint_and_writes_indexes_after() {
    check(
        Op::CreateTable(orders()),
        &[
            "CREATE TABLE orders (\n    \
             id BIGINT NOT NULL AUTO_INCREMENT,\n    \
             customer_id INT NOT NULL,\n    \
             total DECIMAL(10, 2) DEFAULT 0,\n    \
             note TEXT COLLATE utf8mb4_bin,\n    \
             created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP,\n    \
             code VARCHAR(8) DEFAULT (upper('x')),\n    \
             flag BOOLEAN DEFAULT false,\n    \
             PRIMARY KEY (id),\n    \
             CONSTRAINT orders_code_key UNIQUE (code),\n    \
             CONSTRAINT orders_customer_id_fkey FOREIGN KEY (customer_id) REFERENCES customers (id) ON DELETE CASCADE,\n    \
             CONSTRAINT total_positive CHECK (total >= 0),\n    \
             CONSTRAINT orders_code_check CHECK (char_length(code) = 8)\n\
             )",
            "CREATE INDEX orders_by_customer ON orders (customer_id, created_at DESC)",
            "CREATE UNIQUE INDEX orders_lower_note ON orders ((lower(note)))",
        ],
    );
}

#[test]
fn names_are_quoted_with_backticks() {
    let mut t = Table::new("order");
    t.columns = vec![
        not_null("select", ColumnType::Integer),
        col("two words", ColumnType::Json),
    ];
    t.primary_key = Some(PrimaryKey {
        deferral: Default::default(),
        name: Some("order_pk".into()),
        columns: vec!["select".into()],
    });
    check(
        Op::CreateTable(t),
        &["CREATE TABLE `order` (\n    \
           `select` INT NOT NULL,\n    \
           `two words` JSON,\n    \
           CONSTRAINT order_pk PRIMARY KEY (`select`)\n\
           )"],
    );
}

#[test]
fn table_and_column_ops() {
    check(Op::DropTable(orders()), &["DROP TABLE orders"]);
    check(
        Op::RenameTable {
            from: "orders".into(),
            to: "purchases".into(),
        },
        &["ALTER TABLE orders RENAME TO purchases"],
    );
    check(
        Op::AddColumn {
            table: "orders".into(),
            column: with_default(not_null("qty", ColumnType::Integer), "1"),
        },
        &["ALTER TABLE orders ADD COLUMN qty INT NOT NULL DEFAULT 1"],
    );
    check(
        Op::AddColumn {
            table: "orders".into(),
            column: with_default(col("memo", ColumnType::Text), "'none'"),
        },
        &["ALTER TABLE orders ADD COLUMN memo TEXT DEFAULT ('none')"],
    );
    check(
        Op::DropColumn {
            table: "orders".into(),
            column: col("note", ColumnType::Text),
        },
        &["ALTER TABLE orders DROP COLUMN note"],
    );
    check(
        Op::RenameColumn {
            table: "orders".into(),
            from: "note".into(),
            to: "remark".into(),
        },
        &["ALTER TABLE orders RENAME COLUMN note TO remark"],
    );
}

#[test]
fn alter_column_restates_the_column_unless_only_the_default_changes() {
    let from = with_default(col("qty", ColumnType::Integer), "0");
    let alter = |to: Column| Op::AlterColumn {
        table: "orders".into(),
        from: from.clone(),
        to,
    };
    check(
        alter(Column {
            ty: ColumnType::BigInt,
            ..from.clone()
        }),
        &["ALTER TABLE orders MODIFY COLUMN qty BIGINT DEFAULT 0"],
    );
    check(
        alter(Column {
            nullable: false,
            ..from.clone()
        }),
        &["ALTER TABLE orders MODIFY COLUMN qty INT NOT NULL DEFAULT 0"],
    );
    check(
        alter(Column {
            default: Some("1".into()),
            ..from.clone()
        }),
        &["ALTER TABLE orders ALTER COLUMN qty SET DEFAULT 1"],
    );
    check(
        alter(Column {
            default: None,
            ..from.clone()
        }),
        &["ALTER TABLE orders ALTER COLUMN qty DROP DEFAULT"],
    );
    check(
        alter(Column {
            default: Some("now()".into()),
            ..from.clone()
        }),
        &["ALTER TABLE orders ALTER COLUMN qty SET DEFAULT now()"],
    );
    // AUTO_INCREMENT and the collation are part of the definition MySQL replaces.
    let id = orders().columns[0].clone();
    check(
        Op::AlterColumn {
            table: "orders".into(),
            from: Column {
                ty: ColumnType::Integer,
                ..id.clone()
            },
            to: id,
        },
        &["ALTER TABLE orders MODIFY COLUMN id BIGINT NOT NULL AUTO_INCREMENT"],
    );
    check(alter(from.clone()), &[]);
}

#[test]
fn alter_column_refuses_to_drop_what_the_model_does_not_know() {
    let mut t = orders();
    t.unmodeled = vec!["column note: COMMENT 'keep me'".into()];
    let from = t.columns[3].clone();
    let op = Op::AlterColumn {
        table: "orders".into(),
        from: from.clone(),
        to: Column {
            nullable: false,
            ..from
        },
    };
    let err = render_op(&op, &schema_with(vec![t])).unwrap_err();
    assert_eq!(
        err.message,
        "column `orders.note` has attributes the model does not capture (column note: COMMENT \
         'keep me'), which MODIFY COLUMN would drop; write the statement by hand"
    );
}

#[test]
fn constraint_ops() {
    let add = |constraint| Op::AddConstraint {
        table: "orders".into(),
        constraint,
    };
    check(
        add(Constraint::PrimaryKey(PrimaryKey {
            deferral: Default::default(),
            name: None,
            columns: vec!["id".into(), "code".into()],
        })),
        &["ALTER TABLE orders ADD PRIMARY KEY (id, code)"],
    );
    check(
        add(Constraint::Unique(Unique {
            deferral: Default::default(),
            name: Some("one_code".into()),
            columns: vec!["code".into()],
        })),
        &["ALTER TABLE orders ADD CONSTRAINT one_code UNIQUE (code)"],
    );
    check(
        add(Constraint::ForeignKey(ForeignKey {
            on_update: FkAction::Cascade,
            on_delete: FkAction::SetNull,
            ..fk(&["customer_id"], "customers", &["id"])
        })),
        &[
            "ALTER TABLE orders ADD CONSTRAINT orders_customer_id_fkey FOREIGN KEY (customer_id) \
             REFERENCES customers (id) ON DELETE SET NULL ON UPDATE CASCADE",
        ],
    );
    check(
        add(Constraint::Check(Check {
            no_inherit: false,
            written: Default::default(),
            name: None,
            expr: "total < 1000".into(),
        })),
        &["ALTER TABLE orders ADD CONSTRAINT orders_total_check CHECK (total < 1000)"],
    );
    let drop = |constraint| Op::DropConstraint {
        table: "orders".into(),
        constraint,
    };
    let t = orders();
    check(
        drop(Constraint::Unique(t.uniques[0].clone())),
        &["ALTER TABLE orders DROP CONSTRAINT orders_code_key"],
    );
    check(
        drop(Constraint::Check(t.checks[0].clone())),
        &["ALTER TABLE orders DROP CONSTRAINT total_positive"],
    );
    check(
        drop(Constraint::Check(t.checks[1].clone())),
        &["ALTER TABLE orders DROP CONSTRAINT orders_code_check"],
    );
    check(
        drop(Constraint::ForeignKey(t.foreign_keys[0].clone())),
        &["ALTER TABLE orders DROP FOREIGN KEY orders_customer_id_fkey"],
    );
    check(
        drop(Constraint::PrimaryKey(t.primary_key.clone().unwrap())),
        &["ALTER TABLE orders DROP PRIMARY KEY"],
    );
    let err = render_op(
        &drop(Constraint::Check(Check {
            no_inherit: false,
            written: Default::default(),
            name: None,
            expr: "1".into(),
        })),
        &Schema::new(),
    )
    .unwrap_err();
    assert!(
        err.message.contains("table `orders` is not in the schema"),
        "{err}"
    );
}

#[test]
fn key_comments_and_table_options() {
    check(
        Op::CreateIndex(Index {
            comment: Some("by 'note'".into()),
            ..index("orders_note", "orders", &["note"])
        }),
        &["CREATE INDEX orders_note ON orders (note) COMMENT 'by ''note'''"],
    );
    let with = |mysql: &[&str]| TableOptions {
        mysql: mysql.iter().map(|o| o.to_string()).collect(),
        ..TableOptions::default()
    };
    // What goes is taken back to its default: `DEFAULT`, or `0` where MySQL takes
    // no `DEFAULT`.
    check(
        Op::AlterTableOptions {
            table: "orders".into(),
            from: with(&[
                "CHECKSUM=1",
                "KEY_BLOCK_SIZE=4",
                "PACK_KEYS=0",
                "ROW_FORMAT=DYNAMIC",
            ]),
            to: with(&["ROW_FORMAT=DYNAMIC", "STATS_AUTO_RECALC=1"]),
            columns: Vec::new(),
        },
        &["ALTER TABLE orders CHECKSUM=0 KEY_BLOCK_SIZE=0 PACK_KEYS=DEFAULT STATS_AUTO_RECALC=1"],
    );
    let mut t = orders();
    t.indexes.clear();
    t.options = with(&["ROW_FORMAT=COMPRESSED", "STATS_PERSISTENT=1"]);
    let sql = render_op(&Op::CreateTable(t), &Schema::new()).unwrap();
    assert!(
        sql[0].ends_with(") ROW_FORMAT=COMPRESSED STATS_PERSISTENT=1"),
        "{sql:?}"
    );
}

#[test]
fn index_ops() {
    check(
        Op::CreateIndex(Index {
            unique: true,
            ..index(
                "orders_note",
                "orders",
                &["note DESC", "code", "lower(note)"],
            )
        }),
        &["CREATE UNIQUE INDEX orders_note ON orders (note DESC, code, (lower(note)))"],
    );
    check(
        Op::CreateIndex(index("Elsewhere", "other", &["Name ASC", "a + b"])),
        &["CREATE INDEX Elsewhere ON other (Name ASC, (a + b))"],
    );
    check(
        Op::DropIndex(index("orders_note", "orders", &["note"])),
        &["DROP INDEX orders_note ON orders"],
    );
    let err = render_op(
        &Op::CreateIndex(Index {
            predicate: Some("total > 0".into()),
            method: None,
            nulls_not_distinct: false,
            comment: None,
            include: Vec::new(),
            storage: Vec::new(),
            ..index("big", "orders", &["total"])
        }),
        &Schema::new(),
    )
    .unwrap_err();
    assert!(err.message.contains("MySQL does not have"), "{err}");
}

#[test]
fn defaults_need_parentheses_unless_literal() {
    let int = ColumnType::Integer;
    let cases = [
        ("0", &int, "0"),
        ("-1.5", &int, "-1.5"),
        ("'it''s'", &ColumnType::Varchar(Some(9)), "'it''s'"),
        ("'x'", &ColumnType::Text, "('x')"),
        ("'{}'", &ColumnType::Json, "('{}')"),
        ("NULL", &int, "NULL"),
        ("true", &ColumnType::Boolean, "true"),
        (
            "CURRENT_TIMESTAMP",
            &ColumnType::Timestamp,
            "CURRENT_TIMESTAMP",
        ),
        (
            "CURRENT_TIMESTAMP(3)",
            &ColumnType::Timestamp,
            "CURRENT_TIMESTAMP(3)",
        ),
        ("1 + 1", &int, "(1 + 1)"),
        ("uuid()", &ColumnType::Uuid, "(uuid())"),
    ];
    for (expr, ty, want) in cases {
        assert_eq!(default_sql(expr, ty), want, "{expr}");
    }
}

/// The ops `sql` resolves to against `schema`, with consecutive changes of one column
/// merged (`MODIFY COLUMN` resolves to one op per property).
fn parse_back(sql: &[String], schema: &Schema) -> Vec<Op> {
    let text = sql.join(";\n");
    let (statements, warnings) = parse_statements(&text, "m.sql", Dialect::Mysql).unwrap();
    assert_eq!(warnings, vec![], "{text}");
    let mut schema = schema.clone();
    let mut ops: Vec<Op> = Vec::new();
    for s in statements {
        let change = s.change.unwrap();
        for op in change.resolve(&schema).unwrap() {
            op.apply(&mut schema).unwrap();
            if let (Some(Op::AlterColumn { to: last, .. }), Op::AlterColumn { from, to, .. }) =
                (ops.last_mut(), &op)
                && *last == *from
            {
                *last = to.clone();
                continue;
            }
            // A column given its own collation back after a conversion is no change.
            if matches!(&op, Op::AlterColumn { from, to, .. } if from == to) {
                continue;
            }
            if let (
                Some(Op::AlterTableOptions { to: last, .. }),
                Op::AlterTableOptions { from, to, .. },
            ) = (ops.last_mut(), &op)
                && *last == *from
            {
                *last = to.clone();
                continue;
            }
            ops.push(op);
        }
    }
    ops
}

/// `op` with the names the renderer gives unnamed constraints, and a table's indexes
/// as statements of their own: what parsing the rendered SQL gives back.
fn as_rendered(op: &Op, schema: &Schema) -> Vec<Op> {
    let name = |c: &Constraint, t: &Table| Some(c.sql_name(t));
    match op {
        Op::CreateTable(t) => {
            let mut table = t.clone();
            let indexes = std::mem::take(&mut table.indexes);
            let snapshot = table.clone();
            for u in &mut table.uniques {
                u.name = name(&Constraint::Unique(u.clone()), &snapshot);
            }
            for f in &mut table.foreign_keys {
                f.name = name(&Constraint::ForeignKey(f.clone()), &snapshot);
            }
            for c in &mut table.checks {
                c.name = name(&Constraint::Check(c.clone()), &snapshot);
            }
            table.normalize();
            std::iter::once(Op::CreateTable(table))
                .chain(indexes.into_iter().map(Op::CreateIndex))
                .collect()
        }
        Op::AddConstraint { table, constraint } => {
            let t = &schema.tables[table];
            let named = match constraint.clone() {
                Constraint::Unique(u) => Constraint::Unique(Unique {
                    name: name(constraint, t),
                    ..u
                }),
                Constraint::ForeignKey(f) => Constraint::ForeignKey(ForeignKey {
                    name: name(constraint, t),
                    ..f
                }),
                Constraint::Check(c) => Constraint::Check(Check {
                    name: name(constraint, t),
                    ..c
                }),
                pk => pk,
            };
            vec![Op::AddConstraint {
                table: table.clone(),
                constraint: named,
            }]
        }
        other => vec![other.clone()],
    }
}

#[test]
fn every_op_parses_back_into_itself() {
    let mut customers = Table::new("customers");
    customers.columns = vec![not_null("id", ColumnType::Integer)];
    customers.primary_key = Some(PrimaryKey {
        deferral: Default::default(),
        name: None,
        columns: vec!["id".into()],
    });
    let plain = orders();
    let base = schema_with(vec![customers.clone(), plain.clone()]);
    let mut created = plain.clone();
    created.name = "orders2".into();
    for ix in &mut created.indexes {
        ix.name = format!("{}2", ix.name);
        ix.table = "orders2".into();
    }
    let qty = with_default(col("qty", ColumnType::Integer), "0");
    let mut with_qty = base.clone();
    with_qty
        .tables
        .get_mut("orders")
        .unwrap()
        .columns
        .push(qty.clone());
    let alter = |to: Column| Op::AlterColumn {
        table: "orders".into(),
        from: qty.clone(),
        to,
    };
    let mut optioned = base.clone();
    optioned.tables.get_mut("orders").unwrap().options.mysql =
        vec!["CHECKSUM=1".into(), "ROW_FORMAT=DYNAMIC".into()];
    let cases: Vec<(Schema, Op)> = vec![
        (base.clone(), Op::CreateTable(created)),
        (base.clone(), Op::DropTable(plain.clone())),
        (
            base.clone(),
            Op::RenameTable {
                from: "orders".into(),
                to: "purchases".into(),
            },
        ),
        (
            base.clone(),
            Op::AddColumn {
                table: "orders".into(),
                column: qty.clone(),
            },
        ),
        (
            with_qty.clone(),
            Op::DropColumn {
                table: "orders".into(),
                column: qty.clone(),
            },
        ),
        (
            base.clone(),
            Op::RenameColumn {
                table: "orders".into(),
                from: "note".into(),
                to: "remark".into(),
            },
        ),
        (
            with_qty.clone(),
            alter(Column {
                ty: ColumnType::BigInt,
                nullable: false,
                default: Some("7".into()),
                ..qty.clone()
            }),
        ),
        (
            with_qty.clone(),
            alter(Column {
                default: None,
                ..qty.clone()
            }),
        ),
        (
            base.clone(),
            Op::AddConstraint {
                table: "orders".into(),
                constraint: Constraint::Check(Check {
                    no_inherit: false,
                    written: Default::default(),
                    name: None,
                    expr: "total < 1000".into(),
                }),
            },
        ),
        (
            base.clone(),
            Op::AddConstraint {
                table: "orders".into(),
                constraint: Constraint::Unique(Unique {
                    deferral: Default::default(),
                    name: None,
                    columns: vec!["note".into(), "code".into()],
                }),
            },
        ),
        (
            base.clone(),
            Op::DropConstraint {
                table: "orders".into(),
                constraint: Constraint::ForeignKey(plain.foreign_keys[0].clone()),
            },
        ),
        (
            base.clone(),
            Op::DropConstraint {
                table: "orders".into(),
                constraint: Constraint::Unique(plain.uniques[0].clone()),
            },
        ),
        (
            base.clone(),
            Op::DropConstraint {
                table: "orders".into(),
                constraint: Constraint::Check(plain.checks[1].clone()),
            },
        ),
        (
            with_qty.clone(),
            alter(Column {
                charset: Some("latin1".into()),
                collation: Some("latin1_bin".into()),
                comment: Some("how many, 'roughly'".into()),
                ..qty.clone()
            }),
        ),
        (
            base.clone(),
            Op::AlterTableOptions {
                table: "orders".into(),
                from: TableOptions::default(),
                to: TableOptions {
                    charset: Some("utf8mb4".into()),
                    collation: Some("utf8mb4_bin".into()),
                    comment: Some("all of them".into()),
                    engine: Some("myisam".into()),
                    ..TableOptions::default()
                },
                columns: wildebeest_schema::own_charset_columns(&plain),
            },
        ),
        (base.clone(), Op::DropIndex(plain.indexes[1].clone())),
        (
            base.clone(),
            Op::CreateIndex(Index {
                unique: true,
                ..index("by_code", "orders", &["code DESC", "lower(note)"])
            }),
        ),
        (
            base.clone(),
            Op::CreateIndex(Index {
                comment: Some("it's by code".into()),
                ..index("by_code", "orders", &["code"])
            }),
        ),
        (
            optioned.clone(),
            Op::AlterTableOptions {
                table: "orders".into(),
                from: optioned.tables["orders"].options.clone(),
                to: TableOptions {
                    mysql: vec![
                        "KEY_BLOCK_SIZE=8".into(),
                        "ROW_FORMAT=COMPRESSED".into(),
                        "STATS_PERSISTENT=0".into(),
                    ],
                    ..TableOptions::default()
                },
                columns: wildebeest_schema::own_charset_columns(&plain),
            },
        ),
    ];
    for (schema, op) in cases {
        let sql = render_op(&op, &schema).unwrap();
        assert_eq!(
            parse_back(&sql, &schema),
            as_rendered(&op, &schema),
            "{sql:?}"
        );
    }
}

#[test]
fn drop_primary_key_reads_back_as_the_dropped_key() {
    let t = orders();
    let pk = Op::DropConstraint {
        table: "orders".into(),
        constraint: Constraint::PrimaryKey(t.primary_key.clone().unwrap()),
    };
    let schema = schema_with(vec![t]);
    let sql = render_op(&pk, &schema).unwrap();
    let (statements, warnings) =
        parse_statements(&sql.join(";\n"), "m.sql", Dialect::Mysql).unwrap();
    assert!(warnings.is_empty(), "{warnings:?}");
    let ops = statements[0]
        .change
        .as_ref()
        .unwrap()
        .resolve(&schema)
        .unwrap();
    assert_eq!(ops, vec![pk]);
}

#[test]
fn loss_queries_count_what_would_not_fit() {
    let custom = |t: &str| ColumnType::Custom(t.into());
    let alter = |from: ColumnType, to: ColumnType| Op::AlterColumn {
        table: "t".into(),
        from: col("c", from),
        to: col("c", to),
    };
    let dec = |p, s| ColumnType::Decimal {
        precision: Some(p),
        scale: Some(s),
    };
    let cases = [
        (
            Op::DropTable(Table::new("order")),
            Some("SELECT COUNT(*) FROM `order`"),
        ),
        (
            Op::DropColumn {
                table: "t".into(),
                column: col("c", ColumnType::Text),
            },
            Some("SELECT COUNT(*) FROM t WHERE c IS NOT NULL"),
        ),
        (
            alter(ColumnType::Varchar(Some(20)), ColumnType::Varchar(Some(5))),
            Some("SELECT COUNT(*) FROM t WHERE CHAR_LENGTH(c) > 5"),
        ),
        (
            alter(ColumnType::Text, ColumnType::Varchar(None)),
            Some("SELECT COUNT(*) FROM t WHERE CHAR_LENGTH(c) > 255"),
        ),
        (
            alter(ColumnType::BigInt, ColumnType::Integer),
            Some("SELECT COUNT(*) FROM t WHERE c NOT BETWEEN -2147483648 AND 2147483647"),
        ),
        // Regression (issue 17): a value that fits but reads differently (`5.00`
        // becomes `5`, a float's six digits become all of them) was not counted.
        (
            alter(ColumnType::Double, ColumnType::SmallInt),
            Some("SELECT COUNT(*) FROM t WHERE c IS NOT NULL"),
        ),
        (
            alter(dec(10, 2), dec(6, 1)),
            Some("SELECT COUNT(*) FROM t WHERE c IS NOT NULL"),
        ),
        (
            alter(dec(10, 2), ColumnType::Integer),
            Some("SELECT COUNT(*) FROM t WHERE c IS NOT NULL"),
        ),
        (
            alter(ColumnType::Integer, dec(12, 2)),
            Some("SELECT COUNT(*) FROM t WHERE c IS NOT NULL"),
        ),
        (
            alter(dec(12, 2), dec(8, 2)),
            Some("SELECT COUNT(*) FROM t WHERE c >= 1000000 OR c <= -1000000"),
        ),
        (
            alter(dec(12, 0), ColumnType::SmallInt),
            Some("SELECT COUNT(*) FROM t WHERE c NOT BETWEEN -32768 AND 32767"),
        ),
        // A `CHAR` is read without its trailing spaces (issue 17, item 5).
        (
            alter(ColumnType::Varchar(Some(3)), ColumnType::Char(Some(3))),
            Some("SELECT COUNT(*) FROM t WHERE CHAR_LENGTH(c) > 3 OR c LIKE '% '"),
        ),
        // Numbers and dates to a string count only what is too long for it: the
        // guard used to count every value, refusing a downgrade that lost nothing.
        (
            alter(ColumnType::Integer, ColumnType::Varchar(Some(10))),
            Some("SELECT COUNT(*) FROM t WHERE CHAR_LENGTH(c) > 10"),
        ),
        (
            alter(ColumnType::Date, ColumnType::Char(Some(8))),
            Some("SELECT COUNT(*) FROM t WHERE CHAR_LENGTH(c) > 8"),
        ),
        (
            alter(ColumnType::Double, ColumnType::Varchar(Some(10))),
            Some("SELECT COUNT(*) FROM t WHERE c IS NOT NULL"),
        ),
        (
            alter(ColumnType::Text, ColumnType::Integer),
            Some("SELECT COUNT(*) FROM t WHERE c IS NOT NULL"),
        ),
        // Both are TIMESTAMP in MySQL: nothing changes.
        (alter(ColumnType::TimestampTz, ColumnType::Timestamp), None),
        // Widening loses nothing.
        (alter(ColumnType::Integer, ColumnType::BigInt), None),
        // Regression: MySQL's own types widened were counted as narrowed, and an
        // ENUM losing labels counted every value.
        (
            alter(custom("ENUM('a', 'b')"), custom("ENUM('a', 'b', 'c')")),
            None,
        ),
        (alter(custom("MEDIUMTEXT"), custom("LONGTEXT")), None),
        (
            alter(custom("INT UNSIGNED"), custom("BIGINT UNSIGNED")),
            None,
        ),
        (
            alter(
                custom("ENUM('a', 'it''s', 'c')"),
                custom("ENUM('a', 'it''s')"),
            ),
            Some("SELECT COUNT(*) FROM t WHERE c NOT IN ('a', 'it''s')"),
        ),
        (
            alter(custom("INT UNSIGNED"), custom("SMALLINT UNSIGNED")),
            Some("SELECT COUNT(*) FROM t WHERE c NOT BETWEEN 0 AND 65535"),
        ),
        (
            alter(ColumnType::Integer, custom("TINYINT")),
            Some("SELECT COUNT(*) FROM t WHERE c NOT BETWEEN -128 AND 127"),
        ),
    ];
    for (op, want) in cases {
        assert_eq!(loss_query(&op).as_deref(), want, "{op:?}");
    }
}

#[test]
fn foreign_statements_are_rendered_and_mysql_ones_run_as_written() {
    let schema = schema_with(vec![orders()]);
    let statement = |text: &str| Statement {
        text: text.into(),
        line: 1,
        change: None,
    };
    let none = |_: &Schema, _: &Op| Around::default();
    let op = Op::RenameColumn {
        table: "orders".into(),
        from: "note".into(),
        to: "remark".into(),
    };
    let text = "ALTER TABLE orders RENAME COLUMN note TO remark";
    let got = plan(
        &schema,
        &statement(text),
        std::slice::from_ref(&op),
        Dialect::Mysql,
        &none,
    )
    .unwrap();
    assert_eq!(got, [text]);
    let sqlite_text = "ALTER TABLE \"orders\" RENAME COLUMN \"note\" TO \"remark\"";
    let got = plan(
        &schema,
        &statement(sqlite_text),
        &[op],
        Dialect::Sqlite,
        &none,
    )
    .unwrap();
    assert_eq!(got, [text]);
    // Not understood: as written.
    let got = plan(
        &schema,
        &statement("UPDATE orders SET total = 0"),
        &[],
        Dialect::Sqlite,
        &none,
    )
    .unwrap();
    assert_eq!(got, ["UPDATE orders SET total = 0"]);
    // Understood but not expressible: an error that says why.
    let partial = Op::CreateIndex(Index {
        predicate: Some("total > 0".into()),
        method: None,
        nulls_not_distinct: false,
        comment: None,
        include: Vec::new(),
        storage: Vec::new(),
        ..index("big", "orders", &["total"])
    });
    let err = plan(
        &schema,
        &statement("CREATE INDEX big ON orders (total) WHERE total > 0"),
        &[partial],
        Dialect::Postgres,
        &none,
    )
    .unwrap_err();
    assert!(
        err.starts_with(
            "this statement, written for postgresql, cannot run on MySQL: index `big` is partial"
        ),
        "{err}"
    );
}

#[test]
fn dropping_a_foreign_key_drops_the_index_mysql_made_for_it() {
    let schema = schema_with(vec![orders()]);
    let op = Op::DropConstraint {
        table: "orders".into(),
        constraint: Constraint::ForeignKey(orders().foreign_keys[0].clone()),
    };
    let exists = |t: &str, n: &str| t == "orders" && n == "orders_customer_id_fkey";
    assert_eq!(
        around(&schema, &op, &exists).after,
        ["DROP INDEX orders_customer_id_fkey ON orders"]
    );
    assert_eq!(
        around(&schema, &op, &|_: &str, _: &str| false),
        Around::default()
    );
}

#[test]
fn a_foreign_key_has_an_index_of_mysqls_making_only_when_none_serves_it() {
    let schema = schema_with(vec![orders()]);
    // `orders_by_customer` starts with the key's column.
    assert!(!implicit_fk_index(
        &schema,
        "orders",
        "orders_customer_id_fkey"
    ));
    let mut bare = orders();
    bare.indexes.clear();
    let bare = schema_with(vec![bare]);
    assert!(implicit_fk_index(
        &bare,
        "orders",
        "orders_customer_id_fkey"
    ));
    assert!(!implicit_fk_index(&bare, "orders", "orders_code_key"));
    assert!(!implicit_fk_index(&bare, "nope", "orders_customer_id_fkey"));
}

#[test]
fn dropping_the_last_index_a_foreign_key_uses_takes_the_key_around_it() {
    let schema = schema_with(vec![orders()]);
    let t = orders();
    assert_eq!(
        around(
            &schema,
            &Op::DropIndex(t.indexes[0].clone()),
            &|_: &str, _: &str| false
        ),
        Around {
            before: vec!["ALTER TABLE orders DROP FOREIGN KEY orders_customer_id_fkey".into()],
            after: vec![
                "ALTER TABLE orders ADD CONSTRAINT orders_customer_id_fkey FOREIGN KEY \
                 (customer_id) REFERENCES customers (id) ON DELETE CASCADE"
                    .into()
            ],
        }
    );
    // An index no key needs, or one with another to serve the key, drops alone.
    assert_eq!(
        around(
            &schema,
            &Op::DropIndex(t.indexes[1].clone()),
            &|_: &str, _: &str| false
        ),
        Around::default()
    );
    let mut two = orders();
    two.indexes
        .push(index("by_customer_2", "orders", &["customer_id"]));
    assert_eq!(
        around(
            &schema_with(vec![two]),
            &Op::DropIndex(t.indexes[0].clone()),
            &|_: &str, _: &str| false
        ),
        Around::default()
    );
}

#[test]
fn renames_carry_the_names_of_unnamed_constraints_along() {
    let schema = schema_with(vec![orders()]);
    let exists = |_: &str, n: &str| n == "orders_customer_id_fkey";
    let op = Op::RenameTable {
        from: "orders".into(),
        to: "sales".into(),
    };
    assert_eq!(
        around(&schema, &op, &exists),
        Around {
            before: vec!["ALTER TABLE orders DROP CONSTRAINT orders_code_check".into()],
            after: vec![
                "ALTER TABLE sales RENAME INDEX orders_code_key TO sales_code_key".into(),
                "ALTER TABLE sales DROP FOREIGN KEY orders_customer_id_fkey".into(),
                "DROP INDEX orders_customer_id_fkey ON sales".into(),
                "ALTER TABLE sales ADD CONSTRAINT sales_customer_id_fkey FOREIGN KEY (customer_id) \
                 REFERENCES customers (id) ON DELETE CASCADE"
                    .into(),
                "ALTER TABLE sales ADD CONSTRAINT sales_code_check CHECK (char_length(code) = 8)"
                    .into(),
            ],
        }
    );
    // A named check that uses the column goes and comes back under its name.
    let mut t = orders();
    t.checks[0].expr = "total >= 0 AND code <> ''".into();
    let op = Op::RenameColumn {
        table: "orders".into(),
        from: "code".into(),
        to: "sku".into(),
    };
    assert_eq!(
        around(&schema_with(vec![t]), &op, &|_: &str, _: &str| false),
        Around {
            before: vec![
                "ALTER TABLE orders DROP CONSTRAINT total_positive".into(),
                "ALTER TABLE orders DROP CONSTRAINT orders_code_check".into(),
            ],
            after: vec![
                "ALTER TABLE orders RENAME INDEX orders_code_key TO orders_sku_key".into(),
                "ALTER TABLE orders ADD CONSTRAINT total_positive CHECK (total >= 0 AND sku <> '')"
                    .into(),
                "ALTER TABLE orders ADD CONSTRAINT orders_sku_check CHECK (char_length(sku) = 8)"
                    .into(),
            ],
        }
    );
}

/// A schema with the enum type `mood` ('sad', 'ok') and a table `person` whose `mood`
/// column uses it.
fn with_mood() -> Schema {
    let mut s = schema_with(vec![]);
    s.enums
        .insert("mood".into(), vec!["sad".into(), "ok".into()]);
    let mut t = Table::new("person");
    t.columns = vec![
        not_null("id", ColumnType::Integer),
        with_default(not_null("mood", ColumnType::Enum("mood".into())), "'ok'"),
    ];
    s.tables.insert("person".into(), t);
    s
}

#[test]
fn enum_columns_are_mysql_enums_and_value_changes_modify_them() {
    let s = with_mood();
    let render = |op: Op| render_op(&op, &s).unwrap();
    let mut visit = Table::new("visit");
    visit.columns = vec![col("mood", ColumnType::Enum("mood".into()))];
    assert_eq!(
        render(Op::CreateTable(visit)),
        ["CREATE TABLE visit (\n    mood ENUM('sad', 'ok')\n)"]
    );
    // MySQL has no types: nothing for the type itself.
    for op in [
        Op::CreateEnum {
            name: "size".into(),
            labels: vec!["s".into()],
        },
        Op::RenameEnum {
            from: "mood".into(),
            to: "feeling".into(),
        },
    ] {
        assert_eq!(render(op), Vec::<String>::new());
    }
    assert_eq!(
        render(Op::AddEnumValue {
            name: "mood".into(),
            value: "meh".into(),
            position: LabelPosition::Before("ok".into()),
        }),
        ["ALTER TABLE person MODIFY COLUMN mood ENUM('sad', 'meh', 'ok') NOT NULL DEFAULT 'ok'"]
    );
    assert_eq!(
        render(Op::DropEnumValue {
            name: "mood".into(),
            value: "sad".into(),
            position: LabelPosition::Before("ok".into()),
        }),
        ["ALTER TABLE person MODIFY COLUMN mood ENUM('ok') NOT NULL DEFAULT 'ok'"]
    );
    assert_eq!(
        render(Op::RenameEnumValue {
            name: "mood".into(),
            from: "sad".into(),
            to: "blue".into(),
        }),
        [
            "ALTER TABLE person MODIFY COLUMN mood ENUM('sad', 'blue', 'ok') NOT NULL DEFAULT 'ok'",
            "UPDATE person SET mood = 'blue' WHERE mood = 'sad'",
            "ALTER TABLE person MODIFY COLUMN mood ENUM('blue', 'ok') NOT NULL DEFAULT 'ok'",
        ]
    );
    // A column of a type the schema lacks cannot be written.
    let err = render_op(
        &Op::AddColumn {
            table: "person".into(),
            column: col("x", ColumnType::Enum("nope".into())),
        },
        &s,
    )
    .unwrap_err();
    assert_eq!(
        err.message,
        "column `x` has the enum type `nope`, which the schema does not have"
    );
}

#[test]
fn enum_type_statements_never_run_as_written() {
    let s = with_mood();
    let none = |_: &Schema, _: &Op| Around::default();
    let (statements, _) = parse_statements(
        "ALTER TYPE mood ADD VALUE 'happy'",
        "m.sql",
        Dialect::Postgres,
    )
    .unwrap();
    // The model could not follow it (the database has no enum types to read back):
    // nothing runs.
    let got = plan(&s, &statements[0], &[], Dialect::Postgres, &none).unwrap();
    assert_eq!(got, Vec::<String>::new());
    // It could: the columns are modified.
    let ops = statements[0].change.as_ref().unwrap().resolve(&s).unwrap();
    let got = plan(&s, &statements[0], &ops, Dialect::Postgres, &none).unwrap();
    assert_eq!(
        got,
        ["ALTER TABLE person MODIFY COLUMN mood ENUM('sad', 'ok', 'happy') NOT NULL DEFAULT 'ok'"]
    );
}

#[test]
fn text_moved_to_another_character_set_is_marked() {
    let column = |charset: Option<&str>, collation: Option<&str>| Column {
        charset: charset.map(str::to_string),
        collation: collation.map(str::to_string),
        ..col("s", ColumnType::Varchar(Some(20)))
    };
    let alter = |from: Column, to: Column| Op::AlterColumn {
        table: "t".into(),
        from,
        to,
    };
    let cases = [
        (column(None, None), column(None, Some("latin1_bin")), true),
        (
            column(Some("utf8mb4"), None),
            column(Some("latin1"), None),
            true,
        ),
        // `utf8mb4` has every character; a collation of the same set moves nothing.
        (
            column(Some("latin1"), None),
            column(None, Some("utf8mb4_bin")),
            false,
        ),
        (
            column(None, Some("latin1_swedish_ci")),
            column(None, Some("latin1_bin")),
            false,
        ),
    ];
    for (from, to, marked) in cases {
        let op = alter(from, to);
        assert_eq!(data_loss(&op).is_some(), marked, "{op:?}");
    }
}
