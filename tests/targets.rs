//! Targets of a team's own (`trackplan generate --target-dir DIR`): the
//! example in `docs/examples/python-target` generates a module that Python
//! imports for every plan (hostile names included) and that sends exactly
//! the plan's events; `--check` works as for built-in targets; a mistake
//! in a `target.toml` is reported at its place.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::root;

fn example() -> PathBuf {
    root().join("docs/examples/python-target")
}

fn generate(plan: &Path, out: &Path, extra: &[&str]) -> std::process::Output {
    let example = example();
    let mut args = vec![
        "generate",
        "--target-dir",
        example.to_str().unwrap(),
        "--plan",
        plan.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    common::trackplan(&args)
}

fn python(dir: &Path, code: &str) -> String {
    let out = Command::new("python3")
        .arg("-c")
        .arg(code)
        .current_dir(dir)
        .output()
        .expect("python3 runs");
    assert!(
        out.status.success(),
        "python: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn the_python_example_imports_for_every_plan() {
    for (name, plan) in common::ts::plans() {
        let dir = tempfile::tempdir().unwrap();
        let out = generate(&plan, dir.path(), &[]);
        assert!(
            out.status.success(),
            "{name}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let methods = python(
            dir.path(),
            "import tracking; print(len([m for m in vars(tracking.Tracker) if not m.startswith('_') or m[1:2].isdigit()]))",
        );
        // One method per event, and per member of an event's variants.
        let methods_expected: usize = trackplan::plan::load(&plan)
            .unwrap()
            .plan
            .unwrap()
            .events
            .iter()
            .map(|e| {
                e.variants
                    .as_ref()
                    .map_or(1, |v| v.members(&e.properties).len())
            })
            .sum();
        assert_eq!(
            methods.trim(),
            methods_expected.to_string(),
            "{name}: one method per event or member"
        );
    }
}

#[test]
fn the_python_example_sends_what_the_plan_says() {
    let dir = tempfile::tempdir().unwrap();
    let out = generate(&root().join("plans/accounts.yaml"), dir.path(), &[]);
    assert!(out.status.success());
    let printed = python(
        dir.path(),
        r#"
import json, tracking
sent = []
class Recorder:
    def track(self, distinct_id, event_name, properties):
        sent.append([distinct_id, event_name, properties])
t = tracking.Tracker(Recorder(), {"client_id": "py-api"})
t.page_viewed("$device:d-1", page_url="https://a.example/")
t.login_other("u-1", method="password", attempt=1, remember_me=True)
print(json.dumps(sent))
"#,
    );
    let sent: serde_json::Value = serde_json::from_str(&printed).unwrap();
    assert_eq!(
        sent,
        serde_json::json!([
            ["$device:d-1", "Page Viewed", {"client_id": "py-api", "page_url": "https://a.example/", "tracking_plan": "Accounts@2.0.0"}],
            ["u-1", "Login", {"client_id": "py-api", "method": "password", "remember_me": true, "attempt": 1, "tracking_plan": "Accounts@2.0.0"}],
        ])
    );
    // A keyword-only argument: a missing required property does not call.
    let err = Command::new("python3")
        .arg("-c")
        .arg("import tracking; tracking.Tracker(None).login_other('u-1', method='password')")
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert!(
        String::from_utf8_lossy(&err.stderr)
            .contains("missing 1 required keyword-only argument: 'attempt'")
    );
}

/// An event with variants: one method per member, each taking exactly its
/// properties, the discriminator written for it.
#[test]
fn the_python_example_sends_one_method_per_case() {
    let dir = tempfile::tempdir().unwrap();
    let out = generate(&root().join("plans/cafe.yaml"), dir.path(), &[]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let printed = python(
        dir.path(),
        r#"
import json, tracking
sent = []
class Recorder:
    def track(self, distinct_id, event_name, properties):
        sent.append({k: v for k, v in properties.items() if k != "tracking_plan"})
t = tracking.Tracker(Recorder())
line = dict(order_id="o-1", item_id="it-latte", item_name="Latte", price=3.6, currency="EUR", quantity=1)
t.purchased_item_coffee("u-1", size="large", milk="oat", **line)
t.purchased_item_other("u-1", item_type="pastry", **line)
for call in [lambda: t.purchased_item_coffee("u-1", **line), lambda: t.purchased_item_other("u-1", item_type="pastry", milk="oat", **line)]:
    try:
        call()
    except TypeError as e:
        print(e)
print(json.dumps(sent))
"#,
    );
    let mut lines = printed.lines();
    assert_eq!(
        lines.next(),
        Some("Tracker.purchased_item_coffee() missing 1 required keyword-only argument: 'size'")
    );
    assert_eq!(
        lines.next(),
        Some("Tracker.purchased_item_other() got an unexpected keyword argument 'milk'")
    );
    let sent: serde_json::Value = serde_json::from_str(lines.next().unwrap()).unwrap();
    let line = serde_json::json!({"order_id": "o-1", "item_id": "it-latte", "item_name": "Latte", "price": 3.6, "currency": "EUR", "quantity": 1});
    let with = |extra: serde_json::Value| {
        let mut v = line.clone();
        v.as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        v
    };
    assert_eq!(
        sent,
        serde_json::json!([
            with(serde_json::json!({"item_type": "coffee", "size": "large", "milk": "oat"})),
            with(serde_json::json!({"item_type": "pastry"})),
        ])
    );
}

#[test]
fn check_mode_works_with_a_target_directory() {
    let dir = tempfile::tempdir().unwrap();
    let plan = root().join("plans/cafe.yaml");
    assert_eq!(
        generate(&plan, dir.path(), &["--check"]).status.code(),
        Some(1)
    );
    assert_eq!(generate(&plan, dir.path(), &[]).status.code(), Some(0));
    assert_eq!(
        generate(&plan, dir.path(), &["--check"]).status.code(),
        Some(0)
    );
    let stale = generate(
        &root().join("plans/accounts.yaml"),
        dir.path(),
        &["--check"],
    );
    assert_eq!(stale.status.code(), Some(1));
    let text = String::from_utf8(stale.stdout).unwrap();
    assert!(
        text.contains("run `trackplan generate --target-dir "),
        "{text}"
    );
}

#[test]
fn a_mistake_in_target_toml_is_reported_where_it_is() {
    let dir = tempfile::tempdir().unwrap();
    for file in ["target.toml", "tracking.py.jinja"] {
        std::fs::copy(example().join(file), dir.path().join(file)).unwrap();
    }
    let toml = std::fs::read_to_string(dir.path().join("target.toml")).unwrap();
    std::fs::write(
        dir.path().join("target.toml"),
        toml.replace(
            "case = \"snake\"\nmax_length = 80\n\n[kinds.argument]",
            "case = \"snek\"\nmax_length = 80\n\n[kinds.argument]",
        ),
    )
    .unwrap();
    let out = common::trackplan(&[
        "generate",
        "--target-dir",
        dir.path().to_str().unwrap(),
        "--plan",
        "plans/accounts.yaml",
        "--out",
        dir.path().join("out").to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("unknown variant `snek`"), "{stderr}");
    let line = toml.lines().position(|l| l == "case = \"snake\"").unwrap() + 1;
    assert!(
        stderr.contains(&format!("target.toml:{line}:8]")),
        "{stderr}"
    );
    assert!(stderr.contains("is not valid"), "{stderr}");
    // A scope that does not exist.
    std::fs::write(
        dir.path().join("target.toml"),
        toml.replace("scopes = [\"tracker\"]", "scopes = [\"trakcer\"]"),
    )
    .unwrap();
    let out = common::trackplan(&[
        "generate",
        "--target-dir",
        dir.path().to_str().unwrap(),
        "--plan",
        "plans/accounts.yaml",
        "--out",
        dir.path().join("out").to_str().unwrap(),
    ]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("the scope `trakcer` of `method` is not in `scopes`"),
        "{stderr}"
    );
}
