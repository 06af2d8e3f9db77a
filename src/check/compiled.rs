//! The plan compiled for checking: lookups by name, regexes and format
//! checkers built once, shared by every worker thread.

use std::collections::HashMap;
use std::sync::Arc;

use regex::Regex;
use rustc_hash::FxHashMap;
use serde_json::Value;

use crate::export::jsonschema::DATETIME_PATTERN;
use crate::format::{AdditionalProperties, Format, PropertyType, Status};
use crate::plan::{Plan, Property, Schema};

/// A value's schema, ready to check.
#[derive(Debug)]
pub struct Check {
    /// The plan type.
    pub ty: PropertyType,
    /// Whether `null` is accepted.
    pub nullable: bool,
    /// Allowed values.
    pub allowed: Option<Vec<Value>>,
    /// Format, with its checker.
    pub format: Option<(Format, jsonschema::Validator)>,
    /// Pattern as written and compiled.
    pub pattern: Option<(String, Regex)>,
    /// Inclusive bounds.
    pub minimum: Option<f64>,
    /// Inclusive bounds.
    pub maximum: Option<f64>,
    /// String length bounds, in characters.
    pub min_length: Option<u64>,
    /// String length bounds, in characters.
    pub max_length: Option<u64>,
    /// List item schema.
    pub items: Option<Box<Check>>,
    /// List size bounds.
    pub min_items: Option<u64>,
    /// List size bounds.
    pub max_items: Option<u64>,
    /// Object fields.
    pub fields: Option<Fields>,
}

/// Named properties: an event's, an object's, the user profile's.
#[derive(Debug, Default)]
pub struct Fields {
    /// Each field, in plan order.
    pub list: Vec<Field>,
    /// Index into `list` by name.
    pub by_name: rustc_hash::FxHashMap<String, usize>,
    /// What to do with undeclared fields.
    pub policy: AdditionalProperties,
}

/// One named property.
#[derive(Debug)]
pub struct Field {
    /// The name sent.
    pub name: String,
    /// Whether it must be present.
    pub required: bool,
    /// Whether it is a super property (reported as such when missing).
    pub is_super: bool,
    /// Its schema.
    pub check: Check,
}

/// An event, compiled.
#[derive(Debug)]
pub struct EventCheck {
    /// Its name, shared by every verdict about it.
    pub name: Arc<str>,
    /// Lifecycle.
    pub status: Status,
    /// Successor.
    pub replaced_by: Option<String>,
    /// Must carry the user id.
    pub identified: bool,
    /// Super properties then the event's own.
    pub fields: Fields,
}

/// A group type, compiled.
#[derive(Debug)]
pub struct GroupCheck {
    /// Its properties.
    pub fields: Fields,
}

/// The whole plan, compiled.
#[derive(Debug)]
pub struct CompiledPlan {
    /// Events by name.
    pub events: FxHashMap<String, EventCheck>,
    /// User properties.
    pub user: Fields,
    /// Groups by key.
    pub groups: FxHashMap<String, GroupCheck>,
    /// Old names of renamed events, with their new names.
    pub renamed: FxHashMap<String, String>,
    /// The identity properties.
    pub anonymous_id: String,
    /// The identity properties.
    pub user_id: String,
}

impl CompiledPlan {
    /// Compiles `plan`, which must have loaded without errors.
    pub fn new(plan: &Plan) -> Arc<Self> {
        let mut formats = FormatCache::default();
        let events = plan
            .events
            .iter()
            .map(|e| {
                let mut fields = Fields {
                    policy: e.additional_properties,
                    ..Fields::default()
                };
                for p in &plan.super_properties {
                    fields.push(p, true, &mut formats);
                }
                for p in &e.properties {
                    fields.push(p, false, &mut formats);
                }
                let check = EventCheck {
                    name: Arc::from(e.name.as_str()),
                    status: e.status,
                    replaced_by: e.replaced_by.clone(),
                    identified: e.identified,
                    fields,
                };
                (e.name.clone(), check)
            })
            .collect();
        let mut user = Fields {
            policy: plan.additional_properties,
            ..Fields::default()
        };
        for p in &plan.user_properties {
            user.push(p, false, &mut formats);
        }
        let groups = plan
            .groups
            .iter()
            .map(|g| {
                let mut fields = Fields {
                    policy: plan.additional_properties,
                    ..Fields::default()
                };
                for p in &g.properties {
                    fields.push(p, false, &mut formats);
                }
                (g.name.clone(), GroupCheck { fields })
            })
            .collect();
        let renamed = plan
            .renamed_events()
            .into_iter()
            .map(|(old, new)| (old.to_owned(), new.to_owned()))
            .collect();
        Arc::new(Self {
            events,
            user,
            groups,
            renamed,
            anonymous_id: plan.identity.anonymous_id.clone(),
            user_id: plan.identity.user_id.clone(),
        })
    }
}

impl Fields {
    fn push(&mut self, property: &Property, is_super: bool, formats: &mut FormatCache) {
        self.by_name.insert(property.name.clone(), self.list.len());
        self.list.push(Field {
            name: property.name.clone(),
            required: property.required,
            is_super,
            check: Check::new(&property.schema, self.policy, formats),
        });
    }

    /// How an undeclared property is reported, or `None` when allowed.
    pub fn undeclared_severity(&self) -> Option<crate::diagnostic::Severity> {
        use crate::diagnostic::Severity;
        match self.policy {
            AdditionalProperties::Allow => None,
            AdditionalProperties::Warn => Some(Severity::Warning),
            AdditionalProperties::Deny => Some(Severity::Error),
        }
    }

    /// The field named `name`.
    pub fn get(&self, name: &str) -> Option<&Field> {
        self.by_name.get(name).and_then(|i| self.list.get(*i))
    }
}

#[derive(Default)]
struct FormatCache(HashMap<&'static str, Value>);

impl FormatCache {
    /// A validator of `{"type": "string", "format": F}` from the
    /// `jsonschema` crate, so formats are judged exactly as the exported
    /// schemas are.
    fn validator(&mut self, format: Format) -> Option<jsonschema::Validator> {
        let schema = self
            .0
            .entry(format.as_str())
            .or_insert_with(|| serde_json::json!({"format": format.as_str()}));
        jsonschema::options()
            .should_validate_formats(true)
            .build(schema)
            .ok()
    }
}

impl Check {
    fn new(schema: &Schema, policy: AdditionalProperties, formats: &mut FormatCache) -> Self {
        let pattern = match schema.ty {
            PropertyType::Datetime => Some(DATETIME_PATTERN.to_owned()),
            _ => schema.pattern.clone(),
        };
        // An object without declared fields is free-form.
        let fields =
            (schema.ty == PropertyType::Object && !schema.properties.is_empty()).then(|| {
                let mut fields = Fields {
                    policy,
                    ..Fields::default()
                };
                for p in &schema.properties {
                    fields.push(p, false, formats);
                }
                fields
            });
        Self {
            ty: schema.ty,
            nullable: schema.nullable,
            allowed: schema.allowed.clone(),
            format: schema
                .format
                .and_then(|f| formats.validator(f).map(|v| (f, v))),
            pattern: pattern.and_then(|p| Regex::new(&p).ok().map(|r| (p, r))),
            minimum: schema.minimum,
            maximum: schema.maximum,
            min_length: schema.min_length,
            max_length: schema.max_length,
            items: schema
                .items
                .as_ref()
                .map(|i| Box::new(Check::new(i, policy, formats))),
            min_items: schema.min_items,
            max_items: schema.max_items,
            fields,
        }
    }
}
