//! Diagnostics: what every check in trackplan reports, with a stable rule id,
//! a severity, and labels that point at the exact text in a file.
//!
//! The loader, the linter and later commands all produce [`Diagnostic`]s;
//! [`render`] turns a list of them into the human, JSON or GitHub output,
//! [`sarif`] into a SARIF log for code scanning.

pub mod render;
pub mod sarif;

use std::ops::Range;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::source::{Position, SourceFile};

/// How serious a finding is. Ordered: `info < warning < error`.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
    clap::ValueEnum,
)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Worth knowing; never fails a run.
    Info,
    /// Should be fixed; fails a run only past `--max-warnings`.
    Warning,
    /// Must be fixed; fails the run (exit code 1).
    Error,
}

impl Severity {
    /// The lowercase name used in every output format.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

impl std::fmt::Display for Severity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A span of text in a file, with an optional short message shown under it.
#[derive(Debug, Clone)]
pub struct Label {
    /// The file the span is in.
    pub file: Arc<SourceFile>,
    /// Byte range in the file's text.
    pub span: Range<usize>,
    /// What to print under the span.
    pub message: Option<String>,
}

impl Label {
    /// Where the span starts.
    pub fn start(&self) -> Position {
        self.file.position(self.span.start)
    }

    /// Where the span ends (exclusive).
    pub fn end(&self) -> Position {
        self.file.position(self.span.end)
    }
}

/// One finding.
#[derive(Debug, Clone)]
pub struct Diagnostic {
    /// Stable id of the rule, such as `unknown-field` or `missing-description`.
    pub rule: &'static crate::rules::Rule,
    /// How serious it is.
    pub severity: Severity,
    /// One sentence saying what is wrong.
    pub message: String,
    /// Where it is wrong; absent for findings about no particular text.
    pub primary: Option<Label>,
    /// Other places that explain the finding (the first definition of a
    /// duplicate, the include that led to a cycle).
    pub related: Vec<Label>,
    /// What to do about it.
    pub help: Option<String>,
}

impl Diagnostic {
    /// A new finding with no location yet.
    pub fn new(
        rule: &'static crate::rules::Rule,
        severity: Severity,
        message: impl Into<String>,
    ) -> Self {
        Self {
            rule,
            severity,
            message: message.into(),
            primary: None,
            related: Vec::new(),
            help: None,
        }
    }

    /// A new error-level finding.
    pub fn error(rule: &'static crate::rules::Rule, message: impl Into<String>) -> Self {
        Self::new(rule, Severity::Error, message)
    }

    /// Points the finding at `span` in `file`.
    pub fn at(
        mut self,
        file: &Arc<SourceFile>,
        span: Range<usize>,
        label: impl Into<String>,
    ) -> Self {
        self.primary = Some(Label {
            file: Arc::clone(file),
            span,
            message: Some(label.into()).filter(|m: &String| !m.is_empty()),
        });
        self
    }

    /// Adds another place that explains the finding.
    pub fn with_related(
        mut self,
        file: &Arc<SourceFile>,
        span: Range<usize>,
        label: impl Into<String>,
    ) -> Self {
        self.related.push(Label {
            file: Arc::clone(file),
            span,
            message: Some(label.into()),
        });
        self
    }

    /// Adds advice on how to fix it.
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// The file name, line and column of the primary label, if any.
    pub fn location(&self) -> Option<(&str, Position)> {
        self.primary.as_ref().map(|l| (l.file.name(), l.start()))
    }
}

/// Sorts findings by file, then position, then rule, so output is stable,
/// and drops exact repeats (a broken shared definition is reported once,
/// not once per use).
pub fn sort(diagnostics: &mut Vec<Diagnostic>) {
    diagnostics.sort_by(|a, b| {
        let key = |d: &Diagnostic| {
            d.primary
                .as_ref()
                .map(|l| (l.file.name().to_owned(), l.span.start))
        };
        key(a).cmp(&key(b)).then(a.rule.cmp(b.rule))
    });
    diagnostics.dedup_by(|a, b| {
        a.rule == b.rule
            && a.message == b.message
            && a.primary.as_ref().map(|l| (l.file.name(), &l.span))
                == b.primary.as_ref().map(|l| (l.file.name(), &l.span))
    });
}

/// Counts of findings per severity.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Counts {
    /// Error-level findings.
    pub errors: usize,
    /// Warning-level findings.
    pub warnings: usize,
    /// Info-level findings.
    pub infos: usize,
}

impl Counts {
    /// Counts the findings in `diagnostics`.
    pub fn of<'a>(diagnostics: impl IntoIterator<Item = &'a Diagnostic>) -> Self {
        let mut counts = Counts::default();
        for d in diagnostics {
            match d.severity {
                Severity::Error => counts.errors += 1,
                Severity::Warning => counts.warnings += 1,
                Severity::Info => counts.infos += 1,
            }
        }
        counts
    }
}
