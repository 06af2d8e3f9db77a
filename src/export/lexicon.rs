//! The plan as Mixpanel Lexicon schemas, and back.
//!
//! Export: the body of Lexicon's schema upload (`{"entries": [...],
//! "truncate": false}`): one entry per event (`entityType: "event"`, its
//! properties and the super properties) and one for user profiles
//! (`entityType: "profile"`, name `$user`). Each `schemaJson` is JSON Schema
//! draft 7 with `description`, `properties` (`type`, `description`,
//! `examples`), `required`, `additionalProperties` and `metadata.com.mixpanel`
//! (`displayName`, `tags`, `hidden`, `dropped`, `teamContacts`).
//!
//! Import: such a document (or the list Lexicon's API returns, under
//! `results`, or a bare list of entries) turned into a plan file.

use indexmap::IndexMap;
use serde_json::{Map, Value, json};

use crate::format::{
    AdditionalProperties, EventSpec, Format, PlanFile, PropertySpec, PropertyType, Status,
};
use crate::plan::{Event, Plan, Property, Schema};

/// The upload body for Lexicon's schemas API.
pub fn export(plan: &Plan) -> Value {
    let mut entries: Vec<Value> = plan.events.iter().map(|e| event_entry(plan, e)).collect();
    if !plan.user_properties.is_empty() {
        entries.push(json!({
            "entityType": "profile",
            "name": "$user",
            "schemaJson": object_schema(None, &plan.user_properties, true, metadata("User", &[], false, None)),
        }));
    }
    json!({"entries": entries, "truncate": false})
}

fn event_entry(plan: &Plan, event: &Event) -> Value {
    let properties: Vec<Property> = plan
        .super_properties
        .iter()
        .cloned()
        .chain(flattened(event))
        .collect();
    let hidden = event.status != Status::Active;
    let mut description = event.description.clone().unwrap_or_default();
    if let Some(r) = &event.replaced_by {
        description = format!("{description} Deprecated: send \"{r}\" instead.")
            .trim()
            .to_owned();
    }
    let meta = metadata(&event.name, &event.tags, hidden, event.owner.as_deref());
    json!({
        "entityType": "event",
        "name": event.name,
        "schemaJson": object_schema(Some(description).filter(|d| !d.is_empty()), &properties, event.additional_properties != AdditionalProperties::Deny, meta),
    })
}

/// An event's properties as one flat list, which is all Lexicon holds:
/// with variants, every property any case may carry (the base ones in
/// their order and as the base defines them, then the cases' own), required
/// only when every value requires it, and described with the values that
/// have it when not all do. Lost: which case has which, per-case
/// requiredness and constraints, and `absent` (README, "export mixpanel").
fn flattened(event: &Event) -> Vec<Property> {
    let Some(variants) = &event.variants else {
        return event.properties.clone();
    };
    let members = variants.members(&event.properties);
    let carried_by = |name: &str| -> Vec<&crate::plan::Member> {
        members
            .iter()
            .filter(|m| m.properties.iter().any(|q| q.name == name))
            .collect()
    };
    let mut out: Vec<Property> = Vec::new();
    let base = event
        .properties
        .iter()
        .filter(|p| p.name == variants.by || !carried_by(&p.name).is_empty());
    for p in base.chain(members.iter().flat_map(|m| &m.properties)) {
        if !out.iter().any(|o| o.name == p.name) {
            out.push(p.clone());
        }
    }
    for p in out.iter_mut().filter(|p| p.name != variants.by) {
        let having = carried_by(&p.name);
        p.required = members
            .iter()
            .all(|m| m.properties.iter().any(|q| q.name == p.name && q.required));
        if having.len() < members.len() {
            let values: Vec<String> = having
                .iter()
                .flat_map(|m| &m.values)
                .map(|v| match v {
                    Value::String(s) => s.clone(),
                    other => other.to_string(),
                })
                .collect();
            let when = format!("Only when `{}` is {}.", variants.by, either(&values));
            p.description = Some(match &p.description {
                Some(d) => format!("{d} {when}"),
                None => when,
            });
        }
    }
    out
}

/// `a`, `a or b`, `a, b or c`.
fn either(values: &[String]) -> String {
    match values {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} or {last}", rest.join(", ")),
    }
}

