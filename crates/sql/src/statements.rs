//! A migration section to [`Statement`]s, each with the [`Change`] it makes, if the
//! model can follow it.
//!
//! Unlike `schema.sql`, a migration runs as written whatever the model understands of
//! it, so nothing here is an error except text that cannot even be split (an
//! unterminated string or comment): what the parser cannot read or the model cannot
//! hold becomes `change: None` with a warning.

use sqlparser::ast::{ObjectType, Statement as AstStatement};
use sqlparser::tokenizer::Token;
use wildebeest_schema::{AlterAction, Change, ColumnAlter, CommentOn, OptionsChange, PartitionOf};

use crate::comment::Target;
use crate::ddl::{self, Ctx, MysqlOption};
use crate::lex::{self, Pos, PosError};
use crate::parse::{self, Kind};
use crate::partition::{self, Partitioning};
use crate::routine;
use crate::sequence;
use crate::split::{self, Piece};
use crate::view;
use crate::{Dialect, SqlError, Statement, Warning, excerpt};

pub(crate) fn parse_statements(
    text: &str,
    file: &str,
    dialect: Dialect,
) -> Result<(Vec<Statement>, Vec<Warning>), SqlError> {
    let split = split::split(text, Some(dialect));
    if let Some(u) = split.unterminated {
        return Err(SqlError {
            file: file.to_string(),
            line: u.line,
            column: u.column,
            message: format!("unterminated {}", u.what),
        });
    }
    if let Some((line, column, message)) = split::delimiter_error(&split, dialect) {
        return Err(SqlError {
            file: file.to_string(),
            line,
            column,
            message,
        });
    }
    let mut warnings = Vec::new();
    let mut statements = Vec::new();
    for written in split.pieces {
        // MySQL runs what a versioned comment (`/*!50003 CREATE*/ ...`) holds: it is
        // read as code (positions kept) and runs as written.
        let piece = if dialect == Dialect::Mysql && written.text.starts_with("/*!") {
            Piece {
                text: crate::trigger::unwrap(&written.text, dialect),
                ..written.clone()
            }
        } else {
            written.clone()
        };
        let kind = parse::classify_in(&piece.text, dialect);
        // The model holds an event as its `CREATE EVENT`; a change in place is not
        // followed, so it is refused rather than passed over.
        if dialect == Dialect::Mysql && parse::leading_words(&piece.text, 2) == ["ALTER", "EVENT"] {
            return Err(SqlError {
                file: file.to_string(),
                line: piece.line,
                column: piece.column,
                message: "`ALTER EVENT` is not followed by the model: write a `DROP EVENT` \
                          and the whole `CREATE EVENT` instead"
                    .to_string(),
            });
        }
        let partitioning = (dialect == Dialect::Postgres)
            .then(|| partition::read(&piece, kind, "public"))
            .flatten();
        // MySQL's `ALTER TABLE` about partitions, which sqlparser does not read.
        let mysql_partitions = (dialect == Dialect::Mysql && kind == Kind::AlterTable)
            .then(|| crate::mysql_partition::read_alter(&piece))
            .flatten();
        let change = match (partitioning, mysql_partitions) {
            (_, Some(Ok(change))) => change.map(|(table, _, change)| Change::AlterTable {
                table,
                actions: vec![AlterAction::MysqlPartitions(change)],
            }),
            (_, Some(Err(e))) => {
                warnings.push(not_understood(&piece, Some(&e)));
                None
            }
            (partitioning, None) => match partitioning {
                Some(Ok(p)) => match partition_change(p, &mut warnings) {
                    Ok(change) => change,
                    Err(e) => {
                        warnings.push(not_understood(&piece, Some(&e)));
                        None
                    }
                },
                Some(Err(e)) => {
                    warnings.push(not_understood(&piece, Some(&e)));
                    None
                }
                None => match kind {
                    Kind::Data => None,
                    Kind::Other => match crate::comment::read_schema_block(&piece.text) {
                        Some(text) if dialect == Dialect::Postgres => Some(Change::Comment {
                            on: CommentOn::Schema,
                            text,
                        }),
                        _ => {
                            warnings.push(not_understood(&piece, None));
                            None
                        }
                    },
                    kind => match to_change(&piece, dialect, kind, &mut warnings) {
                        Ok(change) => change,
                        Err(e) => {
                            warnings.push(not_understood(&piece, Some(&e)));
                            None
                        }
                    },
                },
            },
        };
        statements.push(Statement {
            text: written.text,
            line: written.line,
            change,
        });
    }
    warnings.sort_by_key(|w| w.line);
    Ok((statements, warnings))
}

