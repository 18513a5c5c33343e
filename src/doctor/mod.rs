//! The connection doctor: for a connection that failed (or looks risky), what went wrong and
//! what to do about it.
//!
//! The browser hides why a WebSocket failed (a refused port, a 404 on the path, a bad
//! certificate and a missing permission all end in the same close event), so the doctor
//! asks around: [`plan`] says what to probe, `probe.rs` (the browser side, loaded with the
//! doctor's dialog) opens WebSockets on the paths brokers use and makes a `no-cors` request
//! to the same host and port, and [`diagnose`] turns the facts and what the probes saw into
//! typed [`Finding`]s, each a cause with its fix, worded by `describe::finding_text`.
//!
//! Pure: no DOM, no clock, no network here, so every rule is tested natively.

pub mod probe;

use crate::config::{BrokerPreset, Config, Connection, PRESETS, Scheme};
use crate::mqtt::link::LinkError;
use crate::widgets::topics as widget_topics;
use mqtt_codec_wasm::ReasonCode;
use mqtt_session::VersionRefusal;

/// How long one probe may take before it counts as "no answer".
pub const PROBE_TIMEOUT_MS: u32 = 4_000;

/// The paths MQTT brokers serve WebSockets on, tried besides the configured one.
pub const COMMON_PATHS: [&str; 2] = ["/mqtt", "/"];

/// What one probe saw.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reach {
    /// The WebSocket opened; the request got an answer (any answer: it is opaque).
    Answers,
    /// It failed within the bound: refused, a handshake the server declined (a 404 on the
    /// path), a certificate the browser does not trust, a blocked request.
    Fails,
    /// No answer within [`PROBE_TIMEOUT_MS`]: a firewall that drops, a host that is off.
    Silent,
}

/// Where the page itself was served from.
#[derive(Debug, Clone, PartialEq)]
pub struct Page {
    pub https: bool,
    /// Its host name (`location.hostname`).
    pub host: String,
}

/// What to probe, decided from the facts (the browser side only runs it).
#[derive(Debug, Clone, PartialEq)]
pub struct ProbePlan {
    /// WebSocket URLs (subprotocol `mqtt`) by path: the configured path first.
    pub sockets: Vec<(String, String)>,
    /// The same host and port over http(s), for a `no-cors` request.
    pub web: String,
    /// A second public broker's https address, asked only when nothing answered at a
    /// configured host that is itself a public preset ("no internet" or "that broker is
    /// down"). Never a host the user did not choose otherwise; never in tests (their hosts
    /// are on loopback, which no preset is).
    pub other_public: Option<String>,
}

/// What the probes saw, in the plan's order.
#[derive(Debug, Clone, PartialEq)]
pub struct Probes {
    pub sockets: Vec<(String, Reach)>,
    pub web: Reach,
    pub other_public: Option<Reach>,
}

/// Everything the doctor knows about one connection.
#[derive(Debug, Clone, Copy)]
pub struct Facts<'a> {
    pub connection: &'a Connection,
    pub page: &'a Page,
    /// Why the link is not connected, as its status says; `None` while it is connected or
    /// trying again (then only the probes tell).
    pub error: Option<&'a LinkError>,
    /// `navigator.onLine`.
    pub online: bool,
    /// Every topic the connection's widgets (and its last will) read or write.
    pub topics: &'a [String],
    /// A prefix to suggest for a public broker (random, made by the caller).
    pub suggested_prefix: &'a str,
    /// What the probes saw, once they are done.
    pub probes: Option<&'a Probes>,
}

