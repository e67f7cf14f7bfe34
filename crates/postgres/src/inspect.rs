//! One PostgreSQL schema, read back into the model from the system catalogs.
//!
//! Five queries read the whole schema at once (enum types, tables, columns,
//! constraints, indexes), however many tables it has. What the catalog reports is turned into what a
//! `schema.sql` would say for the same thing, so that a database made from a model
//! compares equal to it:
//!
//! - enum types from `pg_type` and `pg_enum`, their labels in `enumsortorder`; a
//!   column of one (`format_type` says `mood`, as the schema is the connection's
//!   `search_path`) is `ColumnType::Enum`, and a default `'ok'::mood` is `'ok'`;
//! - types through `format_type` (see `types::from_format_type`); a column that takes
//!   its values from a sequence it owns (`nextval('t_id_seq'::regclass)`) is `SERIAL`
//!   (`BIGSERIAL`, `SMALLSERIAL`) without a default, an identity column is
//!   `auto_increment` without one (`generated_always` for `GENERATED ALWAYS`);
//! - defaults, checks, generated columns' expressions (`attgenerated`, the expression
//!   in `pg_attrdef`), index expressions and predicates without the casts PostgreSQL
//!   adds (`deparse`), then normalized like `schema.sql`'s;
//! - a constraint whose name is the one PostgreSQL gives an unnamed constraint
//!   (`t_pkey`, `t_email_key`) has no name, as in `schema.sql` where it was written
//!   without one;
//! - indexes that back a constraint are the constraint, not an index; a column part
//!   with a collation of its own is `title COLLATE "C"` (`pg_get_indexdef` prints a
//!   part without it, so it comes from `indcollation`).
//!
//! What the model cannot hold (an exclusion constraint, a deferrable constraint) is
//! listed in `Table::unmodeled`. A partitioned table's key and a partition's parent
//! and bound are table options; the copies PostgreSQL makes of a parent's
//! constraints and indexes on its partitions are left out (they are the parent's). The version tables (`wildebeest_*`) and tables that
//! belong to an extension are left out.

use std::collections::BTreeMap;

use postgres::{Client, GenericClient, Transaction};
use wildebeest_runner::{BackendError, UnmodeledObject};
use wildebeest_schema::{
    Attribute, Check, CheckOption, Column, ColumnType, CommentOn, Composite, Constraint, Deferral,
    Domain, Exclusion, Extension, FkAction, ForeignKey, Generated, Index, PartitionOf, Policy,
    PrimaryKey, Range, Routine, RoutineKind, RowSecurity, Schema, Sequence, Table, Unique,
    UserType, serial_sequence_name,
};
use wildebeest_sql::{Dialect, normalize_stored_expr};

use crate::lock::db_message;
use crate::render::{generated_name, quote_ident};
use crate::types;

pub(crate) mod deparse;

const ENUMS: &str = "
SELECT t.typname::text, e.enumlabel::text
FROM pg_type t
JOIN pg_namespace n ON n.oid = t.typnamespace
LEFT JOIN pg_enum e ON e.enumtypid = t.oid
WHERE n.nspname = $1 AND t.typtype = 'e'
  AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_type'::regclass
                  AND d.objid = t.oid AND d.deptype = 'e')
ORDER BY t.typname, e.enumsortorder";

/// Views and materialized views, with their query as
/// PostgreSQL prints it and the check option among the reloptions.
/// The extensions installed in schema `$1`. An extension is the database's, but its
/// objects are in one schema: those of other schemas are the other schemas' (see
/// [`extensions_elsewhere`]).
const EXTENSIONS: &str = "
SELECT e.extname::text
FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
WHERE n.nspname = $1
ORDER BY 1";

/// The extensions of `model` that live in a schema other than `app` and that the
/// database has there, as `(name, schema)`.
pub(crate) fn extensions_elsewhere(
    client: &mut Client,
    app: &str,
    model: &Schema,
) -> Result<std::collections::BTreeSet<(String, String)>, BackendError> {
    let wanted: Vec<(&str, &str)> = model
        .extensions
        .values()
        .filter_map(|e| e.schema.as_deref().map(|s| (e.name.as_str(), s)))
        .filter(|(_, s)| *s != app)
        .collect();
    let mut out = std::collections::BTreeSet::new();
    if wanted.is_empty() {
        return Ok(out);
    }
    let rows = client
        .query(
            "SELECT e.extname::text, n.nspname::text FROM pg_extension e \
             JOIN pg_namespace n ON n.oid = e.extnamespace",
            &[],
        )
        .map_err(|e| {
            BackendError::new(format!("cannot read the extensions: {}", db_message(&e)))
        })?;
    for row in rows {
        let (name, home): (String, String) = (row.get(0), row.get(1));
        if wanted.contains(&(name.as_str(), home.as_str())) {
            out.insert((name, home));
        }
    }
    Ok(out)
}

const VIEWS: &str = "
SELECT c.relname::text, pg_get_viewdef(c.oid),
       (SELECT substring(o FROM 14) FROM unnest(c.reloptions) o WHERE o LIKE 'check\\_option=%'),
       c.relkind = 'm'
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = $1 AND c.relkind IN ('v', 'm')
  AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass
                  AND d.objid = c.oid AND d.deptype = 'e')
ORDER BY c.relname";

/// Functions and procedures (not aggregates, read by [`aggregates_query`], nor
/// window functions, which the model does not hold: `UNMODELED` names them), with their definition as PostgreSQL
/// prints it (`CREATE OR REPLACE FUNCTION schema.name(...) ...`). Those of an
/// extension are the extension's, and a range type's constructors the type's.
const ROUTINES: &str = "
SELECT p.proname::text, pg_get_functiondef(p.oid)
FROM pg_proc p
JOIN pg_namespace n ON n.oid = p.pronamespace
WHERE n.nspname = $1 AND p.prokind IN ('f', 'p')
  AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_proc'::regclass
                  AND d.objid = p.oid AND d.deptype = 'e')
  -- A range type's constructors are the type's.
  AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_proc'::regclass
                  AND d.objid = p.oid AND d.deptype = 'i'
                  AND d.refclassid = 'pg_type'::regclass)
ORDER BY p.proname, p.oid";

/// Aggregates (not those of an extension), with what `CREATE AGGREGATE` says of
/// them: PostgreSQL prints no aggregate's definition, so one is written from
/// `pg_aggregate` ([`wildebeest_sql::aggregate_catalog_text`]) and read as a schema
/// file's is. Support functions and the sort operator are named unqualified when
/// they are in the schema or `pg_catalog`.
fn aggregates_query() -> String {
    let function = |column: &str| {
        format!(
            "(SELECT CASE WHEN fn.nspname IN ('pg_catalog', $1) THEN quote_ident(f.proname)
                     ELSE quote_ident(fn.nspname) || '.' || quote_ident(f.proname) END
              FROM pg_proc f JOIN pg_namespace fn ON fn.oid = f.pronamespace
              WHERE f.oid = a.{column}::oid)"
        )
    };
    format!(
        "
SELECT p.proname::text, pg_get_function_arguments(p.oid), a.aggkind::text,
       {}, {}, {}, {}, {}, {}, {}, {},
       format_type(a.aggtranstype, NULL), a.aggtransspace, a.agginitval,
       a.aggfinalextra, a.aggfinalmodify::text,
       CASE WHEN a.aggmtranstype <> 0 THEN format_type(a.aggmtranstype, NULL) END,
       a.aggmtransspace, a.aggminitval, a.aggmfinalextra, a.aggmfinalmodify::text,
       (SELECT o.oprname::text FROM pg_operator o WHERE o.oid = a.aggsortop),
       p.proparallel::text
FROM pg_aggregate a
JOIN pg_proc p ON p.oid = a.aggfnoid
JOIN pg_namespace n ON n.oid = p.pronamespace
WHERE n.nspname = $1
  AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_proc'::regclass
                  AND d.objid = p.oid AND d.deptype = 'e')
