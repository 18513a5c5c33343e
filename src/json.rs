//! JSON text read into a tree: payloads read through a JSON path, and configuration files.
//!
//! A reader of its own instead of `serde_json::Value`: the page needs no more than a strict
//! RFC 8259 parser and the tree, and serde_json's deserializer, its `Value` and its map cost
//! ≈17 KB gzip of the first load (measured by removal: docs/BENCHMARKS.md). The rules are
//! serde_json's: the whole text is one value, nesting is at most 128 deep (deeper is an
//! error, never a stack overflow), a string's escapes are checked (a lone surrogate is an
//! error), a duplicate key's last value wins. Numbers keep their text: what a number means
//! (whole, in range, rounded once to a float) is decided where it is read.

use std::fmt;

/// One JSON value. An object keeps its members in document order.
#[derive(Debug, Clone, PartialEq)]
pub enum Json {
    Null,
    Bool(bool),
    /// The number as written (`-1.50e3`), checked against JSON's grammar.
    Number(String),
    String(String),
    Array(Vec<Json>),
    Object(Vec<(String, Json)>),
}

/// Where a text stops being JSON: 1-based line and column (in characters).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct JsonError {
    pub line: usize,
    pub column: usize,
}

/// serde_json's recursion limit.
const MAX_DEPTH: usize = 128;

/// Parses `text`, which must hold exactly one JSON value (with whitespace around it).
pub fn parse(text: &str) -> Result<Json, JsonError> {
    let mut p = Parser {
        bytes: text.as_bytes(),
        at: 0,
        depth: 0,
    };
    let value = p.value().and_then(|v| {
        p.skip_space();
        if p.at == p.bytes.len() {
            Ok(v)
        } else {
            Err(())
        }
    });
    value.map_err(|()| {
        // The reader may stop inside a character (the byte after a `\` is not an escape):
        // the error is at the character's start.
        let mut at = p.at.min(text.len());
        while !text.is_char_boundary(at) {
            at -= 1;
        }
        let before = &text[..at];
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        JsonError {
            line: before.matches('\n').count() + 1,
            column: before[line_start..].chars().count() + 1,
        }
    })
}

struct Parser<'a> {
    bytes: &'a [u8],
    at: usize,
    depth: usize,
}

type Step<T> = Result<T, ()>;

