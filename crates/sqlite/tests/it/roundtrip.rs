//! What `render_op` writes parses back into the same op, and carries it out on a
//! real database; the same for the op's inverse.

use wildebeest_schema::{Column, ColumnType, Constraint, Deferral, Op, Schema};
use wildebeest_sql::{Dialect, parse_schema, parse_statements};
use wildebeest_sqlite::render_op;

use crate::util::{Db, assert_synced, migrate};

const BEFORE: &str = "
CREATE TABLE teams (id INTEGER NOT NULL, name TEXT, PRIMARY KEY (id));
CREATE TABLE people (
    id INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    name TEXT COLLATE NOCASE,
    email VARCHAR(200) NOT NULL DEFAULT '',
    team INTEGER,
    born DATE DEFAULT (date('now')),
    CONSTRAINT people_email_key UNIQUE (email),
    FOREIGN KEY (team) REFERENCES teams (id) ON DELETE CASCADE,
    CHECK (length(name) > 0)
);
CREATE INDEX people_name ON people (name DESC, lower(email)) WHERE team IS NOT NULL;
CREATE TABLE \"Order\" (\"select\" INTEGER, \"two words\" TEXT);
CREATE TABLE tags (id INTEGER NOT NULL, label TEXT, PRIMARY KEY (id));
";

fn before() -> Schema {
    parse_schema(BEFORE, "before.sql", Dialect::Sqlite)
        .unwrap()
        .0
}

/// The ops `sql` resolves to against `schema`, and the schema after them.
fn parse_and_resolve(sql: &str, schema: &Schema) -> (Vec<Op>, Schema) {
    let (statements, warnings) = parse_statements(sql, "m.sql", Dialect::Sqlite).unwrap();
    assert_eq!(warnings, vec![], "{sql}");
    let mut schema = schema.clone();
    let mut ops = Vec::new();
    for s in statements {
        let change = s
            .change
            .unwrap_or_else(|| panic!("not understood: {}", s.text));
        for op in change.resolve(&schema).unwrap() {
            op.apply(&mut schema).unwrap();
            ops.push(op);
        }
    }
    (ops, schema)
}

/// Renders `op` against `schema`, parses it back, runs it on a database holding
/// `schema`, and checks the database; returns the schema after it.
fn check_one(op: &Op, schema: &Schema, db: &Db) -> Schema {
    let sql = render_op(op, schema).unwrap().join(";\n");
    let (ops, after) = parse_and_resolve(&sql, schema);
    assert_eq!(merge_alters(ops), as_parsed(op), "{sql}");
    let mut backend = db.backend();
    let migrated = migrate(&mut backend, &sql).unwrap_or_else(|e| panic!("{sql}: {e:?}"));
    assert_eq!(migrated.after, after);
    assert_synced(&mut backend, &after);
    db.conn()
        .execute_batch("DELETE FROM wildebeest_revisions")
        .unwrap();
    after
}

/// `op` as parsing gives it back: a table's indexes come as statements of their own.
fn as_parsed(op: &Op) -> Vec<Op> {
    match op {
        Op::CreateTable(t) => {
            let mut table = t.clone();
            let indexes = std::mem::take(&mut table.indexes);
            std::iter::once(Op::CreateTable(table))
                .chain(indexes.into_iter().map(Op::CreateIndex))
                .collect()
        }
        other => vec![other.clone()],
    }
}

/// Consecutive `AlterColumn`s of one column as one: `ALTER COLUMN c TYPE t, ALTER
/// COLUMN c SET NOT NULL` resolves to one op per action.
fn merge_alters(ops: Vec<Op>) -> Vec<Op> {
    let mut out: Vec<Op> = Vec::new();
    for op in ops {
        if let (
            Some(Op::AlterColumn {
                table: t1,
                to: last,
                ..
            }),
            Op::AlterColumn {
                table: t2,
                from,
                to,
            },
        ) = (out.last_mut(), &op)
            && t1 == t2
            && *last == *from
        {
            *last = to.clone();
            continue;
        }
        out.push(op);
    }
    out
}

/// The op and then its inverse, each through [`check_one`].
fn check(make: impl Fn(&Schema) -> Op) {
    let db = Db::with(BEFORE);
    let start = before();
    let op = make(&start);
    let after = check_one(&op, &start, &db);
    let back = check_one(&op.invert(), &after, &db);
    assert_eq!(back, start, "{op:?}");
}

fn people(s: &Schema) -> &wildebeest_schema::Table {
    &s.tables["people"]
}

