//! Byte pipes to a broker: plain TCP or a WebSocket carrying MQTT in binary frames, either
//! of them on a bare socket or under TLS ([`crate::tls`]).
//!
//! Both are non-blocking once open, so one thread can wait on the socket, stdin and the
//! session's timer with a single `poll(2)`. Writes are queued and flushed in batches: a
//! publisher sending thousands of small packets a second must not pay a syscall each.

use std::io::{self, ErrorKind, Read, Write};
use std::net::{TcpStream, ToSocketAddrs};
use std::os::fd::{AsFd, BorrowedFd};
use std::time::Duration;

use tungstenite::client::IntoClientRequest;
use tungstenite::handshake::client::Response;
use tungstenite::protocol::WebSocketConfig;
use tungstenite::{Message, WebSocket};

use crate::args::Endpoint;
use crate::tls::{TlsError, TlsOptions, TlsStream};

/// Read chunk size: large enough that a burst of small packets is one syscall.
const READ_CHUNK: usize = 64 * 1024;

/// Why opening a transport failed, in words a user can act on.
#[derive(Debug)]
pub enum OpenError {
    /// Resolving, connecting, the WebSocket upgrade or the session's CONNECT, already in
    /// words that say where it happened.
    Connect(String),
    /// The TLS handshake with `server` (the endpoint as a URL).
    Tls { server: String, error: TlsError },
}

impl std::fmt::Display for OpenError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            OpenError::Connect(why) => f.write_str(why),
            OpenError::Tls { server, error } => write!(f, "{server}: {error}"),
        }
    }
}

impl std::error::Error for OpenError {}

/// The socket both framings run over: bare, or under TLS.
pub enum Stream {
    Plain(TcpStream),
    Tls(Box<TlsStream>),
}

impl Stream {
    fn socket(&self) -> &TcpStream {
        match self {
            Stream::Plain(s) => s,
            Stream::Tls(t) => t.get_ref(),
        }
    }

    /// Whether TLS records wait for the socket (a bare socket keeps nothing back).
    fn wants_write(&self) -> bool {
        match self {
            Stream::Plain(_) => false,
            Stream::Tls(t) => t.wants_write(),
        }
    }

    fn close_notify(&mut self) {
        if let Stream::Tls(t) = self {
            t.close_notify();
        }
    }
}

impl Read for Stream {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match self {
            Stream::Plain(s) => s.read(buf),
            Stream::Tls(t) => t.read(buf),
        }
    }
}

impl Write for Stream {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            Stream::Plain(s) => s.write(buf),
            Stream::Tls(t) => t.write(buf),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match self {
            Stream::Plain(s) => s.flush(),
            Stream::Tls(t) => t.flush(),
        }
    }
}

pub enum Transport {
    Tcp {
        stream: Stream,
        /// Bytes accepted but not yet written; `written` of them are already out.
        out: Vec<u8>,
        written: usize,
        /// Kept across reads: a busy subscriber reads thousands of times a second.
        buf: Box<[u8]>,
    },
    Ws {
        ws: Box<WebSocket<Stream>>,
        /// Bytes for the next frame: a batch of packets travels as one binary frame, which
        /// MQTT allows [MQTT-6.0.0-2] and which saves a frame header and a mask per packet.
        out: Vec<u8>,
        /// Whether tungstenite holds frames it could not write yet.
        pending: bool,
    },
}

/// What a read turned up.
pub enum ReadOutcome {
    /// Nothing more to read right now.
    Drained,
    /// The peer closed the connection (or the WebSocket sent a close frame).
    Closed(String),
}

