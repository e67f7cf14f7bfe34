//! The schema a model describes, as PostgreSQL reports it once made (see
//! `Backend::server_form`): the model's tables, types (enum, composite, range),
//! domains, routines (in every
//! round),
//! indexes and views (in a round of their own, with the tables they read), triggers,
//! policies and rules (in a round of their own) are
//! created, as
//! [`render_op`] writes them, in a schema of their own inside a transaction, read back
//! by `inspect` exactly as the live schema is, and the transaction is rolled back; a
//! few hundred tables a transaction, so that the locks it holds stay a small share of
//! the server's lock table (`TABLES_PER_ROUND`).
//! Only what the server reads in a form of its own is made (`scratch_model`), on
//! partitioned tables, which have no storage: a thousand tables cost no file.
//! Nothing is left behind whatever happens: an error rolls back, and a connection
//! that dies (a killed process) ends its transaction on the server.

use postgres::Client;
use postgres::error::SqlState;
use wildebeest_runner::{BackendError, ServerForm};
use wildebeest_schema::{CommentOn, Hints, Index, Op, Routine, RoutineKind, Schema, Table, diff};

use crate::inspect;
use crate::lock::db_message;
use crate::render::{foreign_op, quote_ident, render_op};

/// Whether the server must read `index` back: a part that is not one of the table's
/// columns (an expression, an operator class, a collation, a null order), a predicate
/// or an access method. A plain index on columns is compared exactly as the model
/// holds it.
fn needs_server(index: &Index, table: &Table) -> bool {
    index.predicate.is_some()
        || index.method.is_some()
        || index.columns.iter().any(|part| {
            let name = part.strip_suffix(" DESC").unwrap_or(part);
            table.column(name).is_none()
        })
}

/// What of `schema` the server makes: what it reads in another form than the model
/// holds it (column types and defaults, checks, index expressions and predicates).
/// Keys are lists of names, compared exactly as the model holds them, so they are
/// left out; so are identities (PostgreSQL before 17 has none on a partitioned
/// table) and uniqueness (a partitioned table's unique index must hold its partition
/// key), which [`merge`] takes from the model.
fn scratch_model(schema: &Schema) -> Schema {
    let mut out = schema.clone();
    for table in out.tables.values_mut() {
        let plain = table.clone();
        table.unmodeled.clear();
        // A partitioned table has no storage to set; compared as the model holds it.
        table.options.storage.clear();
        table.primary_key = None;
        table.uniques.clear();
        table.foreign_keys.clear();
        // A partitioned table takes no exclusion constraint (before PostgreSQL 17);
        // compared as `canonical` writes the model's and `inspect` reads the
        // database's, through one parser.
        table.exclusions.clear();
        table.indexes.retain(|i| needs_server(i, &plain));
        for index in &mut table.indexes {
            index.unique = false;
            index.nulls_not_distinct = false;
            // Compared as the model holds them, like the keys' names.
            index.include.clear();
            index.storage.clear();
        }
        for column in &mut table.columns {
            column.auto_increment = false;
            column.generated_always = false;
        }
        // A partitioned table takes no `NO INHERIT` check: such a check is made
        // plain under a name that tells it, which [`merge`] gives back.
        for (i, check) in table.checks.iter_mut().enumerate() {
            if check.no_inherit {
                check.no_inherit = false;
                check.name = Some(no_inherit_name(i));
            }
        }
    }
    out
}

/// The name [`scratch_model`] gives the `i`-th check of a table, a `NO INHERIT` one.
fn no_inherit_name(i: usize) -> String {
    format!("wildebeest_no_inherit_{i}")
}

