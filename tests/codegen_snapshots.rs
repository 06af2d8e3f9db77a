//! The generated code for the bundled plans, pinned. After an intended
//! change, review and accept with `INSTA_UPDATE=always cargo test --test
//! codegen_snapshots` (or `cargo insta review`).

mod common;

use trackplan::codegen::{Target, generate};

fn target(name: &str) -> Target {
    Target::builtin(name).unwrap()
}

fn snapshot(plan: &str, name: &str) {
    let loaded =
        trackplan::plan::load(&common::root().join("plans").join(format!("{plan}.yaml"))).unwrap();
    let plan_value = loaded.plan.unwrap();
    for file in generate(&plan_value, &target(name), None).unwrap() {
        let name = format!(
            "{plan}-{name}-{}",
            file.path.display().to_string().replace('/', "-")
        );
        insta::assert_snapshot!(name, file.contents);
    }
}

#[test]
fn accounts_typescript() {
    snapshot("accounts", "typescript");
}

#[test]
fn cafe_typescript() {
    snapshot("cafe", "typescript");
}

#[test]
fn accounts_rust() {
    snapshot("accounts", "rust");
}

#[test]
fn cafe_rust() {
    snapshot("cafe", "rust");
}

#[test]
fn templates_can_be_replaced_from_a_directory() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("tracking.ts.jinja"),
        "// {{ plan.name }}\n{% for e in plan.events %}export const {{ e.names.function }} = {{ e.name | string }};\n{% endfor %}",
    )
    .unwrap();
    let loaded = trackplan::plan::load(&common::root().join("plans/accounts.yaml")).unwrap();
    let files = generate(
        loaded.plan.as_ref().unwrap(),
        &target("typescript"),
        Some(dir.path()),
    )
    .unwrap();
    assert!(
        files[0]
            .contents
            .starts_with("// Accounts\nexport const pageViewed = \"Page Viewed\";\n"),
        "{}",
        files[0].contents
    );
    // The other template is still the built-in one.
    assert!(files[1].contents.contains("export function validate("));
    std::fs::write(
        dir.path().join("tracking.ts.jinja"),
        "{% for e in plan.events %}",
    )
    .unwrap();
    let err = generate(
        loaded.plan.as_ref().unwrap(),
        &target("typescript"),
        Some(dir.path()),
    )
    .unwrap_err();
    assert!(
        err.to_string().starts_with("template `tracking.ts.jinja`"),
        "{err}"
    );
}

#[test]
fn check_mode_reports_stale_files() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().to_str().unwrap();
    let run = |extra: &[&str]| {
        let mut args = vec![
            "generate",
            "typescript",
            "--plan",
            "plans/accounts.yaml",
            "--out",
            out,
        ];
        args.extend_from_slice(extra);
        common::trackplan(&args)
    };
    let first = run(&["--check"]);
    assert_eq!(first.status.code(), Some(1), "nothing generated yet");
    assert_eq!(run(&[]).status.code(), Some(0));
    assert_eq!(run(&["--check"]).status.code(), Some(0));
    std::fs::write(dir.path().join("tracking.ts"), "// edited by hand\n").unwrap();
    let stale = run(&["--check"]);
    assert_eq!(stale.status.code(), Some(1));
    let text = String::from_utf8(stale.stdout).unwrap();
    assert!(
        text.starts_with(&format!("out of date: {out}/tracking.ts\n")),
        "{text}"
    );
}
