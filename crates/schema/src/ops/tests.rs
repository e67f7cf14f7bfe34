use super::*;
use crate::build::*;
use crate::model::{Check, ColumnType::*, PrimaryKey, Unique};

/// `dept` and `emp`, with a foreign key, checks and three kinds of index.
fn base() -> Schema {
    schema(vec![
        table("dept")
            .col("id", Integer)
            .col_nn("name", Text)
            .pk(&["id"])
            .unique(&["name"])
            .build(),
        table("emp")
            .col("id", Integer)
            .col("name", Text)
            .col("email", Varchar(Some(100)))
            .col("dept_id", Integer)
            .col("salary", Integer)
            .pk(&["id"])
            .fk(&["dept_id"], "dept", &["id"])
            .check(None, "salary > 0")
            .check(Some("ck_email"), "email <> ''")
            .index("ix_emp_dept", &["dept_id"], false, None)
            .index("ix_emp_email", &["lower(email)"], true, None)
            .index(
                "ix_emp_salary",
                &["salary DESC"],
                false,
                Some("dept_id IS NOT NULL"),
            )
            .build(),
    ])
}

/// Resolves `change` against [`base`] and compares the ops' descriptions, one a line,
/// or `error: <message>`. Resolved ops must apply, and their inverses must undo them.
#[track_caller]
fn check(change: Change, expect: &str) {
    check_on(base(), change, expect);
}

/// [`check`] against the schema `s`. Also checks that resolving in place
/// (`resolve_mut`, `apply`) gives the same ops, that `resolve_mut` gives the schema
/// back exactly, and that `apply` leaves the schema after the ops, or, when the change
/// fails, exactly as it was.
#[track_caller]
fn check_on(s: Schema, change: Change, expect: &str) {
    let resolved = change.resolve(&s);
    let mut scratch = s.clone();
    assert_eq!(change.resolve_mut(&mut scratch), resolved, "resolve_mut");
    assert_eq!(scratch, s, "resolve_mut did not give the schema back");
    let mut applied = s.clone();
    assert_eq!(change.apply(&mut applied), resolved, "apply");
    let mut expected = s.clone();
    if let Ok(ops) = &resolved {
        for op in ops {
            let _ = op.apply(&mut expected);
        }
    }
    assert_eq!(applied, expected, "apply left another schema");
    let got = match resolved {
        Ok(ops) => {
            let mut after = s.clone();
            for op in &ops {
                op.apply(&mut after)
                    .unwrap_or_else(|e| panic!("{} does not apply: {e}", op.describe()));
            }
            for op in ops.iter().rev() {
                op.invert()
                    .apply(&mut after)
                    .unwrap_or_else(|e| panic!("undoing {}: {e}", op.describe()));
            }
            assert_eq!(
                by_column_name(after),
                by_column_name(s.clone()),
                "the inverses do not restore the schema"
            );
            ops.iter().map(Op::describe).collect::<Vec<_>>().join("\n")
        }
        Err(e) => format!("error: {e}"),
    };
    assert_eq!(got, expect.trim());
}

/// `s` with every table's columns sorted by name: an inverse restores a dropped column
/// at the end, and column order is no difference.
fn by_column_name(mut s: Schema) -> Schema {
    for t in s.tables.values_mut() {
        t.columns.sort_by(|a, b| a.name.cmp(&b.name));
    }
    s
}

fn alter(table: &str, actions: Vec<AlterAction>) -> Change {
    Change::AlterTable {
        table: table.into(),
        actions,
    }
}

fn col(name: &str, ty: ColumnType) -> Column {
    Column::new(name, ty)
}

fn unique(cols: &[&str]) -> Constraint {
    Constraint::Unique(Unique {
        deferral: Default::default(),
        name: None,
        columns: cols.iter().map(|c| c.to_string()).collect(),
    })
}

#[test]
fn create_table() {
    let new = || {
        table("proj")
            .col("id", Integer)
            .col("dept_id", Integer)
            .pk(&["id"])
            .fk(&["dept_id"], "dept", &[])
            .build()
    };
    check(
        Change::CreateTable {
            table: new(),
            if_not_exists: false,
        },
        "added table `proj`",
    );
    check(
        Change::CreateTable {
            table: table("dept").build(),
            if_not_exists: false,
        },
        "error: table `dept` already exists",
    );
    check(
        Change::CreateTable {
            table: table("dept").build(),
            if_not_exists: true,
        },
        "",
    );
    check(
        Change::CreateTable {
            table: table("p").col("a", Integer).unique(&["b"]).build(),
            if_not_exists: false,
        },
        "error: column `p.b` does not exist",
    );
    let dup = table("p").col("a", Integer).col("a", Text).build();
    check(
        Change::CreateTable {
            table: dup,
            if_not_exists: false,
        },
        "error: column `p.a` already exists",
    );
}

#[test]
fn create_table_fills_foreign_key_targets_and_normalizes() {
    let t = table("proj")
        .col("id", Integer)
        .col("dept_id", Integer)
        .col("parent", Integer)
        .pk(&["id"])
        .fk(&["parent"], "proj", &[])
        .fk(&["dept_id"], "dept", &[])
        .build();
    let ops = Change::CreateTable {
        table: t,
        if_not_exists: false,
    }
    .resolve(&base())
    .unwrap();
    let [Op::CreateTable(t)] = ops.as_slice() else {
        panic!("{ops:?}")
    };
    let refs: Vec<_> = t
        .foreign_keys
        .iter()
        .map(|fk| (fk.ref_table.as_str(), fk.ref_columns.join(",")))
        .collect();
    assert_eq!(
        refs,
        [("dept", "id".to_string()), ("proj", "id".to_string())]
    );
    assert!(!t.columns[0].nullable, "primary-key column made NOT NULL");
}

#[test]
fn drop_table() {
    check(
        Change::DropTable {
            name: "emp".into(),
            if_exists: false,
        },
        "removed table `emp`",
    );
    check(
        Change::DropTable {
            name: "nope".into(),
            if_exists: false,
        },
        "error: table `nope` does not exist",
    );
    check(
        Change::DropTable {
            name: "nope".into(),
            if_exists: true,
        },
        "",
    );
    let ops = Change::DropTable {
        name: "emp".into(),
        if_exists: false,
    }
    .resolve(&base())
    .unwrap();
    assert_eq!(
        ops,
        [Op::DropTable(base().tables["emp"].clone())],
        "carries the whole table with its indexes"
    );
}

#[test]
fn alter_table_actions_see_earlier_ones() {
    check(
        alter("nope", vec![AlterAction::DropColumn("a".into())]),
        "error: table `nope` does not exist",
    );
    check(
        alter(
            "emp",
            vec![
                AlterAction::RenameTable("staff".into()),
                AlterAction::AddColumn {
                    column: col("bonus", Integer),
                    constraints: vec![],
                },
                AlterAction::RenameColumn {
                    from: "bonus".into(),
                    to: "extra".into(),
                },
                AlterAction::DropColumn("extra".into()),
            ],
        ),
        "
renamed table `emp` to `staff`
added column `staff.bonus` (INTEGER)
renamed column `staff.bonus` to `extra`
removed column `staff.extra`",
    );
    // A failing later action fails the whole statement.
    check(
        alter(
            "emp",
            vec![
                AlterAction::RenameTable("staff".into()),
                AlterAction::DropColumn("nope".into()),
            ],
        ),
        "error: column `staff.nope` does not exist",
    );
    check(
        alter("emp", vec![AlterAction::RenameTable("dept".into())]),
        "error: table `dept` already exists",
    );
    // Renames change the references of other tables (`emp` refers to `dept.id`); when
    // a later action fails, in-place resolution puts those back too (`check_on`
    // compares the whole schema).
    check(
        alter(
            "dept",
            vec![
                AlterAction::RenameTable("teams".into()),
                AlterAction::DropColumn("nope".into()),
            ],
        ),
        "error: column `teams.nope` does not exist",
    );
    check(
        alter(
            "dept",
            vec![
                AlterAction::RenameColumn {
                    from: "id".into(),
                    to: "key".into(),
                },
                AlterAction::AddColumn {
                    column: col("name", Text),
                    constraints: vec![],
                },
            ],
        ),
        "error: column `dept.name` already exists",
    );
}

#[test]
fn add_column() {
    let fk = Constraint::ForeignKey(fk(&[], "dept", &[]));
    check(
        alter(
            "emp",
            vec![AlterAction::AddColumn {
                column: col("boss", Integer),
                constraints: vec![unique(&[]), fk],
            }],
        ),
        "
added column `emp.boss` (INTEGER)
added unique constraint on `emp` (boss)
added foreign key on `emp` (boss) -> dept (id)",
    );
    check(
        alter(
            "emp",
            vec![AlterAction::AddColumn {
                column: col("name", Text),
                constraints: vec![],
            }],
        ),
        "error: column `emp.name` already exists",
    );
    let pk = Constraint::PrimaryKey(PrimaryKey {
        deferral: Default::default(),
        name: None,
        columns: vec![],
    });
    check(
        alter(
            "emp",
            vec![AlterAction::AddColumn {
                column: col("k", Integer),
                constraints: vec![pk.clone()],
            }],
        ),
        "error: table `emp` already has a primary key",
    );
    let s = schema(vec![table("t").col("a", Integer).build()]);
    let ops = alter(
        "t",
        vec![AlterAction::AddColumn {
            column: col("k", Integer),
            constraints: vec![pk],
        }],
    )
    .resolve(&s)
    .unwrap();
    assert_eq!(
        ops[0].describe(),
        "added column `t.k` (INTEGER NOT NULL)",
        "a primary-key column is NOT NULL"
    );
}

#[test]
fn drop_column_drops_what_uses_it_first() {
    check(
        alter("emp", vec![AlterAction::DropColumn("dept_id".into())]),
        "
removed index `ix_emp_dept` on `emp` (dept_id)
removed index `ix_emp_salary` on `emp` (salary DESC) where dept_id IS NOT NULL
removed foreign key on `emp` (dept_id) -> dept (id)
removed column `emp.dept_id`",
    );
    check(
        alter("emp", vec![AlterAction::DropColumn("email".into())]),
        "
removed unique index `ix_emp_email` on `emp` (lower(email))
removed check constraint `ck_email` on `emp` (email <> '')
removed column `emp.email`",
    );
    check(
        alter("emp", vec![AlterAction::DropColumn("id".into())]),
        "
removed primary key on `emp` (id)
removed column `emp.id`",
    );
    check(
        alter("emp", vec![AlterAction::DropColumn("nope".into())]),
        "error: column `emp.nope` does not exist",
    );
}

