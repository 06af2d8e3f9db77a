//! `trackplan scan` on real code: the React app of `tests/fixtures/app`
//! (its generated module made with `generate typescript`, the whole app
//! compiled by TypeScript 5.9 and 7 first) and the Rust service of
//! `tests/fixtures/service` (built by cargo against the generated crate).
//! Every finding is asserted with its rule, file, line, column and
//! message; SARIF is validated against the OASIS schema.

mod common;

use std::path::{Path, PathBuf};

use common::ts::{COMPILERS, copy_dir};
use serde_json::Value;

fn app(name: &str) -> PathBuf {
    common::ts::fixture_app(name)
}

/// `scan --format json` run in `dir` against the plan there, `accounts.yaml`.
fn scan_json(dir: &Path, args: &[&str]) -> (i32, Value) {
    scan_json_with(dir, "accounts.yaml", args)
}

/// `scan --plan PLAN --format json ARGS` run in `dir`: the exit code and
/// the report.
fn scan_json_with(dir: &Path, plan: &str, args: &[&str]) -> (i32, Value) {
    let mut all = vec!["scan", "--plan", plan, "--format", "json"];
    all.extend(args);
    let out = common::trackplan_in(dir, &all);
    let report = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "{e}: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    (out.status.code().unwrap_or(-1), report)
}

/// A call site: file, line, column.
type Place = (String, u64, u64);

