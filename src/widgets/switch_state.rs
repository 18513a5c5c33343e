//! The switch's state machine, free of DOM and clocks: the caller passes the time.
//!
//! With a state topic the switch trusts only the device: a press sends the command and shows
//! *pending* until the state topic reports the wanted state; after the confirmation timeout it
//! reverts to the last confirmed state and says that the device did not answer. A confirmation
//! that arrives later still counts. Without a state topic the switch is optimistic: a press
//! flips it at once.
//!
//! A command may also ask for an answer (MQTT 5 request/response: a response topic and a
//! correlation id, [`SwitchState::press_asking`]). Then the device's answer with that id
//! confirms the press as a state report would, even without a state topic; an answer with
//! any other id is not for this press and changes nothing. Its payload is not read: any
//! answer with the id counts as done (a device that refuses says so on its state topic).

use crate::config::SwitchConfig;

#[derive(Debug, Clone, PartialEq)]
pub enum SwitchStatus {
    /// No state known yet, or the state topic said something that is neither on nor off
    /// (see [`SwitchState::unknown_text`]).
    Unknown,
    On,
    Off,
    /// A command was sent; waiting for the state topic to report `target`.
    Pending {
        target: bool,
        since_ms: f64,
    },
    /// The device did not confirm `wanted` in time; the switch shows the last confirmed state
    /// ([`SwitchState::is_on`]) again.
    NoAnswer {
        wanted: bool,
    },
    /// The command for `target` waits for the connection; the switch shows the last
    /// confirmed state meanwhile.
    Waiting {
        target: bool,
    },
    /// The command for `wanted` waited for the connection past its expiry and was dropped;
    /// the switch shows the last confirmed state.
    Expired {
        wanted: bool,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub struct SwitchState {
    on_payload: String,
    off_payload: String,
    state_on: String,
    state_off: String,
    optimistic: bool,
    timeout_ms: f64,
    /// What the device (or, when optimistic, the last press) last said.
    confirmed: Option<bool>,
    /// The correlation id the last press's command asked the device to answer with.
    asked: Option<String>,
    status: SwitchStatus,
    unknown_text: Option<String>,
}

impl SwitchState {
    pub fn new(config: &SwitchConfig) -> Self {
        Self {
            on_payload: config.on_payload.clone(),
            off_payload: config.off_payload.clone(),
            state_on: config.state_on.trim().to_owned(),
            state_off: config.state_off.trim().to_owned(),
            optimistic: config.state_topic.is_none(),
            timeout_ms: f64::from(config.confirm_timeout_ms),
            confirmed: None,
            asked: None,
            status: SwitchStatus::Unknown,
            unknown_text: None,
        }
    }

    /// Whether presses that ask for no answer flip the switch at once (no state topic to
    /// confirm them).
    pub fn is_optimistic(&self) -> bool {
        self.optimistic
    }

    /// Whether the last press waits to be confirmed (by the state topic or an answer).
    fn confirms(&self) -> bool {
        !self.optimistic || self.asked.is_some()
    }

    pub fn status(&self) -> SwitchStatus {
        self.status.clone()
    }

    /// The last confirmed state: what the toggle shows while pending or after no answer.
    pub fn is_on(&self) -> Option<bool> {
        self.confirmed
    }

    /// The trimmed state text that matched neither `state_on` nor `state_off`, while the
    /// state is unknown because of it.
    pub fn unknown_text(&self) -> Option<&str> {
        self.unknown_text.as_deref()
    }

    /// The user pressed the toggle. Returns the payload to publish on the command topic, or
    /// `None` when the press is ignored: while a command is pending, so that a double tap does
    /// not send on-then-off before the device has answered the first.
    pub fn press(&mut self, now_ms: f64) -> Option<String> {
        self.press_asking(now_ms, None)
    }

    /// A press whose command asks the device to answer with the correlation id `asked` (on
    /// the switch's response topic); `None` asks nothing, as [`press`](Self::press). An
    /// answer with the id ([`answer`](Self::answer)) confirms it, so the switch waits for it
    /// even without a state topic.
    pub fn press_asking(&mut self, now_ms: f64, asked: Option<String>) -> Option<String> {
        if matches!(
            self.status,
            SwitchStatus::Pending { .. } | SwitchStatus::Waiting { .. }
        ) {
            return None;
        }
        // An unknown state toggles to on: the likelier intent of a first tap.
        let target = !self.confirmed.unwrap_or(false);
        let payload = if target {
            self.on_payload.clone()
        } else {
            self.off_payload.clone()
        };
        self.asked = asked;
        if !self.confirms() {
            self.set_confirmed(target);
        } else {
            self.status = SwitchStatus::Pending {
                target,
                since_ms: now_ms,
            };
        }
        Some(payload)
    }

    /// The command of the last press was not sent (not connected): back to what the device
    /// last said (`was`, read before the press), nothing pending.
    pub fn not_sent(&mut self, was: Option<bool>) {
        self.confirmed = was;
        self.status = match was {
            Some(true) => SwitchStatus::On,
            Some(false) => SwitchStatus::Off,
            None => SwitchStatus::Unknown,
        };
    }

    /// The command of the last press waits for the connection: until it goes out the switch
    /// shows what the device last said (`was`, read before the press), not the press.
    pub fn wait(&mut self, was: Option<bool>) {
        let target = match self.status {
            SwitchStatus::Pending { target, .. } => target,
            // Optimistic: the press already showed its target.
            _ => self.confirmed.unwrap_or(true),
        };
        self.confirmed = was;
        self.status = SwitchStatus::Waiting { target };
    }

    /// The waiting command went out: from now on it is like a press made while connected.
    pub fn sent(&mut self, now_ms: f64) {
        if let SwitchStatus::Waiting { target } = self.status {
            if !self.confirms() {
                self.set_confirmed(target);
            } else {
                self.status = SwitchStatus::Pending {
                    target,
                    since_ms: now_ms,
                };
            }
        }
    }

    /// The command of the last press went out without asking for an answer (the connection
    /// speaks 3.1.1, which has no properties): none will come, and the switch behaves as
    /// one without a response topic. Call before [`sent`](Self::sent).
    pub fn unasked(&mut self) {
        self.asked = None;
    }

    /// An answer on the response topic, with its correlation data: the device's word on the
    /// last press when the id is the one it asked for (late, after "no answer", still
    /// counts), nothing otherwise.
    pub fn answer(&mut self, correlation: &[u8]) {
        if self.asked.as_deref().map(str::as_bytes) != Some(correlation) {
            return;
        }
        self.asked = None;
        if let SwitchStatus::Pending { target, .. } | SwitchStatus::NoAnswer { wanted: target } =
            self.status
        {
            self.set_confirmed(target);
        }
    }

    /// The waiting command's expiry passed before the connection came back.
    pub fn expired(&mut self) {
        if let SwitchStatus::Waiting { target } = self.status {
            self.status = SwitchStatus::Expired { wanted: target };
        }
    }

    /// A message on the state topic (its text, or the text at the switch's JSON path).
    /// Matching is on the trimmed text, case-insensitive.
    pub fn observe(&mut self, state_text: &str, _now_ms: f64) {
        let text = state_text.trim();
        let state = if text.eq_ignore_ascii_case(&self.state_on) {
            Some(true)
        } else if text.eq_ignore_ascii_case(&self.state_off) {
            Some(false)
        } else {
            None
        };
        match (state, &self.status) {
            // The device may report its old state before it acts on the command (a periodic
            // report crossing the command): keep waiting, but remember what it said.
            (Some(on), SwitchStatus::Pending { target, .. }) if on != *target => {
                self.confirmed = Some(on);
                self.unknown_text = None;
            }
            // A command still waiting keeps waiting; what the device says is remembered.
            (Some(on), SwitchStatus::Waiting { .. }) => {
                self.confirmed = Some(on);
                self.unknown_text = None;
            }
            (Some(on), _) => self.set_confirmed(on),
            (None, SwitchStatus::Pending { .. } | SwitchStatus::Waiting { .. }) => {
                self.confirmed = None;
                self.unknown_text = Some(text.to_owned());
            }
            (None, _) => {
                self.confirmed = None;
                self.unknown_text = Some(text.to_owned());
                self.status = SwitchStatus::Unknown;
            }
        }
    }

    /// A state message that could not be read at all (not JSON, nothing at the path): the
    /// state is unknown; the widget shows the reason.
    pub fn observe_unreadable(&mut self) {
        self.confirmed = None;
        self.unknown_text = None;
        if !matches!(
            self.status,
            SwitchStatus::Pending { .. } | SwitchStatus::Waiting { .. }
        ) {
            self.status = SwitchStatus::Unknown;
        }
    }

    /// Time passes: a pending command that was not confirmed within the timeout gives up.
    pub fn tick(&mut self, now_ms: f64) {
        if let SwitchStatus::Pending { target, since_ms } = self.status
            && now_ms - since_ms >= self.timeout_ms
        {
            self.status = SwitchStatus::NoAnswer { wanted: target };
        }
    }

    /// When [`tick`](Self::tick) should next be called for a pending command to time out.
    pub fn deadline_ms(&self) -> Option<f64> {
        match self.status {
            SwitchStatus::Pending { since_ms, .. } => Some(since_ms + self.timeout_ms),
            _ => None,
        }
    }

    fn set_confirmed(&mut self, on: bool) {
        self.confirmed = Some(on);
        self.unknown_text = None;
        self.status = if on {
            SwitchStatus::On
        } else {
            SwitchStatus::Off
        };
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Qos;

    fn config(state_topic: Option<&str>) -> SwitchConfig {
        SwitchConfig {
            command_topic: "lamp/set".into(),
            on_payload: "1".into(),
            off_payload: "0".into(),
            state_topic: state_topic.map(Into::into),
            state_on: "ON".into(),
            state_off: "OFF".into(),
            json_path: None,
            qos: Qos::AtLeastOnce,
            retain: false,
            confirm_timeout_ms: 3_000,
            expiry_secs: 10,
            icon: String::new(),
            response_topic: None,
        }
    }

    fn confirming() -> SwitchState {
        SwitchState::new(&config(Some("lamp/state")))
    }

    #[test]
    fn starts_unknown() {
        let s = confirming();
        assert_eq!(s.status(), SwitchStatus::Unknown);
        assert_eq!(s.is_on(), None);
        assert_eq!(s.unknown_text(), None);
        assert!(!s.is_optimistic());
        assert!(SwitchState::new(&config(None)).is_optimistic());
    }

    #[test]
    fn a_command_not_sent_leaves_the_switch_as_it_was() {
        // Confirming: pending is undone, and no timeout will blame the device.
        let mut s = confirming();
        s.observe("OFF", 0.0);
        let was = s.is_on();
        assert!(s.press(1.0).is_some());
        s.not_sent(was);
        assert_eq!(s.status(), SwitchStatus::Off);
        assert_eq!(s.deadline_ms(), None);
        // Optimistic: the flip is undone.
        let mut s = SwitchState::new(&config(None));
        let was = s.is_on();
        assert!(s.press(1.0).is_some());
        assert_eq!(s.is_on(), Some(true));
        s.not_sent(was);
        assert_eq!(s.is_on(), None);
        assert_eq!(s.status(), SwitchStatus::Unknown);
    }

    #[test]
    fn state_messages_set_on_and_off_case_insensitively_and_trimmed() {
        let mut s = confirming();
        s.observe(" on\n", 0.0);
        assert_eq!(s.status(), SwitchStatus::On);
        assert_eq!(s.is_on(), Some(true));
        s.observe("Off", 1.0);
        assert_eq!(s.status(), SwitchStatus::Off);
        assert_eq!(s.is_on(), Some(false));
    }

    #[test]
    fn unknown_payload_is_unknown_with_its_text() {
        let mut s = confirming();
        s.observe("ON", 0.0);
        s.observe("  half  ", 1.0);
        assert_eq!(s.status(), SwitchStatus::Unknown);
        assert_eq!(s.is_on(), None);
        assert_eq!(s.unknown_text(), Some("half"));
        s.observe("OFF", 2.0);
        assert_eq!(s.status(), SwitchStatus::Off);
        assert_eq!(s.unknown_text(), None);
        s.observe_unreadable();
        assert_eq!(s.status(), SwitchStatus::Unknown);
        assert_eq!(s.unknown_text(), None);
    }

    #[test]
    fn press_is_pending_until_confirmed() {
        let mut s = confirming();
        s.observe("OFF", 0.0);
        assert_eq!(s.press(100.0), Some("1".into()));
        assert_eq!(
            s.status(),
            SwitchStatus::Pending {
                target: true,
                since_ms: 100.0
            }
        );
        assert_eq!(
            s.is_on(),
            Some(false),
            "shows the confirmed state meanwhile"
        );
        assert_eq!(s.deadline_ms(), Some(3_100.0));
        s.tick(3_099.0);
        assert!(matches!(s.status(), SwitchStatus::Pending { .. }));
        s.observe("ON", 2_000.0);
        assert_eq!(s.status(), SwitchStatus::On);
        assert_eq!(s.deadline_ms(), None);
        s.tick(10_000.0);
        assert_eq!(
            s.status(),
            SwitchStatus::On,
            "a confirmed press never times out"
        );
        assert_eq!(s.press(20_000.0), Some("0".into()));
        s.observe("off", 20_500.0);
        assert_eq!(s.status(), SwitchStatus::Off);
    }

    #[test]
    fn unconfirmed_press_reverts_after_the_timeout() {
        let mut s = confirming();
        s.observe("OFF", 0.0);
        s.press(1_000.0);
        s.tick(4_000.0);
        assert_eq!(s.status(), SwitchStatus::NoAnswer { wanted: true });
        assert_eq!(s.is_on(), Some(false), "back to the last confirmed state");
        // A new press toggles what is shown (off → on) and waits again.
        assert_eq!(s.press(5_000.0), Some("1".into()));
        assert!(matches!(
            s.status(),
            SwitchStatus::Pending { target: true, .. }
        ));
    }

    #[test]
    fn late_confirmation_after_no_answer_still_counts() {
        let mut s = confirming();
        s.observe("OFF", 0.0);
        s.press(0.0);
        s.tick(3_000.0);
        assert_eq!(s.status(), SwitchStatus::NoAnswer { wanted: true });
        s.observe("ON", 9_000.0);
        assert_eq!(s.status(), SwitchStatus::On);
        assert_eq!(s.is_on(), Some(true));
        // Or the device reports the old state: the message goes, the state stays.
        let mut s = confirming();
        s.observe("OFF", 0.0);
        s.press(0.0);
        s.tick(3_000.0);
        s.observe("OFF", 9_000.0);
        assert_eq!(s.status(), SwitchStatus::Off);
    }

    #[test]
    fn presses_while_pending_are_ignored() {
        let mut s = confirming();
        s.observe("ON", 0.0);
        assert_eq!(s.press(10.0), Some("0".into()));
        assert_eq!(s.press(20.0), None, "double tap");
        assert_eq!(
            s.status(),
            SwitchStatus::Pending {
                target: false,
                since_ms: 10.0
            },
            "the timer is not restarted"
        );
    }

    #[test]
    fn old_state_report_while_pending_keeps_waiting() {
        let mut s = confirming();
        s.observe("OFF", 0.0);
        s.press(0.0);
        s.observe("OFF", 500.0);
        assert!(matches!(
            s.status(),
            SwitchStatus::Pending { target: true, .. }
        ));
        s.observe("ON", 800.0);
        assert_eq!(s.status(), SwitchStatus::On);
        // Garbage while pending: still pending, the text remembered; then a timeout reverts
        // to unknown.
        s.press(1_000.0);
        s.observe("??", 1_500.0);
        assert!(matches!(s.status(), SwitchStatus::Pending { .. }));
        assert_eq!(s.unknown_text(), Some("??"));
        s.tick(4_000.0);
        assert_eq!(s.status(), SwitchStatus::NoAnswer { wanted: false });
        assert_eq!(s.is_on(), None);
    }

    #[test]
    fn press_from_unknown_turns_on() {
        let mut s = confirming();
        assert_eq!(s.press(0.0), Some("1".into()));
        assert!(matches!(
            s.status(),
            SwitchStatus::Pending { target: true, .. }
        ));
        s.tick(3_000.0);
        assert_eq!(s.status(), SwitchStatus::NoAnswer { wanted: true });
        assert_eq!(s.is_on(), None);
    }

    #[test]
    fn optimistic_switch_flips_at_once() {
        let mut s = SwitchState::new(&config(None));
        assert_eq!(s.status(), SwitchStatus::Unknown);
        assert_eq!(s.press(0.0), Some("1".into()));
        assert_eq!(s.status(), SwitchStatus::On);
        assert_eq!(s.deadline_ms(), None);
        s.tick(1_000_000.0);
        assert_eq!(s.status(), SwitchStatus::On, "nothing to time out");
        assert_eq!(
            s.press(1.0),
            Some("0".into()),
            "no pending: every press counts"
        );
        assert_eq!(s.status(), SwitchStatus::Off);
        assert_eq!(s.press(2.0), Some("1".into()));
        assert_eq!(s.is_on(), Some(true));
    }

    #[test]
    fn a_waiting_command_shows_the_old_state_then_goes_pending_once_sent() {
        let mut s = confirming();
        s.observe("OFF", 0.0);
        let was = s.is_on();
        assert_eq!(s.press(1.0), Some("1".into()));
        s.wait(was);
        assert_eq!(s.status(), SwitchStatus::Waiting { target: true });
        assert_eq!(
            s.is_on(),
            Some(false),
            "the device's last word, not the tap"
        );
        assert_eq!(
            s.deadline_ms(),
            None,
            "no answer is due while nothing is sent"
        );
        assert_eq!(
            s.press(2.0),
            None,
            "a second tap does not queue a second command"
        );
        // A state report while waiting is remembered and the command keeps waiting.
        s.observe("OFF", 3.0);
        assert_eq!(s.status(), SwitchStatus::Waiting { target: true });
        s.sent(10.0);
        assert_eq!(
            s.status(),
            SwitchStatus::Pending {
                target: true,
                since_ms: 10.0
            }
        );
        assert_eq!(
            s.deadline_ms(),
            Some(3_010.0),
            "the timeout counts from sending"
        );
        s.observe("ON", 11.0);
        assert_eq!(s.status(), SwitchStatus::On);
    }

    #[test]
    fn an_expired_command_leaves_the_old_state_and_says_so() {
        let mut s = confirming();
        s.observe("ON", 0.0);
        let was = s.is_on();
        assert_eq!(s.press(1.0), Some("0".into()));
        s.wait(was);
        s.expired();
        assert_eq!(s.status(), SwitchStatus::Expired { wanted: false });
        assert_eq!(s.is_on(), Some(true));
        s.sent(5.0);
        assert_eq!(
            s.status(),
            SwitchStatus::Expired { wanted: false },
            "an expired command is never sent late"
        );
        assert_eq!(s.press(6.0), Some("0".into()), "the next tap works");
    }

    #[test]
    fn an_answer_with_the_asked_id_confirms_a_press_and_another_id_is_ignored() {
        // No state topic: a press that asks for an answer waits for it instead of flipping.
        let mut s = SwitchState::new(&config(None));
        assert_eq!(s.press_asking(0.0, Some("00ff".into())), Some("1".into()));
        assert_eq!(
            s.status(),
            SwitchStatus::Pending {
                target: true,
                since_ms: 0.0
            }
        );
        assert_eq!(s.deadline_ms(), Some(3_000.0));
        s.answer(b"ff00");
        s.answer(b"");
        assert!(
            matches!(s.status(), SwitchStatus::Pending { .. }),
            "another id is another command's answer"
        );
        s.answer(b"00ff");
        assert_eq!(s.status(), SwitchStatus::On);
        assert_eq!(s.is_on(), Some(true));
        assert_eq!(s.deadline_ms(), None);
        // An id answered once is not answered again.
        s.answer(b"00ff");
        assert_eq!(s.status(), SwitchStatus::On);

        // Only a wrong id: the press times out as any unanswered one.
        assert_eq!(s.press_asking(10.0, Some("0a0b".into())), Some("0".into()));
        s.answer(b"00ff");
        s.tick(3_010.0);
        assert_eq!(s.status(), SwitchStatus::NoAnswer { wanted: false });
        assert_eq!(s.is_on(), Some(true), "back to the last confirmed state");
        // The right one, late, still counts.
        s.answer(b"0a0b");
        assert_eq!(s.status(), SwitchStatus::Off);

        // With a state topic too, either confirms.
        let mut s = confirming();
        s.observe("OFF", 0.0);
        s.press_asking(1.0, Some("id".into()));
        s.observe("OFF", 2.0);
        assert!(matches!(s.status(), SwitchStatus::Pending { .. }));
        s.answer(b"id");
        assert_eq!(s.status(), SwitchStatus::On);
    }

    #[test]
    fn a_request_that_went_out_without_its_properties_falls_back() {
        // Over 3.1.1 the command goes without its response topic: a switch without a state
        // topic then flips when the command goes out, as an optimistic one.
        let mut s = SwitchState::new(&config(None));
        let was = s.is_on();
        s.press_asking(0.0, Some("id".into()));
        s.wait(was);
        assert_eq!(s.status(), SwitchStatus::Waiting { target: true });
        s.unasked();
        s.sent(1.0);
        assert_eq!(s.status(), SwitchStatus::On);
        s.answer(b"id");
        assert_eq!(s.status(), SwitchStatus::On);
        // A press asking nothing on a switch without a state topic flips at once.
        assert_eq!(s.press_asking(2.0, None), Some("0".into()));
        assert_eq!(s.status(), SwitchStatus::Off);
    }

    #[test]
    fn an_optimistic_switch_flips_only_when_the_waiting_command_goes_out() {
        let mut s = SwitchState::new(&config(None));
        let was = s.is_on();
        assert_eq!(s.press(0.0), Some("1".into()));
        s.wait(was);
        assert_eq!(s.status(), SwitchStatus::Waiting { target: true });
        assert_eq!(s.is_on(), None);
        s.sent(1.0);
        assert_eq!(s.status(), SwitchStatus::On);
    }
}
