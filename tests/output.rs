//! Every subcommand's largest output, piped into a reader that closes
//! after 10 bytes (`trackplan ... | head -c 10`) and written to a full disk
//! (`> /dev/full`): a closed pipe ends the command quietly, a full disk is
//! exit 2 with a message, and nothing panics.

mod common;

use std::io::Read;
use std::process::{Command, Stdio};

use common::root;

/// The commands, each with its largest output on standard output.
fn commands(out: &std::path::Path) -> Vec<Vec<String>> {
    let out = |name: &str| out.join(name).display().to_string();
    let sdk = [
        "tests/fixtures/sdk/browser.har",
        "tests/fixtures/sdk/node.har",
        "tests/fixtures/sdk/python.har",
    ];
    let check = |format: &str| {
        let mut args = vec!["check", "--plan", "plans/accounts.yaml", "--format", format];
        args.extend(sdk);
        args.into_iter().map(String::from).collect::<Vec<_>>()
    };
    let mut all: Vec<Vec<String>> = vec![
        check("human"),
        check("json"),
        check("junit"),
        check("github"),
    ];
    let fixed: Vec<Vec<String>> = [
        vec![
            "lint",
            "plans/cafe.yaml",
            "tests/fixtures/plans/hostile.yaml",
        ],
        vec![
            "lint",
            "--format",
            "json",
            "tests/fixtures/plans/hostile.yaml",
        ],
        vec![
            "lint",
            "--format",
            "github",
            "tests/fixtures/plans/hostile.yaml",
        ],
        vec!["lint", "--list-rules"],
        vec!["lint", "--explain", "identifier-collision"],
        vec![
            "diff",
            "plans/accounts.yaml",
            "plans/cafe.yaml",
            "--fail-on",
            "never",
        ],
        vec![
            "diff",
            "--format",
            "json",
            "plans/accounts.yaml",
            "plans/cafe.yaml",
            "--fail-on",
            "never",
        ],
        vec![
            "diff",
            "--format",
            "markdown",
            "plans/accounts.yaml",
            "plans/cafe.yaml",
            "--fail-on",
            "never",
        ],
        vec!["docs", "--plan", "plans/cafe.yaml"],
        vec!["docs", "--plan", "plans/cafe.yaml", "--format", "html"],
        vec!["schema"],
        vec!["export", "jsonschema", "--plan", "plans/cafe.yaml"],
        vec!["export", "mixpanel", "--plan", "plans/cafe.yaml"],
        vec!["import", "mixpanel", "tests/fixtures/lexicon/sample.json"],
        vec!["generate", "sql", "--plan", "plans/cafe.yaml"],
    ]
    .into_iter()
    .map(|a| a.into_iter().map(String::from).collect())
    .collect();
    all.extend(fixed);
    for (args, dir) in [
        (
            vec!["export", "jsonschema", "--plan", "plans/cafe.yaml", "--out"],
            out("schemas"),
        ),
        (
            vec![
                "generate",
                "typescript",
                "--plan",
                "plans/cafe.yaml",
                "--out",
            ],
            out("ts"),
        ),
        (
            vec!["generate", "rust", "--plan", "plans/cafe.yaml", "--out"],
            out("rs"),
        ),
        (
            vec!["generate", "sql", "--plan", "plans/cafe.yaml", "--out"],
            out("cafe.sql"),
        ),
    ] {
        let mut args: Vec<String> = args.into_iter().map(String::from).collect();
        args.push(dir);
        all.push(args);
    }
    all
}

fn binary() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_trackplan"));
    command.current_dir(root()).env("NO_COLOR", "1");
    command
}

#[test]
fn a_closed_pipe_ends_every_command_quietly() {
    let dir = tempfile::tempdir().unwrap();
    for args in commands(dir.path()) {
        let mut child = binary()
            .args(&args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut first = [0u8; 10];
        let mut stdout = child.stdout.take().unwrap();
        let read = stdout.read(&mut first).unwrap();
        assert!(read > 0, "{args:?} printed nothing");
        drop(stdout);
        let out = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
        assert_ne!(out.status.code(), Some(101), "{args:?}: {stderr}");
        assert_ne!(out.status.code(), Some(2), "{args:?}: {stderr}");
    }
}

#[test]
fn a_full_disk_is_an_error_with_a_message() {
    let dir = tempfile::tempdir().unwrap();
    for args in commands(dir.path()) {
        let full = std::fs::File::options()
            .write(true)
            .open("/dev/full")
            .unwrap();
        let out = binary()
            .args(&args)
            .stdout(Stdio::from(full))
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(
            stderr.contains("cannot write to standard output: No space left on device"),
            "{args:?}: {stderr}"
        );
    }
}

#[test]
fn a_closed_or_full_stderr_does_not_panic_either() {
    let full = std::fs::File::options()
        .write(true)
        .open("/dev/full")
        .unwrap();
    let out = binary()
        .args(["lint", "no-such-plan.yaml"])
        .stderr(Stdio::from(full))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let full = std::fs::File::options()
        .write(true)
        .open("/dev/full")
        .unwrap();
    let out = binary()
        .args([
            "generate",
            "typescript",
            "--plan",
            "tests/fixtures/plans/three-mistakes.yaml",
            "--out",
            "/tmp/never",
        ])
        .stderr(Stdio::from(full))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn the_collector_keeps_answering_when_its_output_is_full_or_closed() {
    for target in ["full", "closed"] {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let addr = format!("127.0.0.1:{port}");
        let mut command = binary();
        command.args(["serve", "--plan", "plans/accounts.yaml", "--addr", &addr]);
        let mut child = if target == "full" {
            let full = std::fs::File::options()
                .write(true)
                .open("/dev/full")
                .unwrap();
            command.stdout(Stdio::from(full)).spawn().unwrap()
        } else {
            let mut child = command.stdout(Stdio::piped()).spawn().unwrap();
            drop(child.stdout.take());
            child
        };
        let started = std::time::Instant::now();
        let answer = loop {
            // A Login with a violation: the collector prints a line for it.
            let sent = ureq::post(format!("http://{addr}/track?verbose=1"))
                .header("Content-Type", "application/json")
                .send(r#"{"event":"Login","properties":{"distinct_id":"u1","$user_id":"u1","method":"sms","attempt":1}}"#);
            match sent {
                Ok(mut r) => break r.body_mut().read_to_string().unwrap(),
                Err(_) if started.elapsed() < std::time::Duration::from_secs(10) => {
                    std::thread::sleep(std::time::Duration::from_millis(50));
                }
                Err(e) => panic!("{target}: {e}"),
            }
        };
        assert!(answer.contains("\"status\": 1"), "{target}: {answer}");
        assert!(
            child.try_wait().unwrap().is_none(),
            "{target}: the collector stopped"
        );
        let _ = child.kill();
        let _ = child.wait();
    }
}
