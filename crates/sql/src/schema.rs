//! Schema files to a [`Schema`]: tables, indexes and (PostgreSQL) enum types, checked
//! across all the files. A column whose type names an enum type of any file becomes
//! `ColumnType::Enum` once every file is read (see `Schema::normalize`).

use std::collections::{BTreeMap, HashMap};

use sqlparser::ast::{Statement as AstStatement, UserDefinedTypeRepresentation};
use sqlparser::tokenizer::{Token, TokenWithSpan};
use wildebeest_schema::{
    AlterAction, ColumnAlter, ColumnType, CommentOn, Constraint, PartitionOf, Schema, Table,
    TriggerState, trigger_key,
};

use crate::comment::{self, Target};
use crate::ddl::{self, ConstraintDef, Ctx, IndexDef, find_name};
use crate::lex::{self, Pos, PosError};
use crate::parse::{self, Kind};
use crate::partition::{self, Named, Partitioning};
use crate::sequence::{self, IdentityOptions, QName};
use crate::split::{self, Piece};
use crate::{Dialect, SqlError, Warning, excerpt};

/// A check that needs every file: an index's table and columns, a foreign key's
/// target. Kept in file order, so the first problem is the one reported.
enum Deferred {
    Index(IndexDef),
    ForeignKey {
        table: String,
        def: ConstraintDef,
    },
    /// A view, whose tables and views must be made somewhere in the files.
    View {
        name: String,
        pos: Pos,
    },
    /// A trigger, whose table (or view) must be made somewhere in the files.
    Trigger {
        name: String,
        pos: Pos,
    },
    /// A `COMMENT ON` an object but a table or its column, once every object is there.
    Comment {
        on: CommentOn,
        text: Option<String>,
        pos: Pos,
    },
    /// `ALTER INDEX parent ATTACH PARTITION child`: once every index is there, the
    /// partition's index `child` is the copy of `parent`, not one of its own.
    AttachIndex {
        parent: Named,
        child: Named,
    },
}

/// A `CREATE SEQUENCE` (PostgreSQL), kept until every file is read: with the
/// `ALTER SEQUENCE ... OWNED BY` and the `nextval` default pg_dump writes for a serial
/// column, it is that column's `SERIAL` type; otherwise it is a sequence of its own
/// in the model.
struct Sequence {
    name: QName,
    options: sequence::Options,
    /// Where its `CREATE SEQUENCE` is.
    at: At,
    /// The table and column of its `OWNED BY`.
    owner: Option<(QName, String)>,
    /// The options of the `ALTER SEQUENCE` statements after it, in order (not the
    /// owner's, which is `owner`).
    alters: Vec<(At, sequence::Options)>,
}

/// A position in one of the files, by index into the file list.
#[derive(Debug, Clone, Copy)]
struct At {
    file: usize,
    pos: Pos,
}

/// The schema under construction and what is known about where things came from.
struct Builder<'a> {
    files: &'a [(&'a str, &'a str)],
    dialect: Dialect,
    /// The PostgreSQL schema wildebeest manages: with `public`, the qualifiers a name may carry.
    pg_schema: &'a str,
    schema: Schema,
    /// Where each table was defined, for "defined twice" messages.
    defined: BTreeMap<String, At>,
    /// Where each enum type was defined.
    defined_enums: BTreeMap<String, At>,
    /// Where each view was defined.
    defined_views: BTreeMap<String, At>,
    defined_extensions: BTreeMap<String, At>,
    defined_domains: BTreeMap<String, At>,
    /// Where each composite and range type was defined.
    defined_types: BTreeMap<String, At>,
    /// Where each routine was defined, by signature.
    defined_routines: BTreeMap<String, At>,
    /// Where each trigger was defined.
    defined_triggers: BTreeMap<String, At>,
    /// Where each PostgreSQL rule (by [`wildebeest_schema::rule_key`]) was defined.
    defined_rules: BTreeMap<String, At>,
    deferred: Vec<(usize, Deferred)>,
    /// Index names taken: (table for MySQL, else empty; name as the dialect compares it).
    index_names: BTreeMap<(String, String), At>,
    warnings: Vec<(usize, Warning)>,
    /// Each table's unmodeled parts: file, line, table, part.
    unmodeled: Vec<(usize, usize, String, String)>,
    sequences: Vec<Sequence>,
    /// A foreign key may reference a table that is not there (a database's own
    /// schema: SQLite keeps such a key, and one of wildebeest's downgrades can leave
    /// one); a schema file's may not.
    dangling_references: bool,
    /// The tables' names by their ASCII lower case, for dialects whose names ignore
    /// case: a lookup that missed the exact name scanned every table, which made a
    /// schema of many tables quadratic.
    folded_tables: HashMap<String, Vec<String>>,
    /// The partitions' indexes attached to their parents' so far (`attach_index`),
    /// which are parents in turn when their partition is partitioned.
    attached_indexes: std::collections::BTreeSet<String>,
}

/// What [`parse_files`] gives: the schema, its warnings (each with the index of its
/// file), where each table is defined, and where each of their unmodeled parts is
/// (file index, line, table, part), which are not among the warnings.
pub(crate) type Parsed = (
    Schema,
    Vec<(usize, Warning)>,
    Vec<(String, usize, usize)>,
    Vec<(usize, usize, String, String)>,
);

/// Parses `files` (name, text) as one schema. Warnings carry the index of their file.
pub(crate) fn parse_files(
    files: &[(&str, &str)],
    dialect: Dialect,
    pg_schema: &str,
    dangling_references: bool,
) -> Result<Parsed, SqlError> {
    let mut b = Builder {
        dangling_references,
        files,
        dialect,
        pg_schema,
        schema: Schema::new(),
        defined: BTreeMap::new(),
        defined_enums: BTreeMap::new(),
        defined_views: BTreeMap::new(),
        defined_extensions: BTreeMap::new(),
        defined_domains: BTreeMap::new(),
        defined_types: BTreeMap::new(),
        defined_routines: BTreeMap::new(),
        defined_triggers: BTreeMap::new(),
        defined_rules: BTreeMap::new(),
        deferred: Vec::new(),
        index_names: BTreeMap::new(),
        folded_tables: HashMap::new(),
        attached_indexes: Default::default(),
        warnings: Vec::new(),
        unmodeled: Vec::new(),
        sequences: Vec::new(),
    };
    for (file, &(_, text)) in files.iter().enumerate() {
        let split = split::split(text, Some(dialect));
        if let Some(u) = split.unterminated {
            let pos = Pos {
                line: u.line,
                column: u.column,
            };
            return Err(b.error(file, PosError::new(pos, format!("unterminated {}", u.what))));
        }
        if let Some((line, column, message)) = split::delimiter_error(&split, dialect) {
            return Err(b.error(file, PosError::new(Pos { line, column }, message)));
        }
        for piece in &split.pieces {
            // MySQL runs what a versioned comment (`/*!40101 SET ... */`) holds: read as
            // code, positions kept.
            let unwrapped;
            let piece = if dialect == Dialect::Mysql && piece.text.starts_with("/*!") {
                unwrapped = Piece {
                    text: crate::trigger::unwrap(&piece.text, dialect),
                    ..piece.clone()
                };
                &unwrapped
            } else {
                piece
            };
            let mut warnings = Vec::new();
            b.statement(file, piece, &mut warnings)
                .map_err(|e| b.error(file, e))?;
            b.warnings.extend(warnings.into_iter().map(|w| (file, w)));
        }
    }
    b.serials()?;
    for (file, d) in std::mem::take(&mut b.deferred) {
        let result = match d {
            Deferred::Index(def) => b.add_index(file, def),
            Deferred::ForeignKey { table, def } => b.check_foreign_key(&table, def),
            Deferred::View { name, pos } => b.check_view_reads(&name, pos),
            Deferred::Trigger { name, pos } => b.check_trigger_table(&name, pos),
            Deferred::AttachIndex { parent, child } => b.attach_index(&parent, &child),
            Deferred::Comment { on, text, pos } => b.add_comment(on, text, pos),
        };
        result.map_err(|e| b.error(file, e))?;
    }
    b.schema.rekey_triggers();
    b.warnings.sort_by_key(|(file, w)| (*file, w.line));
    one_owner_warning(&mut b.warnings);
    b.schema.normalize();
    if dialect == Dialect::Mysql {
        for table in b.schema.tables.values_mut() {
            crate::mysql::drop_fk_indexes(table);
        }
    }
    let tables = b
        .defined
        .iter()
        .map(|(name, at)| (name.clone(), at.file, at.pos.line))
        .collect();
    Ok((b.schema, b.warnings, tables, b.unmodeled))
}

