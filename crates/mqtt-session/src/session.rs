//! The session: commands, output, timers and getters. Incoming packets are in `incoming.rs`.

use alloc::collections::{BTreeMap, BTreeSet, VecDeque};
use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

use bytes::BytesMut;
use mqtt_codec_wasm::topic::{validate_topic_filter, validate_topic_name};
use mqtt_codec_wasm::{
    Bytes, Connect, Disconnect, Packet, Pid, Properties, Property, PropertyId, ProtocolVersion,
    Publish, PublishAck, QoS, QosPid, ReasonCode, StreamDecoder, SubscribeFilter,
    SubscriptionOptions, Unsubscribe, Will, encode_to_server,
};

use crate::backoff::ReconnectPolicy;
use crate::error::Error;
use crate::event::{
    ConnectionLostCause, Event, PublishId, SubscribeId, UnsubscribeId, VersionRefusal,
};
use crate::options::SessionOptions;
use crate::time::{Millis, duration_ms};

/// The largest packet MQTT can express: one type byte, four length bytes, and the largest
/// remaining length a variable byte integer holds (268,435,455).
const MAX_POSSIBLE_PACKET: u32 = 268_435_460;

/// Subscription identifiers are variable byte integers of at least 1 (5.0 section 3.8.2.1.2).
const MAX_SUBSCRIPTION_ID: u32 = 268_435_455;

/// Where the session stands with its transport.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    /// No transport, and none wanted: before the first `connect`, after `disconnect`, or
    /// after a refusal no retry can fix (bad credentials, banned, ...).
    Disconnected,
    /// CONNECT queued, waiting for CONNACK.
    Connecting,
    Connected,
    /// The connection ended; at `until` the session emits [`Event::ReconnectDue`].
    WaitingToReconnect {
        until: Millis,
    },
}

/// What the server's CONNACK allowed (5.0 section 3.2.2.3). Before the first CONNACK, and in
/// 3.1.1 which has no such properties, everything is allowed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ServerLimits {
    /// Our unacknowledged QoS 1/2 publishes may not exceed this [MQTT-3.3.4-7].
    pub receive_maximum: u16,
    pub maximum_packet_size: Option<u32>,
    /// How many topic aliases we may define towards the server; zero disables them.
    pub topic_alias_maximum: u16,
    pub maximum_qos: QoS,
    pub retain_available: bool,
    pub wildcard_subscription_available: bool,
    pub shared_subscription_available: bool,
    pub subscription_identifiers_available: bool,
    /// Seconds; the server's override when it sent one [MQTT-3.2.2-21].
    pub keep_alive: u16,
}

impl ServerLimits {
    pub(crate) fn permissive(keep_alive: u16) -> Self {
        Self {
            receive_maximum: u16::MAX,
            maximum_packet_size: None,
            topic_alias_maximum: 0,
            maximum_qos: QoS::ExactlyOnce,
            retain_available: true,
            wildcard_subscription_available: true,
            shared_subscription_available: true,
            subscription_identifiers_available: true,
            keep_alive,
        }
    }
}

/// Where an outgoing QoS 1/2 publish stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutgoingStage {
    /// PUBLISH sent (or to be resent), PUBACK or PUBREC expected.
    AwaitingAck,
    /// PUBREC received, PUBREL sent (or to be resent), PUBCOMP expected.
    AwaitingComp,
}

#[derive(Debug, Clone)]
pub(crate) struct OutMsg {
    /// Always the full topic: aliases are a per-connection encoding decided at send time.
    pub(crate) topic: String,
    pub(crate) payload: Bytes,
    pub(crate) qos: QoS,
    pub(crate) retain: bool,
    pub(crate) properties: Properties,
}

/// A QoS 1/2 publish that has a packet identifier and has been sent at least once.
#[derive(Debug, Clone)]
pub(crate) struct Outgoing {
    pub(crate) id: PublishId,
    pub(crate) pid: Pid,
    pub(crate) msg: OutMsg,
    pub(crate) stage: OutgoingStage,
    /// Sent (PUBLISH or PUBREL, by stage) on the current connection.
    pub(crate) sent: bool,
    /// Its PUBLISH took one unit of the current connection's send quota, so its
    /// acknowledgement gives one back (5.0 section 4.9).
    pub(crate) counted: bool,
    /// The next PUBLISH must carry DUP = 1 [MQTT-3.3.1-1].
    pub(crate) dup: bool,
}

/// A publish accepted but not yet sent: offline, or held back by the receive maximum.
#[derive(Debug, Clone)]
pub(crate) struct Queued {
    pub(crate) id: PublishId,
    pub(crate) msg: OutMsg,
    pub(crate) size: usize,
}

#[derive(Debug, Clone)]
pub(crate) struct PendingSub {
    pub(crate) id: SubscribeId,
    pub(crate) pid: Pid,
    pub(crate) filters: Vec<SubscribeFilter>,
    /// Per filter: remember it once granted. An `unsubscribe` issued before the SUBACK
    /// clears it, or the late SUBACK would resurrect a subscription the user dropped.
    pub(crate) record: Vec<bool>,
    pub(crate) properties: Properties,
    pub(crate) restored: bool,
    pub(crate) sent: bool,
}

#[derive(Debug, Clone)]
pub(crate) struct PendingUnsub {
    pub(crate) id: UnsubscribeId,
    pub(crate) pid: Pid,
    pub(crate) filters: Vec<String>,
    pub(crate) properties: Properties,
    pub(crate) sent: bool,
}

/// A granted subscription, kept to restore it when the server lost our session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ActiveSub {
    pub(crate) filter: String,
    pub(crate) options: SubscriptionOptions,
    /// The SUBSCRIBE's properties (subscription identifier, user properties), so a restored
    /// subscription routes exactly like the original.
    pub(crate) properties: Properties,
}

