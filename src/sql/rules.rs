//! The plan's per-record rules as SQL: for each check `check` applies to
//! a value (type, `null`, `enum`, lengths, pattern, format, range, list
//! size, list items, object fields, undeclared keys), an integer
//! expression counting its violations in one record. A scalar property
//! counts 0 or 1; a rule on list items counts the items that break it,
//! summed over the list, as `check` reports one violation per item.

use super::dialect::{Dialect, Kind};
use super::{CheckDef, Part};
use crate::check::wording::{self, bounds, type_name};
use crate::diagnostic::Severity;
use crate::export::jsonschema::DATETIME_PATTERN;
use crate::format::{AdditionalProperties, Format, PropertyType};
use crate::plan::{Property, Schema, Variants};
use crate::rules::check as rule;

/// Where a value is: its SQL expression, the condition under which it is
/// there (and of the kind its parent needs), and its JSON path.
#[derive(Debug, Clone, Copy)]
pub struct At<'a> {
    /// The value's JSON expression.
    pub value: &'a str,
    /// When it may be read (`TRUE` at the top).
    pub guard: &'a str,
    /// Its JSON path, as `check` writes it.
    pub path: &'a str,
}

/// Builds checks and their counting expressions, numbering the checks.
pub struct Rules {
    /// The engine written for.
    pub dialect: Dialect,
    /// Every check, its id its index + 1.
    pub defs: Vec<CheckDef>,
    /// Depth of list lambdas, for fresh variable names.
    depth: usize,
    /// The event properties read by name, in order of first use: DuckDB
    /// extracts them all with one parse of each record's properties.
    pub top_keys: Vec<String>,
    /// Each of `top_keys` to its index.
    top_slots: std::collections::HashMap<String, usize>,
}

/// One member of variants as a query checks it: the condition on the
/// discriminator that picks it, how reports name it, and its fields.
pub struct Member<'p> {
    /// When a record is of this member (never `NULL`).
    pub condition: String,
    /// `item_type=drink`, `item_type=*`; `None` for the base properties of
    /// the values without a case when there is no default case.
    pub label: Option<String>,
    /// Its complete fields, with whether each is a super property.
    pub fields: Vec<(&'p Property, bool)>,
    /// Properties it must not carry.
    pub absent: Vec<String>,
}

/// The column holding each event's properties (an object, or `NULL`).
pub const PROPERTIES: &str = "properties";

impl Rules {
    /// An empty set of checks for `dialect`.
    pub fn new(dialect: Dialect) -> Self {
        Self {
            dialect,
            defs: Vec::new(),
            depth: 0,
            top_keys: Vec::new(),
            top_slots: std::collections::HashMap::new(),
        }
    }

    /// The JSON value at `key` of `v`; for the event's properties, read
    /// from what the `prepared` step extracted once per record.
    pub fn field(&mut self, v: &str, key: &str) -> String {
        if v != PROPERTIES {
            return self.dialect.field(v, key);
        }
        match self.dialect {
            Dialect::Duckdb => {
                let next = self.top_keys.len();
                let slot = *self.top_slots.entry(key.to_owned()).or_insert(next);
                if slot == next {
                    self.top_keys.push(key.to_owned());
                }
                format!("top_fields[{}]", slot + 1)
            }
            Dialect::Spark => format!(
                "try_element_at(properties_map, {})",
                self.dialect.string(key)
            ),
            Dialect::Bigquery | Dialect::Snowflake => self.dialect.field(v, key),
        }
    }

    /// Registers a check and returns its id.
    pub fn define(
        &mut self,
        event: Option<&str>,
        rule: &'static crate::rules::Rule,
        severity: Severity,
        path: String,
        expected: String,
    ) -> usize {
        self.defs.push(CheckDef {
            id: self.defs.len() + 1,
            event: event.map(str::to_owned),
            rule: rule.id(),
            severity,
            path,
            expected,
        });
        self.defs.len()
    }

    /// Registers a tally every decoded record counts for (`name` is one of
    /// [`super::RECORDS`], [`super::INVALID`], [`super::ERROR_LINE`]) and
    /// returns its id.
    pub fn tally(&mut self, name: &'static str) -> usize {
        self.defs.push(CheckDef {
            id: self.defs.len() + 1,
            event: None,
            rule: name,
            severity: Severity::Info,
            path: String::new(),
            expected: String::new(),
        });
        self.defs.len()
    }