impl Builder<'_> {
    /// The name under which table `wanted` is known: itself, or in a dialect whose
    /// names ignore case, the one table whose name matches ignoring ASCII case (what
    /// [`find_name`] says of the table names, without looking at each).
    fn table_name(&self, wanted: &str) -> Option<String> {
        if self.schema.tables.contains_key(wanted) {
            return Some(wanted.to_string());
        }
        if !self.dialect.folds_case() {
            return None;
        }
        match self
            .folded_tables
            .get(&wanted.to_ascii_lowercase())?
            .as_slice()
        {
            [only] => Some(only.clone()),
            _ => None,
        }
    }

    fn error(&self, file: usize, e: PosError) -> SqlError {
        SqlError {
            file: self.files.get(file).map_or("", |f| f.0).to_string(),
            line: e.pos.line,
            column: e.pos.column,
            message: e.message,
        }
    }

    /// "line 3", or "other.sql:3" when `first` is in another file than `file`.
    fn first(&self, first: At, file: usize) -> String {
        if first.file == file {
            format!("line {}", first.pos.line)
        } else {
            format!(
                "{}:{}",
                self.files.get(first.file).map_or("", |f| f.0),
                first.pos.line
            )
        }
    }

    /// A `DROP TABLE` in a schema file: the file says the state wanted, so a drop
    /// removes nothing from it. A drop before the table is made (pg_dump's `--clean`
    /// and mysqldump's `DROP TABLE IF EXISTS`) or of a table the file never makes is
    /// passed over; a drop of a table made above it would leave the file saying two
    /// things, and is refused by name.
    fn drop_table(&self, file: usize, piece: &Piece) -> Result<(), PosError> {
        for name in self.dropped_names(piece, Kind::DropTable)? {
            let Some(found) = self.table_name(&name.value) else {
                continue;
            };
            if let Some(&at) = self.defined.get(&found) {
                let first = self.first(at, file);
                return Err(PosError::new(
                    name.pos,
                    format!(
                        "`DROP TABLE` drops table `{found}`, which this schema creates on \
                         {first}: schema.sql says the state wanted; remove the table or \
                         the drop"
                    ),
                ));
            }
        }
        Ok(())
    }

    /// The names a `DROP TABLE` or `DROP VIEW` (`kind`) in a schema file drops, with
    /// their positions; none when the statement does not parse as one.
    fn dropped_names(&self, piece: &Piece, kind: Kind) -> Result<Vec<ddl::Name>, PosError> {
        let Ok(AstStatement::Drop { names, .. }) = parse::parse_piece(piece, self.dialect, kind)
        else {
            return Ok(Vec::new());
        };
        let mut warnings = Vec::new();
        let mut ctx = Ctx {
            dialect: self.dialect,
            start: Pos {
                line: piece.line,
                column: piece.column,
            },
            warnings: &mut warnings,
            pg_schema: self.pg_schema,
        };
        names
            .iter()
            .map(|name| ddl::object_name(name, &mut ctx))
            .collect()
    }

    /// A `DROP VIEW` in a schema file removes a view made above it: mysqldump makes
    /// each view first as a stand-in of its columns (`CREATE VIEW v AS SELECT 1 AS
    /// a`), for the views that read it, then drops it and makes it for real. A drop
    /// of a view the file has not made is passed over, as a table's is.
    fn drop_view(&mut self, piece: &Piece) -> Result<(), PosError> {
        for name in self.dropped_names(piece, Kind::DropView)? {
            let name = name.value;
            if self.defined_views.remove(&name).is_some() {
                self.schema.views.remove(&name);
                self.deferred
                    .retain(|(_, d)| !matches!(d, Deferred::View { name: n, .. } if *n == name));
            }
        }
        Ok(())
    }

    /// An error when `what` (at `pos` in `file`) was defined already, at `taken`.
    fn once(&self, taken: Option<&At>, file: usize, pos: Pos, what: &str) -> Result<(), PosError> {
        match taken {
            Some(&at) => Err(PosError::new(
                pos,
                format!(
                    "{what} is defined twice (first on {})",
                    self.first(at, file)
                ),
            )),
            None => Ok(()),
        }
    }

    /// A `CREATE EXTENSION` in a schema file: the extension (PostgreSQL's only).
    fn create_extension(&mut self, file: usize, piece: &Piece) -> Result<(), PosError> {
        let (extension, pos, _) = crate::extension::create_extension(piece, self.dialect)?;
        let name = extension.name.clone();
        self.once(
            self.defined_extensions.get(&name),
            file,
            pos,
            &format!("extension `{name}`"),
        )?;
        self.defined_extensions
            .insert(name.clone(), At { file, pos });
        self.schema.extensions.insert(name, extension);
        Ok(())
    }

    /// A `CREATE DOMAIN` in a schema file: the domain (PostgreSQL's only).
    fn create_domain(&mut self, file: usize, piece: &Piece) -> Result<(), PosError> {
        let (domain, pos) = crate::domain::create_domain(piece, self.dialect, self.pg_schema)?;
        let name = domain.name.clone();
        self.once(
            self.defined_domains.get(&name),
            file,
            pos,
            &format!("domain `{name}`"),
        )?;
        if let Some(&at) = self.defined_enums.get(&name) {
            let first = self.first(at, file);
            return Err(PosError::new(
                pos,
                format!("domain `{name}`: a type of that name is created on {first}"),
            ));
        }
        self.defined_domains.insert(name.clone(), At { file, pos });
        self.schema.domains.insert(name, domain);
        Ok(())
    }

    /// A `CREATE TYPE ... AS (...)` or `AS RANGE (...)` in a schema file (PostgreSQL's
    /// only); `false` for another kind of type, read as before.
    fn create_type(&mut self, file: usize, piece: &Piece) -> Result<bool, PosError> {
        let Some((t, pos)) = crate::usertype::create_type(piece, self.dialect, self.pg_schema)?
        else {
            return Ok(false);
        };
        let name = t.name().to_string();
        self.once(
            self.defined_types.get(&name),
            file,
            pos,
            &format!("{} `{name}`", t.kind_word()),
        )?;
        if let Some(&at) = self
            .defined_enums
            .get(&name)
            .or_else(|| self.defined_domains.get(&name))
        {
            let first = self.first(at, file);
            return Err(PosError::new(
                pos,
                format!(
                    "{} `{name}`: a type of that name is created on {first}",
                    t.kind_word()
                ),
            ));
        }
        self.defined_types.insert(name.clone(), At { file, pos });
        self.schema.types.insert(name, t);
        Ok(true)
    }

    /// An `ALTER TYPE ... ATTRIBUTE` in a schema file: applied to the composite type
    /// the schema created before it. `false` for another `ALTER TYPE`.
    fn alter_type(&mut self, piece: &Piece) -> Result<bool, PosError> {
        let Some((name, pos, actions)) =
            crate::usertype::alter_type(piece, self.dialect, self.pg_schema)?
        else {
            return Ok(false);
        };
        let change = wildebeest_schema::Change::AlterComposite { name, actions };
        change
            .apply(&mut self.schema)
            .map(|_| true)
            .map_err(|e| PosError::new(pos, e.to_string()))
    }

    /// A `DROP TYPE` in a schema file, as a dump's `--clean` writes before the create:
    /// an error when it drops a composite or range type the schema creates above it.
    fn drop_type(&self, file: usize, piece: &Piece) -> Result<(), PosError> {
        let Ok(names) = crate::usertype::dropped_types(piece, self.pg_schema) else {
            return Ok(());
        };
        for (name, pos) in names {
            if let Some(&at) = self.defined_types.get(&name) {
                let first = self.first(at, file);
                return Err(PosError::new(
                    pos,
                    format!(
                        "`DROP TYPE` drops type `{name}`, which this schema creates on \
                         {first}: schema.sql says the state wanted; remove the type or the drop"
                    ),
                ));
            }
        }
        Ok(())
    }

    /// A `DROP DOMAIN` in a schema file, as a dump's `--clean` writes before the
    /// create: nothing, unless it drops a domain the schema creates.
    fn drop_domain(&mut self, file: usize, piece: &Piece) -> Result<(), PosError> {
        let (names, _) = crate::domain::drop_domain(piece, self.dialect, self.pg_schema)?;
        for (name, pos) in names {
            if let Some(&at) = self.defined_domains.get(&name) {
                let first = self.first(at, file);
                return Err(PosError::new(
                    pos,
                    format!(
                        "`DROP DOMAIN` drops domain `{name}`, which this schema creates on \
                         {first}: schema.sql says the state wanted; remove the domain or the drop"
                    ),
                ));
            }
        }
        Ok(())
    }

    /// An `ALTER DOMAIN` in a schema file: applied to the domain the schema created
    /// before it (`OWNER TO` is passed over with a warning, as other owners are).
    fn alter_domain(&mut self, piece: &Piece, warnings: &mut Vec<Warning>) -> Result<(), PosError> {
        let Some((name, pos, action)) =
            crate::domain::alter_domain(piece, self.dialect, self.pg_schema)?
        else {
            warnings.push(ignored(piece));
            return Ok(());
        };
        let change = wildebeest_schema::Change::AlterDomain { name, action };
        change
            .apply(&mut self.schema)
            .map(|_| ())
            .map_err(|e| PosError::new(pos, e.to_string()))
    }

    /// A `DROP EXTENSION` in a schema file, as a dump's `--clean` writes before the
    /// create: nothing, unless it drops an extension the schema creates.
    fn drop_extension(&mut self, file: usize, piece: &Piece) -> Result<(), PosError> {
        let (names, _) = crate::extension::drop_extension(piece, self.dialect)?;
        for (name, pos) in names {
            if let Some(&at) = self.defined_extensions.get(&name) {
                let first = self.first(at, file);
                return Err(PosError::new(
                    pos,
                    format!(
                        "`DROP EXTENSION` drops extension `{name}`, which this schema \
                         creates on {first}: schema.sql says the state wanted; remove the \
                         extension or the drop"
                    ),
                ));
            }
        }
        Ok(())
    }

    /// A `CREATE VIEW` in a schema file: the view, unless it is temporary (ignored
    /// with a warning); a materialized view, which the model cannot hold, is refused.
    fn create_view(
        &mut self,
        file: usize,
        piece: &Piece,
        warnings: &mut Vec<Warning>,
    ) -> Result<(), PosError> {
        let start = Pos {
            line: piece.line,
            column: piece.column,
        };
        let mut ctx = Ctx {
            dialect: self.dialect,
            start,
            warnings,
            pg_schema: self.pg_schema,
        };
        let def = crate::view::create_view(piece, &mut ctx)?;
        let name = def.view.name.clone();
        if def.materialized && self.dialect != Dialect::Postgres {
            let db = if self.dialect == Dialect::Sqlite {
                "SQLite"
            } else {
                "MySQL"
            };
            return Err(PosError::new(
                def.name_pos,
                format!(
                    "materialized view `{name}`: materialized views are PostgreSQL's; {db} has none"
                ),
            ));
        }
        if def.temporary {
            ctx.warn(
                def.name_pos.line,
                format!("view `{name}` is temporary; wildebeest ignores it"),
            );
            return Ok(());
        }
        if self.dialect == Dialect::Sqlite && def.view.check_option.is_some() {
            return Err(PosError::new(
                def.name_pos,
                format!("view `{name}`: SQLite has no `WITH CHECK OPTION`"),
            ));
        }
        if is_sqlite_internal(&name, self.dialect) {
            ctx.warn(def.name_pos.line, internal(&name, "view"));
            return Ok(());
        }
        let taken = self.defined_views.get(&name).copied().or_else(|| {
            self.table_name(&name)
                .and_then(|t| self.defined.get(&t).copied())
        });
        self.once(taken.as_ref(), file, def.name_pos, &format!("`{name}`"))?;
        self.defined_views.insert(
            name.clone(),
            At {
                file,
                pos: def.name_pos,
            },
        );
        self.deferred.push((
            file,
            Deferred::View {
                name: name.clone(),
                pos: def.name_pos,
            },
        ));
        self.schema.views.insert(name, def.view);
        Ok(())
    }

    /// A `CREATE FUNCTION` or `CREATE PROCEDURE` in a schema file: a routine on
    /// PostgreSQL, refused by name elsewhere.
    fn create_routine(
        &mut self,
        file: usize,
        piece: &Piece,
        warnings: &mut Vec<Warning>,
    ) -> Result<(), PosError> {
        let start = Pos {
            line: piece.line,
            column: piece.column,
        };
        if self.dialect == Dialect::Sqlite {
            let what = excerpt(&piece.text);
            return Err(PosError::new(
                start,
                format!(
                    "`{what}`: {}; wildebeest would leave it out of the database",
                    crate::statements::routines_unmodeled(self.dialect)
                ),
            ));
        }
        let mut ctx = Ctx {
            dialect: self.dialect,
            start,
            warnings,
            pg_schema: self.pg_schema,
        };
        let def = if self.dialect == Dialect::Mysql {
            crate::routine::create_mysql_routine(piece)?
        } else {
            crate::routine::create_routine(piece, &mut ctx)?
        };
        let signature = def.routine.key();
        let what = format!("{} `{}`", def.routine.kind.word(), def.routine.signature());
        self.once(
            self.defined_routines.get(&signature),
            file,
            def.name_pos,
            &what,
        )?;
        self.defined_routines.insert(
            signature.clone(),
            At {
                file,
                pos: def.name_pos,
            },
        );
        self.schema.routines.insert(signature, def.routine);
        Ok(())
    }

    /// A `CREATE TRIGGER` in a schema file (SQLite, MySQL): the trigger, unless it is
    /// temporary (ignored with a warning).
    fn create_trigger(
        &mut self,
        file: usize,
        piece: &Piece,
        warnings: &mut Vec<Warning>,
    ) -> Result<(), PosError> {
        let def = crate::trigger::create_trigger(piece, self.dialect)?;
        let name = def.trigger.name.clone();
        if def.temporary {
            warnings.push(Warning {
                line: def.name_pos.line,
                message: format!("trigger `{name}` is temporary; wildebeest ignores it"),
            });
            return Ok(());
        }
        let taken = self
            .defined_triggers
            .iter()
            .find(|(n, _)| **n == name || n.eq_ignore_ascii_case(&name))
            .map(|(_, at)| *at);
        self.once(
            taken.as_ref(),
            file,
            def.name_pos,
            &format!("trigger `{name}`"),
        )?;
        self.defined_triggers.insert(
            name.clone(),
            At {
                file,
                pos: def.name_pos,
            },
        );
        self.deferred.push((
            file,
            Deferred::Trigger {
                name: name.clone(),
                pos: def.table_pos,
            },
        ));
        self.schema.triggers.insert(name, def.trigger);
        Ok(())
    }

    /// A PostgreSQL `CREATE TRIGGER` in a schema file: the trigger, on a table or view
    /// made above it, whose name its table has not taken.
    fn create_pg_trigger(
        &mut self,
        file: usize,
        piece: &Piece,
        warnings: &mut Vec<Warning>,
    ) -> Result<(), PosError> {
        let mut ctx = Ctx {
            dialect: Dialect::Postgres,
            start: Pos {
                line: piece.line,
                column: piece.column,
            },
            warnings,
            pg_schema: self.pg_schema,
        };
        let def = crate::pg_trigger::create_trigger(piece, &mut ctx)?;
        let trigger = def.trigger;
        let key = trigger.key();
        let taken = self.defined_triggers.get(&key).copied();
        if !def.or_replace {
            self.once(
                taken.as_ref(),
                file,
                def.name_pos,
                &format!("trigger `{}` on `{}`", trigger.name, trigger.table),
            )?;
        }
        self.defined_triggers.insert(
            key.clone(),
            At {
                file,
                pos: def.name_pos,
            },
        );
        self.deferred.push((
            file,
            Deferred::Trigger {
                name: key.clone(),
                pos: def.table_pos,
            },
        ));
        self.schema.triggers.insert(key, trigger);
        Ok(())
    }

    /// A PostgreSQL `CREATE RULE` in a schema file: on a table or view made above it,
    /// once per name and table.
    fn create_rule(
        &mut self,
        file: usize,
        piece: &Piece,
        kind: Kind,
        warnings: &mut Vec<Warning>,
    ) -> Result<(), PosError> {
        let start = Pos {
            line: piece.line,
            column: piece.column,
        };
        if self.dialect != Dialect::Postgres {
            return Err(PosError::new(
                start,
                format!(
                    "`{}`: rules are PostgreSQL's; {} has none",
                    excerpt(&piece.text),
                    if self.dialect == Dialect::Sqlite {
                        "SQLite"
                    } else {
                        "MySQL"
                    }
                ),
            ));
        }
        if kind == Kind::AlterRule {
            return Err(PosError::new(
                start,
                "`ALTER RULE` in a schema file: write the rule under the name it has",
            ));
        }
        let mut ctx = Ctx {
            dialect: Dialect::Postgres,
            start,
            warnings,
            pg_schema: self.pg_schema,
        };
        let def = crate::rule::create_rule(piece, &mut ctx)?;
        let mut rule = def.rule;
        let wanted = rule.table.clone();
        rule.table = self
            .table_name(&wanted)
            .or_else(|| self.schema.views.contains_key(&wanted).then_some(wanted))
            .ok_or_else(|| {
                PosError::new(
                    def.table_pos,
                    format!(
                        "rule `{}` is on `{}`, which is not a table or view made above it",
                        rule.name, rule.table
                    ),
                )
            })?;
        let key = rule.key();
        if !def.or_replace {
            self.once(
                self.defined_rules.get(&key),
                file,
                def.name_pos,
                &format!("rule `{}` on `{}`", rule.name, rule.table),
            )?;
        }
        self.defined_rules.insert(
            key.clone(),
            At {
                file,
                pos: def.name_pos,
            },
        );
        self.schema.rules.insert(key, rule);
        Ok(())
    }

    /// A `CREATE POLICY` in a schema file: on a table made above it, once per name
    /// and table.
    fn create_policy(&mut self, def: crate::policy::PolicyDef) -> Result<(), PosError> {
        let mut policy = def.policy;
        policy.table = self.table_name(&policy.table).ok_or_else(|| {
            PosError::new(
                def.table_pos,
                format!(
                    "policy `{}` is on `{}`, which is not a table made above it",
                    policy.name, policy.table
                ),
            )
        })?;
        let key = policy.key();
        if self.schema.policies.contains_key(&key) {
            return Err(PosError::new(
                def.table_pos,
                format!(
                    "policy `{}` on `{}` is defined twice",
                    policy.name, policy.table
                ),
            ));
        }
        self.schema.policies.insert(key, policy);
        Ok(())
    }

    /// `ALTER TABLE table {ENABLE | DISABLE | FORCE | NO FORCE} ROW LEVEL SECURITY` in
    /// a schema file, on a table made above it.
    fn set_row_security(&mut self, c: crate::policy::RowSecurityChange) -> Result<(), PosError> {
        let table = self.table_name(&c.table).ok_or_else(|| {
            PosError::new(
                c.at,
                format!("`{}` is not a table made above this statement", c.table),
            )
        })?;
        let mut rs = self
            .schema
            .row_security
            .get(&table)
            .copied()
            .unwrap_or_default();
        if let Some(e) = c.enabled {
            rs.enabled = e;
        }
        if let Some(f) = c.forced {
            rs.forced = f;
        }
        if rs == wildebeest_schema::RowSecurity::default() {
            self.schema.row_security.remove(&table);
        } else {
            self.schema.row_security.insert(table, rs);
        }
        Ok(())
    }

    /// `ALTER TABLE table ENABLE | DISABLE TRIGGER name` in a schema file (pg_dump
    /// writes one after a trigger that does not fire as by default): the state of a
    /// trigger made above it, or of every trigger of the table for `ALL` and `USER`.
    fn set_trigger_state(
        &mut self,
        table: &str,
        name: Option<&str>,
        state: TriggerState,
        at: Pos,
    ) -> Result<(), PosError> {
        let table = self.table_name(table).unwrap_or_else(|| table.to_string());
        let keys: Vec<String> = match name {
            Some(name) => {
                let key = trigger_key(Some(&table), name);
                if !self.schema.triggers.contains_key(&key) {
                    return Err(PosError::new(
                        at,
                        format!("no trigger `{name}` on `{table}` is made above this statement"),
                    ));
                }
                vec![key]
            }
            None => self
                .schema
                .triggers
                .iter()
                .filter(|(_, t)| t.table == table && t.per_table())
                .map(|(k, _)| k.clone())
                .collect(),
        };
        for key in keys {
            if let Some(t) = self.schema.triggers.get_mut(&key) {
                t.state = state;
            }
        }
        Ok(())
    }

    /// Checks that trigger `name`'s table (or view) is made by the files, and names it
    /// as the schema does.
    fn check_trigger_table(&mut self, name: &str, pos: Pos) -> Result<(), PosError> {
        let Some((table, own)) = self
            .schema
            .triggers
            .get(name)
            .map(|t| (t.table.clone(), t.name.clone()))
        else {
            return Ok(());
        };
        let found = self.table_name(&table).or_else(|| {
            self.schema
                .views
                .keys()
                .find(|v| {
                    **v == table || (self.dialect.folds_case() && v.eq_ignore_ascii_case(&table))
                })
                .cloned()
        });
        match found {
            Some(found) => {
                if let Some(t) = self.schema.triggers.get_mut(name) {
                    t.table = found;
                }
                Ok(())
            }
            None => Err(PosError::new(
                pos,
                format!(
                    "trigger `{own}` is on `{table}`, which is not a table or view these files create"
                ),
            )),
        }
    }

    /// Checks that what view `name` reads is made by the files, and names each table
    /// as the schema does (in a dialect whose names ignore case, `Orders` is
    /// `orders`), so that the diff sees which views read a table.
    fn check_view_reads(&mut self, name: &str, pos: Pos) -> Result<(), PosError> {
        let Some(view) = self.schema.views.get(name) else {
            return Ok(());
        };
        let mut reads = Vec::new();
        for r in &view.reads {
            if r.contains('.') || self.schema.views.contains_key(r) {
                reads.push(r.clone());
                continue;
            }
            if let Some(found) = self.table_name(r) {
                reads.push(found);
                continue;
            }
            let view_named = self
                .schema
                .views
                .keys()
                .find(|v| self.dialect.folds_case() && v.eq_ignore_ascii_case(r));
            if let Some(v) = view_named {
                reads.push(v.clone());
                continue;
            }
            let builtin = match self.dialect {
                Dialect::Mysql => r.eq_ignore_ascii_case("dual"),
                Dialect::Postgres => r.starts_with("pg_"),
                Dialect::Sqlite => r.to_ascii_lowercase().starts_with("sqlite_"),
            };
            // A database keeps a view whose table is gone (SQLite does).
            if builtin || self.dangling_references {
                reads.push(r.clone());
                continue;
            }
            return Err(PosError::new(
                pos,
                format!(
                    "view `{name}` reads `{r}`, which is not a table or view these files create"
                ),
            ));
        }
        reads.sort();
        reads.dedup();
        if let Some(v) = self.schema.views.get_mut(name) {
            v.reads = reads;
        }
        Ok(())
    }

    fn statement(
        &mut self,
        file: usize,
        piece: &Piece,
        warnings: &mut Vec<Warning>,
    ) -> Result<(), PosError> {
        let dialect = self.dialect;
        // MySQL runs what a versioned comment says (mysqldump writes views, triggers
        // and routines in them, `/*!50001 CREATE VIEW ... */`): read it as code.
        let unwrapped;
        let piece = if dialect == Dialect::Mysql && piece.text.contains("/*!") {
            unwrapped = Piece {
                text: crate::trigger::unwrap(&piece.text, dialect),
                ..piece.clone()
            };
            &unwrapped
        } else {
            piece
        };
        let start = Pos {
            line: piece.line,
            column: piece.column,
        };
        let kind = parse::classify_in(&piece.text, dialect);
        if kind == Kind::DropView {
            self.drop_view(piece)?;
        }
        if dialect == Dialect::Postgres && self.sequence_statement(file, piece, warnings)? {
            return Ok(());
        }
        if kind == Kind::DropTable {
            self.drop_table(file, piece)?;
        }
        if kind == Kind::CreateView {
            return self.create_view(file, piece, warnings);
        }
        if kind == Kind::CreateExtension {
            return self.create_extension(file, piece);
        }
        if kind == Kind::DropExtension {
            return self.drop_extension(file, piece);
        }
        if kind == Kind::CreateType && self.create_type(file, piece)? {
            return Ok(());
        }
        if kind == Kind::AlterType && self.alter_type(piece)? {
            return Ok(());
        }
        if kind == Kind::DropType {
            self.drop_type(file, piece)?;
        }
        if kind == Kind::CreateDomain {
            return self.create_domain(file, piece);
        }
        if kind == Kind::DropDomain {
            return self.drop_domain(file, piece);
        }
        if kind == Kind::AlterDomain {
            return self.alter_domain(piece, warnings);
        }
        if kind == Kind::CreateRoutine {
            return self.create_routine(file, piece, warnings);
        }
        if kind == Kind::CreateTrigger {
            if dialect == Dialect::Postgres {
                return self.create_pg_trigger(file, piece, warnings);
            }
            return self.create_trigger(file, piece, warnings);
        }
        if matches!(kind, Kind::CreateRule | Kind::AlterRule) {
            return self.create_rule(file, piece, kind, warnings);
        }
        if matches!(kind, Kind::CreatePolicy | Kind::AlterPolicy) || kind == Kind::AlterTable {
            let mut ctx = Ctx {
                dialect: Dialect::Postgres,
                start,
                warnings: &mut *warnings,
                pg_schema: self.pg_schema,
            };
            let found = match kind {
                Kind::AlterTable => {
                    crate::policy::row_security(piece, &mut ctx).map(|r| r.map(Err))
                }
                Kind::CreatePolicy => Some(crate::policy::create_policy(piece, &mut ctx).map(Ok)),
                _ => Some(Err(PosError::new(
                    start,
                    "`ALTER POLICY` in a schema file: write the policy as it is",
                ))),
            };
            if let Some(found) = found {
                if dialect != Dialect::Postgres {
                    return Err(PosError::new(
                        start,
                        format!(
                            "`{}`: row-level security and policies are PostgreSQL's; {} has none",
                            excerpt(&piece.text),
                            if dialect == Dialect::Sqlite {
                                "SQLite"
                            } else {
                                "MySQL"
                            }
                        ),
                    ));
                }
                return match found? {
                    Ok(def) => self.create_policy(def),
                    Err(rs) => self.set_row_security(rs),
                };
            }
        }
        if kind == Kind::AlterTrigger {
            return Err(PosError::new(
                start,
                "`ALTER TRIGGER` in a schema file: write the trigger under the name it has",
            ));
        }
        if dialect == Dialect::Postgres && kind == Kind::AlterTable {
            let mut ctx = Ctx {
                dialect,
                start,
                warnings: &mut *warnings,
                pg_schema: self.pg_schema,
            };
            if let Some(found) = crate::pg_trigger::trigger_state(piece, &mut ctx) {
                let c = found?;
                return self.set_trigger_state(&c.table, c.name.as_deref(), c.state, c.at);
            }
        }
        if dialect == Dialect::Postgres {
            match partition::read(piece, kind, self.pg_schema) {
                Some(Ok(Partitioning::OnOnly(p))) => return self.statement(file, &p, warnings),
                Some(Ok(Partitioning::Attach {
                    parent,
                    child,
                    bound,
                })) => return self.attach(&parent, &child, Some(bound)),
                Some(Ok(Partitioning::Detach { parent, child })) => {
                    return self.attach(&parent, &child, None);
                }
                Some(Ok(Partitioning::AttachIndex { parent, child })) => {
                    self.deferred
                        .push((file, Deferred::AttachIndex { parent, child }));
                    return Ok(());
                }
                Some(Err(e)) => return Err(e),
                None => {}
            }
        }
        if dialect == Dialect::Mysql
            && kind == Kind::AlterTable
            && let Some(found) = crate::mysql_partition::read_alter(piece)
        {
            return self.mysql_partitions(piece, found?, start);
        }
        if let Some(e) = crate::unheld::refusal(piece, dialect) {
            return Err(e);
        }
        if kind == Kind::Comment {
            return self.comment(file, piece, warnings);
        }
        // The schema's comment as a migration (and `inspect`) writes it.
        if kind == Kind::Other
            && dialect == Dialect::Postgres
            && let Some(text) = comment::read_schema_block(&piece.text)
        {
            self.deferred.push((
                file,
                Deferred::Comment {
                    on: CommentOn::Schema,
                    text,
                    pos: start,
                },
            ));
            return Ok(());
        }
        let enum_type = kind == Kind::CreateType && dialect == Dialect::Postgres;
        if !enum_type
            && !matches!(
                kind,
                Kind::CreateTable | Kind::CreateIndex | Kind::AlterTable
            )
        {
            if let Some(words) = (kind == Kind::Other)
                .then(|| unknown_statement(&piece.text))
                .flatten()
            {
                {
                    return Err(PosError::new(
                        start,
                        format!(
                            "`{words}` is not a statement wildebeest knows (a misspelling?); \
                             a table left out of the schema would be dropped, so this is an error"
                        ),
                    ));
                }
            }
            if let Some(e) = unmodeled_create(piece, dialect, self.pg_schema) {
                return Err(e);
            }
            if !is_dump_boilerplate(&piece.text) {
                warnings.push(ignored(piece));
            }
            return Ok(());
        }
        // pg_dump's identity options, which sqlparser cannot read, are read apart.
        let mut identity = (dialect == Dialect::Postgres && kind == Kind::AlterTable)
            .then(|| sequence::identity_options(piece))
            .flatten();
        // And so are the options of an identity column in a `CREATE TABLE`.
        let columns = (dialect == Dialect::Postgres && kind == Kind::CreateTable)
            .then(|| sequence::create_table_identities(piece))
            .flatten();
        let read = match (&identity, &columns) {
            (Some(i), _) => &i.surrogate,
            (None, Some((blanked, _))) => blanked,
            (None, None) => piece,
        };
        let parsed = match parse::parse_piece(read, dialect, kind) {
            Ok(parsed) => parsed,
            // Only enum types are read; another kind of type the parser cannot read
            // (a base type with its functions) is ignored like any other statement.
            Err(_) if enum_type && !piece.text.to_ascii_uppercase().contains("ENUM") => {
                return Err(unmodeled_create(piece, dialect, self.pg_schema).unwrap_or(
                    PosError::new(
                        start,
                        format!(
                            "`{}`: only enum, composite and range types are modeled",
                            excerpt(&piece.text)
                        ),
                    ),
                ));
            }
            Err(e) if dialect == Dialect::Postgres => {
                return Err(typed_literal_default(piece, &e)
                    .or_else(|| exclusion_index_clause(piece, &e))
                    .unwrap_or(e));
            }
            Err(e) if dialect == Dialect::Mysql => {
                return Err(index_visibility(piece, &e).unwrap_or(e));
            }
            Err(e) => return Err(e),
        };
        let mut ctx = Ctx {
            dialect,
            start,
            warnings,
            pg_schema: self.pg_schema,
        };
        match parsed {
            AstStatement::CreateTable(ct) if ct.temporary => {
                let what = excerpt(&piece.text);
                ctx.warn(
                    piece.line,
                    format!("`{what}` creates a temporary table; wildebeest ignores it"),
                );
            }
            AstStatement::CreateTable(ct) => {
                let identities = columns.as_ref().map_or(&[][..], |(_, c)| c);
                let mut def = ddl::create_table(&ct, identities, &mut ctx)?;
                if dialect == Dialect::Mysql {
                    crate::mysql::table(&mut def.table);
                }
                let name = def.table.name.clone();
                if is_sqlite_internal(&name, dialect) {
                    ctx.warn(def.name_pos.line, internal(&name, "table"));
                    return Ok(());
                }
                if let Some(existing) = self.table_name(&name) {
                    let first = self
                        .defined
                        .get(&existing)
                        .map_or(String::new(), |&at| self.first(at, file));
                    if def.if_not_exists {
                        ctx.warn(
                            def.name_pos.line,
                            format!(
                                "table `{existing}` is already defined on {first}; \
                                 this `IF NOT EXISTS` definition is ignored"
                            ),
                        );
                        return Ok(());
                    }
                    return Err(PosError::new(
                        def.name_pos,
                        format!("table `{existing}` is defined twice (first on {first})"),
                    ));
                }
                for c in def.constraints {
                    if matches!(c.constraint, Constraint::ForeignKey(_)) {
                        let table = name.clone();
                        self.deferred
                            .push((file, Deferred::ForeignKey { table, def: c }));
                    }
                }
                self.defined.insert(
                    name.clone(),
                    At {
                        file,
                        pos: def.name_pos,
                    },
                );
                self.unmodeled.extend(
                    def.unmodeled
                        .into_iter()
                        .map(|(line, what)| (file, line, name.clone(), what)),
                );
                if def.table.options.partition_of.is_some() {
                    self.partition(&mut def.table, def.name_pos)?;
                }
                self.folded_tables
                    .entry(name.to_ascii_lowercase())
                    .or_default()
                    .push(name.clone());
                self.schema.tables.insert(name, def.table);
                for index in def.indexes {
                    self.deferred.push((file, Deferred::Index(index)));
                }
            }
            AstStatement::CreateIndex(ci) => {
                let def = ddl::create_index(&ci, &mut ctx)?;
                let (name, table) = (&def.index.name, &def.index.table);
                if is_sqlite_internal(name, dialect) {
                    ctx.warn(def.name_pos.line, internal(name, "index"));
                    return Ok(());
                }
                if is_sqlite_internal(table, dialect) {
                    ctx.warn(def.table_pos.line, internal(table, "table"));
                    return Ok(());
                }
                // PostgreSQL's `INCLUDE (...)` and storage parameters are held; the
                // other databases have neither. A migration may run one as written
                // (it is warned about there), but the desired schema must not: the
                // generated `CREATE INDEX` would leave the clause out, and nothing
                // would compare it.
                let mut unheld = Vec::new();
                if dialect != Dialect::Postgres {
                    if !ci.include.is_empty() {
                        unheld.push("INCLUDE (...)".to_string());
                    }
                    if !ci.with.is_empty() {
                        let with: Vec<String> = ci.with.iter().map(ToString::to_string).collect();
                        unheld.push(format!("WITH ({})", with.join(", ")));
                    }
                }
                if !unheld.is_empty() {
                    return Err(PosError::new(
                        def.name_pos,
                        format!(
                            "index `{}`: `{}` is PostgreSQL's and this database has no \
                             such index, so it would be created without it; leave the \
                             clause out",
                            def.index.name,
                            unheld.join("`, `")
                        ),
                    ));
                }
                self.deferred.push((file, Deferred::Index(def)));
            }
            AstStatement::CreateType {
                name,
                representation: representation @ Some(UserDefinedTypeRepresentation::Enum { .. }),
            } => {
                let (name, labels) = ddl::create_enum(&name, representation.as_ref(), &mut ctx)?;
                if let Some(&first) = self.defined_enums.get(&name.value) {
                    let first = self.first(first, file);
                    return Err(PosError::new(
                        name.pos,
                        format!(
                            "enum type `{}` is defined twice (first on {first})",
                            name.value
                        ),
                    ));
                }
                if let Some((_, l)) = labels
                    .iter()
                    .enumerate()
                    .find(|(i, l)| labels[..*i].contains(l))
                {
                    return Err(PosError::new(
                        name.pos,
                        format!(
                            "enum type `{}` has the value '{}' twice",
                            name.value,
                            l.replace('\'', "''")
                        ),
                    ));
                }
                self.defined_enums.insert(
                    name.value.clone(),
                    At {
                        file,
                        pos: name.pos,
                    },
                );
                self.schema.enums.insert(name.value, labels);
            }
            AstStatement::AlterTable(alter)
                if let Some((table, adds)) = ddl::mysql_adds(&alter, &mut ctx)? =>
            {
                let Some(found) = self.table_name(&table.value) else {
                    return Err(PosError::new(
                        table.pos,
                        format!(
                            "table `{}` is not created before this statement",
                            table.value
                        ),
                    ));
                };
                let found = found.to_string();
                for add in adds {
                    match add {
                        ddl::Added::Index(mut def) => {
                            def.index.table.clone_from(&found);
                            self.deferred.push((file, Deferred::Index(def)));
                        }
                        ddl::Added::Constraint(mut def) => {
                            if let Some(mut t) = self.schema.tables.get_mut(&found) {
                                ddl::add_constraint(&mut t, &mut def, dialect)?;
                            }
                            if matches!(def.constraint, Constraint::ForeignKey(_)) {
                                let table = found.clone();
                                self.deferred
                                    .push((file, Deferred::ForeignKey { table, def }));
                            }
                        }
                        ddl::Added::Unmodeled(line, part) => {
                            if let Some(mut t) = self.schema.tables.get_mut(&found) {
                                t.unmodeled.push(part.clone());
                            }
                            self.unmodeled.push((file, line, found.clone(), part));
                        }
                    }
                }
            }
            AstStatement::AlterTable(alter) => {
                // pg_dump writes constraints as `ALTER TABLE ONLY t ADD CONSTRAINT ...`
                // after the tables, a serial column's default and an identity as
                // `ALTER COLUMN`: take those; anything else is not a schema
                // description, and its warnings give way to the one saying so.
                let mut own = Vec::new();
                let mut alter_ctx = Ctx {
                    dialect,
                    start,
                    warnings: &mut own,
                    pg_schema: self.pg_schema,
                };
                let (table, actions) = match ddl::alter_table(&alter, &mut alter_ctx) {
                    Ok(found) => found,
                    // A constraint the model cannot hold (`UNIQUE (x) DEFERRABLE` or an
                    // exclusion constraint on SQLite or MySQL) describes the schema:
                    // passed over, the database would lack it, so it is refused by
                    // name.
                    Err(e) if adds_constraint(&alter) => return Err(e),
                    // So is a default read once, when the table is made.
                    Err(e) if crate::frozen::sets_frozen_default(&alter) => return Err(e),
                    Err(_) => {
                        ctx.warnings.push(ignored(piece));
                        return Ok(());
                    }
                };
                // pg_dump's `--clean --if-exists` preamble (`ALTER TABLE IF EXISTS
                // ONLY t DROP CONSTRAINT IF EXISTS k`, `... ALTER COLUMN c DROP
                // DEFAULT`) runs before the table is made, on a database that may
                // have it: schema.sql says the state, so this changes nothing of it.
                if alter.if_exists && self.table_name(&table.value).is_none() {
                    return Ok(());
                }
                if !actions.iter().all(|a| describes(&a.action, dialect)) {
                    // A change of the table's columns, name or keys says a state the
                    // file does not describe: passed over, the table would lack it.
                    if let Some(a) = actions.iter().find(|a| changes_table(&a.action)) {
                        return Err(PosError::new(
                            table.pos,
                            format!(
                                "`{}` changes table `{}` ({}): a schema file says the state \
                                 wanted, so write the table as it ends in its `CREATE TABLE`",
                                excerpt(&piece.text),
                                table.value,
                                table_change(&a.action)
                            ),
                        ));
                    }
                    ctx.warnings.push(ignored(piece));
                    return Ok(());
                }
                ctx.warnings.append(&mut own);
                let Some(found) = self.table_name(&table.value) else {
                    return Err(PosError::new(
                        table.pos,
                        format!(
                            "table `{}` is not created before this statement",
                            table.value
                        ),
                    ));
                };
                let found = found.to_string();
                let last = actions.len();
                for (k, action) in actions.into_iter().enumerate() {
                    if let AlterAction::AlterColumn { column, alter } = action.action {
                        // The options taken off belong to the last action.
                        let options = if k + 1 == last { identity.take() } else { None };
                        let at = (file, piece.line, table.pos);
                        self.alter_column(at, &found, &column, alter, options)?;
                        continue;
                    }
                    if let AlterAction::SetOptions(change) = &action.action
                        && let Some(mut t) = self.schema.tables.get_mut(&found)
                    {
                        let storage = &mut t.options.storage;
                        for (name, value) in &change.storage {
                            let prefix = format!("{name}=");
                            storage.retain(|p| !p.starts_with(&prefix));
                            if let Some(v) = value {
                                storage.push(format!("{prefix}{v}"));
                            }
                        }
                        storage.sort();
                        continue;
                    }
                    let Some(mut def) = action.constraint else {
                        continue;
                    };
                    let added = match self.schema.tables.get_mut(&found) {
                        Some(mut t) => ddl::add_constraint(&mut t, &mut def, dialect),
                        None => Ok(()),
                    };
                    if let Err(e) = added {
                        return Err(self.inherited(file, &found, e));
                    }
                    if matches!(def.constraint, Constraint::ForeignKey(_)) {
                        let table = found.clone();
                        self.deferred
                            .push((file, Deferred::ForeignKey { table, def }));
                    }
                }
            }
            _ => ctx.warnings.push(ignored(piece)),
        }
        Ok(())
    }

    /// A `COMMENT ON` (see [`comment::comment_on`]): the comment of a table or column
    /// these files created before it; a comment on any other object is kept until
    /// every file is read (an index or a foreign key is added then), when the object
    /// must be there.
    fn comment(
        &mut self,
        file: usize,
        piece: &Piece,
        warnings: &mut Vec<Warning>,
    ) -> Result<(), PosError> {
        let start = Pos {
            line: piece.line,
            column: piece.column,
        };
        let mut ctx = Ctx {
            dialect: self.dialect,
            start,
            warnings,
            pg_schema: self.pg_schema,
        };
        let comment = comment::comment_on(piece, &mut ctx)?;
        let (table, column) = match comment.target {
            Target::Other(on, pos) => {
                self.deferred.push((
                    file,
                    Deferred::Comment {
                        on,
                        text: comment.text,
                        pos,
                    },
                ));
                return Ok(());
            }
            Target::Column { relation, column }
                if self.schema.views.contains_key(&relation.value) =>
            {
                let on = CommentOn::ViewColumn {
                    view: relation.value,
                    column: column.value,
                };
                let pos = column.pos;
                self.deferred.push((
                    file,
                    Deferred::Comment {
                        on,
                        text: comment.text,
                        pos,
                    },
                ));
                return Ok(());
            }
            Target::Table(table) => (table, None),
            Target::Column { relation, column } => (relation, Some(column)),
        };
        let table_pos = table.pos;
        let Some(found) = self.table_name(&table.value) else {
            return Err(PosError::new(
                table_pos,
                format!(
                    "table `{}` is not created before this statement",
                    table.value
                ),
            ));
        };
        let dialect = self.dialect;
        let Some(mut t) = self.schema.tables.get_mut(&found) else {
            return Ok(());
        };
        let Some(column) = column else {
            t.options.comment = comment.text;
            return Ok(());
        };
        let names = t.columns.iter().map(|c| c.name.as_str());
        let Some(name) = find_name(names, &column.value, dialect).map(str::to_string) else {
            drop(t);
            let e = PosError::new(
                column.pos,
                format!("table `{found}` has no column `{}`", column.value),
            );
            return Err(self.inherited(file, &found, e));
        };
        if let Some(col) = t.columns.iter_mut().find(|c| c.name == name) {
            col.comment = comment.text;
        }
        Ok(())
    }

    /// A comment on an object but a table or its column, once every file is read:
    /// the object must be there (a routine named without its argument types is the
    /// one routine of that name).
    fn add_comment(
        &mut self,
        on: CommentOn,
        text: Option<String>,
        pos: Pos,
    ) -> Result<(), PosError> {
        let on = match on {
            CommentOn::Routine { kind, key } if !key.contains('(') => {
                let found: Vec<String> = self
                    .schema
                    .routines
                    .values()
                    .filter(|r| r.kind == kind && r.name == key)
                    .map(wildebeest_schema::Routine::key)
                    .collect();
                match found.as_slice() {
                    [one] => CommentOn::Routine {
                        kind,
                        key: one.clone(),
                    },
                    [] => CommentOn::Routine { kind, key },
                    _ => {
                        return Err(PosError::new(
                            pos,
                            format!(
                                "{} `{key}` has overloads: name its argument types",
                                kind.word()
                            ),
                        ));
                    }
                }
            }
            on => on,
        };
        let present = self.schema.has_comment_target(&on)
            && match &on {
                CommentOn::ViewColumn { view, column } => self
                    .schema
                    .views
                    .get(view)
                    .is_some_and(|v| v.has_column(column)),
                _ => true,
            };
        if !present {
            let hint = match &on {
                CommentOn::View(v) if self.schema.views.get(v).is_some_and(|v| v.materialized) => {
                    " (it is a materialized view: `COMMENT ON MATERIALIZED VIEW`)"
                }
                CommentOn::MaterializedView(v) if self.schema.views.contains_key(v) => {
                    " (it is a view: `COMMENT ON VIEW`)"
                }
                CommentOn::Index(_) => {
                    " (an index a primary key or unique constraint makes is the constraint's: \
                     comment on the constraint)"
                }
                CommentOn::Sequence(_) => {
                    " (a serial or identity column's sequence is the column's)"
                }
                _ => "",
            };
            return Err(PosError::new(
                pos,
                format!(
                    "a comment on {}, which these files do not create{hint}",
                    on.describe()
                ),
            ));
        }
        match text {
            Some(text) => {
                self.schema.comments.insert(on, text);
            }
            None => {
                self.schema.comments.remove(&on);
            }
        }
        Ok(())
    }

    /// An `ALTER COLUMN` of a schema file (see [`describes`]) on `table`, at `(file,
    /// line, position of the table's name)`; `identity` is the options taken off an
    /// `ADD GENERATED ... AS IDENTITY`, which the table keeps as unmodeled unless they
    /// are PostgreSQL's own defaults for the column.
    fn alter_column(
        &mut self,
        (file, line, pos): (usize, usize, Pos),
        table: &str,
        column: &str,
        alter: ColumnAlter,
        identity: Option<IdentityOptions>,
    ) -> Result<(), PosError> {
        let dialect = self.dialect;
        let Some(mut t) = self.schema.tables.get_mut(table) else {
            return Ok(());
        };
        let names = t.columns.iter().map(|c| c.name.as_str());
        let Some(name) = find_name(names, column, dialect).map(str::to_string) else {
            drop(t);
            let e = PosError::new(pos, format!("table `{table}` has no column `{column}`"));
            return Err(self.inherited(file, table, e));
        };
        let Some(col) = t.columns.iter_mut().find(|c| c.name == name) else {
            return Ok(());
        };
        match alter {
            ColumnAlter::SetDefault(d) => {
                // A plain string on a date or time column is read as that type.
                if dialect == Dialect::Postgres
                    && let Some(message) = crate::frozen::text_refusal(&d, &name, &col.ty)
                {
                    return Err(PosError::new(pos, message));
                }
                col.default = Some(d);
                if dialect == Dialect::Mysql {
                    crate::mysql::column(col);
                }
            }
            ColumnAlter::DropDefault => col.default = None,
            ColumnAlter::AddIdentity { always } => {
                col.auto_increment = true;
                col.generated_always = always;
                col.nullable = false;
                let plain = |o: &sequence::Options| o.plain(table, &name, &col.ty);
                if let Some(i) = identity.filter(|i| !i.options.as_ref().is_some_and(plain)) {
                    let part = sequence::identity_part(&name, always, &i.text);
                    t.unmodeled.push(part.clone());
                    self.unmodeled.push((file, line, table.to_string(), part));
                }
            }
            _ => {}
        }
        Ok(())
    }

    /// Records `CREATE SEQUENCE`, `ALTER SEQUENCE` and `DROP SEQUENCE` (see
    /// [`Sequence`]); `false` for any other statement, or an `ALTER SEQUENCE` of a
    /// sequence the files do not create (which is passed over like other statements).
    fn sequence_statement(
        &mut self,
        file: usize,
        piece: &Piece,
        warnings: &mut Vec<Warning>,
    ) -> Result<bool, PosError> {
        let pos = Pos {
            line: piece.line,
            column: piece.column,
        };
        if let Some(c) = sequence::create_sequence(&piece.text) {
            if let Some(first) = self.sequences.iter().find(|s| s.name == c.name) {
                if c.if_not_exists {
                    warnings.push(ignored(piece));
                    return Ok(true);
                }
                let first = self.first(first.at, file);
                return Err(PosError::new(
                    pos,
                    format!(
                        "sequence `{}` is created twice (first on {first})",
                        c.name.name
                    ),
                ));
            }
            let mut options = c.options;
            let owner = options.owned_by.take().flatten();
            self.sequences.push(Sequence {
                name: c.name,
                options,
                at: At { file, pos },
                owner,
                alters: Vec::new(),
            });
            return Ok(true);
        }
        if let Some((names, _)) = sequence::drop_sequence(&piece.text) {
            if let Some(s) = self.sequences.iter().find(|s| names.contains(&s.name)) {
                let first = self.first(s.at, file);
                return Err(PosError::new(
                    pos,
                    format!(
                        "`DROP SEQUENCE` drops sequence `{}`, which this schema creates on \
                         {first}: schema.sql says the state wanted; remove the sequence or the \
                         drop",
                        s.name.name
                    ),
                ));
            }
            // A dump's `--clean` drop before the create.
            return Ok(true);
        }
        let Some((name, _, action)) = sequence::alter_sequence(&piece.text) else {
            return Ok(false);
        };
        let Some(s) = self.sequences.iter_mut().rev().find(|s| s.name == name) else {
            return Ok(false);
        };
        match action {
            sequence::AlterSequence::Owner => warnings.push(ignored(piece)),
            sequence::AlterSequence::Rename(_) => {
                return Err(PosError::new(
                    pos,
                    format!(
                        "`ALTER SEQUENCE ... RENAME` of sequence `{}` in a schema file: \
                         schema.sql says the state wanted; create the sequence under its \
                         name",
                        name.name
                    ),
                ));
            }
            sequence::AlterSequence::Options(mut o) => {
                if let Some(owner) = o.owned_by.take() {
                    s.owner = owner;
                }
                if *o != sequence::Options::default() {
                    s.alters.push((At { file, pos }, *o));
                }
            }
        }
        Ok(true)
    }

    /// Makes each serial column pg_dump wrote out (an integer column `NOT NULL` whose
    /// default is `nextval` of a sequence it owns, with the default name and options
    /// of its type) `SERIAL` (`SMALLSERIAL`, `BIGSERIAL`) without a default, as
    /// PostgreSQL's inspection reads it; every other sequence is one of the model's
    /// own, and a default drawing from one is written as PostgreSQL prints it
    /// ([`wildebeest_schema::nextval_default`]).
    fn serials(&mut self) -> Result<(), SqlError> {
        for s in std::mem::take(&mut self.sequences) {
            // The table, the column's position and its serial type, read first; the
            // column is changed after.
            let serial =
                s.owner
                    .as_ref()
                    .filter(|_| s.alters.is_empty())
                    .and_then(|(table, column)| {
                        let t = self
                            .schema
                            .tables
                            .get(&table.name)
                            .filter(|_| table.is_in(&table.name, self.pg_schema))?;
                        let at = t.columns.iter().position(|c| c.name == *column)?;
                        let c = &t.columns[at];
                        let options = sequence::Options {
                            data_type: Some(
                                s.options.data_type.clone().unwrap_or(ColumnType::BigInt),
                            ),
                            ..s.options.clone()
                        };
                        let draws = c
                            .default
                            .as_deref()
                            .and_then(sequence::nextval_of)
                            .is_some_and(|n| n == s.name);
                        (draws
                            && !c.nullable
                            && s.name
                                .is_in(&sequence::default_name(&t.name, column), self.pg_schema)
                            && options.plain(&t.name, column, &c.ty))
                        .then_some((t.name.clone(), at, c.ty.serial_of()?))
                    });
            if let Some((table, at, serial)) = serial {
                if let Some(mut t) = self.schema.tables.get_mut(&table) {
                    let c = &mut t.columns[at];
                    c.ty = serial;
                    c.default = None;
                }
                continue;
            }
            let sequence = self
                .own_sequence(&s)
                .map_err(|(at, message)| self.error(at.file, PosError::new(at.pos, message)))?;
            self.schema
                .sequences
                .insert(sequence.name.clone(), sequence);
        }
        // A default drawing from a sequence, as PostgreSQL prints it.
        let pg_schema = self.pg_schema;
        for t in self.schema.tables.values_mut() {
            for c in &mut t.columns {
                let Some(q) = c.default.as_deref().and_then(sequence::nextval_of) else {
                    continue;
                };
                if q.schema
                    .as_deref()
                    .is_none_or(|n| n == "public" || n == pg_schema)
                {
                    c.default = Some(wildebeest_schema::nextval_default(&q.name));
                }
            }
        }
        Ok(())
    }

    /// The model's sequence of a `CREATE SEQUENCE` with its `ALTER SEQUENCE`s, or an
    /// error with where it is.
    fn own_sequence(&self, s: &Sequence) -> Result<wildebeest_schema::Sequence, (At, String)> {
        let pg_schema = self.pg_schema;
        let local = |q: &QName| {
            q.schema
                .as_deref()
                .is_none_or(|n| n == "public" || n == pg_schema)
                .then(|| q.name.clone())
        };
        let name = local(&s.name).ok_or_else(|| {
            (
                s.at,
                format!(
                    "sequence `{}` is in schema `{}`: wildebeest manages the objects of one \
                     schema",
                    s.name.name,
                    s.name.schema.as_deref().unwrap_or_default()
                ),
            )
        })?;
        if self.schema.tables.contains_key(&name) || self.schema.views.contains_key(&name) {
            return Err((
                s.at,
                format!("sequence `{name}`: a table or view of that name is created too"),
            ));
        }
        let options = s.options.model(local).map_err(|e| (s.at, e))?;
        let mut out =
            wildebeest_schema::Sequence::create(&name, &options).map_err(|e| (s.at, e))?;
        for (at, o) in &s.alters {
            let o = o.model(local).map_err(|e| (*at, e))?;
            out = out.altered(&o).map_err(|e| (*at, e))?;
        }
        if let Some((table, column)) = &s.owner {
            let owner = local(table).filter(|t| {
                self.schema
                    .tables
                    .get(t)
                    .is_some_and(|t| t.column(column).is_some())
            });
            let Some(t) = owner else {
                return Err((
                    s.at,
                    format!(
                        "sequence `{name}` is owned by `{}.{column}`, which the schema does not \
                         create",
                        table.name
                    ),
                ));
            };
            out.owned_by = Some((t, column.clone()));
        }
        Ok(out)
    }
    /// A MySQL `ALTER TABLE t PARTITION BY ...` in a schema file: how table `t`, made
    /// above, is partitioned. Any other action on partitions says a step, not a
    /// state, and is refused by name.
    fn mysql_partitions(
        &mut self,
        piece: &Piece,
        found: Option<(String, Pos, wildebeest_schema::MysqlPartitionChange)>,
        start: Pos,
    ) -> Result<(), PosError> {
        let Some((name, pos, wildebeest_schema::MysqlPartitionChange::By(p))) = found else {
            return Err(PosError::new(
                found.as_ref().map_or(start, |f| f.1),
                format!(
                    "`{}` changes a table's partitions: a schema file says the state wanted, \
                     so write the table's partitions in its `CREATE TABLE` (or an `ALTER \
                     TABLE ... PARTITION BY` of them all)",
                    excerpt(&piece.text)
                ),
            ));
        };
        let Some(found) = self.table_name(&name) else {
            return Err(PosError::new(
                pos,
                format!("table `{name}` is not created before this statement"),
            ));
        };
        if let Some(mut t) = self.schema.tables.get_mut(&found) {
            t.options.mysql_partitioning = Some(p);
        }
        Ok(())
    }

    /// The partitioned table `name` as the statement at `pos` names it: it must be
    /// defined before (a partition takes its columns) and partitioned.
    fn partitioned(&self, name: &str, pos: Pos) -> Result<&Table, PosError> {
        let parent = self.schema.tables.get(name).ok_or_else(|| {
            PosError::new(
                pos,
                format!(
                    "table `{name}` takes partitions, but no statement before this one creates it"
                ),
            )
        })?;
        if parent.options.partition_by.is_none() {
            return Err(PosError::new(
                pos,
                format!(
                    "table `{name}` is not partitioned (`PARTITION BY`), so it takes no partition"
                ),
            ));
        }
        Ok(parent)
    }

    /// Gives a new partition (`CREATE TABLE ... PARTITION OF`) its parent's columns,
    /// and checks its keys against them.
    fn partition(&self, table: &mut Table, pos: Pos) -> Result<(), PosError> {
        let Some(of) = &table.options.partition_of else {
            return Ok(());
        };
        let parent = self.partitioned(&of.parent, pos)?;
        table.columns = parent.columns.clone();
        for c in table.constraints() {
            let columns = match &c {
                Constraint::PrimaryKey(pk) => &pk.columns,
                Constraint::Unique(u) => &u.columns,
                Constraint::ForeignKey(fk) => &fk.columns,
                Constraint::Check(_) | Constraint::Exclusion(_) => continue,
            };
            if let Some(missing) = columns.iter().find(|c| table.column(c).is_none()) {
                return Err(PosError::new(
                    pos,
                    format!("table `{}` has no column `{missing}`", table.name),
                ));
            }
        }
        table.normalize();
        Ok(())
    }

    /// `ALTER TABLE parent ATTACH PARTITION child bound` (pg_dump writes a partition
    /// as a table of its own and attaches it), or with no bound `DETACH PARTITION`.
    /// An attached table's columns must be its parent's, and its checks named as one
    /// of the parent's are the parent's (PostgreSQL merges them), not its own.
    fn attach(
        &mut self,
        parent: &Named,
        child: &Named,
        bound: Option<String>,
    ) -> Result<(), PosError> {
        let parent_table = self.partitioned(&parent.name, parent.pos)?.clone();
        let Some(table) = self.schema.tables.get(&child.name) else {
            return Err(PosError::new(
                child.pos,
                format!(
                    "table `{}` is not created before this statement",
                    child.name
                ),
            ));
        };
        let mut table = table.clone();
        match bound {
            Some(bound) => {
                if let Some(of) = &table.options.partition_of {
                    return Err(PosError::new(
                        child.pos,
                        format!(
                            "table `{}` is already a partition of `{}`",
                            child.name, of.parent
                        ),
                    ));
                }
                let names = |t: &Table| {
                    let mut n: Vec<String> = t.columns.iter().map(|c| c.name.clone()).collect();
                    n.sort();
                    n
                };
                if names(&table) != names(&parent_table) {
                    return Err(PosError::new(
                        child.pos,
                        format!(
                            "table `{}` cannot be a partition of `{}`: its columns ({}) are not its parent's ({})",
                            child.name,
                            parent.name,
                            names(&table).join(", "),
                            names(&parent_table).join(", ")
                        ),
                    ));
                }
                // The checks of the parent and of every table above it.
                let mut inherited = Vec::new();
                let mut above = Some(&parent_table);
                for _ in 0..32 {
                    let Some(t) = above else { break };
                    inherited.extend(
                        t.checks
                            .iter()
                            .map(|c| Constraint::Check(c.clone()).sql_name(t)),
                    );
                    above = t
                        .options
                        .partition_of
                        .as_ref()
                        .and_then(|of| self.schema.tables.get(&of.parent));
                }
                table
                    .checks
                    .retain(|c| !c.name.as_ref().is_some_and(|n| inherited.contains(n)));
                table.columns = parent_table.columns.clone();
                table.options.partition_of = Some(PartitionOf {
                    parent: parent.name.clone(),
                    bound,
                });
            }
            None => {
                if table.options.partition_of.as_ref().map(|o| &o.parent) != Some(&parent.name) {
                    return Err(PosError::new(
                        child.pos,
                        format!(
                            "table `{}` is not a partition of `{}`",
                            child.name, parent.name
                        ),
                    ));
                }
                table.options.partition_of = None;
            }
        }
        table.normalize();
        self.schema.tables.insert(child.name.clone(), table);
        Ok(())
    }

    /// `ALTER INDEX parent ATTACH PARTITION child`: the partition's index (or key)
    /// `child` is its parent's, which PostgreSQL keeps on every partition.
    fn attach_index(&mut self, parent: &Named, child: &Named) -> Result<(), PosError> {
        let named = |t: &Table, name: &str| {
            t.indexes.iter().any(|i| i.name == name)
                || t.constraints().into_iter().any(|c| {
                    matches!(c, Constraint::PrimaryKey(_) | Constraint::Unique(_))
                        && c.sql_name(t) == name
                })
        };
        if !self.attached_indexes.contains(&parent.name)
            && !self.schema.tables.values().any(|t| named(t, &parent.name))
        {
            return Err(PosError::new(
                parent.pos,
                format!("index `{}` is not created in the schema files", parent.name),
            ));
        }
        let Some(owner) = self
            .schema
            .tables
            .values()
            .find(|t| named(t, &child.name))
            .map(|t| t.name.clone())
        else {
            return Err(PosError::new(
                child.pos,
                format!("index `{}` is not created in the schema files", child.name),
            ));
        };
        self.attached_indexes.insert(child.name.clone());
        if let Some(mut t) = self.schema.tables.get_mut(&owner) {
            let snapshot = t.clone();
            t.indexes.retain(|i| i.name != child.name);
            if t.primary_key.as_ref().is_some_and(|pk| {
                Constraint::PrimaryKey(pk.clone()).sql_name(&snapshot) == child.name
            }) {
                t.primary_key = None;
            }
            t.uniques
                .retain(|u| Constraint::Unique(u.clone()).sql_name(&snapshot) != child.name);
        }
        Ok(())
    }

    /// `e`, an error about a column `table` lacks, put after the reason when the table
    /// inherits (`INHERITS (...)`, which the model cannot hold): the column may be
    /// one it inherits, and the unheld `INHERITS` is what to fix first.
    fn inherited(&self, file: usize, table: &str, e: PosError) -> PosError {
        let Some((f, line, _, part)) = self.unmodeled.iter().find(|(_, _, t, part)| {
            t == table
                && part
                    .get(..8)
                    .is_some_and(|w| w.eq_ignore_ascii_case("INHERITS"))
        }) else {
            return e;
        };
        let at = self.first(
            At {
                file: *f,
                pos: Pos {
                    line: *line,
                    column: 1,
                },
            },
            file,
        );
        PosError::new(
            e.pos,
            format!(
                "table `{table}` has `{part}` (on {at}), which the model cannot hold, so \
                 wildebeest cannot know the columns it inherits: {}",
                e.message
            ),
        )
    }

    /// Attaches an index to its table: the table and its plain columns must exist, and
    /// the name must be new (per schema; per table in MySQL).
    /// An index on a materialized view (PostgreSQL): its columns are the view's
    /// query's, which the model does not list, so they are taken as written, a plain
    /// column's name in lower case unless the view's output has it in another case
    /// (written quoted).
    fn add_view_index(&mut self, file: usize, mut def: IndexDef) -> Result<(), PosError> {
        if let Some(view) = self.schema.views.get(&def.index.table) {
            for (k, column, _) in &def.plain_columns {
                let lower = column.to_lowercase();
                let name = if view.has_column(&lower) {
                    &lower
                } else {
                    column
                };
                if let Some(part) = def.index.columns.get_mut(*k) {
                    *part = format!("{name}{}", part.get(column.len()..).unwrap_or_default());
                }
            }
        }
        if let Some(&first) = self
            .index_names
            .get(&(String::new(), def.index.name.clone()))
        {
            let first = self.first(first, file);
            return Err(PosError::new(
                def.name_pos,
                format!(
                    "index `{}` is defined twice (first on {first})",
                    def.index.name
                ),
            ));
        }
        self.index_names.insert(
            (String::new(), def.index.name.clone()),
            At {
                file,
                pos: def.name_pos,
            },
        );
        if let Some(view) = self.schema.views.get_mut(&def.index.table) {
            view.indexes.push(def.index);
            view.indexes.sort();
        }
        Ok(())
    }

    fn add_index(&mut self, file: usize, mut def: IndexDef) -> Result<(), PosError> {
        let dialect = self.dialect;
        if def.index.name.is_empty() {
            // PostgreSQL's `CREATE INDEX ON t (...)`: the name the server gives it, on
            // the table as the schema spells it.
            if let Some(table) = self.table_name(&def.index.table) {
                def.index.table = table.to_string();
            }
            def.index.name = self.schema.pg_index_name(&def.index);
        }
        if let Some(view) = self.schema.views.get(&def.index.table) {
            if !view.materialized {
                return Err(PosError::new(
                    def.table_pos,
                    format!(
                        "index `{}` is on view `{}`: only a table or a materialized view \
                         has indexes",
                        def.index.name, def.index.table
                    ),
                ));
            }
            return self.add_view_index(file, def);
        }
        let Some(table_name) = self.table_name(&def.index.table) else {
            return Err(PosError::new(
                def.table_pos,
                format!(
                    "index `{}` is on table `{}`, which no schema file creates",
                    def.index.name, def.index.table
                ),
            ));
        };
        let table_name = table_name.to_string();
        let Some(table) = self.schema.tables.get(&table_name) else {
            return Ok(());
        };
        def.index.table = table_name.clone();
        for (k, column, pos) in &def.plain_columns {
            let Some(part) = def.index.columns.get_mut(*k) else {
                continue;
            };
            match find_name(
                table.columns.iter().map(|c| c.name.as_str()),
                column,
                dialect,
            ) {
                Some(found) => {
                    *part = respell_part(part, column, found);
                }
                None => {
                    let e = PosError::new(
                        *pos,
                        format!(
                            "index `{}`: table `{}` has no column `{column}`",
                            def.index.name, table.name
                        ),
                    );
                    return Err(self.inherited(file, &table.name, e));
                }
            }
        }
        for (k, pos) in def.include_pos.iter().enumerate() {
            let Some(column) = def.index.include.get(k).cloned() else {
                continue;
            };
            match find_name(
                table.columns.iter().map(|c| c.name.as_str()),
                &column,
                dialect,
            ) {
                Some(found) => def.index.include[k] = found.to_string(),
                None => {
                    let e = PosError::new(
                        *pos,
                        format!(
                            "index `{}`: table `{}` has no column `{column}` to include",
                            def.index.name, table.name
                        ),
                    );
                    return Err(self.inherited(file, &table.name, e));
                }
            }
        }
        let scope = if dialect == Dialect::Mysql {
            table_name.clone()
        } else {
            String::new()
        };
        let name = match dialect {
            Dialect::Postgres => def.index.name.clone(),
            _ => def.index.name.to_ascii_lowercase(),
        };
        if let Some(&first) = self.index_names.get(&(scope.clone(), name.clone())) {
            let first = self.first(first, file);
            if !def.if_not_exists {
                return Err(PosError::new(
                    def.name_pos,
                    format!(
                        "index `{}` is defined twice (first on {first})",
                        def.index.name
                    ),
                ));
            }
            let message = format!(
                "index `{}` is already defined on {first}; this `IF NOT EXISTS` definition is ignored",
                def.index.name
            );
            self.warnings.push((
                file,
                Warning {
                    line: def.name_pos.line,
                    message,
                },
            ));
            return Ok(());
        }
        self.index_names.insert(
            (scope, name),
            At {
                file,
                pos: def.name_pos,
            },
        );
        if let Some(mut table) = self.schema.tables.get_mut(&table_name) {
            table.indexes.push(def.index);
        }
        Ok(())
    }

    /// A foreign key's target must exist with the referenced columns (or a primary key
    /// of the right width when none are named); names take the target's spelling.
    fn check_foreign_key(&mut self, table: &str, def: ConstraintDef) -> Result<(), PosError> {
        let dialect = self.dialect;
        let Constraint::ForeignKey(fk) = &def.constraint else {
            return Ok(());
        };
        let ref_pos = def.ref_table.unwrap_or(def.pos);
        let Some(target_name) = self.table_name(&fk.ref_table) else {
            if self.dangling_references {
                return Ok(());
            }
            return Err(PosError::new(
                ref_pos,
                format!(
                    "foreign key of table `{table}` references table `{}`, which no schema file creates",
                    fk.ref_table
                ),
            ));
        };
        let target_name = target_name.to_string();
        let Some(target) = self.schema.tables.get(&target_name) else {
            return Ok(());
        };
        if fk.ref_columns.is_empty() {
            match &target.primary_key {
                Some(pk) if pk.columns.len() == fk.columns.len() => {}
                Some(pk) => {
                    return Err(PosError::new(
                        ref_pos,
                        format!(
                            "foreign key ({}) of table `{table}` has {} columns, \
                             but the primary key of `{target_name}` has {}",
                            fk.columns.join(", "),
                            fk.columns.len(),
                            pk.columns.len()
                        ),
                    ));
                }
                None => {
                    return Err(PosError::new(
                        ref_pos,
                        format!(
                            "foreign key of table `{table}` references `{target_name}` \
                             without columns, but `{target_name}` has no primary key"
                        ),
                    ));
                }
            }
        }
        let mut ref_columns = Vec::new();
        for (i, c) in fk.ref_columns.iter().enumerate() {
            match find_name(target.columns.iter().map(|c| c.name.as_str()), c, dialect) {
                Some(found) => ref_columns.push(found.to_string()),
                None => {
                    return Err(PosError::new(
                        def.ref_columns.get(i).copied().unwrap_or(ref_pos),
                        format!(
                            "foreign key of table `{table}` references column `{c}`, \
                             which table `{target_name}` does not have"
                        ),
                    ));
                }
            }
        }
        // Store the target's spelling of the names.
        if let Some(mut t) = self.schema.tables.get_mut(table) {
            for f in &mut t.foreign_keys {
                if f == fk {
                    f.ref_table = target_name.clone();
                    f.ref_columns = ref_columns.clone();
                }
            }
        }
        Ok(())
    }
}

