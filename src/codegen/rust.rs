//! Rust filters: snake_case fields and PascalCase types guarded against
//! keywords and leading digits, string literals, doc comments that stay
//! comments, and the Rust type of a plan type.

use minijinja::Value;
use serde_json::Value as Json;

use super::names::{capitalised, to_json};

use super::names::words;

/// Rust keywords (strict, reserved and weak ones that cannot be idents).
const KEYWORDS: &[&str] = &[
    "as", "break", "const", "continue", "crate", "else", "enum", "extern", "false", "fn", "for",
    "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub", "ref", "return",
    "self", "Self", "static", "struct", "super", "trait", "true", "type", "unsafe", "use", "where",
    "while", "async", "await", "dyn", "abstract", "become", "box", "do", "final", "macro",
    "override", "priv", "typeof", "unsized", "virtual", "yield", "try", "gen", "union",
];

/// Names of the generated module's own items, which a plan type must not take.
const TAKEN_TYPES: &[&str] = &[
    "Event",
    "Tracker",
    "Client",
    "Endpoint",
    "Error",
    "ProfileUpdate",
    "GroupUpdate",
    "Value",
    "Map",
    "Option",
    "String",
    "Vec",
    "Result",
    "Some",
    "None",
    "Ok",
    "Err",
    "Box",
];

/// Registers the Rust filters on `env`.
pub fn register(env: &mut minijinja::Environment<'static>) {
    env.add_filter("rs_ident", |words: Vec<String>| ident(&words));
    env.add_filter("rs_type_name", |words: Vec<String>| type_name(&words));
    env.add_filter("rs_string", |s: String| string(&s));
    env.add_filter("rs_doc", |s: String, indent: Option<String>| {
        doc(&s, indent.as_deref().unwrap_or(""))
    });
    env.add_filter("rs_type", |ty: Value| type_of(&to_json(&ty)));
    env.add_filter("rs_variants", |values: Value| variants(&to_json(&values)));
    env.add_filter("rs_crate", |name: String| crate_name(&name));
}

/// snake_case; a keyword gets a `_` suffix, a leading digit a `_` prefix.
pub fn ident(words: &[String]) -> String {
    let mut out = words.join("_");
    if out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert(0, '_');
    }
    if KEYWORDS.contains(&out.as_str()) {
        out.push('_');
    }
    out
}

/// PascalCase; a leading digit gets a `T` prefix, a name of the module's
/// own items a `_` suffix.
pub fn type_name(words: &[String]) -> String {
    let mut out: String = words.iter().map(|w| capitalised(w)).collect();
    if out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert(0, 'T');
    }
    if TAKEN_TYPES.contains(&out.as_str()) || KEYWORDS.contains(&out.as_str()) {
        out.push('_');
    }
    out
}

/// A string literal (Rust's own escaping).
pub fn string(s: &str) -> String {
    format!("{s:?}")
}

/// Lines of a `///` doc comment; every line of the text stays inside one.
pub fn doc(s: &str, indent: &str) -> String {
    s.lines()
        .map(|line| format!("{indent}/// {line}").trim_end().to_owned())
        .collect::<Vec<_>>()
        .join("\n")
}

/// A crate name from a plan name: lowercase words joined by `-`.
pub fn crate_name(name: &str) -> String {
    words(name).join("-")
}

/// `[variant, wire value]` pairs of a string enum, variants unique.
pub fn variants(values: &Json) -> Vec<(String, String)> {
    let mut namer = super::names::Namer::default();
    values
        .as_array()
        .map(|values| {
            values
                .iter()
                .filter_map(Json::as_str)
                .map(|v| (type_name(&namer.unique(v)), v.to_owned()))
                .collect()
        })
        .unwrap_or_default()
}

fn name_of(ty: &Json) -> Vec<String> {
    ty.get("name")
        .and_then(Json::as_array)
        .map(|a| {
            a.iter()
                .filter_map(Json::as_str)
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default()
}

/// The Rust type of a [`super::view::TypeView`] (as JSON), `Option` for
/// `nullable` included.
pub fn type_of(ty: &Json) -> String {
    let kind = ty.get("kind").and_then(Json::as_str).unwrap_or_default();
    let string_enum = matches!(kind, "string" | "datetime")
        && ty
            .get("enum")
            .and_then(Json::as_array)
            .is_some_and(|v| !v.is_empty() && v.iter().all(Json::is_string));
    let has_fields = ty
        .get("fields")
        .and_then(Json::as_array)
        .is_some_and(|f| !f.is_empty());
    let base = if string_enum || (kind == "object" && has_fields) {
        type_name(&name_of(ty))
    } else {
        match kind {
            "string" | "datetime" => "::std::string::String".to_owned(),
            "integer" => "i64".to_owned(),
            "number" => "f64".to_owned(),
            "boolean" => "bool".to_owned(),
            "list" => format!(
                "::std::vec::Vec<{}>",
                ty.get("items")
                    .map_or_else(|| "::serde_json::Value".to_owned(), type_of)
            ),
            _ => "::serde_json::Map<::std::string::String, ::serde_json::Value>".to_owned(),
        }
    };
    if ty.get("nullable").and_then(Json::as_bool) == Some(true) {
        format!("::std::option::Option<{base}>")
    } else {
        base
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn w(words: &[&str]) -> Vec<String> {
        words.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn names_and_literals() {
        assert_eq!(ident(&w(&["type"])), "type_");
        assert_eq!(ident(&w(&["1st", "page"])), "_1st_page");
        assert_eq!(type_name(&w(&["1st", "visit"])), "T1stVisit");
        assert_eq!(type_name(&w(&["event"])), "Event_");
        assert_eq!(string("a\"b\\c\n"), "\"a\\\"b\\\\c\\n\"");
        assert_eq!(doc("one\n*/ two", "    "), "    /// one\n    /// */ two");
        let v = variants(&serde_json::json!(["a b", "A_B", "x"]));
        assert_eq!(
            v,
            vec![
                ("AB".to_owned(), "a b".to_owned()),
                ("AB2".to_owned(), "A_B".to_owned()),
                ("X".to_owned(), "x".to_owned())
            ]
        );
    }
}
