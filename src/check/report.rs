//! The report of a check run: records read per subject (event name, profile
//! update, group update), violations per subject and rule with the first
//! few examples, and what could not be decoded. Memory is bounded: only
//! counts and [`EXAMPLES`] examples per group are kept.

use std::collections::BTreeMap;
use std::sync::Arc;

use serde::Serialize;

use super::coverage::{Counts, Layout, Summary};
use super::violation::{Verdict, Violation};
use crate::diagnostic::Severity;
use crate::payload::{DecodeError, Source};

/// Examples kept per subject and rule.
pub const EXAMPLES: usize = 3;

/// One kept example of a violation.
#[derive(Debug, Clone)]
pub struct Example {
    /// Where the record came from.
    pub source: Source,
    /// The violation.
    pub violation: Violation,
}

/// Violations of one rule by records of one subject.
#[derive(Debug, Clone)]
pub struct Group {
    /// The rule's severity (the highest seen, for policy-dependent rules).
    pub severity: Severity,
    /// How many violations.
    pub count: u64,
    /// The first few.
    pub examples: Vec<Example>,
}

/// Per-subject counts.
#[derive(Debug, Clone, Default, Serialize)]
pub struct SubjectStats {
    /// Records read.
    pub records: u64,
    /// Records with at least one error-level violation.
    pub invalid: u64,
}

/// The aggregated result of a run.
#[derive(Debug)]
pub struct Report {
    /// Records read, per subject.
    pub subjects: BTreeMap<Arc<str>, SubjectStats>,
    /// Violations, per subject and rule.
    pub groups: BTreeMap<(Arc<str>, &'static crate::rules::Rule), Group>,
    /// Records or input parts that could not be decoded.
    pub decode_errors: u64,
    /// The first few of them.
    pub decode_examples: Vec<DecodeError>,
    /// Violations per severity.
    pub errors: u64,
    /// Violations per severity.
    pub warnings: u64,
    /// Violations per severity.
    pub infos: u64,
    /// The plan's coverage counters.
    pub layout: Arc<Layout>,
    /// Their counts.
    pub coverage: Counts,
}

impl Report {
    /// An empty report on a plan with the coverage counters of `layout`.
    pub fn new(layout: Arc<Layout>) -> Self {
        Self {
            subjects: BTreeMap::new(),
            groups: BTreeMap::new(),
            decode_errors: 0,
            decode_examples: Vec::new(),
            errors: 0,
            warnings: 0,
            infos: 0,
            layout,
            coverage: Counts::default(),
        }
    }

    /// The coverage of what was read.
    pub fn coverage(&self) -> Summary {
        Summary::new(&self.layout, &self.coverage)
    }

    /// Adds one record's verdict, read from `file`.
    pub fn add(&mut self, file: &Arc<str>, verdict: &Verdict) {
        let stats = match self.subjects.get_mut(&verdict.subject) {
            Some(stats) => stats,
            None => self.subjects.entry(verdict.subject.clone()).or_default(),
        };
        stats.records += 1;
        if verdict
            .violations
            .iter()
            .any(|v| v.severity == Severity::Error)
        {
            stats.invalid += 1;
        }
        for v in &verdict.violations {
            match v.severity {
                Severity::Error => self.errors += 1,
                Severity::Warning => self.warnings += 1,
                Severity::Info => self.infos += 1,
            }
            let group = self
                .groups
                .entry((verdict.subject.clone(), v.rule))
                .or_insert_with(|| Group {
                    severity: v.severity,
                    count: 0,
                    examples: Vec::new(),
                });
            group.count += 1;
            group.severity = group.severity.max(v.severity);
            if group.examples.len() < EXAMPLES {
                group.examples.push(Example {
                    source: Source {
                        file: Arc::clone(file),
                        location: verdict.location.clone(),
                    },
                    violation: v.clone(),
                });
            }
        }
    }

    /// Adds one decoding failure (counted as an error).
    pub fn add_error(&mut self, error: &DecodeError) {
        self.decode_errors += 1;
        if self.decode_examples.len() < EXAMPLES * 3 {
            self.decode_examples.push(error.clone());
        }
    }

    /// Records read in all.
    pub fn records(&self) -> u64 {
        self.subjects.values().map(|s| s.records).sum()
    }

    /// Violations per rule, across subjects.
    pub fn per_rule(&self) -> BTreeMap<&'static crate::rules::Rule, (Severity, u64)> {
        let mut out: BTreeMap<&'static crate::rules::Rule, (Severity, u64)> = BTreeMap::new();
        for ((_, rule), g) in &self.groups {
            let entry = out.entry(rule).or_insert((g.severity, 0));
            entry.0 = entry.0.max(g.severity);
            entry.1 += g.count;
        }
        out
    }

    /// The exit code: 1 with any error-level violation or decoding failure,
    /// or more warnings than `max_warnings`.
    pub fn exit_code(&self, max_warnings: Option<u64>) -> u8 {
        let too_many_warnings = max_warnings.is_some_and(|max| self.warnings > max);
        u8::from(self.errors > 0 || self.decode_errors > 0 || too_many_warnings)
    }
}
