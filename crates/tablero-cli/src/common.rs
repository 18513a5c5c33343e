//! What every command shares: exit codes, session options from flags, and failures put
//! into words.

use std::fmt;
use std::time::Duration;

use mqtt_session::{
    Bytes, ConnectionLostCause, Event, LastWill, Properties, ProtocolVersion, QoS, ReasonCode,
    SessionOptions, VersionRefusal,
};

use crate::args::{ConnArgs, UsageError};
use crate::driver::Driver;

/// Exit code for a protocol or connection failure.
pub const EXIT_FAILURE: i32 = 1;
/// Exit code for a bad command line.
pub const EXIT_USAGE: i32 = 2;

/// Why a command stopped early: one line for stderr and the exit code.
#[derive(Debug)]
pub struct Fail {
    pub code: i32,
    pub message: String,
}

impl Fail {
    pub fn conn(message: impl Into<String>) -> Self {
        Self {
            code: EXIT_FAILURE,
            message: message.into(),
        }
    }
}

impl fmt::Display for Fail {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl From<UsageError> for Fail {
    fn from(e: UsageError) -> Self {
        Self {
            code: EXIT_USAGE,
            message: e.0,
        }
    }
}

/// Session options from the shared connection flags.
///
/// `-c` without `-x` asks MQTT 5 for a session that never expires, as mosquitto_sub does:
/// whoever asks for a persistent session means one that outlives the connection.
pub fn session_options(args: &ConnArgs, command: &str) -> SessionOptions {
    let client_id = args
        .client_id
        .clone()
        .unwrap_or_else(|| format!("tablero-{command}-{}", std::process::id()));
    let mut o = SessionOptions::new(args.version, client_id);
    o.fall_back_to_v311 = args.auto_version;
    o.clean_start = args.clean;
    o.session_expiry_interval =
        args.session_expiry
            .unwrap_or(if args.clean { 0 } else { u32::MAX });
    o.keep_alive = args.keep_alive;
    o.maximum_packet_size = args.max_packet_size;
    o.username = args.username.clone();
    o.password = args.password.clone().map(|p| Bytes::from(p.into_bytes()));
    o.will = args.will().map(|w| LastWill {
        topic: w.topic,
        payload: Bytes::from(w.payload),
        qos: w.qos,
        retain: w.retain,
        delay_interval: 0,
        properties: Properties::default(),
    });
    o.connect_timeout = Duration::from_secs(10);
    o.auto_reconnect = false;
    o.rng_seed = seed_from_environment();
    o
}

/// Differs between processes started at the same moment, so reconnect jitter spreads them.
pub fn seed_from_environment() -> u64 {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos() as u64);
    nanos ^ (u64::from(std::process::id()) << 32)
}

/// A driver with its transport open and CONNECT sent.
pub fn connect(args: &ConnArgs, options: SessionOptions) -> Result<Driver, Fail> {
    let mut driver = Driver::new(args.endpoint(), options).map_err(|e| Fail {
        code: EXIT_USAGE,
        message: e.to_string(),
    })?;
    driver.set_trace(args.debug);
    driver.open().map_err(|e| Fail::conn(e.to_string()))?;
    Ok(driver)
}

/// The failure an event stands for, if it ends a command that does not reconnect.
pub fn fatal(event: &Event, driver: &Driver) -> Option<Fail> {
    // The version in use, which a fallback may have changed since the command started.
    let version = driver.session().options().version;
    Some(Fail::conn(match event {
        Event::VersionRefused {
            retry_with: None,
            sign,
            ..
        } => version_refused_message(*sign),
        Event::ConnectionRefused {
            reason,
            reason_string,
            server_reference,
        } => refused_message(
            *reason,
            reason_string.as_deref(),
            server_reference.as_deref(),
            version,
        ),
        Event::ConnectionLost { cause } => lost_message(*cause, driver),
        Event::ProtocolError { cause } => format!("protocol error: {cause}"),
        Event::Disconnected {
            reason,
            reason_string,
            server_reference,
        } => {
            let mut m = format!(
                "disconnected by the broker: {} (DISCONNECT 0x{:02X})",
                reason.description(),
                reason.as_u8()
            );
            append_details(
                &mut m,
                reason_string.as_deref(),
                server_reference.as_deref(),
            );
            m
        }
        _ => return None,
    }))
}

