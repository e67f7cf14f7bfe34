//! Models as Rust types (`#[derive(wildebeest::Table)]`): the schema text each dialect
//! renders (golden files), and that text as the desired schema of `migrate` through
//! `schema_command`, on all three databases, renames included.

use insta::assert_snapshot;
use wildebeest::{Dialect, Models};

use crate::servers::{Server, TestDb};
use crate::util::{TempProject, ok};

#[derive(wildebeest::Enum)]
#[wildebeest(rename_all = "snake_case")]
#[allow(dead_code)]
enum Role {
    Engineer,
    SalesLead,
    #[wildebeest(rename = "boss")]
    Manager,
}

#[derive(wildebeest::Table)]
#[wildebeest(table = "departments")]
#[allow(dead_code)]
struct Department {
    #[wildebeest(primary_key)]
    id: i32,
    #[wildebeest(max_length = 100, unique)]
    name: String,
    #[wildebeest(default = "true")]
    active: bool,
}

#[derive(wildebeest::Table)]
#[wildebeest(
    table = "employees",
    index(last_name, first_name, name = "employees_by_name")
)]
#[wildebeest(unique(email, department_id), check = "salary >= 0")]
#[allow(dead_code)]
struct Employee {
    #[wildebeest(primary_key)]
    id: i64,
    #[wildebeest(
        references = "departments(id)",
        on_delete = "cascade",
        on_update = "restrict"
    )]
    department_id: i32,
    #[wildebeest(max_length = 50)]
    first_name: String,
    #[wildebeest(max_length = 50, index)]
    last_name: String,
    #[wildebeest(max_length = 200)]
    email: String,
    salary: f64,
    rating: Option<f32>,
    age: Option<i16>,
    #[wildebeest(check = "level BETWEEN 0 AND 10", default = "1")]
    level: u8,
    badge: Option<u16>,
    visits: u32,
    role: Role,
    photo: Option<Vec<u8>>,
    hired_on: chrono::NaiveDate,
    #[wildebeest(column = "updated")]
    updated_at: chrono::NaiveDateTime,
    created_at: chrono::DateTime<Utc>,
    contract: Option<time::Date>,
    last_login: Option<time::PrimitiveDateTime>,
    last_seen: Option<time::OffsetDateTime>,
    external_id: Option<uuid::Uuid>,
    settings: Option<serde_json::Value>,
    #[wildebeest(sql_type = "DECIMAL(10, 2)")]
    bonus: Option<Money>,
    #[wildebeest(renamed_from = "address")]
    location: Option<String>,
}

#[derive(wildebeest::Table)]
#[wildebeest(primary_key(employee_id, project), renamed_from = "assignment")]
#[allow(dead_code)]
struct ProjectAssignment {
    #[wildebeest(references = "employees")]
    employee_id: i64,
    #[wildebeest(max_length = 40)]
    project: String,
    hours: i32,
}

// Stand-ins for the crates' types: the macro maps them by their path, so the test
// needs none of those crates.
#[allow(dead_code)]
struct Utc;
#[allow(dead_code)]
mod chrono {
    pub struct NaiveDate;
    pub struct NaiveDateTime;
    pub struct DateTime<T>(T);
}
#[allow(dead_code)]
mod time {
    pub struct Date;
    pub struct PrimitiveDateTime;
    pub struct OffsetDateTime;
}
#[allow(dead_code)]
mod uuid {
    pub struct Uuid;
}
#[allow(dead_code)]
mod serde_json {
    pub struct Value;
}
#[allow(dead_code)]
struct Money;

fn models() -> Models {
    // Added out of order: the text creates departments first all the same.
    Models::new()
        .table::<ProjectAssignment>()
        .table::<Employee>()
        .table::<Department>()
}

#[test]
fn models_render_the_schema_text_of_each_dialect() {
    for (dialect, name) in [
        (Dialect::Sqlite, "models_sqlite"),
        (Dialect::Postgres, "models_postgresql"),
        (Dialect::Mysql, "models_mysql"),
    ] {
        let schema = models().schema(dialect).unwrap();
        assert_eq!(schema.sql, models().schema_sql(dialect).unwrap());
        assert_snapshot!(name, schema.sql);
        // The text reads back as a schema in its dialect, renames and all.
        let (_, warnings) =
            wildebeest_sql::parse_schema(&schema.sql, "models.sql", dialect).unwrap();
        assert!(warnings.is_empty(), "{warnings:?}");
        let directives: Vec<_> = wildebeest_sql::rename_directives(&schema.sql)
            .unwrap()
            .into_iter()
            .map(|(_, r)| r)
            .collect();
        assert_eq!(directives, schema.renames);
        assert_eq!(directives.len(), 2);
    }
}

#[test]
fn a_model_whose_sql_is_wrong_names_the_struct_and_field() {
    #[derive(wildebeest::Table)]
    #[allow(dead_code)]
    struct Broken {
        #[wildebeest(default = "1 +")]
        n: i32,
    }
    let e = Models::new()
        .table::<Broken>()
        .schema_sql(Dialect::Sqlite)
        .unwrap_err()
        .to_string();
    assert!(e.starts_with("Broken.n: default = \"1 +\": "), "{e}");
    let e = Models::new()
        .table::<Employee>()
        .schema_sql(Dialect::Sqlite)
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("Employee.department_id: references table `departments`, which no model makes"),
        "{e}"
    );
}

