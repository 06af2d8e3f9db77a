//! The filters every target's templates get, driven by the target's
//! description: plan text as string literals that cannot end early
//! (`string`), as comments that cannot close early (`doc`), property names
//! as keys (`key`), JSON values as literals (`literal`), and the type of a
//! plan type in the language (`type`). Identifiers are not made here:
//! they come ready from the naming authority (`item.names`).

use std::sync::Arc;

use minijinja::value::Serde;
use serde_json::Value as Json;

use super::target::{DocStyle, KeyStyle, StringStyle, TargetSpec, TypeMap};
use super::view::{MemberView, PropertyView, TypeView};
use crate::format::PropertyType;

/// Registers the filters of `spec` on `env`.
pub fn register(env: &mut minijinja::Environment<'static>, spec: &TargetSpec) {
    let syntax = spec.syntax.clone();
    let types = Arc::new(spec.types.clone());
    let (string_style, doc_style, key_style) = (syntax.string, syntax.doc, syntax.key);
    env.add_filter("string", move |s: String| string(&s, string_style));
    env.add_filter("doc", move |s: String, indent: Option<String>| {
        doc(&s, doc_style, indent.as_deref().unwrap_or(""))
    });
    env.add_filter("key", move |name: String| {
        key(&name, key_style, string_style)
    });
    env.add_filter("literal", move |v: Serde<Json>| literal(&v.0, string_style));
    let syntax = (string_style, key_style);
    let field_types = Arc::clone(&types);
    env.add_filter("type", move |ty: Serde<TypeView>| {
        type_of(&ty.0, &types, syntax)
    });
    env.add_filter(
        "field_type",
        move |p: Serde<PropertyView>, optional: Option<bool>| {
            field_type(&p.0, optional.unwrap_or(false), &field_types, syntax)
        },
    );
}

/// The type of a field of an object type, `optional` or as the property
/// says: the type made optional per `types.optional`, and per
/// `types.inherited` for keys every object has.
pub fn field_type(
    p: &PropertyView,
    optional: bool,
    types: &TypeMap,
    syntax: (StringStyle, KeyStyle),
) -> String {
    let inner = type_of(&p.ty, types, syntax);
    if p.required && !optional {
        return inner;
    }
    let made = types
        .optional
        .as_deref()
        .map_or_else(|| inner.clone(), |t| fill(t, &[("type", &inner)]));
    match &types.inherited {
        Some(t) if types.inherited_keys.contains(&p.name) => {
            fill(t, &[("type", &made), ("key", &string(&p.name, syntax.0))])
        }
        _ => made,
    }
}

/// A string literal that no text can break out of.
pub fn string(s: &str, style: StringStyle) -> String {
    match style {
        StringStyle::Rust => format!("{s:?}"),
        StringStyle::Json | StringStyle::JsonDollar => {
            let json = serde_json::to_string(s).unwrap_or_else(|_| "\"\"".to_owned());
            let safe = json_escapes(&json);
            if style == StringStyle::JsonDollar {
                safe.replace('$', "\\$")
            } else {
                safe
            }
        }
    }
}

/// JSON text with `<`, `>`, U+2028 and U+2029 escaped, so no context
/// (a script tag, an old JavaScript parser) can misread it. These
/// characters only ever appear inside strings in JSON text.
fn json_escapes(json: &str) -> String {
    json.replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('\u{2028}', "\\u2028")
        .replace('\u{2029}', "\\u2029")
}

/// Text for a doc comment that stays a comment, each line continued with
/// `indent`.
pub fn doc(s: &str, style: DocStyle, indent: &str) -> String {
    let text = s.replace("\r\n", "\n").replace('\r', "\n");
    match style {
        DocStyle::Block => text
            .replace("*/", "*\\/")
            .replace('\n', &format!("\n{indent} * ")),
        DocStyle::Rustdoc => text
            .lines()
            .map(|line| {
                format!("{indent}/// {}", markdown_text(line))
                    .trim_end()
                    .to_owned()
            })
            .collect::<Vec<_>>()
            .join("\n"),
        DocStyle::Hash => text
            .lines()
            .map(|line| format!("{indent}# {line}").trim_end().to_owned())
            .collect::<Vec<_>>()
            .join("\n"),
    }
}

