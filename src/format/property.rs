//! A property definition as written in a plan file.

use indexmap::IndexMap;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// A property of an event, a user or a group: its type and constraints, or a
/// `ref` to a shared definition (which a use site may only override
/// `required` and `description` of).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PropertySpec {
    /// Name of a shared definition under the plan's `properties`, to reuse
    /// instead of repeating the type here.
    #[serde(default, rename = "ref", skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
    /// The value's type. Required unless `ref` is given.
    #[serde(default, rename = "type", skip_serializing_if = "Option::is_none")]
    pub ty: Option<PropertyType>,
    /// What the value means, for an analyst reading a report.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Whether the property must be present. Default: true for event
    /// properties, false for user and group properties.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub required: Option<bool>,
    /// Whether `null` is accepted as a value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nullable: Option<bool>,
    /// Whether the value is personal data (an email, a phone number, a name).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pii: Option<bool>,
    /// Whether the property is on its way out; say what replaces it in the description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deprecated: Option<bool>,
    /// The property's previous name, when it was renamed (read by `trackplan diff`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub renamed_from: Option<String>,
    /// The only values allowed; each must have the property's type.
    #[serde(default, rename = "enum", skip_serializing_if = "Option::is_none")]
    pub allowed: Option<Vec<Value>>,
    /// A well-known string format the value must have.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub format: Option<Format>,
    /// A regular expression the string must match somewhere in it (Rust
    /// `regex` syntax); anchor it with `^...$` to match the whole value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pattern: Option<String>,
    /// Smallest number allowed (inclusive).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub minimum: Option<f64>,
    /// Largest number allowed (inclusive).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub maximum: Option<f64>,
    /// Shortest string allowed, in characters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_length: Option<u64>,
    /// Longest string allowed, in characters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_length: Option<u64>,
    /// For a `list`: the type of its items.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub items: Option<Box<PropertySpec>>,
    /// For a `list`: fewest items allowed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_items: Option<u64>,
    /// For a `list`: most items allowed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_items: Option<u64>,
    /// For an `object`: its properties, required unless `required: false`.
    /// Without it the object is free-form.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub properties: Option<IndexMap<String, PropertySpec>>,
    /// For an `object`: fields that depend on the value of one of them
    /// (see docs/plan-format.md, "Variants").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub variants: Option<super::VariantsSpec>,
    /// Example values, shown in the documentation and exported to Lexicon.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub examples: Vec<Value>,
}

/// The type of a property's value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum PropertyType {
    /// Text.
    String,
    /// A whole number.
    Integer,
    /// Any number.
    Number,
    /// `true` or `false`.
    Boolean,
    /// A point in time, sent as an ISO 8601 string (`2024-06-10T12:00:00Z`,
    /// or Mixpanel's `2024-06-10T12:00:00`).
    Datetime,
    /// A list of values; say their type with `items`.
    List,
    /// A nested object; say its fields with `properties`.
    Object,
}

impl PropertyType {
    /// The name used in plan files.
    pub fn as_str(self) -> &'static str {
        match self {
            PropertyType::String => "string",
            PropertyType::Integer => "integer",
            PropertyType::Number => "number",
            PropertyType::Boolean => "boolean",
            PropertyType::Datetime => "datetime",
            PropertyType::List => "list",
            PropertyType::Object => "object",
        }
    }
}

impl std::fmt::Display for PropertyType {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Well-known string formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Format {
    /// An absolute URI (`https://example.com/a?b=c`).
    Uri,
    /// An email address.
    Email,
    /// A UUID (`123e4567-e89b-12d3-a456-426614174000`).
    Uuid,
    /// A calendar date (`2024-06-10`).
    Date,
    /// A date and time (`2024-06-10T12:00:00Z`).
    DateTime,
    /// An IPv4 address.
    Ipv4,
    /// An IPv6 address.
    Ipv6,
    /// A host name.
    Hostname,
}

impl Format {
    /// The name used in plan files and JSON Schema.
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Uri => "uri",
            Format::Email => "email",
            Format::Uuid => "uuid",
            Format::Date => "date",
            Format::DateTime => "date-time",
            Format::Ipv4 => "ipv4",
            Format::Ipv6 => "ipv6",
            Format::Hostname => "hostname",
        }
    }
}
