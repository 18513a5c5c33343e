//! The in-page demo device: the `demo-device` crate's behaviour (the same topics, commands
//! and readings as `tablero device`) over a second broker link inside the page, so a first
//! visit on a public broker has something alive to show with nothing installed.
//!
//! It is a peer of the dashboard, not part of it: it has its own client id and session, and
//! reaches the dashboard only through the broker, exactly as an ESP32 would. Its code is
//! reached only from the demo bar's split point (`pages::demo`), so it is not in the first
//! load.

use std::cell::{Cell, OnceCell, RefCell};
use std::collections::BTreeMap;
use std::rc::{Rc, Weak};

use demo_device::{
    ACTUATORS, Actuators, OFFLINE, ONLINE, Simulation, command_filter, command_target, state_topic,
    status_topic,
};
use gloo_timers::callback::Interval;
use leptos::prelude::*;
use mqtt_session::{LastWill, QoS};

use crate::browser::random;
use crate::config::{Connection, random_client_id};
use crate::mqtt::link::{BrokerLink, LinkSettings, LinkStatus};

/// Telemetry every second, as `tablero device` does by default.
const TELEMETRY_MS: u32 = 1_000;

/// A running device. Dropping it says `offline` on the status topic (retained, what the will
/// would say) and closes its connection.
pub struct InPageDevice {
    link: Rc<BrokerLink>,
    prefix: String,
    _telemetry: Interval,
}

impl InPageDevice {
    /// Starts the device on the broker of `connection` (with its credentials), its topics
    /// under `prefix`.
    pub fn start(connection: &Connection, password: Option<String>, prefix: &str) -> Self {
        let mut options = crate::runtime::session_options(connection, password);
        options.client_id = random_client_id(random);
        options.clean_start = true;
        options.session_expiry_interval = 0;
        options.will = Some(LastWill {
            topic: status_topic(prefix),
            payload: OFFLINE.as_bytes().to_vec().into(),
            qos: QoS::AtLeastOnce,
            retain: true,
            delay_interval: 0,
            properties: Default::default(),
        });
        let settings = LinkSettings {
            url: connection.url(),
            options,
            auto: false,
        };
        let me: Rc<OnceCell<Weak<BrokerLink>>> = Rc::default();
        let actuators = Rc::new(Cell::new(Actuators::default()));
        let on_message = {
            let (me, actuators, prefix) = (me.clone(), actuators.clone(), prefix.to_owned());
            move |m: &mqtt_session::Message| {
                let Some(name) = command_target(&prefix, &m.topic) else {
                    return;
                };
                let mut now = actuators.get();
                // A command the device does not understand is ignored, as on the CLI.
                if now.apply(name, &m.payload).is_ok() {
                    actuators.set(now);
                    if let Some(link) = me.get().and_then(Weak::upgrade) {
                        retained(&link, &state_topic(&prefix, name), &now.state(name));
                    }
                }
            }
        };
        // Told inside the link's own turn: announce right after it, not re-entering it.
        let on_connected = {
            let (me, actuators, prefix) = (me.clone(), actuators.clone(), prefix.to_owned());
            move |_| {
                let (me, actuators, prefix) = (me.clone(), actuators.clone(), prefix.clone());
                leptos::task::spawn_local(async move {
                    if let Some(link) = me.get().and_then(Weak::upgrade) {
                        retained(&link, &status_topic(&prefix), ONLINE);
                        let now = actuators.get();
                        for name in ACTUATORS {
                            retained(&link, &state_topic(&prefix, name), &now.state(name));
                        }
                    }
                });
            }
        };
        let link = Rc::new(BrokerLink::open(settings, on_message, on_connected));
        let _ = me.set(Rc::downgrade(&link));
        link.set_filters(BTreeMap::from([(command_filter(prefix), QoS::AtLeastOnce)]));
        let telemetry = {
            let link = Rc::downgrade(&link);
            let prefix = prefix.to_owned();
            let simulation = RefCell::new(Simulation::new((random() * 9e15) as u64 | 1));
            Interval::new(TELEMETRY_MS, move || {
                let reading = simulation
                    .borrow_mut()
                    .step(f64::from(TELEMETRY_MS) / 1000.0, &actuators.get());
                if let Some(link) = link.upgrade()
                    && matches!(link.status.get_untracked(), LinkStatus::Connected { .. })
                {
                    for (topic, payload) in reading.messages(&prefix) {
                        let _ = link.publish(
                            &topic,
                            payload.into_bytes(),
                            QoS::AtMostOnce,
                            false,
                            0,
                            Default::default(),
                            Box::new(|_| {}),
                        );
                    }
                }
            })
        };
        Self {
            link,
            prefix: prefix.to_owned(),
            _telemetry: telemetry,
        }
    }

    /// The device's own connection status (the bar shows it).
    pub fn status(&self) -> ArcRwSignal<LinkStatus> {
        self.link.status.clone()
    }
}

impl Drop for InPageDevice {
    fn drop(&mut self) {
        retained(&self.link, &status_topic(&self.prefix), OFFLINE);
    }
}

/// A state or status message: QoS 1 and retained, so a dashboard opened later still knows.
fn retained(link: &BrokerLink, topic: &str, payload: &str) {
    let _ = link.publish(
        topic,
        payload.as_bytes().to_vec(),
        QoS::AtLeastOnce,
        true,
        0,
        Default::default(),
        Box::new(|_| {}),
    );
}
