//! The browser side of end-to-end tests: a static file server for the built `dist/`, and
//! chromedriver driving Debian's headless Chromium. Both are process/thread guards that stop
//! on drop.

use std::io::{BufRead, BufReader, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::path::{Component, Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use crate::mosquitto::require_program;
use crate::ports::free_port;

/// Serves a directory over HTTP on a free loopback port, as GitHub Pages would serve `dist/`.
pub struct StaticServer {
    pub port: u16,
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
        let root: PathBuf = root.into();
        assert!(
            root.join("index.html").is_file(),
            "{} has no index.html: build the app first (make build)",
            root.display()
        );
        let listener = TcpListener::bind(("127.0.0.1", port)).expect("bind a loopback port");
        let port = listener.local_addr().expect("local addr").port();
        let stop = Arc::new(AtomicBool::new(false));
        let stop_flag = stop.clone();
        let thread = std::thread::spawn(move || {
            for stream in listener.incoming() {
                if stop_flag.load(Ordering::SeqCst) {
                    break;
                }
                if let Ok(stream) = stream {
                    let root = root.clone();
                    std::thread::spawn(move || serve_one(stream, &root));
                }
            }
        });
        Self {
            port,
            stop,
            thread: Some(thread),
        }
    }

    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}/", self.port)
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

fn serve_one(mut stream: TcpStream, root: &Path) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
    let Ok(clone) = stream.try_clone() else {
        return;
    };
    let mut reader = BufReader::new(clone);
    let mut request_line = String::new();
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
    let target = request_line.split_whitespace().nth(1).unwrap_or("/");
    let path = target.split(['?', '#']).next().unwrap_or("/");
    let response = match resolve(root, path).map(|file| (std::fs::read(&file), file)) {
        Some((Ok(body), file)) => respond(200, content_type(&file), &body),
        _ => respond(404, "text/plain", b"not found"),
    };
    let _ = stream.write_all(&response);
    let _ = stream.shutdown(Shutdown::Write);
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
        match std::io::Read::read(&mut client, &mut chunk) {
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
        let _ = client.shutdown(Shutdown::Write);
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
        let _ = client.shutdown(Shutdown::Both);
    });
    let _ = std::io::copy(&mut client_in, &mut server_out);
    let _ = server_out.shutdown(Shutdown::Both);
    let _ = back.join();
}

/// Serves a directory over https on a free loopback port, with a self-signed certificate
/// made for this run (`openssl req`), by Python's `http.server` wrapped in TLS: a page
/// served over https, as GitHub Pages serves the app, where the browser allows only
/// `wss://`. The browser must be told to accept the certificate (`acceptInsecureCerts`).
pub struct HttpsStaticServer {
    pub port: u16,
    child: Child,
    dir: PathBuf,
}

/// The server: `python3 -c SCRIPT root port cert key`; prints `ready` once listening.
const HTTPS_SERVER: &str = r#"
import functools, http.server, ssl, sys
root, port, cert, key = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
class Handler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map,
        ".js": "text/javascript", ".wasm": "application/wasm", ".css": "text/css",
        ".svg": "image/svg+xml", ".webmanifest": "application/manifest+json"}
    def end_headers(self):
        self.send_header("Cache-Control", "no-store")
        super().end_headers()
    def log_message(self, *args):
        pass
server = http.server.ThreadingHTTPServer(("127.0.0.1", port), functools.partial(Handler, directory=root))
context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
context.load_cert_chain(cert, key)
server.socket = context.wrap_socket(server.socket, server_side=True)
print("ready", flush=True)
server.serve_forever()
"#;

impl HttpsStaticServer {
    pub fn start(root: impl Into<PathBuf>) -> Self {
        let root: PathBuf = root.into();
        assert!(
            root.join("index.html").is_file(),
            "{} has no index.html: build the app first (make build)",
            root.display()
        );
        let port = free_port();
        let dir = std::env::temp_dir().join(format!("tablero-https-{}-{port}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("a folder for the certificate");
        let (cert, key) = (dir.join("cert.pem"), dir.join("key.pem"));
        let made = Command::new(require_program("openssl"))
            .args([
                "req",
                "-x509",
                "-newkey",
                "ec",
                "-pkeyopt",
                "ec_paramgen_curve:prime256v1",
            ])
            .args(["-nodes", "-days", "1", "-subj", "/CN=127.0.0.1"])
            .args(["-addext", "subjectAltName=IP:127.0.0.1"])
            .arg("-keyout")
            .arg(&key)
            .arg("-out")
            .arg(&cert)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .expect("run openssl");
        assert!(made.success(), "openssl could not make a certificate");
        let mut child = Command::new(require_program("python3"))
            .arg("-c")
            .arg(HTTPS_SERVER)
            .arg(&root)
            .arg(port.to_string())
            .arg(&cert)
            .arg(&key)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start python3");
        let mut line = String::new();
        let stdout = child.stdout.take().expect("its stdout");
        let _ = BufReader::new(stdout).read_line(&mut line);
        assert_eq!(line.trim(), "ready", "the https server did not start");
        Self { port, child, dir }
    }

    pub fn url(&self) -> String {
        format!("https://127.0.0.1:{}/", self.port)
    }
}

impl Drop for HttpsStaticServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
