//! Random interleavings of commands, a model broker that behaves legally, random
//! acknowledgements, lost connections and time jumps. Invariants after every step: no
//! panic, no two in-flight publishes share an identifier, every accepted QoS 1/2 publish is
//! acknowledged or still pending (never dropped, never acknowledged twice), no QoS 2
//! message is delivered twice. At the end a quiet period with a well-behaved broker must
//! acknowledge everything.
mod common;

use std::collections::{BTreeMap, BTreeSet, HashSet, VecDeque};

use common::*;
use mqtt_codec_wasm::{Packet, Property, ProtocolVersion, QoS, QosPid, ReasonCode, StreamDecoder};
use mqtt_session::{Event, Properties, PublishId, State, SubscriptionOptions};
use proptest::prelude::*;

#[derive(Debug, Clone)]
enum Action {
    Publish(u8, u8),
    Subscribe(u8),
    Unsubscribe(u8),
    /// The broker answers the oldest thing it owes an answer to.
    BrokerAck,
    /// The broker publishes a new message.
    BrokerPublish(u8),
    /// The broker releases (PUBREL) a QoS 2 message the client has PUBREC'd.
    BrokerRelease,
    /// An acknowledgement out of nowhere (it may be a protocol violation).
    RandomAck(u8, u16),
    Lose,
    Reconnect(bool, u8),
    Jump(u32),
    Garbage(Vec<u8>),
}

fn action() -> impl Strategy<Value = Action> {
    prop_oneof![
        4 => (0..3u8, 0..4u8).prop_map(|(q, t)| Action::Publish(q, t)),
        1 => (0..4u8).prop_map(Action::Subscribe),
        1 => (0..4u8).prop_map(Action::Unsubscribe),
        6 => Just(Action::BrokerAck),
        3 => (0..3u8).prop_map(Action::BrokerPublish),
        2 => Just(Action::BrokerRelease),
        1 => (0..4u8, 1..8u16).prop_map(|(k, p)| Action::RandomAck(k, p)),
        1 => Just(Action::Lose),
        3 => (any::<bool>(), 1..5u8).prop_map(|(p, r)| Action::Reconnect(p, r)),
        2 => (0..20_000u32).prop_map(Action::Jump),
        1 => proptest::collection::vec(any::<u8>(), 1..8).prop_map(Action::Garbage),
    ]
}

const TOPICS: [&str; 4] = ["t/a", "t/b", "x/y/z", "dash/1"];
const CLIENT_RECEIVE_MAX: u16 = 5;

/// What the broker owes the client an answer to, on the current connection.
#[derive(Debug, Clone)]
enum Owed {
    Publish(u16, QoS),
    PubRel(u16),
    Sub(u16, usize),
    Unsub(u16, usize),
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum OutStage {
    Sent,
    Received,
    Released,
}

struct Model {
    h: Harness,
    broker_connected: bool,
    broker_has_session: bool,
    owed: VecDeque<Owed>,
    /// Broker → client messages not yet completed: pid → (payload, qos, stage).
    outbound: BTreeMap<u16, (Bytes, QoS, OutStage)>,
    next_out_pid: u16,
    next_msg: u64,
    accepted: BTreeSet<PublishId>,
    acked: BTreeSet<PublishId>,
    delivered_qos2: HashSet<Bytes>,
    stats: Stats,
}

/// How much of the interesting ground a run covered, so a model that drifts into never
/// connecting cannot pass vacuously.
#[derive(Debug, Default, Clone, Copy)]
struct Stats {
    acks: usize,
    qos2_delivered: usize,
    dup_resends_seen: usize,
    protocol_errors: usize,
    resumed_sessions: usize,
}

impl Model {
    fn new(version: ProtocolVersion, seed: u64) -> Self {
        let mut o = opts(version);
        o.receive_maximum = CLIENT_RECEIVE_MAX;
        o.topic_alias_maximum = 2;
        o.rng_seed = seed;
        o.offline_queue.max_messages = 8;
        Self {
            h: Harness::new(o),
            broker_connected: false,
            broker_has_session: false,
            owed: VecDeque::new(),
            outbound: BTreeMap::new(),
            next_out_pid: 1,
            next_msg: 0,
            accepted: BTreeSet::new(),
            acked: BTreeSet::new(),
            delivered_qos2: HashSet::new(),
            stats: Stats::default(),
        }
    }

    fn v5(&self) -> bool {
        self.h.version.is_v5()
    }

