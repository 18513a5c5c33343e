//! Session configuration.

use alloc::string::String;
use alloc::vec::Vec;
use core::time::Duration;

use mqtt_codec_wasm::topic::validate_topic_name;
use mqtt_codec_wasm::{Bytes, Properties, ProtocolVersion, QoS};

use crate::backoff::BackoffConfig;
use crate::error::{Error, OptionsError};

/// The will message the server publishes if this client vanishes without a DISCONNECT.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LastWill {
    pub topic: String,
    pub payload: Bytes,
    pub qos: QoS,
    pub retain: bool,
    /// Seconds the server waits before publishing the will (5.0); zero sends no property.
    pub delay_interval: u32,
    /// Further will properties (5.0): payload format, message expiry, content type, user
    /// properties, ...
    pub properties: Properties,
}

/// Bounds on publishes waiting to be sent: made while offline, or held back while connected
/// because the server's receive maximum is used up. One bound for both, because either way
/// it is memory the application asked the session to hold.
///
/// Both bounds exist because a dashboard can be offline for hours: a count alone lets a few
/// large payloads exhaust a browser tab's memory, a byte budget alone lets millions of tiny
/// ones do the same through per-message overhead.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QueueLimits {
    pub max_messages: usize,
    /// Counted as topic length plus payload length.
    pub max_bytes: usize,
}

impl Default for QueueLimits {
    fn default() -> Self {
        Self {
            max_messages: 1000,
            max_bytes: 1024 * 1024,
        }
    }
}

/// Everything the session needs to know before the first CONNECT.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionOptions {
    pub version: ProtocolVersion,
    /// "Auto" version: with `version` 5.0, a server that turns out not to speak it (see
    /// [`crate::Event::VersionRefused`]) is tried again at once with 3.1.1, and 3.1.1 is
    /// kept for every later connection of this session. Only before the first accepted
    /// CONNACK: a server that once accepted 5.0 speaks it, whatever it does later.
    pub fall_back_to_v311: bool,
    /// Empty asks the server to assign one (3.1.1 and 5.0); the assigned identifier is then
    /// used for every reconnect, or a persistent session could never be resumed.
    pub client_id: String,
    /// Sent on every CONNECT, not just the first: the flag means "discard what the server
    /// holds", and a user who asked for that once asked for it every time.
    pub clean_start: bool,
    /// Seconds the server keeps the session after the connection ends (5.0).
    pub session_expiry_interval: u32,
    /// Seconds; zero turns keepalive off. A server keep alive in CONNACK overrides it.
    pub keep_alive: u16,
    pub will: Option<LastWill>,
    pub username: Option<String>,
    pub password: Option<Bytes>,
    /// How many unacknowledged QoS 1/2 publishes the server may send us at once (5.0).
    pub receive_maximum: u16,
    /// The largest packet we accept; larger ones end the connection (sent to the server in
    /// 5.0 so it does not try).
    pub maximum_packet_size: Option<u32>,
    /// The largest packet we accept when `maximum_packet_size` is not set, told to nobody: a
    /// bound on memory for a CONNECT that must carry no properties (a 5.0 CONNECT probing a
    /// server that may speak only 3.1.1, which reads the properties as the client id's length
    /// and waits for bytes that never come).
    pub unannounced_packet_limit: Option<u32>,
    /// How many topic aliases the server may define towards us (5.0).
    pub topic_alias_maximum: u16,
    /// User properties of CONNECT (5.0).
    pub user_properties: Vec<(String, String)>,
    /// Whether the server may put reason strings and user properties on failures (5.0).
    pub request_problem_information: bool,
    pub offline_queue: QueueLimits,
    /// How long to wait for CONNACK before giving the attempt up.
    pub connect_timeout: Duration,
    /// Whether the session schedules reconnects itself (the state then becomes
    /// [`crate::State::WaitingToReconnect`]) or just stops at `Disconnected`.
    pub auto_reconnect: bool,
    pub backoff: BackoffConfig,
    /// Seed of the jitter PRNG; drivers pass something that differs between clients
    /// (`Math.random()`, the process id and start time), tests a constant.
    pub rng_seed: u64,
}

impl SessionOptions {
    pub fn new(version: ProtocolVersion, client_id: impl Into<String>) -> Self {
        Self {
            version,
            fall_back_to_v311: false,
            client_id: client_id.into(),
            clean_start: true,
            session_expiry_interval: 0,
            keep_alive: 60,
            will: None,
            username: None,
            password: None,
            receive_maximum: u16::MAX,
            maximum_packet_size: None,
            unannounced_packet_limit: None,
            topic_alias_maximum: 0,
            user_properties: Vec::new(),
            request_problem_information: true,
            offline_queue: QueueLimits::default(),
            connect_timeout: Duration::from_secs(30),
            auto_reconnect: true,
            backoff: BackoffConfig::default(),
            rng_seed: 0x5EED,
        }
    }

    /// Rejects what a server would refuse anyway, so the mistake surfaces at construction
    /// with a precise message rather than as a CONNACK reason code after a round trip.
    pub(crate) fn validate(&self) -> Result<(), Error> {
        let v5 = self.version.is_v5();
        if self.version == ProtocolVersion::V3_1
            && (self.client_id.is_empty() || self.client_id.len() > 23)
        {
            return Err(Error::InvalidOptions(OptionsError::V31ClientId));
        }
        if !v5 && self.client_id.is_empty() && !self.clean_start {
            // [MQTT-3.1.3-7]: a zero-length identifier requires clean session.
            return Err(Error::InvalidOptions(
                OptionsError::EmptyClientIdNeedsCleanStart,
            ));
        }
        if !v5 && self.password.is_some() && self.username.is_none() {
            return Err(Error::InvalidOptions(OptionsError::PasswordWithoutUsername));
        }
        if self.receive_maximum == 0 {
            return Err(Error::InvalidOptions(OptionsError::ReceiveMaximumZero));
        }
        if self.maximum_packet_size == Some(0) || self.unannounced_packet_limit == Some(0) {
            return Err(Error::InvalidOptions(OptionsError::MaximumPacketSizeZero));
        }
        if let Some(will) = &self.will {
            validate_topic_name(&will.topic).map_err(Error::InvalidTopic)?;
        }
        if self.offline_queue.max_messages == 0 {
            return Err(Error::InvalidOptions(OptionsError::OfflineQueueZero));
        }
        Ok(())
    }
}
