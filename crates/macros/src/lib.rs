//! The procedural macros of wildebeest, re-exported by the `wildebeest` crate: use
//! them as `wildebeest::embed_migrations!`. A proc-macro crate must stand alone, so
//! this one only reads and validates; the types its expansion names are
//! `wildebeest`'s.
//!
//! `embed_migrations!` uses no `syn` or `quote`: its input is one string literal, and
//! the expansion is Rust text parsed back into tokens. The derives
//! (`#[derive(Table)]`, `#[derive(Enum)]`, in `derive`) read whole items with their
//! attributes, which is `syn`'s job.

use std::path::Path;

use proc_macro::{Delimiter, Group, Ident, Literal, Punct, Spacing, Span, TokenStream, TokenTree};
use wildebeest_revision::{DirError, RevisionGraph, SUM_FILE, SumFile};

mod derive;

/// Describes a struct as a table: see `wildebeest::Table` and docs/models.md.
#[proc_macro_derive(Table, attributes(wildebeest))]
pub fn derive_table(input: TokenStream) -> TokenStream {
    let input = syn::parse_macro_input!(input as syn::DeriveInput);
    derive::table(&input)
        .unwrap_or_else(syn::Error::into_compile_error)
        .into()
}

/// Describes a fieldless enum as an enum type: see `wildebeest::Enum`.
#[proc_macro_derive(Enum, attributes(wildebeest))]
pub fn derive_enum(input: TokenStream) -> TokenStream {
    let input = syn::parse_macro_input!(input as syn::DeriveInput);
    derive::enumeration(&input)
        .unwrap_or_else(syn::Error::into_compile_error)
        .into()
}

/// Compiles a migrations folder into the program as a `wildebeest::Migrator`.
///
/// See `wildebeest::embed_migrations!` for the documentation and an example.
#[proc_macro]
pub fn embed_migrations(input: TokenStream) -> TokenStream {
    let (folder, span) = match folder_argument(input) {
        Ok(found) => found,
        Err((message, span)) => return compile_error(&message, span),
    };
    let Some(manifest_dir) = std::env::var_os("CARGO_MANIFEST_DIR") else {
        return compile_error(
            "embed_migrations!: CARGO_MANIFEST_DIR is not set; build with cargo, which sets it",
            span,
        );
    };
    let dir = Path::new(&manifest_dir).join(&folder);
    match expand(&folder, &dir) {
        Ok(code) => code
            .parse()
            .unwrap_or_else(|e| compile_error(&format!("embed_migrations!: {e}"), span)),
        Err(message) => compile_error(&message, span),
    }
}

/// The folder named by the macro's one argument, a string literal (`"migrations"`
/// when there is none), and where to point errors.
fn folder_argument(input: TokenStream) -> Result<(String, Span), (String, Span)> {
    let tokens: Vec<TokenTree> = input.into_iter().collect();
    let usage = "embed_migrations! takes the migrations folder as a string literal, relative to the crate's Cargo.toml: embed_migrations!(\"migrations\")";
    match tokens.as_slice() {
        [] => Ok(("migrations".to_string(), Span::call_site())),
        [TokenTree::Literal(lit)] => match string_literal(&lit.to_string()) {
            Some(text) if !text.is_empty() => Ok((text, lit.span())),
            _ => Err((usage.to_string(), lit.span())),
        },
        [first, ..] => Err((usage.to_string(), first.span())),
    }
}

/// The text of a string literal without escapes (`"a/b"`, `r"a\b"`, `r#"a"#`), which
/// is every path worth writing; `None` for anything else.
fn string_literal(lit: &str) -> Option<String> {
    if let Some(raw) = lit.strip_prefix('r') {
        let hashes = raw.len() - raw.trim_start_matches('#').len();
        let body = raw.get(hashes..raw.len().checked_sub(hashes)?)?;
        let inner = body.strip_prefix('"')?.strip_suffix('"')?;
        return Some(inner.to_string());
    }
    let inner = lit.strip_prefix('"')?.strip_suffix('"')?;
    (!inner.contains('\\')).then(|| inner.to_string())
}

