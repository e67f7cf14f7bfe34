//! The commands: each takes the resolved [`Config`] and returns whether it found
//! differences (exit status 1) or not (0); errors become exit status 2 in `main`.

use std::collections::BTreeSet;
use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use wildebeest::url::DatabaseUrl;
use wildebeest_revision::{GraphError, LabelAt, Migration, NewMigration, RevisionGraph, Target};
use wildebeest_runner::{Backend, CONSENT_MARKER, Resume};
use wildebeest_schema::{Hints, Op, Schema, diff, enum_conflicts};
use wildebeest_sql::Dialect;

use crate::config::{CONFIG_FILE, Config, DEFAULT_CONFIG};
use crate::output::{self, Format, RunEvent, RunOutput, Way};
use crate::renames::{self, Ask, RenameFlags};
use crate::style::Style;
use wildebeest::Migrator;

/// What a command tells `main` about the exit status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Exit 0.
    Ok,
    /// Exit 1: `check` found differences.
    Differences,
}

/// The starter `schema.sql` that `init` writes.
pub const DEFAULT_SCHEMA: &str =
    "-- The desired schema: plain SQL DDL (CREATE TABLE, CREATE INDEX).
-- Edit it, then run `wildebeest migrate -m \"what changed\"` to write a migration.
";

/// `wildebeest init` in `root`: creates what is missing, keeps what exists.
pub fn init(root: &Path, out: &mut dyn Write) -> Result<Outcome> {
    init_with_url(root, None, out)
}

/// [`init`]; with `url` (`--database-url`), the new wildebeest.toml names that database (and so its
/// dialect); a URL with a password is refused, as is a URL for a project whose
/// wildebeest.toml exists already: nothing is written then.
pub fn init_with_url(root: &Path, url: Option<&str>, out: &mut dyn Write) -> Result<Outcome> {
    let config = root.join(CONFIG_FILE);
    let text = match url {
        None => DEFAULT_CONFIG.to_string(),
        Some(url) => {
            crate::redact::register(url);
            DatabaseUrl::parse(url, root).context("in --database-url")?;
            if has_password(url) {
                bail!(
                    "--database-url holds a password, which wildebeest.toml (a file kept in \
                     version control) must not: run `wildebeest init --database-url` with the \
                     URL without its password, and give the whole URL in the DATABASE_URL \
                     environment variable or as DATABASE_URL=... in {} (keep .env out of \
                     version control)",
                    root.join(crate::config::DOTENV_FILE).display()
                );
            }
            if url.chars().any(char::is_control) {
                bail!("--database-url holds a control character");
            }
            if config.exists() {
                bail!(
                    "{} exists already: --database-url is written only into a new one; \
                     set database_url in it instead",
                    config.display()
                );
            }
            let quoted = url.replace('\\', "\\\\").replace('"', "\\\"");
            DEFAULT_CONFIG.replace(
                "database_url = \"sqlite:app.db\"",
                &format!("database_url = \"{quoted}\""),
            )
        }
    };
    std::fs::create_dir_all(root).with_context(|| format!("cannot create {}", root.display()))?;
    write_if_absent(&config, &text, out)?;
    let cfg = Config::load(root, None, None)?;
    for schema in &cfg.schema_files {
        write_if_absent(schema, DEFAULT_SCHEMA, out)?;
    }
    let dir = &cfg.migrations_dir;
    if dir.is_dir() {
        writeln!(out, "kept      {}/", cfg.show(dir))?;
    } else {
        std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
        writeln!(out, "created   {}/", cfg.show(dir))?;
    }
    // A project that already has revisions is past its first migration.
    let has_revisions = std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .flatten()
                .any(|e| e.path().extension().is_some_and(|x| x == "sql"))
        })
        .unwrap_or(false);
    if has_revisions {
        writeln!(
            out,
            "\nThe project was already set up: edit schema.sql, then run `wildebeest migrate -m MSG`."
        )?;
    } else {
        writeln!(
            out,
            "\nNext: describe your tables in schema.sql, then run `wildebeest migrate -m \"Initial migration.\"`."
        )?;
    }
    Ok(Outcome::Ok)
}

/// Whether a database URL carries a password: `scheme://user:PASSWORD@host` or a
/// `password=` parameter (an empty one counts as none).
fn has_password(url: &str) -> bool {
    let server = url.split_once("://").map_or("", |(_, rest)| rest);
    let authority = server.split(['/', '?']).next().unwrap_or_default();
    let in_userinfo = authority
        .rsplit_once('@')
        .and_then(|(userinfo, _)| userinfo.split_once(':'))
        .is_some_and(|(_, password)| !password.is_empty());
    let in_query = url.split_once('?').is_some_and(|(_, query)| {
        query.split('&').any(|pair| {
            pair.split_once('=').is_some_and(|(key, value)| {
                key.eq_ignore_ascii_case("password") && !value.is_empty()
            })
        })
    });
    in_userinfo || in_query
}

/// `wildebeest database create`.
pub fn database_create(config: &Config, out: &mut dyn Write) -> Result<Outcome> {
    let url = config.database()?;
    if wildebeest::backends::create_database(url)? {
        writeln!(out, "Created database {url}")?;
    } else {
        writeln!(out, "Database {url} exists already; left as it was")?;
    }
    Ok(Outcome::Ok)
}

/// `wildebeest database drop`: only with `force`, or a yes from `ask` (the terminal).
pub fn database_drop(
    config: &Config,
    force: bool,
    ask: Option<&mut dyn Ask>,
    out: &mut dyn Write,
) -> Result<Outcome> {
    let url = config.database()?;
    if !force {
        let Some(ask) = ask else {
            bail!(
                "`database drop` destroys {url} and everything in it, and there is no \
                 terminal to confirm on: add --force to drop it"
            );
        };
        if !ask.ask(&format!("Drop database {url} and everything in it?"))? {
            writeln!(out, "Not dropped.")?;
            return Ok(Outcome::Ok);
        }
    }
    if wildebeest::backends::drop_database(url)? {
        writeln!(out, "Dropped database {url}")?;
    } else {
        writeln!(out, "Database {url} does not exist; nothing dropped")?;
    }
    Ok(Outcome::Ok)
}

fn write_if_absent(path: &Path, text: &str, out: &mut dyn Write) -> Result<()> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    if path.exists() {
        writeln!(out, "kept      {name}")?;
        return Ok(());
    }
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)
            .with_context(|| format!("cannot create {}", parent.display()))?;
    }
    std::fs::write(path, text).with_context(|| format!("cannot write {}", path.display()))?;
    writeln!(out, "created   {name}")?;
    Ok(())
}

/// A loaded project: settings and its migrations as a [`wildebeest::Migrator`], whose
/// revision graph is read from the migration files' headers only (through the header
/// cache). The whole files (sections, checksums) are read the first time a command
/// asks for them ([`Project::migrations`]), so commands that only show the graph
/// (`current`, `heads`, `history`) start fast on long histories.
pub struct Project {
    pub config: Config,
    migrator: Migrators,
    /// The desired schema as text, named for messages, in place of the schema files:
    /// an application's own models (`myapp db`, see [`crate::db`]).
    schema_text: Option<(String, String)>,
    /// The desired schema's texts with the names messages give them, read once (a
    /// schema command runs once per command).
    schema_texts: std::cell::OnceCell<Vec<(String, String)>>,
}

/// A project's migrations: a folder it reads, or an application's embedded ones.
enum Migrators {
    Read(Box<Migrator>),
    Embedded(&'static Migrator),
}

/// The header cache's file in the cache folder.
const HEADER_CACHE: &str = "headers";

/// The message for migrations that cannot be read: the cause, and what to do when the
/// folder is missing.
fn load_error(config: &Config, e: wildebeest::Error) -> anyhow::Error {
    if config.migrations_dir.is_dir() {
        anyhow::Error::new(e)
    } else {
        anyhow::anyhow!("{e}; run `wildebeest init` to create the migrations folder")
    }
}

impl Project {
    /// Reads the migrations folder's headers and builds the graph.
    /// With a cache folder configured, headers of files unchanged since the last run
    /// come from the cache there (see [`wildebeest_revision::cache`]).
    pub fn load(config: Config) -> Result<Project> {
        let mut migrator =
            Migrator::open_dir(&config.migrations_dir).paths_relative_to(&config.root);
        if let Some(cache) = &config.cache_dir {
            migrator = migrator.header_cache(cache.join(HEADER_CACHE));
        }
        migrator.graph().map_err(|e| load_error(&config, e))?;
        Ok(Project {
            config,
            migrator: Migrators::Read(Box::new(migrator)),
            schema_text: None,
            schema_texts: std::cell::OnceCell::new(),
        })
    }

    /// A project whose migrations are an application's embedded ones and whose
    /// desired schema is `schema_text` (named `name` in messages): `myapp db`.
    pub fn embedded(
        config: Config,
        migrator: &'static Migrator,
        name: String,
        schema_text: String,
    ) -> Result<Project> {
        migrator.graph()?;
        Ok(Project {
            config,
            migrator: Migrators::Embedded(migrator),
            schema_text: Some((name, schema_text)),
            schema_texts: std::cell::OnceCell::new(),
        })
    }

    /// Takes the desired schema from `text` (named `name` in messages) instead of the
    /// schema files.
    pub fn set_schema_text(&mut self, name: String, text: String) {
        self.schema_text = Some((name, text));
        self.schema_texts = std::cell::OnceCell::new();
    }

    /// The migrations are an application's embedded ones (`myapp db`).
    pub fn is_embedded(&self) -> bool {
        matches!(self.migrator, Migrators::Embedded(_))
    }

    /// The project's migrations, as the library runs them.
    pub fn migrator(&self) -> &Migrator {
        match &self.migrator {
            Migrators::Read(m) => m,
            Migrators::Embedded(m) => m,
        }
    }

    /// The revision graph.
    pub fn graph(&self) -> &RevisionGraph {
        self.migrator()
            .graph()
            .expect("Project::load read the graph")
    }

    /// Every migration file parsed whole (sections and checksums), in file name order;
    /// read on first use. Errors in any file's sections are reported here.
    pub fn migrations(&self) -> Result<&[Migration]> {
        self.migrator()
            .migrations()
            .map_err(|e| load_error(&self.config, e))
    }

    /// The header of revision `id` (an id of the graph).
    pub(crate) fn node(&self, id: &str) -> &wildebeest_revision::Node {
        self.graph()
            .get(id)
            .expect("ids passed here come from the graph")
    }

    /// The dialect the schema files are parsed in and `migrate` writes: the
    /// `schema_dialect` setting, else the database's.
    pub fn schema_dialect(&self) -> Result<Dialect> {
        match self.config.schema_dialect {
            Some(d) => Ok(d),
            None => self.dialect(),
        }
    }

    /// The database's dialect, from the database URL.
    pub fn dialect(&self) -> Result<Dialect> {
        Ok(match self.config.database()? {
            DatabaseUrl::SqliteFile(_) | DatabaseUrl::SqliteMemory => Dialect::Sqlite,
            DatabaseUrl::Postgres { .. } => Dialect::Postgres,
            DatabaseUrl::Mysql { .. } => Dialect::Mysql,
        })
    }

