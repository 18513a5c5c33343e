//! A real mosquitto broker for tests.
//!
//! Tests talk to the broker the app will meet in production rather than to a mock, so that
//! codec and session bugs show up as disagreements with a real implementation. Each
//! [`Mosquitto`] owns its process, config, log and persistence files in a private temp dir
//! and listens on loopback only, so tests can run in parallel and never reach the network.
//!
//! Quirks of mosquitto 2.0.11 this module works around:
//! - a websockets listener ignores an IP bind address, but binds loopback when given the
//!   interface name `lo`;
//! - started as root it drops to the `mosquitto` user, which cannot write into a temp dir
//!   made by root; `user root` keeps it as the user that started it (ignored for non-root);
//! - it logs to a file, not stdout, because stdout to a file or pipe is block-buffered and
//!   the readiness check and the failure messages need the log as it happens.

use std::fs::{self, File, OpenOptions};
use std::io::Read;
use std::net::{Ipv4Addr, SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};

use crate::ports::free_ports;

/// How long a broker may take to accept connections before the test fails.
const START_TIMEOUT: Duration = Duration::from_secs(10);
/// Fresh port pairs tried when the broker cannot bind (another process took a port between
/// [`free_ports`] and mosquitto's bind).
const PORT_ATTEMPTS: usize = 5;

/// What kind of broker to start.
#[derive(Debug, Clone)]
pub struct MosquittoOptions {
    /// Also open a WebSockets listener (the browser app can only speak MQTT over WebSockets).
    pub websockets: bool,
    /// Keep sessions and retained messages in a database file, so they survive
    /// [`Mosquitto::stop`]/[`Mosquitto::restart`] (a SIGKILL loses what was not yet saved).
    pub persistence: bool,
    /// Appended verbatim to the generated config, e.g. `max_inflight_messages 1\n`. Global
    /// options are fine here: mosquitto reads them anywhere in the file.
    pub extra_config: String,
}

impl Default for MosquittoOptions {
    fn default() -> Self {
        Self {
            websockets: true,
            persistence: false,
            extra_config: String::new(),
        }
    }
}

/// A running mosquitto on loopback ports, stopped and cleaned up on drop.
#[derive(Debug)]
pub struct Mosquitto {
    pub tcp_port: u16,
    pub ws_port: Option<u16>,
    child: Option<Child>,
    dir: PathBuf,
    config: PathBuf,
    opts: MosquittoOptions,
}

impl Mosquitto {
    /// A broker with the default options (TCP and WebSockets, no persistence).
    pub fn start() -> Self {
        Self::start_with(MosquittoOptions::default())
    }

    /// Starts a broker and returns once every listener accepts connections.
    ///
    /// # Panics
    /// If mosquitto is not installed, or is not ready within 10 s (the panic carries the log).
    pub fn start_with(opts: MosquittoOptions) -> Self {
        let program = require_program("mosquitto");
        let mut last_failure = String::new();
        for _ in 0..PORT_ATTEMPTS {
            let [tcp, ws] = free_ports::<2>();
            let dir = unique_dir();
            let mut broker = Self {
                tcp_port: tcp,
                ws_port: opts.websockets.then_some(ws),
                child: None,
                config: dir.join("mosquitto.conf"),
                dir,
                opts: opts.clone(),
            };
            broker.write_config();
            match broker.spawn(&program) {
                Ok(()) => return broker,
                // Dropping the failed attempt reaps the process and removes its dir.
                Err(failure) => last_failure = failure,
            }
        }
        panic!("mosquitto did not start after {PORT_ATTEMPTS} attempts:\n{last_failure}");
    }

    /// SIGKILL, as in a crash: nothing is saved, but the data dir is kept for [`restart`].
    ///
    /// [`restart`]: Self::restart
    pub fn kill(&mut self) {
        if let Some(child) = self.child.as_mut() {
            let _ = child.kill();
        }
        self.reap();
    }

    /// SIGTERM and wait: mosquitto saves its persistence database on the way out.
    pub fn stop(&mut self) {
        if let Some(child) = self.child.as_mut() {
            let pid = rustix::process::Pid::from_child(child);
            if rustix::process::kill_process(pid, rustix::process::Signal::TERM).is_err() {
                let _ = child.kill();
            }
            let deadline = Instant::now() + START_TIMEOUT;
            while matches!(child.try_wait(), Ok(None)) {
                if Instant::now() > deadline {
                    let _ = child.kill();
                    break;
                }
                std::thread::sleep(Duration::from_millis(10));
            }
        }
        self.reap();
    }

