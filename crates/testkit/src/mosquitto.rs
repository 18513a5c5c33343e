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
//!
//! With [`MosquittoOptions::tls`] it also listens for MQTT and WebSockets over TLS, with a
//! server certificate signed by a CA made for this broker alone ([`Mosquitto::ca_file`]).

use std::fs::{self, OpenOptions};
use std::net::{Ipv4Addr, SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::ports::free_ports;
use crate::tls::TestCa;

/// How long a broker may take to accept connections before the test fails.
const START_TIMEOUT: Duration = Duration::from_secs(10);
/// Fresh port sets tried when the broker cannot bind (another process took a port between
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
    /// Also open TLS listeners: MQTT over TLS ([`Mosquitto::mqtts_port`]) and, with
    /// `websockets`, WebSockets over TLS ([`Mosquitto::wss_port`]).
    pub tls: Option<TlsListeners>,
    /// Appended verbatim to the generated config, e.g. `max_inflight_messages 1\n`. Global
    /// options are fine here: mosquitto reads them anywhere in the file.
    pub extra_config: String,
}

impl Default for MosquittoOptions {
    fn default() -> Self {
        Self {
            websockets: true,
            persistence: false,
            tls: None,
            extra_config: String::new(),
        }
    }
}

/// The certificate the TLS listeners present.
#[derive(Debug, Clone)]
pub struct TlsListeners {
    /// The names it is for: DNS names or IP addresses.
    pub server_names: Vec<String>,
}

impl Default for TlsListeners {
    /// A certificate for the names a test connects by: `localhost` and `127.0.0.1`.
    fn default() -> Self {
        Self {
            server_names: vec!["localhost".to_owned(), "127.0.0.1".to_owned()],
        }
    }
}

/// A running mosquitto on loopback ports, stopped and cleaned up on drop.
#[derive(Debug)]
pub struct Mosquitto {
    pub tcp_port: u16,
    pub ws_port: Option<u16>,
    /// MQTT over TLS, with [`MosquittoOptions::tls`].
    pub mqtts_port: Option<u16>,
    /// WebSockets over TLS, with [`MosquittoOptions::tls`] and `websockets`.
    pub wss_port: Option<u16>,
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
            let [tcp, ws, mqtts, wss] = free_ports::<4>();
            let tls = opts.tls.is_some();
            let dir = crate::files::unique_dir("mosquitto");
            let mut broker = Self {
                tcp_port: tcp,
                ws_port: opts.websockets.then_some(ws),
                mqtts_port: tls.then_some(mqtts),
                wss_port: (tls && opts.websockets).then_some(wss),
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
        let mut out = crate::files::read_lossy(&self.dir.join("mosquitto.log"));
        let stdio = crate::files::read_lossy(&self.dir.join("stdio.log"));
        if !stdio.is_empty() {
            out.push_str("--- stdout/stderr ---\n");
            out.push_str(&stdio);
        }
        out
    }

    /// What clients asked of the broker so far, in the order the broker received it, read
    /// from its log (the generated config sets `log_type all`). Its log only grows, so an
    /// earlier call's result is a prefix of a later one's: `events()[n..]` is what came after.
    pub fn events(&self) -> Vec<BrokerEvent> {
        parse_log(&crate::files::read_lossy(&self.dir.join("mosquitto.log")))
    }

