//! Entry point of the browser app: it only mounts. Everything else lives in the library so
//! tests can reach it.
#![forbid(unsafe_code)]

fn main() {
    console_error_panic_hook::set_once();
    tablero::app::start();
}
