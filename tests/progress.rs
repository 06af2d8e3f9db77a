//! `check` shows its progress on a terminal only: under a pseudo-terminal
//! (`script`) the records and their rate appear; with `--quiet`, or with
//! stderr a pipe (CI logs), nothing but the report.

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
    assert!(
        shown.contains(&format!("{}: ", input.display())) && shown.contains(" records ("),
        "no progress on a terminal: {}",
        &shown[..shown.len().min(2000)]
    );
    let quiet = on_a_terminal(&format!("--quiet {args}"));
    assert!(!quiet.contains(" records ("), "progress with --quiet");
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
