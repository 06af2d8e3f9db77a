//! `trackplan serve`: a local Mixpanel-compatible collector. SDKs pointed at
//! it (`api_host`) have every request decoded like `check` decodes
//! captures, each record checked against the plan as it arrives, violations
//! printed live, and every record appended to an NDJSON file with its
//! verdict, written and flushed before the answer goes out.

mod page;

use std::io::Write;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde_json::{Value, json};

use crate::check::identity::Identity;
use crate::check::{CompiledPlan, Report, output, record};
use crate::payload::request::{self, Request};
use crate::payload::{Item, Location, Source};

/// Largest request body accepted (Mixpanel documents up to 10 MB for `/import`).
pub const MAX_BODY: usize = 10 * 1024 * 1024;

/// Requests handled at once; more wait their turn. With [`MAX_BODY`] this
/// bounds the memory that request bodies can take.
pub const MAX_IN_FLIGHT: usize = 64;

/// Longest a request may take to arrive and be handled (a slow client
/// cannot hold a slot for ever).
pub const REQUEST_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(30);

/// What the collector keeps between requests.
pub struct Collector {
    plan: Arc<CompiledPlan>,
    forward: Option<String>,
    user_id: String,
    state: Mutex<Running>,
    quiet: bool,
}

struct Running {
    report: Report,
    identity: Identity,
    out: Option<std::io::BufWriter<std::fs::File>>,
    requests: u64,
}

impl Collector {
    /// A collector for `plan`, appending records to `out` when given.
    pub fn new(
        plan: Arc<CompiledPlan>,
        user_id: &str,
        out: Option<std::fs::File>,
        quiet: bool,
    ) -> Arc<Self> {
        Self::with_forward(plan, user_id, out, quiet, None)
    }

    /// Like [`Collector::new`], also passing every ingestion request on,
    /// unchanged, to `forward` (a base URL such as `http://127.0.0.1:9000`).
    pub fn with_forward(
        plan: Arc<CompiledPlan>,
        user_id: &str,
        out: Option<std::fs::File>,
        quiet: bool,
        forward: Option<String>,
    ) -> Arc<Self> {
        Arc::new(Self {
            plan,
            forward: forward.map(|f| f.trim_end_matches('/').to_owned()),
            user_id: user_id.to_owned(),
            state: Mutex::new(Running {
                report: Report::default(),
                identity: Identity::new(user_id),
                out: out.map(std::io::BufWriter::new),
                requests: 0,
            }),
            quiet,
        })
    }
}

/// The HTTP routes.
pub fn router(collector: Arc<Collector>) -> Router {
    Router::new()
        .route("/_trackplan/report", get(report_json))
        .route("/_trackplan/", get(report_page))
        .route("/_trackplan/reset", post(reset))
        .fallback(ingest)
        .layer(DefaultBodyLimit::max(MAX_BODY))
        .layer(axum::middleware::from_fn(limits))
        .with_state(collector)
}

static SLOTS: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(MAX_IN_FLIGHT);

/// At most [`MAX_IN_FLIGHT`] requests at once, each within
/// [`REQUEST_TIMEOUT`] (reading the body included). Checking and recording
/// have no await point, so a timeout can never separate a record written to
/// the file from its answer.
async fn limits(request: axum::extract::Request, next: axum::middleware::Next) -> Response {
    let Ok(_slot) = SLOTS.acquire().await else {
        return StatusCode::SERVICE_UNAVAILABLE.into_response();
    };
    match tokio::time::timeout(REQUEST_TIMEOUT, next.run(request)).await {
        Ok(response) => response,
        Err(_) => (StatusCode::REQUEST_TIMEOUT, "the request took too long").into_response(),
    }
}

/// Serves until Ctrl-C.
pub async fn serve(
    listener: tokio::net::TcpListener,
    collector: Arc<Collector>,
) -> std::io::Result<()> {
    axum::serve(listener, router(collector))
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await
}

