//! One broker connection in the browser: a `mqtt-session` driven by one `WebSocket`
//! (subprotocol `mqtt`, `arraybuffer` frames) and one timer armed from `poll_timeout`.
//!
//! All MQTT decisions — keepalive, resends, resubscription, the backoff curve — are the
//! session's. This driver only moves bytes, reads the clock, and turns the session's state
//! into a [`LinkStatus`] the page can show.

use std::cell::RefCell;
use std::collections::{BTreeMap, VecDeque};
use std::rc::{Rc, Weak};

use leptos::prelude::*;
use mqtt_session::{
    Bytes, ConnectionLostCause, Error as SessionError, Event, Message, Millis, Properties,
    Property, ProtocolVersion, QoS, ReasonCode, Session, SessionOptions, State,
    SubscriptionOptions, VersionRefusal,
};
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use web_sys::{BinaryType, CloseEvent, Event as DomEvent, MessageEvent, WebSocket};

/// Why a link is not connected, in terms a person can act on (worded by `describe`).
#[derive(Debug, Clone, PartialEq)]
pub enum LinkError {
    /// The WebSocket closed before it opened: nothing listening, wrong path, TLS trouble, or
    /// a firewall. The browser does not say which, on purpose.
    Unreachable { url: String },
    /// The WebSocket closed after it opened, with this close code.
    Closed { code: u16 },
    /// CONNACK refused the connection.
    Refused {
        reason: ReasonCode,
        detail: Option<String>,
    },
    /// The broker stopped answering (no packet within 1.5 × keepalive).
    KeepAliveTimeout,
    /// No CONNACK in time: probably not an MQTT broker at that URL or path.
    ConnectTimeout,
    /// The broker broke the protocol; the reason code the session ended the connection with.
    Protocol(ReasonCode),
    /// The broker sent a text WebSocket frame: MQTT over WebSocket is binary only
    /// [MQTT-6.0.0-1].
    TextFrame,
    /// The broker ended the connection with DISCONNECT.
    ServerDisconnect {
        reason: ReasonCode,
        detail: Option<String>,
    },
    /// An https page may only open `wss://`; caught before trying.
    MixedContent,
    /// The broker's Maximum Packet Size is smaller than the dashboard's SUBSCRIBE: nothing
    /// can be received, and retrying will not change the broker's setting.
    BrokerLimit { size: usize, maximum: u32 },
    /// The browser rejected the URL itself.
    BadUrl(String),
    /// The broker does not speak MQTT 5.0 (the connection asked for exactly 5.0); the
    /// sign says how it showed.
    VersionRefused(VersionRefusal),
    /// The connection's settings cannot make an MQTT session (e.g. a password without a
    /// user name before 5.0); nothing is attempted.
    InvalidSettings,
}

/// Why a publish was not accepted; worded by the view (`describe`).
#[derive(Debug, Clone, PartialEq)]
pub enum PublishError {
    /// The dashboard's connection has no link (nothing to publish through).
    NoConnection,
    /// The link is not connected and the command may not wait: QoS 0 (nothing would make
    /// sure it arrives), an expiry of 0, or a link that has stopped trying.
    NotConnected,
    /// Offline, and the bounded offline queue is full.
    QueueFull,
    TooLarge {
        size: usize,
        maximum: u32,
    },
    QosNotSupported {
        maximum: u8,
    },
    RetainNotSupported,
    InvalidTopic(mqtt_codec_wasm::topic::TopicError),
    /// Anything else the session refused (a bug rather than a user's doing).
    Refused,
}

impl From<mqtt_session::Error> for PublishError {
    fn from(e: mqtt_session::Error) -> Self {
        use mqtt_session::Error as E;
        match e {
            E::OfflineQueueFull { .. } => Self::QueueFull,
            E::PacketTooLarge { size, maximum } => Self::TooLarge { size, maximum },
            E::QoSNotSupported { maximum, .. } => Self::QosNotSupported {
                maximum: maximum as u8,
            },
            E::RetainNotSupported => Self::RetainNotSupported,
            E::InvalidTopic(t) => Self::InvalidTopic(t),
            _ => Self::Refused,
        }
    }
}

