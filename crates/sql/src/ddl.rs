//! sqlparser's DDL statements to the model.
//!
//! Everything a column says about constraints becomes a table-level constraint, as the
//! model holds them. What the model cannot hold is never dropped silently: a table
//! records it in `unmodeled` and a warning names its line; an `ALTER TABLE` action
//! that cannot be modeled is an error the caller turns into a warning.

use sqlparser::ast::helpers::stmt_create_table::CreateTableBuilder;
use sqlparser::ast::{
    AlterColumnOperation, AlterTable, AlterTableOperation, AlterType, AlterTypeAddValuePosition,
    AlterTypeOperation, ColumnDef, ColumnOption, ColumnOptionDef, CommentDef,
    ConstraintCharacteristics, CreateIndex, CreateTable, CreateTableOptions, DeferrableInitial,
    ExcludeConstraintOperator, Expr, ForeignKeyConstraint, FullTextOrSpatialConstraint,
    FunctionArg, FunctionArgExpr, GeneratedAs, GeneratedExpressionMode, Ident, IndexColumn,
    IndexConstraint, IndexOption, IndexType, NullsDistinctOption, ObjectName, ObjectNamePart,
    OrderBySort, ReferentialAction, RenameTableNameKind, Spanned, SqlOption, TableConstraint,
    UserDefinedTypeRepresentation, Value, ValueWithSpan,
};
use sqlparser::keywords::Keyword;
use sqlparser::tokenizer::Token;
use wildebeest_schema::{
    AlterAction, Change, Check, Column, ColumnAlter, Constraint, Declared, Deferral, Exclusion,
    ExclusionElement, FkAction, ForeignKey, Generated, Index, LabelPosition, PrimaryKey, Table,
    TableOptions, Unique, prefix_part,
};

use crate::lex::{Pos, PosError, pos_of};
use crate::sequence::{self, ColumnIdentity};
use crate::{Dialect, Warning, expr, types};

/// What conversion needs besides the statement: the dialect, where the statement
/// starts (the position of anything without a span), and where warnings go.
pub(crate) struct Ctx<'a> {
    pub dialect: Dialect,
    pub start: Pos,
    pub warnings: &'a mut Vec<Warning>,
    /// The PostgreSQL schema wildebeest manages (`public` unless configured): with
    /// `public`, the qualifiers a PostgreSQL name may carry.
    pub pg_schema: &'a str,
}

impl Ctx<'_> {
    pub fn warn(&mut self, line: usize, message: impl Into<String>) {
        self.warnings.push(Warning {
            line,
            message: message.into(),
        });
    }

    fn pos(&self, ident: &Ident) -> Pos {
        pos_of(ident.span, self.start)
    }

    fn expr(&self, e: &Expr) -> String {
        expr::canonical(e, self.dialect)
    }

    /// A column default; `DEFAULT NULL` is no default, as a database reports it.
    /// In SQLite a name right after `DEFAULT` (`"dq"`, `dq`, `[dq]`) is a string: no
    /// column can be referenced there, and SQLite stores the name's text.
    fn default(&self, e: &Expr) -> Option<String> {
        if let (Dialect::Sqlite, Expr::Identifier(name)) = (self.dialect, e) {
            return Some(crate::quote::quote_literal(&name.value));
        }
        Some(self.expr(e)).filter(|d| d != "NULL")
    }
}

/// A name and where it was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Name {
    pub value: String,
    pub pos: Pos,
}

/// A constraint with the positions of the names it mentions, for error messages.
#[derive(Debug, Clone)]
pub(crate) struct ConstraintDef {
    pub constraint: Constraint,
    /// Where the constraint is written (its name, or its first column).
    pub pos: Pos,
    /// The local columns, in the order of the constraint's columns.
    pub columns: Vec<Pos>,
    /// The referenced table of a foreign key.
    pub ref_table: Option<Pos>,
    /// The referenced columns of a foreign key.
    pub ref_columns: Vec<Pos>,
}

/// A converted `CREATE TABLE`.
#[derive(Debug, Clone)]
pub(crate) struct TableDef {
    pub table: Table,
    pub if_not_exists: bool,
    pub name_pos: Pos,
    /// Every constraint, inline ones included, with positions.
    pub constraints: Vec<ConstraintDef>,
    /// MySQL's `KEY name (...)` / `INDEX name (...)` in the table's definition.
    pub indexes: Vec<IndexDef>,
    /// What the table keeps in `Table::unmodeled`, each with the line it is on. The
    /// caller says what becomes of them (a warning, or a schema file's positions).
    pub unmodeled: Vec<(usize, String)>,
}

/// A converted `CREATE INDEX`.
#[derive(Debug, Clone)]
pub(crate) struct IndexDef {
    pub index: Index,
    pub if_not_exists: bool,
    pub name_pos: Pos,
    pub table_pos: Pos,
    /// The parts of `index.columns` that start with a plain column name: the part's
    /// position in `index.columns`, the name, and where it was written.
    pub plain_columns: Vec<(usize, String, Pos)>,
    /// Where each name of `index.include` was written.
    pub include_pos: Vec<Pos>,
}

/// Whether a foreign key's `MATCH` is one the model cannot hold: `MATCH SIMPLE` is
/// what a key without one is on every database (a row with a NULL in the key is
/// not checked), `MATCH FULL` and `MATCH PARTIAL` are not.
fn unheld_match(kind: Option<&sqlparser::ast::ConstraintReferenceMatchKind>) -> bool {
    !matches!(
        kind,
        None | Some(sqlparser::ast::ConstraintReferenceMatchKind::Simple)
    )
}

/// The last part of a possibly qualified name. In PostgreSQL a qualifier must be the
/// managed schema or `public` (pg_dump writes it; a dump of a database's `public`
/// schema may describe an application configured to live in another): the model has
/// one namespace, so an object of any other schema is refused by name rather than
/// moved into this one. In SQLite `main` is dropped silently, any other qualifier with
/// a warning.
pub(crate) fn object_name(name: &ObjectName, ctx: &mut Ctx<'_>) -> Result<Name, PosError> {
    let idents: Vec<&Ident> = name.0.iter().filter_map(|p| p.as_ident()).collect();
    let (Some(last), true) = (idents.last(), idents.len() == name.0.len()) else {
        return Err(PosError::new(
            ctx.start,
            format!("cannot read the name `{name}`"),
        ));
    };
    let pos = ctx.pos(last);
    if ctx.dialect == Dialect::Postgres && idents.len() > 1 {
        let qualifier = &idents[idents.len() - 2].value;
        let managed = idents.len() == 2 && (qualifier == "public" || *qualifier == ctx.pg_schema);
        if !managed {
            let at = idents.first().map_or(pos, |i| ctx.pos(i));
            return Err(PosError::new(
                at,
                format!(
                    "`{}`: objects in schema `{qualifier}` are not supported yet; wildebeest \
                     manages one schema (`{}`): write the name unqualified",
                    dotted(name),
                    ctx.pg_schema
                ),
            ));
        }
    } else if let [qualifier, _] = idents.as_slice() {
        let default = match ctx.dialect {
            Dialect::Postgres => true,
            Dialect::Sqlite => qualifier.value.eq_ignore_ascii_case("main"),
            Dialect::Mysql => false,
        };
        if !default {
            ctx.warn(
                pos.line,
                format!("`{name}`: the qualifier `{qualifier}` is dropped"),
            );
        }
    } else if idents.len() > 2 {
        ctx.warn(pos.line, format!("`{name}`: the qualifiers are dropped"));
    }
    Ok(Name {
        value: last.value.clone(),
        pos,
    })
}

fn name(ident: &Ident, ctx: &Ctx<'_>) -> Name {
    Name {
        value: ident.value.clone(),
        pos: ctx.pos(ident),
    }
}

fn dotted(name: &ObjectName) -> String {
    name.0
        .iter()
        .map(|p| {
            p.as_ident()
                .map_or_else(|| p.to_string(), |i| i.value.clone())
        })
        .collect::<Vec<_>>()
        .join(".")
}

/// A column's collation as the catalog reads it: in PostgreSQL unqualified when it
/// is `pg_catalog`'s or the managed schema's (pg_dump writes `pg_catalog."C"` where
/// the file said `"C"`), as a domain's is.
fn collation_name(name: &ObjectName, ctx: &Ctx<'_>) -> String {
    let text = dotted(name);
    if ctx.dialect != Dialect::Postgres || name.0.len() != 2 {
        return text;
    }
    let first = name.0[0].as_ident().map(|i| i.value.as_str());
    match first {
        Some(q) if q == "pg_catalog" || q == ctx.pg_schema => name.0[1]
            .as_ident()
            .map_or(text.clone(), |i| i.value.clone()),
        _ => text,
    }
}

/// The name under which `wanted` is known among `names`: itself, or for dialects whose
/// names ignore case, the one spelling that matches ignoring ASCII case.
pub(crate) fn find_name<'a>(
    names: impl Iterator<Item = &'a str> + Clone,
    wanted: &str,
    dialect: Dialect,
) -> Option<&'a str> {
    if let Some(exact) = names.clone().find(|n| *n == wanted) {
        return Some(exact);
    }
    if !dialect.folds_case() {
        return None;
    }
    let mut folded = names.filter(|n| n.eq_ignore_ascii_case(wanted));
    match (folded.next(), folded.next()) {
        (Some(only), None) => Some(only),
        _ => None,
    }
}

/// A foreign key action; no clause is `NO ACTION` but in the MySQL dialect, where
/// MySQL and MariaDB store it differently ([`FkAction::Unspecified`]).
fn fk_action(action: &Option<ReferentialAction>, dialect: Dialect) -> FkAction {
    match action {
        None if dialect == Dialect::Mysql => FkAction::Unspecified,
        None | Some(ReferentialAction::NoAction) => FkAction::NoAction,
        Some(ReferentialAction::Restrict) => FkAction::Restrict,
        Some(ReferentialAction::Cascade) => FkAction::Cascade,
        Some(ReferentialAction::SetNull) => FkAction::SetNull,
        Some(ReferentialAction::SetDefault) => FkAction::SetDefault,
    }
}

/// A column definition: the column, its inline constraints made table-level, and the
/// descriptions of what the model cannot hold.
pub(crate) struct ColumnOut {
    pub column: Column,
    pub pos: Pos,
    pub constraints: Vec<ConstraintDef>,
    pub unmodeled: Vec<(usize, String)>,
}

