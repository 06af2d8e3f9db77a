//! Output formats of `trackplan check`: human (grouped by subject and rule,
//! with examples and a summary table), JSON (one object per violation,
//! streamed, then a summary), JUnit XML (one test case per subject) and
//! GitHub workflow annotations. `docs/check.md` documents them.

use crate::rules::check as rule;
use std::io::{self, Write};

/// Report formats of `trackplan check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum CheckFormat {
    /// Grouped by subject and rule, with examples and a summary table.
    Human,
    /// One JSON object per line per violation, then a summary object.
    Json,
    /// JUnit XML, one test case per event name.
    Junit,
    /// GitHub Actions annotations.
    Github,
}
use std::sync::Arc;

use serde_json::{Value, json};

use super::Outcome;
use super::coverage;
use super::report::Report;
use super::violation::Violation;
use crate::format::Status;
use crate::payload::{DecodeError, Location, Source};

/// The JSON form of a record's source.
pub fn source_json(source: &Source) -> Value {
    let line = SourceLine {
        file: &source.file,
        location: &source.location,
    };
    // Serializing strings and numbers into a value cannot fail.
    serde_json::to_value(line).unwrap_or_default()
}

/// The one-line message of a violation.
pub fn message(v: &Violation) -> String {
    let at = if v.path.is_empty() {
        String::new()
    } else {
        format!("{}: ", v.path)
    };
    format!("{at}expected {}, found {}", v.expected, v.found)
}

/// The JSON object of one decoding failure.
pub fn undecodable_json(e: &DecodeError) -> Value {
    json!({
        "type": "violation",
        "rule": rule::UNDECODABLE,
        "severity": "error",
        "subject": null,
        "path": "",
        "expected": "a decodable Mixpanel record",
        "found": e.message,
        "message": e.message,
        "source": source_json(&e.source),
    })
}

/// Writes the JSON lines of one checked item, serialized straight from
/// the verdict (this is on the path of every violation `check --format
/// json` prints).
pub fn write_json_item(out: &mut impl Write, file: &Arc<str>, outcome: &Outcome) -> io::Result<()> {
    match outcome {
        Outcome::Checked(verdict) => {
            for v in &verdict.violations {
                let line = ViolationLine {
                    kind: "violation",
                    rule: v.rule,
                    severity: v.severity,
                    subject: &verdict.subject,
                    path: &v.path,
                    expected: &v.expected,
                    found: &v.found,
                    message: message(v),
                    source: SourceLine {
                        file,
                        location: &verdict.location,
                    },
                };
                serde_json::to_writer(&mut *out, &line)?;
                out.write_all(b"\n")?;
            }
        }
        Outcome::Undecodable(e) => {
            serde_json::to_writer(&mut *out, &undecodable_json(e))?;
            out.write_all(b"\n")?;
        }
    }
    Ok(())
}

/// One violation of `--format json`, borrowed from the verdict.
#[derive(serde::Serialize)]
struct ViolationLine<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    rule: &'static crate::rules::Rule,
    severity: crate::diagnostic::Severity,
    subject: &'a str,
    path: &'a str,
    expected: &'a str,
    found: &'a str,
    message: String,
    source: SourceLine<'a>,
}

/// Where a record is, as `--format json` says it: the file, then the
/// location's own keys.
struct SourceLine<'a> {
    file: &'a str,
    location: &'a Location,
}

impl serde::Serialize for SourceLine<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = s.serialize_map(None)?;
        map.serialize_entry("file", self.file)?;
        match self.location {
            Location::Line(line) => map.serialize_entry("line", line)?,
            Location::Element(i) => map.serialize_entry("element", i)?,
            Location::Har {
                entry,
                request,
                record,
            } => {
                map.serialize_entry("entry", entry)?;
                map.serialize_entry("request", request)?;
                map.serialize_entry("record", record)?;
            }
            Location::Body { record } => map.serialize_entry("record", record)?,
            Location::Row { insert_id } => map.serialize_entry("insert_id", insert_id)?,
        }
        map.end()
    }
}

