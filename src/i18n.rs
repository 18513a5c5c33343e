//! Every user-visible string, in Spanish and English. The browser's language chooses; the
//! user can switch. Keys are an enum so a missing translation is a compile error, not a
//! blank on screen.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Es,
    En,
}

impl Lang {
    /// Spanish for any `es*` tag, English otherwise.
    pub fn from_tag(tag: &str) -> Self {
        if tag.to_ascii_lowercase().starts_with("es") {
            Self::Es
        } else {
            Self::En
        }
    }
    pub fn tag(self) -> &'static str {
        match self {
            Self::Es => "es",
            Self::En => "en",
        }
    }
    pub fn other(self) -> Self {
        match self {
            Self::Es => Self::En,
            Self::En => Self::Es,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Text {
    SwitchLanguage,
    // Widgets. Templates carry one `{}` that the widget fills (see `widgets::fill`).
    OfflineData,
    // The shell: header, tabs, notices, connection status.
    Edit,
    Done,
    StatusConnecting,
    StatusConnected,
    StatusConnectedAuto,
    UseV311,
    StatusReconnecting,
    StatusStopped,
    RetryNow,
    /// The status line's button that opens the connection doctor.
    Diagnose,
    NoWidgets,
    Dismiss,
    // The installed app: a newer build waiting (its button: `UpdateApply`), the device with
    // no network (`DeviceOffline`).
    UpdateReady,
    UpdateApply,
    DeviceOffline,
    Dashboards,
    /// The tab of the broker view (topic explorer, message log, publish panel).
    Explore,
    PartNotLoaded,
    /// The words of a problem (`describe::worded`) could not be fetched.
    ProblemNotWorded,
}

/// The words only edit mode and the editors use (the toolbar, the widget and connection
/// editors, the share dialogs). Their own dictionary, [`ted`], is reached only from those
/// parts, which are split off the first load: so these words, in both languages, are
/// downloaded with them and not with the first screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EdText {
    // The in-page demo device's bar: what it does, its connection, its two buttons.
    DemoLead,
    DemoDeviceConnected,
    DemoDeviceConnecting,
    DemoDeviceOffline,
    DemoStop,
    DemoKeep,
    // The firmware dialog: its toolbar button, title, hint, the two boards, the copy button.
    Firmware,
    FirmwareTitle,
    FirmwareHint,
    FirmwareArduino,
    FirmwareMicroPython,
    FirmwareCopy,
    Topic,
    AddWidget,
    AddDashboard,
    DashboardName,
    DeleteDashboard,
    ConfirmDeleteDashboard,
    ExportConfig,
    ImportConfig,
    ConnectionSettings,
    MoveUp,
    MoveDown,
    EditWidget,
    RemoveWidget,
    ConfirmRemoveWidget,
    CnVersionAuto,
    Share,
    ShareTitle,
    ShareIncludes,
    ShareCopy,
    ShareCopied,
    ShareScan,
    ShareTooLongForQr,
    ShareQrLabel,
    ShareOpenTitle,
    ShareOpenBody,
    ShareOpenAdd,
    DashboardConnection,
    AddConnection,
    EdWidgetType,
    EdKindGauge,
    EdKindSwitch,
    EdKindChart,
    EdKindValue,
    EdKindButton,
    EdKindLed,
    EdKindSlider,
    EdKindLevel,
    EdKindText,
    EdKindColor,
    EdKindLog,
    EdLogFilter,
    EdLogFilterHint,
    EdLogLines,
    EdLogFormat,
    EdLogText,
    EdLogJson,
    EdLogHex,
    EdTemplate,
    EdTemplateHint,
    EdStep,
    EdThrottle,
    EdThrottleHint,
    EdVertical,
    EdOnColor,
    EdOffColor,
    EdPayload,
    EdButtonLabel,
    EdButtonLabelHint,
    EdConfirmFirst,
    EdIcon,
    EdMap,
    EdMapHint,
    EdMapRowN,
    EdMapWhen,
    EdMapLabel,
    EdMapColor,
    EdAddMapRow,
    EdIconNone,
    EdIconBulb,
    EdIconFan,
    EdIconLock,
    EdIconPlug,
    EdIconMotor,
    EdIconThermometer,
    EdIconAc,
    EdIconDoor,
    EdIconCamera,
    EdIconPerson,
    EdIconBattery,
    EdIconBluetooth,
    EdIconCar,
    EdIconKey,
    EdIconPower,
    EdTitle,
    EdTopicHint,
    EdJsonPath,
    EdJsonPathHint,
    EdScale,
    EdOffset,
    EdTransformHint,
    EdQos,
    EdQos0,
    EdQos1,
    EdQos2,
    EdUnit,
    EdDecimals,
    EdDecimalsTextHint,
    EdMin,
    EdMax,
    EdBands,
    EdBandsHint,
    EdBandN,
    EdBandFrom,
    EdColor,
    EdAddBand,
    EdRemove,
    EdCommandTopic,
    EdCommandTopicHint,
    EdOnPayload,
    EdOffPayload,
    EdStateTopic,
    EdStateTopicHint,
    EdStateOn,
    EdStateOff,
    EdStateJsonPathHint,
    EdRetain,
    EdRetainWarning,
    EdConfirmTimeout,
    EdConfirmTimeoutHint,
    EdResponseTopic,
    EdSwitchResponseTopicHint,
    EdButtonResponseTopicHint,
    EdExpiry,
    EdExpiryHint,
    EdSeries,
    EdSeriesN,
    EdSeriesLabel,
    EdAddSeries,
    EdWindow,
    EdMaxPoints,
    EdMaxPointsHint,
    EdChartRangeHint,
    EdStaleAfter,
    EdStaleAfterHint,
    EdSave,
    EdCancel,
    EdFixProblems,
    CnPreset,
    CnCustom,
    CnName,
    CnSectionBroker,
    CnScheme,
    CnSchemeWs,
    CnSchemeWss,
    CnHost,
    CnHostHint,
    CnPort,
    CnPath,
    CnSectionAuth,
    CnUsername,
    CnPassword,
    CnRemember,
    CnRememberOffHint,
    CnRememberOnHint,
    CnSectionSession,
    CnClientId,
    CnClientIdHint,
    CnRandom,
    CnVersion,
    CnKeepAlive,
    CnKeepAliveHint,
    CnCleanStart,
    CnSessionExpiry,
    CnSessionExpiryHint,
    CnSectionWill,
    CnWillEnable,
    CnWillHint,
    CnWillPayload,
    CnWillRetain,
    CnMixedContent,
    CnMixedContentCustom,
    CnUseWss,
    CnPublicBroker,
    CnSuggestedPrefix,
    ErrNotANumber,
    ErrNotAWholeNumber,
    EdDialogWidget,
    EdDialogConnection,
}

/// A word of the dictionary that follows the language, for a text node or an attribute. Every
/// caller shares this one closure type, so its render code is in the bundle once, however
/// many labels use it (a `move || t(..)` written at each site is a new type, and new code,
/// each time).
pub fn word(
    lang: leptos::prelude::Signal<Lang>,
    key: Text,
) -> impl Fn() -> &'static str + Send + Sync + Copy + 'static {
    use leptos::prelude::Get;
    move || t(lang.get(), key)
}

pub fn t(lang: Lang, text: Text) -> &'static str {
    use Lang::*;
    use Text::*;
    match (lang, text) {
        (Es, PartNotLoaded) => {
            "No se pudo descargar esta parte de la aplicación. Revisa la conexión y vuelve a intentarlo."
        }
        (En, PartNotLoaded) => {
            "Could not download this part of the app. Check the network and try again."
        }
        (Es, ProblemNotWorded) => {
            "Algo falló, pero su descripción no se pudo cargar (¿sin red?). Recarga la página para verla."
        }
        (En, ProblemNotWorded) => {
            "Something went wrong, but its description could not be loaded (no network?). Reload the page to see it."
        }
        (Es, Edit) => "Editar",
        (En, Edit) => "Edit",
        (Es, Done) => "Listo",
        (En, Done) => "Done",
        (Es, StatusConnecting) => "Conectando…",
        (En, StatusConnecting) => "Connecting…",
        (Es, StatusConnected) => "Conectado",
        (En, StatusConnected) => "Connected",
        (Es, StatusConnectedAuto) => "Conectado (MQTT {}, automático)",
        (En, StatusConnectedAuto) => "Connected (MQTT {}, auto)",
        (Es, UseV311) => "Usar 3.1.1",
        (En, UseV311) => "Use 3.1.1",
        (Es, StatusReconnecting) => "Reconectando en {} s",
        (En, StatusReconnecting) => "Reconnecting in {} s",
        (Es, StatusStopped) => "Desconectado",
        (En, StatusStopped) => "Disconnected",
        (Es, RetryNow) => "Reintentar ahora",
        (En, RetryNow) => "Retry now",
        (Es, Diagnose) => "¿Por qué?",
        (En, Diagnose) => "Why?",
        (Es, NoWidgets) => "Este tablero está vacío. Pulsa Editar y agrega un widget.",
        (En, NoWidgets) => "This dashboard is empty. Press Edit and add a widget.",
        (Es, Dismiss) => "Cerrar",
        (En, Dismiss) => "Dismiss",
        (Es, UpdateReady) => "Hay una versión nueva de Tablero.",
        (En, UpdateReady) => "A new version of Tablero is ready.",
        (Es, UpdateApply) => "Actualizar",
        (En, UpdateApply) => "Update",
        (Es, DeviceOffline) => {
            "Este dispositivo no tiene red: Tablero muestra lo último que recibió y se reconecta solo cuando vuelva."
        }
        (En, DeviceOffline) => {
            "This device has no network: Tablero shows the last it received and reconnects by itself when it is back."
        }
        (Es, Dashboards) => "Tableros",
        (En, Dashboards) => "Dashboards",
        (Es, Explore) => "Explorar",
        (En, Explore) => "Explore",
        (Es, SwitchLanguage) => "English",
        (En, SwitchLanguage) => "Español",
        (Es, OfflineData) => "Sin conexión: datos de antes de la desconexión",
        (En, OfflineData) => "Not connected: data from before the disconnection",
    }
}

