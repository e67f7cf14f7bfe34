//! Passwords out of every word a user reads.
//!
//! A password can reach a message by many roads: a TOML error quoting the
//! `database_url` line, a URL that does not parse, a driver's error, a panic. Rather
//! than trust each road, the settings register every password they meet
//! ([`register`]: the text of `wildebeest.toml`, `DATABASE_URL`, `--database-url`),
//! and everything the binary prints to standard error (errors, warnings, panics)
//! passes through one function, [`redact`], which replaces each of them, as written
//! and percent-decoded, by `***`. Standard output, which carries scripts that must
//! stay as written, goes through [`Redacting`]: a password there is replaced where
//! it stands in a URL.
//!
//! ```
//! wildebeest_cli::redact::register("postgres://app:p%40ss-1234@db/shop");
//! assert_eq!(
//!     wildebeest_cli::redact::redact("auth failed for p@ss-1234 (p%40ss-1234)"),
//!     "auth failed for *** (***)"
//! );
//! ```

use std::io::{self, Write};
use std::sync::RwLock;

/// The command a user types, as messages name it (`wildebeest upgrade`): an
/// application that mounts the commands as its own `myapp db` sets it
/// ([`set_program`]), and every "`wildebeest " in what is printed becomes
/// "`myapp db ", so that advice works when followed as written.
static PROGRAM: RwLock<Option<String>> = RwLock::new(None);

/// Names the command messages tell the user to type, in place of `wildebeest`
/// (`myapp db`).
pub fn set_program(command: &str) {
    *PROGRAM.write().unwrap_or_else(|e| e.into_inner()) = Some(command.to_string());
}

/// `text` with each "`wildebeest " (a command to type, in backticks) naming the
/// program set by [`set_program`], if any.
pub fn name_program(text: &str) -> String {
    match PROGRAM.read().unwrap_or_else(|e| e.into_inner()).as_deref() {
        Some(program) => text.replace("`wildebeest ", &format!("`{program} ")),
        None => text.to_string(),
    }
}

fn program_set() -> bool {
    PROGRAM.read().unwrap_or_else(|e| e.into_inner()).is_some()
}

/// What [`redact`] puts in a password's place.
pub const MASK: &str = "***";

/// The passwords registered so far, longest first (so that a password containing
/// another is replaced whole).
static SECRETS: RwLock<Vec<String>> = RwLock::new(Vec::new());

/// Registers every password in `text`: the text of a settings file or a URL (see
/// [`passwords_in`]). Later calls to [`redact`] replace them.
pub fn register(text: &str) {
    let found = passwords_in(text);
    if found.is_empty() {
        return;
    }
    let mut secrets = SECRETS.write().unwrap_or_else(|e| e.into_inner());
    for p in found {
        if !secrets.contains(&p) {
            secrets.push(p);
        }
    }
    secrets.sort_by(|a, b| b.len().cmp(&a.len()).then_with(|| a.cmp(b)));
}

/// Whether any password is registered.
pub fn any() -> bool {
    !SECRETS.read().unwrap_or_else(|e| e.into_inner()).is_empty()
}

/// `text` with every registered password, and every password in a URL it contains,
/// replaced by [`MASK`]: for messages (errors, warnings, panics), where a password
/// may appear alone (a driver echoing it).
pub fn redact(text: &str) -> String {
    let secrets = SECRETS.read().unwrap_or_else(|e| e.into_inner());
    let mut out = name_program(text);
    for p in passwords_in(text) {
        out = out.replace(&p, MASK);
    }
    for s in secrets.iter() {
        if out.contains(s.as_str()) {
            out = out.replace(s.as_str(), MASK);
        }
    }
    out
}

/// The passwords in `text`, as written and percent-decoded: the password of every
/// URL's user information (`scheme://user:PASSWORD@host`, and `scheme:user:PASSWORD@host`
/// for a text that is one URL), and every `password=VALUE` parameter. Passwords
/// shorter than three characters are left out: replacing every `pw` in a message
/// would make it unreadable (the URL forms are still masked where messages show a
/// URL, by [`wildebeest::url::mask`]).
pub fn passwords_in(text: &str) -> Vec<String> {
    let mut raw = Vec::new();
    // Every `://` starts a URL that runs to the next blank or quote.
    let mut from = 0;
    while let Some(at) = text[from..].find("://") {
        let start = from + at + 3;
        let token = until_delimiter(&text[start..]);
        raw.extend(userinfo_password(token));
        from = start;
    }
    // A text that is one URL without `//` (`postgres:user:pw@host`).
    let whole = text.trim();
    if !whole.contains("://")
        && !whole.contains(char::is_whitespace)
        && let Some((scheme, rest)) = whole.split_once(':')
        && !scheme.is_empty()
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "+.-".contains(c))
    {
        raw.extend(userinfo_password(rest));
    }
    // `password=VALUE` (URL parameters and libpq's key=value strings).
    let lower = text.to_ascii_lowercase();
    let mut from = 0;
    while let Some(at) = lower[from..].find("password=") {
        let start = from + at + "password=".len();
        let value = until_delimiter(&text[start..]);
        let value = value.split('&').next().unwrap_or_default();
        raw.push(value.to_string());
        from = start;
    }
    let mut out = Vec::new();
    for p in raw {
        let decoded = wildebeest::url::percent_decode(&p);
        for s in [p, decoded] {
            if s.chars().count() >= 3 && !out.contains(&s) {
                out.push(s);
            }
        }
    }
    out
}

