//! The one naming authority. How a name of the plan becomes words, how
//! words become an identifier in a target's case, and how identifiers are
//! given out in scopes so that none collides with a keyword, a name the
//! templates define, or another name of the plan (`docs/naming.md`).
//!
//! `lint`, every generator and `diff` ask this module; nothing else turns a
//! plan name into an identifier.

mod convention;
mod scope;

pub use scope::{Allocation, IdentRules, Namespaces, Reason, ScopeId};

/// The lowercase ASCII words of a plan name.
///
/// Letters outside ASCII are transliterated first (`Ünïcödé` → `unicode`,
/// `注文` → `zhu wen`, `🎉` → `tada`), then the name is cut at every
/// character that is not a letter or digit and where the case changes
/// (`pageURL` → `page url`, `HTTPServer` → `http server`). `Page Viewed`,
/// `page_viewed`, `PageViewed` and `page-viewed` all give `page viewed`.
/// A name with no letter or digit at all (`$`, `---`, the empty string)
/// gives `x` and the hex code of its first character (`x24`), so every
/// name makes at least one word.
pub fn words(name: &str) -> Vec<String> {
    let ascii = deunicode::deunicode_with_tofu(name, " ");
    let snake = heck::ToSnakeCase::to_snake_case(ascii.as_str());
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

/// How words are joined into an identifier.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum IdentCase {
    /// `page_viewed`.
    Snake,
    /// `pageViewed`.
    Camel,
    /// `PageViewed`.
    Pascal,
    /// `PAGE_VIEWED`.
    UpperSnake,
    /// `page-viewed`.
    Kebab,
}

/// `words` joined in `case`.
pub fn join(words: &[String], case: IdentCase) -> String {
    let capitalised = |w: &String| {
        let mut chars = w.chars();
        chars
            .next()
            .map(|c| c.to_ascii_uppercase().to_string() + chars.as_str())
            .unwrap_or_default()
    };
    match case {
        IdentCase::Snake => words.join("_"),
        IdentCase::Kebab => words.join("-"),
        IdentCase::UpperSnake => words.join("_").to_ascii_uppercase(),
        IdentCase::Pascal => words.iter().map(capitalised).collect(),
        IdentCase::Camel => words
            .iter()
            .enumerate()
            .map(|(i, w)| if i == 0 { w.clone() } else { capitalised(w) })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn w(name: &str) -> String {
        words(name).join(" ")
    }

    #[test]
    fn case_and_separator_variants_give_the_same_words() {
        for name in [
            "Page Viewed",
            "page_viewed",
            "PageViewed",
            "pageViewed",
            "page-viewed",
            "PAGE_VIEWED",
            " page  viewed ",
        ] {
            assert_eq!(w(name), "page viewed", "{name}");
        }
        assert_eq!(w("pageURL"), "page url");
        assert_eq!(w("HTTPServer"), "http server");
        assert_eq!(w("$email"), "email");
        assert_eq!(w("mp_lib"), "mp lib");
        assert_eq!(w("1st visit"), "1st visit");
    }

    #[test]
    fn names_outside_ascii_are_transliterated() {
        assert_eq!(w("Ünïcödé Évent"), "unicode event");
        assert_eq!(w("ñame"), "name");
        assert_eq!(w("🎉"), "tada");
        assert_eq!(w("Emoji 🎉 Launched"), "emoji tada launched");
        assert_eq!(w("注文"), "zhu wen");
    }

    #[test]
    fn names_without_letters_still_make_a_word() {
        assert_eq!(w("$"), "x24");
        assert_eq!(w("---"), "x2d");
        assert_eq!(w(""), "x0");
        assert_eq!(w("*/"), "x2a");
    }

    #[test]
    fn cases() {
        let words: Vec<String> = ["page", "viewed", "2"].map(String::from).to_vec();
        assert_eq!(join(&words, IdentCase::Snake), "page_viewed_2");
        assert_eq!(join(&words, IdentCase::Camel), "pageViewed2");
        assert_eq!(join(&words, IdentCase::Pascal), "PageViewed2");
        assert_eq!(join(&words, IdentCase::UpperSnake), "PAGE_VIEWED_2");
        assert_eq!(join(&words, IdentCase::Kebab), "page-viewed-2");
    }
}
