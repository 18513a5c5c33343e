//! Typed errors in the reader's language. Errors travel typed from where they happen (config,
//! storage, the broker link, a payload reading) up to the view, and only here become a
//! sentence: a Spanish reader never meets an English detail glued into a Spanish sentence.
//!
//! The dictionary itself (`i18n`) holds words and knows no error type; this module knows
//! both, so the lower layers import neither.

use crate::share::ShareError;
use crate::template::TemplateError;
use mqtt_codec_wasm::ReasonCode;
use mqtt_codec_wasm::topic::TopicError;
use mqtt_session::VersionRefusal;

use crate::config::{ConfigError, FieldError, Problem};
use crate::doctor::{CloseKind, Finding, PROBE_TIMEOUT_MS, ReasonFix, close_kind, reason_fix};
use crate::format::{fill, localized};
use std::cell::Cell;

use leptos::prelude::{ArcRwSignal, Get, Set, WithUntracked};
use leptos::wasm_split::SplitLoaderError;

use crate::i18n::{DocText, Lang, PrText, Text, t, tdoc, tpr};
use crate::mqtt::link::{LinkError, PublishError};
use crate::payload::{SHOWN_CHARS, excerpt};
use crate::reading::ReadingError;
use crate::reading::jsonpath::{Expected, JsonPathError};
use crate::state::NoticeText;
use crate::storage::StorageError;

/// The sentences the first screen may need for a problem (a notice, why the connection
/// failed, why a payload could not be read), as one part loaded on demand: a screen with
/// nothing wrong never fetches them, nor the words of [`PrText`]. The first screen reaches
/// them through [`worded`].
#[derive(Clone, Copy)]
pub struct ProblemWords {
    pub notice: fn(&NoticeText, Lang) -> String,
    pub link_error: fn(&LinkError, Lang) -> String,
    pub reading_error: fn(&ReadingError, Lang) -> String,
}

#[leptos::wasm_split::wasm_split(problem_words, wasm_split_path = ::leptos::wasm_split, fallible)]
fn problem_words() -> Result<ProblemWords, SplitLoaderError> {
    Ok(ProblemWords {
        notice: notice_text,
        link_error: link_error_text,
        reading_error: reading_error_text,
    })
}

thread_local! {
    /// The problem words once fetched (`Err` while the last fetch failed), and whether a
    /// fetch is under way.
    static PROBLEM_WORDS: (ArcRwSignal<Option<Result<ProblemWords, ()>>>, Cell<bool>) =
        (ArcRwSignal::new(None), Cell::new(false));
}

/// A problem in the reader's language, said by `say` with the problem words. Until they are
/// here it is "…" and their fetch starts (a render effect that asked runs again when they
/// arrive). If they could not be fetched (no network, and not kept by the service worker),
/// a sentence from the first load's dictionary says so, and the next call tries again.
pub fn worded(lang: Lang, say: impl FnOnce(&ProblemWords) -> String) -> String {
    let (words, fetching) =
        PROBLEM_WORDS.with(|(words, fetching)| (words.clone(), fetching.replace(true)));
    let now = words.get();
    if let Some(Ok(w)) = &now {
        return say(w);
    }
    if !fetching {
        leptos::task::spawn_local(async move {
            let fetched = problem_words().await;
            PROBLEM_WORDS.with(|(_, fetching)| fetching.set(false));
            match fetched {
                Ok(w) => words.set(Some(Ok(w))),
                // Said once: a failure again is no news, and would paint (and so fetch) again
                // at once.
                Err(_) if words.with_untracked(Option::is_none) => words.set(Some(Err(()))),
                Err(_) => {}
            }
        });
    }
    match now {
        Some(_) => t(lang, Text::ProblemNotWorded).to_owned(),
        None => "…".to_owned(),
    }
}

fn tr(lang: Lang, key: PrText, args: &[&str]) -> String {
    fill(tpr(lang, key), args)
}

/// Why a topic or filter is not valid, as a clause to put after "Not a valid topic: ".
pub fn topic_error_text(error: TopicError, lang: Lang) -> &'static str {
    tpr(
        lang,
        match error {
            TopicError::Empty => PrText::ErrTopicEmpty,
            TopicError::TooLong => PrText::TopicTooLong,
            TopicError::NullCharacter => PrText::TopicNull,
            TopicError::WildcardInTopicName => PrText::TopicWildcardInName,
            TopicError::MisplacedMultiLevelWildcard => PrText::TopicMisplacedHash,
            TopicError::MisplacedSingleLevelWildcard => PrText::TopicMisplacedPlus,
            TopicError::EmptyShareName => PrText::TopicEmptyShareName,
            TopicError::WildcardInShareName => PrText::TopicWildcardInShareName,
            TopicError::MissingSharedFilter => PrText::TopicMissingSharedFilter,
        },
    )
}

