//! The plan as SQL gives `check`'s counts: DuckDB (embedded, through
//! `check --engine duckdb`) and Spark (pyspark in local mode) run the
//! generated queries over the test corpus (the three SDK captures as
//! NDJSON, a generated 100,000-event file with planted violations, and a
//! café fixture planting every per-record rule), and every count per
//! event name and rule equals the streaming checker's. BigQuery and
//! Snowflake are pinned by snapshots. The DuckDB tests need the `duckdb`
//! feature (the README's test command turns it on).
#![cfg_attr(not(feature = "duckdb"), allow(dead_code, unused_imports))]

mod common;
#[path = "../benches/corpus.rs"]
mod corpus;

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use trackplan::check::identity::Identity;
use trackplan::check::{self, CompiledPlan, Report};
use trackplan::payload::input::{InputFormat, read_input};
use trackplan::payload::{Item, RecordKind, har};
use trackplan::plan::Plan;
#[cfg(feature = "duckdb")]
use trackplan::sql::duckdb::EngineOptions;
use trackplan::sql::{self, Dialect, Layout, Options};

fn plan(name: &str) -> Plan {
    let loaded = trackplan::plan::load(&common::root().join(name)).unwrap();
    loaded.plan.unwrap()
}

/// Counts per (event name, rule), records and invalid records per event
/// name, and undecodable records: what must agree.
#[derive(Debug, PartialEq)]
struct Counts {
    violations: BTreeMap<(String, String), u64>,
    subjects: BTreeMap<String, (u64, u64)>,
    undecodable: u64,
    /// The coverage: the same numbers from both engines.
    coverage: trackplan::check::coverage::Summary,
}

fn counts(report: &Report) -> Counts {
    Counts {
        violations: report
            .groups
            .iter()
            .map(|((s, r), g)| ((s.to_string(), r.id().to_owned()), g.count))
            .collect(),
        subjects: report
            .subjects
            .iter()
            .map(|(s, st)| (s.to_string(), (st.records, st.invalid)))
            .collect(),
        undecodable: report.decode_errors,
        coverage: report.coverage(),
    }
}

fn streaming(plan: &Plan, file: &Path) -> Report {
    let compiled = CompiledPlan::new(plan);
    let mut report = Report::new(Arc::clone(&compiled.coverage));
    let mut identity = Identity::new(&plan.identity.user_id);
    let items = read_input(file, InputFormat::Ndjson, None).unwrap();
    check::run(&compiled, items, &mut report, &mut identity, |_, _| {});
    report
}

#[cfg(feature = "duckdb")]
fn duckdb(plan: &Plan, file: &Path) -> Report {
    sql::duckdb::check(
        plan,
        &[file.display().to_string()],
        &EngineOptions::default(),
    )
    .unwrap()
}

/// The DuckDB engine's report with at most `budget` checks per query.
#[cfg(feature = "duckdb")]
fn duckdb_sliced(plan: &Plan, file: &Path, budget: usize) -> Report {
    let options = EngineOptions {
        checks_per_query: Some(budget),
        ..EngineOptions::default()
    };
    sql::duckdb::check(plan, &[file.display().to_string()], &options).unwrap()
}

/// The event records of the three SDK captures, one NDJSON line each.
fn sdk_events(dir: &Path) -> PathBuf {
    let path = dir.join("sdk-events.ndjson");
    let mut out = std::fs::File::create(&path).unwrap();
    for capture in ["browser.har", "node.har", "python.har"] {
        let text = std::fs::read(common::fixture(&format!("sdk/{capture}"))).unwrap();
        for item in har::read(&Arc::from(capture), &text) {
            let Item::Record(record) = item else {
                panic!("{item:?}")
            };
            if record.kind == RecordKind::Event {
                writeln!(out, "{}", record.value).unwrap();
            }
        }
    }
    path
}

fn generated_corpus(dir: &Path) -> (PathBuf, corpus::Planted) {
    let path = dir.join("corpus.ndjson");
    let planted = corpus::write_file(&path, 100_000);
    (path, planted)
}

fn violations(c: &Counts, event: &str, rule: &str) -> u64 {
    c.violations
        .get(&(event.to_owned(), rule.to_owned()))
        .copied()
        .unwrap_or(0)
}

#[test]
#[cfg(feature = "duckdb")]
fn duckdb_gives_the_streaming_counts_on_the_sdk_captures() {
    let dir = tempfile::tempdir().unwrap();
    let plan = plan("plans/accounts.yaml");
    let file = sdk_events(dir.path());
    let expected = counts(&streaming(&plan, &file));
    let got = counts(&duckdb(&plan, &file));
    assert_eq!(got, expected);
    // The planted event violations of PLANTED.md are among them.
    let total: u64 = expected.violations.values().sum();
    assert!(total >= 9, "{expected:?}");
}

