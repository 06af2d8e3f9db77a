//! Every identifier a plan needs in one target, given out by the naming
//! authority ([`crate::naming`]) in one deterministic order
//! (`docs/naming.md`):
//!
//! 1. the plan itself;
//! 2. the super properties, then the user properties;
//! 3. each group in plan order, then its properties;
//! 4. each event in plan order, then its properties.
//!
//! A property is followed by the types it needs (an enum and its values,
//! an object and its fields, a list's items), depth first, before the next
//! property. So an event added at the end of a plan is given its names
//! last and never renames an identifier given before it.
//!
//! The result is what templates read (`event.names.function`), what
//! `lint` reports as collisions and what `diff` compares.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;

use super::target::{ItemKind, Per, Target};
use crate::naming::{Namespaces, Reason, ScopeId, words};
use crate::plan::{Origin, Plan, Property, Schema};
use crate::yaml::Segment;

/// An item of the plan that gets identifiers, as a path from the plan:
/// `event Login`, `event Login / property method / type`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ItemId(Arc<[String]>);

impl ItemId {
    /// The plan.
    pub fn plan() -> Self {
        Self(Arc::from(vec!["plan".into()]))
    }

    /// The event `name`.
    pub fn event(name: &str) -> Self {
        Self(Arc::from(vec!["event".into(), name.into()]))
    }

    /// The group `name`.
    pub fn group(name: &str) -> Self {
        Self(Arc::from(vec!["group".into(), name.into()]))
    }

    /// The super properties, as the owner of their list.
    pub fn super_properties() -> Self {
        Self(Arc::from(vec!["super properties".into()]))
    }

    /// The user properties, as the owner of their list.
    pub fn user_properties() -> Self {
        Self(Arc::from(vec!["user properties".into()]))
    }

    fn with(&self, step: &str, name: Option<&str>) -> Self {
        let mut path = self.0.to_vec();
        path.push(step.into());
        path.extend(name.map(str::to_owned));
        Self(Arc::from(path))
    }

    /// The property `name` of this owner.
    pub fn property(&self, name: &str) -> Self {
        self.with("property", Some(name))
    }

    /// The type of this property.
    pub fn ty(&self) -> Self {
        self.with("type", None)
    }

    /// The item type of this list type.
    pub fn items(&self) -> Self {
        self.with("items", None)
    }

    /// The value `value` of this enum type.
    pub fn value(&self, value: &str) -> Self {
        self.with("value", Some(value))
    }

    /// The case of this event's or object type's variants keyed `key`
    /// (`None`: the default case).
    pub fn case(&self, key: Option<&str>) -> Self {
        match key {
            Some(key) => self.with("case", Some(key)),
            None => self.with("default case", None),
        }
    }

    /// The steps of the path: `["event", "Login", "property", "method"]`.
    pub fn steps(&self) -> &[String] {
        &self.0
    }
}

impl std::fmt::Display for ItemId {
    /// In words: `event "Login"`, `event "Login", property "method"`, `the
    /// type of event "Login", property "method"`, `value "none" of event
    /// "Order", property "milk"`, `the items of ...`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut named = Vec::new();
        let mut tail = "";
        let mut value = None;
        let mut steps = self.0.iter().peekable();
        while let Some(step) = steps.next() {
            match step.as_str() {
                "event" | "group" | "property" | "case" => {
                    let name = steps.next().map_or("", String::as_str);
                    named.push(format!("{step} {name:?}"));
                    tail = "";
                }
                "value" => value = steps.next(),
                "type" => tail = "the type of ",
                "items" => tail = "the items of ",
                other => named.push(other.to_owned()),
            }
        }
        match value {
            Some(v) => write!(f, "value {v:?} of {}", named.join(", ")),
            None => write!(f, "{tail}{}", named.join(", ")),
        }
    }
}

/// An identifier that is not the one its item's words give.
#[derive(Debug, Clone)]
pub struct Rename {
    /// The item.
    pub item: ItemId,
    /// Which of its names (`function`, `type`).
    pub key: String,
    /// The identifier its words give.
    pub wanted: String,
    /// The identifier it got.
    pub name: String,
    /// Why: reserved, or held by another item of the plan.
    pub reason: Reason<ItemId>,
}