impl Parser<'_> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.at).copied()
    }

    fn skip_space(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.peek() {
            self.at += 1;
        }
    }

    fn eat(&mut self, byte: u8) -> bool {
        let here = self.peek() == Some(byte);
        if here {
            self.at += 1;
        }
        here
    }

    fn literal(&mut self, word: &[u8], value: Json) -> Step<Json> {
        if self.bytes[self.at..].starts_with(word) {
            self.at += word.len();
            Ok(value)
        } else {
            Err(())
        }
    }

    fn value(&mut self) -> Step<Json> {
        self.skip_space();
        match self.peek().ok_or(())? {
            b'n' => self.literal(b"null", Json::Null),
            b't' => self.literal(b"true", Json::Bool(true)),
            b'f' => self.literal(b"false", Json::Bool(false)),
            b'"' => self.string().map(Json::String),
            b'[' | b'{' => {
                self.depth += 1;
                if self.depth > MAX_DEPTH {
                    return Err(());
                }
                let v = if self.peek() == Some(b'[') {
                    self.array()
                } else {
                    self.object()
                };
                self.depth -= 1;
                v
            }
            _ => self.number(),
        }
    }

    fn array(&mut self) -> Step<Json> {
        self.at += 1;
        let mut items = Vec::new();
        self.skip_space();
        if self.eat(b']') {
            return Ok(Json::Array(items));
        }
        loop {
            items.push(self.value()?);
            self.skip_space();
            if self.eat(b']') {
                return Ok(Json::Array(items));
            }
            if !self.eat(b',') {
                return Err(());
            }
        }
    }

    fn object(&mut self) -> Step<Json> {
        self.at += 1;
        let mut members = Vec::new();
        self.skip_space();
        if self.eat(b'}') {
            return Ok(Json::Object(members));
        }
        loop {
            self.skip_space();
            if self.peek() != Some(b'"') {
                return Err(());
            }
            let key = self.string()?;
            self.skip_space();
            if !self.eat(b':') {
                return Err(());
            }
            members.push((key, self.value()?));
            self.skip_space();
            if self.eat(b'}') {
                return Ok(Json::Object(members));
            }
            if !self.eat(b',') {
                return Err(());
            }
        }
    }

    fn digits(&mut self) -> usize {
        let start = self.at;
        while self.peek().is_some_and(|b| b.is_ascii_digit()) {
            self.at += 1;
        }
        self.at - start
    }

    fn number(&mut self) -> Step<Json> {
        let start = self.at;
        self.eat(b'-');
        match self.peek() {
            Some(b'0') => self.at += 1,
            Some(b'1'..=b'9') => {
                self.digits();
            }
            _ => return Err(()),
        }
        if self.eat(b'.') && self.digits() == 0 {
            return Err(());
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.at += 1;
            if !self.eat(b'+') {
                self.eat(b'-');
            }
            if self.digits() == 0 {
                return Err(());
            }
        }
        // Only ASCII was consumed, so the slice is whole characters.
        let text = core::str::from_utf8(&self.bytes[start..self.at]).map_err(|_| ())?;
        Ok(Json::Number(text.to_owned()))
    }

    fn hex4(&mut self) -> Step<u32> {
        let digits = self.bytes.get(self.at..self.at + 4).ok_or(())?;
        let mut n = 0;
        for &d in digits {
            n = n * 16 + char::from(d).to_digit(16).ok_or(())?;
        }
        self.at += 4;
        Ok(n)
    }

    fn string(&mut self) -> Step<String> {
        self.at += 1;
        let mut out = String::new();
        loop {
            // A run of plain characters is copied at once.
            let start = self.at;
            while let Some(b) = self.peek()
                && b != b'"'
                && b != b'\\'
                && b >= 0x20
            {
                self.at += 1;
            }
            // The input is a `str` and the run stops only at ASCII: whole characters.
            out.push_str(core::str::from_utf8(&self.bytes[start..self.at]).map_err(|_| ())?);
            match self.peek().ok_or(())? {
                b'"' => {
                    self.at += 1;
                    return Ok(out);
                }
                b'\\' => {
                    self.at += 1;
                    let escaped = self.peek().ok_or(())?;
                    self.at += 1;
                    let c = match escaped {
                        b'"' => '"',
                        b'\\' => '\\',
                        b'/' => '/',
                        b'b' => '\u{8}',
                        b'f' => '\u{c}',
                        b'n' => '\n',
                        b'r' => '\r',
                        b't' => '\t',
                        b'u' => {
                            let first = self.hex4()?;
                            let code = if (0xD800..0xDC00).contains(&first) {
                                if !(self.eat(b'\\') && self.eat(b'u')) {
                                    return Err(());
                                }
                                let second = self.hex4()?;
                                if !(0xDC00..0xE000).contains(&second) {
                                    return Err(());
                                }
                                0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00)
                            } else {
                                first
                            };
                            char::from_u32(code).ok_or(())?
                        }
                        _ => return Err(()),
                    };
                    out.push(c);
                }
                // A control character must be escaped.
                _ => return Err(()),
            }
        }
    }
}

