//! The plan file format: what a `plans/*.yaml` file may contain, as Rust
//! types. serde reads files into these types; schemars turns them into
//! `trackplan.schema.json`, whose descriptions are these doc comments. The
//! same text is the editor's hover help, the schema's documentation and the
//! help of a diagnostic.
//!
//! These types are the file as written: `ref`s unresolved, includes not yet
//! merged. [`crate::plan`] turns them into the resolved plan every command
//! works on.

mod property;
pub mod schema;
mod variants;

use indexmap::IndexMap;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

pub use property::{Format, PropertySpec, PropertyType};
pub use variants::{CaseSpec, VariantsSpec};

use crate::diagnostic::Severity;

/// A tracking plan file: the events a product sends to Mixpanel, with their
/// properties, and the traits of its users and groups.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "trackplan plan file")]
pub struct PlanFile {
    /// Version of the plan file format. Always `1`.
    #[schemars(range(min = 1, max = 1))]
    pub trackplan: u32,
    /// Name of the plan, such as the product or service it covers. Required
    /// in the plan you run commands on; optional in included files.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Version of this plan, as `MAJOR.MINOR.PATCH`. Bump the major version
    /// for a change that breaks reports or the code that sends events.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(regex(pattern = r"^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$"))]
    pub version: Option<String>,
    /// What the plan covers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Team or person responsible; events without an owner inherit it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    /// Free-form labels, for filtering the documentation.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    /// Other plan files to merge into this one, relative to this file.
    /// Lets a large organisation keep one file per team.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub include: Vec<String>,
    /// How events are tied to people: which property holds the visitor id
    /// before login, and which holds the user id after.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub identity: Option<IdentitySpec>,
    /// What to do with event properties the plan does not declare, unless an
    /// event says otherwise. The properties Mixpanel's SDKs add by
    /// themselves are always allowed. Default: `warn`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub additional_properties: Option<AdditionalProperties>,
    /// Shared property definitions, used from events with `{ref: name}`.
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub properties: IndexMap<String, PropertySpec>,
    /// Properties registered once on the client (`mixpanel.register`) and
    /// sent with every event.
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub super_properties: IndexMap<String, PropertySpec>,
    /// The events, by the name sent to Mixpanel.
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub events: IndexMap<String, EventSpec>,
    /// Traits of users, set with profile updates (`people.set`, ...).
    /// Optional unless `required: true`.
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub user_properties: IndexMap<String, PropertySpec>,
    /// Group analytics: each group key (such as `company`) with its
    /// properties.
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub groups: IndexMap<String, GroupSpec>,
    /// Settings of `trackplan lint` for this plan.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lint: Option<LintSpec>,
}

/// Which properties identify the person behind an event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct IdentitySpec {
    /// Property holding the visitor id the SDK hands out before login.
    /// Default: `$device_id`.
    #[serde(default = "default_anonymous_id")]
    pub anonymous_id: String,
    /// Property holding the user id, set once the visitor logs in.
    /// Default: `$user_id`.
    #[serde(default = "default_user_id")]
    pub user_id: String,
}

fn default_anonymous_id() -> String {
    "$device_id".to_owned()
}

fn default_user_id() -> String {
    "$user_id".to_owned()
}

impl Default for IdentitySpec {
    fn default() -> Self {
        Self {
            anonymous_id: default_anonymous_id(),
            user_id: default_user_id(),
        }
    }
}

/// Policy for properties a plan does not declare.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum AdditionalProperties {
    /// Accept them silently.
    Allow,
    /// Accept them with a warning.
    #[default]
    Warn,
    /// Report them as errors.
    Deny,
}

/// Lifecycle of an event.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// In use.
    #[default]
    Active,
    /// Agreed on but not implemented yet; seeing it is worth a warning.
    Planned,
    /// Still accepted but on its way out; name its successor in `replaced_by`.
    Deprecated,
}

/// One event: an action in the product.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EventSpec {
    /// What happened, for an analyst reading a report.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Team or person responsible for the event.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    /// Free-form labels, for filtering the documentation.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    /// `active` (default), `planned` or `deprecated`.
    #[serde(default, skip_serializing_if = "is_default")]
    pub status: Status,
    /// For a deprecated event: the event to send instead.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replaced_by: Option<String>,
    /// The event's previous name, when it was renamed (read by `trackplan diff`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub renamed_from: Option<String>,
    /// Whether the event must carry the user id (`identity.user_id`): true
    /// for events sent only after login.
    #[serde(default, skip_serializing_if = "is_default")]
    pub identified: bool,
    /// Policy for undeclared properties of this event; overrides the plan's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub additional_properties: Option<AdditionalProperties>,
    /// The event's properties, by name. Required unless `required: false`.
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub properties: IndexMap<String, PropertySpec>,
    /// Properties that depend on the value of one of them (see
    /// docs/plan-format.md, "Variants").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub variants: Option<VariantsSpec>,
}

/// A group type of Mixpanel's group analytics.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct GroupSpec {
    /// What a group of this type is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The group's properties. Optional unless `required: true`.
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub properties: IndexMap<String, PropertySpec>,
}

/// Settings of `trackplan lint`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LintSpec {
    /// Severity per rule id, or `off`: `{missing-description: error}`.
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub rules: IndexMap<String, RuleLevel>,
    /// Naming conventions the `event-naming` and `property-naming` rules enforce.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub naming: Option<NamingSpec>,
}

/// A rule's severity, or `off`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum RuleLevel {
    /// Fails the run.
    Error,
    /// Reported, does not fail the run.
    Warning,
    /// Reported as a note.
    Info,
    /// Not reported.
    Off,
}

impl RuleLevel {
    /// The severity, or `None` when the rule is off.
    pub fn severity(self) -> Option<Severity> {
        match self {
            RuleLevel::Error => Some(Severity::Error),
            RuleLevel::Warning => Some(Severity::Warning),
            RuleLevel::Info => Some(Severity::Info),
            RuleLevel::Off => None,
        }
    }
}

/// Naming conventions.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NamingSpec {
    /// Convention for event names. Default: `title_case`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub events: Option<Case>,
    /// Convention for property names. Default: `snake_case`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub properties: Option<Case>,
}

/// A naming convention.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Case {
    /// `Page Viewed`, `Login`: capitalised words separated by single spaces.
    TitleCase,
    /// `page_viewed`: lowercase words joined by underscores.
    SnakeCase,
    /// `pageViewed`: lowercase first word, capitalised later ones, no separators.
    CamelCase,
    /// `Page Viewed`, `Item Purchased`: Title Case, an object then a past-tense verb.
    ObjectAction,
}

fn is_default<T: Default + PartialEq>(value: &T) -> bool {
    *value == T::default()
}
