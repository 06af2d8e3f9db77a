//! The rules of reading a plan (loader rules, always errors) and the style
//! rules of `trackplan lint` (a plan configures their severity).

use super::{Family, Rule, registry};
use crate::diagnostic::Severity;

const fn loader(
    id: &'static str,
    what: &'static str,
    why: &'static str,
    example: &'static str,
) -> Rule {
    Rule::new(id, Family::Loader, Severity::Error, what, why, example)
}

const fn style(
    id: &'static str,
    default: Severity,
    what: &'static str,
    why: &'static str,
    example: &'static str,
) -> Rule {
    Rule::new(id, Family::Style, default, what, why, example)
}

registry! {
    UNREADABLE_FILE = loader(
        "unreadable-file",
        "Reports a plan or included file that is not UTF-8 text or is larger than 16 MiB.",
        "trackplan reads plans as YAML text; anything else is the wrong file.",
        "a binary file passed as a plan",
    );
    YAML_SYNTAX = loader(
        "yaml-syntax",
        "Reports text that is not valid YAML, a file with more than one document, nesting deeper than 64 levels, and aliases that add more than 250,000 nodes once expanded.",
        "Nothing can be read past a syntax error; the limits stop hostile files from exhausting memory.",
        "events: [Login",
    );
    UNKNOWN_FIELD = loader(
        "unknown-field",
        "Reports a field the plan format does not have, suggesting the closest valid name.",
        "A misspelled field is silently ignored by most YAML readers, so the setting it was meant to make never applies.",
        "properties:\n  method: {type: string, requried: false}",
    );
    MISSING_FIELD = loader(
        "missing-field",
        "Reports a field the format requires: `trackplan` in every file, `name` and `version` in the root plan.",
        "Commands need the format version to read a file and the plan's name and version to label what they produce.",
        "name: Accounts\nevents: {}",
    );
    INVALID_TYPE = loader(
        "invalid-type",
        "Reports a value of the wrong type, such as a list where a mapping is expected or a number where a string is.",
        "The value cannot mean what the format expects; YAML's unquoted `1.10` is a number, not a version string.",
        "version: 1.2",
    );
    INVALID_VALUE = loader(
        "invalid-value",
        "Reports a value outside the allowed set: an unknown `type` or `format`, an unsupported format version, a malformed version.",
        "The plan would say something trackplan cannot check.",
        "properties:\n  price: {type: float}",
    );
    DUPLICATE_NAME = loader(
        "duplicate-name",
        "Reports an event, property, definition or group defined twice, in one file or across included files.",
        "YAML keeps only one of two equal keys, so half of what was written silently disappears.",
        "events:\n  Login: {}\n  Login: {identified: true}",
    );
    UNRESOLVED_REF = loader(
        "unresolved-ref",
        "Reports a `ref` to a shared definition that does not exist.",
        "The property would have no type to check against.",
        "properties:\n  method: {ref: login_mehtod}",
    );
    INVALID_REF = loader(
        "invalid-ref",
        "Reports a use site that sets more than `required` and `description` beside `ref`, and a shared definition that is itself a `ref`.",
        "A use site that changes a shared definition's type makes the definition mean different things in different places.",
        "properties:\n  method: {ref: login_method, type: integer}",
    );
    MISSING_TYPE = loader(
        "missing-type",
        "Reports a property with neither `type` nor `ref`.",
        "Its values could not be checked nor typed in generated code.",
        "properties:\n  method: {description: How they logged in.}",
    );
    CONSTRAINT_MISMATCH = loader(
        "constraint-mismatch",
        "Reports a constraint that does not apply to the property's type (`format` on an integer, `minimum` on a string, `items` on a non-list) and a list without `items`.",
        "The constraint would be silently ignored.",
        "properties:\n  age: {type: integer, max_length: 3}",
    );
    INVALID_RANGE = loader(
        "invalid-range",
        "Reports `minimum` above `maximum`, `min_length` above `max_length`, `min_items` above `max_items`.",
        "No value could satisfy the property: every event would be a violation.",
        "properties:\n  attempt: {type: integer, minimum: 10, maximum: 1}",
    );
    ENUM_TYPE_MISMATCH = loader(
        "enum-type-mismatch",
        "Reports `enum` values that do not have the property's type, and an empty `enum`.",
        "An unquoted `1` in a string enum is a number in YAML, and the string \"1\" that the app sends would be rejected.",
        "properties:\n  plan: {type: string, enum: [free, 1, 2]}",
    );
    INVALID_PATTERN = loader(
        "invalid-pattern",
        "Reports a `pattern` that is not a valid regular expression.",
        "The property could not be checked.",
        "properties:\n  code: {type: string, pattern: \"^[A-Z\"}",
    );
    UNKNOWN_EVENT = loader(
        "unknown-event",
        "Reports a `replaced_by` that names no event of the plan.",
        "Readers of a deprecated event are sent to an event that does not exist.",
        "events:\n  Signup: {status: deprecated, replaced_by: Acount Created}",
    );
    INVALID_VARIANT = loader(
        "invalid-variant",
        "Reports `variants` that cannot be applied: a discriminator (`by`) that names no property, is optional, has no `enum`, or is not a string, integer or boolean; a case keyed by a value outside the discriminator's `enum`; a case property that gives a base property another type, or gives the discriminator again; an `absent` entry that names no base property, the discriminator, or a property the case adds.",
        "`check` could not tell which case a record belongs to, or what the case requires, and the generated types would not say the same as the checks.",
        "properties:\n  item_type: {type: string, enum: [drink, food]}\nvariants:\n  by: item_type\n  cases:\n    drinks: {properties: {size: {type: string}}}",
    );
    INCLUDE_MISSING = loader(
        "include-missing",
        "Reports an `include` whose file cannot be read.",
        "The events it would add are missing from the plan.",
        "include: [teams/checkout.yaml]",
    );
    INCLUDE_CYCLE = loader(
        "include-cycle",
        "Reports an `include` that leads back to a file already being included.",
        "The plan would include itself forever.",
        "# a.yaml\ninclude: [b.yaml]\n# b.yaml\ninclude: [a.yaml]",
    );
    UNKNOWN_RULE = loader(
        "unknown-rule",
        "Reports a rule id in `lint.rules` that is no style rule.",
        "A misspelled rule id would leave the rule at its default severity without anyone noticing.",
        "lint:\n  rules: {missing-descripton: error}",
    );
    IDENTIFIER_COLLISION = style(
        "identifier-collision",
        Severity::Warning,
        "Reports two items of the plan that would get the same identifier in generated code, in any built-in target: two events (`Page Viewed`, `page_viewed`), two fields of one struct, an event and an enum type (Rust's `OrderStatus` for `Order` / `status` and for the event `Order Status`), two values of one enum. It names both places and the identifier each target uses instead; it comes from the generators' own naming (docs/naming.md), so it reports exactly the collisions they resolve.",
        "Generated code then names the later one with a number (`pageViewed2`, `OrderStatus2`), which says nothing about what it is.",
        "events:\n  Page Viewed: {}\n  page_viewed: {}",
    );
    RESERVED_IDENTIFIER = style(
        "reserved-identifier",
        Severity::Info,
        "Reports an item whose identifier in a built-in target would be a word the language reserves (`class`, Rust's `type`) or a name the generated code defines itself (TypeScript's `track`, `init`, `register`, `people`), with the identifier generated code uses instead (`track_`, `type_`).",
        "Nothing breaks: the identifier gets a suffix. But a developer looking for the helper of the event `Track` should know it is `track_()`, not `track()` (which is the generic one).",
        "events:\n  Track: {description: A song was played.}",
    );
    MISSING_DESCRIPTION = style(
        "missing-description",
        Severity::Warning,
        "Reports a plan, event, property, definition or group without a `description`.",
        "Analysts read the plan to know what an event means; without a description they guess.",
        "events:\n  Login: {properties: {method: {type: string}}}",
    );
    EVENT_NAMING = style(
        "event-naming",
        Severity::Warning,
        "Reports an event name that does not follow the plan's convention (`lint.naming.events`: `title_case` by default; `snake_case`, `camel_case` or `object_action`).",
        "Mixpanel advises one convention per project: mixed conventions split one action into several events in reports.",
        "events:\n  page_viewed: {}",
    );
    PROPERTY_NAMING = style(
        "property-naming",
        Severity::Warning,
        "Reports a property name that does not follow the plan's convention (`lint.naming.properties`: `snake_case` by default, or `camel_case`). Names with Mixpanel's `$` and `mp_` prefixes are left to `reserved-prefix`.",
        "Consistent names make properties easy to find and to reuse across events.",
        "properties:\n  pageUrl: {type: string}",
    );
    RESERVED_PREFIX = style(
        "reserved-prefix",
        Severity::Error,
        "Reports a custom event or property whose name starts with `$` or `mp_` and is not one of Mixpanel's own.",
        "Those prefixes belong to Mixpanel; a custom `$` name can clash with one Mixpanel adds later and is hidden in parts of its UI.",
        "events:\n  $signup: {}",
    );
    UNUSED_DEFINITION = style(
        "unused-definition",
        Severity::Warning,
        "Reports a shared definition under `properties:` that no `ref` uses.",
        "Dead definitions mislead readers into thinking a property is sent.",
        "properties:\n  coupon_code: {type: string}",
    );
    DEPRECATED_WITHOUT_REPLACEMENT = style(
        "deprecated-without-replacement",
        Severity::Warning,
        "Reports a deprecated event without `replaced_by`.",
        "Whoever sends the event, or reports on it, needs to know what to use instead.",
        "events:\n  Signup: {status: deprecated}",
    );
    PII_NOT_MARKED = style(
        "pii-not-marked",
        Severity::Warning,
        "Reports a property whose name looks like personal data (an email, phone, name, address, IP address, birth date) without `pii: true`.",
        "Personal data needs care: consent, retention, and keeping it out of places it should not reach. Marking it makes it visible in the docs and exports.",
        "user_properties:\n  email: {type: string}",
    );
}
