//! Firmware for a dashboard: an Arduino sketch (ESP32/ESP8266, PubSubClient) and a
//! MicroPython script (umqtt.simple) that play the device the dashboard expects, so a student
//! can flash a board and see the widgets move before writing any code of their own.
//!
//! Both generators read the dashboard once into a [`Plan`] (which topic is a command, which a
//! state echo, which telemetry, what cannot be published and why), so the two programs never
//! disagree about topics or payloads. Everything in the dashboard is untrusted text: it reaches
//! the code only as escaped string literals (byte-exact: octal escapes in C, `\x` escapes in
//! Python bytes), and comments get titles with every line break and control character
//! removed, always followed by a closing quote, so no title can end a comment or splice the
//! next line into it. The dashboard's saved password is never written out.

use core::fmt::Write;

use mqtt_codec_wasm::topic::validate_topic_name;

use crate::config::{Connection, Dashboard, PRESETS, WidgetKind};
use crate::i18n::Lang;
use crate::widgets::listens;

/// What the board does for one dashboard, shared by both generators.
#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    pub dashboard: String,
    pub host: String,
    pub port: u16,
    /// The port is a known preset's TCP port, not the usual 1883 guessed for an unknown broker.
    pub port_known: bool,
    /// The host is the browser's own machine, which the board cannot reach by that name.
    pub loopback: bool,
    pub username: Option<String>,
    /// A public broker's documented password (from the preset table, never the dashboard's).
    pub public_password: Option<&'static str>,
    pub client_id: String,
    /// `online` on connect, `offline` as the will, both retained.
    pub status: String,
    pub outputs: Vec<Output>,
    pub telemetry: Vec<Telemetry>,
    pub notes: Vec<Note>,
}

/// A switch: a pin driven by its command topic.
#[derive(Debug, Clone, PartialEq)]
pub struct Output {
    pub title: String,
    pub topic: String,
    pub on: String,
    pub off: String,
    /// The topic the pin's state is echoed on, with the payloads for on and off.
    pub state: Option<(String, String, String)>,
}

/// One topic the board publishes readings on, every few seconds.
#[derive(Debug, Clone, PartialEq)]
pub struct Telemetry {
    /// The widgets that read it.
    pub titles: Vec<String>,
    pub topic: String,
    pub payload: Vec<Part>,
}

/// A payload as text around placeholder readings (`reading(n)` in the code).
#[derive(Debug, Clone, PartialEq)]
pub enum Part {
    Text(String),
    Reading(usize),
}

/// Something of the dashboard the code cannot do as the widget expects, said in a comment.
#[derive(Debug, Clone, PartialEq)]
pub struct Note {
    pub title: String,
    pub topic: String,
    pub why: Why,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Why {
    /// A filter (`+`, `#`): nothing can be published to it.
    Filter,
    /// A `$` topic belongs to the broker.
    Reserved,
    /// A switch's command or state topic: telemetry there would be read as a command or as
    /// the switch's state.
    Taken,
    /// The status topic, which carries online/offline.
    Status,
    /// A switch whose state topic is a command topic: the echo would come back as a command.
    EchoLoop,
    /// A JSON path other than `$.a.b`.
    NotSimplePath,
    /// Read as a plain number on a topic other widgets read as JSON.
    PlainOnJson,
    /// A JSON path that collides with another's on the same topic (`$.a` and `$.a.b`).
    PathConflict,
    /// A button's topic: the code receives nothing there; what the device does on a press
    /// is the user's to write.
    Button,
    /// An indicator's topic: the code publishes no state there; what the board reports is
    /// the user's to write.
    Indicator,
    /// The topic a slider, a text input or a colour picker publishes a value to: what the
    /// device does with the value (and a slider's state it reports) is the user's to write.
    Input,
}

const INTERVAL_MS: u32 = 5000;
/// Output pins, ESP32: GPIO 2 is the built-in LED on most boards, so the first switch shows
/// on the bare board; then pins safe as outputs: not the flash's, not input-only (34-39, kept
/// for readings), not GPIO 12 (a high level at boot selects the wrong flash voltage).
const ESP32_PINS: [u8; 15] = [2, 4, 5, 18, 19, 21, 22, 23, 25, 26, 27, 32, 33, 13, 14];
/// ESP8266, with the NodeMCU labels printed on the board: GPIO 2 (D4) is the built-in LED.
const ESP8266_PINS: [(u8, &str); 8] = [
    (2, "D4"),
    (5, "D1"),
    (4, "D2"),
    (14, "D5"),
    (12, "D6"),
    (13, "D7"),
    (15, "D8"),
    (16, "D0"),
];

/// Reads the dashboard once for both generators.
pub fn plan(dashboard: &Dashboard, connection: &Connection) -> Plan {
    let mut notes = Vec::new();
    let note = |notes: &mut Vec<Note>, title: &str, topic: &str, why| {
        notes.push(Note {
            title: title.to_owned(),
            topic: topic.to_owned(),
            why,
        })
    };
    let switches = || {
        dashboard.widgets.iter().filter_map(|w| match &w.kind {
            WidgetKind::Switch(s) => Some((w, s)),
            WidgetKind::Gauge(_)
            | WidgetKind::Chart(_)
            | WidgetKind::Value(_)
            | WidgetKind::Button(_)
            | WidgetKind::Led(_)
            | WidgetKind::Slider(_)
            | WidgetKind::Level(_)
            | WidgetKind::Text(_)
            | WidgetKind::Color(_)
            | WidgetKind::Log(_) => None,
        })
    };
    let commands: Vec<&str> = switches().map(|(_, s)| s.command_topic.as_str()).collect();
    let mut taken: Vec<&str> = commands.clone();
    taken.extend(dashboard.widgets.iter().filter_map(|w| match &w.kind {
        WidgetKind::Button(b) => Some(b.topic.as_str()),
        WidgetKind::Led(l) => Some(l.binding.topic.as_str()),
        WidgetKind::Slider(s) => Some(s.publish.topic.as_str()),
        WidgetKind::Text(p) | WidgetKind::Color(p) => Some(p.topic.as_str()),
        WidgetKind::Level(_)
        | WidgetKind::Log(_)
        | WidgetKind::Gauge(_)
        | WidgetKind::Switch(_)
        | WidgetKind::Chart(_)
        | WidgetKind::Value(_) => None,
    }));
    taken.extend(switches().filter_map(|(_, s)| s.state_topic.as_deref()));

    let mut outputs = Vec::new();
    let mut reads = Vec::new();
    let mut names = Vec::new();
    for w in &dashboard.widgets {
        match &w.kind {
            WidgetKind::Switch(s) => {
                if validate_topic_name(&s.command_topic).is_err() {
                    note(&mut notes, &w.title, &s.command_topic, Why::Filter);
                    continue;
                }
                names.push(s.command_topic.as_str());
                let state = s.state_topic.as_deref().and_then(|t| {
                    let why =
                        unpublishable(t).or_else(|| commands.contains(&t).then_some(Why::EchoLoop));
                    if let Some(why) = why {
                        note(&mut notes, &w.title, t, why);
                        return None;
                    }
                    names.push(t);
                    let keys = simple_path(s.json_path.as_deref()).unwrap_or_else(|| {
                        note(&mut notes, &w.title, t, Why::NotSimplePath);
                        Vec::new()
                    });
                    let wrap = |v: &str| wrap_json(&keys, v);
                    Some((t.to_owned(), wrap(&s.state_on), wrap(&s.state_off)))
                });
                outputs.push(Output {
                    title: w.title.clone(),
                    topic: s.command_topic.clone(),
                    on: s.on_payload.clone(),
                    off: s.off_payload.clone(),
                    state,
                });
            }
            WidgetKind::Button(b) => note(&mut notes, &w.title, &b.topic, Why::Button),
            // A switch's state topic is echoed by the code: an LED there shows it.
            WidgetKind::Led(l) => {
                if !switches().any(|(_, s)| s.state_topic.as_ref() == Some(&l.binding.topic)) {
                    note(&mut notes, &w.title, &l.binding.topic, Why::Indicator);
                }
            }
            WidgetKind::Slider(crate::config::SliderConfig { publish: p, .. })
            | WidgetKind::Text(p)
            | WidgetKind::Color(p) => note(&mut notes, &w.title, &p.topic, Why::Input),
            // A log shows whatever the board publishes: nothing of its own to write.
            WidgetKind::Log(_) => {}
            WidgetKind::Gauge(_)
            | WidgetKind::Chart(_)
            | WidgetKind::Value(_)
            | WidgetKind::Level(_) => {
                for l in listens(&w.kind) {
                    reads.push((w.title.as_str(), l.binding.topic, l.binding.json_path));
                }
            }
        }
    }
    names.extend(
        reads
            .iter()
            .map(|(_, t, _)| t.as_str())
            .filter(|t| unpublishable(t).is_none()),
    );

    // The dashboard's own status topic if it shows one, else `status` beside its topics, as
    // `tablero device` does.
    let status = reads
        .iter()
        .map(|(_, t, _)| t.as_str())
        .find(|t| {
            (*t == "status" || t.ends_with("/status"))
                && unpublishable(t).is_none()
                && !taken.contains(t)
        })
        .map(str::to_owned)
        .unwrap_or_else(|| {
            let prefix = names.iter().map(|t| parent(t)).reduce(common_levels);
            let prefix = match prefix {
                Some("") => names.first().map_or("tablero", |t| parent(t)),
                Some(p) => p,
                None => "tablero",
            };
            let prefix = if prefix.is_empty() { "tablero" } else { prefix };
            ["status", "device/status"]
                .iter()
                .map(|s| format!("{prefix}/{s}"))
                .find(|t| !taken.contains(&t.as_str()))
                .unwrap_or_else(|| format!("{prefix}/device/online"))
        });

    struct Group<'a> {
        topic: String,
        titles: Vec<String>,
        leaves: Vec<(Vec<String>, &'a str)>,
        plain: Vec<&'a str>,
    }
    let mut groups: Vec<Group> = Vec::new();
    for (title, topic, path) in &reads {
        let why = if *topic == status {
            Some(Why::Status)
        } else {
            unpublishable(topic).or_else(|| taken.contains(&topic.as_str()).then_some(Why::Taken))
        };
        if let Some(why) = why {
            note(&mut notes, title, topic, why);
            continue;
        }
        let i = match groups.iter().position(|g| &g.topic == topic) {
            Some(i) => i,
            None => {
                groups.push(Group {
                    topic: topic.clone(),
                    titles: Vec::new(),
                    leaves: Vec::new(),
                    plain: Vec::new(),
                });
                groups.len() - 1
            }
        };
        let g = &mut groups[i];
        if !g.titles.iter().any(|t| t == title) {
            g.titles.push((*title).to_owned());
        }
        match simple_path(path.as_deref()) {
            Some(keys) if keys.is_empty() => g.plain.push(title),
            Some(keys) => {
                if !g.leaves.iter().any(|(k, _)| *k == keys) {
                    g.leaves.push((keys, title));
                }
            }
            None => note(&mut notes, title, topic, Why::NotSimplePath),
        }
    }

    let mut next = 0;
    let mut telemetry = Vec::new();
    for g in groups {
        let mut payload = Vec::new();
        if g.leaves.is_empty() {
            payload.push(Part::Reading(next));
            next += 1;
        } else {
            let mut root = Vec::new();
            for (keys, title) in &g.leaves {
                if insert(&mut root, keys, next) {
                    next += 1;
                } else {
                    note(&mut notes, title, &g.topic, Why::PathConflict);
                }
            }
            emit(&root, &mut payload);
            for title in &g.plain {
                note(&mut notes, title, &g.topic, Why::PlainOnJson);
            }
        }
        telemetry.push(Telemetry {
            titles: g.titles,
            topic: g.topic,
            payload,
        });
    }

    let host = connection
        .host
        .trim_start_matches('[')
        .trim_end_matches(']');
    let preset = PRESETS.iter().find(|p| p.host.eq_ignore_ascii_case(host));
    let lower = host.to_ascii_lowercase();
    let client_id = if connection.client_id.is_empty() {
        "tablero-device".to_owned()
    } else {
        format!("{}-device", connection.client_id)
    };
    Plan {
        dashboard: dashboard.name.clone(),
        host: host.to_owned(),
        port: preset.map_or(1883, |p| p.tcp_port),
        port_known: preset.is_some(),
        loopback: lower == "localhost"
            || lower.ends_with(".localhost")
            || lower.starts_with("127.")
            || lower == "::1"
            || lower == "0.0.0.0",
        public_password: preset
            .and_then(|p| p.public_credentials)
            .filter(|(user, _)| connection.username.as_deref() == Some(*user))
            .map(|(_, password)| password),
        username: connection.username.clone().filter(|u| !u.is_empty()),
        client_id,
        status,
        outputs,
        telemetry,
        notes,
    }
}

/// Why a device cannot publish to `topic`, if it cannot.
fn unpublishable(topic: &str) -> Option<Why> {
    if validate_topic_name(topic).is_err() {
        Some(Why::Filter)
    } else if topic.starts_with('$') {
        Some(Why::Reserved)
    } else {
        None
    }
}

/// The keys of a `$.a.b` path; none for the whole payload; `None` for any other path.
fn simple_path(path: Option<&str>) -> Option<Vec<String>> {
    match path.map(str::trim) {
        None | Some("$") => Some(Vec::new()),
        Some(p) => {
            let keys: Vec<String> = p
                .strip_prefix("$.")?
                .split('.')
                .map(str::to_owned)
                .collect();
            keys.iter()
                .all(|k| !k.is_empty() && !k.contains('['))
                .then_some(keys)
        }
    }
}

fn parent(topic: &str) -> &str {
    topic.rsplit_once('/').map_or("", |(p, _)| p)
}

/// The leading levels `a` and `b` share.
fn common_levels<'a>(a: &'a str, b: &str) -> &'a str {
    let mut end = 0;
    for (i, (x, y)) in a.split('/').zip(b.split('/')).enumerate() {
        if x != y {
            break;
        }
        end += x.len() + usize::from(i > 0);
    }
    &a[..end]
}

