//! HAR 1.2 captures (browser devtools, Playwright's `recordHar`,
//! mitmproxy): every request to a Mixpanel ingestion endpoint, decoded.
//!
//! The file is read into memory and its entries are parsed one by one; a
//! truncated or broken file yields every entry that parsed completely, then
//! one error saying where the file breaks.

use std::fmt;
use std::sync::Arc;

use base64::Engine;
use serde::Deserialize;
use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};

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

/// Reads the records of every ingestion request of a HAR file.
pub fn read(file: &Arc<str>, text: &[u8]) -> Vec<Item> {
    let mut entries = Vec::new();
    let mut deserializer = serde_json::Deserializer::from_slice(text);
    let parsed = deserializer.deserialize_map_into(&mut entries);
    let mut items = Vec::new();
    for (index, entry) in entries.into_iter().enumerate() {
        items.extend(decode_entry(file, index, &entry));
    }
    if let Err(e) = parsed.and_then(|()| deserializer.end()) {
        let source = Source {
            file: Arc::clone(file),
            location: Location::Line(e.line() as u64),
        };
        items.push(error(
            source,
            json_error("the HAR file is broken or truncated", &e, text),
        ));
    }
    items
}

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

/// Streams `log.entries` into a vector, so the entries parsed before an
/// error are kept.
trait DeserializeEntries {
    fn deserialize_map_into(&mut self, entries: &mut Vec<Entry>) -> Result<(), serde_json::Error>;
}

impl<'de, R: serde_json::de::Read<'de>> DeserializeEntries for serde_json::Deserializer<R> {
    fn deserialize_map_into(&mut self, entries: &mut Vec<Entry>) -> Result<(), serde_json::Error> {
        de::Deserializer::deserialize_map(self, Root(entries))
    }
}

struct Root<'v>(&'v mut Vec<Entry>);
struct Log<'v>(&'v mut Vec<Entry>);
struct Entries<'v>(&'v mut Vec<Entry>);

impl<'de> Visitor<'de> for Root<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a HAR file: an object with `log`")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let mut found = false;
        while let Some(key) = map.next_key::<String>()? {
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

impl<'de> DeserializeSeed<'de> for Log<'_> {
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for Log<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("the HAR `log` object")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(key) = map.next_key::<String>()? {
            if key == "entries" {
                map.next_value_seed(Entries(&mut *self.0))?;
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(())
    }
}

impl<'de> DeserializeSeed<'de> for Entries<'_> {
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for Entries<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("the HAR `entries` list")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while let Some(entry) = seq.next_element::<Entry>()? {
            self.0.push(entry);
        }
        Ok(())
    }
}