#[test]
fn rename_and_alter_column() {
    check(
        alter(
            "emp",
            vec![AlterAction::RenameColumn {
                from: "name".into(),
                to: "email".into(),
            }],
        ),
        "error: column `emp.email` already exists",
    );
    check(
        alter(
            "emp",
            vec![AlterAction::RenameColumn {
                from: "nope".into(),
                to: "x".into(),
            }],
        ),
        "error: column `emp.nope` does not exist",
    );
    let ac = |column: &str, alter: ColumnAlter| AlterAction::AlterColumn {
        column: column.into(),
        alter,
    };
    check(
        alter(
            "emp",
            vec![
                ac("salary", ColumnAlter::SetType(BigInt, Declared::default())),
                ac("salary", ColumnAlter::SetNotNull),
                ac("salary", ColumnAlter::SetDefault("0".into())),
                ac("salary", ColumnAlter::DropDefault),
                ac("name", ColumnAlter::SetNotNull),
                ac("name", ColumnAlter::DropNotNull),
            ],
        ),
        "
changed column `emp.salary`: type INTEGER -> BIGINT
changed column `emp.salary`: now NOT NULL
changed column `emp.salary`: default none -> 0
changed column `emp.salary`: default 0 -> none
changed column `emp.name`: now NOT NULL
changed column `emp.name`: now nullable",
    );
    check(
        alter("emp", vec![ac("id", ColumnAlter::DropNotNull)]),
        "error: column `emp.id` is in the primary key, so it stays NOT NULL",
    );
    check(
        alter("emp", vec![ac("nope", ColumnAlter::SetNotNull)]),
        "error: column `emp.nope` does not exist",
    );

    // An identity column is added as PostgreSQL adds one: to a NOT NULL column with
    // no default, once.
    check(
        alter(
            "emp",
            vec![ac("id", ColumnAlter::AddIdentity { always: true })],
        ),
        "changed column `emp.id`: now AUTOINCREMENT",
    );
    check(
        alter(
            "emp",
            vec![
                ac("id", ColumnAlter::AddIdentity { always: false }),
                ac("id", ColumnAlter::AddIdentity { always: false }),
            ],
        ),
        "error: column `emp.id` is an identity column already",
    );
    check(
        alter(
            "emp",
            vec![ac("salary", ColumnAlter::AddIdentity { always: false })],
        ),
        "error: column `emp.salary` must be NOT NULL before it can be an identity column",
    );
    check(
        alter(
            "emp",
            vec![
                ac("salary", ColumnAlter::SetNotNull),
                ac("salary", ColumnAlter::SetDefault("1".into())),
                ac("salary", ColumnAlter::AddIdentity { always: false }),
            ],
        ),
        "error: column `emp.salary` has a default, so it cannot be an identity column",
    );
    check(
        alter(
            "emp",
            vec![
                ac("id", ColumnAlter::AddIdentity { always: false }),
                ac("id", ColumnAlter::SetGenerated { always: true }),
                ac("id", ColumnAlter::DropIdentity { if_exists: false }),
                ac("id", ColumnAlter::DropIdentity { if_exists: true }),
            ],
        ),
        "
changed column `emp.id`: now AUTOINCREMENT
changed column `emp.id`: now GENERATED ALWAYS
changed column `emp.id`: no longer AUTOINCREMENT
changed column `emp.id`: unchanged",
    );
    for alter_ in [
        ColumnAlter::SetGenerated { always: true },
        ColumnAlter::DropIdentity { if_exists: false },
    ] {
        check(
            alter("emp", vec![ac("id", alter_)]),
            "error: column `emp.id` is not an identity column",
        );
    }
}

#[test]
fn add_constraint() {
    let pk = |cols: &[&str]| {
        Constraint::PrimaryKey(PrimaryKey {
            deferral: Default::default(),
            name: None,
            columns: cols.iter().map(|c| c.to_string()).collect(),
        })
    };
    check(
        alter("emp", vec![AlterAction::AddConstraint(pk(&["name"]))]),
        "error: table `emp` already has a primary key",
    );
    check(
        alter(
            "emp",
            vec![AlterAction::AddConstraint(unique(&["email", "name"]))],
        ),
        "added unique constraint on `emp` (email, name)",
    );
    check(
        alter("emp", vec![AlterAction::AddConstraint(unique(&["nope"]))]),
        "error: column `emp.nope` does not exist",
    );
    check(
        alter("dept", vec![AlterAction::AddConstraint(unique(&["name"]))]),
        "error: table `dept` already has unique (name)",
    );
    let named = Constraint::Check(Check {
        no_inherit: false,
        written: Default::default(),
        name: Some("ck_email".into()),
        expr: "salary < 10".into(),
    });
    check(
        alter("emp", vec![AlterAction::AddConstraint(named)]),
        "error: table `emp` already has a constraint named `ck_email`",
    );
    // Adding a primary key makes its columns NOT NULL, as an op of its own.
    check(
        alter(
            "emp",
            vec![
                AlterAction::DropConstraint("emp_pkey".into()),
                AlterAction::AddConstraint(pk(&["id", "name"])),
            ],
        ),
        "
removed primary key on `emp` (id)
changed column `emp.name`: now NOT NULL
added primary key on `emp` (id, name)",
    );
}

#[test]
fn drop_constraint_by_explicit_or_generated_name() {
    let drop = |name: &str| alter("emp", vec![AlterAction::DropConstraint(name.into())]);
    check(
        drop("ck_email"),
        "removed check constraint `ck_email` on `emp` (email <> '')",
    );
    check(
        drop("emp_salary_check"),
        "removed check constraint on `emp` (salary > 0)",
    );
    check(
        drop("emp_dept_id_fkey"),
        "removed foreign key on `emp` (dept_id) -> dept (id)",
    );
    check(drop("emp_pkey"), "removed primary key on `emp` (id)");
    check(
        drop("nope"),
        "error: table `emp` has no constraint named `nope`",
    );
    let s = schema(vec![
        table("t")
            .col("a", Integer)
            .check(None, "a > 0")
            .check(None, "a < 10")
            .build(),
    ]);
    let got = alter("t", vec![AlterAction::DropConstraint("t_a_check".into())]).resolve(&s);
    assert_eq!(
        got.unwrap_err().to_string(),
        "table `t` has more than one constraint that could be `t_a_check`; name it explicitly"
    );
}

#[test]
fn indexes() {
    let ix = |name: &str, table: &str, cols: &[&str]| Change::CreateIndex {
        index: index(name, table, cols),
        if_not_exists: false,
    };
    check(
        ix("ix_new", "emp", &["name", "salary DESC", "lower(email)"]),
        "added index `ix_new` on `emp` (name, salary DESC, lower(email))",
    );
    check(
        ix("ix_emp_dept", "dept", &["name"]),
        "error: index `ix_emp_dept` already exists",
    );
    check(
        Change::CreateIndex {
            index: index("ix_emp_dept", "dept", &["name"]),
            if_not_exists: true,
        },
        "",
    );
    check(
        ix("ix_new", "nope", &["name"]),
        "error: table `nope` does not exist",
    );
    check(
        ix("ix_new", "emp", &["nope DESC"]),
        "error: column `emp.nope` does not exist",
    );
    check(
        Change::DropIndex {
            name: "ix_emp_email".into(),
            table: None,
            if_exists: false,
        },
        "removed unique index `ix_emp_email` on `emp` (lower(email))",
    );
    check(
        Change::DropIndex {
            name: "nope".into(),
            table: None,
            if_exists: false,
        },
        "error: index `nope` does not exist",
    );
    check(
        Change::DropIndex {
            name: "nope".into(),
            table: None,
            if_exists: true,
        },
        "",
    );
}

#[test]
fn rename_table_moves_indexes_and_references() {
    let mut s = schema(vec![
        table("dept")
            .col("id", Integer)
            .col("parent", Integer)
            .pk(&["id"])
            .fk(&["parent"], "dept", &["id"])
            .index("ix_dept_parent", &["parent"], false, None)
            .build(),
        table("emp")
            .col("dept_id", Integer)
            .fk(&["dept_id"], "dept", &["id"])
            .build(),
    ]);
    Op::RenameTable {
        from: "dept".into(),
        to: "department".into(),
    }
    .apply(&mut s)
    .unwrap();
    let expected = schema(vec![
        table("department")
            .col("id", Integer)
            .col("parent", Integer)
            .pk(&["id"])
            .fk(&["parent"], "department", &["id"])
            .index("ix_dept_parent", &["parent"], false, None)
            .build(),
        table("emp")
            .col("dept_id", Integer)
            .fk(&["dept_id"], "department", &["id"])
            .build(),
    ]);
    assert_eq!(s, expected);
}

#[test]
fn rename_column_follows_every_use() {
    let mut s = base();
    let rename = |s: &mut Schema, table: &str, from: &str, to: &str| {
        Op::RenameColumn {
            table: table.into(),
            from: from.into(),
            to: to.into(),
        }
        .apply(s)
        .unwrap()
    };
    rename(&mut s, "emp", "email", "mail");
    rename(&mut s, "emp", "salary", "pay");
    rename(&mut s, "emp", "dept_id", "dept");
    rename(&mut s, "dept", "id", "dept_no");
    let emp = &s.tables["emp"];
    let names: Vec<_> = emp.columns.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["id", "name", "mail", "dept", "pay"]);
    assert_eq!(emp.foreign_keys, [fk(&["dept"], "dept", &["dept_no"])]);
    let checks: Vec<_> = emp.checks.iter().map(|c| c.expr.as_str()).collect();
    assert_eq!(checks, ["pay > 0", "mail <> ''"]);
    let ixs: Vec<_> = emp
        .indexes
        .iter()
        .map(|ix| (ix.columns.join(","), ix.predicate.clone()))
        .collect();
    assert_eq!(
        ixs,
        [
            ("dept".to_string(), None),
            ("lower(mail)".to_string(), None),
            ("pay DESC".to_string(), Some("dept IS NOT NULL".to_string())),
        ]
    );
    assert_eq!(
        s.tables["dept"].primary_key.as_ref().unwrap().columns,
        ["dept_no"]
    );
}

/// An index part that is a column holds the column's bare name, whatever it holds:
/// renaming the column renames the part (and its inverse renames it back), and
/// dropping the column finds the index. Before, a name that was no single token
/// (`first name`, `c); DELETE FROM victim; --`) was not found, so the diff dropped and
/// re-created the index and the downgrade wrote the old name bare.
#[test]
fn rename_column_follows_an_index_part_whose_name_needs_quoting() {
    for old in ["first name", "c); DELETE FROM victim; --", "x DESC"] {
        let mut s = schema(vec![
            table("t")
                .col("id", Integer)
                .col(old, Text)
                .index("ix", &[old, "id"], false, None)
                .index("ix_desc", &[&format!("{old} DESC")], false, None)
                .build(),
        ]);
        let rename = Op::RenameColumn {
            table: "t".into(),
            from: old.into(),
            to: "new".into(),
        };
        rename.apply(&mut s).unwrap();
        let parts: Vec<_> = s.tables["t"]
            .indexes
            .iter()
            .map(|ix| ix.columns.join(","))
            .collect();
        assert_eq!(parts, ["new,id", "new DESC"], "{old}");
        rename.invert().apply(&mut s).unwrap();
        let parts: Vec<_> = s.tables["t"]
            .indexes
            .iter()
            .map(|ix| ix.columns.join(","))
            .collect();
        assert_eq!(parts, [format!("{old},id"), format!("{old} DESC")], "{old}");
        assert!(index_uses(&s.tables["t"].indexes[0], old), "{old}");
    }
}

/// A column an index includes (PostgreSQL's `INCLUDE (...)`) is one the index uses:
/// a rename renames it there, and the inverse back; a missing one is an error.
#[test]
fn rename_column_follows_an_included_column() {
    let mut t = table("t").col("id", Integer).col("note", Text).build();
    t.indexes.push(Index {
        include: vec!["note".into()],
        ..crate::build_test::index("ix", "t", &["id"])
    });
    let mut s = schema(vec![t]);
    let rename = Op::RenameColumn {
        table: "t".into(),
        from: "note".into(),
        to: "memo".into(),
    };
    rename.apply(&mut s).unwrap();
    assert_eq!(s.tables["t"].indexes[0].include, ["memo"]);
    assert!(index_uses(&s.tables["t"].indexes[0], "memo"));
    rename.invert().apply(&mut s).unwrap();
    assert_eq!(s.tables["t"].indexes[0].include, ["note"]);
    let mut wrong = s.tables["t"].indexes[0].clone();
    wrong.name = "ix2".into();
    wrong.include = vec!["gone".into()];
    assert!(Op::CreateIndex(wrong).apply(&mut s).is_err());
}

#[test]
fn rename_column_in_self_reference_and_unique() {
    let mut s = schema(vec![
        table("n")
            .col("id", Integer)
            .col("up", Integer)
            .pk(&["id"])
            .unique(&["id", "up"])
            .fk(&["up"], "n", &["id"])
            .build(),
    ]);
    Op::RenameColumn {
        table: "n".into(),
        from: "id".into(),
        to: "key".into(),
    }
    .apply(&mut s)
    .unwrap();
    let expected = schema(vec![
        table("n")
            .col("key", Integer)
            .col("up", Integer)
            .pk(&["key"])
            .unique(&["key", "up"])
            .fk(&["up"], "n", &["key"])
            .build(),
    ]);
    assert_eq!(s, expected);
}