/// `(rule, file, line, column, message)` of every finding.
fn findings(report: &Value) -> Vec<(String, String, u64, u64, String)> {
    report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["rule"].as_str().unwrap().to_owned(),
                d["file"].as_str().unwrap_or_default().to_owned(),
                d["line"].as_u64().unwrap_or(0),
                d["column"].as_u64().unwrap_or(0),
                d["message"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

/// The findings about the code (those at the plan, `never-called`, apart).
fn code_findings(report: &Value) -> Vec<(String, String, u64, u64, String)> {
    findings(report)
        .into_iter()
        .filter(|f| f.0 != "never-called")
        .collect()
}

fn f(
    rule: &str,
    file: &str,
    line: u64,
    column: u64,
    message: &str,
) -> (String, String, u64, u64, String) {
    (rule.into(), file.into(), line, column, message.into())
}

/// The findings on the fixture app that are about its code (the plan's
/// `never-called` ones apart).
fn app_code_findings() -> Vec<(String, String, u64, u64, String)> {
    vec![
        f(
            "raw-call",
            "src/legacy.ts",
            5,
            12,
            "`Page Viewed` is sent with a raw SDK call",
        ),
        f(
            "undeclared-property",
            "src/legacy.ts",
            5,
            61,
            "`referer` is not a property of `Page Viewed` in the plan",
        ),
        f(
            "dynamic-event-name",
            "src/legacy.ts",
            6,
            12,
            "the event name is computed, so nobody can tell which event this sends",
        ),
        f(
            "unplanned-call",
            "src/legacy.ts",
            10,
            12,
            "`Log In` is not an event of the plan",
        ),
        f(
            "deprecated-call",
            "src/legacy.ts",
            14,
            12,
            "`Signup` is deprecated",
        ),
        f(
            "raw-call",
            "src/legacy.ts",
            14,
            12,
            "`Signup` is sent with a raw SDK call",
        ),
        f(
            "undeclared-property",
            "src/legacy.ts",
            15,
            19,
            "`plan_tier` is not a user property in the plan",
        ),
        f(
            "undeclared-property",
            "src/main.tsx",
            9,
            39,
            "`build_sha` is not a super property in the plan",
        ),
    ]
}

#[test]
fn the_fixture_app_compiles_and_scans_to_exact_findings() {
    let dir = app("scan-app");
    for tsc in COMPILERS {
        tsc.run(&dir, &["-p", "."]).unwrap();
    }
    // After compiling: a file with a syntax error, and one .gitignore
    // leaves out.
    std::fs::write(
        dir.join("src/broken.ts"),
        "export function f() {\n  mixpanel.track(\"Login\", {\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("src/scratch.ts"),
        "mixpanel.track(\"Not Planned\");\n",
    )
    .unwrap();
    let ignore = std::fs::read_to_string(dir.join(".gitignore")).unwrap();
    std::fs::write(dir.join(".gitignore"), format!("{ignore}src/scratch.ts\n")).unwrap();

    let (code, report) = scan_json(&dir, &["src"]);
    assert_eq!(code, 1, "an unplanned call is an error");
    let mut expected = app_code_findings();
    expected.insert(
        0,
        f(
            "unparsable-source",
            "src/broken.ts",
            3,
            1,
            "cannot parse `src/broken.ts`: Expected `}` but found `EOF`",
        ),
    );
    for (event, line) in [("Password Reset Requested", 140), ("Profile Updated", 149)] {
        expected.push(f(
            "never-called",
            "accounts.yaml",
            line,
            3,
            &format!("no scanned code sends `{event}`"),
        ));
    }
    expected.sort_by(|a, b| (&a.1, a.2, a.3, &a.0).cmp(&(&b.1, b.2, b.3, &b.0)));
    let mut got = findings(&report);
    got.sort_by(|a, b| (&a.1, a.2, a.3, &a.0).cmp(&(&b.1, b.2, b.3, &b.0)));
    assert_eq!(got, expected);

    // Every way of calling a helper counted, at the called name.
    let calls = |event: &str| -> Vec<(String, u64, u64, String)> {
        report["events"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["name"] == event)
            .unwrap()["calls"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| {
                (
                    c["file"].as_str().unwrap().to_owned(),
                    c["line"].as_u64().unwrap(),
                    c["column"].as_u64().unwrap(),
                    c["via"].as_str().unwrap().to_owned(),
                )
            })
            .collect()
    };
    let c = |file: &str, line: u64, column: u64, via: &str| {
        (file.to_owned(), line, column, via.to_owned())
    };
    // An alias import (`@/tracking`) and a raw call.
    assert_eq!(
        calls("Page Viewed"),
        [
            c("src/legacy.ts", 5, 12, "raw"),
            c("src/main.tsx", 10, 1, "helper")
        ]
    );
    // A renamed import.
    assert_eq!(
        calls("Login"),
        [c("src/components/LoginForm.tsx", 8, 7, "helper")]
    );
    assert_eq!(
        calls("Login Failed"),
        [c("src/components/LoginForm.tsx", 11, 7, "helper")]
    );
    // A namespace import, plain and behind optional chaining.
    assert_eq!(
        calls("Signup Started"),
        [c("src/components/SignupButton.tsx", 7, 18, "helper")]
    );
    assert_eq!(
        calls("Account Created"),
        [c("src/components/SignupButton.tsx", 9, 19, "helper")]
    );
    // A createTracker() class field, plain and behind optional chaining.
    assert_eq!(calls("Autologin"), [c("src/session.ts", 8, 18, "helper")]);
    assert_eq!(calls("Logout"), [c("src/session.ts", 12, 19, "helper")]);
    // The planned event is not reported, and not called.
    assert_eq!(calls("Two Factor Enabled"), []);
    assert_eq!(
        report["generated"],
        serde_json::json!([]),
        "the generated module is ignored by git"
    );

    // --exclude leaves files out; the exit code follows the findings.
    let (code, report) = scan_json(
        &dir,
        &["src", "--exclude", "legacy.ts", "--exclude", "broken.ts"],
    );
    assert_eq!(code, 0);
    let rules: Vec<String> = findings(&report).into_iter().map(|f| f.0).collect();
    assert_eq!(
        rules,
        ["never-called", "never-called", "undeclared-property"].map(String::from)
    );
}

/// The OASIS SARIF 2.1.0 schema, with format checks.
fn sarif_validator() -> jsonschema::Validator {
    let schema: Value = serde_json::from_str(
        &std::fs::read_to_string(common::fixture("sarif/sarif-schema-2.1.0.json")).unwrap(),
    )
    .unwrap();
    jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .unwrap()
}

#[test]
fn sarif_and_github_annotations_carry_the_same_findings() {
    let dir = app("scan-sarif");
    let out = common::trackplan_in(
        &dir,
        &[
            "scan",
            "--plan",
            "accounts.yaml",
            "--format",
            "sarif",
            "src",
        ],
    );
    let sarif: Value = serde_json::from_slice(&out.stdout).unwrap();
    let validator = sarif_validator();
    let errors: Vec<String> = validator
        .iter_errors(&sarif)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    let run = &sarif["runs"][0];
    assert_eq!(run["tool"]["driver"]["name"], "trackplan");
    assert_eq!(run["columnKind"], "unicodeCodePoints");
    let results: Vec<(String, String, u64, u64)> = run["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let place = &r["locations"][0]["physicalLocation"];
            (
                r["ruleId"].as_str().unwrap().to_owned(),
                place["artifactLocation"]["uri"]
                    .as_str()
                    .unwrap()
                    .to_owned(),
                place["region"]["startLine"].as_u64().unwrap(),
                place["region"]["startColumn"].as_u64().unwrap(),
            )
        })
        .collect();
    let mut expected: Vec<(String, String, u64, u64)> = app_code_findings()
        .into_iter()
        .map(|(rule, file, line, column, _)| (rule, file, line, column))
        .collect();
    expected.push(("never-called".into(), "accounts.yaml".into(), 140, 3));
    expected.push(("never-called".into(), "accounts.yaml".into(), 149, 3));
    let mut sorted = results.clone();
    sorted.sort();
    expected.sort();
    assert_eq!(sorted, expected);
    // Each result names its rule by index, and the rule carries its docs.
    for r in run["results"].as_array().unwrap() {
        let rule = &run["tool"]["driver"]["rules"][r["ruleIndex"].as_u64().unwrap() as usize];
        assert_eq!(rule["id"], r["ruleId"]);
        assert!(
            rule["help"]["text"]
                .as_str()
                .unwrap()
                .contains("Why is this bad?")
        );
    }

    let out = common::trackplan_in(
        &dir,
        &[
            "scan",
            "--plan",
            "accounts.yaml",
            "--format",
            "github",
            "src",
        ],
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.lines().any(|l| l.starts_with(
            "::error file=src/legacy.ts,line=10,col=12,endLine=10,endColumn=20,title=trackplan(unplanned-call)::`Log In` is not an event of the plan%0Ahelp: did you mean `Login`?"
        )),
        "{text}"
    );
    assert_eq!(text.lines().count(), 10);
}

#[test]
fn lint_writes_sarif_too() {
    let out = common::trackplan(&[
        "lint",
        "--format",
        "sarif",
        "tests/fixtures/plans/three-mistakes.yaml",
    ]);
    let sarif: Value = serde_json::from_slice(&out.stdout).unwrap();
    let validator = sarif_validator();
    assert!(validator.is_valid(&sarif));
    let (_, json) = common::lint_json(&[Path::new("tests/fixtures/plans/three-mistakes.yaml")]);
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    assert_eq!(results.len(), json["diagnostics"].as_array().unwrap().len());
    assert_eq!(results[0]["ruleId"], json["diagnostics"][0]["rule"]);
}

#[test]
fn the_fixture_service_builds_and_scans_to_exact_calls() {
    let dir = common::root().join("target/generated-crates/src/scan-service");
    let _ = std::fs::remove_dir_all(&dir);
    copy_dir(&common::fixture("service"), &dir);
    let generated = common::trackplan(&[
        "generate",
        "rust",
        "--plan",
        "plans/accounts.yaml",
        "--out",
        dir.join("tracking").to_str().unwrap(),
    ]);
    assert!(generated.status.success());
    let build = std::process::Command::new(env!("CARGO"))
        .args(["build", "--quiet"])
        .current_dir(&dir)
        .env(
            "CARGO_TARGET_DIR",
            common::root().join("target/generated-crates/target"),
        )
        .env_remove("RUSTFLAGS")
        .output()
        .unwrap();
    assert!(
        build.status.success(),
        "{}",
        String::from_utf8_lossy(&build.stderr)
    );
    std::fs::copy(
        common::root().join("plans/accounts.yaml"),
        dir.join("accounts.yaml"),
    )
    .unwrap();
    let (code, report) = scan_json(&dir, &["src"]);
    assert_eq!(code, 0);
    let sent: Vec<(String, Vec<Place>)> = report["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| !e["calls"].as_array().unwrap().is_empty())
        .map(|e| {
            let calls = e["calls"]
                .as_array()
                .unwrap()
                .iter()
                .map(|c| {
                    assert_eq!(c["via"], "helper");
                    (
                        c["file"].as_str().unwrap().to_owned(),
                        c["line"].as_u64().unwrap(),
                        c["column"].as_u64().unwrap(),
                    )
                })
                .collect();
            (e["name"].as_str().unwrap().to_owned(), calls)
        })
        .collect();
    let at = |line, column| vec![("src/sessions.rs".to_owned(), line, column)];
    assert_eq!(
        sent,
        [
            // An imported enum's case (its case struct inside is the same call).
            ("Login".to_owned(), at(8, 17)),
            // Through the crate's alias, by path.
            ("Autologin".to_owned(), at(19, 17)),
            ("Logout".to_owned(), at(29, 10)),
        ]
    );
    let never: Vec<String> = findings(&report).into_iter().map(|f| f.4).collect();
    // Eleven events: three sent, one planned, one deprecated.
    assert_eq!(never.len(), 6, "{never:?}");
    assert!(never.iter().all(|m| m.starts_with("no scanned code sends")));
}

#[test]
fn helpers_of_hostile_names_are_recognised() {
    let dir = common::ts::ts_dir().join("work/scan-hostile");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("src")).unwrap();
    std::fs::write(
        dir.join("plan.yaml"),
        "trackplan: 1\nname: Hostile\nversion: 1.0.0\nevents:\n  Track:\n    properties:\n      kind: {type: string}\n  Register: {}\n  Order Status:\n    properties:\n      status: {type: string, enum: [placed, ready]}\n",
    )
    .unwrap();
    common::ts::generate(&dir.join("plan.yaml"), &dir.join("src/tracking"));
    // Each event's helper, as the generated module names it.
    let module = std::fs::read_to_string(dir.join("src/tracking/tracking.ts")).unwrap();
    let helper = |event: &str| -> String {
        let doc = format!(" * Sends \"{event}\".");
        // The module's functions come after the tracker interface's
        // methods, which have the same documentation.
        let after = &module[module.rfind(&doc).unwrap()..];
        let start = after.find("export function ").unwrap() + "export function ".len();
        after[start..].split('(').next().unwrap().to_owned()
    };
    let (track, register, status) = (helper("Track"), helper("Register"), helper("Order Status"));
    assert!(
        track != "track" && register != "register",
        "{track} {register}"
    );
    std::fs::write(
        dir.join("src/app.ts"),
        format!(
            "import * as t from \"./tracking\";\nimport {{ {track} as sent }} from \"./tracking/index.js\";\n\nsent({{ kind: \"x\" }});\nt.{register}({{}});\nt.{status}({{ status: \"ready\" }});\nt.track(\"Order Status\", {{ status: \"placed\" }});\n"
        ),
    )
    .unwrap();
    std::fs::write(
        dir.join("tsconfig.json"),
        r#"{"compilerOptions": {"strict": true, "noEmit": true, "module": "NodeNext", "moduleResolution": "NodeNext", "target": "ES2022", "skipLibCheck": true}, "include": ["src"]}"#,
    )
    .unwrap();
    for tsc in COMPILERS {
        tsc.run(&dir, &["-p", "."]).unwrap();
    }
    let (_, report) = scan_json_with(&dir, "plan.yaml", &["src"]);
    assert_eq!(findings(&report), []);
    let counts: Vec<(String, usize)> = report["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["name"].as_str().unwrap().to_owned(),
                e["calls"].as_array().unwrap().len(),
            )
        })
        .collect();
    assert_eq!(
        counts,
        [
            ("Track".to_owned(), 1),
            ("Register".to_owned(), 1),
            ("Order Status".to_owned(), 2)
        ]
    );
}

