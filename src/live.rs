//! Live data: which widget listens to which topic, and the signals widgets read.
//!
//! Rebuilt from the configuration whenever it changes (`sync`), keeping the signals of
//! widgets whose configuration did not change so their last value survives an edit
//! elsewhere. Messages arrive from `mqtt::link` already decoded; this module reads them
//! through each binding (JSON path, scale) into `Sample`s and chart points. Widgets see
//! only those — never MQTT.
//!
//! A message changes its feeds at once but tells no one: the widgets that read a changed
//! feed are told together at the next animation frame (`Dirty`), so a widget is painted at
//! most once a frame however many messages reached it, and the reactive work of a burst is
//! one pass instead of one per message.

use std::cell::{Cell, RefCell};
use std::collections::BTreeMap;
use std::rc::Rc;

use leptos::prelude::*;
use mqtt_codec_wasm::topic::{filter_covers, matches_filter};
use mqtt_session::{Message, QoS as WireQos};

use crate::config::{Binding, Config, Qos, Widget, WidgetKind};
use crate::keep::series_key;
use crate::reading::jsonpath::JsonPath;
use crate::widgets::log::LogLines;
use crate::widgets::{History, Sample, listens, new_feed, response_topic};

/// The signals one widget reads.
#[derive(Clone)]
pub enum Feed {
    /// Gauge, value, and switch (its state topic).
    Sample(ArcRwSignal<Option<Sample>>),
    /// One history per chart series, in order.
    Chart(Vec<ArcRwSignal<History>>),
    /// A log's last messages, as they came.
    Log(ArcRwSignal<LogLines>),
    /// A switch's or a button's: its state topic's sample, and the answers on its response
    /// topic, each kept as its Correlation Data (the card matches it against the command it
    /// waits for).
    Command(ArcRwSignal<Option<Sample>>, ArcRwSignal<LogLines>),
}

impl Feed {
    pub fn sample() -> Self {
        Self::Sample(ArcRwSignal::new(None))
    }

    pub fn command() -> Self {
        Self::Command(ArcRwSignal::new(None), ArcRwSignal::new(LogLines::new(8)))
    }

    /// The answers on a command widget's response topic (each line's payload is the
    /// answer's Correlation Data); none for other feeds.
    pub fn replies(&self) -> Option<ArcRwSignal<LogLines>> {
        match self {
            Self::Command(_, r) => Some(r.clone()),
            Self::Sample(_) | Self::Chart(_) | Self::Log(_) => None,
        }
    }

    /// The latest sample, for kinds that show one value. A chart's feed has none: its
    /// signal stays empty.
    pub fn sample_signal(&self) -> Signal<Option<Sample>> {
        match self {
            Self::Sample(s) | Self::Command(s, _) => s.clone().into(),
            Self::Chart(_) | Self::Log(_) => Signal::stored(None),
        }
    }

    /// The chart's histories, one per series; none for a single-value feed.
    pub fn histories(&self) -> Vec<Signal<History>> {
        match self {
            Self::Chart(h) => h.iter().cloned().map(Signal::from).collect(),
            Self::Sample(_) | Self::Log(_) | Self::Command(..) => Vec::new(),
        }
    }

    /// Where messages of `listen` go: the sample, or the chart's history for its series.
    fn target(&self, series: usize) -> Option<Target> {
        match self {
            Self::Sample(s) | Self::Command(s, _) => Some(Target::Sample(s.clone())),
            Self::Chart(h) => h.get(series).cloned().map(Target::History),
            Self::Log(l) => Some(Target::Log(l.clone())),
        }
    }
}

#[derive(Clone)]
enum Target {
    Sample(ArcRwSignal<Option<Sample>>),
    History(ArcRwSignal<History>),
    Log(ArcRwSignal<LogLines>),
    /// Answers to commands: only these routes look at a message's properties.
    Reply(ArcRwSignal<LogLines>),
}

impl Target {
    fn notify(&self) {
        match self {
            Self::Sample(s) => s.notify(),
            Self::History(h) => h.notify(),
            Self::Log(l) | Self::Reply(l) => l.notify(),
        }
    }
}

struct Route {
    filter: String,
    qos: Qos,
    path: Option<JsonPath>,
    scale: f64,
    offset: f64,
    target: Target,
    /// Whether `target` waits in `Dirty` to be told (told once a frame, not once a message).
    waiting: Rc<Cell<bool>>,
}

