//! Generated TypeScript in the projects people have, compiled by the real
//! compilers (TypeScript 5.9 and 7) against the real SDKs' type
//! definitions: a stock Vite react-ts app (`tsc -b`, then `vite build`), a
//! NodeNext service as ES modules and as CommonJS (emitted and run under
//! Node), and every strictness option TypeScript has. Every plan of the
//! repository and the hostile-names fixture, imported through `index.ts`.
//! Wrong calls do not compile; the helpers send exactly what the plan
//! allows; the README's lines are the ones compiled here.

mod common;

use std::path::Path;

use common::ts::{self, COMPILERS, Tsc};
use common::{fixture, root};

/// Copies `file` of the project setup into `dir`, for one plan's subdirectory.
fn copy_usage(project: &str, file: &str, dir: &Path) {
    let from = ts::ts_dir()
        .join("projects")
        .join(project)
        .join("src")
        .join(file);
    std::fs::copy(&from, dir.join(file)).unwrap_or_else(|e| panic!("{}: {e}", from.display()));
}

/// A project with every plan's output in `src/<plan>/tracking` beside the
/// setup's own usage files.
fn with_every_plan(project: &str, name: &str, usage: &[&str]) -> std::path::PathBuf {
    let dir = ts::project(project, name);
    for (plan, path) in ts::plans() {
        let sub = dir.join("src").join(&plan);
        ts::generate(&path, &sub.join("tracking"));
        for file in usage {
            copy_usage(project, file, &sub);
        }
    }
    for file in usage {
        std::fs::remove_file(dir.join("src").join(file)).unwrap();
    }
    dir
}

#[test]
fn the_compilers_are_typescript_5_9_and_7() {
    let version = |tsc: Tsc| {
        let out = std::process::Command::new("node")
            .arg(tsc.bin())
            .arg("--version")
            .output()
            .unwrap();
        String::from_utf8(out.stdout).unwrap()
    };
    assert!(
        version(Tsc::V5).starts_with("Version 5.9."),
        "{}",
        version(Tsc::V5)
    );
    assert!(
        version(Tsc::V7).starts_with("Version 7."),
        "{}",
        version(Tsc::V7)
    );
}

#[test]
fn every_plan_builds_in_a_stock_vite_react_app() {
    let dir = with_every_plan("vite-react-ts", "vite", &["App.tsx"]);
    // The app renders every plan's component, each importing `./tracking`.
    let plans = ts::plans();
    let mut app = String::new();
    for (i, (plan, _)) in plans.iter().enumerate() {
        app.push_str(&format!("import App{i} from './{plan}/App.tsx'\n"));
    }
    app.push_str("\nfunction App() {\n  return (\n    <>\n");
    for i in 0..plans.len() {
        app.push_str(&format!("      <App{i} />\n"));
    }
    app.push_str("    </>\n  )\n}\n\nexport default App\n");
    std::fs::write(dir.join("src/App.tsx"), app).unwrap();
    for tsc in COMPILERS {
        // `npm run build` is `tsc -b && vite build`; -b keeps build info.
        let _ = std::fs::remove_dir_all(dir.join("node_modules"));
        tsc.run(&dir, &["-b"]).unwrap();
    }
    let vite = ts::ts_dir().join("node_modules/vite/bin/vite.js");
    let out = std::process::Command::new("node")
        .arg(vite)
        .args(["build", "--logLevel", "error"])
        .current_dir(&dir)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "vite build: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(dir.join("dist/index.html").exists());
}

#[test]
fn every_plan_compiles_and_runs_in_a_node_service_as_es_modules_and_commonjs() {
    for project in ["node-service", "node-commonjs"] {
        let dir = with_every_plan(project, project, &["server.ts", "run.ts"]);
        for tsc in COMPILERS {
            let _ = std::fs::remove_dir_all(dir.join("dist"));
            tsc.run(&dir, &["-p", "."]).unwrap();
            for (plan, _) in ts::plans() {
                let emitted = format!("dist/{plan}/tracking/tracking.js");
                let js = std::fs::read_to_string(dir.join(&emitted)).unwrap();
                let commonjs = js.contains("exports.");
                assert_eq!(commonjs, project == "node-commonjs", "{project} {emitted}");
                let printed = ts::node(&dir, &format!("dist/{plan}/run.js"), None);
                assert_eq!(
                    printed.trim(),
                    r#"[["u-1",{}],["u-1",[]]]"#,
                    "{project} {plan} {tsc:?}"
                );
            }
        }
    }
}