    /// The whole migration file of revision `id` (an id of the graph).
    pub(crate) fn migration(&self, id: &str) -> Result<&Migration> {
        self.migrations()?;
        match self.migrator().migration(id)? {
            Some(m) => Ok(m),
            None => bail!("revision {id} has no migration file"),
        }
    }

    fn show(&self, m: &Migration) -> String {
        self.config.show(&m.path)
    }

    /// The single head, or an error explaining what to do about several.
    fn single_head(&self) -> Result<Option<String>> {
        let heads = self.graph().heads();
        match heads.len() {
            0 => Ok(None),
            1 => Ok(Some(heads[0].to_string())),
            _ => bail!(
                "the migrations have {} heads ({}): join them with `wildebeest merge -m MSG`, or put the new revision on one of them with `--head REV` (a revision or LABEL@head)",
                heads.len(),
                heads.join(", ")
            ),
        }
    }

    /// The schema the given revisions produce, replayed through the model (no
    /// database). Statements the model cannot follow become warnings naming the file.
    pub fn replay(&self, applied: &BTreeSet<String>, warnings: &mut Vec<String>) -> Result<Schema> {
        let migrations = self
            .graph()
            .topo_order()
            .into_iter()
            .filter(|id| applied.contains(*id))
            .map(|id| self.migration(id))
            .collect::<Result<Vec<_>>>()?;
        Ok(wildebeest::replay::replay(
            migrations,
            self.dialect()?,
            |m| self.show(m),
            warnings,
        )?)
    }

    /// `schema` as the project's database stores it (MySQL: `VARCHAR` is
    /// `VARCHAR(255)`; SQLite: enum columns are `TEXT`), so that migrations written in
    /// another dialect and schema.sql compare equal when they mean the same there.
    pub fn canonical(&self, schema: Schema) -> Result<Schema> {
        canonical_in(self.dialect()?, &schema)
    }

    /// `schema` as the schema files' database stores it ([`Project::schema_dialect`]):
    /// what `migrate` writes and compares, and `check` compares schema.sql with the
    /// migrations in.
    pub fn schema_canonical(&self, schema: Schema) -> Result<Schema> {
        canonical_in(self.schema_dialect()?, &schema)
    }
}

/// The desired schema `to` (canonical) with what it spells otherwise than `built`,
/// the schema the migrations make, but means the same, spelled as in `built`
/// ([`wildebeest::backends::as_built`]: a MySQL foreign key action left out as its
/// dumps leave out the server's default, a character set said in other words).
/// `migrate` and `check` compare `built` with this, so they agree.
fn as_built(project: &Project, built: &Schema, mut to: Schema) -> Result<Schema> {
    wildebeest::backends::as_built(project.schema_dialect()?, &mut to, built);
    Ok(to)
}

/// `schema` as a database of `dialect` stores it.
fn canonical_in(dialect: Dialect, schema: &Schema) -> Result<Schema> {
    Ok(wildebeest::backends::canonical(dialect, schema)?)
}

impl Project {
    /// Every revision up to the single head.
    fn all_to_head(&self) -> Result<BTreeSet<String>> {
        Ok(match self.single_head()? {
            Some(head) => self.graph().ancestors(&head),
            None => BTreeSet::new(),
        })
    }

    /// The desired schema from the schema files, each unmodeled part warned about.
    pub fn desired(&self, warnings: &mut Vec<String>) -> Result<Schema> {
        let (schema, positions) = self.desired_located(warnings)?;
        warnings.extend(positions.unmodeled.iter().map(kept_warning));
        Ok(schema)
    }

    /// The desired schema from the schema files, with the positions of its tables and
    /// their unmodeled parts, which are not among the warnings: the caller says what
    /// becomes of each (an error when a migration cannot keep it, else a warning).
    pub fn desired_located(
        &self,
        warnings: &mut Vec<String>,
    ) -> Result<(Schema, wildebeest_sql::SchemaPositions)> {
        let dialect = self.schema_dialect()?;
        let files = self.schema_texts()?;
        let refs: Vec<(&str, &str)> = files
            .iter()
            .map(|(n, t)| (n.as_str(), t.as_str()))
            .collect();
        // A PostgreSQL name may be qualified with the schema the application lives in.
        let pg_schema = match self.config.database() {
            Ok(DatabaseUrl::Postgres {
                schema: Some(s), ..
            }) => s.clone(),
            _ => "public".to_string(),
        };
        let (mut schema, ws, positions) =
            wildebeest_sql::parse_schema_located_in(&refs, dialect, &pg_schema)?;
        warnings.extend(ws.into_iter().map(|w| w.to_string()));
        // A dump of a database wildebeest manages has its version tables, which are
        // wildebeest's to make, not the schema's.
        for name in wildebeest_runner::VERSION_TABLES {
            if schema.tables.remove(name).is_some() {
                let at = positions.table(name).unwrap_or_default();
                warnings.push(format!(
                    "{at}: table `{name}` is wildebeest's own version table; it is left out of the schema"
                ));
            }
        }
        Ok((schema, positions))
    }

    /// The desired schema's texts, each with the name messages give it: the schema
    /// files, or the output of `schema_command`.
    pub fn schema_texts(&self) -> Result<&[(String, String)]> {
        if let Some(texts) = self.schema_texts.get() {
            return Ok(texts);
        }
        if let Some((name, text)) = &self.schema_text {
            return Ok(self
                .schema_texts
                .get_or_init(|| vec![(name.clone(), text.clone())]));
        }
        let texts = match &self.config.schema_command {
            Some(command) => vec![(
                format!("the output of `{command}`"),
                run_schema_command(&self.config.root, command)?,
            )],
            None => {
                let mut files = Vec::new();
                for path in &self.config.schema_files {
                    let bytes = wildebeest_revision::read_regular(path).map_err(|e| {
                        anyhow::anyhow!(
                            "cannot read the schema file {}: {}",
                            self.config.show(path),
                            io_reason(&e)
                        )
                    })?;
                    let text = String::from_utf8(bytes).map_err(|e| {
                        anyhow::anyhow!(
                            "{}:{}: the file is not valid UTF-8: schema files are UTF-8 text",
                            self.config.show(path),
                            utf8_error_line(&e)
                        )
                    })?;
                    files.push((self.config.show(path), text));
                }
                files
            }
        };
        Ok(self.schema_texts.get_or_init(|| texts))
    }

    /// The rename directives of the schema texts (`-- wildebeest: rename ...`), each
    /// with where it is (`schema.sql:3`).
    pub fn rename_directives(&self) -> Result<Vec<(String, wildebeest_sql::Rename)>> {
        let mut out = Vec::new();
        for (name, text) in self.schema_texts()? {
            let found = wildebeest_sql::rename_directives(text)
                .map_err(|(line, what)| anyhow::anyhow!("{name}:{line}: {what}"))?;
            out.extend(
                found
                    .into_iter()
                    .map(|(line, r)| (format!("{name}:{line}"), r)),
            );
        }
        Ok(out)
    }

    /// A backend that plans and writes scripts for the configured database without
    /// connecting to it (`upgrade --sql START:END`): SQLite plans in an empty in-memory
    /// database; PostgreSQL and MySQL need no server at all.
    pub fn open_offline(&self) -> Result<Box<dyn Backend>> {
        Ok(wildebeest::backends::open_offline(self.config.database()?)?)
    }

    /// Opens the database. `create` makes a missing SQLite file; without it a missing
    /// file is `None` (nothing applied yet).
    pub fn open(&self, create: bool) -> Result<Option<Box<dyn Backend>>> {
        let url = self.config.database()?;
        Ok(if create {
            Some(wildebeest::backends::connect(url, None)?)
        } else {
            wildebeest::backends::connect_existing(url, None)?
        })
    }
}

/// The standard output of `command`, run by the shell in `root`: the desired schema
/// text. A command that cannot start, fails, or prints what is not UTF-8 is an error
/// naming it, with what it wrote to standard error.
fn run_schema_command(root: &Path, command: &str) -> Result<String> {
    #[cfg(windows)]
    let mut cmd = {
        let mut c = std::process::Command::new("cmd");
        c.arg("/C").arg(command);
        c
    };
    #[cfg(not(windows))]
    let mut cmd = {
        let mut c = std::process::Command::new("sh");
        c.arg("-c").arg(command);
        c
    };
    let output = cmd
        .current_dir(root)
        .stdin(std::process::Stdio::null())
        .output()
        .map_err(|e| {
            anyhow::anyhow!(
                "cannot run the schema command `{command}` (schema_command in {CONFIG_FILE}): {}",
                io_reason(&e)
            )
        })?;
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        let stderr = stderr.trim_end();
        let status = match output.status.code() {
            Some(code) => format!("exit status {code}"),
            None => "killed by a signal".to_string(),
        };
        if stderr.is_empty() {
            bail!(
                "the schema command `{command}` (schema_command in {CONFIG_FILE}) failed ({status}) and wrote nothing to standard error"
            );
        }
        bail!(
            "the schema command `{command}` (schema_command in {CONFIG_FILE}) failed ({status}); its standard error:\n{stderr}"
        );
    }
    String::from_utf8(output.stdout).map_err(|e| {
        anyhow::anyhow!(
            "the output of `{command}`:{}: not valid UTF-8: the schema is UTF-8 text",
            utf8_error_line(&e)
        )
    })
}

/// A generated migration: the ops and their SQL both ways.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Generated {
    pub ops: Vec<Op>,
    pub upgrade: Vec<String>,
    pub downgrade: Vec<String>,
}

/// The migration from `from` to `to` in `dialect`: the diff, rendered, and its
/// inverse (the reversed, inverted ops) rendered as the downgrade. Destructive
/// statements carry a `-- DATA LOSS:` comment; none carries consent.
pub fn generate(dialect: Dialect, from: &Schema, to: &Schema, hints: &Hints) -> Result<Generated> {
    refuse_enum_conflicts(from, to)?;
    render_migration(dialect, from, diff(from, to, hints), &BTreeSet::new())
}

/// Warnings for labels that `ops` add to an enum type and then use as a column's
/// default: PostgreSQL refuses a new label in the transaction that adds it, and a
/// revision is one transaction, so `upgrade` would fail.
fn new_labels_used(ops: &[Op]) -> Vec<String> {
    let mut out = Vec::new();
    for (i, op) in ops.iter().enumerate() {
        let Op::AddEnumValue { name, value, .. } = op else {
            continue;
        };
        let literal = wildebeest_sql::quote_literal(value);
        let uses = |table: &str, c: &wildebeest_schema::Column| {
            let hit = matches!(&c.ty, wildebeest_schema::ColumnType::Enum(n) if n == name)
                && c.default.as_deref() == Some(literal.as_str());
            hit.then(|| format!("{table}.{}", c.name))
        };
        let users: Vec<String> = ops[i + 1..]
            .iter()
            .flat_map(|later| match later {
                Op::CreateTable(t) => t.columns.iter().filter_map(|c| uses(&t.name, c)).collect(),
                Op::AddColumn { table, column }
                | Op::AlterColumn {
                    table, to: column, ..
                } => uses(table, column).into_iter().collect(),
                _ => Vec::new(),
            })
            .collect();
        if !users.is_empty() {
            out.push(format!(
                "the migration adds the value {literal} to enum type `{name}` and makes it the \
                 default of `{}` in the same revision, which PostgreSQL refuses (a new enum value \
                 cannot be used in the transaction that adds it): migrate the new value first, \
                 then its use, or move the default to a revision of its own",
                users.join("`, `")
            ));
        }
    }
    out
}

