//! Output formats for diagnostics: human (miette's graphical report), JSON
//! and GitHub workflow annotations.
//!
//! The JSON shape is documented in `docs/diagnostics.md` and is stable:
//! fields may be added, never renamed or removed.

use std::fmt;

use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan, SourceCode};
use serde::Serialize;

use super::{Counts, Diagnostic, Label, Severity};

/// Whether human output may use colour and Unicode box drawing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// Colour and Unicode: for a terminal.
    Fancy,
    /// Plain ASCII, no escape codes: for pipes, files and `NO_COLOR`.
    Plain,
}

impl Style {
    /// Fancy when stdout is a terminal and `NO_COLOR` is unset or empty.
    pub fn detect() -> Self {
        Self::for_stream(&std::io::stdout())
    }

    /// Like [`Style::detect`], for output on stderr.
    pub fn detect_stderr() -> Self {
        Self::for_stream(&std::io::stderr())
    }

    fn for_stream(stream: &impl std::io::IsTerminal) -> Self {
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        if stream.is_terminal() && !no_color {
            Style::Fancy
        } else {
            Style::Plain
        }
    }
}

/// Renders one diagnostic the way rustc or ruff would, with the source
/// snippet and labels.
pub fn human(diagnostic: &Diagnostic, style: Style) -> String {
    let theme = match style {
        Style::Fancy => GraphicalTheme::unicode(),
        Style::Plain => GraphicalTheme::none(),
    };
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_context_lines(1)
        .with_width(100);
    let mut out = String::new();
    let view = MietteView::new(diagnostic);
    if handler.render_report(&mut out, &view).is_err() {
        out = format!(
            "{}[{}]: {}\n",
            diagnostic.severity, diagnostic.rule, diagnostic.message
        );
    }
    out
}

/// The one-line summary printed after human output.
pub fn summary_line(counts: Counts) -> String {
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    format!(
        "{}, {}, {}",
        plural(counts.errors, "error"),
        plural(counts.warnings, "warning"),
        plural(counts.infos, "info")
    )
}

/// A diagnostic as it appears in `--format json`.
#[derive(Debug, Serialize)]
pub struct JsonDiagnostic<'a> {
    /// Stable rule id.
    pub rule: &'a str,
    /// `error`, `warning` or `info`.
    pub severity: Severity,
    /// What is wrong.
    pub message: &'a str,
    /// File of the primary label, if any.
    pub file: Option<&'a str>,
    /// 1-based line of the start of the primary label.
    pub line: Option<usize>,
    /// 1-based column (in characters) of the start of the primary label.
    pub column: Option<usize>,
    /// 1-based line of the end of the primary label.
    pub end_line: Option<usize>,
    /// 1-based column (exclusive) of the end of the primary label.
    pub end_column: Option<usize>,
    /// Text shown under the primary label.
    pub label: Option<&'a str>,
    /// Advice.
    pub help: Option<&'a str>,
    /// Other places that explain the finding.
    pub related: Vec<JsonLabel<'a>>,
}

/// A related place in `--format json`.
#[derive(Debug, Serialize)]
pub struct JsonLabel<'a> {
    /// File of the place.
    pub file: &'a str,
    /// 1-based line.
    pub line: usize,
    /// 1-based column in characters.
    pub column: usize,
    /// What the place is.
    pub label: Option<&'a str>,
}

impl<'a> JsonDiagnostic<'a> {
    /// The JSON view of a diagnostic.
    pub fn new(d: &'a Diagnostic) -> Self {
        let start = d.primary.as_ref().map(Label::start);
        let end = d.primary.as_ref().map(Label::end);
        Self {
            rule: d.rule.id(),
            severity: d.severity,
            message: &d.message,
            file: d.primary.as_ref().map(|l| l.file.name()),
            line: start.map(|p| p.line),
            column: start.map(|p| p.column),
            end_line: end.map(|p| p.line),
            end_column: end.map(|p| p.column),
            label: d.primary.as_ref().and_then(|l| l.message.as_deref()),
            help: d.help.as_deref(),
            related: d
                .related
                .iter()
                .map(|l| {
                    let p = l.start();
                    JsonLabel {
                        file: l.file.name(),
                        line: p.line,
                        column: p.column,
                        label: l.message.as_deref(),
                    }
                })
                .collect(),
        }
    }
}

