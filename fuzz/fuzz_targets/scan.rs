//! Any bytes as a source file of each language `scan` reads (TypeScript,
//! TSX, JavaScript, Rust, Python), parsed and read for calls against the accounts
//! plan's generated names: nothing may panic, and a call's spans lie
//! inside the file.
#![no_main]

use std::path::Path;
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use trackplan::scan::{Generated, calls_in};
use trackplan::source::SourceFile;

fn generated() -> &'static Generated {
    static GENERATED: OnceLock<Generated> = OnceLock::new();
    GENERATED.get_or_init(|| {
        let text = include_str!("../../plans/accounts.yaml");
        let plan = trackplan::plan::load_text("accounts.yaml", text).plan.expect("the bundled plan loads");
        Generated::new(&plan, &[], &[])
    })
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    for name in ["a.ts", "a.tsx", "a.js", "a.rs", "a.py"] {
        let file = SourceFile::new(name, text);
        if let Ok(calls) = calls_in(&file, Path::new(name), generated()) {
            for call in calls {
                assert!(call.span.start <= call.span.end && call.span.end <= text.len());
                for (_, span) in &call.keys {
                    assert!(span.end <= text.len());
                }
            }
        }
    }
});