/// A cause and its fix. Each carries what its sentence names; `key` is its stable name.
#[derive(Debug, Clone, PartialEq)]
pub enum Finding {
    /// `navigator.onLine` is false: no network at all.
    NoNetwork,
    /// An https page may open only `wss://`; the preset's wss port when it is known.
    MixedContent { wss_port: Option<u16> },
    /// A page from the internet reaching a device on the local network: Chrome asks first.
    LocalNetwork { host: String },
    /// The configured WebSocket opens now: the failure has passed.
    AnswersNow { url: String },
    /// No WebSocket at the configured path, but one opens at `path`.
    WrongPath { url: String, path: String },
    /// A web server answers at the host and port, but no WebSocket opens on any path tried.
    NotMqtt { address: String },
    /// Nothing answers at the host and port: refused at once, or `silent` (no answer within
    /// the bound).
    NothingAnswers { address: String, silent: bool },
    /// Over TLS a certificate this browser does not trust fails the same way as nothing
    /// listening: opening `url` once lets the user accept it.
    Tls { url: String },
    /// The public broker does not answer, another public broker does.
    BrokerDown { host: String },
    /// Neither the public broker nor another one answers.
    NoInternet,
    /// The WebSocket was closed with this code after it opened.
    Closed { code: u16 },
    /// CONNACK refused the connection.
    Refused {
        reason: ReasonCode,
        detail: Option<String>,
    },
    /// The WebSocket opens but no CONNACK comes: not an MQTT broker at that path.
    NoMqttAnswer { url: String },
    /// The broker ended the connection with DISCONNECT.
    Disconnected {
        reason: ReasonCode,
        detail: Option<String>,
    },
    /// The broker broke the protocol; the reason the link ended the connection with.
    Protocol { reason: ReasonCode },
    /// No answer to a ping within 1.5 × the keepalive.
    KeepAlive,
    /// A text frame: MQTT over WebSocket is binary, so no broker sent it.
    TextFrame,
    /// The broker does not speak MQTT 5.0 (`maybe`: it closed right after a 5.0 CONNECT,
    /// which some brokers do for other reasons too).
    NoV5 { maybe: bool },
    /// The broker's packet limit is below the dashboard's SUBSCRIBE.
    BrokerLimit { size: usize, maximum: u32 },
    /// The browser refused the URL itself, with its own words.
    BadUrl { why: String },
    /// The settings make no MQTT session (a password without a user name before 5.0).
    InvalidSettings,
    /// A public broker and a topic with no prefix of the user's own: anyone can read it
    /// and switch the lamp.
    PublicNoPrefix {
        host: String,
        topic: String,
        suggestion: String,
    },
}

impl Finding {
    /// A stable machine-readable name (`data-cause`: tests, styling).
    pub fn key(&self) -> &'static str {
        match self {
            Self::NoNetwork => "no-network",
            Self::MixedContent { .. } => "mixed-content",
            Self::LocalNetwork { .. } => "local-network",
            Self::AnswersNow { .. } => "answers-now",
            Self::WrongPath { .. } => "wrong-path",
            Self::NotMqtt { .. } => "web-server-not-mqtt",
            Self::NothingAnswers { silent: false, .. } => "refused",
            Self::NothingAnswers { silent: true, .. } => "timeout",
            Self::Tls { .. } => "tls",
            Self::BrokerDown { .. } => "broker-down",
            Self::NoInternet => "no-internet",
            Self::Closed { .. } => "close-code",
            Self::Refused { .. } => "connack",
            Self::NoMqttAnswer { .. } => "no-mqtt-answer",
            Self::Disconnected { .. } => "disconnect",
            Self::Protocol { .. } => "protocol",
            Self::KeepAlive => "keepalive",
            Self::TextFrame => "text-frame",
            Self::NoV5 { .. } => "no-v5",
            Self::BrokerLimit { .. } => "broker-limit",
            Self::BadUrl { .. } => "bad-url",
            Self::InvalidSettings => "invalid-settings",
            Self::PublicNoPrefix { .. } => "public-no-prefix",
        }
    }
}

/// What a WebSocket close code says, grouped by what to do about it (RFC 6455 7.4.1 and
/// the IANA registry).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CloseKind {
    /// 1000, 1005: closed on purpose, without an error.
    Normal,
    /// 1001, 1012, 1013: the server is going away, restarting or overloaded.
    GoingAway,
    /// 1002, 1003, 1007, 1010: the server did not accept the WebSocket's frames.
    Protocol,
    /// 1006: the connection dropped without a close (network, crash, a proxy's cut).
    Abnormal,
    /// 1008: the server's policy (origin, authentication at a proxy).
    Policy,
    /// 1009: a message over the server's limit.
    TooBig,
    /// 1011: the server's own error.
    ServerError,
    /// 1014: a proxy could not reach the broker behind it.
    BadGateway,
    /// 1015: the TLS handshake failed.
    Tls,
    /// Anything else (4000–4999 are the application's own).
    Other,
}

