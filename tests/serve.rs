//! `trackplan serve` as SDKs and test suites use it: the protocol, the real
//! SDKs pointed at it, and a load test on loopback.

mod common;

use common::serve::Server;

use std::io::Write;
use std::process::Command;
use std::time::{Duration, Instant};

use base64::Engine;
use serde_json::{Value, json};

const LOGIN: &str = r#"{"event":"Login","properties":{"distinct_id":"u1","$user_id":"u1","client_id":"web-shop","method":"sms","attempt":1}}"#;

fn b64(s: &str) -> String {
    base64::engine::general_purpose::STANDARD.encode(s)
}

#[test]
fn speaks_mixpanel() {
    let server = Server::start();
    let agent = ureq::Agent::new_with_defaults();
    let url = &server.url;
    let text = |r: Result<ureq::http::Response<ureq::Body>, ureq::Error>| {
        r.unwrap().body_mut().read_to_string().unwrap()
    };
    assert_eq!(
        text(
            agent
                .post(format!("{url}/track/?ip=1&verbose=1"))
                .send_form([("data", b64(LOGIN).as_str())])
        ),
        r#"{"status": 1, "error": null}"#
    );
    assert_eq!(
        text(agent.get(format!("{url}/track?data={}", b64(LOGIN))).call()),
        "1"
    );
    let encoded: String =
        percent_encoding::utf8_percent_encode(LOGIN, percent_encoding::NON_ALPHANUMERIC).collect();
    assert_eq!(
        text(
            agent
                .get(format!("{url}/track/?data={encoded}&verbose=1"))
                .call()
        ),
        r#"{"status": 1, "error": null}"#
    );
    assert_eq!(
        text(
            agent
                .post(format!("{url}/import"))
                .header("Content-Type", "application/json")
                .send(format!("[{LOGIN},{LOGIN}]"))
        ),
        "1"
    );
    assert_eq!(
        text(agent.post(format!("{url}/engage/")).send_form([
            ("data", r#"{"$distinct_id":"u1","$set":{"age":"thirty"}}"#),
            ("verbose", "1")
        ])),
        r#"{"status": 1, "error": null}"#
    );
    let bad = text(
        agent
            .post(format!("{url}/track?verbose=1"))
            .send_form([("data", "%%%")]),
    );
    assert!(
        bad.starts_with(r#"{"status":0,"error":"`data` is neither JSON nor valid base64"#),
        "{bad}"
    );
    assert_eq!(
        text(
            agent
                .post(format!("{url}/track"))
                .send_form([("data", "%%%")])
        ),
        "0"
    );
    assert_eq!(
        text(agent.get(format!("{url}/decide/?verbose=1")).call()),
        "{}"
    );
    assert_eq!(text(agent.get(format!("{url}/flags/")).call()), "{}");
    let preflight = agent
        .options(format!("{url}/track/"))
        .header("Origin", "http://shop.test")
        .call()
        .unwrap();
    assert_eq!(
        preflight.headers()["access-control-allow-origin"],
        "http://shop.test"
    );
    let report = server.report();
    assert_eq!(
        (
            report["records"].as_u64(),
            report["errors"].as_u64(),
            report["undecodable"].as_u64()
        ),
        (Some(6), Some(8), Some(2)),
        "{report:#}"
    );
    assert_eq!(report["rules"]["not-in-enum"]["count"], 5);
    assert_eq!(report["rules"]["wrong-type"]["count"], 1);
    // Every accepted record is on disk, with its verdict, and `check` reads the file back.
    let records = server.records();
    assert_eq!(records.len(), 6);
    assert_eq!(
        records[0]["trackplan"]["violations"][0]["rule"],
        "not-in-enum"
    );
    let check = common::trackplan(&[
        "check",
        "--plan",
        "plans/accounts.yaml",
        "--format",
        "json",
        server.out.to_str().unwrap(),
    ]);
    let summary: Value = serde_json::from_str(
        String::from_utf8(check.stdout)
            .unwrap()
            .lines()
            .last()
            .unwrap(),
    )
    .unwrap();
    assert_eq!(summary["records"], 6);
    assert_eq!(summary["errors"], 6);
    // A reset clears the running summary (one per test of a suite).
    text(agent.post(format!("{url}/_trackplan/reset")).send_empty());
    assert_eq!(server.report()["records"], 0);
    let page = text(agent.get(format!("{url}/_trackplan/")).call());
    assert!(page.contains("<h1>trackplan serve</h1>"));
}

#[test]
fn the_real_sdks_against_serve() {
    let record = common::root().join("tests/fixtures/sdk/record");
    assert!(
        record.join("node_modules/mixpanel-browser").exists(),
        "the SDKs are not installed: run `bash .ci/setup`"
    );
    let server = Server::start();
    let out = Command::new("node")
        .args(["record.mjs", "--to", &server.url])
        .current_dir(&record)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let report = server.report();
    // All that the three SDKs sent (34 + 19 + 17 records, as in the recorded
    // fixtures), and exactly the five planted violations of each.
    assert_eq!(report["records"], 70, "{report:#}");
    assert_eq!(
        (
            report["errors"].as_u64(),
            report["warnings"].as_u64(),
            report["undecodable"].as_u64()
        ),
        (Some(15), Some(0), Some(0))
    );
    assert_eq!(
        report["rules"],
        json!({"missing-property": {"severity": "error", "count": 3}, "not-in-enum": {"severity": "error", "count": 3}, "unplanned-event": {"severity": "error", "count": 3}, "wrong-type": {"severity": "error", "count": 6}})
    );
    assert_eq!(server.records().len(), 70);
}

/// One request of the load test, in one of the encodings the SDKs use.
fn send(agent: &ureq::Agent, url: &str, kind: usize, batch: &str) -> bool {
    let result = match kind % 5 {
        0 => agent
            .post(format!("{url}/track/?ip=1&verbose=1"))
            .send_form([("data", b64(batch).as_str())]),
        1 => agent
            .post(format!("{url}/track?verbose=1"))
            .send_form([("data", batch), ("ip", "0")]),
        2 => agent
            .get(format!("{url}/track?verbose=1&data={}", b64(batch)))
            .call(),
        3 => agent
            .post(format!("{url}/import?verbose=1"))
            .header("Content-Type", "application/json")
            .send(batch),
        _ => {
            let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
            gz.write_all(batch.as_bytes()).unwrap();
            agent
                .post(format!("{url}/track?verbose=1"))
                .header("Content-Type", "application/json")
                .header("Content-Encoding", "gzip")
                .send(&gz.finish().unwrap()[..])
        }
    };
    result
        .ok()
        .and_then(|mut r| r.body_mut().read_to_string().ok())
        .is_some_and(|b| b.contains("\"status\": 1"))
}

/// 100,000 events in 2,000 requests over 50 connections, then the same
/// with `--fsync` (each answer waits for the disk): every record answered
/// is on disk once. Prints the figures of both.
#[test]
fn load_on_loopback() {
    load(&[]);
    load(&["--fsync"]);
}

fn load(extra: &[&str]) {
    const CONNECTIONS: usize = 50;
    const REQUESTS: usize = 40;
    const BATCH: usize = 50;
    let server = Server::start_with(extra);
    let event = |i: usize| {
        format!(
            r#"{{"event":"Page Viewed","properties":{{"distinct_id":"$device:d{i}","$device_id":"d{i}","client_id":"load-test","page_url":"https://a.example/{i}","time":1718000000,"$insert_id":"i{i}"}}}}"#
        )
    };
    let started = Instant::now();
    let threads: Vec<_> = (0..CONNECTIONS)
        .map(|c| {
            let url = server.url.clone();
            let batches: Vec<String> = (0..REQUESTS)
                .map(|r| {
                    format!(
                        "[{}]",
                        (0..BATCH)
                            .map(|e| event((c * REQUESTS + r) * BATCH + e))
                            .collect::<Vec<_>>()
                            .join(",")
                    )
                })
                .collect();
            std::thread::spawn(move || {
                let agent = ureq::Agent::new_with_defaults();
                let mut ok = 0;
                let mut latencies = Vec::new();
                for (r, batch) in batches.iter().enumerate() {
                    let t = Instant::now();
                    if send(&agent, &url, c + r, batch) {
                        ok += 1;
                    }
                    latencies.push(t.elapsed());
                }
                (ok, latencies)
            })
        })
        .collect();
    let mut ok_requests = 0;
    let mut latencies: Vec<Duration> = Vec::new();
    for t in threads {
        let (ok, l) = t.join().unwrap();
        ok_requests += ok;
        latencies.extend(l);
    }
    let elapsed = started.elapsed();
    latencies.sort();
    let p99 = latencies[latencies.len() * 99 / 100];
    let status =
        std::fs::read_to_string(format!("/proc/{}/status", server.child.id())).unwrap_or_default();
    let peak = status
        .lines()
        .find(|l| l.starts_with("VmHWM"))
        .unwrap_or("VmHWM: ?")
        .to_owned();
    let requests = CONNECTIONS * REQUESTS;
    println!(
        "load{}: {} events in {requests} requests over {CONNECTIONS} connections in {:.2} s: {:.0} requests/s, {:.0} events/s, p99 {:.1} ms, server {peak}",
        if extra.is_empty() {
            String::new()
        } else {
            format!(" ({})", extra.join(" "))
        },
        requests * BATCH,
        elapsed.as_secs_f64(),
        requests as f64 / elapsed.as_secs_f64(),
        (requests * BATCH) as f64 / elapsed.as_secs_f64(),
        p99.as_secs_f64() * 1000.0
    );
    assert_eq!(ok_requests, requests, "every request answered with success");
    // Exactly as many records on disk as were answered with success: none lost, none twice.
    let records = server.records();
    assert_eq!(records.len(), ok_requests * BATCH);
    let mut ids: Vec<&str> = records
        .iter()
        .map(|r| r["properties"]["$insert_id"].as_str().unwrap())
        .collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), CONNECTIONS * REQUESTS * BATCH);
    assert_eq!(server.report()["errors"], 0);
}

#[test]
fn forwards_requests_unchanged() {
    // The "real endpoint": a second collector.
    let upstream = Server::start();
    let front = Server::start_with(&["--forward", &upstream.url]);
    let answer = ureq::post(format!("{}/track/?verbose=1", front.url))
        .send_form([("data", b64(LOGIN).as_str())])
        .unwrap()
        .body_mut()
        .read_to_string()
        .unwrap();
    assert_eq!(answer, r#"{"status": 1, "error": null}"#);
    let deadline = Instant::now() + Duration::from_secs(10);
    while upstream.records().is_empty() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(50));
    }
    let forwarded = upstream.records();
    assert_eq!(forwarded.len(), 1);
    assert_eq!(forwarded[0]["event"], "Login");
    assert_eq!(forwarded[0]["trackplan"]["endpoint"], "/track/");
    assert_eq!(front.records().len(), 1);
}
