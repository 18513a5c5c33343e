//! Version negotiation: a 5.0 CONNECT meeting a server that only speaks 3.1.1 is named as
//! such, and with `fall_back_to_v311` ("Auto") the session retries once in 3.1.1 and keeps it.
mod common;

use common::*;
use mqtt_codec_wasm::{Packet, ProtocolVersion, QoS, ReasonCode, SubscriptionOptions};
use mqtt_session::{ConnectionLostCause, Event, Properties, State, VersionRefusal};

/// What a 3.1.1 server answers to protocol level 5 [MQTT-3.1.2-2]: CONNACK, return code 1.
const OLDER_REFUSAL: [u8; 4] = [0x20, 0x02, 0x00, 0x01];

/// The 5.0 refusal event, with the version the session retries in (if any).
fn refused(sign: VersionRefusal, retry_with: Option<ProtocolVersion>) -> Event {
    Event::VersionRefused {
        version: ProtocolVersion::V5,
        sign,
        retry_with,
    }
}

fn auto() -> Harness {
    let mut o = opts(ProtocolVersion::V5);
    o.fall_back_to_v311 = true;
    Harness::new(o)
}

#[test]
fn a_311_refusal_of_a_v5_connect_is_named_not_called_malformed() {
    let mut h = Harness::v5();
    h.open();
    h.send_bytes(&OLDER_REFUSAL);
    assert_eq!(
        h.events(),
        vec![refused(
            VersionRefusal::OlderConnAck { return_code: 1 },
            None
        )]
    );
    // Retrying the same version cannot help: the user must change it.
    assert_eq!(h.s.state(), State::Disconnected);
    assert!(
        h.sent().is_empty(),
        "no DISCONNECT to a server that refused"
    );
}

#[test]
fn auto_falls_back_to_311_at_once_and_keeps_it() {
    let mut h = auto();
    h.s.subscribe(
        vec![(
            "lamp/state".to_string(),
            SubscriptionOptions::qos(QoS::AtLeastOnce),
        )],
        Properties::default(),
    )
    .expect("subscribe queued");
    let Packet::Connect(c) = h.open() else {
        panic!("CONNECT expected")
    };
    assert_eq!(c.version, ProtocolVersion::V5);
    h.send_bytes(&OLDER_REFUSAL);
    assert_eq!(
        h.events(),
        vec![
            refused(
                VersionRefusal::OlderConnAck { return_code: 1 },
                Some(ProtocolVersion::V3_1_1)
            ),
            Event::ReconnectDue,
        ]
    );
    assert_eq!(h.s.options().version, ProtocolVersion::V3_1_1);
    assert!(
        matches!(h.s.state(), State::WaitingToReconnect { until } if until == h.now),
        "retry at once, not after a backoff: {:?}",
        h.s.state()
    );

    h.version = ProtocolVersion::V3_1_1;
    let Packet::Connect(c) = h.open() else {
        panic!("CONNECT expected")
    };
    assert_eq!(c.version, ProtocolVersion::V3_1_1);
    assert!(c.properties.0.is_empty());
    h.connack(false, Properties::default());
    assert!(matches!(h.events().first(), Some(Event::Connected { .. })));
    let sent = h.sent();
    assert!(
        matches!(sent.as_slice(), [Packet::Subscribe(_)]),
        "the queued subscription goes out in 3.1.1: {sent:?}"
    );

    // Later reconnects stay with what worked.
    h.lose();
    h.events();
    h.advance();
    let Packet::Connect(c) = h.open() else {
        panic!("CONNECT expected")
    };
    assert_eq!(c.version, ProtocolVersion::V3_1_1);
}

#[test]
fn a_close_right_after_a_v5_connect_is_a_sign_of_an_older_server() {
    let mut h = Harness::v5();
    h.open();
    h.s.handle_closed_by_server(h.now);
    assert_eq!(
        h.events(),
        vec![refused(VersionRefusal::ClosedAfterConnect, None)]
    );
    // Only a sign: the server may have closed for another reason, so the policy retries.
    assert!(matches!(h.s.state(), State::WaitingToReconnect { .. }));

    let mut h = auto();
    h.open();
    h.s.handle_closed_by_server(h.now);
    let events = h.events();
    assert_eq!(
        events.first(),
        Some(&refused(
            VersionRefusal::ClosedAfterConnect,
            Some(ProtocolVersion::V3_1_1)
        ))
    );
    assert_eq!(h.s.options().version, ProtocolVersion::V3_1_1);
}

#[test]
fn a_transport_that_never_carried_connect_is_a_lost_connection() {
    // The socket never opened: nothing was refused, nothing is said about versions.
    let mut h = auto();
    h.s.connect(h.now).expect("connect");
    h.lose();
    assert_eq!(
        h.events(),
        vec![Event::ConnectionLost {
            cause: ConnectionLostCause::Transport
        }]
    );
    assert_eq!(h.s.options().version, ProtocolVersion::V5);

    // Closed after an answer began: not a version matter either.
    let mut h = auto();
    h.open();
    h.send_bytes(&[0x20]);
    h.s.handle_closed_by_server(h.now);
    assert_eq!(
        h.events(),
        vec![Event::ConnectionLost {
            cause: ConnectionLostCause::Transport
        }]
    );
}

#[test]
fn a_server_that_once_accepted_v5_is_never_downgraded() {
    let mut h = auto();
    h.connected();
    h.lose();
    h.events();
    h.advance();
    h.events();
    h.open();
    h.s.handle_closed_by_server(h.now);
    assert_eq!(
        h.events(),
        vec![Event::ConnectionLost {
            cause: ConnectionLostCause::Transport
        }]
    );
    h.advance();
    h.events();
    h.open();
    h.send_bytes(&OLDER_REFUSAL);
    assert_eq!(
        h.events(),
        vec![refused(
            VersionRefusal::OlderConnAck { return_code: 1 },
            None
        )]
    );
    assert_eq!(h.s.options().version, ProtocolVersion::V5);
}

#[test]
fn a_v5_unsupported_protocol_version_refusal_is_a_version_refusal() {
    let mut h = auto();
    h.open();
    h.send(connack(
        ReasonCode::UnsupportedProtocolVersion,
        false,
        Properties::default(),
    ));
    let events = h.events();
    assert_eq!(
        events.first(),
        Some(&refused(
            VersionRefusal::UnsupportedProtocolVersion,
            Some(ProtocolVersion::V3_1_1)
        ))
    );
}

#[test]
fn no_fallback_when_the_options_cannot_make_a_311_session() {
    // A password without a user name is 5.0 only [MQTT-3.1.2-22].
    let mut o = opts(ProtocolVersion::V5);
    o.fall_back_to_v311 = true;
    o.password = Some(Bytes::from_static(b"secret"));
    let mut h = Harness::new(o);
    h.open();
    h.send_bytes(&OLDER_REFUSAL);
    assert_eq!(
        h.events(),
        vec![refused(
            VersionRefusal::OlderConnAck { return_code: 1 },
            None
        )]
    );
    assert_eq!(h.s.state(), State::Disconnected);
}

#[test]
fn a_311_session_meeting_a_311_refusal_is_refused_as_before() {
    let mut h = Harness::v311();
    h.open();
    h.send_bytes(&OLDER_REFUSAL);
    assert_eq!(
        h.events(),
        vec![Event::ConnectionRefused {
            reason: ReasonCode::UnsupportedProtocolVersion,
            reason_string: None,
            server_reference: None,
        }]
    );
}