/// A plan too wide for one query is checked in slices of the events the
/// input holds, and an event too wide for one query in parts of its
/// fields; the counts stay the streaming checker's. Small budgets force
/// it here: at 1 every event is split field by field, at 25 and 60 some
/// events share a slice and others are split.
#[test]
#[cfg(feature = "duckdb")]
fn duckdb_in_slices_and_parts_gives_the_streaming_counts() {
    let dir = tempfile::tempdir().unwrap();
    let accounts = plan("plans/accounts.yaml");
    let cafe = plan("plans/cafe.yaml");
    let corpus = dir.path().join("corpus.ndjson");
    corpus::write_file(&corpus, 20_000);
    // The café fixture plants every rule, `user-id-after-login` on two
    // events: devices are followed across slices.
    let cafe_file = common::fixture("sql/cafe.ndjson");
    for (plan, file) in [
        (&accounts, sdk_events(dir.path())),
        (&accounts, corpus),
        (&cafe, cafe_file.clone()),
    ] {
        let expected = counts(&streaming(plan, &file));
        for budget in [1, 25, 60] {
            let report = duckdb_sliced(plan, &file, budget);
            assert_eq!(counts(&report), expected, "{} at {budget}", file.display());
        }
    }
    let expected = counts(&streaming(&cafe, &cafe_file));
    for (event, rule, n) in CAFE_PLANTED {
        assert_eq!(violations(&expected, event, rule), *n, "{event} {rule}");
    }
}

#[test]
#[cfg(feature = "duckdb")]
fn duckdb_gives_the_streaming_counts_on_a_generated_corpus() {
    let dir = tempfile::tempdir().unwrap();
    let plan = plan("plans/accounts.yaml");
    let (file, planted) = generated_corpus(dir.path());
    let expected = counts(&streaming(&plan, &file));
    let got = counts(&duckdb(&plan, &file));
    assert_eq!(got, expected);
    assert_eq!(violations(&got, "Login", "wrong-type"), planted.wrong_type);
    assert_eq!(
        violations(&got, "Login", "not-in-enum"),
        planted.not_in_enum
    );
    assert_eq!(
        violations(&got, "Page Viewed", "missing-property"),
        planted.missing_property
    );
    assert_eq!(
        violations(&got, "Page Viewed", "invalid-format"),
        planted.invalid_format
    );
    assert_eq!(
        violations(&got, "Autologin", "out-of-range"),
        planted.out_of_range
    );
    let records: u64 = got.subjects.values().map(|(r, _)| r).sum();
    assert_eq!(records, 100_000);
}

/// What the café fixture plants, per event name and rule.
const CAFE_PLANTED: &[(&str, &str, u64)] = &[
    ("App Opened", "wrong-type", 1),
    ("App Opened", "not-in-enum", 1),
    // One planted, one from the record whose properties are a list.
    ("App Opened", "missing-distinct-id", 2),
    ("App Opened", "malformed-record", 1),
    // One planted, two from the record whose properties are a list.
    ("App Opened", "missing-super-property", 3),
    ("App Opened", "null-value", 1),
    ("App Opened", "denied-distinct-id", 1),
    ("App Opened", "invalid-insert-id", 1),
    ("App Opened", "implausible-time", 1),
    ("App Opened", "string-too-long", 1),
    ("App Opened", "list-too-long", 1),
    ("App Opened", "user-id-after-login", 1),
    ("Cart Viewed", "user-id-after-login", 1),
    ("Order Placed", "invalid-format", 2),
    ("Order Placed", "pattern-mismatch", 2),
    ("Order Placed", "wrong-type", 1),
    ("Order Placed", "null-value", 1),
    ("Order Placed", "out-of-range", 2),
    ("Order Placed", "not-in-enum", 1),
    ("Order Placed", "missing-property", 1),
    ("Order Placed", "invalid-list-size", 1),
    (
        "Purchased Item [item_type=coffee]",
        "unexpected-property",
        1,
    ),
    ("Purchased Item [item_type=coffee]", "invalid-length", 1),
    ("Purchased Item [item_type=coffee]", "invalid-list-size", 1),
    // A pastry with a milk choice: the default case marks milk absent.
    ("Purchased Item [item_type=*]", "absent-property", 1),
    ("Sign Up Completed", "not-identified", 1),
    ("Table Order Placed", "planned-event", 1),
    ("Order Completed", "deprecated-event", 1),
    ("Coffee Spilled", "unplanned-event", 1),
    ("Order Rated", "wrong-type", 1),
    ("Order Rated", "out-of-range", 1),
    ("(no event name)", "malformed-record", 1),
];

