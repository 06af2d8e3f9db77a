//! The comparison itself: events by name (or `renamed_from`), then their
//! properties, then each property's type and constraints; then the
//! identifiers of the generated code, per built-in target, as the naming
//! authority gives them out for each version.

use crate::rules::diff as rule;
use serde_json::Value;

use super::{Category, Change};
use crate::codegen::{Names, Target};
use crate::format::{AdditionalProperties, Status};
use crate::plan::{Event, Origin, Plan, Property, Schema};
use crate::yaml::Path;

/// Every change from `old` to `new`, in plan order.
pub fn diff(old: &Plan, new: &Plan) -> Vec<Change> {
    let mut d = Differ {
        old,
        new,
        changes: Vec::new(),
    };
    d.plan_wide();
    for o in &old.events {
        if new.event(&o.name).is_some() {
            continue;
        }
        match new
            .events
            .iter()
            .find(|n| n.renamed_from.as_deref() == Some(o.name.as_str()))
        {
            Some(n) => d.push_new(
                rule::EVENT_RENAMED,
                &n.origin,
                format!("event `{}` renamed `{}`", o.name, n.name),
            ),
            None => d.push_old(
                rule::EVENT_REMOVED,
                &o.origin,
                format!("event `{}` removed", o.name),
            ),
        }
    }
    for n in &new.events {
        let previous = old.event(&n.name).or_else(|| {
            n.renamed_from
                .as_deref()
                .and_then(|r| old.event(r))
                .filter(|_| old.event(&n.name).is_none())
        });
        match previous {
            Some(o) => d.event(o, n),
            None => d.push_new(
                rule::EVENT_ADDED,
                &n.origin,
                format!("event `{}` added", n.name),
            ),
        }
    }
    d.properties(
        "super property",
        &old.super_properties,
        &new.super_properties,
    );
    d.properties("user property", &old.user_properties, &new.user_properties);
    for o in &old.groups {
        if !new.groups.iter().any(|n| n.name == o.name) {
            d.push_old(
                rule::GROUP_REMOVED,
                &o.origin,
                format!("group `{}` removed", o.name),
            );
        }
    }
    for n in &new.groups {
        match old.groups.iter().find(|o| o.name == n.name) {
            Some(o) => d.properties(
                &format!("property of group `{}`", n.name),
                &o.properties,
                &n.properties,
            ),
            None => d.push_new(
                rule::GROUP_ADDED,
                &n.origin,
                format!("group `{}` added", n.name),
            ),
        }
    }
    d.identifiers();
    d.changes
}

struct Differ<'p> {
    old: &'p Plan,
    new: &'p Plan,
    changes: Vec<Change>,
}