/// Every identifier of a plan in one target.
#[derive(Debug, Default)]
pub struct Names {
    /// The target's name.
    pub target: String,
    table: HashMap<ItemId, BTreeMap<String, String>>,
    /// The identifiers that differ from their words' form, in the order
    /// they were given out.
    pub renames: Vec<Rename>,
    /// Where each item is written in the plan.
    pub origins: HashMap<ItemId, Origin>,
}

impl Names {
    /// The names of `item`, by key (empty when the target gives it none).
    pub fn of(&self, item: &ItemId) -> BTreeMap<String, String> {
        self.table.get(item).cloned().unwrap_or_default()
    }

    /// Every item with its names, sorted by item.
    pub fn all(&self) -> BTreeMap<&ItemId, &BTreeMap<String, String>> {
        self.table.iter().collect()
    }

    /// Gives out every identifier of `plan` in `target`.
    pub fn allocate(plan: &Plan, target: &Target) -> Names {
        let mut a = Allocator {
            target,
            namespaces: Namespaces::default(),
            reserved: HashMap::new(),
            output: HashMap::new(),
            instances: HashMap::new(),
            names: Names {
                target: target.spec.name.clone(),
                ..Names::default()
            },
        };
        for (scope, spec) in &target.spec.scopes {
            if spec.per == Per::Output {
                let reserved = a.reserved(scope);
                let id = a.namespaces.add(reserved);
                a.output.insert(scope.clone(), id);
            }
        }
        a.item(
            ItemKind::Plan,
            &ItemId::plan(),
            &words(&plan.name),
            None,
            None,
        );
        for (owner, list, words_of_owner) in [
            (ItemId::super_properties(), &plan.super_properties, "super"),
            (ItemId::user_properties(), &plan.user_properties, "user"),
        ] {
            a.properties(&owner, &[words_of_owner.to_owned()], list);
        }
        for group in &plan.groups {
            let id = ItemId::group(&group.name);
            let group_words = words(&group.name);
            a.item(
                ItemKind::Group,
                &id,
                &group_words,
                None,
                Some(&group.origin),
            );
            let mut owner_words = group_words;
            owner_words.push("group".into());
            a.properties(&id, &owner_words, &group.properties);
        }
        for event in &plan.events {
            let id = ItemId::event(&event.name);
            let event_words = words(&event.name);
            a.item(
                ItemKind::Event,
                &id,
                &event_words,
                None,
                Some(&event.origin),
            );
            a.properties(&id, &event_words, &event.properties);
            if let Some(variants) = &event.variants {
                a.variants(&id, &event_words, variants, &event.properties);
            }
        }
        a.names
    }
}

struct Allocator<'t> {
    target: &'t Target,
    namespaces: Namespaces<ItemId>,
    /// What each kind of scope reserves.
    reserved: HashMap<String, Arc<HashSet<String>>>,
    /// The scopes with one instance for the whole output.
    output: HashMap<String, ScopeId>,
    /// The instances of per-owner and per-enum scopes.
    instances: HashMap<(String, ItemId), ScopeId>,
    names: Names,
}

