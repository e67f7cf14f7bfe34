//! What MySQL means by what a schema file says, written the one way the database
//! reports it back, so that `schema.sql` (a mysqldump one too) and an introspected
//! database give the same model:
//! - in expressions (defaults, checks), backticks only where a name needs them,
//!   function names in lower case, and one name for MySQL's synonyms: `NOW()` as
//!   `CURRENT_TIMESTAMP`, `CURDATE()` as `CURRENT_DATE`, `LCASE` as `lower`
//!   ([`expr_text`]);
//! - a number's default written as a string (`'1.50'`) as the number, a decimal's
//!   without trailing zeros (`0.00` is `0`), a boolean's `0`/`1` as `false`/`true`
//!   ([`column`]);
//! - `SERIAL` as what MySQL makes of it: `BIGINT UNSIGNED NOT NULL AUTO_INCREMENT
//!   UNIQUE` ([`table`]);
//! - no index of its own for the one MySQL makes for a foreign key
//!   ([`drop_fk_indexes`]).
//!
//! Types are read as MySQL means them by `types::model_type`.

use wildebeest_schema::{AlterAction, Change, ColumnAlter, Constraint};
use wildebeest_schema::{Column, ColumnType, Table, Unique};

use crate::Dialect;
use crate::quote::quote_ident;

/// `text` (an expression's canonical text) written one way for what MySQL reads
/// alike, as it reports it back: backticks off names that need none, function names
/// in lower case (MySQL ignores their case and reports them so), and one name for
/// each of its synonyms ([`function`]). Strings are copied as they are.
pub(crate) fn expr_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        match c {
            '\'' | '"' => {
                let end = quoted_end(rest, c);
                out.push_str(&rest[..end]);
                rest = &rest[end..];
            }
            '`' => {
                let end = quoted_end(rest, '`');
                let inner = &rest[1..end.saturating_sub(1).max(1)];
                if end >= 2 && rest[..end].ends_with('`') {
                    out.push_str(&quote_ident(&inner.replace("``", "`"), Dialect::Mysql));
                } else {
                    out.push_str(&rest[..end]);
                }
                rest = &rest[end..];
            }
            c if c.is_alphanumeric() || c == '_' => {
                let end = rest
                    .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '$'))
                    .unwrap_or(rest.len());
                let (word, after) = rest.split_at(end);
                // A qualified name (`db.f()`) is no built-in function.
                let qualified = out.ends_with('.');
                match function(word, after).filter(|_| !qualified) {
                    Some((name, taken)) => {
                        out.push_str(&name);
                        rest = &after[taken..];
                    }
                    None => {
                        out.push_str(word);
                        rest = after;
                    }
                }
            }
            c => {
                out.push(c);
                rest = &rest[c.len_utf8()..];
            }
        }
    }
    out
}

/// MySQL's synonyms of one function, each group read as its first, the model's name
/// (MariaDB reports `lcase(x)` for `LOWER(x)`, `current_timestamp()` for `NOW()`).
const SYNONYMS: &[&[&str]] = &[
    &["lower", "lcase"],
    &["upper", "ucase"],
    &["length", "octet_length"],
    &["substr", "substring", "mid"],
    &["char_length", "character_length"],
    &["pow", "power"],
];

/// The time functions: the model's name (the SQL standard's keyword), the keywords
/// MySQL reads as it with or without brackets, the names it reads as it only in a
/// call, and whether it takes a precision. MariaDB reports `curdate()` for
/// `CURRENT_DATE`, `current_timestamp(6)` for `NOW(6)` and `current_timestamp()` for
/// `CURRENT_TIMESTAMP(0)`: the model writes the name with its precision unless that is
/// 0.
const TIME_FUNCTIONS: &[(&str, &[&str], &[&str], bool)] = &[
    (
        "CURRENT_TIMESTAMP",
        &["current_timestamp", "localtime", "localtimestamp"],
        &["now"],
        true,
    ),
    ("CURRENT_DATE", &["current_date"], &["curdate"], false),
    ("CURRENT_TIME", &["current_time"], &["curtime"], true),
];

/// Keywords that call a function without brackets, written with them as MySQL
/// reports them (`current_user()`).
const NILADIC: &[&str] = &["current_user", "utc_date", "utc_time", "utc_timestamp"];

