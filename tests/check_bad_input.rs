//! Bad input never stops `trackplan check`: each broken record is one
//! counted error, and everything else is still checked.

mod common;

use std::io::Write;

use common::trackplan;
use serde_json::Value;

const GOOD: &str = r#"{"event":"Page Viewed","properties":{"distinct_id":"$device:d","client_id":"web-shop","page_url":"https://a.example/"}}"#;

/// Runs check on `content`; returns the exit code, the undecodable messages
/// with their source, and the summary.
fn check_file(name: &str, content: &[u8], extra: &[&str]) -> (i32, Vec<(String, Value)>, Value) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(name);
    std::fs::write(&path, content).unwrap();
    let mut args = vec!["check", "--plan", "plans/accounts.yaml", "--format", "json"];
    args.extend_from_slice(extra);
    let p = path.to_str().unwrap().to_owned();
    args.push(&p);
    let out = trackplan(&args);
    let text = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let (summary, rest) = lines
        .split_last()
        .unwrap_or_else(|| panic!("no output: {}", String::from_utf8_lossy(&out.stderr)));
    let errors = rest
        .iter()
        .filter(|v| v["rule"] == "undecodable")
        .map(|v| {
            (
                v["message"].as_str().unwrap().to_owned(),
                v["source"].clone(),
            )
        })
        .collect();
    (out.status.code().unwrap_or(-1), errors, summary.clone())
}

#[test]
fn malformed_lines_are_counted_and_the_rest_is_checked() {
    let content = format!(
        "{GOOD}\nnot json\n{{\"event\": \"Login\", \n<html></html>\n[1,2]\n{{\"hello\":\"world\"}}\n{GOOD}\n"
    );
    let (code, errors, summary) = check_file("e.ndjson", content.as_bytes(), &[]);
    assert_eq!(code, 1);
    let messages: Vec<(&str, u64)> = errors
        .iter()
        .map(|(m, s)| (m.as_str(), s["line"].as_u64().unwrap()))
        .collect();
    assert_eq!(
        messages,
        vec![
            (
                "invalid JSON: expected ident at line 1 column 2 (this does not look like JSON)",
                2
            ),
            (
                "invalid JSON: EOF while parsing a value at line 1 column 19",
                3
            ),
            (
                "invalid JSON: expected value at line 1 column 1 (this looks like HTML or XML, not Mixpanel JSON)",
                4
            ),
            ("expected a JSON object, found integer 1", 5),
            ("expected a JSON object, found integer 2", 5),
            (
                "not a Mixpanel event, profile update or group update (no `event`, `$distinct_id` or `$group_key`)",
                6
            ),
        ]
    );
    assert_eq!(summary["records"], 2);
    assert_eq!(summary["undecodable"], 6);
    assert_eq!(summary["subjects"]["Page Viewed"]["invalid"], 0);
}

#[test]
fn invalid_utf8_and_deep_nesting() {
    let mut content = Vec::new();
    content.extend_from_slice(b"{\"event\":\"Login\",\"properties\":{\"x\":\"caf\xe9\"}}\n");
    content.extend_from_slice(format!("{}{}\n", "[".repeat(10_000), "]".repeat(10_000)).as_bytes());
    content.extend_from_slice(
        format!(
            "{{\"event\":\"Page Viewed\",\"properties\":{}1{}}}\n",
            "{\"a\":".repeat(10_000),
            "}".repeat(10_000)
        )
        .as_bytes(),
    );
    content.extend_from_slice(GOOD.as_bytes());
    let (_, errors, summary) = check_file("u.ndjson", &content, &[]);
    let messages: Vec<&str> = errors.iter().map(|(m, _)| m.as_str()).collect();
    assert_eq!(messages.len(), 3, "{messages:?}");
    assert!(
        messages[0].starts_with("invalid JSON: invalid unicode code point"),
        "{}",
        messages[0]
    );
    assert!(
        messages[1].starts_with("invalid JSON: recursion limit exceeded"),
        "{}",
        messages[1]
    );
    assert!(
        messages[2].starts_with("invalid JSON: recursion limit exceeded"),
        "{}",
        messages[2]
    );
    assert_eq!(summary["records"], 1);
}

