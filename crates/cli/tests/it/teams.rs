//! Working as a team: branches, merges, `wildebeest.sum` (with a real git merge),
//! history and heads displays, offline scripts, and `stamp --purge`.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

use predicates::str::contains;

use crate::util::ok;
use crate::util::{TempProject, query_rows};

/// Runs `args`, expecting exit status `code`; returns stdout and stderr together.
fn status(p: &TempProject, args: &[&str], code: i32) -> String {
    let out = p.cmd(args).output().unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(out.status.code(), Some(code), "{args:?}: {text}");
    text
}

/// The revision id in a generated file's name.
fn id_of(path: &Path) -> String {
    path.file_name().unwrap().to_string_lossy()[16..28].to_string()
}

/// The newest migration file whose name ends with `_{slug}.sql`.
fn file(p: &TempProject, slug: &str) -> std::path::PathBuf {
    let suffix = format!("_{slug}.sql");
    p.migrations()
        .into_iter()
        .rfind(|m| m.to_string_lossy().ends_with(&suffix))
        .unwrap_or_else(|| panic!("no migration named *{suffix}"))
}

/// Replaces both sections of a migration file, as a user does in an editor.
fn edit_sections(path: &Path, upgrade: &str, downgrade: &str) {
    let text = std::fs::read_to_string(path).unwrap();
    let head = &text[..text.find("-- +upgrade").expect("upgrade marker")];
    std::fs::write(
        path,
        format!("{head}-- +upgrade\n{upgrade}\n\n-- +downgrade\n{downgrade}\n"),
    )
    .unwrap();
}

fn applied(p: &TempProject) -> Vec<String> {
    p.rows("SELECT revision FROM wildebeest_revisions ORDER BY revision")
        .into_iter()
        .map(|mut r| r.remove(0))
        .collect()
}

fn sorted(ids: &[&str]) -> Vec<String> {
    let mut v: Vec<String> = ids.iter().map(|s| s.to_string()).collect();
    v.sort();
    v
}

fn tables(p: &TempProject) -> Vec<String> {
    p.rows("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'wildebeest%' AND name NOT LIKE 'sqlite%' ORDER BY name")
        .into_iter()
        .map(|mut r| r.remove(0))
        .collect()
}

/// base ← left1 ← left2 and base ← right, each creating a table, with the sum file
/// rehashed after the hand edits. Returns (base, left1, left2, right).
fn two_branches(p: &TempProject) -> (String, String, String, String) {
    p.write(
        "schema.sql",
        "CREATE TABLE base (id INTEGER PRIMARY KEY);\n",
    );
    ok(p, &["migrate", "-m", "base"]);
    let base = id_of(&file(p, "base"));
    ok(p, &["revision", "-m", "left1"]);
    edit_sections(
        &file(p, "left1"),
        "CREATE TABLE l1 (id INTEGER PRIMARY KEY);",
        "DROP TABLE l1;",
    );
    ok(p, &["revision", "-m", "left2"]);
    edit_sections(
        &file(p, "left2"),
        "CREATE TABLE l2 (id INTEGER PRIMARY KEY);",
        "DROP TABLE l2;",
    );
    // base is not a head any more: a branch from it needs --splice, as in alembic.
    let left1 = id_of(&file(p, "left1"));
    let text = status(p, &["revision", "-m", "right", "--head", &base[..6]], 2);
    assert!(
        text.contains(&format!(
            "error: revision {base} is not a head (it has 1 child: {left1}): a new revision on it starts a branch from the middle of the history; add --splice"
        )),
        "{text}"
    );
    assert!(
        p.migrations()
            .iter()
            .all(|m| !m.to_string_lossy().ends_with("_right.sql"))
    );
    let out = ok(
        p,
        &["revision", "-m", "right", "--head", &base[..6], "--splice"],
    );
    assert!(
        out.contains(&format!("It starts a new branch from {base}")),
        "{out}"
    );
    edit_sections(
        &file(p, "right"),
        "CREATE TABLE r (id INTEGER PRIMARY KEY);",
        "DROP TABLE r;",
    );
    ok(p, &["rehash"]);
    let right = file(p, "right");
    assert!(
        std::fs::read_to_string(&right)
            .unwrap()
            .contains(&format!("-- Revises: {base}\n"))
    );
    p.write(
        "schema.sql",
        "CREATE TABLE base (id INTEGER PRIMARY KEY);\nCREATE TABLE l1 (id INTEGER PRIMARY KEY);\nCREATE TABLE l2 (id INTEGER PRIMARY KEY);\nCREATE TABLE r (id INTEGER PRIMARY KEY);\n",
    );
    (
        base,
        id_of(&file(p, "left1")),
        id_of(&file(p, "left2")),
        id_of(&right),
    )
}

#[test]
fn a_merge_joins_two_branches_and_downgrade_minus_one_undoes_only_the_merge() {
    let p = TempProject::init();
    let (base, left1, left2, right) = two_branches(&p);

    // Two heads: everything that needs one head points to `merge`.
    for args in [
        &["upgrade"][..],
        &["migrate", "-m", "more"],
        &["revision", "-m", "more"],
    ] {
        let text = status(&p, args, 2);
        assert!(text.contains("wildebeest merge -m MSG"), "{args:?}: {text}");
    }
    let text = status(&p, &["check"], 1);
    assert!(text.contains("the migrations have 2 heads"), "{text}");

    // Both branches apply at once.
    ok(&p, &["upgrade", "heads"]);
    assert_eq!(applied(&p), sorted(&[&base, &left1, &left2, &right]));
    assert_eq!(tables(&p), ["base", "l1", "l2", "r"]);
    ok(&p, &["current", "--check-heads"]);

    let out = ok(&p, &["merge", "-m", "merge heads"]);
    let mut parents = [left2.clone(), right.clone()];
    parents.sort();
    assert!(
        out.contains(&format!("It merges {}", parents.join(", "))),
        "{out}"
    );
    let merge_file = file(&p, "merge_heads");
    let merge = id_of(&merge_file);
    let text = std::fs::read_to_string(&merge_file).unwrap();
    assert!(
        text.contains(&format!("-- Revises: {}\n", parents.join(", "))),
        "{text}"
    );
    assert!(
        text.contains("-- +upgrade\n-- (nothing to do)\n\n-- +downgrade\n-- (nothing to do)\n"),
        "{text}"
    );
    assert_eq!(ok(&p, &["heads"]), format!("{merge} (head)  merge heads\n"));
    let text = status(&p, &["current", "--check-heads"], 1);
    assert!(text.contains(&format!("{merge} not applied")), "{text}");

    let out = ok(&p, &["upgrade"]);
    assert!(out.contains(&format!("Applied {merge}")), "{out}");
    ok(&p, &["check"]);
    // The graph opens a lane at the merge and closes it at the branch point.
    let out = ok(&p, &["history", "--graph"]);
    assert!(
        out.starts_with(&format!("* {merge} (head, mergepoint)  merge heads\n|\\\n")),
        "{out}"
    );
    assert!(
        out.ends_with(&format!("|/\n* {base} (branchpoint)  base\n")),
        "{out}"
    );
    assert_eq!(out.matches('*').count(), 5, "{out}");
    assert_eq!(
        out.lines()
            .filter(|l| l.starts_with("* | ") || l.starts_with("| * "))
            .count(),
        3,
        "{out}"
    );

    // One step down from the merge undoes the merge, nothing else.
    let out = ok(&p, &["downgrade", "-1"]);
    assert_eq!(out.lines().count(), 1, "{out}");
    assert!(out.starts_with(&format!("[1/1] Reverted {merge}")), "{out}");
    assert_eq!(applied(&p), sorted(&[&base, &left1, &left2, &right]));
    assert_eq!(tables(&p), ["base", "l1", "l2", "r"]);

    // Downgrading one branch by revision leaves the other applied.
    ok(&p, &["upgrade"]);
    let out = ok(&p, &["downgrade", &left1]);
    assert!(out.contains(&format!("Reverted {merge}")), "{out}");
    assert!(out.contains(&format!("Reverted {left2}")), "{out}");
    assert_eq!(out.lines().count(), 2, "{out}");
    assert_eq!(applied(&p), sorted(&[&base, &left1, &right]));
    assert_eq!(tables(&p), ["base", "l1", "r"]);
    ok(&p, &["upgrade"]);
    assert_eq!(
        applied(&p),
        sorted(&[&base, &left1, &left2, &right, &merge])
    );
}

