//! Helpers shared by the payload readers' unit tests.

use super::{Item, Source};

/// An event that is valid everywhere.
pub const GOOD: &str = r#"{"event":"Login","properties":{"distinct_id":"u"}}"#;

/// An item's source and what it is: the record kind, or `error: message`.
pub fn describe(item: &Item) -> (&Source, String) {
    match item {
        Item::Record(r) => (&r.source, format!("{:?}", r.kind)),
        Item::Error(e) => (&e.source, format!("error: {}", e.message)),
    }
}

/// Expected `(position, description)` pairs with owned strings.
pub fn owned(expected: &[(u64, &str)]) -> Vec<(u64, String)> {
    expected
        .iter()
        .map(|(position, what)| (*position, (*what).to_owned()))
        .collect()
}
