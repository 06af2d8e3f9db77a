//! `trackplan generate`: typed tracking helpers from the plan.

use std::path::PathBuf;

use clap::Args;

use super::CliError;
use super::plan_arg::load_plan;
use crate::codegen::{self, Target};

/// Arguments of `trackplan generate`.
#[derive(Debug, Args)]
pub struct GenerateArgs {
    /// The language to generate.
    #[arg(value_enum)]
    pub target: Target,
    /// The plan.
    #[arg(long, short, default_value = "plans/accounts.yaml")]
    pub plan: PathBuf,
    /// Where to write the files.
    #[arg(long, short)]
    pub out: PathBuf,
    /// A directory of templates replacing the built-in ones of the same
    /// name (`tracking.ts.jinja`, ...).
    #[arg(long, value_name = "DIR")]
    pub templates: Option<PathBuf>,
    /// Write nothing; exit 1 when the files in `--out` differ from what
    /// would be generated (for CI).
    #[arg(long)]
    pub check: bool,
}

/// Generates, writes (or compares) the files and prints their paths.
pub fn command(args: GenerateArgs) -> Result<u8, CliError> {
    let plan = load_plan(&args.plan)?;
    let files = codegen::generate(&plan, args.target, args.templates.as_deref())
        .map_err(|e| CliError::Usage(e.to_string()))?;
    let mut stale = Vec::new();
    for file in &files {
        let path = args.out.join(&file.path);
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
        println!("{}", path.display());
    }
    if stale.is_empty() {
        return Ok(0);
    }
    for path in &stale {
        println!("out of date: {path}");
    }
    println!(
        "run `trackplan generate {} --plan {} --out {}`",
        args.target.name(),
        args.plan.display(),
        args.out.display()
    );
    Ok(1)
}
