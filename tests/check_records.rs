//! The per-record checks against `plans/accounts.yaml`: exact violations.

mod common;

use std::sync::Arc;

use serde_json::{Value, json};
use trackplan::check::identity::Identity;
use trackplan::check::{CompiledPlan, Tally, record};
use trackplan::payload::{Location, Record, RecordKind, Source};

fn plan() -> Arc<CompiledPlan> {
    let loaded = trackplan::plan::load(&common::root().join("plans/accounts.yaml")).unwrap();
    assert!(!loaded.has_errors());
    CompiledPlan::new(loaded.plan.as_ref().unwrap())
}

fn check(kind: RecordKind, value: Value) -> Vec<(&'static str, String, String, String)> {
    let record = Record {
        kind,
        value,
        source: Source {
            file: "t.ndjson".into(),
            location: Location::Line(1),
        },
    };
    record::check(&plan(), &record, &mut Tally::default())
        .violations
        .into_iter()
        .map(|v| (v.rule.id(), v.path, v.expected, v.found))
        .collect()
}

fn event(name: &str, properties: Value) -> Value {
    let mut base = json!({
        "token": "t", "distinct_id": "$device:d1", "$device_id": "d1", "time": 1718000000.5,
        "$insert_id": "abc-123", "client_id": "web-shop", "$os": "Linux", "mp_lib": "web",
        "utm_source": "newsletter"
    });
    for (k, v) in properties.as_object().unwrap() {
        if v.is_null() && k.starts_with('-') {
            base.as_object_mut().unwrap().remove(&k[1..]);
        } else {
            base[k] = v.clone();
        }
    }
    json!({"event": name, "properties": base})
}