pub fn json_path_error_text(error: JsonPathError, lang: Lang) -> String {
    let what = tpr(
        lang,
        match error.expected {
            Expected::Dollar => PrText::JpDollar,
            Expected::KeyName => PrText::JpKeyName,
            Expected::ClosingQuote => PrText::JpClosingQuote,
            Expected::CloseBracket => PrText::JpCloseBracket,
            Expected::IndexOrKey => PrText::JpIndexOrKey,
            Expected::DotOrBracket => PrText::JpDotOrBracket,
        },
    );
    tr(
        lang,
        PrText::JpExpectedAt,
        &[what, &(error.offset + 1).to_string()],
    )
}

/// The sentence a validation problem shows under its input.
pub fn field_error_text(error: &FieldError, lang: Lang) -> String {
    let n = |v: f64| localized(v, lang);
    match error {
        FieldError::Empty => tpr(lang, PrText::ErrEmpty).to_owned(),
        FieldError::TooLong { max } => tr(lang, PrText::ErrTooLong, &[&max.to_string()]),
        FieldError::BadId => tpr(lang, PrText::ErrBadId).to_owned(),
        FieldError::DuplicateId(id) => tr(lang, PrText::ErrDuplicateId, &[id]),
        // The id is the file's text, of any length: quoted bounded.
        FieldError::UnknownConnection(id) => tr(
            lang,
            PrText::ErrUnknownConnection,
            &[&excerpt(id, SHOWN_CHARS)],
        ),
        FieldError::TopicName(TopicError::Empty) | FieldError::TopicFilter(TopicError::Empty) => {
            tpr(lang, PrText::ErrTopicEmpty).to_owned()
        }
        FieldError::TopicName(e) => tr(lang, PrText::ErrTopicName, &[topic_error_text(*e, lang)]),
        FieldError::TopicFilter(e) => {
            tr(lang, PrText::ErrTopicFilter, &[topic_error_text(*e, lang)])
        }
        FieldError::JsonPath(e) => tr(
            lang,
            PrText::ErrJsonPath,
            &[&json_path_error_text(*e, lang)],
        ),
        FieldError::OutOfRange { min, max } => {
            tr(lang, PrText::ErrOutOfRange, &[&n(*min), &n(*max)])
        }
        FieldError::MinNotBelowMax => tpr(lang, PrText::ErrMinNotBelowMax).to_owned(),
        FieldError::NotFinite => tpr(lang, PrText::ErrNotFinite).to_owned(),
        FieldError::BadColor => tpr(lang, PrText::ErrBadColor).to_owned(),
        FieldError::TooMany { max } => tr(lang, PrText::ErrTooMany, &[&max.to_string()]),
        FieldError::BadHost => tpr(lang, PrText::ErrBadHost).to_owned(),
        FieldError::BadPath => tpr(lang, PrText::ErrBadPath).to_owned(),
        FieldError::Template(e) => tpr(
            lang,
            match e {
                TemplateError::NoPlaceholder => PrText::ErrTemplateNoValue,
                TemplateError::Unclosed => PrText::ErrTemplateUnclosed,
                TemplateError::NotJson => PrText::ErrTemplateNotJson,
            },
        )
        .to_owned(),
        FieldError::UnknownIcon(name) => tr(lang, PrText::ErrUnknownIcon, &[name]),
        FieldError::DuplicateValue(v) => tr(lang, PrText::ErrDuplicateValue, &[v]),
    }
}

/// A short, single-line account of validation problems (at most three).
pub fn problems_text(problems: &[Problem], lang: Lang) -> String {
    problems
        .iter()
        .take(3)
        .map(|p| format!("{}: {}", p.field, field_error_text(&p.error, lang)))
        .collect::<Vec<_>>()
        .join("; ")
}

pub fn config_error_text(error: &ConfigError, lang: Lang) -> String {
    match error {
        ConfigError::NotJson { line, column } => tr(
            lang,
            PrText::CfgNotJson,
            &[&line.to_string(), &column.to_string()],
        ),
        // The path ends with the file's own field name, of any length: quoted bounded.
        ConfigError::NotTablero { at } => {
            tr(lang, PrText::CfgNotTablero, &[&excerpt(at, SHOWN_CHARS)])
        }
        ConfigError::NoVersion => tpr(lang, PrText::CfgNoVersion).to_owned(),
        ConfigError::Unreadable => tpr(lang, PrText::CfgUnreadable).to_owned(),
        ConfigError::TooLarge { bytes, max } => tr(
            lang,
            PrText::CfgTooLarge,
            &[&bytes.to_string(), &max.to_string()],
        ),
        ConfigError::NewerVersion { found, supported } => tr(
            lang,
            PrText::CfgNewer,
            &[&found.to_string(), &supported.to_string()],
        ),
        ConfigError::Invalid(problems) => tr(
            lang,
            PrText::CfgInvalid,
            &[&problems.len().to_string(), &problems_text(problems, lang)],
        ),
    }
}

