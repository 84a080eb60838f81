//! HTTP: actix wiring, bearer-token parsing, health, and the SPA. The only module that
//! knows actix.

use std::path::PathBuf;

use actix_files::{Files, NamedFile};
use actix_web::dev::{ServiceRequest, ServiceResponse, fn_service};
use actix_web::middleware::{Compress, DefaultHeaders};
use actix_web::{HttpRequest, HttpResponse, web};
use async_graphql::http::GraphiQLSource;
use async_graphql_actix_web::{GraphQLRequest, GraphQLResponse};
use sea_orm::DatabaseConnection;

use crate::api::{self, DudaoSchema, RequestInfo, loaders::Loaders};
use crate::error::AppError;
use crate::service::auth::{self, TokenKeys};
use crate::service::{self, transfer};

#[derive(Clone)]
pub struct AppState {
    pub db: DatabaseConnection,
    pub schema: DudaoSchema,
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

async fn graphql(
    state: web::Data<AppState>,
    req: HttpRequest,
    gql: GraphQLRequest,
) -> actix_web::CustomizeResponder<GraphQLResponse> {
    use actix_web::Responder;
    let before = state
        .statements
        .as_ref()
        .map(crate::db::StatementCounter::get);
    let viewer = bearer(&req).and_then(|t| auth::verify_access_token(&state.keys, t).ok());
    let address = if state.trust_forwarded {
        req.connection_info()
            .realip_remote_addr()
            .unwrap_or_default()
            .to_owned()
    } else {
        req.peer_addr()
            .map(|a| a.ip().to_string())
            .unwrap_or_default()
    };
    let mut request = gql.into_inner().data(RequestInfo {
        viewer,
        client_address: address,
    });
    if let Some(v) = viewer {
        request = request.data(Loaders::new(&state.db, v));
    }
    let mut resp = state.schema.execute(request).await;
    api::assign_codes(&mut resp);
    let mut out = GraphQLResponse::from(resp).customize();
    if let (Some(counter), Some(before)) = (&state.statements, before) {
        out = out.insert_header(("X-Dudao-Statements", (counter.get() - before).to_string()));
    }
    out
}

fn error_response(e: &AppError) -> HttpResponse {
    use actix_web::http::StatusCode;
    let status = match e.code() {
        "UNAUTHENTICATED" => StatusCode::UNAUTHORIZED,
        "FORBIDDEN" => StatusCode::FORBIDDEN,
        "NOT_FOUND" => StatusCode::NOT_FOUND,
        "BAD_USER_INPUT" => StatusCode::BAD_REQUEST,
        _ => StatusCode::INTERNAL_SERVER_ERROR,
    };
    if let AppError::Internal(cause) = e {
        tracing::error!(error = ?cause, "internal error");
    }
    HttpResponse::build(status)
        .json(serde_json::json!({ "code": e.code(), "message": e.message() }))
}

fn caller(state: &AppState, req: &HttpRequest) -> Result<dudao_domain::Viewer, AppError> {
    bearer(req)
        .and_then(|t| auth::verify_access_token(&state.keys, t).ok())
        .ok_or_else(AppError::unauthenticated)
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
        let viewer = caller(&state, &req)?;
        let format = transfer::Format::parse(q.format.as_deref().unwrap_or("csv"))?;
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
            };
            let mut body = Vec::new();
            service::alerts::export(&state.db, &viewer, &filter, format, &mut body).await?;
            return Ok::<_, AppError>(("alerts", format, body));
        }
        let kind = transfer::Kind::parse(&kind)?;
        let filter = transfer::ExportFilter {
            region_id: gid(&q.region, "Region")?,
            rep_id: gid(&q.rep, "Rep")?,
            from: q.from,
            to: q.to,
        };
        let mut body = Vec::new();
        transfer::export(&state.db, &viewer, kind, &filter, format, &mut body).await?;
        Ok::<_, AppError>((kind.as_str(), format, body))
    };
    match run.await {
        Ok((kind, format, body)) => {
            let (mime, ext) = match format {
                transfer::Format::Csv => ("text/csv; charset=utf-8", "csv"),
                transfer::Format::Xlsx => (
                    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    "xlsx",
                ),
            };
            HttpResponse::Ok()
                .content_type(mime)
                .insert_header((
                    "Content-Disposition",
                    format!("attachment; filename=\"dudao-{kind}.{ext}\""),
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
/// (200 when imported; 422 with every bad row when nothing was).
async fn import(
    state: web::Data<AppState>,
    req: HttpRequest,
    kind: web::Path<String>,
    q: web::Query<ImportQuery>,
    body: web::Bytes,
) -> HttpResponse {
    let run = async {
        let viewer = caller(&state, &req)?;
        let kind = transfer::Kind::parse(&kind)?;
        let format = transfer::Format::parse(q.format.as_deref().unwrap_or("csv"))?;
        let sheet = transfer::read(&body, format)?;
        transfer::import(&state.db, &viewer, kind, sheet, &|_, _, _| {}).await
    };
    match run.await {
        Ok(report) if report.error_count == 0 => HttpResponse::Ok().json(report),
        Ok(report) => HttpResponse::UnprocessableEntity().json(report),
        Err(e) => error_response(&e),
    }
}

async fn graphiql() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .body(GraphiQLSource::build().endpoint("/graphql").finish())
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

/// Serves `index.html` for every client-side route, so a reload on `/reps/12` works.
async fn spa_fallback(req: ServiceRequest) -> Result<ServiceResponse, actix_web::Error> {
    let (req, _) = req.into_parts();
    let dir = req
        .app_data::<web::Data<AppState>>()
        .map(|s| s.static_dir.clone())
        .unwrap_or_default();
    let resp = match NamedFile::open(dir.join("index.html")) {
        Ok(f) => f.into_response(&req),
        Err(_) => HttpResponse::Ok()
            .content_type("text/html; charset=utf-8")
            .body(NOT_BUILT),
    };
    Ok(ServiceResponse::new(req, resp))
}

pub fn configure(state: AppState) -> impl FnOnce(&mut web::ServiceConfig) {
    move |cfg| {
        let dir = state.static_dir.clone();
        cfg.app_data(web::Data::new(state))
            .app_data(web::JsonConfig::default().limit(1 << 20))
            .service(
                web::resource("/graphql")
                    .route(web::post().to(graphql))
                    .route(web::get().to(graphql)),
            )
            .route("/graphiql", web::get().to(graphiql))
            .route("/api/export/{kind}", web::get().to(export))
            .service(
                web::resource("/api/import/{kind}")
                    .app_data(web::PayloadConfig::new(64 << 20))
                    .route(web::post().to(import)),
            )
            .route("/healthz", web::get().to(healthz));
        if dir.is_dir() {
            cfg.service(
                Files::new("/", dir)
                    .index_file("index.html")
                    .default_handler(fn_service(spa_fallback)),
            );
        } else {
            cfg.default_service(fn_service(spa_fallback));
        }
    }
}

pub fn security_headers() -> DefaultHeaders {
    DefaultHeaders::new()
        .add(("X-Content-Type-Options", "nosniff"))
        .add(("X-Frame-Options", "DENY"))
        .add(("Referrer-Policy", "no-referrer"))
}

pub fn compress() -> Compress {
    Compress::default()
}
