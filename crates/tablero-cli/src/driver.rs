//! The native driver: one transport, one session, one thread.
//!
//! All MQTT lives in [`mqtt_session::Session`]; this module only moves bytes and time. It
//! reads the socket into `handle_bytes`, writes whatever `poll_transmit` yields, and sleeps
//! in `poll(2)` until the socket, an optional extra descriptor (stdin for `pub -l`), the
//! session's `poll_timeout` or the caller's own deadline wakes it. Time is an [`Instant`]
//! origin turned into the session's [`Millis`], so the session never reads a clock.
//!
//! Commands drive it in a loop:
//!
//! ```text
//! loop {
//!     while let Some(event) = driver.poll_event() { ... }   // react, issue commands
//!     driver.turn(my_next_deadline, None)?;                  // wait for the next thing
//! }
//! ```

use std::collections::VecDeque;
use std::io;
use std::os::fd::BorrowedFd;
use std::time::{Duration, Instant};

use mqtt_codec_wasm::{Packet, StreamDecoder};
use mqtt_session::{
    ConnectionLostCause, Event, Millis, ProtocolVersion, ReasonCode, Session, SessionOptions, State,
};
use rustix::event::{PollFd, PollFlags, Timespec};

use crate::args::Endpoint;
use crate::transport::{OpenError, ReadOutcome, Transport};

/// How long opening a TCP connection or a WebSocket may take.
pub const OPEN_TIMEOUT: Duration = Duration::from_secs(10);

pub struct Driver {
    session: Session,
    endpoint: Endpoint,
    transport: Option<Transport>,
    origin: Instant,
    events: VecDeque<Event>,
    /// Why the transport last ended, for error messages: the session only knows "lost".
    last_transport_error: Option<String>,
    trace: Option<Trace>,
}

/// What woke a [`Driver::turn`] besides the broker.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Woken {
    /// The extra descriptor is readable (or at end of file).
    pub extra: bool,
}

impl Driver {
    pub fn new(endpoint: Endpoint, options: SessionOptions) -> Result<Self, mqtt_session::Error> {
        Ok(Self {
            session: Session::new(options)?,
            endpoint,
            transport: None,
            origin: Instant::now(),
            events: VecDeque::new(),
            last_transport_error: None,
            trace: None,
        })
    }

    /// Prints every packet on stderr, like mosquitto's `-d`.
    pub fn set_trace(&mut self, on: bool) {
        self.trace = on.then(|| Trace::new(self.session.options().version));
    }

    pub fn session(&self) -> &Session {
        &self.session
    }

    pub fn session_mut(&mut self) -> &mut Session {
        &mut self.session
    }

    pub fn endpoint(&self) -> &Endpoint {
        &self.endpoint
    }

    pub fn now(&self) -> Millis {
        to_millis(self.origin.elapsed())
    }

    pub fn instant_of(&self, at: Millis) -> Instant {
        self.origin + Duration::from_millis(at.0)
    }

    pub fn last_transport_error(&self) -> Option<&str> {
        self.last_transport_error.as_deref()
    }

    /// Bytes written by the session but not yet taken by the socket: a publisher that
    /// outruns the network watches this to keep memory bounded.
    pub fn backlog(&self) -> usize {
        self.transport.as_ref().map_or(0, Transport::backlog)
    }

    pub fn is_open(&self) -> bool {
        self.transport.is_some()
    }

    /// Opens the transport and sends CONNECT; the outcome arrives as an event.
    pub fn open(&mut self) -> Result<(), OpenError> {
        let transport = Transport::open(&self.endpoint, OPEN_TIMEOUT)?;
        self.transport = Some(transport);
        self.last_transport_error = None;
        if let Some(t) = &mut self.trace {
            // The version may have changed since the last connection (a fallback).
            *t = Trace::new(self.session.options().version);
        }
        let now = self.now();
        if let Err(e) = self.session.connect(now) {
            self.transport = None;
            return Err(OpenError::Connect(e.to_string()));
        }
        self.pump();
        Ok(())
    }

