//! HAR 1.2 captures (browser devtools, Playwright's `recordHar`,
//! mitmproxy): every request to a Mixpanel ingestion endpoint, decoded.
//!
//! The file is read into memory (the caller's choice: `input` caps it at
//! 1 GiB) and `log.entries` is walked by a serde visitor: each entry is
//! taken as raw JSON text borrowed from the file, parsed into [`Entry`],
//! decoded and handed on before the next one is read, so only one entry's
//! decoded bodies exist at a time beyond the file text. A truncated or
//! broken file yields every entry that parsed completely, then one error
//! saying where (line and column) the file breaks.

use std::borrow::Cow;
use std::fmt;
use std::sync::Arc;

use base64::Engine;
use serde::Deserialize;
use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::value::RawValue;

use super::request::{self, Request};
use super::{Item, Location, Source, error, json_error};

/// The parts of a HAR entry decoding needs.
#[derive(Debug, Deserialize)]
pub struct Entry {
    /// The request.
    pub request: HarRequest,
}

/// A HAR request.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct HarRequest {
    /// `GET`, `POST`, ...
    #[serde(default)]
    pub method: String,
    /// The full URL, with its query string.
    #[serde(default)]
    pub url: String,
    /// Request headers.
    #[serde(default)]
    pub headers: Vec<Header>,
    /// The body, if any.
    #[serde(default)]
    pub post_data: Option<PostData>,
}

/// A header.
#[derive(Debug, Deserialize)]
pub struct Header {
    /// Its name.
    #[serde(default)]
    pub name: String,
    /// Its value.
    #[serde(default)]
    pub value: String,
}

/// A request body.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PostData {
    /// Its media type.
    #[serde(default)]
    pub mime_type: Option<String>,
    /// Its text (base64 when `encoding` is `base64`).
    #[serde(default)]
    pub text: Option<String>,
    /// `base64` when `text` is base64 of the bytes.
    #[serde(default)]
    pub encoding: Option<String>,
    /// Form fields, when the tool gives them instead of `text`.
    #[serde(default)]
    pub params: Vec<Param>,
}

/// A form field.
#[derive(Debug, Deserialize)]
pub struct Param {
    /// Its name.
    #[serde(default)]
    pub name: String,
    /// Its value.
    #[serde(default)]
    pub value: Option<String>,
}

/// Reads the records of every ingestion request of a HAR file into one
/// vector. Convenient for small captures and tests; [`stream`] keeps memory
/// flat.
pub fn read(file: &Arc<str>, text: &[u8]) -> Vec<Item> {
    let mut items = Vec::new();
    for_each(file, text, &mut |item| {
        items.push(item);
        true
    });
    items
}

/// Calls `emit` with the records (and errors) of each entry as soon as
/// that entry has been parsed, in file order; entries are never all held at
/// once. Stops early when `emit` returns `false`.
///
/// An entry that is valid JSON but not a HAR entry (say `"request": 5`) is
/// one error and the next entry is still read. A file that is not JSON
/// past some point (truncated, broken) yields the records of every entry
/// before that point, then one error with the line and column where it
/// breaks.
pub fn for_each(file: &Arc<str>, text: &[u8], emit: &mut dyn FnMut(Item) -> bool) {
    let mut sink = Sink {
        file,
        emit,
        next: 0,
        stopped: false,
    };
    let mut deserializer = serde_json::Deserializer::from_slice(text);
    let parsed = de::Deserializer::deserialize_map(&mut deserializer, Root(&mut sink));
    if sink.stopped {
        return;
    }
    if let Err(e) = parsed.and_then(|()| deserializer.end()) {
        let source = Source {
            file: Arc::clone(file),
            location: Location::Line(e.line() as u64),
        };
        (sink.emit)(error(
            source,
            json_error("the HAR file is broken or truncated", &e, text),
        ));
    }
}

/// Streams the records of a HAR file from a background thread, one entry
/// at a time: memory holds the file text and the few entries' records
/// waiting in a small channel, not every record of the file.
pub fn stream(file: Arc<str>, text: Vec<u8>) -> impl Iterator<Item = Item> + Send {
    let (sender, receiver) = std::sync::mpsc::sync_channel(STREAM_DEPTH);
    let spawned = std::thread::Builder::new()
        .name("trackplan-har".to_owned())
        .spawn({
            let file = Arc::clone(&file);
            move || for_each(&file, &text, &mut |item| sender.send(item).is_ok())
        });
    let failed = spawned.err().map(|e| {
        error(
            Source {
                file,
                location: Location::Line(1),
            },
            format!("could not start reading the HAR file: {e}"),
        )
    });
    failed.into_iter().chain(receiver)
}

/// Records waiting between the HAR parsing thread and its reader.
pub const STREAM_DEPTH: usize = 256;

