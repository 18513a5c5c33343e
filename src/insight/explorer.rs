//! The topic explorer: subscribe a filter, see the tree of topics with each one's last
//! value, count, rate, retained flag and age, narrow it by text, look at a topic's payload
//! as text, JSON or hex, make a widget from it, or delete its retained message.
//!
//! The tree is drawn by a [`VirtualList`] from [`Tree::rows`], painted at most once a frame
//! ([`super::Frame`]) while this panel is shown; the topic picked is described below it,
//! redrawn at the frame after a message on it (never per message).

use std::cell::Cell;
use std::rc::Rc;

use leptos::html::Div;
use leptos::prelude::*;
use mqtt_codec_wasm::topic::validate_topic_filter;
use mqtt_session::{Properties, QoS};
use wasm_bindgen::JsCast;
use web_sys::Element;

use super::guess::{OFFERED, fields, suggest, widget_for};
use super::payload::{Shown, show};
use super::tree::{NodeId, Tree};
use super::{Insight, Panel, VirtualList, set_text};
use crate::config::{Config, Dashboard, PRESETS};
use crate::describe::{publish_error_text, topic_error_text};
use crate::i18n::{Lang, ted};
use crate::pages::dashboard::Editing;
use crate::retained::on_event;
use crate::runtime::use_runtime;
use crate::state::use_app_state;

/// Characters of a payload a row shows.
const ROW_CHARS: usize = 80;
/// Characters of a payload the detail shows.
const DETAIL_CHARS: usize = 20_000;

const CELLS: &[&str] = &["tw", "tn", "tv", "tf", "tc", "tr", "ta"];

/// The filter offered at first: `#` under the levels every topic of the connection's
/// widgets shares (`tablero/demo/#`), or `#` when they share none.
fn default_filter(config: &Config, connection: &str) -> String {
    let mut common: Option<Vec<&str>> = None;
    for d in config
        .dashboards
        .iter()
        .filter(|d| d.connection == connection)
    {
        for w in &d.widgets {
            for topic in crate::widgets::topics(&w.kind) {
                let levels: Vec<&str> = topic.split('/').collect();
                // The last level is the topic's own: a prefix is what is above it.
                let above = &levels[..levels.len().saturating_sub(1)];
                common = Some(match common {
                    None => above.to_vec(),
                    Some(c) => c
                        .iter()
                        .zip(above)
                        .take_while(|(a, b)| a == b)
                        .map(|(a, _)| *a)
                        .collect(),
                });
            }
        }
    }
    match common.filter(|c| !c.is_empty() && c.iter().all(|l| !l.contains(['+', '#']))) {
        Some(levels) => format!("{}/#", levels.join("/")),
        None => "#".into(),
    }
}

/// Whether a filter takes a public broker's whole traffic: `#`, or `#` under `+` levels.
fn takes_everything(filter: &str) -> bool {
    filter.split('/').all(|l| l == "+" || l == "#")
}

fn is_public(config: &Config, connection: &str) -> bool {
    config
        .connections
        .iter()
        .find(|c| c.id == connection)
        .is_some_and(|c| PRESETS.iter().any(|p| p.host == c.host))
}

/// "3 s", "5 min", "2 h", "4 d".
fn age(ms: f64) -> String {
    let s = (ms / 1000.0).max(0.0) as u64;
    match s {
        0..60 => format!("{s} s"),
        60..3600 => format!("{} min", s / 60),
        3600..86_400 => format!("{} h", s / 3600),
        _ => format!("{} d", s / 86_400),
    }
}

fn rate(per_s: f64) -> String {
    if per_s <= 0.0 {
        String::new()
    } else if per_s < 10.0 {
        format!("{:.1}/s", per_s)
    } else {
        format!("{:.0}/s", per_s)
    }
}

