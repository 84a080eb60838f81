//! Test support: the real server on port 0 with a fresh database per test, on SQLite and
//! (when `DUDAO_TEST_POSTGRES_URL` points at a cluster) PostgreSQL, plus a small GraphQL
//! client that says who is calling.

use std::sync::atomic::{AtomicU32, Ordering};

use anyhow::{Context, Result};
use sea_orm::{ConnectionTrait, Database};
use serde_json::{Value, json};

pub use dudao::seed::DEMO_PASSWORD;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// Declares one test per database backend: `db_test!(name, |app| async move { … });`
#[macro_export]
macro_rules! db_test {
    ($name:ident, $body:expr) => {
        $crate::db_test!($name, $body, demo = true);
    };
    ($name:ident, $body:expr, demo = $demo:expr) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                if let Some(app) = $crate::TestApp::spawn_with($crate::Backend::Sqlite, $demo).await
                {
                    ($body)(app).await;
                }
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                if let Some(app) =
                    $crate::TestApp::spawn_with($crate::Backend::Postgres, $demo).await
                {
                    ($body)(app).await;
                }
            }
        }
    };
}

pub struct TestApp {
    pub backend: Backend,
    pub running: dudao::Running,
    /// The database the server runs on (a second server may share it).
    pub database_url: String,
    pub http: reqwest::Client,
    _dir: Option<TempDir>,
}

struct TempDir(std::path::PathBuf);

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

static COUNTER: AtomicU32 = AtomicU32::new(0);

fn unique(tag: &str) -> String {
    format!(
        "{tag}_{}_{}_{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed),
        rand::random::<u32>()
    )
}

async fn fresh_postgres(admin_url: &str) -> Result<String> {
    let name = unique("t");
    let admin = Database::connect(admin_url)
        .await
        .context("connecting to the test cluster")?;
    admin
        .execute_unprepared(&format!("CREATE DATABASE {name}"))
        .await?;
    admin.close().await?;
    let base = admin_url
        .rsplit_once('/')
        .map(|(b, _)| b)
        .unwrap_or(admin_url);
    Ok(format!("{base}/{name}"))
}

impl TestApp {
    /// Starts the server on a fresh database with the demo data. `None` when the backend is
    /// not available (PostgreSQL outside `cargo xtask test`), unless it is required.
    pub async fn spawn(backend: Backend) -> Option<TestApp> {
        Self::spawn_with(backend, true).await
    }

