//! The project config, `trackplan.toml`: the plan a repository keeps and
//! what is made from it (generated code, check and collector defaults).
//! It is found by walking up from the working directory, as cargo finds
//! `Cargo.toml`; paths in it are relative to the file. Every flag
//! overrides it. `docs/config.md` documents each field.

use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use clap::ValueEnum;
use serde::Deserialize;
use toml::Spanned;

use crate::check::output::CheckFormat;
use crate::diagnostic::Diagnostic;
use crate::rules::config as rule;
use crate::source::SourceFile;
use crate::sql::{Dialect, Layout};

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
    /// Defaults of `trackplan scan` (and of `trackplan coverage --code`).
    pub scan: ScanDefaults,
}

/// The built-in targets a `[[generate]]` entry may name; `trackplan
/// generate` has a subcommand for each.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum BuiltinTarget {
    /// TypeScript helpers.
    Typescript,
    /// A Rust crate.
    Rust,
    /// The plan's checks as one SQL query.
    Sql,
}

/// One `[[generate]]` entry: a target and where it goes.
#[derive(Debug, Clone, PartialEq)]
pub struct Generate {
    /// A built-in target, or `None` with `target_dir`.
    pub target: Option<BuiltinTarget>,
    /// A target of the team's own (see `docs/targets.md`).
    pub target_dir: Option<PathBuf>,
    /// Where it is written: a directory for code, a file for SQL.
    pub out: PathBuf,
    /// Templates replacing the target's own.
    pub templates: Option<PathBuf>,
    /// For `sql`: the engine, layout, table and order column, as the flags
    /// of `generate sql` take them.
    pub dialect: Option<Dialect>,
    /// See `dialect`.
    pub layout: Option<Layout>,
    /// See `dialect`.
    pub table: Option<String>,
    /// See `dialect`.
    pub order_column: Option<String>,
    /// For `sql`: the coverage query instead of the checks (`generate sql
    /// --coverage`).
    pub coverage: bool,
}