/// Fails, naming each enum type and what to do, when `to` changes the labels of an
/// enum type of `from` in a way no generated migration can (see `enum_conflicts`).
fn refuse_enum_conflicts(from: &Schema, to: &Schema) -> Result<()> {
    let conflicts = enum_conflicts(from, to);
    if conflicts.is_empty() {
        return Ok(());
    }
    let lines: Vec<String> = conflicts.iter().map(|c| format!("  {c}")).collect();
    bail!(
        "cannot generate the migration; nothing was written:\n{}",
        lines.join("\n")
    )
}

/// The warning that a table of the schema files keeps a part the model cannot hold.
fn kept_warning(part: &wildebeest_sql::Located) -> String {
    format!(
        "{}:{}: table `{}`: the model cannot hold `{}`; it is kept as unmodeled",
        part.file, part.line, part.table, part.part
    )
}

/// A part of the schema files that the model cannot hold and that a generated
/// migration would lose or leave out (see [`unheld_parts`]).
struct Unheld {
    /// `schema.sql:LINE` of the part, or of its table when schema.sql lacks the part.
    at: Option<String>,
    table: String,
    /// What is wrong, after the table's name.
    what: String,
    /// The index of the op of the diff that would lose it, if one would.
    op: Option<usize>,
}

impl std::fmt::Display for Unheld {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if let Some(at) = &self.at {
            write!(f, "{at}: ")?;
        }
        write!(f, "table `{}`{}", self.table, self.what)
    }
}

/// A part of `Table::unmodeled` as a message shows it: a column's part without the
/// `column NAME: ` the table keeps it under.
fn show_part(part: &str, column: Option<&str>) -> String {
    let part = column
        .and_then(|c| part.strip_prefix(&wildebeest_schema::column_part_prefix(c)))
        .unwrap_or(part);
    format!("`{part}`")
}

/// The column a part of `Table::unmodeled` is written on, if it names one of `table`.
fn part_column<'t>(table: &'t wildebeest_schema::Table, part: &str) -> Option<&'t str> {
    table
        .columns
        .iter()
        .map(|c| c.name.as_str())
        .find(|c| part.starts_with(&wildebeest_schema::column_part_prefix(c)))
}

/// An unmodeled part as it is compared: its words, whatever the spaces between them,
/// and a plain name in quotes or not (`KEY \`idx\` (\`title\`(50))`, as mysqldump
/// writes it, is `KEY idx (title(50))`). String literals are left as they are.
fn normalize_part(part: &str) -> String {
    let mut out = String::new();
    let mut chars = part.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\'' => {
                out.push(c);
                while let Some(d) = chars.next() {
                    out.push(d);
                    if d == '\'' {
                        if chars.peek() == Some(&'\'') {
                            out.push(chars.next().unwrap_or('\''));
                        } else {
                            break;
                        }
                    }
                }
            }
            '`' | '"' => {
                let name: String = chars.by_ref().take_while(|d| *d != c).collect();
                let plain = !name.is_empty()
                    && !name.starts_with(|d: char| d.is_ascii_digit())
                    && name
                        .chars()
                        .all(|d| d.is_ascii_alphanumeric() || d == '_' || d == '$');
                if plain {
                    out.push_str(&name);
                } else {
                    out.push(c);
                    out.push_str(&name);
                    out.push(c);
                }
            }
            _ => out.push(c),
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// What of the schema files' unmodeled parts (`Table::unmodeled`, which no op says)
/// the migration `ops` from `from` to `to` would lose or leave out: the parts of a
/// new table (no `CREATE TABLE` is generated for it), of an added or dropped column
/// (the statement or its downgrade would make a plain column), and every part a table
/// in both schemas gains or loses (no op changes one, so the diff does not see it).
fn unheld_parts(
    from: &Schema,
    to: &Schema,
    hints: &Hints,
    ops: &[Op],
    positions: &wildebeest_sql::SchemaPositions,
) -> Vec<Unheld> {
    let at = |table: &str, part: &str| {
        positions
            .part(table, part)
            .or_else(|| positions.table(table))
    };
    let mut out = Vec::new();
    for (i, op) in ops.iter().enumerate() {
        if let Op::CreateTable(t) = op {
            for part in &t.unmodeled {
                out.push(Unheld {
                    at: at(&t.name, part),
                    table: t.name.clone(),
                    what: format!(
                        " is new and has {}, which the model cannot hold",
                        show_part(part, None)
                    ),
                    op: Some(i),
                });
            }
        }
    }
    for (name, new) in &to.tables {
        let old_name = hints
            .table_renames
            .iter()
            .find(|(_, n)| n == name)
            .map_or(name.as_str(), |(o, _)| o.as_str());
        let Some(old) = from.tables.get(old_name) else {
            continue;
        };
        // The old parts under the new column names.
        let mut was: Vec<String> = old
            .unmodeled
            .iter()
            .map(|part| {
                let renamed = hints.column_renames.iter().find_map(|(t, from, to)| {
                    let prefix = wildebeest_schema::column_part_prefix(from);
                    (t == name)
                        .then(|| part.strip_prefix(&prefix))
                        .flatten()
                        .map(|rest| format!("{}{rest}", wildebeest_schema::column_part_prefix(to)))
                });
                normalize_part(&renamed.unwrap_or_else(|| part.clone()))
            })
            .collect();
        for part in &new.unmodeled {
            let normal = normalize_part(part);
            if let Some(i) = was.iter().position(|w| *w == normal) {
                was.remove(i);
                continue;
            }
            let column = part_column(new, part);
            let added = column.and_then(|c| {
                ops.iter().position(|op| {
                    matches!(op, Op::AddColumn { table, column } if table == name && column.name == c)
                })
            });
            let what = match (column, added) {
                (Some(c), Some(_)) => format!(
                    ", new column `{c}`: the model cannot hold {}, which the generated \
                     `ADD COLUMN` would leave out",
                    show_part(part, column)
                ),
                (Some(c), None) => format!(
                    ", column `{c}`: {} is in schema.sql, not in the migrations",
                    show_part(part, column)
                ),
                (None, _) => format!(
                    ": {} is in schema.sql, not in the migrations",
                    show_part(part, None)
                ),
            };
            out.push(Unheld {
                at: at(name, part),
                table: name.clone(),
                what,
                op: added,
            });
        }
        for part in was {
            let column = part_column(old, &part).or_else(|| {
                hints
                    .column_renames
                    .iter()
                    .filter(|(t, _, _)| t == name)
                    .map(|(_, _, to)| to.as_str())
                    .find(|c| part.starts_with(&wildebeest_schema::column_part_prefix(c)))
            });
            let dropped = column.and_then(|c| {
                ops.iter().position(|op| {
                    matches!(op, Op::DropColumn { table, column } if table == name && column.name == c)
                })
            });
            let what = match (column, dropped) {
                (Some(c), Some(_)) => format!(
                    ", dropped column `{c}`: the model cannot hold its {}, so the generated \
                     downgrade could not add the column back as it was",
                    show_part(&part, column)
                ),
                (Some(c), None) => format!(
                    ", column `{c}`: {} is in the migrations, no longer in schema.sql",
                    show_part(&part, column)
                ),
                (None, _) => format!(
                    ": {} is in the migrations, no longer in schema.sql",
                    show_part(&part, None)
                ),
            };
            out.push(Unheld {
                at: positions.table(name),
                table: name.clone(),
                what,
                op: dropped,
            });
        }
    }
    out
}

/// Stops `migrate` when the migration would lose or leave out a part of the schema
/// files the model cannot hold (see [`unheld_parts`]), naming each with its line.
fn refuse_unheld(unheld: &[Unheld]) -> Result<()> {
    if unheld.is_empty() {
        return Ok(());
    }
    let lines: Vec<String> = unheld.iter().map(|u| format!("  {u}")).collect();
    bail!(
        "cannot generate the migration; nothing was written:
{}
wildebeest writes no SQL for what its model cannot hold, and a generated migration would lose or ignore these parts: write the change by hand in a revision (`wildebeest revision -m MSG`; for a new table, its whole CREATE TABLE), keeping schema.sql as it is. `migrate` then compares these parts as text with what the migrations make.",
        lines.join("\n")
    )
}

/// Stops `migrate` when a table in both schemas gains or loses `STRICT` or `WITHOUT
/// ROWID`: no op says that (SQLite changes it only by a rebuild written by hand), and
/// a migration without it would leave the database unlike schema.sql silently.
fn refuse_option_changes(
    project: &Project,
    from: &Schema,
    to: &Schema,
    hints: &wildebeest_schema::Hints,
) -> Result<()> {
    let mut lines = Vec::new();
    for (name, new) in &to.tables {
        let old_name = hints
            .table_renames
            .iter()
            .find(|(_, n)| n == name)
            .map_or(name, |(o, _)| o);
        let Some(old) = from.tables.get(old_name) else {
            continue;
        };
        let mut changes = Vec::new();
        for (what, was, is) in [
            ("STRICT", old.options.strict, new.options.strict),
            (
                "WITHOUT ROWID",
                old.options.without_rowid,
                new.options.without_rowid,
            ),
        ] {
            if was != is {
                changes.push(format!("{what} {}", if is { "added" } else { "removed" }));
            }
        }
        if !changes.is_empty() {
            lines.push(format!(
                "  {}table `{name}`: {}",
                table_location(project, name)
                    .map(|at| format!("{at}: "))
                    .unwrap_or_default(),
                changes.join(", ")
            ));
        }
    }
    if lines.is_empty() {
        return Ok(());
    }
    bail!(
        "cannot generate the migration; nothing was written:
{}
wildebeest cannot change a table's STRICT or WITHOUT ROWID: write a revision by hand (`wildebeest revision`) that creates the table anew and copies its rows, or put the option back in the schema.",
        lines.join("\n")
    )
}

/// `schema.sql:LINE` of the `CREATE TABLE` of `table` in the schema files, found by
/// its text (the model keeps no positions).
fn table_location(project: &Project, table: &str) -> Option<String> {
    for path in &project.config.schema_files {
        let text = wildebeest_revision::read_regular_to_string(path).ok()?;
        for (i, line) in text.lines().enumerate() {
            let upper = line.to_ascii_uppercase();
            let Some(at) = upper.find("CREATE TABLE") else {
                continue;
            };
            let rest = line[at + "CREATE TABLE".len()..].trim_start();
            let rest = rest
                .strip_prefix("IF NOT EXISTS")
                .or_else(|| rest.strip_prefix("if not exists"))
                .unwrap_or(rest)
                .trim_start();
            let word: String = rest
                .trim_start_matches(['"', '`', '['])
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == '$')
                .collect();
            if word.eq_ignore_ascii_case(table) {
                return Some(format!("{}:{}", project.config.show(path), i + 1));
            }
        }
    }
    None
}