#[test]
#[cfg(feature = "duckdb")]
fn duckdb_gives_the_streaming_counts_on_every_rule_of_the_cafe_fixture() {
    let plan = plan("plans/cafe.yaml");
    let file = common::fixture("sql/cafe.ndjson");
    let expected = counts(&streaming(&plan, &file));
    let got = counts(&duckdb(&plan, &file));
    assert_eq!(got, expected);
    for (event, rule, n) in CAFE_PLANTED {
        assert_eq!(violations(&got, event, rule), *n, "{event} {rule}");
    }
    // Undeclared: `note` on an order (warn), `gift` in an order line,
    // `long_note` and `clicks` on App Opened.
    assert_eq!(violations(&got, "Order Placed", "unexpected-property"), 2);
    assert_eq!(violations(&got, "App Opened", "unexpected-property"), 2);
    assert_eq!(got.undecodable, 1);
}

#[test]
#[cfg(feature = "duckdb")]
fn check_engine_duckdb_prints_the_streaming_report() {
    let file = common::fixture("sql/cafe.ndjson");
    let file = file.to_str().unwrap();
    let run = |engine: &str| {
        let out = common::trackplan(&[
            "check",
            "--plan",
            "plans/cafe.yaml",
            "--engine",
            engine,
            "--format",
            "json",
            file,
        ]);
        let text = String::from_utf8(out.stdout).unwrap();
        let last = text.lines().last().unwrap_or_default().to_owned();
        let mut summary: serde_json::Value = serde_json::from_str(&last).unwrap();
        summary.as_object_mut().unwrap().remove("inputs");
        (out.status.code(), summary)
    };
    let (streaming_code, streaming_summary) = run("streaming");
    let (duckdb_code, duckdb_summary) = run("duckdb");
    assert_eq!(duckdb_code, Some(1));
    assert_eq!(duckdb_code, streaming_code);
    assert_eq!(duckdb_summary, streaming_summary);
    // The human report names examples by insert id.
    let out = common::trackplan(&[
        "check",
        "--plan",
        "plans/cafe.yaml",
        "--engine",
        "duckdb",
        file,
    ]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("insert id cafe-008"), "{text}");
}

/// Plans at the edges: no events; custom identity keys, `allow`,
/// free-form objects and lists of lists of objects.
const EDGE_PLANS: &[&str] = &[
    "tests/fixtures/sql/edge/no-events.yaml",
    "tests/fixtures/sql/edge/nested-lists.yaml",
];

#[test]
#[cfg(feature = "duckdb")]
fn duckdb_gives_the_streaming_counts_on_edge_plans() {
    let file = common::fixture("sql/edge/ping.ndjson");
    for plan_path in EDGE_PLANS {
        let plan = plan(plan_path);
        let expected = counts(&streaming(&plan, &file));
        assert_eq!(counts(&duckdb(&plan, &file)), expected, "{plan_path}");
    }
    let nested = counts(&streaming(&plan(EDGE_PLANS[1]), &file));
    // An integer among strings, a string among integers, a negative x,
    // deep inside lists of lists.
    assert_eq!(violations(&nested, "Ping", "wrong-type"), 2);
    assert_eq!(violations(&nested, "Ping", "out-of-range"), 1);
}

/// `common::variant_purchases` as an NDJSON file in `dir`.
fn variant_records(dir: &Path) -> std::path::PathBuf {
    let text: String = common::variant_purchases()
        .iter()
        .map(|r| format!("{r}\n"))
        .collect();
    let path = dir.join("variants.ndjson");
    std::fs::write(&path, text).unwrap();
    path
}

/// Variants in SQL: each record judged by its case, named by it, with
/// `absent-property`, on events and objects, as the streaming checker does.
#[test]
#[cfg(feature = "duckdb")]
fn duckdb_gives_the_streaming_counts_on_variants() {
    let dir = tempfile::tempdir().unwrap();
    let file = variant_records(dir.path());
    let plan = plan("tests/fixtures/sql/variants.yaml");
    let expected = counts(&streaming(&plan, &file));
    assert_eq!(counts(&duckdb(&plan, &file)), expected);
    // The cases are there, and each rule about them.
    for (subject, rule) in [
        ("Purchased Item [item_type=drink]", "missing-property"),
        ("Purchased Item [item_type=food]", "absent-property"),
        ("Purchased Item [item_type=*]", "absent-property"),
        ("Purchased Item [item_type=*]", "not-in-enum"),
        ("Purchased Item [item_type=food]", "unexpected-property"),
        ("Purchased Item [item_type=drink]", "not-in-enum"),
    ] {
        assert!(violations(&expected, subject, rule) > 0, "{subject} {rule}");
    }
    // Sliced to one check per query, the engine still agrees.
    assert_eq!(counts(&duckdb_sliced(&plan, &file, 1)), expected);
}