#[test]
fn apply_errors_leave_the_schema_alone() {
    let cases: Vec<(Op, &str)> = vec![
        (
            Op::DropColumn {
                table: "emp".into(),
                column: col("dept_id", Integer),
            },
            "cannot drop column `emp.dept_id`: foreign key (dept_id) -> dept (id), index `ix_emp_dept`, index `ix_emp_salary` still uses it",
        ),
        (
            Op::DropConstraint {
                table: "emp".into(),
                constraint: unique(&["name"]),
            },
            "table `emp` has no constraint named `emp_name_key`",
        ),
        (
            Op::CreateTable(Table {
                indexes: vec![index("ix", "other", &[])],
                ..table("p").build()
            }),
            "index `ix` of table `p` says it is on `other`",
        ),
        (
            Op::CreateTable(table("q").index("ix_emp_dept", &[], false, None).build()),
            "index `ix_emp_dept` already exists",
        ),
        (
            Op::DropIndex(index("ix_emp_dept", "dept", &[])),
            "index `ix_emp_dept` does not exist",
        ),
        (
            Op::AlterColumn {
                table: "emp".into(),
                from: col("name", Text),
                to: col("nom", Text),
            },
            "changing column `emp.name` cannot rename it to `nom`",
        ),
        (
            Op::AddColumn {
                table: "nope".into(),
                column: col("a", Text),
            },
            "table `nope` does not exist",
        ),
        (
            Op::AddConstraint {
                table: "emp".into(),
                constraint: Constraint::ForeignKey(fk(&["name"], "dept", &["id", "name"])),
            },
            "foreign key (name) -> dept (id, name) on `emp` has 1 columns but references 2",
        ),
    ];
    for (op, expect) in cases {
        let mut s = base();
        assert_eq!(op.apply(&mut s).unwrap_err().to_string(), expect, "{op:?}");
        assert_eq!(s, base());
    }
}

#[test]
fn invert_twice_is_identity() {
    let s = base();
    let ops = vec![
        Op::CreateTable(s.tables["dept"].clone()),
        Op::DropTable(s.tables["emp"].clone()),
        Op::RenameTable {
            from: "a".into(),
            to: "b".into(),
        },
        Op::AddColumn {
            table: "t".into(),
            column: col("a", Text),
        },
        Op::DropColumn {
            table: "t".into(),
            column: col("a", Text),
        },
        Op::RenameColumn {
            table: "t".into(),
            from: "a".into(),
            to: "b".into(),
        },
        Op::AlterColumn {
            table: "t".into(),
            from: col("a", Text),
            to: col("a", Integer),
        },
        Op::AddConstraint {
            table: "t".into(),
            constraint: unique(&["a"]),
        },
        Op::DropConstraint {
            table: "t".into(),
            constraint: unique(&["a"]),
        },
        Op::CreateIndex(index("ix", "t", &["a"])),
        Op::DropIndex(index("ix", "t", &["a"])),
    ];
    for op in ops {
        assert_eq!(op.invert().invert(), op);
        assert_ne!(op.invert(), op);
        assert_eq!(
            op.invert().table(),
            if let Op::RenameTable { .. } = op {
                "b"
            } else {
                op.table()
            }
        );
    }
}

#[test]
fn describe_and_destructiveness() {
    let salary = |ty: ColumnType, nullable: bool, default: Option<&str>| Column {
        nullable,
        default: default.map(Into::into),
        ..col("salary", ty)
    };
    let cases: Vec<(Op, &str, Option<&str>)> = vec![
        (
            Op::CreateTable(table("department").build()),
            "added table `department`",
            None,
        ),
        (
            Op::DropTable(table("department").build()),
            "removed table `department`",
            Some("drops table `department` and every row in it"),
        ),
        (
            Op::RenameTable {
                from: "department".into(),
                to: "departments".into(),
            },
            "renamed table `department` to `departments`",
            None,
        ),
        (
            Op::AddColumn {
                table: "departments".into(),
                column: Column {
                    nullable: false,
                    ..col("location", Varchar(None))
                },
            },
            "added column `departments.location` (VARCHAR NOT NULL)",
            None,
        ),
        (
            Op::AddColumn {
                table: "t".into(),
                column: Column {
                    default: Some("'x'".into()),
                    collation: Some("NOCASE".into()),
                    auto_increment: true,
                    generated_always: false,
                    on_update: None,
                    ..col("c", Text)
                },
            },
            "added column `t.c` (TEXT DEFAULT 'x' COLLATE NOCASE AUTOINCREMENT)",
            None,
        ),
        (
            Op::DropColumn {
                table: "departments".into(),
                column: col("address", Text),
            },
            "removed column `departments.address`",
            Some("drops column `departments.address` and every value in it"),
        ),
        (
            Op::RenameColumn {
                table: "departments".into(),
                from: "address".into(),
                to: "location".into(),
            },
            "renamed column `departments.address` to `location`",
            None,
        ),
        (
            Op::AlterColumn {
                table: "employees".into(),
                from: salary(Integer, true, None),
                to: salary(BigInt, false, Some("0")),
            },
            "changed column `employees.salary`: type INTEGER -> BIGINT, now NOT NULL, default none -> 0",
            None,
        ),
        (
            Op::AlterColumn {
                table: "employees".into(),
                from: salary(BigInt, true, None),
                to: salary(Integer, true, None),
            },
            "changed column `employees.salary`: type BIGINT -> INTEGER",
            Some(
                "narrows column `employees.salary` from BIGINT to INTEGER: \
                 values that do not fit are lost or rejected",
            ),
        ),
        (
            Op::AlterColumn {
                table: "t".into(),
                from: col("c", Text),
                to: Column {
                    collation: Some("NOCASE".into()),
                    auto_increment: true,
                    generated_always: false,
                    on_update: None,
                    ..col("c", Text)
                },
            },
            "changed column `t.c`: collation none -> NOCASE, now AUTOINCREMENT",
            None,
        ),
        (
            Op::AlterColumn {
                table: "t".into(),
                from: col("c", Text),
                to: col("c", Text),
            },
            "changed column `t.c`: unchanged",
            None,
        ),
        (
            Op::AddConstraint {
                table: "t".into(),
                constraint: unique(&["a", "b"]),
            },
            "added unique constraint on `t` (a, b)",
            None,
        ),
        (
            Op::DropConstraint {
                table: "t".into(),
                constraint: Constraint::ForeignKey(fk(&["d"], "dept", &["id"])),
            },
            "removed foreign key on `t` (d) -> dept (id)",
            None,
        ),
        (
            Op::CreateIndex(index("ix_name", "t", &["a", "b"])),
            "added index `ix_name` on `t` (a, b)",
            None,
        ),
        (
            Op::CreateIndex(Index {
                unique: true,
                predicate: Some("a > 0".into()),
                method: None,
                nulls_not_distinct: false,
                comment: None,
                include: Vec::new(),
                storage: Vec::new(),
                ..index("ux", "t", &["a"])
            }),
            "added unique index `ux` on `t` (a) where a > 0",
            None,
        ),
        (
            Op::DropIndex(index("ix_name", "t", &["a"])),
            "removed index `ix_name` on `t` (a)",
            None,
        ),
        (
            Op::AlterIndex {
                from: index("ix_name", "t", &["a"]),
                to: Index {
                    hidden: Some("IGNORED".into()),
                    ..index("ix_name", "t", &["a"])
                },
            },
            "changed index `ix_name` on `t`: visible -> IGNORED",
            None,
        ),
        (
            Op::CreateEnum {
                name: "mood".into(),
                labels: vec!["sad".into(), "it's".into()],
            },
            "added enum type `mood` ('sad', 'it''s')",
            None,
        ),
        (
            Op::DropEnum {
                name: "mood".into(),
                labels: vec!["sad".into()],
            },
            "removed enum type `mood` ('sad')",
            None,
        ),
        (
            Op::AddEnumValue {
                name: "mood".into(),
                value: "meh".into(),
                position: LabelPosition::Before("ok".into()),
            },
            "added value 'meh' to enum type `mood` before 'ok'",
            None,
        ),
        (
            Op::DropEnumValue {
                name: "mood".into(),
                value: "meh".into(),
                position: LabelPosition::Last,
            },
            "removed value 'meh' from enum type `mood`",
            Some(
                "removes value 'meh' from enum type `mood`: stored 'meh' values are lost or rejected",
            ),
        ),
        (
            Op::RenameEnum {
                from: "mood".into(),
                to: "feeling".into(),
            },
            "renamed enum type `mood` to `feeling`",
            None,
        ),
        (
            Op::RenameEnumValue {
                name: "mood".into(),
                from: "ok".into(),
                to: "fine".into(),
            },
            "renamed value 'ok' of enum type `mood` to 'fine'",
            None,
        ),
        (
            Op::AlterTableOptions {
                table: "t".into(),
                from: TableOptions {
                    charset: Some("latin1".into()),
                    comment: Some("old".into()),
                    ..TableOptions::default()
                },
                to: TableOptions {
                    charset: Some("utf8mb4".into()),
                    engine: Some("myisam".into()),
                    ..TableOptions::default()
                },
                columns: Vec::new(),
            },
            "changed table `t`: character set latin1 -> utf8mb4, engine default -> myisam, comment",
            None,
        ),
        (
            Op::RenameConstraint {
                table: "t".into(),
                from: Constraint::Unique(Unique {
                    deferral: Default::default(),
                    name: None,
                    columns: vec!["a".into()],
                }),
                to: Constraint::Unique(Unique {
                    deferral: Default::default(),
                    name: Some("t_a_unique".into()),
                    columns: vec!["a".into()],
                }),
            },
            "renamed unique constraint on `t` (a) to `t_a_unique`",
            None,
        ),
        // A view stores no data: dropping one loses nothing.
        (Op::CreateView(view("v")), "added view `v`", None),
        (Op::DropView(view("v")), "removed view `v`", None),
        (
            Op::ReplaceView {
                from: view("v"),
                to: View {
                    normalized: "SELECT 2".into(),
                    ..view("v")
                },
            },
            "changed view `v`",
            None,
        ),
        (
            Op::RenameView {
                from: "v".into(),
                to: "w".into(),
            },
            "renamed view `v` to `w`",
            None,
        ),
        (
            Op::CreateExtension(crate::model::Extension {
                name: "citext".into(),
                schema: None,
            }),
            "added extension `citext`",
            None,
        ),
        (
            Op::DropExtension(crate::model::Extension {
                name: "citext".into(),
                schema: Some("public".into()),
            }),
            "removed extension `citext`",
            None,
        ),
        (
            Op::CreateRoutine(routine("f", &["integer"])),
            "added function `f(integer)`",
            None,
        ),
        (
            Op::DropRoutine(routine("f", &["integer"])),
            "removed function `f(integer)`",
            None,
        ),
        (
            Op::ReplaceRoutine {
                from: routine("f", &[]),
                to: routine("f", &[]),
            },
            "changed function `f()`",
            None,
        ),
        (
            Op::CreateTrigger(trigger("tr", "t")),
            "added trigger `tr` on `t`",
            None,
        ),
        (
            Op::DropTrigger(trigger("tr", "t")),
            "removed trigger `tr` on `t`",
            None,
        ),
        (
            Op::AlterTrigger {
                from: pg_trigger("tr", "t"),
                to: Trigger {
                    state: TriggerState::Replica,
                    ..pg_trigger("tr", "t")
                },
            },
            "changed trigger `tr` on `t`: enabled replica",
            None,
        ),
        (
            Op::RenameTrigger {
                table: "t".into(),
                from: "a".into(),
                to: "b".into(),
            },
            "renamed trigger `a` on `t` to `b`",
            None,
        ),
        (
            Op::SetRowSecurity {
                table: "t".into(),
                from: RowSecurity::default(),
                to: RowSecurity {
                    enabled: true,
                    forced: false,
                },
            },
            "changed table `t`: row-level security enabled",
            None,
        ),
        (
            Op::CreatePolicy(policy("p", "t")),
            "added policy `p` on `t`",
            None,
        ),
        (
            Op::DropPolicy(policy("p", "t")),
            "removed policy `p` on `t`",
            None,
        ),
        (
            Op::CreateRule(rule("r", "t")),
            "added rule `r` on `t`",
            None,
        ),
        (
            Op::DropRule(rule("r", "t")),
            "removed rule `r` on `t`",
            None,
        ),
        (
            Op::CreateType(UserType::Composite(composite("addr", &["street", "zip"]))),
            "added composite type `addr`",
            None,
        ),
        (
            Op::DropType(UserType::Range(range("span"))),
            "removed range type `span`",
            None,
        ),
        (
            Op::AlterComposite {
                from: composite("addr", &["street", "zip"]),
                to: composite("addr", &["street", "zip", "city"]),
            },
            "changed composite type `addr`",
            None,
        ),
        (
            Op::AlterComposite {
                from: composite("addr", &["street", "zip"]),
                to: composite("addr", &["zip"]),
            },
            "changed composite type `addr`",
            Some(
                "drops attribute `street` of composite type `addr` and every value the columns of the type hold in it",
            ),
        ),
        (Op::CreateDomain(domain("d")), "added domain `d`", None),
        (Op::DropDomain(domain("d")), "removed domain `d`", None),
        (
            Op::AlterDomain {
                from: domain("d"),
                to: domain("d"),
            },
            "changed domain `d`",
            None,
        ),
        (
            Op::CreateSequence(sequence("s")),
            "added sequence `s`",
            None,
        ),
        (
            Op::DropSequence(sequence("s")),
            "removed sequence `s`",
            None,
        ),
        (
            Op::AlterSequence {
                from: sequence("s"),
                to: crate::model::Sequence {
                    cycle: true,
                    ..sequence("s")
                },
            },
            "changed sequence `s`",
            None,
        ),
        (
            Op::AlterSequence {
                from: sequence("s"),
                to: crate::model::Sequence {
                    owned_by: Some(("t".into(), "id".into())),
                    ..sequence("s")
                },
            },
            "changed the owner of sequence `s`: none -> t.id",
            None,
        ),
        (
            Op::RenameSequence {
                from: "s".into(),
                to: "t".into(),
            },
            "renamed sequence `s` to `t`",
            None,
        ),
        (
            Op::SetComment {
                on: crate::CommentOn::Constraint {
                    table: "t".into(),
                    name: "k".into(),
                },
                from: Some("old".into()),
                to: None,
            },
            "removed the comment on constraint `k` on `t`",
            None,
        ),
    ];
    // The cases cover every kind of op: a new kind makes this match fail to compile,
    // and a kind without a case fails the count.
    let kind = |op: &Op| match op {
        Op::CreateTable(_) => 0,
        Op::DropTable(_) => 1,
        Op::RenameTable { .. } => 2,
        Op::AddColumn { .. } => 3,
        Op::DropColumn { .. } => 4,
        Op::RenameColumn { .. } => 5,
        Op::AlterColumn { .. } => 6,
        Op::AddConstraint { .. } => 7,
        Op::DropConstraint { .. } => 8,
        Op::CreateIndex(_) => 9,
        Op::DropIndex(_) => 10,
        Op::CreateEnum { .. } => 11,
        Op::DropEnum { .. } => 12,
        Op::AddEnumValue { .. } => 13,
        Op::DropEnumValue { .. } => 14,
        Op::RenameEnum { .. } => 15,
        Op::RenameEnumValue { .. } => 16,
        Op::AlterTableOptions { .. } => 17,
        Op::RenameConstraint { .. } => 18,
        Op::CreateView(_) => 19,
        Op::DropView(_) => 20,
        Op::ReplaceView { .. } => 21,
        Op::RenameView { .. } => 22,
        Op::CreateExtension(_) => 23,
        Op::DropExtension(_) => 24,
        Op::CreateRoutine(_) => 25,
        Op::DropRoutine(_) => 26,
        Op::ReplaceRoutine { .. } => 27,
        Op::CreateTrigger(_) => 28,
        Op::DropTrigger(_) => 29,
        Op::CreateDomain(_) => 30,
        Op::DropDomain(_) => 31,
        Op::AlterDomain { .. } => 32,
        Op::CreateSequence(_) => 33,
        Op::DropSequence(_) => 34,
        Op::AlterSequence { .. } => 35,
        Op::RenameSequence { .. } => 36,
        Op::AlterTrigger { .. } => 37,
        Op::RenameTrigger { .. } => 38,
        Op::SetRowSecurity { .. } => 39,
        Op::CreatePolicy(_) => 40,
        Op::DropPolicy(_) => 41,
        Op::CreateType(_) => 42,
        Op::DropType(_) => 43,
        Op::AlterComposite { .. } => 44,
        Op::SetComment { .. } => 45,
        Op::CreateRule(_) => 46,
        Op::DropRule(_) => 47,
        Op::AlterIndex { .. } => 48,
    };
    let kinds: std::collections::BTreeSet<i32> = cases.iter().map(|(op, ..)| kind(op)).collect();
    assert_eq!(kinds.len(), 49, "a kind of op has no case");
    for (op, text, loss) in cases {
        assert_eq!(
            (op.describe().as_str(), op.data_loss().as_deref()),
            (text, loss)
        );
        assert_eq!(op.is_destructive(), loss.is_some(), "{text}");
    }
}

