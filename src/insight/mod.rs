//! The broker view: a topic explorer, a message log and a publish panel for one connection,
//! shown in place of the dashboard (the "Explore" tab). All of it is one split point: the
//! first load carries only the tab and the runtime's watch ([`crate::runtime::Monitor`]).
//!
//! Messages reach the view through one watch on the connection's link: each is put into the
//! explorer's tree and the log's ring at once (no DOM work), and the panel shown is painted
//! at the next animation frame ([`Frame`]), however many messages came. Lists draw only the
//! rows in sight, from a pool of row elements made once ([`VirtualList`]): a busy `#` costs
//! no DOM node per message.

pub mod explorer;
pub mod guess;
pub mod log;
pub mod payload;
pub mod publish;
pub mod tree;

use std::cell::{Cell, RefCell};
use std::rc::{Rc, Weak};

use leptos::prelude::*;
use leptos::wasm_split::SplitLoaderError;
use mqtt_session::{Bytes, Message, Properties};
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use web_sys::Element;

use crate::i18n::Lang;
use crate::retained::{child, on_event};
use crate::runtime::{Monitor, use_runtime};
use crate::state::use_app_state;

/// One message as the broker view keeps it.
#[derive(Debug, Clone)]
pub struct Seen {
    /// Wall-clock milliseconds when it arrived.
    pub at_ms: f64,
    pub topic: String,
    pub payload: Bytes,
    pub qos: u8,
    pub retain: bool,
    /// Its 5.0 properties (content type, user properties, ...); empty in 3.1.1.
    pub properties: Properties,
}

impl Seen {
    pub fn of(m: &Message, at_ms: f64) -> Self {
        Self {
            at_ms,
            topic: m.topic.clone(),
            payload: m.payload.clone(),
            qos: m.qos as u8,
            retain: m.retain,
            properties: m.properties.clone(),
        }
    }
}

/// The panels of the broker view.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Panel {
    Topics,
    Log,
    Publish,
}

/// What the panels share: the connection watched, the panel shown, the frame they paint at,
/// and the messages kept (the explorer's tree, the log's ring).
#[derive(Clone)]
pub struct Insight {
    pub lang: Signal<Lang>,
    /// The id of the connection watched.
    pub connection: RwSignal<String>,
    pub panel: RwSignal<Panel>,
    /// The explorer's subscribed filter; `None` before the user subscribes one.
    pub filter: RwSignal<Option<String>>,
    pub frame: Local<Frame>,
    pub tree: Local<Rc<RefCell<tree::Tree>>>,
    pub log: Local<Rc<RefCell<log::Log>>>,
}

/// A value of the page's one thread held where Leptos asks for `Send` (a view's closures):
/// the page has no other thread (touched from one, it would panic, not race).
pub type Local<T> = leptos::__reexports::send_wrapper::SendWrapper<T>;

/// Painting at the next animation frame: any number of [`Frame::ask`]s before it are one
/// paint of every painter.
#[derive(Clone)]
pub struct Frame(Rc<FrameInner>);

struct FrameInner {
    asked: Cell<bool>,
    painters: RefCell<Vec<Rc<dyn Fn()>>>,
    callback: RefCell<Option<Closure<dyn FnMut()>>>,
}

impl Default for Frame {
    fn default() -> Self {
        Self::new()
    }
}

impl Frame {
    pub fn new() -> Self {
        let inner = Rc::new(FrameInner {
            asked: Cell::new(false),
            painters: RefCell::new(Vec::new()),
            callback: RefCell::new(None),
        });
        let weak: Weak<FrameInner> = Rc::downgrade(&inner);
        *inner.callback.borrow_mut() = Some(Closure::new(move || {
            if let Some(inner) = weak.upgrade() {
                inner.asked.set(false);
                let painters = inner.painters.borrow().clone();
                for paint in painters {
                    paint();
                }
            }
        }));
        Self(inner)
    }

    /// Adds a painter, called at every frame asked for from now on.
    pub fn on_paint(&self, paint: impl Fn() + 'static) {
        self.0.painters.borrow_mut().push(Rc::new(paint));
    }

    /// Asks for a paint at the next animation frame (once, however often asked).
    pub fn ask(&self) {
        if self.0.asked.replace(true) {
            return;
        }
        let callback = self.0.callback.borrow();
        let asked = web_sys::window().zip(callback.as_ref()).map(|(w, c)| {
            w.request_animation_frame(c.as_ref().unchecked_ref())
                .is_ok()
        });
        if asked != Some(true) {
            self.0.asked.set(false);
        }
    }
}

impl Drop for FrameInner {
    fn drop(&mut self) {
        // A frame still asked for finds its closure gone: nothing runs.
        self.painters.get_mut().clear();
    }
}

