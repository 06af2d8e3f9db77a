use std::io::Write;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;

use super::*;
use crate::payload::{Location, Record};

fn source() -> Source {
    Source {
        file: "t".into(),
        location: Location::Body { record: 0 },
    }
}

fn decode_one(method: &str, url: &str, content_type: Option<&str>, body: &[u8]) -> Vec<Item> {
    let endpoint = endpoint_of(url).expect("an ingestion URL");
    let request = Request {
        method,
        url,
        content_type,
        content_encoding: None,
        body,
    };
    decode(&request, endpoint, &source())
}

fn events(items: &[Item]) -> Vec<String> {
    items
        .iter()
        .map(|i| match i {
            Item::Record(Record { value, .. }) => value["event"].as_str().unwrap_or("?").to_owned(),
            Item::Error(e) => format!("error: {}", e.message),
        })
        .collect()
}

/// The events (or errors) of a `/track` POST whose form field `data` is
/// `data`.
fn track_form(data: &str) -> Vec<String> {
    events(&decode_one(
        "POST",
        "/track",
        None,
        format!("data={data}").as_bytes(),
    ))
}

const EVENT: &str = r#"{"event":"Login","properties":{"method":"a b","x":"1+1"}}"#;

#[test]
fn endpoints_with_and_without_slash() {
    assert_eq!(
        endpoint_of("http://h/track/?ip=1&_=1"),
        Some(Endpoint::Track)
    );
    assert_eq!(endpoint_of("/track"), Some(Endpoint::Track));
    assert_eq!(
        endpoint_of("https://api-eu.mixpanel.example/engage/"),
        Some(Endpoint::Engage)
    );
    assert_eq!(endpoint_of("/groups"), Some(Endpoint::Groups));
    assert_eq!(endpoint_of("/import?strict=1"), Some(Endpoint::Import));
    assert_eq!(endpoint_of("/decide/?verbose=1"), None);
    assert_eq!(endpoint_of("/flags/"), None);
    assert_eq!(endpoint_of("/record/"), None);
}

#[test]
fn form_body_with_base64() {
    let b64 = STANDARD.encode(EVENT);
    let body = format!(
        "data={}",
        percent_encoding::utf8_percent_encode(&b64, percent_encoding::NON_ALPHANUMERIC)
    );
    let items = decode_one(
        "POST",
        "/track/?ip=1",
        Some("application/x-www-form-urlencoded"),
        body.as_bytes(),
    );
    assert_eq!(events(&items), ["Login"]);
}

#[test]
fn base64_with_a_plus_that_is_not_percent_encoded() {
    // The Node SDK posts base64 as is: `+` is a base64 digit, not a space.
    let json = r#"[{"event":"Login","properties":{"k":"~~~>>>"}}]"#;
    let b64 = STANDARD.encode(json);
    assert!(b64.contains('+'), "{b64}");
    let items = decode_one("POST", "/track", None, format!("data={b64}").as_bytes());
    assert_eq!(events(&items), ["Login"]);
    let Item::Record(r) = &items[0] else { panic!() };
    assert_eq!(r.value["properties"]["k"], "~~~>>>");
}

#[test]
fn url_encoded_json_in_form_and_query() {
    // Python's urlencode writes spaces as `+`.
    let form = format!(
        "data={}&verbose=1&ip=0",
        EVENT.replace('+', "%2B").replace(' ', "+")
    );
    let items = decode_one(
        "POST",
        "/track",
        Some("application/x-www-form-urlencoded"),
        form.as_bytes(),
    );
    let Item::Record(r) = &items[0] else {
        panic!("{items:?}")
    };
    assert_eq!(r.value["properties"]["method"], "a b");
    assert_eq!(r.value["properties"]["x"], "1+1");
    // encodeURIComponent in a GET query.
    let query: String =
        percent_encoding::utf8_percent_encode(EVENT, percent_encoding::NON_ALPHANUMERIC).collect();
    let items = decode_one("GET", &format!("/track/?data={query}&_=1718"), None, b"");
    let Item::Record(r) = &items[0] else {
        panic!("{items:?}")
    };
    assert_eq!(r.value["properties"]["method"], "a b");
}

#[test]
fn get_with_base64_query() {
    let b64 = STANDARD.encode(EVENT);
    let items = decode_one(
        "GET",
        &format!("/track?ip=0&verbose=0&data={b64}"),
        None,
        b"",
    );
    assert_eq!(events(&items), ["Login"]);
}

