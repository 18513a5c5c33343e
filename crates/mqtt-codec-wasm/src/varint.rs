//! Variable Byte Integers (5.0 section 1.5.5, 3.1.1 section 2.2.3).
//!
//! Used for the Remaining Length of every packet and, in 5.0, for property lengths and the
//! Subscription Identifier.
//!
//! Policy on non-minimal encodings (e.g. `0x80 0x00` for 0): they are rejected in every
//! version. 5.0 says the encoded value "MUST use the minimum number of bytes necessary to
//! represent the value" [MQTT-1.5.5-1]. 3.1.1 has no such sentence, but its only encoding
//! algorithm produces the minimal form, and accepting a second spelling of the same length
//! would let two peers disagree on where a packet ends, so one rule serves all versions.

use bytes::{BufMut, BytesMut};

/// The largest value four bytes can carry (5.0 section 1.5.5).
pub(crate) const MAX: u32 = 268_435_455;

/// Why a Variable Byte Integer could not be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum VarintError {
    /// The input ended with the continuation bit set on the last byte.
    Incomplete,
    /// The fourth byte still had its continuation bit set.
    TooLong,
    /// More bytes than the value needs [MQTT-1.5.5-1].
    NonMinimal,
}

/// Reads a Variable Byte Integer from the front of `buf`: the value and the bytes it took.
///
/// The fourth byte decides, so a hostile stream is rejected after at most four bytes instead
/// of being waited on.
#[inline]
pub(crate) fn read(buf: &[u8]) -> Result<(u32, usize), VarintError> {
    // The one-byte case is by far the most common: small packets and most properties.
    match buf.first() {
        None => return Err(VarintError::Incomplete),
        Some(&b) if b & 0x80 == 0 => return Ok((u32::from(b), 1)),
        Some(_) => {}
    }
    let mut value: u32 = 0;
    let mut shift = 0;
    for i in 0..4 {
        let Some(&b) = buf.get(i) else {
            return Err(VarintError::Incomplete);
        };
        value |= u32::from(b & 0x7f) << shift;
        if b & 0x80 == 0 {
            // A final byte of zero after others adds nothing: a longer spelling than needed.
            if b == 0 && i > 0 {
                return Err(VarintError::NonMinimal);
            }
            return Ok((value, i + 1));
        }
        shift += 7;
    }
    Err(VarintError::TooLong)
}

/// How many bytes `value` takes on the wire. Callers keep `value <= MAX`.
#[inline]
pub(crate) const fn len(value: u32) -> usize {
    if value < 128 {
        1
    } else if value < 16_384 {
        2
    } else if value < 2_097_152 {
        3
    } else {
        4
    }
}

/// Appends the minimal encoding of `value` (callers keep `value <= MAX`).
#[inline]
pub(crate) fn put(out: &mut BytesMut, mut value: u32) {
    debug_assert!(value <= MAX);
    loop {
        let byte = (value & 0x7f) as u8;
        value >>= 7;
        if value == 0 {
            out.put_u8(byte);
            return;
        }
        out.put_u8(byte | 0x80);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_boundaries() {
        for (v, n) in [
            (0, 1),
            (127, 1),
            (128, 2),
            (16_383, 2),
            (16_384, 3),
            (2_097_151, 3),
            (2_097_152, 4),
            (MAX, 4),
        ] {
            let mut b = BytesMut::new();
            put(&mut b, v);
            assert_eq!(b.len(), n);
            assert_eq!(len(v), n);
            assert_eq!(read(&b), Ok((v, n)));
        }
    }

    #[test]
    fn rejects() {
        assert_eq!(read(&[0x80, 0x00]), Err(VarintError::NonMinimal));
        assert_eq!(read(&[0xff, 0xff, 0xff, 0x80]), Err(VarintError::TooLong));
        assert_eq!(read(&[0xff, 0xff]), Err(VarintError::Incomplete));
        assert_eq!(read(&[]), Err(VarintError::Incomplete));
    }
}
