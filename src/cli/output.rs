//! Output formats shared by the commands that report findings.

use std::io::Write;

use crate::diagnostic::render::{self, JsonDiagnostic, Style};
use crate::diagnostic::{Counts, Diagnostic};

/// How findings are printed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum OutputFormat {
    /// For people: source snippets with labels (plain when `NO_COLOR` is
    /// set or stdout is not a terminal).
    #[default]
    Human,
    /// One JSON document, stable and documented in `docs/diagnostics.md`.
    Json,
    /// GitHub Actions workflow commands, shown as annotations on the diff.
    Github,
    /// SARIF 2.1.0, for code scanning (GitHub, GitLab, Azure DevOps).
    Sarif,
}

/// A closed stdout (`trackplan lint | head`) is not an error: the command
/// ends quietly. Any other write failure (a full disk) is, naming it.
pub fn ignore_broken_pipe(err: std::io::Error) -> Result<(), super::CliError> {
    if err.kind() == std::io::ErrorKind::BrokenPipe {
        Ok(())
    } else {
        Err(super::CliError::Stdout(err))
    }
}

/// Writes `text` to standard output, the one way commands print: a closed
/// pipe ends quietly, another failure is an error (exit 2).
pub fn write_stdout(text: &str) -> Result<(), super::CliError> {
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())
        .and_then(|()| out.flush())
        .or_else(ignore_broken_pipe)
}

/// Writes `text` and a newline to standard error, where diagnostics and
/// messages go; a closed or full stderr cannot be reported anywhere, so it
/// is ignored rather than a panic.
pub fn write_stderr(text: &str) {
    let mut err = std::io::stderr().lock();
    let _ = writeln!(err, "{text}").and_then(|()| err.flush());
}

/// The JSON document of a lint run.
#[derive(serde::Serialize)]
struct JsonReport<'a> {
    version: u32,
    files: &'a [String],
    diagnostics: Vec<JsonDiagnostic<'a>>,
    summary: Counts,
}

/// Prints `diagnostics` about `files` to stdout in `format`.
pub fn print(
    format: OutputFormat,
    files: &[String],
    diagnostics: &[Diagnostic],
) -> std::io::Result<()> {
    let mut out = std::io::stdout().lock();
    let counts = Counts::of(diagnostics);
    match format {
        OutputFormat::Human => {
            let style = Style::detect();
            for d in diagnostics {
                writeln!(out, "{}", render::human(d, style))?;
            }
            let files_word = if files.len() == 1 { "file" } else { "files" };
            writeln!(
                out,
                "{} in {} {files_word}",
                render::summary_line(counts),
                files.len()
            )?;
        }
        OutputFormat::Json => {
            let report = JsonReport {
                version: 1,
                files,
                diagnostics: diagnostics.iter().map(JsonDiagnostic::new).collect(),
                summary: counts,
            };
            serde_json::to_writer_pretty(&mut out, &report)?;
            writeln!(out)?;
        }
        OutputFormat::Github => {
            for d in diagnostics {
                writeln!(out, "{}", render::github(d))?;
            }
        }
        OutputFormat::Sarif => {
            serde_json::to_writer_pretty(&mut out, &crate::diagnostic::sarif::log(diagnostics))?;
            writeln!(out)?;
        }
    }
    out.flush()
}
