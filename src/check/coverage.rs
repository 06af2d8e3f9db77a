//! Traffic coverage: how much of the plan the checked records showed. Per
//! planned event, how many records; per property, how often it was present
//! and how often `null`; per enum value, how often it was sent; the same for
//! super properties (across the records of planned events), user properties
//! (in profile updates) and group properties (in group updates).
//!
//! Every number is a counter in one flat table. [`Layout`] numbers the
//! counters from the plan (one *slot* per counter); the compiled plan keeps
//! each field's slots ([`Slots`]), so a worker checking a record pushes the
//! slots it hit into its chunk's [`Tally`], and the fold thread adds tallies
//! to the report's [`Counts`]. The SQL form fills the same table from a
//! query ([`Layout::counters`] says what each slot counts), so both engines
//! report through [`Summary`]. What the percentage counts is in
//! `docs/coverage.md`.

use rustc_hash::FxHashMap;
use serde::Serialize;
use serde_json::Value;

use super::props::Prop;
use crate::format::{PropertyType, Status};
use crate::plan::{Plan, Property, same_value};

/// The counters of one property.
#[derive(Debug, Clone)]
pub struct Slots {
    /// Records that carried it.
    pub present: u32,
    /// Records that carried it as `null`.
    pub null: u32,
    /// Its enum values (of the property, or of its list's items), each
    /// with its counter.
    pub values: Vec<(Value, u32)>,
    /// Whether the values are a list's items.
    pub list: bool,
}

impl Slots {
    /// The counter of `value` when it is one of the enum values.
    fn value_slot(&self, value: &Value) -> Option<u32> {
        self.values
            .iter()
            .find(|(own, _)| same_value(own, value))
            .map(|(_, slot)| *slot)
    }
}

/// A property's counters, named.
#[derive(Debug, Clone)]
pub struct PropertySlots {
    /// The property's name.
    pub name: String,
    /// Whether it is a super property.
    pub is_super: bool,
    /// Its counters.
    pub slots: Slots,
}

/// An event's counters.
#[derive(Debug, Clone)]
pub struct EventSlots {
    /// The event's name.
    pub name: String,
    /// Its lifecycle: only active events count toward the percentage.
    pub status: Status,
    /// Records of it.
    pub records: u32,
    /// The super properties, then its own (those of every case included).
    pub properties: Vec<PropertySlots>,
}

/// A group type's counters.
#[derive(Debug, Clone)]
pub struct GroupSlots {
    /// The group key.
    pub key: String,
    /// Group updates of it.
    pub records: u32,
    /// Its properties.
    pub properties: Vec<PropertySlots>,
}

/// Every counter of a plan, numbered.
#[derive(Debug, Clone, Default)]
pub struct Layout {
    /// The events, in plan order.
    pub events: Vec<EventSlots>,
    /// The super properties' names, in plan order.
    pub supers: Vec<String>,
    /// Profile updates.
    pub profiles: u32,
    /// The user properties.
    pub user: Vec<PropertySlots>,
    /// The group types.
    pub groups: Vec<GroupSlots>,
    /// How many counters.
    pub len: u32,
}

