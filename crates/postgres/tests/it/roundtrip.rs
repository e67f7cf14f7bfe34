//! Models made into databases read back as the same models: a rich schema created
//! from its ops, and every op (and its inverse) rendered, parsed back, planned and run.

use wildebeest_postgres::render_op;
use wildebeest_runner::Backend;
use wildebeest_schema::{
    Check, Column, ColumnType, Constraint, FkAction, ForeignKey, Hints, Index, Op, Schema, Unique,
    diff,
};
use wildebeest_sql::{Dialect, parse_schema, parse_statements};

use crate::util::{TestDb, assert_synced, db, migrate, script, upgrade};

/// A schema with a bit of everything the model holds, as a `schema.sql` says it.
const RICH: &str = r#"
CREATE TABLE teams (
    id INTEGER PRIMARY KEY,
    name VARCHAR(50) NOT NULL UNIQUE,
    code CHAR(3) NOT NULL DEFAULT 'abc',
    budget NUMERIC(12, 2) DEFAULT 0 CHECK (budget >= 0),
    ratio NUMERIC(10),
    score REAL DEFAULT -1.5,
    weight DOUBLE PRECISION,
    founded DATE DEFAULT CURRENT_DATE,
    opens TIME,
    created TIMESTAMP DEFAULT now(),
    updated TIMESTAMP WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP,
    active BOOLEAN NOT NULL DEFAULT true,
    small SMALLINT DEFAULT -1,
    big BIGINT,
    notes TEXT COLLATE "C" DEFAULT 'it''s',
    logo BYTEA,
    settings JSON,
    extra JSONB DEFAULT '{}',
    uid UUID DEFAULT gen_random_uuid(),
    label VARCHAR,
    status VARCHAR(10) NOT NULL DEFAULT 'open',
    counter SERIAL NOT NULL,
    addr INET,
    CONSTRAINT status_known CHECK (status IN ('open', 'closed')),
    CHECK (length(name) > 0 AND code IS NOT NULL),
    CHECK (notes LIKE 'x%' OR notes IS NULL),
    CHECK (small NOT IN (-2, -3))
);
CREATE TABLE members (
    team_id INTEGER NOT NULL,
    seq INTEGER NOT NULL,
    email VARCHAR(200) NOT NULL,
    "Display Name" TEXT,
    boss_team INTEGER,
    boss_seq INTEGER,
    PRIMARY KEY (team_id, seq),
    CONSTRAINT member_team FOREIGN KEY (team_id) REFERENCES teams (id) ON DELETE CASCADE ON UPDATE RESTRICT,
    FOREIGN KEY (boss_team, boss_seq) REFERENCES members (team_id, seq) ON DELETE SET NULL,
    UNIQUE (team_id, email),
    CONSTRAINT email_has_at CHECK (email LIKE '%@%')
);
CREATE UNIQUE INDEX members_email_lower ON members (lower(email));
CREATE INDEX members_by_team ON members (team_id, seq DESC) WHERE boss_team IS NOT NULL;
CREATE INDEX members_name ON members ("Display Name" text_pattern_ops NULLS FIRST);
CREATE INDEX teams_math ON teams ((budget * 2), score DESC NULLS LAST);
CREATE INDEX teams_status ON teams (status) WHERE status = 'open' AND active;
"#;

/// [`RICH`] as a model, with an identity column (which the parser does not read yet).
fn rich() -> Schema {
    let (mut schema, warnings) = parse_schema(RICH, "schema.sql", Dialect::Postgres).unwrap();
    assert_eq!(warnings, vec![]);
    let mut events = wildebeest_schema::Table::new("events");
    events.columns = vec![
        Column {
            nullable: false,
            auto_increment: true,
            ..Column::new("id", ColumnType::BigInt)
        },
        Column::new("team", ColumnType::Integer),
    ];
    events.primary_key = Some(wildebeest_schema::PrimaryKey {
        name: Some("events_pk".into()),
        columns: vec!["id".into()],
    });
    events.foreign_keys = vec![ForeignKey {
        name: None,
        columns: vec!["team".into()],
        ref_table: "teams".into(),
        ref_columns: vec!["id".into()],
        on_delete: FkAction::SetDefault,
        on_update: FkAction::Cascade,
    }];
    schema.tables.insert("events".into(), events);
    schema.normalize();
    schema
}

/// Runs the statements of `ops` (rendered against the schema they apply to) as one
/// revision.
fn run_ops(db: &TestDb, ops: &[Op], from: &Schema, revision: &str) {
    let mut schema = from.clone();
    let mut sql = Vec::new();
    for op in ops {
        sql.extend(render_op(op, &schema).unwrap_or_else(|e| panic!("{op:?}: {e}")));
        op.apply(&mut schema).unwrap();
    }
    let refs: Vec<&str> = sql.iter().map(String::as_str).collect();
    let mut backend = db.backend();
    backend.ensure_version_tables().unwrap();
    backend
        .execute(&script(&refs), &upgrade(revision))
        .unwrap_or_else(|e| panic!("{e:?}\n{}", sql.join(";\n")));
}

