//! Integration tests of `wildebeest-schema` through its public API (one binary, as
//! ripgrep does, to keep link time low).

mod diff_props;
mod rename_props;
