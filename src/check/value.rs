//! Checking one value against its compiled schema, depth first, every
//! deviation reported with the JSON path where it is.

use crate::rules::check as rule;
use serde_json::Value;
use smallvec::{SmallVec, smallvec};

use super::compiled::{Check, Fields};
use super::coverage::Tally;
use super::props::{Prop, Props};
use super::violation::{Violation, describe};
use super::wording::{self, bounds, type_name};
use crate::diagnostic::Severity;
use crate::format::PropertyType;

/// Collects violations while walking a record. Where the walk is, is a
/// chain of path segments on the stack; the JSON path (`properties.items[2].sku`)
/// is written out only when a violation is found there, so a valid record
/// costs no path at all.
pub struct Walk<'v> {
    /// The violations found so far.
    pub violations: &'v mut Vec<Violation>,
    /// The innermost segment of the current path; `None` at the record.
    at: Option<&'v Step<'v>>,
}

/// One segment of the current path, with the one it is inside.
struct Step<'v> {
    outer: Option<&'v Step<'v>>,
    segment: Segment<'v>,
}

impl<'v> Walk<'v> {
    /// A walk at the top of a record, collecting into `violations`.
    pub fn new(violations: &'v mut Vec<Violation>) -> Self {
        Self {
            violations,
            at: None,
        }
    }

    /// The current JSON path.
    pub fn path(&self) -> String {
        let mut steps: SmallVec<[Segment<'_>; 8]> = SmallVec::new();
        let mut at = self.at;
        while let Some(step) = at {
            steps.push(step.segment);
            at = step.outer;
        }
        let mut path = String::new();
        for segment in steps.iter().rev() {
            match segment {
                Segment::Key(key) => {
                    if !path.is_empty() {
                        path.push('.');
                    }
                    path.push_str(key);
                }
                Segment::Index(i) => {
                    path.push('[');
                    path.push_str(&i.to_string());
                    path.push(']');
                }
            }
        }
        path
    }

    /// Records a violation at the current path.
    pub fn push(
        &mut self,
        rule: &'static crate::rules::Rule,
        severity: Severity,
        expected: impl Into<String>,
        found: impl Into<String>,
    ) {
        let path = self.path();
        self.violations.push(Violation {
            rule,
            severity,
            path,
            expected: expected.into(),
            found: found.into(),
        });
    }

    /// Runs `f` with `segment` appended to the path.
    pub fn at<R>(&mut self, segment: Segment<'_>, f: impl FnOnce(&mut Walk<'_>) -> R) -> R {
        let step = Step {
            outer: self.at,
            segment,
        };
        let mut inner = Walk {
            violations: &mut *self.violations,
            at: Some(&step),
        };
        f(&mut inner)
    }

    /// Checks `value` against `check`.
    pub fn value(&mut self, check: &Check, value: &Value) {
        if value.is_null() {
            if !check.nullable {
                self.push(
                    rule::NULL_VALUE,
                    Severity::Error,
                    type_name(check.ty),
                    "null",
                );
            }
            return;
        }
        if !fits(check.ty, value) {
            self.push(
                rule::WRONG_TYPE,
                Severity::Error,
                type_name(check.ty),
                describe(value),
            );
            return;
        }
        if let Value::String(s) = value {
            self.str_value(check, s);
            return;
        }
        if let Some(allowed) = &check.allowed
            && !allowed.iter().any(|a| same(a, value))
        {
            self.push(
                rule::NOT_IN_ENUM,
                Severity::Error,
                wording::one_of(allowed),
                describe(value),
            );
        }
        match value {
            Value::Number(n) => self.number(check, n.as_f64().unwrap_or(f64::NAN), value),
            Value::Array(items) => self.list(check, items),
            Value::Object(map) => {
                if let Some(fields) = &check.fields {
                    self.fields(fields, &Props::of_map(map), false);
                }
            }
            _ => {}
        }
    }