/// The statements that make [`scratch_model`] of `schema`, in order, as the runner
/// makes them (a type another database's file names is PostgreSQL's own,
/// `foreign_op`). Each table is partitioned (on whether its first column is NULL):
/// a partitioned table and its indexes have no storage, so making a thousand of them
/// writes no file, where a plain table with its TOAST table and indexes writes and
/// syncs several.
/// For the triggers' round (a partitioned table takes fewer kinds of trigger), the
/// tables are plain (`partitioned` false).
fn creation_sql(schema: &Schema, partitioned: bool) -> Result<Vec<String>, BackendError> {
    let target = scratch_model(schema);
    let mut before = Schema::default();
    let mut out = Vec::new();
    for op in diff(&before, &target, &Hints::default()) {
        let op = foreign_op(op);
        let mut sql = render_op(&op, &before).map_err(|e| {
            BackendError::new(format!(
                "cannot write {} to read it back from the server: {e}",
                op.describe()
            ))
        })?;
        // A table partitioned already, or a partition (made as its parent's), as it is.
        let partitioning =
            |t: &Table| t.options.partition_by.is_some() || t.options.partition_of.is_some();
        if let (Op::CreateTable(table), Some(create), true) = (&op, sql.first_mut(), partitioned)
            && !partitioning(table)
            && let Some(first) = table.columns.first()
        {
            create.push_str(&format!(
                " PARTITION BY LIST (({} IS NULL))",
                quote_ident(&first.name)
            ));
        }
        out.extend(sql);
        op.apply(&mut before)
            .map_err(|e| BackendError::new(format!("cannot follow {}: {e}", op.describe())))?;
    }
    Ok(out)
}

/// `model` with what the server read of it (`read`, from [`scratch_model`]): each
/// column's type, default and collation, each table's checks and each index the
/// server made; the rest as the model has it. Anything the server did not report
/// back is an error, never the model's form in its place.
fn merge(model: &Schema, read: &Schema) -> Result<Schema, BackendError> {
    let missing = |what: String| {
        BackendError::new(format!(
            "the server did not report {what} back from the scratch schema"
        ))
    };
    let mut out = model.clone();
    for (signature, routine) in &mut out.routines {
        *routine = read
            .routines
            .get(signature)
            .cloned()
            .ok_or_else(|| missing(format!("{} `{signature}`", routine.kind.word())))?;
    }
    for (name, domain) in &mut out.domains {
        *domain = read
            .domains
            .get(name)
            .cloned()
            .ok_or_else(|| missing(format!("domain `{name}`")))?;
    }
    for (name, t) in &mut out.types {
        *t = read
            .types
            .get(name)
            .cloned()
            .ok_or_else(|| missing(format!("type `{name}`")))?;
    }
    for (key, trigger) in &mut out.triggers {
        *trigger =
            read.triggers.get(key).cloned().ok_or_else(|| {
                missing(format!("trigger `{}` on `{}`", trigger.name, trigger.table))
            })?;
    }
    for (key, policy) in &mut out.policies {
        let got = read
            .policies
            .get(key)
            .ok_or_else(|| missing(format!("policy `{}` on `{}`", policy.name, policy.table)))?;
        policy.roles = got.roles.clone();
        policy.using = got.using.clone();
        policy.check = got.check.clone();
    }
    for (key, rule) in &mut out.rules {
        *rule = read
            .rules
            .get(key)
            .cloned()
            .ok_or_else(|| missing(format!("rule `{}` on `{}`", rule.name, rule.table)))?;
    }
    for (name, view) in &mut out.views {
        *view = read
            .views
            .get(name)
            .cloned()
            .ok_or_else(|| missing(format!("view `{name}`")))?;
    }
    for (name, table) in &mut out.tables {
        let made = read
            .tables
            .get(name)
            .ok_or_else(|| missing(format!("table `{name}`")))?;
        for column in &mut table.columns {
            let got = made
                .column(&column.name)
                .ok_or_else(|| missing(format!("column `{name}.{}`", column.name)))?;
            column.ty = got.ty.clone();
            column.default = got.default.clone();
            column.collation = got.collation.clone();
            column.generated = got.generated.clone();
        }
        table.checks = made.checks.clone();
        let own = model.tables.get(name).map_or(&[][..], |t| &t.checks[..]);
        for check in &mut table.checks {
            let Some(i) =
                (0..own.len()).find(|i| check.name.as_deref() == Some(&no_inherit_name(*i)))
            else {
                continue;
            };
            check.name = own[i].name.clone();
            check.no_inherit = true;
        }
        table.normalize();
        // The partition key and bound as the server prints them (a table the model
        // does not partition is partitioned there only to have no storage).
        if table.options.partition_by.is_some() {
            table.options.partition_by = made.options.partition_by.clone();
        }
        if table.options.partition_of.is_some() {
            table.options.partition_of = made.options.partition_of.clone();
        }
        let original = model
            .tables
            .get(name)
            .cloned()
            .unwrap_or_else(|| table.clone());
        for index in &mut table.indexes {
            if !needs_server(index, &original) {
                continue;
            }
            let got = made
                .indexes
                .iter()
                .find(|i| i.name == index.name)
                .ok_or_else(|| missing(format!("index `{}`", index.name)))?;
            index.columns = got.columns.clone();
            index.predicate = got.predicate.clone();
            index.method = got.method.clone();
        }
    }
    Ok(out)
}

