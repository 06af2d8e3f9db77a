//! `trackplan check` gives the same verdict as the JSON Schemas that
//! `trackplan export jsonschema` writes, run by the `jsonschema` crate (with
//! format checks on), on every event of the test corpus: the three SDK
//! captures and a generated corpus with planted violations. It also shows
//! that the lazy reader (NDJSON) and the ordinary decoder agree.

mod common;
#[path = "../benches/corpus.rs"]
mod corpus;

use std::sync::Arc;

use trackplan::check::{CompiledPlan, Tally, Verdict, record};
use trackplan::diagnostic::Severity;
use trackplan::export::jsonschema::event_schema;
use trackplan::payload::{Chunk, Item, Record, RecordKind, har, ndjson};

/// The rules a JSON Schema can express; the others (identity across a
/// stream, Mixpanel's limits, warnings) are `check`'s own.
const SCHEMA_RULES: &[&str] = &[
    "malformed-record",
    "missing-property",
    "missing-super-property",
    "wrong-type",
    "null-value",
    "not-in-enum",
    "invalid-format",
    "pattern-mismatch",
    "out-of-range",
    "invalid-length",
    "invalid-list-size",
    "not-identified",
    "absent-property",
];

fn schema_verdict(verdict: &Verdict) -> bool {
    // Under `deny`, an undeclared property is an error the schema also
    // reports (`additionalProperties: false`).
    !verdict.violations.iter().any(|v| {
        v.severity == Severity::Error
            && (SCHEMA_RULES.contains(&v.rule.id()) || v.rule == "unexpected-property")
    })
}

struct Judges {
    plan: trackplan::plan::Plan,
    compiled: Arc<CompiledPlan>,
    validators: std::collections::HashMap<String, jsonschema::Validator>,
}

impl Judges {
    fn new() -> Self {
        let loaded = trackplan::plan::load(&common::root().join("plans/accounts.yaml")).unwrap();
        Self::of(loaded.plan.unwrap())
    }

    fn of(plan: trackplan::plan::Plan) -> Self {
        let validators = plan
            .events
            .iter()
            .map(|e| {
                let schema = event_schema(&plan, e);
                let validator = jsonschema::options()
                    .should_validate_formats(true)
                    .build(&schema)
                    .unwrap();
                (e.name.clone(), validator)
            })
            .collect();
        let compiled = CompiledPlan::new(&plan);
        Self {
            plan,
            compiled,
            validators,
        }
    }

    /// Compares both verdicts on one event record; returns whether the
    /// schema found it valid, or `None` for events the plan lacks.
    fn judge(&self, record: &Record) -> Option<bool> {
        let name = record.value["event"].as_str()?;
        let validator = self.validators.get(name)?;
        let schema_valid = validator.is_valid(&record.value);
        let ours = schema_verdict(&record::check(
            &self.compiled,
            record,
            &mut Tally::default(),
        ));
        assert_eq!(
            ours,
            schema_valid,
            "verdicts differ on {}: {:?}",
            record.source,
            validator
                .iter_errors(&record.value)
                .map(|e| e.to_string())
                .collect::<Vec<_>>()
        );
        Some(schema_valid)
    }
}

#[test]
fn same_verdicts_on_the_sdk_captures() {
    let judges = Judges::new();
    assert!(judges.plan.events.len() > 5);
    let (mut valid, mut invalid) = (0, 0);
    for capture in ["browser.har", "node.har", "python.har"] {
        let text = std::fs::read(common::fixture(&format!("sdk/{capture}"))).unwrap();
        for item in har::read(&Arc::from(capture), &text) {
            let Item::Record(record) = item else {
                panic!("{item:?}")
            };
            if record.kind != RecordKind::Event {
                continue;
            }
            match judges.judge(&record) {
                Some(true) => valid += 1,
                Some(false) => invalid += 1,
                None => {}
            }
        }
    }
    // Three planted event violations per capture are schema violations.
    assert_eq!(invalid, 9);
    assert_eq!(valid, 29);
}

#[test]
fn same_verdicts_on_a_generated_corpus_and_through_the_lazy_reader() {
    let judges = Judges::new();
    let mut text = Vec::new();
    let planted = corpus::write(&mut text, 20_000, 7).unwrap();
    let lines = ndjson::Lines::new(std::io::Cursor::new(text), Arc::from("corpus.ndjson"), None);
    let mut invalid = 0;
    let mut seen = 0;
    for chunk in lines {
        let Chunk::Block(block) = chunk else {
            panic!("only good lines")
        };
        for (number, range) in &block.lines {
            let lazy = record::check_text(
                &judges.compiled,
                &block.data[range.clone()],
                || trackplan::payload::Location::Line(*number),
                &mut Tally::default(),
            )
            .unwrap();
            let items = block.raw(*number, range.clone()).decode();
            let Some(Item::Record(record)) = items.first() else {
                panic!()
            };
            let decoded = record::check(&judges.compiled, record, &mut Tally::default());
            assert_eq!(lazy.violations, decoded.violations, "line {number}");
            assert_eq!(lazy.subject, decoded.subject);
            if judges.judge(record) == Some(false) {
                invalid += 1;
            }
            seen += 1;
        }
    }
    assert_eq!(seen, 20_000);
    let planted_total = planted.wrong_type
        + planted.not_in_enum
        + planted.missing_property
        + planted.invalid_format
        + planted.out_of_range;
    assert_eq!(invalid, planted_total);
}

