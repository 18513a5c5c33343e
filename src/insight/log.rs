//! The message log: every message of the watched connection, in a bounded ring.
//! (Placeholder: being written.)

use leptos::prelude::*;

use super::{Insight, Seen};

#[derive(Default)]
pub struct Log {
    ring: std::collections::VecDeque<Seen>,
}

impl Log {
    pub fn push(&mut self, seen: Seen) {
        self.ring.push_back(seen);
        if self.ring.len() > 5000 {
            self.ring.pop_front();
        }
    }

    pub fn clear(&mut self) {
        self.ring.clear();
    }
}

pub fn view(_ins: Insight) -> impl IntoView {}
