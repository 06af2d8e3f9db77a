//! Generated TypeScript, compiled by the real TypeScript compiler
//! (`tsc --strict`) against the real `mixpanel-browser` and Node `mixpanel`
//! type definitions (installed in `tests/ts` by `.ci/setup`).

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::root;

fn ts_dir() -> PathBuf {
    root().join("tests/ts")
}

/// Generates the helpers for `plan` into `tests/ts/generated/<name>/`.
fn generate(plan: &Path, name: &str) -> PathBuf {
    let out = ts_dir().join("generated").join(name);
    let _ = std::fs::remove_dir_all(&out);
    let status = Command::new(env!("CARGO_BIN_EXE_trackplan"))
        .args(["generate", "typescript", "--plan"])
        .arg(plan)
        .arg("--out")
        .arg(&out)
        .status()
        .unwrap();
    assert!(status.success(), "generate failed for {}", plan.display());
    out
}

/// Runs `tsc --strict --noEmit` on `files`; returns its output when it fails.
fn tsc(files: &[PathBuf]) -> Result<(), String> {
    let tsc = ts_dir().join("node_modules/typescript/bin/tsc");
    assert!(
        tsc.exists(),
        "TypeScript is not installed: run `bash .ci/setup` (npm ci in tests/ts)"
    );
    let out = Command::new("node")
        .arg(tsc)
        .args([
            "--strict",
            "--noEmit",
            "--target",
            "es2020",
            "--lib",
            "es2020,dom",
            "--module",
            "commonjs",
            "--moduleResolution",
            "node",
            "--esModuleInterop",
            "--types",
            "node",
        ])
        .args(files)
        .current_dir(ts_dir())
        .output()
        .expect("node runs");
    if out.status.success() {
        Ok(())
    } else {
        Err(String::from_utf8_lossy(&out.stdout).into_owned())
    }
}

/// Uses the generated module with the real SDKs' clients.
const WITH_REAL_CLIENTS: &str = r#"
import mixpanel from "mixpanel-browser";
import Mixpanel = require("mixpanel");
import { init, createTracker, createServerTracker, register, SuperProperties } from "./tracking";
import { validate } from "./validation";

init(mixpanel, { validate, onViolation: (v) => console.warn(v.path, v.message) });
createTracker(mixpanel);
declare const supers: SuperProperties;
createServerTracker(Mixpanel.init("token"), supers);
register({});
"#;

#[test]
fn every_bundled_plan_compiles_strictly_against_the_real_sdks() {
    for entry in std::fs::read_dir(root().join("plans")).unwrap() {
        let plan = entry.unwrap().path();
        let name = plan.file_stem().unwrap().to_string_lossy().into_owned();
        let out = generate(&plan, &name);
        let usage = out.join("usage.ts");
        std::fs::write(&usage, WITH_REAL_CLIENTS).unwrap();
        tsc(&[out.join("tracking.ts"), out.join("validation.ts"), usage])
            .unwrap_or_else(|e| panic!("{name}: {e}"));
    }
}

#[test]
fn hostile_names_compile_and_cannot_break_out() {
    let out = generate(&common::fixture("plans/hostile.yaml"), "hostile");
    let usage = out.join("usage.ts");
    // Collisions get suffixes; keywords and digits are guarded; the wire
    // names stay exactly as in the plan.
    let calls = r#"
import { init, _class, _1stVisit, pageViewed, pageViewed2, classGroup, track } from "./tracking";
import mixpanel from "mixpanel-browser";
init(mixpanel);
_class({ type: "t", ["__proto__"]: true });
_1stVisit({ "1st page": 1 });
pageViewed({ page_url: "u", pageUrl: "v" });
pageViewed2({});
track("Quote \" and 'single'", { "it's \"quoted\"": "*/" });
track("${x}", { "${y}": null });
track("Emoji 🎉 Launched", { "🎉": ["a"], "nested */": { delete: true } });
classGroup("g").set({ new: "n" });
"#;
    std::fs::write(&usage, calls).unwrap();
    tsc(&[out.join("tracking.ts"), out.join("validation.ts"), usage]).unwrap();
    let text = std::fs::read_to_string(out.join("tracking.ts")).unwrap();
    assert!(
        !text.contains("${x}\n") && !text.contains("*/ alert"),
        "a name broke out of a string or comment"
    );
}

