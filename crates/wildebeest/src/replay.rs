//! The schema migrations make, computed without a database, and the drift between a
//! database and it that the diff cannot see: what the library's `check` and the
//! command line's share.

use wildebeest_revision::Migration;
use wildebeest_schema::Schema;
use wildebeest_sql::Dialect;

use crate::error::Error;

/// The schema `migrations` (in the order they apply) produce, replayed through the
/// model; each file is read in its own dialect (`-- Dialect:`), else in `dialect`.
/// `show` names a file in messages. Statements the model cannot follow become
/// warnings naming the file and line.
pub fn replay<'m>(
    migrations: impl IntoIterator<Item = &'m Migration>,
    dialect: Dialect,
    show: impl Fn(&Migration) -> String,
    warnings: &mut Vec<String>,
) -> Result<Schema, Error> {
    let mut schema = Schema::new();
    for m in migrations {
        let file = show(m);
        let dialect = match m.headers.get("dialect") {
            None => dialect,
            Some(name) => Dialect::parse(name).ok_or_else(|| {
                Error::Migrations(
                    format!("{file}: unknown dialect `{name}` in the `-- Dialect:` header").into(),
                )
            })?,
        };
        let (statements, parse_warnings) =
            wildebeest_sql::parse_statements(&m.upgrade.text, &file, dialect).map_err(
                |mut e| {
                    e.line += m.upgrade.first_line - 1;
                    e
                },
            )?;
        for w in parse_warnings {
            warnings.push(format!(
                "{file}:{}: {}",
                m.upgrade.first_line + w.line - 1,
                w.message
            ));
        }
        for st in statements {
            let Some(change) = &st.change else { continue };
            let line = m.upgrade.first_line + st.line - 1;
            // Ops apply in place (a statement that fails leaves the schema as it was),
            // so a long history is replayed without copying the schema per statement,
            // also for `ALTER TABLE` with several actions.
            if let Err(e) = change.apply(&mut schema) {
                warnings.push(format!(
                    "{file}:{line}: {e}; the replayed schema ignores `{}`",
                    one_line(&st.text, 60)
                ));
            }
        }
    }
    Ok(schema)
}

/// `text` on one line (white space folded), cut to `max` characters.
pub(crate) fn one_line(text: &str, max: usize) -> String {
    let folded: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if folded.chars().count() > max {
        format!("{}...", folded.chars().take(max).collect::<String>())
    } else {
        folded
    }
}

/// Each table in both schemas whose `STRICT` or `WITHOUT ROWID` differs, as `table
/// `t`: STRICT in the migrations, not in the database`: the options no op carries,
/// which the diff does not compare.
pub fn option_drift(expected: &Schema, actual: &Schema) -> Vec<String> {
    let mut out = Vec::new();
    for (name, want) in &expected.tables {
        let Some(have) = actual.tables.get(name) else {
            continue;
        };
        for (what, wanted, has) in [
            ("STRICT", want.options.strict, have.options.strict),
            (
                "WITHOUT ROWID",
                want.options.without_rowid,
                have.options.without_rowid,
            ),
        ] {
            if wanted != has {
                let (yes, no) = if wanted {
                    ("the migrations", "the database")
                } else {
                    ("the database", "the migrations")
                };
                out.push(format!("table `{name}`: {what} in {yes}, not in {no}"));
            }
        }
    }
    out
}
