//! `trackplan diff`: every rule on a before/after pair, the version
//! verdict, the exit codes, and plans read from git revisions.

mod common;

use std::process::Command;

use trackplan::diff::{Bump, diff, required_bump};

const BASE: &str = r#"trackplan: 1
name: T
version: 1.0.0
super_properties:
  client_id: {type: string, description: Client.}
events:
  Login:
    description: Logged in.
    properties:
      method: {type: string, enum: [password, google], description: How.}
      attempt: {type: integer, minimum: 1, maximum: 10, description: Attempt.}
      remember_me: {type: boolean, required: false, description: Remember.}
      url: {type: string, required: false, description: URL.}
      code: {type: string, pattern: "^[A-Z]+$", required: false, description: Code.}
      note: {type: string, nullable: true, required: false, description: Note.}
      labels: {type: list, items: {type: string}, max_items: 5, required: false, description: Labels.}
  Logout:
    description: Logged out.
user_properties:
  age: {type: integer, description: Age.}
"#;

fn plan(text: &str) -> trackplan::plan::Plan {
    let loaded = trackplan::plan::load_text("p.yaml", text);
    assert!(
        !loaded.has_errors(),
        "{:?}",
        loaded
            .diagnostics
            .iter()
            .map(|d| &d.message)
            .collect::<Vec<_>>()
    );
    loaded.plan.unwrap()
}

/// `(rule, category, line)` of the changes from `old` to `new`.
fn changes_between(old: &str, new: &str) -> Vec<(&'static str, &'static str, usize)> {
    diff(&plan(old), &plan(new))
        .iter()
        .map(|c| {
            (
                c.rule.id(),
                c.category.as_str(),
                c.at.as_ref().map_or(0, |l| l.start().line),
            )
        })
        .collect()
}

/// The changes from BASE to BASE edited.
fn changes(from: &str, to: &str) -> Vec<(&'static str, &'static str, usize)> {
    assert!(BASE.contains(from), "{from}");
    changes_between(BASE, &BASE.replacen(from, to, 1))
}

/// The changes from BASE edited to BASE: a case read backwards.
fn changes_back(from: &str, to: &str) -> Vec<(&'static str, &'static str, usize)> {
    assert!(BASE.contains(from), "{from}");
    changes_between(&BASE.replacen(from, to, 1), BASE)
}

/// A plan with variants, for the rules about them.
const VARIANTS: &str = r#"trackplan: 1
name: T
version: 1.0.0
events:
  Purchased Item:
    description: Bought.
    properties:
      item_type: {type: string, enum: [drink, food, merch], description: Kind.}
      size: {type: string, required: false, description: Size.}
      note: {type: string, required: false, description: Note.}
    variants:
      by: item_type
      cases:
        drink:
          properties:
            size: {type: string, description: Size.}
            milk: {type: string, required: false, description: Milk.}
        food:
          absent: [size]
"#;

/// The changes from VARIANTS to VARIANTS edited.
fn variant_changes(from: &str, to: &str) -> Vec<(&'static str, &'static str, usize)> {
    assert!(VARIANTS.contains(from), "{from}");
    changes_between(VARIANTS, &VARIANTS.replacen(from, to, 1))
}

/// The changes a case expects: `(rule, category, line)`.
type Expected = &'static [(&'static str, &'static str, usize)];

