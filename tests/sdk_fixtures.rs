//! Real traffic from the three official SDKs (see
//! `tests/fixtures/sdk/PLANTED.md`), checked against `plans/accounts.yaml`:
//! exactly the planted violations, and nothing else.

mod common;

use common::trackplan;
use serde_json::Value;

/// `(rule, subject, path)` of every violation, and the summary.
fn check(capture: &str) -> (i32, Vec<(String, String, String)>, Value) {
    let path = format!("tests/fixtures/sdk/{capture}");
    let out = trackplan(&[
        "check",
        "--format",
        "json",
        "--plan",
        "plans/accounts.yaml",
        &path,
    ]);
    let lines: Vec<Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let (summary, violations) = lines.split_last().expect("a summary line");
    let found = violations
        .iter()
        .map(|v| {
            let s = |k: &str| v[k].as_str().unwrap_or_default().to_owned();
            (s("rule"), s("subject"), s("path"))
        })
        .collect();
    (out.status.code().unwrap_or(-1), found, summary.clone())
}

fn planted() -> Vec<(String, String, String)> {
    let mut v: Vec<(String, String, String)> = [
        ("missing-property", "Page Viewed", "properties.page_url"),
        ("wrong-type", "Login", "properties.attempt"),
        ("not-in-enum", "Login Failed", "properties.reason"),
        ("unplanned-event", "Coupon Applied", "event"),
        ("wrong-type", "profile update", "$set.age"),
    ]
    .iter()
    .map(|(a, b, c)| (a.to_string(), b.to_string(), c.to_string()))
    .collect();
    v.sort();
    v
}

fn assert_exactly_planted(capture: &str, records: u64, subjects: &[(&str, u64)]) {
    let (code, mut found, summary) = check(capture);
    found.sort();
    assert_eq!(found, planted(), "{capture}: {summary:#}");
    assert_eq!(code, 1);
    assert_eq!(summary["records"], records, "{capture}: {summary:#}");
    assert_eq!(summary["undecodable"], 0);
    assert_eq!(summary["warnings"], 0);
    for (subject, count) in subjects {
        assert_eq!(
            summary["subjects"][subject]["records"], *count,
            "{capture}: {subject}"
        );
    }
}

#[test]
fn mixpanel_browser_in_chromium() {
    assert_exactly_planted(
        "browser.har",
        34,
        &[
            ("$mp_web_page_view", 1),
            ("$identify", 3),
            ("Page Viewed", 5),
            ("Login", 3),
            ("profile update", 10),
            ("group update (company)", 1),
        ],
    );
}

#[test]
fn node_sdk() {
    assert_exactly_planted(
        "node.har",
        19,
        &[
            ("$create_alias", 1),
            ("Login", 2),
            ("Autologin", 1),
            ("profile update", 6),
            ("group update (company)", 1),
        ],
    );
}

#[test]
fn python_sdk() {
    assert_exactly_planted(
        "python.har",
        17,
        &[
            ("Login", 2),
            ("Logout", 2),
            ("Autologin", 1),
            ("profile update", 5),
            ("group update (company)", 1),
        ],
    );
}

fn entries(capture: &str) -> Vec<Value> {
    let text = std::fs::read_to_string(format!(
        "{}/tests/fixtures/sdk/{capture}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap();
    let har: Value = serde_json::from_str(&text).unwrap();
    har["log"]["entries"].as_array().unwrap().clone()
}

#[test]
fn the_captures_hold_every_encoding_the_sdks_use() {
    let browser = entries("browser.har");
    let body = |e: &Value| {
        e["request"]["postData"]["text"]
            .as_str()
            .unwrap_or_default()
            .to_owned()
    };
    let url = |e: &Value| e["request"]["url"].as_str().unwrap_or_default().to_owned();
    let method = |e: &Value| {
        e["request"]["method"]
            .as_str()
            .unwrap_or_default()
            .to_owned()
    };
    // Browser: POST base64 form to /track/?ip=1&_=..., GET URL-encoded JSON, batches.
    assert!(browser.iter().any(|e| method(e) == "POST"
        && url(e).contains("/track/?")
        && url(e).contains("_=")
        && body(e).starts_with("data=")));
    assert!(
        browser
            .iter()
            .any(|e| method(e) == "GET" && url(e).contains("/track/?data=%7B"))
    );
    assert!(browser.iter().any(|e| url(e).contains("/engage/")));
    // Node: GET with base64 data, and a POST batch whose base64 holds a `+`.
    let node = entries("node.har");
    assert!(
        node.iter()
            .any(|e| method(e) == "GET" && url(e).contains("/track?ip=0&verbose=0&data="))
    );
    assert!(
        node.iter()
            .any(|e| method(e) == "POST" && body(e).starts_with("data=") && body(e).contains('+'))
    );
    // Python: form with raw JSON, verbose and ip in the body; /import with basic auth.
    let python = entries("python.har");
    assert!(
        python
            .iter()
            .any(|e| body(e).contains("verbose=1") && body(e).contains("ip=0"))
    );
    let import = python
        .iter()
        .find(|e| url(e).ends_with("/import"))
        .expect("an /import request");
    let auth = import["request"]["headers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|h| h["name"] == "authorization")
        .unwrap();
    assert!(auth["value"].as_str().unwrap().starts_with("Basic "));
}

#[test]
fn a_raw_request_body_with_endpoint() {
    // The body of the Node SDK's batch, saved on its own, as a user would.
    let node = entries("node.har");
    let batch = node
        .iter()
        .find(|e| {
            e["request"]["method"] == "POST"
                && e["request"]["url"].as_str().unwrap().contains("/track")
        })
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("body.txt");
    std::fs::write(
        &path,
        batch["request"]["postData"]["text"].as_str().unwrap(),
    )
    .unwrap();
    let out = trackplan(&[
        "check",
        "--plan",
        "plans/accounts.yaml",
        "--format",
        "json",
        "--endpoint",
        "track",
        path.to_str().unwrap(),
    ]);
    let text = String::from_utf8(out.stdout).unwrap();
    let summary: Value = serde_json::from_str(text.lines().last().unwrap()).unwrap();
    assert_eq!(summary["records"], 3, "{text}");
    assert_eq!(summary["subjects"]["Coupon Applied"]["records"], 1);
    assert_eq!(summary["rules"]["unplanned-event"]["count"], 1);
    let first: Value = serde_json::from_str(text.lines().next().unwrap()).unwrap();
    assert_eq!(first["source"]["record"], 1);
}
