//! `trackplan coverage`: is the plan implemented? The plan, the code
//! (scanned as `trackplan scan` does) and the traffic (checked as
//! `trackplan check` does) joined into one table per event, as Markdown
//! for a pull-request comment or JSON (which `trackplan docs --coverage`
//! turns into badges on the HTML page).

use std::path::PathBuf;

use clap::Args;

use super::CliError;
use super::check::{Progress, check_inputs, parse_percent};
use super::export::write_or_print;
use super::plan_arg::{PlanArg, current_project};
use crate::coverage::Matrix;
use crate::payload::input::InputFormat;
use crate::scan;

/// Arguments of `trackplan coverage`.
#[derive(Debug, Args)]
pub struct CoverageArgs {
    /// The plan.
    #[command(flatten)]
    pub plan: PlanArg,
    /// Source files and directories to scan, as `trackplan scan` does.
    #[arg(long, value_name = "PATH", num_args = 1..)]
    pub code: Vec<PathBuf>,
    /// Traffic to read, as `trackplan check` does (HAR, NDJSON, JSON,
    /// request bodies, gzip; `-` for standard input).
    #[arg(long, value_name = "INPUT", num_args = 1..)]
    pub traffic: Vec<PathBuf>,
    /// With `--code`: leave out paths matching this glob; repeatable.
    #[arg(long, value_name = "GLOB")]
    pub exclude: Vec<String>,
    /// With `--code`: an import specifier naming the generated module.
    #[arg(long, value_name = "SPECIFIER")]
    pub module: Vec<String>,
    /// `markdown` (a pull-request comment) or `json`.
    #[arg(long, value_enum, default_value_t = CoverageFormat::Markdown)]
    pub format: CoverageFormat,
    /// Write to this file instead of stdout.
    #[arg(long, short)]
    pub out: Option<PathBuf>,
    /// Fail (exit 1) when fewer than PCT percent of the active events are
    /// implemented (docs/coverage.md).
    #[arg(long, value_name = "PCT", value_parser = parse_percent)]
    pub min_coverage: Option<f64>,
    /// No progress line while the traffic is read.
    #[arg(long, short)]
    pub quiet: bool,
}

/// Formats of `trackplan coverage`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum CoverageFormat {
    /// A Markdown table.
    Markdown,
    /// The matrix as JSON (`docs/coverage.md`).
    Json,
}

/// Builds and prints the matrix; exit 1 below `--min-coverage`.
pub fn command(args: CoverageArgs) -> Result<u8, CliError> {
    if args.code.is_empty() && args.traffic.is_empty() {
        return Err(CliError::usage_with_help(
            "name the code to scan or the traffic to read (or both)",
            "trackplan coverage --code src --traffic captures/*.har",
        ));
    }
    let project = current_project()?;
    let plan = args.plan.load(project.as_ref())?;
    let found = if args.code.is_empty() {
        None
    } else {
        let defaults = project.map(|p| p.scan).unwrap_or_default();
        let options =
            scan::Options::with_defaults(&args.code, &args.exclude, &args.module, defaults);
        let scanned = scan::scan(&plan, &options).map_err(|e| CliError::usage(e.to_string()))?;
        Some(scan::findings(&plan, &scanned))
    };
    let summary = if args.traffic.is_empty() {
        None
    } else {
        let progress = Progress::new(args.quiet);
        let report = check_inputs(
            &plan,
            &args.traffic,
            InputFormat::Auto,
            None,
            &progress,
            |_, _| {},
        )?;
        Some(report.coverage())
    };
    let matrix = Matrix::new(&plan, found.as_ref(), summary.as_ref());
    let text = match args.format {
        CoverageFormat::Markdown => matrix.markdown(),
        CoverageFormat::Json => {
            let mut text =
                serde_json::to_string_pretty(&matrix).map_err(|e| CliError::Io(e.to_string()))?;
            text.push('\n');
            text
        }
    };
    write_or_print(args.out.as_deref(), &text)?;
    let below = args.min_coverage.is_some_and(|min| matrix.percent < min);
    Ok(u8::from(below))
}
