//! The streaming decoder against one-shot decoding, with the stream cut at arbitrary points.
//!
//! TCP reads and WebSocket frames need not line up with packets [MQTT-6.0.0-2], so where
//! the bytes are cut must not change what comes out. Input layout: byte 0 = k (mod 8), then
//! k chunk lengths of one byte each (0 = an empty push); the rest is the stream, pushed in
//! those chunks and then in one final chunk.
//!
//! Property, for each version: the stream yields exactly the packets of one-shot decoding,
//! then exactly the same error (or none). The stream checks every fixed header as soon as it
//! is buffered (to refuse an oversized packet before its body arrives); `push` then fails,
//! but the whole packets before the bad header still come out of `next_packet` ahead of the
//! error, so the order matches one-shot decoding. When one header has several faults the
//! stream's version-blind scan may name another of them first.
//!
//! A client's decoder (`StreamDecoder::client`) on the same chunks: the same, up to the first
//! packet only clients send (CONNECT, SUBSCRIBE, UNSUBSCRIBE, PINGREQ), which it refuses
//! unread (`ClientPacketFromServer` with that packet's type) where one-shot decoding has
//! that packet or an error.
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

fn streamed<const FROM_SERVER: bool>(
    chunks: &[&[u8]],
    mut decoder: StreamDecoder<FROM_SERVER>,
) -> (Vec<Packet>, Option<DecodeError>) {
    let mut packets = Vec::new();
    for chunk in chunks {
        // A failed push is reported again by next_packet, after the packets before it.
        let pushed = decoder.push(chunk);
        loop {
            match decoder.next_packet() {
                Ok(Some(p)) => packets.push(p),
                Ok(None) => {
                    assert_eq!(pushed, Ok(()), "a push error must surface from next_packet");
                    break;
                }
                Err(e) => {
                    // Poisoned: every later call repeats the error.
                    assert_eq!(decoder.next_packet(), Err(e));
                    assert_eq!(decoder.push(b"\x00"), Err(e));
                    return (packets, Some(e));
                }
            }
        }
    }
    (packets, None)
}

/// Errors that a fixed header alone can cause.
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
        let (got, got_err) = streamed(&chunks, StreamDecoder::new(version, MAX));
        assert_eq!(got, expected, "{version:?}: packets");
        match (got_err, expected_err) {
            (a, b) if a == b => {}
            // The same packet, two faults: the stream's version-blind header scan may name
            // another fault of that header first (e.g. its size before AUTH-before-5.0).
            (Some(a), Some(_)) if is_fixed_header_error(a) => {}
            (a, b) => panic!("{version:?}: stream {a:?} vs one-shot {b:?}"),
        }

        let (client, client_err) = streamed(&chunks, StreamDecoder::client(version, MAX));
        assert_eq!(
            client[..],
            expected[..client.len().min(expected.len())],
            "{version:?}: a client's packets"
        );
        assert!(
            !client.iter().any(client_only),
            "{version:?}: a client's decoder handed out a client's packet"
        );
        match client_err {
            Some(DecodeError::ClientPacketFromServer { packet_type }) => {
                match expected.get(client.len()) {
                    Some(p) => assert_eq!(p.packet_type(), packet_type, "{version:?}"),
                    None => assert!(expected_err.is_some(), "{version:?}: refused what?"),
                }
            }
            e => {
                assert_eq!(
                    client.len(),
                    expected.len(),
                    "{version:?}: a client's packets"
                );
                assert!(
                    e == expected_err || e.is_some_and(is_fixed_header_error),
                    "{version:?}: client {e:?} vs one-shot {expected_err:?}"
                );
            }
        }
    }
});

/// What only clients send.
fn client_only(p: &Packet) -> bool {
    matches!(
        p.packet_type(),
        PacketType::Connect | PacketType::Subscribe | PacketType::Unsubscribe | PacketType::PingReq
    )
}