/// State that lives and dies with one transport.
pub(crate) struct Conn {
    /// A client's: CONNECT, SUBSCRIBE, UNSUBSCRIBE and PINGREQ from the server are refused
    /// unread.
    pub(crate) decoder: StreamDecoder<true>,
    pub(crate) connect_deadline: Millis,
    pub(crate) connected: bool,
    pub(crate) send_quota: u16,
    pub(crate) last_sent: Millis,
    pub(crate) last_received: Millis,
    pub(crate) ping_outstanding: bool,
    pub(crate) keep_alive_ms: u64,
    pub(crate) in_aliases: BTreeMap<u16, String>,
    pub(crate) out_aliases: BTreeMap<String, u16>,
    pub(crate) next_out_alias: u16,
    /// CONNECT was handed to the driver, and whether any byte came back: together they
    /// tell "closed right after CONNECT" from a transport that never carried anything.
    pub(crate) connect_sent: bool,
    pub(crate) received_any: bool,
}

/// A sans-IO MQTT client session. See the crate documentation for the driver contract.
pub struct Session {
    pub(crate) opts: SessionOptions,
    /// The identifier sent in CONNECT: the configured one, or the one the server assigned.
    pub(crate) client_id: String,
    pub(crate) state: State,
    pub(crate) policy: ReconnectPolicy,
    pub(crate) reconnect_signalled: bool,
    /// Until when a lost connection is retried at once: `retry_now` while connected or
    /// connecting (a page resumed from a freeze, the network came back) says the world
    /// changed, and a transport that dies right after is the stale one that change
    /// revealed, not a broker in trouble.
    pub(crate) retry_fresh_until: Option<Millis>,
    pub(crate) conn: Option<Conn>,
    pub(crate) transmit: BytesMut,
    pub(crate) events: VecDeque<Event>,
    pub(crate) limits: ServerLimits,
    /// The latest `now` the driver gave; commands that take no `now` stamp sends with it,
    /// which can only make a keepalive ping early, never late.
    pub(crate) now: Millis,
    pub(crate) next_pid: Pid,
    pub(crate) pids_in_use: BTreeSet<u16>,
    pub(crate) next_handle: u64,
    pub(crate) inflight: VecDeque<Outgoing>,
    pub(crate) queue: VecDeque<Queued>,
    pub(crate) queue_bytes: usize,
    /// Identifiers of QoS 2 messages delivered to the application whose PUBREL has not
    /// arrived: a PUBLISH under one of them is a resend, not a new message [MQTT-4.3.3-10].
    pub(crate) incoming_qos2: BTreeSet<u16>,
    pub(crate) pending_subs: Vec<PendingSub>,
    pub(crate) pending_unsubs: Vec<PendingUnsub>,
    pub(crate) subscriptions: Vec<ActiveSub>,
    /// Whether any CONNACK ever accepted us: after that, version fallback is off.
    pub(crate) ever_connected: bool,
}

impl fmt::Debug for Session {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Session")
            .field("client_id", &self.client_id)
            .field("state", &self.state)
            .field("limits", &self.limits)
            .field("inflight", &self.inflight.len())
            .field("queued", &self.queue.len())
            .field("incoming_qos2", &self.incoming_qos2.len())
            .field("subscriptions", &self.subscriptions.len())
            .finish_non_exhaustive()
    }
}

impl Session {
    pub fn new(options: SessionOptions) -> Result<Self, Error> {
        options.validate()?;
        Ok(Self {
            client_id: options.client_id.clone(),
            state: State::Disconnected,
            policy: ReconnectPolicy::new(options.backoff, options.rng_seed),
            reconnect_signalled: false,
            retry_fresh_until: None,
            conn: None,
            transmit: BytesMut::new(),
            events: VecDeque::new(),
            limits: ServerLimits::permissive(options.keep_alive),
            now: Millis::ZERO,
            next_pid: Pid::new(1).unwrap_or_else(|| unreachable!()),
            pids_in_use: BTreeSet::new(),
            next_handle: 1,
            inflight: VecDeque::new(),
            queue: VecDeque::new(),
            queue_bytes: 0,
            incoming_qos2: BTreeSet::new(),
            pending_subs: Vec::new(),
            pending_unsubs: Vec::new(),
            subscriptions: Vec::new(),
            ever_connected: false,
            opts: options,
        })
    }

    // ----------------------------------------------------------------------------------
    // Commands
    // ----------------------------------------------------------------------------------

    /// Starts a connection attempt on a transport the driver has just opened: queues
    /// CONNECT. Whatever connection existed is abandoned without events (its transport is
    /// assumed gone); its unacknowledged packets are resent after the CONNACK.
    pub fn connect(&mut self, now: Millis) -> Result<(), Error> {
        self.now = now;
        let packet = Packet::Connect(self.connect_packet());
        let mut buf = BytesMut::new();
        encode_to_server(&packet, self.opts.version, &mut buf).map_err(Error::Encode)?;
        self.drop_connection();
        self.transmit.clear();
        self.transmit.unsplit(buf);
        let max = self
            .opts
            .maximum_packet_size
            .or(self.opts.unannounced_packet_limit)
            .unwrap_or(MAX_POSSIBLE_PACKET);
        self.conn = Some(Conn {
            decoder: StreamDecoder::client(self.opts.version, max),
            connect_deadline: now + self.opts.connect_timeout,
            connected: false,
            send_quota: 0,
            last_sent: now,
            last_received: now,
            ping_outstanding: false,
            keep_alive_ms: 0,
            in_aliases: BTreeMap::new(),
            out_aliases: BTreeMap::new(),
            next_out_alias: 1,
            connect_sent: false,
            received_any: false,
        });
        self.state = State::Connecting;
        self.reconnect_signalled = false;
        Ok(())
    }

