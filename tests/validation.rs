//! The generated runtime validation (`validation.ts`) finds what `trackplan
//! check` finds: the same rules, severities, paths and wording, on every
//! event of the equivalence corpus (the three SDK captures and the
//! generated corpus of `tests/equivalence.rs`, the café fixture planting
//! every rule), on records drawn at random from each plan (right and wrong
//! types, values near every bound, missing and undeclared properties), and
//! on edge cases and mutations of every format and pattern feature
//! (`tests/fixtures/plans/formats.yaml`). It runs under Node, compiled by
//! TypeScript 7, against `check`'s record checker.

mod common;
#[path = "../benches/corpus.rs"]
mod corpus;

use std::path::Path;
use std::sync::Arc;

use serde_json::{Value, json};
use trackplan::check::runtime::RULES;
use trackplan::check::{CompiledPlan, record};
use trackplan::payload::{Item, Location, Record, RecordKind, Source, har};

use common::ts::{self, Tsc};
use common::{fixture, root};
use corpus::Rng;

/// Reads NDJSON records on stdin, prints each one's violations.
const RUNNER: &str = r#"
import { readFileSync } from "node:fs";
import { validate } from "./tracking/validation.js";

const lines = readFileSync(0, "utf8").split("\n").filter((line) => line !== "");
const out: string[] = [];
for (const line of lines) {
  const record = JSON.parse(line) as { event: string; properties: { [key: string]: unknown } };
  out.push(JSON.stringify(validate(record.event, record.properties, "record").map((v) => [v.rule, v.severity, v.path, v.expected, v.found])));
}
console.log(out.join("\n"));
"#;

/// One finding: rule, severity, path, expected, found.
type Finding = (String, String, String, String, String);

/// Whether `found` is worded the same by both sides: JavaScript cannot
/// tell `1.0` from `1`, and escapes control and unprintable characters
/// differently from Rust's `Debug`.
fn comparable(found: &str) -> bool {
    !(found.starts_with("integer ") || found.starts_with("number "))
        && found.chars().all(|c| (' '..='~').contains(&c))
}

/// `check`'s findings on one event record, as the runtime validation has them.
fn check_findings(compiled: &CompiledPlan, value: &Value) -> Vec<Finding> {
    let record = Record {
        kind: RecordKind::Event,
        value: value.clone(),
        source: Source {
            file: Arc::from("corpus"),
            location: Location::Line(1),
        },
    };
    record::check(compiled, &record, &mut trackplan::check::Tally::default())
        .violations
        .into_iter()
        .filter(|v| RULES.contains(&v.rule))
        .map(|v| {
            (
                v.rule.id().to_owned(),
                v.severity.as_str().to_owned(),
                v.path,
                v.expected,
                v.found,
            )
        })
        .collect()
}

/// Both sides sorted, with `found` left out of the comparison where
/// either side words it in its own way.
fn normalise(mut theirs: Vec<Finding>, mut ours: Vec<Finding>) -> (Vec<Finding>, Vec<Finding>) {
    let key = |f: &Finding| (f.0.clone(), f.1.clone(), f.2.clone(), f.3.clone());
    theirs.sort_by_key(key);
    ours.sort_by_key(key);
    if theirs.len() == ours.len() {
        for (a, b) in theirs.iter_mut().zip(ours.iter_mut()) {
            if !comparable(&a.4) || !comparable(&b.4) || b.4.contains('\\') {
                a.4 = "…".into();
                b.4 = "…".into();
            }
        }
    }
    (theirs, ours)
}

