//! Every rule `trackplan diff` reports, with its category and bump.

use super::{Bump, Category};

/// A diff rule.
#[derive(Debug, Clone, Copy)]
pub struct DiffRule {
    /// Stable id.
    pub id: &'static str,
    /// How the change affects users.
    pub category: Category,
    /// The bump it needs.
    pub bump: Bump,
    /// What it reports.
    pub what: &'static str,
}

const fn rule(id: &'static str, category: Category, bump: Bump, what: &'static str) -> DiffRule {
    DiffRule {
        id,
        category,
        bump,
        what,
    }
}

use Bump::{Major, Minor, Patch};
use Category::{BreakingCode, BreakingReports, Compatible, Deprecation};

/// All rules.
pub const DIFF_RULES: &[DiffRule] = &[
    rule(
        "event-removed",
        BreakingReports,
        Major,
        "An event is gone: reports on it stop receiving data.",
    ),
    rule(
        "event-renamed",
        BreakingReports,
        Major,
        "An event has a new name (`renamed_from` names the old one): reports must follow it.",
    ),
    rule(
        "property-removed",
        BreakingReports,
        Major,
        "A property is gone: breakdowns and filters on it go empty.",
    ),
    rule(
        "property-renamed",
        BreakingReports,
        Major,
        "A property has a new name (`renamed_from`).",
    ),
    rule(
        "type-changed",
        BreakingReports,
        Major,
        "A property's type changed.",
    ),
    rule(
        "enum-value-removed",
        BreakingReports,
        Major,
        "A value is no longer allowed: reports filtering on it go empty, and code sending it stops compiling.",
    ),
    rule(
        "constraint-narrowed",
        BreakingReports,
        Major,
        "A format or pattern was added or changed, a range, length or list size narrowed, or `null` no longer allowed: values once valid are now violations.",
    ),
    rule(
        "property-made-required",
        BreakingCode,
        Major,
        "An optional property became required: code that omits it stops compiling.",
    ),
    rule(
        "required-property-added",
        BreakingCode,
        Major,
        "A new required property: every call must now send it.",
    ),
    rule(
        "identifier-renamed",
        BreakingCode,
        Major,
        "An identifier of the generated code changed (an event's helper or type, a field, an enum variant, the crate), given with the old and new name per target: code using the old one stops compiling. It happens when an item given its names earlier now takes the name (docs/naming.md says what can).",
    ),
    rule(
        "identified-added",
        BreakingReports,
        Major,
        "An event must now carry the user id (`identified: true`): traffic without it fails `check` with `not-identified`.",
    ),
    rule(
        "identity-changed",
        BreakingReports,
        Major,
        "The plan's `identity` keys changed (`anonymous_id`, `user_id`): `check` reads ids from other properties, and the generated code sends them under the new names.",
    ),
    rule(
        "undeclared-properties-tightened",
        BreakingReports,
        Major,
        "`additional_properties` of the plan or an event is stricter (allow → warn → deny): traffic that passed `check` now gets warnings or errors for properties the plan does not declare.",
    ),
    rule(
        "group-removed",
        BreakingCode,
        Major,
        "A group is gone: its generated helpers disappear, and `check` no longer knows its updates.",
    ),
    rule(
        "event-deprecated",
        Deprecation,
        Minor,
        "An event was deprecated (with or without `replaced_by`).",
    ),
    rule(
        "property-deprecated",
        Deprecation,
        Minor,
        "A property was deprecated.",
    ),
    rule("event-added", Compatible, Minor, "A new event."),
    rule("group-added", Compatible, Minor, "A new group."),
    rule(
        "identified-removed",
        Compatible,
        Minor,
        "An event no longer needs the user id (`identified` dropped).",
    ),
    rule(
        "undeclared-properties-loosened",
        Compatible,
        Minor,
        "`additional_properties` of the plan or an event is more lenient (deny → warn → allow).",
    ),
    rule(
        "event-status-changed",
        Compatible,
        Minor,
        "An event's status changed other than to deprecated (planned → active, deprecated → active, active → planned): `check`'s warnings about its status change with it.",
    ),
    rule(
        "optional-property-added",
        Compatible,
        Minor,
        "A new optional property.",
    ),
    rule(
        "enum-value-added",
        Compatible,
        Minor,
        "A new allowed value.",
    ),
    rule(
        "constraint-widened",
        Compatible,
        Minor,
        "A range, length or list size widened, a format or pattern dropped, or `null` now allowed.",
    ),
    rule(
        "property-made-optional",
        Compatible,
        Minor,
        "A required property became optional.",
    ),
    rule(
        "metadata-changed",
        Compatible,
        Patch,
        "A description, owner or tags changed.",
    ),
];

/// The rule with id `id`.
pub fn diff_rule(id: &str) -> Option<&'static DiffRule> {
    DIFF_RULES.iter().find(|r| r.id == id)
}

/// `docs/diff-rules.md`.
pub fn diff_rules_markdown() -> String {
    let mut out = String::from(
        "# Diff rules\n\n<!-- Generated from src/diff/rules.rs by `UPDATE_SNAPSHOTS=1 cargo test --test docs`; do not edit. -->\n\n\
         Every change `trackplan diff` reports names one of these rules.\n\n| rule | category | bump | what it reports |\n|---|---|---|---|\n",
    );
    for r in DIFF_RULES {
        let bump = r.bump.as_str();
        out.push_str(&format!(
            "| `{}` | {} | {bump} | {} |\n",
            r.id,
            r.category.as_str(),
            r.what
        ));
    }
    out
}
