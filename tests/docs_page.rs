//! `trackplan docs`: a Markdown page whose tables render on a Git forge,
//! and an HTML page tested in a real browser (headless Chromium).

mod common;

use std::process::Command;

use common::{root, trackplan};

fn render(format: &str) -> String {
    common::trackplan_ok(&["docs", "--plan", "plans/accounts.yaml", "--format", format])
}

/// Cells of a Markdown table row, honouring `\|` escapes.
fn cells(row: &str) -> usize {
    let inner = row.trim().trim_start_matches('|').trim_end_matches('|');
    let mut count = 1;
    let mut escaped = false;
    for c in inner.chars() {
        match (c, escaped) {
            ('\\', false) => escaped = true,
            ('|', false) => count += 1,
            _ => escaped = false,
        }
    }
    count
}

#[test]
fn markdown_tables_are_well_formed() {
    let text = render("markdown");
    let lines: Vec<&str> = text.lines().collect();
    let mut tables = 0;
    let mut i = 0;
    while i < lines.len() {
        if lines[i].starts_with('|') {
            let header = cells(lines[i]);
            assert_eq!(header, 5, "line {}: {}", i + 1, lines[i]);
            assert!(
                i == 0 || lines[i - 1].is_empty(),
                "a table needs a blank line before it (line {})",
                i + 1
            );
            assert_eq!(
                lines[i + 1],
                "|---|---|---|---|---|",
                "separator after line {}",
                i + 1
            );
            let mut j = i + 2;
            while j < lines.len() && lines[j].starts_with('|') {
                assert_eq!(cells(lines[j]), header, "line {}: {}", j + 1, lines[j]);
                j += 1;
            }
            assert!(
                j == lines.len() || lines[j].is_empty(),
                "a table needs a blank line after it (line {})",
                j + 1
            );
            tables += 1;
            i = j;
        } else {
            i += 1;
        }
    }
    // Super properties, 10 events with properties, the SSO case of Login,
    // user properties, one group.
    assert_eq!(tables, 14);
    assert!(text.contains(
        "| `sso_provider` | string | yes | one of \"okta\", \"entra_id\", \"google_workspace\", \"other\" | The identity provider that vouched for the user. |"
    ), "{text}");
    assert!(text.contains(
        "| `attempt` | integer | yes | 1 to 10 | Which attempt this was, counting failed ones. |"
    ));
    assert!(text.contains("**Deprecated.** Send [Account Created](#account-created) instead."));
    assert!(text.contains("  - [Two Factor Enabled](#two-factor-enabled) (planned)"));
}

#[test]
fn html_page_in_a_real_browser() {
    let html = render("html");
    assert!(
        !html.contains("<script src") && !html.contains("<link") && !html.contains("@import"),
        "the page must be self-contained"
    );
    let dir = root().join("target/docs-page");
    std::fs::create_dir_all(&dir).unwrap();
    let page = dir.join("accounts.html");
    std::fs::write(&page, &html).unwrap();
    let screenshot = dir.join("accounts.png");
    let script = root().join("tests/ts/browser.mjs");
    assert!(
        std::path::Path::new("/usr/bin/chromium").exists()
            || std::env::var_os("CHROMIUM").is_some(),
        "Chromium is not installed: run `bash .ci/setup`"
    );
    let out = Command::new("node")
        .arg(script)
        .arg(&page)
        .arg(&screenshot)
        .args(["login", "session", "subscription"])
        .current_dir(root().join("tests/ts"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let seen: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(seen["errors"], serde_json::json!([]), "console errors");
    assert_eq!(
        seen["requests"],
        serde_json::json!([]),
        "the page fetched something"
    );
    assert_eq!(seen["before"].as_array().unwrap().len(), 11);
    assert_eq!(
        seen["searched"],
        serde_json::json!(["Login", "Login Failed", "Autologin"])
    );
    assert_eq!(seen["count"], "3 of 11 events · 1 user property");
    assert_eq!(
        seen["searchedOthers"],
        serde_json::json!(["user property logins"])
    );
    // A word only a group's property has: no event, the group alone.
    assert_eq!(
        seen["second"],
        serde_json::json!({
            "events": [],
            "others": ["group company"],
            "sections": ["events", "groups"],
            "count": "0 of 11 events · 1 group",
            "none": false
        })
    );
    // A tag filter is about events: the other sections step aside.
    assert_eq!(seen["taggedSections"], serde_json::json!(["events"]));
    assert_eq!(
        seen["tagged"],
        serde_json::json!(["Login", "Login Failed", "Autologin", "Logout"])
    );
    assert!(
        seen["overflow"].as_i64().unwrap() <= 0,
        "wider than a phone: {}",
        seen["overflow"]
    );
    assert!(std::fs::metadata(&screenshot).unwrap().len() > 10_000);
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
        std::fs::copy(&screenshot, root().join("docs/accounts-plan.png")).unwrap();
    }
}

/// A plan without tags, owners, super properties, user properties or
/// groups gets a page without their filters and sections; the accounts
/// plan has them all.
#[test]
fn html_shows_only_sections_and_filters_with_content() {
    let dir = tempfile::tempdir().unwrap();
    let plan = dir.path().join("bare.yaml");
    std::fs::write(
        &plan,
        "trackplan: 1\nname: Bare\nversion: 1.0.0\nevents:\n  Page Viewed:\n    properties:\n      page_url: {type: string}\n",
    )
    .unwrap();
    let out = trackplan(&["docs", "--plan", plan.to_str().unwrap(), "--format", "html"]);
    assert_eq!(out.status.code(), Some(0));
    let bare = String::from_utf8(out.stdout).unwrap();
    let full = render("html");
    for marker in [
        "id=\"tag\"",
        "id=\"owner\"",
        "<h2>Super properties</h2>",
        "<h2>User properties</h2>",
        "<h2>Groups</h2>",
    ] {
        assert!(!bare.contains(marker), "{marker} on a plan without it");
        assert!(
            full.contains(marker),
            "{marker} missing on the accounts plan"
        );
    }
    assert!(bare.contains("<h2>Events</h2>"));
}