#[test]
fn a_100_megabyte_line_is_one_error() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("big.ndjson");
    let mut file = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
    writeln!(file, "{GOOD}").unwrap();
    write!(
        file,
        "{{\"event\":\"Page Viewed\",\"properties\":{{\"blob\":\""
    )
    .unwrap();
    let block = vec![b'x'; 1 << 20];
    for _ in 0..100 {
        file.write_all(&block).unwrap();
    }
    writeln!(file, "\"}}}}").unwrap();
    writeln!(file, "{GOOD}").unwrap();
    drop(file);
    let out = trackplan(&[
        "check",
        "--plan",
        "plans/accounts.yaml",
        "--format",
        "json",
        path.to_str().unwrap(),
    ]);
    let text = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2, "{text}");
    assert_eq!(lines[0]["rule"], "undecodable");
    assert_eq!(lines[0]["source"]["line"], 2);
    assert!(
        lines[0]["message"]
            .as_str()
            .unwrap()
            .starts_with("line 2 is 104857648 bytes, longer than the 16777216-byte limit")
    );
    assert_eq!(lines[1]["records"], 2);
}

#[test]
fn truncated_har_keeps_the_complete_entries() {
    let text = std::fs::read_to_string(format!(
        "{}/tests/fixtures/sdk/node.har",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap();
    let cut = text.find("\"startedDateTime\"").and_then(|first| {
        text[first + 1..]
            .find("\"startedDateTime\"")
            .map(|i| i + first + 1)
    });
    // Keep the first entry whole and a part of the second; then cut further in.
    let second = cut.unwrap();
    let truncated = &text[..second + 200];
    let (code, errors, summary) = check_file("t.har", truncated.as_bytes(), &[]);
    assert_eq!(code, 1);
    assert_eq!(summary["records"], 1, "{summary:#}");
    assert_eq!(errors.len(), 1);
    assert!(
        errors[0]
            .0
            .starts_with("the HAR file is broken or truncated: EOF while parsing"),
        "{}",
        errors[0].0
    );
}

#[test]
fn bad_request_bodies() {
    let (_, errors, _) = check_file(
        "b64.txt",
        b"data=!!!not*base64!!!",
        &["--endpoint", "track"],
    );
    assert_eq!(errors.len(), 1);
    assert!(
        errors[0]
            .0
            .starts_with("`data` is neither JSON nor valid base64"),
        "{}",
        errors[0].0
    );
    let (_, errors, _) = check_file(
        "html.txt",
        b"<html><body>502 Bad Gateway</body></html>",
        &["--endpoint", "track", "--input-format", "body"],
    );
    assert_eq!(
        errors[0].0,
        "`data` is neither JSON nor valid base64: Invalid symbol 60, offset 0."
    );
    let out = trackplan(&[
        "check",
        "--plan",
        "plans/accounts.yaml",
        "tests/fixtures/plans/three-mistakes.yaml",
    ]);
    assert_eq!(
        out.status.code(),
        Some(2),
        "a YAML file is no payload: usage error"
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot tell what this input holds"));
}

#[test]
fn gzip_inputs_and_json_arrays() {
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    writeln!(gz, "{GOOD}\n{GOOD}").unwrap();
    let (code, errors, summary) = check_file("e.ndjson.gz", &gz.finish().unwrap(), &[]);
    assert_eq!((code, errors.len()), (0, 0));
    assert_eq!(summary["records"], 2);
    let array = format!(
        "[\n  {GOOD},\n  {GOOD},\n  {{\"event\": \"Nope\", \"properties\": {{\"distinct_id\": \"x\"}}}}\n]\n"
    );
    let (code, _, summary) = check_file("a.json", array.as_bytes(), &[]);
    assert_eq!(code, 1);
    assert_eq!(summary["records"], 3);
    assert_eq!(summary["rules"]["unplanned-event"]["count"], 1);
    let (_, errors, _) = check_file("cut.json", format!("[{GOOD}, {GOOD}").as_bytes(), &[]);
    assert_eq!(
        errors[0].0,
        "the array ends before its closing `]` (truncated file?)"
    );
}

#[test]
fn usage_errors() {
    let out = trackplan(&[
        "check",
        "--plan",
        "plans/accounts.yaml",
        "no/such/file.ndjson",
    ]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("no/such/file.ndjson"), "{stderr}");
    let out = trackplan(&[
        "check",
        "--plan",
        "tests/fixtures/plans/three-mistakes.yaml",
        "tests/fixtures/sdk/node.har",
    ]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("has mistakes (3 errors"), "{stderr}");
}
