//! The plan as JSON Schema (draft 2020-12): one schema per event, for the
//! whole record as Mixpanel receives it (`{"event", "properties"}`), plus one
//! for profile updates and one per group.
//!
//! `trackplan check` gives the same verdicts as these schemas on every
//! record (a test runs both over the whole corpus); users can run them in
//! any validator. What JSON Schema cannot say (warnings for undeclared
//! properties under the default `warn` policy, identity across a stream,
//! Mixpanel's limits) is checked by `check` alone; see `docs/check.md`.

use std::collections::{HashMap, HashSet};

use serde_json::{Map, Value, json};

use crate::format::{AdditionalProperties, PropertyType};
use crate::mixpanel;
use crate::naming::{IdentCase, IdentRules, Namespaces};
use crate::plan::{Event, Plan, Property, Schema};

/// The dialect of every exported schema.
pub const DIALECT: &str = "https://json-schema.org/draft/2020-12/schema";

/// The pattern of a `datetime` value: ISO 8601 date and time, seconds and
/// fraction optional, time zone optional (Mixpanel's own form has none).
pub const DATETIME_PATTERN: &str = r"^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d+)?)?(Z|[+-]([01]\d|2[0-3]):?[0-5]\d)?$";

/// Where each event's and group's schema goes under `--out` (and its
/// `$id`), named by the naming authority: the name's words in kebab case
/// (`page-viewed`), a number after a name already taken (`a/b`, `a-b` and
/// `A B` give `a-b`, `a-b-2`, `a-b-3`), and a name longer than
/// [`FILE_STEM_CHARS`] cut to its first words and a hash of the whole name,
/// so no file overwrites another and none is too long for a file system.
#[derive(Debug, Default)]
pub struct SchemaFiles {
    events: HashMap<String, String>,
    groups: HashMap<String, String>,
}

/// The most characters of a schema's file name before `.json`.
pub const FILE_STEM_CHARS: usize = 80;

impl SchemaFiles {
    /// The file names of `plan`'s schemas.
    pub fn new(plan: &Plan) -> Self {
        let stems = |names: Vec<&str>| -> HashMap<String, String> {
            let mut namespaces = Namespaces::default();
            let scope = namespaces.add(std::sync::Arc::new(HashSet::new()));
            let rules = IdentRules {
                case: IdentCase::Kebab,
                leading_digit: String::new(),
                reserved_suffix: "-".to_owned(),
                max_length: None,
            };
            names
                .into_iter()
                .map(|name| {
                    let mut words = crate::naming::words(name);
                    if crate::naming::join(&words, IdentCase::Kebab).len() > FILE_STEM_CHARS - 9 {
                        let mut kept = Vec::new();
                        for word in words {
                            kept.push(word);
                            if crate::naming::join(&kept, IdentCase::Kebab).len()
                                > FILE_STEM_CHARS - 18
                            {
                                kept.pop();
                                break;
                            }
                        }
                        if kept.is_empty() {
                            kept.push("x".to_owned());
                        }
                        kept.push(format!("{:08x}", fnv1a(name)));
                        words = kept;
                    }
                    let stem = namespaces
                        .allocate(&[scope], &[], &words, &[], &rules, ())
                        .name;
                    (name.to_owned(), stem)
                })
                .collect()
        };
        Self {
            events: stems(plan.events.iter().map(|e| e.name.as_str()).collect()),
            groups: stems(plan.groups.iter().map(|g| g.name.as_str()).collect()),
        }
    }

    /// `events/<stem>.json` for the event `name`.
    pub fn event(&self, name: &str) -> String {
        format!(
            "events/{}.json",
            self.events.get(name).map_or("_", String::as_str)
        )
    }

    /// `groups/<stem>.json` for the group `name`.
    pub fn group(&self, name: &str) -> String {
        format!(
            "groups/{}.json",
            self.groups.get(name).map_or("_", String::as_str)
        )
    }
}

/// A stable 32-bit hash (FNV-1a) for shortened file names.
fn fnv1a(text: &str) -> u32 {
    text.bytes().fold(0x811c_9dc5_u32, |hash, byte| {
        (hash ^ u32::from(byte)).wrapping_mul(0x0100_0193)
    })
}

/// The schema of one event's records.
pub fn event_schema(plan: &Plan, event: &Event) -> Value {
    event_schema_in(plan, event, &SchemaFiles::new(plan))
}