/// A `CREATE`, `ALTER` or `DROP SEQUENCE`, read as PostgreSQL's; `OWNER TO` changes
/// nothing the model holds. A name must be of the default schema.
fn sequence_change(piece: &Piece, kind: Kind) -> Result<Option<Change>, PosError> {
    let start = Pos {
        line: piece.line,
        column: piece.column,
    };
    let fail = |what: &str| PosError::new(start, what.to_string());
    let local = |q: &sequence::QName| {
        q.schema
            .as_deref()
            .is_none_or(|s| s == "public")
            .then(|| q.name.clone())
    };
    let other = |q: &sequence::QName| {
        PosError::new(
            start,
            format!(
                "sequence `{}` is in schema `{}`: only the default schema's are followed",
                q.name,
                q.schema.as_deref().unwrap_or_default()
            ),
        )
    };
    Ok(Some(match kind {
        Kind::CreateSequence => {
            let c = sequence::create_sequence(&piece.text).ok_or_else(|| {
                fail("a `CREATE SEQUENCE` with a form or option wildebeest does not read")
            })?;
            Change::CreateSequence {
                name: local(&c.name).ok_or_else(|| other(&c.name))?,
                options: c.options.model(local).map_err(|e| fail(&e))?,
                if_not_exists: c.if_not_exists,
            }
        }
        Kind::AlterSequence => {
            let (q, if_exists, action) = sequence::alter_sequence(&piece.text)
                .ok_or_else(|| fail("an `ALTER SEQUENCE` action wildebeest does not read"))?;
            let name = local(&q).ok_or_else(|| other(&q))?;
            match action {
                sequence::AlterSequence::Owner => return Ok(None),
                sequence::AlterSequence::Rename(to) => Change::RenameSequence {
                    from: name,
                    to,
                    if_exists,
                },
                sequence::AlterSequence::Options(o) => Change::AlterSequence {
                    name,
                    options: o.model(local).map_err(|e| fail(&e))?,
                    if_exists,
                },
            }
        }
        _ => {
            let (names, if_exists) = sequence::drop_sequence(&piece.text).ok_or_else(|| {
                fail("a `DROP SEQUENCE` wildebeest does not read (`CASCADE` is not followed)")
            })?;
            Change::DropSequence {
                names: names
                    .iter()
                    .map(|q| local(q).ok_or_else(|| other(q)))
                    .collect::<Result<_, _>>()?,
                if_exists,
            }
        }
    }))
}

/// PostgreSQL's `RESET (name, ...)` of a table's storage parameters, which the SQL
/// parser does not read, as the last action of an `ALTER TABLE`: the text before
/// `RESET` and the names, in lower case. Only plain names are taken.
fn reset_action(text: &str) -> Option<(&str, Vec<String>)> {
    let trimmed = text.trim_end().trim_end_matches(';').trim_end();
    let inner_end = trimmed.strip_suffix(')')?.len();
    let open = trimmed[..inner_end].rfind('(')?;
    let head = trimmed[..open].trim_end();
    let start = head.len().checked_sub("RESET".len())?;
    let word = head.get(start..)?;
    if !word.eq_ignore_ascii_case("RESET")
        || !head[..start]
            .chars()
            .next_back()
            .is_some_and(char::is_whitespace)
    {
        return None;
    }
    let names: Vec<String> = trimmed[open + 1..inner_end]
        .split(',')
        .map(|n| n.trim().to_ascii_lowercase())
        .collect();
    let plain = |n: &String| {
        n.chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
            && n.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
    };
    names
        .iter()
        .all(plain)
        .then_some((&trimmed[..start], names))
}

/// The change of a statement about partitions (`partition`): an attached or
/// detached partition changes its options; `CREATE INDEX ... ON ONLY` is read as any
/// `CREATE INDEX`; a partition's index attached to its parent's is no index of its
/// own any more.
fn partition_change(
    p: Partitioning,
    warnings: &mut Vec<Warning>,
) -> Result<Option<Change>, PosError> {
    Ok(Some(match p {
        Partitioning::Attach {
            parent,
            child,
            bound,
        } => Change::AlterTable {
            table: child.name,
            actions: vec![AlterAction::SetPartition(Some(PartitionOf {
                parent: parent.name,
                bound,
            }))],
        },
        Partitioning::Detach { child, .. } => Change::AlterTable {
            table: child.name,
            actions: vec![AlterAction::SetPartition(None)],
        },
        Partitioning::OnOnly(piece) => {
            return to_change(&piece, Dialect::Postgres, Kind::CreateIndex, warnings);
        }
        Partitioning::AttachIndex { child, .. } => Change::DropIndex {
            name: child.name,
            table: None,
            if_exists: true,
        },
    }))
}