#[test]
fn merge_takes_named_revisions_and_refuses_what_adds_nothing() {
    let p = TempProject::init();
    let text = status(&p, &["merge", "-m", "m"], 2);
    assert!(
        text.contains("nothing to merge: there are no revisions"),
        "{text}"
    );
    ok(&p, &["revision", "-m", "one"]);
    let one = id_of(&file(&p, "one"));
    let text = status(&p, &["merge", "-m", "m"], 2);
    assert!(
        text.contains(&format!("nothing to merge: {one} is the only head")),
        "{text}"
    );
    ok(&p, &["revision", "-m", "two"]);
    let two = id_of(&file(&p, "two"));
    let text = status(&p, &["merge", "-m", "m", &one, &two], 2);
    assert!(
        text.contains(&format!("{one} is an ancestor of {two}")),
        "{text}"
    );
    let text = status(&p, &["merge", "-m", "m", &two], 2);
    assert!(text.contains("at least two revisions"), "{text}");

    // A new root (`--head base`) merged by prefix.
    let out = ok(&p, &["revision", "-m", "other root", "--head", "base"]);
    assert!(out.contains("It starts a new branch from base"), "{out}");
    let other = id_of(&file(&p, "other_root"));
    ok(&p, &["merge", "-m", "join", &other[..8], "heads"]);
    let text = std::fs::read_to_string(file(&p, "join")).unwrap();
    let mut parents = [two.clone(), other.clone()];
    parents.sort();
    assert!(
        text.contains(&format!("-- Revises: {}\n", parents.join(", "))),
        "{text}"
    );
    let text = status(&p, &["revision", "-m", "x", "--head", "nope"], 2);
    assert!(text.contains("no revision matches \"nope\""), "{text}");
}

#[test]
fn the_sum_file_follows_every_written_migration_and_check_reads_it() {
    let p = TempProject::init();
    // No migrations, no sum file: nothing to complain about.
    assert!(!p.path().join("migrations/wildebeest.sum").exists());
    p.write("schema.sql", "CREATE TABLE t (id INTEGER PRIMARY KEY);\n");
    ok(&p, &["migrate", "-m", "first"]);
    let first = file(&p, "first");
    let sum = p.read("migrations/wildebeest.sum");
    let lines: Vec<&str> = sum.lines().collect();
    assert_eq!(lines[0], format!("heads: {}", id_of(&first)));
    let name = first.file_name().unwrap().to_string_lossy().into_owned();
    assert!(lines[1].starts_with(&format!("{name} ")), "{sum}");
    assert!(lines[2].starts_with("total: "), "{sum}");
    assert_eq!(lines.len(), 3, "{sum}");

    ok(&p, &["revision", "-m", "second"]);
    let second = id_of(&file(&p, "second"));
    assert!(
        p.read("migrations/wildebeest.sum")
            .starts_with(&format!("heads: {second}\n"))
    );
    ok(&p, &["upgrade"]);
    ok(&p, &["check"]);

    // A hand edit: check names the file until `rehash`.
    edit_sections(&file(&p, "second"), "SELECT 1;", "SELECT 1;");
    let text = status(&p, &["check"], 1);
    assert!(
        text.contains("migrations/wildebeest.sum is stale: ")
            && text.contains("_second.sql changed since it was written; run `wildebeest rehash`"),
        "{text}"
    );
    let out = ok(&p, &["rehash"]);
    assert_eq!(
        out,
        format!("Wrote migrations/wildebeest.sum (1 head: {second})\n")
    );
    // The applied file changed too: that is check's older complaint, not the sum's.
    let text = status(&p, &["check"], 1);
    assert!(!text.contains("wildebeest.sum"), "{text}");
    ok(&p, &["stamp", "--purge", "head"]);
    ok(&p, &["check"]);

    // Rehash is deterministic: the same bytes again.
    let before = p.read("migrations/wildebeest.sum");
    ok(&p, &["rehash"]);
    assert_eq!(p.read("migrations/wildebeest.sum"), before);

    // Hand-edited, missing, or listing a file that is gone.
    p.write(
        "migrations/wildebeest.sum",
        &before.replacen("heads: ", "heads: abc ", 1),
    );
    let text = status(&p, &["check"], 1);
    assert!(text.contains("it was edited by hand"), "{text}");
    std::fs::remove_file(p.path().join("migrations/wildebeest.sum")).unwrap();
    let text = status(&p, &["check"], 1);
    assert!(
        text.contains("migrations/wildebeest.sum is missing: run `wildebeest rehash`"),
        "{text}"
    );
    ok(&p, &["rehash"]);
    let extra = p
        .path()
        .join("migrations/20300101_000000_abcdefabcdef_extra.sql");
    std::fs::write(
        &extra,
        "-- Revision: abcdefabcdef\n-- Revises: ".to_string()
            + &second
            + "\n\n-- +upgrade\n-- +downgrade\n",
    )
    .unwrap();
    let text = status(&p, &["check"], 1);
    assert!(
        text.contains("it does not list 20300101_000000_abcdefabcdef_extra.sql"),
        "{text}"
    );
    assert!(
        text.contains(&format!(
            "it records heads {second}, but the migrations' heads are abcdefabcdef"
        )),
        "{text}"
    );
    ok(&p, &["rehash"]);
    std::fs::remove_file(&extra).unwrap();
    let text = status(&p, &["check"], 1);
    assert!(
        text.contains(
            "it lists 20300101_000000_abcdefabcdef_extra.sql, which is not in the folder"
        ),
        "{text}"
    );
}

/// git, isolated from the machine's configuration.
fn git(dir: &Path, args: &[&str]) -> std::process::Output {
    Command::new("git")
        .current_dir(dir)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .args(["-c", "user.name=Test", "-c", "user.email=test@example.com"])
        .args(args)
        .output()
        .expect("git runs")
}

