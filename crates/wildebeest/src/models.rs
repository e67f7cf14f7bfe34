//! Models as Rust types: the desired schema described by structs with
//! `#[derive(wildebeest::Table)]` and enums with `#[derive(wildebeest::Enum)]`,
//! rendered as the schema text `wildebeest migrate` reads (docs/models.md).
//!
//! The derives fill in the description types of this module ([`TableDef`],
//! [`ColumnDef`], [`EnumDef`]); [`Models`] turns a set of them into the model of
//! one dialect and has that dialect's backend write it, with the same renderer that
//! writes migrations, so the text reads back as the same schema.

use wildebeest_schema::{
    Check, Column, ColumnType, FkAction, ForeignKey, Hints, Index, PrimaryKey, Schema,
    Table as ModelTable, Unique, diff,
};
pub use wildebeest_sql::{Dialect, Rename};

/// A struct that describes a table, made with `#[derive(wildebeest::Table)]`.
pub trait Table {
    /// The table's description, as the struct and its attributes say.
    fn table_def() -> TableDef;
}

/// A fieldless enum that describes an enum type, made with
/// `#[derive(wildebeest::Enum)]`; a field of such a type is a column of it.
#[diagnostic::on_unimplemented(
    message = "wildebeest knows no column type for `{Self}`",
    label = "this field's type is not one wildebeest maps to a column",
    note = "add #[wildebeest(sql_type = \"...\")] to the field, or #[derive(wildebeest::Enum)] to `{Self}` if it is a fieldless enum"
)]
pub trait Enum {
    /// The enum type's name and labels.
    fn enum_def() -> EnumDef;
}

/// The description of `T`, for the expansion of `#[derive(Table)]` (a function, so
/// that a type that is no [`Enum`] is an error at the field that names it).
#[doc(hidden)]
pub fn enum_def_of<T: Enum>() -> EnumDef {
    T::enum_def()
}

/// A table as a struct describes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableDef {
    /// The table's name (`#[wildebeest(table = "...")]`, else the struct's name in
    /// snake_case).
    pub name: String,
    /// The struct's name, for messages.
    pub rust_name: &'static str,
    /// `#[wildebeest(renamed_from = "...")]`: the table's previous name.
    pub renamed_from: Option<String>,
    /// The columns, in field order.
    pub columns: Vec<ColumnDef>,
    /// `#[wildebeest(primary_key(a, b))]`, as column names; empty when the key is
    /// given on a field (or there is none).
    pub primary_key: Vec<String>,
    /// `#[wildebeest(unique(a, b, name = "..."))]` on the struct.
    pub uniques: Vec<KeyDef>,
    /// `#[wildebeest(index(a, b, name = "..."))]` on the struct.
    pub indexes: Vec<KeyDef>,
    /// `#[wildebeest(check = "...")]` on the struct: SQL expressions.
    pub checks: Vec<String>,
}

/// A key over several columns: a unique constraint or an index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyDef {
    /// Its name; `None` lets the database name a unique constraint, and an index is
    /// named `TABLE_COLUMNS_idx`.
    pub name: Option<String>,
    /// Column names, in order.
    pub columns: Vec<String>,
}

/// A column as a field describes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ColumnDef {
    /// The column's name (`#[wildebeest(column = "...")]`, else the field's).
    pub name: String,
    /// The field's name, for messages.
    pub field: &'static str,
    /// The type.
    pub ty: SqlType,
    /// The field is an `Option`: the column takes NULL.
    pub nullable: bool,
    /// `#[wildebeest(primary_key)]`.
    pub primary_key: bool,
    /// `#[wildebeest(auto_increment)]`: the database numbers new rows.
    pub auto_increment: bool,
    /// `#[wildebeest(unique)]`.
    pub unique: bool,
    /// `#[wildebeest(index)]`.
    pub index: bool,
    /// `#[wildebeest(default = "SQL")]`.
    pub default: Option<String>,
    /// `#[wildebeest(references = "...", on_delete = "...", on_update = "...")]`.
    pub references: Option<Reference>,
    /// `#[wildebeest(check = "SQL")]`.
    pub check: Option<String>,
    /// `#[wildebeest(renamed_from = "...")]`: the column's previous name.
    pub renamed_from: Option<String>,
}

/// A foreign key on one column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reference {
    /// `table` (its primary key) or `table(column)`.
    pub target: String,
    /// `cascade`, `restrict`, `set null`, `set default` or `no action`.
    pub on_delete: Option<String>,
    /// The same words, for an update of the referenced key.
    pub on_update: Option<String>,
}

/// An enum type: its name and labels in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnumDef {
    /// The type's name (`#[wildebeest(name = "...")]`, else the enum's in snake_case).
    pub name: String,
    /// The labels, in variant order.
    pub labels: Vec<String>,
}

