//! Generated Rust, built for real: each plan's crate passes `cargo clippy
//! -D warnings` and `cargo doc` with `RUSTDOCFLAGS=-D warnings` (the crate
//! denies missing docs); wrong events do not compile; events built with it pass
//! `trackplan check`; its optional HTTP client sends what the decoder of the
//! official SDKs' traffic reads back exactly.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use common::root;

/// Where generated crates and the programs using them are built.
fn work() -> PathBuf {
    root().join("target/generated-crates")
}

fn cargo(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO"))
        .args(args)
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", work().join("target"))
        .env_remove("RUSTFLAGS")
        .env("RUSTDOCFLAGS", "-D warnings")
        .output()
        .expect("cargo runs")
}

fn generate(plan: &Path, name: &str) -> PathBuf {
    let out = work().join("src").join(name);
    let _ = std::fs::remove_dir_all(&out);
    let done = common::trackplan(&[
        "generate",
        "rust",
        "--plan",
        plan.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(
        done.status.success(),
        "{}",
        String::from_utf8_lossy(&done.stderr)
    );
    out
}

/// A program crate depending on the generated crate `dep`, with `main`.
fn program(name: &str, dep: &Path, main: &str) -> PathBuf {
    let dir = work().join("src").join(name);
    std::fs::create_dir_all(dir.join("src")).unwrap();
    // The generated crate's package name, from its manifest.
    let dep_manifest = std::fs::read_to_string(dep.join("Cargo.toml")).unwrap();
    let package = dep_manifest
        .lines()
        .find_map(|l| l.strip_prefix("name = "))
        .unwrap()
        .trim_matches('"')
        .to_owned();
    let manifest = format!(
        "[package]\nname = \"{name}\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n[dependencies]\ntracking = {{ path = {:?}, package = \"{package}\" }}\nserde_json = \"1\"\n\n[features]\nhttp = [\"tracking/http\"]\n\n[workspace]\n",
        dep.display().to_string()
    );
    std::fs::write(dir.join("Cargo.toml"), manifest).unwrap();
    std::fs::write(dir.join("src/main.rs"), main).unwrap();
    dir
}

#[test]
fn every_plan_builds_and_passes_clippy_and_rustdoc() {
    let mut plans: Vec<PathBuf> = std::fs::read_dir(root().join("plans"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    plans.push(common::fixture("plans/hostile.yaml"));
    plans.push(common::fixture("plans/formats.yaml"));
    plans.push(common::fixture("plans/variants.yaml"));
    for plan in plans {
        let name = plan.file_stem().unwrap().to_string_lossy().into_owned();
        let dir = generate(&plan, &format!("plan-{name}"));
        let out = cargo(
            &dir,
            &[
                "clippy",
                "--all-features",
                "--quiet",
                "--",
                "-D",
                "warnings",
            ],
        );
        assert!(
            out.status.success(),
            "{name}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let doc = cargo(&dir, &["doc", "--no-deps", "--all-features", "--quiet"]);
        assert!(
            doc.status.success(),
            "{name}: cargo doc: {}",
            String::from_utf8_lossy(&doc.stderr)
        );
    }
}

/// Each `(name, body, expected)`: a `main` of `body` against `dep` fails
/// to build, with `expected` in the compiler's message.
fn fails_to_compile(dep: &Path, cases: &[(&str, &str, &str)]) {
    for (name, body, expected) in cases {
        let dir = program(
            &format!("fails-{name}"),
            dep,
            &format!("fn main() {{\n    {body}\n}}\n"),
        );
        let out = cargo(&dir, &["build", "--quiet"]);
        assert!(!out.status.success(), "{name} compiled");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains(expected), "{name}: {stderr}");
    }
}

#[test]
fn wrong_events_do_not_compile() {
    let dep = generate(&root().join("plans/accounts.yaml"), "accounts-for-errors");
    let cases = [
        (
            "missing-property",
            "let _ = tracking::Login::Other(tracking::LoginOther { method: tracking::LoginOtherMethod::Password, remember_me: None });",
            "missing field `attempt`",
        ),
        (
            "wrong-enum",
            "let _ = tracking::Login::Other(tracking::LoginOther { method: tracking::LoginOtherMethod::Sms, remember_me: None, attempt: 1 });",
            "no variant or associated item named `Sms`",
        ),
        (
            "wrong-type",
            "let _ = tracking::Login::Other(tracking::LoginOther { method: tracking::LoginOtherMethod::Password, remember_me: None, attempt: \"2\" });",
            "expected `i64`, found `&str`",
        ),
        (
            "unknown-property",
            "let _ = tracking::PageViewed { page_url: String::new(), page_title: None, referrer: None, colour: None };",
            "has no field named `colour`",
        ),
        (
            "sso-without-provider",
            "let _ = tracking::Login::Sso(tracking::LoginSso { attempt: 1 });",
            "missing field `sso_provider`",
        ),
        (
            "autologin-with-attempt",
            "let _ = tracking::LoginAutologin { attempt: 1 };",
            "has no field named `attempt`",
        ),
    ];
    fails_to_compile(&dep, &cases);
}

/// An event with variants is an enum of its cases: each case's struct takes
/// exactly its properties, and the record it makes is the wire shape, the
/// discriminator typed as the plan says (a string, an integer, a boolean).
#[test]
fn variants_are_enums_of_their_cases() {
    let dep = generate(
        &common::fixture("plans/variants.yaml"),
        "variants-for-errors",
    );
    let cases = [
        (
            "drink-without-size",
            "let _ = tracking::PurchasedItem::Drink(tracking::PurchasedItemDrink { price: 1.0, milk: None });",
            "missing field `size`",
        ),
        (
            "food-with-size",
            "let _ = tracking::PurchasedItem::Food(tracking::PurchasedItemFood { price: 1.0, size: None });",
            "has no field named `size`",
        ),
        (
            "food-with-milk",
            "let _ = tracking::PurchasedItemFood { price: 1.0, milk: None };",
            "has no field named `milk`",
        ),
        (
            "sso-false-with-provider",
            "let _ = tracking::Login::Other(tracking::LoginOther { provider: None });",
            "has no field named `provider`",
        ),
        (
            "shipped-without-carrier",
            "let _ = tracking::OrderStatus::V2(tracking::OrderStatus2 {});",
            "missing field `carrier`",
        ),
        (
            "box-without-lid",
            "let _ = tracking::ParcelSentMain::Box(tracking::ParcelSentMainBox { weight: 1.0 });",
            "missing field `lid`",
        ),
        (
            "box-with-length",
            "let _ = tracking::ParcelSentMainBox { weight: 1.0, lid: true, length: None };",
            "has no field named `length`",
        ),
        (
            "tape-with-colour",
            "let _ = tracking::ParcelSentSeal::Other(tracking::ParcelSentSealOther { colour: String::new() });",
            "has no field named `colour`",
        ),
    ];
    fails_to_compile(&dep, &cases);
    let main = r#"
use tracking::*;
fn show<E: Event>(e: &E) {
    println!("{}", serde_json::to_string(&e.properties()).unwrap());
}
fn main() {
    show(&PurchasedItem::Drink(PurchasedItemDrink { price: 3.5, size: PurchasedItemDrinkSize::Small, milk: Some(PurchasedItemDrinkMilk::Oat) }));
    show(&PurchasedItem::Food(PurchasedItemFood { price: 2.0 }));
    show(&PurchasedItem::Other(PurchasedItemOther { price: 9.0 }));
    show(&OrderStatus::V2(OrderStatus2 { carrier: "dhl".into() }));
    show(&Login::True(LoginTrue { provider: LoginTrueProvider::Okta }));
    show(&Login::Other(LoginOther {}));
    show(&Track::Class(TrackClass { track: "x".into() }));
    let parcel = ParcelSent {
        main: ParcelSentMain::Box(ParcelSentMainBox { weight: 250.0, lid: true }),
        extras: Some(vec![
            ParcelSentExtrasItem::Tube(ParcelSentExtrasItemTube { weight: 90.0, length: 600.0 }),
            ParcelSentExtrasItem::Other(ParcelSentExtrasItemOther { weight: 20.0 }),
        ]),
        seal: Some(ParcelSentSeal::V2(ParcelSentSeal2 { colour: "red".into() })),
    };
    show(&parcel);
    // An object's union reads back from the wire, case by case.
    let back: ParcelSent = serde_json::from_value(serde_json::Value::Object(parcel.properties())).unwrap();
    assert_eq!(back, parcel);
    let wrong = serde_json::json!({"main": {"shape": "crate", "weight": 1.0}});
    println!("{}", serde_json::from_value::<ParcelSent>(wrong).unwrap_err());
}
"#;
    let dir = program("variants-records", &dep, main);
    let out = cargo(&dir, &["run", "--quiet"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        concat!(
            r#"{"item_type":"drink","milk":"oat","price":3.5,"size":"small"}"#,
            "\n",
            r#"{"item_type":"food","price":2.0}"#,
            "\n",
            r#"{"item_type":"merchandise","price":9.0}"#,
            "\n",
            r#"{"carrier":"dhl","code":2}"#,
            "\n",
            r#"{"provider":"okta","sso":true}"#,
            "\n",
            r#"{"sso":false}"#,
            "\n",
            r#"{"Track":"x","type":"class"}"#,
            "\n",
            r#"{"extras":[{"length":600.0,"shape":"tube","weight":90.0},{"shape":"envelope","weight":20.0}],"main":{"lid":true,"shape":"box","weight":250.0},"seal":{"colour":"red","kind":2}}"#,
            "\n",
            "\"crate\" is not a value of shape\n",
        )
    );
}

/// Builds events with the generated crate and prints every record.
const RUNTIME: &str = r#"
use std::cell::RefCell;
use tracking::*;

struct Recorder(RefCell<Vec<serde_json::Value>>);

impl Client for &Recorder {
    fn send(&self, _: Endpoint, records: &[serde_json::Value]) -> Result<(), Error> {
        self.0.borrow_mut().extend(records.iter().cloned());
        Ok(())
    }
}

fn session<C: Client>(tracker: &Tracker<C>) -> Result<(), Error> {
    let device = Who::Device("d-1".to_owned());
    let user = Who::UserOnDevice { user: "u-1".to_owned(), device: "d-1".to_owned() };
    tracker.track(&device, &PageViewed { page_url: "https://accounts.example.com/login".to_owned(), page_title: None, referrer: None })?;
    tracker.track(&user, &Login::Other(LoginOther { method: LoginOtherMethod::Password, remember_me: Some(true), attempt: 1 }))?;
    tracker.track(&user, &Autologin { session_age_days: 3 })?;
    tracker.track(&user, &ProfileUpdated { fields: vec![ProfileUpdatedFieldsItem::Age] })?;
    tracker.track(&user, &Logout { reason: LogoutReason::User })?;
    tracker.set_profile("u-1", &UserProperties { age: Some(34), gender: Some(UserGender::Female), ..UserProperties::default() })?;
    tracker.set_group("acme", &CompanyGroup { plan: Some(CompanyGroupPlan::Pro), seats: Some(12), ..CompanyGroup::default() })?;
    Ok(())
}

fn main() {
    let supers = SuperProperties { client_id: "account-api".to_owned() };
    match std::env::args().nth(1) {
        Some(url) => {
            #[cfg(feature = "http")]
            session(&Tracker::new(tracking::http::HttpClient::new(url), "tok-rust", &supers)).unwrap();
            #[cfg(not(feature = "http"))]
            panic!("built without http: {url}");
        }
        None => {
            let recorder = Recorder(RefCell::new(Vec::new()));
            session(&Tracker::new(&recorder, "tok-rust", &supers)).unwrap();
            for record in recorder.0.borrow().iter() {
                println!("{record}");
            }
        }
    }
}
"#;

fn expected_records() -> Vec<serde_json::Value> {
    let plan = "Accounts@2.0.0";
    let user = |more: serde_json::Value| {
        let mut p = serde_json::json!({"token": "tok-rust", "distinct_id": "u-1", "$user_id": "u-1", "$device_id": "d-1", "client_id": "account-api"});
        p.as_object_mut()
            .unwrap()
            .extend(more.as_object().unwrap().clone());
        p["tracking_plan"] = plan.into();
        p
    };
    vec![
        serde_json::json!({"event": "Page Viewed", "properties": {"token": "tok-rust", "distinct_id": "$device:d-1", "$device_id": "d-1", "client_id": "account-api", "page_url": "https://accounts.example.com/login", "tracking_plan": plan}}),
        serde_json::json!({"event": "Login", "properties": user(serde_json::json!({"method": "password", "remember_me": true, "attempt": 1}))}),
        serde_json::json!({"event": "Autologin", "properties": user(serde_json::json!({"session_age_days": 3}))}),
        serde_json::json!({"event": "Profile Updated", "properties": user(serde_json::json!({"fields": ["age"]}))}),
        serde_json::json!({"event": "Logout", "properties": user(serde_json::json!({"reason": "user"}))}),
        serde_json::json!({"$token": "tok-rust", "$distinct_id": "u-1", "$set": {"age": 34, "gender": "female"}}),
        serde_json::json!({"$token": "tok-rust", "$group_key": "company", "$group_id": "acme", "$set": {"plan": "pro", "seats": 12}}),
    ]
}

#[test]
fn built_events_pass_check() {
    let dep = generate(&root().join("plans/accounts.yaml"), "accounts-for-runtime");
    let dir = program("runtime", &dep, RUNTIME);
    let out = cargo(&dir, &["run", "--quiet"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    let records: Vec<serde_json::Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(records, expected_records());
    let file = dir.join("sent.ndjson");
    std::fs::write(&file, &text).unwrap();
    let check = common::trackplan(&[
        "check",
        "--format",
        "json",
        "--plan",
        "plans/accounts.yaml",
        file.to_str().unwrap(),
    ]);
    let report = String::from_utf8(check.stdout).unwrap();
    let summary: serde_json::Value = serde_json::from_str(report.lines().last().unwrap()).unwrap();
    assert_eq!(
        (
            summary["errors"].as_u64(),
            summary["warnings"].as_u64(),
            summary["records"].as_u64()
        ),
        (Some(0), Some(0), Some(7)),
        "{report}"
    );
}

/// One HTTP request as received.
struct Received {
    method: String,
    target: String,
    content_type: Option<String>,
    body: Vec<u8>,
}

/// Answers like Mixpanel with `verbose=1`, for `count` requests.
fn recorder(listener: TcpListener, count: usize) -> Vec<Received> {
    let mut received = Vec::new();
    for stream in listener.incoming().take(count) {
        let mut stream = stream.unwrap();
        let mut reader = BufReader::new(stream.try_clone().unwrap());
        let mut line = String::new();
        reader.read_line(&mut line).unwrap();
        let mut parts = line.split_whitespace();
        let (method, target) = (
            parts.next().unwrap().to_owned(),
            parts.next().unwrap().to_owned(),
        );
        let (mut length, mut content_type) = (0, None);
        loop {
            let mut header = String::new();
            reader.read_line(&mut header).unwrap();
            let header = header.trim_end();
            if header.is_empty() {
                break;
            }
            let (name, value) = header.split_once(':').unwrap();
            match name.to_ascii_lowercase().as_str() {
                "content-length" => length = value.trim().parse().unwrap(),
                "content-type" => content_type = Some(value.trim().to_owned()),
                _ => {}
            }
        }
        let mut body = vec![0; length];
        reader.read_exact(&mut body).unwrap();
        let answer = r#"{"status": 1, "error": null}"#;
        write!(stream, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{answer}", answer.len()).unwrap();
        received.push(Received {
            method,
            target,
            content_type,
            body,
        });
    }
    received
}

#[test]
fn the_http_client_sends_what_the_sdk_decoder_reads_back() {
    let dep = generate(&root().join("plans/accounts.yaml"), "accounts-for-http");
    let dir = program("runtime-http", &dep, RUNTIME);
    let built = cargo(&dir, &["build", "--quiet", "--features", "http"]);
    assert!(
        built.status.success(),
        "{}",
        String::from_utf8_lossy(&built.stderr)
    );
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let server = std::thread::spawn(move || recorder(listener, 7));
    let out = cargo(&dir, &["run", "--quiet", "--features", "http", "--", &url]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let received = server.join().unwrap();
    let mut decoded = Vec::new();
    for (i, request) in received.iter().enumerate() {
        assert_eq!(request.method, "POST");
        assert_eq!(
            request.content_type.as_deref(),
            Some("application/x-www-form-urlencoded")
        );
        let endpoint = trackplan::payload::request::endpoint_of(&request.target).unwrap();
        let source = trackplan::payload::Source {
            file: "http".into(),
            location: trackplan::payload::Location::Body { record: i },
        };
        let http_request = trackplan::payload::request::Request {
            method: &request.method,
            url: &request.target,
            content_type: request.content_type.as_deref(),
            content_encoding: None,
            body: &request.body,
        };
        for item in trackplan::payload::request::decode(&http_request, endpoint, &source) {
            match item {
                trackplan::payload::Item::Record(r) => decoded.push(r.value),
                trackplan::payload::Item::Error(e) => panic!("{}", e.message),
            }
        }
    }
    assert_eq!(decoded, expected_records());
}
