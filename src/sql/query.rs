//! Assembling the query: the layout's columns normalised, the ids and the
//! window that ties devices to users, one violation array per record (a
//! `CASE` over the event name, then the rules common to every event),
//! and the aggregation per event name, rule and property.

use super::dialect::{Dialect, Kind};
use super::events::{Share, checks_per_field, common_parts, event_parts};
use super::rules::{PROPERTIES, Rules, join};
use super::{AfterLogin, Layout, Options, Part, Query, Scope};
use crate::diagnostic::Severity;
use crate::mixpanel;
use crate::plan::Plan;
use crate::rules::check as rule;

/// The rule of the totals row counting records, with [`Options::totals`].
pub const RECORDS: &str = "(records)";
/// The rule of the totals row counting records with an error.
pub const INVALID: &str = "(invalid records)";
/// With [`Scope::Part`], the rule of the rows naming (as their property)
/// each line with an error, which only the parts together can count.
pub const ERROR_LINE: &str = "(line with an error)";

/// When an event without the user id breaks `user-id-after-login`: it
/// comes from a device tied to a user by an earlier event (the columns of
/// [`identity`]'s window).
const AFTER_LOGIN: &str = "CASE WHEN event_name IS NOT NULL AND device_id IS NOT NULL AND user_id IS NULL AND ties_before > 0 \
     AND (event_time IS NULL OR first_tie_untimed OR tied_at IS NULL OR event_time > tied_at) THEN 1 ELSE 0 END";

/// The lines (values of [`Options::order_column`]) that break
/// `user-id-after-login`, over every record: what a [`Scope::Slice`]
/// query reads instead of following devices itself.
pub fn after_login_lines(plan: &Plan, options: &Options) -> String {
    let d = options.dialect;
    let whole = Options {
        scope: Scope::Whole,
        ..options.clone()
    };
    let mut rules = Rules::new(d);
    let ids = ids(plan, &whole, &mut rules);
    let prepared = prepared(d, &rules, ids.contains("top_fields["));
    format!(
        "WITH
{}{prepared}{ids}per_record AS (\n  SELECT event_name, device_id, user_id, event_time, input_order FROM ids\n),\n{}         judged AS (\n  SELECT input_order AS line, {AFTER_LOGIN} AS n FROM device_ties\n)\n         SELECT line FROM judged WHERE n = 1\n",
        source(plan, &whole),
        identity(&whole),
    )
}

/// How many checks each planned event adds to a query, in plan order:
/// what a query's size, and DuckDB's time and memory to plan it, grow
/// with.
pub fn checks_per_event(plan: &Plan, dialect: Dialect) -> Vec<usize> {
    plan.events
        .iter()
        .map(|event| {
            let mut rules = Rules::new(dialect);
            event_parts(plan, event, &Share::ALL, &mut rules);
            rules.defs.len()
        })
        .collect()
}

/// How many checks each field of the plan's event `index` adds (the plan's
/// super properties, then its own), for [`Scope::Part`] ranges.
pub fn checks_per_field_of(plan: &Plan, index: usize, dialect: Dialect) -> Vec<usize> {
    plan.events
        .get(index)
        .map(|event| checks_per_field(plan, event, &Rules::new(dialect)))
        .unwrap_or_default()
}

/// The distinct event names of the table (strings only).
pub fn event_names(plan: &Plan, options: &Options) -> String {
    let whole = Options {
        scope: Scope::Whole,
        ..options.clone()
    };
    format!(
        "WITH
{}names AS (\n  SELECT DISTINCT event_name FROM shaped WHERE event_name IS NOT NULL\n)\nSELECT event_name FROM names\n",
        source(plan, &whole)
    )
}

