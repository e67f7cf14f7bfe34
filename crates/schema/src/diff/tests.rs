use super::*;
use crate::build::*;
use crate::model::{Column, ColumnType, ColumnType::*, FkAction};

/// Diffs, checks that the ops reach `to` and that their inverses lead back, and
/// compares the ops' descriptions, one a line.
#[track_caller]
fn check(from: &Schema, to: &Schema, hints: &Hints, expect: &str) {
    let ops = diff(from, to, hints);
    let mut s = from.clone();
    for op in &ops {
        op.apply(&mut s)
            .unwrap_or_else(|e| panic!("{} does not apply: {e}", op.describe()));
    }
    assert_eq!(
        diff(&s, to, &Hints::default()),
        [],
        "the ops do not reach `to`"
    );
    for op in ops.iter().rev() {
        op.invert()
            .apply(&mut s)
            .unwrap_or_else(|e| panic!("undoing {}: {e}", op.describe()));
    }
    assert_eq!(
        diff(&s, from, &Hints::default()),
        [],
        "the inverses do not lead back"
    );
    let got: Vec<String> = ops.iter().map(Op::describe).collect();
    assert_eq!(got.join("\n"), expect.trim());
}

fn dept() -> Table {
    table("dept").col("id", Integer).pk(&["id"]).build()
}

fn emp() -> Table {
    table("emp")
        .col("id", Integer)
        .col("dept_id", Integer)
        .pk(&["id"])
        .fk(&["dept_id"], "dept", &["id"])
        .build()
}

#[test]
fn creates_parents_before_children() {
    // `emp` sorts after `dept` by name; `a_emp` before it, and still comes after it.
    let child = Table {
        name: "a_emp".into(),
        ..emp()
    };
    check(
        &Schema::new(),
        &schema(vec![child, dept()]),
        &Hints::default(),
        "
added table `dept`
added table `a_emp`",
    );
}

#[test]
fn drops_children_before_parents() {
    let child = table("z_emp")
        .col("dept_id", Integer)
        .fk(&["dept_id"], "dept", &["id"])
        .build();
    check(
        &schema(vec![dept(), child]),
        &Schema::new(),
        &Hints::default(),
        "
removed table `z_emp`
removed table `dept`",
    );
}

#[test]
fn breaks_cycles_by_name() {
    let a = table("a")
        .col("id", Integer)
        .col("b", Integer)
        .pk(&["id"])
        .fk(&["b"], "b", &["id"])
        .build();
    let b = table("b")
        .col("id", Integer)
        .col("a", Integer)
        .pk(&["id"])
        .fk(&["a"], "a", &["id"])
        .build();
    let c = table("c")
        .col("a", Integer)
        .fk(&["a"], "a", &["id"])
        .build();
    let s = schema(vec![a, b, c]);
    check(
        &Schema::new(),
        &s,
        &Hints::default(),
        // PostgreSQL and MySQL refuse a reference to a table not there yet: `a`'s key
        // to `b` comes once `b` is.
        "added table `a`\nadded table `b`\nadded table `c`\nadded foreign key on `a` (b) -> b (id)",
    );
    check(
        &s,
        &Schema::new(),
        &Hints::default(),
        // And refuse to drop a table another one references: `b`'s key to `a` goes
        // before `a` does.
        "removed foreign key on `b` (a) -> a (id)\nremoved table `c`\nremoved table `a`\nremoved table `b`",
    );
}

#[test]
fn a_new_foreign_key_to_a_new_table_comes_after_it() {
    let before = table("emp")
        .col("id", Integer)
        .col("dept_id", Integer)
        .pk(&["id"])
        .build();
    check(
        &schema(vec![before]),
        &schema(vec![dept(), emp()]),
        &Hints::default(),
        "
added table `dept`
added foreign key on `emp` (dept_id) -> dept (id)",
    );
}

#[test]
fn drops_a_foreign_key_before_the_table_it_references() {
    let after = table("emp")
        .col("id", Integer)
        .col("dept_id", Integer)
        .pk(&["id"])
        .build();
    check(
        &schema(vec![dept(), emp()]),
        &schema(vec![after]),
        &Hints::default(),
        "
removed foreign key on `emp` (dept_id) -> dept (id)
removed table `dept`",
    );
}

#[test]
fn changes_inside_a_table_in_order() {
    let from = table("t")
        .col("id", Integer)
        .col("old", Text)
        .col("salary", Integer)
        .pk(&["id"])
        .unique(&["old"])
        .check(None, "salary > 0")
        .index("ix_t_old", &["old"], false, None)
        .index("ix_t_salary", &["salary"], false, None)
        .build();
    let to = table("t")
        .col("id", Integer)
        .col_nn("salary", BigInt)
        .col("b", Text)
        .col("a", Text)
        .pk(&["id"])
        .unique(&["a", "b"])
        .check(None, "salary >= 0")
        .index("ix_t_salary", &["salary DESC"], false, None)
        .fk(&["a"], "t", &["id"])
        .build();
    let mut to = schema(vec![to]);
    to.tables.get_mut("t").unwrap().columns[1].default = Some("0".into());
    check(
        &schema(vec![from]),
        &to,
        &Hints::default(),
        "
removed index `ix_t_old` on `t` (old)
removed index `ix_t_salary` on `t` (salary)
removed unique constraint on `t` (old)
removed check constraint on `t` (salary > 0)
removed column `t.old`
added column `t.b` (TEXT)
added column `t.a` (TEXT)
changed column `t.salary`: type INTEGER -> BIGINT, now NOT NULL, default none -> 0
added unique constraint on `t` (a, b)
added check constraint on `t` (salary >= 0)
added index `ix_t_salary` on `t` (salary DESC)
added foreign key on `t` (a) -> t (id)",
    );
}

#[test]
fn a_new_primary_key_comes_after_its_columns_are_not_null() {
    let from = table("t").col("a", Integer).build();
    let to = table("t").col("a", Integer).pk(&["a"]).build();
    check(
        &schema(vec![from]),
        &schema(vec![to]),
        &Hints::default(),
        "
changed column `t.a`: now NOT NULL
added primary key on `t` (a)",
    );
}

