//! Source files: the text of a plan (or any input) with the index that turns
//! byte offsets into the 1-based line and column numbers users see.
//!
//! Every diagnostic points into a [`SourceFile`]; files are shared behind an
//! [`Arc`] so a diagnostic can outlive the loader that produced it.

use std::path::Path;
use std::sync::Arc;

use miette::{MietteError, MietteSpanContents, SourceCode, SourceSpan, SpanContents};

/// Largest plan file trackplan reads. A real plan is a few hundred kilobytes
/// at most; anything larger is almost certainly the wrong file.
pub const MAX_PLAN_BYTES: u64 = 16 * 1024 * 1024;

/// The text of one file, with its display name and a line index.
#[derive(Debug)]
pub struct SourceFile {
    name: String,
    text: String,
    line_starts: Vec<usize>,
}

/// A 1-based line and column; columns count Unicode characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Position {
    /// Line number, starting at 1.
    pub line: usize,
    /// Column number in characters, starting at 1.
    pub column: usize,
}

/// Why a file could not be read as text.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum ReadError {
    /// The file could not be opened or read.
    #[error("cannot read `{path}`: {source}")]
    Io {
        /// The path as the user gave it.
        path: String,
        /// The underlying error.
        source: std::io::Error,
    },
    /// The file is larger than [`MAX_PLAN_BYTES`].
    #[error("`{path}` is {size} bytes; plan files are limited to {limit} bytes")]
    #[diagnostic(help("split the plan into files joined with `include` (docs/plan-format.md)"))]
    TooLarge {
        /// The path as the user gave it.
        path: String,
        /// The file's size.
        size: u64,
        /// The limit.
        limit: u64,
    },
    /// The path is a pipe, a device or a socket: reading it could block
    /// forever or never end.
    #[error(
        "`{path}` is {kind}, not a file; trackplan reads plans and templates from regular files"
    )]
    #[diagnostic(help("write what it gives to a file first, and pass the file"))]
    NotAFile {
        /// The path as the user gave it.
        path: String,
        /// What it is (`a named pipe`, `a device`).
        kind: &'static str,
    },
    /// The file is not UTF-8 text.
    #[error("`{path}` is not UTF-8 text: invalid byte at offset {offset} (line {line})")]
    #[diagnostic(help("save the file as UTF-8"))]
    NotUtf8 {
        /// The path as the user gave it.
        path: String,
        /// Byte offset of the first invalid byte.
        offset: usize,
        /// Line of the first invalid byte.
        line: usize,
    },
}

impl SourceFile {
    /// Wraps text already in memory.
    pub fn new(name: impl Into<String>, text: impl Into<String>) -> Arc<Self> {
        let text = text.into();
        let mut line_starts = vec![0];
        line_starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        Arc::new(Self {
            name: name.into(),
            text,
            line_starts,
        })
    }

    /// Reads a file from disk, refusing files over `limit` bytes, files
    /// that are not regular files, and files that are not UTF-8.
    pub fn read(path: &Path, limit: u64) -> Result<Arc<Self>, ReadError> {
        let shown = path.display().to_string();
        let bytes = read_bytes(path, limit)?;
        match String::from_utf8(bytes) {
            Ok(text) => Ok(Self::new(shown, text)),
            Err(err) => {
                let offset = err.utf8_error().valid_up_to();
                let line = 1 + err.as_bytes()[..offset]
                    .iter()
                    .filter(|b| **b == b'\n')
                    .count();
                Err(ReadError::NotUtf8 {
                    path: shown,
                    offset,
                    line,
                })
            }
        }
    }

    /// Reads a file from disk as text, like [`SourceFile::read`], without
    /// the line index.
    pub fn read_text(path: &Path, limit: u64) -> Result<String, ReadError> {
        Self::read(path, limit).map(|f| f.text.clone())
    }

    /// The name shown to users (the path as given).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The whole text.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The line and column of a byte offset (clamped to the text).
    pub fn position(&self, offset: usize) -> Position {
        let offset = self.floor_char_boundary(offset.min(self.text.len()));
        let line = self.line_starts.partition_point(|start| *start <= offset);
        let start = self.line_starts[line - 1];
        let column = self.text[start..offset].chars().count() + 1;
        Position { line, column }
    }

    /// The byte offset of a 1-based line and a 0-based character column, as
    /// YAML parsers report them.
    pub fn offset_of(&self, line: usize, char_column: usize) -> usize {
        let Some(start) = line.checked_sub(1).and_then(|i| self.line_starts.get(i)) else {
            return self.text.len();
        };
        let rest = &self.text[*start..];
        let in_line = rest
            .char_indices()
            .nth(char_column)
            .map_or(rest.len(), |(i, _)| i);
        start + in_line
    }

    fn floor_char_boundary(&self, mut offset: usize) -> usize {
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        offset
    }

    /// The 0-based index of the line holding byte `offset`.
    fn line_index(&self, offset: usize) -> usize {
        self.line_starts.partition_point(|start| *start <= offset) - 1
    }

    /// The byte range of line `index` (0-based), its newline left out.
    fn line_range(&self, index: usize) -> std::ops::Range<usize> {
        let start = self.line_starts[index];
        let end = self
            .line_starts
            .get(index + 1)
            .map_or(self.text.len(), |next| next - 1);
        start..end.max(start)
    }

