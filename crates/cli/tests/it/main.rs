//! The one integration test binary (one link, as ripgrep does): golden cases for
//! generated migrations run against real databases, rename cases, the terminal
//! prompt, the CLI, and the PostgreSQL and MySQL servers.

mod adopt;
mod bad_inputs;
mod cases;
mod check_fidelity;
mod cli;
mod constraint_renames;
mod crash;
mod credentials;
mod db_command;
mod db_subcommand;
mod dump_round_trips;
mod embedded;
mod enums;
mod failures;
mod fidelity_props;
mod fk_cycles;
mod full_disk;
mod habits;
mod header_cache;
mod hostile_names;
mod hostile_props;
mod index_fidelity;
mod messages;
mod models;
mod mysql_fidelity;
mod on_servers;
mod oracle;
mod output;
mod outside;
mod pg_dump;
mod prompt;
mod renames;
mod resume;
mod servers;
mod special_files;
mod sqlite_conversions;
mod sqlite_declared_types;
mod sqlite_rebuilds;
mod teams;
mod timeouts;
mod unfollowed_drops;
mod unmodeled;
mod util;
mod views;