pub fn close_kind(code: u16) -> CloseKind {
    match code {
        1000 | 1005 => CloseKind::Normal,
        1001 | 1012 | 1013 => CloseKind::GoingAway,
        1002 | 1003 | 1007 | 1010 => CloseKind::Protocol,
        1006 => CloseKind::Abnormal,
        1008 => CloseKind::Policy,
        1009 => CloseKind::TooBig,
        1011 => CloseKind::ServerError,
        1014 => CloseKind::BadGateway,
        1015 => CloseKind::Tls,
        _ => CloseKind::Other,
    }
}

/// What to do about a reason code a broker refused or ended the connection with (3.1.1
/// CONNACK return codes arrive as their 5.0 codes).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReasonFix {
    /// Wrong user name or password, or an authentication method the broker does not take.
    Credentials,
    /// Right or no credentials, but this client may not connect.
    NotAuthorized,
    ClientId,
    /// Another connection took this client id over.
    TakenOver,
    /// The broker does not speak the version asked for.
    Version,
    /// Busy, unavailable, a quota or rate: it passes (the link retries by itself).
    Later,
    Banned,
    /// The broker sends the client elsewhere (its reference is in the detail).
    OtherServer,
    /// Anything else: the broker's log says more.
    BrokerLog,
}

pub fn reason_fix(reason: ReasonCode) -> ReasonFix {
    use ReasonCode as R;
    match reason {
        R::SessionTakenOver => ReasonFix::TakenOver,
        R::BadUserNameOrPassword | R::BadAuthenticationMethod => ReasonFix::Credentials,
        R::NotAuthorized => ReasonFix::NotAuthorized,
        R::ClientIdentifierNotValid => ReasonFix::ClientId,
        R::UnsupportedProtocolVersion => ReasonFix::Version,
        R::ServerUnavailable
        | R::ServerBusy
        | R::QuotaExceeded
        | R::ConnectionRateExceeded
        | R::ServerShuttingDown => ReasonFix::Later,
        R::Banned => ReasonFix::Banned,
        R::UseAnotherServer | R::ServerMoved => ReasonFix::OtherServer,
        _ => ReasonFix::BrokerLog,
    }
}

/// The public broker preset whose host this is, if any.
pub fn public_preset(host: &str) -> Option<&'static BrokerPreset> {
    let host = host.trim().trim_end_matches('.');
    PRESETS.iter().find(|p| p.host.eq_ignore_ascii_case(host))
}

/// The preset a connection was made from while its host is still the preset's, or the
/// preset whose host it names.
fn preset_of(c: &Connection) -> Option<&'static BrokerPreset> {
    c.preset
        .as_deref()
        .and_then(BrokerPreset::by_id)
        .filter(|p| p.host.eq_ignore_ascii_case(c.host.trim()))
        .or_else(|| public_preset(&c.host))
}

/// An address on this device or the local network, as Chrome's local network access sees
/// it: loopback, private and link-local IPs, `localhost`, `.local` (mDNS) and the other
/// local-only names, and single-label names (which only a local resolver answers).
pub fn is_local_host(host: &str) -> bool {
    let h = host.trim().trim_end_matches('.');
    let bare = h
        .strip_prefix('[')
        .and_then(|h| h.strip_suffix(']'))
        .unwrap_or(h);
    if let Ok(ip) = bare.parse::<std::net::Ipv4Addr>() {
        return ip.is_loopback() || ip.is_private() || ip.is_link_local() || ip.is_unspecified();
    }
    if let Ok(ip) = bare.parse::<std::net::Ipv6Addr>() {
        let first = ip.segments()[0];
        return ip.is_loopback()
            || ip.is_unspecified()
            || first & 0xfe00 == 0xfc00
            || first & 0xffc0 == 0xfe80
            || ip
                .to_ipv4_mapped()
                .is_some_and(|v4| is_local_host(&v4.to_string()));
    }
    let ends_with = |suffix: &str| {
        h.len()
            .checked_sub(suffix.len())
            .and_then(|at| h.get(at..))
            .is_some_and(|end| end.eq_ignore_ascii_case(suffix))
    };
    !h.contains('.')
        || [".localhost", ".local", ".home.arpa", ".lan", ".internal"]
            .into_iter()
            .any(ends_with)
}

