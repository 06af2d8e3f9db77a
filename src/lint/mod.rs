//! `trackplan lint`: the loader's checks plus style rules, each with a
//! stable id and a default severity that a plan may change with
//! `lint: {rules: {rule-id: error|warning|info|off}}`.
//!
//! The rules are in [`crate::rules::lint`]; their documentation is
//! printed by `trackplan explain RULE` and is the source of `docs/rules.md`.

mod identifiers;
mod style;

use crate::diagnostic::{self, Diagnostic, Severity};
use crate::plan::{Loaded, Plan};
use crate::rules::{self, Family, lint as rule};
use crate::suggest::closest;
use crate::yaml::Path;

/// Lints a loaded plan: the loader's diagnostics, then the style rules at
/// the severities the plan configures.
pub fn lint(loaded: Loaded) -> Vec<Diagnostic> {
    let Loaded { plan, diagnostics } = loaded;
    let Some(plan) = &plan else {
        let mut diagnostics = diagnostics;
        diagnostic::sort(&mut diagnostics);
        return diagnostics;
    };
    // Style rules the loader checks take the plan's configuration like the
    // linter's own.
    let mut diagnostics: Vec<Diagnostic> = diagnostics
        .into_iter()
        .filter_map(|d| match d.rule.family() {
            Family::Style => configure(plan, d),
            _ => Some(d),
        })
        .collect();
    diagnostics.extend(unknown_rules(plan));
    for finding in style::check(plan)
        .into_iter()
        .chain(identifiers::check(plan))
    {
        if let Some(d) = configure(plan, finding) {
            diagnostics.push(d);
        }
    }
    diagnostic::sort(&mut diagnostics);
    diagnostics
}

/// Applies the plan's configured severity to a style finding; `None` when
/// the rule is off.
fn configure(plan: &Plan, mut finding: Diagnostic) -> Option<Diagnostic> {
    if let Some(level) = plan.lint.rules.get(finding.rule.id()) {
        finding.severity = level.severity()?;
    }
    Some(finding)
}

/// Rule ids in `lint.rules` that are not style rules.
fn unknown_rules(plan: &Plan) -> Vec<Diagnostic> {
    let Some(root) = plan.documents.first() else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for id in plan.lint.rules.keys() {
        let found = rules::find(id);
        if found.is_some_and(|r| r.family() == Family::Style) {
            continue;
        }
        let path = Path::keys(["lint", "rules", id.as_str()]);
        let span = root.key_span(&path);
        let d = match found.map(|r| r.family()) {
            Some(Family::Loader | Family::Config) => Diagnostic::error(rule::UNKNOWN_RULE, format!("rule `{id}` cannot be configured"))
                .at(&root.file, span, "always an error")
                .with_help("the loader's rules guard what every command relies on; only style rules have a configurable severity"),
            Some(family) => Diagnostic::error(rule::UNKNOWN_RULE, format!("`{id}` is a {} rule, not a lint rule", family.as_str()))
                .at(&root.file, span, "not a lint rule")
                .with_help("`lint.rules` sets the severity of style rules; `trackplan explain RULE` says what this one is"),
            None => {
                let mut message = format!("unknown lint rule `{id}`");
                if let Some(best) = closest(id, rules::all().map(|r| r.id())) {
                    message.push_str(&format!(", did you mean `{best}`?"));
                }
                Diagnostic::error(rule::UNKNOWN_RULE, message)
                    .at(&root.file, span, "no such rule")
                    .with_help("`trackplan lint --list-rules` lists them")
            }
        };
        out.push(d);
    }
    out
}

/// The exit code of a lint run: 1 when any finding is an error, else 0.
pub fn exit_code(diagnostics: &[Diagnostic]) -> u8 {
    u8::from(diagnostics.iter().any(|d| d.severity == Severity::Error))
}
