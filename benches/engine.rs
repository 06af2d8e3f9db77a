//! `trackplan check --engine duckdb` against the streaming checker, in
//! the same run, on the same events.
//!
//!     cargo bench --bench engine            # 1,000,000 events
//!     EVENTS=100000 cargo bench --bench engine
//!
//! Generates the browser-like corpus of `benches/corpus.rs` for
//! `plans/accounts.yaml` as NDJSON, writes the same events as Parquet (the
//! export layout, zstd) with DuckDB, then times three runs of the release
//! binary: the streaming checker on the NDJSON, the DuckDB engine on the
//! NDJSON, and the DuckDB engine on the Parquet file. Prints seconds,
//! events/s and peak memory of each, checks that all three find the same
//! invalid events, and the ratios.

#[path = "corpus.rs"]
mod corpus;
#[path = "measure.rs"]
mod measure;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

fn main() {
    // The Parquet file is written by a child run of this benchmark, so the
    // memory DuckDB takes for it is not counted in the measured runs (a
    // spawned child starts with its parent's peak).
    if let (Some(from), Some(to)) = (
        std::env::var_os("ENGINE_BENCH_FROM"),
        std::env::var_os("ENGINE_BENCH_TO"),
    ) {
        to_parquet(Path::new(&from), Path::new(&to));
        return;
    }
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let events = corpus::events_from_env();
    let work = corpus::work_dir();
    let ndjson = work.join(format!("engine-{events}.ndjson"));
    let planted = corpus::write_file(&ndjson, events);
    let parquet = work.join(format!("engine-{events}.parquet"));
    let status = Command::new(std::env::current_exe().expect("the benchmark's path"))
        .env("ENGINE_BENCH_FROM", &ndjson)
        .env("ENGINE_BENCH_TO", &parquet)
        .status()
        .expect("the Parquet writer runs");
    assert!(status.success(), "writing the Parquet file failed");
    let size = |p: &Path| std::fs::metadata(p).map_or(0, |m| m.len()) as f64 / 1e6;
    println!(
        "corpus: {} events, NDJSON {:.1} MB, Parquet {:.1} MB, planted {:?}",
        planted.events,
        size(&ndjson),
        size(&parquet),
        planted
    );
    let plan = root.join("plans/accounts.yaml");
    let runs = [
        ("streaming, NDJSON", "streaming", &ndjson),
        ("duckdb, NDJSON   ", "duckdb", &ndjson),
        ("duckdb, Parquet  ", "duckdb", &parquet),
    ];
    let mut results = Vec::new();
    for (label, engine, input) in runs {
        let run = measure(&work, &plan, engine, input);
        println!(
            "{label}: {:.2} s, {:.0} events/s, peak RSS {:.1} MB, {} invalid events, {} violations",
            run.seconds,
            events as f64 / run.seconds,
            run.peak_rss_mb,
            run.invalid,
            run.errors
        );
        results.push(run);
    }
    let streaming = &results[0];
    for run in &results[1..] {
        assert_eq!(
            (run.invalid, run.errors),
            (streaming.invalid, streaming.errors),
            "the engines disagree"
        );
    }
    println!(
        "ratio: duckdb on NDJSON takes {:.2}x the streaming checker's time; on Parquet {:.2}x ({} cores)",
        results[1].seconds / streaming.seconds,
        results[2].seconds / streaming.seconds,
        std::thread::available_parallelism().map_or(1, |n| n.get())
    );
}

struct Run {
    seconds: f64,
    peak_rss_mb: f64,
    invalid: u64,
    errors: u64,
}

/// Runs `trackplan check` once and reads its JSON summary.
fn measure(work: &Path, plan: &Path, engine: &str, input: &Path) -> Run {
    let report_path = work.join(format!("engine-report-{engine}.ndjson"));
    let report = std::fs::File::create(&report_path).expect("create the report");
    let measured = measure::run(
        Command::new(env!("CARGO_BIN_EXE_trackplan"))
            .args(["check", "--format", "json", "--engine", engine, "--plan"])
            .arg(plan)
            .arg(input)
            .stdout(Stdio::from(report)),
    );
    let text = std::fs::read_to_string(&report_path).unwrap_or_default();
    let summary: serde_json::Value = text
        .lines()
        .last()
        .and_then(|l| serde_json::from_str(l).ok())
        .unwrap_or_default();
    let invalid = summary["subjects"].as_object().map_or(0, |s| {
        s.values().filter_map(|v| v["invalid"].as_u64()).sum()
    });
    Run {
        seconds: measured.seconds,
        peak_rss_mb: measured.peak_rss_mb,
        invalid,
        errors: summary["errors"].as_u64().unwrap_or(0),
    }
}

/// The same events as Parquet, in the export layout.
fn to_parquet(ndjson: &Path, parquet: &Path) {
    let connection = duckdb::Connection::open_in_memory().expect("duckdb opens");
    connection
        .execute_batch(&format!(
            "COPY (SELECT json ->> '$.event' AS event, CAST(json -> '$.properties' AS VARCHAR) AS properties \
             FROM read_json('{}', format = 'newline_delimited', records = false, columns = {{json: 'JSON'}})) \
             TO '{}' (FORMAT parquet, COMPRESSION zstd)",
            ndjson.display(),
            parquet.display()
        ))
        .expect("write the Parquet file");
}