/// What one counter counts, for the SQL form.
#[derive(Debug, Clone, Copy)]
pub enum Counter<'l> {
    /// Records of an event.
    Event(&'l str),
    /// Profile updates.
    Profiles,
    /// Group updates of a group key.
    Group(&'l str),
    /// A property present, in the records of `of`.
    Present(Of<'l>, &'l str),
    /// A property present as `null`.
    Null(Of<'l>, &'l str),
    /// An enum value sent (an item of a list counted once per item).
    Value(Of<'l>, &'l str, &'l Value, bool),
}

/// A counter an event table can fill: what [`Counter::of_event`] gives.
#[derive(Debug, Clone, Copy)]
pub enum EventCounter<'l> {
    /// Records of the event.
    Records(&'l str),
    /// Its property present.
    Present(&'l str, &'l str),
    /// Its property present as `null`.
    Null(&'l str, &'l str),
    /// An enum value of its property (of a list's items when the flag is
    /// set).
    Value(&'l str, &'l str, &'l Value, bool),
}

impl<'l> Counter<'l> {
    /// The counter as one about an event, or `None` for profile and group
    /// counters.
    pub fn of_event(self) -> Option<EventCounter<'l>> {
        match self {
            Counter::Event(event) => Some(EventCounter::Records(event)),
            Counter::Present(Of::Event(event), key) => Some(EventCounter::Present(event, key)),
            Counter::Null(Of::Event(event), key) => Some(EventCounter::Null(event, key)),
            Counter::Value(Of::Event(event), key, value, list) => {
                Some(EventCounter::Value(event, key, value, list))
            }
            _ => None,
        }
    }
}

/// Whose property a counter is about.
#[derive(Debug, Clone, Copy)]
pub enum Of<'l> {
    /// An event's.
    Event(&'l str),
    /// The user profile's.
    User,
    /// A group type's.
    Group(&'l str),
}

impl Layout {
    /// Numbers the counters of `plan`.
    pub fn new(plan: &Plan) -> Self {
        let mut next = Numbers(0);
        let events = plan
            .events
            .iter()
            .map(|e| {
                let records = next.take();
                let mut properties = Vec::new();
                for p in &plan.super_properties {
                    add_property(&mut properties, p, true, &mut next);
                }
                for p in &e.properties {
                    add_property(&mut properties, p, false, &mut next);
                }
                for case in e.variants.iter().flat_map(|v| v.all()) {
                    for p in case.effective(&e.properties) {
                        add_property(&mut properties, p, false, &mut next);
                    }
                }
                EventSlots {
                    name: e.name.clone(),
                    status: e.status,
                    records,
                    properties,
                }
            })
            .collect();
        let profiles = next.take();
        let mut user = Vec::new();
        for p in &plan.user_properties {
            add_property(&mut user, p, false, &mut next);
        }
        let groups = plan
            .groups
            .iter()
            .map(|g| {
                let records = next.take();
                let mut properties = Vec::new();
                for p in &g.properties {
                    add_property(&mut properties, p, false, &mut next);
                }
                GroupSlots {
                    key: g.name.clone(),
                    records,
                    properties,
                }
            })
            .collect();
        Self {
            events,
            supers: plan
                .super_properties
                .iter()
                .map(|p| p.name.clone())
                .collect(),
            profiles,
            user,
            groups,
            len: next.0,
        }
    }

    /// Every counter with its slot, in slot order.
    pub fn counters(&self) -> Vec<(u32, Counter<'_>)> {
        let mut out = Vec::with_capacity(self.len as usize);
        for e in &self.events {
            out.push((e.records, Counter::Event(&e.name)));
            counters_of(Of::Event(&e.name), &e.properties, &mut out);
        }
        out.push((self.profiles, Counter::Profiles));
        counters_of(Of::User, &self.user, &mut out);
        for g in &self.groups {
            out.push((g.records, Counter::Group(&g.key)));
            counters_of(Of::Group(&g.key), &g.properties, &mut out);
        }
        out.sort_by_key(|(slot, _)| *slot);
        out
    }
}

/// The counters of `list`, the properties of `of`.
fn counters_of<'l>(of: Of<'l>, list: &'l [PropertySlots], out: &mut Vec<(u32, Counter<'l>)>) {
    for p in list {
        out.push((p.slots.present, Counter::Present(of, &p.name)));
        out.push((p.slots.null, Counter::Null(of, &p.name)));
        for (value, slot) in &p.slots.values {
            out.push((*slot, Counter::Value(of, &p.name, value, p.slots.list)));
        }
    }
}

/// Hands out slot numbers.
struct Numbers(u32);

impl Numbers {
    fn take(&mut self) -> u32 {
        self.0 += 1;
        self.0 - 1
    }
}

/// Adds `p` to `list`, or, when a property of that name is there (a case
/// redefining a base property), its enum values not yet there.
fn add_property(list: &mut Vec<PropertySlots>, p: &Property, is_super: bool, next: &mut Numbers) {
    let (allowed, is_list) = match (&p.schema.allowed, &p.schema.items) {
        (Some(allowed), _) => (allowed.as_slice(), false),
        (None, Some(items)) if p.schema.ty == PropertyType::List => {
            (items.allowed.as_deref().unwrap_or_default(), true)
        }
        _ => (&[][..], false),
    };
    let existing = list.iter().position(|known| known.name == p.name);
    let index = match existing {
        Some(index) => index,
        None => {
            list.push(PropertySlots {
                name: p.name.clone(),
                is_super,
                slots: Slots {
                    present: next.take(),
                    null: next.take(),
                    values: Vec::new(),
                    list: is_list,
                },
            });
            list.len() - 1
        }
    };
    let slots = &mut list[index].slots;
    for value in allowed {
        if slots.value_slot(value).is_none() {
            slots.values.push((value.clone(), next.take()));
        }
    }
}

/// The counters of one event, group type or the user profile, by
/// property name, as the compiled plan keeps them.
#[derive(Debug, Clone, Default)]
pub struct Counters {
    /// The counter of its records.
    pub records: u32,
    /// Its properties' counters (an event's: those of every case).
    pub properties: FxHashMap<String, Slots>,
}

impl Counters {
    fn of(records: u32, list: &[PropertySlots]) -> Self {
        Self {
            records,
            properties: list
                .iter()
                .map(|p| (p.name.clone(), p.slots.clone()))
                .collect(),
        }
    }

    /// The counters of the `index`th event of `layout`.
    pub fn of_event(layout: &Layout, index: usize) -> Self {
        layout
            .events
            .get(index)
            .map(|e| Self::of(e.records, &e.properties))
            .unwrap_or_default()
    }

    /// The counters of the `index`th group type of `layout`.
    pub fn of_group(layout: &Layout, index: usize) -> Self {
        layout
            .groups
            .get(index)
            .map(|g| Self::of(g.records, &g.properties))
            .unwrap_or_default()
    }

    /// The counters of profile updates.
    pub fn of_user(layout: &Layout) -> Self {
        Self::of(layout.profiles, &layout.user)
    }

    /// The counters of the property `name`.
    pub fn get(&self, name: &str) -> Option<&Slots> {
        self.properties.get(name)
    }
}

/// The slots one chunk's records hit, in any order.
#[derive(Debug, Default)]
pub struct Tally(pub Vec<u32>);

impl Tally {
    /// One more of `slot`.
    pub fn hit(&mut self, slot: u32) {
        self.0.push(slot);
    }

    /// The properties of an event or update: each counted when `counters`
    /// has it.
    pub fn properties<'a>(
        &mut self,
        counters: &Counters,
        properties: impl IntoIterator<Item = (&'a str, Prop<'a>)>,
    ) {
        self.hit(counters.records);
        for (name, value) in properties {
            if let Some(slots) = counters.get(name) {
                self.property(slots, value);
            }
        }
    }

    /// A property sent with `value`.
    pub fn property(&mut self, slots: &Slots, value: Prop<'_>) {
        self.hit(slots.present);
        if value.first_byte() == b'n' {
            self.hit(slots.null);
            return;
        }
        if slots.values.is_empty() {
            return;
        }
        // Strings (the usual enum) are compared without being parsed.
        if !slots.list
            && let Some(text) = value.as_str()
        {
            let found = slots
                .values
                .iter()
                .find(|(own, _)| own.as_str() == Some(&*text));
            if let Some((_, slot)) = found {
                self.hit(*slot);
            }
            return;
        }
        self.value(slots, &value.value());
    }

    /// A profile or group operation on a property: the operations that
    /// give it values count (`$set`, `$set_once`, `$add`, `$union`,
    /// `$append`; `$remove` takes one away), an appended value as one item.
    pub fn operation(&mut self, slots: &Slots, op: &str, value: &Value) {
        if !matches!(op, "$set" | "$set_once" | "$add" | "$union" | "$append") {
            return;
        }
        self.hit(slots.present);
        if value.is_null() {
            self.hit(slots.null);
        } else if op == "$append" && slots.list {
            if let Some(slot) = slots.value_slot(value) {
                self.hit(slot);
            }
        } else {
            self.value(slots, value);
        }
    }

    /// A property's value, already parsed.
    pub fn value(&mut self, slots: &Slots, value: &Value) {
        match (slots.list, value) {
            (true, Value::Array(items)) => {
                for item in items {
                    if let Some(slot) = slots.value_slot(item) {
                        self.hit(slot);
                    }
                }
            }
            (true, _) => {}
            (false, value) => {
                if let Some(slot) = slots.value_slot(value) {
                    self.hit(slot);
                }
            }
        }
    }
}

