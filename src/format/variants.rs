//! Variants as written in a plan file: properties that depend on the value
//! of one of them (docs/plan-format.md, "Variants").

use indexmap::IndexMap;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::PropertySpec;

/// Properties that depend on the value of one of them, the discriminator.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct VariantsSpec {
    /// The discriminator: a required string, integer or boolean property of
    /// the same event or object, with an `enum`.
    pub by: String,
    /// One case per discriminator value that has one, keyed by the value as
    /// written in the `enum` (`drink`, `2`, `true`).
    #[serde(default)]
    pub cases: IndexMap<String, CaseSpec>,
    /// The case of the values without their own.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<CaseSpec>,
}

/// One case of a variants: what a value of the discriminator adds or takes
/// away.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CaseSpec {
    /// What this kind of event (or object) is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Properties this case adds, required unless `required: false`; a base
    /// property given again (with the same type) changes its requiredness
    /// or constraints for this case.
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub properties: IndexMap<String, PropertySpec>,
    /// Base properties this case must not carry.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub absent: Vec<String>,
}
