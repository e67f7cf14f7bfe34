//! Database URLs in the forms users bring from SQLAlchemy and sqlx.

use std::fmt;
use std::path::{Path, PathBuf};

/// A URL that is not one of a database wildebeest knows; the message names it, its
/// password masked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UrlError(String);

impl fmt::Display for UrlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for UrlError {}

type Result<T> = std::result::Result<T, UrlError>;

macro_rules! bail {
    ($($arg:tt)*) => {
        return Err(UrlError(format!($($arg)*)))
    };
}

/// A parsed database URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DatabaseUrl {
    /// A SQLite database file (absolute: relative paths are resolved against the
    /// project root).
    SqliteFile(PathBuf),
    /// A private in-memory SQLite database (gone when the command ends).
    SqliteMemory,
    /// A PostgreSQL server: the URL as the driver takes it (`postgres://`, no
    /// `+driver` suffix, no `schema` parameter), and the schema the application lives
    /// in (`?schema=NAME` in the URL, or `database_schema` in wildebeest.toml).
    Postgres { url: String, schema: Option<String> },
    /// A MySQL or MariaDB server: the URL as the driver takes it (`mysql://`).
    Mysql { url: String },
}

impl DatabaseUrl {
    /// Parses `url`; relative SQLite paths are taken relative to `root`.
    ///
    /// SQLite forms: `sqlite:app.db`, `sqlite:/abs/app.db`, `sqlite://app.db` (sqlx),
    /// `sqlite:///app.db` (SQLAlchemy: relative), `sqlite:////abs/app.db` (SQLAlchemy:
    /// absolute), `sqlite::memory:`, `sqlite://:memory:`, `sqlite://` (SQLAlchemy's
    /// in-memory), with an optional sqlx `?mode=rwc`.
    pub fn parse(url: &str, root: &Path) -> Result<DatabaseUrl> {
        let url = url.trim();
        let Some((scheme, rest)) = url.split_once(':') else {
            bail!(
                "`{}` is not a database URL: expected e.g. sqlite:app.db",
                mask(url)
            );
        };
        let scheme = scheme.to_ascii_lowercase();
        let base = scheme.split('+').next().unwrap_or_default();
        match base {
            "sqlite" | "sqlite3" => parse_sqlite(rest, root),
            "postgres" | "postgresql" | "pgsql" => parse_postgres(url, rest),
            "mysql" | "mariadb" => parse_mysql(url, rest),
            _ => bail!(
                "`{}`: unknown database kind `{scheme}`; use a sqlite:, postgres:// or mysql:// URL",
                mask(url)
            ),
        }
    }
}

/// Splits `?a=b&c=d` off `rest`.
fn split_query(rest: &str) -> (&str, Vec<(String, String)>) {
    match rest.split_once('?') {
        None => (rest, Vec::new()),
        Some((base, query)) => (
            base,
            query
                .split('&')
                .filter(|p| !p.is_empty())
                .map(|p| match p.split_once('=') {
                    Some((k, v)) => (k.to_string(), v.to_string()),
                    None => (p.to_string(), String::new()),
                })
                .collect(),
        ),
    }
}

fn join_query(params: &[(String, String)]) -> String {
    if params.is_empty() {
        return String::new();
    }
    let parts: Vec<String> = params.iter().map(|(k, v)| format!("{k}={v}")).collect();
    format!("?{}", parts.join("&"))
}

fn server_part<'a>(url: &str, rest: &'a str) -> Result<&'a str> {
    let Some(server) = rest.strip_prefix("//") else {
        bail!(
            "`{}` is not a server URL: expected SCHEME://USER@HOST:PORT/DATABASE",
            mask(url)
        );
    };
    let host = server.split('/').next().unwrap_or_default();
    let host = host.rsplit_once('@').map_or(host, |(_, h)| h);
    if host.is_empty() {
        bail!("`{}` names no host", mask(url));
    }
    Ok(server)
}

