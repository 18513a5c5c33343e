//! rumqttd 0.20.0 for the interop tests: `tablero-rumqttd CONFIG.toml` runs the broker that
//! file describes and logs to stdout; `tablero-rumqttd --version` names the rumqttd inside,
//! so the install script can tell whether the pinned version is already installed.
#![forbid(unsafe_code)]

use std::process::ExitCode;

/// The rumqttd this package pins in Cargo.toml; printed by `--version`.
const RUMQTTD_VERSION: &str = "0.20.0";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let config_path = match args.as_slice() {
        [flag] if flag == "--version" => {
            println!("tablero-rumqttd (rumqttd {RUMQTTD_VERSION})");
            return ExitCode::SUCCESS;
        }
        [path] => path.clone(),
        _ => {
            eprintln!("usage: tablero-rumqttd CONFIG.toml | --version");
            return ExitCode::from(2);
        }
    };
    // RUST_LOG overrides; info shows connections and subscriptions, enough to read a failure.
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("rumqttd=info"));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(false)
        .init();
    let config: rumqttd::Config = match config::Config::builder()
        .add_source(config::File::new(&config_path, config::FileFormat::Toml))
        .build()
        .and_then(config::Config::try_deserialize)
    {
        Ok(c) => c,
        Err(e) => {
            eprintln!("tablero-rumqttd: cannot read {config_path}: {e}");
            return ExitCode::from(2);
        }
    };
    // Returns only if the broker cannot run (a port taken, for one).
    match rumqttd::Broker::new(config).start() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("tablero-rumqttd: {e}");
            ExitCode::FAILURE
        }
    }
}