impl Differ<'_> {
    fn push(
        &mut self,
        rule: &'static crate::rules::Rule,
        at: Option<crate::diagnostic::Label>,
        message: String,
    ) {
        // Every rule of `rules::diff` has both; the fallback is never taken.
        let (category, bump) = rule
            .change()
            .unwrap_or((Category::Compatible, super::Bump::Patch));
        self.changes.push(Change {
            rule,
            category,
            bump,
            message,
            at,
        });
    }

    fn push_new(&mut self, rule: &'static crate::rules::Rule, origin: &Origin, message: String) {
        let at = key_label(self.new, origin, rule.id());
        self.push(rule, at, message);
    }

    fn push_old(&mut self, rule: &'static crate::rules::Rule, origin: &Origin, message: String) {
        let at = key_label(self.old, origin, &format!("{rule} (old plan)"));
        self.push(rule, at, message);
    }

    /// Items of both versions whose generated identifiers differ, one
    /// change per item and target: code using the old name stops compiling.
    fn identifiers(&mut self) {
        for target in Target::builtins() {
            let old = Names::allocate(self.old, &target);
            let new = Names::allocate(self.new, &target);
            let new_names = new.all();
            for (item, before) in old.all() {
                let Some(after) = new_names.get(item) else {
                    continue;
                };
                let renamed: Vec<String> = before
                    .iter()
                    .filter_map(|(key, was)| {
                        let now = after.get(key)?;
                        (now != was).then(|| format!("`{was}` → `{now}`"))
                    })
                    .collect();
                if renamed.is_empty() {
                    continue;
                }
                let message = format!("{item}: {} {}", target.spec.name, renamed.join(", "));
                let at = new
                    .origins
                    .get(item)
                    .and_then(|o| key_label(self.new, o, rule::IDENTIFIER_RENAMED.id()));
                self.push(rule::IDENTIFIER_RENAMED, at, message);
            }
        }
    }

    /// What holds for the whole plan: its identity keys and its policy on
    /// undeclared properties.
    fn plan_wide(&mut self) {
        let (o, n) = (&self.old.identity, &self.new.identity);
        for (key, was, now) in [
            ("anonymous_id", &o.anonymous_id, &n.anonymous_id),
            ("user_id", &o.user_id, &n.user_id),
        ] {
            if was != now {
                self.push_new(
                    rule::IDENTITY_CHANGED,
                    &plan_key("identity"),
                    format!("identity `{key}` changed from `{was}` to `{now}`"),
                );
            }
        }
        let (was, now) = (
            self.old.additional_properties,
            self.new.additional_properties,
        );
        self.policy("the plan", &plan_key("additional_properties"), was, now);
    }

    /// A change of the policy on undeclared properties of `whose`.
    fn policy(
        &mut self,
        whose: &str,
        at: &Origin,
        was: AdditionalProperties,
        now: AdditionalProperties,
    ) {
        if was == now {
            return;
        }
        let rule = if strictness(now) > strictness(was) {
            rule::UNDECLARED_PROPERTIES_TIGHTENED
        } else {
            rule::UNDECLARED_PROPERTIES_LOOSENED
        };
        self.push_new(
            rule,
            at,
            format!(
                "undeclared properties of {whose}: `additional_properties` {} → {}",
                policy_name(was),
                policy_name(now)
            ),
        );
    }

    fn event(&mut self, o: &Event, n: &Event) {
        // An event's policy is its own or the plan's: a change of the
        // plan's is reported once, above.
        let plan_change = (
            self.old.additional_properties,
            self.new.additional_properties,
        );
        if (o.additional_properties, n.additional_properties) != plan_change {
            self.policy(
                &format!("`{}`", n.name),
                &n.origin,
                o.additional_properties,
                n.additional_properties,
            );
        }
        if n.identified != o.identified {
            let (rule, message) = if n.identified {
                (rule::IDENTIFIED_ADDED, "must now carry the user id")
            } else {
                (rule::IDENTIFIED_REMOVED, "no longer needs the user id")
            };
            self.push_new(rule, &n.origin, format!("event `{}` {message}", n.name));
        }
        if o.status != n.status && n.status != Status::Deprecated {
            self.push_new(
                rule::EVENT_STATUS_CHANGED,
                &n.origin,
                format!(
                    "event `{}` status {} → {}",
                    n.name,
                    status_name(o.status),
                    status_name(n.status)
                ),
            );
        }
        if n.status == Status::Deprecated && o.status != Status::Deprecated {
            let replacement = n
                .replaced_by
                .as_ref()
                .map_or_else(String::new, |r| format!("; replaced by `{r}`"));
            self.push_new(
                rule::EVENT_DEPRECATED,
                &n.origin,
                format!("event `{}` deprecated{replacement}", n.name),
            );
        }
        if o.description != n.description || o.owner != n.owner || o.tags != n.tags {
            self.push_new(
                rule::METADATA_CHANGED,
                &n.origin,
                format!("description, owner or tags of event `{}` changed", n.name),
            );
        }
        self.base_properties(o, n);
        self.variants(o, n);
    }

    /// The base properties of an event; one that moved from the base into
    /// cases, or from cases into the base, is a move, not a removal and an
    /// addition (its per-case changes are the cases').
    fn base_properties(&mut self, o: &Event, n: &Event) {
        let scope = format!("property of `{}`", n.name);
        // Where a case of `e` gives the property `name`, if one does.
        let in_cases = |e: &Event, name: &str| -> Option<Origin> {
            e.variants.as_ref().and_then(|v| {
                v.all()
                    .flat_map(|c| &c.properties)
                    .find(|p| p.name == name)
                    .map(|p| p.origin.clone())
            })
        };
        let mut old_base = o.properties.clone();
        let mut new_base = n.properties.clone();
        old_base.retain(|p| {
            let moved = (!n.properties.iter().any(|q| q.name == p.name))
                .then(|| in_cases(n, &p.name))
                .flatten();
            if let Some(at) = &moved {
                self.push_new(
                    rule::PROPERTY_MOVED_TO_CASE,
                    at,
                    format!(
                        "{scope} `{}` moved into cases: only those cases may send it",
                        p.name
                    ),
                );
            }
            moved.is_none()
        });
        new_base.retain(|p| {
            let moved =
                !o.properties.iter().any(|q| q.name == p.name) && in_cases(o, &p.name).is_some();
            if moved {
                self.push_new(
                    rule::PROPERTY_MOVED_TO_BASE,
                    &p.origin,
                    format!(
                        "{scope} `{}` moved out of cases into the base properties",
                        p.name
                    ),
                );
            }
            !moved
        });
        self.properties(&scope, &old_base, &new_base);
    }

    /// The cases of an event's variants: a changed discriminator, cases
    /// added and removed, and what each discriminator value is checked
    /// against where a case touches it.
    fn variants(&mut self, o: &Event, n: &Event) {
        let (ov, nv) = (o.variants.as_ref(), n.variants.as_ref());
        if ov.is_none() && nv.is_none() {
            return;
        }
        let by = |v: Option<&crate::plan::Variants>| v.map(|v| v.by.clone());
        if by(ov) != by(nv) {
            let at = nv.map_or(&n.origin, |v| &v.origin);
            let message = match (by(ov), by(nv)) {
                (None, Some(new)) => format!("`{}` now has variants by `{new}`", n.name),
                (Some(old), None) => {
                    format!("`{}` no longer has variants (they were by `{old}`)", n.name)
                }
                (old, new) => format!(
                    "variants of `{}` are now by `{}` (were by `{}`)",
                    n.name,
                    new.unwrap_or_default(),
                    old.unwrap_or_default()
                ),
            };
            self.push_new(rule::DISCRIMINATOR_CHANGED, at, message);
            return;
        }
        let (Some(ov), Some(nv)) = (ov, nv) else {
            return;
        };
        let keys = |v: &crate::plan::Variants| -> Vec<Option<String>> {
            v.all().map(|c| c.key.clone()).collect()
        };
        let mut all = keys(ov);
        for k in keys(nv) {
            if !all.contains(&k) {
                all.push(k);
            }
        }
        for key in all {
            let find = |v: &'_ crate::plan::Variants| v.all().find(|c| c.key == key).cloned();
            let (oc, nc) = (find(ov), find(nv));
            let label = format!("{}={}", nv.by, key.as_deref().unwrap_or("*"));
            match (&oc, &nc) {
                (None, Some(c)) => self.push_new(
                    rule::CASE_ADDED,
                    &c.origin,
                    format!("case {label} of `{}` added", n.name),
                ),
                (Some(c), None) => self.push_old(
                    rule::CASE_REMOVED,
                    &c.origin,
                    format!("case {label} of `{}` removed", n.name),
                ),
                _ => {}
            }
            // What the value is checked against, before and after: its
            // case, else the default case, else the base properties.
            let fallback = |v: &crate::plan::Variants| v.default.clone();
            let oc_eff = oc.clone().or_else(|| fallback(ov));
            let nc_eff = nc.clone().or_else(|| fallback(nv));
            let effective =
                |case: &Option<crate::plan::Case>, base: &[Property]| -> Vec<Property> {
                    case.as_ref().map_or_else(
                        || base.to_vec(),
                        |c| c.effective(base).into_iter().cloned().collect(),
                    )
                };
            let old_eff = effective(&oc_eff, &o.properties);
            let new_eff = effective(&nc_eff, &n.properties);
            // Only the names a case touches, in either version: the base
            // ones are compared once, above.
            let touched = |c: &Option<crate::plan::Case>| -> Vec<String> {
                c.iter()
                    .flat_map(|c| {
                        c.properties
                            .iter()
                            .map(|p| p.name.clone())
                            .chain(c.absent.clone())
                    })
                    .collect()
            };
            let names: Vec<String> = touched(&oc_eff)
                .into_iter()
                .chain(touched(&nc_eff))
                .collect();
            let keep = |list: Vec<Property>| -> Vec<Property> {
                list.into_iter()
                    .filter(|p| names.contains(&p.name))
                    .collect()
            };
            self.properties(
                &format!("property of `{} [{label}]`", n.name),
                &keep(old_eff),
                &keep(new_eff),
            );
        }
    }

    fn properties(&mut self, scope: &str, old: &[Property], new: &[Property]) {
        let find = |list: &'_ [Property], name: &str| list.iter().find(|p| p.name == name).cloned();
        for o in old {
            if find(new, &o.name).is_some() {
                continue;
            }
            match new
                .iter()
                .find(|n| n.renamed_from.as_deref() == Some(o.name.as_str()))
            {
                Some(n) => self.push_new(
                    rule::PROPERTY_RENAMED,
                    &n.origin,
                    format!("{scope} `{}` renamed `{}`", o.name, n.name),
                ),
                None => self.push_old(
                    rule::PROPERTY_REMOVED,
                    &o.origin,
                    format!("{scope} `{}` removed", o.name),
                ),
            }
        }
        for n in new {
            let previous =
                find(old, &n.name).or_else(|| n.renamed_from.as_deref().and_then(|r| find(old, r)));
            match previous {
                Some(o) => self.property(scope, &o, n),
                None if n.required => self.push_new(
                    rule::REQUIRED_PROPERTY_ADDED,
                    &n.origin,
                    format!("required {scope} `{}` added", n.name),
                ),
                None => self.push_new(
                    rule::OPTIONAL_PROPERTY_ADDED,
                    &n.origin,
                    format!("optional {scope} `{}` added", n.name),
                ),
            }
        }
    }

    fn property(&mut self, scope: &str, o: &Property, n: &Property) {
        let what = format!("{scope} `{}`", n.name);
        if !o.required && n.required {
            self.push_new(
                rule::PROPERTY_MADE_REQUIRED,
                &n.origin,
                format!("{what} is now required"),
            );
        } else if o.required && !n.required {
            self.push_new(
                rule::PROPERTY_MADE_OPTIONAL,
                &n.origin,
                format!("{what} is now optional"),
            );
        }
        if n.deprecated && !o.deprecated {
            self.push_new(
                rule::PROPERTY_DEPRECATED,
                &n.origin,
                format!("{what} deprecated"),
            );
        }
        if o.description != n.description {
            self.push_new(
                rule::METADATA_CHANGED,
                &n.origin,
                format!("description of {what} changed"),
            );
        }
        self.schema(&what, &n.origin, &o.schema, &n.schema);
    }

    fn schema(&mut self, what: &str, at: &Origin, o: &Schema, n: &Schema) {
        if o.ty != n.ty {
            self.push_new(
                rule::TYPE_CHANGED,
                at,
                format!("{what} changed type from {} to {}", o.ty, n.ty),
            );
            return;
        }
        match (&o.allowed, &n.allowed) {
            (Some(ov), Some(nv)) => {
                for v in ov.iter().filter(|v| !contains(nv, v)) {
                    self.push_new(
                        rule::ENUM_VALUE_REMOVED,
                        at,
                        format!("{what} no longer allows {v}"),
                    );
                }
                for v in nv.iter().filter(|v| !contains(ov, v)) {
                    self.push_new(rule::ENUM_VALUE_ADDED, at, format!("{what} now allows {v}"));
                }
            }
            (None, Some(_)) => self.push_new(
                rule::CONSTRAINT_NARROWED,
                at,
                format!("{what} is now limited to an enum"),
            ),
            (Some(_), None) => self.push_new(
                rule::CONSTRAINT_WIDENED,
                at,
                format!("{what} is no longer limited to an enum"),
            ),
            (None, None) => {}
        }
        let text = |f: Option<String>| f.unwrap_or_else(|| "none".to_owned());
        for (name, before, after) in [
            (
                "format",
                o.format.map(|f| f.as_str().to_owned()),
                n.format.map(|f| f.as_str().to_owned()),
            ),
            ("pattern", o.pattern.clone(), n.pattern.clone()),
        ] {
            if before == after {
                continue;
            }
            let rule = if after.is_none() {
                rule::CONSTRAINT_WIDENED
            } else {
                rule::CONSTRAINT_NARROWED
            };
            self.push_new(
                rule,
                at,
                format!("{what}: {name} {} → {}", text(before), text(after)),
            );
        }
        if o.nullable != n.nullable {
            let rule = if n.nullable {
                rule::CONSTRAINT_WIDENED
            } else {
                rule::CONSTRAINT_NARROWED
            };
            self.push_new(
                rule,
                at,
                format!(
                    "{what} {} null",
                    if n.nullable {
                        "now accepts"
                    } else {
                        "no longer accepts"
                    }
                ),
            );
        }
        let bounds = [
            ("minimum", o.minimum, n.minimum, true),
            ("maximum", o.maximum, n.maximum, false),
            (
                "min_length",
                o.min_length.map(|v| v as f64),
                n.min_length.map(|v| v as f64),
                true,
            ),
            (
                "max_length",
                o.max_length.map(|v| v as f64),
                n.max_length.map(|v| v as f64),
                false,
            ),
            (
                "min_items",
                o.min_items.map(|v| v as f64),
                n.min_items.map(|v| v as f64),
                true,
            ),
            (
                "max_items",
                o.max_items.map(|v| v as f64),
                n.max_items.map(|v| v as f64),
                false,
            ),
        ];
        for (name, before, after, lower) in bounds {
            let narrowed = match (before, after) {
                (None, Some(_)) => Some(true),
                (Some(_), None) => Some(false),
                (Some(b), Some(a)) if a != b => Some(if lower { a > b } else { a < b }),
                _ => None,
            };
            if let Some(narrowed) = narrowed {
                let rule = if narrowed {
                    rule::CONSTRAINT_NARROWED
                } else {
                    rule::CONSTRAINT_WIDENED
                };
                let show = |v: Option<f64>| v.map_or_else(|| "none".to_owned(), |v| v.to_string());
                self.push_new(
                    rule,
                    at,
                    format!("{what}: {name} {} → {}", show(before), show(after)),
                );
            }
        }
        if let (Some(oi), Some(ni)) = (&o.items, &n.items) {
            self.schema(&format!("{what} items"), at, oi, ni);
        }
        if !o.properties.is_empty() || !n.properties.is_empty() {
            self.properties(&format!("field of {what}"), &o.properties, &n.properties);
        }
    }
}

/// A label on the key naming `origin` (the event or property name).
/// A top-level key of the plan's root document.
fn plan_key(key: &str) -> Origin {
    Origin {
        document: 0,
        path: Path::root().key(key),
    }
}

/// How strictly undeclared properties are reported.
fn strictness(policy: AdditionalProperties) -> u8 {
    match policy {
        AdditionalProperties::Allow => 0,
        AdditionalProperties::Warn => 1,
        AdditionalProperties::Deny => 2,
    }
}

fn policy_name(policy: AdditionalProperties) -> &'static str {
    match policy {
        AdditionalProperties::Allow => "allow",
        AdditionalProperties::Warn => "warn",
        AdditionalProperties::Deny => "deny",
    }
}

fn status_name(status: Status) -> &'static str {
    match status {
        Status::Active => "active",
        Status::Planned => "planned",
        Status::Deprecated => "deprecated",
    }
}

fn key_label(plan: &Plan, origin: &Origin, message: &str) -> Option<crate::diagnostic::Label> {
    plan.key_span(origin)
        .map(|(file, span)| crate::diagnostic::Label {
            file,
            span,
            message: Some(message.to_owned()),
        })
}

fn contains(values: &[Value], v: &Value) -> bool {
    values.iter().any(|x| x == v)
}
