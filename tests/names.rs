//! Every plan `lint` accepts generates code that compiles, whatever its
//! names. Plans drawn at random (proptest) from an alphabet of hard names
//! (every target's reserved and template-defined names, case and separator
//! variants of each other, leading digits, `$` and `mp_` prefixes,
//! non-ASCII letters, emoji, names empty once sanitised, very long names)
//! at events, properties, nested fields, enum values, user and group
//! properties: their TypeScript passes TypeScript 5.9 and 7 under every
//! strictness option, in one run per compiler; their Rust crates pass
//! clippy and rustdoc with warnings denied, in one cargo workspace. Also:
//! a plan of nothing but each target's own names compiles; the templates
//! define exactly the names their `target.toml` lists; appending an event
//! renames nothing; and lint reports exactly the collisions the generators
//! resolve.
//!
//! `NAME_CASES=500 cargo test --test names` draws more plans (default 24);
//! `NAME_SEED=N` draws other ones (the default seed keeps CI repeatable).

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
use serde_json::{Map, Value, json};
use trackplan::codegen::{Names, Target};
use trackplan::naming::Reason;

use common::root;
use common::ts::{self, COMPILERS};

// ---------------------------------------------------------------------------
// The plans.

/// Names no target reserves that are hard anyway.
const HARD: &[&str] = &[
    "Order",
    "status",
    "Order Status",
    "order_status",
    "OrderStatus",
    "orderStatus",
    "ORDER-STATUS",
    "Page Viewed",
    "page_viewed",
    "PageViewed",
    "1st Visit",
    "2",
    "3d",
    "$email",
    "mp_lib",
    "$",
    "$$",
    "---",
    "*/",
    "_",
    "  ",
    "Ünïcödé",
    "注文",
    "Ñandú",
    "ß",
    "🎉",
    "🎉 Party",
    "\"quoted\"",
    "${x}",
    "</script>",
    "it's",
    "a.b",
    "a/b",
    "Item",
    "item",
    "Group",
    "Properties",
    "value",
    "Company Group",
    "company",
    "super",
    "user",
    "x24",
    "X2a",
    "Login Method",
    "login",
    "method",
];

/// Descriptions that would break a comment or Markdown if copied as they are.
const DESCRIPTIONS: &[&str] = &[
    "Plain.",
    "Ends */ a comment",
    "See https://a.example/x?y=1 and <b>bold</b>",
    "[link] `code` *em* _u_ # head",
    "Two\nlines\n    indented\n- item\n1. first",
    "${x} \"quotes\" 'single' \\ backslash",
];

/// Every name a built-in target reserves or its templates define.
fn target_names() -> Vec<String> {
    let mut names = BTreeSet::new();
    for target in Target::builtins() {
        names.extend(target.spec.reserved.iter().cloned());
        for scope in target.spec.scopes.values() {
            names.extend(scope.defined.iter().cloned());
            names.extend(scope.reserved.iter().cloned());
        }
    }
    names.into_iter().collect()
}

fn alphabet() -> Vec<String> {
    let mut names = target_names();
    names.extend(HARD.iter().map(|s| (*s).to_owned()));
    names.push("Very Long Name ".repeat(20).trim().to_owned());
    names.push("x".repeat(300));
    names
}

fn name() -> impl Strategy<Value = String> {
    let alphabet = alphabet();
    prop_oneof![
        8 => proptest::sample::select(alphabet),
        1 => "[A-Za-z][A-Za-z0-9 _-]{0,12}",
    ]
}

