//! `trackplan docs`: the plan as one Markdown page or one self-contained
//! HTML page.

use std::path::PathBuf;

use clap::Args;

use super::CliError;
use super::export::write_or_print;
use super::plan_arg::{PlanArg, current_project};
use crate::codegen::docs::{self, Page};

/// Arguments of `trackplan docs`.
#[derive(Debug, Args)]
pub struct DocsArgs {
    /// The plan.
    #[command(flatten)]
    pub plan: PlanArg,
    /// `markdown` (for a repository or wiki) or `html` (one self-contained page).
    #[arg(long, value_enum, default_value_t = DocsFormat::Markdown)]
    pub format: DocsFormat,
    /// Write to this file instead of stdout.
    #[arg(long, short)]
    pub out: Option<PathBuf>,
    /// A directory of templates replacing the built-in `plan.md.jinja` or `plan.html.jinja`.
    #[arg(long, value_name = "DIR")]
    pub templates: Option<PathBuf>,
    /// A coverage matrix (`trackplan coverage --format json --out FILE`):
    /// a badge per event (implemented, not called, never seen) and a
    /// coverage section.
    #[arg(long, value_name = "FILE")]
    pub coverage: Option<PathBuf>,
}

/// Documentation formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum DocsFormat {
    /// One Markdown page.
    Markdown,
    /// One self-contained HTML page, with search and filters.
    Html,
}

/// Renders the page.
pub fn command(args: DocsArgs) -> Result<u8, CliError> {
    let plan = args.plan.load(current_project()?.as_ref())?;
    let page = match args.format {
        DocsFormat::Markdown => Page::Markdown,
        DocsFormat::Html => Page::Html,
    };
    let matrix = match &args.coverage {
        Some(path) => {
            let text = crate::source::SourceFile::read_text(path, crate::source::MAX_PLAN_BYTES)?;
            let matrix = serde_json::from_str(&text).map_err(|e| {
                CliError::usage_with_help(
                    format!("`{}` is not a coverage matrix: {e}", path.display()),
                    "write one with `trackplan coverage --format json --out FILE`",
                )
            })?;
            Some(matrix)
        }
        None => None,
    };
    let file = docs::page(&plan, page, args.templates.as_deref(), matrix)?;
    write_or_print(args.out.as_deref(), &file.contents)?;
    Ok(0)
}