    /// Like [`Driver::open`], but a transport that cannot be opened counts as a failed
    /// attempt, so the session's backoff schedules the next one (for reconnecting clients).
    pub fn open_or_schedule(&mut self) -> Option<OpenError> {
        match self.open() {
            Ok(()) => None,
            Err(e) => {
                let now = self.now();
                self.last_transport_error = Some(e.to_string());
                // A CONNECT that never left, then a loss: the session counts the attempt.
                // The loss event is this bookkeeping's echo; the caller reports `e`.
                if self.session.connect(now).is_ok() {
                    let _ = self.session.poll_transmit();
                    self.session.handle_connection_lost(now);
                }
                while let Some(ev) = self.session.poll_event() {
                    if !matches!(ev, Event::ConnectionLost { .. }) {
                        self.events.push_back(ev);
                    }
                }
                Some(e)
            }
        }
    }

    pub fn poll_event(&mut self) -> Option<Event> {
        self.events.pop_front()
    }

    /// Ends the connection on purpose: DISCONNECT (normal), flushed, then the transport
    /// closed. Nothing more happens unless the caller opens again.
    pub fn disconnect(&mut self) {
        let now = self.now();
        self.session
            .disconnect(now, ReasonCode::NORMAL_DISCONNECTION);
        self.pump();
        if let Some(t) = self.transport.take() {
            t.close();
        }
    }

    /// Writes what the session wants written and collects its events; call after issuing
    /// commands when the loop will not `turn` soon (a publisher in a tight loop does).
    pub fn pump(&mut self) {
        let mut result = Ok(());
        if let Some(t) = &mut self.transport {
            while let Some(bytes) = self.session.poll_transmit() {
                if let Some(trace) = &mut self.trace {
                    trace.sent(&bytes);
                }
                t.queue(&bytes);
            }
            if let Err(e) = t.flush() {
                result = Err(e);
            }
        } else {
            // Bytes for a transport that is gone are meaningless.
            while self.session.poll_transmit().is_some() {}
        }
        if let Err(e) = &result {
            self.transport_failed(format!("cannot write to {}: {e}", self.endpoint));
        }
        self.collect_events();
    }

    /// Waits until the broker sends something, a session timer fires, `deadline` passes or
    /// `extra` becomes readable, and handles what happened. Returns at once when events are
    /// waiting.
    pub fn turn(
        &mut self,
        deadline: Option<Instant>,
        extra: Option<BorrowedFd<'_>>,
    ) -> io::Result<Woken> {
        self.pump();
        let mut woken = Woken::default();
        if !self.events.is_empty() {
            return Ok(woken);
        }
        let session_deadline = self.session.poll_timeout().map(|m| self.instant_of(m));
        let wake = match (deadline, session_deadline) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        let timeout = wake.map(|w| w.saturating_duration_since(Instant::now()));
        let (mut readable, mut writable, mut hangup) = (false, false, false);
        {
            let mut fds: Vec<PollFd<'_>> = Vec::with_capacity(2);
            let transport_fd = self.transport.as_ref().map(|t| t.fd());
            let want_write = self.transport.as_ref().is_some_and(Transport::wants_write);
            if let Some(fd) = &transport_fd {
                let mut flags = PollFlags::IN;
                if want_write {
                    flags |= PollFlags::OUT;
                }
                fds.push(PollFd::new(fd, flags));
            }
            if let Some(fd) = &extra {
                fds.push(PollFd::new(fd, PollFlags::IN));
            }
            if fds.is_empty() {
                // Nothing to watch: waiting out a reconnect delay, or idle for good.
                match timeout {
                    Some(t) => std::thread::sleep(t),
                    None if deadline.is_none() => return Ok(woken),
                    None => {}
                }
            } else {
                let ts = timeout.map(|t| {
                    Timespec::try_from(t).unwrap_or(Timespec {
                        tv_sec: i64::MAX,
                        tv_nsec: 0,
                    })
                });
                match rustix::event::poll(&mut fds, ts.as_ref()) {
                    Ok(_) => {}
                    Err(rustix::io::Errno::INTR) => {}
                    Err(e) => return Err(e.into()),
                }
                let mut i = 0;
                if transport_fd.is_some() {
                    let r = fds[0].revents();
                    readable = r.intersects(PollFlags::IN);
                    writable = r.intersects(PollFlags::OUT);
                    hangup = r.intersects(PollFlags::HUP | PollFlags::ERR | PollFlags::NVAL);
                    i = 1;
                }
                if extra.is_some() {
                    woken.extra = !fds[i].revents().is_empty();
                }
            }
        }
        if readable || hangup {
            self.read_transport();
        }
        if writable
            && let Some(t) = &mut self.transport
            && let Err(e) = t.flush()
        {
            self.transport_failed(format!("cannot write to {}: {e}", self.endpoint));
        }
        let now = self.now();
        if session_deadline.is_some_and(|d| Instant::now() >= d) {
            self.session.handle_timeout(now);
        }
        self.pump();
        Ok(woken)
    }