/// The expansion for the migrations in `dir` (shown as `folder`), or every reason the
/// folder cannot be embedded: the files' header and section errors, the graph's, and
/// a missing or stale `wildebeest.sum`.
fn expand(folder: &str, dir: &Path) -> Result<String, String> {
    let migrations = wildebeest_revision::load_dir(dir).map_err(|e| match e {
        DirError::Files(errors) => errors
            .iter()
            .map(|e| e.to_string())
            .collect::<Vec<_>>()
            .join("\n"),
        other => other.to_string(),
    })?;
    let graph = RevisionGraph::new(&migrations).map_err(|e| format!("{}: {e}", dir.display()))?;
    let sum_path = dir.join(SUM_FILE);
    let actual = SumFile::new(&migrations, &graph);
    let sum_exists = match wildebeest_revision::read_regular_to_string(&sum_path) {
        Ok(text) => {
            let recorded =
                SumFile::parse(&text).map_err(|e| format!("{}: {e}", sum_path.display()))?;
            let differences = recorded.differences(&actual);
            if !differences.is_empty() {
                let list: Vec<String> = differences.iter().map(|d| format!("  {d}")).collect();
                return Err(format!(
                    "{} is stale (run `wildebeest rehash` once the migrations are as intended):\n{}",
                    sum_path.display(),
                    list.join("\n")
                ));
            }
            true
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && migrations.is_empty() => false,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(format!(
                "{} is missing: run `wildebeest rehash` and commit it with the migrations",
                sum_path.display()
            ));
        }
        Err(e) => return Err(format!("cannot read {}: {e}", sum_path.display())),
    };
    let mut code = String::from("{\n");
    // Cargo rebuilds the crate when a file the expansion includes changes: every
    // migration below, and the sum file, which every command that adds, removes or
    // changes a migration rewrites.
    if sum_exists {
        code += &format!(
            "    const _: &[u8] = ::core::include_bytes!({});\n",
            path_literal(&sum_path)?
        );
    }
    // The folder's absolute path where the crate is compiled: commands that write
    // migration files (an application's `db migrate`) write there.
    code += &format!(
        "    ::wildebeest::Migrator::embedded_from({folder:?}, {}, &[\n",
        path_literal(dir)?
    );
    for m in &migrations {
        let name = m
            .path
            .file_name()
            .and_then(|n| n.to_str())
            .ok_or_else(|| format!("{}: the file name is not UTF-8", m.path.display()))?;
        code += &format!(
            "        ::wildebeest::EmbeddedMigration::new({name:?}, ::core::include_str!({})),\n",
            path_literal(&m.path)?
        );
    }
    code += "    ])\n}";
    Ok(code)
}

/// `path` as a Rust string literal.
fn path_literal(path: &Path) -> Result<String, String> {
    path.to_str()
        .map(|p| format!("{p:?}"))
        .ok_or_else(|| format!("{}: the path is not UTF-8", path.display()))
}

/// `compile_error!("message")`, pointing at `span`.
fn compile_error(message: &str, span: Span) -> TokenStream {
    let mut literal = Literal::string(message);
    literal.set_span(span);
    let mut bang = Punct::new('!', Spacing::Alone);
    bang.set_span(span);
    let mut group = Group::new(
        Delimiter::Parenthesis,
        TokenStream::from(TokenTree::Literal(literal)),
    );
    group.set_span(span);
    [
        TokenTree::Ident(Ident::new("compile_error", span)),
        TokenTree::Punct(bang),
        TokenTree::Group(group),
    ]
    .into_iter()
    .collect()
}

#[cfg(test)]
mod tests {
    use super::string_literal;

    #[test]
    fn string_literals_without_escapes_are_read() {
        assert_eq!(string_literal("\"migrations\""), Some("migrations".into()));
        assert_eq!(string_literal("r\"db\\m\""), Some("db\\m".into()));
        assert_eq!(string_literal("r#\"a\"b\"#"), Some("a\"b".into()));
        assert_eq!(string_literal("\"a\\nb\""), None);
        assert_eq!(string_literal("42"), None);
        assert_eq!(string_literal("b\"m\""), None);
    }
}
