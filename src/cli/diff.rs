//! `trackplan diff OLD NEW`: breaking-change detection between two versions
//! of a plan, each a file or `REV:path` read from git.

use std::io::Write;
use std::path::Path;
use std::process::Command;

use clap::Args;
use serde_json::json;

use super::CliError;
use super::plan_arg::{fail_on_errors, load_plan};
use crate::diff::{self, Bump, Change};
use crate::plan::{self, Plan};

/// Arguments of `trackplan diff`.
#[derive(Debug, Args)]
pub struct DiffArgs {
    /// The old plan: a file, or `REV:path` from git (`main:plans/accounts.yaml`).
    pub old: String,
    /// The new plan, likewise.
    pub new: String,
    /// Report format.
    #[arg(long, value_enum, default_value_t = DiffFormat::Human)]
    pub format: DiffFormat,
    /// When to exit 1: `breaking` (a breaking change without a major version
    /// bump), `bump` (the version not bumped as much as the changes need), or
    /// `never`.
    #[arg(long, value_enum, default_value_t = FailOn::Breaking)]
    pub fail_on: FailOn,
}

/// Report formats of `trackplan diff`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum DiffFormat {
    /// One line per change with its place, then the verdict on the version.
    Human,
    /// One JSON document.
    Json,
    /// A Markdown table, for a pull-request comment.
    Markdown,
}

/// When `trackplan diff` fails.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum FailOn {
    /// A breaking change without a major bump.
    Breaking,
    /// Any change the version bump does not cover.
    Bump,
    /// Never (report only).
    Never,
}

/// Reads one side: a file if it exists, else `REV:path` through `git show`.
fn read_side(side: &str) -> Result<Plan, CliError> {
    if Path::new(side).exists() {
        return load_plan(Path::new(side));
    }
    let Some((rev, path)) = side.split_once(':') else {
        return Err(CliError::Io(format!(
            "cannot read `{side}`: no such file (for a git revision write `REV:path`)"
        )));
    };
    // An argument git would read as an option (`--output=...`) is never
    // passed; `--end-of-options` says so to git as well.
    if rev.starts_with('-') {
        return Err(CliError::usage(format!(
            "`{side}`: a revision cannot start with `-`"
        )));
    }
    let out = Command::new("git")
        .args(["show", "--end-of-options", &format!("{rev}:{path}")])
        .output()
        .map_err(|e| CliError::Io(format!("cannot run git for `{side}`: {e}")))?;
    if !out.status.success() {
        return Err(CliError::Io(format!(
            "git cannot show `{side}`: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        )));
    }
    if out.stdout.len() as u64 > crate::source::MAX_PLAN_BYTES {
        return Err(CliError::Io(format!(
            "`{side}` is {} bytes; plan files are limited to {} bytes",
            out.stdout.len(),
            crate::source::MAX_PLAN_BYTES
        )));
    }
    let text = String::from_utf8(out.stdout)
        .map_err(|_| CliError::Io(format!("`{side}` is not UTF-8 text")))?;
    fail_on_errors(side, plan::load_text(side, &text))
}

/// Compares the plans and reports.
pub fn command(args: DiffArgs) -> Result<u8, CliError> {
    let old = read_side(&args.old)?;
    let new = read_side(&args.new)?;
    let changes = diff::diff(&old, &new);
    let needed = diff::required_bump(&changes);
    let enough = diff::bumped_enough(&old.version, &new.version, needed);
    let breaking = changes.iter().any(|c| c.category.is_breaking());
    let major = diff::bumped_enough(&old.version, &new.version, Bump::Major);
    let verdict = if changes.is_empty() {
        "no changes".to_owned()
    } else if enough {
        format!(
            "needs a {} bump; {} → {} is enough",
            needed.as_str(),
            old.version,
            new.version
        )
    } else {
        format!(
            "needs a {} bump; {} → {} is not enough",
            needed.as_str(),
            old.version,
            new.version
        )
    };
    let text = match args.format {
        DiffFormat::Human => human(&changes, &verdict),
        DiffFormat::Json => {
            let list: Vec<_> = changes.iter().map(change_json).collect();
            let doc = json!({
                "version": 1,
                "old": {"source": args.old, "version": old.version},
                "new": {"source": args.new, "version": new.version},
                "changes": list,
                "breaking": breaking,
                "required_bump": needed.as_str(),
                "bumped_enough": enough,
            });
            format!(
                "{}\n",
                serde_json::to_string_pretty(&doc).unwrap_or_default()
            )
        }
        DiffFormat::Markdown => markdown(&changes, &verdict, &old, &new),
    };
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())
        .or_else(super::output::ignore_broken_pipe)?;
    let fail = match args.fail_on {
        FailOn::Breaking => breaking && !major,
        FailOn::Bump => !enough,
        FailOn::Never => false,
    };
    Ok(u8::from(fail))
}

fn place(c: &Change) -> String {
    c.at.as_ref().map_or_else(String::new, |l| {
        let p = l.start();
        format!("{}:{}:{}", l.file.name(), p.line, p.column)
    })
}

fn human(changes: &[Change], verdict: &str) -> String {
    let mut out = String::new();
    for c in changes {
        out.push_str(&format!(
            "{:<16} {:<24} {}  {}\n",
            c.category.as_str(),
            c.rule,
            c.message,
            place(c)
        ));
    }
    out.push_str(&format!(
        "{} change{}: {verdict}\n",
        changes.len(),
        if changes.len() == 1 { "" } else { "s" }
    ));
    out
}

fn change_json(c: &Change) -> serde_json::Value {
    let start = c.at.as_ref().map(|l| (l.file.name().to_owned(), l.start()));
    json!({
        "rule": c.rule,
        "category": c.category,
        "bump": c.bump,
        "message": c.message,
        "file": start.as_ref().map(|s| s.0.clone()),
        "line": start.as_ref().map(|s| s.1.line),
        "column": start.as_ref().map(|s| s.1.column),
    })
}

fn markdown(changes: &[Change], verdict: &str, old: &Plan, new: &Plan) -> String {
    let mut out = format!(
        "### Tracking plan `{}`: {} → {}\n\n",
        new.name, old.version, new.version
    );
    if changes.is_empty() {
        out.push_str("No changes.\n");
        return out;
    }
    out.push_str("| | Change | Rule | Where |\n|---|---|---|---|\n");
    for c in changes {
        let icon = match c.category {
            diff::Category::BreakingReports | diff::Category::BreakingCode => "❌",
            diff::Category::Deprecation => "⚠️",
            diff::Category::Compatible => "✅",
        };
        let cell = |s: &str| s.replace('|', "\\|");
        out.push_str(&format!(
            "| {icon} | {} | `{}` ({}) | {} |\n",
            cell(&c.message),
            c.rule,
            c.category.as_str(),
            cell(&place(c))
        ));
    }
    out.push_str(&format!("\n**Version:** {verdict}.\n"));
    out
}
