//! `trackplan serve`: a local Mixpanel-compatible collector. SDKs pointed at
//! it (`api_host`) have every request decoded like `check` decodes
//! captures, each record checked against the plan as it arrives, violations
//! printed live, and every record appended to an NDJSON file with its
//! verdict, written and flushed before the answer goes out.
//!
//! It holds up against bad clients (`docs/serve.md`): request heads must
//! arrive within [`HEADER_TIMEOUT`], bodies within [`BODY_TIMEOUT`]; a body
//! is read before the request takes one of the [`MAX_IN_FLIGHT`] slots, and
//! the bodies being read share a budget of [`BODY_BUDGET`] bytes; a request
//! holds at most [`MAX_RECORDS`] records and inflates to at most
//! [`MAX_DECODED`] bytes, as Mixpanel's own limits say; the control
//! endpoints refuse requests from other origins.

mod page;

use std::io::Write;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde_json::{Value, json};

use crate::check::identity::Identity;
use crate::check::{CompiledPlan, Report, Tally, output, record};
use crate::payload::request::{self, Request};
use crate::payload::{Item, Location, Source};

/// Largest request body accepted (Mixpanel documents up to 10 MB for `/import`).
pub const MAX_BODY: usize = 10 * 1024 * 1024;

/// Largest body once a gzip body is inflated.
pub const MAX_DECODED: u64 = 10 * 1024 * 1024;

/// Most records in one request: Mixpanel takes at most 2,000 per request
/// at `/track` and `/import`; a request with more is refused whole.
pub const MAX_RECORDS: usize = crate::mixpanel::limits::MAX_BATCH_EVENTS;

/// Requests decoded and checked at once; more wait their turn.
pub const MAX_IN_FLIGHT: usize = 64;

/// Bytes of request bodies being received at once, across all requests: a
/// request waits for room before it reads more.
pub const BODY_BUDGET: usize = 256 * 1024 * 1024;

/// Longest the head of a request may take to arrive (also the longest an
/// idle kept-alive connection is kept).
pub const HEADER_TIMEOUT: Duration = Duration::from_secs(5);

/// Longest a request body may take to arrive.
pub const BODY_TIMEOUT: Duration = Duration::from_secs(10);

/// Longest a request may take to be handled once its body is in (waiting
/// for a slot included).
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

/// How long a stop (Ctrl-C, `SIGTERM`) waits for requests in flight.
pub const SHUTDOWN_GRACE: Duration = Duration::from_secs(10);

/// Bodies up to this size are decoded and checked on the runtime's worker
/// thread; larger ones through `block_in_place`.
const INLINE_BODY: usize = 256 * 1024;

/// The unit of [`BODY_BUDGET`].
const BUDGET_UNIT: usize = 64 * 1024;

/// What the collector keeps between requests.
pub struct Collector {
    plan: Arc<CompiledPlan>,
    forward: Option<String>,
    user_id: String,
    state: Mutex<Running>,
    quiet: bool,
    fsync: bool,
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
        Self::with_options(
            plan,
            user_id,
            out,
            Options {
                quiet,
                ..Options::default()
            },
        )
    }

    /// A collector for `plan`, appending records to `out` when given, with
    /// `options`.
    pub fn with_options(
        plan: Arc<CompiledPlan>,
        user_id: &str,
        out: Option<std::fs::File>,
        options: Options,
    ) -> Arc<Self> {
        let Options {
            quiet,
            forward,
            fsync,
        } = options;
        let report = Report::new(Arc::clone(&plan.coverage));
        Arc::new(Self {
            plan,
            forward: forward.map(|f| f.trim_end_matches('/').to_owned()),
            user_id: user_id.to_owned(),
            state: Mutex::new(Running {
                report,
                identity: Identity::new(user_id),
                out: out.map(std::io::BufWriter::new),
                requests: 0,
            }),
            quiet,
            fsync,
        })
    }

    /// Writes out what is buffered (the records are flushed after each
    /// request already; this is for a stop).
    pub fn flush(&self) {
        if let Ok(mut state) = self.state.lock()
            && let Some(out) = state.out.as_mut()
        {
            let _ = out.flush();
        }
    }
}

