//! The rules on an event as a whole, as parts of its violation array: its
//! status (deprecated, planned), its properties against its definition,
//! `identified`, and the rules every named event meets (properties that
//! are an object, a distinct id, Mixpanel's limits).

use super::Part;
use super::dialect::Kind;
use super::rules::{At, PROPERTIES, Rules, join};
use crate::check::wording;
use crate::diagnostic::Severity;
use crate::format::Status;
use crate::mixpanel::{self, limits as mp};
use crate::plan::{Plan, Property};
use crate::rules::check as rule;

/// 1971-01-01T00:00:00Z in seconds: `/import` rejects events before it.
const EARLIEST_TIME: f64 = 31_536_000.0;

/// Which of an event's checks a query holds: all of them, or those of a
/// range of its fields (the plan's super properties, then its own), with
/// or without the checks on the event as a whole (its status, undeclared
/// keys, `identified`).
#[derive(Debug, Clone)]
pub struct Share {
    /// The fields checked; `None` for all.
    pub fields: Option<std::ops::Range<usize>>,
    /// Also the checks on the event as a whole.
    pub whole: bool,
}

impl Share {
    /// Every check of the event.
    pub const ALL: Share = Share {
        fields: None,
        whole: true,
    };
}

/// The fields of `event` as its checks take them: the plan's super
/// properties, then its own, each marked whether it is a super property.
fn fields_of<'p>(plan: &'p Plan, event: &'p crate::plan::Event) -> Vec<(&'p Property, bool)> {
    plan.super_properties
        .iter()
        .map(|p| (p, true))
        .chain(event.properties.iter().map(|p| (p, false)))
        .collect()
}

/// How many checks each field of `event` (in [`fields_of`] order) adds.
pub fn checks_per_field(plan: &Plan, event: &crate::plan::Event, rules: &Rules) -> Vec<usize> {
    let at = At {
        value: PROPERTIES,
        guard: "TRUE",
        path: PROPERTIES,
    };
    fields_of(plan, event)
        .iter()
        .map(|field| {
            let mut scratch = Rules::new(rules.dialect);
            let mut parts = Vec::new();
            scratch.named_fields(
                &event.name,
                at,
                std::slice::from_ref(field),
                event.additional_properties,
                &mut parts,
            );
            scratch.defs.len()
        })
        .collect()
}

/// The checks of one planned event, or of the `share` of them.
pub fn event_parts(
    plan: &Plan,
    event: &crate::plan::Event,
    share: &Share,
    rules: &mut Rules,
) -> Vec<Part> {
    let mut parts = Vec::new();
    let name = event.name.as_str();
    let status = if share.whole {
        event.status
    } else {
        Status::Active
    };
    match status {
        Status::Deprecated => {
            let expected = wording::instead(event.replaced_by.as_deref());
            let id = rules.define(
                Some(name),
                rule::DEPRECATED_EVENT,
                Severity::Warning,
                "event".into(),
                expected,
            );
            parts.push(Part::Count {
                id,
                count: "1".into(),
            });
        }
        Status::Planned => {
            let id = rules.define(
                Some(name),
                rule::PLANNED_EVENT,
                Severity::Warning,
                "event".into(),
                wording::ACTIVE_EVENT.into(),
            );
            parts.push(Part::Count {
                id,
                count: "1".into(),
            });
        }
        Status::Active => {}
    }
    let fields = fields_of(plan, event);
    // `properties` is an object or NULL (read as none, as `check` does).
    let at = At {
        value: PROPERTIES,
        guard: "TRUE",
        path: PROPERTIES,
    };
    match &share.fields {
        None if event.variants.is_some() => {
            if let Some(variants) = &event.variants {
                let supers: Vec<&Property> = plan.super_properties.iter().collect();
                rules.cases(
                    name,
                    at,
                    variants,
                    &supers,
                    &event.properties,
                    event.additional_properties,
                    true,
                    &mut parts,
                );
            }
        }
        None => rules.fields(
            name,
            at,
            &fields,
            event.additional_properties,
            true,
            &mut parts,
        ),
        Some(range) => {
            let checked = fields.get(range.clone()).unwrap_or_default();
            rules.named_fields(name, at, checked, event.additional_properties, &mut parts);
            if share.whole {
                let names: Vec<String> = fields.iter().map(|(p, _)| p.name.clone()).collect();
                rules.undeclared(
                    name,
                    at,
                    &names,
                    event.additional_properties,
                    true,
                    &mut parts,
                );
            }
        }
    }
    if event.identified && share.whole {
        let id = rules.define(
            Some(name),
            rule::NOT_IDENTIFIED,
            Severity::Error,
            join("properties", &plan.identity.user_id),
            wording::user_id_in(&plan.identity.user_id),
        );
        parts.push(Part::Count {
            id,
            count: "CASE WHEN raw_user_id IS NULL THEN 1 ELSE 0 END".into(),
        });
    }
    parts
}

