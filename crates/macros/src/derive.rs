//! `#[derive(Table)]` and `#[derive(Enum)]`: a struct's fields and `#[wildebeest(...)]`
//! attributes read into the description types of `wildebeest::models`.
//!
//! The macro knows field types by their path (`i64`, `String`, `chrono::NaiveDate`,
//! `uuid::Uuid`, ...), so an application needs none of those crates for it to work,
//! and this crate depends on none of them. A type it does not know is asked for its
//! `wildebeest::Enum` description, whose missing implementation is the compile error
//! that tells the user to derive it or to write `sql_type`. Every misspelled or
//! misplaced attribute is a compile error at its span.

use proc_macro2::{Span, TokenStream};
use quote::quote;
use syn::spanned::Spanned;
use syn::{Data, DeriveInput, Error, Fields, GenericArgument, LitInt, LitStr, PathArguments, Type};

/// What a struct's attributes say.
#[derive(Default)]
struct TableAttrs {
    table: Option<String>,
    renamed_from: Option<String>,
    primary_key: Vec<syn::Ident>,
    uniques: Vec<Key>,
    indexes: Vec<Key>,
    checks: Vec<String>,
}

/// `unique(a, b, name = "x")` or `index(...)` on the struct.
struct Key {
    name: Option<String>,
    columns: Vec<syn::Ident>,
    span: Span,
}

/// What a field's attributes say.
#[derive(Default)]
struct FieldAttrs {
    column: Option<String>,
    primary_key: bool,
    auto_increment: bool,
    unique: bool,
    index: bool,
    default: Option<String>,
    references: Option<String>,
    on_delete: Option<String>,
    on_update: Option<String>,
    check: Option<String>,
    sql_type: Option<String>,
    max_length: Option<u32>,
    renamed_from: Option<String>,
}

