//! No file content makes trackplan panic: each hostile input gets a clear
//! error, with exit code 1 (a broken plan) and never a crash.

mod common;

use std::path::Path;

use common::lint_json;

fn lint_file(name: &str, content: &[u8]) -> (i32, serde_json::Value) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(name);
    std::fs::write(&path, content).unwrap();
    lint_json(&[Path::new(&path)])
}

fn only(report: &serde_json::Value) -> (&str, &str) {
    let diagnostics = report["diagnostics"].as_array().unwrap();
    assert_eq!(diagnostics.len(), 1, "{report:#}");
    (
        diagnostics[0]["rule"].as_str().unwrap(),
        diagnostics[0]["message"].as_str().unwrap(),
    )
}

#[test]
fn binary_garbage() {
    let garbage: Vec<u8> = (0..4096u32)
        .map(|i| (i.wrapping_mul(2654435761) >> 13) as u8)
        .collect();
    let (code, report) = lint_file("garbage.yaml", &garbage);
    assert_eq!(code, 1);
    let (rule, message) = only(&report);
    assert_eq!(rule, "unreadable-file");
    assert!(message.contains("is not UTF-8 text"), "{message}");
}

#[test]
fn invalid_utf8_names_the_offset_and_line() {
    let (code, report) = lint_file("latin1.yaml", b"trackplan: 1\nname: Caf\xe9\n");
    assert_eq!(code, 1);
    let (rule, message) = only(&report);
    assert_eq!(rule, "unreadable-file");
    assert!(
        message.ends_with("invalid byte at offset 22 (line 2)"),
        "{message}"
    );
}

#[test]
fn control_characters_are_a_syntax_error() {
    let (code, report) = lint_file("nul.yaml", b"trackplan: 1\nname: \x00\x01\x02\n");
    assert_eq!(code, 1);
    let rules: Vec<_> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["rule"].as_str().unwrap())
        .collect();
    assert_eq!(rules, ["yaml-syntax"]);
}

#[test]
fn ten_thousand_deep_nesting() {
    let flow = format!(
        "trackplan: 1\nevents: {}{}\n",
        "[".repeat(10_000),
        "]".repeat(10_000)
    );
    let (code, report) = lint_file("flow.yaml", flow.as_bytes());
    assert_eq!(code, 1);
    assert_eq!(only(&report).0, "yaml-syntax");
    let block = format!("trackplan: 1\nevents:\n{}x\n", "- ".repeat(10_000));
    let (code, report) = lint_file("block.yaml", block.as_bytes());
    assert_eq!(code, 1);
    let (rule, message) = only(&report);
    assert_eq!(rule, "yaml-syntax");
    assert_eq!(message, "the document nests deeper than 64 levels");
    assert_eq!(report["diagnostics"][0]["line"], 3);
}

#[test]
fn alias_bomb() {
    let mut text =
        String::from("trackplan: 1\na: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for i in 0..9 {
        let prev = if i == 0 {
            "a".to_owned()
        } else {
            format!("l{}", i - 1)
        };
        let refs = vec![format!("*{prev}"); 9].join(", ");
        text.push_str(&format!("l{i}: &l{i} [{refs}]\n"));
    }
    let (code, report) = lint_file("bomb.yaml", text.as_bytes());
    assert_eq!(code, 1);
    let (rule, message) = only(&report);
    assert_eq!(rule, "yaml-syntax");
    assert_eq!(message, "the document expands to more than 250000 nodes");
}

#[test]
fn fifty_megabyte_file() {
    let mut text = String::from("trackplan: 1\nname: Big\nversion: 1.0.0\ndescription: |\n");
    let line = format!("  {}\n", "x".repeat(99));
    while text.len() < 50 * 1024 * 1024 {
        text.push_str(&line);
    }
    let (code, report) = lint_file("big.yaml", text.as_bytes());
    assert_eq!(code, 1);
    let (rule, message) = only(&report);
    assert_eq!(rule, "unreadable-file");
    assert!(
        message.contains("plan files are limited to 16777216 bytes"),
        "{message}"
    );
}

