//! Deterministic workloads: migration files, schema.sql, plain SQL scripts and the
//! equivalent Alembic scripts. The same inputs give the same bytes on every machine.

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

use crate::Result;

/// The SQL flavour a workload is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flavor {
    Sqlite,
    Postgres,
    Mysql,
}

/// A revision id: 12 hex digits from a fixed mix of `n` and `salt` (as a generated id
/// looks, and unique prefixes stay short as in real projects).
pub fn rev_id(n: usize, salt: u64) -> String {
    let mut z = (n as u64) ^ salt.wrapping_mul(0x9e37_79b9_7f4a_7c15);
    z = z.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^= z >> 31;
    format!("{:012x}", z & 0xffff_ffff_ffff)
}

/// The creation time of the `n`-th file: one second apart from 2026-01-01T00:00:00Z.
pub fn created(n: usize) -> String {
    let (day, rest) = (n / 86_400, n % 86_400);
    format!(
        "2026-01-{:02}T{:02}:{:02}:{:02}Z",
        day + 1,
        rest / 3600,
        rest % 3600 / 60,
        rest % 60
    )
}

/// One migration to write.
pub struct Mig {
    pub id: String,
    pub parents: Vec<String>,
    pub message: String,
    pub upgrade: Vec<String>,
    pub downgrade: Vec<String>,
}

/// Writes `mig` as the `n`-th file of `dir` in the format of
/// `wildebeest_revision::file::{render, file_name}`.
pub fn write_migration(dir: &Path, n: usize, mig: &Mig) -> Result<PathBuf> {
    let created = created(n);
    let mut text = String::from("-- wildebeest revision\n");
    let _ = writeln!(text, "-- Revision: {}", mig.id);
    if mig.parents.is_empty() {
        text.push_str("-- Revises:\n");
    } else {
        let _ = writeln!(text, "-- Revises: {}", mig.parents.join(", "));
    }
    let _ = writeln!(text, "-- Message: {}", mig.message);
    let _ = writeln!(text, "-- Created: {created}");
    text.push_str("\n-- +upgrade\n");
    section(&mut text, &mig.upgrade);
    text.push_str("\n-- +downgrade\n");
    section(&mut text, &mig.downgrade);
    let digits: String = created.chars().filter(char::is_ascii_digit).collect();
    let slug = mig
        .message
        .replace(|c: char| !c.is_ascii_alphanumeric(), "_");
    let path = dir.join(format!(
        "{}_{}_{}_{}.sql",
        &digits[..8],
        &digits[8..14],
        mig.id,
        slug.to_ascii_lowercase()
    ));
    fs::write(&path, text)?;
    Ok(path)
}

fn section(out: &mut String, statements: &[String]) {
    if statements.is_empty() {
        out.push_str("-- (nothing to do)\n");
    }
    for (i, s) in statements.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        out.push_str(s);
        out.push_str(";\n");
    }
}

/// Writes `wildebeest.toml` (and an empty `schema.sql` unless one exists) in `dir`.
pub fn write_project(dir: &Path, database_url: &str) -> Result<()> {
    fs::create_dir_all(dir.join("migrations"))?;
    fs::write(
        dir.join("wildebeest.toml"),
        format!(
            "database_url = \"{database_url}\"\nschema = \"schema.sql\"\nmigrations = \"migrations\"\n"
        ),
    )?;
    if !dir.join("schema.sql").exists() {
        fs::write(dir.join("schema.sql"), "")?;
    }
    Ok(())
}

/// A tiny table for the graph suite.
pub fn tiny_table(name: &str) -> (String, String) {
    (
        format!("CREATE TABLE {name} (id INTEGER PRIMARY KEY)"),
        format!("DROP TABLE {name}"),
    )
}

/// A linear chain of `n` revisions, each creating a tiny table. Returns the ids.
pub fn linear_chain(dir: &Path, n: usize) -> Result<Vec<String>> {
    let mut ids = Vec::with_capacity(n);
    for i in 0..n {
        let (up, down) = tiny_table(&format!("t{i:05}"));
        let id = rev_id(i, 1);
        write_migration(
            dir,
            i,
            &Mig {
                id: id.clone(),
                parents: ids.last().cloned().into_iter().collect(),
                message: format!("table {i}"),
                upgrade: vec![up],
                downgrade: vec![down],
            },
        )?;
        ids.push(id);
    }
    Ok(ids)
}

