//! The rules of `trackplan check`: what a record of traffic can break.
//! `serve`, the SQL form of the checks and the generated runtime
//! validation report the same rules.

use super::{Family, Rule, registry};
use crate::diagnostic::Severity::{self, Error, Warning};

const fn check(
    id: &'static str,
    severity: Severity,
    what: &'static str,
    why: &'static str,
    example: &'static str,
) -> Rule {
    Rule::new(id, Family::Check, severity, what, why, example)
}

registry! {
    UNDECODABLE = check(
        "undecodable",
        Error,
        "A record, or part of the input, that could not be decoded: invalid JSON, base64 or UTF-8, a truncated file, a line over 16 MiB, a body that is not Mixpanel's. Counted; the rest of the input is still checked.",
        "Nothing in an undecodable record is checked, so a clean report says nothing about it; and a body trackplan cannot decode (broken JSON, bad base64 or URL encoding) is usually one Mixpanel cannot ingest either, so the client's events are lost.",
        "# a line of NDJSON cut off mid-record\n{\"event\": \"Login\", \"properties\": {\"method\": \"passw",
    );
    MALFORMED_RECORD = check(
        "malformed-record",
        Error,
        "A record without the shape Mixpanel expects: an event without a string `event`, `properties` that is not an object, a group update without `$group_id`.",
        "Mixpanel cannot ingest the record as the sender meant it (an event needs a string name and an object of properties, a group update a `$group_id`), and none of the plan's checks can run on it.",
        "# record\n{\"event\": \"Login\", \"properties\": \"method=password&distinct_id=u-42\"}",
    );
    UNPLANNED_EVENT = check(
        "unplanned-event",
        Error,
        "An event the plan does not define. Mixpanel's own events (`$identify`, `$mp_web_page_view`, autocapture, ...) are recognised and not reported; a plan that defines one checks it.",
        "An event nobody planned has no description or owner, so analysts cannot tell what it means; often it is a misspelling (`Log In` for `Login`) that splits one action into two events in reports.",
        "events:\n  Login: {}\n# record\n{\"event\": \"Log In\", \"properties\": {\"distinct_id\": \"u-42\"}}",
    );
    RENAMED_EVENT = check(
        "renamed-event",
        Error,
        "An event sent under an old name: the plan renamed it (an event's `renamed_from` names this one), and the report names the new name to send instead.",
        "Reports now follow the new name, so events still sent under the old one fall out of them; the sender missed the rename and must switch to the name the report gives.",
        "events:\n  Account Created: {renamed_from: Signup}\n# record\n{\"event\": \"Signup\", \"properties\": {\"distinct_id\": \"u-42\"}}",
    );
    DEPRECATED_EVENT = check(
        "deprecated-event",
        Warning,
        "An event the plan marks `deprecated`; the report names its `replaced_by`.",
        "Reports are moving to the replacement, so data still sent under the deprecated event is split from it and will stop being looked at; the sender should switch to `replaced_by`.",
        "events:\n  Signup: {status: deprecated, replaced_by: Account Created}\n# record\n{\"event\": \"Signup\", \"properties\": {\"distinct_id\": \"u-42\"}}",
    );
    PLANNED_EVENT = check(
        "planned-event",
        Warning,
        "An event the plan marks `planned`: sent before the plan says it is live.",
        "The event is not meant to be live yet and its definition may still change; data sent now (often from a build that shipped early) mixes into reports before anyone agreed on its shape.",
        "events:\n  Two Factor Enabled: {status: planned}\n# record\n{\"event\": \"Two Factor Enabled\", \"properties\": {\"$user_id\": \"u-42\", \"factor\": \"totp\"}}",
    );
    MISSING_PROPERTY = check(
        "missing-property",
        Error,
        "A required property of the event (or field of an object) is absent.",
        "Breakdowns and filters on the property put the event under `(not set)`, so a funnel or chart split by it silently loses those events.",
        "events:\n  Login:\n    properties:\n      method: {type: string, enum: [password, google]}\n# record\n{\"event\": \"Login\", \"properties\": {\"distinct_id\": \"u-42\"}}",
    );
    MISSING_SUPER_PROPERTY = check(
        "missing-super-property",
        Error,
        "A super property (sent with every event) is absent.",
        "Super properties are what every report splits by (platform, app version); an event sent without one, often before `register()` ran or from a server, falls under `(not set)` in all of them.",
        "super_properties:\n  app_platform: {type: string, enum: [ios, android, web]}\n# record\n{\"event\": \"App Opened\", \"properties\": {\"distinct_id\": \"u-42\", \"cold_start\": true}}",
    );
    WRONG_TYPE = check(
        "wrong-type",
        Error,
        "A value of the wrong JSON type: a string where an integer is planned, and so on. Integers may be written `2.0`.",
        "Mixpanel treats a value by its JSON type, so a count sent as the string \"2\" cannot be summed or averaged and shows as a separate value from the number 2; typed consumers of the data fail to read it.",
        "properties:\n  attempt: {type: integer, minimum: 1}\n# record\n{\"event\": \"Login\", \"properties\": {\"distinct_id\": \"u-42\", \"attempt\": \"2\"}}",
    );
    NULL_VALUE = check(
        "null-value",
        Error,
        "`null` where the property is not `nullable`.",
        "A `null` usually means the client read the value before it was available; reports get an event without a usable value, and consumers expecting the planned type must handle a case the plan says cannot happen.",
        "properties:\n  referrer: {type: string, format: uri}\n# record\n{\"event\": \"Page Viewed\", \"properties\": {\"distinct_id\": \"u-42\", \"referrer\": null}}",
    );
    NOT_IN_ENUM = check(
        "not-in-enum",
        Error,
        "A value that is not one of the property's `enum` values.",
        "Reports break down by exact value, so `Pro` next to `pro` splits one plan into two rows, and filters on the planned values miss the stray ones.",
        "properties:\n  plan: {type: string, enum: [free, pro]}\n# record\n{\"event\": \"Upgraded\", \"properties\": {\"distinct_id\": \"u-42\", \"plan\": \"Pro\"}}",
    );
    INVALID_FORMAT = check(
        "invalid-format",
        Error,
        "A string not in the property's `format` (uri, email, uuid, date, date-time, ipv4, ipv6, hostname; judged by the jsonschema crate's format checks), or a `datetime` that is not ISO 8601.",
        "A value in another shape cannot be parsed or joined downstream: Mixpanel reads a date-time only in ISO 8601 and keeps anything else as plain text, and a `uuid` that is not one matches no row of the system that issued it.",
        "properties:\n  pickup_time: {type: datetime}\n# record\n{\"event\": \"Order Placed\", \"properties\": {\"distinct_id\": \"u-42\", \"pickup_time\": \"10/06/2024 08:15\"}}",
    );
    PATTERN_MISMATCH = check(
        "pattern-mismatch",
        Error,
        "A string that does not match the property's `pattern`.",
        "A pattern encodes the id scheme other systems rely on; a store id sent as `42` instead of `st-0042` joins to nothing and splits one store into two values in reports.",
        "properties:\n  store_id: {type: string, pattern: \"^st-[0-9]{4}$\"}\n# record\n{\"event\": \"Menu Viewed\", \"properties\": {\"distinct_id\": \"u-42\", \"store_id\": \"42\"}}",
    );
    OUT_OF_RANGE = check(
        "out-of-range",
        Error,
        "A number outside `minimum`..`maximum`.",
        "An out-of-range number is usually a unit or off-by-one bug in the sender (cents for euros, a 0 for \"unknown\"), and one such value skews every sum and average it enters.",
        "properties:\n  quantity: {type: integer, minimum: 1, maximum: 50}\n# record\n{\"event\": \"Added To Cart\", \"properties\": {\"distinct_id\": \"u-42\", \"quantity\": 0}}",
    );
    INVALID_LENGTH = check(
        "invalid-length",
        Error,
        "A string shorter than `min_length` or longer than `max_length` characters.",
        "The bounds describe what a real value looks like: an empty string or a page of text in the field is a bug in the sender, and shows up in reports as a junk value beside the real ones.",
        "properties:\n  coupon_code: {type: string, min_length: 4, max_length: 12}\n# record\n{\"event\": \"Coupon Applied\", \"properties\": {\"distinct_id\": \"u-42\", \"coupon_code\": \"\"}}",
    );
    INVALID_LIST_SIZE = check(
        "invalid-list-size",
        Error,
        "A list with fewer than `min_items` or more than `max_items` items.",
        "An empty list where the plan wants at least one item usually means the event was sent before the client knew what it was about, and a list past `max_items` often holds duplicates; either way counts over the list's values are wrong.",
        "properties:\n  fields: {type: list, items: {type: string}, min_items: 1}\n# record\n{\"event\": \"Profile Updated\", \"properties\": {\"$user_id\": \"u-42\", \"fields\": []}}",
    );
    ABSENT_PROPERTY = check(
        "absent-property",
        Error,
        "A property the record's case of `variants` lists as `absent`: a pastry's `size` when `item_type: food` says food has none.",
        "Reports on the property mix the values of the events that have it with stray ones from those that should not, usually copied from another case's code.",
        "properties:\n  item_type: {type: string, enum: [drink, food]}\n  size: {type: string, required: false}\nvariants:\n  by: item_type\n  cases:\n    food: {absent: [size]}\n# record\n{\"event\": \"Purchased Item\", \"properties\": {\"distinct_id\": \"u-42\", \"item_type\": \"food\", \"size\": \"large\"}}",
    );
    UNEXPECTED_PROPERTY = check(
        "unexpected-property",
        Warning,
        "A property the plan does not declare: a warning under `additional_properties: warn` (the default), an error under `deny`, nothing under `allow`. The properties Mixpanel's SDKs add (`$`/`mp_` names, UTM parameters, click ids) are never reported.",
        "A property outside the plan has no definition or description, and is often a misspelling of a planned one (`loginMethod` for `method`), whose values then go missing from reports that use the planned name.",
        "additional_properties: warn\nevents:\n  Login: {properties: {method: {type: string}}}\n# record\n{\"event\": \"Login\", \"properties\": {\"distinct_id\": \"u-42\", \"loginMethod\": \"google\"}}",
    );
    NOT_IDENTIFIED = check(
        "not-identified",
        Error,
        "An event marked `identified: true` without the user id (`identity.user_id`, `$user_id` by default).",
        "Without the user id the event is attributed to the anonymous device rather than the user, so the user's funnels and retention can miss an event that by definition happens after login.",
        "events:\n  Logout: {identified: true}\n# record\n{\"event\": \"Logout\", \"properties\": {\"$device_id\": \"d-7f3a\"}}",
    );
    USER_ID_AFTER_LOGIN = check(
        "user-id-after-login",
        Error,
        "An event from a device that was tied to a user earlier in the stream, sent without the user id.",
        "It means a code path lost the login (a page that skips `identify()`, a backend call that forwards only the device id); whatever reads the user id from events, such as exports and warehouse joins, then sees that user's later activity as anonymous.",
        "identity: {anonymous_id: $device_id, user_id: $user_id}\n# records, in this order\n{\"event\": \"Login\", \"properties\": {\"$device_id\": \"d-7f3a\", \"$user_id\": \"u-42\", \"time\": 1718000000}}\n{\"event\": \"Cart Viewed\", \"properties\": {\"$device_id\": \"d-7f3a\", \"time\": 1718000060}}",
    );
    MISSING_DISTINCT_ID = check(
        "missing-distinct-id",
        Error,
        "An event with none of `distinct_id`, the anonymous id and the user id; a profile update without `$distinct_id`.",
        "Without any id Mixpanel cannot attribute the event to anyone, so it counts in totals but in no user's funnel or retention; a profile update without `$distinct_id` cannot say which profile to change.",
        "# record\n{\"event\": \"Page Viewed\", \"properties\": {\"page_url\": \"https://example.com/\"}}",
    );
    UNKNOWN_GROUP = check(
        "unknown-group",
        Error,
        "A group update for a group key the plan does not define.",
        "A group key the plan does not define is usually a typo (`companies` for `company`), and its updates build profiles that no report on the planned group type reads.",
        "groups:\n  company: {properties: {plan: {type: string}}}\n# record\n{\"$group_key\": \"companies\", \"$group_id\": \"acme\", \"$set\": {\"plan\": \"pro\"}}",
    );
    INVALID_PROFILE_OPERATION = check(
        "invalid-profile-operation",
        Error,
        "A profile or group operation Mixpanel does not have, or one applied to the wrong kind of property (`$add` on a string, `$union` on a non-list, `$add`/`$append` on a group).",
        "Mixpanel cannot apply such an operation (`$add` increments only numbers, `$union` merges only into lists, groups have no `$add` or `$append`), so the profile does not change the way the sender expected.",
        "user_properties:\n  loyalty_tier: {type: string, enum: [bronze, silver, gold]}\n# record\n{\"$distinct_id\": \"u-42\", \"$add\": {\"loyalty_tier\": 1}}",
    );
    TOO_MANY_PROPERTIES = check(
        "too-many-properties",
        Warning,
        "More than 255 properties in an event, or keys in an object value.",
        "Mixpanel documents at most 255 properties per event and 255 keys per object, and does not keep everything past that; an event that wide usually means a map was flattened into property names.",
        "# an event that flattens a cart into one property per item: cart_item_1 ... cart_item_300",
    );
    STRING_TOO_LONG = check(
        "string-too-long",
        Warning,
        "A string over 255 characters; the SDKs truncate it.",
        "Mixpanel's SDKs truncate strings at 255 characters, so what is stored is not what was sent: long URLs and error messages lose their end, and values that differ only there merge in reports.",
        "# an event whose `error_message` holds a 1,200-character stack trace",
    );
    LIST_TOO_LONG = check("list-too-long", Warning, "A list over 255 items.", "Mixpanel documents lists of at most 255 items and does not keep longer ones whole, so breakdowns and filters on the list's values miss the items past the limit.", "# a `Cart Viewed` event listing 400 item ids in one `item_ids` property");
    NESTING_TOO_DEEP = check(
        "nesting-too-deep",
        Warning,
        "Objects nested deeper than 3 levels inside a property.",
        "Mixpanel documents objects nested at most 3 levels deep; values below that are not kept as sent and cannot be used to filter or break down reports.",
        "# record\n{\"event\": \"Order Placed\", \"properties\": {\"distinct_id\": \"u-42\", \"order\": {\"store\": {\"address\": {\"geo\": {\"lat\": 48.85}}}}}}",
    );
    EVENT_TOO_LARGE = check("event-too-large", Warning, "An event over 1 MB of JSON.", "Mixpanel rejects events over 1 MB of JSON, so the whole event is lost, not just the property that made it large.", "# an event carrying a base64-encoded screenshot, 1.4 MB of JSON in all");
    INVALID_INSERT_ID = check(
        "invalid-insert-id",
        Warning,
        "An `$insert_id` that `/import` rejects: longer than 36 characters or outside A-Z, a-z, 0-9 and `-`.",
        "`/import` rejects the event, so a backfill or server-side pipeline loses it; `$insert_id` is also Mixpanel's deduplication key, so it must be a short, stable id such as a UUID.",
        "# record\n{\"event\": \"Order Placed\", \"properties\": {\"distinct_id\": \"u-42\", \"$insert_id\": \"order_3f1c9a52-7d4e-4b8a-9c61-0e2f5a7b8d90\"}}",
    );
    IMPLAUSIBLE_TIME = check(
        "implausible-time",
        Warning,
        "A `time` that is not a number of seconds or milliseconds between 1971 and an hour from now.",
        "`/import` rejects events dated before 1971 or more than an hour ahead, and elsewhere such an event lands far from when it happened; a `time` in microseconds, or a 0 from an unset clock, is the usual cause.",
        "# record\n{\"event\": \"Login\", \"properties\": {\"distinct_id\": \"u-42\", \"time\": 1718000000000000}}",
    );
    DENIED_DISTINCT_ID = check(
        "denied-distinct-id",
        Warning,
        "A `distinct_id` Mixpanel rejects as a placeholder: `anonymous`, `null`, `undefined`, `0`, `-1`, ...",
        "`/import` rejects these placeholder ids, so the events are lost; they come from an id read before it was set (`String(undefined)`), which would otherwise make every such visitor one and the same person.",
        "# record\n{\"event\": \"Page Viewed\", \"properties\": {\"distinct_id\": \"undefined\", \"page_url\": \"https://example.com/\"}}",
    );
}