/// The words only the widget cards use. Their own dictionary, [`tcard`], is reached only
/// from the cards, which are a split point (`widgets::view`): so these words, in both
/// languages, come with a dashboard's first card, not with the first screen. Templates carry one `{}` that the card fills (see `format::fill`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CardText {
    Retained,
    WaitingForData,
    ShowingLastValue,
    ShowAll,
    GaugeAboveMax,
    GaugeBelowMin,
    UpdatedJustNow,
    UpdatedSecondsAgo,
    UpdatedMinutesAgo,
    UpdatedHoursAgo,
    UpdatedDaysAgo,
    ValueStale,
    StateOn,
    StateOff,
    SwitchTurningOn,
    SwitchTurningOff,
    StateUnknown,
    StateUnknownWith,
    SwitchNoAnswer,
    SwitchLostConnection,
    CommandWaiting,
    CommandWaitingFor,
    CommandExpired,
    ButtonSend,
    CommandSent,
    CommandNotSent,
    /// The device answered a command that asked for an answer (MQTT 5 request/response).
    CommandDone,
    /// Asked before a button marked "ask before sending" publishes: `{}` the payload (an
    /// excerpt), then the topic.
    ButtonConfirm,
    SliderPending,
    LogEmpty,
    LogCount,
    LogRetained,
    ChartLabel,
    /// The chart's CSV download button, for screen readers: `{}` is the chart's title.
    ChartCsv,
}

/// A word of a card (see [`CardText`]).
pub fn tcard(lang: Lang, text: CardText) -> &'static str {
    use CardText::*;
    use Lang::*;
    match (lang, text) {
        (Es, Retained) => "retenido",
        (En, Retained) => "retained",
        (Es, WaitingForData) => "esperando datos",
        (En, WaitingForData) => "waiting for data",
        (Es, ShowAll) => "Ver todo",
        (En, ShowAll) => "Show all",
        (Es, ShowingLastValue) => "se muestra el último valor válido",
        (En, ShowingLastValue) => "showing the last valid value",
        (Es, GaugeAboveMax) => "por encima del máximo",
        (En, GaugeAboveMax) => "above the maximum",
        (Es, GaugeBelowMin) => "por debajo del mínimo",
        (En, GaugeBelowMin) => "below the minimum",
        (Es, UpdatedJustNow) => "actualizado ahora mismo",
        (En, UpdatedJustNow) => "updated just now",
        (Es, UpdatedSecondsAgo) => "actualizado hace {} s",
        (En, UpdatedSecondsAgo) => "updated {} s ago",
        (Es, UpdatedMinutesAgo) => "actualizado hace {} min",
        (En, UpdatedMinutesAgo) => "updated {} min ago",
        (Es, UpdatedHoursAgo) => "actualizado hace {} h",
        (En, UpdatedHoursAgo) => "updated {} h ago",
        (Es, UpdatedDaysAgo) => "actualizado hace {} d",
        (En, UpdatedDaysAgo) => "updated {} d ago",
        (Es, ValueStale) => "sin datos recientes",
        (En, ValueStale) => "no recent data",
        (Es, StateOn) => "Encendido",
        (En, StateOn) => "On",
        (Es, StateOff) => "Apagado",
        (En, StateOff) => "Off",
        (Es, SwitchTurningOn) => "Encendiendo…",
        (En, SwitchTurningOn) => "Turning on…",
        (Es, SwitchTurningOff) => "Apagando…",
        (En, SwitchTurningOff) => "Turning off…",
        (Es, StateUnknown) => "Estado desconocido",
        (En, StateUnknown) => "Unknown state",
        (Es, StateUnknownWith) => "Estado desconocido: {}",
        (En, StateUnknownWith) => "Unknown state: {}",
        (Es, SwitchNoAnswer) => "El dispositivo no respondió",
        (En, SwitchNoAnswer) => "The device did not answer",
        (Es, SwitchLostConnection) => "Se perdió la conexión antes de la respuesta del dispositivo",
        (En, SwitchLostConnection) => "The connection was lost before the device answered",
        (Es, CommandWaiting) => "Esperando la conexión…",
        (En, CommandWaiting) => "Waiting for the connection…",
        (Es, CommandWaitingFor) => "Sin conexión: se enviará al volver, si vuelve en {} s",
        (En, CommandWaitingFor) => {
            "Not connected: it goes out when the connection is back, if within {} s"
        }
        (Es, CommandExpired) => "No se envió: la conexión no volvió en {} s",
        (En, CommandExpired) => "Not sent: the connection did not come back within {} s",
        (Es, ButtonSend) => "Enviar",
        (En, ButtonSend) => "Send",
        (Es, CommandSent) => "Enviado",
        (En, CommandSent) => "Sent",
        (Es, CommandNotSent) => "No se envió",
        (En, CommandNotSent) => "Not sent",
        (Es, CommandDone) => "Hecho",
        (En, CommandDone) => "Done",
        (Es, ButtonConfirm) => "¿Enviar «{}» a {}?",
        (En, ButtonConfirm) => "Send “{}” to {}?",
        (Es, SliderPending) => "Pendiente: el dispositivo aún no confirma",
        (En, SliderPending) => "Pending: the device has not confirmed yet",
        (Es, LogEmpty) => "Aún no llega ningún mensaje.",
        (En, LogEmpty) => "No message yet.",
        (Es, LogCount) => "Los últimos {} de {} mensajes",
        (En, LogCount) => "The last {} of {} messages",
        (Es, LogRetained) => "retenido",
        (En, LogRetained) => "retained",
        (Es, ChartLabel) => "Gráfico",
        (En, ChartLabel) => "Chart",
        (Es, ChartCsv) => "Descargar los datos de «{}» en CSV",
        (En, ChartCsv) => "Download the data of “{}” as CSV",
    }
}

/// The words of problems: why a connection failed, a payload could not be read, a file or
/// a change was refused, a notice. Their own dictionary, [`tpr`], is reached only from
/// `describe`'s words and the editors, which are split off the first load: a first screen
/// with nothing wrong downloads none of them, in either language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PrText {
    ReadingNotANumber,
    ReadingNothingAt,
    ReadingNotJson,
    ReadingBinary,
    Imported,
    ImportFailed,
    LinkNoV5,
    LinkMaybeNoV5,
    StoredConfigUnreadable,
    SaveFailed,
    PublishFailed,
    // The demo's public broker did not answer, so it moved to the next.
    DemoBrokerSwitched,
    DemoKept,
    // Share links, as notices: a link's dashboard added, why a link is refused.
    ShareAdded,
    ShareRefused,
    ShareTooLong,
    ShareNotBase64,
    ShareNotCompressed,
    ShareTooLarge,
    ShareNotOneDashboard,
    ChangeRejected,
    // Validation problems: shown in the editors and in the notice of a refused change.
    ErrEmpty,
    ErrTooLong,
    ErrBadId,
    ErrDuplicateId,
    ErrUnknownConnection,
    ErrTopicEmpty,
    ErrTopicName,
    ErrTopicFilter,
    ErrJsonPath,
    ErrOutOfRange,
    ErrMinNotBelowMax,
    ErrNotFinite,
    ErrBadColor,
    ErrTooMany,
    ErrBadHost,
    ErrBadPath,
    ErrTemplateNoValue,
    ErrTemplateUnclosed,
    ErrTemplateNotJson,
    ErrUnknownIcon,
    ErrDuplicateValue,
    TopicTooLong,
    TopicNull,
    TopicWildcardInName,
    TopicMisplacedHash,
    TopicMisplacedPlus,
    TopicEmptyShareName,
    TopicWildcardInShareName,
    TopicMissingSharedFilter,
    JpExpectedAt,
    JpDollar,
    JpKeyName,
    JpClosingQuote,
    JpCloseBracket,
    JpIndexOrKey,
    JpDotOrBracket,
    CfgNotJson,
    CfgNotTablero,
    CfgNoVersion,
    CfgUnreadable,
    CfgTooLarge,
    CfgNewer,
    CfgInvalid,
    StorageUnavailable,
    StorageFull,
    StorageDownloadFailed,
    ExportFailed,
    PubNoConnection,
    PubNotConnected,
    PubQueueFull,
    PubTooLarge,
    PubQosNotSupported,
    PubRetainNotSupported,
    PubRefused,
    LinkUnreachable,
    LinkClosed,
    LinkRefused,
    LinkKeepAlive,
    LinkConnectTimeout,
    LinkProtocol,
    LinkServerDisconnect,
    LinkMixedContent,
    LinkBrokerLimit,
    LinkBadUrl,
    LinkInvalidSettings,
    LinkTextFrame,
}

