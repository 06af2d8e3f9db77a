//! `trackplan check --engine duckdb`: the plan's DuckDB query run in
//! process by an embedded DuckDB over NDJSON files (gzipped or not) and
//! Parquet files, globs allowed, into the same [`Report`] the streaming
//! checker prints.
//!
//! NDJSON lines are read whole as JSON (`read_json` with one `JSON`
//! column), so a line that is not JSON is one `undecodable` row and the
//! rest is still checked. Parquet files are read by their columns: the
//! export layout (`event`, `properties`) or Mixpanel's JSON pipelines
//! layout (`event_name`, `properties`, ...).

use crate::rules::{Rule, check as rule};
use std::sync::Arc;

use duckdb::Connection;
use duckdb::types::Value;

use std::collections::HashSet;

use super::{
    Dialect, ERROR_LINE, INVALID, Layout, Options, RECORDS, Scope, after_login_lines,
    checks_per_event, checks_per_field_of, event_names, generate,
};
use crate::check::coverage;
use crate::check::report::{EXAMPLES, Example, Group, Report};
use crate::check::violation::Violation;
use crate::diagnostic::Severity;
use crate::payload::{Location, Source};
use crate::plan::Plan;

/// Why a run could not be made.
#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    /// An input DuckDB cannot read as events.
    #[error("{0}")]
    Input(String),
    /// DuckDB's own error (a file that does not exist, an unreadable
    /// Parquet file, ...).
    #[error("DuckDB: {0}")]
    Duckdb(#[from] duckdb::Error),
}

/// Settings of a run.
#[derive(Debug, Clone, Default)]
pub struct EngineOptions {
    /// Worker threads (DuckDB's default: all cores); cut to the cores the
    /// machine has.
    pub threads: Option<usize>,
    /// Memory limit, such as `4GB` (DuckDB's default: 80% of RAM).
    pub memory_limit: Option<String>,
    /// The most checks one query holds before the plan is split into
    /// slices (default [`CHECKS_PER_QUERY`]).
    pub checks_per_query: Option<usize>,
}

/// The most checks one query holds. DuckDB's time and memory to plan a
/// query grow with its size (about 0.7 ms and 80 KB a check), so a wider
/// plan is checked in slices of events, each one more pass over the input.
pub const CHECKS_PER_QUERY: usize = 2_000;

/// An in-memory DuckDB with the run's settings.
fn connect(options: &EngineOptions) -> Result<Connection, EngineError> {
    let connection = Connection::open_in_memory()?;
    if let Some(threads) = options.threads {
        let cores = std::thread::available_parallelism().map_or(1, usize::from);
        connection.execute_batch(&format!("SET threads = {};", threads.clamp(1, cores)))?;
    }
    if let Some(limit) = &options.memory_limit {
        let limit = Dialect::Duckdb.string(limit);
        connection.execute_batch(&format!("SET memory_limit = {limit};"))?;
    }
    Ok(connection)
}

/// Checks `files` (paths or globs; `.parquet` files as Parquet, anything
/// else as NDJSON) against `plan`.
pub fn check(
    plan: &Plan,
    files: &[String],
    options: &EngineOptions,
) -> Result<Report, EngineError> {
    let connection = connect(options)?;
    let (parquet, ndjson): (Vec<&String>, Vec<&String>) = files
        .iter()
        .partition(|f| f.to_ascii_lowercase().ends_with(".parquet"));
    for file in &ndjson {
        let lower = file.to_ascii_lowercase();
        if lower.ends_with(".har") || file.as_str() == "-" {
            return Err(EngineError::Input(format!(
                "`{file}`: the duckdb engine reads NDJSON and Parquet files; check HAR captures and standard input with the streaming checker (no --engine)"
            )));
        }
    }
    let mut report = Report::new(Arc::new(coverage::Layout::new(plan)));
    if !ndjson.is_empty() {
        let list = file_list(&ndjson);
        let table = format!(
            "(SELECT json AS record, row_number() OVER () AS line FROM read_json({list}, format = 'newline_delimited', records = false, columns = {{json: 'JSON'}}, ignore_errors = true, maximum_object_size = 16777216))"
        );
        run(
            &connection,
            plan,
            Layout::Record,
            table,
            options,
            &label(&ndjson),
            &mut report,
        )?;
    }
    if !parquet.is_empty() {
        let list = file_list(&parquet);
        let reader = format!("read_parquet({list}, union_by_name = true)");
        let layout = parquet_layout(&connection, &reader)?;
        let table = format!("(SELECT *, row_number() OVER () AS line FROM {reader})");
        run(
            &connection,
            plan,
            layout,
            table,
            options,
            &label(&parquet),
            &mut report,
        )?;
    }
    Ok(report)
}