    /// Starts the broker again on the same ports with the same data dir (after [`stop`] or
    /// [`kill`]; a running broker is stopped first).
    ///
    /// # Panics
    /// If the ports cannot be bound again within 10 s.
    ///
    /// [`stop`]: Self::stop
    /// [`kill`]: Self::kill
    pub fn restart(&mut self) {
        self.stop();
        let program = require_program("mosquitto");
        let deadline = Instant::now() + START_TIMEOUT;
        loop {
            match self.spawn(&program) {
                Ok(()) => return,
                // The old socket may linger a moment; the port is ours, so keep trying.
                Err(failure) if Instant::now() > deadline => {
                    panic!("mosquitto did not restart on its ports:\n{failure}")
                }
                Err(_) => {
                    self.reap();
                    std::thread::sleep(Duration::from_millis(100));
                }
            }
        }
    }

    /// Everything mosquitto logged so far (all starts), then whatever it wrote to
    /// stdout/stderr (config errors land there before logging is set up).
    pub fn log(&self) -> String {
        let mut out = read_lossy(&self.dir.join("mosquitto.log"));
        let stdio = read_lossy(&self.dir.join("stdio.log"));
        if !stdio.is_empty() {
            out.push_str("--- stdout/stderr ---\n");
            out.push_str(&stdio);
        }
        out
    }

    /// The WebSockets URL the browser app connects to.
    ///
    /// # Panics
    /// If the broker was started without WebSockets.
    pub fn ws_url(&self) -> String {
        let port = self
            .ws_port
            .expect("this mosquitto was started with websockets: false");
        format!("ws://127.0.0.1:{port}")
    }

    /// The TCP address, for native clients.
    pub fn tcp_addr(&self) -> SocketAddr {
        SocketAddr::from((Ipv4Addr::LOCALHOST, self.tcp_port))
    }

    /// Whether the process is still alive (it exits by itself on a fatal error).
    pub fn is_running(&mut self) -> bool {
        self.child
            .as_mut()
            .is_some_and(|c| matches!(c.try_wait(), Ok(None)))
    }

    fn write_config(&self) {
        let dir = self.dir.display();
        let mut conf = format!(
            "user root\n\
             allow_anonymous true\n\
             log_dest file {dir}/mosquitto.log\n\
             log_type all\n\
             connection_messages true\n\
             persistence {}\n\
             persistence_location {dir}/\n\
             listener {} 127.0.0.1\n",
            self.opts.persistence, self.tcp_port,
        );
        if let Some(ws) = self.ws_port {
            conf.push_str(&format!("listener {ws} lo\nprotocol websockets\n"));
        }
        conf.push_str(&self.opts.extra_config);
        conf.push('\n');
        fs::write(&self.config, conf)
            .unwrap_or_else(|e| panic!("cannot write {}: {e}", self.config.display()));
    }

