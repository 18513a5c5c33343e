//! Decode and encode throughput, ours against rumqttc's mqttbytes in the same run.
//!
//! mqttbytes is the codec most Rust MQTT clients use, so it is the bar: the targets are
//! decode ≥ 1.2× and encode ≥ 1.0× its throughput (see `report.py`, which turns the
//! results into the table in docs/BENCHMARKS.md). Both sides work on the same packets
//! through the same kind of API (`BytesMut` in, `BytesMut` out), with buffer set-up kept out
//! of the measurement. Times are kept short so the whole run fits in about two minutes on
//! two shared cores; the ratios, not the absolute numbers, are what is compared.

use std::hint::black_box;
use std::time::Duration;

use criterion::{BatchSize, Criterion, Throughput, criterion_group};
use mqtt_codec_wasm::{
    Bytes, BytesMut, Connect, Packet, Pid, Properties, Property, ProtocolVersion, Publish, QoS,
    QosPid, RetainHandling, Subscribe, SubscribeFilter, SubscriptionOptions, Will,
};
use rumqttc::mqttbytes as m4;
use rumqttc::mqttbytes::v4;
use rumqttc::v5::mqttbytes as m5;
use rumqttc::v5::mqttbytes::v5;

const MAX: u32 = 1 << 24;

/// One benchmark case: the same packet in both models.
struct Case {
    name: &'static str,
    version: ProtocolVersion,
    ours: Packet,
    theirs: Theirs,
}

#[expect(
    clippy::large_enum_variant,
    reason = "boxing would put an allocation into every measured decode"
)]
enum Theirs {
    V4(v4::Packet),
    V5(v5::Packet),
}

impl Theirs {
    fn write(&self, buf: &mut BytesMut) {
        match self {
            Self::V4(p) => drop(p.write(buf, usize::MAX).expect("mqttbytes encode")),
            Self::V5(p) => drop(p.write(buf, None).expect("mqttbytes encode")),
        }
    }

    /// Decodes one packet, returned so that dropping it stays out of the measurement.
    fn read(&self, buf: &mut BytesMut) -> Theirs {
        match self {
            Self::V4(_) => Self::V4(v4::Packet::read(buf, usize::MAX).expect("mqttbytes decode")),
            Self::V5(_) => Self::V5(v5::Packet::read(buf, Some(MAX)).expect("mqttbytes decode")),
        }
    }
}

fn pid(n: u16) -> Pid {
    Pid::new(n).unwrap()
}

fn payload(len: usize) -> Bytes {
    (0..len)
        .map(|i| (i % 251) as u8)
        .collect::<Vec<u8>>()
        .into()
}

const TOPIC: &str = "site/building-7/floor-3/room-12/sensor/temperature";

fn publish_case(name: &'static str, version: ProtocolVersion, len: usize) -> Case {
    let v5 = version.is_v5();
    let properties = if v5 {
        Properties(vec![
            Property::MessageExpiryInterval(3600),
            Property::UserProperty("unit".into(), "celsius".into()),
        ])
    } else {
        Properties::default()
    };
    let ours = Packet::Publish(Publish {
        dup: false,
        qos_pid: QosPid::AtLeastOnce(pid(42)),
        retain: false,
        topic: TOPIC.into(),
        payload: payload(len),
        properties,
    });
    let theirs = if v5 {
        Theirs::V5(v5::Packet::Publish(v5::Publish {
            dup: false,
            qos: m5::QoS::AtLeastOnce,
            retain: false,
            topic: Bytes::from_static(TOPIC.as_bytes()),
            pkid: 42,
            payload: payload(len),
            properties: Some(v5::PublishProperties {
                message_expiry_interval: Some(3600),
                user_properties: vec![("unit".into(), "celsius".into())],
                ..Default::default()
            }),
        }))
    } else {
        Theirs::V4(v4::Packet::Publish(v4::Publish {
            dup: false,
            qos: m4::QoS::AtLeastOnce,
            retain: false,
            topic: TOPIC.into(),
            pkid: 42,
            payload: payload(len),
        }))
    };
    Case {
        name,
        version,
        ours,
        theirs,
    }
}

fn users(n: usize) -> Vec<(String, String)> {
    (0..n)
        .map(|i| (format!("key-{i}"), format!("value number {i}")))
        .collect()
}