#[test]
fn empty_file_and_scalar_document() {
    let (code, report) = lint_file("empty.yaml", b"");
    assert_eq!(code, 1);
    let rules: Vec<_> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["rule"].as_str().unwrap())
        .collect();
    // An empty file lacks everything a plan needs, and lint says so.
    assert_eq!(
        rules,
        [
            "missing-description",
            "missing-field",
            "missing-field",
            "missing-field"
        ]
    );
    let (code, report) = lint_file("scalar.yaml", b"just a string\n");
    assert_eq!(code, 1);
    assert_eq!(
        only(&report),
        ("invalid-type", "a plan file must be a mapping of fields")
    );
}

#[test]
fn a_mistake_past_column_65535_renders_as_a_window_of_its_line() {
    let padding = "x".repeat(70_000);
    let text = format!(
        "trackplan: 1\nname: Long\nversion: 1.0.0\ndescription: d\nevents: {{Login: {{description: \"{padding}\", descripton: typo}}}}\n"
    );
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("long.yaml");
    std::fs::write(&path, text).unwrap();
    let out = common::trackplan(&["lint", path.to_str().unwrap()]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stdout.contains("unknown field `descripton`"), "{stdout}");
    // The header names the real column; the snippet is a window of the line.
    assert!(
        stdout.contains("long.yaml:5:70035]"),
        "{}",
        &stdout[..stdout.len().min(2000)]
    );
    assert!(
        stdout.lines().all(|l| l.chars().count() < 400),
        "a line of the report is too long"
    );
    assert!(
        stdout.contains("xxxxxxxx\", descripton: typo}}"),
        "{stdout}"
    );
}

