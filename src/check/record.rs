//! Checking one record: an event against its definition, the SDKs' rules
//! and Mixpanel's limits; a profile or group update against the plan's user
//! and group properties.

use crate::rules::check as rule;
use std::borrow::Cow;
use std::sync::Arc;

use serde_json::{Map, Value};

use super::compiled::{CompiledPlan, Fields};
use super::coverage::{Counters, Tally};
use super::limits;
use super::props::{Prop, Props, lazy_event};
use super::value::{Segment, Walk, fits};
use super::violation::{Ids, Verdict, Violation, describe};
use super::wording::{self, type_name};
use crate::diagnostic::Severity;
use crate::format::{PropertyType, Status};
use crate::mixpanel;
use crate::payload::{Location, Record, RecordKind};

/// Checks one decoded record, counting what it covers into `tally`.
pub fn check(plan: &CompiledPlan, record: &Record, tally: &mut Tally) -> Verdict {
    let mut violations = Vec::new();
    let (subject, ids) = match record.kind {
        RecordKind::Event => {
            let value = &record.value;
            let properties = match value.get("properties") {
                None => Ok(Props::default()),
                Some(Value::Object(map)) => Ok(Props::of_map(map)),
                Some(other) => Err(describe(other)),
            };
            let name = value.get("event").map(Prop::Parsed);
            event(plan, name, properties, &mut violations, tally)
        }
        RecordKind::Profile => (
            Arc::from(profile(plan, &record.value, &mut violations, tally)),
            None,
        ),
        RecordKind::Group => (
            Arc::from(group(plan, &record.value, &mut violations, tally)),
            None,
        ),
    };
    Verdict {
        subject,
        location: record.source.location.clone(),
        violations,
        ids,
    }
}

/// Checks an event given as JSON text without building it as a whole;
/// `None` when the text is not an event object (decode it instead).
pub fn check_text(
    plan: &CompiledPlan,
    text: &[u8],
    location: impl FnOnce() -> Location,
    tally: &mut Tally,
) -> Option<Verdict> {
    let lazy = lazy_event(text)?;
    // Values the lazy reader did not parse could still be invalid (nesting
    // past the parser's limit, a lone surrogate escape); such a record goes
    // to the ordinary decoder, which reports it as undecodable.
    let escapes = lazy.escapes;
    let parses = |raw: &serde_json::value::RawValue| Prop::Raw(raw).parses_in(escapes);
    let event_parses = lazy.event.is_none_or(parses);
    let properties_parse = match &lazy.properties {
        Some(Ok(props)) => props.0.iter().all(|(_, p)| p.parses_in(escapes)),
        Some(Err(raw)) => parses(raw),
        None => true,
    };
    if !event_parses || !properties_parse {
        return None;
    }
    let properties = match lazy.properties {
        None => Ok(Props::default()),
        Some(Ok(props)) => Ok(props),
        Some(Err(p)) => Err(describe(&Prop::Raw(p).value())),
    };
    let mut violations = Vec::new();
    let (subject, ids) = event(
        plan,
        lazy.event.map(Prop::Raw),
        properties,
        &mut violations,
        tally,
    );
    Some(Verdict {
        subject,
        location: location(),
        violations,
        ids,
    })
}

