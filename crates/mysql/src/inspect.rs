//! The database's schema, read back into the model from `information_schema`: one
//! query per view for the whole database (tables, columns, constraints, key columns,
//! foreign key rules, checks, index columns), without the version tables
//! (`wildebeest_*`).
//!
//! What the server reports is brought to the form `schema.sql` gives the model:
//! - types as the MySQL parser reads them (see `types`);
//! - defaults and checks through `normalize_expr`, after undoing the server's own
//!   spelling: backticks where no quoting is needed, charset introducers
//!   (`_utf8mb4'x'`); `normalize_expr` writes function names as a schema file's are
//!   written (`lower` for `lcase`, `CURRENT_DATE` for `curdate()`,
//!   `CURRENT_TIMESTAMP` for `current_timestamp()`, in lower case); MySQL 8 reports a
//!   string default without quotes, MariaDB as an SQL literal; `0.00` of a decimal is
//!   `0`, and `0`/`1` of a `BOOLEAN` are `false`/`true`;
//! - a constraint named with its [`Constraint::sql_name`] is unnamed (the renderer
//!   names every unnamed constraint so), as is the primary key (MySQL calls every one
//!   `PRIMARY`);
//! - `RESTRICT` and `NO ACTION` are kept apart as the catalog reports them (InnoDB
//!   treats them alike; MariaDB reports a key declared without an action as
//!   `RESTRICT`, MySQL as `NO ACTION`);
//! - MariaDB's `JSON`, a `LONGTEXT` with a `json_valid` check, is `Json`;
//! - the indexes behind unique constraints and foreign keys are not indexes of their
//!   own; a unique index on plain columns is a unique constraint (MySQL keeps no
//!   difference), one with expressions or a descending part an index;
//! - a table's collation, engine and comment are its options where they are not the
//!   database's defaults (InnoDB, no comment), a column's collation only where it is
//!   not its table's (see `charset`);
//! - a generated column's expression is `GENERATION_EXPRESSION`, `STORED` when
//!   `EXTRA` says so (`STORED GENERATED`, MariaDB's older `PERSISTENT`);
//! - a partitioned table's partitioning is read from `SHOW CREATE TABLE` by the reader
//!   of `schema.sql` (`wildebeest_sql::mysql_partitioning`);
//! - a plain key hidden from the optimizer keeps the server's word (`IGNORED`,
//!   `INVISIBLE`) in `Index::hidden`;
//! - what the model cannot hold (subpartitions, a hidden unique, `FULLTEXT` or
//!   `SPATIAL` key) is listed in `Table::unmodeled`.

use std::cell::RefCell;
use std::collections::BTreeMap;

use mysql::Conn;
use wildebeest_runner::{BackendError, UnmodeledObject};
use wildebeest_schema::{
    Check, CheckOption, Column, ColumnType, Constraint, FkAction, ForeignKey, Generated, Index,
    PrimaryKey, Schema, Table, Unique,
};
use wildebeest_sql::{Dialect, normalize_expr, quote_ident};

use crate::charset::Charsets;
use crate::conn::{Row, Server, error_code, message, query_rows};
use crate::lock::{HISTORY_TABLE, PROGRESS_TABLE, REVISIONS_TABLE};
use crate::types::inspect_type;

/// `ER_UNKNOWN_TABLE`: an `information_schema` view this server does not have.
const ER_UNKNOWN_TABLE: u16 = 1109;

fn field(row: &Row, i: usize) -> Option<&str> {
    row.get(i).and_then(|v| v.as_deref())
}

fn text(row: &Row, i: usize) -> String {
    field(row, i).unwrap_or_default().to_string()
}

/// The `PARTITION BY ...` clause of what `SHOW CREATE TABLE` prints, from its
/// `PARTITION` (MariaDB: on a line of its own after the table options) or from the
/// versioned comment around it (MySQL: `/*!50100 PARTITION BY ... */`), to the end.
pub(crate) fn partition_clause(create: &str) -> Option<&str> {
    let mut from = 0;
    while let Some(at) = create[from..].find("PARTITION BY").map(|i| i + from) {
        let before = create[..at].trim_end_matches(' ');
        if before.ends_with('\n') {
            return Some(&create[at..]);
        }
        let digits = before.trim_end_matches(|c: char| c.is_ascii_digit());
        if digits.len() < before.len() && digits.ends_with("/*!") {
            return Some(&create[digits.len() - 3..]);
        }
        from = at + 1;
    }
    None
}

/// Whether `name` is one of wildebeest's own tables.
fn is_version_table(name: &str) -> bool {
    [REVISIONS_TABLE, HISTORY_TABLE, PROGRESS_TABLE].contains(&name)
        || name.starts_with("wildebeest_")
}