#[test]
fn every_plan_compiles_under_every_strictness_option() {
    let dir = with_every_plan("strictest", "strictest", &["usage.ts"]);
    for tsc in COMPILERS {
        tsc.run(&dir, &["-p", "."]).unwrap();
    }
}

/// A strictest project with the accounts plan in `src/tracking` and `code`
/// in `src/usage.ts`, compiled by both compilers.
fn strictest_with(plan: &Path, name: &str, code: &str) -> Result<(), String> {
    let dir = ts::project("strictest", name);
    ts::generate(plan, &dir.join("src/tracking"));
    std::fs::write(dir.join("src/usage.ts"), code).unwrap();
    for tsc in COMPILERS {
        tsc.run(&dir, &["-p", "."])?;
    }
    Ok(())
}

/// The starter plan `trackplan init` writes compiles under the strictest
/// settings, its events and user property callable as a user would.
#[test]
fn the_starter_plan_of_init_compiles() {
    let calls = r#"
import { init, pageViewed, login, autologin, people, type BrowserClient } from "./tracking/index.js";
export function use(client: BrowserClient): void {
  init(client);
  pageViewed({ page_url: "https://example.com/" });
  login({ method: "google" });
  autologin({ session_age_days: 3 });
  people.set({ plan: "pro", $email: "a@example.com" });
}
"#;
    strictest_with(
        &root().join("templates/init/trackplan.yaml"),
        "starter",
        calls,
    )
    .unwrap();
}

#[test]
fn hostile_names_compile_and_cannot_break_out() {
    // Collisions get numbers, keywords and the module's own names a `_`,
    // leading digits `_` (`T` for types); the wire names stay as written.
    let calls = r#"
import { init, class_, _1stVisit, pageViewed, pageViewed2, classGroup, track, type BrowserClient } from "./tracking/index.js";
export function use(client: BrowserClient): void {
  init(client);
  class_({ type: "t", ["__proto__"]: true });
  _1stVisit({ "1st page": 1 });
  pageViewed({ page_url: "u", pageUrl: "v" });
  pageViewed2({});
  track("Quote \" and 'single'", { "it's \"quoted\"": "*/" });
  track("${x}", { "${y}": null });
  track("Emoji 🎉 Launched", { "🎉": ["a"], "nested */": { delete: true } });
  classGroup("g").set({ new: "n" });
}
"#;
    strictest_with(&fixture("plans/hostile.yaml"), "hostile", calls).unwrap();
    let text = std::fs::read_to_string(ts::ts_dir().join("work/hostile/src/tracking/tracking.ts"))
        .unwrap();
    assert!(
        !text.contains("${x}\n") && !text.contains("*/ alert"),
        "a name broke out of a string or comment"
    );
}

#[test]
fn wrong_calls_do_not_compile() {
    // Each call below must be rejected; an unused @ts-expect-error fails.
    let type_tests = r#"
import { init, login, pageViewed, people, track, companyGroup, createTracker, createServerTracker, type BrowserClient, type ServerClient } from "./tracking/index.js";
export function use(client: BrowserClient, server: ServerClient): void {
init(client);

login({ method: "password", attempt: 1 });
login({ method: "password", attempt: 1, remember_me: undefined });
pageViewed({ page_url: "https://a.example/", page_title: "Home" });
track("Logout", { reason: "user" });
people.set({ age: 34, gender: "female" });
people.increment({ logins: 1 });
people.union({ interests: ["rust"] });
people.append({ interests: "rust" });
people.unset(["age"]);
companyGroup("acme").set({ plan: "pro", seats: 3 });
createTracker(client).companyGroup("acme").set_once({ plan: "pro" });
createServerTracker(server, { client_id: "api" }).login({ distinct_id: "u-1", method: "google", attempt: 2 });

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
// @ts-expect-error a server event says who it is about
createServerTracker(server, { client_id: "api" }).login({ method: "google", attempt: 2 });
}
"#;
    strictest_with(
        &root().join("plans/accounts.yaml"),
        "accounts-types",
        type_tests,
    )
    .unwrap();
}