/// Checks an event: its name, its properties against its definition, its
/// ids, Mixpanel's limits. Returns the subject and the ids it carries.
fn event<'a>(
    plan: &CompiledPlan,
    name: Option<Prop<'a>>,
    properties: Result<Props<'a>, String>,
    violations: &mut Vec<Violation>,
    tally: &mut Tally,
) -> (Arc<str>, Option<Ids>) {
    let mut w = Walk::new(violations);
    let name = match name.and_then(Prop::as_str) {
        Some(name) => name,
        None => {
            let found = name.map_or_else(|| "nothing".to_owned(), |n| describe(&n.value()));
            w.at(Segment::Key("event"), |w| {
                w.push(
                    rule::MALFORMED_RECORD,
                    Severity::Error,
                    "the event name as a string",
                    found,
                )
            });
            return (Arc::from("(no event name)"), None);
        }
    };
    let properties = properties.unwrap_or_else(|found| {
        w.at(Segment::Key("properties"), |w| {
            w.push(
                rule::MALFORMED_RECORD,
                Severity::Error,
                wording::PROPERTIES_OBJECT,
                found,
            )
        });
        Props::default()
    });
    let known = properties.known(&plan.user_id, &plan.anonymous_id);
    let id = |p: Option<Prop<'a>>| p.and_then(|p| p.as_id());
    let user = id(known.user_id);
    let definition = plan.events.get(name.as_ref());
    // Counted here for an event with variants (its properties are those of
    // every case); without, as the check looks each property up.
    let counted_here = definition.is_some_and(|d| d.fields.cases.is_some());
    if let Some(definition) = definition {
        if counted_here {
            let sent = properties
                .0
                .iter()
                .map(|(key, value)| (key.as_ref(), *value));
            tally.properties(&definition.counters, sent);
        } else {
            tally.hit(definition.counters.records);
        }
    }
    // An event with variants is named with the case of the record, and
    // checked against its fields: picked once, here.
    let case = definition.and_then(|d| d.fields.case_of(&properties));
    let subject: Arc<str> = match (definition, case) {
        (_, Some(case)) => Arc::clone(&case.subject),
        (Some(d), None) => Arc::clone(&d.name),
        (None, None) => Arc::from(name.as_ref()),
    };
    match definition {
        Some(definition) => {
            match definition.status {
                Status::Deprecated => {
                    let expected = wording::instead(definition.replaced_by.as_deref());
                    w.at(Segment::Key("event"), |w| {
                        w.push(
                            rule::DEPRECATED_EVENT,
                            Severity::Warning,
                            expected,
                            wording::event_found("deprecated", &name),
                        )
                    });
                }
                Status::Planned => {
                    w.at(Segment::Key("event"), |w| {
                        w.push(
                            rule::PLANNED_EVENT,
                            Severity::Warning,
                            wording::ACTIVE_EVENT,
                            wording::event_found("planned", &name),
                        )
                    });
                }
                Status::Active => {}
            }
            w.at(Segment::Key("properties"), |w| {
                if counted_here {
                    w.case_fields(&definition.fields, case, &properties, true)
                } else {
                    w.counted_fields(&definition.fields, &properties, tally)
                }
            });
            if definition.identified && user.is_none() {
                w.at(Segment::Key("properties"), |w| {
                    w.at(Segment::Key(&plan.user_id), |w| {
                        w.push(
                            rule::NOT_IDENTIFIED,
                            Severity::Error,
                            wording::user_id_in(&plan.user_id),
                            wording::NOTHING,
                        )
                    })
                });
            }
        }
        None => match plan.renamed.get(name.as_ref() as &str) {
            Some(new) => w.at(Segment::Key("event"), |w| {
                w.push(
                    rule::RENAMED_EVENT,
                    Severity::Error,
                    wording::renamed_to(new),
                    wording::event_found("", &name),
                )
            }),
            None if mixpanel::is_sdk_event(&name) => {}
            None => {
                w.at(Segment::Key("event"), |w| {
                    w.push(
                        rule::UNPLANNED_EVENT,
                        Severity::Error,
                        wording::PLANNED_EVENT,
                        wording::event_found("", &name),
                    )
                });
            }
        },
    }
    let device = id(known.anonymous_id);
    let distinct = id(known.distinct_id);
    if distinct.is_none() && device.is_none() && user.is_none() {
        w.at(Segment::Key("properties"), |w| {
            w.push(
                rule::MISSING_DISTINCT_ID,
                Severity::Error,
                wording::any_id(&plan.anonymous_id, &plan.user_id),
                wording::NO_IDS,
            )
        });
    }
    limits::event(&properties, &known, &mut w);
    let device = device.or_else(|| {
        distinct.and_then(|d| d.strip_prefix("$device:").map(|d| Cow::Owned(d.to_owned())))
    });
    let time = known.time.and_then(|p| super::limits::seconds(&p.value()));
    // Only events from a known device take part in the identity check.
    let user = device.as_ref().and(user).map(Cow::into_owned);
    let device = device.map(|d| super::identity::device_key(&d));
    (subject, Some(Ids { device, user, time }))
}