/// What the model cannot hold in the connection's database: tables of other kinds
/// than `BASE TABLE` and `VIEW` (MariaDB's sequences and system-versioned tables),
/// MariaDB's packages, and foreign keys to a table of another database.
/// Sorted by kind and name.
pub(crate) fn unmodeled_objects(
    conn: &RefCell<Conn>,
) -> Result<Vec<UnmodeledObject>, BackendError> {
    let sql = "SELECT CASE TABLE_TYPE WHEN 'VIEW' THEN 'view' WHEN 'SEQUENCE' THEN 'sequence' \
               WHEN 'SYSTEM VERSIONED' THEN 'system-versioned table' ELSE LOWER(TABLE_TYPE) END, \
               TABLE_NAME FROM information_schema.TABLES \
               WHERE TABLE_SCHEMA = DATABASE() AND TABLE_TYPE NOT IN ('BASE TABLE', 'VIEW', 'TEMPORARY') \
               UNION ALL \
               SELECT LOWER(ROUTINE_TYPE), ROUTINE_NAME FROM information_schema.ROUTINES \
               WHERE ROUTINE_SCHEMA = DATABASE() AND ROUTINE_TYPE NOT IN ('FUNCTION', 'PROCEDURE') \
               UNION ALL \
               SELECT 'foreign key to another database', \
               CONCAT(TABLE_NAME, '.', CONSTRAINT_NAME, ' -> ', UNIQUE_CONSTRAINT_SCHEMA, '.', \
               REFERENCED_TABLE_NAME) \
               FROM information_schema.REFERENTIAL_CONSTRAINTS \
               WHERE CONSTRAINT_SCHEMA = DATABASE() AND UNIQUE_CONSTRAINT_SCHEMA <> DATABASE()";
    let rows = query_rows(conn, sql).map_err(|e| {
        BackendError::new(format!(
            "cannot read the database's schema: {}",
            message(&e)
        ))
    })?;
    let mut out: Vec<UnmodeledObject> = rows
        .iter()
        .map(|r| UnmodeledObject {
            kind: text(r, 0),
            name: text(r, 1),
        })
        .filter(|o| !is_version_table(&o.name))
        .collect();
    out.sort();
    Ok(out)
}