fn parse_postgres(url: &str, rest: &str) -> Result<DatabaseUrl> {
    let server = server_part(url, rest)?;
    let (base, params) = split_query(server);
    let mut schema = None;
    let mut from_options = None;
    let mut kept = Vec::new();
    for (k, v) in params {
        match k.as_str() {
            "schema" | "currentSchema" | "search_path" if !v.is_empty() => {
                schema = Some(percent_decode(&v))
            }
            "options" => {
                from_options = options_schema(url, &percent_decode(&v))?;
                kept.push((k, v));
            }
            _ => kept.push((k, v)),
        }
    }
    match (&schema, from_options) {
        (Some(s), Some(o)) if *s != o => bail!(
            "`{}` names two schemas: `{s}` and, in `options`, a search_path starting with \
             `{o}`; keep one",
            mask(url)
        ),
        (None, Some(o)) => schema = Some(o),
        _ => {}
    }
    Ok(DatabaseUrl::Postgres {
        url: format!("postgres://{base}{}", join_query(&kept)),
        schema,
    })
}

/// The schema a libpq `options` value (`-c search_path=a,b`, `-csearch_path=a`,
/// `--search_path=a`) puts first on the search path: wildebeest sets the search path
/// of each connection itself (the managed schema, then `public`), so a path given
/// there is read as naming that schema rather than overridden without a word.
fn options_schema(url: &str, options: &str) -> Result<Option<String>> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut chars = options.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => word.extend(chars.next()),
            c if c.is_whitespace() => words.push(std::mem::take(&mut word)),
            c => word.push(c),
        }
    }
    words.push(word);
    let mut words = words.into_iter().filter(|w| !w.is_empty());
    let mut path = None;
    while let Some(w) = words.next() {
        let setting = match w.as_str() {
            "-c" => words.next().unwrap_or_default(),
            _ => match w.strip_prefix("-c").or_else(|| w.strip_prefix("--")) {
                Some(s) => s.to_string(),
                None => continue,
            },
        };
        if let Some((name, value)) = setting.split_once('=')
            && name
                .trim()
                .replace('-', "_")
                .eq_ignore_ascii_case("search_path")
        {
            path = Some(value.to_string());
        }
    }
    let Some(path) = path else { return Ok(None) };
    let first = path.split(',').next().unwrap_or_default().trim();
    let name = match first.strip_prefix('"') {
        Some(quoted) => quoted
            .strip_suffix('"')
            .map(|q| q.replace("\"\"", "\""))
            .unwrap_or_default(),
        None => first.to_ascii_lowercase(),
    };
    if name.is_empty() || name == "$user" {
        bail!(
            "`{}`: `options` sets search_path to `{path}`, whose first schema wildebeest \
             cannot tell; name the schema with ?schema=NAME (wildebeest sets the search \
             path itself: that schema, then public)",
            mask(url)
        );
    }
    Ok(Some(name))
}

/// `%XX` sequences decoded as UTF-8 (invalid sequences kept as written).
pub fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && let Some(b) = std::str::from_utf8(&bytes[i + 1..i + 3])
                .ok()
                .and_then(|h| u8::from_str_radix(h, 16).ok())
        {
            out.push(b);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).unwrap_or_else(|_| text.to_string())
}

fn parse_mysql(url: &str, rest: &str) -> Result<DatabaseUrl> {
    let server = server_part(url, rest)?;
    let db = server
        .split('?')
        .next()
        .unwrap_or_default()
        .split_once('/')
        .map(|(_, d)| d)
        .unwrap_or_default();
    if db.is_empty() {
        bail!(
            "`{}` names no database: expected mysql://USER@HOST:PORT/DATABASE",
            mask(url)
        );
    }
    Ok(DatabaseUrl::Mysql {
        url: format!("mysql://{server}"),
    })
}

