//! The plan compiled for checking: lookups by name, regexes and format
//! checkers built once, shared by every worker thread.

use std::collections::HashMap;
use std::sync::Arc;

use regex::Regex;
use rustc_hash::FxHashMap;
use serde_json::Value;

use super::coverage::{Counters, Layout};
use crate::export::jsonschema::DATETIME_PATTERN;
use crate::format::{AdditionalProperties, Format, PropertyType, Status};
use crate::plan::{Plan, Property, Schema, Variants};

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
    /// With variants: the complete fields of each case, one of which a
    /// value is checked against instead of these.
    pub cases: Option<Box<Cases>>,
}

/// Variants, compiled: each case's fields complete (the super properties,
/// the base ones with the case's own in their place, then the case's
/// others), so a record is checked against one set of fields.
#[derive(Debug)]
pub struct Cases {
    /// The discriminator.
    pub by: String,
    /// The cases of the values that have one.
    pub cases: Vec<(Value, Case)>,
    /// The case of the other values, and of a missing discriminator.
    pub default: Option<Case>,
}

/// One case, compiled.
#[derive(Debug)]
pub struct Case {
    /// What an event's verdicts are about: `Purchased Item
    /// [item_type=drink]` (for an object's case, its label).
    pub subject: Arc<str>,
    /// How violations name it: `item_type=drink`.
    pub label: String,
    /// The fields a value of this case is checked against.
    pub fields: Fields,
    /// Base properties this case must not carry.
    pub absent: Vec<String>,
}

impl Fields {
    /// The case of `props` when these fields have variants: the one its
    /// discriminator's value picks, else the default case.
    pub fn case_of(&self, props: &super::props::Props<'_>) -> Option<&Case> {
        let cases = self.cases.as_ref()?;
        let value = props.get(&cases.by).map(|p| p.value().into_owned());
        cases.case_for(value.as_ref())
    }
}

impl Cases {
    /// The case of a discriminator value (`None` when absent).
    pub fn case_for(&self, value: Option<&Value>) -> Option<&Case> {
        value
            .and_then(|v| {
                self.cases
                    .iter()
                    .find(|(own, _)| crate::plan::same_value(own, v))
            })
            .map(|(_, case)| case)
            .or(self.default.as_ref())
    }
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
    /// Its coverage counters, when it is a property of an event without
    /// variants (then the check's lookup of a property also counts it).
    pub slots: Option<super::coverage::Slots>,
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
    /// Its coverage counters.
    pub counters: Counters,
}

/// A group type, compiled.
#[derive(Debug)]
pub struct GroupCheck {
    /// Its properties.
    pub fields: Fields,
    /// Its coverage counters.
    pub counters: Counters,
}

/// The whole plan, compiled.
#[derive(Debug)]
pub struct CompiledPlan {
    /// Events by name.
    pub events: FxHashMap<String, EventCheck>,
    /// User properties.
    pub user: Fields,
    /// The coverage counters of profile updates.
    pub user_counters: Counters,
    /// Groups by key.
    pub groups: FxHashMap<String, GroupCheck>,
    /// Old names of renamed events, with their new names.
    pub renamed: FxHashMap<String, String>,
    /// The identity properties.
    pub anonymous_id: String,
    /// The identity properties.
    pub user_id: String,
    /// Every coverage counter.
    pub coverage: Arc<Layout>,
}

impl CompiledPlan {
    /// Compiles `plan`, which must have loaded without errors.
    pub fn new(plan: &Plan) -> Arc<Self> {
        let mut formats = FormatCache::default();
        let coverage = Layout::new(plan);
        let events = plan
            .events
            .iter()
            .enumerate()
            .map(|(index, e)| {
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
                if let Some(variants) = &e.variants {
                    fields.cases = Some(Box::new(Cases::new(
                        variants,
                        &plan.super_properties,
                        &e.properties,
                        Some(&e.name),
                        e.additional_properties,
                        &mut formats,
                    )));
                }
                let counters = Counters::of_event(&coverage, index);
                // Without variants, the fields are exactly the counted
                // properties: each keeps its counters.
                if fields.cases.is_none() {
                    for field in &mut fields.list {
                        field.slots = counters.get(&field.name).cloned();
                    }
                }
                let check = EventCheck {
                    name: Arc::from(e.name.as_str()),
                    status: e.status,
                    replaced_by: e.replaced_by.clone(),
                    identified: e.identified,
                    fields,
                    counters,
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
            .enumerate()
            .map(|(index, g)| {
                let mut fields = Fields {
                    policy: plan.additional_properties,
                    ..Fields::default()
                };
                for p in &g.properties {
                    fields.push(p, false, &mut formats);
                }
                let counters = Counters::of_group(&coverage, index);
                (g.name.clone(), GroupCheck { fields, counters })
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
            user_counters: Counters::of_user(&coverage),
            groups,
            renamed,
            anonymous_id: plan.identity.anonymous_id.clone(),
            user_id: plan.identity.user_id.clone(),
            coverage: Arc::new(coverage),
        })
    }
}

impl Cases {
    /// Compiles `variants` over the `base` properties (of an event when
    /// `event` names it, after its `supers`).
    fn new(
        variants: &Variants,
        supers: &[Property],
        base: &[Property],
        event: Option<&str>,
        policy: AdditionalProperties,
        formats: &mut FormatCache,
    ) -> Self {
        let mut compile = |case: &crate::plan::Case| {
            let mut fields = Fields {
                policy,
                ..Fields::default()
            };
            for p in supers {
                fields.push(p, true, formats);
            }
            for p in case.effective(base) {
                fields.push(p, false, formats);
            }
            let label = case.label(&variants.by);
            Case {
                subject: Arc::from(match event {
                    Some(name) => format!("{name} [{label}]"),
                    None => label.clone(),
                }),
                label,
                fields,
                absent: case.absent.clone(),
            }
        };
        Cases {
            by: variants.by.clone(),
            cases: variants
                .cases
                .iter()
                .filter_map(|c| Some((c.value.clone()?, compile(c))))
                .collect(),
            default: variants.default.as_ref().map(&mut compile),
        }
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
            slots: None,
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
                if let Some(variants) = &schema.variants {
                    fields.cases = Some(Box::new(Cases::new(
                        variants,
                        &[],
                        &schema.properties,
                        None,
                        policy,
                        formats,
                    )));
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