/// The rules on every named event: the properties' shape, identity and
/// Mixpanel's limits.
pub fn common_parts(plan: &Plan, rules: &mut Rules) -> Vec<Part> {
    let d = rules.dialect;
    let mut parts = Vec::new();
    let mut rule = |rules: &mut Rules,
                    name: &'static crate::rules::Rule,
                    severity: Severity,
                    path: &str,
                    expected: String,
                    count: String| {
        let id = rules.define(None, name, severity, path.to_owned(), expected);
        parts.push(Part::Count { id, count });
    };
    let is_object = d.is(Kind::Object, "properties");
    rule(
        rules,
        rule::MALFORMED_RECORD,
        Severity::Error,
        "properties",
        wording::PROPERTIES_OBJECT.into(),
        "CASE WHEN malformed_properties THEN 1 ELSE 0 END".into(),
    );
    rule(
        rules,
        rule::MISSING_DISTINCT_ID,
        Severity::Error,
        "properties",
        wording::any_id(&plan.identity.anonymous_id, &plan.identity.user_id),
        "CASE WHEN distinct_id IS NULL AND device_id IS NULL AND raw_user_id IS NULL THEN 1 ELSE 0 END"
            .into(),
    );
    rule(
        rules,
        rule::TOO_MANY_PROPERTIES,
        Severity::Warning,
        "properties",
        format!("at most {} properties", mp::MAX_PROPERTIES),
        format!(
            "CASE WHEN {is_object} AND {} > {} THEN 1 ELSE 0 END",
            d.key_count("properties"),
            mp::MAX_PROPERTIES
        ),
    );
    let long_string = format!(
        "{} AND {} > {}",
        d.is(Kind::String, "x"),
        d.char_len(&d.text("x")),
        mp::MAX_STRING_CHARS
    );
    rule(
        rules,
        rule::STRING_TOO_LONG,
        Severity::Warning,
        "properties.*",
        format!(
            "at most {} characters (the SDKs truncate)",
            mp::MAX_STRING_CHARS
        ),
        format!(
            "CASE WHEN {is_object} AND {} THEN {} ELSE 0 END",
            d.may_hold_long_string("properties", mp::MAX_STRING_CHARS),
            d.count_values("properties", &long_string)
        ),
    );
    let long_list = format!(
        "{} AND {} > {}",
        d.is(Kind::Array, "x"),
        d.array_len("x"),
        mp::MAX_LIST_ITEMS
    );
    rule(
        rules,
        rule::LIST_TOO_LONG,
        Severity::Warning,
        "properties.*",
        format!("at most {} items", mp::MAX_LIST_ITEMS),
        format!(
            "CASE WHEN {is_object} AND {} THEN {} ELSE 0 END",
            d.may_hold_long_list("properties", mp::MAX_LIST_ITEMS),
            d.count_values("properties", &long_list)
        ),
    );
    rule(
        rules,
        rule::EVENT_TOO_LARGE,
        Severity::Warning,
        "properties",
        "an event under 1 MB of JSON".into(),
        format!(
            "CASE WHEN {} + 40 > {} THEN 1 ELSE 0 END",
            d.json_bytes("properties"),
            mp::MAX_EVENT_BYTES
        ),
    );
    let insert = rules.field(PROPERTIES, "$insert_id");
    let valid_insert = format!(
        "{} AND {}",
        d.is(Kind::String, &insert),
        d.matches(
            &d.text(&insert),
            &format!("^[A-Za-z0-9-]{{1,{}}}$", mp::MAX_INSERT_ID_BYTES)
        )
    );
    rule(
        rules,
        rule::INVALID_INSERT_ID,
        Severity::Warning,
        "properties.$insert_id",
        "at most 36 characters of A-Z, a-z, 0-9 and -".into(),
        format!(
            "CASE WHEN {} AND NOT ({valid_insert}) THEN 1 ELSE 0 END",
            d.present(&insert)
        ),
    );
    rule(
        rules,
        rule::IMPLAUSIBLE_TIME,
        Severity::Warning,
        "properties.time",
        "seconds or milliseconds since 1970, after 1971 and at most an hour ahead".into(),
        format!(
            "CASE WHEN has_time AND NOT coalesce(event_time >= {} AND event_time <= {} + 3600, FALSE) THEN 1 ELSE 0 END",
            d.double(EARLIEST_TIME),
            d.now_seconds()
        ),
    );
    let denied: Vec<String> = mixpanel::DENIED_DISTINCT_IDS
        .iter()
        .map(|s| s.to_ascii_lowercase())
        .collect();
    let distinct = rules.field(PROPERTIES, "distinct_id");
    rule(
        rules,
        rule::DENIED_DISTINCT_ID,
        Severity::Warning,
        "properties.distinct_id",
        "a real id (Mixpanel rejects placeholders)".into(),
        format!(
            "CASE WHEN {} AND {} THEN 1 ELSE 0 END",
            d.is(Kind::String, &distinct),
            d.one_of(&format!("lower({})", d.text(&distinct)), &denied)
        ),
    );
    parts
}
