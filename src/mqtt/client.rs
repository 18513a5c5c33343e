//! The skeleton client: CONNECT, then SUBSCRIBE once the broker accepts, then deliver PUBLISH
//! payloads and acknowledge QoS 1 and 2 so the broker does not resend them.

use mqtt_codec_wasm::{
    BytesMut, Connect, Packet, Pid, Properties, ProtocolVersion, PublishAck, QoS, QosPid,
    ReasonCode, StreamDecoder, Subscribe, SubscribeFilter, SubscriptionOptions, encode,
};

/// The largest packet accepted from a broker: generous for dashboards, small enough that a
/// hostile broker cannot make the tab buffer without bound.
pub const MAX_INCOMING_PACKET: u32 = 1024 * 1024;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientOptions {
    pub version: ProtocolVersion,
    pub client_id: String,
    pub keep_alive_secs: u16,
    pub filter: String,
}

/// What the app needs to know; never raw packets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ClientEvent {
    /// The broker accepted the connection.
    Connected,
    /// The subscription was granted (at the returned QoS) or refused.
    Subscribed { granted: Result<QoS, ReasonCode> },
    Message {
        topic: String,
        payload: mqtt_codec_wasm::Bytes,
        retained: bool,
    },
    /// The broker refused the connection; the connection should be closed.
    Refused(ReasonCode),
    /// The broker sent something the codec or the protocol rejects; close the connection.
    ProtocolError(String),
}

pub struct SkeletonClient {
    options: ClientOptions,
    decoder: StreamDecoder,
    subscribe_pid: Pid,
}

impl SkeletonClient {
    pub fn new(options: ClientOptions) -> Self {
        Self {
            decoder: StreamDecoder::new(options.version, MAX_INCOMING_PACKET),
            options,
            subscribe_pid: Pid::new(1).expect("1 is a valid packet id"),
        }
    }

    /// The bytes to send as soon as the transport is open.
    pub fn connect_bytes(&self) -> Vec<u8> {
        self.encode(&Packet::Connect(Connect {
            version: self.options.version,
            client_id: self.options.client_id.clone(),
            clean_start: true,
            keep_alive: self.options.keep_alive_secs,
            username: None,
            password: None,
            will: None,
            properties: Properties::default(),
        }))
    }

    /// Sent every keepalive period while connected, so the broker keeps the connection open.
    pub fn ping_bytes(&self) -> Vec<u8> {
        self.encode(&Packet::PingReq)
    }

    /// Feeds bytes from the transport; returns bytes to send back and events for the app.
    pub fn handle_bytes(&mut self, data: &[u8]) -> (Vec<u8>, Vec<ClientEvent>) {
        let mut out = Vec::new();
        let mut events = Vec::new();
        if let Err(e) = self.decoder.push(data) {
            events.push(ClientEvent::ProtocolError(e.to_string()));
            return (out, events);
        }
        loop {
            match self.decoder.next_packet() {
                Ok(Some(packet)) => self.handle_packet(packet, &mut out, &mut events),
                Ok(None) => break,
                Err(e) => {
                    events.push(ClientEvent::ProtocolError(e.to_string()));
                    break;
                }
            }
        }
        (out, events)
    }

    fn handle_packet(&mut self, packet: Packet, out: &mut Vec<u8>, events: &mut Vec<ClientEvent>) {
        match packet {
            Packet::ConnAck(ack) if ack.reason == ReasonCode::Success => {
                events.push(ClientEvent::Connected);
                out.extend(self.encode(&Packet::Subscribe(Subscribe {
                    pid: self.subscribe_pid,
                    filters: vec![SubscribeFilter {
                        filter: self.options.filter.clone(),
                        options: SubscriptionOptions::qos(QoS::AtLeastOnce),
                    }],
                    properties: Properties::default(),
                })));
            }
            Packet::ConnAck(ack) => events.push(ClientEvent::Refused(ack.reason)),
            Packet::SubAck(ack) => {
                let granted = match ack.reasons.first() {
                    Some(ReasonCode::Success) => Ok(QoS::AtMostOnce),
                    Some(ReasonCode::GrantedQoS1) => Ok(QoS::AtLeastOnce),
                    Some(ReasonCode::GrantedQoS2) => Ok(QoS::ExactlyOnce),
                    Some(other) => Err(*other),
                    None => Err(ReasonCode::ProtocolError),
                };
                events.push(ClientEvent::Subscribed { granted });
            }
            Packet::Publish(publish) => {
                match publish.qos_pid {
                    QosPid::AtMostOnce => {}
                    QosPid::AtLeastOnce(pid) => out.extend(self.encode(&Packet::PubAck(ack(pid)))),
                    QosPid::ExactlyOnce(pid) => out.extend(self.encode(&Packet::PubRec(ack(pid)))),
                }
                events.push(ClientEvent::Message {
                    topic: publish.topic,
                    payload: publish.payload,
                    retained: publish.retain,
                });
            }
            Packet::PubRel(rel) => out.extend(self.encode(&Packet::PubComp(ack(rel.pid)))),
            Packet::PingResp | Packet::UnsubAck(_) => {}
            other => events.push(ClientEvent::ProtocolError(format!(
                "unexpected {:?} from the broker",
                other.packet_type()
            ))),
        }
    }

    fn encode(&self, packet: &Packet) -> Vec<u8> {
        let mut buf = BytesMut::new();
        // Every packet built here is valid by construction; an error would be a bug in this
        // file, and sending nothing is safer than sending half a packet.
        match encode(packet, self.options.version, &mut buf) {
            Ok(_) => buf.to_vec(),
            Err(_) => Vec::new(),
        }
    }
}

fn ack(pid: Pid) -> PublishAck {
    PublishAck {
        pid,
        reason: ReasonCode::Success,
        properties: Properties::default(),
    }
}
