//! The one integration test binary (one link, as ripgrep does): golden cases for
//! generated migrations run against real SQLite databases, and the CLI.

mod cases;
mod cli;
mod util;