fn json_str(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// `value` as a JSON string at `keys` (`{"a":{"b":"on"}}`), or as itself without keys.
fn wrap_json(keys: &[String], value: &str) -> String {
    if keys.is_empty() {
        return value.to_owned();
    }
    let mut out = String::new();
    for k in keys {
        let _ = write!(out, "{{{}:", json_str(k));
    }
    out.push_str(&json_str(value));
    out.push_str(&"}".repeat(keys.len()));
    out
}

enum Node {
    Leaf(usize),
    Object(Vec<(String, Node)>),
}

/// Adds reading `n` at `keys`; false when another leaf is in the way.
fn insert(object: &mut Vec<(String, Node)>, keys: &[String], n: usize) -> bool {
    let Some((key, rest)) = keys.split_first() else {
        return false;
    };
    if let Some((_, node)) = object.iter_mut().find(|(k, _)| k == key) {
        return match node {
            Node::Object(inner) if !rest.is_empty() => insert(inner, rest, n),
            _ => false,
        };
    }
    let node = if rest.is_empty() {
        Node::Leaf(n)
    } else {
        let mut inner = Vec::new();
        insert(&mut inner, rest, n);
        Node::Object(inner)
    };
    object.push((key.clone(), node));
    true
}

fn emit(object: &[(String, Node)], parts: &mut Vec<Part>) {
    let text = |parts: &mut Vec<Part>, s: &str| match parts.last_mut() {
        Some(Part::Text(t)) => t.push_str(s),
        _ => parts.push(Part::Text(s.to_owned())),
    };
    text(parts, "{");
    for (i, (key, node)) in object.iter().enumerate() {
        let comma = if i > 0 { "," } else { "" };
        text(parts, &format!("{comma}{}:", json_str(key)));
        match node {
            Node::Leaf(n) => parts.push(Part::Reading(*n)),
            Node::Object(inner) => emit(inner, parts),
        }
    }
    text(parts, "}");
}

/// A C/C++ string literal of `s`'s UTF-8 bytes. Octal escapes take at most three digits, so
/// unlike `\x` they cannot swallow a following character; `?` after `?` is escaped so no
/// trigraph forms.
fn c_lit(s: &str) -> String {
    let mut out = String::from("\"");
    let mut question = false;
    for b in s.bytes() {
        match b {
            b'"' => out.push_str("\\\""),
            b'\\' => out.push_str("\\\\"),
            b'\n' => out.push_str("\\n"),
            b'\r' => out.push_str("\\r"),
            b'\t' => out.push_str("\\t"),
            b'?' if question => out.push_str("\\?"),
            b' '..=b'~' => out.push(b as char),
            _ => {
                let _ = write!(out, "\\{b:03o}");
            }
        }
        question = b == b'?';
    }
    out.push('"');
    out
}

/// A Python literal of `s`: bytes (`b"..."`, UTF-8 as `\x`), which is what umqtt sends and
/// hands back (its lengths are `len()`, wrong for non-ASCII `str`), or `str` with `\u`.
fn py_lit(s: &str, bytes: bool) -> String {
    let mut out = String::from(if bytes { "b\"" } else { "\"" });
    let mut buf = [0; 4];
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            ' '..='~' => out.push(c),
            _ if bytes => {
                for b in c.encode_utf8(&mut buf).bytes() {
                    let _ = write!(out, "\\x{b:02x}");
                }
            }
            _ if (c as u32) < 0x10000 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            _ => {
                let _ = write!(out, "\\U{:08x}", c as u32);
            }
        }
    }
    out.push('"');
    out
}

/// A title or topic for a comment, quoted: line breaks, control and bidirectional
/// characters become spaces, and the closing quote means no line ends in the user's text
/// (a trailing `\` would splice the next line into a C comment).
fn quote(s: &str) -> String {
    let clean: String = s
        .chars()
        .map(|c| match c {
            '\u{2028}' | '\u{2029}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' => ' ',
            '\u{feff}' => ' ',
            c if c.is_control() => ' ',
            c => c,
        })
        .collect();
    format!("\"{clean}\"")
}