/// `--format json` of a run that keeps only groups (`check --engine
/// duckdb`): one object per event name and rule, with the count and the
/// kept examples, in place of one object per violation.
pub fn write_json_groups(out: &mut impl Write, report: &Report) -> io::Result<()> {
    for ((subject, rule), group) in &report.groups {
        let examples: Vec<Value> = group
            .examples
            .iter()
            .map(|e| {
                json!({
                    "path": e.violation.path,
                    "expected": e.violation.expected,
                    "message": message(&e.violation),
                    "source": source_json(&e.source),
                })
            })
            .collect();
        let line = json!({
            "type": "violations",
            "rule": rule,
            "severity": group.severity,
            "subject": &**subject,
            "count": group.count,
            "examples": examples,
        });
        serde_json::to_writer(&mut *out, &line).map_err(io::Error::other)?;
        out.write_all(b"\n")?;
    }
    Ok(())
}

/// The closing summary object of `--format json`.
pub fn summary_json(report: &Report, inputs: &[String]) -> Value {
    let subjects: serde_json::Map<String, Value> = report
        .subjects
        .iter()
        .map(|(name, s)| {
            (
                name.to_string(),
                json!({"records": s.records, "invalid": s.invalid}),
            )
        })
        .collect();
    let rules: serde_json::Map<String, Value> = report
        .per_rule()
        .into_iter()
        .map(|(rule, (severity, count))| {
            (
                rule.id().to_owned(),
                json!({"severity": severity, "count": count}),
            )
        })
        .collect();
    json!({
        "type": "summary",
        "version": 1,
        "inputs": inputs,
        "records": report.records(),
        "undecodable": report.decode_errors,
        "errors": report.errors + report.decode_errors,
        "warnings": report.warnings,
        "infos": report.infos,
        "subjects": subjects,
        "rules": rules,
        "coverage": report.coverage(),
    })
}

/// What a report says of coverage.
#[derive(Debug, Clone, Copy, Default)]
pub struct Coverage {
    /// Every event and property with its counts (`--coverage`), not only
    /// the closing line.
    pub detailed: bool,
    /// The minimum percentage the run must reach (`--min-coverage`).
    pub minimum: Option<f64>,
}

/// The coverage part of the human report: with `detailed`, every planned
/// event, property and enum value with its counts; always the closing line.
pub fn write_coverage(
    out: &mut impl Write,
    summary: &coverage::Summary,
    options: Coverage,
) -> io::Result<()> {
    if options.detailed {
        writeln!(out, "Coverage per event")?;
        for e in &summary.per_event {
            let status = match e.status {
                Status::Active => "",
                Status::Planned => " (planned)",
                Status::Deprecated => " (deprecated)",
            };
            if e.records == 0 {
                writeln!(out, "  {}{status} · never seen", e.name)?;
            } else {
                let records = e.records;
                writeln!(out, "  {}{status} · {records} record{}", e.name, s(records))?;
            }
            write_properties(out, &e.properties, "    ")?;
        }
        if !summary.super_properties.is_empty() {
            writeln!(out, "Super properties, in the records of planned events")?;
            write_properties(out, &summary.super_properties, "  ")?;
        }
        if !summary.user_properties.is_empty() {
            let n = summary.profile_updates;
            writeln!(out, "User properties, in {n} profile update{}", s(n))?;
            write_properties(out, &summary.user_properties, "  ")?;
        }
        for g in &summary.groups {
            let n = g.records;
            writeln!(out, "Group `{}`, in {n} group update{}", g.key, s(n))?;
            write_properties(out, &g.properties, "  ")?;
        }
    }
    let mut line = format!(
        "Coverage: {}% of the plan's items seen ({} of {} events, {} of {} properties, {} of {} enum values)",
        summary.percent,
        summary.events.seen,
        summary.events.planned,
        summary.properties.seen,
        summary.properties.planned,
        summary.values.seen,
        summary.values.planned,
    );
    if let Some(min) = options.minimum
        && summary.percent < min
    {
        line.push_str(&format!(", below the minimum of {min}%"));
    }
    if !options.detailed {
        line.push_str("; --coverage lists them");
    }
    writeln!(out, "{line}")
}

