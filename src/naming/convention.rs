//! The naming conventions the linter enforces on event and property names
//! (`lint.naming`): whether a name follows one, and the name converted to it.

use heck::{ToLowerCamelCase, ToSnakeCase, ToTitleCase};

use crate::format::Case;

/// Past participles that do not end in `-ed`, for the Object Action convention.
const IRREGULAR_PAST: &[&str] = &[
    "Bought", "Built", "Begun", "Chosen", "Done", "Drawn", "Found", "Given", "Gone", "Held",
    "Hidden", "Kept", "Known", "Left", "Lost", "Made", "Met", "Paid", "Put", "Read", "Run", "Sent",
    "Set", "Seen", "Shown", "Sold", "Spent", "Taken", "Told", "Thrown", "Won", "Written", "Shared",
    "Begun", "Broken", "Undone", "Reset", "Upset", "Sold Out",
];

impl Case {
    /// The convention's name as written in plans.
    pub fn as_str(self) -> &'static str {
        match self {
            Case::TitleCase => "title_case",
            Case::SnakeCase => "snake_case",
            Case::CamelCase => "camel_case",
            Case::ObjectAction => "object_action",
        }
    }

    /// An example name in this convention, for messages.
    pub fn example(self) -> &'static str {
        match self {
            Case::TitleCase => "`Page Viewed`",
            Case::SnakeCase => "`page_viewed`",
            Case::CamelCase => "`pageViewed`",
            Case::ObjectAction => "`Page Viewed` (an object, then a past-tense verb)",
        }
    }

    /// Whether `name` follows the convention.
    pub fn matches(self, name: &str) -> bool {
        match self {
            Case::TitleCase => is_title_case(name),
            Case::SnakeCase => is_snake_case(name),
            Case::CamelCase => is_camel_case(name),
            Case::ObjectAction => {
                let words: Vec<&str> = name.split(' ').collect();
                is_title_case(name)
                    && words.len() >= 2
                    && words
                        .last()
                        .is_some_and(|w| w.ends_with("ed") || IRREGULAR_PAST.contains(w))
            }
        }
    }

    /// `name` converted to the convention (the linter's suggestion).
    pub fn convert(self, name: &str) -> String {
        match self {
            Case::TitleCase | Case::ObjectAction => name.to_title_case(),
            Case::SnakeCase => name.to_snake_case(),
            Case::CamelCase => name.to_lower_camel_case(),
        }
    }
}

fn is_title_case(name: &str) -> bool {
    !name.is_empty()
        && name.split(' ').all(|word| {
            let mut chars = word.chars();
            chars
                .next()
                .is_some_and(|c| c.is_uppercase() || c.is_ascii_digit())
                && chars.all(char::is_alphanumeric)
        })
}

fn is_snake_case(name: &str) -> bool {
    name.starts_with(|c: char| c.is_ascii_lowercase())
        && name.split('_').all(|w| {
            !w.is_empty()
                && w.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        })
}

fn is_camel_case(name: &str) -> bool {
    name.starts_with(|c: char| c.is_ascii_lowercase())
        && name.chars().all(|c| c.is_ascii_alphanumeric())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conventions() {
        assert!(Case::TitleCase.matches("Page Viewed"));
        assert!(Case::TitleCase.matches("Login"));
        assert!(Case::TitleCase.matches("SMS Sent"));
        assert!(!Case::TitleCase.matches("Page viewed"));
        assert!(!Case::TitleCase.matches("Page  Viewed"));
        assert!(!Case::TitleCase.matches("page_viewed"));
        assert!(Case::SnakeCase.matches("page_url"));
        assert!(!Case::SnakeCase.matches("pageUrl"));
        assert!(!Case::SnakeCase.matches("page__url"));
        assert!(Case::CamelCase.matches("pageUrl"));
        assert!(Case::ObjectAction.matches("Item Purchased"));
        assert!(Case::ObjectAction.matches("Message Sent"));
        assert!(!Case::ObjectAction.matches("Login"));
        assert!(!Case::ObjectAction.matches("Purchase Item"));
    }

    #[test]
    fn suggestions() {
        assert_eq!(Case::TitleCase.convert("page_viewed"), "Page Viewed");
        assert_eq!(Case::SnakeCase.convert("pageURL"), "page_url");
    }
}
