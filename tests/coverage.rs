//! Traffic coverage (`check --coverage`, the JSON summary's `coverage`,
//! `--min-coverage`, `serve`'s report): exact against an oracle written
//! here from the plan and the decoded records alone (plain
//! `serde_json::Value` comparisons, none of the checker's code), on the
//! three SDK captures and on the 100,000-event corpus; the human form and
//! the exit codes as a user sees them.

mod common;
#[path = "../benches/corpus.rs"]
mod corpus;

use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;
use std::sync::Arc;

use serde_json::{Value, json};
use trackplan::check::coverage::Summary;
use trackplan::check::identity::Identity;
use trackplan::check::{self, CompiledPlan, Report};
use trackplan::format::PropertyType;
use trackplan::payload::input::{InputFormat, read_input};
use trackplan::payload::{Item, RecordKind};
use trackplan::plan::{Plan, Property};

fn plan(name: &str) -> Plan {
    trackplan::plan::load(&common::root().join(name))
        .unwrap()
        .plan
        .unwrap()
}

/// Counts keyed by what they count: `("event", "Login")`,
/// `("present", "Login.method")`, `("null", …)`, `("value",
/// "Login.method=password")`; `user` and `group:KEY` in place of an event.
type Tally = BTreeMap<(String, String), u64>;

/// The counts a summary reports, as a [`Tally`] without zeros.
fn reported(summary: &Summary) -> Tally {
    let mut out = Tally::new();
    let mut add = |kind: &str, key: String, n: u64| {
        if n > 0 {
            *out.entry((kind.to_owned(), key)).or_default() += n;
        }
    };
    let mut properties = |owner: &str, list: &[trackplan::check::coverage::PropertySummary]| {
        for p in list {
            add("present", format!("{owner}.{}", p.name), p.present);
            add("null", format!("{owner}.{}", p.name), p.null);
            for v in &p.values {
                add("value", format!("{owner}.{}={}", p.name, v.value), v.count);
            }
        }
    };
    for e in &summary.per_event {
        properties(&e.name, &e.properties);
    }
    properties("super", &summary.super_properties);
    properties("user", &summary.user_properties);
    for g in &summary.groups {
        properties(&format!("group:{}", g.key), &g.properties);
    }
    for e in &summary.per_event {
        if e.records > 0 {
            out.insert(("event".into(), e.name.clone()), e.records);
        }
    }
    if summary.profile_updates > 0 {
        out.insert(("event".into(), "user".into()), summary.profile_updates);
    }
    for g in &summary.groups {
        if g.records > 0 {
            out.insert(("event".into(), format!("group:{}", g.key)), g.records);
        }
    }
    out
}

/// The enum values of a property: its own, or its list items'.
fn enum_of(p: &Property) -> (Vec<Value>, bool) {
    if let Some(allowed) = &p.schema.allowed {
        return (allowed.clone(), false);
    }
    match (&p.schema.items, p.schema.ty) {
        (Some(items), PropertyType::List) => (items.allowed.clone().unwrap_or_default(), true),
        _ => (Vec::new(), false),
    }
}

/// Equal as the plan compares enum values: numbers by value.
fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        _ => a == b,
    }
}

/// Counts one property sent as `value` to `owner`'s declared `p`.
fn count(out: &mut Tally, owner: &str, p: &Property, value: &Value, one_item: bool) {
    let key = format!("{owner}.{}", p.name);
    *out.entry(("present".into(), key.clone())).or_default() += 1;
    if value.is_null() {
        *out.entry(("null".into(), key)).or_default() += 1;
        return;
    }
    let (allowed, list) = enum_of(p);
    let sent: Vec<&Value> = match (list, value) {
        (true, _) if one_item => vec![value],
        (true, Value::Array(items)) => items.iter().collect(),
        (true, _) => Vec::new(),
        (false, v) => vec![v],
    };
    for v in sent {
        if let Some(own) = allowed.iter().find(|own| same(own, v)) {
            *out.entry(("value".into(), format!("{key}={own}")))
                .or_default() += 1;
        }
    }
}

