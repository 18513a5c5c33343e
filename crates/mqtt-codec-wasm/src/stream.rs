//! A decoder for a byte stream cut into arbitrary chunks.
//!
//! WebSocket frames and TCP reads need not line up with packets [MQTT-6.0.0-2]: a chunk may
//! hold half a packet, or many. The decoder buffers bytes and hands out whole packets.
//!
//! Its one defence duty is memory: [`StreamDecoder::push`] reads the fixed header of every
//! buffered packet as soon as it is complete and refuses a declared size above the limit
//! right there, so a peer cannot make it hold more than `max_packet_size` bytes of one
//! packet by announcing a huge one and trickling bytes.
//!
//! Errors keep stream order: the whole packets that arrived before a bad header are still
//! handed out by [`StreamDecoder::next_packet`], and only then the error, so a receiver
//! acts on everything valid the peer sent before it went wrong.

use bytes::BytesMut;

use crate::decode::{decode_as, parse_header};
use crate::error::DecodeError;
use crate::packet::{Packet, ProtocolVersion};

/// `FROM_SERVER`: a client's decoder ([`StreamDecoder::client`]), which refuses the packets
/// only clients send without reading them.
#[derive(Debug)]
pub struct StreamDecoder<const FROM_SERVER: bool = false> {
    buf: BytesMut,
    version: ProtocolVersion,
    max_packet_size: u32,
    /// Offset in `buf` of the first packet whose fixed header has not been checked yet
    /// (may lie beyond `buf.len()` while a body is still arriving).
    scanned: usize,
    /// A bad fixed header found by `push` at `scanned`; the buffer ends there, and the error
    /// is returned once the packets before it are out.
    pending: Option<DecodeError>,
    /// Set by the first error returned from `next_packet`: the stream has lost framing and
    /// stays failed.
    error: Option<DecodeError>,
}

impl StreamDecoder {
    /// `max_packet_size` bounds a whole packet, fixed header included (as 5.0's Maximum
    /// Packet Size does); pass `u32::MAX` for no limit beyond the protocol's.
    pub fn new(version: ProtocolVersion, max_packet_size: u32) -> Self {
        Self::with_limit(version, max_packet_size)
    }
}

impl StreamDecoder<true> {
    /// A client's decoder: as [`StreamDecoder::new`], but a packet only clients send
    /// (CONNECT, SUBSCRIBE, UNSUBSCRIBE, PINGREQ) is
    /// [`DecodeError::ClientPacketFromServer`].
    pub fn client(version: ProtocolVersion, max_packet_size: u32) -> Self {
        Self::with_limit(version, max_packet_size)
    }
}

impl<const FROM_SERVER: bool> StreamDecoder<FROM_SERVER> {
    fn with_limit(version: ProtocolVersion, max_packet_size: u32) -> Self {
        Self {
            buf: BytesMut::new(),
            version,
            max_packet_size,
            scanned: 0,
            pending: None,
            error: None,
        }
    }

    /// The version used for packets other than CONNECT. A server starts with a guess and
    /// sets the version from the CONNECT it decoded; packets already buffered behind the
    /// CONNECT are decoded with the new version, since only their fixed header (which does
    /// not depend on the version) has been looked at.
    pub fn set_version(&mut self, version: ProtocolVersion) {
        self.version = version;
    }

    pub fn version(&self) -> ProtocolVersion {
        self.version
    }

    /// Bytes received and not yet returned as packets.
    pub fn buffered_len(&self) -> usize {
        self.buf.len()
    }

    /// Appends received bytes. Fails if the fixed header of any buffered packet is invalid
    /// or declares a packet above the limit: the bytes from that header on are dropped and
    /// nothing more is buffered; `next_packet` still returns the whole packets before it,
    /// then the same error.
    pub fn push(&mut self, chunk: &[u8]) -> Result<(), DecodeError> {
        if let Some(e) = self.error.or(self.pending) {
            return Err(e);
        }
        self.buf.extend_from_slice(chunk);
        while self.scanned < self.buf.len() {
            match parse_header(&self.buf[self.scanned..], None, self.max_packet_size) {
                Ok(Some(h)) => self.scanned += h.total(),
                Ok(None) => break,
                Err(e) => {
                    self.buf.truncate(self.scanned);
                    self.pending = Some(e);
                    return Err(e);
                }
            }
        }
        Ok(())
    }

    /// The next complete packet, if any. After an error every call returns that error.
    pub fn next_packet(&mut self) -> Result<Option<Packet>, DecodeError> {
        if let Some(e) = self.error {
            return Err(e);
        }
        let before = self.buf.len();
        match decode_as::<FROM_SERVER>(&mut self.buf, self.version, self.max_packet_size) {
            Ok(None) => match self.pending {
                Some(e) => Err(self.poison(e)),
                None => Ok(None),
            },
            Ok(p) => {
                self.scanned = self.scanned.saturating_sub(before - self.buf.len());
                Ok(p)
            }
            Err(e) => Err(self.poison(e)),
        }
    }

    fn poison(&mut self, e: DecodeError) -> DecodeError {
        self.error = Some(e);
        self.pending = None;
        self.buf = BytesMut::new();
        self.scanned = 0;
        e
    }
}
