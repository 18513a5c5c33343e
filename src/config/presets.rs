//! The public test brokers the course notes list, with their WebSocket ports and paths.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BrokerPreset {
    pub id: &'static str,
    pub host: &'static str,
    pub ws_port: u16,
    pub wss_port: u16,
    pub path: &'static str,
    /// Credentials the public instance documents, if it needs any.
    pub public_credentials: Option<(&'static str, &'static str)>,
}

pub const PRESETS: &[BrokerPreset] = &[
    BrokerPreset {
        id: "mosquitto",
        host: "test.mosquitto.org",
        ws_port: 8080,
        wss_port: 8081,
        path: "/",
        public_credentials: None,
    },
    BrokerPreset {
        id: "hivemq",
        host: "broker.hivemq.com",
        ws_port: 8000,
        wss_port: 8884,
        path: "/mqtt",
        public_credentials: None,
    },
    BrokerPreset {
        id: "eclipse",
        host: "mqtt.eclipseprojects.io",
        ws_port: 80,
        wss_port: 443,
        path: "/mqtt",
        public_credentials: None,
    },
    BrokerPreset {
        id: "shiftr",
        host: "public.cloud.shiftr.io",
        ws_port: 80,
        wss_port: 443,
        path: "/",
        public_credentials: Some(("public", "public")),
    },
];

impl BrokerPreset {
    pub fn by_id(id: &str) -> Option<&'static BrokerPreset> {
        PRESETS.iter().find(|p| p.id == id)
    }
}
