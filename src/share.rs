//! Share links: one dashboard and its connection, in a URL fragment a phone can open (or scan
//! as a QR code).
//!
//! The fragment is `#share=` and the configuration's JSON (the same schema and writer as an
//! exported file, so the reader is [`config::parse`], with every rule), deflated and in
//! base64url. A link never carries a username, a password or the sharer's client id: two
//! clients with one id would throw each other off the broker. Opening one is bounded at
//! every step (characters, inflated bytes, one dashboard) and any failure is a typed
//! [`ShareError`] that changes nothing. Pure data, no DOM: tested natively.

use crate::config::{self, Config, ConfigError, Connection, Dashboard};

/// Where a share link's payload starts in the URL.
pub const FRAGMENT_PREFIX: &str = "#share=";
/// A link longer than this is refused before it is decoded (a dashboard of twelve widgets is
/// about 1,000 characters).
pub const MAX_LINK_CHARS: usize = 16 * 1024;
/// At most this much JSON comes out of a link: a small link that inflates to megabytes (a
/// "zip bomb") stops here.
pub const MAX_INFLATED_BYTES: usize = 256 * 1024;
/// The longest link a phone camera still reads reliably as a QR code (version 25 or so at
/// the lowest error correction); a longer one is offered as a link only.
pub const MAX_QR_BYTES: usize = 1_800;

/// Why a link cannot be opened. Worded at the view (`describe::share_error_text`).
#[derive(Debug, Clone, PartialEq)]
pub enum ShareError {
    TooLong {
        chars: usize,
        max: usize,
    },
    /// Not base64url (a character outside the alphabet, or a length no encoding gives).
    NotBase64,
    /// Not deflated data, or cut short.
    NotCompressed,
    /// Inflates to more than [`MAX_INFLATED_BYTES`].
    TooLarge {
        max: usize,
    },
    Config(ConfigError),
    /// A readable configuration, but not one dashboard with its own connection.
    NotOneDashboard,
}

/// What a link holds, ready to be added to a configuration.
#[derive(Debug, Clone, PartialEq)]
pub struct Shared {
    pub dashboard: Dashboard,
    pub connection: Connection,
}

/// The connection as it may travel: no login, no password, no client id.
fn without_secrets(c: &Connection) -> Connection {
    Connection {
        username: None,
        password: None,
        remember_password: false,
        client_id: String::new(),
        ..c.clone()
    }
}

/// The fragment (`#share=...`) for `dashboard` of `config`; `None` if it has no such
/// dashboard or its connection is missing.
pub fn link_fragment(config: &Config, dashboard: &str) -> Option<String> {
    let dash = config.dashboards.iter().find(|d| d.id == dashboard)?;
    let conn = config
        .connections
        .iter()
        .find(|c| c.id == dash.connection)?;
    let one = Config {
        version: config.version,
        connections: vec![without_secrets(conn)],
        dashboards: vec![dash.clone()],
    };
    Some(format!(
        "{FRAGMENT_PREFIX}{}",
        pack(config::to_json(&one).as_bytes())
    ))
}

/// Deflated, in base64url without padding: what follows `#share=`.
pub fn pack(bytes: &[u8]) -> String {
    base64url(&miniz_oxide::deflate::compress_to_vec(bytes, 10))
}

/// The text a fragment (with or without its `#share=`) carries: length, alphabet and
/// inflated size bounded.
pub fn unpack(fragment: &str) -> Result<String, ShareError> {
    let payload = fragment.strip_prefix(FRAGMENT_PREFIX).unwrap_or(fragment);
    let chars = payload.chars().count();
    if chars > MAX_LINK_CHARS {
        return Err(ShareError::TooLong {
            chars,
            max: MAX_LINK_CHARS,
        });
    }
    let deflated = from_base64url(payload).ok_or(ShareError::NotBase64)?;
    let json = miniz_oxide::inflate::decompress_to_vec_with_limit(&deflated, MAX_INFLATED_BYTES)
        .map_err(|e| match e.status {
            miniz_oxide::inflate::TINFLStatus::HasMoreOutput => ShareError::TooLarge {
                max: MAX_INFLATED_BYTES,
            },
            _ => ShareError::NotCompressed,
        })?;
    String::from_utf8(json).map_err(|_| ShareError::Config(ConfigError::Unreadable))
}

