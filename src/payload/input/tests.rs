use std::io::Write;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;

use super::*;

const EVENT: &str = r#"{"event":"Login","properties":{"distinct_id":"u"}}"#;

fn write(dir: &tempfile::TempDir, name: &str, content: &[u8]) -> std::path::PathBuf {
    let path = dir.path().join(name);
    std::fs::write(&path, content).unwrap();
    path
}

fn gzip(content: &[u8]) -> Vec<u8> {
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gz.write_all(content).unwrap();
    gz.finish().unwrap()
}

/// `(location, kind or error)` of each item.
fn summary(path: &Path, format: InputFormat, endpoint: Option<Endpoint>) -> Vec<String> {
    items(path, format, endpoint)
        .unwrap()
        .map(|item| match item {
            Item::Record(r) => format!("{:?} {:?}", r.source.location, r.kind),
            Item::Error(e) => format!("{:?} error: {}", e.source.location, e.message),
        })
        .collect()
}

#[test]
fn ndjson_plain_and_gzip_detected() {
    let dir = tempfile::tempdir().unwrap();
    let text = format!("{EVENT}\n\n{{\"$distinct_id\":\"u\",\"$set\":{{}}}}\n[{EVENT},{EVENT}]\n");
    let expected = [
        "Line(1) Event",
        "Line(3) Profile",
        "Line(4) Event",
        "Line(4) Event",
    ];
    let plain = write(&dir, "e.ndjson", text.as_bytes());
    assert_eq!(summary(&plain, InputFormat::Auto, None), expected);
    let gz = write(&dir, "e.ndjson.gz", &gzip(text.as_bytes()));
    assert_eq!(summary(&gz, InputFormat::Auto, None), expected);
    // Concatenated gzip members (`cat a.gz b.gz`) are one stream.
    let two = [gzip(text.as_bytes()), gzip(text.as_bytes())].concat();
    let gz2 = write(&dir, "two.ndjson.gz", &two);
    assert_eq!(summary(&gz2, InputFormat::Auto, None).len(), 8);
}

#[test]
fn json_array_pretty_printed() {
    let dir = tempfile::tempdir().unwrap();
    let text = format!("[\n  {EVENT},\n  {{\"$group_key\": \"c\", \"$group_id\": \"1\"}}\n]\n");
    let path = write(&dir, "a.json", text.as_bytes());
    assert_eq!(
        summary(&path, InputFormat::Auto, None),
        ["Element(0) Event", "Element(1) Group"]
    );
}

#[test]
fn har_detected() {
    let dir = tempfile::tempdir().unwrap();
    let b64 = STANDARD.encode(EVENT);
    let har = serde_json::json!({"log": {"entries": [
        {"request": {"method": "GET", "url": format!("http://h/track?data={b64}"), "headers": []}}
    ]}});
    let path = write(
        &dir,
        "c.har",
        &gzip(&serde_json::to_vec_pretty(&har).unwrap()),
    );
    assert_eq!(
        summary(&path, InputFormat::Auto, None),
        [format!(
            "Har {{ entry: 0, request: \"GET http://h/track?data={b64}\", record: 0 }} Event"
        )]
    );
}

#[test]
fn raw_bodies_need_an_endpoint() {
    let dir = tempfile::tempdir().unwrap();
    let b64 = STANDARD.encode(format!("[{EVENT},{EVENT}]"));
    let bare = write(&dir, "bare.txt", b64.as_bytes());
    assert_eq!(
        summary(&bare, InputFormat::Auto, Some(Endpoint::Track)),
        ["Body { record: 0 } Event", "Body { record: 1 } Event"]
    );
    let form = write(
        &dir,
        "form.txt",
        format!("data={b64}&verbose=1&ip=0").as_bytes(),
    );
    assert_eq!(
        summary(&form, InputFormat::Body, Some(Endpoint::Import)).len(),
        2
    );
    let json = write(
        &dir,
        "one.json",
        b"{\"$distinct_id\":\"u\",\"$set\":{\"a\":1}}\n",
    );
    assert_eq!(
        summary(&json, InputFormat::Auto, Some(Endpoint::Engage)),
        ["Body { record: 0 } Profile"]
    );
    // Without an endpoint, the same files are refused with a way out.
    let err = read_input(&bare, InputFormat::Auto, None)
        .err()
        .unwrap()
        .to_string();
    assert!(
        err.contains("bare.txt") && err.contains("--endpoint") && err.contains("--input-format"),
        "{err}"
    );
    let err = read_input(&form, InputFormat::Body, None)
        .err()
        .unwrap()
        .to_string();
    assert_eq!(
        err,
        "a raw request body needs `--endpoint track|engage|groups|import`"
    );
}

#[test]
fn html_and_missing_files() {
    let dir = tempfile::tempdir().unwrap();
    let html = write(&dir, "page.html", b"<!doctype html><html></html>");
    let err = read_input(&html, InputFormat::Auto, None)
        .err()
        .unwrap()
        .to_string();
    assert!(err.starts_with("`"), "{err}");
    assert!(err.contains("cannot tell what this input holds"), "{err}");
    // Forced as NDJSON, it is one clear error for its line.
    let got = summary(&html, InputFormat::Ndjson, None);
    assert_eq!(got.len(), 1);
    assert!(
        got[0].contains("(this looks like HTML or XML, not Mixpanel JSON)"),
        "{got:?}"
    );
    let err = read_input(&dir.path().join("nope"), InputFormat::Auto, None)
        .err()
        .unwrap()
        .to_string();
    assert!(err.starts_with("cannot read `"), "{err}");
}

/// A reader that hands over one byte per call, like a slow pipe.
struct Trickle(std::io::Cursor<Vec<u8>>);

impl Read for Trickle {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let end = buf.len().min(1);
        self.0.read(&mut buf[..end])
    }
}

#[test]
fn detection_waits_for_enough_bytes_from_a_slow_pipe() {
    let cases: &[(&str, Option<Endpoint>, InputFormat)] = &[
        ("{\n  \"log\": {\"entries\": []}}", None, InputFormat::Har),
        (
            "{\"event\":\"a\"}\n{\"event\":\"b\"}\n",
            Some(Endpoint::Import),
            InputFormat::Ndjson,
        ),
        (
            "{\"event\":\"a\"}\n\n",
            Some(Endpoint::Track),
            InputFormat::Body,
        ),
        ("\n\n  [", None, InputFormat::Json),
    ];
    for (text, endpoint, expected) in cases {
        let slow = Trickle(std::io::Cursor::new(text.as_bytes().to_vec()));
        let mut peeked = peek(slow, settled).unwrap();
        assert_eq!(
            detect(peeked.get_ref().0.get_ref(), *endpoint),
            Ok(*expected),
            "{text:?}"
        );
        // Nothing was lost.
        let mut all = String::new();
        peeked.read_to_string(&mut all).unwrap();
        assert_eq!(&all, text);
    }
}