/// The counters of a run.
#[derive(Debug, Clone, Default)]
pub struct Counts(pub Vec<u64>);

impl Counts {
    /// Adds a chunk's tally.
    pub fn add(&mut self, tally: &Tally) {
        for slot in &tally.0 {
            let slot = *slot as usize;
            if slot >= self.0.len() {
                self.0.resize(slot + 1, 0);
            }
            self.0[slot] += 1;
        }
    }

    /// Adds `count` to a counter (the SQL form's results).
    pub fn add_count(&mut self, slot: u32, count: u64) {
        let slot = slot as usize;
        if slot >= self.0.len() {
            self.0.resize(slot + 1, 0);
        }
        self.0[slot] += count;
    }

    /// The count of `slot`.
    pub fn get(&self, slot: u32) -> u64 {
        self.0.get(slot as usize).copied().unwrap_or(0)
    }
}

/// The coverage of a run, as reports show it.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Summary {
    /// Covered items of the plan, in percent (100 for a plan without any).
    pub percent: f64,
    /// Items of the plan that count (see `docs/coverage.md`).
    pub items: u64,
    /// Of them, those the traffic showed.
    pub covered: u64,
    /// Active events, and those seen.
    pub events: Share,
    /// Properties (of active events, super, user and group properties),
    /// and those seen with a value other than `null`.
    pub properties: Share,
    /// Enum values, and those seen.
    pub values: Share,
    /// Per event, in plan order.
    pub per_event: Vec<EventSummary>,
    /// The super properties, across the records of planned events.
    pub super_properties: Vec<PropertySummary>,
    /// Profile updates read.
    pub profile_updates: u64,
    /// The user properties, in profile updates.
    pub user_properties: Vec<PropertySummary>,
    /// Per group type.
    pub groups: Vec<GroupSummary>,
}

