//! The one rule model: every finding trackplan reports, whichever command
//! reports it, names a [`Rule`] of this registry.
//!
//! A rule is one item: its id, its family (the plan loader, a lint style
//! rule, a project or target config rule, a `check` rule, a `scan` rule,
//! a `diff` rule), its default severity, and its documentation in ruff's
//! shape (what it does, why it matters, an example). Each family lists its
//! rules in its own file ([`lint`], [`config`], [`check`], [`scan`],
//! [`diff`]) through one macro, which defines a constant per rule and the family's `ALL` list from the
//! same lines, so a rule cannot be reported without being listed.
//! [`Rule`] has no public constructor: outside this module the only rules
//! there are are the registered ones, and a finding cannot name an id the
//! registry lacks. The documentation pages (`docs/rules.md`,
//! `docs/check-rules.md`, `docs/diff-rules.md`) and `trackplan explain`
//! are written from it by [`markdown`] and [`explain`].
//!
//! The wording of a finding lives beside the code that finds it; the
//! wording `check` shares with its SQL form and the generated runtime
//! validation is in [`crate::check::wording`], used by all three.

pub mod check;
pub mod config;
pub mod diff;
pub mod lint;
pub mod scan;

use std::fmt;

use crate::diagnostic::Severity;
use crate::diff::{Bump, Category};

/// One rule of any family.
#[derive(Debug)]
pub struct Rule {
    id: &'static str,
    family: Family,
    severity: Severity,
    what: &'static str,
    why: &'static str,
    example: &'static str,
}

/// Which part of trackplan reports a rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Family {
    /// Checked whenever a plan is read, by every command; always an error.
    Loader,
    /// A style rule of `trackplan lint`; a plan configures its severity.
    Style,
    /// Checked whenever `trackplan.toml` or a template's `target.toml` is
    /// read; always an error.
    Config,
    /// A violation `trackplan check` (and `serve`, and the SQL form)
    /// reports about traffic.
    Check,
    /// A finding `trackplan scan` reports about source code.
    Scan,
    /// A change `trackplan diff` reports between two plans.
    Diff {
        /// How the change affects the plan's users.
        category: Category,
        /// The version bump it needs.
        bump: Bump,
    },
}

impl Family {
    /// Its name in documentation: `loader`, `style`, `config`, `check`, `diff`.
    pub fn as_str(self) -> &'static str {
        match self {
            Family::Loader => "loader",
            Family::Style => "style",
            Family::Config => "config",
            Family::Check => "check",
            Family::Scan => "scan",
            Family::Diff { .. } => "diff",
        }
    }
}

impl Rule {
    /// A rule; private so that only the family files below can make one.
    const fn new(
        id: &'static str,
        family: Family,
        severity: Severity,
        what: &'static str,
        why: &'static str,
        example: &'static str,
    ) -> Rule {
        Rule {
            id,
            family,
            severity,
            what,
            why,
            example,
        }
    }

    /// Stable id, such as `unknown-field` or `not-in-enum`.
    pub fn id(&self) -> &'static str {
        self.id
    }

    /// The family that reports it.
    pub fn family(&self) -> Family {
        self.family
    }

    /// Its severity unless configured otherwise (only style rules are; for
    /// `unexpected-property`, the plan's `additional_properties` decides).
    pub fn severity(&self) -> Severity {
        self.severity
    }

    /// What it reports.
    pub fn what(&self) -> &'static str {
        self.what
    }

    /// Why it matters.
    pub fn why(&self) -> &'static str {
        self.why
    }

    /// An input that breaks it.
    pub fn example(&self) -> &'static str {
        self.example
    }

    /// A diff rule's category and bump.
    pub fn change(&self) -> Option<(Category, Bump)> {
        match self.family {
            Family::Diff { category, bump } => Some((category, bump)),
            _ => None,
        }
    }
}

impl PartialEq for Rule {
    fn eq(&self, other: &Rule) -> bool {
        self.id == other.id
    }
}

