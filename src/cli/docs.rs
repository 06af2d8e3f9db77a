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
    let file = docs::page(&plan, page, args.templates.as_deref())?;
    write_or_print(args.out.as_deref(), &file.contents)?;
    Ok(0)
}
