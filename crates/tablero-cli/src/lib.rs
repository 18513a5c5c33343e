//! The `tablero` command-line tool: a native driver for the Tablero MQTT session, with
//! mosquitto-style `sub` and `pub`, a virtual `device` for demos and tests, and a `bench`.
//!
//! The crate is a library as well as a binary so the integration tests can drive the same
//! [`driver::Driver`] in-process (the soak test watches packet identifiers wrap).
#![forbid(unsafe_code)]

pub mod args;
pub mod bench;
pub mod common;
pub mod device;
pub mod driver;
pub mod publish;
pub mod sub;
pub mod tls;
pub mod transport;

use std::ffi::OsString;

use args::{Arg, Parser, usage};
use common::{EXIT_USAGE, Fail};

pub const HELP: &str = "\
Usage: tablero COMMAND [options]

Commands:
  sub       subscribe and print messages (mosquitto_sub's flags)
  pub       publish a message (mosquitto_pub's flags)
  device    a virtual IoT device: telemetry and obedient actuators, for demos and tests
  bench     measure publish rate, delivery rate, loss and latency

Run `tablero COMMAND --help` for a command's options.
";

/// Runs the command line (without the program name) and returns the exit code, having
/// printed any error as one `tablero: ` line on stderr.
pub fn main_with_args(args: impl IntoIterator<Item = OsString>) -> i32 {
    match dispatch(args) {
        Ok(code) => code,
        Err(fail) => {
            // One line, so a script can show it as is.
            let hint = if fail.code == EXIT_USAGE {
                " (see tablero --help)"
            } else {
                ""
            };
            eprintln!("tablero: {fail}{hint}");
            fail.code
        }
    }
}

fn dispatch(args: impl IntoIterator<Item = OsString>) -> Result<i32, Fail> {
    let mut p = Parser::new(args)?;
    match p.next()? {
        Some(Arg::Value(cmd)) => match cmd.as_str() {
            "sub" => sub::run(p),
            "pub" => publish::run(p),
            "device" => device::run(p),
            "bench" => bench::run(p),
            "help" => {
                print!("{HELP}");
                Ok(0)
            }
            other => Err(usage(format!(
                "unknown command {other:?} (sub, pub, device, bench)"
            ))
            .into()),
        },
        Some(Arg::Long(l)) if l == "help" => {
            print!("{HELP}");
            Ok(0)
        }
        Some(Arg::Long(l)) if l == "version" => {
            println!("tablero {}", env!("CARGO_PKG_VERSION"));
            Ok(0)
        }
        Some(other) => Err(usage(format!("expected a command before {other}")).into()),
        None => Err(usage("no command given (sub, pub, device, bench)").into()),
    }
}
