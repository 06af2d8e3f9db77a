//! `trackplan check`: captured Mixpanel payloads (NDJSON, JSON arrays, HAR
//! captures, raw request bodies) checked against the plan.

use std::io::{BufWriter, IsTerminal, Read, Write};
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use clap::Args;

use super::CliError;
use super::plan_arg::{PlanArg, current_project};
use crate::check::identity::Identity;
use crate::check::output::CheckFormat;
use crate::check::{self, CompiledPlan, Report, output};
use crate::payload::Endpoint;
use crate::payload::input::{self, Counted, InputFormat};

/// Arguments of `trackplan check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// The plan to check against.
    #[command(flatten)]
    pub plan: PlanArg,
    /// Input files; `-` reads stdin. Gzip-compressed inputs are decompressed as they stream.
    /// Default: `[check] inputs` of `trackplan.toml`.
    pub inputs: Vec<PathBuf>,
    /// What the inputs are; `auto` detects it from their content.
    #[arg(long, value_enum, default_value_t = InputFormat::Auto)]
    pub input_format: InputFormat,
    /// For raw request bodies: the endpoint they were sent to.
    #[arg(long, value_enum)]
    pub endpoint: Option<Endpoint>,
    /// Report format (default: `[check] format` of `trackplan.toml`, else
    /// human).
    #[arg(long, value_enum)]
    pub format: Option<CheckFormat>,
    /// Fail (exit 1) when there are more warnings than this (default:
    /// `[check] max_warnings` of `trackplan.toml`).
    #[arg(long, value_name = "N")]
    pub max_warnings: Option<u64>,
    /// Print the plan's coverage by the inputs: per planned event, records
    /// seen; per property, present and null; per enum value, how often
    /// (the JSON summary always carries it; docs/coverage.md).
    #[arg(long)]
    pub coverage: bool,
    /// Fail (exit 1) when the inputs cover less of the plan than PCT
    /// percent of its items: active events, their properties, super, user
    /// and group properties, enum values (docs/coverage.md). Default:
    /// `[check] min_coverage` of `trackplan.toml`.
    #[arg(long, value_name = "PCT", value_parser = parse_percent)]
    pub min_coverage: Option<f64>,
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
    /// No progress line on a terminal (there is none in pipes and CI logs).
    #[arg(long, short)]
    pub quiet: bool,
}

/// What runs the checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Engine {
    /// trackplan's own checker, streaming any input format.
    Streaming,
    /// The plan as SQL in an embedded DuckDB: NDJSON and Parquet files.
    Duckdb,
}

impl CheckArgs {
    /// The report format, once the config's default is applied.
    fn format(&self) -> CheckFormat {
        self.format.unwrap_or(CheckFormat::Human)
    }

    /// Fills what the flags leave out from `[check]` of the project config.
    fn with_defaults(mut self, project: Option<&crate::project::Project>) -> Self {
        let Some(project) = project else {
            return self;
        };
        let defaults = &project.check;
        if self.inputs.is_empty() {
            self.inputs.clone_from(&defaults.inputs);
        }
        self.format = self.format.or(defaults.format);
        self.max_warnings = self.max_warnings.or(defaults.max_warnings);
        self.min_coverage = self.min_coverage.or(defaults.min_coverage);
        self
    }

    /// The exit code of `report`: 1 on error-level violations, too many
    /// warnings, or too little coverage.
    fn exit_code(&self, report: &Report) -> u8 {
        let below = self
            .min_coverage
            .is_some_and(|min| report.coverage().percent < min);
        report.exit_code(self.max_warnings).max(u8::from(below))
    }
}

/// A percentage from 0 to 100, with or without `%`.
pub fn parse_percent(text: &str) -> Result<f64, String> {
    let number = text.trim().trim_end_matches('%');
    match number.parse::<f64>() {
        Ok(percent) if (0.0..=100.0).contains(&percent) => Ok(percent),
        _ => Err(format!(
            "a percentage from 0 to 100 (such as 80 or 92.5%), not `{text}`"
        )),
    }
}

/// Runs the check; exit code 1 on error-level violations.
pub fn command(args: CheckArgs) -> Result<u8, CliError> {
    let project = current_project()?;
    let plan = args.plan.load(project.as_ref())?;
    let args = args.with_defaults(project.as_ref());
    if args.inputs.is_empty() {
        return Err(CliError::usage_with_help(
            "name the inputs to check (files; `-` for standard input)",
            "or list them as `inputs` under `[check]` in trackplan.toml",
        ));
    }
    if args.engine == Engine::Duckdb {
        return with_duckdb(&plan, &args);
    }
    let inputs: Vec<String> = args
        .inputs
        .iter()
        .map(|p| p.display().to_string())
        .collect();
    let stdout = std::io::stdout();
    let mut out = BufWriter::with_capacity(1 << 16, stdout);
    let mut write_error = None;
    let progress = Progress::new(args.quiet);
    let report = check_inputs(
        &plan,
        &args.inputs,
        args.input_format,
        args.endpoint,
        &progress,
        |file, outcome| {
            if args.format() == CheckFormat::Json
                && write_error.is_none()
                && let Err(e) = output::write_json_item(&mut out, file, outcome)
            {
                write_error = Some(e);
            }
        },
    )?;
    let result = write_report(&mut out, &args, &report, &inputs);
    if let Some(e) = write_error {
        super::output::ignore_broken_pipe(e)?;
    }
    result
        .and_then(|()| out.flush())
        .or_else(super::output::ignore_broken_pipe)?;
    Ok(args.exit_code(&report))
}

