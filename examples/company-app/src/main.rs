//! The tutorial's company database as a Rust application: its tables are the structs
//! of `models.rs`, its migrations (written by `company-app db migrate`) are compiled
//! in and applied at start-up, and `company-app db ...` runs the wildebeest commands
//! on them.
//!
//! ```text
//! company-app add-employee "Ada Lovelace" --salary 5000
//! company-app list
//! company-app db current
//! ```
//!
//! The database is `DATABASE_URL` (SQLite, PostgreSQL or MySQL/MariaDB), else
//! `sqlite:company.db` in the current folder.

mod models;
mod store;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// The migrations folder, read and checked at compile time.
static MIGRATOR: wildebeest::Migrator = wildebeest::embed_migrations!("migrations");

/// The database when `DATABASE_URL` is not set.
const DEFAULT_URL: &str = "sqlite:company.db";

/// The company's employees.
#[derive(Parser)]
#[command(name = "company-app", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Add an employee; prints its id.
    AddEmployee {
        /// The employee's name.
        name: String,
        /// The monthly salary.
        #[arg(long)]
        salary: Option<i32>,
    },
    /// List the employees, by id.
    List,
    /// The database's migrations: upgrade, current, check, migrate -m MESSAGE, ...
    Db(wildebeest_cli::db::DbCommand),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let url = std::env::var("DATABASE_URL").unwrap_or_else(|_| DEFAULT_URL.to_string());
    match cli.command {
        Command::Db(mut db) => {
            if std::env::var_os("DATABASE_URL").is_none() {
                db.database_url
                    .get_or_insert_with(|| DEFAULT_URL.to_string());
            }
            db.run(&MIGRATOR, &models::models())
        }
        command => match run(command, &url) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("error: {e}");
                ExitCode::from(2)
            }
        },
    }
}

fn run(command: Command, url: &str) -> Result<(), Box<dyn std::error::Error>> {
    // The schema the code expects, before anything else touches the database.
    let report = MIGRATOR.upgrade(url)?;
    for run in &report.revisions {
        eprintln!("applied {} {}", run.revision, run.message);
    }
    let mut store = store::Store::open(url)?;
    match command {
        Command::AddEmployee { name, salary } => {
            let id = store.add_employee(&name, salary)?;
            println!("{id}");
        }
        Command::List => {
            for e in store.employees()? {
                let salary = e.salary.map_or("-".to_string(), |s| s.to_string());
                println!("{}\t{}\t{}", e.id, e.name, salary);
            }
        }
        Command::Db(_) => unreachable!("main runs db"),
    }
    Ok(())
}