#[test]
fn renames_come_first_and_columns_follow_their_table() {
    let from = schema(vec![
        table("dept")
            .col("id", Integer)
            .col("address", Text)
            .pk(&["id"])
            .index("ix_addr", &["address"], false, None)
            .build(),
        table("emp")
            .col("dept_id", Integer)
            .col("nm", Text)
            .fk(&["dept_id"], "dept", &["id"])
            .build(),
    ]);
    let to = schema(vec![
        table("departments")
            .col("id", Integer)
            .col("location", Text)
            .pk(&["id"])
            .index("ix_addr", &["location"], false, None)
            .build(),
        table("emp")
            .col("dept_id", Integer)
            .col("name", Text)
            .col("x", Integer)
            .fk(&["dept_id"], "departments", &["id"])
            .build(),
    ]);
    let hints = Hints {
        table_renames: vec![
            ("dept".into(), "departments".into()),
            ("nope".into(), "emp".into()),
        ],
        column_renames: vec![
            ("emp".into(), "nm".into(), "name".into()),
            ("departments".into(), "address".into(), "location".into()),
            ("emp".into(), "nope".into(), "x".into()),
        ],
    };
    check(
        &from,
        &to,
        &hints,
        "
renamed table `dept` to `departments`
renamed column `departments.address` to `location`
renamed column `emp.nm` to `name`
added column `emp.x` (INTEGER)",
    );
}

#[test]
fn column_order_table_options_and_unmodeled_parts_are_no_difference() {
    let from = table("t").col("a", Integer).col("b", Integer).build();
    let mut to = table("t").col("b", Integer).col("a", Integer).build();
    to.options.strict = true;
    to.unmodeled
        .push("c INTEGER GENERATED ALWAYS AS (a + b)".into());
    assert_eq!(
        diff(&schema(vec![from]), &schema(vec![to]), &Hints::default()),
        []
    );
}

#[test]
fn unnormalized_inputs_compare_by_content() {
    let mut from = schema(vec![
        table("t")
            .col("a", Integer)
            .col("b", Integer)
            .unique(&["a"])
            .unique(&["b"])
            .build(),
    ]);
    from.tables.get_mut("t").unwrap().uniques.reverse();
    let to = schema(vec![
        table("t")
            .col("a", Integer)
            .col("b", Integer)
            .unique(&["b"])
            .unique(&["a"])
            .build(),
    ]);
    assert_eq!(diff(&from, &to, &Hints::default()), []);
}

#[test]
fn an_index_moving_between_tables_is_dropped_before_it_is_created() {
    let from = schema(vec![
        table("a")
            .col("x", Integer)
            .index("ix", &["x"], false, None)
            .build(),
        table("b").col("x", Integer).build(),
    ]);
    let to = schema(vec![
        table("a").col("x", Integer).build(),
        table("b")
            .col("x", Integer)
            .index("ix", &["x"], false, None)
            .build(),
        table("c")
            .col("x", Integer)
            .index("ix_c", &["x"], false, None)
            .build(),
    ]);
    check(
        &from,
        &to,
        &Hints::default(),
        "
removed index `ix` on `a` (x)
added index `ix` on `b` (x)
added table `c`",
    );
}

#[test]
fn the_doc_example_gives_the_target_exactly() {
    let mut to = Schema::new();
    let mut t = Table::new("employees");
    t.columns.push(Column::new("name", Text));
    to.tables.insert(t.name.clone(), t);
    let ops = diff(&Schema::new(), &to, &Hints::default());
    let mut s = Schema::new();
    for op in &ops {
        op.apply(&mut s).unwrap();
    }
    assert_eq!(s, to);
}

/// `tables` with the enum types `enums` (name, labels).
fn with_enums(tables: Vec<Table>, enums: &[(&str, &[&str])]) -> Schema {
    let mut s = schema(tables);
    for (name, labels) in enums {
        s.enums.insert(
            name.to_string(),
            labels.iter().map(|l| l.to_string()).collect(),
        );
    }
    s
}

fn person(mood_type: ColumnType) -> Table {
    table("person")
        .col("id", Integer)
        .col("mood", mood_type)
        .pk(&["id"])
        .build()
}

fn mood() -> ColumnType {
    ColumnType::Enum("mood".into())
}

#[test]
fn enum_types_come_before_the_tables_that_use_them_and_go_after() {
    let with = with_enums(vec![person(mood())], &[("mood", &["sad", "ok"])]);
    check(
        &Schema::new(),
        &with,
        &Hints::default(),
        "
added enum type `mood` ('sad', 'ok')
added table `person`",
    );
    check(
        &with,
        &Schema::new(),
        &Hints::default(),
        "
removed table `person`
removed enum type `mood` ('sad', 'ok')",
    );
    // A column changing to a new type and away from an old one.
    let other = with_enums(
        vec![person(ColumnType::Enum("feeling".into()))],
        &[("feeling", &["sad", "ok"])],
    );
    check(
        &with,
        &other,
        &Hints::default(),
        "
added enum type `feeling` ('sad', 'ok')
changed column `person.mood`: type mood -> feeling
removed enum type `mood` ('sad', 'ok')",
    );
}

#[test]
fn new_labels_are_added_where_they_go() {
    let from = with_enums(vec![person(mood())], &[("mood", &["sad", "ok"])]);
    let to = with_enums(
        vec![person(mood())],
        &[(
            "mood",
            &["low", "sad", "meh", "fine", "ok", "happy", "great"],
        )],
    );
    check(
        &from,
        &to,
        &Hints::default(),
        "
added value 'low' to enum type `mood` before 'sad'
added value 'meh' to enum type `mood` before 'ok'
added value 'fine' to enum type `mood` before 'ok'
added value 'happy' to enum type `mood`
added value 'great' to enum type `mood`",
    );
    assert_eq!(enum_conflicts(&from, &to), []);
}

