//! Packets from the server.
//!
//! Every packet is checked against what the session expects before it changes anything:
//! a broker that breaks the protocol ends the connection with a [`ProtocolViolation`]
//! naming the rule, and never panics the session.

use alloc::string::String;
use alloc::vec::Vec;

use mqtt_codec_wasm::topic::validate_topic_name;
use mqtt_codec_wasm::{
    ConnAck, DecodeError, Disconnect, Packet, PacketType, Properties, Property, Publish,
    PublishAck, QoS, QosPid, ReasonCode, SubAck, UnsubAck,
};

use crate::event::{Event, Message, ProtocolViolation, VersionRefusal};
use crate::session::{ActiveSub, OutgoingStage, ServerLimits, Session, State, keep_alive_ms};
use crate::time::Millis;

impl Session {
    /// Bytes read from the transport; they need not hold whole packets.
    pub fn handle_bytes(&mut self, now: Millis, bytes: &[u8]) {
        self.now = now;
        let Some(conn) = &mut self.conn else {
            return;
        };
        if bytes.is_empty() {
            return;
        }
        // Any byte proves the peer alive, even the start of a packet still arriving slowly.
        conn.last_received = now;
        conn.received_any = true;
        // A bad header makes `push` fail, but the decoder still hands out the whole packets
        // before it and then the same error, so the packets a broker sent before going wrong
        // are acted on (acknowledged, delivered) first.
        let _ = conn.decoder.push(bytes);
        loop {
            let Some(conn) = &mut self.conn else {
                return;
            };
            match conn.decoder.next_packet() {
                Ok(Some(packet)) => {
                    conn.ping_outstanding = false;
                    self.handle_packet(packet);
                }
                Ok(None) => return,
                Err(DecodeError::OlderVersionConnAck { return_code }) if !conn.connected => {
                    self.version_refused(VersionRefusal::OlderConnAck { return_code });
                    return;
                }
                Err(DecodeError::ClientPacketFromServer { packet_type }) => {
                    self.violation(ProtocolViolation::UnexpectedPacket(packet_type));
                    return;
                }
                Err(e) => {
                    self.violation(ProtocolViolation::Malformed(e));
                    return;
                }
            }
        }
    }

    fn handle_packet(&mut self, packet: Packet) {
        let connected = self.conn.as_ref().is_some_and(|c| c.connected);
        match packet {
            Packet::ConnAck(_) if connected => {
                self.violation(ProtocolViolation::DuplicateConnAck);
            }
            Packet::ConnAck(c) => self.on_connack(c),
            // 3.1.1 servers have no DISCONNECT to send; 5.0 servers may send it at any time,
            // even instead of a CONNACK, and it is the most useful thing we can report.
            Packet::Disconnect(d) if self.opts.version.is_v5() => self.on_disconnect(d),
            Packet::Connect(_)
            | Packet::Subscribe(_)
            | Packet::Unsubscribe(_)
            | Packet::PingReq
            | Packet::Auth(_)
            | Packet::Disconnect(_) => {
                self.violation(ProtocolViolation::UnexpectedPacket(packet.packet_type()));
            }
            other if !connected => {
                self.violation(ProtocolViolation::PacketBeforeConnAck(other.packet_type()));
            }
            Packet::Publish(p) => self.on_publish(p),
            Packet::PubAck(a) => self.on_puback(a),
            Packet::PubRec(a) => self.on_pubrec(a),
            Packet::PubRel(a) => self.on_pubrel(a),
            Packet::PubComp(a) => self.on_pubcomp(a),
            Packet::SubAck(s) => self.on_suback(s),
            Packet::UnsubAck(u) => self.on_unsuback(u),
            Packet::PingResp => {}
        }
    }

    /// Ends the connection because the server broke the protocol; in 5.0 the server is told
    /// why first (5.0 section 4.13).
    pub(crate) fn violation(&mut self, cause: ProtocolViolation) {
        if self.opts.version.is_v5() && self.conn.is_some() {
            let _ = self.transmit_packet(&Packet::Disconnect(Disconnect {
                reason: cause.reason_code(),
                properties: Properties::default(),
            }));
        }
        self.events.push_back(Event::ProtocolError { cause });
        self.end_connection(true);
    }

