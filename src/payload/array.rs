//! A JSON array of records (an `/import` body, an exported file), split
//! into its elements as it streams, so memory holds one element at a time.
//! Elements are parsed in the worker threads.
//!
//! The splitter only tracks strings (with their escapes) and bracket depth
//! (a counter, so any nesting is safe here; serde_json's recursion limit
//! then refuses elements nested deeper than 128). An element longer than
//! [`MAX_LINE`] is one error and is skipped without being kept; an empty
//! element (`[1,,2]`, a trailing comma) is one error; a file that ends
//! before `]` yields its complete elements then one error; text after the
//! closing `]` is one error.

use std::io::BufRead;
use std::sync::Arc;

use super::ndjson::MAX_LINE;
use super::{Chunk, Location, Raw, RecordKind, Source, error};

/// The elements of a top-level JSON array.
pub struct Elements<R> {
    reader: R,
    file: Arc<str>,
    kind: Option<RecordKind>,
    index: u64,
    state: State,
}

#[derive(PartialEq, Eq)]
enum State {
    Start,
    Inside,
    /// After the closing `]`: only whitespace may follow.
    After,
    Done,
}

impl<R: BufRead> Elements<R> {
    /// Splits the array in `reader`.
    pub fn new(reader: R, file: Arc<str>, kind: Option<RecordKind>) -> Self {
        Self {
            reader,
            file,
            kind,
            index: 0,
            state: State::Start,
        }
    }

    fn source(&self) -> Source {
        Source {
            file: Arc::clone(&self.file),
            location: Location::Element(self.index),
        }
    }

    fn byte(&mut self) -> std::io::Result<Option<u8>> {
        let buf = self.reader.fill_buf()?;
        let Some(&b) = buf.first() else {
            return Ok(None);
        };
        self.reader.consume(1);
        Ok(Some(b))
    }

    /// Reads one element; returns its bytes (empty when over the limit),
    /// its length, and the byte that ended it (`,` or `]`), if any.
    fn element(&mut self) -> std::io::Result<(Vec<u8>, usize, Option<u8>)> {
        let (mut out, mut length, mut depth) = (Vec::new(), 0usize, 0usize);
        let (mut in_string, mut escaped) = (false, false);
        loop {
            let Some(b) = self.byte()? else {
                return Ok((out, length, None));
            };
            if in_string {
                if escaped {
                    escaped = false;
                } else if b == b'\\' {
                    escaped = true;
                } else if b == b'"' {
                    in_string = false;
                }
            } else {
                match b {
                    b'"' => in_string = true,
                    b'{' | b'[' => depth += 1,
                    b'}' | b']' if depth > 0 => depth -= 1,
                    b',' | b']' if depth == 0 => return Ok((out, length, Some(b))),
                    _ => {}
                }
            }
            length += 1;
            if length <= MAX_LINE {
                out.push(b);
            } else if length == MAX_LINE + 1 {
                out = Vec::new();
            }
        }
    }
}

impl<R: BufRead> Iterator for Elements<R> {
    type Item = Chunk;

    fn next(&mut self) -> Option<Chunk> {
        loop {
            match self.state {
                State::Done => return None,
                State::After => {
                    self.state = State::Done;
                    loop {
                        match self.byte() {
                            Ok(Some(b)) if b.is_ascii_whitespace() => continue,
                            Ok(None) => return None,
                            Ok(Some(_)) => {
                                return Some(Chunk::Item(error(
                                    self.source(),
                                    "text after the array's closing `]` (one array per file; use NDJSON for several)",
                                )));
                            }
                            Err(e) => {
                                return Some(Chunk::Item(error(
                                    self.source(),
                                    format!("reading stopped: {e}"),
                                )));
                            }
                        }
                    }
                }
                State::Start => {
                    self.state = State::Done;
                    loop {
                        match self.byte() {
                            Ok(Some(b)) if b.is_ascii_whitespace() => continue,
                            Ok(Some(b'[')) => {
                                self.state = State::Inside;
                                break;
                            }
                            Ok(_) => {
                                return Some(Chunk::Item(error(
                                    self.source(),
                                    "expected a JSON array of records",
                                )));
                            }
                            Err(e) => {
                                return Some(Chunk::Item(error(
                                    self.source(),
                                    format!("reading stopped: {e}"),
                                )));
                            }
                        }
                    }
                }
                State::Inside => {
                    let (bytes, length, end) = match self.element() {
                        Ok(found) => found,
                        Err(e) => {
                            self.state = State::Done;
                            return Some(Chunk::Item(error(
                                self.source(),
                                format!("reading stopped: {e}"),
                            )));
                        }
                    };
                    let source = self.source();
                    self.index += 1;
                    match end {
                        Some(b']') => self.state = State::After,
                        None => self.state = State::Done,
                        _ => {}
                    }
                    if end.is_none() {
                        return Some(Chunk::Item(error(
                            source,
                            "the array ends before its closing `]` (truncated file?)",
                        )));
                    }
                    if length > MAX_LINE {
                        return Some(Chunk::Item(error(
                            source,
                            format!(
                                "element is {length} bytes, longer than the {MAX_LINE}-byte limit"
                            ),
                        )));
                    }
                    if bytes.trim_ascii().is_empty() {
                        if end == Some(b']') && source.location == Location::Element(0) {
                            continue;
                        }
                        return Some(Chunk::Item(error(source, "empty element in the array")));
                    }
                    return Some(Chunk::Raw(Raw {
                        bytes,
                        source,
                        kind: self.kind,
                    }));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests;