pub fn storage_error_text(error: StorageError, lang: Lang) -> &'static str {
    tpr(
        lang,
        match error {
            StorageError::Unavailable => PrText::StorageUnavailable,
            StorageError::Full => PrText::StorageFull,
            StorageError::DownloadFailed => PrText::StorageDownloadFailed,
        },
    )
}

pub fn publish_error_text(error: &PublishError, lang: Lang) -> String {
    match error {
        PublishError::NoConnection => tpr(lang, PrText::PubNoConnection).to_owned(),
        PublishError::NotConnected => tpr(lang, PrText::PubNotConnected).to_owned(),
        PublishError::QueueFull => tpr(lang, PrText::PubQueueFull).to_owned(),
        PublishError::TooLarge { size, maximum } => tr(
            lang,
            PrText::PubTooLarge,
            &[&size.to_string(), &maximum.to_string()],
        ),
        PublishError::QosNotSupported { maximum } => {
            tr(lang, PrText::PubQosNotSupported, &[&maximum.to_string()])
        }
        PublishError::RetainNotSupported => tpr(lang, PrText::PubRetainNotSupported).to_owned(),
        PublishError::InvalidTopic(e) => {
            tr(lang, PrText::ErrTopicName, &[topic_error_text(*e, lang)])
        }
        PublishError::Refused => tpr(lang, PrText::PubRefused).to_owned(),
    }
}

/// Why a payload did not fit a widget.
pub fn reading_error_text(err: &ReadingError, lang: Lang) -> String {
    match err {
        ReadingError::Binary => tpr(lang, PrText::ReadingBinary).to_owned(),
        ReadingError::NotJson => tpr(lang, PrText::ReadingNotJson).to_owned(),
        ReadingError::PathMissing(path) => tr(lang, PrText::ReadingNothingAt, &[path]),
        ReadingError::NotANumber(excerpt) => tr(lang, PrText::ReadingNotANumber, &[excerpt]),
    }
}

pub fn notice_text(notice: &NoticeText, lang: Lang) -> String {
    match notice {
        NoticeText::Imported => tpr(lang, PrText::Imported).to_owned(),
        NoticeText::PartNotLoaded => t(lang, Text::PartNotLoaded).to_owned(),
        NoticeText::ShareAdded => tpr(lang, PrText::ShareAdded).to_owned(),
        NoticeText::DemoBrokerSwitched { from, to } => {
            tr(lang, PrText::DemoBrokerSwitched, &[from, to])
        }
        NoticeText::DemoKept { prefix } => tr(lang, PrText::DemoKept, &[prefix]),
        NoticeText::ShareRefused(e) => {
            tr(lang, PrText::ShareRefused, &[&share_error_text(e, lang)])
        }
        NoticeText::ImportFailed(e) => {
            tr(lang, PrText::ImportFailed, &[&config_error_text(e, lang)])
        }
        NoticeText::StoredConfigUnreadable(e) => tr(
            lang,
            PrText::StoredConfigUnreadable,
            &[&config_error_text(e, lang)],
        ),
        NoticeText::SaveFailed(e) => tr(lang, PrText::SaveFailed, &[storage_error_text(*e, lang)]),
        NoticeText::ExportFailed(e) => {
            tr(lang, PrText::ExportFailed, &[storage_error_text(*e, lang)])
        }
        NoticeText::PublishFailed(e) => {
            tr(lang, PrText::PublishFailed, &[&publish_error_text(e, lang)])
        }
        NoticeText::ChangeRejected(problems) => tr(
            lang,
            PrText::ChangeRejected,
            &[&problems_text(problems, lang)],
        ),
    }
}

/// Why a share link cannot be opened.
pub fn share_error_text(error: &ShareError, lang: Lang) -> String {
    match error {
        ShareError::TooLong { chars, max } => tr(
            lang,
            PrText::ShareTooLong,
            &[&chars.to_string(), &max.to_string()],
        ),
        ShareError::NotBase64 => tpr(lang, PrText::ShareNotBase64).to_owned(),
        ShareError::NotCompressed => tpr(lang, PrText::ShareNotCompressed).to_owned(),
        ShareError::TooLarge { max } => tr(lang, PrText::ShareTooLarge, &[&max.to_string()]),
        ShareError::Config(e) => config_error_text(e, lang),
        ShareError::NotOneDashboard => tpr(lang, PrText::ShareNotOneDashboard).to_owned(),
    }
}

