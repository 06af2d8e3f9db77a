//! Payloads: what `trackplan check` and `trackplan serve` read, decoded into
//! [`Record`]s (one event, profile update or group update each) that name
//! where they came from.
//!
//! Inputs are NDJSON or JSON arrays (Mixpanel's raw export, `/import`
//! bodies), HAR 1.2 captures, and raw request bodies as the official SDKs
//! send them (see `shared/MIXPANEL.md` and `docs/inputs.md`). Anything that
//! cannot be decoded becomes a [`DecodeError`] for that record; the rest of
//! the input is still read.

use std::fmt;
use std::sync::Arc;

use serde_json::Value;

/// A Mixpanel ingestion endpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, clap::ValueEnum)]
pub enum Endpoint {
    /// `/track`: events.
    Track,
    /// `/engage`: user profile updates.
    Engage,
    /// `/groups`: group profile updates.
    Groups,
    /// `/import`: historical events.
    Import,
}

/// What a record is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RecordKind {
    /// An event: `{"event": ..., "properties": {...}}`.
    Event,
    /// A user profile update: `{"$distinct_id": ..., "$set": {...}}`.
    Profile,
    /// A group profile update: `{"$group_key": ..., "$group_id": ..., "$set": {...}}`.
    Group,
}

/// Where a record came from, precise enough to find it again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    /// The input file as the user named it (`-` for stdin).
    pub file: Arc<str>,
    /// The place in that file.
    pub location: Location,
}

/// A place in an input file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    /// A line of an NDJSON file (1-based).
    Line(u64),
    /// An element of a JSON array file (0-based).
    Element(u64),
    /// A record of a HAR entry's request.
    Har {
        /// Index of the entry in `log.entries` (0-based).
        entry: usize,
        /// The request's method and URL.
        request: String,
        /// Index of the record within the request's batch (0-based).
        record: usize,
    },
    /// A record of a raw request body (0-based index within its batch).
    Body {
        /// Index of the record within the body's batch.
        record: usize,
    },
}

/// One decoded record.
#[derive(Debug, Clone)]
pub struct Record {
    /// Event, profile update or group update.
    pub kind: RecordKind,
    /// The record as sent.
    pub value: Value,
    /// Where it came from.
    pub source: Source,
}

/// A record, or a part of the input, that could not be decoded.
#[derive(Debug, Clone)]
pub struct DecodeError {
    /// Where it is.
    pub source: Source,
    /// What is wrong, in one sentence.
    pub message: String,
}

/// What reading an input yields, in input order.
#[derive(Debug, Clone)]
pub enum Item {
    /// A decoded record.
    Record(Record),
    /// Something that could not be decoded; counted in the report.
    Error(DecodeError),
}

impl fmt::Display for Source {
    /// `events.ndjson:12`, `capture.har entry 3 (POST http://.../track/) record 1`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.location {
            Location::Line(line) => write!(f, "{}:{line}", self.file),
            Location::Element(i) => write!(f, "{}[{i}]", self.file),
            Location::Har {
                entry,
                request,
                record,
            } => write!(f, "{} entry {entry} ({request}) record {record}", self.file),
            Location::Body { record } => write!(f, "{} record {record}", self.file),
        }
    }
}