/// Checks the files at `paths` against `plan` with the streaming checker,
/// showing `progress`; `each` sees every outcome as it is folded in.
pub(super) fn check_inputs(
    plan: &crate::plan::Plan,
    paths: &[PathBuf],
    input_format: InputFormat,
    endpoint: Option<Endpoint>,
    progress: &Progress,
    mut each: impl FnMut(&Arc<str>, &check::Outcome) + Send,
) -> Result<Report, CliError> {
    let compiled = CompiledPlan::new(plan);
    let mut report = Report::new(Arc::clone(&compiled.coverage));
    let mut identity = Identity::new(&plan.identity.user_id);
    for path in paths {
        let raw = input::open(path).map_err(|e| CliError::Io(e.to_string()))?;
        let raw = progress.start(path, raw);
        let items = input::read_from(
            raw,
            path.display().to_string().into(),
            input_format,
            endpoint,
        )
        .map_err(|e| CliError::Io(e.to_string()))?;
        let mut seen = 0u64;
        check::run(
            &compiled,
            items,
            &mut report,
            &mut identity,
            |file, outcome| {
                seen += 1;
                if seen.is_multiple_of(Progress::STEP) {
                    progress.advance(seen);
                }
                each(file, outcome);
            },
        );
    }
    progress.finish();
    Ok(report)
}

/// How far a check is, on stderr while it runs: for a file, the bytes read
/// of its size with the rate and time left; for a pipe, the bytes read;
/// and the records checked with their rate. Only when stderr is a terminal
/// (never in CI logs or pipes) and without `--quiet`.
pub(super) struct Progress {
    bar: Option<indicatif::ProgressBar>,
    /// Bytes read of the current input (compressed bytes for gzip, as the
    /// file's size counts them).
    read: Arc<AtomicU64>,
}

impl Progress {
    /// Records between two updates (the bar redraws at most 20 times a
    /// second anyway).
    const STEP: u64 = 4096;

    pub(super) fn new(quiet: bool) -> Self {
        let bar =
            (!quiet && std::io::stderr().is_terminal()).then(indicatif::ProgressBar::no_length);
        Self {
            bar,
            read: Arc::new(AtomicU64::new(0)),
        }
    }

    /// `raw`, counted, for the input at `path`; the bar set to its size
    /// when it is a file.
    fn start(&self, path: &std::path::Path, raw: Box<dyn Read + Send>) -> Box<dyn Read + Send> {
        let Some(bar) = &self.bar else {
            return raw;
        };
        self.read.store(0, Ordering::Relaxed);
        bar.reset();
        bar.set_prefix(path.display().to_string());
        bar.set_message("0 records");
        let size = std::fs::metadata(path)
            .ok()
            .filter(std::fs::Metadata::is_file)
            .map(|m| m.len());
        let template = match size {
            Some(size) => {
                bar.set_length(size);
                "{prefix}: [{bar:24}] {binary_bytes}/{binary_total_bytes} · {msg} ({binary_bytes_per_sec}, {eta} left)"
            }
            None => {
                bar.unset_length();
                "{spinner} {prefix}: {binary_bytes} read · {msg} ({elapsed})"
            }
        };
        bar.set_style(
            indicatif::ProgressStyle::with_template(template)
                .map(|s| s.progress_chars("=> "))
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        Box::new(Counted::new(raw, Arc::clone(&self.read)))
    }

    /// `records` of the current input are checked.
    fn advance(&self, records: u64) {
        if let Some(bar) = &self.bar {
            bar.set_position(self.read.load(Ordering::Relaxed));
            let secs = bar.elapsed().as_secs_f64().max(0.001);
            bar.set_message(format!(
                "{records} records ({:.0}/s)",
                records as f64 / secs
            ));
        }
    }

    fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

/// `--engine duckdb` in a build without DuckDB.
#[cfg(not(feature = "duckdb"))]
fn with_duckdb(_: &crate::plan::Plan, _: &CheckArgs) -> Result<u8, CliError> {
    Err(CliError::usage(
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
    let progress = Progress::new(args.quiet);
    if let Some(bar) = &progress.bar {
        bar.set_style(
            indicatif::ProgressStyle::with_template("{spinner} {msg} ({elapsed})")
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_spinner()),
        );
        bar.set_message(format!("checking {} with DuckDB", inputs.join(", ")));
        bar.enable_steady_tick(std::time::Duration::from_millis(120));
    }
    let report = crate::sql::duckdb::check(plan, &inputs, &options);
    progress.finish();
    let report = report.map_err(CliError::from)?;
    let stdout = std::io::stdout();
    let mut out = BufWriter::new(stdout);
    // Only groups were kept: JSON gets one object per event name and rule.
    let result = match args.format() {
        CheckFormat::Json => output::write_json_groups(&mut out, &report),
        _ => Ok(()),
    }
    .and_then(|()| write_report(&mut out, args, &report, &inputs));
    result
        .and_then(|()| out.flush())
        .or_else(super::output::ignore_broken_pipe)?;
    Ok(args.exit_code(&report))
}

/// Writes the report in `format`; for JSON, the closing summary (the
/// violations were written as they were found).
fn write_report(
    out: &mut impl Write,
    args: &CheckArgs,
    report: &Report,
    inputs: &[String],
) -> std::io::Result<()> {
    let coverage = output::Coverage {
        detailed: args.coverage,
        minimum: args.min_coverage,
    };
    match args.format() {
        CheckFormat::Json => {
            serde_json::to_writer(&mut *out, &output::summary_json(report, inputs))
                .map_err(std::io::Error::other)?;
            out.write_all(b"\n")
        }
        CheckFormat::Human => output::write_human(out, report, inputs, coverage),
        CheckFormat::Junit => output::write_junit(out, report),
        CheckFormat::Github => output::write_github(out, report, coverage),
    }
}
