//! A target described as data: the `target.toml` beside its templates
//! names the files it writes, the case of each kind of identifier, the
//! words its language reserves, its scopes with the names its templates
//! define in them, the identifiers each item of the plan needs, how
//! literals and comments are written, and its type mapping
//! (`docs/targets.md`). The generator itself is target-neutral code that
//! reads it; the built-in targets are embedded in the binary and
//! `--target-dir DIR` reads a team's own.

use crate::rules::config as rule;
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use serde::Deserialize;

use crate::diagnostic::Diagnostic;
use crate::naming::{IdentCase, IdentRules};
use crate::source::SourceFile;

/// Everything trackplan needs to know about a target.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TargetSpec {
    /// The target's name (`typescript`).
    pub name: String,
    /// One line saying what it generates.
    pub description: String,
    /// The files it writes, each rendered from one template.
    pub files: Vec<FileSpec>,
    /// How literals, keys and comments are written.
    pub syntax: Syntax,
    /// Words no identifier may be: the language's keywords, and the
    /// globals and prelude names that generated code relies on. Reserved
    /// in every scope.
    #[serde(default)]
    pub reserved: Vec<String>,
    /// The kinds of identifier (type, function, field, constant, variant,
    /// ...) and how each is formed.
    pub kinds: BTreeMap<String, KindSpec>,
    /// The scopes of the generated code.
    pub scopes: BTreeMap<String, ScopeSpec>,
    /// The identifiers each kind of plan item needs.
    #[serde(default)]
    pub names: Vec<NameSpec>,
    /// The type of each plan type in the language.
    pub types: TypeMap,
}

/// One generated file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileSpec {
    /// The template, a file of the target's directory (`tracking.ts.jinja`).
    pub template: String,
    /// The path written, relative to `--out` (`tracking.ts`, `src/lib.rs`).
    pub output: String,
}

/// How text of the plan is written in the language.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Syntax {
    /// String literals (the `string` filter).
    pub string: StringStyle,
    /// Doc comments (the `doc` filter).
    pub doc: DocStyle,
    /// Keys of object types and literals (the `key` filter).
    #[serde(default)]
    pub key: KeyStyle,
}

/// How a property name is written as a key.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum KeyStyle {
    /// Always a string literal.
    #[default]
    String,
    /// JavaScript and TypeScript: bare when it is a plain identifier, else
    /// a string literal; `__proto__` computed (`["__proto__"]`), since a
    /// plain `__proto__:` in an object literal sets the prototype.
    Js,
}

/// How a string literal is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StringStyle {
    /// JSON's escaping, with `<`, `>`, U+2028 and U+2029 escaped too:
    /// valid in JavaScript, TypeScript, Python, Go, Java, Kotlin (but for
    /// `$`, see `dollar`), Swift.
    Json,
    /// Rust's `Debug` escaping.
    Rust,
    /// JSON's escaping with `$` escaped as `\$` (Kotlin, Dart, Groovy).
    JsonDollar,
}

/// How a doc comment is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DocStyle {
    /// Inside `/** ... */`: `*/` broken up, lines continued with ` * `.
    Block,
    /// `///` lines whose Markdown shows the text as written (rustdoc).
    Rustdoc,
    /// `#` lines (Python, Ruby, shell, TOML, YAML).
    Hash,
}

/// How one kind of identifier is formed.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KindSpec {
    /// The case its words are joined in.
    pub case: IdentCase,
    /// Put before an identifier that would start with a digit.
    #[serde(default = "underscore")]
    pub leading_digit: String,
    /// Put after an identifier that is reserved.
    #[serde(default = "underscore")]
    pub reserved_suffix: String,
    /// The most characters the item's own words take (longer names keep
    /// their first words that fit); no limit when left out.
    #[serde(default)]
    pub max_length: Option<usize>,
}

fn underscore() -> String {
    "_".to_owned()
}

