//! Code generation: a target described as data ([`target`]), the plan's
//! identifiers given out by the naming authority ([`names`]), the plan
//! prepared as a [`view`] holding them, run through the target's minijinja
//! templates with the target-neutral [`filters`]. Templates only loop and
//! print. `--templates DIR` replaces any built-in template by a file of the
//! same name; `--target-dir DIR` renders a team's own target.

pub mod docs;
pub mod filters;
pub mod names;
pub mod target;
pub mod view;

use std::path::{Path, PathBuf};

use minijinja::Environment;
use minijinja::syntax::SyntaxConfig;

pub use names::{ItemId, Names, Rename};
pub use target::{Target, TargetError};

use crate::plan::Plan;
use crate::source::MAX_PLAN_BYTES;

/// A generated file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Generated {
    /// Its path relative to the output directory.
    pub path: PathBuf,
    /// Its contents.
    pub contents: String,
}

/// Why code could not be generated.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum CodegenError {
    /// A template in `--templates` could not be read.
    #[error("template: {0}")]
    #[diagnostic(transparent)]
    Read(#[from] crate::source::ReadError),
    /// A template has a syntax or rendering error.
    #[error("template `{name}`: {source:#}")]
    #[diagnostic(help("docs/targets.md says what a template is given"))]
    Template {
        /// The template name.
        name: String,
        /// minijinja's error, with its line.
        source: minijinja::Error,
    },
    /// The plan has variants and the target does not say how it writes
    /// them (no `case` name in its `target.toml`).
    #[error("the {target} target does not write variants, and the plan has them ({})", events.join(", "))]
    #[diagnostic(help(
        "the TypeScript and Rust targets write them; a target of your own names its cases with `item = \"case\"` in `target.toml` (docs/targets.md)"
    ))]
    NoVariants {
        /// The target.
        target: String,
        /// Where the plan has variants: events, `user properties`, groups.
        events: Vec<String>,
    },
    /// A template of the user's did more work than any plan needs (a loop
    /// over a huge range, say), and was stopped.
    #[error(
        "template `{name}` was stopped after {fuel} steps of work, far more than this plan needs"
    )]
    #[diagnostic(help("look for a loop over a large range"))]
    TooMuchWork {
        /// The template name.
        name: String,
        /// The steps it was allowed.
        fuel: u64,
    },
}

/// The work a template of the user's may do: a base, and a share per item
/// of the plan, far above what any real template takes.
fn fuel(plan: &Plan) -> u64 {
    let items: usize = plan
        .events
        .iter()
        .map(|e| 1 + e.properties.len())
        .sum::<usize>()
        + plan.super_properties.len()
        + plan.user_properties.len()
        + plan
            .groups
            .iter()
            .map(|g| 1 + g.properties.len())
            .sum::<usize>();
    5_000_000 + 20_000 * items as u64
}

/// The environment every template set renders in: blocks trimmed, strict
/// about undefined values, HTML escaping for `.html.jinja` templates only.
fn environment() -> Environment<'static> {
    let mut env = Environment::new();
    let mut syntax = SyntaxConfig::builder();
    syntax
        .trim_blocks(true)
        .lstrip_blocks(true)
        .keep_trailing_newline(true);
    if let Ok(config) = syntax.build() {
        env.set_syntax(config);
    }
    env.set_undefined_behavior(minijinja::UndefinedBehavior::Strict);
    env.set_auto_escape_callback(|name| {
        if name.ends_with(".html.jinja") {
            minijinja::AutoEscape::Html
        } else {
            minijinja::AutoEscape::None
        }
    });
    env
}

/// Renders every file of `target` for `plan`, with templates from
/// `overrides` replacing the target's own of the same name.
pub fn generate(
    plan: &Plan,
    target: &Target,
    overrides: Option<&Path>,
) -> Result<Vec<Generated>, CodegenError> {
    // The events with variants, of their own or of an object they carry,
    // and the profiles whose objects have them.
    let mut with_variants: Vec<String> = plan
        .events
        .iter()
        .filter(|e| {
            e.variants.is_some()
                || plan
                    .super_properties
                    .iter()
                    .chain(&e.properties)
                    .chain(
                        e.variants
                            .iter()
                            .flat_map(|v| v.all().flat_map(|c| &c.properties)),
                    )
                    .any(|p| object_variants(&p.schema))
        })
        .map(|e| e.name.clone())
        .collect();
    if plan
        .user_properties
        .iter()
        .any(|p| object_variants(&p.schema))
    {
        with_variants.push("user properties".to_owned());
    }
    for group in &plan.groups {
        if group.properties.iter().any(|p| object_variants(&p.schema)) {
            with_variants.push(format!("group {}", group.name));
        }
    }
    let writes_cases = target
        .spec
        .names
        .iter()
        .any(|n| n.item == target::ItemKind::Case);
    if !with_variants.is_empty() && !writes_cases {
        return Err(CodegenError::NoVariants {
            target: target.spec.name.clone(),
            events: with_variants,
        });
    }
    let names = Names::allocate(plan, target);
    let view = view::PlanView::new(plan, &names);
    let mut env = environment();
    if !target.builtin || overrides.is_some() {
        env.set_fuel(Some(fuel(plan)));
    }
    filters::register(&mut env, &target.spec);
    let files: Vec<(&str, &str, &str)> = target
        .spec
        .files
        .iter()
        .zip(&target.templates)
        .map(|(f, source)| (f.template.as_str(), f.output.as_str(), source.as_str()))
        .collect();
    render(env, &files, &view, overrides)
}

/// Whether a schema, or one inside it, has variants.
fn object_variants(schema: &crate::plan::Schema) -> bool {
    schema.variants.is_some()
        || schema.items.as_deref().is_some_and(object_variants)
        || schema.properties.iter().any(|p| object_variants(&p.schema))
}

/// Renders `files` (template name, output path, built-in source) with
/// `view` as `plan`.
fn render(
    mut env: Environment<'static>,
    files: &[(&str, &str, &str)],
    view: &view::PlanView,
    overrides: Option<&Path>,
) -> Result<Vec<Generated>, CodegenError> {
    for (name, _, builtin) in files {
        let source = match overrides.map(|dir| dir.join(name)).filter(|p| p.exists()) {
            Some(path) => crate::source::SourceFile::read_text(&path, MAX_PLAN_BYTES)?,
            None => (*builtin).to_owned(),
        };
        env.add_template_owned((*name).to_owned(), source)
            .map_err(|source| CodegenError::Template {
                name: (*name).to_owned(),
                source,
            })?;
    }
    let context =
        minijinja::context! { plan => minijinja::Value::from(minijinja::value::Serde(view)) };
    let fuel = env.fuel();
    files
        .iter()
        .map(|(name, output, _)| {
            let contents = env
                .get_template(name)
                .and_then(|t| t.render(&context))
                .map_err(|source| match (source.kind(), fuel) {
                    (minijinja::ErrorKind::OutOfFuel, Some(fuel)) => CodegenError::TooMuchWork {
                        name: (*name).to_owned(),
                        fuel,
                    },
                    _ => CodegenError::Template {
                        name: (*name).to_owned(),
                        source,
                    },
                })?;
            Ok(Generated {
                path: PathBuf::from(output),
                contents,
            })
        })
        .collect()
}