/// A list that draws only the rows in sight: a scroller of fixed height, a sizer as tall as
/// all rows, and a pool of row elements (made once, as many as fit) placed at the rows
/// shown. Rows are [`ROW_PX`] tall (the stylesheet says the same).
#[derive(Clone)]
pub struct VirtualList(Rc<RefCell<ListInner>>);

pub const ROW_PX: f64 = 28.0;

struct ListInner {
    scroller: Element,
    sizer: Element,
    /// Each row and its cells.
    rows: Vec<(Element, Vec<Element>)>,
    cells: &'static [&'static str],
    len: usize,
    fill: Box<RowFill>,
}

/// Writes row `index` into a pooled row and its cells.
type RowFill = dyn FnMut(usize, &Element, &[Element]);

impl VirtualList {
    /// A list at the end of `parent` whose rows have one `<span>` per class of `cells`;
    /// `fill(index, row, cells)` writes row `index` into a pooled row (it sets
    /// `data-index`; the filler writes only what changed where it matters).
    pub fn new(
        parent: &Element,
        class: &str,
        cells: &'static [&'static str],
        fill: impl FnMut(usize, &Element, &[Element]) + 'static,
    ) -> Self {
        let scroller = child(parent, "div", &format!("vlist {class}"));
        let _ = scroller.set_attribute("tabindex", "0");
        let sizer = child(&scroller, "div", "vlist-sizer");
        let list = Self(Rc::new(RefCell::new(ListInner {
            scroller: scroller.clone(),
            sizer,
            rows: Vec::new(),
            cells,
            len: 0,
            fill: Box::new(fill),
        })));
        let again = list.clone();
        on_event(&scroller, "scroll", move |_| {
            let len = again.0.borrow().len;
            again.paint(len);
        });
        list
    }

    pub fn element(&self) -> Element {
        self.0.borrow().scroller.clone()
    }

    /// Shows `len` rows: the sizer's height, and the rows in sight filled.
    pub fn paint(&self, len: usize) {
        let mut list = self.0.borrow_mut();
        let list = &mut *list;
        if list.len != len || list.sizer.get_attribute("style").is_none() {
            list.len = len;
            let _ = list
                .sizer
                .set_attribute("style", &format!("height:{}px", len as f64 * ROW_PX));
        }
        let height = f64::from(list.scroller.client_height()).max(ROW_PX * 10.0);
        let first = (scroll_top(&list.scroller) / ROW_PX).floor().max(0.0) as usize;
        let count = (height / ROW_PX).ceil() as usize + 1;
        while list.rows.len() < count {
            let row = child(&list.sizer, "div", "vlist-row");
            let cells = list.cells.iter().map(|c| child(&row, "span", c)).collect();
            list.rows.push((row, cells));
        }
        for (i, (row, cells)) in list.rows.iter().enumerate() {
            let index = first + i;
            if index < len {
                let top = format!("top:{}px", index as f64 * ROW_PX);
                if row.get_attribute("style").as_deref() != Some(top.as_str()) {
                    let _ = row.set_attribute("style", &top);
                }
                let _ = row.set_attribute("data-index", &index.to_string());
                row.remove_attribute("hidden").ok();
                (list.fill)(index, row, cells);
            } else if row.get_attribute("hidden").is_none() {
                let _ = row.set_attribute("hidden", "");
            }
        }
    }

    /// Scrolls so that row `index` is in sight.
    pub fn reveal(&self, index: usize) {
        let list = self.0.borrow();
        let top = index as f64 * ROW_PX;
        let at = scroll_top(&list.scroller);
        let height = f64::from(list.scroller.client_height());
        if top < at || top + ROW_PX > at + height {
            set_scroll_top(&list.scroller, (top - height / 2.0).max(0.0));
        }
    }
}

/// An element's `scrollTop`, read as a property: each browser call a module uses has its
/// JavaScript glue in the first load (whichever chunk calls it), and `Reflect` is there
/// already.
pub fn scroll_top(el: &Element) -> f64 {
    js_sys::Reflect::get(el, &"scrollTop".into())
        .ok()
        .and_then(|v| v.as_f64())
        .unwrap_or(0.0)
}

/// Sets an element's `scrollTop` (as [`scroll_top`] reads it).
pub fn set_scroll_top(el: &Element, px: f64) {
    let _ = js_sys::Reflect::set(el, &"scrollTop".into(), &px.into());
}

/// Writes `text` into `el` only when it differs from what it shows.
pub fn set_text(el: &Element, text: &str) {
    if el.text_content().as_deref() != Some(text) {
        el.set_text_content(Some(text));
    }
}

/// The broker view: a split point, so none of it is in the first load.
#[leptos::wasm_split::wasm_split(insight_view, wasm_split_path = ::leptos::wasm_split, fallible)]
pub fn insight_view() -> Result<AnyView, SplitLoaderError> {
    Ok(view().into_any())
}

