//! `wildebeest inspect` and `wildebeest init --from-database`: adopting a database
//! that exists.
//!
//! Nothing here reads a catalog or writes a `CREATE` statement of its own: the schema
//! is the backend's inspection (`Backend::inspect`, what `check` reads), and its text
//! is the migration renderer's upgrade from an empty schema (`app::generate`, what
//! `migrate` writes for a first migration), so `schema.sql`, the first migration and
//! `check` agree by construction. What the model cannot hold is refused by name:
//! objects beside the tables (`Backend::unmodeled_objects`: views, triggers,
//! routines, ...) unless `--skip-unsupported` leaves them out, and parts of a table
//! (`Table::unmodeled`: partitioning, generated columns, ...) always, since leaving
//! out part of a table would describe another table.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use wildebeest::replay::option_drift;
use wildebeest::url::DatabaseUrl;
use wildebeest_runner::{Backend, ServerForm, UnmodeledObject};
use wildebeest_schema::{Hints, Schema, diff, enum_conflicts};
use wildebeest_sql::Dialect;

use crate::app::{self, Direction, Fresh, Outcome, Project, RunOptions};
use crate::config::{CONFIG_FILE, Config};
use crate::renames::RenameFlags;

/// The database's schema as `schema.sql` text, and what was left out of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Inspected {
    /// The text: a comment line, then one statement per object, in the order a
    /// migration creates them (enum types, then tables in the order their foreign
    /// keys need, by name where they need none, each followed by its indexes).
    pub text: String,
    /// The objects `--skip-unsupported` left out, sorted by kind and name.
    pub left_out: Vec<UnmodeledObject>,
    /// The schema the text says, as the backend read it.
    pub schema: Schema,
    /// The database's dialect, the text's.
    pub dialect: Dialect,
}

/// What `inspect` prints the schema as (`--as`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum Language {
    /// `schema.sql` text in the database's own dialect.
    #[default]
    Sql,
    /// Rust models: `#[derive(wildebeest::Table)]` structs (docs/models.md).
    Rust,
}

/// The first line of every `inspect` text.
fn header(dialect: Dialect) -> String {
    let name = match dialect {
        Dialect::Sqlite => "SQLite",
        Dialect::Postgres => "PostgreSQL",
        Dialect::Mysql => "MySQL",
    };
    format!("-- The database's schema, as `wildebeest inspect` reads it ({name}).\n")
}

/// Reads the schema of the database behind `backend` as `schema.sql` text in its own
/// dialect. Fails closed: an object or table part the model cannot hold is an error
/// naming each, unless `skip_unsupported` (objects only; table parts are refused
/// whatever it says).
pub fn read(backend: &mut dyn Backend, skip_unsupported: bool) -> Result<Inspected> {
    let dialect = backend.caps().dialect;
    if let Some(missing) = backend.missing_namespace()? {
        bail!(
            "{}: {missing}, so there is nothing to inspect; check the schema the URL \
             names (`?schema=` or `search_path`, see docs/databases.md)",
            backend.describe()
        );
    }
    let schema = backend.inspect()?;
    let mut objects = backend.unmodeled_objects()?;
    objects.sort();
    let parts: Vec<String> = schema
        .tables
        .values()
        .flat_map(|t| {
            t.unmodeled
                .iter()
                .map(move |p| format!("table `{}`: {p}", t.name))
        })
        .collect();
    if !parts.is_empty() || (!objects.is_empty() && !skip_unsupported) {
        let mut items: Vec<String> = objects.iter().map(describe).collect();
        items.extend(parts.iter().cloned());
        let advice = if parts.is_empty() {
            "create and change them by hand (in a revision, `wildebeest revision -m MSG`), \
             or pass --skip-unsupported to leave them out of the text"
        } else if objects.is_empty() || skip_unsupported {
            "a table is adopted whole or not at all: change these tables so that \
             the model can hold them, or keep them out of this database"
        } else {
            "--skip-unsupported leaves out the objects but not the parts of a table (a \
             table is adopted whole or not at all): change these tables so that the \
             model can hold them, or keep them out of this database"
        };
        bail!(
            "the database has {} that schema.sql cannot hold: {}; {advice} (see docs/adopting.md)",
            if items.len() == 1 {
                "1 thing".to_string()
            } else {
                format!("{} things", items.len())
            },
            items.join("; ")
        );
    }
    let generated = app::generate(dialect, &Schema::default(), &schema, &Hints::default())?;
    let mut text = header(dialect);
    for statement in &generated.upgrade {
        text.push('\n');
        text.push_str(statement.trim());
        text.push_str(";\n");
    }
    Ok(Inspected {
        text,
        left_out: objects,
        schema,
        dialect,
    })
}

/// `kind `name`` as messages say an object.
fn describe(o: &UnmodeledObject) -> String {
    format!("{} `{}`", o.kind, o.name)
}

