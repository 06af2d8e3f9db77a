//! TypeScript, JavaScript, TSX and JSX, parsed with oxc. One pass over the
//! syntax tree, in source order, keeps what each local name is bound to:
//!
//! - imports of the generated module: a helper (`import { login as
//!   logIn }`), the module itself (`import * as tracking`), its
//!   `createTracker`/`createServerTracker`, whose results (`const tracker
//!   = createTracker(mixpanel)`, `this.tracker = …`, also inside
//!   `useMemo(() => createTracker(…))`) have the helpers as methods;
//! - the SDKs: `mixpanel-browser` and `mixpanel` imported or required
//!   under any name, the clients their `init(…)` returns, and the global
//!   `mixpanel` (`window.mixpanel`) of the snippet.
//!
//! A call is read through parentheses, `!`, `as` and optional chaining
//! (`tracking?.login?.(…)`), so all of those are recognised.

use std::collections::HashSet;
use std::path::Path;
use std::sync::Arc;

use oxc_allocator::Allocator;
use oxc_ast::ast::{
    Argument, AssignmentTarget, BindingPattern, CallExpression, ChainElement, Expression,
    ImportDeclaration, ImportDeclarationSpecifier, ModuleExportName, ObjectExpression,
    ObjectPropertyKind, VariableDeclarator,
};
use oxc_ast_visit::{Visit, walk};
use oxc_parser::Parser;
use oxc_span::{GetSpan, SourceType, Span};

use super::generated::{Export, Generated};
use super::{Action, Call, EventName, Via};
use crate::source::SourceFile;

/// The packages of Mixpanel's JavaScript SDKs.
const SDK_PACKAGES: &[&str] = &["mixpanel-browser", "mixpanel"];

/// Profile operations of `people`, as both SDKs name them.
const PEOPLE_OPERATIONS: &[&str] = &[
    "set",
    "set_once",
    "increment",
    "append",
    "union",
    "remove",
    "unset",
];

/// The calls in `file` (at `path`), or the first syntax error's span and
/// message.
pub fn calls(
    file: &Arc<SourceFile>,
    path: &Path,
    generated: &Generated,
) -> Result<Vec<Call>, (std::ops::Range<usize>, String)> {
    // JSX is common in `.js` files of React projects (Create React App,
    // Next.js allow it); JavaScript with JSX is a superset, so it is
    // always on for JavaScript. TypeScript has it in `.tsx` only, where
    // `<T>value` is not a cast.
    let source_type = SourceType::from_path(path).unwrap_or_else(|_| SourceType::tsx());
    let source_type = if source_type.is_javascript() {
        source_type.with_jsx(true)
    } else {
        source_type
    };
    let allocator = Allocator::default();
    let parsed = Parser::new(&allocator, file.text(), source_type).parse();
    if parsed.panicked || parsed.diagnostics.has_errors() {
        let error = parsed.diagnostics.errors().next();
        let span = error.and_then(|e| e.labels.first()).map_or(0..0, |l| {
            l.offset() as usize..(l.offset() + l.len()) as usize
        });
        let message = error.map_or_else(|| "syntax error".to_owned(), |e| e.message.to_string());
        return Err((span, message));
    }
    let mut scope = Scope {
        file,
        path,
        generated,
        helpers: Default::default(),
        namespaces: HashSet::new(),
        trackers: HashSet::new(),
        sdks: ["mixpanel", "window.mixpanel", "globalThis.mixpanel"]
            .into_iter()
            .map(str::to_owned)
            .collect(),
        binding: None,
        calls: Vec::new(),
    };
    scope.visit_program(&parsed.program);
    Ok(scope.calls)
}

/// What the names of one file are bound to, and the calls found so far.
struct Scope<'s> {
    file: &'s Arc<SourceFile>,
    path: &'s Path,
    generated: &'s Generated,
    /// Local names of the generated module's exports.
    helpers: std::collections::HashMap<String, Export>,
    /// Local names of the generated module as a whole.
    namespaces: HashSet<String>,
    /// Dotted paths of tracker objects (`tracker`, `this.tracker`).
    trackers: HashSet<String>,
    /// Dotted paths of SDK objects and clients.
    sdks: HashSet<String>,
    /// The name a declaration or assignment being visited binds.
    binding: Option<String>,
    calls: Vec<Call>,
}

