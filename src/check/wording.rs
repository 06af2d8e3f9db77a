//! The wording of violations: what the plan expects, in the words every
//! implementation of `check`'s rules uses (the streaming checker, the SQL
//! form, the generated runtime validation), so their reports read the same.

use serde_json::Value;

use crate::format::{Format, PropertyType};

/// Where nothing was found.
pub const NOTHING: &str = "nothing";
/// `unplanned-event`.
pub const PLANNED_EVENT: &str = "an event of the plan";
/// `planned-event`.
pub const ACTIVE_EVENT: &str = "an event marked active in the plan";
/// `unexpected-property` on an event or object.
pub const DECLARED_PROPERTY: &str = "no such property in the plan";
/// `invalid-format` of a `datetime`.
pub const DATETIME: &str = "an ISO 8601 date-time such as 2024-06-10T12:00:00";
/// `missing-distinct-id` found.
pub const NO_IDS: &str = "none of them";
/// `malformed-record` on `properties`.
pub const PROPERTIES_OBJECT: &str = "an object of properties";

/// The plan type as said in messages.
pub fn type_name(ty: PropertyType) -> &'static str {
    match ty {
        PropertyType::String => "string",
        PropertyType::Integer => "integer",
        PropertyType::Number => "number",
        PropertyType::Boolean => "boolean",
        PropertyType::Datetime => "datetime string",
        PropertyType::List => "list",
        PropertyType::Object => "object",
    }
}

/// A range as said in messages: `between 1 and 5 items`.
pub fn bounds(unit: &str, min: Option<f64>, max: Option<f64>) -> String {
    let unit = if unit.is_empty() {
        String::new()
    } else {
        format!(" {unit}")
    };
    match (min, max) {
        (Some(a), Some(b)) => format!("between {a} and {b}{unit}"),
        (Some(a), None) => format!("at least {a}{unit}"),
        (None, Some(b)) => format!("at most {b}{unit}"),
        (None, None) => String::new(),
    }
}

/// `not-in-enum`: `one of "a", "b"`.
pub fn one_of(values: &[Value]) -> String {
    let list: Vec<String> = values.iter().map(Value::to_string).collect();
    format!("one of {}", list.join(", "))
}

/// `pattern-mismatch`.
pub fn matching(pattern: &str) -> String {
    format!("a string matching {pattern}")
}

/// `invalid-format`.
pub fn in_format(format: Format) -> String {
    format!("a string in format {}", format.as_str())
}

/// `deprecated-event`: the replacement, if the plan names one.
pub fn instead(replaced_by: Option<&str>) -> String {
    replaced_by.map_or_else(
        || "an active event".to_owned(),
        |r| format!("`{r}` instead"),
    )
}

/// `absent-property`: the case that has no such property.
pub fn absent_in(case: &str) -> String {
    format!("no such property for {case}")
}

/// `not-identified`.
pub fn user_id_in(user_id: &str) -> String {
    format!("the user id in `{user_id}`")
}

/// `missing-distinct-id` on an event.
pub fn any_id(anonymous_id: &str, user_id: &str) -> String {
    format!("`distinct_id`, `{anonymous_id}` or `{user_id}`")
}

/// `renamed-event`: the name the event has now.
pub fn renamed_to(new: &str) -> String {
    format!("the event's new name, `{new}`")
}

/// An event name as found (`unplanned-event`), with `what` before it for
/// the deprecated and planned ones.
pub fn event_found(what: &str, name: &str) -> String {
    if what.is_empty() {
        format!("`{name}`")
    } else {
        format!("{what} `{name}`")
    }
}