#[test]
fn removed_or_reordered_labels_remake_an_unused_type_and_conflict_with_a_used_one() {
    let unused = |labels: &[&str]| with_enums(vec![], &[("mood", labels)]);
    check(
        &unused(&["sad", "ok"]),
        &unused(&["ok", "sad"]),
        &Hints::default(),
        "
removed enum type `mood` ('sad', 'ok')
added enum type `mood` ('ok', 'sad')",
    );
    assert_eq!(enum_conflicts(&unused(&["a", "b"]), &unused(&["b"])), []);

    let used = |labels: &[&str]| with_enums(vec![person(mood())], &[("mood", labels)]);
    let (from, to) = (used(&["sad", "ok", "happy"]), used(&["ok", "sad"]));
    assert_eq!(diff(&from, &to, &Hints::default()), []);
    let conflicts = enum_conflicts(&from, &to);
    assert_eq!(
        conflicts,
        [EnumConflict {
            name: "mood".into(),
            from: vec!["sad".into(), "ok".into(), "happy".into()],
            to: vec!["ok".into(), "sad".into()],
            used_by: vec!["person.mood".into()],
        }]
    );
    let message = conflicts[0].to_string();
    assert!(
        message.starts_with(
            "enum type `mood` changes from ('sad', 'ok', 'happy') to ('ok', 'sad'), which \
             removes the value 'happy'; PostgreSQL can only add values to an enum, and \
             column `person.mood` uses the type, so this needs a migration written by hand"
        ),
        "{message}"
    );
    // An array of the type uses it too.
    let in_array = |labels: &[&str]| {
        let moods = ColumnType::EnumArray("mood".into());
        with_enums(vec![person(moods)], &[("mood", labels)])
    };
    let (from, to) = (in_array(&["sad", "ok"]), in_array(&["ok"]));
    assert_eq!(diff(&from, &to, &Hints::default()), []);
    assert_eq!(enum_conflicts(&from, &to)[0].used_by, ["person.mood"]);
    let reordered = enum_conflicts(&used(&["sad", "ok"]), &used(&["ok", "sad"]));
    assert!(
        reordered[0]
            .to_string()
            .contains("which reorders its values;"),
        "{}",
        reordered[0]
    );
}

#[test]
fn enum_ops_are_deterministic() {
    let from = with_enums(
        vec![person(mood())],
        &[("mood", &["sad"]), ("b", &["x"]), ("gone", &[])],
    );
    let to = with_enums(
        vec![person(mood())],
        &[("mood", &["sad", "ok"]), ("a", &["y"]), ("c", &["z"])],
    );
    let first = diff(&from, &to, &Hints::default());
    for _ in 0..3 {
        assert_eq!(diff(&from, &to, &Hints::default()), first);
    }
    check(
        &from,
        &to,
        &Hints::default(),
        "
added enum type `a` ('y')
added enum type `c` ('z')
added value 'ok' to enum type `mood`
removed enum type `b` ('x')
removed enum type `gone` ()",
    );
}

#[test]
fn new_table_comes_after_the_unique_constraint_its_foreign_key_references() {
    // `rates` references `currencies (code)`, unique only in `to`: PostgreSQL and
    // MySQL refuse the `REFERENCES` until the constraint exists, and the downgrade
    // (the inverses, reversed) must drop `rates` before the constraint.
    let currencies = || {
        table("currencies")
            .col("id", Integer)
            .col_nn("code", Char(Some(3)))
            .pk(&["id"])
    };
    let rates = table("rates")
        .col_nn("from_code", Char(Some(3)))
        .pk(&["from_code"])
        .fk(&["from_code"], "currencies", &["code"])
        .build();
    check(
        &schema(vec![currencies().build()]),
        &schema(vec![currencies().unique(&["code"]).build(), rates]),
        &Hints::default(),
        "
added unique constraint on `currencies` (code)
added table `rates`",
    );
}

// A changed ON DELETE used to read as the same key removed and added, leaving the
// reader to guess what changed.
#[test]
fn a_changed_foreign_key_action_names_the_actions() {
    let mut cascading = emp();
    cascading.foreign_keys[0].on_delete = FkAction::Cascade;
    cascading.foreign_keys[0].on_update = FkAction::SetNull;
    check(
        &schema(vec![dept(), emp()]),
        &schema(vec![dept(), cascading]),
        &Hints::default(),
        "
removed foreign key on `emp` (dept_id) -> dept (id)
added foreign key on `emp` (dept_id) -> dept (id) on delete cascade on update set null",
    );
}

/// The order `dependency_order` gives, the slow way: every remaining table asked
/// whether it may go, at each step.
fn reference_order<'a>(tables: &[&'a Table], children_first: bool) -> Vec<&'a Table> {
    let mut left: BTreeSet<&str> = tables.iter().map(|t| t.name.as_str()).collect();
    let refs =
        |t: &Table, u: &str| t.name != u && t.foreign_keys.iter().any(|fk| fk.ref_table == u);
    let mut out = Vec::new();
    while !left.is_empty() {
        let waits = |t: &Table| {
            if children_first {
                tables
                    .iter()
                    .any(|o| left.contains(o.name.as_str()) && refs(o, &t.name))
            } else {
                left.iter().any(|u| refs(t, u))
            }
        };
        let remaining = || {
            tables
                .iter()
                .copied()
                .filter(|t| left.contains(t.name.as_str()))
        };
        // Stuck: from the first remaining table, follow the first remaining table each
        // one waits for until one comes again; the first by name of that cycle goes.
        let stuck = || {
            let waited = |t: &Table| {
                remaining().find(|u| {
                    if children_first {
                        refs(u, &t.name)
                    } else {
                        refs(t, &u.name)
                    }
                })
            };
            let mut path: Vec<&Table> = Vec::new();
            let mut cur = remaining().next()?;
            loop {
                if let Some(i) = path.iter().position(|p| p.name == cur.name) {
                    return path[i..].iter().copied().min_by(|a, b| a.name.cmp(&b.name));
                }
                path.push(cur);
                cur = waited(cur)?;
            }
        };
        let Some(next) = remaining().find(|t| !waits(t)).or_else(stuck) else {
            break;
        };
        left.remove(next.name.as_str());
        out.push(next);
    }
    out
}