#[test]
fn tables() {
    let mut created = before().tables["people"].clone();
    created.name = "people2".into();
    created.indexes[0].name = "people2_name".into();
    created.indexes[0].table = "people2".into();
    // An explicit name that differs from the implied one survives the round trip.
    created.uniques[0].name = Some("uq_people2_email".into());
    check(move |_| Op::CreateTable(created.clone()));
    // Django's foreign keys: deferred until commit, written on the column.
    let mut deferred = before().tables["people"].clone();
    deferred.name = "people3".into();
    deferred.indexes.clear();
    deferred.uniques.clear();
    deferred.foreign_keys[0].deferral = Deferral::InitiallyDeferred;
    check(move |_| Op::CreateTable(deferred.clone()));
    check(|s| Op::DropTable(s.tables["Order"].clone()));
    check(|_| Op::RenameTable {
        from: "teams".into(),
        to: "squads".into(),
    });
}

#[test]
fn columns() {
    check(|_| Op::AddColumn {
        table: "people".into(),
        column: Column::new("nick", ColumnType::Varchar(Some(20))),
    });
    check(|_| Op::AddColumn {
        table: "Order".into(),
        column: Column {
            nullable: false,
            default: Some("0".into()),
            ..Column::new(
                "total",
                ColumnType::Decimal {
                    precision: Some(10),
                    scale: Some(2),
                },
            )
        },
    });
    check(|s| Op::DropColumn {
        table: "Order".into(),
        column: s.tables["Order"].columns[1].clone(),
    });
    check(|_| Op::RenameColumn {
        table: "people".into(),
        from: "born".into(),
        to: "birthday".into(),
    });
    check(|_| Op::RenameColumn {
        table: "Order".into(),
        from: "select".into(),
        to: "Where".into(),
    });
}

#[test]
fn alter_column() {
    let alter = |name: &'static str, change: fn(&mut Column)| {
        move |s: &Schema| {
            let from = people(s).column(name).unwrap().clone();
            let mut to = from.clone();
            change(&mut to);
            Op::AlterColumn {
                table: "people".into(),
                from,
                to,
            }
        }
    };
    check(alter("team", |c| c.ty = ColumnType::BigInt));
    check(alter("team", |c| c.nullable = false));
    check(alter("team", |c| c.default = Some("1".into())));
    check(alter("born", |c| c.default = None));
    check(alter("born", |c| c.default = Some("'2000-01-01'".into())));
    check(alter("email", |c| {
        c.ty = ColumnType::Text;
        c.nullable = true;
        c.default = None;
    }));
}

#[test]
fn constraints() {
    let add = |c: Constraint| {
        move |_: &Schema| Op::AddConstraint {
            table: "people".into(),
            constraint: c.clone(),
        }
    };
    check(add(Constraint::Unique(wildebeest_schema::Unique {
        deferral: Default::default(),
        name: None,
        columns: vec!["name".into(), "team".into()],
    })));
    check(add(Constraint::Check(wildebeest_schema::Check {
        no_inherit: false,
        written: Default::default(),
        name: Some("born_past".into()),
        expr: "born < '2100-01-01'".into(),
    })));
    check(|_| Op::AddConstraint {
        table: "Order".into(),
        constraint: Constraint::ForeignKey(wildebeest_schema::ForeignKey {
            name: Some("order_select".into()),
            columns: vec!["select".into()],
            ref_table: "people".into(),
            ref_columns: vec!["id".into()],
            on_delete: wildebeest_schema::FkAction::SetNull,
            on_update: wildebeest_schema::FkAction::Cascade,
            deferral: Default::default(),
        }),
    });
    for deferral in [Deferral::InitiallyImmediate, Deferral::InitiallyDeferred] {
        check(move |_| Op::AddConstraint {
            table: "Order".into(),
            constraint: Constraint::ForeignKey(wildebeest_schema::ForeignKey {
                deferral,
                ..wildebeest_schema::build_test::fk(&["select"], "people", &["id"])
            }),
        });
    }
    let drop = |i: usize| {
        move |s: &Schema| Op::DropConstraint {
            table: "people".into(),
            constraint: people(s).constraints()[i].clone(),
        }
    };
    // After the primary key (which AUTOINCREMENT needs): unique, foreign key, check.
    for i in 1..4 {
        check(drop(i));
    }
    check(|s| Op::DropConstraint {
        table: "tags".into(),
        constraint: s.tables["tags"].constraints()[0].clone(),
    });
}

#[test]
fn indexes() {
    check(|s| Op::DropIndex(people(s).indexes[0].clone()));
    check(|_| {
        Op::CreateIndex(wildebeest_schema::Index {
            hidden: None,
            name: "order_words".into(),
            table: "Order".into(),
            columns: vec!["two words".into(), "select DESC".into()],
            unique: true,
            predicate: None,
            method: None,
            nulls_not_distinct: false,
            comment: None,
            include: Vec::new(),
            storage: Vec::new(),
            predicate_written: Default::default(),
        })
    });
}
