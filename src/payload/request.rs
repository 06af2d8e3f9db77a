//! One HTTP request as the official Mixpanel SDKs send it, decoded into
//! records.
//!
//! The endpoint comes from the path's last segment (`/track`, `/engage`,
//! `/groups`, `/import`, with or without a trailing slash, on any host);
//! other paths (`/decide`, `/flags`, `/settings`, `/record`, ...) are not
//! ingestion requests. The payload is, in order of precedence:
//!
//! 1. a JSON body (a body starting with `{` or `[`, or one labelled
//!    `Content-Type: ...json` that has no `data=` field), or NDJSON for
//!    `/import`;
//! 2. the `data` field of a form body (`data=...&verbose=1&ip=0`; other
//!    fields are ignored);
//! 3. the `data` parameter of the query string (GET, or a POST whose body
//!    has no `data`).
//!
//! A `data` value holds JSON or base64 of JSON ([`decode_data`]):
//!
//! 1. Percent-decode the raw value *without* turning `+` into a space.
//! 2. If the result starts (after whitespace) with `{` or `[`, the value is
//!    URL-encoded JSON: decode the raw value again as a form value, where
//!    `+` *is* a space (as browsers' forms and Python's `urlencode` write
//!    it; a literal `+` was sent as `%2B`).
//! 3. Otherwise it is base64: drop whitespace and decode with the standard
//!    alphabet, padded, then unpadded, then the URL-safe alphabet. `+` stays
//!    a base64 digit, which is what the Node SDK needs: it posts
//!    `data=<base64>` without percent-encoding. (Base64 text never starts
//!    with `{` or `[`, so step 2 cannot mistake it for JSON.)
//! 4. The bytes are parsed as JSON: one record, or an array batch.
//!
//! A gzip body (`Content-Encoding: gzip` or the gzip magic bytes) is
//! decompressed first, up to [`MAX_INFLATED`] bytes; more is one error
//! (gzip bombs stop there). Every failure is one [`Item::Error`] for the
//! request, never a panic.

use std::borrow::Cow;
use std::io::Read;

use base64::Engine;
use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD};
use percent_encoding::percent_decode;

use super::{Endpoint, Item, RecordKind, Source, error, json_error, records};

/// Largest decompressed body, to stop gzip bombs.
pub const MAX_INFLATED: u64 = 64 * 1024 * 1024;

/// The parts of a request that decoding needs.
#[derive(Debug, Clone, Copy)]
pub struct Request<'a> {
    /// `GET`, `POST`, ...
    pub method: &'a str,
    /// The URL or path, with its query string.
    pub url: &'a str,
    /// The `Content-Type` header.
    pub content_type: Option<&'a str>,
    /// The `Content-Encoding` header.
    pub content_encoding: Option<&'a str>,
    /// The body as received.
    pub body: &'a [u8],
}

/// The ingestion endpoint of a URL or path, if it is one: the last segment
/// of the path (after any scheme and host, before any query) is `track`,
/// `engage`, `groups` or `import`, with or without a trailing slash.
pub fn endpoint_of(url: &str) -> Option<Endpoint> {
    let url = url.split(['?', '#']).next().unwrap_or_default();
    // `https://host/path`: the path starts at the first `/` after the host.
    let path = match url.split_once("://") {
        Some((_, rest)) => rest.find('/').and_then(|i| rest.get(i..)).unwrap_or(""),
        None => url,
    };
    let last = path
        .trim_end_matches('/')
        .rsplit('/')
        .next()
        .unwrap_or_default();
    match last {
        "track" => Some(Endpoint::Track),
        "engage" => Some(Endpoint::Engage),
        "groups" => Some(Endpoint::Groups),
        "import" => Some(Endpoint::Import),
        _ => None,
    }
}

/// The record kind an endpoint receives.
pub fn kind_of(endpoint: Endpoint) -> RecordKind {
    match endpoint {
        Endpoint::Track | Endpoint::Import => RecordKind::Event,
        Endpoint::Engage => RecordKind::Profile,
        Endpoint::Groups => RecordKind::Group,
    }
}

/// Decodes a request to `endpoint` into records (or per-record errors).
pub fn decode(request: &Request<'_>, endpoint: Endpoint, source: &Source) -> Vec<Item> {
    decode_within(request, endpoint, source, MAX_INFLATED)
}

