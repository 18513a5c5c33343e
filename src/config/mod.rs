//! The configuration: connections, dashboards and widgets, as one versioned serde model.
//!
//! Pure data and rules — no storage, no DOM, no MQTT — so it is tested natively. Every path
//! by which a configuration enters the app (local storage, an imported file, a share link)
//! goes through [`parse`], which migrates old schema versions and validates the result; a
//! file that fails changes nothing.

mod demo;
mod ids;
mod migrate;
mod model;
mod presets;
mod read;
mod validate;
mod write;

pub use demo::{
    BrokerAddress, DEMO_PREFIX, DemoRun, broker_demo_config, demo_config, public_connection,
    public_demo_config,
};
pub use ids::{random_chars, random_client_id, random_topic_prefix};
pub use migrate::{CURRENT_VERSION, MAX_CONFIG_BYTES, parse, to_json};
pub use model::*;
pub use presets::{BrokerPreset, PRESETS, first_visit_presets};
pub use validate::{
    CONFIRM_TIMEOUT_MS, ConfigError, DECIMALS, DEFAULT_EXPIRY_SECS, EXPIRY_SECS, FieldError,
    LOG_LINES, MAX_BANDS, MAX_HOST_BYTES, MAX_LOGIN_CHARS, MAX_MAP_ROWS, MAX_PASSWORD_CHARS,
    MAX_PATH_CHARS, MAX_PAYLOAD_CHARS, MAX_POINTS, MAX_SERIES, Problem, THROTTLE_MS, WINDOW_SECS,
    connection_problems, is_hex_color, is_host, is_ws_path, problems, widget_problems,
};
pub use write::string as json_string;

#[cfg(test)]
mod tests;