/// Whether a schema file's `ALTER TABLE` action describes the schema, as pg_dump
/// writes one: `ADD CONSTRAINT`; a column's `SET DEFAULT` (`DROP DEFAULT`), where the
/// database has it (SQLite has no `ALTER COLUMN`); `ADD GENERATED ... AS IDENTITY`.
fn describes(action: &AlterAction, dialect: Dialect) -> bool {
    match action {
        AlterAction::AddConstraint(_) => true,
        AlterAction::AlterColumn { alter, .. } => match alter {
            ColumnAlter::SetDefault(_) | ColumnAlter::DropDefault => dialect != Dialect::Sqlite,
            ColumnAlter::AddIdentity { .. } => dialect == Dialect::Postgres,
            _ => false,
        },
        // PostgreSQL's `SET (fillfactor = 70)`: the table's storage parameters.
        AlterAction::SetOptions(change) => {
            dialect == Dialect::Postgres
                && !change.storage.is_empty()
                && *change
                    == wildebeest_schema::OptionsChange {
                        storage: change.storage.clone(),
                        ..Default::default()
                    }
        }
        _ => false,
    }
}

/// Whether an `ALTER TABLE` action in a schema file changes what the table is (its
/// name, columns or keys) rather than saying something the model does not hold.
fn changes_table(action: &AlterAction) -> bool {
    matches!(
        action,
        AlterAction::RenameTable(_)
            | AlterAction::AddColumn { .. }
            | AlterAction::DropColumn(_)
            | AlterAction::RenameColumn { .. }
            | AlterAction::AlterColumn { .. }
            | AlterAction::DropConstraint(_)
            | AlterAction::RenameConstraint { .. }
            | AlterAction::DropPrimaryKey
    )
}

