//! The decoding layer against real traffic: the captures of Mixpanel's
//! official SDKs in `tests/fixtures/sdk/` decode to exactly the records
//! `tests/fixtures/sdk/INVENTORY.md` lists (written by an independent
//! Python decoder, `record/inventory.py`), entry by entry, with no error.

mod common;

use std::collections::BTreeMap;
use std::io::Write;
use std::sync::Arc;

use trackplan::payload::input::{InputFormat, items};
use trackplan::payload::{Item, Location, RecordKind, har};

const CAPTURES: [&str; 3] = ["browser", "node", "python"];

/// One row of the inventory.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Row {
    entry: usize,
    method: String,
    path: String,
    encoding: String,
    records: usize,
    kind: String,
}

/// The inventory's rows of `capture` that are ingestion requests.
fn inventory(capture: &str) -> Vec<Row> {
    let text = std::fs::read_to_string(common::fixture("sdk/INVENTORY.md")).unwrap();
    text.lines()
        .filter_map(|line| {
            let cells: Vec<&str> = line.trim_matches('|').split('|').map(str::trim).collect();
            (cells.len() == 7 && cells[0] == capture && cells[4] != "skipped").then(|| Row {
                entry: cells[1].parse().unwrap(),
                method: cells[2].to_owned(),
                path: cells[3].trim_matches('`').to_owned(),
                encoding: cells[4].to_owned(),
                records: cells[5].parse().unwrap(),
                kind: cells[6].to_owned(),
            })
        })
        .collect()
}

/// The inventory's totals of `capture`: events, profiles, groups.
fn totals(capture: &str) -> [usize; 3] {
    let text = std::fs::read_to_string(common::fixture("sdk/INVENTORY.md")).unwrap();
    let after = text.split("## Totals").nth(1).unwrap();
    let row = after
        .lines()
        .find(|l| l.starts_with(&format!("| {capture} |")))
        .unwrap();
    let cells: Vec<usize> = row
        .trim_matches('|')
        .split('|')
        .skip(1)
        .map(|c| c.trim().parse().unwrap())
        .collect();
    [cells[0], cells[1], cells[2]]
}

fn kind_name(kind: RecordKind) -> &'static str {
    match kind {
        RecordKind::Event => "event",
        RecordKind::Profile => "profile",
        RecordKind::Group => "group",
    }
}

/// An entry as decoded: index, method, path, number of records, kind.
type Entry = (usize, String, String, usize, String);

