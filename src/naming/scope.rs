//! Scopes: the namespaces of generated code (a module's top level, one
//! type's fields, one enum's variants). Each starts with the names it
//! reserves (the language's keywords and globals, the names the templates
//! define there) and gives identifiers out first come, first served: a name
//! that is reserved gets the target's suffix (`track` → `track_`), a name
//! already given to another item gets a number (`pageViewed2`).
//!
//! An identifier can live in several scopes at once (a TypeScript event
//! helper is both a function of the module and a method of the tracker
//! object); it is then free in all of them or not at all.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use super::{IdentCase, join};

/// A scope of a [`Namespaces`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ScopeId(usize);

/// How one kind of identifier is formed in a target.
#[derive(Debug, Clone)]
pub struct IdentRules {
    /// The case its words are joined in.
    pub case: IdentCase,
    /// Put before an identifier that would start with a digit (`_1stVisit`).
    pub leading_digit: String,
    /// Put after an identifier that is reserved (`type_`).
    pub reserved_suffix: String,
    /// The most characters an item's own words take in it (its fixed
    /// prefix and suffix words, and a number, come on top); longer names
    /// keep their first words that fit.
    pub max_length: Option<usize>,
}

/// The first of `words` that fit in `max` characters once joined in
/// `case` (at least the first word, cut to `max`).
fn fitting(words: &[String], case: IdentCase, max: Option<usize>) -> Vec<String> {
    let Some(max) = max else {
        return words.to_vec();
    };
    let mut kept: Vec<String> = Vec::new();
    for word in words {
        kept.push(word.clone());
        if join(&kept, case).len() > max {
            kept.pop();
            break;
        }
    }
    if kept.is_empty() {
        kept = words
            .first()
            .map(|w| vec![w.chars().take(max.max(1)).collect()])
            .unwrap_or_default();
    }
    kept
}

/// Why an item did not get the identifier its words give.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reason<H> {
    /// That identifier is a keyword, a global or a name the templates
    /// define in one of its scopes.
    Reserved,
    /// Another item, given its identifier earlier, holds it.
    Taken(H),
}

/// The identifier given to an item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Allocation<H> {
    /// The identifier it got.
    pub name: String,
    /// The identifier its words give, before any collision was resolved.
    pub wanted: String,
    /// Why `name` differs from `wanted`; `None` when it does not.
    pub reason: Option<Reason<H>>,
}

#[derive(Debug)]
struct Scope<H> {
    /// Shared by every instance of one kind of scope.
    reserved: Arc<HashSet<String>>,
    taken: HashMap<String, H>,
}

/// Every scope of one generated output, and who holds which identifier.
#[derive(Debug)]
pub struct Namespaces<H> {
    scopes: Vec<Scope<H>>,
}

impl<H> Default for Namespaces<H> {
    fn default() -> Self {
        Self { scopes: Vec::new() }
    }
}

impl<H: Clone> Namespaces<H> {
    /// Adds a scope in which `reserved` can never be given out (one set,
    /// shared by the scopes of one kind: a struct's fields, say).
    pub fn add(&mut self, reserved: Arc<HashSet<String>>) -> ScopeId {
        self.scopes.push(Scope {
            reserved,
            taken: HashMap::new(),
        });
        ScopeId(self.scopes.len() - 1)
    }

    fn reserved(&self, scopes: &[ScopeId], name: &str) -> bool {
        scopes
            .iter()
            .any(|s| self.scopes[s.0].reserved.contains(name))
    }

    fn holder(&self, scopes: &[ScopeId], name: &str) -> Option<&H> {
        scopes.iter().find_map(|s| self.scopes[s.0].taken.get(name))
    }

    fn free(&self, scopes: &[ScopeId], name: &str) -> bool {
        !self.reserved(scopes, name) && self.holder(scopes, name).is_none()
    }