    fn read_transport(&mut self) {
        let Some(t) = &mut self.transport else { return };
        let session = &mut self.session;
        let origin = self.origin;
        let trace = &mut self.trace;
        let outcome = t.read(|chunk| {
            if let Some(trace) = trace.as_mut() {
                trace.received(chunk);
            }
            session.handle_bytes(to_millis(origin.elapsed()), chunk);
        });
        match outcome {
            Ok(ReadOutcome::Drained) => {}
            Ok(ReadOutcome::Closed(why)) => {
                // The server ended a connection that had opened: the session tells a close
                // right after a 5.0 CONNECT (an older server's answer) from a loss.
                if self.transport.take().is_some() {
                    self.last_transport_error = Some(why);
                    let now = self.now();
                    self.session.handle_closed_by_server(now);
                }
            }
            Err(e) => self.transport_failed(format!("connection to {} failed: {e}", self.endpoint)),
        }
    }

    fn transport_failed(&mut self, why: String) {
        if self.transport.take().is_none() {
            return;
        }
        self.last_transport_error = Some(why);
        let now = self.now();
        self.session.handle_connection_lost(now);
    }

    /// Moves the session's events to the caller's queue, and follows the state: once the
    /// session is done with the connection, the transport is closed.
    fn collect_events(&mut self) {
        let mut fall_back = false;
        while let Some(ev) = self.session.poll_event() {
            match ev {
                Event::VersionRefused {
                    retry_with: Some(v),
                    ..
                } => {
                    eprintln!(
                        "tablero: {} does not speak MQTT 5.0; connecting again with {}",
                        self.endpoint,
                        version_name(v)
                    );
                    fall_back = true;
                    self.events.push_back(ev);
                }
                // The fallback's retry is this driver's business, not the command's.
                Event::ReconnectDue if fall_back => {}
                Event::StrayAck { packet, pid } if self.trace.is_some() => eprintln!(
                    "tablero: ignored {packet:?} for packet identifier {pid}: nothing outstanding"
                ),
                ev => self.events.push_back(ev),
            }
        }
        if !matches!(self.session.state(), State::Connecting | State::Connected)
            && let Some(mut t) = self.transport.take()
        {
            // The session may have queued last words (a v5 DISCONNECT with a reason).
            while let Some(bytes) = self.session.poll_transmit() {
                if let Some(trace) = &mut self.trace {
                    trace.sent(&bytes);
                }
                t.queue(&bytes);
            }
            t.close();
        }
        if fall_back && let Err(e) = self.open() {
            self.last_transport_error = Some(e.to_string());
            self.events.push_back(Event::ConnectionLost {
                cause: ConnectionLostCause::Transport,
            });
        }
    }
}

/// The name mosquitto's `-V` uses for a version.
pub fn version_name(v: ProtocolVersion) -> &'static str {
    match v {
        ProtocolVersion::V3_1 => "MQTT 3.1",
        ProtocolVersion::V3_1_1 => "MQTT 3.1.1",
        ProtocolVersion::V5 => "MQTT 5.0",
    }
}

