//! The live side of the app: one broker link per connection in use and the routes from topics
//! to widget feeds, kept in step with the configuration.
//!
//! Pages and widgets reach brokers only through here ([`Runtime::command`], [`retry_all`]),
//! so `app` (the shell) and `pages` never import each other. A configuration change that does
//! not touch a connection's settings never reconnects it: its subscriptions are diffed by
//! [`BrokerLink::set_filters`](crate::mqtt::link::BrokerLink::set_filters).

use std::cell::RefCell;
use std::rc::Rc;

use leptos::prelude::*;
use mqtt_session::{Properties, Property, ProtocolVersion, QoS as WireQos, SessionOptions};

use crate::config::{Config, Connection, MqttVersion};
use crate::keep::Keeper;
use crate::live::{Live, wire_qos};
use crate::mqtt::link::{BrokerLink, LinkSettings, Publish, PublishError};

pub use crate::mqtt::link::{CommandFate, OnFate};
use crate::state::{AppState, Notice, NoticeText};

/// Links by connection id, each with the connection (and password) it was opened with (a
/// list: a few connections, and no hash map's code in the first load).
type Links = Vec<(String, (LinkKey, BrokerLink))>;

fn link_of<'a>(links: &'a Links, connection: &str) -> Option<&'a (LinkKey, BrokerLink)> {
    links
        .iter()
        .find(|(id, _)| id == connection)
        .map(|(_, l)| l)
}

/// What a link was opened from. A link is reopened only when this changes: the session
/// options also carry a fresh random seed per build, which must not count as a change.
#[derive(Clone, PartialEq)]
struct LinkKey {
    connection: Connection,
    password: Option<String>,
}

/// Shared, non-`Send` runtime objects. Leptos contexts and view closures must be `Send`; a
/// local `StoredValue` is, while the `Rc`s it holds stay on the one browser thread.
#[derive(Clone, Default)]
pub struct Runtime {
    pub live: Rc<RefCell<Live>>,
    links: Rc<RefCell<Links>>,
    /// The chart series kept across reloads.
    keeper: Keeper,
    /// The broker view's watch on one connection, if it is open.
    monitor: Rc<RefCell<Option<Monitor>>>,
}

/// The broker view's watch on a connection: told every message its link receives (the
/// widgets' and its own filter's), before the widgets are.
pub struct Monitor {
    pub connection: String,
    /// Subscribed besides the widgets' filters; `None`: only what the widgets subscribe.
    pub filter: Option<String>,
    pub on_message: Box<dyn Fn(&mqtt_session::Message)>,
}

pub type RuntimeHandle = StoredValue<Runtime, LocalStorage>;

pub fn use_runtime() -> RuntimeHandle {
    expect_context::<RuntimeHandle>()
}

/// The largest packet the page accepts from a broker: a bound on what one message can make
/// the page hold (the decoder's buffer, then the payload), 16 × the megabyte payloads the
/// widgets are tested with; a larger one ends the connection with a worded cause. Not
/// announced as the CONNECT's Maximum Packet Size: a 5.0 CONNECT with properties is one a
/// 3.1.1-only broker can no longer refuse in a way the page recognises (amqtt waits for
/// bytes that never come), and "this broker does not speak 5.0" matters more.
pub const MAX_INCOMING_PACKET: u32 = 16 * 1024 * 1024;

