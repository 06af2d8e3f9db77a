//! The plan format's JSON Schema: committed, up to date, and accepted by
//! every bundled plan.

mod common;

use common::{fixture, root, trackplan};
use serde_json::Value;
use trackplan::source::SourceFile;
use trackplan::yaml::Document;

fn committed() -> Value {
    let text = std::fs::read_to_string(root().join("trackplan.schema.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

fn plan_json(path: &std::path::Path) -> Value {
    let file = SourceFile::read(path, u64::MAX).unwrap();
    Document::parse(&file).unwrap().root.to_json()
}

#[test]
fn committed_schema_is_up_to_date() {
    let out = trackplan(&["schema"]);
    assert_eq!(out.status.code(), Some(0));
    let printed = String::from_utf8(out.stdout).unwrap();
    let path = root().join("trackplan.schema.json");
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
        std::fs::write(&path, &printed).unwrap();
    }
    let on_disk = std::fs::read_to_string(&path).unwrap();
    assert!(
        printed == on_disk,
        "trackplan.schema.json is out of date: run `cargo run -- schema --out trackplan.schema.json`"
    );
}

#[test]
fn every_bundled_plan_validates_against_the_committed_schema() {
    let validator = jsonschema::validator_for(&committed()).unwrap();
    let mut count = 0;
    for entry in std::fs::read_dir(root().join("plans")).unwrap() {
        let path = entry.unwrap().path();
        let errors: Vec<String> = validator
            .iter_errors(&plan_json(&path))
            .map(|e| e.to_string())
            .collect();
        assert_eq!(errors, Vec::<String>::new(), "{}", path.display());
        count += 1;
    }
    assert!(count >= 2);
}

#[test]
fn a_broken_plan_fails_the_schema() {
    let validator = jsonschema::validator_for(&committed()).unwrap();
    let json = plan_json(&fixture("plans/three-mistakes.yaml"));
    let errors: Vec<String> = validator
        .iter_errors(&json)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(errors[0].contains("requried"), "{errors:?}");
}

#[test]
fn schema_descriptions_come_from_the_model_docs() {
    let schema = committed();
    let identified = &schema["$defs"]["EventSpec"]["properties"]["identified"]["description"];
    assert!(
        identified
            .as_str()
            .unwrap()
            .starts_with("Whether the event must carry the user id")
    );
}