/// What the plan's declared properties of an event are: the super
/// properties, its own, and those of each of its cases (first definition
/// of a name wins, enum values merged).
fn declared(plan: &Plan, event: &trackplan::plan::Event) -> Vec<(Property, bool)> {
    let mut out: Vec<(Property, bool)> = Vec::new();
    let mut add =
        |p: &Property, is_super: bool| match out.iter_mut().find(|(q, _)| q.name == p.name) {
            Some((q, _)) => {
                let (more, _) = enum_of(p);
                if let Some(allowed) = q.schema.allowed.as_mut() {
                    for v in more {
                        if !allowed.iter().any(|a| same(a, &v)) {
                            allowed.push(v);
                        }
                    }
                }
            }
            None => out.push((p.clone(), is_super)),
        };
    for p in &plan.super_properties {
        add(p, true);
    }
    for p in &event.properties {
        add(p, false);
    }
    if let Some(variants) = &event.variants {
        for case in variants.all() {
            for p in &case.properties {
                add(p, false);
            }
        }
    }
    out
}

/// The oracle: the counts the plan's coverage must show for `values`.
fn oracle(plan: &Plan, values: &[(RecordKind, Value)]) -> Tally {
    let mut out = Tally::new();
    for (kind, value) in values {
        match kind {
            RecordKind::Event => {
                let Some(event) = value["event"]
                    .as_str()
                    .and_then(|n| plan.events.iter().find(|e| e.name == n))
                else {
                    continue;
                };
                *out.entry(("event".into(), event.name.clone())).or_default() += 1;
                let Some(props) = value["properties"].as_object() else {
                    continue;
                };
                for (p, is_super) in declared(plan, event) {
                    if let Some(v) = props.get(&p.name) {
                        let owner = if is_super {
                            "super"
                        } else {
                            event.name.as_str()
                        };
                        count(&mut out, owner, &p, v, false);
                    }
                }
            }
            RecordKind::Profile => {
                *out.entry(("event".into(), "user".into())).or_default() += 1;
                operations(&mut out, "user", &plan.user_properties, value);
            }
            RecordKind::Group => {
                let key = value["$group_key"].as_str().unwrap_or_default();
                let Some(group) = plan.groups.iter().find(|g| g.name == key) else {
                    continue;
                };
                let owner = format!("group:{key}");
                *out.entry(("event".into(), owner.clone())).or_default() += 1;
                operations(&mut out, &owner, &group.properties, value);
            }
        }
    }
    out
}

fn operations(out: &mut Tally, owner: &str, declared: &[Property], update: &Value) {
    for op in ["$set", "$set_once", "$add", "$union", "$append"] {
        let Some(map) = update[op].as_object() else {
            continue;
        };
        for (name, v) in map {
            if let Some(p) = declared.iter().find(|p| &p.name == name) {
                count(out, owner, p, v, op == "$append");
            }
        }
    }
}

/// The records of the SDK captures, decoded.
fn sdk_records() -> Vec<(RecordKind, Value)> {
    let mut out = Vec::new();
    for capture in ["browser.har", "node.har", "python.har"] {
        let text = std::fs::read(common::fixture(&format!("sdk/{capture}"))).unwrap();
        for item in trackplan::payload::har::read(&Arc::from(capture), &text) {
            if let Item::Record(record) = item {
                out.push((record.kind, record.value));
            }
        }
    }
    out
}

/// The streaming checker's coverage of `inputs`.
fn streaming(plan: &Plan, inputs: &[&Path]) -> Summary {
    let compiled = CompiledPlan::new(plan);
    let mut report = Report::new(Arc::clone(&compiled.coverage));
    let mut identity = Identity::new(&plan.identity.user_id);
    for input in inputs {
        let items = read_input(input, InputFormat::Auto, None).unwrap();
        check::run(&compiled, items, &mut report, &mut identity, |_, _| {});
    }
    report.coverage()
}