/// Runs trackplan with `args`, killed after ten seconds: `(exit code, stdout, stderr)`.
fn bounded(args: &[&str]) -> (Option<i32>, String, String) {
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_trackplan"))
        .args(args)
        .current_dir(common::root())
        .env("NO_COLOR", "1")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let start = std::time::Instant::now();
    while child.try_wait().unwrap().is_none() {
        if start.elapsed() > std::time::Duration::from_secs(10) {
            child.kill().unwrap();
            panic!("{args:?} did not finish in 10 s");
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let out = child.wait_with_output().unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn devices_and_pipes_are_refused_as_plans_includes_and_templates() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("plan.yaml");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(made.success());
    let fifo = fifo.to_str().unwrap();
    for (plan, kind) in [
        ("/dev/zero", "a device"),
        ("/dev/urandom", "a device"),
        (fifo, "a named pipe"),
    ] {
        let (code, stdout, _) = bounded(&["lint", "--format", "json", plan]);
        assert_eq!(code, Some(1), "{plan}");
        assert!(
            stdout.contains(&format!("is {kind}, not a file")),
            "{plan}: {stdout}"
        );
    }
    let including = dir.path().join("including.yaml");
    std::fs::write(
        &including,
        "trackplan: 1\nname: Z\nversion: 1.0.0\ninclude: [/dev/zero]\n",
    )
    .unwrap();
    let (code, stdout, _) = bounded(&["lint", "--format", "json", including.to_str().unwrap()]);
    assert_eq!(code, Some(1));
    assert!(
        stdout.contains("`/dev/zero` is a device, not a file"),
        "{stdout}"
    );
    // A template that is a pipe, in --templates.
    let templates = dir.path().join("templates");
    std::fs::create_dir(&templates).unwrap();
    let made = std::process::Command::new("mkfifo")
        .arg(templates.join("tracking.ts.jinja"))
        .status()
        .unwrap();
    assert!(made.success());
    let out = dir.path().join("out");
    let (code, _, stderr) = bounded(&[
        "generate",
        "typescript",
        "--plan",
        "plans/accounts.yaml",
        "--templates",
        templates.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(
        stderr.contains("tracking.ts.jinja` is a named pipe, not a file"),
        "{stderr}"
    );
}

#[test]
fn a_user_template_that_would_run_for_hours_is_stopped() {
    let dir = tempfile::tempdir().unwrap();
    let endless =
        "{% for i in range(100000) %}{% for j in range(100000) %}x{% endfor %}{% endfor %}";
    std::fs::write(dir.path().join("tracking.ts.jinja"), endless).unwrap();
    std::fs::write(dir.path().join("plan.md.jinja"), endless).unwrap();
    let out = dir.path().join("out");
    let (code, _, stderr) = bounded(&[
        "generate",
        "typescript",
        "--plan",
        "plans/accounts.yaml",
        "--templates",
        dir.path().to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(
        stderr.contains("template `tracking.ts.jinja` was stopped after"),
        "{stderr}"
    );
    let (code, _, stderr) = bounded(&[
        "docs",
        "--plan",
        "plans/accounts.yaml",
        "--templates",
        dir.path().to_str().unwrap(),
    ]);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(
        stderr.contains("template `plan.md.jinja` was stopped after"),
        "{stderr}"
    );
}

#[test]
fn the_work_budget_leaves_room_for_real_templates() {
    // The built-in templates, given as the user's, render every bundled plan.
    for plan in [
        "plans/accounts.yaml",
        "plans/cafe.yaml",
        "tests/fixtures/plans/hostile.yaml",
        "tests/fixtures/plans/formats.yaml",
    ] {
        for target in ["typescript", "rust"] {
            let dir = tempfile::tempdir().unwrap();
            let templates = format!("templates/{target}");
            let (code, _, stderr) = bounded(&[
                "generate",
                target,
                "--plan",
                plan,
                "--templates",
                &templates,
                "--out",
                dir.path().to_str().unwrap(),
            ]);
            assert_eq!(code, Some(0), "{plan} {target}: {stderr}");
        }
    }
}

#[test]
fn a_plan_of_thirty_thousand_events_loads() {
    // Written out, not made of aliases: the node limit is for what aliases add.
    let mut text =
        String::from("trackplan: 1\nname: Big\nversion: 1.0.0\ndescription: d\nevents:\n");
    for i in 0..30_000 {
        text.push_str(&format!(
            "  Event Number {i}:\n    description: d\n    properties:\n      p_{i}: {{type: string, description: d}}\n"
        ));
    }
    let loaded = trackplan::plan::load_text("big.yaml", &text);
    assert!(
        loaded.diagnostics.is_empty(),
        "{}",
        loaded.diagnostics[0].message
    );
    assert_eq!(loaded.plan.unwrap().events.len(), 30_000);
}

#[test]
fn exported_schema_files_never_overwrite_each_other_and_are_never_too_long() {
    let long = "Very long event name ".repeat(15);
    let text = format!(
        "trackplan: 1\nname: Files\nversion: 1.0.0\ndescription: d\nevents:\n  a/b: {{description: d}}\n  a-b: {{description: d}}\n  A B: {{description: d}}\n  \"{}\": {{description: d}}\ngroups:\n  a b: {{description: g}}\n  A/B: {{description: g}}\n",
        long.trim()
    );
    let dir = tempfile::tempdir().unwrap();
    let plan = dir.path().join("plan.yaml");
    std::fs::write(&plan, text).unwrap();
    let out = dir.path().join("schemas");
    let (code, stdout, stderr) = bounded(&[
        "export",
        "jsonschema",
        "--plan",
        plan.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code, Some(0), "{stderr}");
    assert_eq!(stdout.lines().count(), 8, "{stdout}");
    let index: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("index.json")).unwrap()).unwrap();
    let events = index["events"].as_object().unwrap();
    assert_eq!(events["a/b"], "events/a-b.json");
    assert_eq!(events["a-b"], "events/a-b-2.json");
    assert_eq!(events["A B"], "events/a-b-3.json");
    let long_file = events[long.trim()].as_str().unwrap();
    assert!(long_file.len() < 100, "{long_file}");
    assert_eq!(index["groups"]["A/B"], "groups/a-b-2.json");
    // Each file holds the schema of its own event, with a distinct $id.
    let mut ids = std::collections::HashSet::new();
    for (name, file) in events {
        let schema: serde_json::Value = serde_json::from_str(
            &std::fs::read_to_string(out.join(file.as_str().unwrap())).unwrap(),
        )
        .unwrap();
        assert_eq!(schema["title"], name.as_str());
        assert!(ids.insert(schema["$id"].as_str().unwrap().to_owned()));
    }
}
