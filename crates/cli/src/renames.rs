//! Renames: `--rename` flags, rename candidates, and the questions asked on a terminal.
//!
//! A table that disappears while another with the same columns appears, or a column
//! that disappears while another of a compatible type appears, is a rename candidate.
//! On a terminal `migrate` asks about each candidate (never picking one silently);
//! without one it never guesses: only `--rename` makes a rename, and a warning names
//! the flag for every candidate left as drop-and-create.

use std::collections::BTreeSet;
use std::io::{BufRead, IsTerminal, Write};

use anyhow::{Result, bail};
use wildebeest_schema::{
    Hints, RenameCandidate, Schema, Table, case_only_renames, column_rename_candidates,
    table_rename_candidates,
};
use wildebeest_sql::Rename;

/// Asks the user a yes/no question.
pub trait Ask {
    /// The answer; anything but yes is no.
    fn ask(&mut self, question: &str) -> Result<bool>;
}

/// Questions on the terminal: the question on stderr, the answer from stdin.
pub struct Terminal {
    /// Input ended (Ctrl-D): every remaining question is answered no.
    closed: bool,
}

impl Terminal {
    /// A terminal to ask on, when stdin is one and `--no-input` was not given.
    pub fn if_interactive(no_input: bool) -> Option<Terminal> {
        (!no_input && std::io::stdin().is_terminal()).then_some(Terminal { closed: false })
    }
}

impl Ask for Terminal {
    fn ask(&mut self, question: &str) -> Result<bool> {
        let mut err = std::io::stderr();
        if self.closed {
            writeln!(err, "{question} [y/N] n")?;
            return Ok(false);
        }
        write!(err, "{question} [y/N] ")?;
        err.flush()?;
        let mut line = String::new();
        if std::io::stdin().lock().read_line(&mut line)? == 0 {
            self.closed = true;
            writeln!(err)?;
        }
        Ok(matches!(
            line.trim().to_ascii_lowercase().as_str(),
            "y" | "yes"
        ))
    }
}

/// `--rename` flags, parsed but not yet checked against the schemas.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RenameFlags {
    /// `old=new`.
    pub tables: Vec<(String, String)>,
    /// `table.old=new`, the table named as in schema.sql.
    pub columns: Vec<(String, String, String)>,
}

impl RenameFlags {
    /// Parses `old=new` (a table) and `table.old=new` (a column).
    pub fn parse(flags: &[String]) -> Result<RenameFlags> {
        let mut out = RenameFlags::default();
        for flag in flags {
            let Some((left, new)) = flag.split_once('=') else {
                bail!(
                    "--rename {flag}: expected OLD=NEW for a table or TABLE.OLD=NEW for a column"
                );
            };
            let (left, new) = (left.trim(), new.trim());
            if left.is_empty() || new.is_empty() || new.contains('=') {
                bail!(
                    "--rename {flag}: expected OLD=NEW for a table or TABLE.OLD=NEW for a column"
                );
            }
            match left.split_once('.') {
                Some((table, old)) if !table.is_empty() && !old.is_empty() => {
                    // `TABLE.OLD=TABLE.NEW` names the table twice: the same table.
                    let new = match new.split_once('.') {
                        None => new,
                        Some((t, n)) if t == table && !n.is_empty() && !n.contains('.') => n,
                        Some(_) => bail!(
                            "--rename {flag}: a column keeps its table; write --rename {table}.{old}=NEW with NEW the column's new name alone"
                        ),
                    };
                    out.columns
                        .push((table.to_string(), old.to_string(), new.to_string()))
                }
                Some(_) => bail!("--rename {flag}: expected TABLE.OLD=NEW"),
                None => out.tables.push((left.to_string(), new.to_string())),
            }
        }
        Ok(out)
    }
}

/// Checks that the column rename `old` -> `new` of `table` (`old_table` in the
/// migrations) fits both schemas and no rename already taken; `said` names where it
/// was asked for, `other` what another one is called in the message.
fn column_rename_fits(
    said: &str,
    other: &str,
    hints: &Hints,
    (from_table, old_table): (&Table, &str),
    (to_table, table): (&Table, &str),
    old: &str,
    new: &str,
) -> Result<()> {
    if to_table.column(old).is_some() {
        bail!("{said}: column `{table}.{old}` is still in the schema, so it was not renamed");
    }
    if to_table.column(new).is_none() {
        bail!("{said}: the schema has no column `{table}.{new}`");
    }
    if from_table.column(new).is_some() {
        bail!("{said}: column `{old_table}.{new}` exists already in the migrations");
    }
    if hints
        .column_renames
        .iter()
        .any(|(t, o, n)| t == table && (o == old || n == new))
    {
        bail!("{said}: column `{old}` or `{new}` is named by another {other}");
    }
    Ok(())
}