/// Renders `ops` (taking `from` onward) and their inverse; the upgrade ops whose
/// indexes are in `consented` also carry the consent marker.
pub fn render_migration(
    dialect: Dialect,
    from: &Schema,
    ops: Vec<Op>,
    consented: &BTreeSet<usize>,
) -> Result<Generated> {
    let (upgrade, after) = render_ops(dialect, from, &ops, consented)?;
    let inverse = Op::invert_all(&ops);
    let (downgrade, _) = render_ops_noted(dialect, &after, &inverse, &BTreeSet::new(), true)?;
    Ok(Generated {
        ops,
        upgrade,
        downgrade,
    })
}

/// Renders ops in `dialect`, each against the schema it applies to; returns the SQL
/// and the schema after the last op.
pub fn render_ops(
    dialect: Dialect,
    start: &Schema,
    ops: &[Op],
    consented: &BTreeSet<usize>,
) -> Result<(Vec<String>, Schema)> {
    render_ops_noted(dialect, start, ops, consented, false)
}

/// A `NOT NULL` column without a default that `op` adds back (the downgrade of a
/// dropped column), as `table.column`: its `ADD COLUMN` fails on a table with rows.
fn not_null_without_default(op: &Op) -> Option<String> {
    match op {
        Op::AddColumn { table, column }
            if !column.nullable && column.default.is_none() && !column.auto_increment =>
        {
            Some(format!("{table}.{}", column.name))
        }
        _ => None,
    }
}

/// Which of the `statements` rendered for one destructive op the runner guards (the
/// first whose resolved ops lose data), so that its `-- DATA LOSS:` comment and
/// consent marker sit on it: a type change to an enum type on PostgreSQL comes after
/// the checks and indexes it drops first. The first statement when none reads so.
fn losing_statement(dialect: Dialect, start: &Schema, statements: &[String]) -> usize {
    if statements.len() < 2 {
        return 0;
    }
    let mut schema = start.clone();
    for (i, sql) in statements.iter().enumerate() {
        let Ok((parsed, _)) = wildebeest_sql::parse_statements(sql, "", dialect) else {
            return 0;
        };
        for change in parsed.iter().filter_map(|st| st.change.as_ref()) {
            let Ok(ops) = change.resolve_mut(&mut schema) else {
                return 0;
            };
            if ops.iter().any(|o| data_loss(dialect, o, &schema).is_some()) {
                return i;
            }
            for o in &ops {
                if o.apply(&mut schema).is_err() {
                    return 0;
                }
            }
        }
    }
    0
}

/// [`render_ops`]; with `note_not_null`, a column added `NOT NULL` without a default
/// carries a comment saying what it needs on a table with rows (wildebeest invents
/// no default value).
fn render_ops_noted(
    dialect: Dialect,
    start: &Schema,
    ops: &[Op],
    consented: &BTreeSet<usize>,
    note_not_null: bool,
) -> Result<(Vec<String>, Schema)> {
    let mut schema = start.clone();
    let mut out = Vec::new();
    for (i, op) in ops.iter().enumerate() {
        let mut statements =
            wildebeest::backends::render(dialect, op, &schema)?.map_err(|e| anyhow::anyhow!(e))?;
        if let Some(loss) = data_loss(dialect, op, &schema) {
            let consent = if consented.contains(&i) {
                format!("-- {CONSENT_MARKER}\n")
            } else {
                String::new()
            };
            let at = losing_statement(dialect, &schema, &statements);
            if let Some(stmt) = statements.get_mut(at) {
                *stmt = format!(
                    "-- DATA LOSS: {}\n{consent}{stmt}",
                    wildebeest_sql::comment_text(&loss)
                );
            }
        }
        if let (true, Some(column), Some(first)) = (
            note_not_null,
            not_null_without_default(op),
            statements.first_mut(),
        ) {
            let column = wildebeest_sql::comment_text(&column);
            *first = format!(
                "-- NOTE: `{column}` comes back NOT NULL without a default: on a table with \
                 rows this needs a default or a backfill first\n{first}"
            );
        }
        out.extend(statements);
        op.apply(&mut schema).with_context(|| {
            format!("internal error: the diff produced an op that does not apply: {op:?}")
        })?;
    }
    Ok((out, schema))
}

/// The line of the first byte that is not UTF-8.
pub(crate) fn utf8_error_line(e: &std::string::FromUtf8Error) -> usize {
    let valid = &e.as_bytes()[..e.utf8_error().valid_up_to()];
    valid.iter().filter(|b| **b == b'\n').count() + 1
}

fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file".into(),
        _ => e.to_string(),
    }
}

pub(crate) fn print_warnings(warnings: &[String]) {
    let style = Style::stderr();
    for w in warnings {
        eprintln!("{} {}", style.yellow("warning:"), crate::redact::redact(w));
    }
}

/// The clock and the dice, passed in so tests and callers can fix them.
pub struct Fresh {
    /// RFC 3339 UTC, e.g. `2026-11-22T02:20:44Z`.
    pub now: String,
    pub random: [u8; 6],
}

impl Fresh {
    /// The real time and random bytes from the operating system.
    pub fn system() -> Result<Fresh> {
        let mut random = [0u8; 6];
        getrandom::fill(&mut random)
            .map_err(|e| anyhow::anyhow!("cannot get random bytes: {e}"))?;
        Ok(Fresh {
            now: wildebeest_runner::now(),
            random,
        })
    }
}

/// `migrate -m MSG` / `revision --autogenerate -m MSG`.
pub fn migrate(
    project: &Project,
    message: &str,
    flags: &RenameFlags,
    ask: Option<&mut dyn Ask>,
    fresh: &Fresh,
    out: &mut dyn Write,
) -> Result<Outcome> {
    migrate_with(project, message, flags, ask, &Links::default(), fresh, out)
}

/// Where a new revision goes in the graph (`--head`, `--splice`) and what it
/// declares about it (`--branch-label`, `--depends-on`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Links {
    /// The revision it revises instead of the single head (`base` for a new root).
    pub head: Option<String>,
    /// Whether `head` may be a revision with children (starting a branch).
    pub splice: bool,
    /// Labels the new revision gives its branch.
    pub branch_labels: Vec<String>,
    /// Revisions (ids, prefixes or labels) it depends on.
    pub depends_on: Vec<String>,
}

impl Links {
    /// The header lines for the new revision, after checking each label is free and
    /// resolving each dependency to a full id.
    pub fn headers(&self, project: &Project) -> Result<Vec<(String, String)>> {
        let graph = project.graph();
        let mut labels: Vec<&str> = Vec::new();
        for label in &self.branch_labels {
            let label = label.trim();
            if !wildebeest_revision::is_valid_id(label) {
                bail!(
                    "--branch-label \"{label}\": a label is 1 to 64 ASCII letters, digits or underscores, and not head, heads, base or current"
                );
            }
            if let Some(rev) = graph.label_revision(label) {
                bail!(
                    "--branch-label {label}: revision {rev} ({}) already declares it; a label names one branch",
                    project.config.show(&project.node(rev).path)
                );
            }
            if let Some(node) = graph.get(label) {
                bail!(
                    "--branch-label {label}: that is the id of revision {label} ({}); a label must not look like a revision",
                    project.config.show(&node.path)
                );
            }
            // `show LABEL` or `upgrade LABEL` would mean either revision.
            if let Some(node) = graph.nodes().iter().find(|n| n.id.starts_with(label)) {
                bail!(
                    "--branch-label {label}: revision {} ({}) starts with it, so the label would name either revision; choose one that is not the start of a revision id",
                    node.id,
                    project.config.show(&node.path)
                );
            }
            if !labels.contains(&label) {
                labels.push(label);
            }
        }
        let mut depends: Vec<String> = Vec::new();
        for rev in self.depends_on.iter().flat_map(|r| r.split(',')) {
            let rev = rev.trim();
            if rev.is_empty() {
                continue;
            }
            let id = graph
                .resolve_prefix(rev)
                .with_context(|| format!("--depends-on {rev}"))?;
            if !depends.iter().any(|d| d == id) {
                depends.push(id.to_string());
            }
        }
        let mut headers = Vec::new();
        if !labels.is_empty() {
            headers.push(("Branch-Labels".to_string(), labels.join(", ")));
        }
        if !depends.is_empty() {
            headers.push(("Depends-On".to_string(), depends.join(", ")));
        }
        Ok(headers)
    }
}

/// [`migrate`] with `--branch-label` and `--depends-on`.
pub fn migrate_with(
    project: &Project,
    message: &str,
    flags: &RenameFlags,
    mut ask: Option<&mut dyn Ask>,
    links: &Links,
    fresh: &Fresh,
    out: &mut dyn Write,
) -> Result<Outcome> {
    // On the single head, or on --head REV: then the migrations compared with
    // schema.sql are all of them (the database `upgrade heads` builds), and the
    // revision goes on REV's branch.
    let (parent, state) = match &links.head {
        None => (project.single_head()?, project.all_to_head()?),
        Some(rev) => (
            crate::teams::parent_for(project, rev, links.splice)?,
            project
                .graph()
                .topo_order()
                .into_iter()
                .map(String::from)
                .collect(),
        ),
    };
    let extra = links.headers(project)?;
    let mut warnings = Vec::new();
    let from = project.schema_canonical(project.replay(&state, &mut warnings)?)?;
    let (to, positions) = project.desired_located(&mut warnings)?;
    let written = project.schema_canonical(to)?;
    let to = as_built(project, &from, written.clone())?;
    print_warnings(&warnings);
    // `--rename` for a drop-and-create the previous `migrate` just wrote: that file
    // is replaced (see `replaceable_head`), and the new one revises its parents.
    let mut replacing = None;
    let (parent, from, to) = match replaceable_head(project, links, flags, &state, &from, &to)? {
        Some((head, parent_schema)) => {
            let parents = project.node(&head).parents.clone();
            replacing = Some(head);
            let to = as_built(project, &parent_schema, written)?;
            (parents.first().cloned(), parent_schema, to)
        }
        None => (parent, from, to),
    };
    let mut warnings = Vec::new();
    let directives = project.rename_directives()?;
    let hints = renames::decide(
        &from,
        &to,
        flags,
        &directives,
        project.schema_dialect()?.folds_case(),
        reborrow(&mut ask),
        &mut warnings,
    )?;
    refuse_enum_conflicts(&from, &to)?;
    refuse_option_changes(project, &from, &to, &hints)?;
    let ops = diff(&from, &to, &hints);
    let unheld = unheld_parts(&from, &to, &hints, &ops, &positions);
    refuse_unheld(&unheld)?;
    // Parts the migration keeps (the migrations made them, as schema.sql has them).
    warnings.splice(0..0, positions.unmodeled.iter().map(kept_warning));
    if ops.is_empty() {
        print_warnings(&warnings);
        writeln!(
            out,
            "No changes: the migrations already produce the schema in {}; nothing written.",
            schema_names(project)
        )?;
        return Ok(Outcome::Ok);
    }
    // Data loss: asked about on a terminal (yes writes the consent marker), else warned.
    let mut consented = BTreeSet::new();
    let mut before = from.clone();
    for (i, op) in ops.iter().enumerate() {
        let loss = data_loss(project.schema_dialect()?, op, &before);
        // Each op judged against the schema it applies to; one that does not apply
        // fails when the migration is rendered, which names it.
        let _ = op.apply(&mut before);
        let Some(loss) = loss else {
            continue;
        };
        match reborrow(&mut ask) {
            Some(a) => {
                let q = format!("The migration {loss}. Is that intended?");
                if a.ask(&q)? {
                    consented.insert(i);
                } else {
                    warnings.push(format!(
                        "the migration {loss}; `upgrade` stops if there is data to lose, unless the statement is marked `-- {CONSENT_MARKER}`"
                    ));
                }
            }
            None => warnings.push(format!(
                "the migration {loss}; `upgrade` stops if there is data to lose, unless the statement is marked `-- {CONSENT_MARKER}`"
            )),
        }
    }
    warnings.extend(new_labels_used(&ops));
    for column in ops.iter().filter_map(not_null_without_default) {
        warnings.push(format!(
            "the migration adds column `{column}` NOT NULL without a default: on a table with \
             rows PostgreSQL and SQLite refuse it and MySQL fills in the type's zero value; \
             give it a default, or add it nullable, fill it, then make it NOT NULL"
        ));
    }
    for column in Op::invert_all(&ops)
        .iter()
        .filter_map(not_null_without_default)
    {
        warnings.push(format!(
            "the downgrade adds column `{column}` back NOT NULL without a default, which fails \
             on a table with rows: give it a default or a backfill in the downgrade"
        ));
    }
    if links.head.is_some() {
        warnings.extend(off_branch_tables(project, parent.as_deref(), links, &ops)?);
    }
    print_warnings(&warnings);
    let generated = render_migration(project.schema_dialect()?, &from, ops, &consented)?;
    let style = Style::stdout();
    for op in &generated.ops {
        let sign = Sign::of(op);
        writeln!(out, "{} {}", sign.paint(&style, sign.mark()), op.describe())?;
    }
    let path = write_migration(
        project,
        message,
        parent.into_iter().collect(),
        generated.upgrade,
        generated.downgrade,
        extra,
        fresh,
    )?;
    if let Some(head) = &replacing {
        let old = &project.node(head).path;
        std::fs::remove_file(old).with_context(|| format!("cannot remove {}", old.display()))?;
        crate::teams::write_sum(&project.config.migrations_dir)?;
        writeln!(
            out,
            "Replaced {} (revision {head}, as `migrate` wrote it and not applied to the database)",
            project.config.show(old)
        )?;
    }
    writeln!(out, "Generated {}", project.config.show(&path))?;
    writeln!(out, "Review it, then run `wildebeest upgrade`.")?;
    Ok(Outcome::Ok)
}