/// Writes a tree row: twisty, name (indented by depth), value, retained flag, count, rate,
/// age.
fn fill_row(
    tree: &Tree,
    id: NodeId,
    now: f64,
    selected: Option<NodeId>,
    w: &Words,
    row: &Element,
    cells: &[Element],
) {
    let Some(node) = tree.node(id) else { return };
    let twisty = match (node.has_children(), node.expanded) {
        (false, _) => "",
        (true, true) => "▾",
        (true, false) => "▸",
    };
    set_text(&cells[0], twisty);
    let indent = format!(
        "padding-left:{}rem",
        f32::from(node.depth.saturating_sub(1)) * 0.9
    );
    if cells[0].get_attribute("style").as_deref() != Some(indent.as_str()) {
        let _ = cells[0].set_attribute("style", &indent);
    }
    set_text(
        &cells[1],
        if node.name.is_empty() {
            "∅"
        } else {
            &node.name
        },
    );
    match &node.last {
        Some(last) => {
            set_text(&cells[2], &show(&last.payload, Shown::Text, ROW_CHARS));
            set_text(&cells[3], if last.retain { w.retained_mark } else { "" });
            set_text(&cells[5], &rate(node.rate(now)));
            set_text(&cells[6], &age(now - last.at_ms));
        }
        None => {
            set_text(
                &cells[2],
                &format!("({})", w.count_topics(node.topics_below)),
            );
            for c in [3, 5, 6] {
                set_text(&cells[c], "");
            }
        }
    }
    set_text(
        &cells[4],
        &if node.count > 0 {
            node.count.to_string()
        } else {
            String::new()
        },
    );
    let on = if selected == Some(id) {
        "true"
    } else {
        "false"
    };
    if row.get_attribute("aria-selected").as_deref() != Some(on) {
        let _ = row.set_attribute("aria-selected", on);
    }
}

