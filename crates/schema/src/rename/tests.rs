use super::*;
use crate::build::*;
use crate::diff::diff;
use crate::model::{ColumnType::*, Table};

/// Compares the table candidates with `expect`, and checks that the diff, told any one
/// of them, renames the table.
#[track_caller]
fn check_tables(from: &Schema, to: &Schema, expect: &[(&str, &str)]) {
    let got = table_rename_candidates(from, to);
    let want: Vec<(String, String)> = expect
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect();
    assert_eq!(got, want);
    for (a, b) in got {
        let mut hints = Hints::default();
        RenameCandidate::Table {
            from: a.clone(),
            to: b.clone(),
        }
        .add_to(&mut hints);
        assert_eq!(
            diff(from, to, &hints).first(),
            Some(&Op::RenameTable { from: a, to: b })
        );
    }
}

/// Compares the column candidates' descriptions, one a line, with `expect`, and checks
/// that the diff, told `hints` and any one of them, renames the column.
#[track_caller]
fn check_columns(from: &Schema, to: &Schema, hints: &Hints, expect: &str) {
    let got = column_rename_candidates(from, to, hints);
    let text: Vec<String> = got.iter().map(RenameCandidate::describe).collect();
    assert_eq!(text.join("\n"), expect.trim());
    for c in &got {
        let RenameCandidate::Column {
            table,
            from: a,
            to: b,
        } = c
        else {
            panic!("a table among column candidates: {}", c.describe());
        };
        let mut accepted = hints.clone();
        c.add_to(&mut accepted);
        let rename = Op::RenameColumn {
            table: table.clone(),
            from: a.name.clone(),
            to: b.name.clone(),
        };
        assert!(
            diff(from, to, &accepted).contains(&rename),
            "the diff does not rename {}",
            c.describe()
        );
    }
}

/// The seed tutorial's table, under `name`, with `address` as the third column.
fn department(name: &str, address: Column) -> Table {
    let mut t = table(name)
        .col("id", Integer)
        .col_nn("name", Varchar(None))
        .pk(&["id"])
        .build();
    t.columns.push(address);
    t
}

fn address() -> Column {
    Column::new("address", Varchar(None))
}

fn location() -> Column {
    Column {
        nullable: false,
        ..Column::new("location", Varchar(None))
    }
}

fn table_hint(from: &str, to: &str) -> Hints {
    Hints {
        table_renames: vec![(from.into(), to.into())],
        column_renames: vec![],
    }
}

#[test]
fn seed_table_rename_is_one_candidate() {
    let from = schema(vec![department("department", address())]);
    let to = schema(vec![department("departments", address())]);
    check_tables(&from, &to, &[("department", "departments")]);
    assert_eq!(
        RenameCandidate::Table {
            from: "department".into(),
            to: "departments".into()
        }
        .describe(),
        "table department to departments"
    );
    // No table is in both, so no column can be paired.
    check_columns(&from, &to, &Hints::default(), "");
    // Without the hint the diff drops the table, and says what that loses.
    let losses: Vec<String> = diff(&from, &to, &Hints::default())
        .iter()
        .filter_map(Op::data_loss)
        .collect();
    assert_eq!(
        losses,
        ["drops table `department` and every row in it".to_string()]
    );
}

#[test]
fn seed_column_rename_is_one_candidate_once_the_table_rename_is_known() {
    let from = schema(vec![department("department", address())]);
    let to = schema(vec![department("departments", location())]);
    // The columns differ, so the tables do not look alike.
    check_tables(&from, &to, &[]);
    check_columns(&from, &to, &Hints::default(), "");
    let mut hints = table_hint("department", "departments");
    check_columns(
        &from,
        &to,
        &hints,
        "column departments.address (VARCHAR) to location (VARCHAR NOT NULL)",
    );
    // Accepting both gives the tutorial's migration.
    let [candidate] = column_rename_candidates(&from, &to, &hints)
        .try_into()
        .expect("one candidate");
    assert_eq!(
        candidate,
        RenameCandidate::Column {
            table: "departments".into(),
            from: address(),
            to: location(),
        }
    );
    candidate.add_to(&mut hints);
    let ops: Vec<String> = diff(&from, &to, &hints).iter().map(Op::describe).collect();
    assert_eq!(
        ops,
        [
            "renamed table `department` to `departments`",
            "renamed column `departments.address` to `location`",
            "changed column `departments.location`: now NOT NULL",
        ]
    );
    // The tutorial's step 5 on its own: the table is already `departments`.
    let before = schema(vec![department("departments", address())]);
    check_columns(
        &before,
        &to,
        &Hints::default(),
        "column departments.address (VARCHAR) to location (VARCHAR NOT NULL)",
    );
}