/// The warnings saying what `--skip-unsupported` left out.
fn left_out_warnings(left_out: &[UnmodeledObject]) -> Vec<String> {
    left_out
        .iter()
        .map(|o| {
            format!(
                "left out {} (schema.sql cannot hold it; it stays in the database as it is)",
                describe(o)
            )
        })
        .collect()
}

/// `wildebeest inspect`: the database's schema on `out`, or written to `output`.
pub fn inspect(
    config: &Config,
    output: Option<&Path>,
    skip_unsupported: bool,
    language: Language,
    out: &mut dyn Write,
) -> Result<Outcome> {
    let url = config.database()?;
    let Some(mut backend) = wildebeest::backends::connect_existing(url, None)? else {
        bail!("{}: no such database file", describe_url(url));
    };
    let inspected = read(backend.as_mut(), skip_unsupported)?;
    let mut warnings = left_out_warnings(&inspected.left_out);
    let text = match language {
        Language::Sql => inspected.text.clone(),
        Language::Rust => {
            let models = crate::rust_models::models_text(
                &inspected.schema,
                inspected.dialect,
                &inspected.text,
                skip_unsupported,
            )?;
            warnings.extend(models.left_out.iter().map(|o| {
                format!(
                    "left out {o} (Rust models cannot say it; it stays in the database as it is)"
                )
            }));
            models.text
        }
    };
    app::print_warnings(&warnings);
    match output {
        None => out.write_all(text.as_bytes())?,
        Some(path) => std::fs::write(path, &text)
            .with_context(|| format!("cannot write {}", path.display()))?,
    }
    Ok(Outcome::Ok)
}

fn describe_url(url: &DatabaseUrl) -> String {
    match url {
        DatabaseUrl::SqliteFile(path) => path.display().to_string(),
        DatabaseUrl::SqliteMemory => "sqlite::memory:".into(),
        DatabaseUrl::Postgres { url, .. } | DatabaseUrl::Mysql { url } => {
            wildebeest::url::mask(url)
        }
    }
}

/// The settings file `init --from-database` writes: the URL when it holds no
/// password; else none, with a comment saying where it goes instead.
fn config_text(url: &str) -> String {
    let has_password = !crate::redact::passwords_in(url).is_empty();
    let setting = if has_password {
        format!(
            "# The database URL has a password, which does not belong in a file kept in\n\
             # version control: set DATABASE_URL in the environment instead, e.g.\n\
             # DATABASE_URL={}\n",
            wildebeest::url::mask(url)
        )
    } else {
        format!("database_url = {}\n", toml_string(url))
    };
    format!(
        "# wildebeest project settings.\n\
         # DATABASE_URL in .env overrides database_url, DATABASE_URL in the environment\n\
         # overrides both, and --database-url overrides all three.\n\
         # SQLite paths are relative to this file's folder.\n\
         {setting}\n\
         # The desired schema: one file or a list of files, plain SQL DDL.\n\
         schema = \"schema.sql\"\n\
         \n\
         # The folder with one .sql file per revision.\n\
         migrations = \"migrations\"\n"
    )
}