/// A table of properties with their counts, each enum value after its
/// property's name.
fn write_properties(
    out: &mut impl Write,
    properties: &[coverage::PropertySummary],
    indent: &str,
) -> io::Result<()> {
    if properties.is_empty() {
        return Ok(());
    }
    writeln!(out, "{indent}{:>9} {:>9}  property", "present", "null")?;
    for p in properties {
        let mut name = p.name.clone();
        if p.present == 0 {
            name.push_str(" (never sent)");
        } else if !p.seen() {
            name.push_str(" (only null)");
        }
        if !p.values.is_empty() {
            let values: Vec<String> = p
                .values
                .iter()
                .map(|v| {
                    let value = match &v.value {
                        Value::String(text) => text.clone(),
                        other => other.to_string(),
                    };
                    match v.count {
                        0 => format!("{value} never"),
                        n => format!("{value} {n}"),
                    }
                })
                .collect();
            name.push_str(&format!(": {}", values.join(" · ")));
        }
        writeln!(out, "{indent}{:>9} {:>9}  {name}", p.present, p.null)?;
    }
    Ok(())
}

/// The human report.
pub fn write_human(
    out: &mut impl Write,
    report: &Report,
    inputs: &[String],
    coverage: Coverage,
) -> io::Result<()> {
    for ((subject, rule), group) in &report.groups {
        let plural = if group.count == 1 { "" } else { "s" };
        writeln!(
            out,
            "{subject} · {rule} ({}) · {} violation{plural}",
            group.severity, group.count
        )?;
        for example in &group.examples {
            writeln!(out, "  {}", message(&example.violation))?;
            writeln!(out, "    at {}", example.source)?;
        }
        if group.count > group.examples.len() as u64 {
            writeln!(
                out,
                "  … and {} more",
                group.count - group.examples.len() as u64
            )?;
        }
        writeln!(out)?;
    }
    if report.decode_errors > 0 {
        writeln!(
            out,
            "undecodable · {} record{} or input part{} could not be decoded",
            report.decode_errors,
            s(report.decode_errors),
            s(report.decode_errors)
        )?;
        for e in &report.decode_examples {
            writeln!(out, "  {}", e.message)?;
            writeln!(out, "    at {}", e.source)?;
        }
        writeln!(out)?;
    }
    writeln!(out, "Records per subject")?;
    writeln!(out, "  {:>9} {:>9}  subject", "records", "invalid")?;
    for (name, stats) in &report.subjects {
        writeln!(out, "  {:>9} {:>9}  {name}", stats.records, stats.invalid)?;
    }
    let per_rule = report.per_rule();
    if !per_rule.is_empty() || report.decode_errors > 0 {
        writeln!(out, "Violations per rule")?;
        for (rule, (severity, count)) in per_rule {
            writeln!(out, "  {count:>9} {:<8} {rule}", severity.as_str())?;
        }
        if report.decode_errors > 0 {
            writeln!(
                out,
                "  {:>9} {:<8} undecodable",
                report.decode_errors, "error"
            )?;
        }
    }
    write_coverage(out, &report.coverage(), coverage)?;
    let errors = report.errors + report.decode_errors;
    writeln!(
        out,
        "{errors} error{}, {} warning{}, {} info{} in {} record{} from {} input{}",
        s(errors),
        report.warnings,
        s(report.warnings),
        report.infos,
        s(report.infos),
        report.records(),
        s(report.records()),
        inputs.len(),
        s(inputs.len() as u64)
    )
}

