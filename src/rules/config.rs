//! The rules of reading a project's `trackplan.toml` and a template
//! directory's `target.toml`; always errors, since the command cannot know
//! what was meant.

use super::{Family, Rule, registry};
use crate::diagnostic::Severity;

const fn config(
    id: &'static str,
    what: &'static str,
    why: &'static str,
    example: &'static str,
) -> Rule {
    Rule::new(id, Family::Config, Severity::Error, what, why, example)
}

registry! {
    INVALID_CONFIG = config(
        "invalid-config",
        "Reports a `trackplan.toml` that is not valid TOML, has a field docs/config.md does not describe, or gives a value of the wrong type or outside the allowed set (an unknown generate target, SQL dialect or layout, check format).",
        "Every command reads the project config first; a misspelled field would otherwise leave a setting silently at its default.",
        "plan = \"plans/shop.yaml\"\n\n[[generate]]\ntarget = \"typescirpt\"\nout = \"src/tracking\"",
    );
    INVALID_TARGET = config(
        "invalid-target",
        "Reports a template directory's `target.toml` that is not valid TOML, lacks a field, or sets one docs/targets.md does not describe.",
        "The target file says how a user template names identifiers and which files it writes; without it the generated code could not be trusted to compile.",
        "name = \"kotlin\"\nreserved = \"class\"  # a list of words",
    );
}
