//! Connecting: URLs, TLS, the schema, and messages that never show a password.

use wildebeest_postgres::PgBackend;
use wildebeest_runner::Backend;
use wildebeest_schema::Schema;

use crate::util::{client, db, unique_name, url};

/// `url` with `params` added to its query.
fn with_params(url: &str, params: &str) -> String {
    let sep = if url.contains('?') { '&' } else { '?' };
    format!("{url}{sep}{params}")
}

#[test]
fn describe_names_the_server_database_and_schema_but_no_password() {
    let db = db!();
    let backend = db.backend();
    let described = backend.describe();
    assert!(described.starts_with("postgres://"), "{described}");
    assert!(
        described.ends_with(&format!(" (schema {})", db.schema)),
        "{described}"
    );
    assert_eq!(backend.schema(), db.schema);
    assert_eq!(
        backend.caps(),
        wildebeest_runner::Caps {
            dialect: wildebeest_sql::Dialect::Postgres,
            transactional_ddl: true
        }
    );
}

#[test]
fn the_connection_says_who_it_is_and_works_in_its_schema() {
    let mut db = db!("CREATE TABLE t (a INTEGER)");
    let name = unique_name("wb_app_");
    let mut backend = PgBackend::connect(
        &with_params(&db.url, &format!("application_name={name}")),
        Some(&db.schema),
    )
    .unwrap();
    assert_eq!(
        backend.inspect().unwrap().tables.keys().collect::<Vec<_>>(),
        ["t"]
    );
    assert_eq!(
        db.rows(&format!(
            "SELECT count(*) FROM pg_stat_activity WHERE application_name = '{name}'"
        )),
        crate::util::table(&[&["1"]])
    );
    // Without one in the URL, it is `wildebeest`.
    let mut backend = db.backend();
    backend.lock().unwrap();
    let rows = db.rows(
        "SELECT a.application_name FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid \
         WHERE l.locktype = 'advisory' AND a.application_name = 'wildebeest'",
    );
    assert!(!rows.is_empty());
    backend.unlock().unwrap();
}

#[test]
fn a_missing_schema_is_empty_and_created_only_for_the_version_tables() {
    let Some(url) = url() else { return };
    let schema = unique_name("wb_test_");
    let mut backend = PgBackend::connect(&url, Some(&schema)).unwrap();
    assert_eq!(backend.inspect().unwrap(), Schema::new());
    assert_eq!(backend.applied().unwrap(), vec![]);
    assert_eq!(backend.history().unwrap(), vec![]);
    assert_eq!(backend.partial().unwrap(), None);
    let mut admin = client(&url);
    let exists = |admin: &mut postgres::Client| -> bool {
        admin
            .query_one(
                "SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = $1)",
                &[&schema],
            )
            .unwrap()
            .get(0)
    };
    assert!(!exists(&mut admin));
    let created = backend.ensure_version_tables();
    let now_exists = exists(&mut admin);
    admin
        .batch_execute(&format!("DROP SCHEMA IF EXISTS {schema} CASCADE"))
        .unwrap();
    created.unwrap();
    assert!(now_exists);
}

#[test]
fn tls_is_used_when_required() {
    let mut db = db!();
    let name = unique_name("wb_tls_");
    let url = with_params(&db.url, &format!("sslmode=require&application_name={name}"));
    match PgBackend::connect(&url, Some(&db.schema)) {
        Ok(_backend) => {
            assert_eq!(
                db.rows(&format!(
                    "SELECT s.ssl FROM pg_stat_ssl s JOIN pg_stat_activity a ON a.pid = s.pid \
                     WHERE a.application_name = '{name}'"
                )),
                crate::util::table(&[&["t"]])
            );
        }
        // A server without TLS: `require` must fail rather than go on in the clear.
        Err(e) => assert!(e.message.contains("TLS"), "{}", e.message),
    }
    let url = with_params(&db.url, "sslmode=disable");
    PgBackend::connect(&url, Some(&db.schema)).unwrap();
}

#[test]
fn tls_loads_the_trusted_roots_only_to_verify_a_certificate() {
    // Loading the system's trusted roots is tens of milliseconds of CPU, which every
    // command paid under the default `sslmode=prefer`, which checks no certificate,
    // even against a server that then declined TLS.
    let mut db = db!();
    let server_tls = db.rows("SHOW ssl") == crate::util::table(&[&["on"]]);
    for mode in ["prefer", "require"] {
        let name = unique_name("wb_tls_");
        let before = wildebeest_postgres::tls_roots_loaded();
        let connected = PgBackend::connect(
            &with_params(&db.url, &format!("sslmode={mode}&application_name={name}")),
            Some(&db.schema),
        );
        let loaded = wildebeest_postgres::tls_roots_loaded() - before;
        let encrypted = db.rows(&format!(
            "SELECT s.ssl FROM pg_stat_ssl s JOIN pg_stat_activity a ON a.pid = s.pid \
             WHERE a.application_name = '{name}'"
        ));
        match (server_tls, mode) {
            (true, _) => {
                connected.unwrap();
                assert_eq!(encrypted, crate::util::table(&[&["t"]]), "{mode}");
            }
            (false, "prefer") => {
                connected.unwrap();
                assert_eq!(encrypted, crate::util::table(&[&["f"]]));
            }
            (false, _) => {
                let e = connected.unwrap_err();
                assert!(e.message.contains("TLS"), "{}", e.message);
            }
        }
        // Where native-tls is OpenSSL, these modes run on a context without roots.
        if cfg!(not(any(target_vendor = "apple", windows))) || !server_tls {
            assert_eq!(loaded, 0, "{mode}");
        }
    }
    if server_tls {
        // `verify-ca` checks the certificate against the roots (whether this server's
        // chains to one depends on the machine, so only the loading is asserted).
        let before = wildebeest_postgres::tls_roots_loaded();
        let _ = PgBackend::connect(&with_params(&db.url, "sslmode=verify-ca"), Some(&db.schema));
        assert!(wildebeest_postgres::tls_roots_loaded() > before);
    }
}

#[test]
fn connection_errors_name_the_server_but_never_the_password() {
    let Some(url) = url() else { return };
    let config: postgres::Config = url.parse().unwrap();
    let host = match config.get_hosts().first() {
        Some(postgres::config::Host::Tcp(h)) => h.clone(),
        _ => "127.0.0.1".into(),
    };
    // Nothing listens on port 1.
    let bad = format!("postgres://someone:hunter2@{host}:1/nowhere?connect_timeout=2");
    let err = PgBackend::connect(&bad, None).unwrap_err();
    assert!(
        err.message
            .starts_with(&format!("cannot connect to PostgreSQL at `postgres://someone@{host}:1/nowhere` (schema public): ")),
        "{}",
        err.message
    );
    assert!(!err.message.contains("hunter2"), "{}", err.message);
    // The cause, not the driver's bare "error connecting to server".
    assert!(
        err.message
            .ends_with("` (schema public): Connection refused (os error 111)"),
        "{}",
        err.message
    );
    let err =
        PgBackend::connect("postgres://someone:hunter2@/db?sslmode=sideways", None).unwrap_err();
    assert!(!err.message.contains("hunter2"), "{}", err.message);
    let err = PgBackend::connect(&url, Some("")).unwrap_err();
    assert_eq!(err.message, "the PostgreSQL schema name is empty");
}
