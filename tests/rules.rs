//! Every registered rule is reported, by the command that owns it, for an
//! input made to break it; and an input made to break one rule reports
//! that rule. A rule added to the registry without a case here fails
//! `every_*_rule_has_a_case`; a case whose input no longer breaks its rule
//! fails too. (Reporting a rule that is not registered does not compile:
//! `trackplan::rules::Rule` has no public constructor. `tests/diff.rs`
//! holds the diff family's cases.)

mod common;

use std::collections::BTreeSet;
use std::path::Path;

use common::trackplan;
use serde_json::Value;
use trackplan::rules::{self, Family};

/// A plan with one of everything the check rules look at.
const PLAN: &str = r#"trackplan: 1
name: Rules
version: 1.0.0
description: Every check rule, broken once.
additional_properties: warn
super_properties:
  platform: {type: string, enum: [web, ios], description: Where it ran.}
events:
  Account Created:
    description: Was Signup.
    renamed_from: Signup
  Legacy Login:
    description: Old.
    status: deprecated
    replaced_by: Login
  Two Factor Enabled:
    description: Not live yet.
    status: planned
  Login:
    description: A user logged in.
    identified: true
    properties:
      method: {type: string, enum: [password, google], description: How.}
      attempt: {type: integer, minimum: 1, maximum: 10, required: false, description: Try.}
      code: {type: string, pattern: "^[A-Z]{3}$", required: false, description: Code.}
      page: {type: string, format: uri, required: false, description: Page.}
      nick: {type: string, min_length: 2, required: false, description: Nick.}
      tags: {type: list, items: {type: string}, max_items: 2, required: false, description: Tags.}
      remember_me: {type: boolean, required: false, description: Stay.}
  Page Viewed:
    description: A page was shown.
  Purchased Item:
    description: Bought.
    properties:
      item_type: {type: string, enum: [drink, food], description: Kind.}
      size: {type: string, required: false, description: Cup size.}
    variants:
      by: item_type
      cases:
        food: {absent: [size]}
user_properties:
  age: {type: integer, description: Age.}
groups:
  company:
    description: A company.
    properties:
      seats: {type: integer, description: Seats.}
"#;

/// An event of `PLAN` that breaks nothing but what `props` adds.
fn login(props: &str) -> String {
    format!(
        r#"{{"event": "Login", "properties": {{"distinct_id": "u1", "$user_id": "u1", "platform": "web", "method": "google", "time": 1718000000{props}}}}}"#
    )
}