/// What became of a command made while the link was not connected.
#[derive(Debug, Clone, PartialEq)]
pub enum CommandFate {
    /// Handed to the session once connected (which sees it acknowledged, resending if need
    /// be).
    Sent,
    /// The expiry passed before the connection came back; nothing was sent.
    Expired,
    /// Connected, the session refused it (e.g. the broker's limits), or the link was closed
    /// with the command still waiting.
    Refused(PublishError),
}

/// Told, once, what became of a command that had to wait.
pub type OnFate = Box<dyn FnOnce(CommandFate)>;

/// What [`BrokerLink::publish`] did with a command it accepted.
pub enum Publish {
    Sent,
    /// Not connected: held in order until the connection is back, within its expiry; its
    /// `OnFate` will be told the rest.
    Waiting,
}

/// A command held while not connected.
struct Waiting {
    topic: String,
    payload: Bytes,
    qos: QoS,
    retain: bool,
    /// Its own properties (a request's response topic and correlation data), kept for
    /// when it goes out.
    properties: Properties,
    deadline: Millis,
    on_fate: OnFate,
}

/// Commands a link holds while not connected: enough for taps, bounded against a script.
const MAX_WAITING: usize = 100;

/// Over MQTT 5, the part of a command's expiry still left travels with it, so the broker
/// does not deliver it to a device that connects later, beside the command's own properties
/// (3.1.1 drops them all).
fn with_expiry(mut properties: Properties, left_ms: u64) -> Properties {
    if left_ms > 0 {
        properties.0.push(Property::MessageExpiryInterval(
            left_ms.div_ceil(1000).min(u64::from(u32::MAX)) as u32,
        ));
    }
    properties
}

#[derive(Debug, Clone, PartialEq)]
pub enum LinkStatus {
    Connecting,
    /// With the version in use when the connection's version is "auto" (so the user sees
    /// what the negotiation found).
    Connected {
        auto: Option<ProtocolVersion>,
    },
    /// Waiting to try again; `at_ms` is wall-clock (`Date.now()`) time of the next attempt.
    Reconnecting {
        at_ms: f64,
        error: LinkError,
    },
    /// Given up: a refusal retrying cannot fix, or a configuration the browser rejects.
    Stopped(LinkError),
}

impl LinkStatus {
    /// A stable machine-readable name, for `data-state` (tests, styling).
    pub fn key(&self) -> &'static str {
        match self {
            Self::Connecting => "connecting",
            Self::Connected { .. } => "connected",
            Self::Reconnecting { .. } => "reconnecting",
            Self::Stopped(_) => "stopped",
        }
    }
}

/// Everything needed to open a link; a change to any of it means a new link.
#[derive(Debug, Clone, PartialEq)]
pub struct LinkSettings {
    pub url: String,
    pub options: SessionOptions,
    pub auto: bool,
}

type MessageHandler = Rc<dyn Fn(&Message)>;

struct Socket {
    ws: WebSocket,
    _on_open: Closure<dyn FnMut(DomEvent)>,
    _on_message: Closure<dyn FnMut(MessageEvent)>,
    _on_close: Closure<dyn FnMut(CloseEvent)>,
}

impl Drop for Socket {
    fn drop(&mut self) {
        self.ws.set_onopen(None);
        self.ws.set_onmessage(None);
        self.ws.set_onclose(None);
        let _ = self.ws.close();
    }
}