/// The feeds changed since the last frame, told at the next one.
#[derive(Default)]
struct Dirty {
    feeds: RefCell<Vec<(Target, Rc<Cell<bool>>)>>,
    /// A frame is asked for (off the browser there are none).
    #[cfg(target_arch = "wasm32")]
    asked: Cell<bool>,
}

impl Dirty {
    fn mark(this: &Rc<Self>, route: &Route) {
        if !route.waiting.replace(true) {
            this.feeds
                .borrow_mut()
                .push((route.target.clone(), route.waiting.clone()));
        }
        Self::ask(this);
    }

    /// The next animation frame tells the changed feeds. A hidden page gets no frames and
    /// paints nothing: there they are told at once (a switch's state must still reach its
    /// state machine).
    #[cfg(target_arch = "wasm32")]
    fn ask(this: &Rc<Self>) {
        if document().hidden() {
            this.tell();
        } else if !this.asked.replace(true) {
            let this = this.clone();
            request_animation_frame(move || {
                if this.asked.replace(false) {
                    this.tell();
                }
            });
        }
    }

    /// Off the browser (unit tests) there are no frames: told at once.
    #[cfg(not(target_arch = "wasm32"))]
    fn ask(this: &Rc<Self>) {
        this.tell();
    }

    fn tell(&self) {
        // Taken out first: a widget told here may publish, and its answer arrive, at once.
        let mut feeds = std::mem::take(&mut *self.feeds.borrow_mut());
        for (target, waiting) in &feeds {
            waiting.set(false);
            target.notify();
        }
        // The list's room is kept for the next frame: no allocation per frame.
        feeds.clear();
        let mut kept = self.feeds.borrow_mut();
        if kept.is_empty() {
            *kept = feeds;
        }
    }
}

#[derive(Default)]
pub struct Live {
    /// By (dashboard id, widget id): the widget's configuration when its feed was made.
    /// Lists searched in order, not hash maps: a configuration has at most a few hundred
    /// widgets and a few connections, and each hash map type is its own code in the first
    /// load.
    feeds: Vec<(FeedKey, (Widget, Feed))>,
    /// By connection id.
    routes: Vec<(String, Vec<Route>)>,
    dirty: Rc<Dirty>,
    /// The broker view's filter on a connection (connection id, filter), subscribed besides
    /// the widgets' ones.
    pub watched: Option<(String, String)>,
}

/// A new feed for an edited widget. A chart keeps the history of each series that still
/// reads the same topic through the same JSON path at the same position (a new title, colour
/// or window must not wipe the chart), cut to its new cap; anything else starts empty.
fn successor(old: Option<&(Widget, Feed)>, widget: &Widget) -> Feed {
    if let (Some((old_widget, Feed::Chart(old))), WidgetKind::Chart(c)) = (old, &widget.kind)
        && let WidgetKind::Chart(was) = &old_widget.kind
    {
        let cap = c.max_points as usize;
        return Feed::Chart(
            c.series
                .iter()
                .enumerate()
                .map(|(i, s)| match (was.series.get(i), old.get(i)) {
                    (Some(o), Some(h))
                        if o.binding.topic == s.binding.topic
                            && o.binding.json_path == s.binding.json_path =>
                    {
                        h.update_untracked(|h| h.set_cap(cap));
                        h.clone()
                    }
                    _ => ArcRwSignal::new(History::new(cap)),
                })
                .collect(),
        );
    }
    new_feed(&widget.kind)
}

fn route(binding: &Binding, target: Target) -> Route {
    Route {
        filter: binding.topic.clone(),
        qos: binding.qos,
        path: binding
            .json_path
            .as_deref()
            .and_then(|p| JsonPath::parse(p).ok()),
        scale: binding.scale,
        offset: binding.offset,
        target,
        waiting: Rc::default(),
    }
}

pub fn wire_qos(q: Qos) -> WireQos {
    match q {
        Qos::AtMostOnce => WireQos::AtMostOnce,
        Qos::AtLeastOnce => WireQos::AtLeastOnce,
        Qos::ExactlyOnce => WireQos::ExactlyOnce,
    }
}

type FeedKey = (String, String);

impl Live {
    fn feed_at(&self, dashboard: &str, widget: &str) -> Option<usize> {
        self.feeds
            .iter()
            .position(|((d, w), _)| d == dashboard && w == widget)
    }