/// How many items of a kind, and how many of them were seen.
#[derive(Debug, Clone, Copy, Default, Serialize, PartialEq, Eq)]
pub struct Share {
    /// Items that count.
    pub planned: u64,
    /// Of them, those seen.
    pub seen: u64,
}

/// One event's coverage.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct EventSummary {
    /// The event's name.
    pub name: String,
    /// Its lifecycle (only active events count toward the percentage).
    pub status: Status,
    /// Records of it.
    pub records: u64,
    /// Its own properties (those of every case included).
    pub properties: Vec<PropertySummary>,
}

/// One property's coverage.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct PropertySummary {
    /// The property's name.
    pub name: String,
    /// Records that carried it.
    pub present: u64,
    /// Records that carried it as `null`.
    pub null: u64,
    /// Its enum values, each with how often it was sent.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub values: Vec<ValueCount>,
}

impl PropertySummary {
    /// Whether it arrived with a value other than `null`.
    pub fn seen(&self) -> bool {
        self.present > self.null
    }
}

/// An enum value and how often it was sent.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ValueCount {
    /// The value.
    pub value: Value,
    /// How often.
    pub count: u64,
}

/// One group type's coverage.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct GroupSummary {
    /// The group key.
    pub key: String,
    /// Group updates of it.
    pub records: u64,
    /// Its properties.
    pub properties: Vec<PropertySummary>,
}