fn cors(headers: &HeaderMap, response: &mut Response) {
    let origin = headers
        .get(header::ORIGIN)
        .cloned()
        .unwrap_or(HeaderValue::from_static("*"));
    let h = response.headers_mut();
    h.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, origin);
    h.insert(
        header::ACCESS_CONTROL_ALLOW_CREDENTIALS,
        HeaderValue::from_static("true"),
    );
    h.insert(
        header::ACCESS_CONTROL_ALLOW_METHODS,
        HeaderValue::from_static("GET, POST, OPTIONS"),
    );
    let requested = headers
        .get(header::ACCESS_CONTROL_REQUEST_HEADERS)
        .cloned()
        .unwrap_or(HeaderValue::from_static("Content-Type, Authorization"));
    h.insert(header::ACCESS_CONTROL_ALLOW_HEADERS, requested);
    h.insert(header::VARY, HeaderValue::from_static("Origin"));
}

fn verbose(uri: &Uri, body: &[u8]) -> bool {
    let query = uri.query().unwrap_or_default();
    request::field(query.as_bytes(), b"verbose") == Some(b"1")
        || request::field(body, b"verbose") == Some(b"1")
}

async fn ingest(
    State(c): State<Arc<Collector>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let mut response = if method == Method::OPTIONS {
        StatusCode::OK.into_response()
    } else if let Some(endpoint) = request::endpoint_of(uri.path()) {
        let answer =
            tokio::task::block_in_place(|| c.accept(&method, &uri, &headers, &body, endpoint));
        if let Some(base) = &c.forward {
            forward(
                base.clone(),
                method.clone(),
                &uri,
                &headers,
                body.clone(),
                c.quiet,
            );
        }
        let verbose = verbose(&uri, &body);
        match (answer, verbose) {
            (Ok(()), true) => (
                StatusCode::OK,
                [(header::CONTENT_TYPE, "application/json")],
                r#"{"status": 1, "error": null}"#.to_owned(),
            )
                .into_response(),
            (Ok(()), false) => (
                StatusCode::OK,
                [(header::CONTENT_TYPE, "text/plain")],
                "1".to_owned(),
            )
                .into_response(),
            (Err(e), true) => (
                StatusCode::OK,
                [(header::CONTENT_TYPE, "application/json")],
                json!({"status": 0, "error": e}).to_string(),
            )
                .into_response(),
            (Err(_), false) => (
                StatusCode::OK,
                [(header::CONTENT_TYPE, "text/plain")],
                "0".to_owned(),
            )
                .into_response(),
        }
    } else {
        // What else an SDK calls (feature flags, settings, session replay,
        // the old /decide) answers harmlessly.
        let last = uri
            .path()
            .trim_end_matches('/')
            .rsplit('/')
            .next()
            .unwrap_or_default();
        match last {
            "flags" | "decide" | "settings" | "record" => (
                StatusCode::OK,
                [(header::CONTENT_TYPE, "application/json")],
                "{}".to_owned(),
            )
                .into_response(),
            _ => StatusCode::NOT_FOUND.into_response(),
        }
    };
    cors(&headers, &mut response);
    response
}

/// Passes a request on, unchanged, in the background: the SDK's answer
/// comes from the collector and does not wait for the real endpoint.
fn forward(base: String, method: Method, uri: &Uri, headers: &HeaderMap, body: Bytes, quiet: bool) {
    let target = format!("{base}{}", uri.path_and_query().map_or("/", |p| p.as_str()));
    let mut request = axum::http::Request::builder()
        .method(method.as_str())
        .uri(&target);
    for name in [
        header::CONTENT_TYPE,
        header::CONTENT_ENCODING,
        header::AUTHORIZATION,
        header::USER_AGENT,
    ] {
        if let Some(value) = headers.get(&name).and_then(|v| v.to_str().ok()) {
            request = request.header(name.as_str(), value);
        }
    }
    let Ok(request) = request.body(body.to_vec()) else {
        return;
    };
    tokio::task::spawn_blocking(move || {
        let agent = ureq::Agent::new_with_defaults();
        if let Err(e) = agent.run(request)
            && !quiet
        {
            say(&format!("forward to {target} failed: {e}"));
        }
    });
}

