//! `tablero sub`: mosquitto_sub's flags and output, on the Tablero session.

use std::io::{self, Write};
use std::time::{Duration, Instant};

use mqtt_session::{Event, Properties, QoS, SubscriptionOptions};

use crate::args::{Arg, CONN_HELP, ConnArgs, Parser, canonical, parse_qos, usage};
use crate::common::{EXIT_FAILURE, EXIT_USAGE, Fail, connect, fatal, session_options};

/// Exit code when `-W` expires before `-C` messages arrived: a script waiting for a message
/// must be able to tell "it came" from "it did not". (Without `-C`, `-W` is the planned end
/// and exits 0.)
pub const EXIT_TIMEOUT: i32 = 3;

pub const HELP: &str = "\
Usage: tablero sub [options] -t TOPIC [-t TOPIC ...]
Subscribe and print each message, one per line (like mosquitto_sub).

Options:
  -t TOPIC            topic filter to subscribe to (repeatable; + and # allowed)
  -q QOS              subscription QoS 0, 1 or 2 (default 0)
  -v                  print \"topic payload\" instead of the payload alone
  -C COUNT            exit after COUNT messages
  -W SECONDS          exit after SECONDS (counted from the connection); exit code 3
                      if -C was given and fewer messages arrived
  -N                  no newline after each payload
  -R                  skip retained messages (only new ones)
  --help              this text

";

struct SubArgs {
    conn: ConnArgs,
    topics: Vec<String>,
    qos: QoS,
    verbose: bool,
    count: Option<u64>,
    timeout: Option<Duration>,
    newline: bool,
    skip_retained: bool,
}

fn parse(mut p: Parser) -> Result<Option<SubArgs>, Fail> {
    let mut a = SubArgs {
        conn: ConnArgs::default(),
        topics: Vec::new(),
        qos: QoS::AtMostOnce,
        verbose: false,
        count: None,
        timeout: None,
        newline: true,
        skip_retained: false,
    };
    while let Some(arg) = p.next()? {
        if a.conn.take(&arg, &mut p)? {
            continue;
        }
        match (canonical(&arg), &arg) {
            (Some('t'), _) => a.topics.push(p.value(&arg)?),
            (Some('q'), _) => a.qos = parse_qos(&arg, &p.value(&arg)?)?,
            (Some('v'), _) => a.verbose = true,
            (Some('C'), _) => {
                let n: u64 = p.parsed(&arg, "a positive count")?;
                if n == 0 {
                    return Err(usage("-C: the count must be at least 1").into());
                }
                a.count = Some(n);
            }
            (Some('W'), _) => {
                let s: u64 = p.parsed(&arg, "a number of seconds")?;
                if s == 0 {
                    return Err(usage("-W: the timeout must be at least 1 second").into());
                }
                a.timeout = Some(Duration::from_secs(s));
            }
            (Some('N'), _) => a.newline = false,
            (Some('R'), _) => a.skip_retained = true,
            (_, Arg::Long(l)) if l == "help" => return Ok(None),
            _ => return Err(usage(format!("sub: unknown option {arg}")).into()),
        }
    }
    a.conn.finish()?;
    if let Some(t) = a.conn.url_topic.take() {
        a.topics.push(t);
    }
    if a.topics.is_empty() {
        return Err(usage("sub: no topic given (use -t TOPIC)").into());
    }
    Ok(Some(a))
}

pub fn run(p: Parser) -> Result<i32, Fail> {
    let Some(a) = parse(p)? else {
        print!("{HELP}{CONN_HELP}");
        return Ok(0);
    };
    let mut driver = connect(&a.conn, session_options(&a.conn, "sub"))?;
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    let mut received = 0u64;
    let mut deadline: Option<Instant> = None;
    loop {
        while let Some(event) = driver.poll_event() {
            match event {
                Event::Connected { .. } => {
                    if deadline.is_none() {
                        deadline = a.timeout.map(|t| Instant::now() + t);
                    }
                    let filters = a
                        .topics
                        .iter()
                        .map(|t| (t.clone(), SubscriptionOptions::qos(a.qos)));
                    driver
                        .session_mut()
                        .subscribe(filters, Properties::default())
                        .map_err(|e| subscribe_failed(&e))?;
                }
                Event::Subscribed { results, .. } => {
                    let refused: Vec<_> = results.iter().filter(|(_, r)| r.is_error()).collect();
                    for (filter, reason) in &refused {
                        eprintln!(
                            "tablero: subscription to {filter:?} refused: {} (SUBACK 0x{:02X})",
                            reason.description(),
                            reason.as_u8()
                        );
                    }
                    if !refused.is_empty() && refused.len() == results.len() {
                        driver.disconnect();
                        return Err(Fail::conn("every subscription was refused"));
                    }
                }
                Event::Message(m) => {
                    if a.skip_retained && m.retain {
                        continue;
                    }
                    if write_message(&mut out, &a, &m.topic, &m.payload).is_err() {
                        // The reader went away (`| head -1`): a normal end, not an error.
                        driver.disconnect();
                        return Ok(0);
                    }
                    received += 1;
                    if a.count.is_some_and(|c| received >= c) {
                        let _ = out.flush();
                        driver.disconnect();
                        return Ok(0);
                    }
                }
                other => {
                    if let Some(fail) = fatal(&other, &driver) {
                        let _ = out.flush();
                        return Err(fail);
                    }
                }
            }
        }
        if out.flush().is_err() {
            driver.disconnect();
            return Ok(0);
        }
        if deadline.is_some_and(|d| Instant::now() >= d) {
            driver.disconnect();
            return Ok(if a.count.is_some() { EXIT_TIMEOUT } else { 0 });
        }
        if !driver.is_open() {
            return Err(Fail::conn("connection closed"));
        }
        driver
            .turn(deadline, None)
            .map_err(|e| Fail::conn(format!("waiting for the broker failed: {e}")))?;
    }
}

/// A SUBSCRIBE the session would not send. An invalid filter is the user's mistake (a usage
/// error); the broker's CONNACK ruling it out (a maximum packet size too small for it, no
/// wildcards) is a connection failure.
fn subscribe_failed(e: &mqtt_session::Error) -> Fail {
    use mqtt_session::Error as E;
    let code = match e {
        E::PacketTooLarge { .. }
        | E::WildcardSubscriptionsNotSupported
        | E::SharedSubscriptionsNotSupported
        | E::SubscriptionIdentifiersNotSupported => EXIT_FAILURE,
        _ => EXIT_USAGE,
    };
    Fail {
        code,
        message: format!("cannot subscribe: {e}"),
    }
}

fn write_message(out: &mut impl Write, a: &SubArgs, topic: &str, payload: &[u8]) -> io::Result<()> {
    if a.verbose {
        out.write_all(topic.as_bytes())?;
        out.write_all(b" ")?;
    }
    out.write_all(payload)?;
    if a.newline {
        out.write_all(b"\n")?;
    }
    Ok(())
}