    /// Subscribes to `filters`. Sent at once when connected, otherwise after the next
    /// CONNACK; the result arrives as [`Event::Subscribed`]. Granted filters are remembered
    /// and restored if the server ever loses the session.
    pub fn subscribe<S: Into<String>>(
        &mut self,
        filters: impl IntoIterator<Item = (S, SubscriptionOptions)>,
        properties: Properties,
    ) -> Result<SubscribeId, Error> {
        let filters: Vec<SubscribeFilter> = filters
            .into_iter()
            .map(|(filter, options)| SubscribeFilter {
                filter: filter.into(),
                options,
            })
            .collect();
        if filters.is_empty() {
            return Err(Error::NoFilters);
        }
        for f in &filters {
            validate_topic_filter(&f.filter).map_err(Error::InvalidFilter)?;
            if f.filter.starts_with("$share/") && !self.limits.shared_subscription_available {
                return Err(Error::SharedSubscriptionsNotSupported);
            }
            if f.filter.contains(['+', '#']) && !self.limits.wildcard_subscription_available {
                return Err(Error::WildcardSubscriptionsNotSupported);
            }
        }
        let properties = self.v5_only(properties);
        for p in &properties.0 {
            match p {
                Property::SubscriptionIdentifier(v) => {
                    if !(1..=MAX_SUBSCRIPTION_ID).contains(v) {
                        return Err(Error::InvalidSubscriptionIdentifier(*v));
                    }
                    if !self.limits.subscription_identifiers_available {
                        return Err(Error::SubscriptionIdentifiersNotSupported);
                    }
                }
                Property::UserProperty(..) => {}
                other => return Err(Error::ForbiddenProperty(property_id(other))),
            }
        }
        let pid = self.alloc_pid().ok_or(Error::PacketIdsExhausted)?;
        let packet = Packet::Subscribe(mqtt_codec_wasm::Subscribe {
            pid,
            filters: filters.clone(),
            properties: properties.clone(),
        });
        if let Err(e) = self.check_size(&packet) {
            self.release_pid(pid);
            return Err(e);
        }
        let id = SubscribeId(self.handle());
        let record = alloc::vec![true; filters.len()];
        self.pending_subs.push(PendingSub {
            id,
            pid,
            filters,
            record,
            properties,
            restored: false,
            sent: false,
        });
        if self.is_connected() {
            self.send_pending();
        }
        Ok(id)
    }

    /// Unsubscribes from `filters`. They stop being restored at once, whatever the server
    /// answers: the user no longer wants them.
    pub fn unsubscribe<S: Into<String>>(
        &mut self,
        filters: impl IntoIterator<Item = S>,
        properties: Properties,
    ) -> Result<UnsubscribeId, Error> {
        let filters: Vec<String> = filters.into_iter().map(Into::into).collect();
        if filters.is_empty() {
            return Err(Error::NoFilters);
        }
        for f in &filters {
            validate_topic_filter(f).map_err(Error::InvalidFilter)?;
        }
        let properties = self.v5_only(properties);
        if let Some(p) = properties
            .0
            .iter()
            .find(|p| !matches!(p, Property::UserProperty(..)))
        {
            return Err(Error::ForbiddenProperty(property_id(p)));
        }
        let pid = self.alloc_pid().ok_or(Error::PacketIdsExhausted)?;
        let packet = Packet::Unsubscribe(Unsubscribe {
            pid,
            filters: filters.clone(),
            properties: properties.clone(),
        });
        if let Err(e) = self.check_size(&packet) {
            self.release_pid(pid);
            return Err(e);
        }
        self.subscriptions.retain(|s| !filters.contains(&s.filter));
        for sub in &mut self.pending_subs {
            for (f, record) in sub.filters.iter().zip(sub.record.iter_mut()) {
                if filters.contains(&f.filter) {
                    *record = false;
                }
            }
        }
        let id = UnsubscribeId(self.handle());
        self.pending_unsubs.push(PendingUnsub {
            id,
            pid,
            filters,
            properties,
            sent: false,
        });
        if self.is_connected() {
            self.send_pending();
        }
        Ok(id)
    }

    /// Publishes a message. Sent at once when connected and the server's receive maximum
    /// allows; otherwise queued (bounded by [`crate::QueueLimits`]) and sent, in order, as
    /// soon as it can be. QoS 1/2 publishes end with [`Event::PublishAcknowledged`].
    pub fn publish(
        &mut self,
        topic: impl Into<String>,
        payload: impl Into<Bytes>,
        qos: QoS,
        retain: bool,
        properties: Properties,
    ) -> Result<PublishId, Error> {
        let topic = topic.into();
        let payload = payload.into();
        validate_topic_name(&topic).map_err(Error::InvalidTopic)?;
        let properties = self.v5_only(properties);
        for p in &properties.0 {
            if matches!(
                p,
                Property::TopicAlias(_) | Property::SubscriptionIdentifier(_)
            ) {
                return Err(Error::ForbiddenProperty(property_id(p)));
            }
        }
        if qos > self.limits.maximum_qos {
            return Err(Error::QoSNotSupported {
                requested: qos,
                maximum: self.limits.maximum_qos,
            });
        }
        if retain && !self.limits.retain_available {
            return Err(Error::RetainNotSupported);
        }
        let msg = OutMsg {
            topic,
            payload,
            qos,
            retain,
            properties,
        };
        if let Some(maximum) = self.limits.maximum_packet_size {
            // Worst case: the full topic, no alias.
            let size = self.publish_len(&msg)?;
            if size > maximum as usize {
                return Err(Error::PacketTooLarge { size, maximum });
            }
        }
        let size = msg.topic.len() + msg.payload.len();
        if self.can_send_now(qos) {
            let id = PublishId(self.handle());
            self.send_new(id, msg)?;
            return Ok(id);
        }
        let limits = self.opts.offline_queue;
        if self.queue.len() >= limits.max_messages || self.queue_bytes + size > limits.max_bytes {
            self.events.push_back(Event::OfflineQueueOverflow {
                topic: msg.topic.clone(),
                size,
            });
            return Err(Error::OfflineQueueFull {
                topic: msg.topic,
                size,
            });
        }
        let id = PublishId(self.handle());
        self.queue.push_back(Queued { id, msg, size });
        self.queue_bytes += size;
        Ok(id)
    }