    /// A check counting 1 when `condition` holds.
    fn when(
        &mut self,
        event: &str,
        rule: &'static crate::rules::Rule,
        path: &str,
        expected: String,
        condition: String,
    ) -> Part {
        let id = self.define(
            Some(event),
            rule,
            Severity::Error,
            path.to_owned(),
            expected,
        );
        Part::Count {
            id,
            count: format!("CASE WHEN {condition} THEN 1 ELSE 0 END"),
        }
    }

    /// The members of `variants` on the object `v`: each case, then the
    /// values without one (the default case, else the base), as `check`
    /// picks them (`supers` first in every member's fields).
    pub fn members<'p>(
        &mut self,
        v: &str,
        variants: &'p Variants,
        supers: &[&'p Property],
        base: &'p [Property],
    ) -> Vec<Member<'p>> {
        let d = self.dialect;
        let dv = self.field(v, &variants.by);
        let ty = base
            .iter()
            .find(|p| p.name == variants.by)
            .map_or(PropertyType::String, |p| p.schema.ty);
        let fits = fits(d, ty, &dv);
        let subject = match ty {
            PropertyType::Integer | PropertyType::Number => d.number(&dv),
            _ => d.text(&dv),
        };
        let complete = |effective: Vec<&'p Property>| -> Vec<(&'p Property, bool)> {
            supers
                .iter()
                .map(|p| (*p, true))
                .chain(effective.into_iter().map(|p| (p, false)))
                .collect()
        };
        let mut members = Vec::new();
        let mut own = Vec::new();
        for case in &variants.cases {
            let Some(value) = &case.value else {
                continue;
            };
            let literal = match value {
                serde_json::Value::String(s) => d.string(s),
                serde_json::Value::Number(n) => d.double(n.as_f64().unwrap_or_default()),
                other => d.string(&other.to_string()),
            };
            let condition = format!(
                "coalesce(({fits}) AND {}, FALSE)",
                d.in_list(&subject, &[literal])
            );
            own.push(condition.clone());
            members.push(Member {
                condition,
                label: Some(case.label(&variants.by)),
                fields: complete(case.effective(base)),
                absent: case.absent.clone(),
            });
        }
        let others = if own.is_empty() {
            "TRUE".to_owned()
        } else {
            own.iter()
                .map(|c| format!("NOT {c}"))
                .collect::<Vec<_>>()
                .join(" AND ")
        };
        members.push(match &variants.default {
            Some(case) => Member {
                condition: others,
                label: Some(case.label(&variants.by)),
                fields: complete(case.effective(base)),
                absent: case.absent.clone(),
            },
            None => Member {
                condition: others,
                label: None,
                fields: complete(base.iter().collect()),
                absent: Vec::new(),
            },
        });
        members
    }

    /// Checks of the object `at` with variants: each member's fields under
    /// its condition, a property the member lists as absent reported as
    /// `absent-property` (and not also as undeclared).
    #[allow(clippy::too_many_arguments)]
    pub fn cases(
        &mut self,
        event: &str,
        at: At<'_>,
        variants: &Variants,
        supers: &[&Property],
        base: &[Property],
        policy: AdditionalProperties,
        sdk_owned: bool,
        out: &mut Vec<Part>,
    ) {
        let d = self.dialect;
        for member in self.members(at.value, variants, supers, base) {
            let guard = both(at.guard, &member.condition);
            let here = At {
                value: at.value,
                guard: &guard,
                path: at.path,
            };
            self.named_fields(event, here, &member.fields, policy, out);
            let label = member.label.clone().unwrap_or_default();
            for name in &member.absent {
                let fv = self.field(at.value, name);
                let path = join(at.path, name);
                out.push(self.when(
                    event,
                    rule::ABSENT_PROPERTY,
                    &path,
                    wording::absent_in(&label),
                    both(&guard, &d.present(&fv)),
                ));
            }
            let names: Vec<String> = member
                .fields
                .iter()
                .map(|(p, _)| p.name.clone())
                .chain(member.absent.iter().cloned())
                .collect();
            self.undeclared(event, here, &names, policy, sdk_owned, out);
        }
    }

    /// Checks of the named `fields` of the object `at` (which its guard
    /// says is an object). `sdk_owned` spares the SDKs' own properties from
    /// the undeclared-key rule, as on events.
    pub fn fields(
        &mut self,
        event: &str,
        at: At<'_>,
        fields: &[(&Property, bool)],
        policy: AdditionalProperties,
        sdk_owned: bool,
        out: &mut Vec<Part>,
    ) {
        self.named_fields(event, at, fields, policy, out);
        let names: Vec<String> = fields.iter().map(|(p, _)| p.name.clone()).collect();
        self.undeclared(event, at, &names, policy, sdk_owned, out);
    }

    /// The checks of [`Rules::fields`] without the undeclared-key rule on
    /// `at` itself (`policy` still holds inside the fields' objects).
    pub fn named_fields(
        &mut self,
        event: &str,
        at: At<'_>,
        fields: &[(&Property, bool)],
        policy: AdditionalProperties,
        out: &mut Vec<Part>,
    ) {
        let At {
            value: v,
            guard,
            path,
        } = at;
        let d = self.dialect;
        for (field, is_super) in fields {
            let fv = self.field(v, &field.name);
            let field_path = join(path, &field.name);
            if field.required {
                let rule = if *is_super {
                    rule::MISSING_SUPER_PROPERTY
                } else {
                    rule::MISSING_PROPERTY
                };
                out.push(self.when(
                    event,
                    rule,
                    &field_path,
                    type_name(field.schema.ty).to_owned(),
                    both(guard, &d.missing(&fv)),
                ));
            }
            let present = both(guard, &d.present(&fv));
            let at = At {
                value: &fv,
                guard: &present,
                path: &field_path,
            };
            self.value(event, at, &field.schema, policy, out);
        }
    }

    /// The undeclared-key rule on the object `at`: keys other than `names`
    /// (and, with `sdk_owned`, the SDKs' own) break it under `policy`.
    pub fn undeclared(
        &mut self,
        event: &str,
        at: At<'_>,
        names: &[String],
        policy: AdditionalProperties,
        sdk_owned: bool,
        out: &mut Vec<Part>,
    ) {
        let Some(severity) = severity_of(policy) else {
            return;
        };
        let At {
            value: v,
            guard,
            path,
        } = at;
        let d = self.dialect;
        let mut keep = format!("NOT ({})", d.key_in("k", names));
        if sdk_owned {
            keep = format!("{keep} AND NOT ({})", sdk_property(d, "k"));
        }
        let id = self.define(
            Some(event),
            rule::UNEXPECTED_PROPERTY,
            severity,
            join(path, "*"),
            wording::DECLARED_PROPERTY.to_owned(),
        );
        if self.depth == 0 {
            // Outside list items, one violation per key, named.
            let prefix = if path.is_empty() {
                String::new()
            } else {
                format!("{path}.")
            };
            out.push(Part::Elements(format!(
                "CASE WHEN {} THEN {} ELSE {} END",
                both(guard, &d.present(v)),
                d.per_key(v, &keep, id, &prefix),
                d.empty()
            )));
        } else {
            out.push(Part::Count {
                id,
                count: format!(
                    "CASE WHEN {guard} THEN {} ELSE 0 END",
                    d.count_keys(v, &keep)
                ),
            });
        }
    }

    /// Checks of one value, present when the guard of `at` holds.
    fn value(
        &mut self,
        event: &str,
        at: At<'_>,
        schema: &Schema,
        policy: AdditionalProperties,
        out: &mut Vec<Part>,
    ) {
        let At {
            value: v,
            guard,
            path,
        } = at;
        let d = self.dialect;
        let is_null = d.is(Kind::Null, v);
        let fits = fits(d, schema.ty, v);
        let expected_type = type_name(schema.ty).to_owned();
        if !schema.nullable {
            out.push(self.when(
                event,
                rule::NULL_VALUE,
                path,
                expected_type.clone(),
                both(guard, &is_null),
            ));
        }
        out.push(self.when(
            event,
            rule::WRONG_TYPE,
            path,
            expected_type,
            both(guard, &format!("NOT ({is_null}) AND NOT ({fits})")),
        ));
        let ok = both(guard, &fits);
        let text = d.text(v);
        let number = d.number(v);
        if let Some(allowed) = &schema.allowed {
            let values: Vec<String> = allowed
                .iter()
                .filter_map(|a| match a {
                    serde_json::Value::String(s) => Some(d.string(s)),
                    serde_json::Value::Number(n) => n.as_f64().map(|x| d.double(x)),
                    serde_json::Value::Bool(b) => Some(d.string(&b.to_string())),
                    _ => None,
                })
                .collect();
            let subject = match schema.ty {
                PropertyType::Integer | PropertyType::Number => &number,
                _ => &text,
            };
            if !values.is_empty() {
                out.push(self.when(
                    event,
                    rule::NOT_IN_ENUM,
                    path,
                    wording::one_of(allowed),
                    format!("{ok} AND NOT {}", d.in_list(subject, &values)),
                ));
            }
        }
        match schema.ty {
            PropertyType::String | PropertyType::Datetime => {
                if schema.min_length.is_some() || schema.max_length.is_some() {
                    let len = d.char_len(&text);
                    let mut outside = Vec::new();
                    if let Some(min) = schema.min_length {
                        outside.push(format!("{len} < {min}"));
                    }
                    if let Some(max) = schema.max_length {
                        outside.push(format!("{len} > {max}"));
                    }
                    let expected = bounds(
                        "characters",
                        schema.min_length.map(|v| v as f64),
                        schema.max_length.map(|v| v as f64),
                    );
                    out.push(self.when(
                        event,
                        rule::INVALID_LENGTH,
                        path,
                        expected,
                        format!("{ok} AND ({})", outside.join(" OR ")),
                    ));
                }
                if schema.ty == PropertyType::Datetime {
                    out.push(self.when(
                        event,
                        rule::INVALID_FORMAT,
                        path,
                        wording::DATETIME.to_owned(),
                        format!("{ok} AND NOT {}", d.matches(&text, DATETIME_PATTERN)),
                    ));
                } else if let Some(pattern) = &schema.pattern {
                    out.push(self.when(
                        event,
                        rule::PATTERN_MISMATCH,
                        path,
                        wording::matching(pattern),
                        format!("{ok} AND NOT {}", d.matches(&text, pattern)),
                    ));
                }
                if let Some(format) = schema.format {
                    out.push(self.when(
                        event,
                        rule::INVALID_FORMAT,
                        path,
                        wording::in_format(format),
                        format!("{ok} AND NOT {}", format_test(d, format, &text)),
                    ));
                }
            }
            PropertyType::Integer | PropertyType::Number => {
                let mut outside = Vec::new();
                if let Some(min) = schema.minimum {
                    outside.push(format!("{number} < {}", d.double(min)));
                }
                if let Some(max) = schema.maximum {
                    outside.push(format!("{number} > {}", d.double(max)));
                }
                if !outside.is_empty() {
                    out.push(self.when(
                        event,
                        rule::OUT_OF_RANGE,
                        path,
                        bounds("", schema.minimum, schema.maximum),
                        format!("{ok} AND ({})", outside.join(" OR ")),
                    ));
                }
            }
            PropertyType::List => {
                let len = d.array_len(v);
                let mut outside = Vec::new();
                if let Some(min) = schema.min_items {
                    outside.push(format!("{len} < {min}"));
                }
                if let Some(max) = schema.max_items {
                    outside.push(format!("{len} > {max}"));
                }
                if !outside.is_empty() {
                    out.push(self.when(
                        event,
                        rule::INVALID_LIST_SIZE,
                        path,
                        bounds(
                            "items",
                            schema.min_items.map(|v| v as f64),
                            schema.max_items.map(|v| v as f64),
                        ),
                        format!("{ok} AND ({})", outside.join(" OR ")),
                    ));
                }
                if let Some(items) = &schema.items {
                    self.depth += 1;
                    let var = format!("item{}", self.depth);
                    let mut inner = Vec::new();
                    let item_path = format!("{path}[]");
                    let at = At {
                        value: &var,
                        guard: "TRUE",
                        path: &item_path,
                    };
                    self.value(event, at, items, policy, &mut inner);
                    self.depth -= 1;
                    for part in inner {
                        // Inside list items, undeclared keys are counted, never named.
                        let Part::Count { id, count } = part else {
                            continue;
                        };
                        let sum = d.sum_over_items(v, &var, &count);
                        out.push(Part::Count {
                            id,
                            count: format!("CASE WHEN {ok} THEN {sum} ELSE 0 END"),
                        });
                    }
                }
            }
            PropertyType::Object if !schema.properties.is_empty() => {
                let at = At {
                    value: v,
                    guard: &ok,
                    path,
                };
                match &schema.variants {
                    Some(variants) => self.cases(
                        event,
                        at,
                        variants,
                        &[],
                        &schema.properties,
                        policy,
                        false,
                        out,
                    ),
                    None => {
                        let fields: Vec<(&Property, bool)> =
                            schema.properties.iter().map(|p| (p, false)).collect();
                        self.fields(event, at, &fields, policy, false, out);
                    }
                }
            }
            PropertyType::Object | PropertyType::Boolean => {}
        }
    }
}