/// `[check]`: what `trackplan check` does without flags.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CheckDefaults {
    /// Inputs checked when none are given (paths relative to the config).
    pub inputs: Vec<PathBuf>,
    /// The report format.
    pub format: Option<CheckFormat>,
    /// Fail when there are more warnings than this.
    pub max_warnings: Option<u64>,
    /// Fail when the traffic covers less of the plan than this percentage.
    pub min_coverage: Option<f64>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct CheckEntry {
    #[serde(default)]
    inputs: Vec<PathBuf>,
    format: Option<Spanned<String>>,
    max_warnings: Option<u64>,
    min_coverage: Option<Spanned<f64>>,
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

/// `[scan]`: what `trackplan scan` reads without flags.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ScanDefaults {
    /// Files and directories to scan (relative to the config).
    #[serde(default)]
    pub paths: Vec<PathBuf>,
    /// Globs of paths left out.
    #[serde(default)]
    pub exclude: Vec<String>,
    /// Import specifiers naming the generated module.
    #[serde(default)]
    pub modules: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    plan: Option<PathBuf>,
    #[serde(default)]
    generate: Vec<Spanned<GenerateEntry>>,
    #[serde(default)]
    check: CheckEntry,
    #[serde(default)]
    serve: ServeDefaults,
    #[serde(default)]
    scan: ScanDefaults,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct GenerateEntry {
    target: Option<Spanned<String>>,
    target_dir: Option<PathBuf>,
    out: Option<PathBuf>,
    templates: Option<PathBuf>,
    dialect: Option<Spanned<String>>,
    layout: Option<Spanned<String>>,
    table: Option<String>,
    order_column: Option<String>,
    coverage: Option<Spanned<bool>>,
}

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

const HELP: &str = "docs/config.md describes every field; `trackplan init` writes a commented one";

/// An `invalid-config` finding at `span`.
fn invalid(
    file: &Arc<SourceFile>,
    message: String,
    span: Range<usize>,
    label: &str,
) -> Box<Diagnostic> {
    Box::new(
        Diagnostic::error(rule::INVALID_CONFIG, message)
            .at(file, span, label)
            .with_help(HELP),
    )
}

/// The names a value of `T` is written with.
fn names<T: ValueEnum>() -> Vec<String> {
    T::value_variants()
        .iter()
        .filter_map(ValueEnum::to_possible_value)
        .map(|v| v.get_name().to_owned())
        .collect()
}

/// The `T` that `value` names (as its flag takes it), or a finding at the
/// value saying which there are, `also` after them.
fn choose<T: ValueEnum>(
    file: &Arc<SourceFile>,
    value: &Spanned<String>,
    what: &str,
    also: &str,
) -> Result<T, Box<Diagnostic>> {
    T::from_str(value.get_ref(), false).map_err(|_| {
        let names = names::<T>();
        let mut message = format!(
            "no {what} `{}`: one of {}{also}",
            value.get_ref(),
            names.join(", ")
        );
        if let Some(near) =
            crate::suggest::closest(value.get_ref(), names.iter().map(String::as_str))
        {
            message.push_str(&format!("; did you mean `{near}`?"));
        }
        invalid(file, message, value.span(), "here")
    })
}

/// A percentage of the config, refused outside 0 to 100.
fn percent_in(file: &Arc<SourceFile>, value: &Spanned<f64>) -> Result<f64, Box<Diagnostic>> {
    let percent = *value.get_ref();
    if (0.0..=100.0).contains(&percent) {
        Ok(percent)
    } else {
        Err(invalid(
            file,
            format!("`min_coverage` is a percentage from 0 to 100, not {percent}"),
            value.span(),
            "here",
        ))
    }
}

/// Parses the config text of `file`, found at `path`.
fn parse(file: &Arc<SourceFile>, path: &Path) -> Result<Project, Box<Diagnostic>> {
    let parsed: File = toml::from_str(file.text()).map_err(|e| {
        invalid(
            file,
            format!("`{FILE_NAME}`: {}", e.message()),
            e.span().unwrap_or(0..0),
            "here",
        )
    })?;
    let dir = path.parent().unwrap_or(Path::new("."));
    let resolve = |p: PathBuf| if p.is_absolute() { p } else { dir.join(p) };
    let mut generate = Vec::new();
    for entry in parsed.generate {
        let span = entry.span();
        let entry = entry.into_inner();
        let target = match (entry.target, &entry.target_dir) {
            (Some(_), Some(_)) => {
                return Err(invalid(
                    file,
                    "`[[generate]]`: give `target` or `target_dir`, not both".into(),
                    span,
                    "in this entry",
                ));
            }
            (None, None) => {
                return Err(invalid(
                    file,
                    format!(
                        "`[[generate]]` needs `target` ({}) or `target_dir`",
                        names::<BuiltinTarget>().join(", ")
                    ),
                    span,
                    "in this entry",
                ));
            }
            (Some(target), None) => Some(choose::<BuiltinTarget>(
                file,
                &target,
                "built-in target",
                ", or `target_dir` for your own",
            )?),
            (None, Some(_)) => None,
        };
        let sql_only =
            |field: &str, value: &Option<Spanned<String>>| -> Result<(), Box<Diagnostic>> {
                match value {
                    Some(v) if target != Some(BuiltinTarget::Sql) => Err(invalid(
                        file,
                        format!("`{field}` applies to `target = \"sql\"` only"),
                        v.span(),
                        "here",
                    )),
                    _ => Ok(()),
                }
            };
        sql_only("dialect", &entry.dialect)?;
        sql_only("layout", &entry.layout)?;
        if let Some(coverage) = &entry.coverage
            && target != Some(BuiltinTarget::Sql)
        {
            return Err(invalid(
                file,
                "`coverage` applies to `target = \"sql\"` only".to_owned(),
                coverage.span(),
                "here",
            ));
        }
        let dialect = entry
            .dialect
            .as_ref()
            .map(|v| choose::<Dialect>(file, v, "dialect", ""))
            .transpose()?;
        let layout = entry
            .layout
            .as_ref()
            .map(|v| choose::<Layout>(file, v, "layout", ""))
            .transpose()?;
        let Some(out) = entry.out else {
            return Err(invalid(
                file,
                "`[[generate]]` needs `out`: a directory for code, a file for SQL".into(),
                span,
                "in this entry",
            ));
        };
        generate.push(Generate {
            target,
            target_dir: entry.target_dir.map(resolve),
            out: resolve(out),
            templates: entry.templates.map(resolve),
            dialect,
            layout,
            table: entry.table,
            order_column: entry.order_column,
            coverage: entry.coverage.is_some_and(|c| *c.get_ref()),
        });
    }
    let check = CheckDefaults {
        inputs: parsed.check.inputs.into_iter().map(resolve).collect(),
        format: parsed
            .check
            .format
            .as_ref()
            .map(|v| choose::<CheckFormat>(file, v, "check format", ""))
            .transpose()?,
        max_warnings: parsed.check.max_warnings,
        min_coverage: parsed
            .check
            .min_coverage
            .map(|v| percent_in(file, &v))
            .transpose()?,
    };
    let mut serve = parsed.serve;
    serve.out = serve.out.map(resolve);
    let mut scan = parsed.scan;
    scan.paths = scan.paths.into_iter().map(resolve).collect();
    Ok(Project {
        path: path.to_owned(),
        plan: parsed.plan.map(resolve),
        generate,
        check,
        serve,
        scan,
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
            "no built-in target `typescrpt`: one of typescript, rust, sql, or `target_dir` for your own; did you mean `typescript`?"
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
