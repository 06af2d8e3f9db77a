//! "Did you mean ...?": the closest of a list of names to a misspelled one.

/// The candidate closest to `word`, if any is close enough to be a likely
/// typo (a few edits away, relative to the word's length).
pub fn closest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let word_lower = word.to_lowercase();
    let limit = (word.chars().count() / 3).max(1);
    candidates
        .into_iter()
        .map(|c| {
            (
                strsim::damerau_levenshtein(&word_lower, &c.to_lowercase()),
                c,
            )
        })
        .filter(|(distance, _)| *distance <= limit)
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::closest;

    #[test]
    fn finds_typos_and_ignores_strangers() {
        let fields = ["required", "description", "type"];
        assert_eq!(closest("requried", fields), Some("required"));
        assert_eq!(closest("typ", fields), Some("type"));
        assert_eq!(closest("colour", fields), None);
    }
}