fn metadata(name: &str, tags: &[String], hidden: bool, owner: Option<&str>) -> Value {
    let mut m = json!({"displayName": name, "tags": tags, "hidden": hidden, "dropped": false});
    if let Some(owner) = owner {
        m["teamContacts"] = json!([owner]);
    }
    json!({"com.mixpanel": m})
}

fn object_schema(
    description: Option<String>,
    properties: &[Property],
    additional: bool,
    metadata: Value,
) -> Value {
    let mut props = Map::new();
    let mut required = Vec::new();
    for p in properties {
        let mut schema = value_schema(&p.schema);
        if let Some(d) = &p.description {
            schema["description"] = json!(d);
        }
        if !p.schema.examples.is_empty() {
            schema["examples"] = json!(p.schema.examples);
        }
        props.insert(p.name.clone(), schema);
        if p.required {
            required.push(json!(p.name));
        }
    }
    let mut out = json!({
        "$schema": "http://json-schema.org/draft-07/schema",
        "type": "object",
        "properties": props,
        "required": required,
        "additionalProperties": additional,
        "metadata": metadata,
    });
    if let Some(d) = description {
        out["description"] = json!(d);
    }
    out
}

fn value_schema(schema: &Schema) -> Value {
    let ty = super::jsonschema::json_type(schema.ty);
    let mut out = json!({"type": if schema.nullable { json!([ty, "null"]) } else { json!(ty) }});
    if schema.ty == PropertyType::Datetime {
        out["format"] = json!("date-time");
    } else if let Some(f) = schema.format {
        out["format"] = json!(f.as_str());
    }
    if let Some(values) = &schema.allowed {
        out["enum"] = json!(values);
    }
    let bounds = [
        ("pattern", schema.pattern.as_ref().map(|p| json!(p))),
        ("minimum", schema.minimum.map(|v| json!(v))),
        ("maximum", schema.maximum.map(|v| json!(v))),
        ("minLength", schema.min_length.map(|v| json!(v))),
        ("maxLength", schema.max_length.map(|v| json!(v))),
        ("minItems", schema.min_items.map(|v| json!(v))),
        ("maxItems", schema.max_items.map(|v| json!(v))),
    ];
    for (key, value) in bounds {
        if let Some(value) = value {
            out[key] = value;
        }
    }
    if let Some(items) = &schema.items {
        out["items"] = value_schema(items);
    }
    if !schema.properties.is_empty() {
        let fields: Map<String, Value> = schema
            .properties
            .iter()
            .map(|p| (p.name.clone(), value_schema(&p.schema)))
            .collect();
        out["properties"] = Value::Object(fields);
        let required: Vec<&str> = schema
            .properties
            .iter()
            .filter(|p| p.required)
            .map(|p| p.name.as_str())
            .collect();
        out["required"] = json!(required);
    }
    out
}

/// Why a Lexicon document could not be imported.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct ImportError(String);

/// A plan file from a Lexicon schemas document.
pub fn import(document: &Value, name: &str) -> Result<PlanFile, ImportError> {
    let entries = document
        .get("entries")
        .or_else(|| document.get("results"))
        .unwrap_or(document)
        .as_array()
        .ok_or_else(|| {
            ImportError("expected a list of Lexicon entries (under `entries` or `results`)".into())
        })?;
    let mut plan = PlanFile {
        trackplan: 1,
        name: Some(name.to_owned()),
        version: Some("0.1.0".to_owned()),
        description: Some("Imported from Mixpanel Lexicon schemas.".to_owned()),
        ..PlanFile::default()
    };
    for (i, entry) in entries.iter().enumerate() {
        let kind = entry
            .get("entityType")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let entry_name = entry
            .get("name")
            .and_then(Value::as_str)
            .ok_or_else(|| ImportError(format!("entry {i} has no `name`")))?;
        let schema = entry
            .get("schemaJson")
            .cloned()
            .unwrap_or_else(|| json!({}));
        let (properties, required) = properties_of(&schema);
        match kind {
            "event" => {
                let meta = &schema["metadata"]["com.mixpanel"];
                let spec = EventSpec {
                    description: schema
                        .get("description")
                        .and_then(Value::as_str)
                        .map(str::to_owned),
                    owner: meta["teamContacts"]
                        .get(0)
                        .and_then(Value::as_str)
                        .map(str::to_owned),
                    tags: meta["tags"]
                        .as_array()
                        .map(|t| {
                            t.iter()
                                .filter_map(Value::as_str)
                                .map(str::to_owned)
                                .collect()
                        })
                        .unwrap_or_default(),
                    status: if meta["hidden"] == json!(true) {
                        Status::Planned
                    } else {
                        Status::Active
                    },
                    additional_properties: (schema.get("additionalProperties")
                        == Some(&json!(false)))
                    .then_some(AdditionalProperties::Deny),
                    properties: with_required(properties, &required, true),
                    ..EventSpec::default()
                };
                plan.events.insert(entry_name.to_owned(), spec);
            }
            "profile" => plan
                .user_properties
                .extend(with_required(properties, &required, false)),
            other => {
                return Err(ImportError(format!(
                    "entry {i} (`{entry_name}`): entity type `{other}` is not imported (only event and profile)"
                )));
            }
        }
    }
    Ok(plan)
}