/// A DuckDB list literal of file names.
fn file_list(files: &[&String]) -> String {
    let quoted: Vec<String> = files.iter().map(|f| Dialect::Duckdb.string(f)).collect();
    format!("[{}]", quoted.join(", "))
}

/// How the report names the inputs of one query.
fn label(files: &[&String]) -> Arc<str> {
    match files {
        [one] => Arc::from(one.as_str()),
        more => Arc::from(format!("{} and {} more", more[0], more.len() - 1).as_str()),
    }
}

/// The layout of Parquet files, from their column names.
fn parquet_layout(connection: &Connection, reader: &str) -> Result<Layout, EngineError> {
    let mut statement = connection.prepare(&format!("DESCRIBE SELECT * FROM {reader}"))?;
    let names: Vec<String> = statement
        .query_map([], |row| row.get::<_, String>(0))?
        .collect::<Result<_, _>>()?;
    let has = |name: &str| names.iter().any(|n| n == name);
    if has("event_name") && has("properties") {
        Ok(Layout::Pipeline)
    } else if has("event") && has("properties") {
        Ok(Layout::Export)
    } else {
        Err(EngineError::Input(format!(
            "Parquet files need the columns `event` and `properties` (Mixpanel's export) or `event_name`, `time`, `distinct_id`, `device_id`, `user_id`, `insert_id` and `properties` (its JSON pipelines); these have {}",
            names.join(", ")
        )))
    }
}

/// Checks one table expression and adds its rows to `report`: with one
/// query when the plan is small enough, else with one query per slice of
/// the events the table holds, and an event too wide for one query in
/// parts of its fields. Each record is in exactly one slice (or in every
/// part of its event, which count it once), so every count adds up. A
/// pass before finds the lines breaking `user-id-after-login`, which
/// follows devices across every event.
fn run(
    connection: &Connection,
    plan: &Plan,
    layout: Layout,
    table: String,
    engine: &EngineOptions,
    file: &Arc<str>,
    report: &mut Report,
) -> Result<(), EngineError> {
    let options = Options {
        dialect: Dialect::Duckdb,
        layout,
        table,
        table_is_expression: true,
        // Rows come in file order (DuckDB keeps insertion order), so
        // "later" is what it is to the streaming checker.
        order_column: Some("line".to_owned()),
        totals: true,
        scope: Scope::Whole,
    };
    count_coverage(connection, plan, &options, report)?;
    let budget = engine.checks_per_query.unwrap_or(CHECKS_PER_QUERY).max(1);
    let weights = checks_per_event(plan, Dialect::Duckdb);
    let mut lines = HashSet::new();
    if weights.iter().sum::<usize>() <= budget {
        return run_query(connection, plan, &options, file, report, &mut lines);
    }
    let mut statement = connection.prepare(&event_names(plan, &options))?;
    let present: HashSet<String> = statement
        .query_map([], |row| row.get::<_, String>(0))?
        .collect::<Result<_, _>>()?;
    let (slices, wide) = pack(plan, &weights, &present, budget);
    const AFTER_LOGIN: &str = "trackplan_after_login";
    connection.execute_batch(&format!(
        "CREATE OR REPLACE TEMP TABLE {AFTER_LOGIN} AS {}",
        after_login_lines(plan, &options)
    ))?;
    for (number, events) in slices.into_iter().enumerate() {
        let slice = Options {
            scope: Scope::Slice {
                events,
                rest: number == 0,
                after_login: AFTER_LOGIN.to_owned(),
            },
            ..options.clone()
        };
        run_query(connection, plan, &slice, file, report, &mut lines)?;
    }
    for (event, ranges) in wide {
        for (number, fields) in ranges.into_iter().enumerate() {
            let part = Options {
                scope: Scope::Part {
                    event,
                    fields,
                    first: number == 0,
                    after_login: AFTER_LOGIN.to_owned(),
                },
                ..options.clone()
            };
            run_query(connection, plan, &part, file, report, &mut lines)?;
        }
        if !lines.is_empty() {
            let subject: Arc<str> = Arc::from(plan.events[event].name.as_str());
            report.subjects.entry(subject).or_default().invalid += lines.len() as u64;
            lines.clear();
        }
    }
    connection.execute_batch(&format!("DROP TABLE {AFTER_LOGIN}"))?;
    Ok(())
}