/// Runs the plan's generated validation over `records` under Node and
/// compares each record's findings with `check`'s.
/// Compares the runtime validation with `check` on `records`; returns the
/// rules `check` reported on them.
fn compare(plan_path: &Path, name: &str, records: &[Value]) -> std::collections::BTreeSet<String> {
    let loaded = trackplan::plan::load(plan_path).unwrap();
    let plan = loaded.plan.unwrap();
    let compiled = CompiledPlan::new(&plan);
    let dir = ts::project("node-service", &format!("validation-{name}"));
    ts::generate(plan_path, &dir.join("src/tracking"));
    for file in ["server.ts", "run.ts"] {
        std::fs::remove_file(dir.join("src").join(file)).unwrap();
    }
    std::fs::write(dir.join("src/equivalence.ts"), RUNNER).unwrap();
    Tsc::V7.run(&dir, &["-p", "."]).unwrap();
    let input: String = records.iter().map(|r| format!("{r}\n")).collect();
    let printed = ts::node(&dir, "dist/equivalence.js", Some(input.as_bytes()));
    let lines: Vec<&str> = printed.lines().collect();
    assert_eq!(lines.len(), records.len(), "{name}: one line per record");
    let mut with_findings = 0;
    let mut rules = std::collections::BTreeSet::new();
    for (record, line) in records.iter().zip(lines) {
        let theirs: Vec<Finding> = serde_json::from_str(line).unwrap();
        let ours = check_findings(&compiled, record);
        with_findings += usize::from(!ours.is_empty());
        rules.extend(ours.iter().map(|f| f.0.clone()));
        let (theirs, ours) = normalise(theirs, ours);
        assert_eq!(
            theirs, ours,
            "{name}: runtime validation and check differ on {record}"
        );
    }
    // The corpus exercises the rules, not only valid records.
    assert!(with_findings > 0, "{name}: no record breaks any rule");
    rules
}

/// The event records of the three SDK captures.
fn sdk_events() -> Vec<Value> {
    let mut out = Vec::new();
    for capture in ["browser.har", "node.har", "python.har"] {
        let text = std::fs::read(fixture(&format!("sdk/{capture}"))).unwrap();
        for item in har::read(&Arc::from(capture), &text) {
            if let Item::Record(r) = item
                && r.kind == RecordKind::Event
            {
                out.push(r.value);
            }
        }
    }
    out
}

/// The event records of NDJSON text: objects with an event name (the café
/// fixture also plants lines that are no record at all).
fn ndjson(text: &[u8]) -> Vec<Value> {
    text.split(|b| *b == b'\n')
        .filter_map(|l| serde_json::from_slice::<Value>(l).ok())
        .filter(|v| v["event"].is_string() && v["properties"].is_object())
        .collect()
}

/// The corpus's generator, with what drawing values needs.
trait Draw {
    fn under(&mut self, n: usize) -> usize;
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T;
}

impl Draw for Rng {
    fn under(&mut self, n: usize) -> usize {
        (self.next_u64() % n.max(1) as u64) as usize
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.under(items.len())]
    }
}

/// Strings worth trying anywhere: empty, spaces, non-ASCII, astral.
const STRINGS: &[&str] = &[
    "",
    " ",
    "x",
    "ab",
    "abc",
    "abcd",
    "é",
    "😀😀",
    "a\nb",
    "AB-12",
    "st-0042",
    "it-flat-white",
];