/// The model's text of the word `word` followed by `after` when the word is a
/// function's name (a call, or a keyword that calls one), with how much of `after`
/// it takes; `None` for another word (a column's name, an operator).
fn function(word: &str, after: &str) -> Option<(String, usize)> {
    let lower = word.to_ascii_lowercase();
    let lower = lower.as_str();
    let called = after.starts_with('(');
    // The arguments when they are none or one number: `()`, `(6)`.
    let simple = after.strip_prefix('(').and_then(|args| {
        let digits = &args[..args.find(')')?];
        digits
            .bytes()
            .all(|b| b.is_ascii_digit())
            .then_some((digits, digits.len() + 2))
    });
    let time = TIME_FUNCTIONS
        .iter()
        .find(|(_, keywords, calls, _)| keywords.contains(&lower) || calls.contains(&lower));
    if let Some(&(name, keywords, _, precise)) = time {
        match simple {
            Some((digits, taken)) if precise || digits.is_empty() => {
                return Some(match digits.trim_start_matches('0') {
                    "" => (name.to_string(), taken),
                    p => (format!("{name}({p})"), taken),
                });
            }
            None if !called && keywords.contains(&lower) => return Some((name.to_string(), 0)),
            _ => {}
        }
    }
    if NILADIC.contains(&lower) {
        match simple {
            Some(("", taken)) => return Some((format!("{lower}()"), taken)),
            None if !called => return Some((format!("{lower}()"), 0)),
            _ => {}
        }
    }
    if !called {
        return None;
    }
    let name = SYNONYMS
        .iter()
        .find(|group| group.contains(&lower))
        .map_or(lower, |group| group[0]);
    Some((name.to_string(), 0))
}

/// The byte length of the quoted run at the start of `text` (quote `q`, doubled to
/// escape, a backslash escaping in strings), to the end of `text` if unclosed.
fn quoted_end(text: &str, q: char) -> usize {
    let mut chars = text.char_indices().skip(1).peekable();
    while let Some((i, c)) = chars.next() {
        if c == '\\' && q != '`' {
            chars.next();
        } else if c == q {
            if chars.peek().map(|&(_, d)| d) == Some(q) {
                chars.next();
            } else {
                return i + c.len_utf8();
            }
        }
    }
    text.len()
}

/// `column`'s default as MySQL stores it for its type (see the module docs).
pub(crate) fn column(column: &mut Column) {
    if let Some(d) = &column.default {
        column.default = Some(default_for(d, &column.ty));
    }
}

/// A default `d` (canonical text) of a column of type `ty`, as MySQL reports it.
fn default_for(d: &str, ty: &ColumnType) -> String {
    let numeric = ty.integer_range().is_some()
        || matches!(
            ty,
            ColumnType::Real | ColumnType::Double | ColumnType::Decimal { .. }
        );
    if !numeric {
        return d.to_string();
    }
    // A number written as a string: `'1.50'`.
    let unquoted = d
        .strip_prefix('\'')
        .and_then(|s| s.strip_suffix('\''))
        .filter(|s| is_number(s))
        .unwrap_or(d);
    if *ty == ColumnType::Boolean {
        match unquoted.to_ascii_lowercase().as_str() {
            "1" | "true" => return "true".into(),
            "0" | "false" => return "false".into(),
            _ => {}
        }
    }
    if matches!(ty, ColumnType::Decimal { .. }) && is_number(unquoted) {
        return strip_zeros(unquoted);
    }
    unquoted.to_string()
}

/// A plain decimal number: `-12`, `1.50`.
fn is_number(s: &str) -> bool {
    let digits = s.strip_prefix('-').unwrap_or(s);
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
    !whole.is_empty()
        && whole.bytes().all(|b| b.is_ascii_digit())
        && fraction.bytes().all(|b| b.is_ascii_digit())
}

/// `1.50` as `1.5`, `0.00` as `0`, `-0.0` as `0`.
pub(crate) fn strip_zeros(number: &str) -> String {
    if !number.contains('.') || !is_number(number) {
        return number.to_string();
    }
    let trimmed = number.trim_end_matches('0').trim_end_matches('.');
    if trimmed == "-0" {
        "0".to_string()
    } else {
        trimmed.to_string()
    }
}

/// MySQL's `SERIAL` type.
fn is_serial(ty: &ColumnType) -> bool {
    *ty == ColumnType::Custom("SERIAL".into())
}

/// A `SERIAL` column as what MySQL makes of it, but for the unique key: `BIGINT
/// UNSIGNED NOT NULL AUTO_INCREMENT`.
fn unserial(column: &mut Column) -> bool {
    if !is_serial(&column.ty) {
        return false;
    }
    column.ty = ColumnType::Custom("BIGINT UNSIGNED".into());
    column.nullable = false;
    column.auto_increment = true;
    true
}

/// The unique key a `SERIAL` column `name` gets, unless `table` has one on it (its
/// primary key alone, a unique constraint): MySQL names it after the column.
fn serial_key(table: &Table, name: &str) -> Option<Unique> {
    let alone = |cols: &[String]| cols.len() == 1 && cols[0] == name;
    let keyed = table
        .primary_key
        .as_ref()
        .is_some_and(|pk| alone(&pk.columns))
        || table.uniques.iter().any(|u| alone(&u.columns));
    (!keyed).then(|| Unique {
        deferral: Default::default(),
        name: Some(name.to_string()),
        columns: vec![name.to_string()],
    })
}