#[test]
fn raw_json_body_and_batches() {
    let body = format!("[{EVENT},{EVENT}]");
    let items = decode_one("POST", "/track", Some("application/json"), body.as_bytes());
    assert_eq!(events(&items), ["Login", "Login"]);
    let Item::Record(second) = &items[1] else {
        panic!()
    };
    assert_eq!(second.source.location, Location::Body { record: 1 });
}

#[test]
fn import_ndjson_and_gzip() {
    let body = format!("{EVENT}\n{EVENT}\n");
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gz.write_all(body.as_bytes()).unwrap();
    let gzipped = gz.finish().unwrap();
    let request = Request {
        method: "POST",
        url: "/import?strict=1",
        content_type: Some("application/x-ndjson"),
        content_encoding: Some("gzip"),
        body: &gzipped,
    };
    let items = decode(&request, Endpoint::Import, &source());
    assert_eq!(events(&items), ["Login", "Login"]);
}

#[test]
fn gzip_bomb_is_one_error() {
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    let zeros = vec![b'0'; 1 << 20];
    for _ in 0..80 {
        gz.write_all(&zeros).unwrap();
    }
    let bomb = gz.finish().unwrap();
    assert!(bomb.len() < 1 << 20);
    let items = decode_one("POST", "/track", None, &bomb);
    assert_eq!(
        events(&items),
        [format!(
            "error: the gzip body expands past {MAX_INFLATED} bytes"
        )]
    );
}

#[test]
fn profile_and_group_kinds_come_from_the_endpoint() {
    let items = decode_one(
        "POST",
        "/engage/",
        Some("application/json"),
        br#"{"$distinct_id":"u","$set":{"a":1}}"#,
    );
    let Item::Record(r) = &items[0] else { panic!() };
    assert_eq!(r.kind, RecordKind::Profile);
    let items = decode_one(
        "POST",
        "/groups",
        Some("application/json"),
        br#"[{"$group_key":"company","$group_id":"c","$set":{}}]"#,
    );
    let Item::Record(r) = &items[0] else { panic!() };
    assert_eq!(r.kind, RecordKind::Group);
}

#[test]
fn bad_bodies_are_clear_errors() {
    let cases: &[(&[u8], &str)] = &[
        (
            b"data=%%%not-base64%%%",
            "error: `data` is neither JSON nor valid base64",
        ),
        (b"data=", "error: `data` is empty"),
        (
            b"<html><body>hi</body></html>",
            "error: the body is neither JSON nor a form with a `data` field",
        ),
        (
            b"{\"event\": ",
            "error: invalid JSON body: EOF while parsing a value at line 1 column 10",
        ),
        (
            b"[1, {\"event\":\"Login\"}]",
            "error: expected a JSON object, found integer 1",
        ),
    ];
    for (body, expected) in cases {
        let items = decode_one("POST", "/track", None, body);
        let got = events(&items);
        assert!(
            got[0].starts_with(expected),
            "{got:?} should start with {expected}"
        );
    }
    let not_utf8 = format!("data={}", STANDARD.encode([b'{', 0xff, 0xfe, b'}']));
    let items = decode_one("POST", "/track", None, not_utf8.as_bytes());
    assert!(
        events(&items)[0].starts_with("error: invalid JSON in `data`"),
        "{:?}",
        events(&items)
    );
    let items = decode_one("GET", "/track?ip=1", None, b"");
    assert_eq!(
        events(&items),
        ["error: the request has no `data` parameter"]
    );
}

#[test]
fn endpoints_ignore_hosts_and_other_paths() {
    assert_eq!(endpoint_of("http://track"), None);
    assert_eq!(endpoint_of("http://track/engage"), Some(Endpoint::Engage));
    assert_eq!(
        endpoint_of("https://h/api/2.0/track/"),
        Some(Endpoint::Track)
    );
    assert_eq!(endpoint_of("https://h/settings/"), None);
    assert_eq!(endpoint_of("https://h/"), None);
    assert_eq!(endpoint_of("https://h/tracks"), None);
    assert_eq!(endpoint_of("https://h/x?next=/track"), None);
    assert_eq!(endpoint_of(""), None);
}

#[test]
fn base64_variants() {
    let json = r#"{"event":"Login","properties":{"k":"~~~>>>?"}}"#;
    let padded = STANDARD.encode(json);
    let cases = [
        // Percent-encoded, `+` as `%2B` and `=` as `%3D`.
        percent_encoding::utf8_percent_encode(&padded, percent_encoding::NON_ALPHANUMERIC)
            .to_string(),
        // Unpadded.
        padded.trim_end_matches('=').to_owned(),
        // URL-safe alphabet.
        base64::engine::general_purpose::URL_SAFE.encode(json),
        // Wrapped over lines, as some encoders do.
        padded
            .as_bytes()
            .chunks(20)
            .map(|c| std::str::from_utf8(c).unwrap())
            .collect::<Vec<_>>()
            .join("\n"),
    ];
    for data in cases {
        assert_eq!(track_form(&data), ["Login"], "{data}");
    }
}