    fn send(&mut self, p: Packet) {
        if self.broker_connected {
            self.h.send(p);
        }
    }

    /// Moves bytes and events between the session and the broker until both are quiet.
    fn sync(&mut self) {
        loop {
            let mut progressed = false;
            while let Some(bytes) = self.h.s.poll_transmit() {
                progressed = true;
                if !self.broker_connected {
                    continue;
                }
                self.h.broker.push(&bytes).expect("session bytes decode");
                while let Some(p) = self.h.broker.next_packet().expect("session packet decodes") {
                    self.broker_receive(p);
                }
            }
            while let Some(e) = self.h.s.poll_event() {
                progressed = true;
                self.observe(e);
            }
            if !matches!(self.h.s.state(), State::Connected | State::Connecting)
                && self.broker_connected
            {
                // The session ended the connection; the driver closes the transport.
                self.broker_connected = false;
                self.owed.clear();
                self.h.s.handle_connection_lost(self.h.now);
                progressed = true;
            }
            if !progressed {
                break;
            }
        }
        self.check_invariants();
    }

    fn broker_receive(&mut self, p: Packet) {
        match p {
            Packet::Connect(_) => {}
            Packet::Publish(p) => {
                self.stats.dup_resends_seen += usize::from(p.dup);
                if let Some(pid) = p.qos_pid.pid() {
                    self.owed
                        .push_back(Owed::Publish(pid.get(), p.qos_pid.qos()));
                }
            }
            Packet::PubRel(a) => self.owed.push_back(Owed::PubRel(a.pid.get())),
            Packet::PubAck(a) | Packet::PubComp(a) => {
                self.outbound.remove(&a.pid.get());
            }
            Packet::PubRec(a) => {
                if let Some(m) = self.outbound.get_mut(&a.pid.get()) {
                    m.2 = OutStage::Received;
                }
            }
            Packet::Subscribe(s) => self.owed.push_back(Owed::Sub(s.pid.get(), s.filters.len())),
            Packet::Unsubscribe(u) => self
                .owed
                .push_back(Owed::Unsub(u.pid.get(), u.filters.len())),
            Packet::PingReq => self.send(Packet::PingResp),
            Packet::Disconnect(_) => {
                self.broker_connected = false;
                self.owed.clear();
            }
            other => panic!("client sent {other:?}"),
        }
    }

    fn observe(&mut self, e: Event) {
        match e {
            Event::PublishAcknowledged { id, .. } => {
                assert!(self.accepted.contains(&id), "ack for unknown {id:?}");
                assert!(self.acked.insert(id), "{id:?} acknowledged twice");
                self.stats.acks += 1;
            }
            Event::PublishFailed { id, error } => panic!("publish {id:?} failed: {error}"),
            Event::Message(m) if m.qos == QoS::ExactlyOnce => {
                assert!(
                    self.delivered_qos2.insert(m.payload.clone()),
                    "QoS 2 message {:?} delivered twice",
                    m.payload
                );
                self.stats.qos2_delivered += 1;
            }
            Event::ProtocolError { .. } => self.stats.protocol_errors += 1,
            Event::Connected {
                session_present: true,
                ..
            } => self.stats.resumed_sessions += 1,
            _ => {}
        }
    }

    fn check_invariants(&self) {
        let pids: Vec<u16> = self.h.s.inflight().map(|(_, p, _, _)| p.get()).collect();
        let unique: BTreeSet<u16> = pids.iter().copied().collect();
        assert_eq!(
            unique.len(),
            pids.len(),
            "two in-flight publishes share an id: {pids:?}"
        );
        for id in &self.accepted {
            assert!(
                self.acked.contains(id) || self.h.s.is_pending(*id),
                "{id:?} neither acknowledged nor pending"
            );
            assert!(
                !(self.acked.contains(id) && self.h.s.is_pending(*id)),
                "{id:?} acked yet pending"
            );
        }
        assert!(self.h.s.incoming_qos2_len() <= usize::from(CLIENT_RECEIVE_MAX));
    }