/// A property's schema as plan JSON.
fn schema(depth: u32) -> BoxedStrategy<Value> {
    let leaf = prop_oneof![
        Just(json!({"type": "string"})),
        Just(json!({"type": "integer", "minimum": 0})),
        Just(json!({"type": "number"})),
        Just(json!({"type": "boolean"})),
        Just(json!({"type": "datetime"})),
        Just(json!({"type": "object"})),
        Just(json!({"type": "integer", "enum": [1, 2, 3]})),
        proptest::collection::btree_set(name(), 1..5)
            .prop_map(|values| json!({"type": "string", "enum": values})),
    ];
    if depth == 0 {
        return leaf.boxed();
    }
    prop_oneof![
        4 => leaf,
        1 => schema(depth - 1).prop_map(|items| json!({"type": "list", "items": items})),
        1 => properties(depth - 1, 1..4).prop_map(|fields| json!({"type": "object", "properties": fields})),
    ]
    .boxed()
}

/// A map of properties, names unique.
fn properties(depth: u32, size: std::ops::Range<usize>) -> BoxedStrategy<Map<String, Value>> {
    proptest::collection::vec(
        (
            name(),
            schema(depth),
            any::<bool>(),
            any::<bool>(),
            proptest::sample::select(DESCRIPTIONS),
        ),
        size,
    )
    .prop_map(|list| {
        let mut map = Map::new();
        for (name, mut schema, required, nullable, description) in list {
            schema["required"] = json!(required);
            schema["nullable"] = json!(nullable);
            schema["description"] = json!(description);
            map.entry(name).or_insert(schema);
        }
        map
    })
    .boxed()
}

fn named<T: std::fmt::Debug + Clone>(
    item: impl Strategy<Value = T>,
    size: std::ops::Range<usize>,
) -> impl Strategy<Value = Vec<(String, T)>> {
    proptest::collection::vec((name(), item), size).prop_map(|list| {
        let mut seen = BTreeSet::new();
        list.into_iter()
            .filter(|(n, _)| seen.insert(n.clone()))
            .collect()
    })
}

/// A whole plan as JSON (which is YAML), named `Names <index>` so that
/// each crate of the workspace has a package name of its own.
fn plan(index: usize) -> impl Strategy<Value = Value> {
    (
        properties(1, 0..3),
        properties(1, 0..4),
        named(properties(1, 0..3), 0..3),
        named(properties(2, 0..5), 1..7),
        proptest::sample::select(DESCRIPTIONS),
    )
        .prop_map(move |(supers, users, groups, events, description)| {
            // Super properties are sent with every event: no event redeclares one.
            let groups: Map<String, Value> = groups
                .into_iter()
                .map(|(n, p)| (n, json!({"description": description, "properties": p})))
                .collect();
            let events: Map<String, Value> = events
                .into_iter()
                .map(|(n, mut p)| {
                    p.retain(|k, _| !supers.contains_key(k));
                    (n, json!({"description": description, "properties": p}))
                })
                .collect();
            json!({
                "trackplan": 1,
                "name": format!("Names {index}"),
                "version": "1.0.0",
                "description": description,
                "lint": {"rules": {"reserved-prefix": "warning"}},
                "super_properties": supers,
                "user_properties": users,
                "groups": groups,
                "events": events,
            })
        })
}

// ---------------------------------------------------------------------------
// Compiling many plans at once.

/// Where a batch of plans is written and compiled.
struct Batch {
    name: String,
    plans: Vec<Value>,
}

impl Batch {
    fn plan_file(&self, dir: &Path, i: usize) -> PathBuf {
        let file = dir.join(format!("plan-{i}.yaml"));
        std::fs::write(&file, serde_json::to_string_pretty(&self.plans[i]).unwrap()).unwrap();
        file
    }

    /// Every plan lints without errors.
    fn lint(&self, dir: &Path) {
        for i in 0..self.plans.len() {
            let file = self.plan_file(dir, i);
            let (code, report) = common::lint_json(&[file.as_path()]);
            assert_eq!(
                code, 0,
                "lint refused plan {i}: {report:#}\n{}",
                self.plans[i]
            );
        }
    }

