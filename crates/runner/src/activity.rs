//! What a revision is doing while it runs, for a display on another thread.
//!
//! The runner hands one [`Activity`] to [`Backend::execute`](crate::Backend::execute)
//! and, with each revision's [`Progress::Starting`](crate::Progress::Starting), to its
//! progress callback. The backend tells it which statement runs and, while a SQLite
//! table rebuild copies rows, how many it has copied of how many; a caller that shows
//! a live line keeps a clone ([`Activity::follow`]) and reads it ([`Activity::now`])
//! as often as it redraws. Nothing is pushed to the reader: the thread running the
//! revision is inside the database driver while a statement runs, so the state is
//! shared, and reading it never waits on the database.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

/// A handle to what the revision running is doing: the statement and a table
/// rebuild's row copy. Clones share one state.
#[derive(Debug, Clone, Default)]
pub struct Activity(Arc<Shared>);

#[derive(Debug, Default)]
struct Shared {
    /// A reader follows it: a backend does what only a reader needs (count a table's
    /// rows before copying them) only then.
    followed: AtomicBool,
    now: Mutex<Now>,
    /// Rows the running copy has copied so far.
    copied: AtomicU64,
    /// A reader saw the copy part way ([`Activity::copy_seen`]).
    seen: AtomicBool,
    /// A copy waits for a reader to see it part way ([`Activity::hold_copies`]).
    hold: AtomicBool,
}

#[derive(Debug, Default)]
struct Now {
    statement: Option<String>,
    copy: Option<(String, u64)>,
}

/// What [`Activity::now`] reads.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Doing {
    /// The statement running, as the backend sends it (whole); `None` between
    /// statements, and on PostgreSQL while a revision of several statements runs as
    /// one round trip, where the client cannot tell which of them the server is at.
    pub statement: Option<String>,
    /// A table rebuild copying rows (SQLite), while it copies.
    pub copy: Option<RowCopy>,
}

/// A table rebuild's row copy part way.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct RowCopy {
    /// The table rebuilt.
    pub table: String,
    /// Rows copied so far.
    pub copied: u64,
    /// Rows the table has.
    pub total: u64,
}

impl PartialEq for Activity {
    /// The same handle, not the same state at this moment.
    fn eq(&self, other: &Activity) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}

impl Eq for Activity {}

impl Activity {
    /// A clone for a reader, which also tells the backend that someone reads: a
    /// row copy is counted only then.
    pub fn follow(&self) -> Activity {
        self.0.followed.store(true, Ordering::Relaxed);
        self.clone()
    }

    /// Whether a reader follows it.
    pub fn is_followed(&self) -> bool {
        self.0.followed.load(Ordering::Relaxed)
    }

    /// What runs now.
    pub fn now(&self) -> Doing {
        let now = self.lock();
        let copy = now.copy.as_ref().map(|(table, total)| {
            let copied = self.0.copied.load(Ordering::Relaxed);
            if copied > 0 {
                self.0.seen.store(true, Ordering::Relaxed);
            }
            RowCopy {
                table: table.clone(),
                copied: copied.min(*total),
                total: *total,
            }
        });
        Doing {
            statement: now.statement.clone(),
            copy,
        }
    }

    /// For a backend: `sql` starts to run.
    pub fn statement(&self, sql: &str) {
        let mut now = self.lock();
        now.statement = Some(sql.to_string());
        now.copy = None;
    }

    /// For a backend: nothing of the revision runs now (between statements, or
    /// statements it cannot tell apart).
    pub fn clear(&self) {
        let mut now = self.lock();
        now.statement = None;
        now.copy = None;
    }

    /// For a backend: the statement running copies the `total` rows of `table` into
    /// its rebuilt form; [`Activity::copied`] tells how far it is.
    pub fn copying(&self, table: &str, total: u64) {
        self.0.copied.store(0, Ordering::Relaxed);
        self.0.seen.store(false, Ordering::Relaxed);
        self.lock().copy = Some((table.to_string(), total));
    }

    /// For a backend: the copy has copied `rows` rows.
    pub fn copied(&self, rows: u64) {
        self.0.copied.store(rows, Ordering::Relaxed);
    }

    /// For a backend: the copy ended.
    pub fn copy_done(&self) {
        self.lock().copy = None;
    }

    /// Whether a reader saw the running copy with some rows copied: the tests make
    /// a copy wait for it, so that what a live line shows of a copy does not depend
    /// on how fast the machine copies.
    pub fn copy_seen(&self) -> bool {
        self.0.seen.load(Ordering::Relaxed)
    }

    /// For tests: makes each row copy wait, once it has copied some rows, until a
    /// reader has seen it part way (or 10 s have passed), so that a test sees a copy
    /// part way however fast the machine copies.
    #[doc(hidden)]
    pub fn hold_copies(&self) {
        self.0.hold.store(true, Ordering::Relaxed);
    }

    /// Whether a copy waits for a reader ([`Activity::hold_copies`]).
    #[doc(hidden)]
    pub fn holds_copies(&self) -> bool {
        self.0.hold.load(Ordering::Relaxed)
    }

    fn lock(&self) -> MutexGuard<'_, Now> {
        // A reader that panicked holding the lock left nothing half written: the
        // state is two plain fields.
        self.0.now.lock().unwrap_or_else(|e| e.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reader_sees_the_statement_and_the_copy_of_the_thread_that_runs() {
        let activity = Activity::default();
        assert!(!activity.is_followed());
        let reader = activity.follow();
        assert!(activity.is_followed());
        assert_eq!(reader.now(), Doing::default());

        activity.statement("INSERT INTO \"_wildebeest_new_t\" SELECT a FROM \"t\"");
        activity.copying("t", 10);
        assert!(!activity.copy_seen());
        let copy = |copied| RowCopy {
            table: "t".into(),
            copied,
            total: 10,
        };
        // Nothing copied yet is not a copy seen part way.
        assert_eq!(reader.now().copy, Some(copy(0)));
        assert!(!activity.copy_seen());
        std::thread::scope(|s| {
            s.spawn(|| activity.copied(4));
        });
        let now = reader.now();
        assert_eq!(now.copy, Some(copy(4)));
        assert!(now.statement.is_some_and(|s| s.starts_with("INSERT")));
        assert!(activity.copy_seen());
        // A count past the total (rows the copy scanned twice) reads as the total.
        activity.copied(12);
        assert_eq!(reader.now().copy, Some(copy(10)));

        activity.copy_done();
        assert_eq!(reader.now().copy, None);
        activity.statement("DROP TABLE \"t\"");
        assert_eq!(reader.now().statement.as_deref(), Some("DROP TABLE \"t\""));
        activity.clear();
        assert_eq!(reader.now(), Doing::default());
        assert_eq!(reader, activity);
        assert_ne!(reader, Activity::default());
    }
}