pub(crate) fn inspect(
    conn: &RefCell<Conn>,
    server: &Server,
) -> Result<(Schema, Charsets), BackendError> {
    let read = |what: &str, sql: &str| -> Result<Vec<Row>, BackendError> {
        query_rows(conn, sql).map_err(|e| {
            BackendError::new(format!(
                "cannot read the database's {what}: {}",
                message(&e)
            ))
        })
    };
    let defaults = read(
        "defaults",
        "SELECT DEFAULT_COLLATION_NAME FROM information_schema.SCHEMATA \
         WHERE SCHEMA_NAME = DATABASE()",
    )?;
    let db_collation = defaults.first().map(|r| text(r, 0)).unwrap_or_default();
    let mut charsets = Charsets {
        database_collation: db_collation.clone(),
        ..Charsets::default()
    };
    for r in read(
        "character sets",
        "SELECT CHARACTER_SET_NAME, DEFAULT_COLLATE_NAME FROM information_schema.CHARACTER_SETS",
    )? {
        charsets.default_collation.insert(text(&r, 0), text(&r, 1));
    }
    for r in read(
        "collations",
        "SELECT COLLATION_NAME FROM information_schema.COLLATIONS",
    )? {
        charsets.known_collations.insert(text(&r, 0));
    }

    let mut tables: BTreeMap<String, Table> = BTreeMap::new();
    // Tables whose partitioning `SHOW CREATE TABLE` says.
    let mut partitioned = Vec::new();
    // The collation each table's columns get unless they say otherwise.
    let mut collations: BTreeMap<String, String> = BTreeMap::new();
    for r in read(
        "tables",
        "SELECT TABLE_NAME, TABLE_COLLATION, ENGINE, CREATE_OPTIONS, TABLE_COMMENT FROM information_schema.TABLES \
         WHERE TABLE_SCHEMA = DATABASE() AND TABLE_TYPE = 'BASE TABLE' ORDER BY TABLE_NAME",
    )? {
        let name = text(&r, 0);
        if is_version_table(&name) {
            continue;
        }
        let mut table = Table::new(name.clone());
        let collation = text(&r, 1);
        table.options.collation =
            Some(collation.clone()).filter(|c| !c.is_empty() && *c != db_collation);
        table.options.engine =
            Some(text(&r, 2).to_ascii_lowercase()).filter(|e| !e.is_empty() && e != "innodb");
        table.options.comment = Some(text(&r, 4)).filter(|c| !c.is_empty());
        if create_options(&text(&r, 3), &mut table) {
            partitioned.push(name.clone());
        }
        collations.insert(name.clone(), collation);
        tables.insert(name, table);
    }

    for name in partitioned {
        let create = read(
            "partitioning",
            &format!("SHOW CREATE TABLE {}", quote_ident(&name, Dialect::Mysql)),
        )?;
        let sql = create.first().map(|r| text(r, 1)).unwrap_or_default();
        if let Some(t) = tables.get_mut(&name) {
            match partition_clause(&sql).map(wildebeest_sql::mysql_partitioning) {
                Some(Ok(p)) => t.options.mysql_partitioning = Some(p),
                // Kept as a part the model cannot hold, named.
                Some(Err(e)) => t.unmodeled.push(format!("PARTITION BY ...: {e}")),
                None => t.unmodeled.push("PARTITION BY ...".to_string()),
            }
        }
    }

    for r in read(
        "columns",
        "SELECT TABLE_NAME, COLUMN_NAME, COLUMN_DEFAULT, IS_NULLABLE, DATA_TYPE, COLUMN_TYPE, \
         COLLATION_NAME, EXTRA, GENERATION_EXPRESSION, COLUMN_COMMENT \
         FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() \
         ORDER BY TABLE_NAME, ORDINAL_POSITION",
    )? {
        let Some(table) = tables.get_mut(&text(&r, 0)) else {
            continue;
        };
        let name = text(&r, 1);
        // `ZEROFILL` is no part of the model's type: an unmodeled part of the column,
        // as schema.sql's parser keeps it.
        let column_type = text(&r, 5);
        let (column_type, zerofill) = match column_type.trim_end().strip_suffix(" zerofill") {
            Some(rest) => (rest.to_string(), true),
            None => (column_type, false),
        };
        let ty = inspect_type(&column_type, &text(&r, 4));
        let extra = text(&r, 7);
        let lower_extra = extra.to_ascii_lowercase();
        let generation = text(&r, 8);
        let mut column = Column::new(name.clone(), ty);
        column.nullable = text(&r, 3).eq_ignore_ascii_case("YES");
        column.auto_increment = lower_extra.contains("auto_increment");
        column.collation = field(&r, 6)
            .filter(|c| Some(*c) != collations.get(&table.name).map(String::as_str))
            .map(str::to_string);
        let generated = !generation.trim().is_empty()
            || ["generated", "virtual", "persistent", "stored"]
                .iter()
                .any(|w| lower_extra.contains(w));
        if generated {
            // MySQL says `VIRTUAL GENERATED` / `STORED GENERATED`, MariaDB
            // `VIRTUAL GENERATED` / `STORED GENERATED` too (`PERSISTENT` before 10.2).
            let stored = lower_extra.contains("stored") || lower_extra.contains("persistent");
            column.generated = Some(Generated {
                expr: canonical_expr(&generation),
                stored,
            });
        } else {
            column.default = default_of(field(&r, 2), &extra, &column.ty, server.mariadb);
        }
        if let Some(at) = lower_extra.find("on update ") {
            column.on_update = Some(canonical_expr(on_update_of(
                &extra[at + "on update ".len()..],
            )));
        }
        column.comment = Some(text(&r, 9)).filter(|c| !c.is_empty());
        if zerofill {
            table.unmodeled.push(format!("column {name}: ZEROFILL"));
        }
        // An invisible column (MariaDB 10.3+, MySQL 8.0.23+), which `SELECT *` leaves
        // out: both say `INVISIBLE` in `EXTRA`.
        column.invisible = lower_extra.contains("invisible");
        table.columns.push(column);
    }

    // Foreign keys: their columns, then their rules.
    let mut fks: BTreeMap<(String, String), ForeignKey> = BTreeMap::new();
    for r in read(
        "foreign key columns",
        "SELECT TABLE_NAME, CONSTRAINT_NAME, COLUMN_NAME, REFERENCED_TABLE_NAME, REFERENCED_COLUMN_NAME \
         FROM information_schema.KEY_COLUMN_USAGE WHERE TABLE_SCHEMA = DATABASE() \
         AND REFERENCED_TABLE_NAME IS NOT NULL ORDER BY TABLE_NAME, CONSTRAINT_NAME, ORDINAL_POSITION",
    )? {
        let key = (text(&r, 0), text(&r, 1));
        let fk = fks.entry(key.clone()).or_insert_with(|| ForeignKey {
            name: Some(key.1.clone()),
            columns: Vec::new(),
            ref_table: text(&r, 3),
            ref_columns: Vec::new(),
            on_delete: FkAction::NoAction,
            on_update: FkAction::NoAction,
            deferral: Default::default(),
        });
        fk.columns.push(text(&r, 2));
        fk.ref_columns.push(text(&r, 4));
    }
    for r in read(
        "foreign key rules",
        "SELECT TABLE_NAME, CONSTRAINT_NAME, UPDATE_RULE, DELETE_RULE \
         FROM information_schema.REFERENTIAL_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = DATABASE()",
    )? {
        if let Some(fk) = fks.get_mut(&(text(&r, 0), text(&r, 1))) {
            fk.on_update = fk_action(&text(&r, 2));
            fk.on_delete = fk_action(&text(&r, 3));
        }
    }
    for ((table, _), fk) in fks {
        if let Some(t) = tables.get_mut(&table) {
            t.foreign_keys.push(fk);
        }
    }

    // Checks. MariaDB names them per table and reports the table; MySQL names them
    // per database, and its view has no table column.
    let checks_sql = if server.mariadb {
        "SELECT TABLE_NAME, CONSTRAINT_NAME, CHECK_CLAUSE FROM information_schema.CHECK_CONSTRAINTS \
         WHERE CONSTRAINT_SCHEMA = DATABASE() ORDER BY TABLE_NAME, CONSTRAINT_NAME"
    } else {
        "SELECT tc.TABLE_NAME, cc.CONSTRAINT_NAME, cc.CHECK_CLAUSE \
         FROM information_schema.CHECK_CONSTRAINTS AS cc JOIN information_schema.TABLE_CONSTRAINTS AS tc \
         ON tc.CONSTRAINT_SCHEMA = cc.CONSTRAINT_SCHEMA AND tc.CONSTRAINT_NAME = cc.CONSTRAINT_NAME \
         AND tc.CONSTRAINT_TYPE = 'CHECK' WHERE cc.CONSTRAINT_SCHEMA = DATABASE() \
         ORDER BY tc.TABLE_NAME, cc.CONSTRAINT_NAME"
    };
    let checks = match query_rows(conn, checks_sql) {
        Ok(rows) => rows,
        // MySQL before 8.0.16 has no checks, nor the view.
        Err(e) if error_code(&e) == Some(ER_UNKNOWN_TABLE) => Vec::new(),
        Err(e) => {
            return Err(BackendError::new(format!(
                "cannot read the database's checks: {}",
                message(&e)
            )));
        }
    };
    for r in checks {
        if let Some(t) = tables.get_mut(&text(&r, 0)) {
            t.checks.push(Check {
                no_inherit: false,
                written: Default::default(),
                name: Some(text(&r, 1)),
                expr: canonical_expr(&text(&r, 2)),
            });
        }
    }

    let index_sql = format!(
        "SELECT TABLE_NAME, INDEX_NAME, NON_UNIQUE, COLUMN_NAME, SUB_PART, COLLATION, INDEX_TYPE, {}, \
         INDEX_COMMENT, {} \
         FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() \
         ORDER BY TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX",
        if server.index_expressions {
            "EXPRESSION"
        } else {
            "NULL"
        },
        // The word that hides the index from the optimizer, in the server's
        // spelling, or nothing.
        match server.index_visibility {
            Some("IGNORED") => "CASE IGNORED WHEN 'YES' THEN 'IGNORED' ELSE '' END",
            Some(_) => "CASE IS_VISIBLE WHEN 'NO' THEN 'INVISIBLE' ELSE '' END",
            None => "''",
        }
    );
    let mut indexes: BTreeMap<(String, String), IndexRows> = BTreeMap::new();
    for r in read("indexes", &index_sql)? {
        let key = (text(&r, 0), text(&r, 1));
        let ix = indexes.entry(key).or_insert_with(|| IndexRows {
            unique: text(&r, 2) == "0",
            kind: text(&r, 6),
            comment: Some(text(&r, 8)).filter(|c| !c.is_empty()),
            hidden: Some(text(&r, 9)).filter(|w| !w.is_empty()),
            parts: Vec::new(),
        });
        let (column, expression) = (field(&r, 3), field(&r, 7));
        ix.parts.push(IndexPart {
            column: column.map(str::to_string),
            expression: expression.map(canonical_expr),
            prefix: field(&r, 4).map(str::to_string),
            descending: field(&r, 5) == Some("D"),
        });
    }
    for ((table, name), rows) in indexes {
        if let Some(t) = tables.get_mut(&table) {
            add_index(t, name, rows);
        }
    }

    for t in tables.values_mut() {
        finish(t, server);
    }
    // MySQL stores a view's query rewritten, every name qualified with the database's:
    // the qualifier goes, as the model names tables without it.
    let mut views = BTreeMap::new();
    for r in read(
        "views",
        "SELECT TABLE_NAME, VIEW_DEFINITION, CHECK_OPTION, DATABASE() FROM information_schema.VIEWS \
         WHERE TABLE_SCHEMA = DATABASE() ORDER BY TABLE_NAME",
    )? {
        let name = text(&r, 0);
        let qualifier = format!("`{}`.", text(&r, 3).replace('`', "``"));
        let query = text(&r, 1).replace(&qualifier, "");
        let check = match text(&r, 2).as_str() {
            "CASCADED" => Some(CheckOption::Cascaded),
            "LOCAL" => Some(CheckOption::Local),
            _ => None,
        };
        let view = wildebeest_sql::view_from_catalog(
            &name,
            Vec::new(),
            &query,
            check,
            wildebeest_sql::Dialect::Mysql,
        );
        views.insert(name, view);
    }
    // A trigger's body is kept as written: the statement is put back together from
    // its parts and read as `schema.sql`'s is.
    let mut triggers = BTreeMap::new();
    for r in read(
        "triggers",
        "SELECT TRIGGER_NAME, EVENT_OBJECT_TABLE, ACTION_TIMING, EVENT_MANIPULATION, \
         ACTION_ORIENTATION, ACTION_STATEMENT FROM information_schema.TRIGGERS \
         WHERE TRIGGER_SCHEMA = DATABASE() ORDER BY TRIGGER_NAME",
    )? {
        let (name, table) = (text(&r, 0), text(&r, 1));
        if is_version_table(&table) {
            continue;
        }
        let sql = format!(
            "CREATE TRIGGER {} {} {} ON {} FOR EACH {} {}",
            quote_ident(&name, Dialect::Mysql),
            text(&r, 2),
            text(&r, 3),
            quote_ident(&table, Dialect::Mysql),
            text(&r, 4),
            text(&r, 5)
        );
        let trigger = wildebeest_sql::trigger_from_catalog(&sql, Dialect::Mysql)
            .map_err(BackendError::new)?;
        triggers.insert(name, trigger);
    }
    // A stored routine as `SHOW CREATE FUNCTION | PROCEDURE` prints it (its
    // parameters and body as written), read as `schema.sql`'s is, the definer dropped.
    let mut routines = BTreeMap::new();
    for r in read(
        "routines",
        "SELECT ROUTINE_NAME, ROUTINE_TYPE FROM information_schema.ROUTINES \
         WHERE ROUTINE_SCHEMA = DATABASE() AND ROUTINE_TYPE IN ('FUNCTION', 'PROCEDURE') \
         ORDER BY ROUTINE_NAME, ROUTINE_TYPE",
    )? {
        let (name, kind) = (text(&r, 0), text(&r, 1));
        let shown = read(
            "routines",
            &format!("SHOW CREATE {kind} {}", quote_ident(&name, Dialect::Mysql)),
        )?;
        let Some(definition) = shown.first().and_then(|row| field(row, 2)) else {
            return Err(BackendError::new(format!(
                "cannot read the definition of {} `{name}`: the server shows it only to \
                 its definer or a user with the privileges to see it",
                kind.to_ascii_lowercase()
            )));
        };
        let routine = wildebeest_sql::mysql_routine_from_catalog(definition).ok_or_else(|| {
            BackendError::new(format!(
                "cannot read {} `{name}` as the server prints it",
                kind.to_ascii_lowercase()
            ))
        })?;
        routines.insert(routine.key(), routine);
    }
    // An event as `SHOW CREATE EVENT` prints it (its `STARTS` filled in with the
    // creation time where none was written), read as `schema.sql`'s is.
    for r in read(
        "events",
        "SELECT EVENT_NAME FROM information_schema.EVENTS \
         WHERE EVENT_SCHEMA = DATABASE() ORDER BY EVENT_NAME",
    )? {
        let name = text(&r, 0);
        let shown = read(
            "events",
            &format!("SHOW CREATE EVENT {}", quote_ident(&name, Dialect::Mysql)),
        )?;
        let Some(definition) = shown.first().and_then(|row| field(row, 3)) else {
            return Err(BackendError::new(format!(
                "cannot read the definition of event `{name}`: the server shows it only \
                 to a user with the privileges to see it"
            )));
        };
        let event = wildebeest_sql::mysql_routine_from_catalog(definition).ok_or_else(|| {
            BackendError::new(format!(
                "cannot read event `{name}` as the server prints it"
            ))
        })?;
        routines.insert(event.key(), event);
    }
    let mut schema = Schema {
        tables: tables.into(),
        views,
        triggers,
        routines,
        ..Schema::default()
    };
    schema.normalize();
    Ok((schema, charsets))
}

