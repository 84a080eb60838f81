//! HTTP: actix wiring, bearer-token parsing, health, and the SPA. The only module that
//! knows actix.

use std::path::PathBuf;

use actix_files::NamedFile;
use actix_web::dev::{ServiceRequest, ServiceResponse, fn_service};
use actix_web::middleware::Compress;
use actix_web::{HttpRequest, HttpResponse, web};
use sea_orm::DatabaseConnection;

use crate::api::{self, DudaoSchema, RequestInfo, loaders::Loaders};
use crate::error::AppError;
use crate::service::auth::{self, TokenKeys};
use crate::service::{self, transfer};

#[derive(Clone)]
pub struct AppState {
    pub db: DatabaseConnection,
    pub schema: DudaoSchema,
    /// The same schema for introspection-only requests of a signed-in caller: deep enough
    /// for the standard introspection query, and able to resolve nothing else.
    pub introspection: DudaoSchema,
    pub keys: TokenKeys,
    pub static_dir: PathBuf,
    /// Behind a reverse proxy: take the client address from `X-Forwarded-For`/`Forwarded`
    /// (for per-address sign-in limits) instead of the socket peer.
    pub trust_forwarded: bool,
    /// When set (`DUDAO_COUNT_STATEMENTS`, for benchmarks), each GraphQL response says how
    /// many SQL statements the process ran meanwhile in `X-Dudao-Statements` (exact only
    /// when requests do not overlap).
    pub statements: Option<crate::db::StatementCounter>,
}

fn bearer(req: &HttpRequest) -> Option<&str> {
    req.headers()
        .get(actix_web::http::header::AUTHORIZATION)?
        .to_str()
        .ok()?
        .strip_prefix("Bearer ")
        .map(str::trim)
        .filter(|t| !t.is_empty())
}

/// The largest GraphQL request body: a page's operation with its variables is a few KB;
/// anything near this is an attack, refused before it is read, let alone parsed.
pub const MAX_GRAPHQL_BODY: usize = 1 << 20;
/// The largest import file (a spreadsheet of about a million rows).
pub const MAX_IMPORT_BODY: usize = 64 << 20;

/// What the client accepts (GraphQL over HTTP): `application/graphql-response+json`,
/// whose status codes tell a refused request (400) from an executed one; or
/// `application/json` (also for `*/*` or no `Accept`), always 200 once the request is
/// well-formed, which older clients expect.
#[derive(Clone, Copy, PartialEq, Eq)]
enum MediaType {
    GraphqlResponse,
    Json,
}

impl MediaType {
    fn content_type(self) -> &'static str {
        match self {
            MediaType::GraphqlResponse => "application/graphql-response+json; charset=utf-8",
            MediaType::Json => "application/json; charset=utf-8",
        }
    }
}

fn negotiate(req: &HttpRequest) -> Option<MediaType> {
    let Some(accept) = req.headers().get(actix_web::http::header::ACCEPT) else {
        return Some(MediaType::Json);
    };
    let accept = accept.to_str().unwrap_or_default();
    let types: Vec<&str> = accept
        .split(',')
        .map(|t| t.split(';').next().unwrap_or_default().trim())
        .collect();
    if types.iter().all(|t| t.is_empty()) {
        Some(MediaType::Json)
    } else if types.contains(&"application/graphql-response+json") {
        Some(MediaType::GraphqlResponse)
    } else if types
        .iter()
        .any(|t| matches!(*t, "application/json" | "application/*" | "*/*"))
    {
        Some(MediaType::Json)
    } else {
        None
    }
}

/// A response outside GraphQL execution (bad transport), still in the GraphQL shape with
/// a coded error.
fn transport_error(
    status: actix_web::http::StatusCode,
    media: MediaType,
    code: &str,
    message: &str,
) -> HttpResponse {
    HttpResponse::build(status)
        .content_type(media.content_type())
        .json(serde_json::json!({
            "errors": [{ "message": message, "extensions": { "code": code } }]
        }))
}

fn bad_request(media: MediaType, message: &str) -> HttpResponse {
    transport_error(
        actix_web::http::StatusCode::BAD_REQUEST,
        media,
        "BAD_USER_INPUT",
        message,
    )
}

/// A body that could not be read: too large (413) or broken off (400); the message says
/// which. The code is `BAD_USER_INPUT` either way.
struct BodyError(actix_web::http::StatusCode, String);

