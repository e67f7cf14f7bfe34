//! Resolved settings: `wildebeest.toml`, then `DATABASE_URL` in the project's `.env`,
//! then `DATABASE_URL` in the environment, then `--database-url` (each overrides the
//! ones before it).
//!
//! The clap structs in `cli.rs` only hold raw flags; this module does the IO of
//! finding and reading the files and merges the sources into one [`Config`].

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use serde::Deserialize;
use wildebeest::url::DatabaseUrl;

/// The name of the project file.
pub const CONFIG_FILE: &str = "wildebeest.toml";

/// What `wildebeest init` writes.
pub const DEFAULT_CONFIG: &str = r#"# wildebeest project settings.
# DATABASE_URL in .env overrides database_url, DATABASE_URL in the environment
# overrides both, and --database-url overrides all three.
# SQLite paths are relative to this file's folder.
database_url = "sqlite:app.db"

# The desired schema: one file or a list of files, plain SQL DDL.
schema = "schema.sql"
# Or the output of a command run in this folder (models in Rust, an ORM that prints
# DDL), in place of `schema`:
# schema_command = "cargo run -q -- db schema"

# The folder with one .sql file per revision.
migrations = "migrations"
"#;

/// The file as written; every key is optional.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    database_url: Option<String>,
    schema: Option<OneOrMany>,
    schema_command: Option<String>,
    migrations: Option<String>,
    database_schema: Option<String>,
    schema_dialect: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

/// Where the database URL came from, for messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UrlSource {
    Flag,
    Env,
    /// `DATABASE_URL` in the project's `.env` file.
    DotEnv,
    File,
}

/// The name of the file, in the project root, whose `DATABASE_URL` is read when the
/// environment has none (as sqlx-cli and dbmate read it).
pub const DOTENV_FILE: &str = ".env";

/// The settings every command runs with.
#[derive(Debug, Clone)]
pub struct Config {
    /// The project root: the folder holding `wildebeest.toml`.
    pub root: PathBuf,
    /// The database, if one is configured anywhere.
    pub database: Option<(DatabaseUrl, UrlSource)>,
    /// The desired schema files, absolute; none when `schema_command` gives it.
    pub schema_files: Vec<PathBuf>,
    /// `schema_command`: a shell command, run in the project root, whose standard
    /// output is the desired schema text (in place of `schema_files`).
    pub schema_command: Option<String>,
    /// The migrations folder, absolute.
    pub migrations_dir: PathBuf,
    /// Where the cache of parsed migration headers lives ([`CACHE_DIR`] in the root),
    /// or `None` to read every header on every run (`WILDEBEEST_NO_CACHE`).
    pub cache_dir: Option<PathBuf>,
    /// The SQL dialect the schema files (and the migrations `migrate` writes) are in,
    /// when it is not the database's (`schema_dialect`): one folder for several
    /// databases is checked against each of them.
    pub schema_dialect: Option<wildebeest_sql::Dialect>,
}

/// The folder, in the project root, that holds what wildebeest caches between runs.
/// It ignores itself in git and carries a `CACHEDIR.TAG`; deleting it is always safe.
pub const CACHE_DIR: &str = ".wildebeest_cache";

impl Config {
    /// Finds `wildebeest.toml` in `start` or a parent folder and resolves the settings.
    /// `env_url` is `DATABASE_URL`, `flag_url` is `--database-url`.
    /// `DATABASE_URL` in the root's `.env` comes between the file and the environment.
    pub fn load(start: &Path, env_url: Option<String>, flag_url: Option<String>) -> Result<Config> {
        let Some(root) = find_root(start) else {
            bail!(
                "no {CONFIG_FILE} in {} or any folder above it; run `wildebeest init` to start a project there",
                start.display()
            );
        };
        let path = root.join(CONFIG_FILE);
        let bytes = wildebeest_revision::read_regular(&path)
            .with_context(|| format!("cannot read {}", path.display()))?;
        let text = String::from_utf8(bytes).map_err(|e| {
            anyhow::anyhow!(
                "{}:{}: the file is not valid UTF-8: {CONFIG_FILE} is UTF-8 text",
                path.display(),
                crate::app::utf8_error_line(&e)
            )
        })?;
        let dotenv_url = dotenv_url(&root.join(DOTENV_FILE))?;
        Config::resolve(&root, &text, env_url, dotenv_url, flag_url)
    }

