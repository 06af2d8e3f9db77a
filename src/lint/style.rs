//! The style rules: descriptions, naming conventions, reserved prefixes,
//! unused definitions, deprecations without a replacement, unmarked PII.
//! Each finding is produced at its rule's default severity; [`super::lint`]
//! applies the plan's configuration.

use crate::rules::{Rule, lint as rule};
use std::collections::HashSet;

use crate::diagnostic::Diagnostic;
use crate::format::{Case, Status};
use crate::mixpanel;

use crate::plan::{Origin, Plan, Property};

/// Where a property list sits, which decides the names Mixpanel reserves.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Section {
    Event,
    User,
    Group,
}

struct Style<'p> {
    plan: &'p Plan,
    findings: Vec<Diagnostic>,
    event_case: Case,
    property_case: Case,
}

/// Runs every style rule.
pub fn check(plan: &Plan) -> Vec<Diagnostic> {
    let naming = plan.lint.naming.clone().unwrap_or_default();
    let mut s = Style {
        plan,
        findings: Vec::new(),
        event_case: naming.events.unwrap_or(Case::TitleCase),
        property_case: naming.properties.unwrap_or(Case::SnakeCase),
    };
    if plan.description.is_none()
        && let Some(doc) = plan.documents.first()
    {
        let at = doc.root.span.start;
        let d = s
            .finding(rule::MISSING_DESCRIPTION, "the plan has no description")
            .at(&doc.file, at..at, "")
            .with_help("add `description:` saying what the plan covers");
        s.findings.push(d);
    }
    for definition in &plan.definitions {
        s.property(definition, "shared definition", Section::Event);
    }
    s.unused_definitions();
    for property in &plan.super_properties {
        s.property(property, "super property", Section::Event);
    }
    for event in &plan.events {
        let sdk_event = mixpanel::is_sdk_event(&event.name);
        if event.description.is_none() {
            let d = s
                .finding(
                    rule::MISSING_DESCRIPTION,
                    format!("event `{}` has no description", event.name),
                )
                .with_help("say what happened, for an analyst reading a report");
            s.push_at(&event.origin, d, "no description");
        }
        if !sdk_event {
            if mixpanel::has_reserved_prefix(&event.name) {
                let d = s
                    .finding(
                        rule::RESERVED_PREFIX,
                        format!("event `{}` uses a prefix reserved for Mixpanel", event.name),
                    )
                    .with_help(
                        "names starting with `$` or `mp_` belong to Mixpanel; drop the prefix",
                    );
                s.push_at(&event.origin, d, "reserved prefix");
            } else {
                s.name_convention(
                    rule::EVENT_NAMING,
                    "event",
                    &event.name,
                    s.event_case,
                    &event.origin,
                );
            }
        }
        if event.status == Status::Deprecated && event.replaced_by.is_none() {
            let d = s
                .finding(
                    rule::DEPRECATED_WITHOUT_REPLACEMENT,
                    format!("deprecated event `{}` names no replacement", event.name),
                )
                .with_help("add `replaced_by: <event>`, naming the event to send instead");
            let origin = Origin {
                document: event.origin.document,
                path: event.origin.path.key("status"),
            };
            let label = s.plan.label(&origin, "deprecated here");
            if let Some(label) = label {
                let mut d = d;
                d.primary = Some(label);
                s.findings.push(d);
            }
        }
        for property in &event.properties {
            s.property(property, "property", Section::Event);
        }
    }
    for property in &plan.user_properties {
        s.property(property, "user property", Section::User);
    }
    for group in &plan.groups {
        if group.description.is_none() {
            let d = s
                .finding(
                    rule::MISSING_DESCRIPTION,
                    format!("group `{}` has no description", group.name),
                )
                .with_help("say what a group of this kind is");
            s.push_at(&group.origin, d, "no description");
        }
        for property in &group.properties {
            s.property(property, "group property", Section::Group);
        }
    }
    s.findings
}

