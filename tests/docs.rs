//! Generated documentation stays in step with the code.

mod common;

use common::root;

/// Compares `generated` with the committed file; `UPDATE_SNAPSHOTS=1`
/// rewrites the file instead.
fn assert_up_to_date(rel: &str, generated: &str) {
    let path = root().join(rel);
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
        std::fs::write(&path, generated).unwrap();
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == generated,
        "{rel} is out of date: run `UPDATE_SNAPSHOTS=1 cargo test --test docs`"
    );
}

#[test]
fn rules_page_matches_the_registry() {
    assert_up_to_date("docs/rules.md", &trackplan::lint::rules_markdown());
}

#[test]
fn check_rules_page_matches_the_registry() {
    assert_up_to_date(
        "docs/check-rules.md",
        &trackplan::check::rules::check_rules_markdown(),
    );
}

#[test]
fn every_rule_check_reports_is_documented() {
    let sources = [
        "src/check/record.rs",
        "src/check/value.rs",
        "src/check/limits.rs",
        "src/check/identity.rs",
    ];
    let mut reported = std::collections::BTreeSet::new();
    let quoted = regex::Regex::new(r#""([a-z]+(?:-[a-z]+)+)""#).unwrap();
    for file in sources {
        let text = std::fs::read_to_string(root().join(file)).unwrap();
        for found in quoted.captures_iter(&text) {
            let id = &found[1];
            if trackplan::check::rules::check_rule(id).is_some() {
                reported.insert(id.to_owned());
            }
        }
    }
    let documented: std::collections::BTreeSet<String> = trackplan::check::rules::CHECK_RULES
        .iter()
        .filter(|r| r.id != "undecodable")
        .map(|r| r.id.to_owned())
        .collect();
    assert_eq!(
        reported, documented,
        "rules documented but never reported, or the reverse"
    );
}

#[test]
fn diff_rules_page_matches_the_registry() {
    assert_up_to_date(
        "docs/diff-rules.md",
        &trackplan::diff::rules::diff_rules_markdown(),
    );
}