/// PostgreSQL's identity actions, which the SQL parser does not read: `ALTER [COLUMN] c
/// SET GENERATED {ALWAYS | BY DEFAULT}` and `ALTER [COLUMN] c DROP IDENTITY [IF
/// EXISTS]`, as the last action of an `ALTER TABLE`. Returns the text before the
/// action's words and the action.
fn identity_action(text: &str) -> Option<(&str, ColumnAlter)> {
    const FORMS: [(&[&str], ColumnAlter); 4] = [
        (
            &["SET", "GENERATED", "ALWAYS"],
            ColumnAlter::SetGenerated { always: true },
        ),
        (
            &["SET", "GENERATED", "BY", "DEFAULT"],
            ColumnAlter::SetGenerated { always: false },
        ),
        (
            &["DROP", "IDENTITY", "IF", "EXISTS"],
            ColumnAlter::DropIdentity { if_exists: true },
        ),
        (
            &["DROP", "IDENTITY"],
            ColumnAlter::DropIdentity { if_exists: false },
        ),
    ];
    let trimmed = text.trim_end();
    for (words, alter) in FORMS {
        // Walk back over the words, each separated by white space.
        let mut end = trimmed.len();
        let mut matched = true;
        for word in words.iter().rev() {
            let head = trimmed[..end].trim_end();
            let Some(start) = head.len().checked_sub(word.len()) else {
                matched = false;
                break;
            };
            // `get` is `None` inside a character: no match there.
            let matches = head
                .get(start..)
                .is_some_and(|w| w.eq_ignore_ascii_case(word))
                && head[..start]
                    .chars()
                    .next_back()
                    .is_some_and(char::is_whitespace);
            if !matches {
                matched = false;
                break;
            }
            end = start;
        }
        if matched {
            return Some((&trimmed[..end], alter));
        }
    }
    None
}

/// MySQL's `ALTER TABLE t ALTER INDEX k INVISIBLE | VISIBLE` and MariaDB's `ALTER
/// TABLE t ALTER INDEX k IGNORED | NOT IGNORED` (one index, as wildebeest writes
/// them), which the SQL parser does not read. `None` when the statement is something
/// else.
fn mysql_alter_index(piece: &Piece) -> Option<Result<Change, PosError>> {
    let at = Pos {
        line: piece.line,
        column: piece.column,
    };
    let tokens = lex::tokenize(
        &piece.text,
        at,
        Dialect::Mysql,
        lex::sql_dialect(Dialect::Mysql),
    )
    .ok()?;
    let words: Vec<&Token> = tokens
        .iter()
        .map(|t| &t.token)
        .filter(|t| !lex::is_trivia(t) && **t != Token::EOF && **t != Token::SemiColon)
        .collect();
    let bare = |k: usize| words.get(k).and_then(|t| lex::bare_word(t));
    if bare(0)? != "ALTER" || bare(1)? != "TABLE" || bare(3)? != "ALTER" || bare(4)? != "INDEX" {
        return None;
    }
    let (Token::Word(table), Token::Word(index)) = (words.get(2)?, words.get(5)?) else {
        return None;
    };
    let rest: Vec<String> = (6..words.len()).filter_map(bare).collect();
    if rest.len() != words.len().saturating_sub(6) {
        return None;
    }
    let hidden = match rest
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .as_slice()
    {
        ["IGNORED"] => Some("IGNORED".to_string()),
        ["INVISIBLE"] => Some("INVISIBLE".to_string()),
        ["NOT", "IGNORED"] | ["VISIBLE"] => None,
        _ => return None,
    };
    Some(Ok(Change::AlterTable {
        table: table.value.clone(),
        actions: vec![AlterAction::IndexVisibility {
            index: index.value.clone(),
            hidden,
        }],
    }))
}

