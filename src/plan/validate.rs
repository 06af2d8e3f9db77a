//! Meaning: checks that need the whole resolved plan. Ranges that cannot
//! hold a value, enum values of the wrong type, constraints that do not fit
//! the type, invalid patterns, an event property that is also a super
//! property, and replacements that name no event. Every finding points at
//! its text. (Names that would collide in generated code are lint's
//! `identifier-collision`, from the naming authority.)

use crate::rules::lint as rule;
use serde_json::Value;

use super::{Origin, Plan, Property, Schema, Variants};
use crate::diagnostic::Diagnostic;
use crate::format::PropertyType;
use crate::yaml::{Path, Segment};

/// Runs every semantic check on `plan`.
pub(super) fn validate(plan: &Plan) -> Vec<Diagnostic> {
    let mut v = Validator {
        plan,
        diagnostics: Vec::new(),
    };
    let mut lists: Vec<(&str, &[Property])> = vec![
        ("shared definition", &plan.definitions),
        ("super property", &plan.super_properties),
        ("user property", &plan.user_properties),
    ];
    for event in &plan.events {
        lists.push(("property", &event.properties));
    }
    for group in &plan.groups {
        lists.push(("group property", &group.properties));
    }
    for (_, properties) in &lists {
        for property in *properties {
            v.property(property);
        }
    }
    for event in &plan.events {
        v.super_redeclared(&event.properties);
        if let Some(variants) = &event.variants {
            v.variants(variants, &event.properties);
            for case in variants.all() {
                v.super_redeclared(&case.properties);
            }
        }
        if let Some(replacement) = &event.replaced_by
            && plan.event(replacement).is_none()
        {
            let path = event.origin.path.key("replaced_by");
            let d = Diagnostic::error(
                rule::UNKNOWN_EVENT,
                format!("`replaced_by: {replacement}` names no event of the plan"),
            )
            .with_help("name the event that replaces this one, exactly as it is defined");
            v.report(&event.origin, &path, false, d, "no such event");
        }
    }
    v.diagnostics
}

struct Validator<'p> {
    plan: &'p Plan,
    diagnostics: Vec<Diagnostic>,
}