/// Reads a fragment into what it shares: [`unpack`], then the configuration reader with every
/// rule, then one dashboard with its own connection, secrets dropped.
pub fn open(fragment: &str) -> Result<Shared, ShareError> {
    let mut config = config::parse(&unpack(fragment)?).map_err(ShareError::Config)?;
    if config.dashboards.len() != 1 || config.connections.len() != 1 {
        return Err(ShareError::NotOneDashboard);
    }
    let (Some(dashboard), Some(connection)) = (config.dashboards.pop(), config.connections.pop())
    else {
        return Err(ShareError::NotOneDashboard);
    };
    if dashboard.connection != connection.id {
        return Err(ShareError::NotOneDashboard);
    }
    // Whatever a hand-made link says, secrets and identities are not taken from it.
    let connection = without_secrets(&connection);
    Ok(Shared {
        dashboard,
        connection,
    })
}

/// `shared` added to `config`: the dashboard under an id and name of its own; its connection
/// reused if the configuration already has one to the same broker (scheme, host, port, path,
/// version), else added under a new id with `client_id`. Returns the new dashboard's id.
pub fn add_to(config: &mut Config, shared: Shared, client_id: String) -> String {
    let Shared {
        mut dashboard,
        connection,
    } = shared;
    let same_broker = |c: &&Connection| {
        c.scheme == connection.scheme
            && c.host == connection.host
            && c.port == connection.port
            && c.path == connection.path
            && c.mqtt_version == connection.mqtt_version
    };
    let connection_id = match config.connections.iter().find(same_broker) {
        Some(c) => c.id.clone(),
        None => {
            let id = free_id(&connection.id, |id| {
                config.connections.iter().any(|c| c.id == id)
            });
            config.connections.push(Connection {
                id: id.clone(),
                client_id,
                ..connection
            });
            id
        }
    };
    dashboard.id = free_id(&dashboard.id, |id| {
        config.dashboards.iter().any(|d| d.id == id)
    });
    dashboard.connection = connection_id;
    let id = dashboard.id.clone();
    config.dashboards.push(dashboard);
    id
}

/// `base`, or `base-2`, `base-3`, ... : the first that is not `taken`.
fn free_id(base: &str, taken: impl Fn(&str) -> bool) -> String {
    if !taken(base) {
        return base.to_owned();
    }
    (2..)
        .map(|n| format!("{base}-{n}"))
        .find(|id| !taken(id))
        .unwrap_or_default()
}

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

fn base64url(bytes: &[u8]) -> String {
    crate::payload::base64_with(bytes, ALPHABET, false)
}