ORDER BY p.proname, p.oid",
        function("aggtransfn"),
        function("aggfinalfn"),
        function("aggcombinefn"),
        function("aggserialfn"),
        function("aggdeserialfn"),
        function("aggmtransfn"),
        function("aggminvtransfn"),
        function("aggmfinalfn"),
    )
}

/// The `CREATE AGGREGATE` text of a row of [`aggregates_query`].
fn aggregate_text(row: &postgres::Row) -> String {
    let name: String = row.get(0);
    let args: String = row.get(1);
    let kind: String = row.get(2);
    let literal = |s: String| format!("'{}'", s.replace('\'', "''"));
    let modify = |code: String| {
        match code.as_str() {
            "s" => "SHAREABLE",
            "w" => "READ_WRITE",
            _ => "READ_ONLY",
        }
        .to_string()
    };
    let mut options: Vec<(&str, Option<String>)> = Vec::new();
    let functions = [
        "SFUNC",
        "FINALFUNC",
        "COMBINEFUNC",
        "SERIALFUNC",
        "DESERIALFUNC",
        "MSFUNC",
        "MINVFUNC",
        "MFINALFUNC",
    ];
    for (i, option) in functions.into_iter().enumerate() {
        if let Some(f) = row.get::<_, Option<String>>(3 + i) {
            options.push((option, Some(f)));
        }
    }
    options.push(("STYPE", Some(row.get(11))));
    // The defaults are left out, as pg_dump leaves them out: `inspect` writes this.
    let space = |i: usize| Some(row.get::<_, i32>(i)).filter(|n| *n != 0);
    let default_modify = if kind == "n" { "r" } else { "w" };
    if let Some(n) = space(12) {
        options.push(("SSPACE", Some(n.to_string())));
    }
    if let Some(v) = row.get::<_, Option<String>>(13) {
        options.push(("INITCOND", Some(literal(v))));
    }
    if row.get::<_, bool>(14) {
        options.push(("FINALFUNC_EXTRA", None));
    }
    let finalmodify: String = row.get(15);
    if finalmodify != default_modify {
        options.push(("FINALFUNC_MODIFY", Some(modify(finalmodify))));
    }
    if let Some(t) = row.get::<_, Option<String>>(16) {
        options.push(("MSTYPE", Some(t)));
    }
    if let Some(n) = space(17) {
        options.push(("MSSPACE", Some(n.to_string())));
    }
    if let Some(v) = row.get::<_, Option<String>>(18) {
        options.push(("MINITCOND", Some(literal(v))));
    }
    if row.get::<_, bool>(19) {
        options.push(("MFINALFUNC_EXTRA", None));
    }
    let mfinalmodify: String = row.get(20);
    if mfinalmodify != default_modify {
        options.push(("MFINALFUNC_MODIFY", Some(modify(mfinalmodify))));
    }
    if let Some(op) = row.get::<_, Option<String>>(21) {
        options.push(("SORTOP", Some(op)));
    }
    let parallel: String = row.get(22);
    match parallel.as_str() {
        "s" => options.push(("PARALLEL", Some("SAFE".into()))),
        "r" => options.push(("PARALLEL", Some("RESTRICTED".into()))),
        _ => {}
    }
    if kind == "h" {
        options.push(("HYPOTHETICAL", None));
    }
    wildebeest_sql::aggregate_catalog_text(&name, &args, &options)
}

/// Triggers (not PostgreSQL's own, of foreign keys, nor the clones a partition gets
/// of its parent's), as the server prints them, and whether they fire. Those of an
/// extension are the extension's.
const TRIGGERS: &str = "
SELECT c.relname::text, t.tgname::text, pg_get_triggerdef(t.oid, true), t.tgenabled::text
FROM pg_trigger t
JOIN pg_class c ON c.oid = t.tgrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = $1 AND NOT t.tgisinternal AND t.tgparentid = 0
  AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_trigger'::regclass
                  AND d.objid = t.oid AND d.deptype = 'e')
ORDER BY c.relname, t.tgname";

/// Tables that enable or force row-level security.
const ROW_SECURITY: &str = "
SELECT c.relname::text, c.relrowsecurity, c.relforcerowsecurity
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = $1 AND c.relkind IN ('r', 'p')
  AND (c.relrowsecurity OR c.relforcerowsecurity)
ORDER BY c.relname";

/// Row-level security policies: their table, name, kind, command (`polcmd`), roles
/// (`public` for every role) and expressions as the server prints them.
const POLICIES: &str = "
SELECT c.relname::text, p.polname::text, p.polpermissive, p.polcmd::text,
       ARRAY(SELECT CASE WHEN r = 0 THEN 'public' ELSE pg_get_userbyid(r)::text END
             FROM unnest(p.polroles) r ORDER BY 1),
       pg_get_expr(p.polqual, p.polrelid), pg_get_expr(p.polwithcheck, p.polrelid)
FROM pg_policy p
JOIN pg_class c ON c.oid = p.polrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = $1
ORDER BY c.relname, p.polname";

/// Rules (but a view's own `_RETURN`), as the server prints them, on the tables and
/// views of the schema; a rule whose firing is set apart is [`UNMODELED`]'s.
const RULES: &str = "
SELECT c.relname::text, r.rulename::text, pg_get_ruledef(r.oid)
FROM pg_rewrite r
JOIN pg_class c ON c.oid = r.ev_class
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = $1 AND r.rulename <> '_RETURN' AND r.ev_enabled = 'O'
ORDER BY c.relname, r.rulename";

/// Domains, with their base type as `format_type` prints it, their default, `NOT
/// NULL` and a collation other than their base type's. Those of an extension are the
/// extension's.
const DOMAINS: &str = "
SELECT t.typname::text, format_type(t.typbasetype, t.typtypmod), t.typdefault, t.typnotnull,
       CASE WHEN t.typcollation <> 0 AND t.typcollation <> b.typcollation THEN
           CASE WHEN cn.nspname IN ('pg_catalog', $1) THEN co.collname::text
                ELSE cn.nspname || '.' || co.collname END
       END
FROM pg_type t
JOIN pg_namespace n ON n.oid = t.typnamespace
JOIN pg_type b ON b.oid = t.typbasetype
LEFT JOIN pg_collation co ON co.oid = t.typcollation
LEFT JOIN pg_namespace cn ON cn.oid = co.collnamespace
WHERE n.nspname = $1 AND t.typtype = 'd'
  AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_type'::regclass
                  AND d.objid = t.oid AND d.deptype = 'e')
ORDER BY t.typname";

/// The checks of the domains of `DOMAINS` (PostgreSQL 17 keeps a domain's `NOT
/// NULL` as a constraint too, which `typnotnull` already says).
const DOMAIN_CHECKS: &str = "
SELECT t.typname::text, c.conname::text, pg_get_expr(c.conbin, 0), c.convalidated
FROM pg_constraint c
JOIN pg_type t ON t.oid = c.contypid
JOIN pg_namespace n ON n.oid = t.typnamespace
WHERE n.nspname = $1 AND t.typtype = 'd' AND c.contype = 'c'
ORDER BY t.typname, c.conname";

/// Composite types (those of `CREATE TYPE ... AS (...)`, not a table's row type),
/// one row per attribute in order (a type without attributes, one row of `NULL`s):
/// the attribute's type as `format_type` prints it and a collation other than its
/// type's. Those of an extension are the extension's.
const COMPOSITES: &str = "
SELECT t.typname::text, a.attname::text, format_type(a.atttypid, a.atttypmod),
       CASE WHEN a.attcollation <> 0 AND a.attcollation <> at.typcollation THEN
           CASE WHEN cn.nspname IN ('pg_catalog', $1) THEN co.collname::text
                ELSE cn.nspname || '.' || co.collname END
       END
