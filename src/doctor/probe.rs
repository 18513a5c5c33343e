//! The doctor's probes, in the browser. Every probe of a round starts at once and the round
//! ends when all have answered or [`PROBE_TIMEOUT_MS`] has passed, whichever is first; a
//! WebSocket is closed as soon as it opens, and at the end of the round whatever it is.
//!
//! They go only where [`super::plan`] says: the host and port the user configured, and a
//! second public broker only when the configured host is itself one.
//!
//! Written with what the first load's JavaScript glue already has (a `Closure` of the
//! link's own type, `JsFuture`, `Reflect::set`): a new browser API used here would put its
//! glue into the first load, whose budget is tight. So the request carries no abort signal:
//! one that hangs past the bound is left to the browser, which drops it in time; its answer
//! then changes nothing.

use std::cell::RefCell;
use std::rc::Rc;

use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use wasm_bindgen_futures::JsFuture;
use web_sys::{Event, WebSocket};

use super::{PROBE_TIMEOUT_MS, ProbePlan, Probes, Reach, wants_other_public};

/// Told once, with what the probes saw.
pub type OnDone = Box<dyn FnOnce(Probes)>;

/// A WebSocket probe's socket and its two handlers (open, close), kept until the round ends.
type Socket = (
    WebSocket,
    Closure<dyn FnMut(Event)>,
    Closure<dyn FnMut(Event)>,
);

/// One round under way: a slot per probe (`None` until it answers), the sockets to close,
/// and who to tell.
struct Round {
    seen: Vec<Option<Reach>>,
    sockets: Vec<Socket>,
    on_done: Option<Box<dyn FnOnce(Vec<Reach>)>>,
    bound: Option<gloo_timers::callback::Timeout>,
}

type Shared = Rc<RefCell<Round>>;

/// Records probe `i`'s answer (the first one counts) and ends the round once every probe
/// has answered.
fn answer(round: &Shared, i: usize, reach: Reach) {
    let done = {
        let mut r = round.borrow_mut();
        if r.seen[i].is_none() {
            r.seen[i] = Some(reach);
        }
        r.seen.iter().all(Option::is_some)
    };
    if done {
        finish(round);
    }
}

/// Ends the round: what has not answered is silent; sockets are closed; the caller is told.
fn finish(round: &Shared) {
    let (seen, sockets, on_done) = {
        let mut r = round.borrow_mut();
        let Some(on_done) = r.on_done.take() else {
            return;
        };
        r.bound = None;
        let seen: Vec<Reach> = r.seen.iter().map(|s| s.unwrap_or(Reach::Silent)).collect();
        (seen, std::mem::take(&mut r.sockets), on_done)
    };
    for (ws, _, _) in &sockets {
        ws.set_onopen(None);
        ws.set_onclose(None);
        let _ = ws.close();
    }
    drop(sockets);
    on_done(seen);
}

/// Starts a WebSocket with subprotocol `mqtt` as probe `i`: open (closed at once) or not.
fn socket(round: &Shared, i: usize, url: &str) {
    let Ok(ws) = WebSocket::new_with_str(url, "mqtt") else {
        answer(round, i, Reach::Fails);
        return;
    };
    let opened = {
        let (round, ws) = (Rc::downgrade(round), ws.clone());
        Closure::<dyn FnMut(Event)>::new(move |_| {
            let _ = ws.close();
            if let Some(round) = round.upgrade() {
                answer(&round, i, Reach::Answers);
            }
        })
    };
    let closed = {
        let round = Rc::downgrade(round);
        Closure::<dyn FnMut(Event)>::new(move |_| {
            if let Some(round) = round.upgrade() {
                answer(&round, i, Reach::Fails);
            }
        })
    };
    ws.set_onopen(Some(opened.as_ref().unchecked_ref()));
    ws.set_onclose(Some(closed.as_ref().unchecked_ref()));
    round.borrow_mut().sockets.push((ws, opened, closed));
}

/// Starts a `no-cors` GET as probe `i`: any answer at all resolves it (an opaque
/// response), nothing listening (or a certificate refused) rejects it.
fn request(round: &Shared, i: usize, url: &str) {
    let Some(window) = web_sys::window() else {
        answer(round, i, Reach::Fails);
        return;
    };
    let init = js_sys::Object::new();
    // No cookies go anywhere but the page's own origin (the default), and an answer cached
    // from before would say nothing about now.
    for (key, value) in [("mode", "no-cors"), ("cache", "no-store")] {
        let _ = js_sys::Reflect::set(&init, &key.into(), &value.into());
    }
    let pending = JsFuture::from(window.fetch_with_str_and_init(url, init.unchecked_ref()));
    let round = Rc::downgrade(round);
    wasm_bindgen_futures::spawn_local(async move {
        let reach = match pending.await {
            Ok(_) => Reach::Answers,
            Err(_) => Reach::Fails,
        };
        if let Some(round) = round.upgrade() {
            answer(&round, i, reach);
        }
    });
}

/// Starts a round of `sockets` WebSocket probes and `requests` request probes, in that
/// order; `on_done` gets their answers in the same order.
fn round(sockets: &[&str], requests: &[&str], on_done: Box<dyn FnOnce(Vec<Reach>)>) {
    let round: Shared = Rc::new(RefCell::new(Round {
        seen: vec![None; sockets.len() + requests.len()],
        sockets: Vec::new(),
        on_done: Some(on_done),
        bound: None,
    }));
    let bound = {
        // The timer holds the round alive until the bound, at most.
        let round = round.clone();
        gloo_timers::callback::Timeout::new(PROBE_TIMEOUT_MS, move || finish(&round))
    };
    round.borrow_mut().bound = Some(bound);
    for (i, url) in sockets.iter().enumerate() {
        socket(&round, i, url);
    }
    for (j, url) in requests.iter().enumerate() {
        request(&round, sockets.len() + j, url);
    }
}

/// Runs a plan: the WebSockets and the request at once (the whole takes one bound, not one
/// per probe), then, if nothing answered at a public preset, its second public host.
pub fn run(plan: ProbePlan, on_done: OnDone) {
    let urls: Vec<String> = plan.sockets.iter().map(|(_, url)| url.clone()).collect();
    let urls: Vec<&str> = urls.iter().map(String::as_str).collect();
    let web = plan.web.clone();
    round(
        &urls,
        &[web.as_str()],
        Box::new(move |mut seen| {
            let web = seen.pop().unwrap_or(Reach::Fails);
            let sockets: Vec<(String, Reach)> = plan
                .sockets
                .iter()
                .map(|(path, _)| path.clone())
                .zip(seen)
                .collect();
            match plan.other_public.as_deref() {
                Some(other) if wants_other_public(&plan, &sockets, web) => round(
                    &[],
                    &[other],
                    Box::new(move |seen| {
                        on_done(Probes {
                            sockets,
                            web,
                            other_public: seen.first().copied(),
                        })
                    }),
                ),
                _ => on_done(Probes {
                    sockets,
                    web,
                    other_public: None,
                }),
            }
        }),
    );
}
