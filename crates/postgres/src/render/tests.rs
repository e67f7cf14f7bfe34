//! Exact SQL for every op, and that it parses back into the same op.

use wildebeest_schema::{Check, ColumnAlter, Deferral, FkAction, ForeignKey, PrimaryKey, Unique};
use wildebeest_sql::parse_statements;

use super::*;

use wildebeest_schema::build_test::{col, fk, index, not_null, with_default};

fn customers() -> Table {
    let mut t = Table::new("customers");
    t.columns = vec![not_null("id", ColumnType::Integer)];
    t.primary_key = Some(PrimaryKey {
        deferral: Default::default(),
        name: None,
        columns: vec!["id".into()],
    });
    t
}

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
            collation: Some("C".into()),
            ..col("note", ColumnType::Text)
        },
        with_default(col("created_at", ColumnType::TimestampTz), "now()"),
        with_default(col("code", ColumnType::Varchar(Some(8))), "'new'"),
        with_default(col("tags", ColumnType::Custom("JSONB".into())), "'{}'"),
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
    t.foreign_keys = vec![ForeignKey {
        on_delete: FkAction::Cascade,
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
            expr: "code IN ('new', 'paid')".into(),
        },
    ];
    t.indexes = vec![
        Index {
            predicate: Some("total > 0".into()),
            method: None,
            nulls_not_distinct: false,
            comment: None,
            include: Vec::new(),
            storage: Vec::new(),
            ..index(
                "orders_by_customer",
                "orders",
                &["customer_id", "created_at DESC"],
            )
        },
        Index {
            unique: true,
            ..index("orders_lower_note", "orders", &["lower(note)"])
        },
    ];
    t.normalize();
    t
}

fn schema_with(tables: Vec<Table>) -> Schema {
    let mut s = Schema {
        tables: tables.into_iter().map(|t| (t.name.clone(), t)).collect(),
        ..Schema::default()
    };
    s.normalize();
    s
}

fn start() -> Schema {
    schema_with(vec![customers(), orders()])
}

/// Renders `op` against [`start`], checks the SQL, and checks that parsing the SQL
/// back and resolving it against the same schema gives `op` again.
fn check(op: Op, want: &[&str]) {
    check_on(&start(), op, want);
}

/// [`check`] against `schema`.
fn check_on(schema: &Schema, op: Op, want: &[&str]) {
    let schema = schema.clone();
    let got = render_op(&op, &schema).unwrap();
    assert_eq!(got, want, "{op:?}");
    if !got.is_empty() {
        assert_parses_back(&op, &schema, &got);
    }
}

/// `sql` parsed with the PostgreSQL dialect and resolved against `schema` is `op` (a
/// table's indexes come as statements of their own, the actions of one `ALTER COLUMN`
/// as one op each).
fn assert_parses_back(op: &Op, schema: &Schema, sql: &[String]) {
    let text = sql.join(";\n");
    let (statements, warnings) = parse_statements(&text, "m.sql", Dialect::Postgres).unwrap();
    assert_eq!(warnings, vec![], "{text}");
    let mut scratch = schema.clone();
    let mut ops = Vec::new();
    for s in statements {
        // A sequence is no part of the model: its statement changes nothing there.
        if s.change.is_none() && s.text.starts_with("ALTER SEQUENCE ") {
            continue;
        }
        let change = s
            .change
            .unwrap_or_else(|| panic!("not understood: {}", s.text));
        for op in change.resolve(&scratch).unwrap() {
            op.apply(&mut scratch).unwrap();
            ops.push(op);
        }
    }
    let want: Vec<Op> = match op {
        Op::CreateTable(t) => {
            let mut table = t.clone();
            let indexes = std::mem::take(&mut table.indexes);
            std::iter::once(Op::CreateTable(table))
                .chain(indexes.into_iter().map(Op::CreateIndex))
                .collect()
        }
        other => vec![other.clone()],
    };
    assert_eq!(merge_alters(&ops), want, "{text}");
}

#[test]
fn create_table_writes_columns_then_constraints_then_indexes() {
    let mut t = orders();
    // The parser does not read identity columns yet (see `identity_columns`).
    t.columns[0].auto_increment = false;
    check_on(
        &schema_with(vec![customers()]),
        Op::CreateTable(t),
        &[
            "CREATE TABLE orders (\n    \
             id BIGINT NOT NULL,\n    \
             customer_id INTEGER NOT NULL,\n    \
             total NUMERIC(10, 2) DEFAULT 0,\n    \
             note TEXT COLLATE \"C\",\n    \
             created_at TIMESTAMP WITH TIME ZONE DEFAULT now(),\n    \
             code VARCHAR(8) DEFAULT 'new',\n    \
             tags JSONB DEFAULT '{}',\n    \
             PRIMARY KEY (id),\n    \
             UNIQUE (code),\n    \
             FOREIGN KEY (customer_id) REFERENCES customers (id) ON DELETE CASCADE,\n    \
             CHECK (code IN ('new', 'paid')),\n    \
             CONSTRAINT total_positive CHECK (total >= 0)\n\
             )",
            "CREATE INDEX orders_by_customer ON orders (customer_id, created_at DESC) WHERE total > 0",
            "CREATE UNIQUE INDEX orders_lower_note ON orders (lower(note))",
        ],
    );
}

/// Identity columns render as `GENERATED BY DEFAULT AS IDENTITY` or, with
/// `generated_always`, `GENERATED ALWAYS AS IDENTITY`; the parse gives the op back.
#[test]
fn identity_columns() {
    for (always, clause) in [(false, "BY DEFAULT"), (true, "ALWAYS")] {
        let mut t = Table::new("events");
        t.columns = vec![
            Column {
                auto_increment: true,
                generated_always: always,
                on_update: None,
                ..not_null("id", ColumnType::BigInt)
            },
            col("what", ColumnType::Text),
        ];
        t.primary_key = Some(PrimaryKey {
            deferral: Default::default(),
            name: None,
            columns: vec!["id".into()],
        });
        let op = Op::CreateTable(t.clone());
        let sql = render_op(&op, &Schema::new()).unwrap();
        assert_eq!(
            sql,
            [format!(
                "CREATE TABLE events (\n    \
                 id BIGINT GENERATED {clause} AS IDENTITY NOT NULL,\n    \
                 what TEXT,\n    \
                 PRIMARY KEY (id)\n)"
            )]
        );
        let (statements, _) = parse_statements(&sql[0], "m.sql", Dialect::Postgres).unwrap();
        let Some(wildebeest_schema::Change::CreateTable { table: parsed, .. }) =
            &statements[0].change
        else {
            panic!("not understood: {sql:?}");
        };
        assert_eq!(*parsed, t);
    }

    let add = Op::AddColumn {
        table: "customers".into(),
        column: Column {
            auto_increment: true,
            generated_always: false,
            on_update: None,
            ..not_null("seq", ColumnType::Integer)
        },
    };
    assert_eq!(
        render_op(&add, &start()).unwrap(),
        ["ALTER TABLE customers ADD COLUMN seq INTEGER GENERATED BY DEFAULT AS IDENTITY NOT NULL"]
    );
}

#[test]
fn identity_needs_an_integer_and_no_default() {
    let table = |column: Column| {
        let mut t = Table::new("t");
        t.columns = vec![column];
        Op::CreateTable(t)
    };
    let err = render_op(
        &table(Column {
            auto_increment: true,
            generated_always: false,
            on_update: None,
            ..col("id", ColumnType::Text)
        }),
        &Schema::new(),
    )
    .unwrap_err();
    assert_eq!(
        err.message,
        "column `t.id` is auto-incrementing, which PostgreSQL allows only for SMALLINT, INTEGER \
         and BIGINT columns (it is TEXT)"
    );
    let err = render_op(
        &table(Column {
            auto_increment: true,
            generated_always: false,
            on_update: None,
            ..with_default(col("id", ColumnType::Integer), "0")
        }),
        &Schema::new(),
    )
    .unwrap_err();
    assert_eq!(
        err.message,
        "column `t.id` is auto-incrementing and has the default 0; PostgreSQL allows one or the other"
    );
}