/// A project whose desired schema is `cat models.sql`, the models' text.
fn command_project(url: &str, text: &str) -> TempProject {
    let p = TempProject::new();
    p.write(
        "wildebeest.toml",
        &format!(
            "database_url = \"{url}\"\nschema_command = \"cat models.sql\"\nmigrations = \"migrations\"\n"
        ),
    );
    std::fs::create_dir_all(p.path().join("migrations")).unwrap();
    p.write("models.sql", text);
    p
}

/// Models to schema text to `migrate`, `upgrade`, `check` (exit 0); then a field
/// renamed with `renamed_from` migrates as a rename that keeps its rows.
fn round_trip(dialect: Dialect, url: &str, db: &dyn Fn(&str) -> Vec<Vec<String>>) {
    #[derive(wildebeest::Table)]
    #[wildebeest(table = "people")]
    #[allow(dead_code)]
    struct Before {
        #[wildebeest(primary_key)]
        id: i64,
        #[wildebeest(max_length = 100)]
        address: Option<String>,
    }
    #[derive(wildebeest::Table)]
    #[wildebeest(table = "people")]
    #[allow(dead_code)]
    struct After {
        #[wildebeest(primary_key)]
        id: i64,
        #[wildebeest(max_length = 100, renamed_from = "address")]
        location: Option<String>,
    }
    let text = models().table::<Before>().schema_sql(dialect).unwrap();
    let p = command_project(url, &text);
    ok(&p, &["migrate", "-m", "models"]);
    ok(&p, &["upgrade"]);
    ok(&p, &["check"]);
    // No change: the models' text is what the migrations make.
    let out = ok(&p, &["migrate", "-m", "again"]);
    assert!(out.starts_with("No changes"), "{out}");

    let q = |sql: &str| db(sql);
    let _ = q("INSERT INTO people (id, address) VALUES (1, 'Main Street 1')");
    p.write(
        "models.sql",
        &models().table::<After>().schema_sql(dialect).unwrap(),
    );
    ok(&p, &["migrate", "-m", "rename"]);
    let files = p.migrations();
    let last = std::fs::read_to_string(files.last().unwrap()).unwrap();
    let upgrade = last.split("-- +downgrade").next().unwrap();
    assert!(upgrade.contains("RENAME COLUMN"), "{last}");
    assert!(!upgrade.contains("DROP COLUMN"), "{last}");
    ok(&p, &["upgrade"]);
    ok(&p, &["check"]);
    assert_eq!(
        q("SELECT id, location FROM people"),
        vec![vec!["1".to_string(), "Main Street 1".to_string()]]
    );
    // The directive is history now: still in the text, it changes nothing.
    let out = ok(&p, &["migrate", "-m", "again"]);
    assert!(out.starts_with("No changes"), "{out}");
}

#[test]
fn models_migrate_upgrade_and_check_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("app.db");
    let url = format!("sqlite:{}", db.display());
    round_trip(Dialect::Sqlite, &url, &|sql| {
        let conn = rusqlite::Connection::open(&db).unwrap();
        if sql.starts_with("INSERT") {
            conn.execute(sql, []).unwrap();
            return Vec::new();
        }
        crate::util::query_rows(&conn, sql)
    });
}

#[test]
fn models_migrate_upgrade_and_check_on_servers() {
    for server in Server::ALL {
        let Some(db) = TestDb::new(server, "models_round_trip") else {
            continue;
        };
        let dialect = match server {
            Server::Postgres => Dialect::Postgres,
            Server::Mysql => Dialect::Mysql,
        };
        round_trip(dialect, &db.url, &|sql| {
            if sql.starts_with("INSERT") {
                db.execute(sql);
                return Vec::new();
            }
            db.rows(sql)
        });
    }
}

#[test]
fn a_schema_command_that_fails_is_an_error_showing_its_stderr() {
    let p = TempProject::new();
    p.write(
        "wildebeest.toml",
        "database_url = \"sqlite:app.db\"\nschema_command = \"echo 'no models here' >&2; exit 3\"\n",
    );
    std::fs::create_dir_all(p.path().join("migrations")).unwrap();
    let out = p.cmd(&["migrate", "-m", "x"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("the schema command `echo 'no models here' >&2; exit 3` (schema_command in wildebeest.toml) failed (exit status 3); its standard error:\nno models here"),
        "{stderr}"
    );
    assert!(!p.path().join("app.db").exists());
}

#[test]
fn a_rename_directive_that_contradicts_a_flag_is_an_error() {
    let p = TempProject::init();
    p.write("schema.sql", "CREATE TABLE t (a INTEGER);\n");
    ok(&p, &["migrate", "-m", "one"]);
    p.write(
        "schema.sql",
        "-- wildebeest: rename t.a=b\nCREATE TABLE t (b INTEGER, c INTEGER);\n",
    );
    let out = p
        .cmd(&["migrate", "-m", "two", "--rename", "t.a=c"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("schema.sql:1: `-- wildebeest: rename t.a=b` contradicts --rename t.a=c"),
        "{stderr}"
    );
    // Without the flag the directive makes the rename.
    let out = ok(&p, &["migrate", "-m", "two"]);
    assert!(out.contains("renamed column `t.a` to `b`"), "{out}");
    let last = std::fs::read_to_string(p.migrations().last().unwrap()).unwrap();
    let upgrade = last.split("-- +downgrade").next().unwrap();
    assert!(upgrade.contains("RENAME COLUMN a TO b"), "{last}");
    assert!(!upgrade.contains("DROP COLUMN"), "{last}");
}
