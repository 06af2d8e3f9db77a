//! The plan as templates see it: wire names, docs, types, and the
//! identifiers the naming authority gave each item in the target being
//! rendered (`names`), prepared once in Rust so that templates only loop
//! and print.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::names::{ItemId, Names};
use crate::format::{Format, PropertyType, Status};
use crate::plan::{PLAN_PROPERTY, Plan, Property, Schema};

/// An item's identifiers by key (`{"function": "pageViewed", "type":
/// "PageViewedProperties"}`), as the target's `names` define them.
pub type NameMap = BTreeMap<String, String>;

/// The whole plan.
#[derive(Debug, Serialize)]
pub struct PlanView {
    /// The plan's name.
    pub name: String,
    /// The plan's identifiers (a package name).
    pub names: NameMap,
    /// The plan's version.
    pub version: String,
    /// What it covers.
    pub description: Option<String>,
    /// Default owner.
    pub owner: Option<String>,
    /// `name@version`, sent with every event unless turned off.
    pub plan_tag: String,
    /// The property that carries `plan_tag`.
    pub plan_property: &'static str,
    /// The identity properties.
    pub anonymous_id: String,
    /// The identity properties.
    pub user_id: String,
    /// Events, in plan order.
    pub events: Vec<EventView>,
    /// Properties sent with every event.
    pub super_properties: Vec<PropertyView>,
    /// User traits.
    pub user_properties: Vec<PropertyView>,
    /// Group types.
    pub groups: Vec<GroupView>,
    /// The enums and objects super properties need declared.
    pub super_named_types: Vec<TypeView>,
    /// The enums and objects user properties need declared.
    pub user_named_types: Vec<TypeView>,
    /// `check`'s per-record rules as data, for generated runtime validation.
    pub checks: crate::check::runtime::Rules,
    /// The docs page's coverage matrix, when one was given (`trackplan
    /// docs --coverage`).
    pub coverage: Option<crate::coverage::Matrix>,
}

/// One event.
#[derive(Debug, Serialize)]
pub struct EventView {
    /// The name sent to Mixpanel.
    pub name: String,
    /// Its identifiers.
    pub names: NameMap,
    /// Its description.
    pub description: Option<String>,
    /// Whether it is deprecated.
    pub deprecated: bool,
    /// Whether it is only planned.
    pub planned: bool,
    /// Its successor.
    pub replaced_by: Option<String>,
    /// Whether it must carry the user id.
    pub identified: bool,
    /// Responsible team (the plan's owner when the event names none).
    pub owner: Option<String>,
    /// Labels.
    pub tags: Vec<String>,
    /// Its own properties.
    pub properties: Vec<PropertyView>,
    /// Properties that depend on the value of one of them.
    pub variants: Option<VariantsView>,
    /// The enums and objects its properties need declared, innermost first.
    pub named_types: Vec<TypeView>,
    /// Its row of the coverage matrix, on a docs page given one.
    pub coverage: Option<crate::coverage::Row>,
}

/// Variants: what each value of the discriminator adds or takes away.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct VariantsView {
    /// The discriminator.
    pub by: String,
    /// The cases of the values that have one, in plan order.
    pub cases: Vec<CaseView>,
    /// The case of the other values.
    pub default: Option<CaseView>,
    /// What typed code declares: one member per case, then one for the
    /// values without a case of their own (the default case, else the base
    /// properties alone), each with its complete properties.
    pub members: Vec<MemberView>,
}

/// One member of an event's union of cases.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct MemberView {
    /// Its identifiers (`names.type`).
    pub names: NameMap,
    /// How reports name it: `item_type=drink`, `item_type=*`.
    pub label: String,
    /// What this kind of event is.
    pub description: Option<String>,
    /// The discriminator's values it covers, as sent.
    pub values: Vec<Value>,
    /// The discriminator, its `enum` cut to `values`, when it covers more
    /// than one value (else it is the constant `values[0]`).
    pub discriminator: Option<PropertyView>,
    /// Its properties but the discriminator: the base ones as the case has
    /// them, then the case's own.
    pub properties: Vec<PropertyView>,
    /// The enums and objects its properties need declared, innermost first.
    pub named_types: Vec<TypeView>,
    /// Base properties it must not carry.
    pub absent: Vec<String>,
}

