//! Icons for switches, buttons and LEDs, drawn for this project as SVG path data in a 24×24
//! box and stroked in the card's own colour: no icon font, nothing fetched over the network,
//! no artwork copied from an icon set. Each icon has an "on" and an "off" form that differ in
//! shape, not only in colour, so the state reads at a glance.

/// The icons a switch, a button or an LED can show, by the name stored in the configuration.
pub const NAMES: [&str; 15] = [
    "bulb",
    "fan",
    "lock",
    "plug",
    "motor",
    "thermometer",
    "ac",
    "door",
    "camera",
    "person",
    "battery",
    "bluetooth",
    "car",
    "key",
    "power",
];

/// One form of an icon: `stroke` is path data drawn with a 2-unit round-capped, round-joined stroke and no fill; `fill` is path data filled (in the same colour), may be "".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Form {
    pub stroke: &'static str,
    pub fill: &'static str,
}

// Parts shared by both forms of an icon, as macros so that `concat!` can join them.
macro_rules! bulb_glass {
    () => {
        "M9.5 18.5 V16.3 A5 5 0 1 1 14.5 16.3 V18.5 Z"
    };
}
macro_rules! fan_blades {
    () => {
        concat!(
            "M12.8 9.2 C9.5 8 8 3.5 11.5 2.5 C14.5 1.7 16.5 5 13.8 9.4 Z ",
            "M14 14.1 C16.7 11.8 21.4 12.8 20.5 16.3 C19.7 19.3 15.8 19.4 13.4 14.9 Z ",
            "M9.2 12.7 C9.8 16.2 6.6 19.7 4 17.2 C1.8 15 3.7 11.6 8.8 11.7 Z"
        )
    };
}
macro_rules! fan_hub {
    () => {
        "M10.5 12 A1.5 1.5 0 1 0 13.5 12 A1.5 1.5 0 1 0 10.5 12 Z"
    };
}
macro_rules! lock_body {
    () => {
        "M5 12 H19 V21 H5 Z M12 16 V18 "
    };
}
macro_rules! socket {
    () => {
        "M17 5 H20 V19 H17 Z"
    };
}
macro_rules! motor {
    () => {
        concat!(
            "M14 7.5 H5 A2 4.5 0 0 0 5 16.5 H14 Z M7 10.5 H11.5 M7 13.5 H11.5 ",
            "M14 10 H16 V14 H14 M16 12 H18 M7 16.5 V19.5 M12 16.5 V19.5 M5.5 19.5 H13.5"
        )
    };
}
macro_rules! thermometer {
    () => {
        "M9 14.1 V5.5 A3 3 0 0 1 15 5.5 V14.1 A4.2 4.2 0 1 1 9 14.1 Z M18 7 H19.5 M18 10 H19.5"
    };
}
macro_rules! ac_unit {
    () => {
        "M3 4 H21 V12 H3 Z M6 9.5 H18"
    };
}
macro_rules! door_frame {
    () => {
        "M6 21 V3 H18 V21 M3 21 H21"
    };
}
macro_rules! camera {
    () => {
        "M3 7 H15 V17 H3 Z M15 10.5 L21 7 V17 L15 13.5"
    };
}
macro_rules! person {
    () => {
        "M8.5 7 A3.5 3.5 0 1 0 15.5 7 A3.5 3.5 0 1 0 8.5 7 Z M4.5 20 A7.5 6.5 0 0 1 19.5 20 Z"
    };
}
macro_rules! battery {
    () => {
        "M3 7 H19 V17 H3 Z M21 10 V14"
    };
}
macro_rules! rune {
    () => {
        "M7 7.5 L17 16.5 L12 21 V3 L17 7.5 L7 16.5"
    };
}
macro_rules! car {
    () => {
        concat!(
            "M4.5 17 H2.5 V12.5 L5.5 11.5 L8 7 H13.5 L16 11.5 L18 12.2 V17 H16.5 ",
            "M8.5 17 H12.5 M5.5 11.5 H16 M11 7 V11.5 ",
            "M4.5 17 A2 2 0 1 0 8.5 17 A2 2 0 1 0 4.5 17 Z ",
            "M12.5 17 A2 2 0 1 0 16.5 17 A2 2 0 1 0 12.5 17 Z"
        )
    };
}
macro_rules! key_bow {
    () => {
        "M3 12 A4 4 0 1 0 11 12 A4 4 0 1 0 3 12 Z"
    };
}
macro_rules! power {
    () => {
        "M7.5 7.6 A7 7 0 1 0 16.5 7.6 M12 3 V11"
    };
}

const fn f(stroke: &'static str, fill: &'static str) -> Form {
    Form { stroke, fill }
}

