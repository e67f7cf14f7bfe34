//! `wildebeest inspect --as rust`: the database's schema as Rust models, the
//! `#[derive(wildebeest::Table)]` structs and `#[derive(wildebeest::Enum)]` enums
//! that `wildebeest::Models` renders back as the same schema (docs/models.md).
//!
//! Each struct is built twice from one walk of the model: as Rust text and as the
//! `TableDef` the derive makes of that text. Before anything is printed the defs are
//! rendered by `Models` and read back, and compared with the inspected schema as
//! `check` compares: a difference is refused, so what the attributes cannot say is
//! never left out silently. What they plainly cannot say (a named constraint, a
//! foreign key over several columns, a partial index, a comment, ...) is refused
//! first, each thing by name.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use anyhow::{Result, bail};
use wildebeest::models::{ColumnDef, EnumDef, KeyDef, Models, Reference, SqlType, TableDef};
use wildebeest::replay::option_drift;
use wildebeest_schema::{
    ColumnType, CommentOn, Deferral, FkAction, Hints, Schema, Table, diff, enum_conflicts,
};
use wildebeest_sql::Dialect;

/// Rust's keywords, which a field takes as a raw identifier (`r#type`).
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "do", "dyn",
    "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl", "in", "let",
    "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref", "return",
    "static", "struct", "trait", "true", "try", "type", "typeof", "unsafe", "unsized", "use",
    "virtual", "where", "while", "yield",
];

/// Keywords that cannot be raw identifiers: such a column gets a field of another
/// name and `column = "..."`.
const NOT_RAW: &[&str] = &["crate", "self", "Self", "super", "_"];

/// Rust models of a schema, and the objects `--skip-unsupported` left out of them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RustModels {
    /// The text: a comment, the enums, the structs, `models()`.
    pub text: String,
    /// The objects beside the tables that the models cannot say and that were left
    /// out (`view `v``), when `skip_unsupported`.
    pub left_out: Vec<String>,
}

