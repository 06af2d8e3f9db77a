//! Resolution: `ref`s replaced by the shared definitions they name, use-site
//! overrides applied, defaults filled in. Produces the [`Plan`] and the
//! diagnostics of refs that cannot be resolved.

use crate::rules::lint as rule;
use indexmap::IndexMap;

use super::load::{Item, Merged};
use super::{Case, Event, Group, Origin, Plan, Property, Schema, Variants};
use crate::diagnostic::Diagnostic;
use crate::format::{CaseSpec, PropertySpec, PropertyType, VariantsSpec};
use crate::suggest::closest;
use crate::yaml::Path;

/// Resolves every `ref` of a merged plan.
pub(super) fn resolve(merged: Merged) -> (Plan, Vec<Diagnostic>) {
    let definitions: IndexMap<String, (PropertySpec, Origin)> = merged
        .definitions
        .iter()
        .map(|item| (item.name.clone(), (item.spec.clone(), item.origin.clone())))
        .collect();
    let mut resolver = Resolver {
        definitions: &definitions,
        documents: &merged.documents,
        diagnostics: Vec::new(),
        resolving: Vec::new(),
    };
    let definition_list = merged
        .definitions
        .iter()
        .filter_map(|item| resolver.definition(item))
        .collect();
    let super_properties = resolver.properties(&merged.super_properties, true);
    let user_properties = resolver.properties(&merged.user_properties, false);
    let root = &merged.root;
    let plan_policy = root.additional_properties.unwrap_or_default();
    let events = merged
        .events
        .iter()
        .map(|item| {
            let spec = &item.spec;
            let document = item.origin.document;
            let properties = resolver.map(
                &spec.properties,
                &item.origin.path.key("properties"),
                document,
                true,
            );
            let variants = spec.variants.as_ref().map(|v| {
                resolver.variants(v, &item.origin.path.key("variants"), document, &properties)
            });
            Event {
                name: item.name.clone(),
                description: spec.description.clone(),
                owner: spec.owner.clone().or_else(|| root.owner.clone()),
                tags: spec.tags.clone(),
                status: spec.status,
                replaced_by: spec.replaced_by.clone(),
                renamed_from: spec.renamed_from.clone(),
                identified: spec.identified,
                additional_properties: spec.additional_properties.unwrap_or(plan_policy),
                properties,
                variants,
                origin: item.origin.clone(),
            }
        })
        .collect();
    let groups = merged
        .groups
        .iter()
        .map(|item| Group {
            name: item.name.clone(),
            description: item.spec.description.clone(),
            properties: resolver.map(
                &item.spec.properties,
                &item.origin.path.key("properties"),
                item.origin.document,
                false,
            ),
            origin: item.origin.clone(),
        })
        .collect();
    let diagnostics = resolver.diagnostics;
    let plan = Plan {
        name: root.name.clone().unwrap_or_default(),
        version: root.version.clone().unwrap_or_default(),
        description: root.description.clone(),
        owner: root.owner.clone(),
        tags: root.tags.clone(),
        identity: root.identity.clone().unwrap_or_default(),
        additional_properties: plan_policy,
        definitions: definition_list,
        super_properties,
        events,
        user_properties,
        groups,
        lint: root.lint.clone().unwrap_or_default(),
        documents: merged.documents,
    };
    (plan, diagnostics)
}

struct Resolver<'a> {
    definitions: &'a IndexMap<String, (PropertySpec, Origin)>,
    documents: &'a [std::sync::Arc<crate::yaml::Document>],
    diagnostics: Vec<Diagnostic>,
    /// Definitions being resolved, to catch a definition that refers to itself.
    resolving: Vec<String>,
}

/// Fields that a use site of a `ref` may not set.
fn overridden_fields(spec: &PropertySpec) -> Vec<&'static str> {
    let checks: [(&'static str, bool); 17] = [
        ("type", spec.ty.is_some()),
        ("nullable", spec.nullable.is_some()),
        ("pii", spec.pii.is_some()),
        ("deprecated", spec.deprecated.is_some()),
        ("renamed_from", spec.renamed_from.is_some()),
        ("enum", spec.allowed.is_some()),
        ("format", spec.format.is_some()),
        ("pattern", spec.pattern.is_some()),
        ("minimum", spec.minimum.is_some()),
        ("maximum", spec.maximum.is_some()),
        ("min_length", spec.min_length.is_some()),
        ("max_length", spec.max_length.is_some()),
        ("items", spec.items.is_some()),
        ("min_items", spec.min_items.is_some()),
        ("max_items", spec.max_items.is_some()),
        ("properties", spec.properties.is_some()),
        ("variants", spec.variants.is_some()),
    ];
    let mut fields: Vec<_> = checks
        .iter()
        .filter(|(_, set)| *set)
        .map(|(f, _)| *f)
        .collect();
    if !spec.examples.is_empty() {
        fields.push("examples");
    }
    fields
}