/// Variants are discriminated unions: each case takes exactly its own
/// properties, the default case the values without one, and a property a
/// case lists as absent cannot be given.
#[test]
fn wrong_variant_calls_do_not_compile() {
    let type_tests = r#"
import { init, purchasedItem, orderStatus, track_, login, parcelSent, createServerTracker, type BrowserClient, type ServerClient } from "./tracking/index.js";
export function use(client: BrowserClient, server: ServerClient): void {
init(client);

purchasedItem({ item_type: "drink", price: 3, size: "small", milk: "oat" });
purchasedItem({ item_type: "drink", price: 3, size: "large" });
purchasedItem({ item_type: "food", price: 3 });
purchasedItem({ item_type: "merchandise", price: 9 });
orderStatus({ code: 2, carrier: "dhl" });
orderStatus({ code: 3 });
orderStatus({ code: 1 });
track_({ type: "class", Track: "x" });
track_({ type: "default", register: true });
track_({ type: "enum" });
login({ sso: true, provider: "okta" });
login({ sso: false });
createServerTracker(server, {}).login({ distinct_id: "u-1", sso: true, provider: "google" });
parcelSent({ main: { shape: "box", weight: 250, lid: true }, extras: [{ shape: "tube", weight: 90, length: 600 }, { shape: "envelope", weight: 20 }], seal: { kind: 2, colour: "red" } });
parcelSent({ main: { shape: "envelope", weight: 20 }, seal: { kind: 1 } });

// @ts-expect-error a drink without its size
purchasedItem({ item_type: "drink", price: 3 });
// @ts-expect-error a pastry with a milk choice
purchasedItem({ item_type: "food", price: 3, milk: "oat" });
// @ts-expect-error food has no size
purchasedItem({ item_type: "food", price: 3, size: "small" });
// @ts-expect-error merchandise (the default case) has no size
purchasedItem({ item_type: "merchandise", price: 9, size: "large" });
// @ts-expect-error a value no case nor the enum has
purchasedItem({ item_type: "cake", price: 9 });
// @ts-expect-error a shipped order names its carrier
orderStatus({ code: 2 });
// @ts-expect-error a placed order has no carrier
orderStatus({ code: 1, carrier: "dhl" });
// @ts-expect-error a code outside the enum
orderStatus({ code: 4 });
// @ts-expect-error the case keyed by a keyword needs its property
track_({ type: "class" });
// @ts-expect-error an SSO login names its provider
login({ sso: true });
// @ts-expect-error a login without SSO has no provider
login({ sso: false, provider: "okta" });
// @ts-expect-error a server event says who it is about
createServerTracker(server, {}).login({ sso: false });
// @ts-expect-error a box says whether it has a lid
parcelSent({ main: { shape: "box", weight: 250 } });
// @ts-expect-error a box has no length (in a list too)
parcelSent({ main: { shape: "envelope", weight: 20 }, extras: [{ shape: "box", weight: 1, lid: false, length: 3 }] });
// @ts-expect-error a tube has its length
parcelSent({ main: { shape: "tube", weight: 90 } });
// @ts-expect-error a tape seal has no colour
parcelSent({ main: { shape: "envelope", weight: 20 }, seal: { kind: 1, colour: "red" } });
}
"#;
    strictest_with(
        &fixture("plans/variants.yaml"),
        "variants-types",
        type_tests,
    )
    .unwrap();
}

/// The README's TypeScript, compiled as written in the Vite app: each line
/// commented `// error TS....` must fail with that error.
#[test]
fn the_readme_lines_are_the_ones_compiled() {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let block = readme
        .split("```ts\n")
        .nth(1)
        .and_then(|rest| rest.split("```").next())
        .expect("a ```ts block in the README");
    let mut code = String::new();
    let mut expected = Vec::new();
    for line in block.lines() {
        if let Some((_, error)) = line.split_once("// error ") {
            code.push_str("// @ts-expect-error\n");
            expected.push(error.split(':').next().unwrap_or_default().to_owned());
        }
        code.push_str(line);
        code.push('\n');
    }
    assert!(code.contains("from \"./tracking\""), "{code}");
    let dir = ts::project("vite-react-ts", "readme");
    ts::generate(
        &root().join("plans/accounts.yaml"),
        &dir.join("src/tracking"),
    );
    std::fs::write(
        dir.join("src/App.tsx"),
        format!("{code}\nexport default function App() {{ return null }}\n"),
    )
    .unwrap();
    for tsc in COMPILERS {
        let _ = std::fs::remove_dir_all(dir.join("node_modules"));
        tsc.run(&dir, &["-b"]).unwrap();
    }
    // Without the directives, the errors are the ones the README names.
    let without: String = code
        .lines()
        .filter(|l| !l.contains("@ts-expect-error"))
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::write(
        dir.join("src/App.tsx"),
        format!("{without}\nexport default function App() {{ return null }}\n"),
    )
    .unwrap();
    let _ = std::fs::remove_dir_all(dir.join("node_modules"));
    let errors = Tsc::V5.run(&dir, &["-b"]).unwrap_err();
    for code in &expected {
        assert!(errors.contains(code.trim()), "{code} not in {errors}");
    }
}