    fn on_connack(&mut self, c: ConnAck) {
        let props = &c.properties;
        // A 5.0 server limited to older versions; without a fallback the refusal below
        // keeps its reason string.
        if c.reason == ReasonCode::UnsupportedProtocolVersion && self.can_fall_back() {
            self.version_refused(VersionRefusal::UnsupportedProtocolVersion);
            return;
        }
        if c.reason != ReasonCode::Success {
            self.events.push_back(Event::ConnectionRefused {
                reason: c.reason,
                reason_string: reason_string(props),
                server_reference: server_reference(props),
            });
            // Retrying cannot fix these without a configuration change; everything else
            // (server busy, unavailable, moved, quota) may pass.
            let permanent = matches!(
                c.reason,
                ReasonCode::UnsupportedProtocolVersion
                    | ReasonCode::ClientIdentifierNotValid
                    | ReasonCode::BadUserNameOrPassword
                    | ReasonCode::NotAuthorized
                    | ReasonCode::Banned
                    | ReasonCode::BadAuthenticationMethod
            );
            self.end_connection(!permanent);
            return;
        }
        if c.session_present && self.opts.clean_start {
            self.violation(ProtocolViolation::SessionPresentOnCleanStart);
            return;
        }

        let mut limits = ServerLimits::permissive(self.opts.keep_alive);
        let mut assigned = None;
        for p in &props.0 {
            match p {
                Property::ReceiveMaximum(v) => limits.receive_maximum = (*v).max(1),
                Property::MaximumPacketSize(v) => limits.maximum_packet_size = Some(*v),
                Property::TopicAliasMaximum(v) => limits.topic_alias_maximum = *v,
                Property::MaximumQoS(v) => {
                    limits.maximum_qos = QoS::from_u8(*v).unwrap_or(QoS::ExactlyOnce);
                }
                Property::RetainAvailable(v) => limits.retain_available = *v != 0,
                Property::WildcardSubscriptionAvailable(v) => {
                    limits.wildcard_subscription_available = *v != 0;
                }
                Property::SharedSubscriptionAvailable(v) => {
                    limits.shared_subscription_available = *v != 0;
                }
                Property::SubscriptionIdentifierAvailable(v) => {
                    limits.subscription_identifiers_available = *v != 0;
                }
                Property::ServerKeepAlive(v) => limits.keep_alive = *v,
                Property::AssignedClientIdentifier(id) => assigned = Some(id.clone()),
                _ => {}
            }
        }
        if let Some(id) = &assigned
            && !self.client_id.is_empty()
            && *id != self.client_id
        {
            self.violation(ProtocolViolation::AssignedClientIdNotAsked);
            return;
        }
        if let Some(id) = &assigned {
            // Reconnects must present this identifier, or the session could not resume.
            self.client_id.clone_from(id);
        }
        self.limits = limits;
        let now = self.now;
        if let Some(conn) = &mut self.conn {
            conn.connected = true;
            conn.send_quota = limits.receive_maximum;
            conn.keep_alive_ms = keep_alive_ms(limits.keep_alive);
            conn.last_received = now;
        }
        self.state = State::Connected;
        self.ever_connected = true;
        self.policy.connected(now);
        self.events.push_back(Event::Connected {
            session_present: c.session_present,
            assigned_client_id: assigned,
            keep_alive: limits.keep_alive,
            limits,
            reason_string: reason_string(props),
        });

        if !c.session_present {
            // The server forgot everything: its half of each QoS 2 exchange, our
            // subscriptions. Incoming QoS 2 state goes too (a PUBLISH under an old
            // identifier is now a new message). Outgoing messages the server never
            // acknowledged are sent again as new ones; those it had taken over with PUBREC
            // are done.
            self.incoming_qos2.clear();
            let mut i = 0;
            while i < self.inflight.len() {
                if self.inflight[i].stage == OutgoingStage::AwaitingComp {
                    if let Some(o) = self.inflight.remove(i) {
                        self.release_pid(o.pid);
                        self.events.push_back(Event::PublishAcknowledged {
                            id: o.id,
                            qos: o.msg.qos,
                            reason: ReasonCode::Success,
                            reason_string: None,
                        });
                    }
                } else {
                    self.inflight[i].dup = false;
                    i += 1;
                }
            }
            self.restore_subscriptions();
        }
        self.send_pending();
        self.pump();
    }

    fn on_disconnect(&mut self, d: Disconnect) {
        self.events.push_back(Event::Disconnected {
            reason: d.reason,
            reason_string: reason_string(&d.properties),
            server_reference: server_reference(&d.properties),
        });
        self.end_connection(true);
    }

