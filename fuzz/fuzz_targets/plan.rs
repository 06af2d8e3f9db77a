//! The plan loader from bytes, through lint, with every finding rendered
//! (human, JSON, GitHub); and a plan that loads without errors through
//! every command that reads one: compiled for `check` and checked against
//! a record of each event, as SQL in each dialect, exported as JSON Schema
//! and Lexicon, generated as TypeScript and Markdown, diffed with itself.
//! Nothing may panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use trackplan::diagnostic::render::{self, JsonDiagnostic, Style};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let loaded = trackplan::plan::load_text("fuzz.yaml", text);
    let plan = if loaded.has_errors() {
        None
    } else {
        loaded.plan.clone()
    };
    for d in trackplan::lint::lint(loaded) {
        let _ = render::human(&d, Style::Plain);
        let _ = serde_json::to_string(&JsonDiagnostic::new(&d));
        let _ = render::github(&d);
    }
    let Some(plan) = plan else {
        return;
    };
    let compiled = trackplan::check::CompiledPlan::new(&plan);
    for event in &plan.events {
        let record = serde_json::json!({"event": event.name, "properties": {"distinct_id": "u1"}});
        let line = record.to_string();
        let _ = trackplan::check::record::check_text(
            &compiled,
            line.as_bytes(),
            || trackplan::payload::Location::Line(1),
            &mut trackplan::check::Tally::default(),
        );
        let _ = trackplan::export::jsonschema::event_schema(&plan, event);
    }
    for dialect in [
        trackplan::sql::Dialect::Duckdb,
        trackplan::sql::Dialect::Spark,
        trackplan::sql::Dialect::Bigquery,
        trackplan::sql::Dialect::Snowflake,
    ] {
        let _ = trackplan::sql::generate(&plan, &trackplan::sql::Options::new(dialect));
    }
    let _ = trackplan::export::lexicon::export(&plan);
    if let Some(target) = trackplan::codegen::Target::builtin("typescript") {
        let _ = trackplan::codegen::generate(&plan, &target, None);
    }
    let _ = trackplan::codegen::docs::page(&plan, trackplan::codegen::docs::Page::Markdown, None, None);
    let _ = trackplan::diff::diff(&plan, &plan);
});
