//! `trackplan init`: starts a project in the working directory, with a
//! commented `trackplan.toml` and a starter plan that lints clean.

use std::path::{Path, PathBuf};

use clap::Args;

use super::CliError;
use super::output::write_stdout;
use crate::project::{DEFAULT_PLAN, FILE_NAME, STARTER_CONFIG, STARTER_PLAN};

/// Arguments of `trackplan init`.
#[derive(Debug, Args)]
pub struct InitArgs {
    /// The directory to start the project in.
    #[arg(default_value = ".")]
    pub dir: PathBuf,
}

/// Writes the config and the starter plan; refuses to overwrite either.
pub fn command(args: InitArgs) -> Result<u8, CliError> {
    let config = args.dir.join(FILE_NAME);
    let plan = args.dir.join(DEFAULT_PLAN);
    for path in [&config, &plan] {
        if path.exists() {
            return Err(CliError::usage(format!(
                "`{}` exists; trackplan init writes nothing over it (move it away to start again)",
                path.display()
            )));
        }
    }
    write_new(&config, STARTER_CONFIG)?;
    write_new(&plan, STARTER_PLAN)?;
    // Names as typed when the project is here.
    let shown = |path: &Path| {
        if args.dir == Path::new(".") {
            path.file_name()
                .map_or_else(String::new, |n| n.to_string_lossy().into_owned())
        } else {
            path.display().to_string()
        }
    };
    write_stdout(&format!(
        "wrote {} and {}\n\nnext:\n  trackplan lint                  check the plan\n  trackplan generate              write the TypeScript helpers to src/tracking\n  trackplan check capture.har     check traffic against the plan\n  trackplan serve                 collect and check events from your app\n",
        shown(&config),
        shown(&plan)
    ))?;
    Ok(0)
}

/// Creates `path` with `text`, failing if it appeared meanwhile.
fn write_new(path: &Path, text: &str) -> Result<(), CliError> {
    use std::io::Write;
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(|e| CliError::write(path, e))?;
    file.write_all(text.as_bytes())
        .map_err(|e| CliError::write(path, e))
}