/// The expression of `EXTRA`'s `on update ...`, without what the server writes after
/// it: MariaDB's `, INVISIBLE` (`on update current_timestamp(), INVISIBLE`), MySQL's
/// ` INVISIBLE`.
fn on_update_of(rest: &str) -> &str {
    let rest = rest.split(',').next().unwrap_or(rest).trim();
    match rest.rsplit_once(' ') {
        Some((expr, last)) if last.eq_ignore_ascii_case("invisible") => expr.trim(),
        _ => rest,
    }
}

fn fk_action(rule: &str) -> FkAction {
    match rule.to_ascii_uppercase().as_str() {
        "CASCADE" => FkAction::Cascade,
        "SET NULL" => FkAction::SetNull,
        "SET DEFAULT" => FkAction::SetDefault,
        // InnoDB does the same for both, but the catalog tells them apart, and
        // MariaDB reports RESTRICT for a key declared without an action.
        "RESTRICT" => FkAction::Restrict,
        _ => FkAction::NoAction,
    }
}

/// The rows of one index, in order.
struct IndexRows {
    unique: bool,
    /// `BTREE`, `HASH`, `FULLTEXT`, `SPATIAL`.
    kind: String,
    /// `INDEX_COMMENT`, `None` when empty.
    comment: Option<String>,
    /// Hidden from the optimizer: MySQL's `INVISIBLE`, MariaDB's `IGNORED`.
    hidden: Option<String>,
    parts: Vec<IndexPart>,
}

