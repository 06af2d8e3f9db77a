//! `trackplan lint`: checks plan files and reports every mistake, with its
//! rule id, severity and exact place.

use std::path::{Path, PathBuf};

use clap::Args;

use super::plan_arg::{PlanArg, current_project};
use super::{CliError, OutputFormat, output};
use crate::lint;
use crate::plan;
use crate::rules::lint as lint_rules;

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
    /// Print the documentation of one rule (of any family, as `trackplan
    /// explain RULE` does), then exit.
    #[arg(long, value_name = "RULE")]
    pub explain: Option<String>,
}

/// Lints the plans; exit code 1 when any finding is an error.
pub fn command(args: LintArgs) -> Result<u8, CliError> {
    if args.list_rules {
        let list: String = lint_rules::ALL
            .iter()
            .map(|r| format!("{:<32} {:<7} {}\n", r.id(), r.severity().as_str(), r.what()))
            .collect();
        output::write_stdout(&list)?;
        return Ok(0);
    }
    if let Some(rule) = args.explain {
        return super::explain::command(super::explain::ExplainArgs { rule });
    }
    let paths = if args.plans.is_empty() {
        default_plans()?
    } else {
        args.plans
    };
    let mut run = Run::default();
    for path in &paths {
        if path.is_dir() {
            run.directory(path)?;
        } else {
            run.file(path, &[])?;
        }
    }
    let Run { files, diagnostics } = run;
    output::print(args.format, &files, &diagnostics).or_else(output::ignore_broken_pipe)?;
    Ok(lint::exit_code(&diagnostics))
}

/// What one `lint` run has linted, and found.
#[derive(Default)]
struct Run {
    files: Vec<String>,
    diagnostics: Vec<crate::diagnostic::Diagnostic>,
}

impl Run {
    /// Lints the plan at `path` with `fragments` merged into it.
    fn file(&mut self, path: &Path, fragments: &[PathBuf]) -> Result<Vec<PathBuf>, CliError> {
        self.files.push(path.display().to_string());
        let loaded = if fragments.is_empty() {
            plan::load(path)?
        } else {
            plan::dir::load_with(path, fragments)
        };
        let documents = loaded.plan.as_ref().map_or_else(Vec::new, |p| {
            p.documents
                .iter()
                .map(|d| canonical(Path::new(d.file.name())))
                .collect()
        });
        self.diagnostics.extend(lint::lint(loaded));
        Ok(documents)
    }

    /// Lints the plans of a directory: its one root with every fragment
    /// merged in; or, with several roots, each root, then each fragment no
    /// root includes on its own (docs/plan-format.md, "Directories").
    fn directory(&mut self, dir: &Path) -> Result<(), CliError> {
        let found = plan::Directory::scan(dir)?;
        if let [root] = found.roots.as_slice() {
            self.file(root, &found.fragments)?;
            return Ok(());
        }
        let mut included = std::collections::HashSet::new();
        for root in &found.roots {
            included.extend(self.file(root, &[])?);
        }
        for fragment in &found.fragments {
            if !included.contains(&canonical(fragment)) {
                self.file(fragment, &[])?;
            }
        }
        Ok(())
    }
}

fn canonical(path: &Path) -> PathBuf {
    std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf())
}

/// The plans linted without arguments: the project's, `trackplan.yaml`
/// here, or those in `plans/`.
fn default_plans() -> Result<Vec<PathBuf>, CliError> {
    let project = current_project()?;
    if project.is_some() || Path::new(crate::project::DEFAULT_PLAN).is_file() {
        return Ok(vec![PlanArg { plan: None }.path(project.as_ref())?]);
    }
    if Path::new("plans").is_dir() {
        return Ok(vec![PathBuf::from("plans")]);
    }
    // Says what to pass.
    PlanArg { plan: None }.path(None).map(|p| vec![p])
}