/// The icon `name` in its on or off form; `None` for a name not in NAMES.
pub fn form(name: &str, on: bool) -> Option<Form> {
    let (on_form, off_form) = match name {
        // Lit: rays around the bulb and the glass filled. Off: the outline alone.
        "bulb" => (
            f(
                concat!(
                    bulb_glass!(),
                    " M10 21 H14 M12 2 V4 M5 5 L6.4 6.4 M19 5 L17.6 6.4 M2 12 H3.8 M20.2 12 H22"
                ),
                bulb_glass!(),
            ),
            f(concat!(bulb_glass!(), " M10 21 H14"), ""),
        ),
        // Running: solid blades (the card spins it). Off: outlined blades.
        "fan" => (
            f(fan_blades!(), concat!(fan_blades!(), " ", fan_hub!())),
            f(fan_blades!(), fan_hub!()),
        ),
        // Locked: the shackle goes into the body. Unlocked: raised, one leg free.
        "lock" => (
            f(
                concat!(lock_body!(), "M8 12 V8 A4 4 0 0 1 16 8 V12"),
                KEYHOLE,
            ),
            f(
                concat!(lock_body!(), "M8 12 V6 A4 4 0 0 1 16 6 V8"),
                KEYHOLE,
            ),
        ),
        // Plugged in: a solid plug flush against the socket. Off: apart, prongs showing.
        "plug" => (
            f(
                concat!("M2 12 H12 M12 8 H17 V16 H12 Z ", socket!()),
                "M12 8 H17 V16 H12 Z",
            ),
            f(
                concat!("M2 12 H4 M4 8 H9 V16 H4 Z M9 10 H12 M9 14 H12 ", socket!()),
                "",
            ),
        ),
        // Running: a turning arc at the shaft and marks above the body.
        "motor" => (
            f(
                concat!(
                    motor!(),
                    " M20 8.5 A4.5 4.5 0 0 1 20 15.5 M6 2.5 V4.5 M9.5 2.5 V4.5 M13 2.5 V4.5"
                ),
                "",
            ),
            f(motor!(), ""),
        ),
        // On: the column risen high. Off: the bulb only.
        "thermometer" => (
            f(concat!(thermometer!(), " M12 16 V6"), THERMO_BULB),
            f(thermometer!(), THERMO_BULB),
        ),
        // On: air flowing out below and a lit lamp. Off: the unit alone.
        "ac" => (
            f(
                concat!(
                    ac_unit!(),
                    " M8 15 C6.5 16.5 9.5 18.5 8 20 M12 15 C10.5 16.5 13.5 18.5 12 20",
                    " M16 15 C14.5 16.5 17.5 18.5 16 20"
                ),
                "M17.2 6.8 A0.8 0.8 0 1 0 18.8 6.8 A0.8 0.8 0 1 0 17.2 6.8 Z",
            ),
            f(ac_unit!(), ""),
        ),
        // Open: the leaf swung in, seen in perspective. Closed: the leaf fills the frame.
        "door" => (
            f(
                concat!(door_frame!(), " M6 3 L12 5.5 V18.5 L6 21"),
                "M9.3 12 A1 1 0 1 0 11.3 12 A1 1 0 1 0 9.3 12 Z",
            ),
            f(door_frame!(), "M14 12 A1 1 0 1 0 16 12 A1 1 0 1 0 14 12 Z"),
        ),
        // Recording: a solid dot on the body. Off: struck through.
        "camera" => (
            f(
                camera!(),
                "M6.5 12 A2.5 2.5 0 1 0 11.5 12 A2.5 2.5 0 1 0 6.5 12 Z",
            ),
            f(concat!(camera!(), " M3 3 L21 21"), ""),
        ),
        // Present: a solid silhouette. Absent: its outline.
        "person" => (f(person!(), person!()), f(person!(), "")),
        // Full: three solid bars. Empty: one thin mark.
        "battery" => (
            f(
                battery!(),
                "M5 9 H8 V15 H5 Z M9.5 9 H12.5 V15 H9.5 Z M14 9 H17 V15 H14 Z",
            ),
            f(concat!(battery!(), " M6 10 V14"), ""),
        ),
        // Connected: dots either side. Off: struck through.
        "bluetooth" => (
            f(
                rune!(),
                concat!(
                    "M2.7 12 A1.3 1.3 0 1 0 5.3 12 A1.3 1.3 0 1 0 2.7 12 Z ",
                    "M18.7 12 A1.3 1.3 0 1 0 21.3 12 A1.3 1.3 0 1 0 18.7 12 Z"
                ),
            ),
            f(concat!(rune!(), " M3 3 L21 21"), ""),
        ),
        // On: headlight beams ahead of the car.
        "car" => (
            f(
                concat!(car!(), " M20 11 L22 10 M20 13.5 H22 M20 16 L22 17"),
                "",
            ),
            f(car!(), ""),
        ),
        // On: a solid bow. Off: an outlined bow.
        "key" => (
            f(
                concat!("M11 12 H21 M17 12 V15 M20.5 12 V16 ", key_bow!()),
                key_bow!(),
            ),
            f(
                concat!("M11 12 H21 M17 12 V15 M20.5 12 V16 ", key_bow!()),
                "",
            ),
        ),
        // On: a solid dot inside the symbol. Off: the symbol alone.
        "power" => (
            f(power!(), "M10 15.5 A2 2 0 1 0 14 15.5 A2 2 0 1 0 10 15.5 Z"),
            f(power!(), ""),
        ),
        _ => return None,
    };
    Some(if on { on_form } else { off_form })
}