struct Inner {
    session: Session,
    url: String,
    socket: Option<Socket>,
    opened: bool,
    /// Armed from `poll_timeout`, with the time it fires at; dropping it cancels it.
    timer: Option<(Millis, gloo_timers::callback::Timeout)>,
    status: ArcRwSignal<LinkStatus>,
    last_error: Option<LinkError>,
    /// The connection's version is "auto": the status then names the version in use.
    auto: bool,
    /// Told the version of each accepted connection (what "auto" found, for the runtime to
    /// remember); the link itself keeps no storage.
    on_connected: Box<dyn Fn(ProtocolVersion)>,
    on_message: MessageHandler,
    /// Filters wanted by the widgets, with the QoS asked for.
    filters: BTreeMap<String, QoS>,
    /// Commands made while not connected, oldest first: sent in this order on connecting.
    waiting: VecDeque<Waiting>,
    me: Weak<RefCell<Inner>>,
}

/// A live connection to one broker. Dropping it closes the socket and cancels its timer.
pub struct BrokerLink {
    inner: Rc<RefCell<Inner>>,
    pub status: ArcRwSignal<LinkStatus>,
}

/// Milliseconds on a monotonic clock (`performance.now()`), the session's `now`. Read a
/// few times per message: the `performance` object is looked up once, not each time.
fn now() -> Millis {
    thread_local! {
        static PERFORMANCE: Option<web_sys::Performance> =
            web_sys::window().and_then(|w| w.performance());
    }
    let ms = PERFORMANCE
        .with(|p| p.as_ref().map(web_sys::Performance::now))
        .unwrap_or_else(js_sys::Date::now);
    Millis(ms.max(0.0) as u64)
}

impl BrokerLink {
    pub fn open(
        settings: LinkSettings,
        on_message: impl Fn(&Message) + 'static,
        on_connected: impl Fn(ProtocolVersion) + 'static,
    ) -> Self {
        let status = ArcRwSignal::new(LinkStatus::Connecting);
        let session = match Session::new(settings.options) {
            Ok(s) => s,
            Err(_) => {
                status.set(LinkStatus::Stopped(LinkError::InvalidSettings));
                // Never connected (the status is Stopped), but the link still needs a
                // session value: an inert one with default options, which are valid.
                match Session::new(SessionOptions::new(
                    mqtt_session::ProtocolVersion::V3_1_1,
                    "x",
                )) {
                    Ok(s) => s,
                    Err(_) => std::process::abort(),
                }
            }
        };
        let inner = Rc::new_cyclic(|me| {
            RefCell::new(Inner {
                session,
                url: settings.url,
                socket: None,
                opened: false,
                timer: None,
                status: status.clone(),
                last_error: None,
                auto: settings.auto,
                on_connected: Box::new(on_connected),
                on_message: Rc::new(on_message),
                filters: BTreeMap::new(),
                waiting: VecDeque::new(),
                me: me.clone(),
            })
        });
        // A link stopped before it tries keeps the reason as its last error too: the status
        // is derived from that whenever the session is pumped (a `set_filters`), and would
        // otherwise turn into "could not open".
        if let LinkStatus::Stopped(error) = status.get_untracked() {
            inner.borrow_mut().last_error = Some(error);
        } else {
            let url = inner.borrow().url.clone();
            if url.starts_with("ws:") && crate::browser::page_is_https() {
                inner.borrow_mut().last_error = Some(LinkError::MixedContent);
                status.set(LinkStatus::Stopped(LinkError::MixedContent));
            } else {
                Inner::start_attempt(&inner);
            }
        }
        Self { inner, status }
    }

    /// Makes the broker subscriptions equal `wanted`: new filters are subscribed, filters no
    /// widget needs any more are unsubscribed. The session restores them after a reconnect.
    pub fn set_filters(&self, wanted: BTreeMap<String, QoS>) {
        let mut inner = self.inner.borrow_mut();
        let removed: Vec<String> = inner
            .filters
            .keys()
            .filter(|f| !wanted.contains_key(*f))
            .cloned()
            .collect();
        let added: Vec<(String, SubscriptionOptions)> = wanted
            .iter()
            .filter(|(f, q)| inner.filters.get(*f) != Some(q))
            .map(|(f, q)| (f.clone(), SubscriptionOptions::qos(*q)))
            .collect();
        inner.filters = wanted;
        if !removed.is_empty() {
            let _ = inner.session.unsubscribe(removed, Properties::default());
        }
        if !added.is_empty() {
            let _ = inner.session.subscribe(added, Properties::default());
        }
        drop(inner);
        Inner::pump(&self.inner);
    }