/// Whether a property holds a usable id (a non-empty string or a number).
fn has_id(properties: &Map<String, Value>, name: &str) -> bool {
    match properties.get(name) {
        Some(Value::String(s)) => !s.is_empty(),
        Some(Value::Number(_)) => true,
        _ => false,
    }
}

/// The operations of a profile update, with whether groups allow them.
const OPERATIONS: &[(&str, bool)] = &[
    ("$set", true),
    ("$set_once", true),
    ("$add", false),
    ("$union", true),
    ("$append", false),
    ("$remove", true),
    ("$unset", true),
    ("$delete", true),
];

fn profile(
    plan: &CompiledPlan,
    value: &Value,
    violations: &mut Vec<Violation>,
    tally: &mut Tally,
) -> String {
    let mut w = Walk::new(violations);
    tally.hit(plan.user_counters.records);
    let Some(map) = value.as_object() else {
        w.push(
            rule::MALFORMED_RECORD,
            Severity::Error,
            "a profile update object",
            describe(value),
        );
        return "profile update".to_owned();
    };
    if !has_id(map, "$distinct_id") {
        w.at(Segment::Key("$distinct_id"), |w| {
            w.push(
                rule::MISSING_DISTINCT_ID,
                Severity::Error,
                "the profile's `$distinct_id`",
                "nothing",
            )
        });
    }
    let user = Counted {
        fields: &plan.user,
        counters: &plan.user_counters,
        tally,
    };
    operations(user, map, false, &mut w);
    "profile update".to_owned()
}

fn group(
    plan: &CompiledPlan,
    value: &Value,
    violations: &mut Vec<Violation>,
    tally: &mut Tally,
) -> String {
    let mut w = Walk::new(violations);
    let Some(map) = value.as_object() else {
        w.push(
            rule::MALFORMED_RECORD,
            Severity::Error,
            "a group update object",
            describe(value),
        );
        return "group update".to_owned();
    };
    let key = map
        .get("$group_key")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let subject = format!("group update ({key})");
    if !map
        .get("$group_id")
        .is_some_and(|v| v.is_string() || v.is_number())
    {
        w.at(Segment::Key("$group_id"), |w| {
            w.push(
                rule::MALFORMED_RECORD,
                Severity::Error,
                "the group's `$group_id`",
                map.get("$group_id")
                    .map_or_else(|| "nothing".to_owned(), describe),
            )
        });
    }
    match plan.groups.get(key) {
        Some(g) => {
            tally.hit(g.counters.records);
            let group = Counted {
                fields: &g.fields,
                counters: &g.counters,
                tally,
            };
            operations(group, map, true, &mut w)
        }
        None => {
            let known: Vec<&str> = plan.groups.keys().map(String::as_str).collect();
            let expected = if known.is_empty() {
                "a group of the plan (it has none)".to_owned()
            } else {
                format!("one of {}", known.join(", "))
            };
            w.at(Segment::Key("$group_key"), |w| {
                w.push(
                    rule::UNKNOWN_GROUP,
                    Severity::Error,
                    expected,
                    format!("`{key}`"),
                )
            });
        }
    }
    subject
}

/// The properties of profiles or of a group type, with their coverage
/// counters and the tally to count into.
struct Counted<'a> {
    fields: &'a Fields,
    counters: &'a Counters,
    tally: &'a mut Tally,
}

/// Checks each `$set`-style operation of a profile or group update.
fn operations(
    mut fields: Counted<'_>,
    update: &Map<String, Value>,
    is_group: bool,
    w: &mut Walk<'_>,
) {
    for (op, value) in update {
        if !op.starts_with('$') || is_envelope(op) {
            continue;
        }
        let allowed = OPERATIONS
            .iter()
            .find(|(name, _)| name == op)
            .map(|(_, in_groups)| !is_group || *in_groups);
        match allowed {
            None => w.at(Segment::Key(op), |w| {
                w.push(
                    rule::INVALID_PROFILE_OPERATION,
                    Severity::Error,
                    "$set, $set_once, $add, $union, $append, $remove, $unset or $delete",
                    format!("`{op}`"),
                )
            }),
            Some(false) => w.at(Segment::Key(op), |w| {
                w.push(
                    rule::INVALID_PROFILE_OPERATION,
                    Severity::Error,
                    "an operation groups accept (not $add or $append)",
                    format!("`{op}`"),
                )
            }),
            Some(true) => w.at(Segment::Key(op), |w| operation(&mut fields, op, value, w)),
        }
    }
}