#[test]
fn every_rule() {
    let cases: &[(&str, &str, Expected)] = &[
        (
            "  Logout:\n    description: Logged out.\n",
            "",
            &[("event-removed", "breaking-reports", 17)],
        ),
        (
            "  Logout:\n",
            "  Signed Out:\n    renamed_from: Logout\n",
            &[("event-renamed", "breaking-reports", 17)],
        ),
        (
            "user_properties:",
            "  Signup:\n    description: Signed up.\nuser_properties:",
            &[("event-added", "compatible", 19)],
        ),
        (
            "    description: Logged out.",
            "    description: Logged out.\n    status: deprecated",
            &[("event-deprecated", "deprecation", 17)],
        ),
        (
            "      remember_me: {type: boolean, required: false, description: Remember.}\n",
            "",
            &[("property-removed", "breaking-reports", 12)],
        ),
        (
            "      remember_me: {type: boolean, required: false, description: Remember.}",
            "      stay: {type: boolean, required: false, description: Remember., renamed_from: remember_me}",
            &[("property-renamed", "breaking-reports", 12)],
        ),
        (
            "attempt: {type: integer,",
            "attempt: {type: number,",
            &[("type-changed", "breaking-reports", 11)],
        ),
        (
            "enum: [password, google]",
            "enum: [password]",
            &[("enum-value-removed", "breaking-reports", 10)],
        ),
        (
            "enum: [password, google]",
            "enum: [password, google, sso]",
            &[("enum-value-added", "compatible", 10)],
        ),
        (
            "maximum: 10",
            "maximum: 5",
            &[("constraint-narrowed", "breaking-reports", 11)],
        ),
        (
            "maximum: 10",
            "maximum: 20",
            &[("constraint-widened", "compatible", 11)],
        ),
        (
            "url: {type: string,",
            "url: {type: string, format: uri,",
            &[("constraint-narrowed", "breaking-reports", 13)],
        ),
        (
            "pattern: \"^[A-Z]+$\"",
            "pattern: \"^[A-Z]{2}$\"",
            &[("constraint-narrowed", "breaking-reports", 14)],
        ),
        (
            "note: {type: string, nullable: true,",
            "note: {type: string,",
            &[("constraint-narrowed", "breaking-reports", 15)],
        ),
        (
            "max_items: 5",
            "max_items: 3",
            &[("constraint-narrowed", "breaking-reports", 16)],
        ),
        (
            "enum: [password, google], ",
            "",
            &[("constraint-widened", "compatible", 10)],
        ),
        (
            "remember_me: {type: boolean, required: false,",
            "remember_me: {type: boolean,",
            &[("property-made-required", "breaking-code", 12)],
        ),
        (
            "attempt: {type: integer,",
            "attempt: {type: integer, required: false,",
            &[("property-made-optional", "compatible", 11)],
        ),
        (
            "  Logout:",
            "      source: {type: string, description: Source.}\n  Logout:",
            &[("required-property-added", "breaking-code", 17)],
        ),
        (
            "  Logout:",
            "      source: {type: string, required: false, description: Source.}\n  Logout:",
            &[("optional-property-added", "compatible", 17)],
        ),
        (
            "description: How.}",
            "description: How., deprecated: true}",
            &[("property-deprecated", "deprecation", 10)],
        ),
        (
            "description: Logged in.",
            "description: Logged in with a form.",
            &[("metadata-changed", "compatible", 7)],
        ),
        (
            "super_properties:\n  client_id: {type: string, description: Client.}\n",
            "",
            &[("property-removed", "breaking-reports", 5)],
        ),
        (
            "age: {type: integer,",
            "age: {type: string,",
            &[("type-changed", "breaking-reports", 20)],
        ),
        (
            // A new event before `Logout` takes its identifiers.
            "  Logout:",
            "  logout:\n    description: Old spelling.\n  Logout:",
            &[
                ("event-added", "compatible", 17),
                ("identifier-renamed", "breaking-code", 19),
                ("identifier-renamed", "breaking-code", 19),
            ],
        ),
    ];
    // Read backwards: BASE edited is the old plan, BASE the new one.
    let backwards: &[(&str, &str, Expected)] = &[
        (
            "    description: Logged out.",
            "    description: Logged out.\n    identified: true",
            &[("identified-removed", "compatible", 17)],
        ),
        (
            "user_properties:",
            "groups:\n  company:\n    description: A company.\nuser_properties:",
            &[("group-removed", "breaking-code", 20)],
        ),
    ];
    // What changes `check`'s verdicts without touching a property.
    let verdicts: &[(&str, &str, Expected)] = &[
        (
            "    description: Logged out.",
            "    description: Logged out.\n    identified: true",
            &[("identified-added", "breaking-reports", 17)],
        ),
        (
            // Reported once for the plan, not once more per event.
            "version: 1.0.0\n",
            "version: 1.0.0\nadditional_properties: deny\n",
            &[("undeclared-properties-tightened", "breaking-reports", 4)],
        ),
        (
            "    description: Logged out.",
            "    description: Logged out.\n    additional_properties: allow",
            &[("undeclared-properties-loosened", "compatible", 17)],
        ),
        (
            "version: 1.0.0\n",
            "version: 1.0.0\nidentity: {user_id: uid}\n",
            &[("identity-changed", "breaking-reports", 4)],
        ),
        (
            "user_properties:",
            "groups:\n  company:\n    description: A company.\nuser_properties:",
            &[("group-added", "compatible", 20)],
        ),
        (
            "    description: Logged out.",
            "    description: Logged out.\n    status: planned",
            &[("event-status-changed", "compatible", 17)],
        ),
        (
            // A super property's requiredness.
            "client_id: {type: string,",
            "client_id: {type: string, required: false,",
            &[("property-made-optional", "compatible", 5)],
        ),
    ];
    let variants: &[(&str, &str, Expected)] = &[
        (
            // Variants dropped: every value is judged otherwise.
            "    variants:\n      by: item_type\n      cases:\n        drink:\n          properties:\n            size: {type: string, description: Size.}\n            milk: {type: string, required: false, description: Milk.}\n        food:\n          absent: [size]\n",
            "",
            &[("discriminator-changed", "breaking-code", 5)],
        ),
        (
            // A case with a required property of its own.
            "          absent: [size]\n",
            "          absent: [size]\n        merch: {properties: {sku: {type: string, description: SKU.}}}\n",
            &[
                ("case-added", "compatible", 20),
                ("required-property-added", "breaking-code", 20),
            ],
        ),
        (
            // Food falls back to the base properties, which allow a size.
            "        food:\n          absent: [size]\n",
            "",
            &[
                ("case-removed", "compatible", 18),
                ("optional-property-added", "compatible", 9),
            ],
        ),
        (
            // A drink's milk becomes required.
            "            milk: {type: string, required: false, description: Milk.}\n",
            "            milk: {type: string, description: Milk.}\n",
            &[("property-made-required", "breaking-code", 17)],
        ),
    ];
    let mut covered = std::collections::BTreeSet::new();
    for (from, to, expected) in variants {
        assert_eq!(&variant_changes(from, to), expected, "{from} → {to}");
        covered.extend(expected.iter().map(|e| e.0));
    }
    let moved = VARIANTS
        .replacen("      note: {type: string, required: false, description: Note.}\n", "", 1)
        .replacen(
            "            milk: {type: string, required: false, description: Milk.}\n",
            "            milk: {type: string, required: false, description: Milk.}\n            note: {type: string, required: false, description: Note.}\n",
            1,
        );
    // `note` only for drinks, and back.
    let there = changes_between(VARIANTS, &moved);
    assert_eq!(there, [("property-moved-to-case", "breaking-code", 17)]);
    let back = changes_between(&moved, VARIANTS);
    assert_eq!(back, [("property-moved-to-base", "compatible", 10)]);
    covered.extend(there.iter().chain(&back).map(|e| e.0));
    for (from, to, expected) in cases.iter().chain(verdicts) {
        assert_eq!(&changes(from, to), expected, "{from} → {to}");
        covered.extend(expected.iter().map(|e| e.0));
    }
    for (from, to, expected) in backwards {
        assert_eq!(&changes_back(from, to), expected, "{to} → {from}");
        covered.extend(expected.iter().map(|e| e.0));
    }
    let all: std::collections::BTreeSet<_> =
        trackplan::rules::diff::ALL.iter().map(|r| r.id()).collect();
    assert_eq!(covered, all, "every rule has a case");
}