#[test]
fn table_candidates_ignore_everything_but_column_names_and_types() {
    let from = schema(vec![
        table("t")
            .col_nn("a", Integer)
            .col("b", Text)
            .pk(&["a"])
            .unique(&["b"])
            .index("ix_t_b", &["b"], false, None)
            .build(),
    ]);
    let mut u = table("u").col("b", Text).col("a", Integer).build();
    u.columns[0].default = Some("'x'".into());
    u.columns[0].collation = Some("NOCASE".into());
    u.options.strict = true;
    let to = schema(vec![u]);
    check_tables(&from, &to, &[("t", "u")]);
}

#[test]
fn no_table_candidate_when_columns_differ() {
    let from = schema(vec![table("t").col("a", Integer).col("b", Text).build()]);
    let cases = [
        // A type of the same family is still another type.
        table("u").col("a", BigInt).col("b", Text).build(),
        table("u").col("a", Integer).col("b", Varchar(None)).build(),
        // A column more, a column less, a column renamed.
        table("u")
            .col("a", Integer)
            .col("b", Text)
            .col("c", Text)
            .build(),
        table("u").col("a", Integer).build(),
        table("u").col("a", Integer).col("c", Text).build(),
    ];
    for u in cases {
        check_tables(&from, &schema(vec![u]), &[]);
    }
    // A table in both schemas is no candidate, however alike.
    let t = table("t").col("a", Integer).build();
    let from = schema(vec![t.clone()]);
    let to = schema(vec![t, table("u").col("a", Integer).build()]);
    check_tables(&from, &to, &[]);
}

#[test]
fn ambiguous_tables_give_every_pair() {
    let shape = |name: &str| table(name).col("id", Integer).col("name", Text).build();
    // Two new tables match one dropped table.
    let from = schema(vec![shape("dept")]);
    let to = schema(vec![shape("depts"), shape("departments")]);
    check_tables(&from, &to, &[("dept", "departments"), ("dept", "depts")]);
    // One new table matches two dropped ones.
    let from = schema(vec![shape("b"), shape("a")]);
    let to = schema(vec![shape("c")]);
    check_tables(&from, &to, &[("a", "c"), ("b", "c")]);
    // Both at once, with a bystander of another shape.
    let from = schema(vec![
        shape("a"),
        shape("b"),
        table("x").col("id", Text).build(),
    ]);
    let to = schema(vec![
        shape("c"),
        shape("d"),
        table("y").col("id", Integer).build(),
    ]);
    check_tables(
        &from,
        &to,
        &[("a", "c"), ("a", "d"), ("b", "c"), ("b", "d")],
    );
}

#[test]
fn column_candidates_follow_the_table_renames_the_diff_makes() {
    let from = schema(vec![table("t").col("a", Integer).build()]);
    let to = schema(vec![
        table("t").col("b", Integer).build(),
        table("u").col("c", Integer).build(),
    ]);
    // Unrenamed, `t` pairs with `t`.
    check_columns(
        &from,
        &to,
        &Hints::default(),
        "column t.a (INTEGER) to b (INTEGER)",
    );
    // Renamed to `u`, the old `t` pairs with `u`, and the new `t` is a new table.
    check_columns(
        &from,
        &to,
        &table_hint("t", "u"),
        "column u.a (INTEGER) to c (INTEGER)",
    );
    // Hints the diff skips are skipped here too: a new name not in `to`, an old name
    // not in `from`.
    check_columns(
        &from,
        &to,
        &table_hint("t", "v"),
        "column t.a (INTEGER) to b (INTEGER)",
    );
    check_columns(
        &from,
        &to,
        &table_hint("nope", "u"),
        "column t.a (INTEGER) to b (INTEGER)",
    );
}

