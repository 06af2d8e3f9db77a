//! `check`'s per-record rules for one plan, as data: what the generated
//! runtime validation (`validation.ts`) interprets, so that it finds what
//! `check` finds, with the same rule ids, paths and wording
//! (`docs/generate-typescript.md` says what it leaves to `check`).
//!
//! Patterns are given as ECMAScript sources with the same matches
//! ([`super::ecmascript`]); formats by name, for the validators the
//! template carries; events as a list of pairs, never as an object keyed
//! by name (an event named `__proto__` would set a literal's prototype).

use crate::rules::check as rule;
use serde::Serialize;
use serde_json::Value;

use super::wording::{self, bounds, type_name};
use crate::diagnostic::Severity;
use crate::export::jsonschema::DATETIME_PATTERN;
use crate::format::{AdditionalProperties, Format, PropertyType, Status};
use crate::plan::{PLAN_PROPERTY, Plan, Property, Schema};

/// The rules the runtime validation applies: every per-record rule of
/// `check` but Mixpanel's limits (warnings about what Mixpanel would
/// truncate) and `malformed-record` (it is given parsed properties).
pub const RULES: &[&crate::rules::Rule] = &[
    rule::UNPLANNED_EVENT,
    rule::RENAMED_EVENT,
    rule::DEPRECATED_EVENT,
    rule::PLANNED_EVENT,
    rule::MISSING_PROPERTY,
    rule::MISSING_SUPER_PROPERTY,
    rule::WRONG_TYPE,
    rule::NULL_VALUE,
    rule::NOT_IN_ENUM,
    rule::INVALID_FORMAT,
    rule::PATTERN_MISMATCH,
    rule::OUT_OF_RANGE,
    rule::INVALID_LENGTH,
    rule::INVALID_LIST_SIZE,
    rule::UNEXPECTED_PROPERTY,
    rule::ABSENT_PROPERTY,
    rule::NOT_IDENTIFIED,
    rule::MISSING_DISTINCT_ID,
];

/// Everything the runtime validation needs.
#[derive(Debug, Serialize)]
pub struct Rules {
    /// The plan's events, in plan order, as `[name, rules]` pairs.
    pub events: Vec<(String, EventRules)>,
    /// Properties the SDKs or Mixpanel add, or trackplan's helpers send,
    /// which are never unexpected on an event (besides any name starting
    /// with `$` or `mp_`).
    pub sdk_properties: Vec<&'static str>,
    /// Events the SDKs send by themselves, never unplanned.
    pub sdk_events: Vec<&'static str>,
    /// Old names of renamed events, as `[old name, expected]` pairs (the
    /// wording of `renamed-event`).
    pub renamed: Vec<(String, String)>,
    /// The user id property (`not-identified`).
    pub user_id: String,
    /// The anonymous id property (`missing-distinct-id`).
    pub anonymous_id: String,
    /// The fixed wording of violations.
    pub words: Words,
    /// The formats any property uses, for the template to include their
    /// validators and no others.
    pub formats: Vec<Format>,
}

/// Fixed phrases of violations.
#[derive(Debug, Serialize)]
pub struct Words {
    /// Where nothing was found.
    pub nothing: &'static str,
    /// `unplanned-event` expected.
    pub planned_event: &'static str,
    /// `planned-event` expected.
    pub active_event: &'static str,
    /// `unexpected-property` expected.
    pub declared_property: &'static str,
    /// `not-identified` expected.
    pub user_id_in: String,
    /// `missing-distinct-id` expected.
    pub any_id: String,
    /// `missing-distinct-id` found.
    pub no_ids: &'static str,
}

/// The rules of one event.
#[derive(Debug, Serialize)]
pub struct EventRules {
    /// `deprecated-event` expected, for a deprecated event.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deprecated: Option<String>,
    /// Whether it is only planned (`planned-event`).
    #[serde(skip_serializing_if = "is_false")]
    pub planned: bool,
    /// Whether it must carry the user id.
    #[serde(skip_serializing_if = "is_false")]
    pub identified: bool,
    /// The super properties, then its own.
    pub fields: FieldsRules,
}

/// Named properties: an event's or an object's.
#[derive(Debug, Serialize)]
pub struct FieldsRules {
    /// Each, in plan order.
    pub list: Vec<FieldRules>,
    /// The severity of an undeclared one; absent when allowed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub undeclared: Option<&'static str>,
    /// With variants: the case of the discriminator's value is checked
    /// instead of these fields.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cases: Option<Box<CasesRules>>,
}

/// Variants: each case's complete fields, as `check` compiles them.
#[derive(Debug, Serialize)]
pub struct CasesRules {
    /// The discriminator.
    pub by: String,
    /// The cases of the values that have one.
    pub cases: Vec<CaseRules>,
    /// The case of the other values and of a missing discriminator.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub default: Option<CaseRules>,
}