    /// `offset` moved back (or forward) by up to `chars` characters, within
    /// `bounds`.
    fn step(
        &self,
        offset: usize,
        chars: usize,
        forward: bool,
        bounds: &std::ops::Range<usize>,
    ) -> usize {
        if forward {
            self.text[offset..bounds.end]
                .char_indices()
                .nth(chars)
                .map_or(bounds.end, |(i, _)| offset + i)
        } else {
            self.text[bounds.start..offset]
                .char_indices()
                .rev()
                .nth(chars.saturating_sub(1))
                .map_or(bounds.start, |(i, _)| bounds.start + i)
        }
    }

    /// `span` cut to at most [`SNIPPET_CHARS`] characters, as a label a
    /// snippet can show.
    pub fn clip(&self, span: std::ops::Range<usize>) -> std::ops::Range<usize> {
        let len = self.text.len();
        let start = self.floor_char_boundary(span.start.min(len));
        let end = self.floor_char_boundary(span.end.min(len)).max(start);
        let cut = self.step(start, SNIPPET_CHARS, true, &(start..end));
        start..cut
    }
}

/// The bytes of the regular file at `path`, at most `limit` of them: a
/// pipe or a device (`/dev/zero`, a FIFO that would block) is refused
/// before it is opened, and no more than `limit + 1` bytes are ever read,
/// whatever the file says its size is.
pub fn read_bytes(path: &Path, limit: u64) -> Result<Vec<u8>, ReadError> {
    use std::io::Read;
    let shown = path.display().to_string();
    let io = |source| ReadError::Io {
        path: shown.clone(),
        source,
    };
    let metadata = std::fs::metadata(path).map_err(io)?;
    if !metadata.is_file() {
        return Err(ReadError::NotAFile {
            path: shown,
            kind: kind_of(&metadata.file_type()),
        });
    }
    let too_large = |size| ReadError::TooLarge {
        path: shown.clone(),
        size,
        limit,
    };
    if metadata.len() > limit {
        return Err(too_large(metadata.len()));
    }
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .and_then(|f| f.take(limit.saturating_add(1)).read_to_end(&mut bytes))
        .map_err(io)?;
    if bytes.len() as u64 > limit {
        return Err(too_large(bytes.len() as u64));
    }
    Ok(bytes)
}

/// What a path that is not a regular file is, in words.
fn kind_of(t: &std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_fifo() {
            return "a named pipe";
        }
        if t.is_char_device() || t.is_block_device() {
            return "a device";
        }
        if t.is_socket() {
            return "a socket";
        }
    }
    if t.is_dir() {
        "a directory"
    } else {
        "not a regular file"
    }
}

/// Lines longer than this many bytes are shown as a window around the
/// label, without context lines, so a mistake at column 70,000 renders.
const LONG_LINE_BYTES: usize = 400;

/// How many characters a snippet shows on each side of a label in a long
/// line, and the most a label underlines.
pub const SNIPPET_CHARS: usize = 120;

/// The text miette shows for a span, found through the line index (not by
/// scanning the file, which made many diagnostics quadratic): whole lines
/// with their context, or, for a line too long to show, a window of it
/// around the span.
impl SourceCode for SourceFile {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let len = self.text.len();
        if span.offset() > len {
            return Err(MietteError::OutOfBounds);
        }
        let start = self.floor_char_boundary(span.offset());
        let end = self
            .floor_char_boundary((span.offset() + span.len()).min(len))
            .max(start);
        let first = self.line_index(start);
        let last = self.line_index(if end > start { end - 1 } else { end });
        let long = |i: usize| self.line_range(i).len() > LONG_LINE_BYTES;
        let (data, line, column) = if (first..=last).any(long) {
            let lines = self.line_starts[first]..self.line_range(last).end;
            // Without context (the report's header), the span's own place.
            let from = if context_lines_before == 0 {
                start
            } else {
                self.step(start, SNIPPET_CHARS, false, &lines)
            };
            let to = self.step(end, SNIPPET_CHARS, true, &lines);
            let column = self.text[lines.start..from].chars().count();
            (from..to, first, column)
        } else {
            let mut before = first.saturating_sub(context_lines_before);
            while before < first && long(before) {
                before += 1;
            }
            let mut after = (last + context_lines_after).min(self.line_starts.len() - 1);
            while after > last && long(after) {
                after -= 1;
            }
            let through = self.line_starts.get(after + 1).copied().unwrap_or(len);
            if context_lines_before == 0 {
                let column = self.text[self.line_starts[first]..start].chars().count();
                (start..through, first, column)
            } else {
                (self.line_starts[before]..through, before, 0)
            }
        };
        let line_count = last + 1 - line.min(last);
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.clone(),
            &self.text.as_bytes()[data.clone()],
            (data.start, data.len()).into(),
            line,
            column,
            line_count,
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_characters_not_bytes() {
        let file = SourceFile::new("t.yaml", "a: 1\nnäme: é\n");
        assert_eq!(file.position(0), Position { line: 1, column: 1 });
        let offset = file.text().find('é').unwrap();
        assert_eq!(file.position(offset), Position { line: 2, column: 7 });
        assert_eq!(file.offset_of(2, 6), offset);
    }

    #[test]
    fn offset_past_the_end_is_clamped() {
        let file = SourceFile::new("t.yaml", "a");
        assert_eq!(file.position(99), Position { line: 1, column: 2 });
        assert_eq!(file.offset_of(7, 0), 1);
    }
}