/// Traffic under an event's old name (`renamed_from`) is `renamed-event`,
/// naming the new name, in the streaming checker and the SQL alike; other
/// unknown names stay `unplanned-event`.
#[test]
#[cfg(feature = "duckdb")]
fn an_old_event_name_is_reported_with_the_new_one() {
    let dir = tempfile::tempdir().unwrap();
    let plan_path = dir.path().join("renamed.yaml");
    std::fs::write(
        &plan_path,
        "trackplan: 1\nname: R\nversion: 1.0.0\nevents:\n  Order Placed:\n    renamed_from: Checkout Completed\n",
    )
    .unwrap();
    let plan = trackplan::plan::load(&plan_path).unwrap().plan.unwrap();
    let file = dir.path().join("events.ndjson");
    std::fs::write(
        &file,
        concat!(
            r#"{"event": "Order Placed", "properties": {"distinct_id": "u1"}}"#,
            "\n",
            r#"{"event": "Checkout Completed", "properties": {"distinct_id": "u1"}}"#,
            "\n",
            r#"{"event": "Coffee Spilled", "properties": {"distinct_id": "u1"}}"#,
            "\n"
        ),
    )
    .unwrap();
    let report = streaming(&plan, &file);
    let expected = counts(&report);
    assert_eq!(
        expected.violations,
        BTreeMap::from([
            (
                ("Checkout Completed".to_owned(), "renamed-event".to_owned()),
                1
            ),
            (
                ("Coffee Spilled".to_owned(), "unplanned-event".to_owned()),
                1
            ),
        ])
    );
    let group = &report.groups[&(
        Arc::from("Checkout Completed"),
        trackplan::rules::check::RENAMED_EVENT,
    )];
    let violation = &group.examples[0].violation;
    assert_eq!(violation.expected, "the event's new name, `Order Placed`");
    assert_eq!(violation.found, "`Checkout Completed`");
    let engine = duckdb(&plan, &file);
    assert_eq!(counts(&engine), expected);
    let group = &engine.groups[&(
        Arc::from("Checkout Completed"),
        trackplan::rules::check::RENAMED_EVENT,
    )];
    assert_eq!(
        group.examples[0].violation.expected,
        "the event's new name, `Order Placed`"
    );
    assert_eq!(counts(&duckdb_sliced(&plan, &file, 1)), expected);
}

#[test]
#[cfg(feature = "duckdb")]
fn duckdb_reads_parquet_in_both_layouts_and_globs() {
    let dir = tempfile::tempdir().unwrap();
    let plan = plan("plans/cafe.yaml");
    let ndjson = common::fixture("sql/cafe.ndjson");
    // Parquet files written by DuckDB itself from the fixture: the export
    // layout in two files (read by a glob), and the pipeline layout.
    let connection = ::duckdb::Connection::open_in_memory().unwrap();
    let source = format!(
        "(SELECT json FROM read_json('{}', format = 'newline_delimited', records = false, columns = {{json: 'JSON'}}, ignore_errors = true) WHERE json IS NOT NULL AND json_type(json, '$.event') = 'VARCHAR' AND json_type(json, '$.properties') = 'OBJECT')",
        ndjson.display()
    );
    let export = |part: usize, filter: &str| {
        format!(
            "COPY (SELECT json ->> '$.event' AS event, CAST(json -> '$.properties' AS VARCHAR) AS properties FROM {source} WHERE {filter}) TO '{}' (FORMAT parquet)",
            dir.path().join(format!("export-{part}.parquet")).display()
        )
    };
    connection
        .execute_batch(&export(1, "json ->> '$.event' < 'O'"))
        .unwrap();
    connection
        .execute_batch(&export(2, "json ->> '$.event' >= 'O'"))
        .unwrap();
    let glob = dir.path().join("export-*.parquet").display().to_string();
    let from_parquet = counts(&duckdb(&plan, Path::new(&glob)));
    // The same records as NDJSON, without the three malformed lines.
    let clean = dir.path().join("clean.ndjson");
    connection
        .execute_batch(&format!(
            "COPY (SELECT json FROM {source}) TO '{}' (FORMAT csv, HEADER false, QUOTE '', ESCAPE '', DELIMITER '\u{1}')",
            clean.display()
        ))
        .unwrap();
    assert_eq!(from_parquet, counts(&streaming(&plan, &clean)));

    // The pipeline layout: ids and time in columns, out of `properties`.
    let pipeline = dir.path().join("pipeline.parquet");
    connection
        .execute_batch(&format!(
            "COPY (SELECT json ->> '$.event' AS event_name, \
             to_timestamp(CAST(json ->> '$.properties.time' AS DOUBLE)) AS time, \
             json ->> '$.properties.distinct_id' AS distinct_id, \
             json ->> '$.properties.$device_id' AS device_id, \
             json ->> '$.properties.$user_id' AS user_id, \
             json ->> '$.properties.$insert_id' AS insert_id, \
             CAST(json_merge_patch(json -> '$.properties', '{{\"time\": null, \"distinct_id\": null, \"$device_id\": null, \"$user_id\": null, \"$insert_id\": null}}') AS VARCHAR) AS properties \
             FROM {source} WHERE TRY_CAST(json ->> '$.properties.time' AS DOUBLE) < 1e11) TO '{}' (FORMAT parquet)",
            pipeline.display()
        ))
        .unwrap();
    let report = duckdb(&plan, &pipeline);
    let got = counts(&report);
    // The planted property rules are found from the pipeline's columns.
    assert_eq!(violations(&got, "Order Placed", "pattern-mismatch"), 2);
    assert_eq!(violations(&got, "Cart Viewed", "user-id-after-login"), 1);
    assert_eq!(violations(&got, "Sign Up Completed", "not-identified"), 1);
    assert_eq!(violations(&got, "App Opened", "missing-distinct-id"), 1);
}

