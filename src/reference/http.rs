//! The endpoint over HTTP, and the only file that knows axum: the routes, reading a request
//! (bounded in size and time) and writing the answer with the headers AWS sends, serving on a
//! listener, and [`Running`], an endpoint on a tokio task.
//!
//! Routes: `POST /` (AWS JSON 1.1), `GET /<userPoolId>/.well-known/jwks.json` and
//! `…/openid-configuration`, the hosted UI's paths on a pool's domain, `GET /_mfaspec/about`
//! (`{"server": "mfaspec", "version", "clock_control", "outbox"}`), `GET /_mfaspec/outbox`
//! (the emails it would have sent) and, with clock control only, `GET|POST /_mfaspec/clock`.
//!
//! Owns: HTTP. Uses: [`super::Endpoint`], the wire's errors, [`crate::control`].

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{any, get, post};
use serde_json::Value;

use super::endpoint::{Endpoint, Options, RequestMeta, StartError};
use super::faults;
use super::hosted::{self, HostedRequest};
use super::store::new_uuid;
use super::wire::{self, ApiError};
use crate::clock::Clock as _;
use crate::clock::OffsetClock;
use crate::control::{ABOUT_PATH, CLOCK_PATH, ClockRequest, OUTBOX_PATH, PHONE_PATH};
use crate::vocabulary::{CONTENT_TYPE, Exception, message};

fn json_response(status: u16, body: &Value) -> Response {
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let mut response = (status, body.to_string()).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(CONTENT_TYPE));
    if let Ok(id) = HeaderValue::from_str(&new_uuid()) {
        headers.insert("x-amzn-requestid", id);
    }
    if let Some(kind) = body.get("__type").and_then(Value::as_str)
        && let Ok(v) = HeaderValue::from_str(&format!("{kind}:"))
    {
        headers.insert("x-amzn-errortype", v);
        if let Some(message) = body.get("message").and_then(Value::as_str) {
            headers.insert("x-amzn-errormessage", header_text(message));
        }
    }
    response
}

/// `text` as a header value: control characters (which a header cannot hold) become spaces;
/// other UTF-8 passes as it is.
fn header_text(text: &str) -> HeaderValue {
    let clean: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    HeaderValue::from_bytes(clean.as_bytes()).unwrap_or_else(|_| HeaderValue::from_static(""))
}

async fn api(State(endpoint): State<Arc<Endpoint>>, headers: HeaderMap, body: Body) -> Response {
    if let Some(faults) = endpoint.faults() {
        // Decided before the request is read: a faulted request changes nothing.
        let (fault, delay) = faults.next();
        if !delay.is_zero() {
            tokio::time::sleep(delay).await;
        }
        match fault {
            faults::Fault::None => {}
            faults::Fault::Throttle => {
                let e = ApiError::new(Exception::TooManyRequests, message::RATE_EXCEEDED);
                return json_response(400, &e.body());
            }
            faults::Fault::Error500 => {
                let e = ApiError::new(
                    Exception::InternalError,
                    "Internal server error (injected by --faults)",
                );
                return json_response(500, &e.body());
            }
        }
    }
    let text = |name: header::HeaderName| headers.get(name).and_then(|v| v.to_str().ok());
    let meta = RequestMeta {
        target: headers.get("x-amz-target").and_then(|v| v.to_str().ok()),
        content_type: text(header::CONTENT_TYPE),
        authorization: text(header::AUTHORIZATION),
        host: text(header::HOST),
    };
    // A body shorter than its Content-Length must not hold the connection forever.
    let read = tokio::time::timeout(
        BODY_READ_TIMEOUT,
        axum::body::to_bytes(body, wire::MAX_BODY_BYTES + 1),
    )
    .await;
    let (status, value) = match read {
        Ok(Ok(bytes)) if bytes.len() <= wire::MAX_BODY_BYTES => endpoint.handle(meta, &bytes),
        Err(_) => {
            let e = ApiError::new(
                Exception::Serialization,
                format!(
                    "Request body incomplete: it did not arrive in full within {} s (is Content-Length right?)",
                    BODY_READ_TIMEOUT.as_secs()
                ),
            );
            (400, e.body())
        }
        Ok(_) => {
            let e = ApiError::new(
                Exception::Serialization,
                format!(
                    "Request body exceeds {} bytes or could not be read",
                    wire::MAX_BODY_BYTES
                ),
            );
            (400, e.body())
        }
    };
    let mut response = json_response(status, &value);
    if endpoint.defect() == Some(super::defect::Defect::NoErrorHeaders) {
        response.headers_mut().remove("x-amzn-errortype");
        response.headers_mut().remove("x-amzn-errormessage");
    }
    response
}