/// A word of a problem (see [`PrText`]).
pub fn tpr(lang: Lang, text: PrText) -> &'static str {
    use Lang::*;
    use PrText::*;
    match (lang, text) {
        (Es, Imported) => "Configuración importada.",
        (En, Imported) => "Configuration imported.",
        (Es, ImportFailed) => "No se importó nada: {}",
        (En, ImportFailed) => "Nothing was imported: {}",
        (Es, LinkNoV5) => "Este broker no habla MQTT 5.0 (respondió en 3.1.1): usa 3.1.1.",
        (En, LinkNoV5) => "This broker does not speak MQTT 5.0 (it answered in 3.1.1): use 3.1.1.",
        (Es, LinkMaybeNoV5) => {
            "El broker cerró la conexión justo tras el CONNECT: quizá no habla MQTT 5.0. Prueba 3.1.1."
        }
        (En, LinkMaybeNoV5) => {
            "The broker closed the connection right after CONNECT: it may not speak MQTT 5.0. Try 3.1.1."
        }
        (Es, StoredConfigUnreadable) => {
            "La configuración guardada no se pudo leer (se guardó una copia): {}"
        }
        (En, StoredConfigUnreadable) => {
            "The stored configuration could not be read (a copy was kept): {}"
        }
        (Es, SaveFailed) => "No se pudo guardar: {}",
        (En, SaveFailed) => "Could not save: {}",
        (Es, PublishFailed) => "No se pudo enviar: {}",
        (En, PublishFailed) => "Could not send: {}",
        (Es, DemoBrokerSwitched) => "{} no respondió; el demo ahora usa {}.",
        (En, DemoBrokerSwitched) => "{} did not answer; the demo now uses {}.",
        (Es, DemoKept) => {
            "Es tuyo: el dispositivo virtual se detuvo. Cambia los tópicos en Editar, o programa tu ESP32 para publicar en {}/…"
        }
        (En, DemoKept) => {
            "It is yours: the virtual device stopped. Change the topics in Edit, or program your ESP32 to publish on {}/…"
        }
        (Es, ShareAdded) => "Tablero agregado.",
        (En, ShareAdded) => "Dashboard added.",
        (Es, ShareRefused) => "Este enlace no se puede abrir: {}. No se cambió nada.",
        (En, ShareRefused) => "This link cannot be opened: {}. Nothing was changed.",
        (Es, ShareTooLong) => "tiene {} caracteres; el máximo es {}",
        (En, ShareTooLong) => "it has {} characters; the limit is {}",
        (Es, ShareNotBase64) => "no es un enlace de Tablero (tiene caracteres ajenos)",
        (En, ShareNotBase64) => "it is not a Tablero link (it has foreign characters)",
        (Es, ShareNotCompressed) => "está cortado o dañado",
        (En, ShareNotCompressed) => "it is cut short or damaged",
        (Es, ShareTooLarge) => "su contenido pasa de {} bytes",
        (En, ShareTooLarge) => "its contents exceed {} bytes",
        (Es, ShareNotOneDashboard) => "no trae un tablero con su conexión",
        (En, ShareNotOneDashboard) => "it does not hold one dashboard with its connection",
        (Es, ChangeRejected) => "Cambio no aplicado: {}",
        (En, ChangeRejected) => "Change not applied: {}",
        (Es, ReadingNotANumber) => "no es un número: {}",
        (En, ReadingNotANumber) => "not a number: {}",
        (Es, ReadingNothingAt) => "no hay nada en {}",
        (En, ReadingNothingAt) => "nothing at {}",
        (Es, ReadingNotJson) => "no es JSON",
        (En, ReadingNotJson) => "not JSON",
        (Es, ReadingBinary) => "contenido binario",
        (En, ReadingBinary) => "binary payload",
        (Es, ErrEmpty) => "Este campo no puede estar vacío.",
        (En, ErrEmpty) => "This field must not be empty.",
        (Es, ErrTooLong) => "Tiene más de {} caracteres.",
        (En, ErrTooLong) => "Longer than {} characters.",
        (Es, ErrBadId) => "Los identificadores solo usan letras, dígitos, «-» y «_».",
        (En, ErrBadId) => "Ids use only letters, digits, '-' and '_'.",
        (Es, ErrDuplicateId) => "El identificador «{}» está repetido.",
        (En, ErrDuplicateId) => "The id “{}” is used twice.",
        (Es, ErrUnknownConnection) => "No hay ninguna conexión con el identificador «{}».",
        (En, ErrUnknownConnection) => "No connection has the id “{}”.",
        (Es, ErrTopicEmpty) => "Escribe un tópico.",
        (En, ErrTopicEmpty) => "Enter a topic.",
        (Es, ErrTopicName) => "No es un tópico válido: {}",
        (En, ErrTopicName) => "Not a valid topic: {}",
        (Es, ErrTopicFilter) => "No es un filtro de tópico válido: {}",
        (En, ErrTopicFilter) => "Not a valid topic filter: {}",
        (Es, ErrJsonPath) => "No es una ruta JSON válida: {}",
        (En, ErrJsonPath) => "Not a valid JSON path: {}",
        (Es, ErrOutOfRange) => "Debe estar entre {} y {}.",
        (En, ErrOutOfRange) => "Must be between {} and {}.",
        (Es, ErrMinNotBelowMax) => "El mínimo debe ser menor que el máximo.",
        (En, ErrMinNotBelowMax) => "The minimum must be below the maximum.",
        (Es, ErrNotFinite) => "Debe ser un número finito.",
        (En, ErrNotFinite) => "Must be a finite number.",
        (Es, ErrBadColor) => "Los colores se escriben #rgb o #rrggbb.",
        (En, ErrBadColor) => "Colours are written #rgb or #rrggbb.",
        (Es, ErrTooMany) => "Más de {} elementos.",
        (En, ErrTooMany) => "More than {} entries.",
        (Es, ErrBadHost) => {
            "Escribe solo el nombre o la IP del servidor, sin ws://, puerto ni ruta."
        }
        (En, ErrBadHost) => "Enter only the server's name or IP, without ws://, port or path.",
        (Es, ErrBadPath) => "La ruta debe empezar por «/», sin espacios ni «#».",
        (En, ErrBadPath) => "The path must start with '/', without spaces or '#'.",
        (Es, ErrTemplateNoValue) => "Falta {value}: es donde va el valor elegido.",
        (En, ErrTemplateNoValue) => "{value} is missing: it is where the chosen value goes.",
        (Es, ErrTemplateUnclosed) => "Un marcador no es {value} (¿falta la llave de cierre?).",
        (En, ErrTemplateUnclosed) => "A placeholder is not {value} (a closing brace missing?).",
        (Es, ErrTemplateNotJson) => {
            "Empieza como JSON pero no es JSON válido con el valor puesto (¿falta una llave o unas comillas?)."
        }
        (En, ErrTemplateNotJson) => {
            "It starts as JSON but is not valid JSON with the value filled in (a brace or a quote missing?)."
        }
        (Es, ErrUnknownIcon) => "Tablero no tiene un ícono llamado «{}».",
        (En, ErrUnknownIcon) => "Tablero has no icon called “{}”.",
        (Es, ErrDuplicateValue) => "«{}» ya tiene otra fila.",
        (En, ErrDuplicateValue) => "“{}” already has another row.",
        (Es, TopicTooLong) => "el tópico pasa de 65535 bytes",
        (En, TopicTooLong) => "longer than 65535 bytes",
        (Es, TopicNull) => "contiene el carácter nulo",
        (En, TopicNull) => "contains the null character",
        (Es, TopicWildcardInName) => "+ y # solo valen en filtros de suscripción",
        (En, TopicWildcardInName) => "+ and # are only allowed in subscription filters",
        (Es, TopicMisplacedHash) => "# debe ir solo y al final, como en casa/#",
        (En, TopicMisplacedHash) => "# must stand alone at the end, as in home/#",
        (Es, TopicMisplacedPlus) => "+ debe ocupar un nivel entero, como en casa/+/temp",
        (En, TopicMisplacedPlus) => "+ must fill a whole level, as in home/+/temp",
        (Es, TopicEmptyShareName) => "a $share/ le falta el nombre del grupo",
        (En, TopicEmptyShareName) => "$share/ is missing its group name",
        (Es, TopicWildcardInShareName) => "el nombre del grupo de $share no puede llevar + ni #",
        (En, TopicWildcardInShareName) => "a $share group name must not contain + or #",
        (Es, TopicMissingSharedFilter) => "tras $share/grupo/ falta el filtro",
        (En, TopicMissingSharedFilter) => "$share/group/ must be followed by a filter",
        (Es, JpExpectedAt) => "se esperaba {} en la posición {}",
        (En, JpExpectedAt) => "expected {} at position {}",
        (Es, JpDollar) => "«$» (el inicio del mensaje)",
        (En, JpDollar) => "`$` (the start of the payload)",
        (Es, JpKeyName) => "un nombre de clave tras «.»",
        (En, JpKeyName) => "a key name after `.`",
        (Es, JpClosingQuote) => "una comilla de cierre",
        (En, JpClosingQuote) => "a closing quote",
        (Es, JpCloseBracket) => "«]»",
        (En, JpCloseBracket) => "`]`",
        (Es, JpIndexOrKey) => "un índice (número entero) o una clave entre comillas",
        (En, JpIndexOrKey) => "an index (a whole number) or a quoted key",
        (Es, JpDotOrBracket) => "«.» o «[»",
        (En, JpDotOrBracket) => "`.` or `[`",
        (Es, CfgNotJson) => "el archivo no es JSON válido (línea {}, columna {})",
        (En, CfgNotJson) => "the file is not valid JSON (line {}, column {})",
        (Es, CfgNotTablero) => "el JSON no es una configuración de Tablero (en {})",
        (En, CfgNotTablero) => "the JSON is not a Tablero configuration (at {})",
        (Es, CfgNoVersion) => "falta el número de versión del esquema («version»)",
        (En, CfgNoVersion) => "the schema version number (`version`) is missing",
        (Es, CfgUnreadable) => "no se pudo leer el archivo como texto",
        (En, CfgUnreadable) => "the file could not be read as text",
        (Es, CfgTooLarge) => "el archivo tiene {} bytes; el límite es {}",
        (En, CfgTooLarge) => "the file has {} bytes; the limit is {}",
        (Es, CfgNewer) => "lo hizo un Tablero más nuevo (esquema {}; este lee hasta el {})",
        (En, CfgNewer) => "made by a newer Tablero (schema {}; this one reads up to {})",
        (Es, CfgInvalid) => "{} problema(s): {}",
        (En, CfgInvalid) => "{} problem(s): {}",
        (Es, StorageUnavailable) => "el almacenamiento local no está disponible",
        (En, StorageUnavailable) => "local storage is not available",
        (Es, StorageFull) => "el almacenamiento local está lleno o bloqueado",
        (En, StorageFull) => "local storage is full or blocked",
        (Es, StorageDownloadFailed) => "el navegador no permitió crear el archivo",
        (En, StorageDownloadFailed) => "the browser did not allow creating the file",
        (Es, ExportFailed) => "No se pudo exportar: {}",
        (En, ExportFailed) => "Could not export: {}",
        (Es, PubNoConnection) => "este tablero no tiene conexión",
        (En, PubNoConnection) => "this dashboard has no connection",
        (Es, PubNotConnected) => "no hay conexión con el broker; no se envió nada",
        (En, PubNotConnected) => "not connected to the broker; nothing was sent",
        (Es, PubQueueFull) => "la cola de envíos sin conexión está llena",
        (En, PubQueueFull) => "the offline send queue is full",
        (Es, PubTooLarge) => "el mensaje ocupa {} bytes y el broker acepta {}",
        (En, PubTooLarge) => "the message is {} bytes and the broker accepts {}",
        (Es, PubQosNotSupported) => "el broker admite QoS {} como máximo",
        (En, PubQosNotSupported) => "the broker supports at most QoS {}",
        (Es, PubRetainNotSupported) => "el broker no admite mensajes retenidos",
        (En, PubRetainNotSupported) => "the broker does not support retained messages",
        (Es, PubRefused) => "el cliente MQTT no lo aceptó",
        (En, PubRefused) => "the MQTT client did not accept it",
        (Es, LinkUnreachable) => {
            "No se pudo abrir {}: nadie responde en ese puerto, la ruta es otra (p. ej. /mqtt) o falla TLS. Revisa host, puerto, ruta y ws/wss."
        }
        (En, LinkUnreachable) => {
            "Could not open {}: nothing answers on that port, the path is different (e.g. /mqtt), or TLS failed. Check host, port, path and ws/wss."
        }
        (Es, LinkClosed) => "El broker cerró la conexión (código WebSocket {}).",
        (En, LinkClosed) => "The broker closed the connection (WebSocket code {}).",
        (Es, LinkRefused) => "El broker rechazó la conexión: {}",
        (En, LinkRefused) => "The broker refused the connection: {}",
        (Es, LinkKeepAlive) => "El broker dejó de responder (sin respuesta al ping).",
        (En, LinkKeepAlive) => "The broker stopped answering (no reply to ping).",
        (Es, LinkConnectTimeout) => "Sin respuesta MQTT: ¿es un broker MQTT en esa ruta?",
        (En, LinkConnectTimeout) => "No MQTT answer: is there an MQTT broker at that path?",
        (Es, LinkProtocol) => "El broker violó el protocolo: {}",
        (En, LinkProtocol) => "The broker broke the protocol: {}",
        (Es, LinkServerDisconnect) => "El broker terminó la conexión: {}",
        (En, LinkServerDisconnect) => "The broker ended the connection: {}",
        (Es, LinkBrokerLimit) => {
            "El broker acepta paquetes de {} bytes como mucho: no cabe ni la suscripción del tablero ({} bytes). Sube su max_packet_size."
        }
        (En, LinkBrokerLimit) => {
            "The broker accepts packets of at most {} bytes: not even the dashboard's subscription fits ({} bytes). Raise its max_packet_size."
        }
        (Es, LinkMixedContent) => {
            "Esta página se sirve por https: el navegador solo permite wss://. Usa el puerto wss del broker."
        }
        (En, LinkMixedContent) => {
            "This page is served over https: the browser only allows wss://. Use the broker's wss port."
        }
        (Es, LinkBadUrl) => "Dirección no válida: {}",
        (En, LinkBadUrl) => "Invalid address: {}",
        (Es, LinkInvalidSettings) => {
            "Revisa la conexión: estos ajustes no forman una sesión MQTT válida (p. ej. contraseña sin usuario antes de MQTT 5.0)."
        }
        (En, LinkInvalidSettings) => {
            "Check the connection settings: they do not make a valid MQTT session (e.g. a password without a user name before MQTT 5.0)."
        }
        (Es, LinkTextFrame) => {
            "El broker envió texto por el WebSocket: MQTT solo usa mensajes binarios. ¿Es un broker MQTT en esa ruta?"
        }
        (En, LinkTextFrame) => {
            "The broker sent text over the WebSocket: MQTT uses binary messages only. Is there an MQTT broker at that path?"
        }
    }
}