#[test]
#[cfg(feature = "duckdb")]
fn the_duckdb_engine_refuses_what_it_cannot_read() {
    let out = common::trackplan(&[
        "check",
        "--plan",
        "plans/accounts.yaml",
        "--engine",
        "duckdb",
        "tests/fixtures/sdk/browser.har",
    ]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("streaming checker"), "{err}");
    let out = common::trackplan(&[
        "check",
        "--plan",
        "plans/accounts.yaml",
        "--engine",
        "duckdb",
        "no/such/file.ndjson",
    ]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("no/such/file.ndjson"), "{err}");
}

fn generate(plan: &str, dialect: Dialect, layout: Layout, table: &str) -> String {
    let options = Options {
        layout,
        table: table.to_owned(),
        ..Options::new(dialect)
    };
    sql::generate(&self::plan(plan), &options).sql
}

/// The query over a table whose column `line` numbers the input lines.
fn generate_ordered(plan: &str, dialect: Dialect, table: &str) -> String {
    let options = Options {
        layout: Layout::Record,
        table: table.to_owned(),
        order_column: Some("line".to_owned()),
        ..Options::new(dialect)
    };
    sql::generate(&self::plan(plan), &options).sql
}

#[test]
fn snapshots_of_every_dialect() {
    for (dialect, name) in [
        (Dialect::Duckdb, "duckdb"),
        (Dialect::Spark, "spark"),
        (Dialect::Bigquery, "bigquery"),
        (Dialect::Snowflake, "snowflake"),
    ] {
        insta::assert_snapshot!(
            format!("accounts_{name}"),
            generate(
                "plans/accounts.yaml",
                dialect,
                Layout::Export,
                "mixpanel_events"
            )
        );
    }
    insta::assert_snapshot!(
        "cafe_bigquery_pipeline",
        generate(
            "plans/cafe.yaml",
            Dialect::Bigquery,
            Layout::Pipeline,
            "analytics.mp_master_event"
        )
    );
    insta::assert_snapshot!(
        "cafe_snowflake_pipeline",
        generate(
            "plans/cafe.yaml",
            Dialect::Snowflake,
            Layout::Pipeline,
            "ANALYTICS.PUBLIC.MP_MASTER_EVENT"
        )
    );
}

#[test]
fn generate_sql_writes_to_stdout_or_a_file_and_checks_it() {
    let out = common::trackplan(&[
        "generate",
        "sql",
        "--plan",
        "plans/accounts.yaml",
        "--dialect",
        "spark",
    ]);
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.starts_with("-- Generated by trackplan from the plan"),
        "{text}"
    );
    assert!(text.contains("try_parse_json(properties)"));
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("checks.sql");
    let file = file.to_str().unwrap();
    let args = [
        "generate",
        "sql",
        "--plan",
        "plans/accounts.yaml",
        "--out",
        file,
    ];
    assert_eq!(common::trackplan(&args).status.code(), Some(0));
    let mut check = args.to_vec();
    check.push("--check");
    assert_eq!(common::trackplan(&check).status.code(), Some(0));
    std::fs::write(file, "stale").unwrap();
    assert_eq!(common::trackplan(&check).status.code(), Some(1));
}

/// Records for the hostile plan: names with quotes, comment ends,
/// placeholders and emoji, as values and keys.
fn hostile_records(dir: &Path) -> PathBuf {
    let path = dir.join("hostile.ndjson");
    let records = [
        r#"{"event":"Quote \" and 'single'","properties":{"distinct_id":"a","it's \"quoted\"":"it's"}}"#,
        r#"{"event":"Quote \" and 'single'","properties":{"distinct_id":"a","it's \"quoted\"":"it''s"}}"#,
        r#"{"event":"${x}","properties":{"distinct_id":"a","${y}":null}}"#,
        r#"{"event":"${x}","properties":{"distinct_id":"a","${y}":"1"}}"#,
        r#"{"event":"Emoji 🎉 Launched","properties":{"distinct_id":"a","🎉":["a",1],"nested */":{"*/ x":1.5,"delete":true,"x'); DROP TABLE t; --":1}}}"#,
        r#"{"event":"*/","properties":{"distinct_id":"a","-- not a comment":1}}"#,
        r#"{"event":"class","properties":{"distinct_id":"a","type":"t","__proto__":"yes"}}"#,
        r#"{"event":"a'; DROP TABLE x; --","properties":{"distinct_id":"a"}}"#,
    ];
    std::fs::write(&path, records.join("\n")).unwrap();
    path
}

