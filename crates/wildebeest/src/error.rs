//! [`Error`]: why a [`Migrator`](crate::Migrator) call failed.

/// The underlying error a variant of [`Error`] carries: its message is the error's,
/// and [`std::error::Error::source`] goes on from there (a driver's error, an IO
/// error).
pub type BoxError = Box<dyn std::error::Error + Send + Sync + 'static>;

/// Why a [`Migrator`](crate::Migrator) call failed. Every message names the file and
/// line, the revision or the database it is about; passwords in URLs are masked.
///
/// New kinds of failure may be added, so a `match` needs a `_` arm.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The database URL is not one wildebeest reads.
    #[error(transparent)]
    Url(#[from] crate::url::UrlError),
    /// The URL names a database whose backend this build leaves out.
    #[error(
        "{url}: this program was built without the {kind} backend (the `{feature}` feature of the wildebeest crate)"
    )]
    BackendNotEnabled {
        /// The URL, its password masked.
        url: String,
        /// `SQLite`, `PostgreSQL` or `MySQL`.
        kind: &'static str,
        /// The cargo feature that compiles it in.
        feature: &'static str,
    },
    /// The migrations cannot be read: a folder that is missing or unreadable, a file
    /// whose header or sections do not parse, a revision graph with a missing parent
    /// or a cycle, a statement that does not parse.
    #[error(transparent)]
    Migrations(BoxError),
    /// A target (`head`, a revision, `-1`, `LABEL@head`) that does not resolve, or a
    /// database with revisions applied that none of the migrations is.
    #[error(transparent)]
    Revisions(BoxError),
    /// A run stopped before changing anything: a statement would destroy stored data
    /// without consent ([`Options::allow_data_loss`](crate::Options::allow_data_loss)),
    /// or would fail on the stored data.
    #[error(transparent)]
    Refused(BoxError),
    /// A statement of a revision failed; the message says what became of the
    /// revision (rolled back whole, or partly applied on a database without
    /// transactional DDL, and how to go on).
    #[error(transparent)]
    Statement(BoxError),
    /// Connecting to the database, taking its lock, or reading or writing it failed;
    /// or a revision is half done and must be finished first.
    #[error(transparent)]
    Database(BoxError),
    /// A set of models ([`Models`](crate::Models)) that cannot be rendered: a default
    /// or check that is not SQL, an `sql_type` the dialect does not read, a reference
    /// to a table no model makes; the message names the struct and field.
    #[error(transparent)]
    Models(BoxError),
    /// The blocking task of an async call did not finish (the runtime shut down, or
    /// the task panicked).
    #[cfg(feature = "tokio")]
    #[error("the migration task did not finish: {0}")]
    Task(#[source] tokio::task::JoinError),
}

impl From<wildebeest_runner::RunError> for Error {
    fn from(e: wildebeest_runner::RunError) -> Self {
        use wildebeest_runner::RunError;
        match e {
            RunError::Graph(e) => Error::Revisions(Box::new(e)),
            RunError::Sql(e) => Error::Migrations(Box::new(e)),
            e @ RunError::Plan { .. } => Error::Migrations(Box::new(e)),
            e @ (RunError::DataLoss { .. }
            | RunError::Unconvertible { .. }
            | RunError::Unmet { .. }) => Error::Refused(Box::new(e)),
            RunError::Statement(e) => Error::Statement(e),
            RunError::Backend(e) => Error::Database(Box::new(e)),
            e => Error::Database(Box::new(e)),
        }
    }
}

impl From<wildebeest_runner::BackendError> for Error {
    fn from(e: wildebeest_runner::BackendError) -> Self {
        Error::Database(Box::new(e))
    }
}

impl From<wildebeest_revision::GraphError> for Error {
    fn from(e: wildebeest_revision::GraphError) -> Self {
        Error::Revisions(Box::new(e))
    }
}

impl From<wildebeest_sql::SqlError> for Error {
    fn from(e: wildebeest_sql::SqlError) -> Self {
        Error::Migrations(Box::new(e))
    }
}
