//! The rule that decides when a type change needs `USING`, held to the server's own
//! answers: for every ordered pair of the types the model renders (and the common
//! types a schema names that the model keeps as written), on an empty table,
//! `ALTER COLUMN ... TYPE` without `USING` succeeds exactly when the renderer writes
//! none, and the statement the renderer writes always succeeds. A `USING` where the
//! server needs none would change its meaning (an explicit cast cuts a string too
//! long for `VARCHAR(n)` where the assignment cast refuses it); none where it needs
//! one makes a migration that fails at `upgrade`.

use wildebeest_postgres::render_op;
use wildebeest_schema::{Column, ColumnType, Op, Schema};
use wildebeest_sql::{Dialect, parse_type};

use crate::util::{client, db};

/// Types with their parameters, as a schema writes them.
const TYPES: &[&str] = &[
    "SMALLINT",
    "INTEGER",
    "BIGINT",
    "REAL",
    "DOUBLE PRECISION",
    "NUMERIC",
    "NUMERIC(10, 2)",
    "BOOLEAN",
    "CHAR(5)",
    "VARCHAR(10)",
    "VARCHAR",
    "TEXT",
    "BYTEA",
    "DATE",
    "TIME",
    "TIME(3)",
    "TIMETZ",
    "TIMESTAMP",
    "TIMESTAMP(3)",
    "TIMESTAMPTZ",
    "INTERVAL",
    "INTERVAL DAY",
    "JSON",
    "JSONB",
    "UUID",
    "BIT(3)",
    "VARBIT(8)",
    "INET",
    "CIDR",
    "MACADDR",
    "MACADDR8",
    "MONEY",
    "XML",
    "INTEGER[]",
    "TEXT[]",
    "mood",
    "mood[]",
];

fn model_type(text: &str) -> ColumnType {
    match text {
        "mood" => ColumnType::Enum("mood".into()),
        "mood[]" => ColumnType::EnumArray("mood".into()),
        _ => parse_type(text, Dialect::Postgres).unwrap(),
    }
}

#[test]
fn using_is_written_exactly_when_the_server_needs_it() {
    let db = db!("CREATE TYPE mood AS ENUM ('a', 'b')");
    let mut conn = client(&db.url);
    conn.batch_execute(&format!("SET search_path TO {}", db.schema))
        .unwrap();
    let mut schema = Schema::default();
    schema
        .enums
        .insert("mood".into(), vec!["a".into(), "b".into()]);
    let mut wrong = Vec::new();
    let mut needed = 0;
    let types: Vec<(&str, ColumnType)> = TYPES.iter().map(|t| (*t, model_type(t))).collect();
    for (from, a) in &types {
        // An empty table of the type `from`, in a transaction rolled back at the end.
        conn.batch_execute(&format!("BEGIN; CREATE TABLE p (v {from})"))
            .unwrap();
        for (to, b) in &types {
            if a == b {
                continue;
            }
            let op = Op::AlterColumn {
                table: "p".into(),
                from: Column::new("v", a.clone()),
                to: Column::new("v", b.clone()),
            };
            let rendered = render_op(&op, &schema).unwrap().join("; ");
            let plain = format!(
                "ALTER TABLE p ALTER COLUMN v TYPE {}",
                wildebeest_postgres::render_type(b).unwrap()
            );
            let server_needs = try_on(&mut conn, &plain).is_err();
            needed += usize::from(server_needs);
            if server_needs != rendered.contains(" USING ") {
                wrong.push(format!(
                    "{from} -> {to}: the server {} USING, wildebeest wrote `{rendered}`",
                    if server_needs { "needs" } else { "needs no" }
                ));
            }
            // Without `USING` the statement is the one just tried.
            let runs = if server_needs {
                try_on(&mut conn, &rendered)
            } else {
                Ok(())
            };
            if let Err(e) = runs {
                wrong.push(format!("{from} -> {to}: `{rendered}` fails: {e}"));
            }
        }
        conn.batch_execute("ROLLBACK").unwrap();
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    // The matrix holds both kinds, so the comparison above can fail either way.
    assert!(needed > 100 && needed < TYPES.len() * (TYPES.len() - 1) - 100);
}

/// `sql` in the open transaction, undone whether it fails or not; the server's
/// message when it fails.
fn try_on(conn: &mut postgres::Client, sql: &str) -> Result<(), String> {
    let out = conn.batch_execute(&format!("SAVEPOINT s; {sql}"));
    conn.batch_execute("ROLLBACK TO SAVEPOINT s").unwrap();
    out.map_err(|e| {
        e.as_db_error()
            .map_or(e.to_string(), |d| d.message().to_string())
    })
}