struct IndexPart {
    column: Option<String>,
    /// A functional part (MySQL 8.0.13+), canonical.
    expression: Option<String>,
    /// The length of a prefix part (`b(10)`).
    prefix: Option<String>,
    descending: bool,
}

/// Files one index under the primary key, the unique constraints, the indexes, or
/// `unmodeled`. The indexes behind foreign keys are dropped in [`finish`].
fn add_index(t: &mut Table, name: String, mut rows: IndexRows) {
    let kind = rows.kind.to_ascii_uppercase();
    // MariaDB reports a prefix of 32 on each part of a spatial index, which no
    // statement wrote and none can (a prefix on a spatial key is an error).
    if kind == "SPATIAL" {
        for part in &mut rows.parts {
            part.prefix = None;
        }
    }
    let plain = rows
        .parts
        .iter()
        .all(|p| p.column.is_some() && p.prefix.is_none() && !p.descending);
    // A key's comment is held on indexes only: on the primary key or a unique
    // constraint it is a part the model cannot hold.
    let keyed = name == "PRIMARY" || (rows.unique && plain);
    if let (true, Some(c)) = (keyed, &rows.comment) {
        let what = if name == "PRIMARY" {
            "PRIMARY KEY".to_string()
        } else {
            format!("UNIQUE KEY {name}")
        };
        t.unmodeled.push(format!(
            "{what} COMMENT {}",
            wildebeest_sql::quote_literal(c)
        ));
    }
    if name == "PRIMARY" {
        t.primary_key = Some(PrimaryKey {
            deferral: Default::default(),
            name: None,
            columns: rows.parts.iter().filter_map(|p| p.column.clone()).collect(),
        });
        return;
    }
    let parts: Vec<String> = rows
        .parts
        .iter()
        .map(|p| {
            let base = match (&p.column, &p.expression) {
                (Some(c), _) => c.clone(),
                (None, Some(e)) => e.clone(),
                (None, None) => String::new(),
            };
            let base = match (&p.column, p.prefix.as_deref().map(str::parse::<u32>)) {
                (Some(c), Some(Ok(n))) => wildebeest_schema::prefix_part(c, n),
                (_, Some(_)) => format!(
                    "{}({})",
                    quote_ident(&base, Dialect::Mysql),
                    p.prefix.as_deref().unwrap_or_default()
                ),
                (_, None) => base,
            };
            if p.descending {
                format!("{base} DESC")
            } else {
                base
            }
        })
        .collect();
    let unmodeled = !matches!(
        kind.as_str(),
        "BTREE" | "HASH" | "FULLTEXT" | "SPATIAL" | ""
    ) || rows.parts.iter().any(|p| {
        p.prefix
            .as_deref()
            .is_some_and(|n| n.parse::<u32>().is_err())
    }) || (rows.hidden.is_some()
        && (rows.unique || kind == "FULLTEXT" || kind == "SPATIAL"));
    if unmodeled {
        let words = match kind.as_str() {
            "FULLTEXT" | "SPATIAL" => format!("{kind} INDEX"),
            _ if rows.unique => "UNIQUE INDEX".to_string(),
            _ => "INDEX".to_string(),
        };
        let hidden = rows.hidden.map_or(String::new(), |w| format!(" {w}"));
        t.unmodeled
            .push(format!("{words} {name} ({}){hidden}", parts.join(", ")));
        return;
    }
    if rows.unique && plain {
        t.uniques.push(Unique {
            deferral: Default::default(),
            name: Some(name),
            columns: parts,
        });
        return;
    }
    let method = matches!(kind.as_str(), "FULLTEXT" | "SPATIAL").then_some(kind);
    t.indexes.push(Index {
        hidden: rows.hidden,
        name,
        table: t.name.clone(),
        columns: parts,
        unique: rows.unique,
        predicate: None,
        method,
        nulls_not_distinct: false,
        include: Vec::new(),
        storage: Vec::new(),
        comment: rows.comment,
        predicate_written: Default::default(),
    });
}

