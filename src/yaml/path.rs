//! Paths into a document: the address of a node, as a list of mapping keys
//! and sequence indexes.

use std::fmt;

/// One step of a [`Path`].
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Segment {
    /// A mapping key.
    Key(String),
    /// A sequence index.
    Index(usize),
}

/// The address of a node in a document, such as `events.Login.properties`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Path(Vec<Segment>);

impl Path {
    /// The document's root.
    pub fn root() -> Self {
        Self(Vec::new())
    }

    /// A path from keys only.
    pub fn keys<'a>(keys: impl IntoIterator<Item = &'a str>) -> Self {
        Self(
            keys.into_iter()
                .map(|k| Segment::Key(k.to_owned()))
                .collect(),
        )
    }

    /// Parses a JSON Pointer (`/events/Page Viewed/properties`, with `~0`
    /// and `~1` escapes). Every segment becomes a key; a lookup in a
    /// sequence reads a numeric key as an index.
    pub fn from_pointer(pointer: &str) -> Self {
        let segments = pointer
            .split('/')
            .skip(1)
            .map(|raw| Segment::Key(raw.replace("~1", "/").replace("~0", "~")))
            .collect();
        Self(segments)
    }

    /// The segments, root first.
    pub fn segments(&self) -> &[Segment] {
        &self.0
    }

    /// Adds a segment at the end.
    pub fn push(&mut self, segment: Segment) {
        self.0.push(segment);
    }

    /// Removes the last segment.
    pub fn pop(&mut self) -> Option<Segment> {
        self.0.pop()
    }

    /// A copy with `segment` added.
    pub fn join(&self, segment: Segment) -> Self {
        let mut path = self.clone();
        path.push(segment);
        path
    }

    /// A copy with a key added.
    pub fn key(&self, key: &str) -> Self {
        self.join(Segment::Key(key.to_owned()))
    }

    /// The parent path and the last segment.
    pub fn split_last(&self) -> Option<(Path, &Segment)> {
        let (last, parent) = self.0.split_last()?;
        Some((Path(parent.to_vec()), last))
    }

    /// The last segment as a key, if it is one.
    pub fn last_key(&self) -> Option<&str> {
        match self.0.last()? {
            Segment::Key(k) => Some(k),
            Segment::Index(_) => None,
        }
    }
}

impl fmt::Display for Path {
    /// Dotted form: `events."Page Viewed".properties[0]`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, segment) in self.0.iter().enumerate() {
            match segment {
                Segment::Index(n) => write!(f, "[{n}]")?,
                Segment::Key(k) => {
                    if i > 0 {
                        f.write_str(".")?;
                    }
                    let simple = !k.is_empty()
                        && k.chars()
                            .all(|c| c.is_alphanumeric() || c == '_' || c == '$' || c == '-');
                    if simple {
                        f.write_str(k)?;
                    } else {
                        write!(f, "{k:?}")?;
                    }
                }
            }
        }
        Ok(())
    }
}