async fn openid_configuration(
    State(endpoint): State<Arc<Endpoint>>,
    Path(pool_id): Path<String>,
    headers: HeaderMap,
) -> Response {
    let host = headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("localhost");
    well_known(endpoint.openid_configuration(&pool_id, host), &pool_id)
}

async fn jwks(State(endpoint): State<Arc<Endpoint>>, Path(pool_id): Path<String>) -> Response {
    well_known(endpoint.jwks(&pool_id), &pool_id)
}

/// A `.well-known` document as JSON, or the Cognito-shaped 404 of an unknown pool.
fn well_known(document: Option<Value>, pool_id: &str) -> Response {
    match document {
        Some(document) => {
            let mut r = (StatusCode::OK, document.to_string()).into_response();
            r.headers_mut().insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            );
            r
        }
        None => json_response(
            404,
            &ApiError::new(
                Exception::ResourceNotFound,
                message::pool_not_found(&wire::bounded(pool_id)),
            )
            .body(),
        ),
    }
}

fn clock_state(clock: &OffsetClock) -> Value {
    crate::control::clock_state(clock.now_millis(), clock.offset_millis(), clock.is_frozen())
}

async fn get_clock(State(endpoint): State<Arc<Endpoint>>) -> Response {
    match endpoint.clock_control() {
        Some(c) => json_response(200, &clock_state(c)),
        None => clock_disabled(),
    }
}

/// `/_mfaspec/clock` on an endpoint started without `--clock-control`: say so.
fn clock_disabled() -> Response {
    json_response(
        404,
        &ApiError::new(
            Exception::ResourceNotFound,
            "Clock control is off: start the endpoint with `mfaspec serve --clock-control`",
        )
        .body(),
    )
}

/// `GET /_mfaspec/about`: which server this is, so that `mfaspec run` can tell mfaspec's own
/// endpoint from the emulator a profile names, and whether its clock can be moved.
async fn about(State(endpoint): State<Arc<Endpoint>>) -> Response {
    json_response(
        200,
        &crate::control::about(endpoint.clock_control().is_some()),
    )
}

/// `GET /_mfaspec/outbox[?to=ADDRESS]`: the emails the endpoint would have sent.
async fn outbox(
    State(endpoint): State<Arc<Endpoint>>,
    axum::extract::RawQuery(query): axum::extract::RawQuery,
) -> Response {
    let fields = crate::markup::decode_form(query.as_deref().unwrap_or(""));
    json_response(200, &endpoint.outbox(fields.get("to").map(String::as_str)))
}

/// `GET /_mfaspec/phone?pool_id=ID&username=NAME` (with `--phone`): a code the endpoint
/// accepts now and has never accepted; when this step's and the next one's were both used,
/// it moves a controlled clock to the next step, or waits for it.
async fn phone(
    State(endpoint): State<Arc<Endpoint>>,
    axum::extract::RawQuery(query): axum::extract::RawQuery,
) -> Response {
    if !endpoint.phone_enabled() {
        return json_response(
            404,
            &ApiError::new(
                Exception::ResourceNotFound,
                "The phone is off: start the endpoint with `mfaspec serve --phone` (it hands out second factors, so it is never on by default)",
            )
            .body(),
        );
    }
    let fields = crate::markup::decode_form(query.as_deref().unwrap_or(""));
    let (Some(pool_id), Some(username)) = (fields.get("pool_id"), fields.get("username")) else {
        return json_response(
            400,
            &wire::invalid("Expected the query parameters pool_id and username").body(),
        );
    };
    let (mut waited_ms, mut moved_ms) = (0u64, 0u64);
    // Twice at most: after one step has passed, the next step's code is unused.
    for _ in 0..3 {
        match endpoint.phone_code(pool_id, username) {
            Err(e) => return json_response(e.exception.http_status(), &e.body()),
            Ok(super::endpoint::PhoneCode::Ready {
                code,
                step,
                valid_for_s,
            }) => {
                return json_response(
                    200,
                    &serde_json::json!({ "code": code, "step": step, "valid_for_s": valid_for_s,
                                         "waited_ms": waited_ms, "clock_moved_ms": moved_ms }),
                );
            }
            Ok(super::endpoint::PhoneCode::Wait { until_ms }) => {
                let now = endpoint.now_millis();
                let gap = until_ms.saturating_sub(now) + 1;
                match endpoint.clock_control() {
                    Some(clock) => {
                        clock.advance_millis(i64::try_from(gap).unwrap_or(i64::MAX));
                        moved_ms += gap;
                    }
                    None => {
                        tokio::time::sleep(std::time::Duration::from_millis(gap)).await;
                        waited_ms += gap;
                    }
                }
            }
        }
    }
    json_response(
        500,
        &ApiError::new(Exception::InternalError, message::INTERNAL_ERROR).body(),
    )
}

