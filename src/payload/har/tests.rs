use std::io::Write;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde_json::json;

use super::*;
use crate::payload::RecordKind;

fn file() -> Arc<str> {
    "t.har".into()
}

fn har(entries: &[serde_json::Value]) -> Vec<u8> {
    serde_json::to_vec_pretty(&json!({
        "log": {"version": "1.2", "creator": {"name": "t", "version": "1"}, "entries": entries}
    }))
    .unwrap()
}

fn entry(method: &str, url: &str, post: Option<serde_json::Value>) -> serde_json::Value {
    let mut request =
        json!({"method": method, "url": url, "headers": [], "httpVersion": "HTTP/1.1"});
    if let Some(post) = post {
        request["postData"] = post;
    }
    json!({"startedDateTime": "2024-01-01T00:00:00Z", "request": request, "response": {"status": 200}})
}

/// `(entry, record, kind or error message)` of each item.
fn summary(items: &[Item]) -> Vec<(usize, usize, String)> {
    items
        .iter()
        .map(|item| match item {
            Item::Record(r) => match &r.source.location {
                Location::Har { entry, record, .. } => (*entry, *record, format!("{:?}", r.kind)),
                other => panic!("{other:?}"),
            },
            Item::Error(e) => match &e.source.location {
                Location::Har { entry, record, .. } => (*entry, *record, e.message.clone()),
                Location::Line(line) => (usize::MAX, *line as usize, e.message.clone()),
                other => panic!("{other:?}"),
            },
        })
        .collect()
}

const EVENT: &str = r#"{"event":"Login","properties":{"distinct_id":"u"}}"#;