/// Builds the whole query.
pub fn build(plan: &Plan, options: &Options) -> Query {
    let d = options.dialect;
    let mut rules = Rules::new(d);
    let mut branches = Vec::new();
    let (events, share) = options.scope.events(plan);
    // What verdicts are about: the event name, or for an event with
    // variants, its name with the case of the record (as `check` names it).
    let mut subjects = Vec::new();
    for event in events.iter().filter_map(|&i| plan.events.get(i)) {
        if let Some(variants) = &event.variants {
            let supers: Vec<&crate::plan::Property> = plan.super_properties.iter().collect();
            let members = rules.members(PROPERTIES, variants, &supers, &event.properties);
            let labels: Vec<String> = members
                .iter()
                .map(|m| {
                    let subject = match &m.label {
                        Some(label) => format!("{} [{label}]", event.name),
                        None => event.name.clone(),
                    };
                    format!("WHEN {} THEN {}", m.condition, d.string(&subject))
                })
                .collect();
            subjects.push(format!(
                "WHEN event_name = {} THEN CASE {} END",
                d.string(&event.name),
                labels.join(" ")
            ));
        }
    }
    let subject =
        (!subjects.is_empty()).then(|| format!("CASE {} ELSE event_name END", subjects.join(" ")));
    for event in events.iter().filter_map(|&i| plan.events.get(i)) {
        let parts = event_parts(plan, event, &share, &mut rules);
        branches.push(format!(
            "    {}\n    WHEN {} THEN {}",
            d.comment(&format!("event {}", event.name)),
            d.string(&event.name),
            assemble(d, parts, "      ", &rules.defs)
        ));
    }
    // Old names of renamed events: the records of no planned event, so
    // with the whole table or the slice that takes those.
    if options.scope.takes_the_rest() {
        for (old, new) in plan.renamed_events() {
            let id = rules.define(
                None,
                rule::RENAMED_EVENT,
                Severity::Error,
                "event".into(),
                crate::check::wording::renamed_to(new),
            );
            let part = Part::Count {
                id,
                count: "1".into(),
            };
            branches.push(format!(
                "    {}\n    WHEN {} THEN {}",
                d.comment(&format!("event {old}, renamed {new}")),
                d.string(old),
                assemble(d, vec![part], "      ", &rules.defs)
            ));
        }
    }
    let unplanned = rules.define(
        None,
        rule::UNPLANNED_EVENT,
        Severity::Error,
        "event".into(),
        crate::check::wording::PLANNED_EVENT.into(),
    );
    let sdk_events: Vec<String> = mixpanel::SDK_EVENTS
        .iter()
        .map(|s| (*s).to_owned())
        .collect();
    let unplanned_part = Part::Count {
        id: unplanned,
        count: format!(
            "CASE WHEN {} THEN 0 ELSE 1 END",
            d.one_of("event_name", &sdk_events)
        ),
    };
    // The parts of a split event after the first check only their fields.
    let common = if !options.scope.whole_records() {
        Vec::new()
    } else {
        common_parts(plan, &mut rules)
    };
    // Checked after the window, on the few columns it needs.
    let after_login = rules.define(
        None,
        rule::USER_ID_AFTER_LOGIN,
        Severity::Error,
        join(PROPERTIES, &plan.identity.user_id),
        "the user id: this device logged in earlier".into(),
    );
    let malformed = rules.define(
        None,
        rule::MALFORMED_RECORD,
        Severity::Error,
        "event".into(),
        "the event name as a string".into(),
    );
    let unplanned_array = assemble(d, vec![unplanned_part], "      ", &rules.defs);
    // A plan without events has no branch: every event is unplanned.
    let per_event = if branches.is_empty() {
        unplanned_array
    } else {
        format!(
            "CASE event_name\n{}\n    ELSE {unplanned_array}\n    END",
            branches.join("\n")
        )
    };
    let undecodable = rules.define(
        None,
        rule::UNDECODABLE,
        Severity::Error,
        String::new(),
        "a decodable Mixpanel record".into(),
    );
    let found = format!(
        "CASE WHEN undecodable THEN {}\n    WHEN event_name IS NULL THEN {}\n    ELSE {} END",
        assemble(
            d,
            vec![Part::Count {
                id: undecodable,
                count: "1".into()
            }],
            "      ",
            &rules.defs
        ),
        assemble(
            d,
            vec![Part::Count {
                id: malformed,
                count: "1".into()
            }],
            "      ",
            &rules.defs
        ),
        d.concat(&per_event, &assemble(d, common, "      ", &rules.defs))
    );
    let ids = ids(plan, options, &mut rules);
    // DuckDB reads the properties' JSON values only when a rule needs them
    // (lists, objects); types and texts serve the others.
    let raw_values = found.contains("top_fields[") || ids.contains("top_fields[");
    let prepared = prepared(d, &rules, raw_values);
    // Totals ride along as two more checks every decoded record counts
    // for: one record, and one record with an error (0 or 1).
    let totals = options.totals.then(|| {
        let records = rules.tally(RECORDS);
        let invalid = rules.tally(if options.scope.is_part() {
            ERROR_LINE
        } else {
            INVALID
        });
        (records, invalid)
    });
    let checks = rules.defs;
    let error_ids: Vec<String> = checks
        .iter()
        .filter(|c| c.severity == Severity::Error)
        .map(|c| c.id.to_string())
        .collect();
    let mut sql = String::new();
    sql.push_str(&header(plan, options));
    sql.push_str("WITH\n");
    sql.push_str(&source(plan, options));
    sql.push_str(&prepared);
    sql.push_str(&ids);
    let order = if options.order_column.is_some() {
        "input_order"
    } else {
        "CAST(NULL AS BIGINT) AS input_order"
    };
    sql.push_str(&format!(
        "-- One array of violations per record: check number, path (for undeclared keys), count.\n\
         per_record AS (\n  SELECT\n    event_name,{}\n    insert_id,\n    undecodable,\n    device_id,\n    user_id,\n    event_time,\n    {order},\n    {found} AS found\n  FROM ids\n),\n",
        subject.as_ref().map_or_else(String::new, |s| format!("\n    {s} AS subject,"))
    ));
    // With variants the subject rides along, and names the rows.
    let carried = if subject.is_some() {
        "\n    subject,"
    } else {
        ""
    };
    let named = if subject.is_some() {
        "subject AS event_name"
    } else {
        "event_name"
    };
    let (after_login_count, judged) = match options.scope.after_login() {
        AfterLogin::Here => {
            sql.push_str(&identity(options));
            (AFTER_LOGIN.to_owned(), "device_ties")
        }
        AfterLogin::Elsewhere => ("0".to_owned(), "per_record"),
        AfterLogin::Table(lines) => (
            format!("CASE WHEN input_order IN (SELECT line FROM {lines}) THEN 1 ELSE 0 END"),
            "per_record",
        ),
    };
    let after_login_part = assemble(
        d,
        vec![Part::Count {
            id: after_login,
            count: after_login_count,
        }],
        "      ",
        &checks,
    );
    sql.push_str(&format!(
        "-- Then whether a device that logged in earlier sent the event without the user id.\n\
         checked AS (\n  SELECT\n    event_name,{carried}\n    insert_id,\n    undecodable,{}\n    {} AS found\n  FROM {judged}\n),\n",
        if options.scope.is_part() {
            "\n    input_order,"
        } else {
            ""
        },
        d.concat("found", &after_login_part)
    ));
    let mut counted = "checked";
    if let Some((records, invalid)) = totals {
        let has_error = d.has_any("found", &error_ids);
        // A split event's records count in its first part; which of them
        // have an error, only all parts together know: each names them.
        let records_n = if options.scope.whole_records() {
            "1"
        } else {
            "0"
        };
        let invalid_path = if options.scope.is_part() {
            format!("CAST(input_order AS {})", d.text_type())
        } else {
            "NULL".to_owned()
        };
        let elements = [
            d.element(records, "NULL", records_n),
            d.element(
                invalid,
                &invalid_path,
                &format!("CASE WHEN {has_error} THEN 1 ELSE 0 END"),
            ),
        ];
        // Parts name only the lines with an error.
        let extra = if options.scope.is_part() {
            d.nonzero(&elements, "    ")
        } else {
            format!("[{}]", elements.join(", "))
        };
        sql.push_str(&format!(
            "-- Each decoded record also counts once, and once more if it has an error.\n\
             counted AS (\n  SELECT\n    event_name,{carried}\n    insert_id,\n    CASE WHEN undecodable THEN found ELSE {} END AS found\n  FROM checked\n),\n",
            d.concat("found", &extra)
        ));
        counted = "counted";
    }
    sql.push_str(&checks_table(d, &checks));
    let (from, [c, p, n]) = d.unnest(counted, "found");
    sql.push_str(&format!(
        "violations AS (\n  SELECT {named}, insert_id, {c} AS check_id, {p} AS path, {n} AS n\n  FROM {from}\n)\n"
    ));
    let col = |name: &str| d.ident(name);
    sql.push_str(&format!(
        "SELECT\n  coalesce(v.event_name, '(no event name)') AS {},\n  k.rule_id AS {},\n  k.severity AS {},\n  coalesce(v.path, k.path) AS {},\n  k.expected AS {},\n  SUM(v.n) AS {},\n  COUNT(*) AS {},\n  {} AS {}\nFROM violations AS v\nJOIN checks AS k ON k.check_id = v.check_id\nGROUP BY 1, 2, 3, 4, 5\n",
        col("event"),
        col("rule"),
        col("severity"),
        col("property"),
        col("expected"),
        col("violations"),
        col("records"),
        d.examples("v.insert_id"),
        col("examples"),
    ));
    sql.push_str("ORDER BY 1, 2, 4\n");
    Query { sql, checks }
}