/// A 5.0 CONNECT as a feature-rich client sends it: every connect property, a will with
/// properties, credentials, user properties on both.
fn connect_case() -> Case {
    let connect_users = users(8);
    let will_users = users(4);
    let mut properties = vec![
        Property::SessionExpiryInterval(86_400),
        Property::ReceiveMaximum(100),
        Property::MaximumPacketSize(1 << 20),
        Property::TopicAliasMaximum(32),
        Property::RequestResponseInformation(1),
        Property::RequestProblemInformation(1),
    ];
    properties.extend(
        connect_users
            .iter()
            .map(|(k, v)| Property::UserProperty(k.clone(), v.clone())),
    );
    properties.push(Property::AuthenticationMethod("SCRAM-SHA-256".into()));
    properties.push(Property::AuthenticationData(payload(32)));
    let mut will_properties = vec![
        Property::WillDelayInterval(30),
        Property::PayloadFormatIndicator(1),
        Property::MessageExpiryInterval(600),
        Property::ContentType("application/json".into()),
        Property::ResponseTopic("dashboard/replies/abc".into()),
        Property::CorrelationData(payload(16)),
    ];
    will_properties.extend(
        will_users
            .iter()
            .map(|(k, v)| Property::UserProperty(k.clone(), v.clone())),
    );
    let will_payload = Bytes::from_static(br#"{"status":"offline","reason":"connection lost"}"#);
    let ours = Packet::Connect(Connect {
        version: ProtocolVersion::V5,
        client_id: "tablero-dashboard-0123456789".into(),
        clean_start: true,
        keep_alive: 60,
        username: Some("operator".into()),
        password: Some(Bytes::from_static(b"correct horse battery staple")),
        will: Some(Will {
            topic: "dashboard/status/tablero-0123456789".into(),
            payload: will_payload.clone(),
            qos: QoS::AtLeastOnce,
            retain: true,
            properties: Properties(will_properties),
        }),
        properties: Properties(properties),
    });
    let theirs = v5::Packet::Connect(
        v5::Connect {
            keep_alive: 60,
            client_id: "tablero-dashboard-0123456789".into(),
            clean_start: true,
            properties: Some(v5::ConnectProperties {
                session_expiry_interval: Some(86_400),
                receive_maximum: Some(100),
                max_packet_size: Some(1 << 20),
                topic_alias_max: Some(32),
                request_response_info: Some(1),
                request_problem_info: Some(1),
                user_properties: connect_users,
                authentication_method: Some("SCRAM-SHA-256".into()),
                authentication_data: Some(payload(32)),
            }),
        },
        Some(v5::LastWill {
            topic: Bytes::from_static(b"dashboard/status/tablero-0123456789"),
            message: will_payload,
            qos: m5::QoS::AtLeastOnce,
            retain: true,
            properties: Some(v5::LastWillProperties {
                delay_interval: Some(30),
                payload_format_indicator: Some(1),
                message_expiry_interval: Some(600),
                content_type: Some("application/json".into()),
                response_topic: Some("dashboard/replies/abc".into()),
                correlation_data: Some(payload(16)),
                user_properties: will_users,
            }),
        }),
        Some(v5::Login {
            username: "operator".into(),
            password: "correct horse battery staple".into(),
        }),
    );
    Case {
        name: "connect_v5_properties",
        version: ProtocolVersion::V5,
        ours,
        theirs: Theirs::V5(theirs),
    }
}

fn filters() -> Vec<String> {
    (0..10)
        .map(|i| format!("site/building-{i}/+/sensor/#"))
        .collect()
}

fn subscribe_case(name: &'static str, version: ProtocolVersion) -> Case {
    let v5 = version.is_v5();
    let options = SubscriptionOptions {
        qos: QoS::AtLeastOnce,
        no_local: v5,
        retain_as_published: v5,
        retain_handling: if v5 {
            RetainHandling::SendIfNew
        } else {
            RetainHandling::SendAtSubscribe
        },
    };
    let ours = Packet::Subscribe(Subscribe {
        pid: pid(7),
        filters: filters()
            .into_iter()
            .map(|filter| SubscribeFilter { filter, options })
            .collect(),
        properties: if v5 {
            Properties(vec![Property::SubscriptionIdentifier(12)])
        } else {
            Properties::default()
        },
    });
    let theirs = if v5 {
        Theirs::V5(v5::Packet::Subscribe(v5::Subscribe {
            pkid: 7,
            filters: filters()
                .into_iter()
                .map(|path| v5::Filter {
                    path,
                    qos: m5::QoS::AtLeastOnce,
                    nolocal: true,
                    preserve_retain: true,
                    retain_forward_rule: v5::RetainForwardRule::OnNewSubscribe,
                })
                .collect(),
            properties: Some(v5::SubscribeProperties {
                id: Some(12),
                user_properties: vec![],
            }),
        }))
    } else {
        Theirs::V4(v4::Packet::Subscribe(v4::Subscribe {
            pkid: 7,
            filters: filters()
                .into_iter()
                .map(|path| v4::SubscribeFilter {
                    path,
                    qos: m4::QoS::AtLeastOnce,
                })
                .collect(),
        }))
    };
    Case {
        name,
        version,
        ours,
        theirs,
    }
}

fn cases() -> Vec<Case> {
    use ProtocolVersion::{V3_1_1, V5};
    vec![
        publish_case("publish_v4_qos1_16B", V3_1_1, 16),
        publish_case("publish_v4_qos1_1KiB", V3_1_1, 1024),
        publish_case("publish_v4_qos1_64KiB", V3_1_1, 64 * 1024),
        publish_case("publish_v5_qos1_16B", V5, 16),
        publish_case("publish_v5_qos1_1KiB", V5, 1024),
        publish_case("publish_v5_qos1_64KiB", V5, 64 * 1024),
        connect_case(),
        subscribe_case("subscribe_v4_10_filters", V3_1_1),
        subscribe_case("subscribe_v5_10_filters", V5),
    ]
}

fn encode_ours(case: &Case) -> BytesMut {
    let mut buf = BytesMut::new();
    mqtt_codec_wasm::encode(&case.ours, case.version, &mut buf).expect("encode");
    buf
}

fn bench(c: &mut Criterion) {
    for case in cases() {
        let ours_bytes = encode_ours(&case);
        let mut theirs_bytes = BytesMut::new();
        case.theirs.write(&mut theirs_bytes);
        // Same work on both sides: the two encodings have the same length, and each codec
        // decodes the other's bytes.
        assert_eq!(ours_bytes.len(), theirs_bytes.len(), "{}", case.name);
        case.theirs.read(&mut ours_bytes.clone());
        mqtt_codec_wasm::decode(&mut theirs_bytes.clone(), case.version, MAX)
            .expect("decode mqttbytes' encoding")
            .expect("whole packet");

        let mut group = c.benchmark_group(case.name);
        group.throughput(Throughput::Bytes(ours_bytes.len() as u64));

        group.bench_function("decode/ours", |b| {
            b.iter_batched(
                || ours_bytes.clone(),
                |mut buf| mqtt_codec_wasm::decode(black_box(&mut buf), case.version, MAX),
                BatchSize::SmallInput,
            )
        });
        group.bench_function("decode/mqttbytes", |b| {
            b.iter_batched(
                || ours_bytes.clone(),
                |mut buf| case.theirs.read(black_box(&mut buf)),
                BatchSize::SmallInput,
            )
        });

        let mut buf = BytesMut::with_capacity(ours_bytes.len() * 2);
        group.bench_function("encode/ours", |b| {
            b.iter(|| {
                buf.clear();
                mqtt_codec_wasm::encode(black_box(&case.ours), case.version, &mut buf)
            })
        });
        group.bench_function("encode/mqttbytes", |b| {
            b.iter(|| {
                buf.clear();
                black_box(&case.theirs).write(&mut buf);
            })
        });
        group.finish();
    }
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_millis(1500))
        .sample_size(50);
    targets = bench
}