    /// Checks a string already known to be where a string is expected:
    /// `enum`, lengths, pattern and format. Values are built only for
    /// messages and for the format checker.
    pub fn str_value(&mut self, check: &Check, s: &str) {
        let found = || describe(&Value::String(s.to_owned()));
        if let Some(allowed) = &check.allowed
            && !allowed.iter().any(|a| a.as_str() == Some(s))
        {
            self.push(
                rule::NOT_IN_ENUM,
                Severity::Error,
                wording::one_of(allowed),
                found(),
            );
        }
        if check.min_length.is_some() || check.max_length.is_some() {
            let chars = s.chars().count() as u64;
            if check.min_length.is_some_and(|min| chars < min)
                || check.max_length.is_some_and(|max| chars > max)
            {
                let expected = bounds(
                    "characters",
                    check.min_length.map(|v| v as f64),
                    check.max_length.map(|v| v as f64),
                );
                self.push(
                    rule::INVALID_LENGTH,
                    Severity::Error,
                    expected,
                    format!("{chars} characters"),
                );
            }
        }
        if let Some((pattern, regex)) = &check.pattern
            && !regex.is_match(s)
        {
            let rule = if check.ty == PropertyType::Datetime {
                rule::INVALID_FORMAT
            } else {
                rule::PATTERN_MISMATCH
            };
            let expected = if check.ty == PropertyType::Datetime {
                wording::DATETIME.to_owned()
            } else {
                wording::matching(pattern)
            };
            self.push(rule, Severity::Error, expected, found());
        }
        if let Some((format, validator)) = &check.format
            && !validator.is_valid(&Value::String(s.to_owned()))
        {
            self.push(
                rule::INVALID_FORMAT,
                Severity::Error,
                wording::in_format(*format),
                found(),
            );
        }
    }

    fn number(&mut self, check: &Check, n: f64, value: &Value) {
        if check.minimum.is_some_and(|min| n < min) || check.maximum.is_some_and(|max| n > max) {
            self.push(
                rule::OUT_OF_RANGE,
                Severity::Error,
                bounds("", check.minimum, check.maximum),
                describe(value),
            );
        }
    }

    fn list(&mut self, check: &Check, items: &[Value]) {
        let len = items.len() as u64;
        if check.min_items.is_some_and(|min| len < min)
            || check.max_items.is_some_and(|max| len > max)
        {
            let expected = bounds(
                "items",
                check.min_items.map(|v| v as f64),
                check.max_items.map(|v| v as f64),
            );
            self.push(
                rule::INVALID_LIST_SIZE,
                Severity::Error,
                expected,
                format!("{len} items"),
            );
        }
        if let Some(item_check) = &check.items {
            for (i, item) in items.iter().enumerate() {
                self.at(Segment::Index(i), |w| w.value(item_check, item));
            }
        }
    }

    /// Checks named properties (an event's, or an object value's fields):
    /// declared ones in plan order, then undeclared ones in the order
    /// sent, per the policy. With variants, the fields are those of the
    /// case of the discriminator's value, and a property the case lists as
    /// absent is `absent-property`. With `sdk_owned`, the properties
    /// Mixpanel's SDKs add are never reported.
    pub fn fields(&mut self, fields: &Fields, props: &Props<'_>, sdk_owned: bool) {
        let case = fields.case_of(props);
        self.case_fields(fields, case, props, sdk_owned);
    }

    /// [`Walk::fields`] with the case already picked (`None`: no variants,
    /// or a value with no case of its own and no default case).
    pub fn case_fields(
        &mut self,
        fields: &Fields,
        case: Option<&super::compiled::Case>,
        props: &Props<'_>,
        sdk_owned: bool,
    ) {
        match case {
            Some(case) => self.named(&case.fields, props, sdk_owned, Some(case), None),
            None => self.named(fields, props, sdk_owned, None, None),
        }
    }

    /// An event's properties without variants, each found one also counted
    /// into `tally` through its field's coverage counters: one lookup per
    /// property serves the check and the count.
    pub fn counted_fields(&mut self, fields: &Fields, props: &Props<'_>, tally: &mut Tally) {
        self.named(fields, props, true, None, Some(tally));
    }

