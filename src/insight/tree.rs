//! The explorer's tree of topics: one node per topic level, each topic's last message, its
//! count, rate and age, and which rows the list shows. Pure (no DOM, time passed in), so it
//! is tested natively; the view draws only the rows in sight from [`Tree::rows`].
//!
//! A message costs a walk down its levels (a binary search among each level's children) and
//! no allocation unless a level is new; the rows are listed again only when the tree's shape,
//! an expansion or the text filter changed, once per frame at most (the view asks).

use mqtt_session::Bytes;

use super::Seen;

/// The most levels the tree holds: a busy public broker under `#` has hundreds of thousands
/// of topics; past this, messages on new topics are counted (`left_out`), not kept.
pub const MAX_NODES: usize = 100_000;
/// The most bytes of a topic's last payload kept (the size is kept whole): what the detail
/// can show, without a megabyte per topic held for the tree.
pub const KEPT_PAYLOAD: usize = 64 * 1024;

/// How long the rate's window is: a topic's rate is its messages in the last whole window.
const RATE_WINDOW_MS: f64 = 5_000.0;

pub type NodeId = u32;

#[derive(Debug)]
pub struct Node {
    /// This level's name (empty for an empty level, as in `a//b`).
    pub name: String,
    pub parent: NodeId,
    pub depth: u16,
    /// Children sorted by name.
    children: Vec<NodeId>,
    pub expanded: bool,
    /// The last message on exactly this topic, if any came.
    pub last: Option<Last>,
    /// Messages on exactly this topic.
    pub count: u64,
    /// Topics with messages in this subtree, this one included.
    pub topics_below: u32,
    window_start: f64,
    window_count: u32,
    /// Messages per second in the last whole window.
    last_rate: f64,
}

#[derive(Debug, Clone)]
pub struct Last {
    /// At most [`KEPT_PAYLOAD`] bytes of it.
    pub payload: Bytes,
    /// The payload's whole size.
    pub size: usize,
    pub retain: bool,
    pub qos: u8,
    pub at_ms: f64,
}

impl Node {
    fn new(name: &str, parent: NodeId, depth: u16, open_depth: u16) -> Self {
        Self {
            name: name.to_owned(),
            parent,
            depth,
            children: Vec::new(),
            expanded: depth <= open_depth,
            last: None,
            count: 0,
            topics_below: 0,
            window_start: 0.0,
            window_count: 0,
            last_rate: 0.0,
        }
    }

    pub fn has_children(&self) -> bool {
        !self.children.is_empty()
    }

    /// Messages per second, as of `now_ms`: the last whole window's, and 0 once a whole
    /// window has passed with none.
    pub fn rate(&self, now_ms: f64) -> f64 {
        if now_ms - self.window_start >= 2.0 * RATE_WINDOW_MS {
            0.0
        } else if now_ms - self.window_start >= RATE_WINDOW_MS {
            f64::from(self.window_count) * 1000.0 / RATE_WINDOW_MS
        } else {
            self.last_rate
        }
    }

    fn count_in_window(&mut self, at_ms: f64) {
        if at_ms - self.window_start >= RATE_WINDOW_MS {
            self.last_rate = if at_ms - self.window_start >= 2.0 * RATE_WINDOW_MS {
                0.0
            } else {
                f64::from(self.window_count) * 1000.0 / RATE_WINDOW_MS
            };
            self.window_start = at_ms;
            self.window_count = 0;
        }
        self.window_count += 1;
    }
}

#[derive(Debug)]
pub struct Tree {
    /// Node 0 is the root (no level of its own).
    nodes: Vec<Node>,
    /// The rows shown, in order; listed again when `stale`.
    rows: Vec<NodeId>,
    stale: bool,
    /// Rows shown only for topics whose name contains this (lower case); empty: all.
    text: String,
    /// Bumped on every message: the view repaints only when something came.
    pub changes: u64,
    /// New nodes this deep or less start open.
    open_depth: u16,
    /// Messages on new topics not kept once the tree was full.
    pub left_out: u64,
}

impl Default for Tree {
    fn default() -> Self {
        Self {
            nodes: vec![Node::new("", 0, 0, 0)],
            rows: Vec::new(),
            stale: false,
            text: String::new(),
            changes: 0,
            open_depth: 2,
            left_out: 0,
        }
    }
}

impl Tree {
    pub fn clear(&mut self) {
        *self = Self::default();
        self.changes = 1;
    }

    /// Starts empty for a subscription to `filter`: the levels of its prefix open, and
    /// those of the level under it (`lab/#`: `lab` and each `lab/device` open, so a
    /// device's topics are in sight at once); at least two levels.
    pub fn start_for(&mut self, filter: &str) {
        self.clear();
        let prefix = filter
            .split('/')
            .take_while(|l| *l != "+" && *l != "#")
            .count();
        self.open_depth = u16::try_from(prefix + 1).unwrap_or(u16::MAX).max(2);
    }

    /// The number of topics that have had a message.
    pub fn topics(&self) -> u32 {
        self.nodes[0].topics_below
    }