#[test]
#[cfg(feature = "duckdb")]
fn plan_text_cannot_break_out_of_the_sql() {
    let dir = tempfile::tempdir().unwrap();
    let plan = {
        let loaded = trackplan::plan::load(&common::fixture("plans/hostile.yaml")).unwrap();
        loaded.plan.unwrap()
    };
    let file = hostile_records(dir.path());
    let expected = counts(&streaming(&plan, &file));
    assert_eq!(counts(&duckdb(&plan, &file)), expected);
    assert!(
        violations(&expected, "${x}", "wrong-type") == 1,
        "{expected:?}"
    );
    // Every dialect escapes a quote, a backslash and a newline in literals.
    for dialect in [Dialect::Spark, Dialect::Bigquery, Dialect::Snowflake] {
        assert_eq!(dialect.string("a'b\\c\nd"), "'a\\'b\\\\c\\nd'");
    }
    assert_eq!(Dialect::Duckdb.string("a'b\\c"), "'a''b\\c'");
    assert_eq!(
        Dialect::Duckdb.string("a\tb\n"),
        "('a' || chr(9) || 'b' || chr(10))"
    );
    // Spark would substitute `${x}` in the SQL text before parsing it.
    assert_eq!(Dialect::Spark.string("${x}"), "'\\u0024{x}'");
    assert_eq!(Dialect::Spark.ident("a`b"), "`a``b`");
    assert_eq!(Dialect::Snowflake.ident("a\"b"), "\"a\"\"b\"");
}