/// What an `ALTER TABLE` action that [`changes_table`] does, in a few words.
fn table_change(action: &AlterAction) -> String {
    match action {
        AlterAction::RenameTable(to) => format!("renames it to `{to}`"),
        AlterAction::AddColumn { column, .. } => format!("adds column `{}`", column.name),
        AlterAction::DropColumn(c) => format!("drops column `{c}`"),
        AlterAction::RenameColumn { from, to } => format!("renames column `{from}` to `{to}`"),
        AlterAction::AlterColumn { column, .. } => format!("changes column `{column}`"),
        AlterAction::DropConstraint(c) => format!("drops constraint `{c}`"),
        AlterAction::RenameConstraint { from, to } => {
            format!("renames constraint `{from}` to `{to}`")
        }
        AlterAction::DropPrimaryKey => "drops its primary key".to_string(),
        _ => "changes it".to_string(),
    }
}

/// The leading words of a statement that is no SQL statement at all (`CREATE TABEL`,
/// `CRATE TABLE`), so that a typo in schema.sql is an error rather than a table
/// silently missing from the desired schema.
fn unknown_statement(text: &str) -> Option<String> {
    const VERBS: &[&str] = &[
        "CREATE",
        "ALTER",
        "DROP",
        "INSERT",
        "UPDATE",
        "DELETE",
        "SELECT",
        "WITH",
        "PRAGMA",
        "COMMENT",
        "GRANT",
        "REVOKE",
        "SET",
        "BEGIN",
        "COMMIT",
        "END",
        "ROLLBACK",
        "SAVEPOINT",
        "RELEASE",
        "ANALYZE",
        "VACUUM",
        "REPLACE",
        "ATTACH",
        "DETACH",
        "REINDEX",
        "TRUNCATE",
        "DO",
        "CALL",
        "EXPLAIN",
        "LOCK",
        "USE",
        "COPY",
        "RENAME",
        "SHOW",
        "DECLARE",
        "VALUES",
        "START",
        "SECURITY",
        "REFRESH",
        "CLUSTER",
        "NOTIFY",
        "LISTEN",
        "DISCARD",
        "RESET",
        "DELIMITER",
        "OPTIMIZE",
        "FLUSH",
        "LOAD",
        "IMPORT",
    ];
    const CREATED: &[&str] = &[
        "TABLE",
        "TEMP",
        "TEMPORARY",
        "UNIQUE",
        "INDEX",
        "VIEW",
        "TRIGGER",
        "VIRTUAL",
        "TYPE",
        "EXTENSION",
        "SCHEMA",
        "SEQUENCE",
        "FUNCTION",
        "PROCEDURE",
        "OR",
        "MATERIALIZED",
        "DOMAIN",
        "ROLE",
        "USER",
        "DATABASE",
        "POLICY",
        "RULE",
        "AGGREGATE",
        "CAST",
        "COLLATION",
        "OPERATOR",
        "PUBLICATION",
        "SUBSCRIPTION",
        "SERVER",
        "STATISTICS",
        "TABLESPACE",
        "EVENT",
        "DEFINER",
        "ALGORITHM",
        "SQL",
        "FULLTEXT",
        "SPATIAL",
        "CONSTRAINT",
        "GLOBAL",
        "LOCAL",
        "UNLOGGED",
        "LANGUAGE",
        "TRANSFORM",
        "CONVERSION",
        "TEXT",
        "FOREIGN",
        "ACCESS",
        "GROUP",
        "IF",
        "RECURSIVE",
    ];
    let words: Vec<String> = parse::leading_words(text, 2)
        .into_iter()
        .map(|w| w.to_ascii_uppercase())
        .collect();
    let verb = words.first()?;
    let known = match verb.as_str() {
        "CREATE" => words.get(1).is_none_or(|w| CREATED.contains(&w.as_str())),
        v => VERBS.contains(&v),
    };
    (!known).then(|| words.join(" "))
}

