//! The virtual demo device: its topic layout, the commands it obeys and the readings it
//! makes up. No IO and no clock: `tablero device` (native, over TCP or WebSocket) and the
//! in-page demo device of the web app (a second connection inside the page) both drive this,
//! so a dashboard behaves the same against either.
//!
//! # Topic layout
//!
//! Everything lives under a prefix (`tablero/demo` for `make run`, a random one on a public
//! broker):
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
//! Switch commands also accept `ON`/`OFF`, `1`/`0`, `true`/`false` and `toggle`; the dimmer
//! accepts a number (rounded). Each accepted command is echoed on its state topic, even when
//! nothing changed, because a dashboard shows a switch as pending until the device confirms.
//! All states are published on every connect, so they exist even on a broker that lost its
//! retained messages.
//!
//! The actuators feed back into the readings, so a demo shows cause and effect: the fan
//! pulls the temperature down by about 1.5 °C over a minute, and the LED and dimmer add to
//! the light level. Readings are a pure function of the seed and the steps taken.
//!
//! Numbers are written with integer arithmetic, not Rust's float formatting, which would
//! weigh on the web app's download for one decimal.

#![forbid(unsafe_code)]

use std::f64::consts::TAU;

use mqtt_session::XorShift64;

/// The actuators, in the order their states are announced.
pub const ACTUATORS: [&str; 4] = ["relay", "led", "fan", "dimmer"];

/// The status payloads: `online` when connected, `offline` as the will.
pub const ONLINE: &str = "online";
pub const OFFLINE: &str = "offline";

pub fn status_topic(prefix: &str) -> String {
    format!("{prefix}/status")
}

/// The one filter the device subscribes to.
pub fn command_filter(prefix: &str) -> String {
    format!("{prefix}/+/set")
}

pub fn state_topic(prefix: &str, actuator: &str) -> String {
    format!("{prefix}/{actuator}/state")
}

/// The actuator a command topic names (`{prefix}/relay/set` → `relay`), if it is one of the
/// device's command topics at all.
pub fn command_target<'t>(prefix: &str, topic: &'t str) -> Option<&'t str> {
    topic
        .strip_prefix(prefix)?
        .strip_prefix('/')?
        .strip_suffix("/set")
}

/// Why a command was ignored (the device then publishes nothing).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ignored {
    NotUtf8,
    NoSuchActuator,
    NotOnOff,
    NotANumber,
    OutOfRange,
}

impl std::fmt::Display for Ignored {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Self::NotUtf8 => "payload is not UTF-8",
            Self::NoSuchActuator => "there is no actuator of that name",
            Self::NotOnOff => "not on, off or toggle",
            Self::NotANumber => "not a number from 0 to 100",
            Self::OutOfRange => "outside 0 to 100",
        })
    }
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

impl Actuators {
    /// Applies a command to the actuator `name`; a rejected command changes nothing.
    pub fn apply(&mut self, name: &str, payload: &[u8]) -> Result<(), Ignored> {
        let text = std::str::from_utf8(payload)
            .map_err(|_| Ignored::NotUtf8)?
            .trim();
        let switch = match name {
            "relay" => &mut self.relay,
            "led" => &mut self.led,
            "fan" => &mut self.fan,
            "dimmer" => {
                self.dimmer = percent(text)?;
                return Ok(());
            }
            _ => return Err(Ignored::NoSuchActuator),
        };
        *switch = match text.to_ascii_lowercase().as_str() {
            "on" | "1" | "true" => true,
            "off" | "0" | "false" => false,
            "toggle" => !*switch,
            _ => return Err(Ignored::NotOnOff),
        };
        Ok(())
    }

    /// The payload of the actuator's state topic.
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

/// A dimmer level: a decimal number from 0 to 100, rounded half up (`42.6` → 43).
fn percent(text: &str) -> Result<u8, Ignored> {
    let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if whole.is_empty() && fraction.is_empty() || !digits(whole) || !digits(fraction) {
        return Err(Ignored::NotANumber);
    }
    let whole = whole.trim_start_matches('0');
    if whole.len() > 3 {
        return Err(Ignored::OutOfRange);
    }
    let value: u32 = whole.parse().unwrap_or(0);
    let above_whole = fraction.bytes().any(|b| b != b'0');
    if value > 100 || value == 100 && above_whole {
        return Err(Ignored::OutOfRange);
    }
    let round_up = fraction.as_bytes().first().is_some_and(|&d| d >= b'5');
    Ok((value + u32::from(round_up)) as u8)
}

/// One set of readings.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Reading {
    pub temperature: f64,
    pub humidity: f64,
    pub light: u32,
}

/// `v` with one decimal (`21.7`, `-0.5`).
pub fn one_decimal(v: f64) -> String {
    let tenths = (v * 10.0).round() as i64;
    let sign = if tenths < 0 { "-" } else { "" };
    let t = tenths.unsigned_abs();
    format!("{sign}{}.{}", t / 10, t % 10)
}

impl Reading {
    pub fn temperature_text(&self) -> String {
        one_decimal(self.temperature)
    }