pub(crate) fn session_options(c: &Connection, password: Option<String>) -> SessionOptions {
    let version = match c.mqtt_version {
        MqttVersion::V3_1_1 => ProtocolVersion::V3_1_1,
        MqttVersion::V5 => ProtocolVersion::V5,
        // A broker "auto" already found to speak only 3.1.1 is not asked for 5.0 again.
        MqttVersion::Auto if crate::storage::speaks_only_311(&c.url()) => ProtocolVersion::V3_1_1,
        MqttVersion::Auto => ProtocolVersion::V5,
    };
    let mut o = SessionOptions::new(version, c.client_id.clone());
    o.fall_back_to_v311 = c.mqtt_version == MqttVersion::Auto;
    o.keep_alive = c.keep_alive_secs;
    o.clean_start = c.clean_start;
    o.session_expiry_interval = c.session_expiry_secs;
    o.username = c.username.clone();
    o.password = password.map(|p| p.into_bytes().into());
    o.will = c.will.as_ref().map(|w| mqtt_session::LastWill {
        topic: w.topic.clone(),
        payload: w.payload.clone().into_bytes().into(),
        qos: wire_qos(w.qos),
        retain: w.retain,
        delay_interval: 0,
        properties: Default::default(),
    });
    o.connect_timeout = core::time::Duration::from_secs(10);
    o.unannounced_packet_limit = Some(MAX_INCOMING_PACKET);
    o.rng_seed = (js_sys::Math::random() * 9e15) as u64 | 1;
    o
}

impl Runtime {
    /// Opens, keeps or closes links so that exactly the connections some dashboard uses are
    /// open, each subscribed to the filters its widgets need. Returns whether a link was
    /// opened or closed.
    pub fn sync(&self, state: AppState, config: &Config) -> bool {
        self.live.borrow_mut().sync(config);
        // Every chart has its feed now: the kept points can go back in.
        self.keeper.start(&self.live);
        let mut links = self.links.borrow_mut();
        // The broker view's connection is open while it watches, whether or not a
        // dashboard uses it.
        let watched = self.monitor.borrow().as_ref().map(|m| m.connection.clone());
        let used: Vec<&Connection> = config
            .connections
            .iter()
            .filter(|c| {
                config.dashboards.iter().any(|d| d.connection == c.id)
                    || watched.as_ref() == Some(&c.id)
            })
            .collect();
        let before = links.len();
        links.retain(|(id, _)| used.iter().any(|c| &c.id == id));
        let mut changed = links.len() != before;
        for c in used {
            let key = LinkKey {
                connection: c.clone(),
                password: state.password_for(&c.id),
            };
            if link_of(&links, &c.id).is_none_or(|(k, _)| *k != key) {
                changed = true;
                links.retain(|(id, _)| *id != c.id);
                let settings = LinkSettings {
                    url: c.url(),
                    options: session_options(c, key.password.clone()),
                    auto: c.mqtt_version == MqttVersion::Auto,
                };
                let live = self.live.clone();
                let monitor = self.monitor.clone();
                let id = c.id.clone();
                // What "auto" found is stored (apart from the configuration) only when it
                // differs from what this link started with.
                let remember = settings.auto.then(|| {
                    let url = settings.url.clone();
                    let only_311 = std::cell::Cell::new(!settings.options.version.is_v5());
                    move |v: ProtocolVersion| {
                        let now_311 = !v.is_v5();
                        if only_311.replace(now_311) != now_311 {
                            crate::storage::remember_311_only(&url, now_311);
                        }
                    }
                });
                let link = BrokerLink::open(
                    settings,
                    move |m| {
                        if let Some(w) = monitor.borrow().as_ref().filter(|w| w.connection == id) {
                            (w.on_message)(m);
                        }
                        live.borrow().deliver(&id, m, js_sys::Date::now());
                    },
                    move |v| {
                        if let Some(remember) = &remember {
                            remember(v);
                        }
                    },
                );
                links.push((c.id.clone(), (key, link)));
            }
            if let Some((_, link)) = link_of(&links, &c.id) {
                link.set_filters(self.live.borrow().filters(&c.id));
            }
        }
        changed
    }

    /// The status signal of a connection's link, if it has one.
    pub fn status(&self, connection: &str) -> Option<crate::mqtt::link::LinkStatus> {
        link_of(&self.links.borrow(), connection).map(|(_, link)| link.status.get())
    }