/// Records of one entry; nothing when it is not an ingestion request.
pub fn decode_entry(file: &Arc<str>, index: usize, entry: &Entry) -> Vec<Item> {
    let request = &entry.request;
    let Some(endpoint) = request::endpoint_of(&request.url) else {
        return Vec::new();
    };
    let source = Source {
        file: Arc::clone(file),
        location: Location::Har {
            entry: index,
            request: format!("{} {}", request.method, request.url),
            record: 0,
        },
    };
    let header = |name: &str| {
        request
            .headers
            .iter()
            .find(|h| h.name.eq_ignore_ascii_case(name))
            .map(|h| h.value.as_str())
    };
    let body = match body(request.post_data.as_ref()) {
        Ok(body) => body,
        Err(message) => return vec![error(source, message)],
    };
    let content_type = request
        .post_data
        .as_ref()
        .and_then(|p| p.mime_type.as_deref())
        .or_else(|| header("content-type"));
    let decoded = Request {
        method: &request.method,
        url: &request.url,
        content_type,
        content_encoding: header("content-encoding"),
        body: &body,
    };
    request::decode(&decoded, endpoint, &source)
}

fn body(post: Option<&PostData>) -> Result<Vec<u8>, String> {
    let Some(post) = post else {
        return Ok(Vec::new());
    };
    if let Some(text) = &post.text {
        if post.encoding.as_deref() == Some("base64") {
            return base64::engine::general_purpose::STANDARD
                .decode(text.trim())
                .map_err(|e| format!("the entry's body is marked base64 but is not: {e}"));
        }
        return Ok(text.as_bytes().to_vec());
    }
    // Tools that give only `params` have already URL-decoded the values;
    // re-encode them so the request decoder sees what was sent.
    let form: Vec<String> = post
        .params
        .iter()
        .map(|p| {
            let value = p.value.as_deref().unwrap_or_default();
            let encoded: String =
                percent_encoding::utf8_percent_encode(value, percent_encoding::NON_ALPHANUMERIC)
                    .collect();
            format!("{}={encoded}", p.name)
        })
        .collect();
    Ok(form.join("&").into_bytes())
}

/// Where parsed entries go: decoded at once and handed to `emit`.
struct Sink<'f, 'e> {
    file: &'f Arc<str>,
    emit: &'e mut dyn FnMut(Item) -> bool,
    /// Index of the next entry in `log.entries`.
    next: usize,
    /// `emit` asked to stop.
    stopped: bool,
}

impl Sink<'_, '_> {
    /// Decodes one entry's JSON text and emits its items; `false` to stop.
    fn entry(&mut self, raw: &RawValue) -> bool {
        let index = self.next;
        self.next += 1;
        let items = match serde_json::from_str::<Entry>(raw.get()) {
            Ok(entry) => decode_entry(self.file, index, &entry),
            Err(e) => vec![error(
                Source {
                    file: Arc::clone(self.file),
                    location: Location::Har {
                        entry: index,
                        request: described(raw),
                        record: 0,
                    },
                },
                format!("entry {index} is not a HAR entry with a request: {e}"),
            )],
        };
        for item in items {
            if !(self.emit)(item) {
                self.stopped = true;
                return false;
            }
        }
        true
    }
}

/// "METHOD URL" of an entry that did not parse, as far as it can be read.
fn described(raw: &RawValue) -> String {
    let value: serde_json::Value = serde_json::from_str(raw.get()).unwrap_or_default();
    let field = |name: &str| {
        value
            .get("request")
            .and_then(|r| r.get(name))
            .and_then(serde_json::Value::as_str)
            .unwrap_or("?")
            .to_owned()
    };
    format!("{} {}", field("method"), field("url"))
}

/// The message of the error that stops parsing when `emit` says so.
const STOPPED: &str = "stopped by the reader";

struct Root<'s, 'f, 'e>(&'s mut Sink<'f, 'e>);
struct Log<'s, 'f, 'e>(&'s mut Sink<'f, 'e>);
struct Entries<'s, 'f, 'e>(&'s mut Sink<'f, 'e>);

impl<'de> Visitor<'de> for Root<'_, '_, '_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a HAR file: an object with `log`")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let mut found = false;
        while let Some(key) = map.next_key::<Cow<'de, str>>()? {
            if key == "log" {
                map.next_value_seed(Log(&mut *self.0))?;
                found = true;
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        if found {
            Ok(())
        } else {
            Err(de::Error::missing_field("log"))
        }
    }
}

impl<'de> DeserializeSeed<'de> for Log<'_, '_, '_> {
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for Log<'_, '_, '_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("the HAR `log` object")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(key) = map.next_key::<Cow<'de, str>>()? {
            if key == "entries" {
                map.next_value_seed(Entries(&mut *self.0))?;
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(())
    }
}

impl<'de> DeserializeSeed<'de> for Entries<'_, '_, '_> {
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for Entries<'_, '_, '_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("the HAR `entries` list")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        // Each entry is taken as its raw text (borrowed from the file), then
        // parsed on its own: an entry of the wrong shape is one error, not
        // the end of the file.
        while let Some(raw) = seq.next_element::<&'de RawValue>()? {
            if !self.0.entry(raw) {
                return Err(de::Error::custom(STOPPED));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests;
