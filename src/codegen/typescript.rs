//! TypeScript filters: identifiers that cannot clash with keywords, keys
//! and strings that cannot break out of their quotes, comments that cannot
//! close early, and the TypeScript type of a plan type.

use minijinja::Value;
use serde_json::Value as Json;

use super::names::{capitalised, to_json};

/// Words that cannot be a TypeScript binding name.
const RESERVED: &[&str] = &[
    "break",
    "case",
    "catch",
    "class",
    "const",
    "continue",
    "debugger",
    "default",
    "delete",
    "do",
    "else",
    "enum",
    "export",
    "extends",
    "false",
    "finally",
    "for",
    "function",
    "if",
    "import",
    "in",
    "instanceof",
    "new",
    "null",
    "return",
    "super",
    "switch",
    "this",
    "throw",
    "true",
    "try",
    "typeof",
    "var",
    "void",
    "while",
    "with",
    "as",
    "implements",
    "interface",
    "let",
    "package",
    "private",
    "protected",
    "public",
    "static",
    "yield",
    "await",
    "any",
    "boolean",
    "constructor",
    "declare",
    "get",
    "module",
    "require",
    "number",
    "set",
    "string",
    "symbol",
    "type",
    "from",
    "of",
    "undefined",
    "unknown",
    "never",
    "object",
    "arguments",
    "eval",
];

/// Registers the TypeScript filters on `env`.
pub fn register(env: &mut minijinja::Environment<'static>) {
    env.add_filter("ts_ident", |words: Vec<String>| ident(&words));
    env.add_filter("ts_type_name", |words: Vec<String>| type_name(&words));
    env.add_filter("ts_key", |name: String| key(&name));
    env.add_filter("ts_prop", |name: String| prop(&name));
    env.add_filter("ts_string", |s: String| string(&s));
    env.add_filter("ts_type", |ty: Value| type_of(&to_json(&ty)));
    env.add_filter("ts_literal", |v: Value| to_json(&v).to_string());
    env.add_filter("doc", |s: String| doc(&s));
}

/// camelCase, never a keyword nor starting with a digit.
pub fn ident(words: &[String]) -> String {
    let mut out = String::new();
    for (i, w) in words.iter().enumerate() {
        out.push_str(&if i == 0 { w.clone() } else { capitalised(w) });
    }
    if out.starts_with(|c: char| c.is_ascii_digit()) || RESERVED.contains(&out.as_str()) {
        out.insert(0, '_');
    }
    out
}

/// PascalCase, never starting with a digit.
pub fn type_name(words: &[String]) -> String {
    let out: String = words.iter().map(|w| capitalised(w)).collect();
    if out.starts_with(|c: char| c.is_ascii_digit()) {
        format!("T{out}")
    } else {
        out
    }
}

/// A property key: bare when it is a plain identifier, else a string.
pub fn key(name: &str) -> String {
    let plain = name.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_' || c == '$')
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '$');
    if plain { name.to_owned() } else { string(name) }
}

/// A key in an object literal: like [`key`], but `__proto__` is computed
/// (`["__proto__"]`), since a plain or quoted `__proto__:` sets the
/// prototype instead of a property.
pub fn prop(name: &str) -> String {
    if name == "__proto__" {
        format!("[{}]", string(name))
    } else {
        key(name)
    }
}

/// A string literal: JSON's escaping is valid TypeScript, and `<`, `>`,
/// U+2028 and U+2029 are escaped too so no context can misread it.
pub fn string(s: &str) -> String {
    let json = serde_json::to_string(s).unwrap_or_else(|_| "\"\"".to_owned());
    json.replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('\u{2028}', "\\u2028")
        .replace('\u{2029}', "\\u2029")
}

/// Text safe inside `/** ... */`, one ` * ` per line.
pub fn doc(s: &str) -> String {
    s.replace("*/", "*\\/")
        .replace('\r', "")
        .replace('\n', "\n * ")
}

/// The TypeScript type of a [`super::view::TypeView`] (as JSON).
pub fn type_of(ty: &Json) -> String {
    let base = match ty.get("enum").and_then(Json::as_array) {
        Some(values) if !values.is_empty() => values
            .iter()
            .filter(|v| !v.is_null())
            .map(|v| match v {
                Json::String(s) => string(s),
                other => other.to_string(),
            })
            .collect::<Vec<_>>()
            .join(" | "),
        _ => match ty.get("kind").and_then(Json::as_str).unwrap_or("unknown") {
            "string" | "datetime" => "string".to_owned(),
            "integer" | "number" => "number".to_owned(),
            "boolean" => "boolean".to_owned(),
            "list" => {
                let item = ty
                    .get("items")
                    .map_or_else(|| "unknown".to_owned(), type_of);
                format!("ReadonlyArray<{item}>")
            }
            "object" => object(ty.get("fields").and_then(Json::as_array)),
            _ => "unknown".to_owned(),
        },
    };
    if ty.get("nullable").and_then(Json::as_bool) == Some(true) {
        format!("{base} | null")
    } else {
        base
    }
}

fn object(fields: Option<&Vec<Json>>) -> String {
    let Some(fields) = fields.filter(|f| !f.is_empty()) else {
        return "{ readonly [key: string]: unknown }".to_owned();
    };
    let members: Vec<String> = fields
        .iter()
        .map(|f| {
            let name = f.get("name").and_then(Json::as_str).unwrap_or_default();
            let optional = if f.get("required").and_then(Json::as_bool) == Some(true) {
                ""
            } else {
                "?"
            };
            let ty = f.get("type").map_or_else(|| "unknown".to_owned(), type_of);
            format!("{}{optional}: {ty}", key(name))
        })
        .collect();
    format!("{{ {} }}", members.join("; "))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn w(words: &[&str]) -> Vec<String> {
        words.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn hostile_names_stay_inert() {
        assert_eq!(ident(&w(&["class"])), "_class");
        assert_eq!(ident(&w(&["1st", "visit"])), "_1stVisit");
        assert_eq!(type_name(&w(&["1st", "visit"])), "T1stVisit");
        assert_eq!(key("page_url"), "page_url");
        assert_eq!(key("$email"), "$email");
        assert_eq!(key("1st visit"), "\"1st visit\"");
        assert_eq!(
            string("a\"b${x}</script>"),
            "\"a\\\"b${x}\\u003c/script\\u003e\""
        );
        assert_eq!(doc("ends */ here\nnext"), "ends *\\/ here\n * next");
    }

    #[test]
    fn types() {
        let t = serde_json::json!({"kind": "list", "nullable": true, "items": {"kind": "string", "enum": ["a", "b"]}});
        assert_eq!(type_of(&t), "ReadonlyArray<\"a\" | \"b\"> | null");
        let o = serde_json::json!({"kind": "object", "fields": [{"name": "x", "required": true, "type": {"kind": "integer"}}, {"name": "a b", "required": false, "type": {"kind": "boolean"}}]});
        assert_eq!(type_of(&o), "{ x: number; \"a b\"?: boolean }");
    }
}