/// `text` as a TOML basic string.
fn toml_string(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// What `init --from-database` created, removed again when a later step fails.
#[derive(Default)]
struct Created {
    files: Vec<PathBuf>,
    dirs: Vec<PathBuf>,
    keep: bool,
}

impl Drop for Created {
    fn drop(&mut self) {
        if self.keep {
            return;
        }
        for f in &self.files {
            let _ = std::fs::remove_file(f);
        }
        for d in self.dirs.iter().rev() {
            let _ = std::fs::remove_dir_all(d);
        }
    }
}

/// `wildebeest init --from-database URL` in `root`: writes `wildebeest.toml`,
/// `schema.sql` (the `inspect` text) and the first migration (as `migrate -m
/// "initial"` writes it), proves that the migration makes what the database has (as
/// `check` compares), and only then stamps the database at it. Refuses to overwrite
/// anything; on any error, removes what it wrote and leaves the database as it was.
pub fn init_from_database(
    root: &Path,
    url: &str,
    skip_unsupported: bool,
    fresh: &Fresh,
    out: &mut dyn Write,
) -> Result<Outcome> {
    crate::redact::register(url);
    let config_path = root.join(CONFIG_FILE);
    let schema_path = root.join("schema.sql");
    let migrations = root.join("migrations");
    let mut existing: Vec<String> = [&config_path, &schema_path]
        .into_iter()
        .filter(|p| p.symlink_metadata().is_ok())
        .map(|p| p.display().to_string())
        .collect();
    if migrations.symlink_metadata().is_ok()
        && (!migrations.is_dir()
            || std::fs::read_dir(&migrations)
                .with_context(|| format!("cannot read {}", migrations.display()))?
                .next()
                .is_some())
    {
        existing.push(format!("{}/", migrations.display()));
    }
    if !existing.is_empty() {
        bail!(
            "init --from-database writes a new project and overwrites nothing, but {} already \
             exist{}; move {} away, or adopt the database in another folder (-C DIR)",
            existing.join(", "),
            if existing.len() == 1 { "s" } else { "" },
            if existing.len() == 1 { "it" } else { "them" },
        );
    }
    let parsed = DatabaseUrl::parse(url, root).context("in --from-database")?;
    let Some(mut backend) = wildebeest::backends::connect_existing(&parsed, None)? else {
        bail!("{}: no such database file", describe_url(&parsed));
    };
    let applied = backend.applied_ids()?;
    if !applied.is_empty() {
        bail!(
            "the database is already managed by wildebeest ({} revision{} applied): use the \
             project that has its migrations, or `wildebeest stamp --purge` there",
            applied.len(),
            if applied.len() == 1 { "" } else { "s" }
        );
    }
    let inspected = read(backend.as_mut(), skip_unsupported)?;
    drop(backend);

    let mut created = Created::default();
    std::fs::create_dir_all(root).with_context(|| format!("cannot create {}", root.display()))?;
    let config_text = config_text(url);
    write_new(&config_path, &config_text, &mut created)?;
    write_new(&schema_path, &inspected.text, &mut created)?;
    if !migrations.is_dir() {
        std::fs::create_dir(&migrations)
            .with_context(|| format!("cannot create {}", migrations.display()))?;
        created.dirs.push(migrations.clone());
    }
    writeln!(out, "created   {CONFIG_FILE}")?;
    writeln!(out, "created   schema.sql")?;
    writeln!(out, "created   migrations/")?;
    app::print_warnings(&left_out_warnings(&inspected.left_out));

    // From here on the project is read as every later command reads it, with the URL
    // given (the file may hold none).
    let config = Config::from_text(root, &config_text, None, Some(url.to_string()))?;
    let project = Project::load(config)?;
    let before = std::fs::read_dir(&migrations)?.count();
    app::migrate(
        &project,
        "initial",
        &RenameFlags::default(),
        None,
        fresh,
        out,
    )?;
    for entry in std::fs::read_dir(&migrations)?.flatten() {
        created.files.push(entry.path());
    }
    let project = Project::load(project.config.clone())?;
    if std::fs::read_dir(&migrations)?.count() > before {
        let problems = drift(&project)?;
        if !problems.is_empty() {
            bail!(
                "the migration written from the database would not make it as it is, so \
                 nothing was kept and the database was not stamped: {} (please report this \
                 as a bug)",
                problems.join("; ")
            );
        }
        // Last: everything before it only wrote files, which go again on error.
        app::run(
            &project,
            Direction::Stamp,
            "head",
            RunOptions::default(),
            out,
        )?;
    }
    created.keep = true;
    if !crate::redact::passwords_in(url).is_empty() {
        writeln!(
            out,
            "\nThe URL has a password, so {CONFIG_FILE} names no database: set DATABASE_URL \
             (in the environment, or a .env file kept out of version control) before the \
             next command."
        )?;
    }
    writeln!(
        out,
        "\nAdopted: `wildebeest check` compares the database with schema.sql and the \
         migration. Next: edit schema.sql, then run `wildebeest migrate -m MSG`."
    )?;
    Ok(Outcome::Ok)
}

fn write_new(path: &Path, text: &str, created: &mut Created) -> Result<()> {
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .with_context(|| format!("cannot create {}", path.display()))?;
    created.files.push(path.to_path_buf());
    file.write_all(text.as_bytes())
        .with_context(|| format!("cannot write {}", path.display()))
}

/// What `check` would report as drift between the database and every migration of
/// `project`: the server's reading of what the migrations make against the
/// database's own (see `app::check`).
fn drift(project: &Project) -> Result<Vec<String>> {
    let all = project
        .graph()
        .topo_order()
        .into_iter()
        .map(String::from)
        .collect();
    let model = project.replay(&all, &mut Vec::new())?;
    let Some(mut backend) = project.open(false)? else {
        bail!("the database went away");
    };
    let inspected = backend.inspect()?;
    let actual = backend.canonical(&inspected);
    let expected = match backend.server_form(&model)? {
        ServerForm::Read(made) => backend.canonical(&made),
        ServerForm::Unavailable(_) => backend.canonical(&model),
    };
    let mut problems: Vec<String> = diff(&expected, &actual, &Hints::default())
        .iter()
        .map(|op| op.describe())
        .collect();
    problems.extend(option_drift(&expected, &actual));
    problems.extend(
        enum_conflicts(&expected, &actual)
            .iter()
            .map(|c| format!("enum type `{}`", c.name)),
    );
    Ok(problems)
}