/// A scope of the generated code.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScopeSpec {
    /// How many there are.
    #[serde(default)]
    pub per: Per,
    /// The generated files whose top level it is (for the test that
    /// compares what the templates define with `defined`).
    #[serde(default)]
    pub files: Vec<String>,
    /// The names the templates define in it themselves.
    #[serde(default)]
    pub defined: Vec<String>,
    /// Words reserved in this scope only, besides the target's `reserved`
    /// (Rust's prelude names, which only the crate's top level must avoid).
    #[serde(default)]
    pub reserved: Vec<String>,
}

/// How many instances a scope has.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Per {
    /// One for the whole output (a module's top level).
    #[default]
    Output,
    /// One per list of properties: each event, group, the super and user
    /// properties, each object type (a struct's fields).
    Owner,
    /// One per enum type (its variants).
    Enum,
}

/// An identifier that every item of one kind needs.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NameSpec {
    /// The items that need it.
    pub item: ItemKind,
    /// How templates read it: `event.names.<key>`.
    pub key: String,
    /// Its kind of identifier, a key of `kinds`.
    pub kind: String,
    /// Words put before the item's own.
    #[serde(default)]
    pub prefix: Vec<String>,
    /// Words put after the item's own (`["properties"]`).
    #[serde(default)]
    pub suffix: Vec<String>,
    /// The scopes it lives in, keys of `scopes`; it is free in all of them.
    pub scopes: Vec<String>,
}

/// The items of a plan that get identifiers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ItemKind {
    /// The plan itself (a package name).
    Plan,
    /// An event.
    Event,
    /// A group type.
    Group,
    /// A property: of an event, super, user, group, or an object's field.
    Property,
    /// A string enum, a type of its own where the language declares one.
    Enum,
    /// An object with declared fields, a type of its own.
    Object,
    /// A value of a string enum.
    Value,
    /// A case of an event's variants (the default case included), a type
    /// of its own where the language declares one.
    Case,
    /// A case as one variant of the event's enum (Rust's `Drink`), named
    /// after the discriminator's value alone.
    CaseValue,
}

/// The language's type for each plan type. `{item}` is the list item's
/// type, `{type}` the type made nullable, `{name}` an enum's or object's
/// `names.type`, `{values}` an enum's values as literals joined by
/// `enum_separator`, `{fields}` an object's fields written with
/// `object_field` and joined by `object_field_separator`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TypeMap {
    /// `string`.
    pub string: String,
    /// `datetime` (an ISO 8601 string on the wire).
    pub datetime: String,
    /// `integer`.
    pub integer: String,
    /// `number`.
    pub number: String,
    /// `boolean`.
    pub boolean: String,
    /// `list`, with `{item}`.
    pub list: String,
    /// An `object` without declared fields.
    pub map: String,
    /// An `object` with fields: `{name}` or `{fields}`.
    pub object: String,
    /// A string enum: `{name}` or `{values}`.
    #[serde(rename = "enum")]
    pub string_enum: String,
    /// An enum of numbers or booleans: `{values}`; the base type when left out.
    #[serde(default)]
    pub literal_enum: Option<String>,
    /// Between the literals of `{values}`.
    #[serde(default = "bar")]
    pub enum_separator: String,
    /// A nullable type, with `{type}`.
    pub nullable: String,
    /// One field in `{fields}`: `{key}`, `{optional}`, `{type}`.
    #[serde(default)]
    pub object_field: Option<String>,
    /// What `{optional}` is for an optional field (empty for a required one).
    #[serde(default)]
    pub object_field_optional: String,
    /// The type of an optional field, with `{type}`; the type itself when left out.
    #[serde(default)]
    pub optional: Option<String>,
    /// Between the fields of `{fields}`.
    #[serde(default = "semicolon")]
    pub object_field_separator: String,
    /// Keys every object of the language already has (TypeScript's
    /// `constructor`, `toString`, ...): an object literal without such an
    /// optional field still has it, so its type must accept that too.
    #[serde(default)]
    pub inherited_keys: Vec<String>,
    /// The type of an optional field with an inherited key: `{type}`, and
    /// `{key}` as a string literal.
    #[serde(default)]
    pub inherited: Option<String>,
    /// An object with variants written in place, with `{members}`: each
    /// member of its union written with `object` (the discriminator as its
    /// values, the member's fields, its absent fields) and joined by
    /// `enum_separator`. Left out, such an object is written with `object`
    /// and its templates declare it (`variants` of the type).
    #[serde(default)]
    pub object_union: Option<String>,
    /// A field a member of an object's union must not carry, in its
    /// `{fields}`: `{key}`. Left out, such fields are not written.
    #[serde(default)]
    pub object_absent_field: Option<String>,
}