fn is_envelope(key: &str) -> bool {
    matches!(
        key,
        "$token"
            | "$distinct_id"
            | "$device_id"
            | "$user_id"
            | "$ip"
            | "$time"
            | "$ignore_time"
            | "$ignore_alias"
            | "$group_key"
            | "$group_id"
            | "$mp_api_endpoint"
            | "$mp_api_timestamp_ms"
    )
}

fn operation(counted: &mut Counted<'_>, op: &str, value: &Value, w: &mut Walk<'_>) {
    let fields = counted.fields;
    match op {
        "$delete" => {}
        "$unset" => {
            let Some(names) = value.as_array() else {
                w.push(
                    rule::INVALID_PROFILE_OPERATION,
                    Severity::Error,
                    "a list of property names",
                    describe(value),
                );
                return;
            };
            for (i, name) in names.iter().enumerate() {
                let known = name.as_str().is_some_and(|n| {
                    fields.get(n).is_some() || mixpanel::RESERVED_USER_PROPERTIES.contains(&n)
                });
                if !known {
                    w.at(Segment::Index(i), |w| {
                        w.push(
                            rule::UNEXPECTED_PROPERTY,
                            Severity::Warning,
                            "a property of the plan",
                            describe(name),
                        )
                    });
                }
            }
        }
        _ => {
            let Some(map) = value.as_object() else {
                w.push(
                    rule::INVALID_PROFILE_OPERATION,
                    Severity::Error,
                    "an object of properties",
                    describe(value),
                );
                return;
            };
            for (name, v) in map {
                if let Some(slots) = counted.counters.get(name) {
                    counted.tally.operation(slots, op, v);
                }
                w.at(Segment::Key(name), |w| {
                    property_operation(fields, op, name, v, w)
                });
            }
        }
    }
}

fn property_operation(fields: &Fields, op: &str, name: &str, value: &Value, w: &mut Walk<'_>) {
    let Some(field) = fields.get(name) else {
        // Mixpanel's own profile properties (`$email`, and those the SDKs
        // set by themselves, such as `$initial_referrer`) are never reported.
        if mixpanel::has_reserved_prefix(name) {
            return;
        }
        let Some(severity) = fields.undeclared_severity() else {
            return;
        };
        w.push(
            rule::UNEXPECTED_PROPERTY,
            severity,
            "a property of the plan",
            describe(value),
        );
        return;
    };
    let check = &field.check;
    match op {
        "$set" | "$set_once" => w.value(check, value),
        "$add" => {
            if !matches!(check.ty, PropertyType::Integer | PropertyType::Number) {
                w.push(
                    rule::INVALID_PROFILE_OPERATION,
                    Severity::Error,
                    format!(
                        "$add only on numbers; `{name}` is a {}",
                        type_name(check.ty)
                    ),
                    describe(value),
                );
            } else if !fits(check.ty, value) {
                w.push(
                    rule::WRONG_TYPE,
                    Severity::Error,
                    type_name(check.ty),
                    describe(value),
                );
            }
        }
        "$union" => match (&check.items, value.as_array()) {
            (Some(items), Some(values)) => {
                for (i, item) in values.iter().enumerate() {
                    w.at(Segment::Index(i), |w| w.value(items, item));
                }
            }
            (Some(_), None) => w.push(
                rule::WRONG_TYPE,
                Severity::Error,
                "a list of values to add",
                describe(value),
            ),
            (None, _) => w.push(
                rule::INVALID_PROFILE_OPERATION,
                Severity::Error,
                format!(
                    "$union only on lists; `{name}` is a {}",
                    type_name(check.ty)
                ),
                describe(value),
            ),
        },
        // `$append` and `$remove` take one item of a list property.
        _ => match &check.items {
            Some(items) => w.value(items, value),
            None => w.push(
                rule::INVALID_PROFILE_OPERATION,
                Severity::Error,
                format!("{op} only on lists; `{name}` is a {}", type_name(check.ty)),
                describe(value),
            ),
        },
    }
}