/// A table's `CREATE_OPTIONS` (`row_format=COMPRESSED stats_persistent=1
/// partitioned`) into its options: those the model holds into `TableOptions::mysql`,
/// partitioning and any other (`max_rows=100`, MariaDB's `page_checksum=1`) into
/// `Table::unmodeled`, so that `check` names them instead of passing over them.
fn create_options(options: &str, table: &mut Table) -> bool {
    let mut partitioned = false;
    for word in options.split_whitespace() {
        let (name, value) = word.split_once('=').unwrap_or((word, ""));
        if name.eq_ignore_ascii_case("partitioned") {
            partitioned = true;
        } else if wildebeest_sql::OTHER_TABLE_OPTIONS.contains(&name.to_ascii_uppercase().as_str())
        {
            if let Some(held) = wildebeest_sql::mysql_other_option(name, value) {
                table.options.mysql.push(held);
            }
        } else {
            table
                .unmodeled
                .push(format!("table option {}", word.to_ascii_uppercase()));
        }
    }
    table.options.mysql.sort();
    partitioned
}

/// What needs the whole table: the indexes behind foreign keys go, MariaDB's JSON
/// columns become `Json`, and constraint names that are the `sql_name` go.
fn finish(t: &mut Table, server: &Server) {
    wildebeest_sql::drop_fk_indexes(t);
    if server.mariadb {
        wildebeest_sql::mariadb_json(t);
    }
    unname(t);
}

/// Forgets each constraint name that is its `sql_name`, as inspection reads every
/// table; `scratch` gives the model's foreign keys the same reading.
pub(crate) fn unname(t: &mut Table) {
    let unnamed = |c: Constraint, t: &Table| -> Option<String> {
        let own = c.name().map(str::to_string);
        let default = match c {
            Constraint::Unique(u) => Constraint::Unique(Unique { name: None, ..u }),
            Constraint::ForeignKey(f) => Constraint::ForeignKey(ForeignKey { name: None, ..f }),
            Constraint::Check(ch) => Constraint::Check(Check { name: None, ..ch }),
            pk => pk,
        }
        .sql_name(t);
        own.filter(|n| *n != default)
    };
    let snapshot = t.clone();
    for u in &mut t.uniques {
        u.name = unnamed(Constraint::Unique(u.clone()), &snapshot);
    }
    for fk in &mut t.foreign_keys {
        fk.name = unnamed(Constraint::ForeignKey(fk.clone()), &snapshot);
    }
    for ch in &mut t.checks {
        ch.name = unnamed(Constraint::Check(ch.clone()), &snapshot);
    }
}

