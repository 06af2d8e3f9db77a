//! Every loader rule, each on a small plan, with the exact place it reports.

mod common;

use common::{lint_findings, load_findings};

const HEAD: &str = "trackplan: 1\nname: T\nversion: 1.0.0\ndescription: Test plan.\n";

/// The loader's findings for `HEAD` followed by `body`; lines count from
/// the first line of `body` as line 5.
fn findings(body: &str) -> Vec<(&'static str, usize, usize, String)> {
    load_findings(&format!("{HEAD}{body}"))
}

fn one(body: &str) -> (&'static str, usize, usize, String) {
    let mut all = findings(body);
    assert_eq!(all.len(), 1, "expected one finding, got {all:#?}");
    all.remove(0)
}

#[test]
fn unknown_field_suggests_the_nearest_name() {
    let f = one("events:\n  Login:\n    descripton: x\n");
    assert_eq!(
        f,
        (
            "unknown-field",
            7,
            5,
            "unknown field `descripton`, did you mean `description`?".into()
        )
    );
    let f = one("events:\n  Login:\n    colour: red\n");
    assert_eq!(f, ("unknown-field", 7, 5, "unknown field `colour`".into()));
}

#[test]
fn wrong_types() {
    assert_eq!(
        load_findings("trackplan: 1\nname: T\nversion: 1.2\n"),
        vec![(
            "invalid-type",
            3,
            10,
            "expected a string, found a number".into()
        )]
    );
    let f = one("events:\n  Login:\n    identified: maybe\n");
    assert_eq!(
        f,
        (
            "invalid-type",
            7,
            17,
            "expected true or false, found a string".into()
        )
    );
    let f = one("events: [Login, Logout]\n");
    assert_eq!(
        f,
        (
            "invalid-type",
            5,
            9,
            "expected a mapping, found a list".into()
        )
    );
}

#[test]
fn wrong_values() {
    let f = one("events:\n  Login:\n    properties:\n      n: {type: float}\n");
    assert_eq!(f.0, "invalid-value");
    assert_eq!((f.1, f.2), (8, 17));
    assert!(
        f.3.starts_with("`float` is not one of string, integer, number"),
        "{}",
        f.3
    );
    assert_eq!(
        load_findings("trackplan: 2\nname: T\nversion: 1.0.0\n"),
        vec![(
            "invalid-value",
            1,
            12,
            "unsupported plan format version 2".into()
        )]
    );
    assert_eq!(
        load_findings("trackplan: 1\nname: T\nversion: one\n"),
        vec![(
            "invalid-value",
            3,
            10,
            "`one` is not a version like 1.2.0".into()
        )]
    );
}

#[test]
fn missing_fields() {
    assert_eq!(
        load_findings("name: T\nversion: 1.0.0\n"),
        vec![("missing-field", 1, 1, "missing field `trackplan`".into())]
    );
    assert_eq!(
        load_findings("trackplan: 1\nversion: 1.0.0\n"),
        vec![("missing-field", 1, 1, "missing field `name`".into())]
    );
}

#[test]
fn duplicates() {
    let f = one("events:\n  Login: {}\n  Logout: {}\n  Login: {}\n");
    assert_eq!(
        f,
        (
            "duplicate-name",
            8,
            3,
            "event `Login` is defined twice".into()
        )
    );
    let f = one(
        "events:\n  Login:\n    properties:\n      a: {type: string}\n      a: {type: integer}\n",
    );
    assert_eq!(
        f,
        (
            "duplicate-name",
            9,
            7,
            "property `a` is defined twice".into()
        )
    );
}

#[test]
fn refs() {
    let f = one("events:\n  Login:\n    properties:\n      m: {ref: nothing}\n");
    assert_eq!(
        f,
        (
            "unresolved-ref",
            8,
            16,
            "`ref: nothing` names no shared definition".into()
        )
    );
    let f = one(
        "properties:\n  m: {type: string}\nevents:\n  Login:\n    properties:\n      m: {ref: m, type: integer}\n",
    );
    assert_eq!(
        f,
        (
            "invalid-ref",
            10,
            19,
            "`type` cannot be set beside `ref: m`".into()
        )
    );
    let f = one("properties:\n  m: {type: string}\n  n: {ref: m}\n");
    assert_eq!(
        f,
        (
            "invalid-ref",
            7,
            12,
            "shared definition `n` cannot itself be a `ref`".into()
        )
    );
    let ok = findings(
        "properties:\n  m: {type: string}\nevents:\n  Login:\n    properties:\n      m: {ref: m, required: false, description: Use site.}\n",
    );
    assert_eq!(ok, vec![]);
}

#[test]
fn missing_type() {
    let f = one("events:\n  Login:\n    properties:\n      m: {description: How.}\n");
    assert_eq!(
        f,
        (
            "missing-type",
            8,
            7,
            "property has neither `type` nor `ref`".into()
        )
    );
}

#[test]
fn an_event_property_may_not_also_be_a_super_property() {
    let f = one(
        "super_properties:\n  client_id: {type: string}\nevents:\n  Login:\n    properties:\n      client_id: {type: string}\n",
    );
    assert_eq!(
        f,
        (
            "duplicate-name",
            10,
            7,
            "`client_id` is a super property, sent with every event, and a property of this event too".into()
        )
    );
}

