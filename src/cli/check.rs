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
    /// What checks the inputs: trackplan's streaming checker, or the
    /// plan's SQL run by an embedded DuckDB (NDJSON and Parquet files,
    /// globs such as 'export/*.parquet' allowed; see docs/sql.md).
    #[arg(long, value_enum, default_value_t = Engine::Streaming)]
    pub engine: Engine,
    /// With `--engine duckdb`: worker threads (default: all cores; more
    /// than the machine has are cut to that).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    pub threads: Option<u32>,
    /// With `--engine duckdb`: DuckDB's memory limit, such as `4GB`.
    #[arg(long, value_name = "SIZE")]
    pub memory_limit: Option<String>,
}

/// What runs the checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Engine {
    /// trackplan's own checker, streaming any input format.
    Streaming,
    /// The plan as SQL in an embedded DuckDB: NDJSON and Parquet files.
    Duckdb,
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
    if args.engine == Engine::Duckdb {
        return with_duckdb(&plan, &args);
    }
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
                    let _ = write!(std::io::stderr(), "\r{}: {seen} records", path.display());
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
            super::output::write_stderr("");
        }
    }
    let result = write_report(&mut out, args.format, &report, &inputs);
    if let Some(e) = write_error {
        super::output::ignore_broken_pipe(e)?;
    }
    result
        .and_then(|()| out.flush())
        .or_else(super::output::ignore_broken_pipe)?;
    Ok(report.exit_code(args.max_warnings))
}

/// `--engine duckdb` in a build without DuckDB.
#[cfg(not(feature = "duckdb"))]
fn with_duckdb(_: &crate::plan::Plan, _: &CheckArgs) -> Result<u8, CliError> {
    Err(CliError::Usage(
        "this trackplan was built without DuckDB: build it with `--features duckdb` (or `duckdb-bundled`), see docs/sql.md".to_owned(),
    ))
}

/// `--engine duckdb`: the plan's SQL over the files in an embedded DuckDB.
#[cfg(feature = "duckdb")]
fn with_duckdb(plan: &crate::plan::Plan, args: &CheckArgs) -> Result<u8, CliError> {
    let inputs: Vec<String> = args
        .inputs
        .iter()
        .map(|p| p.display().to_string())
        .collect();
    let options = crate::sql::duckdb::EngineOptions {
        threads: args.threads.map(|t| t as usize),
        memory_limit: args.memory_limit.clone(),
        checks_per_query: None,
    };
    let report = crate::sql::duckdb::check(plan, &inputs, &options)
        .map_err(|e| CliError::Io(e.to_string()))?;
    let stdout = std::io::stdout();
    let mut out = BufWriter::new(stdout);
    // Only groups were kept: JSON gets one object per event name and rule.
    let result = match args.format {
        CheckFormat::Json => output::write_json_groups(&mut out, &report),
        _ => Ok(()),
    }
    .and_then(|()| write_report(&mut out, args.format, &report, &inputs));
    result
        .and_then(|()| out.flush())
        .or_else(super::output::ignore_broken_pipe)?;
    Ok(report.exit_code(args.max_warnings))
}

/// Writes the report in `format`; for JSON, the closing summary (the
/// violations were written as they were found).
fn write_report(
    out: &mut impl Write,
    format: CheckFormat,
    report: &Report,
    inputs: &[String],
) -> std::io::Result<()> {
    match format {
        CheckFormat::Json => {
            serde_json::to_writer(&mut *out, &output::summary_json(report, inputs))
                .map_err(std::io::Error::other)?;
            out.write_all(b"\n")
        }
        CheckFormat::Human => output::write_human(out, report, inputs),
        CheckFormat::Junit => output::write_junit(out, report),
        CheckFormat::Github => output::write_github(out, report),
    }
}