/// [`base`] with the enum `mood` ('sad', 'ok') and a table `person` whose `mood`
/// column uses it, with the default 'ok'.
fn with_enum() -> Schema {
    let mut s = base();
    s.enums
        .insert("mood".into(), vec!["sad".into(), "ok".into()]);
    let mut person = table("person")
        .col("id", Integer)
        .col("mood", ColumnType::Enum("mood".into()))
        .pk(&["id"])
        .build();
    person.columns[1].default = Some("'ok'".into());
    s.tables.insert("person".into(), person);
    s
}

#[test]
fn enum_types_resolve_apply_and_invert() {
    let s = with_enum;
    let enum_change = |name: &str, labels: &[&str]| Change::CreateEnum {
        name: name.into(),
        labels: labels.iter().map(|l| l.to_string()).collect(),
    };
    check_on(
        s(),
        enum_change("size", &["s", "m"]),
        "added enum type `size` ('s', 'm')",
    );
    check_on(
        s(),
        enum_change("mood", &["a"]),
        "error: enum type `mood` already exists",
    );
    check_on(
        s(),
        enum_change("twice", &["a", "a"]),
        "error: enum type `twice` has the value 'a' twice",
    );
    let drop = |name: &str, if_exists| Change::DropEnum {
        name: name.into(),
        if_exists,
    };
    check_on(
        s(),
        drop("mood", false),
        "error: cannot drop enum type `mood`: column `person.mood` still uses it",
    );
    check_on(s(), drop("nope", true), "");
    check_on(
        s(),
        drop("nope", false),
        "error: enum type `nope` does not exist",
    );
    let mut unused = s();
    unused.tables.remove("person");
    check_on(
        unused,
        drop("mood", false),
        "removed enum type `mood` ('sad', 'ok')",
    );
    let add = |value: &str, position: LabelPosition, if_not_exists| Change::AddEnumValue {
        name: "mood".into(),
        value: value.into(),
        position,
        if_not_exists,
    };
    check_on(
        s(),
        add("meh", LabelPosition::Before("ok".into()), false),
        "added value 'meh' to enum type `mood` before 'ok'",
    );
    check_on(
        s(),
        add("happy", LabelPosition::Last, false),
        "added value 'happy' to enum type `mood`",
    );
    check_on(
        s(),
        add("ok", LabelPosition::Last, false),
        "error: enum type `mood` already has the value 'ok'",
    );
    check_on(s(), add("ok", LabelPosition::Last, true), "");
    check_on(
        s(),
        add("x", LabelPosition::After("nope".into()), false),
        "error: enum type `mood` has no value 'nope'",
    );
    check_on(
        s(),
        Change::RenameEnumValue {
            name: "mood".into(),
            from: "ok".into(),
            to: "fine".into(),
        },
        "renamed value 'ok' of enum type `mood` to 'fine'",
    );
    check_on(
        s(),
        Change::RenameEnum {
            from: "mood".into(),
            to: "emp".into(),
        },
        "renamed enum type `mood` to `emp`",
    );
    check_on(
        s(),
        Change::RenameEnum {
            from: "nope".into(),
            to: "x".into(),
        },
        "error: enum type `nope` does not exist",
    );
}

#[test]
fn enum_labels_go_where_the_position_says_and_come_back_out() {
    let mut s = with_enum();
    let add = |value: &str, position| Op::AddEnumValue {
        name: "mood".into(),
        value: value.into(),
        position,
    };
    let ops = [
        add("meh", LabelPosition::Before("ok".into())),
        add("happy", LabelPosition::Last),
        add("low", LabelPosition::After("sad".into())),
    ];
    for op in &ops {
        op.apply(&mut s).unwrap();
    }
    assert_eq!(s.enums["mood"], ["sad", "low", "meh", "ok", "happy"]);
    for op in ops.iter().rev() {
        op.invert().apply(&mut s).unwrap();
    }
    assert_eq!(s, with_enum());
}

#[test]
fn renames_of_enums_and_labels_carry_columns_and_defaults_along() {
    let mut s = with_enum();
    let rename_value = Op::RenameEnumValue {
        name: "mood".into(),
        from: "ok".into(),
        to: "it's ok".into(),
    };
    rename_value.apply(&mut s).unwrap();
    let column = |s: &Schema| s.tables["person"].columns[1].clone();
    assert_eq!(column(&s).default.as_deref(), Some("'it''s ok'"));
    let rename = Op::RenameEnum {
        from: "mood".into(),
        to: "feeling".into(),
    };
    rename.apply(&mut s).unwrap();
    assert_eq!(column(&s).ty, ColumnType::Enum("feeling".into()));
    assert_eq!(s.enums["feeling"], ["sad", "it's ok"]);
    rename.invert().apply(&mut s).unwrap();
    rename_value.invert().apply(&mut s).unwrap();
    assert_eq!(s, with_enum());
}

#[test]
fn renames_of_enums_and_labels_carry_enum_array_columns_and_defaults_along() {
    let mut s = with_enum();
    let mut moods = col("moods", ColumnType::EnumArray("mood".into()));
    moods.default = Some("'{sad,ok,NULL}'".into());
    s.tables.get_mut("person").unwrap().columns.push(moods);
    let column = |s: &Schema| s.tables["person"].columns[2].clone();
    let rename_value = Op::RenameEnumValue {
        name: "mood".into(),
        from: "ok".into(),
        to: "it's ok".into(),
    };
    rename_value.apply(&mut s).unwrap();
    assert_eq!(
        column(&s).default.as_deref(),
        Some("'{sad,\"it''s ok\",NULL}'")
    );
    let rename = Op::RenameEnum {
        from: "mood".into(),
        to: "feeling".into(),
    };
    rename.apply(&mut s).unwrap();
    assert_eq!(column(&s).ty, ColumnType::EnumArray("feeling".into()));
    rename.invert().apply(&mut s).unwrap();
    rename_value.invert().apply(&mut s).unwrap();
    assert_eq!(column(&s).default.as_deref(), Some("'{sad,ok,NULL}'"));
    // The array column uses the type: it cannot be dropped under it.
    let drop = Op::DropEnum {
        name: "mood".into(),
        labels: vec!["sad".into(), "ok".into()],
    };
    s.tables.get_mut("person").unwrap().columns.remove(1);
    assert!(drop.apply(&mut s.clone()).is_err());
    assert_eq!(s.enum_users("mood"), [("person".into(), "moods".into())]);
}

