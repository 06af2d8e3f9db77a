//! The project config, `trackplan.toml`: the plan a repository keeps and
//! what is made from it (generated code, check and collector defaults).
//! It is found by walking up from the working directory, as cargo finds
//! `Cargo.toml`; paths in it are relative to the file. Every flag
//! overrides it. `docs/config.md` documents each field.

use crate::rules::config as rule;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use toml::Spanned;

use crate::diagnostic::Diagnostic;
use std::sync::Arc;

use crate::source::SourceFile;

/// The config's file name.
pub const FILE_NAME: &str = "trackplan.toml";

/// The plan a command uses without a config and without `--plan`, in the
/// working directory.
pub const DEFAULT_PLAN: &str = "trackplan.yaml";

/// The most bytes of a config read.
const MAX_BYTES: u64 = 1 << 20;

/// A loaded config, its paths resolved against its directory.
#[derive(Debug, Clone)]
pub struct Project {
    /// The config file.
    pub path: PathBuf,
    /// The plan file (or directory of plan files).
    pub plan: Option<PathBuf>,
    /// The targets `trackplan generate` makes, in the file's order.
    pub generate: Vec<Generate>,
    /// Defaults of `trackplan check`.
    pub check: CheckDefaults,
    /// Defaults of `trackplan serve`.
    pub serve: ServeDefaults,
}

/// One `[[generate]]` entry: a target and where it goes.
#[derive(Debug, Clone, PartialEq)]
pub struct Generate {
    /// A built-in target (`typescript`, `rust`, `sql`), or `None` with
    /// `target_dir`.
    pub target: Option<String>,
    /// A target of the team's own (see `docs/targets.md`).
    pub target_dir: Option<PathBuf>,
    /// Where it is written: a directory for code, a file for SQL.
    pub out: PathBuf,
    /// Templates replacing the target's own.
    pub templates: Option<PathBuf>,
    /// For `sql`: the engine, layout, table and order column, as the flags
    /// of `generate sql` take them.
    pub dialect: Option<String>,
    /// See `dialect`.
    pub layout: Option<String>,
    /// See `dialect`.
    pub table: Option<String>,
    /// See `dialect`.
    pub order_column: Option<String>,
}

/// `[check]`: what `trackplan check` does without flags.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct CheckDefaults {
    /// Inputs checked when none are given (paths relative to the config).
    #[serde(default)]
    pub inputs: Vec<PathBuf>,
    /// The report format (`human`, `json`, `junit`, `github`).
    pub format: Option<String>,
    /// Fail when there are more warnings than this.
    pub max_warnings: Option<u64>,
}

/// `[serve]`: what `trackplan serve` does without flags.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ServeDefaults {
    /// The address to listen on.
    pub addr: Option<String>,
    /// The NDJSON file every record is appended to.
    pub out: Option<PathBuf>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    plan: Option<PathBuf>,
    #[serde(default)]
    generate: Vec<Spanned<GenerateEntry>>,
    #[serde(default)]
    check: CheckDefaults,
    #[serde(default)]
    serve: ServeDefaults,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct GenerateEntry {
    target: Option<Spanned<String>>,
    target_dir: Option<PathBuf>,
    out: Option<PathBuf>,
    templates: Option<PathBuf>,
    dialect: Option<String>,
    layout: Option<String>,
    table: Option<String>,
    order_column: Option<String>,
}

/// The built-in targets a `[[generate]]` entry may name.
pub const TARGETS: &[&str] = &["typescript", "rust", "sql"];

/// Why a config could not be used.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The file could not be read.
    #[error("{0}")]
    Read(String),
    /// The file is not a valid config: a diagnostic at its text.
    #[error("the config is not valid")]
    Invalid(Box<Diagnostic>),
}

/// The nearest `trackplan.toml` in `start` or one of its parents.
pub fn find(start: &Path) -> Option<PathBuf> {
    start
        .ancestors()
        .map(|dir| dir.join(FILE_NAME))
        .find(|candidate| candidate.is_file())
}

/// Reads and checks the config at `path`.
pub fn load(path: &Path) -> Result<Project, ConfigError> {
    let file = SourceFile::read(path, MAX_BYTES).map_err(|e| ConfigError::Read(e.to_string()))?;
    parse(&file, path).map_err(ConfigError::Invalid)
}