/// "connection refused: not authorized (CONNACK 0x87)": the words first, the code for
/// searching the web. Before 5.0 the code shown is the one on the wire (`0x05`), not the
/// 5.0 code the session maps it to.
pub fn refused_message(
    reason: ReasonCode,
    reason_string: Option<&str>,
    server_reference: Option<&str>,
    version: ProtocolVersion,
) -> String {
    let code = if version.is_v5() {
        reason.as_u8()
    } else {
        reason.to_v3_connack().unwrap_or(reason.as_u8())
    };
    let mut m = format!(
        "connection refused: {} (CONNACK 0x{code:02X})",
        reason.description()
    );
    append_details(&mut m, reason_string, server_reference);
    m
}

/// What to do about a broker that does not speak 5.0, in the words of the `-V` flag.
pub fn version_refused_message(sign: VersionRefusal) -> String {
    let evidence = match sign {
        VersionRefusal::OlderConnAck { return_code } => {
            format!("it answered with an MQTT 3.1.1 CONNACK (return code 0x{return_code:02X})")
        }
        VersionRefusal::UnsupportedProtocolVersion => {
            "it refused the protocol version (CONNACK 0x84)".to_owned()
        }
        VersionRefusal::ClosedAfterConnect => {
            "it closed the connection right after CONNECT without answering, which is what some \
             3.1.1 brokers do with a 5.0 CONNECT"
                .to_owned()
        }
    };
    let verdict = if sign == VersionRefusal::ClosedAfterConnect {
        "this broker may not speak MQTT 5.0"
    } else {
        "this broker does not speak MQTT 5.0"
    };
    format!("{verdict}: {evidence}; use 3.1.1 (-V mqttv311), or -V auto to try 5.0 first")
}

fn append_details(m: &mut String, reason_string: Option<&str>, server_reference: Option<&str>) {
    if let Some(r) = reason_string {
        m.push_str(&format!(": {r}"));
    }
    if let Some(s) = server_reference {
        m.push_str(&format!("; try {s}"));
    }
}

fn lost_message(cause: ConnectionLostCause, driver: &Driver) -> String {
    match cause {
        ConnectionLostCause::Transport => format!(
            "connection lost: {}",
            driver
                .last_transport_error()
                .unwrap_or("the transport closed")
        ),
        ConnectionLostCause::KeepAliveTimeout => format!(
            "connection lost: the broker at {} stopped answering (keepalive timeout)",
            driver.endpoint()
        ),
        ConnectionLostCause::ConnectTimeout => format!(
            "connection to {} timed out waiting for CONNACK (is it an MQTT broker?)",
            driver.endpoint()
        ),
    }
}

pub fn qos_of(v: u8) -> QoS {
    QoS::from_u8(v).unwrap_or(QoS::AtMostOnce)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refusal_in_words_with_the_wire_code() {
        assert_eq!(
            refused_message(ReasonCode::NotAuthorized, None, None, ProtocolVersion::V5),
            "connection refused: not authorized (CONNACK 0x87)"
        );
        assert_eq!(
            refused_message(
                ReasonCode::NotAuthorized,
                None,
                None,
                ProtocolVersion::V3_1_1
            ),
            "connection refused: not authorized (CONNACK 0x05)"
        );
        assert_eq!(
            refused_message(
                ReasonCode::UseAnotherServer,
                Some("moving"),
                Some("b2:1883"),
                ProtocolVersion::V5
            ),
            "connection refused: use another server (CONNACK 0x9C): moving; try b2:1883"
        );
    }
}