#[test]
fn a_label_renamed_in_an_array_literal_is_spelled_as_postgres_prints_it() {
    let rename = |lit: &str, from: &str, to: &str| rename_in_array_literal(lit, from, to);
    assert_eq!(rename("'{a,b,a}'", "a", "c").as_deref(), Some("'{c,b,c}'"));
    assert_eq!(
        rename("'{\"a b\",c}'", "a b", "d").as_deref(),
        Some("'{d,c}'")
    );
    assert_eq!(
        rename("'{a}'", "a", "x,\"y").as_deref(),
        Some("'{\"x,\\\"y\"}'")
    );
    assert_eq!(rename("'{NULL}'", "NULL", "x"), None);
    assert_eq!(
        rename("'{\"NULL\"}'", "NULL", "x").as_deref(),
        Some("'{x}'")
    );
    assert_eq!(rename("'{}'", "a", "b"), None);
    assert_eq!(rename("'{b}'", "a", "c"), None);
    assert_eq!(rename("'{{a}}'", "a", "c"), None);
    assert_eq!(rename("ARRAY['a']", "a", "c"), None);
}

#[test]
fn type_names_that_name_an_enum_become_enum_columns() {
    let s = with_enum();
    let custom = |t: &str| ColumnType::Custom(t.into());
    // Unquoted (folded), quoted, qualified by the default schema.
    for ty in ["MOOD", "\"mood\"", "PUBLIC.MOOD"] {
        let change = Change::CreateTable {
            table: table("t").col("m", custom(ty)).build(),
            if_not_exists: false,
        };
        let ops = change.resolve(&s).unwrap();
        let Op::CreateTable(t) = &ops[0] else {
            panic!("{ops:?}")
        };
        assert_eq!(t.columns[0].ty, ColumnType::Enum("mood".into()), "{ty}");
    }
    // An array of the enum is an enum array.
    for ty in ["MOOD[]", "\"mood\"[]", "PUBLIC.MOOD[]"] {
        let want = ColumnType::EnumArray("mood".into());
        assert_eq!(custom(ty).resolve_enum(&s.enums), want, "{ty}");
    }
    // A quoted name keeps its case; other types stay custom.
    for ty in [
        "\"Mood\"",
        "\"Mood\"[]",
        "INTEGER[]",
        "CITEXT",
        "OTHER.MOOD",
    ] {
        assert_eq!(custom(ty).resolve_enum(&s.enums), custom(ty), "{ty}");
    }
    let add = alter(
        "person",
        vec![AlterAction::AddColumn {
            column: col("other", custom("MOOD")),
            constraints: vec![],
        }],
    );
    check_on(s.clone(), add, "added column `person.other` (mood)");
    let retype = alter(
        "emp",
        vec![AlterAction::AlterColumn {
            column: "name".into(),
            alter: ColumnAlter::SetType(custom("MOOD"), Declared::default()),
        }],
    );
    check_on(
        s.clone(),
        retype,
        "changed column `emp.name`: type TEXT -> mood",
    );
    // An op naming an enum the schema lacks does not apply.
    let op = Op::AddColumn {
        table: "person".into(),
        column: col("x", ColumnType::Enum("nope".into())),
    };
    assert_eq!(
        op.apply(&mut s.clone()),
        Err(ApplyError::NoSuchEnum("nope".into()))
    );
}

/// A view `name` over table `t` (`SELECT a FROM t`), as the parser would fill it.
fn view(name: &str) -> View {
    View {
        name: name.into(),
        definition: "SELECT a FROM t".into(),
        normalized: "SELECT a FROM t".into(),
        reads: vec!["t".into()],
        reads_columns: vec!["a".into()],
        ..View::default()
    }
}

#[test]
fn views_resolve_apply_and_invert() {
    let mut s = base();
    let create = Change::CreateView {
        view: view("v"),
        or_replace: false,
        if_not_exists: false,
    };
    let ops = create.apply(&mut s).unwrap();
    assert_eq!(ops, vec![Op::CreateView(view("v"))]);
    assert_eq!(create.resolve(&s), Err(ApplyError::ViewExists("v".into())));
    // `OR REPLACE` of an existing view replaces it, carrying the old one.
    let newer = View {
        definition: "SELECT a, 1 AS b FROM t".into(),
        normalized: "SELECT a, 1 AS b FROM t".into(),
        ..view("v")
    };
    let replace = Change::CreateView {
        view: newer.clone(),
        or_replace: true,
        if_not_exists: false,
    };
    let ops = replace.apply(&mut s).unwrap();
    assert_eq!(
        ops,
        vec![Op::ReplaceView {
            from: view("v"),
            to: newer.clone()
        }]
    );
    let before = s.clone();
    let drop = Change::DropView {
        names: vec!["v".into()],
        if_exists: false,
    };
    let ops = drop.apply(&mut s).unwrap();
    assert!(s.views.is_empty());
    for op in Op::invert_all(&ops) {
        op.apply(&mut s).unwrap();
    }
    assert_eq!(s, before);
    assert_eq!(s.views["v"].definition, newer.definition);
    let missing = Change::DropView {
        names: vec!["nope".into()],
        if_exists: false,
    };
    assert_eq!(
        missing.resolve(&s),
        Err(ApplyError::NoSuchView("nope".into()))
    );
    let rename = Change::RenameView {
        from: "v".into(),
        to: "w".into(),
    };
    rename.apply(&mut s).unwrap();
    assert_eq!(s.views["w"].name, "w");
}

/// A function `name(types)` returning an integer.
fn routine(name: &str, types: &[&str]) -> Routine {
    let args = types.join(", ");
    Routine {
        name: name.into(),
        kind: RoutineKind::Function,
        arg_types: types.iter().map(|t| t.to_string()).collect(),
        definition: format!("({args}) RETURNS integer LANGUAGE sql AS $$SELECT 1$$"),
        head: format!("({args}) returns integer"),
        normalized: format!("({args}) returns integer language sql as $$SELECT 1$$"),
        by_name: false,
        uses: Vec::new(),
    }
}

/// A trigger `name` on `table` that inserts into `log`, normalized as written.
fn trigger(name: &str, table: &str) -> Trigger {
    Trigger {
        name: name.into(),
        table: table.into(),
        timing: "AFTER INSERT".into(),
        body: "BEGIN INSERT INTO log VALUES (NEW.a); END".into(),
        normalized: "AFTER INSERT BEGIN INSERT INTO log VALUES ( NEW.a ) ; END".into(),
        follows_renames: false,
        ..Trigger::default()
    }
}

/// A policy `name` on `table` that shows the rows whose `owner` is the user.
fn policy(name: &str, table: &str) -> Policy {
    Policy {
        name: name.into(),
        table: table.into(),
        permissive: true,
        command: "ALL".into(),
        roles: vec!["public".into()],
        using: Some("owner = CURRENT_USER".into()),
        check: None,
    }
}

#[test]
fn policies_and_row_security_go_with_their_table_and_follow_renames() {
    let mut s = base();
    s.tables.insert(
        "t".into(),
        table("t").col("id", Integer).col("owner", Text).build(),
    );
    Op::CreatePolicy(policy("p", "t")).apply(&mut s).unwrap();
    let on = RowSecurity {
        enabled: true,
        forced: true,
    };
    Change::SetRowSecurity {
        table: "t".into(),
        enabled: Some(true),
        forced: Some(true),
    }
    .resolve(&s)
    .unwrap()[0]
        .apply(&mut s)
        .unwrap();
    assert_eq!(s.row_security.get("t"), Some(&on));
    // A column renamed: the policy's expression follows, as PostgreSQL's does.
    let mut renamed = s.clone();
    Op::RenameColumn {
        table: "t".into(),
        from: "owner".into(),
        to: "who".into(),
    }
    .apply(&mut renamed)
    .unwrap();
    let p = &renamed.policies[&policy_key("t", "p")];
    assert_eq!(p.using.as_deref(), Some("who = CURRENT_USER"));
    // A table renamed keeps both under its new name.
    Op::RenameTable {
        from: "t".into(),
        to: "u".into(),
    }
    .apply(&mut renamed)
    .unwrap();
    assert!(renamed.policies.contains_key(&policy_key("u", "p")));
    assert_eq!(renamed.row_security.get("u"), Some(&on));
    // A dropped table takes them first, so that the inverse gives them back.
    let ops = Change::DropTable {
        name: "t".into(),
        if_exists: false,
    }
    .resolve(&s)
    .unwrap();
    assert!(matches!(
        &ops[..],
        [
            Op::DropPolicy(_),
            Op::SetRowSecurity { .. },
            Op::DropTable(_)
        ]
    ));
    let mut after = s.clone();
    for op in &ops {
        op.apply(&mut after).unwrap();
    }
    for op in ops.into_iter().rev() {
        op.invert().apply(&mut after).unwrap();
    }
    assert_eq!(after, s);
    // `ALTER POLICY ... RENAME TO` is a drop and a create of the renamed policy.
    let ops = Change::AlterPolicy {
        name: "p".into(),
        table: "t".into(),
        rename: Some("q".into()),
        roles: None,
        using: None,
        check: Some("true".into()),
    }
    .resolve(&s)
    .unwrap();
    assert!(matches!(&ops[..], [Op::DropPolicy(a), Op::CreatePolicy(b)]
        if a.name == "p" && b.name == "q" && b.check.as_deref() == Some("true")));
}

/// A PostgreSQL rule `name` on `table` that logs each insert into `log`.
fn rule(name: &str, table: &str) -> Rule {
    Rule {
        name: name.into(),
        table: table.into(),
        event: "INSERT".into(),
        instead: false,
        condition: None,
        commands: vec!["INSERT INTO log (id) VALUES (new.id)".into()],
    }
}

#[test]
fn rules_go_with_their_table_and_stand_in_the_way_of_what_they_name() {
    let mut s = base();
    s.tables
        .insert("t".into(), table("t").col("id", Integer).build());
    s.tables
        .insert("log".into(), table("log").col("id", Integer).build());
    Op::CreateRule(rule("r", "t")).apply(&mut s).unwrap();
    // A dropped table takes its rules first, so that the inverse gives them back.
    let ops = Change::DropTable {
        name: "t".into(),
        if_exists: false,
    }
    .resolve(&s)
    .unwrap();
    assert!(matches!(&ops[..], [Op::DropRule(_), Op::DropTable(_)]));
    let mut after = s.clone();
    for op in &ops {
        op.apply(&mut after).unwrap();
    }
    for op in ops.into_iter().rev() {
        op.invert().apply(&mut after).unwrap();
    }
    assert_eq!(after, s);
    // The table a rule names cannot go, nor be renamed, while the rule is there.
    let e = Op::DropTable(s.tables["log"].clone())
        .apply(&mut s.clone())
        .unwrap_err();
    assert!(e.to_string().contains("named by rule `r` on `t`"), "{e}");
    let e = Op::RenameTable {
        from: "log".into(),
        to: "journal".into(),
    }
    .apply(&mut s.clone())
    .unwrap_err();
    assert!(
        e.to_string().contains("while rule `r` on `t` names it"),
        "{e}"
    );
    // Its own table renamed: the rule moves with it.
    let mut renamed = s.clone();
    Op::RenameTable {
        from: "t".into(),
        to: "u".into(),
    }
    .apply(&mut renamed)
    .unwrap();
    assert!(renamed.rules.contains_key(&rule_key("u", "r")));
    // `CREATE OR REPLACE RULE` over one there is a drop and a create; `ALTER RULE ...
    // RENAME TO` too.
    let changed = Rule {
        instead: true,
        ..rule("r", "t")
    };
    let ops = Change::CreateRule {
        rule: changed,
        or_replace: true,
    }
    .resolve(&s)
    .unwrap();
    assert!(matches!(&ops[..], [Op::DropRule(a), Op::CreateRule(b)] if !a.instead && b.instead));
    let ops = Change::RenameRule {
        table: "t".into(),
        from: "r".into(),
        to: "q".into(),
    }
    .resolve(&s)
    .unwrap();
    assert!(
        matches!(&ops[..], [Op::DropRule(a), Op::CreateRule(b)] if a.name == "r" && b.name == "q")
    );
}

