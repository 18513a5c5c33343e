//! The explorer's tree of topics.

use super::Seen;

#[derive(Default)]
pub struct Tree {}

impl Tree {
    pub fn add(&mut self, _seen: &Seen) {}
    pub fn clear(&mut self) {}
}