/// Reads a request body of at most `limit` bytes. A declared length over it is refused
/// before anything is read; a chunked body as soon as it grows past it.
async fn read_body(
    req: &HttpRequest,
    mut payload: web::Payload,
    limit: usize,
) -> Result<web::Bytes, BodyError> {
    use futures_util::StreamExt;
    let too_large = || {
        BodyError(
            actix_web::http::StatusCode::PAYLOAD_TOO_LARGE,
            format!(
                "请求体过大（上限 {} MB）/ request body too large (limit {} MB)",
                limit >> 20,
                limit >> 20
            ),
        )
    };
    let declared = req
        .headers()
        .get(actix_web::http::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > limit as u64) {
        return Err(too_large());
    }
    let mut body = web::BytesMut::new();
    while let Some(chunk) = payload.next().await {
        let chunk = chunk.map_err(|_| {
            BodyError(
                actix_web::http::StatusCode::BAD_REQUEST,
                "请求体读取失败 / could not read the request body".into(),
            )
        })?;
        if body.len() + chunk.len() > limit {
            return Err(too_large());
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body.freeze())
}

/// The parameters of a GraphQL request, from a JSON body or a query string.
#[derive(Clone)]
struct Params {
    query: String,
    operation_name: Option<String>,
    variables: Option<serde_json::Value>,
}

/// Checks the parameters' types (GraphQL over HTTP): `query` a string, `operationName` a
/// string or null, `variables` and `extensions` maps or null.
fn params(body: serde_json::Value) -> Result<Params, &'static str> {
    use serde_json::Value as J;
    let J::Object(mut m) = body else {
        return Err("请求须为 JSON 对象 / the request must be a JSON object");
    };
    let query = match m.remove("query") {
        Some(J::String(q)) => q,
        _ => return Err("query: 须为字符串 / must be a string"),
    };
    let operation_name = match m.remove("operationName") {
        None | Some(J::Null) => None,
        Some(J::String(s)) => Some(s),
        Some(_) => return Err("operationName: 须为字符串 / must be a string"),
    };
    let variables = match m.remove("variables") {
        None | Some(J::Null) => None,
        Some(v @ J::Object(_)) => Some(v),
        Some(_) => return Err("variables: 须为对象 / must be a map"),
    };
    match m.remove("extensions") {
        None | Some(J::Null) | Some(J::Object(_)) => {}
        Some(_) => return Err("extensions: 须为对象 / must be a map"),
    }
    Ok(Params {
        query,
        operation_name,
        variables,
    })
}

/// `POST /graphql`: a JSON body of at most [`MAX_GRAPHQL_BODY`].
async fn graphql_post(
    state: web::Data<AppState>,
    req: HttpRequest,
    payload: web::Payload,
) -> HttpResponse {
    let Some(media) = negotiate(&req) else {
        return not_acceptable();
    };
    let json_body = req
        .headers()
        .get(actix_web::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|t| t.trim().eq_ignore_ascii_case("application/json"));
    if !json_body {
        return transport_error(
            actix_web::http::StatusCode::UNSUPPORTED_MEDIA_TYPE,
            media,
            "BAD_USER_INPUT",
            "请求须为 application/json / the body must be application/json",
        );
    }
    let body = match read_body(&req, payload, MAX_GRAPHQL_BODY).await {
        Ok(b) => b,
        Err(BodyError(status, m)) => return transport_error(status, media, "BAD_USER_INPUT", &m),
    };
    if body.iter().all(u8::is_ascii_whitespace) {
        return bad_request(media, "请求体为空 / the request body is empty");
    }
    let parsed = match serde_json::from_slice::<serde_json::Value>(&body) {
        Ok(v) => v,
        Err(_) => return bad_request(media, "请求体不是有效的 JSON / the body is not valid JSON"),
    };
    if let serde_json::Value::Array(items) = parsed {
        return execute_batch(&state, &req, media, items).await;
    }
    match params(parsed) {
        Ok(p) => execute(&state, &req, media, p, false).await,
        Err(m) => bad_request(media, m),
    }
}

#[derive(serde::Deserialize)]
struct GetParams {
    query: Option<String>,
    #[serde(rename = "operationName")]
    operation_name: Option<String>,
    variables: Option<String>,
    extensions: Option<String>,
}

/// `GET /graphql?query=…`: queries only; a mutation over GET is refused (405), so that a
/// link or a prefetch can never change anything.
async fn graphql_get(state: web::Data<AppState>, req: HttpRequest) -> HttpResponse {
    let Some(media) = negotiate(&req) else {
        return not_acceptable();
    };
    let Ok(q) = web::Query::<GetParams>::from_query(req.query_string()) else {
        return bad_request(media, "查询参数无效 / invalid query parameters");
    };
    let q = q.into_inner();
    let Some(query) = q.query else {
        return bad_request(media, "query: 必填 / required");
    };
    let json = |s: Option<String>,
                what: &'static str|
     -> Result<Option<serde_json::Value>, &'static str> {
        match s.filter(|s| !s.is_empty()) {
            None => Ok(None),
            Some(s) => match serde_json::from_str::<serde_json::Value>(&s) {
                Ok(serde_json::Value::Null) => Ok(None),
                Ok(v @ serde_json::Value::Object(_)) => Ok(Some(v)),
                _ => Err(what),
            },
        }
    };
    let variables = match json(
        q.variables,
        "variables: 须为 JSON 对象 / must be a JSON map",
    ) {
        Ok(v) => v,
        Err(m) => return bad_request(media, m),
    };
    if let Err(m) = json(
        q.extensions,
        "extensions: 须为 JSON 对象 / must be a JSON map",
    ) {
        return bad_request(media, m);
    }
    let p = Params {
        query,
        operation_name: q.operation_name,
        variables,
    };
    execute(&state, &req, media, p, true).await
}

fn not_acceptable() -> HttpResponse {
    transport_error(
        actix_web::http::StatusCode::NOT_ACCEPTABLE,
        MediaType::Json,
        "BAD_USER_INPUT",
        "只提供 application/json 或 application/graphql-response+json / only application/json or application/graphql-response+json",
    )
}

/// The most operations one batched request may carry (a page's sections); each is costed
/// and limited on its own, so a batch is bounded by this many times one query's limit.
pub const MAX_BATCH: usize = 8;

