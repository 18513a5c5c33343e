//! A JSON path into a payload, the small subset devices need: `$`, `.name`, `['name']`,
//! `["name"]` and `[index]` (negative counts from the end). Parsed once when the widget is
//! configured, so a typo is reported in the editor, not on every message.

use core::fmt;

use crate::json::Json;

#[derive(Debug, Clone, PartialEq, Eq)]
enum Step {
    Key(String),
    Index(i64),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JsonPath {
    steps: Vec<Step>,
    source: String,
}

/// Where a path stops making sense, as a byte offset into it, and what was expected there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct JsonPathError {
    pub offset: usize,
    pub expected: Expected,
}

/// What a path needed at the place it went wrong; worded by the view (`describe`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expected {
    /// `$`, the start of the payload.
    Dollar,
    /// A key name after `.`.
    KeyName,
    ClosingQuote,
    CloseBracket,
    /// An index (a whole number) or a quoted key inside `[...]`.
    IndexOrKey,
    DotOrBracket,
}

impl fmt::Display for JsonPathError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = match self.expected {
            Expected::Dollar => "`$` (the start of the payload)",
            Expected::KeyName => "a key name after `.`",
            Expected::ClosingQuote => "a closing quote",
            Expected::CloseBracket => "`]`",
            Expected::IndexOrKey => "an index (a whole number) or a quoted key",
            Expected::DotOrBracket => "`.` or `[`",
        };
        write!(f, "expected {what} at position {}", self.offset + 1)
    }
}

impl fmt::Display for JsonPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.source)
    }
}

impl JsonPath {
    pub fn parse(source: &str) -> Result<Self, JsonPathError> {
        let bytes = source.as_bytes();
        let err = |offset, expected| JsonPathError { offset, expected };
        if bytes.first() != Some(&b'$') {
            return Err(err(0, Expected::Dollar));
        }
        let mut steps = Vec::new();
        let mut i = 1;
        while i < bytes.len() {
            match bytes[i] {
                b'.' => {
                    let start = i + 1;
                    let mut end = start;
                    while end < bytes.len() && bytes[end] != b'.' && bytes[end] != b'[' {
                        end += 1;
                    }
                    if end == start {
                        return Err(err(start, Expected::KeyName));
                    }
                    steps.push(Step::Key(source[start..end].to_owned()));
                    i = end;
                }
                b'[' => {
                    let start = i + 1;
                    match bytes.get(start) {
                        Some(&q @ (b'\'' | b'"')) => {
                            let key_start = start + 1;
                            let Some(len) = source[key_start..].find(q as char) else {
                                return Err(err(key_start, Expected::ClosingQuote));
                            };
                            let key_end = key_start + len;
                            if bytes.get(key_end + 1) != Some(&b']') {
                                return Err(err(key_end + 1, Expected::CloseBracket));
                            }
                            steps.push(Step::Key(source[key_start..key_end].to_owned()));
                            i = key_end + 2;
                        }
                        _ => {
                            let Some(len) = source[start..].find(']') else {
                                return Err(err(start, Expected::CloseBracket));
                            };
                            let index: i64 = source[start..start + len]
                                .trim()
                                .parse()
                                .map_err(|_| err(start, Expected::IndexOrKey))?;
                            steps.push(Step::Index(index));
                            i = start + len + 1;
                        }
                    }
                }
                _ => return Err(err(i, Expected::DotOrBracket)),
            }
        }
        Ok(Self {
            steps,
            source: source.to_owned(),
        })
    }

    pub fn find<'v>(&self, root: &'v Json) -> Option<&'v Json> {
        self.steps.iter().try_fold(root, |value, step| match step {
            Step::Key(key) => value.get(key),
            Step::Index(i) => {
                let items = value.as_array()?;
                let at = if *i < 0 {
                    items
                        .len()
                        .checked_sub(usize::try_from(i.unsigned_abs()).ok()?)?
                } else {
                    usize::try_from(*i).ok()?
                };
                items.get(at)
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json::parse;

    #[test]
    fn finds_keys_indexes_and_quoted_keys() {
        let doc = parse(r#"{"a": {"b": [10, 20, {"c d": "x"}]}, "t.z": 1}"#).unwrap();
        let get = |p: &str| JsonPath::parse(p).unwrap().find(&doc).cloned();
        assert_eq!(get("$"), Some(doc.clone()));
        assert_eq!(get("$.a.b[0]"), parse("10").ok());
        assert_eq!(get("$.a.b[-1]['c d']"), parse("\"x\"").ok());
        assert_eq!(get("$[\"t.z\"]"), parse("1").ok());
        assert_eq!(get("$.a.b[3]"), None);
        assert_eq!(get("$.a.b[-4]"), None);
        assert_eq!(get("$.a.x"), None);
        assert_eq!(get("$.a.b.c"), None, "a key into an array finds nothing");
    }

    #[test]
    fn malformed_paths_say_where() {
        let e = |p: &str| JsonPath::parse(p).unwrap_err();
        assert_eq!(e("a.b").offset, 0);
        assert_eq!(e("$.").offset, 2);
        assert_eq!(e("$.a..b").offset, 4);
        assert_eq!(e("$[x]").offset, 2);
        assert_eq!(e("$['x]").offset, 3);
        assert_eq!(e("$['x'").offset, 5);
        assert_eq!(e("$[1").offset, 2);
        assert_eq!(e("$a").offset, 1);
    }
}
