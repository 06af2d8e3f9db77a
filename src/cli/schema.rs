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
    super::export::write_or_print(args.out.as_deref(), &text)?;
    Ok(0)
}
