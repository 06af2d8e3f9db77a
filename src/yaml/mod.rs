//! A YAML document that remembers where every node came from.
//!
//! serde_yaml keeps no positions for values that parse but are wrong, so the
//! loader parses each plan once with saphyr's event parser into this
//! span-keeping tree. Every later diagnostic (from the schema, the semantic
//! checks, `check` or `diff`) finds its text with [`Document::span_of`].
//!
//! The tree is also where hostile input is stopped: nesting is limited to
//! [`MAX_DEPTH`] levels and aliases may expand to at most [`MAX_NODES`] nodes.

mod path;
mod scalar;

use crate::rules::lint as rule;
use std::collections::HashMap;
use std::ops::Range;
use std::sync::Arc;

use saphyr_parser::{Event, Parser, ScalarStyle, Span};

pub use path::{Path, Segment};

use crate::diagnostic::Diagnostic;
use crate::source::SourceFile;

/// Deepest nesting of mappings and sequences a plan may use.
pub const MAX_DEPTH: usize = 64;
/// Most nodes aliases may add to a document once expanded (the nodes
/// written out are bounded by the file's size).
pub const MAX_NODES: usize = 250_000;

/// A node with the byte range of its text.
#[derive(Debug, Clone)]
pub struct Node {
    /// Byte range in the source text.
    pub span: Range<usize>,
    /// What the node holds.
    pub value: Value,
}

/// The three kinds of YAML node.
#[derive(Debug, Clone)]
pub enum Value {
    /// A scalar, with its text as written.
    Scalar(Scalar),
    /// A sequence (`[a, b]` or `- a`).
    Sequence(Vec<Node>),
    /// A mapping, in document order; duplicate keys keep their first entry.
    Mapping(Mapping),
}

/// A mapping's entries in document order, with an index by key text so
/// that finding a key (which every diagnostic's place does) is not a scan.
#[derive(Debug, Clone, Default)]
pub struct Mapping {
    entries: Vec<Entry>,
    index: HashMap<String, usize>,
}

impl Mapping {
    /// The entries, in document order.
    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// The entry whose key's text is `key`.
    pub fn get(&self, key: &str) -> Option<&Entry> {
        self.index.get(key).and_then(|i| self.entries.get(*i))
    }

    /// Adds an entry; for a key already there, keeps the first and gives
    /// back the key's text and both keys' places.
    fn insert(&mut self, entry: Entry) -> Option<(String, Range<usize>, Range<usize>)> {
        let text = entry.key.key_text();
        match self.index.get(&text) {
            Some(&i) => Some((text, self.entries[i].key.span.clone(), entry.key.span)),
            None => {
                self.index.insert(text, self.entries.len());
                self.entries.push(entry);
                None
            }
        }
    }
}

/// A scalar's text and whether it was quoted (quoted scalars are always strings).
#[derive(Debug, Clone)]
pub struct Scalar {
    /// The scalar's content after unescaping.
    pub text: String,
    /// Plain scalars resolve to null, booleans and numbers; others stay strings.
    pub plain: bool,
}

/// One key and its value in a mapping.
#[derive(Debug, Clone)]
pub struct Entry {
    /// The key node (always a scalar in a plan).
    pub key: Node,
    /// The value node.
    pub value: Node,
}

/// A key that appears twice in one mapping.
#[derive(Debug, Clone)]
pub struct DuplicateKey {
    /// Path of the mapping holding the key.
    pub mapping: Path,
    /// The key's text.
    pub key: String,
    /// Where it first appears.
    pub first: Range<usize>,
    /// Where it appears again.
    pub again: Range<usize>,
}

/// A parsed document and the file it came from.
#[derive(Debug, Clone)]
pub struct Document {
    /// The file.
    pub file: Arc<SourceFile>,
    /// The root node; an empty document is an empty mapping.
    pub root: Node,
    /// Keys that appear twice in a mapping.
    pub duplicates: Vec<DuplicateKey>,
}

impl Node {
    /// The entries of a mapping, or nothing.
    pub fn entries(&self) -> &[Entry] {
        match &self.value {
            Value::Mapping(mapping) => mapping.entries(),
            _ => &[],
        }
    }