/// The schema `schema` (read from a database of `dialect`, whose `inspect` text is
/// `sql_text`) as Rust models, or an error naming everything the derives cannot say.
/// With `skip_unsupported`, the objects beside the tables that the models cannot
/// say (views, triggers, routines, extensions, domains, composite and range types, sequences,
/// enum types no column uses) are left
/// out instead; what a table has that they cannot say is refused all the same.
pub fn models_text(
    schema: &Schema,
    dialect: Dialect,
    sql_text: &str,
    skip_unsupported: bool,
) -> Result<RustModels> {
    let mut objects: Vec<String> = Vec::new();
    for name in schema.views.keys() {
        objects.push(format!("view `{name}`"));
    }
    for name in schema.triggers.keys() {
        objects.push(format!("trigger `{name}`"));
    }
    for (name, r) in &schema.routines {
        if r.kind == wildebeest_schema::RoutineKind::Aggregate {
            objects.push(format!("aggregate `{name}`"));
        } else {
            objects.push(format!("routine `{name}`"));
        }
    }
    for name in schema.extensions.keys() {
        objects.push(format!("extension `{name}`"));
    }
    for name in schema.domains.keys() {
        objects.push(format!("domain `{name}`"));
    }
    for t in schema.types.values() {
        objects.push(format!("{} `{}`", t.kind_word(), t.name()));
    }
    for name in schema.sequences.keys() {
        objects.push(format!("sequence `{name}`"));
    }
    // A comment on a table's constraint or index is the table's, which the derives
    // cannot say: refused all the same; one on anything else goes with its object.
    let mut table_comments = Vec::new();
    for on in schema.comments.keys() {
        let of_table = match on {
            CommentOn::Constraint { table, .. } => schema.tables.contains_key(table),
            CommentOn::Index(name) => schema.tables.find_index(name).is_some(),
            _ => false,
        };
        if of_table {
            table_comments.push(format!("the comment on {}", on.describe()));
        } else {
            objects.push(format!("the comment on {}", on.describe()));
        }
    }
    let mut names = Names::default();
    let mut enum_items: BTreeMap<String, (String, String, EnumDef)> = BTreeMap::new();
    let used: BTreeSet<&str> = schema
        .tables
        .values()
        .flat_map(|t| t.columns.iter())
        .filter_map(|c| match &c.ty {
            ColumnType::Enum(e) => Some(e.as_str()),
            _ => None,
        })
        .collect();
    for (name, labels) in &schema.enums {
        if !used.contains(name.as_str()) {
            objects.push(format!(
                "enum type `{name}` (no column uses it, and the models make only the enum types their columns use)"
            ));
            continue;
        }
        let rust = names.type_name(name);
        let def = EnumDef {
            name: name.clone(),
            labels: labels.clone(),
        };
        let item = enum_item(&rust, &def);
        enum_items.insert(name.clone(), (rust, item, def));
    }
    let mut refused = if skip_unsupported {
        Vec::new()
    } else {
        objects.clone()
    };
    refused.extend(table_comments);
    let mut structs = Vec::new();
    let mut defs = Vec::new();
    for table in schema.tables.values() {
        let rust = names.type_name(&table.name);
        match struct_item(table, &rust, dialect, &enum_items) {
            Ok((item, def)) => {
                structs.push((rust, item));
                defs.push(def);
            }
            Err(mut items) => refused.append(&mut items),
        }
    }
    if !refused.is_empty() {
        bail!(
            "the database has {} that Rust models cannot say: {}; print it as schema.sql \
             (`wildebeest inspect`) instead{} (see docs/models.md)",
            count(refused.len()),
            refused.join("; "),
            if refused.iter().any(|r| r.starts_with("table `")) {
                ""
            } else {
                ", or pass --skip-unsupported to leave them out"
            }
        );
    }
    let differences = round_trip(&defs, dialect, sql_text)?;
    if !differences.is_empty() {
        bail!(
            "the Rust models would not make the database's schema exactly ({}); print it \
             as schema.sql (`wildebeest inspect`) instead (see docs/models.md)",
            differences.join("; ")
        );
    }
    let mut out = format!(
        "// The database's schema as wildebeest models, as `wildebeest inspect --as rust` reads it\n\
         // ({}). Field types of chrono, uuid and serde_json are known by their path.\n",
        dialect_name(dialect)
    );
    for (_, item, _) in enum_items.values() {
        out.push('\n');
        out.push_str(item);
    }
    for (_, item) in &structs {
        out.push('\n');
        out.push_str(item);
    }
    out.push_str("\n/// Every table above, for `Models::schema_sql` and the `db` command.\npub fn models() -> wildebeest::Models {\n    wildebeest::Models::new()");
    for (rust, _) in &structs {
        let _ = write!(out, "\n        .table::<{rust}>()");
    }
    out.push_str("\n}\n");
    Ok(RustModels {
        text: out,
        left_out: if skip_unsupported {
            objects
        } else {
            Vec::new()
        },
    })
}

fn dialect_name(dialect: Dialect) -> &'static str {
    match dialect {
        Dialect::Sqlite => "SQLite",
        Dialect::Postgres => "PostgreSQL",
        Dialect::Mysql => "MySQL",
    }
}

fn count(n: usize) -> String {
    if n == 1 {
        "1 thing".into()
    } else {
        format!("{n} things")
    }
}

/// What differs between the schema the defs render and the inspected text, both
/// read as a schema file of `dialect` and compared as `check` compares.
fn round_trip(defs: &[TableDef], dialect: Dialect, sql_text: &str) -> Result<Vec<String>> {
    let models = defs
        .iter()
        .cloned()
        .fold(Models::new(), |m, def| m.with(def));
    let text = match models.schema_sql(dialect) {
        Ok(text) => text,
        Err(e) => return Ok(vec![e.to_string()]),
    };
    let (made, _) = wildebeest_sql::parse_schema(&text, "models", dialect)?;
    let (mut expected, _) = wildebeest_sql::parse_schema(sql_text, "inspect", dialect)?;
    // What is not a table's has been refused or left out by name already.
    expected.views.clear();
    expected.triggers.clear();
    expected.routines.clear();
    expected.extensions.clear();
    expected.domains.clear();
    expected.types.clear();
    expected.sequences.clear();
    expected.comments.clear();
    expected
        .enums
        .retain(|name, _| made.enums.contains_key(name));
    let mut problems: Vec<String> = diff(&expected, &made, &Hints::default())
        .iter()
        .map(|op| op.describe())
        .collect();
    problems.extend(option_drift(&expected, &made));
    problems.extend(
        enum_conflicts(&expected, &made)
            .iter()
            .map(|c| format!("enum type `{}`", c.name)),
    );
    Ok(problems)
}