/// Whether a topic starts with a level of the user's own, hard to guess: before its last
/// level, one of six or more characters mixing letters and digits, or the shape the app
/// suggests (`tablero/` and six letters or digits). `casa/sala/luz`, `tablero/demo/…` and
/// `#` have none.
pub fn has_personal_prefix(topic: &str) -> bool {
    let levels: Vec<&str> = topic.split('/').collect();
    let before_last = &levels[..levels.len() - 1];
    let mixed = |l: &&str| {
        l.chars().count() >= 6
            && l.chars().any(|c| c.is_ascii_digit())
            && l.chars().any(char::is_alphabetic)
    };
    let suggested = before_last.len() >= 2
        && before_last[0] == "tablero"
        && before_last[1].len() == 6
        && before_last[1]
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit());
    suggested || before_last.iter().any(mixed)
}

/// Every topic a connection's dashboards read or write, and its last will's, in order and
/// each once.
pub fn connection_topics(config: &Config, connection: &str) -> Vec<String> {
    let mut topics: Vec<String> = Vec::new();
    let mut add = |t: &str| {
        if !topics.iter().any(|have| have == t) {
            topics.push(t.to_owned());
        }
    };
    for w in config
        .dashboards
        .iter()
        .filter(|d| d.connection == connection)
        .flat_map(|d| &d.widgets)
    {
        for topic in widget_topics(&w.kind) {
            add(topic);
        }
    }
    for c in config.connections.iter().filter(|c| c.id == connection) {
        if let Some(will) = &c.will {
            add(&will.topic);
        }
    }
    topics
}

/// `host:port`, an IPv6 host in brackets.
fn address(c: &Connection) -> String {
    let host = c.host.trim();
    if host.contains(':') && !host.starts_with('[') {
        format!("[{host}]:{}", c.port)
    } else {
        format!("{host}:{}", c.port)
    }
}

/// The connection's URL with another path.
fn socket_url(c: &Connection, path: &str) -> String {
    Connection {
        path: path.to_owned(),
        ..c.clone()
    }
    .url()
}

/// The same host and port over http(s): what a `no-cors` request asks, and over TLS what
/// the user opens to accept a certificate.
fn web_url(c: &Connection) -> String {
    let scheme = match c.scheme {
        Scheme::Ws => "http",
        Scheme::Wss => "https",
    };
    format!("{scheme}://{}/", address(c))
}

/// The configured path as the link uses it (with its leading `/`).
fn configured_path(c: &Connection) -> String {
    if c.path.starts_with('/') {
        c.path.clone()
    } else {
        format!("/{}", c.path)
    }
}

/// The errors whose cause is not in the error itself: the probes look for it.
fn probes_help(facts: &Facts) -> bool {
    facts.online
        && !(facts.page.https && facts.connection.scheme == Scheme::Ws)
        && matches!(
            facts.error,
            Some(LinkError::Unreachable { .. } | LinkError::ConnectTimeout) | None
        )
}

/// What to probe for these facts, or nothing when the probes could not tell more (no
/// network, mixed content, a broker that answered in MQTT).
pub fn plan(facts: &Facts) -> Option<ProbePlan> {
    if !probes_help(facts) {
        return None;
    }
    let c = facts.connection;
    let mut paths = vec![configured_path(c)];
    for p in COMMON_PATHS {
        if !paths.iter().any(|q| q == p) {
            paths.push(p.to_owned());
        }
    }
    let other_public = public_preset(&c.host).and_then(|this| {
        PRESETS
            .iter()
            .find(|p| p.id != this.id)
            .map(|p| format!("https://{}:{}/", p.host, p.wss_port))
    });
    Some(ProbePlan {
        sockets: paths
            .into_iter()
            .map(|p| {
                let url = socket_url(c, &p);
                (p, url)
            })
            .collect(),
        web: web_url(c),
        other_public,
    })
}

/// Whether the second public host is worth asking, once the first probes are in.
pub fn wants_other_public(plan: &ProbePlan, sockets: &[(String, Reach)], web: Reach) -> bool {
    plan.other_public.is_some()
        && web != Reach::Answers
        && sockets.iter().all(|(_, r)| *r != Reach::Answers)
}

