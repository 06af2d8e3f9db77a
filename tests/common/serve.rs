//! A `trackplan serve` process for the collector's tests.
#![allow(dead_code)]

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

use serde_json::Value;

/// A running collector, stopped when dropped.
pub struct Server {
    /// The `trackplan serve` process.
    pub child: Child,
    /// Its base URL.
    pub url: String,
    /// The NDJSON file it writes.
    pub out: std::path::PathBuf,
    _dir: tempfile::TempDir,
}

impl Server {
    /// Starts `trackplan serve` on a free port.
    pub fn start() -> Self {
        Self::start_with(&[])
    }

    /// Starts `trackplan serve` with `extra` arguments on a free port.
    pub fn start_with(extra: &[&str]) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("received.ndjson");
        let mut args = vec![
            "serve",
            "--quiet",
            "--addr",
            "127.0.0.1:0",
            "--plan",
            "plans/accounts.yaml",
        ];
        args.extend(extra);
        let out_arg = out.display().to_string();
        args.extend(["--out", out_arg.as_str()]);
        let (child, url) = spawn_in(&super::root(), &args);
        Server {
            child,
            url,
            out,
            _dir: dir,
        }
    }

    /// `GET /_trackplan/report`.
    pub fn report(&self) -> Value {
        let body = ureq::get(format!("{}/_trackplan/report", self.url))
            .call()
            .unwrap()
            .body_mut()
            .read_to_string()
            .unwrap();
        serde_json::from_str(&body).unwrap()
    }

    /// The records in the NDJSON file.
    pub fn records(&self) -> Vec<Value> {
        std::fs::read_to_string(&self.out)
            .unwrap_or_default()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Runs `trackplan ARGS` (a `serve`) in `dir` and waits for its listening
/// line: the process and the URL it listens on.
pub fn spawn_in(dir: &std::path::Path, args: &[&str]) -> (Child, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_trackplan"))
        .args(args)
        .current_dir(dir)
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let url = line
        .split_whitespace()
        .find(|w| w.starts_with("http://"))
        .expect("the listening line")
        .to_owned();
    (child, url)
}
