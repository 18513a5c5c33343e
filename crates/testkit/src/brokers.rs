//! The broker matrix: mosquitto, aedes, amqtt and rumqttd, each on free loopback ports.
//!
//! One broker agreeing with Tablero proves little: two implementations can share a
//! misreading of the spec. Each broker here is a different code base in a different language
//! (C, JavaScript, Python, Rust), pinned by `scripts/install-tools.sh`, so a case that passes
//! on all four is very likely right, and a case that fails on one points at either that
//! broker or Tablero — the test then says which.
//!
//! Every broker but mosquitto runs from the project directory (`node_modules`,
//! `.venv-brokers`, `.tools`), where the install script puts it; mosquitto is
//! [`crate::Mosquitto`]. Each [`RunningBroker`] owns its process, config and log in a
//! private temp dir, listens on 127.0.0.1 only, and is killed on drop.

use std::fmt;
use std::fs::{self, OpenOptions};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::mosquitto::{Mosquitto, MosquittoOptions, require_program};
use crate::ports::free_ports;

/// How long a broker may take to bind its listeners (amqtt imports a lot of Python on a
/// shared machine) before the test fails.
const START_TIMEOUT: Duration = Duration::from_secs(30);
/// Fresh ports tried when a broker cannot bind (another process took one of them between
/// [`free_ports`] and the broker's bind).
const PORT_ATTEMPTS: usize = 5;
/// The WebSocket path the launchers and configs here use; mosquitto, amqtt and rumqttd
/// accept any path, aedes is told this one.
const WS_PATH: &str = "/mqtt";

/// An MQTT protocol version, as the matrix tells them apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MqttVersion {
    V311,
    V5,
}

impl MqttVersion {
    /// The `-V` value of mosquitto's clients and of `tablero`.
    pub fn cli_flag(self) -> &'static str {
        match self {
            Self::V311 => "mqttv311",
            Self::V5 => "mqttv5",
        }
    }
}

impl fmt::Display for MqttVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::V311 => "3.1.1",
            Self::V5 => "5.0",
        })
    }
}

/// How a client reaches the broker.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Transport {
    Tcp,
    Ws,
}

impl fmt::Display for Transport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Tcp => "tcp",
            Self::Ws => "ws",
        })
    }
}

/// A broker of the matrix.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Broker {
    /// Debian's mosquitto: 3.1.1 and 5.0, TCP and WebSockets.
    Mosquitto,
    /// aedes from npm: 3.1.1 only, TCP and WebSockets (through `ws`).
    Aedes,
    /// amqtt from PyPI: 3.1.1 only, TCP and WebSockets.
    Amqtt,
    /// rumqttd from crates.io: 3.1.1 and 5.0 on TCP, one listener per version; its
    /// WebSockets listener speaks 3.1.1 only.
    Rumqttd,
}

impl Broker {
    pub const ALL: [Broker; 4] = [Self::Mosquitto, Self::Aedes, Self::Amqtt, Self::Rumqttd];

