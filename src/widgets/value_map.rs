//! Value → label and colour maps: a payload shown as words in a colour of its own (`1` →
//! "Open" in red, `alarm` → "Alarm!"), for the value card and the LED. One draft in the
//! editor serves both (changing between them keeps the rows), with its rows' fields.

use leptos::prelude::*;

use super::WidgetDraft;
use crate::components::form::*;
use crate::config::{MAX_MAP_ROWS, ValueMap};
use crate::i18n::EdText;

/// The row that maps `text`, if one does.
pub fn lookup<'a>(map: &'a [ValueMap], text: &str) -> Option<&'a ValueMap> {
    map.iter().find(|row| row.when == text)
}

/// A row as typed; `key` is stable while the row lives.
#[derive(Debug, Clone, PartialEq)]
pub struct MapRowDraft {
    pub key: u32,
    pub when: String,
    pub label: String,
    pub color: String,
}

impl Keyed for MapRowDraft {
    fn key(&self) -> u32 {
        self.key
    }
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct MapDraft {
    pub rows: Vec<MapRowDraft>,
    next_key: u32,
}

impl MapDraft {
    pub fn new(map: &[ValueMap]) -> Self {
        let mut d = Self::default();
        for m in map {
            d.push(m.when.clone(), m.label.clone(), m.color.clone());
        }
        d
    }

    fn push(&mut self, when: String, label: String, color: String) {
        self.next_key += 1;
        self.rows.push(MapRowDraft {
            key: self.next_key,
            when,
            label,
            color,
        });
    }

    pub fn build(&self) -> Vec<ValueMap> {
        self.rows
            .iter()
            .map(|r| ValueMap {
                when: r.when.clone(),
                label: r.label.clone(),
                color: r.color.trim().to_owned(),
            })
            .collect()
    }
}

/// The field paths the rows have inputs for.
pub const MAP_FIELDS: &[&str] = &["map", "map[].when", "map[].label", "map[].color"];

fn map_row(d: &WidgetDraft, key: u32) -> Option<&MapRowDraft> {
    row(&d.map.rows, key)
}

fn map_row_mut(d: &mut WidgetDraft, key: u32) -> Option<&mut MapRowDraft> {
    row_mut(&mut d.map.rows, key)
}

fn row_view(ctx: FormCtx, draft: RwSignal<WidgetDraft>, key: u32) -> AnyView {
    let path = move |leaf: &'static str| {
        Signal::derive(move || {
            draft.with(|d| format!("map[{}].{leaf}", row_index(&d.map.rows, key)))
        })
    };
    view! {
        <RowFrame
            ctx
            class="map-row"
            number=EdText::EdMapRowN
            index=Signal::derive(move || draft.with(|d| row_index(&d.map.rows, key)))
            can_remove=Signal::stored(true)
            on_remove=Callback::new(move |_| draft.update(|d| d.map.rows.retain(|r| r.key != key)))
        >
            <div class="pair">
                <TextField ctx field=path("when") label=EdText::EdMapWhen
                    bind=bind_row(draft, key, |d, k| map_row(d, k).map(|r| &r.when), |d, k| map_row_mut(d, k).map(|r| &mut r.when)) />
                <TextField ctx field=path("label") label=EdText::EdMapLabel
                    bind=bind_row(draft, key, |d, k| map_row(d, k).map(|r| &r.label), |d, k| map_row_mut(d, k).map(|r| &mut r.label)) />
            </div>
            <TextField ctx field=path("color") label=EdText::EdMapColor
                bind=bind_row(draft, key, |d, k| map_row(d, k).map(|r| &r.color), |d, k| map_row_mut(d, k).map(|r| &mut r.color)) />
        </RowFrame>
    }
    .into_any()
}

/// The rows of the draft's map, with "add".
pub fn map_fields(ctx: FormCtx, draft: RwSignal<WidgetDraft>) -> impl IntoView {
    let keys = Signal::derive(move || draft.with(|d| d.map.rows.iter().map(|r| r.key).collect()));
    view! {
        <Rows
            ctx
            field="map"
            class="map"
            legend=EdText::EdMap
            hint=EdText::EdMapHint
            add_class="add-map-row"
            add_label=EdText::EdAddMapRow
            keys
            max=MAX_MAP_ROWS
            on_add=Callback::new(move |_| draft.update(|d| d.map.push(String::new(), String::new(), String::new())))
            row=Callback::new(move |key| row_view(ctx, draft, key))
        />
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_text_is_mapped_exactly_and_rows_round_trip_through_the_draft() {
        let map = vec![
            ValueMap {
                when: "1".into(),
                label: "Abierta".into(),
                color: "#dc2626".into(),
            },
            ValueMap {
                when: "0".into(),
                label: "Cerrada".into(),
                color: String::new(),
            },
        ];
        assert_eq!(lookup(&map, "1").map(|r| r.label.as_str()), Some("Abierta"));
        assert_eq!(lookup(&map, "1.0"), None, "texts are matched exactly");
        assert_eq!(MapDraft::new(&map).build(), map);
    }
}
