//! Dudao server: configuration, persistence, services, the GraphQL API and HTTP.
//!
//! Layers, from the inside out (see ARCHITECTURE.md): `dudao_domain` (pure rules) →
//! `entity` (tables) → `service` (reads and writes with row filters) → `api` (GraphQL) →
//! `http` (actix). Each layer only calls inward.

pub use dudao_domain as domain;

pub mod api;
pub mod cli;
pub mod clock;
pub mod db;
pub mod entity;
pub mod error;
pub mod http;
pub mod seed;
pub mod service;

use std::net::SocketAddr;
use std::path::PathBuf;

use actix_web::{App, HttpServer};
use anyhow::Context;
use sea_orm::{DatabaseConnection, EntityTrait, PaginatorTrait};

use crate::db::StatementCounter;
use crate::service::auth::TokenKeys;

pub const DEFAULT_ADDR: &str = "127.0.0.1:8080";
pub const DEFAULT_DATABASE_URL: &str = "sqlite://data/dudao.sqlite?mode=rwc";

#[derive(Clone, Debug)]
pub struct Config {
    pub addr: String,
    pub database_url: String,
    pub static_dir: PathBuf,
    /// Secret for signing access tokens. When unset, one is generated and kept in the
    /// database so that every server on that database shares it.
    pub jwt_secret: Option<String>,
    /// Load demo data into an empty database.
    pub demo: bool,
    pub workers: Option<usize>,
    /// Trust `X-Forwarded-For` for the client address (only behind your own proxy).
    pub trust_forwarded: bool,
    /// How often the server runs the alert rules; `None` leaves it to `dudao alerts run`.
    pub alert_interval: Option<std::time::Duration>,
}

impl Config {
    pub fn for_tests(database_url: &str) -> Self {
        Config {
            addr: "127.0.0.1:0".into(),
            database_url: database_url.into(),
            static_dir: PathBuf::from("frontend/dist"),
            jwt_secret: None,
            demo: true,
            workers: Some(2),
            trust_forwarded: false,
            alert_interval: None,
        }
    }
}

/// A running server: its address, its database and a statement counter.
pub struct Running {
    pub addr: SocketAddr,
    pub db: DatabaseConnection,
    pub statements: StatementCounter,
    handle: actix_web::dev::ServerHandle,
    task: tokio::task::JoinHandle<std::io::Result<()>>,
    scheduler: Option<tokio::task::JoinHandle<()>>,
    follower: tokio::task::JoinHandle<()>,
}

impl Running {
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }
    pub async fn stop(self) {
        if let Some(s) = &self.scheduler {
            s.abort();
        }
        self.follower.abort();
        self.handle.stop(true).await;
        let _ = self.task.await;
    }
    /// Waits until the server stops (Ctrl-C or SIGTERM).
    pub async fn wait(self) -> anyhow::Result<()> {
        self.task.await.context("server task")?.context("server")
    }
}

/// Connects, migrates, loads demo data into an empty database when asked, and opens the
/// database for use.
pub async fn prepare(config: &Config) -> anyhow::Result<(DatabaseConnection, StatementCounter)> {
    let (db, counter) = db::connect(&config.database_url).await?;
    db::migrate(&db).await?;
    if config.demo && entity::user::Entity::find().count(&db).await? == 0 {
        seed::demo(&db, &seed::Progress::quiet()).await?;
    }
    Ok((db, counter))
}

/// Starts serving; returns once the socket is bound.
pub async fn start(config: Config) -> anyhow::Result<Running> {
    let (db, statements) = prepare(&config).await?;
    let secret = match &config.jwt_secret {
        Some(s) => s.clone(),
        None => service::settings::get_or_init(&db, "jwt_secret", service::settings::random_secret)
            .await
            .map_err(error::AppError::into_anyhow)?,
    };
    let keys = TokenKeys::new(secret.as_bytes());
    // The search index is derived data: built from the table before serving, then
    // following it (writes through other servers on the same database included).
    let search = service::search::Search::new()?;
    let indexed = search
        .sync(&db)
        .await
        .map_err(error::AppError::into_anyhow)?;
    tracing::info!(articles = indexed, "search index built");
    let state = http::AppState {
        db: db.clone(),
        schema: api::build_schema(Some(db.clone()), Some(keys.clone()), Some(search.clone())),
        introspection: api::build_introspection_schema(),
        keys,
        static_dir: config.static_dir.clone(),
        trust_forwarded: config.trust_forwarded,
        statements: std::env::var_os("DUDAO_COUNT_STATEMENTS").map(|_| statements.clone()),
    };
    let mut server = HttpServer::new(move || {
        App::new()
            .wrap(http::compress())
            .wrap_fn(|req, srv| {
                let res = actix_web::dev::Service::call(srv, req);
                async move {
                    let mut res = res.await?;
                    http::security_headers(&mut res);
                    Ok(res)
                }
            })
            // The path only (%U), never the query string: a GET /graphql carries the
            // operation and its variables there.
            .wrap(
                actix_web::middleware::Logger::new("%{METHOD}xi %U %s %Dms")
                    .custom_request_replace("METHOD", |r| r.method().to_string())
                    .log_target("dudao::http"),
            )
            .configure(http::configure(state.clone()))
    })
    .bind(&config.addr)
    .with_context(|| format!("binding {}", config.addr))?;
    if let Some(w) = config.workers {
        server = server.workers(w);
    }
    let addr = server
        .addrs()
        .first()
        .copied()
        .context("the server bound no address")?;
    let server = server.run();
    let handle = server.handle();
    let task = tokio::spawn(server);
    let scheduler = config
        .alert_interval
        .map(|every| tokio::spawn(alert_schedule(db.clone(), every)));
    let follower = tokio::spawn(service::search::follow(search, db.clone()));
    Ok(Running {
        addr,
        db,
        statements,
        handle,
        task,
        scheduler,
        follower,
    })
}

/// Runs the alert rules and refreshes the customer scores every `every`. Runs are
/// idempotent, so several servers on one database may all do this. The first run waits
/// one interval (start-up stays light at scale), unless no customer has a score yet.
pub async fn alert_schedule(db: DatabaseConnection, every: std::time::Duration) {
    let unscored = service::customer_scores::missing(&db)
        .await
        .unwrap_or(false);
    let first = if unscored {
        tokio::time::Instant::now()
    } else {
        tokio::time::Instant::now() + every
    };
    let mut tick = tokio::time::interval_at(first, every);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        let today = crate::clock::today();
        match service::alerts::run(&db, today).await {
            Ok(r) => tracing::info!(raised = r.total(), %today, "alert rules ran"),
            Err(e) => tracing::warn!(error = %e.message(), "alert rules failed"),
        }
        match service::customer_scores::refresh(&db, today).await {
            Ok(n) => tracing::info!(changed = n, %today, "customer scores refreshed"),
            Err(e) => tracing::warn!(error = %e.message(), "customer scores failed"),
        }
    }
}
