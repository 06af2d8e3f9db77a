//! The resolved tracking plan: every file of a plan loaded, its includes
//! merged and its `ref`s resolved, with the place each item was defined.
//!
//! Every command works on a [`Plan`]; [`load`] builds one from a file and
//! reports every mistake it finds on the way as a [`Diagnostic`].

pub mod dir;
mod load;
mod resolve;
mod structure;
mod validate;
mod variants;

use std::ops::Range;
use std::sync::Arc;

use serde_json::Value;

pub use dir::{DirError, Directory, load_dir};
pub use load::{Loaded, load, load_text};
pub use variants::{Case, Member, Variants, same as same_value};

use crate::diagnostic::Label;
use crate::format::{AdditionalProperties, Format, IdentitySpec, LintSpec, PropertyType, Status};
use crate::yaml::{Document, Path};

/// The property that carries `name@version` of the plan, which the
/// generated helpers send with every event; no command reports it.
pub const PLAN_PROPERTY: &str = "tracking_plan";

/// Where an item of the plan was written: a document and a path in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    /// Index into [`Plan::documents`].
    pub document: usize,
    /// Path of the item in that document.
    pub path: Path,
}

/// A loaded, resolved plan.
#[derive(Debug, Clone)]
pub struct Plan {
    /// Name of the plan.
    pub name: String,
    /// Version of the plan (`MAJOR.MINOR.PATCH`).
    pub version: String,
    /// What the plan covers.
    pub description: Option<String>,
    /// Default owner of events.
    pub owner: Option<String>,
    /// Labels of the plan.
    pub tags: Vec<String>,
    /// Which properties identify people.
    pub identity: IdentitySpec,
    /// Policy for undeclared properties, for events that set none.
    pub additional_properties: AdditionalProperties,
    /// Shared definitions, resolved.
    pub definitions: Vec<Property>,
    /// Properties sent with every event.
    pub super_properties: Vec<Property>,
    /// The events, in plan order (included files after the including one).
    pub events: Vec<Event>,
    /// User traits.
    pub user_properties: Vec<Property>,
    /// Group types.
    pub groups: Vec<Group>,
    /// Lint settings of the root file.
    pub lint: LintSpec,
    /// The parsed files, the root plan first.
    pub documents: Vec<Arc<Document>>,
}

/// An event of the plan.
#[derive(Debug, Clone)]
pub struct Event {
    /// The name sent to Mixpanel.
    pub name: String,
    /// What happened.
    pub description: Option<String>,
    /// Responsible team; the plan's owner when the event names none.
    pub owner: Option<String>,
    /// Labels.
    pub tags: Vec<String>,
    /// Lifecycle.
    pub status: Status,
    /// Successor of a deprecated event.
    pub replaced_by: Option<String>,
    /// Previous name.
    pub renamed_from: Option<String>,
    /// Whether it must carry the user id.
    pub identified: bool,
    /// Policy for undeclared properties (the event's, else the plan's).
    pub additional_properties: AdditionalProperties,
    /// Declared properties (super properties not included).
    pub properties: Vec<Property>,
    /// Properties that depend on the value of one of them.
    pub variants: Option<Variants>,
    /// Where it is defined.
    pub origin: Origin,
}

/// A group type.
#[derive(Debug, Clone)]
pub struct Group {
    /// The group key, such as `company`.
    pub name: String,
    /// What a group is.
    pub description: Option<String>,
    /// Its properties.
    pub properties: Vec<Property>,
    /// Where it is defined.
    pub origin: Origin,
}

/// A property with its resolved schema.
#[derive(Debug, Clone, PartialEq)]
pub struct Property {
    /// The name sent to Mixpanel.
    pub name: String,
    /// What it means (the use site's, else the definition's).
    pub description: Option<String>,
    /// Whether it must be present.
    pub required: bool,
    /// Whether it holds personal data.
    pub pii: bool,
    /// Whether it is on its way out.
    pub deprecated: bool,
    /// Previous name.
    pub renamed_from: Option<String>,
    /// The shared definition it refers to, if any.
    pub reference: Option<String>,
    /// Type and constraints of its value.
    pub schema: Schema,
    /// Where it is written (the use site for a `ref`).
    pub origin: Origin,
}

/// The type and constraints of a value.
#[derive(Debug, Clone, PartialEq)]
pub struct Schema {
    /// The type.
    pub ty: PropertyType,
    /// Whether `null` is accepted.
    pub nullable: bool,
    /// Allowed values.
    pub allowed: Option<Vec<Value>>,
    /// Required string format.
    pub format: Option<Format>,
    /// Required pattern (a valid regex, checked at load).
    pub pattern: Option<String>,
    /// Inclusive lower bound.
    pub minimum: Option<f64>,
    /// Inclusive upper bound.
    pub maximum: Option<f64>,
    /// Shortest string, in characters.
    pub min_length: Option<u64>,
    /// Longest string, in characters.
    pub max_length: Option<u64>,
    /// Type of list items.
    pub items: Option<Box<Schema>>,
    /// Fewest list items.
    pub min_items: Option<u64>,
    /// Most list items.
    pub max_items: Option<u64>,
    /// Fields of an object.
    pub properties: Vec<Property>,
    /// Fields of an object that depend on the value of one of them.
    pub variants: Option<Box<Variants>>,
    /// Example values.
    pub examples: Vec<Value>,
}

impl Schema {
    /// The values of a string enum (a `string` or `datetime` with a
    /// non-empty `enum` of strings only), which typed languages declare as
    /// an enum type; `None` for anything else.
    pub fn string_enum(&self) -> Option<Vec<&str>> {
        if !matches!(self.ty, PropertyType::String | PropertyType::Datetime) {
            return None;
        }
        let values = self.allowed.as_ref().filter(|v| !v.is_empty())?;
        values.iter().map(Value::as_str).collect()
    }

    /// Whether it is an object with declared fields (a type of its own in
    /// typed languages; without fields an object is free-form).
    pub fn has_fields(&self) -> bool {
        self.ty == PropertyType::Object && !self.properties.is_empty()
    }
}

impl Plan {
    /// The event named `name`.
    pub fn event(&self, name: &str) -> Option<&Event> {
        self.events.iter().find(|e| e.name == name)
    }

    /// The old names of renamed events (`renamed_from`) with their new
    /// names, in plan order; an old name that is again an event of the
    /// plan is that event, not a rename.
    pub fn renamed_events(&self) -> Vec<(&str, &str)> {
        self.events
            .iter()
            .filter_map(|e| Some((e.renamed_from.as_deref()?, e.name.as_str())))
            .filter(|(old, _)| self.event(old).is_none())
            .collect()
    }

    /// A label on the text of `origin`'s value.
    pub fn label(&self, origin: &Origin, message: impl Into<String>) -> Option<Label> {
        let document = self.documents.get(origin.document)?;
        Some(Label {
            file: Arc::clone(&document.file),
            span: document.span_of(&origin.path),
            message: Some(message.into()),
        })
    }

    /// The byte range of the key that names `origin` (an event's name, a
    /// property's name).
    pub fn key_span(
        &self,
        origin: &Origin,
    ) -> Option<(Arc<crate::source::SourceFile>, Range<usize>)> {
        let document = self.documents.get(origin.document)?;
        Some((Arc::clone(&document.file), document.key_span(&origin.path)))
    }
}