#[test]
fn ingestion_entries_are_decoded_and_the_rest_skipped() {
    let b64 = STANDARD.encode(format!("[{EVENT},{EVENT}]"));
    let text = har(&[
        entry("GET", "https://cdn.example/mixpanel.js", None),
        entry(
            "POST",
            "https://api-js.mixpanel.com/track/?ip=1&_=1718",
            Some(
                json!({"mimeType": "application/x-www-form-urlencoded", "text": format!("data={b64}")}),
            ),
        ),
        entry(
            "POST",
            "https://api-js.mixpanel.com/flags/",
            Some(json!({"mimeType": "application/json", "text": "{}"})),
        ),
        entry("GET", "https://api-js.mixpanel.com/decide/?verbose=1", None),
        entry(
            "POST",
            "http://127.0.0.1:9/engage",
            Some(
                json!({"mimeType": "application/json", "text": r#"{"$distinct_id":"u","$set":{"a":1}}"#}),
            ),
        ),
        entry(
            "POST",
            "http://127.0.0.1:9/groups/",
            Some(
                json!({"mimeType": "application/json", "text": r#"[{"$group_key":"c","$group_id":"1","$set":{}}]"#}),
            ),
        ),
        entry(
            "POST",
            "http://127.0.0.1:9/import?strict=1",
            Some(
                json!({"mimeType": "application/x-ndjson", "text": format!("{EVENT}\n{EVENT}\n")}),
            ),
        ),
    ]);
    let items = read(&file(), &text);
    let expected: Vec<(usize, usize, String)> = [
        (1, 0, "Event"),
        (1, 1, "Event"),
        (4, 0, "Profile"),
        (5, 0, "Group"),
        (6, 0, "Event"),
        (6, 1, "Event"),
    ]
    .iter()
    .map(|(e, r, k)| (*e, *r, (*k).to_owned()))
    .collect();
    assert_eq!(summary(&items), expected);
    let Item::Record(first) = &items[0] else {
        panic!()
    };
    assert_eq!(
        first.source.location,
        Location::Har {
            entry: 1,
            request: "POST https://api-js.mixpanel.com/track/?ip=1&_=1718".to_owned(),
            record: 0
        }
    );
    assert_eq!(first.kind, RecordKind::Event);
    assert_eq!(first.value["event"], "Login");
}

#[test]
fn base64_post_data_params_and_gzip() {
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gz.write_all(EVENT.as_bytes()).unwrap();
    let gzipped = gz.finish().unwrap();
    let mut gzip_entry = entry(
        "POST",
        "http://h/import",
        Some(
            json!({"mimeType": "application/json", "text": STANDARD.encode(&gzipped), "encoding": "base64"}),
        ),
    );
    gzip_entry["request"]["headers"] = json!([{"name": "Content-Encoding", "value": "gzip"}]);
    let text = har(&[
        // Some tools give the body as base64.
        entry(
            "POST",
            "http://h/track",
            Some(
                json!({"mimeType": "application/json", "text": STANDARD.encode(EVENT), "encoding": "base64"}),
            ),
        ),
        // Others give only the form fields, already URL-decoded; a `+` in
        // the base64 value stays a `+`.
        entry(
            "POST",
            "http://h/track",
            Some(json!({
                "mimeType": "application/x-www-form-urlencoded",
                "params": [{"name": "data", "value": STANDARD.encode(r#"{"event":"a","properties":{"k":"~~~>>>"}}"#)}, {"name": "verbose", "value": "1"}]
            })),
        ),
        gzip_entry,
        entry(
            "POST",
            "http://h/track",
            Some(json!({"mimeType": "application/json", "text": "%%%", "encoding": "base64"})),
        ),
    ]);
    let items = read(&file(), &text);
    let got = summary(&items);
    assert_eq!(got.len(), 4, "{got:?}");
    assert_eq!(got[0], (0, 0, "Event".to_owned()));
    assert_eq!(got[1], (1, 0, "Event".to_owned()));
    let Item::Record(r) = &items[1] else { panic!() };
    assert_eq!(r.value["properties"]["k"], "~~~>>>");
    assert_eq!(got[2], (2, 0, "Event".to_owned()));
    assert!(
        got[3]
            .2
            .starts_with("the entry's body is marked base64 but is not"),
        "{got:?}"
    );
}

#[test]
fn truncated_file_yields_complete_entries_then_one_error() {
    let one = entry(
        "POST",
        "http://h/track",
        Some(json!({"mimeType": "application/json", "text": EVENT})),
    );
    let text = har(&[one.clone(), one.clone(), one]);
    let text = String::from_utf8(text).unwrap();
    // Cut inside the third entry.
    let cut = text.rfind("\"request\"").unwrap() + 5;
    let items = read(&file(), &text.as_bytes()[..cut]);
    let got = summary(&items);
    assert_eq!(got.len(), 3, "{got:?}");
    assert_eq!(got[0], (0, 0, "Event".to_owned()));
    assert_eq!(got[1], (1, 0, "Event".to_owned()));
    let (entry, line, message) = &got[2];
    assert_eq!(*entry, usize::MAX, "a file-level error");
    assert!(*line > 1);
    assert!(
        message.starts_with("the HAR file is broken or truncated: EOF while parsing")
            && message.contains(" at line ")
            && message.contains(" column "),
        "{message}"
    );
}

#[test]
fn an_entry_of_the_wrong_shape_is_one_error_and_reading_goes_on() {
    let good = entry(
        "POST",
        "http://h/track",
        Some(json!({"mimeType": "application/json", "text": EVENT})),
    );
    let bad_url = json!({"request": {"method": "POST", "url": "http://h/track", "headers": 7}});
    let text = har(&[json!({"request": 5}), good, bad_url]);
    let items = read(&file(), &text);
    let Item::Error(first) = &items[0] else {
        panic!()
    };
    assert_eq!(first.source.to_string(), "t.har entry 0 (? ?) record 0");
    let Item::Error(third) = &items[2] else {
        panic!()
    };
    assert_eq!(
        third.source.to_string(),
        "t.har entry 2 (POST http://h/track) record 0"
    );
    let got = summary(&items);
    assert_eq!(got.len(), 3, "{got:?}");
    assert_eq!(got[0].0, 0);
    assert!(
        got[0]
            .2
            .starts_with("entry 0 is not a HAR entry with a request: invalid type"),
        "{got:?}"
    );
    assert_eq!(got[1], (1, 0, "Event".to_owned()));
}

#[test]
fn not_a_har_file() {
    for (text, expected) in [
        (
            &b"[1, 2]"[..],
            "invalid type: sequence, expected a HAR file",
        ),
        (b"{\"lag\": {}}", "missing field `log`"),
        (
            b"<html></html>",
            "(this looks like HTML or XML, not Mixpanel JSON)",
        ),
        (b"", "EOF while parsing a value at line 1 column 0"),
    ] {
        let items = read(&file(), text);
        let got = summary(&items);
        assert_eq!(got.len(), 1, "{got:?}");
        assert!(got[0].2.contains(expected), "{got:?} should say {expected}");
    }
}

#[test]
fn the_stream_matches_the_vector_and_can_stop_early() {
    let one = entry(
        "POST",
        "http://h/track",
        Some(json!({"mimeType": "application/json", "text": format!("[{EVENT},{EVENT}]")})),
    );
    let entries = vec![one; 2000];
    let text = har(&entries);
    let all = summary(&read(&file(), &text));
    assert_eq!(all.len(), 4000);
    let streamed: Vec<Item> = stream(file(), text.clone()).collect();
    assert_eq!(summary(&streamed), all);
    // Dropping the stream early ends the parsing thread (the channel closes).
    let first: Vec<Item> = stream(file(), text).take(3).collect();
    assert_eq!(summary(&first), all[..3]);
}
