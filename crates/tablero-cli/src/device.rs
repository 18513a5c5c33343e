//! `tablero device`: a virtual IoT device, so a dashboard has something alive to show
//! before any hardware exists, and tests have a predictable peer.
//!
//! The device's behaviour (topic layout, commands, readings) is the `demo-device` crate's,
//! shared with the web app's in-page demo device; this file is its native driver: arguments,
//! the connection, the clock, and a log line on stderr for each command.
//!
//! Everything lives under a prefix (`--prefix`, default `tablero/demo`; a `-L` URL's topic
//! part sets it too). Telemetry goes out every `--interval-ms` (default 1000). With `--seed`
//! the readings are a pure function of the seed and the tick number, so tests and
//! screenshots can rely on them.

use std::time::{Duration, Instant};

use demo_device::{
    ACTUATORS, Actuators, OFFLINE, ONLINE, Reading, Simulation, command_filter, command_target,
    state_topic, status_topic,
};
use mqtt_session::{BackoffConfig, Event, Message, Properties, QoS, State, SubscriptionOptions};

use crate::args::{Arg, CONN_HELP, ConnArgs, Parser, WillArgs, usage};
use crate::common::{EXIT_USAGE, Fail, fatal, seed_from_environment, session_options};
use crate::driver::Driver;

pub const HELP: &str = "\
Usage: tablero device [options]
A virtual IoT device: publishes temperature, humidity and light under a prefix and obeys
relay, led, fan and dimmer commands. Runs until killed; reconnects with backoff.

Options:
  --prefix PREFIX     topic prefix (default tablero/demo)
  --interval-ms MS    telemetry interval (default 1000)
  --seed N            seed for the simulated readings (default: random)
  --help              this text