impl<'a> Visit<'a> for Scope<'_> {
    fn visit_import_declaration(&mut self, it: &ImportDeclaration<'a>) {
        let source = it.source.value.as_str();
        let generated = self.generated.is_ts_module(source, self.path);
        let sdk = SDK_PACKAGES.contains(&source);
        for specifier in it.specifiers.iter().flatten() {
            match specifier {
                ImportDeclarationSpecifier::ImportSpecifier(s) if generated => {
                    let imported = match &s.imported {
                        ModuleExportName::IdentifierName(n) => n.name.as_str(),
                        ModuleExportName::IdentifierReference(n) => n.name.as_str(),
                        ModuleExportName::StringLiteral(n) => n.value.as_str(),
                    };
                    let export = self.generated.ts_export(imported);
                    self.helpers.insert(s.local.name.to_string(), export);
                }
                ImportDeclarationSpecifier::ImportNamespaceSpecifier(s) if generated => {
                    self.namespaces.insert(s.local.name.to_string());
                }
                ImportDeclarationSpecifier::ImportDefaultSpecifier(s) if sdk => {
                    self.sdks.insert(s.local.name.to_string());
                }
                ImportDeclarationSpecifier::ImportNamespaceSpecifier(s) if sdk => {
                    self.sdks.insert(s.local.name.to_string());
                }
                _ => {}
            }
        }
    }

    fn visit_variable_declarator(&mut self, it: &VariableDeclarator<'a>) {
        let name = match &it.id {
            BindingPattern::BindingIdentifier(id) => Some(id.name.to_string()),
            _ => None,
        };
        if let (Some(name), Some(init)) = (&name, &it.init)
            && let Some(Expression::CallExpression(call)) = unwrap(init)
            && is_require_of_sdk(call)
        {
            self.sdks.insert(name.clone());
        }
        let outer = std::mem::replace(&mut self.binding, name);
        walk::walk_variable_declarator(self, it);
        self.binding = outer;
    }

    fn visit_assignment_expression(&mut self, it: &oxc_ast::ast::AssignmentExpression<'a>) {
        let name = match &it.left {
            AssignmentTarget::StaticMemberExpression(m) => {
                path_of(&m.object).map(|object| format!("{object}.{}", m.property.name))
            }
            AssignmentTarget::AssignmentTargetIdentifier(id) => Some(id.name.to_string()),
            _ => None,
        };
        let outer = std::mem::replace(&mut self.binding, name);
        walk::walk_assignment_expression(self, it);
        self.binding = outer;
    }

    fn visit_property_definition(&mut self, it: &oxc_ast::ast::PropertyDefinition<'a>) {
        // A class field (`private tracker = createTracker(…)`) is
        // `this.tracker` in the class's methods.
        let name = it.key.static_name().map(|key| format!("this.{key}"));
        let outer = std::mem::replace(&mut self.binding, name);
        walk::walk_property_definition(self, it);
        self.binding = outer;
    }

    fn visit_call_expression(&mut self, it: &CallExpression<'a>) {
        self.call(it);
        walk::walk_call_expression(self, it);
    }
}