pub fn view(ins: Insight) -> impl IntoView {
    let state = use_app_state();
    let lang = ins.lang;
    let selected = RwSignal::new(None::<NodeId>);
    // Bumped at a paint after a message on the topic picked: its detail is drawn again.
    let seen_tick = RwSignal::new(0u64);
    let topics = RwSignal::new(0u32);
    let left_out = RwSignal::new(0u64);
    let draft = RwSignal::new(
        state
            .config
            .with_untracked(|c| default_filter(c, &ins.connection.get_untracked())),
    );
    let problem = RwSignal::new(None::<String>);
    // A filter that takes a public broker's whole traffic waits for a second "yes".
    let warned = RwSignal::new(None::<String>);
    let text = RwSignal::new(String::new());
    let list_host = NodeRef::<Div>::new();

    // A new connection: the filter offered is its own, nothing is picked.
    Effect::new(move |was: Option<String>| {
        let connection = ins.connection.get();
        if was.is_some_and(|w| w != connection) {
            selected.set(None);
            problem.set(None);
            warned.set(None);
            draft.set(
                state
                    .config
                    .with_untracked(|c| default_filter(c, &connection)),
            );
        }
        connection
    });

    {
        let ins = ins.clone();
        list_host.on_load(move |host| {
            let host: Element = host.into();
            let tree: Rc<std::cell::RefCell<Tree>> = (*ins.tree).clone();
            let now = Rc::new(Cell::new(js_sys::Date::now()));
            let list = {
                let tree = tree.clone();
                let now = now.clone();
                VirtualList::new(&host, "topic-tree", CELLS, move |index, row, cells| {
                    let tree = tree.borrow();
                    if let Some(id) = tree.row(index) {
                        let w = words(lang.get_untracked());
                        fill_row(
                            &tree,
                            id,
                            now.get(),
                            selected.get_untracked(),
                            &w,
                            row,
                            cells,
                        );
                    }
                })
            };
            let _ = list.element().set_attribute("role", "tree");
            // One handler for every row: a tap picks the topic; on the twisty, or on a level
            // with no message of its own, it also opens or closes it.
            {
                let tree = tree.clone();
                let frame: super::Frame = (*ins.frame).clone();
                on_event(&list.element(), "click", move |ev| {
                    let Some(target) = ev.target().and_then(|t| t.dyn_into::<Element>().ok())
                    else {
                        return;
                    };
                    let Some(row) = target.closest(".vlist-row").ok().flatten() else {
                        return;
                    };
                    let Some(index) = row
                        .get_attribute("data-index")
                        .and_then(|i| i.parse::<usize>().ok())
                    else {
                        return;
                    };
                    let mut t = tree.borrow_mut();
                    let Some(id) = t.row(index) else { return };
                    let twisty = target.get_attribute("class").as_deref() == Some("tw");
                    if twisty || t.node(id).is_some_and(|n| n.last.is_none()) {
                        t.toggle(id);
                    }
                    drop(t);
                    selected.set(Some(id));
                    frame.ask();
                });
            }
            let painted = Cell::new((u64::MAX, 0.0_f64));
            let picked_seen = Cell::new(None::<(NodeId, u64)>);
            let panel = ins.panel;
            let tree_el = list.element();
            ins.frame.on_paint(move || {
                if panel.get_untracked() != Panel::Topics {
                    return;
                }
                let t_now = js_sys::Date::now();
                let changes = tree.borrow().changes;
                let (was, at) = painted.get();
                // Ages and rates move with the clock: a quiet tree is still drawn each second.
                if was == changes && t_now - at < 1000.0 {
                    return;
                }
                painted.set((changes, t_now));
                now.set(t_now);
                let (len, count, left) = {
                    let mut t = tree.borrow_mut();
                    (t.rows().len(), t.topics(), t.left_out)
                };
                if left_out.get_untracked() != left {
                    left_out.set(left);
                }
                list.paint(len);
                if topics.get_untracked() != count {
                    topics.set(count);
                }
                let _ = tree_el.set_attribute("data-topics", &count.to_string());
                // The topic picked is described again only when a message reached it.
                let picked = selected
                    .get_untracked()
                    .map(|id| (id, tree.borrow().node(id).map_or(0, |n| n.count)));
                if picked.is_some() && picked_seen.replace(picked) != picked {
                    seen_tick.update(|n| *n += 1);
                }
            });
            ins.frame.ask();
        });
    }
    // Shown again, a text filter typed, a pick, a second: paint.
    {
        let ins = ins.clone();
        Effect::new(move |_| {
            ins.panel.track();
            state.now_ms.track();
            selected.track();
            ins.tree.borrow_mut().set_text(&text.get());
            ins.tree.borrow_mut().changes += 1;
            ins.frame.ask();
        });
    }

    let subscribe = {
        let ins = ins.clone();
        move || {
            let filter = draft.get_untracked().trim().to_owned();
            let l = lang.get_untracked();
            if let Err(e) = validate_topic_filter(&filter) {
                problem.set(Some(format!(
                    "{} {}",
                    words(l).bad_filter,
                    topic_error_text(e, l)
                )));
                return;
            }
            let public = state
                .config
                .with_untracked(|c| is_public(c, &ins.connection.get_untracked()));
            if public && takes_everything(&filter) && warned.get_untracked() != Some(filter.clone())
            {
                warned.set(Some(filter));
                return;
            }
            problem.set(None);
            warned.set(None);
            ins.tree.borrow_mut().start_for(&filter);
            selected.set(None);
            ins.filter.set(Some(filter));
        }
    };
    let unsubscribe = {
        let ins = ins.clone();
        move |_| {
            ins.filter.set(None);
            warned.set(None);
        }
    };

    view! {
        <div class="explorer">
            <form
                class="explorer-subscribe"
                on:submit=move |ev| {
                    ev.prevent_default();
                    subscribe();
                }
            >
                <label>
                    <span>{move || words(lang.get()).filter}</span>
                    <input
                        type="text"
                        name="filter"
                        autocomplete="off"
                        spellcheck="false"
                        prop:value=move || draft.get()
                        on:input=move |ev| {
                            draft.set(event_target_value(&ev));
                            problem.set(None);
                        }
                    />
                </label>
                <button type="submit" class="primary" name="subscribe">
                    {move || {
                        let w = words(lang.get());
                        if warned.get().is_some() { w.subscribe_anyway } else { w.subscribe }
                    }}
                </button>
                <Show when=move || ins.filter.get().is_some()>
                    <button type="button" name="unsubscribe" on:click=unsubscribe>
                        {move || words(lang.get()).unsubscribe}
                    </button>
                </Show>
            </form>
            <p class="problem" role="alert" hidden=move || problem.with(Option::is_none)>
                {move || problem.get().unwrap_or_default()}
            </p>
            <p class="warning" role="alert" hidden=move || warned.with(Option::is_none)>
                {move || words(lang.get()).public_warning}
            </p>
            <p class="explorer-status" role="status">
                {move || {
                    let w = words(lang.get());
                    let n = topics.get();
                    let line = match ins.filter.get() {
                        Some(f) => format!("{} {f} · {}", w.subscribed_to, w.count_topics(n)),
                        None => format!("{} · {}", w.not_subscribed, w.count_topics(n)),
                    };
                    match left_out.get() {
                        0 => line,
                        n => format!("{line} · {} {n}", w.left_out),
                    }
                }}
            </p>
            <label class="explorer-text">
                <span>{move || words(lang.get()).narrow}</span>
                <input
                    type="search"
                    name="narrow"
                    autocomplete="off"
                    prop:value=move || text.get()
                    on:input=move |ev| text.set(event_target_value(&ev))
                    on:change=move |ev| text.set(event_target_value(&ev))
                />
            </label>
            <div class="explorer-tree" node_ref=list_host></div>
            {move || {
                selected.get().map(|id| view! { <TopicDetail id seen_tick ins=ins.clone() /> })
            }}
        </div>
    }
}