/// One GitHub Actions workflow command (`::error file=...::message`).
pub fn github(d: &Diagnostic) -> String {
    let level = match d.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "notice",
    };
    let mut props = Vec::new();
    if let Some(label) = &d.primary {
        let (start, end) = (label.start(), label.end());
        props.push(format!("file={}", escape_property(label.file.name())));
        props.push(format!("line={}", start.line));
        props.push(format!("col={}", start.column));
        props.push(format!("endLine={}", end.line));
        if end.line == start.line {
            props.push(format!("endColumn={}", end.column));
        }
    }
    props.push(format!(
        "title={}",
        escape_property(&format!("trackplan({})", d.rule))
    ));
    let mut message = d.message.clone();
    if let Some(help) = &d.help {
        message.push_str("\nhelp: ");
        message.push_str(help);
    }
    format!("::{level} {}::{}", props.join(","), escape_data(&message))
}

fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

/// Adapts a [`Diagnostic`] to miette's reporting traits.
struct MietteView<'a> {
    diagnostic: &'a Diagnostic,
    /// Related labels in other files, shown as separate advice.
    elsewhere: Vec<MietteRelated<'a>>,
}

struct MietteRelated<'a> {
    label: &'a Label,
}

impl<'a> MietteView<'a> {
    fn new(diagnostic: &'a Diagnostic) -> Self {
        let primary_file = diagnostic.primary.as_ref().map(|l| l.file.name());
        let elsewhere = diagnostic
            .related
            .iter()
            .filter(|l| Some(l.file.name()) != primary_file)
            .map(|label| MietteRelated { label })
            .collect();
        Self {
            diagnostic,
            elsewhere,
        }
    }
}

fn labeled(label: &Label, primary: bool) -> LabeledSpan {
    let clipped = label.file.clip(label.span.clone());
    let span = (clipped.start, clipped.len());
    if primary {
        LabeledSpan::new_primary_with_span(label.message.clone(), span)
    } else {
        LabeledSpan::new_with_span(label.message.clone(), span)
    }
}

impl fmt::Display for MietteView<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.diagnostic.message)
    }
}
impl fmt::Debug for MietteView<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.diagnostic, f)
    }
}
impl std::error::Error for MietteView<'_> {}

impl miette::Diagnostic for MietteView<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        Some(Box::new(self.diagnostic.rule))
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.diagnostic.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
            Severity::Info => miette::Severity::Advice,
        })
    }

    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.diagnostic
            .help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.diagnostic
            .primary
            .as_ref()
            .map(|l| &*l.file as &dyn SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let primary = self.diagnostic.primary.as_ref()?;
        let same_file = self
            .diagnostic
            .related
            .iter()
            .filter(move |l| l.file.name() == primary.file.name())
            .map(|l| labeled(l, false));
        Some(Box::new(
            std::iter::once(labeled(primary, true)).chain(same_file),
        ))
    }

    fn related<'b>(&'b self) -> Option<Box<dyn Iterator<Item = &'b dyn miette::Diagnostic> + 'b>> {
        if self.elsewhere.is_empty() {
            return None;
        }
        Some(Box::new(
            self.elsewhere.iter().map(|r| r as &dyn miette::Diagnostic),
        ))
    }
}

impl fmt::Display for MietteRelated<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label.message.as_deref().unwrap_or("related"))
    }
}
impl fmt::Debug for MietteRelated<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.label, f)
    }
}
impl std::error::Error for MietteRelated<'_> {}

impl miette::Diagnostic for MietteRelated<'_> {
    fn severity(&self) -> Option<miette::Severity> {
        Some(miette::Severity::Advice)
    }
    fn source_code(&self) -> Option<&dyn SourceCode> {
        Some(&*self.label.file as &dyn SourceCode)
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        Some(Box::new(std::iter::once(labeled(self.label, true))))
    }
}
