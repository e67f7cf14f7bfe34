//! Every kind of op, rendered and run the way the runner runs a migration file for
//! MySQL, leaves the database as the model says; so does its inverse.

use wildebeest_mysql::render_op;
use wildebeest_schema::{
    Check, Column, ColumnType, Constraint, FkAction, ForeignKey, Index, Op, Schema, Unique,
};
use wildebeest_sql::Dialect;

use crate::util::{TestDb, assert_synced, migrate, schema, test_db, unnamed};

const BEFORE: &str = "
CREATE TABLE teams (id INT NOT NULL, name VARCHAR(50), PRIMARY KEY (id), UNIQUE (name));
CREATE TABLE people (
    id INT NOT NULL AUTO_INCREMENT,
    name VARCHAR(100) COLLATE utf8mb4_bin,
    email VARCHAR(200) NOT NULL DEFAULT '',
    team INT,
    born DATE DEFAULT '2000-01-01',
    PRIMARY KEY (id),
    CONSTRAINT people_email_key UNIQUE (email),
    FOREIGN KEY (team) REFERENCES teams (id) ON DELETE CASCADE,
    CHECK (char_length(name) > 0)
);
CREATE INDEX people_name ON people (name DESC, email);
CREATE TABLE `Order` (`select` INT, `two words` VARCHAR(10));
CREATE TABLE tags (id INT NOT NULL, label VARCHAR(20), PRIMARY KEY (id));
";

/// Renders `op` against `schema`, runs it as a MySQL migration on `db` (holding
/// `schema`), and checks the database; returns the schema after it.
fn check_one(op: &Op, schema: &Schema, db: &TestDb) -> Schema {
    let sql = render_op(op, schema).unwrap().join(";\n");
    let mut after = schema.clone();
    op.apply(&mut after).unwrap();
    let mut backend = db.backend();
    migrate(&mut backend, &sql, Dialect::Mysql).unwrap_or_else(|e| panic!("{sql}: {e:?}"));
    assert_synced(&mut backend, &unnamed(&after));
    after
}

/// The op and then its inverse, each through [`check_one`], on a fresh database.
fn check(make: impl Fn(&Schema) -> Op) {
    let mut db = test_db!();
    // A constraint named what it would be called anyway is unnamed, as introspection
    // (and a rename) sees it.
    let start = unnamed(&schema(BEFORE));
    db.create(&start);
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
    check(|s| {
        let mut created = people(s).clone();
        created.name = "people2".into();
        created.indexes[0].name = "people2_name".into();
        created.indexes[0].table = "people2".into();
        created.uniques[0].name = Some("people2_email_key".into());
        Op::CreateTable(created)
    });
    check(|s| Op::DropTable(s.tables["Order"].clone()));
    check(|_| Op::RenameTable {
        from: "people".into(),
        to: "persons".into(),
    });
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
    // The unnamed unique, foreign key and check follow the column's new name.
    check(|_| Op::RenameColumn {
        table: "people".into(),
        from: "name".into(),
        to: "full_name".into(),
    });
    check(|_| Op::RenameColumn {
        table: "people".into(),
        from: "team".into(),
        to: "squad".into(),
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
    // MySQL refuses to change the type of a column in a foreign key (error 1832).
    // (A date default on a TIMESTAMP reads back with its time: `'2000-01-01 00:00:00'`.)
    check(alter("born", |c| {
        c.ty = ColumnType::Timestamp;
        c.default = None;
    }));
    check(alter("email", |c| c.ty = ColumnType::Varchar(Some(300))));
    check(alter("team", |c| c.nullable = false));
    check(alter("team", |c| c.default = Some("1".into())));
    check(alter("born", |c| c.default = None));
    check(alter("born", |c| c.default = Some("'1999-12-31'".into())));
    // (A TEXT column cannot be in an index without a prefix length, so not `email`.)
    check(alter("born", |c| {
        c.ty = ColumnType::Text;
        c.nullable = false;
        c.default = Some("'unknown'".into());
    }));
    check(alter("name", |c| c.collation = None));
    check(alter("id", |c| c.ty = ColumnType::BigInt));
}

#[test]
fn constraints() {
    let add = |c: Constraint| {
        move |_: &Schema| Op::AddConstraint {
            table: "people".into(),
            constraint: c.clone(),
        }
    };
    check(add(Constraint::Unique(Unique {
        deferral: Default::default(),
        name: None,
        columns: vec!["name".into(), "team".into()],
    })));
    check(add(Constraint::Check(Check {
        no_inherit: false,
        written: Default::default(),
        name: Some("born_past".into()),
        expr: "born < '2100-01-01'".into(),
    })));
    check(|_| Op::AddConstraint {
        table: "Order".into(),
        constraint: Constraint::ForeignKey(ForeignKey {
            name: Some("order_select".into()),
            columns: vec!["select".into()],
            ref_table: "people".into(),
            ref_columns: vec!["id".into()],
            on_delete: FkAction::SetNull,
            on_update: FkAction::Cascade,
            deferral: Default::default(),
        }),
    });
    let drop = |i: usize| {
        move |s: &Schema| Op::DropConstraint {
            table: "people".into(),
            constraint: people(s).constraints()[i].clone(),
        }
    };
    // After the primary key (which AUTO_INCREMENT needs): unique, foreign key, check.
    for i in 1..4 {
        check(drop(i));
    }
    check(|s| Op::DropConstraint {
        table: "teams".into(),
        constraint: s.tables["teams"].constraints()[1].clone(),
    });
    check(|s| Op::DropConstraint {
        table: "tags".into(),
        constraint: s.tables["tags"].constraints()[0].clone(),
    });
}

#[test]
fn indexes() {
    check(|s| Op::DropIndex(people(s).indexes[0].clone()));
    check(|_| {
        Op::CreateIndex(Index {
            hidden: None,
            name: "order_words".into(),
            table: "Order".into(),
            columns: vec!["two words".into(), "select DESC".into()],
            unique: false,
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