/// The Rust names given so far, so that two tables never make one type name.
struct Names {
    taken: BTreeSet<String>,
}

impl Default for Names {
    /// The types the printed fields name, which a struct must not hide (a table
    /// `string` is `String2`).
    fn default() -> Names {
        Names {
            taken: ["Option", "String", "Vec"].map(String::from).into(),
        }
    }
}

impl Names {
    /// `order_items` as `OrderItems`, unique among the types written.
    fn type_name(&mut self, sql: &str) -> String {
        let base = upper_camel(sql);
        let mut name = base.clone();
        let mut n = 2;
        while self.taken.contains(&name) {
            name = format!("{base}{n}");
            n += 1;
        }
        self.taken.insert(name.clone());
        name
    }
}

/// `order_items` as `OrderItems`; what is no ASCII letter or digit separates words,
/// and a name that would not start with a letter gets `T` in front.
fn upper_camel(sql: &str) -> String {
    let mut out = String::new();
    for word in sql.split(|c: char| !c.is_ascii_alphanumeric()) {
        let mut chars = word.chars();
        if let Some(first) = chars.next() {
            out.push(first.to_ascii_uppercase());
            out.extend(chars);
        }
    }
    if !out.starts_with(|c: char| c.is_ascii_alphabetic()) {
        out.insert(0, 'T');
    }
    if out == "Self" {
        out.push_str("Table");
    }
    out
}

/// The field that names column `column`, and whether it needs `column = "..."`.
fn field_name(column: &str, taken: &BTreeSet<String>) -> (String, bool) {
    let plain = !column.is_empty()
        && column
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !column.starts_with(|c: char| c.is_ascii_digit());
    if plain && !NOT_RAW.contains(&column) && !taken.contains(column) {
        if KEYWORDS.contains(&column) {
            return (format!("r#{column}"), false);
        }
        return (column.to_string(), false);
    }
    let mut base: String = column
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '_'
            }
        })
        .collect();
    if !base.starts_with(|c: char| c.is_ascii_alphabetic()) {
        base.insert_str(0, "c_");
    }
    if KEYWORDS.contains(&base.as_str()) || NOT_RAW.contains(&base.as_str()) {
        base.push('_');
    }
    let mut name = base.clone();
    let mut n = 2;
    while taken.contains(&name) {
        name = format!("{base}_{n}");
        n += 1;
    }
    (name, true)
}

/// `s` as a Rust string literal.
fn lit(s: &str) -> String {
    format!("{s:?}")
}

fn enum_item(rust: &str, def: &EnumDef) -> String {
    let mut text = format!(
        "#[derive(wildebeest::Enum)]\n#[wildebeest(name = {})]\npub enum {rust} {{\n",
        lit(&def.name)
    );
    let mut taken = BTreeSet::new();
    for label in &def.labels {
        let base = upper_camel(label);
        let mut variant = base.clone();
        let mut n = 2;
        while taken.contains(&variant) {
            variant = format!("{base}{n}");
            n += 1;
        }
        taken.insert(variant.clone());
        let _ = writeln!(
            text,
            "    #[wildebeest(rename = {})]\n    {variant},",
            lit(label)
        );
    }
    text.push_str("}\n");
    text
}

/// A leaked string: the def's names are `&'static str`, as the derive writes them.
fn leak(s: &str) -> &'static str {
    Box::leak(s.to_string().into_boxed_str())
}