    pub fn node(&self, id: NodeId) -> Option<&Node> {
        self.nodes.get(id as usize).filter(|_| id != 0)
    }

    /// Puts a message in: its topic's node (made, with its levels, if new) takes it.
    pub fn add(&mut self, seen: &Seen) {
        self.changes += 1;
        let mut at: NodeId = 0;
        let mut path: Vec<NodeId> = Vec::new();
        let mut new_topic = false;
        for (depth, level) in seen.topic.split('/').enumerate() {
            let children = &self.nodes[at as usize].children;
            let found =
                children.binary_search_by(|c| self.nodes[*c as usize].name.as_str().cmp(level));
            at = match found {
                Ok(i) => children[i],
                Err(_) if self.nodes.len() >= MAX_NODES => {
                    self.left_out += 1;
                    return;
                }
                Err(i) => {
                    let id = self.nodes.len() as NodeId;
                    let depth = u16::try_from(depth + 1).unwrap_or(u16::MAX);
                    self.nodes
                        .push(Node::new(level, at, depth, self.open_depth));
                    self.nodes[at as usize].children.insert(i, id);
                    self.stale = true;
                    id
                }
            };
            path.push(at);
        }
        let node = &mut self.nodes[at as usize];
        if node.count == 0 {
            new_topic = true;
        }
        node.count += 1;
        node.count_in_window(seen.at_ms);
        let payload = if seen.payload.len() > KEPT_PAYLOAD {
            // A copy of the head: a slice would keep the whole message alive.
            Bytes::copy_from_slice(&seen.payload[..KEPT_PAYLOAD])
        } else {
            seen.payload.clone()
        };
        node.last = Some(Last {
            payload,
            size: seen.payload.len(),
            retain: seen.retain,
            qos: seen.qos,
            at_ms: seen.at_ms,
        });
        if new_topic {
            self.nodes[0].topics_below += 1;
            for id in path {
                self.nodes[id as usize].topics_below += 1;
            }
            if !self.text.is_empty() {
                self.stale = true;
            }
        }
    }

    /// The node shown at row `index` (as last listed by [`Tree::rows`]).
    pub fn row(&self, index: usize) -> Option<NodeId> {
        self.rows.get(index).copied()
    }

    /// The full topic of a node.
    pub fn topic(&self, id: NodeId) -> String {
        let mut levels = Vec::new();
        let mut at = id;
        while at != 0 {
            let node = &self.nodes[at as usize];
            levels.push(node.name.as_str());
            at = node.parent;
        }
        levels.reverse();
        levels.join("/")
    }

    /// Opens or closes a node's children.
    pub fn toggle(&mut self, id: NodeId) {
        if let Some(node) = self.nodes.get_mut(id as usize).filter(|n| n.has_children()) {
            node.expanded = !node.expanded;
            self.stale = true;
        }
    }

    /// Shows only topics whose name contains `text` (any case), with the levels above them,
    /// all open; empty shows every topic as expanded.
    pub fn set_text(&mut self, text: &str) {
        let text = text.trim().to_lowercase();
        if text != self.text {
            self.text = text;
            self.stale = true;
        }
    }

    /// The rows to show, listed again if the shape, an expansion or the filter changed.
    pub fn rows(&mut self) -> &[NodeId] {
        if self.stale {
            self.stale = false;
            let mut rows = std::mem::take(&mut self.rows);
            rows.clear();
            if self.text.is_empty() {
                self.list_open(0, &mut rows);
            } else {
                let mut keep = vec![false; self.nodes.len()];
                let mut topic = String::new();
                self.mark_matches(0, &mut topic, &mut keep);
                self.list_kept(0, &keep, &mut rows);
            }
            self.rows = rows;
        }
        &self.rows
    }

    fn list_open(&self, at: NodeId, rows: &mut Vec<NodeId>) {
        for &c in &self.nodes[at as usize].children {
            rows.push(c);
            if self.nodes[c as usize].expanded {
                self.list_open(c, rows);
            }
        }
    }

    /// Marks the nodes whose topic contains the text, and every level above one; returns
    /// whether anything under `at` (or `at`) was marked.
    fn mark_matches(&self, at: NodeId, topic: &mut String, keep: &mut [bool]) -> bool {
        let mut any = false;
        for &c in &self.nodes[at as usize].children {
            let before = topic.len();
            if at != 0 {
                topic.push('/');
            }
            topic.push_str(&self.nodes[c as usize].name.to_lowercase());
            let here = self.nodes[c as usize].count > 0 && topic.contains(&self.text);
            let below = self.mark_matches(c, topic, keep);
            keep[c as usize] = here || below;
            any |= here || below;
            topic.truncate(before);
        }
        any
    }