    pub fn name(self) -> &'static str {
        match self {
            Self::Mosquitto => "mosquitto",
            Self::Aedes => "aedes",
            Self::Amqtt => "amqtt",
            Self::Rumqttd => "rumqttd",
        }
    }

    /// The version `scripts/install-tools.sh` installs (mosquitto: what Debian 12 ships).
    pub fn pinned_version(self) -> &'static str {
        match self {
            Self::Mosquitto => "2.0.11",
            Self::Aedes => "1.2.0",
            Self::Amqtt => "0.12.1",
            Self::Rumqttd => "0.20.0",
        }
    }

    /// The MQTT versions the broker speaks.
    pub fn versions(self) -> &'static [MqttVersion] {
        match self {
            Self::Mosquitto | Self::Rumqttd => &[MqttVersion::V311, MqttVersion::V5],
            Self::Aedes | Self::Amqtt => &[MqttVersion::V311],
        }
    }

    /// The transports on which the broker speaks `version` (none if it does not speak it).
    pub fn transports(self, version: MqttVersion) -> &'static [Transport] {
        if !self.versions().contains(&version) {
            return &[];
        }
        match (self, version) {
            (Self::Rumqttd, MqttVersion::V5) => &[Transport::Tcp],
            _ => &[Transport::Tcp, Transport::Ws],
        }
    }

    /// How to get the broker onto a machine that lacks it.
    pub fn install_hint(self) -> &'static str {
        match self {
            Self::Mosquitto => "apt-get install -y --no-install-recommends mosquitto",
            Self::Aedes => "scripts/install-tools.sh (npm ci: aedes and ws from package-lock.json)",
            Self::Amqtt => "scripts/install-tools.sh (a venv in .venv-brokers with amqtt 0.12.1)",
            Self::Rumqttd => {
                "scripts/install-tools.sh (cargo install --locked --path scripts/brokers/rumqttd \
                 --root .tools)"
            }
        }
    }

    /// Starts the broker on free loopback ports with the default options and returns once
    /// every listener is bound.
    ///
    /// # Panics
    /// If the broker is not installed (naming the install command), or does not start after
    /// a few attempts on fresh ports (with its log).
    pub fn start(self) -> RunningBroker {
        self.start_with(BrokerOptions::default())
    }

    /// [`start`](Self::start) with options.
    ///
    /// # Panics
    /// As [`start`](Self::start), and for an option the broker does not have here.
    pub fn start_with(self, opts: BrokerOptions) -> RunningBroker {
        assert!(
            opts.allow_anonymous || self == Self::Amqtt,
            "only amqtt is started with allow_anonymous: false here"
        );
        let inner = match self {
            Self::Mosquitto => Inner::Mosquitto(Mosquitto::start_with(MosquittoOptions {
                websockets: true,
                ..Default::default()
            })),
            _ => Inner::Process(ProcessBroker::start(self, opts)),
        };
        RunningBroker { kind: self, inner }
    }
}

/// How to configure a broker beyond its ports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BrokerOptions {
    /// Accept clients without a username. amqtt's anonymous mode also marks every client
    /// anonymous, and it neither keeps the session of an anonymous client nor queues
    /// messages for it while it is away; with `false`, any client that gives a username is
    /// let in (no password check) and gets a real persistent session.
    pub allow_anonymous: bool,
}

impl Default for BrokerOptions {
    fn default() -> Self {
        Self {
            allow_anonymous: true,
        }
    }
}

impl fmt::Display for Broker {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.name(), self.pinned_version())
    }
}

/// A running broker of the matrix, stopped and cleaned up on drop.
#[derive(Debug)]
pub struct RunningBroker {
    kind: Broker,
    inner: Inner,
}

#[derive(Debug)]
enum Inner {
    Mosquitto(Mosquitto),
    Process(ProcessBroker),
}

impl RunningBroker {
    pub fn kind(&self) -> Broker {
        self.kind
    }

    /// The MQTT versions this broker speaks.
    pub fn versions(&self) -> &'static [MqttVersion] {
        self.kind.versions()
    }

    /// The TCP port on which the broker speaks `version` (rumqttd has one per version).
    ///
    /// # Panics
    /// If the broker does not speak `version`.
    pub fn tcp_port(&self, version: MqttVersion) -> u16 {
        assert!(
            self.versions().contains(&version),
            "{} does not speak MQTT {version}",
            self.kind
        );
        match &self.inner {
            Inner::Mosquitto(m) => m.tcp_port,
            Inner::Process(p) => match version {
                MqttVersion::V311 => p.tcp_port,
                MqttVersion::V5 => p.tcp_v5_port.unwrap_or(p.tcp_port),
            },
        }
    }

    /// The full `ws://` URL (path included) on which the broker speaks `version`, if it has
    /// a WebSocket listener for it.
    pub fn ws_url(&self, version: MqttVersion) -> Option<String> {
        if !self.kind.transports(version).contains(&Transport::Ws) {
            return None;
        }
        let port = match &self.inner {
            Inner::Mosquitto(m) => m.ws_port?,
            Inner::Process(p) => p.ws_port?,
        };
        Some(format!("ws://127.0.0.1:{port}{WS_PATH}"))
    }

    /// Everything the broker wrote so far, for failure messages.
    pub fn log(&self) -> String {
        match &self.inner {
            Inner::Mosquitto(m) => m.log(),
            Inner::Process(p) => crate::files::read_lossy(&p.log_path()),
        }
    }

    /// The mosquitto guard itself, for what only mosquitto offers (its parsed log).
    pub fn as_mosquitto(&self) -> Option<&Mosquitto> {
        match &self.inner {
            Inner::Mosquitto(m) => Some(m),
            Inner::Process(_) => None,
        }
    }
}