/// MySQL's `ALTER TABLE t` followed by table options only (`[DEFAULT] CHARSET=`,
/// `COLLATE=`, `COMMENT=`, `ENGINE=`, `AUTO_INCREMENT=`, or `CONVERT TO CHARACTER SET cs
/// [COLLATE c]`), which the SQL parser does not read in an `ALTER TABLE`: read as the
/// same options of a `CREATE TABLE`. `None` when the statement is something else.
fn mysql_alter_options(piece: &Piece) -> Option<Result<Change, PosError>> {
    let at = Pos {
        line: piece.line,
        column: piece.column,
    };
    let tokens = lex::tokenize(
        &piece.text,
        at,
        Dialect::Mysql,
        lex::sql_dialect(Dialect::Mysql),
    )
    .ok()?;
    let mut words = tokens
        .iter()
        .map(|t| &t.token)
        .filter(|t| !lex::is_trivia(t) && **t != Token::EOF);
    let mut name = Vec::new();
    if lex::bare_word(words.next()?)? != "ALTER" || lex::bare_word(words.next()?)? != "TABLE" {
        return None;
    }
    let mut rest: Vec<&Token> = words.collect();
    // The name: a word, or words joined by dots.
    while let Some(t) = rest.first() {
        let expected_word = name.len() % 2 == 0;
        match t {
            Token::Word(_) if expected_word => name.push((*t).clone()),
            Token::Period if !expected_word => name.push((*t).clone()),
            _ => break,
        }
        rest.remove(0);
    }
    if name.len() % 2 == 0 {
        return None;
    }
    const OPTION_WORDS: [&str; 8] = [
        "DEFAULT",
        "CHARSET",
        "CHARACTER",
        "COLLATE",
        "COMMENT",
        "ENGINE",
        "AUTO_INCREMENT",
        "CONVERT",
    ];
    let first = lex::bare_word(rest.first()?)?;
    if !OPTION_WORDS.contains(&first.as_str())
        && !ddl::OTHER_TABLE_OPTIONS.contains(&first.as_str())
    {
        return None;
    }
    let mut options: Vec<String> = rest
        .iter()
        .map(|t| match t {
            // Written back as MySQL reads it (the token holds the unescaped text).
            Token::SingleQuotedString(s) => {
                format!("'{}'", s.replace('\\', "\\\\").replace('\'', "''"))
            }
            other => other.to_string(),
        })
        .collect();
    let convert = first == "CONVERT";
    if convert {
        // `CONVERT TO CHARACTER SET` sets the table's default as `DEFAULT CHARACTER
        // SET` does (and converts the columns, which the model follows).
        if options.get(1).map(|w| w.to_ascii_uppercase()) != Some("TO".to_string()) {
            return None;
        }
        options.splice(0..2, ["DEFAULT".to_string()]);
    }
    let name: String = name.iter().map(ToString::to_string).collect();
    let surrogate = Piece {
        text: format!("CREATE TABLE {name} (c INT) {}", options.join(" ")),
        ..piece.clone()
    };
    let parsed = match parse::parse_piece(&surrogate, Dialect::Mysql, Kind::CreateTable) {
        Ok(parsed) => parsed,
        Err(_) => return None,
    };
    let sqlparser::ast::Statement::CreateTable(ct) = parsed else {
        return None;
    };
    let mut local = Vec::new();
    let mut ctx = Ctx {
        dialect: Dialect::Mysql,
        start: at,
        warnings: &mut local,
        pg_schema: "public",
    };
    let table = match ddl::object_name(&ct.name, &mut ctx) {
        Ok(n) => n.value,
        Err(e) => return Some(Err(e)),
    };
    let sqlparser::ast::CreateTableOptions::Plain(list) = &ct.table_options else {
        return None;
    };
    let mut change = OptionsChange::default();
    for option in list {
        match ddl::mysql_table_option(option)? {
            MysqlOption::Charset(v) => {
                change.charset = Some(v);
                // A new character set brings its own default collation.
                change.collation.get_or_insert(None);
            }
            MysqlOption::Collation(v) => change.collation = Some(v),
            MysqlOption::Comment(v) => change.comment = Some(v),
            MysqlOption::Engine(v) => change.engine = Some(v),
            MysqlOption::Counter => {}
            MysqlOption::Other(name, v) => change.mysql.push((name, v)),
        }
    }
    Some(Ok(Change::AlterTable {
        table,
        actions: vec![AlterAction::SetOptions(change)],
    }))
}

fn not_understood(piece: &Piece, why: Option<&PosError>) -> Warning {
    let why = why.map_or(String::new(), |e| {
        format!(
            " ({} at line {}, column {})",
            e.message, e.pos.line, e.pos.column
        )
    });
    Warning {
        line: piece.line,
        message: format!(
            "`{}` not understood{why}; it runs as written but the schema model does not see it",
            excerpt(&piece.text)
        ),
    }
}

/// Why a function or procedure is not modeled in `dialect`: SQLite has none.
pub(crate) fn routines_unmodeled(dialect: Dialect) -> &'static str {
    debug_assert_eq!(dialect, Dialect::Sqlite);
    "SQLite has no functions or procedures"
}

