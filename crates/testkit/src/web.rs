//! The browser side of end-to-end tests: a static file server for the built `dist/`, and
//! chromedriver driving Debian's headless Chromium. Both are process/thread guards that stop
//! on drop.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Component, Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use crate::mosquitto::require_program;
use crate::ports::free_port;

/// Serves a directory over HTTP on a free loopback port, as GitHub Pages would serve `dist/`;
/// or over https ([`StaticServer::start_https`]), as Pages does.
pub struct StaticServer {
    pub port: u16,
    https: bool,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl StaticServer {
    pub fn start(root: impl Into<PathBuf>) -> Self {
        Self::start_at(root, 0)
    }

    /// On a given loopback port (0: a free one): a site that went down comes back at the
    /// same address, so a page loaded from it before can reach it again.
    pub fn start_at(root: impl Into<PathBuf>, port: u16) -> Self {
        Self::serve(root.into(), port, None)
    }

    /// Over https, with a certificate for `127.0.0.1` and `localhost` signed by a CA made for
    /// this server alone: a browser must be told to accept it (Chromium's
    /// `--ignore-certificate-errors`), as a real site's would not need.
    pub fn start_https(root: impl Into<PathBuf>) -> Self {
        let _ = rustls::crypto::ring::default_provider().install_default();
        let cert =
            crate::tls::TestCa::new("testkit static server CA").issue(&["127.0.0.1", "localhost"]);
        let key = rustls::pki_types::PrivateKeyDer::try_from(cert.key_der)
            .expect("the server key as DER");
        let config = rustls::ServerConfig::builder()
            .with_no_client_auth()
            .with_single_cert(vec![cert.cert_der.into()], key)
            .expect("a TLS server configuration");
        Self::serve(root.into(), 0, Some(Arc::new(config)))
    }

    fn serve(root: PathBuf, port: u16, tls: Option<Arc<rustls::ServerConfig>>) -> Self {
        assert!(
            root.join("index.html").is_file(),
            "{} has no index.html: build the app first (make build)",
            root.display()
        );
        let listener = TcpListener::bind(("127.0.0.1", port)).expect("bind a loopback port");
        let port = listener.local_addr().expect("local addr").port();
        let stop = Arc::new(AtomicBool::new(false));
        let stop_flag = stop.clone();
        let https = tls.is_some();
        let thread = std::thread::spawn(move || {
            for stream in listener.incoming() {
                if stop_flag.load(Ordering::SeqCst) {
                    break;
                }
                if let Ok(stream) = stream {
                    let root = root.clone();
                    let tls = tls.clone();
                    std::thread::spawn(move || {
                        let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
                        match tls {
                            None => {
                                let mut stream = stream;
                                serve_one(&mut stream, &root);
                                let _ = stream.shutdown(std::net::Shutdown::Write);
                            }
                            Some(config) => {
                                let Ok(conn) = rustls::ServerConnection::new(config) else {
                                    return;
                                };
                                let mut tls = rustls::StreamOwned::new(conn, stream);
                                serve_one(&mut tls, &root);
                                tls.conn.send_close_notify();
                                let _ = tls.flush();
                            }
                        }
                    });
                }
            }
        });
        Self {
            port,
            https,
            stop,
            thread: Some(thread),
        }
    }

    pub fn url(&self) -> String {
        let scheme = if self.https { "https" } else { "http" };
        format!("{scheme}://127.0.0.1:{}/", self.port)
    }
}

impl Drop for StaticServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wake the accept loop so it sees the flag.
        let _ = TcpStream::connect(("127.0.0.1", self.port));
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// One request on a connection (`Connection: close`), plain or TLS.
fn serve_one(mut stream: impl Read + Write, root: &Path) {
    let mut request_line = String::new();
    {
        let mut reader = BufReader::new(&mut stream);
        if reader.read_line(&mut request_line).unwrap_or(0) == 0 {
            return;
        }
        // Skip headers; GET has no body.
        loop {
            let mut line = String::new();
            if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" || line == "\n" {
                break;
            }
        }
    }
    let target = request_line.split_whitespace().nth(1).unwrap_or("/");
    let path = target.split(['?', '#']).next().unwrap_or("/");
    let response = match resolve(root, path).map(|file| (std::fs::read(&file), file)) {
        Some((Ok(body), file)) => respond(200, content_type(&file), &body),
        _ => respond(404, "text/plain", b"not found"),
    };
    let _ = stream.write_all(&response);
    let _ = stream.flush();
}

/// Maps a URL path inside `root`, refusing `..` so a test server cannot leak the disk.
fn resolve(root: &Path, url_path: &str) -> Option<PathBuf> {
    let rel = Path::new(url_path.trim_start_matches('/'));
    if rel.components().any(|c| !matches!(c, Component::Normal(_))) {
        return None;
    }
    let file = root.join(rel);
    if file.is_dir() {
        Some(file.join("index.html"))
    } else if file.is_file() {
        Some(file)
    } else {
        None
    }
}

fn content_type(file: &Path) -> &'static str {
    match file.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "wasm" => "application/wasm",
        "css" => "text/css; charset=utf-8",
        "json" | "webmanifest" => "application/json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        _ => "application/octet-stream",
    }
}