fn parse_sqlite(rest: &str, root: &Path) -> Result<DatabaseUrl> {
    let (path, query) = match rest.split_once('?') {
        Some((p, q)) => (p, Some(q)),
        None => (rest, None),
    };
    if let Some(query) = query {
        for pair in query.split('&').filter(|p| !p.is_empty()) {
            match pair {
                "mode=rwc" | "mode=rw" => {}
                "mode=memory" => return Ok(DatabaseUrl::SqliteMemory),
                other => bail!(
                    "SQLite URL parameter `{other}` is not supported (only mode=rwc, mode=rw, mode=memory)"
                ),
            }
        }
    }
    let path = if let Some(p) = path.strip_prefix("////") {
        format!("/{p}")
    } else if let Some(p) = path.strip_prefix("///") {
        p.to_string()
    } else if let Some(p) = path.strip_prefix("//") {
        p.to_string()
    } else {
        path.to_string()
    };
    if path.is_empty() || path == ":memory:" {
        return Ok(DatabaseUrl::SqliteMemory);
    }
    let p = Path::new(&path);
    Ok(DatabaseUrl::SqliteFile(if p.is_absolute() {
        p.to_path_buf()
    } else {
        root.join(p)
    }))
}

/// `url` with any password replaced by `***`: in the user information
/// (`user:password@host`, with or without `//`) and in `password=` parameters.
pub fn mask(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once(':') else {
        return url.to_string();
    };
    let (slashes, body) = match rest.strip_prefix("//") {
        Some(b) => ("//", b),
        None => ("", rest),
    };
    let end = body.find(['/', '?']).unwrap_or(body.len());
    let (authority, tail) = body.split_at(end);
    let authority = match authority.rsplit_once('@') {
        Some((userinfo, host)) => match userinfo.split_once(':') {
            Some((user, _)) => format!("{user}:***@{host}"),
            None => authority.to_string(),
        },
        None => authority.to_string(),
    };
    let tail = match tail.split_once('?') {
        None => tail.to_string(),
        Some((path, query)) => {
            let params: Vec<String> = query
                .split('&')
                .map(|p| match p.split_once('=') {
                    Some((k, _)) if k.eq_ignore_ascii_case("password") => format!("{k}=***"),
                    _ => p.to_string(),
                })
                .collect();
            format!("{path}?{}", params.join("&"))
        }
    };
    format!("{scheme}:{slashes}{authority}{tail}")
}