    /// Whether a connected client holds a subscription to `filter` now (see
    /// [`has_subscriber`]).
    pub fn has_subscriber(&self, filter: &str) -> bool {
        has_subscriber(&self.events(), filter)
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

    /// The CA certificate (PEM) that signed the TLS listeners' certificate: what a client
    /// trusts to connect to them.
    ///
    /// # Panics
    /// If the broker was started without TLS.
    pub fn ca_file(&self) -> PathBuf {
        assert!(
            self.opts.tls.is_some(),
            "this mosquitto was started with tls: None"
        );
        self.dir.join("ca.pem")
    }

    /// The TCP address, for native clients.
    pub fn tcp_addr(&self) -> SocketAddr {
        SocketAddr::from((Ipv4Addr::LOCALHOST, self.tcp_port))
    }

    /// The process id while the broker runs, for signals a test sends itself (SIGSTOP,
    /// SIGCONT).
    pub fn pid(&self) -> Option<u32> {
        self.child.as_ref().map(Child::id)
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
        if let Some(tls) = &self.opts.tls {
            // A name of its own: a client checks a chain by names first, so two CAs of one
            // name would fail as a bad signature rather than as an unknown issuer.
            let ca = TestCa::new(&format!(
                "testkit mosquitto CA {}",
                self.dir.file_name().unwrap_or_default().to_string_lossy()
            ));
            ca.write_cert(&self.dir.join("ca.pem"));
            let names: Vec<&str> = tls.server_names.iter().map(String::as_str).collect();
            ca.issue(&names).write(
                &self.dir.join("server.pem"),
                &self.dir.join("server-key.pem"),
            );
            // Each listener takes its own TLS settings.
            let files = format!(
                "cafile {dir}/ca.pem\ncertfile {dir}/server.pem\nkeyfile {dir}/server-key.pem\n"
            );
            if let Some(port) = self.mqtts_port {
                conf.push_str(&format!("listener {port} 127.0.0.1\n{files}"));
            }
            if let Some(port) = self.wss_port {
                conf.push_str(&format!("listener {port} lo\nprotocol websockets\n{files}"));
            }
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
            let log = crate::files::read_lossy(&log_path);
            let running = log.get(log_start..).is_some_and(|l| l.contains(" running"));
            if running
                && self.accepts(self.tcp_port)
                && [self.ws_port, self.mqtts_port, self.wss_port]
                    .into_iter()
                    .flatten()
                    .all(|p| self.accepts(p))
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

/// One request of a client, as mosquitto 2.0 logs it with `log_type all`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BrokerEvent {
    /// An accepted CONNECT: `New client connected from <address> as <client> (p2, c1, k60).`
    /// (mosquitto 2.0 logs no `Received CONNECT` line).
    Connect { client: String },
    /// One filter of a SUBSCRIBE: `Received SUBSCRIBE from <client>`, then per filter a line
    /// `\t<filter> (QoS <n>)` and a line `<client> <n> <filter>`.
    Subscribe {
        client: String,
        filter: String,
        qos: u8,
    },
    /// One filter of an UNSUBSCRIBE: `Received UNSUBSCRIBE from <client>`, then per filter a
    /// line `\t<filter>` and a line `<client> <filter>`.
    Unsubscribe { client: String, filter: String },
    /// `Sending PUBLISH to <client> (d0, q0, r0, m0, '<topic>', ... (<n> bytes))`: a message
    /// on its way to a subscriber.
    Deliver { client: String, topic: String },
    /// `Received PUBLISH from <client> (d0, q1, r0, m1, '<topic>', ... (<n> bytes))`: a
    /// message a client sent, `dup` when it was flagged as a resend.
    Publish {
        client: String,
        topic: String,
        dup: bool,
    },
    /// The connection of a client ended: `Client <client> disconnected.`, `Client <client>
    /// closed its connection.`, `Socket error on client <client>, disconnecting.`, and the
    /// like (a timeout, a protocol error, a takeover by a new connection).
    Disconnect { client: String },
}

/// Whether, at the end of `events`, some connected client holds a subscription to `filter`:
/// its last CONNECT is followed by a SUBSCRIBE to `filter`, and by no UNSUBSCRIBE of it since
/// and no end of that connection.
pub fn has_subscriber(events: &[BrokerEvent], filter: &str) -> bool {
    let mut held: Vec<&str> = Vec::new();
    for e in events {
        match e {
            BrokerEvent::Connect { client } | BrokerEvent::Disconnect { client } => {
                held.retain(|c| c != client)
            }
            BrokerEvent::Subscribe {
                client, filter: f, ..
            } if f == filter => held.push(client),
            BrokerEvent::Unsubscribe { client, filter: f } if f == filter => {
                held.retain(|c| c != client)
            }
            _ => {}
        }
    }
    !held.is_empty()
}

/// The client requests in a mosquitto log, in order. Lines are `<unix time>: <message>`;
/// a filter line belongs to the SUBSCRIBE or UNSUBSCRIBE header above it. A last line
/// without its newline is left for the next read.
pub fn parse_log(log: &str) -> Vec<BrokerEvent> {
    enum Open {
        None,
        Subscribe(String),
        Unsubscribe(String),
    }
    let mut open = Open::None;
    let mut events = Vec::new();
    // Only whole lines: the broker may be writing the last one right now.
    for line in log.split_inclusive('\n').filter(|l| l.ends_with('\n')) {
        let line = line.trim_end_matches(['\r', '\n']);
        // Strip the timestamp: `1700000000: message`.
        let message = match line.split_once(": ") {
            Some((stamp, rest))
                if !stamp.is_empty() && stamp.bytes().all(|b| b.is_ascii_digit()) =>
            {
                rest
            }
            _ => line,
        };
        // Filter lines: `\t<filter> (QoS n)` or `\t<filter>`, and the same again as
        // `<client> [<qos>] <filter>`, which adds nothing.
        match &open {
            Open::Subscribe(client) => {
                if let Some(entry) = message.strip_prefix('\t')
                    && let Some((filter, qos)) = entry.rsplit_once(" (QoS ")
                    && let Some(Ok(qos)) = qos.strip_suffix(')').map(str::parse::<u8>)
                {
                    events.push(BrokerEvent::Subscribe {
                        client: client.clone(),
                        filter: filter.to_owned(),
                        qos,
                    });
                    continue;
                }
                if message.starts_with(&format!("{client} ")) {
                    continue;
                }
            }
            Open::Unsubscribe(client) => {
                if let Some(filter) = message.strip_prefix('\t') {
                    events.push(BrokerEvent::Unsubscribe {
                        client: client.clone(),
                        filter: filter.to_owned(),
                    });
                    continue;
                }
                if message.starts_with(&format!("{client} ")) {
                    continue;
                }
            }
            Open::None => {}
        }
        open = Open::None;
        if let Some(rest) = message.strip_prefix("New client connected from ") {
            if let Some((_, after)) = rest.split_once(" as ")
                && let Some((client, _)) = after.split_once(" (")
            {
                events.push(BrokerEvent::Connect {
                    client: client.to_owned(),
                });
            }
        } else if let Some(rest) = message.strip_prefix("Sending PUBLISH to ") {
            if let Some((client, topic, _)) = publish_line(rest) {
                events.push(BrokerEvent::Deliver { client, topic });
            }
        } else if let Some(rest) = message.strip_prefix("Received PUBLISH from ") {
            if let Some((client, topic, dup)) = publish_line(rest) {
                events.push(BrokerEvent::Publish { client, topic, dup });
            }
        } else if let Some(rest) = message.strip_prefix("Socket error on client ") {
            if let Some((client, _)) = rest.split_once(',') {
                events.push(BrokerEvent::Disconnect {
                    client: client.to_owned(),
                });
            }
        } else if let Some(rest) = message.strip_prefix("Client ")
            && let Some((client, what)) = rest.split_once(' ')
            && (what.contains("disconnect")
                || what.starts_with("closed its connection")
                || what.starts_with("already connected, closing old connection"))
        {
            events.push(BrokerEvent::Disconnect {
                client: client.to_owned(),
            });
        } else if let Some(client) = message.strip_prefix("Received SUBSCRIBE from ") {
            open = Open::Subscribe(client.to_owned());
        } else if let Some(client) = message.strip_prefix("Received UNSUBSCRIBE from ") {
            open = Open::Unsubscribe(client.to_owned());
        }
    }
    events
}

/// `<client> (d0, q1, r0, m1, '<topic>', ... (<n> bytes))`, the rest of a PUBLISH line either
/// way: the client, the topic and whether DUP was set.
fn publish_line(rest: &str) -> Option<(String, String, bool)> {
    let (client, details) = rest.split_once(" (")?;
    let (_, quoted) = details.split_once('\'')?;
    let (topic, _) = quoted.split_once("', ")?;
    Some((
        client.to_owned(),
        topic.to_owned(),
        details.starts_with("d1"),
    ))
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
            "zbarimg" => "zbar-tools",
            "node" => "nodejs",
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::files::connects;
    use std::io::Write;

    #[test]
    fn starts_restarts_and_cleans_up() {
        let mut broker = Mosquitto::start_with(MosquittoOptions {
            persistence: true,
            ..Default::default()
        });
        assert!(connects(broker.tcp_port), "log:\n{}", broker.log());
        assert!(
            broker
                .events()
                .contains(&BrokerEvent::Connect { client: "t".into() }),
            "the CONNECT is in the events: {:?}",
            broker.events()
        );
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

    /// A log of mosquitto 2.0.11 (`log_type all`) as it was written, tabs included.
    const SAMPLE_LOG: &str = "1796143758: mosquitto version 2.0.11 running
1796143759: New connection from 127.0.0.1:39968 on port 18833.
1796143759: New client connected from 127.0.0.1:39968 as subber (p2, c1, k60).
1796143759: No will message specified.
1796143759: Sending CONNACK to subber (0, 0)
1796143759: Received SUBSCRIBE from subber
1796143759: \ta/b (QoS 1)
1796143759: subber 1 a/b
1796143759: \tc/# (QoS 1)
1796143759: subber 1 c/#
1796143759: Sending SUBACK to subber
1796143759: New client connected from 127.0.0.1:39980 as pubber (p2, c1, k60).
1796143759: Received PUBLISH from pubber (d0, q0, r0, m0, 'a/b', ... (2 bytes))
1796143759: Sending PUBLISH to subber (d0, q0, r0, m0, 'a/b', ... (2 bytes))
1796143759: Received UNSUBSCRIBE from subber
1796143759: \tx/y
1796143759: subber x/y
1796143759: \tc/#
1796143759: subber c/#
1796143759: Sending UNSUBACK to subber
1796143760: Received SUBSCRIBE from subber
1796143760: \tx/y (QoS 2)
1796143760: subber 2 x/y
1796143760: Sending SUBACK to subber
1796143761: Received DISCONNECT from pubber
1796143761: Client pubber disconnected.
1796143761: Client subber closed its connection.
1796143762: Socket error on client other, disconnecting.
";

    #[test]
    fn the_log_tells_connects_subscriptions_and_deliveries() {
        let connect = |c: &str| BrokerEvent::Connect { client: c.into() };
        let sub = |f: &str, qos| BrokerEvent::Subscribe {
            client: "subber".into(),
            filter: f.into(),
            qos,
        };
        let unsub = |f: &str| BrokerEvent::Unsubscribe {
            client: "subber".into(),
            filter: f.into(),
        };
        let all = vec![
            connect("subber"),
            sub("a/b", 1),
            sub("c/#", 1),
            connect("pubber"),
            BrokerEvent::Publish {
                client: "pubber".into(),
                topic: "a/b".into(),
                dup: false,
            },
            BrokerEvent::Deliver {
                client: "subber".into(),
                topic: "a/b".into(),
            },
            unsub("x/y"),
            unsub("c/#"),
            sub("x/y", 2),
            BrokerEvent::Disconnect {
                client: "pubber".into(),
            },
            BrokerEvent::Disconnect {
                client: "subber".into(),
            },
            BrokerEvent::Disconnect {
                client: "other".into(),
            },
        ];
        assert_eq!(parse_log(SAMPLE_LOG), all);
        // A line still being written is not read yet; a later read gets it.
        let cut = SAMPLE_LOG.len() - 4;
        assert_eq!(parse_log(&SAMPLE_LOG[..cut]), all[..all.len() - 1]);
        assert_eq!(parse_log(""), vec![]);
    }

    #[test]
    fn a_subscription_is_held_while_its_connection_lasts() {
        let events = parse_log(SAMPLE_LOG);
        let upto = |n: usize| &events[..n];
        // subber subscribed to a/b (events 0..2), then lost its connection at the end.
        assert!(has_subscriber(upto(2), "a/b"));
        assert!(!has_subscriber(upto(2), "x/y"));
        // c/# was unsubscribed; x/y subscribed again after its UNSUBSCRIBE.
        assert!(!has_subscriber(upto(9), "c/#"));
        assert!(has_subscriber(upto(9), "x/y"));
        assert!(!has_subscriber(&events, "x/y"), "subber's connection ended");
        assert!(!has_subscriber(&events, "a/b"));
        // A new connection of the same client starts without the old one's subscriptions.
        let mut again = upto(9).to_vec();
        again.push(BrokerEvent::Connect {
            client: "subber".into(),
        });
        assert!(!has_subscriber(&again, "a/b"));
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

    /// A client that trusts only the broker's CA speaks MQTT over both TLS listeners, by
    /// name and by address.
    #[test]
    fn tls_listeners_present_a_certificate_from_the_test_ca() {
        use rustls::pki_types::pem::PemObject;
        use rustls::pki_types::{CertificateDer, ServerName};
        use std::sync::Arc;

        let broker = Mosquitto::start_with(MosquittoOptions {
            tls: Some(TlsListeners::default()),
            ..Default::default()
        });
        let mut roots = rustls::RootCertStore::empty();
        for cert in CertificateDer::pem_file_iter(broker.ca_file()).unwrap() {
            roots.add(cert.unwrap()).unwrap();
        }
        let config = Arc::new(
            rustls::ClientConfig::builder_with_provider(Arc::new(
                rustls::crypto::ring::default_provider(),
            ))
            .with_safe_default_protocol_versions()
            .unwrap()
            .with_root_certificates(roots)
            .with_no_client_auth(),
        );
        let open = |port: u16, name: &'static str| {
            let sock = TcpStream::connect((Ipv4Addr::LOCALHOST, port)).unwrap();
            sock.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
            let conn = rustls::ClientConnection::new(
                Arc::clone(&config),
                ServerName::try_from(name).unwrap(),
            )
            .unwrap();
            rustls::StreamOwned::new(conn, sock)
        };

        let mut mqtts = open(broker.mqtts_port.unwrap(), "localhost");
        assert!(
            crate::files::mqtt_handshake(&mut mqtts),
            "log:\n{}",
            broker.log()
        );

        let wss = open(broker.wss_port.unwrap(), "127.0.0.1");
        let url = format!("wss://127.0.0.1:{}/mqtt", broker.wss_port.unwrap());
        let mut request = tungstenite::client::IntoClientRequest::into_client_request(url).unwrap();
        request
            .headers_mut()
            .insert("Sec-WebSocket-Protocol", "mqtt".parse().unwrap());
        let (mut ws, _) = tungstenite::client(request, wss).unwrap();
        ws.send(tungstenite::Message::Binary(
            vec![
                0x10, 13, 0, 4, b'M', b'Q', b'T', b'T', 4, 0x02, 0, 60, 0, 1, b'w',
            ]
            .into(),
        ))
        .unwrap();
        let connack = ws.read().unwrap().into_data();
        assert_eq!(&connack[..], [0x20, 2, 0, 0], "log:\n{}", broker.log());
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
