//! `wildebeest-bench-sqlite DB FILE`: runs the SQL of FILE against the SQLite database
//! DB through the bundled SQLite library wildebeest itself links (the workspace's
//! `rusqlite`), as `sqlite3 DB < FILE` would, stopping at the first error.
//! `wildebeest-bench-sqlite --version` prints that library's release.
//!
//! The raw SQLite baselines of the benchmark suite run through this program rather
//! than the system's `sqlite3` shell, whose release differs from the bundled one:
//! comparing two SQLite releases measured SQLite, not wildebeest.

use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.as_slice() {
        [flag] if flag == "--version" => {
            println!("{}", rusqlite::version());
            ExitCode::SUCCESS
        }
        [db, file] => match run(db, file) {
            Ok(()) => ExitCode::SUCCESS,
            Err(err) => {
                eprintln!("error: {file}: {err}");
                ExitCode::from(2)
            }
        },
        _ => {
            eprintln!("usage: wildebeest-bench-sqlite DB FILE | --version");
            ExitCode::from(2)
        }
    }
}

fn run(db: &str, file: &str) -> Result<(), Box<dyn std::error::Error>> {
    let sql = std::fs::read_to_string(file)?;
    let conn = rusqlite::Connection::open(db)?;
    conn.execute_batch(&sql)?;
    conn.close().map_err(|(_, e)| e)?;
    Ok(())
}