fn properties_of(schema: &Value) -> (IndexMap<String, PropertySpec>, Vec<String>) {
    let properties = schema
        .get("properties")
        .and_then(Value::as_object)
        .map(|m| m.iter().map(|(k, v)| (k.clone(), property(v))).collect())
        .unwrap_or_default();
    let required = schema
        .get("required")
        .and_then(Value::as_array)
        .map(|r| {
            r.iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default();
    (properties, required)
}

/// Sets `required` where it differs from the section's default.
fn with_required(
    mut properties: IndexMap<String, PropertySpec>,
    required: &[String],
    default: bool,
) -> IndexMap<String, PropertySpec> {
    for (name, spec) in properties.iter_mut() {
        let is_required = required.iter().any(|r| r == name);
        if is_required != default {
            spec.required = Some(is_required);
        }
    }
    properties
}

fn property(schema: &Value) -> PropertySpec {
    let types: Vec<&str> = match schema.get("type") {
        Some(Value::String(t)) => vec![t.as_str()],
        Some(Value::Array(ts)) => ts.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    };
    let nullable = types.contains(&"null");
    let format = schema.get("format").and_then(Value::as_str);
    let ty = match types.iter().find(|t| **t != "null").copied() {
        Some("string") if format == Some("date-time") => PropertyType::Datetime,
        Some("integer") => PropertyType::Integer,
        Some("number") => PropertyType::Number,
        Some("boolean") => PropertyType::Boolean,
        Some("array") => PropertyType::List,
        Some("object") => PropertyType::Object,
        _ => PropertyType::String,
    };
    let (fields, field_required) = properties_of(schema);
    PropertySpec {
        ty: Some(ty),
        description: schema
            .get("description")
            .and_then(Value::as_str)
            .map(str::to_owned),
        nullable: nullable.then_some(true),
        allowed: schema.get("enum").and_then(Value::as_array).cloned(),
        format: match (ty, format) {
            (PropertyType::String, Some(f)) => serde_json::from_value::<Format>(json!(f)).ok(),
            _ => None,
        },
        items: (ty == PropertyType::List).then(|| {
            Box::new(schema.get("items").map_or_else(
                || PropertySpec {
                    ty: Some(PropertyType::String),
                    ..PropertySpec::default()
                },
                property,
            ))
        }),
        properties: (ty == PropertyType::Object && !fields.is_empty())
            .then(|| with_required(fields, &field_required, true)),
        examples: schema
            .get("examples")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default(),
        pattern: schema
            .get("pattern")
            .and_then(Value::as_str)
            .map(str::to_owned),
        minimum: schema.get("minimum").and_then(Value::as_f64),
        maximum: schema.get("maximum").and_then(Value::as_f64),
        min_length: schema.get("minLength").and_then(Value::as_u64),
        max_length: schema.get("maxLength").and_then(Value::as_u64),
        min_items: schema.get("minItems").and_then(Value::as_u64),
        max_items: schema.get("maxItems").and_then(Value::as_u64),
        ..PropertySpec::default()
    }
}

/// A plan file as YAML, with the editor schema line first.
pub fn to_yaml(plan: &PlanFile) -> String {
    let body = serde_yaml::to_string(plan).unwrap_or_default();
    format!("# yaml-language-server: $schema=trackplan.schema.json\n{body}")
}
