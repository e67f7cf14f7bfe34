//! TLS set up when the server accepts it, and trusted roots loaded only to verify.
//!
//! Building a native-tls connector loads the system's trusted roots (on Linux,
//! OpenSSL parses every certificate of the bundle, twice: tens of milliseconds of CPU).
//! Under `sslmode=prefer`, the default, many servers a developer meets answer the
//! driver's TLS request with "no", and the connector would have been built for
//! nothing: [`LazyTls`] builds it in the handshake itself, which the driver starts only
//! after the server said yes. And `prefer` and `require` check no certificate (libpq's
//! meaning), so where native-tls is OpenSSL (not on Apple systems or Windows) their
//! handshake runs on an OpenSSL context without any roots: only `verify-ca` and
//! `verify-full` load them. Both kinds of stream give the driver the
//! `tls-server-end-point` channel binding (RFC 5929) for SCRAM.

use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use native_tls::TlsConnector;
use std::io;
use std::task::{Context, Poll};

use postgres::Socket;
use postgres::tls::{ChannelBinding, MakeTlsConnect, TlsConnect};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};

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

/// How many times this process has loaded the trusted roots (see [`roots_loaded`]).
static BUILT: AtomicUsize = AtomicUsize::new(0);

/// How many times this process has loaded the system's trusted roots: once per
/// connection whose server accepted TLS and whose `sslmode` verifies the certificate
/// (on Apple systems and Windows, also for `prefer` and `require`). For tests.
pub fn roots_loaded() -> usize {
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
    type Stream = Stream;
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
    type Stream = Stream;
    type Error = Box<dyn std::error::Error + Send + Sync>;
    #[allow(clippy::type_complexity)]
    type Future = Pin<Box<dyn Future<Output = Result<Stream, Self::Error>> + Send>>;

    fn connect(self, stream: Socket) -> Self::Future {
        #[cfg(not(any(target_vendor = "apple", windows)))]
        if self.tls.verify == Verify::None {
            return Box::pin(unverified::connect(self.domain, stream));
        }
        match self.tls.connector() {
            Ok(connector) => {
                let handshake =
                    postgres_native_tls::TlsConnector::new(connector, &self.domain).connect(stream);
                Box::pin(async move { Ok(Stream::Native(handshake.await?)) })
            }
            Err(e) => Box::pin(async move { Err(e.into()) }),
        }
    }
}

/// A TLS connection of either kind.
pub(crate) enum Stream {
    /// Through native-tls: the certificate verified (or any stream on Apple systems
    /// and Windows).
    Native(postgres_native_tls::TlsStream<Socket>),
    /// Through OpenSSL without trusted roots: `prefer` and `require`.
    #[cfg(not(any(target_vendor = "apple", windows)))]
    Unverified(unverified::TlsStream),
}

impl AsyncRead for Stream {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        match self.get_mut() {
            Stream::Native(s) => Pin::new(s).poll_read(cx, buf),
            #[cfg(not(any(target_vendor = "apple", windows)))]
            Stream::Unverified(s) => Pin::new(&mut s.0).poll_read(cx, buf),
        }
    }
}

impl AsyncWrite for Stream {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        match self.get_mut() {
            Stream::Native(s) => Pin::new(s).poll_write(cx, buf),
            #[cfg(not(any(target_vendor = "apple", windows)))]
            Stream::Unverified(s) => Pin::new(&mut s.0).poll_write(cx, buf),
        }
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        match self.get_mut() {
            Stream::Native(s) => Pin::new(s).poll_flush(cx),
            #[cfg(not(any(target_vendor = "apple", windows)))]
            Stream::Unverified(s) => Pin::new(&mut s.0).poll_flush(cx),
        }
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        match self.get_mut() {
            Stream::Native(s) => Pin::new(s).poll_shutdown(cx),
            #[cfg(not(any(target_vendor = "apple", windows)))]
            Stream::Unverified(s) => Pin::new(&mut s.0).poll_shutdown(cx),
        }
    }
}

impl postgres::tls::TlsStream for Stream {
    fn channel_binding(&self) -> ChannelBinding {
        match self {
            Stream::Native(s) => s.channel_binding(),
            #[cfg(not(any(target_vendor = "apple", windows)))]
            Stream::Unverified(s) => s.channel_binding(),
        }
    }
}

/// `prefer` and `require` where native-tls is OpenSSL: the handshake on a context with
/// no trusted roots and no verification, so that no certificate bundle is read.
#[cfg(not(any(target_vendor = "apple", windows)))]
mod unverified {
    use std::pin::Pin;

    use openssl::hash::MessageDigest;
    use openssl::nid::Nid;
    use openssl::ssl::{Ssl, SslContextBuilder, SslMethod, SslVerifyMode};
    use openssl::x509::X509Ref;
    use postgres::Socket;
    use postgres::tls::ChannelBinding;

    use super::Stream;

    /// An encrypted connection whose certificate was not checked.
    pub(crate) struct TlsStream(pub(super) tokio_openssl::SslStream<Socket>);

    pub(super) async fn connect(
        domain: String,
        socket: Socket,
    ) -> Result<Stream, Box<dyn std::error::Error + Send + Sync>> {
        let mut ctx = SslContextBuilder::new(SslMethod::tls_client())?;
        ctx.set_verify(SslVerifyMode::NONE);
        // What native-tls (through openssl's `SslConnector`) allows.
        ctx.set_cipher_list(
            "DEFAULT:!aNULL:!eNULL:!MD5:!3DES:!DES:!RC4:!IDEA:!SEED:!aDSS:!SRP:!PSK",
        )?;
        let mut ssl = Ssl::new(&ctx.build())?;
        // Server name indication, as native-tls sends it: for a name, not an address.
        if !domain.is_empty() && domain.parse::<std::net::IpAddr>().is_err() {
            ssl.set_hostname(&domain)?;
        }
        let mut stream = tokio_openssl::SslStream::new(ssl, socket)?;
        std::future::poll_fn(|cx| Pin::new(&mut stream).poll_connect(cx)).await?;
        Ok(Stream::Unverified(TlsStream(stream)))
    }

    impl TlsStream {
        /// `tls-server-end-point`: the hash of the server's certificate, as native-tls
        /// and libpq give it.
        pub(super) fn channel_binding(&self) -> ChannelBinding {
            match self.0.ssl().peer_certificate() {
                Some(cert) => match end_point(&cert) {
                    Some(hash) => ChannelBinding::tls_server_end_point(hash),
                    None => ChannelBinding::none(),
                },
                None => ChannelBinding::none(),
            }
        }
    }

    /// RFC 5929 section 4.1: the certificate's hash with its signature's digest, SHA-256
    /// in place of MD5 and SHA-1.
    fn end_point(cert: &X509Ref) -> Option<Vec<u8>> {
        let nid = cert.signature_algorithm().object().nid();
        let digest = match nid.signature_algorithms()?.digest {
            Nid::MD5 | Nid::SHA1 => MessageDigest::sha256(),
            nid => MessageDigest::from_nid(nid)?,
        };
        cert.digest(digest).ok().map(|hash| hash.to_vec())
    }
}