    /// Ends the connection on purpose: sends DISCONNECT with `reason` (5.0; 3.1.1 has no
    /// reason, and DISCONNECT there always discards the will) and stops reconnecting.
    /// Unacknowledged and queued publishes are kept for a later `connect`.
    pub fn disconnect(&mut self, now: Millis, reason: ReasonCode) {
        self.now = now;
        // Not even a DISCONNECT goes to a server whose Maximum Packet Size it exceeds.
        let fits = self
            .limits
            .maximum_packet_size
            .is_none_or(|maximum| maximum >= 2);
        if self.is_connected() && fits {
            let reason = if self.opts.version.is_v5() {
                reason
            } else {
                ReasonCode::Success
            };
            let _ = self.transmit_packet(&Packet::Disconnect(Disconnect {
                reason,
                properties: Properties::default(),
            }));
        }
        self.end_connection(false);
    }

    /// Cuts the reconnect wait short and starts the backoff curve over: the page became
    /// visible again, or the network came back, so the failures that set the wait are stale.
    ///
    /// While connected or connecting, the transport may be the stale one (a page frozen
    /// while the broker dropped it learns so only after resuming): a loss within
    /// [`RETRY_FRESH_MS`] from now is retried at once instead of after a backoff wait.
    pub fn retry_now(&mut self, now: Millis) {
        self.now = now;
        self.policy.retry_now();
        match self.state {
            State::WaitingToReconnect { .. } => {
                self.state = State::WaitingToReconnect { until: now };
                self.reconnect_signalled = true;
                self.events.push_back(Event::ReconnectDue);
            }
            State::Connected | State::Connecting => {
                self.retry_fresh_until = Some(now.plus_ms(RETRY_FRESH_MS));
            }
            State::Disconnected => {}
        }
    }

    // ----------------------------------------------------------------------------------
    // Input (packets are handled in incoming.rs)
    // ----------------------------------------------------------------------------------

    /// Fires whatever deadline has passed: connect timeout, keepalive ping, dead connection,
    /// reconnect wait.
    pub fn handle_timeout(&mut self, now: Millis) {
        self.now = now;
        match self.state {
            State::Connecting => {
                if let Some(conn) = &self.conn
                    && now >= conn.connect_deadline
                {
                    self.lose(ConnectionLostCause::ConnectTimeout);
                }
            }
            State::Connected => {
                let Some(conn) = &self.conn else { return };
                if conn.keep_alive_ms == 0 {
                    return;
                }
                if now >= dead_deadline(conn) {
                    self.lose(ConnectionLostCause::KeepAliveTimeout);
                } else if !conn.ping_outstanding
                    && now >= ping_due(conn)
                    && self.transmit_packet(&Packet::PingReq).is_ok()
                    && let Some(conn) = &mut self.conn
                {
                    conn.ping_outstanding = true;
                }
            }
            State::WaitingToReconnect { until } => {
                if now >= until && !self.reconnect_signalled {
                    self.reconnect_signalled = true;
                    self.events.push_back(Event::ReconnectDue);
                }
            }
            State::Disconnected => {}
        }
    }

    /// The transport closed or failed. Bytes not yet written are discarded with it.
    pub fn handle_connection_lost(&mut self, now: Millis) {
        self.now = now;
        self.transmit.clear();
        if self.conn.is_some() {
            self.lose(ConnectionLostCause::Transport);
        }
    }

    /// The transport had opened and the server closed it (end of stream, a WebSocket close
    /// frame), as opposed to a failure to connect. Closed right after a 5.0 CONNECT with
    /// no answer, it is the sign of a server that does not speak 5.0.
    pub fn handle_closed_by_server(&mut self, now: Millis) {
        self.now = now;
        self.transmit.clear();
        let Some(conn) = &self.conn else { return };
        if !conn.connected
            && conn.connect_sent
            && !conn.received_any
            && self.opts.version.is_v5()
            && !self.ever_connected
        {
            self.version_refused(VersionRefusal::ClosedAfterConnect);
        } else {
            self.lose(ConnectionLostCause::Transport);
        }
    }

    /// Whether a refusal of 5.0 may turn this session into a 3.1.1 one.
    pub(crate) fn can_fall_back(&self) -> bool {
        self.opts.fall_back_to_v311 && self.opts.version.is_v5() && !self.ever_connected && {
            let mut older = self.opts.clone();
            older.version = ProtocolVersion::V3_1_1;
            older.validate().is_ok()
        }
    }

    /// The server does not speak our version: fall back to 3.1.1 when allowed and
    /// possible (the options must make a valid 3.1.1 session), otherwise report and stop.
    pub(crate) fn version_refused(&mut self, sign: VersionRefusal) {
        let version = self.opts.version;
        if self.can_fall_back() {
            self.opts.version = ProtocolVersion::V3_1_1;
            self.events.push_back(Event::VersionRefused {
                version,
                sign,
                retry_with: Some(ProtocolVersion::V3_1_1),
            });
            self.drop_connection();
            self.state = State::WaitingToReconnect { until: self.now };
            self.reconnect_signalled = true;
            self.events.push_back(Event::ReconnectDue);
        } else {
            self.events.push_back(Event::VersionRefused {
                version,
                sign,
                retry_with: None,
            });
            self.end_connection(sign == VersionRefusal::ClosedAfterConnect);
        }
    }