impl Json {
    /// The value of `key` in an object (the last, if the key is there twice).
    pub fn get(&self, key: &str) -> Option<&Json> {
        self.as_object()?
            .iter()
            .rev()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v)
    }

    pub fn as_object(&self) -> Option<&[(String, Json)]> {
        match self {
            Self::Object(members) => Some(members),
            _ => None,
        }
    }

    pub fn as_array(&self) -> Option<&[Json]> {
        match self {
            Self::Array(items) => Some(items),
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Self::String(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Self::Bool(b) => Some(*b),
            _ => None,
        }
    }

    /// A number's text as written.
    pub fn as_number(&self) -> Option<&str> {
        match self {
            Self::Number(n) => Some(n),
            _ => None,
        }
    }

    /// A number written as a whole, non-negative integer that fits a `u64` (`3`, not `3.0`
    /// or `3e0`).
    pub fn as_u64(&self) -> Option<u64> {
        self.as_number()?.parse().ok()
    }

    pub fn is_null(&self) -> bool {
        matches!(self, Self::Null)
    }
}

/// Compact JSON (what a widget shows for an object or array at its path), members in
/// document order.
impl fmt::Display for Json {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Null => f.write_str("null"),
            Self::Bool(b) => f.write_str(if *b { "true" } else { "false" }),
            Self::Number(n) => f.write_str(n),
            Self::String(s) => write_string(f, s),
            Self::Array(items) => {
                f.write_str("[")?;
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        f.write_str(",")?;
                    }
                    item.fmt(f)?;
                }
                f.write_str("]")
            }
            Self::Object(members) => {
                f.write_str("{")?;
                for (i, (key, value)) in members.iter().enumerate() {
                    if i > 0 {
                        f.write_str(",")?;
                    }
                    write_string(f, key)?;
                    f.write_str(":")?;
                    value.fmt(f)?;
                }
                f.write_str("}")
            }
        }
    }
}