/// Like [`decode`], with a gzip body inflating to at most `max_inflated`
/// bytes (the collector holds requests to Mixpanel's own limits).
pub fn decode_within(
    request: &Request<'_>,
    endpoint: Endpoint,
    source: &Source,
    max_inflated: u64,
) -> Vec<Item> {
    let kind = Some(kind_of(endpoint));
    let body = match inflate(request, max_inflated) {
        Ok(body) => body,
        Err(message) => return vec![error(source.clone(), message)],
    };
    let trimmed = body.trim_ascii_start();
    // A body labelled JSON that is really a form (`data=...`) is read as
    // the form it is.
    let is_json = trimmed.starts_with(b"{")
        || trimmed.starts_with(b"[")
        || (request.content_type.is_some_and(|t| t.contains("json"))
            && field(trimmed, b"data").is_none());
    if is_json && !trimmed.is_empty() {
        return json_body(&body, kind, endpoint, source);
    }
    let query = request.url.split_once('?').map_or("", |(_, q)| q);
    let query = query.split('#').next().unwrap_or_default();
    let data = if trimmed.is_empty() {
        match field(query.as_bytes(), b"data") {
            Some(data) => data,
            None if request.method.eq_ignore_ascii_case("GET") => {
                return vec![error(source.clone(), "the request has no `data` parameter")];
            }
            None => {
                return vec![error(
                    source.clone(),
                    "the request body is empty and the URL has no `data` parameter",
                )];
            }
        }
    } else {
        // The form's `data`, else the query's (a POST with its payload in
        // the URL).
        match field(&body, b"data").or_else(|| field(query.as_bytes(), b"data")) {
            Some(data) => data,
            None => {
                let hint = if std::str::from_utf8(&body).is_err() {
                    " (it is not text)"
                } else {
                    ""
                };
                return vec![error(
                    source.clone(),
                    format!("the body is neither JSON nor a form with a `data` field{hint}"),
                )];
            }
        }
    };
    match decode_data(data) {
        Ok(json) => match serde_json::from_slice(&json) {
            Ok(value) => records(value, kind, source),
            Err(e) => vec![error(
                source.clone(),
                json_error("invalid JSON in `data`", &e, &json),
            )],
        },
        Err(message) => vec![error(source.clone(), message)],
    }
}

fn json_body(
    body: &[u8],
    kind: Option<RecordKind>,
    endpoint: Endpoint,
    source: &Source,
) -> Vec<Item> {
    match serde_json::from_slice(body) {
        Ok(value) => records(value, kind, source),
        Err(e) if endpoint == Endpoint::Import && body.contains(&b'\n') => {
            // `/import` also takes NDJSON: one record per line.
            let mut items = Vec::new();
            for (i, line) in body
                .split(|b| *b == b'\n')
                .filter(|l| !l.trim_ascii().is_empty())
                .enumerate()
            {
                match serde_json::from_slice(line) {
                    Ok(value) => items.extend(records(value, kind, &source.with_record(i))),
                    Err(e) => items.push(error(
                        source.with_record(i),
                        json_error("invalid JSON in NDJSON body", &e, line),
                    )),
                }
            }
            if items.is_empty() {
                items.push(error(
                    source.clone(),
                    json_error("invalid JSON body", &e, body),
                ));
            }
            items
        }
        Err(e) => vec![error(
            source.clone(),
            json_error("invalid JSON body", &e, body),
        )],
    }
}

fn inflate<'a>(request: &Request<'a>, limit: u64) -> Result<Cow<'a, [u8]>, String> {
    let gzip = request
        .content_encoding
        .is_some_and(|e| e.eq_ignore_ascii_case("gzip"))
        || request.body.starts_with(&[0x1f, 0x8b]);
    if !gzip {
        return Ok(Cow::Borrowed(request.body));
    }
    let mut out = Vec::new();
    let mut decoder = flate2::read::GzDecoder::new(request.body).take(limit.saturating_add(1));
    decoder
        .read_to_end(&mut out)
        .map_err(|e| format!("the gzip body could not be decompressed: {e}"))?;
    if out.len() as u64 > limit {
        return Err(format!("the gzip body expands past {limit} bytes"));
    }
    Ok(Cow::Owned(out))
}