/// A value for `schema`: right or wrong, near its bounds, from its enum.
fn value_for(schema: &trackplan::plan::Schema, rng: &mut Rng, depth: usize) -> Value {
    use trackplan::format::PropertyType as T;
    let wrong = rng.under(6) == 0;
    if rng.under(12) == 0 {
        return Value::Null;
    }
    if wrong {
        return rng
            .pick(&[
                json!("text"),
                json!(1),
                json!(1.5),
                json!(true),
                json!([]),
                json!({"k": 1}),
            ])
            .clone();
    }
    if let Some(values) = &schema.allowed
        && rng.under(4) != 0
    {
        return rng.pick(values).clone();
    }
    match schema.ty {
        T::String | T::Datetime => {
            let mut candidates: Vec<String> = STRINGS.iter().map(|s| (*s).to_owned()).collect();
            candidates.extend(
                [
                    "2024-06-10T12:00:00",
                    "2024-06-10",
                    "https://a.example/x",
                    "a@b.example",
                    "3f1c9a52-7d4e-4b8a-9c61-0e2f5a7b8d90",
                ]
                .map(String::from),
            );
            for bound in [schema.min_length, schema.max_length].into_iter().flatten() {
                for n in [bound.saturating_sub(1), bound, bound + 1] {
                    candidates.push("é".repeat(n as usize));
                }
            }
            candidates.extend(
                schema
                    .examples
                    .iter()
                    .filter_map(|e| e.as_str().map(String::from)),
            );
            json!(rng.pick(&candidates))
        }
        T::Integer | T::Number => {
            let mut candidates = vec![json!(0), json!(-1), json!(7), json!(1e9)];
            for bound in [schema.minimum, schema.maximum].into_iter().flatten() {
                candidates.extend([
                    json!(bound - 1.0),
                    json!(bound),
                    json!(bound + 0.5),
                    json!(bound + 1.0),
                ]);
            }
            if schema.ty == T::Number {
                candidates.push(json!(2.5));
            }
            rng.pick(&candidates).clone()
        }
        T::Boolean => json!(rng.under(2) == 0),
        T::List => {
            let bound = schema.max_items.or(schema.min_items).unwrap_or(2) as usize;
            let len = rng.under(bound + 2);
            let items: Vec<Value> = (0..len)
                .map(|_| match (&schema.items, depth < 3) {
                    (Some(items), true) => value_for(items, rng, depth + 1),
                    _ => json!("x"),
                })
                .collect();
            Value::Array(items)
        }
        T::Object => {
            let mut map = serde_json::Map::new();
            if depth < 3 {
                fields(&schema.properties, rng, depth + 1, &mut map);
            }
            if rng.under(4) == 0 {
                map.insert("undeclared_field".into(), json!(1));
            }
            Value::Object(map)
        }
    }
}

fn fields(
    properties: &[trackplan::plan::Property],
    rng: &mut Rng,
    depth: usize,
    map: &mut serde_json::Map<String, Value>,
) {
    for p in properties {
        if rng.under(8) != 0 {
            map.insert(p.name.clone(), value_for(&p.schema, rng, depth));
        }
    }
}

/// `count` records drawn from `plan`'s events (and a few it does not have).
fn random_records(plan: &trackplan::plan::Plan, count: usize, seed: u64) -> Vec<Value> {
    let mut rng = Rng(seed);
    let ids = [
        json!({"distinct_id": "$device:d-1", "$device_id": "d-1"}),
        json!({"distinct_id": "u-1", "$user_id": "u-1"}),
        json!({"$user_id": 7}),
        json!({"distinct_id": ""}),
        json!({}),
    ];
    (0..count)
        .map(|_| {
            let mut props = rng.pick(&ids).as_object().cloned().unwrap_or_default();
            let name = if rng.under(20) == 0 {
                rng.pick(&["Not In The Plan", "$mp_web_page_view", "$identify"])
                    .to_string()
            } else {
                let event = rng.pick(&plan.events);
                fields(&plan.super_properties, &mut rng, 0, &mut props);
                fields(&event.properties, &mut rng, 0, &mut props);
                // With variants, some properties of a case too (its own
                // or another's).
                if let Some(variants) = &event.variants {
                    let cases: Vec<_> = variants.all().collect();
                    if !cases.is_empty() && rng.under(4) != 0 {
                        fields(&rng.pick(&cases).properties, &mut rng, 0, &mut props);
                    }
                }
                event.name.clone()
            };
            for extra in [
                "undeclared",
                "$os",
                "mp_lib",
                "utm_source",
                "tracking_plan",
                "token",
            ] {
                if rng.under(5) == 0 {
                    props.insert(extra.into(), json!("x"));
                }
            }
            json!({"event": name, "properties": props})
        })
        .collect()
}

fn plan(path: &Path) -> trackplan::plan::Plan {
    trackplan::plan::load(path).unwrap().plan.unwrap()
}

#[test]
fn same_findings_on_the_accounts_corpus() {
    let path = root().join("plans/accounts.yaml");
    let mut records = sdk_events();
    assert!(records.len() > 30);
    let mut text = Vec::new();
    corpus::write(&mut text, 20_000, 7).unwrap();
    records.extend(ndjson(&text));
    records.extend(random_records(&plan(&path), 5_000, 11));
    compare(&path, "accounts", &records);
}

#[test]
fn same_findings_on_the_cafe_fixture_and_random_cafe_records() {
    let path = root().join("plans/cafe.yaml");
    let mut records = ndjson(&std::fs::read(fixture("sql/cafe.ndjson")).unwrap());
    records.extend(random_records(&plan(&path), 8_000, 13));
    compare(&path, "cafe", &records);
}