Topics (P = prefix):
  P/status                          online / offline (retained; offline is the will)
  P/temperature, P/humidity, P/light   plain numbers
  P/sensors                         {\"temperature\":21.7,\"humidity\":48.2,\"light\":512}
  P/relay/set, P/led/set, P/fan/set   on / off        -> echoed on P/NAME/state (retained)
  P/dimmer/set                      0..100          -> echoed on P/dimmer/state (retained)

";

struct DeviceArgs {
    conn: ConnArgs,
    prefix: String,
    interval: Duration,
    seed: u64,
}

fn parse(mut p: Parser) -> Result<Option<DeviceArgs>, Fail> {
    let mut conn = ConnArgs::default();
    let mut prefix = None;
    let mut interval = Duration::from_millis(1000);
    let mut seed = None;
    while let Some(arg) = p.next()? {
        if conn.take(&arg, &mut p)? {
            continue;
        }
        match &arg {
            Arg::Long(l) => match l.as_str() {
                "prefix" => prefix = Some(p.value(&arg)?),
                "interval-ms" => {
                    let ms: u64 = p.parsed(&arg, "a number of milliseconds")?;
                    if ms == 0 {
                        return Err(usage("--interval-ms must be at least 1").into());
                    }
                    interval = Duration::from_millis(ms);
                }
                "seed" => seed = Some(p.parsed(&arg, "a number")?),
                "help" => return Ok(None),
                _ => return Err(usage(format!("device: unknown option {arg}")).into()),
            },
            _ => return Err(usage(format!("device: unknown option {arg}")).into()),
        }
    }
    let prefix = prefix
        .or(conn.url_topic.take())
        .unwrap_or_else(|| "tablero/demo".to_owned());
    let prefix = prefix.trim_end_matches('/').to_owned();
    if prefix.is_empty() || prefix.contains(['+', '#']) {
        return Err(usage(format!(
            "--prefix {prefix:?}: must be a non-empty topic without wildcards"
        ))
        .into());
    }
    conn.set_will(WillArgs {
        topic: status_topic(&prefix),
        payload: OFFLINE.as_bytes().to_vec(),
        qos: QoS::AtLeastOnce,
        retain: true,
    });
    conn.finish()?;
    Ok(Some(DeviceArgs {
        conn,
        prefix,
        interval,
        seed: seed.unwrap_or_else(seed_from_environment),
    }))
}

fn log(msg: impl std::fmt::Display) {
    eprintln!("tablero device: {msg}");
}

pub fn run(p: Parser) -> Result<i32, Fail> {
    let Some(a) = parse(p)? else {
        print!("{HELP}{CONN_HELP}");
        return Ok(0);
    };
    let mut options = session_options(&a.conn, "device");
    options.auto_reconnect = true;
    // A demo device should come back soon after the broker does; a minute of silence
    // looks broken on a dashboard.
    options.backoff = BackoffConfig {
        maximum: Duration::from_secs(15),
        ..BackoffConfig::default()
    };
    let mut driver = Driver::new(a.conn.endpoint(), options).map_err(|e| Fail {
        code: EXIT_USAGE,
        message: e.to_string(),
    })?;
    driver.set_trace(a.conn.debug);
    log(format!(
        "connecting to {} as {}",
        driver.endpoint(),
        driver.session().client_id()
    ));
    if let Some(e) = driver.open_or_schedule() {
        log(format!("{e}; retrying"));
    }

    let prefix = &a.prefix;
    let command_filter = command_filter(prefix);
    let mut act = Actuators::default();
    let mut sim = Simulation::new(a.seed);
    let mut subscribed = false;
    let mut next_tick = Instant::now();
    loop {
        while let Some(event) = driver.poll_event() {
            match event {
                Event::Connected { .. } => {
                    log(format!("connected to {}", driver.endpoint()));
                    let s = driver.session_mut();
                    let retained =
                        |s: &mut mqtt_session::Session, topic: String, payload: String| {
                            s.publish(
                                topic,
                                payload.into_bytes(),
                                QoS::AtLeastOnce,
                                true,
                                Properties::default(),
                            )
                            .map(|_| ())
                        };
                    let mut result = retained(s, status_topic(prefix), ONLINE.to_owned());
                    for name in ACTUATORS {
                        if result.is_ok() {
                            result = retained(s, state_topic(prefix, name), act.state(name));
                        }
                    }
                    if let Err(e) = result {
                        log(format!("cannot announce: {e}"));
                    }
                    // Later connections get the subscription back from the session itself.
                    if !subscribed {
                        let filters = [(
                            command_filter.clone(),
                            SubscriptionOptions::qos(QoS::AtLeastOnce),
                        )];
                        s.subscribe(filters, Properties::default())
                            .map_err(|e| Fail {
                                code: EXIT_USAGE,
                                message: e.to_string(),
                            })?;
                        subscribed = true;
                    }
                }
                Event::Message(m) => handle_command(&mut driver, prefix, &mut act, &m),
                Event::Subscribed { results, .. } => {
                    for (filter, reason) in results.iter().filter(|(_, r)| r.is_error()) {
                        log(format!(
                            "subscription to {filter} refused (0x{:02X}); commands will not arrive",
                            reason.as_u8()
                        ));
                    }
                }
                Event::ReconnectDue => {
                    log(format!("reconnecting to {}", driver.endpoint()));
                    if let Some(e) = driver.open_or_schedule() {
                        log(e);
                    }
                }
                Event::PublishAcknowledged { .. } | Event::Unsubscribed { .. } => {}
                other => {
                    if let Some(fail) = fatal(&other, &driver) {
                        if driver.session().state() == State::Disconnected {
                            return Err(fail);
                        }
                        log(format!("{fail}; will reconnect"));
                    }
                }
            }
        }
        let now = Instant::now();
        if now >= next_tick {
            let reading = sim.step(a.interval.as_secs_f64(), &act);
            if driver.session().state() == State::Connected {
                publish_reading(&mut driver, prefix, &reading);
            }
            next_tick += a.interval;
            if next_tick < now {
                // Fell behind (a suspended laptop): skip ahead rather than burst.
                next_tick = now + a.interval;
            }
        }
        if driver.session().state() == State::Disconnected {
            return Err(Fail::conn("the connection ended and will not be retried"));
        }
        driver
            .turn(Some(next_tick), None)
            .map_err(|e| Fail::conn(format!("waiting for the broker failed: {e}")))?;
    }
}

fn publish_reading(driver: &mut Driver, prefix: &str, r: &Reading) {
    let s = driver.session_mut();
    for (topic, payload) in r.messages(prefix) {
        if let Err(e) = s.publish(
            topic,
            payload.into_bytes(),
            QoS::AtMostOnce,
            false,
            Properties::default(),
        ) {
            log(format!("cannot publish telemetry: {e}"));
        }
    }
}

fn handle_command(driver: &mut Driver, prefix: &str, act: &mut Actuators, m: &Message) {
    let name = command_target(prefix, &m.topic).unwrap_or("");
    match act.apply(name, &m.payload) {
        Ok(()) => {
            let state = act.state(name);
            log(format!("{name} -> {state}"));
            let topic = state_topic(prefix, name);
            if let Err(e) = driver.session_mut().publish(
                topic,
                state.into_bytes(),
                QoS::AtLeastOnce,
                true,
                Properties::default(),
            ) {
                log(format!("cannot echo {name}: {e}"));
            }
        }
        Err(why) => log(format!("ignoring command on {}: {why}", m.topic)),
    }
}