/// The comments, in the reader's language.
struct Words {
    header: &'static str,
    board_c: &'static str,
    board_py: &'static str,
    wifi: &'static str,
    loopback: &'static str,
    port_known: &'static str,
    port_usual: &'static str,
    login: &'static str,
    public_login: &'static str,
    no_login: &'static str,
    client_id: &'static str,
    status: &'static str,
    topics: &'static str,
    note: &'static str,
    pins: &'static str,
    reused: &'static str,
    readings: &'static str,
    echo: &'static str,
    no_state: &'static str,
    every: &'static str,
    buffer: &'static str,
    command: &'static str,
    buffer_reuse: &'static str,
    why: [&'static str; 11],
}

const EN: Words = Words {
    header: "Tablero: firmware for the dashboard",
    board_c: "Board: ESP32 or ESP8266. Library: PubSubClient (by Nick O'Leary), from the Library Manager.",
    board_py: "Board: ESP32 or ESP8266 with MicroPython. Library: umqtt.simple (if missing: import mip; mip.install(\"umqtt.simple\")).",
    wifi: "Your Wi-Fi network and its password.",
    loopback: "To the board, this name is the board itself: write your computer's address on the network (e.g. 192.168.1.20).",
    port_known: "This broker's MQTT port over TCP (the dashboard uses WebSockets; the board speaks plain MQTT).",
    port_usual: "1883 is the broker's usual MQTT port over TCP; yours may differ (the dashboard's port is for WebSockets).",
    login: "The dashboard's password is not copied here: write it.",
    public_login: "The public login this broker documents.",
    no_login: "No login: the dashboard's broker asks for none.",
    client_id: "Not the dashboard's id: two clients with one id throw each other off the broker.",
    status: "online on connecting; if the board vanishes, the broker publishes offline (its will). Both retained.",
    topics: "The dashboard's topics.",
    note: "Note",
    pins: "Outputs, one pin per switch (GPIO 2 is the board's LED; on the ESP8266 it lights on LOW).",
    reused: "no free pin left: change it",
    readings: "Placeholder readings from an analog input: replace them with your sensors.",
    echo: "Each accepted command drives the pin and is echoed on the state topic (retained), so the switch stops showing pending.",
    no_state: "no state echo",
    every: "Telemetry every 5 s; reconnects by itself.",
    buffer: "Room for the longest message (PubSubClient's default is 256 bytes).",
    command: "1 for the on payload, 0 for off, -1 for any other payload or topic.",
    buffer_reuse: "Every command is read before any echo: a publish reuses the buffer topic and payload are in.",
    why: [
        "a filter (+ or #): a device cannot publish to it",
        "starts with $, reserved for the broker",
        "already a switch's topic: not published as telemetry",
        "carries online / offline",
        "the state topic is a command topic: not echoed, or the board would hear itself",
        "only $.a.b JSON paths are filled in: adjust this payload by hand",
        "read as a plain number, but JSON is published there for other widgets",
        "its JSON path collides with another widget's on this topic",
        "a button's topic: this code does not act on it; write what the board should do on a press",
        "an indicator's topic: this code publishes no state there; write what the board should send",
        "a slider's, text input's or colour picker's topic: this code does not act on the value; write what the board should do with it",
    ],
};

const ES: Words = Words {
    header: "Tablero: firmware para el tablero",
    board_c: "Placa: ESP32 o ESP8266. Biblioteca: PubSubClient (de Nick O'Leary), en el gestor de bibliotecas.",
    board_py: "Placa: ESP32 o ESP8266 con MicroPython. Biblioteca: umqtt.simple (si falta: import mip; mip.install(\"umqtt.simple\")).",
    wifi: "Tu red Wi-Fi y su contraseña.",
    loopback: "Para la placa, este nombre es ella misma: escribe la dirección de tu computadora en la red (p. ej. 192.168.1.20).",
    port_known: "El puerto MQTT por TCP de este broker (el tablero usa WebSockets; la placa habla MQTT simple).",
    port_usual: "1883 es el puerto MQTT por TCP usual de un broker; el tuyo puede ser otro (el del tablero es para WebSockets).",
    login: "La contraseña del tablero no se copia aquí: escríbela.",
    public_login: "El usuario y la contraseña públicos que documenta este broker.",
    no_login: "Sin usuario: el broker del tablero no lo pide.",
    client_id: "No es el id del tablero: dos clientes con el mismo id se sacan uno al otro del broker.",
    status: "online al conectarse; si la placa desaparece, el broker publica offline (su última voluntad). Ambos retenidos.",
    topics: "Los tópicos del tablero.",
    note: "Nota",
    pins: "Salidas, un pin por interruptor (el GPIO 2 es el LED de la placa; en el ESP8266 enciende con LOW).",
    reused: "no quedan pines libres: cámbialo",
    readings: "Lecturas de ejemplo de una entrada analógica: cámbialas por tus sensores.",
    echo: "Cada orden aceptada mueve el pin y se repite en el tópico de estado (retenida), así el interruptor deja de estar pendiente.",
    no_state: "sin eco de estado",
    every: "Telemetría cada 5 s; se reconecta sola.",
    buffer: "Espacio para el mensaje más largo (PubSubClient trae 256 bytes).",
    command: "1 para el mensaje de encendido, 0 para el de apagado, -1 para otro mensaje o tópico.",
    buffer_reuse: "Se leen todas las órdenes antes de cualquier eco: publicar reutiliza el búfer de topic y payload.",
    why: [
        "es un filtro (+ o #): una placa no puede publicar ahí",
        "empieza con $, reservado al broker",
        "ya es un tópico de un interruptor: no se publica como telemetría",
        "lleva online / offline",
        "el tópico de estado es un tópico de órdenes: sin eco, o la placa se oiría a sí misma",
        "solo se llenan rutas JSON $.a.b: ajusta este mensaje a mano",
        "se lee como número, pero ahí se publica JSON para otros widgets",
        "su ruta JSON choca con la de otro widget en este tópico",
        "tópico de un botón: este código no actúa sobre él; escribe qué debe hacer la placa al pulsarlo",
        "tópico de un indicador: este código no publica ahí su estado; escribe qué debe enviar la placa",
        "tópico de un deslizador, una entrada de texto o un selector de color: este código no usa el valor; escribe qué debe hacer la placa con él",
    ],
};

fn words(lang: Lang) -> &'static Words {
    match lang {
        Lang::Es => &ES,
        Lang::En => &EN,
    }
}

fn why_text(w: &Words, why: Why) -> &'static str {
    w.why[why as usize]
}

/// Each topic once, as a named constant, in order of first use.
struct Names(Vec<(String, String)>);

impl Names {
    fn new(plan: &Plan) -> Self {
        let mut names = Self(vec![(plan.status.clone(), "TOPIC_STATUS".to_owned())]);
        for (i, o) in plan.outputs.iter().enumerate() {
            names.add(&o.topic, format!("TOPIC_CMD_{}", i + 1));
            if let Some((t, _, _)) = &o.state {
                names.add(t, format!("TOPIC_STATE_{}", i + 1));
            }
        }
        for (i, t) in plan.telemetry.iter().enumerate() {
            names.add(&t.topic, format!("TOPIC_DATA_{}", i + 1));
        }
        names
    }
    fn add(&mut self, topic: &str, name: String) {
        if !self.0.iter().any(|(t, _)| t == topic) {
            self.0.push((topic.to_owned(), name));
        }
    }
    fn of(&self, topic: &str) -> &str {
        self.0
            .iter()
            .find(|(t, _)| t == topic)
            .map_or("TOPIC_STATUS", |(_, n)| n)
    }
}

fn line(out: &mut String, s: &str) {
    out.push_str(s);
    out.push('\n');
}

/// One comment line per note, so what the code does not do for a widget is said beside its topics.
fn notes(out: &mut String, plan: &Plan, w: &Words, mark: &str) {
    for n in &plan.notes {
        line(
            out,
            &format!(
                "{mark} {}: {}, {}: {}.",
                w.note,
                quote(&n.title),
                quote(&n.topic),
                why_text(w, n.why)
            ),
        );
    }
}

impl Output {
    fn comment(&self, w: &Words, mark: &str) -> String {
        match self.state {
            Some(_) => format!("{mark} {}", quote(&self.title)),
            None => format!("{mark} {}: {}", quote(&self.title), w.no_state),
        }
    }
}

fn pin_comment(i: usize, w: &Words) -> String {
    let (pin, label) = ESP8266_PINS[i % ESP8266_PINS.len()];
    let reused = if i >= ESP8266_PINS.len() {
        format!(" ({})", w.reused)
    } else {
        String::new()
    };
    format!(
        "ESP32 GPIO {}, ESP8266 GPIO {pin} ({label}){reused}",
        ESP32_PINS[i % ESP32_PINS.len()]
    )
}

