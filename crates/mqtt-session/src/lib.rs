//! A sans-IO MQTT client session (3.1, 3.1.1 and 5.0), in the manner of quinn-proto.
//!
//! The session owns everything MQTT asks a client to remember — packet identifiers, QoS 1/2
//! state in both directions, the server's in-flight limit, keepalive, topic aliases, the
//! subscriptions to restore, the offline queue and the reconnect backoff — and nothing that
//! touches the outside world. It opens no socket, arms no timer and never reads a clock:
//! every call whose outcome depends on time takes `now`, a [`Millis`] the driver reads from
//! whatever clock it has (`performance.now()` in a browser, `Instant` natively). That is
//! what lets every flow, including the 1.5 × keepalive dead-connection rule and the
//! exponential backoff, be tested with scripted bytes on a simulated clock in milliseconds.
//!
//! # The contract with a driver
//!
//! Methods fall into four kinds:
//!
//! - **commands**: [`Session::connect`] (after the driver opened a fresh transport),
//!   [`Session::subscribe`], [`Session::unsubscribe`], [`Session::publish`],
//!   [`Session::disconnect`], [`Session::retry_now`];
//! - **input**: [`Session::handle_bytes`], [`Session::handle_timeout`],
//!   [`Session::handle_connection_lost`], [`Session::handle_closed_by_server`];
//! - **output**: [`Session::poll_transmit`] (bytes to write, in order),
//!   [`Session::poll_timeout`] (when to call `handle_timeout` next),
//!   [`Session::poll_event`];
//! - **getters**: [`Session::state`], [`Session::limits`], in-flight and queue sizes.
//!
//! After every command or input the driver drains `poll_transmit` and `poll_event` and
//! re-arms its single timer from `poll_timeout`. When the state leaves `Connecting` /
//! `Connected` the driver writes what `poll_transmit` still holds (a v5 DISCONNECT naming the
//! reason, for instance) and then closes the transport. When the state is
//! [`State::WaitingToReconnect`] and [`Event::ReconnectDue`] arrives, the driver opens a new
//! transport and calls `connect` again.
#![no_std]
#![forbid(unsafe_code)]

extern crate alloc;

mod backoff;
mod error;
mod event;
mod incoming;
mod options;
mod session;
mod time;

pub use backoff::{BackoffConfig, ReconnectPolicy, XorShift64};
pub use error::{Error, OptionsError};
pub use event::{
    ConnectionLostCause, Event, Message, ProtocolViolation, PublishId, SubscribeId, UnsubscribeId,
    VersionRefusal,
};
pub use options::{LastWill, QueueLimits, SessionOptions};
pub use session::{OutgoingStage, RETRY_FRESH_MS, ServerLimits, Session, State};
pub use time::Millis;

/// The codec types that appear in this crate's API, so a driver needs one dependency.
pub use mqtt_codec_wasm::{
    Bytes, Pid, Properties, Property, ProtocolVersion, QoS, ReasonCode, RetainHandling,
    SubscriptionOptions,
};