/// One line of plan text as Markdown that shows it as written: no code
/// blocks, links, HTML, emphasis or lists made by accident.
fn markdown_text(line: &str) -> String {
    let line = line.trim_start().replace('\t', " ");
    let mut out = String::with_capacity(line.len() + 8);
    for (i, c) in line.chars().enumerate() {
        let at_start = i == 0;
        let special = matches!(
            c,
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '|' | '~' | '&' | '!'
        ) || (at_start && matches!(c, '-' | '+' | '='));
        if special {
            out.push('\\');
        }
        out.push(c);
    }
    // `1. ` or `1) ` at the start would make an ordered list.
    let digits = out.chars().take_while(char::is_ascii_digit).count();
    if digits > 0 && matches!(out[digits..].chars().next(), Some('.' | ')')) {
        out.insert(digits, '\\');
    }
    // A URL would be a bare link, which rustdoc warns about: `<`/`>` are
    // escaped above, so wrapping is not possible; the scheme's colon is
    // escaped instead, which Markdown shows unchanged.
    out.replace("://", "\\://")
}

/// A property name as a key of an object type or literal.
pub fn key(name: &str, style: KeyStyle, strings: StringStyle) -> String {
    match style {
        KeyStyle::String => string(name, strings),
        KeyStyle::Js if name == "__proto__" => format!("[{}]", string(name, strings)),
        KeyStyle::Js => {
            let plain = name.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_' || c == '$')
                && name
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '$');
            if plain {
                name.to_owned()
            } else {
                string(name, strings)
            }
        }
    }
}