/// How a collector runs.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Do not print violations as they arrive.
    pub quiet: bool,
    /// Pass every ingestion request on, unchanged, to this base URL.
    pub forward: Option<String>,
    /// Sync the file to disk before each answer (for machines that may lose
    /// power; each request then waits for the disk).
    pub fsync: bool,
}

/// The HTTP routes.
pub fn router(collector: Arc<Collector>) -> Router {
    let control = Router::new()
        .route("/_trackplan/report", get(report_json))
        .route("/_trackplan/", get(report_page))
        .route("/_trackplan/reset", post(reset))
        .layer(axum::middleware::from_fn(same_origin_only));
    Router::new()
        .merge(control)
        .fallback(ingest)
        .layer(DefaultBodyLimit::max(MAX_BODY))
        .layer(axum::middleware::from_fn(limits))
        .with_state(collector)
}

static SLOTS: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(MAX_IN_FLIGHT);

static BUDGET: tokio::sync::Semaphore =
    tokio::sync::Semaphore::const_new(BODY_BUDGET / BUDGET_UNIT);

/// Why a body was not read.
enum Unread {
    TooLarge,
    Broken,
    Closed,
}

/// Reads a body frame by frame, taking room in [`BODY_BUDGET`] as it grows:
/// a client that stalls holds only what it sent, not a slot.
async fn read_body(
    body: axum::body::Body,
) -> Result<(Bytes, Vec<tokio::sync::SemaphorePermit<'static>>), Unread> {
    use http_body_util::BodyExt;
    let mut body = body;
    let mut data = Vec::new();
    let mut held = Vec::new();
    let mut units_held = 0;
    while let Some(frame) = body.frame().await {
        let frame = frame.map_err(|_| Unread::Broken)?;
        let Ok(chunk) = frame.into_data() else {
            continue;
        };
        if data.len() + chunk.len() > MAX_BODY {
            return Err(Unread::TooLarge);
        }
        let units = (data.len() + chunk.len()).div_ceil(BUDGET_UNIT);
        if units > units_held {
            let more = u32::try_from(units - units_held).map_err(|_| Unread::TooLarge)?;
            held.push(
                BUDGET
                    .acquire_many(more)
                    .await
                    .map_err(|_| Unread::Closed)?,
            );
            units_held = units;
        }
        data.extend_from_slice(&chunk);
    }
    Ok((Bytes::from(data), held))
}

/// Reads the body within [`BODY_TIMEOUT`] (without a slot), then handles
/// the request in one of [`MAX_IN_FLIGHT`] slots within
/// [`REQUEST_TIMEOUT`]. Checking and recording have no await point, so a
/// timeout can never separate a record written to the file from its answer.
async fn limits(request: axum::extract::Request, next: axum::middleware::Next) -> Response {
    let (parts, body) = request.into_parts();
    let (bytes, _room) = match tokio::time::timeout(BODY_TIMEOUT, read_body(body)).await {
        Ok(Ok(read)) => read,
        Ok(Err(Unread::TooLarge)) => {
            return (
                StatusCode::PAYLOAD_TOO_LARGE,
                format!("request bodies are limited to {MAX_BODY} bytes"),
            )
                .into_response();
        }
        Ok(Err(Unread::Broken)) => {
            return (StatusCode::BAD_REQUEST, "the body could not be read").into_response();
        }
        Ok(Err(Unread::Closed)) => return StatusCode::SERVICE_UNAVAILABLE.into_response(),
        Err(_) => {
            return (
                StatusCode::REQUEST_TIMEOUT,
                "the body took too long to arrive",
            )
                .into_response();
        }
    };
    let request = axum::extract::Request::from_parts(parts, axum::body::Body::from(bytes));
    let handled = tokio::time::timeout(REQUEST_TIMEOUT, async {
        let Ok(_slot) = SLOTS.acquire().await else {
            return StatusCode::SERVICE_UNAVAILABLE.into_response();
        };
        next.run(request).await
    });
    match handled.await {
        Ok(response) => response,
        Err(_) => (StatusCode::REQUEST_TIMEOUT, "the request took too long").into_response(),
    }
}