#[test]
fn a_renamed_identifier_names_the_old_and_new_name_per_target() {
    let new = BASE.replacen(
        "  Logout:",
        "  logout:\n    description: Old spelling.\n  Logout:",
        1,
    );
    let messages: Vec<String> = diff(&plan(BASE), &plan(&new))
        .into_iter()
        .filter(|c| c.rule == "identifier-renamed")
        .map(|c| c.message)
        .collect();
    assert_eq!(
        messages,
        [
            "event \"Logout\": typescript `logout` → `logout2`, `LogoutProperties` → `Logout2Properties`",
            "event \"Logout\": rust `Logout` → `Logout2`",
        ]
    );
    // Appending the same event at the end renames nothing.
    let appended = format!(
        "{}  logout:\n    description: Old spelling.\n",
        BASE.replacen(
            "user_properties:\n  age: {type: integer, description: Age.}\n",
            "",
            1
        )
    ) + "user_properties:\n  age: {type: integer, description: Age.}\n";
    let renamed = diff(&plan(BASE), &plan(&appended))
        .into_iter()
        .filter(|c| c.rule == "identifier-renamed")
        .count();
    assert_eq!(renamed, 0);
}

#[test]
fn the_bump_a_change_needs() {
    let bump = |from: &str, to: &str| {
        required_bump(&diff(&plan(BASE), &plan(&BASE.replacen(from, to, 1))))
    };
    assert_eq!(bump("maximum: 10", "maximum: 10"), Bump::None);
    assert_eq!(
        bump("description: Logged in.", "description: In."),
        Bump::Patch
    );
    assert_eq!(bump("maximum: 10", "maximum: 20"), Bump::Minor);
    assert_eq!(bump("maximum: 10", "maximum: 5"), Bump::Major);
    assert!(trackplan::diff::bumped_enough(
        "1.2.0",
        "2.0.0",
        Bump::Major
    ));
    assert!(!trackplan::diff::bumped_enough(
        "1.2.0",
        "1.9.0",
        Bump::Major
    ));
    assert!(trackplan::diff::bumped_enough(
        "1.2.0",
        "1.3.0",
        Bump::Minor
    ));
    assert!(!trackplan::diff::bumped_enough(
        "1.2.0",
        "1.2.1",
        Bump::Minor
    ));
}