/// One case.
#[derive(Debug, Serialize)]
pub struct CaseRules {
    /// The discriminator's value; absent for the default case.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<Value>,
    /// Its fields, complete.
    pub fields: FieldsRules,
    /// Properties it must not carry.
    pub absent: Vec<String>,
    /// What `check` says it expects of an absent one.
    pub expected_absent: String,
}

/// One named property.
#[derive(Debug, Serialize)]
pub struct FieldRules {
    /// The name sent.
    pub name: String,
    /// Whether it must be present.
    #[serde(skip_serializing_if = "is_false")]
    pub required: bool,
    /// Whether it is a super property (`missing-super-property`).
    #[serde(rename = "super", skip_serializing_if = "is_false")]
    pub is_super: bool,
    /// Its value's rules.
    pub value: ValueRules,
}

/// The rules on one value, in the order `check` applies them.
#[derive(Debug, Serialize)]
pub struct ValueRules {
    /// The plan type.
    #[serde(rename = "type")]
    pub ty: PropertyType,
    /// The type as `check` names it.
    pub expected: &'static str,
    /// Whether `null` is accepted.
    #[serde(skip_serializing_if = "is_false")]
    pub nullable: bool,
    /// Allowed values.
    #[serde(rename = "enum", skip_serializing_if = "Option::is_none")]
    pub allowed: Option<Allowed>,
    /// String length, in code points.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub length: Option<Bounds>,
    /// The pattern, or the `datetime` form.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub regex: Option<Regex>,
    /// The format.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub format: Option<FormatRule>,
    /// Number range.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub range: Option<Bounds>,
    /// List size.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub size: Option<Bounds>,
    /// List items.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub items: Option<Box<ValueRules>>,
    /// Object fields.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fields: Option<FieldsRules>,
}

/// `enum`.
#[derive(Debug, Serialize)]
pub struct Allowed {
    /// The values.
    pub values: Vec<Value>,
    /// `one of ...`.
    pub expected: String,
}

/// Inclusive bounds.
#[derive(Debug, Serialize)]
pub struct Bounds {
    /// Lower bound.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min: Option<f64>,
    /// Upper bound.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max: Option<f64>,
    /// How `check` says them.
    pub expected: String,
}

/// A regular expression the string must match.
#[derive(Debug, Serialize)]
pub struct Regex {
    /// The ECMAScript source, for `new RegExp(source, "u")`.
    pub source: String,
    /// `pattern-mismatch`, or `invalid-format` for a `datetime`.
    pub rule: &'static crate::rules::Rule,
    /// What `check` says it expects.
    pub expected: String,
}

/// A format the string must have.
#[derive(Debug, Serialize)]
pub struct FormatRule {
    /// Its name.
    pub name: Format,
    /// What `check` says it expects.
    pub expected: String,
}

fn is_false(b: &bool) -> bool {
    !*b
}

impl Rules {
    /// The rules of `plan`, which loaded without errors.
    pub fn new(plan: &Plan) -> Self {
        let mut formats = Vec::new();
        let events = plan
            .events
            .iter()
            .map(|e| {
                let list = plan
                    .super_properties
                    .iter()
                    .map(|p| (p, true))
                    .chain(e.properties.iter().map(|p| (p, false)))
                    .map(|(p, is_super)| field(p, is_super, e.additional_properties, &mut formats))
                    .collect();
                let cases = e.variants.as_ref().map(|v| {
                    cases(
                        v,
                        &plan.super_properties,
                        &e.properties,
                        e.additional_properties,
                        &mut formats,
                    )
                });
                let rules = EventRules {
                    deprecated: (e.status == Status::Deprecated)
                        .then(|| wording::instead(e.replaced_by.as_deref())),
                    planned: e.status == Status::Planned,
                    identified: e.identified,
                    fields: FieldsRules {
                        list,
                        undeclared: undeclared(e.additional_properties),
                        cases,
                    },
                };
                (e.name.clone(), rules)
            })
            .collect();
        formats.sort_by_key(|f: &Format| f.as_str());
        formats.dedup();
        let mut sdk_properties: Vec<&'static str> = crate::mixpanel::DEFAULT_EVENT_PROPERTIES
            .iter()
            .chain(crate::mixpanel::CAMPAIGN_PROPERTIES)
            .copied()
            .filter(|name| !crate::mixpanel::has_reserved_prefix(name))
            .collect();
        sdk_properties.push(PLAN_PROPERTY);
        Self {
            events,
            sdk_properties,
            sdk_events: crate::mixpanel::SDK_EVENTS.to_vec(),
            renamed: plan
                .renamed_events()
                .into_iter()
                .map(|(old, new)| (old.to_owned(), wording::renamed_to(new)))
                .collect(),
            user_id: plan.identity.user_id.clone(),
            anonymous_id: plan.identity.anonymous_id.clone(),
            words: Words {
                nothing: wording::NOTHING,
                planned_event: wording::PLANNED_EVENT,
                active_event: wording::ACTIVE_EVENT,
                declared_property: wording::DECLARED_PROPERTY,
                user_id_in: wording::user_id_in(&plan.identity.user_id),
                any_id: wording::any_id(&plan.identity.anonymous_id, &plan.identity.user_id),
                no_ids: wording::NO_IDS,
            },
            formats,
        }
    }
}

