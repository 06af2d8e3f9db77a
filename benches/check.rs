//! Throughput of `trackplan check` against Ajv and the well-formedness
//! floor, in the same run.
//!
//!     cargo bench --bench check            # 1,000,000 events (~430 MB)
//!     EVENTS=100000 RUNS=5 cargo bench --bench check
//!
//! Generates browser-like Page Viewed / Login / Autologin events for
//! `plans/accounts.yaml` (~5% with a planted violation), exports the plan's
//! JSON Schemas with `trackplan export jsonschema`, then measures, `RUNS`
//! times each (default 3, the median printed):
//!
//! - the floor: the file read and every line parsed as JSON into nothing,
//!   on as many threads as `check` uses (`benches/floor.rs`);
//! - `trackplan check` with the human report, and with `--format json`
//!   (release build, all cores; the whole process: start, plan, output);
//! - Ajv (Node, compiled validators, `allErrors: true`, ajv-formats), its
//!   validating loop (Node's start and the compilation not counted).
//!
//! Prints wall and CPU seconds, events/s and peak memory of each, and the
//! ratios the project holds itself to (`docs/performance.md`): check's
//! speed-up over Ajv in wall time, its CPU time against Ajv's, and its
//! time as a multiple of the floor.

#[path = "corpus.rs"]
mod corpus;
#[path = "floor.rs"]
mod floor;
#[path = "measure.rs"]
mod measure;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use measure::Measured;

fn main() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let events = corpus::events_from_env();
    let runs = measure::runs_from_env();
    let work = corpus::work_dir();
    let corpus_path = work.join(format!("corpus-{events}.ndjson"));
    let planted = corpus::write_file(&corpus_path, events);
    let bytes = std::fs::metadata(&corpus_path).map_or(0, |m| m.len());
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    println!(
        "corpus: {} events, {:.1} MB, planted {:?}; {threads} cores, median of {runs}",
        planted.events,
        bytes as f64 / 1e6,
        planted
    );
    let trackplan = env!("CARGO_BIN_EXE_trackplan");
    let plan = root.join("plans/accounts.yaml");
    let bundle = work.join("accounts-schemas.json");
    let out = Command::new(trackplan)
        .args(["export", "jsonschema", "--plan"])
        .arg(&plan)
        .output()
        .expect("trackplan export runs");
    std::fs::write(&bundle, &out.stdout).expect("write the schema bundle");
    let ajv_dir = root.join("benches/ajv");
    if !ajv_dir.join("node_modules/ajv").exists() {
        let ok = Command::new("npm")
            .args(["ci", "--no-audit", "--no-fund"])
            .current_dir(&ajv_dir)
            .status()
            .is_ok_and(|s| s.success());
        assert!(ok, "npm ci in benches/ajv failed");
    }

    let line = |label: &str, m: &Measured| {
        println!(
            "{label:<24} {:>6.2} s wall {:>6.2} s CPU {:>10.0} events/s {:>7.1} MB/s  peak RSS {:>6.1} MB",
            m.seconds,
            m.cpu_seconds,
            events as f64 / m.seconds,
            bytes as f64 / 1e6 / m.seconds,
            m.peak_rss_mb
        )
    };

    let mut found = None;
    let floor = measure::median(runs, || {
        let f = floor::measure(&corpus_path, threads);
        found = Some((f.lines, f.malformed));
        Measured {
            seconds: f.seconds,
            ..Measured::default()
        }
    });
    println!(
        "{:<24} {:>6.2} s wall {:>23.0} events/s {:>7.1} MB/s  ({:?} lines parsed, malformed)",
        "floor (serde_json)",
        floor.seconds,
        events as f64 / floor.seconds,
        bytes as f64 / 1e6 / floor.seconds,
        found.unwrap_or_default()
    );

    let mut checks = Vec::new();
    for (label, format) in [
        ("trackplan check", "human"),
        ("trackplan check --json", "json"),
    ] {
        let report = work.join(format!("check-report.{format}"));
        let m = measure::median(runs, || {
            let report = std::fs::File::create(&report).expect("create the report file");
            measure::run(
                Command::new(trackplan)
                    .args(["check", "--format", format, "--plan"])
                    .arg(&plan)
                    .arg(&corpus_path)
                    .stdout(Stdio::from(report)),
            )
        });
        line(label, &m);
        checks.push((label, m, report));
    }
    let invalid = invalid_events(&checks[1].2);

    let mut ajv_invalid = serde_json::Value::Null;
    let ajv = measure::median(runs, || {
        let out = Command::new("node")
            .arg(ajv_dir.join("validate.mjs"))
            .arg(&bundle)
            .arg(&corpus_path)
            .output()
            .expect("node runs");
        let ajv: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
            panic!("ajv output ({e}): {}", String::from_utf8_lossy(&out.stderr))
        });
        ajv_invalid = ajv["invalid"].clone();
        Measured {
            seconds: ajv["seconds"].as_f64().unwrap_or(f64::NAN),
            cpu_seconds: ajv["cpu_seconds"].as_f64().unwrap_or(f64::NAN),
            peak_rss_mb: ajv["peak_rss_mb"].as_f64().unwrap_or(0.0),
            code: Some(0),
        }
    });
    line("ajv (validating loop)", &ajv);
    println!("invalid events: trackplan {invalid}, ajv {ajv_invalid}");

    for (label, m, _) in &checks {
        println!(
            "{label}: {:.2}x Ajv's speed (wall), {:.2}x Ajv's CPU time, {:.2}x the floor",
            ajv.seconds / m.seconds,
            m.cpu_seconds / ajv.cpu_seconds,
            m.seconds / floor.seconds
        );
    }
}

/// Invalid events in a JSON report's summary (its last line).
fn invalid_events(report: &Path) -> u64 {
    let text = std::fs::read_to_string(report).unwrap_or_default();
    let summary: serde_json::Value = text
        .lines()
        .last()
        .and_then(|l| serde_json::from_str(l).ok())
        .unwrap_or_default();
    summary["subjects"].as_object().map_or(0, |s| {
        s.values().filter_map(|v| v["invalid"].as_u64()).sum()
    })
}