#[test]
fn dependency_order_is_the_order_it_always_was_and_linear() {
    // Random graphs of foreign keys, cycles and self-references included: the linear
    // order is the one every remaining table is asked for, in both directions.
    let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
    let mut next = move |n: u64| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed % n
    };
    for _ in 0..500 {
        let n = 1 + next(12);
        let tables: Vec<Table> = (0..n)
            .map(|i| {
                let mut t = table(&format!("t{i}")).col("id", Integer);
                for _ in 0..next(3) {
                    let target = format!("t{}", next(n + 1));
                    t = t.fk(&["id"], &target, &["id"]);
                }
                t.build()
            })
            .collect();
        let mut refs: Vec<&Table> = tables.iter().collect();
        refs.sort_by(|a, b| a.name.cmp(&b.name));
        for children_first in [false, true] {
            let names = |v: Vec<&Table>| v.iter().map(|t| t.name.clone()).collect::<Vec<_>>();
            assert_eq!(
                names(dependency_order(&refs, children_first)),
                names(reference_order(&refs, children_first)),
                "{children_first}"
            );
        }
    }
    // A chain of 20,000 tables, each referencing the one before: cubic before.
    let chain: Vec<Table> = (0..20_000)
        .map(|i| {
            table(&format!("t{i}"))
                .col("id", Integer)
                .fk(&["id"], &format!("t{}", i.max(1) - 1), &["id"])
                .build()
        })
        .collect();
    let mut refs: Vec<&Table> = chain.iter().collect();
    refs.sort_by(|a, b| a.name.cmp(&b.name));
    let order = dependency_order(&refs, false);
    assert_eq!(order.len(), 20_000);
    assert_eq!(order[0].name, "t0");
    assert_eq!(order[19_999].name, "t19999");
}

// A table renamed while schema.sql keeps its primary key's old name (as pg_dump shows
// it after `ALTER TABLE ... RENAME`) used to drop the key and add it again, which
// PostgreSQL refuses while a foreign key references it.
#[test]
fn a_constraint_whose_name_alone_changes_is_renamed_not_dropped() {
    let mut people = dept();
    people.name = "people".into();
    people.primary_key.as_mut().unwrap().name = Some("dept_pkey".into());
    let mut emp_to = emp();
    emp_to.foreign_keys[0].ref_table = "people".into();
    emp_to.foreign_keys[0].name = Some("emp_boss".into());
    check(
        &schema(vec![dept(), emp()]),
        &schema(vec![people, emp_to]),
        &Hints {
            table_renames: vec![("dept".into(), "people".into())],
            ..Hints::default()
        },
        "
renamed table `dept` to `people`
renamed foreign key on `emp` (dept_id) -> people (id) to `emp_boss`
renamed primary key on `people` (id) to `dept_pkey`",
    );
}

/// SQLite's rowid alias (`id INTEGER PRIMARY KEY`) never holds NULL, so `NOT NULL`
/// written on it or not is no change; on any other key column (`INT PRIMARY KEY`,
/// a `WITHOUT ROWID` table) SQLite keeps NULL apart, and it is one.
#[test]
fn a_rowid_alias_written_not_null_or_not_is_no_change() {
    // Built, then given SQLite's rule and the nullability as written (the builder
    // normalizes a key NOT NULL, as the other databases do).
    let key = |ty: ColumnType, nn: bool, without_rowid: bool| {
        let mut t = table("t").col("id", ty).pk(&["id"]).build();
        t.options.nullable_key = true;
        t.options.without_rowid = without_rowid;
        t.columns[0].nullable = !nn;
        let mut s = Schema::new();
        s.tables.insert("t".into(), t);
        s
    };
    let changes = |ty: ColumnType, without_rowid: bool| {
        diff(
            &key(ty.clone(), true, without_rowid),
            &key(ty, false, without_rowid),
            &Hints::default(),
        )
        .len()
    };
    assert_eq!(changes(Integer, false), 0);
    assert_eq!(changes(Custom("INT".into()), false), 1);
    assert_eq!(changes(Integer, true), 1);
}

/// A view over `t` reading `columns` (or all of them with `*`).
fn view_on(name: &str, reads: &[&str], columns: &[&str], query: &str) -> crate::View {
    crate::View {
        name: name.into(),
        definition: query.into(),
        normalized: query.into(),
        reads: reads.iter().map(|r| r.to_string()).collect(),
        reads_columns: columns.iter().map(|c| c.to_string()).collect(),
        reads_all: columns.contains(&"*"),
        ..crate::View::default()
    }
}

fn names(ops: &[Op]) -> Vec<String> {
    ops.iter().map(Op::describe).collect()
}

#[test]
fn views_come_after_what_they_read_and_go_before_it() {
    let t = table("t").col("a", ColumnType::Integer).build();
    let from = schema(vec![t.clone()]);
    let mut to = from.clone();
    // `a_top` reads `z_base`: created after it although its name sorts first.
    to.views.insert(
        "a_top".into(),
        view_on("a_top", &["z_base"], &["a"], "SELECT a FROM z_base"),
    );
    to.views.insert(
        "z_base".into(),
        view_on("z_base", &["t"], &["a"], "SELECT a FROM t"),
    );
    let up = diff(&from, &to, &Hints::default());
    assert_eq!(names(&up), ["added view `z_base`", "added view `a_top`"]);
    let down = diff(&to, &from, &Hints::default());
    assert_eq!(
        names(&down),
        ["removed view `a_top`", "removed view `z_base`"]
    );
    // Dropping the table with its views: the views go first.
    let down = diff(&to, &schema(vec![]), &Hints::default());
    assert_eq!(
        names(&down),
        [
            "removed view `a_top`",
            "removed view `z_base`",
            "removed table `t`"
        ]
    );
}