/// A PostgreSQL type qualified with the managed schema (`app.mood`, as `pg_dump -n
/// app` writes a column of the enum or domain `mood`) as if qualified with `public`,
/// which the model takes off a name of its enum types and domains
/// ([`ColumnType::resolve_enum`], [`ColumnType::unqualified_domain`]).
fn managed_type(ty: wildebeest_schema::ColumnType, ctx: &Ctx<'_>) -> wildebeest_schema::ColumnType {
    use wildebeest_schema::ColumnType;
    let ColumnType::Custom(text) = &ty else {
        return ty;
    };
    if ctx.dialect != Dialect::Postgres || ctx.pg_schema == "public" {
        return ty;
    }
    let upper = format!("{}.", ctx.pg_schema.to_uppercase());
    let quoted = format!("\"{}\".", ctx.pg_schema.replace('"', "\"\""));
    let unquoted_ok = ctx.pg_schema == ctx.pg_schema.to_lowercase();
    let rest = text
        .strip_prefix(&upper)
        .filter(|_| unquoted_ok)
        .or_else(|| text.strip_prefix(&quoted));
    match rest {
        Some(rest) => ColumnType::Custom(format!("PUBLIC.{rest}")),
        None => ty,
    }
}

pub(crate) fn column_def(def: &ColumnDef, ctx: &mut Ctx<'_>) -> Result<ColumnOut, PosError> {
    let col = name(&def.name, ctx);
    let mut column = Column::new(
        col.value.clone(),
        managed_type(types::model_type(&def.data_type, ctx.dialect), ctx),
    );
    let mut constraints = Vec::new();
    let mut unmodeled = Vec::new();
    let here = col.pos;
    let describe = |opt: &ColumnOptionDef| format!("column {}: {opt}", col.value);
    let mut declared = None;
    // MySQL's `NVARCHAR(n)` is `VARCHAR(n)` in the national character set, utf8mb3
    // (MySQL and MariaDB alike): said so, the column compares with what the server
    // reports of it instead of drifting to the table's character set.
    if ctx.dialect == Dialect::Mysql
        && matches!(def.data_type, sqlparser::ast::DataType::Nvarchar(_))
    {
        column.charset = Some("utf8mb3".to_string());
    }
    // And `NCHAR(n)`, which the parser leaves a custom type, is `CHAR(n)` in it (a
    // `CHARACTER SET` after `NCHAR` is a syntax error to MySQL).
    if ctx.dialect == Dialect::Mysql
        && let Some(len) = mysql_nchar(&def.data_type)
    {
        column.ty = wildebeest_schema::ColumnType::Char(len);
        column.charset = Some("utf8mb3".to_string());
    }
    for opt in &def.options {
        if let Some(text) = crate::parse::declared_option(&opt.option) {
            declared = Some(text);
            continue;
        }
        let constraint_name = opt.name.as_ref().map(|i| i.value.clone());
        let name_pos = opt.name.as_ref().map(|i| ctx.pos(i));
        match &opt.option {
            ColumnOption::Null => column.nullable = true,
            ColumnOption::NotNull => column.nullable = false,
            ColumnOption::Default(e) => {
                if ctx.dialect == Dialect::Postgres
                    && let Some(message) = crate::frozen::refusal(e, &col.value, Some(&column.ty))
                {
                    return Err(PosError::new(here, message));
                }
                column.default = ctx.default(e);
            }
            ColumnOption::Collation(n) => column.collation = Some(collation_name(n, ctx)),
            ColumnOption::CharacterSet(n) if ctx.dialect == Dialect::Mysql => {
                column.charset = Some(dotted(n).to_ascii_lowercase());
            }
            ColumnOption::Comment(text) if ctx.dialect == Dialect::Mysql => {
                column.comment = Some(text.clone()).filter(|t| !t.is_empty());
            }
            ColumnOption::PrimaryKey(pk) => {
                let (deferral, extra) = key_deferral(pk.characteristics.as_ref(), ctx.dialect)
                    .map_err(|e| PosError::new(here, e))?;
                if extra || key_extras(pk.index_type.as_ref(), &pk.index_options, ctx.dialect) {
                    unmodeled.push((here.line, describe(opt)));
                }
                constraints.push(ConstraintDef {
                    constraint: Constraint::PrimaryKey(PrimaryKey {
                        deferral,
                        name: constraint_name.or_else(|| pk.name.as_ref().map(|n| n.value.clone())),
                        columns: vec![col.value.clone()],
                    }),
                    pos: name_pos.unwrap_or(here),
                    columns: vec![here],
                    ref_table: None,
                    ref_columns: Vec::new(),
                });
            }
            ColumnOption::Unique(u) => {
                let (deferral, extra) = key_deferral(u.characteristics.as_ref(), ctx.dialect)
                    .map_err(|e| PosError::new(here, e))?;
                if extra
                    || key_extras(u.index_type.as_ref(), &u.index_options, ctx.dialect)
                    || u.nulls_distinct != NullsDistinctOption::None
                {
                    unmodeled.push((here.line, describe(opt)));
                }
                constraints.push(ConstraintDef {
                    constraint: Constraint::Unique(Unique {
                        deferral,
                        name: constraint_name.or_else(|| u.name.as_ref().map(|n| n.value.clone())),
                        columns: vec![col.value.clone()],
                    }),
                    pos: name_pos.unwrap_or(here),
                    columns: vec![here],
                    ref_table: None,
                    ref_columns: Vec::new(),
                });
            }
            ColumnOption::ForeignKey(fk) => {
                let (mut cd, extra) = foreign_key(fk, ctx)?;
                if fk.referred_columns.len() > 1 {
                    return Err(PosError::new(
                        cd.ref_table.unwrap_or(here),
                        format!(
                            "column `{}` references {} columns; a column can reference one",
                            col.value,
                            fk.referred_columns.len()
                        ),
                    ));
                }
                if unheld_match(fk.match_kind.as_ref()) || extra {
                    unmodeled.push((here.line, describe(opt)));
                }
                cd.columns = vec![here];
                cd.pos = name_pos.unwrap_or(here);
                if let Constraint::ForeignKey(f) = &mut cd.constraint {
                    f.columns = vec![col.value.clone()];
                    f.name = constraint_name.or(f.name.take());
                }
                constraints.push(cd);
            }
            ColumnOption::Check(c) => {
                // `NO INHERIT` is PostgreSQL's, held there; elsewhere a part the
                // model cannot hold.
                let no_inherit = c.no_inherit && ctx.dialect == Dialect::Postgres;
                if c.no_inherit != no_inherit || c.enforced.is_some() {
                    unmodeled.push((here.line, describe(opt)));
                }
                constraints.push(ConstraintDef {
                    constraint: Constraint::Check(Check {
                        name: constraint_name.or_else(|| c.name.as_ref().map(|n| n.value.clone())),
                        expr: ctx.expr(&c.expr),
                        no_inherit,
                        written: Default::default(),
                    }),
                    pos: name_pos.unwrap_or(here),
                    columns: Vec::new(),
                    ref_table: None,
                    ref_columns: Vec::new(),
                });
            }
            ColumnOption::DialectSpecific(tokens) if is_auto_increment(tokens, ctx.dialect) => {
                column.auto_increment = true;
            }
            ColumnOption::OnUpdate(e) if ctx.dialect == Dialect::Mysql => {
                column.on_update = Some(ctx.expr(e));
            }
            ColumnOption::Invisible if ctx.dialect == Dialect::Mysql => column.invisible = true,
            ColumnOption::Generated {
                generated_as: kind @ (GeneratedAs::Always | GeneratedAs::ByDefault),
                sequence_options,
                generation_expr: None,
                ..
            } if ctx.dialect == Dialect::Postgres
                && sequence_options.as_ref().is_none_or(|o| o.is_empty()) =>
            {
                // An identity column; PostgreSQL makes it NOT NULL.
                column.auto_increment = true;
                column.generated_always = *kind == GeneratedAs::Always;
            }
            ColumnOption::Generated {
                generated_as: GeneratedAs::Always | GeneratedAs::ExpStored,
                sequence_options: None,
                generation_expr: Some(e),
                generation_expr_mode,
                ..
            } if column.generated.is_none() => {
                // A generated column: `VIRTUAL` unless it says `STORED`.
                let stored = *generation_expr_mode == Some(GeneratedExpressionMode::Stored);
                if ctx.dialect == Dialect::Postgres && !stored {
                    // PostgreSQL before 18 has only STORED ones, and 18's VIRTUAL
                    // ones are not modeled: refused here, with the spelling that runs.
                    return Err(PosError::new(
                        here,
                        format!(
                            "column `{}` is a VIRTUAL generated column, which wildebeest does \
                             not model for PostgreSQL: write `GENERATED ALWAYS AS ({}) STORED`",
                            col.value,
                            ctx.expr(e)
                        ),
                    ));
                }
                column.generated = Some(Generated {
                    expr: ctx.expr(e),
                    stored,
                });
            }
            _ => unmodeled.push((here.line, describe(opt))),
        }
        if let (
            Some(n),
            ColumnOption::Null
            | ColumnOption::NotNull
            | ColumnOption::Default(_)
            | ColumnOption::Collation(_),
        ) = (&opt.name, &opt.option)
        {
            ctx.warn(
                ctx.pos(n).line,
                format!(
                    "the name `{}` of `{}` on column `{}` is not kept",
                    n.value, opt.option, col.value
                ),
            );
        }
    }
    if column.auto_increment && ctx.dialect == Dialect::Postgres {
        column.nullable = false;
    }
    if let Some(text) = declared {
        column.declared = Declared::new(text, column.ty.clone());
    }
    Ok(ColumnOut {
        column,
        pos: here,
        constraints,
        unmodeled,
    })
}

/// `AUTOINCREMENT` in SQLite, `AUTO_INCREMENT` in MySQL.
fn is_auto_increment(tokens: &[Token], dialect: Dialect) -> bool {
    let keyword = match dialect {
        Dialect::Sqlite => Keyword::AUTOINCREMENT,
        Dialect::Mysql => Keyword::AUTO_INCREMENT,
        Dialect::Postgres => return false,
    };
    matches!(tokens, [Token::Word(w)] if w.keyword == keyword)
}

/// A foreign key (table-level, or a column's `REFERENCES` before the caller gives it
/// the column), and whether its characteristics hold more than the model does.
fn foreign_key(
    fk: &ForeignKeyConstraint,
    ctx: &mut Ctx<'_>,
) -> Result<(ConstraintDef, bool), PosError> {
    let table = object_name(&fk.foreign_table, ctx)?;
    let columns: Vec<Name> = fk.columns.iter().map(|c| name(c, ctx)).collect();
    let ref_columns: Vec<Name> = fk.referred_columns.iter().map(|c| name(c, ctx)).collect();
    let pos = fk
        .name
        .as_ref()
        .map(|n| ctx.pos(n))
        .or_else(|| columns.first().map(|c| c.pos))
        .unwrap_or(table.pos);
    let (deferral, extra) = match (&fk.characteristics, ctx.dialect) {
        (None, _) => (Deferral::NotDeferrable, false),
        // MySQL has no deferral (MariaDB rejects the words): kept as written.
        (Some(_), Dialect::Mysql) => (Deferral::NotDeferrable, true),
        (Some(c), dialect) => (
            deferral(c, dialect).map_err(|e| PosError::new(pos, e))?,
            c.enforced.is_some(),
        ),
    };
    let def = ConstraintDef {
        constraint: Constraint::ForeignKey(ForeignKey {
            name: fk.name.as_ref().map(|n| n.value.clone()),
            columns: columns.iter().map(|c| c.value.clone()).collect(),
            ref_table: table.value,
            ref_columns: ref_columns.iter().map(|c| c.value.clone()).collect(),
            on_delete: fk_action(&fk.on_delete, ctx.dialect),
            on_update: fk_action(&fk.on_update, ctx.dialect),
            deferral,
        }),
        pos,
        columns: columns.iter().map(|c| c.pos).collect(),
        ref_table: Some(table.pos),
        ref_columns: ref_columns.iter().map(|c| c.pos).collect(),
    };
    Ok((def, extra))
}