fn header(plan: &Plan, options: &Options) -> String {
    let d = options.dialect;
    let layout = match options.layout {
        Layout::Export => "export (event, properties)",
        Layout::Record => "record (one JSON column per record)",
        Layout::Pipeline => "pipeline (Mixpanel JSON pipelines)",
    };
    [
        format!(
            "Generated by trackplan from the plan {} {} for {}; do not edit.",
            plan.name,
            plan.version,
            d.name()
        ),
        format!("Table layout: {layout}."),
        "Checks every event as `trackplan check` does. One row per event name, rule and".into(),
        "property: the violations, the records breaking the rule, up to 3 example insert ids."
            .into(),
    ]
    .iter()
    .map(|line| format!("{}\n", d.comment(line)))
    .collect()
}

/// The layout's columns as `event_name` (text, `NULL` when not a string)
/// and `properties` (JSON), plus the pipeline's own id columns.
pub(super) fn source(plan: &Plan, options: &Options) -> String {
    let d = options.dialect;
    let table = if options.table_is_expression {
        options.table.clone()
    } else {
        d.table(&options.table)
    };
    let order = match &options.order_column {
        Some(column) if options.table_is_expression => format!(",\n    {column} AS input_order"),
        Some(column) => format!(",\n    {} AS input_order", d.ident(column)),
        None => String::new(),
    };
    // Text columns are cast to text: a table that holds numbers there is
    // still checked rather than failing on a comparison.
    let text = |column: &str| format!("CAST({column} AS {})", d.text_type());
    let columns = match options.layout {
        Layout::Export => format!(
            "{} AS event_name,\n    {} AS raw_properties,\n    FALSE AS undecodable",
            text("event"),
            d.parse_json("properties")
        ),
        Layout::Record => {
            let record = d.parse_json("record");
            let event = d.field(&record, "event");
            format!(
                "CASE WHEN {} THEN {} END AS event_name,\n    {} AS raw_properties,\n    {record} IS NULL AS undecodable",
                d.is(Kind::String, &event),
                d.text(&event),
                d.field(&record, "properties")
            )
        }
        Layout::Pipeline => format!(
            "{} AS event_name,\n    {} AS raw_properties,\n    FALSE AS undecodable,\n    {} AS pipeline_insert_id,\n    {} AS pipeline_distinct_id,\n    {} AS pipeline_device_id,\n    {} AS pipeline_user_id,\n    {} AS pipeline_time",
            text("event_name"),
            d.parse_json("properties"),
            text("insert_id"),
            text("distinct_id"),
            text("device_id"),
            text("user_id"),
            d.epoch_seconds("time")
        ),
    };
    let is_object = d.is(Kind::Object, "raw_properties");
    format!(
        "-- The table's columns, normalised.\nsource AS (\n  SELECT\n    {columns}{order}\n  FROM {table}\n),\n\
         -- Properties that are not an object are malformed, and read as none.\nshaped AS (\n  SELECT\n    *,\n    CASE WHEN {is_object} THEN raw_properties END AS properties,\n    raw_properties IS NOT NULL AND NOT ({is_object}) AS malformed_properties\n  FROM source{}\n),\n",
        selection(plan, options)
    )
}