/// The topic picked: its payload in the format chosen, its figures, its JSON fields to tap,
/// "make a widget" and "delete the retained message".
#[component]
fn TopicDetail(id: NodeId, seen_tick: RwSignal<u64>, ins: Insight) -> impl IntoView {
    let state = use_app_state();
    let runtime = use_runtime();
    let lang = ins.lang;
    let topic = ins.tree.borrow().topic(id);
    // What the topic holds now, read again at each paint that saw a message.
    let now = {
        let tree: Rc<std::cell::RefCell<Tree>> = (*ins.tree).clone();
        let tree = super::Local::new(tree);
        move || {
            seen_tick.track();
            let tree = tree.borrow();
            let node = tree.node(id);
            (
                node.and_then(|n| n.last.clone()),
                node.map_or(0, |n| n.count),
                node.map_or(0.0, |n| n.rate(js_sys::Date::now())),
            )
        }
    };
    let payload = Memo::new({
        let now = now.clone();
        move |_| now().0.map(|l| l.payload.to_vec()).unwrap_or_default()
    });
    let shown = RwSignal::new(Shown::Text);
    let picked = RwSignal::new(None::<String>);
    let kind = RwSignal::new(payload.with_untracked(|p| suggest(p, None)));
    let confirming = RwSignal::new(false);
    let outcome = RwSignal::new(None::<Result<(), String>>);
    let retained = {
        let now = now.clone();
        move || now().0.is_some_and(|l| l.retain && !l.payload.is_empty())
    };

    let figures = {
        let now = now.clone();
        move || {
            let (last, count, per_s) = now();
            let w = words(lang.get());
            let mut parts = vec![format!("{count} {}", w.messages)];
            if per_s > 0.0 {
                parts.push(rate(per_s));
            }
            if let Some(l) = &last {
                parts.push(format!("QoS {}", l.qos));
                if l.retain {
                    parts.push(w.retained.to_owned());
                }
                parts.push(format!("{} B", l.size));
                parts.push(format!("{} {}", age(state.now_ms.get() - l.at_ms), w.ago));
            }
            parts.join(" · ")
        }
    };
    let shown_payload = move || payload.with(|p| show(p, shown.get(), DETAIL_CHARS));
    let make_widget = {
        let topic = topic.clone();
        let connection = ins.connection;
        move |_| {
            let l = lang.get_untracked();
            let connection = connection.get_untracked();
            let path = picked.get_untracked();
            let kind = kind.get_untracked();
            let Some(dashboard) = dashboard_for(state, &connection, l) else {
                return;
            };
            let id = (1..)
                .map(|n| format!("{}-{n}", kind.tag()))
                .find(|id| dashboard.widgets.iter().all(|w| &w.id != id))
                .unwrap_or_default();
            let widget =
                payload.with_untracked(|p| widget_for(kind, &topic, p, path.as_deref(), id, l));
            let editing = expect_context::<RwSignal<Option<Editing>>>();
            state.active_dashboard.set(dashboard.id);
            state.exploring.set(false);
            state.editing.set(true);
            editing.set(Some(Editing::Widget {
                index: None,
                widget,
            }));
        }
    };
    let delete = {
        let topic = topic.clone();
        move |_| {
            let connection = ins.connection.get_untracked();
            let sent = runtime.with_value(|rt| {
                rt.publish_message(
                    &connection,
                    &topic,
                    Vec::new(),
                    QoS::AtLeastOnce,
                    true,
                    Properties::default(),
                )
            });
            confirming.set(false);
            outcome.set(Some(
                sent.map_err(|e| publish_error_text(&e, lang.get_untracked())),
            ));
        }
    };
    let pick = move |path: String| {
        let p = Some(path);
        let k = payload.with_untracked(|payload| suggest(payload, p.as_deref()));
        picked.set(p);
        kind.set(k);
    };

    view! {
        <section class="topic-detail" aria-live="polite">
            <h3 class="topic-name">{topic.clone()}</h3>
            <p class="topic-figures">{figures}</p>
            <div class="topic-formats" role="group">
                {[Shown::Text, Shown::Json, Shown::Hex]
                    .into_iter()
                    .map(|s| {
                        view! {
                            <button
                                type="button"
                                data-format=s.tag()
                                aria-pressed=move || if shown.get() == s { "true" } else { "false" }
                                on:click=move |_| shown.set(s)
                            >
                                {s.tag().to_uppercase()}
                            </button>
                        }
                    })
                    .collect_view()}
            </div>
            <pre class="payload">{shown_payload}</pre>
            <Show when=move || payload.with(|p| !fields(p).is_empty())>
                <p class="topic-fields-lead">{move || words(lang.get()).pick_field}</p>
            </Show>
            <div class="topic-fields">
                {move || payload.with(|p| fields(p))
                    .into_iter()
                    .map(|f| {
                        let path = f.path.clone();
                        let here = f.path.clone();
                        view! {
                            <button
                                type="button"
                                class="topic-field"
                                data-path=f.path.clone()
                                aria-pressed=move || {
                                    if picked.get().as_deref() == Some(here.as_str()) { "true" } else { "false" }
                                }
                                on:click=move |_| pick(path.clone())
                            >
                                <code>{f.path.clone()}</code>
                                " = "
                                {crate::payload::excerpt(&f.value, 40)}
                            </button>
                        }
                    })
                    .collect_view()}
            </div>
            <div class="topic-actions">
                <label>
                    <span>{move || words(lang.get()).kind}</span>
                    <select
                        name="kind"
                        on:change=move |ev| {
                            let tag = event_target_value(&ev);
                            if let Some(k) = OFFERED.into_iter().find(|k| k.tag() == tag) {
                                kind.set(k);
                            }
                        }
                    >
                        {OFFERED
                            .into_iter()
                            .map(|k| {
                                view! {
                                    <option value=k.tag() selected=move || kind.get() == k>
                                        {move || ted(lang.get(), k.label())}
                                    </option>
                                }
                            })
                            .collect_view()}
                    </select>
                </label>
                <button type="button" class="primary" name="make-widget" on:click=make_widget>
                    {move || words(lang.get()).make_widget}
                </button>
                <Show when=retained>
                    <button
                        type="button"
                        class="danger"
                        name="delete-retained"
                        on:click=move |_| {
                            outcome.set(None);
                            confirming.set(true);
                        }
                    >
                        {move || words(lang.get()).delete_retained}
                    </button>
                </Show>
            </div>
            <Show when=move || confirming.get()>
                <div class="confirm-delete" role="alertdialog">
                    <p>{move || words(lang.get()).delete_question}</p>
                    <button type="button" class="danger" name="confirm-delete" on:click=delete.clone()>
                        {move || words(lang.get()).delete_yes}
                    </button>
                    <button type="button" name="cancel-delete" on:click=move |_| confirming.set(false)>
                        {move || words(lang.get()).cancel}
                    </button>
                </div>
            </Show>
            {move || {
                outcome
                    .get()
                    .map(|r| match r {
                        Ok(()) => {
                            view! {
                                <p class="deleted" role="status">{move || words(lang.get()).deleted}</p>
                            }
                                .into_any()
                        }
                        Err(why) => view! { <p class="problem" role="alert">{why}</p> }.into_any(),
                    })
            }}
        </section>
    }
}

