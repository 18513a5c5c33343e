//! `tablero pub`: mosquitto_pub's flags, on the Tablero session.

use std::fs::File;
use std::io::{self, ErrorKind, Read};
use std::os::fd::AsFd;

use mqtt_session::{Event, Properties, Property, PublishId, QoS};

use crate::args::{Arg, CONN_HELP, ConnArgs, Parser, canonical, parse_qos, usage};
use crate::common::{EXIT_FAILURE, EXIT_USAGE, Fail, connect, fatal, session_options};
use crate::driver::Driver;

pub const HELP: &str = "\
Usage: tablero pub [options] -t TOPIC (-m MESSAGE | -f FILE | -n | -s | -l)
Publish one message, or one per line of standard input (like mosquitto_pub).

Options:
  -t TOPIC            topic to publish to
  -m MESSAGE          the message
  -f FILE             send the contents of FILE as the message
  -n                  send a null (zero-length) message
  -s                  send all of standard input as one message
  -l                  send each line of standard input as a message
  -q QOS              QoS 0, 1 or 2 (default 0)
  -r                  retain the message
  -D PUBLISH user-property KEY VALUE
  -D PUBLISH message-expiry-interval SECONDS
                      a PUBLISH property (MQTT 5 only; user-property repeatable)
  --help              this text

";

enum Source {
    Message(Vec<u8>),
    Lines,
}

struct PubArgs {
    conn: ConnArgs,
    topic: String,
    source: Source,
    qos: QoS,
    retain: bool,
    properties: Properties,
}

fn parse(mut p: Parser) -> Result<Option<PubArgs>, Fail> {
    let mut conn = ConnArgs::default();
    let mut topic = None;
    let mut sources: Vec<(String, Source)> = Vec::new();
    let mut qos = QoS::AtMostOnce;
    let mut retain = false;
    let mut properties = Properties::default();
    while let Some(arg) = p.next()? {
        if conn.take(&arg, &mut p)? {
            continue;
        }
        match (canonical(&arg), &arg) {
            (Some('t'), _) => topic = Some(p.value(&arg)?),
            (Some('q'), _) => qos = parse_qos(&arg, &p.value(&arg)?)?,
            (Some('r'), _) => retain = true,
            (Some('D'), _) => {
                let property = parse_property(&arg, &mut p)?;
                if matches!(property, Property::MessageExpiryInterval(_))
                    && properties
                        .0
                        .iter()
                        .any(|q| matches!(q, Property::MessageExpiryInterval(_)))
                {
                    return Err(usage(format!("{arg}: message-expiry-interval given twice")).into());
                }
                properties.0.push(property);
            }
            (Some('m'), _) => {
                let m = p.value(&arg)?;
                sources.push((arg.to_string(), Source::Message(m.into_bytes())));
            }
            (Some('f'), _) => {
                let path = p.value(&arg)?;
                let data = std::fs::read(&path)
                    .map_err(|e| Fail::conn(format!("cannot read {path}: {e}")))?;
                sources.push((arg.to_string(), Source::Message(data)));
            }
            (Some('n'), _) => sources.push((arg.to_string(), Source::Message(Vec::new()))),
            (Some('s'), _) => {
                let mut data = Vec::new();
                io::stdin()
                    .read_to_end(&mut data)
                    .map_err(|e| Fail::conn(format!("cannot read standard input: {e}")))?;
                sources.push((arg.to_string(), Source::Message(data)));
            }
            (Some('l'), _) => sources.push((arg.to_string(), Source::Lines)),
            (_, Arg::Long(l)) if l == "help" => return Ok(None),
            _ => return Err(usage(format!("pub: unknown option {arg}")).into()),
        }
    }
    conn.finish()?;
    // As mosquitto_pub: properties are a 5.0 feature, and silently dropping them on a
    // 3.1.1 connection would hide that they never reached the broker.
    if !properties.0.is_empty() && !conn.version.is_v5() {
        return Err(usage("pub: -D needs MQTT 5 (-V mqttv5)").into());
    }
    let topic = topic
        .or(conn.url_topic.take())
        .ok_or_else(|| usage("pub: no topic given (use -t TOPIC)"))?;
    if sources.len() > 1 {
        let names: Vec<_> = sources.iter().map(|(n, _)| n.as_str()).collect();
        return Err(usage(format!(
            "pub: give only one of -m, -f, -n, -s, -l (got {})",
            names.join(", ")
        ))
        .into());
    }
    let source = sources
        .pop()
        .map(|(_, s)| s)
        .ok_or_else(|| usage("pub: nothing to send (use -m, -f, -n, -s or -l)"))?;
    Ok(Some(PubArgs {
        conn,
        topic,
        source,
        qos,
        retain,
        properties,
    }))
}