    fn reconnect(&mut self, present: bool, receive_max: u16) {
        if matches!(self.h.s.state(), State::Connected | State::Connecting) {
            return;
        }
        let present = present && self.broker_has_session;
        self.h.broker = StreamDecoder::new(self.h.version, u32::MAX);
        self.h.s.connect(self.h.now).expect("connect");
        self.broker_connected = true;
        self.owed.clear();
        let _ = self.h.s.poll_transmit(); // CONNECT
        if !present {
            self.outbound.clear();
        }
        let mut props = vec![Property::ReceiveMaximum(receive_max)];
        if receive_max.is_multiple_of(2) {
            props.push(Property::TopicAliasMaximum(2));
        }
        let props = if self.v5() {
            Properties(props)
        } else {
            Properties::default()
        };
        self.send(connack(ReasonCode::Success, present, props));
        self.broker_has_session = true;
        // A legal broker resends what the client has not completed, in order.
        if present {
            let resend: Vec<_> = self.outbound.iter().map(|(p, m)| (*p, m.clone())).collect();
            for (pid_, (payload, qos, stage)) in resend {
                match stage {
                    OutStage::Sent => {
                        let mut p = publish("srv", b"", qos_pid(qos, pid_));
                        if let Packet::Publish(p) = &mut p {
                            p.dup = true;
                            p.payload = payload;
                        }
                        self.send(p);
                    }
                    OutStage::Released => self.send(pubrel(pid_)),
                    OutStage::Received => {}
                }
            }
        }
    }

    fn apply(&mut self, a: Action) {
        match a {
            Action::Publish(q, t) => {
                let qos = QoS::from_u8(q).unwrap();
                let payload = Bytes::from(format!("c{}", self.accepted.len()));
                match self.h.s.publish(
                    TOPICS[t as usize],
                    payload,
                    qos,
                    false,
                    Properties::default(),
                ) {
                    Ok(id) if qos != QoS::AtMostOnce => {
                        self.accepted.insert(id);
                    }
                    Ok(_) => {}
                    Err(mqtt_session::Error::OfflineQueueFull { .. }) => {}
                    Err(e) => panic!("unexpected publish error {e}"),
                }
            }
            Action::Subscribe(t) => {
                let so = SubscriptionOptions::qos(QoS::ExactlyOnce);
                self.h
                    .s
                    .subscribe([(TOPICS[t as usize], so)], Properties::default())
                    .unwrap();
            }
            Action::Unsubscribe(t) => {
                self.h
                    .s
                    .unsubscribe([TOPICS[t as usize]], Properties::default())
                    .unwrap();
            }
            Action::BrokerAck => {
                if !self.broker_connected || self.h.s.state() != State::Connected {
                    return;
                }
                let Some(owed) = self.owed.pop_front() else {
                    return;
                };
                let p = match owed {
                    Owed::Publish(p, QoS::AtLeastOnce) => puback(p),
                    Owed::Publish(p, _) => pubrec(p),
                    Owed::PubRel(p) => pubcomp(p),
                    Owed::Sub(p, n) => suback(p, vec![ReasonCode::GrantedQoS2; n]),
                    Owed::Unsub(p, n) => unsuback(
                        p,
                        if self.v5() {
                            vec![ReasonCode::Success; n]
                        } else {
                            vec![]
                        },
                    ),
                };
                self.send(p);
            }
            Action::BrokerPublish(q) => {
                if !self.broker_connected || self.h.s.state() != State::Connected {
                    return;
                }
                let qos = QoS::from_u8(q).unwrap();
                self.next_msg += 1;
                let payload = Bytes::from(format!("m{}", self.next_msg));
                if qos == QoS::AtMostOnce {
                    let mut p = publish("srv", b"", QosPid::AtMostOnce);
                    if let Packet::Publish(p) = &mut p {
                        p.payload = payload;
                    }
                    return self.send(p);
                }
                // A legal broker respects our receive maximum.
                if self.outbound.len() >= usize::from(CLIENT_RECEIVE_MAX) {
                    return;
                }
                let mut pid_ = self.next_out_pid;
                while self.outbound.contains_key(&pid_) {
                    pid_ = pid_ % 500 + 1;
                }
                self.next_out_pid = pid_ % 500 + 1;
                self.outbound
                    .insert(pid_, (payload.clone(), qos, OutStage::Sent));
                let mut p = publish("srv", b"", qos_pid(qos, pid_));
                if let Packet::Publish(p) = &mut p {
                    p.payload = payload;
                }
                self.send(p);
            }
            Action::BrokerRelease => {
                if !self.broker_connected || self.h.s.state() != State::Connected {
                    return;
                }
                let Some((&pid_, _)) = self
                    .outbound
                    .iter()
                    .find(|(_, m)| m.2 == OutStage::Received)
                else {
                    return;
                };
                if let Some(m) = self.outbound.get_mut(&pid_) {
                    m.2 = OutStage::Released;
                }
                self.send(pubrel(pid_));
            }
            Action::RandomAck(kind, p) => {
                if !self.broker_connected {
                    return;
                }
                let packet = match kind {
                    0 => puback(p),
                    1 => pubrec(p),
                    2 => pubcomp(p),
                    // Far above the broker's own identifiers, so it cannot release a real
                    // message early (that would make a redelivery legitimate).
                    _ => pubrel(1000 + p),
                };
                self.send(packet);
            }
            Action::Lose => {
                self.broker_connected = false;
                self.owed.clear();
                self.h.lose();
            }
            Action::Reconnect(present, rm) => self.reconnect(present, u16::from(rm)),
            Action::Jump(ms) => {
                self.h.now = self.h.now.plus_ms(u64::from(ms));
                self.h.s.handle_timeout(self.h.now);
            }
            Action::Garbage(bytes) => {
                if self.broker_connected {
                    self.h.send_bytes(&bytes);
                }
            }
        }
        self.sync();
    }