fn view() -> impl IntoView {
    let state = use_app_state();
    let runtime = use_runtime();
    let first = state.config.with_untracked(|c| {
        let active = state.active_dashboard.get_untracked();
        c.dashboards
            .iter()
            .find(|d| d.id == active)
            .map(|d| d.connection.clone())
            .or_else(|| c.connections.first().map(|c| c.id.clone()))
            .unwrap_or_default()
    });
    let ins = Insight {
        lang: state.lang.into(),
        connection: RwSignal::new(first),
        panel: RwSignal::new(Panel::Topics),
        filter: RwSignal::new(None),
        frame: Local::new(Frame::new()),
        tree: Local::new(Rc::new(RefCell::new(tree::Tree::default()))),
        log: Local::new(Rc::new(RefCell::new(log::Log::default()))),
    };
    // The watch follows the connection and the explorer's filter; a new connection starts
    // with an empty tree and log.
    {
        let ins = ins.clone();
        Effect::new(move |was: Option<String>| {
            let connection = ins.connection.get();
            let filter = ins.filter.get();
            if was.as_ref().is_some_and(|w| *w != connection) {
                ins.tree.borrow_mut().clear();
                ins.log.borrow_mut().clear();
                ins.frame.ask();
            }
            let on_message = {
                let ins = ins.clone();
                let filter = filter.clone();
                move |m: &Message| {
                    let seen = Seen::of(m, js_sys::Date::now());
                    if filter
                        .as_deref()
                        .is_none_or(|f| mqtt_codec_wasm::topic::matches_filter(f, &seen.topic))
                    {
                        ins.tree.borrow_mut().add(&seen);
                    }
                    ins.log.borrow_mut().push(seen);
                    ins.frame.ask();
                }
            };
            runtime.with_value(|rt| {
                rt.watch(
                    state,
                    Some(Monitor {
                        connection: connection.clone(),
                        filter,
                        on_message: Box::new(on_message),
                    }),
                )
            });
            connection
        });
    }
    on_cleanup(move || runtime.with_value(|rt| rt.watch(state, None)));

    let lang = state.lang;
    let connections = move || {
        state.config.with(|c| {
            c.connections
                .iter()
                .map(|x| (x.id.clone(), x.name.clone()))
                .collect::<Vec<_>>()
        })
    };
    let connection = ins.connection;
    let panel = ins.panel;
    let tab = move |p: Panel, label: fn(Lang) -> &'static str| {
        view! {
            <button
                type="button"
                role="tab"
                class="insight-tab"
                data-panel=panel_tag(p)
                aria-selected=move || if panel.get() == p { "true" } else { "false" }
                on:click=move |_| panel.set(p)
            >
                {move || label(lang.get())}
            </button>
        }
    };
    view! {
        <section class="insight" id="insight">
            <div class="insight-bar">
                <label class="insight-connection">
                    <span>{move || words(lang.get()).connection}</span>
                    <select on:change=move |ev| connection.set(event_target_value(&ev))>
                        {move || {
                            connections()
                                .into_iter()
                                .map(|(id, name)| {
                                    let selected = id == connection.get_untracked();
                                    view! { <option value=id selected=selected>{name}</option> }
                                })
                                .collect_view()
                        }}
                    </select>
                </label>
                <div role="tablist" class="insight-tabs">
                    {tab(Panel::Topics, |l| words(l).topics)}
                    {tab(Panel::Log, |l| words(l).log)}
                    {tab(Panel::Publish, |l| words(l).publish)}
                </div>
            </div>
            <div class="insight-panel" data-panel="topics" hidden=move || panel.get() != Panel::Topics>
                {explorer::view(ins.clone())}
            </div>
            <div class="insight-panel" data-panel="log" hidden=move || panel.get() != Panel::Log>
                {log::view(ins.clone())}
            </div>
            <div class="insight-panel" data-panel="publish" hidden=move || panel.get() != Panel::Publish>
                {publish::view(ins.clone())}
            </div>
        </section>
    }
}

fn panel_tag(p: Panel) -> &'static str {
    match p {
        Panel::Topics => "topics",
        Panel::Log => "log",
        Panel::Publish => "publish",
    }
}

/// The broker view's own words (with it in its chunk, not in the first load).
struct Words {
    connection: &'static str,
    topics: &'static str,
    log: &'static str,
    publish: &'static str,
}

fn words(lang: Lang) -> Words {
    match lang {
        Lang::Es => Words {
            connection: "Conexión",
            topics: "Temas",
            log: "Mensajes",
            publish: "Publicar",
        },
        Lang::En => Words {
            connection: "Connection",
            topics: "Topics",
            log: "Messages",
            publish: "Publish",
        },
    }
}