/// Runs the Spark SQL of `plan` over `file` with pyspark in local mode and
/// returns the counts per (event, rule).
/// Runs each `(sql, ndjson file)` job in one local Spark session (the
/// file as a view of the `record` layout named in the SQL as `events_N`);
/// the result rows of each job.
fn spark_rows(jobs: &[(String, &Path)]) -> Vec<Vec<serde_json::Value>> {
    let dir = tempfile::tempdir().unwrap();
    let mut args = Vec::new();
    for (i, (sql, file)) in jobs.iter().enumerate() {
        let table = format!("events_{i}");
        let sql_path = dir.path().join(format!("{table}.sql"));
        std::fs::write(&sql_path, sql).unwrap();
        args.push(format!("{table}={}={}", file.display(), sql_path.display()));
    }
    let python = std::env::var("PYTHON").unwrap_or_else(|_| "python3".to_owned());
    let out = std::process::Command::new(python)
        .arg(common::root().join("tests/spark/run_queries.py"))
        .args(&args)
        .output()
        .expect("python3 runs");
    assert!(
        out.status.success(),
        "pyspark failed (is it installed? `bash .ci/setup` installs it):\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut results = vec![Vec::new(); jobs.len()];
    for line in String::from_utf8_lossy(&out.stdout).lines() {
        let Ok(row) = serde_json::from_str::<serde_json::Value>(line) else {
            continue;
        };
        let job = row["job"].as_u64().unwrap() as usize;
        results[job].push(row);
    }
    results
}

/// Violations per (event, rule) of each plan's Spark query over its file.
fn spark_counts(rows: &[serde_json::Value]) -> BTreeMap<(String, String), u64> {
    let mut counts = BTreeMap::new();
    for row in rows {
        let key = (
            row["event"].as_str().unwrap().to_owned(),
            row["rule"].as_str().unwrap().to_owned(),
        );
        *counts.entry(key).or_insert(0) += row["violations"].as_u64().unwrap();
    }
    counts
}

#[test]
fn spark_gives_the_streaming_counts() {
    let dir = tempfile::tempdir().unwrap();
    let sdk = sdk_events(dir.path());
    let (corpus, _) = generated_corpus(dir.path());
    let cafe = common::fixture("sql/cafe.ndjson");
    // Names with quotes, backslashes, comment ends and emoji: the Spark
    // query still parses and counts as `check` does.
    let hostile = hostile_records(dir.path());
    let edge = common::fixture("sql/edge/ping.ndjson");
    let variants = variant_records(dir.path());
    let jobs = [
        ("plans/accounts.yaml", sdk.as_path()),
        ("plans/accounts.yaml", corpus.as_path()),
        ("plans/cafe.yaml", cafe.as_path()),
        ("tests/fixtures/plans/hostile.yaml", hostile.as_path()),
        (EDGE_PLANS[0], edge.as_path()),
        (EDGE_PLANS[1], edge.as_path()),
        ("tests/fixtures/sql/variants.yaml", variants.as_path()),
    ];
    let mut sql: Vec<(String, &Path)> = jobs
        .iter()
        .enumerate()
        .map(|(i, (plan_path, file))| {
            (
                generate_ordered(plan_path, Dialect::Spark, &format!("events_{i}")),
                *file,
            )
        })
        .collect();
    // And the coverage query of the café plan over its records.
    let coverage = common::trackplan(&[
        "generate",
        "sql",
        "--coverage",
        "--plan",
        "plans/cafe.yaml",
        "--dialect",
        "spark",
        "--layout",
        "record",
        "--table",
        &format!("events_{}", jobs.len()),
    ]);
    sql.push((String::from_utf8(coverage.stdout).unwrap(), cafe.as_path()));
    let mut got = spark_rows(&sql);
    let coverage_rows = got.pop().unwrap();
    let streamed = streaming(&plan("plans/cafe.yaml"), &cafe);
    assert!(!coverage_rows.is_empty());
    for row in &coverage_rows {
        let slot = row["slot"].as_u64().unwrap() as u32;
        assert_eq!(
            streamed.coverage.get(slot),
            row["count"].as_u64().unwrap(),
            "{row}"
        );
    }
    for ((plan_path, file), rows) in jobs.iter().zip(got) {
        let spark = spark_counts(&rows);
        let streamed = counts(&streaming(&plan(plan_path), file));
        let (mut expected, undecodable) = (streamed.violations, streamed.undecodable);
        if undecodable > 0 {
            expected.insert(
                ("(no event name)".into(), "undecodable".into()),
                undecodable,
            );
        }
        assert_eq!(spark, expected, "{}", file.display());
    }
}

/// Snowflake's form is not run here (no account); a SQL parser that knows
/// Snowflake's syntax (lambdas, `:` paths, `FLATTEN`) reads every plan's
/// query in every layout as one statement. (BigQuery's form is beyond that
/// parser: it does not read `ARRAY(SELECT ...)`.)
#[test]
fn snowflake_sql_parses() {
    use sqlparser::dialect::SnowflakeDialect;
    use sqlparser::parser::Parser;
    for plan in [
        "plans/accounts.yaml",
        "plans/cafe.yaml",
        "tests/fixtures/plans/hostile.yaml",
        EDGE_PLANS[0],
        EDGE_PLANS[1],
        "tests/fixtures/sql/variants.yaml",
        "tests/fixtures/plans/variants.yaml",
    ] {
        for layout in [Layout::Export, Layout::Record, Layout::Pipeline] {
            let sql = generate(plan, Dialect::Snowflake, layout, "DB.PUBLIC.EVENTS");
            let statements = Parser::parse_sql(&SnowflakeDialect {}, &sql)
                .unwrap_or_else(|e| panic!("{plan} {layout:?}: {e}"));
            assert_eq!(statements.len(), 1, "{plan} {layout:?}");
        }
    }
}

/// NDJSON split over gzipped files read through one glob gives the counts
/// of the whole file, with DuckDB on two threads and a memory limit.
#[test]
#[cfg(feature = "duckdb")]
fn duckdb_reads_gzipped_ndjson_through_a_glob() {
    use std::io::Write as _;
    let dir = tempfile::tempdir().unwrap();
    let plan = plan("plans/cafe.yaml");
    let whole = common::fixture("sql/cafe.ndjson");
    let text = std::fs::read_to_string(&whole).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    for (part, chunk) in lines.chunks(lines.len() / 2 + 1).enumerate() {
        let file = std::fs::File::create(dir.path().join(format!("day-{part}.ndjson.gz"))).unwrap();
        let mut gz = flate2::write::GzEncoder::new(file, flate2::Compression::default());
        for line in chunk {
            writeln!(gz, "{line}").unwrap();
        }
        gz.finish().unwrap();
    }
    let glob = dir.path().join("day-*.ndjson.gz").display().to_string();
    let options = EngineOptions {
        threads: Some(2),
        memory_limit: Some("512MB".to_owned()),
        ..EngineOptions::default()
    };
    let report = sql::duckdb::check(&plan, &[glob], &options).unwrap();
    assert_eq!(counts(&report), counts(&streaming(&plan, &whole)));
}

/// A Parquet file with odd column types (a number as the event name,
/// properties that are not JSON) is checked, not refused.
#[test]
#[cfg(feature = "duckdb")]
fn duckdb_checks_parquet_with_odd_column_types() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("odd.parquet");
    let connection = ::duckdb::Connection::open_in_memory().unwrap();
    connection
        .execute_batch(&format!(
            "COPY (SELECT * FROM (VALUES (42, '{{\"distinct_id\": \"a\"}}'), (7, 'not json')) AS t(event, properties)) TO '{}' (FORMAT parquet)",
            file.display()
        ))
        .unwrap();
    let plan = plan("plans/accounts.yaml");
    let report = duckdb(&plan, &file);
    let got = counts(&report);
    assert_eq!(violations(&got, "42", "unplanned-event"), 1);
    assert_eq!(violations(&got, "7", "unplanned-event"), 1);
    // Properties that are not JSON read as none: no distinct id.
    assert_eq!(violations(&got, "7", "missing-distinct-id"), 1);
    assert_eq!(report.records(), 2);
}