    /// One strictest project with each plan in `src/p<i>`; both compilers.
    fn typescript(&self) -> Result<(), (usize, String)> {
        let dir = ts::project("strictest", &self.name);
        let usage = std::fs::read_to_string(dir.join("src/usage.ts")).unwrap();
        std::fs::remove_file(dir.join("src/usage.ts")).unwrap();
        for i in 0..self.plans.len() {
            let sub = dir.join(format!("src/p{i}"));
            ts::generate(&self.plan_file(&dir, i), &sub.join("tracking"));
            std::fs::write(sub.join("usage.ts"), &usage).unwrap();
        }
        for tsc in COMPILERS {
            if let Err(e) = tsc.run(&dir, &["-p", "."]) {
                return Err((failing(&e, "src/p"), e));
            }
        }
        Ok(())
    }

    /// One cargo workspace of the plans' crates: clippy, then rustdoc.
    fn rust(&self) -> Result<(), (usize, String)> {
        let dir = root().join("target/generated-crates").join(&self.name);
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let mut members = Vec::new();
        for i in 0..self.plans.len() {
            let crate_dir = dir.join(format!("p{i}"));
            let out = common::trackplan(&[
                "generate",
                "rust",
                "--plan",
                self.plan_file(&dir, i).to_str().unwrap(),
                "--out",
                crate_dir.to_str().unwrap(),
            ]);
            assert!(
                out.status.success(),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
            // A generated crate is a workspace of its own; here it joins one.
            let manifest = crate_dir.join("Cargo.toml");
            let text = std::fs::read_to_string(&manifest).unwrap();
            std::fs::write(&manifest, text.replace("\n[workspace]", "\n")).unwrap();
            members.push(format!("\"p{i}\""));
        }
        std::fs::write(
            dir.join("Cargo.toml"),
            format!(
                "[workspace]\nresolver = \"2\"\nmembers = [{}]\n",
                members.join(", ")
            ),
        )
        .unwrap();
        let cargo = |args: &[&str]| {
            let out = Command::new(env!("CARGO"))
                .args(args)
                .current_dir(&dir)
                .env(
                    "CARGO_TARGET_DIR",
                    root().join("target/generated-crates/target"),
                )
                .env("RUSTDOCFLAGS", "-D warnings")
                .env_remove("RUSTFLAGS")
                .output()
                .unwrap();
            if out.status.success() {
                Ok(())
            } else {
                let e = String::from_utf8_lossy(&out.stderr).into_owned();
                Err((failing(&e.replace('_', "-"), "names-"), e))
            }
        };
        cargo(&[
            "clippy",
            "--workspace",
            "--all-features",
            "--quiet",
            "--",
            "-D",
            "warnings",
        ])?;
        cargo(&[
            "doc",
            "--workspace",
            "--no-deps",
            "--all-features",
            "--quiet",
        ])
    }
}

/// The index of the first plan named in a compiler's output (`src/p3/`).
fn failing(output: &str, marker: &str) -> usize {
    output
        .split(marker)
        .skip(1)
        .find_map(|rest| {
            rest.split(|c: char| !c.is_ascii_digit())
                .next()
                .and_then(|n| n.parse().ok())
        })
        .unwrap_or(0)
}

/// A runner drawing from `NAME_SEED` (0 unless set).
fn runner() -> (TestRunner, u64) {
    let seed: u64 = std::env::var("NAME_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    let mut bytes = [0u8; 32];
    bytes[..8].copy_from_slice(&seed.to_le_bytes());
    let rng = TestRng::from_seed(RngAlgorithm::ChaCha, &bytes);
    (TestRunner::new_with_rng(Config::default(), rng), seed)
}

fn cases() -> usize {
    std::env::var("NAME_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(24)
}

/// Draws `count` plans; compiles them with `compile`; on a failure,
/// shrinks the failing plan (compiling it alone) and shows the smallest.
fn check_batch(name: &str, count: usize, compile: impl Fn(&Batch) -> Result<(), (usize, String)>) {
    let (mut runner, seed) = runner();
    let trees: Vec<_> = (0..count)
        .map(|i| plan(i).new_tree(&mut runner).unwrap())
        .collect();
    let batch = Batch {
        name: name.to_owned(),
        plans: trees.iter().map(ValueTree::current).collect(),
    };
    let dir = root()
        .join("target/generated-crates")
        .join(format!("{name}-plans"));
    std::fs::create_dir_all(&dir).unwrap();
    batch.lint(&dir);
    let Err((index, error)) = compile(&batch) else {
        return;
    };
    let mut tree = trees.into_iter().nth(index).unwrap();
    let mut smallest = (tree.current(), error);
    let alone = |plan: Value| {
        compile(&Batch {
            name: format!("{name}-shrink"),
            plans: vec![plan],
        })
    };
    for _ in 0..64 {
        if !tree.simplify() {
            break;
        }
        match alone(tree.current()) {
            Err((_, e)) => smallest = (tree.current(), e),
            Ok(()) => {
                if !tree.complicate() {
                    break;
                }
            }
        }
    }
    panic!(
        "generated code does not compile for this plan (NAME_SEED={seed}, plan {index}, shrunk):\n{}\n\n{}",
        serde_json::to_string_pretty(&smallest.0).unwrap(),
        smallest.1
    );
}

#[test]
fn random_plans_of_hard_names_compile_in_typescript() {
    check_batch("names-ts", cases() * 2, Batch::typescript);
}

#[test]
fn random_plans_of_hard_names_build_clippy_and_rustdoc_clean() {
    check_batch("names-rust", cases(), Batch::rust);
}

// ---------------------------------------------------------------------------
// Each target's own names.

/// A plan whose every name is one of `names`: events, their properties,
/// nested fields, enum values, super, user and group properties, groups.
fn plan_of(names: &[String], title: &str) -> Value {
    let props = |class: usize| -> Map<String, Value> {
        names
            .iter()
            .enumerate()
            .filter(|(i, _)| i % 3 == class)
            .map(|(_, n)| {
                (
                    n.clone(),
                    json!({"type": "string", "required": false, "description": "A name."}),
                )
            })
            .collect()
    };
    let values: Vec<&String> = names.iter().collect();
    let events: Map<String, Value> = names
        .iter()
        .enumerate()
        .map(|(i, n)| {
            let mut properties = Map::new();
            if i % 10 == 0 {
                // Not the super properties' names (props(1)): those are sent with every event.
                properties = props(if i % 20 == 0 { 0 } else { 2 });
                properties.insert(
                    format!("{n} value"),
                    json!({"type": "string", "enum": values, "description": "Every name as a value."}),
                );
                properties.insert(
                    format!("{n} nested"),
                    json!({"type": "object", "description": "Every name as a field.", "properties": props(1)}),
                );
            }
            (n.clone(), json!({"description": "An event.", "properties": properties}))
        })
        .collect();
    let groups: Map<String, Value> = names
        .iter()
        .take(40)
        .map(|n| {
            (
                n.clone(),
                json!({"description": "A group.", "properties": props(2)}),
            )
        })
        .collect();
    json!({
        "trackplan": 1, "name": title, "version": "1.0.0", "description": "Every name the target keeps.",
        "lint": {"rules": {"reserved-prefix": "warning"}},
        "super_properties": props(1), "user_properties": props(0), "groups": groups, "events": events,
    })
}

fn own_names(target: &Target) -> Vec<String> {
    let mut names: BTreeSet<String> = target.spec.reserved.iter().cloned().collect();
    for scope in target.spec.scopes.values() {
        names.extend(scope.defined.iter().cloned());
        names.extend(scope.reserved.iter().cloned());
    }
    names.into_iter().collect()
}

#[test]
fn a_plan_of_the_typescript_targets_own_names_compiles() {
    let target = Target::builtin("typescript").unwrap();
    let batch = Batch {
        name: "own-names-ts".into(),
        plans: vec![plan_of(&own_names(&target), "Own Names")],
    };
    batch.lint(&root().join("target/generated-crates"));
    batch.typescript().map_err(|(_, e)| e).unwrap();
}

#[test]
fn a_plan_of_the_rust_targets_own_names_builds() {
    let target = Target::builtin("rust").unwrap();
    let batch = Batch {
        name: "own-names-rust".into(),
        plans: vec![plan_of(&own_names(&target), "Own Names")],
    };
    batch.rust().map_err(|(_, e)| e).unwrap();
}

// ---------------------------------------------------------------------------
// What the templates define.

/// The top-level names each TypeScript file declares (with the compiler's
/// own parser), and the members of the tracker interfaces.
const DECLARED: &str = r#"
const ts = require(process.argv[2]);
const fs = require("fs");
const out = {};
for (const file of process.argv.slice(3)) {
  const source = ts.createSourceFile(file, fs.readFileSync(file, "utf8"), ts.ScriptTarget.Latest);
  const names = [];
  const members = [];
  for (const s of source.statements) {
    if (s.name && s.name.text) names.push(s.name.text);
    if (ts.isVariableStatement(s)) for (const d of s.declarationList.declarations) names.push(d.name.text);
    if (ts.isImportDeclaration(s) && s.importClause && s.importClause.namedBindings) for (const e of s.importClause.namedBindings.elements) names.push(e.name.text);
    if (ts.isExportDeclaration(s) && s.exportClause) for (const e of s.exportClause.elements) names.push(e.name.text);
    if (ts.isInterfaceDeclaration(s) && (s.name.text === "Tracker" || s.name.text === "ServerTracker")) for (const m of s.members) if (m.name) members.push(m.name.text);
  }
  out[file] = { names, members };
}
console.log(JSON.stringify(out));
"#;

/// `(file, names declared at its top level, tracker members)` for `plan`.
fn typescript_declarations(plan: &Path, name: &str) -> Vec<(String, Vec<String>, Vec<String>)> {
    let dir = ts::ts_dir().join("work").join(name);
    let _ = std::fs::remove_dir_all(&dir);
    ts::generate(plan, &dir);
    std::fs::write(dir.join("declared.cjs"), DECLARED).unwrap();
    let out = Command::new("node")
        .arg("declared.cjs")
        .arg(ts::ts_dir().join("node_modules/typescript"))
        .args(["tracking.ts", "validation.ts", "index.ts"])
        .current_dir(&dir)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let parsed: Value = serde_json::from_slice(&out.stdout).unwrap();
    let strings = |v: &Value| -> Vec<String> {
        v.as_array()
            .unwrap()
            .iter()
            .map(|s| s.as_str().unwrap().to_owned())
            .collect()
    };
    parsed
        .as_object()
        .unwrap()
        .iter()
        .map(|(file, v)| (file.clone(), strings(&v["names"]), strings(&v["members"])))
        .collect()
}

/// The names a target gave plan items in `scope`, for `plan`.
fn allocated(plan: &trackplan::plan::Plan, target: &Target, scope: &str) -> BTreeSet<String> {
    let names = Names::allocate(plan, target);
    let mut out = BTreeSet::new();
    for spec in target
        .spec
        .names
        .iter()
        .filter(|n| n.scopes.iter().any(|s| s == scope))
    {
        for (_, item_names) in names.all() {
            if let Some(name) = item_names.get(&spec.key) {
                out.insert(name.clone());
            }
        }
    }
    out
}

fn loaded(path: &Path) -> trackplan::plan::Plan {
    trackplan::plan::load(path).unwrap().plan.unwrap()
}

/// Plans that between them make the templates define everything they can.
fn template_plans() -> Vec<PathBuf> {
    vec![
        root().join("plans/accounts.yaml"),
        root().join("plans/cafe.yaml"),
        common::fixture("plans/formats.yaml"),
        common::fixture("plans/hostile.yaml"),
    ]
}

#[test]
fn the_typescript_templates_define_exactly_the_names_target_toml_lists() {
    let target = Target::builtin("typescript").unwrap();
    let mut declared_anywhere: BTreeSet<String> = BTreeSet::new();
    let mut members_anywhere: BTreeSet<String> = BTreeSet::new();
    for (i, plan_path) in template_plans().iter().enumerate() {
        let plan = loaded(plan_path);
        let tracker_names = allocated(&plan, &target, "tracker");
        for (file, names, members) in typescript_declarations(plan_path, &format!("declared-{i}")) {
            let (scope_name, scope) = target
                .spec
                .scopes
                .iter()
                .find(|(_, s)| s.files.contains(&file))
                .unwrap_or_else(|| panic!("no scope lists {file}"));
            let plan_names = allocated(&plan, &target, scope_name);
            for name in &names {
                assert!(
                    scope.defined.contains(name) || plan_names.contains(name),
                    "{file} defines `{name}`, which the `{scope_name}` scope of templates/typescript/target.toml does not list"
                );
            }
            let tracker = &target.spec.scopes["tracker"];
            for member in &members {
                assert!(
                    tracker.defined.contains(member) || tracker_names.contains(member),
                    "the tracker object has `{member}`, which the `tracker` scope does not list"
                );
            }
            declared_anywhere.extend(names);
            members_anywhere.extend(members);
        }
    }
    for (scope_name, scope) in &target.spec.scopes {
        let defined_somewhere = if scope_name == "tracker" {
            &members_anywhere
        } else {
            &declared_anywhere
        };
        for name in &scope.defined {
            assert!(
                defined_somewhere.contains(name),
                "the `{scope_name}` scope lists `{name}`, which no template defines"
            );
        }
    }
}

/// The names of a Rust file's top-level items, with syn.
fn rust_items(text: &str) -> Vec<String> {
    let file = syn::parse_file(text).unwrap();
    let mut names = Vec::new();
    for item in &file.items {
        match item {
            syn::Item::Struct(i) => names.push(i.ident.to_string()),
            syn::Item::Enum(i) => names.push(i.ident.to_string()),
            syn::Item::Trait(i) => names.push(i.ident.to_string()),
            syn::Item::Const(i) => names.push(i.ident.to_string()),
            syn::Item::Static(i) => names.push(i.ident.to_string()),
            syn::Item::Fn(i) => names.push(i.sig.ident.to_string()),
            syn::Item::Mod(i) => names.push(i.ident.to_string()),
            syn::Item::Type(i) => names.push(i.ident.to_string()),
            syn::Item::Union(i) => names.push(i.ident.to_string()),
            syn::Item::Macro(i) => names.extend(i.ident.as_ref().map(ToString::to_string)),
            syn::Item::Use(u) => collect_use(&u.tree, &mut names),
            _ => {}
        }
    }
    names
}

fn collect_use(tree: &syn::UseTree, out: &mut Vec<String>) {
    match tree {
        syn::UseTree::Path(p) => collect_use(&p.tree, out),
        syn::UseTree::Name(n) => out.push(n.ident.to_string()),
        syn::UseTree::Rename(r) => out.push(r.rename.to_string()),
        syn::UseTree::Group(g) => g.items.iter().for_each(|t| collect_use(t, out)),
        syn::UseTree::Glob(_) => {}
    }
}

#[test]
fn the_rust_templates_define_exactly_the_names_target_toml_lists() {
    let target = Target::builtin("rust").unwrap();
    let scope = &target.spec.scopes["crate"];
    let mut declared_anywhere = BTreeSet::new();
    for plan_path in template_plans() {
        let plan = loaded(&plan_path);
        let plan_names = allocated(&plan, &target, "crate");
        let files = trackplan::codegen::generate(&plan, &target, None).unwrap();
        let lib = files
            .iter()
            .find(|f| f.path == Path::new("src/lib.rs"))
            .unwrap();
        for name in rust_items(&lib.contents) {
            assert!(
                scope.defined.contains(&name) || plan_names.contains(&name),
                "lib.rs defines `{name}`, which the `crate` scope of templates/rust/target.toml does not list"
            );
            declared_anywhere.insert(name);
        }
    }
    for name in &scope.defined {
        assert!(
            declared_anywhere.contains(name),
            "the `crate` scope lists `{name}`, which no template defines"
        );
    }
}

// ---------------------------------------------------------------------------
// Stability, and lint agreeing with the generators.

#[test]
fn appending_an_event_renames_no_identifier() {
    for (name, path) in ts::plans() {
        let plan = loaded(&path);
        // Events named to collide with what exists: an event's other case,
        // an enum's words, the module's own names.
        let mut candidates: Vec<String> = plan
            .events
            .iter()
            .map(|e| e.name.to_lowercase().replace(' ', "_"))
            .collect();
        for e in &plan.events {
            for p in &e.properties {
                candidates.push(format!("{} {}", e.name, p.name));
            }
        }
        candidates
            .extend(["Track", "Init", "People", "Register", "Event", "Tracker"].map(String::from));
        for target in Target::builtins() {
            let before = Names::allocate(&plan, &target);
            for candidate in &candidates {
                if plan.event(candidate).is_some() {
                    continue;
                }
                let mut longer = plan.clone();
                let mut event = plan.events.first().cloned().unwrap();
                event.name = candidate.clone();
                longer.events.push(event);
                let after = Names::allocate(&longer, &target);
                for (item, names) in before.all() {
                    assert_eq!(
                        Some(names),
                        after.all().get(item).copied(),
                        "{name}, {}: appending the event {candidate:?} renamed {item}",
                        target.spec.name
                    );
                }
            }
        }
    }
}

/// What lint says collides, and what the generators had to rename because
/// another item held the name, as the messages lint writes.
fn collisions(plan_text: &str) -> (BTreeSet<String>, BTreeSet<String>) {
    let loaded = trackplan::plan::load_text("plan.yaml", plan_text);
    let plan = loaded.plan.clone().unwrap();
    let linted: BTreeSet<String> = trackplan::lint::lint(loaded)
        .into_iter()
        .filter(|d| d.rule == "identifier-collision")
        .map(|d| {
            assert!(d.location().is_some(), "{}: no place", d.message);
            d.message
        })
        .collect();
    let mut resolved = BTreeSet::new();
    for target in Target::builtins() {
        for rename in Names::allocate(&plan, &target).renames {
            if let Reason::Taken(other) = rename.reason {
                resolved.insert(format!(
                    "{} and {other} give the same identifier in generated code",
                    rename.item
                ));
            }
        }
    }
    (linted, resolved)
}

#[test]
fn lint_reports_exactly_the_collisions_the_generators_resolve() {
    let (mut runner, _) = runner();
    let mut seen = 0;
    for i in 0..cases() * 10 {
        let plan = plan(i).new_tree(&mut runner).unwrap().current();
        let (linted, resolved) = collisions(&serde_json::to_string(&plan).unwrap());
        seen += resolved.len();
        assert_eq!(linted, resolved, "{plan}");
    }
    assert!(seen > 0, "no random plan had a collision");
    let (linted, _) = collisions(
        "trackplan: 1\nname: Shop\nversion: 1.0.0\nevents:\n  Order:\n    properties:\n      status: {type: string, enum: [open, closed]}\n  Order Status: {}\n  order_status: {}\n",
    );
    assert_eq!(
        linted,
        BTreeSet::from([
            "event \"Order Status\" and the type of event \"Order\", property \"status\" give the same identifier in generated code".to_owned(),
            "event \"order_status\" and event \"Order Status\" give the same identifier in generated code".to_owned(),
            "event \"order_status\" and the type of event \"Order\", property \"status\" give the same identifier in generated code".to_owned(),
        ])
    );
}
