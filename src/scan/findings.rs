//! The calls of a scan against the plan: the findings of the `scan` rules
//! ([`crate::rules::scan`]) and, per planned event, where the code sends
//! it (what `trackplan coverage` joins with traffic).

use std::collections::BTreeMap;

use serde::Serialize;

use super::{Action, Call, EventName, Scan, Via};
use crate::diagnostic::Diagnostic;
use crate::format::Status;
use crate::mixpanel;
use crate::plan::{Event, Plan, Property};
use crate::rules::scan as rule;

/// Where one planned event is sent from.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct EventCalls {
    /// The event.
    pub name: String,
    /// Its lifecycle.
    pub status: Status,
    /// Each call site, `file:line:column`, with how it sends.
    pub calls: Vec<Site>,
}

/// One call site.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Site {
    /// The file, as scanned.
    pub file: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
    /// `helper` or `raw`.
    pub via: &'static str,
}

/// What a scan's calls mean for the plan.
#[derive(Debug, Default)]
pub struct Findings {
    /// Every finding, sorted by place.
    pub diagnostics: Vec<Diagnostic>,
    /// Per planned event, in plan order.
    pub events: Vec<EventCalls>,
}

/// The findings of `scan` about `plan`.
pub fn findings(plan: &Plan, scan: &Scan) -> Findings {
    let generated = &scan.generated;
    let mut out = scan.diagnostics.clone();
    let mut sites: BTreeMap<&str, Vec<Site>> = BTreeMap::new();
    let helper_of: BTreeMap<&str, &str> = generated
        .ts_helpers
        .iter()
        .map(|(helper, event)| (event.as_str(), helper.as_str()))
        .collect();
    let renamed: BTreeMap<&str, &str> = plan.renamed_events().into_iter().collect();
    for call in &scan.calls {
        match &call.action {
            Action::Track(EventName::Dynamic) => out.push(
                finding(rule::DYNAMIC_EVENT_NAME,
                    "the event name is computed, so nobody can tell which event this sends",
                )
                .at(&call.file, call.span.clone(), "not a string literal")
                .with_help("send one planned event per action, with a literal name; put what varies in a property"),
            ),
            Action::Track(EventName::Literal(name)) => match plan.event(name) {
                Some(event) => {
                    let start = call.file.position(call.span.start);
                    sites.entry(event.name.as_str()).or_default().push(Site {
                        file: call.file.name().to_owned(),
                        line: start.line,
                        column: start.column,
                        via: match call.via {
                            Via::Helper => "helper",
                            Via::Raw => "raw",
                        },
                    });
                    out.extend(planned(plan, event, call, helper_of.get(name.as_str())));
                }
                None if mixpanel::is_sdk_event(name) => {}
                None => out.push(unplanned(plan, name, call, renamed.get(name.as_str()))),
            },
            Action::Register => {
                let declared = |key: &str| plan.super_properties.iter().any(|p| p.name == key);
                out.extend(undeclared(call, "a super property", declared));
            }
            Action::Profile(op) if op != "unset" && op != "remove" => {
                let declared = |key: &str| {
                    plan.user_properties.iter().any(|p| p.name == key)
                        || mixpanel::RESERVED_USER_PROPERTIES.contains(&key)
                };
                out.extend(undeclared(call, "a user property", declared));
            }
            Action::Profile(_) => {}
        }
    }
    let mut events = Vec::new();
    for event in &plan.events {
        let calls = sites.remove(event.name.as_str()).unwrap_or_default();
        if calls.is_empty() && event.status == Status::Active {
            let mut d = finding(
                rule::NEVER_CALLED,
                format!("no scanned code sends `{}`", event.name),
            );
            d.help = Some(match helper_of.get(event.name.as_str()) {
                Some(helper) => format!(
                    "send it where it happens (in TypeScript, the generated `{helper}(...)`), or mark the event `status: planned`"
                ),
                None => "send it where it happens, or mark the event `status: planned`".to_owned(),
            });
            if let Some((file, span)) = plan.key_span(&event.origin) {
                d = d.at(&file, span, "never sent");
            }
            out.push(d);
        }
        events.push(EventCalls {
            name: event.name.clone(),
            status: event.status,
            calls,
        });
    }
    crate::diagnostic::sort(&mut out);
    Findings {
        diagnostics: out,
        events,
    }
}

/// The findings on a call of a planned event: a raw call that has a
/// helper, a deprecated event, undeclared keys.
fn planned(plan: &Plan, event: &Event, call: &Call, helper: Option<&&str>) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    if call.via == Via::Raw {
        let mut d = finding(
            rule::RAW_CALL,
            format!("`{}` is sent with a raw SDK call", event.name),
        )
        .at(&call.file, call.span.clone(), "untyped");
        let typescript = super::walk::language(std::path::Path::new(call.file.name()))
            == Some(super::walk::Language::EcmaScript);
        if let Some(helper) = helper.filter(|_| typescript) {
            d = d.with_help(format!(
                "call the generated `{helper}(...)`: a wrong property or value is then a compile error"
            ));
        }
        out.push(d);
    }
    if event.status == Status::Deprecated {
        let help = match &event.replaced_by {
            Some(new) => format!("send `{new}` instead"),
            None => "the plan names no replacement; ask its owner".to_owned(),
        };
        out.push(
            finding(
                rule::DEPRECATED_CALL,
                format!("`{}` is deprecated", event.name),
            )
            .at(&call.file, call.span.clone(), "deprecated event")
            .with_help(help),
        );
    }
    let declared = |key: &str| {
        has(&event.properties, key)
            || has(&plan.super_properties, key)
            || event
                .variants
                .iter()
                .flat_map(|v| v.all())
                .any(|case| has(&case.properties, key))
            || key == plan.identity.user_id
            || key == plan.identity.anonymous_id
            || key == "distinct_id"
    };
    out.extend(undeclared(
        call,
        &format!("a property of `{}`", event.name),
        declared,
    ));
    out
}

/// A finding of `rule` at its default severity.
fn finding(rule: &'static crate::rules::Rule, message: impl Into<String>) -> Diagnostic {
    Diagnostic::new(rule, rule.severity(), message)
}

fn has(properties: &[Property], key: &str) -> bool {
    properties.iter().any(|p| p.name == key)
}

/// `undeclared-property` for each key of `call` that `declared` refuses
/// (the SDKs' own properties are never reported).
fn undeclared(call: &Call, what: &str, declared: impl Fn(&str) -> bool) -> Vec<Diagnostic> {
    call.keys
        .iter()
        .filter(|(key, _)| !declared(key) && !mixpanel::is_sdk_event_property(key))
        .map(|(key, span)| {
            finding(
                rule::UNDECLARED_PROPERTY,
                format!("`{key}` is not {what} in the plan"),
            )
            .at(&call.file, span.clone(), "not in the plan")
        })
        .collect()
}

/// `unplanned-call`, naming the new name of a renamed event or the nearest
/// planned one.
fn unplanned(plan: &Plan, name: &str, call: &Call, renamed_to: Option<&&str>) -> Diagnostic {
    let d = finding(
        rule::UNPLANNED_CALL,
        format!("`{name}` is not an event of the plan"),
    )
    .at(&call.file, call.span.clone(), "unplanned");
    if let Some(new) = renamed_to {
        return d.with_help(format!("the plan renamed it: send `{new}`"));
    }
    match crate::suggest::closest(name, plan.events.iter().map(|e| e.name.as_str())) {
        Some(near) => d.with_help(format!("did you mean `{near}`?")),
        None => d.with_help("add it to the plan, or send a planned event"),
    }
}