impl Transport {
    /// Connects (blocking, bounded by `timeout`) and switches to non-blocking mode.
    pub fn open(endpoint: &Endpoint, timeout: Duration) -> Result<Self, OpenError> {
        match endpoint {
            Endpoint::Tcp { host, port, tls } => {
                let stream = connect(endpoint, host, *port, tls.as_ref(), timeout)?;
                let s = stream.socket();
                let _ = s.set_read_timeout(None);
                let _ = s.set_write_timeout(None);
                s.set_nonblocking(true).map_err(configure)?;
                Ok(Transport::Tcp {
                    stream,
                    out: Vec::new(),
                    written: 0,
                    buf: vec![0u8; READ_CHUNK].into_boxed_slice(),
                })
            }
            Endpoint::Ws {
                host,
                port,
                path,
                tls,
            } => {
                let stream = connect(endpoint, host, *port, tls.as_ref(), timeout)?;
                let host_header = if host.contains(':') {
                    format!("[{host}]:{port}")
                } else {
                    format!("{host}:{port}")
                };
                let scheme = if tls.is_some() { "wss" } else { "ws" };
                let uri = format!("{scheme}://{host_header}{path}");
                let mut request = uri
                    .as_str()
                    .into_client_request()
                    .map_err(|e| OpenError::Connect(format!("bad WebSocket URL {uri}: {e}")))?;
                request.headers_mut().insert(
                    "Sec-WebSocket-Protocol",
                    tungstenite::http::HeaderValue::from_static("mqtt"),
                );
                let (ws, response) = tungstenite::client::client_with_config(
                    request,
                    stream,
                    Some(WebSocketConfig::default()),
                )
                .map_err(|e| OpenError::Connect(ws_handshake_error(&uri, e)))?;
                check_subprotocol(&uri, &response)?;
                let s = ws.get_ref().socket();
                let _ = s.set_read_timeout(None);
                let _ = s.set_write_timeout(None);
                s.set_nonblocking(true).map_err(configure)?;
                Ok(Transport::Ws {
                    ws: Box::new(ws),
                    out: Vec::new(),
                    pending: false,
                })
            }
        }
    }

    /// Queues bytes for the next [`Transport::flush`].
    pub fn queue(&mut self, bytes: &[u8]) {
        match self {
            Transport::Tcp { out, .. } | Transport::Ws { out, .. } => out.extend_from_slice(bytes),
        }
    }

    /// Writes as much as the socket takes without blocking; true when everything is out.
    pub fn flush(&mut self) -> io::Result<bool> {
        match self {
            Transport::Tcp {
                stream,
                out,
                written,
                ..
            } => {
                while *written < out.len() {
                    match stream.write(&out[*written..]) {
                        Ok(0) => return Err(ErrorKind::WriteZero.into()),
                        Ok(n) => *written += n,
                        Err(e) if e.kind() == ErrorKind::WouldBlock => return Ok(false),
                        Err(e) if e.kind() == ErrorKind::Interrupted => {}
                        Err(e) => return Err(e),
                    }
                }
                out.clear();
                *written = 0;
                // TLS records the socket did not take yet.
                match stream.flush() {
                    Ok(()) => Ok(true),
                    Err(e) if e.kind() == ErrorKind::WouldBlock => Ok(false),
                    Err(e) => Err(e),
                }
            }
            Transport::Ws { ws, out, pending } => {
                if !out.is_empty() {
                    let frame = Message::Binary(std::mem::take(out).into());
                    match ws.write(frame) {
                        Ok(()) => {}
                        // The frame is buffered inside tungstenite; the flush below retries.
                        Err(tungstenite::Error::Io(e)) if e.kind() == ErrorKind::WouldBlock => {}
                        Err(e) => return Err(ws_io(e)),
                    }
                }
                match ws.flush() {
                    Ok(()) => {
                        *pending = false;
                        Ok(true)
                    }
                    Err(tungstenite::Error::Io(e)) if e.kind() == ErrorKind::WouldBlock => {
                        *pending = true;
                        Ok(false)
                    }
                    Err(e) => Err(ws_io(e)),
                }
            }
        }
    }

    /// Whether queued bytes are waiting for the socket to become writable.
    pub fn wants_write(&self) -> bool {
        match self {
            Transport::Tcp {
                stream,
                out,
                written,
                ..
            } => *written < out.len() || stream.wants_write(),
            Transport::Ws { ws, out, pending } => {
                *pending || !out.is_empty() || ws.get_ref().wants_write()
            }
        }
    }

    /// Bytes still queued, so a publisher can stop producing while the socket is full.
    pub fn backlog(&self) -> usize {
        match self {
            Transport::Tcp { out, written, .. } => out.len() - written,
            Transport::Ws { out, pending, .. } => out.len() + usize::from(*pending),
        }
    }

