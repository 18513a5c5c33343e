//! The streaming decoder against one-shot decoding, with the stream cut at arbitrary points.
//!
//! TCP reads and WebSocket frames need not line up with packets [MQTT-6.0.0-2], so where
//! the bytes are cut must not change what comes out. Input layout: byte 0 = k (mod 8), then
//! k chunk lengths of one byte each (0 = an empty push); the rest is the stream, pushed in
//! those chunks and then in one final chunk.
//!
//! Property, for each version: without an error the stream yields exactly the packets of
//! one-shot decoding, and one-shot decoding finds no error either. The stream checks every
//! fixed header as soon as it is buffered (to refuse an oversized packet before its body
//! arrives) and a bad one poisons it at once, dropping complete packets queued before it
//! (the codec's documented choice, pinned by its own test
//! `oversized_packet_behind_complete_ones_is_rejected_by_push`). So on error the streamed
//! packets must be a prefix of the one-shot packets, one-shot decoding must fail too, and
//! the two errors must be equal unless the stream's is a fixed-header error met early.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mqtt_codec_wasm::{
    BytesMut, DecodeError, Packet, PacketType, ProtocolVersion, StreamDecoder, decode,
};

const VERSIONS: [ProtocolVersion; 3] = [
    ProtocolVersion::V3_1,
    ProtocolVersion::V3_1_1,
    ProtocolVersion::V5,
];
/// Small enough to be hit by fuzzed lengths, so the size check is exercised too.
const MAX: u32 = 4096;

fn one_shot(stream: &[u8], version: ProtocolVersion) -> (Vec<Packet>, Option<DecodeError>) {
    let mut buf = BytesMut::from(stream);
    let mut packets = Vec::new();
    loop {
        match decode(&mut buf, version, MAX) {
            Ok(Some(p)) => packets.push(p),
            Ok(None) => return (packets, None),
            Err(e) => return (packets, Some(e)),
        }
    }
}

fn streamed(chunks: &[&[u8]], version: ProtocolVersion) -> (Vec<Packet>, Option<DecodeError>) {
    let mut decoder = StreamDecoder::new(version, MAX);
    let mut packets = Vec::new();
    for chunk in chunks {
        if let Err(e) = decoder.push(chunk) {
            // Poisoned: every later call repeats the error.
            assert_eq!(decoder.push(b"\x00"), Err(e));
            assert_eq!(decoder.next_packet(), Err(e));
            return (packets, Some(e));
        }
        loop {
            match decoder.next_packet() {
                Ok(Some(p)) => packets.push(p),
                Ok(None) => break,
                Err(e) => {
                    assert_eq!(decoder.next_packet(), Err(e));
                    return (packets, Some(e));
                }
            }
        }
    }
    (packets, None)
}

/// Errors that a fixed header alone can cause: the ones the stream may meet ahead of
/// one-shot decoding.
fn is_fixed_header_error(e: DecodeError) -> bool {
    matches!(
        e,
        DecodeError::VarintTooLong
            | DecodeError::NonMinimalVarint
            | DecodeError::PacketTooLarge { .. }
            | DecodeError::ReservedPacketType { .. }
            | DecodeError::InvalidHeaderFlags { .. }
            | DecodeError::DupAtQoS0 { .. }
            | DecodeError::InvalidQoS {
                packet_type: PacketType::Publish,
                ..
            }
    )
}

fuzz_target!(|data: &[u8]| {
    let Some((&k, rest)) = data.split_first() else {
        return;
    };
    let k = usize::from(k % 8).min(rest.len());
    let (lengths, mut stream_rest) = rest.split_at(k);
    let stream = stream_rest;
    let mut chunks = Vec::with_capacity(k + 1);
    for &len in lengths {
        let (chunk, tail) = stream_rest.split_at(usize::from(len).min(stream_rest.len()));
        chunks.push(chunk);
        stream_rest = tail;
    }
    chunks.push(stream_rest);

    for version in VERSIONS {
        let (expected, expected_err) = one_shot(stream, version);
        let (got, got_err) = streamed(&chunks, version);
        match got_err {
            None => {
                assert_eq!(got, expected, "{version:?}: packets");
                assert_eq!(expected_err, None, "{version:?}: only one-shot failed");
            }
            Some(e) => {
                assert!(
                    expected.starts_with(&got),
                    "{version:?}: streamed packets are not a prefix"
                );
                let Some(one_shot_err) = expected_err else {
                    panic!("{version:?}: only the stream failed: {e:?}");
                };
                assert!(
                    e == one_shot_err || is_fixed_header_error(e),
                    "{version:?}: stream {e:?} vs one-shot {one_shot_err:?}"
                );
            }
        }
    }
});