/// What to do with an object the model does not hold, said after its refusal.
const HAND_WRITTEN: &str = "leave it out of the schema and create it in a migration written \
     by hand (`wildebeest revision`), which runs it as written";

/// A `CREATE` of an object the model does not hold (a function, procedure, sequence,
/// extension, event, virtual table, ...), refused by its kind: a migration
/// built from the schema would lack it, so it is never passed over. The schema
/// PostgreSQL's objects live in (`CREATE SCHEMA`, as pg_dump writes it) is no object
/// of the schema.
fn unmodeled_create(piece: &Piece, dialect: Dialect, pg_schema: &str) -> Option<PosError> {
    const KINDS: &[(&str, &str)] = &[
        ("FUNCTION", "function"),
        ("PROCEDURE", "procedure"),
        // PostgreSQL's are read before this (`sequence_statement`); a form it does
        // not read (`TEMPORARY`, `UNLOGGED`) is refused here.
        ("SEQUENCE", "sequence"),
        ("EXTENSION", "extension"),
        ("EVENT", "event"),
        ("VIRTUAL", "virtual table"),
        ("TYPE", "type"),
        ("SCHEMA", "schema"),
        ("ROLE", "role"),
        ("USER", "user"),
        ("GROUP", "group"),
        ("DATABASE", "database"),
        ("POLICY", "policy"),
        ("AGGREGATE", "aggregate"),
        ("CAST", "cast"),
        ("COLLATION", "collation"),
        ("OPERATOR", "operator"),
        ("PUBLICATION", "publication"),
        ("SUBSCRIPTION", "subscription"),
        ("SERVER", "server"),
        ("STATISTICS", "statistics object"),
        ("TABLESPACE", "tablespace"),
        ("LANGUAGE", "language"),
        ("TRANSFORM", "transform"),
        ("CONVERSION", "conversion"),
        ("FOREIGN", "foreign table or wrapper"),
        ("TEXT", "text search object"),
        ("ACCESS", "access method"),
        ("TRIGGER", "trigger"),
        ("MATERIALIZED", "materialized view"),
        ("SYNONYM", "synonym"),
        // MySQL's `CREATE ALGORITHM=... DEFINER=... SQL SECURITY ... VIEW`.
        (
            "VIEW",
            "view with options the model does not read (`ALGORITHM`, `DEFINER`, `SQL \
             SECURITY`; write it as `CREATE VIEW`)",
        ),
        ("PACKAGE", "package"),
    ];
    let words = loose_words(&crate::trigger::unwrap(&piece.text, dialect), 8);
    if words.first().map(String::as_str) != Some("CREATE") {
        return None;
    }
    let kind = words[1..]
        .iter()
        .find_map(|w| KINDS.iter().find(|(k, _)| k == w).map(|(_, what)| *what));
    if kind == Some("schema") {
        let named = parse::leading_words(&piece.text, 6)
            .into_iter()
            .rev()
            .find(|w| !matches!(w.as_str(), "IF" | "NOT" | "EXISTS"));
        if named.is_some_and(|n| n.eq_ignore_ascii_case(pg_schema) || n == "PUBLIC") {
            return None;
        }
    }
    let what = kind.map_or("an object".to_string(), |k| {
        let article = if k.starts_with(['a', 'e', 'i', 'o', 'u']) {
            "an"
        } else {
            "a"
        };
        format!("{article} {k}")
    });
    Some(PosError::new(
        Pos {
            line: piece.line,
            column: piece.column,
        },
        format!(
            "`{}` creates {what}, which wildebeest does not model yet: {HAND_WRITTEN}",
            excerpt(&piece.text)
        ),
    ))
}

