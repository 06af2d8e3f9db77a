//! Opening an input: a file or stdin, gzip or not, its format detected from
//! its first bytes unless given, read as a stream of [`Chunk`]s.
//!
//! Detection: `{"log"` starts a HAR file; any other `{` starts NDJSON; `[`
//! starts a JSON array; anything else is a raw request body, which needs
//! `--endpoint`.

use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::Path;
use std::sync::Arc;

use super::request::{self, Request};
use super::{Chunk, Endpoint, Location, Source, array, har, ndjson};

/// What an input holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum InputFormat {
    /// Detect from the content.
    Auto,
    /// One JSON record (or batch array) per line.
    Ndjson,
    /// One JSON array of records.
    Json,
    /// A HAR 1.2 capture.
    Har,
    /// One raw request body as an SDK sends it (needs `--endpoint`).
    Body,
}

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
    let name: Arc<str> = path.display().to_string().into();
    let raw: Box<dyn Read + Send> = if path == Path::new("-") {
        Box::new(io::stdin())
    } else {
        Box::new(
            File::open(path)
                .map_err(|e| io::Error::new(e.kind(), format!("cannot read `{name}`: {e}")))?,
        )
    };
    let mut reader = BufReader::with_capacity(1 << 20, raw);
    let gzip = reader.fill_buf()?.starts_with(&[0x1f, 0x8b]);
    let mut reader: Box<dyn BufRead + Send> = if gzip {
        Box::new(BufReader::with_capacity(
            1 << 20,
            flate2::read::MultiGzDecoder::new(reader),
        ))
    } else {
        Box::new(reader)
    };
    let format = match format {
        InputFormat::Auto => detect(&mut reader, endpoint)
            .map_err(|m| io::Error::new(io::ErrorKind::InvalidData, format!("`{name}`: {m}")))?,
        other => other,
    };
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

fn detect(
    reader: &mut Box<dyn BufRead + Send>,
    endpoint: Option<Endpoint>,
) -> Result<InputFormat, String> {
    let head = reader.fill_buf().map_err(|e| e.to_string())?;
    let head = head.trim_ascii_start();
    match head.first() {
        None => Ok(InputFormat::Ndjson),
        Some(b'[') => Ok(InputFormat::Json),
        Some(b'{') => {
            let after = head[1..].trim_ascii_start();
            if after.starts_with(b"\"log\"") {
                Ok(InputFormat::Har)
            } else if endpoint.is_some() && !head.contains(&b'\n') {
                Ok(InputFormat::Body)
            } else {
                Ok(InputFormat::Ndjson)
            }
        }
        Some(_) if endpoint.is_some() => Ok(InputFormat::Body),
        Some(_) => Err("cannot tell what this input holds (not NDJSON, a JSON array or a HAR file); for a raw request body pass `--endpoint track|engage|groups|import`, or say the format with `--input-format`".to_owned()),
    }
}