fn event_schema_in(plan: &Plan, event: &Event, files: &SchemaFiles) -> Value {
    let declared: Vec<&Property> = plan
        .super_properties
        .iter()
        .chain(&event.properties)
        .collect();
    let mut properties = match &event.variants {
        None => object_schema(&declared, event.additional_properties, true),
        Some(variants) => cases_schema(
            &plan.super_properties,
            &event.properties,
            variants,
            event.additional_properties,
            true,
        ),
    };
    if let Value::Object(map) = &mut properties
        && event.variants.is_some()
    {
        // The cases are alternatives under `if`/`then`/`else`; what every
        // case has besides goes beside them.
        let cases = std::mem::take(map);
        map.insert("type".into(), json!("object"));
        map.insert("allOf".into(), json!([Value::Object(cases)]));
    }
    if let Value::Object(map) = &mut properties {
        map.insert(
            "description".into(),
            json!("The event's properties, as sent."),
        );
        if event.identified {
            // An identified event carries the user id: a non-empty string or a number.
            let user_id = &plan.identity.user_id;
            if let Some(Value::Object(props)) = map.get_mut("properties") {
                props.entry(user_id.clone()).or_insert(json!({
                    "description": "The user id: this event is sent only after login.",
                    "type": ["string", "number"],
                    "minLength": 1
                }));
            }
            match map.get_mut("required") {
                Some(Value::Array(required)) => {
                    if !required.contains(&json!(user_id)) {
                        required.push(json!(user_id));
                    }
                }
                _ => {
                    map.insert("required".into(), json!([user_id]));
                }
            }
        }
    }
    let mut schema = Map::new();
    schema.insert("$schema".into(), json!(DIALECT));
    schema.insert(
        "$id".into(),
        json!(format!("{}/{}", id_base(plan), files.event(&event.name))),
    );
    schema.insert("title".into(), json!(event.name));
    if let Some(d) = &event.description {
        schema.insert("description".into(), json!(d));
    }
    if event.status == crate::format::Status::Deprecated {
        schema.insert("deprecated".into(), json!(true));
    }
    schema.insert("type".into(), json!("object"));
    schema.insert("required".into(), json!(["event", "properties"]));
    schema.insert(
        "properties".into(),
        json!({"event": {"const": event.name}, "properties": properties}),
    );
    Value::Object(schema)
}

/// The schema of a user profile update: each operation's object holds user
/// properties (`$set`, `$set_once`), numbers (`$add`), lists (`$union`),
/// single list items (`$append`, `$remove`) or names (`$unset`).
pub fn profile_schema(plan: &Plan) -> Value {
    let mut schema = updates_schema(&plan.user_properties, plan.additional_properties, true);
    schema.insert("$schema".into(), json!(DIALECT));
    schema.insert(
        "$id".into(),
        json!(format!("{}/profile.json", id_base(plan))),
    );
    schema.insert("title".into(), json!("User profile update"));
    schema.insert("required".into(), json!(["$distinct_id"]));
    Value::Object(schema)
}

/// The schema of one group type's updates.
pub fn group_schema(plan: &Plan, group: &crate::plan::Group) -> Value {
    group_schema_in(plan, group, &SchemaFiles::new(plan))
}

fn group_schema_in(plan: &Plan, group: &crate::plan::Group, files: &SchemaFiles) -> Value {
    let mut schema = updates_schema(&group.properties, plan.additional_properties, false);
    schema.insert("$schema".into(), json!(DIALECT));
    schema.insert(
        "$id".into(),
        json!(format!("{}/{}", id_base(plan), files.group(&group.name))),
    );
    schema.insert(
        "title".into(),
        json!(format!("Group update: {}", group.name)),
    );
    if let Some(d) = &group.description {
        schema.insert("description".into(), json!(d));
    }
    schema.insert("required".into(), json!(["$group_key", "$group_id"]));
    if let Some(Value::Object(props)) = schema.get_mut("properties") {
        props.insert("$group_key".into(), json!({"const": group.name}));
    }
    Value::Object(schema)
}

