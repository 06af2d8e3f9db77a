//! The command line: one module per subcommand, each with its clap `Args`
//! and one `command` function. `main.rs` only calls [`main`].

mod check;
mod completions;
mod coverage;
mod diff;
mod docs;
mod error;
mod explain;
mod export;
mod generate;
mod import;
mod init;
mod lint;
mod output;
mod plan_arg;
mod scan;
mod schema;
mod serve;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

pub use error::CliError;
pub use output::OutputFormat;

/// Keep your Mixpanel tracking plan as code: lint it, check captured events
/// against it, generate typed helpers and documentation from it.
#[derive(Debug, Parser)]
#[command(name = "trackplan", version, about, long_about = None, propagate_version = true)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Start a project here: a commented `trackplan.toml` and a starter plan.
    Init(init::InitArgs),
    /// Check plan files for mistakes and style, with exact positions.
    Lint(lint::LintArgs),
    /// Check captured Mixpanel payloads (NDJSON, JSON, HAR, request bodies) against the plan.
    Check(check::CheckArgs),
    /// Find the plan's events in source code (TypeScript, JavaScript, Rust): never called, unplanned, raw calls.
    Scan(scan::ScanArgs),
    /// Is the plan implemented? Plan, code and traffic joined per event (Markdown or JSON).
    Coverage(coverage::CoverageArgs),
    /// Compare two versions of a plan: breaking changes and the version bump they need.
    Diff(diff::DiffArgs),
    /// Document the plan as Markdown or a self-contained HTML page.
    Docs(docs::DocsArgs),
    /// Run a local Mixpanel-compatible collector that checks events as SDKs send them.
    Serve(serve::ServeArgs),
    /// Print the JSON Schema of the plan file format.
    Schema(schema::SchemaArgs),
    /// Export the plan to other formats (JSON Schema, Mixpanel Lexicon).
    Export(export::ExportArgs),
    /// Import a plan from another tool (Mixpanel Lexicon schemas).
    Import(import::ImportArgs),
    /// Generate typed tracking helpers (TypeScript or a Rust crate), or the
    /// plan's checks as SQL for a warehouse, from the plan.
    Generate(generate::GenerateArgs),
    /// Explain a rule of lint, check or diff: what it reports and why.
    Explain(explain::ExplainArgs),
    /// Print a shell completion script (bash, zsh, fish, powershell, elvish).
    Completions(completions::CompletionsArgs),
    /// Print the man page.
    Man(completions::ManArgs),
}

/// Parses the arguments, runs the command and returns the exit code: 0 for
/// success, 1 for error-level findings, 2 for usage and I/O errors.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Init(args) => init::command(args),
        Command::Lint(args) => lint::command(args),
        Command::Check(args) => check::command(args),
        Command::Scan(args) => scan::command(args),
        Command::Coverage(args) => coverage::command(args),
        Command::Docs(args) => docs::command(args),
        Command::Diff(args) => diff::command(args),
        Command::Schema(args) => schema::command(args),
        Command::Serve(args) => serve::command(args),
        Command::Export(args) => export::command(args),
        Command::Generate(args) => generate::command(args),
        Command::Import(args) => import::command(args),
        Command::Explain(args) => explain::command(args),
        Command::Completions(args) => completions::completions(args),
        Command::Man(args) => completions::man(args),
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(err) => {
            output::write_stderr(err.report().trim_end());
            ExitCode::from(2)
        }
    }
}