    pub fn humidity_text(&self) -> String {
        one_decimal(self.humidity)
    }

    pub fn json(&self) -> String {
        format!(
            "{{\"temperature\":{},\"humidity\":{},\"light\":{}}}",
            self.temperature_text(),
            self.humidity_text(),
            self.light
        )
    }

    /// The telemetry messages of this reading, `(topic, payload)`, published at QoS 0.
    pub fn messages(&self, prefix: &str) -> [(String, String); 4] {
        [
            (format!("{prefix}/temperature"), self.temperature_text()),
            (format!("{prefix}/humidity"), self.humidity_text()),
            (format!("{prefix}/light"), self.light.to_string()),
            (format!("{prefix}/sensors"), self.json()),
        ]
    }
}

/// The simulated environment. Periods are in simulated seconds (steps × their length), so a
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
        self.drift = between(self.drift + 0.05 * self.gauss() * dt.sqrt(), -1.0, 1.0);
        // First-order lag with a 20 s time constant towards 1.5 °C of cooling.
        let target = if act.fan { 1.5 } else { 0.0 };
        self.cooling += (target - self.cooling) * (1.0 - (-dt / 20.0).exp());
        let temperature = between(
            22.0 + 1.8 * (TAU * t / 600.0 + self.phase).sin() + self.drift - self.cooling
                + 0.15 * self.gauss(),
            19.0,
            25.0,
        );
        let humidity = between(
            50.0 + 6.0 * (TAU * t / 900.0 + 2.0 * self.phase).sin() - 1.5 * (temperature - 22.0)
                + 0.4 * self.gauss(),
            40.0,
            60.0,
        );
        let daylight = 400.0 * (1.0 - (TAU * t / 300.0 + self.phase).cos());
        let lamps = if act.led { 150.0 } else { 0.0 } + 2.0 * f64::from(act.dimmer);
        let light = between(daylight + lamps + 10.0 * self.gauss(), 0.0, 1000.0);
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

/// `f64::clamp` without its assertion on the bounds, whose message would bring float
/// formatting into the web app (the bounds here are constants in order).
fn between(v: f64, lo: f64, hi: f64) -> f64 {
    v.max(lo).min(hi)
}

fn unit(rng: &mut XorShift64) -> f64 {
    (rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64
}

fn round1(v: f64) -> f64 {
    (v * 10.0).round() / 10.0
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
        assert_eq!(a.apply("dimmer", b"101"), Err(Ignored::OutOfRange));
        assert_eq!(a.apply("dimmer", b"100.5"), Err(Ignored::OutOfRange));
        assert_eq!(a.apply("dimmer", b"bright"), Err(Ignored::NotANumber));
        assert_eq!(a.apply("dimmer", b"-3"), Err(Ignored::NotANumber));
        assert_eq!(a.apply("dimmer", b"."), Err(Ignored::NotANumber));
        assert_eq!(a.apply("led", b"maybe"), Err(Ignored::NotOnOff));
        assert_eq!(a.apply("toaster", b"on"), Err(Ignored::NoSuchActuator));
        assert_eq!(a.apply("relay", &[0xff]), Err(Ignored::NotUtf8));
        assert_eq!(
            a.state("dimmer"),
            "43",
            "a rejected command changes nothing"
        );
    }

    #[test]
    fn dimmer_levels() {
        for (text, level) in [
            ("0", 0),
            ("100", 100),
            ("100.0", 100),
            ("0099", 99),
            ("7.5", 8),
            ("7.49", 7),
            (".6", 1),
            ("5.", 5),
        ] {
            assert_eq!(percent(text), Ok(level), "{text}");
        }
        assert_eq!(percent("1000"), Err(Ignored::OutOfRange));
        assert_eq!(percent(""), Err(Ignored::NotANumber));
        assert_eq!(percent("1e2"), Err(Ignored::NotANumber));
    }

    #[test]
    fn topics() {
        assert_eq!(command_target("p/x", "p/x/relay/set"), Some("relay"));
        assert_eq!(command_target("p/x", "p/xy/relay/set"), None);
        assert_eq!(command_target("p/x", "p/x/relay/state"), None);
        assert_eq!(command_filter("p/x"), "p/x/+/set");
        assert_eq!(state_topic("p/x", "fan"), "p/x/fan/state");
        assert_eq!(status_topic("p/x"), "p/x/status");
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
    fn numbers_and_the_json_document() {
        let r = Reading {
            temperature: 21.7,
            humidity: 48.0,
            light: 512,
        };
        assert_eq!(
            r.json(),
            r#"{"temperature":21.7,"humidity":48.0,"light":512}"#
        );
        assert_eq!(one_decimal(-0.46), "-0.5");
        assert_eq!(one_decimal(0.04), "0.0");
        assert_eq!(one_decimal(19.95), "20.0");
        let m = r.messages("p");
        assert_eq!(m[0], ("p/temperature".into(), "21.7".into()));
        assert_eq!(m[2], ("p/light".into(), "512".into()));
        assert_eq!(m[3].0, "p/sensors");
    }
}
