//! Variable Byte Integer boundaries, seen through the remaining length and the 5.0 fields
//! that use the same encoding (property length, Subscription Identifier).
//!
//! Policy: non-minimal encodings are rejected in every version (5.0 [MQTT-1.5.5-1] makes
//! minimal encoding a MUST; 3.1.1 has no such sentence, but its encoding algorithm only
//! produces minimal forms, and one spelling per length keeps peers agreeing on framing).

mod common;

use common::*;
use mqtt_codec_wasm::ProtocolVersion::{V3_1_1, V5};
use mqtt_codec_wasm::*;

/// A QoS 0 PUBLISH to "t" whose remaining length is exactly `remaining` (>= 3).
fn publish_with_remaining(remaining: usize) -> Packet {
    Packet::Publish(Publish::new(
        "t",
        QosPid::AtMostOnce,
        Bytes::from(vec![0u8; remaining - 3]),
    ))
}

#[test]
fn remaining_length_boundaries() {
    // (remaining length, bytes of its encoding, the encoding)
    let cases: &[(usize, usize, &[u8])] = &[
        (0, 1, &[0x00]),
        (127, 1, &[0x7f]),
        (128, 2, &[0x80, 0x01]),
        (16_383, 2, &[0xff, 0x7f]),
        (16_384, 3, &[0x80, 0x80, 0x01]),
        (2_097_151, 3, &[0xff, 0xff, 0x7f]),
        (2_097_152, 4, &[0x80, 0x80, 0x80, 0x01]),
        (268_435_455, 4, &[0xff, 0xff, 0xff, 0x7f]),
    ];
    for &(remaining, n, encoding) in cases {
        assert_eq!(encoding.len(), n);
        if remaining == 0 {
            let bytes = encode_checked(&Packet::PingReq, V3_1_1);
            assert_eq!(bytes, [0xc0, 0x00]);
            continue;
        }
        let p = publish_with_remaining(remaining);
        // The largest size is only measured: the zeroed payload is never touched.
        assert_eq!(
            encoded_len(&p, V3_1_1),
            Ok(1 + n + remaining),
            "{remaining}"
        );
        if remaining <= 2_097_152 {
            let bytes = encode_checked(&p, V3_1_1);
            assert_eq!(&bytes[1..1 + n], encoding, "{remaining}");
            assert_eq!(decode_one(&bytes, V3_1_1), Ok(p), "{remaining}");
        }
        // Decoding the header alone: a complete, valid length, so "need more bytes" ...
        let mut header = vec![0x30];
        header.extend_from_slice(encoding);
        assert_eq!(decode_slice(&header, V3_1_1), Ok(None), "{remaining}");
        // ... and the size it declares is exactly 1 + n + remaining.
        let max = (1 + n + remaining - 1) as u32;
        let mut d = StreamDecoder::new(V3_1_1, max);
        assert_eq!(
            d.push(&header),
            Err(DecodeError::PacketTooLarge {
                size: (1 + n + remaining) as u32,
                max
            }),
            "{remaining}"
        );
    }
}

#[test]
fn remaining_length_above_the_maximum_cannot_be_encoded() {
    let p = publish_with_remaining(268_435_456);
    assert_eq!(
        encoded_len(&p, V3_1_1),
        Err(EncodeError::PacketTooLarge {
            remaining: 268_435_456
        })
    );
    let mut out = BytesMut::new();
    assert!(encode(&p, V3_1_1, &mut out).is_err());
    assert!(out.is_empty(), "nothing written on error");
}

#[test]
fn non_minimal_remaining_length_is_rejected() {
    for v in [V3_1_1, V5] {
        for bytes in [
            &[0xc0, 0x80, 0x00][..],             // 0 in two bytes
            &[0xc0, 0x80, 0x80, 0x00][..],       // 0 in three bytes
            &[0x30, 0x85, 0x80, 0x80, 0x00][..], // 5 in four bytes
            &[0x30, 0xff, 0x80, 0x00][..],       // 127 in three bytes
        ] {
            assert_eq!(
                decode_slice(bytes, v),
                Err(DecodeError::NonMinimalVarint),
                "{bytes:02x?}"
            );
            assert_eq!(DecodeError::NonMinimalVarint.spec_ref(), "MQTT-1.5.5-1");
        }
    }
}