impl Summary {
    /// The coverage the `counts` of a run give `layout`.
    pub fn new(layout: &Layout, counts: &Counts) -> Self {
        let property = |p: &PropertySlots| PropertySummary {
            name: p.name.clone(),
            present: counts.get(p.slots.present),
            null: counts.get(p.slots.null),
            values: p
                .slots
                .values
                .iter()
                .map(|(value, slot)| ValueCount {
                    value: value.clone(),
                    count: counts.get(*slot),
                })
                .collect(),
        };
        let per_event: Vec<EventSummary> = layout
            .events
            .iter()
            .map(|e| EventSummary {
                name: e.name.clone(),
                status: e.status,
                records: counts.get(e.records),
                properties: e
                    .properties
                    .iter()
                    .filter(|p| !p.is_super)
                    .map(property)
                    .collect(),
            })
            .collect();
        let super_properties = layout
            .supers
            .iter()
            .map(|name| {
                let mut sum = PropertySummary {
                    name: name.clone(),
                    present: 0,
                    null: 0,
                    values: Vec::new(),
                };
                for e in &layout.events {
                    let Some(p) = e.properties.iter().find(|p| p.is_super && &p.name == name)
                    else {
                        continue;
                    };
                    let one = property(p);
                    sum.present += one.present;
                    sum.null += one.null;
                    if sum.values.is_empty() {
                        sum.values = one.values;
                    } else {
                        for (total, v) in sum.values.iter_mut().zip(one.values) {
                            total.count += v.count;
                        }
                    }
                }
                sum
            })
            .collect();
        let user_properties = layout.user.iter().map(property).collect();
        let groups = layout
            .groups
            .iter()
            .map(|g| GroupSummary {
                key: g.key.clone(),
                records: counts.get(g.records),
                properties: g.properties.iter().map(property).collect(),
            })
            .collect();
        let mut summary = Self {
            percent: 100.0,
            items: 0,
            covered: 0,
            events: Share::default(),
            properties: Share::default(),
            values: Share::default(),
            per_event,
            super_properties,
            profile_updates: counts.get(layout.profiles),
            user_properties,
            groups,
        };
        summary.count_items();
        summary
    }

    /// Counts the items and those covered (the rule is in
    /// `docs/coverage.md`).
    fn count_items(&mut self) {
        let mut events = Share::default();
        let mut properties = Share::default();
        let mut values = Share::default();
        let mut add = |list: &[PropertySummary]| {
            for p in list {
                properties.planned += 1;
                properties.seen += u64::from(p.seen());
                for v in &p.values {
                    values.planned += 1;
                    values.seen += u64::from(v.count > 0);
                }
            }
        };
        for e in self.per_event.iter().filter(|e| e.status == Status::Active) {
            events.planned += 1;
            events.seen += u64::from(e.records > 0);
            add(&e.properties);
        }
        add(&self.super_properties);
        add(&self.user_properties);
        for g in &self.groups {
            add(&g.properties);
        }
        self.events = events;
        self.properties = properties;
        self.values = values;
        self.items = events.planned + properties.planned + values.planned;
        self.covered = events.seen + properties.seen + values.seen;
        self.percent = if self.items == 0 {
            100.0
        } else {
            // One decimal, so the JSON and the human report agree.
            (self.covered as f64 * 1000.0 / self.items as f64).floor() / 10.0
        };
    }
}