/// Drives the generated helpers under Node (ES modules) with recording
/// clients: what they send, what runtime validation reports, what happens
/// before `init`, when a client throws, and in strict mode.
const RUNTIME: &str = r#"
import { createServerTracker, createTracker, init, login, people, register, track, companyGroup, TrackingError, type ServerClient, type BrowserClient, type Violation } from "./tracking/index.js";
import { validate } from "./tracking/validation.js";

const records: unknown[] = [];
const server: ServerClient = {
  track: (event, properties) => { records.push({ event, properties }); },
  people: {
    set: (id, p) => { records.push({ $distinct_id: id, $set: p }); },
    set_once: (id, p) => { records.push({ $distinct_id: id, $set_once: p }); },
    increment: (id, p) => { records.push({ $distinct_id: id, $add: p }); },
    union: (id, p) => { records.push({ $distinct_id: id, $union: p }); },
    append: (id, p) => { records.push({ $distinct_id: id, $append: p }); },
    remove: (id, p) => { records.push({ $distinct_id: id, $remove: p }); },
    unset: (id, p) => { records.push({ $distinct_id: id, $unset: p }); },
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
tracker.companyGroup("acme").set({ plan: "pro", seats: 12 });

// A browser client that records, and one that throws.
const calls: unknown[] = [];
const browser = (log: unknown[], fail = false): BrowserClient => {
  const note = (name: string) => (...args: unknown[]) => { if (fail) throw new Error(`${name} failed`); log.push([name, ...args]); };
  return {
    track: note("track"), register: note("register"),
    people: { set: note("set"), set_once: note("set_once"), increment: note("increment"), union: note("union"), append: note("append"), remove: note("remove"), unset: note("unset") },
    get_group: (key: string, id: string) => ({ set: note(`group ${key} ${id} set`), set_once: note(`group ${key} ${id} set_once`) }),
  };
};

// Before init, every helper's call is kept, then made at init, in order.
login({ method: "google", attempt: 1 });
register({ client_id: "web-shop" });
people.set({ age: 1 });
companyGroup("acme").set({ seats: 2 });
const violations: Violation[] = [];
init(browser(calls), { validate, onViolation: (v) => violations.push(v), sendPlanVersion: false });
track("Logout", { reason: "expired" });

// The optional validation, on a call the types would refuse.
const checked = createTracker(browser([]), { validate, onViolation: (v) => violations.push(v) });
checked.login({ method: "sms", attempt: "2" } as any);

// A client that throws: tracking does not, and onError hears of it.
const errors: string[] = [];
const failing = createTracker(browser([], true), { onError: (e) => errors.push(String(e)) });
failing.login({ method: "password", attempt: 1 });
failing.people.unset(["age"]);

// Strict mode: a violation throws a TrackingError, a client error too.
const thrown: string[] = [];
try {
  createTracker(browser([]), { validate, strict: true }).login({ method: "sms", attempt: 1 } as any);
} catch (e) {
  thrown.push(e instanceof TrackingError ? `TrackingError ${e.violations.map((v) => v.rule).join(",")}` : String(e));
}
try {
  createTracker(browser([], true), { strict: true }).login({ method: "password", attempt: 1 });
} catch (e) {
  thrown.push(String(e));
}
console.log(JSON.stringify({ records, calls, violations, errors, thrown }));
"#;

#[test]
fn generated_helpers_send_exactly_what_the_plan_allows() {
    let dir = ts::project("node-service", "runtime");
    ts::generate(
        &root().join("plans/accounts.yaml"),
        &dir.join("src/tracking"),
    );
    std::fs::remove_file(dir.join("src/server.ts")).unwrap();
    std::fs::write(dir.join("src/run.ts"), RUNTIME).unwrap();
    Tsc::V5.run(&dir, &["-p", "."]).unwrap();
    let printed = ts::node(&dir, "dist/run.js", None);
    let result: serde_json::Value = serde_json::from_str(&printed).unwrap();
    let plan = "Accounts@2.0.0";
    let expected = serde_json::json!([
        {"event": "Page Viewed", "properties": {"client_id": "account-api", "distinct_id": "$device:d-1", "$device_id": "d-1", "page_url": "https://accounts.example.com/login", "tracking_plan": plan}},
        {"event": "Login", "properties": {"client_id": "account-api", "distinct_id": "u-1", "$user_id": "u-1", "$device_id": "d-1", "method": "password", "attempt": 1, "remember_me": true, "tracking_plan": plan}},
        {"event": "Autologin", "properties": {"client_id": "account-api", "distinct_id": "u-1", "$user_id": "u-1", "$device_id": "d-1", "session_age_days": 3, "tracking_plan": plan}},
        {"event": "Logout", "properties": {"client_id": "account-api", "distinct_id": "u-1", "$user_id": "u-1", "$device_id": "d-1", "reason": "user", "tracking_plan": plan}},
        {"$distinct_id": "u-1", "$set": {"age": 34, "gender": "female"}},
        {"$group_key": "company", "$group_id": "acme", "$set": {"plan": "pro", "seats": 12}},
    ]);
    assert_eq!(result["records"], expected);
    // The calls made before init, in order, then the one after.
    assert_eq!(
        result["calls"],
        serde_json::json!([
            ["track", "Login", {"method": "google", "attempt": 1}],
            ["register", {"client_id": "web-shop"}],
            ["set", {"age": 1}],
            ["group company acme set", {"seats": 2}],
            ["track", "Logout", {"reason": "expired"}],
        ])
    );
    let violations: Vec<(&str, &str, &str, &str)> = result["violations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| {
            (
                v["rule"].as_str().unwrap(),
                v["path"].as_str().unwrap(),
                v["expected"].as_str().unwrap(),
                v["found"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        violations,
        vec![
            (
                "not-in-enum",
                "properties.method",
                "one of \"password\", \"google\", \"facebook\", \"sso\", \"autologin\"",
                "string \"sms\""
            ),
            (
                "wrong-type",
                "properties.attempt",
                "integer",
                "string \"2\""
            ),
        ]
    );
    assert_eq!(
        result["violations"][1]["message"],
        "properties.attempt: expected integer, found string \"2\""
    );
    assert_eq!(
        result["errors"],
        serde_json::json!(["Error: track failed", "Error: unset failed"])
    );
    assert_eq!(
        result["thrown"],
        serde_json::json!(["TrackingError not-in-enum", "Error: track failed"])
    );
    // What the helpers sent passes `trackplan check` with no violation at all.
    let ndjson: String = expected
        .as_array()
        .unwrap()
        .iter()
        .map(|r| format!("{r}\n"))
        .collect();
    let file = dir.join("sent.ndjson");
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

#[test]
fn calls_beyond_the_queue_before_init_are_dropped_and_reported() {
    let code = r#"
import { init, logout, type BrowserClient } from "./tracking/index.js";
const sent: unknown[] = [];
const errors: string[] = [];
for (let i = 0; i < 1005; i += 1) {
  logout({ reason: "user" });
}
const client = { track: (name: string) => { sent.push(name); } } as unknown as BrowserClient;
init(client, { onError: (e) => errors.push(String(e)) });
console.log(JSON.stringify({ sent: sent.length, errors }));
"#;
    let dir = ts::project("node-service", "queue");
    ts::generate(
        &root().join("plans/accounts.yaml"),
        &dir.join("src/tracking"),
    );
    std::fs::remove_file(dir.join("src/server.ts")).unwrap();
    std::fs::write(dir.join("src/run.ts"), code).unwrap();
    Tsc::V7.run(&dir, &["-p", "."]).unwrap();
    let result: serde_json::Value =
        serde_json::from_str(&ts::node(&dir, "dist/run.js", None)).unwrap();
    assert_eq!(
        result,
        serde_json::json!({"sent": 1000, "errors": ["TrackingError: trackplan: 5 calls made before init() were dropped (at most 1000 are kept)"]})
    );
}