/// A string literal, escaped as serde_json escapes it.
fn write_string(f: &mut fmt::Formatter<'_>, s: &str) -> fmt::Result {
    f.write_str("\"")?;
    let mut plain = 0;
    for (i, c) in s.char_indices() {
        let escape = match c {
            '"' => "\\\"",
            '\\' => "\\\\",
            '\n' => "\\n",
            '\r' => "\\r",
            '\t' => "\\t",
            '\u{8}' => "\\b",
            '\u{c}' => "\\f",
            c if u32::from(c) < 0x20 => "",
            _ => continue,
        };
        f.write_str(&s[plain..i])?;
        if escape.is_empty() {
            const HEX: &[u8; 16] = b"0123456789abcdef";
            let n = u32::from(c) as usize;
            f.write_str("\\u00")?;
            f.write_str(&String::from_utf8_lossy(&[HEX[n >> 4], HEX[n & 15]]))?;
        } else {
            f.write_str(escape)?;
        }
        plain = i + c.len_utf8();
    }
    f.write_str(&s[plain..])?;
    f.write_str("\"")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// serde_json (a dev-dependency) is the reference: the same texts are JSON or not, and
    /// give the same tree.
    fn same_as_serde(text: &str) {
        let ours = parse(text);
        let theirs: Result<serde_json::Value, _> = serde_json::from_str(text);
        match (&ours, &theirs) {
            (Ok(a), Ok(b)) => assert_eq!(to_serde(a), *b, "{text:?}"),
            (Err(_), Err(_)) => {}
            _ => panic!("{text:?}: ours {ours:?}, serde_json {theirs:?}"),
        }
    }

    fn to_serde(v: &Json) -> serde_json::Value {
        use serde_json::Value as V;
        match v {
            Json::Null => V::Null,
            Json::Bool(b) => V::Bool(*b),
            Json::Number(n) => serde_json::from_str(n).unwrap(),
            Json::String(s) => V::String(s.clone()),
            Json::Array(items) => V::Array(items.iter().map(to_serde).collect()),
            Json::Object(members) => V::Object(
                members
                    .iter()
                    .map(|(k, v)| (k.clone(), to_serde(v)))
                    .collect(),
            ),
        }
    }

    #[test]
    fn agrees_with_serde_json() {
        for text in [
            "null",
            "true",
            "false",
            " 0 ",
            "-0",
            "12",
            "-1.5e3",
            "1E+2",
            "0.25",
            "1e-7",
            "\"\"",
            "\"a\\\"b\\\\c\\/d\\b\\f\\n\\r\\t\"",
            "\"\\u00e9\\u20AC\"",
            "\"\\ud83d\\ude00\"",
            "\"ñandú 😀\"",
            "[]",
            "[1,[2,[3]]]",
            "{}",
            "{\"a\":1,\"b\":[true,null],\"c\":{\"d\":\"e\"}}",
            "{\"a\":1,\"a\":2}",
            " \t\r\n[ 1 , 2 ]\n",
            // Not JSON.
            "",
            " ",
            "nul",
            "truex",
            "01",
            "-",
            "1.",
            ".5",
            "1e",
            "1e+",
            "+1",
            "0x10",
            "\"abc",
            "\"a\nb\"",
            "\"\\x\"",
            "\"\\u12\"",
            "\"\\ud83d\"",
            "\"\\ud83dx\"",
            "\"\\ude00\"",
            "\"\\ud83d\\u0041\"",
            "[1,]",
            "[1 2]",
            "{\"a\"}",
            "{\"a\":}",
            "{a:1}",
            "{\"a\":1,}",
            "[",
            "{",
            "]",
            "1 2",
            "NaN",
            "Infinity",
            "'a'",
        ] {
            same_as_serde(text);
        }
    }

    #[test]
    fn nesting_is_bounded_not_a_stack_overflow() {
        let ok = format!("{}{}", "[".repeat(128), "]".repeat(128));
        assert!(parse(&ok).is_ok());
        let deep = format!("{}{}", "[".repeat(129), "]".repeat(129));
        assert!(parse(&deep).is_err());
        assert!(parse(&"[".repeat(1_000_000)).is_err());
        assert!(parse(&"{\"a\":".repeat(100_000)).is_err());
    }

    #[test]
    fn errors_say_where() {
        assert_eq!(
            parse("{\"version\": 1,\n \"connections\": [").unwrap_err(),
            JsonError {
                line: 2,
                column: 18
            }
        );
        assert_eq!(
            parse("[1, x]").unwrap_err(),
            JsonError { line: 1, column: 5 }
        );
        assert_eq!(
            parse("\"é\" x").unwrap_err(),
            JsonError { line: 1, column: 5 }
        );
        // Found by the json_reader fuzz target: a bad escape whose byte starts a multi-byte
        // character stopped the reader inside it.
        assert_eq!(
            parse("{\"a\":\"a\\ˡ\"}").unwrap_err(),
            JsonError { line: 1, column: 9 }
        );
    }

    #[test]
    fn numbers_keep_their_text_and_read_whole() {
        let n = parse("[3, 3.0, 3e0, -3, 18446744073709551616, 1.50]").unwrap();
        let items = n.as_array().unwrap();
        let whole: Vec<_> = items.iter().map(Json::as_u64).collect();
        assert_eq!(whole, [Some(3), None, None, None, None, None]);
        assert_eq!(items[5].as_number(), Some("1.50"));
    }

    #[test]
    fn accessors_and_the_last_duplicate_key() {
        let v = parse(r#"{"a":"x","b":true,"a":"y","n":null}"#).unwrap();
        assert_eq!(v.get("a").and_then(Json::as_str), Some("y"));
        assert_eq!(v.get("b").and_then(Json::as_bool), Some(true));
        assert!(v.get("n").is_some_and(Json::is_null));
        assert_eq!(v.get("z"), None);
        assert_eq!(parse("[1]").unwrap().get("a"), None);
    }

    #[test]
    fn prints_compact_json_that_reads_back() {
        let text = r#"{"b":[1,-2.5e3,true,null],"a":"q\"\\\n\t\u0001é😀","c":{}}"#;
        let v = parse(text).unwrap();
        assert_eq!(v.to_string(), text);
        assert_eq!(parse(&v.to_string()).unwrap(), v);
        let theirs: serde_json::Value = serde_json::from_str(&v.to_string()).unwrap();
        assert_eq!(to_serde(&v), theirs);
    }
}
