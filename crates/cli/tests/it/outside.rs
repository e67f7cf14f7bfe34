//! A cargo package outside the workspace, in a temporary folder, built offline with
//! the workspace's lock file (so with the versions CI tested) into the shared target
//! folder `target/outside`: how the tests use the library and `db` as an
//! application does.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The workspace's root folder.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .unwrap()
}

/// A dependency line on the workspace crate in `dir` (`crates/wildebeest`), with no
/// default features and `features`.
pub fn path_dependency(name: &str, dir: &str, features: &[&str]) -> String {
    let features: Vec<String> = features.iter().map(|f| format!("{f:?}")).collect();
    format!(
        "{name} = {{ path = {:?}, default-features = false, features = [{}] }}\n",
        root().join(dir).to_str().unwrap(),
        features.join(", ")
    )
}

/// The package: its folder and its name (the binary's).
pub struct Package {
    dir: tempfile::TempDir,
    name: String,
}

impl Package {
    /// A binary package `name` with `dependencies` (lines of `[dependencies]`),
    /// `src/main.rs` holding `main`, and an empty `migrations/`.
    pub fn new(name: &str, dependencies: &str, main: &str) -> Package {
        let dir = tempfile::tempdir().unwrap();
        let manifest = format!(
            "[package]\nname = {name:?}\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n\
             [workspace]\n\n\
             [dependencies]\n{dependencies}\n\
             [profile.dev]\ndebug = false\n"
        );
        std::fs::write(dir.path().join("Cargo.toml"), manifest).unwrap();
        std::fs::copy(root().join("Cargo.lock"), dir.path().join("Cargo.lock")).unwrap();
        std::fs::create_dir(dir.path().join("src")).unwrap();
        std::fs::write(dir.path().join("src/main.rs"), main).unwrap();
        std::fs::create_dir(dir.path().join("migrations")).unwrap();
        Package {
            dir,
            name: name.to_string(),
        }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Runs `cargo ARGS --offline` in the package.
    pub fn cargo(&self, args: &[&str]) -> Output {
        Command::new(env!("CARGO"))
            .args(args)
            .arg("--offline")
            .current_dir(self.path())
            .env("CARGO_TARGET_DIR", root().join("target/outside"))
            .env_remove("RUSTFLAGS")
            .output()
            .unwrap()
    }

    /// Builds the package; returns its binary, copied out of the shared target
    /// folder so that another test's build does not replace it.
    pub fn build(&self) -> PathBuf {
        let out = self.cargo(&["build", "--quiet"]);
        assert!(
            out.status.success(),
            "cargo build failed:\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let built = root().join("target/outside/debug").join(&self.name);
        let binary = self.path().join(&self.name);
        std::fs::copy(built, &binary).unwrap();
        binary
    }
}