fn bar() -> String {
    " | ".to_owned()
}

fn semicolon() -> String {
    "; ".to_owned()
}

/// A target with its templates, ready to render.
#[derive(Debug, Clone)]
pub struct Target {
    /// Its description.
    pub spec: TargetSpec,
    /// Each file's template source, in the order of `spec.files`.
    pub templates: Vec<String>,
    /// Whether it is built in (its templates are trusted to finish).
    pub builtin: bool,
}

/// A built-in target: its name, its `target.toml`, and each template file
/// with its source.
type Builtin = (
    &'static str,
    &'static str,
    &'static [(&'static str, &'static str)],
);

/// The built-in targets, embedded from `templates/<name>/`.
const BUILTIN: &[Builtin] = &[
    (
        "typescript",
        include_str!("../../templates/typescript/target.toml"),
        &[
            (
                "tracking.ts.jinja",
                include_str!("../../templates/typescript/tracking.ts.jinja"),
            ),
            (
                "validation.ts.jinja",
                include_str!("../../templates/typescript/validation.ts.jinja"),
            ),
            (
                "index.ts.jinja",
                include_str!("../../templates/typescript/index.ts.jinja"),
            ),
        ],
    ),
    (
        "rust",
        include_str!("../../templates/rust/target.toml"),
        &[
            (
                "Cargo.toml.jinja",
                include_str!("../../templates/rust/Cargo.toml.jinja"),
            ),
            (
                "lib.rs.jinja",
                include_str!("../../templates/rust/lib.rs.jinja"),
            ),
        ],
    ),
];

/// The names of the built-in targets.
pub fn builtin_names() -> impl Iterator<Item = &'static str> {
    BUILTIN.iter().map(|(name, _, _)| *name)
}

/// Why a target cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum TargetError {
    /// A file of the target directory could not be read.
    #[error("{0}")]
    Read(#[from] crate::source::ReadError),
    /// `target.toml` is not a valid target description.
    #[error("{}", .0.message)]
    Invalid(Box<Diagnostic>),
}

impl Target {
    /// The built-in target `name` (its description is tested: see
    /// [`Target::check_builtin`]).
    pub fn builtin(name: &str) -> Option<Target> {
        Self::check_builtin(name).ok()
    }

    /// The built-in target `name`, or what is wrong with its description.
    pub fn check_builtin(name: &str) -> Result<Target, String> {
        let (_, toml, templates) = BUILTIN
            .iter()
            .find(|(n, _, _)| *n == name)
            .ok_or_else(|| format!("no built-in target `{name}`"))?;
        let file = SourceFile::new(format!("templates/{name}/target.toml"), *toml);
        let spec = parse(&file).map_err(|d| {
            crate::diagnostic::render::human(&d, crate::diagnostic::render::Style::Plain)
        })?;
        let sources = spec
            .files
            .iter()
            .map(|f| {
                templates
                    .iter()
                    .find(|(t, _)| *t == f.template)
                    .map(|(_, source)| (*source).to_owned())
                    .ok_or_else(|| format!("`{}` is not embedded", f.template))
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Target {
            spec,
            templates: sources,
            builtin: true,
        })
    }

    /// Every built-in target.
    pub fn builtins() -> Vec<Target> {
        builtin_names().filter_map(Target::builtin).collect()
    }

    /// A team's own target: `DIR/target.toml` and the templates it names.
    pub fn from_dir(dir: &Path) -> Result<Target, TargetError> {
        let read = |path: &Path| SourceFile::read_text(path, crate::source::MAX_PLAN_BYTES);
        let toml_path = dir.join("target.toml");
        let file = SourceFile::new(toml_path.display().to_string(), read(&toml_path)?);
        let spec = parse(&file).map_err(TargetError::Invalid)?;
        let templates = spec
            .files
            .iter()
            .map(|f| read(&dir.join(&f.template)))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Target {
            spec,
            templates,
            builtin: false,
        })
    }

