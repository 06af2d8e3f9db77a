//! Code generation: the plan, prepared as a target-neutral [`view`], run
//! through minijinja templates. Built-in templates are embedded in the
//! binary; `--templates DIR` replaces any of them by a file of the same
//! name. Each language adds its filters (identifiers, strings, comments,
//! types); templates only loop and print.

pub mod docs;
pub mod names;
pub mod rust;
pub mod typescript;
pub mod view;

use std::path::{Path, PathBuf};

use minijinja::Environment;
use minijinja::syntax::SyntaxConfig;

use crate::plan::Plan;

/// A language trackplan generates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Target {
    /// TypeScript for mixpanel-browser and the Node `mixpanel` package.
    Typescript,
    /// A Rust crate for services.
    Rust,
}

/// What can be rendered: the code targets and the documentation formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TemplateSet {
    /// Code for a target.
    Code(Target),
    /// One Markdown page.
    Markdown,
    /// One self-contained HTML page.
    Html,
}

/// A template: the file it renders to and its built-in text.
struct Template {
    output: &'static str,
    source: &'static str,
}

impl Target {
    /// The directory name of its templates.
    pub fn name(self) -> &'static str {
        match self {
            Target::Typescript => "typescript",
            Target::Rust => "rust",
        }
    }
}

impl TemplateSet {
    fn templates(self) -> &'static [Template] {
        match self {
            TemplateSet::Markdown => &[Template {
                output: "plan.md",
                source: include_str!("../../templates/docs/plan.md.jinja"),
            }],
            TemplateSet::Html => &[Template {
                output: "plan.html",
                source: include_str!("../../templates/docs/plan.html.jinja"),
            }],
            TemplateSet::Code(Target::Typescript) => &[
                Template {
                    output: "tracking.ts",
                    source: include_str!("../../templates/typescript/tracking.ts.jinja"),
                },
                Template {
                    output: "validation.ts",
                    source: include_str!("../../templates/typescript/validation.ts.jinja"),
                },
            ],
            TemplateSet::Code(Target::Rust) => &[
                Template {
                    output: "Cargo.toml",
                    source: include_str!("../../templates/rust/Cargo.toml.jinja"),
                },
                Template {
                    output: "src/lib.rs",
                    source: include_str!("../../templates/rust/lib.rs.jinja"),
                },
            ],
        }
    }
}

/// A generated file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Generated {
    /// Its path relative to the output directory.
    pub path: PathBuf,
    /// Its contents.
    pub contents: String,
}

/// Why code could not be generated.
#[derive(Debug, thiserror::Error)]
pub enum CodegenError {
    /// A template in `--templates` could not be read.
    #[error("cannot read template `{path}`: {source}")]
    Read {
        /// The template file.
        path: String,
        /// The cause.
        source: std::io::Error,
    },
    /// A template has a syntax or rendering error.
    #[error("template `{name}`: {source:#}")]
    Template {
        /// The template name.
        name: String,
        /// minijinja's error, with its line.
        source: minijinja::Error,
    },
}

/// Renders every file of `target` for `plan`, with templates from
/// `overrides` replacing the built-in ones of the same name.
pub fn generate(
    plan: &Plan,
    target: Target,
    overrides: Option<&Path>,
) -> Result<Vec<Generated>, CodegenError> {
    render(plan, TemplateSet::Code(target), overrides)
}

/// Renders every file of a template set (code or documentation).
pub fn render(
    plan: &Plan,
    set: TemplateSet,
    overrides: Option<&Path>,
) -> Result<Vec<Generated>, CodegenError> {
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
    match set {
        TemplateSet::Code(Target::Typescript) => typescript::register(&mut env),
        TemplateSet::Code(Target::Rust) => rust::register(&mut env),
        TemplateSet::Markdown | TemplateSet::Html => docs::register(&mut env),
    }
    env.set_auto_escape_callback(|name| {
        if name.ends_with(".html.jinja") {
            minijinja::AutoEscape::Html
        } else {
            minijinja::AutoEscape::None
        }
    });
    for template in set.templates() {
        let name = format!("{}.jinja", template.output);
        let source = match overrides.map(|dir| dir.join(&name)).filter(|p| p.exists()) {
            Some(path) => std::fs::read_to_string(&path).map_err(|source| CodegenError::Read {
                path: path.display().to_string(),
                source,
            })?,
            None => template.source.to_owned(),
        };
        env.add_template_owned(name.clone(), source)
            .map_err(|source| CodegenError::Template { name, source })?;
    }
    let view = view::PlanView::new(plan);
    set.templates()
        .iter()
        .map(|template| {
            let name = format!("{}.jinja", template.output);
            let rendered = env
                .get_template(&name)
                .and_then(|t| t.render(minijinja::context! { plan => minijinja::value::Value::from(minijinja::value::Serde(&view)) }))
                .map_err(|source| CodegenError::Template { name, source })?;
            Ok(Generated {
                path: PathBuf::from(template.output),
                contents: rendered,
            })
        })
        .collect()
}