fn respond(status: u16, content_type: &str, body: &[u8]) -> Vec<u8> {
    let reason = if status == 200 { "OK" } else { "Not Found" };
    let mut out = format!(
        "HTTP/1.1 {status} {reason}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n",
        body.len()
    )
    .into_bytes();
    out.extend_from_slice(body);
    out
}

/// chromedriver on a free loopback port, driving Debian's Chromium headless with a fresh
/// profile. Flags keep Chromium off the (closed) network: without them it floods it.
pub struct ChromeDriver {
    pub port: u16,
    child: Child,
    profile: PathBuf,
}

impl ChromeDriver {
    pub fn start() -> Self {
        let driver = require_program("chromedriver");
        let port = free_port();
        let child = Command::new(driver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start chromedriver");
        let profile =
            std::env::temp_dir().join(format!("tablero-chrome-{}-{port}", std::process::id()));
        let deadline = Instant::now() + Duration::from_secs(15);
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < deadline, "chromedriver did not start");
            std::thread::sleep(Duration::from_millis(50));
        }
        Self {
            port,
            child,
            profile,
        }
    }

    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// W3C capabilities for headless Chromium at the given window size.
    pub fn capabilities(
        &self,
        width: u32,
        height: u32,
    ) -> serde_json::Map<String, serde_json::Value> {
        let chromium = require_program("chromium");
        let args = vec![
            "--headless=new".to_string(),
            "--no-sandbox".into(),
            "--disable-gpu".into(),
            "--disable-dev-shm-usage".into(),
            "--disable-quic".into(),
            "--no-first-run".into(),
            "--disable-background-networking".into(),
            "--disable-component-update".into(),
            "--disable-sync".into(),
            "--disable-extensions".into(),
            "--hide-scrollbars".into(),
            format!("--window-size={width},{height}"),
            format!("--user-data-dir={}", self.profile.display()),
        ];
        let mut options = serde_json::json!({ "binary": chromium, "args": args });
        if width < 500 {
            // Headless Chromium will not make a window narrower than 500 px; a phone
            // viewport needs device emulation (which also turns on touch).
            options["mobileEmulation"] = serde_json::json!({
                "deviceMetrics": { "width": width, "height": height, "pixelRatio": 1.0, "touch": true, "mobile": true }
            });
        }
        let mut caps = serde_json::Map::new();
        caps.insert("goog:chromeOptions".into(), options);
        caps
    }
}

impl Drop for ChromeDriver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.profile);
    }
}

/// A reverse proxy that passes one path only, as an nginx `location /mqtt` in front of a
/// broker does: a request for `path` (a WebSocket upgrade, say) is handed on byte for byte
/// to `upstream` on loopback (mosquitto's websockets listener, which takes any path), and
/// every other request is answered `404 Not Found`. The connection doctor's "wrong path".
pub struct PathProxy {
    pub port: u16,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl PathProxy {
    pub fn start(path: &str, upstream: u16) -> Self {
        let listener = TcpListener::bind(("127.0.0.1", 0)).expect("bind a loopback port");
        let port = listener.local_addr().expect("local addr").port();
        let stop = Arc::new(AtomicBool::new(false));
        let stop_flag = stop.clone();
        let path = path.to_owned();
        let thread = std::thread::spawn(move || {
            for stream in listener.incoming() {
                if stop_flag.load(Ordering::SeqCst) {
                    break;
                }
                if let Ok(stream) = stream {
                    let path = path.clone();
                    std::thread::spawn(move || proxy_one(stream, &path, upstream));
                }
            }
        });
        Self {
            port,
            stop,
            thread: Some(thread),
        }
    }
}

impl Drop for PathProxy {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        let _ = TcpStream::connect(("127.0.0.1", self.port));
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// Reads one request's head, then either pipes the connection to `upstream` (head first)
/// until either side closes, or answers 404.
fn proxy_one(mut client: TcpStream, path: &str, upstream: u16) {
    let _ = client.set_read_timeout(Some(Duration::from_secs(5)));
    let mut head = Vec::new();
    let mut chunk = [0u8; 4096];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") {
        match client.read(&mut chunk) {
            Ok(0) | Err(_) => return,
            Ok(n) => head.extend_from_slice(&chunk[..n]),
        }
        if head.len() > 64 * 1024 {
            return;
        }
    }
    let line = String::from_utf8_lossy(&head)
        .lines()
        .next()
        .unwrap_or("")
        .to_owned();
    let target = line.split_whitespace().nth(1).unwrap_or("/");
    if target.split('?').next() != Some(path) {
        let _ = client.write_all(&respond(404, "text/plain", b"not found"));
        let _ = client.shutdown(std::net::Shutdown::Write);
        return;
    }
    let Ok(mut server) = TcpStream::connect(("127.0.0.1", upstream)) else {
        return;
    };
    let _ = client.set_read_timeout(None);
    if server.write_all(&head).is_err() {
        return;
    }
    let (Ok(mut client_in), Ok(mut server_out)) = (client.try_clone(), server.try_clone()) else {
        return;
    };
    let back = std::thread::spawn(move || {
        let _ = std::io::copy(&mut server, &mut client);
        let _ = client.shutdown(std::net::Shutdown::Both);
    });
    let _ = std::io::copy(&mut client_in, &mut server_out);
    let _ = server_out.shutdown(std::net::Shutdown::Both);
    let _ = back.join();
}
