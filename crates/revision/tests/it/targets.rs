//! Parsing targets.

use wildebeest_revision::{GraphError, Target};

#[test]
fn every_form() {
    let cases: &[(&str, Target)] = &[
        ("head", Target::Head),
        ("heads", Target::Heads),
        ("base", Target::Base),
        (" head\n", Target::Head),
        ("+2", Target::Relative(2)),
        ("-1", Target::Relative(-1)),
        ("+10", Target::Relative(10)),
        ("abc123", Target::Revision("abc123".into())),
        ("ABC_1", Target::Revision("ABC_1".into())),
        ("Head", Target::Revision("Head".into())),
        ("abc123+1", Target::RevisionRelative("abc123".into(), 1)),
        ("abc123-2", Target::RevisionRelative("abc123".into(), -2)),
        ("head-1", Target::RevisionRelative("head".into(), -1)),
        ("base+3", Target::RevisionRelative("base".into(), 3)),
        (
            "-9223372036854775807",
            Target::Relative(-9_223_372_036_854_775_807),
        ),
    ];
    for (text, expected) in cases {
        assert_eq!(Target::parse(text).as_ref(), Ok(expected), "{text:?}");
    }
}

#[test]
fn display_reads_back() {
    for text in [
        "head", "heads", "base", "+2", "-1", "abc123", "abc123+1", "abc123-2", "head-2", "base+1",
    ] {
        let target = Target::parse(text).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(target.to_string(), text);
    }
}

#[test]
fn bad_syntax() {
    for text in [
        "",
        " ",
        "+",
        "-",
        "+0",
        "-0",
        "abc+",
        "abc-",
        "abc+0",
        "abc+x",
        "abc+-1",
        "abc--1",
        "+1+1",
        "++1",
        "a b",
        "a-b-c",
        "head+1",
        "base-1",
        "heads-1",
        "héad",
        "abc+1.5",
        "+9223372036854775808",
        "+99999999999999999999999",
        &"a".repeat(65),
    ] {
        assert_eq!(
            Target::parse(text),
            Err(GraphError::InvalidTarget {
                target: text.trim().to_string()
            }),
            "{text:?}"
        );
    }
}

#[test]
fn bad_syntax_message() {
    assert_eq!(
        Target::parse("abc+x").map_err(|e| e.to_string()),
        Err("\"abc+x\" is not a valid target: expected head, heads, base, a revision id (or a unique prefix) or a branch label, +N, -N, REV+N or REV-N (also head-N, base+N) with N at least 1, LABEL@head, LABEL@base, LABEL@+N or LABEL@-N".into())
    );
}