impl Validator<'_> {
    fn report(
        &mut self,
        origin: &Origin,
        path: &Path,
        key: bool,
        diagnostic: Diagnostic,
        label: &str,
    ) {
        let Some(doc) = self.plan.documents.get(origin.document) else {
            return;
        };
        let span = if key {
            doc.key_span(path)
        } else {
            doc.span_of(path)
        };
        self.diagnostics.push(diagnostic.at(&doc.file, span, label));
    }

    /// An event property with the name of a super property: both would
    /// be sent under one key, and `check` could not tell which rules apply.
    fn super_redeclared(&mut self, properties: &[Property]) {
        for property in properties {
            let Some(first) = self
                .plan
                .super_properties
                .iter()
                .find(|s| s.name == property.name)
            else {
                continue;
            };
            let mut d = Diagnostic::error(
                rule::DUPLICATE_NAME,
                format!("`{}` is a super property, sent with every event, and a property of this event too", property.name),
            )
            .with_help("remove it from the event: the super property already covers it");
            if let Some(doc) = self.plan.documents.get(first.origin.document) {
                d = d.with_related(
                    &doc.file,
                    doc.key_span(&first.origin.path),
                    "the super property",
                );
            }
            self.report(
                &property.origin,
                &property.origin.path,
                true,
                d,
                "defined again here",
            );
        }
    }

    fn property(&mut self, property: &Property) {
        // A `ref` use shares its definition's schema, checked once there.
        if property.reference.is_some() {
            return;
        }
        self.schema(&property.schema, &property.origin, &property.origin.path);
    }

    fn schema(&mut self, schema: &Schema, origin: &Origin, path: &Path) {
        self.constraints_fit_type(schema, origin, path);
        self.ranges(schema, origin, path);
        self.enum_values(schema, origin, path);
        if let Some(pattern) = &schema.pattern
            && let Err(err) = regex::Regex::new(pattern)
        {
            let reason = err
                .to_string()
                .lines()
                .last()
                .unwrap_or_default()
                .trim()
                .to_owned();
            let d = Diagnostic::error(
                rule::INVALID_PATTERN,
                format!("`pattern` is not a valid regular expression: {reason}"),
            )
            .with_help(
                "patterns use Rust regex syntax (like PCRE without look-around or backreferences)",
            );
            self.report(origin, &path.key("pattern"), false, d, "invalid regex");
        }
        if let Some(items) = &schema.items
            && !is_ref_at(self.plan, origin, &path.key("items"))
        {
            self.schema(items, origin, &path.key("items"));
        }
        for field in &schema.properties {
            self.property(field);
        }
        if let Some(variants) = &schema.variants {
            self.variants(variants, &schema.properties);
        }
    }

    /// An `invalid-variant` finding at `path` (its key when `key`).
    fn variant_error(
        &mut self,
        origin: &Origin,
        path: &Path,
        key: bool,
        message: String,
        label: &str,
        help: &str,
    ) {
        let d = Diagnostic::error(rule::INVALID_VARIANT, message).with_help(help);
        self.report(origin, path, key, d, label);
    }

    /// The loader's checks of variants over the `base` properties of the
    /// same event or object; then their cases' own properties.
    fn variants(&mut self, variants: &Variants, base: &[Property]) {
        let at = &variants.origin;
        let by = variants.by.as_str();
        let names = || base.iter().map(|p| p.name.as_str());
        match base.iter().find(|p| p.name == by) {
            None => {
                let near = crate::suggest::closest(by, names())
                    .map(|n| format!("; did you mean `{n}`?"))
                    .unwrap_or_default();
                self.variant_error(
                    at,
                    &at.path.key("by"),
                    false,
                    format!("`by: {by}` names no property of this event or object{near}"),
                    "no such property",
                    "the discriminator is one of the properties listed beside `variants`",
                );
            }
            Some(d) => {
                use PropertyType as T;
                if !matches!(d.schema.ty, T::String | T::Integer | T::Boolean) {
                    self.variant_error(at, &at.path.key("by"), false,
                        format!("the discriminator `{by}` is {}; it must be a string, integer or boolean", a(d.schema.ty)),
                        "not a string, integer or boolean",
                        "cases are keyed by the discriminator's values");
                } else if d.schema.allowed.is_none() {
                    self.variant_error(
                        at,
                        &at.path.key("by"),
                        false,
                        format!("the discriminator `{by}` has no `enum`"),
                        "no enum",
                        "give it an `enum` of its values: the cases are keyed by them",
                    );
                }
                if !d.required {
                    self.variant_error(
                        at,
                        &at.path.key("by"),
                        false,
                        format!("the discriminator `{by}` is optional"),
                        "optional",
                        "make it required: a record without it would have no case",
                    );
                }
                let allowed = d.schema.allowed.clone().unwrap_or_default();
                for case in &variants.cases {
                    let key = case.key.as_deref().unwrap_or_default();
                    let known = case
                        .value
                        .as_ref()
                        .is_some_and(|v| allowed.iter().any(|a| super::variants::same(a, v)));
                    if !known && !allowed.is_empty() {
                        let values: Vec<String> = allowed
                            .iter()
                            .map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_owned))
                            .collect();
                        let near = crate::suggest::closest(key, values.iter().map(String::as_str))
                            .map(|n| format!("; did you mean `{n}`?"))
                            .unwrap_or_default();
                        self.variant_error(
                            &case.origin,
                            &case.origin.path,
                            true,
                            format!(
                                "`{key}` is not a value of `{by}` (one of {}){near}",
                                values.join(", ")
                            ),
                            "no such value",
                            "each case is keyed by one of the discriminator's `enum` values",
                        );
                    }
                }
            }
        }
        for case in variants.all() {
            let label = case.label(by);
            for (i, name) in case.absent.iter().enumerate() {
                let path = case.origin.path.key("absent").join(Segment::Index(i));
                if name == by {
                    self.variant_error(
                        &case.origin,
                        &path,
                        false,
                        format!("the discriminator `{by}` cannot be absent"),
                        "the discriminator",
                        "every case carries the discriminator",
                    );
                } else if case.properties.iter().any(|p| &p.name == name) {
                    self.variant_error(
                        &case.origin,
                        &path,
                        false,
                        format!("`{name}` is both added and absent in case {label}"),
                        "also added",
                        "keep one: the case adds it, or says it is absent",
                    );
                } else if !base.iter().any(|p| &p.name == name) {
                    let near = crate::suggest::closest(name, names())
                        .map(|n| format!("; did you mean `{n}`?"))
                        .unwrap_or_default();
                    self.variant_error(
                        &case.origin,
                        &path,
                        false,
                        format!(
                            "`absent` names `{name}`, no property of this event or object{near}"
                        ),
                        "no such property",
                        "`absent` lists base properties this case must not carry",
                    );
                }
            }
            for property in &case.properties {
                if property.name == by {
                    self.variant_error(
                        &property.origin,
                        &property.origin.path,
                        true,
                        format!("case {label} gives the discriminator `{by}` again"),
                        "the discriminator",
                        "the discriminator's definition is the base one",
                    );
                } else if let Some(base) = base.iter().find(|b| b.name == property.name)
                    && base.schema.ty != property.schema.ty
                {
                    self.variant_error(&property.origin, &property.origin.path, true,
                        format!("`{}` is {} in the base properties but {} in case {label}", property.name, a(base.schema.ty), a(property.schema.ty)),
                        "another type", "a case may change a base property's requiredness and constraints, not its type");
                }
                self.property(property);
            }
        }
    }

    fn constraints_fit_type(&mut self, schema: &Schema, origin: &Origin, path: &Path) {
        use PropertyType as T;
        let ty = schema.ty;
        let string = matches!(ty, T::String);
        let number = matches!(ty, T::Integer | T::Number);
        let list = matches!(ty, T::List);
        let checks = [
            ("format", schema.format.is_some(), string, "string"),
            ("pattern", schema.pattern.is_some(), string, "string"),
            ("min_length", schema.min_length.is_some(), string, "string"),
            ("max_length", schema.max_length.is_some(), string, "string"),
            (
                "minimum",
                schema.minimum.is_some(),
                number,
                "integer or number",
            ),
            (
                "maximum",
                schema.maximum.is_some(),
                number,
                "integer or number",
            ),
            ("items", schema.items.is_some(), list, "list"),
            ("min_items", schema.min_items.is_some(), list, "list"),
            ("max_items", schema.max_items.is_some(), list, "list"),
            (
                "properties",
                !schema.properties.is_empty(),
                matches!(ty, T::Object),
                "object",
            ),
        ];
        for (field, set, fits, needs) in checks {
            if set && !fits {
                let d = Diagnostic::error(
                    rule::CONSTRAINT_MISMATCH,
                    format!("`{field}` does not apply to a {ty} property"),
                )
                .with_help(format!(
                    "`{field}` is for {needs} properties; remove it or change `type`"
                ));
                self.report(
                    origin,
                    &path.key(field),
                    true,
                    d,
                    format!("not for a {ty}").as_str(),
                );
            }
        }
        if list && schema.items.is_none() && !self.has_key(origin, &path.key("items")) {
            let d = Diagnostic::error(rule::CONSTRAINT_MISMATCH, "a `list` property needs `items`")
                .with_help("say what the list holds, e.g. `items: {type: string}`");
            self.report(origin, &path.key("type"), false, d, "no `items`");
        }
        if matches!(ty, T::List | T::Object) && schema.allowed.is_some() {
            let d = Diagnostic::error(
                rule::CONSTRAINT_MISMATCH,
                format!("`enum` does not apply to a {ty} property"),
            )
            .with_help("put the `enum` on the list's `items` or on the object's fields");
            self.report(origin, &path.key("enum"), true, d, "not for this type");
        }
    }

    fn has_key(&self, origin: &Origin, path: &Path) -> bool {
        self.plan
            .documents
            .get(origin.document)
            .is_some_and(|d| d.node(path).is_some())
    }

    fn ranges(&mut self, schema: &Schema, origin: &Origin, path: &Path) {
        let pairs = [
            ("minimum", "maximum", schema.minimum, schema.maximum),
            (
                "min_length",
                "max_length",
                schema.min_length.map(|v| v as f64),
                schema.max_length.map(|v| v as f64),
            ),
            (
                "min_items",
                "max_items",
                schema.min_items.map(|v| v as f64),
                schema.max_items.map(|v| v as f64),
            ),
        ];
        for (low_name, high_name, low, high) in pairs {
            if let (Some(low), Some(high)) = (low, high)
                && low > high
            {
                let d = Diagnostic::error(rule::INVALID_RANGE, format!("`{low_name}` ({low}) is above `{high_name}` ({high}): no value can satisfy both"))
                    .with_help(format!("swap them, or lower `{low_name}`"));
                let mut d = d;
                if let Some(doc) = self.plan.documents.get(origin.document) {
                    d = d.with_related(
                        &doc.file,
                        doc.span_of(&path.key(high_name)),
                        format!("`{high_name}` is {high}"),
                    );
                }
                self.report(
                    origin,
                    &path.key(low_name),
                    false,
                    d,
                    format!("`{low_name}` is {low}").as_str(),
                );
            }
        }
    }

    fn enum_values(&mut self, schema: &Schema, origin: &Origin, path: &Path) {
        let Some(values) = &schema.allowed else {
            return;
        };
        if matches!(schema.ty, PropertyType::List | PropertyType::Object) {
            return;
        }
        let enum_path = path.key("enum");
        if values.is_empty() {
            let d = Diagnostic::error(
                rule::ENUM_TYPE_MISMATCH,
                "`enum` is empty: no value would be accepted",
            )
            .with_help("list the allowed values, or remove `enum`");
            self.report(origin, &enum_path, false, d, "empty");
        }
        for (i, value) in values.iter().enumerate() {
            if fits(schema.ty, value) || (value.is_null() && schema.nullable) {
                continue;
            }
            let found = super::structure::kind_of(value);
            let mut d = Diagnostic::error(
                rule::ENUM_TYPE_MISMATCH,
                format!(
                    "enum value {value} is {found}, but the property is a {}",
                    schema.ty
                ),
            );
            if schema.ty == PropertyType::String && !value.is_null() {
                d = d.with_help(format!(
                    "quote it to make it a string: \"{}\"",
                    value.to_string().trim_matches('"')
                ));
            }
            self.report(
                origin,
                &enum_path.join(Segment::Index(i)),
                false,
                d,
                format!("not a {}", schema.ty).as_str(),
            );
        }
    }
}

/// A type with its article: `a string`, `an integer`.
fn a(ty: PropertyType) -> String {
    match ty {
        PropertyType::Integer | PropertyType::Object => format!("an {ty}"),
        _ => format!("a {ty}"),
    }
}

fn is_ref_at(plan: &Plan, origin: &Origin, path: &Path) -> bool {
    plan.documents
        .get(origin.document)
        .and_then(|d| d.node(&path.key("ref")))
        .is_some()
}

/// Whether a JSON value has the given plan type.
pub fn fits(ty: PropertyType, value: &Value) -> bool {
    match ty {
        PropertyType::String | PropertyType::Datetime => value.is_string(),
        PropertyType::Integer => {
            value.as_f64().is_some_and(|n| n.fract() == 0.0) && value.is_number()
        }
        PropertyType::Number => value.is_number(),
        PropertyType::Boolean => value.is_boolean(),
        PropertyType::List => value.is_array(),
        PropertyType::Object => value.is_object(),
    }
}