#[test]
fn wrong_calls_do_not_compile() {
    let out = generate(&root().join("plans/accounts.yaml"), "accounts-types");
    // Each call below must be rejected; an unused @ts-expect-error fails.
    let type_tests = r#"
import mixpanel from "mixpanel-browser";
import { init, login, pageViewed, people, track, companyGroup } from "./tracking";
init(mixpanel);

login({ method: "password", attempt: 1 });
pageViewed({ page_url: "https://a.example/", page_title: "Home" });
track("Logout", { reason: "user" });
people.set({ age: 34, gender: "female" });
people.increment({ logins: 1 });
people.union({ interests: ["rust"] });
people.append({ interests: "rust" });
people.unset(["age"]);
companyGroup("acme").set({ plan: "pro", seats: 3 });

// @ts-expect-error a required property is missing
login({ method: "password" });
// @ts-expect-error an enum value outside the list
login({ method: "sms", attempt: 1 });
// @ts-expect-error a property the plan does not declare
pageViewed({ page_url: "https://a.example/", colour: "red" });
// @ts-expect-error a wrong type
login({ method: "password", attempt: "2" });
// @ts-expect-error an event the plan does not define
track("Coupon Applied", {});
// @ts-expect-error a trait of the wrong type
people.set({ age: "thirty" });
// @ts-expect-error $add only on numeric traits
people.increment({ gender: 1 });
// @ts-expect-error $union only on list traits
people.union({ age: [1] });
// @ts-expect-error unset only names of the plan
people.unset(["shoe_size"]);
// @ts-expect-error a group plan outside the list
companyGroup("acme").set({ plan: "gold" });
"#;
    let file = out.join("type_tests.ts");
    std::fs::write(&file, type_tests).unwrap();
    tsc(&[out.join("tracking.ts"), file]).unwrap();
}

/// Drives the generated helpers under Node with recording clients.
const RUNTIME: &str = r#"
import { createServerTracker, createTracker, ServerClient, BrowserClient, Violation } from "./tracking";
import { validate } from "./validation";

const records: unknown[] = [];
const server: ServerClient = {
  track: (event, properties) => { records.push({ event, properties }); },
  people: {
    set: (id, p) => { records.push({ $distinct_id: id, $set: p }); },
    set_once: (id, p) => { records.push({ $distinct_id: id, $set_once: p }); },
    increment: (id, p) => { records.push({ $distinct_id: id, $add: p }); },
    union: (id, p) => { records.push({ $distinct_id: id, $union: p }); },
  },
  groups: {
    set: (key, id, p) => { records.push({ $group_key: key, $group_id: id, $set: p }); },
    set_once: (key, id, p) => { records.push({ $group_key: key, $group_id: id, $set_once: p }); },
  },
};
const tracker = createServerTracker(server, { client_id: "account-api" });
const visitor = { distinct_id: "$device:d-1", $device_id: "d-1" };
const user = { distinct_id: "u-1", $user_id: "u-1", $device_id: "d-1" };
tracker.pageViewed({ ...visitor, page_url: "https://accounts.example.com/login" });
tracker.login({ ...user, method: "password", attempt: 1, remember_me: true });
tracker.autologin({ ...user, session_age_days: 3 });
tracker.logout({ ...user, reason: "user" });
tracker.people.set("u-1", { age: 34, gender: "female" });
tracker.companyGroup("acme", { plan: "pro", seats: 12 });

// The optional validation, on a call the types would refuse.
const violations: Violation[] = [];
const browser: BrowserClient = {
  track: () => {}, register: () => {},
  people: { set: () => {}, set_once: () => {}, increment: () => {}, union: () => {}, append: () => {}, remove: () => {}, unset: () => {} },
  get_group: () => ({ set: () => undefined, set_once: () => undefined }),
};
const checked = createTracker(browser, { validate, onViolation: (v) => violations.push(v) });
checked.login({ method: "sms", attempt: "2" } as any);
console.log(JSON.stringify({ records, violations }));
"#;