fn from_base64url(text: &str) -> Option<Vec<u8>> {
    if text.len() % 4 == 1 {
        return None;
    }
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    let (mut acc, mut bits) = (0u32, 0);
    for c in text.bytes() {
        let v = ALPHABET.iter().position(|&a| a == c)? as u32;
        acc = acc << 6 | v;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::demo_config;
    use crate::i18n::Lang;

    fn demo() -> Config {
        let mut c = demo_config(
            "tablero-own-id".into(),
            "127.0.0.1".into(),
            9001,
            "/".into(),
            Lang::En,
        );
        c.connections[0].username = Some("alice".into());
        c.connections[0].password = Some("secret".into());
        c.connections[0].remember_password = true;
        c
    }

    #[test]
    fn base64url_round_trips_every_length() {
        for len in 0..70 {
            let bytes: Vec<u8> = (0..len).map(|i| (i * 37 + 11) as u8).collect();
            let text = base64url(&bytes);
            assert!(!text.contains(['+', '/', '=']), "{text}");
            assert_eq!(from_base64url(&text), Some(bytes), "length {len}");
        }
        assert_eq!(base64url(b"\xfb\xff"), "-_8");
        assert_eq!(
            from_base64url("A"),
            None,
            "no encoding is 1 char past a group"
        );
        assert_eq!(from_base64url("ab+/"), None, "standard base64's alphabet");
        assert_eq!(from_base64url("ab=="), None, "padding");
    }

    #[test]
    fn a_link_carries_the_dashboard_and_broker_without_secrets() {
        let config = demo();
        let dash = config.dashboards[0].id.clone();
        let link = link_fragment(&config, &dash).unwrap();
        assert!(link.starts_with(FRAGMENT_PREFIX));
        assert!(
            link.len() < MAX_QR_BYTES,
            "the demo fits a QR code: {}",
            link.len()
        );
        let shared = open(&link).unwrap();
        assert_eq!(shared.dashboard, config.dashboards[0]);
        let c = &shared.connection;
        assert_eq!((c.host.as_str(), c.port), ("127.0.0.1", 9001));
        assert_eq!(
            (&c.username, &c.password, c.remember_password),
            (&None, &None, false)
        );
        assert_eq!(c.client_id, "", "the sharer's client id stays home");
        let json = unpack(&link).unwrap();
        for secret in ["alice", "secret", "tablero-own-id"] {
            assert!(!json.contains(secret), "{secret} in {json}");
        }
        assert_eq!(link_fragment(&config, "no-such-dashboard"), None);
    }

    #[test]
    fn hostile_links_are_refused_in_kind() {
        let config = demo();
        let link = link_fragment(&config, &config.dashboards[0].id).unwrap();
        let cut = &link[..link.len() / 2];
        assert!(
            matches!(
                open(cut),
                Err(ShareError::NotCompressed | ShareError::NotBase64)
            ),
            "{:?}",
            open(cut)
        );
        assert_eq!(open("#share=<script>"), Err(ShareError::NotBase64));
        assert_eq!(
            open(&base64url(b"not deflate at all")),
            Err(ShareError::NotCompressed)
        );
        let long = "A".repeat(MAX_LINK_CHARS + 4);
        assert_eq!(
            open(&long),
            Err(ShareError::TooLong {
                chars: MAX_LINK_CHARS + 4,
                max: MAX_LINK_CHARS
            })
        );
        let bomb = pack(&vec![b' '; 4 * 1024 * 1024]);
        assert!(bomb.len() < MAX_LINK_CHARS, "a small link: {}", bomb.len());
        assert_eq!(
            open(&bomb),
            Err(ShareError::TooLarge {
                max: MAX_INFLATED_BYTES
            })
        );
        assert!(matches!(
            open(&pack(b"{\"version\": 1, \"connections\": [")),
            Err(ShareError::Config(ConfigError::NotJson { .. }))
        ));
        assert!(matches!(
            open(&pack(&[0xff, 0xfe])),
            Err(ShareError::Config(ConfigError::Unreadable))
        ));
        // The whole demo (one dashboard) is fine; two dashboards are not one.
        let mut two = config.clone();
        let mut second = two.dashboards[0].clone();
        second.id = "second".into();
        two.dashboards.push(second);
        assert_eq!(
            open(&pack(config::to_json(&two).as_bytes())),
            Err(ShareError::NotOneDashboard)
        );
        // A rule broken inside (a wildcard in a command topic) is the reader's refusal.
        let mut bad = config.clone();
        bad.dashboards.truncate(1);
        let text =
            config::to_json(&bad).replace("\"command_topic\": \"", "\"command_topic\": \"#/");
        assert!(matches!(
            open(&pack(text.as_bytes())),
            Err(ShareError::Config(ConfigError::Invalid(_)))
        ));
    }

    #[test]
    fn adding_a_shared_dashboard_keeps_every_id_unique_and_reuses_the_broker() {
        let mut config = demo();
        let before = config.clone();
        let link = link_fragment(&config, &config.dashboards[0].id).unwrap();
        let id = add_to(&mut config, open(&link).unwrap(), "fresh-id".into());
        assert_eq!(config.dashboards.len(), before.dashboards.len() + 1);
        assert_ne!(id, before.dashboards[0].id);
        let added = config.dashboards.iter().find(|d| d.id == id).unwrap();
        assert_eq!(
            added.connection, before.connections[0].id,
            "same broker: reused"
        );
        assert_eq!(config.connections, before.connections);
        assert!(config::problems(&config).is_empty());

        // A configuration with another broker gets the link's connection, with a new client id.
        let mut other = before.clone();
        other.connections[0].port = 1884;
        let id = add_to(&mut other, open(&link).unwrap(), "fresh-id".into());
        let added = other.dashboards.iter().find(|d| d.id == id).unwrap();
        let conn = other
            .connections
            .iter()
            .find(|c| c.id == added.connection)
            .unwrap();
        assert_eq!((conn.port, conn.client_id.as_str()), (9001, "fresh-id"));
        assert_eq!(other.connections.len(), 2);
        assert!(
            config::problems(&other).is_empty(),
            "{:?}",
            config::problems(&other)
        );
    }
}