/// `POST /_mfaspec/clock` with `{"advance_ms": N}`, `{"set_ms": UNIX_MS}`,
/// `{"freeze_ms": UNIX_MS}` or `{"unfreeze": true}`.
async fn set_clock(State(endpoint): State<Arc<Endpoint>>, body: axum::body::Bytes) -> Response {
    let Some(clock) = endpoint.clock_control() else {
        return clock_disabled();
    };
    let request: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
    match ClockRequest::parse(&request) {
        Some(ClockRequest::Advance(ms)) => clock.advance_millis(ms),
        Some(ClockRequest::Set(ms)) => clock.set_millis(ms),
        Some(ClockRequest::Freeze(ms)) => clock.freeze_at(ms),
        Some(ClockRequest::Unfreeze) => clock.unfreeze(),
        None => return json_response(400, &wire::invalid(ClockRequest::EXPECTED).body()),
    }
    json_response(200, &clock_state(clock))
}

/// A request to a hosted-UI path: read (bounded in size and time) and answered by
/// [`Endpoint::hosted`].
async fn hosted_route(
    State(endpoint): State<Arc<Endpoint>>,
    method: axum::http::Method,
    uri: axum::http::Uri,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let text = |name: header::HeaderName| headers.get(name).and_then(|v| v.to_str().ok());
    let read = tokio::time::timeout(
        BODY_READ_TIMEOUT,
        axum::body::to_bytes(body, hosted::MAX_FORM_BYTES),
    )
    .await;
    let Ok(Ok(bytes)) = read else {
        return (
            StatusCode::BAD_REQUEST,
            "The request body is too large or incomplete.",
        )
            .into_response();
    };
    let answer = endpoint.hosted(&HostedRequest {
        method: method.as_str(),
        path: uri.path(),
        query: uri.query().unwrap_or(""),
        host: text(header::HOST).unwrap_or(""),
        cookie: text(header::COOKIE),
        authorization: text(header::AUTHORIZATION),
        content_type: text(header::CONTENT_TYPE),
        body: &bytes,
    });
    let status = StatusCode::from_u16(answer.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let mut response = (status, answer.body).into_response();
    let h = response.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(answer.content_type),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    h.insert("x-frame-options", HeaderValue::from_static("DENY"));
    if let Some(location) = answer.location.and_then(|l| HeaderValue::from_str(&l).ok()) {
        h.insert(header::LOCATION, location);
    }
    if let Some(v) = answer
        .www_authenticate
        .and_then(|l| HeaderValue::from_str(&l).ok())
    {
        h.insert(header::WWW_AUTHENTICATE, v);
    }
    for cookie in answer.cookies {
        if let Ok(v) = HeaderValue::from_str(&cookie) {
            h.append(header::SET_COOKIE, v);
        }
    }
    response
}

async fn not_found() -> Response {
    json_response(
        404,
        &ApiError::new(
            Exception::UnknownOperation,
            "No such route on this endpoint",
        )
        .body(),
    )
}

/// How long a request body may take to arrive in full.
pub const BODY_READ_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(5);

/// The endpoint's HTTP routes.
pub fn router(endpoint: Arc<Endpoint>) -> Router {
    let router = Router::new()
        .route("/", post(api))
        .route("/{pool}/.well-known/jwks.json", get(jwks))
        .route(
            "/{pool}/.well-known/openid-configuration",
            get(openid_configuration),
        )
        .route(CLOCK_PATH, get(get_clock).post(set_clock))
        .route(ABOUT_PATH, get(about))
        .route(OUTBOX_PATH, get(outbox))
        .route(PHONE_PATH, get(phone));
    let router = hosted::PATHS
        .iter()
        .fold(router, |r, path| r.route(path, any(hosted_route)));
    router
        .fallback(not_found)
        .layer(axum::middleware::from_fn_with_state(endpoint.clone(), cors))
        .with_state(endpoint)
}

/// CORS for every route (see [`super::cors`]): a preflight is answered here, before any
/// route (whose methods it would not match); any other answer gets the allowed origin's
/// headers.
async fn cors(
    State(endpoint): State<Arc<Endpoint>>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    // Read in a block: a reference to the request (whose body is not Sync) must not live
    // across the await below.
    let (origin, preflight_method, requested_headers) = {
        let text = |name: &str| -> Option<String> {
            request
                .headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned)
        };
        (
            text("origin"),
            text("access-control-request-method")
                .filter(|_| request.method() == axum::http::Method::OPTIONS),
            text("access-control-request-headers"),
        )
    };
    let Some(origin) = origin else {
        return next.run(request).await;
    };
    let policy = endpoint.cors().clone();
    if let Some(method) = preflight_method {
        let Some(headers) = policy.preflight(&origin, &method, requested_headers.as_deref()) else {
            // Not an allowed origin: an answer without CORS headers, which the browser refuses.
            return StatusCode::FORBIDDEN.into_response();
        };
        let mut response = StatusCode::OK.into_response();
        for (name, value) in headers {
            if let Ok(v) = HeaderValue::from_str(&value) {
                response.headers_mut().insert(name, v);
            }
        }
        if let Ok(id) = HeaderValue::from_str(&new_uuid()) {
            response.headers_mut().insert("x-amzn-requestid", id);
        }
        return response;
    }
    let allowed = policy.answer(&origin);
    let mut response = next.run(request).await;
    for (name, value) in allowed.into_iter().flatten() {
        response
            .headers_mut()
            .insert(name, HeaderValue::from_static(value));
    }
    response
}

