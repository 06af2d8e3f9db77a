//! `trackplan serve` against bad clients and bad days: stalled and idle
//! connections do not keep a normal request waiting, a slow head is cut
//! off, oversized and over-full requests are refused within a memory bound,
//! other sites cannot read or reset the report, `SIGKILL` loses no
//! acknowledged record, and `SIGTERM` and Ctrl-C finish what is in flight.

mod common;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use common::serve::Server;

const EVENT: &str = r#"{"event":"Page Viewed","properties":{"distinct_id":"$device:d1","$device_id":"d1","client_id":"web-shop","page_url":"https://a.example/"}}"#;

/// The test process may hold thousands of sockets.
fn raise_open_files_limit() {
    // SAFETY: getrlimit and setrlimit only read and write the struct given.
    unsafe {
        let mut limit = libc::rlimit {
            rlim_cur: 0,
            rlim_max: 0,
        };
        if libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) == 0 {
            limit.rlim_cur = limit.rlim_max;
            libc::setrlimit(libc::RLIMIT_NOFILE, &limit);
        }
    }
}

fn authority(server: &Server) -> String {
    server.url.trim_start_matches("http://").to_owned()
}

/// One request and its whole answer, over a fresh connection.
fn exchange(server: &Server, request: &str) -> String {
    let mut stream = TcpStream::connect(authority(server)).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(20)))
        .unwrap();
    stream.write_all(request.as_bytes()).unwrap();
    let mut answer = String::new();
    let _ = stream.read_to_string(&mut answer);
    answer
}

fn post(path: &str, headers: &str, body: &[u8]) -> Vec<u8> {
    let mut request = format!(
        "POST {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: {}\r\n{headers}\r\n",
        body.len()
    )
    .into_bytes();
    request.extend_from_slice(body);
    request
}

fn normal_request_time(server: &Server) -> Duration {
    let started = Instant::now();
    let mut response = ureq::post(format!("{}/track?verbose=1", server.url))
        .header("Content-Type", "application/json")
        .send(EVENT)
        .unwrap();
    let body = response.body_mut().read_to_string().unwrap();
    assert!(body.contains("\"status\": 1"), "{body}");
    started.elapsed()
}

#[test]
fn stalled_and_idle_clients_do_not_delay_a_normal_request() {
    raise_open_files_limit();
    let server = Server::start();
    let address = authority(&server);
    // 150 clients that send the head and part of the body, then stall.
    let stalled: Vec<TcpStream> = (0..150)
        .map(|_| {
            let mut s = TcpStream::connect(&address).unwrap();
            s.write_all(b"POST /track?verbose=1 HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n[{\"event\":")
                .unwrap();
            s
        })
        .collect();
    // 2,000 connections that send nothing at all.
    let idle: Vec<TcpStream> = (0..2_000)
        .map(|_| TcpStream::connect(&address).unwrap())
        .collect();
    std::thread::sleep(Duration::from_millis(300));
    for _ in 0..5 {
        let took = normal_request_time(&server);
        assert!(
            took < Duration::from_secs(1),
            "a normal request took {took:?}"
        );
    }
    // The stalled bodies are cut off within the body timeout, answered 408.
    let mut first = stalled.into_iter().next().unwrap();
    first
        .set_read_timeout(Some(Duration::from_secs(20)))
        .unwrap();
    let mut answer = String::new();
    let _ = first.read_to_string(&mut answer);
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    drop(idle);
}

#[test]
fn a_head_sent_one_line_a_second_is_cut_off() {
    let server = Server::start();
    let mut stream = TcpStream::connect(authority(&server)).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_millis(200)))
        .unwrap();
    stream.write_all(b"POST /track HTTP/1.1\r\n").unwrap();
    let started = Instant::now();
    let mut closed = false;
    for i in 0..20 {
        if stream
            .write_all(format!("X-Slow-{i}: y\r\n").as_bytes())
            .is_err()
        {
            closed = true;
            break;
        }
        let mut buf = [0u8; 256];
        match stream.read(&mut buf) {
            Ok(0) => {
                closed = true;
                break;
            }
            Ok(_) => {
                closed = true;
                break;
            }
            Err(_) => std::thread::sleep(Duration::from_millis(800)),
        }
    }
    assert!(closed, "the slow head was never cut off");
    assert!(
        started.elapsed() < Duration::from_secs(9),
        "cut off after {:?}",
        started.elapsed()
    );
}