/// The `WHERE` clause keeping a slice's records (nothing for the whole
/// table). Planned names are matched with `IN`, which DuckDB turns into a
/// join for long lists.
fn selection(plan: &Plan, options: &Options) -> String {
    let d = options.dialect;
    if matches!(options.scope, Scope::Whole) {
        return String::new();
    }
    let (events, _) = options.scope.events(plan);
    let rest = options.scope.takes_the_rest();
    let in_names = |names: Vec<&str>| {
        let list: Vec<String> = names.iter().map(|n| d.string(n)).collect();
        format!("event_name IN ({})", list.join(", "))
    };
    let mut keep = Vec::new();
    let mine: Vec<&str> = events
        .iter()
        .filter_map(|&i| plan.events.get(i))
        .map(|e| e.name.as_str())
        .collect();
    if !mine.is_empty() {
        keep.push(in_names(mine));
    }
    if rest {
        if plan.events.is_empty() {
            keep.push("TRUE".to_owned());
        } else {
            let all = plan.events.iter().map(|e| e.name.as_str()).collect();
            keep.push(format!("event_name IS NULL OR NOT ({})", in_names(all)));
        }
    }
    if keep.is_empty() {
        keep.push("FALSE".to_owned());
    }
    format!("\n  WHERE {}", keep.join(" OR "))
}

