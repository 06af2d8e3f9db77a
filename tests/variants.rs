//! Variants: properties that depend on a discriminator's value. The loader
//! reports each mistake at its place; `check` judges a record against its
//! case, names the case in its verdicts, and reports what the case says is
//! absent (docs/plan-format.md, "Variants").

mod common;

use std::path::Path;

use serde_json::Value;

const HEAD: &str = "trackplan: 1\nname: Cafe\nversion: 1.0.0\ndescription: A café.\n";

/// A café's purchases: drinks have a size (and may have milk), food and
/// merchandise have neither; merchandise falls to the default case.
const CAFE: &str = "events:
  Purchased Item:
    description: Something was bought.
    properties:
      item_type: {type: string, enum: [drink, food, merchandise], description: What.}
      price: {type: number, minimum: 0, description: Price.}
      size: {type: string, enum: [small, large], required: false, description: Cup size.}
    variants:
      by: item_type
      cases:
        drink:
          description: A drink.
          properties:
            size: {type: string, enum: [small, large], description: Cup size.}
            milk: {type: string, enum: [whole, oat], required: false, description: Milk.}
        food:
          absent: [size]
      default:
        absent: [size]
";

/// `(rule, line, column, message)` of what the loader and linter report.
fn findings(body: &str) -> Vec<(String, usize, usize, String)> {
    common::lint_findings(&format!("{HEAD}{body}"))
        .into_iter()
        .map(|(rule, line, column, message)| (rule.to_owned(), line, column, message))
        .collect()
}

#[test]
fn a_plan_with_variants_lints_clean() {
    assert_eq!(findings(CAFE), []);
}

/// A rule, line, column and message expected.
type Finding = (&'static str, usize, usize, &'static str);

#[test]
fn each_mistake_in_variants_is_located() {
    let event = |props: &str, variants: &str| {
        format!(
            "events:\n  Bought:\n    description: B.\n    properties:\n{props}    variants:\n{variants}"
        )
    };
    let kind = "      kind: {type: string, enum: [drink, food], description: K.}\n";
    let size = "      size: {type: string, required: false, description: S.}\n";
    let cases: Vec<(String, Finding)> = vec![
        (
            event(kind, "      by: knid\n      cases: {}\n"),
            (
                "invalid-variant",
                11,
                11,
                "`by: knid` names no property of this event or object; did you mean `kind`?",
            ),
        ),
        (
            event(
                "      kind: {type: string, enum: [drink], required: false, description: K.}\n",
                "      by: kind\n      cases: {}\n",
            ),
            (
                "invalid-variant",
                11,
                11,
                "the discriminator `kind` is optional",
            ),
        ),
        (
            event(
                "      kind: {type: string, description: K.}\n",
                "      by: kind\n      cases: {}\n",
            ),
            (
                "invalid-variant",
                11,
                11,
                "the discriminator `kind` has no `enum`",
            ),
        ),
        (
            event(
                "      kind: {type: number, enum: [1, 2], description: K.}\n",
                "      by: kind\n      cases: {}\n",
            ),
            (
                "invalid-variant",
                11,
                11,
                "the discriminator `kind` is a number; it must be a string, integer or boolean",
            ),
        ),
        (
            event(kind, "      by: kind\n      cases:\n        drinks: {}\n"),
            (
                "invalid-variant",
                13,
                9,
                "`drinks` is not a value of `kind` (one of drink, food); did you mean `drink`?",
            ),
        ),
        (
            event(
                &format!("{kind}{size}"),
                "      by: kind\n      cases:\n        drink:\n          properties:\n            size: {type: integer, description: S.}\n",
            ),
            (
                "invalid-variant",
                16,
                13,
                "`size` is a string in the base properties but an integer in case kind=drink",
            ),
        ),
        (
            event(
                &format!("{kind}{size}"),
                "      by: kind\n      cases:\n        food:\n          properties:\n            size: {type: string, description: S.}\n          absent: [size]\n",
            ),
            (
                "invalid-variant",
                17,
                20,
                "`size` is both added and absent in case kind=food",
            ),
        ),
        (
            event(
                kind,
                "      by: kind\n      cases:\n        food: {absent: [sise]}\n      default: {absent: [kind]}\n",
            ),
            (
                "invalid-variant",
                13,
                25,
                "`absent` names `sise`, no property of this event or object",
            ),
        ),
    ];
    for (body, (rule, line, column, message)) in &cases {
        let found = findings(body);
        assert!(
            found.contains(&((*rule).to_owned(), *line, *column, (*message).to_owned())),
            "{body}\nfound {found:#?}"
        );
    }
    // The default case may not drop the discriminator.
    let found = findings(&cases[7].0);
    assert!(
        found
            .iter()
            .any(|f| f.3 == "the discriminator `kind` cannot be absent" && f.1 == 14),
        "{found:#?}"
    );
}

