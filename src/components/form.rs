//! What the editors share: reading numbers typed as text, translating validation problems,
//! and field views that bind a label, an input and the input's problems together.
//!
//! The pure half (parsing, [`field_error_text`], [`Parser`]) is tested natively; the view
//! half only renders. Every user-provided string is rendered as a text node.

use std::sync::atomic::{AtomicU32, Ordering};

use leptos::prelude::*;
use mqtt_codec_wasm::topic::TopicError;

use crate::config::{FieldError, Problem, Qos};
use crate::i18n::{Lang, Text, t};

/// Why an input does not make a valid widget or connection: a rule of the configuration, or
/// text that does not read as the number the field needs.
#[derive(Debug, Clone, PartialEq)]
pub enum FormError {
    Field(FieldError),
    NotANumber,
    NotAWholeNumber { min: u64, max: u64 },
}

/// One problem at one input, named by its field path (`binding.topic`, `bands[1].color`).
#[derive(Debug, Clone, PartialEq)]
pub struct FormProblem {
    pub field: String,
    pub error: FormError,
}

/// Fills each `{}` of a translated template with the next argument.
pub fn fill(template: &str, args: &[&str]) -> String {
    let mut out = String::with_capacity(template.len() + 16);
    let mut rest = template;
    let mut args = args.iter();
    while let Some(at) = rest.find("{}") {
        out.push_str(&rest[..at]);
        out.push_str(args.next().copied().unwrap_or(""));
        rest = &rest[at + 2..];
    }
    out.push_str(rest);
    out
}

/// A number as people write it in each language: `21,5` in Spanish, `21.5` in English.
pub fn format_number(value: f64, lang: Lang) -> String {
    let text = value.to_string();
    match lang {
        Lang::Es => text.replace('.', ","),
        Lang::En => text,
    }
}

/// Reads a decimal number typed into a form: surrounding spaces are ignored and a decimal
/// comma is accepted (`21,5` is 21.5, as a Spanish keyboard types it). Thousands separators,
/// `inf`, `NaN` and anything else that is not plainly a finite number are refused, so that a
/// typo becomes a visible problem instead of a silent 0.
pub fn parse_number(text: &str) -> Option<f64> {
    let text = text.trim();
    if text.is_empty()
        || !text
            .bytes()
            .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b',' | b'-' | b'+' | b'e' | b'E'))
    {
        return None;
    }
    let commas = text.matches(',').count();
    if commas > 1 || (commas == 1 && text.contains('.')) {
        return None;
    }
    let normalized = text.replace(',', ".");
    // Rust accepts "1." and ".5"; people do too, but not a bare sign or separator.
    if !normalized.bytes().any(|b| b.is_ascii_digit()) {
        return None;
    }
    normalized.parse::<f64>().ok().filter(|v| v.is_finite())
}