impl Style<'_> {
    fn finding(&self, rule: &'static Rule, message: impl Into<String>) -> Diagnostic {
        Diagnostic::new(rule, rule.severity(), message)
    }

    /// Points `d` at the key naming `origin` and keeps it.
    fn push_at(&mut self, origin: &Origin, d: Diagnostic, label: &str) {
        if let Some((file, span)) = self.plan.key_span(origin) {
            self.findings.push(d.at(&file, span, label));
        }
    }

    fn name_convention(
        &mut self,
        id: &'static Rule,
        noun: &str,
        name: &str,
        case: Case,
        origin: &Origin,
    ) {
        if case.matches(name) {
            return;
        }
        let suggestion = case.convert(name);
        let mut d = self.finding(id, format!("{noun} `{name}` is not in {}", case.as_str()));
        d = if suggestion != name && case.matches(&suggestion) {
            d.with_help(format!(
                "rename it `{suggestion}`; the plan's convention is {}",
                case.example()
            ))
        } else {
            d.with_help(format!("the plan's convention is {}", case.example()))
        };
        self.push_at(origin, d, "name");
    }

    fn property(&mut self, property: &Property, noun: &str, section: Section) {
        let name = &property.name;
        if property.description.is_none() {
            let d = self
                .finding(
                    rule::MISSING_DESCRIPTION,
                    format!("{noun} `{name}` has no description"),
                )
                .with_help("say what the value means, for an analyst reading a report");
            self.push_at(&property.origin, d, "no description");
        }
        if mixpanel::has_reserved_prefix(name) {
            let known = match section {
                Section::User => mixpanel::RESERVED_USER_PROPERTIES.contains(&name.as_str()),
                Section::Event => mixpanel::DEFAULT_EVENT_PROPERTIES.contains(&name.as_str()),
                Section::Group => false,
            };
            if !known {
                let d = self
                    .finding(
                        rule::RESERVED_PREFIX,
                        format!("{noun} `{name}` uses a prefix reserved for Mixpanel"),
                    )
                    .with_help(
                        "names starting with `$` or `mp_` belong to Mixpanel; drop the prefix",
                    );
                self.push_at(&property.origin, d, "reserved prefix");
            }
        } else {
            self.name_convention(
                rule::PROPERTY_NAMING,
                noun,
                name,
                self.property_case,
                &property.origin,
            );
        }
        // Group properties describe companies, stores and teams, not people.
        if section != Section::Group && !property.pii && looks_like_pii(name) {
            let d = self
                .finding(rule::PII_NOT_MARKED, format!("{noun} `{name}` looks like personal data but is not marked `pii: true`"))
                .with_help("add `pii: true` (on the shared definition, for a `ref`), or rename it if it holds no personal data");
            self.push_at(&property.origin, d, "personal data?");
        }
        if property.reference.is_none() {
            for field in &property.schema.properties {
                self.property(field, "field", section);
            }
        }
    }

    fn unused_definitions(&mut self) {
        let mut used = HashSet::new();
        let plan = self.plan;
        let mut note = |p: &Property| {
            if let Some(r) = &p.reference {
                used.insert(r.clone());
            }
        };
        let all = plan
            .super_properties
            .iter()
            .chain(&plan.user_properties)
            .chain(plan.events.iter().flat_map(|e| &e.properties))
            .chain(plan.groups.iter().flat_map(|g| &g.properties));
        for p in all {
            walk(p, &mut note);
        }
        for definition in &plan.definitions {
            walk(definition, &mut note);
        }
        // Refs inside list items are not Properties of the resolved plan;
        // read them from the documents.
        for doc in &plan.documents {
            collect_item_refs(&doc.root, &mut used);
        }
        for definition in &plan.definitions {
            if !used.contains(&definition.name) {
                let d = self
                    .finding(
                        rule::UNUSED_DEFINITION,
                        format!("shared definition `{}` is never used", definition.name),
                    )
                    .with_help("use it with `{ref: ...}` or delete it");
                self.push_at(&definition.origin, d, "unused");
            }
        }
    }
}

fn walk(property: &Property, f: &mut impl FnMut(&Property)) {
    f(property);
    for field in &property.schema.properties {
        walk(field, f);
    }
}

fn collect_item_refs(node: &crate::yaml::Node, used: &mut HashSet<String>) {
    use crate::yaml::Value;
    match &node.value {
        Value::Mapping(mapping) => {
            for e in mapping.entries() {
                if e.key.as_str() == Some("ref")
                    && let Some(r) = e.value.as_str()
                {
                    used.insert(r.to_owned());
                }
                collect_item_refs(&e.value, used);
            }
        }
        Value::Sequence(items) => items.iter().for_each(|n| collect_item_refs(n, used)),
        Value::Scalar(_) => {}
    }
}

/// Whether a property name suggests personal data.
fn looks_like_pii(name: &str) -> bool {
    const WHOLE: &[&str] = &[
        "name",
        "first_name",
        "last_name",
        "full_name",
        "display_name",
        "username",
        "user_name",
        "customer_name",
        "birth_date",
        "date_of_birth",
        "street",
        "street_address",
        "postal_code",
        "zip_code",
        "postcode",
        "zip",
    ];
    const LAST_WORD: &[&str] = &[
        "email", "phone", "mobile", "ip", "address", "ssn", "birthday", "dob", "passport", "iban",
    ];
    let id = crate::naming::words(name).join("_");
    WHOLE.contains(&id.as_str())
        || id
            .rsplit('_')
            .next()
            .is_some_and(|w| LAST_WORD.contains(&w))
}

#[cfg(test)]
mod tests {
    use super::looks_like_pii;

    #[test]
    fn pii_names() {
        for name in [
            "$email",
            "email",
            "work_email",
            "phone",
            "ip_address",
            "$name",
            "first_name",
            "date_of_birth",
        ] {
            assert!(looks_like_pii(name), "{name}");
        }
        for name in [
            "email_domain",
            "item_name",
            "store_name",
            "email_verified",
            "page_url",
        ] {
            assert!(!looks_like_pii(name), "{name}");
        }
    }
}