    // ----------------------------------------------------------------------------------
    // Output
    // ----------------------------------------------------------------------------------

    /// Everything to write to the transport, in order, as one chunk (one WebSocket frame
    /// carries any number of MQTT packets [MQTT-6.0.0-4]).
    pub fn poll_transmit(&mut self) -> Option<Bytes> {
        if self.transmit.is_empty() {
            None
        } else {
            if let Some(conn) = &mut self.conn {
                conn.connect_sent = true;
            }
            Some(self.transmit.split().freeze())
        }
    }

    /// When `handle_timeout` must be called next, if ever.
    pub fn poll_timeout(&self) -> Option<Millis> {
        match self.state {
            State::Connecting => self.conn.as_ref().map(|c| c.connect_deadline),
            State::Connected => {
                let conn = self.conn.as_ref()?;
                if conn.keep_alive_ms == 0 {
                    return None;
                }
                let dead = dead_deadline(conn);
                Some(if conn.ping_outstanding {
                    dead
                } else {
                    dead.min(ping_due(conn))
                })
            }
            State::WaitingToReconnect { until } if !self.reconnect_signalled => Some(until),
            _ => None,
        }
    }

    pub fn poll_event(&mut self) -> Option<Event> {
        self.events.pop_front()
    }

    // ----------------------------------------------------------------------------------
    // Getters
    // ----------------------------------------------------------------------------------

    pub fn state(&self) -> State {
        self.state
    }

    pub fn options(&self) -> &SessionOptions {
        &self.opts
    }

    /// The identifier the next CONNECT carries (the server-assigned one, once known).
    pub fn client_id(&self) -> &str {
        &self.client_id
    }

    /// The limits of the latest CONNACK (kept while offline: the best guess for the next
    /// connection, used to reject impossible publishes early).
    pub fn limits(&self) -> &ServerLimits {
        &self.limits
    }

    /// The keepalive in force on the current connection, in seconds.
    pub fn keep_alive(&self) -> u16 {
        self.limits.keep_alive
    }

    /// Unacknowledged QoS 1/2 publishes (sent at least once).
    pub fn inflight_len(&self) -> usize {
        self.inflight.len()
    }