fn updates_schema(
    properties: &[Property],
    policy: AdditionalProperties,
    is_profile: bool,
) -> Map<String, Value> {
    let all: Vec<&Property> = properties.iter().collect();
    let optional: Vec<Property> = properties
        .iter()
        .map(|p| Property {
            required: false,
            ..p.clone()
        })
        .collect();
    let optional: Vec<&Property> = optional.iter().collect();
    let set = object_schema(&optional, policy, false);
    let pick = |keep: &dyn Fn(&Property) -> Option<Value>| {
        let props: Map<String, Value> = all
            .iter()
            .filter_map(|p| keep(p).map(|s| (p.name.clone(), s)))
            .collect();
        let mut out = json!({"type": "object", "properties": props});
        if policy == AdditionalProperties::Deny {
            out["additionalProperties"] = json!(false);
        }
        out
    };
    let numbers = pick(&|p| {
        matches!(p.schema.ty, PropertyType::Integer | PropertyType::Number)
            .then(|| json!({"type": "number"}))
    });
    let lists = pick(&|p| {
        p.schema
            .items
            .as_ref()
            .map(|i| json!({"type": "array", "items": value_schema(i, policy)}))
    });
    let items = pick(&|p| p.schema.items.as_ref().map(|i| value_schema(i, policy)));
    let mut ops = Map::new();
    ops.insert("$distinct_id".into(), json!({"type": ["string", "number"]}));
    ops.insert("$group_id".into(), json!({"type": ["string", "number"]}));
    ops.insert("$set".into(), set.clone());
    ops.insert("$set_once".into(), set);
    if is_profile {
        ops.insert("$add".into(), numbers);
        ops.insert("$append".into(), items.clone());
    }
    ops.insert("$union".into(), lists);
    ops.insert("$remove".into(), items);
    ops.insert(
        "$unset".into(),
        json!({"type": "array", "items": {"type": "string"}}),
    );
    ops.insert("$delete".into(), json!({}));
    if !is_profile {
        ops.remove("$distinct_id");
    } else {
        ops.remove("$group_id");
    }
    let mut schema = Map::new();
    schema.insert("type".into(), json!("object"));
    schema.insert("properties".into(), Value::Object(ops));
    schema
}

/// Every schema of the plan, by file name (see [`SchemaFiles`]):
/// `events/<name>.json`, `profile.json`, `groups/<name>.json`, and
/// `index.json` saying which file holds which event and group.
pub fn all_schemas(plan: &Plan) -> Vec<(String, Value)> {
    let files = SchemaFiles::new(plan);
    let mut out: Vec<(String, Value)> = plan
        .events
        .iter()
        .map(|e| (files.event(&e.name), event_schema_in(plan, e, &files)))
        .collect();
    out.push(("profile.json".into(), profile_schema(plan)));
    let mut index = Map::new();
    index.insert(
        "events".into(),
        plan.events
            .iter()
            .map(|e| (e.name.clone(), json!(files.event(&e.name))))
            .collect::<Map<_, _>>()
            .into(),
    );
    index.insert("profile".into(), json!("profile.json"));
    index.insert(
        "groups".into(),
        plan.groups
            .iter()
            .map(|g| (g.name.clone(), json!(files.group(&g.name))))
            .collect::<Map<_, _>>()
            .into(),
    );
    for g in &plan.groups {
        out.push((files.group(&g.name), group_schema_in(plan, g, &files)));
    }
    // Which file holds which name, since names are not file names.
    out.push(("index.json".into(), Value::Object(index)));
    out
}

/// One document holding every schema: `{"events": {name: schema},
/// "profile": schema, "groups": {key: schema}}`.
pub fn bundle(plan: &Plan) -> Value {
    let files = SchemaFiles::new(plan);
    let events: Map<String, Value> = plan
        .events
        .iter()
        .map(|e| (e.name.clone(), event_schema_in(plan, e, &files)))
        .collect();
    let groups: Map<String, Value> = plan
        .groups
        .iter()
        .map(|g| (g.name.clone(), group_schema_in(plan, g, &files)))
        .collect();
    json!({
        "plan": plan.name,
        "version": plan.version,
        "events": events,
        "profile": profile_schema(plan),
        "groups": groups,
    })
}

/// The JSON Schema `type` of a plan type.
pub fn json_type(ty: PropertyType) -> &'static str {
    match ty {
        PropertyType::String | PropertyType::Datetime => "string",
        PropertyType::Integer => "integer",
        PropertyType::Number => "number",
        PropertyType::Boolean => "boolean",
        PropertyType::List => "array",
        PropertyType::Object => "object",
    }
}

