//! TLS set up when the server accepts it, not before.
//!
//! Building a native-tls connector loads the system's trusted roots (on Linux,
//! OpenSSL parses every certificate of the bundle, twice: tens of milliseconds of CPU).
//! Under `sslmode=prefer`, the default, most servers a developer meets answer the
//! driver's TLS request with "no", and the connector would have been built for
//! nothing. [`LazyTls`] builds it in the handshake itself, which the driver starts only
//! after the server said yes.

use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use native_tls::TlsConnector;
use postgres::Socket;
use postgres::tls::{MakeTlsConnect, TlsConnect};

/// How a TLS connection checks the server's certificate, as libpq's `sslmode` says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Verify {
    /// `prefer`, `require`: encrypted, no check (libpq's meaning).
    None,
    /// `verify-ca`: the certificate chains to a trusted root.
    Ca,
    /// `verify-full`: and names the host.
    Full,
}

/// How many native-tls connectors this process has built (see [`connectors_built`]).
static BUILT: AtomicUsize = AtomicUsize::new(0);

/// How many TLS connectors this process has built: one per connection whose server
/// accepted TLS, none for a server that declined it. For tests of that promise.
pub fn connectors_built() -> usize {
    BUILT.load(Ordering::SeqCst)
}

/// The driver's `MakeTlsConnect` that builds its connector on the first handshake,
/// with the certificate check `verify` asks for.
#[derive(Clone)]
pub(crate) struct LazyTls {
    verify: Verify,
    /// Built once, shared by the hosts of a multi-host URL.
    built: Arc<Mutex<Option<TlsConnector>>>,
}

impl LazyTls {
    pub(crate) fn new(verify: Verify) -> LazyTls {
        LazyTls {
            verify,
            built: Arc::default(),
        }
    }
}

/// One host's handshake (see [`LazyTls`]).
pub(crate) struct LazyTlsConnect {
    domain: String,
    tls: LazyTls,
}

impl LazyTls {
    /// The connector, built on first use.
    fn connector(&self) -> Result<TlsConnector, native_tls::Error> {
        let mut built = self.built.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(connector) = &*built {
            return Ok(connector.clone());
        }
        let connector = TlsConnector::builder()
            .danger_accept_invalid_certs(self.verify == Verify::None)
            .danger_accept_invalid_hostnames(self.verify != Verify::Full)
            .build()?;
        BUILT.fetch_add(1, Ordering::SeqCst);
        *built = Some(connector.clone());
        Ok(connector)
    }
}

impl MakeTlsConnect<Socket> for LazyTls {
    type Stream = postgres_native_tls::TlsStream<Socket>;
    type TlsConnect = LazyTlsConnect;
    type Error = native_tls::Error;

    fn make_tls_connect(&mut self, domain: &str) -> Result<LazyTlsConnect, native_tls::Error> {
        Ok(LazyTlsConnect {
            domain: domain.to_owned(),
            tls: self.clone(),
        })
    }
}

impl TlsConnect<Socket> for LazyTlsConnect {
    type Stream = postgres_native_tls::TlsStream<Socket>;
    type Error = native_tls::Error;
    #[allow(clippy::type_complexity)]
    type Future = Pin<Box<dyn Future<Output = Result<Self::Stream, native_tls::Error>> + Send>>;

    fn connect(self, stream: Socket) -> Self::Future {
        match self.tls.connector() {
            Ok(connector) => {
                postgres_native_tls::TlsConnector::new(connector, &self.domain).connect(stream)
            }
            Err(e) => Box::pin(async move { Err(e) }),
        }
    }
}