/// Removes from `table` each index that is exactly the one MySQL makes for a
/// foreign key (and keeps while the key needs it): not unique, on the key's columns
/// in order, named like the key (its name, or the `sql_name` the renderer gives an
/// unnamed one) or, as MySQL names it for a key declared without a name, like its
/// first column. Such an index comes and goes with its key (the MySQL backend drops
/// it with the key), so the model holds none of its own, whether it comes from a
/// schema file (mysqldump writes a `KEY` next to each `CONSTRAINT ... FOREIGN KEY`),
/// a migration or the database: otherwise `check` finds it missing, and a schema
/// file without it gives a `DROP INDEX` that MySQL refuses (error 1553).
pub fn drop_fk_indexes(table: &mut Table) {
    let snapshot = table.clone();
    table.indexes.retain(|ix| {
        !snapshot.foreign_keys.iter().any(|fk| {
            let name = Constraint::ForeignKey(fk.clone()).sql_name(&snapshot);
            let named = ix.name == name || fk.columns.first() == Some(&ix.name);
            named && !ix.unique && ix.predicate.is_none() && ix.columns == fk.columns
        })
    });
}

/// MariaDB's `JSON` columns, which it keeps (and `mysqldump` writes) as `LONGTEXT`
/// with a `CHECK (json_valid(c))` (and `utf8mb4_bin`): each becomes a `Json` column
/// without that check, character set or collation, the column the model holds for
/// `JSON`. MariaDB's inspection and a schema file use it alike.
pub fn mariadb_json(table: &mut Table) {
    let mut json = Vec::new();
    for col in &mut table.columns {
        let valid = format!("json_valid({})", quote_ident(&col.name, Dialect::Mysql));
        if col.ty == ColumnType::Custom("LONGTEXT".into())
            && table.checks.iter().any(|c| c.expr == valid)
        {
            col.ty = ColumnType::Json;
            (col.charset, col.collation) = (None, None);
            json.push(valid);
        }
    }
    table.checks.retain(|c| !json.contains(&c.expr));
}

/// A table of a MySQL schema file or `CREATE TABLE` as MySQL stores it (see the
/// module docs).
pub(crate) fn table(table: &mut Table) {
    mariadb_json(table);
    let mut serial = Vec::new();
    for col in &mut table.columns {
        if unserial(col) {
            serial.push(col.name.clone());
        }
        column(col);
    }
    for name in serial {
        if let Some(key) = serial_key(table, &name) {
            table.uniques.push(key);
        }
    }
}