/// `-D PUBLISH <identifier> <value...>`, in mosquitto_pub's spelling; only the properties
/// a publisher chooses per message are offered (aliases are the session's business).
fn parse_property(flag: &Arg, p: &mut Parser) -> Result<Property, Fail> {
    let command = p.value(flag)?;
    if !command.eq_ignore_ascii_case("publish") {
        return Err(usage(format!(
            "{flag}: only PUBLISH properties can be set, not {command:?}"
        ))
        .into());
    }
    let identifier = p.value(flag)?;
    match identifier.as_str() {
        "user-property" => {
            let key = p.value(flag)?;
            let value = p.value(flag)?;
            Ok(Property::UserProperty(key, value))
        }
        "message-expiry-interval" => Ok(Property::MessageExpiryInterval(
            p.parsed(flag, "a number of seconds")?,
        )),
        other => Err(usage(format!(
            "{flag} PUBLISH: unsupported property {other:?} (user-property, message-expiry-interval)"
        ))
        .into()),
    }
}

/// Lines read ahead of the broker's acknowledgements are capped, so `-l` on an endless
/// stream holds memory steady and the session's offline queue never overflows.
const MAX_BACKLOG: usize = 256;

pub fn run(p: Parser) -> Result<i32, Fail> {
    let Some(a) = parse(p)? else {
        print!("{HELP}{CONN_HELP}");
        return Ok(0);
    };
    let mut driver = connect(&a.conn, session_options(&a.conn, "pub"))?;
    let mut connected = false;
    let mut single: Option<PublishId> = None;
    let mut lines = match a.source {
        Source::Lines => Some(LineReader::new()?),
        Source::Message(_) => None,
    };
    loop {
        while let Some(event) = driver.poll_event() {
            match event {
                Event::Connected { .. } if !connected => {
                    connected = true;
                    if let Source::Message(payload) = &a.source {
                        let id = publish(&mut driver, &a, payload.clone())?;
                        if a.qos == QoS::AtMostOnce {
                            driver.disconnect();
                            return Ok(0);
                        }
                        single = Some(id);
                    }
                }
                Event::PublishAcknowledged {
                    id,
                    reason,
                    reason_string,
                    ..
                } => {
                    if reason.is_error() {
                        driver.disconnect();
                        let mut m = format!(
                            "publish to {:?} refused: {} (0x{:02X})",
                            a.topic,
                            reason.description(),
                            reason.as_u8()
                        );
                        if let Some(r) = reason_string {
                            m.push_str(&format!(": {r}"));
                        }
                        return Err(Fail::conn(m));
                    }
                    if single == Some(id) {
                        driver.disconnect();
                        return Ok(0);
                    }
                }
                Event::PublishFailed { error, .. } => {
                    driver.disconnect();
                    return Err(Fail::conn(format!(
                        "publish to {:?} failed: {error}",
                        a.topic
                    )));
                }
                other => {
                    if let Some(fail) = fatal(&other, &driver) {
                        return Err(fail);
                    }
                }
            }
        }
        if let Some(reader) = &mut lines
            && connected
        {
            let s = driver.session();
            if reader.eof && s.inflight_len() == 0 && s.queued_len() == 0 {
                driver.disconnect();
                return Ok(0);
            }
        }
        if !driver.is_open() {
            return Err(Fail::conn("connection closed"));
        }
        let watch_stdin = connected
            && lines.as_ref().is_some_and(|r| !r.eof)
            && driver.session().inflight_len() + driver.session().queued_len() < MAX_BACKLOG;
        let stdin_fd = lines.as_ref().map(|r| r.file.as_fd());
        let woken = driver
            .turn(None, stdin_fd.filter(|_| watch_stdin))
            .map_err(|e| Fail::conn(format!("waiting for the broker failed: {e}")))?;
        if woken.extra
            && let Some(reader) = &mut lines
        {
            for line in reader.read()? {
                publish(&mut driver, &a, line)?;
            }
        }
    }
}

