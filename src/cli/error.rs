//! The failures of a command that are not findings: a file that cannot be
//! read or written, arguments that do not fit together, a plan or config
//! with mistakes. Each is a typed error (thiserror + miette) with a help
//! line where there is something to do about it; `trackplan` prints it as
//! `error: …` and `help: …`, as cargo does, and exits 2
//! (docs/diagnostics.md). Findings about the text of a file (a plan, a
//! config) are printed before it as miette's reports at their place.

use std::io;
use std::path::PathBuf;

use miette::Diagnostic;

use crate::codegen::{CodegenError, TargetError};
use crate::source::ReadError;

/// A failure that is not a finding. Exit code 2.
#[derive(Debug, thiserror::Error, Diagnostic)]
pub enum CliError {
    /// A file (a plan, an input, a template, a directory) could not be read.
    #[error(transparent)]
    #[diagnostic(transparent)]
    Read(#[from] ReadError),
    /// A file could not be written.
    #[error("cannot write `{}`: {source}", path.display())]
    #[diagnostic(
        code(trackplan::write),
        help("check that the directory exists and that you may write to it")
    )]
    Write {
        /// The file.
        path: PathBuf,
        /// Why.
        source: io::Error,
    },
    /// Standard output could not be written (other than a closed pipe,
    /// which ends the command quietly).
    #[error("cannot write to standard output: {0}")]
    #[diagnostic(code(trackplan::stdout))]
    Stdout(io::Error),
    /// Something else could not be done: running git, starting the
    /// server, rendering the man page.
    #[error("{0}")]
    #[diagnostic(code(trackplan::io))]
    Io(String),
    /// The arguments (or the project config) do not make sense together.
    #[error("{message}")]
    #[diagnostic(code(trackplan::usage))]
    Usage {
        /// What is wrong.
        message: String,
        /// What to do instead.
        #[help]
        help: Option<String>,
    },
    /// The plan a command needs has error-level findings (printed above).
    #[error("the plan `{name}` has mistakes ({summary})")]
    #[diagnostic(
        code(trackplan::plan),
        help("`trackplan lint {name}` shows every finding, warnings included")
    )]
    Plan {
        /// The plan as the user named it.
        name: String,
        /// `2 errors, 1 warning`.
        summary: String,
    },
    /// The project config has a mistake (printed above at its place).
    #[error("`{}` is not a valid trackplan config", path.display())]
    #[diagnostic(code(trackplan::config), help("docs/config.md describes every field"))]
    Config {
        /// The `trackplan.toml`.
        path: PathBuf,
    },
    /// A directory is not one plan.
    #[error(transparent)]
    #[diagnostic(transparent)]
    Dir(#[from] crate::plan::DirError),
    /// Code could not be generated.
    #[error(transparent)]
    #[diagnostic(transparent)]
    Codegen(#[from] CodegenError),
    /// The DuckDB engine failed.
    #[cfg(feature = "duckdb")]
    #[error(transparent)]
    #[diagnostic(code(trackplan::duckdb))]
    Engine(#[from] crate::sql::duckdb::EngineError),
    /// A template directory's target could not be used.
    #[error(transparent)]
    #[diagnostic(code(trackplan::target))]
    Target(#[from] TargetError),
}

impl CliError {
    /// A usage error without help.
    pub fn usage(message: impl Into<String>) -> CliError {
        CliError::Usage {
            message: message.into(),
            help: None,
        }
    }

    /// A usage error with what to do instead.
    pub fn usage_with_help(message: impl Into<String>, help: impl Into<String>) -> CliError {
        CliError::Usage {
            message: message.into(),
            help: Some(help.into()),
        }
    }

    /// `path` could not be written.
    pub fn write(path: impl Into<PathBuf>, source: io::Error) -> CliError {
        CliError::Write {
            path: path.into(),
            source,
        }
    }

    /// The lines `trackplan` prints: `error: …`, then `help: …` when there
    /// is help; unwrapped, so scripts and logs can grep them.
    pub fn report(&self) -> String {
        let mut out = format!("error: {self}\n");
        if let Some(help) = self.help() {
            out.push_str(&format!("help: {help}\n"));
        }
        out
    }
}