/// Whether a request comes from this page or no page at all (curl, a test
/// suite, the report opened from the address bar), not from another site
/// in the developer's browser: `Sec-Fetch-Site`, else `Origin` against
/// `Host`.
fn same_origin(headers: &HeaderMap) -> bool {
    if let Some(site) = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
        return matches!(site, "same-origin" | "none");
    }
    let Some(origin) = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) else {
        return true;
    };
    let host = headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    origin
        .split_once("://")
        .is_some_and(|(_, authority)| authority.eq_ignore_ascii_case(host))
}

/// The control endpoints (`/_trackplan/*`) refuse other origins: any page
/// the developer visits could otherwise read the report or wipe it.
async fn same_origin_only(
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    if same_origin(request.headers()) {
        next.run(request).await
    } else {
        (
            StatusCode::FORBIDDEN,
            "trackplan serve: the control endpoints answer this machine's tools and the report page, not other sites",
        )
            .into_response()
    }
}

/// Serves until Ctrl-C or `SIGTERM`, then lets the requests in flight
/// finish (for up to [`SHUTDOWN_GRACE`]) and writes out the file.
pub async fn serve(
    listener: tokio::net::TcpListener,
    collector: Arc<Collector>,
) -> std::io::Result<()> {
    use hyper_util::rt::{TokioIo, TokioTimer};
    let app = router(Arc::clone(&collector));
    let graceful = hyper_util::server::graceful::GracefulShutdown::new();
    let mut builder = hyper::server::conn::http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(HEADER_TIMEOUT);
    let stop = stop_signal();
    tokio::pin!(stop);
    loop {
        tokio::select! {
            accepted = listener.accept() => {
                // A failed accept (too many open files) is retried, not fatal.
                let Ok((stream, _)) = accepted else {
                    tokio::time::sleep(Duration::from_millis(10)).await;
                    continue;
                };
                let service = hyper_util::service::TowerToHyperService::new(app.clone());
                let connection = builder.serve_connection(TokioIo::new(stream), service);
                let watched = graceful.watch(connection);
                tokio::spawn(async move {
                    let _ = watched.await;
                });
            }
            () = &mut stop => break,
        }
    }
    drop(listener);
    let _ = tokio::time::timeout(SHUTDOWN_GRACE, graceful.shutdown()).await;
    collector.flush();
    Ok(())
}

/// Raises the limit on open files to what the system allows: every client
/// connection is one, and idle ones must not keep others out.
pub fn raise_open_files_limit() {
    #[cfg(unix)]
    // SAFETY: getrlimit and setrlimit only read and write the struct given.
    unsafe {
        let mut limit = libc::rlimit {
            rlim_cur: 0,
            rlim_max: 0,
        };
        if libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) == 0 && limit.rlim_cur < limit.rlim_max
        {
            limit.rlim_cur = limit.rlim_max;
            let _ = libc::setrlimit(libc::RLIMIT_NOFILE, &limit);
        }
    }
}

