//! The plan loader from bytes, through lint, with every finding rendered
//! (human, JSON, GitHub): nothing may panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use trackplan::diagnostic::render::{self, JsonDiagnostic, Style};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let loaded = trackplan::plan::load_text("fuzz.yaml", text);
    for d in trackplan::lint::lint(loaded) {
        let _ = render::human(&d, Style::Plain);
        let _ = serde_json::to_string(&JsonDiagnostic::new(&d));
        let _ = render::github(&d);
    }
});
