//! A violation: one way one record deviates from the plan.

use std::sync::Arc;

use crate::diagnostic::Severity;
use crate::payload::Location;

/// One deviation of one record from the plan.
#[derive(Debug, Clone, PartialEq)]
pub struct Violation {
    /// Stable rule id (see `docs/check.md`).
    pub rule: &'static crate::rules::Rule,
    /// How serious it is.
    pub severity: Severity,
    /// JSON path of the offending value in the record, such as
    /// `properties.attempt` or `$set.age`; empty for the whole record.
    pub path: String,
    /// What the plan expects there.
    pub expected: String,
    /// What the record holds there.
    pub found: String,
}

/// The violations of one record, with what it is and where it came from.
#[derive(Debug, Clone)]
pub struct Verdict {
    /// What the record is: the event name, `profile update` or `group update (company)`.
    pub subject: Arc<str>,
    /// Where it came from in its input; the file is known to whoever
    /// reads the input (see [`super::Checked`]), so verdicts do not each
    /// hold a reference to it.
    pub location: Location,
    /// Its violations, in the order they were found.
    pub violations: Vec<Violation>,
    /// The ids an event carries, for the identity checks across a stream.
    pub ids: Option<Ids>,
}

/// The identity of an event: its device (visitor) id and user id, if any.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Ids {
    /// A 64-bit hash of the anonymous id (`identity.anonymous_id`, or
    /// `distinct_id` of the form `$device:<id>`).
    pub device: Option<u64>,
    /// The user id (`identity.user_id`).
    pub user: Option<String>,
    /// When the event happened, in seconds since 1970, if it says.
    pub time: Option<f64>,
}

/// A short description of a JSON value for "found": its type and a preview.
pub fn describe(value: &serde_json::Value) -> String {
    use serde_json::Value;
    let preview = |s: String| {
        if s.chars().count() > 60 {
            format!("{}…", s.chars().take(60).collect::<String>())
        } else {
            s
        }
    };
    match value {
        Value::Null => "null".to_owned(),
        Value::Bool(b) => format!("boolean {b}"),
        Value::Number(n) if n.is_f64() => format!("number {n}"),
        Value::Number(n) => format!("integer {n}"),
        Value::String(s) => format!("string {}", preview(format!("{s:?}"))),
        Value::Array(a) => format!(
            "list of {} item{}",
            a.len(),
            if a.len() == 1 { "" } else { "s" }
        ),
        Value::Object(o) => format!(
            "object with {} key{}",
            o.len(),
            if o.len() == 1 { "" } else { "s" }
        ),
    }
}
