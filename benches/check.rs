//! Throughput of `trackplan check` against Ajv, in the same run.
//!
//!     cargo bench --bench check            # 1,000,000 events (~430 MB)
//!     EVENTS=100000 cargo bench --bench check
//!
//! Generates browser-like Page Viewed / Login / Autologin events for
//! `plans/accounts.yaml` (~5% with a planted violation), exports the plan's
//! JSON Schemas with `trackplan export jsonschema`, then times
//! `trackplan check` (release build, all cores) and Ajv (Node, compiled
//! validators, `allErrors: true`, ajv-formats) over the same file. Prints
//! events/s, MB/s and peak memory of both, and their ratio.

#[path = "corpus.rs"]
mod corpus;

use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::Instant;

fn main() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let events = corpus::events_from_env();
    let work = corpus::work_dir();
    let corpus_path = work.join(format!("corpus-{events}.ndjson"));
    let planted = corpus::write_file(&corpus_path, events);
    let bytes = std::fs::metadata(&corpus_path)
        .map(|m| m.len())
        .unwrap_or(0);
    println!(
        "corpus: {} events, {:.1} MB, planted {:?}",
        planted.events,
        bytes as f64 / 1e6,
        planted
    );

    let trackplan = env!("CARGO_BIN_EXE_trackplan");
    let bundle = work.join("accounts-schemas.json");
    let out = Command::new(trackplan)
        .args(["export", "jsonschema", "--plan"])
        .arg(root.join("plans/accounts.yaml"))
        .output()
        .expect("trackplan export runs");
    std::fs::write(&bundle, &out.stdout).expect("write the schema bundle");

    // trackplan check
    let report_path = work.join("check-report.ndjson");
    let report_file = std::fs::File::create(&report_path).expect("create the report file");
    let started = Instant::now();
    let status = Command::new(trackplan)
        .args(["check", "--format", "json", "--plan"])
        .arg(root.join("plans/accounts.yaml"))
        .arg(&corpus_path)
        .stdout(Stdio::from(report_file))
        .status()
        .expect("trackplan check runs");
    let seconds = started.elapsed().as_secs_f64();
    let rss_mb = children_peak_rss_mb();
    let report = std::fs::read_to_string(&report_path).unwrap_or_default();
    let summary: serde_json::Value = report
        .lines()
        .last()
        .and_then(|l| serde_json::from_str(l).ok())
        .unwrap_or_default();
    let invalid: u64 = summary["subjects"].as_object().map_or(0, |s| {
        s.values().filter_map(|v| v["invalid"].as_u64()).sum()
    });
    println!(
        "trackplan check: {:.2} s, {:.0} events/s, {:.1} MB/s, peak RSS {:.1} MB, {} invalid events (exit {:?})",
        seconds,
        events as f64 / seconds,
        bytes as f64 / 1e6 / seconds,
        rss_mb,
        invalid,
        status.code()
    );

    // Ajv
    let ajv_dir = root.join("benches/ajv");
    if !ajv_dir.join("node_modules/ajv").exists() {
        let ok = Command::new("npm")
            .args(["ci", "--no-audit", "--no-fund"])
            .current_dir(&ajv_dir)
            .status()
            .is_ok_and(|s| s.success());
        assert!(ok, "npm ci in benches/ajv failed");
    }
    let out = Command::new("node")
        .arg(ajv_dir.join("validate.mjs"))
        .arg(&bundle)
        .arg(&corpus_path)
        .output()
        .expect("node runs");
    let ajv: serde_json::Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("ajv output ({e}): {}", String::from_utf8_lossy(&out.stderr)));
    let ajv_seconds = ajv["seconds"].as_f64().unwrap_or(f64::NAN);
    println!(
        "ajv:             {:.2} s, {:.0} events/s, {:.1} MB/s, peak RSS {:.1} MB, {} invalid events",
        ajv_seconds,
        ajv["events_per_s"].as_f64().unwrap_or(0.0),
        ajv["mb_per_s"].as_f64().unwrap_or(0.0),
        ajv["peak_rss_mb"].as_f64().unwrap_or(0.0),
        ajv["invalid"]
    );
    println!(
        "ratio: trackplan check is {:.2}x Ajv's throughput ({} cores)",
        ajv_seconds / seconds,
        std::thread::available_parallelism().map_or(1, |n| n.get())
    );
}

/// Peak resident memory of the largest child process waited for so far.
fn children_peak_rss_mb() -> f64 {
    let mut usage = std::mem::MaybeUninit::<libc::rusage>::zeroed();
    // SAFETY: getrusage writes a rusage struct into the pointer it is given.
    let usage = unsafe {
        libc::getrusage(libc::RUSAGE_CHILDREN, usage.as_mut_ptr());
        usage.assume_init()
    };
    usage.ru_maxrss as f64 / 1024.0
}
