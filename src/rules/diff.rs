//! The rules of `trackplan diff`: each kind of change between two plans,
//! with how it affects the plan's users and the version bump it needs.

use super::{Family, Rule, registry};
use crate::diagnostic::Severity;
use crate::diff::Bump::{self, Major, Minor, Patch};
use crate::diff::Category::{self, BreakingCode, BreakingReports, Compatible, Deprecation};

/// A diff rule; its severity follows from its category: breaking changes
/// are errors, deprecations warnings, the rest information.
const fn diff(
    id: &'static str,
    category: Category,
    bump: Bump,
    what: &'static str,
    why: &'static str,
    example: &'static str,
) -> Rule {
    let severity = match category {
        BreakingReports | BreakingCode => Severity::Error,
        Deprecation => Severity::Warning,
        Compatible => Severity::Info,
    };
    Rule::new(
        id,
        Family::Diff { category, bump },
        severity,
        what,
        why,
        example,
    )
}

registry! {
    EVENT_REMOVED = diff(
        "event-removed",
        BreakingReports,
        Major,
        "An event is gone: reports on it stop receiving data.",
        "Saved reports, funnels and alerts on the event stop receiving new data without any error; deprecating it first (`status: deprecated`, `replaced_by`) gives senders and analysts time to move.",
        "# before\nevents:\n  Signup: {}\n  Account Created: {}\n# after\nevents:\n  Account Created: {}",
    );
    EVENT_RENAMED = diff(
        "event-renamed",
        BreakingReports,
        Major,
        "An event has a new name (`renamed_from` names the old one): reports must follow it.",
        "Mixpanel sees the new name as a different event, so existing reports keep querying the old name and show a drop to zero until they are updated; history stays under the old name.",
        "# before\nevents:\n  Signup: {}\n# after\nevents:\n  Account Created: {renamed_from: Signup}",
    );
    PROPERTY_REMOVED = diff(
        "property-removed",
        BreakingReports,
        Major,
        "A property is gone: breakdowns and filters on it go empty.",
        "Breakdowns and filters on the property go empty for new data, so funnels and cohorts segmented by it silently change meaning.",
        "# before\nevents:\n  Login: {properties: {method: {type: string}, remember_me: {type: boolean}}}\n# after\nevents:\n  Login: {properties: {method: {type: string}}}",
    );
    PROPERTY_RENAMED = diff(
        "property-renamed",
        BreakingReports,
        Major,
        "A property has a new name (`renamed_from`).",
        "Mixpanel treats the new name as a different property, so reports that break down or filter by the old name get no new data, while history stays under the old name.",
        "# before\nevents:\n  Login: {properties: {method: {type: string}}}\n# after\nevents:\n  Login: {properties: {login_method: {type: string, renamed_from: method}}}",
    );
    TYPE_CHANGED = diff(
        "type-changed",
        BreakingReports,
        Major,
        "A property's type changed.",
        "Values of the new type land in the same property as the old ones, so a count that becomes a string can no longer be summed across the change, and the generated field's type changes under the code that sets it.",
        "# before\nproperties:\n  attempt: {type: integer}\n# after\nproperties:\n  attempt: {type: string}",
    );
    ENUM_VALUE_REMOVED = diff(
        "enum-value-removed",
        BreakingReports,
        Major,
        "A value is no longer allowed: reports filtering on it go empty, and code sending it stops compiling.",
        "Reports filtering on the value go empty from now on, `check` reports senders still using it as `not-in-enum`, and the generated code no longer accepts it, so calls passing it stop compiling.",
        "# before\nproperties:\n  login_method: {type: string, enum: [password, google, facebook]}\n# after\nproperties:\n  login_method: {type: string, enum: [password, google]}",
    );
    CONSTRAINT_NARROWED = diff(
        "constraint-narrowed",
        BreakingReports,
        Major,
        "A format or pattern was added or changed, a range, length or list size narrowed, or `null` no longer allowed: values once valid are now violations.",
        "Values that used to pass are now violations: `check` starts failing on traffic that did not change, so senders must be fixed before the plan ships.",
        "# before\nproperties:\n  attempt: {type: integer, minimum: 1, maximum: 10}\n# after\nproperties:\n  attempt: {type: integer, minimum: 1, maximum: 5}",
    );
    PROPERTY_MADE_REQUIRED = diff(
        "property-made-required",
        BreakingCode,
        Major,
        "An optional property became required: code that omits it stops compiling.",
        "The generated helper now requires the property, so every call that omits it stops compiling, and traffic without it fails `check` with `missing-property`.",
        "# before\nproperties:\n  remember_me: {type: boolean, required: false}\n# after\nproperties:\n  remember_me: {type: boolean}",
    );
    REQUIRED_PROPERTY_ADDED = diff(
        "required-property-added",
        BreakingCode,
        Major,
        "A new required property: every call must now send it.",
        "Every call of the event's generated helper must now pass the property or it stops compiling, and traffic from clients not yet updated fails `check` with `missing-property`.",
        "# before\nevents:\n  Logout: {properties: {reason: {type: string}}}\n# after\nevents:\n  Logout: {properties: {reason: {type: string}, session_minutes: {type: integer}}}",
    );
    IDENTIFIER_RENAMED = diff(
        "identifier-renamed",
        BreakingCode,
        Major,
        "An identifier of the generated code changed (an event's helper or type, a field, an enum variant, the crate), given with the old and new name per target: code using the old one stops compiling. It happens when an item given its names earlier now takes the name (docs/naming.md says what can).",
        "Code calling the old helper, type, field or variant stops compiling once regenerated, though nothing changed on the wire; it happens when an item earlier in the plan now takes the name.",
        "# before\nevents:\n  Page Viewed: {}\n# after: TypeScript's pageViewed() becomes pageViewed2()\nevents:\n  page_viewed: {}\n  Page Viewed: {}",
    );
    IDENTIFIED_ADDED = diff(
        "identified-added",
        BreakingReports,
        Major,
        "An event must now carry the user id (`identified: true`): traffic without it fails `check` with `not-identified`.",
        "Traffic without the user id, from clients that send the event before login or have not been updated, now fails `check` with `not-identified`.",
        "# before\nevents:\n  Profile Updated: {}\n# after\nevents:\n  Profile Updated: {identified: true}",
    );
    IDENTITY_CHANGED = diff(
        "identity-changed",
        BreakingReports,
        Major,
        "The plan's `identity` keys changed (`anonymous_id`, `user_id`): `check` reads ids from other properties, and the generated code sends them under the new names.",
        "`check` now reads the ids from other properties, so traffic still sending the old ones fails its identity checks; and the generated code sends the ids under the new names, which Mixpanel's simplified ID merge (`$device_id`, `$user_id`) does not read.",
        "# before\nidentity: {user_id: $user_id}\n# after\nidentity: {user_id: account_id}",
    );
    UNDECLARED_PROPERTIES_TIGHTENED = diff(
        "undeclared-properties-tightened",
        BreakingReports,
        Major,
        "`additional_properties` of the plan or an event is stricter (allow → warn → deny): traffic that passed `check` now gets warnings or errors for properties the plan does not declare.",
        "Traffic that passed `check` now gets warnings, or errors that fail CI, for every property the plan does not declare; declare what senders legitimately send before tightening.",
        "# before\nadditional_properties: warn\n# after\nadditional_properties: deny",
    );
    GROUP_REMOVED = diff(
        "group-removed",
        BreakingCode,
        Major,
        "A group is gone: its generated helpers disappear, and `check` no longer knows its updates.",
        "The group's generated helpers (TypeScript's `companyGroup()`) disappear, so code calling them stops compiling, and `check` reports the group's updates as `unknown-group`.",
        "# before\ngroups:\n  company: {properties: {plan: {type: string}}}\n# after\ngroups: {}",
    );
    DISCRIMINATOR_CHANGED = diff(
        "discriminator-changed",
        BreakingCode,
        Major,
        "An event's variants are by another property, or were added or removed: each record is now judged by other cases, and the generated types of the event change shape.",
        "Code written against the old cases no longer compiles, and `check`'s verdicts on old traffic change for every value.",
        "# before\nvariants:\n  by: item_type\n# after\nvariants:\n  by: channel",
    );
    PROPERTY_MOVED_TO_CASE = diff(
        "property-moved-to-case",
        BreakingCode,
        Major,
        "A property of an event's base properties is now given only by some of its cases: the other values may no longer send it.",
        "Code sending it with another value stops compiling, and such traffic gets `unexpected-property` (or `absent-property`).",
        "# before\nproperties:\n  milk: {type: string, required: false}\n# after\nvariants:\n  cases:\n    drink: {properties: {milk: {type: string, required: false}}}",
    );
    CASE_REMOVED = diff(
        "case-removed",
        Compatible,
        Minor,
        "A case of an event's variants is gone: its value is judged by the default case, else the base properties. The changes that makes to what the value may carry are reported beside it, each with its own category.",
        "Reports by the case's own properties go empty for new traffic.",
        "# before\ncases:\n  food: {absent: [size]}\n# after\ncases: {}",
    );
    CASE_ADDED = diff(
        "case-added",
        Compatible,
        Minor,
        "A new case of an event's variants: its value is judged by it instead of the default case or the base properties. What it adds or forbids is reported beside it, each with its own category (a required property added is breaking).",
        "Code sending that value must follow the case from now on.",
        "# before\ncases: {}\n# after\ncases:\n  merch: {properties: {sku: {type: string}}}",
    );
    PROPERTY_MOVED_TO_BASE = diff(
        "property-moved-to-base",
        Compatible,
        Minor,
        "A property that only cases gave is now a base property: every value may send it.",
        "Nothing breaks; reports on it now cover every kind of event.",
        "# before\nvariants:\n  cases:\n    drink: {properties: {milk: {type: string, required: false}}}\n# after\nproperties:\n  milk: {type: string, required: false}",
    );
    EVENT_DEPRECATED = diff(
        "event-deprecated",
        Deprecation,
        Minor,
        "An event was deprecated (with or without `replaced_by`).",
        "Nothing breaks yet, but `check` now warns with `deprecated-event` wherever the event is still sent, and senders and reports should move to its replacement before a major version removes it.",
        "# before\nevents:\n  Signup: {}\n# after\nevents:\n  Signup: {status: deprecated, replaced_by: Account Created}",
    );
    PROPERTY_DEPRECATED = diff(
        "property-deprecated",
        Deprecation,
        Minor,
        "A property was deprecated.",
        "The property still works, but reports and senders should move to its successor (named in its description) before a major version removes it.",
        "# before\nproperties:\n  referrer: {type: string, required: false}\n# after\nproperties:\n  referrer: {type: string, required: false, deprecated: true, description: Use $referrer.}",
    );
    EVENT_ADDED = diff("event-added", Compatible, Minor, "A new event.", "Nothing existing changes: clients not yet updated simply do not send it. Planning it before it ships keeps `check` from reporting it as `unplanned-event`.", "# before\nevents:\n  Login: {}\n# after\nevents:\n  Login: {}\n  Logout: {}");
    GROUP_ADDED = diff("group-added", Compatible, Minor, "A new group.", "Nothing existing changes: generated code gains the group's helpers, and `check` accepts updates for the key instead of reporting them as `unknown-group`.", "# before\ngroups: {}\n# after\ngroups:\n  company: {properties: {plan: {type: string}}}");
    IDENTIFIED_REMOVED = diff(
        "identified-removed",
        Compatible,
        Minor,
        "An event no longer needs the user id (`identified` dropped).",
        "Traffic that passed still passes, but `check` no longer reports the event without the user id, so a client that loses the login there goes unnoticed.",
        "# before\nevents:\n  Autologin: {identified: true}\n# after\nevents:\n  Autologin: {}",
    );
    UNDECLARED_PROPERTIES_LOOSENED = diff(
        "undeclared-properties-loosened",
        Compatible,
        Minor,
        "`additional_properties` of the plan or an event is more lenient (deny → warn → allow).",
        "Traffic that passed still passes, but properties the plan does not declare are reported less loudly or not at all, so a misspelled property can slip through.",
        "# before\nadditional_properties: deny\n# after\nadditional_properties: warn",
    );
    EVENT_STATUS_CHANGED = diff(
        "event-status-changed",
        Compatible,
        Minor,
        "An event's status changed other than to deprecated (planned → active, deprecated → active, active → planned): `check`'s warnings about its status change with it.",
        "`check`'s warnings follow the status: a `planned` event made `active` stops raising `planned-event`, one moved back to `planned` starts raising it.",
        "# before\nevents:\n  Two Factor Enabled: {status: planned}\n# after\nevents:\n  Two Factor Enabled: {status: active}",
    );
    OPTIONAL_PROPERTY_ADDED = diff(
        "optional-property-added",
        Compatible,
        Minor,
        "A new optional property.",
        "Existing calls and traffic stay valid, since the property may be left out; breakdowns by it show `(not set)` for events from clients that do not send it yet.",
        "# before\nevents:\n  Login: {properties: {method: {type: string}}}\n# after\nevents:\n  Login: {properties: {method: {type: string}, remember_me: {type: boolean, required: false}}}",
    );
    ENUM_VALUE_ADDED = diff(
        "enum-value-added",
        Compatible,
        Minor,
        "A new allowed value.",
        "Existing values stay valid, but the new one appears in reports, and filters or dashboards that list every known value miss it until updated.",
        "# before\nproperties:\n  reason: {type: string, enum: [user, expired]}\n# after\nproperties:\n  reason: {type: string, enum: [user, expired, password_changed]}",
    );
    CONSTRAINT_WIDENED = diff(
        "constraint-widened",
        Compatible,
        Minor,
        "A range, length or list size widened, a format or pattern dropped, or `null` now allowed.",
        "Everything that passed still passes; values `check` rejected before are now accepted, so consumers that relied on the tighter constraint (a column width, a parser for the format) must handle them.",
        "# before\nproperties:\n  quantity: {type: integer, minimum: 1, maximum: 50}\n# after\nproperties:\n  quantity: {type: integer, minimum: 1, maximum: 99}",
    );
    PROPERTY_MADE_OPTIONAL = diff(
        "property-made-optional",
        Compatible,
        Minor,
        "A required property became optional.",
        "Existing calls and traffic stay valid, but reports can no longer count on the property: breakdowns by it start showing `(not set)` for events that leave it out.",
        "# before\nproperties:\n  page_title: {type: string}\n# after\nproperties:\n  page_title: {type: string, required: false}",
    );
    METADATA_CHANGED = diff(
        "metadata-changed",
        Compatible,
        Patch,
        "A description, owner or tags changed.",
        "Nothing a sender or `check` sees changes, but descriptions, owners and tags are what analysts read to interpret reports and whom they ask, so the change is recorded with a patch bump.",
        "# before\nevents:\n  Logout: {owner: accounts-team}\n# after\nevents:\n  Logout: {owner: identity-team}",
    );
}