impl Allocator<'_> {
    /// The target's reserved words, and the scope's own and defined names,
    /// built once per kind of scope and shared by its instances.
    fn reserved(&mut self, scope: &str) -> Arc<HashSet<String>> {
        let target = self.target;
        let set = self.reserved.entry(scope.to_owned()).or_insert_with(|| {
            let own = target
                .spec
                .scopes
                .get(scope)
                .into_iter()
                .flat_map(|s| s.defined.iter().chain(&s.reserved));
            Arc::new(target.spec.reserved.iter().chain(own).cloned().collect())
        });
        Arc::clone(set)
    }

    /// The instance of `scope` for an item whose owner (or enum) is `parent`.
    fn scope(&mut self, scope: &str, parent: Option<&ItemId>) -> Option<ScopeId> {
        if let Some(id) = self.output.get(scope) {
            return Some(*id);
        }
        let parent = parent?.clone();
        let key = (scope.to_owned(), parent);
        if let Some(id) = self.instances.get(&key) {
            return Some(*id);
        }
        let reserved = self.reserved(scope);
        let id = self.namespaces.add(reserved);
        self.instances.insert(key, id);
        Some(id)
    }

    /// Gives `id` every name its kind needs in this target.
    fn item(
        &mut self,
        kind: ItemKind,
        id: &ItemId,
        item_words: &[String],
        parent: Option<&ItemId>,
        origin: Option<&Origin>,
    ) {
        if let Some(origin) = origin {
            self.names.origins.insert(id.clone(), origin.clone());
        }
        let specs: Vec<_> = self
            .target
            .spec
            .names
            .iter()
            .filter(|n| n.item == kind)
            .collect();
        for spec in specs {
            let scopes: Vec<ScopeId> = spec
                .scopes
                .iter()
                .filter_map(|s| self.scope(s, parent))
                .collect();
            let rules = self.target.rules(&spec.kind);
            let given = self.namespaces.allocate(
                &scopes,
                &spec.prefix,
                item_words,
                &spec.suffix,
                &rules,
                id.clone(),
            );
            if let Some(reason) = given.reason {
                self.names.renames.push(Rename {
                    item: id.clone(),
                    key: spec.key.clone(),
                    wanted: given.wanted,
                    name: given.name.clone(),
                    reason,
                });
            }
            self.names
                .table
                .entry(id.clone())
                .or_default()
                .insert(spec.key.clone(), given.name);
        }
    }

    /// The members of `variants` over `base`, owned by `owner` (an event or
    /// an object type): each case, then the values without one of their
    /// own (the default case's, or the base alone), with a type, a variant
    /// of the owner's enum, and its complete properties in a namespace of
    /// its own.
    fn variants(
        &mut self,
        owner: &ItemId,
        owner_words: &[String],
        variants: &crate::plan::Variants,
        base: &[Property],
    ) {
        for member in variants.members(base) {
            let origin = member.case.map_or(&variants.origin, |c| &c.origin);
            let value_words = match member.key {
                Some(key) => words(key),
                None => vec!["other".to_owned()],
            };
            let case_words: Vec<String> = owner_words.iter().chain(&value_words).cloned().collect();
            let case_id = owner.case(member.key);
            self.item(ItemKind::Case, &case_id, &case_words, None, Some(origin));
            self.item(
                ItemKind::CaseValue,
                &case_id,
                &value_words,
                Some(owner),
                Some(origin),
            );
            let properties: Vec<Property> = member
                .discriminator
                .iter()
                .chain(&member.properties)
                .cloned()
                .collect();
            self.properties(&case_id, &case_words, &properties);
        }
    }

    /// A list of properties owned by `owner`, whose types are named after
    /// `owner_words`.
    fn properties(&mut self, owner: &ItemId, owner_words: &[String], list: &[Property]) {
        for property in list {
            let id = owner.property(&property.name);
            let property_words = words(&property.name);
            self.item(
                ItemKind::Property,
                &id,
                &property_words,
                Some(owner),
                Some(&property.origin),
            );
            let type_words: Vec<String> =
                owner_words.iter().chain(&property_words).cloned().collect();
            self.schema(
                &id.ty(),
                &type_words,
                &property.schema,
                owner,
                &property.origin,
            );
        }
    }

    /// The types a schema needs, depth first.
    fn schema(
        &mut self,
        id: &ItemId,
        type_words: &[String],
        schema: &Schema,
        owner: &ItemId,
        origin: &Origin,
    ) {
        if let Some(items) = &schema.items {
            let mut item_words = type_words.to_vec();
            item_words.push("item".into());
            let inner = Origin {
                document: origin.document,
                path: origin.path.key("items"),
            };
            self.schema(&id.items(), &item_words, items, owner, &inner);
        }
        if let Some(values) = schema.string_enum() {
            self.item(ItemKind::Enum, id, type_words, Some(owner), Some(origin));
            for (i, value) in values.into_iter().enumerate() {
                // Where the value is written when the schema is written here
                // (not through a `ref`); `lint` falls back to the property.
                let at = Origin {
                    document: origin.document,
                    path: origin.path.key("enum").join(Segment::Index(i)),
                };
                self.item(
                    ItemKind::Value,
                    &id.value(value),
                    &words(value),
                    Some(id),
                    Some(&at),
                );
            }
        }
        if schema.has_fields() {
            self.item(ItemKind::Object, id, type_words, Some(owner), Some(origin));
            self.properties(id, type_words, &schema.properties);
            if let Some(variants) = &schema.variants {
                self.variants(id, type_words, variants, &schema.properties);
            }
        }
    }
}