#[test]
fn every_type_round_trips() {
    for (ty, sql, _) in crate::types::tests::every_type() {
        let op = Op::AddColumn {
            table: "customers".into(),
            column: col("c", ty),
        };
        check(op, &[&format!("ALTER TABLE customers ADD COLUMN c {sql}")]);
    }
    let err = render_op(
        &Op::AddColumn {
            table: "customers".into(),
            column: col("c", ColumnType::Custom(String::new())),
        },
        &start(),
    )
    .unwrap_err();
    assert_eq!(
        err.message,
        "column `customers.c` has no type, which PostgreSQL requires"
    );
}

#[test]
fn table_and_column_ops() {
    check(
        Op::DropTable(start().tables["orders"].clone()),
        &["DROP TABLE orders"],
    );
    check(
        Op::RenameTable {
            from: "orders".into(),
            to: "purchases".into(),
        },
        // The identity's sequence follows, named as a table made under the new name
        // would have it.
        &[
            "ALTER TABLE orders RENAME TO purchases",
            "ALTER SEQUENCE IF EXISTS orders_id_seq RENAME TO purchases_id_seq",
        ],
    );
    check(
        Op::RenameColumn {
            table: "orders".into(),
            from: "id".into(),
            to: "order_id".into(),
        },
        &[
            "ALTER TABLE orders RENAME COLUMN id TO order_id",
            "ALTER SEQUENCE IF EXISTS orders_id_seq RENAME TO orders_order_id_seq",
        ],
    );
    check(
        Op::AddColumn {
            table: "orders".into(),
            column: with_default(not_null("qty", ColumnType::Integer), "1"),
        },
        &["ALTER TABLE orders ADD COLUMN qty INTEGER NOT NULL DEFAULT 1"],
    );
    check(
        Op::AddColumn {
            table: "orders".into(),
            column: with_default(col("at", ColumnType::Timestamp), "CURRENT_TIMESTAMP"),
        },
        &["ALTER TABLE orders ADD COLUMN at TIMESTAMP DEFAULT CURRENT_TIMESTAMP"],
    );
    check(
        Op::AddColumn {
            table: "orders".into(),
            column: with_default(col("flag", ColumnType::Boolean), "1 > 0 AND 2 > 1"),
        },
        &["ALTER TABLE orders ADD COLUMN flag BOOLEAN DEFAULT (1 > 0 AND 2 > 1)"],
    );
    check(
        Op::AddColumn {
            table: "orders".into(),
            column: Column {
                collation: Some("en_US".into()),
                ..col("Label", ColumnType::Varchar(None))
            },
        },
        &["ALTER TABLE orders ADD COLUMN \"Label\" VARCHAR COLLATE \"en_US\""],
    );
    check(
        Op::DropColumn {
            table: "orders".into(),
            column: start().tables["orders"].columns[6].clone(),
        },
        &["ALTER TABLE orders DROP COLUMN tags"],
    );
    check(
        Op::RenameColumn {
            table: "orders".into(),
            from: "note".into(),
            to: "select".into(),
        },
        &["ALTER TABLE orders RENAME COLUMN note TO \"select\""],
    );
}

#[test]
fn alter_column_writes_one_statement_with_what_changed() {
    let from = with_default(col("code", ColumnType::Varchar(Some(8))), "'new'");
    let alter = |to: Column| Op::AlterColumn {
        table: "orders".into(),
        from: from.clone(),
        to,
    };
    check(
        alter(Column {
            ty: ColumnType::Varchar(Some(4)),
            ..from.clone()
        }),
        &["ALTER TABLE orders ALTER COLUMN code TYPE VARCHAR(4)"],
    );
    check(
        alter(Column {
            nullable: false,
            ..from.clone()
        }),
        &["ALTER TABLE orders ALTER COLUMN code SET NOT NULL"],
    );
    check(
        alter(Column {
            default: Some("upper('x')".into()),
            ..from.clone()
        }),
        &["ALTER TABLE orders ALTER COLUMN code SET DEFAULT upper('x')"],
    );
    check(
        alter(Column {
            default: None,
            ..from.clone()
        }),
        &["ALTER TABLE orders ALTER COLUMN code DROP DEFAULT"],
    );
    // A type PostgreSQL does not convert to by itself gets `USING`; a default that
    // changes with the type is dropped first.
    check(
        alter(Column {
            ty: ColumnType::Integer,
            nullable: false,
            default: Some("0".into()),
            ..from.clone()
        }),
        &[
            "ALTER TABLE orders ALTER COLUMN code DROP DEFAULT, ALTER COLUMN code TYPE INTEGER USING code::INTEGER, \
             ALTER COLUMN code SET NOT NULL, ALTER COLUMN code SET DEFAULT 0",
        ],
    );
    check(
        alter(Column {
            ty: ColumnType::TimestampTz,
            default: None,
            ..from.clone()
        }),
        &[
            "ALTER TABLE orders ALTER COLUMN code DROP DEFAULT, ALTER COLUMN code TYPE TIMESTAMP WITH TIME ZONE \
             USING code::TIMESTAMP WITH TIME ZONE",
        ],
    );
    let back = Op::AlterColumn {
        table: "orders".into(),
        from: Column {
            nullable: false,
            ..from.clone()
        },
        to: from.clone(),
    };
    let mut required = start();
    if let Some(mut t) = required.tables.get_mut("orders") {
        t.columns[5].nullable = false;
    }
    check_on(
        &required,
        back,
        &["ALTER TABLE orders ALTER COLUMN code DROP NOT NULL"],
    );
    check(alter(from.clone()), &[]);
}

#[test]
fn types_postgres_converts_itself_need_no_using() {
    use ColumnType::*;
    let cases = [
        (Integer, BigInt, true),
        (
            BigInt,
            Decimal {
                precision: Some(30),
                scale: None,
            },
            true,
        ),
        (Text, Varchar(Some(3)), true),
        (Integer, Text, true),
        (Date, Timestamp, true),
        (Timestamp, TimestampTz, true),
        // `pg_cast` has `timestamp` to `date` as an assignment cast.
        (Timestamp, Date, true),
        (Custom("JSONB".into()), Json, true),
        (Text, Integer, false),
        (Text, Json, false),
        (Integer, Boolean, false),
        (Time, Timestamp, false),
    ];
    for (from, to, itself) in cases {
        let assignment = types::conversion(&from, &to) == Conversion::Assignment;
        assert_eq!(assignment, itself, "{from} -> {to}");
    }
    // No cast at all: through the text; an explicit one: the cast; a type the
    // catalog does not know: the cast, which the server judges.
    for (from, to, want) in [
        (Time, Timestamp, Conversion::ThroughText),
        (Integer, Date, Conversion::ThroughText),
        (Text, Uuid, Conversion::Explicit),
        (Custom("JSONB".into()), Integer, Conversion::Explicit),
        (Custom("CITEXT".into()), Integer, Conversion::Unknown),
        (Custom("CITEXT".into()), Text, Conversion::Assignment),
    ] {
        assert_eq!(types::conversion(&from, &to), want, "{from} -> {to}");
    }
}