#[test]
fn a_view_is_made_again_around_a_change_of_a_column_it_reads() {
    let from_t = table("t")
        .col("a", ColumnType::Integer)
        .col("b", ColumnType::Integer)
        .build();
    let mut from = schema(vec![from_t]);
    from.views
        .insert("v".into(), view_on("v", &["t"], &["a"], "SELECT a FROM t"));
    from.views
        .insert("w".into(), view_on("w", &["v"], &["a"], "SELECT a FROM v"));
    // A column the view does not read: nothing to do for it.
    let mut to = from.clone();
    to.tables.get_mut("t").unwrap().columns[1].ty = ColumnType::BigInt;
    assert_eq!(
        names(&diff(&from, &to, &Hints::default())),
        ["changed column `t.b`: type INTEGER -> BIGINT"]
    );
    // One it reads: it and the view reading it go first and come back after.
    let mut to = from.clone();
    to.tables.get_mut("t").unwrap().columns[0].ty = ColumnType::BigInt;
    assert_eq!(
        names(&diff(&from, &to, &Hints::default())),
        [
            "removed view `w`",
            "removed view `v`",
            "changed column `t.a`: type INTEGER -> BIGINT",
            "added view `v`",
            "added view `w`"
        ]
    );
    // A new column: only a `SELECT *` view is made again, to have it.
    let mut star = from.clone();
    star.views
        .insert("s".into(), view_on("s", &["t"], &["*"], "SELECT * FROM t"));
    let mut to = star.clone();
    to.tables
        .get_mut("t")
        .unwrap()
        .columns
        .push(crate::Column::new("c", ColumnType::Integer));
    assert_eq!(
        names(&diff(&star, &to, &Hints::default())),
        [
            "removed view `s`",
            "added column `t.c` (INTEGER)",
            "added view `s`"
        ]
    );
    // A changed view is replaced, and what reads it made again around it.
    let mut to = from.clone();
    to.views.insert(
        "v".into(),
        view_on("v", &["t"], &["a"], "SELECT a FROM t WHERE a > 0"),
    );
    assert_eq!(
        names(&diff(&from, &to, &Hints::default())),
        ["removed view `w`", "changed view `v`", "added view `w`"]
    );
}

fn generated(name: &str, expr: &str) -> Column {
    Column {
        generated: Some(crate::model::Generated {
            expr: expr.into(),
            stored: true,
        }),
        ..Column::new(name, Integer)
    }
}

#[test]
fn a_generated_column_changed_is_made_again_with_the_generated_columns_reading_it() {
    let t = |cols: Vec<Column>| {
        let mut t = table("t").col("id", Integer).pk(&["id"]).build();
        t.columns.extend(cols);
        t
    };
    let from = t(vec![
        Column::new("a", Integer),
        generated("b", "a * 2"),
        generated("c", "id + 1"),
    ]);
    // `a` becomes generated (its values go: the one op that loses data), so `b`,
    // which reads it, goes before it and comes back after it; `c` is untouched.
    let to = t(vec![
        generated("a", "id * 3"),
        generated("b", "a * 2"),
        generated("c", "id + 1"),
    ]);
    let ops = diff(
        &schema(vec![from.clone()]),
        &schema(vec![to.clone()]),
        &Hints::default(),
    );
    check(
        &schema(vec![from]),
        &schema(vec![to]),
        &Hints::default(),
        "
removed column `t.b`
removed column `t.a`
added column `t.a` (INTEGER GENERATED ALWAYS AS (id * 3) STORED)
added column `t.b` (INTEGER GENERATED ALWAYS AS (a * 2) STORED)",
    );
    let losses: Vec<String> = ops.iter().filter_map(Op::data_loss).collect();
    assert_eq!(losses, ["drops column `t.a` and every value in it"]);
    // The downgrade adds the plain column back before the generated one reading it.
    let back: Vec<String> = Op::invert_all(&ops).iter().map(Op::describe).collect();
    assert_eq!(
        back,
        [
            "removed column `t.b`",
            "removed column `t.a`",
            "added column `t.a` (INTEGER)",
            "added column `t.b` (INTEGER GENERATED ALWAYS AS (a * 2) STORED)",
        ]
    );
}

#[test]
fn what_uses_a_remade_generated_column_goes_before_it_and_comes_back_after_it() {
    let t = |expr: &str| {
        let mut t = table("t")
            .col("id", Integer)
            .col("a", Integer)
            .pk(&["id"])
            .unique(&["b"])
            .check(Some("b_positive"), "b > 0")
            .index("t_b", &["b"], false, None)
            .build();
        t.columns.push(generated("b", expr));
        t
    };
    check(
        &schema(vec![t("a * 2")]),
        &schema(vec![t("a * 3")]),
        &Hints::default(),
        "
removed index `t_b` on `t` (b)
removed unique constraint on `t` (b)
removed check constraint `b_positive` on `t` (b > 0)
removed column `t.b`
added column `t.b` (INTEGER GENERATED ALWAYS AS (a * 3) STORED)
added unique constraint on `t` (b)
added check constraint `b_positive` on `t` (b > 0)
added index `t_b` on `t` (b)",
    );
}

#[test]
fn extensions_come_before_everything_and_go_after_everything() {
    let ext = |name: &str, schema: Option<&str>| crate::model::Extension {
        name: name.into(),
        schema: schema.map(Into::into),
    };
    let mut from = schema(vec![table("old").col("id", Integer).build()]);
    from.extensions.insert("hstore".into(), ext("hstore", None));
    from.extensions.insert("citext".into(), ext("citext", None));
    let mut to = schema(vec![table("new").col("id", Integer).build()]);
    to.extensions
        .insert("citext".into(), ext("citext", Some("public")));
    to.extensions
        .insert("pgcrypto".into(), ext("pgcrypto", None));
    check(
        &from,
        &to,
        &Hints::default(),
        "removed extension `citext`
added extension `citext`
added extension `pgcrypto`
removed table `old`
added table `new`
removed extension `hstore`",
    );
}

/// A function `name(integer)` with `body` and return type `returns`.
fn function(name: &str, returns: &str, body: &str) -> crate::Routine {
    crate::Routine {
        name: name.into(),
        kind: crate::RoutineKind::Function,
        arg_types: vec!["integer".into()],
        definition: format!("(x integer) RETURNS {returns} LANGUAGE sql AS $${body}$$"),
        head: format!("( x integer ) returns {returns}"),
        normalized: format!("( x integer ) returns {returns} language sql as $${body}$$"),
        by_name: false,
        uses: Vec::new(),
    }
}