    /// How identifiers of `kind` are formed (`kind` is checked at parse).
    pub fn rules(&self, kind: &str) -> IdentRules {
        let spec = self.spec.kinds.get(kind);
        IdentRules {
            case: spec.map_or(IdentCase::Snake, |k| k.case),
            leading_digit: spec.map_or_else(underscore, |k| k.leading_digit.clone()),
            reserved_suffix: spec.map_or_else(underscore, |k| k.reserved_suffix.clone()),
            max_length: spec.and_then(|k| k.max_length),
        }
    }
}

/// Reads and checks a `target.toml`; a mistake is a diagnostic at its text.
fn parse(file: &Arc<SourceFile>) -> Result<TargetSpec, Box<Diagnostic>> {
    let spec: TargetSpec = toml::from_str(file.text()).map_err(|e| {
        let span = e.span().unwrap_or(0..0);
        Box::new(
            Diagnostic::error(
                rule::INVALID_TARGET,
                format!("`target.toml`: {}", e.message()),
            )
            .at(file, span, "here")
            .with_help("docs/targets.md describes every field"),
        )
    })?;
    let invalid = |message: String| {
        Box::new(
            Diagnostic::error(rule::INVALID_TARGET, message)
                .at(file, 0..0, "in this file")
                .with_help("docs/targets.md describes every field"),
        )
    };
    for name in &spec.names {
        if !spec.kinds.contains_key(&name.kind) {
            return Err(invalid(format!(
                "`names`: the kind `{}` of `{}` names is not in `kinds`",
                name.kind, name.key
            )));
        }
        if name.scopes.is_empty() {
            return Err(invalid(format!(
                "`names`: `{}` lives in no scope",
                name.key
            )));
        }
        for scope in &name.scopes {
            let Some(s) = spec.scopes.get(scope) else {
                return Err(invalid(format!(
                    "`names`: the scope `{scope}` of `{}` is not in `scopes`",
                    name.key
                )));
            };
            let fits = match s.per {
                Per::Output => true,
                Per::Owner => matches!(
                    name.item,
                    ItemKind::Property | ItemKind::Enum | ItemKind::Object
                ),
                Per::Enum => matches!(name.item, ItemKind::Value | ItemKind::CaseValue),
            };
            if !fits {
                return Err(invalid(format!(
                    "`names`: `{}` names of {:?} items cannot live in `{scope}`, a scope per {:?}",
                    name.key, name.item, s.per
                )));
            }
        }
    }
    let uses_name = |t: &str| t.contains("{name}");
    for (item, text) in [
        (ItemKind::Enum, &spec.types.string_enum),
        (ItemKind::Object, &spec.types.object),
    ] {
        if uses_name(text) && !spec.names.iter().any(|n| n.item == item && n.key == "type") {
            return Err(invalid(format!(
                "`types`: `{{name}}` needs a `type` name for {item:?} items in `names`"
            )));
        }
    }
    if spec.types.object.contains("{fields}") && spec.types.object_field.is_none() {
        return Err(invalid(
            "`types.object` uses `{fields}`: set `types.object_field`".to_owned(),
        ));
    }
    Ok(spec)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_targets_are_valid() {
        for name in builtin_names() {
            if let Err(e) = Target::check_builtin(name) {
                panic!("{name}: {e}");
            }
        }
    }
}
