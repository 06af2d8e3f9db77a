//! Mixpanel's own limits and the SDKs' rules, checked on every event as
//! warnings: what Mixpanel would truncate, reject or misread.

use crate::rules::check as rule;
use serde_json::Value;

use super::props::{Known, Props};
use super::value::{Segment, Walk};
use super::violation::describe;
use crate::diagnostic::Severity;
use crate::mixpanel::{DENIED_DISTINCT_IDS, limits as mp};

/// 1971-01-01T00:00:00Z: `/import` rejects events before it.
const EARLIEST_TIME: f64 = 31_536_000.0;

/// Checks an event's properties against Mixpanel's limits. Only values
/// that could break one (long strings, lists, objects) are parsed.
pub fn event(properties: &Props<'_>, known: &Known<'_>, w: &mut Walk<'_>) {
    w.at(Segment::Key("properties"), |w| {
        let count = properties.0.len();
        if count > mp::MAX_PROPERTIES {
            let expected = format!("at most {} properties", mp::MAX_PROPERTIES);
            w.push(
                rule::TOO_MANY_PROPERTIES,
                Severity::Warning,
                expected,
                format!("{count} properties"),
            );
        }
        let mut size = 40;
        for (name, prop) in &properties.0 {
            let len = prop.json_len();
            size += name.len() + 4 + len;
            let worth_parsing = match prop.first_byte() {
                b'"' => len > mp::MAX_STRING_CHARS + 2,
                b'{' | b'[' => true,
                _ => false,
            };
            if worth_parsing {
                w.at(Segment::Key(name), |w| walk_value(&prop.value(), 0, w));
            }
        }
        if size > mp::MAX_EVENT_BYTES {
            w.push(
                rule::EVENT_TOO_LARGE,
                Severity::Warning,
                "an event under 1 MB of JSON",
                format!("about {size} bytes"),
            );
        }
        if let Some(p) = known.insert_id {
            let valid = p.as_str().is_some_and(|s| insert_id_is_valid(&s));
            if !valid {
                w.at(Segment::Key("$insert_id"), |w| {
                    w.push(
                        rule::INVALID_INSERT_ID,
                        Severity::Warning,
                        "at most 36 characters of A-Z, a-z, 0-9 and -",
                        describe(&p.value()),
                    )
                });
            }
        }
        if let Some(p) = known.time {
            let seconds = p.as_f64().map(from_millis).or_else(|| seconds(&p.value()));
            if !plausible(seconds) {
                let expected =
                    "seconds or milliseconds since 1970, after 1971 and at most an hour ahead";
                w.at(Segment::Key("time"), |w| {
                    w.push(
                        rule::IMPLAUSIBLE_TIME,
                        Severity::Warning,
                        expected,
                        describe(&p.value()),
                    )
                });
            }
        }
        if let Some(p) = known.distinct_id
            && let Some(id) = p.as_str()
            && DENIED_DISTINCT_IDS
                .iter()
                .any(|d| d.eq_ignore_ascii_case(&id))
        {
            let found = describe(&Value::String(id.into_owned()));
            w.at(Segment::Key("distinct_id"), |w| {
                w.push(
                    rule::DENIED_DISTINCT_ID,
                    Severity::Warning,
                    "a real id (Mixpanel rejects placeholders)",
                    found,
                )
            });
        }
    });
}

/// Checks strings, lists and nesting inside one value.
fn walk_value(value: &Value, depth: usize, w: &mut Walk<'_>) {
    match value {
        Value::String(s)
            if s.len() > mp::MAX_STRING_CHARS && s.chars().count() > mp::MAX_STRING_CHARS =>
        {
            let expected = format!(
                "at most {} characters (the SDKs truncate)",
                mp::MAX_STRING_CHARS
            );
            w.push(
                rule::STRING_TOO_LONG,
                Severity::Warning,
                expected,
                format!("{} characters", s.chars().count()),
            );
        }
        Value::Array(items) => {
            if items.len() > mp::MAX_LIST_ITEMS {
                let expected = format!("at most {} items", mp::MAX_LIST_ITEMS);
                w.push(
                    rule::LIST_TOO_LONG,
                    Severity::Warning,
                    expected,
                    format!("{} items", items.len()),
                );
            }
            for (i, v) in items.iter().enumerate() {
                w.at(Segment::Index(i), |w| walk_value(v, depth, w));
            }
        }
        Value::Object(map) => {
            let depth = depth + 1;
            if depth == mp::MAX_OBJECT_DEPTH + 1 {
                let expected = format!("objects nested at most {} deep", mp::MAX_OBJECT_DEPTH);
                w.push(
                    rule::NESTING_TOO_DEEP,
                    Severity::Warning,
                    expected,
                    format!("depth {depth}"),
                );
            }
            if map.len() > mp::MAX_OBJECT_KEYS {
                let expected = format!("at most {} keys", mp::MAX_OBJECT_KEYS);
                w.push(
                    rule::TOO_MANY_PROPERTIES,
                    Severity::Warning,
                    expected,
                    format!("{} keys", map.len()),
                );
            }
            for (k, v) in map {
                w.at(Segment::Key(k), |w| walk_value(v, depth, w));
            }
        }
        _ => {}
    }
}

fn insert_id_is_valid(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= mp::MAX_INSERT_ID_BYTES
        && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
}

fn from_millis(t: f64) -> f64 {
    if t > 1.0e11 { t / 1000.0 } else { t }
}

/// A `time` value in seconds: numbers (or numeric strings) of seconds or,
/// when over 10^11, milliseconds.
pub fn seconds(value: &Value) -> Option<f64> {
    match value {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.parse::<f64>().ok(),
        _ => None,
    }
    .map(from_millis)
}

fn plausible(seconds: Option<f64>) -> bool {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(f64::MAX, |d| d.as_secs_f64());
    seconds.is_some_and(|t| (EARLIEST_TIME..=now + 3600.0).contains(&t))
}
