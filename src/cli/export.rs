//! `trackplan export`: the plan in the formats other tools speak.

use std::path::PathBuf;

use clap::{Args, Subcommand};

use super::CliError;
use super::output::write_stdout;
use super::plan_arg::{PlanArg, current_project};
use crate::export::jsonschema;

/// Arguments of `trackplan export`.
#[derive(Debug, Args)]
pub struct ExportArgs {
    /// What to export.
    #[command(subcommand)]
    pub target: ExportTarget,
}

/// Export targets.
#[derive(Debug, Subcommand)]
pub enum ExportTarget {
    /// JSON Schema (draft 2020-12): one schema per event, one for profile
    /// updates, one per group; the rules `trackplan check` applies.
    Jsonschema(JsonSchemaArgs),
    /// Mixpanel Lexicon schemas: the body of Lexicon's schema upload
    /// (`{"entries": [...], "truncate": false}`), one entry per event and one
    /// for user profiles.
    Mixpanel(MixpanelArgs),
}

/// Arguments of `trackplan export mixpanel`.
#[derive(Debug, Args)]
pub struct MixpanelArgs {
    /// The plan.
    #[command(flatten)]
    pub plan: PlanArg,
    /// Write to this file instead of stdout.
    #[arg(long, short)]
    pub out: Option<PathBuf>,
}

/// Arguments of `trackplan export jsonschema`.
#[derive(Debug, Args)]
pub struct JsonSchemaArgs {
    /// The plan.
    #[command(flatten)]
    pub plan: PlanArg,
    /// Write one file per schema under this directory (`events/<name>.json`,
    /// `profile.json`, `groups/<key>.json`). Without it, one bundle is printed.
    #[arg(long, short)]
    pub out: Option<PathBuf>,
}

/// Runs the export.
pub fn command(args: ExportArgs) -> Result<u8, CliError> {
    match args.target {
        ExportTarget::Mixpanel(args) => {
            let plan = args.plan.load(current_project()?.as_ref())?;
            let mut text = serde_json::to_string_pretty(&crate::export::lexicon::export(&plan))
                .unwrap_or_default();
            text.push('\n');
            write_or_print(args.out.as_deref(), &text)?;
            Ok(0)
        }
        ExportTarget::Jsonschema(args) => {
            let plan = args.plan.load(current_project()?.as_ref())?;
            match args.out {
                None => {
                    let mut text = serde_json::to_string_pretty(&jsonschema::bundle(&plan))
                        .unwrap_or_default();
                    text.push('\n');
                    write_stdout(&text)?;
                }
                Some(dir) => {
                    let mut listed = String::new();
                    for (name, schema) in jsonschema::all_schemas(&plan) {
                        let path = dir.join(&name);
                        let write = || -> std::io::Result<()> {
                            if let Some(parent) = path.parent() {
                                std::fs::create_dir_all(parent)?;
                            }
                            let mut text =
                                serde_json::to_string_pretty(&schema).unwrap_or_default();
                            text.push('\n');
                            std::fs::write(&path, text)
                        };
                        write().map_err(|e| CliError::write(&path, e))?;
                        listed.push_str(&format!("{}\n", path.display()));
                    }
                    write_stdout(&listed)?;
                }
            }
            Ok(0)
        }
    }
}

/// Writes `text` to `out`, or prints it.
pub fn write_or_print(out: Option<&std::path::Path>, text: &str) -> Result<(), CliError> {
    match out {
        Some(path) => std::fs::write(path, text).map_err(|e| CliError::write(path, e)),
        None => write_stdout(text),
    }
}