fn git_ok(dir: &Path, args: &[&str]) -> String {
    let out = git(dir, args);
    assert!(
        out.status.success(),
        "git {args:?}: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn two_branches_adding_revisions_conflict_in_git_on_the_sum_file() {
    let p = TempProject::init();
    let dir = p.path();
    p.write(".gitignore", "app.db\n");
    p.write("schema.sql", "CREATE TABLE t (id INTEGER PRIMARY KEY);\n");
    ok(&p, &["migrate", "-m", "first"]);
    git_ok(dir, &["init", "-q", "-b", "main"]);
    git_ok(dir, &["add", "-A"]);
    git_ok(dir, &["commit", "-q", "-m", "first"]);

    git_ok(dir, &["checkout", "-q", "-b", "alice"]);
    ok(&p, &["revision", "-m", "alice's change"]);
    git_ok(dir, &["add", "-A"]);
    git_ok(dir, &["commit", "-q", "-m", "alice"]);

    git_ok(dir, &["checkout", "-q", "main"]);
    git_ok(dir, &["checkout", "-q", "-b", "bob"]);
    ok(&p, &["revision", "-m", "bob's change"]);
    git_ok(dir, &["add", "-A"]);
    git_ok(dir, &["commit", "-q", "-m", "bob"]);

    // Without the sum file these two merges would succeed and leave two heads.
    git_ok(dir, &["checkout", "-q", "main"]);
    git_ok(dir, &["merge", "-q", "alice"]);
    let merged = git(dir, &["merge", "bob"]);
    let said = String::from_utf8_lossy(&merged.stdout).into_owned();
    assert!(!merged.status.success(), "{said}");
    assert!(
        said.contains("CONFLICT (content): Merge conflict in migrations/wildebeest.sum"),
        "{said}"
    );
    // The migration files themselves merged cleanly; only the sum conflicts.
    let conflicted = git_ok(dir, &["diff", "--name-only", "--diff-filter=U"]);
    assert_eq!(conflicted, "migrations/wildebeest.sum\n");
    let text = status(&p, &["check"], 1);
    assert!(text.contains("conflict marker"), "{text}");

    // Resolve: take either side, merge the heads, rehash.
    git_ok(dir, &["checkout", "--theirs", "migrations/wildebeest.sum"]);
    let out = ok(&p, &["merge", "-m", "merge heads"]);
    assert!(out.contains("It merges "), "{out}");
    ok(&p, &["rehash"]);
    git_ok(dir, &["add", "-A"]);
    git_ok(dir, &["commit", "-q", "--no-edit"]);
    ok(&p, &["upgrade"]);
    p.cmd(&["check"]).assert().success().stdout(contains("OK"));
    assert_eq!(applied(&p).len(), 4);
}

#[test]
fn branches_heads_and_history_show_the_graph_and_the_database() {
    let p = TempProject::init();
    let (base, left1, left2, right) = two_branches(&p);
    let out = ok(&p, &["branches"]);
    let mut children = vec![
        (left1.clone(), format!("    -> {left1}, left1\n")),
        (right.clone(), format!("    -> {right} (head), right\n")),
    ];
    children.sort();
    let children: String = children.into_iter().map(|(_, line)| line).collect();
    assert_eq!(out, format!("{base} (branchpoint), base\n{children}"));
    let heads = ok(&p, &["heads"]);
    assert!(
        heads.contains(&format!("{left2} (head)  left2\n")),
        "{heads}"
    );
    assert!(
        heads.contains(&format!("{right} (head)  right\n")),
        "{heads}"
    );

    ok(&p, &["upgrade", &left1]);
    let out = ok(&p, &["history", "--indicate-current"]);
    assert_eq!(
        out,
        format!(
            "{base} -> {right} (head), right\n\
             {left1} -> {left2} (head), left2\n\
             {base} -> {left1} (current), left1\n\
             <base> -> {base} (branchpoint, applied), base\n"
        )
    );
    // A range follows the graph: from left1 up to every head is the left branch.
    let out = ok(&p, &["history", "-r", &format!("{left1}:")]);
    assert_eq!(
        out,
        format!("{left1} -> {left2} (head), left2\n{base} -> {left1}, left1\n")
    );
    let out = ok(&p, &["history", "-r", ":current"]);
    assert_eq!(
        out,
        format!("{base} -> {left1}, left1\n<base> -> {base} (branchpoint), base\n")
    );
    let out = ok(&p, &["history", "-r", &format!("{base}:{right}"), "-v"]);
    assert!(out.contains("    Branches into: "), "{out}");
    assert!(
        out.starts_with(&format!(
            "{base} -> {right} (head), right\n    Path: migrations/"
        )),
        "{out}"
    );
    // --graph draws the fork: the newest revision of each branch on its own lane,
    // joining at the branch point.
    let out = ok(&p, &["history", "--graph", "-i"]);
    assert_eq!(
        out,
        format!(
            "* {right} (head)  right\n\
             | * {left2} (head)  left2\n\
             | * {left1} (current)  left1\n\
             |/\n\
             * {base} (branchpoint, applied)  base\n"
        )
    );
    // A range draws only its revisions: the lane of a parent outside it ends.
    let out = ok(&p, &["history", "-g", "-v", "-r", &format!("{left1}:")]);
    assert!(
        out.starts_with(&format!("* {left2} (head)  left2\n|   Path: migrations/")),
        "{out}"
    );
    assert!(
        out.contains(&format!("* {left1}  left1\n    Path: migrations/")),
        "{out}"
    );
    let text = status(&p, &["history", "-r", "abc"], 2);
    assert!(text.contains("-r takes START:END"), "{text}");
    // Ends on two branches, or reversed, select nothing: an error, not an empty list.
    for range in [format!("{left1}:{right}"), format!("{left2}:{base}")] {
        let text = status(&p, &["history", "-r", &range], 2);
        assert!(text.contains("no revision descends from"), "{text}");
        assert!(!text.contains(" -> "), "{text}");
    }

    // show takes targets: every head, the database's current revision, REV-N.
    let out = ok(&p, &["show", "heads"]);
    let shown = |out: &str| out.lines().filter(|l| l.starts_with("Revision: ")).count();
    assert_eq!(shown(&out), 2, "{out}");
    assert!(
        out.contains(&format!("Revision: {left2} (head)\n")),
        "{out}"
    );
    assert!(
        out.contains(&format!("Revision: {right} (head)\n")),
        "{out}"
    );
    let out = ok(&p, &["show", "current"]);
    assert!(out.starts_with(&format!("Revision: {left1}\n")), "{out}");
    assert_eq!(shown(&out), 1, "{out}");
    let out = ok(&p, &["show", &format!("{left2}-2")]);
    assert!(out.starts_with(&format!("Revision: {base}\n")), "{out}");
    // `-1` is a target, not a flag, as in `downgrade -1`.
    let out = ok(&p, &["show", "-1"]);
    assert!(out.starts_with(&format!("Revision: {base}\n")), "{out}");
    // Offline, a relative step from several heads names the script's start, not a
    // database it never reads.
    let text = status(&p, &["downgrade", "--sql", "heads:-1"], 2);
    assert!(
        text.contains("the script starts at `heads`, 2 revisions") && !text.contains("database"),
        "{text}"
    );
    // Not "upgrade to one of them": show reads no database.
    for target in ["head", "head-1"] {
        let text = status(&p, &["show", target], 2);
        assert!(
            text.contains("there are 2 heads") && text.contains("wildebeest show heads"),
            "{text}"
        );
    }
    let text = status(&p, &["show", "base"], 2);
    assert!(text.contains("nothing to show"), "{text}");

    let text = status(&p, &["current", "--check-heads"], 1);
    assert!(
        text.contains(&format!("{left2}, {right} not applied"))
            || text.contains(&format!("{right}, {left2} not applied")),
        "{text}"
    );
}

/// Runs `script` with the sqlite3 command-line shell on the database file `db`, as a
/// user would (no `-bail`: the script says so itself).
pub(crate) fn sqlite3(db: &Path, script: &str) {
    let out = sqlite3_output(db, script);
    assert!(
        out.status.success() && out.stderr.is_empty(),
        "sqlite3 failed: {}\n--- script:\n{script}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn sqlite3_output(db: &Path, script: &str) -> std::process::Output {
    let mut child = Command::new("sqlite3")
        .arg(db)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("sqlite3 runs");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(script.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

// An offline script run through `sqlite3` the usual way (`sqlite3 db < script`) went
// on after a table rebuild's copy failed: it dropped the old table, renamed the empty
// copy into its place and recorded the revision. The script now stops the shell at
// the first error.
#[test]
fn an_offline_sqlite_script_stops_at_the_first_error() {
    let p = TempProject::init();
    p.write(
        "schema.sql",
        "CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT);\n",
    );
    ok(&p, &["migrate", "-m", "one"]);
    p.write(
        "schema.sql",
        "CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT NOT NULL DEFAULT 'x');\n",
    );
    ok(&p, &["migrate", "-m", "two"]);
    let one = p.migrations()[0]
        .file_name()
        .unwrap()
        .to_string_lossy()
        .split('_')
        .nth(2)
        .unwrap()
        .to_string();
    let db = p.path().join("offline.db");
    sqlite3(&db, &ok(&p, &["upgrade", "--sql", &format!(":{one}")]));
    sqlite3(&db, "INSERT INTO t (name) VALUES ('keep me'), (NULL);");
    let out = sqlite3_output(&db, &ok(&p, &["upgrade", "--sql", &format!("{one}:")]));
    assert!(!out.status.success());
    let conn = rusqlite::Connection::open(&db).unwrap();
    assert_eq!(query_rows(&conn, "SELECT COUNT(*) FROM t"), [["2"]]);
    assert_eq!(
        query_rows(&conn, "SELECT revision FROM wildebeest_revisions"),
        [[one]]
    );
}

// `upgrade --sql START:END` printed its header line before planning, so a command
// that then failed (`> script.sql`, exit 2) still left the start of a script behind.
// A script is printed whole or not at all.
#[test]
fn a_failing_sql_run_prints_no_partial_script() {
    let p = TempProject::init();
    p.write("schema.sql", "CREATE TABLE t (id INTEGER PRIMARY KEY);\n");
    ok(&p, &["migrate", "-m", "one"]);
    for args in [
        &["upgrade", "--sql", "base:nosuchrev"][..],
        &["upgrade", "--sql", "nosuchrev:head"],
        &["downgrade", "--sql", "head:nosuchrev"],
        &["upgrade", "--sql", "nosuchrev"],
    ] {
        let out = p.cmd(args).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert_eq!(String::from_utf8_lossy(&out.stdout), "", "{args:?}");
        assert!(
            String::from_utf8_lossy(&out.stderr).contains("nosuchrev"),
            "{args:?}"
        );
    }
}

fn master(db: &Path) -> Vec<Vec<String>> {
    let conn = rusqlite::Connection::open(db).unwrap();
    query_rows(
        &conn,
        "SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name",
    )
}

fn revisions(db: &Path) -> Vec<Vec<String>> {
    let conn = rusqlite::Connection::open(db).unwrap();
    query_rows(
        &conn,
        "SELECT revision, checksum FROM wildebeest_revisions ORDER BY revision",
    )
}

#[test]
fn an_offline_script_builds_the_same_database_as_an_online_upgrade() {
    let p = TempProject::init();
    p.write(
        "schema.sql",
        "CREATE TABLE dept (id INTEGER PRIMARY KEY, name TEXT);\n",
    );
    ok(&p, &["migrate", "-m", "dept"]);
    let first = id_of(&file(&p, "dept"));
    // A change SQLite can only make by rebuilding the table, and a child table.
    p.write(
        "schema.sql",
        "CREATE TABLE dept (id INTEGER PRIMARY KEY, name TEXT NOT NULL);\n\
         CREATE TABLE emp (id INTEGER PRIMARY KEY, dept_id INTEGER REFERENCES dept (id), name TEXT);\n\
         CREATE INDEX emp_name ON emp (name);\n",
    );
    ok(&p, &["migrate", "-m", "emp"]);
    // A branch and its merge, so the script crosses a merge point.
    ok(
        &p,
        &["revision", "-m", "side", "--head", &first, "--splice"],
    );
    edit_sections(
        &file(&p, "side"),
        "CREATE TABLE side (x INTEGER);",
        "DROP TABLE side;",
    );
    ok(&p, &["merge", "-m", "join"]);
    p.write(
        "schema.sql",
        &format!("{}CREATE TABLE side (x INTEGER);\n", p.read("schema.sql")),
    );

    let script = ok(&p, &["upgrade", "--sql", "base:head"]);
    assert!(
        script.contains("CREATE TABLE IF NOT EXISTS wildebeest_revisions"),
        "{script}"
    );
    assert!(
        script.contains("INSERT INTO wildebeest_revisions"),
        "{script}"
    );
    assert!(
        script.contains("INSERT INTO _wildebeest_new_dept"),
        "a rebuild: {script}"
    );
    assert!(!p.db().exists(), "--sql must not create the database");
    let offline = p.path().join("offline.db");
    sqlite3(&offline, &script);

    ok(&p, &["upgrade"]);
    assert_eq!(master(&offline), master(&p.db()));
    assert_eq!(revisions(&offline), revisions(&p.db()));
    assert_eq!(revisions(&offline).len(), 4);
    ok(&p, &["--database-url", "sqlite:offline.db", "check"]);

    // From a middle state: the script for a database at `first`.
    let middle = p.path().join("middle.db");
    let url = "sqlite:middle.db";
    ok(&p, &["--database-url", url, "upgrade", &first]);
    let script = ok(&p, &["upgrade", "--sql", &format!("{first}:heads")]);
    assert!(!script.contains(&format!("-- Upgrade {first}")), "{script}");
    sqlite3(&middle, &script);
    assert_eq!(master(&middle), master(&p.db()));
    assert_eq!(revisions(&middle), revisions(&p.db()));

    // And back down to base: only the version tables remain.
    let script = ok(&p, &["downgrade", "--sql", "head:base"]);
    assert!(
        script.contains("DELETE FROM wildebeest_revisions"),
        "{script}"
    );
    assert!(
        script.contains("-- Nothing in this script enforces the data-loss guards"),
        "{script}"
    );
    sqlite3(&offline, &script);
    let left: Vec<String> = master(&offline)
        .into_iter()
        .filter(|r| r[0] == "table")
        .map(|r| r[1].clone())
        .collect();
    assert_eq!(
        left,
        [
            "sqlite_sequence",
            "wildebeest_history",
            "wildebeest_revisions"
        ]
    );
    assert!(revisions(&offline).is_empty());

    // START:END goes with --sql; START is a state, not a step from the database.
    let text = status(&p, &["upgrade", "base:head"], 2);
    assert!(text.contains("goes with --sql"), "{text}");
    let text = status(&p, &["upgrade", "--sql", "-1:head"], 2);
    assert!(
        text.contains("START in upgrade --sql START:END is a state"),
        "{text}"
    );
    let text = status(&p, &["downgrade", "--sql", "head:"], 2);
    assert!(text.contains("give where the downgrade ends"), "{text}");
    // An upgrade does not go down, online or offline, to base or to a revision.
    let first_id = id_of(&p.migrations()[0]);
    for args in [
        vec!["upgrade", "--sql", "head:base"],
        vec!["upgrade", "base"],
        vec!["upgrade", &first_id],
    ] {
        let text = status(&p, &args, 2);
        assert!(text.contains("would go down"), "{args:?}: {text}");
    }
    let out = ok(&p, &["upgrade", "--sql", "head:head"]);
    assert!(
        out.contains("-- Nothing to do: head is already at head."),
        "{out}"
    );
}

// Plain `upgrade --sql` (no START:END) used to print no version tables, so its script
// stopped at the first bookkeeping INSERT on a fresh database.
#[test]
fn plain_upgrade_sql_runs_in_sqlite3_on_a_fresh_database() {
    let p = TempProject::init();
    p.write(
        "schema.sql",
        "CREATE TABLE dept (id INTEGER PRIMARY KEY, name TEXT);\n",
    );
    ok(&p, &["migrate", "-m", "dept"]);
    p.write(
        "schema.sql",
        "CREATE TABLE dept (id INTEGER PRIMARY KEY, name TEXT NOT NULL);\n",
    );
    ok(&p, &["migrate", "-m", "name required"]);

    let script = ok(&p, &["upgrade", "--sql"]);
    assert!(!p.db().exists(), "--sql must not create the database");
    let fresh = p.path().join("fresh.db");
    sqlite3(&fresh, &script);
    ok(&p, &["upgrade"]);
    assert_eq!(master(&fresh), master(&p.db()));
    assert_eq!(revisions(&fresh), revisions(&p.db()));

    // From a database at the first revision, the script runs there too.
    let first = id_of(&file(&p, "dept"));
    let middle = p.path().join("middle.db");
    let url = "sqlite:middle.db";
    ok(&p, &["--database-url", url, "upgrade", &first]);
    let script = ok(&p, &["--database-url", url, "upgrade", "--sql"]);
    sqlite3(&middle, &script);
    assert_eq!(master(&middle), master(&p.db()));

    // A downgrade script as well.
    let script = ok(&p, &["--database-url", url, "downgrade", "--sql", "base"]);
    assert!(
        script.starts_with(
            "-- For the sqlite3 shell: stop at the first error.\n.bail on\n\
             CREATE TABLE IF NOT EXISTS wildebeest_revisions"
        ),
        "{script}"
    );
    sqlite3(&middle, &script);
    assert!(revisions(&middle).is_empty());
}

#[test]
fn stamp_purge_empties_the_version_table_first() {
    let p = TempProject::init();
    ok(&p, &["revision", "-m", "one"]);
    ok(&p, &["revision", "-m", "two"]);
    let (one, two) = (id_of(&file(&p, "one")), id_of(&file(&p, "two")));
    ok(&p, &["stamp", "head"]);
    p.conn()
        .execute_batch(
            "INSERT INTO wildebeest_revisions VALUES ('ffffffffffff', 'x', 'y');
             UPDATE wildebeest_revisions SET checksum = 'stale';",
        )
        .unwrap();
    let sql = ok(&p, &["stamp", "--purge", "--sql", &one]);
    assert!(
        sql.contains("\nDELETE FROM wildebeest_revisions;\n"),
        "{sql}"
    );
    assert_eq!(applied(&p).len(), 3, "--sql changes nothing");
    // Written without reading this database (none is there), the script still
    // empties the table it runs on: it used to leave the rows and fail on them.
    let blind = ok(
        &p,
        &[
            "--database-url",
            "sqlite:nowhere.db",
            "stamp",
            "--purge",
            "--sql",
            &one,
        ],
    );
    assert!(!p.path().join("nowhere.db").exists());
    let copy = p.path().join("copy.db");
    std::fs::copy(p.db(), &copy).unwrap();
    sqlite3(&copy, &blind);
    let conn = rusqlite::Connection::open(&copy).unwrap();
    assert_eq!(
        query_rows(&conn, "SELECT revision FROM wildebeest_revisions"),
        [[one.clone()]]
    );
    let out = ok(&p, &["stamp", "--purge", &one]);
    assert_eq!(out, format!("Stamped {one} (version table purged)\n"));
    let rows = p.rows("SELECT revision, checksum <> 'stale' FROM wildebeest_revisions");
    assert_eq!(rows, vec![vec![one.clone(), "1".to_string()]]);
    ok(&p, &["stamp", "--purge", "head"]);
    assert_eq!(applied(&p), sorted(&[&one, &two]));
}

/// base ← x1 ← x2 (x1 labelled `xb`) and base ← y1 (labelled `yb`, made with --splice),
/// each creating a table. Returns (base, x1, x2, y1).
fn labelled_branches(p: &TempProject) -> (String, String, String, String) {
    p.write(
        "schema.sql",
        "CREATE TABLE base (id INTEGER PRIMARY KEY);\n",
    );
    ok(p, &["migrate", "-m", "base"]);
    let base = id_of(&file(p, "base"));
    // base is still a head: no --splice needed.
    ok(
        p,
        &[
            "revision",
            "-m",
            "x one",
            "--head",
            &base,
            "--branch-label",
            "xb",
        ],
    );
    let text = status(
        p,
        &[
            "revision",
            "-m",
            "y one",
            "--head",
            &base,
            "--branch-label",
            "yb",
        ],
        2,
    );
    assert!(text.contains("add --splice"), "{text}");
    ok(
        p,
        &[
            "revision",
            "-m",
            "y one",
            "--head",
            &base,
            "--branch-label",
            "yb",
            "--splice",
        ],
    );
    ok(p, &["revision", "-m", "x two", "--head", "xb@head"]);
    for (slug, table) in [("x_one", "x1"), ("x_two", "x2"), ("y_one", "y1")] {
        edit_sections(
            &file(p, slug),
            &format!("CREATE TABLE {table} (id INTEGER PRIMARY KEY);"),
            &format!("DROP TABLE {table};"),
        );
    }
    ok(p, &["rehash"]);
    let x1 = id_of(&file(p, "x_one"));
    assert!(
        std::fs::read_to_string(file(p, "x_one"))
            .unwrap()
            .contains(&format!("-- Revises: {base}\n-- Message: x one\n")),
    );
    assert!(
        std::fs::read_to_string(file(p, "x_one"))
            .unwrap()
            .contains("-- Branch-Labels: xb\n-- Dialect: sqlite\n"),
    );
    (base, x1, id_of(&file(p, "x_two")), id_of(&file(p, "y_one")))
}

#[test]
fn labelled_branches_upgrade_and_downgrade_by_label() {
    let p = TempProject::init();
    let (base, x1, x2, y1) = labelled_branches(&p);

    let mut heads = [
        format!("{x2} (xb) (head)  x two\n"),
        format!("{y1} (yb) (head)  y one\n"),
    ];
    heads.sort();
    assert_eq!(ok(&p, &["heads"]), heads.concat());
    let branches = ok(&p, &["branches"]);
    assert!(
        branches.contains(&format!("    -> {x1} (xb), x one\n")),
        "{branches}"
    );
    let show = ok(&p, &["show", "xb@head"]);
    assert!(
        show.starts_with(&format!(
            "Revision: {x2} (head)\nParents:  {x1}\nLabels:   xb\n"
        )),
        "{show}"
    );

    // A label names one branch.
    let text = status(
        &p,
        &[
            "revision",
            "-m",
            "z",
            "--head",
            "yb@head",
            "--branch-label",
            "xb",
        ],
        2,
    );
    assert!(
        text.contains(&format!(
            "error: --branch-label xb: revision {x1} (migrations/"
        )) && text.contains("already declares it"),
        "{text}"
    );
    let text = status(
        &p,
        &[
            "revision",
            "-m",
            "z",
            "--branch-label",
            &x2,
            "--head",
            "yb@head",
        ],
        2,
    );
    assert!(text.contains("is the id of revision"), "{text}");

    // Only the x branch (and base, which it grows from).
    ok(&p, &["upgrade", "xb@head"]);
    assert_eq!(applied(&p), sorted(&[&base, &x1, &x2]));
    assert_eq!(tables(&p), ["base", "x1", "x2"]);
    let out = ok(&p, &["current"]);
    assert_eq!(out, format!("{x2} (xb) (head)  x two\n"));

    ok(&p, &["upgrade", "yb@head"]);
    assert_eq!(applied(&p), sorted(&[&base, &x1, &x2, &y1]));

    // The x branch goes; base and the y branch stay.
    ok(&p, &["downgrade", "xb@base"]);
    assert_eq!(applied(&p), sorted(&[&base, &y1]));
    assert_eq!(tables(&p), ["base", "y1"]);

    // xb@+1 from below the branch, then xb@-1.
    ok(&p, &["upgrade", "xb@+1"]);
    assert_eq!(applied(&p), sorted(&[&base, &x1, &y1]));
    ok(&p, &["downgrade", "xb@-1"]);
    assert_eq!(applied(&p), sorted(&[&base, &y1]));

    // history -r LABEL@base:LABEL@head is the branch.
    let out = ok(&p, &["history", "-r", "xb@base:xb@head"]);
    assert_eq!(
        out,
        format!("{x1} -> {x2} (xb) (head), x two\n{base} -> {x1} (xb), x one\n")
    );

    // Stamp by label moves that branch only: the y branch stays applied.
    ok(&p, &["stamp", "xb@head"]);
    assert_eq!(applied(&p), sorted(&[&base, &x1, &x2, &y1]));
    // Stamping a revision below a branch's head unmarks what grows on it there.
    ok(&p, &["stamp", &x1]);
    assert_eq!(applied(&p), sorted(&[&base, &x1, &y1]));

    // x grows a second head: xb@head cannot choose, and says where they are.
    ok(&p, &["revision", "-m", "x fork", "--head", &x1, "--splice"]);
    let text = status(&p, &["upgrade", "xb@head"], 2);
    assert!(
        text.contains("error: xb@head is ambiguous: branch xb has 2 heads (")
            && text.contains("_x_fork.sql"),
        "{text}"
    );
}

#[test]
fn depends_on_across_branches_orders_upgrades_and_downgrades() {
    let p = TempProject::init();
    let (base, x1, x2, _) = labelled_branches(&p);
    // z on the y branch needs x2 (named by its branch label's head's prefix).
    ok(
        &p,
        &[
            "revision",
            "-m",
            "z",
            "--head",
            "yb@head",
            "--depends-on",
            &x2[..8],
        ],
    );
    edit_sections(
        &file(&p, "z"),
        "CREATE TABLE z (id INTEGER PRIMARY KEY, x2_id INTEGER REFERENCES x2 (id));",
        "DROP TABLE z;",
    );
    ok(&p, &["rehash"]);
    let z = id_of(&file(&p, "z"));
    let text = std::fs::read_to_string(file(&p, "z")).unwrap();
    assert!(
        text.contains(&format!("-- Depends-On: {x2}\n-- Dialect: sqlite\n")),
        "{text}"
    );
    let y1 = id_of(&file(&p, "y_one"));
    // x2 is still a head: a dependency is no parent.
    let mut heads = vec![x2.clone(), z.clone()];
    heads.sort();
    let listed: Vec<String> = ok(&p, &["heads"])
        .lines()
        .map(|l| l[..12].to_string())
        .collect();
    assert_eq!(listed, heads);

    // Upgrading z applies x2 and its ancestors first.
    ok(&p, &["upgrade", &z]);
    assert_eq!(applied(&p), sorted(&[&base, &x1, &x2, &y1, &z]));
    let current: Vec<String> = ok(&p, &["current"])
        .lines()
        .map(|l| l[..12].to_string())
        .collect();
    assert_eq!(current, heads);

    // Downgrading the x branch to x1 undoes z (which needs x2) first.
    ok(&p, &["downgrade", &x1]);
    assert_eq!(applied(&p), sorted(&[&base, &x1, &y1]));
    assert_eq!(tables(&p), ["base", "x1", "y1"]);
    let log = p.rows("SELECT revision, operation FROM wildebeest_history ORDER BY id");
    let downs: Vec<&str> = log
        .iter()
        .filter(|r| r[1] == "downgrade")
        .map(|r| r[0].as_str())
        .collect();
    assert_eq!(downs, [z.as_str(), x2.as_str()]);

    // A dependency no file defines: the file and line of the header.
    let path = file(&p, "z");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(
        &path,
        text.replace(
            &format!("-- Depends-On: {x2}"),
            "-- Depends-On: ffffffffffff",
        ),
    )
    .unwrap();
    let err = status(&p, &["heads"], 2);
    let line = text
        .lines()
        .position(|l| l.starts_with("-- Depends-On:"))
        .unwrap()
        + 1;
    assert!(
        err.contains(&format!(
            "_z.sql:{line}: revision {z} depends on ffffffffffff, which no migration file defines"
        )),
        "{err}"
    );
    // A cycle through Depends-On names the files.
    std::fs::write(&path, &text).unwrap();
    let x1_path = file(&p, "x_one");
    let x1_text = std::fs::read_to_string(&x1_path).unwrap();
    std::fs::write(
        &x1_path,
        x1_text.replace(
            "-- Dialect: sqlite",
            &format!("-- Depends-On: {z}\n-- Dialect: sqlite"),
        ),
    )
    .unwrap();
    let err = status(&p, &["history"], 2);
    assert!(
        err.contains("form a cycle through Depends-On")
            && err.contains("_x_one.sql")
            && err.contains("_z.sql"),
        "{err}"
    );
    let _ = (base, y1);
}

#[test]
fn migrate_declares_labels_and_dependencies_too() {
    let p = TempProject::init();
    p.write("schema.sql", "CREATE TABLE a (id INTEGER PRIMARY KEY);\n");
    ok(&p, &["migrate", "-m", "a", "--branch-label", "core"]);
    let a = id_of(&file(&p, "a"));
    let text = std::fs::read_to_string(file(&p, "a")).unwrap();
    assert!(text.contains("-- Branch-Labels: core\n"), "{text}");
    assert_eq!(ok(&p, &["heads"]), format!("{a} (core) (head)  a\n"));

    // A label that names a target, or a dependency nobody defines: nothing is written.
    p.write(
        "schema.sql",
        "CREATE TABLE a (id INTEGER PRIMARY KEY);\nCREATE TABLE b (id INTEGER PRIMARY KEY);\n",
    );
    for label in ["heads", "current"] {
        let text = status(&p, &["migrate", "-m", "b", "--branch-label", label], 2);
        assert!(
            text.contains(&format!("error: --branch-label \"{label}\": a label is")),
            "{text}"
        );
    }
    let text = status(&p, &["migrate", "-m", "b", "--depends-on", "nope"], 2);
    assert!(
        text.contains("error: --depends-on nope: no revision matches \"nope\""),
        "{text}"
    );
    assert_eq!(p.migrations().len(), 1);

    // A revision may depend on the labelled revision by its label.
    ok(&p, &["migrate", "-m", "b", "--depends-on", "core"]);
    let text = std::fs::read_to_string(file(&p, "b")).unwrap();
    assert!(text.contains(&format!("-- Depends-On: {a}\n")), "{text}");
    ok(&p, &["upgrade"]);
    assert_eq!(tables(&p), ["a", "b"]);
}

#[test]
fn relative_upgrades_across_a_merge_apply_one_revision_a_step() {
    // x ← m, x ← b1 ← b2, h merges m and b2; the database is at m. `upgrade +1`
    // applied b1, b2 and h at once while `+2` and `+3` were refused.
    let p = TempProject::init();
    ok(&p, &["revision", "-m", "x"]);
    let x = id_of(&file(&p, "x"));
    ok(&p, &["revision", "-m", "m"]);
    let m = id_of(&file(&p, "m"));
    ok(&p, &["revision", "-m", "b1", "--head", &x, "--splice"]);
    let b1 = id_of(&file(&p, "b1"));
    ok(&p, &["revision", "-m", "b2", "--head", &b1]);
    let b2 = id_of(&file(&p, "b2"));
    ok(&p, &["merge", "-m", "h", &m, &b2]);
    let h = id_of(&file(&p, "h"));
    ok(&p, &["upgrade", &m]);
    let planned = |n: usize| -> Vec<String> {
        ok(&p, &["upgrade", &format!("+{n}"), "--sql"])
            .lines()
            .filter_map(|l| l.strip_prefix("-- Upgrade "))
            .map(|l| l[..12].to_string())
            .collect()
    };
    assert_eq!(planned(1), std::slice::from_ref(&b1));
    assert_eq!(planned(2), [b1.clone(), b2.clone()]);
    assert_eq!(planned(3), [b1.clone(), b2.clone(), h.clone()]);
    let text = status(&p, &["upgrade", "+4", "--sql"], 2);
    assert!(
        text.contains("cannot go 4 revisions up: only 3 revisions to apply"),
        "{text}"
    );
    // One step at a time gets there too.
    ok(&p, &["upgrade", "+1"]);
    assert_eq!(applied(&p), sorted(&[&x, &m, &b1]));
    ok(&p, &["upgrade", "+1"]);
    assert_eq!(applied(&p), sorted(&[&x, &m, &b1, &b2]));
    ok(&p, &["upgrade", "+1"]);
    assert_eq!(applied(&p), sorted(&[&x, &m, &b1, &b2, &h]));
}

/// The history's rows, oldest first: (revision, operation).
fn history_rows(db: &Path) -> Vec<Vec<String>> {
    let conn = rusqlite::Connection::open(db).unwrap();
    query_rows(
        &conn,
        "SELECT revision, operation FROM wildebeest_history ORDER BY id",
    )
}

// A stamp to several heads used to write one history row whose revision was
// 'left2,right', an id no revision has.
#[test]
fn a_stamp_to_several_heads_records_one_history_row_per_head() {
    let p = TempProject::init();
    let (_, _, left2, right) = two_branches(&p);
    let mut expected = vec![
        vec![left2.clone(), "stamp".to_string()],
        vec![right.clone(), "stamp".to_string()],
    ];
    expected.sort();
    let out = ok(&p, &["stamp", "heads"]);
    assert!(out.contains("Stamped"), "{out}");
    let mut rows = history_rows(&p.db());
    rows.sort();
    assert_eq!(rows, expected);

    // The same rows from the printed script, run on a fresh database.
    let script = ok(
        &p,
        &[
            "--database-url",
            "sqlite:fresh.db",
            "stamp",
            "heads",
            "--sql",
        ],
    );
    let fresh = p.path().join("fresh.db");
    sqlite3(&fresh, &script);
    let mut rows = history_rows(&fresh);
    rows.sort();
    assert_eq!(rows, expected);

    // A stamp to base records `base`.
    ok(&p, &["stamp", "base"]);
    assert_eq!(
        history_rows(&p.db()).last().unwrap(),
        &vec!["base".to_string(), "stamp".to_string()]
    );
}

#[test]
fn stamp_sql_is_a_whole_script_and_stamping_the_current_state_does_nothing() {
    let p = TempProject::init();
    let (_, left1, left2, right) = two_branches(&p);
    // A database without version tables: they come first, the rows in a transaction.
    let sql = ok(&p, &["stamp", "heads", "--sql"]);
    let tables = sql
        .find("CREATE TABLE IF NOT EXISTS wildebeest_revisions")
        .unwrap();
    let begin = sql.find("BEGIN;\n").unwrap();
    let insert = sql.find("INSERT INTO wildebeest_history").unwrap();
    let commit = sql.find("COMMIT;\n").unwrap();
    assert!(tables < begin && begin < insert && insert < commit, "{sql}");
    assert!(!sql.contains("Nothing to do"), "{sql}");

    // At the target already: nothing to print but that, nothing to record. It used
    // to print "-- Nothing to do" after an INSERT of a history row for 'left2,right'.
    ok(&p, &["upgrade", "heads"]);
    let history = || p.rows("SELECT revision, operation FROM wildebeest_history ORDER BY id");
    let before = history();
    assert_eq!(
        ok(&p, &["stamp", "heads", "--sql"]),
        "-- Nothing to do: the database is already at every head.\n"
    );
    assert_eq!(
        ok(&p, &["stamp", "heads"]),
        "Nothing to do: the database is already at every head.\n"
    );
    assert_eq!(history(), before);
    assert!(!before.iter().any(|r| r[0].contains(',')), "{before:?}");
    // A stamp that changes the set still runs and is recorded.
    ok(&p, &["stamp", &left1]);
    let now = applied(&p);
    assert!(now.contains(&right) && !now.contains(&left2), "{now:?}");
    // One row for each head it leaves current: left1 and right.
    let after = history();
    assert_eq!(after.len(), before.len() + 2, "{after:?}");
    let mut stamped: Vec<String> = after[before.len()..].iter().map(|r| r[0].clone()).collect();
    stamped.sort();
    assert_eq!(stamped, sorted(&[&left1, &right]));
}

// A plain stamp dropped, without a word, the row of an applied revision whose file is
// not in the folder (a colleague's, on a branch that lacks it); a later upgrade with
// the file back then ran it again. Only `--purge` forgets such rows.
#[test]
fn a_plain_stamp_keeps_rows_of_revisions_it_does_not_know() {
    let p = TempProject::init();
    p.write("schema.sql", "CREATE TABLE t (id INTEGER PRIMARY KEY);\n");
    ok(&p, &["migrate", "-m", "one"]);
    p.write(
        "schema.sql",
        "CREATE TABLE t (id INTEGER PRIMARY KEY);\nCREATE TABLE u (id INTEGER PRIMARY KEY);\n",
    );
    ok(&p, &["migrate", "-m", "two"]);
    ok(&p, &["upgrade"]);
    let two = file(&p, "two");
    let held = p.path().join("two.sql.held");
    std::fs::rename(&two, &held).unwrap();
    ok(&p, &["rehash"]);
    p.cmd(&["stamp", "head"])
        .assert()
        .code(2)
        .stderr(contains("not in the migrations folder"))
        .stderr(contains("--purge"));
    assert_eq!(applied(&p).len(), 2);
    // history -i marked `one` current, as if the database were there.
    let id = id_of(&two);
    let text = status(&p, &["history", "-i"], 2);
    assert!(
        text.contains(&format!(
            "the database has revision {id} applied, which is not in migrations/"
        )),
        "{text}"
    );
    std::fs::rename(&held, &two).unwrap();
    ok(&p, &["rehash"]);
    ok(&p, &["upgrade"]);
    ok(&p, &["check"]);
}

// With two heads pending, check advised `wildebeest upgrade`, which then refuses.
#[test]
fn check_advises_upgrade_heads_when_there_are_several() {
    let p = TempProject::init();
    ok(&p, &["revision", "-m", "one"]);
    ok(&p, &["revision", "-m", "two", "--head", "base", "--splice"]);
    let check = || {
        let out = p.cmd(&["check"]).output().unwrap();
        assert_eq!(out.status.code(), Some(1));
        String::from_utf8_lossy(&out.stdout).to_string() + &String::from_utf8_lossy(&out.stderr)
    };
    let text = check();
    assert!(
        text.contains("the database does not exist yet (run `wildebeest upgrade heads`)"),
        "{text}"
    );
    let one = id_of(&file(&p, "one"));
    ok(&p, &["upgrade", &one]);
    let text = check();
    assert!(
        text.contains("1 revision not applied")
            && text.contains("(run `wildebeest upgrade heads`)"),
        "{text}"
    );
}

// `merge xb yb` merged the branches' first revisions (a bare label names the one that
// declares it), leaving every head and adding one; `merge xb@head yb@head` failed
// with "no revision matches".
#[test]
fn merge_takes_label_heads_and_refuses_revisions_that_are_not_heads() {
    let p = TempProject::init();
    let (_, x1, x2, y1) = labelled_branches(&p);
    let text = status(&p, &["merge", "-m", "m", "xb", "yb"], 2);
    assert!(
        text.contains(&format!("{x1} is not a head ({x2} grows on it)")),
        "{text}"
    );
    let out = ok(&p, &["merge", "-m", "m", "xb@head", "yb@head"]);
    let mut parents = [x2.clone(), y1.clone()];
    parents.sort();
    assert!(
        out.contains(&format!("It merges {}.", parents.join(", "))),
        "{out}"
    );
    assert_eq!(ok(&p, &["heads"]).lines().count(), 1);
}

// A branch label that is the start of a revision id names either revision, so
// `upgrade LABEL` stopped with an error about the ambiguity long after the label was
// chosen. Such a label is refused when it is declared, and a new revision's id never
// starts with an existing label.
#[test]
fn labels_and_new_ids_never_claim_each_other() {
    use wildebeest_cli::app::{self, Fresh, Links, Project};
    use wildebeest_cli::config::Config;

    let p = TempProject::init();
    let project = || Project::load(Config::load(p.path(), None, None).unwrap()).unwrap();
    let fresh = |random: [u8; 6]| Fresh {
        now: "2026-01-01T00:00:00Z".into(),
        random,
    };
    let labelled = Links {
        branch_labels: vec!["ab".into()],
        ..Links::default()
    };
    app::revision(
        &project(),
        "one",
        &labelled,
        &fresh([0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc]),
        &mut Vec::new(),
    )
    .unwrap();
    // These bytes spell an id starting with the label `ab`: another id is taken.
    app::revision(
        &project(),
        "two",
        &Links::default(),
        &fresh([0xab, 0xcd, 0xef, 0x01, 0x23, 0x45]),
        &mut Vec::new(),
    )
    .unwrap();
    let ids: Vec<String> = p.migrations().iter().map(|m| id_of(m)).collect();
    assert_eq!(ids[0], "123456789abc");
    assert!(!ids[1].starts_with("ab"), "{ids:?}");
    assert_eq!(ids[1].len(), 12, "{ids:?}");
    // Deterministic: the same bytes give the same id.
    let again = TempProject::init();
    let project_again = Project::load(Config::load(again.path(), None, None).unwrap()).unwrap();
    app::revision(
        &project_again,
        "one",
        &labelled,
        &fresh([0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc]),
        &mut Vec::new(),
    )
    .unwrap();
    let project_again = Project::load(Config::load(again.path(), None, None).unwrap()).unwrap();
    app::revision(
        &project_again,
        "two",
        &Links::default(),
        &fresh([0xab, 0xcd, 0xef, 0x01, 0x23, 0x45]),
        &mut Vec::new(),
    )
    .unwrap();
    assert_eq!(id_of(&again.migrations()[1]), ids[1]);

    // `upgrade ab` means the labelled revision, unambiguously.
    ok(&p, &["upgrade", "ab"]);
    // A label that starts an existing id is refused, naming the revision.
    let text = status(
        &p,
        &["revision", "-m", "three", "--branch-label", "1234"],
        2,
    );
    assert!(
        text.contains("--branch-label 1234: revision 123456789abc"),
        "{text}"
    );
    assert_eq!(p.migrations().len(), 2);
}

// With several heads, `migrate` could only say to merge or to write the revision by
// hand with `revision --head`. `migrate --head REV` autogenerates onto one branch,
// compared with every revision (the database `upgrade heads` builds), and warns when
// it changes a table only another branch makes.
// migrate --head compares schema.sql with every branch, so a step could assume what
// another branch did (here: dropped an index) and fail on its own branch, unwarned.
#[test]
fn migrate_head_warns_of_a_step_its_branch_cannot_take() {
    let p = TempProject::init();
    p.write(
        "schema.sql",
        "CREATE TABLE t (id INTEGER PRIMARY KEY, a INTEGER, b INTEGER);\n\
         CREATE INDEX ix ON t (a);\n",
    );
    ok(&p, &["migrate", "-m", "init"]);
    let init = id_of(&file(&p, "init"));
    p.write(
        "schema.sql",
        "CREATE TABLE t (id INTEGER PRIMARY KEY, a INTEGER, b INTEGER);\n",
    );
    ok(&p, &["migrate", "-m", "drop ix"]);
    // On a branch from init, where `ix` is still there, the index on b is wanted.
    p.write(
        "schema.sql",
        "CREATE TABLE t (id INTEGER PRIMARY KEY, a INTEGER, b INTEGER);\n\
         CREATE INDEX ix ON t (b);\n",
    );
    let out = p
        .cmd(&["migrate", "-m", "ix on b", "--head", &init, "--splice"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(&format!(
            "the migration's step \"added index `ix` on `t` (b)\" does not apply to the schema below {init} (index `ix` already exists)"
        )),
        "{stderr}"
    );
    let text = status(&p, &["upgrade", &id_of(&file(&p, "ix_on_b"))], 2);
    assert!(text.contains("ix"), "{text}");
}

#[test]
fn migrate_head_autogenerates_onto_one_branch() {
    let p = TempProject::init();
    let (base, _left1, left2, right) = two_branches(&p);
    let schema = std::fs::read_to_string(p.path().join("schema.sql")).unwrap();
    p.write(
        "schema.sql",
        &schema.replace(
            "CREATE TABLE r (id INTEGER PRIMARY KEY);",
            "CREATE TABLE r (id INTEGER PRIMARY KEY, note TEXT);",
        ),
    );
    // Several heads: migrate says where a revision can go.
    let text = status(&p, &["migrate", "-m", "note"], 2);
    assert!(text.contains("with `--head REV`"), "{text}");
    // On the right branch: only the change, and no warning.
    let out = p
        .cmd(&["migrate", "-m", "note", "--head", &right[..8]])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    assert_eq!(String::from_utf8_lossy(&out.stderr), "");
    let note = std::fs::read_to_string(file(&p, "note")).unwrap();
    assert!(note.contains(&format!("-- Revises: {right}\n")), "{note}");
    assert!(
        note.contains("ALTER TABLE r ADD COLUMN note TEXT;"),
        "{note}"
    );
    assert!(!note.contains("CREATE TABLE"), "{note}");
    ok(&p, &["upgrade", "heads"]);
    p.cmd(&["check"]).assert().code(1); // still two heads, as asked
    let heads = ok(&p, &["heads"]);
    assert!(heads.contains(&left2), "{heads}");

    // On the left branch, a change to the right branch's table: written, and warned.
    p.write(
        "schema.sql",
        &schema.replace(
            "CREATE TABLE r (id INTEGER PRIMARY KEY);",
            "CREATE TABLE r (id INTEGER PRIMARY KEY, note TEXT, extra INTEGER);",
        ),
    );
    let out = p
        .cmd(&["migrate", "-m", "extra", "--head", &left2])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(&format!(
            "the migration changes table `r`, which the revisions below {left2} do not make"
        )),
        "{stderr}"
    );
    // Depending on the revision that makes `r` silences it.
    std::fs::remove_file(file(&p, "extra")).unwrap();
    ok(&p, &["rehash"]);
    let out = p
        .cmd(&[
            "migrate",
            "-m",
            "extra",
            "--head",
            &left2,
            "--depends-on",
            &right,
        ])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    assert_eq!(String::from_utf8_lossy(&out.stderr), "");
    // A revision with children needs --splice, as for `revision --head`.
    let text = status(&p, &["migrate", "-m", "x", "--head", &base], 2);
    assert!(text.contains("add --splice"), "{text}");
    ok(&p, &["upgrade", "heads"]);
}