/// A column's type, from the field's Rust type or its `sql_type`.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum SqlType {
    /// `i8`, `i16`, `u8`.
    SmallInt,
    /// `i32`, `u16`.
    Integer,
    /// `i64`, `u32`.
    BigInt,
    /// `f32`.
    Real,
    /// `f64`.
    Double,
    /// `bool`.
    Boolean,
    /// `String`.
    Text,
    /// `String` with `max_length = N`.
    Varchar(u32),
    /// `Vec<u8>`.
    Blob,
    /// `chrono::NaiveDate`, `time::Date`.
    Date,
    /// `chrono::NaiveTime`, `time::Time`.
    Time,
    /// `chrono::NaiveDateTime`, `time::PrimitiveDateTime`.
    Timestamp,
    /// `chrono::DateTime<Utc>`, `time::OffsetDateTime`.
    TimestampTz,
    /// `serde_json::Value`.
    Json,
    /// `uuid::Uuid`.
    Uuid,
    /// A type with `#[derive(wildebeest::Enum)]`.
    Enum(EnumDef),
    /// `sql_type = "..."`, read in the dialect rendered.
    Sql(String),
}

/// Why a set of models cannot be rendered: each names the struct and field.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct ModelError(String);

/// The desired schema a set of models gives in one dialect: the text
/// `wildebeest migrate` reads and the renames the models state (also written in the
/// text as directives).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DesiredSchema {
    /// The schema text: the rename directives, then the enum types, tables and
    /// indexes in the order they can be created.
    pub sql: String,
    /// The renames (`renamed_from`), as `migrate --rename` would take them.
    pub renames: Vec<Rename>,
}

/// A set of models: the application's desired schema.
///
/// ```
/// #[derive(wildebeest::Table)]
/// #[wildebeest(table = "departments")]
/// struct Department {
///     #[wildebeest(primary_key)]
///     id: i64,
///     #[wildebeest(max_length = 100, unique)]
///     name: String,
/// }
///
/// #[derive(wildebeest::Table)]
/// #[wildebeest(table = "employees")]
/// struct Employee {
///     #[wildebeest(primary_key)]
///     id: i64,
///     #[wildebeest(references = "departments(id)", on_delete = "cascade")]
///     department_id: i64,
///     #[wildebeest(renamed_from = "address")]
///     location: Option<String>,
/// }
///
/// let models = wildebeest::Models::new().table::<Employee>().table::<Department>();
/// let sql = models.schema_sql(wildebeest::Dialect::Sqlite)?;
/// assert!(sql.starts_with("-- wildebeest: rename employees.address=location\n"));
/// // Departments first: employees reference them.
/// assert!(sql.find("CREATE TABLE departments") < sql.find("CREATE TABLE employees"));
/// # Ok::<(), wildebeest::Error>(())
/// ```
#[derive(Debug, Clone, Default)]
pub struct Models {
    tables: Vec<TableDef>,
}

impl Models {
    /// No models yet.
    pub fn new() -> Models {
        Models::default()
    }

    /// Adds the table `T` describes.
    pub fn table<T: Table>(self) -> Models {
        self.with(T::table_def())
    }

    /// Adds a table description.
    pub fn with(mut self, table: TableDef) -> Models {
        self.tables.push(table);
        self
    }

    /// The table descriptions, in the order added.
    pub fn tables(&self) -> &[TableDef] {
        &self.tables
    }

    /// The renames the models state (`renamed_from`), tables first, sorted.
    pub fn renames(&self) -> Vec<Rename> {
        let mut out = Vec::new();
        for t in &self.tables {
            if let Some(old) = &t.renamed_from {
                out.push(Rename::Table {
                    old: old.clone(),
                    new: t.name.clone(),
                });
            }
        }
        for t in &self.tables {
            for c in &t.columns {
                if let Some(old) = &c.renamed_from {
                    out.push(Rename::Column {
                        table: t.name.clone(),
                        old: old.clone(),
                        new: c.name.clone(),
                    });
                }
            }
        }
        out.sort();
        out
    }

