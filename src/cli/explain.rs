//! `trackplan explain RULE`: what a rule of any family reports: lint
//! (loader and style rules), check, and diff, with "did you mean" across
//! all of them.

use clap::Args;

use super::CliError;
use super::output::write_stdout;
use crate::check::rules::{CHECK_RULES, check_rule};
use crate::diff::rules::{DIFF_RULES, diff_rule};
use crate::lint::{RULES, rule};

/// Arguments of `trackplan explain`.
#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// The rule id: a lint rule (`missing-description`), a check rule
    /// (`not-in-enum`) or a diff rule (`event-removed`).
    pub rule: String,
}

/// Prints each family's documentation of the rule (an id may name a lint
/// and a check rule alike); a usage error, with the nearest id, when no
/// family has it.
pub fn command(args: ExplainArgs) -> Result<u8, CliError> {
    let id = args.rule.as_str();
    let mut pages = Vec::new();
    if let Some(r) = rule(id) {
        pages.push(super::lint::explain_text(r));
    }
    if let Some(r) = check_rule(id) {
        pages.push(format!(
            "{} (check rule, {})\n\nWhat it reports\n  {}\n",
            r.id,
            r.severity.as_str(),
            r.what
        ));
    }
    if let Some(r) = diff_rule(id) {
        pages.push(format!(
            "{} (diff rule: {}, needs a {} bump)\n\nWhat it reports\n  {}\n",
            r.id,
            r.category.as_str(),
            r.bump.as_str(),
            r.what
        ));
    }
    if pages.is_empty() {
        let ids = RULES
            .iter()
            .map(|r| r.id)
            .chain(CHECK_RULES.iter().map(|r| r.id))
            .chain(DIFF_RULES.iter().map(|r| r.id));
        let hint = crate::suggest::closest(id, ids)
            .map(|near| format!("did you mean `{near}`? "))
            .unwrap_or_default();
        return Err(CliError::Usage(format!(
            "no rule `{id}`; {hint}docs/rules.md, docs/check-rules.md and docs/diff-rules.md list them"
        )));
    }
    write_stdout(&pages.join("\n"))?;
    Ok(0)
}
