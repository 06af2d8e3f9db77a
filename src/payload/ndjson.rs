//! NDJSON: one record (or one batch array) per line, streamed with flat
//! memory. Lines are only split here; parsing happens in the worker
//! threads ([`super::Raw::decode`]).

use std::io::BufRead;
use std::sync::Arc;

use super::{Chunk, Location, Raw, RecordKind, Source, error};

/// Longest line kept; a longer one is one error, skipped without being held
/// in memory.
pub const MAX_LINE: usize = 16 * 1024 * 1024;

/// The lines of an NDJSON stream.
pub struct Lines<R> {
    reader: R,
    file: Arc<str>,
    kind: Option<RecordKind>,
    number: u64,
    done: bool,
}

impl<R: BufRead> Lines<R> {
    /// Splits `reader` into lines of `file`.
    pub fn new(reader: R, file: Arc<str>, kind: Option<RecordKind>) -> Self {
        Self {
            reader,
            file,
            kind,
            number: 0,
            done: false,
        }
    }

    fn source(&self) -> Source {
        Source {
            file: Arc::clone(&self.file),
            location: Location::Line(self.number),
        }
    }

    /// Reads one line into `line`; returns its full length (which may be
    /// more than was kept) and whether the stream ended before it.
    fn read_line(&mut self, line: &mut Vec<u8>) -> std::io::Result<(usize, bool)> {
        let mut length = 0;
        loop {
            let buf = self.reader.fill_buf()?;
            if buf.is_empty() {
                return Ok((length, length == 0));
            }
            let (take, end) = match memchr::memchr(b'\n', buf) {
                Some(i) => (i, true),
                None => (buf.len(), false),
            };
            if length + take <= MAX_LINE {
                line.extend_from_slice(&buf[..take]);
            }
            length += take;
            self.reader.consume(take + usize::from(end));
            if end {
                return Ok((length, false));
            }
        }
    }
}

impl<R: BufRead> Iterator for Lines<R> {
    type Item = Chunk;

    fn next(&mut self) -> Option<Chunk> {
        while !self.done {
            let mut line = Vec::new();
            let read = self.read_line(&mut line);
            self.number += 1;
            match read {
                Err(e) => {
                    self.done = true;
                    return Some(Chunk::Item(error(
                        self.source(),
                        format!("reading stopped: {e}"),
                    )));
                }
                Ok((_, true)) => self.done = true,
                Ok((length, false)) if length > MAX_LINE => {
                    let message = format!(
                        "line {} is {length} bytes, longer than the {MAX_LINE}-byte limit",
                        self.number
                    );
                    return Some(Chunk::Item(error(self.source(), message)));
                }
                Ok(_) if line.trim_ascii().is_empty() => {}
                Ok(_) => {
                    return Some(Chunk::Raw(Raw {
                        bytes: line,
                        source: self.source(),
                        kind: self.kind,
                    }));
                }
            }
        }
        None
    }
}