/// The renames to pass to the diff: with `fold_case` (a database whose names ignore
/// case), the names changed only in case ([`case_only_renames`]); the flags (checked:
/// each must name something that changed); the schema's rename directives
/// (`-- wildebeest: rename ...`, each with where it is), of which one whose old name
/// the migrations no longer have is history and passed over, and one that
/// contradicts a flag is an error; then the candidates the user accepts on a
/// terminal. Candidates left as drop-and-create get a warning naming the flag that
/// would make them renames.
pub fn decide(
    from: &Schema,
    to: &Schema,
    flags: &RenameFlags,
    directives: &[(String, Rename)],
    fold_case: bool,
    mut ask: Option<&mut dyn Ask>,
    warnings: &mut Vec<String>,
) -> Result<Hints> {
    // Where names ignore case, one changed only in case names the same object: a
    // rename, never asked about and never a drop.
    let mut hints = if fold_case {
        case_only_renames(from, to)
    } else {
        Hints::default()
    };
    for (old, new) in &flags.tables {
        let flag = format!("--rename {old}={new}");
        if !from.tables.contains_key(old) {
            // A bare column name: the tables that lost column `old` and gained `new`.
            let columns: Vec<String> = from
                .tables
                .iter()
                .filter(|(t, table)| {
                    table.column(old).is_some()
                        && to.tables.get(*t).is_some_and(|to_table| {
                            to_table.column(new).is_some() && to_table.column(old).is_none()
                        })
                })
                .map(|(t, _)| format!("--rename {t}.{old}={new}"))
                .collect();
            if !columns.is_empty() {
                bail!(
                    "{flag}: the migrations have no table `{old}`; for a column, name its table: {}",
                    columns.join(" or ")
                );
            }
            bail!("{flag}: the migrations have no table `{old}`, so there is nothing to rename");
        }
        if to.tables.contains_key(old) {
            bail!("{flag}: table `{old}` is still in the schema, so it was not renamed");
        }
        if !to.tables.contains_key(new) {
            bail!("{flag}: the schema has no table `{new}`");
        }
        if from.tables.contains_key(new) {
            bail!("{flag}: table `{new}` exists already in the migrations");
        }
        if hints
            .table_renames
            .iter()
            .any(|(o, n)| o == old || n == new)
        {
            bail!("{flag}: table `{old}` or `{new}` is named by another --rename");
        }
        hints.table_renames.push((old.clone(), new.clone()));
    }
    for (at, directive) in directives {
        let Rename::Table { old, new } = directive else {
            continue;
        };
        let said = format!("{at}: `{}`", directive.directive());
        if let Some((fo, fnew)) = flags.tables.iter().find(|(o, n)| o == old || n == new) {
            if fo == old && fnew == new {
                continue;
            }
            bail!("{said} contradicts --rename {fo}={fnew}; change or remove one of them");
        }
        if hints
            .table_renames
            .iter()
            .any(|(o, n)| o == old && n == new)
        {
            continue;
        }
        // Applied by an earlier migration (or never made): history.
        if !from.tables.contains_key(old) {
            continue;
        }
        if to.tables.contains_key(old) {
            bail!("{said}: table `{old}` is still in the schema, so it was not renamed");
        }
        if !to.tables.contains_key(new) {
            bail!("{said}: the schema has no table `{new}`");
        }
        if from.tables.contains_key(new) {
            bail!("{said}: table `{new}` exists already in the migrations");
        }
        if hints
            .table_renames
            .iter()
            .any(|(o, n)| o == old || n == new)
        {
            bail!("{said}: table `{old}` or `{new}` is named by another rename");
        }
        hints.table_renames.push((old.clone(), new.clone()));
    }
    let mut taken: BTreeSet<String> = BTreeSet::new();
    for (o, n) in &hints.table_renames {
        taken.insert(o.clone());
        taken.insert(n.clone());
    }
    for (old, new) in table_rename_candidates(from, to) {
        if taken.contains(&old) || taken.contains(&new) {
            continue;
        }
        let yes = match ask.as_deref_mut() {
            Some(a) => a.ask(&format!("Did you rename table `{old}` to `{new}`?"))?,
            None => {
                warnings.push(format!(
                    "table `{old}` was dropped and `{new}` created with the same columns; if it was renamed, run this command again with --rename {old}={new} (that replaces the migration written now), or the migration drops `{old}` and its rows"
                ));
                false
            }
        };
        if yes {
            taken.insert(old.clone());
            taken.insert(new.clone());
            hints.table_renames.push((old, new));
        }
    }

    for (table, old, new) in &flags.columns {
        let flag = format!("--rename {table}.{old}={new}");
        let Some(to_table) = to.tables.get(table) else {
            bail!("{flag}: the schema has no table `{table}` (name the table as schema.sql does)");
        };
        let old_table = hints
            .table_renames
            .iter()
            .find(|(_, n)| n == table)
            .map(|(o, _)| o.as_str())
            .unwrap_or(table);
        let Some(from_table) = from.tables.get(old_table) else {
            bail!("{flag}: table `{table}` is new, so none of its columns was renamed");
        };
        if from_table.column(old).is_none() {
            bail!("{flag}: the migrations have no column `{old_table}.{old}`");
        }
        column_rename_fits(
            &flag,
            "--rename",
            &hints,
            (from_table, old_table),
            (to_table, table),
            old,
            new,
        )?;
        hints
            .column_renames
            .push((table.clone(), old.clone(), new.clone()));
    }
    for (at, directive) in directives {
        let Rename::Column { table, old, new } = directive else {
            continue;
        };
        let said = format!("{at}: `{}`", directive.directive());
        if let Some((ft, fo, fnew)) = flags
            .columns
            .iter()
            .find(|(t, o, n)| t == table && (o == old || n == new))
        {
            if fo == old && fnew == new {
                continue;
            }
            bail!("{said} contradicts --rename {ft}.{fo}={fnew}; change or remove one of them");
        }
        let old_table = hints
            .table_renames
            .iter()
            .find(|(_, n)| n == table)
            .map(|(o, _)| o.as_str())
            .unwrap_or(table);
        // A table or column the migrations no longer have: history.
        let Some(from_table) = from.tables.get(old_table) else {
            continue;
        };
        if from_table.column(old).is_none() {
            continue;
        }
        let Some(to_table) = to.tables.get(table) else {
            bail!("{said}: the schema has no table `{table}`");
        };
        column_rename_fits(
            &said,
            "rename",
            &hints,
            (from_table, old_table),
            (to_table, table),
            old,
            new,
        )?;
        hints
            .column_renames
            .push((table.clone(), old.clone(), new.clone()));
    }
    let mut taken: BTreeSet<(String, String)> = BTreeSet::new();
    for (t, o, n) in &hints.column_renames {
        taken.insert((t.clone(), format!("-{o}")));
        taken.insert((t.clone(), format!("+{n}")));
    }
    for candidate in column_rename_candidates(from, to, &hints) {
        let RenameCandidate::Column {
            table,
            from: old,
            to: new,
        } = &candidate
        else {
            continue;
        };
        let (o, n) = (
            (table.clone(), format!("-{}", old.name)),
            (table.clone(), format!("+{}", new.name)),
        );
        if taken.contains(&o) || taken.contains(&n) {
            continue;
        }
        let yes = match ask.as_deref_mut() {
            Some(a) => a.ask(&format!("Did you rename {}?", candidate.describe()))?,
            None => {
                warnings.push(format!(
                    "column `{table}.{}` was dropped and `{table}.{}` added with a compatible type; if it was renamed, run this command again with --rename {table}.{}={} (that replaces the migration written now), or the migration drops `{}` and its values",
                    old.name, new.name, old.name, new.name, old.name
                ));
                false
            }
        };
        if yes {
            taken.insert(o);
            taken.insert(n);
            hints
                .column_renames
                .push((table.clone(), old.name.clone(), new.name.clone()));
        }
    }
    Ok(hints)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_name_tables_and_columns() {
        let f = RenameFlags::parse(&[
            "department=departments".into(),
            "departments.address=location".into(),
        ])
        .unwrap();
        assert_eq!(
            f.tables,
            vec![("department".to_string(), "departments".to_string())]
        );
        assert_eq!(
            f.columns,
            vec![(
                "departments".to_string(),
                "address".to_string(),
                "location".to_string()
            )]
        );
        // The qualified new name, as `TABLE.OLD=TABLE.NEW`, is the same column rename.
        let f = RenameFlags::parse(&["departments.location=departments.site".into()]).unwrap();
        assert_eq!(
            f.columns,
            vec![(
                "departments".to_string(),
                "location".to_string(),
                "site".to_string()
            )]
        );
        for bad in [
            "department",
            "=x",
            "x=",
            ".a=b",
            "t.=b",
            "a=b=c",
            "t.a=u.b",
            "t.a=t.",
        ] {
            let e = RenameFlags::parse(&[bad.to_string()])
                .unwrap_err()
                .to_string();
            assert!(e.starts_with(&format!("--rename {bad}:")), "{e}");
        }
    }
}
