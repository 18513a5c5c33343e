//! MQTT for the app. `link` drives one `mqtt-session` per broker over a browser WebSocket;
//! nothing else in the app sees packets or bytes on the wire.

pub mod link;