impl Scope<'_> {
    /// Reads one call.
    fn call(&mut self, call: &CallExpression<'_>) {
        let Some(callee) = path_of(&call.callee) else {
            return;
        };
        let span = callee_span(&call.callee);
        let (object, method) = match callee.rsplit_once('.') {
            Some((object, method)) => (Some(object), method),
            None => (None, callee.as_str()),
        };
        // The generated module's exports, by their local names.
        let export = match object {
            None => self.helpers.get(method).cloned(),
            Some(object) if self.namespaces.contains(object) => {
                Some(self.generated.ts_export(method))
            }
            Some(object) if self.trackers.contains(object) => {
                Some(self.generated.ts_export(method))
            }
            Some(_) => None,
        };
        if let Some(export) = export {
            match export {
                Export::Event(event) => {
                    self.push(span, Via::Helper, EventName::Literal(event), &[])
                }
                Export::Track => {
                    let (name, name_span) = event_name(call.arguments.first());
                    self.push(name_span.unwrap_or(span), Via::Helper, name, &[]);
                }
                Export::CreateTracker => {
                    if let Some(binding) = self.binding.clone() {
                        self.trackers.insert(binding);
                    }
                }
                Export::Register | Export::People | Export::Other => {}
            }
            return;
        }
        // The SDKs.
        let Some(rest) = self.sdk_method(&callee) else {
            return;
        };
        match rest.as_str() {
            "track" => {
                let (name, name_span) = event_name(call.arguments.first());
                let keys = object_keys(call.arguments.get(1));
                let call = self.call_at(
                    name_span.unwrap_or(span),
                    Via::Raw,
                    Action::Track(name),
                    keys,
                );
                self.calls.push(call);
            }
            "register" | "register_once" => {
                let keys = object_keys(call.arguments.first());
                let call = self.call_at(span, Via::Raw, Action::Register, keys);
                self.calls.push(call);
            }
            "init" => {
                if let Some(binding) = self.binding.clone() {
                    self.sdks.insert(binding);
                }
            }
            other => {
                if let Some(op) = other.strip_prefix("people.")
                    && PEOPLE_OPERATIONS.contains(&op)
                {
                    let keys = profile_keys(&call.arguments);
                    let call = self.call_at(span, Via::Raw, Action::Profile(op.to_owned()), keys);
                    self.calls.push(call);
                }
            }
        }
    }

    /// What a dotted callee calls on the SDK object it starts with
    /// (`track`, `people.set`), if it starts with one.
    fn sdk_method(&self, callee: &str) -> Option<String> {
        let mut at = callee.len();
        while let Some(dot) = callee[..at].rfind('.') {
            if self.sdks.contains(&callee[..dot]) {
                return Some(callee[dot + 1..].to_owned());
            }
            at = dot;
        }
        None
    }

    fn push(&mut self, span: Span, via: Via, name: EventName, keys: &[(String, Span)]) {
        let call = self.call_at(span, via, Action::Track(name), keys.to_vec());
        self.calls.push(call);
    }

    fn call_at(&self, span: Span, via: Via, action: Action, keys: Vec<(String, Span)>) -> Call {
        Call {
            file: Arc::clone(self.file),
            span: range(span),
            via,
            action,
            keys: keys.into_iter().map(|(k, s)| (k, range(s))).collect(),
        }
    }
}

fn range(span: Span) -> std::ops::Range<usize> {
    span.start as usize..span.end as usize
}

/// The expression under parentheses, `!` and `as`/`satisfies`.
fn unwrap<'e, 'a>(e: &'e Expression<'a>) -> Option<&'e Expression<'a>> {
    match e {
        Expression::ParenthesizedExpression(p) => unwrap(&p.expression),
        Expression::TSNonNullExpression(n) => unwrap(&n.expression),
        Expression::TSAsExpression(a) => unwrap(&a.expression),
        Expression::TSSatisfiesExpression(s) => unwrap(&s.expression),
        Expression::AwaitExpression(a) => unwrap(&a.argument),
        other => Some(other),
    }
}

/// `require("mixpanel")` or `require("mixpanel-browser")`.
fn is_require_of_sdk(call: &CallExpression<'_>) -> bool {
    let is_require = matches!(&call.callee, Expression::Identifier(id) if id.name == "require");
    let package = match call.arguments.first() {
        Some(Argument::StringLiteral(s)) => Some(s.value.as_str()),
        _ => None,
    };
    is_require && package.is_some_and(|p| SDK_PACKAGES.contains(&p))
}

/// The dotted path of an identifier, `this` or a chain of static members
/// (`this.tracker.login`, `window.mixpanel.people.set`), read through
/// optional chaining and parentheses; `None` for anything else.
fn path_of(e: &Expression<'_>) -> Option<String> {
    match unwrap(e)? {
        Expression::Identifier(id) => Some(id.name.to_string()),
        Expression::ThisExpression(_) => Some("this".to_owned()),
        Expression::StaticMemberExpression(m) => {
            Some(format!("{}.{}", path_of(&m.object)?, m.property.name))
        }
        Expression::ComputedMemberExpression(m) => match &m.expression {
            Expression::StringLiteral(key) => {
                Some(format!("{}.{}", path_of(&m.object)?, key.value))
            }
            _ => None,
        },
        Expression::ChainExpression(chain) => match &chain.expression {
            ChainElement::StaticMemberExpression(m) => {
                Some(format!("{}.{}", path_of(&m.object)?, m.property.name))
            }
            ChainElement::TSNonNullExpression(n) => path_of(&n.expression),
            _ => None,
        },
        _ => None,
    }
}