    /// Publishes now if connected, with `properties` (over MQTT 5) and the expiry. If not, a
    /// QoS ≥ 1 command with an expiry waits for the connection, in order with the others,
    /// and is dropped when `expiry_secs` pass first; anything else is refused at once. A full
    /// queue is an error, never a silent drop.
    #[allow(clippy::too_many_arguments)]
    pub fn publish(
        &self,
        topic: &str,
        payload: Vec<u8>,
        qos: QoS,
        retain: bool,
        expiry_secs: u32,
        properties: Properties,
        on_fate: OnFate,
    ) -> Result<Publish, PublishError> {
        let expiry_ms = u64::from(expiry_secs) * 1000;
        match self.status.get_untracked() {
            LinkStatus::Connected { .. } => {
                let result = self.inner.borrow_mut().hand_over(
                    topic,
                    Bytes::from(payload),
                    qos,
                    retain,
                    properties,
                    expiry_ms,
                );
                Inner::pump(&self.inner);
                result.map(|()| Publish::Sent)
            }
            LinkStatus::Stopped(_) => Err(PublishError::NotConnected),
            _ if qos == QoS::AtMostOnce || expiry_secs == 0 => Err(PublishError::NotConnected),
            _ => {
                let mut inner = self.inner.borrow_mut();
                if inner.waiting.len() >= MAX_WAITING {
                    return Err(PublishError::QueueFull);
                }
                inner.waiting.push_back(Waiting {
                    topic: topic.to_owned(),
                    payload: Bytes::from(payload),
                    qos,
                    retain,
                    properties,
                    deadline: Millis(now().0 + expiry_ms),
                    on_fate,
                });
                inner.arm_timer();
                Ok(Publish::Waiting)
            }
        }
    }

    /// Publishes now with the given properties if connected; refused otherwise (the broker
    /// view's panel says so; nothing waits).
    pub fn publish_now(
        &self,
        topic: &str,
        payload: Vec<u8>,
        qos: QoS,
        retain: bool,
        properties: Properties,
    ) -> Result<(), PublishError> {
        if !matches!(self.status.get_untracked(), LinkStatus::Connected { .. }) {
            return Err(PublishError::NotConnected);
        }
        let result = self
            .inner
            .borrow_mut()
            .session
            .publish(topic, Bytes::from(payload), qos, retain, properties)
            .map(|_| ())
            .map_err(PublishError::from);
        Inner::pump(&self.inner);
        result
    }

    /// What the broker allowed in its CONNACK, and the version in use.
    pub fn limits(&self) -> (mqtt_session::ServerLimits, ProtocolVersion) {
        let inner = self.inner.borrow();
        (*inner.session.limits(), inner.session.options().version)
    }

    /// The page became visible or the network came back: try at once instead of waiting
    /// out the backoff.
    pub fn retry_now(&self) {
        self.inner.borrow_mut().session.retry_now(now());
        Inner::pump(&self.inner);
    }
}

impl Drop for BrokerLink {
    fn drop(&mut self) {
        let waiting = std::mem::take(&mut self.inner.borrow_mut().waiting);
        for w in waiting {
            (w.on_fate)(CommandFate::Refused(PublishError::NotConnected));
        }
        let mut inner = self.inner.borrow_mut();
        inner.session.disconnect(now(), ReasonCode::Success);
        if inner.opened
            && let (Some(bytes), Some(socket)) = (inner.session.poll_transmit(), &inner.socket)
        {
            let _ = socket.ws.send_with_u8_array(&bytes);
        }
        inner.socket = None;
        inner.timer = None;
    }
}

