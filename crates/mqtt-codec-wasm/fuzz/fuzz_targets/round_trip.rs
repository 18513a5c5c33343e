//! Whatever decodes must encode, and decode again to the same packet.
//!
//! Decoding and encoding validate separately; if decoding accepts a packet that encoding
//! refuses, a client could not forward or log-and-replay what it received, and if the
//! re-encoded bytes decode differently, one of the two sides misreads the format. The bytes
//! themselves may differ (an acknowledgement may use a shorter form), the packet may not.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mqtt_codec_wasm::{BytesMut, Packet, ProtocolVersion, decode_slice, encode, encoded_len};

const VERSIONS: [ProtocolVersion; 3] = [
    ProtocolVersion::V3_1,
    ProtocolVersion::V3_1_1,
    ProtocolVersion::V5,
];

fn check(packet: &Packet, version: ProtocolVersion) {
    let mut out = BytesMut::new();
    let written = encode(packet, version, &mut out)
        .unwrap_or_else(|e| panic!("decoded but cannot encode ({e}): {packet:?}"));
    assert_eq!(written, out.len());
    assert_eq!(encoded_len(packet, version), Ok(written));
    let (again, used) = decode_slice(&out, version)
        .unwrap_or_else(|e| panic!("re-encoded bytes do not decode ({e}): {packet:?}"))
        .expect("re-encoded packet is complete");
    assert_eq!(used, out.len());
    assert_eq!(&again, packet, "bytes {:02x?}", &out[..]);
    // A second round trip is byte-stable.
    let mut twice = BytesMut::new();
    encode(&again, version, &mut twice).expect("encode again");
    assert_eq!(out, twice);
}

fuzz_target!(|data: &[u8]| {
    for version in VERSIONS {
        let mut rest = data;
        while let Ok(Some((packet, used))) = decode_slice(rest, version) {
            check(&packet, version);
            rest = &rest[used..];
        }
    }
});