fn publish(driver: &mut Driver, a: &PubArgs, payload: Vec<u8>) -> Result<PublishId, Fail> {
    driver
        .session_mut()
        .publish(
            a.topic.clone(),
            payload,
            a.qos,
            a.retain,
            a.properties.clone(),
        )
        .map_err(|e| Fail {
            code: if matches!(e, mqtt_session::Error::InvalidTopic(_)) {
                EXIT_USAGE
            } else {
                EXIT_FAILURE
            },
            message: format!("cannot publish to {:?}: {e}", a.topic),
        })
}

/// Standard input read as it comes, cut at newlines (the newline is not sent, as with
/// mosquitto_pub -l). Reads go straight to the descriptor, never through a buffer that
/// `poll` cannot see.
struct LineReader {
    file: File,
    partial: Vec<u8>,
    eof: bool,
}

impl LineReader {
    fn new() -> Result<Self, Fail> {
        let fd = io::stdin()
            .as_fd()
            .try_clone_to_owned()
            .map_err(|e| Fail::conn(format!("cannot use standard input: {e}")))?;
        Ok(Self {
            file: File::from(fd),
            partial: Vec::new(),
            eof: false,
        })
    }

    fn read(&mut self) -> Result<Vec<Vec<u8>>, Fail> {
        let mut buf = [0u8; 16 * 1024];
        let n = loop {
            match self.file.read(&mut buf) {
                Ok(n) => break n,
                Err(e) if e.kind() == ErrorKind::Interrupted => {}
                Err(e) => return Err(Fail::conn(format!("cannot read standard input: {e}"))),
            }
        };
        let mut lines = Vec::new();
        if n == 0 {
            self.eof = true;
            if !self.partial.is_empty() {
                lines.push(std::mem::take(&mut self.partial));
            }
            return Ok(lines);
        }
        self.partial.extend_from_slice(&buf[..n]);
        let mut start = 0;
        while let Some(i) = self.partial[start..].iter().position(|&b| b == b'\n') {
            lines.push(self.partial[start..start + i].to_vec());
            start += i + 1;
        }
        self.partial.drain(..start);
        Ok(lines)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed(args: &[&str]) -> Result<PubArgs, Fail> {
        parse(Parser::from_strs(args)).map(|a| a.expect("not --help"))
    }

    #[test]
    fn publish_properties_in_mosquitto_spelling() {
        let a = parsed(&[
            "-V",
            "5",
            "-t",
            "t",
            "-m",
            "x",
            "-D",
            "PUBLISH",
            "user-property",
            "k",
            "v",
            "--property",
            "publish",
            "message-expiry-interval",
            "30",
            "-D",
            "PUBLISH",
            "user-property",
            "k",
            "w",
        ])
        .unwrap();
        assert_eq!(
            a.properties.0,
            vec![
                Property::UserProperty("k".into(), "v".into()),
                Property::MessageExpiryInterval(30),
                Property::UserProperty("k".into(), "w".into()),
            ]
        );
    }

    #[test]
    fn publish_properties_need_mqtt_5_and_a_known_name() {
        let usage_error = |args: &[&str]| {
            let f = parsed(args).err().expect("a usage error");
            assert_eq!(f.code, EXIT_USAGE, "{}", f.message);
            f.message
        };
        let d = ["-D", "PUBLISH", "user-property", "k", "v"];
        let m = usage_error(&[&["-t", "t", "-m", "x"][..], &d].concat());
        assert!(m.contains("MQTT 5"), "{m}");
        let m = usage_error(&["-V", "5", "-t", "t", "-m", "x", "-D", "CONNECT", "a", "b"]);
        assert!(m.contains("only PUBLISH"), "{m}");
        let m = usage_error(&[
            "-V",
            "5",
            "-t",
            "t",
            "-m",
            "x",
            "-D",
            "PUBLISH",
            "topic-alias",
            "1",
        ]);
        assert!(m.contains("unsupported property"), "{m}");
        let twice = ["-D", "PUBLISH", "message-expiry-interval", "1"];
        let m = usage_error(&[&["-V", "5", "-t", "t", "-m", "x"][..], &twice, &twice].concat());
        assert!(m.contains("twice"), "{m}");
        usage_error(&[
            "-V",
            "5",
            "-t",
            "t",
            "-m",
            "x",
            "-D",
            "PUBLISH",
            "user-property",
            "k",
        ]);
    }
}
