//! Every rule `trackplan lint` reports, with its documentation in ruff's
//! shape: what it does, why it matters, an example.

use crate::diagnostic::Severity;

/// Where a rule runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum RuleKind {
    /// Checked while loading; always an error, since no command can use a
    /// plan that breaks it.
    Loader,
    /// A style rule of `trackplan lint`; its severity is configurable.
    Style,
}

/// A lint rule.
#[derive(Debug, Clone, Copy, serde::Serialize)]
pub struct Rule {
    /// Stable id.
    pub id: &'static str,
    /// Loader or style rule.
    pub kind: RuleKind,
    /// Severity unless the plan configures another.
    pub default: Severity,
    /// What it does.
    pub what: &'static str,
    /// Why it matters.
    pub why: &'static str,
    /// A plan excerpt that breaks the rule.
    pub example: &'static str,
}

/// `docs/rules.md`: every rule's documentation as one Markdown page.
pub fn rules_markdown() -> String {
    let mut out = String::from(
        "# Lint rules\n\n<!-- Generated from src/lint/registry.rs by `UPDATE_SNAPSHOTS=1 cargo test --test docs`; do not edit. -->\n\n\
         Loader rules are checked whenever a plan is read, by every command, and are always errors.\n\
         Style rules are checked by `trackplan lint`; a plan sets their severity with\n\
         `lint: {rules: {RULE: error|warning|info|off}}`. `trackplan lint --explain RULE` prints one rule.\n\n\
         | rule | kind | default |\n|---|---|---|\n",
    );
    for r in RULES {
        let kind = match r.kind {
            RuleKind::Loader => "loader",
            RuleKind::Style => "style",
        };
        out.push_str(&format!(
            "| [`{}`](#{}) | {kind} | {} |\n",
            r.id, r.id, r.default
        ));
    }
    for r in RULES {
        out.push_str(&format!(
            "\n## {}\n\n**What it does.** {}\n\n**Why is this bad?** {}\n\n**Example.**\n\n```yaml\n{}\n```\n",
            r.id, r.what, r.why, r.example
        ));
    }
    out
}

/// The rule with id `id`.
pub fn rule(id: &str) -> Option<&'static Rule> {
    RULES.iter().find(|r| r.id == id)
}

const fn loader(
    id: &'static str,
    what: &'static str,
    why: &'static str,
    example: &'static str,
) -> Rule {
    Rule {
        id,
        kind: RuleKind::Loader,
        default: Severity::Error,
        what,
        why,
        example,
    }
}

const fn style(
    id: &'static str,
    default: Severity,
    what: &'static str,
    why: &'static str,
    example: &'static str,
) -> Rule {
    Rule {
        id,
        kind: RuleKind::Style,
        default,
        what,
        why,
        example,
    }
}

