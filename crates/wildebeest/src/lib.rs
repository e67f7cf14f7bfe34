//! wildebeest: schema migrations from plain SQL.
//!
//! The desired schema is `schema.sql`; `migrate` diffs it against the schema that the
//! existing migration files produce (replayed through the model, no database needed)
//! and writes a new migration; `upgrade` and `downgrade` run migrations through a
//! backend. This crate is the facade: settings ([`config`]), URLs ([`url`]), passwords
//! kept out of messages ([`redact`]), and the
//! commands ([`app`]; branches, merges, `wildebeest.sum` and offline scripts in
//! [`teams`]); the binary in `main.rs` parses flags and maps outcomes to exit
//! statuses.

pub mod app;
pub mod cli;
pub mod config;
pub mod lanes;
pub mod redact;
pub mod renames;
pub mod style;
pub mod teams;
pub mod url;
