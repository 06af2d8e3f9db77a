//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

pub mod serve;
pub mod ts;

/// The repository root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A fixture path.
pub fn fixture(rel: &str) -> PathBuf {
    root().join("tests/fixtures").join(rel)
}

/// Runs the `trackplan` binary from the repository root with colours off.
pub fn trackplan(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_trackplan"))
        .args(args)
        .current_dir(root())
        .env("NO_COLOR", "1")
        .output()
        .expect("the trackplan binary runs")
}

/// Runs `trackplan ARGS` from the repository root, asserts it succeeded,
/// and returns what it printed.
pub fn trackplan_ok(args: &[&str]) -> String {
    let out = trackplan(args);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("UTF-8 output")
}

/// Runs the `trackplan` binary in `dir` with colours off.
pub fn trackplan_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_trackplan"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .expect("the trackplan binary runs")
}

/// The rule of each diagnostic of a JSON lint report, in order.
pub fn rules_of(report: &Value) -> Vec<String> {
    places(report)
        .into_iter()
        .map(|(rule, _, _)| rule)
        .collect()
}

/// Runs `trackplan lint --format json` on `paths`: the exit code and report.
pub fn lint_json(paths: &[&Path]) -> (i32, Value) {
    let mut args = vec!["lint".to_owned(), "--format".into(), "json".into()];
    args.extend(paths.iter().map(|p| p.display().to_string()));
    let refs: Vec<&str> = args.iter().map(String::as_str).collect();
    let out = trackplan(&refs);
    let report: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "lint printed no JSON ({e}): {}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    (out.status.code().unwrap_or(-1), report)
}

/// `(rule, line, column)` of each diagnostic of a JSON report.
pub fn places(report: &Value) -> Vec<(String, u64, u64)> {
    report["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .map(|d| {
            (
                d["rule"].as_str().unwrap_or_default().to_owned(),
                d["line"].as_u64().unwrap_or(0),
                d["column"].as_u64().unwrap_or(0),
            )
        })
        .collect()
}

/// `(rule, line, column, message)` of every finding the loader reports for
/// a plan given as text.
pub fn load_findings(text: &str) -> Vec<(&'static str, usize, usize, String)> {
    let loaded = trackplan::plan::load_text("plan.yaml", text);
    loaded
        .diagnostics
        .iter()
        .map(|d| {
            let (line, column) = d.location().map_or((0, 0), |(_, p)| (p.line, p.column));
            (d.rule.id(), line, column, d.message.clone())
        })
        .collect()
}

/// Like [`load_findings`] but through the linter (loader and style rules).
pub fn lint_findings(text: &str) -> Vec<(&'static str, usize, usize, String)> {
    let loaded = trackplan::plan::load_text("plan.yaml", text);
    trackplan::lint::lint(loaded)
        .iter()
        .map(|d| {
            let (line, column) = d.location().map_or((0, 0), |(_, p)| (p.line, p.column));
            (d.rule.id(), line, column, d.message.clone())
        })
        .collect()
}

/// `Purchased Item` records of every combination of discriminator value
/// (each case of `tests/fixtures/sql/variants.yaml`, the default, a value
/// outside the enum, none), size, milk and `box` (each of its cases, an
/// integer written `2.0`, a shape outside the enum, none), one each.
pub fn variant_purchases() -> Vec<Value> {
    use serde_json::json;
    let types = [
        None,
        Some("drink"),
        Some("food"),
        Some("merchandise"),
        Some("cake"),
    ];
    let sizes = [None, Some(json!("small")), Some(json!(5))];
    let milks = [None, Some("oat"), Some("soy")];
    let boxes = [
        None,
        Some(json!({"shape": 1})),
        Some(json!({"shape": 1, "lid": true})),
        Some(json!({"shape": 2})),
        Some(json!({"shape": 2.0, "lid": false})),
        Some(json!({"shape": 3, "lid": true})),
        Some(json!({"lid": true})),
    ];
    let mut records = Vec::new();
    for ty in &types {
        for size in &sizes {
            for milk in &milks {
                for parcel in &boxes {
                    let id = format!("v{}", records.len() + 1);
                    let mut props = json!({"distinct_id": "u1", "price": 2.5, "$insert_id": id});
                    let map = props.as_object_mut().expect("an object");
                    if let Some(ty) = ty {
                        map.insert("item_type".into(), json!(ty));
                    }
                    if let Some(size) = size {
                        map.insert("size".into(), size.clone());
                    }
                    if let Some(milk) = milk {
                        map.insert("milk".into(), json!(milk));
                    }
                    if let Some(b) = parcel {
                        map.insert("box".into(), b.clone());
                    }
                    records.push(json!({"event": "Purchased Item", "properties": props}));
                }
            }
        }
    }
    records
}
