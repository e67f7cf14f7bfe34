//! What the data-loss guard counts before a destructive statement runs.

use wildebeest_runner::Backend;
use wildebeest_schema::{Column, ColumnType, Op, Table};

use crate::util::db;

const SETUP: &str = "
CREATE TABLE t (id INTEGER, name TEXT, big BIGINT, price NUMERIC(10, 3), at TIMESTAMP, ratio DOUBLE PRECISION);
INSERT INTO t VALUES
    (1, 'short', 1, 1.5, '2026-01-01 00:00:00', 0.5),
    (2, 'a longer name', 3000000000, 12345.678, '2026-01-01 10:30:00', 0.1),
    (3, NULL, -5, NULL, NULL, NULL);
CREATE TABLE empty (a INTEGER);
";

fn alter(column: &str, from: ColumnType, to: ColumnType) -> Op {
    Op::AlterColumn {
        table: "t".into(),
        from: Column::new(column, from),
        to: Column::new(column, to),
    }
}

#[test]
fn destructive_ops_count_what_they_would_destroy() {
    let db = db!(SETUP);
    let mut backend = db.backend();
    let schema = backend.inspect().unwrap();
    let count = |backend: &mut wildebeest_postgres::PgBackend, op: &Op| {
        let query = backend.loss_query(op).unwrap();
        backend.count(&query).unwrap()
    };
    use ColumnType::*;
    let cases = [
        (Op::DropTable(schema.tables["t"].clone()), Some(3)),
        (Op::DropTable(schema.tables["empty"].clone()), Some(0)),
        (
            Op::DropColumn {
                table: "t".into(),
                column: Column::new("name", Text),
            },
            Some(2),
        ),
        (alter("name", Text, Varchar(Some(5))), Some(1)),
        (alter("name", Text, Varchar(Some(20))), Some(0)),
        (alter("big", BigInt, Integer), Some(1)),
        (alter("big", BigInt, SmallInt), Some(1)),
        (
            alter(
                "price",
                Decimal {
                    precision: Some(10),
                    scale: Some(3),
                },
                Decimal {
                    precision: Some(6),
                    scale: Some(2),
                },
            ),
            // 12345.678 needs five digits before the point and loses one after it;
            // 1.500 reads back as 1.50.
            Some(2),
        ),
        (
            alter(
                "price",
                Decimal {
                    precision: Some(10),
                    scale: Some(3),
                },
                Integer,
            ),
            Some(2),
        ),
        // Every timestamp reads back without its time of day.
        (alter("at", Timestamp, Date), Some(2)),
        // 0.5 is a `REAL` as it is; 0.1 is not.
        (alter("ratio", Double, Real), Some(1)),
    ];
    for (op, want) in cases {
        assert_eq!(count(&mut backend, &op), want, "{op:?}");
    }
    // What PostgreSQL cannot count exactly counts every non-NULL value: never none.
    let query = backend.loss_query(&alter("name", Text, Integer)).unwrap();
    assert_eq!(backend.count(&query).unwrap(), Some(2));
}

#[test]
fn counting_in_tables_and_columns_not_there_yet_is_none() {
    let db = db!(SETUP);
    let mut backend = db.backend();
    let gone = Op::DropTable(Table::new("not_yet"));
    let query = backend.loss_query(&gone).unwrap();
    assert_eq!(backend.count(&query).unwrap(), None);
    let gone = Op::DropColumn {
        table: "t".into(),
        column: Column::new("not_yet", ColumnType::Text),
    };
    let query = backend.loss_query(&gone).unwrap();
    assert_eq!(backend.count(&query).unwrap(), None);
    let err = backend
        .count("SELECT count(*) FROM t WHERE 1 / 0 = 1")
        .unwrap_err();
    assert_eq!(
        err.message,
        "cannot check `SELECT count(*) FROM t WHERE 1 / 0 = 1`: division by zero"
    );
}

#[test]
fn counts_asked_together_answer_as_counts_asked_one_by_one() {
    let db = db!(SETUP);
    let mut backend = db.backend();
    let drop = |name: &str| Op::DropTable(Table::new(name));
    let drop_column = |name: &str| Op::DropColumn {
        table: "t".into(),
        column: Column::new(name, ColumnType::Text),
    };
    // More than one query's worth, with tables and columns that are there and not.
    let mut ops = Vec::new();
    for i in 0..450 {
        ops.push(match i % 5 {
            0 => drop("t"),
            1 => drop("empty"),
            2 => drop_column("name"),
            3 => drop("not_yet"),
            _ => drop_column("not_yet"),
        });
    }
    let queries: Vec<String> = ops
        .iter()
        .map(|op| backend.loss_query(op).unwrap())
        .collect();
    let refs: Vec<&str> = queries.iter().map(String::as_str).collect();
    let one_by_one: Vec<Option<u64>> = refs.iter().map(|q| backend.count(q).unwrap()).collect();
    assert_eq!(&one_by_one[..5], [Some(3), Some(0), Some(2), None, None]);
    assert_eq!(backend.counts(&refs).unwrap(), one_by_one);
    // Only tables that exist: answered in whole queries.
    let there: Vec<&str> = refs
        .iter()
        .zip(&one_by_one)
        .filter(|(_, n)| n.is_some())
        .map(|(q, _)| *q)
        .collect();
    let expected: Vec<Option<u64>> = one_by_one.iter().copied().filter(Option::is_some).collect();
    assert_eq!(backend.counts(&there).unwrap(), expected);
    assert_eq!(backend.counts(&[]).unwrap(), Vec::<Option<u64>>::new());
    // An error other than a missing table or column is still an error.
    let err = backend
        .counts(&[
            "SELECT count(*) FROM t",
            "SELECT count(*) FROM t WHERE 1 / 0 = 1",
        ])
        .unwrap_err();
    assert!(err.message.contains("division by zero"), "{}", err.message);
}
