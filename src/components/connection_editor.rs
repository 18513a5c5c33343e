//! The form that adds or edits a broker connection.
//!
//! Like the widget editor it edits a draft of the inputs as typed and checks the candidate
//! with the configuration's own rules ([`connection_problems`]) on every change. It also
//! says what would fail *before* connecting: a `ws://` broker from a page served over https
//! (the browser blocks it as mixed content), and a public broker that anyone can read.
//!
//! The password is saved in the configuration only when the user ticks "remember";
//! otherwise it goes back to the caller for this tab only.

use leptos::prelude::*;

use super::form::*;
use crate::browser::{page_is_https, random};
use crate::config::{
    BrokerPreset, Connection, LastWill, MqttVersion, PRESETS, Qos, Scheme, connection_problems,
    random_client_id, random_topic_prefix,
};
use crate::format::fill;
use crate::i18n::{EdText, ted};

/// The value of the preset select when no preset applies.
pub const CUSTOM: &str = "custom";

/// A connection to start an "add" from: the HiveMQ public broker over wss, which works from
/// a page served over http or https.
pub fn new_connection_stub(id: String, client_id: String) -> Connection {
    let hivemq = BrokerPreset::by_id("hivemq").unwrap_or(&PRESETS[0]);
    Connection {
        id,
        name: hivemq.host.into(),
        preset: Some(hivemq.id.into()),
        scheme: Scheme::Wss,
        host: hivemq.host.into(),
        port: hivemq.wss_port,
        path: hivemq.path.into(),
        username: None,
        password: None,
        remember_password: false,
        client_id,
        mqtt_version: hivemq.version,
        keep_alive_secs: 30,
        clean_start: true,
        session_expiry_secs: 0,
        will: None,
    }
}

/// Every input of the form as typed.
#[derive(Debug, Clone, PartialEq)]
pub struct ConnectionDraft {
    pub id: String,
    pub name: String,
    /// The preset applied, while the host is still the preset's.
    pub preset: Option<String>,
    pub scheme: Scheme,
    pub host: String,
    pub port: String,
    pub path: String,
    pub username: String,
    pub password: String,
    pub remember: bool,
    pub client_id: String,
    pub version: MqttVersion,
    pub keep_alive: String,
    pub clean_start: bool,
    pub session_expiry: String,
    pub will: bool,
    pub will_topic: String,
    pub will_payload: String,
    pub will_qos: Qos,
    pub will_retain: bool,
}

impl ConnectionDraft {
    /// `password`: the one to show (remembered, or this tab's).
    pub fn new(c: &Connection, password: Option<String>) -> Self {
        let will = c.will.clone();
        Self {
            id: c.id.clone(),
            name: c.name.clone(),
            preset: c
                .preset
                .clone()
                .filter(|id| BrokerPreset::by_id(id).is_some_and(|p| p.host == c.host)),
            scheme: c.scheme,
            host: c.host.clone(),
            port: c.port.to_string(),
            path: c.path.clone(),
            username: c.username.clone().unwrap_or_default(),
            password: password.or_else(|| c.password.clone()).unwrap_or_default(),
            remember: c.remember_password,
            client_id: c.client_id.clone(),
            version: c.mqtt_version,
            keep_alive: c.keep_alive_secs.to_string(),
            clean_start: c.clean_start,
            session_expiry: c.session_expiry_secs.to_string(),
            will: will.is_some(),
            will_topic: will.as_ref().map(|w| w.topic.clone()).unwrap_or_default(),
            will_payload: will.as_ref().map(|w| w.payload.clone()).unwrap_or_default(),
            will_qos: will.as_ref().map_or(Qos::AtMostOnce, |w| w.qos),
            will_retain: will.as_ref().is_some_and(|w| w.retain),
        }
    }

