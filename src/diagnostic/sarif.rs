//! SARIF 2.1.0, the format code-scanning services (GitHub code scanning,
//! GitLab, Azure DevOps) read: one run of the tool `trackplan`, the rules
//! its findings name (with their documentation), one result per finding
//! at its file, line and column. Columns count Unicode code points, as
//! every other output of trackplan does (`columnKind`). `tests/scan.rs`
//! validates the output against the OASIS schema.

use percent_encoding::{AsciiSet, CONTROLS, utf8_percent_encode};
use serde_json::{Value, json};

use super::{Diagnostic, Label, Severity};

/// Characters a relative URI reference cannot hold as they are.
const URI: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'[')
    .add(b'\\')
    .add(b']')
    .add(b'^')
    .add(b'`')
    .add(b'{')
    .add(b'|')
    .add(b'}');

/// The SARIF log of `diagnostics`.
pub fn log(diagnostics: &[Diagnostic]) -> Value {
    let mut rules: Vec<&'static crate::rules::Rule> = diagnostics.iter().map(|d| d.rule).collect();
    rules.sort();
    rules.dedup();
    let rule_objects: Vec<Value> = rules
        .iter()
        .map(|r| {
            json!({
                "id": r.id(),
                "shortDescription": {"text": first_sentence(r.what())},
                "fullDescription": {"text": r.what()},
                "help": {"text": format!("{}\n\nWhy is this bad? {}", r.what(), r.why())},
                "defaultConfiguration": {"level": level(r.severity())},
                "properties": {"family": r.family().as_str()},
            })
        })
        .collect();
    let results: Vec<Value> = diagnostics
        .iter()
        .map(|d| {
            let mut text = d.message.clone();
            if let Some(help) = &d.help {
                text.push_str(&format!(" (help: {help})"));
            }
            let mut result = json!({
                "ruleId": d.rule.id(),
                "ruleIndex": rules.iter().position(|r| *r == d.rule).unwrap_or(0),
                "level": level(d.severity),
                "message": {"text": text},
            });
            if let Some(primary) = &d.primary {
                result["locations"] = json!([location(primary)]);
            }
            if !d.related.is_empty() {
                let related: Vec<Value> = d
                    .related
                    .iter()
                    .enumerate()
                    .map(|(i, l)| {
                        let mut place = location(l);
                        place["id"] = json!(i);
                        place
                    })
                    .collect();
                result["relatedLocations"] = json!(related);
            }
            result
        })
        .collect();
    json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "trackplan",
                "version": env!("CARGO_PKG_VERSION"),
                "rules": rule_objects,
            }},
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    })
}

/// A label as a SARIF location.
fn location(label: &Label) -> Value {
    let (start, end) = (label.start(), label.end());
    let uri = utf8_percent_encode(&label.file.name().replace('\\', "/"), URI).to_string();
    let mut place = json!({
        "physicalLocation": {
            "artifactLocation": {"uri": uri},
            "region": {
                "startLine": start.line,
                "startColumn": start.column,
                "endLine": end.line,
                "endColumn": end.column.max(1),
            },
        },
    });
    if let Some(message) = &label.message {
        place["message"] = json!({"text": message});
    }
    place
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// The first sentence of a rule's description, for its short one.
fn first_sentence(text: &str) -> &str {
    match text.find(". ") {
        Some(end) => &text[..=end],
        None => text,
    }
}
