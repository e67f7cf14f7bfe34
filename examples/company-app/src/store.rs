//! The application's queries, on whichever database the URL names.

use mysql::prelude::Queryable;

use crate::models::Employee;

type Result<T> = std::result::Result<T, Box<dyn std::error::Error>>;

/// A connection to the company database.
pub enum Store {
    Sqlite(rusqlite::Connection),
    Postgres(postgres::Client),
    Mysql(mysql::Conn),
}

impl Store {
    /// Connects to the database `url` names (as wildebeest reads it: a SQLite path
    /// relative to the current folder, PostgreSQL's `?schema=NAME`).
    pub fn open(url: &str) -> Result<Store> {
        let cwd = std::env::current_dir()?;
        Ok(match wildebeest::DatabaseUrl::parse(url, &cwd)? {
            wildebeest::DatabaseUrl::SqliteFile(path) => {
                Store::Sqlite(rusqlite::Connection::open(path)?)
            }
            wildebeest::DatabaseUrl::SqliteMemory => {
                return Err("an in-memory SQLite database keeps nothing between runs".into());
            }
            wildebeest::DatabaseUrl::Postgres { url, schema } => {
                let mut client = postgres::Client::connect(&url, postgres::NoTls)?;
                if let Some(schema) = schema {
                    let quoted = format!("\"{}\"", schema.replace('"', "\"\""));
                    client.batch_execute(&format!("SET search_path TO {quoted}"))?;
                }
                Store::Postgres(client)
            }
            wildebeest::DatabaseUrl::Mysql { url } => {
                Store::Mysql(mysql::Conn::new(mysql::Opts::from_url(&url)?)?)
            }
        })
    }

    /// Adds an employee; returns the id the database gave it.
    pub fn add_employee(&mut self, name: &str, salary: Option<i32>) -> Result<i32> {
        const INSERT: &str = "INSERT INTO employees (name, salary) VALUES ";
        Ok(match self {
            Store::Sqlite(c) => {
                c.execute(
                    &format!("{INSERT}(?1, ?2)"),
                    rusqlite::params![name, salary],
                )?;
                i32::try_from(c.last_insert_rowid())?
            }
            Store::Postgres(c) => c
                .query_one(&format!("{INSERT}($1, $2) RETURNING id"), &[&name, &salary])?
                .try_get(0)?,
            Store::Mysql(c) => {
                c.exec_drop(format!("{INSERT}(?, ?)"), (name, salary))?;
                i32::try_from(c.last_insert_id())?
            }
        })
    }

    /// Every employee, by id.
    pub fn employees(&mut self) -> Result<Vec<Employee>> {
        const SELECT: &str = "SELECT id, name, salary FROM employees ORDER BY id";
        Ok(match self {
            Store::Sqlite(c) => c
                .prepare(SELECT)?
                .query_map([], |r| {
                    Ok(Employee {
                        id: r.get(0)?,
                        name: r.get(1)?,
                        salary: r.get(2)?,
                    })
                })?
                .collect::<rusqlite::Result<_>>()?,
            Store::Postgres(c) => c
                .query(SELECT, &[])?
                .iter()
                .map(|r| {
                    Ok(Employee {
                        id: r.try_get(0)?,
                        name: r.try_get(1)?,
                        salary: r.try_get(2)?,
                    })
                })
                .collect::<std::result::Result<_, postgres::Error>>()?,
            Store::Mysql(c) => {
                c.query_map(SELECT, |(id, name, salary)| Employee { id, name, salary })?
            }
        })
    }
}
