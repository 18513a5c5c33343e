//! Every first byte 0x00-0xFF, with an empty body and with a plausible one: decoding gives a
//! packet or an error the spec demands, never a panic, and exactly the first bytes the spec
//! allows are accepted.

use mqtt_codec_wasm::ProtocolVersion::{self, V3_1, V3_1_1, V5};
use mqtt_codec_wasm::{DecodeError, PacketType, StreamDecoder, decode_slice};

/// The first bytes [MQTT-2.1.3-1] and the PUBLISH rules allow, written out by hand.
fn valid_first_bytes(v: ProtocolVersion) -> Vec<u8> {
    let mut ok = vec![0x10, 0x20];
    // PUBLISH: QoS 0 without DUP, QoS 1 and 2 with or without DUP, retain either way.
    ok.extend([0x30, 0x31, 0x32, 0x33, 0x34, 0x35, 0x3a, 0x3b, 0x3c, 0x3d]);
    ok.extend([
        0x40, 0x50, 0x62, 0x70, 0x82, 0x90, 0xa2, 0xb0, 0xc0, 0xd0, 0xe0,
    ]);
    if v.is_v5() {
        ok.push(0xf0);
    }
    ok
}

/// The error the spec demands for an invalid first byte.
fn expected_error(b: u8, v: ProtocolVersion) -> DecodeError {
    let t = PacketType::from_u8(b >> 4);
    match t {
        None => DecodeError::ReservedPacketType { first_byte: b },
        Some(PacketType::Publish) if (b >> 1) & 3 == 3 => DecodeError::InvalidQoS {
            packet_type: PacketType::Publish,
            byte: b,
        },
        Some(PacketType::Publish) => DecodeError::DupAtQoS0 { first_byte: b },
        Some(PacketType::Auth) if !v.is_v5() => DecodeError::AuthBeforeV5,
        Some(t) => DecodeError::InvalidHeaderFlags {
            packet_type: t,
            flags: b & 0x0f,
        },
    }
}

/// A body that is valid for the packet type of `b` in version `v`.
fn plausible_body(b: u8, v: ProtocolVersion) -> Vec<u8> {
    let v5 = v.is_v5();
    let props: &[u8] = if v5 { &[0x00] } else { &[] };
    let mut body = Vec::new();
    match b >> 4 {
        1 => {
            body.extend([
                0x00,
                0x04,
                b'M',
                b'Q',
                b'T',
                b'T',
                v.level().max(4),
                0x02,
                0,
                60,
            ]);
            if v5 {
                body.push(0);
            }
            body.extend([0x00, 0x01, b'c']);
        }
        2 => {
            body.extend([0x00, 0x00]);
            body.extend(props);
        }
        3 => {
            body.extend([0x00, 0x01, b't']);
            if (b >> 1) & 3 != 0 {
                body.extend([0x00, 0x01]);
            }
            body.extend(props);
            body.push(b'x');
        }
        4..=7 => body.extend([0x00, 0x01]),
        8 => {
            body.extend([0x00, 0x01]);
            body.extend(props);
            body.extend([0x00, 0x01, b'a', 0x01]);
        }
        9 => {
            body.extend([0x00, 0x01]);
            body.extend(props);
            body.push(0x01);
        }
        10 => {
            body.extend([0x00, 0x01]);
            body.extend(props);
            body.extend([0x00, 0x01, b'a']);
        }
        11 => {
            body.extend([0x00, 0x01]);
            if v5 {
                body.extend([0x00, 0x00]);
            }
        }
        _ => {}
    }
    body
}

fn decode_all(b: u8, body: &[u8], v: ProtocolVersion) -> Result<PacketType, DecodeError> {
    let mut bytes = vec![b, body.len() as u8];
    bytes.extend_from_slice(body);
    let r = decode_slice(&bytes, v);
    // The stream decoder must agree, fed one byte at a time.
    let mut d = StreamDecoder::new(v, 1024);
    let mut streamed = Ok(None);
    for byte in &bytes {
        if let Err(e) = d.push(&[*byte]) {
            streamed = Err(e);
            break;
        }
    }
    if streamed.is_ok() {
        streamed = d.next_packet();
    }
    match (&r, &streamed) {
        (Ok(Some((p, n))), Ok(Some(q))) => {
            assert_eq!(*n, bytes.len());
            assert_eq!(p, q);
        }
        (Err(e), Err(f)) => assert_eq!(e, f, "first byte {b:#04x}"),
        _ => panic!("first byte {b:#04x}: one-shot {r:?} vs streamed {streamed:?}"),
    }
    r.map(|o| o.expect("complete").0.packet_type())
}

#[test]
fn every_first_byte_with_an_empty_body() {
    for v in [V3_1, V3_1_1, V5] {
        let mut accepted = Vec::new();
        for b in 0..=255u8 {
            match decode_all(b, &[], v) {
                Ok(_) => accepted.push(b),
                Err(e) => {
                    if valid_first_bytes(v).contains(&b) {
                        // A valid header whose packet needs a body: a length error.
                        assert!(
                            matches!(
                                e,
                                DecodeError::Truncated { .. }
                                    | DecodeError::UnexpectedRemainingLength { .. }
                            ),
                            "{v:?} {b:#04x}: {e:?}"
                        );
                    } else {
                        assert_eq!(e, expected_error(b, v), "{v:?} {b:#04x}");
                    }
                }
            }
        }
        let mut want = vec![0xc0, 0xd0, 0xe0];
        if v.is_v5() {
            want.push(0xf0);
        }
        assert_eq!(accepted, want, "{v:?}");
    }
}

#[test]
fn every_first_byte_with_a_plausible_body() {
    for v in [V3_1, V3_1_1, V5] {
        let mut accepted = Vec::new();
        for b in 0..=255u8 {
            match decode_all(b, &plausible_body(b, v), v) {
                Ok(t) => {
                    assert_eq!(t as u8, b >> 4);
                    accepted.push(b);
                }
                Err(e) => assert_eq!(e, expected_error(b, v), "{v:?} {b:#04x}"),
            }
        }
        assert_eq!(accepted, valid_first_bytes(v), "{v:?}");
    }
}

#[test]
fn a_bad_first_byte_is_rejected_before_the_length_arrives() {
    for v in [V3_1_1, V5] {
        for b in 0..=255u8 {
            if valid_first_bytes(v).contains(&b) {
                assert_eq!(decode_slice(&[b], v), Ok(None), "{b:#04x}");
            } else {
                assert_eq!(decode_slice(&[b], v), Err(expected_error(b, v)), "{b:#04x}");
            }
        }
    }
}