/// `a AND b`, leaving out a guard that always holds.
fn both(guard: &str, condition: &str) -> String {
    if guard == "TRUE" {
        condition.to_owned()
    } else {
        format!("{guard} AND {condition}")
    }
}

/// `path.key`, or `key` at the root.
pub fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_owned()
    } else {
        format!("{path}.{key}")
    }
}

/// The severity of an undeclared key under `policy`.
fn severity_of(policy: AdditionalProperties) -> Option<Severity> {
    match policy {
        AdditionalProperties::Allow => None,
        AdditionalProperties::Warn => Some(Severity::Warning),
        AdditionalProperties::Deny => Some(Severity::Error),
    }
}

/// Whether the non-null value `v` has the plan type (integers may be
/// written `2.0`).
fn fits(d: Dialect, ty: PropertyType, v: &str) -> String {
    match ty {
        PropertyType::String | PropertyType::Datetime => d.is(Kind::String, v),
        PropertyType::Integer => {
            let n = d.number(v);
            format!("({} AND {n} = floor({n}))", d.is(Kind::Number, v))
        }
        PropertyType::Number => d.is(Kind::Number, v),
        PropertyType::Boolean => d.is(Kind::Boolean, v),
        PropertyType::List => d.is(Kind::Array, v),
        PropertyType::Object => d.is(Kind::Object, v),
    }
}