    /// Starts (`Some`) or ends the broker view's watch: its filter is subscribed besides the
    /// widgets' (a connection no dashboard uses is opened for it), and it is told every
    /// message of its connection.
    pub fn watch(&self, state: AppState, monitor: Option<Monitor>) {
        self.live.borrow_mut().watched = monitor
            .as_ref()
            .and_then(|m| Some((m.connection.clone(), m.filter.clone()?)));
        let connection = monitor.as_ref().map(|m| m.connection.clone());
        *self.monitor.borrow_mut() = monitor;
        let config = state.config.get_untracked();
        if self.sync(state, &config) || connection.is_some() {
            state.links_version.update(|v| *v += 1);
        }
    }

    /// Publishes a message of the broker view's publish panel now (refused unless
    /// connected): any topic, any payload, with the 5.0 properties given (dropped on a
    /// 3.1.1 connection, which has none).
    pub fn publish_message(
        &self,
        connection: &str,
        topic: &str,
        payload: Vec<u8>,
        qos: WireQos,
        retain: bool,
        properties: mqtt_session::Properties,
    ) -> Result<(), PublishError> {
        match link_of(&self.links.borrow(), connection) {
            Some((_, link)) => link.publish_now(topic, payload, qos, retain, properties),
            None => Err(PublishError::NoConnection),
        }
    }

    /// What the broker of a connection allowed (its maximum packet size, ...) and the
    /// version in use, once connected.
    pub fn limits(
        &self,
        connection: &str,
    ) -> Option<(mqtt_session::ServerLimits, ProtocolVersion)> {
        link_of(&self.links.borrow(), connection).map(|(_, link)| link.limits())
    }

    /// Writes the chart points that changed since the last write (kept across reloads).
    pub fn keep_history(&self) {
        self.keeper.flush();
    }

    /// Every link tries to connect now instead of waiting out its backoff.
    pub fn retry_all(&self) {
        for (_, (_, link)) in self.links.borrow().iter() {
            link.retry_now();
        }
    }

    fn publish(
        &self,
        connection: &str,
        command: &Command,
        payload: Vec<u8>,
        properties: Properties,
        on_fate: OnFate,
    ) -> Result<Publish, PublishError> {
        match link_of(&self.links.borrow(), connection) {
            Some((_, link)) => link.publish(
                &command.topic,
                payload,
                command.qos,
                command.retain,
                command.expiry_secs,
                properties,
                on_fate,
            ),
            None => Err(PublishError::NoConnection),
        }
    }

    /// Whether a connection's link speaks MQTT 5.0 (the version it uses or, not yet
    /// connected, the one it tries first): only then do a command's properties go out.
    pub fn speaks_v5(&self, connection: &str) -> bool {
        // Asked from a waiting command's fate too, which a `sync` holding the links could
        // tell: the request is then taken to have gone as asked.
        self.links.try_borrow().map_or(true, |links| {
            link_of(&links, connection).is_some_and(|(_, link)| link.limits().1.is_v5())
        })
    }
}

/// Where a widget's command goes and how long it stays worth sending. Each command may add
/// MQTT 5 properties of its own (a response topic and correlation data: [`request`]).
#[derive(Clone)]
pub struct Command {
    topic: String,
    qos: WireQos,
    retain: bool,
    expiry_secs: u32,
}

impl Command {
    pub fn new(topic: String, qos: crate::config::Qos, retain: bool, expiry_secs: u32) -> Self {
        Self {
            topic,
            qos: wire_qos(qos),
            retain,
            expiry_secs,
        }
    }
}

/// What became of a command at the tap.
pub enum Sending {
    Sent,
    /// Not connected: it waits for the connection; the tap's [`OnFate`] is told the rest.
    Waiting,
    /// Not sent; the banner says why.
    Refused,
}

/// The properties of a command that asks for an answer (MQTT 5 request/response): the
/// Response Topic the device answers on and the Correlation Data it answers with.
pub fn request(response_topic: &str, correlation: &str) -> Properties {
    Properties(vec![
        Property::ResponseTopic(response_topic.to_owned()),
        Property::CorrelationData(correlation.as_bytes().to_vec().into()),
    ])
}

