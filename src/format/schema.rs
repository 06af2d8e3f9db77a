//! The plan format's JSON Schema, made by schemars from the types in this
//! module, and the walker that finds the part of it describing any place in
//! a plan (so a diagnostic can list the valid field names there and show the
//! field's documentation as help).

use std::sync::LazyLock;

use serde_json::Value;

use super::PlanFile;
use crate::yaml::{Path, Segment};

static SCHEMA: LazyLock<Value> = LazyLock::new(|| {
    let mut schema = serde_json::to_value(schemars::schema_for!(PlanFile)).unwrap_or_default();
    drop_null(&mut schema);
    if let Some(root) = schema.as_object_mut() {
        root.insert(
            "$id".into(),
            Value::String("https://trackplan.dev/schemas/plan-1.json".into()),
        );
    }
    schema
});

/// Optional fields are "not required", never "may be null": a `null` where
/// a value is expected is a mistake worth reporting. Removes the `null`
/// that schemars adds to every `Option`.
fn drop_null(node: &mut Value) {
    match node {
        Value::Object(map) => {
            if let Some(Value::Array(types)) = map.get_mut("type") {
                types.retain(|t| t != "null");
                if types.len() == 1 {
                    let single = types.remove(0);
                    map.insert("type".into(), single);
                }
            }
            if let Some(Value::Array(branches)) = map.get_mut("anyOf") {
                branches.retain(|b| b.get("type").and_then(Value::as_str) != Some("null"));
                if branches.len() == 1 {
                    let Some(Value::Object(only)) = branches.pop() else {
                        return;
                    };
                    map.remove("anyOf");
                    for (k, v) in only {
                        map.entry(k).or_insert(v);
                    }
                }
            }
            map.values_mut().for_each(drop_null);
        }
        Value::Array(items) => items.iter_mut().for_each(drop_null),
        _ => {}
    }
}

/// The JSON Schema of a plan file (draft 2020-12).
pub fn plan_schema() -> &'static Value {
    &SCHEMA
}

/// The schema as committed in `trackplan.schema.json`: pretty-printed, with a
/// final newline.
pub fn plan_schema_text() -> String {
    let mut text = serde_json::to_string_pretty(plan_schema()).unwrap_or_default();
    text.push('\n');
    text
}

/// The subschema that describes the value at `path`, following `$ref`s,
/// `properties`, `additionalProperties`, `items` and `anyOf` branches.
pub fn subschema_at(path: &Path) -> Option<&'static Value> {
    let mut node = resolve(plan_schema())?;
    for segment in path.segments() {
        let next = match segment {
            Segment::Key(key) => node
                .get("properties")
                .and_then(|p| p.get(key))
                .or_else(|| node.get("additionalProperties").filter(|a| a.is_object()))
                .or_else(|| key.parse::<usize>().ok().and_then(|_| node.get("items"))),
            Segment::Index(_) => node.get("items"),
        }?;
        node = resolve(next)?;
    }
    Some(node)
}

/// The values a field at `path` allows, when it is an enumeration.
pub fn allowed_values_at(path: &Path) -> Vec<&'static str> {
    let Some(node) = subschema_at(path) else {
        return Vec::new();
    };
    if let Some(values) = node.get("enum").and_then(Value::as_array) {
        return values.iter().filter_map(Value::as_str).collect();
    }
    node.get("oneOf")
        .or_else(|| node.get("anyOf"))
        .and_then(Value::as_array)
        .map(|branches| {
            branches
                .iter()
                .filter_map(|b| b.get("const")?.as_str())
                .collect()
        })
        .unwrap_or_default()
}

/// The field names a mapping at `path` accepts.
pub fn field_names_at(path: &Path) -> Vec<&'static str> {
    subschema_at(path)
        .and_then(|s| s.get("properties"))
        .and_then(Value::as_object)
        .map(|props| props.keys().map(String::as_str).collect())
        .unwrap_or_default()
}

/// The documentation of the field at `path` (its doc comment in this module).
pub fn description_at(path: &Path) -> Option<&'static str> {
    let (parent, last) = path.split_last()?;
    let Segment::Key(key) = last else {
        return None;
    };
    let parent = subschema_at(&parent)?;
    let field = parent.get("properties")?.get(key)?;
    field
        .get("description")
        .or_else(|| resolve(field)?.get("description"))
        .and_then(Value::as_str)
        .map(|text| DESCRIPTIONS.get_or_init(text))
}

/// Doc comments arrive with their line breaks; help reads better as one
/// paragraph. Each description is flattened once and kept.
struct Flattened(std::sync::Mutex<std::collections::HashMap<&'static str, &'static str>>);

static DESCRIPTIONS: LazyLock<Flattened> = LazyLock::new(|| Flattened(Default::default()));

impl Flattened {
    fn get_or_init(&self, text: &'static str) -> &'static str {
        let Ok(mut map) = self.0.lock() else {
            return text;
        };
        map.entry(text).or_insert_with(|| {
            Box::leak(
                text.split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ")
                    .into_boxed_str(),
            )
        })
    }
}

/// Follows `$ref` and picks the non-null branch of `anyOf`/`oneOf`.
fn resolve(mut node: &'static Value) -> Option<&'static Value> {
    for _ in 0..16 {
        if let Some(reference) = node.get("$ref").and_then(Value::as_str) {
            let name = reference.strip_prefix("#/$defs/")?;
            node = plan_schema().get("$defs")?.get(name)?;
            continue;
        }
        let branches = node
            .get("anyOf")
            .or_else(|| node.get("oneOf"))
            .and_then(Value::as_array);
        // A choice of constants (an enum with documented values) is a leaf.
        if let Some(branches) = branches
            && !branches.iter().all(|b| b.get("const").is_some())
        {
            node = branches
                .iter()
                .find(|b| b.get("type").and_then(Value::as_str) != Some("null"))?;
            continue;
        }
        return Some(node);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_fields_of_nested_places() {
        let event = Path::keys(["events", "Login"]);
        assert!(field_names_at(&event).contains(&"identified"));
        let property = Path::keys(["events", "Login", "properties", "method"]);
        assert!(field_names_at(&property).contains(&"required"));
        let items = Path::keys(["user_properties", "x", "items"]);
        assert!(field_names_at(&items).contains(&"enum"));
        let nested = Path::keys(["events", "E", "properties", "o", "properties", "p"]);
        assert!(field_names_at(&nested).contains(&"min_length"));
    }

    #[test]
    fn descriptions_come_from_doc_comments() {
        let path = Path::keys(["events", "Login", "identified"]);
        assert!(
            description_at(&path)
                .unwrap()
                .starts_with("Whether the event must carry")
        );
    }
}