/// aedes, amqtt or rumqttd as a child process with its own dir.
#[derive(Debug)]
struct ProcessBroker {
    kind: Broker,
    tcp_port: u16,
    tcp_v5_port: Option<u16>,
    ws_port: Option<u16>,
    opts: BrokerOptions,
    child: Option<Child>,
    dir: PathBuf,
}

impl ProcessBroker {
    fn start(kind: Broker, opts: BrokerOptions) -> Self {
        let program = program_of(kind);
        let mut last_failure = String::new();
        for _ in 0..PORT_ATTEMPTS {
            let [tcp, tcp_v5, ws] = free_ports::<3>();
            let mut broker = Self {
                kind,
                tcp_port: tcp,
                tcp_v5_port: (kind == Broker::Rumqttd).then_some(tcp_v5),
                ws_port: Some(ws),
                opts,
                child: None,
                dir: crate::files::unique_dir(kind.name()),
            };
            match broker.spawn(&program) {
                Ok(()) => return broker,
                // Dropping the failed attempt reaps the process and removes its dir.
                Err(failure) => last_failure = failure,
            }
        }
        panic!("{kind} did not start after {PORT_ATTEMPTS} attempts:\n{last_failure}");
    }

    fn log_path(&self) -> PathBuf {
        self.dir.join("broker.log")
    }

    fn ports(&self) -> Vec<u16> {
        [Some(self.tcp_port), self.tcp_v5_port, self.ws_port]
            .into_iter()
            .flatten()
            .collect()
    }

    fn command(&self, program: &Program) -> Result<Command, String> {
        let ws = self
            .ws_port
            .expect("every process broker here has websockets");
        match (self.kind, program) {
            (Broker::Aedes, Program::Node { node, script }) => {
                let mut c = Command::new(node);
                c.arg(script)
                    .args(["--tcp", &self.tcp_port.to_string()])
                    .args(["--ws", &ws.to_string(), "--ws-path", WS_PATH]);
                Ok(c)
            }
            (Broker::Amqtt, Program::Binary(amqtt)) => {
                let config = self.dir.join("amqtt.yaml");
                write(
                    &config,
                    &amqtt_config(self.tcp_port, ws, self.opts.allow_anonymous),
                )?;
                let mut c = Command::new(amqtt);
                c.arg("-c").arg(&config);
                Ok(c)
            }
            (Broker::Rumqttd, Program::Binary(rumqttd)) => {
                let config = self.dir.join("rumqttd.toml");
                let v5 = self.tcp_v5_port.expect("rumqttd has a 5.0 port");
                write(&config, &rumqttd_config(self.tcp_port, v5, ws))?;
                let mut c = Command::new(rumqttd);
                c.arg(&config);
                Ok(c)
            }
            (kind, _) => unreachable!("{kind:?} is not started as a process here"),
        }
    }