#[test]
fn every_pair_inside_a_renamed_table_sorted() {
    let from = schema(vec![
        table("emp")
            .col("id", Integer)
            .col("nm", Text)
            .col("mail", Varchar(Some(100)))
            .col("pay", Integer)
            .pk(&["id"])
            .build(),
    ]);
    let to = schema(vec![
        table("employees")
            .col("id", Integer)
            .col("salary", BigInt)
            .col("email", Varchar(Some(200)))
            .col("name", Text)
            .pk(&["id"])
            .build(),
    ]);
    check_columns(
        &from,
        &to,
        &table_hint("emp", "employees"),
        "
column employees.mail (VARCHAR(100)) to email (VARCHAR(200))
column employees.mail (VARCHAR(100)) to name (TEXT)
column employees.nm (TEXT) to email (VARCHAR(200))
column employees.nm (TEXT) to name (TEXT)
column employees.pay (INTEGER) to salary (BIGINT)",
    );
}

#[test]
fn compatible_types() {
    let dec = |p: Option<u32>, s: Option<u32>| Decimal {
        precision: p,
        scale: s,
    };
    let custom = |s: &str| Custom(s.into());
    let yes = [
        (Integer, Integer),
        (SmallInt, BigInt),
        (BigInt, Integer),
        (Boolean, Integer),
        (SmallInt, Boolean),
        (Boolean, Boolean),
        (Real, Double),
        (Double, dec(Some(10), Some(2))),
        (dec(None, None), dec(Some(5), None)),
        (Char(Some(3)), Varchar(None)),
        (Varchar(Some(10)), Text),
        (Text, Char(None)),
        (Timestamp, TimestampTz),
        (TimestampTz, Timestamp),
        (Date, Date),
        (Time, Time),
        (Blob, Blob),
        (Json, Json),
        (Uuid, Uuid),
        (custom("MONEY"), custom("money")),
    ];
    let no = [
        (Text, Integer),
        (Integer, Text),
        (Integer, Real),
        (BigInt, dec(Some(20), None)),
        (Boolean, Text),
        (Date, Timestamp),
        (Time, Timestamp),
        (Date, Time),
        (Blob, Text),
        (Text, Blob),
        (Json, Text),
        (Uuid, Varchar(Some(36))),
        (Json, Uuid),
        (custom("MONEY"), custom("GEOMETRY")),
        (custom("TEXT"), Text),
        (Text, custom("TEXT")),
        (custom("INTEGER"), Integer),
    ];
    for (a, b) in yes {
        assert!(compatible(&a, &b), "{a} ~ {b}");
    }
    for (a, b) in no {
        assert!(!compatible(&a, &b), "{a} !~ {b}");
    }
}

#[test]
fn only_compatible_columns_pair() {
    let from = schema(vec![
        table("t")
            .col("id", Integer)
            .col("note", Text)
            .col("at", Timestamp)
            .col("data", Blob)
            .build(),
    ]);
    let to = schema(vec![
        table("t")
            .col("id", Integer)
            .col("amount", Integer)
            .col("memo", Varchar(Some(20)))
            .col("at_tz", TimestampTz)
            .col("day", Date)
            .build(),
    ]);
    check_columns(
        &from,
        &to,
        &Hints::default(),
        "
column t.at (TIMESTAMP) to at_tz (TIMESTAMP WITH TIME ZONE)
column t.note (TEXT) to memo (VARCHAR(20))",
    );
    // Text against Integer only: nothing.
    let from = schema(vec![table("t").col("a", Text).build()]);
    let to = schema(vec![table("t").col("b", Integer).build()]);
    check_columns(&from, &to, &Hints::default(), "");
}

