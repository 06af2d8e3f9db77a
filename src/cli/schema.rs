//! `trackplan schema`: prints the plan format's JSON Schema, the file that
//! editors use for completion (`# yaml-language-server: $schema=...`).

use std::path::PathBuf;

use clap::Args;

use super::CliError;
use crate::format::schema::plan_schema_text;

/// Arguments of `trackplan schema`.
#[derive(Debug, Args)]
pub struct SchemaArgs {
    /// Write the schema to this file instead of stdout.
    #[arg(long, short)]
    pub out: Option<PathBuf>,
}

/// Prints or writes the schema.
pub fn command(args: SchemaArgs) -> Result<u8, CliError> {
    let text = plan_schema_text();
    match args.out {
        Some(path) => std::fs::write(&path, text)
            .map_err(|e| CliError::Io(format!("cannot write `{}`: {e}", path.display())))?,
        None => print!("{text}"),
    }
    Ok(0)
}
