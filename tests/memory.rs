//! `trackplan check` streams: its peak memory is flat with the size of the
//! input (the same at 50,000 and at 400,000 events, generated on the fly
//! from a population of 20,000 devices) and under 100 MB, for the human
//! report and for `--format json`. What does grow is the identity rule's
//! map, one entry per distinct device tied to a user (bounded at
//! `MAX_DEVICES`), which a fixed population keeps fixed.
//!
//! `check --engine duckdb` checks a wide plan in slices and parts (see
//! `docs/sql.md`), so its memory is bounded by a slice, not the plan: a
//! 5,000-event plan took 1.9 GB as one query, an event of 2,500
//! properties 437 MB.

#[path = "../benches/corpus.rs"]
mod corpus;

use std::process::{Command, Stdio};

/// Runs `trackplan check` on `input` and returns its peak resident memory
/// in MB.
fn peak_mb(input: &std::path::Path, format: &str) -> u64 {
    let plan = std::path::Path::new("plans/accounts.yaml");
    peak_of(&["--format", format], plan, input)
}

/// Runs `trackplan check ARGS --plan PLAN INPUT`, expecting exit code 1
/// (the inputs plant violations), and returns its peak resident memory in
/// MB, measured by the kernel for that process alone.
#[allow(clippy::zombie_processes)] // wait4 below reaps it, with its resource usage.
fn peak_of(args: &[&str], plan: &std::path::Path, input: &std::path::Path) -> u64 {
    let child = Command::new(env!("CARGO_BIN_EXE_trackplan"))
        .arg("check")
        .args(args)
        .arg("--plan")
        .arg(plan)
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

/// A plan of `events` events with `properties` properties each
/// (alternately a string and a non-negative integer).
#[cfg(feature = "duckdb")]
fn wide_plan(events: usize, properties: usize) -> String {
    let mut text = String::from("trackplan: 1\nname: Wide\nversion: 1.0.0\nevents:\n");
    for e in 0..events {
        text.push_str(&format!("  Event {e}:\n    properties:\n"));
        for p in 0..properties {
            let ty = if p % 2 == 0 {
                "{type: string}"
            } else {
                "{type: integer, minimum: 0}"
            };
            text.push_str(&format!("      p{e}_{p}: {ty}\n"));
        }
    }
    text
}

#[test]
#[cfg(feature = "duckdb")]
fn the_duckdb_engine_checks_wide_plans_in_bounded_memory() {
    let dir = tempfile::tempdir().unwrap();
    // 5,000 events, 200 of them in the input, 10 records with a wrong type.
    let plan = dir.path().join("events.yaml");
    std::fs::write(&plan, wide_plan(5_000, 2)).unwrap();
    let input = dir.path().join("events.ndjson");
    let mut lines = String::new();
    for i in 0..200 {
        let e = i * 25;
        let second = if i % 20 == 0 { "\"three\"" } else { "3" };
        lines.push_str(&format!(
            "{{\"event\": \"Event {e}\", \"properties\": {{\"distinct_id\": \"u1\", \"p{e}_0\": \"x\", \"p{e}_1\": {second}}}}}\n"
        ));
    }
    std::fs::write(&input, lines).unwrap();
    let events = peak_of(&["--engine", "duckdb"], &plan, &input);
    // One event of 2,500 properties, one record.
    let plan = dir.path().join("properties.yaml");
    std::fs::write(&plan, wide_plan(1, 2_500)).unwrap();
    let input = dir.path().join("one.ndjson");
    std::fs::write(
        &input,
        "{\"event\": \"Event 0\", \"properties\": {\"distinct_id\": \"u1\", \"p0_0\": \"x\"}}\n",
    )
    .unwrap();
    let properties = peak_of(&["--engine", "duckdb"], &plan, &input);
    println!("peak: 5,000 events {events} MB, 2,500 properties {properties} MB");
    assert!(events < 500, "{events} MB for a 5,000-event plan");
    assert!(
        properties < 300,
        "{properties} MB for an event of 2,500 properties"
    );
}
