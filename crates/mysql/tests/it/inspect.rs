//! The model, rendered and run, reads back as itself.

use wildebeest_mysql::stored_type;
use wildebeest_runner::{Backend, ServerForm};
use wildebeest_schema::{ColumnType, FkAction, Hints, diff};

use crate::util::{assert_synced, schema, test_db};

/// A schema of portable types and every kind of constraint and index.
pub const RICH: &str = "
CREATE TABLE teams (
    id INT NOT NULL,
    name VARCHAR(100) NOT NULL,
    budget DECIMAL(12, 2) DEFAULT 0,
    active BOOLEAN NOT NULL DEFAULT TRUE,
    PRIMARY KEY (id),
    UNIQUE (name)
);
CREATE TABLE people (
    id BIGINT NOT NULL AUTO_INCREMENT,
    team_id INT,
    email VARCHAR(200) NOT NULL,
    nick CHAR(8) COLLATE utf8mb4_bin,
    score SMALLINT DEFAULT -1,
    ratio DOUBLE,
    weight REAL DEFAULT 1.5,
    bio TEXT,
    photo BLOB,
    born DATE DEFAULT '2000-01-01',
    wakes TIME,
    seen TIMESTAMP NULL DEFAULT CURRENT_TIMESTAMP,
    prefs JSON,
    note VARCHAR(20) DEFAULT 'it''s',
    code VARCHAR(10) DEFAULT (lower('X')),
    PRIMARY KEY (id),
    CONSTRAINT people_email UNIQUE (email),
    FOREIGN KEY (team_id) REFERENCES teams (id) ON DELETE SET NULL ON UPDATE CASCADE,
    CHECK (score >= -1),
    CONSTRAINT email_has_at CHECK (email LIKE '%@%'),
    CHECK (char_length(nick) > 0 AND ratio <> 0)
);
CREATE INDEX people_team_email ON people (team_id, email DESC);
CREATE INDEX people_born ON people (born);
CREATE TABLE memberships (
    person_id BIGINT NOT NULL,
    team_id INT NOT NULL,
    role VARCHAR(20) NOT NULL DEFAULT 'member',
    PRIMARY KEY (person_id, team_id),
    FOREIGN KEY (person_id) REFERENCES people (id) ON DELETE CASCADE,
    CONSTRAINT membership_team FOREIGN KEY (team_id) REFERENCES teams (id),
    UNIQUE (team_id, role, person_id)
);
CREATE TABLE `order` (`select` INT, `two words` VARCHAR(5) DEFAULT 'a b', UNIQUE (`two words`));
";

#[test]
fn a_rich_portable_schema_reads_back_as_itself() {
    let mut db = test_db!();
    let model = schema(RICH);
    db.create(&model);
    let mut backend = db.backend();
    assert_synced(&mut backend, &model);
}