/// `generate sql --coverage` for each dialect: Snowflake's parses with
/// sqlparser in every layout (DuckDB and Spark run it in the tests
/// below and above); every dialect's is pinned by a snapshot.
#[test]
fn coverage_sql_parses_and_is_pinned() {
    use sqlparser::dialect::SnowflakeDialect;
    use sqlparser::parser::Parser;
    let coverage = |plan: &str, dialect: &str, layout: &str| {
        let out = common::trackplan(&[
            "generate",
            "sql",
            "--coverage",
            "--plan",
            plan,
            "--dialect",
            dialect,
            "--layout",
            layout,
        ]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    };
    for plan in [
        "plans/accounts.yaml",
        "plans/cafe.yaml",
        "tests/fixtures/plans/hostile.yaml",
    ] {
        for layout in ["export", "record", "pipeline"] {
            let sql = coverage(plan, "snowflake", layout);
            let statements = Parser::parse_sql(&SnowflakeDialect {}, &sql)
                .unwrap_or_else(|e| panic!("{plan} {layout}: {e}"));
            assert_eq!(statements.len(), 1, "{plan} {layout}");
        }
    }
    for dialect in ["duckdb", "spark", "bigquery", "snowflake"] {
        insta::assert_snapshot!(
            format!("coverage_variants_{dialect}"),
            coverage("tests/fixtures/plans/variants.yaml", dialect, "export")
        );
    }
}

/// A row of the coverage query: slot, kind, event, property, value, count.
type CoverageRow = (
    i64,
    String,
    Option<String>,
    Option<String>,
    Option<String>,
    i64,
);

/// The coverage query `generate sql --coverage` writes for DuckDB, run by
/// DuckDB over a table of the SDK captures' events: every row is the
/// streaming checker's count of its counter, named as `check` names it.
#[test]
#[cfg(feature = "duckdb")]
fn generated_coverage_sql_counts_what_check_counts() {
    let dir = tempfile::tempdir().unwrap();
    let events = sdk_events(dir.path());
    let plan = plan("plans/accounts.yaml");
    let out = common::trackplan(&[
        "generate",
        "sql",
        "--coverage",
        "--plan",
        "plans/accounts.yaml",
        "--dialect",
        "duckdb",
        "--table",
        "mixpanel_events",
    ]);
    assert!(out.status.success());
    let sql = String::from_utf8(out.stdout).unwrap();
    assert!(
        sql.starts_with(
            "-- Generated by trackplan from the plan Accounts 2.0.0 for DuckDB; do not edit.\n"
        ),
        "{sql}"
    );
    let connection = ::duckdb::Connection::open_in_memory().unwrap();
    connection
        .execute_batch(&format!(
            "CREATE TABLE mixpanel_events AS SELECT json->>'event' AS event, json->'properties' AS properties FROM read_json('{}', format = 'newline_delimited', records = false, columns = {{json: 'JSON'}})",
            events.display()
        ))
        .unwrap();
    let mut statement = connection.prepare(&sql).unwrap();
    let rows: Vec<CoverageRow> = statement
        .query_map([], |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
            ))
        })
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let report = streaming(&plan, &events);
    let counters = report.layout.counters();
    let event_counters = counters
        .iter()
        .filter(|(_, c)| c.of_event().is_some())
        .count();
    assert_eq!(rows.len(), event_counters);
    let mut nonzero = 0;
    for (slot, kind, event, property, value, count) in &rows {
        assert_eq!(
            report.coverage.get(*slot as u32),
            *count as u64,
            "slot {slot}: {kind} {event:?} {property:?} {value:?}"
        );
        nonzero += usize::from(*count > 0);
    }
    assert!(nonzero > 40, "{nonzero}");
    // Rows say what they count.
    assert!(rows.iter().any(|r| r.1 == "value"
        && r.2.as_deref() == Some("Login")
        && r.3.as_deref() == Some("method")
        && r.4.as_deref() == Some("password")
        && r.5 > 0));
    assert!(
        rows.iter()
            .any(|r| r.1 == "records" && r.2.as_deref() == Some("Page Viewed") && r.5 == 9)
    );
}