#[test]
fn mislabelled_and_misplaced_payloads() {
    // A form labelled JSON is read as a form.
    let b64 = STANDARD.encode(EVENT);
    let items = decode_one(
        "POST",
        "/track",
        Some("application/json"),
        format!("data={b64}").as_bytes(),
    );
    assert_eq!(events(&items), ["Login"]);
    // A POST with only `verbose=1` in its body and the data in the URL.
    let items = decode_one("POST", &format!("/track?data={b64}"), None, b"verbose=1");
    assert_eq!(events(&items), ["Login"]);
    // Whitespace around the JSON.
    let items = decode_one(
        "POST",
        "/track",
        None,
        format!("\n  {EVENT}  \n").as_bytes(),
    );
    assert_eq!(events(&items), ["Login"]);
}

#[test]
fn more_bad_bodies() {
    let html = b"<!doctype html><html><body>Not Found</body></html>";
    let got = events(&decode_one(
        "POST",
        "/track",
        Some("application/json"),
        html,
    ));
    assert_eq!(
        got,
        [
            "error: invalid JSON body: expected value at line 1 column 1 (this looks like HTML or XML, not Mixpanel JSON)"
        ]
    );
    let got = events(&decode_one("POST", "/track", None, b""));
    assert_eq!(
        got,
        ["error: the request body is empty and the URL has no `data` parameter"]
    );
    let got = events(&decode_one("POST", "/track", None, b"verbose=1&ip=0"));
    assert_eq!(
        got,
        ["error: the body is neither JSON nor a form with a `data` field"]
    );
    let got = events(&decode_one("POST", "/track", None, &[0x80, 0x81, 0xfe]));
    assert_eq!(
        got,
        ["error: the body is neither JSON nor a form with a `data` field (it is not text)"]
    );
    // Base64 of something that is not JSON.
    let data = STANDARD.encode("<html>hi</html>");
    let got = track_form(&data);
    assert_eq!(
        got,
        [
            "error: invalid JSON in `data`: expected value at line 1 column 1 (this looks like HTML or XML, not Mixpanel JSON)"
        ]
    );
    // Base64 of text that is not UTF-8.
    let data = STANDARD.encode(b"{\"event\":\"caf\xe9\"}");
    let got = track_form(&data);
    assert_eq!(
        got,
        [
            "error: invalid JSON in `data`: invalid unicode code point at line 1 column 14 (the text is not valid UTF-8: byte 14 starts an invalid sequence)"
        ]
    );
    // Words that happen to be base64: neither JSON nor text once decoded.
    assert_eq!(
        track_form("not+json"),
        [
            "error: `data` is neither JSON nor base64 of JSON: `not+json` read as base64 gives bytes that are not text"
        ]
    );
    // URL-encoded JSON cut short.
    let got = events(&decode_one(
        "GET",
        "/track?data=%7B%22event%22%3A",
        None,
        b"",
    ));
    assert_eq!(
        got,
        ["error: invalid JSON in `data`: EOF while parsing a value at line 1 column 9"]
    );
    // Not gzip after all.
    let request = Request {
        method: "POST",
        url: "/import",
        content_type: Some("application/json"),
        content_encoding: Some("gzip"),
        body: EVENT.as_bytes(),
    };
    let got = events(&decode(&request, Endpoint::Import, &source()));
    assert_eq!(got.len(), 1);
    assert!(
        got[0].starts_with("error: the gzip body could not be decompressed: "),
        "{got:?}"
    );
}

#[test]
fn import_ndjson_with_a_bad_line() {
    let body = format!("{EVENT}\n{{\"event\": oops}}\n\n{EVENT}\n");
    let items = decode_one(
        "POST",
        "/import",
        Some("application/x-ndjson"),
        body.as_bytes(),
    );
    assert_eq!(
        events(&items),
        [
            "Login",
            "error: invalid JSON in NDJSON body: expected value at line 1 column 11",
            "Login"
        ]
    );
    let locations: Vec<Location> = items
        .iter()
        .map(|i| match i {
            Item::Record(r) => r.source.location.clone(),
            Item::Error(e) => e.source.location.clone(),
        })
        .collect();
    assert_eq!(locations, [0, 1, 2].map(|record| Location::Body { record }));
}
