//! The plan a command works on, one argument shared by every command:
//! `--plan`, else the plan of the project config (`trackplan.toml`, found
//! in the working directory or a parent), else `trackplan.yaml` in the
//! working directory; never a plan of trackplan's own. Loading it: any
//! error-level finding stops the command, with the diagnostics printed to
//! stderr (exit code 2).

use std::path::{Path, PathBuf};

use clap::Args;

use super::CliError;
use crate::diagnostic::render::{self, Style};
use crate::diagnostic::{Counts, Severity};
use crate::plan::{self, Plan};
use crate::project::{self, ConfigError, Project};

/// `--plan`, flattened into every command that reads a plan.
#[derive(Debug, Clone, Args)]
pub struct PlanArg {
    /// The plan file, or a directory holding one plan (default: the `plan`
    /// of `trackplan.toml`, found in this directory or a parent; else
    /// `trackplan.yaml` here).
    #[arg(long, short, global = true)]
    pub plan: Option<PathBuf>,
}

impl PlanArg {
    /// The plan's path: the flag, the config's, or `trackplan.yaml` in the
    /// working directory; else an error saying what to pass.
    pub fn path(&self, project: Option<&Project>) -> Result<PathBuf, CliError> {
        if let Some(path) = &self.plan {
            return Ok(path.clone());
        }
        if let Some(project) = project {
            return project.plan.clone().ok_or_else(|| {
                CliError::usage(format!(
                    "`{}` names no plan: add `plan = \"trackplan.yaml\"` to it, or pass --plan FILE",
                    project.path.display()
                ))
            });
        }
        let default = Path::new(project::DEFAULT_PLAN);
        if default.is_file() {
            return Ok(default.to_owned());
        }
        Err(CliError::usage_with_help(
            format!(
                "no plan: pass --plan FILE, or run this in a project with a `{}` (or a `{}`)",
                project::FILE_NAME,
                project::DEFAULT_PLAN
            ),
            "`trackplan init` starts a project here",
        ))
    }

    /// Loads the plan of [`PlanArg::path`].
    pub fn load(&self, project: Option<&Project>) -> Result<Plan, CliError> {
        load_plan(&self.path(project)?)
    }
}

/// The project config of the working directory, if there is one; a config
/// that is not valid is printed as a diagnostic at its text.
pub fn current_project() -> Result<Option<Project>, CliError> {
    let here = std::env::current_dir()
        .map_err(|e| CliError::Io(format!("cannot read the working directory: {e}")))?;
    let Some(path) = project::find(&here) else {
        return Ok(None);
    };
    match project::load(&path) {
        Ok(project) => Ok(Some(project)),
        Err(ConfigError::Read(message)) => Err(CliError::Io(message)),
        Err(ConfigError::Invalid(d)) => {
            super::output::write_stderr(&render::human(&d, stderr_style()));
            Err(CliError::Config { path })
        }
    }
}

/// Colours on stderr when it is a terminal and `NO_COLOR` is not set.
pub fn stderr_style() -> Style {
    if std::env::var_os("NO_COLOR").is_some() {
        Style::Plain
    } else {
        Style::detect_stderr()
    }
}

/// Loads the plan at `path` (a file, or a directory holding one plan); on
/// error-level findings prints them to stderr and fails.
pub fn load_plan(path: &Path) -> Result<Plan, CliError> {
    let loaded = if path.is_dir() {
        plan::load_dir(path)?
    } else {
        plan::load(path)?
    };
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
    let style = stderr_style();
    for d in &errors {
        super::output::write_stderr(&render::human(d, style));
    }
    Err(CliError::Plan {
        name: name.to_owned(),
        summary: render::summary_line(Counts::of(errors.iter().copied())),
    })
}