#[test]
fn ranges_enums_patterns_and_constraints() {
    let f =
        one("events:\n  E:\n    properties:\n      a: {type: integer, minimum: 10, maximum: 1}\n");
    assert_eq!(
        f,
        (
            "invalid-range",
            8,
            35,
            "`minimum` (10) is above `maximum` (1): no value can satisfy both".into()
        )
    );
    let f = one(
        "events:\n  E:\n    properties:\n      a: {type: string, min_length: 5, max_length: 2}\n",
    );
    assert_eq!(f.0, "invalid-range");
    let f = one("events:\n  E:\n    properties:\n      a: {type: string, enum: [free, 1]}\n");
    assert_eq!(
        f,
        (
            "enum-type-mismatch",
            8,
            38,
            "enum value 1 is an integer, but the property is a string".into()
        )
    );
    let f = one("events:\n  E:\n    properties:\n      a: {type: integer, enum: [1, 2.5]}\n");
    assert_eq!(
        f,
        (
            "enum-type-mismatch",
            8,
            36,
            "enum value 2.5 is a number, but the property is a integer".into()
        )
    );
    let f = one("events:\n  E:\n    properties:\n      a: {type: string, pattern: \"^[A-Z\"}\n");
    assert_eq!(f.0, "invalid-pattern");
    assert_eq!((f.1, f.2), (8, 34));
    assert!(f.3.contains("unclosed character class"), "{}", f.3);
    let f = one("events:\n  E:\n    properties:\n      a: {type: integer, max_length: 3}\n");
    assert_eq!(
        f,
        (
            "constraint-mismatch",
            8,
            26,
            "`max_length` does not apply to a integer property".into()
        )
    );
    let f = one("events:\n  E:\n    properties:\n      a: {type: list}\n");
    assert_eq!(
        f,
        (
            "constraint-mismatch",
            8,
            17,
            "a `list` property needs `items`".into()
        )
    );
    let f = one(
        "events:\n  E:\n    properties:\n      a:\n        type: list\n        items: {type: integer, minimum: 5, maximum: 1}\n",
    );
    assert_eq!(f.0, "invalid-range");
    assert_eq!((f.1, f.2), (10, 41));
}

#[test]
fn replaced_by_must_name_an_event() {
    let f = one(
        "events:\n  Signup: {status: deprecated, replaced_by: Acount Created}\n  Account Created: {}\n",
    );
    assert_eq!(
        f,
        (
            "unknown-event",
            6,
            45,
            "`replaced_by: Acount Created` names no event of the plan".into()
        )
    );
}

#[test]
fn syntax_errors_have_a_position() {
    let f = load_findings("trackplan: 1\nevents: [Login\nname: x\n");
    assert_eq!(f.len(), 1, "{f:?}");
    assert_eq!(f[0].0, "yaml-syntax");
    assert_eq!(f[0].1, 3);
}

#[test]
fn all_mistakes_of_a_file_in_one_run() {
    let all = findings(
        "events:\n  Login:\n    identified: maybe\n    propertes: {}\n  Logout:\n    properties:\n      r: {ref: nope}\n      s: {type: integer, minimum: 3, maximum: 2}\n",
    );
    let rules: Vec<_> = all.iter().map(|f| (f.0, f.1)).collect();
    assert_eq!(
        rules,
        vec![
            ("invalid-type", 7),
            ("unknown-field", 8),
            ("unresolved-ref", 11),
            ("invalid-range", 12)
        ]
    );
}

#[test]
fn style_rules_and_their_configuration() {
    let body = "events:\n  page_viewed:\n    description: x\n    properties:\n      pageUrl: {type: string, description: x}\n      email: {type: string, description: x}\n  $signup: {description: x}\n  Old: {description: x, status: deprecated}\nproperties:\n  unused: {type: string, description: x}\nuser_properties:\n  age: {type: integer}\n";
    let all = lint_findings(&format!("{HEAD}{body}"));
    let rules: Vec<_> = all.iter().map(|f| (f.0, f.1, f.2)).collect();
    assert_eq!(
        rules,
        vec![
            ("event-naming", 6, 3),
            ("property-naming", 9, 7),
            ("pii-not-marked", 10, 7),
            ("reserved-prefix", 11, 3),
            ("deprecated-without-replacement", 12, 33),
            ("unused-definition", 14, 3),
            ("missing-description", 16, 3),
        ]
    );
    let configured = format!(
        "{HEAD}lint:\n  rules: {{missing-description: error, event-naming: off, unknown-fieldd: error, duplicate-name: off}}\n  naming: {{properties: camel_case}}\n{body}"
    );
    let all = lint_findings(&configured);
    let got: Vec<_> = all.iter().map(|f| (f.0, f.1)).collect();
    assert_eq!(
        got,
        vec![
            ("unknown-rule", 6),
            ("unknown-rule", 6),
            ("pii-not-marked", 13),
            ("reserved-prefix", 14),
            ("deprecated-without-replacement", 15),
            ("unused-definition", 17),
            ("missing-description", 19),
        ]
    );
    let severities = trackplan::lint::lint(trackplan::plan::load_text("p.yaml", &configured));
    let missing = severities
        .iter()
        .find(|d| d.rule == "missing-description")
        .unwrap();
    assert_eq!(missing.severity, trackplan::diagnostic::Severity::Error);
    let unknown: Vec<_> = severities
        .iter()
        .filter(|d| d.rule == "unknown-rule")
        .map(|d| d.message.as_str())
        .collect();
    assert_eq!(
        unknown,
        vec![
            "unknown lint rule `unknown-fieldd`, did you mean `unknown-field`?",
            "rule `duplicate-name` cannot be configured"
        ]
    );
}