/// Whether the text `k` names a property the SDKs or Mixpanel add, or the
/// plan version trackplan's generated helpers send.
pub fn sdk_property(d: Dialect, k: &str) -> String {
    // Names with a reserved prefix are already spared by the prefix test;
    // a short list keeps this per-key test cheap.
    let mut names: Vec<String> = crate::mixpanel::DEFAULT_EVENT_PROPERTIES
        .iter()
        .chain(crate::mixpanel::CAMPAIGN_PROPERTIES)
        .filter(|name| !crate::mixpanel::has_reserved_prefix(name))
        .map(|s| (*s).to_owned())
        .collect();
    names.push(crate::plan::PLAN_PROPERTY.to_owned());
    format!(
        "{} OR {} OR {}",
        d.starts_with(k, "$"),
        d.starts_with(k, "mp_"),
        d.key_in(k, &names)
    )
}

/// The regular expression standing for a format in SQL: exact for `uuid`
/// and `ipv4`, an approximation of the `jsonschema` crate's judgement for
/// the others (`docs/sql.md` says how). Only
/// what RE2, Java and POSIX regexes all read: whitespace is written out
/// (tab, CR, LF as the characters), not `\s` inside brackets.
fn format_regex(format: Format) -> &'static str {
    match format {
        Format::Uuid => {
            "^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}$"
        }
        Format::Date => r"^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$",
        Format::DateTime => {
            r"^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])[Tt]([01][0-9]|2[0-3]):[0-5][0-9]:([0-5][0-9]|60)(\.[0-9]+)?([Zz]|[+-]([01][0-9]|2[0-3]):[0-5][0-9])$"
        }
        Format::Ipv4 => {
            r"^(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])(\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){3}$"
        }
        Format::Ipv6 => r"^[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*$",
        Format::Email => "^[^@ \t\r\n]+@[^@ \t\r\n]+$",
        Format::Hostname => {
            r"^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\.?$"
        }
        Format::Uri => "^[A-Za-z][A-Za-z0-9+.-]*:[^ \t\r\n]*$",
    }
}

fn format_test(d: Dialect, format: Format, text: &str) -> String {
    d.matches(text, format_regex(format))
}
