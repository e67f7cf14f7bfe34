//! SQL text for model objects that every dialect spells the same way, apart from how
//! it quotes names: lists of names, `REFERENCES` clauses and table constraints.

use wildebeest_schema::{Constraint, FkAction, ForeignKey};

use crate::{Dialect, quote_ident};

/// `a, b, "c d"`.
pub fn ident_list(names: &[String], dialect: Dialect) -> String {
    names
        .iter()
        .map(|n| quote_ident(n, dialect))
        .collect::<Vec<_>>()
        .join(", ")
}

/// `REFERENCES t (a) [ON DELETE ..] [ON UPDATE ..] [DEFERRABLE INITIALLY ..]`, leaving
/// out `NOT DEFERRABLE`, an [`FkAction::Unspecified`] action, and `NO ACTION` but on
/// MySQL, where MariaDB would store no clause as `RESTRICT`. MySQL has no deferral,
/// so it is left out there.
pub fn references(fk: &ForeignKey, dialect: Dialect) -> String {
    let mut out = format!("REFERENCES {}", quote_ident(&fk.ref_table, dialect));
    if !fk.ref_columns.is_empty() {
        out.push_str(&format!(" ({})", ident_list(&fk.ref_columns, dialect)));
    }
    for (word, action) in [("DELETE", fk.on_delete), ("UPDATE", fk.on_update)] {
        let written = match action {
            FkAction::Unspecified => false,
            FkAction::NoAction => dialect == Dialect::Mysql,
            _ => true,
        };
        if written {
            out.push_str(&format!(" ON {word} {}", action.sql()));
        }
    }
    if let Some(words) = fk.deferral.sql().filter(|_| dialect != Dialect::Mysql) {
        out.push(' ');
        out.push_str(words);
    }
    out
}

/// A key's ` DEFERRABLE [INITIALLY ...]`, PostgreSQL's: nothing for the default, and
/// the words on SQLite too (which then refuses the statement rather than make an
/// immediate key); MySQL has no deferral, as for a foreign key.
fn key_deferral(deferral: wildebeest_schema::Deferral, dialect: Dialect) -> String {
    match deferral.sql() {
        Some(words) if dialect != Dialect::Mysql => format!(" {words}"),
        _ => String::new(),
    }
}

/// A table constraint named `name` (none: no `CONSTRAINT` clause):
/// `[CONSTRAINT n] PRIMARY KEY (a, b)`, `UNIQUE (..)`,
/// `FOREIGN KEY (..) REFERENCES t (..) [ON DELETE ..] [ON UPDATE ..]`, `CHECK (expr)
/// [NO INHERIT]`, `EXCLUDE USING gist (..)` (the last two PostgreSQL's, which the other
/// backends refuse before they render).
pub fn constraint_def(c: &Constraint, name: Option<&str>, dialect: Dialect) -> String {
    let body = match c {
        Constraint::PrimaryKey(pk) => format!(
            "PRIMARY KEY ({}){}",
            ident_list(&pk.columns, dialect),
            key_deferral(pk.deferral, dialect)
        ),
        Constraint::Unique(u) => format!(
            "UNIQUE ({}){}",
            ident_list(&u.columns, dialect),
            key_deferral(u.deferral, dialect)
        ),
        Constraint::ForeignKey(fk) => format!(
            "FOREIGN KEY ({}) {}",
            ident_list(&fk.columns, dialect),
            references(fk, dialect)
        ),
        Constraint::Check(ch) if ch.no_inherit => format!("CHECK ({}) NO INHERIT", ch.sql()),
        Constraint::Check(ch) => format!("CHECK ({})", ch.sql()),
        Constraint::Exclusion(x) => x.sql(|n| quote_ident(n, dialect)),
    };
    match name {
        Some(n) => format!("CONSTRAINT {} {body}", quote_ident(n, dialect)),
        None => body,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wildebeest_schema::{Deferral, Unique};

    #[test]
    fn constraints_quote_names_per_dialect() {
        let fk = ForeignKey {
            name: Some("fk one".into()),
            columns: vec!["dept id".into()],
            ref_table: "order".into(),
            ref_columns: vec!["id".into()],
            on_delete: FkAction::Cascade,
            on_update: FkAction::NoAction,
            deferral: Default::default(),
        };
        let c = Constraint::ForeignKey(fk);
        assert_eq!(
            constraint_def(&c, c.name(), Dialect::Postgres),
            r#"CONSTRAINT "fk one" FOREIGN KEY ("dept id") REFERENCES "order" (id) ON DELETE CASCADE"#
        );
        assert_eq!(
            constraint_def(&c, None, Dialect::Mysql),
            "FOREIGN KEY (`dept id`) REFERENCES `order` (id) ON DELETE CASCADE ON UPDATE NO ACTION"
        );
        let u = Constraint::Unique(Unique {
            deferral: Default::default(),
            name: None,
            columns: vec!["a".into(), "b".into()],
        });
        assert_eq!(constraint_def(&u, None, Dialect::Sqlite), "UNIQUE (a, b)");
    }

    #[test]
    fn no_action_is_written_only_on_mysql_and_unspecified_nowhere() {
        let fk = ForeignKey {
            name: None,
            columns: vec!["a".into()],
            ref_table: "p".into(),
            ref_columns: vec!["id".into()],
            on_delete: FkAction::NoAction,
            on_update: FkAction::Unspecified,
            deferral: Default::default(),
        };
        assert_eq!(references(&fk, Dialect::Postgres), "REFERENCES p (id)");
        assert_eq!(references(&fk, Dialect::Sqlite), "REFERENCES p (id)");
        // MariaDB stores a key without the clause as RESTRICT.
        assert_eq!(
            references(&fk, Dialect::Mysql),
            "REFERENCES p (id) ON DELETE NO ACTION"
        );
        let fk = ForeignKey {
            on_delete: FkAction::Restrict,
            ..fk
        };
        assert_eq!(
            references(&fk, Dialect::Mysql),
            "REFERENCES p (id) ON DELETE RESTRICT"
        );
    }

    #[test]
    fn deferral_follows_the_actions_except_in_mysql() {
        let fk = ForeignKey {
            name: None,
            columns: vec!["a".into()],
            ref_table: "p".into(),
            ref_columns: vec!["id".into()],
            on_delete: FkAction::Cascade,
            on_update: FkAction::Unspecified,
            deferral: Deferral::InitiallyDeferred,
        };
        let deferred = "REFERENCES p (id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED";
        assert_eq!(references(&fk, Dialect::Sqlite), deferred);
        assert_eq!(references(&fk, Dialect::Postgres), deferred);
        assert_eq!(
            references(&fk, Dialect::Mysql),
            "REFERENCES p (id) ON DELETE CASCADE"
        );
        let fk = ForeignKey {
            deferral: Deferral::InitiallyImmediate,
            ..fk
        };
        assert_eq!(
            references(&fk, Dialect::Postgres),
            "REFERENCES p (id) ON DELETE CASCADE DEFERRABLE INITIALLY IMMEDIATE"
        );
    }
}