fn titles(titles: &[String]) -> String {
    titles
        .iter()
        .map(|t| quote(t))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The Arduino sketch (ESP32 or ESP8266, PubSubClient).
pub fn arduino(dashboard: &Dashboard, connection: &Connection, lang: Lang) -> String {
    plan(dashboard, connection).arduino(lang)
}

/// The MicroPython script (ESP32 or ESP8266, umqtt.simple).
pub fn micropython(dashboard: &Dashboard, connection: &Connection, lang: Lang) -> String {
    plan(dashboard, connection).micropython(lang)
}

impl Plan {
    fn readings(&self) -> usize {
        self.telemetry
            .iter()
            .flat_map(|t| &t.payload)
            .filter(|p| matches!(p, Part::Reading(_)))
            .count()
    }

    fn port_words<'w>(&self, w: &'w Words) -> &'w str {
        if self.port_known {
            w.port_known
        } else {
            w.port_usual
        }
    }

    fn login_words<'w>(&self, w: &'w Words) -> &'w str {
        match (&self.username, self.public_password) {
            (None, _) => w.no_login,
            (Some(_), Some(_)) => w.public_login,
            (Some(_), None) => w.login,
        }
    }

    /// PubSubClient drops any message longer than its buffer, incoming or outgoing.
    fn buffer_size(&self) -> usize {
        let mut longest = self.status.len() + 7;
        for o in &self.outputs {
            longest = longest.max(o.topic.len() + o.on.len().max(o.off.len()));
            if let Some((t, on, off)) = &o.state {
                longest = longest.max(t.len() + on.len().max(off.len()));
            }
        }
        for t in &self.telemetry {
            let len: usize = t
                .payload
                .iter()
                .map(|p| match p {
                    Part::Text(s) => s.len(),
                    Part::Reading(_) => 16,
                })
                .sum();
            longest = longest.max(t.topic.len() + len);
        }
        (longest + 32).max(256)
    }

    pub fn arduino(&self, lang: Lang) -> String {
        let w = words(lang);
        let names = Names::new(self);
        let mut o = String::new();
        let out = &mut o;
        line(out, &format!("// {} {}", w.header, quote(&self.dashboard)));
        line(out, &format!("// {}", w.board_c));
        line(out, "#if defined(ESP8266)");
        line(out, "#include <ESP8266WiFi.h>");
        line(out, "#else");
        line(out, "#include <WiFi.h>");
        line(out, "#endif");
        line(out, "#include <PubSubClient.h>\n");
        line(out, &format!("// {}", w.wifi));
        line(out, "const char* WIFI_SSID = \"your-wifi\";");
        line(out, "const char* WIFI_PASSWORD = \"your-password\";\n");
        if self.loopback {
            line(out, &format!("// {}", w.loopback));
        }
        line(
            out,
            &format!("const char* MQTT_HOST = {};", c_lit(&self.host)),
        );
        line(out, &format!("// {}", self.port_words(w)));
        line(out, &format!("const uint16_t MQTT_PORT = {};", self.port));
        line(out, &format!("// {}", self.login_words(w)));
        match &self.username {
            Some(user) => {
                line(out, &format!("const char* MQTT_USER = {};", c_lit(user)));
                let password = self.public_password.unwrap_or("your-mqtt-password");
                line(
                    out,
                    &format!("const char* MQTT_PASSWORD = {};", c_lit(password)),
                );
            }
            None => {
                line(out, "const char* MQTT_USER = NULL;");
                line(out, "const char* MQTT_PASSWORD = NULL;");
            }
        }
        line(out, &format!("// {}", w.client_id));
        line(
            out,
            &format!("const char* CLIENT_ID = {};\n", c_lit(&self.client_id)),
        );
        line(out, &format!("// {}", w.topics));
        line(out, &format!("// TOPIC_STATUS: {}", w.status));
        for (topic, name) in &names.0 {
            line(out, &format!("const char* {name} = {};", c_lit(topic)));
        }
        notes(out, self, w, "//");
        out.push('\n');

        if !self.outputs.is_empty() {
            line(out, &format!("// {}", w.pins));
            for (i, o) in self.outputs.iter().enumerate() {
                line(
                    out,
                    &format!(
                        "// SWITCH_PIN_{}: {}, {}",
                        i + 1,
                        pin_comment(i, w),
                        quote(&o.title)
                    ),
                );
            }
            for (branch, esp8266) in [("#if defined(ESP8266)", true), ("#else", false)] {
                line(out, branch);
                for i in 0..self.outputs.len() {
                    let pin = if esp8266 {
                        ESP8266_PINS[i % ESP8266_PINS.len()].0
                    } else {
                        ESP32_PINS[i % ESP32_PINS.len()]
                    };
                    line(out, &format!("const uint8_t SWITCH_PIN_{} = {pin};", i + 1));
                }
            }
            line(out, "#endif\n");
        }

        line(out, "WiFiClient net;");
        line(out, "PubSubClient mqtt(net);");
        line(out, "unsigned long lastTelemetry = 0;\n");

        if self.readings() > 0 {
            line(out, &format!("// {}", w.readings));
            line(out, "String reading(uint8_t n) {");
            line(out, "#if defined(ESP8266)");
            line(out, "  (void)n;");
            line(out, "  float value = analogRead(A0);");
            line(out, "#else");
            line(out, "  const uint8_t ADC_PINS[] = {34, 35, 36, 39};");
            line(out, "  float value = analogRead(ADC_PINS[n % 4]);");
            line(out, "#endif");
            line(out, "  return String(value, 1);");
            line(out, "}\n");
        }

        line(out, &format!("// {}", w.command));
        line(
            out,
            "int command(const char* topic, const byte* payload, unsigned int length, const char* want,",
        );
        line(
            out,
            "            const char* on, unsigned int onSize, const char* off, unsigned int offSize) {",
        );
        line(out, "  if (strcmp(topic, want) != 0) {");
        line(out, "    return -1;");
        line(out, "  }");
        line(
            out,
            "  if (length == onSize && memcmp(payload, on, onSize) == 0) {",
        );
        line(out, "    return 1;");
        line(out, "  }");
        line(
            out,
            "  if (length == offSize && memcmp(payload, off, offSize) == 0) {",
        );
        line(out, "    return 0;");
        line(out, "  }");
        line(out, "  return -1;");
        line(out, "}\n");

        if !self.outputs.is_empty() {
            line(out, &format!("// {}", w.echo));
        }
        for (i, o) in self.outputs.iter().enumerate() {
            let n = i + 1;
            line(out, &o.comment(w, "//"));
            line(out, &format!("void setSwitch{n}(bool on) {{"));
            line(
                out,
                &format!("  digitalWrite(SWITCH_PIN_{n}, on ? HIGH : LOW);"),
            );
            if let Some((topic, on, off)) = &o.state {
                let name = names.of(topic);
                let publish = |p: &str| {
                    format!(
                        "mqtt.publish({name}, (const uint8_t*){}, {}, true);",
                        c_lit(p),
                        p.len()
                    )
                };
                line(out, "  if (on) {");
                line(out, &format!("    {}", publish(on)));
                line(out, "  } else {");
                line(out, &format!("    {}", publish(off)));
                line(out, "  }");
            }
            line(out, "}\n");
        }

        line(
            out,
            "void onMessage(char* topic, byte* payload, unsigned int length) {",
        );
        if !self.outputs.is_empty() {
            line(out, &format!("  // {}", w.buffer_reuse));
        }
        for (i, o) in self.outputs.iter().enumerate() {
            line(
                out,
                &format!(
                    "  int command{} = command(topic, payload, length, {}, {}, {}, {}, {});",
                    i + 1,
                    names.of(&o.topic),
                    c_lit(&o.on),
                    o.on.len(),
                    c_lit(&o.off),
                    o.off.len()
                ),
            );
        }
        for i in 1..=self.outputs.len() {
            line(out, &format!("  if (command{i} >= 0) {{"));
            line(out, &format!("    setSwitch{i}(command{i} == 1);"));
            line(out, "  }");
        }
        line(out, "}\n");

        line(out, "void publishTelemetry() {");
        for t in &self.telemetry {
            line(out, &format!("  // {}", titles(&t.titles)));
            let mut expr = String::new();
            for (i, p) in t.payload.iter().enumerate() {
                if i > 0 {
                    expr.push_str(" + ");
                }
                match p {
                    Part::Text(s) if i == 0 => {
                        let _ = write!(expr, "String({})", c_lit(s));
                    }
                    Part::Text(s) => expr.push_str(&c_lit(s)),
                    Part::Reading(r) => {
                        let _ = write!(expr, "reading({r})");
                    }
                }
            }
            if t.payload.len() > 1 {
                expr = format!("({expr})");
            }
            line(
                out,
                &format!("  mqtt.publish({}, {expr}.c_str());", names.of(&t.topic)),
            );
        }
        line(out, "}\n");

        line(out, "bool connectMqtt() {");
        line(
            out,
            "  if (!mqtt.connect(CLIENT_ID, MQTT_USER, MQTT_PASSWORD, TOPIC_STATUS, 1, true, \"offline\")) {",
        );
        line(out, "    Serial.print(\"MQTT: \");");
        line(out, "    Serial.println(mqtt.state());");
        line(out, "    return false;");
        line(out, "  }");
        line(out, "  mqtt.publish(TOPIC_STATUS, \"online\", true);");
        let mut subscribed: Vec<&str> = Vec::new();
        for o in &self.outputs {
            if !subscribed.contains(&o.topic.as_str()) {
                subscribed.push(&o.topic);
                line(
                    out,
                    &format!("  mqtt.subscribe({}, 1);", names.of(&o.topic)),
                );
            }
        }
        for (i, o) in self.outputs.iter().enumerate() {
            if o.state.is_some() {
                let n = i + 1;
                line(
                    out,
                    &format!("  setSwitch{n}(digitalRead(SWITCH_PIN_{n}) == HIGH);"),
                );
            }
        }
        line(out, "  return true;");
        line(out, "}\n");

        line(out, "void setup() {");
        line(out, "  Serial.begin(115200);");
        for i in 0..self.outputs.len() {
            line(out, &format!("  pinMode(SWITCH_PIN_{}, OUTPUT);", i + 1));
        }
        line(out, "  WiFi.mode(WIFI_STA);");
        line(out, "  WiFi.begin(WIFI_SSID, WIFI_PASSWORD);");
        line(out, "  mqtt.setServer(MQTT_HOST, MQTT_PORT);");
        line(out, "  mqtt.setCallback(onMessage);");
        line(out, &format!("  // {}", w.buffer));
        line(
            out,
            &format!("  mqtt.setBufferSize({});", self.buffer_size()),
        );
        line(out, "}\n");

        line(out, &format!("// {}", w.every));
        line(out, "void loop() {");
        line(out, "  if (WiFi.status() != WL_CONNECTED) {");
        line(out, "    delay(500);");
        line(out, "    return;");
        line(out, "  }");
        line(out, "  if (!mqtt.connected() && !connectMqtt()) {");
        line(out, "    delay(5000);");
        line(out, "    return;");
        line(out, "  }");
        line(out, "  mqtt.loop();");
        line(
            out,
            &format!("  if (millis() - lastTelemetry >= {INTERVAL_MS}) {{"),
        );
        line(out, "    lastTelemetry = millis();");
        line(out, "    publishTelemetry();");
        line(out, "  }");
        line(out, "}");
        o
    }

    pub fn micropython(&self, lang: Lang) -> String {
        let w = words(lang);
        let names = Names::new(self);
        let mut o = String::new();
        let out = &mut o;
        let b = |s: &str| py_lit(s, true);
        line(out, &format!("# {} {}", w.header, quote(&self.dashboard)));
        line(out, &format!("# {}", w.board_py));
        line(out, "import sys");
        line(out, "import time");
        line(out, "import network");
        line(out, "from machine import ADC, Pin");
        line(out, "from umqtt.simple import MQTTClient\n");
        line(out, &format!("# {}", w.wifi));
        line(out, "WIFI_SSID = \"your-wifi\"");
        line(out, "WIFI_PASSWORD = \"your-password\"\n");
        if self.loopback {
            line(out, &format!("# {}", w.loopback));
        }
        line(out, &format!("MQTT_HOST = {}", py_lit(&self.host, false)));
        line(out, &format!("# {}", self.port_words(w)));
        line(out, &format!("MQTT_PORT = {}", self.port));
        line(out, &format!("# {}", self.login_words(w)));
        match &self.username {
            Some(user) => {
                line(out, &format!("MQTT_USER = {}", b(user)));
                let password = self.public_password.unwrap_or("your-mqtt-password");
                line(out, &format!("MQTT_PASSWORD = {}", b(password)));
            }
            None => {
                line(out, "MQTT_USER = None");
                line(out, "MQTT_PASSWORD = None");
            }
        }
        line(out, &format!("# {}", w.client_id));
        line(out, &format!("CLIENT_ID = {}\n", b(&self.client_id)));
        line(out, &format!("# {}", w.topics));
        line(out, &format!("# TOPIC_STATUS: {}", w.status));
        for (topic, name) in &names.0 {
            line(out, &format!("{name} = {}", b(topic)));
        }
        notes(out, self, w, "#");
        out.push('\n');

        line(out, "ESP32 = sys.platform == \"esp32\"");
        if !self.outputs.is_empty() {
            line(out, &format!("# {}", w.pins));
        }
        for (i, o) in self.outputs.iter().enumerate() {
            let esp32 = ESP32_PINS[i % ESP32_PINS.len()];
            let esp8266 = ESP8266_PINS[i % ESP8266_PINS.len()].0;
            let pin = if esp32 == esp8266 {
                esp32.to_string()
            } else {
                format!("{esp32} if ESP32 else {esp8266}")
            };
            line(
                out,
                &format!("# {}, {}", pin_comment(i, w), quote(&o.title)),
            );
            line(out, &format!("SWITCH_PIN_{} = Pin({pin}, Pin.OUT)", i + 1));
        }
        line(out, "client = None\n");

        if self.readings() > 0 {
            line(out, &format!("# {}", w.readings));
            line(out, "if ESP32:");
            line(out, "    ADCS = [ADC(Pin(p)) for p in (34, 35, 36, 39)]");
            line(out, "else:");
            line(out, "    ADCS = [ADC(0)]\n\n");
            line(out, "def reading(n):");
            line(
                out,
                "    return str(ADCS[n % len(ADCS)].read_u16()).encode()\n\n",
            );
        }

        if !self.outputs.is_empty() {
            line(out, &format!("# {}", w.echo));
        }
        for (i, o) in self.outputs.iter().enumerate() {
            let n = i + 1;
            line(out, &o.comment(w, "#"));
            line(out, &format!("def set_switch_{n}(on):"));
            line(out, &format!("    SWITCH_PIN_{n}.value(1 if on else 0)"));
            if let Some((topic, on, off)) = &o.state {
                line(
                    out,
                    &format!(
                        "    client.publish({}, {} if on else {}, True)",
                        names.of(topic),
                        b(on),
                        b(off)
                    ),
                );
            }
            out.push_str("\n\n");
        }

        line(out, "def on_message(topic, msg):");
        if self.outputs.is_empty() {
            line(out, "    pass");
        }
        for (i, o) in self.outputs.iter().enumerate() {
            let n = i + 1;
            line(out, &format!("    if topic == {}:", names.of(&o.topic)));
            line(out, &format!("        if msg == {}:", b(&o.on)));
            line(out, &format!("            set_switch_{n}(True)"));
            line(out, &format!("        elif msg == {}:", b(&o.off)));
            line(out, &format!("            set_switch_{n}(False)"));
        }
        out.push_str("\n\n");

        line(out, "def publish_telemetry():");
        if self.telemetry.is_empty() {
            line(out, "    pass");
        }
        for t in &self.telemetry {
            line(out, &format!("    # {}", titles(&t.titles)));
            let expr: Vec<String> = t
                .payload
                .iter()
                .map(|p| match p {
                    Part::Text(s) => b(s),
                    Part::Reading(r) => format!("reading({r})"),
                })
                .collect();
            line(
                out,
                &format!(
                    "    client.publish({}, {})",
                    names.of(&t.topic),
                    expr.join(" + ")
                ),
            );
        }
        out.push_str("\n\n");

        line(out, "def connect():");
        line(out, "    wlan = network.WLAN(network.STA_IF)");
        line(out, "    wlan.active(True)");
        line(out, "    if not wlan.isconnected():");
        line(out, "        wlan.connect(WIFI_SSID, WIFI_PASSWORD)");
        line(out, "        while not wlan.isconnected():");
        line(out, "            time.sleep_ms(500)");
        line(
            out,
            "    c = MQTTClient(CLIENT_ID, MQTT_HOST, port=MQTT_PORT, user=MQTT_USER, password=MQTT_PASSWORD, keepalive=60)",
        );
        line(out, "    c.set_callback(on_message)");
        line(
            out,
            "    c.set_last_will(TOPIC_STATUS, b\"offline\", retain=True, qos=1)",
        );
        line(out, "    c.connect()");
        line(out, "    c.publish(TOPIC_STATUS, b\"online\", True)");
        line(out, "    return c\n\n");

        line(out, &format!("# {}", w.every));
        line(out, "last = time.ticks_ms()");
        line(out, "while True:");
        line(out, "    try:");
        line(out, "        if client is None:");
        line(out, "            client = connect()");
        // Subscribed once `client` is set: umqtt hands over retained commands while it
        // waits for SUBACK, and their echo publishes through `client`.
        let mut subscribed: Vec<&str> = Vec::new();
        for o in &self.outputs {
            if !subscribed.contains(&o.topic.as_str()) {
                subscribed.push(&o.topic);
                line(
                    out,
                    &format!("            client.subscribe({}, 1)", names.of(&o.topic)),
                );
            }
        }
        for (i, o) in self.outputs.iter().enumerate() {
            if o.state.is_some() {
                let n = i + 1;
                line(
                    out,
                    &format!("            set_switch_{n}(SWITCH_PIN_{n}.value() == 1)"),
                );
            }
        }
        line(out, "        client.check_msg()");
        line(
            out,
            &format!("        if time.ticks_diff(time.ticks_ms(), last) >= {INTERVAL_MS}:"),
        );
        line(out, "            last = time.ticks_ms()");
        line(out, "            publish_telemetry()");
        line(out, "            client.ping()");
        line(out, "        time.sleep_ms(50)");
        line(out, "    except Exception as e:");
        line(out, "        print(\"MQTT:\", e)");
        line(out, "        client = None");
        line(out, "        time.sleep(5)");
        o
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{
        Binding, ChartConfig, GaugeConfig, MqttVersion, Qos, Scheme, Series, SwitchConfig,
        ValueConfig, Widget, demo_config,
    };

    /// A C/C++ source as the compiler's first phases see it: the code outside comments and
    /// literals (backslash-newline splices a line comment onto the next line, as in C), and
    /// every string literal decoded to bytes.
    fn scan_c(src: &str) -> (String, Vec<Vec<u8>>) {
        let b = src.as_bytes();
        let (mut code, mut lits) = (String::new(), Vec::new());
        let mut i = 0;
        while i < b.len() {
            match b[i] {
                b'/' if b.get(i + 1) == Some(&b'/') => {
                    while i < b.len() && b[i] != b'\n' {
                        i += if b[i] == b'\\' && b.get(i + 1) == Some(&b'\n') {
                            2
                        } else {
                            1
                        };
                    }
                }
                b'/' if b.get(i + 1) == Some(&b'*') => {
                    let end = src[i + 2..].find("*/").expect("unclosed /* comment");
                    i += end + 4;
                }
                q @ (b'"' | b'\'') => {
                    let mut lit = Vec::new();
                    i += 1;
                    loop {
                        let c = b[i];
                        assert!(c != b'\n', "line break inside a literal");
                        assert!(c.is_ascii(), "raw non-ASCII inside a literal");
                        i += 1;
                        if c == q {
                            break;
                        }
                        if c != b'\\' {
                            lit.push(c);
                            continue;
                        }
                        let e = b[i];
                        i += 1;
                        match e {
                            b'n' => lit.push(b'\n'),
                            b'r' => lit.push(b'\r'),
                            b't' => lit.push(b'\t'),
                            b'\\' | b'"' | b'\'' | b'?' => lit.push(e),
                            b'0'..=b'7' => {
                                let mut v = u32::from(e - b'0');
                                for _ in 0..2 {
                                    match b[i] {
                                        d @ b'0'..=b'7' => {
                                            v = v * 8 + u32::from(d - b'0');
                                            i += 1;
                                        }
                                        _ => break,
                                    }
                                }
                                lit.push(u8::try_from(v).expect("octal escape over 255"));
                            }
                            other => panic!("escape \\{} not expected", other as char),
                        }
                    }
                    if q == b'"' {
                        lits.push(lit);
                    }
                    code.push(' ');
                }
                _ => {
                    let ch = src[i..].chars().next().unwrap();
                    code.push(ch);
                    i += ch.len_utf8();
                }
            }
        }
        (code, lits)
    }

    /// The same for Python: code outside comments and literals, and the literals (`b"..."`
    /// as bytes, `"..."` as UTF-8).
    fn scan_py(src: &str) -> (String, Vec<Vec<u8>>) {
        let mut code = String::new();
        let mut lits = Vec::new();
        let mut chars = src.chars().peekable();
        while let Some(c) = chars.next() {
            match c {
                '#' => {
                    for c in chars.by_ref() {
                        if c == '\n' {
                            code.push('\n');
                            break;
                        }
                    }
                }
                '"' => {
                    let bytes = code.ends_with('b');
                    if bytes {
                        code.pop();
                    }
                    let mut lit = Vec::new();
                    loop {
                        let c = chars.next().expect("unclosed literal");
                        assert!(c != '\n' && c != '\r', "line break inside a literal");
                        assert!(c.is_ascii(), "raw non-ASCII inside a literal");
                        if c == '"' {
                            break;
                        }
                        if c != '\\' {
                            lit.push(c as u8);
                            continue;
                        }
                        let hex = |chars: &mut std::iter::Peekable<std::str::Chars>, n| {
                            let h: String = chars.take(n).collect();
                            u32::from_str_radix(&h, 16).unwrap()
                        };
                        match chars.next().unwrap() {
                            'n' => lit.push(b'\n'),
                            'r' => lit.push(b'\r'),
                            't' => lit.push(b'\t'),
                            e @ ('\\' | '"') => lit.push(e as u8),
                            'x' if bytes => lit.push(hex(&mut chars, 2) as u8),
                            e @ ('x' | 'u' | 'U') if !bytes => {
                                let n = match e {
                                    'x' => 2,
                                    'u' => 4,
                                    _ => 8,
                                };
                                let c = char::from_u32(hex(&mut chars, n)).unwrap();
                                lit.extend(c.to_string().bytes());
                            }
                            other => panic!("escape \\{other} not expected"),
                        }
                    }
                    lits.push(lit);
                    code.push(' ');
                }
                c => code.push(c),
            }
        }
        (code, lits)
    }

    fn balanced(code: &str) {
        let mut stack = Vec::new();
        for c in code.chars() {
            match c {
                '(' | '{' | '[' => stack.push(c),
                ')' | '}' | ']' => {
                    let open = stack.pop().unwrap_or_else(|| panic!("{c} closes nothing"));
                    assert_eq!(
                        open,
                        match c {
                            ')' => '(',
                            '}' => '{',
                            _ => '[',
                        },
                        "{open} closed by {c}"
                    );
                }
                _ => {}
            }
        }
        assert!(stack.is_empty(), "unclosed {stack:?}");
    }

    /// Indents of four, deeper only after a line ending in `:`, and a `:` line followed by
    /// a deeper one.
    fn sane_indentation(code: &str) {
        let lines: Vec<&str> = code.lines().filter(|l| !l.trim().is_empty()).collect();
        let indent = |l: &str| l.len() - l.trim_start().len();
        for (i, l) in lines.iter().enumerate() {
            assert!(!l.contains('\t'), "tab in {l:?}");
            assert_eq!(indent(l) % 4, 0, "{l:?}");
            let Some(next) = lines.get(i + 1) else {
                assert!(!l.trim_end().ends_with(':'), "{l:?} ends the script");
                continue;
            };
            if l.trim_end().ends_with(':') {
                assert_eq!(indent(next), indent(l) + 4, "{l:?} then {next:?}");
            } else {
                assert!(indent(next) <= indent(l), "{l:?} then {next:?}");
            }
        }
    }

    fn text(lits: &[Vec<u8>]) -> Vec<String> {
        lits.iter()
            .map(|l| String::from_utf8(l.clone()).expect("a literal is UTF-8"))
            .collect()
    }

    fn count(lits: &[String], s: &str) -> usize {
        lits.iter().filter(|l| *l == s).count()
    }

    /// Checks both programs of `plan`'s dashboard: structure, each topic declared once (and
    /// no other topic), every payload present, and everything else from a known list.
    fn check(
        dash: &Dashboard,
        conn: &Connection,
        topics: &[&str],
        payloads: &[&str],
    ) -> (String, String) {
        let plan = plan(dash, conn);
        let mut allowed: Vec<String> = [
            "your-wifi",
            "your-password",
            "your-mqtt-password",
            "online",
            "offline",
            "MQTT: ",
            "MQTT:",
            "esp32",
        ]
        .map(str::to_owned)
        .to_vec();
        allowed.extend([plan.host.clone(), plan.client_id.clone()]);
        allowed.extend(plan.username.clone());
        allowed.extend(plan.public_password.map(str::to_owned));
        allowed.extend(topics.iter().chain(payloads).map(|s| (*s).to_owned()));
        for t in &plan.telemetry {
            for p in &t.payload {
                if let Part::Text(s) = p {
                    allowed.push(s.clone());
                }
            }
        }
        let mut sources = Vec::new();
        for lang in [Lang::Es, Lang::En] {
            let c = arduino(dash, conn, lang);
            let py = micropython(dash, conn, lang);
            let (c_code, c_lits) = scan_c(&c);
            balanced(&c_code);
            let (py_code, py_lits) = scan_py(&py);
            balanced(&py_code);
            sane_indentation(&py_code);
            for (src, lits) in [(&c, text(&c_lits)), (&py, text(&py_lits))] {
                for t in topics {
                    assert_eq!(count(&lits, t), 1, "topic {t:?} once in\n{src}");
                }
                for p in payloads {
                    assert!(count(&lits, p) >= 1, "payload {p:?} in\n{src}");
                }
                for l in &lits {
                    assert!(allowed.contains(l), "unexpected literal {l:?} in\n{src}");
                }
                for l in src.lines() {
                    let l = l.trim_end();
                    assert!(!l.ends_with('\\') && !l.ends_with("??/"), "{l:?}");
                }
            }
            // Each command topic is subscribed once, through its one constant.
            let names = Names::new(&plan);
            let mut commands: Vec<&str> = plan.outputs.iter().map(|o| o.topic.as_str()).collect();
            commands.dedup();
            for t in &commands {
                let name = names.of(t);
                assert_eq!(c.matches(&format!("mqtt.subscribe({name}, 1)")).count(), 1);
                assert_eq!(
                    py.matches(&format!("client.subscribe({name}, 1)")).count(),
                    1
                );
            }
            assert_eq!(c.matches("mqtt.subscribe(").count(), commands.len());
            assert_eq!(py.matches(".subscribe(").count(), commands.len());
            sources.push((c, py));
        }
        sources.pop().unwrap()
    }

    fn binding(topic: &str, path: Option<&str>) -> Binding {
        Binding {
            topic: topic.into(),
            json_path: path.map(str::to_owned),
            scale: 1.0,
            offset: 0.0,
            qos: Qos::AtMostOnce,
        }
    }

    fn gauge(title: &str, topic: &str, path: Option<&str>) -> Widget {
        Widget {
            id: title.into(),
            title: title.into(),
            kind: WidgetKind::Gauge(GaugeConfig {
                binding: binding(topic, path),
                min: 0.0,
                max: 100.0,
                unit: String::new(),
                decimals: 1,
                bands: Vec::new(),
            }),
        }
    }

    fn value(title: &str, topic: &str, path: Option<&str>) -> Widget {
        Widget {
            id: title.into(),
            title: title.into(),
            kind: WidgetKind::Value(ValueConfig {
                binding: binding(topic, path),
                unit: String::new(),
                decimals: None,
                stale_after_secs: 0,
                map: Vec::new(),
                bands: Vec::new(),
            }),
        }
    }

    fn switch(title: &str, command: &str, state: Option<&str>, on: &str, off: &str) -> Widget {
        Widget {
            id: title.into(),
            title: title.into(),
            kind: WidgetKind::Switch(SwitchConfig {
                command_topic: command.into(),
                on_payload: on.into(),
                off_payload: off.into(),
                state_topic: state.map(str::to_owned),
                state_on: on.into(),
                state_off: off.into(),
                json_path: None,
                qos: Qos::AtLeastOnce,
                retain: false,
                confirm_timeout_ms: 5000,
                expiry_secs: 10,
                icon: String::new(),
                response_topic: None,
            }),
        }
    }

    fn connection(host: &str) -> Connection {
        Connection {
            id: "c".into(),
            name: "c".into(),
            preset: None,
            scheme: Scheme::Wss,
            host: host.into(),
            port: 8884,
            path: "/mqtt".into(),
            username: None,
            password: None,
            remember_password: false,
            client_id: "tablero-abc".into(),
            mqtt_version: MqttVersion::Auto,
            keep_alive_secs: 30,
            clean_start: true,
            session_expiry_secs: 0,
            will: None,
        }
    }

    fn dashboard(widgets: Vec<Widget>) -> Dashboard {
        Dashboard {
            id: "d".into(),
            name: "Casa".into(),
            connection: "c".into(),
            widgets,
        }
    }

    #[test]
    fn the_demo_plays_tablero_device() {
        for lang in [Lang::Es, Lang::En] {
            let config = demo_config(
                "tablero-1".into(),
                "localhost".into(),
                9001,
                "/".into(),
                lang,
            );
            let (dash, conn) = (&config.dashboards[0], &config.connections[0]);
            let p = plan(dash, conn);
            assert_eq!(p.status, "tablero/demo/status", "as `tablero device` does");
            assert_eq!((p.port, p.port_known, p.loopback), (1883, false, true));
            assert_eq!(p.client_id, "tablero-1-device");
            assert_eq!(p.notes, vec![]);
            let topics: Vec<&str> = p.telemetry.iter().map(|t| t.topic.as_str()).collect();
            assert_eq!(
                topics,
                [
                    "tablero/demo/temperature",
                    "tablero/demo/sensors",
                    "tablero/demo/light"
                ]
            );
            assert_eq!(
                p.telemetry[1].payload,
                [
                    Part::Text("{\"humidity\":".into()),
                    Part::Reading(1),
                    Part::Text("}".into())
                ]
            );
            let (c, py) = check(
                dash,
                conn,
                &[
                    "tablero/demo/status",
                    "tablero/demo/relay/set",
                    "tablero/demo/relay/state",
                    "tablero/demo/temperature",
                    "tablero/demo/sensors",
                    "tablero/demo/light",
                ],
                &["on", "off"],
            );
            assert!(c.contains("const uint16_t MQTT_PORT = 1883;"));
            assert!(c.contains("mqtt.setBufferSize(256);"));
            assert!(c.contains("const uint8_t SWITCH_PIN_1 = 2;"));
            assert!(c.contains("mqtt.publish(TOPIC_STATE_1, (const uint8_t*)\"on\", 2, true);"));
            assert!(c.contains("String(\"{\\\"humidity\\\":\") + reading(1) + \"}\""));
            assert!(py.contains("SWITCH_PIN_1 = Pin(2, Pin.OUT)"));
            assert!(
                py.contains("client.publish(TOPIC_STATE_1, b\"on\" if on else b\"off\", True)")
            );
            assert!(py.contains("c.set_last_will(TOPIC_STATUS, b\"offline\", retain=True, qos=1)"));
        }
        let es = demo_config("t".into(), "localhost".into(), 9001, "/".into(), Lang::Es);
        let c = arduino(&es.dashboards[0], &es.connections[0], Lang::Es);
        assert!(c.contains("// \"Relevador\""), "{c}");
        assert!(
            c.contains("Tu red Wi-Fi"),
            "comments in the reader's language"
        );
    }

    /// Several switches (one optimistic, two on one command topic, one whose state is its
    /// command topic), JSON paths sharing a topic, a filter, a `$` topic, a status widget.
    fn hand_made() -> Dashboard {
        let mut json_state = switch("Fan", "home/fan/cmd", Some("home/fan/state"), "1", "0");
        if let WidgetKind::Switch(s) = &mut json_state.kind {
            s.json_path = Some("$.power.on".into());
            s.state_on = "yes".into();
            s.state_off = "no".into();
        }
        dashboard(vec![
            switch(
                "Lamp",
                "home/lamp/set",
                Some("home/lamp/state"),
                "ON",
                "OFF",
            ),
            switch("Door", "home/door/set", None, "open", "close"),
            switch("Door too", "home/door/set", None, "open", "shut"),
            switch("Echo", "home/echo", Some("home/echo"), "on", "off"),
            json_state,
            gauge("Temp", "home/env", Some("$.t.c")),
            value("Hum", "home/env", Some("$.h")),
            gauge("Also temp", "home/env", Some("$.t.c")),
            value("Raw env", "home/env", None),
            value("Bad path", "home/env", Some("$.t.c.d")),
            value("Indexed", "home/list", Some("$[0]")),
            value("Rooms", "home/+/temp", None),
            value("Everything", "home/#", None),
            value("Broker", "$SYS/broker/uptime", None),
            value("Online", "home/status", None),
            value("Lamp again", "home/lamp/state", None),
            Widget {
                id: "chart".into(),
                title: "Power".into(),
                kind: WidgetKind::Chart(ChartConfig {
                    series: vec![
                        Series {
                            label: "a".into(),
                            binding: binding("home/power", None),
                            color: "#000".into(),
                        },
                        Series {
                            label: "b".into(),
                            binding: binding("home/power", None),
                            color: "#000".into(),
                        },
                    ],
                    window_secs: 60,
                    max_points: 100,
                    unit: String::new(),
                    min: None,
                    max: None,
                }),
            },
        ])
    }

    #[test]
    fn a_hand_made_dashboard_has_exactly_its_topics_and_payloads() {
        let mut conn = connection("broker.hivemq.com");
        conn.username = Some("student".into());
        conn.password = Some("hunter2-SECRET".into());
        conn.remember_password = true;
        let dash = hand_made();
        let p = plan(&dash, &conn);
        assert_eq!(p.status, "home/status", "the dashboard's own status topic");
        assert_eq!((p.port, p.port_known), (1883, true));
        let why: Vec<(&str, Why)> = p.notes.iter().map(|n| (n.title.as_str(), n.why)).collect();
        assert_eq!(
            why,
            [
                ("Echo", Why::EchoLoop),
                ("Indexed", Why::NotSimplePath),
                ("Rooms", Why::Filter),
                ("Everything", Why::Filter),
                ("Broker", Why::Reserved),
                ("Online", Why::Status),
                ("Lamp again", Why::Taken),
                ("Bad path", Why::PathConflict),
                ("Raw env", Why::PlainOnJson),
            ]
        );
        let env = p.telemetry.iter().find(|t| t.topic == "home/env").unwrap();
        assert_eq!(
            env.payload,
            [
                Part::Text("{\"t\":{\"c\":".into()),
                Part::Reading(0),
                Part::Text("},\"h\":".into()),
                Part::Reading(1),
                Part::Text("}".into()),
            ]
        );
        let (c, py) = check(
            &dash,
            &conn,
            &[
                "home/status",
                "home/lamp/set",
                "home/lamp/state",
                "home/door/set",
                "home/echo",
                "home/fan/cmd",
                "home/fan/state",
                "home/env",
                "home/list",
                "home/power",
            ],
            &[
                "ON",
                "OFF",
                "open",
                "close",
                "shut",
                "on",
                "off",
                "1",
                "0",
                "{\"power\":{\"on\":\"yes\"}}",
                "{\"power\":{\"on\":\"no\"}}",
            ],
        );
        for src in [&c, &py] {
            assert!(
                !src.contains("hunter2"),
                "the saved password leaked:\n{src}"
            );
            assert!(src.contains("your-mqtt-password"));
            assert!(src.contains("\"student\""));
        }
        // Wildcards and `$` topics are named in comments only, never published.
        for skipped in ["home/+/temp", "home/#", "$SYS/broker/uptime"] {
            assert!(
                c.contains(&format!("\"{skipped}\": ")),
                "{skipped} said in a comment"
            );
            let (code, lits) = scan_c(&c);
            assert!(!code.contains(skipped));
            assert_eq!(count(&text(&lits), skipped), 0);
        }
        assert!(c.contains("  setSwitch1(digitalRead(SWITCH_PIN_1) == HIGH);"));
        assert!(
            !c.contains("setSwitch2(digitalRead"),
            "an optimistic switch echoes nothing"
        );
        assert!(
            !c.contains("setSwitch4(digitalRead"),
            "no echo onto a command topic"
        );
    }

    /// Titles that try to close a comment, break its line, splice the next one or reorder it
    /// on screen; topics and payloads with quotes, backslashes, controls, NUL, non-ASCII and
    /// trigraphs.
    const EVIL_TITLE: &str = "*/ EVIL(); /* \n EVIL();\r\n#include <EVIL>\u{2028}EVIL\u{202e} \\";
    const EVIL_TOPIC: &str = "a/\"q\\uo\te\"/é ü/\u{1F600}??=/x\ny\u{7f}";
    const EVIL_ON: &str = "\"on\\\"; EVIL(); \\";
    const EVIL_OFF: &str = "\u{1}off\u{0}é??/";

    fn hostile() -> (Dashboard, Connection) {
        let (evil_title, evil_topic) = (EVIL_TITLE, EVIL_TOPIC);
        let mut sw = switch(
            evil_title,
            &format!("{evil_topic}/set"),
            None,
            EVIL_ON,
            EVIL_OFF,
        );
        if let WidgetKind::Switch(s) = &mut sw.kind {
            s.state_topic = Some(format!("{evil_topic}/state"));
            s.state_on = "\u{0}1".into();
            s.state_off = "off".into();
            s.json_path = Some("$.k\"ey\\.x\u{1}".into());
        }
        let mut dash = dashboard(vec![
            sw,
            gauge(evil_title, evil_topic, Some("$.\"}EVIL{.b")),
            value("\\", "x/y", None),
        ]);
        dash.name = evil_title.into();
        let mut conn = connection("mqtt.example");
        conn.client_id = "id\"EVIL\\".into();
        conn.username = Some("u\"EVIL\n".into());
        (dash, conn)
    }

    #[test]
    fn hostile_text_stays_in_literals_and_comments() {
        let (dash, conn) = hostile();
        let (evil_topic, on, off) = (EVIL_TOPIC, EVIL_ON, EVIL_OFF);
        let state_on = "{\"k\\\"ey\\\\\":{\"x\\u0001\":\"\\u00001\"}}";
        let state_off = "{\"k\\\"ey\\\\\":{\"x\\u0001\":\"off\"}}";
        let (c, py) = check(
            &dash,
            &conn,
            &[
                "a/\"q\\uo\te\"/é ü/\u{1F600}??=/x\ny\u{7f}/status",
                &format!("{evil_topic}/set"),
                &format!("{evil_topic}/state"),
                evil_topic,
                "x/y",
            ],
            &[on, off, state_on, state_off],
        );
        let (code, _) = scan_c(&c);
        assert!(!code.contains("EVIL"), "{code}");
        let (code, _) = scan_py(&py);
        assert!(!code.contains("EVIL"), "{code}");
        assert!(c.contains("?\\?=/") && !c.contains("??="), "no trigraph");
        assert!(python_constants(&py).is_none_or(|lits| {
            let wanted = [evil_topic.as_bytes(), on.as_bytes(), off.as_bytes()];
            wanted.iter().all(|w| lits.iter().any(|l| l == w))
        }));
    }

    /// Every string and bytes constant of `src` as Python itself parses them, or `None`
    /// where there is no `python3` (the Rust-side reader above still ran).
    fn python_constants(src: &str) -> Option<Vec<Vec<u8>>> {
        use std::io::Write as _;
        use std::process::{Command, Stdio};
        const READ: &str = "import ast, sys\n\
            tree = ast.parse(sys.stdin.buffer.read().decode('utf-8'))\n\
            for n in ast.walk(tree):\n\
            \x20   if isinstance(n, ast.Constant) and isinstance(n.value, (str, bytes)):\n\
            \x20       v = n.value if isinstance(n.value, bytes) else n.value.encode('utf-8', 'surrogatepass')\n\
            \x20       print(v.hex())\n";
        let mut child = Command::new("python3")
            .args(["-c", READ])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .ok()?;
        child
            .stdin
            .take()
            .unwrap()
            .write_all(src.as_bytes())
            .unwrap();
        let out = child.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "python3 refused the script: {}\n{src}",
            String::from_utf8_lossy(&out.stderr)
        );
        let hex = String::from_utf8(out.stdout).unwrap();
        Some(
            hex.lines()
                .map(|h| {
                    (0..h.len())
                        .step_by(2)
                        .map(|i| u8::from_str_radix(&h[i..i + 2], 16).unwrap())
                        .collect()
                })
                .collect(),
        )
    }

    #[test]
    fn python_parses_every_script_and_reads_the_same_literals() {
        let demo = demo_config("t".into(), "localhost".into(), 9001, "/".into(), Lang::Es);
        let cases = [
            (demo.dashboards[0].clone(), demo.connections[0].clone()),
            (hand_made(), connection("public.cloud.shiftr.io")),
            (dashboard(Vec::new()), connection("10.0.0.2")),
            hostile(),
        ];
        for (dash, conn) in cases {
            for lang in [Lang::Es, Lang::En] {
                let py = micropython(&dash, &conn, lang);
                let Some(mut theirs) = python_constants(&py) else {
                    eprintln!("no python3: skipped");
                    return;
                };
                let mut ours = scan_py(&py).1;
                theirs.sort();
                ours.sort();
                assert_eq!(theirs, ours, "{py}");
            }
        }
    }

    #[test]
    fn an_empty_dashboard_still_connects_with_a_will() {
        let dash = dashboard(Vec::new());
        let conn = connection("10.0.0.2");
        let p = plan(&dash, &conn);
        assert_eq!(p.status, "tablero/status");
        check(&dash, &conn, &["tablero/status"], &[]);
        let py = micropython(&dash, &conn, Lang::En);
        assert!(py.contains("def on_message(topic, msg):\n    pass\n"));
        assert!(!py.contains("def reading"), "no readings, no ADC");
    }

    #[test]
    fn the_status_topic_sits_beside_the_topics_and_never_on_a_switchs() {
        let p = |widgets| plan(&dashboard(widgets), &connection("h"));
        let lamp = || switch("L", "home/lamp/set", Some("home/lamp/status"), "on", "off");
        assert_eq!(p(vec![lamp()]).status, "home/lamp/device/status");
        assert_eq!(
            p(vec![lamp(), gauge("T", "home/kitchen/t", None)]).status,
            "home/status"
        );
        assert_eq!(
            p(vec![gauge("T", "a/t", None), gauge("U", "b/u", None)]).status,
            "a/status",
            "nothing shared: the first topic's prefix"
        );
        assert_eq!(p(vec![gauge("T", "t", None)]).status, "tablero/status");
        assert_eq!(
            p(vec![
                gauge("T", "x/+/t", None),
                value("S", "y/status", None)
            ])
            .status,
            "y/status"
        );
    }

    #[test]
    fn logins_ports_and_hosts() {
        let dash = dashboard(vec![gauge("T", "a/t", None)]);
        let mut conn = connection("public.cloud.shiftr.io");
        conn.username = Some("public".into());
        conn.password = Some("public".into());
        let p = plan(&dash, &conn);
        assert_eq!(
            p.public_password,
            Some("public"),
            "the documented public login"
        );
        assert!(
            arduino(&dash, &conn, Lang::En).contains("The public login this broker documents.")
        );
        conn.username = Some("me".into());
        conn.password = Some("mine".into());
        let p = plan(&dash, &conn);
        assert_eq!(p.public_password, None);
        for src in [
            arduino(&dash, &conn, Lang::En),
            micropython(&dash, &conn, Lang::Es),
        ] {
            assert!(!src.contains("mine"), "{src}");
        }

        let mut conn = connection("[::1]");
        conn.port = 9001;
        let p = plan(&dash, &conn);
        assert_eq!(
            (p.host.as_str(), p.port, p.port_known, p.loopback),
            ("::1", 1883, false, true)
        );
        let c = arduino(&dash, &conn, Lang::En);
        assert!(c.contains("1883 is the broker's usual MQTT port over TCP; yours may differ"));
        assert!(c.contains("To the board, this name is the board itself"));
        let c = arduino(&dash, &connection("TEST.mosquitto.org"), Lang::Es);
        assert!(c.contains("El puerto MQTT por TCP de este broker"));
        assert!(!c.contains("192.168"), "a public broker is not a loopback");
    }

    #[test]
    fn many_switches_reuse_pins_and_say_so() {
        let widgets = (0..20)
            .map(|i| switch(&format!("S{i}"), &format!("s/{i}"), None, "on", "off"))
            .collect();
        let dash = dashboard(widgets);
        let c = arduino(&dash, &connection("h"), Lang::En);
        let (code, _) = scan_c(&c);
        balanced(&code);
        assert!(
            c.contains("const uint8_t SWITCH_PIN_9 = 2;"),
            "ESP8266 wraps after 8"
        );
        assert!(c.contains("no free pin left"));
        assert_eq!(c.matches("mqtt.subscribe(").count(), 20);
    }

    #[test]
    fn literals_and_comments_escape_what_they_must() {
        assert_eq!(c_lit("a\"b\\c"), r#""a\"b\\c""#);
        assert_eq!(c_lit("??=??/?"), r#""?\?=?\?/?""#);
        assert_eq!(c_lit("\u{0}1é\n"), r#""\0001\303\251\n""#);
        assert_eq!(
            py_lit("é\u{0}\u{1F600}", true),
            r#"b"\xc3\xa9\x00\xf0\x9f\x98\x80""#
        );
        assert_eq!(
            py_lit("é\u{0}\u{1F600}", false),
            r#""\u00e9\u0000\U0001f600""#
        );
        assert_eq!(quote("a\n*/b\u{202e}\\"), "\"a */b \\\"");
        assert_eq!(json_str("q\"\\\u{1}"), r#""q\"\\\u0001""#);
        assert_eq!(
            simple_path(Some("$.a.b")),
            Some(vec!["a".into(), "b".into()])
        );
        assert_eq!(simple_path(Some("$")), Some(vec![]));
        assert_eq!(simple_path(Some("$.a[0]")), None);
        assert_eq!(simple_path(Some("$['a']")), None);
        assert_eq!(common_levels("a/b/c", "a/b/d"), "a/b");
        assert_eq!(common_levels("a/bc", "a/b"), "a");
        assert_eq!(common_levels("x", "y"), "");
    }
}
