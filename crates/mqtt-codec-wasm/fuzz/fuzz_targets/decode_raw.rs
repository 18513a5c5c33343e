//! Arbitrary bytes through every decoding entry point, in every protocol version.
//!
//! The codec parses what any peer on the network sends, so no input may panic, loop or
//! allocate without bound. Beyond "no panic", the two one-shot entry points must agree:
//! `decode` (owned buffer, consumes) and `decode_slice` (borrowed) are separate code paths
//! over the same parser, and a client may use either.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mqtt_codec_wasm::{BytesMut, ProtocolVersion, decode, decode_slice};

const VERSIONS: [ProtocolVersion; 3] = [
    ProtocolVersion::V3_1,
    ProtocolVersion::V3_1_1,
    ProtocolVersion::V5,
];

fuzz_target!(|data: &[u8]| {
    for version in VERSIONS {
        let mut rest = data;
        let mut buf = BytesMut::from(data);
        loop {
            let owned = decode(&mut buf, version, u32::MAX);
            let borrowed = decode_slice(rest, version);
            match (owned, borrowed) {
                (Ok(Some(a)), Ok(Some((b, used)))) => {
                    assert_eq!(a, b, "decode vs decode_slice");
                    assert_eq!(rest.len() - used, buf.len(), "bytes consumed");
                    rest = &rest[used..];
                }
                (Ok(None), Ok(None)) => {
                    assert_eq!(
                        buf.len(),
                        rest.len(),
                        "an incomplete packet consumes nothing"
                    );
                    break;
                }
                (Err(a), Err(b)) => {
                    assert_eq!(a, b, "decode vs decode_slice error");
                    // Errors must render (they end up in logs and the UI).
                    let _ = a.to_string();
                    break;
                }
                (a, b) => panic!("decode {a:?} vs decode_slice {b:?}"),
            }
        }
    }
});