/// The head `migrate --rename` replaces, with the schema the revisions below it
/// make: `migrate` without a terminal writes a drop-and-create and advises
/// running again with `--rename`; run again, the flag names a table or column the
/// head's migration already dropped. The head is replaced only when all of these
/// hold, so that nothing but a file `migrate` could write again is lost:
/// - the flags fail against the migrations and pass against those below the head;
/// - the head is the single head, revises one revision (or none), declares no branch
///   label or dependency, and no revision depends on it;
/// - its file is byte for byte what `migrate` writes for its changes (no hand edit,
///   no consent marker);
/// - the configured database can be read and does not have it applied.
///
/// Where the flags would fail anyway, or the head fails a condition, `None`, and the
/// flags' own error follows, except that flags failing before the head too, one of
/// whose bare names the head dropped, fail with the error they give before it; a database that has the head applied or cannot be
/// read is an error naming the file.
fn replaceable_head(
    project: &Project,
    links: &Links,
    flags: &RenameFlags,
    state: &BTreeSet<String>,
    from: &Schema,
    to: &Schema,
) -> Result<Option<(String, Schema)>> {
    if links.head.is_some() || (flags.tables.is_empty() && flags.columns.is_empty()) {
        return Ok(None);
    }
    let Some(head) = project.single_head()? else {
        return Ok(None);
    };
    let fold = project.schema_dialect()?.folds_case();
    let directives = project.rename_directives()?;
    let quiet =
        |from: &Schema| renames::decide(from, to, flags, &directives, fold, None, &mut Vec::new());
    if quiet(from).is_ok() {
        return Ok(None);
    }
    let node = project.node(&head);
    if node.parents.len() > 1
        || !node.branch_labels.is_empty()
        || !node.depends_on.is_empty()
        || project
            .graph()
            .nodes()
            .iter()
            .any(|n| n.depends_on.contains(&head))
    {
        return Ok(None);
    }
    let mut below = state.clone();
    below.remove(&head);
    let below_schema = project.schema_canonical(project.replay(&below, &mut Vec::new())?)?;
    let below_flags = quiet(&below_schema);
    // What `migrate` wrote for the head, without renames, compared with the file.
    let m = project.migration(&head)?;
    let dialect = project.schema_dialect()?;
    let ops = diff(&below_schema, from, &Hints::default());
    let Ok(generated) = render_migration(dialect, &below_schema, ops, &BTreeSet::new()) else {
        return Ok(None);
    };
    let written = wildebeest_revision::render(&NewMigration {
        id: m.id.clone(),
        parents: m.parents.clone(),
        message: m.message.clone(),
        created: m.created.clone().unwrap_or_default(),
        upgrade: generated.upgrade,
        downgrade: generated.downgrade,
        extra_headers: vec![("Dialect".to_string(), dialect.name().to_string())],
    });
    if std::fs::read_to_string(&m.path).ok().as_deref() != Some(written.as_str()) {
        return Ok(None);
    }
    // The flags fail also before the head. Where a bare name of theirs is one the
    // head dropped (`--rename location=site`, the column `migrate` just wrote a drop
    // of), their error is the one the migrations before the head give, which names
    // what to type instead (`departments.location=site`); against the head it could
    // only say there is nothing to rename.
    if let Err(e) = below_flags {
        let named = |schema: &Schema, name: &str| {
            schema.tables.contains_key(name)
                || schema.tables.values().any(|t| t.column(name).is_some())
        };
        let dropped = flags
            .tables
            .iter()
            .any(|(old, _)| named(&below_schema, old) && !named(from, old));
        return if dropped { Err(e) } else { Ok(None) };
    }
    let shown = project.config.show(&m.path);
    let applied = match project.open(false) {
        Ok(None) => Vec::new(),
        Ok(Some(mut b)) => b.applied_ids().map_err(|e| {
            anyhow::anyhow!(
                "cannot tell whether {shown} (revision {head}) is applied, so it is not replaced: {e}; if no database has it, delete it and run this command again"
            )
        })?,
        Err(e) => bail!(
            "cannot tell whether {shown} (revision {head}) is applied, so it is not replaced: {e:#}; if no database has it, delete it and run this command again"
        ),
    };
    if applied.contains(&head) {
        bail!(
            "{shown} (revision {head}) drops what --rename names, and the database has it applied: run `wildebeest downgrade -1` first, then this command again"
        );
    }
    Ok(Some((head, below_schema)))
}

fn schema_names(project: &Project) -> String {
    if let Some(command) = &project.config.schema_command {
        return format!("the output of `{command}`");
    }
    project
        .config
        .schema_files
        .iter()
        .map(|p| project.config.show(p))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Warnings for a revision autogenerated onto `parent`'s branch (`migrate --head`)
/// that changes tables only other branches make: `upgrade` of that branch alone
/// (`LABEL@head`, or a database without the other branch) would fail, unless the
/// revision depends on the one that makes the table.
fn off_branch_tables(
    project: &Project,
    parent: Option<&str>,
    links: &Links,
    ops: &[Op],
) -> Result<Vec<String>> {
    let mut below: BTreeSet<String> = parent
        .map(|p| project.graph().ancestors(p))
        .unwrap_or_default();
    for rev in links.depends_on.iter().flat_map(|r| r.split(',')) {
        let rev = rev.trim();
        if let Ok(id) = project.graph().resolve_prefix(rev) {
            below.extend(project.graph().ancestors(id));
        }
    }
    let branch = project.schema_canonical(project.replay(&below, &mut Vec::new())?)?;
    let mut tables: Vec<&str> = ops
        .iter()
        .filter(|op| !matches!(op, Op::CreateTable(_)))
        .map(Op::table)
        .filter(|t| !t.is_empty() && branch.table(t).is_none())
        .collect();
    tables.dedup();
    let below_name = parent.unwrap_or("base");
    let mut warnings: Vec<String> = tables
        .iter()
        .map(|t| {
            format!(
                "the migration changes table `{t}`, which the revisions below {below_name} do \
                 not make: upgrading that branch alone would fail; add --depends-on with the \
                 revision that creates `{t}`"
            )
        })
        .collect();
    // The ops were found against every branch: on this one alone an index, column or
    // constraint they make may already be there, or one they drop missing.
    let mut schema = branch;
    for op in ops {
        if tables.contains(&op.table()) {
            continue;
        }
        if let Err(e) = op.apply(&mut schema) {
            warnings.push(format!(
                "the migration's step \"{}\" does not apply to the schema below \
                 {below_name} ({e}): it was compared with every branch, and upgrading \
                 that branch alone would fail; edit the file, or merge the branches first",
                op.describe()
            ));
        }
    }
    Ok(warnings)
}

/// A new revision id from `random` that is no existing id and does not start with an
/// existing branch label (label `a` would otherwise name the labelled revision or the
/// new one); when it does, the next candidate is derived from it, deterministically.
fn unclaimed_id(graph: &RevisionGraph, random: [u8; 6]) -> Result<String> {
    let labels: Vec<&str> = graph
        .nodes()
        .iter()
        .flat_map(|n| n.branch_labels.iter().map(String::as_str))
        .collect();
    let mut bytes = random;
    for _ in 0..1000 {
        let id = wildebeest_revision::new_revision_id(bytes);
        if !graph.contains(&id) && !labels.iter().any(|l| id.starts_with(l)) {
            return Ok(id);
        }
        let mut wide = [0u8; 8];
        wide[..6].copy_from_slice(&bytes);
        let next = u64::from_le_bytes(wide)
            .wrapping_mul(0x9E37_79B9_7F4A_7C15)
            .wrapping_add(1)
            .to_le_bytes();
        bytes.copy_from_slice(&next[2..]);
    }
    bail!(
        "every new revision id tried starts with a branch label ({}): rename the shortest labels",
        labels.join(", ")
    )
}

/// Writes a new migration revising `parents`, then rewrites `wildebeest.sum`.
pub(crate) fn write_migration(
    project: &Project,
    message: &str,
    parents: Vec<String>,
    upgrade: Vec<String>,
    downgrade: Vec<String>,
    extra_headers: Vec<(String, String)>,
    fresh: &Fresh,
) -> Result<PathBuf> {
    if message.trim().is_empty() {
        bail!("the message (-m) is empty: say what the migration does");
    }
    // Every file must parse whole before one is added: `wildebeest.sum` is written from
    // the whole files, and a broken section found only then would leave the new file
    // behind with a stale sum.
    project.migrations()?;
    let id = unclaimed_id(project.graph(), fresh.random)?;
    let created = created_after_newest(project, &fresh.now);
    let new = NewMigration {
        id: id.clone(),
        parents,
        message: message.trim().to_string(),
        created: created.clone(),
        upgrade,
        downgrade,
        extra_headers: extra_headers
            .into_iter()
            .chain([(
                "Dialect".to_string(),
                project.schema_dialect()?.name().to_string(),
            )])
            .collect(),
    };
    let text = wildebeest_revision::render(&new);
    let name = wildebeest_revision::file_name(&created, &id, message);
    let dir = &project.config.migrations_dir;
    let path = dir.join(name);
    crate::teams::sum_writable(dir)?;
    // create_new: never overwrite a file, even one with the same name.
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)
        .with_context(|| format!("cannot create {}", path.display()))?;
    file.write_all(text.as_bytes())
        .with_context(|| format!("cannot write {}", path.display()))?;
    crate::teams::write_sum(dir)?;
    Ok(path)
}

