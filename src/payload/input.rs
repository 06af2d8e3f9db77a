//! Opening an input: a file or stdin, gzip or not, its format detected from
//! its first bytes unless given, read as a stream of [`Chunk`]s.
//!
//! The format is given, or detected from the first buffered bytes (up to
//! 1 MiB, after gzip) by [`detect`](super::detect::detect). A file starting
//! with the gzip magic bytes `1f 8b` is decompressed as it streams
//! (concatenated members too). NDJSON and JSON arrays stream with flat
//! memory; a HAR file or a raw body is read whole (at most
//! [`MAX_WHOLE_FILE`]).

use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::Path;
use std::sync::Arc;

pub use super::detect::InputFormat;
use super::detect::detect;
use super::request::{self, Request};
use super::{Chunk, Endpoint, Item, Location, Source, array, har, ndjson};

/// Largest HAR or raw body read into memory.
pub const MAX_WHOLE_FILE: u64 = 1024 * 1024 * 1024;

/// The chunks of one input.
pub type Chunks = Box<dyn Iterator<Item = Chunk> + Send>;

/// Opens `path` (`-` for stdin) and streams its records.
pub fn read_input(
    path: &Path,
    format: InputFormat,
    endpoint: Option<Endpoint>,
) -> io::Result<Chunks> {
    read_from(
        open(path)?,
        path.display().to_string().into(),
        format,
        endpoint,
    )
}

/// Opens `path` for [`read_from`]: the file, or standard input for `-`.
pub fn open(path: &Path) -> io::Result<Box<dyn Read + Send>> {
    if path == Path::new("-") {
        return Ok(Box::new(io::stdin()));
    }
    let file = File::open(path)
        .map_err(|e| io::Error::new(e.kind(), format!("cannot read `{}`: {e}", path.display())))?;
    Ok(Box::new(file))
}

/// A reader that adds the bytes it reads to a counter another thread may
/// read: how far into its input a check is, for a progress bar.
pub struct Counted<R> {
    inner: R,
    read: Arc<std::sync::atomic::AtomicU64>,
}

impl<R: Read> Counted<R> {
    /// Counts what `inner` reads into `read`.
    pub fn new(inner: R, read: Arc<std::sync::atomic::AtomicU64>) -> Self {
        Counted { inner, read }
    }
}

impl<R: Read> Read for Counted<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.read
            .fetch_add(n as u64, std::sync::atomic::Ordering::Relaxed);
        Ok(n)
    }
}

/// Streams the records of an input already open, named `name` in reports:
/// gzip unwrapped, the format detected unless given.
pub fn read_from(
    raw: Box<dyn Read + Send>,
    name: Arc<str>,
    format: InputFormat,
    endpoint: Option<Endpoint>,
) -> io::Result<Chunks> {
    // Pipes may hand over a few bytes at a time: read enough to see the
    // gzip magic, then enough of the text to tell its format.
    let raw = peek(raw, |head| head.len() >= 2)?;
    let gzip = raw.get_ref().0.get_ref().starts_with(&[0x1f, 0x8b]);
    let text: Box<dyn Read + Send> = if gzip {
        Box::new(flate2::read::MultiGzDecoder::new(raw))
    } else {
        Box::new(raw)
    };
    let text = peek(text, settled)?;
    let format = match format {
        InputFormat::Auto => detect(text.get_ref().0.get_ref(), endpoint)
            .map_err(|m| io::Error::new(io::ErrorKind::InvalidData, format!("`{name}`: {m}")))?,
        other => other,
    };
    let reader: Box<dyn BufRead + Send> = Box::new(BufReader::with_capacity(1 << 20, text));
    let kind = endpoint.map(request::kind_of);
    Ok(match format {
        InputFormat::Ndjson | InputFormat::Auto => Box::new(ndjson::Lines::new(reader, name, kind)),
        InputFormat::Json => Box::new(array::Elements::new(reader, name, kind)),
        InputFormat::Har => {
            let text = whole(reader, &name)?;
            Box::new(har::stream(Arc::clone(&name), text).map(Chunk::Item))
        }
        InputFormat::Body => {
            let Some(endpoint) = endpoint else {
                return Err(io::Error::new(
                    io::ErrorKind::InvalidInput,
                    "a raw request body needs `--endpoint track|engage|groups|import`",
                ));
            };
            let body = whole(reader, &name)?;
            let source = Source {
                file: Arc::clone(&name),
                location: Location::Body { record: 0 },
            };
            let trimmed = body.trim_ascii();
            // A body saved with its query string (`data=...`) or bare.
            let request = Request {
                method: "POST",
                url: "/",
                content_type: None,
                content_encoding: None,
                body: trimmed,
            };
            let items = if trimmed.starts_with(b"{")
                || trimmed.starts_with(b"[")
                || request::field(trimmed, b"data").is_some()
            {
                request::decode(&request, endpoint, &source)
            } else {
                // A bare base64 payload, as some tools save a `data` value.
                let wrapped = [b"data=".as_slice(), trimmed].concat();
                request::decode(
                    &Request {
                        body: &wrapped,
                        ..request
                    },
                    endpoint,
                    &source,
                )
            };
            Box::new(items.into_iter().map(Chunk::Item))
        }
    })
}

/// Opens `path` (`-` for stdin) and yields its decoded [`Item`]s in input
/// order, decoding on the calling thread (what `check` spreads over its
/// workers). Errors opening or detecting the input are the `Err`; errors
/// inside it are [`Item::Error`]s.
pub fn items(
    path: &Path,
    format: InputFormat,
    endpoint: Option<Endpoint>,
) -> io::Result<impl Iterator<Item = Item> + Send> {
    Ok(read_input(path, format, endpoint)?.flat_map(Chunk::into_items))
}

/// Most bytes read ahead to tell an input's format.
pub const PEEK: usize = 64 * 1024;

/// Reads from `reader` until `enough` says the bytes read tell what is
/// needed (or [`PEEK`] bytes, or the end), and gives them back in front of
/// the rest.
fn peek<R: Read>(
    mut reader: R,
    enough: fn(&[u8]) -> bool,
) -> io::Result<io::Chain<io::Cursor<Vec<u8>>, R>> {
    let mut head = Vec::new();
    let mut buf = [0u8; 8192];
    while head.len() < PEEK && !enough(&head) {
        match reader.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => head.extend_from_slice(buf.get(..n).unwrap_or_default()),
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(io::Cursor::new(head).chain(reader))
}

/// Whether `head` is enough for [`detect`]: its first byte, and for a `{`
/// the next token and whether a second line follows the first.
fn settled(head: &[u8]) -> bool {
    let text = head.trim_ascii_start();
    match text.split_first() {
        None => false,
        Some((b'{', after)) => {
            let after = after.trim_ascii_start();
            let second_line = after
                .iter()
                .position(|b| *b == b'\n')
                .and_then(|i| after.get(i..))
                .is_some_and(|rest| !rest.trim_ascii().is_empty());
            after.len() >= 5 && second_line
        }
        Some(_) => true,
    }
}

fn whole(reader: Box<dyn BufRead + Send>, name: &str) -> io::Result<Vec<u8>> {
    let mut text = Vec::new();
    reader.take(MAX_WHOLE_FILE + 1).read_to_end(&mut text)?;
    if text.len() as u64 > MAX_WHOLE_FILE {
        return Err(io::Error::new(
            io::ErrorKind::InvalidData,
            format!("`{name}` is larger than {MAX_WHOLE_FILE} bytes; split it, or export NDJSON"),
        ));
    }
    Ok(text)
}

#[cfg(test)]
mod tests;
