//! The public test brokers the course notes list, with their WebSocket ports and paths, and
//! the plain TCP port a board (which speaks MQTT over TCP, not WebSockets) connects to.

use super::MqttVersion;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BrokerPreset {
    pub id: &'static str,
    pub host: &'static str,
    pub ws_port: u16,
    pub wss_port: u16,
    pub path: &'static str,
    /// Plain MQTT over TCP, for firmware: a microcontroller's MQTT library speaks TCP, and
    /// the WebSocket ports above do not answer it.
    pub tcp_port: u16,
    /// Credentials the public instance documents, if it needs any.
    pub public_credentials: Option<(&'static str, &'static str)>,
    /// The version a connection made from it starts with: `Auto` where the broker is known
    /// to speak 5.0 (and 3.1.1), 3.1.1 where it speaks nothing newer.
    pub version: MqttVersion,
}

pub const PRESETS: &[BrokerPreset] = &[
    BrokerPreset {
        id: "mosquitto",
        host: "test.mosquitto.org",
        ws_port: 8080,
        wss_port: 8081,
        path: "/",
        tcp_port: 1883,
        public_credentials: None,
        version: MqttVersion::Auto,
    },
    BrokerPreset {
        id: "hivemq",
        host: "broker.hivemq.com",
        ws_port: 8000,
        wss_port: 8884,
        path: "/mqtt",
        tcp_port: 1883,
        public_credentials: None,
        version: MqttVersion::Auto,
    },
    BrokerPreset {
        id: "eclipse",
        host: "mqtt.eclipseprojects.io",
        ws_port: 80,
        wss_port: 443,
        path: "/mqtt",
        tcp_port: 1883,
        public_credentials: None,
        version: MqttVersion::Auto,
    },
    BrokerPreset {
        id: "shiftr",
        host: "public.cloud.shiftr.io",
        ws_port: 80,
        wss_port: 443,
        path: "/",
        tcp_port: 1883,
        public_credentials: Some(("public", "public")),
        // "The MQTT interface implements a subset of the MQTT 3.1.1 protocol" (its docs).
        version: MqttVersion::V3_1_1,
    },
];

impl BrokerPreset {
    pub fn by_id(id: &str) -> Option<&'static BrokerPreset> {
        PRESETS.iter().find(|p| p.id == id)
    }
}

/// The public brokers a first visit over https tries for its demo, in order: the next one
/// when the one before does not answer. HiveMQ first (the most dependable of the four in the
/// course's experience), shiftr.io last (3.1.1 only, and shared credentials).
pub fn first_visit_presets() -> impl Iterator<Item = &'static BrokerPreset> {
    ["hivemq", "mosquitto", "eclipse", "shiftr"]
        .into_iter()
        .filter_map(BrokerPreset::by_id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_preset_is_tried_once_on_a_first_visit() {
        let ids: Vec<&str> = first_visit_presets().map(|p| p.id).collect();
        assert_eq!(ids, ["hivemq", "mosquitto", "eclipse", "shiftr"]);
        assert_eq!(ids.len(), PRESETS.len());
    }
}