    /// Spawns the broker and waits until it is ready; on failure the process is left for
    /// the caller to reap and the error carries the log.
    fn spawn(&mut self, program: &Program) -> Result<(), String> {
        let log = OpenOptions::new()
            .create(true)
            .append(true)
            .open(self.log_path())
            .map_err(|e| format!("cannot open the broker log: {e}"))?;
        let log2 = log
            .try_clone()
            .map_err(|e| format!("cannot clone the broker log handle: {e}"))?;
        let mut command = self.command(program)?;
        let child = command
            .current_dir(&self.dir)
            .stdin(Stdio::null())
            .stdout(log)
            .stderr(log2)
            .spawn()
            .map_err(|e| format!("cannot run {command:?}: {e}"))?;
        self.child = Some(child);

        let deadline = Instant::now() + START_TIMEOUT;
        loop {
            let log = crate::files::read_lossy(&self.log_path());
            if !self.is_running() {
                return Err(format!("{} exited during start-up:\n{log}", self.kind));
            }
            if let Some(line) = startup_failure(self.kind, &log) {
                return Err(format!("{} failed to start ({line}):\n{log}", self.kind));
            }
            // The broker's own word, not a probe connection: an accepting port might belong
            // to whoever won a port race against it, and a bound port queues connections
            // until the broker accepts them. (Probes also fill amqtt's log with tracebacks.)
            if said_ready(self.kind, &log, &self.ports()) {
                return Ok(());
            }
            if Instant::now() > deadline {
                return Err(format!(
                    "{} not ready after {START_TIMEOUT:?}:\n{log}",
                    self.kind
                ));
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    fn is_running(&mut self) -> bool {
        self.child
            .as_mut()
            .is_some_and(|c| matches!(c.try_wait(), Ok(None)))
    }

    fn reap(&mut self) {
        if let Some(mut child) = self.child.take() {
            if matches!(child.try_wait(), Ok(None)) {
                let _ = child.kill();
            }
            let _ = child.wait();
        }
    }
}

impl Drop for ProcessBroker {
    fn drop(&mut self) {
        self.reap();
        let _ = fs::remove_dir_all(&self.dir);
    }
}

/// What runs a broker: a binary, or node with a launcher script.
enum Program {
    Binary(PathBuf),
    Node { node: PathBuf, script: PathBuf },
}

/// The project directory, where the install script puts the brokers that are not Debian's.
fn project_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .expect("the testkit crate sits two levels below the project root")
}

fn program_of(kind: Broker) -> Program {
    let root = project_root();
    let missing = |what: &Path| -> ! {
        panic!(
            "{kind} is not installed ({} is missing). Install it with: {}",
            what.display(),
            kind.install_hint()
        )
    };
    match kind {
        Broker::Mosquitto => Program::Binary(require_program("mosquitto")),
        Broker::Aedes => {
            let node = require_program("node");
            let package = root.join("node_modules/aedes/package.json");
            if !package.is_file() {
                missing(&package);
            }
            Program::Node {
                node,
                script: root.join("scripts/brokers/aedes.js"),
            }
        }
        Broker::Amqtt => {
            let amqtt = root.join(".venv-brokers/bin/amqtt");
            if !amqtt.is_file() {
                missing(&amqtt);
            }
            Program::Binary(amqtt)
        }
        Broker::Rumqttd => {
            let rumqttd = root.join(".tools/bin/tablero-rumqttd");
            if !rumqttd.is_file() {
                missing(&rumqttd);
            }
            Program::Binary(rumqttd)
        }
    }
}

/// amqtt's YAML: both listeners on loopback, its one authentication plugin (see
/// [`BrokerOptions::allow_anonymous`]), and the event logger so the log tells connections.
/// No `$SYS` plugin: its periodic publishes would reach `#` subscribers.
fn amqtt_config(tcp: u16, ws: u16, allow_anonymous: bool) -> String {
    format!(
        "listeners:\n\
         \x20 default:\n\
         \x20   type: tcp\n\
         \x20   bind: 127.0.0.1:{tcp}\n\
         \x20 websockets:\n\
         \x20   type: ws\n\
         \x20   bind: 127.0.0.1:{ws}\n\
         plugins:\n\
         \x20 amqtt.plugins.logging_amqtt.EventLoggerPlugin:\n\
         \x20 amqtt.plugins.authentication.AnonymousAuthPlugin:\n\
         \x20   allow_anonymous: {allow_anonymous}\n"
    )
}

/// rumqttd's TOML: a 3.1.1 and a 5.0 listener on TCP and a (3.1.1) WebSocket listener, all
/// on loopback. Payloads up to 1 MiB (its example config allows 20 KiB, less than the
/// matrix's 256 KiB case); no console or metrics listeners, which would take more ports.
fn rumqttd_config(v4: u16, v5: u16, ws: u16) -> String {
    let server = |section: &str, name: &str, port: u16| {
        format!(
            "[{section}]\n\
             name = \"{name}\"\n\
             listen = \"127.0.0.1:{port}\"\n\
             next_connection_delay_ms = 1\n\
             [{section}.connections]\n\
             connection_timeout_ms = 60000\n\
             max_payload_size = 1048576\n\
             max_inflight_count = 100\n\
             dynamic_filters = true\n\n"
        )
    };
    format!(
        "id = 0\n\n\
         [router]\n\
         id = 0\n\
         max_connections = 10010\n\
         max_outgoing_packet_count = 200\n\
         max_segment_size = 104857600\n\
         max_segment_count = 10\n\n\
         {}{}{}",
        server("v4.1", "v4-1", v4),
        server("v5.1", "v5-1", v5),
        server("ws.1", "ws-1", ws),
    )
}

/// Whether the broker's log says every listener is bound.
fn said_ready(kind: Broker, log: &str, ports: &[u16]) -> bool {
    match kind {
        // The launcher prints its ready line only once both servers listen.
        Broker::Aedes => log.contains("aedes ready"),
        // `Listener '<name>' bind to 127.0.0.1:<port>`, after the bind succeeded.
        Broker::Amqtt => ports
            .iter()
            .all(|p| log.contains(&format!(" bind to 127.0.0.1:{p} "))),
        // `Listening for remote connections` with `listen_addr=127.0.0.1:<port>`.
        Broker::Rumqttd => ports.iter().all(|p| {
            log.lines()
                .any(|l| l.contains("Listening") && l.contains(&format!("127.0.0.1:{p}")))
        }),
        Broker::Mosquitto => unreachable!("mosquitto has its own guard"),
    }
}

/// A log line that means the start failed although the process lives on (amqtt keeps its
/// event loop running when a listener cannot bind).
fn startup_failure(kind: Broker, log: &str) -> Option<String> {
    let bad = match kind {
        Broker::Amqtt => ["can't be started", "Errno 98", "address already in use"].as_slice(),
        Broker::Rumqttd => ["Address already in use", "panicked"].as_slice(),
        _ => [].as_slice(),
    };
    log.lines()
        .find(|l| bad.iter().any(|b| l.contains(b)))
        .map(str::to_owned)
}

fn write(path: &Path, text: &str) -> Result<(), String> {
    fs::write(path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::files::connects;

    #[test]
    fn every_broker_starts_answers_and_cleans_up() {
        for kind in Broker::ALL {
            let b = kind.start();
            for &v in b.versions() {
                if v == MqttVersion::V311 {
                    assert!(connects(b.tcp_port(v)), "{kind}:\n{}", b.log());
                }
                let ws = b.ws_url(v);
                assert_eq!(
                    ws.is_some(),
                    kind.transports(v).contains(&Transport::Ws),
                    "{kind} {v}"
                );
            }
            if let Inner::Process(p) = &b.inner {
                let dir = p.dir.clone();
                drop(b);
                assert!(!dir.exists(), "{kind}: its dir is removed");
            }
        }
    }

    #[test]
    fn the_matrix_is_what_the_brokers_speak() {
        assert_eq!(Broker::Aedes.transports(MqttVersion::V5), &[]);
        assert_eq!(
            Broker::Rumqttd.transports(MqttVersion::V5),
            &[Transport::Tcp]
        );
        assert_eq!(
            Broker::Mosquitto.transports(MqttVersion::V5),
            &[Transport::Tcp, Transport::Ws]
        );
    }

    #[test]
    fn configs_bind_loopback_only() {
        let amqtt = amqtt_config(1, 2, true);
        assert!(amqtt.contains("bind: 127.0.0.1:1\n") && amqtt.contains("bind: 127.0.0.1:2\n"));
        let rumqttd = rumqttd_config(1, 2, 3);
        assert_eq!(rumqttd.matches("listen = \"127.0.0.1:").count(), 3);
        assert!(!rumqttd.contains("0.0.0.0") && !amqtt.contains("0.0.0.0"));
    }
}
