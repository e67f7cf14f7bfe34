//! Test databases on the PostgreSQL and MySQL/MariaDB servers named by
//! `WILDEBEEST_TEST_POSTGRES_URL` and `WILDEBEEST_TEST_MYSQL_URL`.
//!
//! Each test gets its own PostgreSQL schema or MySQL database, dropped when the
//! [`TestDb`] is dropped, so tests run in parallel and leave nothing behind. When a
//! variable is unset the test prints that it was skipped and passes.

use std::sync::atomic::{AtomicU32, Ordering};

use mysql::prelude::Queryable;

/// Which server.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Server {
    Postgres,
    Mysql,
}

impl Server {
    pub const ALL: [Server; 2] = [Server::Postgres, Server::Mysql];

    fn var(self) -> &'static str {
        match self {
            Server::Postgres => "WILDEBEEST_TEST_POSTGRES_URL",
            Server::Mysql => "WILDEBEEST_TEST_MYSQL_URL",
        }
    }
}

/// A private schema (PostgreSQL) or database (MySQL) for one test.
pub struct TestDb {
    pub server: Server,
    /// The name of the schema or database.
    pub name: String,
    /// The URL to give wildebeest (`--database-url`).
    pub url: String,
    admin: String,
}

static COUNTER: AtomicU32 = AtomicU32::new(0);

fn unique_name(test: &str) -> String {
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    let short: String = test
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .take(20)
        .collect();
    format!(
        "wb_{}_{}_{n}_{nanos:x}",
        short.to_ascii_lowercase(),
        std::process::id()
    )
}

impl TestDb {
    /// A fresh schema or database, or `None` (with a note) when the server's
    /// variable is not set.
    pub fn new(server: Server, test: &str) -> Option<TestDb> {
        let admin = wildebeest_testkit::server_url(server.var())?;
        let name = unique_name(test);
        let url = match server {
            Server::Postgres => {
                let mut c = postgres::Client::connect(&admin, postgres::NoTls)
                    .expect("connect to PostgreSQL");
                c.batch_execute(&format!("CREATE SCHEMA \"{name}\""))
                    .expect("create schema");
                let sep = if admin.contains('?') { '&' } else { '?' };
                format!("{admin}{sep}schema={name}")
            }
            Server::Mysql => {
                let mut c = mysql::Conn::new(mysql::Opts::from_url(&admin).expect("MySQL URL"))
                    .expect("connect to MySQL");
                c.query_drop(format!("CREATE DATABASE `{name}`"))
                    .expect("create database");
                let base = admin.rsplit_once('/').map(|(b, _)| b).unwrap_or(&admin);
                format!("{base}/{name}")
            }
        };
        Some(TestDb {
            server,
            name,
            url,
            admin,
        })
    }

    /// Runs `sql` in the test's schema or database and returns every row as text
    /// (NULL as `NULL`).
    pub fn rows(&self, sql: &str) -> Vec<Vec<String>> {
        match self.server {
            Server::Postgres => {
                let mut c = postgres::Client::connect(&self.admin, postgres::NoTls).unwrap();
                c.batch_execute(&format!("SET search_path TO \"{}\"", self.name))
                    .unwrap();
                let rows = c.simple_query(sql).unwrap();
                rows.into_iter()
                    .filter_map(|m| match m {
                        postgres::SimpleQueryMessage::Row(r) => Some(
                            (0..r.len())
                                .map(|i| r.get(i).unwrap_or("NULL").to_string())
                                .collect(),
                        ),
                        _ => None,
                    })
                    .collect()
            }
            Server::Mysql => {
                let mut c = mysql::Conn::new(mysql::Opts::from_url(&self.url).unwrap()).unwrap();
                let rows: Vec<mysql::Row> = c.query(sql).unwrap();
                rows.into_iter()
                    .map(|r| {
                        (0..r.len())
                            .map(|i| match r.as_ref(i) {
                                Some(mysql::Value::NULL) | None => "NULL".to_string(),
                                Some(mysql::Value::Bytes(b)) => {
                                    String::from_utf8_lossy(b).into_owned()
                                }
                                Some(v) => v.as_sql(true).trim_matches('\'').to_string(),
                            })
                            .collect()
                    })
                    .collect()
            }
        }
    }

    /// Runs statements in the test's schema or database.
    pub fn execute(&self, sql: &str) {
        match self.server {
            Server::Postgres => {
                let mut c = postgres::Client::connect(&self.admin, postgres::NoTls).unwrap();
                c.batch_execute(&format!("SET search_path TO \"{}\"; {sql}", self.name))
                    .unwrap();
            }
            Server::Mysql => {
                let mut c = mysql::Conn::new(mysql::Opts::from_url(&self.url).unwrap()).unwrap();
                c.query_drop(sql).unwrap();
            }
        }
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        match self.server {
            Server::Postgres => {
                if let Ok(mut c) = postgres::Client::connect(&self.admin, postgres::NoTls) {
                    let _ = c
                        .batch_execute(&format!("DROP SCHEMA IF EXISTS \"{}\" CASCADE", self.name));
                }
            }
            Server::Mysql => {
                let conn = mysql::Opts::from_url(&self.admin)
                    .ok()
                    .and_then(|o| mysql::Conn::new(o).ok());
                if let Some(mut c) = conn {
                    let _ = c.query_drop(format!("DROP DATABASE IF EXISTS `{}`", self.name));
                }
            }
        }
    }
}