/// A schema name no other run uses: the process and the time.
fn scratch_name() -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    format!("wildebeest_scratch_{}_{nanos:x}", std::process::id())
}

/// `schema` as the server reports it; `app_schema` is the schema the application
/// lives in, searched after the scratch schema (with `public`) so that types and
/// functions the migrations made there or extensions installed are found as they
/// are by the live schema's objects.
pub(crate) fn server_form(
    client: &mut Client,
    app_schema: &str,
    schema: &Schema,
) -> Result<ServerForm, BackendError> {
    let names: Vec<&String> = schema.tables.keys().collect();
    let mut read = Schema::default();
    // An aggregate is made from its normalized form, which names its support
    // functions unqualified: those the model makes are the scratch schema's, not
    // the live schema's that its definition may name (`SFUNC = public.f`, as pg_dump
    // writes it).
    let routines: std::collections::BTreeMap<String, Routine> = schema
        .routines
        .iter()
        .map(|(k, r)| {
            let mut r = r.clone();
            if r.kind == RoutineKind::Aggregate {
                r.definition = r.normalized.clone();
            }
            (k.clone(), r)
        })
        .collect();
    // The sequences a table's defaults may draw from, without their owners (whose
    // tables may be in another round); the model's own are kept as they are: they
    // hold every option as the server resolves it.
    let unowned: std::collections::BTreeMap<_, _> = schema
        .sequences
        .iter()
        .map(|(n, s)| (n.clone(), s.unowned()))
        .collect();
    // Every round makes the routines, domains, composite and range types too, which a
    // table's defaults and checks may call and its columns use; a schema of those
    // alone has a round of its own.
    let mut rounds: Vec<&[&String]> = names.chunks(TABLES_PER_ROUND).collect();
    if rounds.is_empty()
        && !(schema.routines.is_empty() && schema.domains.is_empty() && schema.types.is_empty())
    {
        rounds.push(&[]);
    }
    for round in rounds {
        let mut part = Schema {
            enums: schema.enums.clone(),
            extensions: schema.extensions.clone(),
            routines: routines.clone(),
            domains: schema.domains.clone(),
            types: schema.types.clone(),
            sequences: unowned.clone(),
            ..Schema::default()
        };
        for name in round {
            if let Some(table) = schema.tables.get(name.as_str()) {
                part.tables.insert((*name).clone(), table.clone());
            }
        }
        with_parents(schema, &mut part);
        match read_round(client, app_schema, &part)? {
            Ok(made) => {
                read.routines = made.routines;
                read.domains = made.domains;
                read.types = made.types;
                for (name, table) in made.tables.into_map() {
                    read.tables.insert(name, table);
                }
            }
            Err(why) => return Ok(ServerForm::Unavailable(why)),
        }
    }
    // The views in a round of their own, with the tables they read.
    if !schema.views.is_empty() {
        let mut part = Schema {
            enums: schema.enums.clone(),
            views: schema.views.clone(),
            extensions: schema.extensions.clone(),
            routines: routines.clone(),
            domains: schema.domains.clone(),
            types: schema.types.clone(),
            sequences: unowned.clone(),
            ..Schema::default()
        };
        let unknown = schema.views.values().any(|v| {
            v.reads
                .iter()
                .any(|r| !schema.tables.contains_key(r) && !schema.views.contains_key(r))
        });
        for (name, table) in &schema.tables {
            if unknown || schema.views.values().any(|v| v.reads_table(name)) {
                part.tables.insert(name.clone(), table.clone());
            }
        }
        with_parents(schema, &mut part);
        match read_round(client, app_schema, &part)? {
            Ok(made) => read.views = made.views,
            Err(why) => return Ok(ServerForm::Unavailable(why)),
        }
    }
    // The triggers, policies and rules in a round of their own, with the plain
    // tables they are on (every table and view when a trigger is on a view or names
    // another table, or there is a rule, whose commands name tables and views).
    if !(schema.triggers.is_empty() && schema.policies.is_empty() && schema.rules.is_empty()) {
        let all = schema
            .triggers
            .values()
            .any(|t| !schema.tables.contains_key(&t.table) || t.constraint)
            || !schema.policies.is_empty()
            || !schema.rules.is_empty();
        let mut part = Schema {
            enums: schema.enums.clone(),
            extensions: schema.extensions.clone(),
            routines: routines.clone(),
            domains: schema.domains.clone(),
            types: schema.types.clone(),
            triggers: schema.triggers.clone(),
            policies: schema.policies.clone(),
            rules: schema.rules.clone(),
            ..Schema::default()
        };
        if all {
            part.views = schema.views.clone();
            part.sequences = unowned.clone();
        }
        for (name, table) in &schema.tables {
            if all
                || schema.triggers.values().any(|t| t.table == *name)
                || schema.policies.values().any(|p| p.table == *name)
            {
                part.tables.insert(name.clone(), table.clone());
            }
        }
        match read_round_as(client, app_schema, &part, false)? {
            Ok(made) => {
                read.triggers = made.triggers;
                read.policies = made.policies;
                read.rules = made.rules;
            }
            Err(why) => return Ok(ServerForm::Unavailable(why)),
        }
    }
    let mut out = merge(schema, &read)?;
    drop_default_comments(client, &mut out)?;
    Ok(ServerForm::Read(Box::new(out)))
}

