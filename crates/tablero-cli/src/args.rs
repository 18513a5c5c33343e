//! Command-line parsing in the mosquitto_sub/mosquitto_pub dialect.
//!
//! Hand-written rather than clap: users bring muscle memory from the mosquitto clients
//! (`-h` is the host, not help; `-t a/b -q 1`; `-m -5` is a payload, not a flag), and a
//! small parser keeps the binary small. Values may follow a flag as the next argument,
//! glued to a short flag (`-q1`), or after `=` on a long one (`--will-qos=1`).

use std::collections::VecDeque;
use std::ffi::OsString;
use std::fmt;
use std::path::PathBuf;

use mqtt_session::{ProtocolVersion, QoS};

use crate::tls::{self, TlsOptions};

/// A mistake on the command line: exit code 2 and a pointer to `--help`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UsageError(pub String);

impl fmt::Display for UsageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for UsageError {}

pub fn usage(msg: impl Into<String>) -> UsageError {
    UsageError(msg.into())
}

/// One thing on the command line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Arg {
    Short(char),
    Long(String),
    /// A bare word (subcommand or positional).
    Value(String),
}

impl fmt::Display for Arg {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Arg::Short(c) => write!(f, "-{c}"),
            Arg::Long(l) => write!(f, "--{l}"),
            Arg::Value(v) => f.write_str(v),
        }
    }
}

#[derive(Debug)]
pub struct Parser {
    args: VecDeque<String>,
    /// The rest of a short-flag cluster (`-rv` → `v`), or a glued value (`-q1` → `1`).
    cluster: Option<String>,
    /// The value after `=` of the last long flag, until someone takes it.
    long_value: Option<(String, String)>,
    /// After `--`, everything is a value.
    only_values: bool,
}

impl Parser {
    pub fn new(args: impl IntoIterator<Item = OsString>) -> Result<Self, UsageError> {
        let args = args
            .into_iter()
            .map(|a| {
                a.into_string()
                    .map_err(|a| usage(format!("argument {a:?} is not valid UTF-8")))
            })
            .collect::<Result<_, _>>()?;
        Ok(Self {
            args,
            cluster: None,
            long_value: None,
            only_values: false,
        })
    }

    pub fn from_strs(args: &[&str]) -> Self {
        Self {
            args: args.iter().map(|s| (*s).to_owned()).collect(),
            cluster: None,
            long_value: None,
            only_values: false,
        }
    }

    #[allow(clippy::should_implement_trait)]
    pub fn next(&mut self) -> Result<Option<Arg>, UsageError> {
        if let Some((flag, _)) = self.long_value.take() {
            return Err(usage(format!("--{flag} takes no value")));
        }
        if let Some(rest) = self.cluster.take() {
            let mut chars = rest.chars();
            if let Some(c) = chars.next() {
                let tail = chars.as_str();
                if !tail.is_empty() {
                    self.cluster = Some(tail.to_owned());
                }
                return Ok(Some(Arg::Short(c)));
            }
        }
        let Some(arg) = self.args.pop_front() else {
            return Ok(None);
        };
        if self.only_values {
            return Ok(Some(Arg::Value(arg)));
        }
        if arg == "--" {
            self.only_values = true;
            return self.next();
        }
        if let Some(long) = arg.strip_prefix("--") {
            return Ok(Some(match long.split_once('=') {
                Some((name, value)) => {
                    self.long_value = Some((name.to_owned(), value.to_owned()));
                    Arg::Long(name.to_owned())
                }
                None => Arg::Long(long.to_owned()),
            }));
        }
        if let Some(short) = arg.strip_prefix('-')
            && !short.is_empty()
        {
            self.cluster = Some(short.to_owned());
            return self.next();
        }
        Ok(Some(Arg::Value(arg)))
    }

    /// The value of the flag just returned: the rest of its cluster, its `=value`, or the
    /// next argument whatever it looks like (so `-m -5` publishes "-5", as mosquitto does).
    pub fn value(&mut self, flag: &Arg) -> Result<String, UsageError> {
        if let Some((_, v)) = self.long_value.take() {
            return Ok(v);
        }
        if let Some(rest) = self.cluster.take() {
            return Ok(rest);
        }
        self.args
            .pop_front()
            .ok_or_else(|| usage(format!("{flag} needs a value")))
    }