/// The expansion of `#[derive(Table)]`, or the first error with its span.
pub fn table(input: &DeriveInput) -> Result<TokenStream, Error> {
    let Data::Struct(data) = &input.data else {
        return Err(Error::new(
            input.ident.span(),
            "#[derive(wildebeest::Table)] is for a struct with named fields; derive wildebeest::Enum for an enum",
        ));
    };
    let Fields::Named(fields) = &data.fields else {
        return Err(Error::new(
            input.ident.span(),
            "#[derive(wildebeest::Table)] needs named fields: each field is a column",
        ));
    };
    if !input.generics.params.is_empty() {
        return Err(Error::new(
            input.generics.span(),
            "#[derive(wildebeest::Table)] does not take generic parameters: a table has one set of column types",
        ));
    }
    let attrs = table_attrs(input)?;
    let name = attrs
        .table
        .clone()
        .unwrap_or_else(|| snake_case(&input.ident.to_string()));
    let mut columns = Vec::new();
    let mut names: Vec<(String, String)> = Vec::new(); // (field, column)
    for field in &fields.named {
        let ident = field.ident.as_ref().expect("named field");
        let fa = field_attrs(field)?;
        let field_name = ident.to_string();
        let field_name = field_name
            .strip_prefix("r#")
            .unwrap_or(&field_name)
            .to_string();
        let column = fa.column.clone().unwrap_or_else(|| field_name.clone());
        if let Some((other, _)) = names.iter().find(|(_, c)| *c == column) {
            return Err(Error::new(
                ident.span(),
                format!("column `{column}` is named twice (fields `{other}` and `{field_name}`)"),
            ));
        }
        names.push((field_name.clone(), column.clone()));
        columns.push(column_tokens(field, &fa, &column, &field_name)?);
    }
    let resolve = |idents: &[syn::Ident]| -> Result<Vec<String>, Error> {
        idents
            .iter()
            .map(|i| {
                // `primary_key(r#type)` names the field `type`, as the fields' own
                // names are kept without `r#`.
                let want = i.to_string();
                let want = want.strip_prefix("r#").unwrap_or(&want).to_string();
                names
                    .iter()
                    .find(|(f, _)| *f == want)
                    .map(|(_, c)| c.clone())
                    .ok_or_else(|| {
                        Error::new(i.span(), format!("the struct has no field `{want}`"))
                    })
            })
            .collect()
    };
    let primary_key = resolve(&attrs.primary_key)?;
    let key_tokens = |keys: &[Key]| -> Result<Vec<TokenStream>, Error> {
        keys.iter()
            .map(|k| {
                if k.columns.is_empty() {
                    return Err(Error::new(k.span, "name at least one field"));
                }
                let cols = resolve(&k.columns)?;
                let name = option_string(&k.name);
                Ok(quote! {
                    ::wildebeest::models::KeyDef {
                        name: #name,
                        columns: ::std::vec![#(::std::string::String::from(#cols)),*],
                    }
                })
            })
            .collect()
    };
    let uniques = key_tokens(&attrs.uniques)?;
    let indexes = key_tokens(&attrs.indexes)?;
    let checks = &attrs.checks;
    let renamed_from = option_string(&attrs.renamed_from);
    let ident = &input.ident;
    let rust_name = ident.to_string();
    Ok(quote! {
        impl ::wildebeest::Table for #ident {
            fn table_def() -> ::wildebeest::models::TableDef {
                ::wildebeest::models::TableDef {
                    name: ::std::string::String::from(#name),
                    rust_name: #rust_name,
                    renamed_from: #renamed_from,
                    columns: ::std::vec![#(#columns),*],
                    primary_key: ::std::vec![#(::std::string::String::from(#primary_key)),*],
                    uniques: ::std::vec![#(#uniques),*],
                    indexes: ::std::vec![#(#indexes),*],
                    checks: ::std::vec![#(::std::string::String::from(#checks)),*],
                }
            }
        }
    })
}

fn option_string(value: &Option<String>) -> TokenStream {
    match value {
        Some(v) => quote!(::std::option::Option::Some(::std::string::String::from(#v))),
        None => quote!(::std::option::Option::None),
    }
}

fn table_attrs(input: &DeriveInput) -> Result<TableAttrs, Error> {
    let mut out = TableAttrs::default();
    for attr in input
        .attrs
        .iter()
        .filter(|a| a.path().is_ident("wildebeest"))
    {
        attr.parse_nested_meta(|meta| {
            let path = &meta.path;
            if path.is_ident("table") {
                out.table = Some(name_value(&meta)?);
            } else if path.is_ident("renamed_from") {
                out.renamed_from = Some(name_value(&meta)?);
            } else if path.is_ident("check") {
                out.checks.push(sql_value(&meta)?);
            } else if path.is_ident("primary_key") {
                if !out.primary_key.is_empty() {
                    return Err(meta.error("the primary key is given twice"));
                }
                let key = key_list(&meta, false)?;
                if key.columns.is_empty() {
                    return Err(meta.error("name the key's fields: primary_key(a, b)"));
                }
                out.primary_key = key.columns;
            } else if path.is_ident("unique") {
                out.uniques.push(key_list(&meta, true)?);
            } else if path.is_ident("index") {
                out.indexes.push(key_list(&meta, true)?);
            } else {
                return Err(meta.error(format!(
                    "unknown table attribute `{}`: expected table, renamed_from, primary_key(...), unique(...), index(...) or check",
                    path_text(path)
                )));
            }
            Ok(())
        })?;
    }
    Ok(out)
}

/// `(a, b, name = "x")`; `name` only where `named`.
fn key_list(meta: &syn::meta::ParseNestedMeta, named: bool) -> Result<Key, Error> {
    let span = meta.path.span();
    let mut key = Key {
        name: None,
        columns: Vec::new(),
        span,
    };
    if meta.input.is_empty() || meta.input.peek(syn::Token![,]) {
        return Err(meta.error(format!(
            "`{}` on a struct lists fields: {}(a, b)",
            path_text(&meta.path),
            path_text(&meta.path)
        )));
    }
    meta.parse_nested_meta(|inner| {
        if named && inner.path.is_ident("name") {
            key.name = Some(name_value(&inner)?);
        } else if let Some(ident) = inner.path.get_ident() {
            if !inner.input.is_empty() && !inner.input.peek(syn::Token![,]) {
                return Err(inner.error("expected a field name"));
            }
            key.columns.push(ident.clone());
        } else {
            return Err(inner.error("expected a field name"));
        }
        Ok(())
    })?;
    Ok(key)
}

fn field_attrs(field: &syn::Field) -> Result<FieldAttrs, Error> {
    let mut out = FieldAttrs::default();
    for attr in field
        .attrs
        .iter()
        .filter(|a| a.path().is_ident("wildebeest"))
    {
        attr.parse_nested_meta(|meta| {
            let p = &meta.path;
            let flag = |meta: &syn::meta::ParseNestedMeta| -> Result<bool, Error> {
                if meta.input.is_empty() || meta.input.peek(syn::Token![,]) {
                    Ok(true)
                } else {
                    Err(meta.error(format!(
                        "`{}` takes no value",
                        path_text(&meta.path)
                    )))
                }
            };
            if p.is_ident("primary_key") {
                out.primary_key = flag(&meta)?;
            } else if p.is_ident("auto_increment") {
                out.auto_increment = flag(&meta)?;
            } else if p.is_ident("unique") {
                out.unique = flag(&meta)?;
            } else if p.is_ident("index") {
                out.index = flag(&meta)?;
            } else if p.is_ident("column") {
                out.column = Some(name_value(&meta)?);
            } else if p.is_ident("renamed_from") {
                out.renamed_from = Some(name_value(&meta)?);
            } else if p.is_ident("default") {
                out.default = Some(sql_value(&meta)?);
            } else if p.is_ident("check") {
                out.check = Some(sql_value(&meta)?);
            } else if p.is_ident("sql_type") {
                out.sql_type = Some(sql_value(&meta)?);
            } else if p.is_ident("references") {
                let lit: LitStr = meta.value()?.parse()?;
                check_reference(&lit.value()).map_err(|m| Error::new(lit.span(), m))?;
                out.references = Some(lit.value());
            } else if p.is_ident("on_delete") || p.is_ident("on_update") {
                let lit: LitStr = meta.value()?.parse()?;
                let action = fk_action(&lit.value()).ok_or_else(|| {
                    Error::new(
                        lit.span(),
                        "expected cascade, restrict, set null, set default or no action",
                    )
                })?;
                if p.is_ident("on_delete") {
                    out.on_delete = Some(action);
                } else {
                    out.on_update = Some(action);
                }
            } else if p.is_ident("max_length") {
                let lit: LitInt = meta.value()?.parse()?;
                let n: u32 = lit.base10_parse()?;
                if n == 0 {
                    return Err(Error::new(lit.span(), "max_length must be at least 1"));
                }
                out.max_length = Some(n);
            } else {
                return Err(meta.error(format!(
                    "unknown field attribute `{}`: expected primary_key, auto_increment, unique, index, default, references, on_delete, on_update, check, sql_type, max_length, column or renamed_from",
                    path_text(p)
                )));
            }
            Ok(())
        })?;
    }
    if out.references.is_none()
        && let Some(span) = field
            .attrs
            .iter()
            .find(|a| a.path().is_ident("wildebeest"))
            .map(|a| a.span())
        && (out.on_delete.is_some() || out.on_update.is_some())
    {
        return Err(Error::new(
            span,
            "on_delete and on_update belong to a foreign key: add references = \"table(column)\"",
        ));
    }
    if out.sql_type.is_some() && out.max_length.is_some() {
        return Err(Error::new(
            field.span(),
            "max_length and sql_type both give the type: write the length in sql_type",
        ));
    }
    Ok(out)
}

/// `table` or `table(a, b)`, each a plain name.
fn check_reference(text: &str) -> Result<(), String> {
    let usage = "expected references = \"table\" or \"table(column, ...)\"";
    let (table, cols) = match text.split_once('(') {
        Some((t, rest)) => {
            let Some(cols) = rest.trim_end().strip_suffix(')') else {
                return Err(usage.into());
            };
            (t.trim(), Some(cols))
        }
        None => (text.trim(), None),
    };
    let plain = |s: &str| {
        !s.is_empty()
            && s.chars()
                .all(|c| c.is_alphanumeric() || c == '_' || c == '$')
    };
    if !plain(table) {
        return Err(usage.into());
    }
    if let Some(cols) = cols
        && !cols.split(',').all(|c| plain(c.trim()))
    {
        return Err(usage.into());
    }
    Ok(())
}

fn fk_action(text: &str) -> Option<String> {
    let words: Vec<String> = text
        .split_whitespace()
        .map(|w| w.to_ascii_lowercase())
        .collect();
    let joined = words.join(" ");
    match joined.as_str() {
        "cascade" | "restrict" | "set null" | "set default" | "no action" => Some(joined),
        _ => None,
    }
}

fn name_value(meta: &syn::meta::ParseNestedMeta) -> Result<String, Error> {
    let lit: LitStr = meta.value()?.parse()?;
    let v = lit.value();
    if v.is_empty() {
        return Err(Error::new(lit.span(), "the name is empty"));
    }
    Ok(v)
}

fn sql_value(meta: &syn::meta::ParseNestedMeta) -> Result<String, Error> {
    let lit: LitStr = meta.value()?.parse()?;
    let v = lit.value();
    if v.trim().is_empty() {
        return Err(Error::new(lit.span(), "the SQL text is empty"));
    }
    Ok(v)
}

fn path_text(path: &syn::Path) -> String {
    path.segments
        .iter()
        .map(|s| s.ident.to_string())
        .collect::<Vec<_>>()
        .join("::")
}

/// The `ColumnDef` of one field.
fn column_tokens(
    field: &syn::Field,
    fa: &FieldAttrs,
    column: &str,
    field_name: &str,
) -> Result<TokenStream, Error> {
    let (inner, nullable) = match option_inner(&field.ty) {
        Some(inner) => (inner, true),
        None => (&field.ty, false),
    };
    let ty = match &fa.sql_type {
        Some(sql) => quote!(::wildebeest::models::SqlType::Sql(::std::string::String::from(#sql))),
        None => rust_type(inner, fa.max_length, field_name)?,
    };
    if fa.max_length.is_some() && !is_string(inner) {
        return Err(Error::new(
            field.ty.span(),
            format!("max_length is for a String field; field `{field_name}` is not one"),
        ));
    }
    let default = option_string(&fa.default);
    let check = option_string(&fa.check);
    let renamed_from = option_string(&fa.renamed_from);
    let references = match &fa.references {
        Some(target) => {
            let on_delete = option_string(&fa.on_delete);
            let on_update = option_string(&fa.on_update);
            quote!(::std::option::Option::Some(::wildebeest::models::Reference {
                target: ::std::string::String::from(#target),
                on_delete: #on_delete,
                on_update: #on_update,
            }))
        }
        None => quote!(::std::option::Option::None),
    };
    let (primary_key, auto_increment, unique, index) =
        (fa.primary_key, fa.auto_increment, fa.unique, fa.index);
    Ok(quote! {
        ::wildebeest::models::ColumnDef {
            name: ::std::string::String::from(#column),
            field: #field_name,
            ty: #ty,
            nullable: #nullable,
            primary_key: #primary_key,
            auto_increment: #auto_increment,
            unique: #unique,
            index: #index,
            default: #default,
            references: #references,
            check: #check,
            renamed_from: #renamed_from,
        }
    })
}

/// `T` of `Option<T>` (also `std::option::Option<T>`).
fn option_inner(ty: &Type) -> Option<&Type> {
    let Type::Path(p) = ty else { return None };
    if p.qself.is_some() {
        return None;
    }
    let last = p.path.segments.last()?;
    if last.ident != "Option" {
        return None;
    }
    let PathArguments::AngleBracketed(args) = &last.arguments else {
        return None;
    };
    match args.args.first() {
        Some(GenericArgument::Type(t)) if args.args.len() == 1 => Some(t),
        _ => None,
    }
}

fn is_string(ty: &Type) -> bool {
    last_segment(ty).is_some_and(|(name, _)| name == "String")
}

/// The last segment's name and its generic arguments as text (`Utc` of
/// `DateTime<Utc>`).
fn last_segment(ty: &Type) -> Option<(String, Vec<String>)> {
    let Type::Path(p) = ty else { return None };
    if p.qself.is_some() {
        return None;
    }
    let last = p.path.segments.last()?;
    let args = match &last.arguments {
        PathArguments::AngleBracketed(a) => a
            .args
            .iter()
            .map(|g| match g {
                GenericArgument::Type(t) => last_segment(t)
                    .map(|(n, _)| n)
                    .unwrap_or_else(|| "?".to_string()),
                _ => "?".to_string(),
            })
            .collect(),
        PathArguments::None => Vec::new(),
        PathArguments::Parenthesized(_) => return None,
    };
    Some((last.ident.to_string(), args))
}

/// The column type of a Rust type the macro knows by its path; any other path is
/// asked for its `wildebeest::Enum` description.
fn rust_type(ty: &Type, max_length: Option<u32>, field: &str) -> Result<TokenStream, Error> {
    let t = |variant: TokenStream| quote!(::wildebeest::models::SqlType::#variant);
    let unknown = || {
        Error::new(
            ty.span(),
            format!(
                "field `{field}`: wildebeest knows no column type for this Rust type; add #[wildebeest(sql_type = \"...\")] to the field"
            ),
        )
    };
    let Some((name, args)) = last_segment(ty) else {
        // `[u8; 16]`, `&str`, tuples: nothing a column holds as written.
        return Err(unknown());
    };
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    Ok(match (name.as_str(), args.as_slice()) {
        ("i8" | "i16" | "u8", []) => t(quote!(SmallInt)),
        ("i32" | "u16", []) => t(quote!(Integer)),
        ("i64" | "u32", []) => t(quote!(BigInt)),
        ("u64" | "u128" | "i128" | "usize" | "isize", []) => {
            return Err(Error::new(
                ty.span(),
                format!(
                    "field `{field}`: `{name}` has no portable column type: the largest integer SQLite, PostgreSQL and MySQL share is a signed 64-bit one (BIGINT), which cannot hold every `{name}`; use i64, or say the type with #[wildebeest(sql_type = \"...\")] (e.g. \"BIGINT UNSIGNED\" on MySQL, \"NUMERIC(20)\")"
                ),
            ));
        }
        ("f32", []) => t(quote!(Real)),
        ("f64", []) => t(quote!(Double)),
        ("bool", []) => t(quote!(Boolean)),
        ("String", []) => match max_length {
            Some(n) => t(quote!(Varchar(#n))),
            None => t(quote!(Text)),
        },
        ("Vec", ["u8"]) => t(quote!(Blob)),
        ("NaiveDate" | "Date", []) => t(quote!(Date)),
        ("NaiveTime" | "Time", []) => t(quote!(Time)),
        ("NaiveDateTime" | "PrimitiveDateTime", []) => t(quote!(Timestamp)),
        ("OffsetDateTime", []) | ("DateTime", ["Utc" | "FixedOffset" | "Local"]) => {
            t(quote!(TimestampTz))
        }
        ("Uuid", []) => t(quote!(Uuid)),
        ("Value", []) if json_value(ty) => t(quote!(Json)),
        ("Json" | "JsonValue", _) => t(quote!(Json)),
        // Spanned at the field's type, where the compiler's "does not implement
        // wildebeest::Enum" then points.
        (_, []) => quote::quote_spanned! {ty.span()=>
            ::wildebeest::models::SqlType::Enum(::wildebeest::models::enum_def_of::<#ty>())
        },
        _ => return Err(unknown()),
    })
}

/// `serde_json::Value` or `Value` as written: a `Value` of another crate (`toml`)
/// is not taken for JSON.
fn json_value(ty: &Type) -> bool {
    let Type::Path(p) = ty else { return false };
    let segs: Vec<String> = p
        .path
        .segments
        .iter()
        .map(|s| s.ident.to_string())
        .collect();
    match segs.as_slice() {
        [one] => one == "Value",
        [.., krate, _] => krate == "serde_json",
        _ => false,
    }
}

/// The expansion of `#[derive(Enum)]`.
pub fn enumeration(input: &DeriveInput) -> Result<TokenStream, Error> {
    let Data::Enum(data) = &input.data else {
        return Err(Error::new(
            input.ident.span(),
            "#[derive(wildebeest::Enum)] is for an enum whose variants have no fields",
        ));
    };
    if !input.generics.params.is_empty() {
        return Err(Error::new(
            input.generics.span(),
            "#[derive(wildebeest::Enum)] does not take generic parameters",
        ));
    }
    let mut name = None;
    let mut rename_all: Option<(String, Span)> = None;
    for attr in input
        .attrs
        .iter()
        .filter(|a| a.path().is_ident("wildebeest"))
    {
        attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("name") {
                name = Some(name_value(&meta)?);
            } else if meta.path.is_ident("rename_all") {
                let lit: LitStr = meta.value()?.parse()?;
                if convert_case(&lit.value(), "X").is_none() {
                    return Err(Error::new(
                        lit.span(),
                        "expected rename_all = \"snake_case\", \"lowercase\", \"UPPERCASE\", \"SCREAMING_SNAKE_CASE\" or \"kebab-case\"",
                    ));
                }
                rename_all = Some((lit.value(), lit.span()));
            } else {
                return Err(meta.error(format!(
                    "unknown enum attribute `{}`: expected name or rename_all",
                    path_text(&meta.path)
                )));
            }
            Ok(())
        })?;
    }
    if data.variants.is_empty() {
        return Err(Error::new(
            input.ident.span(),
            "an enum type needs at least one variant",
        ));
    }
    let mut labels: Vec<String> = Vec::new();
    for v in &data.variants {
        if !matches!(v.fields, Fields::Unit) {
            return Err(Error::new(
                v.span(),
                "#[derive(wildebeest::Enum)] takes variants without fields: each is one label",
            ));
        }
        let mut label = None;
        for attr in v.attrs.iter().filter(|a| a.path().is_ident("wildebeest")) {
            attr.parse_nested_meta(|meta| {
                if meta.path.is_ident("rename") {
                    label = Some(name_value(&meta)?);
                    Ok(())
                } else {
                    Err(meta.error(format!(
                        "unknown variant attribute `{}`: expected rename",
                        path_text(&meta.path)
                    )))
                }
            })?;
        }
        let label = match (label, &rename_all) {
            (Some(l), _) => l,
            (None, Some((rule, _))) => {
                convert_case(rule, &v.ident.to_string()).expect("checked above")
            }
            (None, None) => v.ident.to_string(),
        };
        if labels.contains(&label) {
            return Err(Error::new(
                v.span(),
                format!("label `{label}` is used twice"),
            ));
        }
        labels.push(label);
    }
    let ident = &input.ident;
    let name = name.unwrap_or_else(|| snake_case(&ident.to_string()));
    Ok(quote! {
        impl ::wildebeest::Enum for #ident {
            fn enum_def() -> ::wildebeest::models::EnumDef {
                ::wildebeest::models::EnumDef {
                    name: ::std::string::String::from(#name),
                    labels: ::std::vec![#(::std::string::String::from(#labels)),*],
                }
            }
        }
    })
}

/// `rule` applied to a Rust name (`PascalCase` variants), `None` for a rule not known.
fn convert_case(rule: &str, name: &str) -> Option<String> {
    Some(match rule {
        "snake_case" => snake_case(name),
        "lowercase" => name.to_lowercase(),
        "UPPERCASE" => name.to_uppercase(),
        "SCREAMING_SNAKE_CASE" => snake_case(name).to_uppercase(),
        "kebab-case" => snake_case(name).replace('_', "-"),
        _ => return None,
    })
}

/// `EmployeeRole` as `employee_role`, `HTTPRequest` as `http_request`.
pub fn snake_case(name: &str) -> String {
    let chars: Vec<char> = name.chars().collect();
    let mut out = String::new();
    for (i, &c) in chars.iter().enumerate() {
        if c.is_uppercase() {
            let prev = i.checked_sub(1).map(|p| chars[p]);
            let next = chars.get(i + 1);
            let boundary = match prev {
                None | Some('_') => false,
                Some(p) if p.is_lowercase() || p.is_ascii_digit() => true,
                Some(p) if p.is_uppercase() => next.is_some_and(|n| n.is_lowercase()),
                _ => false,
            };
            if boundary {
                out.push('_');
            }
            out.extend(c.to_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table_error(input: DeriveInput) -> String {
        table(&input).unwrap_err().to_string()
    }

    #[test]
    fn names_in_snake_case() {
        assert_eq!(snake_case("Employee"), "employee");
        assert_eq!(snake_case("EmployeeRole"), "employee_role");
        assert_eq!(snake_case("HTTPRequest"), "http_request");
        assert_eq!(snake_case("Page2Item"), "page2_item");
    }

    #[test]
    fn a_misspelled_attribute_is_an_error_naming_it() {
        let e = table_error(syn::parse_quote! {
            struct A { #[wildebeest(primary_kye)] id: i64 }
        });
        assert!(e.contains("unknown field attribute `primary_kye`"), "{e}");
        let e = table_error(syn::parse_quote! {
            #[wildebeest(tabel = "a")]
            struct A { id: i64 }
        });
        assert!(e.contains("unknown table attribute `tabel`"), "{e}");
        let e = enumeration(&syn::parse_quote! {
            #[wildebeest(rename_all = "camel")]
            enum E { A }
        })
        .unwrap_err()
        .to_string();
        assert!(e.contains("expected rename_all"), "{e}");
    }

    #[test]
    fn an_unsigned_64_bit_field_is_refused_with_the_reason() {
        let e = table_error(syn::parse_quote! { struct A { n: u64 } });
        assert!(
            e.contains("field `n`: `u64` has no portable column type"),
            "{e}"
        );
        assert!(e.contains("sql_type"), "{e}");
    }

    #[test]
    fn a_type_without_a_mapping_asks_for_sql_type() {
        let e = table_error(syn::parse_quote! { struct A { n: [u8; 16] } });
        assert!(e.contains("field `n`"), "{e}");
        assert!(e.contains("#[wildebeest(sql_type = \"...\")]"), "{e}");
        // A path type it does not know is asked for its Enum description instead.
        let ok = table(&syn::parse_quote! { struct A { n: Mood } }).unwrap();
        assert!(ok.to_string().contains("enum_def_of"), "{ok}");
    }

    #[test]
    fn keys_name_fields_that_exist() {
        let e = table_error(syn::parse_quote! {
            #[wildebeest(primary_key(a, c))]
            struct A { a: i64, b: i64 }
        });
        assert_eq!(e, "the struct has no field `c`");
        let e = table_error(syn::parse_quote! {
            #[wildebeest(unique)]
            struct A { a: i64 }
        });
        assert!(e.contains("lists fields"), "{e}");
    }

    #[test]
    fn a_raw_identifier_names_its_field_in_a_key() {
        let out = table(&syn::parse_quote! {
            #[wildebeest(primary_key(r#type, id), index(r#type))]
            struct A { id: i64, r#type: String }
        })
        .unwrap()
        .to_string();
        assert!(out.contains("\"type\""), "{out}");
    }

    #[test]
    fn field_attribute_values_are_checked() {
        let e = table_error(syn::parse_quote! {
            struct A { #[wildebeest(references = "t(a b)")] a: i64 }
        });
        assert!(e.contains("expected references"), "{e}");
        let e = table_error(syn::parse_quote! {
            struct A { #[wildebeest(references = "t", on_delete = "explode")] a: i64 }
        });
        assert!(e.contains("expected cascade"), "{e}");
        let e = table_error(syn::parse_quote! {
            struct A { #[wildebeest(on_delete = "cascade")] a: i64 }
        });
        assert!(e.contains("add references"), "{e}");
        let e = table_error(syn::parse_quote! {
            struct A { #[wildebeest(max_length = 10)] a: i64 }
        });
        assert!(e.contains("max_length is for a String field"), "{e}");
        let e = table_error(syn::parse_quote! {
            struct A { #[wildebeest(unique = "yes")] a: i64 }
        });
        assert!(e.contains("`unique` takes no value"), "{e}");
        let e = table_error(syn::parse_quote! {
            struct A { a: i64, #[wildebeest(column = "a")] b: i64 }
        });
        assert!(e.contains("column `a` is named twice"), "{e}");
    }

    #[test]
    fn enum_labels_follow_rename_and_rename_all() {
        let out = enumeration(&syn::parse_quote! {
            #[wildebeest(rename_all = "snake_case")]
            enum Mood { VeryHappy, #[wildebeest(rename = "meh")] Neutral }
        })
        .unwrap()
        .to_string();
        assert!(out.contains("\"very_happy\""), "{out}");
        assert!(out.contains("\"meh\""), "{out}");
        assert!(out.contains("\"mood\""), "{out}");
        let e = enumeration(&syn::parse_quote! { enum E { A(i32) } })
            .unwrap_err()
            .to_string();
        assert!(e.contains("without fields"), "{e}");
    }
}