// ---------------------------------------------------------------- profiling mode
//
// `CODEC_PROFILE=<case>[,<iterations>]` runs the four measured operations of one case in
// a plain loop instead of criterion, each in a function of its own that is never inlined,
// so that a profiler can attribute their cost: under callgrind, the inclusive instruction
// count of `profile_decode_ours` (etc.) divided by the iteration count is the cost per
// packet. Buffer set-up (the clone a decode consumes) and dropping the decoded packet
// happen in the caller, outside those functions, as they happen outside criterion's timing.
// `benches/profile.sh` runs every case under callgrind and prints the table.

#[inline(never)]
fn profile_decode_ours(buf: &mut BytesMut, version: ProtocolVersion) -> Packet {
    mqtt_codec_wasm::decode(black_box(buf), version, MAX)
        .expect("decode")
        .expect("whole packet")
}

#[inline(never)]
fn profile_decode_theirs(theirs: &Theirs, buf: &mut BytesMut) -> Theirs {
    theirs.read(black_box(buf))
}

#[inline(never)]
fn profile_encode_ours(packet: &Packet, version: ProtocolVersion, buf: &mut BytesMut) {
    buf.clear();
    mqtt_codec_wasm::encode(black_box(packet), version, buf).expect("encode");
}

#[inline(never)]
fn profile_encode_theirs(theirs: &Theirs, buf: &mut BytesMut) {
    buf.clear();
    black_box(theirs).write(buf);
}

fn profile(spec: &str) {
    let (name, iterations) = match spec.split_once(',') {
        Some((name, n)) => (name, n.parse().expect("iteration count")),
        None => (spec, 10_000),
    };
    let case = cases()
        .into_iter()
        .find(|c| c.name == name)
        .unwrap_or_else(|| panic!("no case {name}"));
    let bytes = encode_ours(&case);
    let mut out = BytesMut::with_capacity(bytes.len() * 2);
    for _ in 0..iterations {
        let mut buf = bytes.clone();
        drop(black_box(profile_decode_ours(&mut buf, case.version)));
        let mut buf = bytes.clone();
        drop(black_box(profile_decode_theirs(&case.theirs, &mut buf)));
        profile_encode_ours(&case.ours, case.version, &mut out);
        profile_encode_theirs(&case.theirs, &mut out);
    }
    println!("{name}: {iterations} iterations, {} bytes", bytes.len());
}

fn main() {
    if let Ok(spec) = std::env::var("CODEC_PROFILE") {
        profile(&spec);
        return;
    }
    benches();
    Criterion::default().configure_from_args().final_summary();
}
