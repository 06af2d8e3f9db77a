//! Python, parsed with tree-sitter's Python grammar: raw calls of the
//! official `mixpanel` package. Its client is an instance of
//! `mixpanel.Mixpanel` (imported under any name, or through the module),
//! bound to a name or an attribute (`mp = Mixpanel(token)`, `self.mp =
//! mixpanel.Mixpanel(token)`); its calls read:
//!
//! - `track(distinct_id, event_name, properties)` and `import_data(api_key,
//!   distinct_id, event_name, timestamp, properties)`: the event name (a
//!   string literal; an f-string or a variable is dynamic) and the keys of
//!   a dictionary literal, by position or keyword;
//! - `people_set`, `people_set_once`, `people_increment`, `people_append`,
//!   `people_union` `(distinct_id, properties)`: user property keys.

use std::collections::HashSet;
use std::sync::Arc;

use tree_sitter::{Node, Parser};

use super::{Action, Call, EventName, Via};
use crate::source::SourceFile;

/// The profile operations whose keys are checked, with the operation name
/// the other languages use.
const PEOPLE: &[(&str, &str)] = &[
    ("people_set", "set"),
    ("people_set_once", "set_once"),
    ("people_increment", "increment"),
    ("people_append", "append"),
    ("people_union", "union"),
];

/// The calls in `file`, or the first syntax error's span.
pub fn calls(file: &Arc<SourceFile>) -> Result<Vec<Call>, (std::ops::Range<usize>, String)> {
    let mut parser = Parser::new();
    parser
        .set_language(&tree_sitter_python::LANGUAGE.into())
        .map_err(|e| (0..0, e.to_string()))?;
    let text = file.text();
    let tree = parser
        .parse(text, None)
        .ok_or_else(|| (0..0, "the parser gave up".to_owned()))?;
    let root = tree.root_node();
    if root.has_error() {
        let bad = first_error(root).unwrap_or(root);
        let what = if bad.is_missing() {
            format!("missing `{}`", bad.kind())
        } else {
            "invalid syntax".to_owned()
        };
        return Err((bad.byte_range(), what));
    }
    let mut scope = Scope {
        file,
        text: text.as_bytes(),
        classes: HashSet::new(),
        modules: HashSet::new(),
        clients: HashSet::new(),
        calls: Vec::new(),
    };
    scope.visit(root);
    Ok(scope.calls)
}

/// The first error or missing node, depth first.
fn first_error(node: Node<'_>) -> Option<Node<'_>> {
    if node.is_error() || node.is_missing() {
        return Some(node);
    }
    let mut cursor = node.walk();
    let children: Vec<Node<'_>> = node.children(&mut cursor).collect();
    children
        .into_iter()
        .filter(|c| c.has_error() || c.is_missing())
        .find_map(first_error)
}

struct Scope<'s> {
    file: &'s Arc<SourceFile>,
    text: &'s [u8],
    /// Local names of the `Mixpanel` class.
    classes: HashSet<String>,
    /// Local names of the `mixpanel` module.
    modules: HashSet<String>,
    /// Dotted paths of clients (`mp`, `self.mp`).
    clients: HashSet<String>,
    calls: Vec<Call>,
}