    /// The schema text in `dialect` ([`DesiredSchema::sql`]) with the renames.
    /// Needs the backend of the dialect (its cargo feature), whose renderer writes
    /// it: [`Error::BackendNotEnabled`](crate::Error::BackendNotEnabled) otherwise.
    pub fn schema(&self, dialect: Dialect) -> Result<DesiredSchema, crate::Error> {
        let model = self
            .model(dialect)
            .map_err(|e| crate::Error::Models(e.into()))?;
        let renames = self.renames();
        let mut sql = String::new();
        for r in &renames {
            sql.push_str(&r.directive());
            sql.push('\n');
        }
        if !renames.is_empty() {
            sql.push('\n');
        }
        let ops = diff(&Schema::new(), &model, &Hints::default());
        let mut state = Schema::new();
        let mut first = true;
        for op in &ops {
            for statement in crate::backends::render_op(dialect, op, &state)? {
                let statement = statement.trim();
                if !first {
                    sql.push('\n');
                }
                first = false;
                sql.push_str(statement);
                if !statement.ends_with(';') {
                    sql.push(';');
                }
                sql.push('\n');
            }
            op.apply(&mut state).map_err(|e| {
                crate::Error::Models(
                    format!("internal error: an op of the models does not apply: {e}").into(),
                )
            })?;
        }
        Ok(DesiredSchema { sql, renames })
    }

    /// [`Models::schema`]'s text alone.
    pub fn schema_sql(&self, dialect: Dialect) -> Result<String, crate::Error> {
        Ok(self.schema(dialect)?.sql)
    }

    /// The model of the tables in `dialect`.
    fn model(&self, dialect: Dialect) -> Result<Schema, ModelError> {
        let mut schema = Schema::new();
        for def in &self.tables {
            if let Some(other) = self
                .tables
                .iter()
                .find(|o| !std::ptr::eq(*o, def) && o.name.eq_ignore_ascii_case(&def.name))
            {
                return Err(ModelError(format!(
                    "structs `{}` and `{}` both make table `{}`",
                    other.rust_name, def.rust_name, def.name
                )));
            }
            let table = table_model(def, dialect, &mut schema.enums)?;
            schema.tables.insert(def.name.clone(), table);
        }
        for def in &self.tables {
            for c in &def.columns {
                if let Some(r) = &c.references {
                    let (target, _) = split_reference(&r.target);
                    if !self.tables.iter().any(|t| t.name == target) {
                        return Err(ModelError(format!(
                            "{}.{}: references table `{target}`, which no model makes (add it with Models::table)",
                            def.rust_name, c.field
                        )));
                    }
                }
            }
        }
        schema.normalize();
        Ok(schema)
    }
}

/// `("t", ["a", "b"])` of `t(a, b)`; no columns for `t`.
fn split_reference(target: &str) -> (&str, Vec<String>) {
    match target.split_once('(') {
        Some((t, cols)) => (
            t.trim(),
            cols.trim_end()
                .trim_end_matches(')')
                .split(',')
                .map(|c| c.trim().to_string())
                .collect(),
        ),
        None => (target.trim(), Vec::new()),
    }
}

fn fk_action(words: Option<&str>, dialect: Dialect) -> FkAction {
    match words {
        Some("cascade") => FkAction::Cascade,
        Some("restrict") => FkAction::Restrict,
        Some("set null") => FkAction::SetNull,
        Some("set default") => FkAction::SetDefault,
        Some(_) => FkAction::NoAction,
        // What reading `REFERENCES t(c)` without a clause gives in each dialect.
        None if dialect == Dialect::Mysql => FkAction::Unspecified,
        None => FkAction::NoAction,
    }
}