/// A statement of a MySQL migration as MySQL carries it out (see the module docs): a
/// created table, an added column, and a default given with a type (`MODIFY`).
pub(crate) fn change(change: &mut Change) {
    match change {
        Change::CreateTable { table: t, .. } => {
            table(t);
            drop_fk_indexes(t);
        }
        Change::AlterTable { actions, .. } => {
            let mut types: Vec<(String, ColumnType)> = Vec::new();
            for action in actions {
                match action {
                    AlterAction::AddColumn {
                        column: col,
                        constraints,
                    } => {
                        if unserial(col) {
                            let alone = |cols: &[String]| cols.len() == 1 && cols[0] == col.name;
                            let keyed = constraints.iter().any(|c| match c {
                                Constraint::PrimaryKey(pk) => alone(&pk.columns),
                                Constraint::Unique(u) => alone(&u.columns),
                                _ => false,
                            });
                            if !keyed {
                                constraints.push(Constraint::Unique(Unique {
                                    deferral: Default::default(),
                                    name: Some(col.name.clone()),
                                    columns: vec![col.name.clone()],
                                }));
                            }
                        }
                        column(col);
                    }
                    AlterAction::AlterColumn {
                        column: name,
                        alter: ColumnAlter::SetType(ty, _),
                    } => {
                        if is_serial(ty) {
                            *ty = ColumnType::Custom("BIGINT UNSIGNED".into());
                        }
                        types.push((name.clone(), ty.clone()));
                    }
                    AlterAction::AlterColumn {
                        column: name,
                        alter: ColumnAlter::SetDefault(d),
                    } => {
                        if let Some((_, ty)) = types.iter().rev().find(|(n, _)| n == name) {
                            *d = default_for(d, ty);
                        }
                    }
                    _ => {}
                }
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expressions_are_written_as_mysql_reports_them() {
        for (text, want) in [
            ("`price` >= 0", "price >= 0"),
            (
                "`select` > 0 AND `two words` = 'a `b`'",
                "`select` > 0 AND `two words` = 'a `b`'",
            ),
            ("CURRENT_TIMESTAMP()", "CURRENT_TIMESTAMP"),
            ("current_timestamp()", "CURRENT_TIMESTAMP"),
            ("NOW()", "CURRENT_TIMESTAMP"),
            ("CURRENT_TIMESTAMP(3)", "CURRENT_TIMESTAMP(3)"),
            ("'now()'", "'now()'"),
            ("my_now()", "my_now()"),
            ("`unclosed", "`unclosed"),
            ("`", "`"),
            // Regression: function names differing in case, and MySQL's synonyms,
            // were different expressions, so `check` found MariaDB's spelling drifted.
            ("CHAR_LENGTH(h) > 2", "char_length(h) > 2"),
            ("UUID()", "uuid()"),
            ("CURRENT_DATE", "CURRENT_DATE"),
            ("curdate()", "CURRENT_DATE"),
            ("current_date()", "CURRENT_DATE"),
            ("curtime(2)", "CURRENT_TIME(2)"),
            ("current_time", "CURRENT_TIME"),
            ("LOCALTIMESTAMP", "CURRENT_TIMESTAMP"),
            ("localtime()", "CURRENT_TIMESTAMP"),
            ("now(6)", "CURRENT_TIMESTAMP(6)"),
            ("current_timestamp(0)", "CURRENT_TIMESTAMP"),
            ("CURRENT_USER", "current_user()"),
            ("UTC_TIMESTAMP(6)", "utc_timestamp(6)"),
            ("LCASE(a)", "lower(a)"),
            (
                "MID(a, 1, 2) = SUBSTRING(b, 1, 2)",
                "substr(a, 1, 2) = substr(b, 1, 2)",
            ),
            // Not functions: a column, a qualified or a user's function, a string.
            ("now + 1", "now + 1"),
            ("Curdate", "Curdate"),
            ("db.NOW()", "db.NOW()"),
            ("My_Fn(X)", "my_fn(X)"),
            ("'UUID()'", "'UUID()'"),
        ] {
            assert_eq!(expr_text(text), want, "{text}");
        }
    }

    #[test]
    fn defaults_are_what_mysql_stores_for_the_type() {
        let dec = ColumnType::Decimal {
            precision: Some(10),
            scale: Some(2),
        };
        for (d, ty, want) in [
            ("0.00", &dec, "0"),
            ("1.50", &dec, "1.5"),
            ("'1.50'", &dec, "1.5"),
            ("-0.50", &dec, "-0.5"),
            ("'1'", &ColumnType::Boolean, "true"),
            ("0", &ColumnType::Boolean, "false"),
            ("'5'", &ColumnType::Integer, "5"),
            ("'1.50'", &ColumnType::Varchar(Some(9)), "'1.50'"),
            ("'x'", &ColumnType::Integer, "'x'"),
        ] {
            assert_eq!(default_for(d, ty), want, "{d} {ty}");
        }
    }

    /// Regression: mysqldump's `KEY fk (a_id)` next to `CONSTRAINT fk FOREIGN KEY
    /// (a_id)` was an index of its own, which `check` found missing (the database
    /// reports none) and which a schema file without it dropped (MySQL refuses).
    #[test]
    fn the_index_mysql_makes_for_a_foreign_key_is_none_of_its_own() {
        use wildebeest_schema::{ForeignKey, Index};
        let fk = |name: Option<&str>, col: &str| ForeignKey {
            name: name.map(str::to_string),
            columns: vec![col.into()],
            ref_table: "a".into(),
            ref_columns: vec!["id".into()],
            on_delete: Default::default(),
            on_update: Default::default(),
            deferral: Default::default(),
        };
        let index = |name: &str, cols: &[&str], unique: bool| Index {
            hidden: None,
            name: name.into(),
            table: "b".into(),
            columns: cols.iter().map(|c| c.to_string()).collect(),
            unique,
            predicate: None,
            method: None,
            nulls_not_distinct: false,
            comment: None,
            include: Vec::new(),
            storage: Vec::new(),
            predicate_written: Default::default(),
        };
        let mut t = Table::new("b");
        t.foreign_keys = vec![
            fk(Some("fk_b_a"), "a_id"),
            fk(None, "c_id"),
            fk(Some("fk_d"), "d_id"),
            fk(Some("fk_e"), "e_id"),
        ];
        t.indexes = vec![
            index("fk_b_a", &["a_id"], false),
            index("b_c_id_fkey", &["c_id"], false),
            index("d_id", &["d_id"], false),
            // Not what MySQL makes for a key: kept.
            index("fk_e", &["e_id", "x"], false),
            index("e_id", &["e_id"], true),
            index("own", &["a_id"], false),
        ];
        drop_fk_indexes(&mut t);
        let kept: Vec<&str> = t.indexes.iter().map(|ix| ix.name.as_str()).collect();
        assert_eq!(kept, ["fk_e", "e_id", "own"]);
    }
}