#[test]
fn the_sdk_captures_cover_what_the_oracle_counts() {
    let plan = plan("plans/accounts.yaml");
    let inputs: Vec<_> = ["browser.har", "node.har", "python.har"]
        .iter()
        .map(|c| common::fixture(&format!("sdk/{c}")))
        .collect();
    let paths: Vec<&Path> = inputs.iter().map(|p| p.as_path()).collect();
    let summary = streaming(&plan, &paths);
    let expected = oracle(&plan, &sdk_records());
    assert_eq!(reported(&summary), expected);
    // Profiles, groups, super properties and enum values all took part.
    for (kind, owner) in [
        ("present", "user."),
        ("present", "group:company."),
        ("present", "super."),
        ("value", "Login."),
        ("value", "user."),
    ] {
        assert!(
            expected
                .keys()
                .any(|(k, key)| k == kind && key.starts_with(owner)),
            "no {kind} of {owner}"
        );
    }
    // Numbers known without trackplan: the browser sends five Page Viewed,
    // the Node and Python SDKs two each (record/record.mjs and
    // record/python_sdk.py, which made the captures).
    let page_viewed = summary
        .per_event
        .iter()
        .find(|e| e.name == "Page Viewed")
        .unwrap();
    assert_eq!(page_viewed.records, 9);
    // 10 + 6 + 5 profile updates (INVENTORY.md's totals).
    assert_eq!(summary.profile_updates, 21);
}

#[test]
fn the_corpus_covers_what_the_generator_sent() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("corpus.ndjson");
    let planted = corpus::write_file(&path, 100_000);
    let plan = plan("plans/accounts.yaml");
    let summary = streaming(&plan, &[path.as_path()]);
    let text = std::fs::read_to_string(&path).unwrap();
    let values: Vec<(RecordKind, Value)> = text
        .lines()
        .map(|l| (RecordKind::Event, serde_json::from_str(l).unwrap()))
        .collect();
    assert_eq!(values.len() as u64, planted.events);
    assert_eq!(reported(&summary), oracle(&plan, &values));
    let seen: u64 = summary.per_event.iter().map(|e| e.records).sum();
    assert_eq!(seen, 100_000);
    let login = summary
        .per_event
        .iter()
        .find(|e| e.name == "Login")
        .unwrap();
    let method = login
        .properties
        .iter()
        .find(|p| p.name == "method")
        .unwrap();
    // `sms` is no enum value: the planted ones are not counted as values.
    let values: u64 = method.values.iter().map(|v| v.count).sum();
    assert_eq!(values + planted.not_in_enum, login.records);
}

fn events_file(dir: &Path, lines: &[Value]) -> std::path::PathBuf {
    let path = dir.join("events.ndjson");
    let mut file = std::fs::File::create(&path).unwrap();
    for line in lines {
        writeln!(file, "{line}").unwrap();
    }
    path
}

/// Two valid events of the café plan: two coffees of one order.
fn two_cafe_events() -> Vec<Value> {
    let coffee = |name: &str, size: &str, milk: Option<&str>| {
        let mut properties = json!({"distinct_id": "u1", "$device_id": "d1", "$user_id": "u1", "app_platform": "ios", "app_version": "3.4.0", "order_id": "3f1c9a52-7d4e-4b8a-9c61-0e2f5a7b8d90", "item_id": "it-latte", "item_type": "coffee", "item_name": name, "price": 4.5, "currency": "EUR", "quantity": 1, "size": size});
        if let Some(milk) = milk {
            properties["milk"] = json!(milk);
        }
        json!({"event": "Purchased Item", "properties": properties})
    };
    vec![
        coffee("Latte", "large", Some("oat")),
        coffee("Espresso", "small", None),
    ]
}

