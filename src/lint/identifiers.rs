//! `identifier-collision` and `reserved-identifier`: what the naming
//! authority had to do to give every item of the plan an identifier in each
//! built-in target. Lint runs the generators' own allocation
//! ([`crate::codegen::Names`]), so it reports exactly the collisions the
//! generators resolve, and the names they use instead.

use crate::rules::{Rule, lint as rule};
use indexmap::IndexMap;

use crate::codegen::{ItemId, Names, Target};
use crate::diagnostic::Diagnostic;
use crate::naming::Reason;
use crate::plan::{Origin, Plan};

/// One renamed identifier in one target: `(target, wanted, got)`.
type Renamed = (String, String, String);

/// The findings of both rules.
pub fn check(plan: &Plan) -> Vec<Diagnostic> {
    let mut collisions: IndexMap<(ItemId, ItemId), Vec<Renamed>> = IndexMap::new();
    let mut reserved: IndexMap<ItemId, Vec<(Renamed, bool)>> = IndexMap::new();
    let mut origins = std::collections::HashMap::new();
    for target in Target::builtins() {
        let names = Names::allocate(plan, &target);
        for rename in &names.renames {
            let renamed = (
                target.spec.name.clone(),
                rename.wanted.clone(),
                rename.name.clone(),
            );
            match &rename.reason {
                Reason::Taken(other) => collisions
                    .entry((rename.item.clone(), other.clone()))
                    .or_default()
                    .push(renamed),
                Reason::Reserved => {
                    let keyword = target.spec.reserved.contains(&rename.wanted)
                        || target
                            .spec
                            .scopes
                            .values()
                            .any(|s| s.reserved.contains(&rename.wanted));
                    reserved
                        .entry(rename.item.clone())
                        .or_default()
                        .push((renamed, keyword));
                }
            }
        }
        origins.extend(names.origins);
    }
    let mut out = Vec::new();
    for ((item, other), renamed) in collisions {
        let message = format!("{item} and {other} give the same identifier in generated code");
        let help = format!(
            "generated code names the later one {}; rename one of them for clearer helpers",
            list(&renamed)
        );
        let mut d = finding(rule::IDENTIFIER_COLLISION, message).with_help(help);
        if let Some((file, span)) = origins.get(&other).and_then(|o| place(plan, o)) {
            d = d.with_related(&file, span, "the other one");
        }
        out.extend(at(plan, origins.get(&item), d, "collides"));
    }
    for (item, renamed) in reserved {
        let why = if renamed.iter().all(|(_, keyword)| *keyword) {
            "a word the language reserves"
        } else {
            "a name the generated code defines itself"
        };
        let plain: Vec<Renamed> = renamed.into_iter().map(|(r, _)| r).collect();
        let wanted: Vec<&str> = plain.iter().map(|(_, w, _)| w.as_str()).collect();
        let message = format!(
            "{item} would be `{}` in generated code, {why}",
            wanted.first().copied().unwrap_or_default()
        );
        let help = format!("generated code uses {} instead", list(&plain));
        let d = finding(rule::RESERVED_IDENTIFIER, message).with_help(help);
        out.extend(at(plan, origins.get(&item), d, "renamed in generated code"));
    }
    out
}

fn finding(rule: &'static Rule, message: String) -> Diagnostic {
    Diagnostic::new(rule, rule.severity(), message)
}

/// `typescript pageViewed2 (for pageViewed), rust PageViewed2 (for PageViewed)`.
fn list(renamed: &[Renamed]) -> String {
    renamed
        .iter()
        .map(|(target, wanted, got)| format!("`{got}` in {target} (for `{wanted}`)"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The text naming `origin`, or the nearest enclosing text that exists
/// (an enum value written in a shared definition is found at the property
/// using it).
fn place(
    plan: &Plan,
    origin: &Origin,
) -> Option<(
    std::sync::Arc<crate::source::SourceFile>,
    std::ops::Range<usize>,
)> {
    let doc = plan.documents.get(origin.document)?;
    let mut path = origin.path.clone();
    while doc.node(&path).is_none() && path.pop().is_some() {}
    Some((std::sync::Arc::clone(&doc.file), doc.key_span(&path)))
}

/// `d` at the text of `origin`; at the top of the plan for items written
/// nowhere in particular (the plan's own name).
fn at(plan: &Plan, origin: Option<&Origin>, d: Diagnostic, label: &str) -> Option<Diagnostic> {
    let root = Origin {
        document: 0,
        path: crate::yaml::Path::root(),
    };
    let (file, span) = place(plan, origin.unwrap_or(&root))?;
    Some(d.at(&file, span, label))
}