    /// Reads everything available, handing each chunk to `sink`.
    pub fn read(&mut self, mut sink: impl FnMut(&[u8])) -> io::Result<ReadOutcome> {
        match self {
            Transport::Tcp { stream, buf, .. } => {
                loop {
                    match stream.read(buf) {
                        Ok(0) => {
                            return Ok(ReadOutcome::Closed(
                                "the broker closed the connection".into(),
                            ));
                        }
                        Ok(n) => {
                            sink(&buf[..n]);
                            if n < buf.len() {
                                // A short read almost always means the socket is empty;
                                // poll will say if it is not. (Under TLS it means rustls
                                // holds no plaintext, which poll could not say.)
                                return Ok(ReadOutcome::Drained);
                            }
                        }
                        Err(e) if e.kind() == ErrorKind::WouldBlock => {
                            return Ok(ReadOutcome::Drained);
                        }
                        Err(e) if e.kind() == ErrorKind::Interrupted => {}
                        // A close with our CONNECT still unread arrives as a reset.
                        Err(e) if e.kind() == ErrorKind::ConnectionReset => {
                            return Ok(ReadOutcome::Closed(
                                "the broker reset the connection".into(),
                            ));
                        }
                        Err(e) => return Err(e),
                    }
                }
            }
            Transport::Ws { ws, pending, .. } => loop {
                match ws.read() {
                    Ok(Message::Binary(data)) => sink(&data),
                    Ok(Message::Close(frame)) => {
                        let why = frame
                            .map(|f| format!(" ({} {})", u16::from(f.code), f.reason))
                            .unwrap_or_default();
                        return Ok(ReadOutcome::Closed(format!(
                            "the broker closed the WebSocket{why}"
                        )));
                    }
                    // MQTT travels in binary frames only; on any other data frame the
                    // receiver must close the connection [MQTT-6.0.0-1].
                    Ok(Message::Text(_)) => return Err(text_frame()),
                    // tungstenite answers pings itself.
                    Ok(_) => {}
                    Err(tungstenite::Error::Io(e)) if e.kind() == ErrorKind::WouldBlock => {
                        // A pong may be waiting to go out.
                        *pending = ws.flush().is_err();
                        return Ok(ReadOutcome::Drained);
                    }
                    Err(
                        tungstenite::Error::ConnectionClosed | tungstenite::Error::AlreadyClosed,
                    ) => {
                        return Ok(ReadOutcome::Closed(
                            "the broker closed the WebSocket".into(),
                        ));
                    }
                    // Still the server ending the connection, only without a Close frame
                    // (rumqttd 0.20.0 does this to a CONNECT of a version it does not speak).
                    Err(tungstenite::Error::Protocol(
                        tungstenite::error::ProtocolError::ResetWithoutClosingHandshake,
                    )) => {
                        return Ok(ReadOutcome::Closed(
                            "the broker closed the connection without a WebSocket close".into(),
                        ));
                    }
                    Err(tungstenite::Error::Io(e)) if e.kind() == ErrorKind::ConnectionReset => {
                        return Ok(ReadOutcome::Closed(
                            "the broker reset the connection".into(),
                        ));
                    }
                    Err(e) => return Err(ws_io(e)),
                }
            },
        }
    }

    /// Writes what is queued, waiting up to `timeout`; for the last words before closing
    /// (a DISCONNECT) that must not be lost to a full socket buffer.
    pub fn flush_blocking(&mut self, timeout: Duration) {
        let deadline = std::time::Instant::now() + timeout;
        while let Ok(false) = self.flush() {
            if std::time::Instant::now() >= deadline {
                return;
            }
            std::thread::sleep(Duration::from_millis(1));
        }
    }

    /// Closes politely: a WebSocket close frame, or a TCP shutdown after the last bytes;
    /// under TLS, a close_notify after either.
    pub fn close(mut self) {
        self.flush_blocking(Duration::from_millis(500));
        match self {
            Transport::Tcp { mut stream, .. } => {
                stream.close_notify();
                let _ = stream.socket().shutdown(std::net::Shutdown::Both);
            }
            Transport::Ws { mut ws, .. } => {
                let _ = ws.close(None);
                let _ = ws.flush();
                ws.get_mut().close_notify();
            }
        }
    }

    pub fn fd(&self) -> BorrowedFd<'_> {
        match self {
            Transport::Tcp { stream, .. } => stream.socket().as_fd(),
            Transport::Ws { ws, .. } => ws.get_ref().socket().as_fd(),
        }
    }
}

/// A connected stream, blocking and bounded by `timeout` (for the handshakes that follow);
/// under TLS, with its handshake done.
fn connect(
    endpoint: &Endpoint,
    host: &str,
    port: u16,
    tls: Option<&TlsOptions>,
    timeout: Duration,
) -> Result<Stream, OpenError> {
    let socket = connect_tcp(host, port, timeout)?;
    let _ = socket.set_read_timeout(Some(timeout));
    let _ = socket.set_write_timeout(Some(timeout));
    match tls {
        None => Ok(Stream::Plain(socket)),
        Some(opts) => TlsStream::connect(socket, host, opts)
            .map(|t| Stream::Tls(Box::new(t)))
            .map_err(|error| OpenError::Tls {
                server: endpoint.to_string(),
                error,
            }),
    }
}