    /// A well-behaved broker and a stable connection: everything must complete.
    fn settle(&mut self) {
        for _ in 0..2_000 {
            if self.accepted.iter().all(|id| self.acked.contains(id))
                && self.h.s.queued_len() == 0
                && self.h.s.inflight_len() == 0
            {
                return;
            }
            if !self.broker_connected || self.h.s.state() != State::Connected {
                self.reconnect(true, 3);
                self.sync();
                continue;
            }
            if self.owed.is_empty() {
                // Nothing owed but publishes still pending: they wait for quota that an
                // ack will free, or for a release; let the broker release its own too.
                self.apply(Action::BrokerRelease);
                if self.owed.is_empty() {
                    self.apply(Action::Lose);
                }
                continue;
            }
            self.apply(Action::BrokerAck);
        }
        let missing: Vec<_> = self.accepted.difference(&self.acked).collect();
        panic!("never acknowledged: {missing:?}; state {:?}", self.h.s);
    }
}

fn qos_pid(qos: QoS, p: u16) -> QosPid {
    match qos {
        QoS::AtMostOnce => QosPid::AtMostOnce,
        QoS::AtLeastOnce => QosPid::AtLeastOnce(pid(p)),
        QoS::ExactlyOnce => QosPid::ExactlyOnce(pid(p)),
    }
}

fn run(version: ProtocolVersion, seed: u64, actions: Vec<Action>) -> Stats {
    let mut m = Model::new(version, seed);
    for a in actions {
        m.apply(a);
    }
    m.settle();
    // Settled: nothing left in flight or queued.
    assert_eq!(m.h.s.inflight_len(), 0);
    assert_eq!(m.h.s.queued_len(), 0);
    m.stats
}

#[test]
fn the_model_reaches_the_interesting_paths() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
    let mut runner = TestRunner::new_with_rng(
        Config::default(),
        TestRng::from_seed(RngAlgorithm::ChaCha, &[7; 32]),
    );
    let strategy = proptest::collection::vec(action(), 40..80);
    let mut total = Stats::default();
    for i in 0..100u64 {
        let actions = strategy.new_tree(&mut runner).unwrap().current();
        let version = if i % 2 == 0 {
            ProtocolVersion::V5
        } else {
            ProtocolVersion::V3_1_1
        };
        let s = run(version, i, actions);
        total.acks += s.acks;
        total.qos2_delivered += s.qos2_delivered;
        total.dup_resends_seen += s.dup_resends_seen;
        total.protocol_errors += s.protocol_errors;
        total.resumed_sessions += s.resumed_sessions;
    }
    eprintln!("model coverage: {total:?}");
    assert!(total.acks > 500, "{total:?}");
    assert!(total.qos2_delivered > 50, "{total:?}");
    assert!(total.dup_resends_seen > 20, "{total:?}");
    assert!(total.protocol_errors > 20, "{total:?}");
    assert!(total.resumed_sessions > 50, "{total:?}");
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn random_interleavings_v5(seed in any::<u64>(), actions in proptest::collection::vec(action(), 1..80)) {
        let _ = run(ProtocolVersion::V5, seed, actions);
    }

    #[test]
    fn random_interleavings_v311(seed in any::<u64>(), actions in proptest::collection::vec(action(), 1..80)) {
        let _ = run(ProtocolVersion::V3_1_1, seed, actions);
    }
}