/// The raw (still encoded) value of `name` in a form or query string.
pub fn field<'a>(form: &'a [u8], name: &[u8]) -> Option<&'a [u8]> {
    // memchr jumps over a base64 `data` value of many kilobytes at once.
    let mut rest = form;
    loop {
        let end = memchr::memchr(b'&', rest).unwrap_or(rest.len());
        let pair = rest.get(..end).unwrap_or_default();
        let (key, value) = match memchr::memchr(b'=', pair) {
            Some(eq) => (&pair[..eq], &pair[eq + 1..]),
            None => (pair, &b""[..]),
        };
        if key.trim_ascii() == name {
            return Some(value.trim_ascii());
        }
        rest = rest.get(end + 1..)?;
    }
}

/// Percent-decodes `raw`, copying the runs between escapes at once (a
/// form's `data` is tens of kilobytes with an escape every few dozen).
/// An escape that is not `%` and two hex digits stays as it is, as
/// `percent_encoding::percent_decode` leaves it.
fn percent_decoded(raw: &[u8]) -> Vec<u8> {
    let hex = |b: u8| (b as char).to_digit(16).map(|d| d as u8);
    let mut out = Vec::with_capacity(raw.len());
    let mut rest = raw;
    while let Some(at) = memchr::memchr(b'%', rest) {
        out.extend_from_slice(&rest[..at]);
        let byte = match (rest.get(at + 1), rest.get(at + 2)) {
            (Some(&high), Some(&low)) => hex(high).zip(hex(low)).map(|(h, l)| h * 16 + l),
            _ => None,
        };
        match byte {
            Some(byte) => {
                out.push(byte);
                rest = &rest[at + 3..];
            }
            None => {
                out.push(b'%');
                rest = &rest[at + 1..];
            }
        }
    }
    out.extend_from_slice(rest);
    out
}

/// Decodes a `data` value (URL-encoded JSON, or base64 of JSON) into JSON
/// bytes. See the module documentation for the algorithm.
pub fn decode_data(raw: &[u8]) -> Result<Vec<u8>, String> {
    let percent_decoded = percent_decoded(raw);
    let start = percent_decoded.iter().find(|b| !b.is_ascii_whitespace());
    if matches!(start, Some(b'{' | b'[')) {
        let plus_as_space: Vec<u8> = raw
            .iter()
            .map(|b| if *b == b'+' { b' ' } else { *b })
            .collect();
        return Ok(percent_decode(&plus_as_space).collect());
    }
    let mut text = percent_decoded;
    text.retain(|b| !b.is_ascii_whitespace());
    if text.is_empty() {
        return Err("`data` is empty".to_owned());
    }
    for engine in [&STANDARD, &STANDARD_NO_PAD, &URL_SAFE, &URL_SAFE_NO_PAD] {
        if let Ok(bytes) = engine.decode(&text) {
            // Words that happen to be base64 (`not json`) give bytes that
            // are neither JSON nor text: say so, not "invalid UTF-8".
            let opens_json = matches!(
                bytes.iter().find(|b| !b.is_ascii_whitespace()),
                Some(b'{' | b'[')
            );
            if !opens_json && std::str::from_utf8(&bytes).is_err() {
                let shown: String = String::from_utf8_lossy(raw).chars().take(40).collect();
                return Err(format!(
                    "`data` is neither JSON nor base64 of JSON: `{shown}` read as base64 gives bytes that are not text"
                ));
            }
            return Ok(bytes);
        }
    }
    let err = STANDARD
        .decode(&text)
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    Err(format!("`data` is neither JSON nor valid base64: {err}"))
}

#[cfg(test)]
mod percent_tests {
    #[test]
    fn decodes_as_percent_encoding_does() {
        for raw in [
            &b"abc"[..],
            b"a%2Bb%3D%3d",
            b"%",
            b"%4",
            b"%zz%41",
            b"100%%41%",
            b"%E2%9C%93 ok+",
        ] {
            let ours = super::percent_decoded(raw);
            let theirs: Vec<u8> = percent_encoding::percent_decode(raw).collect();
            assert_eq!(ours, theirs, "{}", String::from_utf8_lossy(raw));
        }
    }
}

#[cfg(test)]
mod tests;