FROM pg_type t
JOIN pg_namespace n ON n.oid = t.typnamespace
JOIN pg_class c ON c.oid = t.typrelid AND c.relkind = 'c'
LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
LEFT JOIN pg_type at ON at.oid = a.atttypid
LEFT JOIN pg_collation co ON co.oid = a.attcollation
LEFT JOIN pg_namespace cn ON cn.oid = co.collnamespace
WHERE n.nspname = $1 AND t.typtype = 'c'
  AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.deptype = 'e'
                  AND ((d.classid = 'pg_type'::regclass AND d.objid = t.oid)
                       OR (d.classid = 'pg_class'::regclass AND d.objid = c.oid)))
ORDER BY t.typname, a.attnum";

/// Range types without a `CANONICAL` function (those with one are unmodeled), with
/// their subtype, the operator class and collation when they are not the subtype's
/// default ones, the `SUBTYPE_DIFF` function (qualified outside `pg_catalog` and the
/// schema) and the multirange type's name. Those of an extension are the extension's.
const RANGES: &str = "
SELECT t.typname::text, format_type(r.rngsubtype, NULL),
       CASE WHEN NOT opc.opcdefault THEN opc.opcname::text END,
       CASE WHEN r.rngcollation <> 0 AND r.rngcollation <> st.typcollation THEN
           CASE WHEN cn.nspname IN ('pg_catalog', $1) THEN co.collname::text
                ELSE cn.nspname || '.' || co.collname END
       END,
       CASE WHEN p.oid IS NOT NULL THEN
           CASE WHEN pn.nspname IN ('pg_catalog', $1) THEN p.proname::text
                ELSE pn.nspname || '.' || p.proname END
       END,
       mt.typname::text
FROM pg_range r
JOIN pg_type t ON t.oid = r.rngtypid
JOIN pg_namespace n ON n.oid = t.typnamespace
JOIN pg_type st ON st.oid = r.rngsubtype
JOIN pg_opclass opc ON opc.oid = r.rngsubopc
JOIN pg_type mt ON mt.oid = r.rngmultitypid
LEFT JOIN pg_collation co ON co.oid = r.rngcollation
LEFT JOIN pg_namespace cn ON cn.oid = co.collnamespace
LEFT JOIN pg_proc p ON p.oid = r.rngsubdiff
LEFT JOIN pg_namespace pn ON pn.oid = p.pronamespace
WHERE n.nspname = $1 AND r.rngcanonical = 0
  AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_type'::regclass
                  AND d.objid = t.oid AND d.deptype = 'e')
ORDER BY t.typname";

/// Sequences of their own, with their options and the column that owns one; an
/// identity's and an extension's are theirs. A serial column's is among them, and
/// taken out when the column is read as `SERIAL` (`column`).
const SEQUENCES: &str = "
SELECT c.relname::text, format_type(s.seqtypid, NULL), s.seqincrement, s.seqmin, s.seqmax,
       s.seqstart, s.seqcache, s.seqcycle, ot.relname::text, oa.attname::text
FROM pg_sequence s
JOIN pg_class c ON c.oid = s.seqrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_depend d ON d.classid = 'pg_class'::regclass AND d.objid = c.oid
     AND d.refclassid = 'pg_class'::regclass AND d.refobjsubid > 0 AND d.deptype = 'a'
LEFT JOIN pg_class ot ON ot.oid = d.refobjid
LEFT JOIN pg_attribute oa ON oa.attrelid = d.refobjid AND oa.attnum = d.refobjsubid
WHERE n.nspname = $1
  AND NOT EXISTS (SELECT 1 FROM pg_depend i WHERE i.classid = 'pg_class'::regclass
                  AND i.objid = c.oid AND i.deptype IN ('i', 'e'))
ORDER BY c.relname";

const TABLES: &str = "
SELECT c.relname::text, c.relkind::text, c.relpersistence::text,
       CASE WHEN c.relkind = 'p' THEN pg_get_partkeydef(c.oid) END,
       CASE WHEN c.relispartition THEN
           (SELECT p.relname::text FROM pg_inherits i JOIN pg_class p ON p.oid = i.inhparent
            WHERE i.inhrelid = c.oid LIMIT 1)
       END,
       obj_description(c.oid, 'pg_class'),
       CASE WHEN c.relispartition THEN pg_get_expr(c.relpartbound, c.oid) END,
       COALESCE(c.reloptions::text[], '{}'),
       COALESCE((SELECT t.reloptions::text[] FROM pg_class t WHERE t.oid = c.reltoastrelid), '{}')
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = $1 AND c.relkind IN ('r', 'p')
  AND c.relname NOT LIKE 'wildebeest\\_%'
  AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass
                  AND d.objid = c.oid AND d.deptype = 'e')
ORDER BY c.relname";

const COLUMNS: &str = "
SELECT c.relname::text, a.attname::text, format_type(a.atttypid, a.atttypmod), a.attnotnull,
       pg_get_expr(d.adbin, d.adrelid), a.attidentity::text, a.attgenerated::text,
       CASE WHEN a.attcollation <> 0 AND a.attcollation <> t.typcollation THEN
           CASE WHEN cn.nspname IN ('pg_catalog', $1) THEN co.collname::text
                ELSE cn.nspname || '.' || co.collname END
       END,
       COALESCE(pg_get_expr(d.adbin, d.adrelid) = format('nextval(%L::regclass)', s.oid::regclass), false),
       col_description(a.attrelid, a.attnum), s.name
FROM pg_attribute a
JOIN pg_class c ON c.oid = a.attrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
JOIN pg_type t ON t.oid = a.atttypid
LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
LEFT JOIN pg_collation co ON co.oid = a.attcollation
LEFT JOIN pg_namespace cn ON cn.oid = co.collnamespace
LEFT JOIN LATERAL (
    SELECT q.oid, q.relname::text AS name FROM pg_depend dep JOIN pg_class q ON q.oid = dep.objid
    WHERE dep.classid = 'pg_class'::regclass AND dep.refclassid = 'pg_class'::regclass
      AND dep.refobjid = a.attrelid AND dep.refobjsubid = a.attnum
      AND dep.deptype = 'a' AND q.relkind = 'S'
    LIMIT 1
) s ON true
WHERE n.nspname = $1 AND c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped
ORDER BY c.relname, a.attnum";

const CONSTRAINTS: &str = "
SELECT c.relname::text, con.conname::text, con.contype::text,
       ARRAY(SELECT a.attname::text FROM unnest(con.conkey) WITH ORDINALITY k(num, ord)
             JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.num ORDER BY k.ord),
       fc.relname::text,
       ARRAY(SELECT a.attname::text FROM unnest(con.confkey) WITH ORDINALITY k(num, ord)
             JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.num ORDER BY k.ord),
       con.confdeltype::text, con.confupdtype::text, con.confmatchtype::text,
       CASE WHEN con.contype = 'c' THEN pg_get_expr(con.conbin, con.conrelid) END,
       con.condeferrable, pg_get_constraintdef(con.oid), con.condeferred, con.connoinherit
FROM pg_constraint con
JOIN pg_class c ON c.oid = con.conrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_class fc ON fc.oid = con.confrelid
WHERE n.nspname = $1 AND con.contype IN ('p', 'u', 'f', 'c', 'x')
  -- A partition's copies of its parent's constraints are the parent's.
  AND con.conparentid = 0 AND NOT (c.relispartition AND con.coninhcount > 0)
ORDER BY c.relname, con.conname";