/// Each check rule and NDJSON that breaks it.
fn check_cases() -> Vec<(&'static str, String)> {
    let big = "x".repeat(1_100_000);
    let many: String = (0..300).map(|i| format!(r#", "p{i}": 1"#)).collect();
    vec![
        ("undecodable", r#"{"event": "Login", "properties": {"meth"#.to_owned()),
        ("malformed-record", r#"{"event": 5, "properties": {}}"#.to_owned()),
        ("unplanned-event", r#"{"event": "Log In", "properties": {"distinct_id": "u1", "platform": "web"}}"#.to_owned()),
        ("renamed-event", r#"{"event": "Signup", "properties": {"distinct_id": "u1", "platform": "web"}}"#.to_owned()),
        ("deprecated-event", r#"{"event": "Legacy Login", "properties": {"distinct_id": "u1", "platform": "web"}}"#.to_owned()),
        ("planned-event", r#"{"event": "Two Factor Enabled", "properties": {"distinct_id": "u1", "platform": "web"}}"#.to_owned()),
        ("missing-property", r#"{"event": "Login", "properties": {"distinct_id": "u1", "$user_id": "u1", "platform": "web"}}"#.to_owned()),
        ("missing-super-property", r#"{"event": "Page Viewed", "properties": {"distinct_id": "u1"}}"#.to_owned()),
        ("wrong-type", login(r#", "attempt": "2""#)),
        ("null-value", login(r#", "remember_me": null"#)),
        ("not-in-enum", r#"{"event": "Login", "properties": {"distinct_id": "u1", "$user_id": "u1", "platform": "web", "method": "sms"}}"#.to_owned()),
        ("invalid-format", login(r#", "page": "not a url""#)),
        ("pattern-mismatch", login(r#", "code": "abc""#)),
        ("out-of-range", login(r#", "attempt": 11"#)),
        ("invalid-length", login(r#", "nick": "x""#)),
        ("invalid-list-size", login(r#", "tags": ["a", "b", "c"]"#)),
        ("unexpected-property", login(r#", "colour": "red""#)),
        ("absent-property", r#"{"event": "Purchased Item", "properties": {"distinct_id": "u1", "platform": "web", "item_type": "food", "size": "large"}}"#.to_owned()),
        ("not-identified", r#"{"event": "Login", "properties": {"distinct_id": "u1", "platform": "web", "method": "google"}}"#.to_owned()),
        (
            "user-id-after-login",
            format!(
                "{}\n{}",
                r#"{"event": "Login", "properties": {"distinct_id": "u1", "$device_id": "d1", "$user_id": "u1", "platform": "web", "method": "google", "time": 1718000000}}"#,
                r#"{"event": "Page Viewed", "properties": {"distinct_id": "d1", "$device_id": "d1", "platform": "web", "time": 1718000100}}"#
            ),
        ),
        ("missing-distinct-id", r#"{"event": "Page Viewed", "properties": {"platform": "web"}}"#.to_owned()),
        ("unknown-group", r#"{"$group_key": "team", "$group_id": "t1", "$set": {"seats": 3}}"#.to_owned()),
        ("invalid-profile-operation", r#"{"$distinct_id": "u1", "$explode": {"age": 3}}"#.to_owned()),
        ("too-many-properties", login(&many)),
        ("string-too-long", login(&format!(r#", "nick": "{}""#, "x".repeat(300)))),
        ("list-too-long", login(&format!(r#", "extra": [{}]"#, vec!["1"; 300].join(",")))),
        ("nesting-too-deep", login(r#", "extra": {"a": {"b": {"c": {"d": 1}}}}"#)),
        ("event-too-large", login(&format!(r#", "extra": "{big}""#))),
        ("invalid-insert-id", login(r#", "$insert_id": "not valid!""#)),
        ("implausible-time", r#"{"event": "Page Viewed", "properties": {"distinct_id": "u1", "platform": "web", "time": 5}}"#.to_owned()),
        ("denied-distinct-id", r#"{"event": "Page Viewed", "properties": {"distinct_id": "undefined", "platform": "web"}}"#.to_owned()),
    ]
}

/// The rules `trackplan check --format json` reports for `records`.
fn checked(dir: &Path, records: &str) -> BTreeSet<String> {
    let input = dir.join("input.ndjson");
    std::fs::write(&input, records).unwrap();
    let plan = dir.join("plan.yaml");
    let out = trackplan(&[
        "check",
        "--plan",
        plan.to_str().unwrap(),
        "--format",
        "json",
        "--quiet",
        input.to_str().unwrap(),
    ]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    let mut found = BTreeSet::new();
    for line in stdout.lines() {
        let value: Value = serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line}"));
        if let Some(rule) = value["rule"].as_str() {
            found.insert(rule.to_owned());
        }
        if value["type"] == "summary" && value["undecodable"].as_u64() > Some(0) {
            found.insert("undecodable".to_owned());
        }
    }
    found
}

#[test]
fn every_check_rule_has_a_case_that_reports_it() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("plan.yaml"), PLAN).unwrap();
    // The plan's own traffic breaks nothing.
    assert_eq!(checked(dir.path(), &login("")), BTreeSet::new());
    let mut covered = BTreeSet::new();
    for (rule, records) in check_cases() {
        let found = checked(dir.path(), &records);
        assert!(found.contains(rule), "{rule}: reported {found:?}");
        for id in &found {
            assert!(rules::find(id).is_some(), "{id} is not registered");
        }
        covered.insert(rule);
    }
    let registered: BTreeSet<&str> = rules::check::ALL.iter().map(|r| r.id()).collect();
    assert_eq!(covered, registered, "every check rule has a case");
}

/// Files by name and content; the first is the one the command is run on.
type Files = Vec<(&'static str, Vec<u8>)>;

/// Each lint rule, with the files that break it.
fn lint_cases() -> Vec<(&'static str, Files)> {
    const HEAD: &str = "trackplan: 1\nname: Shop\nversion: 1.0.0\ndescription: A shop.\n";
    let plan = |body: &str| vec![("plan.yaml", format!("{HEAD}{body}").into_bytes())];
    let event = |props: &str| {
        plan(&format!(
            "events:\n  Login:\n    description: In.\n    properties:\n{props}"
        ))
    };
    vec![
        (
            "unreadable-file",
            vec![("plan.yaml", b"\xff\xfe not text".to_vec())],
        ),
        ("yaml-syntax", plan("events: [Login")),
        (
            "unknown-field",
            event("      method: {type: string, requried: false, description: How.}\n"),
        ),
        (
            "missing-field",
            vec![("plan.yaml", b"trackplan: 1\nname: Shop\n".to_vec())],
        ),
        (
            "invalid-type",
            vec![(
                "plan.yaml",
                b"trackplan: 1\nname: Shop\nversion: 1.2\n".to_vec(),
            )],
        ),
        (
            "invalid-value",
            event("      price: {type: float, description: Price.}\n"),
        ),
        (
            "duplicate-name",
            plan("events:\n  Login: {description: In.}\n  Login: {description: Again.}\n"),
        ),
        (
            "unresolved-ref",
            event("      method: {ref: login_mehtod}\n"),
        ),
        (
            "invalid-ref",
            plan(
                "properties:\n  method: {type: string, description: How.}\nevents:\n  Login:\n    description: In.\n    properties:\n      method: {ref: method, type: integer}\n",
            ),
        ),
        ("missing-type", event("      method: {description: How.}\n")),
        (
            "constraint-mismatch",
            event("      age: {type: integer, max_length: 3, description: Age.}\n"),
        ),
        (
            "invalid-range",
            event("      attempt: {type: integer, minimum: 10, maximum: 1, description: Try.}\n"),
        ),
        (
            "enum-type-mismatch",
            event("      plan: {type: string, enum: [free, 1], description: Plan.}\n"),
        ),
        (
            "invalid-pattern",
            event("      code: {type: string, pattern: \"^[A-Z\", description: Code.}\n"),
        ),
        (
            "unknown-event",
            plan(
                "events:\n  Signup: {description: Old., status: deprecated, replaced_by: Acount Created}\n",
            ),
        ),
        (
            "invalid-variant",
            plan(
                "events:\n  Bought:\n    description: B.\n    properties:\n      item_type: {type: string, enum: [drink], description: K.}\n    variants: {by: kind, cases: {}}\n",
            ),
        ),
        ("include-missing", plan("include: [teams/checkout.yaml]\n")),
        (
            "include-cycle",
            vec![
                (
                    "plan.yaml",
                    format!("{HEAD}include: [b.yaml]\n").into_bytes(),
                ),
                ("b.yaml", b"trackplan: 1\ninclude: [plan.yaml]\n".to_vec()),
            ],
        ),
        (
            "unknown-rule",
            plan("lint:\n  rules: {missing-descripton: error}\n"),
        ),
        (
            "identifier-collision",
            plan("events:\n  Page Viewed: {description: A.}\n  page_viewed: {description: B.}\n"),
        ),
        (
            "reserved-identifier",
            plan("events:\n  Track: {description: A song was played.}\n"),
        ),
        ("missing-description", plan("events:\n  Login: {}\n")),
        (
            "event-naming",
            plan("events:\n  page_viewed: {description: A page.}\n"),
        ),
        (
            "property-naming",
            event("      pageUrl: {type: string, description: URL.}\n"),
        ),
        (
            "reserved-prefix",
            plan("events:\n  $signup: {description: A signup.}\n"),
        ),
        (
            "unused-definition",
            plan("properties:\n  coupon_code: {type: string, description: A coupon.}\n"),
        ),
        (
            "deprecated-without-replacement",
            plan("events:\n  Signup: {description: Old., status: deprecated}\n"),
        ),
        (
            "pii-not-marked",
            plan("user_properties:\n  email: {type: string, description: Their email.}\n"),
        ),
    ]
}

/// The rules `trackplan lint --format json` reports for `files`.
fn linted(files: &[(&str, Vec<u8>)]) -> BTreeSet<String> {
    let dir = tempfile::tempdir().unwrap();
    for (name, bytes) in files {
        std::fs::write(dir.path().join(name), bytes).unwrap();
    }
    let (_, report) = common::lint_json(&[&dir.path().join(files[0].0)]);
    common::rules_of(&report).into_iter().collect()
}

#[test]
fn every_lint_rule_has_a_case_that_reports_it() {
    let mut covered = BTreeSet::new();
    for (rule, files) in lint_cases() {
        let found = linted(&files);
        assert!(found.contains(rule), "{rule}: reported {found:?}");
        for id in &found {
            assert!(rules::find(id).is_some(), "{id} is not registered");
        }
        covered.insert(rule);
    }
    let registered: BTreeSet<&str> = rules::lint::ALL.iter().map(|r| r.id()).collect();
    assert_eq!(covered, registered, "every lint rule has a case");
}

#[test]
fn every_config_rule_has_a_case_that_reports_it() {
    let cases = [
        (
            "invalid-config",
            "trackplan.toml",
            "plan = 5\n",
            vec!["lint"],
        ),
        (
            "invalid-target",
            "templates/target.toml",
            "name = \"kotlin\"\nreserved = \"class\"\n",
            vec!["generate", "--target-dir", "templates", "--out", "out"],
        ),
    ];
    let mut covered = BTreeSet::new();
    for (rule, file, text, args) in cases {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(file);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, text).unwrap();
        std::fs::write(
            dir.path().join("trackplan.yaml"),
            "trackplan: 1\nname: Shop\nversion: 1.0.0\ndescription: A shop.\nevents:\n  Login: {description: In.}\n",
        )
        .unwrap();
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_trackplan"))
            .args(&args)
            .current_dir(dir.path())
            .env("NO_COLOR", "1")
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.starts_with(&format!("{rule}\n")), "{rule}: {stderr}");
        covered.insert(rule);
    }
    let registered: BTreeSet<&str> = rules::config::ALL.iter().map(|r| r.id()).collect();
    assert_eq!(covered, registered, "every config rule has a case");
}

#[test]
fn style_rules_are_the_configurable_ones() {
    // `lint.rules` takes exactly the style rules; every other id is a
    // located `unknown-rule`.
    let dir = tempfile::tempdir().unwrap();
    let plan = dir.path().join("plan.yaml");
    std::fs::write(
        &plan,
        "trackplan: 1\nname: Shop\nversion: 1.0.0\ndescription: A shop.\nlint:\n  rules:\n    missing-description: off\n    not-in-enum: error\n    yaml-syntax: off\n    pii-not-marekd: error\n",
    )
    .unwrap();
    let (_, report) = common::lint_json(&[&plan]);
    let messages: Vec<(String, u64, u64, String)> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["rule"].as_str().unwrap().to_owned(),
                d["line"].as_u64().unwrap(),
                d["column"].as_u64().unwrap(),
                d["message"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(
        messages,
        [
            (
                "unknown-rule".into(),
                8,
                5,
                "`not-in-enum` is a check rule, not a lint rule".into()
            ),
            (
                "unknown-rule".into(),
                9,
                5,
                "rule `yaml-syntax` cannot be configured".into()
            ),
            (
                "unknown-rule".into(),
                10,
                5,
                "unknown lint rule `pii-not-marekd`, did you mean `pii-not-marked`?".into()
            ),
        ]
    );
    assert!(
        rules::lint::ALL
            .iter()
            .all(|r| matches!(r.family(), Family::Loader | Family::Style))
    );
}

/// Each scan rule, with a source file that breaks it (`never-called`
/// comes from the plan: `Logout` is sent nowhere).
fn scan_cases() -> Vec<(&'static str, &'static str, &'static str)> {
    vec![
        (
            "never-called",
            "a.ts",
            "mixpanel.track(\"Login\", { method: \"password\" });\n",
        ),
        ("unplanned-call", "a.ts", "mixpanel.track(\"Log In\");\n"),
        ("raw-call", "a.ts", "mixpanel.track(\"Login\", {});\n"),
        (
            "undeclared-property",
            "a.ts",
            "mixpanel.track(\"Login\", { metod: \"password\" });\n",
        ),
        ("dynamic-event-name", "a.ts", "mixpanel.track(name);\n"),
        ("deprecated-call", "a.ts", "mixpanel.track(\"Signup\");\n"),
        ("unparsable-source", "a.ts", "mixpanel.track(\"Login\", {\n"),
    ]
}

#[test]
fn every_scan_rule_has_a_case_that_reports_it() {
    const SCAN_PLAN: &str = "trackplan: 1\nname: Scan\nversion: 1.0.0\nevents:\n  Login:\n    properties:\n      method: {type: string}\n  Logout: {}\n  Signup: {status: deprecated, replaced_by: Login}\n";
    let mut covered = BTreeSet::new();
    for (rule, name, source) in scan_cases() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("plan.yaml"), SCAN_PLAN).unwrap();
        std::fs::create_dir(dir.path().join("src")).unwrap();
        std::fs::write(dir.path().join("src").join(name), source).unwrap();
        let out = common::trackplan_in(
            dir.path(),
            &["scan", "--plan", "plan.yaml", "--format", "json", "src"],
        );
        let report: Value = serde_json::from_slice(&out.stdout).unwrap();
        let found: BTreeSet<String> = common::rules_of(&report).into_iter().collect();
        assert!(found.contains(rule), "{rule}: reported {found:?}");
        for id in &found {
            assert!(rules::find(id).is_some(), "{id} is not registered");
        }
        covered.insert(rule);
    }
    let registered: BTreeSet<&str> = rules::scan::ALL.iter().map(|r| r.id()).collect();
    assert_eq!(covered, registered, "every scan rule has a case");
}