fn run_diff(dir: &std::path::Path, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_trackplan"))
        .arg("diff")
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap()
}

#[test]
fn exit_codes_follow_the_version() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("old.yaml"), BASE).unwrap();
    let breaking = BASE.replacen("maximum: 10", "maximum: 5", 1);
    std::fs::write(
        dir.path().join("minor.yaml"),
        breaking.replacen("version: 1.0.0", "version: 1.1.0", 1),
    )
    .unwrap();
    std::fs::write(
        dir.path().join("major.yaml"),
        breaking.replacen("version: 1.0.0", "version: 2.0.0", 1),
    )
    .unwrap();
    let out = run_diff(dir.path(), &["old.yaml", "minor.yaml"]);
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(
        text,
        "breaking-reports constraint-narrowed      property of `Login` `attempt`: maximum 10 → 5  minor.yaml:11:7\n1 change: needs a major bump; 1.0.0 → 1.1.0 is not enough\n"
    );
    assert_eq!(
        run_diff(dir.path(), &["old.yaml", "major.yaml"])
            .status
            .code(),
        Some(0)
    );
    assert_eq!(
        run_diff(
            dir.path(),
            &["old.yaml", "minor.yaml", "--fail-on", "never"]
        )
        .status
        .code(),
        Some(0)
    );
    let widened = BASE.replacen("maximum: 10", "maximum: 20", 1);
    std::fs::write(dir.path().join("same-version.yaml"), widened).unwrap();
    assert_eq!(
        run_diff(dir.path(), &["old.yaml", "same-version.yaml"])
            .status
            .code(),
        Some(0)
    );
    assert_eq!(
        run_diff(
            dir.path(),
            &["old.yaml", "same-version.yaml", "--fail-on", "bump"]
        )
        .status
        .code(),
        Some(1)
    );
    let json: serde_json::Value = serde_json::from_slice(
        &run_diff(dir.path(), &["old.yaml", "major.yaml", "--format", "json"]).stdout,
    )
    .unwrap();
    assert_eq!(json["required_bump"], "major");
    assert_eq!(json["bumped_enough"], true);
    assert_eq!(json["changes"][0]["rule"], "constraint-narrowed");
    assert_eq!(json["changes"][0]["line"], 11);
    let md = String::from_utf8(
        run_diff(
            dir.path(),
            &["old.yaml", "minor.yaml", "--format", "markdown"],
        )
        .stdout,
    )
    .unwrap();
    assert!(md.starts_with("### Tracking plan `T`: 1.0.0 → 1.1.0\n\n| | Change | Rule | Where |\n|---|---|---|---|\n| ❌ |"), "{md}");
}