fn undeclared(policy: AdditionalProperties) -> Option<&'static str> {
    match policy {
        AdditionalProperties::Allow => None,
        AdditionalProperties::Warn => Some(Severity::Warning.as_str()),
        AdditionalProperties::Deny => Some(Severity::Error.as_str()),
    }
}

fn field(
    property: &Property,
    is_super: bool,
    policy: AdditionalProperties,
    formats: &mut Vec<Format>,
) -> FieldRules {
    FieldRules {
        name: property.name.clone(),
        required: property.required,
        is_super,
        value: value(&property.schema, policy, formats),
    }
}

fn value(schema: &Schema, policy: AdditionalProperties, formats: &mut Vec<Format>) -> ValueRules {
    let bounds_of = |unit: &str, min: Option<f64>, max: Option<f64>| {
        (min.is_some() || max.is_some()).then(|| Bounds {
            min,
            max,
            expected: bounds(unit, min, max),
        })
    };
    let as_f64 = |v: Option<u64>| v.map(|v| v as f64);
    let text = matches!(schema.ty, PropertyType::String | PropertyType::Datetime);
    let regex = match (schema.ty, &schema.pattern) {
        (PropertyType::Datetime, _) => Some((
            DATETIME_PATTERN,
            rule::INVALID_FORMAT,
            wording::DATETIME.to_owned(),
        )),
        (PropertyType::String, Some(p)) => {
            Some((p.as_str(), rule::PATTERN_MISMATCH, wording::matching(p)))
        }
        _ => None,
    };
    let format = schema.format.filter(|_| text);
    formats.extend(format);
    ValueRules {
        ty: schema.ty,
        expected: type_name(schema.ty),
        nullable: schema.nullable,
        allowed: schema
            .allowed
            .as_ref()
            .filter(|_| !matches!(schema.ty, PropertyType::List | PropertyType::Object))
            .map(|values| Allowed {
                expected: wording::one_of(values),
                values: values.clone(),
            }),
        length: if text {
            bounds_of(
                "characters",
                as_f64(schema.min_length),
                as_f64(schema.max_length),
            )
        } else {
            None
        },
        // A pattern that does not translate never loads (plans with an
        // invalid pattern do not generate).
        regex: regex.and_then(|(pattern, rule, expected)| {
            super::ecmascript::translate(pattern)
                .ok()
                .map(|source| Regex {
                    source,
                    rule,
                    expected,
                })
        }),
        format: format.map(|f| FormatRule {
            name: f,
            expected: wording::in_format(f),
        }),
        range: if matches!(schema.ty, PropertyType::Integer | PropertyType::Number) {
            bounds_of("", schema.minimum, schema.maximum)
        } else {
            None
        },
        size: if schema.ty == PropertyType::List {
            bounds_of("items", as_f64(schema.min_items), as_f64(schema.max_items))
        } else {
            None
        },
        items: schema
            .items
            .as_ref()
            .filter(|_| schema.ty == PropertyType::List)
            .map(|i| Box::new(value(i, policy, formats))),
        fields: schema.has_fields().then(|| FieldsRules {
            list: schema
                .properties
                .iter()
                .map(|p| field(p, false, policy, formats))
                .collect(),
            undeclared: undeclared(policy),
            cases: schema
                .variants
                .as_ref()
                .map(|v| cases(v, &[], &schema.properties, policy, formats)),
        }),
    }
}

/// The rules of `variants` over the `base` properties (after `supers`, on
/// an event).
fn cases(
    variants: &crate::plan::Variants,
    supers: &[Property],
    base: &[Property],
    policy: AdditionalProperties,
    formats: &mut Vec<Format>,
) -> Box<CasesRules> {
    let mut compile = |case: &crate::plan::Case| CaseRules {
        value: case.value.clone(),
        fields: FieldsRules {
            list: supers
                .iter()
                .map(|p| (p, true))
                .chain(case.effective(base).into_iter().map(|p| (p, false)))
                .map(|(p, is_super)| field(p, is_super, policy, formats))
                .collect(),
            undeclared: undeclared(policy),
            cases: None,
        },
        absent: case.absent.clone(),
        expected_absent: wording::absent_in(&case.label(&variants.by)),
    };
    Box::new(CasesRules {
        by: variants.by.clone(),
        cases: variants
            .cases
            .iter()
            .filter(|c| c.value.is_some())
            .map(&mut compile)
            .collect(),
        default: variants.default.as_ref().map(&mut compile),
    })
}
