//! `check` shows its progress on a terminal only: under a pseudo-terminal
//! (`script`) the bytes read of the file's size and the records with their
//! rate appear (for standard input, the bytes read); with `--quiet`, or
//! with stderr a pipe (CI logs), nothing but the report.

#[path = "../benches/corpus.rs"]
mod corpus;

use std::process::Command;

/// Runs `trackplan check ARGS` under a pseudo-terminal; all it printed.
fn on_a_terminal(args: &str) -> String {
    let bin = env!("CARGO_BIN_EXE_trackplan");
    let out = Command::new("script")
        .args(["-qec", &format!("{bin} check {args}"), "/dev/null"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("NO_COLOR", "1")
        .output()
        .expect("script runs (util-linux)");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn progress_only_on_a_terminal_and_not_with_quiet() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("events.ndjson");
    corpus::write_file(&input, 300_000);
    let args = format!(
        "--plan plans/accounts.yaml --format json {}",
        input.display()
    );
    let shown = on_a_terminal(&args);
    let size = std::fs::metadata(&input).unwrap().len() as f64 / (1024.0 * 1024.0);
    let bar = regex::Regex::new(&format!(
        r"{}: \[[=> ]{{24}}\] [0-9.]+ [KM]iB/{size:.2} MiB · [0-9]+ records \([0-9]+/s\)",
        regex::escape(&input.display().to_string())
    ))
    .unwrap();
    assert!(
        bar.is_match(&shown),
        "no progress bar on a terminal: {}",
        &shown[..shown.len().min(2000)]
    );
    // Standard input has no size: the bytes read, with a spinner.
    let piped = on_a_terminal(&format!(
        "--plan plans/accounts.yaml --format json - < {}",
        input.display()
    ));
    let spinner =
        regex::Regex::new(r"-: [0-9.]+ [KM]iB read · [0-9]+ records \([0-9]+/s\)").unwrap();
    assert!(
        spinner.is_match(&piped),
        "no progress for standard input: {}",
        &piped[..piped.len().min(2000)]
    );
    let quiet = on_a_terminal(&format!("--quiet {args}"));
    assert!(!quiet.contains(" records ("), "progress with --quiet");
    assert!(!quiet.contains("MiB"), "progress with --quiet");
    // A pipe: stderr holds nothing but what the report says there.
    let out = Command::new(env!("CARGO_BIN_EXE_trackplan"))
        .args(["check", "--plan", "plans/accounts.yaml", "--format", "json"])
        .arg(&input)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(String::from_utf8_lossy(&out.stderr), "");
}