/// A word of edit mode and the editors (see [`EdText`]).
pub fn ted(lang: Lang, text: EdText) -> &'static str {
    use EdText::*;
    use Lang::*;
    match (lang, text) {
        (Es, DemoLead) => {
            "Demo: un dispositivo virtual en esta página publica en {}/… y obedece al relevador."
        }
        (En, DemoLead) => {
            "Demo: a virtual device in this page publishes on {}/… and obeys the relay."
        }
        (Es, DemoDeviceConnected) => "Dispositivo conectado a {}",
        (En, DemoDeviceConnected) => "Device connected to {}",
        (Es, DemoDeviceConnecting) => "Conectando el dispositivo a {}…",
        (En, DemoDeviceConnecting) => "Connecting the device to {}…",
        (Es, DemoDeviceOffline) => "El dispositivo no llega a {}",
        (En, DemoDeviceOffline) => "The device cannot reach {}",
        (Es, DemoStop) => "Detener demo",
        (En, DemoStop) => "Stop demo",
        (Es, DemoKeep) => "Hacerlo mío",
        (En, DemoKeep) => "Make it mine",
        (Es, Firmware) => "Código del dispositivo",
        (En, Firmware) => "Device code",
        (Es, FirmwareTitle) => "Código para tu dispositivo",
        (En, FirmwareTitle) => "Code for your device",
        (Es, FirmwareHint) => {
            "Un programa para tu ESP32 o ESP8266 que se conecta al broker de este tablero por TCP, obedece a sus interruptores y publica en sus tópicos. Escribe el nombre y la contraseña de tu Wi-Fi donde lo indica."
        }
        (En, FirmwareHint) => {
            "A program for your ESP32 or ESP8266 that connects to this dashboard's broker over TCP, obeys its switches and publishes on its topics. Put your Wi-Fi's name and password where it says."
        }
        (Es, FirmwareArduino) => "Arduino (PubSubClient)",
        (En, FirmwareArduino) => "Arduino (PubSubClient)",
        (Es, FirmwareMicroPython) => "MicroPython (umqtt)",
        (En, FirmwareMicroPython) => "MicroPython (umqtt)",
        (Es, FirmwareCopy) => "Copiar código",
        (En, FirmwareCopy) => "Copy code",
        (Es, DashboardConnection) => "Conexión de este tablero",
        (En, DashboardConnection) => "This dashboard's connection",
        (Es, AddConnection) => "Nueva conexión",
        (En, AddConnection) => "New connection",
        (Es, AddWidget) => "Agregar widget",
        (En, AddWidget) => "Add widget",
        (Es, AddDashboard) => "Nuevo tablero",
        (En, AddDashboard) => "New dashboard",
        (Es, DashboardName) => "Nombre del tablero",
        (En, DashboardName) => "Dashboard name",
        (Es, DeleteDashboard) => "Borrar tablero",
        (En, DeleteDashboard) => "Delete dashboard",
        (Es, ConfirmDeleteDashboard) => "¿Borrar este tablero y sus widgets?",
        (En, ConfirmDeleteDashboard) => "Delete this dashboard and its widgets?",
        (Es, ExportConfig) => "Exportar",
        (En, ExportConfig) => "Export",
        (Es, ImportConfig) => "Importar",
        (En, ImportConfig) => "Import",
        (Es, ConnectionSettings) => "Conexión",
        (En, ConnectionSettings) => "Connection",
        (Es, MoveUp) => "Subir",
        (En, MoveUp) => "Move up",
        (Es, MoveDown) => "Bajar",
        (En, MoveDown) => "Move down",
        (Es, EditWidget) => "Editar",
        (En, EditWidget) => "Edit",
        (Es, RemoveWidget) => "Quitar",
        (En, RemoveWidget) => "Remove",
        (Es, ConfirmRemoveWidget) => "¿Quitar este widget?",
        (En, ConfirmRemoveWidget) => "Remove this widget?",
        (Es, CnVersionAuto) => "Automática (5.0; si no, 3.1.1)",
        (En, CnVersionAuto) => "Auto (5.0, else 3.1.1)",
        (Es, Share) => "Compartir",
        (En, Share) => "Share",
        (Es, ShareTitle) => "Compartir este tablero",
        (En, ShareTitle) => "Share this dashboard",
        (Es, ShareIncludes) => {
            "El enlace lleva el tablero «{}» ({} widgets) y su broker {}; nunca el usuario ni la contraseña."
        }
        (En, ShareIncludes) => {
            "The link carries the dashboard “{}” ({} widgets) and its broker {}; never the username or the password."
        }
        (Es, ShareCopy) => "Copiar enlace",
        (En, ShareCopy) => "Copy link",
        (Es, ShareCopied) => "Copiado",
        (En, ShareCopied) => "Copied",
        (Es, ShareScan) => "Escanéalo con un teléfono para abrir este tablero allí.",
        (En, ShareScan) => "Scan it with a phone to open this dashboard there.",
        (Es, ShareTooLongForQr) => {
            "Este tablero es demasiado grande para un código QR: comparte el enlace."
        }
        (En, ShareTooLongForQr) => "This dashboard is too big for a QR code: share the link.",
        (Es, ShareQrLabel) => "Código QR del enlace",
        (En, ShareQrLabel) => "QR code of the link",
        (Es, ShareOpenTitle) => "¿Agregar este tablero?",
        (En, ShareOpenTitle) => "Add this dashboard?",
        (Es, ShareOpenBody) => {
            "El enlace trae el tablero «{}» con {} widgets, conectado a {}. Se agrega como una pestaña nueva; nada de lo tuyo cambia."
        }
        (En, ShareOpenBody) => {
            "The link holds the dashboard “{}” with {} widgets, connected to {}. It is added as a new tab; nothing of yours changes."
        }
        (Es, ShareOpenAdd) => "Agregar",
        (En, ShareOpenAdd) => "Add",
        (Es, Topic) => "Tópico",
        (En, Topic) => "Topic",
        (Es, EdWidgetType) => "Tipo",
        (En, EdWidgetType) => "Type",
        (Es, EdKindGauge) => "Medidor",
        (En, EdKindGauge) => "Gauge",
        (Es, EdKindSwitch) => "Interruptor",
        (En, EdKindSwitch) => "Switch",
        (Es, EdKindChart) => "Gráfico",
        (En, EdKindChart) => "Chart",
        (Es, EdKindValue) => "Valor",
        (En, EdKindValue) => "Value",
        (Es, EdKindButton) => "Botón",
        (En, EdKindButton) => "Button",
        (Es, EdKindLed) => "Indicador (LED)",
        (En, EdKindLed) => "Indicator (LED)",
        (Es, EdKindSlider) => "Deslizador",
        (En, EdKindSlider) => "Slider",
        (Es, EdKindLevel) => "Barra de nivel",
        (En, EdKindLevel) => "Level bar",
        (Es, EdKindText) => "Entrada de texto",
        (En, EdKindText) => "Text input",
        (Es, EdKindColor) => "Selector de color",
        (En, EdKindColor) => "Colour picker",
        (Es, EdKindLog) => "Registro de mensajes",
        (En, EdKindLog) => "Message log",
        (Es, EdLogFilter) => "Filtro de tópicos",
        (En, EdLogFilter) => "Topic filter",
        (Es, EdLogFilterHint) => "Se permiten comodines: casa/# o casa/+/temp",
        (En, EdLogFilterHint) => "Wildcards allowed: home/# or home/+/temp",
        (Es, EdLogLines) => "Mensajes que se guardan",
        (En, EdLogLines) => "Messages kept",
        (Es, EdLogFormat) => "Mostrar el contenido como",
        (En, EdLogFormat) => "Show payloads as",
        (Es, EdLogText) => "Texto",
        (En, EdLogText) => "Text",
        (Es, EdLogJson) => "JSON compacto",
        (En, EdLogJson) => "Compact JSON",
        (Es, EdLogHex) => "Hexadecimal",
        (En, EdLogHex) => "Hex",
        (Es, EdTemplate) => "Plantilla del mensaje",
        (En, EdTemplate) => "Payload template",
        (Es, EdTemplateHint) => "{value} es el valor elegido; en JSON: {\"brillo\":{value}}",
        (En, EdTemplateHint) => "{value} is the chosen value; in JSON: {\"brightness\":{value}}",
        (Es, EdStep) => "Paso",
        (En, EdStep) => "Step",
        (Es, EdThrottle) => "Al arrastrar, un mensaje cada (ms)",
        (En, EdThrottle) => "While dragging, one message every (ms)",
        (Es, EdThrottleHint) => "0: solo al soltar",
        (En, EdThrottleHint) => "0: only on release",
        (Es, EdVertical) => "Vertical (tanque, batería)",
        (En, EdVertical) => "Upright (tank, battery)",
        (Es, EdOnColor) => "Color encendido",
        (En, EdOnColor) => "Colour when on",
        (Es, EdOffColor) => "Color apagado",
        (En, EdOffColor) => "Colour when off",
        (Es, EdPayload) => "Mensaje",
        (En, EdPayload) => "Payload",
        (Es, EdButtonLabel) => "Texto del botón",
        (En, EdButtonLabel) => "Button text",
        (Es, EdButtonLabelHint) => "Vacío: «Enviar»",
        (En, EdButtonLabelHint) => "Empty: “Send”",
        (Es, EdConfirmFirst) => "Preguntar antes de enviar",
        (En, EdConfirmFirst) => "Ask before sending",
        (Es, EdMap) => "Valores con nombre",
        (En, EdMap) => "Named values",
        (Es, EdMapHint) => {
            "Un mensaje igual a «Valor» se muestra con su texto y su color (#rgb o #rrggbb; vacío: el de siempre)."
        }
        (En, EdMapHint) => {
            "A payload equal to “Value” is shown as its text in its colour (#rgb or #rrggbb; empty: the usual one)."
        }
        (Es, EdMapRowN) => "Valor {}",
        (En, EdMapRowN) => "Value {}",
        (Es, EdMapWhen) => "Valor",
        (En, EdMapWhen) => "Value",
        (Es, EdMapLabel) => "Se muestra como",
        (En, EdMapLabel) => "Shown as",
        (Es, EdMapColor) => "Color",
        (En, EdMapColor) => "Colour",
        (Es, EdAddMapRow) => "+ Valor con nombre",
        (En, EdAddMapRow) => "+ Named value",
        (Es, EdIcon) => "Ícono",
        (En, EdIcon) => "Icon",
        (Es, EdIconNone) => "Ninguno",
        (En, EdIconNone) => "None",
        (Es, EdIconBulb) => "Foco",
        (En, EdIconBulb) => "Light bulb",
        (Es, EdIconFan) => "Ventilador",
        (En, EdIconFan) => "Fan",
        (Es, EdIconLock) => "Candado",
        (En, EdIconLock) => "Lock",
        (Es, EdIconPlug) => "Enchufe",
        (En, EdIconPlug) => "Plug",
        (Es, EdIconMotor) => "Motor",
        (En, EdIconMotor) => "Motor",
        (Es, EdIconThermometer) => "Termómetro",
        (En, EdIconThermometer) => "Thermometer",
        (Es, EdIconAc) => "Aire acondicionado",
        (En, EdIconAc) => "Air conditioner",
        (Es, EdIconDoor) => "Puerta",
        (En, EdIconDoor) => "Door",
        (Es, EdIconCamera) => "Cámara",
        (En, EdIconCamera) => "Camera",
        (Es, EdIconPerson) => "Persona",
        (En, EdIconPerson) => "Person",
        (Es, EdIconBattery) => "Batería",
        (En, EdIconBattery) => "Battery",
        (Es, EdIconBluetooth) => "Bluetooth",
        (En, EdIconBluetooth) => "Bluetooth",
        (Es, EdIconCar) => "Carro",
        (En, EdIconCar) => "Car",
        (Es, EdIconKey) => "Llave",
        (En, EdIconKey) => "Key",
        (Es, EdIconPower) => "Encendido",
        (En, EdIconPower) => "Power",
        (Es, EdTitle) => "Título",
        (En, EdTitle) => "Title",
        (Es, EdTopicHint) => "Admite comodines: casa/+/temperatura",
        (En, EdTopicHint) => "Wildcards allowed: home/+/temperature",
        (Es, EdJsonPath) => "Ruta JSON (opcional)",
        (En, EdJsonPath) => "JSON path (optional)",
        (Es, EdJsonPathHint) => {
            "Para mensajes JSON, p. ej. $.sensor.temp; vacío: el mensaje entero"
        }
        (En, EdJsonPathHint) => "For JSON payloads, e.g. $.sensor.temp; empty: the whole payload",
        (Es, EdScale) => "Escala",
        (En, EdScale) => "Scale",
        (Es, EdOffset) => "Desplazamiento",
        (En, EdOffset) => "Offset",
        (Es, EdTransformHint) => "Se muestra valor × escala + desplazamiento.",
        (En, EdTransformHint) => "Shown: value × scale + offset.",
        (Es, EdQos) => "QoS",
        (En, EdQos) => "QoS",
        (Es, EdQos0) => "0 — como mucho una vez",
        (En, EdQos0) => "0 — at most once",
        (Es, EdQos1) => "1 — al menos una vez",
        (En, EdQos1) => "1 — at least once",
        (Es, EdQos2) => "2 — exactamente una vez",
        (En, EdQos2) => "2 — exactly once",
        (Es, EdUnit) => "Unidad",
        (En, EdUnit) => "Unit",
        (Es, EdDecimals) => "Decimales",
        (En, EdDecimals) => "Decimals",
        (Es, EdDecimalsTextHint) => "Vacío: se muestra el mensaje como texto",
        (En, EdDecimalsTextHint) => "Empty: the payload is shown as text",
        (Es, EdMin) => "Mínimo",
        (En, EdMin) => "Minimum",
        (Es, EdMax) => "Máximo",
        (En, EdMax) => "Maximum",
        (Es, EdBands) => "Bandas de color",
        (En, EdBands) => "Colour bands",
        (Es, EdBandsHint) => "Cada banda colorea desde su valor hasta la siguiente.",
        (En, EdBandsHint) => "Each band colours from its value up to the next one.",
        (Es, EdBandN) => "Banda {}",
        (En, EdBandN) => "Band {}",
        (Es, EdBandFrom) => "Desde",
        (En, EdBandFrom) => "From",
        (Es, EdColor) => "Color",
        (En, EdColor) => "Colour",
        (Es, EdAddBand) => "Añadir banda",
        (En, EdAddBand) => "Add band",
        (Es, EdRemove) => "Quitar",
        (En, EdRemove) => "Remove",
        (Es, EdCommandTopic) => "Tópico de comando",
        (En, EdCommandTopic) => "Command topic",
        (Es, EdCommandTopicHint) => "Donde se publica la orden; sin comodines",
        (En, EdCommandTopicHint) => "Where the command is published; no wildcards",
        (Es, EdOnPayload) => "Mensaje para encender",
        (En, EdOnPayload) => "On payload",
        (Es, EdOffPayload) => "Mensaje para apagar",
        (En, EdOffPayload) => "Off payload",
        (Es, EdStateTopic) => "Tópico de estado (opcional)",
        (En, EdStateTopic) => "State topic (optional)",
        (Es, EdStateTopicHint) => {
            "Donde el dispositivo confirma su estado; vacío: el interruptor no espera confirmación"
        }
        (En, EdStateTopicHint) => {
            "Where the device confirms its state; empty: the switch does not wait for confirmation"
        }
        (Es, EdStateOn) => "Estado encendido",
        (En, EdStateOn) => "State when on",
        (Es, EdStateOff) => "Estado apagado",
        (En, EdStateOff) => "State when off",
        (Es, EdStateJsonPathHint) => "Para un estado en JSON, p. ej. $.state",
        (En, EdStateJsonPathHint) => "For a JSON state, e.g. $.state",
        (Es, EdRetain) => "Retener el mensaje (retain)",
        (En, EdRetain) => "Retain the message",
        (Es, EdRetainWarning) => {
            "Cuidado: un comando retenido vuelve a conmutar el dispositivo cada vez que se reconecta."
        }
        (En, EdRetainWarning) => {
            "Careful: a retained command switches the device again every time it reconnects."
        }
        (Es, EdConfirmTimeout) => "Tiempo de espera de confirmación (ms)",
        (En, EdConfirmTimeout) => "Confirmation timeout (ms)",
        (Es, EdConfirmTimeoutHint) => {
            "Cuánto se muestra «pendiente» antes de avisar de que el dispositivo no respondió"
        }
        (En, EdConfirmTimeoutHint) => {
            "How long to show “pending” before saying the device did not answer"
        }
        (Es, EdResponseTopic) => "Tópico de respuesta (opcional, MQTT 5)",
        (En, EdResponseTopic) => "Response topic (optional, MQTT 5)",
        (Es, EdSwitchResponseTopicHint) => {
            "Solo con una conexión 5.0: cada orden pide al dispositivo que responda aquí con su dato de correlación, y su respuesta la confirma. Con 3.1.1 la orden va sin él y el interruptor funciona como sin este tópico"
        }
        (En, EdSwitchResponseTopicHint) => {
            "Used only on a 5.0 connection: each command asks the device to answer here with its correlation data, and its answer confirms it. On 3.1.1 the command goes without it and the switch works as without this topic"
        }
        (Es, EdButtonResponseTopicHint) => {
            "Solo con una conexión 5.0: cada pulsación pide al dispositivo que responda aquí con su dato de correlación; la tarjeta dice «Hecho» al responder o que no respondió en 5 s. Con 3.1.1 se envía sin él"
        }
        (En, EdButtonResponseTopicHint) => {
            "Used only on a 5.0 connection: each tap asks the device to answer here with its correlation data; the card says “Done” when it answers, or that it did not within 5 s. On 3.1.1 the tap goes without it"
        }
        (Es, EdExpiry) => "Caducidad de la orden (s)",
        (En, EdExpiry) => "Command expiry (s)",
        (Es, EdExpiryHint) => {
            "Sin conexión, la orden espera a lo sumo este tiempo a que vuelva; con MQTT 5 el broker tampoco la entrega más tarde. 0: no esperar"
        }
        (En, EdExpiryHint) => {
            "While disconnected, a command waits at most this long for the connection; over MQTT 5 the broker will not deliver it later either. 0: do not wait"
        }
        (Es, EdSeries) => "Series",
        (En, EdSeries) => "Series",
        (Es, EdSeriesN) => "Serie {}",
        (En, EdSeriesN) => "Series {}",
        (Es, EdSeriesLabel) => "Etiqueta",
        (En, EdSeriesLabel) => "Label",
        (Es, EdAddSeries) => "Añadir serie",
        (En, EdAddSeries) => "Add series",
        (Es, EdWindow) => "Ventana de tiempo",
        (En, EdWindow) => "Time window",
        (Es, EdMaxPoints) => "Puntos máximos por serie",
        (En, EdMaxPoints) => "Maximum points per series",
        (Es, EdMaxPointsHint) => "Los más antiguos se descartan",
        (En, EdMaxPointsHint) => "Older ones are dropped",
        (Es, EdChartRangeHint) => "Mínimo y máximo vacíos: escala automática.",
        (En, EdChartRangeHint) => "Empty minimum and maximum: automatic scale.",
        (Es, EdStaleAfter) => "Marcar como antiguo tras (s)",
        (En, EdStaleAfter) => "Mark as stale after (s)",
        (Es, EdStaleAfterHint) => "0: nunca",
        (En, EdStaleAfterHint) => "0: never",
        (Es, EdSave) => "Guardar",
        (En, EdSave) => "Save",
        (Es, EdCancel) => "Cancelar",
        (En, EdCancel) => "Cancel",
        (Es, EdFixProblems) => "Corrige {} problema(s) para poder guardar.",
        (En, EdFixProblems) => "Fix {} problem(s) to save.",
        (Es, CnPreset) => "Broker",
        (En, CnPreset) => "Broker",
        (Es, CnCustom) => "Personalizado",
        (En, CnCustom) => "Custom",
        (Es, CnName) => "Nombre",
        (En, CnName) => "Name",
        (Es, CnSectionBroker) => "Servidor",
        (En, CnSectionBroker) => "Server",
        (Es, CnScheme) => "Protocolo",
        (En, CnScheme) => "Protocol",
        (Es, CnSchemeWs) => "ws:// (sin cifrar)",
        (En, CnSchemeWs) => "ws:// (unencrypted)",
        (Es, CnSchemeWss) => "wss:// (cifrado TLS)",
        (En, CnSchemeWss) => "wss:// (TLS encrypted)",
        (Es, CnHost) => "Host",
        (En, CnHost) => "Host",
        (Es, CnHostHint) => "Solo el nombre o la IP, p. ej. broker.hivemq.com",
        (En, CnHostHint) => "Just the name or IP, e.g. broker.hivemq.com",
        (Es, CnPort) => "Puerto",
        (En, CnPort) => "Port",
        (Es, CnPath) => "Ruta",
        (En, CnPath) => "Path",
        (Es, CnSectionAuth) => "Acceso",
        (En, CnSectionAuth) => "Sign-in",
        (Es, CnUsername) => "Usuario",
        (En, CnUsername) => "Username",
        (Es, CnPassword) => "Contraseña",
        (En, CnPassword) => "Password",
        (Es, CnRemember) => "Recordar la contraseña en este dispositivo",
        (En, CnRemember) => "Remember the password on this device",
        (Es, CnRememberOffHint) => {
            "Sin marcar, la contraseña se guarda solo mientras esta pestaña esté abierta."
        }
        (En, CnRememberOffHint) => "Unticked, the password is kept only while this tab is open.",
        (Es, CnRememberOnHint) => {
            "Se guardará sin cifrar en el almacenamiento de este navegador. Nunca se incluye al exportar ni al compartir."
        }
        (En, CnRememberOnHint) => {
            "It will be stored unencrypted in this browser's storage. It is never included in exports or shared links."
        }
        (Es, CnSectionSession) => "Sesión",
        (En, CnSectionSession) => "Session",
        (Es, CnClientId) => "ID de cliente",
        (En, CnClientId) => "Client id",
        (Es, CnClientIdHint) => {
            "Único por conexión: dos clientes con el mismo ID se desconectan uno al otro"
        }
        (En, CnClientIdHint) => {
            "Unique per connection: two clients with the same id disconnect each other"
        }
        (Es, CnRandom) => "Aleatorio",
        (En, CnRandom) => "Random",
        (Es, CnVersion) => "Versión de MQTT",
        (En, CnVersion) => "MQTT version",
        (Es, CnKeepAlive) => "Keepalive (s)",
        (En, CnKeepAlive) => "Keepalive (s)",
        (Es, CnKeepAliveHint) => "Cada cuánto se comprueba que la conexión sigue viva; 0: nunca",
        (En, CnKeepAliveHint) => "How often the connection is checked to be alive; 0: never",
        (Es, CnCleanStart) => "Inicio limpio (clean start)",
        (En, CnCleanStart) => "Clean start",
        (Es, CnSessionExpiry) => "Caducidad de la sesión (s)",
        (En, CnSessionExpiry) => "Session expiry (s)",
        (Es, CnSessionExpiryHint) => "0: la sesión termina con la conexión",
        (En, CnSessionExpiryHint) => "0: the session ends with the connection",
        (Es, CnSectionWill) => "Último deseo (last will)",
        (En, CnSectionWill) => "Last will",
        (Es, CnWillEnable) => "Publicar un mensaje si la conexión se corta sin aviso",
        (En, CnWillEnable) => "Publish a message if the connection drops unexpectedly",
        (Es, CnWillHint) => {
            "El broker lo publica en tu nombre, p. ej. «offline» en un tópico de estado."
        }
        (En, CnWillHint) => "The broker publishes it for you, e.g. “offline” on a status topic.",
        (Es, CnWillPayload) => "Mensaje",
        (En, CnWillPayload) => "Payload",
        (Es, CnWillRetain) => "Retener el mensaje (retain)",
        (En, CnWillRetain) => "Retain the message",
        (Es, CnMixedContent) => {
            "Esta página se sirve por https y el navegador bloqueará una conexión ws:// sin cifrar. Usa wss://."
        }
        (En, CnMixedContent) => {
            "This page is served over https and the browser will block an unencrypted ws:// connection. Use wss://."
        }
        (Es, CnMixedContentCustom) => {
            "Esta página se sirve por https y el navegador bloqueará una conexión ws:// sin cifrar. Usa wss:// y el puerto TLS de WebSocket de tu broker."
        }
        (En, CnMixedContentCustom) => {
            "This page is served over https and the browser will block an unencrypted ws:// connection. Use wss:// and your broker's TLS WebSocket port."
        }
        (Es, CnUseWss) => "Usar wss en el puerto {}",
        (En, CnUseWss) => "Use wss port {}",
        (Es, CnPublicBroker) => {
            "Es un broker público: cualquiera puede leer y escribir en cualquier tópico. No publiques nada privado y no controles nada importante desde aquí."
        }
        (En, CnPublicBroker) => {
            "This is a public broker: anyone can read and write any topic. Publish nothing private and control nothing important from here."
        }
        (Es, CnSuggestedPrefix) => "Usa un prefijo de tópico difícil de adivinar, por ejemplo:",
        (En, CnSuggestedPrefix) => "Use a topic prefix that is hard to guess, for example:",
        (Es, ErrNotANumber) => "No es un número (vale 21,5 o 21.5).",
        (En, ErrNotANumber) => "Not a number (21.5 or 21,5 will do).",
        (Es, ErrNotAWholeNumber) => "Debe ser un número entero de {} a {}.",
        (En, ErrNotAWholeNumber) => "Must be a whole number from {} to {}.",
        (Es, EdDialogWidget) => "Editar widget",
        (En, EdDialogWidget) => "Edit widget",
        (Es, EdDialogConnection) => "Editar conexión",
        (En, EdDialogConnection) => "Edit connection",
    }
}

