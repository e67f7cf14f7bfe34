//! The `tokio` feature's async methods, on an embedded migrator and SQLite: each runs
//! the blocking call on tokio's blocking pool and gives its answer. Built only with
//! the feature (`.ci/run` runs `cargo test -p wildebeest --features tokio --test
//! async_api`).
#![cfg(feature = "tokio")]

static MIGRATOR: wildebeest::Migrator =
    wildebeest::embed_migrations!("../../examples/company/migrations");

#[tokio::test(flavor = "multi_thread")]
async fn the_async_methods_upgrade_check_and_downgrade() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite:{}", dir.path().join("app.db").display());
    let report = MIGRATOR.upgrade_async(&url).await.unwrap();
    assert_eq!(report.revisions.len(), 4);
    // A second call applies nothing.
    assert!(
        MIGRATOR
            .upgrade_async(&url)
            .await
            .unwrap()
            .revisions
            .is_empty()
    );
    let current = MIGRATOR.current_async(&url).await.unwrap();
    assert!(current.at_head);
    assert!(MIGRATOR.check_async(&url).await.unwrap().is_ok());
    let down = MIGRATOR.downgrade_async(&url, "-1").await.unwrap();
    assert_eq!(down.revisions.len(), 1);
    assert!(!MIGRATOR.current_async(&url).await.unwrap().at_head);
    let up = MIGRATOR.upgrade_to_async(&url, "head").await.unwrap();
    assert_eq!(up.revisions.len(), 1);
    // An error comes back as the blocking call's error.
    let err = MIGRATOR
        .upgrade_to_async(&url, "nosuchrev")
        .await
        .unwrap_err();
    assert!(err.to_string().contains("nosuchrev"), "{err}");
}