/// The dashboard a widget made from a topic of `connection` goes to: the one shown if it
/// uses that connection, else the first that does, else a new one bound to it.
fn dashboard_for(state: crate::state::AppState, connection: &str, lang: Lang) -> Option<Dashboard> {
    let found = state.config.with_untracked(|c| {
        let active = state.active_dashboard.get_untracked();
        let of = |d: &&Dashboard| d.connection == connection;
        c.dashboards
            .iter()
            .filter(of)
            .find(|d| d.id == active)
            .or_else(|| c.dashboards.iter().find(of))
            .cloned()
    });
    if found.is_some() {
        return found;
    }
    let mut made = None;
    let _ = state.update_config(|c| {
        let id = (1..)
            .map(|n| format!("dashboard-{n}"))
            .find(|id| c.dashboards.iter().all(|d| &d.id != id))
            .unwrap_or_default();
        let name = c
            .connections
            .iter()
            .find(|x| x.id == connection)
            .map(|x| x.name.clone())
            .unwrap_or_else(|| words(lang).topics.to_owned());
        let d = Dashboard {
            id,
            name,
            connection: connection.to_owned(),
            widgets: Vec::new(),
        };
        made = Some(d.clone());
        c.dashboards.push(d);
    });
    made
}

/// The explorer's words (in its chunk).
struct Words {
    filter: &'static str,
    subscribe: &'static str,
    subscribe_anyway: &'static str,
    unsubscribe: &'static str,
    public_warning: &'static str,
    bad_filter: &'static str,
    subscribed_to: &'static str,
    not_subscribed: &'static str,
    left_out: &'static str,
    topic_word: &'static str,
    topics_word: &'static str,
    topics: &'static str,
    narrow: &'static str,
    retained_mark: &'static str,
    retained: &'static str,
    messages: &'static str,
    ago: &'static str,
    pick_field: &'static str,
    kind: &'static str,
    make_widget: &'static str,
    delete_retained: &'static str,
    delete_question: &'static str,
    delete_yes: &'static str,
    cancel: &'static str,
    deleted: &'static str,
}

