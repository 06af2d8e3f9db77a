//! `trackplan scan`: the code side of coverage. Source files are parsed
//! with real parsers (oxc for TypeScript, JavaScript, TSX and JSX; syn for
//! Rust; tree-sitter for Python) and every place that sends something to
//! Mixpanel becomes a [`Call`]: a call of a generated helper (recognised
//! through the import from the generated module, whatever local name it
//! gets) or a raw SDK call (`mixpanel.track("X", {...})`, `people.set`,
//! `register`, the Node SDK's client, the Python SDK's). [`findings`]
//! compares the calls with the plan.
//!
//! Files are found by walking the paths given, honouring `.gitignore`
//! (and `.ignore`, and the global excludes file) as git does, plus
//! `--exclude` globs. Files trackplan generated are recognised by their
//! header: they are not scanned (they hold the raw calls the helpers
//! make), but imports of them are what marks a helper call. What is and is
//! not recognised is in `docs/scan.md`.

mod ecmascript;
mod findings;
mod generated;
mod python;
mod rust;
mod walk;

use std::ops::Range;
use std::path::PathBuf;
use std::sync::Arc;

use rayon::prelude::*;

pub use findings::{EventCalls, Findings, findings};
pub use generated::{Export, Generated, TS_RUNTIME};
pub use walk::ScanError;

use crate::diagnostic::Diagnostic;
use crate::plan::Plan;
use crate::source::SourceFile;

/// What to scan.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Files and directories.
    pub paths: Vec<PathBuf>,
    /// Glob patterns of paths to leave out (gitignore syntax).
    pub exclude: Vec<String>,
    /// Import specifiers that name the generated TypeScript module
    /// (`@/tracking`), besides the relative imports of generated files
    /// found among the scanned ones.
    pub modules: Vec<String>,
}

impl Options {
    /// The options of the flags given, with the `[scan]` config's
    /// `defaults`: paths from the config when none are given; excludes and
    /// modules of both.
    pub fn with_defaults(
        paths: &[PathBuf],
        exclude: &[String],
        modules: &[String],
        defaults: crate::project::ScanDefaults,
    ) -> Self {
        let paths = if paths.is_empty() {
            defaults.paths
        } else {
            paths.to_vec()
        };
        let mut all_exclude = defaults.exclude;
        all_exclude.extend_from_slice(exclude);
        let mut all_modules = defaults.modules;
        all_modules.extend_from_slice(modules);
        Options {
            paths,
            exclude: all_exclude,
            modules: all_modules,
        }
    }
}

/// How a call reaches Mixpanel.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Via {
    /// Through a helper trackplan generated.
    Helper,
    /// Straight through an SDK.
    Raw,
}

/// What a call does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// Sends an event.
    Track(EventName),
    /// Sets super properties (`register`, `register_once`).
    Register,
    /// Updates the user profile (`people.set` and the other operations).
    Profile(String),
}

/// The event a call sends.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EventName {
    /// Written as a literal (or implied by the helper called).
    Literal(String),
    /// Computed: a variable, a concatenation, a template with expressions.
    Dynamic,
}

/// One place in the code that sends something to Mixpanel.
#[derive(Debug, Clone)]
pub struct Call {
    /// The source file.
    pub file: Arc<SourceFile>,
    /// The call's span: the callee (for a helper, its name; for a raw call,
    /// the event name argument when there is one).
    pub span: Range<usize>,
    /// Helper or raw.
    pub via: Via,
    /// What it does.
    pub action: Action,
    /// The property keys written in its object literal, with their spans.
    pub keys: Vec<(String, Range<usize>)>,
}

/// What a scan found in the code.
#[derive(Debug, Default)]
pub struct Scan {
    /// Every call, by file then position.
    pub calls: Vec<Call>,
    /// Files that could not be read or parsed (`unparsable-source`).
    pub diagnostics: Vec<Diagnostic>,
    /// The files scanned.
    pub files: Vec<String>,
    /// Generated files found (and not scanned).
    pub generated_files: Vec<String>,
    /// What the generated code calls things.
    pub generated: Generated,
}

/// Scans the code at `options.paths` for calls about `plan`.
pub fn scan(plan: &Plan, options: &Options) -> Result<Scan, ScanError> {
    let found = walk::files(options)?;
    let generated = Generated::new(plan, &found.generated, &options.modules);
    let results: Vec<(Vec<Call>, Option<Diagnostic>)> = found
        .sources
        .par_iter()
        .map(|path| scan_file(path, &generated))
        .collect();
    let mut scan = Scan {
        files: found
            .sources
            .iter()
            .map(|p| p.display().to_string())
            .collect(),
        generated_files: found
            .generated
            .iter()
            .map(|p| p.display().to_string())
            .collect(),
        ..Scan::default()
    };
    for (calls, diagnostic) in results {
        scan.calls.extend(calls);
        scan.diagnostics.extend(diagnostic);
    }
    scan.generated = generated;
    Ok(scan)
}

/// The calls in one file, or why it could not be scanned.
fn scan_file(path: &std::path::Path, generated: &Generated) -> (Vec<Call>, Option<Diagnostic>) {
    let file = match SourceFile::read(path, crate::source::MAX_PLAN_BYTES) {
        Ok(file) => file,
        Err(e) => {
            let d = unparsable(format!("cannot scan `{}`: {e}", path.display()));
            return (Vec::new(), Some(d));
        }
    };
    match calls_in(&file, path, generated) {
        Ok(calls) => (calls, None),
        Err((span, message)) => {
            let d = unparsable(format!("cannot parse `{}`: {message}", path.display()))
                .at(&file, span, "here");
            (Vec::new(), Some(d))
        }
    }
}

/// The calls in `file`, read from `path` (whose extension says the
/// language), or the span and message of its first syntax error.
pub fn calls_in(
    file: &Arc<SourceFile>,
    path: &std::path::Path,
    generated: &Generated,
) -> Result<Vec<Call>, (Range<usize>, String)> {
    match walk::language(path) {
        Some(walk::Language::EcmaScript) => ecmascript::calls(file, path, generated),
        Some(walk::Language::Rust) => rust::calls(file, generated),
        Some(walk::Language::Python) => python::calls(file),
        None => Ok(Vec::new()),
    }
}

/// An `unparsable-source` finding.
fn unparsable(message: String) -> Diagnostic {
    let rule = crate::rules::scan::UNPARSABLE_SOURCE;
    Diagnostic::new(rule, rule.severity(), message)
}