#[test]
fn a_rich_schema_made_from_its_model_reads_back_as_the_model() {
    let db = db!();
    let model = rich();
    let ops = diff(&Schema::new(), &model, &Hints::default());
    run_ops(&db, &ops, &Schema::new(), "r1");
    let mut backend = db.backend();
    assert_synced(&mut backend, &model);

    // And back to nothing, by the inverse.
    let down: Vec<Op> = ops.iter().rev().map(Op::invert).collect();
    run_ops(&db, &down, &model, "r2");
    assert_eq!(backend.inspect().unwrap(), Schema::new());
}

#[test]
fn what_postgres_adds_to_a_schema_is_read_back_as_written() {
    let mut db = db!(RICH);
    let mut backend = db.backend();
    let got = backend.inspect().unwrap();
    let (want, _) = parse_schema(RICH, "schema.sql", Dialect::Postgres).unwrap();
    assert_synced(&mut backend, &want);
    // Spot checks of what the diff compares.
    let teams = &got.tables["teams"];
    let column = |name: &str| teams.column(name).unwrap().clone();
    assert_eq!(column("counter").ty, ColumnType::Custom("SERIAL".into()));
    assert_eq!(column("counter").default, None);
    assert_eq!(column("notes").collation.as_deref(), Some("C"));
    assert_eq!(column("notes").default.as_deref(), Some("'it''s'"));
    assert_eq!(column("small").default.as_deref(), Some("-1"));
    assert_eq!(
        teams.checks,
        [
            Check {
                name: None,
                expr: "budget >= 0".into()
            },
            Check {
                name: None,
                expr: "length(name) > 0 AND code IS NOT NULL".into()
            },
            Check {
                name: None,
                expr: "notes LIKE 'x%' OR notes IS NULL".into()
            },
            Check {
                name: None,
                expr: "small NOT IN (-2, -3)".into()
            },
            Check {
                name: Some("status_known".into()),
                expr: "status IN ('open', 'closed')".into()
            },
        ]
    );
    let members = &got.tables["members"];
    assert_eq!(
        members
            .indexes
            .iter()
            .map(|i| i.columns.clone())
            .collect::<Vec<_>>(),
        [
            vec!["team_id".to_string(), "seq DESC".into()],
            vec!["lower(email)".to_string()],
            vec!["\"Display Name\" text_pattern_ops NULLS FIRST".to_string()],
        ]
    );
    // The names PostgreSQL gave: the unnamed ones are unnamed in the model.
    assert_eq!(
        db.rows(&format!(
            "SELECT conname FROM pg_constraint WHERE conrelid = '{}.teams'::regclass ORDER BY conname",
            db.schema
        )),
        crate::util::table(&[
            &["status_known"],
            &["teams_budget_check"],
            &["teams_check"],
            &["teams_name_key"],
            &["teams_notes_check"],
            &["teams_pkey"],
            &["teams_small_check"],
        ])
    );
}

const BEFORE: &str = r#"
CREATE TABLE teams (id INTEGER NOT NULL, name TEXT, PRIMARY KEY (id));
CREATE TABLE people (
    id BIGSERIAL PRIMARY KEY,
    name TEXT COLLATE "C",
    email VARCHAR(200) NOT NULL DEFAULT '',
    team INTEGER,
    born DATE DEFAULT CURRENT_DATE,
    CONSTRAINT people_email_unique UNIQUE (email),
    FOREIGN KEY (team) REFERENCES teams (id) ON DELETE CASCADE,
    CHECK (length(name) > 0)
);
CREATE INDEX people_name ON people (name DESC, lower(email)) WHERE team IS NOT NULL;
CREATE TABLE "Order" ("select" INTEGER, "two words" TEXT);
CREATE TABLE tags (id INTEGER NOT NULL, label TEXT, PRIMARY KEY (id));
"#;

fn before() -> Schema {
    parse_schema(BEFORE, "before.sql", Dialect::Postgres)
        .unwrap()
        .0
}

