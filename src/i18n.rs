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
    Tagline,
    BrokerUrl,
    Topic,
    Connect,
    Idle,
    Connecting,
    Connected,
    Subscribed,
    Closed,
    Refused,
    Failed,
    LastMessage,
    NoMessageYet,
    Retained,
    SwitchLanguage,
}

pub fn t(lang: Lang, text: Text) -> &'static str {
    use Lang::*;
    use Text::*;
    match (lang, text) {
        (Es, Tagline) => "Tablero MQTT en tu navegador",
        (En, Tagline) => "MQTT dashboard in your browser",
        (Es, BrokerUrl) => "URL del broker (WebSocket)",
        (En, BrokerUrl) => "Broker URL (WebSocket)",
        (Es, Topic) => "Tópico",
        (En, Topic) => "Topic",
        (Es, Connect) => "Conectar",
        (En, Connect) => "Connect",
        (Es, Idle) => "Sin conectar",
        (En, Idle) => "Not connected",
        (Es, Connecting) => "Conectando…",
        (En, Connecting) => "Connecting…",
        (Es, Connected) => "Conectado",
        (En, Connected) => "Connected",
        (Es, Subscribed) => "Conectado y suscrito",
        (En, Subscribed) => "Connected and subscribed",
        (Es, Closed) => "Conexión cerrada",
        (En, Closed) => "Connection closed",
        (Es, Refused) => "El broker rechazó la conexión",
        (En, Refused) => "The broker refused the connection",
        (Es, Failed) => "Error",
        (En, Failed) => "Error",
        (Es, LastMessage) => "Último mensaje",
        (En, LastMessage) => "Last message",
        (Es, NoMessageYet) => "Aún no llega ningún mensaje",
        (En, NoMessageYet) => "No message yet",
        (Es, Retained) => "retenido",
        (En, Retained) => "retained",
        (Es, SwitchLanguage) => "English",
        (En, SwitchLanguage) => "Español",
    }
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
