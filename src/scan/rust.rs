//! Rust, parsed with syn. The generated crate's events are typed values:
//! a call is the construction of an event (`PageViewed { .. }`,
//! `Login::Sso(LoginSso { .. })`, usually handed to `Tracker::track`),
//! recognised through the generated crate's (or module's) path, written
//! out or imported with `use` (renamed or by a glob). A construction
//! inside another of the same event (a case struct inside its enum
//! variant) is one call.

use std::collections::HashMap;
use std::sync::Arc;

use syn::spanned::Spanned;
use syn::visit::{self, Visit};

use super::generated::Generated;
use super::{Action, Call, EventName, Via};
use crate::source::SourceFile;

/// The calls in `file`, or the syntax error's span and message.
pub fn calls(
    file: &Arc<SourceFile>,
    generated: &Generated,
) -> Result<Vec<Call>, (std::ops::Range<usize>, String)> {
    let syntax =
        syn::parse_file(file.text()).map_err(|e| (e.span().byte_range(), e.to_string()))?;
    let mut scope = Scope {
        file,
        generated,
        imported: HashMap::new(),
        glob: false,
        aliases: Vec::new(),
        inside: Vec::new(),
        calls: Vec::new(),
    };
    scope.visit_file(&syntax);
    Ok(scope.calls)
}

struct Scope<'s> {
    file: &'s Arc<SourceFile>,
    generated: &'s Generated,
    /// Local names of the generated crate's types, with their own names.
    imported: HashMap<String, String>,
    /// Whether `use generated::*` brought every type in.
    glob: bool,
    /// Local names of the generated crate (`use accounts_tracking as
    /// tracking`).
    aliases: Vec<String>,
    /// The events whose constructions are being visited.
    inside: Vec<String>,
    calls: Vec<Call>,
}

impl Scope<'_> {
    /// Whether `ident` names the generated crate or module.
    fn is_generated(&self, ident: &str) -> bool {
        self.generated.rust_paths.iter().any(|p| p == ident)
            || self.aliases.iter().any(|a| a == ident)
    }

    /// The event a path constructs: `accounts_tracking::Login`,
    /// `crate::tracking::PageViewed`, an imported `Login`, `Login::Sso`.
    fn event_of(&self, path: &syn::Path) -> Option<String> {
        let segments: Vec<String> = path.segments.iter().map(|s| s.ident.to_string()).collect();
        let ty = match segments.iter().position(|s| self.is_generated(s)) {
            Some(at) => segments.get(at + 1)?.clone(),
            None => {
                let first = segments.first()?;
                match self.imported.get(first) {
                    Some(own) => own.clone(),
                    None if self.glob => first.clone(),
                    None => return None,
                }
            }
        };
        self.generated.rust_types.get(&ty).cloned()
    }

    /// Visits a construction of `event` (if any) at `span`, then `walk`s
    /// its parts.
    fn construction(
        &mut self,
        event: Option<String>,
        span: proc_macro2::Span,
        walk: impl FnOnce(&mut Self),
    ) {
        let Some(event) = event else {
            walk(self);
            return;
        };
        if self.inside.last() != Some(&event) {
            self.calls.push(Call {
                file: Arc::clone(self.file),
                span: span.byte_range(),
                via: Via::Helper,
                action: Action::Track(EventName::Literal(event.clone())),
                keys: Vec::new(),
            });
        }
        self.inside.push(event);
        walk(self);
        self.inside.pop();
    }

    /// Records what a `use` tree imports from the generated crate.
    fn use_tree(&mut self, tree: &syn::UseTree, generated: bool) {
        match tree {
            syn::UseTree::Path(p) => {
                let here = generated || self.is_generated(&p.ident.to_string());
                self.use_tree(&p.tree, here);
            }
            syn::UseTree::Name(n) if generated => {
                let name = n.ident.to_string();
                self.imported.insert(name.clone(), name);
            }
            syn::UseTree::Rename(r) if generated => {
                self.imported
                    .insert(r.rename.to_string(), r.ident.to_string());
            }
            syn::UseTree::Rename(r) if self.is_generated(&r.ident.to_string()) => {
                self.aliases.push(r.rename.to_string());
            }
            syn::UseTree::Glob(_) if generated => self.glob = true,
            syn::UseTree::Group(g) => {
                for tree in &g.items {
                    self.use_tree(tree, generated);
                }
            }
            _ => {}
        }
    }
}

impl<'ast> Visit<'ast> for Scope<'_> {
    fn visit_item_use(&mut self, it: &'ast syn::ItemUse) {
        self.use_tree(&it.tree, false);
    }

    fn visit_expr_struct(&mut self, it: &'ast syn::ExprStruct) {
        let event = self.event_of(&it.path);
        self.construction(event, it.path.span(), |s| visit::visit_expr_struct(s, it));
    }

    fn visit_expr_call(&mut self, it: &'ast syn::ExprCall) {
        let event = match &*it.func {
            syn::Expr::Path(p) if p.path.segments.len() >= 2 => self.event_of(&p.path),
            _ => None,
        };
        self.construction(event, it.func.span(), |s| visit::visit_expr_call(s, it));
    }
}