/// All rules, loader rules first.
pub const RULES: &[Rule] = &[
    loader(
        "unreadable-file",
        "Reports a plan or included file that is not UTF-8 text or is larger than 16 MiB.",
        "trackplan reads plans as YAML text; anything else is the wrong file.",
        "a binary file passed as a plan",
    ),
    loader(
        "yaml-syntax",
        "Reports text that is not valid YAML, a file with more than one document, nesting deeper than 64 levels, and aliases that add more than 250,000 nodes once expanded.",
        "Nothing can be read past a syntax error; the limits stop hostile files from exhausting memory.",
        "events: [Login",
    ),
    loader(
        "unknown-field",
        "Reports a field the plan format does not have, suggesting the closest valid name.",
        "A misspelled field is silently ignored by most YAML readers, so the setting it was meant to make never applies.",
        "properties:\n  method: {type: string, requried: false}",
    ),
    loader(
        "missing-field",
        "Reports a field the format requires: `trackplan` in every file, `name` and `version` in the root plan.",
        "Commands need the format version to read a file and the plan's name and version to label what they produce.",
        "name: Accounts\nevents: {}",
    ),
    loader(
        "invalid-type",
        "Reports a value of the wrong type, such as a list where a mapping is expected or a number where a string is.",
        "The value cannot mean what the format expects; YAML's unquoted `1.10` is a number, not a version string.",
        "version: 1.2",
    ),
    loader(
        "invalid-value",
        "Reports a value outside the allowed set: an unknown `type` or `format`, an unsupported format version, a malformed version.",
        "The plan would say something trackplan cannot check.",
        "properties:\n  price: {type: float}",
    ),
    loader(
        "duplicate-name",
        "Reports an event, property, definition or group defined twice, in one file or across included files.",
        "YAML keeps only one of two equal keys, so half of what was written silently disappears.",
        "events:\n  Login: {}\n  Login: {identified: true}",
    ),
    loader(
        "unresolved-ref",
        "Reports a `ref` to a shared definition that does not exist.",
        "The property would have no type to check against.",
        "properties:\n  method: {ref: login_mehtod}",
    ),
    loader(
        "invalid-ref",
        "Reports a use site that sets more than `required` and `description` beside `ref`, and a shared definition that is itself a `ref`.",
        "A use site that changes a shared definition's type makes the definition mean different things in different places.",
        "properties:\n  method: {ref: login_method, type: integer}",
    ),
    loader(
        "missing-type",
        "Reports a property with neither `type` nor `ref`.",
        "Its values could not be checked nor typed in generated code.",
        "properties:\n  method: {description: How they logged in.}",
    ),
    loader(
        "constraint-mismatch",
        "Reports a constraint that does not apply to the property's type (`format` on an integer, `minimum` on a string, `items` on a non-list) and a list without `items`.",
        "The constraint would be silently ignored.",
        "properties:\n  age: {type: integer, max_length: 3}",
    ),
    loader(
        "invalid-range",
        "Reports `minimum` above `maximum`, `min_length` above `max_length`, `min_items` above `max_items`.",
        "No value could satisfy the property: every event would be a violation.",
        "properties:\n  attempt: {type: integer, minimum: 10, maximum: 1}",
    ),
    loader(
        "enum-type-mismatch",
        "Reports `enum` values that do not have the property's type, and an empty `enum`.",
        "An unquoted `1` in a string enum is a number in YAML, and the string \"1\" that the app sends would be rejected.",
        "properties:\n  plan: {type: string, enum: [free, 1, 2]}",
    ),
    loader(
        "invalid-pattern",
        "Reports a `pattern` that is not a valid regular expression.",
        "The property could not be checked.",
        "properties:\n  code: {type: string, pattern: \"^[A-Z\"}",
    ),
    loader(
        "unknown-event",
        "Reports a `replaced_by` that names no event of the plan.",
        "Readers of a deprecated event are sent to an event that does not exist.",
        "events:\n  Signup: {status: deprecated, replaced_by: Acount Created}",
    ),
    loader(
        "include-missing",
        "Reports an `include` whose file cannot be read.",
        "The events it would add are missing from the plan.",
        "include: [teams/checkout.yaml]",
    ),
    loader(
        "include-cycle",
        "Reports an `include` that leads back to a file already being included.",
        "The plan would include itself forever.",
        "# a.yaml\ninclude: [b.yaml]\n# b.yaml\ninclude: [a.yaml]",
    ),
    loader(
        "unknown-rule",
        "Reports a rule id in `lint.rules` that is no style rule.",
        "A misspelled rule id would leave the rule at its default severity without anyone noticing.",
        "lint:\n  rules: {missing-descripton: error}",
    ),
    style(
        "identifier-collision",
        Severity::Warning,
        "Reports two items of the plan that would get the same identifier in generated code, in any built-in target: two events (`Page Viewed`, `page_viewed`), two fields of one struct, an event and an enum type (Rust's `OrderStatus` for `Order` / `status` and for the event `Order Status`), two values of one enum. It names both places and the identifier each target uses instead; it comes from the generators' own naming (docs/naming.md), so it reports exactly the collisions they resolve.",
        "Generated code then names the later one with a number (`pageViewed2`, `OrderStatus2`), which says nothing about what it is.",
        "events:\n  Page Viewed: {}\n  page_viewed: {}",
    ),
    style(
        "reserved-identifier",
        Severity::Info,
        "Reports an item whose identifier in a built-in target would be a word the language reserves (`class`, Rust's `type`) or a name the generated code defines itself (TypeScript's `track`, `init`, `register`, `people`), with the identifier generated code uses instead (`track_`, `type_`).",
        "Nothing breaks: the identifier gets a suffix. But a developer looking for the helper of the event `Track` should know it is `track_()`, not `track()` (which is the generic one).",
        "events:\n  Track: {description: A song was played.}",
    ),
    style(
        "missing-description",
        Severity::Warning,
        "Reports a plan, event, property, definition or group without a `description`.",
        "Analysts read the plan to know what an event means; without a description they guess.",
        "events:\n  Login: {properties: {method: {type: string}}}",
    ),
    style(
        "event-naming",
        Severity::Warning,
        "Reports an event name that does not follow the plan's convention (`lint.naming.events`: `title_case` by default; `snake_case`, `camel_case` or `object_action`).",
        "Mixpanel advises one convention per project: mixed conventions split one action into several events in reports.",
        "events:\n  page_viewed: {}",
    ),
    style(
        "property-naming",
        Severity::Warning,
        "Reports a property name that does not follow the plan's convention (`lint.naming.properties`: `snake_case` by default, or `camel_case`). Names with Mixpanel's `$` and `mp_` prefixes are left to `reserved-prefix`.",
        "Consistent names make properties easy to find and to reuse across events.",
        "properties:\n  pageUrl: {type: string}",
    ),
    style(
        "reserved-prefix",
        Severity::Error,
        "Reports a custom event or property whose name starts with `$` or `mp_` and is not one of Mixpanel's own.",
        "Those prefixes belong to Mixpanel; a custom `$` name can clash with one Mixpanel adds later and is hidden in parts of its UI.",
        "events:\n  $signup: {}",
    ),
    style(
        "unused-definition",
        Severity::Warning,
        "Reports a shared definition under `properties:` that no `ref` uses.",
        "Dead definitions mislead readers into thinking a property is sent.",
        "properties:\n  coupon_code: {type: string}",
    ),
    style(
        "deprecated-without-replacement",
        Severity::Warning,
        "Reports a deprecated event without `replaced_by`.",
        "Whoever sends the event, or reports on it, needs to know what to use instead.",
        "events:\n  Signup: {status: deprecated}",
    ),
    style(
        "pii-not-marked",
        Severity::Warning,
        "Reports a property whose name looks like personal data (an email, phone, name, address, IP address, birth date) without `pii: true`.",
        "Personal data needs care: consent, retention, and keeping it out of places it should not reach. Marking it makes it visible in the docs and exports.",
        "user_properties:\n  email: {type: string}",
    ),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_and_kebab_case() {
        let mut ids: Vec<_> = RULES.iter().map(|r| r.id).collect();
        ids.sort_unstable();
        let count = ids.len();
        ids.dedup();
        assert_eq!(ids.len(), count);
        for id in ids {
            assert!(
                id.chars().all(|c| c.is_ascii_lowercase() || c == '-'),
                "{id}"
            );
        }
    }
}
