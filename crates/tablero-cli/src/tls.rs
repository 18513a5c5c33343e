//! TLS for `mqtts://` and `wss://`: rustls (ring's primitives) over the transports' socket.
//!
//! The driver sleeps in one `poll(2)` on the socket, but rustls may hold decrypted bytes the
//! socket no longer shows as readable, and records it could not send yet. So [`TlsStream`]
//! hands out all the plaintext rustls holds before it reads the socket again, and returns
//! `WouldBlock` only when both are empty: a caller that reads until `WouldBlock` or a short
//! read leaves nothing behind that `poll` would not announce (at most part of a record,
//! which needs more bytes from the socket anyway). Unsent records are
//! [`TlsStream::wants_write`], which the driver waits for as it does for its own queue.
//!
//! The server's certificate is checked against Mozilla's roots (compiled in, so every machine
//! trusts the same) or, like mosquitto's `--cafile`, against the CAs of one PEM file instead;
//! the name checked (and sent as SNI, when it is a name) is the host as given. `--insecure`
//! turns all of that off.

use std::fmt;
use std::io::{self, ErrorKind, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::CryptoProvider;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{
    AlertDescription, CertificateError, ClientConfig, ClientConnection, DigitallySignedStruct,
    InvalidMessage, RootCertStore, SignatureScheme,
};

/// How to check the server, as the command line asked.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TlsOptions {
    /// PEM CA certificates trusted instead of the built-in roots.
    pub cafile: Option<PathBuf>,
    /// Accept any certificate for any name: for testing only.
    pub insecure: bool,
}

/// Why TLS could not start, in terms a user can act on.
#[derive(Debug)]
pub enum TlsError {
    /// `--cafile` cannot be used.
    CaFile {
        path: PathBuf,
        problem: CaFileProblem,
    },
    /// The host is neither a DNS name nor an IP address, so no certificate can match it.
    BadServerName(String),
    /// The server's chain leads to no trusted CA (`cafile`: the CAs it was checked against).
    Untrusted {
        cafile: Option<PathBuf>,
    },
    /// The certificate is valid, but for other names.
    WrongName {
        expected: String,
        presented: Vec<String>,
    },
    Expired,
    NotValidYet,
    /// Any other reason the certificate was refused.
    BadCertificate(rustls::Error),
    /// The server closed the connection before any TLS came back (`answered`: false), or
    /// answered with something that is not TLS: a plaintext port, most likely.
    NotTls {
        answered: bool,
    },
    /// The server ended the handshake with this alert.
    Alert(AlertDescription),
    /// The connection closed during the handshake, after the server had started it.
    Closed,
    TimedOut,
    /// Any other protocol failure.
    Handshake(rustls::Error),
    Io(io::Error),
}

/// What is wrong with a `--cafile`.
#[derive(Debug)]
pub enum CaFileProblem {
    Unreadable(io::Error),
    NotPem(rustls::pki_types::pem::Error),
    NoCertificate,
    /// The `index`th certificate (from 1) cannot serve as a trust anchor.
    Rejected {
        index: usize,
        error: rustls::Error,
    },
}