/// The caller of a `/graphql` request from its verified token, read once per HTTP request
/// (a batch shares it). A session that no longer holds (signed out, deactivated) answers
/// like any unauthenticated call: fields that need a caller say UNAUTHENTICATED. Any
/// other failure of the check is the request's.
async fn signed_in(
    state: &AppState,
    subject: &auth::TokenSubject,
) -> Result<Option<dudao_domain::Viewer>, AppError> {
    match auth::account(&state.db, subject).await {
        Ok(v) => Ok(Some(v)),
        Err(AppError::Unauthenticated(_)) => Ok(None),
        Err(e) => Err(e),
    }
}

/// One operation's answer: its status and body, and whether it was a mutation sent
/// over GET (answered 405 with `Allow: POST`).
struct Answer {
    status: actix_web::http::StatusCode,
    body: serde_json::Value,
    post_only: bool,
}

fn refusal(media: MediaType, e: &AppError) -> Answer {
    let status = match media {
        MediaType::GraphqlResponse => status_of(e),
        MediaType::Json if matches!(e, AppError::Internal(_)) => {
            actix_web::http::StatusCode::INTERNAL_SERVER_ERROR
        }
        MediaType::Json => actix_web::http::StatusCode::OK,
    };
    if let AppError::Internal(cause) = e {
        tracing::error!(error = ?cause, "internal error");
    }
    Answer {
        status,
        body: serde_json::json!({
            "errors": [{ "message": e.message(), "extensions": { "code": e.code() } }]
        }),
        post_only: false,
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Via {
    Get,
    Post,
    /// One operation of a batched POST: queries only, so that the order in which a
    /// batch's operations run can never matter.
    Batch,
}

/// Whether an operation runs with a caller already checked against the account, or ahead
/// of that check with the role its token claims.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Caller {
    Checked,
    /// Queries only: a mutation is not run (`None`), and the answer is kept only if the
    /// account check then agrees with the claim.
    Claimed,
}

/// Runs a query ahead of the account check, with the caller its token claims, while the
/// check reads the account (two connections, so the check's round trip is not added to
/// the query's). The answer is kept only when the account is live and its role is the
/// claimed one; otherwise (a role changed, a session ended) it is dropped unseen and the
/// operation runs again as the check says, exactly as if it had waited. Queries read
/// only, so running one that is then dropped changes nothing; mutations never run ahead.
async fn checked_run<T, F, Fut>(
    state: &AppState,
    req: &HttpRequest,
    run: F,
) -> Result<(Option<dudao_domain::Viewer>, Option<T>), AppError>
where
    F: FnOnce(Option<dudao_domain::Viewer>, Caller) -> Fut,
    Fut: std::future::Future<Output = Option<T>>,
{
    // The token is verified once: its claim (signature, issuer and expiry checked, but a
    // role that may have changed since it was issued) runs ahead; the account is read.
    match bearer(req).map(|t| auth::verify_access_token(&state.keys, t)) {
        None => Ok((None, None)),
        Some(Ok(subject)) => {
            let claimed = dudao_domain::Viewer {
                user_id: subject.user_id,
                role: subject.claimed_role,
            };
            let (checked, ahead) = futures_util::join!(
                signed_in(state, &subject),
                run(Some(claimed), Caller::Claimed)
            );
            let viewer = checked?;
            Ok((viewer, ahead.filter(|_| viewer == Some(claimed))))
        }
        Some(Err(AppError::Unauthenticated(_))) => Ok((None, None)),
        Some(Err(e)) => Err(e),
    }
}

async fn run_operation(
    state: &AppState,
    viewer: Option<dudao_domain::Viewer>,
    client_address: &str,
    media: MediaType,
    p: Params,
    via: Via,
    caller: Caller,
) -> Option<Answer> {
    use actix_web::http::StatusCode;
    let mut request = async_graphql::Request::new(p.query);
    if let Some(name) = p.operation_name {
        request = request.operation_name(name);
    }
    if let Some(v) = p.variables {
        request = request.variables(async_graphql::Variables::from_json(v));
    }
    let shape = api::inspect(&mut request);
    if via == Via::Get && shape.mutation {
        let mut out = refusal(
            media,
            &AppError::BadInput("变更须用 POST / mutations must be sent with POST".into()),
        );
        out.status = StatusCode::METHOD_NOT_ALLOWED;
        out.post_only = true;
        return Some(out);
    }
    if via == Via::Batch && shape.mutation {
        return Some(refusal(
            media,
            &AppError::BadInput(
                "批量请求只能包含查询 / a batched request may carry queries only".into(),
            ),
        ));
    }
    if let Err(e) = &shape.text {
        return Some(refusal(media, e));
    }
    if caller == Caller::Claimed && shape.mutation {
        return None;
    }
    let mut request = request.data(RequestInfo {
        viewer,
        client_address: client_address.to_owned(),
    });
    if let Some(v) = viewer {
        request = request.data(Loaders::new(&state.db, v));
    }
    let schema = if shape.introspection_only && viewer.is_some() {
        // The standard introspection query of GraphiQL and the code generators is deeper
        // than any data query may be; it runs on a schema that resolves nothing else.
        request = request.only_introspection();
        &state.introspection
    } else {
        &state.schema
    };
    let mut resp = schema.execute(request).await;
    api::assign_codes(&mut resp);
    if shape.describes_schema && viewer.is_none() && api::too_complex(&resp) {
        // The whole schema (GraphiQL's or a code generator's introspection) is for
        // signed-in callers; signed out, small lookups like `__type(name:)` still work.
        return Some(refusal(
            media,
            &AppError::Unauthenticated(
                "登录后才能读取完整的接口架构 / sign in (a Bearer token) to read the whole schema"
                    .into(),
            ),
        ));
    }
    // A request refused before execution (parse, validation, limits, variables) has no
    // data and no error with a path.
    let refused = resp.data == async_graphql::Value::Null
        && !resp.errors.is_empty()
        && resp.errors.iter().all(|e| e.path.is_empty());
    let mut body = serde_json::to_value(&resp).unwrap_or_default();
    let status = if refused && media == MediaType::GraphqlResponse {
        if let Some(m) = body.as_object_mut() {
            m.remove("data");
        }
        StatusCode::BAD_REQUEST
    } else {
        StatusCode::OK
    };
    Some(Answer {
        status,
        body,
        post_only: false,
    })
}

async fn execute(
    state: &AppState,
    req: &HttpRequest,
    media: MediaType,
    p: Params,
    via_get: bool,
) -> HttpResponse {
    let before = state
        .statements
        .as_ref()
        .map(crate::db::StatementCounter::get);
    let via = if via_get { Via::Get } else { Via::Post };
    let address = client_address(state, req);
    let again = p.clone();
    let ahead = |viewer, caller| run_operation(state, viewer, &address, media, p, via, caller);
    let answer = match checked_run(state, req, ahead).await {
        Err(e) => return graphql_refusal(media, &e),
        Ok((_, Some(answer))) => answer,
        Ok((viewer, None)) => {
            match run_operation(state, viewer, &address, media, again, via, Caller::Checked).await {
                Some(answer) => answer,
                None => refusal(media, &AppError::unauthenticated()),
            }
        }
    };
    let mut out = HttpResponse::build(answer.status);
    out.content_type(media.content_type());
    if answer.post_only {
        out.insert_header((actix_web::http::header::ALLOW, "POST"));
    }
    if let (Some(counter), Some(before)) = (&state.statements, before) {
        out.insert_header(("X-Dudao-Statements", (counter.get() - before).to_string()));
    }
    out.json(answer.body)
}

/// A batched POST: a JSON array of up to [`MAX_BATCH`] queries, answered by an array of
/// their results in the same order, each with its own data and errors (one failing
/// section of a page does not fail the others). The caller is checked once for all.
async fn execute_batch(
    state: &AppState,
    req: &HttpRequest,
    media: MediaType,
    items: Vec<serde_json::Value>,
) -> HttpResponse {
    if items.is_empty() || items.len() > MAX_BATCH {
        return bad_request(
            media,
            &format!(
                "批量请求须含 1 到 {MAX_BATCH} 个查询 / a batch carries 1 to {MAX_BATCH} queries"
            ),
        );
    }
    let before = state
        .statements
        .as_ref()
        .map(crate::db::StatementCounter::get);
    let address = client_address(state, req);
    let run_all = |viewer, caller| {
        let runs = items.iter().map(|item| {
            let address = &address;
            async move {
                match params(item.clone()) {
                    Ok(p) => {
                        run_operation(state, viewer, address, media, p, Via::Batch, caller).await
                    }
                    Err(m) => Some(refusal(media, &AppError::BadInput(m.into()))),
                }
            }
        });
        futures_util::future::join_all(runs)
    };
    // A batch carries queries only, so it runs ahead of the account check as one.
    let ahead = |viewer, caller| async move {
        run_all(viewer, caller)
            .await
            .into_iter()
            .collect::<Option<Vec<Answer>>>()
    };
    let answers = match checked_run(state, req, ahead).await {
        Err(e) => return graphql_refusal(media, &e),
        Ok((_, Some(answers))) => answers,
        Ok((viewer, None)) => run_all(viewer, Caller::Checked)
            .await
            .into_iter()
            .map(|a| a.unwrap_or_else(|| refusal(media, &AppError::unauthenticated())))
            .collect(),
    };
    let bodies: Vec<serde_json::Value> = answers.into_iter().map(|a| a.body).collect();
    let mut out = HttpResponse::Ok();
    out.content_type(media.content_type());
    if let (Some(counter), Some(before)) = (&state.statements, before) {
        out.insert_header(("X-Dudao-Statements", (counter.get() - before).to_string()));
    }
    out.json(bodies)
}

/// An error found before execution, as a GraphQL response.
fn graphql_refusal(media: MediaType, e: &AppError) -> HttpResponse {
    let answer = refusal(media, e);
    HttpResponse::build(answer.status)
        .content_type(media.content_type())
        .json(answer.body)
}

fn client_address(state: &AppState, req: &HttpRequest) -> String {
    if state.trust_forwarded {
        req.connection_info()
            .realip_remote_addr()
            .unwrap_or_default()
            .to_owned()
    } else {
        req.peer_addr()
            .map(|a| a.ip().to_string())
            .unwrap_or_default()
    }
}

/// The HTTP status of an error code, taken from the error itself.
fn status_of(e: &AppError) -> actix_web::http::StatusCode {
    use actix_web::http::StatusCode;
    match e {
        AppError::Unauthenticated(_) => StatusCode::UNAUTHORIZED,
        AppError::Forbidden(_) => StatusCode::FORBIDDEN,
        AppError::NotFound(_) => StatusCode::NOT_FOUND,
        AppError::BadInput(_) => StatusCode::BAD_REQUEST,
        AppError::Conflict(_) => StatusCode::CONFLICT,
        AppError::RateLimited(_) => StatusCode::TOO_MANY_REQUESTS,
        AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

fn error_response(e: &AppError) -> HttpResponse {
    if let AppError::Internal(cause) = e {
        tracing::error!(error = ?cause, "internal error");
    }
    let mut out = HttpResponse::build(status_of(e));
    if let AppError::RateLimited(_) = e {
        out.insert_header((
            actix_web::http::header::RETRY_AFTER,
            (auth::RATE_WINDOW_MINUTES * 60).to_string(),
        ));
    }
    out.json(serde_json::json!({ "code": e.code(), "message": e.message() }))
}

async fn caller(state: &AppState, req: &HttpRequest) -> Result<dudao_domain::Viewer, AppError> {
    let token = bearer(req).ok_or_else(AppError::unauthenticated)?;
    auth::authenticate(&state.db, &state.keys, token).await
}

#[derive(serde::Deserialize)]
struct ExportQuery {
    format: Option<String>,
    region: Option<String>,
    rep: Option<String>,
    from: Option<chrono::NaiveDate>,
    to: Option<chrono::NaiveDate>,
    /// Alerts: statuses and rules, comma-separated; a customer; only those routed to me.
    status: Option<String>,
    rule: Option<String>,
    customer: Option<String>,
    mine: Option<bool>,
    /// Alerts: only those putting at least this amount at risk (`12000.00`).
    min_at_risk: Option<String>,
    /// Evaluations: period kind, subject kind (REP, SUPERVISOR), cycle, only overdue ones
    /// (`status` too, one of DRAFT, SUBMITTED, FINALIZED).
    period_kind: Option<String>,
    subject_kind: Option<String>,
    cycle: Option<String>,
    overdue: Option<bool>,
    /// Promotion candidates: the day judged on (default today); `rule` is the promotion
    /// rule's id and `status` ELIGIBLE, NEARLY_ELIGIBLE or NOT_ELIGIBLE.
    as_of: Option<chrono::NaiveDate>,
    /// Headers and coded values in this language (`zh`, `en`); codes when absent.
    lang: Option<String>,
}

/// A `lang` parameter: none, or `zh` / `en` (an unknown one is bad input).
fn lang_of(q: Option<&str>) -> crate::error::AppResult<Option<dudao_domain::columns::Lang>> {
    match q.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(s) => dudao_domain::columns::Lang::parse(s)
            .map(Some)
            .ok_or_else(|| {
                AppError::BadInput(format!("lang: 应为 zh 或 en / must be zh or en: {s}"))
            }),
    }
}

/// A download's `Content-Disposition`: an ASCII name, and the name in the reader's
/// language as RFC 6266's `filename*` (UTF-8, percent-encoded).
fn attachment(ascii: &str, named: &str) -> String {
    let encoded: String = named
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_') {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{encoded}")
}

/// A kind's name in a file name: `订单` in Chinese, the kind itself otherwise.
fn kind_name(kind: &str, lang: Option<dudao_domain::columns::Lang>) -> &str {
    dudao_domain::columns::word("kind", kind, lang)
}

/// A comma-separated list of enum names (`OPEN,RESOLVED`); an unknown one is bad input.
fn names<T>(
    v: &Option<String>,
    field: &str,
    parse: impl Fn(&str) -> Option<T>,
) -> Result<Vec<T>, AppError> {
    v.as_deref()
        .unwrap_or("")
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| {
            parse(s)
                .ok_or_else(|| AppError::BadInput(format!("{field}: 未知的值 / unknown value {s}")))
        })
        .collect()
}

/// `GET /api/export/{kind}?format=csv|xlsx&region=&rep=&from=&to=`: the rows the caller
/// may read, with the list's filters, as a download. `alerts` takes the inbox's filters:
/// `status=OPEN,ACKNOWLEDGED&rule=OVERDUE_PAYMENT&region=&rep=&customer=&mine=true`.
async fn export(
    state: web::Data<AppState>,
    req: HttpRequest,
    kind: web::Path<String>,
    q: web::Query<ExportQuery>,
) -> HttpResponse {
    let run = async {
        let viewer = caller(&state, &req).await?;
        let format = transfer::Format::parse(q.format.as_deref().unwrap_or("csv"))?;
        let lang = lang_of(q.lang.as_deref())?;
        for d in [q.from, q.to, q.as_of].into_iter().flatten() {
            dudao_domain::sane_date(d).map_err(|e| AppError::BadInput(e.to_string()))?;
        }
        let gid = |v: &Option<String>, k: &str| {
            v.as_deref()
                .filter(|s| !s.is_empty())
                .map(|s| api::ids::decode(&async_graphql::ID::from(s), k))
                .transpose()
        };
        if kind.as_str() == "alerts" {
            use dudao_domain::alerts::{AlertRule, AlertStatus};
            let filter = service::alerts::Filter {
                statuses: names(&q.status, "status", AlertStatus::parse)?,
                rules: names(&q.rule, "rule", AlertRule::parse)?,
                region_id: gid(&q.region, "Region")?,
                rep_id: gid(&q.rep, "Rep")?,
                customer_id: gid(&q.customer, "Customer")?,
                assignee_id: q.mine.unwrap_or(false).then_some(viewer.user_id),
                min_at_risk: q
                    .min_at_risk
                    .as_deref()
                    .filter(|s| !s.trim().is_empty())
                    .map(|s| {
                        dudao_domain::Money::parse(s)
                            .map(dudao_domain::Money::cents)
                            .map_err(|e| AppError::BadInput(format!("min_at_risk: {e}")))
                    })
                    .transpose()?,
            };
            let mut body = Vec::new();
            service::alerts::export(&state.db, &viewer, &filter, format, lang, &mut body).await?;
            return Ok::<_, AppError>(("alerts", format, lang, body));
        }
        if kind.as_str() == "evaluations" {
            use dudao_domain::Code;
            let one = |v: &Option<String>| -> Result<Option<String>, AppError> {
                Ok(v.as_deref()
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(str::to_owned))
            };
            fn code<T: Code>(v: Option<String>, what: &str) -> Result<Option<T>, AppError> {
                v.map(|s| {
                    T::from_code(&s).ok_or_else(|| AppError::BadInput(format!("{what}: {s:?}")))
                })
                .transpose()
            }
            let filter = service::evaluations::EvaluationFilter {
                status: code(one(&q.status)?, "status")?,
                period_kind: code(one(&q.period_kind)?, "period_kind")?,
                subject_kind: code(one(&q.subject_kind)?, "subject_kind")?,
                cycle_id: gid(&q.cycle, "EvaluationCycle")?,
                overdue: q.overdue.unwrap_or(false),
                ..Default::default()
            };
            let mut body = Vec::new();
            service::evaluations::export(&state.db, &viewer, &filter, format, lang, &mut body)
                .await?;
            return Ok::<_, AppError>(("evaluations", format, lang, body));
        }
        if kind.as_str() == "promotion-candidates" {
            let rule = gid(&q.rule, "PromotionRule")?.ok_or_else(|| {
                AppError::BadInput("rule: 需要晋升规则 / a promotion rule is needed".into())
            })?;
            let status = q
                .status
                .as_deref()
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(service::promotion::Standing::parse)
                .transpose()?;
            let as_of = q.as_of.unwrap_or_else(crate::clock::today);
            let mut body = Vec::new();
            service::promotion::export_candidates(
                &state.db,
                &viewer,
                rule,
                gid(&q.region, "Region")?,
                status,
                as_of,
                format,
                lang,
                &mut body,
            )
            .await?;
            return Ok::<_, AppError>(("promotion-candidates", format, lang, body));
        }
        let kind = transfer::Kind::parse(&kind)?;
        let filter = transfer::ExportFilter {
            region_id: gid(&q.region, "Region")?,
            rep_id: gid(&q.rep, "Rep")?,
            from: q.from,
            to: q.to,
        };
        let mut body = Vec::new();
        transfer::export(&state.db, &viewer, kind, &filter, format, lang, &mut body).await?;
        Ok::<_, AppError>((kind.as_str(), format, lang, body))
    };
    match run.await {
        Ok((kind, format, lang, body)) => {
            let (ext, mime) = format.ext_and_mime();
            HttpResponse::Ok()
                .content_type(mime)
                .insert_header((
                    "Content-Disposition",
                    attachment(
                        &format!("dudao-{kind}.{ext}"),
                        &format!(
                            "{}-{}.{ext}",
                            if lang == Some(dudao_domain::columns::Lang::Zh) {
                                "督导"
                            } else {
                                "dudao"
                            },
                            kind_name(kind, lang)
                        ),
                    ),
                ))
                .body(body)
        }
        Err(e) => error_response(&e),
    }
}

#[derive(serde::Deserialize)]
struct TemplateQuery {
    format: Option<String>,
    lang: Option<String>,
}

/// `GET /api/import/{kind}/template?format=csv|xlsx&lang=zh|en`: the empty file of a
/// kind to fill in, for those who may import.
async fn import_template(
    state: web::Data<AppState>,
    req: HttpRequest,
    kind: web::Path<String>,
    q: web::Query<TemplateQuery>,
) -> HttpResponse {
    let run = async {
        let viewer = caller(&state, &req).await?;
        service::require(
            &viewer,
            dudao_domain::Action::Create,
            dudao_domain::Resource::Import,
        )?;
        let kind = transfer::Kind::parse(&kind)?;
        let format = transfer::Format::parse(q.format.as_deref().unwrap_or("xlsx"))?;
        let lang = lang_of(q.lang.as_deref())?;
        Ok::<_, AppError>((kind, format, lang, transfer::template(kind, format, lang)?))
    };
    match run.await {
        Ok((kind, format, lang, body)) => {
            let (ext, mime) = format.ext_and_mime();
            let named = if lang == Some(dudao_domain::columns::Lang::Zh) {
                format!("督导-{}-模板.{ext}", kind_name(kind.as_str(), lang))
            } else {
                format!("dudao-{}-template.{ext}", kind.as_str())
            };
            HttpResponse::Ok()
                .content_type(mime)
                .insert_header((
                    "Content-Disposition",
                    attachment(&format!("dudao-{}-template.{ext}", kind.as_str()), &named),
                ))
                .body(body)
        }
        Err(e) => error_response(&e),
    }
}

#[derive(serde::Deserialize)]
struct ImportQuery {
    format: Option<String>,
}

/// `POST /api/import/{kind}?format=csv|xlsx` with the file as the body: the import report
/// (200 when imported; 422 with every bad row when nothing was). The caller is checked
/// before the body is read; only then may it be as large as [`MAX_IMPORT_BODY`].
async fn import(
    state: web::Data<AppState>,
    req: HttpRequest,
    kind: web::Path<String>,
    q: web::Query<ImportQuery>,
    payload: web::Payload,
) -> HttpResponse {
    let run = async {
        let viewer = caller(&state, &req).await?;
        let kind = transfer::Kind::parse(&kind)?;
        let format = transfer::Format::parse(q.format.as_deref().unwrap_or("csv"))?;
        let body = match read_body(&req, payload, MAX_IMPORT_BODY).await {
            Ok(b) => b,
            Err(e) => return Ok(Err(e)),
        };
        let sheet = transfer::read(&body, format)?;
        transfer::import(&state.db, &viewer, kind, sheet, &|_, _, _| {})
            .await
            .map(Ok)
    };
    match run.await {
        Ok(Ok(report)) if report.error_count == 0 => HttpResponse::Ok().json(report),
        Ok(Ok(report)) => HttpResponse::UnprocessableEntity().json(report),
        Ok(Err(BodyError(status, message))) => HttpResponse::build(status)
            .json(serde_json::json!({ "code": "BAD_USER_INPUT", "message": message })),
        Err(e) => error_response(&e),
    }
}

/// GraphiQL, from the SPA's build (`frontend/dist/graphiql/`, copied from npm by
/// `cargo xtask web`): no CDN, and it runs under the same Content-Security-Policy.
const GRAPHIQL: &str = r#"<!doctype html>
<html lang="zh-CN">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>GraphiQL — 督导 Dudao</title>
  <link rel="stylesheet" href="/graphiql/graphiql.min.css">
  <style>html, body, #graphiql { height: 100%; margin: 0; }</style>
</head>
<body>
  <div id="graphiql">加载中… Loading…</div>
  <script src="/graphiql/react.production.min.js"></script>
  <script src="/graphiql/react-dom.production.min.js"></script>
  <script src="/graphiql/graphiql.min.js"></script>
  <script src="/graphiql/boot.js"></script>
</body>
</html>"#;

async fn graphiql(state: web::Data<AppState>) -> HttpResponse {
    if state.static_dir.join("graphiql/boot.js").is_file() {
        HttpResponse::Ok()
            .content_type("text/html; charset=utf-8")
            .body(GRAPHIQL)
    } else {
        HttpResponse::Ok()
            .content_type("text/html; charset=utf-8")
            .body(NOT_BUILT)
    }
}

async fn healthz(state: web::Data<AppState>) -> HttpResponse {
    match state.db.ping().await {
        Ok(()) => HttpResponse::Ok().body("ok"),
        Err(e) => {
            tracing::warn!(error = %e, "health check failed");
            HttpResponse::ServiceUnavailable().body("database unavailable")
        }
    }
}

const NOT_BUILT: &str = "<!doctype html><meta charset=utf-8><title>Dudao</title>\
<p>督导 Dudao: the web app is not built. Run <code>cargo xtask run</code>. \
The GraphQL API is at <a href=/graphiql>/graphiql</a>.</p>";

/// How long browsers keep a content-hashed file (`dudao_bg.1a2b3c4d.wasm`) without asking:
/// a new build has new names, so the old ones never change.
const IMMUTABLE: &str = "public, max-age=31536000, immutable";

/// Whether a file name carries a content hash (`name.<8 hex>.ext`, `cargo xtask web`).
fn is_hashed(name: &str) -> bool {
    let mut parts = name.rsplit('.');
    let (_ext, hash) = (parts.next(), parts.next());
    parts.next().is_some()
        && hash.is_some_and(|h| h.len() == 8 && h.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// Whether a directory name carries a content hash (`app.<8 hex>`, `cargo xtask web`):
/// the SPA's code (glue, main module, lazily loaded parts) lives in one such directory,
/// as its files name each other by relative paths that cannot carry hashes of their own.
fn is_hashed_dir(name: &str) -> bool {
    name.rsplit_once('.').is_some_and(|(stem, hash)| {
        !stem.is_empty() && hash.len() == 8 && hash.bytes().all(|b| b.is_ascii_hexdigit())
    })
}

/// The file under `dir` a request path names: plain relative segments only (no `..`, no
/// hidden files, no backslashes), or `None`.
fn static_path(dir: &std::path::Path, path: &str) -> Option<PathBuf> {
    let rel = path.trim_start_matches('/');
    if rel.is_empty()
        || rel.split('/').any(|seg| {
            seg.is_empty()
                || seg.starts_with('.')
                || !seg
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"._-".contains(&b))
        })
    {
        return None;
    }
    let file = dir.join(rel);
    file.is_file().then_some(file)
}

/// Sends a static file, precompressed when the client takes it (`.br`, else `.gz`, written
/// by `cargo xtask web`), with its caching: a year for content-hashed names, revalidation
/// for the rest (index.html names the hashed files, so it must never be stale).
fn send_file(req: &HttpRequest, file: &std::path::Path) -> HttpResponse {
    use actix_web::http::header::{self, ContentEncoding, HeaderValue};
    let accepts = |coding: &str| {
        req.headers()
            .get_all(header::ACCEPT_ENCODING)
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .any(|c| {
                let mut it = c.split(';');
                it.next()
                    .is_some_and(|n| n.trim().eq_ignore_ascii_case(coding))
                    && !it.any(|p| p.trim().replace(' ', "") == "q=0")
            })
    };
    let name = file
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default();
    let mime = actix_files::file_extension_to_mime(
        file.extension()
            .and_then(|e| e.to_str())
            .unwrap_or_default(),
    );
    let mut chosen = None;
    for (coding, ext, encoding) in [
        ("br", "br", ContentEncoding::Brotli),
        ("gzip", "gz", ContentEncoding::Gzip),
    ] {
        let packed = file.with_file_name(format!("{name}.{ext}"));
        if accepts(coding) && packed.is_file() {
            chosen = Some((packed, encoding));
            break;
        }
    }
    let opened = match &chosen {
        Some((packed, encoding)) => {
            NamedFile::open(packed).map(|f| f.set_content_encoding(*encoding))
        }
        None => NamedFile::open(file),
    };
    let mut resp = match opened {
        Ok(f) => f
            .set_content_type(mime)
            .disable_content_disposition()
            .into_response(req),
        Err(_) => return HttpResponse::NotFound().finish(),
    };
    let headers = resp.headers_mut();
    headers.insert(header::VARY, HeaderValue::from_static("Accept-Encoding"));
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static(
            if is_hashed(name)
                || file
                    .parent()
                    .and_then(|d| d.file_name())
                    .and_then(|d| d.to_str())
                    .is_some_and(is_hashed_dir)
            {
                IMMUTABLE
            } else {
                "no-cache"
            },
        ),
    );
    resp
}

/// Static files of the SPA, and `index.html` for every client-side route, so a reload on
/// `/reps/12` works.
async fn static_or_spa(req: ServiceRequest) -> Result<ServiceResponse, actix_web::Error> {
    let (req, _) = req.into_parts();
    let dir = req
        .app_data::<web::Data<AppState>>()
        .map(|s| s.static_dir.clone())
        .unwrap_or_default();
    let index = dir.join("index.html");
    let resp = match static_path(&dir, req.path()) {
        Some(file) => send_file(&req, &file),
        None if index.is_file() => send_file(&req, &index),
        None => HttpResponse::Ok()
            .content_type("text/html; charset=utf-8")
            .body(NOT_BUILT),
    };
    Ok(ServiceResponse::new(req, resp))
}

pub fn configure(state: AppState) -> impl FnOnce(&mut web::ServiceConfig) {
    move |cfg| {
        cfg.app_data(web::Data::new(state))
            .service(
                web::resource("/graphql")
                    .route(web::post().to(graphql_post))
                    .route(web::get().to(graphql_get)),
            )
            .route("/graphiql", web::get().to(graphiql))
            .route("/api/export/{kind}", web::get().to(export))
            .route("/api/import/{kind}", web::post().to(import))
            .route(
                "/api/import/{kind}/template",
                web::get().to(import_template),
            )
            .route("/healthz", web::get().to(healthz))
            .default_service(fn_service(static_or_spa));
    }
}

/// The Content-Security-Policy of every response. Tokens live in localStorage, so a script
/// injected into a page could read them: only Dudao's own scripts run (the wasm needs
/// `wasm-unsafe-eval`, no inline script or `eval`), requests go only to Dudao, and no
/// page may be framed. Styles allow inline `style` attributes, which the charts set.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; \
style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self'; connect-src 'self'; \
object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/// The security headers of a response: `nosniff` and no referrer on every one; the
/// Content-Security-Policy and frame refusal on everything but the scripts, stylesheets
/// and wasm modules (browsers apply those two to documents only, and on the first load's
/// six responses they were 2 KB of its 300 KB budget).
pub fn security_headers<B>(res: &mut actix_web::dev::ServiceResponse<B>) {
    use actix_web::http::header::{self, HeaderValue};
    let asset = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|t| {
            t.starts_with("application/wasm")
                || t.starts_with("text/css")
                || t.contains("javascript")
        });
    let h = res.headers_mut();
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    if !asset {
        h.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(CONTENT_SECURITY_POLICY),
        );
        h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    }
}

