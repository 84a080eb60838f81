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
use crate::service::auth::{self, TokenKeys};

#[derive(Clone)]
pub struct AppState {
    pub db: DatabaseConnection,
    pub schema: DudaoSchema,
    pub keys: TokenKeys,
    pub static_dir: PathBuf,
    /// Behind a reverse proxy: take the client address from `X-Forwarded-For`/`Forwarded`
    /// (for per-address sign-in limits) instead of the socket peer.
    pub trust_forwarded: bool,
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
) -> GraphQLResponse {
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
    resp.into()
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
