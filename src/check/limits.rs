//! Mixpanel's own limits and the SDKs' rules, checked on every event as
//! warnings: what Mixpanel would truncate, reject or misread.

use serde_json::{Map, Value};

use super::value::{Segment, Walk};
use super::violation::describe;
use crate::diagnostic::Severity;
use crate::mixpanel::{DENIED_DISTINCT_IDS, limits as mp};

/// 1971-01-01T00:00:00Z: `/import` rejects events before it.
const EARLIEST_TIME: f64 = 31_536_000.0;

/// Checks an event's properties against Mixpanel's limits.
pub fn event(properties: &Map<String, Value>, w: &mut Walk<'_>) {
    w.at(Segment::Key("properties"), |w| {
        if properties.len() > mp::MAX_PROPERTIES {
            w.push(
                "too-many-properties",
                Severity::Warning,
                format!("at most {} properties", mp::MAX_PROPERTIES),
                format!("{} properties", properties.len()),
            );
        }
        let mut size = 40;
        for (name, value) in properties {
            size += name.len() + 4;
            w.at(Segment::Key(name), |w| size += walk_value(value, 0, w));
        }
        if size > mp::MAX_EVENT_BYTES {
            w.push(
                "event-too-large",
                Severity::Warning,
                "an event under 1 MB of JSON",
                format!("about {size} bytes"),
            );
        }
        insert_id(properties, w);
        time(properties, w);
        if let Some(Value::String(id)) = properties.get("distinct_id")
            && DENIED_DISTINCT_IDS
                .iter()
                .any(|d| d.eq_ignore_ascii_case(id))
        {
            w.at(Segment::Key("distinct_id"), |w| {
                w.push(
                    "denied-distinct-id",
                    Severity::Warning,
                    "a real id (Mixpanel rejects placeholders)",
                    describe(&Value::String(id.clone())),
                )
            });
        }
    });
}

/// Checks strings, lists and nesting; returns about how many bytes of JSON
/// the value takes.
fn walk_value(value: &Value, depth: usize, w: &mut Walk<'_>) -> usize {
    match value {
        Value::String(s) => {
            if s.len() > mp::MAX_STRING_CHARS && s.chars().count() > mp::MAX_STRING_CHARS {
                w.push(
                    "string-too-long",
                    Severity::Warning,
                    format!(
                        "at most {} characters (the SDKs truncate)",
                        mp::MAX_STRING_CHARS
                    ),
                    format!("{} characters", s.chars().count()),
                );
            }
            s.len() + 2
        }
        Value::Array(items) => {
            if items.len() > mp::MAX_LIST_ITEMS {
                w.push(
                    "list-too-long",
                    Severity::Warning,
                    format!("at most {} items", mp::MAX_LIST_ITEMS),
                    format!("{} items", items.len()),
                );
            }
            items
                .iter()
                .enumerate()
                .map(|(i, v)| w.at(Segment::Index(i), |w| walk_value(v, depth, w)) + 1)
                .sum::<usize>()
                + 2
        }
        Value::Object(map) => {
            let depth = depth + 1;
            if depth == mp::MAX_OBJECT_DEPTH + 1 {
                w.push(
                    "nesting-too-deep",
                    Severity::Warning,
                    format!("objects nested at most {} deep", mp::MAX_OBJECT_DEPTH),
                    format!("depth {depth}"),
                );
            }
            if map.len() > mp::MAX_OBJECT_KEYS {
                w.push(
                    "too-many-properties",
                    Severity::Warning,
                    format!("at most {} keys", mp::MAX_OBJECT_KEYS),
                    format!("{} keys", map.len()),
                );
            }
            map.iter()
                .map(|(k, v)| w.at(Segment::Key(k), |w| walk_value(v, depth, w)) + k.len() + 4)
                .sum::<usize>()
                + 2
        }
        Value::Number(_) => 12,
        Value::Bool(_) => 5,
        Value::Null => 4,
    }
}

fn insert_id(properties: &Map<String, Value>, w: &mut Walk<'_>) {
    let Some(value) = properties.get("$insert_id") else {
        return;
    };
    let ok = value.as_str().is_some_and(|s| {
        !s.is_empty()
            && s.len() <= mp::MAX_INSERT_ID_BYTES
            && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
    });
    if !ok {
        w.at(Segment::Key("$insert_id"), |w| {
            w.push(
                "invalid-insert-id",
                Severity::Warning,
                "at most 36 characters of A-Z, a-z, 0-9 and -",
                describe(value),
            )
        });
    }
}

fn time(properties: &Map<String, Value>, w: &mut Walk<'_>) {
    let Some(value) = properties.get("time") else {
        return;
    };
    let seconds = match value {
        Value::Number(n) => n.as_f64().map(|t| if t > 1.0e11 { t / 1000.0 } else { t }),
        Value::String(s) => s
            .parse::<f64>()
            .ok()
            .map(|t| if t > 1.0e11 { t / 1000.0 } else { t }),
        _ => None,
    };
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(f64::MAX, |d| d.as_secs_f64());
    let plausible = seconds.is_some_and(|t| (EARLIEST_TIME..=now + 3600.0).contains(&t));
    if !plausible {
        w.at(Segment::Key("time"), |w| {
            w.push(
                "implausible-time",
                Severity::Warning,
                "seconds or milliseconds since 1970, after 1971 and at most an hour ahead",
                describe(value),
            )
        });
    }
}