#[test]
fn alter_column_refuses_what_the_model_does_not_follow() {
    let from = col("note", ColumnType::Text);
    let op = |to: Column| Op::AlterColumn {
        table: "orders".into(),
        from: from.clone(),
        to,
    };
    let err = render_op(
        &op(Column {
            collation: Some("C".into()),
            ..from.clone()
        }),
        &Schema::new(),
    )
    .unwrap_err();
    assert_eq!(
        err.message,
        "the model does not follow a change of the collation (none to C) of `orders.note`; write it by \
         hand, e.g. `ALTER TABLE orders ALTER COLUMN note TYPE TEXT COLLATE \"C\"`"
    );
    // An identity needs what PostgreSQL needs to add one.
    for from in [
        col("id", ColumnType::Integer),
        with_default(not_null("id", ColumnType::Integer), "0"),
        not_null("id", ColumnType::Text),
    ] {
        let err = render_op(
            &Op::AlterColumn {
                table: "orders".into(),
                from: from.clone(),
                to: Column {
                    auto_increment: true,
                    ..from
                },
            },
            &Schema::new(),
        )
        .unwrap_err();
        assert_eq!(
            err.message,
            "column `orders.id` cannot become an identity column: PostgreSQL needs a SMALLINT, \
             INTEGER or BIGINT column, NOT NULL, without a default"
        );
    }
}

/// Identity changes are statements of their own: dropped first, added (with the
/// sequence moved past the rows' values) or switched last.
#[test]
fn identity_changes() {
    let plain = not_null("id", ColumnType::Integer);
    let identity = |always| Column {
        auto_increment: true,
        generated_always: always,
        on_update: None,
        ..plain.clone()
    };
    let alter = |from: &Column, to: Column| {
        render_op(
            &Op::AlterColumn {
                table: "Order".into(),
                from: from.clone(),
                to,
            },
            &Schema::new(),
        )
        .unwrap()
    };
    assert_eq!(
        alter(&plain, identity(true)),
        [
            "ALTER TABLE \"Order\" ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY",
            "SELECT setval(pg_get_serial_sequence('\"Order\"', 'id'), COALESCE(max(id), 0) + 1, false) FROM \"Order\"",
        ]
    );
    // A default goes before the identity comes.
    assert_eq!(
        alter(&with_default(plain.clone(), "0"), identity(false))[..2],
        [
            "ALTER TABLE \"Order\" ALTER COLUMN id DROP DEFAULT",
            "ALTER TABLE \"Order\" ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY",
        ]
    );
    assert_eq!(
        alter(&identity(true), identity(false)),
        ["ALTER TABLE \"Order\" ALTER COLUMN id SET GENERATED BY DEFAULT"]
    );
    assert_eq!(
        alter(
            &identity(false),
            Column {
                nullable: true,
                ..plain.clone()
            }
        ),
        [
            "ALTER TABLE \"Order\" ALTER COLUMN id DROP IDENTITY",
            "ALTER TABLE \"Order\" ALTER COLUMN id DROP NOT NULL",
        ]
    );
}

#[test]
fn tables_with_unmodeled_parts_are_refused() {
    let mut t = Table::new("t");
    t.columns = vec![col("a", ColumnType::Integer)];
    t.unmodeled = vec!["EXCLUDE USING gist (a WITH =)".into()];
    let err = render_op(&Op::CreateTable(t), &Schema::new()).unwrap_err();
    assert!(
        err.message.contains("EXCLUDE USING gist (a WITH =)"),
        "{err}"
    );
}