/// The schema of one property value.
pub fn value_schema(schema: &Schema, policy: AdditionalProperties) -> Value {
    let mut out = Map::new();
    let ty = json_type(schema.ty);
    out.insert(
        "type".into(),
        if schema.nullable {
            json!([ty, "null"])
        } else {
            json!(ty)
        },
    );
    if let Some(values) = &schema.allowed {
        let mut values = values.clone();
        if schema.nullable && !values.contains(&Value::Null) {
            values.push(Value::Null);
        }
        out.insert("enum".into(), Value::Array(values));
    }
    if schema.ty == PropertyType::Datetime {
        out.insert("pattern".into(), json!(DATETIME_PATTERN));
    }
    if let Some(format) = schema.format {
        out.insert("format".into(), json!(format.as_str()));
    }
    if let Some(p) = &schema.pattern {
        // JSON Schema patterns are unanchored, like Rust's `is_match`.
        out.insert("pattern".into(), json!(p));
    }
    let mut number = |key: &str, v: Option<f64>| {
        if let Some(v) = v {
            out.insert(key.into(), number_value(v));
        }
    };
    number("minimum", schema.minimum);
    number("maximum", schema.maximum);
    let mut count = |key: &str, v: Option<u64>| {
        if let Some(v) = v {
            out.insert(key.into(), json!(v));
        }
    };
    count("minLength", schema.min_length);
    count("maxLength", schema.max_length);
    count("minItems", schema.min_items);
    count("maxItems", schema.max_items);
    if let Some(items) = &schema.items {
        out.insert("items".into(), value_schema(items, policy));
    }
    if schema.ty == PropertyType::Object && !schema.properties.is_empty() {
        let fields: Vec<&Property> = schema.properties.iter().collect();
        let object = match &schema.variants {
            None => object_schema(&fields, policy, false),
            Some(variants) => cases_schema(&[], &schema.properties, variants, policy, false),
        };
        if let Value::Object(object) = object {
            for (k, v) in object {
                if k != "type" {
                    out.insert(k, v);
                }
            }
        }
    }
    Value::Object(out)
}

/// The properties of an object with variants, as `if`/`then`/`else` over
/// the discriminator's values: each case's complete fields (`supers`, then
/// the `base` ones as the case has them), a property the case lists as
/// absent as `false`; the default case (else the base) last.
fn cases_schema(
    supers: &[Property],
    base: &[Property],
    variants: &crate::plan::Variants,
    policy: AdditionalProperties,
    event_level: bool,
) -> Value {
    let complete = |case: Option<&crate::plan::Case>| {
        let fields: Vec<&Property> = supers
            .iter()
            .chain(case.map_or_else(|| base.iter().collect(), |c| c.effective(base)))
            .collect();
        let mut schema = object_schema(&fields, policy, event_level);
        if let (Some(case), Some(Value::Object(properties))) = (case, schema.get_mut("properties"))
        {
            for name in &case.absent {
                properties.insert(name.clone(), Value::Bool(false));
            }
        }
        schema
    };
    let by = &variants.by;
    let mut out = complete(variants.default.as_ref());
    for case in variants.cases.iter().rev() {
        let Some(value) = &case.value else {
            continue;
        };
        out = json!({
            "if": {"properties": {by: {"const": value}}, "required": [by]},
            "then": complete(Some(case)),
            "else": out,
        });
    }
    out
}

/// Properties of an object: declared ones with their schemas, `required`,
/// and what else is allowed. At the top of an event, Mixpanel's own
/// properties are always allowed.
fn object_schema(declared: &[&Property], policy: AdditionalProperties, event_level: bool) -> Value {
    let mut properties = Map::new();
    let mut required = Vec::new();
    for p in declared {
        let mut schema = value_schema(&p.schema, policy);
        if let (Some(d), Value::Object(map)) = (&p.description, &mut schema) {
            map.insert("description".into(), json!(d));
        }
        properties.insert(p.name.clone(), schema);
        if p.required {
            required.push(json!(p.name));
        }
    }
    let mut out = Map::new();
    out.insert("type".into(), json!("object"));
    if policy == AdditionalProperties::Deny && event_level {
        for name in mixpanel::CAMPAIGN_PROPERTIES
            .iter()
            .chain(mixpanel::DEFAULT_EVENT_PROPERTIES)
        {
            properties.entry(name.to_string()).or_insert(json!({}));
        }
        out.insert("patternProperties".into(), json!({"^(\\$|mp_)": {}}));
    }
    out.insert("properties".into(), Value::Object(properties));
    if !required.is_empty() {
        out.insert("required".into(), Value::Array(required));
    }
    if policy == AdditionalProperties::Deny {
        out.insert("additionalProperties".into(), json!(false));
    }
    Value::Object(out)
}

fn number_value(v: f64) -> Value {
    if v.fract() == 0.0 && v.abs() < 9.0e15 {
        json!(v as i64)
    } else {
        json!(v)
    }
}

fn id_base(plan: &Plan) -> String {
    format!(
        "https://trackplan.dev/plans/{}/{}",
        crate::naming::join(&crate::naming::words(&plan.name), IdentCase::Kebab),
        plan.version
    )
}