/// A primary key's or unique constraint's deferral, and whether it says more than
/// the model holds: only PostgreSQL has a deferrable key (on SQLite and MySQL the
/// words stay a part the model cannot hold, refused by name).
fn key_deferral(
    c: Option<&ConstraintCharacteristics>,
    dialect: Dialect,
) -> Result<(Deferral, bool), String> {
    Ok(match c {
        None => (Deferral::NotDeferrable, false),
        Some(c) if dialect == Dialect::Postgres => (deferral(c, dialect)?, c.enforced.is_some()),
        Some(_) => (Deferral::NotDeferrable, true),
    })
}

/// `[NOT] DEFERRABLE [INITIALLY DEFERRED | IMMEDIATE]` as PostgreSQL reads it:
/// `DEFERRABLE` alone is initially immediate, `INITIALLY DEFERRED` alone implies
/// `DEFERRABLE`. PostgreSQL refuses `NOT DEFERRABLE INITIALLY DEFERRED`; SQLite takes it
/// for an immediate key (its documentation lists it so), which the model has it be.
fn deferral(c: &ConstraintCharacteristics, dialect: Dialect) -> Result<Deferral, String> {
    Ok(match (c.deferrable, c.initially) {
        (Some(false), Some(DeferrableInitial::Deferred)) if dialect == Dialect::Postgres => {
            return Err(
                "a constraint declared INITIALLY DEFERRED must be DEFERRABLE (PostgreSQL \
                 refuses NOT DEFERRABLE INITIALLY DEFERRED)"
                    .into(),
            );
        }
        (Some(false), _) | (None, Some(DeferrableInitial::Immediate) | None) => {
            Deferral::NotDeferrable
        }
        (Some(true), Some(DeferrableInitial::Immediate) | None) => Deferral::InitiallyImmediate,
        (Some(true) | None, Some(DeferrableInitial::Deferred)) => Deferral::InitiallyDeferred,
    })
}

/// The columns of a primary key or unique constraint: plain names. `None` when one is
/// an expression; `extra` is set when one has an order or operator class the model
/// cannot hold.
fn key_columns(columns: &[IndexColumn], ctx: &Ctx<'_>, extra: &mut bool) -> Option<Vec<Name>> {
    let mut out = Vec::new();
    for c in columns {
        let Expr::Identifier(ident) = &c.column.expr else {
            return None;
        };
        if c.operator_class.is_some()
            || c.column.options.sort.is_some()
            || c.column.options.nulls_first.is_some()
            || c.column.with_fill.is_some()
        {
            *extra = true;
        }
        out.push(name(ident, ctx));
    }
    Some(out)
}

/// An exclusion element's operator as PostgreSQL prints it: `=`, `&&`; one written
/// `OPERATOR(pg_catalog.=)` is the operator itself, as `pg_get_constraintdef` gives
/// it back, and one of another schema keeps its `OPERATOR(...)`.
fn exclusion_operator(op: &ExcludeConstraintOperator) -> String {
    match op {
        ExcludeConstraintOperator::Token(t) => t.clone(),
        ExcludeConstraintOperator::PGOperator(parts) => match parts.as_slice() {
            [schema, op] if schema.eq_ignore_ascii_case("pg_catalog") => op.clone(),
            [op] => op.clone(),
            _ => format!("OPERATOR({})", parts.join(".")),
        },
    }
}

/// A table-level constraint; `None` (with the source text pushed to `unmodeled`) for a
/// kind the model does not have.
pub(crate) fn table_constraint(
    tc: &TableConstraint,
    ctx: &mut Ctx<'_>,
    unmodeled: &mut Vec<(usize, String)>,
) -> Result<Option<ConstraintDef>, PosError> {
    let here = pos_of(tc.span(), ctx.start);
    let line = here.line;
    let mut extra = false;
    let def = match tc {
        TableConstraint::PrimaryKey(pk) => {
            let (deferral, odd) = key_deferral(pk.characteristics.as_ref(), ctx.dialect)
                .map_err(|e| PosError::new(here, e))?;
            extra |= odd
                || key_extras(pk.index_type.as_ref(), &pk.index_options, ctx.dialect)
                || !pk.include.is_empty();
            let Some(cols) = key_columns(&pk.columns, ctx, &mut extra) else {
                unmodeled.push((line, tc.to_string()));
                return Ok(None);
            };
            let name = pk.name.as_ref().or(pk.index_name.as_ref());
            ConstraintDef {
                constraint: Constraint::PrimaryKey(PrimaryKey {
                    deferral,
                    name: name.map(|n| n.value.clone()),
                    columns: cols.iter().map(|c| c.value.clone()).collect(),
                }),
                pos: name
                    .map(|n| ctx.pos(n))
                    .or(cols.first().map(|c| c.pos))
                    .unwrap_or(ctx.start),
                columns: cols.iter().map(|c| c.pos).collect(),
                ref_table: None,
                ref_columns: Vec::new(),
            }
        }
        TableConstraint::Unique(u) => {
            let (deferral, odd) = key_deferral(u.characteristics.as_ref(), ctx.dialect)
                .map_err(|e| PosError::new(here, e))?;
            extra |= odd
                || key_extras(u.index_type.as_ref(), &u.index_options, ctx.dialect)
                || !u.include.is_empty()
                || u.nulls_distinct != NullsDistinctOption::None;
            let Some(cols) = key_columns(&u.columns, ctx, &mut extra) else {
                unmodeled.push((line, tc.to_string()));
                return Ok(None);
            };
            let name = u.name.as_ref().or(u.index_name.as_ref());
            ConstraintDef {
                constraint: Constraint::Unique(Unique {
                    deferral,
                    name: name.map(|n| n.value.clone()),
                    columns: cols.iter().map(|c| c.value.clone()).collect(),
                }),
                pos: name
                    .map(|n| ctx.pos(n))
                    .or(cols.first().map(|c| c.pos))
                    .unwrap_or(ctx.start),
                columns: cols.iter().map(|c| c.pos).collect(),
                ref_table: None,
                ref_columns: Vec::new(),
            }
        }
        TableConstraint::ForeignKey(fk) => {
            let (def, characteristics) = foreign_key(fk, ctx)?;
            extra |=
                unheld_match(fk.match_kind.as_ref()) || characteristics || fk.index_name.is_some();
            def
        }
        TableConstraint::Check(c) => {
            let no_inherit = c.no_inherit && ctx.dialect == Dialect::Postgres;
            extra |= c.no_inherit != no_inherit || c.enforced.is_some();
            let pos = c.name.as_ref().map(|n| ctx.pos(n)).unwrap_or(here);
            ConstraintDef {
                constraint: Constraint::Check(Check {
                    name: c.name.as_ref().map(|n| n.value.clone()),
                    expr: ctx.expr(&c.expr),
                    no_inherit,
                    written: Default::default(),
                }),
                pos,
                columns: Vec::new(),
                ref_table: None,
                ref_columns: Vec::new(),
            }
        }
        // PostgreSQL's alone: elsewhere a part the model cannot hold, refused by name.
        TableConstraint::Exclude(x) if ctx.dialect == Dialect::Postgres => {
            let (deferral, odd) = key_deferral(x.characteristics.as_ref(), ctx.dialect)
                .map_err(|e| PosError::new(here, e))?;
            extra |= odd;
            let parts: Vec<IndexColumn> = x.elements.iter().map(|e| e.column.clone()).collect();
            let (exprs, plain) = index_columns(&parts, ctx);
            let elements = exprs
                .into_iter()
                .zip(&x.elements)
                .map(|(expr, e)| ExclusionElement {
                    expr,
                    operator: exclusion_operator(&e.operator),
                })
                .collect();
            let pos = x.name.as_ref().map(|n| ctx.pos(n)).unwrap_or(here);
            let mut columns: Vec<Pos> = plain.iter().map(|(_, _, p)| *p).collect();
            columns.extend(x.include.iter().map(|i| ctx.pos(i)));
            ConstraintDef {
                constraint: Constraint::Exclusion(Exclusion {
                    name: x.name.as_ref().map(|n| n.value.clone()),
                    method: x
                        .index_method
                        .as_ref()
                        .map_or("btree".into(), |m| m.value.to_ascii_lowercase()),
                    elements,
                    include: x.include.iter().map(|i| i.value.clone()).collect(),
                    predicate: x.where_clause.as_ref().map(|p| ctx.expr(p)),
                    deferral,
                }),
                pos,
                columns,
                ref_table: None,
                ref_columns: Vec::new(),
            }
        }
        _ => {
            unmodeled.push((line, tc.to_string()));
            return Ok(None);
        }
    };
    if extra {
        unmodeled.push((def.pos.line, tc.to_string()));
    }
    Ok(Some(def))
}