    pub fn parsed<T: std::str::FromStr>(
        &mut self,
        flag: &Arg,
        what: &str,
    ) -> Result<T, UsageError> {
        let v = self.value(flag)?;
        v.parse()
            .map_err(|_| usage(format!("{flag}: {v:?} is not {what}")))
    }
}

pub fn parse_qos(flag: &Arg, v: &str) -> Result<QoS, UsageError> {
    v.parse::<u8>()
        .ok()
        .and_then(QoS::from_u8)
        .ok_or_else(|| usage(format!("{flag}: QoS must be 0, 1 or 2, not {v:?}")))
}

pub fn parse_version(flag: &Arg, v: &str) -> Result<ProtocolVersion, UsageError> {
    match v {
        "mqttv311" | "311" | "3.1.1" | "v311" => Ok(ProtocolVersion::V3_1_1),
        "mqttv5" | "5" | "5.0" | "v5" => Ok(ProtocolVersion::V5),
        "mqttv31" | "31" | "3.1" => Ok(ProtocolVersion::V3_1),
        _ => Err(usage(format!(
            "{flag}: unknown protocol version {v:?} (use mqttv311, mqttv5 or auto)"
        ))),
    }
}

/// Where to connect, and how.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Endpoint {
    Tcp {
        host: String,
        port: u16,
        tls: Option<TlsOptions>,
    },
    Ws {
        host: String,
        port: u16,
        path: String,
        tls: Option<TlsOptions>,
    },
}

impl fmt::Display for Endpoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Endpoint::Tcp { host, port, tls } => {
                let scheme = if tls.is_some() { "mqtts" } else { "mqtt" };
                write!(f, "{scheme}://{}:{port}", bracket(host))
            }
            Endpoint::Ws {
                host,
                port,
                path,
                tls,
            } => {
                let scheme = if tls.is_some() { "wss" } else { "ws" };
                write!(f, "{scheme}://{}:{port}{path}", bracket(host))
            }
        }
    }
}

fn bracket(host: &str) -> String {
    if host.contains(':') {
        format!("[{host}]")
    } else {
        host.to_owned()
    }
}

/// What a `-L` URL says.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Url {
    pub websocket: bool,
    /// `mqtts://` or `wss://`.
    pub tls: bool,
    pub host: String,
    pub port: Option<u16>,
    pub ws_path: String,
    pub username: Option<String>,
    pub password: Option<String>,
    pub topic: Option<String>,
}

