//! The configuration: connections, dashboards and widgets, as one versioned serde model.
//!
//! Pure data and rules — no storage, no DOM, no MQTT — so it is tested natively. Every path
//! by which a configuration enters the app (local storage, an imported file, a share link)
//! goes through [`parse`], which migrates old schema versions and validates the result; a
//! file that fails changes nothing.

mod demo;
mod migrate;
mod model;
mod presets;
mod validate;

pub use demo::{DEMO_PREFIX, demo_config};
pub use migrate::{CURRENT_VERSION, MAX_CONFIG_BYTES, parse, to_json};
pub use model::*;
pub use presets::{BrokerPreset, PRESETS};
pub use validate::{
    ConfigError, FieldError, Problem, connection_problems, problems, widget_problems,
};

#[cfg(test)]
mod tests;