/// A column's default in the model's form; `None` for none.
fn default_of(raw: Option<&str>, extra: &str, ty: &ColumnType, mariadb: bool) -> Option<String> {
    let raw = raw?;
    let numeric = matches!(
        ty,
        ColumnType::SmallInt
            | ColumnType::Integer
            | ColumnType::BigInt
            | ColumnType::Real
            | ColumnType::Double
            | ColumnType::Decimal { .. }
            | ColumnType::Boolean
    );
    // MariaDB (10.2.7+) reports an SQL expression; MySQL the value of a literal, and
    // the text of an expression (flagged `DEFAULT_GENERATED`).
    let expression = mariadb
        || numeric
        || extra.to_ascii_uppercase().contains("DEFAULT_GENERATED")
        || raw.eq_ignore_ascii_case("CURRENT_TIMESTAMP");
    let generated = extra.to_ascii_uppercase().contains("DEFAULT_GENERATED");
    let sql = if generated && !mariadb {
        // MySQL escapes the quotes of strings inside the expression.
        raw.replace("\\'", "'")
    } else if expression {
        raw.to_string()
    } else {
        // The model's text, as a schema file's default is read.
        wildebeest_sql::quote_literal(raw)
    };
    if mariadb && sql.eq_ignore_ascii_case("NULL") {
        return None;
    }
    let mut expr = canonical_expr(&sql);
    if matches!(ty, ColumnType::Decimal { .. }) {
        expr = strip_zeros(&expr);
    }
    if *ty == ColumnType::Boolean
        && let Some(word) = crate::types::boolean_default(&expr)
    {
        expr = word;
    }
    Some(expr)
}

/// `1.50` as `1.5`, `0.00` as `0`; anything but a plain decimal number as it is.
fn strip_zeros(number: &str) -> String {
    let digits = number.strip_prefix('-').unwrap_or(number);
    let plain = digits.split_once('.').is_some_and(|(a, b)| {
        !a.is_empty()
            && a.bytes().all(|c| c.is_ascii_digit())
            && b.bytes().all(|c| c.is_ascii_digit())
    });
    if !plain {
        return number.to_string();
    }
    let trimmed = number.trim_end_matches('0').trim_end_matches('.');
    if trimmed == "-0" {
        "0".to_string()
    } else {
        trimmed.to_string()
    }
}

/// An expression as the server reports it, in the model's canonical form (see the
/// module docs): `normalize_expr` writes it as a schema file's is written
/// (`CURRENT_TIMESTAMP` for `current_timestamp()` too).
pub(crate) fn canonical_expr(text: &str) -> String {
    let cleaned = clean_expr(text);
    normalize_expr(&cleaned, Dialect::Mysql).unwrap_or(cleaned)
}

