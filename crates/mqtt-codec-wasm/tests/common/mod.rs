//! Helpers shared by the codec's test files.
#![allow(dead_code)]

use mqtt_codec_wasm::{
    Bytes, BytesMut, DecodeError, Packet, Pid, Properties, Property, ProtocolVersion,
    StreamDecoder, decode, decode_slice, encode, encoded_len,
};

pub fn pid(n: u16) -> Pid {
    Pid::new(n).expect("non-zero packet identifier")
}

pub fn s(v: &str) -> String {
    v.to_owned()
}

pub fn b(v: &[u8]) -> Bytes {
    Bytes::copy_from_slice(v)
}

pub fn props(list: Vec<Property>) -> Properties {
    Properties(list)
}

pub fn none() -> Properties {
    Properties::default()
}

pub fn user(k: &str, v: &str) -> Property {
    Property::UserProperty(s(k), s(v))
}

/// Drains every complete packet from a stream decoder.
pub fn drain(d: &mut StreamDecoder) -> Result<Vec<Packet>, DecodeError> {
    let mut out = Vec::new();
    while let Some(p) = d.next_packet()? {
        out.push(p);
    }
    Ok(out)
}

/// Feeds `bytes` to a fresh stream decoder in the given chunks and returns every packet.
pub fn stream_chunks(
    version: ProtocolVersion,
    bytes: &[u8],
    cuts: &[usize],
) -> Result<Vec<Packet>, DecodeError> {
    let mut d = StreamDecoder::new(version, u32::MAX);
    let mut out = Vec::new();
    let mut at = 0;
    for &cut in cuts.iter().chain(core::iter::once(&bytes.len())) {
        let cut = cut.clamp(at, bytes.len());
        d.push(&bytes[at..cut])?;
        out.extend(drain(&mut d)?);
        at = cut;
    }
    assert_eq!(d.buffered_len(), 0, "bytes left over after the last packet");
    Ok(out)
}

/// Encodes and checks that `encoded_len` and the returned count agree with the bytes.
pub fn encode_checked(packet: &Packet, version: ProtocolVersion) -> Vec<u8> {
    let mut out = BytesMut::from(&b"prefix"[..]);
    let n = encode(packet, version, &mut out).expect("encodes");
    assert_eq!(n, out.len() - 6, "encode's count");
    assert_eq!(encoded_len(packet, version), Ok(n), "encoded_len");
    assert_eq!(&out[..6], b"prefix", "encode appends");
    out[6..].to_vec()
}

/// Decodes exactly one packet that fills `bytes`, with both entry points.
pub fn decode_one(bytes: &[u8], version: ProtocolVersion) -> Result<Packet, DecodeError> {
    let slice = decode_slice(bytes, version)?;
    let mut buf = BytesMut::from(bytes);
    let owned = decode(&mut buf, version, u32::MAX)?;
    let (p, n) = slice.expect("complete packet");
    assert_eq!(n, bytes.len(), "decode_slice consumed");
    assert!(buf.is_empty(), "decode consumed everything");
    assert_eq!(owned.as_ref(), Some(&p), "decode and decode_slice agree");
    Ok(p)
}
