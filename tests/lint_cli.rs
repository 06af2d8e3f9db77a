//! `trackplan lint` as users run it: exit codes, positions, output formats.

mod common;

use common::{fixture, lint_json, places, root, trackplan};

#[test]
fn bundled_plans_are_clean() {
    let plans: Vec<_> = std::fs::read_dir(root().join("plans"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
        .collect();
    assert!(plans.len() >= 2, "expected the accounts and cafe plans");
    let refs: Vec<_> = plans.iter().map(|p| p.as_path()).collect();
    let (code, report) = lint_json(&refs);
    assert_eq!(report["diagnostics"], serde_json::json!([]), "{report:#}");
    assert_eq!(code, 0);
}

#[test]
fn default_is_every_plan_under_plans() {
    let out = trackplan(&["lint"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout
            .trim_end()
            .ends_with("0 errors, 0 warnings, 0 infos in 2 files"),
        "{stdout}"
    );
}

#[test]
fn three_mistakes_three_diagnostics_at_their_places() {
    let (code, report) = lint_json(&[&fixture("plans/three-mistakes.yaml")]);
    assert_eq!(code, 1);
    let errors: Vec<_> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["severity"] == "error")
        .map(|d| {
            (
                d["rule"].as_str().unwrap(),
                d["line"].as_u64().unwrap(),
                d["column"].as_u64().unwrap(),
                d["end_column"].as_u64().unwrap(),
                d["message"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        errors,
        vec![
            (
                "unresolved-ref",
                14,
                21,
                32,
                "`ref: login_methd` names no shared definition; did you mean `login_method`?"
            ),
            (
                "unknown-field",
                17,
                9,
                17,
                "unknown field `requried`, did you mean `required`?"
            ),
            ("duplicate-name", 21, 3, 8, "event `Login` is defined twice"),
        ]
    );
    // The misspelled ref also leaves its definition unused: a warning.
    assert_eq!(
        places(&report),
        vec![
            ("unused-definition".into(), 6, 3),
            ("unresolved-ref".into(), 14, 21),
            ("unknown-field".into(), 17, 9),
            ("duplicate-name".into(), 21, 3),
        ]
    );
    let duplicate = &report["diagnostics"][3];
    assert_eq!(duplicate["related"][0]["line"], 11);
    assert_eq!(duplicate["related"][0]["label"], "first defined here");
}

#[test]
fn human_output_shows_the_snippet_and_help() {
    let out = trackplan(&["lint", "tests/fixtures/plans/three-mistakes.yaml"]);
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(!text.contains('\u{1b}'), "NO_COLOR output has escape codes");
    let expected = "  x unknown field `requried`, did you mean `required`?
    ,-[tests/fixtures/plans/three-mistakes.yaml:17:9]
 16 |         type: boolean
 17 |         requried: false
    :         ^^^^|^^^
    :             `-- did you mean `required`?
 18 |         description: Whether to stay logged in.
    `----
  help: `required`: Whether the property must be present. Default: true for event properties,
        false for user and group properties.";
    assert!(text.contains(expected), "{text}");
    assert!(
        text.trim_end()
            .ends_with("3 errors, 1 warning, 0 infos in 1 file"),
        "{text}"
    );
}

#[test]
fn github_annotations() {
    let out = trackplan(&[
        "lint",
        "--format",
        "github",
        "tests/fixtures/plans/three-mistakes.yaml",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 4, "{text}");
    assert_eq!(
        lines[2],
        "::error file=tests/fixtures/plans/three-mistakes.yaml,line=17,col=9,endLine=17,endColumn=17,\
title=trackplan(unknown-field)::unknown field `requried`, did you mean `required`?%0Ahelp: `required`: \
Whether the property must be present. Default: true for event properties, false for user and group properties."
    );
    assert!(
        lines[0]
            .starts_with("::warning file=tests/fixtures/plans/three-mistakes.yaml,line=6,col=3,")
    );
}

#[test]
fn includes_missing_circular_and_duplicated_across_files() {
    let (code, report) = lint_json(&[&fixture("plans/includes/root.yaml")]);
    assert_eq!(code, 1);
    let found: Vec<_> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            let file = d["file"].as_str().unwrap();
            let file = &file[file.rfind('/').map_or(0, |i| i + 1)..];
            (
                file.to_owned(),
                d["rule"].as_str().unwrap().to_owned(),
                d["line"].as_u64().unwrap(),
                d["column"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        found,
        vec![
            ("checkout.yaml".into(), "duplicate-name".into(), 6, 3),
            ("loop-b.yaml".into(), "include-cycle".into(), 2, 11),
            ("root.yaml".into(), "include-missing".into(), 5, 26),
        ]
    );
    let duplicate = &report["diagnostics"][0];
    assert!(
        duplicate["related"][0]["file"]
            .as_str()
            .unwrap()
            .ends_with("root.yaml")
    );
    assert_eq!(duplicate["related"][0]["line"], 7);
    let cycle = report["diagnostics"][1]["message"].as_str().unwrap();
    assert_eq!(
        cycle,
        "`loop-a.yaml` is already being included: root.yaml -> loop-a.yaml -> loop-b.yaml -> loop-a.yaml"
    );
}

#[test]
fn usage_and_io_errors_exit_2() {
    let out = trackplan(&["lint", "no/such/plan.yaml"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot read `no/such/plan.yaml`"));
    let out = trackplan(&["lint", "--format", "xml"]);
    assert_eq!(out.status.code(), Some(2));
    let out = trackplan(&["lint", "--explain", "no-such-rule"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "error: no rule `no-such-rule`\nhelp: docs/rules.md, docs/check-rules.md, docs/scan-rules.md and docs/diff-rules.md list every rule\n"
    );
    let out = trackplan(&["lint", "--explain", "propery-naming"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "error: no rule `propery-naming`; did you mean `property-naming`?\nhelp: docs/rules.md, docs/check-rules.md, docs/scan-rules.md and docs/diff-rules.md list every rule\n"
    );
}

#[test]
fn explain_prints_a_rules_documentation() {
    let out = trackplan(&["lint", "--explain", "pii-not-marked"]);
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.starts_with("pii-not-marked (style rule, warning by default)"),
        "{text}"
    );
    assert!(text.contains("Why is this bad?"));
    let out = trackplan(&["lint", "--list-rules"]);
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(text.lines().count(), trackplan::rules::lint::ALL.len());
}