/// Up to `n` leading words of a statement, upper-cased, passing over what is not a
/// word (`=`, `@`) and quoted text (MySQL's `DEFINER=`root`@`%``).
pub(crate) fn loose_words(text: &str, n: usize) -> Vec<String> {
    let mut words = Vec::new();
    let mut chars = text.chars().peekable();
    while words.len() < n {
        let Some(c) = chars.next() else { break };
        match c {
            '\'' | '"' | '`' => {
                for d in chars.by_ref() {
                    if d == c {
                        break;
                    }
                }
            }
            '(' => break,
            c if c.is_alphanumeric() || c == '_' => {
                let mut w = c.to_string();
                while let Some(&d) = chars.peek() {
                    if !(d.is_alphanumeric() || d == '_') {
                        break;
                    }
                    w.push(d);
                    chars.next();
                }
                words.push(w.to_ascii_uppercase());
            }
            _ => {}
        }
    }
    words
}

/// Whether `name` is one SQLite reserves for the objects it makes and keeps itself
/// (`sqlite_sequence`, `sqlite_stat1`, ...), which it refuses to let anyone create.
/// A schema pasted from `sqlite3 app.db .schema` has them; the database's schema is
/// read without them too.
fn is_sqlite_internal(name: &str, dialect: Dialect) -> bool {
    dialect == Dialect::Sqlite
        && name
            .get(..7)
            .is_some_and(|p| p.eq_ignore_ascii_case("sqlite_"))
}