impl fmt::Display for TlsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TlsError::CaFile { path, problem } => {
                let path = path.display();
                match problem {
                    CaFileProblem::Unreadable(e) => {
                        write!(f, "--cafile {path}: cannot read it: {e}")
                    }
                    CaFileProblem::NotPem(e) => write!(f, "--cafile {path}: not a PEM file: {e}"),
                    CaFileProblem::NoCertificate => write!(
                        f,
                        "--cafile {path}: no certificate in it (expected PEM: -----BEGIN CERTIFICATE-----)"
                    ),
                    CaFileProblem::Rejected { index, error } => write!(
                        f,
                        "--cafile {path}: certificate {index} cannot be used as a CA: {error}"
                    ),
                }
            }
            TlsError::BadServerName(host) => write!(
                f,
                "{host:?} is neither a host name nor an IP address a certificate can be checked against"
            ),
            TlsError::Untrusted { cafile: None } => f.write_str(
                "the server's certificate is not trusted: no certificate authority tablero knows \
                 (Mozilla's roots) signed it; if the broker uses its own CA, trust that CA's \
                 certificate with --cafile FILE",
            ),
            TlsError::Untrusted { cafile: Some(path) } => write!(
                f,
                "the server's certificate is not trusted: it is not signed by a CA in --cafile {}",
                path.display()
            ),
            TlsError::WrongName {
                expected,
                presented,
            } if presented.is_empty() => {
                write!(f, "the server's certificate is not for {expected}")
            }
            TlsError::WrongName {
                expected,
                presented,
            } => write!(
                f,
                "the server's certificate is for {}, not {expected}: connect by a name it is for",
                presented.join(", ")
            ),
            TlsError::Expired => f.write_str("the server's certificate has expired"),
            TlsError::NotValidYet => f.write_str(
                "the server's certificate is not valid yet (is this machine's clock right?)",
            ),
            TlsError::BadCertificate(e) => write!(f, "the server's certificate was refused: {e}"),
            TlsError::NotTls { answered: false } => f.write_str(
                "the server closed the connection instead of answering the TLS handshake: \
                 is this a plaintext port (mqtt://, ws://)?",
            ),
            TlsError::NotTls { answered: true } => f.write_str(
                "the server answered the TLS handshake with something that is not TLS: \
                 is this a plaintext port (mqtt://, ws://)?",
            ),
            TlsError::Alert(AlertDescription::CertificateRequired) => f.write_str(
                "TLS handshake failed: the server requires a client certificate, which tablero \
                 does not send",
            ),
            TlsError::Alert(a) => write!(f, "TLS handshake failed: the server sent alert {a:?}"),
            TlsError::Closed => {
                f.write_str("TLS handshake failed: the server closed the connection")
            }
            TlsError::TimedOut => f.write_str("TLS handshake timed out"),
            TlsError::Handshake(e) => write!(f, "TLS handshake failed: {e}"),
            TlsError::Io(e) => write!(f, "TLS handshake failed: {e}"),
        }
    }
}

impl std::error::Error for TlsError {}

/// The CAs of a PEM file, checked as rustls will use them.
pub fn read_cafile(path: &Path) -> Result<RootCertStore, TlsError> {
    let fail = |problem| TlsError::CaFile {
        path: path.to_owned(),
        problem,
    };
    let pem = std::fs::read(path).map_err(|e| fail(CaFileProblem::Unreadable(e)))?;
    let mut roots = RootCertStore::empty();
    for (i, cert) in CertificateDer::pem_slice_iter(&pem).enumerate() {
        let cert = cert.map_err(|e| fail(CaFileProblem::NotPem(e)))?;
        roots.add(cert).map_err(|error| {
            fail(CaFileProblem::Rejected {
                index: i + 1,
                error,
            })
        })?;
    }
    if roots.is_empty() {
        return Err(fail(CaFileProblem::NoCertificate));
    }
    Ok(roots)
}

fn client_config(opts: &TlsOptions) -> Result<Arc<ClientConfig>, TlsError> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let builder = ClientConfig::builder_with_provider(Arc::clone(&provider))
        .with_safe_default_protocol_versions()
        .map_err(TlsError::Handshake)?;
    let config = if opts.insecure {
        builder
            .dangerous()
            .with_custom_certificate_verifier(Arc::new(AcceptAnyCertificate(provider)))
            .with_no_client_auth()
    } else {
        let roots = match &opts.cafile {
            Some(path) => read_cafile(path)?,
            None => RootCertStore {
                roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
            },
        };
        builder.with_root_certificates(roots).with_no_client_auth()
    };
    Ok(Arc::new(config))
}

/// `--insecure`: no chain, no name, no dates. The handshake signatures are still checked,
/// as rustls requires; they prove only that the server holds the key of a certificate
/// nobody vouched for.
#[derive(Debug)]
struct AcceptAnyCertificate(Arc<CryptoProvider>);

impl ServerCertVerifier for AcceptAnyCertificate {
    fn verify_server_cert(
        &self,
        _end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.0.signature_verification_algorithms.supported_schemes()
    }
}

/// A TLS client session on a TCP socket, in whatever mode the socket is: blocking for the
/// handshakes, non-blocking after.
pub struct TlsStream {
    conn: ClientConnection,
    sock: TcpStream,
}

