//! The GraphQL API: types, resolvers, loaders and error codes. The only module that knows
//! async-graphql; it calls `service` for everything and never builds SQL itself.

pub mod activity;
pub mod alerts;
pub mod ids;
pub mod loaders;
pub mod mutation;
pub mod query;
pub mod scorecard;
pub mod targets;
pub mod types;

use async_graphql::{Context, EmptySubscription, ErrorExtensions, Schema};
use dudao_domain::Viewer;
use sea_orm::DatabaseConnection;

use crate::error::AppError;
use crate::service::auth::TokenKeys;

pub type DudaoSchema = Schema<query::Query, mutation::Mutation, EmptySubscription>;

pub const MAX_DEPTH: usize = 12;
pub const MAX_COMPLEXITY: usize = 5_000;

/// Per-request facts the HTTP layer puts into the GraphQL context.
pub struct RequestInfo {
    pub viewer: Option<Viewer>,
    pub client_address: String,
}

pub fn build_schema(db: Option<DatabaseConnection>, keys: Option<TokenKeys>) -> DudaoSchema {
    let mut b = Schema::build(
        query::Query::default(),
        mutation::Mutation::default(),
        EmptySubscription,
    )
    .limit_depth(MAX_DEPTH)
    .limit_complexity(MAX_COMPLEXITY)
    .limit_recursive_depth(32);
    if let Some(db) = db {
        b = b.data(db);
    }
    if let Some(k) = keys {
        b = b.data(k);
    }
    b.finish()
}

/// The schema as SDL, exactly as `schema.graphql` must contain it.
pub fn sdl() -> String {
    build_schema(None, None).sdl()
}

impl From<AppError> for async_graphql::Error {
    fn from(e: AppError) -> Self {
        let code = e.code();
        if let AppError::Internal(cause) = &e {
            tracing::error!(error = ?cause, "internal error");
        }
        async_graphql::Error::new(e.message()).extend_with(|_, ext| ext.set("code", code))
    }
}

pub(crate) fn load_err(e: loaders::LoadError) -> async_graphql::Error {
    AppError::Internal(anyhow::Error::msg(e)).into()
}

pub(crate) fn viewer<'a>(ctx: &'a Context<'_>) -> Result<&'a Viewer, AppError> {
    ctx.data_opt::<RequestInfo>()
        .and_then(|r| r.viewer.as_ref())
        .ok_or_else(AppError::unauthenticated)
}

pub(crate) fn db<'a>(ctx: &'a Context<'_>) -> Result<&'a DatabaseConnection, AppError> {
    ctx.data_opt::<DatabaseConnection>()
        .ok_or_else(|| AppError::Internal(anyhow::anyhow!("no database in the schema")))
}

pub(crate) fn keys<'a>(ctx: &'a Context<'_>) -> Result<&'a TokenKeys, AppError> {
    ctx.data_opt::<TokenKeys>()
        .ok_or_else(|| AppError::Internal(anyhow::anyhow!("no token keys in the schema")))
}

pub(crate) fn client_address(ctx: &Context<'_>) -> String {
    ctx.data_opt::<RequestInfo>()
        .map(|r| r.client_address.clone())
        .unwrap_or_default()
}

/// Gives every error a code: errors raised before execution (parse, validation, limits)
/// come from async-graphql without one.
pub fn assign_codes(resp: &mut async_graphql::Response) {
    for err in &mut resp.errors {
        let has_code = err
            .extensions
            .as_ref()
            .is_some_and(|e| e.get("code").is_some());
        if has_code {
            continue;
        }
        let msg = err.message.to_lowercase();
        let code = if msg.contains("too deep")
            || msg.contains("too complex")
            || msg.contains("recursive depth")
        {
            "QUERY_TOO_COMPLEX"
        } else {
            "BAD_USER_INPUT"
        };
        err.extensions
            .get_or_insert_with(Default::default)
            .set("code", code);
    }
}