#[test]
fn constraint_ops() {
    let add = |constraint| Op::AddConstraint {
        table: "orders".into(),
        constraint,
    };
    check(
        add(Constraint::Unique(Unique {
            deferral: Default::default(),
            name: Some("one_code".into()),
            columns: vec!["code".into(), "note".into()],
        })),
        &["ALTER TABLE orders ADD CONSTRAINT one_code UNIQUE (code, note)"],
    );
    check(
        add(Constraint::ForeignKey(ForeignKey {
            on_update: FkAction::Cascade,
            on_delete: FkAction::SetNull,
            ..fk(&["customer_id"], "customers", &["id"])
        })),
        &[
            "ALTER TABLE orders ADD FOREIGN KEY (customer_id) REFERENCES customers (id) ON DELETE SET NULL ON UPDATE CASCADE",
        ],
    );
    for (deferral, words) in [
        (Deferral::InitiallyDeferred, "DEFERRABLE INITIALLY DEFERRED"),
        (
            Deferral::InitiallyImmediate,
            "DEFERRABLE INITIALLY IMMEDIATE",
        ),
    ] {
        check(
            add(Constraint::ForeignKey(ForeignKey {
                name: Some("orders_customer".into()),
                deferral,
                ..fk(&["customer_id"], "customers", &["id"])
            })),
            &[&format!(
                "ALTER TABLE orders ADD CONSTRAINT orders_customer FOREIGN KEY (customer_id) \
                 REFERENCES customers (id) {words}"
            )],
        );
    }
    check(
        add(Constraint::Check(Check {
            no_inherit: false,
            written: Default::default(),
            name: None,
            expr: "length(code) = 8".into(),
        })),
        &["ALTER TABLE orders ADD CHECK (length(code) = 8)"],
    );
    let drop = |constraint| Op::DropConstraint {
        table: "orders".into(),
        constraint,
    };
    let orders = start().tables["orders"].clone();
    for (constraint, want) in orders.constraints().into_iter().zip([
        "ALTER TABLE orders DROP CONSTRAINT orders_pkey",
        "ALTER TABLE orders DROP CONSTRAINT orders_code_key",
        "ALTER TABLE orders DROP CONSTRAINT orders_customer_id_fkey",
        "ALTER TABLE orders DROP CONSTRAINT orders_code_check",
        "ALTER TABLE orders DROP CONSTRAINT total_positive",
    ]) {
        check(drop(constraint), &[want]);
    }
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
fn unnamed_constraints_are_named_as_postgres_names_them() {
    let mut t = Table::new("t");
    t.columns = vec![col("a", ColumnType::Integer), col("b", ColumnType::Integer)];
    let check = |expr: &str| {
        Constraint::Check(Check {
            no_inherit: false,
            written: Default::default(),
            name: None,
            expr: expr.into(),
        })
    };
    // One column: named after it; several or none: not.
    assert_eq!(constraint_name(&check("a > 0"), &t), "t_a_check");
    assert_eq!(constraint_name(&check("b > a"), &t), "t_check");
    assert_eq!(constraint_name(&check("1 > 0"), &t), "t_check");
    assert_eq!(constraint_name(&check("'a' > 'b'"), &t), "t_check");
    // Cut to 63 bytes, the longer part first.
    let long = "x".repeat(70);
    let mut t = Table::new(long.clone());
    t.columns = vec![col("a", ColumnType::Integer)];
    let pk = Constraint::PrimaryKey(PrimaryKey {
        deferral: Default::default(),
        name: None,
        columns: vec!["a".into()],
    });
    assert_eq!(constraint_name(&pk, &t), format!("{}_pkey", "x".repeat(58)));
    let unique = Constraint::Unique(Unique {
        deferral: Default::default(),
        name: None,
        columns: vec!["a".into()],
    });
    assert_eq!(
        constraint_name(&unique, &t),
        format!("{}_a_key", "x".repeat(57))
    );
    // Never inside a character.
    let name = format!("a{}", "é".repeat(40));
    assert_eq!(object_name(&name, None, "pkey").len(), 62);
}

#[test]
fn index_ops() {
    check(
        Op::CreateIndex(Index {
            unique: true,
            predicate: Some("note IS NOT NULL".into()),
            method: None,
            nulls_not_distinct: false,
            comment: None,
            include: Vec::new(),
            storage: Vec::new(),
            ..index(
                "orders_note",
                "orders",
                &[
                    "note DESC",
                    "code text_pattern_ops",
                    "lower(note)",
                    "total + 1",
                    "created_at NULLS FIRST",
                    "customer_id DESC NULLS LAST",
                ],
            )
        }),
        &[
            "CREATE UNIQUE INDEX orders_note ON orders (note DESC, code text_pattern_ops, lower(note), \
             (total + 1), created_at NULLS FIRST, customer_id DESC NULLS LAST) WHERE note IS NOT NULL",
        ],
    );
    check(
        Op::DropIndex(start().tables["orders"].indexes[0].clone()),
        &["DROP INDEX orders_by_customer"],
    );
    // On a table the schema does not know, a plain word is taken for a column.
    assert_eq!(
        create_index(&index("Elsewhere", "other", &["Name ASC", "a + b"]), None),
        "CREATE INDEX \"Elsewhere\" ON other (\"Name\" ASC, (a + b))"
    );
}

/// An expression with an operator class was written `((lower(name) text_pattern_ops))`
/// and `(n || 'x' text_pattern_ops)`, syntax errors: the class goes after the
/// expression, which is in parentheses unless it is one atom.
#[test]
fn an_expression_index_with_an_operator_class_is_valid_sql() {
    let parts = [
        "lower(note) text_pattern_ops",
        "(note || 'x') text_pattern_ops DESC",
    ];
    assert_eq!(
        create_index(&index("i", "orders", &parts), start().table("orders")),
        "CREATE INDEX i ON orders (lower(note) text_pattern_ops, \
         (note || 'x') text_pattern_ops DESC)"
    );
}

#[test]
fn defaults_need_parentheses_unless_simple() {
    let cases = [
        ("0", "0"),
        ("-1.5", "-1.5"),
        ("'it''s'", "'it''s'"),
        ("NULL", "NULL"),
        ("true", "true"),
        ("CURRENT_TIMESTAMP", "CURRENT_TIMESTAMP"),
        ("now()", "now()"),
        ("pg_catalog.now()", "pg_catalog.now()"),
        ("nextval('s'::REGCLASS)", "nextval('s'::REGCLASS)"),
        ("'{}'::JSONB", "'{}'::JSONB"),
        ("'a' || 'b'", "('a' || 'b')"),
        ("1 + 1", "(1 + 1)"),
        ("now() - INTERVAL '1 day'", "(now() - INTERVAL '1 day')"),
        ("'x'::CHARACTER VARYING", "('x'::CHARACTER VARYING)"),
        ("f(')')", "f(')')"),
        ("f(1) + 1", "(f(1) + 1)"),
    ];
    for (expr, want) in cases {
        assert_eq!(default_sql(expr), want, "{expr}");
    }
}

fn statement(text: &str) -> Statement {
    let (mut statements, _) = parse_statements(text, "m.sql", Dialect::Sqlite).unwrap();
    statements.remove(0)
}

#[test]
fn statements_written_for_postgres_run_as_written() {
    let s = statement("ALTER TABLE orders ALTER COLUMN note SET NOT NULL");
    let ops = s.change.as_ref().unwrap().resolve(&start()).unwrap();
    assert_eq!(
        plan(&start(), &s, &ops, Dialect::Postgres),
        ["ALTER TABLE orders ALTER COLUMN note SET NOT NULL"]
    );
    let s = statement("CREATE VIEW v AS SELECT 1");
    assert_eq!(
        plan(&start(), &s, &[], Dialect::Sqlite),
        ["CREATE VIEW v AS SELECT 1"]
    );
}

#[test]
fn statements_written_for_other_databases_are_rendered() {
    let s = statement(
        "CREATE TABLE notes (id INTEGER PRIMARY KEY AUTOINCREMENT, body, at DATETIME DEFAULT CURRENT_TIMESTAMP)",
    );
    let ops = s.change.as_ref().unwrap().resolve(&start()).unwrap();
    assert_eq!(
        plan(&start(), &s, &ops, Dialect::Sqlite),
        ["CREATE TABLE notes (\n    \
          id INTEGER GENERATED BY DEFAULT AS IDENTITY NOT NULL,\n    \
          body TEXT,\n    \
          at TIMESTAMP DEFAULT CURRENT_TIMESTAMP,\n    \
          PRIMARY KEY (id)\n)"]
    );
    // Several actions on one column become one statement.
    let (statements, _) = parse_statements(
        "ALTER TABLE orders MODIFY code VARCHAR(20) NOT NULL DEFAULT 'x'",
        "m.sql",
        Dialect::Mysql,
    )
    .unwrap();
    let s = &statements[0];
    let ops = s.change.as_ref().unwrap().resolve(&start()).unwrap();
    // A `MODIFY` says the whole column.
    assert_eq!(ops.len(), 1);
    assert_eq!(
        plan(&start(), s, &ops, Dialect::Mysql),
        [
            "ALTER TABLE orders ALTER COLUMN code DROP DEFAULT, ALTER COLUMN code TYPE VARCHAR(20), \
          ALTER COLUMN code SET NOT NULL, ALTER COLUMN code SET DEFAULT 'x'"
        ]
    );
    // What does not render runs as written.
    let s = statement("ALTER TABLE orders ALTER COLUMN id DROP NOT NULL");
    let op = Op::AlterColumn {
        table: "orders".into(),
        from: not_null("note", ColumnType::Text),
        to: Column {
            collation: Some("C".into()),
            ..not_null("note", ColumnType::Text)
        },
    };
    assert_eq!(
        plan(&start(), &s, &[op], Dialect::Sqlite),
        ["ALTER TABLE orders ALTER COLUMN id DROP NOT NULL"]
    );
}

#[test]
fn loss_queries() {
    let alter = |from: ColumnType, to: ColumnType| Op::AlterColumn {
        table: "t".into(),
        from: col("c", from),
        to: col("c", to),
    };
    use ColumnType::*;
    let cases = [
        (
            Op::DropTable(Table::new("t")),
            Some("SELECT count(*) FROM t"),
        ),
        (
            Op::DropColumn {
                table: "t".into(),
                column: col("Select", Text),
            },
            Some("SELECT count(*) FROM t WHERE \"Select\" IS NOT NULL"),
        ),
        (
            alter(Text, Varchar(Some(5))),
            Some("SELECT count(*) FROM t WHERE char_length(c) > 5"),
        ),
        (
            alter(Varchar(Some(9)), Char(None)),
            Some("SELECT count(*) FROM t WHERE char_length(c) <> 1 OR c LIKE '% '"),
        ),
        (
            alter(BigInt, Integer),
            Some("SELECT count(*) FROM t WHERE c < -2147483648 OR c > 2147483647"),
        ),
        (
            alter(Double, SmallInt),
            Some(
                "SELECT count(*) FROM t WHERE c < -32768 OR c > 32767 OR c::text <> trunc(c)::numeric::text",
            ),
        ),
        (
            alter(
                Decimal {
                    precision: Some(12),
                    scale: Some(4),
                },
                Decimal {
                    precision: Some(6),
                    scale: Some(2),
                },
            ),
            Some(
                "SELECT count(*) FROM t WHERE CASE WHEN abs(c::numeric) >= 10000 THEN true ELSE round(c::numeric, 2)::text <> c::text END",
            ),
        ),
        (
            alter(Double, Real),
            Some(
                "SELECT count(*) FROM t WHERE CASE WHEN c::numeric NOT BETWEEN -3.4e38 AND 3.4e38 OR (c <> 0 AND abs(c::numeric) < 1.2e-38) THEN true ELSE (c::real::double precision <> c::double precision OR c::real::text <> c::text) END",
            ),
        ),
        (
            alter(Timestamp, Date),
            Some("SELECT count(*) FROM t WHERE c IS NOT NULL"),
        ),
        // Widening loses nothing; what PostgreSQL cannot count exactly counts every
        // non-NULL value (regression: it was not counted, and ran without consent).
        (alter(Integer, BigInt), None),
        (
            alter(Text, Integer),
            Some("SELECT count(*) FROM t WHERE c IS NOT NULL"),
        ),
        (
            alter(Json, Uuid),
            Some("SELECT count(*) FROM t WHERE c IS NOT NULL"),
        ),
        // A `CHAR(n)` reads back padded: every value counts.
        (
            alter(Char(Some(3)), Varchar(Some(9))),
            Some("SELECT count(*) FROM t WHERE c IS NOT NULL"),
        ),
    ];
    for (op, want) in cases {
        assert_eq!(loss_query(&op).as_deref(), want, "{op:?}");
    }
}

#[test]
fn column_alters_written_as_statements_resolve_as_one_op_each() {
    // A guard for `merge_alters`: the parser gives one op per action.
    let (statements, _) = parse_statements(
        "ALTER TABLE orders ALTER COLUMN note SET NOT NULL, ALTER COLUMN note SET DEFAULT 'x'",
        "m.sql",
        Dialect::Postgres,
    )
    .unwrap();
    let Some(wildebeest_schema::Change::AlterTable { actions, .. }) = &statements[0].change else {
        panic!("not understood");
    };
    assert!(matches!(
        actions[1],
        wildebeest_schema::AlterAction::AlterColumn {
            alter: ColumnAlter::SetDefault(_),
            ..
        }
    ));
}

#[test]
fn renames_keep_conventional_constraint_names() {
    let rename = Op::RenameTable {
        from: "orders".into(),
        to: "purchases".into(),
    };
    assert_eq!(
        follow_names(&start(), &rename),
        [
            "ALTER TABLE purchases RENAME CONSTRAINT orders_pkey TO purchases_pkey",
            "ALTER TABLE purchases RENAME CONSTRAINT orders_code_key TO purchases_code_key",
            "ALTER TABLE purchases RENAME CONSTRAINT orders_customer_id_fkey TO purchases_customer_id_fkey",
            "ALTER TABLE purchases RENAME CONSTRAINT orders_code_check TO purchases_code_check",
        ]
    );
    let rename = Op::RenameColumn {
        table: "orders".into(),
        from: "code".into(),
        to: "Ref".into(),
    };
    assert_eq!(
        follow_names(&start(), &rename),
        [
            "ALTER TABLE orders RENAME CONSTRAINT orders_code_key TO \"orders_Ref_key\"",
            "ALTER TABLE orders RENAME CONSTRAINT orders_code_check TO \"orders_Ref_check\"",
        ]
    );
    // The statement, then the renames.
    let (mut statements, _) = parse_statements(
        "ALTER TABLE orders RENAME COLUMN code TO Ref",
        "m.sql",
        Dialect::Postgres,
    )
    .unwrap();
    let s = statements.remove(0);
    let ops = s.change.as_ref().unwrap().resolve(&start()).unwrap();
    assert_eq!(
        plan(&start(), &s, &ops, Dialect::Postgres),
        [
            "ALTER TABLE orders RENAME COLUMN code TO Ref",
            "ALTER TABLE orders RENAME CONSTRAINT orders_code_key TO orders_ref_key",
            "ALTER TABLE orders RENAME CONSTRAINT orders_code_check TO orders_ref_check",
        ]
    );
    let other = Op::RenameColumn {
        table: "orders".into(),
        from: "note".into(),
        to: "remark".into(),
    };
    assert_eq!(follow_names(&start(), &other), Vec::<String>::new());
}

#[test]
fn a_new_type_keeps_the_collation() {
    let from = Column {
        collation: Some("C".into()),
        ..col("note", ColumnType::Text)
    };
    let to = Column {
        ty: ColumnType::Varchar(Some(20)),
        ..from.clone()
    };
    let op = Op::AlterColumn {
        table: "orders".into(),
        from,
        to,
    };
    assert_eq!(
        render_op(&op, &start()).unwrap(),
        ["ALTER TABLE orders ALTER COLUMN note TYPE VARCHAR(20) COLLATE \"C\""]
    );
    // Written without `COLLATE` (which the model reads), PostgreSQL would drop it.
    let s = statement("ALTER TABLE orders ALTER COLUMN note TYPE VARCHAR(20)");
    assert_eq!(
        plan(&start(), &s, &[op], Dialect::Postgres),
        [
            "ALTER TABLE orders ALTER COLUMN note TYPE VARCHAR(20)",
            "ALTER TABLE orders ALTER COLUMN note TYPE VARCHAR(20) COLLATE \"C\"",
        ]
    );
}

/// [`start`] with the enum type `mood` ('sad', 'ok') and a table `person` whose
/// `mood` column uses it (default 'ok', indexed).
fn with_mood() -> Schema {
    let mut s = start();
    s.enums
        .insert("mood".into(), vec!["sad".into(), "ok".into()]);
    let mut t = Table::new("person");
    t.columns = vec![
        not_null("id", ColumnType::Integer),
        with_default(col("mood", ColumnType::Enum("mood".into())), "'ok'"),
    ];
    t.indexes = vec![index("person_mood", "person", &["mood"])];
    s.tables.insert("person".into(), t);
    s.normalize();
    s
}

#[test]
fn enum_types_and_their_values() {
    let s = with_mood();
    let mood = || "mood".to_string();
    check_on(
        &s,
        Op::CreateEnum {
            name: "size".into(),
            labels: vec!["s".into(), "it's".into()],
        },
        &["CREATE TYPE size AS ENUM ('s', 'it''s')"],
    );
    check_on(
        &s,
        Op::CreateEnum {
            name: "Odd Name".into(),
            labels: vec![],
        },
        &["CREATE TYPE \"Odd Name\" AS ENUM ()"],
    );
    let mut unused = s.clone();
    unused.tables.remove("person");
    check_on(
        &unused,
        Op::DropEnum {
            name: mood(),
            labels: vec!["sad".into(), "ok".into()],
        },
        &["DROP TYPE mood"],
    );
    let add = |value: &str, position| Op::AddEnumValue {
        name: mood(),
        value: value.into(),
        position,
    };
    check_on(
        &s,
        add("happy", LabelPosition::Last),
        &["ALTER TYPE mood ADD VALUE 'happy'"],
    );
    check_on(
        &s,
        add("meh", LabelPosition::Before("ok".into())),
        &["ALTER TYPE mood ADD VALUE 'meh' BEFORE 'ok'"],
    );
    check_on(
        &s,
        add("low", LabelPosition::After("sad".into())),
        &["ALTER TYPE mood ADD VALUE 'low' AFTER 'sad'"],
    );
    check_on(
        &s,
        Op::RenameEnumValue {
            name: mood(),
            from: "ok".into(),
            to: "fine".into(),
        },
        &["ALTER TYPE mood RENAME VALUE 'ok' TO 'fine'"],
    );
    check_on(
        &s,
        Op::RenameEnum {
            from: mood(),
            to: "feeling".into(),
        },
        &["ALTER TYPE mood RENAME TO feeling"],
    );
}

#[test]
fn enum_columns_are_created_and_converted_through_text() {
    let s = with_mood();
    let mut t = Table::new("visit");
    t.columns = vec![with_default(
        col("mood", ColumnType::Enum("mood".into())),
        "'sad'",
    )];
    check_on(
        &s,
        Op::CreateTable(t),
        &["CREATE TABLE visit (\n    mood mood DEFAULT 'sad'\n)"],
    );
    // To an enum type: through text, the default set again around the conversion.
    // (`orders` without its check on `code`, which would go and come back: see
    // `a_type_change_to_an_enum_drops_and_recreates_what_compares_the_column`.)
    let mut plain = s.clone();
    plain.tables.get_mut("orders").unwrap().checks.clear();
    check_on(
        &plain,
        Op::AlterColumn {
            table: "orders".into(),
            from: with_default(col("code", ColumnType::Varchar(Some(8))), "'new'"),
            to: with_default(col("code", ColumnType::Enum("mood".into())), "'ok'"),
        },
        &["ALTER TABLE orders ALTER COLUMN code DROP DEFAULT, \
           ALTER COLUMN code TYPE mood USING code::text::mood, \
           ALTER COLUMN code SET DEFAULT 'ok'"],
    );
    // From one: PostgreSQL converts to text itself; the default goes and comes back.
    check_on(
        &s,
        Op::AlterColumn {
            table: "person".into(),
            from: with_default(col("mood", ColumnType::Enum("mood".into())), "'ok'"),
            to: with_default(col("mood", ColumnType::Text), "'ok'"),
        },
        &["ALTER TABLE person ALTER COLUMN mood DROP DEFAULT, \
           ALTER COLUMN mood TYPE TEXT, ALTER COLUMN mood SET DEFAULT 'ok'"],
    );
}

#[test]
fn a_label_is_removed_by_making_the_type_again() {
    let mut s = with_mood();
    let mut person = s.tables.get_mut("person").unwrap();
    person.checks.push(Check {
        no_inherit: false,
        written: Default::default(),
        name: None,
        expr: "mood <> 'sad'".into(),
    });
    person.indexes.push(Index {
        predicate: Some("mood <> 'ok'".into()),
        method: None,
        nulls_not_distinct: false,
        comment: None,
        include: Vec::new(),
        storage: Vec::new(),
        ..index("person_unhappy", "person", &["id"])
    });
    person.normalize();
    drop(person);
    let op = Op::DropEnumValue {
        name: "mood".into(),
        value: "sad".into(),
        position: LabelPosition::Before("ok".into()),
    };
    let sql = render_op(&op, &s).unwrap();
    assert_eq!(
        sql,
        [
            "ALTER TYPE mood RENAME TO mood_old",
            "CREATE TYPE mood AS ENUM ('ok')",
            "ALTER TABLE person DROP CONSTRAINT person_mood_check",
            "DROP INDEX person_unhappy",
            "ALTER TABLE person ALTER COLUMN mood DROP DEFAULT, \
             ALTER COLUMN mood TYPE mood USING mood::text::mood, \
             ALTER COLUMN mood SET DEFAULT 'ok'",
            "ALTER TABLE person ADD CHECK (mood <> 'sad')",
            "CREATE INDEX person_unhappy ON person (id) WHERE mood <> 'ok'",
            "DROP TYPE mood_old",
        ]
    );
    // The statements, parsed back, do to the model what the op does.
    let (statements, warnings) =
        parse_statements(&sql.join(";\n"), "m.sql", Dialect::Postgres).unwrap();
    assert_eq!(warnings, vec![]);
    let mut replayed = s.clone();
    for st in statements {
        for o in st.change.unwrap().resolve(&replayed).unwrap() {
            o.apply(&mut replayed).unwrap();
        }
    }
    let mut want = s.clone();
    op.apply(&mut want).unwrap();
    assert_eq!(replayed, want);
    // The name aside is one no type or table has.
    let mut taken = s.clone();
    taken.enums.insert("mood_old".into(), vec![]);
    taken
        .tables
        .insert("mood_old2".into(), Table::new("mood_old2"));
    assert_eq!(
        render_op(&op, &taken).unwrap()[0],
        "ALTER TYPE mood RENAME TO mood_old3"
    );
    let long = "m".repeat(63);
    assert_eq!(aside_name(&long, &s).len(), 63);
    assert!(aside_name(&long, &s).ends_with("_old"));
}

/// A serial type is an integer with a sequence default: `TYPE BIGSERIAL` does not
/// exist, so a change between two serial types changes the integer type and the
/// sequence's, and is no data loss when it widens.
#[test]
fn serial_to_bigserial_changes_the_integer_type_and_the_sequence() {
    let mut t = Table::new("tickets");
    t.columns = vec![not_null("id", ColumnType::Custom("SERIAL".into()))];
    let schema = schema_with(vec![t]);
    let op = Op::AlterColumn {
        table: "tickets".into(),
        from: not_null("id", ColumnType::Custom("SERIAL".into())),
        to: not_null("id", ColumnType::Custom("BIGSERIAL".into())),
    };
    let got = render_op(&op, &schema).unwrap();
    assert_eq!(
        got,
        [
            "ALTER TABLE tickets ALTER COLUMN id TYPE BIGINT",
            "ALTER SEQUENCE tickets_id_seq AS BIGINT",
        ]
    );
    // The model has no sequences; the column stays a serial one through `TYPE BIGINT`.
    assert_parses_back(&op, &schema, &got[..1]);
    assert_eq!(op.data_loss(), None);
    assert!(op.invert().data_loss().is_some());
    // Between a serial type and any other the sequence would come or go: refused.
    let err = render_op(
        &Op::AlterColumn {
            table: "tickets".into(),
            from: not_null("id", ColumnType::Integer),
            to: not_null("id", ColumnType::Custom("BIGSERIAL".into())),
        },
        &schema,
    )
    .unwrap_err();
    assert!(
        err.message
            .starts_with("column `tickets.id` changes from INTEGER to BIGSERIAL: a serial type"),
        "{}",
        err.message
    );
}

/// A partial index or a check comparing a column with a literal holds the literal
/// cast to the column's type (`status <> 'void'::text`): to or from an enum type it no
/// longer parses, so it is dropped before the change and created again after it.
#[test]
fn a_type_change_to_an_enum_drops_and_recreates_what_compares_the_column() {
    let mut t = Table::new("invoices");
    t.columns = vec![
        not_null("id", ColumnType::BigInt),
        with_default(not_null("status", ColumnType::Text), "'draft'"),
        col("note", ColumnType::Text),
    ];
    t.checks.push(Check {
        no_inherit: false,
        written: Default::default(),
        name: None,
        expr: "status <> 'lost'".into(),
    });
    t.indexes.push(Index {
        predicate: Some("status <> 'void'".into()),
        method: None,
        nulls_not_distinct: false,
        comment: None,
        include: Vec::new(),
        storage: Vec::new(),
        ..index("invoices_status", "invoices", &["status"])
    });
    // Neither names the column in an expression: PostgreSQL converts these itself.
    t.indexes.push(Index {
        method: None,
        nulls_not_distinct: false,
        comment: None,
        include: Vec::new(),
        storage: Vec::new(),
        ..index("invoices_note", "invoices", &["note"])
    });
    t.normalize();
    let mut s = schema_with(vec![t]);
    s.enums.insert(
        "invoice_status".into(),
        vec!["draft".into(), "lost".into(), "void".into()],
    );
    let op = Op::AlterColumn {
        table: "invoices".into(),
        from: with_default(not_null("status", ColumnType::Text), "'draft'"),
        to: with_default(
            not_null("status", ColumnType::Enum("invoice_status".into())),
            "'draft'",
        ),
    };
    let sql = render_op(&op, &s).unwrap();
    assert_eq!(
        sql,
        [
            "ALTER TABLE invoices DROP CONSTRAINT invoices_status_check",
            "DROP INDEX invoices_status",
            "ALTER TABLE invoices ALTER COLUMN status DROP DEFAULT, \
             ALTER COLUMN status TYPE invoice_status USING status::text::invoice_status, \
             ALTER COLUMN status SET DEFAULT 'draft'",
            "ALTER TABLE invoices ADD CHECK (status <> 'lost')",
            "CREATE INDEX invoices_status ON invoices (status) WHERE status <> 'void'",
        ]
    );
    // The statements, parsed back, do to the model what the op does.
    let (statements, warnings) =
        parse_statements(&sql.join(";\n"), "m.sql", Dialect::Postgres).unwrap();
    assert_eq!(warnings, vec![]);
    let mut replayed = s.clone();
    for st in statements {
        for o in st.change.unwrap().resolve(&replayed).unwrap() {
            o.apply(&mut replayed).unwrap();
        }
    }
    let mut want = s.clone();
    op.apply(&mut want).unwrap();
    assert_eq!(replayed, want);
    // And back from the enum type: the same around the conversion to text.
    let mut after = s.clone();
    op.apply(&mut after).unwrap();
    let back = render_op(&op.invert(), &after).unwrap();
    assert_eq!(back.len(), 5, "{back:?}");
    assert_eq!(back[1], "DROP INDEX invoices_status");
    // A change between types that are no enum types leaves them to PostgreSQL.
    let widen = Op::AlterColumn {
        table: "invoices".into(),
        from: col("note", ColumnType::Text),
        to: col("note", ColumnType::Varchar(Some(10))),
    };
    assert_eq!(render_op(&widen, &s).unwrap().len(), 1);
}

#[test]
fn a_boolean_converts_to_a_number_through_integer() {
    let alter = |from: ColumnType, to: ColumnType| Op::AlterColumn {
        table: "orders".into(),
        from: col("paid", from),
        to: col("paid", to),
    };
    let sql = |op: Op| render_op(&op, &start()).unwrap();
    assert_eq!(
        sql(alter(ColumnType::Boolean, ColumnType::SmallInt)),
        ["ALTER TABLE orders ALTER COLUMN paid TYPE SMALLINT USING paid::int::SMALLINT"]
    );
    assert_eq!(
        sql(alter(ColumnType::Boolean, ColumnType::Integer)),
        ["ALTER TABLE orders ALTER COLUMN paid TYPE INTEGER USING paid::INTEGER"]
    );
    assert_eq!(
        sql(alter(ColumnType::BigInt, ColumnType::Boolean)),
        ["ALTER TABLE orders ALTER COLUMN paid TYPE BOOLEAN USING paid <> 0"]
    );
}

#[test]
fn a_removed_label_is_counted_in_every_column_of_the_type() {
    let mut s = with_mood();
    let mut t = Table::new("visit");
    t.columns = vec![
        col("felt", ColumnType::Enum("mood".into())),
        col("moods", ColumnType::EnumArray("mood".into())),
    ];
    s.tables.insert("visit".into(), t);
    let op = Op::DropEnumValue {
        name: "mood".into(),
        value: "sad".into(),
        position: LabelPosition::Before("ok".into()),
    };
    let r = refused_query(&op, &s).unwrap();
    assert_eq!(
        r.query,
        "SELECT (SELECT count(*) FROM person WHERE mood::text = 'sad') + \
         (SELECT count(*) FROM visit WHERE felt::text = 'sad') + \
         (SELECT count(*) FROM visit WHERE 'sad' = ANY (moods::text[]))"
    );
    assert_eq!(r.values, "the value 'sad' of enum type `mood`");
    // A type change to it counts the values that are none of its labels.
    let to_enum = Op::AlterColumn {
        table: "visit".into(),
        from: col("note", ColumnType::Text),
        to: col("note", ColumnType::Enum("mood".into())),
    };
    assert_eq!(
        refused_query(&to_enum, &s).unwrap().query,
        "SELECT count(*) FROM visit WHERE note::text NOT IN ('sad', 'ok')"
    );
}

/// The routine of a `CREATE FUNCTION` or `CREATE PROCEDURE` statement.
fn routine(sql: &str) -> wildebeest_schema::Routine {
    let (statements, _) = parse_statements(sql, "m.sql", Dialect::Postgres).unwrap();
    match statements.into_iter().next().and_then(|s| s.change) {
        Some(wildebeest_schema::Change::CreateRoutine { routine, .. }) => routine,
        other => panic!("{other:?}"),
    }
}

#[test]
fn routines_are_written_as_they_were_and_dropped_by_signature() {
    let f = routine(
        "CREATE FUNCTION \"Add\"(a int, VARIADIC b int[]) RETURNS int LANGUAGE sql AS $$ SELECT a; $$",
    );
    check(
        Op::CreateRoutine(f.clone()),
        &[
            "CREATE FUNCTION \"Add\"(a int, VARIADIC b int[]) RETURNS int LANGUAGE sql AS $$ SELECT a; $$",
        ],
    );
    let mut with = start();
    with.routines.insert(f.signature(), f.clone());
    check_on(
        &with,
        Op::DropRoutine(f.clone()),
        &["DROP FUNCTION \"Add\"(integer, integer[])"],
    );
    let g = routine(
        "CREATE FUNCTION \"Add\"(a int, VARIADIC b int[]) RETURNS int LANGUAGE sql AS $$ SELECT a + 1; $$",
    );
    check_on(
        &with,
        Op::ReplaceRoutine { from: f, to: g },
        &[
            "CREATE OR REPLACE FUNCTION \"Add\"(a int, VARIADIC b int[]) RETURNS int LANGUAGE sql AS $$ SELECT a + 1; $$",
        ],
    );
    let p = routine("CREATE PROCEDURE p(OUT n int) LANGUAGE plpgsql AS $$ BEGIN n := 1; END $$");
    let mut with = start();
    with.routines.insert(p.signature(), p.clone());
    check_on(&with, Op::DropRoutine(p), &["DROP PROCEDURE p(integer)"]);
}

/// A domain `score`; its checks sorted by name, as the model holds them.
fn domain(default: Option<&str>, not_null: bool, checks: &[(&str, &str)]) -> Domain {
    let mut checks = checks.to_vec();
    checks.sort();
    Domain {
        name: "score".into(),
        base: ColumnType::SmallInt,
        collation: None,
        default: default.map(Into::into),
        not_null,
        checks: checks
            .iter()
            .map(|(n, e)| Check {
                no_inherit: false,
                written: Default::default(),
                name: Some((*n).into()),
                expr: (*e).into(),
            })
            .collect(),
    }
}

/// A changed domain is the `ALTER DOMAIN` statements between the two, which read
/// back give the new domain; the inverse gives the old one back. A new base type is
/// refused by the domain's name.
#[test]
fn a_changed_domain_is_alter_domain_both_ways_and_a_new_base_type_is_refused() {
    let from = domain(
        None,
        false,
        &[("score_check", "value > 0"), ("gone", "value <> 7")],
    );
    let to = domain(Some("1"), true, &[("score_check", "value > 1")]);
    let mut before = start();
    before.domains.insert("score".into(), from.clone());
    let check = |sql: &[String], schema: &Schema, want: &Domain| {
        let (statements, _) =
            parse_statements(&sql.join(";\n"), "m.sql", Dialect::Postgres).unwrap();
        let mut s = schema.clone();
        for st in statements {
            st.change.unwrap().apply(&mut s).unwrap();
        }
        assert_eq!(&s.domains["score"], want, "{sql:?}");
    };
    let op = Op::AlterDomain {
        from: from.clone(),
        to: to.clone(),
    };
    let up = render_op(&op, &before).unwrap();
    assert_eq!(
        up,
        [
            "ALTER DOMAIN score DROP CONSTRAINT gone",
            "ALTER DOMAIN score DROP CONSTRAINT score_check",
            "ALTER DOMAIN score SET DEFAULT 1",
            "ALTER DOMAIN score SET NOT NULL",
            "ALTER DOMAIN score ADD CONSTRAINT score_check CHECK (value > 1)",
        ]
    );
    check(&up, &before, &to);
    let mut after = before.clone();
    after.domains.insert("score".into(), to.clone());
    let down = render_op(&op.invert(), &after).unwrap();
    check(&down, &after, &from);

    let create = render_op(&Op::CreateDomain(to.clone()), &start()).unwrap();
    assert_eq!(
        create,
        [
            "CREATE DOMAIN score AS SMALLINT DEFAULT 1 NOT NULL CONSTRAINT score_check CHECK (value > 1)"
        ]
    );
    let (statements, _) = parse_statements(&create[0], "m.sql", Dialect::Postgres).unwrap();
    assert_eq!(
        statements[0].change,
        Some(wildebeest_schema::Change::CreateDomain(to.clone()))
    );

    let retyped = Domain {
        base: ColumnType::Integer,
        ..to.clone()
    };
    let e = render_op(
        &Op::AlterDomain {
            from: to,
            to: retyped,
        },
        &after,
    )
    .unwrap_err();
    assert!(
        e.to_string().contains(
            "domain `score` changes its base type or collation (from SMALLINT to INTEGER)"
        ),
        "{e}"
    );
}

/// A composite type `addr` of `(name, type)` attributes.
fn composite(attributes: &[(&str, ColumnType)]) -> Composite {
    Composite {
        name: "addr".into(),
        attributes: attributes
            .iter()
            .map(|(n, ty)| Attribute {
                name: (*n).into(),
                ty: ty.clone(),
                collation: None,
            })
            .collect(),
    }
}

/// A changed composite type is `ALTER TYPE ... ATTRIBUTE` statements, which read back
/// give the new type, and their inverse the old one, order included. An attribute's
/// new type while a column holds the type is refused by name; so is dropping a range
/// type a column uses (a changed range type is dropped and made again).
#[test]
fn a_changed_composite_type_is_alter_type_both_ways_and_what_postgresql_refuses_is_refused() {
    let from = composite(&[
        ("street", ColumnType::Text),
        ("zip", ColumnType::Integer),
        ("city", ColumnType::Text),
    ]);
    let to = composite(&[
        ("street", ColumnType::Varchar(Some(80))),
        ("city", ColumnType::Text),
        ("country", ColumnType::Char(Some(2))),
    ]);
    let mut before = start();
    before
        .types
        .insert("addr".into(), UserType::Composite(from.clone()));
    let check = |sql: &[String], schema: &Schema, want: &Composite| {
        let (statements, _) =
            parse_statements(&sql.join(";\n"), "m.sql", Dialect::Postgres).unwrap();
        let mut s = schema.clone();
        for st in statements {
            st.change.unwrap().apply(&mut s).unwrap();
        }
        assert_eq!(
            s.types["addr"],
            UserType::Composite(want.clone()),
            "{sql:?}"
        );
    };
    let op = Op::AlterComposite {
        from: from.clone(),
        to: to.clone(),
    };
    let up = render_op(&op, &before).unwrap();
    assert_eq!(
        up,
        [
            "ALTER TYPE addr DROP ATTRIBUTE zip",
            "ALTER TYPE addr ALTER ATTRIBUTE street TYPE VARCHAR(80)",
            "ALTER TYPE addr ADD ATTRIBUTE country CHAR(2)",
        ]
    );
    check(&up, &before, &to);
    let mut after = before.clone();
    after
        .types
        .insert("addr".into(), UserType::Composite(to.clone()));
    let down = render_op(&op.invert(), &after).unwrap();
    assert_eq!(
        down,
        [
            "ALTER TYPE addr DROP ATTRIBUTE city",
            "ALTER TYPE addr DROP ATTRIBUTE country",
            "ALTER TYPE addr ALTER ATTRIBUTE street TYPE TEXT",
            "ALTER TYPE addr ADD ATTRIBUTE zip INTEGER",
            "ALTER TYPE addr ADD ATTRIBUTE city TEXT",
        ]
    );
    check(&down, &after, &from);

    let create = render_op(&Op::CreateType(UserType::Composite(to.clone())), &start()).unwrap();
    assert_eq!(
        create,
        ["CREATE TYPE addr AS (street VARCHAR(80), city TEXT, country CHAR(2))"]
    );
    let (statements, _) = parse_statements(&create[0], "m.sql", Dialect::Postgres).unwrap();
    assert_eq!(
        statements[0].change,
        Some(wildebeest_schema::Change::CreateType(UserType::Composite(
            to.clone()
        )))
    );

    // A column of an array of the type holds it: no new attribute type.
    let mut held = after.clone();
    let mut t = held.table("customers").unwrap().clone();
    t.columns
        .push(col("homes", ColumnType::Custom("ADDR[]".into())));
    held.tables.insert("customers".into(), t.clone());
    let e = render_op(&op.invert(), &held).unwrap_err();
    assert!(
        e.to_string().contains(
            "attribute `street` of composite type `addr` changes its type or collation, which \
             PostgreSQL refuses while column `customers.homes` holds the type"
        ),
        "{e}"
    );
    // ... and a dropped attribute loses what it holds there, counted.
    let lost = loss(
        &Op::AlterComposite {
            from: to.clone(),
            to: composite(&[("street", ColumnType::Varchar(Some(80)))]),
        },
        &held,
    )
    .unwrap();
    assert_eq!(
        lost.query.as_deref(),
        Some("SELECT (SELECT count(*) FROM customers WHERE homes IS DISTINCT FROM NULL)")
    );
    assert_eq!(loss(&op, &before), None, "no column holds the type");

    let range = Range {
        name: "span".into(),
        subtype: ColumnType::Double,
        opclass: None,
        collation: None,
        subtype_diff: Some("float8mi".into()),
        multirange: "spans".into(),
    };
    let create = render_op(&Op::CreateType(UserType::Range(range.clone())), &start()).unwrap();
    assert_eq!(
        create,
        [
            "CREATE TYPE span AS RANGE (SUBTYPE = DOUBLE PRECISION, SUBTYPE_DIFF = float8mi, MULTIRANGE_TYPE_NAME = spans)"
        ]
    );
    let mut used = start();
    used.types
        .insert("span".into(), UserType::Range(range.clone()));
    let mut t = used.table("customers").unwrap().clone();
    t.columns
        .push(col("window", ColumnType::Custom("SPAN".into())));
    used.tables.insert("customers".into(), t);
    let e = render_op(&Op::DropType(UserType::Range(range)), &used).unwrap_err();
    assert!(
        e.to_string().contains(
            "range type `span` changes or goes while column `customers.window` still uses it"
        ),
        "{e}"
    );
}

#[test]
fn a_mysql_partitioning_is_refused_by_name() {
    let mut t = customers();
    t.options.mysql_partitioning = Some(wildebeest_schema::MysqlPartitioning {
        method: "HASH".into(),
        expr: "id".into(),
        count: Some(2),
        partitions: Vec::new(),
    });
    let err = render_op(&Op::CreateTable(t), &Schema::default()).unwrap_err();
    assert!(
        err.message
            .starts_with("table `customers` is partitioned the MySQL way"),
        "{err}"
    );
}

#[test]
fn a_mysql_event_is_refused_by_name() {
    let event = wildebeest_schema::Routine {
        name: "tick".into(),
        kind: wildebeest_schema::RoutineKind::Event,
        definition: "ON SCHEDULE EVERY 1 DAY DO DELETE FROM t".into(),
        by_name: true,
        ..Default::default()
    };
    for op in [Op::CreateRoutine(event.clone()), Op::DropRoutine(event)] {
        let e = render_op(&op, &Schema::default()).unwrap_err();
        assert!(e.to_string().contains("event `tick` is MySQL's"), "{e}");
    }
}