/// Adds the coverage counters of the table of `options` to `report`.
fn count_coverage(
    connection: &Connection,
    plan: &Plan,
    options: &Options,
    report: &mut Report,
) -> Result<(), EngineError> {
    let layout = std::sync::Arc::clone(&report.layout);
    let queries = crate::sql::coverage::queries(
        plan,
        &layout,
        options,
        crate::sql::coverage::COUNTERS_PER_QUERY,
    );
    for query in queries {
        let mut statement = connection.prepare(&query.sql)?;
        let mut rows = statement.query([])?;
        while let Some(row) = rows.next()? {
            let slot = u32::try_from(count(row.get::<_, Value>(0)?)).unwrap_or(u32::MAX);
            report
                .coverage
                .add_count(slot, count(row.get::<_, Value>(5)?));
        }
    }
    Ok(())
}

/// The slices of the events `present` in the table, each of at most
/// `budget` checks (the first also takes the records of no planned event),
/// and the events wider than `budget`, each as ranges of its fields.
#[allow(clippy::type_complexity)]
fn pack(
    plan: &Plan,
    weights: &[usize],
    present: &HashSet<String>,
    budget: usize,
) -> (Vec<Vec<usize>>, Vec<(usize, Vec<std::ops::Range<usize>>)>) {
    let mut slices: Vec<Vec<usize>> = vec![Vec::new()];
    let mut wide = Vec::new();
    let mut size = 0;
    for (index, event) in plan.events.iter().enumerate() {
        if !present.contains(&event.name) {
            continue;
        }
        let weight = weights[index];
        // An event with variants is checked whole: its cases pick fields
        // by the discriminator, which no part alone could judge.
        if weight > budget && event.variants.is_none() {
            let fields = checks_per_field_of(plan, index, Dialect::Duckdb);
            let mut ranges: Vec<std::ops::Range<usize>> = Vec::new();
            let mut part = 0;
            for (at, checks) in fields.into_iter().enumerate() {
                match ranges.last_mut() {
                    Some(range) if part + checks <= budget => {
                        range.end = at + 1;
                        part += checks;
                    }
                    _ => {
                        ranges.push(at..at + 1);
                        part = checks;
                    }
                }
            }
            if ranges.is_empty() {
                // No fields: one part for the checks on the event itself.
                ranges.push(0..0);
            }
            wide.push((index, ranges));
            continue;
        }
        if size + weight > budget && slices.last().is_some_and(|s| !s.is_empty()) {
            slices.push(Vec::new());
            size = 0;
        }
        slices.last_mut().expect("one slice at least").push(index);
        size += weight;
    }
    (slices, wide)
}