/// One case.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CaseView {
    /// The discriminator value as written; `None` for the default case.
    pub key: Option<String>,
    /// The value as sent (`"drink"`, `2`, `true`).
    pub value: Option<Value>,
    /// How reports name it: `item_type=drink`, `item_type=*`.
    pub label: String,
    /// What this kind of event is.
    pub description: Option<String>,
    /// The properties the case adds or gives again.
    pub properties: Vec<PropertyView>,
    /// Base properties it must not carry.
    pub absent: Vec<String>,
}

/// One group type.
#[derive(Debug, Serialize)]
pub struct GroupView {
    /// The group key.
    pub name: String,
    /// Its identifiers.
    pub names: NameMap,
    /// Its description.
    pub description: Option<String>,
    /// Its properties.
    pub properties: Vec<PropertyView>,
    /// The enums and objects its properties need declared.
    pub named_types: Vec<TypeView>,
}

/// One property.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PropertyView {
    /// The name sent.
    pub name: String,
    /// Its identifiers (a field name).
    pub names: NameMap,
    /// Its description.
    pub description: Option<String>,
    /// Whether it must be present.
    pub required: bool,
    /// Whether it is personal data.
    pub pii: bool,
    /// Whether it is deprecated.
    pub deprecated: bool,
    /// Its type.
    #[serde(rename = "type")]
    pub ty: TypeView,
}

/// A value's type and constraints.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct TypeView {
    /// `string`, `integer`, `number`, `boolean`, `datetime`, `list` or `object`.
    pub kind: PropertyType,
    /// Its identifiers where the target declares it as a type of its own
    /// (an enum, an object with fields): `names.type`.
    pub names: NameMap,
    /// Whether `null` is accepted.
    pub nullable: bool,
    /// Allowed values.
    #[serde(rename = "enum")]
    pub allowed: Option<Vec<Value>>,
    /// The values of a string enum with their identifiers (`names.variant`).
    pub values: Vec<ValueView>,
    /// Format name.
    pub format: Option<Format>,
    /// Pattern.
    pub pattern: Option<String>,
    /// Bounds.
    pub minimum: Option<f64>,
    /// Bounds.
    pub maximum: Option<f64>,
    /// Bounds.
    pub min_length: Option<u64>,
    /// Bounds.
    pub max_length: Option<u64>,
    /// Bounds.
    pub min_items: Option<u64>,
    /// Bounds.
    pub max_items: Option<u64>,
    /// List items.
    pub items: Option<Box<TypeView>>,
    /// Object fields.
    pub fields: Vec<PropertyView>,
    /// An object's fields that depend on the value of one of them.
    pub variants: Option<Box<VariantsView>>,
}

/// A value of a string enum.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ValueView {
    /// The value as sent.
    pub value: String,
    /// Its identifiers (an enum variant).
    pub names: NameMap,
}

impl PlanView {
    /// The view of `plan`, with the identifiers in `names`.
    pub fn new(plan: &Plan, names: &Names) -> Self {
        let view = Viewer { names };
        let events = plan
            .events
            .iter()
            .map(|e| {
                let id = ItemId::event(&e.name);
                let properties = view.properties(&id, &e.properties);
                let variants = e
                    .variants
                    .as_ref()
                    .map(|v| view.variants(&id, v, &e.properties));
                EventView {
                    name: e.name.clone(),
                    names: names.of(&id),
                    named_types: named_types(&properties),
                    description: e.description.clone(),
                    deprecated: e.status == Status::Deprecated,
                    planned: e.status == Status::Planned,
                    replaced_by: e.replaced_by.clone(),
                    identified: e.identified,
                    owner: e.owner.clone(),
                    tags: e.tags.clone(),
                    properties,
                    variants,
                    coverage: None,
                }
            })
            .collect();
        let super_properties = view.properties(&ItemId::super_properties(), &plan.super_properties);
        let user_properties = view.properties(&ItemId::user_properties(), &plan.user_properties);
        let groups = plan
            .groups
            .iter()
            .map(|g| {
                let id = ItemId::group(&g.name);
                let properties = view.properties(&id, &g.properties);
                GroupView {
                    name: g.name.clone(),
                    names: names.of(&id),
                    named_types: named_types(&properties),
                    description: g.description.clone(),
                    properties,
                }
            })
            .collect();
        Self {
            name: plan.name.clone(),
            names: names.of(&ItemId::plan()),
            version: plan.version.clone(),
            description: plan.description.clone(),
            owner: plan.owner.clone(),
            plan_tag: format!("{}@{}", plan.name, plan.version),
            plan_property: PLAN_PROPERTY,
            anonymous_id: plan.identity.anonymous_id.clone(),
            user_id: plan.identity.user_id.clone(),
            events,
            super_named_types: named_types(&super_properties),
            super_properties,
            user_named_types: named_types(&user_properties),
            user_properties,
            groups,
            checks: crate::check::runtime::Rules::new(plan),
            coverage: None,
        }
    }