/// Takes off the comments the server gives by itself, which `inspect` reads as none:
/// an extension's from its control file, the `public` schema's own.
fn drop_default_comments(client: &mut Client, schema: &mut Schema) -> Result<(), BackendError> {
    let mut gone = Vec::new();
    for (on, text) in &schema.comments {
        let default = match on {
            CommentOn::Extension(name) => client
                .query_opt(
                    "SELECT comment FROM pg_available_extensions WHERE name = $1",
                    &[name],
                )
                .map_err(|e| {
                    BackendError::new(format!(
                        "cannot read extension `{name}`'s comment: {}",
                        db_message(&e)
                    ))
                })?
                .and_then(|row| row.get::<_, Option<String>>(0)),
            CommentOn::Schema => Some("standard public schema".to_string()),
            _ => None,
        };
        if default.as_ref() == Some(text) {
            gone.push(on.clone());
        }
    }
    for on in gone {
        schema.comments.remove(&on);
    }
    Ok(())
}

/// `part` with the partitioned table of each of its partitions, up to the top: a
/// partition is made as one of its parent, which must be there.
fn with_parents(schema: &Schema, part: &mut Schema) {
    loop {
        let missing: Vec<String> = part
            .tables
            .values()
            .filter_map(|t| t.options.partition_of.as_ref())
            .map(|of| of.parent.clone())
            .filter(|p| !part.tables.contains_key(p) && schema.tables.contains_key(p))
            .collect();
        if missing.is_empty() {
            return;
        }
        for name in missing {
            if let Some(t) = schema.tables.get(&name) {
                part.tables.insert(name, t.clone());
            }
        }
    }
}

/// How many tables one scratch transaction makes. Every object a transaction makes
/// holds a lock until it ends (about three a table), and PostgreSQL's lock table is
/// shared by every session (`max_locks_per_transaction` times the connections:
/// 6,400 slots by default, with some slack), so one transaction making ten thousand
/// tables could leave the application's own sessions "out of shared memory". Five
/// hundred tables a round hold about 1,500 locks; each round is rolled back before
/// the next begins.
const TABLES_PER_ROUND: usize = 500;