    /// The value under `key` in a mapping.
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.entry(key).map(|e| &e.value)
    }

    /// The entry of `key` in a mapping.
    pub fn entry(&self, key: &str) -> Option<&Entry> {
        match &self.value {
            Value::Mapping(mapping) => mapping.get(key).filter(|e| e.key.as_str() == Some(key)),
            _ => None,
        }
    }

    /// The child at one step of a path. A key that is a number selects a
    /// sequence item, since JSON Pointers do not tell keys from indexes.
    pub fn child(&self, segment: &Segment) -> Option<&Node> {
        match (segment, &self.value) {
            (Segment::Index(i), Value::Sequence(items)) => items.get(*i),
            (Segment::Key(k), Value::Sequence(items)) => items.get(k.parse::<usize>().ok()?),
            (Segment::Key(k), _) => self.get(k),
            _ => None,
        }
    }

    /// The text of a scalar.
    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::Scalar(s) => Some(&s.text),
            _ => None,
        }
    }

    /// The node as JSON, resolving plain scalars with YAML 1.2's core schema.
    pub fn to_json(&self) -> serde_json::Value {
        match &self.value {
            Value::Scalar(s) => scalar::resolve(s),
            Value::Sequence(items) => items.iter().map(Node::to_json).collect(),
            Value::Mapping(mapping) => mapping
                .entries()
                .iter()
                .map(|e| (e.key.key_text(), e.value.to_json()))
                .collect::<serde_json::Map<_, _>>()
                .into(),
        }
    }

    fn key_text(&self) -> String {
        match &self.value {
            Value::Scalar(s) => s.text.clone(),
            _ => self.to_json().to_string(),
        }
    }

    fn count(&self) -> usize {
        1 + match &self.value {
            Value::Scalar(_) => 0,
            Value::Sequence(items) => items.iter().map(Node::count).sum(),
            Value::Mapping(mapping) => mapping
                .entries()
                .iter()
                .map(|e| e.key.count() + e.value.count())
                .sum(),
        }
    }
}

impl Document {
    /// Parses `file`. A syntax error, too deep a nesting or an alias bomb
    /// is one fatal diagnostic: the parser cannot go on past it.
    pub fn parse(file: &Arc<SourceFile>) -> Result<Self, Box<Diagnostic>> {
        Builder::new(file).run()
    }

    /// The node at `path`.
    pub fn node(&self, path: &Path) -> Option<&Node> {
        let mut node = &self.root;
        for segment in path.segments() {
            node = node.child(segment)?;
        }
        Some(node)
    }

    /// The span of the key that leads to `path` (for "unknown field" and
    /// "duplicate name"), falling back to the value's span.
    pub fn key_span(&self, path: &Path) -> Range<usize> {
        if let Some((parent, Segment::Key(key))) = path.split_last()
            && let Some(entry) = self.node(&parent).and_then(|n| n.entry(key))
        {
            return entry.key.span.clone();
        }
        self.span_of(path)
    }

    /// The span of the value at `path`, or of its nearest existing ancestor
    /// (a missing field is reported on the mapping that lacks it).
    pub fn span_of(&self, path: &Path) -> Range<usize> {
        let mut node = &self.root;
        for segment in path.segments() {
            match node.child(segment) {
                Some(n) => node = n,
                None => break,
            }
        }
        node.span.clone()
    }
}

enum Frame {
    Sequence {
        start: usize,
        anchor: usize,
        items: Vec<Node>,
    },
    Mapping {
        start: usize,
        anchor: usize,
        entries: Mapping,
        pending_key: Option<Node>,
    },
}

struct Builder<'f> {
    file: &'f Arc<SourceFile>,
    stack: Vec<Frame>,
    anchors: HashMap<usize, (Node, usize)>,
    expanded: usize,
    duplicates: Vec<DuplicateKey>,
    root: Option<Node>,
}

impl<'f> Builder<'f> {
    fn new(file: &'f Arc<SourceFile>) -> Self {
        Self {
            file,
            stack: Vec::new(),
            anchors: HashMap::new(),
            expanded: 0,
            duplicates: Vec::new(),
            root: None,
        }
    }

    fn byte_range(&self, span: &Span) -> Range<usize> {
        let start = self.file.offset_of(span.start.line(), span.start.col());
        let end = self.file.offset_of(span.end.line(), span.end.col());
        start..end.max(start)
    }

    fn fail(&self, at: usize, message: impl Into<String>) -> Box<Diagnostic> {
        let message = message.into();
        Box::new(
            Diagnostic::error(rule::YAML_SYNTAX, format!("invalid YAML: {message}")).at(
                self.file,
                at..at,
                message,
            ),
        )
    }

