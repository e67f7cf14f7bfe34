//! Integration tests of the MySQL backend against a real server: MySQL or MariaDB at
//! `WILDEBEEST_TEST_MYSQL_URL` (e.g. `mysql://root@127.0.0.1:3306/test`). Each test
//! works in a database of its own, dropped when it ends; without the variable every
//! test says it is skipped and passes.

mod enums;
mod flow;
mod inspect;
mod lock;
mod progress;
mod roundtrip;
mod runner;
mod strict;
mod type_changes;
mod util;
mod version;