/// A broker connection problem in words, with what to do about it.
pub fn link_error_text(error: &LinkError, lang: Lang) -> String {
    match error {
        LinkError::Unreachable { url } => tr(lang, PrText::LinkUnreachable, &[url]),
        LinkError::Closed { code } => tr(lang, PrText::LinkClosed, &[&code.to_string()]),
        LinkError::Refused { reason, detail } => tr(
            lang,
            PrText::LinkRefused,
            &[&reason_with_detail(*reason, detail.as_deref(), lang)],
        ),
        LinkError::KeepAliveTimeout => tpr(lang, PrText::LinkKeepAlive).to_owned(),
        LinkError::ConnectTimeout => tpr(lang, PrText::LinkConnectTimeout).to_owned(),
        LinkError::Protocol(reason) => {
            tr(lang, PrText::LinkProtocol, &[&reason_text(*reason, lang)])
        }
        LinkError::TextFrame => tpr(lang, PrText::LinkTextFrame).to_owned(),
        LinkError::ServerDisconnect { reason, detail } => tr(
            lang,
            PrText::LinkServerDisconnect,
            &[&reason_with_detail(*reason, detail.as_deref(), lang)],
        ),
        LinkError::MixedContent => tpr(lang, PrText::LinkMixedContent).to_owned(),
        LinkError::BrokerLimit { size, maximum } => tr(
            lang,
            PrText::LinkBrokerLimit,
            &[&maximum.to_string(), &size.to_string()],
        ),
        LinkError::BadUrl(why) => tr(lang, PrText::LinkBadUrl, &[why]),
        LinkError::InvalidSettings => tpr(lang, PrText::LinkInvalidSettings).to_owned(),
        LinkError::VersionRefused(VersionRefusal::ClosedAfterConnect) => {
            tpr(lang, PrText::LinkMaybeNoV5).to_owned()
        }
        LinkError::VersionRefused(_) => tpr(lang, PrText::LinkNoV5).to_owned(),
    }
}

/// A doctor's finding in words: its cause, and what to do about it. A cause the status line
/// words too is worded the same here.
pub fn finding_text(finding: &Finding, lang: Lang) -> (String, String) {
    let d = |key: DocText, args: &[&str]| fill(tdoc(lang, key), args);
    let pair = |cause: DocText, fix: DocText, args: &[&str]| (d(cause, args), d(fix, args));
    match finding {
        Finding::NoNetwork => pair(DocText::NoNetwork, DocText::NoNetworkFix, &[]),
        Finding::MixedContent { wss_port } => (
            d(DocText::MixedContent, &[]),
            match wss_port {
                Some(port) => d(DocText::MixedContentFixPort, &[&port.to_string()]),
                None => d(DocText::MixedContentFixCustom, &[]),
            },
        ),
        Finding::LocalNetwork { host } => {
            pair(DocText::LocalNetwork, DocText::LocalNetworkFix, &[host])
        }
        Finding::AnswersNow { url } => pair(DocText::AnswersNow, DocText::AnswersNowFix, &[url]),
        Finding::WrongPath { url, path } => (
            d(DocText::WrongPath, &[url, path]),
            d(DocText::WrongPathFix, &[path]),
        ),
        Finding::NotMqtt { address } => pair(DocText::NotMqtt, DocText::NotMqttFix, &[address]),
        Finding::NothingAnswers {
            address,
            silent: false,
        } => pair(DocText::Refused, DocText::RefusedFix, &[address]),
        Finding::NothingAnswers {
            address,
            silent: true,
        } => (
            d(
                DocText::Timeout,
                &[address, &(PROBE_TIMEOUT_MS / 1000).to_string()],
            ),
            d(DocText::TimeoutFix, &[]),
        ),
        Finding::Tls { url } => (d(DocText::Tls, &[]), d(DocText::TlsFix, &[url])),
        Finding::BrokerDown { host } => pair(DocText::BrokerDown, DocText::BrokerDownFix, &[host]),
        Finding::NoInternet => pair(DocText::NoInternet, DocText::NoInternetFix, &[]),
        Finding::Closed { code } => {
            let (cause, fix) = match close_kind(*code) {
                CloseKind::Normal => (DocText::ClosedNormal, DocText::ClosedNormalFix),
                CloseKind::GoingAway => (DocText::ClosedGoingAway, DocText::ClosedGoingAwayFix),
                CloseKind::Protocol => (DocText::ClosedProtocol, DocText::ClosedProtocolFix),
                CloseKind::Abnormal => (DocText::ClosedAbnormal, DocText::ClosedAbnormalFix),
                CloseKind::Policy => (DocText::ClosedPolicy, DocText::ClosedPolicyFix),
                CloseKind::TooBig => (DocText::ClosedTooBig, DocText::ClosedTooBigFix),
                CloseKind::ServerError => {
                    (DocText::ClosedServerError, DocText::ClosedServerErrorFix)
                }
                CloseKind::BadGateway => (DocText::ClosedBadGateway, DocText::ClosedBadGatewayFix),
                CloseKind::Tls => (DocText::ClosedTls, DocText::ClosedTlsFix),
                CloseKind::Other => (DocText::ClosedOther, DocText::ClosedOtherFix),
            };
            pair(cause, fix, &[&code.to_string()])
        }
        Finding::Refused { reason, detail } => (
            tr(
                lang,
                PrText::LinkRefused,
                &[&reason_with_detail(*reason, detail.as_deref(), lang)],
            ),
            reason_fix_text(*reason, lang),
        ),
        Finding::Disconnected { reason, detail } => (
            tr(
                lang,
                PrText::LinkServerDisconnect,
                &[&reason_with_detail(*reason, detail.as_deref(), lang)],
            ),
            reason_fix_text(*reason, lang),
        ),
        Finding::NoMqttAnswer { url } => {
            pair(DocText::NoMqttAnswer, DocText::NoMqttAnswerFix, &[url])
        }
        Finding::Protocol { reason } => (
            tr(lang, PrText::LinkProtocol, &[&reason_text(*reason, lang)]),
            d(DocText::ProtocolFix, &[]),
        ),
        Finding::KeepAlive => (
            tpr(lang, PrText::LinkKeepAlive).to_owned(),
            d(DocText::KeepAliveFix, &[]),
        ),
        Finding::TextFrame => (
            tpr(lang, PrText::LinkTextFrame).to_owned(),
            d(DocText::TextFrameFix, &[]),
        ),
        Finding::NoV5 { maybe } => (
            tpr(
                lang,
                if *maybe {
                    PrText::LinkMaybeNoV5
                } else {
                    PrText::LinkNoV5
                },
            )
            .to_owned(),
            d(DocText::FixVersion, &[]),
        ),
        Finding::BrokerLimit { size, maximum } => (
            tr(
                lang,
                PrText::LinkBrokerLimit,
                &[&maximum.to_string(), &size.to_string()],
            ),
            d(DocText::BrokerLimitFix, &[]),
        ),
        Finding::BadUrl { why } => (
            tr(lang, PrText::LinkBadUrl, &[why]),
            d(DocText::BadUrlFix, &[]),
        ),
        Finding::InvalidSettings => (
            tpr(lang, PrText::LinkInvalidSettings).to_owned(),
            d(DocText::InvalidSettingsFix, &[]),
        ),
        Finding::PublicNoPrefix {
            host,
            topic,
            suggestion,
        } => (
            d(DocText::PublicNoPrefix, &[host, topic]),
            d(DocText::PublicNoPrefixFix, &[suggestion]),
        ),
    }
}