#[test]
fn generated_helpers_send_exactly_what_the_plan_allows() {
    let out = generate(&root().join("plans/accounts.yaml"), "runtime");
    std::fs::write(out.join("run.ts"), RUNTIME).unwrap();
    let tsc = ts_dir().join("node_modules/typescript/bin/tsc");
    let build = out.join("build");
    let compiled = Command::new("node")
        .arg(&tsc)
        .args([
            "--strict",
            "--target",
            "es2020",
            "--lib",
            "es2020,dom",
            "--module",
            "commonjs",
            "--moduleResolution",
            "node",
            "--types",
            "node",
            "--outDir",
        ])
        .arg(&build)
        .args([
            out.join("tracking.ts"),
            out.join("validation.ts"),
            out.join("run.ts"),
        ])
        .current_dir(ts_dir())
        .output()
        .unwrap();
    assert!(
        compiled.status.success(),
        "{}",
        String::from_utf8_lossy(&compiled.stdout)
    );
    let ran = Command::new("node")
        .arg(build.join("run.js"))
        .output()
        .unwrap();
    assert!(
        ran.status.success(),
        "{}",
        String::from_utf8_lossy(&ran.stderr)
    );
    let result: serde_json::Value = serde_json::from_slice(&ran.stdout).unwrap();
    let plan = "Accounts@1.2.0";
    let expected = serde_json::json!([
        {"event": "Page Viewed", "properties": {"client_id": "account-api", "distinct_id": "$device:d-1", "$device_id": "d-1", "page_url": "https://accounts.example.com/login", "tracking_plan": plan}},
        {"event": "Login", "properties": {"client_id": "account-api", "distinct_id": "u-1", "$user_id": "u-1", "$device_id": "d-1", "method": "password", "attempt": 1, "remember_me": true, "tracking_plan": plan}},
        {"event": "Autologin", "properties": {"client_id": "account-api", "distinct_id": "u-1", "$user_id": "u-1", "$device_id": "d-1", "session_age_days": 3, "tracking_plan": plan}},
        {"event": "Logout", "properties": {"client_id": "account-api", "distinct_id": "u-1", "$user_id": "u-1", "$device_id": "d-1", "reason": "user", "tracking_plan": plan}},
        {"$distinct_id": "u-1", "$set": {"age": 34, "gender": "female"}},
        {"$group_key": "company", "$group_id": "acme", "$set": {"plan": "pro", "seats": 12}},
    ]);
    assert_eq!(result["records"], expected);
    let violations: Vec<(&str, &str)> = result["violations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| (v["path"].as_str().unwrap(), v["message"].as_str().unwrap()))
        .collect();
    assert_eq!(
        violations,
        vec![
            (
                "properties.method",
                "expected one of [\"password\",\"google\",\"facebook\",\"autologin\"], found \"sms\""
            ),
            ("properties.attempt", "expected integer, found string"),
        ]
    );
    // What the helpers sent passes `trackplan check` with no violation at all.
    let ndjson: String = expected
        .as_array()
        .unwrap()
        .iter()
        .map(|r| format!("{r}\n"))
        .collect();
    let file = out.join("sent.ndjson");
    std::fs::write(&file, ndjson).unwrap();
    let check = common::trackplan(&[
        "check",
        "--format",
        "json",
        "--plan",
        "plans/accounts.yaml",
        file.to_str().unwrap(),
    ]);
    let text = String::from_utf8(check.stdout).unwrap();
    let summary: serde_json::Value = serde_json::from_str(text.lines().last().unwrap()).unwrap();
    assert_eq!(
        (
            summary["errors"].as_u64(),
            summary["warnings"].as_u64(),
            summary["records"].as_u64()
        ),
        (Some(0), Some(0), Some(6)),
        "{text}"
    );
    assert_eq!(check.status.code(), Some(0));
}
