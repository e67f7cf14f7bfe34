use super::*;

fn clause(text: &str) -> MysqlPartitioning {
    read_clause(text, Pos { line: 1, column: 1 }).unwrap()
}

fn refused(text: &str) -> String {
    read_clause(text, Pos { line: 1, column: 1 })
        .unwrap_err()
        .message
}

fn part(name: &str, values: Option<&str>) -> MysqlPartition {
    MysqlPartition {
        name: name.into(),
        values: values.map(str::to_string),
    }
}

#[test]
fn a_range_reads_as_show_create_table_prints_it() {
    let written = clause(
        "PARTITION BY RANGE (YEAR(created)) (PARTITION p0 VALUES LESS THAN (2020), \
         PARTITION p1 VALUES LESS THAN MAXVALUE)",
    );
    let printed = clause(
        "PARTITION BY RANGE (year(`created`))\n(PARTITION `p0` VALUES LESS THAN (2020) ENGINE = InnoDB,\n \
         PARTITION `p1` VALUES LESS THAN MAXVALUE ENGINE = InnoDB)",
    );
    assert_eq!(written, printed);
    assert_eq!(written.method, "RANGE");
    assert_eq!(
        written.partitions,
        vec![
            part("p0", Some("LESS THAN (2020)")),
            part("p1", Some("LESS THAN MAXVALUE"))
        ]
    );
}

#[test]
fn columns_lists_and_tuples_are_normalized() {
    let a =
        clause("PARTITION BY LIST COLUMNS (code, n) (PARTITION a VALUES IN (('x', 1), ('y', 2)))");
    let b = clause(
        "PARTITION BY LIST  COLUMNS(`code`,`n`)\n(PARTITION `a` VALUES IN (('x',1),('y',2)) ENGINE = InnoDB)",
    );
    assert_eq!(a, b);
    assert_eq!(a.expr, "code, n");
    let r = clause(
        "PARTITION BY RANGE COLUMNS (a, b) (PARTITION p VALUES LESS THAN (MAXVALUE, MAXVALUE))",
    );
    assert_eq!(
        r.partitions[0].values.as_deref(),
        Some("LESS THAN (MAXVALUE, MAXVALUE)")
    );
}

#[test]
fn a_versioned_comment_is_read_as_its_clause() {
    let a = clause("/*!50100 PARTITION BY HASH (id)\nPARTITIONS 4 */");
    assert_eq!(
        a,
        MysqlPartitioning {
            method: "HASH".into(),
            expr: "id".into(),
            count: Some(4),
            partitions: vec![],
        }
    );
    let k = clause("PARTITION BY LINEAR KEY () PARTITIONS 2");
    assert_eq!((k.method.as_str(), k.expr.as_str()), ("LINEAR KEY", ""));
}

#[test]
fn what_the_model_does_not_hold_is_refused_by_name() {
    for (text, what) in [
        (
            "PARTITION BY RANGE (a) SUBPARTITION BY HASH (b) (PARTITION p VALUES LESS THAN (1))",
            "SUBPARTITION BY",
        ),
        (
            "PARTITION BY RANGE (a) (PARTITION p VALUES LESS THAN (1) COMMENT 'x')",
            "COMMENT",
        ),
        (
            "PARTITION BY RANGE (a) (PARTITION p VALUES LESS THAN (1) ENGINE = MyISAM)",
            "MyISAM",
        ),
        ("PARTITION BY KEY ALGORITHM=2 (a)", "ALGORITHM"),
        ("PARTITION BY RANGE (a)", "lists no partitions"),
        (
            "PARTITION BY LIST (a) (PARTITION p VALUES LESS THAN (1))",
            "does not fit",
        ),
        (
            "PARTITION BY RANGE (a) (PARTITION p VALUES LESS THAN (1), PARTITION P VALUES LESS THAN (2))",
            "listed twice",
        ),
    ] {
        let message = refused(text);
        assert!(message.contains(what), "{text}: {message}");
    }
}

fn alter(text: &str) -> Result<Option<(String, Pos, MysqlPartitionChange)>, PosError> {
    read_alter(&Piece {
        text: text.into(),
        line: 1,
        column: 1,
    })
    .expect("an action on partitions")
}

#[test]
fn alter_table_actions_on_partitions() {
    let change = |t: &str| alter(t).unwrap().unwrap().2;
    assert_eq!(
        change("ALTER TABLE t DROP PARTITION p0, `p1`"),
        MysqlPartitionChange::Drop(vec!["p0".into(), "p1".into()])
    );
    assert_eq!(
        change("ALTER TABLE t ADD PARTITION (PARTITION p2 VALUES LESS THAN (30))"),
        MysqlPartitionChange::Add(vec![part("p2", Some("LESS THAN (30)"))])
    );
    assert_eq!(
        change(
            "ALTER TABLE t REORGANIZE PARTITION p0, p1 INTO (PARTITION p01 VALUES LESS THAN (20))"
        ),
        MysqlPartitionChange::Reorganize {
            from: vec!["p0".into(), "p1".into()],
            into: vec![part("p01", Some("LESS THAN (20)"))]
        }
    );
    assert_eq!(
        change("ALTER TABLE t REMOVE PARTITIONING"),
        MysqlPartitionChange::Remove
    );
    assert!(matches!(
        change("ALTER TABLE `t` PARTITION BY HASH (id) PARTITIONS 2"),
        MysqlPartitionChange::By(_)
    ));
    assert_eq!(alter("ALTER TABLE t TRUNCATE PARTITION p0").unwrap(), None);
    for (text, what) in [
        ("ALTER TABLE t COALESCE PARTITION 2", "COALESCE PARTITION"),
        (
            "ALTER TABLE t EXCHANGE PARTITION p WITH TABLE u",
            "EXCHANGE PARTITION",
        ),
        (
            "ALTER TABLE t ADD COLUMN c INT, DROP PARTITION p",
            "in one statement",
        ),
        ("ALTER TABLE t ADD PARTITION PARTITIONS 2", "PARTITIONS n"),
    ] {
        let message = alter(text).unwrap_err().message;
        assert!(message.contains(what), "{text}: {message}");
    }
    assert!(
        read_alter(&Piece {
            text: "ALTER TABLE t ADD COLUMN partition_no INT".into(),
            line: 1,
            column: 1
        })
        .is_none()
    );
}

#[test]
fn a_plain_lists_null_comes_first_as_mariadb_prints_it() {
    let written = clause("PARTITION BY LIST (a) (PARTITION p VALUES IN (5, NULL, -3))");
    let printed =
        clause("PARTITION BY LIST (`a`)\n(PARTITION `p` VALUES IN (NULL,5,-3) ENGINE = InnoDB)");
    assert_eq!(written, printed);
    assert_eq!(
        written.partitions[0].values.as_deref(),
        Some("IN (NULL, 5, -3)")
    );
}
