//! `tablero device`: a virtual IoT device, so a dashboard has something alive to show
//! before any hardware exists, and tests have a predictable peer.
//!
//! # Topic layout
//!
//! Everything lives under a prefix (`--prefix`, default `tablero/demo`; a `-L` URL's topic
//! part sets it too):
//!
//! | topic | direction | payload | QoS / retain |
//! |---|---|---|---|
//! | `{prefix}/status` | device → | `online` on connect; `offline` as the will | 1, retained |
//! | `{prefix}/temperature` | device → | °C, one decimal: `21.7` (22 ± 3, slow sine + drift + noise) | 0 |
//! | `{prefix}/humidity` | device → | % RH, one decimal: `48.2` (40–60) | 0 |
//! | `{prefix}/light` | device → | lux, integer: `512` (0–1000, slow day cycle) | 0 |
//! | `{prefix}/sensors` | device → | `{"temperature":21.7,"humidity":48.2,"light":512}` | 0 |
//! | `{prefix}/relay/set` | → device | `on` / `off` | — |
//! | `{prefix}/led/set` | → device | `on` / `off` | — |
//! | `{prefix}/fan/set` | → device | `on` / `off` | — |
//! | `{prefix}/dimmer/set` | → device | `0` … `100` | — |
//! | `{prefix}/{relay,led,fan,dimmer}/state` | device → | `on` / `off`, or `0` … `100` | 1, retained |
//!
//! Telemetry goes out every `--interval-ms` (default 1000). Switch commands also accept
//! `ON`/`OFF`, `1`/`0`, `true`/`false` and `toggle`; the dimmer accepts a number (rounded).
//! Each accepted command is echoed on its state topic, even when nothing changed, because a
//! dashboard shows a switch as pending until the device confirms. Anything else is ignored
//! with a line on stderr. All states are published on every connect, so they exist even on
//! a broker that lost its retained messages.
//!
//! The actuators feed back into the readings, so a demo shows cause and effect: the fan
//! pulls the temperature down by about 1.5 °C over a minute, and the LED and dimmer add
//! to the light level.
//!
//! With `--seed` the readings are a pure function of the seed and the tick number, so tests
//! and screenshots can rely on them.

use std::f64::consts::TAU;
use std::time::{Duration, Instant};

use mqtt_session::{
    BackoffConfig, Event, Message, Properties, QoS, State, SubscriptionOptions, XorShift64,
};

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
        topic: format!("{prefix}/status"),
        payload: b"offline".to_vec(),
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

/// The actuators and their state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Actuators {
    pub relay: bool,
    pub led: bool,
    pub fan: bool,
    /// Percent, 0–100.
    pub dimmer: u8,
}

pub const ACTUATORS: [&str; 4] = ["relay", "led", "fan", "dimmer"];

impl Actuators {
    /// Applies a command; `Err` says why it was ignored.
    pub fn apply(&mut self, name: &str, payload: &[u8]) -> Result<(), String> {
        let text = std::str::from_utf8(payload)
            .map_err(|_| "payload is not UTF-8".to_owned())?
            .trim();
        let switch = match name {
            "relay" => &mut self.relay,
            "led" => &mut self.led,
            "fan" => &mut self.fan,
            "dimmer" => {
                let v: f64 = text
                    .parse()
                    .map_err(|_| format!("{text:?} is not a number from 0 to 100"))?;
                if !(0.0..=100.0).contains(&v) {
                    return Err(format!("{text:?} is outside 0 to 100"));
                }
                self.dimmer = v.round() as u8;
                return Ok(());
            }
            other => return Err(format!("there is no actuator {other:?}")),
        };
        *switch = match text.to_ascii_lowercase().as_str() {
            "on" | "1" | "true" => true,
            "off" | "0" | "false" => false,
            "toggle" => !*switch,
            _ => return Err(format!("{text:?} is not on, off or toggle")),
        };
        Ok(())
    }

    pub fn state(&self, name: &str) -> String {
        let on_off = |b: bool| if b { "on" } else { "off" }.to_owned();
        match name {
            "relay" => on_off(self.relay),
            "led" => on_off(self.led),
            "fan" => on_off(self.fan),
            _ => self.dimmer.to_string(),
        }
    }
}

/// One set of readings.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Reading {
    pub temperature: f64,
    pub humidity: f64,
    pub light: u32,
}

impl Reading {
    pub fn temperature_text(&self) -> String {
        format!("{:.1}", self.temperature)
    }
    pub fn humidity_text(&self) -> String {
        format!("{:.1}", self.humidity)
    }
    pub fn json(&self) -> String {
        format!(
            "{{\"temperature\":{:.1},\"humidity\":{:.1},\"light\":{}}}",
            self.temperature, self.humidity, self.light
        )
    }
}

/// The simulated environment. Periods are in simulated seconds (ticks × interval), so a
/// fast interval makes a fast demo rather than a noisier one.
pub struct Simulation {
    rng: XorShift64,
    /// Seconds since start.
    t: f64,
    /// A bounded random walk: the slow drift of a real room.
    drift: f64,
    /// The fan's cooling, easing towards its target.
    cooling: f64,
    phase: f64,
}

impl Simulation {
    pub fn new(seed: u64) -> Self {
        let mut rng = XorShift64::new(seed);
        let phase = unit(&mut rng) * TAU;
        Self {
            rng,
            t: 0.0,
            drift: 0.0,
            cooling: 0.0,
            phase,
        }
    }