/// Backticks off names that need none, charset introducers off strings. Strings are
/// copied as they are. (`normalize_expr` writes MariaDB's function names, `lcase` for
/// `lower`, as a schema file's.)
fn clean_expr(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let is_ident = |c: char| c.is_alphanumeric() || c == '_' || c == '$';
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            '\'' | '"' => {
                out.push(c);
                i += 1;
                while i < chars.len() {
                    let d = chars[i];
                    out.push(d);
                    i += 1;
                    if d == '\\' && i < chars.len() {
                        out.push(chars[i]);
                        i += 1;
                    } else if d == c {
                        if chars.get(i) == Some(&c) {
                            out.push(c);
                            i += 1;
                        } else {
                            break;
                        }
                    }
                }
            }
            '`' => {
                let mut name = String::new();
                i += 1;
                while i < chars.len() {
                    if chars[i] == '`' {
                        if chars.get(i + 1) == Some(&'`') {
                            name.push('`');
                            i += 2;
                            continue;
                        }
                        i += 1;
                        break;
                    }
                    name.push(chars[i]);
                    i += 1;
                }
                out.push_str(&quote_ident(&name, Dialect::Mysql));
            }
            c if is_ident(c) && !out.chars().next_back().is_some_and(is_ident) => {
                let start = i;
                while i < chars.len() && is_ident(chars[i]) {
                    i += 1;
                }
                let word: String = chars[start..i].iter().collect();
                // `_utf8mb4'x'`: a charset introducer.
                if word.starts_with('_') && chars.get(i) == Some(&'\'') {
                    continue;
                }
                out.push_str(&word);
            }
            c => {
                out.push(c);
                i += 1;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `CREATE_OPTIONS` as MariaDB and MySQL 8 spell it: the options the model holds
    /// in its upper-case form, partitioning and any other option named as unmodeled.
    #[test]
    fn create_options_are_held_or_named() {
        let mut t = Table::new("t");
        assert!(create_options(
            "pack_keys=0 stats_persistent=1 checksum=1 row_format=COMPRESSED \
             KEY_BLOCK_SIZE=8 max_rows=10 partitioned",
            &mut t,
        ));
        assert_eq!(
            t.options.mysql,
            [
                "CHECKSUM=1",
                "KEY_BLOCK_SIZE=8",
                "PACK_KEYS=0",
                "ROW_FORMAT=COMPRESSED",
                "STATS_PERSISTENT=1"
            ]
        );
        assert_eq!(t.unmodeled, ["table option MAX_ROWS=10"]);
    }

    #[test]
    fn server_spellings_become_the_model_s() {
        let cases = [
            ("`a` > 0", "a > 0"),
            ("(`a` > 0)", "a > 0"),
            (
                "octet_length(`name`) > 0 and `l` > 0",
                "length(name) > 0 AND l > 0",
            ),
            ("lcase('X')", "lower('X')"),
            ("ucase(`select`)", "upper(`select`)"),
            ("current_timestamp()", "CURRENT_TIMESTAMP"),
            ("current_timestamp(3)", "CURRENT_TIMESTAMP(3)"),
            ("(`a` <> _utf8mb4'x')", "a <> 'x'"),
            ("'it''s `not` lcase(x)'", "'it''s `not` lcase(x)'"),
            ("`two words` = 1", "`two words` = 1"),
            ("`b` in (1,2)", "b IN (1, 2)"),
        ];
        for (server, want) in cases {
            assert_eq!(canonical_expr(server), want, "{server}");
        }
    }

    /// Regression: `check` right after a clean upgrade found `CHAR_LENGTH(h) > 2`,
    /// `UUID()` and `CURRENT_DATE` drifted, as MariaDB reports them in lower case
    /// and `CURRENT_DATE` as `curdate()`.
    #[test]
    fn a_schema_file_s_function_names_meet_the_server_s() {
        let cases = [
            ("CHAR_LENGTH(h) > 2", "char_length(`h`) > 2"),
            ("char_length(h) > 2", "char_length(`h`) > 2"),
            ("(UUID())", "uuid()"),
            ("(CURRENT_DATE)", "curdate()"),
            ("CURRENT_DATE()", "curdate()"),
            ("CURRENT_TIME", "curtime()"),
            ("(CURTIME(2))", "curtime(2)"),
            ("NOW(3)", "current_timestamp(3)"),
            ("LOCALTIMESTAMP", "current_timestamp()"),
            ("CURRENT_TIMESTAMP(0)", "current_timestamp()"),
            ("CURRENT_USER", "current_user()"),
            ("UTC_DATE", "utc_date()"),
            ("UPPER(k) <> 'A'", "ucase(`k`) <> 'A'"),
            (
                "MID(k, 1, 1) <> SUBSTRING(k, 1, 1)",
                "substr(`k`,1,1) <> substr(`k`,1,1)",
            ),
            (
                "(CONCAT('a', SUBSTRING('abc', 1, 2)))",
                "concat('a',substr('abc',1,2))",
            ),
        ];
        for (file, server) in cases {
            let file = normalize_expr(file, Dialect::Mysql).unwrap();
            assert_eq!(canonical_expr(server), file, "{server}");
        }
    }

    #[test]
    fn defaults_from_mariadb_and_mysql() {
        let dec = ColumnType::Decimal {
            precision: Some(10),
            scale: Some(2),
        };
        let text = ColumnType::Varchar(Some(10));
        // (COLUMN_DEFAULT, EXTRA, type, MariaDB, the model's default)
        type Case<'a> = (
            Option<&'a str>,
            &'a str,
            &'a ColumnType,
            bool,
            Option<&'a str>,
        );
        let cases: Vec<Case> = vec![
            (None, "", &text, true, None),
            (Some("NULL"), "", &text, true, None),
            (Some("'it''s'"), "", &text, true, Some("'it''s'")),
            (Some("it's"), "", &text, false, Some("'it''s'")),
            (Some("0.00"), "", &dec, true, Some("0")),
            (Some("1.50"), "", &dec, false, Some("1.5")),
            (Some("0"), "", &ColumnType::Boolean, true, Some("false")),
            (Some("1"), "", &ColumnType::Boolean, false, Some("true")),
            (
                Some("current_timestamp()"),
                "",
                &ColumnType::Timestamp,
                true,
                Some("CURRENT_TIMESTAMP"),
            ),
            (
                Some("CURRENT_TIMESTAMP"),
                "DEFAULT_GENERATED",
                &ColumnType::Timestamp,
                false,
                Some("CURRENT_TIMESTAMP"),
            ),
            (
                Some("lower(_utf8mb4\\'X\\')"),
                "DEFAULT_GENERATED",
                &text,
                false,
                Some("lower('X')"),
            ),
            (
                Some("(1 + 1)"),
                "",
                &ColumnType::Integer,
                true,
                Some("1 + 1"),
            ),
            (Some("-1"), "", &ColumnType::Integer, false, Some("-1")),
        ];
        for (raw, extra, ty, mariadb, want) in cases {
            assert_eq!(
                default_of(raw, extra, ty, mariadb).as_deref(),
                want,
                "{raw:?} {mariadb}"
            );
        }
    }

    #[test]
    fn zeros_go_only_from_decimals() {
        for (n, want) in [
            ("0.00", "0"),
            ("-0.0", "0"),
            ("10.50", "10.5"),
            ("100", "100"),
            ("1e10", "1e10"),
            ("'1.0'", "'1.0'"),
        ] {
            assert_eq!(strip_zeros(n), want, "{n}");
        }
    }
}