    fn run(mut self) -> Result<Document, Box<Diagnostic>> {
        let mut documents = 0;
        for event in Parser::new_from_str(self.file.text()) {
            let (event, span) = event.map_err(|err| {
                let m = err.marker();
                let at = self.file.offset_of(m.line(), m.col());
                self.fail(at, err.info())
            })?;
            let range = self.byte_range(&span);
            match event {
                Event::DocumentStart(_) => {
                    documents += 1;
                    if documents > 1 {
                        return Err(Box::new(
                            Diagnostic::error(
                                rule::YAML_SYNTAX,
                                "a plan file holds one YAML document, this one holds more",
                            )
                            .at(self.file, range, "a second document starts here")
                            .with_help("split the documents into files and use `include`"),
                        ));
                    }
                }
                Event::Scalar(text, style, anchor, tag) => {
                    let plain = style == ScalarStyle::Plain
                        && tag.as_ref().is_none_or(|t| t.suffix != "str");
                    let node = Node {
                        span: range,
                        value: Value::Scalar(Scalar {
                            text: text.into_owned(),
                            plain,
                        }),
                    };
                    self.push(node, anchor)?;
                }
                Event::Alias(id) => {
                    let Some((node, size)) = self.anchors.get(&id).cloned() else {
                        return Err(self.fail(range.start, "alias to an unknown anchor"));
                    };
                    self.expand(size, range.start)?;
                    self.place(node)?;
                }
                Event::SequenceStart(anchor, _) => {
                    self.open(range.start)?;
                    self.stack.push(Frame::Sequence {
                        start: range.start,
                        anchor,
                        items: Vec::new(),
                    });
                }
                Event::MappingStart(anchor, _) => {
                    self.open(range.start)?;
                    self.stack.push(Frame::Mapping {
                        start: range.start,
                        anchor,
                        entries: Mapping::default(),
                        pending_key: None,
                    });
                }
                Event::SequenceEnd | Event::MappingEnd => self.close(range.end)?,
                _ => {}
            }
        }
        let empty = || Node {
            span: 0..0,
            value: Value::Mapping(Mapping::default()),
        };
        Ok(Document {
            file: Arc::clone(self.file),
            root: self.root.unwrap_or_else(empty),
            duplicates: self.duplicates,
        })
    }

    fn open(&mut self, at: usize) -> Result<(), Box<Diagnostic>> {
        if self.stack.len() >= MAX_DEPTH {
            return Err(Box::new(
                Diagnostic::error(
                    rule::YAML_SYNTAX,
                    format!("the document nests deeper than {MAX_DEPTH} levels"),
                )
                .at(self.file, at..at, "too deep"),
            ));
        }
        Ok(())
    }

    /// Counts the nodes an alias adds; past [`MAX_NODES`] the document is
    /// refused (a few aliases repeating each other grow without bound).
    fn expand(&mut self, nodes: usize, at: usize) -> Result<(), Box<Diagnostic>> {
        self.expanded += nodes;
        if self.expanded > MAX_NODES {
            return Err(Box::new(
                Diagnostic::error(
                    rule::YAML_SYNTAX,
                    format!("the document expands to more than {MAX_NODES} nodes"),
                )
                .at(self.file, at..at, "expansion passes the limit here")
                .with_help("a few aliases that repeat each other can grow without bound; write the content out or use `ref`"),
            ));
        }
        Ok(())
    }

    fn push(&mut self, node: Node, anchor: usize) -> Result<(), Box<Diagnostic>> {
        if anchor > 0 {
            self.anchors.insert(anchor, (node.clone(), 1));
        }
        self.place(node)
    }

    fn close(&mut self, end: usize) -> Result<(), Box<Diagnostic>> {
        let Some(frame) = self.stack.pop() else {
            return Ok(());
        };
        let (start, anchor, value) = match frame {
            Frame::Sequence {
                start,
                anchor,
                items,
            } => (start, anchor, Value::Sequence(items)),
            Frame::Mapping {
                start,
                anchor,
                entries,
                ..
            } => (start, anchor, Value::Mapping(entries)),
        };
        let end = match &value {
            Value::Sequence(items) => items.last().map_or(end, |n| n.span.end.max(start)),
            Value::Mapping(mapping) => mapping
                .entries()
                .last()
                .map_or(end, |e| e.value.span.end.max(start)),
            Value::Scalar(_) => end,
        };
        let node = Node {
            span: start..end.max(start),
            value,
        };
        if anchor > 0 {
            let size = node.count();
            self.anchors.insert(anchor, (node.clone(), size));
        }
        self.place(node)
    }

    fn current_path(&self) -> Path {
        let mut path = Path::root();
        for frame in &self.stack {
            match frame {
                Frame::Sequence { items, .. } => path.push(Segment::Index(items.len())),
                Frame::Mapping { pending_key, .. } => {
                    if let Some(key) = pending_key {
                        path.push(Segment::Key(key.key_text()));
                    }
                }
            }
        }
        path
    }

    fn place(&mut self, node: Node) -> Result<(), Box<Diagnostic>> {
        let duplicate = match self.stack.last_mut() {
            None => {
                self.root = Some(node);
                None
            }
            Some(Frame::Sequence { items, .. }) => {
                items.push(node);
                None
            }
            Some(Frame::Mapping {
                entries,
                pending_key,
                ..
            }) => match pending_key.take() {
                None => {
                    *pending_key = Some(node);
                    None
                }
                Some(key) => entries.insert(Entry { key, value: node }),
            },
        };
        // The path (of the mapping: its pending key is taken) is only worked
        // out for a duplicate key.
        if let Some((key, first, again)) = duplicate {
            self.duplicates.push(DuplicateKey {
                mapping: self.current_path(),
                key,
                first,
                again,
            });
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests;