/// What the server reads of `schema` (a round of [`server_form`]'s tables, with
/// every enum type), made in a scratch schema in a transaction rolled back; `Err`
/// with the reason when the user may not make one.
fn read_round(
    client: &mut Client,
    app_schema: &str,
    schema: &Schema,
) -> Result<Result<Schema, String>, BackendError> {
    read_round_as(client, app_schema, schema, true)
}

/// [`read_round`], with the tables partitioned or plain ([`creation_sql`]).
fn read_round_as(
    client: &mut Client,
    app_schema: &str,
    schema: &Schema,
    partitioned: bool,
) -> Result<Result<Schema, String>, BackendError> {
    let statements = creation_sql(schema, partitioned)?;
    let scratch = scratch_name();
    let mut tx = client.transaction().map_err(|e| {
        BackendError::new(format!(
            "cannot open a transaction to read back the schema the migrations make: {}",
            db_message(&e)
        ))
    })?;
    if let Err(e) = tx.batch_execute(&format!("CREATE SCHEMA {}", quote_ident(&scratch))) {
        if e.code() == Some(&SqlState::INSUFFICIENT_PRIVILEGE) {
            return Ok(Err(format!(
                "the user may not create a schema in this database ({}), where `check` \
                 makes the migrations' schema in a transaction it rolls back",
                db_message(&e)
            )));
        }
        return Err(BackendError::new(format!(
            "cannot create a scratch schema to read back the schema the migrations make: {}",
            db_message(&e)
        )));
    }
    let mut path = vec![quote_ident(&scratch), quote_ident(app_schema)];
    if app_schema != "public" {
        path.push("public".into());
    }
    // What an extension of another schema brings is found there.
    for home in schema
        .extensions
        .values()
        .filter_map(|e| e.schema.as_deref())
    {
        let home = quote_ident(home);
        if !path.contains(&home) {
            path.push(home);
        }
    }
    // A SQL function's body is not checked when it is made, as pg_dump makes it:
    // it may read a table made after it, or one of another round.
    let setup = format!(
        "SET LOCAL search_path TO {}; SET LOCAL check_function_bodies = off",
        path.join(", ")
    );
    tx.batch_execute(&setup).map_err(|e| {
        BackendError::new(format!("cannot set the search path: {}", db_message(&e)))
    })?;
    // One round trip for the whole schema; on an error, the statement is found again
    // one by one in a savepoint, so that the message names it.
    if let Err(e) = tx.batch_execute(&statements.join(";\n")) {
        let first = db_message(&e);
        drop(tx);
        return Err(failing_statement(
            client,
            &scratch,
            &setup,
            &statements,
            first,
        ));
    }
    let read = inspect::read_in(&mut tx, &scratch)?;
    tx.rollback().map_err(|e| {
        BackendError::new(format!(
            "cannot roll back the scratch schema: {}",
            db_message(&e)
        ))
    })?;
    Ok(Ok(read))
}

/// The error of the first statement of `statements` that fails, run one by one in a
/// transaction that is rolled back; `first` when none fails alone.
fn failing_statement(
    client: &mut Client,
    scratch: &str,
    setup: &str,
    statements: &[String],
    first: String,
) -> BackendError {
    let plain = |m: String| {
        BackendError::new(format!(
            "the schema the migrations make does not build on this server: {m}"
        ))
    };
    let Ok(mut tx) = client.transaction() else {
        return plain(first);
    };
    if tx
        .batch_execute(&format!("CREATE SCHEMA {}; {setup}", quote_ident(scratch)))
        .is_err()
    {
        return plain(first);
    }
    for sql in statements {
        if let Err(e) = tx.batch_execute(sql) {
            return BackendError::new(format!(
                "the schema the migrations make does not build on this server: {} \
                 (in `{}`)",
                db_message(&e),
                wildebeest_sql::comment_text(sql.lines().next().unwrap_or(sql))
            ));
        }
    }
    plain(first)
}