/// An entry while its records are gathered: method, path, record indexes,
/// kinds.
type Gathering = (String, String, Vec<usize>, Vec<&'static str>);

/// Per entry: method, path, number of records, their kind; in order.
fn decoded(items: &[Item]) -> Vec<Entry> {
    let mut entries: BTreeMap<usize, Gathering> = BTreeMap::new();
    for item in items {
        let record = match item {
            Item::Record(r) => r,
            Item::Error(e) => panic!("decoding error at {}: {}", e.source, e.message),
        };
        let Location::Har {
            entry,
            request,
            record: index,
        } = &record.source.location
        else {
            panic!("{:?}", record.source)
        };
        let (method, url) = request.split_once(' ').unwrap();
        let path = url
            .split_once("://")
            .map_or(url, |(_, rest)| &rest[rest.find('/').unwrap()..]);
        let path = path.split('?').next().unwrap();
        let slot = entries
            .entry(*entry)
            .or_insert_with(|| (method.to_owned(), path.to_owned(), Vec::new(), Vec::new()));
        slot.2.push(*index);
        slot.3.push(kind_name(record.kind));
    }
    entries
        .into_iter()
        .map(|(entry, (method, path, indexes, kinds))| {
            assert_eq!(
                indexes,
                (0..indexes.len()).collect::<Vec<_>>(),
                "entry {entry}"
            );
            let mut unique = kinds.clone();
            unique.dedup();
            assert_eq!(unique.len(), 1, "entry {entry}: {kinds:?}");
            (entry, method, path, indexes.len(), unique[0].to_owned())
        })
        .collect()
}

fn expected(capture: &str) -> Vec<Entry> {
    inventory(capture)
        .into_iter()
        .map(|r| (r.entry, r.method, r.path, r.records, r.kind))
        .collect()
}

fn read(capture: &str) -> Vec<Item> {
    let path = common::fixture(&format!("sdk/{capture}.har"));
    let text = std::fs::read(&path).unwrap();
    let file: Arc<str> = format!("{capture}.har").into();
    har::read(&file, &text)
}

#[test]
fn every_capture_decodes_to_its_inventory() {
    for capture in CAPTURES {
        let items = read(capture);
        assert_eq!(decoded(&items), expected(capture), "{capture}");
        let mut counts = [0; 3];
        for item in &items {
            let Item::Record(r) = item else {
                unreachable!()
            };
            counts[r.kind as usize] += 1;
        }
        assert_eq!(
            counts,
            totals(capture),
            "{capture}: events, profiles, groups"
        );
    }
}

#[test]
fn the_inventory_covers_every_encoding_the_sdks_use() {
    let encodings = |capture: &str| -> Vec<String> {
        let mut all: Vec<String> = inventory(capture).into_iter().map(|r| r.encoding).collect();
        all.sort();
        all.dedup();
        all
    };
    assert_eq!(
        encodings("browser"),
        ["form data=<base64>", "query data=<URL-encoded JSON>"]
    );
    assert_eq!(
        encodings("node"),
        ["form data=<base64> with a raw `+`", "query data=<base64>"]
    );
    assert_eq!(encodings("python"), ["form data=<URL-encoded JSON>"]);
    // Batches, every endpoint, trailing slashes and none.
    let rows: Vec<Row> = CAPTURES.iter().flat_map(|c| inventory(c)).collect();
    assert!(rows.iter().any(|r| r.records > 1));
    for path in [
        "/track/", "/engage/", "/groups/", "/track", "/engage", "/groups", "/import",
    ] {
        assert!(rows.iter().any(|r| r.path == path), "{path}");
    }
}

#[test]
fn the_nodes_base64_with_a_plus_decodes_intact() {
    let items = read("node");
    let row = inventory("node")
        .into_iter()
        .find(|r| r.encoding.contains("raw `+`"))
        .unwrap();
    let records: Vec<&serde_json::Value> = items
        .iter()
        .filter_map(|i| match i {
            Item::Record(r) => match r.source.location {
                Location::Har { entry, .. } if entry == row.entry => Some(&r.value),
                _ => None,
            },
            Item::Error(_) => None,
        })
        .collect();
    assert_eq!(records.len(), row.records);
    for record in records {
        assert!(record["event"].is_string(), "{record}");
        assert!(record["properties"]["token"].is_string(), "{record}");
    }
}

#[test]
fn input_detects_the_captures_plain_and_gzipped() {
    let dir = tempfile::tempdir().unwrap();
    for capture in CAPTURES {
        let path = common::fixture(&format!("sdk/{capture}.har"));
        let plain: Vec<Item> = items(&path, InputFormat::Auto, None).unwrap().collect();
        assert_eq!(decoded(&plain), expected(capture), "{capture}");
        let gz = dir.path().join(format!("{capture}.har.gz"));
        let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        encoder.write_all(&std::fs::read(&path).unwrap()).unwrap();
        std::fs::write(&gz, encoder.finish().unwrap()).unwrap();
        let zipped: Vec<Item> = items(&gz, InputFormat::Auto, None).unwrap().collect();
        assert_eq!(decoded(&zipped), expected(capture), "{capture} gzipped");
    }
}

#[test]
fn truncated_captures_keep_every_complete_entry() {
    for capture in CAPTURES {
        let full = read(capture);
        let text = std::fs::read(common::fixture(&format!("sdk/{capture}.har"))).unwrap();
        let file: Arc<str> = "cut.har".into();
        for tenth in 1..10 {
            let cut = text.len() * tenth / 10;
            let mut items = har::read(&file, &text[..cut]);
            let Some(Item::Error(last)) = items.pop() else {
                panic!("{capture} cut at {cut}: no error at the end")
            };
            assert!(
                last.message
                    .starts_with("the HAR file is broken or truncated: EOF while parsing"),
                "{}",
                last.message
            );
            // What came before is a prefix of the full capture's records.
            assert!(items.len() <= full.len());
            if tenth >= 5 {
                assert!(!items.is_empty(), "{capture} cut at {cut}: nothing kept");
            }
            for (got, want) in items.iter().zip(&full) {
                let (Item::Record(got), Item::Record(want)) = (got, want) else {
                    panic!("{capture} cut at {cut}: an error before the end")
                };
                assert_eq!(got.value, want.value);
                assert_eq!(got.source.location, want.source.location);
            }
        }
    }
}