pub fn compress() -> Compress {
    Compress::default()
}

#[cfg(test)]
mod static_tests {
    use super::*;

    #[test]
    fn hashed_names_are_name_hash_ext() {
        assert!(is_hashed("dudao_bg.1a2b3c4d.wasm"));
        assert!(is_hashed("style.0000abcd.css"));
        assert!(!is_hashed("index.html"));
        assert!(!is_hashed("boot.js"));
        assert!(!is_hashed("1a2b3c4d.js"));
        assert!(!is_hashed("x.1a2b3c4g.js"));
        assert!(is_hashed_dir("app.1a2b3c4d"));
        assert!(!is_hashed_dir(".1a2b3c4d"));
        assert!(!is_hashed_dir("app"));
        assert!(!is_hashed_dir("graphiql"));
    }

    #[test]
    fn static_paths_stay_inside_the_directory() {
        let dir = std::env::temp_dir().join(format!("dudao-static-{}", std::process::id()));
        let _ = std::fs::create_dir_all(dir.join("graphiql"));
        let _ = std::fs::write(dir.join("index.html"), "x");
        let _ = std::fs::write(dir.join("graphiql/boot.js"), "x");
        assert!(static_path(&dir, "/index.html").is_some());
        assert!(static_path(&dir, "/graphiql/boot.js").is_some());
        for bad in [
            "/",
            "/../etc/passwd",
            "/graphiql/../index.html",
            "/.env",
            "/a\\b",
            "/reps/12",
            "/%2e%2e/x",
        ] {
            assert!(static_path(&dir, bad).is_none(), "{bad}");
        }
        let _ = std::fs::remove_dir_all(&dir);
    }
}