/// The connection doctor's words (its dialog, each finding's cause and fix): a dictionary of
/// its own, [`tdoc`], reached only from the doctor's split point, so neither the first load
/// nor the editors' chunks carry them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocText {
    Title,
    Checking,
    NothingFound,
    CheckAgain,
    UseWss,
    UsePath,
    NoNetwork,
    NoNetworkFix,
    MixedContent,
    MixedContentFixPort,
    MixedContentFixCustom,
    LocalNetwork,
    LocalNetworkFix,
    AnswersNow,
    AnswersNowFix,
    WrongPath,
    WrongPathFix,
    NotMqtt,
    NotMqttFix,
    Refused,
    RefusedFix,
    Timeout,
    TimeoutFix,
    Tls,
    TlsFix,
    BrokerDown,
    BrokerDownFix,
    NoInternet,
    NoInternetFix,
    NoMqttAnswer,
    NoMqttAnswerFix,
    PublicNoPrefix,
    PublicNoPrefixFix,
    ClosedNormal,
    ClosedNormalFix,
    ClosedGoingAway,
    ClosedGoingAwayFix,
    ClosedProtocol,
    ClosedProtocolFix,
    ClosedAbnormal,
    ClosedAbnormalFix,
    ClosedPolicy,
    ClosedPolicyFix,
    ClosedTooBig,
    ClosedTooBigFix,
    ClosedServerError,
    ClosedServerErrorFix,
    ClosedBadGateway,
    ClosedBadGatewayFix,
    ClosedTls,
    ClosedTlsFix,
    ClosedOther,
    ClosedOtherFix,
    FixCredentials,
    FixNotAuthorized,
    FixClientId,
    FixTakenOver,
    FixVersion,
    FixLater,
    FixBanned,
    FixOtherServer,
    FixBrokerLog,
    ProtocolFix,
    KeepAliveFix,
    TextFrameFix,
    BrokerLimitFix,
    BadUrlFix,
    InvalidSettingsFix,
}