fn rules<'a>(found: &'a [(&'static str, String, String, String)]) -> Vec<(&'static str, &'a str)> {
    found.iter().map(|(r, p, _, _)| (*r, p.as_str())).collect()
}

#[test]
fn a_valid_event_has_no_violation() {
    let found = check(
        RecordKind::Event,
        event(
            "Page Viewed",
            json!({"page_url": "https://example.com/a?b=1"}),
        ),
    );
    assert_eq!(found, vec![]);
}

#[test]
fn every_property_rule() {
    let found = check(
        RecordKind::Event,
        event(
            "Login",
            json!({"$user_id": "u1", "method": "sms", "attempt": "2", "remember_me": null, "colour": "red"}),
        ),
    );
    assert_eq!(
        found,
        vec![
            (
                "not-in-enum",
                "properties.method".into(),
                "one of \"password\", \"google\", \"facebook\", \"sso\", \"autologin\"".into(),
                "string \"sms\"".into()
            ),
            (
                "null-value",
                "properties.remember_me".into(),
                "boolean".into(),
                "null".into()
            ),
            (
                "wrong-type",
                "properties.attempt".into(),
                "integer".into(),
                "string \"2\"".into()
            ),
            (
                "unexpected-property",
                "properties.colour".into(),
                "no such property in the plan".into(),
                "string \"red\"".into()
            ),
        ]
    );
    let found = check(
        RecordKind::Event,
        event(
            "Login",
            json!({"$user_id": "u1", "method": "google", "attempt": 11}),
        ),
    );
    assert_eq!(rules(&found), vec![("out-of-range", "properties.attempt")]);
    assert_eq!(found[0].2, "between 1 and 10");
    let found = check(
        RecordKind::Event,
        event(
            "Login",
            json!({"$user_id": "u1", "method": "google", "attempt": 2.0}),
        ),
    );
    assert_eq!(found, vec![], "2.0 is an integer, as in JSON Schema");
}

#[test]
fn formats_patterns_lengths_and_lists() {
    let found = check(
        RecordKind::Event,
        event(
            "Page Viewed",
            json!({"page_url": "not a url", "page_title": "x".repeat(201), "client_id": "Web Shop"}),
        ),
    );
    assert_eq!(
        rules(&found),
        vec![
            ("pattern-mismatch", "properties.client_id"),
            ("invalid-format", "properties.page_url"),
            ("invalid-length", "properties.page_title"),
        ]
    );
    let found = check(
        RecordKind::Event,
        event("Profile Updated", json!({"$user_id": "u1", "fields": []})),
    );
    assert_eq!(
        rules(&found),
        vec![("invalid-list-size", "properties.fields")]
    );
    let found = check(
        RecordKind::Event,
        event(
            "Profile Updated",
            json!({"$user_id": "u1", "fields": ["name", "shoe_size"]}),
        ),
    );
    assert_eq!(rules(&found), vec![("not-in-enum", "properties.fields[1]")]);
}

#[test]
fn missing_properties_super_properties_and_identity() {
    let found = check(
        RecordKind::Event,
        event("Login", json!({"-client_id": null, "-$device_id": null})),
    );
    assert_eq!(
        rules(&found),
        vec![
            ("missing-super-property", "properties.client_id"),
            ("missing-property", "properties.method"),
            ("missing-property", "properties.attempt"),
            ("not-identified", "properties.$user_id"),
        ]
    );
    let found = check(
        RecordKind::Event,
        json!({"event": "Page Viewed", "properties": {"client_id": "web-shop", "page_url": "https://a.b/"}}),
    );
    assert_eq!(rules(&found), vec![("missing-distinct-id", "properties")]);
}

#[test]
fn event_status_and_unplanned_and_sdk_events() {
    assert_eq!(
        rules(&check(
            RecordKind::Event,
            event("Coupon Applied", json!({"code": "X"}))
        )),
        vec![("unplanned-event", "event")]
    );
    assert_eq!(
        rules(&check(RecordKind::Event, event("Signup", json!({})))),
        vec![("deprecated-event", "event")]
    );
    let found = check(
        RecordKind::Event,
        event(
            "Two Factor Enabled",
            json!({"$user_id": "u", "factor": "totp"}),
        ),
    );
    assert_eq!(rules(&found), vec![("planned-event", "event")]);
    assert_eq!(
        check(
            RecordKind::Event,
            event("$identify", json!({"$anon_distinct_id": "x"}))
        ),
        vec![]
    );
    assert_eq!(
        check(
            RecordKind::Event,
            event("$mp_web_page_view", json!({"current_page_title": "x"}))
        ),
        vec![]
    );
}

#[test]
fn mixpanel_limits() {
    let mut props = json!({"page_url": "https://a.b/", "$insert_id": "not valid!", "time": 99, "distinct_id": "undefined"});
    for i in 0..260 {
        props[format!("$x{i}")] = json!(i);
    }
    props["$long"] = json!("y".repeat(300));
    let found = check(RecordKind::Event, event("Page Viewed", props));
    assert_eq!(
        rules(&found),
        vec![
            ("too-many-properties", "properties"),
            ("string-too-long", "properties.$long"),
            ("invalid-insert-id", "properties.$insert_id"),
            ("implausible-time", "properties.time"),
            ("denied-distinct-id", "properties.distinct_id"),
        ]
    );
    let ms = check(
        RecordKind::Event,
        event(
            "Page Viewed",
            json!({"page_url": "https://a.b/", "time": 1718000000123u64}),
        ),
    );
    assert_eq!(ms, vec![], "milliseconds are accepted");
}

#[test]
fn profile_and_group_updates() {
    let found = check(
        RecordKind::Profile,
        json!({"$token": "t", "$distinct_id": "u1", "$set": {"age": "thirty", "gender": "female", "$email": "a@b.co", "$os": "Linux", "shoe": 42}}),
    );
    assert_eq!(
        rules(&found),
        vec![
            ("wrong-type", "$set.age"),
            ("unexpected-property", "$set.shoe")
        ]
    );
    let found = check(
        RecordKind::Profile,
        json!({"$distinct_id": "u1", "$add": {"logins": 1, "gender": 1}, "$union": {"interests": ["a", 2]}, "$frobnicate": {}}),
    );
    assert_eq!(
        rules(&found),
        vec![
            ("invalid-profile-operation", "$add.gender"),
            ("wrong-type", "$union.interests[1]"),
            ("invalid-profile-operation", "$frobnicate")
        ]
    );
    let found = check(
        RecordKind::Group,
        json!({"$group_key": "company", "$group_id": "acme", "$set": {"plan": "gold", "seats": 3}, "$add": {"seats": 1}}),
    );
    assert_eq!(
        rules(&found),
        vec![
            ("not-in-enum", "$set.plan"),
            ("invalid-profile-operation", "$add")
        ]
    );
    let found = check(
        RecordKind::Group,
        json!({"$group_key": "team", "$group_id": "x", "$set": {}}),
    );
    assert_eq!(rules(&found), vec![("unknown-group", "$group_key")]);
}

#[test]
fn identity_across_a_stream() {
    let plan = plan();
    let mut identity = Identity::new("$user_id");
    let mut follow = |value: Value| {
        let record = Record {
            kind: RecordKind::Event,
            value,
            source: Source {
                file: "s".into(),
                location: Location::Line(1),
            },
        };
        let mut verdict = record::check(&plan, &record, &mut Tally::default());
        identity.follow(&mut verdict);
        verdict
            .violations
            .into_iter()
            .map(|v| v.rule)
            .collect::<Vec<_>>()
    };
    assert_eq!(
        follow(event(
            "Page Viewed",
            json!({"page_url": "https://a.b/", "time": 1718000001})
        )),
        Vec::<&str>::new()
    );
    assert_eq!(
        follow(event(
            "Login",
            json!({"$user_id": "u1", "distinct_id": "u1", "method": "password", "attempt": 1, "time": 1718000005})
        )),
        Vec::<&str>::new()
    );
    assert_eq!(
        follow(event(
            "Page Viewed",
            json!({"page_url": "https://a.b/", "time": 1718000009})
        )),
        vec!["user-id-after-login"]
    );
    // Sent later but happened before the login (SDK batches are not in
    // time order): not a violation.
    assert_eq!(
        follow(event(
            "Page Viewed",
            json!({"page_url": "https://a.b/", "time": 1718000003})
        )),
        Vec::<&str>::new()
    );
    // Without times, the input order decides.
    assert_eq!(
        follow(event(
            "Page Viewed",
            json!({"page_url": "https://a.b/", "-time": null})
        )),
        vec!["user-id-after-login"]
    );
    assert_eq!(
        follow(event(
            "Page Viewed",
            json!({"page_url": "https://a.b/", "$device_id": "d2"})
        )),
        Vec::<&str>::new()
    );
}

#[test]
fn an_object_without_fields_is_free_form() {
    let text = "trackplan: 1\nname: T\nversion: 1.0.0\nevents:\n  E:\n    properties:\n      meta: {type: object}\n      pos: {type: object, properties: {x: {type: integer}}}\n";
    let loaded = trackplan::plan::load_text("p.yaml", text);
    assert!(!loaded.has_errors(), "{:?}", loaded.diagnostics);
    let plan = CompiledPlan::new(loaded.plan.as_ref().unwrap());
    let record = Record {
        kind: RecordKind::Event,
        value: json!({"event": "E", "properties": {"distinct_id": "d", "meta": {"anything": [1, 2]}, "pos": {"x": 1, "y": 2}}}),
        source: Source {
            file: "t".into(),
            location: Location::Line(1),
        },
    };
    let found: Vec<_> = record::check(&plan, &record, &mut Tally::default())
        .violations
        .into_iter()
        .map(|v| (v.rule.id(), v.path))
        .collect();
    assert_eq!(
        found,
        vec![("unexpected-property", "properties.pos.y".to_owned())]
    );
}
