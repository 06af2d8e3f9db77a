//! The plan as templates see it: target-neutral names, docs and types,
//! prepared once in Rust so that templates only loop and print.

use serde::Serialize;
use serde_json::Value;

use super::names::Namer;
use crate::format::{PropertyType, Status};
use crate::plan::{Plan, Property, Schema};

/// The whole plan.
#[derive(Debug, Serialize)]
pub struct PlanView {
    /// The plan's name.
    pub name: String,
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
}

/// One event.
#[derive(Debug, Serialize)]
pub struct EventView {
    /// The name sent to Mixpanel.
    pub name: String,
    /// Lowercase words of its identifier (`["page", "viewed"]`), unique in
    /// the plan; each language's filters case them.
    pub ident: Vec<String>,
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
    /// The enums and objects its properties need declared, innermost first.
    pub named_types: Vec<TypeView>,
}

/// One group type.
#[derive(Debug, Serialize)]
pub struct GroupView {
    /// The group key.
    pub name: String,
    /// Words of its identifier.
    pub ident: Vec<String>,
    /// Its description.
    pub description: Option<String>,
    /// Its properties.
    pub properties: Vec<PropertyView>,
    /// The enums and objects its properties need declared.
    pub named_types: Vec<TypeView>,
}

/// One property.
#[derive(Debug, Clone, Serialize)]
pub struct PropertyView {
    /// The name sent.
    pub name: String,
    /// Words of its identifier, unique among its siblings.
    pub ident: Vec<String>,
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
#[derive(Debug, Clone, Serialize)]
pub struct TypeView {
    /// `string`, `integer`, `number`, `boolean`, `datetime`, `list` or `object`.
    pub kind: &'static str,
    /// Words naming this type where a language needs a declaration for it
    /// (an enum, an object): the owner's words then the property's
    /// (`["login", "method"]`), `item` added for list items.
    pub name: Vec<String>,
    /// Whether `null` is accepted.
    pub nullable: bool,
    /// Allowed values.
    #[serde(rename = "enum")]
    pub allowed: Option<Vec<Value>>,
    /// Format name.
    pub format: Option<&'static str>,
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
}

/// The property carrying `name@version` of the plan.
pub const PLAN_PROPERTY: &str = "tracking_plan";

impl PlanView {
    /// The view of `plan`.
    pub fn new(plan: &Plan) -> Self {
        let mut event_names = Namer::default();
        let events = plan
            .events
            .iter()
            .map(|e| {
                let ident = event_names.unique(&e.name);
                let properties = properties(&e.properties, &ident);
                EventView {
                    name: e.name.clone(),
                    named_types: named_types(&properties),
                    ident,
                    description: e.description.clone(),
                    deprecated: e.status == Status::Deprecated,
                    planned: e.status == Status::Planned,
                    replaced_by: e.replaced_by.clone(),
                    identified: e.identified,
                    owner: e.owner.clone(),
                    tags: e.tags.clone(),
                    properties,
                }
            })
            .collect();
        let super_properties = properties(&plan.super_properties, &["super".to_owned()]);
        let user_properties = properties(&plan.user_properties, &["user".to_owned()]);
        let mut group_names = Namer::default();
        let groups = plan
            .groups
            .iter()
            .map(|g| {
                let ident = group_names.unique(&g.name);
                let mut owner = ident.clone();
                owner.push("group".to_owned());
                let properties = properties(&g.properties, &owner);
                GroupView {
                    name: g.name.clone(),
                    named_types: named_types(&properties),
                    ident,
                    description: g.description.clone(),
                    properties,
                }
            })
            .collect();
        Self {
            name: plan.name.clone(),
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
        }
    }
}

fn properties(list: &[Property], owner: &[String]) -> Vec<PropertyView> {
    let mut names = Namer::default();
    list.iter()
        .map(|p| {
            let ident = names.unique(&p.name);
            let name: Vec<String> = owner.iter().chain(&ident).cloned().collect();
            PropertyView {
                name: p.name.clone(),
                ident,
                description: p.description.clone(),
                required: p.required,
                pii: p.pii,
                deprecated: p.deprecated,
                ty: TypeView::new(&p.schema, name),
            }
        })
        .collect()
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
        if ty.is_string_enum() || !ty.fields.is_empty() {
            out.push(ty.clone());
        }
    }
    let mut out = Vec::new();
    for p in properties {
        walk(&p.ty, &mut out);
    }
    out
}

impl TypeView {
    fn new(schema: &Schema, name: Vec<String>) -> Self {
        let mut item_name = name.clone();
        item_name.push("item".to_owned());
        Self {
            kind: schema.ty.as_str(),
            nullable: schema.nullable,
            allowed: schema.allowed.clone(),
            format: schema.format.map(|f| f.as_str()),
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
                .map(|i| Box::new(TypeView::new(i, item_name))),
            fields: if schema.ty == PropertyType::Object {
                properties(&schema.properties, &name)
            } else {
                Vec::new()
            },
            name,
        }
    }

    /// Whether it is an enum of strings (a declared enum in typed languages).
    pub fn is_string_enum(&self) -> bool {
        matches!(self.kind, "string" | "datetime")
            && self
                .allowed
                .as_ref()
                .is_some_and(|v| !v.is_empty() && v.iter().all(|x| x.is_string()))
    }
}