impl Collector {
    /// Decodes, checks, records and reports one request; `Err` when nothing
    /// in it could be decoded.
    fn accept(
        &self,
        method: &Method,
        uri: &Uri,
        headers: &HeaderMap,
        body: &[u8],
        endpoint: crate::payload::Endpoint,
    ) -> Result<(), String> {
        let header = |name: header::HeaderName| headers.get(name).and_then(|v| v.to_str().ok());
        let url = uri.to_string();
        let req = Request {
            method: method.as_str(),
            url: &url,
            content_type: header(header::CONTENT_TYPE),
            content_encoding: header(header::CONTENT_ENCODING),
            body,
        };
        let mut state = self
            .state
            .lock()
            .map_err(|_| "the collector's state is poisoned".to_owned())?;
        state.requests += 1;
        let file: Arc<str> = Arc::from("http");
        let source = Source {
            file: Arc::clone(&file),
            location: Location::Har {
                entry: state.requests as usize,
                request: format!("{} {}", method, uri),
                record: 0,
            },
        };
        let items = request::decode(&req, endpoint, &source);
        let mut accepted = 0;
        let mut first_error = None;
        let mut lines = String::new();
        for item in items {
            match item {
                Item::Record(record) => {
                    let mut verdict = record::check(&self.plan, &record);
                    state.identity.follow(&mut verdict);
                    if !self.quiet {
                        for v in &verdict.violations {
                            say(&format!(
                                "{} · {} ({}) · {}  [{} {}]",
                                verdict.subject,
                                v.rule,
                                v.severity,
                                output::message(v),
                                method,
                                uri.path()
                            ));
                        }
                    }
                    state.report.add(&file, &verdict);
                    let mut value = record.value;
                    let violations: Vec<Value> = verdict.violations.iter().map(|v| json!({"rule": v.rule, "severity": v.severity, "message": output::message(v)})).collect();
                    if let Value::Object(map) = &mut value {
                        map.insert(
                            "trackplan".into(),
                            json!({"endpoint": uri.path(), "violations": violations}),
                        );
                    }
                    lines.push_str(&value.to_string());
                    lines.push('\n');
                    accepted += 1;
                }
                Item::Error(e) => {
                    if !self.quiet {
                        say(&format!(
                            "undecodable · {}  [{} {}]",
                            e.message,
                            method,
                            uri.path()
                        ));
                    }
                    state.report.add_error(&e);
                    first_error.get_or_insert(e.message);
                }
            }
        }
        if let Some(out) = state.out.as_mut() {
            // Written and flushed before the answer: an answered record is on disk.
            out.write_all(lines.as_bytes())
                .and_then(|()| out.flush())
                .map_err(|e| format!("cannot record: {e}"))?;
        }
        if accepted > 0 {
            Ok(())
        } else {
            Err(first_error.unwrap_or_else(|| "no records".to_owned()))
        }
    }

    fn summary(&self) -> Value {
        match self.state.lock() {
            Ok(state) => {
                let mut summary = output::summary_json(&state.report, &["http".to_owned()]);
                summary["requests"] = json!(state.requests);
                summary
            }
            Err(_) => json!({"error": "the collector's state is poisoned"}),
        }
    }
}

async fn report_json(State(c): State<Arc<Collector>>) -> Response {
    (
        [(header::CONTENT_TYPE, "application/json")],
        c.summary().to_string(),
    )
        .into_response()
}

async fn report_page(State(c): State<Arc<Collector>>) -> Response {
    let human = match c.state.lock() {
        Ok(state) => {
            let mut text = Vec::new();
            let _ = output::write_human(&mut text, &state.report, &["http".to_owned()]);
            String::from_utf8_lossy(&text).into_owned()
        }
        Err(_) => "the collector's state is poisoned".to_owned(),
    };
    (
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        page::render(&human),
    )
        .into_response()
}

async fn reset(State(c): State<Arc<Collector>>) -> Response {
    if let Ok(mut state) = c.state.lock() {
        state.report = Report::default();
        state.identity = Identity::new(&c.user_id);
    }
    (
        [(header::CONTENT_TYPE, "application/json")],
        r#"{"status": 1}"#,
    )
        .into_response()
}

/// The address to bind, parsed.
pub fn parse_addr(addr: &str) -> Result<SocketAddr, String> {
    addr.parse()
        .map_err(|e| format!("`{addr}` is not an address like 127.0.0.1:8000: {e}"))
}

/// One line of the collector's log on standard output, flushed; a closed
/// or full standard output does not stop the collector.
pub fn say(line: &str) {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "{line}").and_then(|()| out.flush());
}
