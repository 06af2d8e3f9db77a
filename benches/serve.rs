//! Load test of `trackplan serve`: 50 keep-alive connections posting
//! 50-event batches as mixpanel-browser does (`data=` base64 forms to
//! `/track`), against the release build.
//!
//!     cargo bench --bench serve
//!     CONNECTIONS=100 SECONDS=20 RATE=300000 cargo bench --bench serve
//!
//! Two phases, `SECONDS` each (default 10):
//!
//! - closed loop: every connection sends its next batch as soon as the
//!   last is answered; prints the throughput the collector sustains, with
//!   its latencies;
//! - open loop at `RATE` events/s (default 200,000): batches are due on a
//!   fixed schedule and latency counts from when a batch was due, not when
//!   it could be sent, so a stalled collector shows (no coordinated
//!   omission).
//!
//! Each prints requests/s, events/s, p50, p99 and the worst latency. Then
//! the collector is stopped and its file must hold exactly the records it
//! answered for. The client is one thread writing prepared requests, so
//! most of the two cores go to the collector.

#[path = "corpus.rs"]
mod corpus;

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use base64::Engine as _;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const BATCH: usize = 50;

fn env_or(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn main() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let connections = env_or("CONNECTIONS", 50) as usize;
    let seconds = env_or("SECONDS", 10);
    let rate = env_or("RATE", 200_000);
    let work = corpus::work_dir();
    let out_path = work.join("serve-load.ndjson");
    let _ = std::fs::remove_file(&out_path);

    // Prepared requests: distinct batches, cycled through.
    let mut events = Vec::new();
    corpus::write(&mut events, 20_000, 7).expect("generate events");
    let lines: Vec<&[u8]> = events
        .split(|b| *b == b'\n')
        .filter(|l| !l.is_empty())
        .collect();
    let port = free_port();
    let requests: Vec<Vec<u8>> = lines
        .chunks(BATCH)
        .map(|batch| {
            let mut json = b"[".to_vec();
            json.extend_from_slice(&batch.join(&b","[..]));
            json.push(b']');
            let data = base64::engine::general_purpose::STANDARD.encode(&json);
            let body = format!(
                "data={}",
                percent_encoding::utf8_percent_encode(&data, percent_encoding::NON_ALPHANUMERIC)
            );
            let mut request = format!(
                "POST /track/?ip=1&_={port} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n",
                body.len()
            )
            .into_bytes();
            request.extend_from_slice(body.as_bytes());
            request
        })
        .collect();
    let batch_events = lines
        .chunks(BATCH)
        .map(|b| b.len() as u64)
        .collect::<Vec<_>>();

    let mut server = Command::new(env!("CARGO_BIN_EXE_trackplan"))
        .args(["serve", "--plan"])
        .arg(root.join("plans/accounts.yaml"))
        .args(["--addr", &format!("127.0.0.1:{port}"), "--out"])
        .arg(&out_path)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("trackplan serve starts");
    wait_for(port);
    println!(
        "trackplan serve: {connections} connections, {BATCH}-event base64 batches to /track, {seconds} s per phase, {} cores",
        std::thread::available_parallelism().map_or(1, |n| n.get())
    );

    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    let plan = Load {
        port,
        connections,
        duration: Duration::from_secs(seconds),
        requests: std::sync::Arc::new(requests),
        batch_events: std::sync::Arc::new(batch_events),
    };
    let closed = runtime.block_on(plan.run(None));
    closed.print("closed loop");
    let open = runtime.block_on(plan.run(Some(rate)));
    open.print(&format!("open loop at {rate} events/s"));

    // SAFETY: kill sends SIGTERM to our own child.
    unsafe {
        libc::kill(server.id() as i32, libc::SIGTERM);
    }
    let _ = server.wait();
    let written = std::fs::read(&out_path)
        .map(|t| t.iter().filter(|b| **b == b'\n').count() as u64)
        .unwrap_or(0);
    let answered = closed.events + open.events;
    println!("records answered {answered}, in the collector's file {written}");
    assert_eq!(written, answered, "every answered record is in the file");
    let _ = std::io::stdout().flush();
}

#[derive(Clone)]
struct Load {
    port: u16,
    connections: usize,
    duration: Duration,
    requests: std::sync::Arc<Vec<Vec<u8>>>,
    batch_events: std::sync::Arc<Vec<u64>>,
}

struct Outcome {
    seconds: f64,
    requests: u64,
    events: u64,
    errors: u64,
    latencies: Vec<Duration>,
}