    /// The view with the coverage `matrix` on the plan and on each event.
    pub fn with_coverage(mut self, matrix: crate::coverage::Matrix) -> Self {
        for event in &mut self.events {
            event.coverage = matrix.events.iter().find(|r| r.name == event.name).cloned();
        }
        self.coverage = Some(matrix);
        self
    }
}

struct Viewer<'n> {
    names: &'n Names,
}

impl Viewer<'_> {
    fn variants(
        &self,
        owner: &ItemId,
        variants: &crate::plan::Variants,
        base: &[Property],
    ) -> VariantsView {
        let members = variants
            .members(base)
            .into_iter()
            .map(|m| {
                let id = owner.case(m.key);
                let discriminator = m
                    .discriminator
                    .as_ref()
                    .map(|d| self.properties(&id, std::slice::from_ref(d)).remove(0));
                let properties = self.properties(&id, &m.properties);
                let mut named = named_types(&properties);
                if let Some(d) = &discriminator {
                    named.extend(named_types(std::slice::from_ref(d)));
                }
                MemberView {
                    names: self.names.of(&id),
                    label: m
                        .case
                        .map_or_else(|| format!("{}=*", variants.by), |c| c.label(&variants.by)),
                    description: m.case.and_then(|c| c.description.clone()),
                    values: m.values,
                    discriminator,
                    properties,
                    named_types: named,
                    absent: m.case.map(|c| c.absent.clone()).unwrap_or_default(),
                }
            })
            .collect();
        let case = |c: &crate::plan::Case| CaseView {
            key: c.key.clone(),
            value: c.value.clone(),
            label: c.label(&variants.by),
            description: c.description.clone(),
            properties: self.properties(owner, &c.properties),
            absent: c.absent.clone(),
        };
        VariantsView {
            by: variants.by.clone(),
            cases: variants.cases.iter().map(case).collect(),
            default: variants.default.as_ref().map(case),
            members,
        }
    }

    fn properties(&self, owner: &ItemId, list: &[Property]) -> Vec<PropertyView> {
        list.iter()
            .map(|p| {
                let id = owner.property(&p.name);
                PropertyView {
                    name: p.name.clone(),
                    names: self.names.of(&id),
                    description: p.description.clone(),
                    required: p.required,
                    pii: p.pii,
                    deprecated: p.deprecated,
                    ty: self.ty(&id.ty(), &p.schema),
                }
            })
            .collect()
    }

    fn ty(&self, id: &ItemId, schema: &Schema) -> TypeView {
        let values = schema
            .string_enum()
            .unwrap_or_default()
            .into_iter()
            .map(|v| ValueView {
                value: v.to_owned(),
                names: self.names.of(&id.value(v)),
            })
            .collect();
        TypeView {
            kind: schema.ty,
            names: self.names.of(id),
            nullable: schema.nullable,
            allowed: schema.allowed.clone(),
            values,
            format: schema.format,
            pattern: schema.pattern.clone(),
            minimum: schema.minimum,
            maximum: schema.maximum,
            min_length: schema.min_length,
            max_length: schema.max_length,
            min_items: schema.min_items,
            max_items: schema.max_items,
            items: schema
                .items
                .as_ref()
                .map(|i| Box::new(self.ty(&id.items(), i))),
            fields: if schema.has_fields() {
                self.properties(id, &schema.properties)
            } else {
                Vec::new()
            },
            variants: schema
                .variants
                .as_ref()
                .filter(|_| schema.has_fields())
                .map(|v| Box::new(self.variants(id, v, &schema.properties))),
        }
    }
}

/// The types of `properties` that need a declaration (string enums and
/// objects with fields), innermost first.
fn named_types(properties: &[PropertyView]) -> Vec<TypeView> {
    fn walk(ty: &TypeView, out: &mut Vec<TypeView>) {
        if let Some(items) = &ty.items {
            walk(items, out);
        }
        for field in &ty.fields {
            walk(&field.ty, out);
        }
        for member in ty.variants.iter().flat_map(|v| &v.members) {
            for p in member.discriminator.iter().chain(&member.properties) {
                walk(&p.ty, out);
            }
        }
        if !ty.values.is_empty() || !ty.fields.is_empty() {
            out.push(ty.clone());
        }
    }
    let mut out = Vec::new();
    for p in properties {
        walk(&p.ty, &mut out);
    }
    out
}
