//! Every rule `trackplan check` reports, with its default severity and
//! documentation; `docs/check-rules.md` is generated from this list.

use crate::diagnostic::Severity;

/// A check rule.
#[derive(Debug, Clone, Copy)]
pub struct CheckRule {
    /// Stable id.
    pub id: &'static str,
    /// Severity (for `unexpected-property`, the plan's policy decides).
    pub severity: Severity,
    /// What it reports.
    pub what: &'static str,
}

const fn rule(id: &'static str, severity: Severity, what: &'static str) -> CheckRule {
    CheckRule { id, severity, what }
}

use Severity::{Error, Warning};

/// All check rules.
pub const CHECK_RULES: &[CheckRule] = &[
    rule(
        "undecodable",
        Error,
        "A record, or part of the input, that could not be decoded: invalid JSON, base64 or UTF-8, a truncated file, a line over 16 MiB, a body that is not Mixpanel's. Counted; the rest of the input is still checked.",
    ),
    rule(
        "malformed-record",
        Error,
        "A record without the shape Mixpanel expects: an event without a string `event`, `properties` that is not an object, a group update without `$group_id`.",
    ),
    rule(
        "unplanned-event",
        Error,
        "An event the plan does not define. Mixpanel's own events (`$identify`, `$mp_web_page_view`, autocapture, ...) are recognised and not reported; a plan that defines one checks it.",
    ),
    rule(
        "renamed-event",
        Error,
        "An event sent under an old name: the plan renamed it (an event's `renamed_from` names this one), and the report names the new name to send instead.",
    ),
    rule(
        "deprecated-event",
        Warning,
        "An event the plan marks `deprecated`; the report names its `replaced_by`.",
    ),
    rule(
        "planned-event",
        Warning,
        "An event the plan marks `planned`: sent before the plan says it is live.",
    ),
    rule(
        "missing-property",
        Error,
        "A required property of the event (or field of an object) is absent.",
    ),
    rule(
        "missing-super-property",
        Error,
        "A super property (sent with every event) is absent.",
    ),
    rule(
        "wrong-type",
        Error,
        "A value of the wrong JSON type: a string where an integer is planned, and so on. Integers may be written `2.0`.",
    ),
    rule(
        "null-value",
        Error,
        "`null` where the property is not `nullable`.",
    ),
    rule(
        "not-in-enum",
        Error,
        "A value that is not one of the property's `enum` values.",
    ),
    rule(
        "invalid-format",
        Error,
        "A string not in the property's `format` (uri, email, uuid, date, date-time, ipv4, ipv6, hostname; judged by the jsonschema crate's format checks), or a `datetime` that is not ISO 8601.",
    ),
    rule(
        "pattern-mismatch",
        Error,
        "A string that does not match the property's `pattern`.",
    ),
    rule(
        "out-of-range",
        Error,
        "A number outside `minimum`..`maximum`.",
    ),
    rule(
        "invalid-length",
        Error,
        "A string shorter than `min_length` or longer than `max_length` characters.",
    ),
    rule(
        "invalid-list-size",
        Error,
        "A list with fewer than `min_items` or more than `max_items` items.",
    ),
    rule(
        "unexpected-property",
        Warning,
        "A property the plan does not declare: a warning under `additional_properties: warn` (the default), an error under `deny`, nothing under `allow`. The properties Mixpanel's SDKs add (`$`/`mp_` names, UTM parameters, click ids) are never reported.",
    ),
    rule(
        "not-identified",
        Error,
        "An event marked `identified: true` without the user id (`identity.user_id`, `$user_id` by default).",
    ),
    rule(
        "user-id-after-login",
        Error,
        "An event from a device that was tied to a user earlier in the stream, sent without the user id.",
    ),
    rule(
        "missing-distinct-id",
        Error,
        "An event with none of `distinct_id`, the anonymous id and the user id; a profile update without `$distinct_id`.",
    ),
    rule(
        "unknown-group",
        Error,
        "A group update for a group key the plan does not define.",
    ),
    rule(
        "invalid-profile-operation",
        Error,
        "A profile or group operation Mixpanel does not have, or one applied to the wrong kind of property (`$add` on a string, `$union` on a non-list, `$add`/`$append` on a group).",
    ),
    rule(
        "too-many-properties",
        Warning,
        "More than 255 properties in an event, or keys in an object value.",
    ),
    rule(
        "string-too-long",
        Warning,
        "A string over 255 characters; the SDKs truncate it.",
    ),
    rule("list-too-long", Warning, "A list over 255 items."),
    rule(
        "nesting-too-deep",
        Warning,
        "Objects nested deeper than 3 levels inside a property.",
    ),
    rule("event-too-large", Warning, "An event over 1 MB of JSON."),
    rule(
        "invalid-insert-id",
        Warning,
        "An `$insert_id` that `/import` rejects: longer than 36 characters or outside A-Z, a-z, 0-9 and `-`.",
    ),
    rule(
        "implausible-time",
        Warning,
        "A `time` that is not a number of seconds or milliseconds between 1971 and an hour from now.",
    ),
    rule(
        "denied-distinct-id",
        Warning,
        "A `distinct_id` Mixpanel rejects as a placeholder: `anonymous`, `null`, `undefined`, `0`, `-1`, ...",
    ),
];

/// The rule with id `id`.
pub fn check_rule(id: &str) -> Option<&'static CheckRule> {
    CHECK_RULES.iter().find(|r| r.id == id)
}

/// `docs/check-rules.md`.
pub fn check_rules_markdown() -> String {
    let mut out = String::from(
        "# Check rules\n\n<!-- Generated from src/check/rules.rs by `UPDATE_SNAPSHOTS=1 cargo test --test docs`; do not edit. -->\n\n\
         Every violation `trackplan check` reports names one of these rules.\n\n| rule | severity | what it reports |\n|---|---|---|\n",
    );
    for r in CHECK_RULES {
        out.push_str(&format!(
            "| `{}` | {} | {} |\n",
            r.id,
            r.severity,
            r.what.replace('|', "\\|")
        ));
    }
    out
}