const KEYHOLE: &str = "M10.7 16 A1.3 1.3 0 1 0 13.3 16 A1.3 1.3 0 1 0 10.7 16 Z";
const THERMO_BULB: &str = "M9.8 17 A2.2 2.2 0 1 0 14.2 17 A2.2 2.2 0 1 0 9.8 17 Z";

#[cfg(test)]
mod tests {
    use super::*;

    fn forms() -> Vec<(&'static str, Form, Form)> {
        NAMES
            .iter()
            .map(|&n| (n, form(n, true).unwrap(), form(n, false).unwrap()))
            .collect()
    }

    /// The coordinates a path names (the end points of arcs, not their radii or flags),
    /// or an error saying what in it is not allowed.
    fn coordinates(path: &str) -> Result<Vec<f64>, String> {
        if let Some(c) = path
            .chars()
            .find(|c| !("MLHVACQZ0123456789 ,.-".contains(*c)))
        {
            return Err(format!("character {c:?} in {path:?}"));
        }
        let mut tokens = Vec::new();
        let mut number = String::new();
        for c in path.chars() {
            if c.is_ascii_digit() || c == '.' || (c == '-' && number.is_empty()) {
                number.push(c);
                continue;
            }
            if !number.is_empty() {
                tokens.push(std::mem::take(&mut number));
            }
            if c.is_ascii_uppercase() {
                tokens.push(c.to_string());
            } else if c == '-' {
                number.push(c);
            }
        }
        if !number.is_empty() {
            tokens.push(number);
        }
        let mut out = Vec::new();
        let mut i = 0;
        if tokens.first().map(String::as_str) != Some("M") {
            return Err(format!("{path:?} does not start with M"));
        }
        while i < tokens.len() {
            let command = tokens[i].clone();
            i += 1;
            let mut args = Vec::new();
            while i < tokens.len() && !tokens[i].chars().all(|c| c.is_ascii_uppercase()) {
                let n: f64 = tokens[i]
                    .parse()
                    .map_err(|_| format!("bad number {:?} in {path:?}", tokens[i]))?;
                if tokens[i].split('.').nth(1).is_some_and(|d| d.len() > 1) {
                    return Err(format!("{:?} has more than one decimal", tokens[i]));
                }
                args.push(n);
                i += 1;
            }
            let (arity, named): (usize, &[usize]) = match command.as_str() {
                "M" | "L" => (2, &[0, 1]),
                "H" | "V" => (1, &[0]),
                "Q" => (4, &[0, 1, 2, 3]),
                "C" => (6, &[0, 1, 2, 3, 4, 5]),
                "A" => (7, &[5, 6]),
                "Z" => (0, &[]),
                _ => return Err(format!("command {command} in {path:?}")),
            };
            let fits = if arity == 0 {
                args.is_empty()
            } else {
                !args.is_empty() && args.len() % arity == 0
            };
            if !fits {
                return Err(format!("{command} with {} numbers in {path:?}", args.len()));
            }
            for chunk in args.chunks(arity.max(1)) {
                out.extend(named.iter().map(|&k| chunk[k]));
            }
        }
        Ok(out)
    }

    #[test]
    fn every_name_has_two_different_forms() {
        for (name, on, off) in forms() {
            assert_ne!(on, off, "{name}");
            assert!(!on.stroke.is_empty() && !off.stroke.is_empty(), "{name}");
        }
    }

    #[test]
    fn an_unknown_name_has_no_icon() {
        assert_eq!(form("nope", true), None);
        assert_eq!(form("nope", false), None);
        assert_eq!(form("", true), None);
    }

    #[test]
    fn paths_use_plain_absolute_commands_inside_the_box() {
        for (name, on, off) in forms() {
            for path in [on.stroke, on.fill, off.stroke, off.fill] {
                if path.is_empty() {
                    continue;
                }
                let points = coordinates(path).unwrap_or_else(|e| panic!("{name}: {e}"));
                assert!(!points.is_empty(), "{name}: {path:?}");
                for p in points {
                    assert!((0.0..=24.0).contains(&p), "{name}: {p} in {path:?}");
                }
            }
        }
    }

    #[test]
    fn the_checker_refuses_what_it_should() {
        assert!(coordinates("M1 1 l2 2").is_err());
        assert!(coordinates("M1 1 L25 2").unwrap().contains(&25.0));
        assert!(coordinates("M1 1 L2").is_err());
        assert!(coordinates("M1.25 1").is_err());
        assert_eq!(
            coordinates("M1 2 A9 9 0 1 0 3 4 Z").unwrap(),
            vec![1.0, 2.0, 3.0, 4.0]
        );
    }

    #[test]
    fn all_paths_are_small() {
        let total: usize = forms()
            .iter()
            .map(|(_, on, off)| on.stroke.len() + on.fill.len() + off.stroke.len() + off.fill.len())
            .sum();
        assert!(total < 12_000, "{total} bytes");
    }
}