    /// The settings of a folder without `wildebeest.toml` (for the commands that
    /// need only a database: `inspect`, `database create`/`drop`): the URL from the
    /// flag, `DATABASE_URL`, or `DATABASE_URL` in `dir`'s `.env`, as [`Config::load`]
    /// takes them.
    pub fn without_file(
        dir: &Path,
        env_url: Option<String>,
        flag_url: Option<String>,
    ) -> Result<Config> {
        let dotenv_url = dotenv_url(&dir.join(DOTENV_FILE))?;
        Config::resolve(dir, "", env_url, dotenv_url, flag_url)
    }

    /// Resolves settings from the text of a `wildebeest.toml` in `root`.
    pub fn from_text(
        root: &Path,
        text: &str,
        env_url: Option<String>,
        flag_url: Option<String>,
    ) -> Result<Config> {
        Config::resolve(root, text, env_url, None, flag_url)
    }

    /// [`Config::from_text`] with `DATABASE_URL` from `.env` as well: the flag wins,
    /// then the environment, then `.env`, then the file. An empty value counts as unset.
    pub fn resolve(
        root: &Path,
        text: &str,
        env_url: Option<String>,
        dotenv_url: Option<String>,
        flag_url: Option<String>,
    ) -> Result<Config> {
        // Every password in the file or the URLs is known before any message can
        // quote one (a TOML error quotes the line it is on).
        crate::redact::register(text);
        for url in [&env_url, &dotenv_url, &flag_url].into_iter().flatten() {
            crate::redact::register(url);
        }
        let raw: RawConfig = toml::from_str(text).map_err(|e| toml_error(root, text, &e))?;
        let set = |u: Option<String>| u.filter(|u| !u.is_empty());
        let (url_text, source) = match (set(flag_url), set(env_url), set(dotenv_url)) {
            (Some(u), _, _) => (Some(u), UrlSource::Flag),
            (None, Some(u), _) => (Some(u), UrlSource::Env),
            (None, None, Some(u)) => (Some(u), UrlSource::DotEnv),
            (None, None, None) => (raw.database_url.clone(), UrlSource::File),
        };
        let database = match url_text {
            Some(text) => {
                let url = DatabaseUrl::parse(&text, root).with_context(|| match source {
                    UrlSource::Flag => "in --database-url".to_string(),
                    UrlSource::Env => "in the DATABASE_URL environment variable".to_string(),
                    UrlSource::DotEnv => {
                        format!("in DATABASE_URL in {}", root.join(DOTENV_FILE).display())
                    }
                    UrlSource::File => format!("in {}", root.join(CONFIG_FILE).display()),
                })?;
                Some((url, source))
            }
            None => None,
        };
        let schema_command = match (&raw.schema, raw.schema_command) {
            (Some(_), Some(_)) => bail!(
                "{}: `schema` and `schema_command` both give the desired schema; keep one",
                root.join(CONFIG_FILE).display()
            ),
            (_, Some(c)) if c.trim().is_empty() => bail!(
                "{}: `schema_command` is empty",
                root.join(CONFIG_FILE).display()
            ),
            (_, c) => c,
        };
        let schema_files = match raw.schema {
            None if schema_command.is_some() => Vec::new(),
            None => vec![root.join("schema.sql")],
            Some(OneOrMany::One(s)) => vec![root.join(s)],
            Some(OneOrMany::Many(v)) if v.is_empty() => {
                bail!(
                    "{}: `schema` lists no file",
                    root.join(CONFIG_FILE).display()
                )
            }
            Some(OneOrMany::Many(v)) => v.into_iter().map(|s| root.join(s)).collect(),
        };
        let database = match (database, raw.database_schema) {
            (Some((DatabaseUrl::Postgres { url, schema: None }, source)), Some(s)) => Some((
                DatabaseUrl::Postgres {
                    url,
                    schema: Some(s),
                },
                source,
            )),
            (Some((DatabaseUrl::Postgres { url, schema }, source)), _) => {
                Some((DatabaseUrl::Postgres { url, schema }, source))
            }
            (other, None) => other,
            (_, Some(_)) => bail!(
                "{}: `database_schema` applies to PostgreSQL only",
                root.join(CONFIG_FILE).display()
            ),
        };
        let migrations_dir = root.join(raw.migrations.unwrap_or_else(|| "migrations".into()));
        let schema_dialect = match raw.schema_dialect {
            None => None,
            Some(name) => Some(wildebeest_sql::Dialect::parse(&name).ok_or_else(|| {
                anyhow::anyhow!(
                    "{}: unknown `schema_dialect = \"{name}\"`: use sqlite, postgresql or mysql",
                    root.join(CONFIG_FILE).display()
                )
            })?),
        };
        Ok(Config {
            schema_dialect,
            root: root.to_path_buf(),
            database,
            schema_files,
            schema_command,
            migrations_dir,
            cache_dir: Some(root.join(CACHE_DIR)),
        })
    }