/// `ZEROFILL`, as old `mysqldump` output writes it, was a parse error in schema.sql.
/// It is an unmodeled part of its column, in schema.sql and in the database alike, and
/// the column is unsigned as MariaDB reports it (`int(10) unsigned zerofill` for `int
/// zerofill`): the table made from the dump reads back as the dump, without drift.
#[test]
fn a_zerofill_column_reads_back_as_schema_sql_has_it() {
    let mut db = test_db!();
    let dump = "CREATE TABLE `legacy` (
  `id` int(10) unsigned zerofill NOT NULL,
  `code` int(5) zerofill DEFAULT NULL,
  `small` tinyint(3) unsigned ZEROFILL DEFAULT '007',
  `price` decimal(8,2) zerofill DEFAULT NULL,
  `plain` int(11) DEFAULT NULL,
  PRIMARY KEY (`id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;";
    db.exec(dump);
    let model = schema(dump);
    let legacy = &model.tables["legacy"];
    assert_eq!(
        legacy.unmodeled,
        [
            "column id: ZEROFILL",
            "column code: ZEROFILL",
            "column small: ZEROFILL",
            "column price: ZEROFILL"
        ]
    );
    assert_eq!(
        legacy.column("code").unwrap().ty,
        ColumnType::Custom("INT UNSIGNED".into())
    );
    let mut backend = db.backend();
    let got = backend.inspect().unwrap();
    assert_eq!(got.tables["legacy"].unmodeled, legacy.unmodeled);
    let (got, want) = (backend.canonical(&got), backend.canonical(&model));
    assert_eq!(diff(&got, &want, &Hints::default()), []);
}

#[test]
fn types_mysql_lacks_read_back_as_stored_type() {
    let mut db = test_db!();
    let mut model = schema(
        "CREATE TABLE t (a DECIMAL, b DECIMAL(8), c CHAR, e INT NOT NULL, PRIMARY KEY (e));",
    );
    // Types MySQL text cannot say, as a model from another dialect holds them.
    let mut t = model.tables.get_mut("t").unwrap();
    for (name, ty) in [
        ("v", ColumnType::Varchar(None)),
        ("tz", ColumnType::TimestampTz),
        ("u", ColumnType::Uuid),
    ] {
        t.columns.push(wildebeest_schema::Column::new(name, ty));
    }
    drop(t);
    db.create(&model);
    let mut stored = model.clone();
    for c in &mut stored.tables.get_mut("t").unwrap().columns {
        c.ty = stored_type(&c.ty);
    }
    assert_ne!(stored, model);
    let mut backend = db.backend();
    assert_synced(&mut backend, &stored);
}

#[test]
fn what_the_model_cannot_hold_is_listed_as_unmodeled_and_the_rest_modeled() {
    let mut db = test_db!();
    db.exec(
        "CREATE TABLE t (
            id INT NOT NULL PRIMARY KEY,
            a INT COMMENT 'why',
            b INT AS (a + 1) VIRTUAL,
            c TIMESTAMP NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
            d VARCHAR(100),
            FULLTEXT INDEX d_words (d),
            INDEX d_start (d(10)),
            e INT INVISIBLE,
            f INT ZEROFILL
        ) ENGINE=MyISAM",
    );
    let mut backend = db.backend();
    let s = backend.inspect().unwrap();
    let t = &s.tables["t"];
    // A prefix key (a part `` `d`(10) ``) and an invisible column are modeled;
    // `ZEROFILL` is not.
    assert_eq!(t.unmodeled, ["column f: ZEROFILL"]);
    let invisible: Vec<&str> = t
        .columns
        .iter()
        .filter(|c| c.invisible)
        .map(|c| c.name.as_str())
        .collect();
    assert_eq!(invisible, ["e"]);
    // A FULLTEXT index is an index of its own kind.
    let kinds: Vec<(&str, Option<&str>)> = t
        .indexes
        .iter()
        .map(|i| (i.name.as_str(), i.method.as_deref()))
        .collect();
    assert_eq!(kinds, [("d_start", None), ("d_words", Some("FULLTEXT"))]);
    assert_eq!(t.indexes[0].columns, ["`d`(10)"]);
    // A generated column is part of the model, read as a schema file says it.
    assert_eq!(
        t.columns[2].generated,
        Some(wildebeest_schema::Generated {
            expr: "a + 1".into(),
            stored: false,
        })
    );
    assert_eq!(t.columns[2].default, None);
    assert_eq!(t.columns[1].default, None);
    assert_eq!(t.columns[3].default.as_deref(), Some("CURRENT_TIMESTAMP"));
    // `ON UPDATE`, comments and another engine are part of the model, read as a
    // schema file says them.
    assert_eq!(t.columns[3].on_update.as_deref(), Some("CURRENT_TIMESTAMP"));
    assert_eq!(t.columns[1].comment.as_deref(), Some("why"));
    assert_eq!(t.options.engine.as_deref(), Some("myisam"));
}

/// Collations compare as the server resolves them: one said again where the table or
/// the database gives it anyway is none, a character set alone is its default one.
#[test]
fn collations_compare_as_the_server_resolves_them() {
    let mut db = test_db!();
    let sql = "CREATE TABLE t (
            a VARCHAR(10) COLLATE utf8mb4_unicode_ci,
            b VARCHAR(10) CHARACTER SET latin1,
            c VARCHAR(10) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin,
            d VARCHAR(10)
        ) DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci COMMENT='kept'";
    db.exec(sql);
    let (model, _) =
        wildebeest_sql::parse_schema(sql, "schema.sql", wildebeest_sql::Dialect::Mysql).unwrap();
    let mut backend = db.backend();
    let s = backend.inspect().unwrap();
    assert_eq!(s.tables["t"].options.comment.as_deref(), Some("kept"));
    assert_eq!(backend.canonical(&s), backend.canonical(&model));
    // A different collation is a difference.
    let mut other = model.clone();
    other.tables.get_mut("t").unwrap().columns[3].collation = Some("utf8mb4_bin".into());
    assert_ne!(backend.canonical(&s), backend.canonical(&other));
}

#[test]
fn names_mysql_gives_itself_are_kept() {
    // Constraints made without names by hand: the names the server gave them are
    // their names (a later DROP needs them), and RESTRICT reads as NO ACTION.
    let mut db = test_db!();
    db.exec(
        "CREATE TABLE p (id INT NOT NULL PRIMARY KEY);
         CREATE TABLE c (
            id INT NOT NULL, pid INT, code INT,
            CONSTRAINT pk_is_primary PRIMARY KEY (id),
            UNIQUE (code),
            FOREIGN KEY (pid) REFERENCES p (id) ON DELETE RESTRICT
         );
         CREATE UNIQUE INDEX c_code_pid ON c (code, pid)",
    );
    let mut backend = db.backend();
    let s = backend.inspect().unwrap();
    let c = &s.tables["c"];
    assert_eq!(c.primary_key.as_ref().unwrap().name, None);
    let uniques: Vec<Option<&str>> = c.uniques.iter().map(|u| u.name.as_deref()).collect();
    assert_eq!(uniques, [Some("c_code_pid"), Some("code")]);
    assert_eq!(c.foreign_keys.len(), 1);
    assert!(c.foreign_keys[0].name.is_some());
    // Kept apart from NO ACTION, as the catalog reports it.
    assert_eq!(c.foreign_keys[0].on_delete, FkAction::Restrict);
    // The index made for the foreign key is not an index of its own.
    assert!(c.indexes.is_empty(), "{:?}", c.indexes);
}

#[test]
fn the_version_tables_are_not_part_of_the_schema() {
    let db = test_db!();
    let mut backend = db.backend();
    backend.ensure_version_tables().unwrap();
    assert_eq!(backend.inspect().unwrap().tables.len(), 0);
}

/// `check`'s scratch build makes each table in one statement, its indexes inside it
/// and without its foreign keys, which come from the model. What the server reports
/// of the database made the runner's way (a `CREATE INDEX` a statement, the keys in
/// the tables) is exactly what the scratch build gives: keys with and without names
/// and actions, an index MySQL takes for a key's own (named as its column), a key
/// served by a user index, uniqueness, checks and defaults.
#[test]
fn the_scratch_build_reads_back_as_the_database_made_statement_by_statement() {
    let mut db = test_db!();
    let extra = "
CREATE TABLE parent (id INT NOT NULL, code VARCHAR(10) NOT NULL, PRIMARY KEY (id), UNIQUE (code));
CREATE TABLE child (
    id INT NOT NULL,
    parent_id INT,
    code VARCHAR(10),
    other INT,
    PRIMARY KEY (id),
    FOREIGN KEY (parent_id) REFERENCES parent (id),
    CONSTRAINT child_code FOREIGN KEY (code) REFERENCES parent (code) ON DELETE NO ACTION,
    FOREIGN KEY (other) REFERENCES child (id) ON DELETE SET NULL
);
CREATE INDEX parent_id ON child (parent_id);
CREATE INDEX child_code_other ON child (code, other);
";
    let model = schema(&format!("{RICH}{extra}"));
    db.create(&model);
    let mut backend = db.backend();
    let live = backend.inspect().unwrap();
    let ServerForm::Read(scratch) = backend.server_form(&model).unwrap() else {
        panic!("root may create the scratch database");
    };
    let (live, scratch) = (backend.canonical(&live), backend.canonical(&scratch));
    assert_eq!(diff(&live, &scratch, &Hints::default()), []);
}