/// The Rust type and column type of a model type, or `None` where only `sql_type`
/// says it. SQLite's `INTEGER` (the rowid's type, 64-bit) is `i64` with `sql_type`.
fn rust_type(ty: &ColumnType, dialect: Dialect) -> Option<(String, SqlType)> {
    let t = |rust: &str, sql: SqlType| Some((rust.to_string(), sql));
    match ty {
        ColumnType::SmallInt => t("i16", SqlType::SmallInt),
        ColumnType::Integer if dialect == Dialect::Sqlite => None,
        ColumnType::Integer => t("i32", SqlType::Integer),
        ColumnType::BigInt => t("i64", SqlType::BigInt),
        ColumnType::Real => t("f32", SqlType::Real),
        ColumnType::Double => t("f64", SqlType::Double),
        ColumnType::Boolean => t("bool", SqlType::Boolean),
        ColumnType::Text => t("String", SqlType::Text),
        ColumnType::Varchar(Some(n)) => t("String", SqlType::Varchar(*n)),
        ColumnType::Blob => t("Vec<u8>", SqlType::Blob),
        ColumnType::Date => t("chrono::NaiveDate", SqlType::Date),
        ColumnType::Time => t("chrono::NaiveTime", SqlType::Time),
        ColumnType::Timestamp => t("chrono::NaiveDateTime", SqlType::Timestamp),
        ColumnType::TimestampTz => t("chrono::DateTime<chrono::Utc>", SqlType::TimestampTz),
        ColumnType::Json => t("serde_json::Value", SqlType::Json),
        ColumnType::Uuid => t("uuid::Uuid", SqlType::Uuid),
        _ => None,
    }
}

/// The Rust field type that goes with `sql_type`, and the type as SQL text.
fn sql_type_text(ty: &ColumnType) -> Option<(String, String)> {
    let (rust, sql) = match ty {
        ColumnType::Integer => ("i64", "INTEGER".to_string()),
        ColumnType::Decimal { precision, scale } => (
            "String",
            match (precision, scale) {
                (None, _) => "NUMERIC".into(),
                (Some(p), None) => format!("NUMERIC({p})"),
                (Some(p), Some(s)) => format!("NUMERIC({p}, {s})"),
            },
        ),
        ColumnType::Char(None) => ("String", "CHAR".into()),
        ColumnType::Char(Some(n)) => ("String", format!("CHAR({n})")),
        ColumnType::Varchar(None) => ("String", "VARCHAR".into()),
        ColumnType::EnumArray(name) => ("Vec<String>", format!("{name}[]")),
        ColumnType::Custom(text) if !text.trim().is_empty() => (field_type_of(text), text.clone()),
        _ => return None,
    };
    Some((rust.to_string(), sql))
}

/// A field type for a type the derive does not map, from its name, as SQLite reads
/// a declared type's affinity: only the field's Rust type, which `sql_type` overrides.
fn field_type_of(sql: &str) -> &'static str {
    let upper = sql.to_ascii_uppercase();
    if upper.ends_with("[]") {
        "Vec<String>"
    } else if upper == "SERIAL" || upper == "SERIAL4" {
        "i32"
    } else if upper == "SMALLSERIAL" || upper == "SERIAL2" {
        "i16"
    } else if upper.contains("SERIAL") {
        "i64"
    } else if upper.starts_with("JSON") {
        "serde_json::Value"
    } else if upper.contains("INT") && !upper.contains("INTERVAL") {
        "i64"
    } else if upper.contains("REAL") || upper.contains("FLOA") || upper.contains("DOUB") {
        "f64"
    } else if upper.starts_with("BOOL") || upper.starts_with("TINYINT(1)") {
        "bool"
    } else if upper.contains("BLOB") || upper.contains("BINARY") || upper == "BYTEA" {
        "Vec<u8>"
    } else {
        "String"
    }
}

fn action(a: FkAction, dialect: Dialect) -> Option<&'static str> {
    match a {
        FkAction::Cascade => Some("cascade"),
        FkAction::Restrict => Some("restrict"),
        FkAction::SetNull => Some("set null"),
        FkAction::SetDefault => Some("set default"),
        FkAction::NoAction if dialect == Dialect::Mysql => Some("no action"),
        FkAction::NoAction | FkAction::Unspecified => None,
    }
}

/// A plain name, as `references = "..."` takes one.
fn plain(name: &str) -> bool {
    !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_alphanumeric() || c == '_' || c == '$')
}

