//! `trackplan generate`: typed tracking helpers from the plan.

use std::path::PathBuf;

use clap::Args;

use super::CliError;
use super::output::{write_stderr, write_stdout};
use super::plan_arg::load_plan;
use crate::codegen::{self, Target};
use crate::diagnostic::render::{self, Style};
use crate::sql::{self, Dialect, Layout};

/// What `trackplan generate` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum GenerateTarget {
    /// TypeScript for mixpanel-browser and the Node `mixpanel` package.
    Typescript,
    /// A Rust crate for services.
    Rust,
    /// The plan's rules as one SQL query over a table of raw events
    /// (`--dialect`, `--layout`, `--table`; see docs/sql.md).
    Sql,
}

/// Arguments of `trackplan generate`.
#[derive(Debug, Args)]
pub struct GenerateArgs {
    /// The language to generate (leave it out with `--target-dir`).
    #[arg(value_enum, required_unless_present = "target_dir")]
    pub target: Option<GenerateTarget>,
    /// A directory describing a target of your own: its `target.toml` and
    /// templates (see docs/targets.md), rendered with the same naming and
    /// collision safety as the built-in targets.
    #[arg(long, value_name = "DIR", conflicts_with = "target")]
    pub target_dir: Option<PathBuf>,
    /// The plan.
    #[arg(long, short, default_value = "plans/accounts.yaml")]
    pub plan: PathBuf,
    /// Where to write: a directory for code; a file for SQL (standard
    /// output when left out).
    #[arg(long, short)]
    pub out: Option<PathBuf>,
    /// For `sql`: the engine to write for.
    #[arg(long, value_enum, default_value_t = Dialect::Duckdb)]
    pub dialect: Dialect,
    /// For `sql`: the shape of the table of raw events.
    #[arg(long, value_enum, default_value_t = Layout::Export)]
    pub layout: Layout,
    /// For `sql`: the table (or view) to check; dots separate a schema or
    /// project (`analytics.mixpanel_events`).
    #[arg(long, default_value = "mixpanel_events")]
    pub table: String,
    /// For `sql`: a column of the table giving the order events arrived in
    /// (a line number, a load sequence); "after login" then means what it
    /// means to `check`. Without it, events are ordered by time.
    #[arg(long, value_name = "COLUMN")]
    pub order_column: Option<String>,
    /// A directory of templates replacing the target's own of the same
    /// name (`tracking.ts.jinja`, `lib.rs.jinja`, ...).
    #[arg(long, value_name = "DIR")]
    pub templates: Option<PathBuf>,
    /// Write nothing; exit 1 when the files in `--out` differ from what
    /// would be generated (for CI).
    #[arg(long)]
    pub check: bool,
}

/// Generates, writes (or compares) the files and prints their paths.
pub fn command(args: GenerateArgs) -> Result<u8, CliError> {
    let target = match (args.target, &args.target_dir) {
        (Some(GenerateTarget::Sql), _) => return write_sql(&args),
        (Some(GenerateTarget::Typescript), _) => builtin("typescript")?,
        (Some(GenerateTarget::Rust), _) => builtin("rust")?,
        (None, Some(dir)) => custom(dir)?,
        (None, None) => {
            return Err(CliError::Usage(
                "say what to generate: typescript, rust, sql, or --target-dir DIR".to_owned(),
            ));
        }
    };
    let plan = load_plan(&args.plan)?;
    let Some(out_dir) = &args.out else {
        return Err(CliError::Usage(format!(
            "`generate {}` needs --out DIR",
            target.spec.name
        )));
    };
    let files = codegen::generate(&plan, &target, args.templates.as_deref())
        .map_err(|e| CliError::Usage(e.to_string()))?;
    let mut stale = Vec::new();
    let mut report = String::new();
    for file in &files {
        let path = out_dir.join(&file.path);
        if args.check {
            if std::fs::read_to_string(&path).ok().as_deref() != Some(file.contents.as_str()) {
                stale.push(path.display().to_string());
            }
            continue;
        }
        let write = || -> std::io::Result<()> {
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent)?;
            }
            std::fs::write(&path, &file.contents)
        };
        write().map_err(|e| CliError::Io(format!("cannot write `{}`: {e}", path.display())))?;
        report.push_str(&format!("{}\n", path.display()));
    }
    let code = if stale.is_empty() {
        0
    } else {
        for path in &stale {
            report.push_str(&format!("out of date: {path}\n"));
        }
        let what = match &args.target_dir {
            Some(dir) => format!("--target-dir {}", dir.display()),
            None => target.spec.name.clone(),
        };
        report.push_str(&format!(
            "run `trackplan generate {what} --plan {} --out {}`\n",
            args.plan.display(),
            out_dir.display()
        ));
        1
    };
    write_stdout(&report)?;
    Ok(code)
}

fn builtin(name: &str) -> Result<Target, CliError> {
    Target::builtin(name).ok_or_else(|| CliError::Usage(format!("no built-in target `{name}`")))
}

/// A team's own target; a mistake in its `target.toml` is printed as a
/// diagnostic at its text.
fn custom(dir: &std::path::Path) -> Result<Target, CliError> {
    Target::from_dir(dir).map_err(|e| match e {
        codegen::TargetError::Read(_) => CliError::Io(e.to_string()),
        codegen::TargetError::Invalid(d) => {
            let style = if std::env::var_os("NO_COLOR").is_some() {
                Style::Plain
            } else {
                Style::detect_stderr()
            };
            write_stderr(&render::human(&d, style));
            CliError::Usage(format!("the target in `{}` is not valid", dir.display()))
        }
    })
}

/// `generate sql`: the query to a file or standard output.
fn write_sql(args: &GenerateArgs) -> Result<u8, CliError> {
    let plan = load_plan(&args.plan)?;
    let options = sql::Options {
        layout: args.layout,
        table: args.table.clone(),
        order_column: args.order_column.clone(),
        ..sql::Options::new(args.dialect)
    };
    let query = sql::generate(&plan, &options);
    match &args.out {
        Some(path) if args.check => {
            if std::fs::read_to_string(path).ok().as_deref() == Some(query.sql.as_str()) {
                return Ok(0);
            }
            write_stdout(&format!("out of date: {}\n", path.display()))?;
            Ok(1)
        }
        Some(path) => {
            std::fs::write(path, &query.sql)
                .map_err(|e| CliError::Io(format!("cannot write `{}`: {e}", path.display())))?;
            write_stdout(&format!("{}\n", path.display()))?;
            Ok(0)
        }
        None => {
            write_stdout(&query.sql)?;
            Ok(0)
        }
    }
}