    /// Advances by `dt` seconds and reads the sensors.
    pub fn step(&mut self, dt: f64, act: &Actuators) -> Reading {
        self.t += dt;
        let t = self.t;
        self.drift = (self.drift + 0.05 * self.gauss() * dt.sqrt()).clamp(-1.0, 1.0);
        // First-order lag with a 20 s time constant towards 1.5 °C of cooling.
        let target = if act.fan { 1.5 } else { 0.0 };
        self.cooling += (target - self.cooling) * (1.0 - (-dt / 20.0).exp());
        let temperature = (22.0 + 1.8 * (TAU * t / 600.0 + self.phase).sin() + self.drift
            - self.cooling
            + 0.15 * self.gauss())
        .clamp(19.0, 25.0);
        let humidity = (50.0 + 6.0 * (TAU * t / 900.0 + 2.0 * self.phase).sin()
            - 1.5 * (temperature - 22.0)
            + 0.4 * self.gauss())
        .clamp(40.0, 60.0);
        let daylight = 400.0 * (1.0 - (TAU * t / 300.0 + self.phase).cos());
        let lamps = if act.led { 150.0 } else { 0.0 } + 2.0 * f64::from(act.dimmer);
        let light = (daylight + lamps + 10.0 * self.gauss()).clamp(0.0, 1000.0);
        Reading {
            temperature: round1(temperature),
            humidity: round1(humidity),
            light: light.round() as u32,
        }
    }

    /// A standard normal sample (Box–Muller).
    fn gauss(&mut self) -> f64 {
        let u1 = unit(&mut self.rng).max(f64::MIN_POSITIVE);
        let u2 = unit(&mut self.rng);
        (-2.0 * u1.ln()).sqrt() * (TAU * u2).cos()
    }
}

fn unit(rng: &mut XorShift64) -> f64 {
    (rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64
}

fn round1(v: f64) -> f64 {
    (v * 10.0).round() / 10.0
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
    let command_filter = format!("{prefix}/+/set");
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
                    let mut result = retained(s, format!("{prefix}/status"), "online".to_owned());
                    for name in ACTUATORS {
                        if result.is_ok() {
                            result = retained(s, format!("{prefix}/{name}/state"), act.state(name));
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
    let items = [
        ("temperature", r.temperature_text()),
        ("humidity", r.humidity_text()),
        ("light", r.light.to_string()),
        ("sensors", r.json()),
    ];
    for (name, payload) in items {
        let topic = format!("{prefix}/{name}");
        if let Err(e) = s.publish(
            topic,
            payload.into_bytes(),
            QoS::AtMostOnce,
            false,
            Properties::default(),
        ) {
            log(format!("cannot publish {name}: {e}"));
        }
    }
}

fn handle_command(driver: &mut Driver, prefix: &str, act: &mut Actuators, m: &Message) {
    let name = m
        .topic
        .strip_prefix(prefix)
        .and_then(|t| t.strip_prefix('/'))
        .and_then(|t| t.strip_suffix("/set"))
        .unwrap_or("");
    match act.apply(name, &m.payload) {
        Ok(()) => {
            let state = act.state(name);
            log(format!("{name} -> {state}"));
            let topic = format!("{prefix}/{name}/state");
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commands() {
        let mut a = Actuators::default();
        assert!(a.apply("relay", b"ON").is_ok());
        assert_eq!(a.state("relay"), "on");
        assert!(a.apply("relay", b"toggle").is_ok());
        assert_eq!(a.state("relay"), "off");
        assert!(a.apply("fan", b" true\n").is_ok());
        assert!(a.fan);
        assert!(a.apply("dimmer", b"42.6").is_ok());
        assert_eq!(a.state("dimmer"), "43");
        assert!(a.apply("dimmer", b"101").is_err());
        assert!(a.apply("dimmer", b"bright").is_err());
        assert!(a.apply("led", b"maybe").is_err());
        assert!(a.apply("toaster", b"on").is_err());
        assert!(a.apply("relay", &[0xff]).is_err());
        assert_eq!(
            a.state("dimmer"),
            "43",
            "a rejected command changes nothing"
        );
    }

    #[test]
    fn readings_stay_in_range_and_are_reproducible() {
        let act = Actuators::default();
        let mut a = Simulation::new(7);
        let mut b = Simulation::new(7);
        for _ in 0..5000 {
            let r = a.step(1.0, &act);
            assert_eq!(r, b.step(1.0, &act));
            assert!((19.0..=25.0).contains(&r.temperature), "{r:?}");
            assert!((40.0..=60.0).contains(&r.humidity), "{r:?}");
            assert!(r.light <= 1000, "{r:?}");
        }
    }

    #[test]
    fn readings_move_slowly_and_the_fan_cools() {
        let mut s = Simulation::new(1);
        let still = Actuators::default();
        let mut prev = s.step(1.0, &still);
        for _ in 0..300 {
            let r = s.step(1.0, &still);
            assert!(
                (r.temperature - prev.temperature).abs() < 1.0,
                "{prev:?} -> {r:?}"
            );
            prev = r;
        }
        let mut warm = Simulation::new(3);
        let mut cool = Simulation::new(3);
        let fan = Actuators {
            fan: true,
            ..Default::default()
        };
        let (mut tw, mut tc) = (0.0, 0.0);
        for i in 0..120 {
            let w = warm.step(1.0, &still).temperature;
            let c = cool.step(1.0, &fan).temperature;
            if i >= 100 {
                tw += w;
                tc += c;
            }
        }
        assert!(tw / 20.0 - tc / 20.0 > 1.0, "fan cools: {tw} vs {tc}");
    }

    #[test]
    fn json_document() {
        let r = Reading {
            temperature: 21.7,
            humidity: 48.2,
            light: 512,
        };
        assert_eq!(
            r.json(),
            r#"{"temperature":21.7,"humidity":48.2,"light":512}"#
        );
    }
}
