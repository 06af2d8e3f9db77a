//! The plan as SQL: `trackplan generate sql` writes the rules `check`
//! applies to each event as one query over a warehouse table of raw
//! Mixpanel events, for DuckDB, Spark, BigQuery or Snowflake; `check
//! --engine duckdb` runs the DuckDB form in process ([`duckdb`]).
//!
//! The query returns one row per event name, rule and property, with the
//! number of violations, the number of records breaking the rule and a
//! few example insert ids, under `check`'s rule ids and wording.
//! `docs/sql.md` documents the table layouts and what each engine cannot
//! express.

pub mod coverage;
pub mod dialect;
#[cfg(feature = "duckdb")]
pub mod duckdb;
mod events;
mod query;
mod rules;

use clap::ValueEnum;

pub use dialect::Dialect;
pub use query::{
    ERROR_LINE, INVALID, RECORDS, after_login_lines, checks_per_event, checks_per_field_of,
    event_names,
};

use crate::diagnostic::Severity;
use crate::plan::Plan;

/// The shape of the table of raw events.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Layout {
    /// Mixpanel's raw export as a table: `event` (text) and `properties`
    /// (JSON: DuckDB `JSON`, Spark JSON text, BigQuery `JSON`, Snowflake
    /// `VARIANT`).
    Export,
    /// One column `record` holding each whole record as JSON, as a line of
    /// NDJSON loaded as is (Spark: JSON text).
    Record,
    /// Mixpanel's JSON pipelines (`mp_master_event`): `event_name`,
    /// `time` (timestamp), `distinct_id`, `device_id`, `user_id`,
    /// `insert_id` and `properties` (JSON).
    Pipeline,
}

/// What to generate.
#[derive(Debug, Clone)]
pub struct Options {
    /// The engine.
    pub dialect: Dialect,
    /// The table's shape.
    pub layout: Layout,
    /// The table (or view, or a DuckDB table function call when
    /// `table_is_expression`).
    pub table: String,
    /// `table` is a SQL expression to use as written (trackplan's own
    /// DuckDB runs), not a name to quote.
    pub table_is_expression: bool,
    /// A column giving the table's input order (a line number, an
    /// ingestion sequence), so "later" means what it means to `check`;
    /// without one, events are ordered by time.
    pub order_column: Option<String>,
    /// Also return, per event name, a row of rule `(records)` whose
    /// `violations` are the records read and one of rule `(invalid
    /// records)` counting those with an error.
    pub totals: bool,
    /// The records the query checks: all of them, or a slice.
    pub scope: Scope,
}

/// Which records a query checks. `generate sql` writes one query for the
/// whole plan; the DuckDB engine splits a wide plan into slices, each
/// query compiling the rules of a few events only (see `docs/sql.md`).
#[derive(Debug, Clone, Default)]
pub enum Scope {
    /// Every record, against the whole plan.
    #[default]
    Whole,
    /// The records of some planned events and, with `rest`, those of no
    /// planned event (unplanned, malformed, undecodable). Needs
    /// [`Options::order_column`]: the judgements of `user-id-after-login`,
    /// which follow a device across every event, come from a table of the
    /// lines that break it, made beforehand by [`after_login_lines`].
    Slice {
        /// Indices into the plan's events.
        events: Vec<usize>,
        /// Also the records of no planned event.
        rest: bool,
        /// The table with a column `line` of the lines breaking
        /// `user-id-after-login`.
        after_login: String,
    },
    /// The records of one planned event too wide for one query, against
    /// a range of its fields (the plan's super properties, then its own).
    /// The first part also holds the checks on the event as a whole and
    /// those on every event, and counts the records; each part names the
    /// lines with an error under the rule [`ERROR_LINE`], for the engine to
    /// count them once.
    Part {
        /// Index into the plan's events.
        event: usize,
        /// The fields checked.
        fields: std::ops::Range<usize>,
        /// The part holding the checks on the whole event.
        first: bool,
        /// As in [`Scope::Slice`].
        after_login: String,
    },
}