/// A graph of `merges` diamonds: a base, then per diamond two branch revisions on the
/// previous merge (or the base) and a merge revision revising both.
pub fn merge_graph(dir: &Path, merges: usize) -> Result<usize> {
    let mut n = 0;
    let mut tip = rev_id(0, 2);
    let (up, down) = tiny_table("base_t");
    write_migration(
        dir,
        n,
        &Mig {
            id: tip.clone(),
            parents: vec![],
            message: "base".into(),
            upgrade: vec![up],
            downgrade: vec![down],
        },
    )?;
    for k in 0..merges {
        let mut branches = Vec::new();
        for side in ["a", "b"] {
            n += 1;
            let id = rev_id(n, 2);
            let (up, down) = tiny_table(&format!("{side}{k:04}"));
            write_migration(
                dir,
                n,
                &Mig {
                    id: id.clone(),
                    parents: vec![tip.clone()],
                    message: format!("branch {side} {k}"),
                    upgrade: vec![up],
                    downgrade: vec![down],
                },
            )?;
            branches.push(id);
        }
        n += 1;
        branches.sort();
        tip = rev_id(n, 2);
        write_migration(
            dir,
            n,
            &Mig {
                id: tip.clone(),
                parents: branches,
                message: format!("merge {k}"),
                upgrade: vec![],
                downgrade: vec![],
            },
        )?;
    }
    Ok(n + 1)
}

/// The statements of apply revision `i`: a table; every third also a column and an
/// index. Returns (upgrade, downgrade).
pub fn apply_statements(i: usize, flavor: Flavor) -> (Vec<String>, Vec<String>) {
    let t = format!("a{i:05}");
    let mut up = vec![format!(
        "CREATE TABLE {t} (id INTEGER PRIMARY KEY, name VARCHAR(100) NOT NULL, n INTEGER)"
    )];
    let mut down = vec![format!("DROP TABLE {t}")];
    if i.is_multiple_of(3) {
        up.push(format!("ALTER TABLE {t} ADD COLUMN extra VARCHAR(50)"));
        up.push(format!("CREATE INDEX ix_{t}_name ON {t} (name)"));
        down.insert(0, format!("ALTER TABLE {t} DROP COLUMN extra"));
        down.insert(
            0,
            match flavor {
                Flavor::Mysql => format!("DROP INDEX ix_{t}_name ON {t}"),
                _ => format!("DROP INDEX ix_{t}_name"),
            },
        );
    }
    (up, down)
}

/// The statements of the apply workload as the database's own client runs them:
/// every upgrade statement in order, and every downgrade statement in the order
/// `downgrade base` runs them (last revision first).
pub struct ApplySql {
    pub up: Vec<String>,
    pub down: Vec<String>,
}

/// Writes the apply workload: `n` migrations in `dir`, and returns its statements (for
/// the raw database scripts).
pub fn apply_chain(dir: &Path, n: usize, flavor: Flavor) -> Result<ApplySql> {
    let mut all = Vec::new();
    let mut downs = Vec::new();
    let mut parent: Option<String> = None;
    for i in 0..n {
        let (up, down) = apply_statements(i, flavor);
        let id = rev_id(i, 3);
        write_migration(
            dir,
            i,
            &Mig {
                id: id.clone(),
                parents: parent.into_iter().collect(),
                message: format!("apply {i}"),
                upgrade: up.clone(),
                downgrade: down.clone(),
            },
        )?;
        all.extend(up);
        downs.push(down);
        parent = Some(id);
    }
    Ok(ApplySql {
        up: all,
        down: downs.into_iter().rev().flatten().collect(),
    })
}

const TYPES: [&str; 6] = [
    "INTEGER",
    "VARCHAR(100)",
    "TEXT",
    "NUMERIC(10,2)",
    "TIMESTAMP",
    "BIGINT",
];

/// One table of the autogenerate schema, split as the 2,000-file history builds it:
/// (CREATE TABLE without the last column and indexes, the later statements adding
/// them, the table as schema.sql writes it).
pub struct BigTable {
    pub create_partial: String,
    pub later: Vec<String>,
    pub full: String,
}

/// Table `i` of the autogenerate schema: 10 to 20 columns, a foreign key to an
/// earlier table, an index and every fourth table a unique index.
pub fn big_table(i: usize) -> BigTable {
    let name = format!("g{i:05}");
    let ncols = 10 + i % 11;
    let mut cols = vec!["id INTEGER NOT NULL".to_owned()];
    if i > 0 {
        cols.push("parent_id INTEGER".to_owned());
    }
    let mut k = 1;
    while cols.len() < ncols {
        let ty = TYPES[k % TYPES.len()];
        let extra = match k % 5 {
            0 => " NOT NULL",
            3 if ty == "INTEGER" || ty == "BIGINT" => " DEFAULT 0",
            _ => "",
        };
        cols.push(format!("c{k} {ty}{extra}"));
        k += 1;
    }
    let last = cols.pop().unwrap_or_default();
    // Keep the last column nullable, so adding it later is valid everywhere.
    let last = last.replace(" NOT NULL", "");
    let mut constraints = vec!["PRIMARY KEY (id)".to_owned()];
    if i > 0 {
        constraints.push(format!(
            "FOREIGN KEY (parent_id) REFERENCES g{:05} (id)",
            (i * 7 + 3) % i
        ));
    }
    let mut indexes = vec![format!("CREATE INDEX ix_{name}_c1 ON {name} (c1)")];
    if i.is_multiple_of(4) {
        indexes.push(format!(
            "CREATE UNIQUE INDEX ux_{name}_c1_c6 ON {name} (c1, c6)"
        ));
    }
    let body = |cols: &[String]| {
        let mut parts: Vec<String> = cols.to_vec();
        parts.extend(constraints.iter().cloned());
        format!("CREATE TABLE {name} (\n    {}\n)", parts.join(",\n    "))
    };
    let create_partial = body(&cols);
    let mut later = vec![format!("ALTER TABLE {name} ADD COLUMN {last}")];
    later.extend(indexes.iter().cloned());
    cols.push(last);
    let mut full = body(&cols);
    full.push_str(";\n");
    for index in &indexes {
        full.push_str(index);
        full.push_str(";\n");
    }
    BigTable {
        create_partial,
        later,
        full,
    }
}

