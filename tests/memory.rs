//! `trackplan check` streams: its peak memory is flat with the size of the
//! input (the same at 50,000 and at 400,000 events, generated on the fly
//! from a population of 20,000 devices) and under 100 MB, for the human
//! report and for `--format json`. What does grow is the identity rule's
//! map, one entry per distinct device tied to a user (bounded at
//! `MAX_DEVICES`), which a fixed population keeps fixed.

#[path = "../benches/corpus.rs"]
mod corpus;

use std::process::{Command, Stdio};

/// Runs `trackplan check` on `input` and returns its peak resident memory
/// in MB, measured by the kernel for that process alone.
#[allow(clippy::zombie_processes)] // wait4 below reaps it, with its resource usage.
fn peak_mb(input: &std::path::Path, format: &str) -> u64 {
    let child = Command::new(env!("CARGO_BIN_EXE_trackplan"))
        .args(["check", "--format", format, "--plan", "plans/accounts.yaml"])
        .arg(input)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let pid = child.id() as libc::pid_t;
    let mut status = 0;
    // SAFETY: an all-zero rusage is valid; wait4 fills it for our child.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: waits for the child spawned above, whose pid we hold.
    let waited = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    assert_eq!(waited, pid);
    // The corpus plants violations: exit code 1.
    assert!(
        libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 1,
        "status {status}"
    );
    // ru_maxrss is in kilobytes on Linux.
    usage.ru_maxrss as u64 / 1024
}

#[test]
fn peak_memory_is_flat_with_input_size_and_under_100_mb() {
    let dir = tempfile::tempdir().unwrap();
    let mut sizes = Vec::new();
    for events in [50_000, 400_000] {
        let path = dir.path().join(format!("corpus-{events}.ndjson"));
        let mut file = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
        corpus::write_from(&mut file, events, 3, Some(20_000)).unwrap();
        drop(file);
        let bytes = std::fs::metadata(&path).unwrap().len();
        let human = peak_mb(&path, "human");
        let json = peak_mb(&path, "json");
        println!(
            "{events} events ({} MB): peak {human} MB (human), {json} MB (json)",
            bytes / 1_000_000
        );
        sizes.push((bytes, human, json));
    }
    let (small, large) = (sizes[0], sizes[1]);
    assert!(large.0 > 7 * small.0, "the inputs differ eightfold");
    for (label, a, b) in [("human", small.1, large.1), ("json", small.2, large.2)] {
        assert!(b < 100, "{label}: {b} MB at 400,000 events");
        // Flat: eight times the input, at most 10 MB more (the allocator's
        // own keep, the report's examples filling up).
        assert!(b <= a + 10, "{label}: {a} MB then {b} MB");
    }
}
