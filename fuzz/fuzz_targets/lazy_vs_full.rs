//! The lazy NDJSON reader (`check_text`, which parses only what a rule
//! needs) and a full `serde_json::Value` decode give the same verdict on
//! the same line, and count the same coverage.
#![no_main]

use std::sync::Arc;

use libfuzzer_sys::fuzz_target;
use trackplan::check::{Tally, record};
use trackplan::payload::{Location, Record, RecordKind, Source};

#[path = "accounts.rs"]
mod accounts;
use accounts::plan;

fuzz_target!(|data: &[u8]| {
    let mut lazy_tally = Tally::default();
    let Some(lazy) = record::check_text(plan(), data, || Location::Line(1), &mut lazy_tally) else {
        return;
    };
    // The lazy reader took it as an event: the full decode must agree.
    let value: serde_json::Value = match serde_json::from_slice(data) {
        Ok(value) => value,
        Err(e) => panic!("the lazy reader checked a line serde_json refuses: {e}"),
    };
    let mut full_tally = Tally::default();
    let full = record::check(
        plan(),
        &Record {
            kind: RecordKind::Event,
            value,
            source: Source {
                file: Arc::from("fuzz"),
                location: Location::Line(1),
            },
        },
        &mut full_tally,
    );
    assert_eq!(lazy.subject, full.subject);
    assert_eq!(lazy.violations, full.violations);
    // And they count the same coverage.
    lazy_tally.0.sort_unstable();
    full_tally.0.sort_unstable();
    assert_eq!(lazy_tally.0, full_tally.0);
});