fn table_model(
    def: &TableDef,
    dialect: Dialect,
    enums: &mut std::collections::BTreeMap<String, Vec<String>>,
) -> Result<ModelTable, ModelError> {
    let at = |field: &str| format!("{}.{field}", def.rust_name);
    let mut table = ModelTable::new(def.name.clone());
    let key_fields: Vec<String> = def
        .columns
        .iter()
        .filter(|c| c.primary_key)
        .map(|c| c.name.clone())
        .collect();
    if !key_fields.is_empty() && !def.primary_key.is_empty() {
        return Err(ModelError(format!(
            "{}: the primary key is given both on the struct and on field(s) {}; give it in one place",
            def.rust_name,
            key_fields.join(", ")
        )));
    }
    let key = if key_fields.is_empty() {
        def.primary_key.clone()
    } else {
        key_fields
    };
    for c in &def.columns {
        let ty = match &c.ty {
            SqlType::SmallInt => ColumnType::SmallInt,
            SqlType::Integer => ColumnType::Integer,
            SqlType::BigInt => ColumnType::BigInt,
            SqlType::Real => ColumnType::Real,
            SqlType::Double => ColumnType::Double,
            SqlType::Boolean => ColumnType::Boolean,
            SqlType::Text => ColumnType::Text,
            SqlType::Varchar(n) => ColumnType::Varchar(Some(*n)),
            SqlType::Blob => ColumnType::Blob,
            SqlType::Date => ColumnType::Date,
            SqlType::Time => ColumnType::Time,
            SqlType::Timestamp => ColumnType::Timestamp,
            SqlType::TimestampTz => ColumnType::TimestampTz,
            SqlType::Json => ColumnType::Json,
            SqlType::Uuid => ColumnType::Uuid,
            SqlType::Enum(e) => enum_column(e, dialect, enums, &mut table, &c.name)
                .map_err(|m| ModelError(format!("{}: {m}", at(c.field))))?,
            SqlType::Sql(text) => wildebeest_sql::parse_type(text, dialect)
                .map(|t| t.resolve_enum(enums))
                .map_err(|m| ModelError(format!("{}: sql_type = {text:?}: {m}", at(c.field))))?,
        };
        let mut column = Column::new(c.name.clone(), ty);
        column.nullable = c.nullable && !key.contains(&c.name);
        column.auto_increment = c.auto_increment;
        if let Some(d) = &c.default {
            column.default = Some(
                wildebeest_sql::normalize_expr(d, dialect)
                    .map_err(|m| ModelError(format!("{}: default = {d:?}: {m}", at(c.field))))?,
            );
        }
        if let Some(check) = &c.check {
            table.checks.push(Check {
                no_inherit: false,
                written: Default::default(),
                name: None,
                expr: wildebeest_sql::normalize_expr(check, dialect)
                    .map_err(|m| ModelError(format!("{}: check = {check:?}: {m}", at(c.field))))?,
            });
        }
        if c.unique {
            table.uniques.push(Unique {
                deferral: Default::default(),
                name: None,
                columns: vec![c.name.clone()],
            });
        }
        if c.index {
            table
                .indexes
                .push(index(&def.name, None, std::slice::from_ref(&c.name)));
        }
        if let Some(r) = &c.references {
            let (target, ref_columns) = split_reference(&r.target);
            table.foreign_keys.push(ForeignKey {
                name: None,
                columns: vec![c.name.clone()],
                ref_table: target.to_string(),
                ref_columns,
                on_delete: fk_action(r.on_delete.as_deref(), dialect),
                on_update: fk_action(r.on_update.as_deref(), dialect),
                deferral: Default::default(),
            });
        }
        table.columns.push(column);
    }
    if !key.is_empty() {
        table.primary_key = Some(PrimaryKey {
            deferral: Default::default(),
            name: None,
            columns: key,
        });
    }
    for u in &def.uniques {
        table.uniques.push(Unique {
            deferral: Default::default(),
            name: u.name.clone(),
            columns: u.columns.clone(),
        });
    }
    for i in &def.indexes {
        table
            .indexes
            .push(index(&def.name, i.name.as_deref(), &i.columns));
    }
    for check in &def.checks {
        table.checks.push(Check {
            no_inherit: false,
            written: Default::default(),
            name: None,
            expr: wildebeest_sql::normalize_expr(check, dialect)
                .map_err(|m| ModelError(format!("{}: check = {check:?}: {m}", def.rust_name)))?,
        });
    }
    Ok(table)
}

fn index(table: &str, name: Option<&str>, columns: &[String]) -> Index {
    Index {
        hidden: None,
        name: name
            .map(str::to_string)
            .unwrap_or_else(|| format!("{table}_{}_idx", columns.join("_"))),
        table: table.to_string(),
        columns: columns.to_vec(),
        unique: false,
        predicate: None,
        method: None,
        nulls_not_distinct: false,
        comment: None,
        include: Vec::new(),
        storage: Vec::new(),
        predicate_written: Default::default(),
    }
}

/// The column type of an enum in `dialect`: PostgreSQL's enum type; MySQL's `ENUM`
/// column type; on SQLite, which has neither, `TEXT` with a check on the labels.
fn enum_column(
    e: &EnumDef,
    dialect: Dialect,
    enums: &mut std::collections::BTreeMap<String, Vec<String>>,
    table: &mut ModelTable,
    column: &str,
) -> Result<ColumnType, String> {
    let labels: Vec<String> = e
        .labels
        .iter()
        .map(|l| wildebeest_sql::quote_literal(l))
        .collect();
    match dialect {
        Dialect::Postgres => {
            if let Some(known) = enums.get(&e.name)
                && *known != e.labels
            {
                return Err(format!(
                    "two enums make the type `{}` with different labels",
                    e.name
                ));
            }
            enums.insert(e.name.clone(), e.labels.clone());
            Ok(ColumnType::Enum(e.name.clone()))
        }
        Dialect::Mysql => {
            wildebeest_sql::parse_type(&format!("ENUM({})", labels.join(", ")), dialect)
        }
        Dialect::Sqlite => {
            let expr = format!(
                "{} IN ({})",
                wildebeest_sql::quote_ident(column, dialect),
                labels.join(", ")
            );
            table.checks.push(Check {
                no_inherit: false,
                written: Default::default(),
                name: None,
                expr: wildebeest_sql::normalize_expr(&expr, dialect)?,
            });
            Ok(ColumnType::Text)
        }
    }
}