/// Converts a `CREATE TABLE`, checking what one statement can get wrong on its own: a
/// column defined twice, a second primary key, a key naming a column the table lacks.
/// `identities` are the options of its identity columns (PostgreSQL), which the caller
/// has taken out of the text (`sequence::create_table_identities`).
pub(crate) fn create_table(
    ct: &CreateTable,
    identities: &[ColumnIdentity],
    ctx: &mut Ctx<'_>,
) -> Result<TableDef, PosError> {
    let table_name = object_name(&ct.name, ctx)?;
    if ct.query.is_some() {
        return Err(PosError::new(
            table_name.pos,
            format!(
                "`CREATE TABLE {} AS SELECT` cannot be modeled; write its columns out",
                table_name.value
            ),
        ));
    }
    if ct.like.is_some() || ct.clone.is_some() {
        return Err(PosError::new(
            table_name.pos,
            format!(
                "`CREATE TABLE {}` copies another table; write its columns out",
                table_name.value
            ),
        ));
    }
    let mut table = Table::new(table_name.value.clone());
    table.options = TableOptions {
        without_rowid: ct.without_rowid,
        strict: ct.strict,
        nullable_key: ctx.dialect == Dialect::Sqlite,
        ..TableOptions::default()
    };
    if ctx.dialect == Dialect::Mysql
        && let CreateTableOptions::Plain(options) = &ct.table_options
    {
        for option in options.iter().filter_map(mysql_table_option) {
            option.set(&mut table.options);
        }
    }
    if let Some(storage) = pg_table_storage(ct, ctx.dialect) {
        table.options.storage = storage;
    }
    if ctx.dialect == Dialect::Postgres {
        partitioning(ct, &table_name, &mut table, ctx)?;
    }
    if ctx.dialect == Dialect::Sqlite && (ct.partition_by.is_some() || ct.partition_of.is_some()) {
        let what = if ct.partition_of.is_some() {
            "PARTITION OF"
        } else {
            "PARTITION BY"
        };
        return Err(PosError::new(
            table_name.pos,
            format!(
                "table `{}`: SQLite has no partitioning (`{what}`); write the table without it",
                table_name.value
            ),
        ));
    }
    let mut unmodeled: Vec<(usize, String)> = Vec::new();
    let mut constraints = Vec::new();
    let starts: Vec<(usize, usize)> = ct
        .columns
        .iter()
        .map(|c| {
            let p = ctx.pos(&c.name);
            (p.line, p.column)
        })
        .collect();
    for (i, def) in ct.columns.iter().enumerate() {
        let mut out = column_def(def, ctx)?;
        // The identity options written between this column's name and the next's:
        // PostgreSQL's own for the column are a plain identity, others are kept.
        let within = |at: Pos| {
            let at = (at.line, at.column);
            at > starts[i] && starts.get(i + 1).is_none_or(|next| at < *next)
        };
        if let Some(id) = identities.iter().find(|id| within(id.at))
            && out.column.auto_increment
            && !id
                .options
                .as_ref()
                .is_some_and(|o| o.plain(&table.name, &out.column.name, &out.column.ty))
        {
            let c = &out.column;
            let part = sequence::identity_part(&c.name, c.generated_always, &id.text);
            out.unmodeled.push((out.pos.line, part));
        }
        if let Some(first) = find_name(
            table.columns.iter().map(|c| c.name.as_str()),
            &out.column.name,
            ctx.dialect,
        ) {
            return Err(PosError::new(
                out.pos,
                format!(
                    "column `{}` is defined twice in table `{}`",
                    first, table.name
                ),
            ));
        }
        table.columns.push(out.column);
        constraints.extend(out.constraints);
        unmodeled.extend(out.unmodeled);
    }
    let mut indexes = Vec::new();
    for tc in &ct.constraints {
        if let TableConstraint::Index(ix) = tc
            && ctx.dialect == Dialect::Mysql
        {
            let here = pos_of(tc.span(), ctx.start);
            match inline_index(ix, &table_name, here, ctx)? {
                Some(def) => indexes.push(def),
                None => unmodeled.push((here.line, tc.to_string())),
            }
            continue;
        }
        if let TableConstraint::FulltextOrSpatial(fs) = tc
            && ctx.dialect == Dialect::Mysql
        {
            let here = pos_of(tc.span(), ctx.start);
            match fulltext_index(fs, &table_name, here, ctx)? {
                Some(def) => indexes.push(def),
                None => unmodeled.push((here.line, tc.to_string())),
            }
            continue;
        }
        if let TableConstraint::Unique(u) = tc
            && let Some(def) = unique_prefix_index(u, &table_name, ctx)?
        {
            indexes.push(def);
            continue;
        }
        if let Some(def) = table_constraint(tc, ctx, &mut unmodeled)? {
            constraints.push(def);
        }
    }
    for def in &mut constraints {
        // A partition's columns are its parent's, which the caller gives it and
        // checks the keys against (`schema::Builder::partition`).
        if table.options.partition_of.is_some() {
            add_partition_constraint(&mut table, def)?;
        } else {
            add_constraint(&mut table, def, ctx.dialect)?;
        }
    }
    if let Some(at) = partitioned(ct) {
        let clause = &at.value[crate::parse::PARTITIONED.len()..];
        table.options.mysql_partitioning =
            Some(crate::mysql_partition::read_clause(clause, ctx.pos(at))?);
    }
    if let Some(clause) = other_clauses(ct, ctx.dialect) {
        unmodeled.push((table_name.pos.line, clause));
    }
    table.unmodeled = unmodeled.iter().map(|(_, what)| what.clone()).collect();
    table.normalize();
    Ok(TableDef {
        table,
        if_not_exists: ct.if_not_exists,
        name_pos: table_name.pos,
        constraints,
        indexes,
        unmodeled,
    })
}

/// The warning that `table` keeps `what` (on `line`) as an unmodeled part.
pub(crate) fn warn_unmodeled(ctx: &mut Ctx<'_>, table: &str, line: usize, what: &str) {
    ctx.warn(
        line,
        format!("table `{table}`: the model cannot hold `{what}`; it is kept as unmodeled"),
    );
}

/// MySQL's `KEY name (a, b DESC)` or `INDEX name (...)` in a `CREATE TABLE`: an index
/// of the table, as `CREATE INDEX` would make it. `None` for what the model has no
/// place for: a key part that is neither a column nor a column's prefix, an index
/// type other than `BTREE`.
fn inline_index(
    ix: &IndexConstraint,
    table: &Name,
    here: Pos,
    ctx: &mut Ctx<'_>,
) -> Result<Option<IndexDef>, PosError> {
    if !default_method(ix.index_type.as_ref(), &ix.index_options) {
        return Ok(None);
    }
    let mut def = key_index(ix.name.as_ref(), &ix.columns, None, table, here, ctx)?;
    if let Some(def) = &mut def {
        def.index.comment = index_comment(&ix.index_options);
        def.index.hidden = index_hidden(&ix.index_options);
    }
    Ok(def)
}

/// MySQL's `UNIQUE KEY name (title(50), ...)`: a key with a prefix part is no unique
/// constraint on columns but a unique index, as MySQL keeps it (`SHOW CREATE TABLE`
/// prints both as `UNIQUE KEY`). `None` for a key without a prefix part, or one
/// with parts the model does not hold on an index (left to [`table_constraint`]).
fn unique_prefix_index(
    u: &sqlparser::ast::UniqueConstraint,
    table: &Name,
    ctx: &mut Ctx<'_>,
) -> Result<Option<IndexDef>, PosError> {
    let prefixed = u
        .columns
        .iter()
        .any(|c| c.operator_class.is_none() && mysql_prefix(&c.column.expr).is_some());
    if ctx.dialect != Dialect::Mysql
        || !prefixed
        || u.characteristics.is_some()
        || !u.include.is_empty()
        || u.nulls_distinct != NullsDistinctOption::None
        || !default_method(u.index_type.as_ref(), &u.index_options)
    {
        return Ok(None);
    }
    let name = u.name.as_ref().or(u.index_name.as_ref());
    let here = pos_of(u.span(), ctx.start);
    let Some(mut def) = key_index(name, &u.columns, None, table, here, ctx)? else {
        return Ok(None);
    };
    def.index.unique = true;
    def.index.comment = index_comment(&u.index_options);
    Ok(Some(def))
}

/// Whether a MySQL key's `USING` (before or after its parts) names no method or
/// `BTREE`, the only one InnoDB builds: `USING BTREE` is what a key is without it,
/// and mysqldump writes it where it was written. `USING HASH` is not: InnoDB builds
/// a B-tree in its place and reports `BTREE`, so the model refuses it by name.
fn default_method(index_type: Option<&IndexType>, options: &[IndexOption]) -> bool {
    let using = options.iter().filter_map(|o| match o {
        IndexOption::Using(t) => Some(t),
        IndexOption::Comment(_) => None,
    });
    index_type
        .into_iter()
        .chain(using)
        .all(|t| matches!(t, IndexType::BTree))
}

/// A MySQL key's `COMMENT '...'`; `None` for none or an empty one.
fn index_comment(options: &[IndexOption]) -> Option<String> {
    options
        .iter()
        .filter_map(|o| match o {
            IndexOption::Comment(c) if !c.starts_with(crate::parse::HIDDEN) => Some(c.clone()),
            _ => None,
        })
        .next_back()
        .filter(|c| !c.is_empty())
}

/// A MySQL key's visibility to the optimizer, as `parse` gives it back
/// ([`crate::parse::HIDDEN`]): `IGNORED` or `INVISIBLE`, `None` for a visible key.
fn index_hidden(options: &[IndexOption]) -> Option<String> {
    options
        .iter()
        .filter_map(|o| match o {
            IndexOption::Comment(c) => c.strip_prefix(crate::parse::HIDDEN),
            IndexOption::Using(_) => None,
        })
        .next_back()
        .filter(|w| !w.is_empty())
        .map(str::to_string)
}

/// Whether a MySQL primary key or unique key has parts the model does not hold:
/// a `USING` other than `BTREE`, or a comment (held for plain keys only).
fn key_extras(index_type: Option<&IndexType>, options: &[IndexOption], dialect: Dialect) -> bool {
    let comment = options.iter().any(|o| matches!(o, IndexOption::Comment(_)));
    if dialect == Dialect::Mysql {
        comment || !default_method(index_type, options)
    } else {
        index_type.is_some() || !options.is_empty()
    }
}

/// MySQL's `FULLTEXT KEY name (a, b)` or `SPATIAL KEY name (g)` in a `CREATE TABLE`
/// (or an `ALTER TABLE ... ADD`): an index whose method is `FULLTEXT` or `SPATIAL`.
fn fulltext_index(
    fs: &FullTextOrSpatialConstraint,
    table: &Name,
    here: Pos,
    ctx: &mut Ctx<'_>,
) -> Result<Option<IndexDef>, PosError> {
    let method = if fs.fulltext { "FULLTEXT" } else { "SPATIAL" };
    let name = fs.opt_index_name.as_ref();
    key_index(name, &fs.columns, Some(method), table, here, ctx)
}

/// The index of a MySQL key named `name` on `parts`, with `method`; `None` when a part
/// is neither a column nor a column's prefix (`title(50)`).
fn key_index(
    name: Option<&Ident>,
    parts: &[IndexColumn],
    method: Option<&str>,
    table: &Name,
    here: Pos,
    ctx: &mut Ctx<'_>,
) -> Result<Option<IndexDef>, PosError> {
    let Some(name) = name else {
        return Err(PosError::new(
            here,
            "an index needs a name; wildebeest does not invent one",
        ));
    };
    let (columns, plain_columns) = index_columns(parts, ctx);
    if plain_columns.len() != columns.len() {
        return Ok(None);
    }
    Ok(Some(IndexDef {
        index: Index {
            hidden: None,
            name: name.value.clone(),
            table: table.value.clone(),
            columns,
            unique: false,
            predicate: None,
            method: method.map(str::to_string),
            nulls_not_distinct: false,
            comment: None,
            include: Vec::new(),
            storage: Vec::new(),
            predicate_written: Default::default(),
        },
        if_not_exists: false,
        name_pos: ctx.pos(name),
        table_pos: table.pos,
        plain_columns,
        include_pos: Vec::new(),
    }))
}