    /// Gives `holder` an identifier made of `words` (with the fixed
    /// `prefix` and `suffix` words of its kind), free in every one of
    /// `scopes`, and takes it there.
    ///
    /// The candidates, in order: the words as they are; for a reserved
    /// identifier, the same with the reserved suffix; then the words with
    /// `2`, `3`, ... after the item's own words (`pageViewed2`,
    /// `PageViewed2Properties`). Identifiers that would start with a digit
    /// get the leading-digit prefix.
    pub fn allocate(
        &mut self,
        scopes: &[ScopeId],
        prefix: &[String],
        words: &[String],
        suffix: &[String],
        rules: &IdentRules,
        holder: H,
    ) -> Allocation<H> {
        let words = fitting(words, rules.case, rules.max_length);
        let form = |number: Option<usize>| {
            let mut all: Vec<String> = prefix.iter().chain(&words).cloned().collect();
            all.extend(number.map(|n| n.to_string()));
            all.extend(suffix.iter().cloned());
            let name = join(&all, rules.case);
            if name.starts_with(|c: char| c.is_ascii_digit()) {
                format!("{}{name}", rules.leading_digit)
            } else {
                name
            }
        };
        let wanted = form(None);
        let escaped = format!("{wanted}{}", rules.reserved_suffix);
        let reason = if self.reserved(scopes, &wanted) {
            Some(
                self.holder(scopes, &escaped)
                    .cloned()
                    .map_or(Reason::Reserved, Reason::Taken),
            )
        } else {
            self.holder(scopes, &wanted).cloned().map(Reason::Taken)
        };
        let name = if self.free(scopes, &wanted) {
            wanted.clone()
        } else if self.reserved(scopes, &wanted) && self.free(scopes, &escaped) {
            escaped
        } else {
            (2..)
                .map(|n| form(Some(n)))
                .find(|candidate| self.free(scopes, candidate))
                .unwrap_or_default()
        };
        for scope in scopes {
            self.scopes[scope.0]
                .taken
                .insert(name.clone(), holder.clone());
        }
        Allocation {
            name,
            wanted,
            reason,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules(case: IdentCase) -> IdentRules {
        IdentRules {
            case,
            leading_digit: "_".into(),
            reserved_suffix: "_".into(),
            max_length: Some(20),
        }
    }

    fn words(s: &str) -> Vec<String> {
        crate::naming::words(s)
    }

    fn set(names: &[&str]) -> Arc<HashSet<String>> {
        Arc::new(names.iter().map(|n| (*n).to_owned()).collect())
    }

    #[test]
    fn first_come_first_served_then_numbers() {
        let mut ns = Namespaces::default();
        let module = ns.add(set(&["track", "class"]));
        let camel = rules(IdentCase::Camel);
        let mut give = |name: &str, holder: &'static str| {
            ns.allocate(&[module], &[], &words(name), &[], &camel, holder)
        };
        assert_eq!(give("Page Viewed", "a").name, "pageViewed");
        let second = give("page_viewed", "b");
        assert_eq!(
            (second.name.as_str(), second.reason),
            ("pageViewed2", Some(Reason::Taken("a")))
        );
        let track = give("Track", "c");
        assert_eq!(
            (track.name.as_str(), track.reason),
            ("track_", Some(Reason::Reserved))
        );
        // `track` is reserved and `track_` taken: a number, and the reason
        // names the item holding `track_`.
        let again = give("track", "d");
        assert_eq!(
            (again.name.as_str(), again.reason),
            ("track2", Some(Reason::Taken("c")))
        );
        assert_eq!(give("1st visit", "e").name, "_1stVisit");
    }

    #[test]
    fn an_identifier_in_two_scopes_is_free_in_both() {
        let mut ns = Namespaces::default();
        let module = ns.add(set(&["init"]));
        let tracker = ns.add(set(&["people"]));
        let camel = rules(IdentCase::Camel);
        let people = ns.allocate(&[module, tracker], &[], &words("People"), &[], &camel, 1);
        assert_eq!(people.name, "people_");
        let init = ns.allocate(&[module, tracker], &[], &words("Init"), &[], &camel, 2);
        assert_eq!(init.name, "init_");
        // Only in the tracker scope, `init` is free.
        let local = ns.allocate(&[tracker], &[], &words("init"), &[], &camel, 3);
        assert_eq!(local.name, "init");
    }

    #[test]
    fn long_names_keep_their_first_words() {
        let mut ns = Namespaces::default();
        let module = ns.add(set(&[]));
        let camel = rules(IdentCase::Camel);
        let long = words("Product Details Page Viewed From The Search Results");
        let a = ns.allocate(&[module], &[], &long, &[], &camel, 1);
        assert_eq!(a.name, "productDetailsPage");
        let again = words("Product Details Page Viewed From The Home Page");
        let b = ns.allocate(&[module], &[], &again, &[], &camel, 2);
        assert_eq!(b.name, "productDetailsPage2");
        let one = ns.allocate(&[module], &[], &["x".repeat(300)], &[], &camel, 3);
        assert_eq!(one.name, "x".repeat(20));
    }

    #[test]
    fn numbers_go_before_the_kind_suffix() {
        let mut ns = Namespaces::default();
        let module = ns.add(set(&[]));
        let pascal = rules(IdentCase::Pascal);
        let suffix = vec!["properties".to_owned()];
        let a = ns.allocate(&[module], &[], &words("Page Viewed"), &suffix, &pascal, 1);
        let b = ns.allocate(&[module], &[], &words("page_viewed"), &suffix, &pascal, 2);
        assert_eq!(
            (a.name.as_str(), b.name.as_str()),
            ("PageViewedProperties", "PageViewed2Properties")
        );
    }
}