/// Serves `endpoint` on `listener` until `shutdown` completes.
pub async fn serve(
    listener: tokio::net::TcpListener,
    endpoint: Arc<Endpoint>,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    if let Ok(addr) = listener.local_addr() {
        endpoint.listening_on(addr);
    }
    axum::serve(listener, router(endpoint))
        .with_graceful_shutdown(shutdown)
        .await
}

/// A TCP listener whose connections are TLS: the handshake happens in `accept`, bounded in
/// time (a client that never finishes it is dropped, and the next one is served).
struct TlsListener {
    tcp: tokio::net::TcpListener,
    acceptor: tokio_rustls::TlsAcceptor,
}

impl axum::serve::Listener for TlsListener {
    type Io = tokio_rustls::server::TlsStream<tokio::net::TcpStream>;
    type Addr = SocketAddr;

    async fn accept(&mut self) -> (Self::Io, Self::Addr) {
        loop {
            let Ok((tcp, addr)) = self.tcp.accept().await else {
                tokio::time::sleep(std::time::Duration::from_millis(10)).await;
                continue;
            };
            let handshake = self.acceptor.accept(tcp);
            if let Ok(Ok(tls)) = tokio::time::timeout(BODY_READ_TIMEOUT, handshake).await {
                return (tls, addr);
            }
        }
    }

    fn local_addr(&self) -> std::io::Result<Self::Addr> {
        self.tcp.local_addr()
    }
}

/// A reference endpoint running on a tokio task: what `mfaspec run` and the tests use.
#[derive(Debug)]
pub struct Running {
    /// Where it listens.
    pub addr: SocketAddr,
    /// Where it listens for HTTPS (`--tls-addr`), if it does.
    pub tls_addr: Option<SocketAddr>,
    /// The endpoint itself (for its clock).
    pub endpoint: Arc<Endpoint>,
    stop: Vec<tokio::sync::oneshot::Sender<()>>,
    tasks: Vec<tokio::task::JoinHandle<std::io::Result<()>>>,
}

impl Running {
    /// Starts an endpoint on `addr` (port 0 picks a free one), and on `options.tls`'s
    /// address over HTTPS if it has one.
    pub async fn start(addr: SocketAddr, options: &Options) -> Result<Running, StartError> {
        let tls_config = match &options.tls {
            Some(t) => Some((t.addr, super::tls::server_config(&t.cert, &t.key)?)),
            None => None,
        };
        let endpoint = Endpoint::new(options)?;
        let listener = tokio::net::TcpListener::bind(addr)
            .await
            .map_err(|source| StartError::Bind { addr, source })?;
        let addr = listener
            .local_addr()
            .map_err(|source| StartError::Bind { addr, source })?;
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let mut tasks = vec![tokio::spawn(serve(listener, endpoint.clone(), async {
            let _ = stopped.await;
        }))];
        let mut stops = vec![stop];
        let mut tls_addr = None;
        if let Some((wanted, config)) = tls_config {
            let tcp = tokio::net::TcpListener::bind(wanted)
                .await
                .map_err(|source| StartError::Bind {
                    addr: wanted,
                    source,
                })?;
            tls_addr = Some(tcp.local_addr().map_err(|source| StartError::Bind {
                addr: wanted,
                source,
            })?);
            let listener = TlsListener {
                tcp,
                acceptor: tokio_rustls::TlsAcceptor::from(config),
            };
            let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
            let app = router(endpoint.clone());
            tasks.push(tokio::spawn(async move {
                axum::serve(listener, app)
                    .with_graceful_shutdown(async {
                        let _ = stopped.await;
                    })
                    .await
            }));
            stops.push(stop);
        }
        Ok(Running {
            addr,
            tls_addr,
            endpoint,
            stop: stops,
            tasks,
        })
    }

    /// `http://<addr>`.
    #[must_use]
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Stops serving and waits for in-flight requests.
    pub async fn stop(mut self) -> std::io::Result<()> {
        for stop in self.stop.drain(..) {
            let _ = stop.send(());
        }
        let mut result = Ok(());
        for task in self.tasks.drain(..) {
            if let Err(e) = task.await.unwrap_or(Ok(())) {
                result = Err(e);
            }
        }
        result
    }
}