#[test]
fn columns_a_hint_names_are_left_out() {
    let from = schema(vec![table("t").col("a", Text).col("b", Text).build()]);
    let to = schema(vec![table("t").col("c", Text).col("d", Text).build()]);
    check_columns(
        &from,
        &to,
        &Hints::default(),
        "
column t.a (TEXT) to c (TEXT)
column t.a (TEXT) to d (TEXT)
column t.b (TEXT) to c (TEXT)
column t.b (TEXT) to d (TEXT)",
    );
    let hint = |t: &str, a: &str, b: &str| Hints {
        table_renames: vec![],
        column_renames: vec![(t.into(), a.into(), b.into())],
    };
    check_columns(
        &from,
        &to,
        &hint("t", "a", "c"),
        "column t.b (TEXT) to d (TEXT)",
    );
    // A hint names a column on its own side only, even when it does not fit.
    check_columns(
        &from,
        &to,
        &hint("t", "a", "zzz"),
        "
column t.b (TEXT) to c (TEXT)
column t.b (TEXT) to d (TEXT)",
    );
    check_columns(
        &from,
        &to,
        &hint("t", "zzz", "d"),
        "
column t.a (TEXT) to c (TEXT)
column t.b (TEXT) to c (TEXT)",
    );
    // A hint for another table changes nothing here.
    check_columns(
        &from,
        &to,
        &hint("u", "a", "c"),
        "
column t.a (TEXT) to c (TEXT)
column t.a (TEXT) to d (TEXT)
column t.b (TEXT) to c (TEXT)
column t.b (TEXT) to d (TEXT)",
    );
}

#[test]
fn candidates_do_not_depend_on_declaration_order() {
    let from = schema(vec![
        table("t")
            .col("a", Text)
            .col("b", Integer)
            .col("c", Text)
            .build(),
        table("x").col("k", Integer).col("v", Text).build(),
        table("y").col("k", Integer).col("v", Text).build(),
    ]);
    let to = schema(vec![
        table("t")
            .col("e", Text)
            .col("d", Text)
            .col("f", BigInt)
            .build(),
        table("z").col("v", Text).col("k", Integer).build(),
    ]);
    let reversed = |s: &Schema| {
        let mut s = s.clone();
        for t in s.tables.values_mut() {
            t.columns.reverse();
        }
        s
    };
    let tables = table_rename_candidates(&from, &to);
    let columns = column_rename_candidates(&from, &to, &Hints::default());
    for _ in 0..3 {
        assert_eq!(table_rename_candidates(&from, &to), tables);
        assert_eq!(
            column_rename_candidates(&from, &to, &Hints::default()),
            columns
        );
    }
    assert_eq!(
        table_rename_candidates(&reversed(&from), &reversed(&to)),
        tables
    );
    assert_eq!(
        column_rename_candidates(&reversed(&from), &reversed(&to), &Hints::default()),
        columns
    );
    check_tables(&from, &to, &[("x", "z"), ("y", "z")]);
    check_columns(
        &from,
        &to,
        &Hints::default(),
        "
column t.a (TEXT) to d (TEXT)
column t.a (TEXT) to e (TEXT)
column t.b (INTEGER) to f (BIGINT)
column t.c (TEXT) to d (TEXT)
column t.c (TEXT) to e (TEXT)",
    );
}

#[test]
fn a_name_changed_only_in_case_is_a_rename_of_the_table_and_its_columns() {
    let from = schema(vec![
        table("users").col("id", Integer).col("bio", Text).build(),
    ]);
    let to = schema(vec![
        table("Users").col("id", Integer).col("Bio", Text).build(),
    ]);
    let hints = case_only_renames(&from, &to);
    assert_eq!(
        hints,
        Hints {
            table_renames: vec![("users".into(), "Users".into())],
            column_renames: vec![("Users".into(), "bio".into(), "Bio".into())],
        }
    );
    assert_eq!(
        diff(&from, &to, &hints),
        vec![
            Op::RenameTable {
                from: "users".into(),
                to: "Users".into()
            },
            Op::RenameColumn {
                table: "Users".into(),
                from: "bio".into(),
                to: "Bio".into()
            },
        ]
    );
    // Ambiguous (two new names fold to one old name) or not only in case: no rename.
    let to = schema(vec![
        table("USERS").col("id", Integer).build(),
        table("Users").col("id", Integer).build(),
        table("members").col("id", Integer).build(),
    ]);
    assert_eq!(case_only_renames(&from, &to), Hints::default());
}