/// Reads a whole number (no sign, no decimals) typed into a form.
pub fn parse_whole(text: &str) -> Option<u64> {
    let text = text.trim();
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

/// Collects the problems of reading a draft's text fields while the candidate is built.
/// A field that does not read takes a fallback value, and the validator's problems about that
/// field are dropped in [`Parser::finish`]: the user sees "not a number", not a second,
/// misleading message about the fallback.
#[derive(Debug, Default)]
pub struct Parser {
    pub problems: Vec<FormProblem>,
}

impl Parser {
    fn fail(&mut self, field: &str, error: FormError) {
        self.problems.push(FormProblem {
            field: field.to_owned(),
            error,
        });
    }

    pub fn number(&mut self, field: &str, text: &str, fallback: f64) -> f64 {
        parse_number(text).unwrap_or_else(|| {
            self.fail(field, FormError::NotANumber);
            fallback
        })
    }

    /// An empty input means "none" (a chart's automatic range).
    pub fn optional_number(&mut self, field: &str, text: &str) -> Option<f64> {
        if text.trim().is_empty() {
            None
        } else {
            Some(self.number(field, text, 0.0))
        }
    }

    /// A whole number of type `T`; `shown` is the range the message names (the rule's range,
    /// which may be narrower than the type's).
    pub fn whole<T: TryFrom<u64>>(
        &mut self,
        field: &str,
        text: &str,
        fallback: T,
        shown: (u64, u64),
    ) -> T {
        match parse_whole(text).and_then(|v| T::try_from(v).ok()) {
            Some(v) => v,
            None => {
                self.fail(
                    field,
                    FormError::NotAWholeNumber {
                        min: shown.0,
                        max: shown.1,
                    },
                );
                fallback
            }
        }
    }

    pub fn optional_whole<T: TryFrom<u64>>(
        &mut self,
        field: &str,
        text: &str,
        shown: (u64, u64),
    ) -> Option<T> {
        if text.trim().is_empty() {
            return None;
        }
        match parse_whole(text).and_then(|v| T::try_from(v).ok()) {
            Some(v) => Some(v),
            None => {
                self.fail(
                    field,
                    FormError::NotAWholeNumber {
                        min: shown.0,
                        max: shown.1,
                    },
                );
                None
            }
        }
    }

    /// The reading problems followed by the validator's, minus those about fields that did
    /// not read.
    pub fn finish(self, validated: Vec<Problem>) -> Vec<FormProblem> {
        let mut out = self.problems;
        for p in validated {
            if !out.iter().any(|q| q.field == p.field) {
                out.push(FormProblem {
                    field: p.field,
                    error: FormError::Field(p.error),
                });
            }
        }
        out
    }
}

/// The sentence a validation problem shows under its input, in `lang`. The details of a
/// topic or JSON path error come from the parsers, in English, inside the translated sentence.
pub fn field_error_text(error: &FieldError, lang: Lang) -> String {
    let n = |v: f64| format_number(v, lang);
    match error {
        FieldError::Empty => t(lang, Text::ErrEmpty).to_owned(),
        FieldError::TooLong { max } => fill(t(lang, Text::ErrTooLong), &[&max.to_string()]),
        FieldError::BadId => t(lang, Text::ErrBadId).to_owned(),
        FieldError::DuplicateId(id) => fill(t(lang, Text::ErrDuplicateId), &[id]),
        FieldError::UnknownConnection(id) => fill(t(lang, Text::ErrUnknownConnection), &[id]),
        FieldError::TopicName(why) | FieldError::TopicFilter(why)
            if *why == TopicError::Empty.to_string() =>
        {
            t(lang, Text::ErrTopicEmpty).to_owned()
        }
        FieldError::TopicName(why) => fill(t(lang, Text::ErrTopicName), &[why]),
        FieldError::TopicFilter(why) => fill(t(lang, Text::ErrTopicFilter), &[why]),
        FieldError::JsonPath(why) => fill(t(lang, Text::ErrJsonPath), &[why]),
        FieldError::OutOfRange { min, max } => {
            fill(t(lang, Text::ErrOutOfRange), &[&n(*min), &n(*max)])
        }
        FieldError::MinNotBelowMax => t(lang, Text::ErrMinNotBelowMax).to_owned(),
        FieldError::NotFinite => t(lang, Text::ErrNotFinite).to_owned(),
        FieldError::BadColor => t(lang, Text::ErrBadColor).to_owned(),
        FieldError::TooMany { max } => fill(t(lang, Text::ErrTooMany), &[&max.to_string()]),
        FieldError::BadHost => t(lang, Text::ErrBadHost).to_owned(),
        FieldError::BadPath => t(lang, Text::ErrBadPath).to_owned(),
    }
}

/// [`field_error_text`], and the reading errors of the form itself.
pub fn form_error_text(error: &FormError, lang: Lang) -> String {
    match error {
        FormError::Field(e) => field_error_text(e, lang),
        FormError::NotANumber => t(lang, Text::ErrNotANumber).to_owned(),
        FormError::NotAWholeNumber { min, max } => fill(
            t(lang, Text::ErrNotAWholeNumber),
            &[&min.to_string(), &max.to_string()],
        ),
    }
}

/// A field path made safe for an element id: `series[0].binding.topic` → `series-0-binding-topic`.
pub fn id_part(field: &str) -> String {
    let mut out = String::with_capacity(field.len());
    for c in field.chars() {
        if c.is_ascii_alphanumeric() || c == '_' {
            out.push(c);
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_owned()
}

/// Letters and digits for random ids and topic prefixes, from a source of uniform `[0, 1)`
/// numbers (`Math.random` in the page, a fixed sequence in tests).
pub fn random_chars(n: usize, mut random: impl FnMut() -> f64) -> String {
    const ALPHABET: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789";
    (0..n)
        .map(|_| {
            let i = (random() * ALPHABET.len() as f64) as usize;
            char::from(ALPHABET[i.min(ALPHABET.len() - 1)])
        })
        .collect()
}

/// `Math.random` in the page; natively (tests never get here) a fixed value.
pub fn browser_random() -> f64 {
    #[cfg(target_arch = "wasm32")]
    {
        js_sys::Math::random()
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        0.5
    }
}

pub fn qos_value(q: Qos) -> &'static str {
    match q {
        Qos::AtMostOnce => "0",
        Qos::AtLeastOnce => "1",
        Qos::ExactlyOnce => "2",
    }
}

pub fn qos_from_value(v: &str) -> Qos {
    match v {
        "1" => Qos::AtLeastOnce,
        "2" => Qos::ExactlyOnce,
        _ => Qos::AtMostOnce,
    }
}

// ---------------------------------------------------------------------------------------
// Views.

static NEXT_INSTANCE: AtomicU32 = AtomicU32::new(1);

/// What every field of one form instance shares: the id prefix that keeps its ids unique
/// on a page with several forms, the language, and the current problems.
#[derive(Clone, Copy)]
pub struct FormCtx {
    prefix: &'static str,
    instance: u32,
    pub lang: Signal<Lang>,
    pub problems: Memo<Vec<FormProblem>>,
}

impl FormCtx {
    pub fn new(prefix: &'static str, lang: Signal<Lang>, problems: Memo<Vec<FormProblem>>) -> Self {
        Self {
            prefix,
            instance: NEXT_INSTANCE.fetch_add(1, Ordering::Relaxed),
            lang,
            problems,
        }
    }

    /// The element id of the input for `field`, unique to this form instance.
    pub fn id(&self, field: &str) -> String {
        format!("{}{}-{}", self.prefix, self.instance, id_part(field))
    }

    pub fn t(self, key: Text) -> impl Fn() -> &'static str + Send + Sync + Copy + 'static {
        let lang = self.lang;
        move || t(lang.get(), key)
    }

    pub fn has_problem(&self, field: &str) -> bool {
        self.problems.with(|ps| ps.iter().any(|p| p.field == field))
    }
}

/// The language of the app when it provides its state; Spanish otherwise.
pub fn current_lang() -> Signal<Lang> {
    match use_context::<crate::state::AppState>() {
        Some(state) => state.lang.into(),
        None => Signal::stored(Lang::Es),
    }
}

/// A field path that may change while the view lives (rows renumber when one is removed).
pub type FieldName = std::sync::Arc<dyn Fn() -> String + Send + Sync>;

pub fn fixed(field: &str) -> FieldName {
    let field = field.to_owned();
    std::sync::Arc::new(move || field.clone())
}

/// The problems of one field, each as `<p class="field-error" data-field=...>`.
pub fn field_errors(ctx: FormCtx, field: FieldName) -> impl IntoView {
    // This field's problems only, so that a change elsewhere in the form neither rebuilds
    // nor re-announces these messages.
    let mine = Memo::new(move |_| {
        let name = field();
        let errors: Vec<FormError> = ctx.problems.with(|ps| {
            ps.iter()
                .filter(|p| p.field == name)
                .map(|p| p.error.clone())
                .collect()
        });
        (name, errors)
    });
    let id = move || mine.with(|(name, _)| format!("{}-error", ctx.id(name)));
    let messages = move || {
        let lang = ctx.lang.get();
        mine.with(|(name, errors)| {
            errors
                .iter()
                .map(|e| {
                    view! {
                        <p class="field-error" data-field=name.clone()>
                            {form_error_text(e, lang)}
                        </p>
                    }
                })
                .collect_view()
        })
    };
    view! {
        <div class="field-errors" id=id aria-live="polite">
            {messages}
        </div>
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputKind {
    Text,
    /// A decimal number typed as text, so `21,5` can be typed and read.
    Decimal,
    /// A whole number typed as text.
    Whole,
    Password,
    Color,
}

/// A labelled input bound to `value`/`set`, with its problems below it and, optionally, a
/// hint between the label and the input.
pub fn input_field(
    ctx: FormCtx,
    field: FieldName,
    label: Text,
    hint: Option<Text>,
    kind: InputKind,
    value: impl Fn() -> String + Send + Sync + 'static,
    set: impl Fn(String) + Send + Sync + 'static,
) -> impl IntoView {
    let (input_type, inputmode, autocomplete) = match kind {
        InputKind::Text => ("text", None, "off"),
        InputKind::Decimal => ("text", Some("decimal"), "off"),
        InputKind::Whole => ("text", Some("numeric"), "off"),
        InputKind::Password => ("password", None, "new-password"),
        InputKind::Color => ("color", None, "off"),
    };
    let id = {
        let field = field.clone();
        move || ctx.id(&field())
    };
    let hint_id = {
        let id = id.clone();
        move || format!("{}-hint", id())
    };
    let name = field.clone();
    let invalid = {
        let field = field.clone();
        move || ctx.has_problem(&field()).then_some("true")
    };
    let described_by = {
        let field = field.clone();
        let id = id.clone();
        move || {
            let base = id();
            let mut ids = Vec::new();
            if hint.is_some() {
                ids.push(format!("{base}-hint"));
            }
            if ctx.has_problem(&field()) {
                ids.push(format!("{base}-error"));
            }
            (!ids.is_empty()).then(|| ids.join(" "))
        }
    };
    let class = match kind {
        InputKind::Color => "field field-color",
        _ => "field",
    };
    view! {
        <div class=class>
            <label for=id.clone()>{ctx.t(label)}</label>
            {hint.map(|h| view! { <p class="hint" id=hint_id>{ctx.t(h)}</p> })}
            <input
                id=id
                name=move || name()
                type=input_type
                inputmode=inputmode
                autocomplete=autocomplete
                spellcheck="false"
                prop:value=value
                aria-invalid=invalid
                aria-describedby=described_by
                on:input=move |ev| set(event_target_value(&ev))
            />
            {field_errors(ctx, field)}
        </div>
    }
}

/// A checkbox with its label beside it.
pub fn checkbox_field(
    ctx: FormCtx,
    field: &str,
    label: Text,
    checked: impl Fn() -> bool + Send + Sync + 'static,
    set: impl Fn(bool) + Send + Sync + 'static,
) -> impl IntoView {
    let id = ctx.id(field);
    view! {
        <div class="field field-check">
            <input
                type="checkbox"
                id=id.clone()
                name=field.to_owned()
                prop:checked=checked
                on:change=move |ev| set(event_target_checked(&ev))
            />
            <label for=id>{ctx.t(label)}</label>
            {field_errors(ctx, fixed(field))}
        </div>
    }
}

/// An option's label: a translated text, or a literal (a host name, a number).
#[derive(Debug, Clone)]
pub enum OptionLabel {
    T(Text),
    Lit(String),
}

/// A labelled select; the option whose value equals `value()` is selected.
pub fn select_field(
    ctx: FormCtx,
    field: &str,
    label: Text,
    options: Vec<(String, OptionLabel)>,
    value: impl Fn() -> String + Send + Sync + Clone + 'static,
    set: impl Fn(String) + Send + Sync + 'static,
) -> impl IntoView {
    let id = ctx.id(field);
    let opts = options
        .into_iter()
        .map(|(v, l)| {
            let current = value.clone();
            let selected_v = v.clone();
            let text = move || match &l {
                OptionLabel::T(key) => t(ctx.lang.get(), *key).to_owned(),
                OptionLabel::Lit(s) => s.clone(),
            };
            view! {
                <option value=v prop:selected=move || current() == selected_v>
                    {text}
                </option>
            }
        })
        .collect_view();
    view! {
        <div class="field">
            <label for=id.clone()>{ctx.t(label)}</label>
            <select id=id name=field.to_owned() on:change=move |ev| set(event_target_value(&ev))>
                {opts}
            </select>
            {field_errors(ctx, fixed(field))}
        </div>
    }
}

/// The QoS select, shared by bindings, switches and the last will.
pub fn qos_field(
    ctx: FormCtx,
    field: &str,
    value: impl Fn() -> Qos + Send + Sync + Clone + 'static,
    set: impl Fn(Qos) + Send + Sync + 'static,
) -> impl IntoView {
    select_field(
        ctx,
        field,
        Text::EdQos,
        vec![
            ("0".into(), OptionLabel::T(Text::EdQos0)),
            ("1".into(), OptionLabel::T(Text::EdQos1)),
            ("2".into(), OptionLabel::T(Text::EdQos2)),
        ],
        move || qos_value(value()).to_owned(),
        move |v| set(qos_from_value(&v)),
    )
}

/// Save and cancel, with a count of the problems that keep Save disabled, and the problems
/// whose field has no input of its own (listed with `unplaced`).
pub fn form_actions(
    ctx: FormCtx,
    unplaced: impl Fn(&str) -> bool + Send + Sync + 'static,
    on_cancel: impl Fn() + Send + Sync + 'static,
) -> impl IntoView {
    let count = move || ctx.problems.with(Vec::len);
    let summary = move || {
        let n = count();
        (n > 0).then(|| {
            let lang = ctx.lang.get();
            let others = ctx.problems.with(|ps| {
                ps.iter()
                    .filter(|p| unplaced(&p.field))
                    .map(|p| {
                        view! {
                            <p class="field-error" data-field=p.field.clone()>
                                {format!("{}: {}", p.field, form_error_text(&p.error, lang))}
                            </p>
                        }
                    })
                    .collect_view()
            });
            view! {
                <div class="form-summary" role="status">
                    <p>{fill(t(lang, Text::EdFixProblems), &[&n.to_string()])}</p>
                    {others}
                </div>
            }
        })
    };
    view! {
        {summary}
        <div class="actions">
            <button type="submit" class="save" disabled=move || ctx.problems.with(|ps| !ps.is_empty())>
                {ctx.t(Text::EdSave)}
            </button>
            <button type="button" class="cancel" on:click=move |_| on_cancel()>
                {ctx.t(Text::EdCancel)}
            </button>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_with_a_dot_or_a_spanish_comma() {
        assert_eq!(parse_number("21.5"), Some(21.5));
        assert_eq!(parse_number("21,5"), Some(21.5));
        assert_eq!(parse_number(" -3,25 "), Some(-3.25));
        assert_eq!(parse_number("0"), Some(0.0));
        assert_eq!(parse_number("1e3"), Some(1000.0));
        assert_eq!(parse_number(",5"), Some(0.5));
        assert_eq!(parse_number("+7"), Some(7.0));
    }

    #[test]
    fn anything_else_is_not_a_number() {
        for bad in [
            "", "  ", "abc", "21,5,1", "1.234,5", "1,234.5", "NaN", "inf", "infinity", "-", ",",
            ".", "1e999", "12 3", "0x10", "5%",
        ] {
            assert_eq!(parse_number(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn whole_numbers_have_no_sign_or_decimals() {
        assert_eq!(parse_whole("5000"), Some(5000));
        assert_eq!(parse_whole(" 42 "), Some(42));
        for bad in ["", "-1", "5.5", "5,0", "1e3", "x"] {
            assert_eq!(parse_whole(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn the_parser_reports_unreadable_fields_and_hides_the_fallbacks_problems() {
        let mut p = Parser::default();
        assert_eq!(p.number("min", "abc", 0.0), 0.0);
        assert_eq!(p.number("max", "21,5", 0.0), 21.5);
        assert_eq!(p.whole::<u8>("decimals", "300", 1, (0, 6)), 1);
        assert_eq!(p.optional_number("chart_min", " "), None);
        assert_eq!(p.optional_whole::<u8>("d", "", (0, 6)), None);
        assert_eq!(p.optional_whole::<u8>("d2", "x", (0, 6)), None);
        let found = p.finish(vec![
            Problem {
                field: "min".into(),
                error: FieldError::NotFinite,
            },
            Problem {
                field: "title".into(),
                error: FieldError::Empty,
            },
        ]);
        let fields: Vec<_> = found.iter().map(|p| p.field.as_str()).collect();
        assert_eq!(fields, ["min", "decimals", "d2", "title"]);
        assert_eq!(found[0].error, FormError::NotANumber);
        assert_eq!(
            found[1].error,
            FormError::NotAWholeNumber { min: 0, max: 6 }
        );
    }

    fn every_field_error() -> Vec<FieldError> {
        vec![
            FieldError::Empty,
            FieldError::TooLong { max: 80 },
            FieldError::BadId,
            FieldError::DuplicateId("dup-id".into()),
            FieldError::UnknownConnection("conn-x".into()),
            FieldError::TopicName("a topic name must not contain the wildcards".into()),
            FieldError::TopicFilter("the wildcard '#' must be alone".into()),
            FieldError::JsonPath("expected `$` at position 1".into()),
            FieldError::OutOfRange {
                min: 0.5,
                max: 60000.0,
            },
            FieldError::MinNotBelowMax,
            FieldError::NotFinite,
            FieldError::BadColor,
            FieldError::TooMany { max: 8 },
            FieldError::BadHost,
            FieldError::BadPath,
            FieldError::TopicName(TopicError::Empty.to_string()),
            FieldError::TopicFilter(TopicError::Empty.to_string()),
        ]
    }

    #[test]
    fn every_field_error_has_a_distinct_sentence_in_both_languages() {
        for lang in [Lang::Es, Lang::En] {
            let texts: Vec<String> = every_field_error()
                .iter()
                .map(|e| field_error_text(e, lang))
                .collect();
            for (e, text) in every_field_error().iter().zip(&texts) {
                assert!(!text.trim().is_empty(), "{e:?}");
                assert!(!text.contains("{}"), "unfilled template for {e:?}: {text}");
            }
            // The two empty-topic cases share one sentence; every other kind is distinct.
            let mut distinct = texts[..15].to_vec();
            distinct.sort();
            distinct.dedup();
            assert_eq!(distinct.len(), 15, "{lang:?}: {texts:?}");
        }
        for e in every_field_error() {
            assert_ne!(
                field_error_text(&e, Lang::Es),
                field_error_text(&e, Lang::En),
                "{e:?} is not translated"
            );
        }
    }

    #[test]
    fn field_error_sentences_carry_their_details() {
        let es = |e: FieldError| field_error_text(&e, Lang::Es);
        let en = |e: FieldError| field_error_text(&e, Lang::En);
        assert_eq!(en(FieldError::Empty), "This field must not be empty.");
        assert_eq!(es(FieldError::Empty), "Este campo no puede estar vacío.");
        assert!(es(FieldError::TooLong { max: 80 }).contains("80"));
        assert!(en(FieldError::TooMany { max: 8 }).contains('8'));
        assert!(es(FieldError::DuplicateId("dup-id".into())).contains("dup-id"));
        assert!(en(FieldError::UnknownConnection("conn-x".into())).contains("conn-x"));
        let range = FieldError::OutOfRange {
            min: 0.5,
            max: 60000.0,
        };
        assert_eq!(es(range.clone()), "Debe estar entre 0,5 y 60000.");
        assert_eq!(en(range), "Must be between 0.5 and 60000.");
        let topic = FieldError::TopicName("a topic name must not contain '+'".into());
        assert_eq!(
            es(topic.clone()),
            "No es un tópico válido: a topic name must not contain '+'"
        );
        assert!(en(topic).starts_with("Not a valid topic: "));
        assert!(es(FieldError::JsonPath("expected `$`".into())).ends_with("expected `$`"));
        assert_eq!(
            es(FieldError::TopicFilter(TopicError::Empty.to_string())),
            "Escribe un tópico."
        );
    }

    #[test]
    fn reading_errors_are_translated() {
        let whole = FormError::NotAWholeNumber { min: 1, max: 65535 };
        assert_eq!(
            form_error_text(&whole, Lang::En),
            "Must be a whole number from 1 to 65535."
        );
        assert_eq!(
            form_error_text(&whole, Lang::Es),
            "Debe ser un número entero de 1 a 65535."
        );
        assert_ne!(
            form_error_text(&FormError::NotANumber, Lang::Es),
            form_error_text(&FormError::NotANumber, Lang::En)
        );
        assert_eq!(
            form_error_text(&FormError::Field(FieldError::BadPath), Lang::En),
            field_error_text(&FieldError::BadPath, Lang::En)
        );
    }

    #[test]
    fn templates_fill_in_order() {
        assert_eq!(fill("a {} b {} c", &["1", "2"]), "a 1 b 2 c");
        assert_eq!(fill("no holes", &["1"]), "no holes");
        assert_eq!(fill("{}{}", &["x"]), "x");
    }

    #[test]
    fn ids_are_safe_and_readable() {
        assert_eq!(id_part("series[0].binding.topic"), "series-0-binding-topic");
        assert_eq!(id_part("host"), "host");
        assert_eq!(id_part("will.qos"), "will-qos");
    }

    #[test]
    fn random_chars_stay_in_the_alphabet() {
        let mut x = 0.0;
        let s = random_chars(6, || {
            x += 0.17;
            x % 1.0
        });
        assert_eq!(s.len(), 6);
        assert!(
            s.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        );
        assert_eq!(random_chars(2, || 0.999_999_9), "99");
        assert_eq!(random_chars(1, || 0.0), "a");
    }
}