fn git(dir: &std::path::Path, args: &[&str]) {
    let out = Command::new("git")
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn plans_from_git_revisions() {
    // This repository's own accounts plan, from its first commit to now.
    let root = common::root();
    let first = Command::new("git")
        .args(["log", "--format=%H", "--", "plans/accounts.yaml"])
        .current_dir(&root)
        .output()
        .unwrap();
    let first = String::from_utf8(first.stdout).unwrap();
    let first = first
        .lines()
        .last()
        .expect("plans/accounts.yaml has a history in git");
    let out = run_diff(
        &root,
        &[
            &format!("{first}:plans/accounts.yaml"),
            "HEAD:plans/accounts.yaml",
        ],
    );
    // The plan may change over the project's life: the command must read both
    // commits and end with its verdict, whatever the changes.
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    let verdict = regex::Regex::new(r"(?m)^\d+ changes?: (no changes|needs a (patch|minor|major) bump; \S+ → \S+ is (not )?enough)\n\z").unwrap();
    assert!(verdict.is_match(&text), "{text}");
    // Two commits of a copy of it, with a change between them.
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("plans")).unwrap();
    let accounts = std::fs::read_to_string(root.join("plans/accounts.yaml")).unwrap();
    std::fs::write(dir.path().join("plans/accounts.yaml"), &accounts).unwrap();
    git(dir.path(), &["init", "-q"]);
    git(
        dir.path(),
        &[
            "-c",
            "user.name=t",
            "-c",
            "user.email=t@example.com",
            "add",
            ".",
        ],
    );
    git(
        dir.path(),
        &[
            "-c",
            "user.name=t",
            "-c",
            "user.email=t@example.com",
            "commit",
            "-qm",
            "v1",
        ],
    );
    let changed = accounts
        .replacen("version: 2.0.0", "version: 2.1.0", 1)
        .replacen(
            "        enum: [user, expired, password_changed]",
            "        enum: [user, expired, password_changed, admin]",
            1,
        );
    std::fs::write(dir.path().join("plans/accounts.yaml"), changed).unwrap();
    git(
        dir.path(),
        &[
            "-c",
            "user.name=t",
            "-c",
            "user.email=t@example.com",
            "commit",
            "-qam",
            "v2",
        ],
    );
    let out = run_diff(
        dir.path(),
        &["HEAD~1:plans/accounts.yaml", "HEAD:plans/accounts.yaml"],
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.starts_with("compatible       enum-value-added         property of `Logout` `reason` now allows \"admin\"  HEAD:plans/accounts.yaml:"), "{text}");
    assert!(
        text.ends_with("1 change: needs a minor bump; 2.0.0 → 2.1.0 is enough\n"),
        "{text}"
    );
    let missing = run_diff(
        dir.path(),
        &["nope:plans/accounts.yaml", "plans/accounts.yaml"],
    );
    assert_eq!(missing.status.code(), Some(2));
}

#[test]
fn a_revision_cannot_be_an_option_to_git() {
    let dir = tempfile::tempdir().unwrap();
    let plan = dir.path().join("a.yaml");
    std::fs::write(&plan, BASE).unwrap();
    git(dir.path(), &["init", "-q"]);
    let written = dir.path().join("x");
    let side = format!("--output={}:a.yaml", written.display());
    let out = run_diff(dir.path(), &["--", &side, "a.yaml"]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("a revision cannot start with `-`"),
        "{stderr}"
    );
    assert!(!written.exists(), "git wrote a file");
}

/// Variants given to an event, and taken away: said in words, once, with
/// the bump it needs (the café plan's purchases, as bundled and without).
#[test]
fn variants_added_and_removed_say_so() {
    let dir = tempfile::tempdir().unwrap();
    let cafe = std::fs::read_to_string(common::root().join("plans/cafe.yaml")).unwrap();
    let start = cafe.find("    variants:\n      by: item_type\n").unwrap();
    let end = start + cafe[start..].find("\n\n").unwrap() + 1;
    let without = format!("{}{}", &cafe[..start], &cafe[end..]);
    std::fs::write(dir.path().join("with.yaml"), &cafe).unwrap();
    std::fs::write(dir.path().join("without.yaml"), without).unwrap();
    let line = |args: &[&str]| -> String {
        let out = run_diff(dir.path(), args);
        assert_eq!(
            out.status.code(),
            Some(1),
            "same version, a breaking change"
        );
        let text = String::from_utf8(out.stdout).unwrap();
        text.lines()
            .find(|l| l.contains("discriminator-changed"))
            .unwrap_or_else(|| panic!("{text}"))
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    };
    let at = cafe[..start].lines().count() + 1;
    assert_eq!(
        line(&["without.yaml", "with.yaml"]),
        format!(
            "breaking-code discriminator-changed `Purchased Item` now has variants by `item_type` with.yaml:{at}:5"
        )
    );
    assert_eq!(
        line(&["with.yaml", "without.yaml"]),
        format!(
            "breaking-code discriminator-changed `Purchased Item` no longer has variants (they were by `item_type`) without.yaml:{}:3",
            cafe[..cafe.find("  Purchased Item:").unwrap()]
                .lines()
                .count()
                + 1
        )
    );
}