    fn routes_of(&self, connection: &str) -> &[Route] {
        self.routes
            .iter()
            .find(|(c, _)| c == connection)
            .map_or(&[], |(_, r)| r.as_slice())
    }

    /// Makes feeds and routes match `config`.
    pub fn sync(&mut self, config: &Config) {
        let mut feeds = Vec::new();
        let mut routes: Vec<(String, Vec<Route>)> = Vec::new();
        // The last feeds, each taken once; searched from just after the last one found, so
        // a configuration in the same order as before is matched in one pass.
        let mut old: Vec<_> = std::mem::take(&mut self.feeds)
            .into_iter()
            .map(Some)
            .collect();
        let mut next = 0;
        for dash in &config.dashboards {
            let at = match routes.iter().position(|(c, _)| *c == dash.connection) {
                Some(at) => at,
                None => {
                    routes.push((dash.connection.clone(), Vec::new()));
                    routes.len() - 1
                }
            };
            for widget in &dash.widgets {
                let found = (next..old.len()).chain(0..next).find(|&i| {
                    old[i]
                        .as_ref()
                        .is_some_and(|((d, w), _)| *d == dash.id && *w == widget.id)
                });
                let was = found.and_then(|i| {
                    next = i + 1;
                    old[i].take().map(|(_, was)| was)
                });
                let feed = match was {
                    Some((old, feed)) if old == *widget => feed,
                    old => successor(old.as_ref(), widget),
                };
                for listen in listens(&widget.kind) {
                    if let Some(target) = feed.target(listen.series) {
                        routes[at].1.push(route(&listen.binding, target));
                    }
                }
                // A command widget's answers, read by no binding.
                if let (Some((topic, qos)), Feed::Command(_, replies)) =
                    (response_topic(&widget.kind), &feed)
                {
                    routes[at].1.push(Route {
                        filter: topic.clone(),
                        qos,
                        path: None,
                        scale: 1.0,
                        offset: 0.0,
                        target: Target::Reply(replies.clone()),
                        waiting: Rc::default(),
                    });
                }
                feeds.push(((dash.id.clone(), widget.id.clone()), (widget.clone(), feed)));
            }
        }
        self.feeds = feeds;
        self.routes = routes;
    }

    /// The feed of a widget, made now if the view needs it before the next `sync` (views
    /// render before effects run), so a new or edited widget never renders without data.
    pub fn feed(&mut self, dashboard: &str, widget: &Widget) -> Feed {
        let at = self.feed_at(dashboard, &widget.id);
        if let Some((config, feed)) = at.map(|i| &self.feeds[i].1)
            && config == widget
        {
            return feed.clone();
        }
        let feed = successor(at.map(|i| &self.feeds[i].1), widget);
        let entry = (widget.clone(), feed.clone());
        match at {
            Some(i) => self.feeds[i].1 = entry,
            None => self
                .feeds
                .push(((dashboard.to_owned(), widget.id.clone()), entry)),
        }
        feed
    }

    /// Every chart series by its kept-history key (`keep::series_key`), with its history.
    pub fn chart_series(&self) -> Vec<(String, ArcRwSignal<History>)> {
        let mut out = Vec::new();
        for ((dash, id), (widget, feed)) in &self.feeds {
            if let (WidgetKind::Chart(c), Feed::Chart(histories)) = (&widget.kind, feed) {
                for (i, (s, h)) in c.series.iter().zip(histories).enumerate() {
                    out.push((series_key(dash, id, i, &s.binding), h.clone()));
                }
            }
        }
        out
    }

    /// The filters a connection must be subscribed to, each at the highest QoS any widget
    /// asked for. A filter another one covers (`lab/tank` beside a log's `lab/#`) is left
    /// out and the wider one asked at the higher QoS of the two: a broker may send a
    /// message once per matching subscription (mosquitto does), and every route would then
    /// get it twice (a log line twice, a chart point twice).
    pub fn filters(&self, connection: &str) -> BTreeMap<String, WireQos> {
        let mut out: BTreeMap<String, WireQos> = BTreeMap::new();
        for r in self.routes_of(connection) {
            let q = wire_qos(r.qos);
            out.entry(r.filter.clone())
                .and_modify(|have| *have = (*have).max(q))
                .or_insert(q);
        }
        if let Some((_, f)) = self.watched.as_ref().filter(|(c, _)| c == connection) {
            out.entry(f.clone()).or_insert(WireQos::AtMostOnce);
        }
        // Coverage is transitive: the filters no other covers are the ones to keep, and each
        // covered one lifts the QoS of one that covers it. (Inserted one by one, not removed
        // or collected: a B-tree's removal and its bulk build, which sorts, are sizeable code
        // of their own in the first load.)
        let kept = |f: &str| !out.keys().any(|w| w != f && filter_covers(w, f));
        let mut wide = BTreeMap::new();
        for (f, q) in out.iter().filter(|(f, _)| kept(f)) {
            wide.insert(f.clone(), *q);
        }
        for (narrow, q) in out.iter().filter(|(f, _)| !kept(f)) {
            if let Some((_, have)) = wide.iter_mut().find(|(w, _)| filter_covers(w, narrow)) {
                *have = (*have).max(*q);
            }
        }
        wide
    }

