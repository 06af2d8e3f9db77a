//! Any bytes as an input of `check`: gzip unwrapped, the format detected
//! (NDJSON blocks, JSON arrays, HAR, request bodies), every record decoded
//! and checked against the bundled accounts plan: nothing may panic.
#![no_main]

use std::sync::Arc;

use libfuzzer_sys::fuzz_target;
use trackplan::check::record;
use trackplan::payload::input::read_from;
use trackplan::payload::Item;
use trackplan::payload::detect::InputFormat;

#[path = "accounts.rs"]
mod accounts;
use accounts::plan;

fuzz_target!(|data: &[u8]| {
    let reader = Box::new(std::io::Cursor::new(data.to_vec()));
    let Ok(chunks) = read_from(reader, Arc::from("fuzz"), InputFormat::Auto, None) else {
        return;
    };
    for chunk in chunks {
        for item in chunk.into_items() {
            if let Item::Record(r) = item {
                let _ = record::check(plan(), &r, &mut trackplan::check::Tally::default());
            }
        }
    }
});