pub fn to_millis(d: Duration) -> Millis {
    Millis(u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
}

/// Packet-level tracing for `-d`: decodes both directions with the codec and prints one
/// line per packet, in mosquitto's words.
struct Trace {
    out: StreamDecoder,
    inc: StreamDecoder,
}

impl Trace {
    fn new(version: ProtocolVersion) -> Self {
        Self {
            out: StreamDecoder::new(version, u32::MAX),
            inc: StreamDecoder::new(version, u32::MAX),
        }
    }

    fn sent(&mut self, bytes: &[u8]) {
        trace(&mut self.out, "sending", bytes);
    }

    fn received(&mut self, bytes: &[u8]) {
        trace(&mut self.inc, "received", bytes);
    }
}

fn trace(dec: &mut StreamDecoder, verb: &str, bytes: &[u8]) {
    if let Err(e) = dec.push(bytes) {
        eprintln!("tablero: debug: cannot decode {verb} bytes: {e}");
        return;
    }
    loop {
        match dec.next_packet() {
            Ok(Some(p)) => eprintln!("tablero: debug: {verb} {}", describe(&p)),
            Ok(None) => return,
            Err(e) => {
                eprintln!("tablero: debug: cannot decode {verb} bytes: {e}");
                return;
            }
        }
    }
}

/// One line per packet, in the shape mosquitto's `-d` prints, then the packet's 5.0
/// properties if it has any: that is where 5.0 interop problems show (an alias, an expiry
/// counted down or not, a reason string), and `-d` is how they are looked into.
pub fn describe(p: &Packet) -> String {
    let properties = match p {
        Packet::Connect(c) => &c.properties,
        Packet::ConnAck(c) => &c.properties,
        Packet::Publish(p) => &p.properties,
        Packet::PubAck(a) | Packet::PubRec(a) | Packet::PubRel(a) | Packet::PubComp(a) => {
            &a.properties
        }
        Packet::Subscribe(s) => &s.properties,
        Packet::SubAck(s) => &s.properties,
        Packet::Unsubscribe(u) => &u.properties,
        Packet::UnsubAck(u) => &u.properties,
        Packet::Disconnect(d) => &d.properties,
        Packet::Auth(a) => &a.properties,
        Packet::PingReq | Packet::PingResp => return describe_fixed(p),
    };
    let mut line = describe_fixed(p);
    if !properties.0.is_empty() {
        line.push_str(&format!(" {:?}", properties.0));
    }
    line
}

fn describe_fixed(p: &Packet) -> String {
    match p {
        Packet::Connect(c) => format!(
            "CONNECT (p{}, c{}, k{}, id {:?}{}{})",
            c.version.level(),
            u8::from(c.clean_start),
            c.keep_alive,
            c.client_id,
            c.username
                .as_ref()
                .map(|u| format!(", u {u:?}"))
                .unwrap_or_default(),
            c.will
                .as_ref()
                .map(|w| format!(", will {:?}", w.topic))
                .unwrap_or_default(),
        ),
        Packet::ConnAck(c) => format!(
            "CONNACK (sp{}, 0x{:02X})",
            u8::from(c.session_present),
            c.reason.as_u8()
        ),
        Packet::Publish(p) => format!(
            "PUBLISH (d{}, q{}, r{}, m{}, {:?}, ... ({} bytes))",
            u8::from(p.dup),
            p.qos_pid.qos() as u8,
            u8::from(p.retain),
            p.qos_pid.pid().map_or(0, |p| p.get()),
            p.topic,
            p.payload.len()
        ),
        Packet::PubAck(a) => format!("PUBACK (m{}, 0x{:02X})", a.pid.get(), a.reason.as_u8()),
        Packet::PubRec(a) => format!("PUBREC (m{}, 0x{:02X})", a.pid.get(), a.reason.as_u8()),
        Packet::PubRel(a) => format!("PUBREL (m{}, 0x{:02X})", a.pid.get(), a.reason.as_u8()),
        Packet::PubComp(a) => format!("PUBCOMP (m{}, 0x{:02X})", a.pid.get(), a.reason.as_u8()),
        Packet::Subscribe(s) => {
            let filters: Vec<String> = s
                .filters
                .iter()
                .map(|f| format!("{:?} q{}", f.filter, f.options.qos as u8))
                .collect();
            format!("SUBSCRIBE (m{}, {})", s.pid.get(), filters.join(", "))
        }
        Packet::SubAck(s) => {
            let codes: Vec<String> = s
                .reasons
                .iter()
                .map(|r| format!("0x{:02X}", r.as_u8()))
                .collect();
            format!("SUBACK (m{}, {})", s.pid.get(), codes.join(", "))
        }
        Packet::Unsubscribe(u) => format!("UNSUBSCRIBE (m{}, {:?})", u.pid.get(), u.filters),
        Packet::UnsubAck(u) => format!("UNSUBACK (m{})", u.pid.get()),
        Packet::PingReq => "PINGREQ".to_owned(),
        Packet::PingResp => "PINGRESP".to_owned(),
        Packet::Disconnect(d) => format!("DISCONNECT (0x{:02X})", d.reason.as_u8()),
        Packet::Auth(a) => format!("AUTH (0x{:02X})", a.reason.as_u8()),
    }
}