#[test]
fn same_findings_on_hostile_names() {
    let path = fixture("plans/hostile.yaml");
    let records = random_records(&plan(&path), 3_000, 17);
    compare(&path, "hostile", &records);
}

#[test]
fn same_findings_on_variants() {
    let path = fixture("plans/variants.yaml");
    let records = random_records(&plan(&path), 4_000, 19);
    let rules = compare(&path, "variants", &records);
    for rule in ["absent-property", "missing-property", "unexpected-property"] {
        assert!(rules.contains(rule), "no {rule} in {rules:?}");
    }
}

/// An event's old name is `renamed-event` with the new name in the
/// runtime validation as in `check`; other unknown names `unplanned-event`.
#[test]
fn same_findings_on_an_old_event_name() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("renamed.yaml");
    std::fs::write(
        &path,
        "trackplan: 1\nname: Renamed\nversion: 1.0.0\nevents:\n  Order Placed:\n    renamed_from: Checkout Completed\n    properties:\n      total: {type: number}\n",
    )
    .unwrap();
    let records: Vec<Value> = ["Order Placed", "Checkout Completed", "Coffee Spilled"]
        .iter()
        .map(|name| serde_json::json!({"event": name, "properties": {"distinct_id": "u1", "total": 3}}))
        .collect();
    compare(&path, "renamed", &records);
}

