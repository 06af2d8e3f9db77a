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
fn each_rule_page_matches_the_registry() {
    for page in trackplan::rules::PAGES {
        assert_up_to_date(page.file, &trackplan::rules::markdown(&page));
    }
}
