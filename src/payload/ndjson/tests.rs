use std::io::{BufReader, Read};

use super::*;
use crate::payload::Item;
use crate::payload::test_support::{GOOD, describe, owned};

fn items(text: impl Read, kind: Option<RecordKind>) -> Vec<Item> {
    Lines::new(BufReader::new(text), "t.ndjson".into(), kind)
        .flat_map(Chunk::into_items)
        .collect()
}

/// `(line, kind or error)` of each item.
fn summary(items: &[Item]) -> Vec<(u64, String)> {
    items
        .iter()
        .map(|item| {
            let (source, what) = describe(item);
            let Location::Line(line) = source.location else {
                panic!("{source:?}")
            };
            (line, what)
        })
        .collect()
}

#[test]
fn records_by_shape_batches_and_blank_lines() {
    let text = format!(
        "{GOOD}\r\n\n   \n{{\"$distinct_id\":\"u\",\"$set\":{{\"a\":1}}}}\n{{\"$token\":\"t\",\"$unset\":[\"a\"]}}\n{{\"$group_key\":\"c\",\"$group_id\":\"1\",\"$set\":{{}}}}\n[{GOOD},{GOOD}]\n{{\"foo\":1}}\n42\n{GOOD}"
    );
    let got = summary(&items(text.as_bytes(), None));
    assert_eq!(
        got,
        owned(&[
            (1, "Event"),
            (4, "Profile"),
            (5, "Profile"),
            (6, "Group"),
            (7, "Event"),
            (7, "Event"),
            (
                8,
                "error: not a Mixpanel event, profile update or group update (no `event`, `$distinct_id` or `$group_key`)"
            ),
            (9, "error: expected a JSON object, found integer 42"),
            (10, "Event"),
        ])
    );
}

#[test]
fn the_endpoint_gives_the_kind() {
    let got = summary(&items(
        "{\"$distinct_id\":\"u\",\"$set\":{}}\n".as_bytes(),
        Some(RecordKind::Profile),
    ));
    assert_eq!(got, owned(&[(1, "Profile")]));
}

#[test]
fn invalid_json_says_where() {
    let text = format!("{GOOD}\n{{\"event\": \"a\",}}\n<html>\n{GOOD}\n");
    let got = summary(&items(text.as_bytes(), None));
    assert_eq!(got.len(), 4);
    assert_eq!(
        got[1],
        (
            2,
            "error: invalid JSON: trailing comma at line 1 column 15".to_owned()
        )
    );
    assert_eq!(
        got[2],
        (
            3,
            "error: invalid JSON: expected value at line 1 column 1 (this looks like HTML or XML, not Mixpanel JSON)"
                .to_owned()
        )
    );
    assert_eq!(got[3], (4, "Event".to_owned()));
}

#[test]
fn invalid_utf8_is_an_error_for_its_line() {
    let mut text = Vec::new();
    text.extend_from_slice(b"{\"event\":\"caf\xe9\",\"properties\":{}}\n");
    text.extend_from_slice(b"\xff\xfe\n");
    text.extend_from_slice(GOOD.as_bytes());
    let got = summary(&items(text.as_slice(), None));
    assert_eq!(got.len(), 3, "{got:?}");
    assert_eq!(
        got[0],
        (
            1,
            "error: invalid JSON: invalid unicode code point at line 1 column 14 (the text is not valid UTF-8: byte 14 starts an invalid sequence)"
                .to_owned()
        )
    );
    assert!(
        got[1].1.contains("not valid UTF-8: byte 1 starts"),
        "{got:?}"
    );
    assert_eq!(got[2], (3, "Event".to_owned()));
}