    fn on_publish(&mut self, p: Publish) {
        let Publish {
            dup,
            qos_pid,
            retain,
            mut topic,
            payload,
            mut properties,
        } = p;
        let alias = properties.0.iter().find_map(|p| match p {
            Property::TopicAlias(a) => Some(*a),
            _ => None,
        });
        if let Some(alias) = alias {
            let maximum = self.opts.topic_alias_maximum;
            if alias == 0 || alias > maximum {
                self.violation(ProtocolViolation::TopicAliasInvalid { alias, maximum });
                return;
            }
            let Some(conn) = &mut self.conn else { return };
            if topic.is_empty() {
                match conn.in_aliases.get(&alias) {
                    Some(t) => topic.clone_from(t),
                    None => {
                        self.violation(ProtocolViolation::UnknownTopicAlias(alias));
                        return;
                    }
                }
            } else {
                conn.in_aliases.insert(alias, topic.clone());
            }
        }
        if let Err(e) = validate_topic_name(&topic) {
            // An empty topic without an alias lands here too (as `Empty`).
            self.violation(ProtocolViolation::InvalidTopic(e));
            return;
        }
        let subscription_ids: Vec<u32> = properties
            .0
            .iter()
            .filter_map(|p| match p {
                Property::SubscriptionIdentifier(id) => Some(*id),
                _ => None,
            })
            .collect();
        properties.0.retain(|p| {
            !matches!(
                p,
                Property::TopicAlias(_) | Property::SubscriptionIdentifier(_)
            )
        });
        let message = Message {
            topic,
            payload,
            qos: qos_pid.qos(),
            retain,
            dup,
            properties,
            subscription_ids,
        };
        match qos_pid {
            QosPid::AtMostOnce => self.events.push_back(Event::Message(message)),
            QosPid::AtLeastOnce(pid) => {
                self.events.push_back(Event::Message(message));
                self.transmit_ack(Packet::PubAck, pid, ReasonCode::Success);
            }
            QosPid::ExactlyOnce(pid) => {
                // Delivered on PUBLISH, remembered until PUBREL: a resend under the same
                // identifier is acknowledged again but not delivered again [MQTT-4.3.3-10].
                if !self.incoming_qos2.contains(&pid.get()) {
                    let maximum = self.opts.receive_maximum;
                    if self.opts.version.is_v5() && self.incoming_qos2.len() >= usize::from(maximum)
                    {
                        self.violation(ProtocolViolation::ReceiveMaximumExceeded { maximum });
                        return;
                    }
                    self.incoming_qos2.insert(pid.get());
                    self.events.push_back(Event::Message(message));
                }
                self.transmit_ack(Packet::PubRec, pid, ReasonCode::Success);
            }
        }
    }

    fn on_puback(&mut self, a: PublishAck) {
        let pid = a.pid.get();
        let Some(i) = self.inflight.iter().position(|o| o.pid == a.pid) else {
            return self.stray_ack(PacketType::PubAck, pid);
        };
        if self.inflight[i].msg.qos != QoS::AtLeastOnce {
            return self.violation(ProtocolViolation::UnexpectedAck {
                packet: PacketType::PubAck,
                pid,
            });
        }
        self.complete(i, a.reason, reason_string(&a.properties));
    }

    fn on_pubrec(&mut self, a: PublishAck) {
        let pid = a.pid.get();
        let Some(i) = self.inflight.iter().position(|o| o.pid == a.pid) else {
            // The server still holds a message we no longer know (our PUBCOMP-side state
            // went with a restart, or it resent after we gave up): PUBREL lets it finish,
            // and 5.0 says why (section 3.6.2.1, Packet Identifier Not Found).
            self.transmit_ack(Packet::PubRel, a.pid, ReasonCode::PacketIdentifierNotFound);
            return self.stray_ack(PacketType::PubRec, pid);
        };
        if self.inflight[i].msg.qos != QoS::ExactlyOnce {
            return self.violation(ProtocolViolation::UnexpectedAck {
                packet: PacketType::PubRec,
                pid,
            });
        }
        if a.reason.is_error() {
            if self.inflight[i].stage != OutgoingStage::AwaitingAck {
                return self.violation(ProtocolViolation::UnexpectedAck {
                    packet: PacketType::PubRec,
                    pid,
                });
            }
            // The server refused the message; the exchange ends here (5.0 section 4.3.3).
            return self.complete(i, a.reason, reason_string(&a.properties));
        }
        // A repeated PUBREC (after PUBREL was sent) is answered with PUBREL again, which is
        // harmless and keeps the exchange moving.
        let o = &mut self.inflight[i];
        o.stage = OutgoingStage::AwaitingComp;
        o.sent = true;
        let pid = o.pid;
        self.transmit_ack(Packet::PubRel, pid, ReasonCode::Success);
    }

    fn on_pubrel(&mut self, a: PublishAck) {
        // Always answered with PUBCOMP [MQTT-4.3.3-11]: an unknown identifier is normal
        // during recovery (our PUBCOMP was lost with the last connection), and 5.0 says so
        // with Packet Identifier Not Found (section 3.7.2.1) instead of an error.
        let reason = if self.incoming_qos2.remove(&a.pid.get()) {
            ReasonCode::Success
        } else {
            ReasonCode::PacketIdentifierNotFound
        };
        self.transmit_ack(Packet::PubComp, a.pid, reason);
    }