/// The creation time for a new migration: `now`, or one second past the newest
/// existing file's timestamp when that is not earlier (two migrations made within
/// one second, or a clock behind a colleague's), so `ls` always lists the new file
/// last.
fn created_after_newest(project: &Project, now: &str) -> String {
    let stamp = |name: &str| -> Option<String> {
        let b = name.as_bytes();
        let ok = b.len() >= 15
            && b[8] == b'_'
            && b[..15]
                .iter()
                .enumerate()
                .all(|(i, c)| i == 8 || c.is_ascii_digit());
        ok.then(|| {
            format!(
                "{}-{}-{}T{}:{}:{}Z",
                &name[0..4],
                &name[4..6],
                &name[6..8],
                &name[9..11],
                &name[11..13],
                &name[13..15]
            )
        })
    };
    let newest = project
        .graph()
        .nodes()
        .iter()
        .filter_map(|m| m.path.file_name().and_then(|n| stamp(&n.to_string_lossy())))
        .max();
    let (Some(newest), Ok(now_t)) = (newest, humantime::parse_rfc3339(now)) else {
        return now.to_string();
    };
    match humantime::parse_rfc3339(&newest) {
        Ok(newest_t) if newest_t >= now_t => {
            humantime::format_rfc3339_seconds(newest_t + std::time::Duration::from_secs(1))
                .to_string()
        }
        _ => now.to_string(),
    }
}

/// `revision -m MSG [--branch-label NAME] [--depends-on REV]`: an empty migration on
/// top of the head.
pub fn revision(
    project: &Project,
    message: &str,
    links: &Links,
    fresh: &Fresh,
    out: &mut dyn Write,
) -> Result<Outcome> {
    let head = project.single_head()?;
    let extra = links.headers(project)?;
    let path = write_migration(
        project,
        message,
        head.into_iter().collect(),
        Vec::new(),
        Vec::new(),
        extra,
        fresh,
    )?;
    writeln!(out, "Generated {}", project.config.show(&path))?;
    writeln!(
        out,
        "Write its upgrade and downgrade SQL, then run `wildebeest upgrade` (it records the \
         edited file in wildebeest.sum)."
    )?;
    Ok(Outcome::Ok)
}

/// `upgrade`, `downgrade`, `stamp`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    Upgrade,
    Downgrade,
    Stamp,
}

/// Lends the asker out for one call, keeping it for the next.
fn reborrow<'s>(ask: &'s mut Option<&mut dyn Ask>) -> Option<&'s mut dyn Ask> {
    ask.as_mut().map(|a| &mut **a as &mut dyn Ask)
}

/// How `upgrade`, `downgrade` and `stamp` run.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RunOptions {
    /// `--format`: lines or JSON events (`upgrade` and `downgrade` only).
    pub format: Format,
    /// Print the SQL instead of running it.
    pub sql: bool,
    /// Consent to every destructive statement.
    pub allow_data_loss: bool,
    /// `--resume-after N` / `--resume-at N`: the user's word on the statement a killed
    /// run left in doubt.
    pub resume: Option<Resume>,
}

/// The user's word from `--resume-after N` (statement N ran) or `--resume-at N` (it
/// did not); clap lets only one of them through.
pub fn resume(after: Option<usize>, at: Option<usize>) -> Option<Resume> {
    match (after, at) {
        (Some(statement), _) => Some(Resume {
            statement,
            ran: true,
        }),
        (None, Some(statement)) => Some(Resume {
            statement,
            ran: false,
        }),
        (None, None) => None,
    }
}

/// Runs migrations (or prints them with `--sql`) through the library.
pub fn run(
    project: &Project,
    direction: Direction,
    target: &str,
    options: RunOptions,
    out: &mut dyn Write,
) -> Result<Outcome> {
    let sql = options.sql;
    let parsed = Target::parse(target)?;
    // A prefix names one revision: say which, before anything runs.
    if let Target::Revision(prefix) | Target::RevisionRelative(prefix, _) = &parsed
        && let Ok(id) = project.graph().resolve_prefix(prefix)
        && id != prefix
        && id.starts_with(prefix.as_str())
    {
        let line = format!(
            "{}{prefix} is revision {id} ({})",
            if sql { "-- " } else { "" },
            project.node(id).message
        );
        // In JSON, stdout is the events' alone.
        match options.format {
            Format::Text => writeln!(out, "{line}")?,
            Format::Json => eprintln!("{line}"),
        }
    }
    let mut library = wildebeest::Options::new().allow_data_loss(options.allow_data_loss);
    if let Some(resume) = options.resume {
        library = library.resume(match resume.ran {
            true => wildebeest::Resume::After(resume.statement),
            false => wildebeest::Resume::At(resume.statement),
        });
    }
    let migrator = project.migrator().with(library);
    let url = project.config.database()?;
    let way = match direction {
        Direction::Upgrade => wildebeest::Direction::Upgrade,
        Direction::Downgrade => wildebeest::Direction::Downgrade,
        Direction::Stamp => wildebeest::Direction::Stamp,
    };
    let shown_way = match direction {
        Direction::Upgrade => Some(Way::Upgrade),
        Direction::Downgrade => Some(Way::Downgrade),
        Direction::Stamp => None,
    };
    let done = match shown_way {
        _ if sql => {
            // A script is printed only once it is whole: a run that fails half-way
            // leaves no partial script for someone to execute.
            let script = migrator.script(url, way, target)?;
            out.write_all(Style::stdout().sql(&script.sql).as_bytes())?;
            print_warnings(&script.warnings);
            script.revisions
        }
        // A stamp runs nothing: the lines below say what it recorded.
        None => migrator.run(url, way, target, &mut |_| {})?.revisions,
        Some(shown_way) => {
            // Each line as it happens: a long run shows where it is.
            let mut shown = RunOutput::new(options.format, shown_way, &mut *out);
            let report = migrator.run(url, way, target, &mut |event| match event {
                wildebeest::Progress::Starting {
                    revision,
                    message,
                    index,
                    total,
                    activity,
                    ..
                } => shown.event(RunEvent::Started {
                    revision,
                    message,
                    index,
                    total,
                    activity,
                }),
                wildebeest::Progress::Done(run) => shown.event(RunEvent::Finished {
                    revision: &run.revision,
                    message: &run.message,
                    duration_ms: run.duration.as_millis() as u64,
                }),
                wildebeest::Progress::Resuming {
                    revision, after, ..
                } => shown.event(RunEvent::Resuming { revision, after }),
                wildebeest::Progress::Warning(text) => shown.event(RunEvent::Warning(text)),
                _ => {}
            });
            let report = report.map_err(|e| adoption_hint(project, direction, sql, e.into()))?;
            shown.done(&parsed.to_string())?;
            if direction == Direction::Upgrade {
                print_warnings(&edited_after_apply(project)?);
            }
            report.revisions
        }
    };
    if done.is_empty() {
        let prefix = if sql { "-- " } else { "" };
        let at = describe_target(&parsed);
        let line = format!("{prefix}Nothing to do: the database is already at {at}.");
        match options.format {
            Format::Text => writeln!(out, "{line}")?,
            // The `done` event says it on stdout.
            Format::Json => eprintln!("{line}"),
        }
        if !sql && direction == Direction::Upgrade && matches!(parsed, Target::Head | Target::Heads)
        {
            print_warnings(&unmigrated_schema(project));
        }
    } else if !sql && direction == Direction::Stamp {
        for r in &done {
            writeln!(out, "Stamped {}", r.revision)?;
        }
    } else if !sql && direction == Direction::Upgrade {
        let ids: Vec<String> = done.iter().map(|r| r.revision.clone()).collect();
        for file in crate::teams::record_applied(project, &ids)? {
            let line = format!(
                "{}: recorded {file} as applied, edited since it was written; commit both",
                project.config.show(
                    &project
                        .config
                        .migrations_dir
                        .join(wildebeest_revision::SUM_FILE)
                )
            );
            // In JSON, stdout is the events' alone.
            match options.format {
                Format::Text => writeln!(out, "{line}")?,
                Format::Json => eprintln!("{line}"),
            }
        }
    }
    Ok(Outcome::Ok)
}

/// The warning for `upgrade` with nothing to do while `schema.sql` differs from what
/// the migrations make: an edit waiting for `migrate`. Compared in the model only
/// (no database), and only on this path; a schema that is missing or does not parse
/// says nothing here (`migrate` and `check` report it).
fn unmigrated_schema(project: &Project) -> Vec<String> {
    let changes = (|| -> Result<usize> {
        let mut quiet = Vec::new();
        let from =
            project.schema_canonical(project.replay(&project.all_to_head()?, &mut quiet)?)?;
        let to = as_built(
            project,
            &from,
            project.schema_canonical(project.desired(&mut quiet)?)?,
        )?;
        Ok(diff(&from, &to, &Hints::default()).len())
    })();
    match changes {
        Ok(n) if n > 0 => vec![format!(
            "{} has {n} {} no migration makes: run `wildebeest migrate -m MSG` to write one",
            schema_names(project),
            if n == 1 { "change" } else { "changes" }
        )],
        _ => Vec::new(),
    }
}

/// Warnings for applied migration files whose text changed since this database ran
/// them: `upgrade` runs each file once, so the edit never reaches this database
/// (`check` fails on it too). Said at every `upgrade` so that it is not missed.
fn edited_after_apply(project: &Project) -> Result<Vec<String>> {
    let mut warnings = Vec::new();
    let Some(mut backend) = project.open(false)? else {
        return Ok(warnings);
    };
    for a in backend.applied()? {
        if !project.graph().contains(&a.revision) {
            continue;
        }
        let m = project.migration(&a.revision)?;
        if m.checksum != a.checksum {
            warnings.push(format!(
                "{} (revision {}) changed after this database applied it, and upgrade never \
                 runs it again: restore the file as it was applied (`git checkout` it), \
                 and make the change in a new migration (`wildebeest migrate -m MSG` or \
                 `wildebeest revision -m MSG`)",
                project.show(m),
                a.revision
            ));
        }
    }
    Ok(warnings)
}