/// Runs one query and adds its rows to `report`; the lines a part of a
/// split event names as having an error go to `lines`.
fn run_query(
    connection: &Connection,
    plan: &Plan,
    options: &Options,
    file: &Arc<str>,
    report: &mut Report,
    lines: &mut HashSet<u64>,
) -> Result<(), EngineError> {
    let query = generate(plan, options);
    let mut statement = connection.prepare(&query.sql)?;
    let mut rows = statement.query([])?;
    while let Some(row) = rows.next()? {
        let event: String = row.get(0)?;
        let rule: Option<String> = row.get(1)?;
        let severity: Option<String> = row.get(2)?;
        let path: Option<String> = row.get(3)?;
        let expected: Option<String> = row.get(4)?;
        let violations = count(row.get::<_, Value>(5)?);
        let examples = texts(row.get::<_, Value>(7)?);
        let subject: Arc<str> = Arc::from(event.as_str());
        let Some(rule) = rule else {
            continue;
        };
        if rule == ERROR_LINE {
            if violations > 0
                && let Some(line) = path.as_deref().and_then(|p| p.parse().ok())
            {
                lines.insert(line);
            }
            continue;
        }
        // The totals rows: records read, records with an error.
        if rule == RECORDS || rule == INVALID {
            let stats = report.subjects.entry(subject).or_default();
            if rule == RECORDS {
                stats.records += violations;
            } else {
                stats.invalid += violations;
            }
            continue;
        }
        let Some(known) = crate::rules::find(&rule) else {
            continue;
        };
        if known == rule::UNDECODABLE {
            report.decode_errors += violations;
            continue;
        }
        let severity = match severity.as_deref() {
            Some("error") => Severity::Error,
            Some("warning") => Severity::Warning,
            _ => Severity::Info,
        };
        match severity {
            Severity::Error => report.errors += violations,
            Severity::Warning => report.warnings += violations,
            Severity::Info => report.infos += violations,
        }
        let group = report
            .groups
            .entry((subject, known))
            .or_insert_with(|| Group {
                severity,
                count: 0,
                examples: Vec::new(),
            });
        group.count += violations;
        group.severity = group.severity.max(severity);
        // Rows without an insert id are still shown, unnamed.
        let ids: Vec<Option<String>> = if examples.is_empty() {
            vec![None]
        } else {
            examples.into_iter().map(Some).collect()
        };
        for insert_id in ids {
            if group.examples.len() >= EXAMPLES {
                break;
            }
            group.examples.push(Example {
                source: Source {
                    file: Arc::clone(file),
                    location: Location::Row { insert_id },
                },
                violation: Violation {
                    rule: known,
                    severity,
                    path: path.clone().unwrap_or_default(),
                    expected: expected.clone().unwrap_or_default(),
                    found: found(known).to_owned(),
                },
            });
        }
    }
    Ok(())
}

/// A count column (DuckDB sums integers into 128-bit integers).
fn count(value: Value) -> u64 {
    match value {
        Value::HugeInt(n) => u64::try_from(n).unwrap_or(0),
        Value::BigInt(n) => u64::try_from(n).unwrap_or(0),
        Value::Int(n) => u64::try_from(n).unwrap_or(0),
        Value::UBigInt(n) => n,
        Value::Double(n) if n >= 0.0 => n as u64,
        _ => 0,
    }
}

/// The texts of a list column.
fn texts(value: Value) -> Vec<String> {
    match value {
        Value::List(items) => items
            .into_iter()
            .filter_map(|v| match v {
                Value::Text(s) => Some(s),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    }
}

/// What a record holds where it breaks `rule`, as far as the query knows
/// (it keeps no values).
fn found(known: &Rule) -> &'static str {
    if [
        rule::MISSING_PROPERTY,
        rule::MISSING_SUPER_PROPERTY,
        rule::NOT_IDENTIFIED,
        rule::USER_ID_AFTER_LOGIN,
    ]
    .contains(&known)
    {
        crate::check::wording::NOTHING
    } else if known == rule::MISSING_DISTINCT_ID {
        crate::check::wording::NO_IDS
    } else if known == rule::NULL_VALUE {
        "null"
    } else {
        "something else"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn threads_are_cut_to_the_machine() {
        let options = EngineOptions {
            threads: Some(100_000),
            ..EngineOptions::default()
        };
        let connection = connect(&options).unwrap();
        let threads: i64 = connection
            .query_row("SELECT current_setting('threads')", [], |row| row.get(0))
            .unwrap();
        let cores = std::thread::available_parallelism().map_or(1, usize::from);
        assert_eq!(threads, cores as i64);
    }
}
