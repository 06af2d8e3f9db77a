//! `trackplan coverage`: the plan, the code and the traffic joined into one
//! table, one row per planned event: its status, where the code sends it
//! ([`crate::scan`]), how often the traffic had it
//! ([`crate::check::coverage`]), and which of its properties never
//! arrived. Each active event gets a state (implemented, not called, never
//! seen, missing); the share of active events implemented is what
//! `--min-coverage` compares. `docs/coverage.md` defines the states.

use std::fmt::Write;

use serde::{Deserialize, Serialize};

use crate::check::coverage::Summary;
use crate::format::Status;
use crate::plan::Plan;
use crate::scan::{EventCalls, Findings};

/// Where an active event stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum State {
    /// Sent from the code and seen in the traffic (or, with only one of
    /// the two given, found there).
    Implemented,
    /// Seen in the traffic (or not), but no scanned code sends it.
    NotCalled,
    /// Sent from the code, but never seen in the traffic.
    NeverSeen,
    /// Neither sent from the code nor seen in the traffic.
    Missing,
    /// The plan marks it `planned`: not expected yet.
    Planned,
    /// The plan marks it `deprecated`: expected to go.
    Deprecated,
}

impl State {
    /// How reports name it.
    pub fn label(self) -> &'static str {
        match self {
            State::Implemented => "implemented",
            State::NotCalled => "not called",
            State::NeverSeen => "never seen",
            State::Missing => "missing",
            State::Planned => "planned",
            State::Deprecated => "deprecated",
        }
    }

    fn mark(self) -> &'static str {
        match self {
            State::Implemented => "✅",
            State::NotCalled | State::NeverSeen => "⚠️",
            State::Missing => "❌",
            State::Planned | State::Deprecated => "➖",
        }
    }
}

/// A call site, as the matrix lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Site {
    /// `file:line:column`.
    pub at: String,
    /// `helper` or `raw`.
    pub via: String,
}

/// One planned event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Row {
    /// The event.
    pub name: String,
    /// Its lifecycle.
    pub status: Status,
    /// Where it stands.
    pub state: State,
    /// Where the code sends it (`None` when no code was scanned).
    pub calls: Option<Vec<Site>>,
    /// Its records in the traffic (`None` when no traffic was read).
    pub records: Option<u64>,
    /// Its own properties that never arrived with a value (`None` when no
    /// traffic was read).
    pub never_seen: Option<Vec<String>>,
}

/// The table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Matrix {
    /// The plan's name and version.
    pub plan: String,
    /// Active events implemented, in percent (100 with none).
    pub percent: f64,
    /// Active events.
    pub active: u64,
    /// Of them, implemented.
    pub implemented: u64,
    /// Whether code was scanned.
    pub code: bool,
    /// Whether traffic was read.
    pub traffic: bool,
    /// One row per planned event, in plan order.
    pub events: Vec<Row>,
}

impl Matrix {
    /// Joins `plan` with what the code (`code`) and the traffic
    /// (`traffic`) showed; either may be absent.
    pub fn new(plan: &Plan, code: Option<&Findings>, traffic: Option<&Summary>) -> Self {
        let events: Vec<Row> = plan
            .events
            .iter()
            .map(|event| {
                let calls = code.map(|found| {
                    found
                        .events
                        .iter()
                        .find(|e| e.name == event.name)
                        .map(sites)
                        .unwrap_or_default()
                });
                let seen = traffic.and_then(|t| t.per_event.iter().find(|e| e.name == event.name));
                let records = traffic.map(|_| seen.map_or(0, |e| e.records));
                let never_seen = traffic.map(|_| {
                    seen.map(|e| {
                        e.properties
                            .iter()
                            .filter(|p| !p.seen())
                            .map(|p| p.name.clone())
                            .collect()
                    })
                    .unwrap_or_default()
                });
                let called = calls.as_ref().map(|c| !c.is_empty());
                let arrived = records.map(|r| r > 0);
                let state = match (event.status, called, arrived) {
                    (Status::Planned, _, _) => State::Planned,
                    (Status::Deprecated, _, _) => State::Deprecated,
                    (Status::Active, Some(true), Some(true) | None)
                    | (Status::Active, None, Some(true)) => State::Implemented,
                    (Status::Active, Some(true), Some(false)) => State::NeverSeen,
                    (Status::Active, Some(false), Some(true)) => State::NotCalled,
                    (Status::Active, Some(false), None) => State::NotCalled,
                    (Status::Active, None, Some(false)) => State::NeverSeen,
                    (Status::Active, _, _) => State::Missing,
                };
                Row {
                    name: event.name.clone(),
                    status: event.status,
                    state,
                    calls,
                    records,
                    never_seen,
                }
            })
            .collect();
        let active = events.iter().filter(|r| r.status == Status::Active).count() as u64;
        let implemented = events
            .iter()
            .filter(|r| r.state == State::Implemented)
            .count() as u64;
        let percent = if active == 0 {
            100.0
        } else {
            (implemented as f64 * 1000.0 / active as f64).floor() / 10.0
        };
        Matrix {
            plan: format!("{} {}", plan.name, plan.version),
            percent,
            active,
            implemented,
            code: code.is_some(),
            traffic: traffic.is_some(),
            events,
        }
    }

    /// The table as Markdown, for a pull-request comment.
    pub fn markdown(&self) -> String {
        let mut out = format!("## Tracking plan coverage: {}\n\n", self.plan);
        let by = match (self.code, self.traffic) {
            (true, true) => "sent from the code and seen in the traffic",
            (true, false) => "sent from the code",
            (false, _) => "seen in the traffic",
        };
        let _ = writeln!(
            out,
            "**{} of {} active events implemented ({}%)**: {by}.\n",
            self.implemented, self.active, self.percent
        );
        out.push_str(
            "| Event | State | Code | Traffic | Properties never seen |\n|---|---|---|---|---|\n",
        );
        for row in &self.events {
            let code = match &row.calls {
                None => "".to_owned(),
                Some(calls) if calls.is_empty() => "no call".to_owned(),
                Some(calls) => {
                    let first = &calls[0];
                    let more = match calls.len() {
                        1 => String::new(),
                        n => format!(" and {} more", n - 1),
                    };
                    format!("`{}`{more}", first.at)
                }
            };
            let traffic = row.records.map_or_else(String::new, |n| n.to_string());
            let never = row.never_seen.as_ref().map_or_else(String::new, |names| {
                names
                    .iter()
                    .map(|n| format!("`{n}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            });
            let _ = writeln!(
                out,
                "| {} | {} {} | {} | {} | {} |",
                crate::codegen::docs::cell(&row.name),
                row.state.mark(),
                row.state.label(),
                crate::codegen::docs::cell(&code),
                traffic,
                never
            );
        }
        out
    }
}

/// The call sites of one event.
fn sites(calls: &EventCalls) -> Vec<Site> {
    calls
        .calls
        .iter()
        .map(|c| Site {
            at: format!("{}:{}:{}", c.file, c.line, c.column),
            via: c.via.to_owned(),
        })
        .collect()
}