/// `text` up to its first blank or quote character.
fn until_delimiter(text: &str) -> &str {
    let end = text
        .find(|c: char| c.is_whitespace() || "\"'`".contains(c))
        .unwrap_or(text.len());
    &text[..end]
}

/// The password of `user:password@host...` (the part after `scheme://`): the user
/// information ends at the last `@` before the query, so a password with a raw `@`
/// or `/` is still found whole.
fn userinfo_password(rest: &str) -> Option<String> {
    let before_query = rest.split('?').next().unwrap_or_default();
    let (userinfo, _) = before_query.rsplit_once('@')?;
    let (_, password) = userinfo.split_once(':')?;
    Some(password.to_string())
}

/// `text` with every registered password replaced by [`MASK`] where it stands as a
/// password: in a URL's user information (`:PASSWORD@`) or a `password=` parameter.
/// For standard output, where scripts (`--sql`) carry the migrations' own SQL, which
/// may contain the password's letters as words of its own and must stay as written.
pub fn redact_urls(text: &str) -> String {
    let secrets = SECRETS.read().unwrap_or_else(|e| e.into_inner());
    let mut out = name_program(text);
    for s in secrets.iter() {
        if !out.contains(s.as_str()) {
            continue;
        }
        out = out.replace(&format!(":{s}@"), &format!(":{MASK}@"));
        for key in ["password=", "PASSWORD=", "Password="] {
            out = out.replace(&format!("{key}{s}"), &format!("{key}{MASK}"));
        }
    }
    out
}

/// A writer that passes whole lines through [`redact_urls`] (a password never spans
/// lines); what follows the last newline waits for the next one or [`Write::flush`].
/// Without a registered password it writes straight through.
pub struct Redacting<W: Write> {
    inner: W,
    pending: Vec<u8>,
}

impl<W: Write> Redacting<W> {
    /// Wraps `inner`.
    pub fn new(inner: W) -> Self {
        Redacting {
            inner,
            pending: Vec::new(),
        }
    }

    fn write_redacted(&mut self, upto: usize) -> io::Result<()> {
        let chunk: Vec<u8> = self.pending.drain(..upto).collect();
        match std::str::from_utf8(&chunk) {
            Ok(text) => self
                .inner
                .write_all(name_program(&redact_urls(text)).as_bytes()),
            // Not text: nothing a password could be read from is changed.
            Err(_) => self.inner.write_all(&chunk),
        }
    }
}

impl<W: Write> Write for Redacting<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if self.pending.is_empty() && !any() && !program_set() {
            return self.inner.write(buf);
        }
        self.pending.extend_from_slice(buf);
        if let Some(last) = self.pending.iter().rposition(|&b| b == b'\n') {
            self.write_redacted(last + 1)?;
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        let all = self.pending.len();
        if all > 0 {
            self.write_redacted(all)?;
        }
        self.inner.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_are_found_in_urls_and_settings_text() {
        assert_eq!(
            passwords_in("postgres://app:s3cret@db:5432/shop"),
            vec!["s3cret"]
        );
        assert_eq!(
            passwords_in("database_url = \"mysql://u:p%40ss-99@h/db\"\nschema = 'x'"),
            vec!["p%40ss-99", "p@ss-99"]
        );
        // A raw `@` or `/` in the password, and an unterminated TOML string.
        assert_eq!(
            passwords_in("database_url = \"postgres://u:a@b/c@h/db"),
            vec!["a@b/c"]
        );
        assert_eq!(passwords_in("postgres:bob:secret@db"), vec!["secret"]);
        assert_eq!(
            passwords_in("host=h password=hunter22 user=u"),
            vec!["hunter22"]
        );
        assert_eq!(
            passwords_in("mysql://u@h/db?Password=abc123&x=1"),
            vec!["abc123"]
        );
        assert!(passwords_in("postgres://u@h/db").is_empty());
        assert!(passwords_in("sqlite:app.db").is_empty());
        assert!(passwords_in("postgres://u:pw@h/db").is_empty(), "too short");
    }

    #[test]
    fn redaction_replaces_registered_passwords_raw_and_decoded() {
        register("DATABASE_URL=postgres://u:zq%2Fx-4417@h/db");
        let text = "bad zq%2Fx-4417 and zq/x-4417 and postgres://v:other-77@h";
        assert_eq!(redact(text), "bad *** and *** and postgres://v:***@h");
        assert!(any());
    }

    #[test]
    fn the_writer_redacts_across_writes() {
        register("mysql://u:kw-5512-abc@h/db");
        let mut w = Redacting::new(Vec::new());
        w.write_all(b"one mysql://u:kw-55").unwrap();
        w.write_all(b"12-abc@h two kw-5512-abc\nthree password=kw-5512")
            .unwrap();
        w.write_all(b"-abc").unwrap();
        w.flush().unwrap();
        assert_eq!(
            String::from_utf8(w.inner).unwrap(),
            "one mysql://u:***@h two kw-5512-abc\nthree password=***"
        );
    }
}
