//! `trackplan completions SHELL` and `trackplan man`: shell completions
//! and the man page, written from the clap definitions the parser uses, so
//! they list exactly the commands and flags there are.

use clap::{Args, CommandFactory};
use clap_complete::aot::{Shell, generate};

use super::CliError;
use super::output::write_stdout;

/// Arguments of `trackplan completions`.
#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to complete in: bash (`source <(trackplan completions
    /// bash)` in `~/.bashrc`), zsh, fish, powershell or elvish.
    #[arg(value_enum)]
    pub shell: Shell,
}

/// Prints the completion script of `shell`.
pub fn completions(args: CompletionsArgs) -> Result<u8, CliError> {
    let mut command = super::Cli::command();
    let mut script = Vec::new();
    generate(args.shell, &mut command, "trackplan", &mut script);
    write_stdout(&String::from_utf8_lossy(&script))?;
    Ok(0)
}

/// Arguments of `trackplan man`.
#[derive(Debug, Args)]
pub struct ManArgs {
    /// Write every page (`trackplan.1` and one per subcommand, such as
    /// `trackplan-check.1`) into this directory, such as
    /// `~/.local/share/man/man1`, instead of printing the main page.
    #[arg(long, value_name = "DIR")]
    pub out_dir: Option<std::path::PathBuf>,
}

/// Prints the main man page (roff; read it with `trackplan man | man -l
/// -`), or writes every page to `--out-dir`.
pub fn man(args: ManArgs) -> Result<u8, CliError> {
    if let Some(dir) = &args.out_dir {
        std::fs::create_dir_all(dir)
            .and_then(|()| clap_mangen::generate_to(super::Cli::command(), dir))
            .map_err(|e| {
                CliError::Io(format!(
                    "cannot write the man pages to `{}`: {e}",
                    dir.display()
                ))
            })?;
        write_stdout(&format!("{}\n", dir.display()))?;
        return Ok(0);
    }
    let mut page = Vec::new();
    clap_mangen::Man::new(super::Cli::command())
        .render(&mut page)
        .map_err(|e| CliError::Io(format!("cannot render the man page: {e}")))?;
    write_stdout(&String::from_utf8_lossy(&page))?;
    Ok(0)
}