fn internal(name: &str, what: &str) -> String {
    format!(
        "{what} `{name}` is SQLite's own (SQLite makes and keeps the `sqlite_*` tables itself, \
         as `.schema` shows them); wildebeest ignores it"
    )
}

/// Whether a statement is what a dump writes around the schema: the set-up of the
/// session that reads it (`SET ...`, `SELECT pg_catalog.set_config(...)`, psql's own
/// commands such as `\\restrict`) or the `DROP TABLE IF EXISTS` / `DROP VIEW IF
/// EXISTS` that `mysqldump` writes before each table so that the file runs again, and
/// the `DROP {TABLE | INDEX | SEQUENCE | TYPE} IF EXISTS` of pg_dump's `--clean --if-exists`
/// preamble (a drop of a table the file made above it is refused before this).
/// They say nothing about the schema, so they are passed over without a warning.
fn is_dump_boilerplate(text: &str) -> bool {
    let first_line = text
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty() && !l.starts_with("--"))
        .unwrap_or_default()
        .to_ascii_lowercase();
    let words = parse::leading_words(text, 6);
    let words: Vec<&str> = words.iter().map(String::as_str).collect();
    matches!(
        words.as_slice(),
        ["SET", ..]
            | [
                "DROP",
                "TABLE"
                    | "VIEW"
                    | "INDEX"
                    | "SEQUENCE"
                    | "TYPE"
                    | "FUNCTION"
                    | "PROCEDURE"
                    | "AGGREGATE"
                    | "EVENT",
                "IF",
                "EXISTS",
                ..
            ]
            | ["DROP", "MATERIALIZED", "VIEW", "IF", "EXISTS", ..]
    ) || first_line.starts_with('\\')
        || first_line.starts_with("select pg_catalog.set_config(")
}

