//! `trackplan docs`: the plan as one Markdown page or one self-contained
//! HTML page, rendered through the same view and machinery as code, with
//! the documentation filters: Markdown table cells that cannot break a
//! table, anchors, and a readable summary of a property's type and
//! constraints.

use std::path::Path;

use serde_json::Value as Json;

use super::{CodegenError, Generated, Names, view::PlanView};
use crate::plan::Plan;

/// A documentation page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Page {
    /// One Markdown page (`plan.md.jinja`).
    Markdown,
    /// One self-contained HTML page (`plan.html.jinja`).
    Html,
}

/// Renders `page` for `plan`, with badges from a coverage `matrix` when
/// given; a file of the same name in `overrides` replaces the built-in
/// template.
pub fn page(
    plan: &Plan,
    page: Page,
    overrides: Option<&Path>,
    matrix: Option<crate::coverage::Matrix>,
) -> Result<Generated, CodegenError> {
    let (name, output, source) = match page {
        Page::Markdown => (
            "plan.md.jinja",
            "plan.md",
            include_str!("../../templates/docs/plan.md.jinja"),
        ),
        Page::Html => (
            "plan.html.jinja",
            "plan.html",
            include_str!("../../templates/docs/plan.html.jinja"),
        ),
    };
    let mut env = super::environment();
    if overrides.is_some() {
        env.set_fuel(Some(super::fuel(plan)));
    }
    register(&mut env);
    let mut view = PlanView::new(plan, &Names::default());
    if let Some(matrix) = matrix {
        view = view.with_coverage(matrix);
    }
    let mut files = super::render(env, &[(name, output, source)], &view, overrides)?;
    Ok(files.remove(0))
}

/// Registers the documentation filters on `env`.
fn register(env: &mut minijinja::Environment<'static>) {
    env.add_filter("md_cell", |s: String| cell(&s));
    env.add_filter("anchor", |s: String| anchor(&s));
    env.add_filter("type_text", |ty: minijinja::Value| {
        type_text(&serde_json::to_value(&ty).unwrap_or(Json::Null))
    });
    env.add_filter("constraints", |ty: minijinja::Value| {
        constraints(&serde_json::to_value(&ty).unwrap_or(Json::Null))
    });
}

/// Text safe in one Markdown table cell: pipes escaped, lines joined.
pub fn cell(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('|', "\\|")
        .replace("\r\n", " ")
        .replace(['\n', '\r'], " ")
}

/// A heading anchor as Git forges make them: lowercase, spaces to `-`,
/// punctuation dropped.
pub fn anchor(s: &str) -> String {
    s.to_lowercase()
        .chars()
        .filter_map(|c| match c {
            ' ' => Some('-'),
            c if c.is_alphanumeric() || c == '-' || c == '_' => Some(c),
            _ => None,
        })
        .collect()
}

/// `string`, `list of integer`, `object`, `string or null`.
pub fn type_text(ty: &Json) -> String {
    let kind = ty.get("kind").and_then(Json::as_str).unwrap_or("?");
    let base = match kind {
        "list" => format!(
            "list of {}",
            ty.get("items").map_or_else(|| "?".to_owned(), type_text)
        ),
        other => other.to_owned(),
    };
    if ty.get("nullable").and_then(Json::as_bool) == Some(true) {
        format!("{base} or null")
    } else {
        base
    }
}

/// Allowed values and constraints, in words.
pub fn constraints(ty: &Json) -> String {
    let mut parts = Vec::new();
    if let Some(values) = ty.get("enum").and_then(Json::as_array) {
        let list: Vec<String> = values.iter().map(Json::to_string).collect();
        parts.push(format!("one of {}", list.join(", ")));
    }
    let get = |k: &str| ty.get(k).filter(|v| !v.is_null());
    let number = |v: &Json| match v.as_f64() {
        Some(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", f as i64),
        _ => v.to_string(),
    };
    if let Some(f) = get("format").and_then(Json::as_str) {
        parts.push(format!("format {f}"));
    }
    if let Some(p) = get("pattern").and_then(Json::as_str) {
        parts.push(format!("matches {p}"));
    }
    for (low, high, unit) in [
        ("minimum", "maximum", ""),
        ("min_length", "max_length", " characters"),
        ("min_items", "max_items", " items"),
    ] {
        match (get(low).map(number), get(high).map(number)) {
            (Some(a), Some(b)) => parts.push(format!("{a} to {b}{unit}")),
            (Some(a), None) => parts.push(format!("at least {a}{unit}")),
            (None, Some(b)) => parts.push(format!("at most {b}{unit}")),
            (None, None) => {}
        }
    }
    if let Some(items) = ty.get("items") {
        let inner = constraints(items);
        if !inner.is_empty() {
            parts.push(format!("items: {inner}"));
        }
    }
    parts.join("; ")
}