fn configure(e: io::Error) -> OpenError {
    OpenError::Connect(format!("cannot configure the socket: {e}"))
}

fn connect_tcp(host: &str, port: u16, timeout: Duration) -> Result<TcpStream, OpenError> {
    let addrs: Vec<_> = (host, port)
        .to_socket_addrs()
        .map_err(|e| OpenError::Connect(format!("cannot resolve {host}: {e}")))?
        .collect();
    let mut last = None;
    for addr in &addrs {
        match TcpStream::connect_timeout(addr, timeout) {
            Ok(s) => {
                // MQTT packets are small and latency matters more than segment count; the
                // driver batches writes itself.
                let _ = s.set_nodelay(true);
                return Ok(s);
            }
            Err(e) => last = Some((addr, e)),
        }
    }
    Err(OpenError::Connect(match last {
        Some((addr, e)) if e.kind() == ErrorKind::ConnectionRefused => {
            format!("cannot connect to {addr}: connection refused (is a broker listening there?)")
        }
        Some((addr, e)) if e.kind() == ErrorKind::TimedOut => {
            format!("cannot connect to {addr}: timed out after {timeout:?}")
        }
        Some((addr, e)) => format!("cannot connect to {addr}: {e}"),
        None => format!("{host} resolves to no address"),
    }))
}

fn check_subprotocol(uri: &str, response: &Response) -> Result<(), OpenError> {
    match response.headers().get("Sec-WebSocket-Protocol") {
        Some(v) if v.as_bytes().eq_ignore_ascii_case(b"mqtt") => Ok(()),
        Some(v) => Err(OpenError::Connect(format!(
            "{uri}: the server chose WebSocket subprotocol {:?}, not mqtt",
            String::from_utf8_lossy(v.as_bytes())
        ))),
        // Some brokers omit the header; MQTT on the stream will tell soon enough.
        None => Ok(()),
    }
}

fn ws_handshake_error(
    uri: &str,
    e: tungstenite::HandshakeError<tungstenite::ClientHandshake<Stream>>,
) -> String {
    match e {
        tungstenite::HandshakeError::Failure(tungstenite::Error::Http(resp)) => format!(
            "{uri}: the server refused the WebSocket upgrade with HTTP {} (wrong path?)",
            resp.status()
        ),
        tungstenite::HandshakeError::Failure(e) => {
            format!("{uri}: WebSocket handshake failed: {e}")
        }
        tungstenite::HandshakeError::Interrupted(_) => {
            format!("{uri}: WebSocket handshake timed out")
        }
    }
}

/// What a WebSocket text frame from the broker ends the connection with.
fn text_frame() -> io::Error {
    io::Error::new(
        ErrorKind::InvalidData,
        "the broker sent a WebSocket text frame; MQTT travels in binary frames only [MQTT-6.0.0-1]",
    )
}

fn ws_io(e: tungstenite::Error) -> io::Error {
    match e {
        tungstenite::Error::Io(e) => e,
        other => io::Error::other(other.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A text frame from the broker ends the connection [MQTT-6.0.0-1]; it used to be
    /// ignored (found by the hostile-broker suite).
    #[test]
    fn a_text_frame_is_an_error() {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let server = std::thread::spawn(move || {
            let (stream, _) = listener.accept().unwrap();
            let mut ws = tungstenite::accept_hdr(stream, testkit::hostile::offer_mqtt).unwrap();
            ws.send(Message::Text("not mqtt".into())).unwrap();
            // Keep the socket open until the client has read.
            let _ = ws.read();
        });
        let endpoint = Endpoint::Ws {
            host: "127.0.0.1".into(),
            port,
            path: "/".into(),
            tls: None,
        };
        let mut t = Transport::open(&endpoint, Duration::from_secs(5)).unwrap();
        let deadline = std::time::Instant::now() + Duration::from_secs(5);
        let error = loop {
            match t.read(|_| panic!("no MQTT bytes were sent")) {
                Err(e) => break e,
                Ok(ReadOutcome::Drained) => {
                    assert!(std::time::Instant::now() < deadline, "no error");
                    std::thread::sleep(Duration::from_millis(5));
                }
                Ok(ReadOutcome::Closed(why)) => panic!("closed instead: {why}"),
            }
        };
        assert!(error.to_string().contains("text frame"), "{error}");
        t.close();
        server.join().unwrap();
    }
}