#[test]
fn the_runtime_names_scan_knows_are_the_typescript_targets() {
    let target =
        std::fs::read_to_string(common::root().join("templates/typescript/target.toml")).unwrap();
    let toml: toml::Value = toml::from_str(&target).unwrap();
    let defined: Vec<&str> = toml["scopes"]["module"]["defined"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    for (name, _) in trackplan::scan::TS_RUNTIME {
        assert!(
            defined.contains(name),
            "{name} is not defined by the TypeScript target"
        );
    }
}

#[test]
fn missing_paths_and_bad_globs_are_usage_errors() {
    let out = common::trackplan(&["scan", "--plan", "plans/accounts.yaml", "no/such/dir"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("`no/such/dir`: no such file or directory")
    );
    let out = common::trackplan(&[
        "scan",
        "--plan",
        "plans/accounts.yaml",
        "--exclude",
        "a[",
        "src",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("`--exclude a[`"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn the_project_config_gives_the_paths_and_excludes() {
    let dir = app("scan-config");
    std::fs::write(
        dir.join("trackplan.toml"),
        "plan = \"accounts.yaml\"\n\n[scan]\npaths = [\"src\"]\nexclude = [\"legacy.ts\"]\n",
    )
    .unwrap();
    let out = common::trackplan_in(&dir, &["scan", "--format", "json"]);
    assert_eq!(out.status.code(), Some(0));
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    // Paths from the config are shown relative to the working directory.
    assert_eq!(
        report["files"],
        serde_json::json!([
            "src/App.tsx",
            "src/components/LoginForm.tsx",
            "src/components/SignupButton.tsx",
            "src/main.tsx",
            "src/session.ts"
        ])
    );
    // A flag's exclude adds to the config's.
    let out = common::trackplan_in(&dir, &["scan", "--format", "json", "--exclude", "main.tsx"]);
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["files"].as_array().unwrap().len(), 4);
    // An unknown key is a config error at its place.
    std::fs::write(
        dir.join("trackplan.toml"),
        "plan = \"accounts.yaml\"\n\n[scan]\npath = [\"src\"]\n",
    )
    .unwrap();
    let out = common::trackplan_in(&dir, &["scan"]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("unknown field `path`") && stderr.contains("trackplan.toml:4:1"),
        "{stderr}"
    );
}

#[test]
fn the_python_worker_runs_on_the_real_sdk_and_scans_to_exact_findings() {
    let dir = common::fixture("worker");
    // The calls are the official package's API: the worker runs on it.
    let run = std::process::Command::new("python3")
        .arg("worker.py")
        .current_dir(&dir)
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    assert_eq!(
        String::from_utf8_lossy(&run.stdout),
        "events \"Logout\"\nevents \"Password Reset Requested\"\nevents \"Exported billing\"\npeople \"(profile)\"\n"
    );
    let (_, report) = scan_json_with(&dir, "../../../plans/accounts.yaml", &["worker.py"]);
    let code = code_findings(&report);
    assert_eq!(
        code,
        [
            f(
                "raw-call",
                "worker.py",
                30,
                29,
                "`Logout` is sent with a raw SDK call"
            ),
            f(
                "raw-call",
                "worker.py",
                34,
                20,
                "`Password Reset Requested` is sent with a raw SDK call"
            ),
            f(
                "undeclared-property",
                "worker.py",
                34,
                96,
                "`locale` is not a property of `Password Reset Requested` in the plan"
            ),
            f(
                "dynamic-event-name",
                "worker.py",
                38,
                20,
                "the event name is computed, so nobody can tell which event this sends"
            ),
            f(
                "undeclared-property",
                "worker.py",
                42,
                37,
                "`plan_tier` is not a user property in the plan"
            ),
        ]
    );
    // A raw call in Python names no TypeScript helper.
    let raw = &report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["rule"] == "raw-call")
        .unwrap()["help"];
    assert!(raw.is_null(), "{raw}");
    // Keyword arguments and a syntax error.
    let scratch = tempfile::tempdir().unwrap();
    std::fs::write(
        scratch.path().join("kw.py"),
        "from mixpanel import Mixpanel\nmp = Mixpanel('t')\nmp.track(distinct_id='u', event_name='Log In', properties={'method': 'sms'})\n",
    )
    .unwrap();
    std::fs::write(scratch.path().join("broken.py"), "def broken(:\n    pass\n").unwrap();
    let plan = common::root().join("plans/accounts.yaml");
    let (_, report) = scan_json_with(scratch.path(), plan.to_str().unwrap(), &["."]);
    let code = code_findings(&report);
    assert_eq!(
        code,
        [
            f(
                "unparsable-source",
                "broken.py",
                1,
                12,
                "cannot parse `broken.py`: missing `)`"
            ),
            f(
                "unplanned-call",
                "kw.py",
                3,
                38,
                "`Log In` is not an event of the plan"
            ),
        ]
    );
}