/// Whether an `ALTER TABLE` adds a constraint.
fn adds_constraint(alter: &sqlparser::ast::AlterTable) -> bool {
    alter
        .operations
        .iter()
        .any(|o| matches!(o, sqlparser::ast::AlterTableOperation::AddConstraint { .. }))
}

/// The tokens of `piece` read as PostgreSQL, without white space and comments, and
/// where the piece starts; `None` when it does not tokenize.
fn postgres_tokens(piece: &Piece) -> Option<(Pos, Vec<TokenWithSpan>)> {
    tokens_in(piece, Dialect::Postgres)
}

/// The tokens of `piece` in `dialect` without white space and comments, and where
/// the piece starts.
fn tokens_in(piece: &Piece, dialect: Dialect) -> Option<(Pos, Vec<TokenWithSpan>)> {
    let start = Pos {
        line: piece.line,
        column: piece.column,
    };
    let tokens = lex::tokenize(&piece.text, start, dialect, lex::sql_dialect(dialect)).ok()?;
    let tokens = tokens
        .into_iter()
        .filter(|t| !lex::is_trivia(&t.token))
        .collect();
    Some((start, tokens))
}

/// A MySQL key's visibility (`INVISIBLE`, `VISIBLE`, MariaDB's `IGNORED` and `NOT
/// IGNORED`) where the parser stopped at it, on a key other than a plain named one
/// (`parse` takes it off those): refused by name, not as a syntax error.
fn index_visibility(piece: &Piece, e: &PosError) -> Option<PosError> {
    let (start, tokens) = tokens_in(piece, Dialect::Mysql)?;
    let at = tokens
        .iter()
        .find(|t| lex::pos_of(t.span, start) == e.pos)?;
    let word = lex::bare_word(&at.token)?.to_ascii_uppercase();
    matches!(word.as_str(), "INVISIBLE" | "VISIBLE" | "IGNORED" | "NOT").then(|| {
        PosError::new(
            e.pos,
            format!(
                "`{}`: an index's visibility (`INVISIBLE`, MariaDB's `IGNORED`) is \
                 modeled on a plain named key only (`KEY k (a) IGNORED`), not on a \
                 primary, unique, `FULLTEXT` or `SPATIAL` one; write the key without it",
                excerpt(&piece.text)
            ),
        )
    })
}

/// A PostgreSQL default written as a typed literal of a type the parser does not
/// know as one (`DEFAULT money '1.00'`), where the parser stopped at the string:
/// refused naming the default, rather than with the parser's words.
fn typed_literal_default(piece: &Piece, e: &PosError) -> Option<PosError> {
    let (start, tokens) = postgres_tokens(piece)?;
    let table = tokens
        .get(2)
        .map(|t| t.token.to_string())
        .unwrap_or_default();
    tokens.windows(3).find_map(|w| {
        let Token::SingleQuotedString(text) = &w[2].token else {
            return None;
        };
        let ty = lex::bare_word(&w[1].token)?;
        if lex::bare_word(&w[0].token)? != "DEFAULT" || lex::pos_of(w[2].span, start) != e.pos {
            return None;
        }
        let ty = ty.to_ascii_lowercase();
        Some(PosError::new(
            lex::pos_of(w[1].span, start),
            format!(
                "table `{table}`: the default `{ty} '{text}'` (a literal typed by a prefix) \
                 is not supported yet; write it as a cast, `'{text}'::{ty}`"
            ),
        ))
    })
}

/// An exclusion constraint's index clause the parser does not read and the model
/// does not hold (`WITH (fillfactor = 70)`, `USING INDEX TABLESPACE`), where the
/// parser stopped at its `WITH` or `USING`: refused by name, not as a syntax error.
fn exclusion_index_clause(piece: &Piece, e: &PosError) -> Option<PosError> {
    let (start, tokens) = postgres_tokens(piece)?;
    let at = tokens
        .iter()
        .position(|t| lex::pos_of(t.span, start) == e.pos)?;
    let word = lex::bare_word(&tokens[at].token)?.to_ascii_uppercase();
    let next = tokens
        .get(at + 1)
        .map(|t| t.token.to_string().to_ascii_uppercase());
    let clause = match (word.as_str(), next.as_deref()) {
        ("WITH", Some("(")) => "index storage parameters `WITH (...)`",
        ("USING", Some("INDEX")) => "index tablespace `USING INDEX TABLESPACE`",
        _ => return None,
    };
    tokens[..at]
        .iter()
        .any(|t| lex::bare_word(&t.token).is_some_and(|w| w.eq_ignore_ascii_case("EXCLUDE")))
        .then(|| {
            PosError::new(
                e.pos,
                format!(
                    "an exclusion constraint's {clause} cannot be modeled (the model holds \
                     its method, elements, `INCLUDE`, `WHERE` and deferral); leave it out, or \
                     make the constraint in a migration written by hand (`wildebeest revision`)"
                ),
            )
        })
}

fn ignored(piece: &Piece) -> Warning {
    let words = parse::leading_words(&piece.text, 1);
    let upper = piece.text.to_ascii_uppercase();
    let privileges = matches!(words.first().map(String::as_str), Some("GRANT" | "REVOKE"))
        || (words.first().map(String::as_str) == Some("ALTER")
            && (upper.contains(" OWNER TO ") || upper.starts_with("ALTER DEFAULT PRIVILEGES")));
    Warning {
        line: piece.line,
        message: match privileges {
            true => format!("`{}`{OWNERS}", excerpt(&piece.text)),
            false => format!(
                "`{}` is not a table or index; wildebeest ignores it",
                excerpt(&piece.text)
            ),
        },
    }
}

/// The end of the warning for a statement that sets an owner or privileges.
const OWNERS: &str = " sets an owner or privileges: roles and grants are the cluster's, out \
                      of wildebeest's scope; left out";

/// The warnings of one file for statements that set owners or privileges (a dump
/// without `--no-owner --no-privileges` has one per object) as one: the first, with
/// how many more and their lines.
fn one_owner_warning(warnings: &mut Vec<(usize, Warning)>) {
    let mut first: BTreeMap<usize, usize> = BTreeMap::new();
    let mut more: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    let mut keep = Vec::with_capacity(warnings.len());
    for (file, w) in std::mem::take(warnings) {
        if w.message.ends_with(OWNERS) {
            if first.contains_key(&file) {
                more.entry(file).or_default().push(w.line);
                continue;
            }
            first.insert(file, keep.len());
        }
        keep.push((file, w));
    }
    for (file, lines) in more {
        let w = &mut keep[first[&file]].1;
        let head = w.message.trim_end_matches(OWNERS).to_string();
        let shown: Vec<String> = lines.iter().take(10).map(usize::to_string).collect();
        let etc = if lines.len() > 10 { ", ..." } else { "" };
        w.message = format!(
            "{head} and {} more statements (lines {}{etc}) set owners or privileges: roles \
             and grants are the cluster's, out of wildebeest's scope; left out",
            lines.len(),
            shown.join(", ")
        );
    }
    *warnings = keep;
}

/// An index part with its column `column` spelled `found`, as the table spells it: a
/// column's name (with its ` DESC`), or a MySQL prefix part on it.
fn respell_part(part: &str, column: &str, found: &str) -> String {
    let (body, direction) = match part.rsplit_once(' ') {
        Some((b, d)) if d.eq_ignore_ascii_case("DESC") || d.eq_ignore_ascii_case("ASC") => {
            (b, &part[b.len()..])
        }
        _ => (part, ""),
    };
    match wildebeest_schema::split_prefix_part(body) {
        Some((_, length)) => format!(
            "{}{direction}",
            wildebeest_schema::prefix_part(found, length)
        ),
        None => format!("{found}{}", part.get(column.len()..).unwrap_or_default()),
    }
}