/// A JSON value as a literal: strings escaped as string literals.
pub fn literal(value: &Json, style: StringStyle) -> String {
    match (value, style) {
        (Json::String(s), _) => string(s, style),
        (Json::Array(items), StringStyle::Rust) => format!(
            "[{}]",
            items
                .iter()
                .map(|v| literal(v, style))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        (_, StringStyle::Rust) => value.to_string(),
        (_, StringStyle::Json | StringStyle::JsonDollar) => {
            let json = json_escapes(&value.to_string());
            if style == StringStyle::JsonDollar {
                json.replace('$', "\\$")
            } else {
                json
            }
        }
    }
}

/// `template` with each `{name}` of `pairs` replaced by its value.
fn fill(template: &str, pairs: &[(&str, &str)]) -> String {
    pairs
        .iter()
        .fold(template.to_owned(), |text, (name, value)| {
            text.replace(&format!("{{{name}}}"), value)
        })
}

/// Each of `fields` written with `object_field`.
fn object_fields(
    fields: &[PropertyView],
    types: &TypeMap,
    syntax: (StringStyle, KeyStyle),
) -> Vec<String> {
    fields
        .iter()
        .map(|f| {
            let optional = if f.required {
                String::new()
            } else {
                types.object_field_optional.clone()
            };
            object_field(
                &f.name,
                &optional,
                &field_type(f, false, types, syntax),
                types,
                syntax,
            )
        })
        .collect()
}

fn object_field(
    name: &str,
    optional: &str,
    ty: &str,
    types: &TypeMap,
    syntax: (StringStyle, KeyStyle),
) -> String {
    fill(
        types.object_field.as_deref().unwrap_or("{key}: {type}"),
        &[
            ("key", &key(name, syntax.1, syntax.0)),
            ("optional", optional),
            ("type", ty),
        ],
    )
}

/// One member of an object's union, written with `object`: the
/// discriminator as the values it covers (its type where the language has
/// no literal types), the member's fields, the fields it must not carry.
fn object_member(
    by: &str,
    base: &[PropertyView],
    member: &MemberView,
    types: &TypeMap,
    syntax: (StringStyle, KeyStyle),
) -> String {
    let discriminator = match (&types.literal_enum, base.iter().find(|f| f.name == by)) {
        (None, Some(field)) => type_of(&field.ty, types, syntax),
        _ => member
            .values
            .iter()
            .map(|v| literal(v, syntax.0))
            .collect::<Vec<_>>()
            .join(&types.enum_separator),
    };
    let absent = member.absent.iter().filter_map(|name| {
        types
            .object_absent_field
            .as_ref()
            .map(|t| fill(t, &[("key", &key(name, syntax.1, syntax.0))]))
    });
    let fields: Vec<String> = std::iter::once(object_field(by, "", &discriminator, types, syntax))
        .chain(object_fields(&member.properties, types, syntax))
        .chain(absent)
        .collect();
    let name = member.names.get("type").map_or("", String::as_str);
    fill(
        &types.object,
        &[
            ("name", name),
            ("fields", &fields.join(&types.object_field_separator)),
        ],
    )
}

/// The language's type for `ty`, per the target's type mapping.
pub fn type_of(ty: &TypeView, types: &TypeMap, syntax: (StringStyle, KeyStyle)) -> String {
    let name = ty.names.get("type").map_or("", String::as_str);
    let values = || {
        ty.allowed
            .iter()
            .flatten()
            .filter(|v| !v.is_null())
            .map(|v| literal(v, syntax.0))
            .collect::<Vec<_>>()
            .join(&types.enum_separator)
    };
    let plain = |kind: PropertyType| -> String {
        match kind {
            PropertyType::String => types.string.clone(),
            PropertyType::Datetime => types.datetime.clone(),
            PropertyType::Integer => types.integer.clone(),
            PropertyType::Number => types.number.clone(),
            PropertyType::Boolean => types.boolean.clone(),
            PropertyType::List => {
                let item = ty
                    .items
                    .as_deref()
                    .map_or_else(|| types.map.clone(), |i| type_of(i, types, syntax));
                fill(&types.list, &[("item", &item)])
            }
            PropertyType::Object if ty.fields.is_empty() => types.map.clone(),
            PropertyType::Object => match (&ty.variants, &types.object_union) {
                (Some(variants), Some(union)) => {
                    let members: Vec<String> = variants
                        .members
                        .iter()
                        .map(|m| object_member(&variants.by, &ty.fields, m, types, syntax))
                        .collect();
                    fill(union, &[("members", &members.join(&types.enum_separator))])
                }
                _ => fill(
                    &types.object,
                    &[
                        ("name", name),
                        (
                            "fields",
                            &object_fields(&ty.fields, types, syntax)
                                .join(&types.object_field_separator),
                        ),
                    ],
                ),
            },
        }
    };
    let has_values = ty
        .allowed
        .as_ref()
        .is_some_and(|v| v.iter().any(|x| !x.is_null()));
    let base = if !ty.values.is_empty() {
        fill(&types.string_enum, &[("name", name), ("values", &values())])
    } else if has_values && !matches!(ty.kind, PropertyType::List | PropertyType::Object) {
        match &types.literal_enum {
            Some(template) => fill(template, &[("values", &values())]),
            None => plain(ty.kind),
        }
    } else {
        plain(ty.kind)
    };
    if ty.nullable {
        fill(&types.nullable, &[("type", &base)])
    } else {
        base
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_and_comments_cannot_end_early() {
        assert_eq!(
            string("a\"b${x}</script>", StringStyle::Json),
            "\"a\\\"b${x}\\u003c/script\\u003e\""
        );
        assert_eq!(string("${x}", StringStyle::JsonDollar), "\"\\${x}\"");
        assert_eq!(string("a\"b\\c\n", StringStyle::Rust), "\"a\\\"b\\\\c\\n\"");
        assert_eq!(
            doc("ends */ here\nnext", DocStyle::Block, "  "),
            "ends *\\/ here\n   * next"
        );
        assert_eq!(
            doc("one\n*/ two", DocStyle::Rustdoc, "    "),
            "    /// one\n    /// \\*/ two"
        );
        assert_eq!(doc("a\nb", DocStyle::Hash, ""), "# a\n# b");
    }

    #[test]
    fn rustdoc_shows_plan_text_as_written() {
        let md = |s: &str| doc(s, DocStyle::Rustdoc, "");
        assert_eq!(md("    indented code"), "/// indented code");
        assert_eq!(md("[link] <b>"), "/// \\[link\\] \\<b\\>");
        assert_eq!(md("- item"), "/// \\- item");
        assert_eq!(md("1. first"), "/// 1\\. first");
        assert_eq!(md("see https://x.example"), "/// see https\\://x.example");
        assert_eq!(md("`code` *em*"), "/// \\`code\\` \\*em\\*");
    }

    #[test]
    fn keys() {
        let js = |n: &str| key(n, KeyStyle::Js, StringStyle::Json);
        assert_eq!(js("page_url"), "page_url");
        assert_eq!(js("$email"), "$email");
        assert_eq!(js("1st visit"), "\"1st visit\"");
        assert_eq!(js("__proto__"), "[\"__proto__\"]");
        assert_eq!(key("a", KeyStyle::String, StringStyle::Json), "\"a\"");
    }
}