const INDEXES: &str = "
SELECT c.relname::text, ic.relname::text, i.indisunique, i.indisvalid, am.amname::text,
       i.indnatts > i.indnkeyatts,
       ARRAY(SELECT COALESCE(a.attname::text, '') FROM generate_series(1, i.indnkeyatts::int) k
             LEFT JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[k - 1]
             ORDER BY k),
       ARRAY(SELECT pg_get_indexdef(i.indexrelid, k, false) FROM generate_series(1, i.indnkeyatts::int) k
             ORDER BY k),
       ARRAY(SELECT i.indoption[k - 1]::int FROM generate_series(1, i.indnkeyatts::int) k ORDER BY k),
       ARRAY(SELECT CASE WHEN oc.opcdefault THEN '' ELSE oc.opcname::text END
             FROM generate_series(1, i.indnkeyatts::int) k
             JOIN pg_opclass oc ON oc.oid = i.indclass[k - 1] ORDER BY k),
       pg_get_expr(i.indpred, i.indrelid),
       ARRAY(SELECT CASE WHEN a.attnum IS NOT NULL AND i.indcollation[k - 1] <> 0
                          AND i.indcollation[k - 1] <> a.attcollation THEN
                 CASE WHEN cn.nspname IN ('pg_catalog', $1) THEN co.collname::text
                      ELSE cn.nspname || '.' || co.collname END
             ELSE '' END
             FROM generate_series(1, i.indnkeyatts::int) k
             LEFT JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[k - 1]
             LEFT JOIN pg_collation co ON co.oid = i.indcollation[k - 1]
             LEFT JOIN pg_namespace cn ON cn.oid = co.collnamespace
             ORDER BY k),
       COALESCE((to_jsonb(i) ->> 'indnullsnotdistinct')::boolean, false),
       ARRAY(SELECT a.attname::text FROM generate_series(i.indnkeyatts::int + 1, i.indnatts::int) k
             JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[k - 1]
             ORDER BY k),
       COALESCE(ic.reloptions::text[], '{}')
FROM pg_index i
JOIN pg_class c ON c.oid = i.indrelid
JOIN pg_class ic ON ic.oid = i.indexrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
JOIN pg_am am ON am.oid = ic.relam
WHERE n.nspname = $1
  AND NOT EXISTS (SELECT 1 FROM pg_constraint con WHERE con.conindid = i.indexrelid
                  AND con.conrelid = i.indrelid AND con.contype IN ('p', 'u', 'x'))
  -- A partition's copy of its parent's index (attached to it) is the parent's.
  AND NOT EXISTS (SELECT 1 FROM pg_inherits ih WHERE ih.inhrelid = i.indexrelid)
ORDER BY c.relname, ic.relname";

/// The comments on what is not a table or a table's column, as `(kind, name,
/// second name, text)`: the objects [`CommentOn`] names, and those only where the
/// model holds the object (an index a key makes is the key's, a sequence a column
/// owns the column's: [`UNMODELED`] names comments on them). An extension's comment
/// is none when it is the one its control file gives it, as is the `public` schema's
/// when it is the one PostgreSQL gives it.
const COMMENTS: &str = "
WITH ns AS (SELECT oid FROM pg_namespace WHERE nspname = $1)
SELECT kind, a, b, text FROM (
    SELECT CASE c.relkind WHEN 'v' THEN 'view' WHEN 'm' THEN 'materialized view'
                          WHEN 'i' THEN 'index' ELSE 'sequence' END AS kind,
           c.relname::text AS a, ''::text AS b, d.description AS text
    FROM pg_description d
    JOIN pg_class c ON d.classoid = 'pg_class'::regclass AND d.objoid = c.oid AND d.objsubid = 0
    WHERE c.relnamespace IN (SELECT oid FROM ns) AND c.relkind IN ('v', 'm', 'i', 'S')
    UNION ALL
    SELECT 'view column', c.relname::text, a.attname::text, d.description
    FROM pg_description d
    JOIN pg_class c ON d.classoid = 'pg_class'::regclass AND d.objoid = c.oid
    JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = d.objsubid
    WHERE c.relnamespace IN (SELECT oid FROM ns) AND c.relkind IN ('v', 'm') AND d.objsubid > 0
    UNION ALL
    SELECT CASE t.typtype WHEN 'e' THEN 'type' ELSE 'domain' END, t.typname::text, '',
           d.description
    FROM pg_description d
    JOIN pg_type t ON d.classoid = 'pg_type'::regclass AND d.objoid = t.oid
    WHERE t.typnamespace IN (SELECT oid FROM ns) AND t.typtype IN ('e', 'd')
    UNION ALL
    SELECT CASE p.prokind WHEN 'p' THEN 'procedure' ELSE 'function' END, p.proname::text,
           array_to_string(ARRAY(SELECT format_type(t, NULL) FROM unnest(p.proargtypes) t), ', '),
           d.description
    FROM pg_description d
    JOIN pg_proc p ON d.classoid = 'pg_proc'::regclass AND d.objoid = p.oid
    WHERE p.pronamespace IN (SELECT oid FROM ns) AND p.prokind IN ('f', 'p')
    UNION ALL
    SELECT 'trigger', c.relname::text, tg.tgname::text, d.description
    FROM pg_description d
    JOIN pg_trigger tg ON d.classoid = 'pg_trigger'::regclass AND d.objoid = tg.oid
    JOIN pg_class c ON c.oid = tg.tgrelid
    WHERE c.relnamespace IN (SELECT oid FROM ns) AND NOT tg.tgisinternal
    UNION ALL
    SELECT CASE WHEN con.contypid <> 0 THEN 'domain constraint' ELSE 'constraint' END,
           COALESCE(c.relname, t.typname)::text, con.conname::text, d.description
    FROM pg_description d
    JOIN pg_constraint con ON d.classoid = 'pg_constraint'::regclass AND d.objoid = con.oid
    LEFT JOIN pg_class c ON c.oid = con.conrelid
    LEFT JOIN pg_type t ON t.oid = con.contypid
    WHERE con.connamespace IN (SELECT oid FROM ns)
    UNION ALL
    SELECT 'policy', c.relname::text, pol.polname::text, d.description
    FROM pg_description d
    JOIN pg_policy pol ON d.classoid = 'pg_policy'::regclass AND d.objoid = pol.oid
    JOIN pg_class c ON c.oid = pol.polrelid
    WHERE c.relnamespace IN (SELECT oid FROM ns)
    UNION ALL
    SELECT 'extension', e.extname::text, '', d.description
    FROM pg_description d
    JOIN pg_extension e ON d.classoid = 'pg_extension'::regclass AND d.objoid = e.oid
    WHERE e.extnamespace IN (SELECT oid FROM ns)
      AND d.description IS DISTINCT FROM
          (SELECT a.comment FROM pg_available_extensions a WHERE a.name = e.extname)
    UNION ALL
    SELECT 'schema', n.nspname::text, '', d.description
    FROM pg_description d
    JOIN pg_namespace n ON d.classoid = 'pg_namespace'::regclass AND d.objoid = n.oid
    WHERE n.oid IN (SELECT oid FROM ns)
      AND NOT (n.nspname = 'public' AND d.description = 'standard public schema')
) o
WHERE text <> ''
ORDER BY kind, a, b";