/// What to do about a reason code a broker refused or ended the connection with.
fn reason_fix_text(reason: ReasonCode, lang: Lang) -> String {
    tdoc(
        lang,
        match reason_fix(reason) {
            ReasonFix::Credentials => DocText::FixCredentials,
            ReasonFix::NotAuthorized => DocText::FixNotAuthorized,
            ReasonFix::ClientId => DocText::FixClientId,
            ReasonFix::TakenOver => DocText::FixTakenOver,
            ReasonFix::Version => DocText::FixVersion,
            ReasonFix::Later => DocText::FixLater,
            ReasonFix::Banned => DocText::FixBanned,
            ReasonFix::OtherServer => DocText::FixOtherServer,
            ReasonFix::BrokerLog => DocText::FixBrokerLog,
        },
    )
    .to_owned()
}

/// A reason code in words, followed by the broker's own reason string when it sent one.
fn reason_with_detail(reason: ReasonCode, detail: Option<&str>, lang: Lang) -> String {
    let why = reason_text(reason, lang);
    match detail {
        Some(d) => format!("{why} — {d}"),
        None => why,
    }
}

/// A reason code in words with its number: English from the codec's description, Spanish
/// from this table.
pub fn reason_text(reason: ReasonCode, lang: Lang) -> String {
    let words = match lang {
        Lang::En => reason.description(),
        Lang::Es => reason_es(reason),
    };
    format!("{words} (0x{:02X})", reason.as_u8())
}