#[test]
fn five_byte_remaining_length_is_rejected() {
    for bytes in [
        &[0x30, 0xff, 0xff, 0xff, 0xff, 0x7f][..],
        &[0x30, 0x80, 0x80, 0x80, 0x80, 0x01][..],
        // Rejected on the fourth length byte, without waiting for a fifth.
        &[0x30, 0x80, 0x80, 0x80, 0x80][..],
    ] {
        assert_eq!(
            decode_slice(bytes, V3_1_1),
            Err(DecodeError::VarintTooLong),
            "{bytes:02x?}"
        );
        let mut d = StreamDecoder::new(V5, u32::MAX);
        assert_eq!(d.push(bytes), Err(DecodeError::VarintTooLong));
    }
}

#[test]
fn truncated_remaining_length_is_incomplete() {
    for bytes in [
        &[0x30][..],
        &[0x30, 0x80][..],
        &[0x30, 0xff, 0xff][..],
        &[0x30, 0xff, 0xff, 0xff][..],
    ] {
        assert_eq!(decode_slice(bytes, V3_1_1), Ok(None), "{bytes:02x?}");
        let mut buf = BytesMut::from(bytes);
        assert_eq!(decode(&mut buf, V3_1_1, u32::MAX), Ok(None));
        assert_eq!(buf.len(), bytes.len(), "nothing consumed");
    }
}

#[test]
fn subscription_identifier_boundaries() {
    for (id, n) in [
        (1u32, 1usize),
        (127, 1),
        (128, 2),
        (16_383, 2),
        (16_384, 3),
        (2_097_151, 3),
        (2_097_152, 4),
        (268_435_455, 4),
    ] {
        let p = Packet::Subscribe(Subscribe {
            pid: pid(1),
            filters: vec![SubscribeFilter {
                filter: s("a"),
                options: SubscriptionOptions::qos(QoS::AtMostOnce),
            }],
            properties: props(vec![Property::SubscriptionIdentifier(id)]),
        });
        let bytes = encode_checked(&p, V5);
        // fixed header 2, pid 2, property length 1, id byte 1, then the varint
        assert_eq!(bytes[4] as usize, 1 + n, "{id}");
        assert_eq!(decode_one(&bytes, V5), Ok(p), "{id}");
    }
}

#[test]
fn non_minimal_property_varints_are_rejected() {
    // SUBSCRIBE with Subscription Identifier 5 written as 0x85 0x00.
    let bytes = [
        0x82, 0x0a, // SUBSCRIBE, remaining length 10
        0x00, 0x01, // packet identifier 1
        0x03, // property length 3
        0x0b, 0x85, 0x00, // subscription identifier 5, non-minimal
        0x00, 0x01, b'a', 0x00, // filter "a", QoS 0
    ];
    assert_eq!(decode_slice(&bytes, V5), Err(DecodeError::NonMinimalVarint));
    // PUBLISH with property length 0 written as 0x80 0x00.
    let bytes = [
        0x30, 0x05, // PUBLISH, remaining length 5
        0x00, 0x01, b't', // topic "t"
        0x80, 0x00, // property length 0, non-minimal
    ];
    assert_eq!(decode_slice(&bytes, V5), Err(DecodeError::NonMinimalVarint));
    // Property length varint cut by the end of the packet.
    let bytes = [
        0x30, 0x04, // PUBLISH, remaining length 4
        0x00, 0x01, b't', // topic "t"
        0x80, // property length, continuation bit, then nothing
    ];
    assert!(matches!(
        decode_slice(&bytes, V5),
        Err(DecodeError::Truncated { .. })
    ));
}
