//! MQTT packet codec for 3.1, 3.1.1 and 5.0.
//!
//! Bytes in, packets out, and back. The crate is `no_std` so that the compiler, not a code
//! review, guarantees it does no IO and reads no clock: everything above it (the session,
//! the browser and native transports) can then be tested with scripted bytes.
//!
//! One [`Packet`] model serves every protocol version; the version is passed to
//! [`encode`] and [`decode`] because the same bytes mean different things in 3.1.1 and 5.0
//! (properties, reason codes). Decoding is streaming: a packet need not line up with a
//! WebSocket frame or a TCP read [MQTT-6.0.0-2], so "not enough bytes yet" is `Ok(None)`,
//! never an error.
#![cfg_attr(not(feature = "js"), no_std)]
#![forbid(unsafe_code)]

extern crate alloc;

mod decode;
mod encode;
mod error;
mod packet;
mod properties;
mod reason;
mod stream;
pub mod topic;
mod varint;

#[cfg(feature = "js")]
pub mod js;

pub use bytes::{Bytes, BytesMut};
pub use decode::{decode, decode_slice};
pub use encode::{encode, encode_to_server, encoded_len};
pub use error::{DecodeError, EncodeError};
pub use packet::*;
pub use properties::{Properties, Property, PropertyContext, PropertyId};
pub use reason::ReasonCode;
pub use stream::StreamDecoder;