fn reason_es(reason: ReasonCode) -> &'static str {
    use ReasonCode as R;
    match reason {
        R::Success => "correcto",
        R::GrantedQoS1 => "concedido QoS 1",
        R::GrantedQoS2 => "concedido QoS 2",
        R::DisconnectWithWillMessage => "desconexión con mensaje de última voluntad",
        R::NoMatchingSubscribers => "nadie está suscrito",
        R::NoSubscriptionExisted => "no existía esa suscripción",
        R::ContinueAuthentication => "continuar la autenticación",
        R::ReAuthenticate => "volver a autenticarse",
        R::UnspecifiedError => "error sin especificar",
        R::MalformedPacket => "paquete mal formado",
        R::ProtocolError => "error de protocolo",
        R::ImplementationSpecificError => "error propio del broker",
        R::UnsupportedProtocolVersion => "versión de MQTT no soportada (prueba 3.1.1)",
        R::ClientIdentifierNotValid => "identificador de cliente no válido",
        R::BadUserNameOrPassword => "usuario o contraseña incorrectos",
        R::NotAuthorized => "no autorizado",
        R::ServerUnavailable => "servidor no disponible",
        R::ServerBusy => "servidor ocupado",
        R::Banned => "cliente bloqueado",
        R::ServerShuttingDown => "el servidor se está apagando",
        R::BadAuthenticationMethod => "método de autenticación incorrecto",
        R::KeepAliveTimeout => "tiempo de keepalive agotado",
        R::SessionTakenOver => "otra conexión usó el mismo identificador de cliente",
        R::TopicFilterInvalid => "filtro de tópico no válido",
        R::TopicNameInvalid => "tópico no válido",
        R::PacketIdentifierInUse => "identificador de paquete en uso",
        R::PacketIdentifierNotFound => "identificador de paquete desconocido",
        R::ReceiveMaximumExceeded => "demasiados mensajes sin confirmar",
        R::TopicAliasInvalid => "alias de tópico no válido",
        R::PacketTooLarge => "paquete demasiado grande",
        R::MessageRateTooHigh => "demasiados mensajes por segundo",
        R::QuotaExceeded => "cuota excedida",
        R::AdministrativeAction => "acción del administrador",
        R::PayloadFormatInvalid => "formato de contenido no válido",
        R::RetainNotSupported => "no admite mensajes retenidos",
        R::QoSNotSupported => "QoS no soportado",
        R::UseAnotherServer => "usa otro servidor",
        R::ServerMoved => "el servidor se mudó",
        R::SharedSubscriptionsNotSupported => "no admite suscripciones compartidas",
        R::ConnectionRateExceeded => "demasiadas conexiones seguidas",
        R::MaximumConnectTime => "tiempo máximo de conexión alcanzado",
        R::SubscriptionIdentifiersNotSupported => "no admite identificadores de suscripción",
        R::WildcardSubscriptionsNotSupported => "no admite suscripciones con comodines",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn every_field_error() -> Vec<FieldError> {
        vec![
            FieldError::Empty,
            FieldError::TooLong { max: 80 },
            FieldError::BadId,
            FieldError::DuplicateId("dup-id".into()),
            FieldError::UnknownConnection("conn-x".into()),
            FieldError::TopicName(TopicError::WildcardInTopicName),
            FieldError::TopicFilter(TopicError::MisplacedMultiLevelWildcard),
            FieldError::JsonPath(JsonPathError {
                offset: 0,
                expected: Expected::Dollar,
            }),
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
            FieldError::Template(TemplateError::NoPlaceholder),
            FieldError::Template(TemplateError::Unclosed),
            FieldError::Template(TemplateError::NotJson),
            FieldError::UnknownIcon("ufo".into()),
            FieldError::DuplicateValue("1".into()),
            FieldError::TopicName(TopicError::Empty),
            FieldError::TopicFilter(TopicError::Empty),
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
    fn field_error_sentences_carry_their_details_in_the_readers_language() {
        let es = |e: FieldError| field_error_text(&e, Lang::Es);
        let en = |e: FieldError| field_error_text(&e, Lang::En);
        assert_eq!(en(FieldError::Empty), "This field must not be empty.");
        assert_eq!(es(FieldError::Empty), "Este campo no puede estar vacío.");
        assert!(es(FieldError::TooLong { max: 80 }).contains("80"));
        assert!(es(FieldError::DuplicateId("dup-id".into())).contains("dup-id"));
        let range = FieldError::OutOfRange {
            min: 0.5,
            max: 60000.0,
        };
        assert_eq!(es(range.clone()), "Debe estar entre 0,5 y 60000.");
        assert_eq!(en(range), "Must be between 0.5 and 60000.");
        let filter = FieldError::TopicFilter(TopicError::MisplacedMultiLevelWildcard);
        assert_eq!(
            es(filter.clone()),
            "No es un filtro de tópico válido: # debe ir solo y al final, como en casa/#"
        );
        assert_eq!(
            en(filter),
            "Not a valid topic filter: # must stand alone at the end, as in home/#"
        );
        let path = FieldError::JsonPath(JsonPathError {
            offset: 4,
            expected: Expected::KeyName,
        });
        assert_eq!(
            es(path),
            "No es una ruta JSON válida: se esperaba un nombre de clave tras «.» en la posición 5"
        );
        assert_eq!(
            es(FieldError::TopicFilter(TopicError::Empty)),
            "Escribe un tópico."
        );
    }

    #[test]
    fn every_topic_error_is_translated() {
        use TopicError as E;
        for e in [
            E::TooLong,
            E::NullCharacter,
            E::WildcardInTopicName,
            E::MisplacedMultiLevelWildcard,
            E::MisplacedSingleLevelWildcard,
            E::EmptyShareName,
            E::WildcardInShareName,
            E::MissingSharedFilter,
        ] {
            assert_ne!(topic_error_text(e, Lang::Es), topic_error_text(e, Lang::En));
        }
    }

    #[test]
    fn config_errors_in_spanish_carry_no_english() {
        let e = ConfigError::NotJson { line: 3, column: 7 };
        assert_eq!(
            config_error_text(&e, Lang::Es),
            "el archivo no es JSON válido (línea 3, columna 7)"
        );
        let notice = NoticeText::ImportFailed(e);
        let es = notice_text(&notice, Lang::Es);
        assert!(es.starts_with("No se importó nada"), "{es}");
        for english in ["EOF", "while parsing", "not a Tablero", "expected"] {
            assert!(!es.contains(english), "{es}");
        }
    }

    #[test]
    fn reason_codes_in_both_languages() {
        assert_eq!(
            reason_text(ReasonCode::NotAuthorized, Lang::Es),
            "no autorizado (0x87)"
        );
        assert_eq!(
            reason_text(ReasonCode::NotAuthorized, Lang::En),
            format!("{} (0x87)", ReasonCode::NotAuthorized.description())
        );
    }

    #[test]
    fn link_and_publish_errors_are_translated() {
        let unreachable = LinkError::Unreachable {
            url: "ws://127.0.0.1:1/".into(),
        };
        assert!(link_error_text(&unreachable, Lang::En).contains("nothing answers"));
        assert!(link_error_text(&unreachable, Lang::Es).contains("nadie responde"));
        let older = LinkError::VersionRefused(VersionRefusal::OlderConnAck { return_code: 1 });
        assert!(link_error_text(&older, Lang::Es).contains("no habla MQTT 5.0"));
        assert!(link_error_text(&older, Lang::En).contains("does not speak MQTT 5.0"));
        let closed = LinkError::VersionRefused(VersionRefusal::ClosedAfterConnect);
        assert!(link_error_text(&closed, Lang::Es).contains("quizá no habla MQTT 5.0"));
        assert!(link_error_text(&closed, Lang::En).contains("may not speak MQTT 5.0"));
        assert_ne!(
            publish_error_text(&PublishError::NoConnection, Lang::Es),
            publish_error_text(&PublishError::NoConnection, Lang::En)
        );
    }

    fn every_finding() -> Vec<Finding> {
        let mut all = vec![
            Finding::NoNetwork,
            Finding::MixedContent {
                wss_port: Some(8884),
            },
            Finding::MixedContent { wss_port: None },
            Finding::LocalNetwork {
                host: "192.168.1.20".into(),
            },
            Finding::AnswersNow {
                url: "ws://127.0.0.1:9001/".into(),
            },
            Finding::WrongPath {
                url: "ws://127.0.0.1:9001/".into(),
                path: "/mqtt".into(),
            },
            Finding::NotMqtt {
                address: "127.0.0.1:8080".into(),
            },
            Finding::NothingAnswers {
                address: "127.0.0.1:1".into(),
                silent: false,
            },
            Finding::NothingAnswers {
                address: "10.0.0.9:9001".into(),
                silent: true,
            },
            Finding::Tls {
                url: "https://192.168.1.20:8884/".into(),
            },
            Finding::BrokerDown {
                host: "broker.hivemq.com".into(),
            },
            Finding::NoInternet,
            Finding::Refused {
                reason: ReasonCode::BadUserNameOrPassword,
                detail: None,
            },
            Finding::NoMqttAnswer {
                url: "ws://127.0.0.1:9001/".into(),
            },
            Finding::Disconnected {
                reason: ReasonCode::SessionTakenOver,
                detail: Some("x".into()),
            },
            Finding::Protocol {
                reason: ReasonCode::MalformedPacket,
            },
            Finding::KeepAlive,
            Finding::TextFrame,
            Finding::NoV5 { maybe: true },
            Finding::NoV5 { maybe: false },
            Finding::BrokerLimit {
                size: 300,
                maximum: 128,
            },
            Finding::BadUrl { why: "bad".into() },
            Finding::InvalidSettings,
            Finding::PublicNoPrefix {
                host: "broker.hivemq.com".into(),
                topic: "casa/luz".into(),
                suggestion: "tablero/k3j9x2".into(),
            },
        ];
        // One close code of each kind.
        for code in [1000, 1001, 1002, 1006, 1008, 1009, 1011, 1014, 1015, 4000] {
            all.push(Finding::Closed { code });
        }
        all
    }

    #[test]
    fn every_finding_has_a_cause_and_a_fix_in_both_languages() {
        let english_words = ["the ", " and ", " is ", "Check", "broker's"];
        for f in every_finding() {
            let (es, es_fix) = finding_text(&f, Lang::Es);
            let (en, en_fix) = finding_text(&f, Lang::En);
            for text in [&es, &en] {
                assert!(!text.trim().is_empty(), "{f:?}");
                assert!(!text.contains("{}"), "unfilled template for {f:?}: {text}");
            }
            assert_ne!(es, en, "{f:?} is not translated");
            for word in english_words {
                assert!(!es.contains(word), "English in Spanish for {f:?}: {es}");
            }
            assert!(!es_fix.contains("{}") && !en_fix.contains("{}"), "{f:?}");
            assert_ne!(es_fix, en_fix, "{f:?}");
            for word in english_words {
                assert!(
                    !es_fix.contains(word),
                    "English in Spanish for {f:?}: {es_fix}"
                );
            }
        }
        // Each close-code kind has words of its own.
        let mut causes: Vec<String> = [1000, 1001, 1002, 1006, 1008, 1009, 1011, 1014, 1015, 4000]
            .into_iter()
            .map(|code| finding_text(&Finding::Closed { code }, Lang::Es).0)
            .collect();
        causes.dedup();
        assert_eq!(causes.len(), 10);
    }

    #[test]
    fn findings_name_what_they_found() {
        let en = |f: Finding| finding_text(&f, Lang::En);
        let es = |f: Finding| finding_text(&f, Lang::Es);
        let mixed = Finding::MixedContent {
            wss_port: Some(8884),
        };
        assert_eq!(en(mixed.clone()).1, "Use wss:// on port 8884.");
        assert_eq!(es(mixed).1, "Usa wss:// en el puerto 8884.");
        let refused = Finding::NothingAnswers {
            address: "127.0.0.1:45123".into(),
            silent: false,
        };
        assert_eq!(
            en(refused.clone()).0,
            "Nothing answers at 127.0.0.1:45123: the connection was refused."
        );
        assert!(
            es(refused)
                .0
                .starts_with("Nada responde en 127.0.0.1:45123")
        );
        let silent = Finding::NothingAnswers {
            address: "10.0.0.9:9001".into(),
            silent: true,
        };
        assert!(en(silent).0.contains("within 4 s"));
        let path = Finding::WrongPath {
            url: "ws://127.0.0.1:9001/".into(),
            path: "/mqtt".into(),
        };
        let (cause, fix) = en(path);
        assert!(
            cause.contains("ws://127.0.0.1:9001/") && cause.contains("/mqtt"),
            "{cause}"
        );
        assert_eq!(fix, "Use the path /mqtt in the connection.");
        let tls = en(Finding::Tls {
            url: "https://192.168.1.20:8884/".into(),
        });
        assert!(tls.1.starts_with("Open https://192.168.1.20:8884/ once"));
        let closed = en(Finding::Closed { code: 1006 }).0;
        assert!(
            closed.contains("1006") && closed.contains("dropped"),
            "{closed}"
        );
        // CONNACK: the reason in the reader's words, with the broker's own detail.
        let (cause, fix) = es(Finding::Refused {
            reason: ReasonCode::NotAuthorized,
            detail: Some("acl".into()),
        });
        assert_eq!(
            cause,
            "El broker rechazó la conexión: no autorizado (0x87) — acl"
        );
        assert!(fix.contains("ACL"));
        let (cause, fix) = en(Finding::PublicNoPrefix {
            host: "broker.hivemq.com".into(),
            topic: "casa/luz".into(),
            suggestion: "tablero/k3j9x2".into(),
        });
        assert!(
            cause.contains("“casa/luz”") && cause.contains("switch your lamp"),
            "{cause}"
        );
        assert!(fix.contains("tablero/k3j9x2/…"));
        // A cause the status line words too is worded the same.
        let keepalive = LinkError::KeepAliveTimeout;
        assert_eq!(
            es(Finding::KeepAlive).0,
            link_error_text(&keepalive, Lang::Es)
        );
        let (cause, fix) = en(Finding::Disconnected {
            reason: ReasonCode::SessionTakenOver,
            detail: None,
        });
        assert!(
            cause.starts_with("The broker ended the connection: "),
            "{cause}"
        );
        assert!(fix.contains("same client id"), "{fix}");
    }

    #[test]
    fn a_files_own_text_is_quoted_bounded() {
        let long = "x".repeat(100_000);
        for text in [
            config_error_text(
                &ConfigError::NotTablero {
                    at: format!("dashboards[0].{long}"),
                },
                Lang::En,
            ),
            field_error_text(&FieldError::UnknownConnection(long.clone()), Lang::Es),
        ] {
            assert!(text.chars().count() < SHOWN_CHARS + 80, "{}", text.len());
            assert!(text.contains('…'), "{text}");
        }
    }

    #[test]
    fn reading_errors_in_words() {
        let e = |err| reading_error_text(&err, Lang::En);
        assert_eq!(
            e(ReadingError::NotANumber("hot".into())),
            "not a number: hot"
        );
        assert_eq!(
            e(ReadingError::PathMissing("$.temp".into())),
            "nothing at $.temp"
        );
        assert_eq!(e(ReadingError::NotJson), "not JSON");
        assert_eq!(e(ReadingError::Binary), "binary payload");
        assert_eq!(
            reading_error_text(&ReadingError::NotANumber("{}".into()), Lang::Es),
            "no es un número: {}",
            "broker text is inserted literally"
        );
    }
}