    fn on_pubcomp(&mut self, a: PublishAck) {
        let pid = a.pid.get();
        let Some(i) = self.inflight.iter().position(|o| o.pid == a.pid) else {
            return self.stray_ack(PacketType::PubComp, pid);
        };
        if self.inflight[i].stage != OutgoingStage::AwaitingComp {
            return self.violation(ProtocolViolation::UnexpectedAck {
                packet: PacketType::PubComp,
                pid,
            });
        }
        self.complete(i, a.reason, reason_string(&a.properties));
    }

    /// An acknowledgement for an identifier with nothing outstanding. Brokers send these in
    /// real life — a resend after a session resumed, a race with a reconnect — and a client
    /// that disconnected for it would reconnect in a loop; the trusted libraries and the
    /// spec's recovery rules carry on, so does this session, and the driver may log it.
    fn stray_ack(&mut self, packet: PacketType, pid: u16) {
        self.events.push_back(Event::StrayAck { packet, pid });
    }

    /// Ends the exchange of `inflight[i]`: frees its identifier, returns its unit of send
    /// quota, tells the application, and lets the next waiting publish go.
    fn complete(&mut self, i: usize, reason: ReasonCode, reason_string: Option<String>) {
        let Some(o) = self.inflight.remove(i) else {
            return;
        };
        self.release_pid(o.pid);
        if o.counted
            && let Some(conn) = &mut self.conn
        {
            conn.send_quota = conn
                .send_quota
                .saturating_add(1)
                .min(self.limits.receive_maximum);
        }
        self.events.push_back(Event::PublishAcknowledged {
            id: o.id,
            qos: o.msg.qos,
            reason,
            reason_string,
        });
        self.pump();
    }

    fn on_suback(&mut self, s: SubAck) {
        let pid = s.pid.get();
        let Some(i) = self
            .pending_subs
            .iter()
            .position(|p| p.pid == s.pid && p.sent)
        else {
            return self.stray_ack(PacketType::SubAck, pid);
        };
        let expected = self.pending_subs[i].filters.len();
        if s.reasons.len() != expected {
            return self.violation(ProtocolViolation::AckCountMismatch {
                packet: PacketType::SubAck,
                expected,
                received: s.reasons.len(),
            });
        }
        let sub = self.pending_subs.remove(i);
        self.release_pid(sub.pid);
        let mut results = Vec::with_capacity(expected);
        for ((f, record), reason) in sub.filters.into_iter().zip(sub.record).zip(s.reasons) {
            if reason.is_error() {
                if sub.restored {
                    self.subscriptions.retain(|a| a.filter != f.filter);
                }
            } else if record {
                // A new subscription to the same filter replaces the old [MQTT-3.8.4-3].
                let entry = ActiveSub {
                    filter: f.filter.clone(),
                    options: f.options,
                    properties: sub.properties.clone(),
                };
                match self.subscriptions.iter_mut().find(|a| a.filter == f.filter) {
                    Some(existing) => *existing = entry,
                    None => self.subscriptions.push(entry),
                }
            }
            results.push((f.filter, reason));
        }
        self.events.push_back(Event::Subscribed {
            id: sub.id,
            restored: sub.restored,
            results,
            reason_string: reason_string(&s.properties),
        });
    }

    fn on_unsuback(&mut self, u: UnsubAck) {
        let pid = u.pid.get();
        let Some(i) = self
            .pending_unsubs
            .iter()
            .position(|p| p.pid == u.pid && p.sent)
        else {
            return self.stray_ack(PacketType::UnsubAck, pid);
        };
        let expected = self.pending_unsubs[i].filters.len();
        let v5 = self.opts.version.is_v5();
        if v5 && u.reasons.len() != expected {
            return self.violation(ProtocolViolation::AckCountMismatch {
                packet: PacketType::UnsubAck,
                expected,
                received: u.reasons.len(),
            });
        }
        let unsub = self.pending_unsubs.remove(i);
        self.release_pid(unsub.pid);
        let results = if v5 {
            unsub.filters.into_iter().zip(u.reasons).collect()
        } else {
            unsub
                .filters
                .into_iter()
                .map(|f| (f, ReasonCode::Success))
                .collect()
        };
        self.events.push_back(Event::Unsubscribed {
            id: unsub.id,
            results,
            reason_string: reason_string(&u.properties),
        });
    }
}

fn reason_string(props: &Properties) -> Option<String> {
    props.0.iter().find_map(|p| match p {
        Property::ReasonString(s) => Some(s.clone()),
        _ => None,
    })
}

fn server_reference(props: &Properties) -> Option<String> {
    props.0.iter().find_map(|p| match p {
        Property::ServerReference(s) => Some(s.clone()),
        _ => None,
    })
}