/// Adds a constraint to a table whose columns are known: its local columns must exist
/// (and take the table's spelling), and there is one primary key at most.
pub(crate) fn add_constraint(
    table: &mut Table,
    def: &mut ConstraintDef,
    dialect: Dialect,
) -> Result<(), PosError> {
    let local: Option<&mut Vec<String>> = match &mut def.constraint {
        Constraint::PrimaryKey(pk) => Some(&mut pk.columns),
        Constraint::Unique(u) => Some(&mut u.columns),
        Constraint::ForeignKey(fk) => Some(&mut fk.columns),
        Constraint::Check(_) | Constraint::Exclusion(_) => None,
    };
    if let Some(columns) = local {
        for (i, c) in columns.iter_mut().enumerate() {
            match find_name(table.columns.iter().map(|c| c.name.as_str()), c, dialect) {
                Some(found) => *c = found.to_string(),
                None => {
                    return Err(PosError::new(
                        def.columns.get(i).copied().unwrap_or(def.pos),
                        format!("table `{}` has no column `{c}`", table.name),
                    ));
                }
            }
        }
    }
    match &def.constraint {
        Constraint::PrimaryKey(pk) => {
            if table.primary_key.is_some() {
                return Err(PosError::new(
                    def.pos,
                    format!("table `{}` has more than one primary key", table.name),
                ));
            }
            table.primary_key = Some(pk.clone());
        }
        Constraint::Unique(u) => table.uniques.push(u.clone()),
        Constraint::ForeignKey(fk) => {
            if !fk.ref_columns.is_empty() && fk.ref_columns.len() != fk.columns.len() {
                return Err(PosError::new(
                    def.ref_table.unwrap_or(def.pos),
                    format!(
                        "foreign key ({}) of table `{}` names {} referenced columns for {} columns",
                        fk.columns.join(", "),
                        table.name,
                        fk.ref_columns.len(),
                        fk.columns.len()
                    ),
                ));
            }
            table.foreign_keys.push(fk.clone());
        }
        Constraint::Check(c) => table.checks.push(c.clone()),
        Constraint::Exclusion(x) => {
            let mut x = x.clone();
            exclusion_columns(table, &mut x, def, dialect)?;
            table.exclusions.push(x);
        }
    }
    Ok(())
}

/// Checks that the columns an exclusion constraint names (a plain element, an
/// included column) are `table`'s, and gives them the table's spelling.
fn exclusion_columns(
    table: &Table,
    x: &mut Exclusion,
    def: &ConstraintDef,
    dialect: Dialect,
) -> Result<(), PosError> {
    let plain = x
        .elements
        .iter_mut()
        .map(|e| &mut e.expr)
        .filter(|e| !e.contains(|c: char| !c.is_alphanumeric() && c != '_' && c != '$'));
    for (i, c) in plain.chain(x.include.iter_mut()).enumerate() {
        match find_name(table.columns.iter().map(|c| c.name.as_str()), c, dialect) {
            Some(found) => *c = found.to_string(),
            None => {
                return Err(PosError::new(
                    def.columns.get(i).copied().unwrap_or(def.pos),
                    format!("table `{}` has no column `{c}`", table.name),
                ));
            }
        }
    }
    Ok(())
}

/// PostgreSQL's declarative partitioning of `ct` into `table`'s options: its
/// partition key (`PARTITION BY RANGE (created)`) and, for a partition (`PARTITION
/// OF parent FOR VALUES ...`), its parent and bound. A partition's column list may
/// hold constraints only: a column's own options (`c WITH OPTIONS DEFAULT 1`) are
/// refused by name.
fn partitioning(
    ct: &CreateTable,
    name: &Name,
    table: &mut Table,
    ctx: &mut Ctx<'_>,
) -> Result<(), PosError> {
    if let Some(key) = ct.partition_by.as_deref() {
        table.options.partition_by = Some(partition_key(key).ok_or_else(|| {
            PosError::new(
                name.pos,
                format!(
                    "table `{}`: cannot read the partition key `PARTITION BY {key}`; \
                     write it as `RANGE | LIST | HASH (columns or expressions)`",
                    name.value
                ),
            )
        })?);
    }
    if let Some(parent) = &ct.partition_of {
        let parent = object_name(parent, ctx)?;
        let Some(bound) = &ct.for_values else {
            return Err(PosError::new(
                name.pos,
                format!("partition `{}` has no bound (`FOR VALUES`)", name.value),
            ));
        };
        if let Some(c) = ct.columns.first() {
            return Err(PosError::new(
                ctx.pos(&c.name),
                format!(
                    "partition `{}`: options of its column `{}` are not supported yet; a \
                     partition's columns are its parent's (`{}`)",
                    name.value, c.name.value, parent.value
                ),
            ));
        }
        table.options.partition_of = Some(wildebeest_schema::PartitionOf {
            parent: parent.value,
            bound: bound.to_string(),
        });
    }
    Ok(())
}

/// `RANGE (created)` from sqlparser's reading of `PARTITION BY RANGE (created)` (a call
/// of a function named `RANGE`): the strategy in capitals, the key as written.
fn partition_key(e: &Expr) -> Option<String> {
    let Expr::Function(f) = e else {
        return None;
    };
    let strategy = f.name.to_string().to_ascii_uppercase();
    if !matches!(strategy.as_str(), "RANGE" | "LIST" | "HASH") {
        return None;
    }
    let sqlparser::ast::FunctionArguments::List(args) = &f.args else {
        return None;
    };
    if args.args.is_empty() || args.duplicate_treatment.is_some() || !args.clauses.is_empty() {
        return None;
    }
    Some(format!("{strategy} {}", f.args))
}

/// A partition's bound as sqlparser writes it (`FOR VALUES WITH (MODULUS 2,
/// REMAINDER 0)`), the one form for `CREATE TABLE ... PARTITION OF`, `ATTACH
/// PARTITION` (`text`: the words after the partition's name) and what a database
/// reports (`pg_get_expr` of `relpartbound`); `None` when `text` is no bound.
pub fn partition_bound(text: &str) -> Option<String> {
    let sql = format!("CREATE TABLE p PARTITION OF t {text}");
    let dialect = crate::lex::sql_dialect(Dialect::Postgres);
    let parsed = sqlparser::parser::Parser::parse_sql(dialect, &sql).ok()?;
    match parsed.as_slice() {
        [sqlparser::ast::Statement::CreateTable(ct)] => {
            ct.for_values.as_ref().map(ToString::to_string)
        }
        _ => None,
    }
}

/// Adds a constraint of a partition, whose columns (its parent's) are not known yet.
fn add_partition_constraint(table: &mut Table, def: &ConstraintDef) -> Result<(), PosError> {
    match &def.constraint {
        Constraint::PrimaryKey(pk) => {
            if table.primary_key.is_some() {
                return Err(PosError::new(
                    def.pos,
                    format!("table `{}` has more than one primary key", table.name),
                ));
            }
            table.primary_key = Some(pk.clone());
        }
        Constraint::Unique(u) => table.uniques.push(u.clone()),
        Constraint::ForeignKey(fk) => table.foreign_keys.push(fk.clone()),
        Constraint::Check(c) => table.checks.push(c.clone()),
        Constraint::Exclusion(x) => table.exclusions.push(x.clone()),
    }
    Ok(())
}

/// The text of table-level clauses the model has no place for (`ENGINE=InnoDB`,
/// `PARTITION BY ...`), found by comparing the statement with one built from the parts
/// the model does hold.
fn other_clauses(ct: &CreateTable, dialect: Dialect) -> Option<String> {
    let mut bare = ct.clone();
    bare.columns.clear();
    bare.constraints.clear();
    if partitioned(ct).is_some() || dialect == Dialect::Postgres {
        bare.partition_by = None;
        bare.partition_of = None;
        bare.for_values = None;
    }
    if pg_table_storage(ct, dialect).is_some() {
        bare.table_options = CreateTableOptions::None;
    }
    if dialect == Dialect::Mysql
        && let CreateTableOptions::Plain(options) = &mut bare.table_options
    {
        options.retain(|o| mysql_table_option(o).is_none());
        if options.is_empty() {
            bare.table_options = CreateTableOptions::None;
        }
    }
    let modeled = CreateTableBuilder::new(ct.name.clone())
        .if_not_exists(ct.if_not_exists)
        .temporary(ct.temporary)
        .without_rowid(ct.without_rowid)
        .strict(ct.strict)
        .build();
    if bare == modeled {
        return None;
    }
    let (full, base) = (bare.to_string(), modeled.to_string());
    let extra = full
        .strip_prefix(&base)
        .map(str::trim)
        .filter(|s| !s.is_empty());
    Some(extra.unwrap_or(&full).to_string())
}

/// The MySQL partitioning of a table, which the parser takes out of the statement
/// (`parse::strip_partitioning`) and gives back in `partition_by`: its text after
/// [`crate::parse::PARTITIONED`], at the position of its `PARTITION`.
fn partitioned(ct: &CreateTable) -> Option<&Ident> {
    match ct.partition_by.as_deref() {
        Some(Expr::Identifier(at)) if at.value.starts_with(crate::parse::PARTITIONED) => Some(at),
        _ => None,
    }
}

/// One of MySQL's table options the model keeps; the value is `None` for the
/// default (`CHARSET=DEFAULT`, `COMMENT=''`, `ENGINE=InnoDB`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum MysqlOption {
    Charset(Option<String>),
    Collation(Option<String>),
    Comment(Option<String>),
    Engine(Option<String>),
    /// `AUTO_INCREMENT=n`: the counter is state, not schema, and is not kept.
    Counter,
    /// One of [`OTHER_TABLE_OPTIONS`], in upper case, with its value in upper case;
    /// `None` for its default (`DEFAULT`, or `0` of `KEY_BLOCK_SIZE`, `CHECKSUM` and
    /// `DELAY_KEY_WRITE`, which the server reports as no option at all).
    Other(String, Option<String>),
}

/// MySQL's table options the model holds in `TableOptions::mysql` beside the engine,
/// character set, collation and comment.
pub const OTHER_TABLE_OPTIONS: [&str; 8] = [
    "ROW_FORMAT",
    "KEY_BLOCK_SIZE",
    "STATS_PERSISTENT",
    "STATS_AUTO_RECALC",
    "STATS_SAMPLE_PAGES",
    "PACK_KEYS",
    "CHECKSUM",
    "DELAY_KEY_WRITE",
];

/// One of MySQL's other table options as `TableOptions::mysql` holds it
/// (`ROW_FORMAT=COMPRESSED`), from its name and value in any case; `None` for its
/// default or a name that is not one of [`OTHER_TABLE_OPTIONS`].
pub fn mysql_other_option(name: &str, value: &str) -> Option<String> {
    let name = name.trim().to_ascii_uppercase();
    let value = value.trim().trim_matches('\'').to_ascii_uppercase();
    if !OTHER_TABLE_OPTIONS.contains(&name.as_str()) || value == "DEFAULT" {
        return None;
    }
    if matches!(
        name.as_str(),
        "KEY_BLOCK_SIZE" | "CHECKSUM" | "DELAY_KEY_WRITE"
    ) && value == "0"
    {
        return None;
    }
    Some(format!("{name}={value}"))
}

/// Sets (`Some`) or takes back to its default (`None`) the option `name` in `list`,
/// which stays sorted.
pub(crate) fn set_mysql_option(list: &mut Vec<String>, name: &str, value: Option<&str>) {
    let prefix = format!("{name}=");
    list.retain(|o| !o.starts_with(&prefix));
    if let Some(v) = value {
        list.push(format!("{prefix}{v}"));
    }
    list.sort();
}

