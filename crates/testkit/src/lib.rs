//! Real parts for tests: a mosquitto broker (and the other brokers of the interop matrix) on
//! free loopback ports, with TLS listeners and a CA made at test time when asked, a static
//! file server for the built app, and headless Chromium through chromedriver. Every process a
//! test starts is owned by a guard that stops it on drop, so nothing outlives the test.
#![forbid(unsafe_code)]

pub mod brokers;
mod files;
pub mod hostile;
pub mod mosquitto;
pub mod ports;
pub mod tls;
pub mod web;

pub use brokers::{Broker, BrokerOptions, MqttVersion, RunningBroker, Transport};
pub use mosquitto::{BrokerEvent, Mosquitto, MosquittoOptions, TlsListeners, has_subscriber};
pub use ports::free_port;
