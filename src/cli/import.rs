//! `trackplan import`: a plan bootstrapped from what a tool already knows.

use std::path::PathBuf;

use clap::{Args, Subcommand};

use super::CliError;
use super::export::write_or_print;
use crate::export::lexicon;

/// Arguments of `trackplan import`.
#[derive(Debug, Args)]
pub struct ImportArgs {
    /// Where from.
    #[command(subcommand)]
    pub source: ImportSource,
}

/// Import sources.
#[derive(Debug, Subcommand)]
pub enum ImportSource {
    /// Mixpanel Lexicon schemas (the upload body, the API's list under
    /// `results`, or a bare list of entries) to a plan YAML.
    Mixpanel(MixpanelImportArgs),
}

/// Arguments of `trackplan import mixpanel`.
#[derive(Debug, Args)]
pub struct MixpanelImportArgs {
    /// The Lexicon schemas JSON file.
    pub file: PathBuf,
    /// The plan's name.
    #[arg(long, default_value = "Imported")]
    pub name: String,
    /// Write the plan here instead of stdout.
    #[arg(long, short)]
    pub out: Option<PathBuf>,
}

/// The largest Lexicon document read: far above what a project's schemas
/// take, far below what would exhaust memory.
const MAX_IMPORT_BYTES: u64 = 256 * 1024 * 1024;

/// Converts the file and prints or writes the plan.
pub fn command(args: ImportArgs) -> Result<u8, CliError> {
    let ImportSource::Mixpanel(args) = args.source;
    let text = crate::source::SourceFile::read_text(&args.file, MAX_IMPORT_BYTES)
        .map_err(CliError::from)?;
    let document: serde_json::Value = serde_json::from_str(&text)
        .map_err(|e| CliError::usage(format!("`{}` is not JSON: {e}", args.file.display())))?;
    let plan = lexicon::import(&document, &args.name)
        .map_err(|e| CliError::usage(format!("`{}`: {e}", args.file.display())))?;
    write_or_print(args.out.as_deref(), &lexicon::to_yaml(&plan))?;
    Ok(0)
}
