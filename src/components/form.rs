//! What the editors share: reading numbers typed as text, translating validation problems,
//! and field views that bind a label, an input and the input's problems together.
//!
//! The pure half (parsing, [`field_error_text`], [`Parser`]) is tested natively; the view
//! half only renders. Every user-provided string is rendered as a text node.

use std::sync::atomic::{AtomicU32, Ordering};

use leptos::prelude::*;

use crate::config::{FieldError, Problem, Qos};
use crate::format::fill;
use crate::i18n::{EdText, Lang, ted};

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
    crate::format::parse_plain_number(&text.replace(',', "."))
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

/// The sentence under an input: a rule of the configuration, or text that does not read.
pub fn form_error_text(error: &FormError, lang: Lang) -> String {
    match error {
        FormError::Field(e) => crate::describe::field_error_text(e, lang),
        FormError::NotANumber => ted(lang, EdText::ErrNotANumber).to_owned(),
        FormError::NotAWholeNumber { min, max } => fill(
            ted(lang, EdText::ErrNotAWholeNumber),
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
// Views: one component per field type, with named props. Each takes its value as a signal
// and its change as a callback (a [`Bind`]), so one compiled copy serves every field of
// every editor instead of one per call site.

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

    pub fn t(self, key: EdText) -> impl Fn() -> &'static str + Send + Sync + Copy + 'static {
        crate::i18n::ed_word(self.lang, key)
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

/// A field path (`binding.topic`, `series[1].color`) that may change while the view lives:
/// rows renumber when one is removed.
pub type FieldName = Signal<String>;

pub fn fixed(field: &str) -> FieldName {
    Signal::stored(field.to_owned())
}

/// One text of a draft: its value, and how an edit changes it.
#[derive(Clone, Copy)]
pub struct Bind {
    pub value: Signal<String>,
    pub set: Callback<String>,
}

/// A [`Bind`] to one `String` of a draft, through plain accessor functions (not closures: one
/// compiled copy per draft type, however many fields).
pub fn bind<D: Send + Sync + 'static>(
    draft: RwSignal<D>,
    get: fn(&D) -> &String,
    set: fn(&mut D) -> &mut String,
) -> Bind {
    Bind {
        value: Signal::derive(move || draft.with(|d| get(d).clone())),
        set: Callback::new(move |v| draft.update(|d| *set(d) = v)),
    }
}

/// A [`Bind`] to one `String` of the row `key` of a draft's list.
pub fn bind_row<D: Send + Sync + 'static>(
    draft: RwSignal<D>,
    key: u32,
    get: fn(&D, u32) -> Option<&String>,
    set: fn(&mut D, u32) -> Option<&mut String>,
) -> Bind {
    Bind {
        value: Signal::derive(move || draft.with(|d| get(d, key).cloned().unwrap_or_default())),
        set: Callback::new(move |v| {
            draft.update(|d| {
                if let Some(slot) = set(d, key) {
                    *slot = v;
                }
            })
        }),
    }
}

/// A row of an editor's list (a band, a series): its key stays while the row lives, so the
/// list can be keyed while positions change.
pub trait Keyed {
    fn key(&self) -> u32;
}

/// The position of row `key` now (rows renumber when one is removed); 0 if it is gone.
pub fn row_index<T: Keyed>(rows: &[T], key: u32) -> usize {
    rows.iter().position(|r| r.key() == key).unwrap_or(0)
}

pub fn row<T: Keyed>(rows: &[T], key: u32) -> Option<&T> {
    rows.iter().find(|r| r.key() == key)
}

pub fn row_mut<T: Keyed>(rows: &mut [T], key: u32) -> Option<&mut T> {
    rows.iter_mut().find(|r| r.key() == key)
}

/// The problems of one field, each as `<p class="field-error" data-field=...>`.
#[component]
pub fn FieldErrors(ctx: FormCtx, field: FieldName) -> impl IntoView {
    // This field's problems only, so that a change elsewhere in the form neither rebuilds
    // nor re-announces these messages.
    let mine = Memo::new(move |_| {
        let name = field.get();
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

/// A colour as `<input type="color">` needs it (`#rrggbb`): `#abc` becomes `#aabbcc`, and
/// anything that is not a hex colour black (its problem is shown under the input).
pub fn color_for_input(color: &str) -> String {
    match crate::widgets::parse_hex_color(color) {
        Some((r, g, b)) => format!("#{r:02x}{g:02x}{b:02x}"),
        None => "#000000".into(),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum InputKind {
    #[default]
    Text,
    /// A topic or filter: text, never autocorrected.
    Topic,
    /// A decimal number typed as text, so `21,5` can be typed and read.
    Decimal,
    /// A whole number typed as text.
    Whole,
    Password,
    Color,
}

/// A labelled input bound to a draft's text, with its problems below it and, optionally, a
/// hint between the label and the input.
#[component]
pub fn TextField(
    ctx: FormCtx,
    field: FieldName,
    label: EdText,
    #[prop(optional)] hint: Option<EdText>,
    #[prop(optional)] kind: InputKind,
    bind: Bind,
) -> impl IntoView {
    let (input_type, inputmode, autocomplete) = match kind {
        InputKind::Text | InputKind::Topic => ("text", None, "off"),
        InputKind::Decimal => ("text", Some("decimal"), "off"),
        InputKind::Whole => ("text", Some("numeric"), "off"),
        InputKind::Password => ("password", None, "new-password"),
        InputKind::Color => ("color", None, "off"),
    };
    let id = move || ctx.id(&field.get());
    let hint_id = move || format!("{}-hint", id());
    let invalid = move || ctx.has_problem(&field.get()).then_some("true");
    let described_by = move || {
        let base = id();
        let mut ids = Vec::new();
        if hint.is_some() {
            ids.push(format!("{base}-hint"));
        }
        if ctx.has_problem(&field.get()) {
            ids.push(format!("{base}-error"));
        }
        (!ids.is_empty()).then(|| ids.join(" "))
    };
    let class = match kind {
        InputKind::Color => "field field-color",
        _ => "field",
    };
    view! {
        <div class=class>
            <label for=id>{ctx.t(label)}</label>
            {hint.map(|h| view! { <p class="hint" id=hint_id>{ctx.t(h)}</p> })}
            <input
                id=id
                name=move || field.get()
                type=input_type
                inputmode=inputmode
                autocomplete=autocomplete
                spellcheck="false"
                autocapitalize="off"
                prop:value=move || {
                    let v = bind.value.get();
                    if kind == InputKind::Color { color_for_input(&v) } else { v }
                }
                aria-invalid=invalid
                aria-describedby=described_by
                on:input=move |ev| bind.set.run(event_target_value(&ev))
            />
            <FieldErrors ctx field />
        </div>
    }
}

/// A checkbox with its label beside it.
#[component]
pub fn CheckField(
    ctx: FormCtx,
    field: &'static str,
    label: EdText,
    checked: Signal<bool>,
    set: Callback<bool>,
) -> impl IntoView {
    let id = ctx.id(field);
    view! {
        <div class="field field-check">
            <input
                type="checkbox"
                id=id.clone()
                name=field
                prop:checked=move || checked.get()
                on:change=move |ev| set.run(event_target_checked(&ev))
            />
            <label for=id>{ctx.t(label)}</label>
            <FieldErrors ctx field=fixed(field) />
        </div>
    }
}

/// An option's label: a translated text, or a literal (a host name, a number).
#[derive(Debug, Clone)]
pub enum OptionLabel {
    T(EdText),
    Lit(String),
}

/// A labelled select; the option whose value equals `value` is selected.
#[component]
pub fn SelectField(
    ctx: FormCtx,
    field: &'static str,
    label: EdText,
    options: Vec<(String, OptionLabel)>,
    value: Signal<String>,
    set: Callback<String>,
) -> impl IntoView {
    let id = ctx.id(field);
    let opts = options
        .into_iter()
        .map(|(v, l)| {
            let selected_v = v.clone();
            let text = move || match &l {
                OptionLabel::T(key) => ted(ctx.lang.get(), *key).to_owned(),
                OptionLabel::Lit(s) => s.clone(),
            };
            view! {
                <option value=v prop:selected=move || value.with(|now| *now == selected_v)>
                    {text}
                </option>
            }
        })
        .collect_view();
    view! {
        <div class="field">
            <label for=id.clone()>{ctx.t(label)}</label>
            <select id=id name=field on:change=move |ev| set.run(event_target_value(&ev))>
                {opts}
            </select>
            <FieldErrors ctx field=fixed(field) />
        </div>
    }
}

/// The QoS select, shared by bindings, switches and the last will.
#[component]
pub fn QosField(
    ctx: FormCtx,
    field: &'static str,
    value: Signal<Qos>,
    set: Callback<Qos>,
) -> impl IntoView {
    let options = vec![
        ("0".into(), OptionLabel::T(EdText::EdQos0)),
        ("1".into(), OptionLabel::T(EdText::EdQos1)),
        ("2".into(), OptionLabel::T(EdText::EdQos2)),
    ];
    view! {
        <SelectField
            ctx
            field
            label=EdText::EdQos
            options
            value=Signal::derive(move || qos_value(value.get()).to_owned())
            set=Callback::new(move |v: String| set.run(qos_from_value(&v)))
        />
    }
}

/// A list of keyed rows (bands, series, ...): each row is drawn by `row`, keyed so an edit
/// in one row never rebuilds another; "add" stops at `max`, the configuration's limit.
#[component]
pub fn Rows(
    ctx: FormCtx,
    field: &'static str,
    /// The class of the fieldset (`bands`, `series`).
    class: &'static str,
    /// The class of its add button (`add-band`, `add-series`).
    add_class: &'static str,
    legend: EdText,
    #[prop(optional)] hint: Option<EdText>,
    add_label: EdText,
    keys: Signal<Vec<u32>>,
    max: usize,
    on_add: Callback<()>,
    row: Callback<u32, AnyView>,
) -> impl IntoView {
    view! {
        <fieldset class=format!("rows {class}")>
            <legend>{ctx.t(legend)}</legend>
            {hint.map(|h| view! { <p class="hint">{ctx.t(h)}</p> })}
            <For each=move || keys.get() key=|k| *k children=move |key| row.run(key) />
            <FieldErrors ctx field=fixed(field) />
            <button
                type="button"
                class=format!("add {add_class}")
                disabled=move || keys.with(|k| k.len() >= max)
                on:click=move |_| on_add.run(())
            >
                {ctx.t(add_label)}
            </button>
        </fieldset>
    }
}

/// The frame of one row: its number as legend, its fields, and a remove button.
#[component]
pub fn RowFrame(
    ctx: FormCtx,
    class: &'static str,
    /// A template with one `{}` for the row's 1-based number.
    number: EdText,
    index: Signal<usize>,
    can_remove: Signal<bool>,
    on_remove: Callback<()>,
    children: Children,
) -> impl IntoView {
    let legend = move || {
        fill(
            ted(ctx.lang.get(), number),
            &[&(index.get() + 1).to_string()],
        )
    };
    view! {
        <fieldset class=format!("row {class}")>
            <legend>{legend}</legend>
            {children()}
            <button
                type="button"
                class="remove"
                disabled=move || !can_remove.get()
                on:click=move |_| on_remove.run(())
            >
                {ctx.t(EdText::EdRemove)}
            </button>
        </fieldset>
    }
}

/// The form around an editor's fields: submit on Enter, the count of problems that keep
/// Save disabled, the problems whose field has no input of its own (`unplaced`), and the
/// Save and Cancel buttons.
#[component]
pub fn EditorForm(
    ctx: FormCtx,
    class: &'static str,
    unplaced: Callback<String, bool>,
    on_save: Callback<()>,
    on_cancel: Callback<()>,
    children: Children,
) -> impl IntoView {
    let summary = move || {
        let n = ctx.problems.with(Vec::len);
        (n > 0).then(|| {
            let lang = ctx.lang.get();
            let others = ctx.problems.with(|ps| {
                ps.iter()
                    .filter(|p| unplaced.run(p.field.clone()))
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
                    <p>{fill(ted(lang, EdText::EdFixProblems), &[&n.to_string()])}</p>
                    {others}
                </div>
            }
        })
    };
    view! {
        <form
            class=format!("editor {class}")
            novalidate
            on:submit=move |ev| {
                ev.prevent_default();
                if ctx.problems.with_untracked(Vec::is_empty) {
                    on_save.run(());
                }
            }
        >
            {children()}
            {summary}
            <div class="actions">
                <button
                    type="submit"
                    class="save"
                    disabled=move || ctx.problems.with(|ps| !ps.is_empty())
                >
                    {ctx.t(EdText::EdSave)}
                </button>
                <button type="button" class="cancel" on:click=move |_| on_cancel.run(())>
                    {ctx.t(EdText::EdCancel)}
                </button>
            </div>
        </form>
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
            crate::describe::field_error_text(&FieldError::BadPath, Lang::En)
        );
    }

    #[test]
    fn ids_are_safe_and_readable() {
        assert_eq!(id_part("series[0].binding.topic"), "series-0-binding-topic");
        assert_eq!(id_part("host"), "host");
        assert_eq!(id_part("will.qos"), "will-qos");
    }
}
