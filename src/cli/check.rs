//! `trackplan check`: captured Mixpanel payloads (NDJSON, JSON arrays, HAR
//! captures, raw request bodies) checked against the plan.

use std::io::{BufWriter, IsTerminal, Write};
use std::path::PathBuf;

use clap::Args;

use super::CliError;
use super::plan_arg::load_plan;
use crate::check::identity::Identity;
use crate::check::{self, CompiledPlan, Report, output};
use crate::payload::Endpoint;
use crate::payload::input::{InputFormat, read_input};

/// Arguments of `trackplan check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// The plan to check against.
    #[arg(long, short, default_value = "plans/accounts.yaml")]
    pub plan: PathBuf,
    /// Input files; `-` reads stdin. Gzip-compressed inputs are decompressed as they stream.
    #[arg(required = true)]
    pub inputs: Vec<PathBuf>,
    /// What the inputs are; `auto` detects it from their content.
    #[arg(long, value_enum, default_value_t = InputFormat::Auto)]
    pub input_format: InputFormat,
    /// For raw request bodies: the endpoint they were sent to.
    #[arg(long, value_enum)]
    pub endpoint: Option<Endpoint>,
    /// Report format.
    #[arg(long, value_enum, default_value_t = CheckFormat::Human)]
    pub format: CheckFormat,
    /// Fail (exit 1) when there are more warnings than this.
    #[arg(long, value_name = "N")]
    pub max_warnings: Option<u64>,
}

/// Report formats of `trackplan check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum CheckFormat {
    /// Grouped by subject and rule, with examples and a summary table.
    Human,
    /// One JSON object per line per violation, then a summary object.
    Json,
    /// JUnit XML, one test case per event name.
    Junit,
    /// GitHub Actions annotations.
    Github,
}

/// Runs the check; exit code 1 on error-level violations.
pub fn command(args: CheckArgs) -> Result<u8, CliError> {
    let plan = load_plan(&args.plan)?;
    let compiled = CompiledPlan::new(&plan);
    let mut report = Report::default();
    let mut identity = Identity::new(&plan.identity.user_id);
    let inputs: Vec<String> = args
        .inputs
        .iter()
        .map(|p| p.display().to_string())
        .collect();
    let stdout = std::io::stdout();
    let mut out = BufWriter::with_capacity(1 << 16, stdout);
    let mut write_error = None;
    let progress = std::io::stderr().is_terminal();
    for path in &args.inputs {
        let items = read_input(path, args.input_format, args.endpoint)
            .map_err(|e| CliError::Io(e.to_string()))?;
        let mut seen = 0u64;
        check::run(
            &compiled,
            items,
            &mut report,
            &mut identity,
            |file, outcome| {
                seen += 1;
                if progress && seen.is_multiple_of(100_000) {
                    eprint!("\r{}: {seen} records", path.display());
                }
                if args.format == CheckFormat::Json
                    && write_error.is_none()
                    && let Err(e) = output::write_json_item(&mut out, file, outcome)
                {
                    write_error = Some(e);
                }
            },
        );
        if progress && seen >= 100_000 {
            eprintln!();
        }
    }
    let result = match args.format {
        CheckFormat::Json => {
            serde_json::to_writer(&mut out, &output::summary_json(&report, &inputs))
                .map_err(std::io::Error::other)
                .and_then(|()| out.write_all(b"\n"))
        }
        CheckFormat::Human => output::write_human(&mut out, &report, &inputs),
        CheckFormat::Junit => output::write_junit(&mut out, &report),
        CheckFormat::Github => output::write_github(&mut out, &report),
    };
    if let Some(e) = write_error {
        super::output::ignore_broken_pipe(e)?;
    }
    result
        .and_then(|()| out.flush())
        .or_else(super::output::ignore_broken_pipe)?;
    Ok(report.exit_code(args.max_warnings))
}