    pub fn preset(&self) -> Option<&'static BrokerPreset> {
        self.preset.as_deref().and_then(BrokerPreset::by_id)
    }

    /// Fills host, port, path and scheme from a preset (and its public credentials, if it
    /// has any). From a page served over https the scheme becomes wss, the only one that
    /// works there. [`CUSTOM`] (or an unknown id) leaves the fields for the user to edit.
    pub fn apply_preset(&mut self, id: &str, https_page: bool) {
        let Some(p) = BrokerPreset::by_id(id) else {
            self.preset = None;
            return;
        };
        let old_host = self.host.clone();
        if https_page {
            self.scheme = Scheme::Wss;
        }
        self.host = p.host.into();
        self.port = match self.scheme {
            Scheme::Ws => p.ws_port,
            Scheme::Wss => p.wss_port,
        }
        .to_string();
        self.path = p.path.into();
        self.version = p.version;
        let had_public_credentials = PRESETS.iter().any(|q| {
            q.public_credentials
                .is_some_and(|(u, pw)| u == self.username && pw == self.password)
        });
        match p.public_credentials {
            Some((user, password)) => {
                self.username = user.into();
                self.password = password.into();
            }
            None if had_public_credentials => {
                self.username.clear();
                self.password.clear();
            }
            None => {}
        }
        let name = self.name.trim();
        if name.is_empty() || name == old_host || PRESETS.iter().any(|q| q.host == name) {
            self.name = p.host.into();
        }
        self.preset = Some(p.id.into());
    }

    /// Changes ws/wss; on a preset's port, moves to the preset's port for the new scheme.
    pub fn set_scheme(&mut self, scheme: Scheme) {
        if let Some(p) = self.preset() {
            let (from, to) = match scheme {
                Scheme::Ws => (p.wss_port, p.ws_port),
                Scheme::Wss => (p.ws_port, p.wss_port),
            };
            if parse_whole(&self.port) == Some(u64::from(from)) {
                self.port = to.to_string();
            }
        }
        self.scheme = scheme;
    }

    /// A host typed by hand that is not the preset's makes the connection custom. A name
    /// that was the host follows it.
    pub fn set_host(&mut self, host: String) {
        if self.preset().is_some_and(|p| p.host != host.trim()) {
            self.preset = None;
        }
        if self.name == self.host {
            self.name = host.clone();
        }
        self.host = host;
    }

    /// The one-click fix for mixed content: the preset's wss port.
    pub fn use_wss(&mut self) {
        self.scheme = Scheme::Wss;
        if let Some(p) = self.preset() {
            self.port = p.wss_port.to_string();
        }
    }

    /// A `ws://` connection from an https page: the browser will refuse it.
    pub fn mixed_content(&self, https_page: bool) -> bool {
        https_page && self.scheme == Scheme::Ws
    }

    /// The wss port to offer for mixed content, when a preset knows it.
    pub fn wss_fix(&self, https_page: bool) -> Option<u16> {
        self.preset()
            .filter(|_| self.mixed_content(https_page))
            .map(|p| p.wss_port)
    }

    /// A public test broker: anyone can read and write any topic.
    pub fn is_public(&self) -> bool {
        let host = self.host.trim();
        PRESETS.iter().any(|p| p.host.eq_ignore_ascii_case(host))
    }

    /// The candidate connection, the password to keep for this tab only (when not
    /// remembered), and every problem that keeps it from being saved.
    pub fn build(&self) -> (Connection, Option<String>, Vec<FormProblem>) {
        let mut p = Parser::default();
        let port = p.whole("port", &self.port, 1, (1, 65_535));
        let keep_alive_secs = p.whole("keep_alive_secs", &self.keep_alive, 30, (0, 65_535));
        // Hidden for 3.1.1, so it cannot hold a problem there.
        let session_expiry_secs = match self.version {
            MqttVersion::V5 | MqttVersion::Auto => p.whole(
                "session_expiry_secs",
                &self.session_expiry,
                0,
                (0, u64::from(u32::MAX)),
            ),
            MqttVersion::V3_1_1 => parse_whole(&self.session_expiry)
                .and_then(|v| u32::try_from(v).ok())
                .unwrap_or(0),
        };
        let password = (!self.password.is_empty()).then(|| self.password.clone());
        let mut connection = Connection {
            id: self.id.clone(),
            name: self.name.clone(),
            preset: self.preset.clone(),
            scheme: self.scheme,
            host: self.host.trim().to_owned(),
            port,
            path: self.path.clone(),
            username: (!self.username.is_empty()).then(|| self.username.clone()),
            password,
            remember_password: self.remember,
            client_id: self.client_id.clone(),
            mqtt_version: self.version,
            keep_alive_secs,
            clean_start: self.clean_start,
            session_expiry_secs,
            will: self.will.then(|| LastWill {
                topic: self.will_topic.clone(),
                payload: self.will_payload.clone(),
                qos: self.will_qos,
                retain: self.will_retain,
            }),
        };
        // Checked with the password, also when it is kept for this tab only.
        let problems = p.finish(connection_problems(&connection));
        let tab_only = if self.remember {
            None
        } else {
            connection.password.take()
        };
        (connection, tab_only, problems)
    }
}