fn with_routines(tables: Vec<Table>, routines: Vec<crate::Routine>) -> Schema {
    let mut s = schema(tables);
    for r in routines {
        s.routines.insert(r.signature(), r);
    }
    s
}

#[test]
fn routines_a_table_calls_come_before_it_others_after_and_removed_ones_last() {
    let checked = table("t")
        .col("a", Integer)
        .check(None, "positive(a)")
        .build();
    let to = with_routines(
        vec![checked],
        vec![
            function("positive", "boolean", "SELECT x > 0"),
            function("count_t", "bigint", "SELECT count(*) FROM t"),
        ],
    );
    check(
        &Schema::new(),
        &to,
        &Hints::default(),
        "
added function `positive(integer)`
added table `t`
added function `count_t(integer)`",
    );
    check(
        &to,
        &Schema::new(),
        &Hints::default(),
        "
removed table `t`
removed function `count_t(integer)`
removed function `positive(integer)`",
    );
}

#[test]
fn a_routine_is_replaced_unless_its_return_type_changes() {
    let from = with_routines(vec![], vec![function("f", "integer", "SELECT 1")]);
    let body = with_routines(vec![], vec![function("f", "integer", "SELECT 2")]);
    let returns = with_routines(vec![], vec![function("f", "bigint", "SELECT 1")]);
    check(
        &from,
        &body,
        &Hints::default(),
        "changed function `f(integer)`",
    );
    check(
        &from,
        &returns,
        &Hints::default(),
        "
removed function `f(integer)`
added function `f(integer)`",
    );
    // A view that may call a routine made again is made again around it.
    let mut from_v = from.clone();
    from_v
        .views
        .insert("v".into(), view_on("v", &[], &[], "SELECT f(1)"));
    let mut returns_v = returns.clone();
    returns_v
        .views
        .insert("v".into(), view_on("v", &[], &[], "SELECT f(1)"));
    check(
        &from_v,
        &returns_v,
        &Hints::default(),
        "
removed view `v`
removed function `f(integer)`
added function `f(integer)`
added view `v`",
    );
}

#[test]
fn a_routine_no_table_or_view_calls_comes_after_the_views() {
    let t = table("t").col("a", Integer).build();
    let mut to = with_routines(
        vec![t],
        vec![
            function("called", "integer", "SELECT 1"),
            function("reads_v", "bigint", "SELECT count(*) FROM v"),
        ],
    );
    to.views.insert(
        "v".into(),
        view_on("v", &["t"], &["a"], "SELECT called(a) FROM t"),
    );
    check(
        &Schema::new(),
        &to,
        &Hints::default(),
        "
added table `t`
added function `called(integer)`
added view `v`
added function `reads_v(integer)`",
    );
}

/// A trigger on `table` (MySQL's: the model does not follow renames in it) whose
/// body inserts `value` into `log`.
fn trigger(name: &str, table: &str, value: &str) -> crate::model::Trigger {
    crate::model::Trigger {
        name: name.into(),
        table: table.into(),
        timing: "AFTER INSERT".into(),
        body: format!("FOR EACH ROW INSERT INTO log VALUES ({value})"),
        normalized: format!("AFTER INSERT ON FOR EACH ROW INSERT INTO log VALUES ( {value} )"),
        follows_renames: false,
        ..Default::default()
    }
}

fn with_triggers(tables: Vec<Table>, triggers: &[crate::model::Trigger]) -> Schema {
    let mut s = schema(tables);
    for t in triggers {
        s.triggers.insert(t.key(), t.clone());
    }
    s
}

#[test]
fn triggers_go_first_and_come_last_around_what_would_break_them() {
    let log = || table("log").col("v", Integer).build();
    let from = with_triggers(
        vec![
            table("t").col("a", Integer).col("c", Integer).build(),
            table("old").col("x", Integer).build(),
            log(),
        ],
        &[
            trigger("t_a", "t", "NEW.a"),
            trigger("t_c", "t", "NEW.c"),
            trigger("old_x", "old", "NEW.x"),
        ],
    );
    // `t` renamed to `u` and its `a` to `b`: the trigger naming `a` is made again
    // (as `to` writes it), the one naming `c` moves with the table; `old` goes
    // with its trigger.
    let to = with_triggers(
        vec![
            table("u").col("b", Integer).col("c", Integer).build(),
            log(),
        ],
        &[trigger("t_a", "u", "NEW.b"), trigger("t_c", "u", "NEW.c")],
    );
    let hints = Hints {
        table_renames: vec![("t".into(), "u".into())],
        column_renames: vec![("u".into(), "a".into(), "b".into())],
    };
    check(
        &from,
        &to,
        &hints,
        "removed trigger `old_x` on `old`
removed trigger `t_a` on `t`
renamed table `t` to `u`
renamed column `u.a` to `b`
removed table `old`
added trigger `t_a` on `u`",
    );
}

fn domain(name: &str, default: Option<&str>, checks: &[(&str, &str)]) -> crate::model::Domain {
    crate::model::Domain {
        name: name.into(),
        base: Integer,
        collation: None,
        default: default.map(Into::into),
        not_null: false,
        checks: checks
            .iter()
            .map(|(n, e)| crate::model::Check {
                no_inherit: false,
                written: Default::default(),
                name: Some((*n).into()),
                expr: (*e).into(),
            })
            .collect(),
    }
}

#[test]
fn domains_come_before_tables_and_go_after_them() {
    let mut from = schema(vec![table("old").col("n", Custom("gone".into())).build()]);
    from.domains
        .insert("gone".into(), domain("gone", None, &[]));
    from.domains.insert(
        "kept".into(),
        domain("kept", None, &[("kept_check", "VALUE > 0")]),
    );
    let mut to = schema(vec![table("new").col("n", Custom("fresh".into())).build()]);
    to.domains
        .insert("fresh".into(), domain("fresh", Some("1"), &[]));
    to.domains
        .insert("kept".into(), domain("kept", Some("0"), &[]));
    check(
        &from,
        &to,
        &Hints::default(),
        "added domain `fresh`
changed domain `kept`
removed table `old`
added table `new`
removed domain `gone`",
    );
    // The downgrade gives `from` back.
    let ops = diff(&from, &to, &Hints::default());
    let mut back = to.clone();
    for op in Op::invert_all(&ops) {
        op.apply(&mut back).unwrap();
    }
    assert_eq!(back.domains, from.domains);
}

