//! Reading a configuration of any schema version this app knows, and writing the current one.

use serde_json::Value;

use super::model::Config;
use super::validate::{ConfigError, problems};

/// The schema version this build writes. Bump it with a new entry in [`MIGRATIONS`].
pub const CURRENT_VERSION: u32 = 1;

/// A stored or imported file larger than this is refused before it is parsed.
pub const MAX_CONFIG_BYTES: usize = 1024 * 1024;

/// `MIGRATIONS[i]` turns a document of schema version `i + 1` into version `i + 2`. Each works
/// on untyped JSON, so old shapes need no Rust types of their own.
const MIGRATIONS: &[fn(&mut Value)] = &[];

const _: () = assert!(MIGRATIONS.len() as u32 + 1 == CURRENT_VERSION);

/// Where serde_json stopped, typed: a syntax error or a cut-short file is "not JSON", a
/// well-formed document of the wrong shape is "not a Tablero configuration".
fn json_error(e: &serde_json::Error) -> ConfigError {
    let (line, column) = (e.line(), e.column());
    match e.classify() {
        serde_json::error::Category::Data => ConfigError::NotTablero { line, column },
        _ => ConfigError::NotJson { line, column },
    }
}

/// The schema version, read without building the whole document.
#[derive(serde::Deserialize)]
struct VersionOnly {
    version: Option<u64>,
}

/// The one way in: size limit, JSON syntax, schema version, migration, shape, rules.
///
/// The typed `Config` is deserialized from text only (one instantiation of its serde code:
/// the first-load size counts every extra one); an older document is migrated as untyped
/// JSON and written back to text first.
pub fn parse(text: &str) -> Result<Config, ConfigError> {
    if text.len() > MAX_CONFIG_BYTES {
        return Err(ConfigError::TooLarge {
            bytes: text.len(),
            max: MAX_CONFIG_BYTES,
        });
    }
    let head: VersionOnly = serde_json::from_str(text).map_err(|e| json_error(&e))?;
    let version = head.version.ok_or(ConfigError::NoVersion)?;
    let version = u32::try_from(version).unwrap_or(u32::MAX);
    if version > CURRENT_VERSION {
        return Err(ConfigError::NewerVersion {
            found: version,
            supported: CURRENT_VERSION,
        });
    }
    if version == 0 {
        return Err(ConfigError::NoVersion);
    }
    let config: Config = if version == CURRENT_VERSION {
        // Straight from the text, so a shape error keeps its line and column.
        serde_json::from_str(text).map_err(|e| json_error(&e))?
    } else {
        let mut doc: Value = serde_json::from_str(text).map_err(|e| json_error(&e))?;
        for migrate in &MIGRATIONS[(version - 1) as usize..] {
            migrate(&mut doc);
        }
        doc["version"] = Value::from(CURRENT_VERSION);
        serde_json::from_str(&doc.to_string()).map_err(|e| json_error(&e))?
    };
    let found = problems(&config);
    if found.is_empty() {
        Ok(config)
    } else {
        Err(ConfigError::Invalid(found))
    }
}

/// The current schema as pretty JSON (what export writes and storage keeps).
pub fn to_json(config: &Config) -> String {
    serde_json::to_string_pretty(config).unwrap_or_default()
}
