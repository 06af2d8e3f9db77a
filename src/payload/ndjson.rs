//! NDJSON: one record (or one batch array) per line, streamed with flat
//! memory. Lines are only split here; parsing happens in the worker
//! threads ([`super::Raw::decode`]), or on the caller's thread with
//! [`super::Chunk::into_items`].
//!
//! - Lines end with `\n` (a `\r` before it is JSON whitespace); a last line
//!   without one is read too. Blank lines are skipped but counted.
//! - A line longer than [`MAX_LINE`] is one error ("line N is L bytes,
//!   longer than the 16777216-byte limit"); it is read through in the
//!   reader's buffer-sized pieces without being kept, and reading goes on
//!   at the next line.
//! - Invalid UTF-8, invalid JSON (with line and column) and nesting deeper
//!   than serde_json's recursion limit (128) are errors for that line only.
//! - A record's kind comes from the endpoint when one is given, else from
//!   its shape ([`super::classify`]).

use std::io::BufRead;
use std::sync::Arc;

use super::{Block, Chunk, Location, RecordKind, Source, error};

/// Longest line kept; a longer one is one error, skipped without being held
/// in memory.
pub const MAX_LINE: usize = 16 * 1024 * 1024;

/// Bytes of lines gathered into one [`Block`] before it is handed on.
pub const BLOCK_BYTES: usize = 256 * 1024;

/// The lines of an NDJSON stream.
pub struct Lines<R> {
    reader: R,
    file: Arc<str>,
    kind: Option<RecordKind>,
    number: u64,
    done: bool,
    /// A line-too-long error to yield after the block it ended.
    pending: Option<Chunk>,
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
            pending: None,
        }
    }

    fn source(&self) -> Source {
        Source {
            file: Arc::clone(&self.file),
            location: Location::Line(self.number),
        }
    }

    /// Appends one line to `line`; returns its full length (which may be
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
                line.extend_from_slice(buf.get(..take).unwrap_or_default());
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
        if let Some(pending) = self.pending.take() {
            return Some(pending);
        }
        let mut block = Block {
            data: Vec::with_capacity(BLOCK_BYTES + 4096),
            lines: Vec::new(),
            file: Arc::clone(&self.file),
            kind: self.kind,
        };
        while !self.done && block.data.len() < BLOCK_BYTES {
            let start = block.data.len();
            let read = self.read_line(&mut block.data);
            self.number += 1;
            match read {
                Err(e) => {
                    block.data.truncate(start);
                    self.done = true;
                    self.pending = Some(Chunk::Item(error(
                        self.source(),
                        format!("reading stopped: {e}"),
                    )));
                }
                Ok((_, true)) => self.done = true,
                Ok((length, false)) if length > MAX_LINE => {
                    block.data.truncate(start);
                    let message = format!(
                        "line {} is {length} bytes, longer than the {MAX_LINE}-byte limit",
                        self.number
                    );
                    self.pending = Some(Chunk::Item(error(self.source(), message)));
                    break;
                }
                Ok(_)
                    if block
                        .data
                        .get(start..)
                        .is_none_or(|l| l.trim_ascii().is_empty()) =>
                {
                    block.data.truncate(start)
                }
                Ok(_) => block.lines.push((self.number, start..block.data.len())),
            }
        }
        if block.lines.is_empty() {
            return self.pending.take();
        }
        Some(Chunk::Block(block))
    }
}

#[cfg(test)]
mod tests;
