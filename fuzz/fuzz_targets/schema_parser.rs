//! `parse_schema` in each dialect (the first byte chooses it).
//!
//! Invariants checked beyond "no panic":
//! - an error names a line and column inside the file;
//! - a parsed schema has no difference from itself;
//! - the diff from an empty schema, applied op by op to an empty schema, rebuilds a
//!   schema with no difference from the parsed one (the contract of `diff`), and the
//!   inverted ops applied in reverse order bring it back to empty.
#![no_main]

use libfuzzer_sys::fuzz_target;
use wildebeest_schema::{Hints, Schema, diff};
use wildebeest_sql::parse_schema;

#[path = "common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    let Some((dialect, text)) = common::dialect_and_text(data) else {
        return;
    };
    let schema = match parse_schema(&text, "schema.sql", dialect) {
        Ok((schema, _warnings)) => schema,
        Err(e) => {
            common::assert_position_in(&text, e.line, e.column, &e.to_string());
            return;
        }
    };
    let hints = Hints::default();
    assert!(
        diff(&schema, &schema, &hints).is_empty(),
        "a schema differs from itself: {schema:#?}"
    );

    let empty = Schema::new();
    let ops = diff(&empty, &schema, &hints);
    let mut built = Schema::new();
    for op in &ops {
        if let Err(e) = op.apply(&mut built) {
            panic!("diff op {op:?} does not apply: {e}");
        }
    }
    let left = diff(&built, &schema, &hints);
    assert!(left.is_empty(), "after applying the diff, still: {left:?}");

    for op in ops.iter().rev() {
        let inverse = op.invert();
        if let Err(e) = inverse.apply(&mut built) {
            panic!("inverse {inverse:?} of {op:?} does not apply: {e}");
        }
    }
    let left = diff(&built, &empty, &hints);
    assert!(left.is_empty(), "after the inverses, still: {left:?}");
});