/// A PostgreSQL trigger `name` on `table` that runs `log_it()`.
fn pg_trigger(name: &str, table: &str) -> Trigger {
    Trigger {
        name: name.into(),
        table: table.into(),
        timing: "AFTER INSERT".into(),
        body: "FOR EACH ROW EXECUTE FUNCTION log_it()".into(),
        normalized: "AFTER INSERT ON FOR EACH ROW EXECUTE FUNCTION log_it ( )".into(),
        follows_renames: true,
        function: Some("log_it".into()),
        ..Trigger::default()
    }
}

#[test]
fn postgres_triggers_are_their_tables_own_and_move_with_them() {
    let mut s = base();
    s.tables.insert("t".into(), Table::new("t"));
    s.tables.insert("u".into(), Table::new("u"));
    for table in ["t", "u"] {
        Op::CreateTrigger(pg_trigger("tr", table))
            .apply(&mut s)
            .unwrap();
    }
    assert_eq!(s.triggers.len(), 2, "one name on two tables");
    assert!(
        Op::CreateTrigger(pg_trigger("tr", "t"))
            .apply(&mut s.clone())
            .is_err()
    );
    // `DROP TRIGGER tr ON u` drops `u`'s only.
    let ops = Change::DropTrigger {
        name: "tr".into(),
        table: Some("u".into()),
        if_exists: false,
    }
    .resolve(&s)
    .unwrap();
    assert!(matches!(&ops[..], [Op::DropTrigger(t)] if t.table == "u"));
    // A renamed table keeps its trigger under the new name.
    let mut renamed = s.clone();
    Op::RenameTable {
        from: "t".into(),
        to: "v".into(),
    }
    .apply(&mut renamed)
    .unwrap();
    assert!(renamed.trigger(Some("v"), "tr").is_some());
    assert!(renamed.trigger(Some("t"), "tr").is_none());
    // Disabled, renamed, and each undone by its inverse.
    let ops = Change::SetTriggerState {
        table: "t".into(),
        name: Some("tr".into()),
        state: TriggerState::Disabled,
    }
    .resolve(&s)
    .unwrap();
    let mut after = s.clone();
    for op in &ops {
        op.apply(&mut after).unwrap();
    }
    assert_eq!(
        after.trigger(Some("t"), "tr").unwrap().state,
        TriggerState::Disabled
    );
    for op in ops.into_iter().rev() {
        op.invert().apply(&mut after).unwrap();
    }
    assert_eq!(after, s);
    let ops = Change::RenameTrigger {
        table: "t".into(),
        from: "tr".into(),
        to: "tr2".into(),
    }
    .resolve(&s)
    .unwrap();
    let mut after = s.clone();
    ops[0].apply(&mut after).unwrap();
    assert!(after.trigger(Some("t"), "tr2").is_some());
    ops[0].clone().invert().apply(&mut after).unwrap();
    assert_eq!(after, s);
    // A dropped table takes its triggers, the other table's stay.
    let ops = Change::DropTable {
        name: "t".into(),
        if_exists: false,
    }
    .resolve(&s)
    .unwrap();
    assert!(matches!(&ops[..], [Op::DropTrigger(t), Op::DropTable(_)] if t.table == "t"));
}

#[test]
fn routines_resolve_by_signature_and_overloads_stay_apart() {
    let mut s = base();
    for types in [&["integer"][..], &["text"][..]] {
        let change = Change::CreateRoutine {
            routine: routine("f", types),
            or_replace: false,
        };
        for op in change.resolve(&s).unwrap() {
            op.apply(&mut s).unwrap();
        }
    }
    assert_eq!(
        s.routines.keys().collect::<Vec<_>>(),
        ["f(integer)", "f(text)"]
    );
    let drop = |types: Option<&[&str]>| Change::DropRoutine {
        kind: RoutineKind::Function,
        name: "f".into(),
        arg_types: types.map(|t| t.iter().map(|t| t.to_string()).collect()),
        if_exists: false,
    };
    assert_eq!(
        drop(None).resolve(&s),
        Err(ApplyError::AmbiguousRoutine("f".into()))
    );
    assert_eq!(
        drop(Some(&["text"])).resolve(&s),
        Ok(vec![Op::DropRoutine(routine("f", &["text"]))])
    );
    assert_eq!(
        drop(Some(&["bigint"])).resolve(&s),
        Err(ApplyError::NoSuchRoutine("f(bigint)".into()))
    );
    let again = Change::CreateRoutine {
        routine: routine("f", &["text"]),
        or_replace: true,
    };
    assert_eq!(
        again.resolve(&s),
        Ok(vec![Op::ReplaceRoutine {
            from: routine("f", &["text"]),
            to: routine("f", &["text"]),
        }])
    );
    let twice = Change::CreateRoutine {
        routine: routine("f", &["text"]),
        or_replace: false,
    };
    assert_eq!(
        twice.resolve(&s),
        Err(ApplyError::RoutineExists("f(text)".into()))
    );
}

#[test]
fn dropping_a_table_drops_its_triggers_first_and_the_inverse_makes_them_again() {
    let mut s = base();
    s.tables
        .insert("t".into(), table("t").col("a", Integer).build());
    s.triggers.insert("tr".into(), trigger("tr", "t"));
    let ops = Change::DropTable {
        name: "t".into(),
        if_exists: false,
    }
    .resolve(&s)
    .unwrap();
    assert!(matches!(&ops[..], [Op::DropTrigger(t), Op::DropTable(_)] if t.name == "tr"));
    let mut after = s.clone();
    for op in &ops {
        op.apply(&mut after).unwrap();
    }
    assert!(after.triggers.is_empty());
    for op in Op::invert_all(&ops) {
        op.apply(&mut after).unwrap();
    }
    assert_eq!(after, s);
    // The table alone cannot go while the model still has a trigger on it.
    let lone = Op::DropTable(s.tables.get("t").unwrap().clone());
    assert!(lone.check(&s).is_err());
}

#[test]
fn a_renamed_table_keeps_its_triggers_unless_one_names_what_is_renamed() {
    let mut s = base();
    s.tables
        .insert("t".into(), table("t").col("a", Integer).build());
    s.triggers.insert("tr".into(), trigger("tr", "t"));
    let mut after = s.clone();
    Op::RenameTable {
        from: "t".into(),
        to: "u".into(),
    }
    .apply(&mut after)
    .unwrap();
    assert_eq!(after.triggers["tr"].table, "u");
    // Its body names the column `a`: a rename of `a` would leave it naming what is gone.
    let e = Op::RenameColumn {
        table: "u".into(),
        from: "a".into(),
        to: "b".into(),
    }
    .check(&after)
    .unwrap_err();
    assert!(e.to_string().contains("trigger `tr` names `a`"), "{e}");
    // Where the database rewrites the trigger (SQLite), so does the model.
    after.triggers.get_mut("tr").unwrap().follows_renames = true;
    Op::RenameColumn {
        table: "u".into(),
        from: "a".into(),
        to: "b".into(),
    }
    .apply(&mut after)
    .unwrap();
    assert_eq!(
        after.triggers["tr"].body,
        "BEGIN INSERT INTO log VALUES (NEW.b); END"
    );
}

fn domain(name: &str) -> crate::model::Domain {
    crate::model::Domain {
        name: name.into(),
        base: ColumnType::Integer,
        collation: None,
        default: None,
        not_null: false,
        checks: Vec::new(),
    }
}

#[test]
fn alter_domain_changes_one_part_and_refuses_what_is_not_there() {
    let mut s = Schema::default();
    Change::CreateDomain(domain("d")).apply(&mut s).unwrap();
    let check = crate::model::Check {
        no_inherit: false,
        written: Default::default(),
        name: Some("d_check".into()),
        expr: "VALUE > 0".into(),
    };
    for action in [
        DomainAction::SetDefault("1".into()),
        DomainAction::SetNotNull,
        DomainAction::AddCheck(check.clone()),
    ] {
        let change = Change::AlterDomain {
            name: "d".into(),
            action,
        };
        change.apply(&mut s).unwrap();
    }
    let d = &s.domains["d"];
    assert_eq!(
        (d.default.as_deref(), d.not_null, d.checks.clone()),
        (Some("1"), true, vec![check])
    );
    let dup = Change::AlterDomain {
        name: "d".into(),
        action: DomainAction::AddCheck(d.checks[0].clone()),
    };
    assert!(dup.apply(&mut s).is_err());
    let missing = Change::AlterDomain {
        name: "d".into(),
        action: DomainAction::DropConstraint {
            name: "nope".into(),
            if_exists: false,
        },
    };
    assert!(missing.apply(&mut s).is_err());
    let gone = Change::AlterDomain {
        name: "e".into(),
        action: DomainAction::DropDefault,
    };
    assert_eq!(
        gone.apply(&mut s),
        Err(ApplyError::NoSuchDomain("e".into()))
    );
}

fn sequence(name: &str) -> crate::model::Sequence {
    crate::model::Sequence::create(name, &crate::model::SequenceOptions::default()).unwrap()
}

#[test]
fn a_sequence_resolves_its_options_as_postgres_does() {
    use crate::model::{Sequence, SequenceOptions};
    let s = sequence("s");
    assert_eq!(
        (
            s.data_type.clone(),
            s.increment,
            s.min,
            s.max,
            s.start,
            s.cache,
            s.cycle
        ),
        (ColumnType::BigInt, 1, 1, i64::MAX, 1, 1, false)
    );
    let down = Sequence::create(
        "d",
        &SequenceOptions {
            data_type: Some(ColumnType::Integer),
            increment: Some(-2),
            ..SequenceOptions::default()
        },
    )
    .unwrap();
    assert_eq!(
        (down.min, down.max, down.start),
        (i64::from(i32::MIN), -1, -1)
    );
    // A bound at the old type's limit follows a new type, as ALTER SEQUENCE AS does.
    let int = Sequence::create(
        "i",
        &SequenceOptions {
            data_type: Some(ColumnType::Integer),
            ..SequenceOptions::default()
        },
    )
    .unwrap();
    let wide = int
        .altered(&SequenceOptions {
            data_type: Some(ColumnType::BigInt),
            ..SequenceOptions::default()
        })
        .unwrap();
    assert_eq!(wide.max, i64::MAX);
    // The options written to make it, or to change it, give it back exactly.
    let odd = Sequence::create(
        "o",
        &SequenceOptions {
            start: Some(100),
            max: Some(Some(500)),
            cache: Some(20),
            cycle: Some(true),
            ..SequenceOptions::default()
        },
    )
    .unwrap();
    assert_eq!(Sequence::create("o", &odd.create_options()).unwrap(), odd);
    let back = Sequence {
        name: "o".into(),
        ..wide.clone()
    };
    assert_eq!(odd.altered(&back.alter_options(&odd)).unwrap(), back);
    assert_eq!(back.altered(&odd.alter_options(&back)).unwrap(), odd);
    for bad in [
        SequenceOptions {
            increment: Some(0),
            ..SequenceOptions::default()
        },
        SequenceOptions {
            min: Some(Some(5)),
            max: Some(Some(5)),
            ..SequenceOptions::default()
        },
        SequenceOptions {
            start: Some(0),
            ..SequenceOptions::default()
        },
        SequenceOptions {
            data_type: Some(ColumnType::SmallInt),
            max: Some(Some(40000)),
            ..SequenceOptions::default()
        },
    ] {
        assert!(Sequence::create("b", &bad).is_err(), "{bad:?}");
    }
}

