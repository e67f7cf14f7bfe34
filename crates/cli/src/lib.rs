//! The `wildebeest` command-line tool: the modules of the binary (`src/main.rs`),
//! a library so that the integration tests can call them.
//!
//! The tool is a client of the [`wildebeest`] library: it resolves flags, the
//! `wildebeest.toml` file and the environment into a [`config::Config`], runs a
//! command, and owns every word it prints and every exit status (0 ok, 1 differences
//! found or work pending, 2 error). The library prints nothing and never exits.
//!
//! - [`cli`]: the command line as clap parses it (no IO).
//! - [`config`]: `wildebeest.toml`, `DATABASE_URL` and `--database-url`, resolved.
//! - [`app`]: one function per command.
//! - [`inspect`]: `inspect` and `init --from-database`, adopting a database.
//! - [`teams`]: branches, merges and `wildebeest.sum`.
//! - [`renames`]: `--rename` flags, candidates and the terminal prompt.
//! - [`redact`]: passwords out of everything printed.
//! - [`output`]: `--format json` and the progress of `upgrade` and `downgrade`.
//! - [`status`]: `status`, every revision applied or pending.
//! - [`style`]: colour and SQL highlighting; [`lanes`]: the graph `history --graph` draws.

pub mod app;
pub mod cli;
pub mod command;
pub mod config;
pub mod db;
pub mod inspect;
pub mod lanes;
pub mod output;
pub mod redact;
pub mod renames;
pub mod rust_models;
pub mod status;
pub mod style;
pub mod teams;