    /// The unacknowledged publishes in send order, with their packet identifiers.
    pub fn inflight(&self) -> impl Iterator<Item = (PublishId, Pid, QoS, OutgoingStage)> + '_ {
        self.inflight
            .iter()
            .map(|o| (o.id, o.pid, o.msg.qos, o.stage))
    }

    /// Publishes accepted but not yet sent.
    pub fn queued_len(&self) -> usize {
        self.queue.len()
    }

    /// Bytes (topic + payload) of publishes accepted but not yet sent.
    pub fn queued_bytes(&self) -> usize {
        self.queue_bytes
    }

    /// Whether a publish is still the session's responsibility (queued or unacknowledged).
    pub fn is_pending(&self, id: PublishId) -> bool {
        self.inflight.iter().any(|o| o.id == id) || self.queue.iter().any(|q| q.id == id)
    }

    /// How many more QoS 1/2 publishes the current connection may send before an
    /// acknowledgement (5.0 section 4.9); zero when not connected.
    pub fn send_quota(&self) -> u16 {
        match &self.conn {
            Some(c) if c.connected => c.send_quota,
            _ => 0,
        }
    }

    /// Incoming QoS 2 messages delivered but not yet released by PUBREL.
    pub fn incoming_qos2_len(&self) -> usize {
        self.incoming_qos2.len()
    }

    /// SUBSCRIBE and UNSUBSCRIBE packets awaiting their acknowledgement.
    pub fn pending_requests(&self) -> usize {
        self.pending_subs.len() + self.pending_unsubs.len()
    }

    /// The granted subscriptions the session would restore.
    pub fn subscriptions(&self) -> impl Iterator<Item = (&str, SubscriptionOptions)> + '_ {
        self.subscriptions
            .iter()
            .map(|s| (s.filter.as_str(), s.options))
    }

    // ----------------------------------------------------------------------------------
    // Internals
    // ----------------------------------------------------------------------------------

    pub(crate) fn is_connected(&self) -> bool {
        self.state == State::Connected && self.conn.as_ref().is_some_and(|c| c.connected)
    }

    fn handle(&mut self) -> u64 {
        let h = self.next_handle;
        self.next_handle += 1;
        h
    }

    /// Properties only exist in 5.0; dropping them for 3.1.1 lets one application code path
    /// serve both versions.
    fn v5_only(&self, properties: Properties) -> Properties {
        if self.opts.version.is_v5() {
            properties
        } else {
            Properties::default()
        }
    }

    /// The next free identifier after the last one handed out, so identifiers cycle
    /// through the whole space (wrapping past 65535 to 1) instead of reusing a just-freed
    /// one the server might still associate with the old packet.
    pub(crate) fn alloc_pid(&mut self) -> Option<Pid> {
        if self.pids_in_use.len() >= usize::from(u16::MAX) {
            return None;
        }
        let mut pid = self.next_pid;
        while self.pids_in_use.contains(&pid.get()) {
            pid = pid.next();
        }
        self.pids_in_use.insert(pid.get());
        self.next_pid = pid.next();
        Some(pid)
    }

    pub(crate) fn release_pid(&mut self, pid: Pid) {
        self.pids_in_use.remove(&pid.get());
    }

    fn connect_packet(&self) -> Connect {
        let v5 = self.opts.version.is_v5();
        let mut properties = Properties::default();
        if v5 {
            let o = &self.opts;
            if o.session_expiry_interval != 0 {
                properties
                    .0
                    .push(Property::SessionExpiryInterval(o.session_expiry_interval));
            }
            if o.receive_maximum != u16::MAX {
                properties
                    .0
                    .push(Property::ReceiveMaximum(o.receive_maximum));
            }
            if let Some(max) = o.maximum_packet_size {
                properties.0.push(Property::MaximumPacketSize(max));
            }
            if o.topic_alias_maximum != 0 {
                properties
                    .0
                    .push(Property::TopicAliasMaximum(o.topic_alias_maximum));
            }
            if !o.request_problem_information {
                properties.0.push(Property::RequestProblemInformation(0));
            }
            for (k, v) in &o.user_properties {
                properties
                    .0
                    .push(Property::UserProperty(k.clone(), v.clone()));
            }
        }
        let will = self.opts.will.as_ref().map(|w| {
            let mut wp = Properties::default();
            if v5 {
                if w.delay_interval != 0 {
                    wp.0.push(Property::WillDelayInterval(w.delay_interval));
                }
                wp.0.extend(w.properties.0.iter().cloned());
            }
            Will {
                topic: w.topic.clone(),
                payload: w.payload.clone(),
                qos: w.qos,
                retain: w.retain,
                properties: wp,
            }
        });
        Connect {
            version: self.opts.version,
            client_id: self.client_id.clone(),
            clean_start: self.opts.clean_start,
            keep_alive: self.opts.keep_alive,
            username: self.opts.username.clone(),
            password: self.opts.password.clone(),
            will,
            properties,
        }
    }

    /// Encodes `packet` for the transport. A packet the codec refuses is not queued (and
    /// leaves no partial bytes behind).
    pub(crate) fn transmit_packet(&mut self, packet: &Packet) -> Result<usize, Error> {
        let before = self.transmit.len();
        match encode_to_server(packet, self.opts.version, &mut self.transmit) {
            Ok(n) => {
                if let Some(conn) = &mut self.conn {
                    conn.last_sent = self.now;
                }
                Ok(n)
            }
            Err(e) => {
                self.transmit.truncate(before);
                Err(Error::Encode(e))
            }
        }
    }

    pub(crate) fn transmit_ack(
        &mut self,
        make: fn(PublishAck) -> Packet,
        pid: Pid,
        reason: ReasonCode,
    ) {
        let reason = if self.opts.version.is_v5() {
            reason
        } else {
            ReasonCode::Success
        };
        let _ = self.transmit_packet(&make(PublishAck {
            pid,
            reason,
            properties: Properties::default(),
        }));
    }

    fn check_size(&self, packet: &Packet) -> Result<usize, Error> {
        let mut scratch = BytesMut::new();
        let size =
            encode_to_server(packet, self.opts.version, &mut scratch).map_err(Error::Encode)?;
        match self.limits.maximum_packet_size {
            Some(maximum) if size > maximum as usize => {
                Err(Error::PacketTooLarge { size, maximum })
            }
            _ => Ok(size),
        }
    }

    fn publish_len(&self, msg: &OutMsg) -> Result<usize, Error> {
        let placeholder = Pid::new(1).unwrap_or_else(|| unreachable!());
        let mut scratch = BytesMut::new();
        encode_to_server(
            &publish_packet(
                msg,
                Some(placeholder),
                false,
                msg.topic.clone(),
                msg.properties.clone(),
            ),
            self.opts.version,
            &mut scratch,
        )
        .map_err(Error::Encode)
    }

    /// Encodes a PUBLISH for the current connection, choosing a topic alias when the
    /// server allows them.
    ///
    /// Aliases are handed out first come, first served, and never reassigned within a
    /// connection: a dashboard publishes to a small fixed set of topics, so the first
    /// `topic_alias_maximum` topics are the ones worth shortening, and never remapping means
    /// an alias can never point at the wrong topic because of a reordering.
    fn transmit_publish(&mut self, pid: Option<Pid>, msg: &OutMsg, dup: bool) -> Result<(), Error> {
        let Some(conn) = &self.conn else {
            return Ok(());
        };
        let mut properties = msg.properties.clone();
        let mut topic = msg.topic.clone();
        let mut new_alias = None;
        if self.opts.version.is_v5() && self.limits.topic_alias_maximum > 0 {
            if let Some(&alias) = conn.out_aliases.get(&msg.topic) {
                topic = String::new();
                properties.0.push(Property::TopicAlias(alias));
            } else if conn.next_out_alias <= self.limits.topic_alias_maximum {
                properties.0.push(Property::TopicAlias(conn.next_out_alias));
                new_alias = Some(conn.next_out_alias);
            }
        }
        let packet = publish_packet(msg, pid, dup, topic, properties);
        let before = self.transmit.len();
        let size = self.transmit_packet(&packet)?;
        if let Some(maximum) = self.limits.maximum_packet_size
            && size > maximum as usize
        {
            self.transmit.truncate(before);
            return Err(Error::PacketTooLarge { size, maximum });
        }
        if let (Some(alias), Some(conn)) = (new_alias, &mut self.conn) {
            conn.out_aliases.insert(msg.topic.clone(), alias);
            conn.next_out_alias += 1;
        }
        Ok(())
    }

    /// Whether a new publish may skip the queue: connected, nothing waiting ahead of it
    /// (order is kept), and for QoS 1/2 a unit of send quota and a free identifier.
    fn can_send_now(&self, qos: QoS) -> bool {
        let Some(conn) = &self.conn else { return false };
        if !self.is_connected() || !self.queue.is_empty() || self.inflight.iter().any(|o| !o.sent) {
            return false;
        }
        qos == QoS::AtMostOnce
            || (conn.send_quota > 0 && self.pids_in_use.len() < usize::from(u16::MAX))
    }

    /// Sends a publish for the first time.
    fn send_new(&mut self, id: PublishId, msg: OutMsg) -> Result<(), Error> {
        if msg.qos == QoS::AtMostOnce {
            return self.transmit_publish(None, &msg, false);
        }
        let pid = self.alloc_pid().ok_or(Error::PacketIdsExhausted)?;
        if let Err(e) = self.transmit_publish(Some(pid), &msg, false) {
            self.release_pid(pid);
            return Err(e);
        }
        if let Some(conn) = &mut self.conn {
            conn.send_quota = conn.send_quota.saturating_sub(1);
        }
        self.inflight.push_back(Outgoing {
            id,
            pid,
            msg,
            stage: OutgoingStage::AwaitingAck,
            sent: true,
            counted: true,
            dup: false,
        });
        Ok(())
    }

    /// Sends what the connection allows, strictly in order: first unacknowledged publishes
    /// and PUBRELs not yet resent on this connection, then the queue. Stopping at the first
    /// publish that does not fit keeps the order [MQTT-4.6.0-1] even when the receive
    /// maximum shrank between connections.
    pub(crate) fn pump(&mut self) {
        if !self.is_connected() {
            return;
        }
        let mut i = 0;
        while i < self.inflight.len() {
            if self.inflight[i].sent {
                i += 1;
                continue;
            }
            let pid = self.inflight[i].pid;
            match self.inflight[i].stage {
                OutgoingStage::AwaitingComp => {
                    self.transmit_ack(Packet::PubRel, pid, ReasonCode::Success);
                    self.inflight[i].sent = true;
                }
                OutgoingStage::AwaitingAck => {
                    if self.send_quota() == 0 {
                        return;
                    }
                    let msg = self.inflight[i].msg.clone();
                    let dup = self.inflight[i].dup;
                    match self.transmit_publish(Some(pid), &msg, dup) {
                        Ok(()) => {
                            let o = &mut self.inflight[i];
                            o.sent = true;
                            o.counted = true;
                            if let Some(conn) = &mut self.conn {
                                conn.send_quota = conn.send_quota.saturating_sub(1);
                            }
                        }
                        Err(error) => {
                            if let Some(o) = self.inflight.remove(i) {
                                self.release_pid(o.pid);
                                self.events
                                    .push_back(Event::PublishFailed { id: o.id, error });
                            }
                            continue;
                        }
                    }
                }
            }
            i += 1;
        }
        while let Some(front) = self.queue.front() {
            if front.msg.qos != QoS::AtMostOnce
                && (self.send_quota() == 0 || self.pids_in_use.len() >= usize::from(u16::MAX))
            {
                return;
            }
            let Some(q) = self.queue.pop_front() else {
                return;
            };
            self.queue_bytes -= q.size;
            if let Err(error) = self.send_new(q.id, q.msg) {
                self.events
                    .push_back(Event::PublishFailed { id: q.id, error });
            }
        }
    }

    /// Sends the SUBSCRIBE and UNSUBSCRIBE packets not yet sent on this connection. A
    /// SUBSCRIBE made before CONNACK may turn out larger than the server's Maximum Packet
    /// Size, which the client must not send [MQTT-3.1.2-24]: it fails with
    /// [`Event::SubscribeFailed`] instead.
    pub(crate) fn send_pending(&mut self) {
        let mut i = 0;
        while i < self.pending_subs.len() {
            if self.pending_subs[i].sent {
                i += 1;
                continue;
            }
            let s = &self.pending_subs[i];
            let packet = Packet::Subscribe(mqtt_codec_wasm::Subscribe {
                pid: s.pid,
                filters: s.filters.clone(),
                properties: s.properties.clone(),
            });
            if let Err(error @ Error::PacketTooLarge { .. }) = self.check_size(&packet) {
                let s = self.pending_subs.remove(i);
                self.release_pid(s.pid);
                self.events
                    .push_back(Event::SubscribeFailed { id: s.id, error });
                continue;
            }
            if self.transmit_packet(&packet).is_ok() {
                self.pending_subs[i].sent = true;
            }
            i += 1;
        }
        for i in 0..self.pending_unsubs.len() {
            if self.pending_unsubs[i].sent {
                continue;
            }
            let u = &self.pending_unsubs[i];
            let packet = Packet::Unsubscribe(Unsubscribe {
                pid: u.pid,
                filters: u.filters.clone(),
                properties: u.properties.clone(),
            });
            if self.transmit_packet(&packet).is_ok() {
                self.pending_unsubs[i].sent = true;
            }
        }
    }

    /// Queues one SUBSCRIBE per distinct set of properties for the remembered
    /// subscriptions, after the server lost our session.
    pub(crate) fn restore_subscriptions(&mut self) {
        // Unanswered restorations from an earlier connection are replaced, not repeated.
        let stale: Vec<Pid> = self
            .pending_subs
            .iter()
            .filter(|s| s.restored)
            .map(|s| s.pid)
            .collect();
        for pid in stale {
            self.release_pid(pid);
        }
        self.pending_subs.retain(|s| !s.restored);
        let mut groups: Vec<(Properties, Vec<SubscribeFilter>)> = Vec::new();
        for s in &self.subscriptions {
            let filter = SubscribeFilter {
                filter: s.filter.clone(),
                options: s.options,
            };
            match groups.iter_mut().find(|(p, _)| *p == s.properties) {
                Some((_, filters)) => filters.push(filter),
                None => groups.push((s.properties.clone(), alloc::vec![filter])),
            }
        }
        for (properties, filters) in groups {
            let Some(pid) = self.alloc_pid() else { return };
            let id = SubscribeId(self.handle());
            let record = alloc::vec![true; filters.len()];
            // Restored SUBSCRIBEs go first: a user's own pending SUBSCRIBE for the same
            // filter must come later, so its options win.
            let at = self.pending_subs.iter().take_while(|s| s.restored).count();
            self.pending_subs.insert(
                at,
                PendingSub {
                    id,
                    pid,
                    filters,
                    record,
                    properties,
                    restored: true,
                    sent: false,
                },
            );
        }
    }

    /// Forgets the transport: what was sent on it must be sent again on the next one.
    pub(crate) fn drop_connection(&mut self) {
        if self.conn.take().is_none() {
            return;
        }
        for o in &mut self.inflight {
            if o.sent && o.stage == OutgoingStage::AwaitingAck {
                o.dup = true;
            }
            o.sent = false;
            o.counted = false;
        }
        for s in &mut self.pending_subs {
            s.sent = false;
        }
        for u in &mut self.pending_unsubs {
            u.sent = false;
        }
    }

    /// Ends the connection and schedules the next attempt (or stops, when `reconnect` is
    /// false or the options turn reconnecting off).
    pub(crate) fn end_connection(&mut self, reconnect: bool) {
        self.drop_connection();
        self.reconnect_signalled = false;
        let fresh = self
            .retry_fresh_until
            .take()
            .is_some_and(|until| self.now <= until);
        self.state = if reconnect && self.opts.auto_reconnect {
            let wait = self.policy.connection_lost(self.now);
            State::WaitingToReconnect {
                until: if fresh { self.now } else { self.now + wait },
            }
        } else {
            State::Disconnected
        };
    }

    fn lose(&mut self, cause: ConnectionLostCause) {
        self.events.push_back(Event::ConnectionLost { cause });
        self.end_connection(true);
    }
}

