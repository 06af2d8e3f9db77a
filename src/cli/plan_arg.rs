//! Loading the plan a command works on: any error-level finding stops the
//! command, with the diagnostics printed to stderr (exit code 2).

use std::path::Path;

use super::CliError;
use crate::diagnostic::render::{self, Style};
use crate::diagnostic::{Counts, Severity};
use crate::plan::{self, Plan};

/// Loads `path`; on error-level findings prints them to stderr and fails.
pub fn load_plan(path: &Path) -> Result<Plan, CliError> {
    let loaded = plan::load(path).map_err(|e| CliError::Io(e.to_string()))?;
    fail_on_errors(&path.display().to_string(), loaded)
}

/// The plan of `loaded`, or its error-level findings printed to stderr and
/// a failure naming `name`.
pub fn fail_on_errors(name: &str, loaded: plan::Loaded) -> Result<Plan, CliError> {
    let errors: Vec<_> = loaded
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .collect();
    if errors.is_empty()
        && let Some(plan) = loaded.plan
    {
        return Ok(plan);
    }
    let style = if std::env::var_os("NO_COLOR").is_some() {
        Style::Plain
    } else {
        Style::detect_stderr()
    };
    for d in &errors {
        super::output::write_stderr(&render::human(d, style));
    }
    Err(CliError::Plan(format!(
        "the plan `{name}` has mistakes ({}); `trackplan lint` shows them all",
        render::summary_line(Counts::of(errors.iter().copied())),
    )))
}