/// Ctrl-C, or `SIGTERM` (what service managers and `kill` send).
async fn stop_signal() {
    #[cfg(unix)]
    {
        let mut term =
            tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()).ok();
        tokio::select! {
            _ = tokio::signal::ctrl_c() => {}
            _ = async {
                match term.as_mut() {
                    Some(term) => { term.recv().await; }
                    None => std::future::pending::<()>().await,
                }
            } => {}
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
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
        // A usual batch is decoded and checked right here, in well under
        // a millisecond; a large one moves off the runtime's worker first.
        let answer = if body.len() <= INLINE_BODY {
            c.accept(&method, &uri, &headers, &body, endpoint)
        } else {
            tokio::task::block_in_place(|| c.accept(&method, &uri, &headers, &body, endpoint))
        };
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
        let status = match &answer {
            Err(Refusal::TooMany(_)) => StatusCode::PAYLOAD_TOO_LARGE,
            _ => StatusCode::OK,
        };
        let answer = answer.map_err(|refusal| match refusal {
            Refusal::Undecodable(message) => message,
            Refusal::TooMany(n) => {
                format!("a request holds at most {MAX_RECORDS} records; this one has {n}")
            }
        });
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
                status,
                [(header::CONTENT_TYPE, "application/json")],
                json!({"status": 0, "error": e}).to_string(),
            )
                .into_response(),
            (Err(_), false) => (
                status,
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

fn poisoned() -> Refusal {
    Refusal::Undecodable("the collector's state is poisoned".to_owned())
}

/// One item of a request, checked but not yet followed for identity.
enum Checked {
    Record(crate::check::Verdict, Line),
    Undecodable(crate::payload::DecodeError),
}

/// A record's line in the collector's file: the record as received, with
/// a `trackplan` key last (its endpoint and violations). Serialized before
/// the lock is taken; the key is added under it, once the identity check
/// has had its say.
enum Line {
    /// An object without a `trackplan` key, written out without its
    /// closing brace.
    Open(String),
    /// Anything else, kept as a value.
    Value(Value),
}

impl Line {
    fn of(value: Value) -> Self {
        match &value {
            Value::Object(map) if !map.contains_key("trackplan") => {
                // Serializing a value cannot fail; `Display` would go
                // through the formatter, a third slower.
                let mut text = serde_json::to_string(&value).unwrap_or_default();
                text.pop();
                Line::Open(text)
            }
            _ => Line::Value(value),
        }
    }

    /// Appends the line, with `trackplan` as its last key, to `out`.
    fn finish(self, trackplan: &Value, out: &mut String) {
        match self {
            Line::Open(text) => {
                out.push_str(&text);
                if text.len() > 1 {
                    out.push(',');
                }
                out.push_str("\"trackplan\":");
                out.push_str(&serde_json::to_string(trackplan).unwrap_or_default());
                out.push('}');
            }
            Line::Value(mut value) => {
                if let Value::Object(map) = &mut value {
                    map.insert("trackplan".into(), trackplan.clone());
                }
                out.push_str(&serde_json::to_string(&value).unwrap_or_default());
            }
        }
        out.push('\n');
    }
}

/// Why a request was not taken.
enum Refusal {
    /// Nothing in it could be decoded (answered `0`, as Mixpanel does).
    Undecodable(String),
    /// More records than Mixpanel takes in one request (refused whole,
    /// with `413`).
    TooMany(usize),
}

impl Collector {
    /// Decodes, checks, records and reports one request; `Err` when nothing
    /// in it could be decoded, or it holds too many records.
    fn accept(
        &self,
        method: &Method,
        uri: &Uri,
        headers: &HeaderMap,
        body: &[u8],
        endpoint: crate::payload::Endpoint,
    ) -> Result<(), Refusal> {
        let header = |name: header::HeaderName| headers.get(name).and_then(|v| v.to_str().ok());
        let url = uri.to_string();
        let req = Request {
            method: method.as_str(),
            url: &url,
            content_type: header(header::CONTENT_TYPE),
            content_encoding: header(header::CONTENT_ENCODING),
            body,
        };
        // Numbered under the lock, so the report's request numbers are
        // the order requests were taken in.
        let number = {
            let mut state = self.state.lock().map_err(|_| poisoned())?;
            state.requests += 1;
            state.requests
        };
        let file: Arc<str> = Arc::from("http");
        let source = Source {
            file: Arc::clone(&file),
            location: Location::Har {
                entry: number as usize,
                request: format!("{} {}", method, uri),
                record: 0,
            },
        };
        // Decoding, checking and writing each record out happen outside
        // the lock, on the request's own thread; the lock is held only to
        // follow identity in order, add to the report and write the lines.
        let items = request::decode_within(&req, endpoint, &source, MAX_DECODED);
        let records = items
            .iter()
            .filter(|i| matches!(i, Item::Record(_)))
            .count();
        if records > MAX_RECORDS {
            return Err(Refusal::TooMany(records));
        }
        // What the request's records cover, added to the report once.
        let mut tally = Tally::default();
        let checked: Vec<Checked> = items
            .into_iter()
            .map(|item| match item {
                Item::Record(record) => {
                    let verdict = record::check(&self.plan, &record, &mut tally);
                    Checked::Record(verdict, Line::of(record.value))
                }
                Item::Error(e) => Checked::Undecodable(e),
            })
            .collect();
        let mut accepted = 0;
        let mut first_error = None;
        let mut log = String::new();
        let mut lines = String::new();
        let mut state = self.state.lock().map_err(|_| poisoned())?;
        for item in checked {
            match item {
                Checked::Record(mut verdict, line) => {
                    state.identity.follow(&mut verdict);
                    if !self.quiet {
                        for v in &verdict.violations {
                            log.push_str(&format!(
                                "{} · {} ({}) · {}  [{} {}]\n",
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
                    let violations: Vec<Value> = verdict.violations.iter().map(|v| json!({"rule": v.rule, "severity": v.severity, "message": output::message(v)})).collect();
                    line.finish(
                        &json!({"endpoint": uri.path(), "violations": violations}),
                        &mut lines,
                    );
                    accepted += 1;
                }
                Checked::Undecodable(e) => {
                    if !self.quiet {
                        log.push_str(&format!(
                            "undecodable · {}  [{} {}]\n",
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
        state.report.coverage.add(&tally);
        if let Some(out) = state.out.as_mut() {
            // Written and flushed before the answer: an answered record is
            // with the operating system (on the disk itself with --fsync).
            out.write_all(lines.as_bytes())
                .and_then(|()| out.flush())
                .and_then(|()| {
                    if self.fsync {
                        out.get_ref().sync_data()
                    } else {
                        Ok(())
                    }
                })
                .map_err(|e| Refusal::Undecodable(format!("cannot record: {e}")))?;
        }
        drop(state);
        if !log.is_empty() {
            say(log.trim_end());
        }
        if accepted > 0 {
            Ok(())
        } else {
            Err(Refusal::Undecodable(
                first_error.unwrap_or_else(|| "no records".to_owned()),
            ))
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
            // The page is where a developer watches coverage grow: it
            // lists every event and property.
            let coverage = output::Coverage {
                detailed: true,
                minimum: None,
            };
            let _ = output::write_human(&mut text, &state.report, &["http".to_owned()], coverage);
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
        state.report = Report::new(Arc::clone(&c.plan.coverage));
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

#[cfg(test)]
mod tests {
    use super::Line;
    use serde_json::{Value, json};

    /// A line finished outside the lock is the record with `trackplan`
    /// inserted, exactly as inserting it into the value would write it.
    #[test]
    fn lines_are_the_record_with_trackplan_last() {
        let trackplan = json!({"endpoint": "/track", "violations": []});
        for record in [
            json!({"event": "Login", "properties": {"a": 1.5, "b": "x\ny"}}),
            json!({}),
            json!({"trackplan": "sent by the app", "event": "Login"}),
            json!([1, 2]),
        ] {
            let mut expected = record.clone();
            if let Value::Object(map) = &mut expected {
                map.insert("trackplan".into(), trackplan.clone());
            }
            let mut out = String::new();
            Line::of(record).finish(&trackplan, &mut out);
            assert_eq!(out, format!("{expected}\n"));
        }
    }
}