/// The struct of `table`, or what in it the derive cannot say.
fn struct_item(
    table: &Table,
    rust: &str,
    dialect: Dialect,
    enums: &BTreeMap<String, (String, String, EnumDef)>,
) -> Result<(String, TableDef), Vec<String>> {
    let name = &table.name;
    let mut refused = Vec::new();
    let mut refuse = |what: String| refused.push(format!("table `{name}`: {what}"));
    for part in &table.unmodeled {
        refuse(part.clone());
    }
    let o = &table.options;
    if o.without_rowid {
        refuse("WITHOUT ROWID".into());
    }
    if o.strict {
        refuse("STRICT".into());
    }
    if let Some(c) = &o.charset {
        refuse(format!("character set {c}"));
    }
    if let Some(c) = &o.collation {
        refuse(format!("collation {c}"));
    }
    if o.comment.is_some() {
        refuse("its comment".into());
    }
    if let Some(e) = &o.engine {
        refuse(format!("engine {e}"));
    }
    if !o.storage.is_empty() {
        refuse(format!(
            "storage parameters WITH ({})",
            o.storage.join(", ")
        ));
    }
    if !o.mysql.is_empty() {
        refuse(format!("table options {}", o.mysql.join(" ")));
    }
    if let Some(key) = &o.partition_by {
        refuse(format!("PARTITION BY {key}"));
    }
    if let Some(of) = &o.partition_of {
        refuse(format!("PARTITION OF {} {}", of.parent, of.bound));
    }
    if let Some(p) = &o.mysql_partitioning {
        refuse(format!("PARTITION BY {} ({})", p.method, p.expr));
    }

    // Fields first: keys on the struct name fields.
    let mut taken = BTreeSet::new();
    let mut fields: BTreeMap<&str, String> = BTreeMap::new();
    let mut renamed: BTreeSet<&str> = BTreeSet::new();
    for c in &table.columns {
        let (field, needs_column) = field_name(&c.name, &taken);
        taken.insert(field.trim_start_matches("r#").to_string());
        if needs_column {
            renamed.insert(&c.name);
        }
        fields.insert(&c.name, field);
    }
    let field_of = |c: &str| fields.get(c).cloned().unwrap_or_else(|| c.to_string());

    let pk: Vec<String> = table
        .primary_key
        .as_ref()
        .map(|k| k.columns.clone())
        .unwrap_or_default();
    if let Some(k) = &table.primary_key
        && let Some(n) = &k.name
    {
        refuse(format!("the primary key's name `{n}`"));
    }
    if let Some(words) = table.primary_key.as_ref().and_then(|k| k.deferral.sql()) {
        refuse(format!("the primary key is {words}"));
    }
    for u in &table.uniques {
        if let Some(words) = u.deferral.sql() {
            refuse(format!("unique ({}) is {words}", u.columns.join(", ")));
        }
    }
    let mut struct_attrs = vec![format!("table = {}", lit(name))];
    let mut def = TableDef {
        name: name.clone(),
        rust_name: leak(rust),
        renamed_from: None,
        columns: Vec::new(),
        primary_key: Vec::new(),
        uniques: Vec::new(),
        indexes: Vec::new(),
        checks: Vec::new(),
    };
    if pk.len() > 1 {
        struct_attrs.push(format!(
            "primary_key({})",
            pk.iter()
                .map(|c| field_of(c))
                .collect::<Vec<_>>()
                .join(", ")
        ));
        def.primary_key = pk.clone();
    }
    let single_uniques: BTreeSet<&str> = table
        .uniques
        .iter()
        .filter(|u| u.name.is_none() && u.columns.len() == 1)
        .map(|u| u.columns[0].as_str())
        .collect();
    for u in &table.uniques {
        if u.name.is_none() && u.columns.len() == 1 {
            continue;
        }
        let mut words: Vec<String> = u.columns.iter().map(|c| field_of(c)).collect();
        if let Some(n) = &u.name {
            words.push(format!("name = {}", lit(n)));
        }
        struct_attrs.push(format!("unique({})", words.join(", ")));
        def.uniques.push(KeyDef {
            name: u.name.clone(),
            columns: u.columns.clone(),
        });
    }
    let mut single_indexes: BTreeSet<&str> = BTreeSet::new();
    for i in &table.indexes {
        let what = format!("index `{}`", i.name);
        if i.unique {
            refuse(format!(
                "{what} is a unique index (the models make unique constraints)"
            ));
            continue;
        }
        if i.predicate.is_some() {
            refuse(format!("{what} is partial (WHERE)"));
            continue;
        }
        if let Some(m) = &i.method {
            refuse(format!("{what} uses method {m}"));
            continue;
        }
        if i.nulls_not_distinct {
            refuse(format!("{what} is NULLS NOT DISTINCT"));
            continue;
        }
        if !i.include.is_empty() {
            refuse(format!("{what} has INCLUDE (...)"));
            continue;
        }
        if !i.storage.is_empty() {
            refuse(format!("{what} has storage parameters (WITH (...))"));
            continue;
        }
        if i.comment.is_some() {
            refuse(format!("{what} has a comment (COMMENT '...')"));
            continue;
        }
        if let Some(e) = i.columns.iter().find(|c| !fields.contains_key(c.as_str())) {
            refuse(format!(
                "{what} is on `{e}`, which is no plain column (an expression, an order or a collation)"
            ));
            continue;
        }
        let default_name = format!("{name}_{}_idx", i.columns.join("_"));
        if i.columns.len() == 1 && i.name == default_name && single_indexes.insert(&i.columns[0]) {
            continue;
        }
        let mut words: Vec<String> = i.columns.iter().map(|c| field_of(c)).collect();
        if i.name != default_name {
            words.push(format!("name = {}", lit(&i.name)));
        }
        struct_attrs.push(format!("index({})", words.join(", ")));
        def.indexes.push(KeyDef {
            name: (i.name != default_name).then(|| i.name.clone()),
            columns: i.columns.clone(),
        });
    }
    let mut references: BTreeMap<&str, Reference> = BTreeMap::new();
    for fk in &table.foreign_keys {
        let what = format!(
            "the foreign key ({}) to `{}`",
            fk.columns.join(", "),
            fk.ref_table
        );
        if fk.columns.len() != 1 {
            refuse(format!("{what} is over several columns"));
            continue;
        }
        if let Some(n) = &fk.name {
            refuse(format!("{what} is named `{n}`"));
            continue;
        }
        if fk.deferral != Deferral::NotDeferrable {
            refuse(format!("{what} is DEFERRABLE"));
            continue;
        }
        if !plain(&fk.ref_table) || !fk.ref_columns.iter().all(|c| plain(c)) {
            refuse(format!(
                "{what} names a table or column references = \"...\" cannot spell"
            ));
            continue;
        }
        if references.contains_key(fk.columns[0].as_str()) {
            refuse(format!("{what} is the column's second foreign key"));
            continue;
        }
        let target = if fk.ref_columns.is_empty() {
            fk.ref_table.clone()
        } else {
            format!("{}({})", fk.ref_table, fk.ref_columns.join(", "))
        };
        references.insert(
            &fk.columns[0],
            Reference {
                target,
                on_delete: action(fk.on_delete, dialect).map(str::to_string),
                on_update: action(fk.on_update, dialect).map(str::to_string),
            },
        );
    }
    for x in &table.exclusions {
        let c = wildebeest_schema::Constraint::Exclusion(x.clone());
        refuse(format!(
            "it has the exclusion constraint `{}` ({})",
            c.sql_name(table),
            x.sql(|n| n.to_string())
        ));
    }
    for check in &table.checks {
        if let Some(n) = &check.name {
            refuse(format!("the check constraint `{n}` is named"));
            continue;
        }
        if check.no_inherit {
            refuse(format!("check ({}) is NO INHERIT", check.expr));
            continue;
        }
        struct_attrs.push(format!("check = {}", lit(&check.expr)));
        def.checks.push(check.expr.clone());
    }

    let mut body = String::new();
    for c in &table.columns {
        let what = format!("column `{}`", c.name);
        if c.generated.is_some() {
            refuse(format!("{what} is generated"));
        }
        if c.generated_always {
            refuse(format!("{what} is GENERATED ALWAYS AS IDENTITY"));
        }
        if c.on_update.is_some() {
            refuse(format!("{what} has ON UPDATE"));
        }
        if let Some(x) = &c.collation {
            refuse(format!("{what} has collation {x}"));
        }
        if let Some(x) = &c.charset {
            refuse(format!("{what} has character set {x}"));
        }
        if c.comment.is_some() {
            refuse(format!("{what} has a comment"));
        }
        if c.invisible {
            refuse(format!("{what} is INVISIBLE"));
        }
        let mut attrs: Vec<String> = Vec::new();
        let (base, ty) = match (&c.ty, rust_type(&c.ty, dialect)) {
            (ColumnType::Enum(e), _) => match enums.get(e) {
                Some((rust, _, def)) => (rust.clone(), SqlType::Enum(def.clone())),
                None => {
                    refuse(format!(
                        "{what} is of enum type `{e}`, which the schema lacks"
                    ));
                    continue;
                }
            },
            (_, Some((rust, sql))) => {
                if let SqlType::Varchar(n) = sql {
                    attrs.push(format!("max_length = {n}"));
                }
                (rust, sql)
            }
            (ty, None) => match sql_type_text(ty) {
                Some((rust, sql)) => {
                    attrs.push(format!("sql_type = {}", lit(&sql)));
                    (rust, SqlType::Sql(sql))
                }
                None => {
                    refuse(format!("{what} has no type"));
                    continue;
                }
            },
        };
        let in_key = pk.contains(&c.name);
        if pk.len() == 1 && in_key {
            attrs.insert(0, "primary_key".into());
        }
        if c.auto_increment {
            attrs.push("auto_increment".into());
        }
        let unique = single_uniques.contains(c.name.as_str());
        if unique {
            attrs.push("unique".into());
        }
        let index = single_indexes.contains(c.name.as_str());
        if index {
            attrs.push("index".into());
        }
        if let Some(d) = &c.default {
            attrs.push(format!("default = {}", lit(d)));
        }
        let reference = references.remove(c.name.as_str());
        if let Some(r) = &reference {
            attrs.push(format!("references = {}", lit(&r.target)));
            if let Some(a) = &r.on_delete {
                attrs.push(format!("on_delete = {}", lit(a)));
            }
            if let Some(a) = &r.on_update {
                attrs.push(format!("on_update = {}", lit(a)));
            }
        }
        if renamed.contains(c.name.as_str()) {
            attrs.push(format!("column = {}", lit(&c.name)));
        }
        let nullable = c.nullable && !in_key;
        let rust_ty = if nullable {
            format!("Option<{base}>")
        } else {
            base
        };
        if !attrs.is_empty() {
            let _ = writeln!(body, "    #[wildebeest({})]", attrs.join(", "));
        }
        let _ = writeln!(body, "    pub {}: {rust_ty},", field_of(&c.name));
        def.columns.push(ColumnDef {
            name: c.name.clone(),
            field: leak(fields[c.name.as_str()].trim_start_matches("r#")),
            ty,
            nullable,
            primary_key: pk.len() == 1 && in_key,
            auto_increment: c.auto_increment,
            unique,
            index,
            default: c.default.clone(),
            references: reference,
            check: None,
            renamed_from: None,
        });
    }
    if !refused.is_empty() {
        return Err(refused);
    }
    let mut text = String::from("#[derive(wildebeest::Table)]\n");
    for a in &struct_attrs {
        let _ = writeln!(text, "#[wildebeest({a})]");
    }
    let _ = write!(text, "pub struct {rust} {{\n{body}}}\n");
    Ok((text, def))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_follow_rust_conventions() {
        assert_eq!(upper_camel("order_items"), "OrderItems");
        assert_eq!(upper_camel("2fa codes"), "T2faCodes");
        assert_eq!(upper_camel("self"), "SelfTable");
        assert_eq!(field_type_of("BIGSERIAL"), "i64");
        assert_eq!(field_type_of("SERIAL"), "i32");
        assert_eq!(field_type_of("INT"), "i64");
        assert_eq!(field_type_of("JSONB"), "serde_json::Value");
        assert_eq!(field_type_of("INTERVAL"), "String");
        assert_eq!(field_type_of("NUMERIC(12, 2)"), "String");
        let mut names = Names::default();
        assert_eq!(names.type_name("string"), "String2");
        assert_eq!(names.type_name("users"), "Users");
        assert_eq!(names.type_name("Users"), "Users2");
        let none = BTreeSet::new();
        assert_eq!(field_name("type", &none), ("r#type".into(), false));
        assert_eq!(field_name("self", &none), ("self_".into(), true));
        assert_eq!(field_name("First Name", &none), ("first_name".into(), true));
        assert_eq!(field_name("1st", &none), ("c_1st".into(), true));
        let taken: BTreeSet<String> = ["first_name".to_string()].into();
        assert_eq!(
            field_name("First Name", &taken),
            ("first_name_2".into(), true)
        );
    }
}