/// The server's peak resident memory, in MB.
fn peak_mb(server: &Server) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{}/status", server.child.id())).unwrap();
    let kb: u64 = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.split_whitespace().next())
        .and_then(|v| v.parse().ok())
        .unwrap();
    kb / 1024
}

#[test]
fn oversized_and_overfull_requests_are_refused_within_a_memory_bound() {
    let server = Server::start();
    // Six at once, each a gzip body of about 150 KB expanding to 250,000
    // events, as a bad client might send.
    let events = format!("[{}]", vec![EVENT; 250_000].join(","));
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    gz.write_all(events.as_bytes()).unwrap();
    let bomb = gz.finish().unwrap();
    assert!(bomb.len() < 400_000, "{}", bomb.len());
    let threads: Vec<_> = (0..6)
        .map(|_| {
            let address = authority(&server);
            let request = post(
                "/track?verbose=1",
                "Content-Type: application/json\r\nContent-Encoding: gzip\r\n",
                &bomb,
            );
            std::thread::spawn(move || {
                let mut stream = TcpStream::connect(address).unwrap();
                stream.write_all(&request).unwrap();
                let mut answer = String::new();
                let _ = stream.read_to_string(&mut answer);
                answer
            })
        })
        .collect();
    for t in threads {
        let answer = t.join().unwrap();
        assert!(answer.contains("\"status\":0"), "{answer}");
        assert!(
            answer.contains("the gzip body expands past 10485760 bytes"),
            "{answer}"
        );
    }
    let peak = peak_mb(&server);
    assert!(peak < 1024, "peak {peak} MB");
    // More records than Mixpanel takes in one request: refused whole.
    let full = format!("[{}]", vec![EVENT; 2_001].join(","));
    let answer = exchange(
        &server,
        std::str::from_utf8(&post(
            "/track?verbose=1",
            "Content-Type: application/json\r\n",
            full.as_bytes(),
        ))
        .unwrap(),
    );
    assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");
    assert!(
        answer.contains("a request holds at most 2000 records; this one has 2001"),
        "{answer}"
    );
    // A body over the limit.
    let huge = vec![b' '; 11 * 1024 * 1024];
    let mut stream = TcpStream::connect(authority(&server)).unwrap();
    stream
        .write_all(&post("/track", "Content-Type: application/json\r\n", &huge))
        .unwrap_or(());
    let mut answer = String::new();
    let _ = stream.read_to_string(&mut answer);
    assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");
    // None of it was recorded, and the collector still answers.
    assert!(server.records().is_empty());
    assert!(normal_request_time(&server) < Duration::from_secs(1));
    assert_eq!(server.records().len(), 1);
    println!("peak with six gzip bombs in flight: {peak} MB");
}

#[test]
fn other_sites_cannot_read_or_reset_the_report() {
    let server = Server::start();
    normal_request_time(&server);
    let host = authority(&server);
    let get = |headers: &str| {
        exchange(
            &server,
            &format!(
                "GET /_trackplan/report HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n{headers}\r\n"
            ),
        )
    };
    for refused in [
        "Origin: https://evil.example\r\n",
        "Sec-Fetch-Site: cross-site\r\n",
        "Sec-Fetch-Site: same-site\r\n",
        "Origin: null\r\n",
    ] {
        let answer = get(refused);
        assert!(answer.starts_with("HTTP/1.1 403"), "{refused}: {answer}");
        assert!(!answer.contains("access-control-allow-origin"), "{answer}");
    }
    for allowed in [
        "",
        &format!("Origin: http://{host}\r\n"),
        "Sec-Fetch-Site: same-origin\r\n",
        "Sec-Fetch-Site: none\r\n",
    ] {
        let answer = get(allowed);
        assert!(answer.starts_with("HTTP/1.1 200"), "{allowed}: {answer}");
    }
    let reset = exchange(
        &server,
        &format!(
            "POST /_trackplan/reset HTTP/1.1\r\nHost: {host}\r\nOrigin: https://evil.example\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
        ),
    );
    assert!(reset.starts_with("HTTP/1.1 403"), "{reset}");
    assert_eq!(server.report()["records"], 1, "the report was not reset");
    // Ingestion still answers browsers of any origin, as mixpanel-browser needs.
    let answer = exchange(
        &server,
        std::str::from_utf8(&post(
            "/track",
            "Origin: https://shop.example\r\nContent-Type: application/json\r\n",
            EVENT.as_bytes(),
        ))
        .unwrap(),
    );
    assert!(
        answer.contains("access-control-allow-origin: https://shop.example"),
        "{answer}"
    );
}

