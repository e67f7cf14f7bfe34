//! Integration tests of the PostgreSQL backend against a real server, named by
//! `WILDEBEEST_TEST_POSTGRES_URL` (e.g. `postgres://postgres@127.0.0.1:5432/test`).
//! Without it each test says it is skipped and passes. Every test works in a schema
//! of its own, dropped when it ends, so they run in parallel and leave nothing behind.

mod casts;
mod connect;
mod enums;
mod flow;
mod inspect;
mod lock;
mod loss;
mod roundtrip;
mod runner;
mod type_changes;
mod util;
mod version;
