//! Names in generated code: a plan name split into lowercase ASCII words,
//! made unique among its siblings, then cased and guarded against each
//! language's keywords by that language's filters.

use std::collections::HashSet;

/// The lowercase ASCII words of a name: `Page Viewed` → `["page",
/// "viewed"]`, `pageURL` → `["page", "url"]`, `$email` → `["email"]`. Other
/// characters separate words; a name with no ASCII letter or digit gives
/// `["x"]` followed by the hex of its first character, so it still makes a
/// word.
pub fn words(name: &str) -> Vec<String> {
    let snake = heck::ToSnakeCase::to_snake_case(name);
    let words: Vec<String> = snake
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_ascii_lowercase)
        .collect();
    if words.is_empty() {
        let code = name.chars().next().map_or(0, |c| c as u32);
        return vec![format!("x{code:x}")];
    }
    words
}

/// A word with its first letter in upper case (`viewed` → `Viewed`).
pub fn capitalised(word: &str) -> String {
    let mut chars = word.chars();
    chars
        .next()
        .map(|c| c.to_ascii_uppercase().to_string() + chars.as_str())
        .unwrap_or_default()
}

/// A template value as JSON, for filters that read structured views.
pub fn to_json(value: &minijinja::Value) -> serde_json::Value {
    serde_json::to_value(value).unwrap_or(serde_json::Value::Null)
}

/// Gives each name of a list words that are unique in it: a repeat gets
/// `2`, `3`, ... appended.
#[derive(Debug, Default)]
pub struct Namer {
    taken: HashSet<String>,
}

impl Namer {
    /// Unique words for `name`.
    pub fn unique(&mut self, name: &str) -> Vec<String> {
        let base = words(name);
        let mut candidate = base.clone();
        let mut n = 2;
        while !self.taken.insert(candidate.join("_")) {
            candidate = base.clone();
            candidate.push(n.to_string());
            n += 1;
        }
        candidate
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_and_uniqueness() {
        assert_eq!(words("Page Viewed"), ["page", "viewed"]);
        assert_eq!(words("pageURL"), ["page", "url"]);
        assert_eq!(words("$email"), ["email"]);
        assert_eq!(words("1st visit"), ["1st", "visit"]);
        assert_eq!(words("🎉"), ["x1f389"]);
        let mut namer = Namer::default();
        assert_eq!(namer.unique("Page Viewed"), ["page", "viewed"]);
        assert_eq!(namer.unique("page_viewed"), ["page", "viewed", "2"]);
        assert_eq!(namer.unique("PageViewed"), ["page", "viewed", "3"]);
    }
}