/// Parses the config text of `file`, found at `path`.
fn parse(file: &Arc<SourceFile>, path: &Path) -> Result<Project, Box<Diagnostic>> {
    let help = "docs/config.md describes every field; `trackplan init` writes a commented one";
    let parsed: File = toml::from_str(file.text()).map_err(|e| {
        Box::new(
            Diagnostic::error(
                rule::INVALID_CONFIG,
                format!("`{FILE_NAME}`: {}", e.message()),
            )
            .at(file, e.span().unwrap_or(0..0), "here")
            .with_help(help),
        )
    })?;
    let dir = path.parent().unwrap_or(Path::new("."));
    let resolve = |p: PathBuf| if p.is_absolute() { p } else { dir.join(p) };
    let mut generate = Vec::new();
    for entry in parsed.generate {
        let span = entry.span();
        let entry = entry.into_inner();
        let invalid = |message: String, span: std::ops::Range<usize>| {
            Box::new(
                Diagnostic::error(rule::INVALID_CONFIG, message)
                    .at(file, span, "in this entry")
                    .with_help(help),
            )
        };
        let target = match (entry.target, &entry.target_dir) {
            (Some(_), Some(_)) => {
                return Err(invalid(
                    "`[[generate]]`: give `target` or `target_dir`, not both".into(),
                    span,
                ));
            }
            (None, None) => {
                return Err(invalid(
                    format!(
                        "`[[generate]]` needs `target` ({}) or `target_dir`",
                        TARGETS.join(", ")
                    ),
                    span,
                ));
            }
            (Some(target), None) => {
                if !TARGETS.contains(&target.get_ref().as_str()) {
                    return Err(invalid(
                        format!(
                            "no built-in target `{}`: one of {}, or `target_dir` for your own",
                            target.get_ref(),
                            TARGETS.join(", ")
                        ),
                        target.span(),
                    ));
                }
                Some(target.into_inner())
            }
            (None, Some(_)) => None,
        };
        let Some(out) = entry.out else {
            return Err(invalid(
                "`[[generate]]` needs `out`: a directory for code, a file for SQL".into(),
                span,
            ));
        };
        generate.push(Generate {
            target,
            target_dir: entry.target_dir.map(resolve),
            out: resolve(out),
            templates: entry.templates.map(resolve),
            dialect: entry.dialect,
            layout: entry.layout,
            table: entry.table,
            order_column: entry.order_column,
        });
    }
    let mut check = parsed.check;
    check.inputs = check.inputs.into_iter().map(resolve).collect();
    let mut serve = parsed.serve;
    serve.out = serve.out.map(resolve);
    Ok(Project {
        path: path.to_owned(),
        plan: parsed.plan.map(resolve),
        generate,
        check,
        serve,
    })
}

/// The starter config `trackplan init` writes, commented.
pub const STARTER_CONFIG: &str = include_str!("../templates/init/trackplan.toml");

/// The starter plan `trackplan init` writes.
pub const STARTER_PLAN: &str = include_str!("../templates/init/trackplan.yaml");

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_text(text: &str) -> Result<Project, Box<Diagnostic>> {
        let file = SourceFile::new("trackplan.toml".to_owned(), text.to_owned());
        parse(&file, Path::new("/repo/trackplan.toml"))
    }

    #[test]
    fn paths_are_relative_to_the_config() {
        let project = parse_text(
            "plan = \"plans/app.yaml\"\n[[generate]]\ntarget = \"typescript\"\nout = \"src/tracking\"\n[check]\ninputs = [\"captures/a.har\"]\n[serve]\nout = \"received.ndjson\"\n",
        )
        .unwrap();
        assert_eq!(project.plan, Some(PathBuf::from("/repo/plans/app.yaml")));
        assert_eq!(project.generate[0].out, PathBuf::from("/repo/src/tracking"));
        assert_eq!(
            project.check.inputs,
            [PathBuf::from("/repo/captures/a.har")]
        );
        assert_eq!(
            project.serve.out,
            Some(PathBuf::from("/repo/received.ndjson"))
        );
    }

    #[test]
    fn mistakes_are_located() {
        let text = "plan = \"a.yaml\"\n[[generate]]\ntarget = \"typescrpt\"\nout = \"x\"\n";
        let d = parse_text(text).unwrap_err();
        assert_eq!(
            d.message,
            "no built-in target `typescrpt`: one of typescript, rust, sql, or `target_dir` for your own"
        );
        let label = d.primary.as_ref().unwrap();
        assert_eq!(&text[label.span.clone()], "\"typescrpt\"");
        let d = parse_text("plan = \"a.yaml\"\nplans = 3\n").unwrap_err();
        assert!(d.message.contains("unknown field `plans`"), "{}", d.message);
        let span = d.primary.as_ref().unwrap().span.clone();
        assert_eq!(&"plan = \"a.yaml\"\nplans = 3\n"[span], "plans");
        let d = parse_text("[[generate]]\ntarget = \"rust\"\n").unwrap_err();
        assert!(d.message.contains("needs `out`"), "{}", d.message);
    }
}