    pub async fn spawn_with(backend: Backend, demo: bool) -> Option<TestApp> {
        let (url, dir) = match backend {
            Backend::Sqlite => {
                let dir = std::env::temp_dir().join(unique("dudao-test"));
                let url = format!("sqlite://{}/dudao.sqlite?mode=rwc", dir.display());
                (url, Some(TempDir(dir)))
            }
            Backend::Postgres => match std::env::var("DUDAO_TEST_POSTGRES_URL") {
                Ok(admin) => match fresh_postgres(&admin).await {
                    Ok(url) => (url, None),
                    Err(e) => panic!("cannot create a test database: {e:#}"),
                },
                Err(_) => {
                    assert!(
                        std::env::var("DUDAO_TEST_REQUIRE_POSTGRES").is_err(),
                        "DUDAO_TEST_POSTGRES_URL is not set but PostgreSQL tests are required"
                    );
                    eprintln!("skipping: PostgreSQL not configured (cargo xtask test runs it)");
                    return None;
                }
            },
        };
        let mut config = dudao::Config::for_tests(&url);
        config.demo = demo;
        let database_url = url.clone();
        let running = match dudao::start(config).await {
            Ok(r) => r,
            Err(e) => panic!("starting the server on {backend:?}: {e:#}"),
        };
        Some(TestApp {
            backend,
            running,
            database_url,
            http: reqwest::Client::new(),
            _dir: dir,
        })
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.running.url())
    }

    /// Another server on the same database (as behind a load balancer); stop it when done.
    pub async fn second_server(&self) -> dudao::Running {
        let mut config = dudao::Config::for_tests(&self.database_url);
        config.demo = false;
        match dudao::start(config).await {
            Ok(r) => r,
            Err(e) => panic!("starting a second server: {e:#}"),
        }
    }

    /// SQL statements executed so far by this server.
    pub fn statements(&self) -> u64 {
        self.running.statements.get()
    }

    /// Sends a GraphQL request; `token` is the caller (None = anonymous).
    pub async fn gql(&self, token: Option<&str>, query: &str, variables: Value) -> Value {
        let mut req = self
            .http
            .post(self.url("/graphql"))
            .json(&json!({ "query": query, "variables": variables }));
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        match req.send().await {
            Ok(resp) => resp
                .json()
                .await
                .unwrap_or_else(|e| panic!("response is not JSON: {e}")),
            Err(e) => panic!("request failed: {e}"),
        }
    }

    pub async fn login_payload(&self, email: &str, password: &str) -> Value {
        self.gql(
            None,
            "mutation($e: String!, $p: String!) { login(email: $e, password: $p) { accessToken refreshToken expiresAt user { id email role } } }",
            json!({ "e": email, "p": password }),
        )
        .await
    }

    /// Signs in a demo account and returns its access token.
    pub async fn login(&self, email: &str) -> String {
        let v = self.login_payload(email, DEMO_PASSWORD).await;
        v["data"]["login"]["accessToken"]
            .as_str()
            .unwrap_or_else(|| panic!("login as {email} failed: {v}"))
            .to_owned()
    }
}

/// The first column of the first row of `sql`, as an integer (tests read fixtures by SQL).
pub async fn scalar(app: &TestApp, sql: &str) -> i64 {
    use sea_orm::{ConnectionTrait, Statement};
    let db = &app.running.db;
    let row = db
        .query_one_raw(Statement::from_string(
            db.get_database_backend(),
            sql.to_owned(),
        ))
        .await
        .ok()
        .flatten()
        .unwrap_or_else(|| panic!("no row for {sql}"));
    row.try_get_by_index::<i64>(0)
        .or_else(|_| row.try_get_by_index::<i32>(0).map(i64::from))
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
}

/// Runs a statement on the test's database (to set up a case the API cannot reach).
pub async fn exec(app: &TestApp, sql: &str) {
    use sea_orm::{ConnectionTrait, Statement};
    let db = &app.running.db;
    db.execute_raw(Statement::from_string(
        db.get_database_backend(),
        sql.to_owned(),
    ))
    .await
    .unwrap_or_else(|e| panic!("{sql}: {e}"));
}

/// The API's opaque id of row `id` of `kind`.
pub fn gid(kind: &str, id: i64) -> String {
    dudao::api::ids::encode(kind, id as i32).0
}

/// The `extensions.code` of the first error, if any.
pub fn error_code(v: &Value) -> Option<&str> {
    v["errors"][0]["extensions"]["code"].as_str()
}

/// The data of a response that must have succeeded.
pub fn data(v: &Value) -> &Value {
    assert!(v["errors"].is_null(), "unexpected errors: {v}");
    &v["data"]
}

pub const ADMIN: &str = "admin@dudao.demo";
pub const DIRECTOR: &str = "director@dudao.demo";
pub const SUPERVISOR_EAST: &str = "supervisor.east@dudao.demo";
pub const SUPERVISOR_SOUTH: &str = "supervisor.south@dudao.demo";
pub const REP_EAST1: &str = "rep.east1@dudao.demo";

/// A stored code for test rows written through the entities (`"CANCELLED"` as an order
/// status); panics on a name the set does not have.
pub fn code<T: dudao::domain::Code>(s: &str) -> dudao::entity::Stored<T> {
    dudao::entity::Stored(T::from_code(s).unwrap_or_else(|| panic!("no {} {s}", T::WHAT)))
}