    /// Spawns the process and waits until it is ready; on failure the process is left for
    /// the caller to reap and the error carries the log.
    fn spawn(&mut self, program: &Path) -> Result<(), String> {
        let stdio = OpenOptions::new()
            .create(true)
            .append(true)
            .open(self.dir.join("stdio.log"))
            .map_err(|e| format!("cannot open stdio.log: {e}"))?;
        let stderr = stdio
            .try_clone()
            .map_err(|e| format!("cannot clone stdio.log handle: {e}"))?;
        // Remember where this start's log begins, so readiness is judged on this start only.
        let log_path = self.dir.join("mosquitto.log");
        let log_start = fs::metadata(&log_path).map_or(0, |m| m.len() as usize);
        let child = Command::new(program)
            .arg("-c")
            .arg(&self.config)
            .stdin(Stdio::null())
            .stdout(stdio)
            .stderr(stderr)
            .spawn()
            .map_err(|e| format!("cannot run {}: {e}", program.display()))?;
        self.child = Some(child);

        let deadline = Instant::now() + START_TIMEOUT;
        loop {
            if !self.is_running() {
                return Err(format!("mosquitto exited during start-up:\n{}", self.log()));
            }
            let log = read_lossy(&log_path);
            let running = log.get(log_start..).is_some_and(|l| l.contains(" running"));
            if running
                && self.accepts(self.tcp_port)
                && self.ws_port.is_none_or(|p| self.accepts(p))
            {
                return Ok(());
            }
            if Instant::now() > deadline {
                if let Some(child) = self.child.as_mut() {
                    let _ = child.kill();
                }
                return Err(format!(
                    "mosquitto not ready after {START_TIMEOUT:?}:\n{}",
                    self.log()
                ));
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    fn accepts(&self, port: u16) -> bool {
        let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
        TcpStream::connect_timeout(&addr, Duration::from_millis(200)).is_ok()
    }

    /// Kills (if still running) and waits for the process, so no zombie is left behind.
    fn reap(&mut self) {
        if let Some(mut child) = self.child.take() {
            if matches!(child.try_wait(), Ok(None)) {
                let _ = child.kill();
            }
            let _ = child.wait();
        }
    }
}

impl Drop for Mosquitto {
    fn drop(&mut self) {
        self.reap();
        let _ = fs::remove_dir_all(&self.dir);
    }
}

/// The full path of `name`, or a panic that says which Debian package provides it.
///
/// Also looks in the sbin directories, which are not on a normal user's PATH but hold
/// `mosquitto` on Debian.
pub fn require_program(name: &str) -> PathBuf {
    let path = std::env::var_os("PATH").unwrap_or_default();
    let found = std::env::split_paths(&path)
        .chain(["/usr/sbin", "/sbin", "/usr/local/sbin"].map(PathBuf::from))
        .map(|dir| dir.join(name))
        .find(|candidate| is_executable(candidate));
    found.unwrap_or_else(|| {
        let package = match name {
            "mosquitto" => "mosquitto",
            "mosquitto_pub" | "mosquitto_sub" | "mosquitto_rr" => "mosquitto-clients",
            "chromedriver" => "chromium-driver",
            "chromium" | "chromium-browser" => "chromium",
            other => other,
        };
        panic!(
            "`{name}` is not installed (not on PATH nor in /usr/sbin). Install it with: \
             apt-get install -y --no-install-recommends {package}"
        )
    })
}

fn is_executable(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    fs::metadata(path).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}

/// A new directory under the system temp dir, unique across processes and threads.
fn unique_dir() -> PathBuf {
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    let dir = std::env::temp_dir().join(format!(
        "testkit-mosquitto-{}-{n}-{nanos}",
        std::process::id()
    ));
    fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("cannot create {}: {e}", dir.display()));
    dir
}

fn read_lossy(path: &Path) -> String {
    let mut bytes = Vec::new();
    if let Ok(mut f) = File::open(path) {
        let _ = f.read_to_end(&mut bytes);
    }
    String::from_utf8_lossy(&bytes).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    /// MQTT 3.1.1 CONNECT (clean session, keepalive 60, client id "t"), then CONNACK.
    fn connects(port: u16) -> bool {
        let Ok(mut s) = TcpStream::connect((Ipv4Addr::LOCALHOST, port)) else {
            return false;
        };
        s.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
        let connect = [
            0x10, 13, 0, 4, b'M', b'Q', b'T', b'T', 4, 0x02, 0, 60, 0, 1, b't',
        ];
        s.write_all(&connect).unwrap();
        let mut connack = [0u8; 4];
        s.read_exact(&mut connack).is_ok() && connack == [0x20, 2, 0, 0]
    }

    #[test]
    fn starts_restarts_and_cleans_up() {
        let mut broker = Mosquitto::start_with(MosquittoOptions {
            persistence: true,
            ..Default::default()
        });
        assert!(connects(broker.tcp_port), "log:\n{}", broker.log());
        assert!(broker.ws_url().starts_with("ws://127.0.0.1:"));
        let (tcp, ws, dir) = (broker.tcp_port, broker.ws_port, broker.dir.clone());

        broker.stop();
        assert!(!broker.is_running());
        assert!(
            dir.join("mosquitto.db").exists(),
            "persistence saved on SIGTERM"
        );
        broker.restart();
        assert_eq!((broker.tcp_port, broker.ws_port), (tcp, ws));
        assert!(connects(broker.tcp_port));

        broker.kill();
        assert!(!broker.is_running());
        broker.restart();
        assert!(connects(broker.tcp_port));
        assert!(broker.log().contains("New client connected"));

        drop(broker);
        assert!(!dir.exists());
    }

    #[test]
    fn tcp_only() {
        let broker = Mosquitto::start_with(MosquittoOptions {
            websockets: false,
            ..Default::default()
        });
        assert_eq!(broker.ws_port, None);
        assert!(connects(broker.tcp_port));
    }

    #[test]
    fn missing_program_names_package() {
        let err = std::panic::catch_unwind(|| require_program("mosquitto_nonexistent_xyz"))
            .expect_err("must panic");
        let msg = err.downcast_ref::<String>().unwrap();
        assert!(msg.contains("apt-get install"), "{msg}");
        let _ = std::io::stderr().flush();
    }
}