impl TlsStream {
    /// Runs the handshake on a blocking socket (the caller bounds it with the socket's
    /// timeouts) and checks the server's certificate for `host`.
    pub fn connect(mut sock: TcpStream, host: &str, opts: &TlsOptions) -> Result<Self, TlsError> {
        let config = client_config(opts)?;
        let name = ServerName::try_from(host.to_owned())
            .map_err(|_| TlsError::BadServerName(host.to_owned()))?;
        let mut conn = ClientConnection::new(config, name).map_err(TlsError::Handshake)?;
        // Whether any bytes came back: a server that closes before answering a ClientHello
        // is not a TLS server, one that closes later is a TLS server giving up.
        let mut answered = false;
        while conn.is_handshaking() {
            while conn.wants_write() {
                conn.write_tls(&mut sock).map_err(handshake_io)?;
            }
            match conn.read_tls(&mut sock) {
                Ok(0) if answered => return Err(TlsError::Closed),
                Ok(0) => return Err(TlsError::NotTls { answered: false }),
                Ok(_) => answered = true,
                // A plaintext MQTT listener resets: it closes with the ClientHello unread.
                Err(e) if e.kind() == ErrorKind::ConnectionReset && !answered => {
                    return Err(TlsError::NotTls { answered: false });
                }
                Err(e) => return Err(handshake_io(e)),
            }
            if let Err(e) = conn.process_new_packets() {
                // The alert saying why, if rustls queued one.
                let _ = conn.write_tls(&mut sock);
                return Err(classify(e, host, opts));
            }
        }
        // The client's last flight (TLS 1.3: its Finished).
        while conn.wants_write() {
            conn.write_tls(&mut sock).map_err(handshake_io)?;
        }
        Ok(Self { conn, sock })
    }

    pub fn get_ref(&self) -> &TcpStream {
        &self.sock
    }

    /// Whether records wait for the socket to become writable.
    pub fn wants_write(&self) -> bool {
        self.conn.wants_write()
    }

    /// Tells the server the session ends (close_notify), as far as the socket takes it now.
    pub fn close_notify(&mut self) {
        self.conn.send_close_notify();
        let _ = self.send();
    }

