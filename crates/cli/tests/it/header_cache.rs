//! The cache of parsed migration headers in `.wildebeest_cache/`: it appears once the
//! files are a few seconds old, ignores itself in git, follows every edit, survives
//! damage, and `WILDEBEEST_NO_CACHE` turns it off.

use std::time::Duration;

use crate::util::TempProject;
use crate::util::ok;

/// Replaces `from` with `to` (the same length) in the file, in place: same inode, same
/// size, as an editor that truncates and writes does.
fn edit_in_place(path: &std::path::Path, from: &str, to: &str) {
    assert_eq!(from.len(), to.len());
    let text = std::fs::read_to_string(path).unwrap();
    assert!(text.contains(from), "{text}");
    std::fs::write(path, text.replace(from, to)).unwrap();
}

#[test]
fn the_header_cache_follows_every_change() {
    let p = TempProject::init();
    let off = TempProject::init();
    for project in [&p, &off] {
        ok(project, &["revision", "-m", "first"]);
        ok(project, &["revision", "-m", "second"]);
    }
    let cache = p.path().join(".wildebeest_cache");
    let headers = cache.join("headers");

    // Files written this moment are not cached: a rewrite within the same clock tick
    // could keep their times.
    assert!(ok(&p, &["heads"]).contains("second"));
    assert!(!headers.exists());
    let head = p.migrations()[1].clone();
    edit_in_place(&head, "second", "SECOND");
    assert!(ok(&p, &["heads"]).contains("SECOND"));

    std::thread::sleep(Duration::from_millis(3200));
    assert!(ok(&p, &["heads"]).contains("SECOND"));
    assert!(headers.is_file(), "settled files are cached");
    assert_eq!(
        std::fs::read_to_string(cache.join(".gitignore"))
            .unwrap()
            .lines()
            .last(),
        Some("*")
    );
    assert!(
        std::fs::read_to_string(cache.join("CACHEDIR.TAG"))
            .unwrap()
            .starts_with("Signature: 8a477f597d28d172789f06886806bc55")
    );
    let off_cmd = |args: &[&str]| {
        let out = off
            .cmd(args)
            .env("WILDEBEEST_NO_CACHE", "1")
            .output()
            .unwrap();
        assert!(out.status.success());
        String::from_utf8(out.stdout).unwrap()
    };
    assert!(off_cmd(&["heads"]).contains("second"));
    assert!(!off.path().join(".wildebeest_cache").exists());

    // An edit in place with the same size, a new file, a removed file.
    edit_in_place(&head, "SECOND", "2ND-RV");
    assert!(ok(&p, &["heads"]).contains("2ND-RV"));
    assert!(ok(&p, &["history"]).contains("2ND-RV"));
    ok(&p, &["revision", "-m", "third"]);
    let heads = ok(&p, &["heads"]);
    assert!(
        heads.contains("third") && !heads.contains("2ND-RV"),
        "{heads}"
    );
    std::fs::remove_file(&p.migrations()[2]).unwrap();
    assert!(ok(&p, &["heads"]).contains("2ND-RV"));

    // A damaged cache is ignored and replaced.
    std::fs::write(&headers, b"garbage").unwrap();
    assert!(ok(&p, &["heads"]).contains("2ND-RV"));
    assert_ne!(std::fs::read(&headers).unwrap(), b"garbage");
    let history = ok(&p, &["history"]);
    assert!(
        history.contains("first") && history.contains("2ND-RV"),
        "{history}"
    );

    // A header broken after it was cached is reported.
    let text = std::fs::read_to_string(&head).unwrap();
    std::fs::write(&head, text.replacen("-- Revision: ", "-- Revision: x", 1)).unwrap();
    let out = p.cmd(&["heads"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    let name = head.file_name().unwrap().to_string_lossy();
    assert!(err.contains(name.as_ref()), "{err}");
}