impl Scope<'_> {
    fn text_of(&self, node: Node<'_>) -> &str {
        node.utf8_text(self.text).unwrap_or_default()
    }

    /// Visits `node` and its children in source order.
    fn visit(&mut self, node: Node<'_>) {
        match node.kind() {
            "import_from_statement" => self.import_from(node),
            "import_statement" => self.import(node),
            "assignment" => self.assignment(node),
            "call" => self.call(node),
            _ => {}
        }
        let mut cursor = node.walk();
        let children: Vec<Node<'_>> = node.named_children(&mut cursor).collect();
        for child in children {
            self.visit(child);
        }
    }

    /// `from mixpanel import Mixpanel [as MP]`.
    fn import_from(&mut self, node: Node<'_>) {
        let module = node
            .child_by_field_name("module_name")
            .map(|m| self.text_of(m).to_owned());
        if module.as_deref() != Some("mixpanel") {
            return;
        }
        let mut cursor = node.walk();
        for name in node.children_by_field_name("name", &mut cursor) {
            let (imported, local) = aliased(name, self.text);
            if imported == "Mixpanel" {
                self.classes.insert(local);
            }
        }
    }

    /// `import mixpanel [as m]`.
    fn import(&mut self, node: Node<'_>) {
        let mut cursor = node.walk();
        for name in node.children_by_field_name("name", &mut cursor) {
            let (imported, local) = aliased(name, self.text);
            if imported == "mixpanel" {
                self.modules.insert(local);
            }
        }
    }

    /// `mp = Mixpanel(token)`, `self.mp = mixpanel.Mixpanel(token)`.
    fn assignment(&mut self, node: Node<'_>) {
        let (Some(left), Some(right)) = (
            node.child_by_field_name("left"),
            node.child_by_field_name("right"),
        ) else {
            return;
        };
        if right.kind() != "call" {
            return;
        }
        let Some(class) = right
            .child_by_field_name("function")
            .and_then(|f| path_of(f, self.text))
        else {
            return;
        };
        let is_client = self.classes.contains(&class)
            || class
                .strip_suffix(".Mixpanel")
                .is_some_and(|module| self.modules.contains(module));
        if is_client && let Some(target) = path_of(left, self.text) {
            self.clients.insert(target);
        }
    }

    /// A method call on a client.
    fn call(&mut self, node: Node<'_>) {
        let Some(function) = node.child_by_field_name("function") else {
            return;
        };
        if function.kind() != "attribute" {
            return;
        }
        let (Some(object), Some(method)) = (
            function.child_by_field_name("object"),
            function.child_by_field_name("attribute"),
        ) else {
            return;
        };
        if !path_of(object, self.text).is_some_and(|p| self.clients.contains(&p)) {
            return;
        }
        let method_name = self.text_of(method).to_owned();
        let Some(arguments) = node.child_by_field_name("arguments") else {
            return;
        };
        let (positional, keywords) = split_arguments(arguments, self.text);
        let argument = |index: usize, keyword: &str| {
            keywords
                .iter()
                .find(|(k, _)| k == keyword)
                .map(|(_, v)| *v)
                .or_else(|| positional.get(index).copied())
        };
        let (action, span, properties) = match method_name.as_str() {
            "track" | "import_data" => {
                let (name_at, properties_at) = if method_name == "track" {
                    (1, 2)
                } else {
                    (2, 4)
                };
                let name = argument(name_at, "event_name");
                let event = match name.and_then(|n| literal(n, self.text)) {
                    Some(text) => EventName::Literal(text),
                    None => EventName::Dynamic,
                };
                let span = name.map_or_else(|| method.byte_range(), |n| n.byte_range());
                (
                    Action::Track(event),
                    span,
                    argument(properties_at, "properties"),
                )
            }
            other => match PEOPLE.iter().find(|(name, _)| *name == other) {
                Some((_, op)) => (
                    Action::Profile((*op).to_owned()),
                    method.byte_range(),
                    argument(1, "properties"),
                ),
                None => return,
            },
        };
        let keys = properties.map_or_else(Vec::new, |p| dictionary_keys(p, self.text));
        self.calls.push(Call {
            file: Arc::clone(self.file),
            span,
            via: Via::Raw,
            action,
            keys,
        });
    }
}

/// The imported name and its local name, of `name` or `name as alias`.
fn aliased(node: Node<'_>, text: &[u8]) -> (String, String) {
    let show = |n: Node<'_>| n.utf8_text(text).unwrap_or_default().to_owned();
    if node.kind() == "aliased_import" {
        let name = node
            .child_by_field_name("name")
            .map(show)
            .unwrap_or_default();
        let alias = node
            .child_by_field_name("alias")
            .map(show)
            .unwrap_or_else(|| name.clone());
        return (name, alias);
    }
    let name = show(node);
    (name.clone(), name)
}

/// The dotted path of an identifier or a chain of attributes.
fn path_of(node: Node<'_>, text: &[u8]) -> Option<String> {
    match node.kind() {
        "identifier" => node.utf8_text(text).ok().map(str::to_owned),
        "attribute" => {
            let object = path_of(node.child_by_field_name("object")?, text)?;
            let attribute = node
                .child_by_field_name("attribute")?
                .utf8_text(text)
                .ok()?;
            Some(format!("{object}.{attribute}"))
        }
        _ => None,
    }
}

/// The positional arguments, and the keyword ones by name.
#[allow(clippy::type_complexity)]
fn split_arguments<'t>(
    arguments: Node<'t>,
    text: &[u8],
) -> (Vec<Node<'t>>, Vec<(String, Node<'t>)>) {
    let mut positional = Vec::new();
    let mut keywords = Vec::new();
    let mut cursor = arguments.walk();
    for arg in arguments.named_children(&mut cursor) {
        if arg.kind() == "keyword_argument" {
            if let (Some(name), Some(value)) = (
                arg.child_by_field_name("name"),
                arg.child_by_field_name("value"),
            ) {
                keywords.push((name.utf8_text(text).unwrap_or_default().to_owned(), value));
            }
        } else if arg.kind() != "comment" {
            positional.push(arg);
        }
    }
    (positional, keywords)
}

/// The value of a plain string literal (not an f-string, no escapes
/// interpreted beyond what the text says).
fn literal(node: Node<'_>, text: &[u8]) -> Option<String> {
    if node.kind() != "string" {
        return None;
    }
    let mut cursor = node.walk();
    let mut value = String::new();
    for part in node.named_children(&mut cursor) {
        match part.kind() {
            "string_content" | "escape_sequence" => value.push_str(part.utf8_text(text).ok()?),
            "interpolation" => return None,
            _ => {}
        }
    }
    Some(value)
}

/// The keys of a dictionary literal that are string literals.
fn dictionary_keys(node: Node<'_>, text: &[u8]) -> Vec<(String, std::ops::Range<usize>)> {
    if node.kind() != "dictionary" {
        return Vec::new();
    }
    let mut cursor = node.walk();
    node.named_children(&mut cursor)
        .filter(|pair| pair.kind() == "pair")
        .filter_map(|pair| {
            let key = pair.child_by_field_name("key")?;
            Some((literal(key, text)?, key.byte_range()))
        })
        .collect()
}
