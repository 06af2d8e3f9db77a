//! A directory wherever a plan file goes: one root plan with its fragments
//! merged in, or several plans that `lint` lints each and other commands
//! refuse by name (docs/plan-format.md, "Directories").

mod common;

use std::path::Path;
use std::process::Output;

fn write(dir: &Path, rel: &str, text: &str) {
    let path = dir.join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// A plan split over three files: the root includes `checkout.yaml`;
/// `search/search.yaml` is in no include list.
fn split_plan(dir: &Path) {
    write(
        dir,
        "plans/shop.yaml",
        "trackplan: 1\nname: Shop\nversion: 1.0.0\ndescription: A shop.\ninclude: [checkout.yaml]\nevents:\n  Login: {description: In.}\n",
    );
    write(
        dir,
        "plans/checkout.yaml",
        "trackplan: 1\nevents:\n  Order Completed: {description: Paid.}\n",
    );
    write(
        dir,
        "plans/search/search.yaml",
        "trackplan: 1\nevents:\n  Searched:\n    properties:\n      query: {type: string, description: Text.}\n",
    );
}

#[test]
fn a_directory_with_one_root_is_that_plan_with_every_fragment() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    split_plan(dir);
    // lint: one plan, the fragment's finding at its own place.
    let (code, report) = common::lint_json(&[&dir.join("plans")]);
    assert_eq!(code, 0);
    assert_eq!(
        report["files"],
        serde_json::json!([dir.join("plans/shop.yaml").display().to_string()])
    );
    let found: Vec<(String, String, u64, u64)> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["rule"].as_str().unwrap().to_owned(),
                d["file"].as_str().unwrap().to_owned(),
                d["line"].as_u64().unwrap(),
                d["column"].as_u64().unwrap(),
            )
        })
        .collect();
    let search = dir.join("plans/search/search.yaml").display().to_string();
    assert_eq!(found, [("missing-description".to_owned(), search, 3, 3)]);
    // check: events of all three files are planned.
    write(
        dir,
        "capture.ndjson",
        "{\"event\": \"Login\", \"properties\": {\"distinct_id\": \"u1\"}}\n{\"event\": \"Order Completed\", \"properties\": {\"distinct_id\": \"u1\"}}\n{\"event\": \"Searched\", \"properties\": {\"distinct_id\": \"u1\", \"query\": \"tea\"}}\n{\"event\": \"Logout\", \"properties\": {\"distinct_id\": \"u1\"}}\n",
    );
    let out = common::trackplan_in(
        dir,
        &[
            "check",
            "--plan",
            "plans",
            "--format",
            "json",
            "capture.ndjson",
        ],
    );
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let rules: Vec<(String, String)> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter(|v| v["rule"].is_string())
        .map(|v| {
            (
                v["subject"].as_str().unwrap().to_owned(),
                v["rule"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(rules, [("Logout".to_owned(), "unplanned-event".to_owned())]);
    // generate: the helpers of all three files.
    let out = common::trackplan_in(
        dir,
        &["generate", "typescript", "--plan", "plans", "--out", "gen"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let code = std::fs::read_to_string(dir.join("gen/tracking.ts")).unwrap();
    for helper in ["login(", "orderCompleted(", "searched("] {
        assert!(
            code.contains(&format!("export function {helper}")),
            "{helper}"
        );
    }
}

#[test]
fn a_directory_with_several_plans_is_linted_plan_by_plan_and_refused_elsewhere() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    split_plan(dir);
    write(
        dir,
        "plans/admin.yaml",
        "trackplan: 1\nname: Admin\nversion: 1.0.0\ndescription: Admin.\nevents:\n  Banned: {description: Out.}\n",
    );
    let out = common::trackplan_in(dir, &["docs", "--plan", "plans"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr(&out),
        "error: `plans` holds 2 plans (plans/admin.yaml, plans/shop.yaml); pass one of them\nhelp: a directory is one plan when exactly one of its files has a `name`\n"
    );
    // lint: each root, then the fragment no root includes, alone (where
    // it lacks a name, a version and a description of the plan).
    let (code, report) = common::lint_json(&[&dir.join("plans")]);
    assert_eq!(code, 1);
    let files: Vec<String> = report["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            f.as_str()
                .unwrap()
                .trim_start_matches(&*dir.display().to_string())
                .to_owned()
        })
        .collect();
    assert_eq!(
        files,
        [
            "/plans/admin.yaml",
            "/plans/shop.yaml",
            "/plans/search/search.yaml"
        ]
    );
    assert_eq!(
        common::rules_of(&report),
        [
            "missing-description",
            "missing-field",
            "missing-field",
            "missing-description"
        ]
    );
}

#[test]
fn a_directory_that_is_no_plan_says_why() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    std::fs::create_dir(dir.join("empty")).unwrap();
    let out = common::trackplan_in(dir, &["lint", "empty"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr(&out),
        "error: `empty` holds no *.yaml plan file\nhelp: `trackplan init` writes a starter plan\n"
    );
    write(dir, "frags/a.yaml", "trackplan: 1\nevents: {}\n");
    let out = common::trackplan_in(dir, &["check", "--plan", "frags", "x.ndjson"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr(&out),
        "error: no file in `frags` is a root plan (none has a `name`)\nhelp: give one file `name` and `version`; the others are merged into it\n"
    );
}