    fn named(
        &mut self,
        fields: &Fields,
        props: &Props<'_>,
        sdk_owned: bool,
        case: Option<&super::compiled::Case>,
        mut tally: Option<&mut Tally>,
    ) {
        // On the stack for the usual event (no allocation per record).
        let mut found: SmallVec<[Option<Prop<'_>>; 32]> = smallvec![None; fields.list.len()];
        let mut undeclared: SmallVec<[_; 24]> = SmallVec::new();
        for (name, prop) in &props.0 {
            match fields.by_name.get(name.as_ref()) {
                Some(&i) => found[i] = Some(*prop),
                None => undeclared.push((name, prop)),
            }
        }
        for (field, prop) in fields.list.iter().zip(found) {
            if let (Some(tally), Some(slots), Some(prop)) =
                (tally.as_deref_mut(), &field.slots, prop)
            {
                tally.property(slots, prop);
            }
            match prop {
                Some(prop) => self.at(Segment::Key(&field.name), |w| match prop.as_str() {
                    // A string where a string is expected: checked without building a Value.
                    Some(s)
                        if matches!(
                            field.check.ty,
                            PropertyType::String | PropertyType::Datetime
                        ) =>
                    {
                        w.str_value(&field.check, &s)
                    }
                    _ => w.value(&field.check, &prop.value()),
                }),
                None if field.required => {
                    let rule = if field.is_super {
                        rule::MISSING_SUPER_PROPERTY
                    } else {
                        rule::MISSING_PROPERTY
                    };
                    self.at(Segment::Key(&field.name), |w| {
                        w.push(
                            rule,
                            Severity::Error,
                            type_name(field.check.ty),
                            wording::NOTHING,
                        )
                    });
                }
                None => {}
            }
        }
        let absent = case.map_or(&[][..], |c| c.absent.as_slice());
        let severity = fields.undeclared_severity();
        for (name, prop) in undeclared {
            if absent.iter().any(|a| a == name.as_ref()) {
                let found = describe(&prop.value());
                let expected = case.map_or_else(String::new, |c| wording::absent_in(&c.label));
                self.at(Segment::Key(name), |w| {
                    w.push(rule::ABSENT_PROPERTY, Severity::Error, expected, found)
                });
                continue;
            }
            let Some(severity) = severity else {
                continue;
            };
            // The SDKs' own properties, and the plan version trackplan's
            // generated helpers send, are never unexpected on an event.
            if sdk_owned
                && (crate::mixpanel::is_sdk_event_property(name)
                    || name == crate::plan::PLAN_PROPERTY)
            {
                continue;
            }
            let found = describe(&prop.value());
            self.at(Segment::Key(name), |w| {
                w.push(
                    rule::UNEXPECTED_PROPERTY,
                    severity,
                    wording::DECLARED_PROPERTY,
                    found,
                )
            });
        }
    }
}

/// One step of a JSON path.
#[derive(Debug, Clone, Copy)]
pub enum Segment<'a> {
    /// An object key.
    Key(&'a str),
    /// A list index.
    Index(usize),
}

/// Whether a non-null value has the plan type (integers may be written
/// `1.0`, as JSON Schema allows).
pub fn fits(ty: PropertyType, value: &Value) -> bool {
    match ty {
        PropertyType::String | PropertyType::Datetime => value.is_string(),
        PropertyType::Integer => match value {
            Value::Number(n) => {
                n.is_i64() || n.is_u64() || n.as_f64().is_some_and(|f| f.fract() == 0.0)
            }
            _ => false,
        },
        PropertyType::Number => value.is_number(),
        PropertyType::Boolean => value.is_boolean(),
        PropertyType::List => value.is_array(),
        PropertyType::Object => value.is_object(),
    }
}

/// JSON equality as JSON Schema's `enum` defines it: numbers by value.
fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        _ => a == b,
    }
}
