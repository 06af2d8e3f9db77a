//! `trackplan lint`: checks plan files and reports every mistake, with its
//! rule id, severity and exact place.

use std::path::{Path, PathBuf};

use clap::Args;

use super::plan_arg::{PlanArg, current_project};
use super::{CliError, OutputFormat, output};
use crate::lint::{self, RULES, rule};
use crate::plan;

/// Arguments of `trackplan lint`.
#[derive(Debug, Args)]
pub struct LintArgs {
    /// Plan files to lint; a directory stands for every `*.yaml` and `*.yml`
    /// in it. Default: the plan of `trackplan.toml` (found in this directory
    /// or a parent), else `trackplan.yaml` here, else every plan in `plans/`.
    pub plans: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t)]
    pub format: OutputFormat,
    /// List every rule with its id, kind and default severity, then exit.
    #[arg(long, conflicts_with = "explain")]
    pub list_rules: bool,
    /// Print the documentation of one rule, then exit.
    #[arg(long, value_name = "RULE")]
    pub explain: Option<String>,
}

/// Lints the plans; exit code 1 when any finding is an error.
pub fn command(args: LintArgs) -> Result<u8, CliError> {
    if args.list_rules {
        let list: String = RULES
            .iter()
            .map(|r| format!("{:<32} {:<7} {}\n", r.id, r.default.as_str(), r.what))
            .collect();
        output::write_stdout(&list)?;
        return Ok(0);
    }
    if let Some(id) = &args.explain {
        let r = rule(id).ok_or_else(|| {
            let hint = crate::suggest::closest(id, RULES.iter().map(|r| r.id))
                .map(|near| format!("did you mean `{near}`? "))
                .unwrap_or_default();
            CliError::Usage(format!(
                "no rule `{id}`; {hint}`trackplan lint --list-rules` lists them"
            ))
        })?;
        output::write_stdout(&explain_text(r))?;
        return Ok(0);
    }
    let plans = if args.plans.is_empty() {
        default_plans()?
    } else {
        let mut plans = Vec::new();
        for path in args.plans {
            if path.is_dir() {
                plans.extend(plans_in(&path)?);
            } else {
                plans.push(path);
            }
        }
        plans
    };
    let mut diagnostics = Vec::new();
    let mut files = Vec::new();
    for path in &plans {
        files.push(path.display().to_string());
        let loaded = plan::load(path).map_err(|e| CliError::Io(e.to_string()))?;
        diagnostics.extend(lint::lint(loaded));
    }
    output::print(args.format, &files, &diagnostics).or_else(output::ignore_broken_pipe)?;
    Ok(lint::exit_code(&diagnostics))
}

/// The documentation of a lint rule, as `lint --explain` and `explain`
/// print it.
pub(super) fn explain_text(r: &lint::Rule) -> String {
    format!(
        "{} ({:?} rule, default {})\n\nWhat it does\n  {}\n\nWhy is this bad?\n  {}\n\nExample\n{}\n",
        r.id,
        r.kind,
        r.default,
        r.what,
        r.why,
        indent(r.example)
    )
}

fn indent(text: &str) -> String {
    text.lines()
        .map(|l| format!("  {l}"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The plans linted without arguments: the project's, `trackplan.yaml`
/// here, or those in `plans/`.
fn default_plans() -> Result<Vec<PathBuf>, CliError> {
    let project = current_project()?;
    if project.is_some() || Path::new(crate::project::DEFAULT_PLAN).is_file() {
        let path = PlanArg { plan: None }.path(project.as_ref())?;
        return if path.is_dir() {
            plans_in(&path)
        } else {
            Ok(vec![path])
        };
    }
    if Path::new("plans").is_dir() {
        return plans_in(Path::new("plans"));
    }
    // Says what to pass.
    PlanArg { plan: None }.path(None).map(|p| vec![p])
}

/// Every `*.yaml` and `*.yml` file in `dir`, sorted.
fn plans_in(dir: &Path) -> Result<Vec<PathBuf>, CliError> {
    let entries = std::fs::read_dir(dir)
        .map_err(|e| CliError::Io(format!("cannot read `{}`: {e}", dir.display())))?;
    let mut plans: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.is_file() && p.extension().is_some_and(|x| x == "yaml" || x == "yml"))
        .collect();
    plans.sort();
    if plans.is_empty() {
        return Err(CliError::Usage(format!(
            "`{}` holds no *.yaml plan file",
            dir.display()
        )));
    }
    Ok(plans)
}
