//! `trackplan generate`: typed tracking helpers from the plan.

use std::path::{Path, PathBuf};

use clap::{Args, Subcommand};

use super::CliError;
use super::output::{write_stderr, write_stdout};
use super::plan_arg::{PlanArg, current_project, load_plan, stderr_style};
use crate::codegen::{self, Target};
use crate::diagnostic::render;
use crate::sql::{self, Dialect, Layout};

/// What `trackplan generate` writes: each target a subcommand with its
/// own flags (`generate sql --help` shows the SQL ones only).
#[derive(Debug, Clone, PartialEq, Eq, Subcommand)]
pub enum GenerateTarget {
    /// TypeScript for mixpanel-browser and the Node `mixpanel` package.
    Typescript,
    /// A Rust crate for services.
    Rust,
    /// The plan's rules as one SQL query over a table of raw events (see
    /// docs/sql.md).
    Sql(SqlArgs),
}

/// The flags of `trackplan generate sql`.
#[derive(Debug, Clone, PartialEq, Eq, Args)]
pub struct SqlArgs {
    /// The engine to write for.
    #[arg(long, value_enum, default_value_t = Dialect::Duckdb)]
    pub dialect: Dialect,
    /// The shape of the table of raw events.
    #[arg(long, value_enum, default_value_t = Layout::Export)]
    pub layout: Layout,
    /// The table (or view) to check; dots separate a schema or project
    /// (`analytics.mixpanel_events`).
    #[arg(long, default_value = sql::DEFAULT_TABLE)]
    pub table: String,
    /// A column of the table giving the order events arrived in (a line
    /// number, a load sequence); "after login" then means what it means to
    /// `check`. Without it, events are ordered by time.
    #[arg(long, value_name = "COLUMN")]
    pub order_column: Option<String>,
    /// Write the coverage query instead of the checks: one row per counter
    /// of `check --coverage` (records per event, properties present and
    /// null, each enum value), see docs/coverage.md.
    #[arg(long)]
    pub coverage: bool,
}

/// Arguments of `trackplan generate`.
#[derive(Debug, Args)]
pub struct GenerateArgs {
    /// The target to generate; leave it out (and `--target-dir`) to make
    /// every `[[generate]]` target of `trackplan.toml`.
    #[command(subcommand)]
    pub target: Option<GenerateTarget>,
    /// A directory describing a target of your own: its `target.toml` and
    /// templates (see docs/targets.md), rendered with the same naming and
    /// collision safety as the built-in targets.
    #[arg(long, value_name = "DIR")]
    pub target_dir: Option<PathBuf>,
    /// The plan.
    #[command(flatten)]
    pub plan: PlanArg,
    /// Where to write: a directory for code; a file for SQL (standard
    /// output when left out).
    #[arg(long, short, global = true)]
    pub out: Option<PathBuf>,
    /// A directory of templates replacing the target's own of the same
    /// name (`tracking.ts.jinja`, `lib.rs.jinja`, ...).
    #[arg(long, value_name = "DIR", global = true)]
    pub templates: Option<PathBuf>,
    /// Write nothing; exit 1 when the files in `--out` differ from what
    /// would be generated (for CI).
    #[arg(long, global = true)]
    pub check: bool,
}

/// Generates, writes (or compares) the files and prints their paths: of
/// the target named, or of every target of the project config.
pub fn command(args: GenerateArgs) -> Result<u8, CliError> {
    let project = current_project()?;
    let plan = args.plan.path(project.as_ref())?;
    if args.target.is_some() && args.target_dir.is_some() {
        return Err(CliError::usage(
            "--target-dir names a target of your own: leave out typescript, rust or sql".to_owned(),
        ));
    }
    if args.target.is_some() || args.target_dir.is_some() {
        return one(&args, &plan, None);
    }
    let entries = project
        .as_ref()
        .map(|p| p.generate.as_slice())
        .unwrap_or_default();
    if entries.is_empty() {
        return Err(CliError::usage(match &project {
            Some(p) => format!(
                "say what to generate (typescript, rust, sql, or --target-dir DIR), or add a `[[generate]]` target to `{}`",
                p.path.display()
            ),
            None => "say what to generate: typescript, rust, sql, or --target-dir DIR (or list targets as `[[generate]]` in trackplan.toml)".to_owned(),
        }));
    }
    let mut code = 0;
    for entry in entries {
        let configured = from_entry(&args, entry);
        code = code.max(one(&configured, &plan, Some("trackplan generate"))?);
    }
    Ok(code)
}

/// The arguments of one `[[generate]]` entry; the flags given still hold.
fn from_entry(args: &GenerateArgs, entry: &crate::project::Generate) -> GenerateArgs {
    use crate::project::BuiltinTarget;
    let target = entry.target.map(|target| match target {
        BuiltinTarget::Typescript => GenerateTarget::Typescript,
        BuiltinTarget::Rust => GenerateTarget::Rust,
        BuiltinTarget::Sql => GenerateTarget::Sql(SqlArgs {
            dialect: entry.dialect.unwrap_or(Dialect::Duckdb),
            layout: entry.layout.unwrap_or(Layout::Export),
            table: entry
                .table
                .clone()
                .unwrap_or_else(|| sql::DEFAULT_TABLE.to_owned()),
            order_column: entry.order_column.clone(),
            coverage: entry.coverage,
        }),
    });
    GenerateArgs {
        target,
        target_dir: entry.target_dir.clone(),
        plan: args.plan.clone(),
        out: Some(entry.out.clone()),
        templates: args.templates.clone().or_else(|| entry.templates.clone()),
        check: args.check,
    }
}