/// What the model cannot hold in schema `$1`, as `(kind, name)`: relations other
/// than tables and views (a sequence only when no column owns it: a serial's and an
/// identity's are the column's), range types with a `CANONICAL` function (which
/// needs a shell type and a C function), window functions
/// (other routines, aggregates too, are modeled), a rule whose firing is set apart
/// (`ev_enabled`, which the model does not hold), comments on what the model holds
/// no comment for (see [`COMMENTS`]),
/// extended statistics, and what
/// ties the schema to another one (a foreign key to a table there, a column of a type
/// from there). Objects that belong to an extension are the extension's.
const UNMODELED: &str = "
WITH ns AS (SELECT oid FROM pg_namespace WHERE nspname = $1),
ext AS (SELECT classid, objid FROM pg_depend WHERE deptype = 'e')
SELECT kind, name FROM (
    SELECT 'foreign table' AS kind, c.relname::text AS name
    FROM pg_class c
    WHERE c.relnamespace IN (SELECT oid FROM ns) AND c.relkind = 'f'
      AND ('pg_class'::regclass, c.oid) NOT IN (SELECT classid, objid FROM ext)
      AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass
                      AND d.objid = c.oid AND d.deptype IN ('a', 'i')
                      AND d.refclassid = 'pg_class'::regclass AND d.refobjsubid > 0)
    UNION ALL
    SELECT 'invalid index on a materialized view', c.relname::text || '.' || ic.relname::text
    FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid JOIN pg_class ic ON ic.oid = i.indexrelid
    WHERE c.relnamespace IN (SELECT oid FROM ns) AND c.relkind = 'm' AND NOT i.indisvalid
    UNION ALL
    SELECT 'range type with a CANONICAL function', t.typname::text
    FROM pg_type t JOIN pg_range r ON r.rngtypid = t.oid
    WHERE t.typnamespace IN (SELECT oid FROM ns) AND r.rngcanonical <> 0
      AND ('pg_type'::regclass, t.oid) NOT IN (SELECT classid, objid FROM ext)
    UNION ALL
    SELECT 'window function',
           p.proname::text || '(' || pg_get_function_identity_arguments(p.oid) || ')'
    FROM pg_proc p
    WHERE p.pronamespace IN (SELECT oid FROM ns) AND p.prokind = 'w'
      AND ('pg_proc'::regclass, p.oid) NOT IN (SELECT classid, objid FROM ext)
    UNION ALL
    SELECT 'rule set to `DISABLE`, `ENABLE REPLICA` or `ENABLE ALWAYS`',
           c.relname::text || '.' || r.rulename::text
    FROM pg_rewrite r JOIN pg_class c ON c.oid = r.ev_class
    WHERE c.relnamespace IN (SELECT oid FROM ns) AND r.rulename <> '_RETURN'
      AND r.ev_enabled <> 'O'
    UNION ALL
    SELECT 'comment', o.type || ' ' || replace(o.identity, quote_ident(o.schema) || '.', '')
    FROM pg_description d
    CROSS JOIN LATERAL pg_identify_object(d.classoid, d.objoid, d.objsubid) o
    WHERE o.schema = (SELECT nspname FROM pg_namespace WHERE oid IN (SELECT oid FROM ns))
      AND (d.classoid, d.objoid) NOT IN (SELECT classid, objid FROM ext)
      -- What `COMMENTS` reads: comments on the objects the model holds.
      AND o.type NOT IN ('table', 'table column', 'view', 'view column', 'materialized view',
                         'materialized view column', 'function', 'procedure', 'trigger',
                         'table constraint', 'domain constraint', 'policy', 'index',
                         'sequence')
      AND NOT (o.type = 'type' AND EXISTS (SELECT 1 FROM pg_type t WHERE t.oid = d.objoid
                                           AND t.typtype IN ('e', 'd')))
    UNION ALL
    SELECT 'extended statistics', s.stxname::text
    FROM pg_statistic_ext s WHERE s.stxnamespace IN (SELECT oid FROM ns)

    UNION ALL
    SELECT 'foreign key to another schema',
           c.relname::text || '.' || con.conname::text || ' -> ' || fn.nspname::text || '.' || fc.relname::text
    FROM pg_constraint con
    JOIN pg_class c ON c.oid = con.conrelid
    JOIN pg_class fc ON fc.oid = con.confrelid
    JOIN pg_namespace fn ON fn.oid = fc.relnamespace
    WHERE con.contype = 'f' AND c.relnamespace IN (SELECT oid FROM ns)
      AND fc.relnamespace NOT IN (SELECT oid FROM ns)
    UNION ALL
    SELECT 'column of a type in another schema',
           c.relname::text || '.' || a.attname::text || ' ' || tn.nspname::text || '.' || t.typname::text
    FROM pg_attribute a
    JOIN pg_class c ON c.oid = a.attrelid
    JOIN pg_type t ON t.oid = a.atttypid
    JOIN pg_namespace tn ON tn.oid = t.typnamespace
    WHERE c.relnamespace IN (SELECT oid FROM ns) AND c.relkind IN ('r', 'p')
      AND a.attnum > 0 AND NOT a.attisdropped
      AND tn.nspname NOT IN ('pg_catalog', 'information_schema')
      AND t.typnamespace NOT IN (SELECT oid FROM ns)
      AND ('pg_type'::regclass, t.oid) NOT IN (SELECT classid, objid FROM ext)
) o
ORDER BY kind, name";

/// The objects of schema `schema` the model cannot hold (see [`UNMODELED`]).
pub(crate) fn unmodeled_objects(
    client: &mut Client,
    schema: &str,
) -> Result<Vec<UnmodeledObject>, BackendError> {
    let rows = client.query(UNMODELED, &[&schema]).map_err(|e| {
        BackendError::new(format!(
            "cannot read the schema `{schema}` of the database: {}",
            db_message(&e)
        ))
    })?;
    let mut out: Vec<UnmodeledObject> = rows
        .iter()
        .map(|r| UnmodeledObject {
            kind: r.get(0),
            name: r.get(1),
        })
        .collect();
    // Sorted here, not by the server's collation, so the order is the same everywhere.
    out.sort();
    Ok(out)
}

/// The schema `schema` of the database, without the version tables.
pub(crate) fn inspect(client: &mut Client, schema: &str) -> Result<Schema, BackendError> {
    // The planner prices these catalog queries high on a large schema and compiles
    // them with JIT, which costs more than running them (0.45 s of 0.55 s for the
    // indexes of 1,000 tables). A server without the setting (before PostgreSQL 11)
    // refuses it, harmlessly: no transaction is open.
    let jit_off = client.batch_execute("SET jit = off").is_ok();
    let result = read_schema(client, schema);
    if jit_off {
        // The session's own setting again, for the migrations that run next.
        client.batch_execute("RESET jit").map_err(|e| {
            BackendError::new(format!(
                "cannot reset `jit` after reading the schema: {}",
                db_message(&e)
            ))
        })?;
    }
    result
}

/// [`inspect`] inside a transaction the caller holds (`scratch`: a schema made to be
/// read and rolled back), with JIT off for the transaction where the server has it.
pub(crate) fn read_in(tx: &mut Transaction<'_>, schema: &str) -> Result<Schema, BackendError> {
    tx.batch_execute("SELECT set_config('jit', 'off', true) FROM pg_settings WHERE name = 'jit'")
        .map_err(|e| BackendError::new(format!("cannot turn JIT off: {}", db_message(&e))))?;
    read_schema(tx, schema)
}

