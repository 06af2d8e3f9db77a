//! Coverage as SQL: the counters of [`crate::check::coverage::Layout`]
//! that a table of events can fill (records per event; per property,
//! present, `null`, and each enum value), as queries returning one row
//! whose column `c{slot}` is the count of that slot. Profile and group
//! updates are not in an event table: their counters stay at 0.
//!
//! Each counter is the SQL form of what [`crate::check::coverage::Tally`]
//! counts, so `check --engine duckdb` reports the streaming checker's
//! numbers (`tests/sql.rs` compares them).

use serde_json::Value;

use super::Options;
use super::dialect::{Dialect, Kind};
use super::query::source;
use super::rules::PROPERTIES;
use crate::check::coverage::{Counter, Layout, Of};
use crate::plan::Plan;

/// Counters per query, at most: each is a column.
pub const COLUMNS_PER_QUERY: usize = 400;

/// One query of the coverage counters.
#[derive(Debug, Clone)]
pub struct CoverageQuery {
    /// The SQL.
    pub sql: String,
    /// The slot of each column, in column order.
    pub slots: Vec<u32>,
}

/// The queries filling every event counter of `layout` from the table of
/// `options`, each of at most `columns` counters.
pub fn queries(
    plan: &Plan,
    layout: &Layout,
    options: &Options,
    columns: usize,
) -> Vec<CoverageQuery> {
    let d = options.dialect;
    let counted: Vec<(u32, String)> = layout
        .counters()
        .into_iter()
        .filter_map(|(slot, counter)| counter_sql(d, counter).map(|sql| (slot, sql)))
        .collect();
    let from = source(plan, options);
    let from = from.trim_end().trim_end_matches(',');
    counted
        .chunks(columns.max(1))
        .map(|chunk| {
            let columns: Vec<String> = chunk
                .iter()
                .map(|(slot, sql)| format!("  COALESCE(SUM({sql}), 0) AS c{slot}"))
                .collect();
            CoverageQuery {
                sql: format!(
                    "WITH {from}\nSELECT\n{}\nFROM shaped\n",
                    columns.join(",\n")
                ),
                slots: chunk.iter().map(|(slot, _)| *slot).collect(),
            }
        })
        .collect()
}

/// The per-record count of `counter` (summed by the query), or `None`
/// for what an event table does not hold.
fn counter_sql(d: Dialect, counter: Counter<'_>) -> Option<String> {
    let of_event = |name: &str, test: String| {
        format!(
            "CASE WHEN event_name = {} AND {test} THEN 1 ELSE 0 END",
            d.string(name)
        )
    };
    match counter {
        Counter::Event(name) => Some(format!(
            "CASE WHEN event_name = {} THEN 1 ELSE 0 END",
            d.string(name)
        )),
        Counter::Present(Of::Event(event), key) => {
            Some(of_event(event, d.present(&d.field(PROPERTIES, key))))
        }
        Counter::Null(Of::Event(event), key) => {
            Some(of_event(event, d.is(Kind::Null, &d.field(PROPERTIES, key))))
        }
        Counter::Value(Of::Event(event), key, value, false) => {
            let v = d.field(PROPERTIES, key);
            Some(of_event(event, is_value(d, &v, value)))
        }
        Counter::Value(Of::Event(event), key, value, true) => {
            let v = d.field(PROPERTIES, key);
            let item = format!("CASE WHEN {} THEN 1 ELSE 0 END", is_value(d, "x", value));
            Some(format!(
                "CASE WHEN event_name = {} AND {} THEN {} ELSE 0 END",
                d.string(event),
                d.is(Kind::Array, &v),
                d.sum_over_items(&v, "x", &item)
            ))
        }
        _ => None,
    }
}

/// Whether the JSON value `v` is the enum value `value`, as
/// [`crate::plan::same_value`] compares them (numbers as doubles).
fn is_value(d: Dialect, v: &str, value: &Value) -> String {
    match value {
        Value::String(text) => format!(
            "({} AND {} = {})",
            d.is(Kind::String, v),
            d.text(v),
            d.string(text)
        ),
        Value::Number(n) => match n.as_f64() {
            Some(x) => format!(
                "({} AND {} = {})",
                d.is(Kind::Number, v),
                d.number(v),
                d.double(x)
            ),
            None => "FALSE".to_owned(),
        },
        Value::Bool(b) => format!(
            "({} AND {} = {})",
            d.is(Kind::Boolean, v),
            d.text(v),
            d.string(if *b { "true" } else { "false" })
        ),
        // `null` counts as null, never as a value; lists and objects are
        // not enum values.
        _ => "FALSE".to_owned(),
    }
}
