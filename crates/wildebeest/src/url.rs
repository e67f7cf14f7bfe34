//! Database URLs in the forms users bring from SQLAlchemy and sqlx.

use std::fmt;
use std::path::{Path, PathBuf};

use anyhow::{Result, bail};

/// A parsed database URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DatabaseUrl {
    /// A SQLite database file (absolute: relative paths are resolved against the
    /// project root).
    SqliteFile(PathBuf),
    /// A private in-memory SQLite database (gone when the command ends).
    SqliteMemory,
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
            "postgres" | "postgresql" => {
                bail!(
                    "`{}`: PostgreSQL is not supported yet; this version runs on SQLite",
                    mask(url)
                )
            }
            "mysql" | "mariadb" => {
                bail!(
                    "`{}`: MySQL/MariaDB is not supported yet; this version runs on SQLite",
                    mask(url)
                )
            }
            _ => bail!(
                "`{}`: unknown database kind `{scheme}`; use a sqlite: URL",
                mask(url)
            ),
        }
    }
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

/// `url` with any password replaced by `***`.
pub fn mask(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_string();
    };
    let authority_end = rest.find('/').unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(authority_end);
    match authority.rsplit_once('@') {
        Some((userinfo, host)) => match userinfo.split_once(':') {
            Some((user, _)) => format!("{scheme}://{user}:***@{host}{tail}"),
            None => url.to_string(),
        },
        None => url.to_string(),
    }
}

impl fmt::Display for DatabaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DatabaseUrl::SqliteFile(p) => write!(f, "sqlite:{}", p.display()),
            DatabaseUrl::SqliteMemory => f.write_str("sqlite::memory:"),
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
    fn bad_urls_say_what_is_wrong_and_never_show_a_password() {
        let err = |u: &str| {
            DatabaseUrl::parse(u, Path::new("/p"))
                .unwrap_err()
                .to_string()
        };
        assert!(err("app.db").contains("is not a database URL"));
        assert!(err("oracle://x").contains("unknown database kind `oracle`"));
        let e = err("postgres://bob:secret@db/x");
        assert!(e.contains("bob:***@db") && !e.contains("secret"), "{e}");
        assert!(err("sqlite:app.db?cache=shared").contains("cache=shared"));
    }
}
