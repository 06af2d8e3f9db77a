//! Payloads: what `trackplan check` and `trackplan serve` read, decoded into
//! [`Record`]s (one event, profile update or group update each) that name
//! where they came from.
//!
//! Inputs are NDJSON or JSON arrays (Mixpanel's raw export, `/import`
//! bodies), HAR 1.2 captures, and raw request bodies as the official SDKs
//! send them (see `shared/MIXPANEL.md` and `docs/inputs.md`). Anything that
//! cannot be decoded becomes a [`DecodeError`] for that record; the rest of
//! the input is still read.

pub mod array;
pub mod detect;
pub mod har;
pub mod input;
pub mod ndjson;
pub mod request;
#[cfg(test)]
mod test_support;

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
    /// A row of a table or file read by a SQL engine, named by its
    /// `$insert_id` (rows have no stable line number there).
    Row {
        /// The row's insert id, if it has one.
        insert_id: Option<String>,
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
            } => {
                // Long GET URLs carry the whole payload; the JSON report
                // keeps them whole.
                let shown: String = request.chars().take(96).collect();
                let more = if shown.len() < request.len() {
                    "…"
                } else {
                    ""
                };
                write!(
                    f,
                    "{} entry {entry} ({shown}{more}) record {record}",
                    self.file
                )
            }
            Location::Body { record } => write!(f, "{} record {record}", self.file),
            Location::Row {
                insert_id: Some(id),
            } => write!(f, "{} insert id {id}", self.file),
            Location::Row { insert_id: None } => {
                write!(f, "{} (a row without insert id)", self.file)
            }
        }
    }
}

/// Undecoded bytes of one record (or one batch), to be decoded by a worker
/// thread: the I/O stage only splits the input, the CPU stage parses it.
#[derive(Debug, Clone)]
pub struct Raw {
    /// The JSON text.
    pub bytes: Vec<u8>,
    /// Where it is.
    pub source: Source,
    /// The kind, when the input says (an endpoint); else from the shape.
    pub kind: Option<RecordKind>,
}

/// What an input reader yields, in input order.
#[derive(Debug, Clone)]
pub enum Chunk {
    /// Already decoded.
    Item(Item),
    /// To be decoded with [`Raw::decode`].
    Raw(Raw),
    /// Many NDJSON lines in one buffer.
    Block(Block),
}

/// Consecutive NDJSON lines read into one buffer (one allocation for a few
/// hundred records), each decoded by a worker thread.
#[derive(Debug, Clone)]
pub struct Block {
    /// The lines' bytes, back to back, without their newlines.
    pub data: Vec<u8>,
    /// Each line: its number (1-based) and byte range in `data`.
    pub lines: Vec<(u64, std::ops::Range<usize>)>,
    /// The input file.
    pub file: Arc<str>,
    /// The kind, when the input says.
    pub kind: Option<RecordKind>,
}

impl Block {
    /// Where line `number` is.
    pub fn source(&self, number: u64) -> Source {
        Source {
            file: Arc::clone(&self.file),
            location: Location::Line(number),
        }
    }

    /// One line as a [`Raw`] to decode.
    pub fn raw(&self, number: u64, range: std::ops::Range<usize>) -> Raw {
        Raw {
            bytes: self.data.get(range).unwrap_or_default().to_vec(),
            source: self.source(number),
            kind: self.kind,
        }
    }
}

impl Chunk {
    /// Decodes the chunk on this thread, in input order. `check` decodes
    /// chunks on its worker threads instead; this is for simple callers.
    pub fn into_items(self) -> Vec<Item> {
        match self {
            Chunk::Item(item) => vec![item],
            Chunk::Raw(raw) => raw.decode(),
            Chunk::Block(block) => block
                .lines
                .iter()
                .flat_map(|(number, range)| block.raw(*number, range.clone()).decode())
                .collect(),
        }
    }
}

impl Raw {
    /// Parses the JSON text into records: one object, or an array of them.
    pub fn decode(self) -> Vec<Item> {
        let Raw {
            bytes,
            source,
            kind,
        } = self;
        let value = match serde_json::from_slice::<Value>(&bytes) {
            Ok(v) => v,
            Err(e) => return vec![error(source, json_error("invalid JSON", &e, &bytes))],
        };
        records(value, kind, &source)
    }
}

/// Records from a parsed JSON value: an object is one record, an array a
/// batch of them.
pub fn records(value: Value, kind: Option<RecordKind>, source: &Source) -> Vec<Item> {
    match value {
        Value::Array(items) => items
            .into_iter()
            .enumerate()
            .map(|(i, v)| record(v, kind, source.with_record(i)))
            .collect(),
        v => vec![record(v, kind, source.clone())],
    }
}

fn record(value: Value, kind: Option<RecordKind>, source: Source) -> Item {
    let kind = match kind {
        Some(kind) if value.is_object() => kind,
        _ => match classify(&value) {
            Ok(kind) => kind,
            Err(message) => return error(source, message),
        },
    };
    Item::Record(Record {
        kind,
        value,
        source,
    })
}

/// The kind of a record from its shape: `event` makes an event,
/// `$group_key` a group update, `$distinct_id` or an operation such as
/// `$set` a profile update.
pub fn classify(value: &Value) -> Result<RecordKind, String> {
    let Some(map) = value.as_object() else {
        return Err(format!(
            "expected a JSON object, found {}",
            crate::check::violation::describe(value)
        ));
    };
    if map.contains_key("event") {
        Ok(RecordKind::Event)
    } else if map.contains_key("$group_key") {
        Ok(RecordKind::Group)
    } else if map.contains_key("$distinct_id")
        || [
            "$set",
            "$set_once",
            "$add",
            "$union",
            "$append",
            "$remove",
            "$unset",
            "$delete",
        ]
        .iter()
        .any(|op| map.contains_key(*op))
    {
        Ok(RecordKind::Profile)
    } else {
        Err("not a Mixpanel event, profile update or group update (no `event`, `$distinct_id` or `$group_key`)".to_owned())
    }
}

/// A decoding failure as an item.
pub fn error(source: Source, message: impl Into<String>) -> Item {
    Item::Error(DecodeError {
        source,
        message: message.into(),
    })
}

/// A serde_json error said with its line and column, and a hint when the
/// text is not JSON at all or not UTF-8. Only called on the error path.
pub fn json_error(what: &str, err: &serde_json::Error, text: &[u8]) -> String {
    let start = text.iter().find(|b| !b.is_ascii_whitespace()).copied();
    let hint = match start {
        Some(b'<') => " (this looks like HTML or XML, not Mixpanel JSON)",
        Some(b'{' | b'[') | None => "",
        Some(_) => " (this does not look like JSON)",
    };
    let utf8 = match std::str::from_utf8(text) {
        Ok(_) => String::new(),
        Err(e) => format!(
            " (the text is not valid UTF-8: byte {} starts an invalid sequence)",
            e.valid_up_to() + 1
        ),
    };
    // serde_json's message ends with "at line L column C".
    format!("{what}: {err}{hint}{utf8}")
}

impl Source {
    /// The same place, naming one record of a batch.
    pub fn with_record(&self, index: usize) -> Source {
        let location = match &self.location {
            Location::Har { entry, request, .. } => Location::Har {
                entry: *entry,
                request: request.clone(),
                record: index,
            },
            Location::Body { .. } => Location::Body { record: index },
            other => other.clone(),
        };
        Source {
            file: Arc::clone(&self.file),
            location,
        }
    }
}
