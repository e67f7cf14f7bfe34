//! `wildebeest.sum`: rendering, reading back, and what it notices.

use std::path::PathBuf;

use wildebeest_revision::{
    Migration, NewMigration, RevisionGraph, SumDifference, SumError, SumFile, file_name, parse,
    render,
};

fn migration(created: &str, id: &str, parents: &[&str], upgrade: &str) -> Migration {
    let new = NewMigration {
        id: id.into(),
        parents: parents.iter().map(|p| p.to_string()).collect(),
        message: format!("make {id}"),
        created: created.into(),
        upgrade: vec![upgrade.into()],
        downgrade: Vec::new(),
        extra_headers: Vec::new(),
    };
    let path = PathBuf::from("migrations").join(file_name(created, id, &new.message));
    parse(&path, &render(&new)).unwrap_or_else(|e| panic!("{e}"))
}

fn sum_of(migrations: &[Migration]) -> SumFile {
    let g = RevisionGraph::new(migrations).unwrap_or_else(|e| panic!("{e}"));
    SumFile::new(migrations, &g)
}

fn fork() -> Vec<Migration> {
    vec![
        migration(
            "2026-01-01T00:00:00Z",
            "aaaaaaaaaaaa",
            &[],
            "CREATE TABLE a (x INT)",
        ),
        migration(
            "2026-01-02T00:00:00Z",
            "cccccccccccc",
            &["aaaaaaaaaaaa"],
            "SELECT 1",
        ),
        migration(
            "2026-01-02T00:00:01Z",
            "bbbbbbbbbbbb",
            &["aaaaaaaaaaaa"],
            "SELECT 2",
        ),
    ]
}

#[test]
fn renders_heads_files_and_total_and_reads_back() {
    let sum = sum_of(&fork());
    let text = sum.render();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 5, "{text}");
    assert_eq!(lines[0], "heads: bbbbbbbbbbbb cccccccccccc");
    assert!(lines[1].starts_with("20260101_000000_aaaaaaaaaaaa_make_aaaaaaaaaaaa.sql "));
    assert!(lines[2].starts_with("20260102_000000_cccccccccccc_make_cccccccccccc.sql "));
    assert!(lines[3].starts_with("20260102_000001_bbbbbbbbbbbb_make_bbbbbbbbbbbb.sql "));
    assert_eq!(lines[4], format!("total: {}", sum.total()));
    assert!(text.ends_with('\n'));
    assert_eq!(SumFile::parse(&text), Ok(sum.clone()));
    assert_eq!(SumFile::parse(&text.replace('\n', "\r\n")), Ok(sum.clone()));
    // Input order does not matter: the file is deterministic.
    let mut reversed = fork();
    reversed.reverse();
    assert_eq!(sum_of(&reversed).render(), text);
}

#[test]
fn an_empty_folder_has_an_empty_heads_line() {
    let sum = sum_of(&[]);
    let text = sum.render();
    assert!(text.starts_with("heads:\ntotal: "), "{text}");
    assert_eq!(SumFile::parse(&text), Ok(sum));
}

#[test]
fn differences_name_heads_and_files() {
    let mut migrations = fork();
    let recorded = sum_of(&migrations[..2]);
    assert_eq!(recorded.differences(&recorded), Vec::new());

    migrations[0] = migration(
        "2026-01-01T00:00:00Z",
        "aaaaaaaaaaaa",
        &[],
        "CREATE TABLE a (y INT)",
    );
    let actual = sum_of(&migrations);
    let diffs = recorded.differences(&actual);
    assert_eq!(
        diffs,
        vec![
            SumDifference::Heads {
                recorded: vec!["cccccccccccc".into()],
                actual: vec!["bbbbbbbbbbbb".into(), "cccccccccccc".into()],
            },
            SumDifference::Changed {
                file: "20260101_000000_aaaaaaaaaaaa_make_aaaaaaaaaaaa.sql".into()
            },
            SumDifference::Added {
                file: "20260102_000001_bbbbbbbbbbbb_make_bbbbbbbbbbbb.sql".into()
            },
        ]
    );
    assert_eq!(
        diffs[0].to_string(),
        "it records heads cccccccccccc, but the migrations' heads are bbbbbbbbbbbb, cccccccccccc"
    );
    assert_eq!(
        actual.differences(&recorded)[2].to_string(),
        "it lists 20260102_000001_bbbbbbbbbbbb_make_bbbbbbbbbbbb.sql, which is not in the folder"
    );
}

#[test]
fn conflicts_hand_edits_and_garbage_are_errors() {
    let text = sum_of(&fork()).render();
    let conflicted = format!("<<<<<<< HEAD\n{text}=======\n{text}>>>>>>> other\n");
    assert_eq!(
        SumFile::parse(&conflicted),
        Err(SumError::Conflict { line: 1 })
    );
    assert!(
        SumError::Conflict { line: 1 }
            .to_string()
            .contains("wildebeest merge")
    );
    let edited = text.replace("heads: bbbbbbbbbbbb cccccccccccc", "heads: bbbbbbbbbbbb");
    assert_eq!(SumFile::parse(&edited), Err(SumError::Total));
    assert!(matches!(
        SumFile::parse("hello\n"),
        Err(SumError::Malformed { line: 1, .. })
    ));
    assert!(matches!(
        SumFile::parse("heads: a\nfile.sql nothex\ntotal: 00\n"),
        Err(SumError::Malformed { line: 2, .. })
    ));
    assert!(matches!(
        SumFile::parse("heads: a\n"),
        Err(SumError::Malformed { .. })
    ));
    assert!(matches!(
        SumFile::parse(""),
        Err(SumError::Malformed { line: 1, .. })
    ));
}
