//! Reading a configuration of any schema version this app knows, and writing the current one.

use crate::json::{self, Json};

use super::model::Config;
use super::read::{self, Misfit};
use super::validate::{ConfigError, problems};
use super::write;

/// The schema version this build writes. Bump it with a new entry in [`MIGRATIONS`].
pub const CURRENT_VERSION: u32 = 1;

/// A stored or imported file larger than this is refused before it is parsed.
pub const MAX_CONFIG_BYTES: usize = 1024 * 1024;

/// `MIGRATIONS[i]` turns a document of schema version `i + 1` into version `i + 2`. Each works
/// on untyped JSON, so old shapes need no Rust types of their own.
const MIGRATIONS: &[fn(&mut Json)] = &[];

const _: () = assert!(MIGRATIONS.len() as u32 + 1 == CURRENT_VERSION);

/// The one way in: size limit, JSON syntax, schema version, migration, shape, rules.
///
/// The text is parsed once into untyped JSON (the page parses payloads the same way), old
/// schema versions are migrated on that tree, and `read` walks it into a `Config`.
pub fn parse(text: &str) -> Result<Config, ConfigError> {
    if text.len() > MAX_CONFIG_BYTES {
        return Err(ConfigError::TooLarge {
            bytes: text.len(),
            max: MAX_CONFIG_BYTES,
        });
    }
    let mut doc = json::parse(text)
        .map_err(|json::JsonError { line, column }| ConfigError::NotJson { line, column })?;
    let version = doc
        .get("version")
        .and_then(Json::as_u64)
        .ok_or(ConfigError::NoVersion)?;
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
    for migrate in &MIGRATIONS[(version - 1) as usize..] {
        migrate(&mut doc);
    }
    let config = read::config(&doc).map_err(|Misfit(at)| ConfigError::NotTablero { at })?;
    let found = problems(&config);
    if found.is_empty() {
        Ok(config)
    } else {
        Err(ConfigError::Invalid(found))
    }
}

/// The current schema as pretty JSON (what export writes and storage keeps).
pub fn to_json(config: &Config) -> String {
    write::config(config)
}