/// Whether the form has an input for `field` (the id has none: it is the caller's).
pub fn connection_field_has_input(field: &str) -> bool {
    const FIELDS: &[&str] = &[
        "name",
        "preset",
        "scheme",
        "host",
        "port",
        "path",
        "username",
        "password",
        "remember_password",
        "client_id",
        "mqtt_version",
        "keep_alive_secs",
        "clean_start",
        "session_expiry_secs",
        "will",
        "will.topic",
        "will.payload",
        "will.qos",
        "will.retain",
    ];
    FIELDS.contains(&field)
}

// ---------------------------------------------------------------------------------------
// Views.

type Draft = RwSignal<ConnectionDraft>;

/// A text field bound to one `String` of the draft.
fn text(
    ctx: FormCtx,
    draft: Draft,
    field: &'static str,
    label: EdText,
    kind: InputKind,
    get: fn(&ConnectionDraft) -> &String,
    set: fn(&mut ConnectionDraft) -> &mut String,
) -> impl IntoView {
    view! { <TextField ctx field=fixed(field) label kind bind=bind(draft, get, set) /> }
}

/// A checkbox bound to one `bool` of the draft.
fn check(
    ctx: FormCtx,
    draft: Draft,
    field: &'static str,
    label: EdText,
    get: fn(&ConnectionDraft) -> bool,
    set: fn(&mut ConnectionDraft, bool),
) -> impl IntoView {
    view! {
        <CheckField
            ctx
            field
            label
            checked=Signal::derive(move || draft.with(get))
            set=Callback::new(move |v| draft.update(|d| set(d, v)))
        />
    }
}