/// The ops `sql` resolves to against `schema`, and the schema after them.
fn parse_and_resolve(sql: &str, schema: &Schema) -> (Vec<Op>, Schema) {
    let (statements, warnings) = parse_statements(sql, "m.sql", Dialect::Postgres).unwrap();
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

/// Consecutive `AlterColumn`s of one column as one.
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

/// Renders `op` against `schema`, parses it back, runs it the runner's way on the
/// database holding `schema`, and checks the database; returns the schema after it.
fn check_one(op: &Op, schema: &Schema, db: &mut TestDb, revision: &str) -> Schema {
    let sql = render_op(op, schema).unwrap().join(";\n");
    let (ops, after) = parse_and_resolve(&sql, schema);
    assert_eq!(merge_alters(ops), as_parsed(op), "{sql}");
    let mut backend = db.backend();
    let migrated = crate::util::migrate_as(&mut backend, &sql, Dialect::Postgres, revision)
        .unwrap_or_else(|e| panic!("{sql}: {e:?}"));
    assert_eq!(migrated.after, after);
    assert_synced(&mut backend, &after);
    after
}

/// The op and then its inverse, each through [`check_one`], on a fresh schema.
fn check(make: impl Fn(&Schema) -> Op) {
    let mut db = db!(BEFORE);
    let start = before();
    let op = make(&start);
    let after = check_one(&op, &start, &mut db, "r1");
    let back = check_one(&op.invert(), &after, &mut db, "r2");
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
    created.uniques[0].name = Some("people2_email_unique".into());
    created.columns[0].ty = ColumnType::BigInt;
    created.columns[0].auto_increment = true;
    // Not through `check`: the parser does not read identity columns yet.
    let mut db = db!(BEFORE);
    let mut backend = db.backend();
    let sql = render_op(&Op::CreateTable(created.clone()), &before())
        .unwrap()
        .join(";\n");
    migrate(&mut backend, &sql).unwrap();
    let mut want = before();
    want.tables.insert(created.name.clone(), created);
    assert_synced(&mut backend, &want);
    db.exec("INSERT INTO people2 (email) VALUES ('a@x'), ('b@x')");
    assert_eq!(
        db.rows("SELECT id FROM people2 ORDER BY id"),
        crate::util::table(&[&["1"], &["2"]])
    );

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
    check(alter("email", |c| {
        c.ty = ColumnType::Varchar(Some(12));
        c.default = Some("'none'".into());
    }));
    // A collated column keeps its collation through a new type, written the way the
    // model reads it (without `COLLATE`).
    let db = db!(BEFORE);
    let mut backend = db.backend();
    let migrated = migrate(
        &mut backend,
        "ALTER TABLE people ALTER COLUMN name TYPE VARCHAR(12)",
    )
    .unwrap();
    assert_eq!(
        migrated.after.tables["people"].columns[1]
            .collation
            .as_deref(),
        Some("C")
    );
    assert_synced(&mut backend, &migrated.after);
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
        name: None,
        columns: vec!["name".into(), "team".into()],
    })));
    check(add(Constraint::Check(Check {
        name: Some("born_past".into()),
        expr: "born < '2100-01-01'".into(),
    })));
    check(|_| Op::AddConstraint {
        table: "Order".into(),
        constraint: Constraint::ForeignKey(ForeignKey {
            name: Some("order_select".into()),
            columns: vec!["select".into()],
            ref_table: "tags".into(),
            ref_columns: vec!["id".into()],
            on_delete: FkAction::SetNull,
            on_update: FkAction::Cascade,
        }),
    });
    let drop = |i: usize| {
        move |s: &Schema| Op::DropConstraint {
            table: "people".into(),
            constraint: people(s).constraints()[i].clone(),
        }
    };
    // Primary key, unique, foreign key, check.
    for i in 0..4 {
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
        Op::CreateIndex(Index {
            name: "order_words".into(),
            table: "Order".into(),
            columns: vec![
                "two words".into(),
                "select DESC".into(),
                "\"select\" + 1".into(),
            ],
            unique: true,
            predicate: Some("\"select\" > 0".into()),
        })
    });
}

/// A check on several columns that was written without a name: PostgreSQL names it
/// `t_check`, which is what dropping it says. (`Constraint::sql_name` names it after
/// the first column, `t_team_check`, so the model does not follow this drop yet.)
#[test]
fn an_unnamed_check_on_several_columns_is_dropped_by_the_name_postgres_gave_it() {
    let mut db = db!(BEFORE);
    db.exec("ALTER TABLE people ADD CHECK (team > 0 AND email <> name)");
    let mut backend = db.backend();
    let schema = backend.inspect().unwrap();
    let check = schema.tables["people"]
        .checks
        .iter()
        .find(|c| c.expr.contains("AND"))
        .unwrap()
        .clone();
    assert_eq!(check.name, None);
    let op = Op::DropConstraint {
        table: "people".into(),
        constraint: Constraint::Check(check),
    };
    let sql = render_op(&op, &schema).unwrap();
    assert_eq!(sql, ["ALTER TABLE people DROP CONSTRAINT people_check"]);
    backend.ensure_version_tables().unwrap();
    backend
        .execute(&script(&[sql[0].as_str()]), &upgrade("r1"))
        .unwrap();
    let mut want = schema.clone();
    op.apply(&mut want).unwrap();
    assert_synced(&mut backend, &want);
}