/// How long after a `retry_now` made while connected a lost connection is retried at once.
pub const RETRY_FRESH_MS: u64 = 2_000;

/// A ping is due when we have sent nothing for a keepalive [MQTT-3.1.2-20] — and also when
/// we have received nothing for one, or a client that only publishes QoS 0 would never
/// ping and never learn that its connection died.
fn ping_due(conn: &Conn) -> Millis {
    conn.last_sent
        .min(conn.last_received)
        .plus_ms(conn.keep_alive_ms)
}

/// Silence for 1.5 × keepalive means the connection is dead. The ping goes out at the latest
/// one keepalive after the last packet received, which leaves the server half a keepalive
/// to answer.
fn dead_deadline(conn: &Conn) -> Millis {
    conn.last_received
        .plus_ms(conn.keep_alive_ms.saturating_mul(3) / 2)
}

fn publish_packet(
    msg: &OutMsg,
    pid: Option<Pid>,
    dup: bool,
    topic: String,
    properties: Properties,
) -> Packet {
    let qos_pid = match (msg.qos, pid) {
        (QoS::AtLeastOnce, Some(p)) => QosPid::AtLeastOnce(p),
        (QoS::ExactlyOnce, Some(p)) => QosPid::ExactlyOnce(p),
        _ => QosPid::AtMostOnce,
    };
    Packet::Publish(Publish {
        dup: dup && qos_pid != QosPid::AtMostOnce,
        qos_pid,
        retain: msg.retain,
        topic,
        payload: msg.payload.clone(),
        properties,
    })
}