/// A PostgreSQL trigger `name` on `table`, whose `WHEN` reads `NEW.{column}`.
fn pg_trigger(name: &str, table: &str, column: &str) -> crate::model::Trigger {
    crate::model::Trigger {
        name: name.into(),
        table: table.into(),
        timing: "AFTER UPDATE".into(),
        body: format!("FOR EACH ROW WHEN (NEW.{column} > 0) EXECUTE FUNCTION f()"),
        normalized: format!(
            "AFTER UPDATE ON FOR EACH ROW WHEN ( NEW . {column} > 0 ) EXECUTE FUNCTION f ( )"
        ),
        follows_renames: true,
        function: Some("f".into()),
        ..Default::default()
    }
}

#[test]
fn postgres_triggers_change_state_in_place_and_go_around_a_type_change_they_read() {
    let t = |ty: ColumnType| table("t").col("a", ty).col("b", Integer).build();
    let u = || table("u").col("a", Integer).build();
    let from = with_triggers(
        vec![t(Integer), u()],
        &[
            pg_trigger("tr", "t", "a"),
            pg_trigger("tr", "u", "a"),
            pg_trigger("other", "t", "b"),
        ],
    );
    // One name on two tables; `t.a` becomes a bigint under `tr` on `t`, which reads
    // it (PostgreSQL refuses that change while the trigger exists); `other` is
    // disabled in place.
    let to = with_triggers(
        vec![t(BigInt), u()],
        &[
            pg_trigger("tr", "t", "a"),
            pg_trigger("tr", "u", "a"),
            crate::model::Trigger {
                state: crate::model::TriggerState::Disabled,
                ..pg_trigger("other", "t", "b")
            },
        ],
    );
    check(
        &from,
        &to,
        &Hints::default(),
        "removed trigger `tr` on `t`
changed column `t.a`: type INTEGER -> BIGINT
added trigger `tr` on `t`
changed trigger `other` on `t`: disabled",
    );
}

/// `b_events` partitioned by `at`, with partitions named to sort before it.
fn events(bound: &str, note: bool) -> Schema {
    let mut parent = table("b_events").col_nn("id", Integer).col_nn("at", Text);
    if note {
        parent = parent.col("note", Text);
    }
    let mut parent = parent.build();
    parent.options.partition_by = Some("RANGE (at)".into());
    let mut part = table("a_events_1").build();
    part.options.partition_of = Some(crate::model::PartitionOf {
        parent: "b_events".into(),
        bound: bound.into(),
    });
    let mut s = schema(vec![parent, part]);
    s.normalize();
    s
}

#[test]
fn partitions_come_after_their_parent_and_go_before_it() {
    let from = events("DEFAULT", false);
    check(
        &Schema::new(),
        &from,
        &Hints::default(),
        "
added table `b_events`
added table `a_events_1`",
    );
    check(
        &from,
        &Schema::new(),
        &Hints::default(),
        "
removed table `a_events_1`
removed table `b_events`",
    );
}

#[test]
fn a_column_of_a_partitioned_table_changes_on_it_alone() {
    check(
        &events("DEFAULT", false),
        &events("FOR VALUES FROM ('a') TO ('z')", true),
        &Hints::default(),
        "
added column `b_events.note` (TEXT)
changed table `a_events_1`: partition of `b_events` DEFAULT -> partition of `b_events` FOR VALUES FROM ('a') TO ('z')",
    );
}

fn composite(name: &str, attributes: &[(&str, ColumnType)]) -> crate::model::UserType {
    crate::model::UserType::Composite(crate::model::Composite {
        name: name.into(),
        attributes: attributes
            .iter()
            .map(|(a, ty)| crate::model::Attribute {
                name: (*a).into(),
                ty: ty.clone(),
                collation: None,
            })
            .collect(),
    })
}

fn range(name: &str, subtype: ColumnType, diff: Option<&str>) -> crate::model::UserType {
    crate::model::UserType::Range(crate::model::Range {
        name: name.into(),
        subtype,
        opclass: None,
        collation: None,
        subtype_diff: diff.map(Into::into),
        multirange: crate::model::Range::default_multirange(name),
    })
}

#[test]
fn composite_and_range_types_come_after_what_they_are_made_of_and_go_before_it() {
    let mut from = schema(vec![table("old").col("r", Custom("OLD_R".into())).build()]);
    let mut to = schema(vec![table("new").col("b", Custom("BOX[]".into())).build()]);
    for (name, t) in [
        ("addr", composite("addr", &[("street", Text)])),
        ("span", range("span", Integer, None)),
        ("old_r", range("old_r", Double, None)),
        (
            "holder",
            composite("holder", &[("r", Custom("OLD_R".into()))]),
        ),
    ] {
        from.types.insert(name.into(), t);
    }
    for (name, t) in [
        (
            "addr",
            composite("addr", &[("street", Text), ("zip", Integer)]),
        ),
        ("span", range("span", Integer, Some("int4mi"))),
        ("box", composite("box", &[("l", Custom("LENGTHS".into()))])),
        ("lengths", range("lengths", Double, None)),
    ] {
        to.types.insert(name.into(), t);
    }
    check(
        &from,
        &to,
        &Hints::default(),
        "changed composite type `addr`
added range type `lengths`
added composite type `box`
removed range type `span`
added range type `span`
removed table `old`
added table `new`
removed composite type `holder`
removed range type `old_r`",
    );
}

#[test]
fn a_composite_type_over_a_domain_comes_after_it_and_a_domain_over_one_before() {
    let mut to = Schema::default();
    to.domains
        .insert("amount".into(), domain("amount", None, &[]));
    to.types.insert(
        "a_price".into(),
        composite("a_price", &[("value", Custom("AMOUNT".into()))]),
    );
    let mut over = domain("z_over", None, &[]);
    over.base = Custom("PUBLIC.A_PRICE".into());
    to.domains.insert("z_over".into(), over);
    check(
        &Schema::default(),
        &to,
        &Hints::default(),
        "added domain `amount`
added composite type `a_price`
added domain `z_over`",
    );
}