fn read_schema(client: &mut impl GenericClient, schema: &str) -> Result<Schema, BackendError> {
    let fail = |e: postgres::Error| {
        BackendError::new(format!(
            "cannot read the schema `{schema}` of the database: {}",
            db_message(&e)
        ))
    };
    let mut enums: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for row in client.query(ENUMS, &[&schema]).map_err(fail)? {
        let labels = enums.entry(row.get(0)).or_default();
        // A type without labels has one row, with no label.
        if let Some(label) = row.get::<_, Option<String>>(1) {
            labels.push(label);
        }
    }
    let mut tables: BTreeMap<String, Table> = BTreeMap::new();
    for row in client.query(TABLES, &[&schema]).map_err(fail)? {
        let name: String = row.get(0);
        let mut table = Table::new(name.clone());
        if row.get::<_, String>(2) == "u" {
            table.unmodeled.push("UNLOGGED".into());
        }
        table.options.partition_by = row.get::<_, Option<String>>(3);
        if let (Some(parent), Some(bound)) = (
            row.get::<_, Option<String>>(4),
            row.get::<_, Option<String>>(6),
        ) {
            // In the form a schema file's bound is read in (`MODULUS` in capitals).
            let bound = wildebeest_sql::partition_bound(&bound).unwrap_or(bound);
            table.options.partition_of = Some(PartitionOf { parent, bound });
        }
        table.options.comment = row.get::<_, Option<String>>(5).filter(|c| !c.is_empty());
        let mut storage: Vec<String> = row.get(7);
        storage.sort();
        table.options.storage = storage;
        // The TOAST table's own (`WITH (toast.autovacuum_enabled = false)`): not held.
        let toast: Vec<String> = row.get(8);
        if !toast.is_empty() {
            let toast: Vec<String> = toast.iter().map(|o| format!("toast.{o}")).collect();
            table.unmodeled.push(format!("WITH ({})", toast.join(", ")));
        }
        tables.insert(name, table);
    }
    let mut sequences: BTreeMap<String, Sequence> = BTreeMap::new();
    for row in client.query(SEQUENCES, &[&schema]).map_err(fail)? {
        let name: String = row.get(0);
        let owner: (Option<String>, Option<String>) = (row.get(8), row.get(9));
        let sequence = Sequence {
            name: name.clone(),
            data_type: types::from_format_type(&row.get::<_, String>(1)),
            increment: row.get(2),
            min: row.get(3),
            max: row.get(4),
            start: row.get(5),
            cache: row.get(6),
            cycle: row.get(7),
            owned_by: match owner {
                (Some(t), Some(c)) => Some((t, c)),
                _ => None,
            },
        };
        sequences.insert(name, sequence);
    }
    for row in client.query(COLUMNS, &[&schema]).map_err(fail)? {
        let Some(table) = tables.get_mut(&row.get::<_, String>(0)) else {
            continue;
        };
        column(table, &row, &mut sequences);
    }
    for table in tables.values_mut() {
        generation_expressions(table);
    }
    for row in client.query(CONSTRAINTS, &[&schema]).map_err(fail)? {
        let Some(table) = tables.get_mut(&row.get::<_, String>(0)) else {
            continue;
        };
        constraint(table, &row);
    }
    let mut on_views = Vec::new();
    for row in client.query(INDEXES, &[&schema]).map_err(fail)? {
        let Some(table) = tables.get_mut(&row.get::<_, String>(0)) else {
            // A materialized view's, read once the views are.
            on_views.push(row);
            continue;
        };
        index(table, &row);
    }
    for table in tables.values_mut() {
        drop_default_names(table);
    }
    // `normalize` makes the columns whose type names one of `enums` enum columns.
    let mut views = BTreeMap::new();
    for row in client.query(VIEWS, &[&schema]).map_err(fail)? {
        let name: String = row.get(0);
        let query: String = row.get(1);
        let check = row.get::<_, Option<String>>(2).map(|o| {
            if o == "local" {
                CheckOption::Local
            } else {
                CheckOption::Cascaded
            }
        });
        let mut view =
            wildebeest_sql::view_from_catalog(&name, Vec::new(), &query, check, Dialect::Postgres);
        view.materialized = row.get(3);
        views.insert(name, view);
    }
    // A materialized view's indexes: its columns' types are not known here, so an
    // expression is normalized without them.
    for row in &on_views {
        let name: String = row.get(0);
        let Some(view) = views.get_mut(&name) else {
            continue;
        };
        let mut columns = Table::new(name);
        view.indexes.push(read_index(&mut columns, row));
        view.indexes.sort();
    }
    let mut extensions = BTreeMap::new();
    for row in client.query(EXTENSIONS, &[&schema]).map_err(fail)? {
        let name: String = row.get(0);
        let extension = Extension {
            name: name.clone(),
            schema: None,
        };
        extensions.insert(name, extension);
    }
    let mut routines = BTreeMap::new();
    for row in client.query(ROUTINES, &[&schema]).map_err(fail)? {
        let name: String = row.get(0);
        let text: String = row.get(1);
        let routine = wildebeest_sql::routine_from_catalog(&text, schema).ok_or_else(|| {
            BackendError::new(format!(
                "cannot read the definition of routine `{name}` as the server prints it"
            ))
        })?;
        routines.insert(routine.key(), routine);
    }
    for row in client
        .query(&aggregates_query(), &[&schema])
        .map_err(fail)?
    {
        let name: String = row.get(0);
        let text = aggregate_text(&row);
        let aggregate = wildebeest_sql::aggregate_from_catalog(&text, schema).ok_or_else(|| {
            BackendError::new(format!(
                "cannot read aggregate `{name}` as written from the catalog: {text}"
            ))
        })?;
        routines.insert(aggregate.key(), aggregate);
    }
    let mut triggers = BTreeMap::new();
    for row in client.query(TRIGGERS, &[&schema]).map_err(fail)? {
        let table: String = row.get(0);
        let name: String = row.get(1);
        let text: String = row.get(2);
        let enabled: String = row.get(3);
        let trigger = wildebeest_sql::pg_trigger_from_catalog(&text, schema, &enabled)
            .map_err(|e| BackendError::new(format!("trigger `{name}` on `{table}`: {e}")))?;
        triggers.insert(trigger.key(), trigger);
    }
    let mut row_security = BTreeMap::new();
    for row in client.query(ROW_SECURITY, &[&schema]).map_err(fail)? {
        let rs = RowSecurity {
            enabled: row.get(1),
            forced: row.get(2),
        };
        row_security.insert(row.get::<_, String>(0), rs);
    }
    let mut policies = BTreeMap::new();
    for row in client.query(POLICIES, &[&schema]).map_err(fail)? {
        let command = match row.get::<_, String>(3).as_str() {
            "r" => "SELECT",
            "a" => "INSERT",
            "w" => "UPDATE",
            "d" => "DELETE",
            _ => "ALL",
        };
        let policy = Policy {
            table: row.get(0),
            name: row.get(1),
            permissive: row.get(2),
            command: command.to_string(),
            roles: row.get(4),
            using: row
                .get::<_, Option<String>>(5)
                .map(|e| expression(&e, &|_| None)),
            check: row
                .get::<_, Option<String>>(6)
                .map(|e| expression(&e, &|_| None)),
        };
        policies.insert(policy.key(), policy);
    }
    let mut rules = BTreeMap::new();
    for row in client.query(RULES, &[&schema]).map_err(fail)? {
        let table: String = row.get(0);
        let name: String = row.get(1);
        let text: String = row.get(2);
        let rule = wildebeest_sql::rule_from_catalog(&text, schema)
            .map_err(|e| BackendError::new(format!("rule `{name}` on `{table}`: {e}")))?;
        rules.insert(rule.key(), rule);
    }
    let mut domains: BTreeMap<String, Domain> = BTreeMap::new();
    for row in client.query(DOMAINS, &[&schema]).map_err(fail)? {
        let name: String = row.get(0);
        let base = types::from_format_type(&row.get::<_, String>(1));
        let default = row
            .get::<_, Option<String>>(2)
            .map(|e| expression(&e, &|_| None))
            .filter(|d| d != "NULL");
        let domain = Domain {
            name: name.clone(),
            base,
            collation: row.get(4),
            default,
            not_null: row.get(3),
            checks: Vec::new(),
        };
        domains.insert(name, domain);
    }
    for row in client.query(DOMAIN_CHECKS, &[&schema]).map_err(fail)? {
        let Some(domain) = domains.get_mut(&row.get::<_, String>(0)) else {
            continue;
        };
        let name: String = row.get(1);
        let text: String = row.get(2);
        let base = domain.base.clone();
        // `VALUE` is of the base type; no other name is in scope.
        let type_of = move |n: &str| n.eq_ignore_ascii_case("value").then(|| base.clone());
        let mut expr = expression(&text, &type_of);
        if !row.get::<_, bool>(3) {
            // A check added `NOT VALID` holds for new values only: written so, it
            // differs from the model's, which holds for every value.
            expr.push_str(" NOT VALID");
        }
        domain.checks.push(Check {
            no_inherit: false,
            written: Default::default(),
            name: Some(name),
            expr,
        });
    }
    let mut types: BTreeMap<String, UserType> = BTreeMap::new();
    for row in client.query(COMPOSITES, &[&schema]).map_err(fail)? {
        let name: String = row.get(0);
        let entry = types.entry(name.clone()).or_insert_with(|| {
            UserType::Composite(Composite {
                name,
                attributes: Vec::new(),
            })
        });
        let (UserType::Composite(c), Some(attribute)) = (entry, row.get::<_, Option<String>>(1))
        else {
            continue;
        };
        c.attributes.push(Attribute {
            name: attribute,
            ty: types::from_format_type(&row.get::<_, String>(2)),
            collation: row.get(3),
        });
    }
    for row in client.query(RANGES, &[&schema]).map_err(fail)? {
        let name: String = row.get(0);
        let range = Range {
            name: name.clone(),
            subtype: types::from_format_type(&row.get::<_, String>(1)),
            opclass: row.get(2),
            collation: row.get(3),
            subtype_diff: row.get(4),
            multirange: row.get(5),
        };
        types.insert(name, UserType::Range(range));
    }
    let mut comments = BTreeMap::new();
    for row in client.query(COMMENTS, &[&schema]).map_err(fail)? {
        let (kind, a, b, text): (String, String, String, String) =
            (row.get(0), row.get(1), row.get(2), row.get(3));
        let on = match kind.as_str() {
            "view" => CommentOn::View(a),
            "materialized view" => CommentOn::MaterializedView(a),
            "view column" => CommentOn::ViewColumn { view: a, column: b },
            "index" => CommentOn::Index(a),
            "sequence" => CommentOn::Sequence(a),
            "type" => CommentOn::Type(a),
            "domain" => CommentOn::Domain(a),
            "function" | "procedure" => {
                let kind = if kind == "function" {
                    RoutineKind::Function
                } else {
                    RoutineKind::Procedure
                };
                routine_comment_key(&routines, kind, a, &b)
            }
            "trigger" => CommentOn::Trigger { table: a, name: b },
            "constraint" => CommentOn::Constraint { table: a, name: b },
            "domain constraint" => CommentOn::DomainConstraint { domain: a, name: b },
            "policy" => CommentOn::Policy { table: a, name: b },
            "extension" => CommentOn::Extension(a),
            _ => CommentOn::Schema,
        };
        comments.insert(on, text);
    }
    // `normalize` makes the columns whose type names one of `enums` enum columns.
    let mut out = Schema {
        types,
        comments,
        tables: tables.into(),
        enums,
        views,
        extensions,
        routines,
        triggers,
        domains,
        sequences,
        row_security,
        policies,
        rules,
    };
    out.normalize();
    Ok(out)
}