impl Inner {
    /// Opens a fresh WebSocket and starts CONNECT at once: the session then owns the
    /// connect timeout and, if the socket never opens, schedules the retry with backoff.
    fn start_attempt(this: &Rc<RefCell<Inner>>) {
        let url = this.borrow().url.clone();
        let ws = match WebSocket::new_with_str(&url, "mqtt") {
            Ok(ws) => ws,
            Err(e) => {
                let why = e
                    .dyn_ref::<js_sys::Error>()
                    .map(|e| String::from(e.message()))
                    .unwrap_or_else(|| url.clone());
                let mut inner = this.borrow_mut();
                inner.last_error = Some(LinkError::BadUrl(why.clone()));
                inner
                    .status
                    .set(LinkStatus::Stopped(LinkError::BadUrl(why)));
                return;
            }
        };
        ws.set_binary_type(BinaryType::Arraybuffer);
        let weak = Rc::downgrade(this);
        let on_open = {
            let weak = weak.clone();
            Closure::<dyn FnMut(DomEvent)>::new(move |_| {
                if let Some(this) = weak.upgrade() {
                    this.borrow_mut().opened = true;
                    Inner::pump(&this);
                }
            })
        };
        let on_message = {
            let weak = weak.clone();
            Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
                let Some(this) = weak.upgrade() else { return };
                match event.data().dyn_into::<js_sys::ArrayBuffer>() {
                    Ok(buffer) => {
                        let data = js_sys::Uint8Array::new(&buffer).to_vec();
                        this.borrow_mut().session.handle_bytes(now(), &data);
                    }
                    Err(_) => {
                        // MQTT over WebSocket is binary only [MQTT-6.0.0-1].
                        let mut inner = this.borrow_mut();
                        inner.last_error = Some(LinkError::TextFrame);
                        inner.session.handle_connection_lost(now());
                    }
                }
                Inner::pump(&this);
            })
        };
        let on_close = Closure::<dyn FnMut(CloseEvent)>::new(move |event: CloseEvent| {
            let Some(this) = weak.upgrade() else { return };
            {
                let mut inner = this.borrow_mut();
                if inner.last_error.is_none() {
                    inner.last_error = Some(if inner.opened {
                        LinkError::Closed { code: event.code() }
                    } else {
                        LinkError::Unreachable {
                            url: inner.url.clone(),
                        }
                    });
                }
                inner.socket = None;
                // An opened socket the server closed may be its answer to a 5.0 CONNECT.
                if std::mem::take(&mut inner.opened) {
                    inner.session.handle_closed_by_server(now());
                } else {
                    inner.session.handle_connection_lost(now());
                }
            }
            Inner::pump(&this);
        });
        ws.set_onopen(Some(on_open.as_ref().unchecked_ref()));
        ws.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        ws.set_onclose(Some(on_close.as_ref().unchecked_ref()));
        {
            let mut inner = this.borrow_mut();
            inner.socket = Some(Socket {
                ws,
                _on_open: on_open,
                _on_message: on_message,
                _on_close: on_close,
            });
            inner.opened = false;
            // Each attempt's failure is its own: a cause kept from an earlier connection
            // would name the wrong thing (a close or a timeout reported as the last
            // protocol error; found by the hostile-broker suite).
            inner.last_error = None;
            let _ = inner.session.connect(now());
        }
        this.borrow().status.set(LinkStatus::Connecting);
        Inner::pump(this);
    }

    /// After any input: write what the session wants written, hand its events to the page,
    /// close a transport the session is done with, and re-arm the one timer.
    fn pump(this: &Rc<RefCell<Inner>>) {
        let mut reconnect = false;
        let mut messages = Vec::new();
        let mut fates = Vec::new();
        {
            let mut inner = this.borrow_mut();
            if inner.opened
                && let Some(bytes) = inner.session.poll_transmit()
                && let Some(socket) = &inner.socket
            {
                let _ = socket.ws.send_with_u8_array(&bytes);
            }
            while let Some(event) = inner.session.poll_event() {
                match event {
                    Event::Message(m) => messages.push(m),
                    Event::Connected { .. } => {
                        inner.last_error = None;
                        (inner.on_connected)(inner.session.options().version);
                    }
                    Event::ConnectionRefused {
                        reason,
                        reason_string,
                        ..
                    } => {
                        inner.last_error = Some(LinkError::Refused {
                            reason,
                            detail: reason_string,
                        })
                    }
                    Event::Disconnected {
                        reason,
                        reason_string,
                        server_reference,
                    } => {
                        inner.last_error = Some(LinkError::ServerDisconnect {
                            reason,
                            detail: reason_string.or(server_reference),
                        })
                    }
                    Event::ConnectionLost { cause } => {
                        let error = match cause {
                            ConnectionLostCause::KeepAliveTimeout => {
                                Some(LinkError::KeepAliveTimeout)
                            }
                            ConnectionLostCause::ConnectTimeout => Some(LinkError::ConnectTimeout),
                            ConnectionLostCause::Transport => None,
                        };
                        if let Some(e) = error {
                            inner.last_error = Some(e);
                        }
                    }
                    Event::ProtocolError { cause } => {
                        inner.last_error = Some(LinkError::Protocol(cause.reason_code()))
                    }
                    Event::VersionRefused {
                        sign,
                        retry_with: None,
                        ..
                    } => inner.last_error = Some(LinkError::VersionRefused(sign)),
                    Event::SubscribeFailed {
                        error: SessionError::PacketTooLarge { size, maximum },
                        ..
                    } => {
                        inner.last_error = Some(LinkError::BrokerLimit { size, maximum });
                        inner.session.disconnect(now(), ReasonCode::PacketTooLarge);
                    }
                    Event::ReconnectDue => reconnect = true,
                    _ => {}
                }
            }
            if inner.settle_waiting(&mut fates)
                && inner.opened
                && let Some(bytes) = inner.session.poll_transmit()
                && let Some(socket) = &inner.socket
            {
                let _ = socket.ws.send_with_u8_array(&bytes);
            }
            let state = inner.session.state();
            if !matches!(state, State::Connecting | State::Connected) && inner.socket.is_some() {
                // Flush a final DISCONNECT (5.0 reason) before closing.
                if inner.opened
                    && let (Some(bytes), Some(socket)) =
                        (inner.session.poll_transmit(), &inner.socket)
                {
                    let _ = socket.ws.send_with_u8_array(&bytes);
                }
                inner.socket = None;
                inner.opened = false;
            }
            let status = match state {
                State::Connected => LinkStatus::Connected {
                    auto: inner.auto.then(|| inner.session.options().version),
                },
                State::Connecting => LinkStatus::Connecting,
                State::WaitingToReconnect { until } => LinkStatus::Reconnecting {
                    at_ms: js_sys::Date::now() + until.since(now()) as f64,
                    error: inner.last_error.clone().unwrap_or(LinkError::Unreachable {
                        url: inner.url.clone(),
                    }),
                },
                State::Disconnected => LinkStatus::Stopped(inner.last_error.clone().unwrap_or(
                    LinkError::Unreachable {
                        url: inner.url.clone(),
                    },
                )),
            };
            if inner.status.get_untracked() != status {
                inner.status.set(status);
            }
            inner.arm_timer();
        }
        // Told outside the borrow: a widget's answer may publish again.
        for (on_fate, fate) in fates {
            on_fate(fate);
        }
        if !messages.is_empty() {
            let handler = this.borrow().on_message.clone();
            for m in &messages {
                handler(m);
            }
        }
        if reconnect {
            Inner::start_attempt(this);
        }
    }

    /// Drops waiting commands whose expiry has passed and, when connected, hands the rest
    /// to the session in the order they were made, each with the expiry it has left.
    /// Returns whether any was handed over (there are bytes to write); what became of each
    /// settled one goes to `fates`.
    fn settle_waiting(&mut self, fates: &mut Vec<(OnFate, CommandFate)>) -> bool {
        if self.waiting.is_empty() {
            return false;
        }
        let now = now();
        let connected = matches!(self.session.state(), State::Connected);
        let mut handed = false;
        for w in std::mem::take(&mut self.waiting) {
            if now >= w.deadline {
                fates.push((w.on_fate, CommandFate::Expired));
            } else if !connected {
                self.waiting.push_back(w);
            } else {
                let result = self.hand_over(
                    &w.topic,
                    w.payload,
                    w.qos,
                    w.retain,
                    w.properties,
                    w.deadline.since(now),
                );
                handed |= result.is_ok();
                let fate = match result {
                    Ok(()) => CommandFate::Sent,
                    Err(e) => CommandFate::Refused(e),
                };
                fates.push((w.on_fate, fate));
            }
        }
        handed
    }

    /// The one place a command reaches the session, with its properties and the expiry it
    /// has left.
    #[inline(never)]
    fn hand_over(
        &mut self,
        topic: &str,
        payload: Bytes,
        qos: QoS,
        retain: bool,
        properties: Properties,
        expiry_left_ms: u64,
    ) -> Result<(), PublishError> {
        self.session
            .publish(
                topic,
                payload,
                qos,
                retain,
                with_expiry(properties, expiry_left_ms),
            )
            .map(|_| ())
            .map_err(PublishError::from)
    }

    fn arm_timer(&mut self) {
        // The session's next deadline, or a waiting command's expiry if sooner.
        let expiry = self.waiting.iter().map(|w| w.deadline).min();
        let Some(deadline) = self.session.poll_timeout().into_iter().chain(expiry).min() else {
            self.timer = None;
            return;
        };
        let at_now = now();
        // A timer still to fire, no later than needed, stays: every message comes through
        // here, and a new timer each time (a closure, a clear and a set in the browser) was a
        // good part of a message's cost. One that fires early finds nothing due and re-arms.
        if self
            .timer
            .as_ref()
            .is_some_and(|(at, _)| *at > at_now && *at <= deadline)
        {
            return;
        }
        // Whole ms, clamped to what `setTimeout` takes.
        let delay = deadline.since(at_now).min(i32::MAX as u64) as u32;
        let weak = self.me.clone();
        self.timer = Some((
            Millis(at_now.0 + u64::from(delay)),
            gloo_timers::callback::Timeout::new(delay, move || {
                if let Some(this) = weak.upgrade() {
                    let mut inner = this.borrow_mut();
                    // Fired: marked so (a browser timer may fire a millisecond before the
                    // clock reads its time), so that the pump arms the next one.
                    if let Some((at, _)) = &mut inner.timer {
                        *at = Millis(0);
                    }
                    inner.session.handle_timeout(now());
                    drop(inner);
                    Inner::pump(&this);
                }
            }),
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_commands_own_properties_travel_with_the_expiry_it_has_left() {
        let request = Properties(vec![
            Property::ResponseTopic("r".into()),
            Property::CorrelationData(b"id".to_vec().into()),
        ]);
        assert_eq!(
            with_expiry(request.clone(), 1_001).0,
            [
                Property::ResponseTopic("r".into()),
                Property::CorrelationData(b"id".to_vec().into()),
                Property::MessageExpiryInterval(2),
            ]
        );
        assert_eq!(with_expiry(request.clone(), 0), request, "0: no expiry");
        assert_eq!(
            with_expiry(Properties::default(), 10_000).0,
            [Property::MessageExpiryInterval(10)]
        );
    }
}
