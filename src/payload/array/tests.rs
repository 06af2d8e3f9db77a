use std::io::BufReader;

use super::*;
use crate::payload::test_support::{GOOD, describe, owned};

/// `(element, kind or error)` of each item.
fn summary(text: &[u8]) -> Vec<(u64, String)> {
    Elements::new(BufReader::new(text), "t.json".into(), None)
        .flat_map(Chunk::into_items)
        .map(|item| {
            let (source, what) = describe(&item);
            let Location::Element(i) = source.location else {
                panic!("{source:?}")
            };
            (i, what)
        })
        .collect()
}

#[test]
fn pretty_printed_elements_with_tricky_strings() {
    let text = format!(
        "\n[\n  {GOOD},\n  {{\"event\": \"a, ] }} [ \\\" \\\\\", \"properties\": {{\"l\": [1, [2, {{}}]]}}}},\n  {{\"$group_key\": \"c\", \"$group_id\": \"1\"}}\n]\n\n"
    );
    assert_eq!(
        summary(text.as_bytes()),
        owned(&[(0, "Event"), (1, "Event"), (2, "Group")])
    );
}

#[test]
fn empty_arrays() {
    assert!(summary(b"[]").is_empty());
    assert!(summary(b" [ \n ] \n").is_empty());
}

#[test]
fn bad_arrays() {
    assert_eq!(
        summary(format!("[{GOOD},]").as_bytes()),
        owned(&[(0, "Event"), (1, "error: empty element in the array")])
    );
    assert_eq!(
        summary(format!("[{GOOD}, {GOOD}, {{\"event\": \"cut").as_bytes()),
        owned(&[
            (0, "Event"),
            (1, "Event"),
            (
                2,
                "error: the array ends before its closing `]` (truncated file?)"
            ),
        ])
    );
    assert_eq!(
        summary(b"{\"event\": 1}"),
        owned(&[(0, "error: expected a JSON array of records")])
    );
    assert_eq!(
        summary(format!("[{GOOD}] [{GOOD}]").as_bytes()),
        owned(&[
            (0, "Event"),
            (
                1,
                "error: text after the array's closing `]` (one array per file; use NDJSON for several)"
            ),
        ])
    );
    let got = summary(format!("[{{\"event\": }}, 7, {GOOD}]").as_bytes());
    assert_eq!(got.len(), 3);
    assert!(
        got[0]
            .1
            .starts_with("error: invalid JSON: expected value at line 1 column"),
        "{got:?}"
    );
    assert_eq!(
        got[1],
        (
            1,
            "error: expected a JSON object, found integer 7".to_owned()
        )
    );
    assert_eq!(got[2], (2, "Event".to_owned()));
}

#[test]
fn deep_nesting_and_long_elements_are_errors_and_reading_goes_on() {
    let deep = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
    let long = format!(
        "{{\"event\":\"big\",\"properties\":{{\"blob\":\"{}\"}}}}",
        "x".repeat(MAX_LINE)
    );
    let text = format!("[{deep}, {long}, {GOOD}]");
    let got = summary(text.as_bytes());
    assert_eq!(
        got.len(),
        3,
        "{:?}",
        got.iter().map(|g| g.1.get(..90)).collect::<Vec<_>>()
    );
    assert!(
        got[0]
            .1
            .starts_with("error: invalid JSON: recursion limit exceeded"),
        "{got:?}"
    );
    assert_eq!(
        got[1],
        (
            1,
            format!(
                "error: element is {} bytes, longer than the {MAX_LINE}-byte limit",
                long.len() + 1
            )
        )
    );
    assert_eq!(got[2], (2, "Event".to_owned()));
}
