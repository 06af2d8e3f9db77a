//! The `trackplan` binary: parses arguments and runs the library.

fn main() -> std::process::ExitCode {
    trackplan::cli::main()
}