pub fn tdoc(lang: Lang, text: DocText) -> &'static str {
    use DocText::*;
    use Lang::*;
    match (lang, text) {
        (Es, Title) => "Diagnóstico de la conexión",
        (En, Title) => "Connection check",
        (Es, Checking) => "Comprobando…",
        (En, Checking) => "Checking…",
        (Es, NothingFound) => {
            "No se encontró ningún problema. Si sigue sin conectar, mira el registro del broker."
        }
        (En, NothingFound) => {
            "Nothing wrong found. If it still does not connect, look at the broker's log."
        }
        (Es, CheckAgain) => "Comprobar otra vez",
        (En, CheckAgain) => "Check again",
        (Es, UseWss) => "Usar wss en el puerto {}",
        (En, UseWss) => "Use wss on port {}",
        (Es, UsePath) => "Usar la ruta {}",
        (En, UsePath) => "Use the path {}",
        (Es, NoNetwork) => "Este dispositivo no tiene red.",
        (En, NoNetwork) => "This device has no network.",
        (Es, NoNetworkFix) => {
            "Conéctalo a una red (wifi o datos móviles); Tablero se reconecta solo cuando vuelva."
        }
        (En, NoNetworkFix) => {
            "Connect it to a network (Wi-Fi or mobile data); Tablero reconnects by itself when it is back."
        }
        (Es, MixedContent) => {
            "Esta página se abrió por https y el navegador no le deja abrir ws:// (sin cifrar)."
        }
        (En, MixedContent) => {
            "This page was opened over https, and the browser does not let it open ws:// (unencrypted)."
        }
        (Es, MixedContentFixPort) => "Usa wss:// en el puerto {}.",
        (En, MixedContentFixPort) => "Use wss:// on port {}.",
        (Es, MixedContentFixCustom) => {
            "Usa wss:// y el puerto TLS de WebSocket de tu broker, o abre Tablero por http."
        }
        (En, MixedContentFixCustom) => {
            "Use wss:// and your broker's TLS WebSocket port, or open Tablero over http."
        }
        (Es, LocalNetwork) => {
            "El broker ({}) está en tu red local y esta página viene de internet: Chrome pide permiso antes de dejarla conectarse a equipos de tu red, y sin ese permiso la conexión falla sin decir por qué."
        }
        (En, LocalNetwork) => {
            "The broker ({}) is on your local network and this page comes from the internet: Chrome asks permission before letting it reach devices on your network, and without it the connection fails without saying why."
        }
        (Es, LocalNetworkFix) => {
            "Si el navegador te preguntó, permite el acceso a la red local. Si no, abre la configuración del sitio (el icono a la izquierda de la dirección), permite «Acceso a la red local» y reintenta."
        }
        (En, LocalNetworkFix) => {
            "If the browser asked, allow local network access. If not, open the site settings (the icon left of the address), allow “Local network access”, and retry."
        }
        (Es, AnswersNow) => "Ahora sí se abre {}: el fallo fue pasajero.",
        (En, AnswersNow) => "{} opens now: the failure has passed.",
        (Es, AnswersNowFix) => "Reintenta ahora, sin esperar.",
        (En, AnswersNowFix) => "Retry now instead of waiting.",
        (Es, WrongPath) => "En {} no se abre ningún WebSocket, pero en la ruta {} sí.",
        (En, WrongPath) => "No WebSocket opens at {}, but one does at the path {}.",
        (Es, WrongPathFix) => "Usa la ruta {} en la conexión.",
        (En, WrongPathFix) => "Use the path {} in the connection.",
        (Es, NotMqtt) => {
            "En {} responde un servidor web, pero no abre un WebSocket MQTT en ninguna de las rutas probadas."
        }
        (En, NotMqtt) => {
            "A web server answers at {}, but it opens no MQTT WebSocket on any path tried."
        }
        (Es, NotMqttFix) => {
            "Revisa el puerto: debe ser el del listener de WebSocket del broker (p. ej. 8080, 8083, 8000 o 9001), no el de una página web."
        }
        (En, NotMqttFix) => {
            "Check the port: it must be the broker's WebSocket listener (e.g. 8080, 8083, 8000 or 9001), not a web page's."
        }
        (Es, Refused) => "Nada responde en {}: la conexión fue rechazada.",
        (En, Refused) => "Nothing answers at {}: the connection was refused.",
        (Es, RefusedFix) => {
            "Comprueba que el broker esté en marcha y escuche WebSockets en ese puerto, y que el host y el puerto sean los correctos."
        }
        (En, RefusedFix) => {
            "Check that the broker is running and listens for WebSockets on that port, and that the host and port are right."
        }
        (Es, Timeout) => "Nada responde en {} en {} s: ni acepta ni rechaza.",
        (En, Timeout) => "Nothing answers at {} within {} s: neither accepted nor refused.",
        (Es, TimeoutFix) => {
            "Suele ser un cortafuegos o un host equivocado: revisa el host y que el puerto esté abierto hacia este dispositivo."
        }
        (En, TimeoutFix) => {
            "This is usually a firewall or a wrong host: check the host, and that the port is open to this device."
        }
        (Es, Tls) => {
            "Si el broker usa un certificado propio (autofirmado), el navegador lo rechaza sin avisar y parece que nada responde."
        }
        (En, Tls) => {
            "If the broker uses a certificate of its own (self-signed), the browser refuses it without a word, and it looks as if nothing answers."
        }
        (Es, TlsFix) => "Abre {} una vez en este navegador, acepta el certificado y reintenta.",
        (En, TlsFix) => "Open {} once in this browser, accept the certificate, and retry.",
        (Es, BrokerDown) => {
            "{} no responde, pero otro broker público sí: el problema es de ese broker, no de tu red."
        }
        (En, BrokerDown) => {
            "{} does not answer, but another public broker does: the trouble is that broker's, not your network's."
        }
        (Es, BrokerDownFix) => {
            "Espera a que vuelva, o usa otro broker público (y cambia también el de tus dispositivos)."
        }
        (En, BrokerDownFix) => {
            "Wait for it to come back, or use another public broker (and change your devices' too)."
        }
        (Es, NoInternet) => {
            "Tampoco responde otro broker público: parece que no hay salida a internet, o esta red bloquea estos puertos."
        }
        (En, NoInternet) => {
            "Another public broker does not answer either: there seems to be no way out to the internet, or this network blocks these ports."
        }
        (Es, NoInternetFix) => {
            "Comprueba la conexión a internet; en la red de una empresa o escuela, prueba con datos móviles."
        }
        (En, NoInternetFix) => {
            "Check the internet connection; on a company's or school's network, try mobile data."
        }
        (Es, NoMqttAnswer) => "El WebSocket se abre en {}, pero nadie responde en MQTT.",
        (En, NoMqttAnswer) => "The WebSocket opens at {}, but nothing answers in MQTT.",
        (Es, NoMqttAnswerFix) => {
            "Revisa la ruta (muchos brokers usan /mqtt) y que el puerto sea el de MQTT por WebSocket."
        }
        (En, NoMqttAnswerFix) => {
            "Check the path (many brokers use /mqtt), and that the port is the one for MQTT over WebSocket."
        }
        (Es, PublicNoPrefix) => {
            "{} es un broker público y el tópico «{}» no lleva un prefijo tuyo: cualquiera puede leerlo y publicar en él (encender o apagar tu lámpara)."
        }
        (En, PublicNoPrefix) => {
            "{} is a public broker and the topic “{}” has no prefix of your own: anyone can read it and publish to it (switch your lamp on and off)."
        }
        (Es, PublicNoPrefixFix) => {
            "Pon un prefijo difícil de adivinar delante de tus tópicos, p. ej. {}/…, en los widgets y en tu dispositivo."
        }
        (En, PublicNoPrefixFix) => {
            "Put a prefix that is hard to guess in front of your topics, e.g. {}/…, in the widgets and on your device."
        }
        (Es, ClosedNormal) => "El broker cerró la conexión sin error (código WebSocket {}).",
        (En, ClosedNormal) => {
            "The broker closed the connection without an error (WebSocket code {})."
        }
        (Es, ClosedNormalFix) => {
            "Suele ser otro cliente con el mismo ID de cliente, o algo que el broker no permite: cambia el ID de cliente y mira el registro del broker."
        }
        (En, ClosedNormalFix) => {
            "Usually another client with the same client id, or something the broker does not allow: change the client id and look at the broker's log."
        }
        (Es, ClosedGoingAway) => {
            "El broker se está apagando, reiniciando o está saturado (código WebSocket {})."
        }
        (En, ClosedGoingAway) => {
            "The broker is shutting down, restarting or overloaded (WebSocket code {})."
        }
        (Es, ClosedGoingAwayFix) => "Espera: Tablero se reconecta solo.",
        (En, ClosedGoingAwayFix) => "Wait: Tablero reconnects by itself.",
        (Es, ClosedProtocol) => {
            "El servidor no aceptó el WebSocket (código WebSocket {}): quizá no es MQTT por WebSocket, o un proxy intermedio lo estropea."
        }
        (En, ClosedProtocol) => {
            "The server did not accept the WebSocket (WebSocket code {}): it may not be MQTT over WebSocket, or a proxy in between spoils it."
        }
        (Es, ClosedProtocolFix) => {
            "Revisa la ruta y el puerto, y que el proxy deje pasar WebSocket con el subprotocolo mqtt."
        }
        (En, ClosedProtocolFix) => {
            "Check the path and the port, and that the proxy passes WebSockets with the mqtt subprotocol."
        }
        (Es, ClosedAbnormal) => {
            "La conexión se cortó sin cierre (código WebSocket {}): se cayó la red, se detuvo el broker o un proxy o cortafuegos la cortó."
        }
        (En, ClosedAbnormal) => {
            "The connection dropped without a close (WebSocket code {}): the network went, the broker stopped, or a proxy or firewall cut it."
        }
        (Es, ClosedAbnormalFix) => {
            "Si pasa a menudo, baja el keepalive (p. ej. a 30 s) para que un proxy no la dé por inactiva; si no, revisa la red y el broker."
        }
        (En, ClosedAbnormalFix) => {
            "If it happens often, lower the keepalive (e.g. to 30 s) so a proxy does not take it for idle; otherwise check the network and the broker."
        }
        (Es, ClosedPolicy) => {
            "El servidor la cerró por su política (código WebSocket {}): p. ej. no acepta el origen de esta página, o un proxy pide credenciales."
        }
        (En, ClosedPolicy) => {
            "The server closed it by its policy (WebSocket code {}): e.g. it does not accept this page's origin, or a proxy wants credentials."
        }
        (Es, ClosedPolicyFix) => {
            "Permite el origen de esta página en el broker o el proxy, y revisa usuario y contraseña."
        }
        (En, ClosedPolicyFix) => {
            "Allow this page's origin on the broker or proxy, and check the username and password."
        }
        (Es, ClosedTooBig) => "Un mensaje pasó del límite del servidor (código WebSocket {}).",
        (En, ClosedTooBig) => "A message went over the server's limit (WebSocket code {}).",
        (Es, ClosedTooBigFix) => {
            "Sube el límite de tamaño del broker o del proxy, o envía mensajes más pequeños."
        }
        (En, ClosedTooBigFix) => {
            "Raise the broker's or proxy's size limit, or send smaller messages."
        }
        (Es, ClosedServerError) => "El servidor tuvo un error interno (código WebSocket {}).",
        (En, ClosedServerError) => "The server had an internal error (WebSocket code {}).",
        (Es, ClosedServerErrorFix) => "Mira el registro del broker; Tablero reintenta solo.",
        (En, ClosedServerErrorFix) => "Look at the broker's log; Tablero retries by itself.",
        (Es, ClosedBadGateway) => {
            "El proxy no llegó al broker que tiene detrás (código WebSocket {})."
        }
        (En, ClosedBadGateway) => {
            "The proxy could not reach the broker behind it (WebSocket code {})."
        }
        (Es, ClosedBadGatewayFix) => "Comprueba que el broker detrás del proxy esté en marcha.",
        (En, ClosedBadGatewayFix) => "Check that the broker behind the proxy is running.",
        (Es, ClosedTls) => "Falló el cifrado TLS (código WebSocket {}).",
        (En, ClosedTls) => "TLS failed (WebSocket code {}).",
        (Es, ClosedTlsFix) => {
            "Revisa el certificado del broker: debe valer para este host y ser de confianza para este navegador."
        }
        (En, ClosedTlsFix) => {
            "Check the broker's certificate: it must be valid for this host and trusted by this browser."
        }
        (Es, ClosedOther) => "El servidor cerró la conexión con el código WebSocket {}.",
        (En, ClosedOther) => "The server closed the connection with WebSocket code {}.",
        (Es, ClosedOtherFix) => {
            "Busca ese código en la documentación del broker o del proxy (del 4000 al 4999 son códigos propios de la aplicación)."
        }
        (En, ClosedOtherFix) => {
            "Look that code up in the broker's or proxy's documentation (4000 to 4999 are the application's own)."
        }
        (Es, FixCredentials) => {
            "Revisa usuario y contraseña en la conexión (el broker público de shiftr.io usa public / public)."
        }
        (En, FixCredentials) => {
            "Check the username and password in the connection (shiftr.io's public broker takes public / public)."
        }
        (Es, FixNotAuthorized) => {
            "Este cliente no tiene permiso: revisa usuario y contraseña, o la lista de acceso (ACL) del broker."
        }
        (En, FixNotAuthorized) => {
            "This client is not allowed: check the username and password, or the broker's access list (ACL)."
        }
        (Es, FixClientId) => {
            "Usa otro ID de cliente (letras y números; algunos brokers aceptan 23 como mucho)."
        }
        (En, FixClientId) => {
            "Use another client id (letters and digits; some brokers take 23 at most)."
        }
        (Es, FixVersion) => "Cambia la versión de MQTT a 3.1.1 (o a automática).",
        (En, FixVersion) => "Set the MQTT version to 3.1.1 (or to auto).",
        (Es, FixLater) => "El broker está ocupado o no disponible: espera, Tablero reintenta solo.",
        (En, FixLater) => "The broker is busy or unavailable: wait, Tablero retries by itself.",
        (Es, FixBanned) => "El broker bloqueó este cliente: pregunta a quien lo administra.",
        (En, FixBanned) => "The broker has banned this client: ask whoever runs it.",
        (Es, FixOtherServer) => "El broker te manda a otro servidor: conéctate al que nombra.",
        (En, FixOtherServer) => {
            "The broker sends you to another server: connect to the one it names."
        }
        (Es, FixBrokerLog) => "Mira el registro del broker: dice más sobre ese motivo.",
        (En, FixBrokerLog) => "Look at the broker's log: it says more about that reason.",
        (Es, FixTakenOver) => {
            "Otro cliente se conectó con el mismo ID de cliente: dale a cada conexión (y a cada dispositivo) el suyo."
        }
        (En, FixTakenOver) => {
            "Another client connected with the same client id: give each connection (and each device) its own."
        }
        (Es, ProtocolFix) => {
            "Tablero cortó la conexión para no arriesgarse: actualiza el broker o avisa a quien lo administra."
        }
        (En, ProtocolFix) => {
            "Tablero ended the connection to stay safe: update the broker, or tell whoever runs it."
        }
        (Es, KeepAliveFix) => {
            "Suele ser la red, o un proxy que corta las conexiones calladas: Tablero se reconecta solo; si pasa a menudo, baja el keepalive (p. ej. a 30 s)."
        }
        (En, KeepAliveFix) => {
            "Usually the network, or a proxy that cuts quiet connections: Tablero reconnects by itself; if it keeps happening, lower the keepalive (e.g. to 30 s)."
        }
        (Es, TextFrameFix) => {
            "Revisa el puerto y la ruta: deben ser los del listener de MQTT por WebSocket del broker."
        }
        (En, TextFrameFix) => {
            "Check the port and the path: they must be the broker's MQTT-over-WebSocket listener."
        }
        (Es, BrokerLimitFix) => {
            "Sube max_packet_size en el broker, o deja al tablero menos tópicos o más cortos."
        }
        (En, BrokerLimitFix) => {
            "Raise max_packet_size on the broker, or give the dashboard fewer or shorter topics."
        }
        (Es, BadUrlFix) => "Revisa el host, el puerto y la ruta de la conexión.",
        (En, BadUrlFix) => "Check the connection's host, port and path.",
        (Es, InvalidSettingsFix) => {
            "Escribe un usuario, quita la contraseña o cambia la versión de MQTT a 5.0."
        }
        (En, InvalidSettingsFix) => {
            "Enter a username, remove the password, or set the MQTT version to 5.0."
        }
    }
}

/// [`word`] for the editors' words: one closure type for all of them.
pub fn ed_word(
    lang: leptos::prelude::Signal<Lang>,
    key: EdText,
) -> impl Fn() -> &'static str + Send + Sync + Copy + 'static {
    use leptos::prelude::Get;
    move || ted(lang.get(), key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spanish_tags_choose_spanish() {
        assert_eq!(Lang::from_tag("es-MX"), Lang::Es);
        assert_eq!(Lang::from_tag("ES"), Lang::Es);
        assert_eq!(Lang::from_tag("en-US"), Lang::En);
        assert_eq!(Lang::from_tag("fr"), Lang::En);
    }
}
