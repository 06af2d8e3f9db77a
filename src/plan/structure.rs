//! Structure: does a file have the shape of a plan? The file's JSON is
//! validated against the format's JSON Schema, so that every structural
//! mistake in a file is reported at once (serde alone stops at the first),
//! each at its exact place. Then the offending parts are cut out and the rest
//! is read into a [`PlanFile`], so the semantic checks still run on it.

use crate::rules::lint as rule;
use std::sync::LazyLock;

use jsonschema::error::{TypeKind, ValidationErrorKind};
use serde_json::Value;

use crate::diagnostic::Diagnostic;
use crate::format::PlanFile;
use crate::format::schema::{allowed_values_at, description_at, field_names_at, plan_schema};
use crate::suggest::closest;
use crate::yaml::{Document, Path, Segment};

static VALIDATOR: LazyLock<Option<jsonschema::Validator>> =
    LazyLock::new(|| jsonschema::validator_for(plan_schema()).ok());

/// The file read into a [`PlanFile`] (with invalid parts left out), and the
/// structural mistakes found.
pub struct Structure {
    /// What could be read; `None` only when nothing usable remained.
    pub file: Option<PlanFile>,
    /// One diagnostic per mistake.
    pub diagnostics: Vec<Diagnostic>,
}

/// Checks a parsed document against the plan format.
pub fn check(document: &Document) -> Structure {
    let mut json = document.root.to_json();
    let mut diagnostics = Vec::new();
    let mut cuts = Vec::new();
    if !json.is_object() {
        let span = document.root.span.clone();
        diagnostics.push(
            Diagnostic::error(
                rule::INVALID_TYPE,
                "a plan file must be a mapping of fields",
            )
            .at(&document.file, span, format!("found {}", kind_of(&json)))
            .with_help("start with `trackplan: 1`, then `name`, `version` and `events`"),
        );
        return Structure {
            file: None,
            diagnostics,
        };
    }
    if let Some(validator) = VALIDATOR.as_ref() {
        for error in validator.iter_errors(&json) {
            let path = Path::from_pointer(error.instance_path().as_str());
            let instance = error.instance().as_ref();
            report(
                document,
                &path,
                error.kind(),
                instance,
                &mut diagnostics,
                &mut cuts,
            );
        }
    }
    for path in &cuts {
        cut(&mut json, path);
    }
    if let Value::Object(root) = &mut json {
        // Without its format version nothing deserializes; the missing
        // field is already reported, so read the rest as format 1.
        root.entry("trackplan").or_insert(Value::from(1));
    }
    // The schema and serde agree on what is valid; should they ever differ,
    // serde's complaint is reported and its part cut out too, a bounded
    // number of times.
    for _ in 0..32 {
        match serde_path_to_error::deserialize::<_, PlanFile>(&json) {
            Ok(file) => {
                return Structure {
                    file: Some(file),
                    diagnostics,
                };
            }
            Err(err) => {
                let path = Path::from_pointer(&pointer_of(err.path()));
                if diagnostics.is_empty() {
                    diagnostics.push(
                        Diagnostic::error(rule::INVALID_VALUE, err.inner().to_string()).at(
                            &document.file,
                            document.span_of(&path),
                            "",
                        ),
                    );
                }
                if path.segments().is_empty() {
                    break;
                }
                cut(&mut json, &path);
            }
        }
    }
    Structure {
        file: None,
        diagnostics,
    }
}

fn pointer_of(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment as S;
    let mut pointer = String::new();
    for segment in path.iter() {
        pointer.push('/');
        match segment {
            S::Seq { index } => pointer.push_str(&index.to_string()),
            S::Map { key } | S::Enum { variant: key } => {
                pointer.push_str(&key.replace('~', "~0").replace('/', "~1"))
            }
            S::Unknown => {}
        }
    }
    pointer
}

