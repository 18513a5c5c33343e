//! Payload templates: what a widget publishes, with `{value}` where the value the user chose
//! goes (a slider's position, the text typed, a colour). `{value}` alone publishes the value
//! as it is; `{"brightness":{value}}` or `{"color":"{value}"}` wraps it in the JSON a device
//! expects. Pure, so the editor's check and the card's fill are the same code, tested natively.

use core::fmt;

/// The placeholder the value replaces.
pub const PLACEHOLDER: &str = "{value}";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TemplateError {
    /// No `{value}`: the widget would publish the same payload whatever the user chose.
    NoPlaceholder,
    /// `{value` without its closing brace (or a misspelt placeholder such as `{valor}`).
    Unclosed,
    /// It starts as JSON (`{` or `[`) but is not JSON once a value is filled in.
    NotJson,
}

impl fmt::Display for TemplateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::NoPlaceholder => "has no {value}",
            Self::Unclosed => "a placeholder is not {value}",
            Self::NotJson => "not valid JSON once {value} is filled in",
        })
    }
}

/// Whether the template is meant as JSON: then a filled-in value is escaped as JSON string
/// content, and the template must parse once filled.
fn is_json(template: &str) -> bool {
    let start = template.trim_start();
    matches!(start.as_bytes().first(), Some(b'{' | b'[')) && !start.starts_with(PLACEHOLDER)
}

/// Why `template` cannot be published through, if it cannot.
///
/// A `{` that starts an identifier-like word (`{value`, `{valor}`, `{value ]`) must be exactly
/// `{value}`: a brace before a letter is never JSON, so it can only be a broken placeholder.
pub fn check(template: &str) -> Result<(), TemplateError> {
    let mut rest = template;
    while let Some(i) = rest.find('{') {
        let after = &rest[i + 1..];
        if after.starts_with(|c: char| c.is_ascii_alphabetic()) && !after.starts_with("value}") {
            return Err(TemplateError::Unclosed);
        }
        rest = after;
    }
    if !template.contains(PLACEHOLDER) {
        return Err(TemplateError::NoPlaceholder);
    }
    if is_json(template) && crate::json::parse(&fill(template, "0")).is_err() {
        return Err(TemplateError::NotJson);
    }
    Ok(())
}

/// The payload for `value`. In a JSON template the value is escaped as string content, so
/// typed text with a quote in it stays inside its string.
pub fn fill(template: &str, value: &str) -> String {
    if !is_json(template) {
        return template.replace(PLACEHOLDER, value);
    }
    let mut quoted = String::new();
    crate::config::json_string(&mut quoted, value);
    template.replace(PLACEHOLDER, &quoted[1..quoted.len() - 1])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_and_json_templates_are_filled() {
        assert_eq!(fill("{value}", "42"), "42");
        assert_eq!(fill("set {value} %", "42"), "set 42 %");
        assert_eq!(
            fill(r#"{"brightness":{value}}"#, "42"),
            r#"{"brightness":42}"#
        );
        assert_eq!(
            fill(r#"{"text":"{value}"}"#, r#"say "hi"\"#),
            r#"{"text":"say \"hi\"\\"}"#,
            "a quote in typed text stays inside its JSON string"
        );
        assert_eq!(
            fill(r#"say "{value}""#, "a\"b"),
            "say \"a\"b\"",
            "not JSON: as typed"
        );
        assert_eq!(fill("{value}{value}", "1"), "11");
    }

    #[test]
    fn broken_templates_are_refused_with_their_reason() {
        assert_eq!(check("{value}"), Ok(()));
        assert_eq!(check(r#"{"state":"{value}"}"#), Ok(()));
        assert_eq!(check(r#"{"brightness":{value}}"#), Ok(()));
        assert_eq!(check("[{value}, 1]"), Ok(()));
        assert_eq!(
            check("{value} lux"),
            Ok(()),
            "a plain template starting with {{value}}"
        );
        assert_eq!(check("on"), Err(TemplateError::NoPlaceholder));
        assert_eq!(check(""), Err(TemplateError::NoPlaceholder));
        assert_eq!(check("{value"), Err(TemplateError::Unclosed));
        assert_eq!(check(r#"{"state":"{value"}"#), Err(TemplateError::Unclosed));
        assert_eq!(check("{valor}"), Err(TemplateError::Unclosed));
        assert_eq!(check(r#"{"state":"{value}""#), Err(TemplateError::NotJson));
        assert_eq!(check(r#"{"state":{value}"#), Err(TemplateError::NotJson));
        assert_eq!(check(r#"{"state": "{value}"} "#), Ok(()));
    }
}