/// A fresh correlation id: 8 random bytes as 16 hex digits (text, so an answer's id can be
/// shown and compared as it came).
pub fn correlation_id(mut random: impl FnMut() -> f64) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    (0..16)
        .map(|_| char::from(DIGITS[((random() * 16.0) as usize).min(15)]))
        .collect()
}

/// The one way a widget sends a command: a callback that publishes its payload, with the
/// command's own properties (none, or a [`request`]'s), through the dashboard's connection
/// and says what became of it (a command that waits tells its `OnFate` later); when it could
/// not go out, now or after waiting, the banner says why in the reader's language.
pub fn command(
    state: AppState,
    runtime: RuntimeHandle,
    connection: String,
    command: Command,
) -> Callback<(String, Properties, OnFate), Sending> {
    Callback::new(
        move |(payload, properties, on_fate): (String, Properties, OnFate)| {
            let on_fate: OnFate = Box::new(move |fate| {
                if let CommandFate::Refused(why) = &fate {
                    refused(state, why.clone());
                }
                on_fate(fate);
            });
            match runtime.with_value(|rt| {
                rt.publish(
                    &connection,
                    &command,
                    payload.into_bytes(),
                    properties,
                    on_fate,
                )
            }) {
                Ok(Publish::Sent) => Sending::Sent,
                Ok(Publish::Waiting) => Sending::Waiting,
                Err(why) => {
                    refused(state, why);
                    Sending::Refused
                }
            }
        },
    )
}

/// A command was not sent: the banner says why.
fn refused(state: AppState, why: PublishError) {
    state
        .notice
        .set(Some(Notice::Error(NoticeText::PublishFailed(why))));
}

/// Whether the shown dashboard's link has lost its connection, as context for every widget
/// (a card marks its data as from before; the switch words a timeout). Connecting for
/// the first time is not "lost" (nothing shown is old yet); an attempt after a loss still is.
#[derive(Clone, Copy)]
pub struct Offline(pub Memo<bool>);

pub fn offline_memo(status: Signal<Option<crate::mqtt::link::LinkStatus>>) -> Offline {
    use crate::mqtt::link::LinkStatus;
    Offline(Memo::new(move |was: Option<&bool>| match status.get() {
        Some(LinkStatus::Connected { .. }) => false,
        Some(LinkStatus::Connecting) | None => was.copied().unwrap_or(false),
        Some(LinkStatus::Reconnecting { .. } | LinkStatus::Stopped(_)) => true,
    }))
}

/// The status of the link the shown dashboard uses, or `None` when it has none.
pub fn active_link_status() -> Signal<Option<crate::mqtt::link::LinkStatus>> {
    let state = crate::state::use_app_state();
    let runtime = use_runtime();
    Signal::derive(move || {
        state.links_version.track();
        let connection = state.config.with(|c| {
            let active = state.active_dashboard.get();
            c.dashboards
                .iter()
                .find(|d| d.id == active)
                .map(|d| d.connection.clone())
        })?;
        runtime.with_value(|rt| rt.status(&connection))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_request_carries_its_response_topic_and_correlation_data() {
        let p = request("lab/lamp/reply", "00ff10ab");
        assert_eq!(
            p.0,
            [
                Property::ResponseTopic("lab/lamp/reply".into()),
                Property::CorrelationData(b"00ff10ab".to_vec().into()),
            ]
        );
    }

    #[test]
    fn a_correlation_id_is_sixteen_hex_digits_from_the_randomness_given() {
        let mut x = 0.0;
        let id = correlation_id(|| {
            x += 0.0625;
            x % 1.0
        });
        assert_eq!(id, "123456789abcdef0");
        assert_eq!(correlation_id(|| 0.999_999_9), "ffffffffffffffff");
        assert_eq!(correlation_id(|| 0.0), "0000000000000000");
    }
}