pub(crate) fn property_id(p: &Property) -> PropertyId {
    use Property as P;
    use PropertyId as I;
    match p {
        P::PayloadFormatIndicator(_) => I::PayloadFormatIndicator,
        P::MessageExpiryInterval(_) => I::MessageExpiryInterval,
        P::ContentType(_) => I::ContentType,
        P::ResponseTopic(_) => I::ResponseTopic,
        P::CorrelationData(_) => I::CorrelationData,
        P::SubscriptionIdentifier(_) => I::SubscriptionIdentifier,
        P::SessionExpiryInterval(_) => I::SessionExpiryInterval,
        P::AssignedClientIdentifier(_) => I::AssignedClientIdentifier,
        P::ServerKeepAlive(_) => I::ServerKeepAlive,
        P::AuthenticationMethod(_) => I::AuthenticationMethod,
        P::AuthenticationData(_) => I::AuthenticationData,
        P::RequestProblemInformation(_) => I::RequestProblemInformation,
        P::WillDelayInterval(_) => I::WillDelayInterval,
        P::RequestResponseInformation(_) => I::RequestResponseInformation,
        P::ResponseInformation(_) => I::ResponseInformation,
        P::ServerReference(_) => I::ServerReference,
        P::ReasonString(_) => I::ReasonString,
        P::ReceiveMaximum(_) => I::ReceiveMaximum,
        P::TopicAliasMaximum(_) => I::TopicAliasMaximum,
        P::TopicAlias(_) => I::TopicAlias,
        P::MaximumQoS(_) => I::MaximumQoS,
        P::RetainAvailable(_) => I::RetainAvailable,
        P::UserProperty(..) => I::UserProperty,
        P::MaximumPacketSize(_) => I::MaximumPacketSize,
        P::WildcardSubscriptionAvailable(_) => I::WildcardSubscriptionAvailable,
        P::SubscriptionIdentifierAvailable(_) => I::SubscriptionIdentifierAvailable,
        P::SharedSubscriptionAvailable(_) => I::SharedSubscriptionAvailable,
    }
}

/// The keepalive of a CONNACK in milliseconds.
pub(crate) fn keep_alive_ms(secs: u16) -> u64 {
    duration_ms(core::time::Duration::from_secs(u64::from(secs)))
}