/// Values for each format and pattern: edge cases, then mutations of them.
fn format_values() -> Vec<(&'static str, String)> {
    let cases: &[(&str, &[&str])] = &[
        (
            "uri",
            &[
                "https://a.example/x?y=1#z",
                "http://[::1]:80/",
                "http://[v1.x]/",
                "http://[::1",
                "mailto:a@b",
                "urn:isbn:0451450523",
                "a:",
                "1a:b",
                "https://a b",
                "https://a.example/%zz",
                "https://user:pw@host:8080/p",
                "https://host:port/",
                "https://@host/",
                "//no-scheme",
                "https://é.example/",
                "https://a.example/?q=é",
                "x://[fe80::1%25eth0]/",
            ],
        ),
        (
            "email",
            &[
                "a@b.example",
                "a.b@c.example",
                "\"a b\"@c.example",
                "\"\"@c.example",
                "a@[127.0.0.1]",
                "a@[IPv6:::1]",
                "a@[ipv6:::1]",
                "a..b@c.example",
                ".a@b.example",
                "a@b..example",
                "a@-b.example",
                "Name <a@b.example>",
                "<a@b.example>",
                "a@b",
                "é@b.example",
                "a@é.example",
                "a@xn--caf-dma.example",
                "a@b.example.",
                "a@",
                "@b",
                "a@b_c.example",
            ],
        ),
        (
            "uuid",
            &[
                "3f1c9a52-7d4e-4b8a-9c61-0e2f5a7b8d90",
                "3F1C9A52-7D4E-4B8A-9C61-0E2F5A7B8D90",
                "3f1c9a527d4e4b8a9c610e2f5a7b8d90",
                "{3f1c9a52-7d4e-4b8a-9c61-0e2f5a7b8d90}",
                "3f1c9a52-7d4e-4b8a-9c61-0e2f5a7b8d9",
                "g f1c9a52-7d4e-4b8a-9c61-0e2f5a7b8d90",
            ],
        ),
        (
            "date",
            &[
                "2024-06-10",
                "2024-02-29",
                "2023-02-29",
                "1900-02-29",
                "2000-02-29",
                "2024-13-01",
                "2024-00-10",
                "2024-06-31",
                "2024-6-10",
                "24-06-10",
                "2024/06/10",
                "٢٠٢٤-٠٦-١٠",
            ],
        ),
        (
            "date_time",
            &[
                "2024-06-10T12:00:00Z",
                "2024-06-10t12:00:00z",
                "2024-06-10T12:00:00.123+02:00",
                "2024-06-10T23:59:60Z",
                "2024-06-10T12:00:60Z",
                "2024-06-10T00:59:60+01:00",
                "2024-06-10T12:00:00",
                "2024-06-10 12:00:00Z",
                "2024-06-10T24:00:00Z",
                "2024-06-10T12:00:00.Z",
                "2024-06-10T12:00:00+2400",
                "2024-06-10T12:00:00+24:00",
            ],
        ),
        (
            "ipv4",
            &[
                "127.0.0.1",
                "0.0.0.0",
                "255.255.255.255",
                "256.0.0.1",
                "01.2.3.4",
                "1.2.3",
                "1.2.3.4.5",
                "1.2.3.04",
                " 1.2.3.4",
                "1.2.3.4 ",
            ],
        ),
        (
            "ipv6",
            &[
                "::1",
                "::",
                "1::",
                "2001:db8::8a2e:370:7334",
                "2001:db8:0:0:0:0:2:1",
                "1:2:3:4:5:6:7:8",
                "1:2:3:4:5:6:7:8:9",
                "1::2::3",
                "::ffff:127.0.0.1",
                "::ffff:1.2.3",
                "12345::",
                "1:2:3:4:5:6:1.2.3.4",
                "fe80::1%eth0",
                ":1",
                "1:",
            ],
        ),
        (
            "hostname",
            &[
                "a.example",
                "a",
                "a-b.example",
                "-a.example",
                "a-.example",
                "a..b",
                "a.example.",
                "xn--caf-dma.example",
                "xn--a",
                "ab--c.example",
                "XN--caf-dma",
                "a_b",
                &"a".repeat(64),
                "é.example",
            ],
        ),
        (
            "when",
            &[
                "2024-06-10T12:00:00",
                "2024-06-10T12:00",
                "2024-06-10T12:00:00.5Z",
                "2024-06-10T12:00:00+0200",
                "٢٠٢٤-06-10T12:00:00",
                "2024-06-10",
            ],
        ),
        ("digits", &["123", "١٢٣", "12a", "", "۱۲۳"]),
        ("word", &["un café noir", "cafés", "xcafé", "café", "CAFÉ"]),
        (
            "short",
            &["ab", "a", "abcde", "a\nb", "a\rb", "😀😀", "a\u{2028}"],
        ),
        (
            "caseless",
            &["straße", "STRASSE", "STRAßE", "ǅ", "ǆ", "Ǆ", "x"],
        ),
        ("lines", &["a\nb", "b", "b\nc", "a\r\nb", "ab"]),
        ("greek", &["αβγ", "abcαβγ", "abc", "αβγ_1", "ΑΩ"]),
        (
            "spaced",
            &["  x  ", "\u{3000}x", "x y", "", "\u{a0}x\u{a0}"],
        ),
        (
            "sized",
            &["ab", "abc", "a", "abcd", "😀😀", "😀😀😀😀", "éé"],
        ),
    ];
    let mut out = Vec::new();
    let mut rng = Rng(23);
    let alphabet = [
        'a', 'Z', '0', '9', '-', '.', ':', '@', '/', '%', '[', ']', ' ', 'é', '😀', '\u{660}', 'T',
        'z', '+', '_',
    ];
    for (name, values) in cases {
        for value in *values {
            out.push((*name, (*value).to_owned()));
            // Mutations: a character replaced, inserted or dropped.
            for _ in 0..12 {
                let mut chars: Vec<char> = value.chars().collect();
                let at = rng.under(chars.len() + 1);
                match rng.under(3) {
                    0 if at < chars.len() => chars[at] = *rng.pick(&alphabet),
                    1 => chars.insert(at, *rng.pick(&alphabet)),
                    _ if at < chars.len() => {
                        chars.remove(at);
                    }
                    _ => chars.push(*rng.pick(&alphabet)),
                }
                out.push((*name, chars.into_iter().collect()));
            }
        }
    }
    out
}

#[test]
fn same_judgement_of_every_format_and_pattern() {
    let values = format_values();
    let records: Vec<Value> = values
        .iter()
        .map(|(property, value)| {
            json!({"event": "Value Seen", "properties": {"distinct_id": "u-1", *property: value}})
        })
        .collect();
    compare(&fixture("plans/formats.yaml"), "formats", &records);
}