fn report(
    document: &Document,
    path: &Path,
    kind: &ValidationErrorKind,
    instance: &Value,
    diagnostics: &mut Vec<Diagnostic>,
    cuts: &mut Vec<Path>,
) {
    let file = &document.file;
    let help = || description_at(path).map(str::to_owned);
    let diagnostic = match kind {
        ValidationErrorKind::AdditionalProperties { unexpected } => {
            let fields = field_names_at(path);
            for name in unexpected {
                let at = path.key(name);
                let mut message = format!("unknown field `{name}`");
                let mut d = match closest(name, fields.iter().copied()) {
                    Some(best) => {
                        message.push_str(&format!(", did you mean `{best}`?"));
                        let d = Diagnostic::error(rule::UNKNOWN_FIELD, message).at(
                            file,
                            document.key_span(&at),
                            format!("did you mean `{best}`?"),
                        );
                        match description_at(&path.key(best)) {
                            Some(doc) => d.with_help(format!("`{best}`: {doc}")),
                            None => d,
                        }
                    }
                    None => Diagnostic::error(rule::UNKNOWN_FIELD, message).at(
                        file,
                        document.key_span(&at),
                        "not a field here",
                    ),
                };
                if d.help.is_none() && !fields.is_empty() {
                    d = d.with_help(format!("the fields here are: {}", fields.join(", ")));
                }
                diagnostics.push(d);
                cuts.push(at);
            }
            return;
        }
        ValidationErrorKind::Required { property } => {
            let name = property.as_str().unwrap_or_default();
            let field = path.key(name);
            let mut d = Diagnostic::error(rule::MISSING_FIELD, format!("missing field `{name}`"))
                .at(
                    file,
                    start_of(document, path),
                    format!("`{name}` is required here"),
                );
            if let Some(doc) = description_at(&field) {
                d = d.with_help(format!("`{name}`: {doc}"));
            }
            cuts.push(path.clone());
            d
        }
        ValidationErrorKind::Type { kind } => {
            let expected = expected_type(kind);
            let found = kind_of(instance);
            let mut d = Diagnostic::error(
                rule::INVALID_TYPE,
                format!("expected {expected}, found {found}"),
            )
            .at(file, document.span_of(path), format!("this is {found}"));
            if expected.contains("string") && matches!(instance, Value::Number(_) | Value::Bool(_))
            {
                d = d.with_help(format!(
                    "YAML reads this as {found}; quote it to make it a string: \"{}\"",
                    scalar_text(document, path)
                ));
            } else if let Some(doc) = help() {
                d = d.with_help(doc);
            }
            cuts.push(path.clone());
            d
        }
        ValidationErrorKind::Enum { .. }
        | ValidationErrorKind::OneOfNotValid { .. }
        | ValidationErrorKind::AnyOf { .. }
            if !allowed_values_at(path).is_empty() =>
        {
            let options = allowed_values_at(path);
            let value = instance
                .as_str()
                .map_or_else(|| instance.to_string(), str::to_owned);
            let mut message = format!("`{value}` is not one of {}", options.join(", "));
            if let Some(best) = closest(&value, options.iter().copied()) {
                message.push_str(&format!("; did you mean `{best}`?"));
            }
            cuts.push(path.clone());
            let d = Diagnostic::error(rule::INVALID_VALUE, message).at(
                file,
                document.span_of(path),
                "",
            );
            match help() {
                Some(doc) => d.with_help(doc),
                None => d,
            }
        }
        _ if path.segments() == [Segment::Key("trackplan".into())] => {
            cuts.push(path.clone());
            Diagnostic::error(
                rule::INVALID_VALUE,
                format!("unsupported plan format version {instance}"),
            )
            .at(
                file,
                document.span_of(path),
                "this trackplan reads format 1",
            )
            .with_help("set `trackplan: 1`")
        }
        ValidationErrorKind::Pattern { .. } if path.last_key() == Some("version") => {
            cuts.push(path.clone());
            Diagnostic::error(
                rule::INVALID_VALUE,
                format!(
                    "`{}` is not a version like 1.2.0",
                    scalar_text(document, path)
                ),
            )
            .at(file, document.span_of(path), "expected MAJOR.MINOR.PATCH")
        }
        other => {
            cuts.push(path.clone());
            let d = Diagnostic::error(rule::INVALID_VALUE, describe(other, instance)).at(
                file,
                document.span_of(path),
                "",
            );
            match help() {
                Some(doc) => d.with_help(doc),
                None => d,
            }
        }
    };
    diagnostics.push(diagnostic);
}

/// A zero-width span at the start of the node at `path`, so a missing field
/// is reported where the mapping that lacks it begins.
fn start_of(document: &Document, path: &Path) -> std::ops::Range<usize> {
    let span = if path.segments().is_empty() {
        document.root.span.clone()
    } else {
        document.key_span(path)
    };
    span.start..span.end.min(span.start + 1).max(span.start)
}

fn scalar_text(document: &Document, path: &Path) -> String {
    document
        .node(path)
        .and_then(|n| n.as_str())
        .unwrap_or_default()
        .to_owned()
}

fn describe(kind: &ValidationErrorKind, instance: &Value) -> String {
    match kind {
        ValidationErrorKind::Minimum { limit } => {
            format!("{instance} is less than the minimum {limit}")
        }
        ValidationErrorKind::Maximum { limit } => {
            format!("{instance} is more than the maximum {limit}")
        }
        ValidationErrorKind::Constant { expected_value } => {
            format!("expected {expected_value}, found {instance}")
        }
        _ => format!("invalid value {instance}"),
    }
}

fn expected_type(kind: &TypeKind) -> String {
    let name = |t: &jsonschema::JsonType| match t.to_string().as_str() {
        "object" => "a mapping".to_owned(),
        "array" => "a list".to_owned(),
        "integer" => "an integer".to_owned(),
        "boolean" => "true or false".to_owned(),
        other => format!("a {other}"),
    };
    match kind {
        TypeKind::Single(t) => name(t),
        TypeKind::Multiple(ts) => ts.iter().map(|t| name(&t)).collect::<Vec<_>>().join(" or "),
    }
}

/// How a JSON value is named in messages.
pub fn kind_of(value: &Value) -> &'static str {
    match value {
        Value::Null => "nothing (null)",
        Value::Bool(_) => "a boolean",
        Value::Number(n) if n.is_i64() || n.is_u64() => "an integer",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "a mapping",
    }
}

/// Removes the value at `path`: its key from the parent mapping, or (in a
/// list) the whole list's entry in its own parent.
fn cut(json: &mut Value, path: &Path) {
    let segments = path.segments();
    for end in (1..=segments.len()).rev() {
        let (parent, last) = (&segments[..end - 1], &segments[end - 1]);
        let Some(Value::Object(map)) = walk(json, parent) else {
            continue;
        };
        if let Segment::Key(key) = last {
            map.shift_remove(key);
            return;
        }
    }
}

fn walk<'a>(json: &'a mut Value, segments: &[Segment]) -> Option<&'a mut Value> {
    let mut node = json;
    for segment in segments {
        node = match (segment, node) {
            (Segment::Key(k), Value::Object(map)) => map.get_mut(k)?,
            (Segment::Key(k), Value::Array(items)) => items.get_mut(k.parse::<usize>().ok()?)?,
            (Segment::Index(i), Value::Array(items)) => items.get_mut(*i)?,
            _ => return None,
        };
    }
    Some(node)
}