/// Where a finding about a call points: the called name (`login` in
/// `tracking.login(…)`).
fn callee_span(e: &Expression<'_>) -> Span {
    match unwrap(e) {
        Some(Expression::StaticMemberExpression(m)) => m.property.span,
        Some(Expression::ChainExpression(chain)) => match &chain.expression {
            ChainElement::StaticMemberExpression(m) => m.property.span,
            other => other.span(),
        },
        Some(other) => other.span(),
        None => e.span(),
    }
}

/// The event name argument: a string literal or a template without
/// expressions is literal, anything else dynamic; with its span.
fn event_name(arg: Option<&Argument<'_>>) -> (EventName, Option<Span>) {
    let Some(expression) = arg.and_then(Argument::as_expression) else {
        return (EventName::Dynamic, None);
    };
    let expression = unwrap(expression).unwrap_or(expression);
    match expression {
        Expression::StringLiteral(s) => (EventName::Literal(s.value.to_string()), Some(s.span)),
        Expression::TemplateLiteral(t) if t.expressions.is_empty() => {
            let text = t
                .quasis
                .first()
                .and_then(|q| q.value.cooked.as_ref())
                .map(|c| c.to_string());
            match text {
                Some(text) => (EventName::Literal(text), Some(t.span)),
                None => (EventName::Dynamic, Some(t.span)),
            }
        }
        other => (EventName::Dynamic, Some(other.span())),
    }
}

/// The keys of an object literal argument.
fn object_keys(arg: Option<&Argument<'_>>) -> Vec<(String, Span)> {
    match arg.and_then(Argument::as_expression).and_then(unwrap) {
        Some(Expression::ObjectExpression(object)) => keys_of(object),
        _ => Vec::new(),
    }
}

fn keys_of(object: &ObjectExpression<'_>) -> Vec<(String, Span)> {
    object
        .properties
        .iter()
        .filter_map(|p| match p {
            ObjectPropertyKind::ObjectProperty(p)
                if !p.computed || p.key.static_name().is_some() =>
            {
                p.key
                    .static_name()
                    .map(|name| (name.into_owned(), p.key.span()))
            }
            _ => None,
        })
        .collect()
}

/// The property keys of a profile operation: those of its object literal
/// (`set({...})`, the Node SDK's `set(id, {...})`), else the literal key
/// before the value (`set("plan", "pro")`, Node's `set(id, "plan",
/// "pro")`).
fn profile_keys(arguments: &[Argument<'_>]) -> Vec<(String, Span)> {
    for arg in arguments {
        if let Some(Expression::ObjectExpression(object)) = arg.as_expression().and_then(unwrap) {
            return keys_of(object);
        }
    }
    let literal = |arg: &Argument<'_>| match arg.as_expression().and_then(unwrap) {
        Some(Expression::StringLiteral(s)) => Some((s.value.to_string(), s.span)),
        _ => None,
    };
    let key = match arguments.len() {
        2 => arguments.first().and_then(literal),
        n if n >= 3 => arguments.get(1).and_then(literal),
        _ => None,
    };
    key.into_iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn calls_in(name: &str, text: &str) -> Result<Vec<Call>, (std::ops::Range<usize>, String)> {
        let file = SourceFile::new(name, text);
        calls(&file, Path::new(name), &Generated::default())
    }

    #[test]
    fn jsx_in_a_js_file_parses_as_react_projects_write_it() {
        let text = "import mixpanel from \"mixpanel-browser\";\nexport const Play = () => <g onClick={() => mixpanel.track(\"Played\")} />;\n";
        for name in ["icons.js", "icons.jsx", "icons.mjs"] {
            let found = calls_in(name, text).unwrap();
            assert_eq!(found.len(), 1, "{name}");
            assert_eq!(
                found[0].action,
                Action::Track(EventName::Literal("Played".into()))
            );
        }
        // In TypeScript, JSX is for .tsx only: `<g>` is a cast in a .ts file.
        assert!(calls_in("icons.ts", text).is_err());
        assert_eq!(calls_in("icons.tsx", text).unwrap().len(), 1);
    }
}