/// `(subject, rule, path)` of every violation `check --format json` reports.
fn checked(dir: &Path, records: &[Value]) -> Vec<(String, String, String)> {
    let plan = dir.join("plan.yaml");
    std::fs::write(&plan, format!("{HEAD}{CAFE}")).unwrap();
    let input = dir.join("input.ndjson");
    let text: String = records.iter().map(|r| format!("{r}\n")).collect();
    std::fs::write(&input, text).unwrap();
    let out = common::trackplan(&[
        "check",
        "--plan",
        plan.to_str().unwrap(),
        "--format",
        "json",
        input.to_str().unwrap(),
    ]);
    let mut found = Vec::new();
    for line in String::from_utf8_lossy(&out.stdout).lines() {
        let v: Value = serde_json::from_str(line).unwrap();
        if v["type"] == "violation" {
            found.push((
                v["subject"].as_str().unwrap().to_owned(),
                v["rule"].as_str().unwrap().to_owned(),
                v["path"].as_str().unwrap().to_owned(),
            ));
        }
    }
    found.sort();
    found
}

fn purchase(props: Value) -> Value {
    let mut p = serde_json::json!({"distinct_id": "u1", "price": 3.5});
    p.as_object_mut()
        .unwrap()
        .extend(props.as_object().unwrap().clone());
    serde_json::json!({"event": "Purchased Item", "properties": p})
}

#[test]
fn check_judges_each_record_by_its_case() {
    let dir = tempfile::tempdir().unwrap();
    let records = [
        // A drink without its size; with a milk, fine otherwise.
        purchase(serde_json::json!({"item_type": "drink", "milk": "oat"})),
        // Food with a size it cannot have, and a milk no case of food knows.
        purchase(serde_json::json!({"item_type": "food", "size": "large", "milk": "oat"})),
        // Merchandise: the default case, no size either.
        purchase(serde_json::json!({"item_type": "merchandise", "size": "small"})),
        // No discriminator: its own violation, and the default case.
        purchase(serde_json::json!({"size": "small"})),
        // A value outside the enum: the default case too.
        purchase(serde_json::json!({"item_type": "cake"})),
        // Right as planned.
        purchase(serde_json::json!({"item_type": "drink", "size": "small"})),
        purchase(serde_json::json!({"item_type": "food"})),
    ];
    let s = |subject: &str, rule: &str, path: &str| {
        (subject.to_owned(), rule.to_owned(), path.to_owned())
    };
    assert_eq!(
        checked(dir.path(), &records),
        [
            s(
                "Purchased Item [item_type=*]",
                "absent-property",
                "properties.size"
            ),
            s(
                "Purchased Item [item_type=*]",
                "absent-property",
                "properties.size"
            ),
            s(
                "Purchased Item [item_type=*]",
                "missing-property",
                "properties.item_type"
            ),
            s(
                "Purchased Item [item_type=*]",
                "not-in-enum",
                "properties.item_type"
            ),
            s(
                "Purchased Item [item_type=drink]",
                "missing-property",
                "properties.size"
            ),
            s(
                "Purchased Item [item_type=food]",
                "absent-property",
                "properties.size"
            ),
            s(
                "Purchased Item [item_type=food]",
                "unexpected-property",
                "properties.milk"
            ),
        ]
    );
}

/// The SQL form names the case of each record as `check` does: the same
/// report through the DuckDB engine (tests/sql.rs compares the counts on
/// every combination, in DuckDB and Spark).
#[test]
#[cfg(feature = "duckdb")]
fn the_duckdb_engine_names_the_cases_as_check_does() {
    let dir = tempfile::tempdir().unwrap();
    let plan = dir.path().join("plan.yaml");
    std::fs::write(&plan, format!("{HEAD}{CAFE}")).unwrap();
    let input = dir.path().join("in.ndjson");
    let records = [
        purchase(serde_json::json!({"item_type": "drink", "milk": "oat"})),
        purchase(serde_json::json!({"item_type": "food", "size": "large"})),
        purchase(serde_json::json!({"item_type": "merchandise"})),
    ];
    let text: String = records.iter().map(|r| format!("{r}\n")).collect();
    std::fs::write(&input, text).unwrap();
    let run = |engine: &str| {
        let out = common::trackplan(&[
            "check",
            "--engine",
            engine,
            "--plan",
            plan.to_str().unwrap(),
            input.to_str().unwrap(),
        ]);
        assert_eq!(out.status.code(), Some(1));
        let text = String::from_utf8(out.stdout).unwrap();
        let table = text.find("Records per subject").unwrap();
        text[table..].to_owned()
    };
    let streamed = run("streaming");
    assert_eq!(run("duckdb"), streamed);
    assert!(
        streamed.contains("Purchased Item [item_type=drink]"),
        "{streamed}"
    );
    assert!(streamed.contains("absent-property"), "{streamed}");
}