#[test]
fn a_dropped_table_takes_the_sequences_it_owns_and_a_rename_moves_the_owner() {
    use crate::model::SequenceOptions;
    let mut s = Schema::default();
    let mut t = Table::new("t");
    t.columns.push(Column::new("id", ColumnType::BigInt));
    Change::CreateTable {
        table: t,
        if_not_exists: false,
    }
    .apply(&mut s)
    .unwrap();
    Change::CreateSequence {
        name: "s".into(),
        options: SequenceOptions {
            owned_by: Some(Some(("t".into(), "id".into()))),
            ..SequenceOptions::default()
        },
        if_not_exists: false,
    }
    .apply(&mut s)
    .unwrap();
    Change::AlterTable {
        table: "t".into(),
        actions: vec![AlterAction::RenameColumn {
            from: "id".into(),
            to: "n".into(),
        }],
    }
    .apply(&mut s)
    .unwrap();
    assert_eq!(s.sequences["s"].owned_by, Some(("t".into(), "n".into())));
    let before = s.clone();
    let ops = Change::DropTable {
        name: "t".into(),
        if_exists: false,
    }
    .apply(&mut s)
    .unwrap();
    assert!(s.sequences.is_empty() && s.tables.is_empty());
    // The inverse, in reverse, makes them back.
    for op in ops.into_iter().rev() {
        op.invert().apply(&mut s).unwrap();
    }
    assert_eq!(s, before);
    // A serial column's sequence is the column's: altering it changes nothing here.
    let missing = Change::AlterSequence {
        name: "nope".into(),
        options: SequenceOptions::default(),
        if_exists: false,
    };
    assert_eq!(
        missing.apply(&mut s),
        Err(ApplyError::NoSuchSequence("nope".into()))
    );
}

#[test]
fn renaming_a_sequence_moves_the_defaults_drawing_from_it() {
    let mut s = Schema::default();
    Change::CreateSequence {
        name: "s".into(),
        options: Default::default(),
        if_not_exists: false,
    }
    .apply(&mut s)
    .unwrap();
    let mut t = Table::new("t");
    let mut c = Column::new("id", ColumnType::BigInt);
    c.default = Some(crate::model::nextval_default("s"));
    t.columns.push(c);
    Change::CreateTable {
        table: t,
        if_not_exists: false,
    }
    .apply(&mut s)
    .unwrap();
    Change::RenameSequence {
        from: "s".into(),
        to: "Big".into(),
        if_exists: false,
    }
    .apply(&mut s)
    .unwrap();
    assert_eq!(
        s.tables["t"].columns[0].default.as_deref(),
        Some("nextval('\"Big\"'::regclass)")
    );
    assert!(s.sequences.contains_key("Big"));
}

#[test]
fn mysql_routines_are_keyed_by_name_and_kind() {
    let mut s = base();
    let mysql = |kind: RoutineKind| Routine {
        name: "f".into(),
        kind,
        definition: "() SELECT 1".into(),
        head: "()".into(),
        normalized: "() select 1".into(),
        by_name: true,
        ..Routine::default()
    };
    for kind in [RoutineKind::Function, RoutineKind::Procedure] {
        let change = Change::CreateRoutine {
            routine: mysql(kind),
            or_replace: false,
        };
        for op in change.resolve(&s).unwrap() {
            op.apply(&mut s).unwrap();
        }
    }
    assert_eq!(
        s.routines.keys().collect::<Vec<_>>(),
        ["f function", "f procedure"]
    );
    // MariaDB's `CREATE OR REPLACE` replaces; a change is never made in place.
    let mut other = mysql(RoutineKind::Procedure);
    other.normalized = "() select 2".into();
    assert!(!mysql(RoutineKind::Procedure).replaceable_by(&other));
    let ops = Change::CreateRoutine {
        routine: other.clone(),
        or_replace: true,
    }
    .resolve(&s)
    .unwrap();
    assert!(matches!(ops.as_slice(), [Op::ReplaceRoutine { .. }]));
    let ops = Change::DropRoutine {
        kind: RoutineKind::Procedure,
        name: "F".into(),
        arg_types: None,
        if_exists: false,
    }
    .resolve(&s)
    .unwrap();
    // By name, ignoring case, as MySQL names routines.
    assert_eq!(ops, vec![Op::DropRoutine(mysql(RoutineKind::Procedure))]);
}

/// `events`, partitioned by `at`, with two partitions (the second with a check).
fn partitioned() -> Schema {
    let mut parent = table("events")
        .col_nn("id", Integer)
        .col_nn("at", Text)
        .build();
    parent.options.partition_by = Some("RANGE (at)".into());
    let part = |name: &str, bound: &str| {
        let mut t = table(name).build();
        t.options.partition_of = Some(PartitionOf {
            parent: "events".into(),
            bound: bound.into(),
        });
        t
    };
    let mut s = schema(vec![
        parent,
        part("events_a", "FOR VALUES FROM ('a') TO ('m')"),
        part("events_rest", "DEFAULT"),
    ]);
    s.normalize();
    s
}

#[test]
fn a_partition_has_its_parents_columns_through_every_change() {
    let mut s = partitioned();
    assert_eq!(s.tables["events_a"].columns, s.tables["events"].columns);
    Op::AddColumn {
        table: "events".into(),
        column: Column::new("note", Text),
    }
    .apply(&mut s)
    .unwrap();
    assert!(s.tables["events_rest"].column("note").is_some());
    Op::RenameTable {
        from: "events".into(),
        to: "happenings".into(),
    }
    .apply(&mut s)
    .unwrap();
    let of = s.tables["events_a"].options.partition_of.clone().unwrap();
    assert_eq!(
        of.parent, "happenings",
        "a partition follows its parent's rename"
    );
    // The parent cannot go before its partitions; `DROP TABLE` takes them with it.
    let parent = s.tables["happenings"].clone();
    assert!(Op::DropTable(parent).check(&s).is_err());
    let ops = Change::DropTable {
        name: "happenings".into(),
        if_exists: false,
    }
    .apply(&mut s)
    .unwrap();
    let names: Vec<String> = ops.iter().map(Op::describe).collect();
    assert_eq!(
        names,
        [
            "removed table `events_a`",
            "removed table `events_rest`",
            "removed table `happenings`"
        ]
    );
    assert!(s.tables.is_empty());
}

#[test]
fn a_partition_of_a_table_not_partitioned_does_not_apply() {
    let mut s = partitioned();
    let mut t = table("plain").col("id", Integer).build();
    Op::CreateTable(t.clone()).apply(&mut s).unwrap();
    t.name = "p".into();
    t.options.partition_of = Some(PartitionOf {
        parent: "plain".into(),
        bound: "DEFAULT".into(),
    });
    let err = Op::CreateTable(t).apply(&mut s).unwrap_err();
    assert!(err.to_string().contains("is not partitioned"), "{err}");
}

fn composite(name: &str, attributes: &[&str]) -> crate::model::Composite {
    crate::model::Composite {
        name: name.into(),
        attributes: attributes
            .iter()
            .map(|a| crate::model::Attribute {
                name: (*a).into(),
                ty: Text,
                collation: None,
            })
            .collect(),
    }
}

fn range(name: &str) -> crate::model::Range {
    crate::model::Range {
        name: name.into(),
        subtype: Integer,
        opclass: None,
        collation: None,
        subtype_diff: None,
        multirange: crate::model::Range::default_multirange(name),
    }
}

#[test]
fn a_composite_type_keeps_the_attributes_that_start_the_new_order_and_appends_the_rest() {
    use crate::model::AttributeStep::{Add, Alter, Drop};
    let from = composite("addr", &["a", "b", "c"]);
    let names = |steps: Vec<crate::model::AttributeStep>| -> Vec<String> {
        steps
            .into_iter()
            .map(|s| match s {
                Drop(a) => format!("-{}", a.name),
                Alter(a) => format!("~{}", a.name),
                Add(a) => format!("+{}", a.name),
            })
            .collect()
    };
    assert_eq!(
        names(from.steps_to(&composite("addr", &["a", "c", "d"]))),
        ["-b", "+d"]
    );
    // `b` can only come back last: `c` goes and comes back after it, with its values.
    assert_eq!(
        names(composite("addr", &["a", "c"]).steps_to(&from)),
        ["-c", "+b", "+c"]
    );
    let mut wider = from.clone();
    wider.attributes[1].ty = Varchar(Some(10));
    assert_eq!(names(from.steps_to(&wider)), ["~b"]);
    // Every step list, applied, gives the target, both ways.
    for to in [
        composite("addr", &["c", "a"]),
        composite("addr", &[]),
        composite("addr", &["x", "a", "b", "c"]),
        wider,
    ] {
        for (a, b) in [(&from, &to), (&to, &from)] {
            let mut now = a.clone();
            for step in a.steps_to(b) {
                match step {
                    Drop(x) => now.attributes.retain(|y| y.name != x.name),
                    Alter(x) => {
                        let at = now
                            .attributes
                            .iter_mut()
                            .find(|y| y.name == x.name)
                            .unwrap();
                        *at = x;
                    }
                    Add(x) => now.attributes.push(x),
                }
            }
            assert_eq!(&now, b);
        }
    }
}

#[test]
fn alter_type_attribute_statements_change_the_composite_and_drop_type_refuses_a_used_one() {
    let mut s = base();
    Change::CreateType(UserType::Composite(composite("addr", &["street"])))
        .apply(&mut s)
        .unwrap();
    Change::CreateType(UserType::Range(range("span")))
        .apply(&mut s)
        .unwrap();
    let alter = |action| Change::AlterComposite {
        name: "addr".into(),
        actions: vec![action],
    };
    let zip = crate::model::Attribute {
        name: "zip".into(),
        ty: Integer,
        collation: None,
    };
    alter(AttributeAction::Add(zip.clone()))
        .apply(&mut s)
        .unwrap();
    assert!(
        alter(AttributeAction::Add(zip.clone()))
            .apply(&mut s)
            .is_err()
    );
    let zip_text = crate::model::Attribute { ty: Text, ..zip };
    alter(AttributeAction::Alter(zip_text))
        .apply(&mut s)
        .unwrap();
    alter(AttributeAction::Drop {
        name: "street".into(),
        if_exists: false,
    })
    .apply(&mut s)
    .unwrap();
    assert_eq!(
        s.types["addr"],
        UserType::Composite(crate::model::Composite {
            attributes: vec![crate::model::Attribute {
                name: "zip".into(),
                ty: Text,
                collation: None,
            }],
            ..composite("addr", &[])
        })
    );
    let gone = alter(AttributeAction::Drop {
        name: "street".into(),
        if_exists: true,
    });
    assert_eq!(gone.resolve(&s), Ok(Vec::new()));
    // A column of the range type keeps it: `DROP TYPE` is refused by name.
    let mut t = s.table("emp").unwrap().clone();
    t.columns.push(col("period", Custom("SPAN[]".into())));
    s.tables.insert("emp".into(), t);
    let drop = Change::DropEnum {
        name: "span".into(),
        if_exists: false,
    };
    assert_eq!(
        drop.resolve(&s),
        Err(ApplyError::Invalid(
            "range type `span` is still used by column `emp.period`".into()
        ))
    );
    let rename = Change::RenameEnum {
        from: "span".into(),
        to: "period".into(),
    };
    assert!(
        matches!(rename.resolve(&s), Err(ApplyError::Invalid(m)) if m.starts_with("renaming range type `span`")),
    );
    let drop_addr = Change::DropEnum {
        name: "addr".into(),
        if_exists: false,
    };
    drop_addr.apply(&mut s).unwrap();
    assert!(!s.types.contains_key("addr"));
    // A type's name is taken by an enum, a domain or another type.
    assert!(
        Change::CreateType(UserType::Composite(composite("span", &["a"])))
            .apply(&mut s)
            .is_err()
    );
}