    /// The database URL, or an error saying how to configure one.
    pub fn database(&self) -> Result<&DatabaseUrl> {
        match &self.database {
            Some((url, _)) => Ok(url),
            None => bail!(
                "no database configured: set database_url in {}, DATABASE_URL, or --database-url",
                self.root.join(CONFIG_FILE).display()
            ),
        }
    }

    /// A path relative to the project root when it is inside it, for messages.
    pub fn show(&self, path: &Path) -> String {
        path.strip_prefix(&self.root)
            .unwrap_or(path)
            .display()
            .to_string()
    }
}

/// The keys `wildebeest.toml` reads.
const KNOWN_KEYS: [&str; 5] = [
    "database_url",
    "schema",
    "migrations",
    "database_schema",
    "schema_dialect",
];

/// A TOML error as `FILE:LINE:COLUMN: what is wrong`, then the line (passwords
/// masked) with a caret under the column, as the parser shows it; an unknown key
/// gets the known key it is closest to.
fn toml_error(root: &Path, text: &str, e: &toml::de::Error) -> anyhow::Error {
    let file = root.join(CONFIG_FILE);
    let mut what = crate::redact::redact(e.message().trim_end()).replace('\n', " ");
    let Some(before) = e.span().and_then(|span| text.get(..span.start)) else {
        return anyhow::anyhow!("{}: {what}", file.display());
    };
    let line = before.matches('\n').count() + 1;
    let start = before.rsplit('\n').next().unwrap_or_default();
    let column = start.chars().count() + 1;
    // The key the line sets, which is never a secret, says what is wrong.
    let rest = text[before.len()..].split('\n').next().unwrap_or_default();
    let whole = format!("{start}{rest}");
    let key = whole
        .split_once('=')
        .map(|(k, _)| k.trim().to_string())
        .filter(|k| {
            !k.is_empty()
                && k.chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        });
    if let Some(k) = &key
        && what.starts_with("unknown field")
        && let Some(known) = closest_key(k)
    {
        what = format!("unknown key; did you mean `{known}`? (the keys are {})", {
            KNOWN_KEYS.map(|k| format!("`{k}`")).join(", ")
        });
    }
    let key = key.map(|k| format!("`{k}`: ")).unwrap_or_default();
    let shown = crate::redact::redact(whole.trim_end_matches('\r'));
    let caret = crate::redact::redact(start).chars().count();
    let width = line.to_string().len();
    anyhow::anyhow!(
        "{}:{line}:{column}: {key}{what}\n{:width$} |\n{line} | {shown}\n{:width$} | {:caret$}^",
        file.display(),
        "",
        "",
        ""
    )
}