/// The change a DDL statement makes; `Ok(None)` when it makes none the model follows
/// (a warning says why), `Err` when it cannot be read or modeled.
fn to_change(
    piece: &Piece,
    dialect: Dialect,
    kind: Kind,
    warnings: &mut Vec<Warning>,
) -> Result<Option<Change>, PosError> {
    let start = Pos {
        line: piece.line,
        column: piece.column,
    };
    // Rules are read as PostgreSQL's in every dialect, so that SQLite and MySQL refuse
    // them by name when they plan them.
    if matches!(kind, Kind::CreateRule | Kind::DropRule | Kind::AlterRule) {
        let mut ctx = Ctx {
            dialect: Dialect::Postgres,
            start,
            warnings: &mut *warnings,
            pg_schema: "public",
        };
        return match kind {
            Kind::CreateRule => {
                let def = crate::rule::create_rule(piece, &mut ctx)?;
                Ok(Some(Change::CreateRule {
                    rule: def.rule,
                    or_replace: def.or_replace,
                }))
            }
            Kind::DropRule => crate::rule::drop_rule(piece, &mut ctx).map(Some),
            _ => crate::rule::rename_rule(piece, &mut ctx).map(Some),
        };
    }
    // Row-level security is read as PostgreSQL's in every dialect, so that SQLite and
    // MySQL refuse it by name when they plan it.
    if matches!(
        kind,
        Kind::CreatePolicy | Kind::AlterPolicy | Kind::DropPolicy | Kind::AlterTable
    ) {
        let mut ctx = Ctx {
            dialect: Dialect::Postgres,
            start,
            warnings: &mut *warnings,
            pg_schema: "public",
        };
        match kind {
            Kind::CreatePolicy => {
                let def = crate::policy::create_policy(piece, &mut ctx)?;
                return Ok(Some(Change::CreatePolicy(def.policy)));
            }
            Kind::AlterPolicy => return crate::policy::alter_policy(piece, &mut ctx).map(Some),
            Kind::DropPolicy => return crate::policy::drop_policy(piece, &mut ctx).map(Some),
            _ => {
                if let Some(found) = crate::policy::row_security(piece, &mut ctx) {
                    let c = found?;
                    return Ok(Some(Change::SetRowSecurity {
                        table: c.table,
                        enabled: c.enabled,
                        forced: c.forced,
                    }));
                }
            }
        }
    }
    if dialect == Dialect::Postgres
        && matches!(
            kind,
            Kind::CreateTrigger | Kind::DropTrigger | Kind::AlterTrigger | Kind::AlterTable
        )
    {
        let mut ctx = Ctx {
            dialect,
            start,
            warnings: &mut *warnings,
            pg_schema: "public",
        };
        match kind {
            Kind::CreateTrigger => {
                let def = crate::pg_trigger::create_trigger(piece, &mut ctx)?;
                return Ok(Some(Change::CreateTrigger {
                    trigger: def.trigger,
                    or_replace: def.or_replace,
                    if_not_exists: false,
                }));
            }
            Kind::DropTrigger => return crate::pg_trigger::drop_trigger(piece, &mut ctx).map(Some),
            Kind::AlterTrigger => {
                return crate::pg_trigger::alter_trigger(piece, &mut ctx).map(Some);
            }
            _ => {
                if let Some(found) = crate::pg_trigger::trigger_state(piece, &mut ctx) {
                    let c = found?;
                    return Ok(Some(Change::SetTriggerState {
                        table: c.table,
                        name: c.name,
                        state: c.state,
                    }));
                }
            }
        }
    }
    if kind == Kind::AlterTrigger {
        return Err(PosError::new(
            start,
            "`ALTER TRIGGER` is PostgreSQL's: SQLite and MySQL have none",
        ));
    }
    if kind == Kind::CreateTrigger {
        let def = crate::trigger::create_trigger(piece, dialect)?;
        if def.temporary {
            return Err(PosError::new(
                start,
                "a temporary trigger is not part of the schema",
            ));
        }
        return Ok(Some(Change::CreateTrigger {
            trigger: def.trigger,
            or_replace: def.or_replace,
            if_not_exists: def.if_not_exists,
        }));
    }
    if kind == Kind::DropTrigger {
        let (name, if_exists) = crate::trigger::drop_trigger(piece, dialect)?;
        return Ok(Some(Change::DropTrigger {
            name,
            table: None,
            if_exists,
        }));
    }
    if dialect == Dialect::Postgres
        && kind == Kind::AlterTable
        && let Some((prefix, alter)) = identity_action(&piece.text)
    {
        // Read with `DROP DEFAULT` in the action's place, for the names, then given
        // the action back.
        let surrogate = Piece {
            text: format!("{prefix}DROP DEFAULT"),
            ..piece.clone()
        };
        let mut local = Vec::new();
        // Otherwise the words were something else (`DROP identity`, a column so
        // named): the statement is read as it is.
        if let Ok(Some(Change::AlterTable { table, mut actions })) =
            to_change(&surrogate, dialect, kind, &mut local)
            && let Some(AlterAction::AlterColumn { alter: last, .. }) = actions.last_mut()
            && *last == ColumnAlter::DropDefault
        {
            *last = alter;
            warnings.extend(local);
            return Ok(Some(Change::AlterTable { table, actions }));
        }
    }
    if dialect == Dialect::Postgres
        && kind == Kind::AlterTable
        && let Some((prefix, names)) = reset_action(&piece.text)
    {
        // Read as `SET (name = 0, ...)`, for the table, then given back as resets.
        let set: Vec<String> = names.iter().map(|n| format!("{n} = 0")).collect();
        let surrogate = Piece {
            text: format!("{prefix}SET ({})", set.join(", ")),
            ..piece.clone()
        };
        let mut local = Vec::new();
        if let Ok(Some(Change::AlterTable { table, mut actions })) =
            to_change(&surrogate, dialect, kind, &mut local)
            && let Some(AlterAction::SetOptions(change)) = actions.last_mut()
        {
            for (_, value) in &mut change.storage {
                *value = None;
            }
            warnings.extend(local);
            return Ok(Some(Change::AlterTable { table, actions }));
        }
    }
    if dialect == Dialect::Postgres
        && kind == Kind::AlterTable
        && let Some(found) = sequence::identity_options(piece)
    {
        // `ADD GENERATED ... AS IDENTITY ( options )`, read as schema.sql reads it: the
        // statement without its options, which are PostgreSQL's own or not followed.
        let mut local = Vec::new();
        if let Ok(Some(Change::AlterTable { table, actions })) =
            to_change(&found.surrogate, dialect, kind, &mut local)
            && let Some(AlterAction::AlterColumn {
                column,
                alter: ColumnAlter::AddIdentity { .. },
            }) = actions.last()
        {
            if found
                .options
                .as_ref()
                .is_some_and(|o| o.plain_for_any_type(&table, column))
            {
                warnings.extend(local);
                return Ok(Some(Change::AlterTable { table, actions }));
            }
            return Err(PosError::new(
                start,
                format!(
                    "the model does not follow the identity options ({}), which are not \
                     PostgreSQL's defaults for the column",
                    found.text
                ),
            ));
        }
    }
    if dialect == Dialect::Mysql
        && kind == Kind::AlterTable
        && let Some(change) = mysql_alter_options(piece)
    {
        return change.map(Some);
    }
    if dialect == Dialect::Mysql
        && kind == Kind::AlterTable
        && let Some(change) = mysql_alter_index(piece)
    {
        return change.map(Some);
    }
    if matches!(kind, Kind::CreateRoutine | Kind::DropRoutine) && dialect == Dialect::Mysql {
        if kind == Kind::DropRoutine {
            return routine::drop_mysql_routine(piece).map(Some);
        }
        let def = routine::create_mysql_routine(piece)?;
        return Ok(Some(Change::CreateRoutine {
            routine: def.routine,
            or_replace: def.or_replace,
        }));
    }
    if matches!(kind, Kind::CreateRoutine | Kind::DropRoutine) {
        if dialect != Dialect::Postgres {
            return Err(PosError::new(start, routines_unmodeled(dialect)));
        }
        let mut ctx = Ctx {
            dialect,
            start,
            warnings,
            pg_schema: "public",
        };
        if kind == Kind::DropRoutine {
            return routine::drop_routine(piece, &mut ctx).map(Some);
        }
        let def = routine::create_routine(piece, &mut ctx)?;
        return Ok(Some(Change::CreateRoutine {
            routine: def.routine,
            or_replace: def.or_replace,
        }));
    }
    if matches!(kind, Kind::CreateView | Kind::AlterView) {
        let mut local = Vec::new();
        let mut ctx = Ctx {
            dialect,
            start,
            warnings: &mut local,
            pg_schema: "public",
        };
        let change = if kind == Kind::AlterView {
            rename_view(piece, &mut ctx)?
        } else {
            let def = view::create_view(piece, &mut ctx)?;
            if def.temporary {
                return Err(PosError::new(
                    start,
                    "a temporary view is not part of the schema",
                ));
            }
            Change::CreateView {
                view: def.view,
                or_replace: def.or_replace,
                if_not_exists: def.if_not_exists,
            }
        };
        warnings.extend(local);
        return Ok(Some(change));
    }
    // Read as PostgreSQL's whatever the file's database: another database refuses
    // the op by name when it plans it, before anything runs.
    if kind == Kind::CreateExtension {
        let (extension, _, if_not_exists) =
            crate::extension::create_extension(piece, Dialect::Postgres)?;
        return Ok(Some(Change::CreateExtension {
            extension,
            if_not_exists,
        }));
    }
    if kind == Kind::CreateType
        && let Some((t, _)) = crate::usertype::create_type(piece, Dialect::Postgres, "public")?
    {
        return Ok(Some(Change::CreateType(t)));
    }
    if kind == Kind::AlterType
        && let Some((name, _, actions)) =
            crate::usertype::alter_type(piece, Dialect::Postgres, "public")?
    {
        return Ok(Some(Change::AlterComposite { name, actions }));
    }
    if kind == Kind::CreateDomain {
        let (domain, _) = crate::domain::create_domain(piece, Dialect::Postgres, "public")?;
        return Ok(Some(Change::CreateDomain(domain)));
    }
    if kind == Kind::DropDomain {
        let (names, if_exists) = crate::domain::drop_domain(piece, Dialect::Postgres, "public")?;
        return Ok(Some(Change::DropDomain {
            names: names.into_iter().map(|(n, _)| n).collect(),
            if_exists,
        }));
    }
    if kind == Kind::AlterDomain {
        return Ok(
            crate::domain::alter_domain(piece, Dialect::Postgres, "public")?
                .map(|(name, _, action)| Change::AlterDomain { name, action }),
        );
    }
    if matches!(
        kind,
        Kind::CreateSequence | Kind::AlterSequence | Kind::DropSequence
    ) {
        return sequence_change(piece, kind);
    }
    if kind == Kind::DropExtension {
        let (names, if_exists) = crate::extension::drop_extension(piece, Dialect::Postgres)?;
        return Ok(Some(Change::DropExtension {
            names: names.into_iter().map(|(n, _)| n).collect(),
            if_exists,
        }));
    }
    if kind == Kind::Comment {
        // Read as PostgreSQL's in any file, as an extension is: another database
        // refuses a comment op by name when it plans it (`Op::postgres_only_part`).
        // A table's or a column's comment stays refused here on the others, which
        // write theirs in the definition.
        let mut ctx = Ctx {
            dialect: Dialect::Postgres,
            start,
            warnings,
            pg_schema: "public",
        };
        let comment = crate::comment::comment_on(piece, &mut ctx)?;
        if dialect != Dialect::Postgres && !matches!(comment.target, Target::Other(..)) {
            ctx.dialect = dialect;
            crate::comment::comment_on(piece, &mut ctx)?;
        }
        return Ok(Some(match comment.target {
            Target::Table(table) => Change::AlterTable {
                table: table.value,
                actions: vec![AlterAction::SetOptions(OptionsChange {
                    comment: Some(comment.text),
                    ..OptionsChange::default()
                })],
            },
            // A table's or a view's: the change tells them apart where it applies.
            Target::Column { relation, column } => Change::Comment {
                on: CommentOn::ViewColumn {
                    view: relation.value,
                    column: column.value,
                },
                text: comment.text,
            },
            Target::Other(on, _) => Change::Comment {
                on,
                text: comment.text,
            },
        }));
    }
    // An identity column's options in a `CREATE TABLE` are read apart, as in schema.sql.
    let columns = (dialect == Dialect::Postgres && kind == Kind::CreateTable)
        .then(|| sequence::create_table_identities(piece))
        .flatten();
    let read = columns.as_ref().map_or(piece, |(blanked, _)| blanked);
    let parsed = parse::parse_piece(read, dialect, kind)?;
    // Warnings of a statement that turns out not to be modeled are replaced by the
    // one that says so.
    let mut local = Vec::new();
    let mut ctx = Ctx {
        dialect,
        start,
        warnings: &mut local,
        pg_schema: "public",
    };
    let mut change = match parsed {
        AstStatement::CreateTable(ct) if ct.temporary => {
            return Err(PosError::new(
                start,
                "a temporary table is not part of the schema",
            ));
        }
        AstStatement::CreateTable(ct) => {
            let identities = columns.as_ref().map_or(&[][..], |(_, c)| c);
            let def = ddl::create_table(&ct, identities, &mut ctx)?;
            for (line, what) in &def.unmodeled {
                ddl::warn_unmodeled(&mut ctx, &def.table.name, *line, what);
            }
            let mut table = def.table;
            if !def.indexes.is_empty() {
                table
                    .indexes
                    .extend(def.indexes.into_iter().map(|ix| ix.index));
                table.normalize();
            }
            Change::CreateTable {
                table,
                if_not_exists: def.if_not_exists,
            }
        }
        AstStatement::CreateIndex(ci) => {
            let def = ddl::create_index(&ci, &mut ctx)?;
            Change::CreateIndex {
                index: def.index,
                if_not_exists: def.if_not_exists,
            }
        }
        AstStatement::AlterTable(at) => {
            let (table, actions) = ddl::alter_table(&at, &mut ctx)?;
            Change::AlterTable {
                table: table.value,
                actions: actions.into_iter().map(|a| a.action).collect(),
            }
        }
        AstStatement::CreateType {
            name,
            representation,
        } => {
            let (name, labels) = ddl::create_enum(&name, representation.as_ref(), &mut ctx)?;
            Change::CreateEnum {
                name: name.value,
                labels,
            }
        }
        AstStatement::AlterType(at) => ddl::alter_type(&at, &mut ctx)?,
        AstStatement::Drop {
            object_type,
            if_exists,
            names,
            cascade,
            table,
            ..
        } if matches!(
            object_type,
            ObjectType::Table | ObjectType::Index | ObjectType::Type
        ) =>
        {
            if object_type == ObjectType::Type && dialect != Dialect::Postgres {
                return Err(PosError::new(
                    start,
                    "enum, composite and range types are PostgreSQL's: the model follows them in PostgreSQL files only",
                ));
            }
            let [name] = names.as_slice() else {
                return Err(PosError::new(
                    start,
                    "a statement that drops several objects is not modeled; drop one per statement",
                ));
            };
            let name = ddl::object_name(name, &mut ctx)?.value;
            if cascade {
                ctx.warn(piece.line, "CASCADE may drop other objects (views, foreign keys) the model does not follow");
            }
            match object_type {
                ObjectType::Table => Change::DropTable { name, if_exists },
                ObjectType::Type => Change::DropEnum { name, if_exists },
                _ => Change::DropIndex {
                    name,
                    table: match &table {
                        Some(t) => Some(ddl::object_name(t, &mut ctx)?.value),
                        None => None,
                    },
                    if_exists,
                },
            }
        }
        AstStatement::Drop {
            object_type: ObjectType::View | ObjectType::MaterializedView,
            if_exists,
            names,
            cascade,
            ..
        } => {
            if cascade {
                ctx.warn(
                    piece.line,
                    "CASCADE may drop other objects (views that read these) the model does not follow",
                );
            }
            let names = names
                .iter()
                .map(|n| ddl::object_name(n, &mut ctx).map(|n| n.value))
                .collect::<Result<Vec<_>, _>>()?;
            Change::DropView { names, if_exists }
        }
        _ => {
            return Err(PosError::new(
                start,
                "not a statement of the kind its first words say",
            ));
        }
    };
    if dialect == Dialect::Mysql {
        crate::mysql::change(&mut change);
    }
    warnings.extend(local);
    Ok(Some(change))
}