/// The findings for these facts, the likeliest cause first. With the probes not in yet,
/// only what the facts alone show.
pub fn diagnose(facts: &Facts) -> Vec<Finding> {
    let c = facts.connection;
    let mut found = Vec::new();
    if !facts.online {
        found.push(Finding::NoNetwork);
    } else if facts.page.https && c.scheme == Scheme::Ws {
        found.push(Finding::MixedContent {
            wss_port: preset_of(c).map(|p| p.wss_port),
        });
    } else if facts.error.is_some() || facts.probes.is_some() {
        if is_local_host(&c.host) && !is_local_host(&facts.page.host) {
            found.push(Finding::LocalNetwork {
                host: c.host.trim().to_owned(),
            });
        }
        match facts.error {
            // No error known (the link is trying again): what the probes saw.
            None | Some(LinkError::Unreachable { .. } | LinkError::ConnectTimeout) => {
                if let Some(probes) = facts.probes {
                    reach_findings(c, facts.error, probes, &mut found);
                }
            }
            Some(error) => found.extend(error_finding(c, error)),
        }
    }
    if let Some(preset) = public_preset(&c.host)
        && let Some(topic) = facts.topics.iter().find(|t| !has_personal_prefix(t))
    {
        found.push(Finding::PublicNoPrefix {
            host: preset.host.to_owned(),
            topic: topic.clone(),
            suggestion: facts.suggested_prefix.to_owned(),
        });
    }
    found
}

/// The finding for an error whose cause is in the error itself (none for the two the probes
/// look into).
fn error_finding(c: &Connection, error: &LinkError) -> Option<Finding> {
    Some(match error {
        LinkError::Unreachable { .. } | LinkError::ConnectTimeout => return None,
        LinkError::Closed { code } => Finding::Closed { code: *code },
        LinkError::Refused { reason, detail } => Finding::Refused {
            reason: *reason,
            detail: detail.clone(),
        },
        LinkError::ServerDisconnect { reason, detail } => Finding::Disconnected {
            reason: *reason,
            detail: detail.clone(),
        },
        LinkError::Protocol(reason) => Finding::Protocol { reason: *reason },
        LinkError::KeepAliveTimeout => Finding::KeepAlive,
        LinkError::TextFrame => Finding::TextFrame,
        LinkError::VersionRefused(sign) => Finding::NoV5 {
            maybe: *sign == VersionRefusal::ClosedAfterConnect,
        },
        LinkError::BrokerLimit { size, maximum } => Finding::BrokerLimit {
            size: *size,
            maximum: *maximum,
        },
        LinkError::BadUrl(why) => Finding::BadUrl { why: why.clone() },
        LinkError::InvalidSettings => Finding::InvalidSettings,
        LinkError::MixedContent => Finding::MixedContent {
            wss_port: preset_of(c).map(|p| p.wss_port),
        },
    })
}

/// What the probes say about a WebSocket that never opened, or opened and never heard
/// MQTT.
fn reach_findings(
    c: &Connection,
    error: Option<&LinkError>,
    probes: &Probes,
    found: &mut Vec<Finding>,
) {
    let configured = configured_path(c);
    let opens = |path: &str| {
        probes
            .sockets
            .iter()
            .any(|(p, r)| p == path && *r == Reach::Answers)
    };
    let other = probes
        .sockets
        .iter()
        .find(|(p, r)| *p != configured && *r == Reach::Answers)
        .map(|(p, _)| p.clone());
    let url = socket_url(c, &configured);
    if opens(&configured) {
        // The socket opens: either the failure has passed, or what answers is no broker.
        found.push(match error {
            Some(LinkError::ConnectTimeout) => Finding::NoMqttAnswer { url },
            _ => Finding::AnswersNow { url },
        });
        return;
    }
    if let Some(path) = other {
        found.push(Finding::WrongPath { url, path });
        return;
    }
    if probes.web == Reach::Answers {
        found.push(Finding::NotMqtt {
            address: address(c),
        });
        return;
    }
    found.push(Finding::NothingAnswers {
        address: address(c),
        silent: probes.web == Reach::Silent
            && probes.sockets.iter().all(|(_, r)| *r == Reach::Silent),
    });
    let public = public_preset(&c.host);
    if c.scheme == Scheme::Wss && public.is_none() {
        found.push(Finding::Tls { url: web_url(c) });
    }
    match (public, probes.other_public) {
        (Some(p), Some(Reach::Answers)) => found.push(Finding::BrokerDown {
            host: p.host.to_owned(),
        }),
        (Some(_), Some(_)) => found.push(Finding::NoInternet),
        _ => {}
    }
}

#[cfg(test)]
mod tests;