fn s(n: u64) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// JUnit XML: one test suite, one test case per subject, a failure per
/// rule with error-level violations (warnings go to `system-out`).
pub fn write_junit(out: &mut impl Write, report: &Report) -> io::Result<()> {
    let mut cases = String::new();
    let mut failures = 0;
    // The first key of a subject's groups: rules sort by id.
    let first = crate::rules::check::ALL.iter().copied().min();
    for (subject, stats) in &report.subjects {
        let mut body = String::new();
        let mut notes = String::new();
        let groups = first
            .map(|first| report.groups.range((subject.clone(), first)..))
            .into_iter()
            .flatten();
        for ((s, rule), group) in groups {
            if s != subject {
                break;
            }
            let mut detail = String::new();
            for e in &group.examples {
                detail.push_str(&format!("{}\n  at {}\n", message(&e.violation), e.source));
            }
            if group.severity == crate::diagnostic::Severity::Error {
                body.push_str(&format!(
                    "      <failure type=\"{}\" message=\"{}\">{}</failure>\n",
                    xml(rule.id()),
                    xml(&format!("{} × {rule}", group.count)),
                    xml(&detail)
                ));
            } else {
                notes.push_str(&format!(
                    "{} × {rule} ({})\n{detail}",
                    group.count, group.severity
                ));
            }
        }
        if !body.is_empty() {
            failures += 1;
        }
        if !notes.is_empty() {
            body.push_str(&format!("      <system-out>{}</system-out>\n", xml(&notes)));
        }
        cases.push_str(&format!(
            "    <testcase classname=\"trackplan.check\" name=\"{}\" assertions=\"{}\">\n{body}    </testcase>\n",
            xml(subject),
            stats.records
        ));
    }
    if report.decode_errors > 0 {
        failures += 1;
        let detail: String = report
            .decode_examples
            .iter()
            .map(|e| format!("{}\n  at {}\n", e.message, e.source))
            .collect();
        cases.push_str(&format!(
            "    <testcase classname=\"trackplan.check\" name=\"undecodable input\">\n      <failure type=\"undecodable\" message=\"{} × undecodable\">{}</failure>\n    </testcase>\n",
            report.decode_errors,
            xml(&detail)
        ));
    }
    let tests = report.subjects.len() + usize::from(report.decode_errors > 0);
    writeln!(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>")?;
    writeln!(
        out,
        "<testsuites name=\"trackplan check\" tests=\"{tests}\" failures=\"{failures}\">"
    )?;
    writeln!(
        out,
        "  <testsuite name=\"trackplan check\" tests=\"{tests}\" failures=\"{failures}\" errors=\"0\">"
    )?;
    out.write_all(cases.as_bytes())?;
    writeln!(out, "  </testsuite>")?;
    writeln!(out, "</testsuites>")
}

fn xml(text: &str) -> String {
    text.chars()
        .filter(|c| matches!(c, '\t' | '\n' | '\r') || *c >= ' ')
        .map(|c| match c {
            '&' => "&amp;".to_owned(),
            '<' => "&lt;".to_owned(),
            '>' => "&gt;".to_owned(),
            '"' => "&quot;".to_owned(),
            '\'' => "&apos;".to_owned(),
            c => c.to_string(),
        })
        .collect()
}

/// GitHub annotations: one per subject and rule, at the first example;
/// with `--coverage`, a notice per active event never seen, and the
/// coverage as an error when below `--min-coverage`.
pub fn write_github(out: &mut impl Write, report: &Report, coverage: Coverage) -> io::Result<()> {
    let escape = |s: &str| {
        s.replace('%', "%25")
            .replace('\r', "%0D")
            .replace('\n', "%0A")
    };
    let prop = |s: &str| escape(s).replace(':', "%3A").replace(',', "%2C");
    for ((subject, rule), group) in &report.groups {
        let level = match group.severity {
            crate::diagnostic::Severity::Error => "error",
            crate::diagnostic::Severity::Warning => "warning",
            crate::diagnostic::Severity::Info => "notice",
        };
        let Some(first) = group.examples.first() else {
            continue;
        };
        let mut props = vec![format!("file={}", prop(&first.source.file))];
        if let Location::Line(line) = first.source.location {
            props.push(format!("line={line}"));
        }
        props.push(format!(
            "title={}",
            prop(&format!("trackplan check({rule})"))
        ));
        let text = format!(
            "{subject}: {} × {rule}; first: {} at {}",
            group.count,
            message(&first.violation),
            first.source
        );
        writeln!(out, "::{level} {}::{}", props.join(","), escape(&text))?;
    }
    for e in &report.decode_examples {
        let mut props = vec![format!("file={}", prop(&e.source.file))];
        if let Location::Line(line) = e.source.location {
            props.push(format!("line={line}"));
        }
        props.push("title=trackplan check(undecodable)".to_owned());
        writeln!(out, "::error {}::{}", props.join(","), escape(&e.message))?;
    }
    let summary = report.coverage();
    if coverage.detailed {
        for e in &summary.per_event {
            if e.status == Status::Active && e.records == 0 {
                writeln!(
                    out,
                    "::notice title=trackplan check(coverage)::{}",
                    escape(&format!("planned event `{}` was never seen", e.name))
                )?;
            }
        }
    }
    if let Some(min) = coverage.minimum
        && summary.percent < min
    {
        writeln!(
            out,
            "::error title=trackplan check(coverage)::{}",
            escape(&format!(
                "the inputs cover {}% of the plan's items, below the minimum of {min}%",
                summary.percent
            ))
        )?;
    }
    Ok(())
}