/// The ids and time each event carries, as `check` reads them.
fn ids(plan: &Plan, options: &Options, rules: &mut Rules) -> String {
    let d = options.dialect;
    let mut prop = |key: &str| rules.field(PROPERTIES, key);
    let insert = prop("$insert_id");
    let time = prop("time");
    let distinct = prop("distinct_id");
    let anonymous = prop(&plan.identity.anonymous_id);
    let user = prop(&plan.identity.user_id);
    let id = |v: &str| {
        format!(
            "CASE WHEN {} AND {} <> '' THEN {} WHEN {} THEN {} END",
            d.is(Kind::String, v),
            d.text(v),
            d.text(v),
            d.is(Kind::Number, v),
            d.text(v)
        )
    };
    let insert_id = format!(
        "CASE WHEN {} THEN {} END",
        d.is(Kind::String, &insert),
        d.text(&insert)
    );
    let seconds = d.lenient_double(&time);
    let seconds = format!("CASE WHEN {seconds} > 1e11 THEN {seconds} / 1000 ELSE {seconds} END");
    let (insert_id, distinct, anonymous, user, seconds) = match options.layout {
        Layout::Pipeline => (
            format!("coalesce(pipeline_insert_id, {insert_id})"),
            format!("coalesce(pipeline_distinct_id, {})", id(&distinct)),
            format!("coalesce(pipeline_device_id, {})", id(&anonymous)),
            format!("coalesce(pipeline_user_id, {})", id(&user)),
            format!("coalesce(pipeline_time, {seconds})"),
        ),
        _ => (insert_id, id(&distinct), id(&anonymous), id(&user), seconds),
    };
    format!(
        "-- The ids and time of each event, as `check` reads them.\nid_columns AS (\n  SELECT\n    *,\n    {insert_id} AS insert_id,\n    {distinct} AS distinct_id,\n    {anonymous} AS anonymous_id,\n    {user} AS raw_user_id,\n    {seconds} AS event_time,\n    {has_time} AS has_time\n  FROM prepared\n),\n\
         -- The device: the anonymous id, or a distinct id `$device:<id>`; a user id counts with a device only.\nids AS (\n  SELECT\n    *,\n    CASE WHEN device_id IS NOT NULL THEN raw_user_id END AS user_id\n  FROM (\n    SELECT\n      *,\n      coalesce(anonymous_id, CASE WHEN {} THEN substr(distinct_id, 9) END) AS device_id\n    FROM id_columns\n  ) AS with_device\n),\n",
        d.starts_with("distinct_id", "$device:"),
        has_time = d.present(&time),
    )
}

