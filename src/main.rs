//! The `trackplan` binary: parses arguments and runs the library.

/// mimalloc: `check` and `serve` allocate small, short-lived buffers on
/// several threads at once, where it is measurably faster than the system
/// allocator (docs/performance.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    trackplan::cli::main()
}