/// An upgrade of a database with no revision applied that fails on an object that
/// already exists: the database was made some other way (adopting an existing
/// database), and the way on is to record where it stands, not to create it again.
fn adoption_hint(
    project: &Project,
    direction: Direction,
    sql: bool,
    e: anyhow::Error,
) -> anyhow::Error {
    let text = format!("{e:#}");
    let exists = text.contains("already exists") || text.contains("Duplicate key name");
    if direction != Direction::Upgrade || sql || !exists {
        return e;
    }
    if !matches!(applied_ids(project), Ok(ids) if ids.is_empty()) {
        return e;
    }
    anyhow::anyhow!(
        "{text}\nThe database already has what the migration creates, and no revision \
         recorded: if it was made without wildebeest, mark the revision it matches as \
         applied with `wildebeest stamp REV` (`wildebeest init --from-database` writes \
         schema.sql from a database), then run `wildebeest upgrade`."
    )
}

fn describe_target(target: &Target) -> String {
    match target {
        Target::Head => "head".into(),
        Target::Heads => "every head".into(),
        Target::Base => "base".into(),
        Target::Revision(r) => r.clone(),
        Target::Relative(n) => format!("{n:+}"),
        Target::RevisionRelative(r, n) => format!("{r}{n:+}"),
        other => other.to_string(),
    }
}

/// The applied revisions' ids (nothing is created when the database or its version
/// table does not exist).
pub(crate) fn applied_ids(project: &Project) -> Result<Vec<String>> {
    match project.open(false)? {
        Some(mut b) => Ok(b.applied_ids()?),
        None => Ok(Vec::new()),
    }
}

/// What commands say of an applied revision the migrations folder has no file for.
pub(crate) fn unknown_applied(project: &Project, id: &str) -> String {
    format!(
        "the database has revision {id} applied, which is not in {}/",
        project.config.show(&project.config.migrations_dir)
    )
}

/// `current`.
pub fn current(project: &Project, verbose: bool, out: &mut dyn Write) -> Result<Outcome> {
    Ok(current_read(project, verbose, Format::Text, out)?.0)
}

/// What JSON says of one revision (`heads`, `show`, `history`, `current`).
#[derive(Debug, serde::Serialize)]
pub(crate) struct RevisionInfo<'a> {
    revision: &'a str,
    message: &'a str,
    /// The revisions it revises; empty for a base.
    parents: &'a [String],
    /// Whether no revision revises it.
    head: bool,
    branch_labels: Vec<&'a str>,
    depends_on: &'a [String],
    /// Its file, relative to the project folder.
    path: String,
    /// Its `Created:` header (RFC 3339 UTC), if it has one.
    created: Option<&'a str>,
}

impl<'a> RevisionInfo<'a> {
    /// Revision `id` of the graph.
    pub(crate) fn of(project: &'a Project, id: &'a str) -> RevisionInfo<'a> {
        let node = project.node(id);
        RevisionInfo {
            revision: &node.id,
            message: &node.message,
            parents: &node.parents,
            head: project.graph().heads().contains(&id),
            branch_labels: project.graph().labels(id),
            depends_on: &node.depends_on,
            path: project.config.show(&node.path),
            created: node.created.as_deref(),
        }
    }
}

/// [`current`], also returning the applied revisions it read, so that `current
/// --check-heads` needs no connection of its own.
pub(crate) fn current_read(
    project: &Project,
    verbose: bool,
    format: Format,
    out: &mut dyn Write,
) -> Result<(Outcome, Vec<String>)> {
    let current = project.migrator().current(project.config.database()?)?;
    let graph = project.graph();
    let heads = graph.heads();
    if format == Format::Json {
        current_json(project, &current, out)?;
        return Ok((Outcome::Ok, current.applied));
    }
    // A revision stopped half way (MySQL, `-- Transaction: none`): the version table
    // alone would show a state the database is not in.
    if let Some(h) = &current.half_done {
        writeln!(out, "{}", half_done_line(project, h))?;
    }
    let ids = current.applied;
    if ids.is_empty() {
        if current.half_done.is_none() {
            eprintln!("No revision applied: the database is at base.");
        }
        return Ok((Outcome::Ok, ids));
    }
    // Applied ids the graph does not know are among the current heads.
    for id in &current.current_heads {
        if graph.get(id).is_none() {
            bail!(unknown_applied(project, id));
        }
    }
    for id in &current.current_heads {
        let m = project.node(id);
        let tag = if heads.contains(&id.as_str()) {
            " (head)"
        } else {
            ""
        };
        let labels = crate::teams::label_tag(graph, id);
        writeln!(out, "{id}{labels}{tag}  {}", m.message)?;
    }
    if verbose {
        writeln!(out)?;
        for a in &current.applied_at {
            let m = project.node(&a.revision);
            writeln!(out, "  {}  applied {}  {}", a.revision, a.at, m.message)?;
        }
    }
    Ok((Outcome::Ok, ids))
}

/// `current --format json`: the current heads, every applied revision with its time,
/// and a half-done revision; an applied revision no file defines is an error, as in
/// text.
fn current_json(
    project: &Project,
    current: &wildebeest::Current,
    out: &mut dyn Write,
) -> Result<()> {
    #[derive(serde::Serialize)]
    struct AppliedJson<'a> {
        revision: &'a str,
        applied_at: &'a str,
        message: &'a str,
    }
    #[derive(serde::Serialize)]
    struct Current<'a> {
        current: Vec<RevisionInfo<'a>>,
        applied: Vec<AppliedJson<'a>>,
        half_done: Option<crate::status::HalfDone<'a>>,
    }
    let graph = project.graph();
    for id in &current.current_heads {
        if graph.get(id).is_none() {
            bail!(unknown_applied(project, id));
        }
    }
    let body = Current {
        current: current
            .current_heads
            .iter()
            .map(|id| RevisionInfo::of(project, project.node(id).id.as_str()))
            .collect(),
        applied: current
            .applied_at
            .iter()
            .map(|a| AppliedJson {
                revision: &a.revision,
                applied_at: &a.at,
                message: graph.get(&a.revision).map_or("", |n| n.message.as_str()),
            })
            .collect(),
        half_done: current
            .half_done
            .as_ref()
            .map(crate::status::half_done_json),
    };
    output::write_json(out, &body)
}

/// What `check` says of a revision stopped half way: which statement it stopped at
/// and how to go on.
fn half_done_problem(project: &Project, p: &wildebeest::HalfDone) -> String {
    let rev = &p.revision;
    let (op, again) = match p.direction {
        wildebeest::Direction::Downgrade => {
            ("downgrade", "the same `wildebeest downgrade`".to_string())
        }
        _ => ("upgrade", format!("`wildebeest upgrade {rev}`")),
    };
    let file = match project.graph().get(rev) {
        Some(_) => project
            .migration(rev)
            .map(|m| format!(" ({})", project.show(m)))
            .unwrap_or_default(),
        None => String::new(),
    };
    let cause = p
        .error
        .clone()
        .unwrap_or_else(|| "the run was interrupted".to_string());
    format!(
        "revision {rev}{file} is half done: its {op} stopped after statement {} ({cause}); \
         finish it with {again}, or by hand and `wildebeest stamp`",
        p.statements_done
    )
}

/// What `current` says of a revision stopped half way.
pub(crate) fn half_done_line(project: &Project, p: &wildebeest::HalfDone) -> String {
    let message = project
        .graph()
        .get(&p.revision)
        .map(|_| format!("  {}", project.node(&p.revision).message))
        .unwrap_or_default();
    let state = match p.direction {
        wildebeest::Direction::Downgrade => "applied, but its downgrade stopped half way",
        _ => "not applied, but its upgrade stopped half way",
    };
    let cause = match &p.error {
        None => "the run was interrupted".to_string(),
        Some(e) => format!("stopped by: {e}"),
    };
    format!(
        "{} (half done){message}\n  {state}: {} of it committed, {cause}\n  \
         (finish it with the same command after fixing its file, or by hand and `stamp`)",
        p.revision,
        if p.statements_done == 1 {
            "1 statement".to_string()
        } else {
            format!("{} statements", p.statements_done)
        }
    )
}

/// `heads`.
pub fn heads(project: &Project, format: Format, out: &mut dyn Write) -> Result<Outcome> {
    if format == Format::Json {
        #[derive(serde::Serialize)]
        struct Heads<'a> {
            heads: Vec<RevisionInfo<'a>>,
        }
        let heads = project
            .graph()
            .heads()
            .into_iter()
            .map(|id| RevisionInfo::of(project, id))
            .collect();
        output::write_json(out, &Heads { heads })?;
        return Ok(Outcome::Ok);
    }
    for id in project.graph().heads() {
        let labels = crate::teams::label_tag(project.graph(), id);
        writeln!(out, "{id}{labels} (head)  {}", project.node(id).message)?;
    }
    Ok(Outcome::Ok)
}

/// `show REV`.
pub fn show(
    project: &Project,
    revision: &str,
    format: Format,
    out: &mut dyn Write,
) -> Result<Outcome> {
    let ids = show_ids(project, revision.trim())?;
    if format == Format::Json {
        #[derive(serde::Serialize)]
        struct Shown<'a> {
            #[serde(flatten)]
            info: RevisionInfo<'a>,
            /// The file as written.
            text: String,
        }
        #[derive(serde::Serialize)]
        struct Show<'a> {
            revisions: Vec<Shown<'a>>,
        }
        let mut revisions = Vec::new();
        for id in &ids {
            let node = project.node(id);
            let text = wildebeest_revision::read_regular_to_string(&node.path)
                .with_context(|| format!("cannot read {}", node.path.display()))?;
            revisions.push(Shown {
                info: RevisionInfo::of(project, &node.id),
                text,
            });
        }
        output::write_json(out, &Show { revisions })?;
        return Ok(Outcome::Ok);
    }
    for (i, id) in ids.iter().enumerate() {
        if i > 0 {
            writeln!(out)?;
        }
        show_one(project, id, out)?;
    }
    Ok(Outcome::Ok)
}

/// The revisions `show` prints: `current` reads the database's current heads; any
/// other target names its revisions (`heads` several), reading the database only
/// for `+N`/`-N` and `LABEL@±N`, which count from it.
fn show_ids(project: &Project, revision: &str) -> Result<Vec<String>> {
    let dir = || project.config.show(&project.config.migrations_dir);
    let from_database = || -> Result<BTreeSet<String>> {
        Ok(match project.open(false)? {
            Some(mut b) => b.applied_ids()?.into_iter().collect(),
            None => BTreeSet::new(),
        })
    };
    let ids = if revision == "current" {
        let applied = from_database()?;
        let current = project.graph().current_heads(&applied);
        if let Some(unknown) = current.iter().find(|id| project.graph().get(id).is_none()) {
            bail!(unknown_applied(project, unknown));
        }
        if current.is_empty() {
            bail!("no revision applied: the database is at base, which has nothing to show");
        }
        current
    } else {
        let target = Target::parse(revision)?;
        let applied = match &target {
            Target::Relative(_) | Target::Label(_, LabelAt::Relative(_)) => from_database()?,
            _ => BTreeSet::new(),
        };
        let ids = match project.graph().target_revisions(&applied, &target) {
            Err(GraphError::MultipleHeads { heads }) => bail!(
                "there are {} heads ({}), so `head` names none: run `wildebeest show heads`, or name one of them",
                heads.len(),
                heads.join(", ")
            ),
            other => other?,
        };
        if ids.is_empty() {
            if project.graph().heads().is_empty() {
                bail!("there are no revisions in {}/", dir());
            }
            bail!("{revision} is base, before the first revision: there is nothing to show");
        }
        ids
    };
    Ok(ids)
}

