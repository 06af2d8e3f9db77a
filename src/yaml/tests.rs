use super::*;
use crate::rules::lint as rule;

fn parse(text: &str) -> Result<Document, Box<Diagnostic>> {
    Document::parse(&SourceFile::new("t.yaml", text))
}

#[test]
fn spans_point_at_values_and_keys() {
    let doc = parse("a: 1\nevents:\n  Login:\n    properties: {x: yes}\n").unwrap();
    let path = Path::keys(["events", "Login", "properties", "x"]);
    let text = doc.file.text();
    assert_eq!(&text[doc.span_of(&path)], "yes");
    assert_eq!(&text[doc.key_span(&path)], "x");
    let login = Path::keys(["events", "Login"]);
    assert_eq!(&text[doc.key_span(&login)], "Login");
}

#[test]
fn missing_path_falls_back_to_nearest_ancestor() {
    let doc = parse("events:\n  Login: {}\n").unwrap();
    let path = Path::keys(["events", "Login", "properties", "x"]);
    assert_eq!(&doc.file.text()[doc.span_of(&path)], "{}");
}

#[test]
fn duplicate_keys_are_recorded_with_both_places() {
    let doc = parse("events:\n  Login: {}\n  Login: {a: 1}\n").unwrap();
    assert_eq!(doc.duplicates.len(), 1);
    let dup = &doc.duplicates[0];
    assert_eq!(dup.key, "Login");
    assert_eq!(dup.mapping, Path::keys(["events"]));
    assert_eq!(doc.file.position(dup.first.start).line, 2);
    assert_eq!(doc.file.position(dup.again.start).line, 3);
    assert_eq!(
        doc.root.to_json(),
        serde_json::json!({"events": {"Login": {}}})
    );
}

#[test]
fn syntax_error_has_a_position() {
    let err = parse("a: [1, 2\nb: 3\n").unwrap_err();
    assert_eq!(err.rule, rule::YAML_SYNTAX);
    assert!(err.primary.is_some());
}

#[test]
fn deep_nesting_is_refused() {
    let text = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
    let err = parse(&text).unwrap_err();
    // saphyr's own flow-level guard may trip before ours does.
    assert!(
        err.message.contains("nests deeper") || err.message.contains("recursion limit"),
        "{}",
        err.message
    );
    let block: String = (0..10_000)
        .map(|i| format!("{}k:\n", " ".repeat(i)))
        .collect();
    let err = parse(&block).unwrap_err();
    assert!(err.message.contains("nests deeper"), "{}", err.message);
}

#[test]
fn alias_bomb_is_refused() {
    let mut text = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
    for i in 0..10 {
        let prev = if i == 0 {
            "a".to_string()
        } else {
            format!("l{}", i - 1)
        };
        text.push_str(&format!(
            "l{i}: &l{i} [{}]\n",
            vec![format!("*{prev}"); 10].join(", ")
        ));
    }
    let err = parse(&text).unwrap_err();
    assert!(
        err.message.contains("expands to more than"),
        "{}",
        err.message
    );
}

#[test]
fn aliases_expand() {
    let doc = parse("a: &x {k: 1}\nb: *x\n").unwrap();
    assert_eq!(
        doc.root.to_json(),
        serde_json::json!({"a": {"k": 1}, "b": {"k": 1}})
    );
}

#[test]
fn empty_document_is_empty_mapping() {
    let doc = parse("# nothing\n").unwrap();
    assert_eq!(doc.root.to_json(), serde_json::json!({}));
}

#[test]
fn second_document_is_refused() {
    let err = parse("a: 1\n---\nb: 2\n").unwrap_err();
    assert!(err.message.contains("one YAML document"));
}
