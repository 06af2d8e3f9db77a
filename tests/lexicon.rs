//! Exports: Lexicon schemas in the documented shape, and back; JSON
//! Schemas valid under the draft 2020-12 meta-schema.

mod common;

use serde_json::Value;
use trackplan::export::{jsonschema, lexicon};
use trackplan::plan::{Plan, Property};

fn plan(name: &str) -> Plan {
    let loaded =
        trackplan::plan::load(&common::root().join("plans").join(format!("{name}.yaml"))).unwrap();
    assert!(!loaded.has_errors());
    loaded.plan.unwrap()
}

fn read(rel: &str) -> Value {
    serde_json::from_str(&std::fs::read_to_string(common::fixture(rel)).unwrap()).unwrap()
}

#[test]
fn the_export_and_the_documented_sample_have_the_same_shape() {
    let validator = ::jsonschema::validator_for(&read("lexicon/entry.schema.json")).unwrap();
    let shape = |doc: &Value| -> Vec<String> {
        validator
            .iter_errors(doc)
            .map(|e| format!("{} at {}", e, e.instance_path()))
            .collect()
    };
    let sample = read("lexicon/sample.json");
    assert_eq!(shape(&sample), Vec::<String>::new(), "the committed sample");
    for name in ["accounts", "cafe"] {
        let exported = lexicon::export(&plan(name));
        assert_eq!(shape(&exported), Vec::<String>::new(), "{name}");
    }
    let exported = lexicon::export(&plan("accounts"));
    let entries = exported["entries"].as_array().unwrap();
    assert_eq!(entries.len(), 12, "11 events and the user profile");
    let login = entries.iter().find(|e| e["name"] == "Login").unwrap();
    assert_eq!(
        login["schemaJson"]["required"],
        // An autologin has no attempt: flat, `attempt` is required of no one.
        serde_json::json!(["client_id", "method"])
    );
    assert_eq!(
        login["schemaJson"]["properties"]["method"]["enum"],
        serde_json::json!(["password", "google", "facebook", "sso", "autologin"])
    );
    assert_eq!(
        login["schemaJson"]["metadata"]["com.mixpanel"]["tags"],
        serde_json::json!(["session"])
    );
    let planned = entries
        .iter()
        .find(|e| e["name"] == "Two Factor Enabled")
        .unwrap();
    assert_eq!(
        planned["schemaJson"]["metadata"]["com.mixpanel"]["hidden"],
        true
    );
}

/// What an import must keep of a property.
fn essence(
    p: &Property,
) -> (
    String,
    &'static str,
    bool,
    Option<Vec<Value>>,
    Option<String>,
    bool,
) {
    (
        p.name.clone(),
        p.schema.ty.as_str(),
        p.required,
        p.schema.allowed.clone(),
        p.description.clone(),
        p.schema.nullable,
    )
}

#[test]
fn import_of_export_describes_the_same_events_and_properties() {
    for name in ["accounts", "cafe"] {
        let original = plan(name);
        let yaml = lexicon::to_yaml(
            &lexicon::import(&lexicon::export(&original), &original.name).unwrap(),
        );
        let loaded = trackplan::plan::load_text("imported.yaml", &yaml);
        let errors: Vec<_> = loaded
            .diagnostics
            .iter()
            .filter(|d| d.severity == trackplan::diagnostic::Severity::Error)
            .map(|d| &d.message)
            .collect();
        assert!(errors.is_empty(), "{name}: {errors:?}\n{yaml}");
        let imported = loaded.plan.unwrap();
        assert_eq!(imported.events.len(), original.events.len(), "{name}");
        for (before, after) in original.events.iter().zip(&imported.events) {
            assert_eq!(before.name, after.name);
            assert_eq!(
                before.description,
                after.description.as_ref().map(|d| d
                    .trim_end_matches(&format!(
                        " Deprecated: send \"{}\" instead.",
                        before.replaced_by.clone().unwrap_or_default()
                    ))
                    .to_owned()),
                "{}",
                before.name
            );
            if before.variants.is_some() {
                // Flattened: checked on the café's purchases below.
                continue;
            }
            let expected: Vec<_> = original
                .super_properties
                .iter()
                .chain(&before.properties)
                .map(essence)
                .collect();
            let got: Vec<_> = after.properties.iter().map(essence).collect();
            assert_eq!(got, expected, "{name}: {}", before.name);
        }
        let users: Vec<_> = imported.user_properties.iter().map(essence).collect();
        let expected: Vec<_> = original.user_properties.iter().map(essence).collect();
        assert_eq!(users, expected, "{name}: user properties");
    }
}

