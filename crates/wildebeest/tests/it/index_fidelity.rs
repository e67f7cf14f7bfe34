//! Indexes and constraints reach the database as `schema.sql` writes them, or are
//! refused by name with their line: never built weaker (an index without `NULLS NOT
//! DISTINCT` accepts duplicate NULL rows) and never passed over.

use predicates::prelude::*;
use predicates::str::contains;

use crate::util::TempProject;

/// A PostgreSQL project; `migrate` needs no server.
fn postgres_project() -> TempProject {
    let p = TempProject::init();
    p.write(
        "wildebeest.toml",
        "database_url = \"postgres://postgres@127.0.0.1:5432/test\"\n",
    );
    p
}

/// `migrate` on `schema` exits 2 with `message` and writes nothing.
fn refused(schema: &str, message: &str) {
    let p = postgres_project();
    p.write("schema.sql", schema);
    p.cmd(&["migrate", "-m", "one"])
        .assert()
        .code(2)
        .stderr(contains(message))
        .stderr(contains("warning").not());
    assert!(p.migrations().is_empty());
}

#[test]
fn a_nulls_not_distinct_index_is_refused_by_name_not_built_accepting_duplicate_nulls() {
    refused(
        "CREATE TABLE t (a int);\nCREATE UNIQUE INDEX t_a ON t (a) NULLS NOT DISTINCT;\n",
        "schema.sql:2:21: index `t_a`: `NULLS NOT DISTINCT` is not modeled, so the index would be created without it",
    );
}

#[test]
fn an_index_with_storage_parameters_is_refused_by_name_not_built_without_them() {
    refused(
        "CREATE TABLE t (a int);\nCREATE INDEX t_a ON t (a) WITH (fillfactor=70);\n",
        "schema.sql:2:14: index `t_a`: `WITH (fillfactor = 70)` is not modeled, so the index would be created without it",
    );
}

#[test]
fn an_explicit_nulls_distinct_index_is_the_plain_one() {
    let p = postgres_project();
    p.write(
        "schema.sql",
        "CREATE TABLE t (a int);\nCREATE UNIQUE INDEX t_a ON t (a) NULLS DISTINCT;\n",
    );
    p.cmd(&["migrate", "-m", "one"]).assert().success();
    assert_eq!(p.migrations().len(), 1);
}

#[test]
fn an_added_deferrable_unique_constraint_is_refused_by_name_not_skipped() {
    refused(
        "CREATE TABLE a (x int);\nALTER TABLE a ADD CONSTRAINT k UNIQUE (x) DEFERRABLE;\n",
        "schema.sql:2:13: `ADD CONSTRAINT k UNIQUE (x) DEFERRABLE` cannot be modeled",
    );
}

#[test]
fn a_deferrable_unique_or_primary_key_in_create_table_is_refused_not_made_immediate() {
    refused(
        "CREATE TABLE a (x int, CONSTRAINT k UNIQUE (x) DEFERRABLE INITIALLY DEFERRED);\n",
        "schema.sql:1: table `a` is new and has `CONSTRAINT k UNIQUE (x) DEFERRABLE \
         INITIALLY DEFERRED`, which the model cannot hold",
    );
    refused(
        "CREATE TABLE a (x int PRIMARY KEY DEFERRABLE);\n",
        "schema.sql:1: table `a` is new and has `column x: PRIMARY KEY DEFERRABLE`",
    );
}
