//! What an input holds, said by the user or told from its first bytes.
//!
//! Detection looks at the first non-whitespace bytes of the (decompressed)
//! input:
//!
//! | starts with | format |
//! |---|---|
//! | `{` then `"log"` | [`InputFormat::Har`] |
//! | `{`, one line only, with `--endpoint` | [`InputFormat::Body`] (a raw JSON body) |
//! | any other `{` | [`InputFormat::Ndjson`] |
//! | `[` | [`InputFormat::Json`] |
//! | nothing (empty input) | [`InputFormat::Ndjson`] (no records) |
//! | anything else, with `--endpoint` | [`InputFormat::Body`] (a form or base64 body) |
//! | anything else | an error asking for `--input-format` or `--endpoint` |

use super::Endpoint;

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

/// The error when nothing in the first bytes says what the input is.
pub const UNKNOWN: &str = "cannot tell what this input holds (not NDJSON, a JSON array or a HAR file); for a raw request body pass `--endpoint track|engage|groups|import`, or say the format with `--input-format`";

/// The format of an input from its first bytes (`head`, as much as is
/// buffered) and whether an endpoint was given. Never returns
/// [`InputFormat::Auto`].
pub fn detect(head: &[u8], endpoint: Option<Endpoint>) -> Result<InputFormat, String> {
    let head = head.trim_ascii_start();
    match head.split_first() {
        None => Ok(InputFormat::Ndjson),
        Some((b'[', _)) => Ok(InputFormat::Json),
        Some((b'{', after)) => {
            if after.trim_ascii_start().starts_with(b"\"log\"") {
                Ok(InputFormat::Har)
            } else if endpoint.is_some() && !head.trim_ascii_end().contains(&b'\n') {
                Ok(InputFormat::Body)
            } else {
                Ok(InputFormat::Ndjson)
            }
        }
        Some(_) if endpoint.is_some() => Ok(InputFormat::Body),
        Some(_) => Err(UNKNOWN.to_owned()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    type Case<'a> = (&'a [u8], Option<Endpoint>, Result<InputFormat, String>);

    #[test]
    fn formats_from_first_bytes() {
        let cases: &[Case<'_>] = &[
            (
                b"{\"log\": {\"version\": \"1.2\"",
                None,
                Ok(InputFormat::Har),
            ),
            (b"\n  {\n  \"log\" : {", None, Ok(InputFormat::Har)),
            (
                b"{\"event\":\"a\"}\n{\"event\":\"b\"}\n",
                None,
                Ok(InputFormat::Ndjson),
            ),
            (b"{\"event\":\"a\"}\n", None, Ok(InputFormat::Ndjson)),
            (b"  [\n  {\"event\": \"a\"}\n]", None, Ok(InputFormat::Json)),
            (b"", None, Ok(InputFormat::Ndjson)),
            (b" \n\t", None, Ok(InputFormat::Ndjson)),
            // A single JSON line with an endpoint is a raw body; several
            // lines are NDJSON (an `/import` body or an export).
            (
                b"{\"event\":\"a\"}\n",
                Some(Endpoint::Track),
                Ok(InputFormat::Body),
            ),
            (
                b"{\"event\":\"a\"}\n{\"event\":\"b\"}",
                Some(Endpoint::Import),
                Ok(InputFormat::Ndjson),
            ),
            (
                b"data=eyJldmVudCI6ImEifQ%3D%3D&verbose=1",
                Some(Endpoint::Track),
                Ok(InputFormat::Body),
            ),
            (
                b"eyJldmVudCI6ImEifQ==",
                Some(Endpoint::Track),
                Ok(InputFormat::Body),
            ),
            (
                b"data=eyJldmVudCI6ImEifQ%3D%3D",
                None,
                Err(UNKNOWN.to_owned()),
            ),
            (b"<!DOCTYPE html>", None, Err(UNKNOWN.to_owned())),
        ];
        for (head, endpoint, expected) in cases {
            assert_eq!(
                &detect(head, *endpoint),
                expected,
                "{}",
                String::from_utf8_lossy(head)
            );
        }
    }
}