impl MysqlOption {
    pub(crate) fn set(self, into: &mut TableOptions) {
        match self {
            MysqlOption::Charset(v) => into.charset = v,
            MysqlOption::Collation(v) => into.collation = v,
            MysqlOption::Comment(v) => into.comment = v,
            MysqlOption::Engine(v) => into.engine = v,
            MysqlOption::Counter => {}
            MysqlOption::Other(name, v) => set_mysql_option(&mut into.mysql, &name, v.as_deref()),
        }
    }
}

/// One of MySQL's table options, if the model keeps it.
pub(crate) fn mysql_table_option(option: &SqlOption) -> Option<MysqlOption> {
    Some(match option {
        SqlOption::Comment(c) => {
            let (CommentDef::WithEq(text) | CommentDef::WithoutEq(text)) = c;
            MysqlOption::Comment(Some(text.clone()).filter(|t| !t.is_empty()))
        }
        SqlOption::NamedParenthesizedList(list)
            if list.key.value.eq_ignore_ascii_case("ENGINE") && list.values.is_empty() =>
        {
            MysqlOption::Engine(
                list.name
                    .as_ref()
                    .map(|n| n.value.to_ascii_lowercase())
                    .filter(|e| e != "innodb"),
            )
        }
        SqlOption::KeyValue { key, value } => {
            let word = option_word(value);
            match key.value.to_ascii_uppercase().as_str() {
                "DEFAULT CHARSET" | "CHARSET" | "DEFAULT CHARACTER SET" | "CHARACTER SET" => {
                    MysqlOption::Charset(word)
                }
                "DEFAULT COLLATE" | "COLLATE" => MysqlOption::Collation(word),
                "AUTO_INCREMENT" => MysqlOption::Counter,
                name if OTHER_TABLE_OPTIONS.contains(&name) => {
                    let text = match value {
                        Expr::Value(v) => match &v.value {
                            Value::SingleQuotedString(s) | Value::DoubleQuotedString(s) => {
                                s.clone()
                            }
                            other => other.to_string(),
                        },
                        other => other.to_string(),
                    };
                    let held = mysql_other_option(name, &text);
                    MysqlOption::Other(
                        name.to_string(),
                        held.map(|o| o[name.len() + 1..].to_string()),
                    )
                }
                _ => return None,
            }
        }
        _ => return None,
    })
}

/// A table option's value as a lower-case word; `None` for `DEFAULT`.
fn option_word(value: &Expr) -> Option<String> {
    let text = match value {
        Expr::Identifier(i) => i.value.clone(),
        Expr::Value(v) => match &v.value {
            Value::SingleQuotedString(s) | Value::DoubleQuotedString(s) => s.clone(),
            other => other.to_string(),
        },
        other => other.to_string(),
    };
    Some(text.to_ascii_lowercase()).filter(|t| t != "default")
}

/// An index's key parts as the model writes them (`lower(email)`, `name DESC`), and the
/// parts that start with a plain column name: the part's position, the name, and where
/// it was written.
fn index_columns(
    parts: &[IndexColumn],
    ctx: &mut Ctx<'_>,
) -> (Vec<String>, Vec<(usize, String, Pos)>) {
    let mut columns = Vec::new();
    let mut plain_columns = Vec::new();
    for c in parts {
        let prefix = (ctx.dialect == Dialect::Mysql && c.operator_class.is_none())
            .then(|| mysql_prefix(&c.column.expr))
            .flatten();
        let mut text = match (&c.column.expr, prefix) {
            (_, Some((ident, length))) => {
                plain_columns.push((columns.len(), ident.value.clone(), ctx.pos(ident)));
                prefix_part(&ident.value, length)
            }
            (Expr::Identifier(ident), None) if c.operator_class.is_none() => {
                plain_columns.push((columns.len(), ident.value.clone(), ctx.pos(ident)));
                ident.value.clone()
            }
            (e, None) => ctx.expr(e),
        };
        if let Some(class) = &c.operator_class {
            // An expression that is not one atom keeps its parentheses, which tell
            // the class from its last word and which PostgreSQL needs:
            // `(n || 'x') text_pattern_ops`, not `n || 'x' text_pattern_ops`.
            let mut inner = &c.column.expr;
            while let Expr::Nested(e) = inner {
                inner = e;
            }
            text = match inner {
                Expr::Identifier(_) | Expr::CompoundIdentifier(_) | Expr::Function(_) => {
                    format!("{text} {class}")
                }
                _ => format!("({text}) {class}"),
            };
        }
        match &c.column.options.sort {
            Some(OrderBySort::Desc) => text.push_str(" DESC"),
            Some(OrderBySort::Using(op)) => text = format!("{text} USING {op}"),
            Some(OrderBySort::Asc) | None => {}
        }
        match c.column.options.nulls_first {
            Some(true) => text.push_str(" NULLS FIRST"),
            Some(false) => text.push_str(" NULLS LAST"),
            None => {}
        }
        columns.push(text);
    }
    (columns, plain_columns)
}

/// MySQL's key part on a column's first characters, `title(50)`: the column and the
/// length. The parser reads it as a call; a call cannot be a MySQL key part without
/// its own parentheses (`((lower(title)))`), so it is never an expression.
fn mysql_prefix(e: &Expr) -> Option<(&Ident, u32)> {
    let Expr::Function(f) = e else {
        return None;
    };
    let [ObjectNamePart::Identifier(ident)] = f.name.0.as_slice() else {
        return None;
    };
    let sqlparser::ast::FunctionArguments::List(args) = &f.args else {
        return None;
    };
    if args.duplicate_treatment.is_some() || !args.clauses.is_empty() {
        return None;
    }
    let [
        FunctionArg::Unnamed(FunctionArgExpr::Expr(Expr::Value(ValueWithSpan {
            value: Value::Number(n, false),
            ..
        }))),
    ] = args.args.as_slice()
    else {
        return None;
    };
    let length = n.parse().ok().filter(|n: &u32| *n > 0)?;
    Some((ident, length))
}

/// Converts a `CREATE INDEX`. Parts of an index the model has no place for (`USING`,
/// `INCLUDE`, storage options) are warned about.
pub(crate) fn create_index(ci: &CreateIndex, ctx: &mut Ctx<'_>) -> Result<IndexDef, PosError> {
    let table = object_name(&ci.table_name, ctx)?;
    // PostgreSQL names an index made without one (`CREATE INDEX ON t (a)`): the name
    // is left empty here and given where the schema it depends on is known
    // (`Schema::pg_index_name`).
    let index_name = match &ci.name {
        Some(name) => object_name(name, ctx)?,
        None if ctx.dialect == Dialect::Postgres => Name {
            value: String::new(),
            pos: table.pos,
        },
        None => {
            return Err(PosError::new(
                table.pos,
                "an index needs a name; wildebeest does not invent one",
            ));
        }
    };
    let (columns, plain_columns) = index_columns(&ci.columns, ctx);
    let mut ignored = Vec::new();
    // PostgreSQL's access method is kept; MySQL's `USING BTREE` is what it builds
    // anyway, and `USING HASH` is not built by InnoDB.
    let mut method = None;
    // MySQL also takes `USING` after the key parts, among the index options.
    let trailing = ci.index_options.iter().filter_map(|o| match o {
        IndexOption::Using(t) => Some(t),
        IndexOption::Comment(_) => None,
    });
    for using in ci.using.iter().chain(trailing) {
        let name = using.to_string().to_ascii_lowercase();
        match ctx.dialect {
            _ if name == "btree" => {}
            Dialect::Postgres => method = Some(name),
            // `CREATE FULLTEXT INDEX`, as `parse` gives it back.
            Dialect::Mysql if name == "fulltext" || name == "spatial" => {
                method = Some(name.to_ascii_uppercase());
            }
            _ => ignored.push(format!("USING {using}")),
        }
    }
    // PostgreSQL's `INCLUDE (...)` and storage parameters are held; the other
    // databases have neither (a schema file's is refused by `schema`, a
    // migration's runs as written).
    let mut include = Vec::new();
    let mut include_pos = Vec::new();
    let mut storage = Vec::new();
    if ctx.dialect == Dialect::Postgres {
        for ident in &ci.include {
            include.push(ident.value.clone());
            include_pos.push(ctx.pos(ident));
        }
        storage = storage_parameters(&ci.with).map_err(|e| {
            PosError::new(index_name.pos, format!("index `{}`: {e}", index_name.value))
        })?;
    } else if !ci.include.is_empty() {
        ignored.push("INCLUDE (...)".to_string());
    }
    // `NULLS DISTINCT` is what every index is without the clause; `NULLS NOT
    // DISTINCT` is PostgreSQL's alone, and an index without it would take the
    // duplicate NULLs the schema forbids.
    let nulls_not_distinct = ci.nulls_distinct == Some(false);
    if nulls_not_distinct && ctx.dialect != Dialect::Postgres {
        return Err(PosError::new(
            index_name.pos,
            format!(
                "index `{}`: `NULLS NOT DISTINCT` is PostgreSQL's; this database's unique \
                 indexes take any number of NULLs",
                index_name.value
            ),
        ));
    }
    // MySQL's `COMMENT '...'` is held; elsewhere it is an option the model has no
    // place for.
    let (comment, hidden) = if ctx.dialect == Dialect::Mysql {
        (
            index_comment(&ci.index_options),
            index_hidden(&ci.index_options),
        )
    } else {
        (None, None)
    };
    let options = ci.index_options.iter().any(|o| match o {
        IndexOption::Using(_) => false,
        IndexOption::Comment(_) => ctx.dialect != Dialect::Mysql,
    });
    let with = !ci.with.is_empty() && ctx.dialect != Dialect::Postgres;
    if with || options || !ci.alter_options.is_empty() {
        ignored.push("index options".to_string());
    }
    if !ignored.is_empty() {
        ctx.warn(
            index_name.pos.line,
            format!(
                "index `{}`: the model cannot hold `{}`; not kept",
                index_name.value,
                ignored.join("`, `")
            ),
        );
    }
    Ok(IndexDef {
        index: Index {
            name: index_name.value,
            table: table.value,
            columns,
            unique: ci.unique,
            predicate: ci.predicate.as_ref().map(|p| ctx.expr(p)),
            method,
            nulls_not_distinct,
            include,
            storage,
            comment,
            hidden,
            predicate_written: Default::default(),
        },
        if_not_exists: ci.if_not_exists,
        name_pos: index_name.pos,
        table_pos: table.pos,
        plain_columns,
        include_pos,
    })
}