    fn list_kept(&self, at: NodeId, keep: &[bool], rows: &mut Vec<NodeId>) {
        for &c in &self.nodes[at as usize].children {
            if keep[c as usize] {
                rows.push(c);
                self.list_kept(c, keep, rows);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seen(topic: &str, payload: &str, at_ms: f64) -> Seen {
        Seen {
            at_ms,
            topic: topic.into(),
            payload: Bytes::from(payload.as_bytes().to_vec()),
            qos: 0,
            retain: false,
            properties: Default::default(),
        }
    }

    fn names(t: &mut Tree) -> Vec<String> {
        let rows = t.rows().to_vec();
        rows.iter().map(|id| t.topic(*id)).collect()
    }

    #[test]
    fn levels_become_sorted_nodes_and_topics_are_counted() {
        let mut t = Tree::default();
        t.add(&seen("lab/tank/level", "3", 0.0));
        t.add(&seen("lab/lamp", "on", 0.0));
        t.add(&seen("lab/tank/level", "4", 0.0));
        t.add(&seen("attic", "x", 0.0));
        assert_eq!(t.topics(), 3);
        assert_eq!(
            names(&mut t),
            ["attic", "lab", "lab/lamp", "lab/tank", "lab/tank/level"]
        );
        let level = *t.rows().last().unwrap();
        let node = t.node(level).unwrap();
        assert_eq!(node.count, 2);
        assert_eq!(&node.last.as_ref().unwrap().payload[..], b"4");
        // "lab" holds two topics, the root three.
        let lab = t.rows()[1];
        assert_eq!(t.node(lab).unwrap().topics_below, 2);
    }

    #[test]
    fn a_closed_node_hides_its_children_and_opens_again() {
        let mut t = Tree::default();
        t.add(&seen("a/b/c/d", "1", 0.0));
        // Levels 1 and 2 open by default, deeper ones closed.
        assert_eq!(names(&mut t), ["a", "a/b", "a/b/c"]);
        let a = t.rows()[0];
        t.toggle(a);
        assert_eq!(names(&mut t), ["a"]);
        t.toggle(a);
        let c = t.rows()[2];
        t.toggle(c);
        assert_eq!(names(&mut t), ["a", "a/b", "a/b/c", "a/b/c/d"]);
    }

    #[test]
    fn a_subscription_opens_its_prefix_and_the_level_under_it() {
        let mut t = Tree::default();
        t.start_for("home/lab/#");
        t.add(&seen("home/lab/boiler/temp/raw", "1", 0.0));
        assert_eq!(
            names(&mut t),
            [
                "home",
                "home/lab",
                "home/lab/boiler",
                "home/lab/boiler/temp"
            ]
        );
    }

    #[test]
    fn the_text_filter_keeps_matches_and_the_levels_above_them() {
        let mut t = Tree::default();
        for topic in ["home/kitchen/temp", "home/garage/door", "lab/temp"] {
            t.add(&seen(topic, "1", 0.0));
        }
        t.set_text("TEMP");
        assert_eq!(
            names(&mut t),
            [
                "home",
                "home/kitchen",
                "home/kitchen/temp",
                "lab",
                "lab/temp"
            ]
        );
        // A topic that arrives later and matches joins the rows.
        t.add(&seen("home/garage/temp", "1", 0.0));
        assert_eq!(names(&mut t).len(), 7);
        t.set_text("");
        assert_eq!(names(&mut t).len(), 8);
    }

    #[test]
    fn rate_is_the_last_whole_window_and_falls_to_zero() {
        let mut t = Tree::default();
        for i in 0..10 {
            t.add(&seen("r", "x", 1_000.0 + f64::from(i) * 100.0));
        }
        let id = t.rows()[0];
        // Within the first window nothing is whole yet.
        assert_eq!(t.node(id).unwrap().rate(2_000.0), 0.0);
        // The window of 10 messages, once whole: 2 per second.
        assert_eq!(t.node(id).unwrap().rate(6_500.0), 2.0);
        assert_eq!(t.node(id).unwrap().rate(12_000.0), 0.0);
    }

    #[test]
    fn a_full_tree_counts_new_topics_instead_and_big_payloads_are_cut() {
        let mut t = Tree::default();
        for i in 0..MAX_NODES {
            t.add(&seen(&format!("{i}"), "1", 0.0));
        }
        // The root is a node: one topic did not fit.
        assert_eq!((t.topics() as usize, t.left_out), (MAX_NODES - 1, 1));
        t.add(&seen("0", "again", 0.0));
        assert_eq!(t.left_out, 1, "a known topic still takes its messages");
        let mut t = Tree::default();
        t.add(&seen("big", &"x".repeat(1 << 20), 0.0));
        let id = t.rows()[0];
        let last = t.node(id).unwrap().last.clone().unwrap();
        assert_eq!((last.payload.len(), last.size), (KEPT_PAYLOAD, 1 << 20));
    }

    #[test]
    fn ten_thousand_topics_list_in_order() {
        let mut t = Tree::default();
        for i in (0..10_000).rev() {
            t.add(&seen(&format!("bench/{i:05}"), "1", 0.0));
        }
        assert_eq!(t.topics(), 10_000);
        let rows = t.rows().to_vec();
        assert_eq!(rows.len(), 10_001);
        assert_eq!(t.topic(rows[1]), "bench/00000");
        assert_eq!(t.topic(rows[10_000]), "bench/09999");
    }
}