/// Lines the fuzzer found (`fuzz/`, target `lazy_vs_full`) where the lazy
/// reader and the ordinary decoder disagreed: a lone surrogate escape in a
/// value the lazy reader skips must make the line undecodable for both.
#[test]
fn an_invalid_escape_anywhere_makes_the_line_undecodable_for_both_readers() {
    let judges = Judges::new();
    for line in [
        // In a top-level field that is neither `event` nor `properties`.
        r#"{"event": "App Opened", "propelties": {"app_platform": "ios", "$geo_so\ud800urceapp_version": "3.4.0"}}"#,
        r#"{"event": "Login", "extra": "\ud800x", "properties": {}}"#,
        // In the event name, and in `properties` that is not an object.
        r#"{"event": "Log\ud800in", "properties": {}}"#,
        r#"{"event": "Login", "properties": ["\udc00"]}"#,
        // In a property value, and in one given over by a repeat.
        r#"{"event": "Login", "properties": {"method": "\ud800"}}"#,
        r#"{"event": "Login", "properties": {"method": "sms", "method": "\ud8002", "method": "sms"}}"#,
    ] {
        assert!(
            serde_json::from_str::<serde_json::Value>(line).is_err(),
            "{line}"
        );
        let lazy = record::check_text(
            &judges.compiled,
            line.as_bytes(),
            || trackplan::payload::Location::Line(1),
            &mut Tally::default(),
        );
        assert!(lazy.is_none(), "the lazy reader checked {line}");
    }
}

/// A name given twice counts once, with its last value, in the lazy reader
/// as in a JSON object read whole (found by the `lazy_vs_full` fuzz target).
#[test]
fn a_property_given_twice_counts_once_with_its_last_value() {
    let judges = Judges::new();
    let line = r#"{"event": "Login", "properties": {"extra": "a", "$user_id": "u-1", "method": "sms", "extra": "b", "distinct_id": "u-1", "method": "password", "attempt": 1, "client_id": "web-shop"}}"#;
    let lazy = record::check_text(
        &judges.compiled,
        line.as_bytes(),
        || trackplan::payload::Location::Line(1),
        &mut Tally::default(),
    )
    .unwrap();
    let value: serde_json::Value = serde_json::from_str(line).unwrap();
    let full = record::check(
        &judges.compiled,
        &Record {
            kind: RecordKind::Event,
            value,
            source: trackplan::payload::Source {
                file: Arc::from("line"),
                location: trackplan::payload::Location::Line(1),
            },
        },
        &mut Tally::default(),
    );
    assert_eq!(lazy.violations, full.violations);
    let rules: Vec<(&str, &str)> = lazy
        .violations
        .iter()
        .map(|v| (v.rule.id(), v.found.as_str()))
        .collect();
    assert_eq!(rules, [("unexpected-property", "string \"b\"")]);
}

/// A number out of range makes the line undecodable for both readers
/// (found by the `lazy_vs_full` fuzz target).
#[test]
fn a_number_out_of_range_makes_the_line_undecodable_for_both_readers() {
    let judges = Judges::new();
    let huge = format!("1{}", "0".repeat(400));
    for line in [
        r#"{"event": "Login", "properties": {"time": 171801e999, "distinct_id": "u-2", "method": "google"}}"#.to_owned(),
        format!(r#"{{"event": "Login", "properties": {{"attempt": {huge}}}}}"#),
        r#"{"event": "Login", "properties": {"attempt": -1E400}}"#.to_owned(),
    ] {
        assert!(serde_json::from_str::<serde_json::Value>(&line).is_err(), "{line}");
        let lazy = record::check_text(&judges.compiled, line.as_bytes(), || {
            trackplan::payload::Location::Line(1)
        }, &mut Tally::default());
        assert!(lazy.is_none(), "the lazy reader checked {line}");
    }
    // In range, with an exponent: checked by both.
    let fine = r#"{"event": "Login", "properties": {"attempt": 1e0, "time": 1.7e9}}"#;
    assert!(
        record::check_text(
            &judges.compiled,
            fine.as_bytes(),
            || { trackplan::payload::Location::Line(1) },
            &mut Tally::default()
        )
        .is_some()
    );
}

/// Variants: each case's schema under `if`/`then`/`else` gives `check`'s
/// verdict on every combination of discriminator value (its cases, the
/// default, one outside the enum, none) and case properties, whether
/// undeclared properties warn or are denied, on events and on objects.
#[test]
fn same_verdicts_on_every_combination_of_variants() {
    let fixture = std::fs::read_to_string(common::fixture("sql/variants.yaml")).unwrap();
    for policy in ["warn", "deny"] {
        let text = fixture.replace(
            "additional_properties: deny",
            &format!("additional_properties: {policy}"),
        );
        let loaded = trackplan::plan::load_text("variants.yaml", &text);
        assert!(!loaded.has_errors(), "{:?}", loaded.diagnostics);
        let judges = Judges::of(loaded.plan.unwrap());
        let (mut valid, mut invalid) = (0, 0);
        for value in common::variant_purchases() {
            let record = Record {
                kind: RecordKind::Event,
                value,
                source: trackplan::payload::Source {
                    file: "combinations".into(),
                    location: trackplan::payload::Location::Line(1),
                },
            };
            match judges.judge(&record) {
                Some(true) => valid += 1,
                Some(false) => invalid += 1,
                None => panic!("the event is planned"),
            }
        }
        // Both verdicts occur, so the comparison means something.
        assert!(
            valid > 10 && invalid > 100,
            "{policy}: {valid} valid, {invalid} invalid"
        );
    }
}