/// The known key within two edits of `key` (one for short keys), if any.
fn closest_key(key: &str) -> Option<&'static str> {
    let key = key.to_ascii_lowercase().replace('-', "_");
    KNOWN_KEYS.into_iter().find(|k| {
        let allowed = if k.len() >= 6 { 2 } else { 1 };
        wildebeest_revision::file::edit_distance(key.as_bytes(), k.as_bytes()) <= allowed
    })
}

/// `DATABASE_URL` in the `.env` file at `path`, `None` when there is no such file or
/// it sets none. The whole file is read as dotenv files are (`KEY=VALUE`, `export `
/// before the key, quotes, `#` comments, `${OTHER}` from the lines above or the
/// environment); a line that cannot be read is an error naming the file and line,
/// never quoting it (it may hold a password). Nothing is put in the environment.
pub fn dotenv_url(path: &Path) -> Result<Option<String>> {
    if !path.exists() {
        return Ok(None);
    }
    let bytes = wildebeest_revision::read_regular(path)
        .with_context(|| format!("cannot read {}", path.display()))?;
    let text = String::from_utf8_lossy(&bytes);
    let mut url = None;
    for item in dotenvy::from_read_iter(bytes.as_slice()) {
        match item {
            // The first one counts, as dotenv tools read it.
            Ok((key, value)) if key == "DATABASE_URL" && url.is_none() => {
                crate::redact::register(&value);
                url = Some(value);
            }
            Ok(_) => {}
            Err(dotenvy::Error::LineParse(line, index)) => {
                // The parser names the line by its text: find where it starts.
                let line_no = text
                    .find(line.as_str())
                    .map_or(0, |at| text[..at].matches('\n').count() + 1);
                let first = line.split('\n').next().unwrap_or_default();
                let column = first.get(..index).map_or(index, |b| b.chars().count()) + 1;
                bail!(
                    "{}:{line_no}:{column}: not a `KEY=VALUE` line (a dotenv file holds \
                     `KEY=VALUE` lines, values with spaces or `#` in quotes, comments \
                     starting with `#`)",
                    path.display()
                );
            }
            Err(e) => bail!("cannot read {}: {e}", path.display()),
        }
    }
    Ok(url)
}