/// What is read once per record for every check: the properties used by
/// name (DuckDB: one JSON parse for all; Spark: a map of variants) and
/// their keys.
pub(super) fn prepared(d: Dialect, rules: &Rules, raw_values: bool) -> String {
    let columns = match d {
        Dialect::Duckdb => {
            let pointers: Vec<String> = rules
                .top_keys
                .iter()
                .map(|k| d.string(&format!("/{}", k.replace('~', "~0").replace('/', "~1"))))
                .collect();
            let pointers = pointers.join(", ");
            let values = if raw_values {
                format!(",\n    json_extract(properties, [{pointers}]) AS top_fields")
            } else {
                String::new()
            };
            format!(
                "{values},\n    json_type(properties, [{pointers}]) AS top_types,\n    json_extract_string(properties, [{pointers}]) AS top_texts,\n    json_keys(properties) AS top_keys"
            )
        }
        Dialect::Spark => {
            ",\n    try_cast(properties AS MAP<STRING, VARIANT>) AS properties_map".to_owned()
        }
        Dialect::Bigquery | Dialect::Snowflake => String::new(),
    };
    format!(
        "-- Read once per record: the properties checked by name, and the keys.\nprepared AS (\n  SELECT\n    *{columns}\n  FROM shaped\n),\n"
    )
}

/// Devices tied to a user, as `check` follows them along its input: for
/// each event, the tying events (carrying both ids) before it on the same
/// device, in input order when the table has an order column, else by
/// time; their earliest time; whether the first of them had no time.
fn identity(options: &Options) -> String {
    let order = if options.order_column.is_some() {
        "input_order"
    } else {
        "event_time"
    };
    // Running aggregates up to the current row: only events without the
    // user id are judged, and those add nothing to them, so "up to" is
    // "before" where it matters, and running windows are cheap.
    let before = format!(
        "OVER (PARTITION BY device_id ORDER BY {order} ASC NULLS LAST ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)"
    );
    let first_untimed = match options.dialect {
        Dialect::Spark => format!(
            "first_value(CASE WHEN user_id IS NOT NULL THEN event_time IS NULL END, TRUE) {before}"
        ),
        _ => format!(
            "first_value(CASE WHEN user_id IS NOT NULL THEN event_time IS NULL END IGNORE NULLS) {before}"
        ),
    };
    format!(
        "-- Devices tied to a user by an earlier event carrying both ids (earlier in {}).\n\
         device_ties AS (\n  SELECT\n    *,\n    \
         count(CASE WHEN user_id IS NOT NULL THEN 1 END) {before} AS ties_before,\n    \
         min(CASE WHEN user_id IS NOT NULL THEN event_time END) {before} AS tied_at,\n    \
         {first_untimed} AS first_tie_untimed\n  \
         FROM per_record\n),\n",
        if options.order_column.is_some() {
            "input order"
        } else {
            "time"
        }
    )
}

/// The violation array of a list of parts, each check under a comment
/// naming it.
fn assemble(d: Dialect, parts: Vec<Part>, indent: &str, checks: &[super::CheckDef]) -> String {
    let mut counted = Vec::new();
    let mut named = Vec::new();
    for part in parts {
        match part {
            Part::Count { id, count } => {
                let about = checks
                    .get(id - 1)
                    .map(|c| format!("check {id}: {} at {}", c.rule, c.path))
                    .unwrap_or_default();
                counted.push(format!(
                    "{}\n{indent}  {}",
                    d.comment(&about),
                    d.element(id, "NULL", &count)
                ));
            }
            Part::Elements(array) => named.push(array),
        }
    }
    let mut out = d.nonzero(&counted, indent);
    for array in named {
        out = d.concat(&out, &array);
    }
    out
}

/// The checks as a table: number, rule, severity, path, expected.
fn checks_table(d: Dialect, checks: &[super::CheckDef]) -> String {
    let rows: Vec<String> = checks
        .iter()
        .map(|c| {
            format!(
                "({}, {}, {}, {}, {})",
                c.id,
                d.string(c.rule),
                d.string(c.severity.as_str()),
                d.string(&c.path),
                d.string(&c.expected)
            )
        })
        .collect();
    format!(
        "-- What each check number stands for.\nchecks AS (\n  {}\n),\n",
        d.values_table(
            &[
                ("check_id", d.int_type()),
                ("rule_id", d.text_type()),
                ("severity", d.text_type()),
                ("path", d.text_type()),
                ("expected", d.text_type()),
            ],
            &rows
        )
    )
}