#[test]
fn docs_show_each_case_as_its_own_table() {
    let dir = tempfile::tempdir().unwrap();
    let plan = dir.path().join("plan.yaml");
    std::fs::write(&plan, format!("{HEAD}{CAFE}")).unwrap();
    let out = common::trackplan(&["docs", "--plan", plan.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0));
    let md = String::from_utf8(out.stdout).unwrap();
    let start = md
        .find("#### Purchased Item when `item_type` is `drink`")
        .expect(&md);
    assert_eq!(
        &md[start..md.find("## User properties").unwrap_or(md.len())],
        "#### Purchased Item when `item_type` is `drink`\n\nA drink.\n\n\
         | Property | Type | Required | Allowed values and constraints | Description |\n\
         |---|---|---|---|---|\n\
         | `size` | string | yes | one of \"small\", \"large\" | Cup size. |\n\
         | `milk` | string | no | one of \"whole\", \"oat\" | Milk. |\n\n\
         #### Purchased Item when `item_type` is `food`\n\nNot sent: `size`.\n\n\
         #### Purchased Item when `item_type` has another value\n\nNot sent: `size`.\n\n"
    );
    let out = common::trackplan(&["docs", "--format", "html", "--plan", plan.to_str().unwrap()]);
    let html = String::from_utf8(out.stdout).unwrap();
    assert!(
        html.contains("<h4>When <code>item_type</code> is <code>drink</code></h4>"),
        "{html}"
    );
    assert!(
        html.contains("<p class=\"meta\">Not sent: <code>size</code></p>"),
        "{html}"
    );
    // The search finds the event by a property only a case has.
    let search = html
        .split("data-search=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .unwrap();
    assert!(search.ends_with(" size milk price price"), "{search}");
}

/// A target that names no `case` items does not write variants: it refuses
/// a plan that has them, on events or on objects, rather than write types
/// without them.
#[test]
fn a_target_without_cases_refuses_variants() {
    let dir = tempfile::tempdir().unwrap();
    let example = common::root().join("docs/examples/python-target");
    for file in ["target.toml", "tracking.py.jinja"] {
        let text = std::fs::read_to_string(example.join(file)).unwrap();
        let text = text.replace(
            "[[names]]\nitem = \"case\"\nkey = \"method\"",
            "[[names]]\nitem = \"plan\"\nkey = \"method\"",
        );
        std::fs::write(dir.path().join(file), text).unwrap();
    }
    for (plan, events) in [
        (
            "plans/variants.yaml",
            "Parcel Sent, Purchased Item, Order Status, Track, Login",
        ),
        ("sql/variants.yaml", "Purchased Item"),
    ] {
        let out = common::trackplan(&[
            "generate",
            "--target-dir",
            dir.path().to_str().unwrap(),
            "--plan",
            common::fixture(plan).to_str().unwrap(),
            "--out",
            dir.path().join("out").to_str().unwrap(),
        ]);
        assert_eq!(out.status.code(), Some(2));
        assert_eq!(
            String::from_utf8_lossy(&out.stderr),
            format!(
                "error: the python target does not write variants, and the plan has them ({events})\nhelp: the TypeScript and Rust targets write them; a target of your own names its cases with `item = \"case\"` in `target.toml` (docs/targets.md)\n"
            )
        );
    }
}

/// Lexicon holds a flat list per event: every property any case may carry,
/// required only when every value requires it, a case's own described with
/// the values that have it.
#[test]
fn the_lexicon_export_flattens_the_cases() {
    let out = common::trackplan(&[
        "export",
        "mixpanel",
        "--plan",
        common::fixture("plans/variants.yaml").to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(0));
    let body: Value = serde_json::from_slice(&out.stdout).unwrap();
    let entry = |name: &str| {
        body["entries"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["name"] == name)
            .unwrap()["schemaJson"]
            .clone()
    };
    let purchase = entry("Purchased Item");
    let described: Vec<(String, String)> = purchase["properties"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(k, v)| (k.clone(), v["description"].as_str().unwrap().to_owned()))
        .collect();
    assert_eq!(
        described,
        [
            ("item_type".to_owned(), "What was bought.".to_owned()),
            ("price".to_owned(), "Price paid.".to_owned()),
            (
                "size".to_owned(),
                "Cup size. Only when `item_type` is drink.".to_owned()
            ),
            (
                "milk".to_owned(),
                "Milk choice. Only when `item_type` is drink.".to_owned()
            ),
        ]
    );
    assert_eq!(
        purchase["required"],
        serde_json::json!(["item_type", "price"])
    );
    let status = entry("Order Status");
    assert_eq!(
        status["properties"]["carrier"]["description"],
        "Who ships it. Only when `code` is 2."
    );
    assert_eq!(status["required"], serde_json::json!(["code"]));
}
