//! `trackplan scan`: the plan's events in source code. Which planned
//! events the code never sends, which names it sends that the plan lacks,
//! raw SDK calls that should use the generated helpers, property keys the
//! plan does not declare, and event names built at run time.

use std::io::Write;
use std::path::PathBuf;

use clap::Args;

use super::plan_arg::{PlanArg, current_project};
use super::{CliError, OutputFormat, output};
use crate::diagnostic::render::{self, JsonDiagnostic, Style};
use crate::diagnostic::{Counts, Severity};
use crate::scan::{self, EventCalls};

/// Arguments of `trackplan scan`.
#[derive(Debug, Args)]
pub struct ScanArgs {
    /// The plan the code should follow.
    #[command(flatten)]
    pub plan: PlanArg,
    /// Files and directories to scan (default: `[scan] paths` of
    /// `trackplan.toml`, else the current directory). Directories are
    /// walked as git lists them: `.gitignore` is honoured.
    pub paths: Vec<PathBuf>,
    /// Leave out paths matching this glob (gitignore syntax, such as
    /// `'**/*.test.ts'` or `legacy/`); repeatable, added to `[scan]
    /// exclude`.
    #[arg(long, value_name = "GLOB")]
    pub exclude: Vec<String>,
    /// An import specifier that names the generated TypeScript module
    /// (`@acme/tracking`), when the imports do not name its files
    /// relatively or through a `@/`-style alias; repeatable, added to
    /// `[scan] modules`.
    #[arg(long, value_name = "SPECIFIER")]
    pub module: Vec<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t)]
    pub format: OutputFormat,
}

/// Scans; exit code 1 when a finding is an error.
pub fn command(args: ScanArgs) -> Result<u8, CliError> {
    let project = current_project()?;
    let plan = args.plan.load(project.as_ref())?;
    let defaults = project.map(|p| p.scan).unwrap_or_default();
    let options = scan::Options::with_defaults(&args.paths, &args.exclude, &args.module, defaults);
    let scanned = scan::scan(&plan, &options).map_err(|e| CliError::usage(e.to_string()))?;
    let found = scan::findings(&plan, &scanned);
    let result = match args.format {
        OutputFormat::Human => human(&scanned.files, &found),
        OutputFormat::Json => json(&scanned, &found),
        other => output::print(other, &scanned.files, &found.diagnostics),
    };
    result.or_else(output::ignore_broken_pipe)?;
    let errors = found
        .diagnostics
        .iter()
        .any(|d| d.severity == Severity::Error);
    Ok(u8::from(errors))
}

/// The findings with their snippets, then the calls per event.
fn human(files: &[String], found: &scan::Findings) -> std::io::Result<()> {
    let mut out = std::io::stdout().lock();
    let style = Style::detect();
    for d in &found.diagnostics {
        writeln!(out, "{}", render::human(d, style))?;
    }
    writeln!(out, "Calls per event")?;
    writeln!(out, "  {:>6} {:>6}  event", "helper", "raw")?;
    for event in &found.events {
        let helper = event.calls.iter().filter(|c| c.via == "helper").count();
        let raw = event.calls.len() - helper;
        let status = match event.status {
            crate::format::Status::Active => "",
            crate::format::Status::Planned => " (planned)",
            crate::format::Status::Deprecated => " (deprecated)",
        };
        writeln!(out, "  {helper:>6} {raw:>6}  {}{status}", event.name)?;
    }
    let sent = found.events.iter().filter(|e| !e.calls.is_empty()).count();
    writeln!(
        out,
        "{} of {} planned events sent from code; {} in {} file{}",
        sent,
        found.events.len(),
        render::summary_line(Counts::of(&found.diagnostics)),
        files.len(),
        if files.len() == 1 { "" } else { "s" }
    )?;
    out.flush()
}

/// The JSON document of a scan.
#[derive(serde::Serialize)]
struct JsonScan<'a> {
    version: u32,
    files: &'a [String],
    generated: &'a [String],
    diagnostics: Vec<JsonDiagnostic<'a>>,
    summary: Counts,
    events: &'a [EventCalls],
}

fn json(scanned: &scan::Scan, found: &scan::Findings) -> std::io::Result<()> {
    let mut out = std::io::stdout().lock();
    let report = JsonScan {
        version: 1,
        files: &scanned.files,
        generated: &scanned.generated_files,
        diagnostics: found.diagnostics.iter().map(JsonDiagnostic::new).collect(),
        summary: Counts::of(&found.diagnostics),
        events: &found.events,
    };
    serde_json::to_writer_pretty(&mut out, &report)?;
    writeln!(out)?;
    out.flush()
}
