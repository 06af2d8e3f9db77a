//! Any bytes as a HAR capture, each entry's request decoded: nothing may
//! panic, and reading stops at the first entry that cannot be parsed.
#![no_main]

use std::sync::Arc;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = trackplan::payload::har::read(&Arc::from("fuzz.har"), data);
});