#[test]
fn min_coverage_sets_the_exit_code_with_either_engine() {
    let dir = tempfile::tempdir().unwrap();
    let input = events_file(dir.path(), &two_cafe_events());
    let input = input.to_str().unwrap();
    let check = |extra: &[&str]| {
        let mut args = vec!["check", "--plan", "plans/cafe.yaml", input];
        args.extend(extra);
        let out = common::trackplan(&args);
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    let (code, stdout, _) = check(&[]);
    assert_eq!(code, Some(0), "{stdout}");
    let line = stdout
        .lines()
        .find(|l| l.starts_with("Coverage:"))
        .unwrap()
        .to_owned();
    let percent: f64 = line["Coverage: ".len()..]
        .split('%')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    assert!(percent > 0.0 && percent < 50.0, "{line}");
    let above = format!("{}", percent + 0.1);
    let at = format!("{percent}%");
    assert_eq!(check(&["--min-coverage", &at]).0, Some(0));
    let (code, stdout, _) = check(&["--min-coverage", &above]);
    assert_eq!(code, Some(1));
    assert!(
        stdout.contains(&format!(", below the minimum of {above}%")),
        "{stdout}"
    );
    #[cfg(feature = "duckdb")]
    {
        assert_eq!(
            check(&["--engine", "duckdb", "--min-coverage", &at]).0,
            Some(0)
        );
        assert_eq!(
            check(&["--engine", "duckdb", "--min-coverage", &above]).0,
            Some(1)
        );
    }
    let (code, _, stderr) = check(&["--min-coverage", "101"]);
    assert_eq!(code, Some(2));
    assert!(
        stderr.contains("a percentage from 0 to 100 (such as 80 or 92.5%), not `101`"),
        "{stderr}"
    );
    // From the config, and the flag over it.
    let project = tempfile::tempdir().unwrap();
    std::fs::copy(
        common::root().join("plans/cafe.yaml"),
        project.path().join("cafe.yaml"),
    )
    .unwrap();
    std::fs::write(
        project.path().join("trackplan.toml"),
        format!("plan = \"cafe.yaml\"\n[check]\ninputs = [\"{input}\"]\nmin_coverage = {above}\n"),
    )
    .unwrap();
    let run = |args: &[&str]| common::trackplan_in(project.path(), args).status.code();
    assert_eq!(run(&["check"]), Some(1));
    assert_eq!(run(&["check", "--min-coverage", "0"]), Some(0));
    std::fs::write(
        project.path().join("trackplan.toml"),
        "plan = \"cafe.yaml\"\n[check]\nmin_coverage = 250\n",
    )
    .unwrap();
    let out = common::trackplan_in(project.path(), &["check", input]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("`min_coverage` is a percentage from 0 to 100, not 250")
            && stderr.contains("trackplan.toml:3:16"),
        "{stderr}"
    );
}

#[test]
fn check_coverage_prints_every_event_property_and_value() {
    let dir = tempfile::tempdir().unwrap();
    let input = events_file(dir.path(), &two_cafe_events());
    let out = common::trackplan_ok(&[
        "check",
        "--plan",
        "plans/cafe.yaml",
        "--coverage",
        input.to_str().unwrap(),
    ]);
    let start = out.find("Coverage per event").unwrap();
    let block = &out[start..];
    let purchased = block
        .split("\n  ")
        .find(|part| part.starts_with("Purchased Item"))
        .unwrap();
    assert_eq!(
        purchased.lines().take(1).collect::<Vec<_>>(),
        ["Purchased Item · 2 records"]
    );
    for line in [
        "        2         0  item_type: coffee 2 · tea never · cold_drink never · pastry never · sandwich never · merchandise never",
        "        1         0  milk: whole never · semi never · oat 1 · soy never · almond never · none never",
        "        2         0  size: small 1 · medium never · large 1",
        "        0         0  extra_shots (never sent)",
    ] {
        assert!(
            block
                .lines()
                .any(|l| l.trim_end() == format!("    {line}").trim_end()),
            "no line {line:?} in\n{block}"
        );
    }
    assert!(block.contains("\n  Order Placed · never seen\n"), "{block}");
    assert!(block.contains("Super properties, in the records of planned events\n"));
}

#[test]
fn the_collector_reports_coverage_live() {
    let server = common::serve::Server::start();
    let body = json!([{"event": "Login", "properties": {"token": "t", "distinct_id": "u1", "$user_id": "u1", "$device_id": "d1", "client_id": "web", "method": "password", "attempt": 1, "remember_me": true}}]);
    let send = || {
        ureq::post(format!("{}/track", server.url))
            .header("Content-Type", "application/json")
            .send(body.to_string())
            .unwrap()
    };
    send();
    let login = |report: &Value| {
        report["coverage"]["per_event"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["name"] == "Login")
            .cloned()
            .unwrap()
    };
    let first = login(&server.report());
    assert_eq!(first["records"], 1);
    send();
    let second = login(&server.report());
    assert_eq!(second["records"], 2);
    let method = second["properties"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "method")
        .cloned()
        .unwrap();
    assert_eq!(method["present"], 2);
    assert_eq!(
        method["values"][0],
        json!({"value": "password", "count": 2})
    );
    let page = ureq::get(format!("{}/_trackplan/", server.url))
        .call()
        .unwrap()
        .body_mut()
        .read_to_string()
        .unwrap();
    assert!(page.contains("Login · 2 records"), "{page}");
}

/// `trackplan coverage` of the fixture app at `dir` and the browser
/// capture, with `extra` arguments.
fn coverage_of_app(dir: &std::path::Path, extra: &[&str]) -> std::process::Output {
    let har = common::fixture("sdk/browser.har");
    coverage_of(dir, har.to_str().unwrap(), extra)
}

/// `trackplan coverage` of the fixture app at `dir` and `traffic`.
fn coverage_of(dir: &std::path::Path, traffic: &str, extra: &[&str]) -> std::process::Output {
    let mut args = vec![
        "coverage",
        "--plan",
        "accounts.yaml",
        "--code",
        "src",
        "--traffic",
        traffic,
    ];
    args.extend(extra);
    common::trackplan_in(dir, &args)
}

#[test]
fn the_matrix_joins_plan_code_and_traffic() {
    let dir = common::ts::fixture_app("coverage-matrix");
    let run = |extra: &[&str]| coverage_of_app(&dir, extra);
    let out = run(&[]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "## Tracking plan coverage: Accounts 2.0.0\n\n\
         **7 of 9 active events implemented (77.7%)**: sent from the code and seen in the traffic.\n\n\
         | Event | State | Code | Traffic | Properties never seen |\n\
         |---|---|---|---|---|\n\
         | Page Viewed | ✅ implemented | `src/legacy.ts:5:12` and 1 more | 5 |  |\n\
         | Signup Started | ✅ implemented | `src/components/SignupButton.tsx:7:18` | 1 |  |\n\
         | Account Created | ✅ implemented | `src/components/SignupButton.tsx:9:19` | 1 |  |\n\
         | Signup | ➖ deprecated | `src/legacy.ts:14:12` | 0 |  |\n\
         | Login | ✅ implemented | `src/components/LoginForm.tsx:8:7` | 3 | `sso_provider` |\n\
         | Login Failed | ✅ implemented | `src/components/LoginForm.tsx:11:7` | 1 |  |\n\
         | Autologin | ✅ implemented | `src/session.ts:8:18` | 2 |  |\n\
         | Logout | ✅ implemented | `src/session.ts:12:19` | 3 |  |\n\
         | Password Reset Requested | ⚠️ not called | no call | 1 |  |\n\
         | Profile Updated | ⚠️ not called | no call | 1 |  |\n\
         | Two Factor Enabled | ➖ planned | no call | 0 | `factor` |\n"
    );
    assert_eq!(run(&["--min-coverage", "77.7"]).status.code(), Some(0));
    assert_eq!(run(&["--min-coverage", "78"]).status.code(), Some(1));

    // Traffic with one Login only: the other called events were never
    // seen, the uncalled ones are missing.
    let traffic = dir.join("login.ndjson");
    std::fs::write(
        &traffic,
        format!("{}\n", json!({"event": "Login", "properties": {"distinct_id": "u1", "$user_id": "u1", "$device_id": "d1", "client_id": "web", "method": "password", "attempt": 1}})),
    )
    .unwrap();
    let out = coverage_of(&dir, "login.ndjson", &["--format", "json"]);
    let matrix: Value = serde_json::from_slice(&out.stdout).unwrap();
    let states: Vec<(String, String)> = matrix["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["name"].as_str().unwrap().to_owned(),
                r["state"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let expected = [
        ("Page Viewed", "never_seen"),
        ("Signup Started", "never_seen"),
        ("Account Created", "never_seen"),
        ("Signup", "deprecated"),
        ("Login", "implemented"),
        ("Login Failed", "never_seen"),
        ("Autologin", "never_seen"),
        ("Logout", "never_seen"),
        ("Password Reset Requested", "missing"),
        ("Profile Updated", "missing"),
        ("Two Factor Enabled", "planned"),
    ]
    .map(|(a, b)| (a.to_owned(), b.to_owned()));
    assert_eq!(states, expected);
    assert_eq!(matrix["percent"], 11.1);
    let login = &matrix["events"][4];
    assert_eq!(login["records"], 1);
    assert_eq!(login["never_seen"], json!(["remember_me", "sso_provider"]));
    assert_eq!(
        login["calls"],
        json!([{"at": "src/components/LoginForm.tsx:8:7", "via": "helper"}])
    );

    // Neither side: a usage error.
    let out = common::trackplan(&["coverage", "--plan", "plans/accounts.yaml"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn the_docs_page_shows_a_badge_per_event_in_chromium() {
    let dir = common::ts::fixture_app("coverage-docs");
    let matrix = dir.join("coverage.json");
    let out = coverage_of_app(
        &dir,
        &["--format", "json", "--out", matrix.to_str().unwrap()],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let page = dir.join("plan.html");
    let out = common::trackplan(&[
        "docs",
        "--plan",
        "plans/accounts.yaml",
        "--format",
        "html",
        "--coverage",
        matrix.to_str().unwrap(),
        "--out",
        page.to_str().unwrap(),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = std::process::Command::new("node")
        .arg(common::root().join("tests/ts/coverage.mjs"))
        .arg(&page)
        .current_dir(common::ts::ts_dir())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let seen: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(seen["errors"], json!([]));
    assert_eq!(seen["requests"], json!([]));
    let green = "rgb(232, 246, 236)";
    let amber = "rgb(255, 246, 234)";
    let grey = "rgb(245, 247, 250)";
    let badges: Vec<(String, String, String, bool)> = seen["badges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| {
            (
                b[0].as_str().unwrap().to_owned(),
                b[1].as_str().unwrap().to_owned(),
                b[2].as_str().unwrap().to_owned(),
                b[3].as_bool().unwrap(),
            )
        })
        .collect();
    let b = |event: &str, text: &str, colour: &str| {
        (event.to_owned(), text.to_owned(), colour.to_owned(), true)
    };
    assert_eq!(
        badges,
        [
            b("Page Viewed", "implemented", green),
            b("Signup Started", "implemented", green),
            b("Account Created", "implemented", green),
            b("Signup", "deprecated", grey),
            b("Login", "implemented", green),
            b("Login Failed", "implemented", green),
            b("Autologin", "implemented", green),
            b("Logout", "implemented", green),
            b("Password Reset Requested", "not called", amber),
            b("Profile Updated", "not called", amber),
            b("Two Factor Enabled", "planned", grey),
        ]
    );
    assert_eq!(
        seen["badges"][0][4],
        "2 call(s) in code, 5 record(s) in traffic"
    );
    assert_eq!(
        seen["summary"],
        "7 of 9 active events implemented (77.7%): sent from the code and seen in the traffic."
    );
    assert_eq!(
        seen["rows"][4],
        json!([
            "Login",
            "implemented",
            "src/components/LoginForm.tsx:8:7",
            "3",
            "sso_provider"
        ])
    );
    assert!(
        seen["overflow"].as_i64().unwrap() <= 0,
        "wider than a phone"
    );
}
