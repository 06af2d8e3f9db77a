//! `trackplan explain RULE`: what a rule of any family reports: lint
//! (loader and style rules), check, and diff, with "did you mean" across
//! all of them.

use clap::Args;

use super::CliError;
use super::output::write_stdout;
use crate::rules::{self, PAGES};

/// Arguments of `trackplan explain`.
#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// The rule id: a lint rule (`missing-description`), a check rule
    /// (`not-in-enum`) or a diff rule (`event-removed`).
    pub rule: String,
}

/// Prints the rule's documentation; a usage error, with the nearest id,
/// when no family has it.
pub fn command(args: ExplainArgs) -> Result<u8, CliError> {
    let id = args.rule.as_str();
    let Some(rule) = rules::find(id) else {
        let every: Vec<_> = rules::all().collect();
        let hint = rules::closest(id, &every)
            .map(|near| format!("; did you mean `{near}`?"))
            .unwrap_or_default();
        let [lint, check, scan, diff] = PAGES.map(|p| p.file);
        return Err(CliError::usage_with_help(
            format!("no rule `{id}`{hint}"),
            format!("{lint}, {check}, {scan} and {diff} list every rule"),
        ));
    };
    write_stdout(&rules::explain(rule))?;
    Ok(0)
}