/// An aggregate `name(text)` over the support function `sfunc` with `initcond`.
fn aggregate(name: &str, sfunc: &str, finalfunc: Option<&str>, initcond: &str) -> crate::Routine {
    let fin = finalfunc.map_or(String::new(), |f| format!(", finalfunc = {f}"));
    crate::Routine {
        name: name.into(),
        kind: crate::RoutineKind::Aggregate,
        arg_types: vec!["text".into()],
        definition: format!("(text) (SFUNC = {sfunc}, STYPE = text, INITCOND = '{initcond}'{fin})"),
        head: format!(
            "(text) plain stype text finalfunc {}",
            finalfunc.unwrap_or("none")
        ),
        normalized: format!("(text) (initcond = '{initcond}', sfunc = {sfunc}, stype = text{fin})"),
        by_name: false,
        uses: [Some(sfunc), finalfunc]
            .into_iter()
            .flatten()
            .map(String::from)
            .collect(),
    }
}

#[test]
fn an_aggregate_comes_after_its_support_function_and_goes_before_it() {
    // `zz_join` sorts after `agg`, and no view names it: it comes before the
    // aggregate all the same, in the aggregate's group (before the views).
    let mut to = with_routines(
        vec![],
        vec![
            function("zz_join", "text", "SELECT 'x'"),
            aggregate("agg", "zz_join", None, ""),
        ],
    );
    to.views
        .insert("v".into(), view_on("v", &[], &[], "SELECT agg('a')"));
    check(
        &Schema::new(),
        &to,
        &Hints::default(),
        "
added function `zz_join(integer)`
added aggregate `agg(text)`
added view `v`",
    );
    check(
        &to,
        &Schema::new(),
        &Hints::default(),
        "
removed view `v`
removed aggregate `agg(text)`
removed function `zz_join(integer)`",
    );
}

#[test]
fn an_aggregate_is_replaced_unless_its_final_function_changes_and_made_again_with_its_support() {
    let base = |agg: crate::Routine, sfunc_returns: &str| {
        let mut s = with_routines(
            vec![],
            vec![function("zz_join", sfunc_returns, "SELECT 'x'"), agg],
        );
        s.views
            .insert("v".into(), view_on("v", &[], &[], "SELECT agg('a')"));
        s
    };
    let from = base(aggregate("agg", "zz_join", None, ""), "text");
    check(
        &from,
        &base(aggregate("agg", "zz_join", None, "start"), "text"),
        &Hints::default(),
        "changed aggregate `agg(text)`",
    );
    check(
        &from,
        &base(aggregate("agg", "zz_join", Some("upper"), ""), "text"),
        &Hints::default(),
        "
removed view `v`
removed aggregate `agg(text)`
added aggregate `agg(text)`
added view `v`",
    );
    // The support function is made again (its return type changes): the aggregate,
    // unchanged, is dropped before it and made again after, and so is the view.
    check(
        &from,
        &base(aggregate("agg", "zz_join", None, ""), "varchar"),
        &Hints::default(),
        "
removed view `v`
removed aggregate `agg(text)`
removed function `zz_join(integer)`
added function `zz_join(integer)`
added aggregate `agg(text)`
added view `v`",
    );
}

#[test]
fn a_routine_a_generated_column_or_an_exclusion_calls_comes_before_its_table() {
    let mut t = table("t").col("a", Integer).build();
    t.columns.push(generated("b", "twice(a)"));
    let mut u = table("u").col("a", Integer).build();
    u.exclusions.push(crate::model::Exclusion {
        name: Some("u_excl".into()),
        method: "gist".into(),
        elements: vec![crate::model::ExclusionElement {
            expr: "bucket(a)".into(),
            operator: "=".into(),
        }],
        include: Vec::new(),
        predicate: None,
        deferral: crate::model::Deferral::NotDeferrable,
    });
    let to = with_routines(
        vec![t, u],
        vec![
            function("twice", "integer", "SELECT x * 2"),
            function("bucket", "integer", "SELECT x / 10"),
        ],
    );
    check(
        &Schema::new(),
        &to,
        &Hints::default(),
        "
added function `bucket(integer)`
added function `twice(integer)`
added table `t`
added table `u`",
    );
    check(
        &to,
        &Schema::new(),
        &Hints::default(),
        "
removed table `t`
removed table `u`
removed function `bucket(integer)`
removed function `twice(integer)`",
    );
}

#[test]
fn a_routine_a_domain_calls_comes_before_the_domain_and_goes_after_it() {
    let mut to = with_routines(
        vec![],
        vec![function("is_even", "boolean", "SELECT x % 2 = 0")],
    );
    to.domains.insert(
        "even".into(),
        domain("even", None, &[("even_check", "is_even(VALUE)")]),
    );
    check(
        &Schema::new(),
        &to,
        &Hints::default(),
        "
added function `is_even(integer)`
added domain `even`",
    );
    check(
        &to,
        &Schema::new(),
        &Hints::default(),
        "
removed domain `even`
removed function `is_even(integer)`",
    );
}

/// Regression: the same unnamed check written twice was made once (the table's
/// checks were deduplicated); a second one added or dropped is a change, and
/// dropping one keeps the other.
#[test]
fn the_same_check_written_twice_is_two_checks() {
    let one = table("t").col("a", Integer).check(None, "a > 0").build();
    let two = table("t")
        .col("a", Integer)
        .check(None, "a > 0")
        .check(None, "a > 0")
        .build();
    assert_eq!(two.checks.len(), 2);
    check(
        &schema(vec![one.clone()]),
        &schema(vec![two.clone()]),
        &Hints::default(),
        "added check constraint on `t` (a > 0)",
    );
    check(
        &schema(vec![two]),
        &schema(vec![one]),
        &Hints::default(),
        "removed check constraint on `t` (a > 0)",
    );
}