/// One revision for `show`: what the graph knows of it, then its file as written.
fn show_one(project: &Project, id: &str, out: &mut dyn Write) -> Result<()> {
    let m = project.node(id);
    let text = wildebeest_revision::read_regular_to_string(&m.path)
        .with_context(|| format!("cannot read {}", m.path.display()))?;
    writeln!(
        out,
        "Revision: {id}{}",
        if project.graph().heads().contains(&id) {
            " (head)"
        } else {
            ""
        }
    )?;
    writeln!(
        out,
        "Parents:  {}",
        if m.parents.is_empty() {
            "<base>".to_string()
        } else {
            m.parents.join(", ")
        }
    )?;
    let labels = project.graph().labels(id);
    if !labels.is_empty() {
        writeln!(out, "Labels:   {}", labels.join(", "))?;
    }
    if !m.depends_on.is_empty() {
        writeln!(out, "Depends:  {}", m.depends_on.join(", "))?;
    }
    writeln!(out, "Path:     {}", project.config.show(&m.path))?;
    writeln!(out, "Message:  {}", m.message)?;
    writeln!(out)?;
    out.write_all(Style::stdout().sql(&text).as_bytes())?;
    Ok(())
}

/// Whether a change adds, removes or changes something: the `+`, `-` or `~` of the
/// lines of `migrate` and of `check`'s differences.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Sign {
    Add,
    Remove,
    Change,
}

impl Sign {
    /// What `op` does, as a sign (the library's reading, which `check` uses for
    /// drift).
    pub fn of(op: &Op) -> Sign {
        Sign::of_change(wildebeest::ChangeKind::of(op))
    }

    /// The sign of a difference the library found.
    pub fn of_change(kind: wildebeest::ChangeKind) -> Sign {
        match kind {
            wildebeest::ChangeKind::Added => Sign::Add,
            wildebeest::ChangeKind::Removed => Sign::Remove,
            _ => Sign::Change,
        }
    }

    fn mark(self) -> &'static str {
        match self {
            Sign::Add => "+",
            Sign::Remove => "-",
            Sign::Change => "~",
        }
    }

    /// `text` in this sign's colour: green, red, yellow.
    fn paint(self, style: &Style, text: &str) -> String {
        match self {
            Sign::Add => style.green(text),
            Sign::Remove => style.red(text),
            Sign::Change => style.yellow(text),
        }
    }
}

/// One thing `check` found, as JSON says it: `kind` and its details, and `message`,
/// the line text prints.
#[derive(Debug, serde::Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
enum Found {
    /// The migrations have several heads.
    MultipleHeads {
        heads: Vec<String>,
        message: String,
    },
    /// `wildebeest.sum` is missing or stale.
    Sum {
        message: String,
    },
    /// schema.sql has a change no migration makes (`change` from the migrations to
    /// schema.sql).
    SchemaChange {
        sign: Sign,
        change: String,
        message: String,
    },
    /// schema.sql differs in what `migrate` cannot write (an unmodeled part, an enum
    /// type's labels).
    SchemaUnmigratable {
        message: String,
    },
    NoDatabase {
        message: String,
    },
    UnknownApplied {
        revision: String,
        message: String,
    },
    HalfDone {
        revision: String,
        direction: &'static str,
        statements_done: usize,
        error: Option<String>,
        message: String,
    },
    Pending {
        revisions: Vec<String>,
        message: String,
    },
    Changed {
        revision: String,
        file: String,
        message: String,
    },
    /// The database differs from what its applied migrations make (`change` from the
    /// migrations to the database).
    Drift {
        sign: Sign,
        change: String,
        message: String,
    },
    /// What the library found that this version names only in its message.
    Other {
        message: String,
    },
}

/// The heading of the schema changes in text.
const SCHEMA_HEADING: &str = "schema.sql differs from the migrations (run `wildebeest migrate`):";
/// The heading of the drift in text.
const DRIFT_HEADING: &str = "the database has drifted from its migrations:";

impl Found {
    fn message(&self) -> &str {
        match self {
            Found::MultipleHeads { message, .. }
            | Found::Sum { message }
            | Found::SchemaChange { message, .. }
            | Found::SchemaUnmigratable { message }
            | Found::NoDatabase { message }
            | Found::UnknownApplied { message, .. }
            | Found::HalfDone { message, .. }
            | Found::Pending { message, .. }
            | Found::Changed { message, .. }
            | Found::Drift { message, .. }
            | Found::Other { message } => message,
        }
    }

    fn schema_change(sign: Sign, change: String) -> Found {
        Found::SchemaChange {
            sign,
            message: format!(
                "schema.sql differs from the migrations: {change} (run `wildebeest migrate`)"
            ),
            change,
        }
    }

    fn drift(sign: Sign, change: String) -> Found {
        Found::Drift {
            sign,
            message: format!("the database has drifted from its migrations: {change}"),
            change,
        }
    }
}

/// `check`'s findings as text: one line each, but the schema changes and the drift
/// each as a `+`/`-`/`~` diff under one heading (coloured on a terminal).
fn print_found(found: &[Found], out: &mut dyn Write) -> Result<()> {
    let style = Style::stdout();
    let mut heading = None;
    for f in found {
        let (this, sign, change) = match f {
            Found::SchemaChange { sign, change, .. } => (Some(SCHEMA_HEADING), *sign, change),
            Found::Drift { sign, change, .. } => (Some(DRIFT_HEADING), *sign, change),
            other => {
                heading = None;
                writeln!(out, "{}", other.message())?;
                continue;
            }
        };
        if heading != this {
            heading = this;
            writeln!(out, "{}", this.unwrap_or_default())?;
        }
        let line = format!("{} {change}", sign.mark());
        writeln!(out, "  {}", sign.paint(&style, &line))?;
    }
    Ok(())
}

/// `check`: lists every difference; `Outcome::Differences` when there is one.
pub fn check(project: &Project, format: Format, out: &mut dyn Write) -> Result<Outcome> {
    let mut problems: Vec<Found> = Vec::new();
    let mut warnings = Vec::new();
    let heads = project.graph().heads();
    if heads.len() > 1 {
        problems.push(Found::MultipleHeads {
            heads: heads.iter().map(|h| h.to_string()).collect(),
            message: format!(
                "the migrations have {} heads: {} (join them with `wildebeest merge -m MSG`)",
                heads.len(),
                heads.join(", ")
            ),
        });
    }
    problems.extend(
        crate::teams::sum_problems(project)?
            .into_iter()
            .map(|message| Found::Sum { message }),
    );
    let all: BTreeSet<String> = project
        .graph()
        .topo_order()
        .into_iter()
        .map(String::from)
        .collect();
    let replayed_raw = project.replay(&all, &mut warnings)?;
    let replayed = project.schema_canonical(replayed_raw.clone())?;
    let (desired, positions) = project.desired_located(&mut warnings)?;
    let desired = as_built(project, &replayed, project.schema_canonical(desired)?)?;
    let ops = diff(&replayed, &desired, &Hints::default());
    let unheld = unheld_parts(&replayed, &desired, &Hints::default(), &ops, &positions);
    for (i, op) in ops.iter().enumerate() {
        // `migrate` refuses these: they are reported below with what to do instead.
        if unheld.iter().any(|u| u.op == Some(i)) {
            continue;
        }
        problems.push(Found::schema_change(Sign::of(op), op.describe()));
    }
    for u in &unheld {
        let what = match u.op.map(|i| &ops[i]) {
            Some(Op::CreateTable(_)) => "its CREATE TABLE",
            _ => "the change",
        };
        problems.push(Found::SchemaUnmigratable {
            message: format!(
                "schema.sql differs from the migrations: {u} (`migrate` cannot write this: \
                 write {what} by hand in a revision, `wildebeest revision -m MSG`)"
            ),
        });
    }
    if unheld.is_empty() {
        warnings.extend(positions.unmodeled.iter().map(kept_warning));
    }
    for c in enum_conflicts(&replayed, &desired) {
        problems.push(Found::SchemaUnmigratable {
            message: format!("schema.sql differs from the migrations: {c}"),
        });
    }
    let upgrade_target = if project.graph().heads().len() > 1 {
        "heads"
    } else {
        "head"
    };
    let report = project.migrator().check(project.config.database()?)?;
    for problem in report.problems {
        problems.push(match problem {
            // Said above, with the schema files' problems.
            wildebeest::Problem::MultipleHeads { .. } => continue,
            wildebeest::Problem::NoDatabase => Found::NoDatabase {
                message: format!(
                    "the database does not exist yet (run `wildebeest upgrade {upgrade_target}`)"
                ),
            },
            wildebeest::Problem::UnknownApplied { revision } => Found::UnknownApplied {
                message: unknown_applied(project, &revision),
                revision,
            },
            wildebeest::Problem::HalfDone(h) => Found::HalfDone {
                message: half_done_problem(project, &h),
                revision: h.revision,
                direction: h.direction.as_str(),
                statements_done: h.statements_done,
                error: h.error,
            },
            wildebeest::Problem::Pending { revisions } => {
                let count = if revisions.len() == 1 {
                    "1 revision".to_string()
                } else {
                    format!("{} revisions", revisions.len())
                };
                Found::Pending {
                    message: format!(
                        "{count} not applied: {} (run `wildebeest upgrade {upgrade_target}`)",
                        revisions.join(", ")
                    ),
                    revisions,
                }
            }
            wildebeest::Problem::Changed { revision, file } => Found::Changed {
                message: format!("{file} changed after it was applied (revision {revision})"),
                revision,
                file,
            },
            wildebeest::Problem::Drift {
                difference, kind, ..
            } => Found::drift(Sign::of_change(kind), difference),
            other => Found::Other {
                message: other.to_string(),
            },
        });
    }
    // The replay above gave the migrations' warnings already.
    for w in report.warnings {
        if !warnings.contains(&w) {
            warnings.push(w);
        }
    }
    print_warnings(&warnings);
    let outcome = if problems.is_empty() {
        Outcome::Ok
    } else {
        Outcome::Differences
    };
    if format == Format::Json {
        #[derive(serde::Serialize)]
        struct Check<'a> {
            ok: bool,
            differences: &'a [Found],
            warnings: Vec<String>,
        }
        let warnings = warnings.iter().map(|w| crate::redact::redact(w)).collect();
        output::write_json(
            out,
            &Check {
                ok: problems.is_empty(),
                differences: &problems,
                warnings,
            },
        )?;
        return Ok(outcome);
    }
    if problems.is_empty() {
        writeln!(
            out,
            "OK: the database is at head, matches the migrations and schema.sql, and no applied file changed."
        )?;
        return Ok(Outcome::Ok);
    }
    print_found(&problems, out)?;
    Ok(outcome)
}

/// What `op` loses on `dialect`'s database, for the markers and warnings of a
/// generated file: SQLite keeps every value through a type change within one
/// affinity (see `wildebeest_sqlite::data_loss`); MySQL also converts a column's text
/// when its collation is another character set's (`wildebeest_mysql::data_loss`).
fn data_loss(dialect: Dialect, op: &Op, before: &Schema) -> Option<String> {
    wildebeest::backends::data_loss(dialect, op, before)
}