/// The key of the comment on routine `name` whose identifying argument types are
/// `types` as `format_type` prints them: the model's routine of that signature, or
/// else the one routine of that name and kind.
fn routine_comment_key(
    routines: &BTreeMap<String, Routine>,
    kind: RoutineKind,
    name: String,
    types: &str,
) -> CommentOn {
    let key = format!("{name}({types})");
    if routines.get(&key).is_some_and(|r| r.kind == kind) {
        return CommentOn::Routine { kind, key };
    }
    let same: Vec<&Routine> = routines
        .values()
        .filter(|r| r.kind == kind && r.name == name)
        .collect();
    match same.as_slice() {
        [one] => CommentOn::Routine {
            kind,
            key: one.key(),
        },
        _ => CommentOn::Routine { kind, key },
    }
}

/// Adds the column of a `COLUMNS` row.
fn column(table: &mut Table, row: &postgres::Row, sequences: &mut BTreeMap<String, Sequence>) {
    let name: String = row.get(1);
    let ty = types::from_format_type(&row.get::<_, String>(2));
    let expr: Option<String> = row.get(4);
    let identity: String = row.get(5);
    let generated: String = row.get(6);
    let mut col = Column::new(name.clone(), ty);
    col.nullable = !row.get::<_, bool>(3);
    col.collation = row.get(7);
    col.comment = row.get::<_, Option<String>>(9).filter(|c| !c.is_empty());
    if generated == "s" {
        // The expression is the generation's, not a default; as PostgreSQL printed
        // it until every column's type is known (`generation_expressions`).
        col.generated = Some(Generated {
            expr: expr.unwrap_or_default(),
            stored: true,
        });
    } else if !generated.is_empty() {
        // PostgreSQL 18's VIRTUAL column, which the model does not hold for
        // PostgreSQL: named, never read as a plain column.
        table.unmodeled.push(format!(
            "column {name}: GENERATED ALWAYS AS {} VIRTUAL",
            expr.as_deref().unwrap_or("()")
        ));
    } else if !identity.is_empty() {
        col.auto_increment = true;
        col.generated_always = identity == "a";
    } else if let Some(serial) = row
        .get::<_, bool>(8)
        .then(|| types::serial_type(&col.ty))
        .flatten()
        .filter(|_| !col.nullable)
        .filter(|_| {
            let owned: Option<String> = row.get(10);
            owned.is_some_and(|seq| {
                sequences
                    .get(&seq)
                    .is_some_and(|s| s.is_serial_of(&table.name, &name, &col.ty))
            })
        })
    {
        // `nextval` of the sequence the column owns, named and numbering as `SERIAL`
        // makes it: the column's type, not a sequence of its own.
        sequences.remove(&serial_sequence_name(&table.name, &name));
        col.ty = serial;
    } else if let Some(e) = expr {
        // A default names no column.
        col.default = Some(expression(&e, &|_| None)).filter(|d| d != "NULL");
    }
    table.columns.push(col);
}

/// Each generated column's expression as `schema.sql` would have it, read with the
/// types of the columns it names (which may come after it).
fn generation_expressions(table: &mut Table) {
    let types: Vec<(String, ColumnType)> = table
        .columns
        .iter()
        .map(|c| (c.name.clone(), c.ty.clone()))
        .collect();
    let type_of = |name: &str| {
        types
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, t)| t.clone())
    };
    for g in table
        .columns
        .iter_mut()
        .filter_map(|c| c.generated.as_mut())
    {
        g.expr = expression(&g.expr, &type_of);
    }
}

/// The type of each column of `table`, by name, for `deparse`.
fn column_types(table: &Table) -> impl Fn(&str) -> Option<ColumnType> + '_ {
    |name| table.column(name).map(|c| c.ty.clone())
}

/// A deparsed expression as `schema.sql` would have it: without the casts PostgreSQL
/// added, normalized in the forms the catalog keeps (`normalize_stored_expr`: no
/// `BETWEEN`, no typed literal), which is also how `canonical` reads a model's; as
/// PostgreSQL printed it should the parser not read it.
pub(crate) fn expression(text: &str, type_of: &dyn Fn(&str) -> Option<ColumnType>) -> String {
    stored_expression(text, type_of)
        .or_else(|| normalize_stored_expr(text, Dialect::Postgres).ok())
        .unwrap_or_else(|| text.trim().to_string())
}

/// [`expression`], or `None` when the text without PostgreSQL's casts does not read
/// as an expression.
pub(crate) fn stored_expression(
    text: &str,
    type_of: &dyn Fn(&str) -> Option<ColumnType>,
) -> Option<String> {
    normalize_stored_expr(&deparse::simplify(text, type_of), Dialect::Postgres).ok()
}