/// Parses `mqtt[s]://[user[:pass]@]host[:port][/topic]` and
/// `ws[s]://[user[:pass]@]host[:port][/path[/topic]]`.
///
/// A WebSocket URL carries two paths in one, so the first segment is the WebSocket path and
/// the rest the topic (`ws://h:9001/mqtt/a/b` is path `/mqtt`, topic `a/b`); an empty first
/// segment (`ws://h:9001//a/b`) means path `/`. Topics are taken literally (a `#` is a
/// wildcard, not a fragment); only the user and password are percent-decoded, because
/// passwords are where `@` and `:` turn up.
pub fn parse_url(url: &str) -> Result<Url, UsageError> {
    let bad = |why: &str| usage(format!("-L {url:?}: {why}"));
    let (scheme, rest) = url
        .split_once("://")
        .ok_or_else(|| bad("expected mqtt://host:port/topic or ws://host:port/path/topic"))?;
    let (websocket, tls) = match scheme.to_ascii_lowercase().as_str() {
        "mqtt" | "tcp" => (false, false),
        "mqtts" | "ssl" => (false, true),
        "ws" => (true, false),
        "wss" => (true, true),
        other => return Err(bad(&format!("unknown scheme {other:?}"))),
    };
    let (authority, path) = match rest.find('/') {
        Some(i) => (&rest[..i], Some(&rest[i + 1..])),
        None => (rest, None),
    };
    let (userinfo, hostport) = match authority.rfind('@') {
        Some(i) => (Some(&authority[..i]), &authority[i + 1..]),
        None => (None, authority),
    };
    let (username, password) = match userinfo {
        None => (None, None),
        Some(ui) => match ui.split_once(':') {
            Some((u, p)) => (Some(percent_decode(u)), Some(percent_decode(p))),
            None => (Some(percent_decode(ui)), None),
        },
    };
    let (host, port) = if let Some(v6) = hostport.strip_prefix('[') {
        let (h, after) = v6
            .split_once(']')
            .ok_or_else(|| bad("unclosed '[' in host"))?;
        let port = match after.strip_prefix(':') {
            Some(p) => Some(p),
            None if after.is_empty() => None,
            None => return Err(bad("junk after ']'")),
        };
        (h.to_owned(), port)
    } else {
        match hostport.rsplit_once(':') {
            Some((h, p)) => (h.to_owned(), Some(p)),
            None => (hostport.to_owned(), None),
        }
    };
    if host.is_empty() {
        return Err(bad("no host"));
    }
    let port = port
        .map(|p| {
            p.parse::<u16>()
                .ok()
                .filter(|&p| p != 0)
                .ok_or_else(|| bad(&format!("{p:?} is not a port")))
        })
        .transpose()?;
    let (ws_path, topic) = match (websocket, path) {
        (_, None) => ("/".to_owned(), None),
        (false, Some(t)) => ("/".to_owned(), Some(t)),
        (true, Some(p)) => match p.split_once('/') {
            Some((first, t)) => (format!("/{first}"), Some(t)),
            None => (format!("/{p}"), None),
        },
    };
    Ok(Url {
        websocket,
        tls,
        host,
        port,
        ws_path,
        username,
        password,
        topic: topic.filter(|t| !t.is_empty()).map(str::to_owned),
    })
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && let Some(hex) = s.get(i + 1..i + 3)
            && let Ok(b) = u8::from_str_radix(hex, 16)
        {
            out.push(b);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The will as given by `--will-*`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WillArgs {
    pub topic: String,
    pub payload: Vec<u8>,
    pub qos: QoS,
    pub retain: bool,
}

/// Options every command that talks to a broker shares.
#[derive(Debug, Clone)]
pub struct ConnArgs {
    pub host: String,
    pub port: Option<u16>,
    pub websocket: bool,
    pub ws_path: String,
    /// What `-L`'s scheme said: TLS or not. Without `-L`, `--cafile` turns TLS on, as in
    /// mosquitto's clients.
    url_tls: Option<bool>,
    pub cafile: Option<PathBuf>,
    pub insecure: bool,
    pub version: ProtocolVersion,
    /// `-V auto`: 5.0 first, 3.1.1 if the broker turns out not to speak 5.0.
    pub auto_version: bool,
    pub client_id: Option<String>,
    pub username: Option<String>,
    pub password: Option<String>,
    pub keep_alive: u16,
    pub clean: bool,
    pub session_expiry: Option<u32>,
    /// The largest packet accepted from the broker (5.0 also tells the broker); a larger
    /// one ends the connection from its fixed header, before its body is buffered.
    pub max_packet_size: Option<u32>,
    will_topic: Option<String>,
    will_payload: Option<Vec<u8>>,
    will_qos: QoS,
    will_retain: bool,
    /// The topic part of `-L`; each command decides what it means.
    pub url_topic: Option<String>,
    pub debug: bool,
}

impl Default for ConnArgs {
    fn default() -> Self {
        Self {
            host: "localhost".to_owned(),
            port: None,
            websocket: false,
            ws_path: "/".to_owned(),
            url_tls: None,
            cafile: None,
            insecure: false,
            version: ProtocolVersion::V3_1_1,
            auto_version: false,
            client_id: None,
            username: None,
            password: None,
            keep_alive: 60,
            clean: true,
            session_expiry: None,
            max_packet_size: None,
            will_topic: None,
            will_payload: None,
            will_qos: QoS::AtMostOnce,
            will_retain: false,
            url_topic: None,
            debug: false,
        }
    }
}

/// Help text for the connection flags, shared by every command's `--help`.
pub const CONN_HELP: &str = "\
Connection:
  -h HOST             broker host (default localhost)
  -p PORT             broker port (default 1883, or 8883 with TLS; 80 for ws://,
                      443 for wss://)
  -L URL              mqtt[s]://[user[:pass]@]host[:port][/topic] or
                      ws[s]://[user[:pass]@]host[:port][/path[/topic]]
                      (for ws[s]:// the first path segment is the WebSocket path;
                      mqtts:// and wss:// are MQTT and WebSockets over TLS)
  -V VERSION          mqttv311 (default), mqttv5 (also 311, 5), or auto: 5.0,
                      then 3.1.1 if the broker does not speak 5.0
  -i ID               client identifier (default tablero-CMD-PID)
  -u USER, -P PASS    username and password
  -k SECONDS          keepalive (default 60, 0 = off)
  -c                  persistent session (clean start off); needs -i
  -x SECONDS          session expiry interval (MQTT 5; default 0, or forever with -c)
  --max-packet-size BYTES
                      refuse packets from the broker larger than BYTES (default:
                      MQTT's own limit, 256 MiB); MQTT 5 also tells the broker
  --will-topic TOPIC  last will topic
  --will-payload TEXT last will payload (default empty)
  --will-qos QOS      last will QoS (default 0)
  --will-retain       retain the last will
  -d                  print every packet sent and received on stderr

TLS (mqtts://, wss://, or -h/-p with --cafile): the server's certificate must
chain to a trusted CA (by default Mozilla's roots, built in) and be for HOST.
  --cafile FILE       trust the CA certificates in FILE (PEM) instead of the
                      built-in roots; without -L it turns TLS on
  --insecure          accept any server certificate, for any name: FOR TESTING
                      ONLY, as anyone on the way can then read and change the
                      traffic (mosquitto's --insecure skips only the name check)
";

impl ConnArgs {
    /// Consumes `arg` if it is a connection flag.
    pub fn take(&mut self, arg: &Arg, p: &mut Parser) -> Result<bool, UsageError> {
        if let Arg::Long(l) = arg {
            match l.as_str() {
                "will-topic" => self.will_topic = Some(p.value(arg)?),
                "will-payload" => self.will_payload = Some(p.value(arg)?.into_bytes()),
                "will-qos" => self.will_qos = parse_qos(arg, &p.value(arg)?)?,
                "will-retain" => self.will_retain = true,
                "cafile" => self.cafile = Some(PathBuf::from(p.value(arg)?)),
                "insecure" => self.insecure = true,
                "max-packet-size" => {
                    let n: u32 = p.parsed(arg, "a number of bytes")?;
                    if n < 2 {
                        // Nothing, not even PINGRESP, would fit.
                        return Err(usage(format!(
                            "{arg}: at least 2 bytes (the smallest MQTT packet)"
                        )));
                    }
                    self.max_packet_size = Some(n);
                }
                _ => return self.take_short(canonical(arg), arg, p),
            }
            return Ok(true);
        }
        self.take_short(canonical(arg), arg, p)
    }

    fn take_short(
        &mut self,
        c: Option<char>,
        arg: &Arg,
        p: &mut Parser,
    ) -> Result<bool, UsageError> {
        match c {
            Some('h') => self.host = p.value(arg)?,
            Some('p') => {
                let port: u16 = p.parsed(arg, "a port number")?;
                if port == 0 {
                    return Err(usage(format!("{arg}: port 0 is not a port")));
                }
                self.port = Some(port);
            }
            Some('L') => {
                let url = parse_url(&p.value(arg)?)?;
                self.host = url.host;
                if url.port.is_some() {
                    self.port = url.port;
                }
                self.websocket = url.websocket;
                self.url_tls = Some(url.tls);
                self.ws_path = url.ws_path;
                if url.username.is_some() {
                    self.username = url.username;
                }
                if url.password.is_some() {
                    self.password = url.password;
                }
                self.url_topic = url.topic;
            }
            Some('V') => {
                let v = p.value(arg)?;
                self.auto_version = v == "auto";
                self.version = if self.auto_version {
                    ProtocolVersion::V5
                } else {
                    parse_version(arg, &v)?
                };
            }
            Some('i') => self.client_id = Some(p.value(arg)?),
            Some('u') => self.username = Some(p.value(arg)?),
            Some('P') => self.password = Some(p.value(arg)?),
            Some('k') => self.keep_alive = p.parsed(arg, "a number of seconds (0-65535)")?,
            Some('c') => self.clean = false,
            Some('x') => {
                let v = p.value(arg)?;
                self.session_expiry = Some(match v.as_str() {
                    "-1" | "∞" => u32::MAX,
                    _ => v
                        .parse()
                        .map_err(|_| usage(format!("{arg}: {v:?} is not a number of seconds")))?,
                });
            }
            Some('d') => self.debug = true,
            _ => return Ok(false),
        }
        Ok(true)
    }

    /// Checks what only makes sense together, once all flags are in.
    pub fn finish(&mut self) -> Result<(), UsageError> {
        if self.will_topic.is_none()
            && (self.will_payload.is_some() || self.will_retain || self.will_qos != QoS::AtMostOnce)
        {
            return Err(usage(
                "--will-payload, --will-qos and --will-retain need --will-topic",
            ));
        }
        if !self.clean && self.client_id.as_deref().is_none_or(str::is_empty) {
            return Err(usage("-c (persistent session) needs a client id (-i)"));
        }
        if self.password.is_some() && self.username.is_none() && !self.version.is_v5() {
            return Err(usage("-P needs -u before MQTT 5"));
        }
        if self.url_tls == Some(false) && self.cafile.is_some() {
            return Err(usage(
                "--cafile is for TLS, and -L says mqtt:// or ws://: use mqtts:// or wss://",
            ));
        }
        if self.insecure && self.tls().is_none() {
            return Err(usage(
                "--insecure is for TLS: use mqtts:// or wss:// (-L), or --cafile",
            ));
        }
        // A CA file that cannot be used is a mistake on the command line, not a broker's.
        if let Some(path) = &self.cafile {
            tls::read_cafile(path).map_err(|e| usage(e.to_string()))?;
        }
        Ok(())
    }

    /// TLS settings, if the connection uses TLS.
    pub fn tls(&self) -> Option<TlsOptions> {
        self.url_tls
            .unwrap_or(self.cafile.is_some())
            .then(|| TlsOptions {
                cafile: self.cafile.clone(),
                insecure: self.insecure,
            })
    }

    pub fn endpoint(&self) -> Endpoint {
        let tls = self.tls();
        if self.websocket {
            Endpoint::Ws {
                host: self.host.clone(),
                port: self.port.unwrap_or(if tls.is_some() { 443 } else { 80 }),
                path: self.ws_path.clone(),
                tls,
            }
        } else {
            Endpoint::Tcp {
                host: self.host.clone(),
                port: self.port.unwrap_or(if tls.is_some() { 8883 } else { 1883 }),
                tls,
            }
        }
    }

    pub fn will(&self) -> Option<WillArgs> {
        self.will_topic.as_ref().map(|topic| WillArgs {
            topic: topic.clone(),
            payload: self.will_payload.clone().unwrap_or_default(),
            qos: self.will_qos,
            retain: self.will_retain,
        })
    }

    /// Replaces the will; for commands (the device) that bring their own.
    pub fn set_will(&mut self, will: WillArgs) {
        self.will_topic = Some(will.topic);
        self.will_payload = Some(will.payload);
        self.will_qos = will.qos;
        self.will_retain = will.retain;
    }
}

/// The short flag a mosquitto long flag stands for (`--topic` is `-t`), so commands match
/// on one spelling.
pub fn canonical(arg: &Arg) -> Option<char> {
    match arg {
        Arg::Short(c) => Some(*c),
        Arg::Long(l) => Some(match l.as_str() {
            "host" => 'h',
            "port" => 'p',
            "url" => 'L',
            "protocol-version" => 'V',
            "id" => 'i',
            "username" => 'u',
            "pw" => 'P',
            "keepalive" => 'k',
            "disable-clean-session" => 'c',
            "session-expiry-interval" => 'x',
            "debug" => 'd',
            "topic" => 't',
            "qos" => 'q',
            "message" => 'm',
            "retain" => 'r',
            "verbose" => 'v',
            "file" => 'f',
            "null-message" => 'n',
            "stdin-file" => 's',
            "stdin-line" => 'l',
            "count" => 'C',
            "property" => 'D',
            _ => return None,
        }),
        Arg::Value(_) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all(args: &[&str]) -> Vec<Arg> {
        let mut p = Parser::from_strs(args);
        let mut out = Vec::new();
        while let Some(a) = p.next().unwrap() {
            out.push(a);
        }
        out
    }

    #[test]
    fn short_flags_with_separate_glued_and_clustered_values() {
        let mut p = Parser::from_strs(&["-t", "a/b", "-q1", "-rv", "-m", "-5", "--will-qos=2"]);
        let t = p.next().unwrap().unwrap();
        assert_eq!(t, Arg::Short('t'));
        assert_eq!(p.value(&t).unwrap(), "a/b");
        let q = p.next().unwrap().unwrap();
        assert_eq!(p.value(&q).unwrap(), "1");
        assert_eq!(p.next().unwrap(), Some(Arg::Short('r')));
        assert_eq!(p.next().unwrap(), Some(Arg::Short('v')));
        let m = p.next().unwrap().unwrap();
        assert_eq!(p.value(&m).unwrap(), "-5");
        let w = p.next().unwrap().unwrap();
        assert_eq!(w, Arg::Long("will-qos".into()));
        assert_eq!(p.value(&w).unwrap(), "2");
        assert_eq!(p.next().unwrap(), None);
    }

    #[test]
    fn long_flag_value_must_be_taken() {
        let mut p = Parser::from_strs(&["--will-retain=yes"]);
        p.next().unwrap();
        assert!(p.next().is_err());
    }

    #[test]
    fn double_dash_ends_flags() {
        assert_eq!(all(&["--", "-t"]), vec![Arg::Value("-t".into())]);
    }

    #[test]
    fn missing_value_is_an_error() {
        let mut p = Parser::from_strs(&["-t"]);
        let t = p.next().unwrap().unwrap();
        assert_eq!(p.value(&t).unwrap_err().0, "-t needs a value");
    }

    #[test]
    fn urls() {
        let u = parse_url("mqtt://us%40r:p%3Ass@broker.example:1884/a/b/#").unwrap();
        assert!(!u.websocket);
        assert_eq!(u.host, "broker.example");
        assert_eq!(u.port, Some(1884));
        assert_eq!(u.username.as_deref(), Some("us@r"));
        assert_eq!(u.password.as_deref(), Some("p:ss"));
        assert_eq!(u.topic.as_deref(), Some("a/b/#"));

        let u = parse_url("ws://127.0.0.1:9001/mqtt/sensors/t").unwrap();
        assert!(u.websocket);
        assert_eq!(u.ws_path, "/mqtt");
        assert_eq!(u.topic.as_deref(), Some("sensors/t"));

        let u = parse_url("ws://h//x").unwrap();
        assert_eq!(
            (u.ws_path.as_str(), u.topic.as_deref(), u.port),
            ("/", Some("x"), None)
        );

        let u = parse_url("ws://[::1]:80/mqtt").unwrap();
        assert_eq!(
            (u.host.as_str(), u.ws_path.as_str(), u.topic),
            ("::1", "/mqtt", None)
        );

        let u = parse_url("mqtt://h").unwrap();
        assert_eq!((u.host.as_str(), u.port, u.topic), ("h", None, None));

        let u = parse_url("wss://h/mqtt/x").unwrap();
        assert!(u.websocket && u.tls);
        assert_eq!(
            (u.ws_path.as_str(), u.topic.as_deref()),
            ("/mqtt", Some("x"))
        );
        let u = parse_url("mqtts://h:8884/a").unwrap();
        assert!(!u.websocket && u.tls);
        assert_eq!((u.port, u.topic.as_deref()), (Some(8884), Some("a")));
        assert!(!parse_url("mqtt://h").unwrap().tls);
        assert!(parse_url("mqtt://h:99999/x").is_err());
        assert!(parse_url("h:1883").is_err());
    }

    #[test]
    fn conn_flags() {
        let mut p = Parser::from_strs(&[
            "-h",
            "example",
            "-p",
            "1999",
            "-V",
            "5",
            "-i",
            "me",
            "-c",
            "-u",
            "u",
            "-P",
            "pw",
            "--will-topic",
            "w",
            "--will-retain",
            "-k",
            "5",
            "-t",
            "x",
        ]);
        let mut c = ConnArgs::default();
        let mut rest = Vec::new();
        while let Some(a) = p.next().unwrap() {
            if !c.take(&a, &mut p).unwrap() {
                rest.push(a);
            }
        }
        c.finish().unwrap();
        assert_eq!(rest, vec![Arg::Short('t'), Arg::Value("x".into())]);
        assert_eq!(
            c.endpoint(),
            Endpoint::Tcp {
                host: "example".into(),
                port: 1999,
                tls: None,
            }
        );
        assert_eq!(c.version, ProtocolVersion::V5);
        assert!(!c.clean);
        assert_eq!(c.keep_alive, 5);
        assert!(c.will().unwrap().retain);
    }

    #[test]
    fn max_packet_size_is_taken_and_bounded() {
        let take = |args: &[&str]| {
            let mut p = Parser::from_strs(args);
            let mut c = ConnArgs::default();
            while let Some(a) = p.next()? {
                assert!(c.take(&a, &mut p)?);
            }
            Ok::<_, UsageError>(c)
        };
        assert_eq!(take(&[]).unwrap().max_packet_size, None);
        assert_eq!(
            take(&["--max-packet-size", "4096"])
                .unwrap()
                .max_packet_size,
            Some(4096)
        );
        let e = take(&["--max-packet-size", "1"]).unwrap_err();
        assert!(e.0.contains("at least 2 bytes"), "{}", e.0);
        assert!(take(&["--max-packet-size", "-5"]).is_err());
    }

    fn conn(args: &[&str]) -> Result<ConnArgs, UsageError> {
        let mut p = Parser::from_strs(args);
        let mut c = ConnArgs::default();
        while let Some(a) = p.next()? {
            assert!(c.take(&a, &mut p)?, "{a} is a connection flag");
        }
        c.finish()?;
        Ok(c)
    }

    #[test]
    fn tls_comes_from_the_scheme_or_a_cafile_with_its_own_default_ports() {
        let tls = |cafile: Option<&str>, insecure| {
            Some(TlsOptions {
                cafile: cafile.map(PathBuf::from),
                insecure,
            })
        };
        let e = conn(&["-L", "mqtts://broker.example"]).unwrap().endpoint();
        assert_eq!(
            e,
            Endpoint::Tcp {
                host: "broker.example".into(),
                port: 8883,
                tls: tls(None, false),
            }
        );
        assert_eq!(e.to_string(), "mqtts://broker.example:8883");
        let e = conn(&["-L", "wss://broker.example/mqtt", "--insecure"])
            .unwrap()
            .endpoint();
        assert_eq!(
            e,
            Endpoint::Ws {
                host: "broker.example".into(),
                port: 443,
                path: "/mqtt".into(),
                tls: tls(None, true),
            }
        );
        assert_eq!(e.to_string(), "wss://broker.example:443/mqtt");
        assert_eq!(
            conn(&[]).unwrap().endpoint().to_string(),
            "mqtt://localhost:1883"
        );

        // A CA file turns TLS on without -L, as in mosquitto_sub (the file must be usable).
        let dir = std::env::temp_dir().join(format!("tablero-args-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let ca = dir.join("ca.pem");
        std::fs::write(&ca, testkit::tls::TestCa::new("args test CA").cert_pem()).unwrap();
        let ca = ca.to_str().unwrap();
        let c = conn(&["-h", "h", "--cafile", ca]).unwrap();
        assert_eq!(c.endpoint().to_string(), "mqtts://h:8883");
        assert_eq!(c.tls(), tls(Some(ca), false));

        for (args, needle) in [
            (vec!["--insecure"], "--insecure is for TLS"),
            (vec!["-L", "mqtt://h", "--cafile", ca], "use mqtts://"),
            (vec!["-L", "ws://h/mqtt", "--cafile", ca], "use mqtts://"),
            (vec!["--cafile", "/nonexistent/ca.pem"], "cannot read it"),
            (vec!["--cafile", "Cargo.toml"], "no certificate in it"),
        ] {
            let e = conn(&args).unwrap_err();
            assert!(e.0.contains(needle), "{args:?}: {}", e.0);
        }
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn persistent_session_needs_an_id() {
        let mut c = ConnArgs {
            clean: false,
            ..Default::default()
        };
        assert!(c.finish().is_err());
    }
}