    /// Writes queued records until the socket would block.
    fn send(&mut self) -> io::Result<()> {
        while self.conn.wants_write() {
            match self.conn.write_tls(&mut self.sock) {
                Ok(0) => return Err(ErrorKind::WriteZero.into()),
                Ok(_) => {}
                Err(e) if e.kind() == ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
        Ok(())
    }

    /// Decrypts what was read.
    fn process(&mut self) -> io::Result<()> {
        match self.conn.process_new_packets() {
            Ok(_) => Ok(()),
            Err(e) => {
                let _ = self.conn.write_tls(&mut self.sock);
                Err(io::Error::new(ErrorKind::InvalidData, e))
            }
        }
    }
}

impl Read for TlsStream {
    /// Plaintext already decrypted first, then one read of the socket (a blocking socket
    /// must not wait for more than it needs). A read shorter than `buf` leaves no plaintext
    /// behind. The end of the connection is `Ok(0)` with or without the server's
    /// close_notify: MQTT packets carry their length, so a cut stream shows as an unfinished
    /// packet, never as a shorter valid one.
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        loop {
            match self.conn.reader().read(buf) {
                Ok(n) => return Ok(n),
                Err(e) if e.kind() == ErrorKind::WouldBlock => {}
                Err(e) if e.kind() == ErrorKind::UnexpectedEof => return Ok(0),
                Err(e) => return Err(e),
            }
            // Nothing decrypted yet. At the end (0), the reader says so on the next turn.
            match self.conn.read_tls(&mut self.sock) {
                Ok(_) => self.process()?,
                Err(e) if e.kind() == ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
    }
}

impl Write for TlsStream {
    /// Takes what rustls will buffer (64 KiB of records) and sends what the socket takes;
    /// `WouldBlock` only when neither has room.
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let mut n = self.conn.writer().write(buf)?;
        if n == 0 && !buf.is_empty() {
            self.send()?;
            n = self.conn.writer().write(buf)?;
        }
        match self.send() {
            Err(e) if e.kind() != ErrorKind::WouldBlock => Err(e),
            _ => Ok(n),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        self.send()
    }
}

fn handshake_io(e: io::Error) -> TlsError {
    match e.kind() {
        // A blocking socket's timeout shows as one or the other, depending on the system.
        ErrorKind::WouldBlock | ErrorKind::TimedOut => TlsError::TimedOut,
        ErrorKind::ConnectionReset | ErrorKind::BrokenPipe | ErrorKind::UnexpectedEof => {
            TlsError::Closed
        }
        _ => TlsError::Io(e),
    }
}

/// rustls' verdict in the words the user needs.
fn classify(e: rustls::Error, host: &str, opts: &TlsOptions) -> TlsError {
    match e {
        rustls::Error::InvalidCertificate(c) => match c {
            CertificateError::UnknownIssuer => TlsError::Untrusted {
                cafile: opts.cafile.clone(),
            },
            CertificateError::NotValidForName => TlsError::WrongName {
                expected: host.to_owned(),
                presented: Vec::new(),
            },
            CertificateError::NotValidForNameContext { presented, .. } => TlsError::WrongName {
                expected: host.to_owned(),
                presented: presented.iter().map(|n| plain_name(n)).collect(),
            },
            CertificateError::Expired | CertificateError::ExpiredContext { .. } => {
                TlsError::Expired
            }
            CertificateError::NotValidYet | CertificateError::NotValidYetContext { .. } => {
                TlsError::NotValidYet
            }
            other => TlsError::BadCertificate(rustls::Error::InvalidCertificate(other)),
        },
        // The first bytes back do not even frame as TLS records: an HTTP or MQTT answer.
        rustls::Error::InvalidMessage(
            InvalidMessage::InvalidContentType | InvalidMessage::UnknownProtocolVersion,
        ) => TlsError::NotTls { answered: true },
        rustls::Error::AlertReceived(a) => TlsError::Alert(a),
        other => TlsError::Handshake(other),
    }
}

/// `broker.example` for webpki's `DnsName("broker.example")`, `10.0.0.1` for
/// `IpAddress(10.0.0.1)`: the names as a user would type them. Anything else stays as given.
fn plain_name(presented: &str) -> String {
    let inner = presented
        .strip_prefix("DnsName(\"")
        .and_then(|n| n.strip_suffix("\")"))
        .or_else(|| {
            presented
                .strip_prefix("IpAddress(")
                .and_then(|n| n.strip_suffix(')'))
        });
    inner.unwrap_or(presented).to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn certificate_verdicts_are_put_in_words() {
        let opts = TlsOptions::default();
        let untrusted = classify(
            rustls::Error::InvalidCertificate(CertificateError::UnknownIssuer),
            "h",
            &opts,
        );
        assert!(
            untrusted.to_string().contains("--cafile FILE"),
            "{untrusted}"
        );
        let with_ca = TlsOptions {
            cafile: Some("ca.pem".into()),
            insecure: false,
        };
        let untrusted = classify(
            rustls::Error::InvalidCertificate(CertificateError::UnknownIssuer),
            "h",
            &with_ca,
        );
        assert!(
            untrusted.to_string().contains("--cafile ca.pem"),
            "{untrusted}"
        );
        let wrong = classify(
            rustls::Error::InvalidCertificate(CertificateError::NotValidForNameContext {
                expected: ServerName::try_from("h").unwrap(),
                presented: vec![
                    "DnsName(\"a.example\")".into(),
                    "IpAddress(10.0.0.1)".into(),
                    "DirectoryName".into(),
                ],
            }),
            "h",
            &opts,
        );
        assert_eq!(
            wrong.to_string(),
            "the server's certificate is for a.example, 10.0.0.1, DirectoryName, not h: \
             connect by a name it is for"
        );
        let http = classify(
            rustls::Error::InvalidMessage(InvalidMessage::InvalidContentType),
            "h",
            &opts,
        );
        assert!(matches!(http, TlsError::NotTls { answered: true }));
    }

    #[test]
    fn a_cafile_without_certificates_is_named() {
        let dir = std::env::temp_dir().join(format!("tablero-tls-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let empty = dir.join("empty.pem");
        std::fs::write(&empty, "not a certificate\n").unwrap();
        let e = read_cafile(&empty).unwrap_err();
        assert!(
            matches!(
                &e,
                TlsError::CaFile {
                    problem: CaFileProblem::NoCertificate,
                    ..
                }
            ),
            "{e:?}"
        );
        let missing = read_cafile(&dir.join("missing.pem")).unwrap_err();
        assert!(missing.to_string().contains("cannot read it"), "{missing}");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