/// `sales` partitioned by range over `p`, one partition per bound.
fn mysql_partitioned(p: &[(&str, &str)]) -> Schema {
    let mut t = table("sales").col("y", Integer).build();
    t.options.mysql_partitioning = Some(MysqlPartitioning {
        method: "RANGE".into(),
        expr: "y".into(),
        count: None,
        partitions: p
            .iter()
            .map(|(name, v)| MysqlPartition {
                name: (*name).into(),
                values: Some(format!("LESS THAN ({v})")),
            })
            .collect(),
    });
    schema(vec![t])
}

#[test]
fn a_mysql_partition_that_goes_is_dropped_apart_and_counted_as_data_loss() {
    let from = mysql_partitioned(&[("p0", "10"), ("p1", "20")]);
    let to = mysql_partitioned(&[("p1", "20"), ("p2", "30")]);
    let ops = crate::diff(&from, &to, &crate::Hints::default());
    assert_eq!(ops.len(), 2, "{ops:#?}");
    let (table, gone) = ops[0].dropped_partitions().unwrap();
    assert_eq!((table, gone), ("sales", vec!["p0"]));
    assert!(ops[0].data_loss().unwrap().contains("drops partition `p0`"));
    // Adding after the last loses nothing.
    assert_eq!(ops[1].data_loss(), None);
    // Applied, the ops give `to`; their inverses, in reverse, give `from` back.
    let mut s = from.clone();
    for op in &ops {
        op.apply(&mut s).unwrap();
    }
    assert_eq!(s, to);
    for op in ops.iter().rev() {
        op.invert().apply(&mut s).unwrap();
    }
    assert_eq!(s, from);
}

#[test]
fn mysql_partition_statements_resolve_against_the_table() {
    let from = mysql_partitioned(&[("p0", "10"), ("p1", "20"), ("p2", "30")]);
    let alter = |change: MysqlPartitionChange| Change::AlterTable {
        table: "sales".into(),
        actions: vec![AlterAction::MysqlPartitions(change)],
    };
    let part = |name: &str, v: &str| MysqlPartition {
        name: name.into(),
        values: Some(format!("LESS THAN ({v})")),
    };
    // Reorganized partitions keep their rows: no data loss.
    let ops = alter(MysqlPartitionChange::Reorganize {
        from: vec!["P1".into(), "p2".into()],
        into: vec![part("p12", "30")],
    })
    .resolve(&from)
    .unwrap();
    let mut s = from.clone();
    ops[0].apply(&mut s).unwrap();
    assert_eq!(s, mysql_partitioned(&[("p0", "10"), ("p12", "30")]));
    assert_eq!(ops[0].data_loss(), None);
    let ops = alter(MysqlPartitionChange::Drop(vec!["p1".into()]))
        .resolve(&from)
        .unwrap();
    assert!(ops[0].data_loss().is_some());
    for (change, error) in [
        (
            MysqlPartitionChange::Drop(vec!["p9".into()]),
            "has no partition `p9`",
        ),
        (
            MysqlPartitionChange::Add(vec![part("p0", "40")]),
            "already has partition `p0`",
        ),
        (
            MysqlPartitionChange::Reorganize {
                from: vec!["p0".into(), "p2".into()],
                into: vec![part("p02", "30")],
            },
            "not next to each other",
        ),
        (
            MysqlPartitionChange::Drop(vec!["p0".into(), "p1".into(), "p2".into()]),
            "last partition",
        ),
    ] {
        let err = alter(change).resolve(&from).unwrap_err().to_string();
        assert!(err.contains(error), "{err}");
    }
    let plain = schema(vec![table("t").col("y", Integer).build()]);
    let err = Change::AlterTable {
        table: "t".into(),
        actions: vec![AlterAction::MysqlPartitions(MysqlPartitionChange::Remove)],
    }
    .resolve(&plain)
    .unwrap_err()
    .to_string();
    assert!(err.contains("is not partitioned"), "{err}");
}

/// [`base`] with view `v` reading `emp` (materialized when `materialized`, with an
/// index), commented, a column of it commented, and a comment on check `ck_email`.
fn with_comments(materialized: bool, query: &str) -> Schema {
    let mut s = base();
    let mut v = crate::model::View {
        name: "v".into(),
        definition: query.into(),
        normalized: query.into(),
        reads: vec!["emp".into()],
        materialized,
        ..Default::default()
    };
    if materialized {
        v.indexes.push(Index {
            hidden: None,
            name: "v_id".into(),
            table: "v".into(),
            columns: vec!["id".into()],
            unique: true,
            predicate: None,
            method: None,
            nulls_not_distinct: false,
            include: Vec::new(),
            storage: Vec::new(),
            comment: None,
            predicate_written: Default::default(),
        });
        s.comments
            .insert(CommentOn::Index("v_id".into()), "by id".into());
    }
    s.views.insert("v".into(), v);
    let view = if materialized {
        CommentOn::MaterializedView("v".into())
    } else {
        CommentOn::View("v".into())
    };
    s.comments.insert(view, "the view".into());
    s.comments.insert(
        CommentOn::ViewColumn {
            view: "v".into(),
            column: "id".into(),
        },
        "its id".into(),
    );
    s.comments.insert(
        CommentOn::Constraint {
            table: "emp".into(),
            name: "ck_email".into(),
        },
        "an address".into(),
    );
    s
}

/// A comment goes with its object: dropping a view drops its comments and its
/// indexes' (and a table's, its constraints'); a rename carries them.
#[test]
fn a_comment_goes_with_its_object_and_follows_a_rename() {
    let mut s = with_comments(true, "SELECT id FROM emp");
    Op::RenameView {
        from: "v".into(),
        to: "w".into(),
    }
    .apply(&mut s)
    .unwrap();
    assert_eq!(s.views["w"].indexes[0].table, "w");
    let keys: Vec<String> = s.comments.keys().map(CommentOn::describe).collect();
    assert_eq!(
        keys,
        [
            "materialized view `w`",
            "column `w.id`",
            "index `v_id`",
            "constraint `ck_email` on `emp`"
        ]
    );
    let view = s.views["w"].clone();
    Op::DropView(view).apply(&mut s).unwrap();
    let keys: Vec<String> = s.comments.keys().map(CommentOn::describe).collect();
    assert_eq!(keys, ["constraint `ck_email` on `emp`"]);
    let emp = s.table("emp").unwrap().clone();
    Op::DropTable(emp).apply(&mut s).unwrap();
    assert!(s.comments.is_empty(), "{:?}", s.comments);
    // A comment on what is not there is refused.
    let e = Op::SetComment {
        on: CommentOn::Index("nope".into()),
        from: None,
        to: Some("x".into()),
    }
    .apply(&mut s)
    .unwrap_err();
    assert_eq!(
        e.to_string(),
        "index `nope` does not exist to comment on".to_string()
    );
}

/// A view dropped and made again (a materialized view's query changes) gets its
/// comments and indexes again; a check dropped and added, its comment; the downgrade
/// gives back the comments as they were.
#[test]
fn the_diff_gives_a_remade_object_its_comment_again() {
    let from = with_comments(true, "SELECT id FROM emp");
    let mut to = with_comments(true, "SELECT id, name FROM emp");
    {
        let mut emp = to.tables.get_mut("emp").unwrap();
        let ck = emp
            .checks
            .iter_mut()
            .find(|c| c.name.as_deref() == Some("ck_email"))
            .unwrap();
        ck.expr = "length(email) > 0".into();
    }
    to.comments
        .insert(CommentOn::Index("v_id".into()), "by id, unique".into());
    let ops = crate::diff(&from, &to, &crate::Hints::default());
    let said: Vec<String> = ops.iter().map(Op::describe).collect();
    let at = |what: &str| {
        said.iter()
            .position(|s| s == what)
            .unwrap_or_else(|| panic!("{what} not in {said:#?}"))
    };
    assert!(
        at("removed the comment on materialized view `v`") < at("removed materialized view `v`")
    );
    assert!(at("added materialized view `v`") < at("set the comment on materialized view `v`"));
    assert!(at("added materialized view `v`") < at("set the comment on index `v_id`"));
    assert!(
        at("removed the comment on constraint `ck_email` on `emp`")
            < at("set the comment on constraint `ck_email` on `emp`")
    );
    let mut s = from.clone();
    for op in &ops {
        op.apply(&mut s).unwrap();
    }
    assert_eq!(s.comments, to.comments);
    assert_eq!(s.views["v"].indexes, to.views["v"].indexes);
    assert!(crate::diff(&s, &to, &crate::Hints::default()).is_empty());
    for op in Op::invert_all(&ops) {
        op.apply(&mut s).unwrap();
    }
    assert_eq!(s.comments, from.comments);
    assert!(crate::diff(&s, &from, &crate::Hints::default()).is_empty());
}

/// The indexes of a materialized view that stays are compared apart from it: a new
/// one is made, a changed one dropped and made again, without the view.
#[test]
fn a_materialized_view_s_indexes_change_without_it() {
    let from = with_comments(true, "SELECT id FROM emp");
    let mut to = from.clone();
    let view = to.views.get_mut("v").unwrap();
    view.indexes[0].unique = false;
    let mut second = view.indexes[0].clone();
    second.name = "v_id2".into();
    view.indexes.push(second);
    let ops = crate::diff(&from, &to, &crate::Hints::default());
    let said: Vec<String> = ops.iter().map(Op::describe).collect();
    assert_eq!(
        said,
        [
            "removed the comment on index `v_id`",
            "removed unique index `v_id` on `v` (id)",
            "added index `v_id` on `v` (id)",
            "set the comment on index `v_id`",
            "added index `v_id2` on `v` (id)",
        ]
    );
}

#[test]
fn comments_on_a_keys_index_and_a_serials_sequence_follow_their_owner() {
    let mut s = base();
    s.tables.insert(
        "t".into(),
        table("t")
            .col("id", ColumnType::Custom("SERIAL".into()))
            .col("a", Integer)
            .pk(&["id"])
            .unique(&["a"])
            .build(),
    );
    let on_seq = CommentOn::Sequence("t_id_seq".into());
    let on_key = CommentOn::Index("t_a_key".into());
    assert!(s.has_comment_target(&on_seq));
    assert!(s.has_comment_target(&on_key));
    assert!(s.has_comment_target(&CommentOn::Index("t_pkey".into())));
    assert!(!s.has_comment_target(&CommentOn::Sequence("t_a_seq".into())));
    s.comments.insert(on_seq, "numbers".into());
    s.comments.insert(on_key, "codes".into());
    // The key renamed renames its index; the table renamed renames the serial's
    // sequence (as the PostgreSQL renderer does), and the comments go along.
    let unique = |name: Option<&str>| {
        Constraint::Unique(Unique {
            deferral: Default::default(),
            name: name.map(Into::into),
            columns: vec!["a".into()],
        })
    };
    Op::RenameConstraint {
        table: "t".into(),
        from: unique(None),
        to: unique(Some("t_codes")),
    }
    .apply(&mut s)
    .unwrap();
    Op::RenameTable {
        from: "t".into(),
        to: "u".into(),
    }
    .apply(&mut s)
    .unwrap();
    assert_eq!(
        s.comments.get(&CommentOn::Sequence("u_id_seq".into())),
        Some(&"numbers".to_string())
    );
    assert_eq!(
        s.comments.get(&CommentOn::Index("t_codes".into())),
        Some(&"codes".to_string())
    );
    // The key dropped takes its index's comment.
    let key = s.tables["u"].uniques[0].clone();
    Op::DropConstraint {
        table: "u".into(),
        constraint: Constraint::Unique(key),
    }
    .apply(&mut s)
    .unwrap();
    assert!(!s.comments.contains_key(&CommentOn::Index("t_codes".into())));
}
