//! The fuzz targets of `fuzz/` build and run: each for a few seconds on
//! its seed corpus (`fuzz/run.sh`), so a target that stops building or
//! fails at once is noticed here. Long runs are `fuzz/README.md`'s.
//! Needs the nightly toolchain and cargo-fuzz (`.ci/setup` installs it).

use std::process::Command;

const TARGETS: &[&str] = &["plan", "input", "har", "request", "lazy_vs_full", "scan"];

#[test]
fn every_fuzz_target_builds_and_runs_clean_for_a_few_seconds() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    // The seeds alone: a corpus grown by long runs takes minutes to replay
    // in a development build.
    let work = tempfile::tempdir().unwrap();
    for target in TARGETS {
        let out = Command::new("bash")
            .args(["fuzz/run.sh", target, "3"])
            .current_dir(root)
            // A development build: it compiles in a fraction of the time
            // of the optimised one that long runs use.
            .env("FUZZ_BUILD", "--dev")
            .env("FUZZ_WORK", work.path())
            .env_remove("RUSTFLAGS")
            .env_remove("CARGO_TARGET_DIR")
            .output()
            .expect("bash runs");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            out.status.success(),
            "fuzz target {target} failed (needs nightly and cargo-fuzz: bash .ci/setup):\n{}",
            stderr
                .lines()
                .rev()
                .take(40)
                .collect::<Vec<_>>()
                .into_iter()
                .rev()
                .collect::<Vec<_>>()
                .join("\n")
        );
        assert!(stderr.contains("Done "), "{target}: {stderr}");
    }
}