impl Outcome {
    fn print(&self, label: &str) {
        let mut l = self.latencies.clone();
        l.sort();
        let at = |q: f64| {
            l.get(((l.len() as f64 * q) as usize).min(l.len().saturating_sub(1)))
                .map_or(0.0, |d| d.as_secs_f64() * 1e3)
        };
        println!(
            "{label:<32} {:>7.0} requests/s {:>8.0} events/s  p50 {:>6.2} ms  p99 {:>6.2} ms  max {:>7.2} ms  ({} errors)",
            self.requests as f64 / self.seconds,
            self.events as f64 / self.seconds,
            at(0.50),
            at(0.99),
            l.last().map_or(0.0, |d| d.as_secs_f64() * 1e3),
            self.errors
        );
    }
}

impl Load {
    /// Runs every connection for the duration; with `rate`, on a schedule.
    async fn run(&self, rate: Option<u64>) -> Outcome {
        let started = Instant::now();
        let deadline = started + self.duration;
        let mut tasks = Vec::new();
        for c in 0..self.connections {
            let load = self.clone();
            // Each connection's share of the rate, as an interval between
            // its batches, offset so they do not all fire together.
            let interval = rate.map(|r| {
                Duration::from_secs_f64(BATCH as f64 * self.connections as f64 / r as f64)
            });
            let offset = interval.map(|i| i.mul_f64(c as f64 / self.connections as f64));
            tasks.push(tokio::spawn(async move {
                load.connection(c, deadline, interval, offset).await
            }));
        }
        let mut out = Outcome {
            seconds: 0.0,
            requests: 0,
            events: 0,
            errors: 0,
            latencies: Vec::new(),
        };
        for task in tasks {
            let (requests, events, errors, latencies) =
                task.await.expect("a connection's task ends");
            out.requests += requests;
            out.events += events;
            out.errors += errors;
            out.latencies.extend(latencies);
        }
        out.seconds = started.elapsed().as_secs_f64();
        out
    }

    async fn connection(
        self,
        index: usize,
        deadline: Instant,
        interval: Option<Duration>,
        offset: Option<Duration>,
    ) -> (u64, u64, u64, Vec<Duration>) {
        let mut stream = tokio::net::TcpStream::connect(("127.0.0.1", self.port))
            .await
            .expect("connect to the collector");
        let _ = stream.set_nodelay(true);
        let (mut requests, mut events, mut errors) = (0u64, 0u64, 0u64);
        let mut latencies = Vec::new();
        let mut buf = vec![0u8; 4096];
        let mut next = index * 7919;
        let mut due = Instant::now() + offset.unwrap_or_default();
        while Instant::now() < deadline {
            if interval.is_some() {
                tokio::time::sleep_until(due.into()).await;
            } else {
                due = Instant::now();
            }
            let which = next % self.requests.len();
            next += 1;
            if stream.write_all(&self.requests[which]).await.is_err() {
                errors += 1;
                break;
            }
            match read_response(&mut stream, &mut buf).await {
                Some(true) => {
                    requests += 1;
                    events += self.batch_events[which];
                }
                Some(false) => errors += 1,
                None => {
                    errors += 1;
                    break;
                }
            }
            latencies.push(due.elapsed());
            if let Some(interval) = interval {
                due += interval;
            }
        }
        (requests, events, errors, latencies)
    }
}

/// Reads one HTTP/1.1 response; whether it was `200` with body `1`.
async fn read_response(stream: &mut tokio::net::TcpStream, buf: &mut [u8]) -> Option<bool> {
    let mut filled = 0;
    loop {
        let n = stream.read(&mut buf[filled..]).await.ok()?;
        if n == 0 {
            return None;
        }
        filled += n;
        let text = &buf[..filled];
        if let Some(end) = memchr::memmem::find(text, b"\r\n\r\n") {
            let head = std::str::from_utf8(&text[..end]).ok()?.to_owned();
            let length: usize = head
                .lines()
                .find_map(|l| {
                    l.to_ascii_lowercase()
                        .strip_prefix("content-length:")
                        .map(|v| v.trim().parse().unwrap_or(0))
                })
                .unwrap_or(0);
            while filled < end + 4 + length {
                let n = stream.read(&mut buf[filled..]).await.ok()?;
                if n == 0 {
                    return None;
                }
                filled += n;
            }
            let ok = head.starts_with("HTTP/1.1 200") && &buf[end + 4..end + 4 + length] == b"1";
            return Some(ok);
        }
        if filled == buf.len() {
            return None;
        }
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

fn wait_for(port: u16) {
    for _ in 0..200 {
        if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    panic!("trackplan serve did not start on port {port}");
}