/// PostgreSQL's storage parameters (`WITH (fillfactor = 70, fastupdate)`) as
/// `pg_class.reloptions` keeps them: `name=value`, the name in lower case, a bare name
/// `=true`, a word in lower case, a quoted value as written, an integer in its plain
/// digits; sorted by name, as the model holds them. What is not `name [= value]` is
/// an error naming it.
pub(crate) fn storage_parameters(with: &[Expr]) -> Result<Vec<String>, String> {
    let mut out = Vec::new();
    for e in with {
        let (key, value) = match e {
            Expr::Identifier(k) => (k, None),
            Expr::BinaryOp {
                left,
                op: sqlparser::ast::BinaryOperator::Eq,
                right,
            } => match left.as_ref() {
                Expr::Identifier(k) => (k, Some(right.as_ref())),
                _ => return Err(format!("the storage parameter `{e}` is not `name = value`")),
            },
            _ => return Err(format!("the storage parameter `{e}` is not `name = value`")),
        };
        let value = match value {
            None => "true".to_string(),
            Some(v) => storage_value(v).ok_or_else(|| {
                format!("the storage parameter `{e}` has a value wildebeest cannot read")
            })?,
        };
        out.push(format!("{}={value}", key.value.to_ascii_lowercase()));
    }
    out.sort();
    Ok(out)
}

/// A PostgreSQL table's storage parameters (`CREATE TABLE ... WITH (fillfactor = 70)`)
/// as [`storage_parameters`] gives an index's, when every one is `name [= value]`;
/// `None` otherwise (the clause is then a part the model cannot hold, refused by name).
pub(crate) fn pg_table_storage(ct: &CreateTable, dialect: Dialect) -> Option<Vec<String>> {
    let CreateTableOptions::With(options) = &ct.table_options else {
        return None;
    };
    if dialect != Dialect::Postgres {
        return None;
    }
    let exprs: Option<Vec<Expr>> = options.iter().map(option_expr).collect();
    storage_parameters(&exprs?).ok()
}

/// A `WITH (...)` option as the expression `CREATE INDEX` gives for it.
pub(crate) fn option_expr(option: &SqlOption) -> Option<Expr> {
    match option {
        SqlOption::Ident(name) => Some(Expr::Identifier(name.clone())),
        SqlOption::KeyValue { key, value } => Some(Expr::BinaryOp {
            left: Box::new(Expr::Identifier(key.clone())),
            op: sqlparser::ast::BinaryOperator::Eq,
            right: Box::new(value.clone()),
        }),
        _ => None,
    }
}

/// One storage parameter's value as PostgreSQL keeps it (see [`storage_parameters`]).
fn storage_value(v: &Expr) -> Option<String> {
    use sqlparser::ast::Value;
    match v {
        Expr::Identifier(w) if w.quote_style.is_none() => Some(w.value.to_ascii_lowercase()),
        Expr::Value(v) => match &v.value {
            Value::Number(n, _) => Some(match n.parse::<i64>() {
                Ok(i) => i.to_string(),
                Err(_) => n.clone(),
            }),
            Value::SingleQuotedString(s) => Some(s.clone()),
            Value::Boolean(b) => Some(b.to_string()),
            _ => None,
        },
        _ => None,
    }
}

/// An `ALTER TABLE` action with positions, for the schema file's checks.
pub(crate) struct ActionDef {
    pub action: AlterAction,
    pub constraint: Option<ConstraintDef>,
}

/// What MySQL's `ALTER TABLE t ADD ...` in a schema file adds to its table, action by
/// action (see [`mysql_adds`]).
pub(crate) enum Added {
    /// `ADD INDEX` / `ADD KEY` the model holds.
    Index(IndexDef),
    /// `ADD UNIQUE`, `ADD PRIMARY KEY`, `ADD FOREIGN KEY`, `ADD CHECK`.
    Constraint(ConstraintDef),
    /// What the model cannot hold (`ADD FULLTEXT KEY`, a key on a prefix), on its
    /// line: the table keeps it as unmodeled, as it would in its `CREATE TABLE`.
    Unmodeled(usize, String),
}

/// MySQL's `ALTER TABLE t ADD INDEX ...` (also `KEY`, `UNIQUE`, `FULLTEXT`, several
/// at once), read in a schema file as the same keys in the table's `CREATE TABLE`
/// would be; `None` unless the statement adds keys and nothing else.
pub(crate) fn mysql_adds(
    at: &AlterTable,
    ctx: &mut Ctx<'_>,
) -> Result<Option<(Name, Vec<Added>)>, PosError> {
    let only_adds = !at.operations.is_empty()
        && at
            .operations
            .iter()
            .all(|op| matches!(op, AlterTableOperation::AddConstraint { .. }));
    let some_index = at.operations.iter().any(|op| {
        matches!(
            op,
            AlterTableOperation::AddConstraint {
                constraint: TableConstraint::Index(_) | TableConstraint::FulltextOrSpatial(_),
                ..
            }
        ) || matches!(
            op,
            AlterTableOperation::AddConstraint {
                constraint: TableConstraint::Unique(u),
                ..
            } if u.columns.iter().any(|c| mysql_prefix(&c.column.expr).is_some())
        )
    });
    if ctx.dialect != Dialect::Mysql || !only_adds || !some_index || at.if_exists || at.only {
        return Ok(None);
    }
    let table = object_name(&at.name, ctx)?;
    let mut out = Vec::new();
    for op in &at.operations {
        let AlterTableOperation::AddConstraint { constraint: tc, .. } = op else {
            continue;
        };
        let here = pos_of(tc.span(), ctx.start);
        if let TableConstraint::Index(ix) = tc {
            out.push(match inline_index(ix, &table, here, ctx)? {
                Some(def) => Added::Index(def),
                None => Added::Unmodeled(here.line, tc.to_string()),
            });
            continue;
        }
        if let TableConstraint::FulltextOrSpatial(fs) = tc {
            out.push(match fulltext_index(fs, &table, here, ctx)? {
                Some(def) => Added::Index(def),
                None => Added::Unmodeled(here.line, tc.to_string()),
            });
            continue;
        }
        if let TableConstraint::Unique(u) = tc
            && let Some(def) = unique_prefix_index(u, &table, ctx)?
        {
            out.push(Added::Index(def));
            continue;
        }
        let mut unmodeled = Vec::new();
        if let Some(def) = table_constraint(tc, ctx, &mut unmodeled)? {
            out.push(Added::Constraint(def));
        }
        out.extend(
            unmodeled
                .into_iter()
                .map(|(line, what)| Added::Unmodeled(line, what)),
        );
    }
    Ok(Some((table, out)))
}

/// Converts an `ALTER TABLE`. Any action the model has no counterpart for makes the
/// whole statement an error: applying only the others would leave the model wrong.
pub(crate) fn alter_table(
    at: &AlterTable,
    ctx: &mut Ctx<'_>,
) -> Result<(Name, Vec<ActionDef>), PosError> {
    let table = object_name(&at.name, ctx)?;
    if at.location.is_some() || at.on_cluster.is_some() || at.table_type.is_some() {
        return Err(PosError::new(
            table.pos,
            "this form of `ALTER TABLE` cannot be modeled",
        ));
    }
    let mut actions = Vec::new();
    let plain = |action: AlterAction| ActionDef {
        action,
        constraint: None,
    };
    // `IF [NOT] EXISTS` makes a statement a no-op where the model's change would be
    // an error; the change assumes the object is (or is not) there.
    let conditional = |clause: &str, what: String| {
        format!("`{clause}` in `{what}` is not modeled; the change assumes it applies")
    };
    if at.if_exists {
        let what = format!("ALTER TABLE IF EXISTS {}", at.name);
        ctx.warn(table.pos.line, conditional("IF EXISTS", what));
    }
    for op in &at.operations {
        let clause = match op {
            AlterTableOperation::AddColumn {
                if_not_exists: true,
                ..
            } => Some("IF NOT EXISTS"),
            AlterTableOperation::DropColumn {
                if_exists: true, ..
            }
            | AlterTableOperation::DropConstraint {
                if_exists: true, ..
            } => Some("IF EXISTS"),
            _ => None,
        };
        if let Some(clause) = clause {
            ctx.warn(table.pos.line, conditional(clause, op.to_string()));
        }
        match op {
            AlterTableOperation::AddColumn {
                column_def,
                column_position,
                ..
            } => {
                let mut out = column_def_for_alter(column_def, ctx)?;
                if out
                    .constraints
                    .iter()
                    .any(|c| matches!(c.constraint, Constraint::PrimaryKey(_)))
                {
                    out.column.nullable = false;
                }
                if column_position.is_some() {
                    ctx.warn(
                        out.pos.line,
                        format!(
                            "column `{}`: the position is not kept; the model appends it",
                            out.column.name
                        ),
                    );
                }
                let parts: Vec<String> = out.unmodeled.into_iter().map(|(_, w)| w).collect();
                actions.push(plain(AlterAction::AddColumn {
                    column: out.column,
                    constraints: out.constraints.into_iter().map(|c| c.constraint).collect(),
                }));
                if !parts.is_empty() {
                    actions.push(plain(AlterAction::KeepUnmodeled(parts)));
                }
            }
            AlterTableOperation::DropColumn {
                column_names,
                drop_behavior,
                ..
            } => {
                if drop_behavior.is_some() {
                    ctx.warn(
                        table.pos.line,
                        format!("`{op}`: CASCADE/RESTRICT is not modeled"),
                    );
                }
                for c in column_names {
                    actions.push(plain(AlterAction::DropColumn(c.value.clone())));
                }
            }
            AlterTableOperation::RenameColumn {
                old_column_name,
                new_column_name,
            } => {
                actions.push(plain(AlterAction::RenameColumn {
                    from: old_column_name.value.clone(),
                    to: new_column_name.value.clone(),
                }));
            }
            AlterTableOperation::RenameConstraint { old_name, new_name } => {
                actions.push(plain(AlterAction::RenameConstraint {
                    from: old_name.value.clone(),
                    to: new_name.value.clone(),
                }));
            }
            AlterTableOperation::RenameTable { table_name } => {
                let (RenameTableNameKind::To(n) | RenameTableNameKind::As(n)) = table_name;
                let to = object_name(n, ctx)?;
                actions.push(plain(AlterAction::RenameTable(to.value)));
            }
            AlterTableOperation::AlterColumn {
                column_name,
                op: column_op,
            } => {
                let alter = match column_op {
                    AlterColumnOperation::SetNotNull => ColumnAlter::SetNotNull,
                    AlterColumnOperation::DropNotNull => ColumnAlter::DropNotNull,
                    AlterColumnOperation::SetDefault { value } => {
                        if ctx.dialect == Dialect::Postgres
                            && let Some(message) =
                                crate::frozen::refusal(value, &column_name.value, None)
                        {
                            return Err(PosError::new(ctx.pos(column_name), message));
                        }
                        ctx.default(value)
                            .map_or(ColumnAlter::DropDefault, ColumnAlter::SetDefault)
                    }
                    AlterColumnOperation::DropDefault => ColumnAlter::DropDefault,
                    AlterColumnOperation::SetDataType {
                        data_type, using, ..
                    } => {
                        let ty = types::model_type(data_type, ctx.dialect);
                        let declared = crate::parse::declared_using(using.as_ref())
                            .map(|text| Declared::new(text, ty.clone()))
                            .unwrap_or_default();
                        ColumnAlter::SetType(ty, declared)
                    }
                    AlterColumnOperation::AddGenerated {
                        generated_as: Some(kind @ (GeneratedAs::Always | GeneratedAs::ByDefault)),
                        sequence_options,
                    } if ctx.dialect == Dialect::Postgres
                        && sequence_options.as_ref().is_none_or(|o| o.is_empty()) =>
                    {
                        ColumnAlter::AddIdentity {
                            always: *kind == GeneratedAs::Always,
                        }
                    }
                    AlterColumnOperation::AddGenerated { .. } => {
                        return Err(PosError::new(
                            ctx.pos(column_name),
                            format!("`{op}` cannot be modeled"),
                        ));
                    }
                };
                actions.push(plain(AlterAction::AlterColumn {
                    column: column_name.value.clone(),
                    alter,
                }));
            }
            AlterTableOperation::AddConstraint { constraint, .. } => {
                let mut unmodeled = Vec::new();
                let def = table_constraint(constraint, ctx, &mut unmodeled)?;
                let Some(def) = def.filter(|_| unmodeled.is_empty()) else {
                    return Err(PosError::new(
                        table.pos,
                        format!("`ADD {constraint}` cannot be modeled"),
                    ));
                };
                actions.push(ActionDef {
                    action: AlterAction::AddConstraint(def.constraint.clone()),
                    constraint: Some(def),
                });
            }
            AlterTableOperation::DropConstraint { name, .. }
            | AlterTableOperation::DropForeignKey { name, .. } => {
                actions.push(plain(AlterAction::DropConstraint(name.value.clone())));
            }
            AlterTableOperation::DropPrimaryKey { .. } => {
                actions.push(plain(AlterAction::DropPrimaryKey));
            }
            AlterTableOperation::ModifyColumn {
                col_name,
                data_type,
                options,
                column_position,
            } => {
                actions.extend(
                    redefine(col_name, data_type, options, column_position.is_some(), ctx)?
                        .into_iter()
                        .map(plain),
                );
            }
            AlterTableOperation::ChangeColumn {
                old_name,
                new_name,
                data_type,
                options,
                column_position,
            } => {
                if old_name.value != new_name.value {
                    actions.push(plain(AlterAction::RenameColumn {
                        from: old_name.value.clone(),
                        to: new_name.value.clone(),
                    }));
                }
                actions.extend(
                    redefine(new_name, data_type, options, column_position.is_some(), ctx)?
                        .into_iter()
                        .map(plain),
                );
            }
            // PostgreSQL's `SET (fillfactor = 70)`: the table's storage parameters.
            AlterTableOperation::SetOptionsParens { options }
                if ctx.dialect == Dialect::Postgres =>
            {
                let exprs: Option<Vec<Expr>> = options.iter().map(option_expr).collect();
                let set = exprs
                    .ok_or_else(|| format!("`{op}` is not `SET (name = value, ...)`"))
                    .and_then(|e| storage_parameters(&e))
                    .map_err(|e| PosError::new(table.pos, e))?;
                let storage = set
                    .iter()
                    .map(|p| {
                        let (name, value) = p.split_once('=').unwrap_or((p, "true"));
                        (name.to_string(), Some(value.to_string()))
                    })
                    .collect();
                actions.push(plain(AlterAction::SetOptions(
                    wildebeest_schema::OptionsChange {
                        storage,
                        ..wildebeest_schema::OptionsChange::default()
                    },
                )));
            }
            _ => {
                return Err(PosError::new(
                    table.pos,
                    format!("`{op}` cannot be modeled"),
                ));
            }
        }
    }
    Ok((table, actions))
}

