//! Applies revisions to a database through the [`Backend`] trait.

mod backend;

pub use backend::*;