/// Sends numbered events from four threads until `stop` is set; returns the
/// insert ids answered with success.
fn load(server: &Server, stop: &std::sync::atomic::AtomicBool) -> Vec<String> {
    std::thread::scope(|scope| {
        let threads: Vec<_> = (0..4)
            .map(|t| {
                scope.spawn(move || {
                    let agent = ureq::Agent::new_with_defaults();
                    let mut acknowledged = Vec::new();
                    for i in 0.. {
                        if stop.load(std::sync::atomic::Ordering::Relaxed) {
                            break;
                        }
                        let id = format!("t{t}-{i}");
                        let event = EVENT.replace(
                            "\"client_id\"",
                            &format!("\"$insert_id\":\"{id}\",\"client_id\""),
                        );
                        let answered = agent
                            .post(format!("{}/track?verbose=1", server.url))
                            .header("Content-Type", "application/json")
                            .send(&event)
                            .ok()
                            .and_then(|mut r| r.body_mut().read_to_string().ok());
                        match answered {
                            Some(body) if body.contains("\"status\": 1") => acknowledged.push(id),
                            Some(_) => {}
                            None => break,
                        }
                    }
                    acknowledged
                })
            })
            .collect();
        threads
            .into_iter()
            .flat_map(|t| t.join().unwrap())
            .collect()
    })
}

fn recorded_ids(server: &Server) -> std::collections::HashSet<String> {
    std::fs::read_to_string(&server.out)
        .unwrap()
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter_map(|r| r["properties"]["$insert_id"].as_str().map(String::from))
        .collect()
}

#[test]
fn sigkill_mid_load_loses_no_acknowledged_record() {
    let mut server = Server::start();
    let stop = std::sync::atomic::AtomicBool::new(false);
    let pid = server.child.id() as i32;
    let acknowledged = std::thread::scope(|scope| {
        let killer = scope.spawn(|| {
            std::thread::sleep(Duration::from_millis(700));
            // SAFETY: sends a signal to the child this test started.
            unsafe { libc::kill(pid, libc::SIGKILL) };
        });
        let ids = load(&server, &stop);
        killer.join().unwrap();
        ids
    });
    let _ = server.child.wait();
    assert!(
        acknowledged.len() > 20,
        "only {} acknowledged",
        acknowledged.len()
    );
    let recorded = recorded_ids(&server);
    let lost: Vec<&String> = acknowledged
        .iter()
        .filter(|id| !recorded.contains(*id))
        .collect();
    assert!(
        lost.is_empty(),
        "{} acknowledged records lost, e.g. {:?}",
        lost.len(),
        lost.first()
    );
}

#[test]
fn sigterm_and_ctrl_c_finish_requests_in_flight_then_exit_0() {
    for signal in [libc::SIGTERM, libc::SIGINT] {
        let mut server = Server::start_with(&["--fsync"]);
        let pid = server.child.id() as i32;
        // A request whose body is still arriving when the signal comes.
        let mut stream = TcpStream::connect(authority(&server)).unwrap();
        let body = EVENT.as_bytes();
        stream
            .write_all(format!("POST /track?verbose=1 HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n", body.len()).as_bytes())
            .unwrap();
        stream.write_all(&body[..10]).unwrap();
        std::thread::sleep(Duration::from_millis(200));
        // SAFETY: sends a signal to the child this test started.
        unsafe { libc::kill(pid, signal) };
        std::thread::sleep(Duration::from_millis(200));
        stream.write_all(&body[10..]).unwrap();
        let mut answer = String::new();
        stream.read_to_string(&mut answer).unwrap();
        assert!(answer.contains("\"status\": 1"), "{signal}: {answer}");
        let status = server.child.wait().unwrap();
        assert_eq!(status.code(), Some(0), "{signal}");
        assert_eq!(recorded_ids(&server).len(), 0);
        assert_eq!(server.records().len(), 1, "{signal}");
        // New connections are refused once it stopped.
        assert!(TcpStream::connect(authority(&server)).is_err());
    }
}
