#![forbid(unsafe_code)]

fn main() {
    std::process::exit(tablero_cli::main_with_args(std::env::args_os().skip(1)));
}