    /// Hands one message to every widget of `connection` whose topic matches: the feeds
    /// change now, their widgets are told at the next frame.
    pub fn deliver(&self, connection: &str, m: &Message, at_ms: f64) {
        let (topic, payload, retained) = (m.topic.as_str(), &m.payload[..], m.retain);
        for r in self.routes_of(connection) {
            if !matches_filter(&r.filter, topic) {
                continue;
            }
            // A log keeps the message as it came; an answer its Correlation Data (none: empty,
            // which no command waits for); the others read it through the binding (in one
            // place: a call per arm made `Sample::read` a function of its own, +1 KB).
            if let Target::Log(l) | Target::Reply(l) = &r.target {
                let kept = match r.target {
                    Target::Reply(_) => m.properties.correlation_data().map_or(&[][..], |id| id),
                    _ => payload,
                };
                l.update_untracked(|l| l.push(topic, kept, at_ms, retained));
            } else {
                let sample =
                    Sample::read(payload, r.path.as_ref(), r.scale, r.offset, at_ms, retained);
                match &r.target {
                    Target::Sample(s) => s.update_untracked(|s| *s = Some(sample)),
                    Target::History(h) => match sample.value {
                        Ok(v) => h.update_untracked(|h| h.push(at_ms, v)),
                        Err(_) => continue,
                    },
                    Target::Log(_) | Target::Reply(_) => {}
                }
            }
            Dirty::mark(&self.dirty, r);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::demo_config;
    use crate::i18n::Lang;
    use mqtt_session::Property;

    fn config() -> Config {
        demo_config("c".into(), "h".into(), 9001, "/".into(), Lang::En)
    }

    /// The first widget with a sample feed and a topic, with that topic.
    fn sampled(config: &Config) -> (String, Widget, String) {
        let dash = &config.dashboards[0];
        let w = dash
            .widgets
            .iter()
            .find(|w| matches!(new_feed(&w.kind), Feed::Sample(_)) && !listens(&w.kind).is_empty())
            .expect("the demo has a sampled widget");
        let topic = listens(&w.kind)[0].binding.topic.clone();
        (dash.id.clone(), w.clone(), topic)
    }

    fn message(topic: &str, payload: &[u8], properties: Vec<Property>) -> Message {
        Message {
            topic: topic.to_owned(),
            payload: payload.to_vec().into(),
            qos: WireQos::AtMostOnce,
            retain: false,
            dup: false,
            properties: mqtt_session::Properties(properties),
            subscription_ids: Vec::new(),
        }
    }

    fn last(feed: &Feed) -> Option<Sample> {
        match feed {
            Feed::Sample(s) | Feed::Command(s, _) => s.get_untracked(),
            Feed::Chart(_) | Feed::Log(_) => None,
        }
    }

    /// A switch's response topic is subscribed, and its answers reach the switch's feed as
    /// their correlation data (none: empty), apart from its state.
    #[test]
    fn answers_on_a_response_topic_reach_the_feed_as_their_correlation_data() {
        let mut config = config();
        let dash = config.dashboards[0].id.clone();
        let connection = config.dashboards[0].connection.clone();
        let w = config.dashboards[0]
            .widgets
            .iter_mut()
            .find(|w| matches!(w.kind, WidgetKind::Switch(_)))
            .expect("the demo has a switch");
        let WidgetKind::Switch(s) = &mut w.kind else {
            unreachable!()
        };
        s.response_topic = Some("lab/reply".into());
        let state_topic = s.state_topic.clone().expect("a state topic");
        let widget = w.clone();
        let mut live = Live::default();
        live.sync(&config);
        assert!(live.filters(&connection).contains_key("lab/reply"));
        let feed = live.feed(&dash, &widget);
        let replies = feed.replies().expect("a command widget's feed");

        let id = |b: &[u8]| vec![Property::CorrelationData(b.to_vec().into())];
        live.deliver(&connection, &message("lab/reply", b"ok", id(b"abc")), 1.0);
        live.deliver(&connection, &message("lab/reply", b"ok", Vec::new()), 2.0);
        // A state message with correlation data is a state, not an answer.
        live.deliver(&connection, &message(&state_topic, b"on", id(b"zzz")), 3.0);
        let got: Vec<Vec<u8>> =
            replies.with_untracked(|r| r.newest_first().map(|l| l.payload.clone()).collect());
        assert_eq!(got, [b"".to_vec(), b"abc".to_vec()]);
        assert_eq!(last(&feed).map(|s| s.text), Some(Ok("on".to_owned())));
    }

    #[test]
    fn a_filter_another_covers_is_not_subscribed_and_lifts_its_qos() {
        let mut config = config();
        let widgets = &mut config.dashboards[0].widgets;
        let mut log = widgets[0].clone();
        log.id = "log".into();
        log.kind = WidgetKind::Log(crate::config::LogConfig {
            filter: "tablero/#".into(),
            qos: Qos::AtMostOnce,
            lines: 10,
            format: crate::config::LogFormat::Text,
        });
        widgets.push(log);
        if let WidgetKind::Gauge(g) = &mut widgets[0].kind {
            g.binding.qos = Qos::ExactlyOnce;
        }
        let mut live = Live::default();
        live.sync(&config);
        let filters = live.filters(&config.dashboards[0].connection);
        assert!(
            filters
                .keys()
                .all(|f| f == "tablero/#" || !f.starts_with("tablero/")),
            "{filters:?}"
        );
        assert_eq!(filters.get("tablero/#"), Some(&WireQos::ExactlyOnce));
    }

    #[test]
    fn a_widgets_feed_outlives_a_sync_that_moves_it() {
        let mut config = config();
        let (dash, widget, topic) = sampled(&config);
        let mut live = Live::default();
        live.sync(&config);
        let feed = live.feed(&dash, &widget);
        let connection = config.dashboards[0].connection.clone();
        live.deliver(&connection, &message(&topic, b"21.5", Vec::new()), 1.0);
        assert_eq!(last(&feed).map(|s| s.text), Some(Ok("21.5".to_owned())));

        // The same widgets in another order, and a dashboard of the same widgets before it:
        // the moved widget keeps its signal, and what it showed.
        config.dashboards[0].widgets.reverse();
        let mut copy = config.dashboards[0].clone();
        copy.id = "copy".into();
        config.dashboards.insert(0, copy);
        live.sync(&config);
        let kept = live.feed(&dash, &widget);
        assert_eq!(last(&kept).map(|s| s.text), Some(Ok("21.5".to_owned())));
        // The copy's widget has a feed of its own (no message yet), and both hear the topic.
        assert_eq!(last(&live.feed("copy", &widget)), None);
        live.deliver(&connection, &message(&topic, b"22", Vec::new()), 2.0);
        assert_eq!(last(&kept).map(|s| s.text), Some(Ok("22".to_owned())));
        assert_eq!(
            last(&live.feed("copy", &widget)).map(|s| s.text),
            Some(Ok("22".to_owned()))
        );
    }

    #[test]
    fn an_edited_widget_starts_empty_and_a_removed_one_hears_nothing() {
        let mut config = config();
        let (dash, widget, topic) = sampled(&config);
        let connection = config.dashboards[0].connection.clone();
        let mut live = Live::default();
        live.sync(&config);
        live.deliver(&connection, &message(&topic, b"1", Vec::new()), 1.0);

        let mut edited = widget.clone();
        edited.title.push_str(" (edited)");
        let at = config.dashboards[0]
            .widgets
            .iter()
            .position(|w| w.id == widget.id)
            .unwrap();
        config.dashboards[0].widgets[at] = edited.clone();
        live.sync(&config);
        let fresh = live.feed(&dash, &edited);
        assert_eq!(last(&fresh), None);

        config.dashboards[0].widgets.remove(at);
        live.sync(&config);
        live.deliver(&connection, &message(&topic, b"2", Vec::new()), 2.0);
        assert_eq!(last(&fresh), None, "a removed widget's feed hears nothing");
        assert!(live.filters("no-such-connection").is_empty());
    }
}
