//! A project as a user starts one: `trackplan init` in an empty directory,
//! then every command with no `--plan`, from the project and from a
//! subdirectory; flags over the config; the message when there is no plan;
//! a config mistake as a located diagnostic.

mod common;

use std::path::Path;
use std::process::Output;

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// A capture with a planned event of the starter plan and one it lacks.
fn capture(dir: &Path) -> std::path::PathBuf {
    let path = dir.join("capture.ndjson");
    std::fs::write(
        &path,
        concat!(
            r#"{"event": "Page Viewed", "properties": {"distinct_id": "$device:d1", "$device_id": "d1", "page_url": "https://example.com/"}}"#,
            "\n",
            r#"{"event": "Coffee Spilled", "properties": {"distinct_id": "$device:d1", "$device_id": "d1"}}"#,
            "\n"
        ),
    )
    .unwrap();
    path
}

#[test]
fn init_then_every_command_works_without_a_plan_flag() {
    let dir = tempfile::tempdir().unwrap();
    let here = dir.path();
    let out = common::trackplan_in(here, &["init"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stdout(&out).starts_with("wrote trackplan.toml and trackplan.yaml\n\nnext:\n"),
        "{}",
        stdout(&out)
    );
    // Never over what exists.
    let again = common::trackplan_in(here, &["init"]);
    assert_eq!(again.status.code(), Some(2));
    assert_eq!(
        stderr(&again),
        "error: `./trackplan.toml` exists; trackplan init writes nothing over it (move it away to start again)\n"
    );
    // The starter plan lints clean.
    let lint = common::trackplan_in(here, &["lint"]);
    assert_eq!(lint.status.code(), Some(0), "{}", stdout(&lint));
    assert_eq!(stdout(&lint), "0 errors, 0 warnings, 0 infos in 1 file\n");
    // Every configured target, then the check CI runs.
    let generate = common::trackplan_in(here, &["generate"]);
    assert_eq!(generate.status.code(), Some(0), "{}", stderr(&generate));
    let tracking = here.join("src/tracking");
    // Paths as typed: relative to where the command ran.
    assert_eq!(
        stdout(&generate),
        "src/tracking/tracking.ts\nsrc/tracking/validation.ts\nsrc/tracking/index.ts\n"
    );
    let check = common::trackplan_in(here, &["generate", "--check"]);
    assert_eq!(check.status.code(), Some(0), "{}", stdout(&check));
    std::fs::write(tracking.join("index.ts"), "// edited\n").unwrap();
    let stale = common::trackplan_in(here, &["generate", "--check"]);
    assert_eq!(stale.status.code(), Some(1));
    assert_eq!(
        stdout(&stale),
        "out of date: src/tracking/index.ts\nrun `trackplan generate`\n"
    );
    // Traffic against the project's plan.
    let input = capture(here);
    let out = common::trackplan_in(here, &["check", "--format", "json", "capture.ndjson"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let text = stdout(&out);
    let violations: Vec<&str> = text
        .lines()
        .filter(|l| l.contains(r#""type":"violation""#))
        .collect();
    assert_eq!(violations.len(), 1, "{text}");
    assert!(
        violations[0]
            .contains(r#""rule":"unplanned-event","severity":"error","subject":"Coffee Spilled""#),
        "{text}"
    );
    drop(input);
}

#[test]
fn the_config_is_found_from_a_subdirectory_and_its_paths_are_its_own() {
    let dir = tempfile::tempdir().unwrap();
    let here = dir.path();
    assert_eq!(common::trackplan_in(here, &["init"]).status.code(), Some(0));
    let deeper = here.join("web/src/pages");
    std::fs::create_dir_all(&deeper).unwrap();
    let lint = common::trackplan_in(&deeper, &["lint"]);
    assert_eq!(lint.status.code(), Some(0), "{}", stderr(&lint));
    let generate = common::trackplan_in(&deeper, &["generate"]);
    assert_eq!(generate.status.code(), Some(0), "{}", stderr(&generate));
    // Written where the config says, not where the command ran.
    assert!(here.join("src/tracking/tracking.ts").is_file());
    assert!(!deeper.join("src").exists());
    capture(here);
    let out = common::trackplan_in(&deeper, &["check", "../../../capture.ndjson"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stdout(&out).contains("Coffee Spilled · unplanned-event (error)"));
}

#[test]
fn flags_override_the_config() {
    let dir = tempfile::tempdir().unwrap();
    let here = dir.path();
    assert_eq!(common::trackplan_in(here, &["init"]).status.code(), Some(0));
    capture(here);
    // The config's check defaults: inputs and format.
    let config = std::fs::read_to_string(here.join("trackplan.toml")).unwrap();
    let config = config.replace(
        "[check]\n",
        "[check]\ninputs = [\"capture.ndjson\"]\nformat = \"json\"\n",
    );
    std::fs::write(here.join("trackplan.toml"), config).unwrap();
    let out = common::trackplan_in(here, &["check"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stdout(&out).starts_with('{'), "{}", stdout(&out));
    // --format over `[check] format`.
    let out = common::trackplan_in(here, &["check", "--format", "human"]);
    assert!(
        stdout(&out).starts_with("Coffee Spilled · unplanned-event (error)"),
        "{}",
        stdout(&out)
    );
    // --plan over `plan`: a plan that has the event.
    std::fs::write(
        here.join("other.yaml"),
        "trackplan: 1\nname: Other\nversion: 1.0.0\nevents:\n  Coffee Spilled: {}\n  Page Viewed:\n    properties:\n      page_url: {type: string}\n",
    )
    .unwrap();
    let out = common::trackplan_in(
        here,
        &["check", "--plan", "other.yaml", "--format", "human"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    // An input named on the command line replaces `[check] inputs`.
    std::fs::write(here.join("empty.ndjson"), "").unwrap();
    let out = common::trackplan_in(here, &["check", "empty.ndjson"]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    // A named target instead of the configured ones.
    let out = common::trackplan_in(here, &["generate", "sql", "--dialect", "spark"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stdout(&out).contains("for Spark"), "{}", stdout(&out));
    assert!(!here.join("src").exists());
}

#[test]
fn without_a_config_a_plan_here_is_used_and_else_says_what_to_pass() {
    let dir = tempfile::tempdir().unwrap();
    let here = dir.path();
    for args in [
        &["check", "capture.ndjson"][..],
        &["docs"],
        &["generate", "typescript", "--out", "x"],
        &["export", "mixpanel"],
        &["serve"],
        &["lint"],
    ] {
        let out = common::trackplan_in(here, args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert_eq!(
            stderr(&out),
            "error: no plan: pass --plan FILE, or run this in a project with a `trackplan.toml` (or a `trackplan.yaml`)\nhelp: `trackplan init` starts a project here\n",
            "{args:?}"
        );
    }
    std::fs::copy(
        common::root().join("templates/init/trackplan.yaml"),
        here.join("trackplan.yaml"),
    )
    .unwrap();
    capture(here);
    let out = common::trackplan_in(here, &["check", "capture.ndjson"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stdout(&out).contains("Coffee Spilled · unplanned-event (error)"));
    let out = common::trackplan_in(here, &["check"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr(&out),
        "error: name the inputs to check (files; `-` for standard input)\nhelp: or list them as `inputs` under `[check]` in trackplan.toml\n"
    );
}

#[test]
fn a_config_mistake_is_shown_at_its_place() {
    let dir = tempfile::tempdir().unwrap();
    let here = dir.path();
    std::fs::write(
        here.join("trackplan.toml"),
        "plan = \"trackplan.yaml\"\n\n[[generate]]\ntarget = \"typescrpt\"\nout = \"src/tracking\"\n",
    )
    .unwrap();
    let out = common::trackplan_in(here, &["lint"]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(
        err.contains("no built-in target `typescrpt`: one of typescript, rust, sql, or `target_dir` for your own"),
        "{err}"
    );
    assert!(err.contains("trackplan.toml:4:10"), "{err}");
    assert!(
        err.ends_with(&format!(
            "error: `{}` is not a valid trackplan config\nhelp: docs/config.md describes every field\n",
            here.join("trackplan.toml").display()
        )),
        "{err}"
    );
    std::fs::write(here.join("trackplan.toml"), "plans = \"a.yaml\"\n").unwrap();
    let err = stderr(&common::trackplan_in(here, &["docs"]));
    assert!(err.contains("unknown field `plans`"), "{err}");
    assert!(err.contains("trackplan.toml:1:1"), "{err}");
}

/// Each target of `generate` shows its own flags: TypeScript users see no
/// SQL ones, and a flag of another target is refused.
#[test]
fn generate_targets_show_only_their_own_flags() {
    let here = common::root();
    let help = |target: &str| {
        stdout(&common::trackplan_in(
            &here,
            &["generate", target, "--help"],
        ))
    };
    let typescript = help("typescript");
    assert!(typescript.contains("--out"), "{typescript}");
    assert!(!typescript.contains("--dialect"), "{typescript}");
    let sql = help("sql");
    for flag in [
        "--dialect",
        "--layout",
        "--table",
        "--order-column",
        "--out",
    ] {
        assert!(sql.contains(flag), "{flag}: {sql}");
    }
    let out = common::trackplan_in(
        &here,
        &[
            "generate",
            "typescript",
            "--dialect",
            "spark",
            "--plan",
            "plans/accounts.yaml",
        ],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("unexpected argument '--dialect'"),
        "{}",
        stderr(&out)
    );
}

/// Every value of the config with a fixed set of choices is checked when
/// the config is read, at the value, with the choices and the nearest.
#[test]
fn every_config_value_is_checked_at_its_place() {
    let cases = [
        (
            "[[generate]]\ntarget = \"sql\"\ndialect = \"postgres\"\nout = \"q.sql\"\n",
            "no dialect `postgres`: one of duckdb, spark, bigquery, snowflake",
            "trackplan.toml:3:11",
        ),
        (
            "[[generate]]\ntarget = \"sql\"\nlayout = \"exports\"\nout = \"q.sql\"\n",
            "no layout `exports`: one of export, record, pipeline; did you mean `export`?",
            "trackplan.toml:3:10",
        ),
        (
            "[[generate]]\ntarget = \"typescript\"\ndialect = \"spark\"\nout = \"src\"\n",
            "`dialect` applies to `target = \"sql\"` only",
            "trackplan.toml:3:11",
        ),
        (
            "[check]\nformat = \"jsno\"\n",
            "no check format `jsno`: one of human, json, junit, github; did you mean `json`?",
            "trackplan.toml:2:10",
        ),
        (
            "[[generate]]\ntarget = \"Rust\"\nout = \"crate\"\n",
            "no built-in target `Rust`: one of typescript, rust, sql, or `target_dir` for your own; did you mean `rust`?",
            "trackplan.toml:2:10",
        ),
    ];
    for (config, message, place) in cases {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("trackplan.toml");
        std::fs::write(&path, config).unwrap();
        let Err(trackplan::project::ConfigError::Invalid(d)) = trackplan::project::load(&path)
        else {
            panic!("{config} is accepted");
        };
        assert_eq!(d.rule, trackplan::rules::config::INVALID_CONFIG);
        assert_eq!(d.message, message);
        let (_, at) = d.location().unwrap();
        assert_eq!(
            format!("trackplan.toml:{}:{}", at.line, at.column),
            place,
            "{config}"
        );
    }
}

/// `[serve]` gives the address and the file the collector writes, relative
/// to the config; `--out` overrides it.
#[test]
fn serve_takes_its_defaults_from_the_config() {
    use std::io::{Read, Write};
    let dir = tempfile::tempdir().unwrap();
    let here = dir.path();
    std::fs::write(
        here.join("trackplan.yaml"),
        trackplan::project::STARTER_PLAN,
    )
    .unwrap();
    std::fs::write(
        here.join("trackplan.toml"),
        "plan = \"trackplan.yaml\"\n\n[serve]\naddr = \"127.0.0.1:0\"\nout = \"captures/received.ndjson\"\n",
    )
    .unwrap();
    std::fs::create_dir(here.join("captures")).unwrap();
    std::fs::create_dir(here.join("sub")).unwrap();
    let (mut child, url) = common::serve::spawn_in(&here.join("sub"), &["serve", "--quiet"]);
    let addr = url
        .trim_start_matches("http://")
        .trim_end_matches('/')
        .to_owned();
    assert!(addr.starts_with("127.0.0.1:"), "{url}");
    let body = r#"[{"event": "Page Viewed", "properties": {"distinct_id": "d1", "token": "t"}}]"#;
    let mut stream = std::net::TcpStream::connect(&addr).unwrap();
    write!(
        stream,
        "POST /track HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    let _ = child.kill();
    let _ = child.wait();
    let written = std::fs::read_to_string(here.join("captures/received.ndjson")).unwrap();
    assert!(written.contains("\"Page Viewed\""), "{written}");
}