/// Generates one target from the plan at `plan`; `rerun` is the command
/// an out-of-date check tells to run (else the flags of this one).
fn one(args: &GenerateArgs, plan: &Path, rerun: Option<&str>) -> Result<u8, CliError> {
    let target = match (&args.target, &args.target_dir) {
        (Some(GenerateTarget::Sql(sql)), _) => return write_sql(args, sql, plan),
        (Some(GenerateTarget::Typescript), _) => builtin("typescript")?,
        (Some(GenerateTarget::Rust), _) => builtin("rust")?,
        (None, Some(dir)) => custom(dir)?,
        (None, None) => {
            return Err(CliError::usage(
                "say what to generate: typescript, rust, sql, or --target-dir DIR".to_owned(),
            ));
        }
    };
    let plan_path = plan;
    let plan = load_plan(plan)?;
    let Some(out_dir) = &args.out else {
        return Err(CliError::usage_with_help(
            format!("`generate {}` needs --out DIR", target.spec.name),
            "or set `out` in a `[[generate]]` entry of trackplan.toml",
        ));
    };
    let files = codegen::generate(&plan, &target, args.templates.as_deref())?;
    let mut stale = Vec::new();
    let mut report = String::new();
    for file in &files {
        let path = out_dir.join(&file.path);
        if args.check {
            if std::fs::read_to_string(&path).ok().as_deref() != Some(file.contents.as_str()) {
                stale.push(shown(&path));
            }
            continue;
        }
        let write = || -> std::io::Result<()> {
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent)?;
            }
            std::fs::write(&path, &file.contents)
        };
        write().map_err(|e| CliError::write(&path, e))?;
        report.push_str(&format!("{}\n", shown(&path)));
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
        let rerun = rerun.map_or_else(
            || {
                format!(
                    "trackplan generate {what} --plan {} --out {}",
                    plan_path.display(),
                    out_dir.display()
                )
            },
            str::to_owned,
        );
        report.push_str(&format!("run `{rerun}`\n"));
        1
    };
    write_stdout(&report)?;
    Ok(code)
}

/// A path as the user reads it: relative to the working directory when
/// inside it (paths from `trackplan.toml` are resolved to absolute ones).
fn shown(path: &Path) -> String {
    std::env::current_dir()
        .ok()
        .and_then(|here| path.strip_prefix(here).ok().map(Path::to_path_buf))
        .unwrap_or_else(|| path.to_path_buf())
        .display()
        .to_string()
}

fn builtin(name: &str) -> Result<Target, CliError> {
    Target::builtin(name).ok_or_else(|| CliError::usage(format!("no built-in target `{name}`")))
}

/// A team's own target; a mistake in its `target.toml` is printed as a
/// diagnostic at its text.
fn custom(dir: &std::path::Path) -> Result<Target, CliError> {
    Target::from_dir(dir).map_err(|e| match e {
        codegen::TargetError::Read(e) => CliError::Read(e),
        codegen::TargetError::Invalid(d) => {
            write_stderr(&render::human(&d, stderr_style()));
            CliError::usage_with_help(
                format!("the target in `{}` is not valid", dir.display()),
                "docs/targets.md describes every field of `target.toml`",
            )
        }
    })
}

/// `generate sql`: the query to a file or standard output.
fn write_sql(args: &GenerateArgs, sql_args: &SqlArgs, plan: &Path) -> Result<u8, CliError> {
    let plan = load_plan(plan)?;
    let options = sql::Options {
        layout: sql_args.layout,
        table: sql_args.table.clone(),
        order_column: sql_args.order_column.clone(),
        ..sql::Options::new(sql_args.dialect)
    };
    let text = if sql_args.coverage {
        let layout = crate::check::coverage::Layout::new(&plan);
        let queries = sql::coverage::queries(&plan, &layout, &options, usize::MAX);
        match queries.into_iter().next() {
            Some(query) => query.sql,
            None => format!(
                "{}\n",
                sql_args
                    .dialect
                    .comment("The plan has no events: there is nothing to count.")
            ),
        }
    } else {
        sql::generate(&plan, &options).sql
    };
    match &args.out {
        Some(path) if args.check => {
            if std::fs::read_to_string(path).ok().as_deref() == Some(text.as_str()) {
                return Ok(0);
            }
            write_stdout(&format!("out of date: {}\n", shown(path)))?;
            Ok(1)
        }
        Some(path) => {
            std::fs::write(path, &text).map_err(|e| CliError::write(path, e))?;
            write_stdout(&format!("{}\n", shown(path)))?;
            Ok(0)
        }
        None => {
            write_stdout(&text)?;
            Ok(0)
        }
    }
}