#[test]
fn the_documented_sample_imports_as_a_plan() {
    let plan = lexicon::import(&read("lexicon/sample.json"), "Shop").unwrap();
    let yaml = lexicon::to_yaml(&plan);
    let loaded = trackplan::plan::load_text("shop.yaml", &yaml);
    assert!(!loaded.has_errors(), "{:?}", loaded.diagnostics);
    let plan = loaded.plan.unwrap();
    let cart = plan.event("Added To Cart").unwrap();
    let names: Vec<_> = cart
        .properties
        .iter()
        .map(|p| (p.name.as_str(), p.required))
        .collect();
    assert_eq!(
        names,
        [
            ("product_id", true),
            ("price", true),
            ("quantity", false),
            ("category", false),
            ("gift", false)
        ]
    );
    assert_eq!(cart.owner.as_deref(), Some("growth"));
    assert_eq!(plan.user_properties.len(), 2);
    let out = common::trackplan(&[
        "import",
        "mixpanel",
        common::fixture("lexicon/sample.json").to_str().unwrap(),
        "--name",
        "Shop",
    ]);
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8(out.stdout).unwrap().starts_with(
        "# yaml-language-server: $schema=trackplan.schema.json\ntrackplan: 1\nname: Shop\n"
    ));
}

#[test]
fn exported_json_schemas_are_valid_draft_2020_12() {
    for name in ["accounts", "cafe"] {
        let plan = plan(name);
        for (file, schema) in jsonschema::all_schemas(&plan) {
            if let Err(e) = ::jsonschema::draft202012::meta::validate(&schema) {
                panic!("{name} {file}: {e}");
            }
        }
    }
}

/// Lexicon holds one flat list: an event with variants keeps the base
/// properties in their order, requiredness only where every value has it,
/// and says which values carry the others.
#[test]
fn variants_export_as_one_flat_list_saying_which_values_carry_what() {
    let original = plan("cafe");
    let imported = lexicon::import(&lexicon::export(&original), &original.name).unwrap();
    let yaml = lexicon::to_yaml(&imported);
    let loaded = trackplan::plan::load_text("imported.yaml", &yaml)
        .plan
        .unwrap();
    let purchased = loaded
        .events
        .iter()
        .find(|e| e.name == "Purchased Item")
        .unwrap();
    let got: Vec<(String, bool, String)> = purchased
        .properties
        .iter()
        .filter(|p| !original.super_properties.iter().any(|s| s.name == p.name))
        .map(|p| {
            (
                p.name.clone(),
                p.required,
                p.description.clone().unwrap_or_default(),
            )
        })
        .collect();
    let drinks = " Only when `item_type` is coffee, tea or cold_drink.";
    let expected = [
        ("order_id", true, "Id of the order, as the ordering service stores it. Join key between the order and item events.", ""),
        ("item_id", true, "Id of a menu item, stable across stores and menu changes.", ""),
        ("item_type", true, "Kind of menu item; use it to split drinks from food and merchandise.", ""),
        ("item_name", true, "Name of the item as the menu shows it, in English, whatever the app's language.", ""),
        ("price", true, "Unit price with the chosen options, taxes included.", ""),
        ("currency", true, "ISO 4217 code of the currency, such as EUR.", ""),
        ("quantity", true, "How many of the item.", ""),
        ("size", false, "Size of a drink: required for drinks, absent for food and merchandise.", drinks),
        ("milk", false, "Milk in a drink; absent for food and merchandise.", drinks),
        ("extra_shots", false, "Extra espresso shots on top of the recipe; absent for drinks without espresso.", drinks),
        ("is_iced", false, "Whether the drink is served iced; absent for food and merchandise.", drinks),
        ("options", false, "Other options chosen, such as a syrup, extra hot or no lid.", ""),
    ]
    .map(|(name, required, description, when)| (name.to_owned(), required, format!("{description}{when}")));
    assert_eq!(got, expected);
    assert!(purchased.variants.is_none(), "{yaml}");
}
