//! The plan as templates see it: target-neutral names, docs and types,
//! prepared once in Rust so that templates only loop and print.

use serde::Serialize;
use serde_json::Value;

use super::names::{Namer, words};
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
    /// Its own properties.
    pub properties: Vec<PropertyView>,
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
}

/// One property.
#[derive(Debug, Serialize)]
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
#[derive(Debug, Serialize)]
pub struct TypeView {
    /// `string`, `integer`, `number`, `boolean`, `datetime`, `list` or `object`.
    pub kind: &'static str,
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
            .map(|e| EventView {
                name: e.name.clone(),
                ident: event_names.unique(&e.name),
                description: e.description.clone(),
                deprecated: e.status == Status::Deprecated,
                planned: e.status == Status::Planned,
                replaced_by: e.replaced_by.clone(),
                identified: e.identified,
                properties: properties(&e.properties),
            })
            .collect();
        let mut group_names = Namer::default();
        let groups = plan
            .groups
            .iter()
            .map(|g| GroupView {
                name: g.name.clone(),
                ident: group_names.unique(&g.name),
                description: g.description.clone(),
                properties: properties(&g.properties),
            })
            .collect();
        Self {
            name: plan.name.clone(),
            version: plan.version.clone(),
            description: plan.description.clone(),
            plan_tag: format!("{}@{}", plan.name, plan.version),
            plan_property: PLAN_PROPERTY,
            anonymous_id: plan.identity.anonymous_id.clone(),
            user_id: plan.identity.user_id.clone(),
            events,
            super_properties: properties(&plan.super_properties),
            user_properties: properties(&plan.user_properties),
            groups,
        }
    }
}

fn properties(list: &[Property]) -> Vec<PropertyView> {
    let mut names = Namer::default();
    list.iter()
        .map(|p| PropertyView {
            name: p.name.clone(),
            ident: names.unique(&p.name),
            description: p.description.clone(),
            required: p.required,
            pii: p.pii,
            deprecated: p.deprecated,
            ty: TypeView::new(&p.schema),
        })
        .collect()
}

impl TypeView {
    fn new(schema: &Schema) -> Self {
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
            items: schema.items.as_ref().map(|i| Box::new(TypeView::new(i))),
            fields: if schema.ty == PropertyType::Object {
                properties(&schema.properties)
            } else {
                Vec::new()
            },
        }
    }
}

/// Words of a name, for tests of the view.
pub fn ident_words(name: &str) -> Vec<String> {
    words(name)
}