impl Words {
    fn count_topics(&self, n: u32) -> String {
        format!(
            "{n} {}",
            if n == 1 {
                self.topic_word
            } else {
                self.topics_word
            }
        )
    }
}

fn words(lang: Lang) -> Words {
    match lang {
        Lang::Es => Words {
            filter: "Filtro de temas",
            subscribe: "Suscribir",
            subscribe_anyway: "Suscribir de todos modos",
            unsubscribe: "Dejar de suscribir",
            public_warning: "Este filtro recibe todos los temas de un broker público: miles de mensajes por segundo de desconocidos. Mejor pon tu prefijo delante (mi-prefijo/#). ¿Suscribir de todos modos?",
            bad_filter: "Filtro no válido:",
            subscribed_to: "Suscrito a",
            not_subscribed: "Sin suscripción propia: solo los temas de los widgets",
            left_out: "árbol lleno: mensajes de temas nuevos no mostrados:",
            topic_word: "tema",
            topics_word: "temas",
            topics: "Temas",
            narrow: "Buscar en los temas",
            retained_mark: "R",
            retained: "retenido",
            messages: "mensajes",
            ago: "atrás",
            pick_field: "Toca un campo para leerlo en el widget:",
            kind: "Tipo",
            make_widget: "Crear un widget",
            delete_retained: "Borrar el mensaje retenido",
            delete_question: "¿Borrar el mensaje retenido de este tema? Los dispositivos que se conecten después ya no lo recibirán.",
            delete_yes: "Borrar",
            cancel: "Cancelar",
            deleted: "Mensaje retenido borrado.",
        },
        Lang::En => Words {
            filter: "Topic filter",
            subscribe: "Subscribe",
            subscribe_anyway: "Subscribe anyway",
            unsubscribe: "Unsubscribe",
            public_warning: "This filter takes every topic of a public broker: thousands of messages a second from strangers. Better put your prefix in front (my-prefix/#). Subscribe anyway?",
            bad_filter: "Not a valid filter:",
            subscribed_to: "Subscribed to",
            not_subscribed: "No subscription of its own: only the widgets' topics",
            left_out: "tree full: messages on new topics not shown:",
            topic_word: "topic",
            topics_word: "topics",
            topics: "Topics",
            narrow: "Search topics",
            retained_mark: "R",
            retained: "retained",
            messages: "messages",
            ago: "ago",
            pick_field: "Tap a field to read it in the widget:",
            kind: "Kind",
            make_widget: "Make a widget",
            delete_retained: "Delete retained message",
            delete_question: "Delete this topic's retained message? Devices that connect later will no longer get it.",
            delete_yes: "Delete",
            cancel: "Cancel",
            deleted: "Retained message deleted.",
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_filter_offered_is_the_prefix_the_widgets_share() {
        let mut c =
            crate::config::public_demo_config("id".into(), &PRESETS[0], "tablero/ab12", Lang::En);
        let connection = c.dashboards[0].connection.clone();
        assert_eq!(default_filter(&c, &connection), "tablero/ab12/#");
        assert_eq!(default_filter(&c, "other"), "#");
        c.dashboards[0].widgets.truncate(0);
        assert_eq!(default_filter(&c, &connection), "#");
    }

    #[test]
    fn everything_filters_are_recognised() {
        assert!(takes_everything("#"));
        assert!(takes_everything("+/#"));
        assert!(!takes_everything("mine/#"));
    }

    #[test]
    fn ages_and_rates_read_short() {
        assert_eq!(age(3_400.0), "3 s");
        assert_eq!(age(300_000.0), "5 min");
        assert_eq!(rate(0.0), "");
        assert_eq!(rate(2.0), "2.0/s");
        assert_eq!(rate(250.0), "250/s");
    }
}
