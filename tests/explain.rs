//! `trackplan explain RULE`: a rule of any family, exactly as documented,
//! and "did you mean" across all of them.

mod common;

use common::trackplan;

fn stdout(args: &[&str]) -> String {
    common::trackplan_ok(args)
}

#[test]
fn every_family_is_explained() {
    // A lint rule: what `lint --explain` prints.
    assert_eq!(
        stdout(&["explain", "missing-description"]),
        stdout(&["lint", "--explain", "missing-description"])
    );
    // `lint --explain` is `explain`, for a rule of any family.
    assert_eq!(
        stdout(&["lint", "--explain", "not-in-enum"]),
        stdout(&["explain", "not-in-enum"])
    );
    let check = stdout(&["explain", "renamed-event"]);
    let renamed = trackplan::rules::check::RENAMED_EVENT;
    assert_eq!(
        check,
        format!(
            "renamed-event (check rule, error by default)\n\nWhat it does\n  {}\n\nWhy is this bad?\n  {}\n\nExample\n  events:\n    Account Created: {{renamed_from: Signup}}\n  # record\n  {{\"event\": \"Signup\", \"properties\": {{\"distinct_id\": \"u-42\"}}}}\n",
            renamed.what(),
            renamed.why()
        )
    );
    let diff = stdout(&["explain", "identified-added"]);
    assert!(
        diff.starts_with("identified-added (diff rule: breaking-reports, needs a major bump)\n"),
        "{diff}"
    );
    // Every rule of every family has a page.
    for id in trackplan::rules::all().map(|r| r.id()) {
        assert!(stdout(&["explain", id]).starts_with(id), "{id}");
    }
}

#[test]
fn an_unknown_rule_gets_the_nearest_of_any_family() {
    let out = trackplan(&["explain", "evnt-removed"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "error: no rule `evnt-removed`; did you mean `event-removed`?\nhelp: docs/rules.md, docs/check-rules.md, docs/scan-rules.md and docs/diff-rules.md list every rule\n"
    );
}