#[test]
fn ten_thousand_deep_nesting_is_an_error_not_a_stack_overflow() {
    let arrays = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
    let objects = format!(
        "{{\"event\":\"a\",\"properties\":{}1{}}}",
        "{\"a\":".repeat(10_000),
        "}".repeat(10_000)
    );
    // 128 levels are refused, a little less is fine.
    let deep_ok = format!(
        "{{\"event\":\"a\",\"properties\":{}1{}}}",
        "{\"a\":".repeat(100),
        "}".repeat(100)
    );
    let text = format!("{arrays}\n{objects}\n{deep_ok}\n");
    let got = summary(&items(text.as_bytes(), None));
    assert_eq!(got.len(), 3, "{got:?}");
    for (line, message) in &got[..2] {
        assert!(
            message.starts_with("error: invalid JSON: recursion limit exceeded at line 1 column "),
            "line {line}: {message}"
        );
    }
    assert_eq!(got[2], (3, "Event".to_owned()));
}

/// Generates `head`, then `size` bytes of `x`, then `tail`, without holding
/// the `x`s in memory.
struct Generated {
    head: std::io::Cursor<Vec<u8>>,
    left: u64,
    tail: std::io::Cursor<Vec<u8>>,
}

impl Generated {
    fn new(head: String, size: u64, tail: String) -> Self {
        Self {
            head: std::io::Cursor::new(head.into_bytes()),
            left: size,
            tail: std::io::Cursor::new(tail.into_bytes()),
        }
    }
}

impl Read for Generated {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.head.read(buf)?;
        if n > 0 {
            return Ok(n);
        }
        if self.left > 0 {
            let n = buf
                .len()
                .min(usize::try_from(self.left).unwrap_or(usize::MAX));
            buf[..n].fill(b'x');
            self.left -= n as u64;
            return Ok(n);
        }
        self.tail.read(buf)
    }
}

#[test]
fn a_100_megabyte_line_is_one_error_and_the_next_line_is_read() {
    let size = 100 * 1024 * 1024;
    let head = format!("{GOOD}\n{{\"event\":\"big\",\"properties\":{{\"blob\":\"");
    let tail = format!("\"}}}}\n{GOOD}\n");
    let text = Generated::new(head, size, tail);
    let got = summary(&items(text, None));
    let length = size + r#"{"event":"big","properties":{"blob":""}}"#.len() as u64;
    assert_eq!(
        got,
        vec![
            (1, "Event".to_owned()),
            (
                2,
                format!("error: line 2 is {length} bytes, longer than the 16777216-byte limit")
            ),
            (3, "Event".to_owned()),
        ]
    );
}

#[test]
fn a_line_of_exactly_the_limit_is_kept_one_more_byte_is_not() {
    let shell = r#"{"event":"big","properties":{"blob":""}}"#.len() as u64;
    for (size, ok) in [
        (MAX_LINE as u64 - shell, true),
        (MAX_LINE as u64 - shell + 1, false),
    ] {
        let text = Generated::new(
            "{\"event\":\"big\",\"properties\":{\"blob\":\"".to_owned(),
            size,
            "\"}}\n".to_owned(),
        );
        let got = summary(&items(text, None));
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].1 == "Event", ok, "{size}: {:?}", got[0].1.get(..80));
    }
}

/// A reader that fails after some bytes.
struct Failing(std::io::Cursor<Vec<u8>>);

impl Read for Failing {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        match self.0.read(buf)? {
            0 => Err(std::io::Error::other("disk on fire")),
            n => Ok(n),
        }
    }
}

#[test]
fn a_read_error_ends_the_stream_with_one_error() {
    let text = Failing(std::io::Cursor::new(
        format!("{GOOD}\n{GOOD}\n").into_bytes(),
    ));
    let got = summary(&items(text, None));
    assert_eq!(
        got,
        owned(&[
            (1, "Event"),
            (2, "Event"),
            (3, "error: reading stopped: disk on fire")
        ])
    );
}

#[test]
fn many_lines_span_blocks_in_order() {
    let text = format!("{GOOD}\n").repeat(20_000);
    let chunks: Vec<Chunk> =
        Lines::new(BufReader::new(text.as_bytes()), "t".into(), None).collect();
    assert!(chunks.len() > 1, "several blocks");
    let lines: Vec<u64> = summary(
        &chunks
            .into_iter()
            .flat_map(Chunk::into_items)
            .collect::<Vec<_>>(),
    )
    .into_iter()
    .map(|(l, _)| l)
    .collect();
    assert_eq!(lines, (1..=20_000).collect::<Vec<u64>>());
}
