//! Integration tests of the SQLite backend against real database files.

mod flow;
mod lock;
mod loss_guard;
mod open;
mod rebuild;
mod roundtrip;
mod util;
mod version;