/// The form to add or edit a connection. `on_save` receives a connection that passes
/// [`connection_problems`], and the password to keep for this tab only when the user did
/// not ask to remember it.
#[component]
pub fn ConnectionEditor(
    initial: Connection,
    on_save: Callback<(Connection, Option<String>)>,
    on_cancel: Callback<()>,
) -> impl IntoView {
    let tab_password =
        use_context::<crate::state::AppState>().and_then(|state| state.password_for(&initial.id));
    let draft: Draft = RwSignal::new(ConnectionDraft::new(&initial, tab_password));
    let problems = Memo::new(move |_| draft.with(|d| d.build().2));
    let ctx = FormCtx::new("ce", current_lang(), problems);
    let https = page_is_https();
    let prefix = StoredValue::new(random_topic_prefix(random));

    // Conditions as memos, so that the sections they show are rebuilt only when they flip
    // (not on every keystroke, which would take the focus away).
    // Auto may end up speaking 5.0, so its 5.0-only fields stay.
    let v5 = Memo::new(move |_| draft.with(|d| d.version != MqttVersion::V3_1_1));
    let will = Memo::new(move |_| draft.with(|d| d.will));
    let remember = Memo::new(move |_| draft.with(|d| d.remember));
    let public = Memo::new(move |_| draft.with(ConnectionDraft::is_public));
    let mixed = Memo::new(move |_| draft.with(|d| d.mixed_content(https)));
    let wss_fix = Memo::new(move |_| draft.with(|d| d.wss_fix(https)));

    let save = Callback::new(move |_| {
        let (connection, tab_only, found) = draft.with_untracked(ConnectionDraft::build);
        if found.is_empty() {
            on_save.run((connection, tab_only));
        }
    });

    let preset_options = PRESETS
        .iter()
        .map(|p| (p.id.to_owned(), OptionLabel::Lit(p.host.to_owned())))
        .chain([(CUSTOM.to_owned(), OptionLabel::T(EdText::CnCustom))])
        .collect::<Vec<_>>();
    let public_warning = move || {
        public.get().then(|| {
            view! {
                <div class="warning public-warning" role="note">
                    <p>{ctx.t(EdText::CnPublicBroker)}</p>
                    <p>
                        {ctx.t(EdText::CnSuggestedPrefix)} " "
                        <code class="suggested-prefix">{prefix.get_value()}</code>
                    </p>
                </div>
            }
        })
    };
    let mixed_warning = move || {
        mixed.get().then(|| {
            let fix = move || {
                wss_fix.get().map(|port| {
                    view! {
                        <button
                            type="button"
                            class="use-wss"
                            on:click=move |_| draft.update(ConnectionDraft::use_wss)
                        >
                            {move || fill(ted(ctx.lang.get(), EdText::CnUseWss), &[&port.to_string()])}
                        </button>
                    }
                })
            };
            view! {
                <div class="warning mixed-content-warning" role="alert">
                    <p>
                        {move || {
                            if wss_fix.get().is_some() {
                                ted(ctx.lang.get(), EdText::CnMixedContent)
                            } else {
                                ted(ctx.lang.get(), EdText::CnMixedContentCustom)
                            }
                        }}
                    </p>
                    {fix}
                </div>
            }
        })
    };
    let host = Bind {
        value: Signal::derive(move || draft.with(|d| d.host.clone())),
        set: Callback::new(move |v| draft.update(|d| d.set_host(v))),
    };

    let broker = view! {
        <fieldset>
            <legend>{ctx.t(EdText::CnSectionBroker)}</legend>
            <SelectField
                ctx
                field="scheme"
                label=EdText::CnScheme
                options=vec![
                    ("ws".into(), OptionLabel::T(EdText::CnSchemeWs)),
                    ("wss".into(), OptionLabel::T(EdText::CnSchemeWss)),
                ]
                value=Signal::derive(move || draft.with(|d| match d.scheme {
                    Scheme::Ws => "ws".to_owned(),
                    Scheme::Wss => "wss".to_owned(),
                }))
                set=Callback::new(move |v: String| {
                    let scheme = if v == "ws" { Scheme::Ws } else { Scheme::Wss };
                    draft.update(|d| d.set_scheme(scheme));
                })
            />
            {mixed_warning}
            <TextField ctx field=fixed("host") label=EdText::CnHost hint=EdText::CnHostHint bind=host />
            <div class="pair">
                {text(ctx, draft, "port", EdText::CnPort, InputKind::Whole, |d| &d.port, |d| &mut d.port)}
                {text(ctx, draft, "path", EdText::CnPath, InputKind::Text, |d| &d.path, |d| &mut d.path)}
            </div>
        </fieldset>
    };

    let auth = view! {
        <fieldset>
            <legend>{ctx.t(EdText::CnSectionAuth)}</legend>
            {text(ctx, draft, "username", EdText::CnUsername, InputKind::Text,
                |d| &d.username, |d| &mut d.username)}
            {text(ctx, draft, "password", EdText::CnPassword, InputKind::Password,
                |d| &d.password, |d| &mut d.password)}
            {check(ctx, draft, "remember_password", EdText::CnRemember,
                |d| d.remember, |d, v| d.remember = v)}
            <p class="hint remember-hint">
                {move || {
                    let key = if remember.get() { EdText::CnRememberOnHint } else { EdText::CnRememberOffHint };
                    ted(ctx.lang.get(), key)
                }}
            </p>
        </fieldset>
    };

    let session = view! {
        <fieldset>
            <legend>{ctx.t(EdText::CnSectionSession)}</legend>
            <div class="with-button">
                <TextField ctx field=fixed("client_id") label=EdText::CnClientId hint=EdText::CnClientIdHint
                    bind=bind(draft, |d| &d.client_id, |d| &mut d.client_id) />
                <button
                    type="button"
                    class="random-client-id"
                    on:click=move |_| draft.update(|d| d.client_id = random_client_id(random))
                >
                    {ctx.t(EdText::CnRandom)}
                </button>
            </div>
            <SelectField
                ctx
                field="mqtt_version"
                label=EdText::CnVersion
                options=vec![
                    ("auto".into(), OptionLabel::T(EdText::CnVersionAuto)),
                    ("5.0".into(), OptionLabel::Lit("5.0".into())),
                    ("3.1.1".into(), OptionLabel::Lit("3.1.1".into())),
                ]
                value=Signal::derive(move || {
                    match draft.with(|d| d.version) {
                        MqttVersion::Auto => "auto",
                        MqttVersion::V5 => "5.0",
                        MqttVersion::V3_1_1 => "3.1.1",
                    }
                    .to_owned()
                })
                set=Callback::new(move |v: String| {
                    let version = match v.as_str() {
                        "5.0" => MqttVersion::V5,
                        "3.1.1" => MqttVersion::V3_1_1,
                        _ => MqttVersion::Auto,
                    };
                    draft.update(|d| d.version = version);
                })
            />
            <TextField ctx field=fixed("keep_alive_secs") label=EdText::CnKeepAlive hint=EdText::CnKeepAliveHint
                kind=InputKind::Whole bind=bind(draft, |d| &d.keep_alive, |d| &mut d.keep_alive) />
            {check(ctx, draft, "clean_start", EdText::CnCleanStart,
                |d| d.clean_start, |d, v| d.clean_start = v)}
            {move || v5.get().then(|| view! {
                <TextField ctx field=fixed("session_expiry_secs") label=EdText::CnSessionExpiry
                    hint=EdText::CnSessionExpiryHint kind=InputKind::Whole
                    bind=bind(draft, |d| &d.session_expiry, |d| &mut d.session_expiry) />
            })}
        </fieldset>
    };

    let will_section = view! {
        <fieldset>
            <legend>{ctx.t(EdText::CnSectionWill)}</legend>
            {check(ctx, draft, "will", EdText::CnWillEnable, |d| d.will, |d, v| d.will = v)}
            {move || will.get().then(|| view! {
                <p class="hint">{ctx.t(EdText::CnWillHint)}</p>
                {text(ctx, draft, "will.topic", EdText::Topic, InputKind::Topic,
                    |d| &d.will_topic, |d| &mut d.will_topic)}
                {text(ctx, draft, "will.payload", EdText::CnWillPayload, InputKind::Text,
                    |d| &d.will_payload, |d| &mut d.will_payload)}
                <QosField ctx field="will.qos" value=Signal::derive(move || draft.with(|d| d.will_qos))
                    set=Callback::new(move |q| draft.update(|d| d.will_qos = q)) />
                {check(ctx, draft, "will.retain", EdText::CnWillRetain,
                    |d| d.will_retain, |d, v| d.will_retain = v)}
            })}
        </fieldset>
    };

    view! {
        <EditorForm
            ctx
            class="connection-editor"
            unplaced=Callback::new(|field: String| !connection_field_has_input(&field))
            on_save=save
            on_cancel
        >
            <SelectField
                ctx
                field="preset"
                label=EdText::CnPreset
                options=preset_options
                value=Signal::derive(move || draft.with(|d| d.preset.clone().unwrap_or_else(|| CUSTOM.into())))
                set=Callback::new(move |v: String| draft.update(|d| d.apply_preset(&v, https)))
            />
            {public_warning}
            {text(ctx, draft, "name", EdText::CnName, InputKind::Text, |d| &d.name, |d| &mut d.name)}
            {broker}
            {auth}
            {session}
            {will_section}
        </EditorForm>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn custom() -> Connection {
        Connection {
            id: "c1".into(),
            name: "Mi broker".into(),
            preset: None,
            scheme: Scheme::Ws,
            host: "192.168.1.10".into(),
            port: 9001,
            path: "/".into(),
            username: None,
            password: None,
            remember_password: false,
            client_id: "tablero-1".into(),
            mqtt_version: MqttVersion::V3_1_1,
            keep_alive_secs: 30,
            clean_start: true,
            session_expiry_secs: 0,
            will: None,
        }
    }

    #[test]
    fn a_valid_connection_round_trips_through_the_draft() {
        let mut c = custom();
        c.username = Some("ana".into());
        c.password = Some("secreto".into());
        c.remember_password = true;
        c.mqtt_version = MqttVersion::V5;
        c.session_expiry_secs = 3_600;
        c.will = Some(LastWill {
            topic: "casa/estado".into(),
            payload: "offline".into(),
            qos: Qos::AtLeastOnce,
            retain: true,
        });
        let (built, tab_only, found) = ConnectionDraft::new(&c, None).build();
        assert_eq!(found, vec![]);
        assert_eq!(built, c);
        assert_eq!(tab_only, None);
        let stub = new_connection_stub("c2".into(), "tablero-x".into());
        let (built, _, found) = ConnectionDraft::new(&stub, None).build();
        assert_eq!(found, vec![]);
        assert_eq!(built, stub);
    }

    #[test]
    fn the_password_is_stored_only_when_remembered() {
        let mut d = ConnectionDraft::new(&custom(), None);
        assert!(!d.remember, "unticked by default");
        d.password = "secreto".into();
        let (c, tab_only, _) = d.build();
        assert_eq!(c.password, None);
        assert!(!c.remember_password);
        assert_eq!(tab_only.as_deref(), Some("secreto"));
        d.remember = true;
        let (c, tab_only, _) = d.build();
        assert_eq!(c.password.as_deref(), Some("secreto"));
        assert_eq!(tab_only, None);
        d.password.clear();
        let (c, tab_only, _) = d.build();
        assert_eq!((c.password, tab_only), (None, None));
        // The tab's password is shown when the configuration has none.
        let d = ConnectionDraft::new(&custom(), Some("del-tab".into()));
        assert_eq!(d.password, "del-tab");
    }

    #[test]
    fn a_preset_fills_host_port_path_and_credentials() {
        let mut d = ConnectionDraft::new(&custom(), None);
        d.name = String::new();
        d.apply_preset("hivemq", false);
        assert_eq!(d.preset.as_deref(), Some("hivemq"));
        assert_eq!(
            (d.host.as_str(), d.port.as_str(), d.path.as_str(), d.scheme),
            ("broker.hivemq.com", "8000", "/mqtt", Scheme::Ws)
        );
        assert_eq!(d.name, "broker.hivemq.com");
        assert_eq!(d.build().2, vec![]);

        d.apply_preset("shiftr", false);
        assert_eq!(
            (d.host.as_str(), d.port.as_str(), d.path.as_str()),
            ("public.cloud.shiftr.io", "80", "/")
        );
        assert_eq!(
            (d.username.as_str(), d.password.as_str()),
            ("public", "public")
        );
        assert_eq!(
            d.name, "public.cloud.shiftr.io",
            "a preset's name follows the preset"
        );

        // Leaving shiftr drops its public credentials, but not the user's own.
        d.apply_preset("mosquitto", false);
        assert_eq!((d.username.as_str(), d.password.as_str()), ("", ""));
        assert_eq!((d.port.as_str(), d.path.as_str()), ("8080", "/"));
        d.username = "ana".into();
        d.apply_preset("eclipse", false);
        assert_eq!(d.username, "ana");

        // A name the user chose is kept.
        d.name = "Casa".into();
        d.apply_preset("hivemq", false);
        assert_eq!(d.name, "Casa");
    }

    #[test]
    fn from_an_https_page_a_preset_uses_wss() {
        let mut d = ConnectionDraft::new(&custom(), None);
        assert!(d.mixed_content(true));
        assert!(!d.mixed_content(false));
        assert_eq!(d.wss_fix(true), None, "custom: no port to offer");
        d.apply_preset("mosquitto", true);
        assert_eq!((d.scheme, d.port.as_str()), (Scheme::Wss, "8081"));
        assert!(!d.mixed_content(true));
        d.set_scheme(Scheme::Ws);
        assert_eq!(d.port, "8080", "the preset's ws port");
        assert_eq!(d.wss_fix(true), Some(8081));
        d.use_wss();
        assert_eq!((d.scheme, d.port.as_str()), (Scheme::Wss, "8081"));
        // A port typed by hand is left alone.
        d.port = "9999".into();
        d.set_scheme(Scheme::Ws);
        assert_eq!(d.port, "9999");
    }

    #[test]
    fn custom_and_hand_typed_hosts_leave_the_preset() {
        let mut d = ConnectionDraft::new(&custom(), None);
        d.apply_preset("eclipse", false);
        d.apply_preset(CUSTOM, false);
        assert_eq!(d.preset, None);
        assert_eq!(d.host, "mqtt.eclipseprojects.io", "custom keeps the fields");
        d.apply_preset("eclipse", false);
        d.set_host("mqtt.eclipseprojects.io".into());
        assert_eq!(d.preset.as_deref(), Some("eclipse"));
        d.name = d.host.clone();
        d.set_host("mibroker.local".into());
        assert_eq!(d.preset, None);
        assert_eq!(
            d.name, "mibroker.local",
            "a name that was the host follows it"
        );
        d.name = "Casa".into();
        d.set_host("otro.local".into());
        assert_eq!(d.name, "Casa");
    }

    #[test]
    fn public_brokers_are_recognised_by_host() {
        let mut d = ConnectionDraft::new(&custom(), None);
        assert!(!d.is_public());
        d.apply_preset("hivemq", false);
        assert!(d.is_public());
        d.set_host("Broker.HiveMQ.com".into());
        assert!(d.is_public());
    }

    #[test]
    fn problems_name_the_inputs() {
        let mut d = ConnectionDraft::new(&custom(), None);
        d.host = "ws://x".into();
        d.port = "70000".into();
        d.path = "mqtt".into();
        d.keep_alive = "-1".into();
        d.will = true;
        d.will_topic = "a/#".into();
        let (_, _, found) = d.build();
        let fields: Vec<_> = found.iter().map(|p| p.field.as_str()).collect();
        assert_eq!(
            fields,
            ["port", "keep_alive_secs", "host", "path", "will.topic"]
        );
        assert_eq!(
            found[0].error,
            FormError::NotAWholeNumber {
                min: 1,
                max: 65_535
            }
        );
        for p in &found {
            assert!(connection_field_has_input(&p.field), "{}", p.field);
        }
        assert!(!connection_field_has_input("id"));
    }

    #[test]
    fn session_expiry_counts_only_for_mqtt_5() {
        let mut d = ConnectionDraft::new(&custom(), None);
        d.session_expiry = "nope".into();
        assert_eq!(d.build().2, vec![]);
        d.version = MqttVersion::V5;
        let (_, _, found) = d.build();
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].field, "session_expiry_secs");
        d.session_expiry = "86400".into();
        let (c, _, found) = d.build();
        assert_eq!(found, vec![]);
        assert_eq!(c.session_expiry_secs, 86_400);
    }

    #[test]
    fn random_ids_and_prefixes_have_their_shape() {
        let mut n = 0.0;
        let mut next = || {
            n = (n + 0.37) % 1.0;
            n
        };
        let id = random_client_id(&mut next);
        assert!(id.starts_with("tablero-") && id.len() == 16, "{id}");
        let prefix = random_topic_prefix(&mut next);
        assert!(
            prefix.starts_with("tablero/") && prefix.len() == 14,
            "{prefix}"
        );
        assert!(mqtt_codec_wasm::topic::validate_topic_name(&prefix).is_ok());
    }
}