impl Eq for Rule {}

impl PartialOrd for Rule {
    fn partial_cmp(&self, other: &Rule) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

/// Rules sort by id, as every report lists them.
impl Ord for Rule {
    fn cmp(&self, other: &Rule) -> std::cmp::Ordering {
        self.id.cmp(other.id)
    }
}

impl std::hash::Hash for Rule {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.id.hash(state);
    }
}

impl PartialEq<str> for Rule {
    fn eq(&self, other: &str) -> bool {
        self.id == other
    }
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.id)
    }
}

impl serde::Serialize for Rule {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.id)
    }
}

/// Defines one constant per rule and the family's `ALL`, from one list.
macro_rules! registry {
    ($($(#[$doc:meta])* $name:ident = $rule:expr;)*) => {
        $($(#[$doc])* pub const $name: &$crate::rules::Rule = &$rule;)*
        /// Every rule of the family, in documentation order.
        pub const ALL: &[&$crate::rules::Rule] = &[$($name),*];
    };
}
use registry;

/// Every rule of every family.
pub fn all() -> impl Iterator<Item = &'static Rule> {
    [lint::ALL, config::ALL, check::ALL, scan::ALL, diff::ALL]
        .into_iter()
        .flatten()
        .copied()
}

/// The rule with id `id`, of any family (ids are unique across them).
pub fn find(id: &str) -> Option<&'static Rule> {
    all().find(|r| r.id == id)
}

/// The id nearest to `id` among `rules`, for "did you mean".
pub fn closest(id: &str, rules: &[&'static Rule]) -> Option<&'static str> {
    crate::suggest::closest(id, rules.iter().map(|r| r.id))
}

/// A documentation page: a title, what it says first, and its rules.
#[derive(Debug, Clone, Copy)]
pub struct Page {
    /// The `# heading`.
    pub title: &'static str,
    /// The file this page is written to, under `docs/`.
    pub file: &'static str,
    /// Where the family's list lives, for the "generated from" line.
    pub source: &'static str,
    /// The paragraph under the heading.
    pub intro: &'static str,
    /// Its rules, in order.
    pub rules: &'static [&'static [&'static Rule]],
}

/// `docs/rules.md`: the loader, style and config rules.
pub const LINT_PAGE: Page = Page {
    title: "Lint rules",
    file: "docs/rules.md",
    source: "src/rules/lint.rs and src/rules/config.rs",
    intro: "Loader rules are checked whenever a plan is read, by every command, and are always errors.\n\
            Style rules are checked by `trackplan lint`; a plan sets their severity with\n\
            `lint: {rules: {RULE: error|warning|info|off}}`. Config rules are checked whenever\n\
            `trackplan.toml` or a template's `target.toml` is read. `trackplan explain RULE` prints one rule.",
    rules: &[lint::ALL, config::ALL],
};

/// `docs/check-rules.md`.
pub const CHECK_PAGE: Page = Page {
    title: "Check rules",
    file: "docs/check-rules.md",
    source: "src/rules/check.rs",
    intro: "Every violation `trackplan check` reports (and `serve`, the SQL form of the checks, and the\n\
            generated runtime validation) names one of these rules. `trackplan explain RULE` prints one rule.",
    rules: &[check::ALL],
};

/// `docs/diff-rules.md`.
pub const DIFF_PAGE: Page = Page {
    title: "Diff rules",
    file: "docs/diff-rules.md",
    source: "src/rules/diff.rs",
    intro: "Every change `trackplan diff` reports names one of these rules, with how it affects the\n\
            plan's users and the version bump it needs. `trackplan explain RULE` prints one rule.",
    rules: &[diff::ALL],
};

/// `docs/scan-rules.md`.
pub const SCAN_PAGE: Page = Page {
    title: "Scan rules",
    file: "docs/scan-rules.md",
    source: "src/rules/scan.rs",
    intro: "Every finding `trackplan scan` reports about source code names one of these rules\n\
            (see [scan.md](scan.md)). `trackplan explain RULE` prints one rule.",
    rules: &[scan::ALL],
};

/// Every documentation page.
pub const PAGES: [Page; 4] = [LINT_PAGE, CHECK_PAGE, SCAN_PAGE, DIFF_PAGE];

/// The columns of a rule in a page's table, after its id.
fn columns(rule: &Rule) -> Vec<&'static str> {
    match rule.family {
        Family::Diff { category, bump } => vec![category.as_str(), bump.as_str()],
        family => vec![family.as_str(), rule.severity.as_str()],
    }
}

/// The Markdown of one page: a table of every rule, then each rule's
/// documentation.
pub fn markdown(page: &Page) -> String {
    let rules: Vec<&Rule> = page.rules.iter().copied().flatten().copied().collect();
    let header = match rules.first().map(|r| r.family) {
        Some(Family::Diff { .. }) => "| rule | category | bump |\n|---|---|---|\n",
        _ => "| rule | kind | default |\n|---|---|---|\n",
    };
    let mut out = format!(
        "# {}\n\n<!-- Generated from {} by `UPDATE_SNAPSHOTS=1 cargo test --test docs`; do not edit. -->\n\n{}\n\n{header}",
        page.title, page.source, page.intro
    );
    for r in &rules {
        out.push_str(&format!(
            "| [`{}`](#{}) | {} |\n",
            r.id,
            r.id,
            columns(r).join(" | ")
        ));
    }
    for r in &rules {
        out.push_str(&format!(
            "\n## {}\n\n**What it does.** {}\n\n**Why is this bad?** {}\n\n**Example.**\n\n```{}\n{}\n```\n",
            r.id,
            r.what,
            r.why,
            example_language(r),
            r.example
        ));
    }
    out
}

/// The code-fence language of a rule's example.
fn example_language(rule: &Rule) -> &'static str {
    match rule.family {
        Family::Config => "toml",
        Family::Scan => "text",
        _ => "yaml",
    }
}

/// `trackplan explain RULE`: one rule as text for a terminal.
pub fn explain(rule: &Rule) -> String {
    let heading = match rule.family {
        Family::Diff { category, bump } => format!(
            "{} (diff rule: {}, needs a {} bump)",
            rule.id,
            category.as_str(),
            bump.as_str()
        ),
        Family::Loader | Family::Config => {
            format!(
                "{} ({} rule, always an error)",
                rule.id,
                rule.family.as_str()
            )
        }
        family => format!(
            "{} ({} rule, {} by default)",
            rule.id,
            family.as_str(),
            rule.severity
        ),
    };
    let example: String = rule
        .example
        .lines()
        .map(|line| format!("  {line}\n"))
        .collect();
    format!(
        "{heading}\n\nWhat it does\n  {}\n\nWhy is this bad?\n  {}\n\nExample\n{example}",
        rule.what, rule.why
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_across_families_and_kebab_case() {
        let mut ids: Vec<_> = all().map(Rule::id).collect();
        ids.sort_unstable();
        let count = ids.len();
        ids.dedup();
        assert_eq!(ids.len(), count, "an id is used twice");
        for id in ids {
            assert!(
                id.chars().all(|c| c.is_ascii_lowercase() || c == '-'),
                "{id}"
            );
        }
    }

    #[test]
    fn every_rule_is_documented() {
        for r in all() {
            assert!(!r.what.is_empty(), "{} has no what", r.id);
            assert!(!r.why.is_empty(), "{} has no why", r.id);
            assert!(!r.example.is_empty(), "{} has no example", r.id);
        }
    }

    #[test]
    fn each_family_keeps_to_its_file() {
        assert!(
            lint::ALL
                .iter()
                .all(|r| matches!(r.family, Family::Loader | Family::Style))
        );
        assert!(config::ALL.iter().all(|r| r.family == Family::Config));
        assert!(check::ALL.iter().all(|r| r.family == Family::Check));
        assert!(diff::ALL.iter().all(|r| r.change().is_some()));
    }
}