/// An added column: what the model cannot hold of it is warned about, and the table
/// keeps it (`AlterAction::KeepUnmodeled`), as a `CREATE TABLE` with the column would.
fn column_def_for_alter(def: &ColumnDef, ctx: &mut Ctx<'_>) -> Result<ColumnOut, PosError> {
    let out = column_def(def, ctx)?;
    for (line, what) in &out.unmodeled {
        ctx.warn(
            *line,
            format!("the model cannot hold `{what}`; the table keeps it as unmodeled"),
        );
    }
    Ok(out)
}

/// MySQL's `MODIFY` / `CHANGE`: the column is defined anew; what is not said (a
/// default, `NOT NULL`, a comment) is gone.
fn redefine(
    column: &Ident,
    data_type: &sqlparser::ast::DataType,
    options: &[ColumnOption],
    positioned: bool,
    ctx: &mut Ctx<'_>,
) -> Result<Vec<AlterAction>, PosError> {
    let pos = ctx.pos(column);
    let def = ColumnDef {
        name: column.clone(),
        data_type: data_type.clone(),
        options: options
            .iter()
            .map(|option| ColumnOptionDef {
                name: None,
                option: option.clone(),
            })
            .collect(),
    };
    let out = column_def(&def, ctx)?;
    if let Some(c) = out.constraints.first() {
        return Err(PosError::new(
            c.pos,
            format!(
                "a {} in a column redefinition cannot be modeled; add it with its own statement",
                c.constraint.describe()
            ),
        ));
    }
    if let Some((_, what)) = out.unmodeled.first() {
        return Err(PosError::new(
            pos,
            format!("`{what}` in a column redefinition cannot be modeled"),
        ));
    }
    if positioned {
        ctx.warn(
            pos.line,
            format!("column `{}`: the position is not kept", column.value),
        );
    }
    Ok(vec![AlterAction::AlterColumn {
        column: column.value.clone(),
        alter: ColumnAlter::Redefine(Box::new(out.column)),
    }])
}

/// Enum types are PostgreSQL's: in another dialect, a type statement is not modeled.
fn postgres_only(ctx: &Ctx<'_>) -> Result<(), PosError> {
    if ctx.dialect == Dialect::Postgres {
        Ok(())
    } else {
        Err(PosError::new(
            ctx.start,
            "enum types are PostgreSQL's: the model follows them in PostgreSQL files only",
        ))
    }
}

/// An enum label: a string literal (PostgreSQL writes nothing else there).
fn label(ident: &Ident, ctx: &Ctx<'_>) -> Result<String, PosError> {
    if ident.quote_style == Some('\'') {
        Ok(ident.value.clone())
    } else {
        Err(PosError::new(
            ctx.pos(ident),
            format!(
                "the enum value `{}` must be a string literal ('...')",
                ident.value
            ),
        ))
    }
}

/// `CREATE TYPE name AS ENUM ('a', 'b')`: the name and the labels, in order.
/// Composite and range types are read before this (`usertype`); a base or shell type
/// is an error: the model has no place for it.
pub(crate) fn create_enum(
    name: &ObjectName,
    representation: Option<&UserDefinedTypeRepresentation>,
    ctx: &mut Ctx<'_>,
) -> Result<(Name, Vec<String>), PosError> {
    postgres_only(ctx)?;
    let name = object_name(name, ctx)?;
    let Some(UserDefinedTypeRepresentation::Enum { labels }) = representation else {
        return Err(PosError::new(
            name.pos,
            format!(
                "type `{}` is a base or shell type; only enum, composite and range types are modeled",
                name.value
            ),
        ));
    };
    let labels = labels
        .iter()
        .map(|l| label(l, ctx))
        .collect::<Result<Vec<_>, _>>()?;
    Ok((name, labels))
}

/// `ALTER TYPE name ADD VALUE [IF NOT EXISTS] 'v' [BEFORE | AFTER 'w']`,
/// `RENAME VALUE 'a' TO 'b'`, `RENAME TO new`.
pub(crate) fn alter_type(at: &AlterType, ctx: &mut Ctx<'_>) -> Result<Change, PosError> {
    postgres_only(ctx)?;
    let name = object_name(&at.name, ctx)?.value;
    Ok(match &at.operation {
        AlterTypeOperation::AddValue(add) => Change::AddEnumValue {
            name,
            value: label(&add.value, ctx)?,
            position: match &add.position {
                None => LabelPosition::Last,
                Some(AlterTypeAddValuePosition::Before(n)) => LabelPosition::Before(label(n, ctx)?),
                Some(AlterTypeAddValuePosition::After(n)) => LabelPosition::After(label(n, ctx)?),
            },
            if_not_exists: add.if_not_exists,
        },
        AlterTypeOperation::RenameValue(r) => Change::RenameEnumValue {
            name,
            from: label(&r.from, ctx)?,
            to: label(&r.to, ctx)?,
        },
        AlterTypeOperation::Rename(r) => Change::RenameEnum {
            from: name,
            to: r.new_name.value.clone(),
        },
    })
}

/// The length of MySQL's `NCHAR[(n)]` (`Some(None)` when none is written), or `None`
/// for any other type.
fn mysql_nchar(ty: &sqlparser::ast::DataType) -> Option<Option<u32>> {
    let sqlparser::ast::DataType::Custom(name, modifiers) = ty else {
        return None;
    };
    let [part] = name.0.as_slice() else {
        return None;
    };
    if !part.as_ident()?.value.eq_ignore_ascii_case("NCHAR") {
        return None;
    }
    match modifiers.as_slice() {
        [] => Some(None),
        [n] => n.parse().ok().map(Some),
        _ => None,
    }
}

/// The exclusion constraint PostgreSQL prints (`pg_get_constraintdef`: `EXCLUDE USING
/// gist (room WITH =, during WITH &&) WHERE ((note IS NOT NULL))`), read as
/// `schema.sql`'s is, so `check` compares one form. Unnamed: the caller names it.
/// What the model does not hold (`WITH (...)`, a tablespace) is an error.
pub fn exclusion_from_catalog(definition: &str) -> Result<Exclusion, String> {
    let text = format!("ALTER TABLE t ADD {definition}");
    crate::lex::with_stack(|| {
        let sd = crate::lex::sql_dialect(Dialect::Postgres);
        let mut statements =
            sqlparser::parser::Parser::parse_sql(sd, &text).map_err(|e| e.to_string())?;
        let Some(sqlparser::ast::Statement::AlterTable(alter)) = statements.pop() else {
            return Err("not one ALTER TABLE".to_string());
        };
        let Some(AlterTableOperation::AddConstraint { constraint, .. }) = alter.operations.first()
        else {
            return Err("not one ADD CONSTRAINT".to_string());
        };
        let mut warnings = Vec::new();
        let mut ctx = Ctx {
            dialect: Dialect::Postgres,
            start: Pos { line: 1, column: 1 },
            warnings: &mut warnings,
            pg_schema: "public",
        };
        let mut unmodeled = Vec::new();
        match table_constraint(constraint, &mut ctx, &mut unmodeled) {
            Ok(Some(ConstraintDef {
                constraint: Constraint::Exclusion(x),
                ..
            })) if unmodeled.is_empty() => Ok(x),
            Ok(_) => Err("a part the model does not hold".to_string()),
            Err(e) => Err(e.message),
        }
    })
    .unwrap_or_else(|| Err("internal error: the SQL parser failed".into()))
}