/// The nearest folder at or above `start` that holds `wildebeest.toml`.
pub fn find_root(start: &Path) -> Option<PathBuf> {
    start
        .ancestors()
        // Whatever the name is (a FIFO, a folder) is this project's, and refused
        // when read: a project above it is not taken in its place.
        .find(|dir| dir.join(CONFIG_FILE).exists())
        .map(Path::to_path_buf)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flag_overrides_env_overrides_file() {
        let root = Path::new("/p");
        let text = "database_url = \"sqlite:file.db\"\n";
        let c = Config::from_text(root, text, None, None).unwrap();
        assert_eq!(
            c.database.unwrap().0,
            DatabaseUrl::SqliteFile(PathBuf::from("/p/file.db"))
        );
        let c = Config::from_text(root, text, Some("sqlite:env.db".into()), None).unwrap();
        assert_eq!(
            c.database.clone().unwrap(),
            (
                DatabaseUrl::SqliteFile(PathBuf::from("/p/env.db")),
                UrlSource::Env
            )
        );
        let c = Config::from_text(
            root,
            text,
            Some("sqlite:env.db".into()),
            Some("sqlite::memory:".into()),
        )
        .unwrap();
        assert_eq!(
            c.database.unwrap(),
            (DatabaseUrl::SqliteMemory, UrlSource::Flag)
        );
    }

    #[test]
    fn schema_is_one_file_or_a_list() {
        let root = Path::new("/p");
        let c = Config::from_text(
            root,
            "schema = [\"a.sql\", \"b/c.sql\"]\nmigrations = \"db/m\"\n",
            None,
            None,
        )
        .unwrap();
        assert_eq!(
            c.schema_files,
            vec![PathBuf::from("/p/a.sql"), PathBuf::from("/p/b/c.sql")]
        );
        assert_eq!(c.migrations_dir, PathBuf::from("/p/db/m"));
        let c = Config::from_text(root, "", None, None).unwrap();
        assert_eq!(c.schema_files, vec![PathBuf::from("/p/schema.sql")]);
        assert!(c.database.is_none());
    }

    #[test]
    fn schema_dialect_is_one_of_the_three() {
        let root = Path::new("/p");
        let c = Config::from_text(root, "schema_dialect = \"PostgreSQL\"\n", None, None).unwrap();
        assert_eq!(c.schema_dialect, Some(wildebeest_sql::Dialect::Postgres));
        assert_eq!(
            Config::from_text(root, "", None, None)
                .unwrap()
                .schema_dialect,
            None
        );
        let e = Config::from_text(root, "schema_dialect = \"oracle\"\n", None, None).unwrap_err();
        assert_eq!(
            e.to_string(),
            "/p/wildebeest.toml: unknown `schema_dialect = \"oracle\"`: use sqlite, postgresql or mysql"
        );
    }

    #[test]
    fn unknown_keys_and_bad_toml_are_errors_naming_the_file() {
        let root = Path::new("/p");
        let e = Config::from_text(root, "databse_url = \"x\"\n", None, None).unwrap_err();
        assert!(e.to_string().contains("/p/wildebeest.toml"), "{e}");
        assert!(e.to_string().contains("databse_url"), "{e}");
        assert!(
            e.to_string()
                .contains("unknown key; did you mean `database_url`?"),
            "{e}"
        );
        let e = Config::from_text(root, "database_url = \n", None, None).unwrap_err();
        assert!(
            e.to_string().starts_with("/p/wildebeest.toml:1:16: "),
            "{e}"
        );
    }

    #[test]
    fn a_toml_error_on_the_url_line_names_the_line_without_the_password() {
        let root = Path::new("/p");
        let text = "schema = \"s.sql\"\ndatabase_url = \"postgres://u:tq-9931-pw@h/db\" x\n";
        let e = Config::from_text(root, text, None, None)
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("/p/wildebeest.toml:2:"), "{e}");
        assert!(!e.contains("tq-9931-pw"), "{e}");
        // The line is shown, password masked, with the caret under the column.
        let snippet: Vec<&str> = e.lines().skip(1).collect();
        assert_eq!(snippet.len(), 3, "{e}");
        assert!(snippet[1].starts_with("2 | database_url = "), "{e}");
        assert!(snippet[2].ends_with('^'), "{e}");
    }

    #[test]
    fn database_schema_applies_to_postgres_and_the_url_wins() {
        let root = Path::new("/p");
        let text = "database_url = \"postgres://u@h/db\"\ndatabase_schema = \"tenant\"\n";
        let c = Config::from_text(root, text, None, None).unwrap();
        assert_eq!(
            c.database.unwrap().0,
            DatabaseUrl::Postgres {
                url: "postgres://u@h/db".into(),
                schema: Some("tenant".into())
            }
        );
        let c = Config::from_text(
            root,
            text,
            None,
            Some("postgres://u@h/db?schema=other".into()),
        )
        .unwrap();
        assert_eq!(
            c.database.unwrap().0,
            DatabaseUrl::Postgres {
                url: "postgres://u@h/db".into(),
                schema: Some("other".into())
            }
        );
        let e = Config::from_text(
            root,
            "database_url = \"sqlite:a.db\"\ndatabase_schema = \"x\"\n",
            None,
            None,
        )
        .unwrap_err();
        assert!(e.to_string().contains("PostgreSQL only"), "{e}");
    }

    #[test]
    fn the_default_file_parses() {
        let c = Config::from_text(Path::new("/p"), DEFAULT_CONFIG, None, None).unwrap();
        assert_eq!(
            c.database.unwrap().0,
            DatabaseUrl::SqliteFile(PathBuf::from("/p/app.db"))
        );
    }
}