/// Where a query gets the judgements of `user-id-after-login`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AfterLogin<'s> {
    /// It follows every device itself (the whole table).
    Here,
    /// From a table of the lines breaking it (a slice, or the first part).
    Table(&'s str),
    /// Not at all: another part of the same event counts them.
    Elsewhere,
}

/// What each kind of scope does; every decision the query makes on its
/// scope is one of these.
impl Scope {
    /// The indices of the planned events the query compiles, and what of
    /// each it checks.
    pub fn events(&self, plan: &crate::plan::Plan) -> (Vec<usize>, events::Share) {
        match self {
            Scope::Whole => ((0..plan.events.len()).collect(), events::Share::ALL),
            Scope::Slice { events, .. } => (events.clone(), events::Share::ALL),
            Scope::Part {
                event,
                fields,
                first,
                ..
            } => (
                vec![*event],
                events::Share {
                    fields: Some(fields.clone()),
                    whole: *first,
                },
            ),
        }
    }

    /// Whether the records of no planned event (unplanned, malformed,
    /// undecodable, old names of renamed events) are in it.
    pub fn takes_the_rest(&self) -> bool {
        match self {
            Scope::Whole => true,
            Scope::Slice { rest, .. } => *rest,
            Scope::Part { .. } => false,
        }
    }

    /// Whether it is a part of an event split over several queries, which
    /// name their lines with an error for the engine to count them once.
    pub fn is_part(&self) -> bool {
        matches!(self, Scope::Part { .. })
    }

    /// Whether it checks records as a whole: holds the rules on every
    /// event and counts the records (all but the later parts of a split
    /// event).
    pub fn whole_records(&self) -> bool {
        !matches!(self, Scope::Part { first: false, .. })
    }

    /// Where the query gets the judgements of `user-id-after-login`.
    pub fn after_login(&self) -> AfterLogin<'_> {
        match self {
            Scope::Whole => AfterLogin::Here,
            Scope::Part { first: false, .. } => AfterLogin::Elsewhere,
            Scope::Slice { after_login, .. } | Scope::Part { after_login, .. } => {
                AfterLogin::Table(after_login)
            }
        }
    }
}

/// The table of raw events a query reads unless told another.
pub const DEFAULT_TABLE: &str = "mixpanel_events";

impl Options {
    /// The defaults for `dialect`: the export layout over a table named
    /// [`DEFAULT_TABLE`].
    pub fn new(dialect: Dialect) -> Self {
        Self {
            dialect,
            layout: Layout::Export,
            table: DEFAULT_TABLE.to_owned(),
            table_is_expression: false,
            order_column: None,
            totals: false,
            scope: Scope::Whole,
        }
    }
}

/// One check the query applies, numbered; the query's rows name it.
#[derive(Debug, Clone, PartialEq)]
pub struct CheckDef {
    /// Its number in the query.
    pub id: usize,
    /// The event it applies to; `None` for rules on every event.
    pub event: Option<String>,
    /// The `check` rule's id, or the name of a tally the engine reads
    /// ([`RECORDS`], [`INVALID`], [`ERROR_LINE`]).
    pub rule: &'static str,
    /// Its severity.
    pub severity: Severity,
    /// The JSON path it looks at (`properties.cart[].price`; `*` for any
    /// key).
    pub path: String,
    /// What the plan expects there, worded as `check` words it.
    pub expected: String,
}

/// Part of a record's violation array.
#[derive(Debug, Clone)]
pub enum Part {
    /// The violations of check `id` in one record, counted by an integer
    /// expression.
    Count {
        /// The check.
        id: usize,
        /// How many times the record breaks it.
        count: String,
    },
    /// An array expression of named violations (undeclared keys).
    Elements(String),
}

/// A generated query and the checks it applies.
#[derive(Debug, Clone)]
pub struct Query {
    /// The SQL text.
    pub sql: String,
    /// The checks, by id - 1.
    pub checks: Vec<CheckDef>,
}

/// Writes the plan's rules as one query.
pub fn generate(plan: &Plan, options: &Options) -> Query {
    query::build(plan, options)
}