/// Adds the constraint of a `CONSTRAINTS` row (with its name for now; see
/// [`drop_default_names`]).
fn constraint(table: &mut Table, row: &postgres::Row) {
    let name: String = row.get(1);
    let kind: String = row.get(2);
    let columns: Vec<String> = row.get(3);
    let definition: String = row.get(11);
    let described = format!("CONSTRAINT {name} {definition}");
    let deferrable: bool = row.get(10);
    let deferral = match (deferrable, row.get::<_, bool>(12)) {
        (false, _) => Deferral::NotDeferrable,
        (true, false) => Deferral::InitiallyImmediate,
        (true, true) => Deferral::InitiallyDeferred,
    };
    // A key's and a foreign key's deferral is modeled; a unique constraint's `NULLS
    // NOT DISTINCT` is not (held on indexes only, as the parser does), nor a key's
    // index clauses (`INCLUDE (...)`, `WITH (...)`, a tablespace).
    let index_clauses = [") INCLUDE (", ") WITH (", " USING INDEX TABLESPACE "];
    if (kind == "u" && definition.starts_with("UNIQUE NULLS NOT DISTINCT"))
        || ((kind == "u" || kind == "p") && index_clauses.iter().any(|c| definition.contains(c)))
    {
        table.unmodeled.push(described.clone());
    }
    let name = Some(name);
    match kind.as_str() {
        "p" => {
            table.primary_key = Some(PrimaryKey {
                deferral,
                name,
                columns,
            })
        }
        "u" => table.uniques.push(Unique {
            deferral,
            name,
            columns,
        }),
        "f" => {
            if row.get::<_, String>(8) == "f" {
                table.unmodeled.push(described);
            }
            table.foreign_keys.push(ForeignKey {
                name,
                columns,
                ref_table: row.get::<_, Option<String>>(4).unwrap_or_default(),
                ref_columns: row.get(5),
                on_delete: fk_action(&row.get::<_, String>(6)),
                on_update: fk_action(&row.get::<_, String>(7)),
                deferral,
            });
        }
        "c" => {
            let text: Option<String> = row.get(9);
            let expr = expression(text.as_deref().unwrap_or_default(), &column_types(table));
            let no_inherit = row.get(13);
            table.checks.push(Check {
                name,
                expr,
                no_inherit,
                written: Default::default(),
            });
        }
        // Read from its definition as `schema.sql`'s is read; one with a part the
        // model does not hold (`WITH (...)`, a tablespace) is named as such.
        "x" => match wildebeest_sql::exclusion_from_catalog(&definition) {
            Ok(mut x) => {
                {
                    let type_of = column_types(table);
                    // A column stays as it is named; an expression loses the casts
                    // PostgreSQL added, as an index's does.
                    let plain = |e: &str| e.chars().all(|c| c.is_alphanumeric() || c == '_');
                    for e in x.elements.iter_mut().filter(|e| !plain(&e.expr)) {
                        e.expr = expression(&e.expr, &type_of);
                    }
                    x.predicate = x.predicate.map(|p| expression(&p, &type_of));
                }
                x.name = name;
                table.exclusions.push(x);
            }
            Err(_) => table.unmodeled.push(described),
        },
        _ => table.unmodeled.push(described),
    }
}

fn fk_action(code: &str) -> FkAction {
    match code {
        "r" => FkAction::Restrict,
        "c" => FkAction::Cascade,
        "n" => FkAction::SetNull,
        "d" => FkAction::SetDefault,
        _ => FkAction::NoAction,
    }
}

/// Adds the index of an `INDEXES` row.
fn index(table: &mut Table, row: &postgres::Row) {
    let index = read_index(table, row);
    table.indexes.push(index);
}

/// The index of an `INDEXES` row on `table`, noting in it what the model cannot hold.
fn read_index(table: &mut Table, row: &postgres::Row) -> Index {
    let name: String = row.get(1);
    let method: String = row.get(4);
    if !row.get::<_, bool>(3) {
        table.unmodeled.push(format!(
            "index {name} is invalid (a CREATE INDEX CONCURRENTLY that failed); drop it and create it again"
        ));
    }
    let columns: Vec<String> = row.get(6);
    let definitions: Vec<String> = row.get(7);
    let options: Vec<i32> = row.get(8);
    let classes: Vec<String> = row.get(9);
    // A column part's collation where it is not the column's (`title COLLATE "C"`),
    // which `pg_get_indexdef` leaves out of a part's definition.
    let collations: Vec<String> = row.get(11);
    let type_of = column_types(table);
    let mut parts = Vec::with_capacity(columns.len());
    for (i, column) in columns.iter().enumerate() {
        let class = classes.get(i).filter(|c| !c.is_empty());
        let collation = collations.get(i).filter(|c| !c.is_empty());
        let mut part = match (column.is_empty(), class, collation) {
            (true, _, _) => expression(definitions.get(i).map_or("", String::as_str), &type_of),
            // The parser keeps a column with a collation as an expression.
            (false, _, Some(c)) => format!("{} COLLATE {}", quote_ident(column), quote_ident(c)),
            // With an operator class, the parser keeps the column as an expression,
            // quoted where it needs to be.
            (false, Some(_), None) => quote_ident(column),
            (false, None, None) => column.clone(),
        };
        if let Some(class) = class {
            part = if column.is_empty() {
                crate::render::with_class(&part, class)
            } else {
                format!("{part} {class}")
            };
        }
        let option = options.get(i).copied().unwrap_or(0);
        let (desc, nulls_first) = (option & 1 != 0, option & 2 != 0);
        if desc {
            part.push_str(" DESC");
        }
        match (desc, nulls_first) {
            (true, false) => part.push_str(" NULLS LAST"),
            (false, true) => part.push_str(" NULLS FIRST"),
            _ => {}
        }
        parts.push(part);
    }
    let predicate: Option<String> = row.get(10);
    let predicate = predicate.map(|p| expression(&p, &type_of));
    Index {
        hidden: None,
        name,
        table: table.name.clone(),
        columns: parts,
        unique: row.get(2),
        predicate,
        method: (method != "btree").then_some(method),
        // Read from the row as JSON: before PostgreSQL 15 there is no such column.
        nulls_not_distinct: row.get(12),
        comment: None,
        include: row.get(13),
        storage: {
            let mut storage: Vec<String> = row.get(14);
            storage.sort();
            storage
        },
        predicate_written: Default::default(),
    }
}

/// Removes the names PostgreSQL gave constraints that were written without one: a name
/// equal to the one it gives an unnamed constraint (see `render::constraint_name`),
/// also numbered as it numbers one already taken (`render::generated_name`), or to
/// `Constraint::sql_name`, is no name.
fn drop_default_names(table: &mut Table) {
    let snapshot = table.clone();
    let is_default = |c: Constraint| {
        let Some(name) = c.name().map(str::to_string) else {
            return false;
        };
        let unnamed = match c {
            Constraint::PrimaryKey(pk) => Constraint::PrimaryKey(PrimaryKey { name: None, ..pk }),
            Constraint::Unique(u) => Constraint::Unique(Unique { name: None, ..u }),
            Constraint::ForeignKey(f) => Constraint::ForeignKey(ForeignKey { name: None, ..f }),
            Constraint::Check(ch) => Constraint::Check(Check { name: None, ..ch }),
            Constraint::Exclusion(x) => Constraint::Exclusion(Exclusion { name: None, ..x }),
        };
        // PostgreSQL numbers a generated name that is taken (`t_a_check1`); a table
        // has fewer such names than constraints.
        let passes = 1
            + snapshot.checks.len()
            + snapshot.uniques.len()
            + snapshot.foreign_keys.len()
            + snapshot.exclusions.len();
        name == unnamed.sql_name(&snapshot)
            || (0..passes).any(|pass| name == generated_name(&unnamed, &snapshot, pass))
    };
    if let Some(pk) = &mut table.primary_key
        && is_default(Constraint::PrimaryKey(pk.clone()))
    {
        pk.name = None;
    }
    for u in &mut table.uniques {
        if is_default(Constraint::Unique(u.clone())) {
            u.name = None;
        }
    }
    for f in &mut table.foreign_keys {
        if is_default(Constraint::ForeignKey(f.clone())) {
            f.name = None;
        }
    }
    for ch in &mut table.checks {
        if is_default(Constraint::Check(ch.clone())) {
            ch.name = None;
        }
    }
    for x in &mut table.exclusions {
        if is_default(Constraint::Exclusion(x.clone())) {
            x.name = None;
        }
    }
}
