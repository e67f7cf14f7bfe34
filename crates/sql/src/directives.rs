//! Rename directives: comments in schema text that say a table or a column was
//! renamed, so that `migrate` makes a rename rather than a drop and an add.
//!
//! ```sql
//! -- wildebeest: rename employee=employees
//! -- wildebeest: rename employees.address=location
//! ```
//!
//! The words after `rename` are exactly those of `migrate --rename`: `OLD=NEW` for a
//! table, `TABLE.OLD=NEW` for a column of `TABLE` (named as the schema names it now).
//! A directive is a line of its own; any other comment starting `-- wildebeest:` is an
//! error, so that a misspelled directive is never passed over.

/// One rename a schema text states.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Rename {
    /// Table `old` is now `new`.
    Table { old: String, new: String },
    /// Column `old` of `table` (its name now) is now `new`.
    Column {
        table: String,
        old: String,
        new: String,
    },
}

impl Rename {
    /// The directive's line, which [`rename_directives`] reads back.
    pub fn directive(&self) -> String {
        format!("{DIRECTIVE} rename {}", self.flag())
    }

    /// The argument of the equivalent `--rename` flag: `OLD=NEW` or `TABLE.OLD=NEW`.
    pub fn flag(&self) -> String {
        match self {
            Rename::Table { old, new } => format!("{old}={new}"),
            Rename::Column { table, old, new } => format!("{table}.{old}={new}"),
        }
    }
}

/// What a directive line starts with.
pub const DIRECTIVE: &str = "-- wildebeest:";

/// The rename directives of `text` with their line numbers (from 1), or the first
/// malformed one's line and what is wrong with it.
pub fn rename_directives(text: &str) -> Result<Vec<(usize, Rename)>, (usize, String)> {
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let Some(rest) = line.trim_start().strip_prefix(DIRECTIVE) else {
            continue;
        };
        let line_no = i + 1;
        let usage = format!(
            "expected `{DIRECTIVE} rename OLD=NEW` (a table) or `{DIRECTIVE} rename TABLE.OLD=NEW` (a column)"
        );
        let Some(arg) = rest.trim().strip_prefix("rename ") else {
            return Err((line_no, usage));
        };
        let Some((left, new)) = arg.trim().split_once('=') else {
            return Err((line_no, usage));
        };
        let (left, new) = (left.trim(), new.trim());
        let plain = |s: &str| !s.is_empty() && !s.contains(['=', '.', ' ', '\t']);
        if !plain(new) {
            return Err((line_no, usage));
        }
        let rename = match left.split_once('.') {
            None if plain(left) => Rename::Table {
                old: left.to_string(),
                new: new.to_string(),
            },
            Some((table, old)) if plain(table) && plain(old) => Rename::Column {
                table: table.to_string(),
                old: old.to_string(),
                new: new.to_string(),
            },
            _ => return Err((line_no, usage)),
        };
        out.push((line_no, rename));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn directives_read_back_what_they_write() {
        let renames = [
            Rename::Table {
                old: "employee".into(),
                new: "employees".into(),
            },
            Rename::Column {
                table: "employees".into(),
                old: "address".into(),
                new: "location".into(),
            },
        ];
        let text = format!(
            "{}\nCREATE TABLE t (a INT); -- not one\n  {}\n",
            renames[0].directive(),
            renames[1].directive()
        );
        assert_eq!(
            rename_directives(&text).unwrap(),
            vec![(1, renames[0].clone()), (3, renames[1].clone())]
        );
    }

    #[test]
    fn a_malformed_directive_is_an_error_at_its_line() {
        for bad in [
            "-- wildebeest: renam a=b",
            "-- wildebeest: rename a",
            "-- wildebeest: rename a.b.c=d",
            "-- wildebeest: rename a=b.c",
            "-- wildebeest:",
        ] {
            let (line, msg) = rename_directives(&format!("\n{bad}")).unwrap_err();
            assert_eq!(line, 2, "{bad}");
            assert!(msg.contains("rename TABLE.OLD=NEW"), "{msg}");
        }
        assert!(
            rename_directives("-- wildebeest rename a=b")
                .unwrap()
                .is_empty()
        );
    }
}
