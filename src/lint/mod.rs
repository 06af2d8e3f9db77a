//! `trackplan lint`: the loader's checks plus style rules, each with a
//! stable id and a default severity that a plan may change with
//! `lint: {rules: {rule-id: error|warning|info|off}}`.
//!
//! [`RULES`] is the registry: its documentation is printed by
//! `trackplan lint --explain RULE` and is the source of `docs/rules.md`.

mod identifiers;
mod registry;
mod style;

pub use registry::{RULES, Rule, RuleKind, rule, rules_markdown};

use crate::diagnostic::{self, Diagnostic, Severity};
use crate::plan::{Loaded, Plan};
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
        .filter_map(|d| match rule(d.rule) {
            Some(r) if r.kind == RuleKind::Style => configure(plan, d),
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
    if let Some(level) = plan.lint.rules.get(finding.rule) {
        finding.severity = level.severity()?;
    }
    Some(finding)
}

/// Rule ids in `lint.rules` that are not style rules.
fn unknown_rules(plan: &Plan) -> Vec<Diagnostic> {
    let Some(root) = plan.documents.first() else {
        return Vec::new();
    };
    let style_ids = || {
        RULES
            .iter()
            .filter(|r| r.kind == RuleKind::Style)
            .map(|r| r.id)
    };
    let mut out = Vec::new();
    for id in plan.lint.rules.keys() {
        if style_ids().any(|r| r == id) {
            continue;
        }
        let path = Path::keys(["lint", "rules", id.as_str()]);
        let span = root.key_span(&path);
        let d = match rule(id) {
            Some(_) => Diagnostic::error("unknown-rule", format!("rule `{id}` cannot be configured"))
                .at(&root.file, span, "always an error")
                .with_help("the loader's rules guard what every command relies on; only style rules have a configurable severity"),
            None => {
                let mut message = format!("unknown lint rule `{id}`");
                if let Some(best) = closest(id, RULES.iter().map(|r| r.id)) {
                    message.push_str(&format!(", did you mean `{best}`?"));
                }
                Diagnostic::error("unknown-rule", message)
                    .at(&root.file, span, "no such rule")
                    .with_help("`trackplan lint --list-rules` lists the rules")
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