/// `ALTER VIEW [IF EXISTS] name RENAME TO new` (PostgreSQL), which the SQL parser
/// does not read; any other `ALTER VIEW` is not followed.
fn rename_view(piece: &Piece, ctx: &mut Ctx<'_>) -> Result<Change, PosError> {
    let start = ctx.start;
    let not_followed = || {
        PosError::new(
            start,
            "only `ALTER VIEW ... RENAME TO` is followed among the `ALTER VIEW` statements",
        )
    };
    let tokens = lex::tokenize(
        &piece.text,
        start,
        ctx.dialect,
        lex::sql_dialect(ctx.dialect),
    )?;
    let words: Vec<&Token> = tokens
        .iter()
        .map(|t| &t.token)
        .filter(|t| !lex::is_trivia(t) && !matches!(t, Token::EOF | Token::SemiColon))
        .collect();
    let word = |t: &Token| lex::bare_word(t);
    let mut rest = words.as_slice();
    for expected in ["ALTER", "VIEW"] {
        match rest.split_first() {
            Some((t, r)) if word(t).as_deref() == Some(expected) => rest = r,
            _ => return Err(not_followed()),
        }
    }
    let mut if_exists = false;
    if rest.len() > 2
        && word(rest[0]).as_deref() == Some("IF")
        && word(rest[1]).as_deref() == Some("EXISTS")
    {
        if_exists = true;
        rest = &rest[2..];
    }
    let Some(at) = rest
        .iter()
        .position(|t| word(t).as_deref() == Some("RENAME"))
    else {
        return Err(not_followed());
    };
    let (name, tail) = rest.split_at(at);
    let [_, to_word, new @ ..] = tail else {
        return Err(not_followed());
    };
    if word(to_word).as_deref() != Some("TO") {
        return Err(not_followed());
    }
    let last_name = |parts: &[&Token]| -> Option<String> {
        let idents: Vec<&str> = parts
            .iter()
            .filter(|t| **t != &Token::Period)
            .map(|t| match t {
                Token::Word(w) => Some(w.value.as_str()),
                _ => None,
            })
            .collect::<Option<_>>()?;
        match idents.as_slice() {
            [one] => Some((*one).to_string()),
            [q, one] if *q == "public" || *q == ctx.pg_schema => Some((*one).to_string()),
            _ => None,
        }
    };
    let (Some(from), Some(to)) = (last_name(name), last_name(new)) else {
        return Err(not_followed());
    };
    if if_exists {
        ctx.warn(
            piece.line,
            "`IF EXISTS` of `ALTER VIEW` is not followed: the model renames the view it has",
        );
    }
    Ok(Change::RenameView { from, to })
}