impl Resolver<'_> {
    fn error(
        &mut self,
        document: usize,
        key: bool,
        path: &Path,
        diagnostic: Diagnostic,
        label: &str,
    ) {
        let Some(doc) = self.documents.get(document) else {
            self.diagnostics.push(diagnostic);
            return;
        };
        let span = if key {
            doc.key_span(path)
        } else {
            doc.span_of(path)
        };
        self.diagnostics.push(diagnostic.at(&doc.file, span, label));
    }

    fn definition(&mut self, item: &Item<PropertySpec>) -> Option<Property> {
        if item.spec.reference.is_some() {
            let path = item.origin.path.key("ref");
            let d = Diagnostic::error(
                rule::INVALID_REF,
                format!("shared definition `{}` cannot itself be a `ref`", item.name),
            )
            .with_help("write the type out here, or use the other definition directly");
            self.error(
                item.origin.document,
                false,
                &path,
                d,
                "not allowed in a shared definition",
            );
            return None;
        }
        self.property(&item.name, &item.spec, item.origin.clone(), false)
    }

    fn properties(
        &mut self,
        items: &[Item<PropertySpec>],
        required_by_default: bool,
    ) -> Vec<Property> {
        items
            .iter()
            .filter_map(|item| {
                self.property(
                    &item.name,
                    &item.spec,
                    item.origin.clone(),
                    required_by_default,
                )
            })
            .collect()
    }

    fn map(
        &mut self,
        map: &IndexMap<String, PropertySpec>,
        path: &Path,
        document: usize,
        required_by_default: bool,
    ) -> Vec<Property> {
        map.iter()
            .filter_map(|(name, spec)| {
                let origin = Origin {
                    document,
                    path: path.key(name),
                };
                self.property(name, spec, origin, required_by_default)
            })
            .collect()
    }

    fn property(
        &mut self,
        name: &str,
        spec: &PropertySpec,
        origin: Origin,
        required_by_default: bool,
    ) -> Option<Property> {
        let Some(reference) = &spec.reference else {
            let schema = self.schema(spec, &origin)?;
            return Some(Property {
                name: name.to_owned(),
                description: spec.description.clone(),
                required: spec.required.unwrap_or(required_by_default),
                pii: spec.pii.unwrap_or(false),
                deprecated: spec.deprecated.unwrap_or(false),
                renamed_from: spec.renamed_from.clone(),
                reference: None,
                schema,
                origin,
            });
        };
        for field in overridden_fields(spec) {
            let path = origin.path.key(field);
            let d = Diagnostic::error(rule::INVALID_REF, format!("`{field}` cannot be set beside `ref: {reference}`"))
                .with_help("a use site may only override `required` and `description`; change the shared definition, or write the property out without `ref`");
            self.error(
                origin.document,
                true,
                &path,
                d,
                "set by the shared definition",
            );
        }
        let Some((definition, definition_origin)) = self.definitions.get(reference) else {
            let mut message = format!("`ref: {reference}` names no shared definition");
            let suggestion = closest(reference, self.definitions.keys().map(String::as_str));
            if let Some(best) = suggestion {
                message.push_str(&format!("; did you mean `{best}`?"));
            }
            let mut d = Diagnostic::error(rule::UNRESOLVED_REF, message);
            d = match suggestion {
                Some(best) => d.with_help(format!(
                    "the shared definitions are under `properties:`; `{best}` is the closest"
                )),
                None if self.definitions.is_empty() => {
                    d.with_help("define it under the plan's top-level `properties:`")
                }
                None => d.with_help(format!(
                    "defined: {}",
                    self.definitions
                        .keys()
                        .map(String::as_str)
                        .collect::<Vec<_>>()
                        .join(", ")
                )),
            };
            let path = origin.path.key("ref");
            self.error(origin.document, false, &path, d, "unknown definition");
            return None;
        };
        if self.resolving.contains(reference) {
            let d = Diagnostic::error(
                rule::INVALID_REF,
                format!("shared definition `{reference}` refers to itself"),
            );
            self.error(origin.document, false, &origin.path.key("ref"), d, "cycle");
            return None;
        }
        self.resolving.push(reference.clone());
        let schema = self.schema(definition, definition_origin);
        self.resolving.pop();
        Some(Property {
            name: name.to_owned(),
            description: spec
                .description
                .clone()
                .or_else(|| definition.description.clone()),
            required: spec
                .required
                .or(definition.required)
                .unwrap_or(required_by_default),
            pii: definition.pii.unwrap_or(false),
            deprecated: definition.deprecated.unwrap_or(false),
            renamed_from: definition.renamed_from.clone(),
            reference: Some(reference.clone()),
            schema: schema?,
            origin,
        })
    }

    fn schema(&mut self, spec: &PropertySpec, origin: &Origin) -> Option<Schema> {
        let Some(ty) = spec.ty else {
            // A `type` that is there but invalid is already reported.
            let written = self
                .documents
                .get(origin.document)
                .and_then(|d| d.node(&origin.path.key("type")))
                .is_some();
            if written {
                return None;
            }
            let d = Diagnostic::error(rule::MISSING_TYPE, "property has neither `type` nor `ref`")
                .with_help("add `type: string` (or integer, number, boolean, datetime, list, object), or `ref: <shared definition>`");
            self.error(origin.document, true, &origin.path, d, "no type");
            return None;
        };
        let items = match &spec.items {
            Some(items) => {
                let item_origin = Origin {
                    document: origin.document,
                    path: origin.path.key("items"),
                };
                self.property("items", items, item_origin, true)
                    .map(|p| Box::new(p.schema))
            }
            None => None,
        };
        let properties = match &spec.properties {
            Some(map) => self.map(map, &origin.path.key("properties"), origin.document, true),
            None => Vec::new(),
        };
        let variants = spec.variants.as_ref().map(|v| {
            Box::new(self.variants(
                v,
                &origin.path.key("variants"),
                origin.document,
                &properties,
            ))
        });
        Some(Schema {
            ty,
            nullable: spec.nullable.unwrap_or(false),
            allowed: spec.allowed.clone(),
            format: spec.format,
            pattern: spec.pattern.clone(),
            minimum: spec.minimum,
            maximum: spec.maximum,
            min_length: spec.min_length,
            max_length: spec.max_length,
            items,
            min_items: spec.min_items,
            max_items: spec.max_items,
            properties,
            variants,
            examples: spec.examples.clone(),
        })
    }

    /// The variants written at `path`, over the `base` properties of the
    /// same event or object; the loader's checks of them are in `validate`.
    fn variants(
        &mut self,
        spec: &VariantsSpec,
        path: &Path,
        document: usize,
        base: &[Property],
    ) -> Variants {
        let ty = base.iter().find(|p| p.name == spec.by).map(|p| p.schema.ty);
        let mut case = |key: Option<&str>, case: &CaseSpec, path: Path| Case {
            key: key.map(str::to_owned),
            value: key.and_then(|k| typed(k, ty)),
            description: case.description.clone(),
            properties: self.map(&case.properties, &path.key("properties"), document, true),
            absent: case.absent.clone(),
            origin: Origin { document, path },
        };
        let cases = spec
            .cases
            .iter()
            .map(|(key, c)| case(Some(key), c, path.key("cases").key(key)))
            .collect();
        let default = spec
            .default
            .as_ref()
            .map(|c| case(None, c, path.key("default")));
        Variants {
            by: spec.by.clone(),
            cases,
            default,
            origin: Origin {
                document,
                path: path.clone(),
            },
        }
    }
}

/// A case key as a value of the discriminator's type: `drink`, `2`,
/// `true`; `None` when it is none (the loader reports it).
fn typed(key: &str, ty: Option<PropertyType>) -> Option<serde_json::Value> {
    match ty? {
        PropertyType::String => Some(key.into()),
        PropertyType::Integer => key.parse::<i64>().ok().map(Into::into),
        PropertyType::Boolean => key.parse::<bool>().ok().map(Into::into),
        _ => None,
    }
}