/// schema.sql of `n` big tables.
pub fn big_schema(n: usize) -> String {
    (0..n).map(|i| big_table(i).full + "\n").collect()
}

/// The objects beside the tables that the autogenerate schema of `n` tables gains
/// in its views-and-functions variant: a view on every fifth table (reading two of
/// its columns, with a filter) and a view joining it with the table its key names;
/// with `functions` (PostgreSQL), a SQL function on every tenth table, which the
/// table's view calls on its key. The PostgreSQL variant is upgraded on the server
/// by the `autogenerate` suite and by the bench crate's tests.
pub fn big_objects(n: usize, functions: bool) -> String {
    let mut out = String::new();
    for i in (0..n).step_by(10).filter(|_| functions) {
        out.push_str(&format!(
            "CREATE FUNCTION f{i:05}(x integer) RETURNS integer LANGUAGE sql IMMUTABLE AS $$ SELECT x + {i} $$;\n"
        ));
    }
    for i in (0..n).step_by(5) {
        let name = format!("g{i:05}");
        // The function takes the integer key (`c1` is a string).
        let call = if functions && i % 10 == 0 {
            format!(", f{i:05}(id) AS n")
        } else {
            String::new()
        };
        out.push_str(&format!(
            "CREATE VIEW v{name} AS SELECT id, c1{call} FROM {name} WHERE id > 0;\n"
        ));
        if i > 0 {
            let parent = format!("g{:05}", (i * 7 + 3) % i);
            out.push_str(&format!(
                "CREATE VIEW w{name} AS SELECT t.id, p.id AS parent FROM {name} t JOIN {parent} p ON p.id = t.parent_id;\n"
            ));
        }
    }
    out
}

/// The 2n-file history of the big schema: n files creating the tables (without their
/// last column and indexes), then n files adding those.
pub fn big_history(dir: &Path, n: usize) -> Result<()> {
    let mut parent: Option<String> = None;
    for file in 0..2 * n {
        let i = file % n;
        let t = big_table(i);
        let (upgrade, downgrade) = if file < n {
            (vec![t.create_partial], vec![format!("DROP TABLE g{i:05}")])
        } else {
            let mut down = vec![format!("ALTER TABLE g{i:05} DROP COLUMN {}", last_col(i))];
            for index in t.later.iter().skip(1) {
                let name = index
                    .split_whitespace()
                    .find(|w| w.starts_with("ix_") || w.starts_with("ux_"));
                down.insert(0, format!("DROP INDEX {}", name.unwrap_or_default()));
            }
            (t.later, down)
        };
        let id = rev_id(file, 4);
        write_migration(
            dir,
            file,
            &Mig {
                id: id.clone(),
                parents: parent.into_iter().collect(),
                message: format!("history {file}"),
                upgrade,
                downgrade,
            },
        )?;
        parent = Some(id);
    }
    Ok(())
}

fn last_col(i: usize) -> String {
    let t = big_table(i);
    t.later[0]
        .split_whitespace()
        .nth(5)
        .unwrap_or_default()
        .to_owned()
}

/// The equivalent Alembic script of one revision: each statement through
/// `op.execute`, so both tools run the same SQL.
pub fn alembic_script(id: &str, parent: Option<&str>, up: &[String], down: &[String]) -> String {
    let body = |stmts: &[String]| -> String {
        if stmts.is_empty() {
            return "    pass\n".to_owned();
        }
        stmts
            .iter()
            .map(|s| format!("    op.execute({s:?})\n"))
            .collect()
    };
    let parent = parent.map_or_else(|| "None".to_owned(), |p| format!("{p:?}"));
    format!(
        "from alembic import op\n\nrevision = {id:?}\ndown_revision = {parent}\nbranch_labels = None\ndepends_on = None\n\n\ndef upgrade():\n{}\n\ndef downgrade():\n{}",
        body(up),
        body(down)
    )
}

/// The standard Alembic `env.py` (online mode only).
pub const ALEMBIC_ENV: &str = r#"from alembic import context
from sqlalchemy import engine_from_config, pool

config = context.config
connectable = engine_from_config(
    config.get_section(config.config_ini_section, {}),
    prefix="sqlalchemy.",
    poolclass=pool.NullPool,
)
with connectable.connect() as connection:
    context.configure(connection=connection, target_metadata=None)
    with context.begin_transaction():
        context.run_migrations()
"#;