impl fmt::Display for DatabaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DatabaseUrl::SqliteFile(p) => write!(f, "sqlite:{}", p.display()),
            DatabaseUrl::SqliteMemory => f.write_str("sqlite::memory:"),
            DatabaseUrl::Postgres {
                url,
                schema: Some(s),
            } => write!(f, "{} (schema {s})", mask(url)),
            DatabaseUrl::Postgres { url, schema: None } => f.write_str(&mask(url)),
            DatabaseUrl::Mysql { url } => f.write_str(&mask(url)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(url: &str) -> DatabaseUrl {
        DatabaseUrl::parse(url, Path::new("/proj")).unwrap()
    }

    #[test]
    fn sqlite_forms_from_sqlalchemy_and_sqlx() {
        let file = |p: &str| DatabaseUrl::SqliteFile(PathBuf::from(p));
        assert_eq!(parse("sqlite:app.db"), file("/proj/app.db"));
        assert_eq!(parse("sqlite:/abs/app.db"), file("/abs/app.db"));
        assert_eq!(parse("sqlite://app.db"), file("/proj/app.db"));
        assert_eq!(parse("sqlite:///app.db"), file("/proj/app.db"));
        assert_eq!(
            parse("sqlite:///instance/app.db"),
            file("/proj/instance/app.db")
        );
        assert_eq!(parse("sqlite:////abs/app.db"), file("/abs/app.db"));
        assert_eq!(parse("sqlite:app.db?mode=rwc"), file("/proj/app.db"));
        assert_eq!(parse("SQLITE:app.db"), file("/proj/app.db"));
        assert_eq!(parse("sqlite+pysqlite:///app.db"), file("/proj/app.db"));
        assert_eq!(parse("sqlite::memory:"), DatabaseUrl::SqliteMemory);
        assert_eq!(parse("sqlite://:memory:"), DatabaseUrl::SqliteMemory);
        assert_eq!(parse("sqlite://"), DatabaseUrl::SqliteMemory);
    }

    #[test]
    fn server_forms_from_sqlalchemy_and_sqlx() {
        let pg = |url: &str, schema: Option<&str>| DatabaseUrl::Postgres {
            url: url.to_string(),
            schema: schema.map(String::from),
        };
        assert_eq!(
            parse("postgres://u@h:5432/db"),
            pg("postgres://u@h:5432/db", None)
        );
        assert_eq!(
            parse("postgresql://u:p@h/db"),
            pg("postgres://u:p@h/db", None)
        );
        assert_eq!(
            parse("postgresql+psycopg2://u@h/db?sslmode=require"),
            pg("postgres://u@h/db?sslmode=require", None)
        );
        assert_eq!(
            parse("postgres://u@h/db?schema=tenant_a&sslmode=disable"),
            pg("postgres://u@h/db?sslmode=disable", Some("tenant_a"))
        );
        assert_eq!(
            parse("postgres://u@h/db?options=-csearch_path%3Dtenant_b"),
            pg(
                "postgres://u@h/db?options=-csearch_path%3Dtenant_b",
                Some("tenant_b")
            )
        );
        assert_eq!(
            parse("postgres://u@h/db?options=-c%20search_path%3DTenant%2Cpublic"),
            pg(
                "postgres://u@h/db?options=-c%20search_path%3DTenant%2Cpublic",
                Some("tenant")
            )
        );
        assert_eq!(
            parse("postgres://u@h/db?options=--search_path%3D%22My%5C%20App%22"),
            pg(
                "postgres://u@h/db?options=--search_path%3D%22My%5C%20App%22",
                Some("My App")
            )
        );
        assert_eq!(
            parse("postgres://u@h/db?options=-c%20statement_timeout%3D5s"),
            pg(
                "postgres://u@h/db?options=-c%20statement_timeout%3D5s",
                None
            )
        );
        assert_eq!(
            parse("postgres://u@h/db?schema=a%2Db&options=-csearch_path%3Da-b"),
            pg("postgres://u@h/db?options=-csearch_path%3Da-b", Some("a-b"))
        );
        let my = |url: &str| DatabaseUrl::Mysql {
            url: url.to_string(),
        };
        assert_eq!(
            parse("mysql://root@127.0.0.1:3306/test"),
            my("mysql://root@127.0.0.1:3306/test")
        );
        assert_eq!(parse("mysql+pymysql://u:p@h/db"), my("mysql://u:p@h/db"));
        assert_eq!(
            parse("mariadb://u@h/db?ssl-mode=REQUIRED"),
            my("mysql://u@h/db?ssl-mode=REQUIRED")
        );
    }

    #[test]
    fn bad_urls_say_what_is_wrong_and_never_show_a_password() {
        let err = |u: &str| {
            DatabaseUrl::parse(u, Path::new("/p"))
                .unwrap_err()
                .to_string()
        };
        assert!(err("app.db").contains("is not a database URL"));
        assert!(err("oracle://x").contains("unknown database kind `oracle`"));
        let e = err("mysql://bob:secret@db");
        assert!(e.contains("bob:***@db") && !e.contains("secret"), "{e}");
        let e = err("postgres:bob:secret@db");
        assert!(!e.contains("secret"), "{e}");
        assert!(err("sqlite:app.db?cache=shared").contains("cache=shared"));
        let e = err("postgres://u@h/db?schema=a&options=-csearch_path%3Db");
        assert!(
            e.contains("names two schemas: `a`") && e.contains("`b`"),
            "{e}"
        );
        let e = err("postgres://u@h/db?options=-csearch_path%3D%22%24user%22%2Cpublic");
        assert!(e.contains("?schema=NAME"), "{e}");
        assert_eq!(
            mask("mysql://u@h/db?password=pw&x=1"),
            "mysql://u@h/db?password=***&x=1"
        );
        assert_eq!(mask("sqlite:app.db"), "sqlite:app.db");
        let shown = parse("postgres://bob:secret@db/x?schema=s").to_string();
        assert_eq!(shown, "postgres://bob:***@db/x (schema s)");
    }
}
