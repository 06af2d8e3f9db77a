//! `payload::request::decode` with an arbitrary method, path, query,
//! headers and body, at every endpoint: nothing may panic.
#![no_main]

use std::sync::Arc;

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use trackplan::payload::request::{Request, decode};
use trackplan::payload::{Endpoint, Location, Source};

#[derive(Debug, Arbitrary)]
struct Input {
    method: String,
    url: String,
    content_type: Option<String>,
    content_encoding: Option<String>,
    endpoint: u8,
    body: Vec<u8>,
}

fuzz_target!(|input: Input| {
    let endpoint = match input.endpoint % 4 {
        0 => Endpoint::Track,
        1 => Endpoint::Engage,
        2 => Endpoint::Groups,
        _ => Endpoint::Import,
    };
    let request = Request {
        method: &input.method,
        url: &input.url,
        content_type: input.content_type.as_deref(),
        content_encoding: input.content_encoding.as_deref(),
        body: &input.body,
    };
    let source = Source {
        file: Arc::from("fuzz"),
        location: Location::Body { record: 0 },
    };
    let _ = decode(&request, endpoint, &source);
    let _ = trackplan::payload::request::endpoint_of(&input.url);
});
